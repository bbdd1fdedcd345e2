/* verify.c — verify=True for a decision made in place (a checker: TRUSTED, NOT PROVED; it
 * decides nothing and frees nothing).  A decision on the array snapshot is re-checked by the
 * independent checker on the snapshot (src/vgc_check.c, from snapshot.c); a decision in place
 * has no snapshot, so it is re-checked here on the heap itself, right after it is made and
 * before anything is freed, by an algorithm that shares nothing with the proved core's: gc_refs
 * over the whole collection, then a depth-first search with an explicit stack from the roots
 * (the core scans young in list order, as CPython's move_unreachable, with no stack).
 *
 * The collection C is young + unreachable + finalizers as vgc_deduce_unreachable_ip left them
 * (finalizers empty or absent for the resurrection re-check).  The decision passes iff
 *   (a) no object of unreachable or finalizers is referenced from outside C (a root),
 *   (b) the search from the roots reaches every object of young and none of the others,
 *   (c) no object of finalizers references one of unreachable (the legacy closure is closed),
 *   (d) no object of unreachable has a legacy finalizer.
 * (a) and (b) are "exactly the objects reachable from outside are kept": nothing live is freed,
 * nothing unreachable is kept in young.  Not checked: that every object of finalizers is
 * reachable from a legacy finalizer (one too many there would be kept, not freed).
 *
 * The header words while checking: _gc_prev = gc_refs << 2 | COLLECTING (not yet reached) |
 * FINALIZED, the objects of unreachable and finalizers tagged with NEXT_MASK_UNREACHABLE in
 * _gc_next; afterwards every prev pointer and flag is put back as the decision left it.  The
 * stack takes memory (verify=True is a debugging mode); without it the search is not done and
 * the decision counts as unchecked (status()["verify_skipped"]). */
#include "vgc_cpython.h"

#define TAG NEXT_MASK_UNREACHABLE        /* here: in unreachable or finalizers */

static const char *vf_error;            /* the first violation found */
static PyObject *vf_culprit;            /* the object it names */
static PyGC_Head **vf_stack;
static size_t vf_len, vf_cap;
static int vf_nomem;

static void vf_fail(const char *what, PyObject *op)
{
    if (vf_error == NULL) {
        vf_error = what;
        vf_culprit = op;
    }
}

/* (c): after deduce, only the objects of unreachable still have COLLECTING */
static int vf_visit_closed(PyObject *op, void *arg)
{
    if (_PyObject_IS_GC(op) && gc_is_collecting(AS_GC(op)))
        vf_fail("an object of the legacy-finalizer closure references one that is freed", op);
    return 0;
}

static int vf_visit_decref(PyObject *op, void *arg)
{
    if (_PyObject_IS_GC(op) && gc_is_collecting(AS_GC(op)))
        gc_set_refs(AS_GC(op), gc_get_refs(AS_GC(op)) - 1);
    return 0;
}

/* Marks g reached (COLLECTING cleared) and pushes it; (b) when it is one of the unreachable. */
static void vf_reach(PyGC_Head *g)
{
    gc_clear_collecting(g);
    if (g->_gc_next & TAG) {
        vf_fail("an object decided unreachable is reachable from outside the collection",
                FROM_GC(g));
        return;
    }
    if (vf_len == vf_cap) {
        size_t ncap = vf_cap ? 2 * vf_cap : 1024;
        PyGC_Head **ns = ncap > vf_cap ? PyMem_RawRealloc(vf_stack, ncap * sizeof *ns) : NULL;
        if (ns == NULL) {
            vf_nomem = 1;
            return;
        }
        vf_stack = ns;
        vf_cap = ncap;
    }
    vf_stack[vf_len++] = g;
}

static int vf_visit_reach(PyObject *op, void *arg)
{
    if (_PyObject_IS_GC(op) && gc_is_collecting(AS_GC(op)))
        vf_reach(AS_GC(op));
    return 0;
}

/* The lists as the decision left them: prev pointers, `flags` (COLLECTING on unreachable) and
 * FINALIZED as it was, no tag. */
