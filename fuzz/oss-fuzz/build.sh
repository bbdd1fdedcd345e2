#!/bin/bash -eu
# build.sh — OSS-Fuzz build script for every vgc fuzz harness (fuzz/fuzz_<name>.c).
# Not in proof scope.  Uses only the OSS-Fuzz environment: $CC $CFLAGS (compile), $CXX $CXXFLAGS
# $LIB_FUZZING_ENGINE (link), $OUT (binaries, dictionaries, options, seed corpora), $WORK
# (objects).  Each harness names its sources in its opening comment (fuzz/harness-meta.sh);
# fuzz/<name>.ignorelist, when present, is passed for the libFuzzer engine's coverage.
# Outputs per harness: fuzz_<name>, fuzz_<name>.dict, fuzz_<name>.options,
# fuzz_<name>_seed_corpus.zip (and fuzz_cpython.files/: the Python files it runs).  Run from
# anywhere; works on the repository it sits in.  `make test-fuzz-replay` runs it with clang and
# libFuzzer and runs every binary it built on its seed corpus from another directory.
# fuzz_cpython links the CPython named by $VGC_PYTHON_CONFIG (+ $VGC_PYTHON_LDFLAGS), else the
# pyenv CPython's shared libpython (rpath into $PYENV_ROOT, so a runner would need that CPython at
# the same path).  For ClusterFuzzLite/OSS-Fuzz, build-cpython.sh (next to this file) first builds
# a sanitizer CPython into $OUT and then runs this script against it (.clusterfuzzlite/).
cd "$(dirname "$0")/../.."
: "${WORK:=$(mktemp -d)}"
mkdir -p "$OUT" "$WORK/vgc-fuzz"

for harness in fuzz/fuzz_*.c; do
    name=$(basename "$harness" .c); name=${name#fuzz_}
    sources=$(fuzz/harness-meta.sh sources "$harness")
    cflags=$(fuzz/harness-meta.sh cflags "$harness")
    ldflags=$(fuzz/harness-meta.sh ldflags "$harness")
    extra=""
    if [ -f "fuzz/$name.ignorelist" ] && [ "${FUZZING_ENGINE:-libfuzzer}" = libfuzzer ] &&
       [ "${SANITIZER:-address}" != coverage ]; then
        extra="-fsanitize-coverage-ignorelist=fuzz/$name.ignorelist"
    fi
    objs=""
    for src in "$harness" $sources; do
        obj="$WORK/vgc-fuzz/${name}_$(echo "$src" | tr / _).o"
        # shellcheck disable=SC2086
        $CC $CFLAGS -std=c11 -Iinclude $cflags $extra -c "$src" -o "$obj"
        objs="$objs $obj"
    done
    # shellcheck disable=SC2086
    $CXX $CXXFLAGS $objs $LIB_FUZZING_ENGINE $ldflags -o "$OUT/fuzz_$name"

    [ -f "fuzz/$name.dict" ] && cp "fuzz/$name.dict" "$OUT/fuzz_$name.dict"
    [ -f "fuzz/$name.options" ] && cp "fuzz/$name.options" "$OUT/fuzz_$name.options"
    # A harness that runs Python files (fuzz_cpython: python/vgc and fuzz/cpython_graph.py)
    # finds them in $OUT/fuzz_<name>.files/ when it is not run from the repository root.
    if grep -q 'VGC_ROOT' "$harness"; then
        rm -rf "$OUT/fuzz_$name.files"; mkdir -p "$OUT/fuzz_$name.files/fuzz" "$OUT/fuzz_$name.files/python"
        cp -r python/vgc "$OUT/fuzz_$name.files/python/"
        cp fuzz/*.py "$OUT/fuzz_$name.files/fuzz/"
    fi
    if [ -d "fuzz/corpus/$name" ]; then
        rm -f "$OUT/fuzz_${name}_seed_corpus.zip"
        (cd "fuzz/corpus/$name" && zip -q -j "$OUT/fuzz_${name}_seed_corpus.zip" ./*)
    fi
    echo "built $OUT/fuzz_$name"
done
