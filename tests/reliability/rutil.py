"""Helpers for the reliability tests: run a snippet in a fresh interpreter, under vgc or stock gc.

The snippet fills the dict R; the harness prints it as JSON.  PREAMBLE installs vgc when
mode == "vgc" (orig_gc: the interpreter's own module), disables automatic collection, collects
once, and records every unraisable exception in U (type, message, err_msg, object
type) through sys.unraisablehook.  Extra interpreter flags/env can be passed; under ASan runs
(make test-asan) the environment (LD_PRELOAD, ASAN_OPTIONS, ...) is inherited.
"""
import json
import os
import re
import subprocess
import sys
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = float(os.environ.get("VGC_REL_TIMEOUT", "300"))

PREAMBLE = r'''
import os, sys, json
MODE = os.environ["VGC_TEST_MODE"]
if MODE == "vgc":
    import vgc
    vgc.install()
import gc
import weakref
gc.disable()
gc.collect()
orig_gc = vgc._stock_gc if MODE == "vgc" else gc      # the interpreter's own gc module
U = []
def _uhook(u):
    U.append([type(u.exc_value).__name__ if u.exc_value is not None else None,
              str(u.exc_value), u.err_msg,
              type(u.object).__name__ if u.object is not None else None])
sys.unraisablehook = _uhook
R = {}
class Node:
    def __init__(self, name=""):
        self.name = name
        self.ref = None
'''

POSTAMBLE = r'''
R["U"] = U
out = {"R": R}
if MODE == "vgc":
    st = vgc.status()
    out["vgc"] = {k: st[k] for k in ("installed", "collections", "cpython_collected",
                                     "fallbacks", "inconsistent")}
sys.stdout.write("@@RESULT@@" + json.dumps(out, sort_keys=True, default=repr) + "\n")
'''


def run(code, mode="vgc", python=None, args=(), env=None, timeout=None, check=True,
        preamble=True):
    """Run code in a fresh interpreter; returns (result dict or None, CompletedProcess)."""
    src = (PREAMBLE + textwrap.dedent(code) + POSTAMBLE) if preamble else textwrap.dedent(code)
    e = dict(os.environ, VGC_TEST_MODE=mode, VGC_DISABLE="1")
    e.update(env or {})
    proc = subprocess.run([python or sys.executable, "-X", "faulthandler"] + list(args)
                          + ["-c", src], env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=timeout or TIMEOUT)
    out = None
    if "@@RESULT@@" in proc.stdout:
        out = json.loads(proc.stdout.split("@@RESULT@@", 1)[1].splitlines()[0])
    if check and (proc.returncode != 0 or (preamble and out is None)):
        raise AssertionError("snippet failed under %s (rc=%d):\n%s\n%s"
                             % (mode, proc.returncode, proc.stdout[-3000:], proc.stderr[-4000:]))
    return out, proc


# names that differ only because the functions live in vgc._vgc rather than gc
_MODNAME = re.compile(r"\b(vgc\._vgc|vgc|gc)\.(?=\w+\(\))")


def normalize(x):
    if isinstance(x, str):
        return _MODNAME.sub("gc.", re.sub(r"0x[0-9a-f]+", "0xADDR", x))
    if isinstance(x, list):
        return [normalize(y) for y in x]
    if isinstance(x, dict):
        return {k: normalize(v) for k, v in x.items()}
    return x


class DiffMixin:
    """self.diff(code): same R under stock gc and under vgc; vgc did not leave work to CPython."""

    def diff(self, code, **kw):
        stock, _ = run(code, "stock", **kw)
        mine, proc = run(code, "vgc", **kw)
        self.assertEqual(normalize(mine["R"]), normalize(stock["R"]))
        v = mine["vgc"]
        self.assertTrue(v["installed"])
        self.assertEqual(v["cpython_collected"], 0)
        return mine, stock
