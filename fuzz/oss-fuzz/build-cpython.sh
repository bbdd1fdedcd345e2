#!/bin/bash -eu
# build-cpython.sh CPYTHON_SRC — build a sanitizer-instrumented CPython from the source tree
# CPYTHON_SRC into $OUT, then every vgc fuzz harness with fuzz/oss-fuzz/build.sh, `cpython`
# embedding that CPython instead of a pyenv one.  Not in proof scope.
#
# One script for both places it runs (nothing here is copied into the Docker image's steps):
#   - .clusterfuzzlite/build.sh (ClusterFuzzLite / OSS-Fuzz compile step, CPYTHON_SRC=$SRC/cpython,
#     cloned at a pinned tag by .clusterfuzzlite/Dockerfile);
#   - `make oss-fuzz-cpython CPYTHON_SRC=...` (fuzz/fuzz.mk) on this machine, with the same
#     environment variables set the way the base-builder image sets them.
# Environment (the OSS-Fuzz contract): $CC $CFLAGS $CXX $CXXFLAGS $LIB_FUZZING_ENGINE $OUT $WORK
# $SANITIZER (address | undefined | coverage | ...).
#
# How CPython is built, and why:
#   - out of tree in $WORK/cpython-build (the source tree stays clean), `--prefix=$OUT`, installed
#     with `make altinstall`: the fuzzer binaries sit in $OUT and the embedded interpreter finds
#     its standard library by looking for lib/python3.X/os.py upwards from the executable's
#     directory, so the $OUT directory can be moved or mounted elsewhere (the runner does);
#   - static libpython (configure's default), linked into fuzz_cpython with -rdynamic so that
#     extension modules in lib-dynload (_testcapi for the legacy-finalizer objects, ...) resolve
#     Python's symbols from the executable;
#   - $CFLAGS (the engine's sanitizer flags) minus the fuzzer's coverage instrumentation
#     (-fsanitize=fuzzer-no-link, -fsanitize-coverage=...; and a coverage build's profile flags,
#     so its report is about vgc): the interpreter gets ASan/UBSan, so
#     a bad access by vgc's glue inside CPython's code is caught, but the coverage feedback stays
#     on vgc's own code (an instrumented interpreter would reward inputs for new paths through
#     CPython's allocator and dict code; the pyenv builds used so far had no coverage either);
#   - -fno-sanitize=function: CPython calls C functions through cast pointers by design
#     (PyCFunction), which clang >= 17 reports for C under -fsanitize=function;
#   - --with-address-sanitizer / --with-undefined-behavior-sanitizer as OSS-Fuzz's own cpython3
#     project does; --without-ensurepip (no network, no pip needed); ASAN_OPTIONS=detect_leaks=0
#     while building (CPython's build runs the new interpreter, which does not free everything);
#   - rebuilt only when the flags or the source tree change ($OUT/.vgc-cpython-stamp).
# Prints `cpython: <version> <prefix>` and leaves $OUT/bin/python3.X-config.
[ $# -eq 1 ] && [ -x "$1/configure" ] || {
    echo "usage: $0 CPYTHON_SRC   (a CPython source tree with ./configure)" >&2; exit 2; }
src=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
: "${WORK:=$(mktemp -d)}"
: "${SANITIZER:=address}"
mkdir -p "$OUT" "$WORK"
export ASAN_OPTIONS=detect_leaks=0

py_cflags=""
for f in ${CFLAGS//-pthread/}; do
    case $f in
        -fsanitize=fuzzer-no-link|-fsanitize-coverage=*|-fprofile-instr-generate|-fcoverage-mapping) ;;
        *) py_cflags="$py_cflags $f" ;;
    esac
done
py_cflags="$py_cflags -fno-sanitize=function"
flags=(--prefix="$OUT" --without-ensurepip)
case $SANITIZER in
    address) flags+=(--with-address-sanitizer) ;;
    undefined) flags+=(--with-undefined-behavior-sanitizer) ;;
esac

stamp="$OUT/.vgc-cpython-stamp"
want="$src ${flags[*]} CC=$CC CFLAGS=$py_cflags $(cd "$src" && git rev-parse HEAD 2>/dev/null || stat -c %Y configure)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && ls "$OUT"/bin/python3.*-config >/dev/null 2>&1; then
    echo "cpython: unchanged, not rebuilt ($stamp)"
else
    rm -rf "$WORK/cpython-build"; mkdir -p "$WORK/cpython-build"
    (cd "$WORK/cpython-build" &&
     "$src/configure" "${flags[@]}" CC="$CC" CFLAGS="$py_cflags" LDFLAGS="$py_cflags" \
         > configure.log 2>&1 || { tail -30 configure.log; exit 1; }
     make -j"$(nproc)" > make.log 2>&1 || { tail -30 make.log; exit 1; }
     make altinstall > install.log 2>&1 || { tail -30 install.log; exit 1; })
    echo "$want" > "$stamp"
fi
config=$(ls "$OUT"/bin/python3.*-config | grep -v 'd-config$' | head -1)
echo "cpython: $("$OUT"/bin/python3.*[0-9] -c 'import sys; print(sys.version.split()[0], sys.prefix)' 2>/dev/null | head -1)"

VGC_PYTHON_CONFIG=$config VGC_PYTHON_LDFLAGS=-rdynamic WORK=$WORK \
    exec bash "$here/build.sh"
