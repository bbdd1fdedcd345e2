#!/usr/bin/env python3
"""count_trusted.py — how much code is proved and how much is trusted (`make count-trusted`).

Counts code lines (non-blank lines outside comments; ACSL annotations are comments) per file and
groups them by role.  README's "What is proved and what is trusted" table comes from this output.
Usage: count_trusted.py [--markdown] [--roles]

--roles also splits the CPython adapter by function into what a bug could do (issue #15's
question, "how much code can still free a live object?"): the collection path (code that runs
inside a collection, and the layout checks that decide whether headers are read as vgc expects:
a bug there can free a live object), the API and lifecycle (runs outside collections: a bug there
gives a wrong answer or a wrong error), and the test hooks (fault injection, run only when a test
calls them).  A function not named in ROLES below, and every line outside a function (types,
state, includes), counts as collection path: unknown code is counted on the unsafe side.
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


# module.c's functions that run outside collections; every other adapter function is collection
# path.  vgc_debug_flags (read inside collections) and the layout checks stay collection path.
ROLES = {
    "api": {"py_install", "py_uninstall", "py_status", "collect_arg", "py_collect", "py_set_debug",
            "py_get_debug", "vgc_forward", "vgc_add_forwarders", "vgc_add_gc_api", "vgc_atexit",
            "vgc_exec", "vgc_api_state", "vgc_hook_new", "vgc_hook_type_ready", "vgc_hook_dealloc",
            "vgc_mstate", "vgc_m_traverse", "vgc_m_clear", "vgc_m_free",
            # traverse.c: the probes at import and the switch at install()
            "direct_probe", "vgc_direct_probe_once", "vgc_direct_init"},
    "test": {"py_fail_alloc_after", "py_configure", "py_corrupt_next", "py_alloc_count"},
}
ROLE_TITLES = [("path", "collection path (a bug can free a live object)"),
               ("api", "API and lifecycle (outside collections)"),
               ("test", "test hooks (only when a test calls them)")]


def functions(path):
    """(name, code lines) of each top-level function definition of a C file: a definition
    starts at a line in column 0 whose text up to its `(` names the function, and ends at the
    `}` in column 0 that closes its body (this code base's style, checked: an unclosed body is
    an error)."""
    s = open(os.path.join(ROOT, path)).read()
    s = re.sub(r"(?s)/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), s)
    s = re.sub(r"//[^\n]*", "", s)
    lines = s.splitlines()
    out, i = [], 0
    while i < len(lines):
        m = re.match(r"[A-Za-z_][^;#=]*?\b([A-Za-z_]\w*)\s*\(", lines[i])
        j = i
        while m and j < len(lines) and not lines[j].startswith("{") and not lines[j].rstrip().endswith(";"):
            j += 1
        if not m or j == len(lines) or not lines[j].startswith("{"):
            i += 1
            continue
        k = j
        while k < len(lines) and not lines[k].startswith("}"):
            k += 1
        if k == len(lines):
            raise SystemExit("%s:%d: no closing brace in column 0" % (path, j + 1))
        out.append((m.group(1), sum(1 for l in lines[i:k + 1] if l.strip())))
        i = k + 1
    return out


def roles():
    """Adapter code lines per role, and the functions of the two roles outside the path."""
    files = sorted(f for f in glob.glob(os.path.join(ROOT, "src/cpython/*.[ch]"))
                   if not f.endswith("verify.c"))
    tot = {r: 0 for r, _ in ROLE_TITLES}
    named = {r: [] for r, _ in ROLE_TITLES}
    seen = set()
    for f in files:
        rel = os.path.relpath(f, ROOT)
        fns = functions(rel)
        in_fns = 0
        for name, n in fns:
            role = next((r for r in ("api", "test") if name in ROLES[r]), "path")
            tot[role] += n
            in_fns += n
            if role != "path":
                named[role].append("%s %d" % (name, n))
                seen.add(name)
        tot["path"] += code_lines(rel) - in_fns
    missing = set().union(*ROLES.values()) - seen
    if missing:
        raise SystemExit("ROLES names functions not found: %s" % ", ".join(sorted(missing)))
    return tot, named


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
    if "--roles" in sys.argv:
        tot, named = roles()
        if md:
            print()
            print("| the CPython adapter by role | functions | code lines |")
            print("| --- | --- | --- |")
            for r, title in ROLE_TITLES:
                print("| %s | %s | %d |" % (title, ", ".join(named[r]) or "the rest", tot[r]))
        else:
            print("the CPython adapter by role (count_trusted.py --roles)")
            for r, title in ROLE_TITLES:
                print("    %-62s %6d" % (title, tot[r]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
