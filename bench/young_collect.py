#!/usr/bin/env python3
"""bench/young_collect.py — the cost of one explicit young collection (README Performance, stop 17).

    PYTHONPATH=build/py<X.Y.Z> python bench/young_collect.py {stock,vgc} [ROUNDS]

Each round allocates ~790 objects (700 records of an instance, a list and a dict, a small cycle
every 8th), keeps a sliding window of 20,000 records, and times gc.collect(0) (wall time, gc
disabled otherwise).  Prints the mean per collection.  Not in proof scope.
"""
import sys
import time

MODE = sys.argv[1] if len(sys.argv) > 1 else "stock"
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
if MODE == "vgc":
    import vgc
    vgc.install()
import gc  # noqa: E402  (vgc's module under vgc)


class Node:
    def __init__(self, a=None, b=None):
        self.a = a
        self.b = b


gc.disable()
gc.collect()
keep = []
total = 0.0
for r in range(ROUNDS):
    for i in range(700):
        keep.append(Node([i, str(i)], {"id": i}))
        if i % 8 == 0:
            x = Node()
            x.a = Node(x, [x])
    if len(keep) > 20000:
        del keep[:700]
    t0 = time.perf_counter()
    gc.collect(0)
    total += time.perf_counter() - t0
print("%s: %.1f us per gc.collect(0) (%d rounds)" % (MODE, total / ROUNDS * 1e6, ROUNDS))
