"""Regression tests of the glue's failure cases found by review (issue #14): each runs in fresh
subprocesses, differential against stock gc wherever stock has a behaviour.  In the stock runs
vgc is imported but not installed, so both processes hold the same objects.

_vgctest (tests/c/vgctest_module.c, built next to vgc by `make ext`) provides a C type whose
tp_traverse misbehaves.
"""
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import unittest

PRE = r'''
import os, sys, json
import vgc
MODE = os.environ["VGC_TEST_MODE"]
if MODE == "vgc":
    vgc.install()
import gc
R = {}
class C:
    pass
def live_objects(n):          # n objects that each refer to themselves, kept
    out = [C() for _ in range(n)]
    for c in out:
        c.me = c
    return out
def make_cycles(n):           # n unreachable two-object cycles
    for _ in range(n):
        a = C(); a.b = C(); a.b.a = a
'''
POST = r'''
sys.stdout.write("@@RESULT@@" + json.dumps(R, sort_keys=True, default=repr) + "\n")
'''


def run(code, mode, timeout=120, env=None):
    e = dict(os.environ, VGC_TEST_MODE=mode, VGC_DISABLE="1")
    e.update(env or {})
    p = subprocess.run([sys.executable, "-X", "faulthandler", "-c",
                        PRE + textwrap.dedent(code) + POST], env=e, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=timeout)
    if p.returncode != 0 or "@@RESULT@@" not in p.stdout:
        raise AssertionError("failed under %s (rc=%d):\n%s\n%s"
                             % (mode, p.returncode, p.stdout[-2000:], p.stderr[-3000:]))
    return json.loads(p.stdout.split("@@RESULT@@", 1)[1]), p.stderr


def both(code, **kw):
    return run(code, "stock", **kw)[0], run(code, "vgc", **kw)[0]


def run_spoiled(hook, keep, env):
    """A fresh process under vgc (with `env`) that keeps one object C alive (`keep`, a statement
    on `keep`), drops a cycle and collects once with test hook _corrupt_next(hook) armed."""
    code = PRE + textwrap.dedent(r'''
    class C:
        def __del__(self):
            print("FREED-A-LIVE-OBJECT")
    keep = C(); %s
    g = []; g.append(g); del g
    vgc._vgc._corrupt_next(%d)
    gc.collect()
    print("went on")
    ''' % (keep, hook))
    e = dict(os.environ, VGC_TEST_MODE="vgc", VGC_DISABLE="1", **env)
    return subprocess.run([sys.executable, "-c", code], env=e, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=60)


def assert_stopped(test, p):
    """The process stopped at that collection, before anything was freed."""
    test.assertNotEqual(p.returncode, 0)
    test.assertNotIn("went on", p.stdout)
    test.assertNotIn("FREED-A-LIVE-OBJECT", p.stdout)


class LostStop(unittest.TestCase):
    """1/9: CPython cannot build the "stop" call (an allocation fails): it calls no callback.
    For every k, the k-th allocation from gc.collect() on fails; afterwards the heap is not
    hidden, uninstall() works, the next collection runs every user callback once, and
    counts/stats move as stock's."""

    CODE = r'''
    import _testcapi
    gc.disable()              # only the explicit collections: each k sees the same heap
    keep = live_objects(300)
    def garbage():
        make_cycles(50)
    log = []
    gc.callbacks.append(lambda phase, info: log.append((phase, info["generation"])))
    gc.collect()
    base = len(gc.get_objects())
    bad = []
    lost = fallbacks = 0
    for k in range(1, 70):
        garbage()
        stats = [s["collections"] for s in gc.get_stats()]
        del log[:]
        _testcapi.set_nomemory(k, k + 1)
        try:
            gc.collect()
        except MemoryError:
            pass
        _testcapi.remove_mem_hooks()
        n = len(gc.get_objects())
        after = [s["collections"] for s in gc.get_stats()]
        if n < base * 0.9 or after != [stats[0], stats[1], stats[2] + 1]:
            bad.append(("heap/stats", k, n, base, stats, after))
        if MODE == "vgc":
            st = vgc.status()
            lost += st["lost_stops"]
            fallbacks += st["fallbacks"]
            try:
                vgc.uninstall()
                vgc.install()
            except RuntimeError as e:
                bad.append(("uninstall", k, str(e)))
        del log[:]
        garbage()
        c = gc.collect()
        if log != [("start", 2), ("stop", 2)] or c < 100:
            bad.append(("next", k, log[:], c))
        if MODE == "vgc" and vgc.status()["collections"] != 1:
            bad.append(("not vgc's", k, vgc.status()))
        if gc.get_count()[1:] != (0, 0) or gc.get_count()[0] > 20:
            bad.append(("count", k, gc.get_count()))
    R["bad"] = bad
    R["objects_ok"] = abs(len(gc.get_objects()) - base) < base * 0.1
    R["objects"] = (len(gc.get_objects()), base)
    R["lost"] = lost
    R["fallbacks"] = fallbacks
    '''

    def test_every_k(self):
        stock, mine = both(self.CODE, timeout=300)
        self.assertEqual(stock["bad"], [])
        self.assertEqual(mine["bad"], [])
        self.assertTrue(mine["objects_ok"], mine)
        self.assertGreater(mine["lost"], 0, "no k lost the stop call: the test tests nothing")
        self.assertGreater(mine["fallbacks"], 0)


