"""cpython_graph.py — the Python half of the `cpython` fuzz harness (fuzz/fuzz_cpython.c).

Not in proof scope.  `check(data)` decodes `data` into a program that builds a graph of Python
objects — lists, dicts, tuples, instances, classes, generators, objects with `__del__` (some
resurrecting), weakrefs with callbacks, legacy `tp_del` objects — drops the external references
the program says to drop, and collects.  It runs the program twice in this interpreter, once
under CPython's own collector and once with vgc installed, and raises AssertionError unless every
observable is identical: collect()'s return value, which objects died (weakrefs), the order of
finalizers and weakref callbacks, gc.garbage, the gc.callbacks info dicts and the stats deltas.
Every byte string is a valid program (decoding is total).  Usable without the C harness:
`python3 fuzz/cpython_graph.py FILE...` replays inputs (with build/py3.X.Y on PYTHONPATH).
"""
import gc as _stock_gc
import sys
import weakref

try:
    import _testcapi
    _with_tp_del = getattr(_testcapi, "with_tp_del", None)
except ImportError:  # pragma: no cover - release builds without _testcapi
    _with_tp_del = None

import vgc

MAX_OBJECTS = 24
LOG = []            # finalizer and weakref-callback events, in order
RESURRECTED = []    # objects that resurrected themselves in __del__


class Node:
    __slots__ = ("label", "__dict__", "__weakref__")


class L(list):
    __slots__ = ("label", "__weakref__")


class D(dict):
    __slots__ = ("label", "__weakref__")


class Fin(Node):
    __slots__ = ()

    def __del__(self):
        LOG.append(("del", self.label))


class Res(Node):
    __slots__ = ()

    def __del__(self):
        LOG.append(("res", self.label))
        RESURRECTED.append(self)


class _Legacy(Node):
    __slots__ = ()

    def __tp_del__(self):
        LOG.append(("tp_del", self.label))


Legacy = _with_tp_del(_Legacy) if _with_tp_del else Node


def _gen(box):
    # A generator whose frame holds `box`; box.refs may hold the generator: a frame cycle.
    yield box
    yield box


KINDS = ("node", "list", "dict", "fin", "res", "tuple", "legacy", "class", "gen")


def _decode(data):
    """(kinds, edges, roots, weak, generation) from bytes; total on every input.  Byte i of the
    input, or a default past its end: n - 1, n kinds, n root bytes, n weak bytes, the generation,
    then edge pairs (a trailing odd byte is ignored)."""
    data = bytes(data)
    size = len(data)
    n = 1 + (data[0] if size else 0) % MAX_OBJECTS
    head = data[1:1 + 3 * n] + bytes(max(0, 3 * n - (size - 1)))   # zero-padded past the end
    nk = len(KINDS)
    kinds = [KINDS[b % nk] for b in head[:n]]
    roots = {i for i, b in enumerate(head[n:2 * n]) if b % 4 == 0}
    weak = {i for i, b in enumerate(head[2 * n:3 * n]) if b % 3 == 0}
    pos = 1 + 3 * n
    generation = (data[pos] if pos < size else 2) % 3
    rest = data[pos + 1:]
    edges = [(rest[j] % n, rest[j + 1] % n) for j in range(0, len(rest) - 1, 2)]
    return kinds, edges, roots, weak, generation


