"""Imported by vgc-autoinstall.pth at interpreter start: vgc.install() in every process.

Opt out per process with VGC_DISABLE=1.  VGC_STATUS_FILE=<path>: at exit, append one JSON line
with vgc.status() (and the pid and argv) to that file — the conformance run uses it to check
that vgc did the collections.
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

            def _write_status(path=_path):
                import json
                rec = dict(vgc.status(), pid=os.getpid(), argv=sys.argv[:3])
                with open(path, "a") as f:
                    f.write(json.dumps(rec) + "\n")

            atexit.register(_write_status)
