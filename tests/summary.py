#!/usr/bin/env python3
"""Add up the per-step results of `make test` and print the final summary line.

Usage: summary.py RESULTS_DIR STEP...
Each step wrote RESULTS_DIR/<step>.txt with a line `N passed, N failed[, N skipped]`; a step that
wrote nothing (it crashed before reporting) counts as one failure.  Exits 1 on any failure.
"""
import os
import re
import sys

LINE = re.compile(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$")


def main(results, steps):
    passed = failed = skipped = 0
    print("\n==== summary")
    for step in steps:
        path = os.path.join(results, step + ".txt")
        m = None
        if os.path.exists(path):
            for line in open(path):
                m = LINE.match(line.strip()) or m
        if m:
            p, f, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        else:
            p, f, s = 0, 1, 0
        passed, failed, skipped = passed + p, failed + f, skipped + s
        print(f"  {step:<16} {p:>5} passed {f:>3} failed" + (f" {s:>3} skipped" if s else "")
              + ("" if m else "   (no result written)"))
    tail = f", {skipped} skipped" if skipped else ""
    print(f"{passed} passed, {failed} failed{tail}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
