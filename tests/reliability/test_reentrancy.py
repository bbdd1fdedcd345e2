"""Exceptions and re-entrancy during a collection.

Differential (stock gc vs vgc, fresh processes, identical observables incl. every unraisable
exception: type, message, err_msg, object type): exceptions in __del__, weakref callbacks and gc
callbacks are reported through sys.unraisablehook and the collection completes; gc.collect()
(vgc's and the original module's) from inside a finalizer, weakref callback or gc callback returns
0; callbacks that add/remove/clear callbacks mid-collection; gc API calls (get_objects,
get_referrers, freeze/unfreeze, set_debug, disable) from finalizers and callbacks.
vgc only: install()/uninstall() from a callback or finalizer mid-collection is refused with a
clear RuntimeError and the collection (and the next one) is intact.
"""
import unittest

from rutil import DiffMixin, run



class Exceptions(DiffMixin, unittest.TestCase):
    def test_exception_in_del(self):
        self.diff('''
            class D(Node):
                def __del__(self):
                    raise ValueError("in __del__ of " + self.name)
            a = D("a"); b = D("b"); c = Node("c"); a.ref = b; b.ref = c; c.ref = a
            x = Node("x"); x.ref = x
            w = weakref.ref(x)
            del a, b, c, x
            R["n"] = gc.collect()
            R["x_dead"] = w() is None
            R["again"] = gc.collect()
        ''')

    def test_exception_in_weakref_callback(self):
        self.diff('''
            seen = []
            def bad(wr):
                seen.append("bad")
                raise KeyError("callback")
            def good(wr):
                seen.append("good")
            a = Node("a"); a.ref = a; b = Node("b"); b.ref = b
            wa = weakref.ref(a, bad); wb = weakref.ref(b, good)
            del a, b
            R["n"] = gc.collect()
            R["seen"] = sorted(seen)
            R["again"] = gc.collect()
        ''')

    def test_exception_in_gc_callbacks(self):
        self.diff('''
            log = []
            def bad(phase, info):
                log.append(("bad", phase))
                raise RuntimeError("gc callback " + phase)
            def good(phase, info):
                log.append(("good", phase, info["generation"], info["collected"]))
            gc.callbacks.extend([bad, good, 42])     # 42: not callable
            a = Node("a"); a.ref = a; del a
            R["n"] = gc.collect()
            R["n1"] = gc.collect(1)
            R["log"] = log
            del gc.callbacks[:]
        ''')

    def test_exceptions_in_automatic_collections(self):
        self.diff('''
            class D(Node):
                def __del__(self):
                    raise ValueError("auto")
            gc.set_threshold(50)
            gc.enable()
            for i in range(3000):
                d = D(str(i)); d.ref = d
            gc.disable()
            R["completed"] = True
            R["some_reported"] = len(U) > 0
            R["all_valueerror"] = sorted(set(u[0] for u in U))
            del U[:]
            gc.collect()
            R["left"] = len([o for o in gc.get_objects() if type(o) is D])
            R["left_reported_valueerror"] = sorted(set(u[0] for u in U))
            del U[:]
        ''')


