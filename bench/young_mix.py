#!/usr/bin/env python3
"""bench/young_mix.py — young collections of the steady_alloc mix, one side per process, for
counting instructions (README Performance, stop 19):

    PYTHONHASHSEED=0 PYTHONPATH=build/py<X.Y.Z> valgrind --tool=callgrind \
        --toggle-collect=gc_collect_main --toggle-collect=vgc_hook_vectorcall \
        python bench/young_mix.py {stock,vgc} [ROUNDS] [N]

Each round runs N (default 1,288) iterations of the steady_alloc loop (bench/inprocess_ab.py
steady_mix), then gc.collect(0).  With N given, 25,000 iterations and a full collection come
first (the row's window full): N = 5300 gives the big young collections of 3.13's steady_alloc
row, where generation 0 grows to ~20,000 objects once the window is full.  callgrind's "Collected" line counts the instructions inside CPython's
gc_collect_main and vgc's hook (stock has no hook).  Not in proof scope.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
MODE = sys.argv[1] if len(sys.argv) > 1 else "stock"
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 150
N = int(sys.argv[3]) if len(sys.argv) > 3 else None
if MODE == "vgc":
    import vgc
    vgc.install()
import gc  # noqa: E402
from inprocess_ab import steady_mix  # noqa: E402

gc.disable()
gc.collect()
if N is not None:
    steady_mix(25000)
    gc.collect()
for _ in range(ROUNDS):
    steady_mix(N or 1288)
    gc.collect(0)
