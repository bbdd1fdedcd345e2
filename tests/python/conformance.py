#!/usr/bin/env python3
"""Conformance: CPython's own Lib/test/test_gc.py with vgc auto-installed in every process.

For each interpreter given: a venv (--without-pip) in BUILD/venv-X.Y, `make install
PYTHON=<venv python> AUTOINSTALL=1` (extension + package + vgc-autoinstall.pth in the venv's
site-packages, so subprocesses and -j workers run vgc too), then `python -m test test_gc -v`.
Each process appends its vgc.status() to a file (VGC_STATUS_FILE); the run fails unless test_gc
passes, vgc was installed in every process that collected, vgc did collections, and CPython's own
collector found nothing while vgc was installed.  test_refcount_errors is skipped on release builds
(it expects a gcmodule.c assertion message) and counts as skipped.

Usage: conformance.py --build DIR --make MAKE [--results FILE] PYTHON...
"""
import argparse
import json
import os
import re
import subprocess
import sys



def run_one(build, make, python, verify=False):
    ver = subprocess.check_output(
        [python, "-c", "import sys; print('%d.%d.%d%s' % (sys.version_info[:3] + (sys.abiflags,)))"], text=True).strip()
    venv = os.path.abspath(os.path.join(build, "venv-" + ver))
    vpy = os.path.join(venv, "bin", "python")
    if not os.path.exists(vpy):
        subprocess.check_call([python, "-m", "venv", "--without-pip", venv])
    subprocess.check_call(make.split() + ["--no-print-directory", "install", "PYTHON=" + vpy,
                                          "AUTOINSTALL=1"], stdout=subprocess.DEVNULL)
    status_file = os.path.join(build, "conformance-%s.status" % ver)
    if os.path.exists(status_file):
        os.unlink(status_file)
    env = dict(os.environ, VGC_STATUS_FILE=os.path.abspath(status_file), VGC_VALIDATE="1")
    if verify:  # install(verify=True) in every process (issue #15 item 5)
        env["VGC_VERIFY"] = "1"
    env.pop("VGC_DISABLE", None)
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([vpy, "-m", "test", "test_gc", "-v"], env=env, cwd=build,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=600)
    log = os.path.join(build, "conformance-%s.log" % ver)
    with open(log, "w") as f:
        f.write(proc.stdout)
    ok = skipped = bad = 0
    failures = []
    for line in proc.stdout.splitlines():
        m = re.match(r"^(test\w+) \((.*?)\)(?:\s.*)? \.\.\. (.*)$", line)
        if not m:
            continue
        outcome = m.group(3)
        if outcome.startswith("ok") or outcome.startswith("expected failure"):
            ok += 1
        elif outcome.startswith("skipped"):
            skipped += 1
        else:
            bad += 1
            failures.append(m.group(1) + ": " + outcome)
    ran = re.search(r"^Ran (\d+) tests?", proc.stdout, re.M)
    ran = int(ran.group(1)) if ran else 0
    # unittest's "Ran N" is the authority (3.12's output holds one duplicated result line)
    ok = max(0, ran - skipped - bad)
    if proc.returncode != 0 and bad == 0:
        bad = 1
        failures.append("test_gc exited with %d (see %s)" % (proc.returncode, log))
    # vgc did the work?
    recs = []
    if os.path.exists(status_file):
        with open(status_file) as f:
            recs = [json.loads(line) for line in f if line.strip()]
    main = [r for r in recs if r["argv"] and r["argv"][0].endswith(os.path.join("test", "__main__.py"))]
    collections = sum(r["collections"] for r in recs)
    cpython = sum(r["cpython_collected"] for r in recs)
    not_installed = [r for r in recs if not r["installed"]]
    checks = []
    if not recs:
        checks.append("no vgc status was written: vgc was not auto-installed")
    if collections == 0:
        checks.append("vgc did no collections")
    if cpython:
        checks.append("CPython's own collector found %d objects while vgc was installed" % cpython)
    differed = sum(r.get("policy_differed", 0) for r in recs)
    if differed:
        checks.append("the proved selection (vgc_policy_select) differed %d times from the "
                      "generation CPython collected" % differed)
    if verify:
        unverified = [r for r in recs if not r.get("verify")
                      or r.get("verified", 0) + r.get("verify_skipped", 0) < r["collections"]]
        if unverified:
            checks.append("%d processes ran collections that the checker did not verify"
                          % len(unverified))
    if not main or main[0]["collections"] == 0:
        checks.append("vgc did no collection in the test_gc process itself")
    summary = (("[verify=True: %d decisions checked, %d skipped] " % (
                   sum(r.get("verified", 0) for r in recs),
                   sum(r.get("verify_skipped", 0) for r in recs)) if verify else "") +
               "Python %s: test_gc ran %d: %d passed, %d failed, %d skipped; vgc in %d "
               "processes (%d not installed at exit), %d collections (%d in the test_gc process), "
               "%d objects collected, CPython's own collector found %d; proved selection agreed "
               "with CPython's generation %d times, differed %d (explicit collections vgc cannot "
               "recognise)"
               % (ver, ran, ok, bad, skipped, len(recs), len(not_installed), collections,
                  main[0]["collections"] if main else 0, sum(r["collected"] for r in recs),
                  cpython, sum(r.get("policy_agreed", 0) for r in recs),
                  sum(r.get("policy_differed", 0) for r in recs)))
    return ok, bad + len(checks), skipped, summary, failures + checks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--make", default="make")
    ap.add_argument("--results")
    ap.add_argument("--verify", action="store_true",
                    help="run every process with VGC_VERIFY=1 and check that every collection "
                         "was verified")
    ap.add_argument("pythons", nargs="+")
    a = ap.parse_args()
    tp = tf = ts = 0
    for py in a.pythons:
        try:
            p, f, s, summary, problems = run_one(a.build, a.make, py, a.verify)
        except (subprocess.SubprocessError, OSError) as exc:
            p, f, s, summary, problems = 0, 1, 0, "%s: %s" % (py, exc), []
        print(summary)
        for x in problems:
            print("    FAIL " + x)
        tp, tf, ts = tp + p, tf + f, ts + s
    line = "%d passed, %d failed, %d skipped" % (tp, tf, ts)
    print(line)
    if a.results:
        with open(a.results, "w") as f:
            f.write(line + "\n")
    return 1 if tf else 0


if __name__ == "__main__":
    sys.exit(main())
