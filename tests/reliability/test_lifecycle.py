"""Lifecycle: install/uninstall repeatedly; interpreter shutdown with vgc installed and with
garbage (differential against stock gc: exit code, stdout, stderr incl. test_gc's
DEBUG_UNCOLLECTABLE / DEBUG_SAVEALL shutdown messages); daemon threads still allocating at exit;
atexit handlers that collect/uninstall; fork; subinterpreters (install() refused with a clear
error, the main interpreter unaffected)."""
import os
import re
import subprocess
import sys
import textwrap
import unittest

from rutil import TIMEOUT, run

HEAD = '''
import os
if os.environ["VGC_TEST_MODE"] == "vgc":
    import vgc
    vgc.install()
import gc
'''


def run_raw(code, mode, args=("-Wd",)):
    env = dict(os.environ, VGC_TEST_MODE=mode, VGC_DISABLE="1")
    p = subprocess.run([sys.executable] + list(args) + ["-c", HEAD + textwrap.dedent(code)],
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=TIMEOUT)
    err = re.sub(r"0x[0-9a-f]+", "0xADDR", p.stderr)
    err = re.sub(r"\d+\.\d+s elapsed", "Ns elapsed", err)
    # vgc imports a few modules: generation sizes differ, not an observable
    err = re.sub(r"(objects in each generation:|objects in permanent generation:)[ \d]*",
                 r"\1 N", err)
    return p.returncode, p.stdout, err


SHUTDOWN_GARBAGE = '''
import _testcapi
@_testcapi.with_tp_del
class X:
    def __init__(self, name):
        self.name = name
    def __repr__(self):
        return "<X %r>" % self.name
    def __tp_del__(self):
        pass
x = X('first')
x.x = x
x.y = X('second')
del x
COLLECT
gc.set_debug(DEBUG)
'''


class Shutdown(unittest.TestCase):
    def same(self, code, sort_stdout=False, **kw):
        stock = run_raw(code, "stock", **kw)
        mine = run_raw(code, "vgc", **kw)
        if sort_stdout:      # order depends on when automatic collections ran (timing differs)
            stock = (stock[0], sorted(stock[1].splitlines()), stock[2])
            mine = (mine[0], sorted(mine[1].splitlines()), mine[2])
        self.maxDiff = None
        self.assertEqual(mine, stock)
        return mine

    def test_garbage_at_shutdown_like_test_gc(self):
        for collect in ("", "gc.collect()"):      # found at shutdown by CPython / before by vgc
            for debug in ("0", "gc.DEBUG_UNCOLLECTABLE", "gc.DEBUG_SAVEALL",
                          "gc.DEBUG_UNCOLLECTABLE | gc.DEBUG_SAVEALL"):
                with self.subTest(collect=collect, debug=debug):
                    rc, out, err = self.same(SHUTDOWN_GARBAGE.replace("COLLECT", collect)
                                             .replace("DEBUG", debug))
                    self.assertEqual((rc, out), (0, ""))
                    if debug == "0":
                        self.assertIn("ResourceWarning: gc: 2 uncollectable objects at "
                                      "shutdown; use", err)
                    elif debug == "gc.DEBUG_SAVEALL":
                        self.assertNotIn("uncollectable objects at shutdown", err)

    def test_collect_with_debug_flags_then_exit(self):
        self.same('''
            gc.disable()
            gc.collect()
            class C:
                def __del__(self):
                    print("del", self.n)
            for i in range(3):
                c = C(); c.n = i; c.c = c
            del c
            gc.set_debug(gc.DEBUG_STATS | gc.DEBUG_COLLECTABLE | gc.DEBUG_UNCOLLECTABLE)
            print(gc.collect() > 0)
            gc.set_debug(gc.DEBUG_SAVEALL)
            for i in range(3, 6):
                c = C(); c.n = i; c.c = c
            del c
            print(gc.collect(), len(gc.garbage))
        ''')

    def test_main_module_cycles_and_finalizers_at_shutdown(self):
        rc, out, err = self.same('''
            import weakref, sys
            class C:
                def __del__(self):
                    print("__del__ called", self.n)
            l = [C() for i in range(20)]
            for i, c in enumerate(l):
                c.n = i; c.l = l
            l.append(l)
            class T: pass
            t = T(); t.t = t
            w = weakref.ref(t, lambda r: print("callback at shutdown"))
            del t
            d = {}
            d["self"] = d
        ''', sort_stdout=True)
        self.assertEqual(rc, 0)
        self.assertEqual(out.count("callback at shutdown"), 1)
        self.assertEqual(len(out), 21)

    def test_daemon_threads_allocating_at_exit(self):
        for i in range(3):
            rc, out, err = run_raw('''
                import threading, time
                gc.set_threshold(50)
                class N: pass
                def work():
                    while True:
                        a = N(); b = N(); a.b = b; b.a = a
                for _ in range(3):
                    threading.Thread(target=work, daemon=True).start()
                time.sleep(0.3)
                print("exit", vgc.status()["collections"] > 0)
            ''', "vgc")
            self.assertEqual((rc, out.strip()), (0, "exit True"), err)
            self.assertNotIn("Fatal", err)

    def test_atexit_collect_and_uninstall(self):
        rc, out, err = self.same('''
            import atexit, sys
            gc.disable()
            gc.collect()
            class N: pass
            def late():
                a = N(); a.a = a; del a
                print("atexit collect", gc.collect())
                if "vgc" in sys.modules and sys.modules["vgc"].status()["installed"]:
                    sys.modules["vgc"].uninstall()
                a = N(); a.a = a; del a
                print("after uninstall", sys.modules["gc"].collect())
            atexit.register(late)
            junk = [N() for i in range(100)]
            for j in junk: j.j = junk
        ''')
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"^atexit collect [1-9]\d*\nafter uninstall [1-9]")


