/* traverse.h — the referents of exact dicts and of plain instances, read directly instead of
 * through tp_traverse.  TRUSTED, NOT PROVED (src/cpython/README.md).
 *
 * Why: in a young collection about a quarter of all instructions are CPython's traversal
 * functions (subtype_traverse, PyObject_VisitManagedDict, dict_traverse) and the indirect call
 * to the visit function for each referent (callgrind, bench/young_mix.py).  Read here, the
 * visit is inlined into phase 1's and phase 2's loops, as it already is for exact lists and
 * tuples (inplace.c).
 *
 * What must hold: each reader visits exactly the referents the type's tp_traverse visits, in
 * the same order (phase 1 counts them; phase 2 follows them: a missed referent can free a live
 * object; the order is CPython's order of young afterwards).  The readers below are written
 * from dict_traverse and subtype_traverse of 3.11.0-3.11.10, 3.12.0-3.12.6 and 3.13.0rc2's
 * sources (unchanged across those releases); three checks stand behind them:
 *   - at import, vgc_direct_probe_once reads probe objects of every shape (values, a materialized
 *     dict, a dict with non-string keys, deleted entries, a subclass) both ways and turns the
 *     direct reads off if any differs (status()["direct_reads"] False): an interpreter whose
 *     layout the readers do not know runs tp_traverse for everything;
 *   - with VGC_VALIDATE=1 (the test runs, the fuzz harness) or a Py_DEBUG build, every object
 *     read directly is read both ways and a difference stops the process (vgc_direct_check;
 *     status()["direct_checked"] counts them);
 *   - install(verify=True) re-checks each decision with tp_traverse alone (verify.c).
 * VGC_DIRECT=0 at install() turns them off (tests, A/B measurements).
 *
 * A plain instance: its type's tp_traverse is subtype_traverse, it is a heap type with a
 * managed dict (Py_TPFLAGS_MANAGED_DICT), and every type on its tp_base chain that has
 * subtype_traverse declares no __slots__ (Py_SIZE 0), down to a base with no tp_traverse and no
 * dict offset (object, or a static type such as float).  subtype_traverse then visits the
 * managed dict's values (or the dict), then the type, and calls no base traverse. */
#ifndef VGC_TRAVERSE_H
#define VGC_TRAVERSE_H

#include "vgc_cpython.h"
#include "internal/pycore_dict.h"

struct vgc_direct {
    int on;                           /* the direct reads are used (the probes agreed) */
    traverseproc subtype_traverse;    /* CPython's, from a probe class */
    inquiry type_is_gc;               /* PyType_Type's tp_is_gc while on, else NULL */
    PyTypeObject *plain_tp;           /* the last type asked about, in this collection */
    int plain_ok;                     /* and the answer */
    Py_ssize_t checked;               /* objects read both ways (validate) since install */
    const char *off_reason;           /* why they are off, or NULL */
};
extern struct vgc_direct vgc_direct;

/* Called at the start of each collection: a type may change between collections (__bases__
 * assignment) or be freed and its address reused; within one no code runs. */
static inline void vgc_direct_reset(void)
{
    vgc_direct.plain_tp = NULL;
}

#define VGC_VISIT(x) do { PyObject *x_ = (PyObject *)(x); \
                          if (x_ != NULL) { int r_ = visit(x_, arg); if (r_) return r_; } \
                     } while (0)

#define CACHED_KEYS_OF(tp) (((PyHeapTypeObject *)(tp))->ht_cached_keys)

/* dict_traverse */
static inline __attribute__((always_inline))
int vgc_dict_traverse(PyDictObject *mp, visitproc visit, void *arg)
{
    PyDictKeysObject *keys = mp->ma_keys;
    Py_ssize_t n = keys->dk_nentries;
    if (DK_IS_UNICODE(keys)) {
        if (mp->ma_values != NULL) {
#if PY_VERSION_HEX >= 0x030D0000
            if (mp->ma_values->embedded)      /* the owning instance visits them */
                return 0;
#endif
            for (Py_ssize_t i = 0; i < n; i++)
                VGC_VISIT(mp->ma_values->values[i]);
        }
        else {
            PyDictUnicodeEntry *e = DK_UNICODE_ENTRIES(keys);
            for (Py_ssize_t i = 0; i < n; i++)
                VGC_VISIT(e[i].me_value);
        }
    }
    else {
        PyDictKeyEntry *e = DK_ENTRIES(keys);
        for (Py_ssize_t i = 0; i < n; i++)
            if (e[i].me_value != NULL) {
                VGC_VISIT(e[i].me_value);
                VGC_VISIT(e[i].me_key);
            }
    }
    return 0;
}

