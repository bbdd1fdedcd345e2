"""Threads under vgc (no differential: thread schedules are not reproducible; invariants instead).

* several threads allocate cycles concurrently with automatic collection on: collections run on
  non-main threads too (3.11: in the allocating thread; 3.12+: at the eval-breaker check of
  whichever thread), vgc did them all (CPython's own pass found nothing), live objects intact;
* the main thread blocked (time.sleep, lock wait) while workers allocate: collections keep
  happening and memory (sys.getallocatedblocks) stays bounded;
* finalizers that release the GIL mid-collection (time.sleep(0)) while other threads allocate,
  mutate live objects, call gc.collect() (returns 0 while another thread collects) and try
  vgc.uninstall() (refused during the collection).
"""
import os
import sys
import unittest
from textwrap import dedent

from rutil import run

COMMON = '''
import threading, time
gc.enable()
main_ident = threading.get_ident()
idents = set()
def cb(phase, info):
    if phase == "start":
        idents.add(threading.get_ident())
gc.callbacks.append(cb)
'''


class Threads(unittest.TestCase):
    def test_concurrent_allocation_collects_on_worker_threads(self):
        out, _ = run(COMMON + dedent('''
            gc.set_threshold(200)
            live = {}
            errors = []
            def work(t):
                try:
                    mine = live.setdefault(t, [])
                    for i in range(30000):
                        a = Node("a"); b = Node("b"); a.ref = b; b.ref = a
                        if i % 1000 == 0:
                            keep = Node("keep%d" % i); keep.ref = keep; mine.append(keep)
                    for k in mine:
                        assert k.ref is k and k.name.startswith("keep")
                except BaseException as e:
                    errors.append(repr(e))
            ts = [threading.Thread(target=work, args=(t,)) for t in range(4)]
            for t in ts: t.start()
            for t in ts: t.join()
            gc.disable()
            gc.callbacks.remove(cb)
            R["errors"] = errors
            R["worker_collections"] = len(idents - {main_ident}) > 0
            R["live_ok"] = all(len(v) == 30 and all(k.ref is k for k in v) for v in live.values())
            st = vgc.status()
            R["collected_enough"] = st["collected"] >= 4 * 30000 * 2 * 0.9
        '''))
        R, V = out["R"], out["vgc"]
        self.assertEqual(R["errors"], [])
        self.assertTrue(R["worker_collections"], "no collection ran on a worker thread")
        self.assertTrue(R["live_ok"])
        self.assertTrue(R["collected_enough"])
        self.assertEqual((V["cpython_collected"], V["fallbacks"], V["inconsistent"]), (0, 0, 0))

    def _blocked_main(self, how):
        out, _ = run(COMMON + dedent('''
            gc.set_threshold(500)
            samples = []
            stop = threading.Event()
            release = threading.Lock(); release.acquire()
            made = [0, 0, 0]
            def work(t):
                i = 0
                while not stop.is_set():
                    made[t] = i
                    a = Node(); b = Node(); a.ref = b; b.ref = a
                    i += 1
                    if i % 20000 == 0 and t == 0:
                        samples.append((sys.getallocatedblocks(), vgc.status()["collections"]))
                    if i >= 400000:
                        break
            ts = [threading.Thread(target=work, args=(t,)) for t in range(3)]
            for t in ts: t.start()
            HOW
            stop.set()
            for t in ts: t.join()
            gc.disable()
            gc.callbacks.remove(cb)
            R["nsamples"] = len(samples)
            R["pairs"] = sum(made)
            blocks = [s[0] for s in samples]
            # a single sample can be high: while a collection runs Python callbacks (here the
            # gc callback) another thread may take the GIL and allocate with collections
            # blocked, in stock gc as well.  Unbounded growth would make every late sample high.
            R["growth"] = min(blocks[-3:]) - blocks[0] if blocks else None
            R["max_growth"] = max(blocks) - blocks[0] if blocks else None
            R["collections_while_blocked"] = samples[-1][1] - samples[0][1] if samples else 0
            R["worker_collections"] = len(idents - {main_ident}) > 0
        ''').replace("HOW", how))
        R, V = out["R"], out["vgc"]
        self.assertGreaterEqual(R["nsamples"], 3, R)
        self.assertGreater(R["collections_while_blocked"], 10, R)
        self.assertTrue(R["worker_collections"], R)
        # without collections: >= 2 blocks per pair made (a and b), i.e. millions
        self.assertGreater(R["pairs"], 50000, R)
        self.assertLess(R["growth"], R["pairs"] / 2, R)
        if "VGC_REL_VERBOSE" in os.environ:
            print(R, V)
        self.assertEqual((V["cpython_collected"], V["fallbacks"]), (0, 0))

    def test_main_blocked_in_sleep_garbage_bounded(self):
        self._blocked_main("time.sleep(1.0)")

    def test_main_blocked_on_lock_garbage_bounded(self):
        self._blocked_main("threading.Timer(1.0, release.release).start(); release.acquire()")

    def test_gil_released_inside_finalizers(self):
        out, _ = run(COMMON + dedent('''
            gc.set_threshold(100)
            res = {"collect0": 0, "collect_nonzero_in_del": 0, "uninstall_refused": 0,
                   "uninstall_done": 0}
            shared = [Node("s%d" % i) for i in range(50)]
            for s in shared:
                s.ref = s
            errors = []
            class Slow(Node):
                def __del__(self):
                    time.sleep(0)                  # let the other threads run mid-collection
                    if gc.collect() != 0:
                        res["collect_nonzero_in_del"] += 1
            def finalizing():
                for i in range(3000):
                    s = Slow("x"); s.ref = s
            def mutating():
                try:
                    for i in range(20000):
                        s = shared[i % 50]
                        s.ref = Node("n%d" % i)    # drop/replace references mid-collection
                        s.ref.ref = s
                        if i % 500 == 0:
                            n = gc.collect(0)
                            if n == 0: res["collect0"] += 1
                            try:
                                vgc._vgc._uninstall()   # refused during a collection; if not,
                                res["uninstall_done"] += 1
                                vgc._vgc._install()     # (no collection in progress) put back
                            except RuntimeError:
                                res["uninstall_refused"] += 1
                except BaseException as e:
                    errors.append(repr(e))
            ts = [threading.Thread(target=finalizing) for _ in range(2)]
            ts += [threading.Thread(target=mutating) for _ in range(2)]
            for t in ts: t.start()
            for t in ts: t.join()
            gc.disable()
            gc.callbacks.remove(cb)
            R["errors"] = errors
            R["res"] = res
            R["shared_ok"] = all(s.ref.ref is s for s in shared)
            R["slow_left"] = gc.collect() >= 0 and sum(type(o) is Slow for o in gc.get_objects())
            R["installed"] = vgc.status()["installed"]
        '''))
        R, V = out["R"], out["vgc"]
        self.assertEqual(R["errors"], [])
        self.assertEqual(R["res"]["collect_nonzero_in_del"], 0, R)
        if "-v" in sys.argv or "VGC_REL_VERBOSE" in os.environ:
            print(R, V)
        self.assertTrue(R["shared_ok"])
        self.assertEqual(R["slow_left"], 0)
        self.assertTrue(R["installed"])
        self.assertEqual(V["cpython_collected"], 0)


if __name__ == "__main__":
    unittest.main()
