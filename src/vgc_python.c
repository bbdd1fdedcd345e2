/* vgc_python.c — the CPython glue of the `vgc` extension (module vgc._vgc).
 * TRUSTED, NOT PROVED: the reachability decision is proved (src/vgc_core.c, called here
 * through include/vgc_core.h), and so are the policy rules this file applies to CPython's
 * counters (src/vgc_policy.c: the count update of a collection, the long-lived bookkeeping,
 * gc.freeze's reset, and the generation selection, which is checked against CPython's choice);
 * this file builds the snapshot, copies the counters in and out, and runs CPython's own phases
 * around the decision.  Mirrors Modules/gcmodule.c (3.11, 3.12) and Python/gc.c (3.13.0): each CPython
 * phase has a vgc_ twin of the same name (vgc_update_refs is the core's, vgc_handle_weakrefs,
 * vgc_finalize_garbage, vgc_delete_garbage, ... are here), so `grep handle_weakrefs` finds both.
 *
 * Trigger ("callback hook"): install() replaces gcstate->callbacks by a list holding one hook
 * and keeps the user's list (gc.callbacks) aside.  CPython calls the hook with "start" at each of
 * its collections (automatic, gc.collect(), PyGC_Collect()); the hook calls the user callbacks,
 * runs vgc's collection, and moves the collected generations aside so that CPython's collector
 * then runs on empty lists (it still does its bookkeeping and clears free lists).  On "stop" the
 * hook puts the lists back, restores counts/long_lived_*, adds vgc's numbers to the stats and
 * calls the user callbacks with vgc's info dict.  Shutdown collections bypass callbacks and stay
 * CPython's.
 *
 * Header words (pycore_gc.h): outside a collection _gc_prev = prev pointer | FINALIZED(bit 0).
 * Inside vgc_deduce_unreachable, for the snapshot objects only:
 *     _gc_prev = index << 2 | COLLECTING(bit 1) | FINALIZED(bit 0)
 * so "is in the snapshot" is the COLLECTING bit and the index is _gc_prev >> 2.  The lists are
 * rebuilt, walking the collected list in snapshot order (_gc_next is untouched until then; there
 * is no object array), before any Python code can run.  Afterwards the COLLECTING bit marks
 * exactly the members of the current unreachable set (as in CPython); NEXT_MASK_UNREACHABLE is
 * never used.  No raw object array is held across a step that can run
 * Python code: from vgc_handle_weakrefs on, everything works on lists, as gcmodule.c does.
 */
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
#include <sys/mman.h>

#include "vgc_core.h"
#include "vgc_policy.h"

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
static void gc_list_move(PyGC_Head *node, PyGC_Head *list)
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

/* Append all of `from` to the end of `to`; `from` becomes empty. */
static void gc_list_merge(PyGC_Head *from, PyGC_Head *to)
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

static Py_ssize_t gc_list_size(PyGC_Head *list)
{
    Py_ssize_t n = 0;
    for (PyGC_Head *gc = GC_NEXT(list); gc != list; gc = GC_NEXT(gc))
        n++;
    return n;
}

static void gc_list_clear_collecting(PyGC_Head *list)
{
    for (PyGC_Head *gc = GC_NEXT(list); gc != list; gc = GC_NEXT(gc))
        gc_clear_collecting(gc);
}

/* ---- module state ------------------------------------------------------------------------ */

static struct {
    int installed;
    int stats_flag;                   /* DEBUG_STATS, kept out of gcstate->debug while installed */
    PyObject *user_callbacks;         /* gc.callbacks, the user-visible list */
    PyObject *hook_list;              /* [hook], what gcstate->callbacks points to (untracked) */
    PyObject *hook_type;              /* the hook's heap type (see vgc_hook_vectorcall) */
    PyObject *orig_collect;           /* the original gc.collect */
    int atexit_registered;            /* vgc_atexit resets this state at Py_Finalize */
    const char *layout_error;         /* why the running interpreter is not the compiled-for one */
    /* the collection in progress between "start" and "stop" */
    int pending;                      /* 1: vgc collected, lists aside; 2: fell back to CPython */
    int in_start;                     /* 1 while vgc_hook_start runs (no nested start) */
    int pending_gen;
    PyGC_Head aside[NUM_GENERATIONS];
    int saved_count[NUM_GENERATIONS];
    Py_ssize_t saved_long_lived_total, saved_long_lived_pending;
    Py_ssize_t saved_stats_collected, saved_stats_uncollectable;
    Py_ssize_t pending_m, pending_n;
    Py_ssize_t last_result;
    /* status counters since install */
    Py_ssize_t collections[NUM_GENERATIONS];
    Py_ssize_t collected, uncollectable, fallbacks, cpython_collected, inconsistent;
    Py_ssize_t fallback_collected;    /* objects CPython's collector found in vgc's fallbacks */
    Py_ssize_t lost_stops;            /* collections whose "stop" CPython could not deliver */
    size_t peak_bytes;                /* the most snapshot-buffer bytes held at once */
    int validate;                     /* check every generation list after each collection */
    Py_ssize_t validated;             /* collections after which the lists were checked */
    Py_ssize_t explicit_depth;        /* > 0 inside vgc's collect(): an explicit collection */
    Py_ssize_t policy_agreed, policy_differed;   /* proved selection vs CPython's generation */
    double pause_total, pause_max;
    Py_ssize_t snapshot_objects, snapshot_edges, snapshot_bytes;   /* the last snapshot */
    long fail_alloc_after;            /* test hook: fail the k-th snapshot allocation (0: off) */
    size_t edge_limit;                /* test hook: most edges a snapshot may hold (0: UINT32_MAX) */
    long alloc_count;                 /* test hook: allocation points (_alloc_count) */
} vgc;

/* The debug flags in force: gcstate->debug, plus DEBUG_STATS which vgc keeps to itself while
 * installed (CPython's own pass would print statistics of its empty lists).  A DEBUG_STATS set
 * through the original gc module is taken over here. */
static int vgc_debug_flags(GCState *gcstate)
{
    if (vgc.installed && (gcstate->debug & DEBUG_STATS)) {
        vgc.stats_flag = DEBUG_STATS;
        gcstate->debug &= ~DEBUG_STATS;
    }
    return gcstate->debug | (vgc.installed ? vgc.stats_flag : 0);
}

static int vgc_layout_override(void);
static void vgc_heal_lost_stop(GCState *gcstate);

