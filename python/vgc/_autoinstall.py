"""Imported by vgc-autoinstall.pth at interpreter start: vgc.install() in every process.

Opt out per process with VGC_DISABLE=1.  VGC_STATUS_FILE=<path>: at exit, append one JSON line
with vgc.status() (and the pid and argv) to that file — the conformance run uses it to check
that vgc did the collections, and `python -m vgc --children` to add up its children's counters.
"""
import os
import sys

if os.environ.get("VGC_DISABLE", "") not in ("1", "true", "yes"):
    try:
        import vgc
        vgc.install()
    except Exception as exc:  # never break interpreter start-up
        if "subinterpreter" not in str(exc):  # the main interpreter's vgc is what counts
            sys.stderr.write("vgc: not installed: %s\n" % exc)
    else:
        _path = os.environ.get("VGC_STATUS_FILE")
        if _path:
            import atexit

            _written = []

            def _write_status(path=_path):
                if os.getpid() in _written:  # atexit and multiprocessing's exit both call it
                    return
                _written.append(os.getpid())
                import json
                rec = dict(vgc.status(), pid=os.getpid(), argv=sys.argv[:3])
                try:  # e.g. python -m vgc --children removed its directory before this exit
                    with open(path, "a") as f:
                        f.write(json.dumps(rec) + "\n")
                except OSError:
                    pass

            atexit.register(_write_status)

            # multiprocessing's children end with os._exit (no atexit): with
            # VGC_STATUS_MULTIPROCESSING=1 (python -m vgc --children) the status is also written
            # by multiprocessing's own exit function, re-armed in each forked child (its
            # bootstrap clears the finalizers it inherited).  A child killed by a signal
            # (Pool.terminate(), the `with Pool()` exit) writes nothing.
            if os.environ.get("VGC_STATUS_MULTIPROCESSING") == "1":
                from multiprocessing import util as _mp_util

                class _Hook:
                    pass

                def _arm(_hook=None):
                    _mp_util.Finalize(None, _write_status, exitpriority=0)

                _hook = _Hook()
                _arm()
                _mp_util.register_after_fork(_hook, _arm)
