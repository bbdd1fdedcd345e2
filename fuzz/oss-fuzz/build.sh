#!/bin/bash -eu
# build.sh — OSS-Fuzz build script for every vgc fuzz harness (fuzz/fuzz_<name>.c).
# Not in proof scope.  Uses only the OSS-Fuzz environment: $CC $CFLAGS (compile), $CXX $CXXFLAGS
# $LIB_FUZZING_ENGINE (link), $OUT (binaries, dictionaries, options, seed corpora), $WORK
# (objects).  Each harness names its sources in its opening comment (fuzz/harness-meta.sh);
# fuzz/<name>.ignorelist, when present, is passed for the libFuzzer engine's coverage.
# Outputs per harness: fuzz_<name>, fuzz_<name>.dict, fuzz_<name>.options,
# fuzz_<name>_seed_corpus.zip.  Run from anywhere; works on the repository it sits in.
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
    if [ -d "fuzz/corpus/$name" ]; then
        rm -f "$OUT/fuzz_${name}_seed_corpus.zip"
        (cd "fuzz/corpus/$name" && zip -q -j "$OUT/fuzz_${name}_seed_corpus.zip" ./*)
    fi
    echo "built $OUT/fuzz_$name"
done