/* Every gc API function that reads or changes the lists, counts or stats starts here. */
static GCState *vgc_api_state(void)
{
    GCState *gcstate = get_gc_state();
    if (vgc.installed)
        vgc_heal_lost_stop(gcstate);
    return gcstate;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void write_unraisable(const char *msg, PyObject *obj)
{
#if PY_VERSION_HEX >= 0x030D0000
    if (obj != NULL)
        PyErr_FormatUnraisable("Exception ignored %s %s", msg, ((PyTypeObject *)obj)->tp_name);
    else
        PyErr_FormatUnraisable("Exception ignored %s", msg);
#else
    _PyErr_WriteUnraisableMsg(msg, obj);
#endif
}

/* ---- the snapshot arena ------------------------------------------------------------------ */

/* The snapshot's arrays.  Between collections vgc keeps at most VGC_KEEP_BYTES of them (a young
 * collection's buffers, which the next young collection reuses); a bigger set (a collection of
 * a big old generation) is given back as soon as its collection is done, so that what stays
 * resident between collections is what stock gc keeps (nothing).  Buffers of VGC_MMAP_MIN bytes
 * or more are mapped directly: glibc keeps a big freed block in its heap once its dynamic mmap
 * threshold has risen past it, and RSS would not come down (measured, bench/README.md); a
 * mapped buffer grows by mremap, without a copy and without holding old and new at once.
 * status()["kept_bytes"] is what is held now, ["peak_bytes"] the most ever held.  Capacities are
 * in bytes. */
#define VGC_KEEP_BYTES ((size_t)1 << 20)
#define VGC_MMAP_MIN   ((size_t)256 << 10)

typedef struct {
    void *p;
    size_t cap;
    int mapped;                       /* p came from mmap (else from PyMem_RawMalloc) */
} vgc_buf_t;

static struct {
    vgc_buf_t refs, roots, flags, offsets, targets;   /* roles: see vgc_deduce_unreachable */
} arena;

#define ARENA_BUFS(a) {&(a).refs, &(a).roots, &(a).flags, &(a).offsets, &(a).targets}

static size_t vgc_arena_bytes(void)
{
    vgc_buf_t *bufs[] = ARENA_BUFS(arena);
    size_t total = 0;
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        total += bufs[i]->cap;
    return total;
}

static void vgc_buf_free(vgc_buf_t *b)
{
    if (b->p != NULL) {
        if (b->mapped)
            munmap(b->p, b->cap);
        else
            PyMem_RawFree(b->p);
    }
    b->p = NULL;
    b->cap = 0;
    b->mapped = 0;
}

static void vgc_arena_release(void)
{
    vgc_buf_t *bufs[] = ARENA_BUFS(arena);
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        vgc_buf_free(bufs[i]);
}

/* After a collection: keep the buffers only when they are small (see VGC_KEEP_BYTES). */
static void vgc_arena_trim(void)
{
    if (vgc_arena_bytes() > VGC_KEEP_BYTES)
        vgc_arena_release();
}

/* One allocation point of the _fail_alloc_after test hook: 1 when this one is to fail. */
static int vgc_alloc_fails(void)
{
    vgc.alloc_count++;
    return vgc.fail_alloc_after > 0 && --vgc.fail_alloc_after == 0;
}

/* At least `bytes` of buffer b (its contents kept when `keep`), or NULL.  Each call counts as
 * one allocation point for the _fail_alloc_after test hook, whether or not it has to allocate. */
static void *vgc_buf_take(vgc_buf_t *b, size_t bytes, int keep)
{
    if (vgc_alloc_fails())
        return NULL;
    if (bytes <= b->cap)
        return b->p;
    /* Slack for a heap that grows a little: 1/16 for the per-object arrays (their size is exact),
     * 1/8 for the edges (their number is only known after the traverse pass); and at least 1.5x
     * the old capacity, so that a heap growing by small steps reallocates O(log n) times, not at
     * every collection (a big jump, such as the first full collection, takes what it needs). */
    size_t cap = bytes + (b == &arena.targets ? bytes / 8 : bytes / 16) + 4096;
    if (cap < b->cap + b->cap / 2)
        cap = b->cap + b->cap / 2;
    if (cap >= VGC_MMAP_MIN) {
        size_t page = 4096;
        cap = (cap + page - 1) & ~(page - 1);
    }
    void *p;
#ifdef MREMAP_MAYMOVE
    if (keep && b->mapped) {
        p = mremap(b->p, b->cap, cap, MREMAP_MAYMOVE);
        if (p == MAP_FAILED)
            return NULL;
        b->p = p;
        b->cap = cap;
        return p;
    }
#endif
    int mapped = cap >= VGC_MMAP_MIN;
    if (mapped) {
        p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            p = NULL;
    }
    else {
        p = PyMem_RawMalloc(cap);
    }
    if (p == NULL)
        return NULL;
    if (keep && b->p != NULL)
        memcpy(p, b->p, b->cap);
    vgc_buf_free(b);
    b->p = p;
    b->cap = cap;
    b->mapped = mapped;
    return p;
}

/* ---- the snapshot and the proved core ---------------------------------------------------- */

typedef struct {
    uint32_t *targets;
    size_t len, cap;                  /* in edges */
    int failed;
} edges_t;

/* The most edges a snapshot may hold: the core's offsets are uint32_t (its `csr_ok` requires
 * offsets[n] = E with every offset <= UINT32_MAX), so a snapshot with more internal references
 * is not taken (CPython's collector does that collection).  The arena's capacity may exceed it
 * (slack), so the usable capacity is clamped here, not by the allocation. */
static size_t vgc_edge_limit(void)
{
    return vgc.edge_limit != 0 && vgc.edge_limit < UINT32_MAX ? vgc.edge_limit : UINT32_MAX;
}

static size_t vgc_edge_cap(void)
{
    size_t cap = arena.targets.cap / sizeof(uint32_t);
    return cap < vgc_edge_limit() ? cap : vgc_edge_limit();
}

/* tp_traverse visitor: record an edge to every object of the snapshot (COLLECTING bit). */
static int vgc_visit_snapshot(PyObject *op, void *arg)
{
    edges_t *e = (edges_t *)arg;
    if (!_PyObject_IS_GC(op))
        return 0;
    PyGC_Head *g = AS_GC(op);
    if (!gc_is_collecting(g))
        return 0;
    if (e->len == e->cap) {
        size_t cap = e->cap + e->cap / 2 + 16;
        if (cap > vgc_edge_limit())
            cap = vgc_edge_limit();
        uint32_t *t = cap <= e->cap ? NULL            /* at the limit */
                      : vgc_buf_take(&arena.targets, cap * sizeof(uint32_t), 1);
        if (t == NULL) {
            e->failed = 1;
            return -1;               /* stops tp_traverse */
        }
        e->targets = t;
        e->cap = vgc_edge_cap();
    }
    e->targets[e->len++] = (uint32_t)(g->_gc_prev >> _PyGC_PREV_SHIFT);
    return 0;
}

#if PY_VERSION_HEX >= 0x030C0000
/* 3.12+: a tracked immortal object's refcount says nothing; CPython's update_refs moves it to
 * the permanent generation, so does vgc. */
static void vgc_move_immortals(PyGC_Head *base, GCState *gcstate)
{
    PyGC_Head *gc = GC_NEXT(base);
    while (gc != base) {
        PyGC_Head *next = GC_NEXT(gc);
        if (_Py_IsImmortal(FROM_GC(gc)))
            gc_list_move(gc, &gcstate->permanent_generation.head);
        gc = next;
    }
}
#endif

/* The order CPython's move_unreachable leaves the reachable objects in: its walk over the list,
 * where an object first met with gc_refs == 0 and later found reachable is re-appended at the
 * end.  Not a correctness matter (the reachable SET is the core's), but observable: it is
 * gc.get_objects()'s order and, later, the order in which weakref callbacks and finalizers of
 * those objects run.  A replay over the snapshot with the root flags the proved vgc_update_refs
 * computed.  The resulting order is: the objects scanned where they stand (state
 * REPLAY_SCANNED), in index order, then the re-appended ones (REPLAY_MOVED) in the order they
 * were re-appended, which this writes to moved[] (room for n); returns their number.
 * state[v]'s low three bits are the replay state (initially REPLAY_POSITIVE for a root, else
 * REPLAY_ZERO); the bits above (the core's segment, SEG_*) are kept. */
enum { REPLAY_ZERO, REPLAY_POSITIVE, REPLAY_TENTATIVE, REPLAY_SCANNED, REPLAY_MOVED };
#define REPLAY_MASK 7
#define SEG_SHIFT 3
enum { SEG_LIVE, SEG_HELD, SEG_GARBAGE };   /* pos < live, live <= pos < kept, pos >= kept */
#define REPLAY_SET(s, x) ((uint8_t)(((s) & ~REPLAY_MASK) | (x)))

static inline void vgc_replay_scan(int32_t v, const uint32_t *offsets, const uint32_t *targets,
                                   uint8_t *state, int32_t *moved, int32_t *len)
{
    for (uint32_t k = offsets[v]; k < offsets[v + 1]; k++) {
        int32_t t = (int32_t)targets[k];
        uint8_t s = state[t];
        if ((s & REPLAY_MASK) == REPLAY_TENTATIVE) {  /* moved back, to the end */
            state[t] = REPLAY_SET(s, REPLAY_POSITIVE);
            moved[(*len)++] = t;
        }
        else if ((s & REPLAY_MASK) == REPLAY_ZERO) {
            state[t] = REPLAY_SET(s, REPLAY_POSITIVE);
        }
    }
}

static int32_t vgc_replay_move_unreachable_order(int32_t n, const uint32_t *offsets,
                                                 const uint32_t *targets, uint8_t *state,
                                                 int32_t *moved)
{
    int32_t len = 0;
    for (int32_t v = 0; v < n; v++) {                 /* the walk over the list itself */
        if ((state[v] & REPLAY_MASK) == REPLAY_ZERO) {
            state[v] = REPLAY_SET(state[v], REPLAY_TENTATIVE);   /* to the unreachable list */
        }
        else {                                        /* POSITIVE: never TENTATIVE ahead */
            vgc_replay_scan(v, offsets, targets, state, moved, &len);
            state[v] = REPLAY_SET(state[v], REPLAY_SCANNED);
        }
    }
    for (int32_t q = 0; q < len; q++) {               /* ... and over what it re-appended */
        int32_t v = moved[q];
        vgc_replay_scan(v, offsets, targets, state, moved, &len);
        state[v] = REPLAY_SET(state[v], REPLAY_MOVED);
    }
    return len;
}

/* Put the first `count` objects of base back as they were: _gc_prev = previous | FINALIZED
 * (_gc_next was never changed, so the list itself says which objects were numbered). */
static void vgc_unnumber(PyGC_Head *base, size_t count)
{
    PyGC_Head *prev = base, *g = GC_NEXT(base);
    for (size_t i = 0; i < count; i++, prev = g, g = GC_NEXT(g))
        g->_gc_prev = (uintptr_t)prev | (g->_gc_prev & _PyGC_PREV_MASK_FINALIZED);
}

static void vgc_tuple_maybe_untrack(PyObject *op);

/* How far ahead the list walks touch object headers (objects, not bytes): a second pointer runs
 * this many objects ahead of the walk, so that the header loads overlap with the work. */
#define PREFETCH_AHEAD 8

/* The buffers change roles between the phases; keep the compiler from moving an access of one
 * role across the start of the next (the extension is also built with -fno-strict-aliasing). */
#define ROLE_CHANGE() __asm__ __volatile__("" ::: "memory")

/* deduce_unreachable: snapshot `base`, run the proved phases, rebuild the lists.
 * Afterwards: base holds the reachable objects (COLLECTING clear, in CPython's order), unreachable
 * the garbage candidates (COLLECTING set, original order) and, when finalizers != NULL, the
 * unreachable objects reachable from a legacy finalizer, in CPython's breadth-first order
 * (COLLECTING clear) — the garbage candidates then exclude them.  With untrack_tuples, the
 * reachable tuples are offered to untracking in the rebuilt list's order, as CPython's
 * untrack_tuples(young) does right after deduce_unreachable (fused here: one walk less).
 * Returns the number of snapshot objects, or -1 on an allocation failure: then nothing changed
 * (base is intact, unreachable/finalizers are empty) and no Python code ran.  *n_reachable
 * (if not NULL) receives the length of base afterwards.
 *
 * Memory: 14 bytes per object + 4 per internal reference, in five arena buffers whose roles
 * change as the collection goes (no object pointer array: the list is walked in snapshot order
 * instead, which is safe because no Python code runs and nothing relinks an object until the
 * rebuild, which reads each _gc_next before relinking that object):
 *   refs     8n  refcounts -> gc_refs (core phase 1) -> order | pos (core phases 2, 3; pos then
 *                holds the replay's re-appended queue) -> the object pointers of the objects
 *                relinked out of list order (rebuild);
 *   roots    1n  root flags (phase 1) -> replay state | core segment (SEG_*);
 *   flags    1n  legacy-finalizer flags (phase 3);
 *   offsets  4n  CSR offsets (core, replay) -> each out-of-order object's rank (rebuild);
 *   targets  4E  CSR targets. */
static Py_ssize_t vgc_deduce_unreachable(GCState *gcstate, PyGC_Head *base,
                                         PyGC_Head *unreachable, PyGC_Head *finalizers,
                                         int untrack_tuples, Py_ssize_t *n_reachable)
{
    gc_list_init(unreachable);
    if (finalizers != NULL)
        gc_list_init(finalizers);
    if (n_reachable != NULL)
        *n_reachable = 0;
#if PY_VERSION_HEX >= 0x030C0000
    vgc_move_immortals(base, gcstate);
#else
    (void)gcstate;
#endif
    if (gc_list_is_empty(base))
        return 0;

    /* Number the objects in list order; the index lives in _gc_prev (see the file header).
     * Then n is known and every per-object array is taken at its exact size.  While the refs
     * buffer the arena already holds has room, it keeps each object's pointer until the traverse
     * pass replaces it by the refcount (a union slot: same index, read before written), so that
     * pass can prefetch headers ahead through an array instead of a dependent chain. */
    typedef union { PyObject *op; int64_t rc; } vgc_slot_t;
    vgc_slot_t *slots = (vgc_slot_t *)arena.refs.p;
    const size_t nslots = arena.refs.cap / sizeof(vgc_slot_t);
    size_t i = 0;
    for (PyGC_Head *gc = GC_NEXT(base); gc != base; gc = GC_NEXT(gc), i++) {
        if (i == (size_t)INT32_MAX) {                /* one object too many for the core */
            vgc_unnumber(base, i);
            return -1;
        }
        if (i < nslots)
            slots[i].op = FROM_GC(gc);
        gc->_gc_prev = ((uintptr_t)i << _PyGC_PREV_SHIFT) | _PyGC_PREV_MASK_COLLECTING
                       | (gc->_gc_prev & _PyGC_PREV_MASK_FINALIZED);
    }
    const int32_t n = (int32_t)i;

    size_t ecap = arena.targets.cap / sizeof(uint32_t);
    if (ecap < 3 * (size_t)n + 16)
        ecap = 3 * (size_t)n + 16;
    int64_t *refs = vgc_buf_take(&arena.refs, sizeof(int64_t) * (size_t)n, 0);
    uint8_t *flags = vgc_buf_take(&arena.flags, (size_t)n, 0);
    uint32_t *offsets = refs && flags
        ? vgc_buf_take(&arena.offsets, sizeof(uint32_t) * ((size_t)n + 1), 0) : NULL;
    uint8_t *roots = offsets ? vgc_buf_take(&arena.roots, (size_t)n, 0) : NULL;
    edges_t e = {NULL, 0, 0, 0};
    if (ecap > vgc_edge_limit())
        ecap = vgc_edge_limit();
    e.targets = roots ? vgc_buf_take(&arena.targets, sizeof(uint32_t) * ecap, 0) : NULL;
    e.cap = vgc_edge_cap();
    if (!e.targets) {
        vgc_unnumber(base, (size_t)n);
        return -1;
    }

    /* Refcounts, legacy flags and the edges (CSR, multi-edges kept), in list order: through
     * the pointers kept in refs' slots if they all fit (the buffer was not reallocated), else
     * walking the list.  tp_traverse runs no Python code. */
    int any_legacy = 0;
#define SNAPSHOT_ONE(op_) do {                                                                \
        PyObject *o_ = (op_);                                                                 \
        refs[j] = (int64_t)Py_REFCNT(o_);                                                     \
        flags[j] = Py_TYPE(o_)->tp_del != NULL;                                               \
        any_legacy |= flags[j];                                                               \
        offsets[j] = (uint32_t)e.len;                                                         \
        (void)Py_TYPE(o_)->tp_traverse(o_, vgc_visit_snapshot, &e);                           \
    } while (0)
    PyGC_Head *ahead, *gc;
    if ((size_t)n <= nslots && (void *)slots == (void *)refs) {
        for (int32_t j = 0; j < n && !e.failed; j++) {
            if (j + PREFETCH_AHEAD < n)
                __builtin_prefetch(AS_GC(slots[j + PREFETCH_AHEAD].op));
            SNAPSHOT_ONE(slots[j].op);               /* slots[j].op read, then refs[j] written */
        }
    }
    else {
        ahead = GC_NEXT(base);
        for (int k = 0; k < PREFETCH_AHEAD && ahead != base; k++)
            ahead = GC_NEXT(ahead);
        gc = GC_NEXT(base);
        for (int32_t j = 0; j < n && !e.failed; j++, gc = GC_NEXT(gc)) {
            if (ahead != base) {
                ahead = GC_NEXT(ahead);
                __builtin_prefetch(ahead);
            }
            SNAPSHOT_ONE(FROM_GC(gc));
        }
    }
#undef SNAPSHOT_ONE
    if (e.failed) {
        vgc_unnumber(base, (size_t)n);
        return -1;
    }
    offsets[n] = (uint32_t)e.len;

    /* The proved phases (include/vgc_core.h).  Phase 2 does not read refs: order and pos take
     * its place.  Without a legacy finalizer in the snapshot, move_legacy_finalizer_reachable
     * has no seed and would return live. */
    int32_t negative = vgc_update_refs(n, offsets, e.targets, refs, roots);
    vgc.inconsistent += negative;
#ifdef Py_DEBUG
    /* A debug build's own collector stops the process with its diagnostic (gc_decref's
     * "refcount is too small") on such a snapshot, which is what its users run it for: let
     * CPython's collector do this collection (the caller falls back; nothing changed yet). */
    if (negative > 0) {
        vgc_unnumber(base, (size_t)n);
        return -1;
    }
#endif
    {
        size_t held = vgc_arena_bytes();
        if (held > vgc.peak_bytes)
            vgc.peak_bytes = held;
    }
    ROLE_CHANGE();
    int32_t *order = (int32_t *)(void *)refs, *pos = order + n;
    int32_t live = vgc_move_unreachable(n, offsets, e.targets, roots, order, pos);
    int32_t kept = live;
    if (finalizers != NULL && any_legacy)
        kept = vgc_move_legacy_finalizer_reachable(n, offsets, e.targets, flags, live,
                                                   order, pos);

    if (finalizers != NULL) {         /* a collection's snapshot, not the re-check */
        vgc.snapshot_objects = n;
        vgc.snapshot_edges = (Py_ssize_t)e.len;
        vgc.snapshot_bytes = (Py_ssize_t)((size_t)n * (sizeof *refs + sizeof *roots
                                                       + sizeof *flags + sizeof *offsets)
                                          + sizeof *offsets + e.len * sizeof(uint32_t));
    }

    /* `roots` becomes each object's replay state and the core's segment; pos is then free and
     * holds the replay's re-appended objects. */
    uint8_t *state = roots;
    for (int32_t v = 0; v < n; v++) {
        int seg = pos[v] < live ? SEG_LIVE : pos[v] < kept ? SEG_HELD : SEG_GARBAGE;
        state[v] = (uint8_t)((seg << SEG_SHIFT)
                             | (state[v] != 0 ? REPLAY_POSITIVE : REPLAY_ZERO));
    }
    ROLE_CHANGE();
    int32_t *moved = pos;
    int32_t nmoved = vgc_replay_move_unreachable_order(n, offsets, e.targets, state, moved);

    /* The objects relinked out of list order get a rank (offsets is free now): first the
     * legacy-held ones in the core's breadth-first order, then the reachable ones the replay
     * re-appended, in that order. */
    ROLE_CHANGE();
    uint32_t *rank = offsets;
    const int32_t nheld = kept - live;
    for (int32_t j = live; j < kept; j++)
        rank[order[j]] = (uint32_t)(j - live);
    int32_t nlate = 0;
    for (int32_t q = 0; q < nmoved; q++) {
        int32_t v = moved[q];
        if ((state[v] >> SEG_SHIFT) == SEG_LIVE)
            rank[v] = (uint32_t)(nheld + nlate++);
    }
    ROLE_CHANGE();
    PyObject **late = (PyObject **)(void *)refs;       /* nheld + nlate <= n pointers */

    /* Rebuild: one walk in list order relinks the garbage candidates (unreachable) and the
     * reachable objects scanned where they stand (base); the others are relinked after it, from
     * `late` (finalizers, then base).  Anything the replay did not scan (impossible when both
     * agree) follows in list order (`rest`), so every reachable object is relinked exactly once.
     * Each object's FINALIZED bit is read from its still-encoded _gc_prev when it is relinked. */
    Py_ssize_t nbase = 0;
#define FIN(g) ((g)->_gc_prev & _PyGC_PREV_MASK_FINALIZED)
#define RELINK(g) do {                                                                        \
        PyGC_Head *g_ = (g);                                                                  \
        PyObject *op_ = FROM_GC(g_);                                                          \
        gc_list_append_flags(g_, base, FIN(g_));                                              \
        if (untrack_tuples && PyTuple_CheckExact(op_))                                        \
            vgc_tuple_maybe_untrack(op_);                                                     \
        nbase += _PyObject_GC_IS_TRACKED(op_);                                                \
    } while (0)
    PyGC_Head rest;
    gc_list_init(&rest);
    gc = GC_NEXT(base);
    ahead = gc;
    for (int k = 0; k < PREFETCH_AHEAD && ahead != base; k++)
        ahead = GC_NEXT(ahead);
    gc_list_init(base);              /* the old chain is still followed through _gc_next */
    for (int32_t j = 0; j < n; j++) {
        PyGC_Head *next = GC_NEXT(gc);
        if (ahead != base) {         /* ahead is never relinked before the walk passes it */
            ahead = GC_NEXT(ahead);
            __builtin_prefetch(ahead, 1);
        }
        const uint8_t s = state[j];
        switch (s >> SEG_SHIFT) {
        case SEG_GARBAGE:
            gc_list_append_flags(gc, unreachable, FIN(gc) | _PyGC_PREV_MASK_COLLECTING);
            break;
        case SEG_HELD:
            late[rank[j]] = FROM_GC(gc);
            break;
        default:                     /* SEG_LIVE */
            if ((s & REPLAY_MASK) == REPLAY_SCANNED)
                RELINK(gc);
            else if ((s & REPLAY_MASK) == REPLAY_MOVED)
                late[rank[j]] = FROM_GC(gc);
            else
                gc_list_append_flags(gc, &rest, FIN(gc));
            break;
        }
        gc = next;
    }
    for (int32_t r = 0; r < nheld; r++)
        gc_list_append_flags(AS_GC(late[r]), finalizers, FIN(AS_GC(late[r])));
    for (int32_t r = nheld; r < nheld + nlate; r++)
        RELINK(AS_GC(late[r]));
    while (!gc_list_is_empty(&rest)) {
        PyGC_Head *g = GC_NEXT(&rest);
        PyGC_Head *g_next = GC_NEXT(g);
        rest._gc_next = (uintptr_t)g_next;            /* unlink g (rest's own links only) */
        _PyGCHead_SET_PREV(g_next, &rest);
        RELINK(g);
    }