class TraverseSideEffects(unittest.TestCase):
    """2: a tp_traverse that tracks a new object during a generation-0 collection: stock treats
    the new object as reachable and goes on; vgc did lose it from every list, and the next
    collect(1) looped forever."""

    def test_track_new_in_traverse(self):
        code = r'''
        import _vgctest
        gc.disable()              # only the explicit collections
        out = []
        for gen in (0, 1, 2):
            n = _vgctest.Node(_vgctest.TRACK_NEW)
            gc.collect(gen)
            child = n.child
            where = [g for g in range(3) if any(o is child for o in gc.get_objects(g))]
            gc.collect(1)
            gc.collect(2)
            out.append((gen, child is not None, gc.is_tracked(child), where,
                        any(o is child for o in gc.get_objects())))
            del n, child
        R["out"] = out
        '''
        stock, mine = both(code, timeout=60)
        self.assertEqual(mine, stock)
        self.assertTrue(all(x[1] and x[2] and x[4] for x in stock["out"]))

    def test_track_new_then_fallback(self):
        # The traverse tracks its new list during vgc's pass, and CPython's collector then does
        # the collection (as on a debug build with an inconsistent type; here the test hook
        # _corrupt_next(1)).  vgc kept that list out of CPython's pass, as stock's own pass
        # creates it after merging the generations: the same number found, the list in the same
        # generation, the same gc.garbage (found by the cpython fuzz harness: 9 found instead
        # of 7, the list in generation 2 instead of 0, a 'list' in gc.garbage under
        # DEBUG_SAVEALL).
        code = r'''
        import _vgctest
        gc.disable()              # only the explicit collections
        out = []
        for fault in (1,):
            for gen in (0, 1, 2):
                for saveall in (0, gc.DEBUG_SAVEALL):
                    kept = _vgctest.Node(_vgctest.TRACK_NEW)
                    dead = _vgctest.Node(_vgctest.TRACK_NEW)
                    other = [dead]
                    other.append(other)
                    dead.child = None
                    kept_child = None
                    del other, dead
                    gc.set_debug(saveall)
                    if MODE == "vgc":
                        st = vgc._vgc._status()["fallbacks"]
                        vgc._vgc._corrupt_next(fault)
                    found = gc.collect(gen)
                    if MODE == "vgc":
                        vgc._vgc._corrupt_next(0)
                        assert vgc._vgc._status()["fallbacks"] == st + 1
                    gc.set_debug(0)
                    child = kept.child
                    where = [g for g in range(3) if any(o is child for o in gc.get_objects(g))]
                    garbage = sorted(type(o).__name__ for o in gc.garbage)
                    gc.garbage.clear()
                    again = gc.collect(1)
                    out.append((fault, gen, saveall, found, where, garbage, again))
                    del kept, child
                    gc.collect()
        R["out"] = out
        '''
        stock, mine = both(code, timeout=60)
        self.assertEqual(mine, stock)

    def test_other_side_effects_and_lies(self):
        code = r'''
        import _vgctest, weakref
        gc.disable()              # only the explicit collections
        out = []
        modes = [_vgctest.ALLOCATE, _vgctest.UNTRACK_NEW]
        if not hasattr(sys, "gettotalrefcount"):
            # a debug build's stock collector aborts on an over-counting traverse (gc_decref's
            # assertion; vgc lets it: see test_gc's test_refcount_errors)
            modes.append(_vgctest.VISIT_TWICE)
        for mode in modes:
            n = _vgctest.Node(mode)
            n.child = [n]
            gc.collect()
            alive = n.child[0] is n
            del n
            c = gc.collect()
            out.append((mode, alive, c))
        R["out"] = out
        '''
        stock, mine = both(code, timeout=60)
        self.assertEqual(mine, stock)


class InconsistentTypes(unittest.TestCase):
    """Issue #17 part 3: a tp_traverse that reports more references than the refcount is
    reported by "referrer type -> object type"; the object stays alive."""

    @unittest.skipIf(hasattr(sys, "gettotalrefcount"),
                     "a debug build's collector aborts on an over-counting traverse by design")
    def test_overcounting_traverse_is_named(self):
        code = r'''
        import _vgctest
        gc.disable()
        n = _vgctest.Node(_vgctest.VISIT_TWICE)
        n.child = [n]
        gc.collect()
        R["types"] = vgc.status()["inconsistent_types"]
        R["alive"] = n.child[0] is n
        n.child = None            # no collector frees such a cycle (stock neither): freed here,
        '''                      # so that LeakSanitizer (make test-asan) sees no leak at exit
        mine = run(code, "vgc")[0]
        self.assertEqual(mine["types"], {"_vgctest.Node -> list": 2})
        self.assertTrue(mine["alive"])


