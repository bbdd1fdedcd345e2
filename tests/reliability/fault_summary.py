#!/usr/bin/env python3
"""Summarise a fault_driver.py output (the @@FAULT@@ line): one line per interpreter with the
failure kind (vgc's successor-buffer growth, or any allocation with --nomemory), the k ranges,
outcomes and failures; exit 1 on any failure or a missing/garbled result (a crash)."""
import json
import sys

text = open(sys.argv[1]).read()
if "@@FAULT@@" not in text:
    print("%s: no result (the driver crashed)" % sys.argv[1])
    sys.exit(1)
res = json.loads(text.split("@@FAULT@@", 1)[1])
if "skipped" in res:
    print("%s: skipped (%s)" % (sys.argv[1], res["skipped"]))
    sys.exit(0)
cases = res["cases"]
ks = sum(c["k"][1] - c["k"][0] + 1 for c in cases)
out = {}
for c in cases:
    for o, n in c["outcomes"].items():
        out[o] = out.get(o, 0) + n
nalloc = sorted(set(c["nalloc"] for c in cases if "nalloc" in c))
kind = {"growth": "successor-buffer growths", "nomemory": "allocations (set_nomemory)"}
print("Python %s: %d cases (heap x generation), %d injected collections, %s per "
      "collection %s, k = 1..N+1 each; outcomes %s; failures %d; fallbacks %d; CPython's own "
      "collector found %d"
      % (res["python"], len(cases), ks, kind.get(res.get("mode"), "allocations"),
         "%d..%d" % (nalloc[0], nalloc[-1]) if nalloc else "-",
         json.dumps(out, sort_keys=True), len(res["failures"]), res.get("fallbacks", 0),
         res["cpython_collected"]))
for f in res["failures"][:30]:
    print("    FAIL " + f)
sys.exit(1 if res["failures"] else 0)
