#!/bin/bash
# campaign.sh NAME CPU_SECONDS [MAX_WALL_SECONDS] — a libFuzzer campaign measured in CPU time.
#
# Runs fuzz_NAME (the libFuzzer+ASan+UBSan build of `make fuzz`, same options: fuzz/NAME.options,
# fuzz/NAME.dict, work dir fuzz/work/NAME first, committed corpus second) under `nice -n 19`, so
# that on a shared machine it only takes idle CPU, and stops it (SIGINT: libFuzzer prints its
# final stats) once the process tree has consumed CPU_SECONDS of CPU time (user + system, from
# /proc), or after MAX_WALL_SECONDS of wall time (default: unlimited), or when it exits by itself
# (a finding).  Appends one row to fuzz/CAMPAIGNS.md: date, command, CPU seconds, wall seconds,
# execs, execs per wall second (libFuzzer's exec/s), execs per CPU second, work corpus size,
# findings (artifacts written to fuzz/out/NAME/ during the run, or an abnormal exit).
# The log is fuzz/out/NAME/campaign-<UTC time>.log.  Run from the repository root (make campaign
# T=NAME CPU=3600 [WALL=...]).  Exit status: 0 no finding, 1 finding, 2 usage/build error.
set -u
[ $# -ge 2 ] || { echo "usage: $0 NAME CPU_SECONDS [MAX_WALL_SECONDS]" >&2; exit 2; }
name=$1 cpu_target=$2 wall_max=${3:-0}
[ -f "fuzz/fuzz_$name.c" ] && [ -d "fuzz/corpus/$name" ] || { echo "$0: no harness $name" >&2; exit 2; }
fb=${FUZZ_BUILD:-build/fuzz${VGC_FUZZ_PY:+-py$VGC_FUZZ_PY}}   # make campaign passes it; VGC_FUZZ_PY alone: build/fuzz-py<v>
# (until stop 18 VGC_FUZZ_PY alone still ran build/fuzz, the 3.11.7 binary)
make --no-print-directory "$fb/libfuzzer/fuzz_$name" >&2 || exit 2

bin=$fb/libfuzzer/fuzz_$name work=fuzz/work/$name out=fuzz/out/$name
mkdir -p "$work" "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
log=$out/campaign-$stamp.log
opts=()
[ -f "fuzz/$name.dict" ] && opts+=("-dict=fuzz/$name.dict")
if [ -f "fuzz/$name.options" ]; then
    while read -r o; do opts+=("$o"); done < <(sed -n '/^\[libfuzzer\]/,/^\[/{s/^ *\([a-z_]*\) *= *\(.*[^ ]\) *$/-\1=\2/p}' \
        "fuzz/$name.options" | grep -v '^-dict=')
fi
cmd=(nice -n 19 env ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
     "$bin" "$work" "fuzz/corpus/$name" "${opts[@]}" -max_total_time=86400 -print_final_stats=1
     -artifact_prefix="$out/")
echo "campaign $name: ${cmd[*]}  (stop at $cpu_target CPU-s$([ "$wall_max" -gt 0 ] && echo ", or $wall_max wall-s")); log $log" >&2
before=$(find "$out" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
         -o -name 'oom-*' \) | sort)

tck=$(getconf CLK_TCK)
# CPU seconds (user + system, including reaped children) of a process and all its descendants.
tree_cpu() {
    local total=0 p
    local -a todo=("$1")
    while [ ${#todo[@]} -gt 0 ]; do
        p=${todo[0]}; todo=("${todo[@]:1}")
        [ -r "/proc/$p/stat" ] || continue
        local st; st=$(cat "/proc/$p/stat" 2>/dev/null) || continue
        st=${st##*) }                   # fields from 3 on (the command may contain spaces)
        set -- $st
        total=$((total + ${12} + ${13} + ${14} + ${15}))
        for t in /proc/"$p"/task/*/children; do
            for c in $(cat "$t" 2>/dev/null); do todo+=("$c"); done
        done
    done
    echo $((total / tck))
}

start=$(date +%s)
"${cmd[@]}" > "$log" 2>&1 &
pid=$!
cpu=0 stopped=""
while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    c=$(tree_cpu "$pid"); [ -n "$c" ] && [ "$c" -gt 0 ] && cpu=$c
    now=$(date +%s)
    if [ "$cpu" -ge "$cpu_target" ]; then stopped="CPU target"; break; fi
    if [ "$wall_max" -gt 0 ] && [ $((now - start)) -ge "$wall_max" ]; then stopped="wall limit"; break; fi
done
if [ -n "$stopped" ]; then
    c=$(tree_cpu "$pid"); [ -n "$c" ] && [ "$c" -gt 0 ] && cpu=$c
    kill -INT "$pid" 2>/dev/null
fi
wait "$pid"; rc=$?
wall=$(( $(date +%s) - start ))

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
[ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
[ -n "$execs" ] || execs=0
eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
[ -n "$eps" ] || eps=$(( execs / (wall > 0 ? wall : 1) ))
epc=$(( execs / (cpu > 0 ? cpu : 1) ))
corpus=$(ls "$work" | wc -l)
after=$(find "$out" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' \) | sort)
new=$(comm -13 <(echo "$before") <(echo "$after") | grep -c . || true)
findings=$new
# Stopped by us: libFuzzer exits 72 on SIGINT (or 0/130); anything else without our stop is a finding.
if [ -z "$stopped" ] && [ "$new" -eq 0 ]; then findings=1; fi
[ -n "$stopped" ] || stopped="exited rc=$rc"

[ -f fuzz/CAMPAIGNS.md ] || cat > fuzz/CAMPAIGNS.md <<'EOF'
# Fuzzing campaigns (fuzz/campaign.sh; appended by it)

CPU-s = user + system CPU time consumed by the fuzzer's process tree (from /proc), the measure
the campaigns are stopped on; they run under `nice -n 19` on a 2-core machine shared with proof
runs, so wall time is longer.  exec/s is libFuzzer's own (per wall second); execs/CPU-s the same
execs per CPU second.  corpus = inputs in the git-ignored work dir fuzz/work/NAME at the end
(merged into fuzz/corpus/NAME by `make fuzz-min`).  findings = crash/leak/timeout/oom artifacts
written during the run, or an exit not caused by the stop.

| date (UTC) | harness | command | CPU-s | wall-s | execs | exec/s | execs/CPU-s | corpus | findings | stop |
|---|---|---|---|---|---|---|---|---|---|---|
EOF
label=$name; [ -n "${VGC_FUZZ_PY:-}" ] && label="$name (CPython $VGC_FUZZ_PY)"
echo "| $stamp | $label | \`${VGC_FUZZ_PY:+VGC_FUZZ_PY=$VGC_FUZZ_PY }fuzz/campaign.sh $name $cpu_target$([ "$wall_max" -gt 0 ] && echo " $wall_max")\` | $cpu | $wall | $execs | $eps | $epc | $corpus | $findings | $stopped |" \
    >> fuzz/CAMPAIGNS.md
echo "campaign $name: $cpu CPU-s, $wall wall-s, $execs execs, $eps exec/s, $epc execs/CPU-s, corpus $corpus, findings $findings ($stopped)"
[ "$findings" -eq 0 ]
