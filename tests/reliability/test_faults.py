"""Allocation-failure injection, fast part (the full sweep is `make fault-sweep`): for a few
representative heaps (plain cycles, weakrefs with callbacks, resurrecting __del__, legacy tp_del
finalizers, objects with many edges so the edge buffer grows mid-traversal, old->young references)
fail the k-th allocation of one collection for every k from 1 to the number of allocations that
collection makes (+1); see fault_driver.py for the checks.  Runs under PYTHONMALLOC=debug (freed
memory is poisoned) unless already under ASan."""
import json
import os
import subprocess
import sys
import unittest

from rutil import HERE, TIMEOUT

FAST = ["--heaps", "cycles,weakref_callbacks,resurrect,legacy,wide,aged@0", "--gens", "2",
        "--size", "3"]


def drive(args, design="array"):
    env = dict(os.environ, VGC_DESIGN=design)
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


class FaultInjection(unittest.TestCase):
    # The array snapshot (VGC_DESIGN=array; by default it runs only for collections holding a
    # legacy finalizer, verify=True and Py_DEBUG builds): every allocation it makes fails once.
    def test_every_k_fast(self):
        res, proc = drive(FAST)
        self.assertEqual(res["failures"], [], "\n".join(res["failures"][:20]))
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(res["cpython_collected"], 0)
        total = {}
        for c in res["cases"]:
            self.assertGreater(c["nalloc"], 0, c)
            for o, n in c["outcomes"].items():
                total[o] = total.get(o, 0) + n
        # both recovery paths were exercised: CPython's collector took over (snapshot failed),
        # and the resurrection re-check's snapshot failed (decided in place, as stock's: the
        # first collection already finds what the reference run finds, never "deferred")
        self.assertGreater(total.get("fallback", 0), 0, total)
        self.assertGreater(total.get("in_place", 0), 0, total)
        self.assertEqual(total.get("deferred", 0), 0, total)

    # The in-place design (the default): a collection without a legacy finalizer allocates
    # nothing it needs (only the successor buffer's growth, whose failure means chunks), so no
    # failure makes it CPython's; the legacy heap takes the array snapshot and may fall back.
    def test_every_k_fast_inplace(self):
        res, proc = drive(FAST, design="inplace")
        self.assertEqual(res["failures"], [], "\n".join(res["failures"][:20]))
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(res["cpython_collected"], 0)
        for c in res["cases"]:
            if c["heap"] != "legacy":
                self.assertEqual(c["outcomes"].get("fallback", 0), 0, c)
                self.assertEqual(c["outcomes"].get("deferred", 0), 0, c)


if __name__ == "__main__":
    unittest.main()
