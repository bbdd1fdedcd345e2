"""python -m vgc [--quiet] [--json] [--children] (script.py | -m module | -c code | -) [args...]

Runs a program the way `python` would run it — same sys.argv, sys.path[0], absolute __file__,
tracebacks without vgc's or runpy's frames, exit status — with vgc installed (so `import gc` is
vgc), and at exit prints a report on stderr: collections per generation, objects collected,
total and max pause.

--children: Python processes started by this one as new interpreters (multiprocessing's spawn and
forkserver children, subprocess-started pythons) install vgc too, and the report adds up the
counters of those that exited before it.  Forked children (multiprocessing's fork method) are
copies of this process and so have vgc installed anyway; they are not counted.
"""
import json
import os
import sys
import tempfile
import time

import vgc

USAGE = ("usage: python -m vgc [--quiet] [--json] [--children] "
         "(script.py | -m module | -c code | -) [args...]\n")
HELP = USAGE + """
Run a Python program with vgc installed; print vgc's report on stderr at exit.

  --quiet      print no report
  --json       print the report as one JSON line
  --children   Python children started as new interpreters (multiprocessing spawn/forkserver,
               subprocess) install vgc too; the report adds up those that exited before it
  -m module    run a library module as a script (as python -m)
  -c code      run code given as a string (as python -c)
  -            read the program from standard input
"""

# Below this wall time the report gives no "% of wall": a run of a few milliseconds is mostly
# interpreter and import work, and a single collection of the young heap (a fraction of a
# millisecond) would read as a large share of it, which says nothing about the program's
# steady state.  The absolute pause figures are always printed.
PERCENT_MIN_WALL = 1.0


def _child_totals(path, start=0):
    """Sum the status lines the children wrote from offset start on (vgc._autoinstall)."""
    tot = {"processes": 0, "collections": 0, "collected": 0, "uncollectable": 0,
           "pause_total": 0.0, "pause_max": 0.0}
    try:
        with open(path) as f:
            f.seek(start)
            lines = f.readlines()
    except OSError:
        return tot
    for line in lines:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if rec.get("pid") == os.getpid():
            continue
        tot["processes"] += 1
        for k in ("collections", "collected", "uncollectable", "pause_total"):
            tot[k] += rec.get(k, 0)
        tot["pause_max"] = max(tot["pause_max"], rec.get("pause_max", 0.0))
    return tot


def report(st, wall, as_json, children=None):
    rec = {
        "python": st["python"], "mode": st["mode"], "core_version": st["core_version"],
        "collections": st["collections"],
        "collections_per_generation": list(st["collections_per_generation"]),
        "collected": st["collected"], "uncollectable": st["uncollectable"],
        "pause_total": st["pause_total"], "pause_max": st["pause_max"],
        "fallbacks": st["fallbacks"], "cpython_collected": st["cpython_collected"],
        "wall": wall,
        "covers": "this process" if children is None else "this process and its children",
        "inconsistent": st.get("inconsistent", 0),
        "inconsistent_types": dict(st.get("inconsistent_types", {})),
        "verified": st.get("verified", 0),
    }
    if children is not None:
        rec["children"] = children
    if as_json:
        return json.dumps(rec, sort_keys=True)
    g = rec["collections_per_generation"]
    share = ("%.1f%% of %.2f s wall" % (100.0 * rec["pause_total"] / wall, wall)
             if wall >= PERCENT_MIN_WALL else "%.3f s wall" % wall)
    text = ("vgc: %d collections (gen0 %d, gen1 %d, gen2 %d), %d objects collected, "
            "%d uncollectable\n"
            "vgc: pause total %.2f ms, max %.3f ms (%s); proved core %s, Python %s, %s\n"
            "vgc: fallbacks to CPython's collector: %d; objects CPython's own collector found: %d"
            % (rec["collections"], g[0], g[1], g[2], rec["collected"], rec["uncollectable"],
               rec["pause_total"] * 1e3, rec["pause_max"] * 1e3, share,
               rec["core_version"], rec["python"], rec["mode"],
               rec["fallbacks"], rec["cpython_collected"]))
    if rec["inconsistent_types"]:
        # tp_traverse reported more references to an object than its refcount: a bug in the
        # referrer's C type (CPython's release builds say nothing; vgc kept those objects)
        text += ("\nvgc: inconsistent traversals (referrer type -> object type: references "
                 "beyond the refcount): " + ", ".join(
                     "%s: %d" % kv for kv in sorted(rec["inconsistent_types"].items())))
    if rec["verified"]:
        text += "\nvgc: %d decisions confirmed by the independent checker (verify)" % rec["verified"]
    if children is None:
        text += ("\nvgc: figures for this process only (child interpreters: "
                 "python -m vgc --children)")
    else:
        text += ("\nvgc: figures above for this process; %d child interpreters with vgc "
                 "(spawn, forkserver, subprocess) exited before this report: %d collections, %d objects collected, %d uncollectable, "
                 "pause total %.2f ms, max %.3f ms"
                 % (children["processes"], children["collections"], children["collected"],
                    children["uncollectable"], children["pause_total"] * 1e3,
                    children["pause_max"] * 1e3))
    return text


