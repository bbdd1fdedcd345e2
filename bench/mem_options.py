#!/usr/bin/env python3
"""Peak-RSS projections for the snapshot designs of issue #13, from measured `rss_*` rows.

Usage: python3 bench/mem_options.py build/bench/mem-py3.11.json [more.json ...]

Reads the `rss_*` rows written by `make bench-mem` (bench/run.py) and, for each design, prints
the peak RSS it would have had in the same run:

    projected vgc peak = measured vgc peak - (today's snapshot bytes - the design's bytes)

where the snapshot is that of the largest collection of the row (the final `gc.collect(2)`:
`snapshot_objects` n, `snapshot_edges` e).  Today's snapshot is 14 B/object + 4 B/edge
(README "Memory").  The subtraction assumes what the rows show: the peak is reached while the
largest snapshot exists, and the RSS vgc adds is that snapshot plus rounding, so removing bytes
from the snapshot removes them from the peak; rounding to 2 MiB units and the arena's growth
reserve stay as measured.  These are projections, not measurements: a design counts as meeting
the target only when its own `make bench-mem` row does.

Designs (bytes per snapshot object / per internal edge; what each needs is in spec/SPEC.md §8):
  today       14 / 4  gc_refs (reused as order+pos) 8, CSR offset 4, root flag 1, legacy flag 1
  ptr-table   18 / 0  traverse twice (no edge array, no offsets); phase 2 marks in worklist
                      order, so it needs each object's pointer: +8
  scan        10 / 0  traverse twice; phase 2 scans in list order as CPython's move_unreachable
                      does (the glue relinks as the core decides: no pointer table, no order/pos);
                      gc_refs 8, root and legacy flags 2
  scan-32      6 / 0  scan with 32-bit saturating gc_refs
  headers      0 / 0  gc_refs, index and flags in the objects' own _gc_prev, as CPython
"""
import json
import sys

DESIGNS = [("today", 14, 4), ("ptr-table", 18, 0), ("scan", 10, 0), ("scan-32", 6, 0),
           ("headers", 0, 0)]


def rows(path):
    data = json.load(open(path))
    for name, row in sorted(data["workloads"].items()):
        if not name.startswith("rss_") or "ratio" not in row:
            continue
        snap = row["kept"]["after_collect"]
        yield data["python"], name, row["stock"], row["vgc"], snap["snapshot_objects"], \
            snap["snapshot_edges"]


def main(paths):
    print("| python | row | objects | edges | stock KiB | vgc KiB | "
          + " | ".join(d[0] for d in DESIGNS) + " |")
    print("|---|---|---:|---:|---:|---:|" + "---:|" * len(DESIGNS))
    for path in paths:
        for py, name, stock, vgc, n, e in rows(path):
            today = 14 * n + 4 * e
            cells = []
            for _, per_obj, per_edge in DESIGNS:
                proj = vgc - (today - per_obj * n - per_edge * e) / 1024.0
                cells.append(f"{proj / stock:.3f}")
            print(f"| {py} | {name} | {n:,} | {e:,} | {stock:,.0f} | {vgc:,.0f} | "
                  + " | ".join(cells) + " |")
    print("\ncells: projected vgc/stock peak RSS (the `today` column is the measured ratio)")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
