/* vgc_cpython.h — what the rooms of vgc's CPython adapter share (the .c files of src/cpython).
 * TRUSTED, NOT PROVED (see src/cpython/README.md): CPython's internal headers, the header-word
 * accessors and list primitives (gcmodule.c's are static), the adapter's one state record, and
 * the functions each room offers the others.  One binary per CPython release: the gc state's
 * layout is compiled in (checked at import, src/cpython/module.c).
 */
#ifndef VGC_CPYTHON_H
#define VGC_CPYTHON_H

#define PY_SSIZE_T_CLEAN
#define Py_BUILD_CORE_MODULE 1
#include <Python.h>
#include "internal/pycore_gc.h"
#include "internal/pycore_interp.h"
#include "internal/pycore_object.h"
#include "internal/pycore_pystate.h"
#include <structmember.h>

#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "vgc_core.h"                 /* VGC_CORE_VERSION */
#include "vgc_policy.h"
#include "vgc_hookstate.h"

#if PY_VERSION_HEX < 0x030B0000 || PY_VERSION_HEX >= 0x030E0000
#  error "vgc supports CPython 3.11, 3.12 and 3.13"
#endif
#ifdef Py_GIL_DISABLED
#  error "vgc does not support free-threaded builds"
#endif

#define NUM_GENERATIONS 3
#define DEBUG_STATS         (1 << 0)
#define DEBUG_COLLECTABLE   (1 << 1)
#define DEBUG_UNCOLLECTABLE (1 << 2)
#define DEBUG_SAVEALL       (1 << 5)
#define DEBUG_LEAK          (DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL)

typedef struct _gc_runtime_state GCState;

#define AS_GC(op)   _Py_AS_GC((PyObject *)(op))
#define FROM_GC(g)  ((PyObject *)(((PyGC_Head *)(g)) + 1))
#define GC_NEXT     _PyGCHead_NEXT
#define GC_PREV     _PyGCHead_PREV
#define GEN_HEAD(st, i) (&(st)->generations[(i)].head)

/* ---- header-word accessors --------------------------------------------------------------- */

static inline int gc_is_collecting(PyGC_Head *g)
{
    return (g->_gc_prev & _PyGC_PREV_MASK_COLLECTING) != 0;
}

static inline void gc_clear_collecting(PyGC_Head *g)
{
    g->_gc_prev &= ~(uintptr_t)_PyGC_PREV_MASK_COLLECTING;
}

static inline int gc_is_finalized(PyGC_Head *g)
{
    return (g->_gc_prev & _PyGC_PREV_MASK_FINALIZED) != 0;
}

static inline void gc_set_finalized(PyGC_Head *g)
{
    g->_gc_prev |= _PyGC_PREV_MASK_FINALIZED;
}

/* gc_refs in _gc_prev while a collection decides in place (CPython's update_refs layout, kept
 * signed: an inconsistent type makes it negative; |gc_refs| < 2^61 since refcounts are). */
static inline int64_t gc_get_refs(PyGC_Head *g)
{
    return (int64_t)((intptr_t)g->_gc_prev >> _PyGC_PREV_SHIFT);
}

static inline void gc_set_refs(PyGC_Head *g, int64_t r)
{
    g->_gc_prev = (g->_gc_prev & ~_PyGC_PREV_MASK) | ((uintptr_t)r << _PyGC_PREV_SHIFT);
}

/* CPython's gc_reset_refs: gc_refs = refcount, COLLECTING set, FINALIZED kept. */
static inline void gc_reset_refs(PyGC_Head *g)
{
    g->_gc_prev = (g->_gc_prev & _PyGC_PREV_MASK_FINALIZED) | _PyGC_PREV_MASK_COLLECTING
                  | ((uintptr_t)Py_REFCNT(FROM_GC(g)) << _PyGC_PREV_SHIFT);
}

/* move_unreachable's flag on _gc_next (the unreachable list's links), and the next object of a
 * list so flagged. */
#define NEXT_MASK_UNREACHABLE ((uintptr_t)1)

static inline PyGC_Head *gc_next_unmasked(PyGC_Head *g)
{
    return (PyGC_Head *)(g->_gc_next & ~NEXT_MASK_UNREACHABLE);
}

static inline GCState *get_gc_state(void)
{
    return &_PyInterpreterState_GET()->gc;
}

/* ---- list primitives (gcmodule.c's are static) ------------------------------------------- */

static inline void gc_list_init(PyGC_Head *list)
{
    list->_gc_prev = (uintptr_t)list;
    list->_gc_next = (uintptr_t)list;
}

static inline int gc_list_is_empty(PyGC_Head *list)
{
    return list->_gc_next == (uintptr_t)list;
}

