#!/usr/bin/env python3
"""Run vgc's Python test suite (tests/python/test_*.py) with the stdlib's unittest.

The vgc package must be importable (make test-python sets PYTHONPATH to build/py<X.Y.Z>).
Ends with a plain line `N passed, N failed, N skipped` and exits non-zero on any failure.
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class Result(unittest.TextTestResult):
    pass


def main():
    sys.path.insert(0, HERE)
    # run.py [PATTERN...]: only the test files matching (default: every test_*.py)
    suite = unittest.TestSuite()
    for pattern in sys.argv[1:] or ["test_*.py"]:
        suite.addTests(unittest.defaultTestLoader.discover(HERE, pattern=pattern,
                                                           top_level_dir=HERE))
    runner = unittest.TextTestRunner(verbosity=2, resultclass=Result, stream=sys.stdout)
    res = runner.run(suite)
    failed = len(res.failures) + len(res.errors) + len(res.unexpectedSuccesses)
    skipped = len(res.skipped)
    passed = res.testsRun - failed - skipped
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed or res.testsRun == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