class Fallback(unittest.TestCase):
    """Issue #13 item 4: a collection handed to CPython's collector (on debug builds when an
    inconsistent type is found; here the test hook _corrupt_next(1)) loses nothing, and
    status() counts it and the objects CPython's collector found in it."""

    def test_fallback_is_counted(self):
        code = r'''
        gc.disable()              # the numbers compared are those of the one collect()
        live = live_objects(100)
        make_cycles(20)
        if MODE == "vgc":
            vgc._vgc._corrupt_next(1)
        R["found"] = gc.collect()
        R["live"] = all(c.me is c for c in live)
        if MODE == "vgc":
            st = vgc.status()
            R["fallbacks"] = st["fallbacks"]
            R["fallback_collected"] = st["fallback_collected"]
            make_cycles(5)
            R["after"] = gc.collect()
            R["fallbacks_after"] = vgc.status()["fallbacks"]
        '''
        stock, mine = run(code, "stock")[0], run(code, "vgc")[0]
        self.assertEqual(mine["found"], stock["found"])
        self.assertTrue(mine["live"])
        self.assertEqual(mine["fallbacks"], 1)
        self.assertEqual(mine["fallback_collected"], stock["found"])
        self.assertEqual(mine["fallbacks_after"], 1)
        self.assertGreaterEqual(mine["after"], 10)

    def test_fallback_untracks_as_stock(self):
        # vgc's pass must leave a collection CPython's collector is to do with nothing
        # untracked: CPython's untrack_tuples after vgc's untracked one level more (a tuple
        # holding a tuple untracked by the first pass; found by the cpython fuzz harness).
        code = r'''
        gc.disable()
        out = []
        for gen in (0, 2):
            t1 = (tuple(),); t2 = (t1,); kept = [t2]; d = {"k": t2}; held = [d]
            del t1, t2, d
            if MODE == "vgc":
                vgc._vgc._corrupt_next(1)
            gc.collect(gen)
            out.append((gen, gc.is_tracked(kept[0]), gc.is_tracked(kept[0][0]),
                        gc.is_tracked(held[0])))
        R["out"] = out
        if MODE == "vgc":
            R["fallbacks"] = vgc.status()["fallbacks"]
        '''
        stock, mine = run(code, "stock")[0], run(code, "vgc")[0]
        self.assertEqual(mine.pop("fallbacks"), 2)
        self.assertEqual(mine, stock)


class Recheck(unittest.TestCase):
    """The resurrection re-check frees what stock's collection frees.  Once, when the re-check
    could not get its memory, nothing was freed until the next collection, which with a legacy
    (tp_del) object held only by the garbage from an older generation did not add up to stock's
    run (stock frees it by refcount and runs its tp_del; one collection later it was an
    unreachable legacy object in gc.garbage).  Found by the cpython fuzz harness."""

    def test_legacy_object_held_by_garbage(self):
        code = r'''
        import _testcapi, weakref
        gc.disable()              # only the explicit collections
        log = []
        class L:
            def __tp_del__(self):
                log.append(("tp_del", self.name))
        L = _testcapi.with_tp_del(L)
        class F:
            def __del__(self):
                log.append(("del", self.name))
        out = []
        for gen in (0, 1):
            for k in range(1, 3):
                old = L(); old.name = "old"
                gc.collect()          # old is now in generation 2
                a = F(); a.name = "a"; b = F(); b.name = "b"
                a.b = b; b.a = a; a.old = old
                w = weakref.ref(a)
                del old, a, b
                n = gc.collect(gen)
                out.append((gen, k, n, w() is None, sorted(log),
                            [getattr(o, "name", None) for o in gc.garbage]))
                del w
                log.clear()
                gc.garbage.clear()
                gc.collect()
        R["out"] = out
        if MODE == "vgc":
            st = vgc.status()
            R["in_place"] = st["recheck_in_place"] > 0
        '''
        stock, mine = both(code, timeout=60)
        self.assertTrue(mine.pop("in_place"))
        self.assertEqual(mine, stock)


    def test_resurrection_moves_objects_back(self):
        # A resurrected object late in the unreachable list refers to objects before it: the
        # in-place re-check (CPython's move_unreachable) moves those back from its tentatively
        # unreachable list; everything is kept, in the same generation as stock's.
        code = r'''
        gc.disable()              # only the explicit collections
        saved = []
        class N:
            pass
        class Res(N):
            def __del__(self):
                saved.append(self)
        out = []
        for k in range(1, 3):
            a = N(); b = N(); c = Res()
            a.b = b; b.a = a; c.a = a; c.c = c
            del a, b, c
            n = gc.collect()
            c = saved.pop()
            out.append((k, n, c.a.b.a is c.a, [g for g in range(3)
                                               if any(o is c.a for o in gc.get_objects(g))]))
            del c
            gc.collect()
        R["out"] = out
        if MODE == "vgc":
            R["in_place"] = vgc.status()["recheck_in_place"] > 0
        '''
        stock, mine = both(code, timeout=60)
        self.assertTrue(mine.pop("in_place"))
        self.assertEqual(mine, stock)


