#!/usr/bin/env python3
"""Summarise Frama-C WP JSON reports; fail unless every goal is Valid.

Usage: wp-report.py [--table OUT.md] [--results FILE] [--spec SPEC.md]... REPORT.json...

Prints one line per function (valid/total goals, named clauses that failed) and a final line
`WP: <valid>/<total> goals proved`.  The reports named on the command line are the expected set:
exits 1 when any of them is missing or unreadable, has no goals, or has a goal that is not Valid
(a missing or empty report would otherwise pass silently).  --results writes the per-function outcome as a
`N passed, N failed` line for `make test` (one test per proved
function and per theorem clause of the SPEC files).  --spec (repeatable: spec/SPEC.md,
spec/SPEC-tracker.md) checks that every theorem row (ids T, P, G, L, A; a backticked function
and backticked clause names, `behavior.clause` for a clause of a named behavior) names a clause
that is in the report and Valid, so the tables cannot drift from what is proved; a row whose clause cell starts with "lemma" names lemmas (each must be
in some report and Valid in every report that has it), and a W row (non-vacuity witness, clause
cell "all goals") names functions that must have goals, all Valid.
"""
import glob
import json
import os
import re
import sys


def read(path):
    """The report as a dict, or None when it is missing or not a WP report."""
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "wp:global" in data else None


def load(path):
    data = read(path)
    if data is None:
        return {"(missing or unreadable report: %s)" % path: (0, 1, ["missing report"])}
    # Frama-C 25: {"wp:global": {...}, "wp:functions": {fn: {goal: {...}}},
    #              "wp:axiomatics": {axiomatic or "": {lemma: {...}}}}
    groups = dict(data.get("wp:functions", {}))
    for ax, goals in data.get("wp:axiomatics", {}).items():
        groups["lemmas" + (" of " + ax if ax else "")] = goals
    rows = {}
    for fn, goals in groups.items():
        valid = total = 0
        failed = []
        for name, g in goals.items():
            if not isinstance(g, dict) or name.startswith("wp:"):
                continue
            # Each goal entry is either {"wp:main": {...}} or directly the status.
            main = g.get("wp:main", g)
            total += main.get("total", 1)
            ok = main.get("valid", 1 if main.get("verdict") == "valid" else 0)
            valid += ok
            if ok < main.get("total", 1):
                failed.append(name)
        rows[fn] = (valid, total, failed)
    # Nothing may fall out of the count: the groups must add up to WP's own total.
    expected = data.get("wp:global", {}).get("wp:main", {}).get("total", 0)
    counted = sum(t for _, t, _ in rows.values())
    if counted != expected:
        rows["(goals not attributed: %s)" % path] = (0, expected - counted, ["unattributed"])
    if expected == 0:
        rows["(no goals: %s)" % path] = (0, 1, ["empty report"])
    return rows


def spec_rows(path):
    """(theorem id, function, clause) for every proved-theorem row of a SPEC table and each
    function it names.  Rows are those whose id is T<n> (core), P<n> (policy), G<n> (tracker
    policy), L<n> (tracker lists) or A<n> (the CPython adapter's proved decisions); C<n> rows (checked at run time only) are not proofs.  A clause cell with `;`-separated groups pairs group i with the
    i-th function; otherwise every clause is checked for every function."""
    for line in open(path):
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 6 or not re.match(r"^[TGPLWA]\d+$", cells[1]):
            continue
        if cells[3].startswith("lemma"):
            for c in re.findall(r"`(\w+)`", cells[3]):
                yield cells[1], "(lemma)", c
            continue
        if cells[1].startswith("W"):
            for fn in re.findall(r"`(\w+)`", cells[4]):
                yield cells[1], fn, None
            continue
        fns = re.findall(r"`(\w+)`", cells[4])
        groups = cells[3].split(";")
        if len(groups) > 1 and len(groups) == len(fns):
            pairs = [(fn, re.findall(r"`([\w.]+)`", grp)) for fn, grp in zip(fns, groups)]
        else:
            pairs = [(fn, re.findall(r"`([\w.]+)`", cells[3])) for fn in fns]
        for fn, clauses in pairs:
            for c in clauses:
                yield cells[1], fn, c