#undef RELINK
#undef FIN
    if (n_reachable != NULL)
        *n_reachable = nbase;
    return n;
}

/* ---- CPython-specific phases ------------------------------------------------------------- */

static int may_be_tracked(PyObject *obj)
{
    return obj != NULL && _PyObject_IS_GC(obj)
           && (!PyTuple_CheckExact(obj) || _PyObject_GC_IS_TRACKED(obj));
}

/* _PyTuple_MaybeUntrack / _PyDict_MaybeUntrack, re-implemented (hidden in 3.13). */
static void vgc_tuple_maybe_untrack(PyObject *op)
{
    if (!_PyObject_GC_IS_TRACKED(op))
        return;
    for (Py_ssize_t i = PyTuple_GET_SIZE(op); --i >= 0; ) {
        PyObject *elt = PyTuple_GET_ITEM(op, i);
        if (elt == NULL || may_be_tracked(elt))
            return;
    }
    _PyObject_GC_UNTRACK(op);
}

static void vgc_dict_maybe_untrack(PyObject *op)
{
    if (!_PyObject_GC_IS_TRACKED(op))
        return;
    Py_ssize_t i = 0;
    PyObject *key, *value;
    while (PyDict_Next(op, &i, &key, &value))
        if (may_be_tracked(key) || may_be_tracked(value))
            return;
    _PyObject_GC_UNTRACK(op);
}

/* untrack_dicts, fused with the gc_list_size(young) that follows it in CPython: returns the
 * number of objects left in the list. */