class ArgumentErrors(unittest.TestCase):
    """Wrong arguments raise what stock gc raises, message included: vgc's own get_debug said
    "vgc._vgc.get_debug() takes no arguments (1 given)" (found by the cpython fuzz harness);
    vgc's gc functions now have __module__ "gc", as stock's."""

    def test_same_exceptions_and_messages(self):
        code = r'''
        out = []
        for name, args, kw in (("collect", (3,), {}), ("collect", ("a",), {}),
                               ("collect", (1, 2), {}), ("collect", (), {"gen": 1}),
                               ("get_debug", (1,), {}), ("set_debug", ("x",), {}),
                               ("set_debug", (1, 2), {}), ("set_debug", (), {}),
                               ("get_count", (1,), {}), ("get_objects", (5,), {}),
                               ("get_stats", (), {"x": 1}), ("freeze", (1,), {})):
            try:
                getattr(gc, name)(*args, **kw)
                out.append(None)
            except (TypeError, ValueError) as e:
                out.append([name, type(e).__name__, str(e)])
        R["out"] = out
        R["module"] = sorted({getattr(gc, n).__module__ for n in
                              ("collect", "get_debug", "set_debug", "get_count", "get_objects")})
        '''
        stock, mine = both(code, timeout=60)
        self.assertEqual(mine, stock)
        self.assertEqual(stock["module"], ["gc"])


class HookOutOfReach(unittest.TestCase):
    """4: the hook and its list are not in the tracked heap; DEBUG_STATS prints stock's
    generation sizes."""

    def test_no_extra_objects(self):
        code = r'''
        gc.collect()
        R["types"] = sorted({type(o).__name__ for o in gc.get_objects()
                             if "vgc" in type(o).__module__ or "Hook" in type(o).__name__})
        R["n"] = len(gc.get_objects())
        '''
        stock, mine = both(code)
        self.assertEqual(mine["types"], stock["types"])
        self.assertEqual(mine["n"], stock["n"])

    def test_debug_stats_sizes(self):
        code = r'''
        gc.collect()
        gc.set_debug(gc.DEBUG_STATS)
        gc.collect()
        gc.set_debug(0)
        '''
        s = run(code, "stock")[1]
        m = run(code, "vgc")[1]
        pick = lambda e: [l for l in e.splitlines() if "objects in" in l]
        self.assertTrue(pick(s))
        self.assertEqual(pick(m), pick(s))


class Reload(unittest.TestCase):
    """6: importlib.reload(vgc) / reload(gc) while installed; uninstall() restores the stock
    module and its collect."""

    def test_reload(self):
        code = r'''
        import importlib, gc as g0
        stock = sys.modules["gc"] if MODE != "vgc" else vgc._stock_gc
        importlib.reload(vgc)
        import gc as g1
        importlib.reload(g1)
        vgc.uninstall()
        R["gc_is_stock"] = sys.modules["gc"] is stock and stock.__name__ == "gc"
        R["collect_is_builtin"] = type(stock.collect).__name__ == "builtin_function_or_method" \
            and stock.collect.__module__ == "gc"
        a = []; a.append(a); del a
        R["collects"] = stock.collect() >= 1
        '''
        stock, mine = both(code)
        self.assertEqual(mine, stock)
        self.assertTrue(mine["gc_is_stock"] and mine["collect_is_builtin"])


class CountsAndTriggers(unittest.TestCase):
    """7: automatic collections: the same trigger points, counts and stats as stock over 100k
    allocations with surviving dicts, tuples and a user callback."""

    def test_same_counts_and_stats(self):
        code = r'''
        log = []
        I = [0]
        gc.callbacks.append(lambda p, info: log.append((p, info["generation"], gc.get_count(),
                                                        info["collected"])))
        keep = []
        for i in range(25000):
            I[0] = i
            d = {"a": [i]}
            t = (d, [])
            keep.append(t)
            if i % 7 == 0:
                a = []; a.append(a)
        R["counts"] = [x[2] for x in log]
        R["gens"] = [x[:2] for x in log]
        R["collected"] = sum(x[3] for x in log)
        R["stats"] = [s["collections"] for s in gc.get_stats()]
        R["final"] = gc.get_count()
        '''
        stock, mine = both(code)
        self.assertEqual(mine["gens"], stock["gens"])
        self.assertEqual(mine["counts"], stock["counts"])
        self.assertEqual(mine["stats"], stock["stats"])
        self.assertEqual(mine["collected"], stock["collected"])
        self.assertGreater(len(stock["gens"]), 40)


