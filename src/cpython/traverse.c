/* traverse.c — the direct reads' type test, their check against tp_traverse, and the probes
 * (run at import) that decide whether install() uses them (traverse.h says why and what must
 * hold).
 * TRUSTED, NOT PROVED. */
#include "traverse.h"

struct vgc_direct vgc_direct;

/* A plain instance's type (traverse.h); the caller has checked tp_traverse. */
int vgc_direct_plain(PyTypeObject *tp)
{
    const unsigned long need = Py_TPFLAGS_HEAPTYPE | Py_TPFLAGS_MANAGED_DICT;
    if ((tp->tp_flags & need) != need || tp->tp_dictoffset == 0)
        return 0;
    PyTypeObject *base = tp;
    while (base != NULL && base->tp_traverse == vgc_direct.subtype_traverse) {
        if (Py_SIZE(base) != 0)                /* __slots__: traverse_slots visits them first */
            return 0;
        base = base->tp_base;
    }
    return base != NULL && base->tp_traverse == NULL && base->tp_dictoffset == 0;
}

/* A visit that records what it is shown: the first VGC_REC referents, their number and an
 * order-sensitive sum of all of them. */
enum { VGC_REC = 64 };
struct rec {
    PyObject *v[VGC_REC];
    Py_ssize_t n;
    uint64_t sum;
};

static int rec_visit(PyObject *op, void *arg)
{
    struct rec *r = arg;
    if (r->n < VGC_REC)
        r->v[r->n] = op;
    r->sum = r->sum * 1000003u + (uintptr_t)op;
    r->n++;
    return 0;
}

static int rec_same(const struct rec *a, const struct rec *b)
{
    if (a->n != b->n || a->sum != b->sum)
        return 0;
    for (Py_ssize_t i = 0; i < a->n && i < VGC_REC; i++)
        if (a->v[i] != b->v[i])
            return 0;
    return 1;
}

/* op read both ways: 1 when the direct read (the caller knows op is a dict or plain) visits
 * what tp_traverse visits, in its order. */
static int direct_agrees(PyObject *op, struct rec *want, struct rec *got)
{
    memset(want, 0, sizeof *want);
    memset(got, 0, sizeof *got);
    PyTypeObject *tp = Py_TYPE(op);
    (void)tp->tp_traverse(op, rec_visit, want);
    if (tp == &PyDict_Type)
        (void)vgc_dict_traverse((PyDictObject *)op, rec_visit, got);
    else
        (void)vgc_plain_traverse(op, tp, rec_visit, got);
    return rec_same(want, got);
}

/* VGC_VALIDATE=1 / Py_DEBUG: each object read directly is read both ways; a difference means a
 * decision could free a live object, so the process stops here, before anything is freed. */
void vgc_direct_check(PyObject *op)
{
    struct rec want, got;
    vgc_direct.checked++;
    int same = direct_agrees(op, &want, &got);
    if (vgc.corrupt_next == 8 && got.n > 0) {     /* test hook: a reader that missed one */
        vgc.corrupt_next = 0;
        got.n--;
        same = rec_same(&want, &got);
    }
    if (same)
        return;
    fprintf(stderr, "vgc: a %s read directly: %zd referents, tp_traverse: %zd\n",
            Py_TYPE(op)->tp_name, got.n, want.n);
    for (Py_ssize_t i = 0; i < VGC_REC && (i < got.n || i < want.n); i++)
        fprintf(stderr, "  %2zd  %p  %p\n", i, i < got.n ? (void *)got.v[i] : NULL,
                i < want.n ? (void *)want.v[i] : NULL);
    Py_FatalError("vgc: a direct read differs from tp_traverse (src/cpython/traverse.h)");
}

/* The probes: one object of each shape the readers distinguish, made by Python code.  They
 * form no cycle (each referent is a fresh list, dict or tuple), so that dropping them frees
 * them at once; the classes' own cycles are broken by tp_clear (direct_probe). */
static const char probe_src[] =
    "class P:\n"
    "    pass\n"
    "class Q(P):\n"
    "    pass\n"
    "class S:\n"
    "    __slots__ = ('x',)\n"
    "def probes():\n"
    "    out = []\n"
    "    p = P(); p.a = []; p.b = 1; p.c = {}; out.append(p)\n"            /* values */
    "    q = Q(); q.a = [1]; q.__dict__; q.z = (2,); out.append(q)\n"      /* materialized */
    "    r = P(); r.a = []; r.__dict__[1] = [3]; out.append(r)\n"          /* general keys */
    "    t = P(); t.a = [4]; t.b = {}; del t.a; out.append(t)\n"           /* deleted */
    "    u = P(); u.__dict__ = {'k': [5]}; out.append(u)\n"                /* replaced dict */
    "    out.append(P()); out.append(p.__dict__); out.append(q.__dict__)\n"
    "    out.append({}); out.append({'a': [], 'b': 1, 'c': {}})\n"
    "    d = {'a': [], 'b': []}; del d['a']; out.append(d)\n"
    "    out.append({1: [], (2,): {}, 'x': None})\n"
    "    g = {1: [], 2: []}; del g[1]; out.append(g)\n"
    "    return out\n"
    "classes = (Q, P, S)\n";

