"""fit_steps.py [RUNS] [LIMIT_MB] — where the `chains` shape (bench/workloads.py) stops under
RLIMIT_AS in fresh processes: stock, vgc imported but not installed, vgc installed
(`make bench-fit-steps`; README "Memory").  Prints how many runs ended at each object count.
Run with build/py<X.Y.Z> on PYTHONPATH."""
import collections
import os
import subprocess
import sys

CHILD = r'''
import sys, gc, resource
sys.path.insert(0, %r)
mode = sys.argv[1]
if mode != "stock":
    import vgc
    if mode == "vgc":
        vgc.install()
import workloads as W
step, heap = W.MEM_SHAPES["chains"]()
ballast = bytearray(8 << 20)
gc.enable()
soft, hard = resource.getrlimit(resource.RLIMIT_AS)
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]) << 20, hard))
n = 0
try:
    while True:
        n += step()
except MemoryError:
    pass
del ballast
resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
print(n)
''' % os.path.dirname(os.path.abspath(__file__))

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
limit = sys.argv[2] if len(sys.argv) > 2 else "160"
ends = collections.defaultdict(collections.Counter)
for _ in range(runs):
    for mode in ("stock", "import", "vgc"):
        out = subprocess.run([sys.executable, "-c", CHILD, mode, limit], capture_output=True,
                             text=True)
        ends[mode][round(int(out.stdout.split()[-1]) / 1e4) / 100] += 1
for mode in ("stock", "import", "vgc"):
    print("Python %s chains under %s MiB, %-6s: %s" % (sys.version.split()[0], limit, mode,
          ", ".join("%d x %.2fM" % (c, k) for k, c in sorted(ends[mode].items()))))
