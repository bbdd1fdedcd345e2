#!/usr/bin/env python3
"""Allocation-failure injection driver: fail the k-th allocation of one vgc collection, for every k.

Every collection is decided in place (src/cpython/inplace.c): the decision needs no memory; the
only allocation vgc itself makes is the growth of the successor buffer, which only phase 3 (the
closure from legacy finalizers, since stop 20) uses, for an object reachable from one that is not
an exact list or tuple and has more than 1,024 references into the unreachable set (heap "wide"
has such an object).  Two kinds of failure, both for every k of one collection:

  * default: the k-th growth of the successor buffer fails (`_vgc._set_alloc_fail(k)`); a
    reference run (no failure) measures the number N of growths of the collection
    (`_vgc._alloc_count`), then k = 1..N+1.  A failed growth means the successors are handed
    over in chunks: the collection must be exactly the reference's (nothing deferred, never
    CPython's);
  * --nomemory: the k-th allocation of any kind (PyMem/PyObject/raw) made from the gc.collect()
    call on fails (`_testcapi.set_nomemory(k, k + 1)`): vgc's growth, CPython's info dict for
    gc.callbacks, the finalizers' and weakref callbacks' own allocations; k = 1, 2, ... until
    the k-th allocation is no longer inside the collection (a probe right after it fails
    instead), at most --max-k.

For each heap and generation, after the heap is rebuilt and the collection made with the failure:

  * right after the failed collection: every live object is intact (weakrefs to live objects
    alive, their contents/checksum unchanged, tracked ones present in gc.get_objects() in the same
    generation as in the reference run), the generation lists are walkable (gc.get_objects() and
    the stock module's agree, every listed object is tracked), counts[1:] as in the reference;
  * the next full collection (no failure) works, and after it the union of both collections is
    the reference's: same total collected, each __del__ / weakref callback run exactly as often
    (never twice), the same weakrefs to garbage dead, the same gc.garbage;
  * the heap is still usable (allocate, collect to 0).

With --nomemory the reference cannot be matched exactly: stock gc itself behaves differently when
an allocation fails (a finalizer or weakref callback that gets the MemoryError does less, e.g. no
resurrection; a gc.garbage append that fails leaves that legacy object to the next collection;
CPython calls no callback, vgc's hook included, when it cannot build the call).  What is checked
then: the live part intact and in the reference's generations, the lists walkable, no
finalizer/callback event the reference does not have (never twice), the failed collection finds at
least what the reference finds (never lost or deferred), after the next collection every object
the reference frees is freed, the heap usable.

Prints one JSON line "@@FAULT@@ {...}" with per-case outcomes.  Default mode: "injected" (the
k-th growth happened and failed: chunks), "fallback" (CPython's collector did that collection:
never expected), "none" (k beyond the collection's growths).  --nomemory: "cpython" (CPython's
own collector did that collection: it could not build the "start" call, so vgc's hook was not
called; counted in status()["fallbacks"]), "raised" (gc.collect() raised MemoryError),
"unraisable" (a MemoryError reported as unraisable: CPython's call of the callbacks, a finalizer,
a weakref callback), "same" (none of these), "none" (the k-th allocation came after the
collection: the sweep's end).

Usage: fault_driver.py [--heaps a,b@0,...] [--gens 2] [--size N] [--auto] [--nomemory [--max-k K]]
"""
import argparse
import json
import sys
import weakref

import vgc

vgc.install()
import gc  # noqa: E402  (vgc)

_vgc = vgc._vgc
stock = vgc._stock_gc
assert gc is vgc

EV = []          # events: ("del", name), ("cb", name), ...
SAVED = []       # resurrected objects
UNRAISABLE = []


def _hook(u):
    UNRAISABLE.append("%s: %s" % (type(u.exc_value).__name__, u.exc_value))


sys.unraisablehook = _hook


class Node:
    def __init__(self, name):
        self.name = name
        self.ref = None
        self.other = None


class Lazarus(Node):
    """PEP 442 finalizer; names starting with 'r' resurrect themselves."""

    def __del__(self):
        EV.append(("del", self.name))
        if self.name.startswith("r"):
            SAVED.append(self)


