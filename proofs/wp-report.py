#!/usr/bin/env python3
"""Summarise Frama-C WP JSON reports; fail unless every goal is Valid.

Usage: wp-report.py [--table OUT.md] [--results FILE] REPORT.json...

Prints one line per function (valid/total goals, named clauses that failed) and a final line
`WP: <valid>/<total> goals proved`.  Exits 1 when any goal is not Valid or a report has no goals
(an empty report would otherwise pass silently).  --results writes the per-function outcome as a
`N passed, N failed` line for `make test` (one test per proved function).
"""
import json
import sys


def load(path):
    with open(path) as f:
        data = json.load(f)
    # Frama-C 25: {"wp:global": {...}, "wp:functions": {fn: {goal: {...}}}}
    funcs = data.get("wp:functions", {})
    rows = {}
    for fn, goals in funcs.items():
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
    return rows


def main(argv):
    table = results = None
    reports = []
    it = iter(argv)
    for a in it:
        if a == "--table":
            table = next(it)
        elif a == "--results":
            results = next(it)
        else:
            reports.append(a)
    rows = {}
    for r in reports:
        for fn, v in load(r).items():
            rows[fn] = v
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
    nfail = sum(1 for v, t, _ in rows.values() if v != t)
    if results:
        with open(results, "w") as f:
            f.write(f"{len(rows) - nfail} passed, {nfail + (1 if total == 0 else 0)} failed\n")
    print(f"WP: {valid}/{total} goals proved")
    return 0 if total > 0 and valid == total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
