#!/usr/bin/env python3
"""bench/workloads.py — one benchmark workload in one fresh process; prints one JSON object.

Not in proof scope; run by bench/run.py (stock and vgc alternating, one subprocess per run):
    python bench/workloads.py MODE WORKLOAD SIZE
MODE is `stock` (CPython's collector) or `vgc` (vgc.install() first; the vgc package must be on
PYTHONPATH).  WORKLOAD and SIZE are listed in WORKLOADS below; every workload builds the same
object graph in both modes and times only the collector (or, for steady-state workloads, the
whole loop).  Times are seconds from time.perf_counter().
"""
import json
import os
import random
import sys
import time

MODE = sys.argv[1] if len(sys.argv) > 1 else "stock"
if MODE == "vgc":
    import vgc
    vgc.install()
import gc  # noqa: E402  (after install(): vgc's module under vgc, CPython's under stock)

# CPU time of this thread: the machine is shared, and wall time would include the time this
# process spent descheduled.  Wall-clock figures are reported next to it where they matter.
perf = time.thread_time
wall = time.perf_counter


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else 0.5 * (xs[n // 2 - 1] + xs[n // 2])


def pct(xs, p):
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


class Node:
    def __init__(self, a=None, b=None):
        self.a = a
        self.b = b
        self.c = None
        self.d = 0


# ---- (a) full collection of a live heap -------------------------------------------------------

def build_heap(n_objects, seed=1):
    """About n_objects tracked objects: per record one instance, one list (fan-out 4) and one dict
    (4 entries), linked at random to earlier records, all reachable from the returned list."""
    rnd = random.Random(seed)
    records = n_objects // 3
    nodes = []
    for i in range(records):
        node = Node()
        m = len(nodes)
        if m:
            # mostly recent neighbours (allocation locality), one random link per container
            near = lambda w: nodes[m - 1 - rnd.randrange(min(m, w))]
            node.a = [near(8), near(64), nodes[rnd.randrange(m)], i]
            node.b = {"x": near(16), "y": i, "z": "s", "w": nodes[rnd.randrange(m)]}
            node.c = nodes[-1]
        else:
            node.a = [i, i, i, i]
            node.b = {"x": i, "y": i, "z": "s", "w": i}
        node.d = i
        nodes.append(node)
    return nodes


def make_garbage(n_objects, seed=2):
    """n_objects of cyclic garbage in small cycles (2..10 instances)."""
    rnd = random.Random(seed)
    made = 0
    while made < n_objects:
        k = rnd.randint(2, 10)
        ring = [Node() for _ in range(k)]
        for x, y in zip(ring, ring[1:] + ring[:1]):
            x.a = y
        made += k
    return made


def w_full_collect(size):
    gc.disable()
    heap = build_heap(size)
    gc.collect()
    gc.collect()
    times = []
    for _ in range(5):
        make_garbage(size // 100)
        t0 = perf()
        gc.collect()
        times.append(perf() - t0)
    tracked = len(gc.get_objects())
    del heap
    return {"time": median(times), "times": times, "tracked": tracked}


# ---- (b) cyclic garbage shapes --------------------------------------------------------------

def shape_self_loops(n):
    for _ in range(n):
        x = Node()
        x.a = x
    return n


def shape_two_cycles(n):
    for _ in range(n // 2):
        x = Node()
        x.a = Node(x)
    return n // 2 * 2


def shape_rings(n, k=1000):
    made = 0
    for _ in range(max(1, n // k)):
        first = prev = Node()
        for _ in range(k - 1):
            prev = Node(prev)
        first.a = prev
        made += k
    return made


def shape_one_cycle(n):
    first = prev = Node()
    for _ in range(n - 1):
        prev = Node(prev)
    first.a = prev
    return n


def shape_trees(n, size=100):
    """Trees of `size` nodes: each node holds a list of children and a parent back-pointer
    (2 tracked objects per node)."""
    made = 0
    while made < n:
        root = Node()
        root.c = []
        level = [root]
        count = 1
        while count < size:
            nxt = []
            for p in level:
                for _ in range(3):
                    if count >= size:
                        break
                    ch = Node(None, p)           # b: parent back-pointer
                    ch.c = []
                    p.c.append(ch)
                    nxt.append(ch)
                    count += 1
            level = nxt
        made += 2 * count
    return made


SHAPES = {"self_loops": shape_self_loops, "two_cycles": shape_two_cycles,
          "rings_1k": shape_rings, "one_cycle": shape_one_cycle, "trees": shape_trees}


def w_garbage(shape, size):
    gc.disable()
    gc.collect()
    times, rates = [], []
    for _ in range(3):
        made = SHAPES[shape](size)
        t0 = perf()
        collected = gc.collect()
        dt = perf() - t0
        if collected < made:
            raise SystemExit("collected %d < %d" % (collected, made))
        times.append(dt)
        rates.append(collected / dt)
    return {"time": median(times), "objects_per_s": median(rates), "collected": made}


# ---- (c) steady-state allocation with automatic collection -----------------------------------

def w_steady(size):
    """`size` iterations of a request-like loop: a record (dict + list + instance) kept in a
    sliding window of 20k records; every 8th iteration leaves a small cycle behind."""
    from collections import deque
    pauses = {0: [], 1: [], 2: []}
    started = [0.0]

    def cb(phase, info):
        if phase == "start":
            started[0] = perf()
        else:
            pauses[info["generation"]].append(perf() - started[0])

    gc.collect()
    gc.enable()
    gc.callbacks.append(cb)
    window = deque(maxlen=20000)
    w0 = wall()
    t0 = perf()
    for i in range(size):
        node = Node([i, str(i)], {"id": i, "tags": ["a", "b"]})
        window.append(node)
        if i % 8 == 0:
            x = Node()
            x.a = Node(x, [x])
    cpu = perf() - t0
    w1 = wall() - w0
    gc.callbacks.remove(cb)
    out = {"time": cpu, "wall": w1}
    for g in range(3):
        p = pauses[g]
        out["gen%d" % g] = {"count": len(p), "p50": pct(p, 50), "p99": pct(p, 99),
                            "max": max(p) if p else 0.0, "all": p if g else p[::max(1, len(p) // 400)]}
    return out


# ---- (d) replicas of pyperformance's gc benchmarks ---------------------------------------------

def w_gc_collect(size):
    """pyperformance gc_collect: build `cycles` linked-list cycles of `links` nodes, drop them,
    time gc.collect()."""
    gc.disable()
    cycles, links = 100, 20
    times = []
    for _ in range(size):
        gc.collect()
        all_cycles = []
        for _ in range(cycles):
            first = prev = Node()
            for _ in range(links - 1):
                prev = Node(prev)
            first.a = prev
            all_cycles.append(first)
        del all_cycles, first, prev
        t0 = perf()
        collected = gc.collect()
        times.append(perf() - t0)
        assert collected >= cycles * links, collected
    return {"time": sum(times), "per_collect": median(times)}


def w_gc_traversal(size):
    """pyperformance gc_traversal: nested lists of lists (n_levels, quadratic edges), all live;
    time gc.collect() that finds nothing."""
    gc.disable()
    n_levels = 1000
    current = []
    for n in range(n_levels):
        new = [None] * n
        for i in range(n):
            new[i] = current
        current = new
    times = []
    for _ in range(size):
        gc.collect()
        t0 = perf()
        collected = gc.collect()
        times.append(perf() - t0)
        assert collected == 0, collected
    del current
    return {"time": sum(times), "per_collect": median(times)}


def w_create_gc_cycles(size):
    """pyperformance create_gc_cycles: create many small cycles with automatic collection on;
    wall time of the loop."""
    gc.collect()
    gc.enable()
    w0 = wall()
    t0 = perf()
    for _ in range(size):
        a = Node()
        b = Node(a)
        c = Node(b)
        a.a = c
    del a, b, c
    return {"time": perf() - t0, "wall": wall() - w0}


# ---- (e) the micro workload -------------------------------------------------------------------

def w_micro(size):
    """create / track / collect / untrack 10,000 objects, `size` times; median per round."""
    gc.disable()
    gc.collect()
    times = []
    for _ in range(size):
        t0 = perf()
        objs = [[i] for i in range(10000)]
        gc.collect()
        del objs
        times.append(perf() - t0)
    return {"time": median(times)}


# ---- (f) memory of a full collection ---------------------------------------------------------

def rss_kib():
    with open("/proc/self/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def w_memory(size):
    """Memory of the first full collection of `size` live objects in a fresh process:
    tracemalloc (it also traces PyMem_RawMalloc, vgc's allocator) peak above the start
    (transient) and what stays allocated afterwards (vgc's arena), and the RSS high-water
    mark delta."""
    import tracemalloc
    gc.disable()
    heap = build_heap(size)
    with open("/proc/self/clear_refs", "w") as f:   # reset VmHWM to the current RSS
        f.write("5")
    rss0, _ = rss_kib()
    tracemalloc.start()
    cur0, _ = tracemalloc.get_traced_memory()
    gc.collect()
    cur1, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss1, hwm = rss_kib()
    out = {"time": 0.0, "tracked": len(gc.get_objects()), "transient_bytes": peak - cur0,
           "retained_bytes": cur1 - cur0, "rss_delta_kib": hwm - rss0}
    if MODE == "vgc":
        st = vgc.status()
        for k in ("snapshot_objects", "snapshot_edges", "snapshot_bytes", "arena_bytes"):
            if k in st:
                out[k] = st[k]
    del heap
    return out


# ---- the floor --------------------------------------------------------------------------------

def w_floor(size):
    """Walk the headers of every tracked object and call tp_traverse once (bench/_vgcfloor.c);
    no mode: the same code in both."""
    import _vgcfloor
    gc.disable()
    heap = build_heap(size)
    gc.collect()
    walk, trav, visit = [], [], []
    for _ in range(5):
        walk.append(_vgcfloor.walk(2))
        trav.append(_vgcfloor.traverse(2, 0))
        visit.append(_vgcfloor.traverse(2, 1))
    n, e = _vgcfloor.count(2)
    del heap
    return {"time": median(visit), "walk": median(walk), "traverse": median(trav),
            "traverse_visit_headers": median(visit), "objects": n, "edges": e}


WORKLOADS = {
    "full_collect": w_full_collect,
    "garbage": w_garbage,
    "steady": w_steady,
    "gc_collect": w_gc_collect,
    "gc_traversal": w_gc_traversal,
    "create_gc_cycles": w_create_gc_cycles,
    "micro": w_micro,
    "memory": w_memory,
    "floor": w_floor,
}


def main():
    name = sys.argv[2]
    size = int(sys.argv[3])
    if name.startswith("garbage:"):
        res = w_garbage(name.split(":", 1)[1], size)
    else:
        res = WORKLOADS[name](size)
    if MODE == "vgc":
        st = vgc.status()
        res["vgc_fallbacks"] = st["fallbacks"]
        res["vgc_cpython_collected"] = st["cpython_collected"]
    res["python"] = "%d.%d.%d" % sys.version_info[:3]
    sys.stdout.write(json.dumps(res) + "\n")
    sys.stdout.flush()
    os._exit(0)                          # skip teardown of big heaps


if __name__ == "__main__":
    main()
