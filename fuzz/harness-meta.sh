#!/bin/sh
# harness-meta.sh KEY HARNESS.c — print a harness's `fuzz-KEY:` directive (sources, cflags,
# ldflags), shell-expanded, so `$(python3-config --ldflags --embed)` works.  Used by fuzz/fuzz.mk
# and fuzz/oss-fuzz/build.sh; a directive sits in the harness's opening comment, e.g.
#   * fuzz-sources: src/vgc_core.c src/vgc_check.c
# Several lines with the same key are concatenated.  No directive: prints nothing.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 sources|cflags|ldflags HARNESS.c" >&2; exit 2; }
val=$(sed -n "s|^[ /*]*fuzz-$1:[ ]*||p" "$2" | tr '\n' ' ')
eval "echo $val"