static Py_ssize_t vgc_untrack_dicts(PyGC_Head *head)
{
    Py_ssize_t size = 0;
    PyGC_Head *next;
    for (PyGC_Head *gc = GC_NEXT(head); gc != head; gc = next) {
        next = GC_NEXT(gc);
        if (PyDict_CheckExact(FROM_GC(gc)))
            vgc_dict_maybe_untrack(FROM_GC(gc));
        size += GC_NEXT(gc) != NULL;              /* still tracked */
    }
    return size;
}

static void vgc_debug_cycle(const char *msg, PyObject *op)
{
    PySys_FormatStderr("gc: %s <%s %p>\n", msg, Py_TYPE(op)->tp_name, op);
}

static PyWeakReference **weakrefs_listptr(PyObject *op)
{
#if PY_VERSION_HEX >= 0x030C0000
    return (PyWeakReference **)_PyObject_GET_WEAKREFS_LISTPTR_FROM_OFFSET(op);
#else
    return (PyWeakReference **)_PyObject_GET_WEAKREFS_LISTPTR(op);
#endif
}

/* handle_weakrefs: clear every weakref to an unreachable object; call the callbacks of the
 * weakrefs that are themselves reachable (after all are cleared).  Returns how many of those
 * weakrefs died on the way (CPython counts them as collected).  *ran_code is set when a
 * callback was called. */
static Py_ssize_t vgc_handle_weakrefs(PyGC_Head *unreachable, PyGC_Head *old, int *ran_code)
{
    PyGC_Head wrcb_to_call;
    gc_list_init(&wrcb_to_call);
    Py_ssize_t num_freed = 0;
    PyGC_Head *next;
    for (PyGC_Head *gc = GC_NEXT(unreachable); gc != unreachable; gc = next) {
        PyObject *op = FROM_GC(gc);
        next = GC_NEXT(gc);
        if (PyWeakref_Check(op))
            _PyWeakref_ClearRef((PyWeakReference *)op);   /* trash weakrefs never call back */
        if (!PyType_SUPPORTS_WEAKREFS(Py_TYPE(op)))
            continue;
        PyWeakReference **wrlist = weakrefs_listptr(op);
        for (PyWeakReference *wr = *wrlist; wr != NULL; wr = *wrlist) {
            _PyWeakref_ClearRef(wr);                       /* unlinks wr from *wrlist */
            if (wr->wr_callback == NULL)
                continue;
            if (gc_is_collecting(AS_GC(wr)))               /* wr is trash too: no callback */
                continue;
            Py_INCREF(wr);
            gc_list_move(AS_GC(wr), &wrcb_to_call);
        }
    }
    if (!gc_list_is_empty(&wrcb_to_call))
        *ran_code = 1;
    while (!gc_list_is_empty(&wrcb_to_call)) {
        PyGC_Head *gc = GC_NEXT(&wrcb_to_call);
        PyWeakReference *wr = (PyWeakReference *)FROM_GC(gc);
        PyObject *callback = wr->wr_callback;
        PyObject *temp = PyObject_CallOneArg(callback, (PyObject *)wr);
        if (temp == NULL)
            PyErr_WriteUnraisable(callback);
        else
            Py_DECREF(temp);
        Py_DECREF(wr);
        if (GC_NEXT(&wrcb_to_call) == gc)
            gc_list_move(gc, old);                         /* still alive */
        else
            num_freed++;
    }
    return num_freed;
}

/* finalize_garbage: PEP 442 tp_finalize once per object (FINALIZED bit set first).
 * *ran_code is set when a finalizer was called. */
static void vgc_finalize_garbage(PyGC_Head *collectable, int *ran_code)
{
    PyGC_Head seen;
    gc_list_init(&seen);
    while (!gc_list_is_empty(collectable)) {
        PyGC_Head *gc = GC_NEXT(collectable);
        PyObject *op = FROM_GC(gc);
        gc_list_move(gc, &seen);
        destructor finalize = Py_TYPE(op)->tp_finalize;
        if (!gc_is_finalized(gc) && finalize != NULL) {
            gc_set_finalized(gc);
            *ran_code = 1;
            Py_INCREF(op);
            finalize(op);
            Py_DECREF(op);
        }
    }
    gc_list_merge(&seen, collectable);
}

/* handle_resurrected_objects: re-run the proved phases on the unreachable set alone; what a
 * finalizer made reachable again goes to old, the rest to still_unreachable.  If the re-check
 * cannot allocate, everything is treated as resurrected (nothing is freed this time).
 * When no Python code ran since the unreachable set was computed (ran_code == 0: no weakref
 * callback, no finalizer, no DEBUG_COLLECTABLE output to a Python-level stderr), no refcount
 * changed, and every reference to an object of the set comes from the set (the legacy-finalizer
 * closure was taken out whole): the re-check would find the whole set unreachable again, in the
 * same order, so it is skipped. */
static void vgc_handle_resurrected_objects(GCState *gcstate, PyGC_Head *unreachable,
                                           PyGC_Head *still_unreachable, PyGC_Head *old,
                                           int ran_code)
{
    if (!ran_code) {
        gc_list_init(still_unreachable);
        gc_list_merge(unreachable, still_unreachable);   /* COLLECTING stays set */
        return;
    }
    gc_list_clear_collecting(unreachable);
    if (vgc_deduce_unreachable(gcstate, unreachable, still_unreachable, NULL, 0, NULL) < 0)
        gc_list_init(still_unreachable);
    gc_list_merge(unreachable, old);
}

/* delete_garbage: tp_clear (or, with DEBUG_SAVEALL, append to gc.garbage). */
static void vgc_delete_garbage(GCState *gcstate, PyGC_Head *collectable, PyGC_Head *old)
{
    while (!gc_list_is_empty(collectable)) {
        PyGC_Head *gc = GC_NEXT(collectable);
        PyObject *op = FROM_GC(gc);
        if (gcstate->debug & DEBUG_SAVEALL) {
            if (PyList_Append(gcstate->garbage, op) < 0)
                PyErr_Clear();
        }
        else {
            inquiry clear = Py_TYPE(op)->tp_clear;
            if (clear != NULL) {
                Py_INCREF(op);
                (void)clear(op);
                if (PyErr_Occurred())
                    write_unraisable("in tp_clear of", (PyObject *)Py_TYPE(op));
                Py_DECREF(op);
            }
        }
        if (GC_NEXT(collectable) == gc) {
            gc_clear_collecting(gc);
            gc_list_move(gc, old);                         /* still alive */
        }
    }
}

/* handle_legacy_finalizers: tp_del objects (all of them with DEBUG_SAVEALL) -> gc.garbage. */
static void vgc_handle_legacy_finalizers(GCState *gcstate, PyGC_Head *finalizers, PyGC_Head *old)
{
    for (PyGC_Head *gc = GC_NEXT(finalizers); gc != finalizers; gc = GC_NEXT(gc)) {
        PyObject *op = FROM_GC(gc);
        if ((gcstate->debug & DEBUG_SAVEALL) || Py_TYPE(op)->tp_del != NULL) {
            if (PyList_Append(gcstate->garbage, op) < 0) {
                PyErr_Clear();
                break;
            }
        }
    }
    gc_list_merge(finalizers, old);
}

static void vgc_show_stats_each_generations(GCState *gcstate)
{
    PySys_WriteStderr("gc: objects in each generation: %zd %zd %zd\n"
                      "gc: objects in permanent generation: %zd\n",
                      gc_list_size(GEN_HEAD(gcstate, 0)), gc_list_size(GEN_HEAD(gcstate, 1)),
                      gc_list_size(GEN_HEAD(gcstate, 2)),
                      gc_list_size(&gcstate->permanent_generation.head));
}

/* ---- the policy: the proved rules of src/vgc_policy.c applied to CPython's counters ---------
 * CPython keeps the counts as int and long_lived_* as Py_ssize_t; the proved functions work on
 * int64_t copies (the same values: every count is >= 0 and far below INT64_MAX).  Writing a
 * count back clamps it to INT_MAX, which CPython's own `count += 1` would overflow first. */

static void vgc_counts_load(GCState *gcstate, int64_t count[NUM_GENERATIONS])
{
    for (int i = 0; i < NUM_GENERATIONS; i++)
        count[i] = gcstate->generations[i].count < 0 ? 0 : gcstate->generations[i].count;
}

static void vgc_counts_store(GCState *gcstate, const int64_t count[NUM_GENERATIONS])
{
    for (int i = 0; i < NUM_GENERATIONS; i++)
        gcstate->generations[i].count = count[i] > INT_MAX ? INT_MAX : (int)count[i];
}

/* CPython gc_collect_main's counter update, by vgc_policy_count_collection. */
static void vgc_policy_begin(GCState *gcstate, int generation)
{
    int64_t count[NUM_GENERATIONS];
    vgc_counts_load(gcstate, count);
    vgc_policy_count_collection(count, generation);
    vgc_counts_store(gcstate, count);
}

/* CPython's long_lived_* update once `survivors` objects survived a collection of
 * `generation`, by vgc_policy_long_lived. */
static void vgc_policy_survivors(GCState *gcstate, int generation, Py_ssize_t survivors)
{
    int64_t total = gcstate->long_lived_total < 0 ? 0 : gcstate->long_lived_total;
    int64_t pending = gcstate->long_lived_pending < 0 ? 0 : gcstate->long_lived_pending;
    vgc_policy_long_lived(&total, &pending, generation, survivors < 0 ? 0 : survivors);
    gcstate->long_lived_total = (Py_ssize_t)total;
    gcstate->long_lived_pending = (Py_ssize_t)pending;
}

/* The generation the proved selection picks from CPython's current counters (-1: none). */
static int vgc_policy_choice(GCState *gcstate)
{
    int64_t count[NUM_GENERATIONS], threshold[NUM_GENERATIONS];
    vgc_counts_load(gcstate, count);
    for (int i = 0; i < NUM_GENERATIONS; i++)
        threshold[i] = gcstate->generations[i].threshold;
    return vgc_policy_select(count, threshold, gcstate->long_lived_total,
                             gcstate->long_lived_pending);
}

/* collect_main: one collection of `generation` (CPython's gc_collect_main, minus the parts
 * CPython's own pass still does: free lists).  Returns 0, or -1 when the snapshot could not be
 * allocated: then the counts are as on entry, no object moved generation, no Python code ran. */
