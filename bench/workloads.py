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
    """`size` objects of one garbage shape, then gc.collect(), timed; the median of 5 such
    collections (3 above 200,000 objects): one collection's CPU time varies by up to 1.67x
    within a process on this shared machine (s27c, stop 27: the `times` of every process are in
    the results JSON)."""
    gc.disable()
    gc.collect()
    times, rates = [], []
    for _ in range(5 if size <= 200000 else 3):
        made = SHAPES[shape](size)
        t0 = perf()
        collected = gc.collect()
        dt = perf() - t0
        if collected < made:
            raise SystemExit("collected %d < %d" % (collected, made))
        times.append(dt)
        rates.append(collected / dt)
    return {"time": median(times), "objects_per_s": median(rates), "collected": made,
            "times": times}


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
    (transient) and what stays allocated afterwards (retained; vgc keeps nothing between
    collections), and the RSS high-water mark delta; under vgc also status()'s kept_bytes
    (always 0) and peak_bytes (the largest successor buffer grown, 0 unless an object that is
    not an exact list or tuple has more than 1,024 references into the collection)."""
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
        out["kept_bytes"] = st["kept_bytes"]
        out["peak_bytes"] = st["peak_bytes"]
    del heap
    return out


# ---- (g) what users see: peak RSS, the heap that fits, the bytes kept ------------------------
#
# Three heap shapes, each grown chunk by chunk with automatic collection on (default thresholds):
#   chains  the reported case: linked objects (__slots__), each with a self-reference and a small
#           list; chains of 100 go through a window of recent chains, and every other chain that
#           leaves the window is dropped (cyclic garbage: self-references), the other kept live;
#   wide    many references per object: 8 slotted leaves (one reference each) per container, the
#           container a list (3 of 4) or dict (1 of 4) of 50-200 references to earlier objects;
#   ast     an AST-like tree: nodes (plain class: instance + children list + attrs dict) with
#           parent pointers, trees of ~1000 nodes ("modules") kept in a dict with a symbol table
#           dict; every 4th module is dropped (cyclic garbage through the parent pointers).
# A step adds one chunk to the live heap and returns its number of live tracked objects.

class Link:
    __slots__ = ("me", "items", "next")


class Leaf:
    __slots__ = ("ref", "n")


class AstNode:
    def __init__(self, kind, parent):
        self.kind = kind
        self.parent = parent
        self.children = []
        self.attrs = None


def _chain(k, i0):
    head = None
    for i in range(i0, i0 + k):
        x = Link()
        x.me = x
        x.items = [i, head]
        x.next = head
        head = x
    return head


def shape_chains(seed=3):
    from collections import deque
    live, recent = [], deque()
    st = {"i": 0, "flip": 0}
    K, WINDOW = 100, 64                    # 100 links = 200 tracked objects per chain

    def step():
        recent.append(_chain(K, st["i"]))
        recent.append(_chain(K, st["i"] + K))
        st["i"] += 2 * K
        added = 0
        while len(recent) > WINDOW:
            c = recent.popleft()
            st["flip"] ^= 1
            if st["flip"]:
                live.append(c)
                added += 2 * K
        return added
    return step, (live, recent)


_KEYS = tuple("k%d" % i for i in range(200))


def shape_wide(seed=4):
    rnd = random.Random(seed)
    pool = []
    st = {"n": 0}

    def step():
        # 8 leaves and one container of 50-200 references per record, 50 records per chunk
        added = 0
        for _ in range(50):
            m = len(pool)
            for _ in range(8):
                x = Leaf()
                x.n = m
                x.ref = pool[int(rnd.random() * m)] if m else None
                pool.append(x)
            m = len(pool)
            k = rnd.randint(50, 200)
            s = rnd.randrange(max(1, m - k))
            if st["n"] % 4 == 3:
                c = dict(zip(_KEYS[:k], pool[s:s + k]))
            else:
                c = pool[s:s + k]
            st["n"] += 1
            pool.append(c)
            added += 9
        return added
    return step, pool


_KINDS = ("Module", "FunctionDef", "Assign", "Call", "Name", "Attribute", "BinOp", "Constant")


def shape_ast(seed=5):
    rnd = random.Random(seed)
    modules, symbols = {}, {}
    st = {"m": 0}

    def step():
        m = st["m"]
        st["m"] += 1
        root = AstNode("Module", None)
        root.attrs = {"name": "mod%d" % m, "lineno": 1}
        nodes = [root]
        for i in range(1, 1000):
            parent = nodes[rnd.randrange(max(0, i - 20), i)]
            n = AstNode(_KINDS[i % 8], parent)
            n.attrs = {"lineno": i, "col_offset": i % 80, "ctx": parent}
            parent.children.append(n)
            nodes.append(n)
        if m % 4 == 3:
            return 0                        # dropped: cyclic garbage (parent <-> children)
        modules["mod%d" % m] = root
        for n in nodes[::50]:
            symbols[(m, n.attrs["lineno"])] = n
        return 3 * 1000
    return step, (modules, symbols)


MEM_SHAPES = {"chains": shape_chains, "wide": shape_wide, "ast": shape_ast}


def _proc_status():
    with open("/proc/self/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    return {k: int(fields[k].split()[0]) for k in ("VmRSS", "VmHWM", "VmSize", "VmPeak")}


def _maxrss():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss     # KiB on Linux


def _vgc_mem(st):
    """The status() fields about memory: kept_bytes (held between collections: 0, every
    collection is decided in place) and peak_bytes (the largest successor buffer grown since
    install()); "kept" repeats kept_bytes (the fit rows report it)."""
    return {"kept_bytes": st["kept_bytes"], "peak_bytes": st["peak_bytes"],
            "kept": st["kept_bytes"]}


def _mallinfo():
    """glibc's view: brk heap (arena), mmapped chunks (hblkhd), in use, free in the heap."""
    try:
        import ctypes

        class MI2(ctypes.Structure):
            _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks",
                                                       "hblkhd", "usmblks", "fsmblks",
                                                       "uordblks", "fordblks", "keepcost")]
        libc = ctypes.CDLL(None)
        libc.mallinfo2.restype = MI2
        mi = libc.mallinfo2()
        return {"heap": mi.arena, "mmapped": mi.hblkhd, "in_use": mi.uordblks,
                "free_in_heap": mi.fordblks}
    except Exception:                       # noqa: BLE001  (not glibc)
        return {}


