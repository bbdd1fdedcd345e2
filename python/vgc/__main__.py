"""python -m vgc [--quiet] [--json] script.py [args...]

Runs the script as __main__ with vgc installed (so `import gc` is vgc) and, at exit, prints a
report on stderr: collections per generation, objects collected, total and max pause.
"""
import argparse
import json
import os
import runpy
import sys
import time

import vgc


def report(st, wall, as_json):
    rec = {
        "python": st["python"], "mode": st["mode"], "core_version": st["core_version"],
        "collections": st["collections"],
        "collections_per_generation": list(st["collections_per_generation"]),
        "collected": st["collected"], "uncollectable": st["uncollectable"],
        "pause_total": st["pause_total"], "pause_max": st["pause_max"],
        "fallbacks": st["fallbacks"], "cpython_collected": st["cpython_collected"],
        "wall": wall,
    }
    if as_json:
        return json.dumps(rec, sort_keys=True)
    g = rec["collections_per_generation"]
    return ("vgc: %d collections (gen0 %d, gen1 %d, gen2 %d), %d objects collected, "
            "%d uncollectable\n"
            "vgc: pause total %.2f ms, max %.3f ms (%.1f%% of %.2f s wall); proved core %s, "
            "Python %s, %s\n"
            "vgc: fallbacks to CPython's collector: %d; objects CPython's own collector found: %d"
            % (rec["collections"], g[0], g[1], g[2], rec["collected"], rec["uncollectable"],
               rec["pause_total"] * 1e3, rec["pause_max"] * 1e3,
               100.0 * rec["pause_total"] / wall if wall > 0 else 0.0, wall,
               rec["core_version"], rec["python"], rec["mode"],
               rec["fallbacks"], rec["cpython_collected"]))


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m vgc",
                                 description="Run a Python program with vgc installed.")
    ap.add_argument("--quiet", action="store_true", help="print no report")
    ap.add_argument("--json", action="store_true", help="print the report as one JSON line")
    ap.add_argument("script", help="the program to run")
    ap.add_argument("args", nargs=argparse.REMAINDER, help="its arguments")
    a = ap.parse_args(argv)
    try:
        vgc.install()
    except RuntimeError as exc:
        sys.stderr.write("vgc: %s\n" % exc)
        return 2
    sys.argv = [a.script] + a.args
    sys.path[0] = os.path.dirname(os.path.abspath(a.script))
    t0 = time.perf_counter()
    code = 0
    try:
        runpy.run_path(a.script, run_name="__main__")
    except SystemExit as exc:
        code = exc.code
    finally:
        if not a.quiet:
            sys.stderr.write(report(vgc.status(), time.perf_counter() - t0, a.json) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
