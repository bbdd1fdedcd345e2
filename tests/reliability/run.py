#!/usr/bin/env python3
"""Run vgc's reliability suite (tests/reliability/test_*.py; with --also DIR, DIR's test_*.py
too) with the stdlib's unittest.  The vgc package must be importable (PYTHONPATH=build/py<X.Y.Z>).
Ends with a plain line `N passed, N failed, N skipped`; exits non-zero on any failure."""
import argparse
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--also", action="append", default=[])
    ap.add_argument("-k", dest="pattern", default="test_*.py")
    ap.add_argument("--skip", action="append", default=[],
                    help="leave out tests whose id contains this (e.g. under ASan the wheel build, "
                         "whose compiler would run with the ASan runtime preloaded)")
    a = ap.parse_args()
    suite = unittest.TestSuite()
    for d in [HERE] + a.also:
        d = os.path.abspath(d)
        sys.path.insert(0, d)
        suite.addTests(unittest.defaultTestLoader.discover(d, pattern=a.pattern, top_level_dir=d))
    if a.skip:
        def flat(s):
            for t in s:
                yield from (flat(t) if isinstance(t, unittest.TestSuite) else [t])
        suite = unittest.TestSuite(t for t in flat(suite) if not any(k in t.id() for k in a.skip))
    res = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(res.failures) + len(res.errors) + len(res.unexpectedSuccesses)
    skipped = len(res.skipped)
    passed = res.testsRun - failed - skipped
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed or res.testsRun == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
