#!/bin/bash
# speed.sh NAME SECONDS [REV] — throughput of harness NAME now versus at git revision REV.
#
# Builds the libFuzzer binary of fuzz_NAME (ASan+UBSan, the `make fuzz` flags) from the work tree
# and, when REV is given, from `git archive REV` in a temporary directory; runs them side by side
# (same load on a shared machine), each for SECONDS of wall time under nice -n 19, each with its
# own revision's fuzz/NAME.options and .dict and Python files (VGC_ROOT), on a fresh work dir and
# the work tree's committed corpus fuzz/corpus/NAME.  Prints per binary: execs, libFuzzer's
# exec/s (per wall second), CPU seconds (user + system, /usr/bin/time) and execs per CPU second —
# the figure that does not depend on how much CPU other processes left.  Nothing is committed.
set -u
[ $# -ge 2 ] || { echo "usage: $0 NAME SECONDS [REV]" >&2; exit 2; }
name=$1 secs=$2 rev=${3:-}
root=$(pwd)
tmp=$(mktemp -d /tmp/vgc-speed.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
make --no-print-directory "build/fuzz/libfuzzer/fuzz_$name" >&2 || exit 2
trees=("$root")
if [ -n "$rev" ]; then
    mkdir -p "$tmp/old"
    git archive "$rev" | tar -x -C "$tmp/old" || exit 2
    make --no-print-directory -C "$tmp/old" "build/fuzz/libfuzzer/fuzz_$name" >&2 || exit 2
    trees+=("$tmp/old")
fi
run() {   # run TREE LABEL
    local tree=$1 label=$2 opts=()
    [ -f "$tree/fuzz/$name.dict" ] && opts+=("-dict=$tree/fuzz/$name.dict")
    [ -f "$tree/fuzz/$name.options" ] && while read -r o; do opts+=("$o"); done < <(
        sed -n '/^\[libfuzzer\]/,/^\[/{s/^ *\([a-z_]*\) *= *\(.*[^ ]\) *$/-\1=\2/p}' \
            "$tree/fuzz/$name.options" | grep -v '^-dict=')
    mkdir -p "$tmp/work-$label"
    (cd "$tree" && VGC_ROOT=$tree nice -n 19 /usr/bin/time -f "%U %S" -o "$tmp/time-$label" \
        env ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 "build/fuzz/libfuzzer/fuzz_$name" \
        "$tmp/work-$label" "$root/fuzz/corpus/$name" "${opts[@]}" -max_total_time="$secs" \
        -print_final_stats=1 -artifact_prefix="$tmp/$label-" > "$tmp/log-$label" 2>&1)
    local ex eps cpu
    ex=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/log-$label")
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$tmp/log-$label")
    cpu=$(awk '{print $1 + $2}' "$tmp/time-$label")
    echo "speed $name $label: execs=${ex:-?} exec/s=${eps:-?} cpu_s=$cpu" \
         "execs/cpu_s=$(awk -v e="${ex:-0}" -v c="$cpu" 'BEGIN { printf "%d", (c > 0 ? e / c : 0) }')" \
         "options=[${opts[*]}]"
}
run "$root" now &
[ -n "$rev" ] && run "$tmp/old" "$rev" &
wait