/* Append node (not in any list) to list; node's low _gc_prev bits become `flags`. */
static inline void gc_list_append_flags(PyGC_Head *node, PyGC_Head *list, uintptr_t flags)
{
    PyGC_Head *last = (PyGC_Head *)list->_gc_prev;
    last->_gc_next = (uintptr_t)node;
    node->_gc_prev = (uintptr_t)last | flags;
    node->_gc_next = (uintptr_t)list;
    list->_gc_prev = (uintptr_t)node;
}

/* Move node from its list to the end of list, keeping its flag bits. */
static inline void gc_list_move(PyGC_Head *node, PyGC_Head *list)
{
    PyGC_Head *from_prev = GC_PREV(node);
    PyGC_Head *from_next = GC_NEXT(node);
    _PyGCHead_SET_NEXT(from_prev, from_next);
    _PyGCHead_SET_PREV(from_next, from_prev);
    PyGC_Head *to_prev = (PyGC_Head *)list->_gc_prev;
    _PyGCHead_SET_PREV(node, to_prev);
    _PyGCHead_SET_NEXT(to_prev, node);
    list->_gc_prev = (uintptr_t)node;
    _PyGCHead_SET_NEXT(node, list);
}

/* 3.12+: a tracked immortal object's refcount says nothing; CPython's update_refs moves it to
 * the permanent generation in its one walk, and so do vgc's numbering walk and its in-place
 * re-check.  1 when gc was moved (its _gc_prev is then a pointer again, not an index). */
static inline int vgc_move_immortal(GCState *gcstate, PyGC_Head *gc)
{
#if PY_VERSION_HEX >= 0x030C0000
    if (_Py_IsImmortal(FROM_GC(gc))) {
        gc_list_move(gc, &gcstate->permanent_generation.head);
        return 1;
    }
#else
    (void)gcstate;
    (void)gc;
#endif
    return 0;
}

/* Append all of `from` to the end of `to`; `from` becomes empty. */
static inline void gc_list_merge(PyGC_Head *from, PyGC_Head *to)
{
    if (!gc_list_is_empty(from)) {
        PyGC_Head *to_tail = GC_PREV(to);
        PyGC_Head *from_head = GC_NEXT(from);
        PyGC_Head *from_tail = GC_PREV(from);
        _PyGCHead_SET_NEXT(to_tail, from_head);
        _PyGCHead_SET_PREV(from_head, to_tail);
        _PyGCHead_SET_NEXT(from_tail, to);
        _PyGCHead_SET_PREV(to, from_tail);
    }
    gc_list_init(from);
}

static inline Py_ssize_t gc_list_size(PyGC_Head *list)
{
    Py_ssize_t n = 0;
    for (PyGC_Head *gc = GC_NEXT(list); gc != list; gc = GC_NEXT(gc))
        n++;
    return n;
}

static inline void gc_list_clear_collecting(PyGC_Head *list)
{
    for (PyGC_Head *gc = GC_NEXT(list); gc != list; gc = GC_NEXT(gc))
        gc_clear_collecting(gc);
}

/* The weakref list of an object whose type supports weakrefs. */
static inline PyWeakReference **weakrefs_listptr(PyObject *op)
{
#if PY_VERSION_HEX >= 0x030C0000
    return (PyWeakReference **)_PyObject_GET_WEAKREFS_LISTPTR_FROM_OFFSET(op);
#else
    return (PyWeakReference **)_PyObject_GET_WEAKREFS_LISTPTR(op);
#endif
}

/* What the unreachable set asks of CPython's phases after the decision, found in the walk that
 * ends the decision (inplace.c): a phase that no object of the set needs is not walked
 * (phases.c).  Cyclic garbage of plain objects then costs two list walks less. */
#define VGC_UN_WEAKREFS 1     /* a weakref, or an object with weakrefs: handle_weakrefs */
#define VGC_UN_FINALIZE 2     /* a tp_finalize not called yet: finalize_garbage */
struct vgc_un {
    Py_ssize_t count;         /* the set's size (-1: unknown, count it) */
    int needs;                /* VGC_UN_* */
    PyTypeObject *tp;         /* the last type seen, and what it supports */
    int tp_weakref, tp_weakrefable;
};

static inline void vgc_un_see(struct vgc_un *un, PyObject *op)
{
    PyTypeObject *tp = Py_TYPE(op);
    if (tp != un->tp) {       /* no code runs during the walk: a type stays what it was */
        un->tp = tp;
        un->tp_weakref = PyWeakref_Check(op);
        un->tp_weakrefable = PyType_SUPPORTS_WEAKREFS(tp);
    }
    un->count++;
    if (un->tp_weakref || (un->tp_weakrefable && *weakrefs_listptr(op) != NULL))
        un->needs |= VGC_UN_WEAKREFS;
    if (tp->tp_finalize != NULL && !gc_is_finalized(AS_GC(op)))
        un->needs |= VGC_UN_FINALIZE;
}

