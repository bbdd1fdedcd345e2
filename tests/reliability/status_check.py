#!/usr/bin/env python3
"""Read a VGC_STATUS_FILE (one JSON vgc.status() per process) written during a regrtest run:
print one line; exit 1 unless vgc was installed and collected in the regrtest process itself
and CPython's own collector found nothing in any process."""
import json
import os
import sys

recs = []
if os.path.exists(sys.argv[1]):
    recs = [json.loads(x) for x in open(sys.argv[1]) if x.strip()]
main = [r for r in recs if r["argv"] and r["argv"][0].endswith(os.path.join("test", "__main__.py"))]
cp = sum(r["cpython_collected"] for r in recs)
ok = bool(main) and main[0]["installed"] and main[0]["collections"] > 0 and cp == 0
print("vgc in %d processes, %d collections (%d in the regrtest process), CPython's own "
      "collector found %d%s" % (len(recs), sum(r["collections"] for r in recs),
                                main[0]["collections"] if main else 0, cp, "" if ok else ": FAIL"))
sys.exit(0 if ok else 1)
