/* _vgcfloor.c — test-only module for bench/: the physical floor of a collection.
 * Not in proof scope; not part of the vgc package.  Times, in C, over one generation list:
 *   walk(gen)            follow _gc_next over every header (what any list-based collector pays);
 *   traverse(gen, v)     the walk plus one tp_traverse call per object, with a visitor that
 *                        does nothing (v=0) or reads the referent's GC header as every
 *                        collector must to know whether it is in the collected set (v=1);
 *   count(gen)           (objects, edges to tracked objects).
 * Returns CPU seconds of this thread (CLOCK_THREAD_CPUTIME_ID), as bench/workloads.py does. */
#define PY_SSIZE_T_CLEAN
#define Py_BUILD_CORE_MODULE 1
#include <Python.h>
#include "internal/pycore_gc.h"
#include "internal/pycore_interp.h"
#include "internal/pycore_object.h"
#include "internal/pycore_pystate.h"
#include <time.h>

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static PyGC_Head *gen_head(int gen)
{
    return &_PyInterpreterState_GET()->gc.generations[gen].head;
}

static volatile uintptr_t sink;

static int visit_nothing(PyObject *op, void *arg)
{
    (void)op; (void)arg;
    return 0;
}

static int visit_header(PyObject *op, void *arg)
{
    if (_PyObject_IS_GC(op))
        *(uintptr_t *)arg += _Py_AS_GC(op)->_gc_prev & 2;
    return 0;
}

static int visit_count(PyObject *op, void *arg)
{
    if (_PyObject_IS_GC(op) && _PyObject_GC_IS_TRACKED(op))
        ++*(Py_ssize_t *)arg;
    return 0;
}

static PyObject *floor_walk(PyObject *m, PyObject *arg)
{
    (void)m;
    PyGC_Head *head = gen_head((int)PyLong_AsLong(arg));
    uintptr_t acc = 0;
    double t0 = cpu_now();
    for (PyGC_Head *g = _PyGCHead_NEXT(head); g != head; g = _PyGCHead_NEXT(g))
        acc += g->_gc_prev;
    double t = cpu_now() - t0;
    sink = acc;
    return PyFloat_FromDouble(t);
}

static PyObject *floor_traverse(PyObject *m, PyObject *args)
{
    (void)m;
    int gen, headers;
    if (!PyArg_ParseTuple(args, "ii", &gen, &headers))
        return NULL;
    PyGC_Head *head = gen_head(gen);
    visitproc visit = headers ? visit_header : visit_nothing;
    uintptr_t acc = 0;
    double t0 = cpu_now();
    for (PyGC_Head *g = _PyGCHead_NEXT(head); g != head; g = _PyGCHead_NEXT(g)) {
        PyObject *op = (PyObject *)(g + 1);
        acc += (uintptr_t)Py_REFCNT(op);
        (void)Py_TYPE(op)->tp_traverse(op, visit, &acc);
    }
    double t = cpu_now() - t0;
    sink = acc;
    return PyFloat_FromDouble(t);
}

static PyObject *floor_count(PyObject *m, PyObject *arg)
{
    (void)m;
    PyGC_Head *head = gen_head((int)PyLong_AsLong(arg));
    Py_ssize_t n = 0, e = 0;
    for (PyGC_Head *g = _PyGCHead_NEXT(head); g != head; g = _PyGCHead_NEXT(g), n++) {
        PyObject *op = (PyObject *)(g + 1);
        (void)Py_TYPE(op)->tp_traverse(op, visit_count, &e);
    }
    return Py_BuildValue("(nn)", n, e);
}

static PyMethodDef floor_methods[] = {
    {"walk", floor_walk, METH_O, "walk(gen) -> CPU seconds to follow every header."},
    {"traverse", floor_traverse, METH_VARARGS, "traverse(gen, headers) -> CPU seconds."},
    {"count", floor_count, METH_O, "count(gen) -> (objects, edges to tracked objects)."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef floor_module = {
    PyModuleDef_HEAD_INIT, "_vgcfloor", "bench-only: the floor of a collection.", 0,
    floor_methods, NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC PyInit__vgcfloor(void)
{
    return PyModule_Create(&floor_module);
}