try:
    import _testcapi          # set_nomemory (--nomemory) and with_tp_del: the pyenv builds have it
except ImportError:  # pragma: no cover
    _testcapi = None
try:
    @_testcapi.with_tp_del
    class Legacy(Node):
        def __tp_del__(self):
            EV.append(("tp_del", self.name))
except AttributeError:  # pragma: no cover
    Legacy = None


class Scenario:
    def __init__(self):
        self.live = []          # strong references to the live part
        self.live_wrs = []      # weakrefs to live objects
        self.garbage_wrs = []   # (name, weakref) to garbage objects
        self.keep = []          # weakrefs with callbacks etc. (live)

    def checksum(self):
        """Walk the live part; any freed/garbled object shows up here (or crashes)."""
        out = []
        for o in self.live:
            if isinstance(o, Node):
                out.append((o.name, getattr(o.ref, "name", type(o.ref).__name__),
                            getattr(o.other, "name", type(o.other).__name__)))
            elif isinstance(o, dict):
                out.append(sorted((str(k), type(v).__name__) for k, v in o.items()))
            elif isinstance(o, (list, tuple)):
                out.append([type(x).__name__ for x in o])
            else:
                out.append(type(o).__name__)
        return out


def _live_part(s, size, tag):
    root = Node(tag + "root")
    prev = root
    for i in range(size):
        n = Node("%slive%d" % (tag, i))
        prev.ref = n
        n.other = {"i": i, "l": [n, root], "t": (n, i)}
        prev = n
        s.live.append(n)
        s.live.append(n.other)
    prev.ref = root                    # a live cycle
    s.live.append(root)
    lst = [root]
    lst.append(lst)
    s.live.append(lst)
    for o in s.live:
        try:
            s.live_wrs.append(weakref.ref(o))
        except TypeError:
            pass
    return root


def heap_cycles(size):
    s = Scenario()
    root = _live_part(s, size, "c")
    for i in range(size):
        a = Node("ga%d" % i)
        b = Node("gb%d" % i)
        a.ref = b
        b.ref = a
        a.other = root                 # garbage points at live objects
        b.other = [a, b, {"x": a}, (b, root)]
        s.garbage_wrs += [(a.name, weakref.ref(a)), (b.name, weakref.ref(b))]
        selfl = []
        selfl.append(selfl)
        d = {}
        d["d"] = d
    return s


def heap_weakref_callbacks(size):
    s = Scenario()
    root = _live_part(s, size, "w")

    def cb(wr, tag=None):
        EV.append(("cb", cb_names.get(id(wr), "?")))
        junk = Node("junk")            # allocation (and a new cycle) during the collection
        junk.ref = junk

    cb_names = {}
    for i in range(size):
        a = Node("wa%d" % i)
        b = Node("wb%d" % i)
        a.ref = b
        b.ref = a
        b.other = root
        wr = weakref.ref(a, cb)        # live weakref with a callback: called
        cb_names[id(wr)] = a.name
        s.keep.append(wr)
        a.other = weakref.ref(b, cb)   # trash weakref with a callback: never called
        s.garbage_wrs += [(a.name, weakref.ref(a)), (b.name, weakref.ref(b))]
    s.keep.append(cb_names)
    return s


def heap_resurrect(size):
    s = Scenario()
    root = _live_part(s, size, "z")
    for i in range(size):
        a = Lazarus("r%d" % i if i % 2 == 0 else "l%d" % i)   # every other one resurrects
        b = Lazarus("m%d" % i)
        c = Node("n%d" % i)
        a.ref = b
        b.ref = c
        c.ref = a
        c.other = root
        s.garbage_wrs += [(x.name, weakref.ref(x)) for x in (a, b, c)]
    return s