static void vf_restore(PyGC_Head *list, uintptr_t flags)
{
    PyGC_Head *prev = list;
    for (PyGC_Head *g = gc_next_unmasked(list); g != list; g = gc_next_unmasked(g)) {
        g->_gc_prev = (g->_gc_prev & _PyGC_PREV_MASK_FINALIZED) | flags | (uintptr_t)prev;
        g->_gc_next &= ~TAG;
        prev = g;
    }
}

void vgc_verify_inplace(PyGC_Head *young, PyGC_Head *unreachable, PyGC_Head *finalizers)
{
    PyGC_Head *lists[3] = {young, unreachable, finalizers};
    const int nl = finalizers != NULL ? 3 : 2;
    Py_ssize_t n = 0;
    vf_error = NULL;
    vf_culprit = NULL;
    vf_nomem = 0;
    vf_len = 0;
    /* (c) and (d), on the headers as the decision left them */
    if (finalizers != NULL)
        for (PyGC_Head *g = GC_NEXT(finalizers); g != finalizers; g = GC_NEXT(g))
            (void)Py_TYPE(FROM_GC(g))->tp_traverse(FROM_GC(g), vf_visit_closed, NULL);
    for (PyGC_Head *g = GC_NEXT(unreachable); g != unreachable; g = GC_NEXT(g))
        if (Py_TYPE(FROM_GC(g))->tp_del != NULL)
            vf_fail("an object with a legacy finalizer is freed", FROM_GC(g));
    /* gc_refs = refcount over C, then minus the references from within C */
    for (int l = 0; l < nl; l++)
        for (PyGC_Head *g = GC_NEXT(lists[l]); g != lists[l]; g = gc_next_unmasked(g)) {
            gc_reset_refs(g);
            if (l > 0)
                g->_gc_next |= TAG;
            n++;
        }
    for (int l = 0; l < nl; l++)
        for (PyGC_Head *g = gc_next_unmasked(lists[l]); g != lists[l]; g = gc_next_unmasked(g))
            (void)Py_TYPE(FROM_GC(g))->tp_traverse(FROM_GC(g), vf_visit_decref, NULL);
    /* (a): the roots (gc_refs != 0; < 0 is an inconsistent type, kept as CPython keeps it) */
    for (int l = 0; l < nl; l++)
        for (PyGC_Head *g = gc_next_unmasked(lists[l]); g != lists[l]; g = gc_next_unmasked(g))
            if (gc_is_collecting(g) && gc_get_refs(g) != 0) {
                if (l > 0)
                    vf_fail("an object decided unreachable is referenced from outside the "
                            "collection", FROM_GC(g));
                else
                    vf_reach(g);
            }
    /* (b): the search */
    while (vf_len > 0 && !vf_nomem && vf_error == NULL) {
        PyGC_Head *g = vf_stack[--vf_len];
        (void)Py_TYPE(FROM_GC(g))->tp_traverse(FROM_GC(g), vf_visit_reach, NULL);
    }
    if (!vf_nomem && vf_error == NULL)
        for (PyGC_Head *g = GC_NEXT(young); g != young; g = GC_NEXT(g))
            if (gc_is_collecting(g)) {
                vf_fail("an object kept in young is not reachable from outside the collection",
                        FROM_GC(g));
                break;
            }
    if (vf_error != NULL) {
        fprintf(stderr, "vgc: verification failed in collection %zd (decided in place, %zd "
                "objects): %s: <%s at %p>\n",
                vgc.collections[0] + vgc.collections[1] + vgc.collections[2] + 1, n, vf_error,
                Py_TYPE(vf_culprit)->tp_name, (void *)vf_culprit);
        Py_FatalError("vgc: the proved core's decision disagrees with the independent checker");
    }
    vf_restore(young, 0);
    vf_restore(unreachable, _PyGC_PREV_MASK_COLLECTING);
    if (finalizers != NULL)
        vf_restore(finalizers, 0);
    if (vf_cap > 1024 * 1024 / sizeof *vf_stack) {   /* keep at most 1 MiB */
        PyMem_RawFree(vf_stack);
        vf_stack = NULL;
        vf_cap = 0;
    }
    if (vf_nomem)
        vgc.verify_skipped++;
    else
        vgc.verified++;
}
