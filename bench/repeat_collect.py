"""repeat_collect.py MODE N — repeated full collections of one N-object heap in this process: the
median and minimum CPU time of 7 gc.collect() calls (README, "Where memory and speed conflict").
MODE: stock or vgc (every collection decided in place; nothing kept between collections).
Run with build/py<X.Y.Z> on PYTHONPATH (make bench-repeat)."""
import sys
import time

MODE, N = sys.argv[1], int(sys.argv[2])
if MODE == "vgc":
    import vgc
    vgc.install()
import gc  # noqa: E402


class Node:
    __slots__ = ("a", "b")


live = []
for i in range(N):
    x = Node()
    x.a = [i]
    x.b = x
    live.append(x)
gc.collect()
gc.disable()
ts = []
for _ in range(7):
    t = time.process_time()
    gc.collect()
    ts.append(time.process_time() - t)
ts.sort()
print("%s n=%d: median %.1f ms, min %.1f ms" % (MODE, N, ts[3] * 1e3, ts[0] * 1e3))