def _parse(argv):
    """python's own command line shape: vgc options, then one of script / -m / -c / -."""
    opts = {"quiet": False, "json": False, "children": False}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--quiet", "--json", "--children"):
            opts[a[2:]] = True
        elif a in ("-h", "--help"):
            sys.stdout.write(HELP)
            sys.exit(0)
        elif a.startswith("-m") or a.startswith("-c"):
            val = a[2:] or (argv[i + 1] if i + 1 < len(argv) else None)
            if val is None:
                sys.stderr.write("Argument expected for the %s option\n%s" % (a[:2], USAGE))
                sys.exit(2)
            rest = argv[i + 1:] if a[2:] else argv[i + 2:]
            return opts, a[1], val, rest
        elif a == "-" or not a.startswith("-"):
            return opts, "script", a, argv[i + 1:]
        else:
            sys.stderr.write("python -m vgc: unknown option %s\n%s" % (a, USAGE))
            sys.exit(2)
        i += 1
    sys.stderr.write(USAGE)
    sys.exit(2)


def _export_to_children(status_file=None):
    """Make Python children started as new interpreters run vgc._autoinstall at start-up.

    vgc-autoinstall.pth in site-packages (make install AUTOINSTALL=1) is not needed: a .pth is
    processed in the *user* site directory too, so PYTHONUSERBASE points at a fresh directory
    whose user site-packages holds one .pth that puts vgc's directory on sys.path, imports
    vgc._autoinstall and then adds the real user site directory (so packages installed with
    `pip install --user` stay importable).  No sitecustomize is involved.  VGC_DISABLE is
    removed (it would make _autoinstall do nothing) and VGC_STATUS_FILE collects each child's
    counters at its exit (VGC_STATUS_MULTIPROCESSING=1: also at a multiprocessing child's exit).  Children started with -s / -I / PYTHONNOUSERSITE (or with the user
    site disabled in this process) skip the user site directory and so do not get vgc from it.
    Returns the directory to remove at the end and the status file.
    """
    import site
    import sysconfig
    base = tempfile.mkdtemp(prefix="vgc-children-")
    user_site = sysconfig.get_path("purelib", "%s_user" % os.name, vars={"userbase": base})
    os.makedirs(user_site)
    lines = [os.path.dirname(os.path.dirname(os.path.abspath(vgc.__file__))),
             "import vgc._autoinstall"]
    orig = site.getusersitepackages() if site.ENABLE_USER_SITE else None
    if orig and os.path.isdir(orig):
        lines.append("import site; site.addsitedir(%r)" % orig)
    with open(os.path.join(user_site, "vgc-children.pth"), "w") as f:
        f.write("\n".join(lines) + "\n")
    os.environ["PYTHONUSERBASE"] = base
    os.environ.pop("VGC_DISABLE", None)
    status_file = status_file or os.path.join(base, "status.jsonl")
    os.environ["VGC_STATUS_FILE"] = status_file
    os.environ["VGC_STATUS_MULTIPROCESSING"] = "1"
    if not site.ENABLE_USER_SITE:
        sys.stderr.write("vgc: --children: the user site directory is disabled in this process "
                         "(-s, -I or PYTHONNOUSERSITE), so its children will not install vgc\n")
    return base, status_file


def _strip_frames(tb, keep_runpy):
    """Drop this module's frames (and runpy's, unless python itself would show them)."""
    skip = {os.path.abspath(__file__)}
    if not keep_runpy:
        import runpy
        skip.update((os.path.abspath(runpy.__file__), "<frozen runpy>"))
    while tb is not None and (tb.tb_frame.f_code.co_filename in skip or
                              os.path.abspath(tb.tb_frame.f_code.co_filename) in skip):
        tb = tb.tb_next
    return tb