def heap_legacy(size):
    s = Scenario()
    if Legacy is None:
        return s
    root = _live_part(s, size, "y")
    for i in range(size):
        a = Legacy("leg%d" % i)
        b = Node("lb%d" % i)
        a.ref = b
        b.ref = a
        b.other = Node("lc%d" % i)     # reachable from the legacy finalizer: uncollectable too
        b.other.ref = root
        s.garbage_wrs += [(a.name, weakref.ref(a)), (b.name, weakref.ref(b))]
        x = Node("lx%d" % i)           # plain garbage next to it
        x.ref = x
        s.garbage_wrs.append((x.name, weakref.ref(x)))
    return s


class WideList(list):
    """Not an exact list: its successors go through tp_traverse into vgc's successor buffer,
    which grows (the only allocation of an in-place collection) past 1,024 references."""


def heap_wide(size):
    """Objects with more references into the collection than the successor buffer's static
    chunk (1,024).  Phases 1 and 2 visit them in place; phase 3 hands the successors of what a
    legacy finalizer reaches over through the buffer, which grows (PyMem_RawRealloc) during
    tp_traverse for the legacy-held WideList below, so failures hit the middle of a traversal
    (the rest is handed over by traversing again, in chunks).  Exact lists too (read in chunks,
    never grown)."""
    s = Scenario()
    root = _live_part(s, size, "v")
    targets = [Node("vt%d" % i) for i in range(8)]
    for t in targets:
        t.ref = root
    s.live += targets
    s.live_wrs += [weakref.ref(t) for t in targets]
    hub = [targets[i % 8] for i in range(200 * size)]   # live: a big fan-out (exact list)
    s.live.append(hub)
    whub = WideList(targets[i % 8] for i in range(9000))  # live: 4 growths (1,024 -> 16,384)
    s.live.append(whub)
    s.live_wrs.append(weakref.ref(whub))
    dhub = {i: targets[i % 8] for i in range(1100)}      # live dict, > 1 chunk
    s.live.append(dhub)
    for i in range(size):
        g = [targets[j % 8] for j in range(100)]          # garbage lists with many edges
        g.append(g)
        n = Node("vg%d" % i)
        n.ref = g
        n.other = n
        s.garbage_wrs.append((n.name, weakref.ref(n)))
        w = WideList(targets[j % 8] for j in range(1100))  # garbage, > 1 chunk via tp_traverse
        w.append(w)
        w.append(n)
        s.garbage_wrs.append(("vw%d" % i, weakref.ref(w)))
    if Legacy is not None:
        # phase 3: a garbage legacy object holding a WideList with 9,000 references to itself
        # (within the unreachable set): 4 growths, 1,024 -> 16,384; both end in gc.garbage's
        # closure (uncollectable), as in heap_legacy
        a = Legacy("vleg")
        wl = WideList()
        wl.extend([wl] * 9000)
        wl.append(a)
        a.ref = wl
        s.garbage_wrs += [(a.name, weakref.ref(a)), ("vwl", weakref.ref(wl))]
    return s


def heap_aged(size):
    """Old live objects (moved to generation 1 by collect(0)) pointing at young ones only they
    reach, and young garbage pointing at old objects: the generational boundary."""
    s = Scenario()
    root = _live_part(s, size, "o")
    gc.collect(0)                     # the live part is now in generation 1
    for i in range(size):
        young = Node("oy%d" % i)      # reachable only from an old object
        young.ref = young
        s.live[2 * i].other["young"] = young
        s.live.append(young)
        s.live_wrs.append(weakref.ref(young))
        a = Node("og%d" % i)
        a.ref = a
        a.other = s.live[2 * i]       # young garbage -> old live
        s.garbage_wrs.append((a.name, weakref.ref(a)))
    del root
    return s


def heap_mixed(size):
    s = Scenario()
    parts = [heap_cycles(size), heap_weakref_callbacks(size), heap_resurrect(size),
             heap_legacy(size), heap_wide(size)]
    for p in parts:
        s.live += p.live
        s.live_wrs += p.live_wrs
        s.garbage_wrs += p.garbage_wrs
        s.keep += p.keep
    return s


def heap_saveall(size):
    gc.set_debug(gc.DEBUG_SAVEALL)
    return heap_mixed(size)


