/* vgctest_module.c — `_vgctest`, a test-only extension: a GC type whose tp_traverse misbehaves
 * in the ways C extensions do, for the glue's regression tests and the cpython fuzz harness.
 * Not part of vgc; built next to it by `make ext` (build/py<X.Y.Z>/_vgctest*.so).
 *
 * _vgctest.Node(mode=0): one reference, `child`, settable.  tp_traverse by mode:
 *   0 NORMAL       visits child
 *   1 TRACK_NEW    first creates child as a new tracked list when it has none, then visits it
 *                  (lazily built state: legal-looking, prohibited only by gh-123241's docs)
 *   2 VISIT_TWICE  visits child twice (reports more references than exist: inconsistent)
 *   3 SKIP         does not visit child (hides a reference: its target may look unreachable)
 *   4 ALLOCATE     allocates and frees an untracked object, then visits child
 *   5 UNTRACK_NEW  like TRACK_NEW, then untracks the new list (tracks and untracks an object
 *                  outside the snapshot)
 * `traversals` counts tp_traverse calls.
 *
 * _vgctest.with_tp_del(cls): gives the heap type cls a legacy finalizer (tp_del) that calls
 * cls.__tp_del__(self), as _testcapi.with_tp_del does, but allocates nothing of its own: 3.13's
 * _testcapi version interns "__tp_del__" at every call and, when that allocation fails, returns
 * with the object still temporarily resurrected (refcount 1, never freed), so an allocation
 * failure there leaked the object (found by the cpython fuzz harness under NOMEM: a leftover
 * _Legacy object in whichever run the failing allocation landed on that interning).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

enum { NORMAL, TRACK_NEW, VISIT_TWICE, SKIP, ALLOCATE, UNTRACK_NEW, NMODES };

typedef struct {
    PyObject_HEAD
    PyObject *child;
    int mode;
    Py_ssize_t traversals;
} Node;

static int node_traverse(PyObject *self, visitproc visit, void *arg)
{
    Node *n = (Node *)self;
    n->traversals++;
    switch (n->mode) {
    case TRACK_NEW:
    case UNTRACK_NEW:
        if (n->child == NULL) {
            n->child = PyList_New(0);         /* tracked by PyList_New */
            if (n->child == NULL) {
                PyErr_Clear();
                return 0;
            }
            if (n->mode == UNTRACK_NEW)
                PyObject_GC_UnTrack(n->child);
        }
        break;
    case VISIT_TWICE:
        Py_VISIT(n->child);
        break;
    case SKIP:
        return 0;
    case ALLOCATE: {
        PyObject *tmp = PyLong_FromSsize_t(n->traversals * 1000003);
        Py_XDECREF(tmp);
        PyErr_Clear();
        break;
    }
    default:
        break;
    }
    Py_VISIT(n->child);
    return 0;
}

static int node_clear(PyObject *self)
{
    Py_CLEAR(((Node *)self)->child);
    return 0;
}

static void node_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    node_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static int node_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"mode", NULL};
    int mode = NORMAL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|i:Node", kwlist, &mode))
        return -1;
    if (mode < 0 || mode >= NMODES) {
        PyErr_SetString(PyExc_ValueError, "Node: unknown mode");
        return -1;
    }
    ((Node *)self)->mode = mode;
    return 0;
}

static PyMemberDef node_members[] = {
    {"child", T_OBJECT, offsetof(Node, child), 0, "the one reference"},
    {"mode", T_INT, offsetof(Node, mode), 0, "what tp_traverse does"},
    {"traversals", T_PYSSIZET, offsetof(Node, traversals), READONLY, "tp_traverse calls"},
    {NULL, 0, 0, 0, NULL}
};

static PyType_Slot node_slots[] = {
    {Py_tp_traverse, node_traverse},
    {Py_tp_clear, node_clear},
    {Py_tp_dealloc, node_dealloc},
    {Py_tp_init, node_init},
    {Py_tp_members, node_members},
    {0, NULL}
};

static PyType_Spec node_spec = {
    "_vgctest.Node", sizeof(Node), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE, node_slots
};

static PyObject *tp_del_name;           /* "__tp_del__", interned once (module exec) */

/* tp_del: cls.__tp_del__(self) on a temporarily resurrected self (refcount 1), the current
 * exception saved around it; nothing is allocated before the call, and the resurrection is
 * undone on every path.  A __tp_del__ that stores self somewhere resurrects it (refcount > 0
 * on return: the caller, subtype_dealloc, then keeps the object). */
static void legacy_tp_del(PyObject *self)
{
    Py_SET_REFCNT(self, 1);
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *exc = PyErr_GetRaisedException();
#else
    PyObject *et, *ev, *tb;
    PyErr_Fetch(&et, &ev, &tb);
#endif
    PyObject *del = tp_del_name ? _PyType_Lookup(Py_TYPE(self), tp_del_name) : NULL;
    if (del != NULL) {
        Py_INCREF(del);
        PyObject *res = PyObject_CallOneArg(del, self);
        if (res == NULL)
            PyErr_WriteUnraisable(del);
        else
            Py_DECREF(res);
        Py_DECREF(del);
    }
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_SetRaisedException(exc);
#else
    PyErr_Restore(et, ev, tb);
#endif
    Py_SET_REFCNT(self, Py_REFCNT(self) - 1);
}

static PyObject *with_tp_del(PyObject *m, PyObject *cls)
{
    (void)m;
    if (!PyType_Check(cls) || !PyType_HasFeature((PyTypeObject *)cls, Py_TPFLAGS_HEAPTYPE)) {
        PyErr_Format(PyExc_TypeError, "heap type expected, got %R", cls);
        return NULL;
    }
    ((PyTypeObject *)cls)->tp_del = legacy_tp_del;
    return Py_NewRef(cls);
}

static PyMethodDef vgctest_methods[] = {
    {"with_tp_del", with_tp_del, METH_O,
     "with_tp_del(cls): cls gets a legacy tp_del calling cls.__tp_del__(self)."},
    {NULL, NULL, 0, NULL}
};

static int vgctest_exec(PyObject *m)
{
    if (tp_del_name == NULL) {
        tp_del_name = PyUnicode_InternFromString("__tp_del__");
        if (tp_del_name == NULL)
            return -1;
    }
    PyObject *t = PyType_FromSpec(&node_spec);
    if (t == NULL)
        return -1;
    int rc = PyModule_AddObjectRef(m, "Node", t);
    Py_DECREF(t);
    if (rc < 0)
        return -1;
    static const char *names[NMODES] = {"NORMAL", "TRACK_NEW", "VISIT_TWICE", "SKIP",
                                        "ALLOCATE", "UNTRACK_NEW"};
    for (int i = 0; i < NMODES; i++)
        if (PyModule_AddIntConstant(m, names[i], i) < 0)
            return -1;
    return 0;
}

static PyModuleDef_Slot vgctest_slots[] = {{Py_mod_exec, vgctest_exec}, {0, NULL}};
static struct PyModuleDef vgctest_module = {
    PyModuleDef_HEAD_INIT, "_vgctest", "vgc's test-only misbehaving GC type.", 0, vgctest_methods,
    vgctest_slots, NULL, NULL, NULL
};

PyMODINIT_FUNC PyInit__vgctest(void)
{
    return PyModuleDef_Init(&vgctest_module);
}
