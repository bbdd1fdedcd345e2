#!/usr/bin/env python3
"""Soak: CPython's own regression tests with vgc auto-installed in every process, against the
same modules without vgc (the baseline), on each interpreter given.

Per interpreter: a venv (--without-pip) in BUILD/soak/venv-X.Y with vgc and vgc-autoinstall.pth
(`make install PYTHON=<venv python> AUTOINSTALL=1`, as the conformance run does), so the main
regrtest process and every -j worker and subprocess runs vgc.  The baseline runs the very same
venv with VGC_DISABLE=1 (the .pth opts out).  Both: `python -m test -jN --timeout T -w
--junit-xml F MODULES`.  Every vgc process appends its vgc.status() to a file (VGC_STATUS_FILE),
which shows that vgc was installed and did the collections, and that CPython's own collector
found nothing meanwhile.

Passes when the modules failing under vgc are a subset of those failing in the baseline, vgc
ran in the test processes, and CPython's own collector found nothing.  Writes a JSON record
(BUILD/soak/soak-X.Y.json) and prints a Markdown table (for tests/reliability/SOAK.md).

Usage: soak.py --build DIR --make MAKE [-j 2] [--modules m1,m2] PYTHON...
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

MODULES = """
test_gc test_weakref test_weakset test_finalization test_generators test_coroutines
test_asyncgen test_threading test_threading_local test_thread test_queue test_pickle
test_copyreg test_copy test_dict test_list test_tuple test_set test_deque test_ordered_dict
test_collections test_userdict test_userlist test_descr test_class test_super test_abc
test_enum test_dataclasses test_typing test_itertools test_functools test_contextlib
test_contextlib_async test_exceptions test_scope test_sys test_iter test_memoryview
test_array test_bytes test_property
""".split()


def _default_sigint():
    # started from a background job, SIGINT is ignored and the children inherit that: regrtest's
    # KeyboardInterrupt tests (test_threading, test_generators) would then fail in both runs
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def sh(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          preexec_fn=_default_sigint, **kw)


def junit_counts(path):
    """(tests, failures+errors, skipped) per module from regrtest's --junit-xml file."""
    per = {}
    if not os.path.exists(path):
        return per
    root = ET.parse(path).getroot()
    for tc in root.iter("testcase"):
        name = tc.get("classname") or tc.get("name") or ""
        m = re.match(r"(?:test\.)?(test_\w+)", name)
        mod = m.group(1) if m else "?"
        t, f, s = per.get(mod, (0, 0, 0))
        t += 1
        if tc.find("failure") is not None or tc.find("error") is not None:
            f += 1
        elif tc.find("skipped") is not None:
            s += 1
        per[mod] = (t, f, s)
    return per


def regrtest_failed(out):
    """Module names regrtest lists as failed (after re-runs) / env changed / etc."""
    failed = set()
    for label in ("failed", "failed again", "crashed", "timed out"):
        for m in re.finditer(r"^\d+ tests? %s:\n((?:    .*\n)+)" % re.escape(label), out, re.M):
            failed |= set(m.group(1).split())
    # 3.11 prints "1 test failed again:" after "Re-running failed tests"; a test that failed and
    # then passed in the re-run is listed as failed first and not again: keep the final word.
    if re.search(r"^\d+ tests? failed again:", out, re.M) or "Re-running" in out or \
            "re-run" in out.lower():
        again = set()
        for m in re.finditer(r"^\d+ tests? failed again:\n((?:    .*\n)+)", out, re.M):
            again |= set(m.group(1).split())
        rerun_ok = set()
        for m in re.finditer(r"^\d+ re-run tests?:\n((?:    .*\n)+)", out, re.M):
            rerun_ok |= set(m.group(1).split())
        if again or rerun_ok:
            failed = (failed - rerun_ok) | again
    return sorted(failed)


def flaky_reruns(out):
    s = set()
    for m in re.finditer(r"^\d+ re-run tests?:\n((?:    .*\n)+)", out, re.M):
        s |= set(m.group(1).split())
    return sorted(s)