HEAPS = {"cycles": heap_cycles, "weakref_callbacks": heap_weakref_callbacks,
         "resurrect": heap_resurrect, "legacy": heap_legacy, "mixed": heap_mixed,
         "saveall": heap_saveall, "wide": heap_wide, "aged": heap_aged}


def settle():
    """Back to a clean state: no garbage, nothing saved."""
    gc.set_debug(0)
    _vgc._set_alloc_fail(0)
    for o in gc.garbage:
        if isinstance(o, Node):
            o.ref = o.other = None
    o = None        # the loop variable would keep gc.garbage's last object alive below
    gc.garbage.clear()
    SAVED.clear()
    for _ in range(10):
        if gc.collect() == 0:
            break
    del EV[:]
    del UNRAISABLE[:]


def generation_of(o):
    for g in range(3):
        if any(x is o for x in gc.get_objects(g)):
            return g
    return None


def observe_live(s):
    ids = {id(x): g for g in range(3) for x in gc.get_objects(g)}
    return {
        "checksum": s.checksum(),
        "live_wrs": [w() is not None for w in s.live_wrs],
        "gens": [ids.get(id(o)) if gc.is_tracked(o) else "untracked" for o in s.live],
    }


def check_lists():
    """Walk the generation lists through both modules; everything listed must be tracked."""
    objs = gc.get_objects()
    n_stock = len(stock.get_objects())
    problems = []
    if abs(len(objs) - n_stock) > 2:      # (each call's own temporaries)
        problems.append("get_objects: vgc %d vs stock %d" % (len(objs), n_stock))
    for o in objs:
        if not gc.is_tracked(o):
            problems.append("untracked object in a generation list: %r" % type(o))
            break
    return problems


def collect_with_fault(gen, k, nomemory):
    """gc.collect(gen) with the k-th allocation failing (k=0: none).  Returns (the result or
    "MemoryError", whether the k-th allocation was made by the collect() call: None when not
    known, i.e. for _set_alloc_fail, counted by _alloc_count instead)."""
    if not nomemory or k == 0:
        _vgc._set_alloc_fail(k if not nomemory else 0)
        try:
            return gc.collect(gen), None
        finally:
            _vgc._set_alloc_fail(0)
    _testcapi.set_nomemory(k, k + 1)
    try:
        try:
            r = gc.collect(gen)
        except MemoryError:
            return "MemoryError", True
        try:
            bytearray(64)               # fails if the k-th allocation is still to come
        except MemoryError:
            return r, False
        return r, True
    finally:
        _testcapi.remove_mem_hooks()


def run_case(heap, size, gen, k, nomemory=False):
    """Build heap, collect(gen) with the k-th allocation failing (k=0: none), then collect(2)."""
    settle()
    s = HEAPS[heap](size)
    st0 = vgc.status()
    _vgc._alloc_count(True)
    r1, consumed = collect_with_fault(gen, k, nomemory)
    nalloc = _vgc._alloc_count(True)
    st1 = vgc.status()
    fell_back = st1["fallbacks"] - st0["fallbacks"]
    by_vgc = st1["collections"] - st0["collections"]
    after1 = observe_live(s)
    after1["counts12"] = list(gc.get_count()[1:])
    problems = check_lists()
    ev1 = list(EV)
    r2 = gc.collect(2)
    after2 = observe_live(s)
    res = {
        "r1": r1, "r2": r2, "nalloc": nalloc, "fell_back": fell_back, "by_vgc": by_vgc,
        "consumed": consumed,
        "after1": after1, "after2": after2, "ev1": ev1, "ev": sorted(map(list, EV)),
        "garbage_dead": [w() is None for _, w in s.garbage_wrs],
        "garbage_names": [name for name, _ in s.garbage_wrs],
        "garbage": sorted(getattr(o, "name", type(o).__name__) for o in gc.garbage),
        "unraisable": list(UNRAISABLE),
        "problems": problems,
    }
    # the heap is still usable
    junk = [Node("u%d" % i) for i in range(100)]
    for j in junk:
        j.ref = j
    del junk
    settle()
    res["usable"] = gc.collect() == 0 and len(gc.get_objects()) > 0
    s = None
    return res


