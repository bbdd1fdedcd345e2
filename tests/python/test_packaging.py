"""Packaging: `make install` / `make uninstall` into a venv, `pip install -e .` (the in-tree
PEP 660 backend), Requires-Python in the metadata so pip on 3.10 stops early.  Each test works in
its own temporary venv of the running interpreter, never in its site-packages."""
import glob
import os
import subprocess
import sys
import sysconfig
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PY310 = os.path.join(os.path.expanduser(os.environ.get("PYENV_ROOT", "~/.pyenv")),
                     "versions", "3.10.13", "bin", "python3.10")


def env():
    e = {k: v for k, v in os.environ.items()
         if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTHONPATH", "VGC_DISABLE",
                      "VGC_STATUS_FILE")}
    e["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # these tests build and install an ordinary vgc with the toolchain: `make test-asan`'s
    # preloaded ASan runtime is not passed on (LeakSanitizer reports cc1's and ld's own leaks)
    e.pop("LD_PRELOAD", None)
    return e


def run(cmd, cwd=ROOT, check=True):
    p = subprocess.run(cmd, cwd=cwd, env=env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=600)
    if check and p.returncode != 0:
        raise AssertionError("%s: rc=%d\n%s" % (" ".join(cmd), p.returncode, p.stdout))
    return p


def venv(d):
    run([sys.executable, "-m", "venv", "--without-pip", d])
    py = os.path.join(d, "bin", "python")
    site = run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout
    return py, site.strip()


class MakeInstall(unittest.TestCase):
    def test_install_autoinstall_then_uninstall(self):
        with tempfile.TemporaryDirectory() as d:
            py, site = venv(os.path.join(d, "ve"))
            run(["make", "--no-print-directory", "install", "PYTHON=" + py, "AUTOINSTALL=1"])
            self.assertTrue(os.path.isfile(os.path.join(site, "vgc", "__init__.py")))
            self.assertTrue(os.path.isfile(os.path.join(site, "vgc-autoinstall.pth")))
            out = run([py, "-c", "import gc; print(gc.__name__)"]).stdout
            self.assertEqual(out.strip(), "vgc")          # the .pth installed vgc at start-up
            out = run(["make", "--no-print-directory", "uninstall", "PYTHON=" + py]).stdout
            self.assertIn("removed vgc vgc-autoinstall.pth", out)
            self.assertEqual(sorted(n for n in os.listdir(site) if "vgc" in n), [])
            p = run([py, "-c", "import vgc"], check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("No module named 'vgc'", p.stdout)
            self.assertEqual(run([py, "-c", "import gc; print(gc.__name__)"]).stdout.strip(), "gc")
            out = run(["make", "--no-print-directory", "uninstall", "PYTHON=" + py]).stdout
            self.assertIn("removed nothing", out)         # idempotent


class PipInstall(unittest.TestCase):
    def test_pip_install_editable(self):
        so = os.path.join(ROOT, "python", "vgc", "_vgc" + sysconfig.get_config_var("EXT_SUFFIX"))
        had_so = os.path.exists(so)
        try:
            with tempfile.TemporaryDirectory() as d:
                py, site = venv(os.path.join(d, "ve"))     # pip runs from outside (--python)
                run([sys.executable, "-m", "pip", "--python", py, "install", "-q", "-e", ROOT])
                self.assertTrue(os.path.exists(so))
                self.assertTrue(glob.glob(os.path.join(site, "__editable__.vgc-*.pth")))
                out = run([py, "-c", "import vgc; vgc.install(); import gc; "
                                     "print(vgc.__file__, gc.__name__)"], cwd=d).stdout.split()
                self.assertEqual(out, [os.path.join(ROOT, "python", "vgc", "__init__.py"), "vgc"])
                out = run([py, "-m", "vgc", "--quiet", "-c", "import gc; print(gc.__name__)"],
                          cwd=d).stdout
                self.assertEqual(out.strip(), "vgc")
                out = run(["make", "--no-print-directory", "uninstall", "PYTHON=" + py]).stdout
                self.assertRegex(out, r"removed __editable__\.vgc-0\.1\.0\.pth .*vgc-0\.1\.0\.dist-info")
                self.assertEqual(sorted(n for n in os.listdir(site) if "vgc" in n), [])
                self.assertNotEqual(run([py, "-c", "import vgc"], cwd=d, check=False).returncode, 0)
        finally:
            if not had_so and os.path.exists(so):
                os.remove(so)

    def test_metadata_has_requires_python(self):
        sys.path.insert(0, os.path.join(ROOT, "python", "build_backend"))
        try:
            import vgc_build
        finally:
            sys.path.pop(0)
        with tempfile.TemporaryDirectory() as d:
            for hook in (vgc_build.prepare_metadata_for_build_wheel,
                         vgc_build.prepare_metadata_for_build_editable):
                name = hook(d)
                with open(os.path.join(d, name, "METADATA")) as f:
                    self.assertIn("Requires-Python: >=3.11,<3.14\n", f.read())

    @unittest.skipUnless(os.path.exists(PY310), "no Python 3.10 here")
    def test_pip_on_310_fails_early_and_clearly(self):
        with tempfile.TemporaryDirectory() as d:
            target = os.path.join(d, "t")
            p = run([PY310, "-m", "pip", "install", "--no-build-isolation", "--target", target,
                     ROOT], check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("requires a different Python: 3.10.13 not in '<3.14,>=3.11'", p.stdout)
            self.assertNotIn("error:", p.stdout)          # no compiler was run
            self.assertFalse(os.path.exists(target))
            # a frontend that skips the check gets the backend's own message
            code = ("import sys; sys.path.insert(0, %r); import vgc_build; "
                    "vgc_build.build_wheel(%r)" % (os.path.join(ROOT, "python", "build_backend"), d))
            p = run([PY310, "-c", code], check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("vgc supports CPython 3.11, 3.12 and 3.13", p.stdout)
            self.assertIn("this is 3.10.13", p.stdout)
            self.assertEqual(os.listdir(d), [])           # no wheel written


if __name__ == "__main__":
    unittest.main()