class Repeated(unittest.TestCase):
    def test_install_uninstall_many_times(self):
        out, _ = run('''
            stock = vgc._stock_gc
            vgc.uninstall()
            calls = []
            def cb(phase, info):
                calls.append(phase)
            stock.callbacks.append(cb)
            stock.set_debug(stock.DEBUG_SAVEALL)
            stock.set_debug(0)
            stock.set_threshold(321, 7, 5)
            cbs, garbage = stock.callbacks, stock.garbage
            problems = []
            expected_vgc = 0
            for i in range(100):
                vgc.install()
                import gc as g
                if g is not vgc: problems.append("gc is not vgc")
                a = Node(); a.ref = a; del a
                if g.collect() != 1: problems.append("vgc collect")
                expected_vgc += 1
                if g.callbacks is not cbs or g.garbage is not garbage:
                    problems.append("identity")
                if g.get_threshold() != (321, 7, 5): problems.append("threshold")
                if i % 2:
                    g.set_debug(g.DEBUG_STATS * 0)
                vgc.uninstall()
                import gc as g
                if g is not stock: problems.append("gc is not stock")
                a = Node(); a.ref = a; del a
                if g.collect() != 1: problems.append("stock collect")
                if stock.get_debug() != 0: problems.append("debug")
            R["problems"] = sorted(set(problems))
            R["calls"] = len(calls)
            R["status"] = vgc.status()["installed"]
            vgc.install()
            a = Node(); a.ref = a; del a
            R["final"] = [gc.collect() if False else vgc.collect(), vgc.status()["collections"]]
            stock.callbacks.remove(cb)
        ''')
        R = out["R"]
        self.assertEqual(R["problems"], [])
        self.assertEqual(R["calls"], 100 * 2 * 2)     # start+stop, under vgc and stock
        self.assertFalse(R["status"])
        self.assertEqual(R["final"], [1, 1])          # counters restart at each install

    def test_debug_stats_survives_install_cycles(self):
        out, _ = run('''
            stock = vgc._stock_gc
            vgc.uninstall()
            stock.set_debug(stock.DEBUG_STATS | stock.DEBUG_SAVEALL)
            seen = []
            for i in range(5):
                vgc.install()
                seen.append(vgc.get_debug())
                vgc.uninstall()
                seen.append(stock.get_debug())
            stock.set_debug(0)
            R["seen"] = seen
        ''')
        self.assertEqual(set(out["R"]["seen"]), {1 | 32})

    def test_fork_with_vgc_installed(self):
        if not hasattr(os, "fork"):
            self.skipTest("no fork")
        out, _ = run('''
            import os
            a = Node(); a.ref = a; del a
            pid = os.fork()
            if pid == 0:
                b = Node(); b.ref = b; del b
                n = gc.collect()
                os._exit(0 if n == 2 and vgc.status()["installed"] else 3)
            _, st = os.waitpid(pid, 0)
            R["child"] = os.waitstatus_to_exitcode(st)
            R["parent"] = gc.collect()
        ''')
        self.assertEqual(out["R"]["child"], 0)
        self.assertEqual(out["R"]["parent"], 1)


class Subinterpreters(unittest.TestCase):
    def test_install_refused_in_subinterpreters(self):
        out, _ = run('''
            import textwrap, tempfile
            path = tempfile.mktemp()
            code = textwrap.dedent(\'\'\'
                import vgc
                try:
                    vgc.install()
                    r = "installed"
                except RuntimeError as e:
                    r = "RuntimeError: %s" % e
                import gc
                class N: pass
                a = N(); a.a = a; del a
                r += " | gc=%s collect=%d" % (gc.__name__, gc.collect())
                with open(PATH, "a") as f:
                    f.write(r + chr(10))
            \'\'\').replace("PATH", repr(path))
            kinds = []
            import _testcapi
            _testcapi.run_in_subinterp(code); kinds.append("legacy")
            try:
                import _interpreters as I
            except ImportError:
                try:
                    import _xxsubinterpreters as I
                except ImportError:
                    I = None
            if I is not None:
                iid = I.create()
                I.run_string(iid, code)
                I.destroy(iid)
                kinds.append("isolated")
            R["kinds"] = kinds
            R["lines"] = open(path).read().splitlines()
            os.unlink(path)
            a = Node(); a.ref = a; del a
            R["main"] = [vgc.status()["installed"], gc.collect(), sys.modules["gc"] is vgc]
        ''')
        R = out["R"]
        self.assertEqual(len(R["lines"]), len(R["kinds"]))
        for line in R["lines"]:
            self.assertTrue(line.startswith("RuntimeError: "), line)
            self.assertRegex(line, "main interpreter|subinterpreter")
            self.assertRegex(line, r"gc=gc collect=[1-9]")   # the stock collector, real count
        self.assertEqual(R["main"], [True, 1, True])


if __name__ == "__main__":
    unittest.main()