class Reentrancy(DiffMixin, unittest.TestCase):
    def test_collect_from_finalizer_and_callbacks_returns_zero(self):
        self.diff('''
            res = []
            class C(Node):
                def __del__(self):
                    res.append(("del", gc.collect(), gc.collect(0), orig_gc.collect()))
            def wcb(wr):
                res.append(("wcb", gc.collect(), orig_gc.collect(1)))
            def gcb(phase, info):
                res.append(("gcb", phase, gc.collect(), orig_gc.collect()))
            c = C("c"); c.ref = c
            t = Node("t"); t.ref = t; w = weakref.ref(t, wcb)
            del c, t
            gc.callbacks.append(gcb)
            R["n"] = gc.collect()
            gc.callbacks.remove(gcb)
            R["res"] = res
            R["after"] = gc.collect()
        ''')

    def test_callbacks_added_and_removed_mid_collection(self):
        self.diff('''
            log = []
            def c3(phase, info):
                log.append(("c3", phase))
            def c1(phase, info):
                log.append(("c1", phase))
                if phase == "start" and c3 not in gc.callbacks:
                    gc.callbacks.append(c3)               # called in this very phase
            def c2(phase, info):
                log.append(("c2", phase))
                if phase == "stop":
                    gc.callbacks.remove(c2)               # shifts the list under the loop
            def c4(phase, info):
                log.append(("c4", phase))
            gc.callbacks.extend([c1, c2, c4])
            for i in range(3):
                a = Node(); a.ref = a; del a
                log.append(("collect", gc.collect()))
            def clearer(phase, info):
                log.append(("clearer", phase))
                del gc.callbacks[:]
            gc.callbacks.insert(0, clearer)
            log.append(("collect", gc.collect()))
            log.append(("left", len(gc.callbacks)))
            R["log"] = log
        ''')

    def test_gc_api_from_finalizers(self):
        self.diff('''
            res = []
            class C(Node):
                def __del__(self):
                    res.append(("in_get_objects", any(o is self for o in gc.get_objects())))
                    res.append(("referrers", sorted(getattr(o, "name", type(o).__name__)
                                                     for o in gc.get_referrers(self)
                                                     if isinstance(o, Node))))
                    res.append(("referents", len(gc.get_referents(self))))
                    res.append(("tracked", gc.is_tracked(self), gc.is_finalized(self)))
                    junk = Node("junk"); junk.ref = junk           # new garbage meanwhile
                    gc.freeze()
                    res.append(("frozen", gc.get_freeze_count() > 0))
                    gc.unfreeze()
                    gc.set_debug(0)
                    gc.disable()
            a = C("a"); b = C("b"); a.ref = b; b.ref = a
            keep = Node("keep"); keep.ref = a
            del a, b
            R["n0"] = gc.collect()             # reachable from keep: nothing
            keep.ref = None
            R["n"] = gc.collect()
            R["res"] = res
            R["n2"] = gc.collect()
            R["frozen_after"] = gc.get_freeze_count()
        ''')

    def test_debug_and_threshold_changed_by_start_callback(self):
        self.diff('''
            def cb(phase, info):
                if phase == "start":
                    gc.set_debug(gc.DEBUG_SAVEALL)
                    gc.set_threshold(123, 4, 5)
            gc.callbacks.append(cb)
            a = Node("a"); a.ref = a; del a
            R["n"] = gc.collect()
            gc.callbacks.remove(cb)
            R["garbage"] = [getattr(o, "name", None) for o in gc.garbage]
            R["debug"] = gc.get_debug()
            R["threshold"] = gc.get_threshold()
            gc.set_debug(0)
            gc.garbage.clear()
        ''')


class InstallMidCollection(unittest.TestCase):
    def test_uninstall_from_callback_or_finalizer_is_refused(self):
        out, _ = run('''
            res = []
            def cb(phase, info):
                try:
                    res.append((phase, vgc.uninstall()))
                except RuntimeError as e:
                    res.append((phase, str(e)))
            class C(Node):
                def __del__(self):
                    try:
                        res.append(("del", vgc.uninstall()))
                    except RuntimeError as e:
                        res.append(("del", str(e)))
                    try:
                        res.append(("del-install", vgc.install()))
                    except RuntimeError as e:
                        res.append(("del-install", str(e)))
            gc.callbacks.append(cb)
            c = C("c"); c.ref = c
            x = [Node(str(i)) for i in range(100)]
            del c
            R["n"] = gc.collect()
            gc.callbacks.remove(cb)
            R["res"] = res
            R["installed"] = vgc.status()["installed"] and sys.modules["gc"] is vgc
            ids = {id(o) for o in gc.get_objects()}
            R["objects_kept"] = all(id(n) in ids for n in x) and len(ids) > 1000
            y = Node("y"); y.ref = y; del y
            R["next"] = gc.collect()
            vgc.uninstall()
            R["uninstall_now"] = not vgc.status()["installed"] and sys.modules["gc"] is orig_gc
        ''')
        R = out["R"]
        msg = "vgc: cannot uninstall during a collection"
        self.maxDiff = None
        self.assertEqual(R["res"], [["start", msg], ["del", msg], ["del-install", None],
                                    ["stop", msg]])
        self.assertGreaterEqual(R["n"], 1)
        self.assertTrue(R["installed"])
        self.assertTrue(R["objects_kept"], R)
        self.assertEqual(R["next"], 1)
        self.assertTrue(R["uninstall_now"])

    def test_install_from_a_stock_collection_is_refused(self):
        out, _ = run('''
            import vgc
            res = []
            def cb(phase, info):
                try:
                    vgc.install()
                    res.append((phase, "installed"))
                except RuntimeError as e:
                    res.append((phase, str(e)))
            gc.callbacks.append(cb)
            a = Node("a"); a.ref = a; del a
            R["n"] = gc.collect()
            gc.callbacks.remove(cb)
            R["res"] = res
            R["installed"] = vgc.status()["installed"]
            vgc.install()
            import gc as g2
            b = Node("b"); b.ref = b; del b
            R["after"] = g2.collect()
            R["status"] = [vgc.status()["installed"], vgc.status()["collections"]]
        ''', mode="stock")
        R = out["R"]
        msg = "vgc: cannot install during a collection"
        self.assertEqual(R["res"], [["start", msg], ["stop", msg]])
        self.assertEqual(R["n"], 1)
        self.assertFalse(R["installed"])
        self.assertEqual(R["after"], 1)
        self.assertEqual(R["status"], [True, 1])


if __name__ == "__main__":
    unittest.main()
