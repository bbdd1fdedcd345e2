#!/usr/bin/env python3
"""bench/young_mix.py — young collections of the steady_alloc mix, one side per process, for
counting instructions (README Performance, stop 19):

    PYTHONHASHSEED=0 PYTHONPATH=build/py<X.Y.Z> valgrind --tool=callgrind \
        --toggle-collect=gc_collect_main --toggle-collect=vgc_hook_vectorcall \
        python bench/young_mix.py {stock,vgc} [ROUNDS]

Each round runs 1,288 iterations of the steady_alloc loop (bench/inprocess_ab.py steady_mix),
then gc.collect(0).  callgrind's "Collected" line counts the instructions inside CPython's
gc_collect_main and vgc's hook (stock has no hook).  Not in proof scope.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
MODE = sys.argv[1] if len(sys.argv) > 1 else "stock"
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 150
if MODE == "vgc":
    import vgc
    vgc.install()
import gc  # noqa: E402
from inprocess_ab import steady_mix  # noqa: E402

gc.disable()
gc.collect()
for _ in range(ROUNDS):
    steady_mix(1288)
    gc.collect(0)
