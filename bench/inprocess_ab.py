#!/usr/bin/env python3
"""bench/inprocess_ab.py — stock gc and one or more vgc builds, rotating in ONE process on ONE heap.

    python bench/inprocess_ab.py WORKLOAD N ROUNDS SO[:MIN] [SO[:MIN] ...]

WORKLOAD: `full` (bench/workloads.py build_heap(N) kept, 1% cyclic garbage added before each
collection, as the full_collect rows), `young` (N iterations of the steady_alloc row's loop, then
gc.collect(0): young collections of that mix; N = 1288 is what fills generation 0 there) or a garbage shape of workloads.SHAPES (N objects of it
made before each collection), or `steady` (N iterations of the steady_alloc row's loop with
automatic collection on, timed whole: a segment of that row, collections included; the
window carries over from segment to segment).  SO: paths of vgc._vgc extension files (e.g.
build/py3.11.7/vgc/_vgc.cpython-311-x86_64-linux-gnu.so and an older build's); each is loaded as
its own module (`v<k>._vgc`, its own state) and installed only around its own collections; with
`:MIN` it is installed with VGC_LOOK_AHEAD_MIN=MIN (the same build twice, `SO:0 SO:100000000`,
compares the look-ahead on and off; default: the build's own threshold).  Each
round collects once per side, the order reversed every other round; prints the minimum
collection CPU time (time.thread_time) of stock and each build's minimum / stock's (and median /
stock's median, 90th percentile / stock's).

Why: on the shared 2-vCPU machine, fresh processes land on vCPUs that differ by up to 1.5x for
the same collection, so a ratio of two processes' medians moves by tens of percent; here every
side sees the same heap, the same process and the same CPU.  Not a replacement for `make bench`
(fresh processes, what a user sees), a check of a change.  Not in proof scope.
"""
import collections
import importlib.machinery
import importlib.util
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gc as stockgc  # noqa: E402
import workloads as w  # noqa: E402


def load(k, path):
    name = "v%d._vgc" % k
    loader = importlib.machinery.ExtensionFileLoader(name, path)
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


WINDOW = collections.deque(maxlen=20000)
_next = [0]


def steady_mix(n):
    """n iterations of the steady_alloc row's loop (workloads.w_steady): records kept in a
    sliding window of 20,000, a small cycle every 8th; `young` then times gc.collect(0)."""
    for _ in range(n):
        i = _next[0]
        _next[0] += 1
        WINDOW.append(w.Node([i, str(i)], {"id": i, "tags": ["a", "b"]}))
        if i % 8 == 0:
            x = w.Node()
            x.a = w.Node(x, [x])


def main():
    if len(sys.argv) < 5:
        raise SystemExit(__doc__)
    wl, n, rounds, sos = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    if wl not in ("full", "young", "steady") and wl not in w.SHAPES:
        raise SystemExit("workload: full, young, steady or one of %s" % ", ".join(w.SHAPES))
    mins = [so.rpartition(":")[2] if ":" in so else None for so in sos]
    sos = [so.rpartition(":")[0] if ":" in so else so for so in sos]
    sides = [None] + [load(k, so) for k, so in enumerate(sos)]
    stockgc.disable()
    heap = w.build_heap(n) if wl == "full" else None
    stockgc.collect()
    stockgc.collect()
    if wl == "steady":
        stockgc.enable()
        steady_mix(50000)             # the window full, as in the row after its first 20,000
    times = [[] for _ in sides]
    for r in range(rounds):
        order = range(len(sides)) if r % 2 == 0 else reversed(range(len(sides)))
        for k in order:
            mod = sides[k]
            if mod is not None:
                if mins[k - 1] is None:
                    os.environ.pop("VGC_LOOK_AHEAD_MIN", None)
                else:
                    os.environ["VGC_LOOK_AHEAD_MIN"] = mins[k - 1]
                mod._install()
            if wl == "full":
                w.make_garbage(n // 100)
            elif wl == "young":
                steady_mix(n)
            elif wl != "steady":
                w.SHAPES[wl](n)
            collect = mod.collect if mod is not None else stockgc.collect
            t0 = time.thread_time()
            if wl == "steady":
                steady_mix(n)
            else:
                collect(0 if wl == "young" else 2)
            times[k].append(time.thread_time() - t0)
            if mod is not None:
                mod._uninstall()
    base = min(times[0])
    print("%s n=%d rounds=%d: stock min %.2f ms" % (wl, n, rounds, base * 1e3))
    med = sorted(times[0])[len(times[0]) // 2]
    p90 = sorted(times[0])[len(times[0]) * 9 // 10]
    for k, so in enumerate(sos, 1):
        t = sorted(times[k])
        print("  %.3f (median %.3f, p90 %.3f)  %s%s" % (
            t[0] / base, t[len(t) // 2] / med, t[len(t) * 9 // 10] / p90, so,
            "" if mins[k - 1] is None else "  (look-ahead from %s)" % mins[k - 1]))
    del heap


if __name__ == "__main__":
    main()