/* subtype_traverse of a plain instance (above): the managed dict, then the type */
static inline __attribute__((always_inline))
int vgc_plain_traverse(PyObject *op, PyTypeObject *tp, visitproc visit, void *arg)
{
#if PY_VERSION_HEX >= 0x030D0000
    /* PyObject_VisitManagedDict */
    if (tp->tp_flags & Py_TPFLAGS_INLINE_VALUES) {
        PyDictValues *values = _PyObject_InlineValues(op);
        if (values->valid) {
            for (Py_ssize_t i = 0; i < values->capacity; i++)
                VGC_VISIT(values->values[i]);
            goto type;
        }
    }
    VGC_VISIT(_PyObject_ManagedDictPointer(op)->dict);
type:
#elif PY_VERSION_HEX >= 0x030C0000
    /* _PyObject_VisitManagedDict */
    PyDictOrValues dorv = *_PyObject_DictOrValuesPointer(op);
    if (_PyDictOrValues_IsValues(dorv)) {
        PyDictValues *values = _PyDictOrValues_GetValues(dorv);
        Py_ssize_t n = CACHED_KEYS_OF(tp)->dk_nentries;
        for (Py_ssize_t i = 0; i < n; i++)
            VGC_VISIT(values->values[i]);
    }
    else
        VGC_VISIT(_PyDictOrValues_GetDict(dorv));
#else
    /* _PyObject_VisitInstanceAttributes, then the dict pointer (_PyObject_DictPointer) */
    PyDictValues *values = *_PyObject_ValuesPointer(op);
    if (values != NULL) {
        Py_ssize_t n = CACHED_KEYS_OF(tp)->dk_nentries;
        for (Py_ssize_t i = 0; i < n; i++)
            VGC_VISIT(values->values[i]);
    }
    VGC_VISIT(*_PyObject_ManagedDictPointer(op));
#endif
    VGC_VISIT(tp);
    return 0;
}

int vgc_direct_plain(PyTypeObject *tp);      /* traverse.c: the test above, uncached */

static inline int vgc_is_plain(PyTypeObject *tp)
{
    if (tp->tp_traverse != vgc_direct.subtype_traverse)
        return 0;
    if (tp != vgc_direct.plain_tp) {
        vgc_direct.plain_ok = vgc_direct_plain(tp);
        vgc_direct.plain_tp = tp;
    }
    return vgc_direct.plain_ok;
}

void vgc_direct_check(PyObject *op);         /* traverse.c: validate, read both ways */

/* tp_traverse(op, visit, arg), with exact dicts and plain instances read directly (when on). */
static inline __attribute__((always_inline))
int vgc_traverse(PyObject *op, visitproc visit, void *arg)
{
    PyTypeObject *tp = Py_TYPE(op);
    if (vgc_direct.on) {
        if (tp == &PyDict_Type) {
            if (__builtin_expect(vgc.validate, 0))
                vgc_direct_check(op);
            return vgc_dict_traverse((PyDictObject *)op, visit, arg);
        }
        if (vgc_is_plain(tp)) {
            if (__builtin_expect(vgc.validate, 0))
                vgc_direct_check(op);
            return vgc_plain_traverse(op, tp, visit, arg);
        }
    }
    return tp->tp_traverse(op, visit, arg);
}

/* _PyObject_IS_GC(op), with PyType_Type's type_is_gc (a heap type) not called but inlined */
static inline int vgc_is_gc(PyObject *op)
{
    PyTypeObject *tp = Py_TYPE(op);
    if (!PyType_IS_GC(tp))
        return 0;
    if (tp->tp_is_gc == NULL)
        return 1;
    if (tp->tp_is_gc == vgc_direct.type_is_gc)
        return (((PyTypeObject *)op)->tp_flags & Py_TPFLAGS_HEAPTYPE) != 0;
    return tp->tp_is_gc(op);
}

void vgc_direct_probe_once(GCState *gcstate); /* traverse.c: at the module's import */
void vgc_direct_init(void);                  /* traverse.c: at install() */

#endif /* VGC_TRAVERSE_H */
