"""import_cost.py — what `import vgc` and `vgc.install()` add to a fresh process: address space
(VmSize, which RLIMIT_AS limits), resident memory (VmRSS) and the modules loaded
(`make bench-import`; README "Memory").  Run with build/py<X.Y.Z> on PYTHONPATH."""
import sys


def vm():
    f = {}
    with open("/proc/self/status") as s:
        for line in s:
            k, _, v = line.partition(":")
            if k in ("VmSize", "VmRSS"):
                f[k] = int(v.split()[0])
    return f


before, mods = vm(), set(sys.modules)
import vgc  # noqa: E402
after_import = vm()
vgc.install()
after_install = vm()
print("Python %s: import vgc +%d KiB VmSize, +%d KiB VmRSS; install() +%d KiB VmSize, +%d KiB "
      "VmRSS; modules loaded by the import: %s"
      % (sys.version.split()[0], after_import["VmSize"] - before["VmSize"],
         after_import["VmRSS"] - before["VmRSS"], after_install["VmSize"] - after_import["VmSize"],
         after_install["VmRSS"] - after_import["VmRSS"], " ".join(sorted(set(sys.modules) - mods))))