static int vgc_collect_main(GCState *gcstate, int generation, Py_ssize_t *n_collected,
                            Py_ssize_t *n_uncollectable)
{
    Py_ssize_t m = 0, n = 0;
    const int debug = vgc_debug_flags(gcstate);
    double t1 = now_seconds();
    if (debug & DEBUG_STATS) {
        PySys_WriteStderr("gc: collecting generation %d...\n", generation);
        vgc_show_stats_each_generations(gcstate);
    }
    int counts[NUM_GENERATIONS];
    for (int i = 0; i < NUM_GENERATIONS; i++)
        counts[i] = gcstate->generations[i].count;
    vgc_policy_begin(gcstate, generation);
    for (int i = 0; i < generation; i++)
        gc_list_merge(GEN_HEAD(gcstate, i), GEN_HEAD(gcstate, generation));
    PyGC_Head *young = GEN_HEAD(gcstate, generation);
    PyGC_Head *old = generation < NUM_GENERATIONS - 1 ? GEN_HEAD(gcstate, generation + 1) : young;

    /* The snapshot is numbered on a detached list head: a tp_traverse that tracks a new object
     * (legal-looking, prohibited only by gh-123241's documentation) appends it to generation 0,
     * which is then a real list outside the snapshot (empty, or young itself when collecting
     * generation 0), never into the list being numbered and rebuilt.  Stock treats such an
     * object as reachable: here it joins young's survivors (generation 0) or stays in
     * generation 0. */
    PyGC_Head work;
    gc_list_init(&work);
    gc_list_merge(young, &work);
    PyGC_Head unreachable, finalizers;
    Py_ssize_t n_young;               /* young's length after deduce (and untrack_tuples) */
    Py_ssize_t rc = vgc_deduce_unreachable(gcstate, &work, &unreachable, &finalizers, 1,
                                           &n_young);
    n_young += gc_list_size(young);   /* what arrived during the snapshot (generation 0) */
    gc_list_merge(young, &work);
    gc_list_merge(&work, young);
    if (rc < 0) {
        for (int i = 0; i < NUM_GENERATIONS; i++)
            gcstate->generations[i].count = counts[i];
        vgc_arena_trim();
        return -1;
    }

    /* untrack_tuples(young) ran inside vgc_deduce_unreachable */
    if (young != old) {
        vgc_policy_survivors(gcstate, generation, n_young);
        gc_list_merge(young, old);
    }
    else {
        /* only in full collections (bpo-14775); returns young's length afterwards */
        vgc_policy_survivors(gcstate, generation, vgc_untrack_dicts(young));
    }

    if (debug & DEBUG_COLLECTABLE)
        for (PyGC_Head *gc = GC_NEXT(&unreachable); gc != &unreachable; gc = GC_NEXT(gc))
            vgc_debug_cycle("collectable", FROM_GC(gc));

    int ran_code = (debug & DEBUG_COLLECTABLE) != 0;     /* Python code since deduce */
    m += vgc_handle_weakrefs(&unreachable, old, &ran_code);
    vgc_finalize_garbage(&unreachable, &ran_code);
    PyGC_Head final_unreachable;
    vgc_handle_resurrected_objects(gcstate, &unreachable, &final_unreachable, old, ran_code);
    m += gc_list_size(&final_unreachable);
    vgc_delete_garbage(gcstate, &final_unreachable, old);

    for (PyGC_Head *gc = GC_NEXT(&finalizers); gc != &finalizers; gc = GC_NEXT(gc)) {
        n++;
        if (debug & DEBUG_UNCOLLECTABLE)
            vgc_debug_cycle("uncollectable", FROM_GC(gc));
    }
    double elapsed = now_seconds() - t1;
    if (debug & DEBUG_STATS)
        PySys_WriteStderr("gc: done, %zd unreachable, %zd uncollectable, %.4fs elapsed\n",
                          n + m, n, elapsed);
    vgc_handle_legacy_finalizers(gcstate, &finalizers, old);
    if (PyErr_Occurred())
        write_unraisable("in garbage collection", NULL);
    vgc_arena_trim();

    vgc.collections[generation]++;
    vgc.collected += m;
    vgc.uncollectable += n;
    vgc.pause_total += elapsed;
    if (elapsed > vgc.pause_max)
        vgc.pause_max = elapsed;
    *n_collected = m;
    *n_uncollectable = n;
    return 0;
}

/* ---- the trigger: the callback hook ------------------------------------------------------ */

static void vgc_invoke_user_callbacks(PyObject *phase, PyObject *info)
{
    PyObject *cbs = vgc.user_callbacks;
    if (cbs == NULL)
        return;
    Py_INCREF(cbs);
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *stack[] = {phase, info};
#endif
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(cbs); i++) {
        PyObject *cb = PyList_GET_ITEM(cbs, i);
        Py_INCREF(cb);
#if PY_VERSION_HEX >= 0x030C0000
        PyObject *r = PyObject_Vectorcall(cb, stack, 2, NULL);
#else
        PyObject *r = PyObject_CallFunction(cb, "OO", phase, info);
#endif
        if (r == NULL)
            PyErr_WriteUnraisable(cb);
        else
            Py_DECREF(r);
        Py_DECREF(cb);
    }
    Py_DECREF(cbs);
}

/* "start": the user's start callbacks, then vgc's collection; the collected generations then go
 * aside so that CPython's own pass runs on empty lists. */
static void vgc_hook_start(GCState *gcstate, PyObject *phase, PyObject *info, int generation)
{
    if (PyList_GET_SIZE(vgc.user_callbacks) != 0)
        vgc_invoke_user_callbacks(phase, info);
    vgc.pending_gen = generation;
    /* CPython chose `generation` by the same rule as the proved vgc_policy_select (or it was
     * asked for explicitly): compare, for every collection not started by vgc's own collect(). */
    if (vgc.explicit_depth == 0) {
        if (vgc_policy_choice(gcstate) == generation)
            vgc.policy_agreed++;
        else
            vgc.policy_differed++;
    }
    struct gc_generation_stats *st = &gcstate->generation_stats[generation];
    Py_ssize_t m = 0, n = 0;
    if (vgc_collect_main(gcstate, generation, &m, &n) < 0) {
        vgc.fallbacks++;
        vgc.saved_stats_collected = st->collected;
        vgc.saved_stats_uncollectable = st->uncollectable;
        vgc.pending = 2;                          /* CPython's collector does this one */
        return;
    }
    /* CPython's pass now runs on empty lists: move the collected generations aside. */
    for (int i = 0; i <= generation; i++) {
        gc_list_init(&vgc.aside[i]);
        gc_list_merge(GEN_HEAD(gcstate, i), &vgc.aside[i]);
    }
    for (int i = 0; i < NUM_GENERATIONS; i++)
        vgc.saved_count[i] = gcstate->generations[i].count;
    vgc.saved_long_lived_total = gcstate->long_lived_total;
    vgc.saved_long_lived_pending = gcstate->long_lived_pending;
    vgc.saved_stats_collected = st->collected;
    vgc.saved_stats_uncollectable = st->uncollectable;
    vgc.pending_m = m;
    vgc.pending_n = n;
    vgc.pending = 1;
}

/* CPython's validate_list, for every generation list as it must be whenever Python code can
 * run: doubly linked through its head, no COLLECTING bit, no NEXT_MASK_UNREACHABLE bit.  Run
 * after each collection in debug builds (Py_DEBUG), under VGC_VALIDATE=1 (the tests) and with
 * verification on; a broken list stops the process (the heap is corrupt: going on would free
 * or leak objects silently). */
static const char *vgc_list_problem(PyGC_Head *head)
{
    PyGC_Head *prev = head;
    for (PyGC_Head *gc = (PyGC_Head *)head->_gc_next; gc != head;
         prev = gc, gc = (PyGC_Head *)gc->_gc_next) {
        if (gc == NULL)
            return "a NULL next link";
        if (gc->_gc_next & 1)
            return "an object with NEXT_MASK_UNREACHABLE set";
        if (gc_is_collecting(gc))
            return "an object with the COLLECTING bit set";
        if (GC_PREV(gc) != prev)
            return "a prev link that is not the previous object";
    }
    if (GC_PREV(head) != prev)
        return "a head whose prev is not the last object";
    return NULL;
}

static void vgc_validate_lists(GCState *gcstate)
{
    for (int i = 0; i <= NUM_GENERATIONS; i++) {
        PyGC_Head *head = i < NUM_GENERATIONS ? GEN_HEAD(gcstate, i)
                                              : &gcstate->permanent_generation.head;
        const char *why = vgc_list_problem(head);
        if (why != NULL) {
            char msg[200];
            snprintf(msg, sizeof msg, "vgc: after collection %zd, the %s list has %s",
                     vgc.collections[0] + vgc.collections[1] + vgc.collections[2],
                     i == 0 ? "generation-0" : i == 1 ? "generation-1"
                     : i == 2 ? "generation-2" : "permanent", why);
            Py_FatalError(msg);
        }
    }
    vgc.validated++;
}

/* The end of the pending collection, at "stop" or, when CPython could not deliver "stop" (it
 * calls no callback when it cannot build the phase string or the info dict), at the next
 * entry that finds it pending (vgc_heal_lost_stop).  Puts the lists back, restores the counts
 * and long_lived_* that CPython's pass on empty lists changed, adds vgc's numbers to the stats.
 * Sets vgc.last_result (-1 after a fallback: CPython's own numbers stand). */
static void vgc_finish_pending(GCState *gcstate)
{
    int generation = vgc.pending_gen;
    struct gc_generation_stats *st = &gcstate->generation_stats[generation];
    Py_ssize_t cpython_found = (st->collected - vgc.saved_stats_collected)
                               + (st->uncollectable - vgc.saved_stats_uncollectable);
    if (vgc.pending == 2) {                       /* fallback: CPython's numbers stand */
        vgc.pending = 0;
        vgc.fallback_collected += cpython_found;
        vgc.last_result = -1;
        if (vgc.validate)
            vgc_validate_lists(gcstate);
        return;
    }
    vgc.pending = 0;
    vgc.cpython_collected += cpython_found;
    for (int i = 0; i <= generation; i++) {
        /* keep the order: what was aside first, then what arrived meanwhile */
        gc_list_merge(GEN_HEAD(gcstate, i), &vgc.aside[i]);
        gc_list_merge(&vgc.aside[i], GEN_HEAD(gcstate, i));
    }
    int arrived = gcstate->generations[0].count;  /* allocations since CPython's count update */
    for (int i = 0; i < NUM_GENERATIONS; i++)
        gcstate->generations[i].count = vgc.saved_count[i];
    gcstate->generations[0].count += arrived;
    gcstate->long_lived_total = vgc.saved_long_lived_total;
    gcstate->long_lived_pending = vgc.saved_long_lived_pending;
    st->collected += vgc.pending_m;
    st->uncollectable += vgc.pending_n;
    vgc.last_result = vgc.pending_m + vgc.pending_n;
    if (vgc.validate)
        vgc_validate_lists(gcstate);
}