/* ---- module state ------------------------------------------------------------------------ */

/* The size of a collection from which the in-place host's look-ahead runs (inplace.c). */
#define VGC_LOOK_AHEAD_MIN 200000

struct vgc_state {
    int installed;
    int stats_flag;                   /* DEBUG_STATS, kept out of gcstate->debug while installed */
    PyObject *user_callbacks;         /* gc.callbacks, the user-visible list (the hook owns it) */
    int atexit_registered;            /* vgc_atexit resets this state at Py_Finalize */
    const char *layout_error;         /* why the running interpreter is not the compiled-for one */
    /* the hook's state machine (proved: vgc_hookstate.h): the collection between "start" and
     * "stop", the numbers saved at "start", vgc.collect()'s result (last_result, -1
     * before a collection), the counters fallbacks, cpython_collected, lost_stops, policy_* */
    struct vgc_hookstate hs;
    PyGC_Head aside[NUM_GENERATIONS]; /* the collected generations, while hs.pending == COLLECTED */
    PyGC_Head arrived;                /* hs.pending == FELL_BACK (debug builds, an inconsistent
                                       * type; _corrupt_next(1)): what a tp_traverse tracked
                                       * during vgc's pass, kept out of CPython's */
    /* status counters since install */
    Py_ssize_t collections[NUM_GENERATIONS];
    Py_ssize_t collected, uncollectable, inconsistent;
    size_t peak_bytes;                /* the largest successor buffer (inplace.c) since install */
    int validate;                     /* check every generation list after each collection */
    Py_ssize_t validated;             /* collections after which the lists were checked */
    Py_ssize_t explicit_depth;        /* > 0 inside vgc's collect(): an explicit collection */
    double pause_total, pause_max;
    long fail_alloc_after;            /* test hook: fail the k-th successor-buffer growth (0: off) */
    int verify;                       /* install(verify=True): check each decision (verify.c) */
    Py_ssize_t verified;              /* decisions checked by verify.c */
    Py_ssize_t verify_skipped;        /* decisions left unchecked: no memory for the check */
    Py_ssize_t skip_checked;          /* re-check skips confirmed by re-running it (validate) */
    Py_ssize_t recheck_in_place;      /* resurrection re-checks run (in place, inplace.c) */
    Py_ssize_t look_ahead;            /* deductions run with the look-ahead (inplace.c) */
    Py_ssize_t look_ahead_min;        /* from this many objects on (VGC_LOOK_AHEAD_MIN) */
    PyObject *inconsistent_types;     /* {type name: objects} whose traverse overcounted (dict) */
    int corrupt_next;                 /* test hook: 4 spoils the next decision (verify tests), 1
                                       * hands the next collection to CPython's collector, 8
                                       * fails the next direct-read check (traverse.c) */
    long alloc_count;                 /* test hook: allocation points (_alloc_count) */
};
extern struct vgc_state vgc;

/* module.c: the module, its API and lifecycle */
int vgc_debug_flags(GCState *gcstate);
int vgc_layout_override(void);

#define VGC_UNTRACK_TUPLES 1            /* vgc_deduce_unreachable_ip's `untrack` flags */
#define VGC_UNTRACK_UNLESS_INCONSISTENT 4   /* ... no tuple if a gc_refs < 0 was found */

/* inplace.c: deduce_unreachable (and, given a finalizers list, move_legacy_finalizers and
 * move_legacy_finalizer_reachable) with the proved in-place core (include/vgc_inplace.h) */
Py_ssize_t vgc_deduce_unreachable_ip(GCState *gcstate, PyGC_Head *young, PyGC_Head *unreachable,
                                     PyGC_Head *finalizers, int untrack,
                                     Py_ssize_t *n_reachable, Py_ssize_t *negative,
                                     struct vgc_un *un);
int vgc_alloc_fails(void);        /* one allocation point of the _fail_alloc_after test hook */

/* verify.c: verify=True for a decision made in place (a checker; stops the process on a
 * violation, before anything is freed) */
void vgc_verify_inplace(PyGC_Head *young, PyGC_Head *unreachable, PyGC_Head *finalizers);

/* phases.c: CPython's phases around the decision (gc_collect_main's twin) */
void vgc_tuple_maybe_untrack(PyObject *op);
void vgc_dict_maybe_untrack(PyObject *op);
int vgc_policy_choice(GCState *gcstate);
int vgc_collect_main(GCState *gcstate, int generation, Py_ssize_t *n_collected,
                     Py_ssize_t *n_uncollectable);

/* hook.c: the trigger and its start/stop state machine */
int vgc_hook_type_ready(void);
PyObject *vgc_hook_new(PyObject *user_callbacks);
void vgc_heal_lost_stop(GCState *gcstate);
GCState *vgc_api_state(void);

#endif /* VGC_CPYTHON_H */
