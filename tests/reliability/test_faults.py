"""Allocation-failure injection, fast part (the full sweep is `make fault-sweep`): for a few
representative heaps (plain cycles, weakrefs with callbacks, resurrecting __del__, legacy tp_del
finalizers, objects with more references into the collection than the successor buffer's static
chunk so the buffer grows mid-traversal, old->young references) fail the k-th allocation of one
collection for every k, once vgc's own (the successor buffer's growth, `_set_alloc_fail`) and once
any allocation (`_testcapi.set_nomemory`); see fault_driver.py for the checks.  Every collection
is decided in place: no allocation failure makes vgc hand a collection to CPython's collector, and
none frees a live object or loses the collection.  Runs under PYTHONMALLOC=debug (freed memory is
poisoned) unless already under ASan."""
import json
import os
import subprocess
import sys
import unittest

from rutil import HERE, TIMEOUT

FAST = ["--heaps", "cycles,weakref_callbacks,resurrect,legacy,wide,aged@0", "--gens", "2",
        "--size", "3"]


def drive(args):
    env = dict(os.environ)
    if "LD_PRELOAD" not in env:
        env["PYTHONMALLOC"] = "debug"
    proc = subprocess.run([sys.executable, "-X", "faulthandler",
                           os.path.join(HERE, "fault_driver.py")] + args, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=TIMEOUT * 3)
    if "@@FAULT@@" not in proc.stdout:
        raise AssertionError("fault driver crashed (rc=%d):\n%s\n%s"
                             % (proc.returncode, proc.stdout[-2000:], proc.stderr[-4000:]))
    return json.loads(proc.stdout.split("@@FAULT@@", 1)[1]), proc


def totals(res):
    total = {}
    for c in res["cases"]:
        for o, n in c["outcomes"].items():
            total[o] = total.get(o, 0) + n
    return total


class FaultInjection(unittest.TestCase):
    # vgc's own allocation, the successor buffer's growth (_set_alloc_fail(k), every k of the
    # collection): the successors are then handed over in chunks, and the collection is exactly
    # the reference's (nothing deferred), never CPython's.
    def test_every_k_fast(self):
        res, proc = drive(FAST)
        self.assertEqual(res["failures"], [], "\n".join(res["failures"][:20]))
        self.assertEqual(proc.returncode, 0)
        self.assertEqual((res["cpython_collected"], res["fallbacks"]), (0, 0))
        total = totals(res)
        self.assertEqual(total.get("fallback", 0), 0, total)
        for c in res["cases"]:
            if c["heap"] == "wide":
                # the heap whose objects outgrow the static chunk: the buffer grew (1,024 ->
                # 16,384 entries: 4 growths) and every growth was made to fail once
                self.assertGreaterEqual(c["nalloc"], 4, c)
                self.assertEqual(c["outcomes"].get("injected", 0), c["nalloc"], c)
            else:
                # nothing else in these heaps outgrows the chunk: no allocation by vgc at all
                self.assertEqual(c["nalloc"], 0, c)

    # Any allocation (_testcapi.set_nomemory(k, k + 1), every k from the collect() call to the
    # end of the collection): no live object freed or moved to another generation, the lists
    # walkable, no finalizer or callback run twice, the collection never lost (the failed one
    # finds at least the reference's objects; after the next one, everything the reference
    # frees is freed).  CPython's own collector does a collection only when CPython could not
    # build its "start" call of the callbacks (vgc's hook is one): those are all the fallbacks.
    def test_every_k_fast_nomemory(self):
        try:
            import _testcapi
            _testcapi.set_nomemory
        except (ImportError, AttributeError):
            self.skipTest("no _testcapi.set_nomemory")
        res, proc = drive(FAST + ["--nomemory"])
        self.assertEqual(res["failures"], [], "\n".join(res["failures"][:20]))
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(res["cpython_collected"], 0)
        total = totals(res)
        self.assertEqual(res["fallbacks"], total.get("cpython", 0), total)
        for c in res["cases"]:
            self.assertGreater(c["nalloc"], 0, c)         # the sweep failed something
            self.assertEqual(c["outcomes"].get("none", 0), 1, c)
            # some of the failures hit collections vgc made (not only CPython's start call)
            self.assertGreater(c["nalloc"] - c["outcomes"].get("cpython", 0), 0, c)
        wide = [c for c in res["cases"] if c["heap"] == "wide"][0]
        # the buffer's growths (PyMem_RawRealloc) failed too, silently: chunks, same result
        self.assertGreater(wide["outcomes"].get("same", 0), 0, wide)


if __name__ == "__main__":
    unittest.main()
