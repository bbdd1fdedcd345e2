#!/usr/bin/env python3
"""prove-mutants: the proof must reject planted bugs.  Not a proof itself; run by `make prove-mutants`.

Each mutant is one exact text replacement in one proved file.  It is applied to a copy (include/,
spec/ and the mutated file under BUILD_DIR/<name>/; the real sources are never edited), the copy is
proved with the flags of `make prove` (WP_FLAGS from the environment, with a short per-goal
timeout) for the mutated function (-wp-fct: every goal of that function, not only its ensures),
and proofs/wp-report.py checks the whole goal count of that report, without the theorem table.
A mutant is caught when that check fails: some goal is not Valid.

So that a timeout caused by machine load cannot pass for a caught mutant, each (file, function)
is first proved unmutated with the same flags (the control); its mutants count only if the
control is all Valid.  A mutant whose text does not match, whose run produced no report with
goals, or whose control failed is an error (not caught).

Usage: WP_FLAGS='...' mutants.py BUILD_DIR [--results FILE] [--only NAME,...]
Prints one line per mutant and `N passed, N failed` (passed = caught).
"""
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

# (name, file, function, original text, mutated text): each original text occurs exactly once in
# its file.
MUTANTS = [
    ("update_refs_edge_off_by_one", "src/vgc_core.c", "vgc_update_refs",
     "for (uint32_t k = 0; k < nedges; k++)\n        refs[targets[k]] -= 1;",
     "for (uint32_t k = 0; k + 1 < nedges; k++)\n        refs[targets[k]] -= 1;"),
    ("marking_skips_last_edge", "src/vgc_core.c", "vgc_propagate",
     "for (uint32_t k = offsets[u]; k < end; k++) {",
     "for (uint32_t k = offsets[u]; k + 1 < end; k++) {"),
    ("roots_positive_only", "src/vgc_core.c", "vgc_update_refs",
     "roots[i] = refs[i] != 0;",
     "roots[i] = refs[i] > 0;"),
    ("legacy_seed_skips_tail", "src/vgc_core.c", "vgc_move_legacy_finalizer_reachable",
     "if (legacy[v] != 0 && pos[v] >= tail) {",
     "if (legacy[v] != 0 && pos[v] > tail) {"),
    ("append_wrong_prev_link", "src/vgc_gen_lists.c", "vgc_append",
     "    s->prev[x] = last;\n",
     "    s->prev[x] = h;\n"),
    ("policy_threshold_off_by_one", "src/vgc_policy.c", "vgc_policy_select",
     "if (count[1] > threshold[1])",
     "if (count[1] >= threshold[1])"),
    ("hook_finish_forgets_arrivals", "src/vgc_hookstate.c", "vgc_hs_finish",
     "int64_t count0 = (int64_t)s->saved.count[0] + now->count[0];",
     "int64_t count0 = (int64_t)s->saved.count[0];"),
    ("hook_finish_stays_pending", "src/vgc_hookstate.c", "vgc_hs_finish",
     "    s->pending = VGC_HS_IDLE;\n    if (was == VGC_HS_FELL_BACK)",
     "    if (was == VGC_HS_FELL_BACK)"),
    ("hook_start_ignores_fallback_pending", "src/vgc_hookstate.c", "vgc_hs_start_plan",
     "if (s->pending != VGC_HS_IDLE)",
     "if (s->pending == VGC_HS_COLLECTED)"),
    ("hook_accepts_nested_start", "src/vgc_hookstate.c", "vgc_hs_accept",
     "return installed != 0 && collecting != 0 && s->in_start == 0;",
     "return installed != 0 && collecting != 0;"),
]


def run(name, path, fn, old, new, build, flags, report_py):
    text = open(path).read()
    if old and text.count(old) != 1:
        return "ERROR", f"the original text occurs {text.count(old)} times in {path}"
    work = os.path.abspath(os.path.join(build, name))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "src"))
    shutil.copytree("include", os.path.join(work, "include"))
    shutil.copytree("spec", os.path.join(work, "spec"))
    with open(os.path.join(work, path), "w") as f:
        f.write(text.replace(old, new))
    report = os.path.join(work, "report.json")
    with open(os.path.join(work, "wp.log"), "w") as log:
        # Frama-C resolves a relative file name against $PWD, not the process's working
        # directory: without PWD=work it would prove the real, unmutated file.
        subprocess.run(["frama-c"] + flags + ["-wp-fct", fn, os.path.join(work, path),
                                              "-wp-report-json", report],
                       cwd=work, env=dict(os.environ, PWD=work), stdout=log,
                       stderr=subprocess.STDOUT)
    try:
        total = json.load(open(report))["wp:global"]["wp:main"]["total"]
    except (OSError, ValueError, KeyError):
        total = 0
    if total == 0:
        return "ERROR", f"no report with goals (see {work}/wp.log)"
    out = subprocess.run([sys.executable, report_py, report], capture_output=True, text=True)
    summary = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else "?"
    return ("caught" if out.returncode != 0 else "MISSED"), summary


def main(argv):
    build = argv[0]
    results = argv[argv.index("--results") + 1] if "--results" in argv else None
    only = argv[argv.index("--only") + 1].split(",") if "--only" in argv else None
    flags = shlex.split(os.environ.get("WP_FLAGS", ""))
    if not flags:
        print("mutants.py: WP_FLAGS is empty (run it through `make prove-mutants`)")
        return 2
    report_py = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wp-report.py")
    caught = failed = 0
    t0 = time.time()
    controls = {}
    for name, path, fn, old, new in MUTANTS:
        if only and name not in only:
            continue
        if (path, fn) not in controls:
            t = time.time()
            verdict, detail = run(f"control_{fn}", path, fn, "", "", build, flags, report_py)
            ok = verdict == "MISSED"          # unmutated: every goal must be Valid
            controls[path, fn] = ok
            print(f"  {'control' if ok else 'CONTROL FAILED'} {fn:<30} {path:<20} {detail} "
                  f"({time.time() - t:.0f} s)", flush=True)
        t = time.time()
        if controls[path, fn]:
            verdict, detail = run(name, path, fn, old, new, build, flags, report_py)
        else:
            verdict, detail = "ERROR", f"the control of {fn} failed"
        print(f"  {verdict:<7} {name:<30} {path:<20} {detail} ({time.time() - t:.0f} s)",
              flush=True)
        if verdict == "caught":
            caught += 1
        else:
            failed += 1
    print(f"mutants: {time.time() - t0:.0f} s in all")
    line = f"{caught} passed, {failed} failed"
    print(line)
    if results:
        with open(results, "w") as f:
            f.write(line + "\n")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
