"""A stdlib-only PEP 517 / PEP 660 build backend for vgc (in-tree: pyproject.toml's backend-path).

`pip install .` and `pip install -e .` need no setuptools or wheel (3.12/3.13 here have none):
the extension is compiled with the running interpreter's own headers, internal ones included,
with the same command as `make install PYTHON=...`, and packed into a wheel with zipfile.

- The metadata (prepare_metadata_for_build_*) carries Requires-Python, so pip on an unsupported
  interpreter stops before compiling anything ("requires a different Python"); the build hooks
  themselves also refuse one with a plain message (for frontends that skip that check).
- Editable (PEP 660): the extension is compiled into python/vgc/ (git-ignored, one file per
  interpreter version, named by its EXT_SUFFIX) and the editable wheel holds one .pth that puts
  python/ on sys.path, so edits to python/vgc/*.py take effect at once; after a change to src/
  run `pip install -e .` again.  `pip uninstall vgc` removes the .pth (the in-tree extension
  stays: `make clean` removes it).
"""
import base64
import hashlib
import os
import shlex
import subprocess
import sys
import sysconfig
import tempfile
import zipfile

NAME, VERSION = "vgc", "0.1.0"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
METADATA = """Metadata-Version: 2.1
Name: vgc
Version: %s
Summary: CPython's cycle collector with a Frama-C/WP-proved reachability decision
Requires-Python: >=3.11,<3.14
""" % VERSION


SUPPORTED = ((3, 11), (3, 12), (3, 13))


def _check_python():
    if sys.version_info[:2] not in SUPPORTED:
        raise SystemExit("vgc supports CPython 3.11, 3.12 and 3.13 (Requires-Python: "
                         ">=3.11,<3.14); this is %d.%d.%d: use one of those"
                         % sys.version_info[:3])


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def _distinfo():
    return "%s-%s.dist-info" % (NAME, VERSION)


def _wheel_text(tag):
    return "Wheel-Version: 1.0\nGenerator: vgc_build\nRoot-Is-Purelib: false\nTag: %s\n" % tag


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    d = os.path.join(metadata_directory, _distinfo())
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "METADATA"), "w") as f:
        f.write(METADATA)
    with open(os.path.join(d, "WHEEL"), "w") as f:
        f.write(_wheel_text(_tag()))
    return _distinfo()


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def _tag():
    impl = "cp%d%d" % sys.version_info[:2]
    plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return "%s-%s-%s" % (impl, impl, plat)


def _compile(out):
    cc = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")[:1]
    cmd = cc + ["-std=gnu11", "-O2", "-g", "-fno-strict-aliasing", "-fPIC", "-shared",
                "-I" + os.path.join(ROOT, "include"),
                "-I" + sysconfig.get_paths()["include"],
                os.path.join(ROOT, "src", "vgc_policy.c"), os.path.join(ROOT, "src", "vgc_hookstate.c")]
    cpython = os.path.join(ROOT, "src", "cpython")   # the adapter's rooms (src/cpython/README.md)
    cmd += sorted(os.path.join(cpython, n) for n in os.listdir(cpython) if n.endswith(".c"))
    cmd += ["-o", out]
    subprocess.check_call(cmd)


def _package_files():
    files = {}
    pkg = os.path.join(ROOT, "python", "vgc")
    for fn in sorted(os.listdir(pkg)):
        if fn.endswith((".py", ".pyi", ".typed")):
            with open(os.path.join(pkg, fn), "rb") as f:
                files["vgc/" + fn] = f.read()
    return files


def _write_wheel(wheel_directory, files):
    tag = _tag()
    wheel_name = "%s-%s-%s.whl" % (NAME, VERSION, tag)
    distinfo = _distinfo()
    files[distinfo + "/METADATA"] = METADATA.encode()
    files[distinfo + "/WHEEL"] = _wheel_text(tag).encode()
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (path, digest, len(data)))
    record.append(distinfo + "/RECORD,,")
    files[distinfo + "/RECORD"] = ("\n".join(record) + "\n").encode()
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w",
                         zipfile.ZIP_DEFLATED) as z:
        for path, data in files.items():
            z.writestr(path, data)
    return wheel_name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _check_python()
    files = _package_files()
    with tempfile.TemporaryDirectory() as tmp:
        so = os.path.join(tmp, "_vgc" + sysconfig.get_config_var("EXT_SUFFIX"))
        _compile(so)
        with open(so, "rb") as f:
            files["vgc/" + os.path.basename(so)] = f.read()
    return _write_wheel(wheel_directory, files)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    _check_python()
    _compile(os.path.join(ROOT, "python", "vgc", "_vgc" + sysconfig.get_config_var("EXT_SUFFIX")))
    pth = os.path.join(ROOT, "python") + "\n"
    return _write_wheel(wheel_directory, {"__editable__.%s-%s.pth" % (NAME, VERSION): pth.encode()})