/* Reads every probe both ways: NULL when the direct reads agree on all of them, else why not
 * (never an exception: the import goes on, and install() then leaves every
 * object to its tp_traverse).  What the probes allocate is freed before it returns, with the
 * automatic collection off meanwhile and generation 0's count put back: the tracked heap and
 * the allocation count are as they were.  (The probes run Python code: another thread may run
 * meanwhile; its allocations in that window are not counted, and a gc.enable()/disable() it
 * makes then is undone.  Only an import of vgc racing with such a thread can see this.) */
static const char *direct_probe(GCState *gcstate)
{
    const int enabled = gcstate->enabled;
    const int count0 = gcstate->generations[0].count;
    PyObject *ns = PyDict_New(), *res = NULL, *objs = NULL, *classes = NULL;
    const char *why = "the probes could not be made";
    gcstate->enabled = 0;
    if (ns == NULL || PyDict_SetItemString(ns, "__builtins__", PyEval_GetBuiltins()) < 0
        || PyDict_SetItemString(ns, "__name__", Py_None) < 0)
        goto done;
    res = PyRun_String(probe_src, Py_file_input, ns, ns);
    PyObject *fn = res ? PyDict_GetItemString(ns, "probes") : NULL;
    classes = res ? PyDict_GetItemString(ns, "classes") : NULL;
    Py_XINCREF(classes);
    objs = fn ? PyObject_CallNoArgs(fn) : NULL;
    if (objs == NULL || !PyList_Check(objs) || classes == NULL || !PyTuple_Check(classes)
        || PyTuple_GET_SIZE(classes) != 3)
        goto done;
    PyTypeObject *Q = (PyTypeObject *)PyTuple_GET_ITEM(classes, 0);
    PyTypeObject *P = (PyTypeObject *)PyTuple_GET_ITEM(classes, 1);
    PyTypeObject *S = (PyTypeObject *)PyTuple_GET_ITEM(classes, 2);
    vgc_direct.subtype_traverse = P->tp_traverse;
    why = "plain instances are not recognised";
    if (!vgc_direct_plain(P) || !vgc_direct_plain(Q) || vgc_direct_plain(S))
        goto done;
    /* the inlined type_is_gc, on a heap type and a static one (vgc_direct_init keeps it only
     * when the probes agree) */
    why = "type_is_gc differs";
    vgc_direct.type_is_gc = PyType_Type.tp_is_gc;
    PyObject *types[2] = {(PyObject *)P, (PyObject *)&PyFloat_Type};
    for (int i = 0; i < 2; i++)
        if (!vgc_is_gc(types[i]) != !_PyObject_IS_GC(types[i]))
            goto done;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(objs); i++) {
        PyObject *op = PyList_GET_ITEM(objs, i);
        struct rec want, have;
        why = "a probe is neither a dict nor a plain instance";
        if (!PyDict_CheckExact(op) && !vgc_direct_plain(Py_TYPE(op)))
            goto done;
        why = "a probe's direct read differs from its tp_traverse";
        if (!direct_agrees(op, &want, &have))
            goto done;
    }
    why = NULL;
done:
    if (PyErr_Occurred())
        PyErr_Clear();
    Py_XDECREF(objs);                 /* the instances and dicts: no cycle among them */
    Py_XDECREF(res);
    if (ns != NULL)
        PyDict_Clear(ns);             /* the function's globals are ns: a cycle */
    Py_XDECREF(ns);
    if (classes != NULL && PyTuple_Check(classes))
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(classes); i++) {
            PyObject *c = PyTuple_GET_ITEM(classes, i);
            if (PyType_Check(c) && Py_TYPE(c)->tp_clear != NULL)
                (void)Py_TYPE(c)->tp_clear(c);     /* a class's own cycles (its mro, ...) */
        }
    Py_XDECREF(classes);
    if (PyErr_Occurred())
        PyErr_Clear();
    gcstate->generations[0].count = count0;
    gcstate->enabled = enabled;
    vgc_direct.type_is_gc = NULL;
    return why;
}

static int probed;                    /* the probes have run */
static const char *probe_failed = "the probes did not run";   /* why they disagreed, or NULL */

/* At the module's import (once per process): the probes run in every process that imports vgc,
 * installed or not, so that what they leave in CPython's free lists (a freed dict or list is
 * reused without counting as an allocation) is the same in both (tests/python/test_hardening.py
 * CountsAndTriggers compares get_count() at each collection with vgc imported, not installed). */
void vgc_direct_probe_once(GCState *gcstate)
{
    if (probed || gcstate->collecting)         /* (imported by a finalizer: at install()) */
        return;
    probed = 1;
    probe_failed = direct_probe(gcstate);
}

/* install(): the direct reads (and the inlined type_is_gc) are used unless a probe disagreed
 * or VGC_DIRECT=0. */
void vgc_direct_init(void)
{
    const char *d = getenv("VGC_DIRECT");
    vgc_direct.plain_tp = NULL;
    vgc_direct.checked = 0;
    vgc_direct.off_reason = probe_failed ? probe_failed
                            : d != NULL && d[0] == '0' ? "VGC_DIRECT=0" : NULL;
    vgc_direct.on = vgc_direct.off_reason == NULL;
    vgc_direct.type_is_gc = vgc_direct.on ? PyType_Type.tp_is_gc : NULL;
}
