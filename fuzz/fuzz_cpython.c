/* fuzz_cpython.c — fuzz harness `cpython`: random graphs of Python objects collected once by
 * CPython's own collector and once by vgc, in one embedded CPython 3.11; every observable must
 * be identical.  Not in proof scope: it tests the trusted glue (src/cpython/, compiled in with
 * the sanitizers and the fuzzer's coverage) against the reference implementation.
 *
 * fuzz-sources: src/cpython/[a-z]*.c src/vgc_policy.c src/vgc_hookstate.c
 * fuzz-sources: tests/c/vgctest_module.c
 * fuzz-cflags: -std=gnu11 -Wno-unused-parameter -Wno-missing-field-initializers -fno-sanitize=function
 * fuzz-cflags: $("${VGC_PYTHON_CONFIG:-${PYENV_ROOT:-$HOME/.pyenv}/versions/${VGC_FUZZ_PY:-3.11.7}/bin/python3-config}" --includes)
 * fuzz-ldflags: $("${VGC_PYTHON_CONFIG:-${PYENV_ROOT:-$HOME/.pyenv}/versions/${VGC_FUZZ_PY:-3.11.7}/bin/python3-config}" --ldflags --embed) ${VGC_PYTHON_LDFLAGS:-}
 *
 * The embedded CPython is the pyenv version $VGC_FUZZ_PY (default 3.11.7); python3-config's
 * --ldflags --embed carries the rpath of its shared libpython.  $VGC_PYTHON_CONFIG names another
 * CPython's python3-config instead, with $VGC_PYTHON_LDFLAGS appended to the link (both set by
 * fuzz/oss-fuzz/build-cpython.sh for a sanitizer-built static CPython: -rdynamic).
 * -fno-sanitize=function: CPython's types define tp_traverse/tp_clear with their own object type
 * as first parameter and are called through the generic pointer type (CPython's convention, as
 * are PyCFunction casts); clang >= 17 would report each such call under UBSan's `function` check
 * (ClusterFuzzLite's undefined build enables it), which is not a vgc bug.  `make fuzz T=cpython
 * VGC_FUZZ_PY=3.13.0` builds against 3.13 (fuzz/fuzz.mk); make test replays the corpus on 3.11,
 * 3.12 and 3.13.
 *
 * The input is decoded and run by fuzz/cpython_graph.py (`check`): object kinds (instances,
 * list/dict subclasses, tuples, classes, started generators, __del__ finalizers, resurrecting
 * __del__, legacy tp_del objects, and _vgctest.Node from tests/c/vgctest_module.c, whose
 * tp_traverse tracks a new list / visits twice / skips / allocates / tracks and untracks), edges,
 * which objects stay referenced from outside, weakrefs with callbacks, the generation to collect
 * and steps around the collection: an allocation failing inside it (_testcapi.set_nomemory),
 * collect() near the recursion limit, install/uninstall/importlib.reload(vgc), a second thread,
 * collect(1) afterwards, faults injected into vgc's successor buffer (a growth failing) and a
 * collection handed to CPython's collector, the module's API.  Observables
 * compared: collect()'s result, the objects that died, the order of finalizers and weakref
 * callbacks, gc.garbage, gc.callbacks info dicts, the per-generation stats deltas, the
 * generation of every live object, the program's objects left afterwards.  A difference raises
 * AssertionError, printed with the input, and the harness aborts.  VGC_VALIDATE=1: the adapter
 * checks every generation list after each collection (a broken one stops the process).
 *
 * The interpreter is started once (LLVMFuzzerInitialize) with PYTHONMALLOC=malloc so ASan sees
 * Python's allocations, and with `vgc._vgc` registered as a built-in module (this instrumented
 * copy of the glue, not the shared-library build).  The Python files come from $VGC_ROOT (default:
 * the current directory, the repository root when run by make): python/ and fuzz/.
 * LeakSanitizer is disabled for the main thread: the embedded interpreter is never finalized, so
 * all its objects are still live at exit.  vgc's own allocations are freed within each
 * collection, and the Python test suites check that no object is lost or leaked.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    include <sanitizer/lsan_interface.h>
#    define VGC_LSAN_DISABLE() __lsan_disable()
#  endif
#endif
#ifndef VGC_LSAN_DISABLE
#  define VGC_LSAN_DISABLE() ((void)0)   /* coverage build: no sanitizer runtime */
#endif

PyMODINIT_FUNC PyInit__vgc(void);
PyMODINIT_FUNC PyInit__vgctest(void);     /* tests/c/vgctest_module.c: misbehaving tp_traverse */