def w_rss(shape, size):
    """Peak RSS (ru_maxrss, nothing subtracted) of growing `size` live tracked objects of one shape
    with automatic collection on (default thresholds), then one explicit gc.collect(2); the
    baseline after imports; under vgc the bytes it keeps and the largest buffer it grew
    (status(): kept_bytes, peak_bytes) after the run and after the final collection, kept_bytes
    after every full collection (gc.callbacks; 0 each time), and in both modes the RSS given
    back when malloc_trim(0) is called at the end."""
    import ctypes                           # noqa: F401  (imported in both modes, before the baseline)
    g2 = []

    def cb(phase, info):                    # what vgc keeps after each full collection
        if phase == "stop" and info["generation"] == 2 and MODE == "vgc":
            g2.append(vgc.status()["kept_bytes"])
    gc.callbacks.append(cb)
    base = _proc_status()
    base_maxrss = _maxrss()
    step, heap = MEM_SHAPES[shape]()
    gc.enable()
    built = 0
    t0 = perf()
    while built < size:
        built += step()
    grow_cpu = perf() - t0
    out = {"time": 0.0, "built": built, "grow_cpu": grow_cpu, "base_maxrss_kib": base_maxrss,
           "base_rss_kib": base["VmRSS"]}
    if MODE == "vgc":
        out["after_run"] = _vgc_mem(vgc.status())
    t0 = perf()
    gc.collect(2)
    out["collect_cpu"] = perf() - t0
    out["maxrss_kib"] = _maxrss()
    end = _proc_status()
    out["rss_end_kib"] = end["VmRSS"]
    out["vmpeak_kib"] = end["VmPeak"]
    out["malloc"] = _mallinfo()
    gc.callbacks.remove(cb)
    if MODE == "vgc":
        st = vgc.status()
        out["after_collect"] = _vgc_mem(st)
        out["kept_after_full"] = g2
        out["full_collections"] = len(g2)
    try:
        import ctypes
        ctypes.CDLL(None).malloc_trim(0)
    except Exception:                       # noqa: BLE001
        pass
    out["rss_after_trim_kib"] = _proc_status()["VmRSS"]
    out["tracked"] = len(gc.get_objects())
    return out


def w_fit(shape, limit_mb):
    """The live heap that fits under RLIMIT_AS = limit_mb MB: grow one shape chunk by chunk (with
    automatic collection on) until MemoryError; report the live tracked objects of the completed
    chunks.  The handler allocates nothing: an 8 MiB ballast taken before the limit is freed
    first, then the limit is lifted."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    step, heap = MEM_SHAPES[shape]()
    ballast = bytearray(8 << 20)
    gc.enable()
    resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, hard))
    done = [0, 0]                           # chunks, objects: preallocated, updated in place
    try:
        while True:
            n = step()
            done[1] += n
            done[0] += 1
    except MemoryError:
        pass
    del ballast
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    out = {"time": 0.0, "limit_mb": limit_mb, "chunks": done[0], "objects": done[1],
           "vmpeak_kib": _proc_status()["VmPeak"]}
    if MODE == "vgc":
        out["after_run"] = _vgc_mem(vgc.status())
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
    elif name.startswith("rss:"):
        res = w_rss(name.split(":", 1)[1], size)
    elif name.startswith("fit:"):
        res = w_fit(name.split(":", 1)[1], size)
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
