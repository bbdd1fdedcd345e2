"""cpython_graph.py — the Python half of the `cpython` fuzz harness (fuzz/fuzz_cpython.c).

Not in proof scope.  `check(data)` decodes `data` into a program that builds a graph of Python
objects — lists, dicts, tuples, instances, classes, generators, objects with `__del__` (some
resurrecting), weakrefs with callbacks, legacy `tp_del` objects — drops the external references
the program says to drop, and collects.  It runs the program twice in this interpreter, once
under CPython's own collector and once with vgc installed, and raises AssertionError unless every
observable is identical: collect()'s return value, which objects died (weakrefs), the order of
finalizers and weakref callbacks, gc.garbage, the gc.callbacks info dicts and the stats deltas,
and which of the dicts and tuples it still holds are tracked.  The vgc run also checks vgc's own
counters: the collection was vgc's, decided in place (or, when a fault step asks for it, handed
to CPython's collector: a fallback), and its successor buffer grew as the program requires.
Every byte string is a valid program (decoding is total).  Usable without the C harness:
`python3 fuzz/cpython_graph.py FILE...` replays inputs (with build/py3.X.Y on PYTHONPATH).
"""
import gc as _stock_gc
import importlib
import os
import struct
import sys
import threading
import weakref

os.environ.setdefault("VGC_VALIDATE", "1")   # vgc checks every list after each collection
# (and so also runs the resurrection re-check on every collection: the harness counts on both).
# Every collection is decided in place (src/cpython/inplace.c): there is one design, and
# VGC_DESIGN is ignored by the adapter.

import _testcapi                  # set_nomemory: the pyenv builds have it

import vgc
import importlib.machinery as _machinery

# importlib.reload(vgc) compiles python/vgc/__init__.py again whenever no bytecode cache can be
# read or written (PYTHONDONTWRITEBYTECODE=1 on the development machine, a read-only checkout):
# the compiler was a quarter of the harness's time on inputs with reloads.  The reload still
# finds a new spec and loader and executes the module body afresh; only the code object of
# vgc's own source is reused (same file, same text).
_VGC_CODE = {}
_get_code = _machinery.SourceFileLoader.get_code


def _get_code_cached(loader, fullname):
    path = loader.get_filename(fullname)
    if path != vgc.__file__:
        return _get_code(loader, fullname)
    code = _VGC_CODE.get(path)
    if code is None:
        code = _VGC_CODE[path] = _get_code(loader, fullname)
    return code


_machinery.SourceFileLoader.get_code = _get_code_cached

_STOCK_COLLECT = _stock_gc.collect     # the builtin, before any install()
MAX_OBJECTS = 24
LOG = []            # finalizer and weakref-callback events, in order
RESURRECTED = []    # objects that resurrected themselves in __del__


class Node:
    # No __slots__: a plain instance (its attributes in a managed dict), which vgc reads
    # directly rather than through tp_traverse (src/cpython/traverse.h); so are Fin, Res and
    # Legacy (`__slots__ = ()`).  Attributes are set with setattr, never through __dict__: a
    # materialized __dict__ that outlives its instance keeps pointing into the freed instance
    # on 3.13.0 when an allocation fails as the instance dies (_PyDict_DetachFromObject's
    # copy), and CPython's own dict_traverse then reads freed memory (stock gc alone, under
    # valgrind); the NOMEM steps below would reach that CPython bug.
    pass


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




def _gen(box):
    # A generator whose frame holds `box`; box.refs may hold the generator: a frame cycle.
    yield box
    yield box


KINDS = ("node", "list", "dict", "fin", "res", "tuple", "legacy", "class", "gen",
         # _vgctest.Node (tests/c/vgctest_module.c) by tp_traverse mode: visits its child /
         # first tracks a new list as its child / visits it twice / hides it / allocates /
         # tracks and untracks a new list
         "c_normal", "c_track", "c_twice", "c_skip", "c_alloc", "c_untrack")
C_MODES = {"c_normal": 0, "c_track": 1, "c_twice": 2, "c_skip": 3, "c_alloc": 4, "c_untrack": 5}