/* With PYTHONMALLOC=malloc every Python object is an ASan block, and ASan records the allocation
 * and free stack of each: unwinding 30 frames through the interpreter was a measurable part of the
 * run time.  Four frames still name the site; detection is unchanged, and
 * ASAN_OPTIONS=malloc_context_size=30 in the environment overrides this for a finding. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "malloc_context_size=4"; }

static PyObject *check;

/* `_vgcfuzz.lsan_disable()`: LeakSanitizer off for the calling thread too (cpython_graph.py's
 * second thread, which runs collections: its objects belong to the never-finalized interpreter
 * like the main thread's). */
static PyObject *fuzz_lsan_disable(PyObject *m, PyObject *unused)
{
    (void)m;
    (void)unused;
    VGC_LSAN_DISABLE();
    Py_RETURN_NONE;
}

static PyMethodDef fuzz_methods[] = {
    {"lsan_disable", fuzz_lsan_disable, METH_NOARGS, "LeakSanitizer off for this thread."},
    {NULL, NULL, 0, NULL}
};
static struct PyModuleDef fuzz_module = {
    PyModuleDef_HEAD_INIT, "_vgcfuzz", "the cpython harness's helpers", -1, fuzz_methods,
    NULL, NULL, NULL, NULL
};

static PyObject *PyInit__vgcfuzz(void)
{
    return PyModule_Create(&fuzz_module);
}

/* Where python/vgc and fuzz/cpython_graph.py are when $VGC_ROOT is not set: the current directory
 * when it is the repository root (make), else `fuzz_cpython.files/` next to the executable, where
 * fuzz/oss-fuzz/build.sh copies them (a fuzzing service runs the binary from anywhere). */
static const char *python_files_root(char *dir, size_t size)
{
    if (access("fuzz/cpython_graph.py", R_OK) == 0 && getcwd(dir, size) != NULL)
        return dir;
    ssize_t n = readlink("/proc/self/exe", dir, size - 1);
    if (n > 0)
        dir[n] = '\0';
    if (n <= 0 || strrchr(dir, '/') == NULL) {
        fprintf(stderr, "fuzz_cpython: no fuzz/cpython_graph.py here and no executable path; "
                        "set VGC_ROOT to the repository root\n");
        abort();
    }
    *strrchr(dir, '/') = '\0';
    strncat(dir, "/fuzz_cpython.files", size - strlen(dir) - 1);
    return dir;
}

/* A CPython installed with --prefix=$OUT next to the executable (fuzz/oss-fuzz/build-cpython.sh:
 * a static sanitizer build) is found through PYTHONHOME = the executable's directory, so the
 * output directory can be moved or mounted elsewhere (an embedded interpreter would otherwise
 * look in its configure-time prefix: it does not search from the fuzzer's own path). */
static void python_home_next_to_executable(void)
{
    char dir[4096], landmark[4096 + 64];
    if (getenv("PYTHONHOME") != NULL)
        return;
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0)
        return;
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        return;
    *slash = '\0';
    snprintf(landmark, sizeof landmark, "%s/lib/python%d.%d/os.py", dir, PY_MAJOR_VERSION,
             PY_MINOR_VERSION);
    if (access(landmark, R_OK) == 0)
        setenv("PYTHONHOME", dir, 1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    VGC_LSAN_DISABLE();
    python_home_next_to_executable();
    char dir[4096], path[3 * 4096];
    const char *root = getenv("VGC_ROOT");
    if (root == NULL)
        root = python_files_root(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/python:%s/fuzz", root, root);
    setenv("PYTHONPATH", path, 1);
    setenv("PYTHONMALLOC", "malloc", 1);
    setenv("PYTHONHASHSEED", "0", 1);
    /* Every collection validates every generation list (a broken one stops the process). */
    setenv("VGC_VALIDATE", "1", 1);
    if (PyImport_AppendInittab("vgc._vgc", PyInit__vgc) < 0 ||
        PyImport_AppendInittab("_vgctest", PyInit__vgctest) < 0 ||
        PyImport_AppendInittab("_vgcfuzz", PyInit__vgcfuzz) < 0) {
        fprintf(stderr, "fuzz_cpython: cannot register vgc._vgc / _vgctest\n");
        abort();
    }
    Py_Initialize();
    PyObject *mod = PyImport_ImportModule("cpython_graph");
    check = mod ? PyObject_GetAttrString(mod, "check") : NULL;
    Py_XDECREF(mod);
    if (check == NULL) {
        PyErr_Print();
        fprintf(stderr, "fuzz_cpython: cannot load fuzz/cpython_graph.py (VGC_ROOT=%s)\n", root);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    PyObject *bytes = PyBytes_FromStringAndSize((const char *)data, (Py_ssize_t)size);
    PyObject *result = bytes ? PyObject_CallOneArg(check, bytes) : NULL;
    Py_XDECREF(bytes);
    if (result == NULL) {
        PyErr_Print();          /* the AssertionError names the input and the differences */
        abort();
    }
    Py_DECREF(result);
    return 0;
}