def _run(program, collect):
    """Build the program's graph (decoded by _decode), drop it, collect; return the
    observables."""
    kinds, edges, roots, weak, generation = program
    n = len(kinds)
    objs = [None] * n
    o = src = dst = None
    boxes = {}            # generator index -> the list its frame holds (its outgoing edges)
    # Everything but tuples first; tuples need their contents at creation.
    for i, k in enumerate(kinds):
        if k == "node":
            o = Node()
        elif k == "list":
            o = L()
        elif k == "dict":
            o = D()
        elif k == "fin":
            o = Fin()
        elif k == "res":
            o = Res()
        elif k == "legacy":
            o = Legacy()
        elif k == "class":
            o = type("C%d" % i, (), {})
        elif k == "gen":
            boxes[i] = L()
            o = _gen(boxes[i])
            next(o)           # started: its frame now references the box
        else:
            o = None          # tuple, built below
        objs[i] = o
    for i, o in enumerate(objs):
        if o is not None and kinds[i] not in ("class", "gen"):
            o.label = i
    tuple_items = {i: [] for i, k in enumerate(kinds) if k == "tuple"}
    later = []
    for a, b in edges:
        if kinds[a] == "tuple":
            if kinds[b] != "tuple" or b < a:
                tuple_items[a].append(b)
        else:
            later.append((a, b))
    for i in sorted(tuple_items):
        objs[i] = tuple(objs[j] for j in tuple_items[i])
    for a, b in later:
        src, dst = objs[a], objs[b]
        k = kinds[a]
        if k == "list":
            src.append(dst)
        elif k == "dict":
            src[len(src)] = dst
        elif k == "class":
            setattr(src, "r%d" % len(src.__dict__), dst)
        elif k == "gen":
            boxes[a].append(dst)
        else:
            src.__dict__["r%d" % len(src.__dict__)] = dst

    refs = []
    for i in sorted(weak):
        o = objs[i]
        if kinds[i] == "tuple":
            continue
        try:
            refs.append((i, weakref.ref(o, lambda r, i=i: LOG.append(("weakref", i)))))
        except TypeError:
            pass
    watch = []
    for i, o in enumerate(objs):
        if kinds[i] != "tuple":
            watch.append((i, weakref.ref(o)))
    kept = [objs[i] for i in sorted(roots)]
    del objs, boxes, tuple_items, later, o, src, dst
    infos = []

    def cb(phase, info):
        infos.append((phase, dict(info)))

    before = [dict(s) for s in vgc.get_stats()]
    status = vgc._vgc._status()          # the raw counters: vgc.status() costs ~9% of a run
    collect.callbacks.append(cb)
    try:
        ret = collect.collect(generation)
    finally:
        collect.callbacks.remove(cb)
    if collect is vgc:
        # The oracle compares vgc with CPython: make sure it was vgc that collected (one
        # collection of that generation, through the proved core, no fallback to CPython's own).
        now = vgc._vgc._status()
        assert now["collections"][generation] == status["collections"][generation] + 1 and \
            now["fallbacks"] == status["fallbacks"] and \
            now["cpython_collected"] == status["cpython_collected"], \
            "vgc did not run the collection: %r -> %r" % (status, now)
    after = [dict(s) for s in vgc.get_stats()]
    stats = [{k: after[g][k] - before[g][k] for k in after[g]} for g in range(3)]
    dead = sorted(i for i, r in watch if r() is None)
    garbage = [getattr(o, "label", type(o).__name__) for o in _stock_gc.garbage]
    log = list(LOG)
    resurrected = sorted(getattr(o, "label", -1) for o in RESURRECTED)
    del kept, refs, watch
    _cleanup()
    return {"collect": ret, "dead": dead, "log": log, "garbage": garbage,
            "resurrected": resurrected, "callbacks": infos, "stats": stats}


_frozen = False


def _cleanup():
    """Free everything the program left: the roots just dropped may form new garbage, legacy
    cycles in gc.garbage need breaking by hand, and resurrected objects must be let go; repeat
    until a collection finds nothing, so that the next run starts from the same state."""
    for _ in range(16):
        for o in _stock_gc.garbage:
            if isinstance(o, Node):
                o.__dict__.clear()
        o = None              # the loop variable would keep the last object alive
        _stock_gc.garbage.clear()
        RESURRECTED.clear()
        if _stock_gc.collect() == 0 and not _stock_gc.garbage and not RESURRECTED:
            break
    LOG.clear()


def check(data):
    """Run `data` under stock gc and under vgc; raise AssertionError on any difference.
    Automatic collection is off meanwhile, so only the program's own collect() runs."""
    global _frozen
    if vgc.status()["installed"]:
        vgc.uninstall()
    if not _frozen:
        # Everything that exists before the first program goes to the permanent generation, so
        # that each collection below only looks at the program's objects (fast, and the
        # observables only depend on the program).
        _stock_gc.collect()
        _stock_gc.freeze()
        _frozen = True
    program = _decode(data)
    enabled = _stock_gc.isenabled()
    _stock_gc.disable()
    try:
        _stock_gc.collect()
        stock = _run(program, _stock_gc)
        # Start from empty young generations again (install() itself makes no garbage).
        _stock_gc.collect()
        vgc.install()
        try:
            mine = _run(program, vgc)
        finally:
            vgc.uninstall()
    finally:
        if enabled:
            _stock_gc.enable()
    if stock != mine:
        diff = {k: (stock[k], mine[k]) for k in stock if stock[k] != mine[k]}
        raise AssertionError("stock gc and vgc differ on %r: %r" % (bytes(data), diff))
    return stock


def main(paths):
    n = 0
    for p in paths:
        with open(p, "rb") as f:
            check(f.read())
        n += 1
    print("replayed %d inputs: stock gc and vgc agree" % n)


if __name__ == "__main__":
    main(sys.argv[1:])
