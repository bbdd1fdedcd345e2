"""`python -m vgc` behaves like `python` (same argv, sys.path[0], __file__, tracebacks, exit
status, error messages), --children gives vgc to spawn/forkserver children and adds up their
counters, and the report's wall-time share on short runs.  Every case runs `python` and
`python -m vgc` in fresh processes and compares them."""
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import unittest


def py(*args, cwd=None, stdin=None, env=None):
    """Run the interpreter with args; vgc is not auto-installed (VGC_DISABLE=1)."""
    e = dict(os.environ, VGC_DISABLE="1", **(env or {}))
    e.pop("VGC_STATUS_FILE", None)
    if e.get("PYTHONPATH"):  # make test-python's PYTHONPATH is relative; cwd changes below
        e["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) for p in e["PYTHONPATH"].split(os.pathsep))
    return subprocess.run([sys.executable] + list(args), env=e, cwd=cwd, input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=180)


def without_report(stderr):
    return "".join(l for l in stderr.splitlines(True) if not l.startswith("vgc: "))


SHOW = '''
import os, sys
print(repr(sys.argv))
print(repr(sys.path[0]))
print(repr(globals().get("__file__")))
print(__name__, type(__builtins__).__name__)
'''

FAIL = '''
def inner():
    raise ValueError("boom")
def outer():
    inner()
outer()
'''


class LikePython(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.d = self.tmp.name
        for name, text in (("show.py", SHOW), ("fail.py", FAIL)):
            with open(os.path.join(self.d, name), "w") as f:
                f.write(textwrap.dedent(text))

    def tearDown(self):
        self.tmp.cleanup()

    def same(self, args, stdin=None, rc=0):
        ref = py(*args, cwd=self.d, stdin=stdin)
        got = py("-m", "vgc", *args, cwd=self.d, stdin=stdin)
        self.assertEqual(ref.returncode, rc, ref.stderr)
        self.assertEqual(got.returncode, rc, got.stderr)
        self.assertEqual(got.stdout, ref.stdout)
        self.assertEqual(without_report(got.stderr), ref.stderr)
        self.assertIn("vgc: ", got.stderr)           # the report is still there
        return got

    def test_script_argv_path_file(self):
        got = self.same(["show.py", "a", "-m", "--x"])
        lines = got.stdout.splitlines()
        self.assertEqual(lines[0], repr(["show.py", "a", "-m", "--x"]))
        self.assertEqual(lines[1], repr(os.path.realpath(self.d)))
        self.assertEqual(lines[2], repr(os.path.join(os.path.realpath(self.d), "show.py")))
        self.assertTrue(os.path.isabs(eval(lines[2])))   # __file__ absolute, as python sets it
        self.assertEqual(lines[3], "__main__ module")

    def test_script_in_other_directory(self):
        rel = os.path.join("..", os.path.basename(self.d), "show.py")
        got = self.same([rel])
        self.assertIn(repr(os.path.join(os.path.realpath(self.d), rel)), got.stdout)  # not normalised

    def test_dash_c(self):
        got = self.same(["-c", "import sys; print(sys.argv, repr(sys.path[0]), __name__)", "p", "-q"])
        self.assertEqual(got.stdout.strip(), "['-c', 'p', '-q'] '' __main__")

    def test_dash_m(self):
        got = self.same(["-m", "show", "arg"])
        self.assertEqual(got.stdout.splitlines()[0],
                         repr([os.path.join(os.path.realpath(self.d), "show.py"), "arg"]))

    def test_stdin(self):
        got = self.same(["-", "z"], stdin="import sys; print(sys.argv, __name__)\n")
        self.assertEqual(got.stdout.strip(), "['-', 'z'] __main__")

    def test_traceback_has_only_the_programs_frames(self):
        got = self.same(["fail.py"], rc=1)
        tb = without_report(got.stderr)
        self.assertEqual(re.findall(r'File "([^"]+)"', tb), [os.path.join(self.d, "fail.py")] * 3)
        self.assertNotIn("runpy", tb)
        self.assertNotIn("vgc", tb)
        self.assertTrue(tb.rstrip().endswith("ValueError: boom"))
        self.assertLess(got.stderr.index("ValueError: boom"), got.stderr.index("vgc: "))

    def test_traceback_dash_m_as_python_prints_it(self):
        got = self.same(["-m", "fail"], rc=1)          # python itself shows its runpy frames
        self.assertNotIn("vgc", without_report(got.stderr))

    def test_exit_status_and_message(self):
        self.same(["-c", "raise SystemExit(7)"], rc=7)
        self.same(["-c", "import sys; sys.exit('bye')"], rc=1)
        self.same(["-c", "raise KeyboardInterrupt"], rc=-2)   # python dies of SIGINT

    def test_missing_script(self):
        ref = py("missing.py", cwd=self.d)
        got = py("-m", "vgc", "missing.py", cwd=self.d)
        self.assertEqual((got.returncode, ref.returncode), (2, 2))
        self.assertEqual(got.stdout, "")
        self.assertRegex(got.stderr, r"^\S+: can't open file '%s': \[Errno 2\] No such file or "
                         r"directory\n$" % re.escape(os.path.join(self.d, "missing.py")))
        self.assertEqual(got.stderr, ref.stderr)       # same program name and wording
        self.assertNotIn("vgc: ", got.stderr)          # no report

    def test_no_arguments_usage(self):
        got = py("-m", "vgc")
        self.assertEqual(got.returncode, 2)
        self.assertTrue(got.stderr.startswith("usage: python -m vgc"), got.stderr)
        self.assertEqual(got.stdout, "")
        got = py("-m", "vgc", "--json")              # options but no program
        self.assertEqual(got.returncode, 2)
        self.assertIn("usage:", got.stderr)
        got = py("-m", "vgc", "--bogus", "show.py", cwd=self.d)
        self.assertEqual(got.returncode, 2)
        self.assertIn("unknown option --bogus", got.stderr)
        got = py("-m", "vgc", "-c")
        self.assertEqual(got.returncode, 2)
        self.assertIn("Argument expected for the -c option", got.stderr)


class Report(unittest.TestCase):
    def test_no_percentage_on_a_short_run(self):
        got = py("-m", "vgc", "-c", "import gc; gc.collect()")
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertNotIn("%", got.stderr)
        self.assertRegex(got.stderr, r"pause total [0-9.]+ ms, max [0-9.]+ ms \([0-9.]+ s wall\)")
        self.assertIn("figures for this process only", got.stderr)

    def test_percentage_on_a_long_run(self):
        got = py("-m", "vgc", "-c", "import time, gc; gc.collect(); time.sleep(1.1)")
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertRegex(got.stderr, r"\([0-9.]+% of [0-9.]+ s wall\)")

    def test_json_says_what_it_covers(self):
        got = py("-m", "vgc", "--json", "-c", "pass")
        rep = json.loads(got.stderr.strip().splitlines()[-1])
        self.assertEqual(rep["covers"], "this process")
        self.assertNotIn("children", rep)


CHILDREN = '''
import multiprocessing as mp, sys
def work(n):
    import gc
    class N: pass
    for i in range(n):
        a = N(); a.a = a
    gc.collect()
    return gc.__name__
if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    pool = ctx.Pool(2)
    print(pool.map(work, [3000, 3000]))
    pool.close(); pool.join()
'''


class Children(unittest.TestCase):
    def run_children(self, method, *opts):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "prog.py"), "w") as f:
                f.write(textwrap.dedent(CHILDREN))
            tmp = os.path.join(d, "tmp")  # a private TMPDIR: /tmp is shared with other runs
            os.mkdir(tmp)
            got = py("-m", "vgc", "--json", *opts, "prog.py", method, cwd=d, env={"TMPDIR": tmp})
            self.assertEqual(got.returncode, 0, got.stderr)
            self.assertEqual(os.listdir(tmp), [])   # --children's directory is removed
            return got.stdout.strip(), json.loads(got.stderr.strip().splitlines()[-1])

    def test_spawn_children_get_vgc_only_when_asked(self):
        out, rep = self.run_children("spawn")
        self.assertEqual(out, "['gc', 'gc']")          # stock gc in the children
        self.assertEqual(rep["covers"], "this process")
        out, rep = self.run_children("spawn", "--children")
        self.assertEqual(out, "['vgc', 'vgc']")
        self.assertEqual(rep["covers"], "this process and its children")
        self.assertEqual(rep["children"]["processes"], 2)   # both pool workers exited normally
        self.assertGreaterEqual(rep["children"]["collected"], 6000)
        self.assertLess(rep["collected"], 6000)       # the parent did not do that work

    def test_forkserver_children(self):
        out, rep = self.run_children("forkserver", "--children")
        self.assertEqual(out, "['vgc', 'vgc']")
        self.assertEqual(rep["children"]["processes"], 2)
        self.assertGreaterEqual(rep["children"]["collected"], 6000)

    def test_subprocess_child_and_user_site_kept(self):
        code = ("import subprocess, sys; print(subprocess.run([sys.executable, '-c', "
                "'import gc, site, sys; print(gc.__name__, site.ENABLE_USER_SITE)'], "
                "capture_output=True, text=True).stdout.strip())")
        got = py("-m", "vgc", "--children", "-c", code)
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertEqual(got.stdout.strip(), "vgc True")
        self.assertRegex(got.stderr, r"1 child interpreters with vgc .* exited before this report")
        got = py("-m", "vgc", "-c", code)
        self.assertEqual(got.stdout.strip(), "gc True")


if __name__ == "__main__":
    unittest.main()