def run_one(build, make, python, jobs, modules, timeout):
    ver = sh([python, "-c", "import sys; print('%d.%d.%d%s' % (sys.version_info[:3] + (sys.abiflags,)))"]).stdout.strip()
    full = sh([python, "-c", "import platform; print(platform.python_version())"]).stdout.strip()
    soak = os.path.abspath(os.path.join(build, "soak"))
    os.makedirs(soak, exist_ok=True)
    venv = os.path.join(soak, "venv-" + ver)
    vpy = os.path.join(venv, "bin", "python")
    if not os.path.exists(vpy):
        subprocess.check_call([python, "-m", "venv", "--without-pip", venv])
    subprocess.check_call(make.split() + ["--no-print-directory", "install", "PYTHON=" + vpy,
                                          "AUTOINSTALL=1"], stdout=subprocess.DEVNULL)
    rec = {"python": full, "modules": modules, "jobs": jobs}
    for mode in ("baseline", "vgc"):
        status = os.path.join(soak, "status-%s.jsonl" % ver)
        if os.path.exists(status):
            os.unlink(status)
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        if mode == "baseline":
            env["VGC_DISABLE"] = "1"
        else:
            env.pop("VGC_DISABLE", None)
            env["VGC_STATUS_FILE"] = status
        junit = os.path.join(soak, "junit-%s-%s.xml" % (ver, mode))
        if os.path.exists(junit):
            os.unlink(junit)
        tmp = os.path.join(soak, "tmp-%s-%s" % (ver, mode))
        os.makedirs(tmp, exist_ok=True)
        t0 = time.time()
        p = sh([vpy, "-m", "test", "-j%d" % jobs, "--timeout", str(timeout), "-w",
                "--junit-xml", junit] + modules, env=env, cwd=tmp, timeout=timeout * 4)
        wall = time.time() - t0
        with open(os.path.join(soak, "log-%s-%s.txt" % (ver, mode)), "w") as f:
            f.write(p.stdout)
        per = junit_counts(junit)
        r = {"rc": p.returncode, "wall": round(wall, 1), "failed_modules": regrtest_failed(p.stdout),
             "reruns": flaky_reruns(p.stdout),
             "tests": sum(v[0] for v in per.values()), "test_failures": sum(v[1] for v in per.values()),
             "skipped": sum(v[2] for v in per.values()), "per_module": per,
             "result": (re.findall(r"^Tests? result: (.*)$", p.stdout, re.M) or ["?"])[-1]}
        if mode == "vgc":
            recs = []
            if os.path.exists(status):
                with open(status) as f:
                    recs = [json.loads(x) for x in f if x.strip()]
            r["vgc_processes"] = len(recs)
            r["vgc_not_installed"] = sum(1 for x in recs if not x["installed"])
            r["vgc_collections"] = sum(x["collections"] for x in recs)
            r["vgc_collected"] = sum(x["collected"] for x in recs)
            r["cpython_collected"] = sum(x["cpython_collected"] for x in recs)
            r["fallbacks"] = sum(x["fallbacks"] for x in recs)
            r["inconsistent"] = sum(x["inconsistent"] for x in recs)
        rec[mode] = r
    new = sorted(set(rec["vgc"]["failed_modules"]) - set(rec["baseline"]["failed_modules"]))
    problems = []
    if new:
        problems.append("failing only under vgc: " + " ".join(new))
    if rec["vgc"].get("vgc_processes", 0) == 0 or rec["vgc"].get("vgc_collections", 0) == 0:
        problems.append("vgc did not run in the test processes")
    if rec["vgc"].get("cpython_collected"):
        problems.append("CPython's own collector found %d objects" % rec["vgc"]["cpython_collected"])
    if rec["vgc"]["tests"] == 0:
        problems.append("no test results (junit)")
    rec["new_failures"] = new
    rec["problems"] = problems
    with open(os.path.join(soak, "soak-%s.json" % ver), "w") as f:
        json.dump(rec, f, indent=1, sort_keys=True)
    return rec


def table(recs):
    lines = ["| Python | run | modules | tests run | test failures | skipped | modules failed "
             "| wall | vgc processes / collections / objects collected | CPython's own collector |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for rec in recs:
        for mode in ("baseline", "vgc"):
            r = rec[mode]
            extra = ("%d / %d / %d" % (r["vgc_processes"], r["vgc_collections"], r["vgc_collected"])
                     if mode == "vgc" else "—")
            cp = str(r.get("cpython_collected", "—")) if mode == "vgc" else "—"
            lines.append("| %s | %s | %d | %d | %d | %d | %s | %.0f s | %s | %s |" % (
                rec["python"], "vgc" if mode == "vgc" else "baseline (VGC_DISABLE=1)",
                len(rec["modules"]), r["tests"], r["test_failures"], r["skipped"],
                " ".join(r["failed_modules"]) or "none", r["wall"], extra, cp))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--make", default="make")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=1200)
    ap.add_argument("--modules")
    ap.add_argument("pythons", nargs="+")
    a = ap.parse_args()
    modules = a.modules.split(",") if a.modules else MODULES
    recs, bad = [], 0
    for py in a.pythons:
        rec = run_one(a.build, a.make, py, a.j, modules, a.timeout)
        recs.append(rec)
        for m in ("baseline", "vgc"):
            r = rec[m]
            print("Python %s %-8s: %d modules, %d tests, %d test failures, %d skipped, failed "
                  "modules: %s, re-run: %s, %.0f s%s" % (
                      rec["python"], m, len(modules), r["tests"], r["test_failures"],
                      r["skipped"], " ".join(r["failed_modules"]) or "none",
                      " ".join(r["reruns"]) or "none", r["wall"],
                      "" if m == "baseline" else "; vgc in %d processes, %d collections, "
                      "CPython's own collector found %d" % (r["vgc_processes"],
                                                             r["vgc_collections"],
                                                             r["cpython_collected"])))
        for p in rec["problems"]:
            print("    FAIL " + p)
        bad += len(rec["problems"])
    print()
    print(table(recs))
    print("\nsoak: %s" % ("PASS" if not bad else "FAIL"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