/* Called at every entry that reads or changes the lists, counts or stats outside a collection:
 * a collection still pending there lost its "stop" (CPython's collecting flag is clear again),
 * so finish it now; stock gc calls no stop callback in that case either. */
static void vgc_heal_lost_stop(GCState *gcstate)
{
    if (vgc.pending && !gcstate->collecting && !vgc.in_start) {
        vgc.lost_stops++;
        vgc_finish_pending(gcstate);
    }
}

/* "stop": finish the collection, then the user's stop callbacks with vgc's figures, in the info
 * dict CPython built (a second dict would be one more allocation after the counts are restored:
 * get_count() would then differ from stock's by one after every collection). */
static void vgc_hook_stop(GCState *gcstate, PyObject *phase, PyObject *info)
{
    int was = vgc.pending;
    vgc_finish_pending(gcstate);
    if (was == 1) {
        PyObject *c = PyLong_FromSsize_t(vgc.pending_m);
        PyObject *u = PyLong_FromSsize_t(vgc.pending_n);
        if (c == NULL || u == NULL || PyDict_SetItemString(info, "collected", c) < 0
            || PyDict_SetItemString(info, "uncollectable", u) < 0) {
            Py_XDECREF(c);
            Py_XDECREF(u);
            PyErr_WriteUnraisable(NULL);          /* as CPython when it cannot build info */
            return;
        }
        Py_DECREF(c);
        Py_DECREF(u);
    }
    if (PyList_GET_SIZE(vgc.user_callbacks) != 0)
        vgc_invoke_user_callbacks(phase, info);
}

/* The one entry of gcstate->callbacks while installed: hook(phase, info).  CPython calls it
 * inside its collection (gcstate->collecting set); it is not reachable from Python code (an
 * untracked object in an untracked list), and any other call is ignored: no collection runs
 * outside CPython's collecting state, none nests, and nothing is read after uninstall(). */
static PyObject *vgc_hook_call(PyObject *phase, PyObject *info)
{
    GCState *gcstate = get_gc_state();
    if (!vgc.installed || !gcstate->collecting || vgc.in_start || !PyUnicode_Check(phase)
        || !PyDict_CheckExact(info))
        return Py_NewRef(Py_None);
    if (PyUnicode_CompareWithASCIIString(phase, "start") == 0) {
        /* a start while a collection is pending: that one's "stop" was lost */
        if (vgc.pending) {
            vgc.lost_stops++;
            vgc_finish_pending(gcstate);
        }
        PyObject *g = PyDict_GetItemString(info, "generation");
        int generation = g && PyLong_CheckExact(g) ? (int)PyLong_AsLong(g) : -1;
        if (generation < 0 || generation >= NUM_GENERATIONS) {
            PyErr_Clear();
            return Py_NewRef(Py_None);
        }
        vgc.in_start = 1;
        vgc_hook_start(gcstate, phase, info, generation);
        vgc.in_start = 0;
    }
    else if (vgc.pending) {
        vgc_hook_stop(gcstate, phase, info);
    }
    else {
        /* CPython collected without vgc seeing "start" (it could not build that call): its
         * own collector did this one; count it as a fallback. */
        PyObject *c = PyDict_GetItemString(info, "collected");
        PyObject *u = PyDict_GetItemString(info, "uncollectable");
        if (c != NULL && u != NULL) {
            vgc.fallbacks++;
            vgc.fallback_collected += PyLong_AsSsize_t(c) + PyLong_AsSsize_t(u);
            PyErr_Clear();
        }
        if (PyList_GET_SIZE(vgc.user_callbacks) != 0)
            vgc_invoke_user_callbacks(phase, info);
    }
    return Py_NewRef(Py_None);
}

/* The hook is an instance of a small non-GC type with its own vectorcall: CPython calls it
 * through PyObject_Vectorcall / PyObject_CallFunction, which for such an object skip the
 * recursion-limit check a builtin function's call makes.  So a collection near the recursion
 * limit reaches vgc exactly where stock's collection would run (3.11: within a few frames of the
 * limit a builtin hook was refused with RecursionError, and CPython's own pass then freed the
 * garbage without running finalizers), and the user's callbacks and finalizers run at stock's
 * depth. */
typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
} vgc_hook_object;

static PyObject *vgc_hook_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                                     PyObject *kwnames)
{
    (void)self;
    if (PyVectorcall_NARGS(nargsf) != 2 || kwnames != NULL)
        return Py_NewRef(Py_None);
    return vgc_hook_call(args[0], args[1]);
}

static void vgc_hook_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_Free(self);
    Py_DECREF(tp);
}

static PyMemberDef vgc_hook_members[] = {
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(vgc_hook_object, vectorcall), READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

static PyType_Slot vgc_hook_slots[] = {
    {Py_tp_dealloc, vgc_hook_dealloc},
    {Py_tp_call, PyVectorcall_Call},
    {Py_tp_members, vgc_hook_members},
    {Py_tp_doc, "vgc's collection trigger (internal)."},
    {0, NULL}
};

static PyType_Spec vgc_hook_spec = {
    "vgc._vgc._Hook", sizeof(vgc_hook_object), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    vgc_hook_slots
};

static PyObject *vgc_hook_new(void)
{
    vgc_hook_object *h = PyObject_New(vgc_hook_object, (PyTypeObject *)vgc.hook_type);
    if (h != NULL)
        h->vectorcall = vgc_hook_vectorcall;
    return (PyObject *)h;
}

/* ---- module functions: install / status ------------------------------------------------- */

static PyObject *py_install(PyObject *module, PyObject *unused)
{
    (void)unused;
    if (_PyInterpreterState_GET() != PyInterpreterState_Main()) {   /* checked first */
        PyErr_SetString(PyExc_RuntimeError, "vgc can only be installed in the main interpreter");
        return NULL;
    }
    if (vgc.layout_error != NULL && !vgc_layout_override()) {
        PyErr_Format(PyExc_RuntimeError, "%s (set VGC_IGNORE_LAYOUT=1 to install anyway, at "
                     "your own risk)", vgc.layout_error);
        return NULL;
    }
    if (vgc.installed)
        Py_RETURN_FALSE;
    GCState *gcstate = get_gc_state();
    if (gcstate->collecting) {
        /* CPython is iterating over gcstate->callbacks (a finalizer, weakref callback or gc
         * callback called install()): swapping the list now would skip/repeat callbacks. */
        PyErr_SetString(PyExc_RuntimeError, "vgc: cannot install during a collection");
        return NULL;
    }
    if (gcstate->callbacks == NULL || !PyList_CheckExact(gcstate->callbacks)) {
        PyErr_SetString(PyExc_RuntimeError, "vgc: the gc state has no callbacks list");
        return NULL;
    }
    PyObject *hook = vgc_hook_new();
    if (hook == NULL)
        return NULL;
    PyObject *list = PyList_New(1);
    if (list == NULL) {
        Py_DECREF(hook);
        return NULL;
    }
    PyList_SET_ITEM(list, 0, hook);
    /* vgc's own objects stay out of the tracked heap: gc.get_objects() and DEBUG_STATS's
     * generation sizes are stock's, and nothing in Python can reach the hook. */
    PyObject_GC_UnTrack(list);
    if (gcstate->generations[0].count > 0)        /* nor in the allocation count */
        gcstate->generations[0].count--;
    vgc.user_callbacks = gcstate->callbacks;      /* takes over gcstate's reference */
    vgc.hook_list = list;
    gcstate->callbacks = Py_NewRef(list);
    vgc.stats_flag = gcstate->debug & DEBUG_STATS;
    gcstate->debug &= ~DEBUG_STATS;               /* vgc prints the statistics */
    memset(vgc.collections, 0, sizeof vgc.collections);
    vgc.collected = vgc.uncollectable = vgc.fallbacks = vgc.cpython_collected = 0;
    vgc.fallback_collected = vgc.lost_stops = vgc.validated = 0;
#ifdef Py_DEBUG
    vgc.validate = 1;
#else
    const char *v = getenv("VGC_VALIDATE");
    vgc.validate = v != NULL && v[0] == '1';
#endif
    vgc.peak_bytes = vgc_arena_bytes();
    vgc.policy_agreed = vgc.policy_differed = 0;
    vgc.inconsistent = 0;
    vgc.pause_total = vgc.pause_max = 0.0;
    vgc.pending = 0;
    vgc.installed = 1;
    Py_RETURN_TRUE;
}

static PyObject *py_uninstall(PyObject *module, PyObject *unused)
{
    (void)module; (void)unused;
    if (!vgc.installed)
        Py_RETURN_FALSE;
    GCState *gcstate = get_gc_state();
    vgc_heal_lost_stop(gcstate);
    /* gcstate->collecting too: a user "start" callback or a finalizer runs before vgc.pending
     * is set, and uninstalling then left the collected generations aside for good (the "stop"
     * call no longer reached the hook). */
    if (vgc.pending || gcstate->collecting) {
        PyErr_SetString(PyExc_RuntimeError, "vgc: cannot uninstall during a collection");
        return NULL;
    }
    PyObject *hooks = gcstate->callbacks;
    gcstate->callbacks = vgc.user_callbacks;      /* gives the reference back */
    vgc.user_callbacks = NULL;
    Py_XDECREF(hooks);
    Py_CLEAR(vgc.hook_list);
    gcstate->debug |= vgc.stats_flag;
    vgc.stats_flag = 0;
    vgc.installed = 0;
    vgc_arena_release();
    Py_RETURN_TRUE;
}

static PyObject *py_status(PyObject *module, PyObject *unused)
{
    (void)module; (void)unused;
    if (vgc.installed)
        vgc_heal_lost_stop(get_gc_state());
    return Py_BuildValue("{sOs(nnn)snsnsnsnsnsnsnsdsdsssnsnsnsnsnsnsnsnsn}",
                         "installed", vgc.installed ? Py_True : Py_False,
                         "collections", vgc.collections[0], vgc.collections[1],
                         vgc.collections[2],
                         "collected", vgc.collected, "uncollectable", vgc.uncollectable,
                         "fallbacks", vgc.fallbacks, "cpython_collected", vgc.cpython_collected,
                         "inconsistent", vgc.inconsistent,
                         "policy_agreed", vgc.policy_agreed,
                         "policy_differed", vgc.policy_differed,
                         "pause_total", vgc.pause_total, "pause_max", vgc.pause_max,
                         "core_version", VGC_CORE_VERSION,
                         "snapshot_objects", vgc.snapshot_objects,
                         "snapshot_edges", vgc.snapshot_edges,
                         "snapshot_bytes", vgc.snapshot_bytes,
                         "arena_bytes", (Py_ssize_t)vgc_arena_bytes(),
                         "kept_bytes", (Py_ssize_t)vgc_arena_bytes(),
                         "peak_bytes", (Py_ssize_t)vgc.peak_bytes,
                         "fallback_collected", vgc.fallback_collected,
                         "lost_stops", vgc.lost_stops,
                         "validated", vgc.validated);
}

static PyObject *py_fail_alloc_after(PyObject *module, PyObject *arg)
{
    (void)module;
    long k = PyLong_AsLong(arg);
    if (k == -1 && PyErr_Occurred())
        return NULL;
    vgc.fail_alloc_after = k;
    Py_RETURN_NONE;
}

/* Test hook: the most internal references a snapshot may hold (0: UINT32_MAX, the core's
 * limit); a collection whose snapshot would need more is CPython's (a fallback). */
static PyObject *py_set_edge_limit(PyObject *module, PyObject *arg)
{
    (void)module;
    size_t k = PyLong_AsSize_t(arg);
    if (k == (size_t)-1 && PyErr_Occurred())
        return NULL;
    vgc.edge_limit = k;
    Py_RETURN_NONE;
}

/* Test hook: free the snapshot arena now (not during a collection), so that the next collection
 * allocates every buffer again: the allocation-failure tests need allocations to fail. */
static PyObject *py_arena_release(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    if (get_gc_state()->collecting) {
        PyErr_SetString(PyExc_RuntimeError, "_arena_release() during a collection");
        return NULL;
    }
    vgc_arena_release();
    Py_RETURN_NONE;
}

/* Test hook: the number of allocation points so far (snapshot buffers taken, allocated or
 * buffers reused from the arena, the same unit as _set_alloc_fail); _alloc_count(True) also resets
 * it to 0 (returning the value before).  With _set_alloc_fail(k) (= _fail_alloc_after) this
 * lets tests fail every k in 1.._alloc_count() of one collection. */
static PyObject *py_alloc_count(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs > 1) {
        PyErr_SetString(PyExc_TypeError, "_alloc_count([reset])");
        return NULL;
    }
    long n = vgc.alloc_count;
    if (nargs == 1) {
        int reset = PyObject_IsTrue(args[0]);
        if (reset < 0)
            return NULL;
        if (reset)
            vgc.alloc_count = 0;
    }
    return PyLong_FromLong(n);
}

