#!/usr/bin/env python3
"""bench/ab.py — A/B of two vgc builds on the same workloads, in one invocation (`make bench-ab`).

Each repetition runs, in fresh processes and in an order that rotates every repetition, stock gc,
vgc from the BASE build and vgc from the NEW build, so that load from other processes hits all
three alike.  Prints medians, NEW/BASE and each side against stock; writes JSON with every run.

Usage: ab.py --python PY --base DIR --new DIR [--only ROWS] [--reps N] [--out FILE.json]
DIR is a build directory holding py<X.Y.Z>/vgc (make ext).  Rows are names of bench/run.py's PLAN
of kind "time" (default: full_collect_1M, steady_alloc).  Not in proof scope.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run import PLAN, median, run_one  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--base", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--only", default="full_collect_1M,steady_alloc")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    ver = subprocess.run([a.python, "-c", "import sys; print('%d.%d.%d%s' % "
                          "(sys.version_info[:3] + (sys.abiflags,)))"],
                         stdout=subprocess.PIPE, text=True, check=True).stdout.strip()
    envs = {}
    for side, d in (("base", a.base), ("new", a.new)):
        pkg = os.path.join(os.path.abspath(d), "py" + ver)
        if not os.path.isdir(os.path.join(pkg, "vgc")):
            raise SystemExit("ab: no vgc package for %s in %s (make ext)" % (ver, pkg))
        envs[side] = dict(os.environ, PYTHONPATH=pkg, PYTHONHASHSEED="0")
        envs[side].pop("VGC_DISABLE", None)
    envs["stock"] = envs["new"]
    rows = [p for p in PLAN if p[0] in set(a.only.split(","))]
    if not rows or any(p[6] != "time" for p in rows):
        raise SystemExit("ab: --only must name rows of kind 'time' in bench/run.py's PLAN")
    result = {"python": ver, "started": time.strftime("%Y-%m-%d %H:%M:%S"),
              "base": a.base, "new": a.new, "loadavg": os.getloadavg(), "rows": {}}
    print("%-22s %10s %10s %10s %9s %9s %9s" % ("workload (py %s)" % ver, "stock", "base", "new",
                                                 "new/base", "base/stk", "new/stk"))
    for name, wl, size, _qs, _r, _qr, _kind in (p[:7] for p in rows):
        runs = {"stock": [], "base": [], "new": []}
        sides = ["stock", "base", "new"]
        for r in range(a.reps):
            for side in sides[r % 3:] + sides[:r % 3]:
                mode = "stock" if side == "stock" else "vgc"
                runs[side].append(run_one(a.python, envs[side], mode, wl, size)["time"])
        m = {k: median(v) for k, v in runs.items()}
        result["rows"][name] = {"size": size, "runs": runs, "median": m,
                                "new_over_base": m["new"] / m["base"]}
        print("%-22s %9.1fms %9.1fms %9.1fms %9.3f %9.3f %9.3f" % (
            name, m["stock"] * 1e3, m["base"] * 1e3, m["new"] * 1e3, m["new"] / m["base"],
            m["base"] / m["stock"], m["new"] / m["stock"]))
        sys.stdout.flush()
    result["loadavg_end"] = os.getloadavg()
    print("load average: %.1f at start, %.1f at end" % (result["loadavg"][0],
                                                        result["loadavg_end"][0]))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
