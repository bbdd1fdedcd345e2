#!/usr/bin/env python3
"""Add up `N passed, N failed[, N skipped]` lines of a file into one such line (exit 1 on failure
or when a line is not a summary line, e.g. a crashed run)."""
import re
import sys

LINE = re.compile(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$")
p = f = s = 0
for line in open(sys.argv[1]):
    m = LINE.match(line.strip())
    if not m:
        f += 1
        continue
    p, f, s = p + int(m.group(1)), f + int(m.group(2)), s + int(m.group(3) or 0)
print("%d passed, %d failed, %d skipped" % (p, f, s))
sys.exit(1 if f else 0)