def compare(ref, got, exact=True):
    """The checks of the module docstring; exact=False: Python code of the collection (or the
    collect() call) got the MemoryError, so what it would have done may be missing."""
    errs = []
    if got["problems"]:
        errs += got["problems"]
    a1, r1 = got["after1"], ref["after1"]
    if a1["checksum"] != r1["checksum"]:
        errs.append("live part changed by the failed collection")
    if not all(a1["live_wrs"]):
        errs.append("a live object died in the failed collection")
    if got["after2"]["checksum"] != ref["after2"]["checksum"] or not all(got["after2"]["live_wrs"]):
        errs.append("live part damaged after the next collection")
    if not got["usable"]:
        errs.append("heap not usable afterwards")
    got_ev, ref_ev = [tuple(e) for e in got["ev"]], [tuple(e) for e in ref["ev"]]
    if not exact:
        # never twice, never one the reference does not run; never a collection lost: what
        # the reference frees is freed (a resurrection that failed may free more)
        extra = [e for e in set(got_ev) if got_ev.count(e) > ref_ev.count(e)]
        if extra:
            errs.append("finalizer/callback events not in the reference (or twice): %s" % extra[:6])
        kept = [name for name, g, r in zip(ref["garbage_names"], got["garbage_dead"],
                                           ref["garbage_dead"]) if r and not g]
        if kept:
            errs.append("garbage the reference frees still alive: %s" % kept[:6])
        if isinstance(got["r1"], int) and got["r1"] < ref["r1"]:
            errs.append("the failed collection found %d < reference %d (deferred or lost)"
                        % (got["r1"], ref["r1"]))
        if a1["gens"] != r1["gens"]:
            errs.append("live objects in other generations than in the reference: %s"
                        % [(i, x, y) for i, (x, y) in enumerate(zip(a1["gens"], r1["gens"]))
                           if x != y][:5])
        return errs
    if a1["gens"] != r1["gens"]:
        errs.append("live objects in other generations than in the reference: %s"
                    % [(i, x, y) for i, (x, y) in enumerate(zip(a1["gens"], r1["gens"])) if x != y][:5])
    if a1["counts12"] != r1["counts12"]:
        errs.append("counts[1:] %s vs reference %s" % (a1["counts12"], r1["counts12"]))
    if got["r1"] != ref["r1"]:
        errs.append("the failed collection found %s vs reference %d (deferred or lost)"
                    % (got["r1"], ref["r1"]))
    if got["r1"] + got["r2"] != ref["r1"] + ref["r2"]:
        errs.append("collected %d+%d vs reference %d+%d"
                    % (got["r1"], got["r2"], ref["r1"], ref["r2"]))
    if got_ev != ref_ev:
        errs.append("finalizer/callback events differ: %s vs %s" % (got["ev"][:6], ref["ev"][:6]))
    if got["garbage_dead"] != ref["garbage_dead"]:
        errs.append("garbage weakrefs: %d dead vs reference %d"
                    % (sum(got["garbage_dead"]), sum(ref["garbage_dead"])))
    if got["garbage"] != ref["garbage"]:
        errs.append("gc.garbage differs (%d vs %d)" % (len(got["garbage"]), len(ref["garbage"])))
    if sorted(got["unraisable"]) != sorted(ref["unraisable"]):
        errs.append("unraisable: %s vs %s" % (got["unraisable"][:3], ref["unraisable"][:3]))
    return errs