/* ---- the gc API -------------------------------------------------------------------------- */

/* The generation argument of collect(), from a vectorcall: the common forms directly, anything
 * else through PyArg_ParseTupleAndKeywords for gc's own error messages.  0 or -1. */
static int collect_arg(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                       PyObject **genobj)
{
    *genobj = NULL;
    if (kwnames == NULL && nargs <= 1) {
        if (nargs == 1)
            *genobj = args[0];
        return 0;
    }
    static char *kwlist[] = {"generation", NULL};
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    PyObject *tuple = PyTuple_New(nargs), *dict = nkw ? PyDict_New() : NULL;
    int rc = -1;
    if (tuple == NULL || (nkw && dict == NULL))
        goto done;
    for (Py_ssize_t i = 0; i < nargs; i++)
        PyTuple_SET_ITEM(tuple, i, Py_NewRef(args[i]));
    for (Py_ssize_t i = 0; i < nkw; i++)
        if (PyDict_SetItem(dict, PyTuple_GET_ITEM(kwnames, i), args[nargs + i]) < 0)
            goto done;
    PyObject *g = NULL;
    if (PyArg_ParseTupleAndKeywords(tuple, dict, "|O:collect", kwlist, &g)) {
        *genobj = g;          /* borrowed from args: tuple/dict only add references */
        rc = 0;
    }
done:
    Py_XDECREF(tuple);
    Py_XDECREF(dict);
    return rc;
}

/* METH_FASTCALL | METH_KEYWORDS, as gc.collect: Python code then calls it without a recursion
 * level (3.11's specialised builtin call), so a collection near the recursion limit runs its
 * finalizers and callbacks at stock's depth. */
static PyObject *py_collect(PyObject *m, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames)
{
    (void)m;
    int generation = NUM_GENERATIONS - 1;
    PyObject *genobj = NULL;
    if (collect_arg(args, nargs, kwnames, &genobj) < 0)
        return NULL;
    if (genobj != NULL) {
        /* as gc.collect's clinic `int` converter (not "i"): same OverflowError message */
#if PY_VERSION_HEX >= 0x030D0000
        generation = PyLong_AsInt(genobj);
#else
        generation = _PyLong_AsInt(genobj);
#endif
        if (generation == -1 && PyErr_Occurred())
            return NULL;
    }
    if (generation < 0 || generation >= NUM_GENERATIONS) {
        PyErr_SetString(PyExc_ValueError, "invalid generation");
        return NULL;
    }
    GCState *gcstate = get_gc_state();
    if (gcstate->collecting)
        return PyLong_FromLong(0);                /* already collecting */
    if (vgc.installed)
        vgc_heal_lost_stop(gcstate);
    /* gc.collect's own C function, called directly: a Python-level call would take one more
     * recursion level than stock's gc.collect() (see vgc_hook_vectorcall). */
    PyObject *genarg = PyLong_FromLong(generation);
    if (genarg == NULL)
        return NULL;
    vgc.last_result = -1;
    vgc.explicit_depth++;
    PyObject *r = ((_PyCFunctionFastWithKeywords)(void (*)(void))
                   PyCFunction_GET_FUNCTION(vgc.orig_collect))(
                       PyCFunction_GET_SELF(vgc.orig_collect), &genarg, 1, NULL);
    vgc.explicit_depth--;
    Py_DECREF(genarg);
    if (r == NULL || !vgc.installed)
        return r;
    vgc_heal_lost_stop(gcstate);                  /* "stop" lost: the result is still vgc's */
    if (vgc.last_result < 0)
        return r;                                 /* CPython's collector did this one */
    Py_DECREF(r);
    return PyLong_FromSsize_t(vgc.last_result);
}

static PyObject *py_set_debug(PyObject *m, PyObject *arg)
{
    (void)m;
#if PY_VERSION_HEX >= 0x030D0000
    int flags = PyLong_AsInt(arg);
#else
    int flags = _PyLong_AsInt(arg);
#endif
    if (flags == -1 && PyErr_Occurred())
        return NULL;
    GCState *gcstate = get_gc_state();
    if (vgc.installed) {
        vgc.stats_flag = flags & DEBUG_STATS;
        gcstate->debug = flags & ~DEBUG_STATS;
    }
    else {
        gcstate->debug = flags;
    }
    Py_RETURN_NONE;
}

static PyObject *py_get_debug(PyObject *m, PyObject *u)
{
    (void)m; (void)u;
    return PyLong_FromLong(vgc_debug_flags(get_gc_state()));
}

/* ---- the rest of the gc API: stock's own functions -----------------------------------------
 * Between collections the generation lists, counts and stats are CPython's own (the hook puts
 * them back before any user code runs), so the rest of the gc API is the stock module's
 * functions: vgc/__init__.py re-exports those that read nothing vgc may hold aside (enable,
 * disable, isenabled, get/set_threshold, get_referents, is_tracked, is_finalized).  The ones
 * below read or move the lists, counts or stats; vgc's versions first finish a collection whose
 * "stop" was lost (vgc_heal_lost_stop), then call stock's C function directly (no extra
 * recursion level, stock's argument handling, messages and audit events). */
static const char *const vgc_forwarded_names[] = {
    "get_objects", "get_referrers", "get_count", "get_stats", "freeze", "unfreeze",
    "get_freeze_count",
};
#define N_FORWARDED (sizeof vgc_forwarded_names / sizeof vgc_forwarded_names[0])
static PyMethodDef vgc_forwarded_defs[N_FORWARDED];

static PyObject *vgc_forward(PyObject *stockfn, PyObject *const *args, Py_ssize_t nargs,
                             PyObject *kwnames)
{
    vgc_api_state();
    PyCFunction meth = PyCFunction_GET_FUNCTION(stockfn);
    PyObject *self = PyCFunction_GET_SELF(stockfn);
    int flags = PyCFunction_GET_FLAGS(stockfn) & ~(METH_CLASS | METH_STATIC | METH_COEXIST);
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    switch (flags) {
    case METH_NOARGS:
        if (nargs == 0 && nkw == 0)
            return meth(self, NULL);
        break;
    case METH_O:
        if (nargs == 1 && nkw == 0)
            return meth(self, args[0]);
        break;
    case METH_VARARGS:
        if (nkw == 0) {
            PyObject *t = PyTuple_New(nargs);
            if (t == NULL)
                return NULL;
            for (Py_ssize_t i = 0; i < nargs; i++)
                PyTuple_SET_ITEM(t, i, Py_NewRef(args[i]));
            PyObject *r = meth(self, t);
            Py_DECREF(t);
            return r;
        }
        break;
    case METH_FASTCALL:
        if (nkw == 0)
            return ((_PyCFunctionFast)(void (*)(void))meth)(self, args, nargs);
        break;
    case METH_FASTCALL | METH_KEYWORDS:
        return ((_PyCFunctionFastWithKeywords)(void (*)(void))meth)(self, args, nargs, kwnames);
    default:
        break;
    }
    /* any other form of call: stock's own call path raises stock's error */
    return PyObject_Vectorcall(stockfn, args, (size_t)nargs, kwnames);
}

/* Publishes vgc's forwarder of each function of vgc_forwarded_names on the module. */
static int vgc_add_forwarders(PyObject *module, PyObject *gc)
{
    for (size_t i = 0; i < N_FORWARDED; i++) {
        PyObject *stockfn = PyObject_GetAttrString(gc, vgc_forwarded_names[i]);
        if (stockfn == NULL)
            return -1;
        if (!PyCFunction_Check(stockfn)) {
            Py_DECREF(stockfn);
            PyErr_Format(PyExc_ImportError, "vgc: gc.%s is not CPython's builtin",
                         vgc_forwarded_names[i]);
            return -1;
        }
        PyMethodDef *def = &vgc_forwarded_defs[i];
        def->ml_name = vgc_forwarded_names[i];
        def->ml_meth = (PyCFunction)(void (*)(void))vgc_forward;
        def->ml_flags = METH_FASTCALL | METH_KEYWORDS;
        def->ml_doc = ((PyCFunctionObject *)stockfn)->m_ml->ml_doc;
        PyObject *fn = PyCFunction_NewEx(def, stockfn, NULL);
        Py_DECREF(stockfn);
        if (fn == NULL || PyModule_AddObjectRef(module, vgc_forwarded_names[i], fn) < 0) {
            Py_XDECREF(fn);
            return -1;
        }
        Py_DECREF(fn);
    }
    return 0;
}

