#!/bin/bash -eu
# ClusterFuzzLite compile step ($SRC/build.sh in the image, run with the engine's environment:
# CC CXX CFLAGS CXXFLAGS LIB_FUZZING_ENGINE SANITIZER OUT WORK).  All of it is in the repository's
# own script, which `make oss-fuzz-cpython CPYTHON_SRC=...` runs on a development machine too:
# a sanitizer-built CPython from $SRC/cpython (cloned at a pinned tag by the Dockerfile) into
# $OUT, then every harness (fuzz/oss-fuzz/build.sh), fuzz_cpython embedding that CPython.
exec "$SRC/vgc/fuzz/oss-fuzz/build-cpython.sh" "$SRC/cpython"