class RecursionLimit(unittest.TestCase):
    """8: a collection within a few frames of the recursion limit runs finalizers, weakref
    callbacks and gc.callbacks as stock's does, at every depth."""

    def test_every_depth(self):
        code = r'''
        import weakref
        events = []
        class D:
            def __del__(self): events.append("del")
        class W: pass
        def cb(phase, info): events.append(phase)
        def wcb(r): events.append("wr")
        def make():
            a = D(); b = W(); a.b = b; b.a = a
            return weakref.ref(b, wcb)
        LIMIT = 120
        sys.setrecursionlimit(LIMIT)
        def rec(n, target):
            if n < target:
                return rec(n + 1, target)
            r = make()
            del events[:]
            gc.callbacks.append(cb)
            try:
                c = gc.collect()
            except RecursionError:
                c = "RecursionError"
            gc.callbacks.remove(cb)
            return (c, list(events), r() is None)
        out = []
        for t in range(LIMIT - 40, LIMIT + 2):
            try:
                out.append(rec(0, t))
            except RecursionError:
                out.append("RecursionError")
        R["out"] = out
        '''
        stock, mine = both(code)
        self.assertEqual(mine, stock)


def _embed_flags(tag):
    # python3.11d-config for a debug build (LDVERSION carries the ABI flags)
    tag = sysconfig.get_config_var("LDVERSION") or tag
    cfg = os.path.join(os.path.dirname(os.path.realpath(sys.executable)), "python%s-config" % tag)
    if not os.path.exists(cfg):
        cfg = os.path.join(os.path.dirname(sys.executable), "python%s-config" % tag)
    if not os.path.exists(cfg):
        return None
    try:
        cflags = subprocess.check_output([cfg, "--cflags"], text=True).split()
        ldflags = subprocess.check_output([cfg, "--ldflags", "--embed"], text=True).split()
    except (OSError, subprocess.CalledProcessError):
        return None
    return cflags, ldflags


EMBED_C = r'''
#include <Python.h>
static const char *prog =
    "import gc, vgc\n"
    "assert vgc.install() is None\n"
    "import gc\n"
    "assert gc is vgc and vgc.status()['installed']\n"
    "assert gc.callbacks is vgc._stock_gc.callbacks\n"
    "a = []; a.append(a); del a\n"
    "n = gc.collect()\n"
    "assert n >= 1, n\n"
    "assert vgc.status()['collections'] >= 1\n"
    "seen = []\n"
    "gc.callbacks.append(lambda p, i: seen.append(p))\n"
    "gc.collect()\n"
    "assert seen == ['start', 'stop'], seen\n"
    /* CPython itself leaks a callback still in gc.callbacks at exit (it drops the list after
     * its last collection, so the callback's globals stay in a cycle): stock's own leak under
     * `make test-asan`, which would hide vgc's */
    "gc.callbacks.pop()\n"
    "print('round ok', n)\n";
int main(void)
{
    for (int round = 0; round < 3; round++) {
        Py_Initialize();
        if (PyRun_SimpleString(prog) != 0)
            return 1;
        if (Py_FinalizeEx() < 0)
            return 2;
    }
    return 0;
}
'''


def _tool_env():
    """The environment for a compiler this test starts: without `make test-asan`'s preloaded ASan
    runtime (LeakSanitizer reports the toolchain's own leaks, cc1's and libbfd's, at its exit)."""
    e = dict(os.environ)
    e.pop("LD_PRELOAD", None)
    return e