def auto_case(heap, size, k):
    """An automatic collection (threshold 50) with the k-th successor-buffer growth failing."""
    settle()
    s = HEAPS[heap](size)
    before = observe_live(s)
    st0 = vgc.status()
    old = gc.get_threshold()
    _vgc._set_alloc_fail(k)
    gc.set_threshold(50)
    gc.enable()
    tmp = []
    for i in range(5000):
        tmp.append(Node("auto%d" % i))
        st = vgc.status()
        if st["collections"] + st["fallbacks"] > st0["collections"] + st0["fallbacks"]:
            break
    gc.disable()
    gc.set_threshold(*old)
    _vgc._set_alloc_fail(0)
    del tmp
    errs = check_lists()
    after = observe_live(s)
    if after["checksum"] != before["checksum"] or not all(after["live_wrs"]):
        errs.append("auto: live part damaged")
    st = vgc.status()
    if st["collections"] + st["fallbacks"] == st0["collections"] + st0["fallbacks"]:
        errs.append("auto: no automatic collection happened")
    gc.collect()
    if not all(observe_live(s)["live_wrs"]):
        errs.append("auto: live part damaged by the next collection")
    settle()
    return errs, st["fallbacks"] - st0["fallbacks"]


def classify(ref, got, k, nomemory):
    """The outcome of one injected collection (module docstring)."""
    if not nomemory:
        if got["fell_back"]:
            return "fallback"
        return "injected" if got["nalloc"] >= k else "none"
    if not got["consumed"]:
        return "none"
    if got["by_vgc"] == 0:
        return "cpython"
    if got["r1"] == "MemoryError":
        return "raised"
    if any(u.startswith("MemoryError") for u in got["unraisable"]):
        return "unraisable"
    return "same"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--heaps", default="cycles,weakref_callbacks,resurrect,legacy")
    ap.add_argument("--gens", default="2")
    ap.add_argument("--size", type=int, default=3)
    ap.add_argument("--auto", action="store_true")
    ap.add_argument("--nomemory", action="store_true",
                    help="fail the k-th allocation of any kind (_testcapi.set_nomemory)")
    ap.add_argument("--max-k", type=int, default=400, help="--nomemory: the largest k tried")
    a = ap.parse_args()
    if a.nomemory and _testcapi is None:
        sys.stdout.write("@@FAULT@@ " + json.dumps({"skipped": "no _testcapi"}) + "\n")
        return 0
    gc.disable()
    summary = {"python": "%d.%d" % sys.version_info[:2], "cases": [], "failures": [],
               "mode": "nomemory" if a.nomemory else "growth"}
    for spec in a.heaps.split(","):
        heap, _, gens = spec.partition("@")          # heap@g overrides --gens
        for gen in [int(g) for g in (gens or a.gens).split(",")]:
            ref = run_case(heap, a.size, gen, 0)
            outcomes = {}
            k = 0
            while True:
                k += 1
                if a.nomemory and k > a.max_k:
                    summary["failures"].append("%s gen %d: more than %d allocations in one "
                                               "collection (--max-k)" % (heap, gen, a.max_k))
                    break
                got = run_case(heap, a.size, gen, k, a.nomemory)
                outcome = classify(ref, got, k, a.nomemory)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                for e in compare(ref, got, exact=not a.nomemory):
                    summary["failures"].append("%s gen %d k=%d (%s): %s"
                                               % (heap, gen, k, outcome, e))
                if a.nomemory and outcome == "none":
                    break                               # the k-th allocation came after it
                if not a.nomemory and k > ref["nalloc"]:
                    break                               # k = N+1: beyond the growths
            n = k - 1 if a.nomemory else ref["nalloc"]
            summary["cases"].append({"heap": heap, "gen": gen, "size": a.size, "nalloc": n,
                                     "k": [1, k], "ref_collected": ref["r1"],
                                     "outcomes": outcomes})
        if a.auto and not a.nomemory:
            auto_fb = 0
            for k in range(1, 12):
                errs, fb = auto_case(heap, a.size, k)
                auto_fb += fb
                if fb:
                    errs.append("%d collection(s) handed to CPython's collector" % fb)
                summary["failures"] += ["%s auto k=%d: %s" % (heap, k, e) for e in errs]
            summary["cases"].append({"heap": heap, "gen": "auto", "k": [1, 11],
                                     "outcomes": {"fallback": auto_fb}})
    st = vgc.status()
    summary["cpython_collected"] = st["cpython_collected"]
    summary["fallbacks"] = st["fallbacks"]
    sys.stdout.write("@@FAULT@@ " + json.dumps(summary) + "\n")
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