def check_spec(path, goals, lemmas, rows):
    """Returns (checked, not proved)."""
    bad = n = 0
    for tid, fn, clause in spec_rows(path):
        if fn == "(lemma)":
            seen = lemmas.get(f"lemma_{clause}", [])
            ok = bool(seen) and all(v == t for v, t in seen)
            what = f"lemma {clause}"
        elif clause is None:
            v, t, _ = rows.get(fn, (0, 0, []))
            ok = t > 0 and v == t
            what = f"{fn} (all {t} goals)"
        else:
            # `behavior.clause`: a clause of a named behavior (WP: fn_behavior_ensures_clause)
            b, _, c = clause.rpartition(".")
            g = goals.get(fn, {}).get(f"{fn}_{b}_ensures_{c}" if b else f"{fn}_ensures_{c}")
            main = (g or {}).get("wp:main", {})
            ok = g is not None and main.get("valid", 0) == main.get("total", -1)
            what = f"{fn}::{clause}"
        print(f"  {tid:<4} {what:<44} {'Valid' if ok else 'NOT PROVED / MISSING'}")
        bad += not ok
        n += 1
    return n, bad


LEMMA = re.compile(r"(?:^|/\*@|//@)[ \t]*lemma[ \t]+(\w+)[ \t]*(?:\{[^}]*\})?[ \t]*:", re.M)


def main(argv):
    table = results = spec = None
    reports = []
    it = iter(argv)
    for a in it:
        if a == "--table":
            table = next(it)
        elif a == "--results":
            results = next(it)
        elif a == "--spec":
            spec = (spec or []) + [next(it)]
        else:
            reports.append(a)
    rows = {}
    goals = {}
    lemmas = {}
    if not reports:
        rows["(no report given)"] = (0, 1, ["no report"])
    for r in reports:
        for fn, (v, t, failed) in load(r).items():
            # the same name in two reports (e.g. the lemmas of each file) adds up
            v0, t0, f0 = rows.get(fn, (0, 0, []))
            rows[fn] = (v0 + v, t0 + t, f0 + failed)
        data = read(r) or {}
        goals.update(data.get("wp:functions", {}))
        for ax in data.get("wp:axiomatics", {}).values():
            for name, g in ax.items():
                if isinstance(g, dict) and not name.startswith("wp:"):
                    main = g.get("wp:main", g)
                    lemmas.setdefault(name, []).append((main.get("valid", 0), main.get("total", 1)))
    valid = sum(v for v, _, _ in rows.values())
    total = sum(t for _, t, _ in rows.values())
    width = max([len(f) for f in rows] + [8])
    lines = []
    for fn in sorted(rows):
        v, t, failed = rows[fn]
        mark = "ok" if v == t else "FAILED: " + ", ".join(failed)
        lines.append(f"{fn:<{width}}  {v:>4}/{t:<4} {mark}")
    print("\n".join(lines))
    if table:
        with open(table, "w") as f:
            f.write("| function | valid | total |\n|---|---:|---:|\n")
            for fn in sorted(rows):
                v, t, _ = rows[fn]
                f.write(f"| `{fn}` | {v} | {t} |\n")
            f.write(f"| **all** | **{valid}** | **{total}** |\n")
    ntests = len(rows)
    nfail = sum(1 for v, t, _ in rows.values() if v != t)
    for sp in spec or []:
        print(f"theorems of {sp}:")
        n, bad = check_spec(sp, goals, lemmas, rows)
        ntests += n
        nfail += bad
    if spec:
        # Every lemma declared in the proved sources must be Valid in some report: a WP run with
        # a function filter (-wp-fct, -wp-skip-fct) proves no lemma, and a lemma nobody proves
        # would still be used as a hypothesis by the goals that cite it.
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        declared = set()
        for pat in ("src/*.c", "include/*.h", "spec/*.acsl", "proofs/*.c"):
            for path in glob.glob(os.path.join(root, pat)):
                declared.update(LEMMA.findall(open(path).read()))
        print("lemmas declared in the proved sources:")
        for name in sorted(declared):
            got = lemmas.get("lemma_" + name, [])
            ok = bool(got) and all(v == t for v, t in got)
            print(f"  {'ok' if ok else 'FAILED':<6} lemma {name}"
                  + ("" if got else " (in no report: not proved)"))
            ntests += 1
            nfail += 0 if ok else 1
    if results:
        with open(results, "w") as f:
            f.write(f"{ntests - nfail} passed, {nfail + (1 if total == 0 else 0)} failed\n")
    print(f"WP: {valid}/{total} goals proved")
    return 0 if total > 0 and valid == total and nfail == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