#define NOARGS(name, fn, doc) {name, (PyCFunction)(fn), METH_NOARGS, doc}
static PyMethodDef vgc_methods[] = {
    {"collect", (PyCFunction)(void (*)(void))py_collect, METH_FASTCALL | METH_KEYWORDS,
     "collect($module, /, generation=2)\n--\n\nRun the garbage collector (vgc's proved core "
     "decides reachability).\n\nWith no arguments, run a full collection.  The optional argument\n"
     "may be an integer specifying which generation to collect.  A ValueError\n"
     "is raised if the generation number is invalid.\n\n"
     "The number of unreachable objects is returned."},
    {"set_debug", py_set_debug, METH_O,
     "set_debug($module, flags, /)\n--\n\nSet the garbage collection debugging flags.\n\n"
     "  flags\n    An integer that can have the following bits turned on:\n"
     "      DEBUG_STATS - Print statistics during collection.\n"
     "      DEBUG_COLLECTABLE - Print collectable objects found.\n"
     "      DEBUG_UNCOLLECTABLE - Print unreachable but uncollectable objects found.\n"
     "      DEBUG_SAVEALL - Save objects to gc.garbage rather than freeing them.\n"
     "      DEBUG_LEAK - Debug leaking programs (everything but STATS).\n\n"
     "Debugging information is written to sys.stderr."},
    NOARGS("get_debug", py_get_debug,
           "get_debug($module, /)\n--\n\nGet the garbage collection debugging flags."),
    NOARGS("_install", py_install, "Install the collection hook; False if already installed."),
    NOARGS("_uninstall", py_uninstall, "Remove the collection hook; False if not installed."),
    NOARGS("_status", py_status, "vgc's counters since install (see vgc.status())."),
    {"_fail_alloc_after", py_fail_alloc_after, METH_O,
     "Test hook: make the k-th snapshot allocation fail (0 disables)."},
    {"_set_alloc_fail", py_fail_alloc_after, METH_O,
     "Test hook: make the k-th allocation from now fail (0 disables); = _fail_alloc_after."},
    {"_set_edge_limit", py_set_edge_limit, METH_O,
     "Test hook: the most internal references a snapshot may hold (0: UINT32_MAX)."},
    NOARGS("_arena_release", py_arena_release,
           "Test hook: free the snapshot buffers kept between collections."),
    {"_alloc_count", (PyCFunction)(void (*)(void))py_alloc_count, METH_FASTCALL,
     "Test hook: snapshot allocation points so far; _alloc_count(True) resets the count."},
    {NULL, NULL, 0, NULL}
};

/* Py_FinalizeEx's last step (Py_AtExit): the interpreter and its objects are gone.  A host
 * that calls Py_Initialize() again imports vgc afresh (multi-phase init runs vgc_exec again),
 * so the process-wide state must not outlive the interpreter it describes: drop it (the
 * snapshot arena is raw memory and is freed). */
static void vgc_atexit(void)
{
    vgc_arena_release();
    memset(&vgc, 0, sizeof vgc);
}

static int vgc_layout_override(void)
{
    const char *v = getenv("VGC_IGNORE_LAYOUT");
    return v != NULL && v[0] == '1';
}

/* A doubly linked list head as CPython leaves it between collections. */
static int vgc_head_ok(PyGC_Head *h)
{
    PyGC_Head *next = GC_NEXT(h), *prev = GC_PREV(h);
    return next != NULL && prev != NULL && GC_PREV(next) == h && GC_NEXT(prev) == h;
}

/* The checks made before anything of the gc state is read for use: this binary is compiled
 * against one CPython release's internal struct layout (pycore_gc.h, pycore_interp.h), which
 * is not part of any ABI.  Returns NULL when the running interpreter is that release and its gc
 * state looks as expected, else why not (install() then refuses). */
static const char *vgc_check_layout(PyObject *gc)
{
    static char msg[200];
    if ((Py_Version >> 8) != (PY_VERSION_HEX >> 8)) {
        snprintf(msg, sizeof msg, "vgc._vgc was compiled for CPython %d.%d.%d but runs on "
                 "CPython %lu.%lu.%lu; rebuild vgc for this interpreter",
                 PY_MAJOR_VERSION, PY_MINOR_VERSION, PY_MICRO_VERSION,
                 (unsigned long)(Py_Version >> 24), (unsigned long)((Py_Version >> 16) & 0xFF),
                 (unsigned long)((Py_Version >> 8) & 0xFF));
        return msg;
    }
    GCState *gcstate = get_gc_state();
    const char *what = NULL;
    PyObject *garbage = PyObject_GetAttrString(gc, "garbage");
    PyObject *callbacks = PyObject_GetAttrString(gc, "callbacks");
    PyObject *thr = PyObject_CallMethod(gc, "get_threshold", NULL);
    if (garbage == NULL || callbacks == NULL || thr == NULL || !PyTuple_Check(thr)
        || PyTuple_GET_SIZE(thr) != NUM_GENERATIONS) {
        PyErr_Clear();
        what = "gc.garbage, gc.callbacks or gc.get_threshold() missing";
    }
    else if (gcstate->garbage != garbage)
        what = "gc.garbage";
    else if (gcstate->callbacks != callbacks && !vgc.installed)
        what = "gc.callbacks";
    else if (gcstate->generation0 != GEN_HEAD(gcstate, 0))
        what = "generation 0's head";
    else {
        for (int i = 0; i < NUM_GENERATIONS && what == NULL; i++) {
            long t = PyLong_AsLong(PyTuple_GET_ITEM(thr, i));
            if (t != gcstate->generations[i].threshold || !vgc_head_ok(GEN_HEAD(gcstate, i)))
                what = "a generation's threshold or list head";
        }
        if (what == NULL && !vgc_head_ok(&gcstate->permanent_generation.head))
            what = "the permanent generation's list head";
        PyErr_Clear();
    }
    Py_XDECREF(garbage);
    Py_XDECREF(callbacks);
    Py_XDECREF(thr);
    if (what == NULL)
        return NULL;
    snprintf(msg, sizeof msg, "the gc state of this CPython %d.%d.%d does not have the layout "
             "vgc._vgc was compiled for (%s differs)", PY_MAJOR_VERSION, PY_MINOR_VERSION,
             PY_MICRO_VERSION, what);
    return msg;
}

static int vgc_exec(PyObject *module)
{
    /* The module state (vgc, orig_collect, the hook) is process-wide and belongs to the main
     * interpreter: loaded in a subinterpreter, install() returned False there once the main
     * interpreter had installed vgc, collect() returned the main interpreter's numbers and
     * `callbacks` was the main interpreter's list.  Refuse to load instead (vgc/__init__.py then
     * keeps `import vgc` working and install() raises RuntimeError with this reason). */
    if (_PyInterpreterState_GET() != PyInterpreterState_Main()) {
        PyErr_SetString(PyExc_ImportError, "vgc can only be installed in the main interpreter "
                        "(vgc._vgc cannot be loaded in a subinterpreter)");
        return -1;
    }
    if (!vgc.atexit_registered) {
        if (Py_AtExit(vgc_atexit) < 0) {
            PyErr_SetString(PyExc_ImportError, "vgc: no room for its Py_AtExit function");
            return -1;
        }
        vgc.atexit_registered = 1;
    }
    PyObject *gc = PyImport_ImportModule("gc");
    if (gc == NULL)
        return -1;
    if (!vgc.installed)
        vgc.layout_error = vgc_check_layout(gc);
    if (vgc.orig_collect == NULL) {
        vgc.orig_collect = PyObject_GetAttrString(gc, "collect");
        if (vgc.orig_collect == NULL || !PyCFunction_Check(vgc.orig_collect)
            || PyCFunction_GET_FLAGS(vgc.orig_collect) != (METH_FASTCALL | METH_KEYWORDS)) {
            Py_DECREF(gc);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ImportError, "vgc._vgc must be imported before install() "
                                "(gc.collect is not CPython's builtin)");
            Py_CLEAR(vgc.orig_collect);
            return -1;
        }
    }
    if (vgc.hook_type == NULL) {
        vgc.hook_type = PyType_FromSpec(&vgc_hook_spec);
        if (vgc.hook_type == NULL) {
            Py_DECREF(gc);
            return -1;
        }
    }
    /* Published from the stock module, not read from the gc state, which is only trusted once
     * vgc_check_layout passed (they are the same objects then). */
    PyObject *garbage = PyObject_GetAttrString(gc, "garbage");
    PyObject *cbs = vgc.installed ? Py_NewRef(vgc.user_callbacks)
                                  : PyObject_GetAttrString(gc, "callbacks");
    PyObject *layout = vgc.layout_error ? PyUnicode_FromString(vgc.layout_error)
                                        : Py_NewRef(Py_None);
    int bad = garbage == NULL || cbs == NULL || layout == NULL ||
        PyModule_AddObjectRef(module, "garbage", garbage) < 0 ||
        PyModule_AddObjectRef(module, "callbacks", cbs) < 0 ||
        PyModule_AddObjectRef(module, "_stock_gc", gc) < 0 ||
        vgc_add_forwarders(module, gc) < 0 ||
        PyModule_AddObjectRef(module, "_layout_error", layout) < 0 ||
        PyModule_AddIntConstant(module, "DEBUG_STATS", DEBUG_STATS) < 0 ||
        PyModule_AddIntConstant(module, "DEBUG_COLLECTABLE", DEBUG_COLLECTABLE) < 0 ||
        PyModule_AddIntConstant(module, "DEBUG_UNCOLLECTABLE", DEBUG_UNCOLLECTABLE) < 0 ||
        PyModule_AddIntConstant(module, "DEBUG_SAVEALL", DEBUG_SAVEALL) < 0 ||
        PyModule_AddIntConstant(module, "DEBUG_LEAK", DEBUG_LEAK) < 0 ||
        PyModule_AddIntConstant(module, "compiled_for", PY_VERSION_HEX) < 0 ||
        PyModule_AddStringConstant(module, "core_version", VGC_CORE_VERSION) < 0;
    Py_XDECREF(garbage);
    Py_XDECREF(cbs);
    Py_XDECREF(layout);
    Py_DECREF(gc);
    return bad ? -1 : 0;
}

static PyModuleDef_Slot vgc_slots[] = {
    {Py_mod_exec, vgc_exec},
    {0, NULL}
};

static struct PyModuleDef vgc_module = {
    PyModuleDef_HEAD_INIT, "vgc._vgc",
    "vgc's CPython glue: the gc API with the proved core deciding reachability.",
    0, vgc_methods, vgc_slots, NULL, NULL, NULL
};

PyMODINIT_FUNC PyInit__vgc(void)
{
    return PyModuleDef_Init(&vgc_module);
}
