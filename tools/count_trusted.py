#!/usr/bin/env python3
"""count_trusted.py — how much code is proved and how much is trusted (`make count-trusted`).

Counts code lines (non-blank lines outside comments; ACSL annotations are comments) per file and
groups them by role.  README's "What is proved and what is trusted" table comes from this output.
Usage: count_trusted.py [--markdown]
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

GROUPS = [
    ("proved (Frama-C WP, make prove): what the extension runs", ["src/vgc_inplace.c",
                                                                  "src/vgc_policy.c",
                                                                  "src/vgc_hookstate.c"]),
    ("proved: libvgc's core and tracker", ["src/vgc_core.c", "src/vgc_gen.c",
                                           "src/vgc_gen_lists.c"]),
    ("trusted: the CPython adapter (src/cpython)", ["src/cpython/*.h", "src/cpython/*.c",
                                                   "-src/cpython/verify.c"]),
    ("trusted: the Python package (python/vgc)", ["python/vgc/*.py"]),
    ("tested, not trusted by the collector: libvgc's independent checker", ["src/vgc_check.c"]),
    # verify=True only: it reads the heap and writes header words it puts back; it decides and
    # frees nothing, and without verify=True it never runs
    ("run only with verify=True: the in-place checker", ["src/cpython/verify.c"]),
    ("libvgc (standalone collector for C hosts; tested, fuzzed)", ["src/libvgc.c"]),
]


def code_lines(path):
    s = open(os.path.join(ROOT, path)).read()
    if path.endswith(".py"):
        s = re.sub(r'(?s)""".*?"""', lambda m: "\n" * m.group(0).count("\n"), s)
        return sum(1 for l in s.splitlines() if l.strip() and not l.strip().startswith("#"))
    s = re.sub(r"(?s)/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), s)
    s = re.sub(r"//[^\n]*", "", s)
    return sum(1 for l in s.splitlines() if l.strip())


def main():
    md = "--markdown" in sys.argv
    rows = []
    for title, pats in GROUPS:
        drop = {os.path.join(ROOT, p[1:]) for p in pats if p.startswith("-")}
        files = sorted(f for p in pats if not p.startswith("-")
                       for f in glob.glob(os.path.join(ROOT, p)) if f not in drop)
        per = [(os.path.relpath(f, ROOT), code_lines(os.path.relpath(f, ROOT))) for f in files]
        rows.append((title, per, sum(n for _, n in per)))
    if md:
        print("| part | files (code lines) | total |")
        print("| --- | --- | --- |")
        for title, per, tot in rows:
            print("| %s | %s | %d |" % (title, ", ".join("`%s` %d" % fn for fn in per), tot))
    else:
        for title, per, tot in rows:
            print("%-66s %6d" % (title, tot))
            for f, n in per:
                print("    %-62s %6d" % (f, n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
