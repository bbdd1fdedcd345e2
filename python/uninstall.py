"""python uninstall.py — remove vgc from the running interpreter's (or venv's) site-packages.

Used by `make uninstall PYTHON=...`.  Removes what `make install` puts there (vgc/ and
vgc-autoinstall.pth) and what pip installed (`pip install .` or `pip install -e .`): every file
listed in a vgc-*.dist-info/RECORD, then that directory.  Needs no pip (works in venvs created
--without-pip).  Prints one line naming what it removed.
"""
import glob
import os
import shutil
import sysconfig


def main():
    site = sysconfig.get_paths()["purelib"]
    sites = {site, sysconfig.get_paths()["platlib"]}
    removed = []
    for s in sorted(sites):
        for info in sorted(glob.glob(os.path.join(s, "vgc-*.dist-info"))):
            record = os.path.join(info, "RECORD")
            if os.path.exists(record):
                with open(record) as f:
                    for line in f:
                        rel = line.rsplit(",", 2)[0]
                        path = os.path.normpath(os.path.join(s, rel))
                        if rel and os.path.isfile(path) and not path.startswith(info + os.sep):
                            os.remove(path)
                            removed.append(rel)
            shutil.rmtree(info)
            removed.append(os.path.basename(info))
        for name in ("vgc", "vgc-autoinstall.pth"):
            path = os.path.join(s, name)
            if os.path.isdir(path):
                shutil.rmtree(path)
                removed.append(name)
            elif os.path.exists(path):
                os.remove(path)
                removed.append(name)
    print("uninstall: removed %s from %s" % (" ".join(removed) or "nothing", site))


if __name__ == "__main__":
    main()