class Embedding(unittest.TestCase):
    """5: a host that calls Py_Initialize()/Py_Finalize() several times gets vgc each time."""

    def test_initialize_finalize_twice(self):
        tag = "%d.%d" % sys.version_info[:2]
        flags = _embed_flags(tag)
        cc = shutil.which("cc") or shutil.which("gcc")
        if flags is None or cc is None:
            self.skipTest("no python-config --embed or C compiler")
        libdir = sysconfig.get_config_var("LIBDIR")
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "embed.c")
            exe = os.path.join(d, "embed")
            with open(src, "w") as f:
                f.write(EMBED_C)
            subprocess.run([cc, src, "-o", exe] + flags[0] + flags[1]
                           + ["-Wl,-rpath," + libdir], check=True, env=_tool_env())
            env = dict(os.environ, VGC_DISABLE="1",
                       PYTHONHOME=sys.base_prefix,
                       PYTHONPATH=os.environ.get("PYTHONPATH", ""))
            p = subprocess.run([exe], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertEqual(p.stdout.count("round ok"), 3, p.stdout)


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Layout(unittest.TestCase):
    """10: the binary names the release it was compiled for; install() refuses another."""

    def test_compiled_for_this_release(self):
        import vgc
        self.assertIsNone(vgc._vgc._layout_error)
        self.assertEqual(vgc._vgc.compiled_for >> 8, sys.hexversion >> 8)

    def test_other_patch_release_refused(self):
        """vgc compiled against another 3.X.Y's headers (Debian's, when present) loads into this
        interpreter (same EXT_SUFFIX) but install() refuses, naming both releases."""
        cc = shutil.which("cc") or shutil.which("gcc")
        tag = "%d.%d" % sys.version_info[:2]
        other = None
        for inc in ("/usr/include/python" + tag,):
            h = os.path.join(inc, "patchlevel.h")
            if os.path.exists(os.path.join(inc, "internal", "pycore_gc.h")) and os.path.exists(h):
                with open(h) as f:
                    for line in f:
                        if line.startswith("#define PY_VERSION "):
                            other = (inc, line.split()[2].strip('"'))
        if cc is None or other is None or other[1] == "%d.%d.%d" % sys.version_info[:3]:
            self.skipTest("no headers of another %s patch release" % tag)
        suf = sysconfig.get_config_var("EXT_SUFFIX")
        with tempfile.TemporaryDirectory() as d:
            pkg = os.path.join(d, "vgc")
            os.mkdir(pkg)
            for n in os.listdir(os.path.join(ROOT, "python", "vgc")):
                if n.endswith(".py"):
                    shutil.copy(os.path.join(ROOT, "python", "vgc", n), pkg)
            subprocess.run([cc, "-std=gnu11", "-O1", "-fPIC", "-shared", "-fno-strict-aliasing",
                            "-I" + os.path.join(ROOT, "include"), "-I" + other[0],
                            os.path.join(ROOT, "src", "vgc_policy.c"),
                            os.path.join(ROOT, "src", "vgc_hookstate.c")]
                           + sorted(os.path.join(ROOT, "src", "cpython", n)
                                    for n in os.listdir(os.path.join(ROOT, "src", "cpython"))
                                    if n.endswith(".c"))
                           + ["-o", os.path.join(pkg, "_vgc" + suf)], check=True, env=_tool_env())
            code = ("import vgc, gc\n"
                    "try:\n    vgc.install()\nexcept RuntimeError as e:\n    print('refused:', e)\n"
                    "print('gc is stock:', __import__('sys').modules['gc'] is vgc._stock_gc)\n"
                    "print('reason:', vgc.status()['reason'])\n")
            env = dict(os.environ, PYTHONPATH=d, VGC_DISABLE="1")
            env.pop("VGC_IGNORE_LAYOUT", None)
            p = subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            here = "%d.%d.%d" % sys.version_info[:3]
            self.assertIn("refused: vgc._vgc was compiled for CPython %s but runs on CPython %s"
                          % (other[1], here), p.stdout)
            self.assertIn("gc is stock: True", p.stdout)
            self.assertIn("VGC_IGNORE_LAYOUT=1", p.stdout)



class InPlace(unittest.TestCase):
    """The in-place design (include/vgc_inplace.h): no snapshot, so no allocation can make a
    collection CPython's.  The host hands each object's successors over from a
    buffer that grows past its static 1,024 entries while memory allows and is refilled by
    traversing again when it does not (chunks).  Differential: the same collections as stock
    when every k-th growth of that buffer fails, on objects with 3,000 references each (live
    and garbage, weakref callbacks, resurrection), every generation; fallbacks stay 0."""

    CODE = r'''
        import _testcapi, weakref
        gc.disable()
        gc.collect()
        calls = []
        class Res:
            saved = []
            def __del__(self):
                Res.saved.append(self)
        class Leg:
            def __tp_del__(self):
                pass
        Leg = _testcapi.with_tp_del(Leg)
        out = []
        for k in (0, 1, 2, 3, 5):
            big_live = [C() for _ in range(3000)]
            for c in big_live:
                c.home = big_live                 # 3,000 references from one list, kept
            big_map = dict(enumerate(big_live))   # and from one dict (lists are read in chunks
                                                  # from ob_item; a dict's traverse fills the buffer)
            garbage = [C() for _ in range(3000)]
            for c in garbage:
                c.home = garbage
            garbage.append(dict(enumerate(garbage)))
            w = weakref.ref(garbage[7], lambda r: calls.append(k))
            g2 = [Res() for _ in range(1500)]
            g2.append(g2)
            # phase 3: a legacy (tp_del) object's 3,000 successors (its dict's traverse)
            lg = Leg(); lg.me = lg
            lg.map = {i: C() for i in range(3000)}
            del garbage, g2, lg
            if MODE == "vgc":
                vgc._vgc._fail_alloc_after(k)
            found = [gc.collect(0), gc.collect(1), gc.collect(2)]
            if MODE == "vgc":
                vgc._vgc._fail_alloc_after(0)
            out.append([k, found, w() is None, len(Res.saved),
                        all(c.home is big_live for c in big_live), len(big_map),
                        [len(o.map) for o in gc.garbage]])
            Res.saved.clear()
            for o in gc.garbage:
                o.__dict__.clear()
            gc.garbage.clear()
        R["out"] = out
        R["calls"] = calls
        if MODE == "vgc":
            st = vgc.status()
            R["vgc"] = [st["fallbacks"], st["collections"] >= 15, st["peak_bytes"] >= 3000 * 8]
    '''

    def test_successor_chunks_without_memory(self):
        stock, mine = both(self.CODE, timeout=120)
        self.assertEqual(mine.pop("vgc"), [0, True, True])
        self.assertEqual(mine, stock)


class LookAhead(unittest.TestCase):
    """A deduction over 200,000 objects or more runs with the look-ahead (src/cpython/inplace.c),
    a smaller one without: status()["look_ahead"] counts them (the phases' results are
    test_differential.py's test_look_ahead_order)."""

    def test_only_big_collections(self):
        code = r'''
        gc.disable()
        gc.collect()
        base = vgc.status()["look_ahead"]
        small = [[i] for i in range(10000)]
        gc.collect(0)
        after_small = vgc.status()["look_ahead"]
        big = [[i] for i in range(250000)]
        gc.collect(0)
        after_big = vgc.status()["look_ahead"]
        gc.collect()
        R["counts"] = [after_small - base, after_big - after_small,
                       vgc.status()["look_ahead"] - after_big]
        '''
        # the default threshold, whatever the test run sets (make test-python runs this file
        # a second time with VGC_LOOK_AHEAD_MIN=0: the ring on every collection)
        self.assertEqual(run(code, "vgc", env={"VGC_LOOK_AHEAD_MIN": "200000"})[0]["counts"],
                         [0, 1, 1])

    def test_environment_threshold(self):
        code = r'''
        gc.disable()
        gc.collect()
        st = vgc.status()
        small = [[i] for i in range(100)]
        gc.collect(0)
        R["n"] = vgc.status()["look_ahead"] - st["look_ahead"]
        R["rechecks"] = vgc.status()["recheck_in_place"] - st["recheck_in_place"]
        '''
        # every deduction ran with it: the collection's, and the re-check that validation
        # (VGC_VALIDATE=1, Py_DEBUG) runs even when it could be skipped
        r = run(code, "vgc", env={"VGC_LOOK_AHEAD_MIN": "0"})[0]
        self.assertEqual(r["n"], 1 + r["rechecks"])


class KeptMemory(unittest.TestCase):
    """Issue #13 item 2: vgc keeps no buffers between collections; status() reports what it
    keeps (0) and the largest successor buffer a collection grew (only an object with more than
    1,024 references into the collection grows it past its static chunk)."""

    def test_nothing_kept(self):
        code = r'''
        class C:
            pass
        live = []
        for i in range(150000):
            c = C(); c.me = c; c.l = [i]
            live.append(c)
        gc.collect()
        st = vgc.status()
        R["kept"] = st["kept_bytes"]
        R["peak"] = st["peak_bytes"]
        d = {i: C() for i in range(5000)}      # a dict's traverse: 5,000 successors at once
        gc.collect()
        R["peak_dict"] = vgc.status()["peak_bytes"]
        import _testcapi
        class Leg:
            def __tp_del__(self):
                pass
        Leg = _testcapi.with_tp_del(Leg)
        lg = Leg(); lg.me = lg
        lg.map = {i: C() for i in range(5000)}  # phase 3 (legacy finalizers) traverses it
        del lg
        gc.collect()
        R["peak_legacy"] = vgc.status()["peak_bytes"]
        R["kept_legacy"] = vgc.status()["kept_bytes"]
        R["garbage"] = len(gc.garbage)
        R["fallbacks"] = vgc.status()["fallbacks"]
        '''
        mine = run(code, "vgc")[0]
        self.assertEqual(mine["kept"], 0)
        self.assertEqual(mine["peak"], 0)     # the list's items are read in 1,024-item chunks
        self.assertEqual(mine["peak_dict"], 0)  # phases 1 and 2 visit in place: no buffer
        self.assertGreaterEqual(mine["peak_legacy"], 5000 * 8)
        self.assertEqual(mine["kept_legacy"], 0)
        self.assertEqual(mine["garbage"], 1)
        self.assertEqual(mine["fallbacks"], 0)


class Verify(unittest.TestCase):
    """Issue #15 item 5: install(verify=True) / VGC_VERIFY=1: every decision re-checked by the
    independent checker and every list validated; a wrong decision stops the process before
    anything is freed."""

    def test_verify_checks_every_collection(self):
        code = r'''
        import weakref
        gc.disable()          # the same heap at the one collection compared
        class C:
            pass
        for i in range(30000):
            a = C(); a.b = C(); a.b.a = a
            if i % 100 == 0:
                weakref.finalize(a, lambda: None)
        R["found"] = gc.collect()
        if MODE == "vgc":
            st = vgc.status()
            # every decision, the resurrection re-checks' too
            R["v"] = (st["verify"], st["verified"] >= st["collections"] > 0,
                      st["validated"] == st["collections"], st["verify_skipped"])
        '''
        stock = run(code, "stock")[0]
        # the decisions are checked by src/cpython/verify.c
        mine = run(code, "vgc", env={"VGC_VERIFY": "1"})[0]
        self.assertEqual(mine["found"], stock["found"])
        self.assertEqual(mine["v"], [True, True, True, 0])

    def test_wrong_decision_stops_the_process(self):
        p = run_spoiled(4, "keep.me = keep", {"VGC_VERIFY": "1"})
        self.assertIn("vgc: verification failed in collection", p.stderr)
        self.assertIn("(decided in place", p.stderr)
        self.assertIn("disagrees with the independent checker", p.stderr)
        assert_stopped(self, p)


class DirectReads(unittest.TestCase):
    """Exact dicts and plain instances are read directly, not through tp_traverse
    (src/cpython/traverse.h).  install() checks the readers on probe objects and leaves the
    tracked heap and the counts as they were; VGC_DIRECT=0 turns them off; with VGC_VALIDATE=1
    every direct read is checked against tp_traverse and a difference stops the process before
    anything is freed (test_differential.py's test_direct_read_shapes: the shapes)."""

    def test_on_after_install_and_nothing_left(self):
        code = r'''
        gc.disable()
        gc.collect()
        # (get_count()[0] after a collection may differ by a little: README, Limits)
        R["counts"] = (gc.get_count()[1:], len(gc.get_objects()), gc.get_stats())
        R["found"] = gc.collect()
        if MODE == "vgc":
            st = vgc.status()
            R["direct"] = (st["direct_reads"], st["direct_off_reason"])
        '''
        # install() is in PRE; the probes' objects must all be gone by then: the numbers match
        # stock's, where vgc is imported but not installed
        stock = run(code, "stock")[0]
        mine = run(code, "vgc")[0]
        self.assertEqual(mine.pop("direct"), [True, None])
        self.assertEqual(mine["found"], 0)
        self.assertEqual(mine, stock)

    def test_install_leaves_counts(self):
        # install() with the direct reads on and off leaves the same count and tracked objects;
        # the probes ran at import (PRE imports vgc) and left none of their classes behind:
        # without the tp_clear of each class, its own cycle would keep it in
        # object.__subclasses__() until a collection (there is none before this check)
        code = r'''
        R["left"] = [c.__name__ for c in object.__subclasses__()
                     if c.__module__ is None and c.__name__ in ("P", "S")]
        import vgc as v
        gc.disable()
        gc.collect()
        c0, n0 = gc.get_count(), len(gc.get_objects())
        v.install()
        R["delta"] = (gc.get_count(), len(gc.get_objects()) - n0)
        R["direct"] = v.status()["direct_reads"]
        '''
        on = run(code, "stock", env={"VGC_DIRECT": "1"})[0]
        off = run(code, "stock", env={"VGC_DIRECT": "0"})[0]
        self.assertEqual((on["direct"], off["direct"]), (True, False))
        self.assertEqual(on["delta"], off["delta"])
        self.assertEqual(on["left"], [])

    def test_off_by_environment(self):
        code = r'''
        gc.disable()
        class P:
            pass
        keep = []
        for i in range(2000):
            a = P(); a.d = {"a": a, i: [a]}
            if i % 3:
                keep.append(a)
        R["found"] = gc.collect()
        if MODE == "vgc":
            st = vgc.status()
            R["st"] = (st["direct_reads"], st["direct_off_reason"], st["direct_checked"])
        '''
        stock = run(code, "stock")[0]
        off = run(code, "vgc", env={"VGC_DIRECT": "0", "VGC_VALIDATE": "1"})[0]
        on = run(code, "vgc", env={"VGC_VALIDATE": "1"})[0]
        self.assertEqual(off["found"], stock["found"])
        self.assertEqual(on["found"], stock["found"])
        self.assertEqual(off["st"], [False, "VGC_DIRECT=0", 0])
        self.assertEqual(on["st"][:2], [True, None])
        self.assertGreaterEqual(on["st"][2], 4000)          # every instance and its dict

    def test_a_wrong_read_stops_the_process(self):
        p = run_spoiled(8, 'keep.d = {"k": keep}', {"VGC_VALIDATE": "1"})
        self.assertIn("read directly:", p.stderr)
        self.assertIn("a direct read differs from tp_traverse", p.stderr)
        assert_stopped(self, p)


if __name__ == "__main__":
    unittest.main()