def _fresh_main():
    """A new __main__ module (this module is __main__ while python -m vgc runs)."""
    import types
    mod = types.ModuleType("__main__")
    mod.__dict__["__builtins__"] = __builtins__
    sys.modules["__main__"] = mod
    return mod


def _run(kind, target, rest):
    import runpy
    if kind == "m":
        sys.argv = ["-m"] + rest                 # runpy puts the module's path in argv[0]
        sys.path[0] = os.getcwd()
        _fresh_main()
        runpy._run_module_as_main(target, alter_argv=True)
        return
    if kind == "c":
        sys.argv = ["-c"] + rest
        sys.path[0] = ""
        mod = _fresh_main()
        if sys.version_info >= (3, 13):  # python 3.13 shows -c's source lines in tracebacks
            import linecache
            linecache.cache["<string>"] = (len(target), None, target.splitlines(True), "<string>")
        exec(compile(target, "<string>", "exec"), mod.__dict__)
        return
    sys.argv = [target] + rest
    if target == "-":
        sys.path[0] = ""
        mod = _fresh_main()
        exec(compile(sys.stdin.read(), "<stdin>", "exec"), mod.__dict__)
        return
    path = _abs(target)
    sys.path[0] = os.path.dirname(os.path.realpath(path))
    if os.path.isdir(path) or not path.endswith((".py", ".pyw")) and _is_zip(path):
        sys.path[0] = path                       # a directory or zip with __main__.py
        runpy.run_path(path, run_name="__main__")
        return
    with open(path, "rb") as f:
        source = f.read()
    mod = _fresh_main()
    mod.__file__ = path
    mod.__cached__ = None
    exec(compile(source, path, "exec"), mod.__dict__)


def _abs(path):
    """Absolute as python makes a script's path: joined to the cwd, not normalised (no ..)."""
    return path if os.path.isabs(path) else os.path.join(os.getcwd(), path)


def _is_zip(path):
    import zipfile
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def main(argv=None):
    opts, kind, target, rest = _parse(sys.argv[1:] if argv is None else argv)
    prog = getattr(sys, "orig_argv", [sys.executable])[0] or sys.executable
    if kind == "script" and target != "-":
        path = _abs(target)
        if not os.path.exists(path):
            # python's own wording: `python3: can't open file '/abs/x.py': [Errno 2] ...`, rc 2
            sys.stderr.write("%s: can't open file %r: [Errno 2] No such file or directory\n"
                             % (prog, path))
            return 2
        if os.path.isdir(path) and not os.path.exists(os.path.join(path, "__main__.py")):
            sys.stderr.write("%s: can't find '__main__' module in %r\n" % (prog, path))
            return 1
    try:
        vgc.install()
    except RuntimeError as exc:
        sys.stderr.write("vgc: %s\n" % exc)
        return 2
    tmp = status_file = None
    start = 0
    if opts["children"]:
        # a VGC_STATUS_FILE set by the caller is kept; only the lines added from now on count
        tmp, status_file = _export_to_children(os.environ.get("VGC_STATUS_FILE"))
        start = os.path.getsize(status_file) if os.path.exists(status_file) else 0
    t0 = time.perf_counter()
    code = 0
    interrupted = False
    try:
        _run(kind, target, rest)
    except SystemExit as exc:
        code = exc.code
    except BaseException as exc:  # as python: the traceback via sys.excepthook, exit status 1
        tb = _strip_frames(exc.__traceback__, keep_runpy=(kind == "m"))
        sys.excepthook(type(exc), exc.with_traceback(tb), tb)
        code = 1
        interrupted = isinstance(exc, KeyboardInterrupt)
    finally:
        wall = time.perf_counter() - t0
        if not opts["quiet"]:
            children = _child_totals(status_file, start) if opts["children"] else None
            sys.stderr.write(report(vgc.status(), wall, opts["json"], children) + "\n")
        if tmp is not None:
            import shutil
            shutil.rmtree(tmp, ignore_errors=True)
    if interrupted:  # python ends an unhandled KeyboardInterrupt by dying of SIGINT
        import signal
        sys.stdout.flush()
        sys.stderr.flush()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    return code


if __name__ == "__main__":
    sys.exit(main())