# Step flags: the generation byte G gives the generation (G % 3) and the flags (G // 3).
NOMEM = 1      # the k-th allocation (PyMem/PyObject/raw, _testcapi.set_nomemory(k, k + 1)) made
               # from the collect() call on fails: CPython may lose the "stop" callback
DEEP = 2       # collect() called d frames below a recursion limit set just above the program
RELOAD = 4     # install/uninstall/importlib.reload(vgc)/reload(gc) between the steps
THREAD = 8     # the collection (with its finalizers and callbacks) runs in a second thread
AGAIN = 16     # then collect(1) (the collection after a tp_traverse tracked something)
API = 32       # two parameter bytes: a fault for vgc's collection (f) and the configuration (c)
# RELOAD's parameter byte r: 1 reload(vgc), 2 uninstall()+install() (vgc run), 4 reload of
# sys.modules["gc"], all before the collection; 8 reload(vgc) + uninstall()+install() after it.
# API's fault byte f.  Every collection is decided in place; vgc's only allocation in one is the
# growth of its successor buffer past a static 1,024 entries, needed only by an object that is
# not an exact list or tuple with more than 1,024 references into the collection.  So f % 4 =
#   0  no fault;
#   1  a growth of the successor buffer fails (_fail_alloc_after(j)): the collection must still
#      be vgc's, decided in place with the same observables (the buffer is refilled by
#      traversing again; never a fallback);
#   2  the same growth failure, and the collection handed to CPython's collector after vgc's
#      pass (_corrupt_next(1)): a fallback, with the same observables;
#   3  a fallback alone (_corrupt_next(1)).  (This kind and kind 2 were the array snapshot's
#      refused snapshot and edge limit; f // 4 is now ignored here.)
# For kinds 1 and 2 both runs add a "wide" object to the program, so that the buffer grows:
# WIDE_SELF references to itself (self-cyclic; 4 growths, 1,024 -> 16,384 entries, each time vgc
# hands its successors over), and f // 32 = its shape: 1 held by a garbage legacy (tp_del)
# object, 2 it also references the program's objects (spread over its references, so they fall
# in different chunks of a refill), 4 a D (dict subclass, int keys) instead of an L (list
# subclass).  The wide object is always garbage.  Since stop 20 only phase 3 (the closure from
# legacy finalizers) uses the buffer (phases 1 and 2 act as they traverse), so only a wide object
# that a legacy object holds makes it grow: G = 4 growths in the decision, the one that fails
# j = 1 + (f // 4) % G; otherwise none (G = 0: nothing to fail, no growth).  f = 252 (no
# fault): 1,200 more lists, exact lists of 9,000 items (read in chunks), a held list subclass
# with 5,000 references and a garbage dict subclass with 1,500: vgc's buffer must not grow at
# all (_alloc_count() == 0, peak_bytes == 0).
# API's configuration byte c: 1 install(verify=True), 2 uninstall() + install() (the counters
# must all start again from zero; with 1 too: verify=True), 4 DEBUG_SAVEALL, 8 DEBUG_STATS |
# DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE (both runs), 16 collect(generation=g) by keyword, 32 a
# "start" callback that calls collect() (a no-op during a collection) and, in the vgc run,
# uninstall() (must raise RuntimeError), 64 the gc API's readers on the live objects
# (get_referrers/get_referents/is_tracked/get_count/get_debug/
# get_objects(generation=)), compared; 128 install() again (idempotent) and vgc.status().
WIDE_SELF = 8300            # > 8,192: the buffer grows 1,024 -> 2,048 -> 4,096 -> 8,192 -> 16,384
WIDE_GROWTHS = 4            # growths each time vgc traverses the wide object from a 1,024 buffer
POINTER = struct.calcsize("P")
_WIDE_KEYS = tuple(range(WIDE_SELF + WIDE_SELF // 64 + 1))


def _fault(flags, params):
    """(kind, j, shape) of the API step's fault byte (see above): kind 0-3, j the growth of the
    successor buffer that fails (kinds 1, 2; else 0), shape the wide object's bits."""
    if not flags & API:
        return 0, 0, 0
    f = params["f"]
    kind, shape = f % 4, f // 32
    if kind not in (1, 2):
        return kind, 0, shape
    # only a wide object a legacy object holds is handed over in chunks (phase 3 scans it;
    # phases 1 and 2 need no buffer since stops 19 and 20): it alone can reach the fault
    growths = WIDE_GROWTHS if shape & 1 else 0
    return kind, 1 + (f // 4) % growths if growths else 0, shape

try:
    import _vgctest

    class CNode(_vgctest.Node):
        __slots__ = ("label", "__weakref__")
except ImportError:  # pragma: no cover - python3 fuzz/cpython_graph.py without make ext
    _vgctest = None
    CNode = None

# The legacy (tp_del) kind: _vgctest.with_tp_del, not _testcapi.with_tp_del, whose 3.13 version
# leaks the object when an allocation of its own fails (NOMEM: tests/c/vgctest_module.c).
Legacy = _vgctest.with_tp_del(_Legacy) if _vgctest is not None else Node


def _decode(data):
    """(kinds, edges, roots, weak, generation, flags, params) from bytes; total on every input.
    Byte i of the input, or a default past its end: n - 1, n kinds, n root bytes, n weak bytes,
    the generation byte G (generation G % 3, step flags G // 3), one parameter byte for each of
    NOMEM (k - 1), DEEP (d), RELOAD (r), two for API (f, c) that is set, in that order, then
    edge pairs (a trailing
    odd byte is ignored).  Inputs with G < 3 are the harness's original language."""
    data = bytes(data)
    size = len(data)
    n = 1 + (data[0] if size else 0) % MAX_OBJECTS
    head = data[1:1 + 3 * n] + bytes(max(0, 3 * n - (size - 1)))   # zero-padded past the end
    nk = len(KINDS)
    kinds = [KINDS[b % nk] for b in head[:n]]
    roots = {i for i, b in enumerate(head[n:2 * n]) if b % 4 == 0}
    weak = {i for i, b in enumerate(head[2 * n:3 * n]) if b % 3 == 0}
    pos = 1 + 3 * n
    g = data[pos] if pos < size else 2
    generation, flags = g % 3, (g // 3) & 63
    pos += 1
    params = {}
    for flag, keys in ((NOMEM, "k"), (DEEP, "d"), (RELOAD, "r"), (API, "fc")):
        if flags & flag:
            for key in keys:
                params[key] = data[pos] if pos < size else 0
                pos += 1
    rest = data[pos:]
    edges = [(rest[j] % n, rest[j + 1] % n) for j in range(0, len(rest) - 1, 2)]
    return kinds, edges, roots, weak, generation, flags, params


def _depth():
    f, n = sys._getframe(1), 0
    while f is not None:
        n, f = n + 1, f.f_back
    return n


def _collect_call(collect, generation, flags, params):
    """collect.collect(generation) as the step flags say; returns its result, or the name of
    the exception it raised."""
    kw = flags & API and params["c"] & 16

    def call():
        if flags & NOMEM:
            k = params["k"] + 1
            _testcapi.set_nomemory(k, k + 1)
            try:
                if kw:
                    return collect.collect(generation=generation)
                return collect.collect(generation)
            except MemoryError:
                return "MemoryError"
            finally:
                _testcapi.remove_mem_hooks()
        if kw:
            return collect.collect(generation=generation)
        return collect.collect(generation)

    def deep():
        if not flags & DEEP:
            return call()
        base = _depth()
        limit = base + 64
        target = limit - 2 - params["d"] % 56      # the frame depth that calls collect()

        def rec(n):
            if n < target:
                return rec(n + 1)
            return call()
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(limit)
        try:
            return rec(base + 1)
        except RecursionError:
            return "RecursionError"
        finally:
            sys.setrecursionlimit(old)

    if not flags & THREAD:
        return deep()
    return _in_worker(deep)


_worker = None
_job = []


def _in_worker(fn):
    """fn() in the second thread (started once: a thread start costs ~30 ms under ASan), while
    this thread waits; its result, or the name of the exception it raised."""
    global _worker
    if _worker is None:
        _job[:] = [threading.Condition(), None, None]

        def loop():
            try:
                import _vgcfuzz                     # the C harness: LeakSanitizer off here too
                _vgcfuzz.lsan_disable()
            except ImportError:
                pass
            cond = _job[0]
            with cond:
                while True:
                    while _job[1] is None:
                        cond.wait()
                    try:
                        _job[2] = ("ok", _job[1]())
                    except BaseException as e:        # reported as the result, compared
                        _job[2] = ("raised", type(e).__name__)
                    _job[1] = None
                    cond.notify_all()
        _worker = threading.Thread(target=loop, name="vgc-fuzz-worker", daemon=True)
        _worker.start()
    cond = _job[0]
    with cond:
        _job[1], _job[2] = fn, None
        cond.notify_all()
        while _job[2] is None:
            cond.wait()
        kind, value = _job[2]
        _job[2] = None
    return value if kind == "ok" else value


def _reload_steps(r, is_vgc):
    if r >= 32:
        return              # a reload costs ~10 ms: only r < 32 (1 in 8 random bytes) has steps
    if r & 1:
        importlib.reload(vgc)
    if r & 2 and is_vgc:
        vgc.uninstall()
        vgc.install()
    if r & 4:
        # reload of what `import gc` gives: vgc in the vgc run (a module named "gc" whose
        # sys.modules entry is vgc); the stock run reloads vgc too, so that both runs leave the
        # same objects behind.
        importlib.reload(sys.modules["gc"] if is_vgc else vgc)
    if is_vgc:
        assert sys.modules["gc"] is vgc and vgc.status()["installed"], "vgc not installed"
    else:
        assert sys.modules["gc"] is _stock_gc and not vgc.status()["installed"]


def _where(objs):
    """For each (label, object): its generation (0-2), 'untracked', or an AssertionError when a
    tracked object is in no generation list or in several."""
    gens = [{id(o) for o in _stock_gc.get_objects(g)} for g in range(3)]
    out = []
    for label, o in objs:
        if not _stock_gc.is_tracked(o):
            out.append((label, "untracked"))
            continue
        w = [g for g in range(3) if id(o) in gens[g]]
        assert len(w) == 1, \
            "tracked object %r (%s) is in generation lists %r" % (label, type(o).__name__, w)
        out.append((label, w[0]))
    return out


_PROGRAM_TYPES = tuple(t for t in (Node, L, D, CNode, type(_gen(None))) if t is not None)


def _leftover():
    """The program's objects still in a generation list once it has been cleaned up, by type
    (none expected: every object was dropped and collected): an object lost from the lists
    while alive would be missing here, one leaked would stay."""
    left = {}
    for o in _stock_gc.get_objects():
        if isinstance(o, _PROGRAM_TYPES) or (isinstance(o, type) and
                                             o.__module__ == __name__ and o.__name__[0] == "C"):
            name = type(o).__name__
            left[name] = left.get(name, 0) + 1
    return sorted(left.items())


# not generators: a frame leads to the harness's own globals, which differ between the runs
_FOLLOWED = tuple(t for t in (Node, L, D, CNode) if t is not None)


def _containers(roots, limit=4000):
    """Whether each dict and tuple the program still holds is tracked, breadth-first from its
    roots over get_referents (following lists, dicts, tuples and the program's instances only):
    CPython untracks some of them during collections (untrack_tuples; untrack_dicts in full
    collections), which no weakref can watch; vgc must untrack exactly the same ones."""
    seen, out, queue, k = set(), [], list(roots), 0
    while k < len(queue) and len(out) < limit:
        o = queue[k]
        k += 1
        if id(o) in seen:
            continue
        seen.add(id(o))
        if type(o) in (dict, tuple):
            out.append((type(o).__name__, len(o), _stock_gc.is_tracked(o)))
        if type(o) in (list, dict, tuple) or isinstance(o, _FOLLOWED):
            queue.extend(_stock_gc.get_referents(o))
    return out


def _readers(collect, watch):
    """The gc API's readers (stock's functions, forwarded by vgc) on the program's live
    objects, as labels."""
    live = [r() for i, r in watch if r() is not None]
    label = {id(o): getattr(o, "label", None) for o in live}
    out = [sorted(str(label.get(id(x), type(x).__name__)) for x in collect.get_referents(*live)
                  if id(x) in label),
           [collect.is_tracked(o) for o in live], collect.get_count()[1:], collect.get_debug(),
           [len([x for x in collect.get_objects(generation=g) if id(x) in label])
            for g in range(3)],
           [sorted(str(label[id(x)]) for x in collect.get_referrers(o) if id(x) in label)
            for o in live[:4]]]
    del live
    return out


def _run(program, collect):
    """Build the program's graph (decoded by _decode), drop it, collect; return the
    observables."""
    kinds, edges, roots, weak, generation, flags, params = program
    is_vgc = collect is vgc
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
        elif k in C_MODES:
            o = CNode(C_MODES[k]) if CNode is not None else Node()
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
    nattr = {}                # a -> the attributes set on object a so far
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
        elif k in C_MODES and CNode is not None:
            if src.child is None:          # one reference; the first edge sets it
                src.child = dst
        else:
            nattr[a] = nattr.get(a, 0) + 1
            setattr(src, "r%d" % (nattr[a] - 1), dst)
    fault, fail_at, shape = _fault(flags, params)
    wide = holder = None
    if fault in (1, 2):
        # The API step's wide object (kinds 1, 2), in both runs: WIDE_SELF references to itself,
        # with shape & 2 one to a program object after every 64 of them.
        wide = D() if shape & 4 else L()
        wide.label = "wide"
        if shape & 2:
            items = [wide] * (WIDE_SELF + WIDE_SELF // 64 + 1)
            items[::65] = [objs[k % n] for k in range(len(items[::65]))]
            wide_roots = objs[:]             # it references every program object
        else:
            items = [wide] * WIDE_SELF
            wide_roots = []
        if shape & 4:
            wide.update(zip(_WIDE_KEYS, items))     # int keys made once, not per run
        else:
            wide.extend(items)
        del items
        if shape & 1:
            # phase 3 hands the wide object's successors over (a legacy object holds it; both
            # end in gc.garbage's closure, in both runs)
            holder = Legacy()
            holder.label = "wide holder"
            holder.wide = wide
            holder.me = holder                  # cyclic: only a collection finds it

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
    # The wide object is garbage (held, if at all, by a garbage legacy object): nothing keeps it.
    held = None
    wide_roots = []
    del objs, boxes, tuple_items, later, o, src, dst, wide, holder
    infos = []

    def cb(phase, info):
        infos.append((phase, dict(info)))

    def nested(phase, info):
        # A gc.callbacks callback re-entering the collector: collect() does nothing during a
        # collection, and vgc cannot be uninstalled in the middle of one.
        if phase == "start":
            infos.append(("nested collect", collect.collect()))
            if is_vgc:
                try:
                    vgc.uninstall()
                except RuntimeError:
                    infos.append("uninstall refused")
            else:
                infos.append("uninstall refused")

    if flags & RELOAD:
        _reload_steps(params["r"], is_vgc)
    f = c = 0
    if flags & API:
        f, c = params["f"], params["c"]
        if is_vgc and c & 3:
            vgc.uninstall()
            vgc.install(verify=bool(c & 1))
            if c & 2:
                # install() starts every counter from zero (vgc.status() is "since install()")
                st = vgc._vgc._status()
                assert st["installed"] and tuple(st["collections"]) == (0, 0, 0) and all(
                    st[k] == 0 for k in ("collected", "uncollectable", "fallbacks",
                                         "cpython_collected", "fallback_collected", "lost_stops",
                                         "validated", "verified", "verify_skipped",
                                         "skip_checked", "recheck_in_place", "peak_bytes",
                                         "kept_bytes")) and st["verify"] == bool(c & 1), \
                    "counters after uninstall() + install(): %r" % (st,)
                del st
        if c & 12:
            collect.set_debug((_stock_gc.DEBUG_SAVEALL if c & 4 else 0) |
                              (_stock_gc.DEBUG_STATS | _stock_gc.DEBUG_COLLECTABLE |
                               _stock_gc.DEBUG_UNCOLLECTABLE if c & 8 else 0))
        if c & 32:
            collect.callbacks.append(nested)
        if is_vgc and fault in (1, 2):
            vgc._vgc._fail_alloc_after(fail_at)
        if is_vgc and fault in (2, 3):
            vgc._vgc._corrupt_next(1)
    big = None
    if f == 252:
        # Volume for the in-place host, held and garbage alike: 600 held lists and 600 garbage
        # ones, 8 references each among their own half; an exact list of 9,000 items in each
        # half (more than the buffer ever holds: read straight from ob_item in chunks, each
        # resumed where the last one ended); a held L with 5,000 references and a garbage D
        # with 1,500 (phases 1 and 2 act as they traverse: no growth).
        alive = [[] for _ in range(600)]
        trash = [[] for _ in range(600)]
        for part in (alive, trash):
            twice = part * 2
            for i, x in enumerate(part):
                k = (i * 7 + 1) % 600
                x.extend(twice[k:k + 8])
        wide_held = L()
        wide_held.label = "big"
        wide_held.extend(alive * 8 + alive[:200])
        wide_trash = D()
        wide_trash.label = "big"
        wide_trash.update(zip(_WIDE_KEYS, trash * 2 + trash[:300]))
        trash[0].append(wide_trash)
        trash[1].append(trash * 15)
        big = [alive, wide_held, alive * 15]
        del alive, trash, part, twice, x, wide_held, wide_trash
    before = [dict(s) for s in vgc.get_stats()]
    if is_vgc:
        vgc._vgc._alloc_count(True)      # growths of the successor buffer, from now on
    status = vgc._vgc._status()          # the raw counters: vgc.status() costs ~9% of a run
    fell = 0
    collect.callbacks.append(cb)
    try:
        ret = _collect_call(collect, generation, flags, params)
        if is_vgc and not flags & NOMEM and isinstance(ret, int):
            # The oracle compares vgc with CPython: make sure it was vgc that collected (one
            # collection of that generation, decided in place, CPython's own pass finding
            # nothing after it, the resurrection re-check run (VGC_VALIDATE=1 runs it on every
            # collection), every generation list validated afterwards) -- or, when the fault
            # asks for it (kinds 2, 3), that CPython's collector did it after vgc's pass: one
            # fallback, and CPython's finds, counted in fallback_collected, are collect()'s
            # result (which the comparison holds equal to stock's).
            now = vgc._vgc._status()

            def grew(k):
                return now[k] - status[k]
            fell = grew("fallbacks")
            assert fell == (1 if fault in (2, 3) else 0) and \
                now["collections"][generation] == status["collections"][generation] + 1 - fell \
                and sum(now["collections"]) == sum(status["collections"]) + 1 - fell and \
                grew("cpython_collected") == 0 and grew("validated") == 1 and \
                grew("lost_stops") == 0 and grew("recheck_in_place") == 1 - fell and \
                grew("fallback_collected") == (ret if fell else 0) and now["kept_bytes"] == 0, \
                "vgc did not run the collection as asked: %r -> %r (fault %d, collect() -> %r)" % (
                    status, now, f, ret)
            if c & 1 and not fell:
                assert now["verified"] > status["verified"] and now["verify"], (status, now)
            # vgc's successor buffer: it grows only for an object that is not an exact list or
            # tuple with more than 1,024 references into the collection (peak_bytes: since
            # install(), i.e. this run)
            growths, peak = vgc._vgc._alloc_count(), now["peak_bytes"]
            if fault in (1, 2) and fail_at:
                # the fault was reached (growth fail_at was attempted while armed), and the
                # buffer grew all the same on a later attempt
                assert growths >= fail_at and peak >= 2048 * POINTER, \
                    "growth %d of the successor buffer was not reached: %d growths, peak %d" % (
                        fail_at, growths, peak)
            elif fault in (1, 2):
                # a wide object no legacy object holds: never handed over in chunks
                assert (growths, peak) == (0, 0), \
                    "successor buffer growths %d, peak_bytes %d for a garbage wide object" % (
                        growths, peak)
            elif len(edges) < 1000:
                # a program object has at most len(edges) references: none grows the buffer
                assert (growths, peak) == (0, 0), \
                    "successor buffer growths %d, peak_bytes %d (fault byte %d)" % (
                        growths, peak, f)
            del now, grew
        if is_vgc and flags & API:
            vgc._vgc._fail_alloc_after(0)          # the faults are for this collection only
            vgc._vgc._corrupt_next(0)
        again = collect.collect(1) if flags & AGAIN else None
    finally:
        collect.callbacks.remove(cb)
        if flags & API:
            if c & 32:
                collect.callbacks.remove(nested)
            if c & 12:
                collect.set_debug(0)
            if is_vgc:
                vgc._vgc._fail_alloc_after(0)
                vgc._vgc._corrupt_next(0)
    del big
    api = None
    if flags & API and c & 64:
        api = _readers(collect, watch)
    if flags & API and c & 128:
        # Bad arguments: the same exceptions and messages as stock's (vgc's collect and its
        # forwarders use stock's argument handling).
        errors = []
        for fn, args, kw in ((collect.collect, (3,), {}), (collect.collect, ("a",), {}),
                             (collect.collect, (), {"generation": -1}),
                             (collect.collect, (), {"gen": 1}), (collect.collect, (1, 2), {}),
                             (collect.get_count, (1,), {}), (collect.get_referrers, (), {"x": 1}),
                             (collect.get_objects, (1, 2), {}), (collect.get_objects, (5,), {}),
                             (collect.set_debug, ("x",), {}), (collect.set_debug, (1, 2), {}),
                             (collect.get_debug, (1,), {}),
                             (collect.get_stats, (), {"x": 1}), (collect.freeze, (1,), {})):
            try:
                fn(*args, **kw)
                errors.append(None)
            except (TypeError, ValueError) as e:
                errors.append((type(e).__name__, str(e)))
        if is_vgc:
            assert vgc._vgc._install() is False and vgc.install() is None
            st = vgc.status()
            assert st["installed"] and st["collections"] + st["fallbacks"] >= 1, st
            # nothing is kept between collections: the successor buffer is given back at the
            # end of each one
            assert st["kept_bytes"] == 0 and st["peak_bytes"] >= 0, st
            n = vgc._vgc._alloc_count(True)
            assert n >= 0 and vgc._vgc._alloc_count() == 0, n
            del st
        api = (api, errors)
    follow = None
    if flags & NOMEM:
        # After the failed allocation, the next collection must be a whole one: every user
        # callback once, vgc's (not a fallback), the heap not hidden.
        infos.append("follow-up")
        status = vgc._vgc._status()
        collect.callbacks.append(cb)
        try:
            collect.collect()
        finally:
            collect.callbacks.remove(cb)
        follow = [x for x in infos[infos.index("follow-up") + 1:]]
        follow = [(phase, info["generation"]) for phase, info in follow]
        assert follow == [("start", 2), ("stop", 2)], "follow-up collection's callbacks: %r" % follow
        if is_vgc:
            now = vgc._vgc._status()
            assert now["collections"][2] == status["collections"][2] + 1 and \
                now["fallbacks"] == status["fallbacks"], \
                "the follow-up collection was not vgc's: %r -> %r" % (status, now)
            del now
        assert _stock_gc.get_count()[1:] == (0, 0), "counts after a full collection: %r" % (
            _stock_gc.get_count(),)
    del status
    after = [dict(s) for s in vgc.get_stats()]
    stats = [{k: after[g][k] - before[g][k] for k in after[g]} for g in range(3)]
    live = [(i, r()) for i, r in watch if r() is not None]
    where = _where(live)
    containers = _containers(kept + wide_roots)
    # What a tp_traverse created: _vgctest nodes' children (tracked? in which generation?)
    children = _where([(i, o.child) for i, o in live
                       if CNode is not None and isinstance(o, CNode) and o.child is not None])
    del live
    dead = sorted(i for i, r in watch if r() is None)
    garbage = [getattr(o, "label", type(o).__name__) for o in _stock_gc.garbage]
    log = list(LOG)
    resurrected = sorted(getattr(o, "label", -1) for o in RESURRECTED)
    if flags & RELOAD and params["r"] < 32 and params["r"] & 8:
        importlib.reload(vgc)
        if is_vgc:
            vgc.uninstall()
            vgc.install()
    del kept, refs, watch, held, wide_roots
    _cleanup()
    leftover = _leftover()
    out = {"collect": ret, "dead": dead, "log": log, "garbage": garbage,
           "resurrected": resurrected, "callbacks": infos, "stats": stats, "again": again,
           "where": where, "children": children, "follow": follow, "leftover": leftover,
           "api": api, "containers": containers}
    if flags & NOMEM:
        # Documented difference: stock and vgc make different allocations, so the k-th one is
        # a different allocation in each run (it may fail a finalizer, a callback, a growth of
        # vgc's successor buffer: refilled in place, or nothing).  Compared: the follow-up
        # collection (callbacks, vgc's own), the number of collections per generation, and that
        # nothing is hidden or lost once the heap is cleaned up (leftover).
        for k in ("collect", "dead", "log", "garbage", "resurrected", "callbacks", "where",
                  "children", "again", "api", "containers"):
            out[k] = None
        out["stats"] = [s["collections"] for s in stats]
    return out


_frozen = False


def _cleanup():
    """Free everything the program left: the roots just dropped may form new garbage, legacy
    cycles in gc.garbage need breaking by hand, and resurrected objects must be let go; repeat
    until a collection finds nothing, so that the next run starts from the same state."""
    if CNode is not None:
        # A _vgctest node that hides or double-reports its child keeps a cycle alive for ever
        # (in both runs alike): drop the child of every one left (all of them are garbage now).
        for o in _stock_gc.get_objects():
            if isinstance(o, CNode):
                o.child = None
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


class _Sink:
    """sys.stderr during the runs: the "Exception ignored" reports (MemoryError under NOMEM,
    RecursionError in finalizers under DEEP) and DEBUG_* output would otherwise flood the
    fuzzer's log and interleave with the replay drivers' own lines."""
    def write(self, text):
        return len(text)

    def flush(self):
        pass


_SINK = _Sink()


def check(data):
    """Run `data` under stock gc and under vgc; raise AssertionError on any difference.
    Automatic collection is off meanwhile, so only the program's own collect() runs."""
    global _frozen
    if vgc.status()["installed"]:
        vgc.uninstall()
    if not _frozen:
        # Everything that exists before the first program goes to the permanent generation, so
        # that each collection below only looks at the program's objects (fast, and the
        # observables only depend on the program).  The steps' first use first (reload, a thread),
        # whose caches would otherwise appear as the first program's leftover objects.
        for _ in range(2):
            importlib.reload(vgc)
            importlib.reload(_stock_gc)
            _in_worker(lambda: None)
        _stock_gc.collect()
        _stock_gc.freeze()
        _frozen = True
    program = _decode(data)
    enabled = _stock_gc.isenabled()
    _stock_gc.disable()
    stderr, sys.stderr = sys.stderr, _SINK
    try:
        _stock_gc.collect()
        stock = _run(program, _stock_gc)
        # Start from empty young generations again (install() itself makes no garbage).
        _stock_gc.collect()
        # Inputs of odd length run with the adapter's look-ahead on every collection (it runs
        # from 200,000 objects by default, which no program here reaches): install() reads it.
        os.environ["VGC_LOOK_AHEAD_MIN"] = "0" if len(data) % 2 else "200000"
        vgc.install()
        try:
            mine = _run(program, vgc)
        finally:
            vgc.uninstall()
        # uninstall() (after any reload) gives the interpreter its own gc back.
        assert sys.modules["gc"] is _stock_gc and _stock_gc.collect is _STOCK_COLLECT and \
            not vgc.status()["installed"], "after uninstall(): gc is %r, gc.collect is %r" % (
                sys.modules["gc"], _stock_gc.collect)
    finally:
        sys.stderr = stderr
        if enabled:
            _stock_gc.enable()
    stock = dict(stock)
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
