"""A stdlib-only PEP 517 build backend for vgc (in-tree: pyproject.toml's backend-path).

`pip install --no-build-isolation .` needs no setuptools or wheel (3.12/3.13 here have none):
the extension is compiled with the running interpreter's own headers, internal ones included,
with the same command as `make install PYTHON=...`, and packed into a wheel with zipfile.
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


def get_requires_for_build_wheel(config_settings=None):
    return []


def _tag():
    impl = "cp%d%d" % sys.version_info[:2]
    plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return "%s-%s-%s" % (impl, impl, plat)


def _compile(out):
    cc = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")[:1]
    cmd = cc + ["-std=gnu11", "-O2", "-g", "-fno-strict-aliasing", "-fPIC", "-shared",
                "-I" + os.path.join(ROOT, "include"),
                "-I" + sysconfig.get_paths()["include"],
                os.path.join(ROOT, "src", "vgc_python.c"), os.path.join(ROOT, "src", "vgc_core.c"),
                os.path.join(ROOT, "src", "vgc_policy.c"),
                "-o", out]
    subprocess.check_call(cmd)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    tag = _tag()
    wheel_name = "%s-%s-%s.whl" % (NAME, VERSION, tag)
    distinfo = "%s-%s.dist-info" % (NAME, VERSION)
    files = {}
    pkg = os.path.join(ROOT, "python", "vgc")
    for fn in sorted(os.listdir(pkg)):
        if fn.endswith((".py", ".pyi", ".typed")):
            with open(os.path.join(pkg, fn), "rb") as f:
                files["vgc/" + fn] = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        so = os.path.join(tmp, "_vgc" + sysconfig.get_config_var("EXT_SUFFIX"))
        _compile(so)
        with open(so, "rb") as f:
            files["vgc/" + os.path.basename(so)] = f.read()
    files[distinfo + "/METADATA"] = METADATA.encode()
    files[distinfo + "/WHEEL"] = ("Wheel-Version: 1.0\nGenerator: vgc_build\n"
                                  "Root-Is-Purelib: false\nTag: %s\n" % tag).encode()
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
