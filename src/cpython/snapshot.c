/* snapshot.c — the snapshot and the rebuild of the lists (deduce_unreachable's twin).
 * TRUSTED, NOT PROVED: numbers the objects of a generation list (index in _gc_prev), records
 * refcounts and tp_traverse edges (CSR) into the snapshot arena, calls the proved core
 * (src/vgc_core.c through include/vgc_core.h) and the proved replay of the list order CPython's
 * move_unreachable would leave (src/vgc_replay.c), and relinks every object into exactly one
 * list.  No Python code runs in here.
 */
#include "vgc_cpython.h"

/* ---- the snapshot arena ------------------------------------------------------------------ */

/* The snapshot's arrays.  Between collections vgc keeps at most VGC_KEEP_BYTES of them (a young
 * collection's buffers, which the next young collection reuses); a bigger set (a collection of
 * a big old generation) is given back as soon as its collection is done, so that what stays
 * resident between collections is what stock gc keeps (nothing).  Buffers of VGC_MMAP_MIN bytes
 * or more are mapped directly: glibc keeps a big freed block in its heap once its dynamic mmap
 * threshold has risen past it, and RSS would not come down (measured, bench/README.md); a
 * mapped buffer grows by mremap, without a copy and without holding old and new at once.  A
 * collection whose buffers will be kept maps them as they are (4 KiB pages, faulted once); one
 * whose buffers will be given back maps them in 2 MiB huge-page units (arena_small).
 * status()["kept_bytes"] is what is held now, ["peak_bytes"] the most ever held.  Capacities are
 * in bytes. */
#define VGC_KEEP_BYTES ((size_t)1 << 20)
#define VGC_MMAP_MIN   ((size_t)256 << 10)

typedef struct {
    void *p;
    size_t cap;
    int mapped;                       /* p came from mmap (else from PyMem_RawMalloc) */
} vgc_buf_t;

/* Two buffers: `objs` holds the four per-object arrays one after the other (their roles: the
 * comment above vgc_deduce_unreachable), `targets` the edges.  One buffer for the per-object arrays, not four: each
 * buffer's last huge page is faulted in whole (vgc_advise_huge), and 1 MiB arrays (the flags of
 * a 1M-object heap) would each have cost up to a 2 MiB page. */
static struct {
    vgc_buf_t objs, targets;          /* roles: see vgc_deduce_unreachable */
} arena;

#define ARENA_BUFS(a) {&(a).objs, &(a).targets}

size_t vgc_arena_bytes(void)
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

void vgc_arena_release(void)
{
    vgc_buf_t *bufs[] = ARENA_BUFS(arena);
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        vgc_buf_free(bufs[i]);
}

/* After a collection: keep the buffers only when they are small (see VGC_KEEP_BYTES). */
void vgc_arena_trim(void)
{
    if (!vgc.keep_buffers && vgc_arena_bytes() > VGC_KEEP_BYTES)
        vgc_arena_release();
}

/* A mapping of *cap bytes, *cap rounded up to whole 2 MiB units, starting on a 2 MiB boundary,
 * so that transparent huge pages can back it (see vgc_advise_huge): a collection of a big heap
 * then takes a few page faults per buffer instead of thousands (a fault of a fresh 4 KiB page
 * cost ~25-56 us on the paravirtualised development machine; with huge pages ~0.3-1.5 us per
 * 4 KiB: `make bench-repeat`, README "Memory"). */
#define VGC_HUGE ((size_t)2 << 20)

/* 1 while the current collection's buffers fit in VGC_KEEP_BYTES, so are kept after it and
 * reused by the next collections: they are then mapped as they are, on 4 KiB pages, faulted in
 * once (huge pages would make each buffer 2 MiB, over the keep limit, so the buffers would be
 * mapped, faulted and zeroed again at every collection: 3.13's young collections of ~24k objects
 * in bench/workloads.py's steady loop, with gen0's threshold of 2000, did that 85 times).  Set by
 * vgc_deduce_unreachable before it takes its buffers. */
static int arena_small;

static void *vgc_map(size_t *capp)
{
    if (arena_small) {                /* *capp is a multiple of 4 KiB (vgc_arena_capacity) */
        void *q = mmap(NULL, *capp, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return q == MAP_FAILED ? NULL : q;
    }
    size_t cap = (*capp + VGC_HUGE - 1) & ~(VGC_HUGE - 1);
    *capp = cap;
    size_t len = cap + VGC_HUGE;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    char *a = (char *)(((uintptr_t)p + VGC_HUGE - 1) & ~(uintptr_t)(VGC_HUGE - 1));
    if (a > p)
        munmap(p, (size_t)(a - p));
    if (p + len > a + cap)
        munmap(a + cap, (size_t)(p + len - (a + cap)));
    return a;
}

/* Ask for huge pages on the whole of mapped buffer p (cap bytes, whole 2 MiB units: vgc_map),
 * for a collection whose buffers are given back after it (!arena_small).  A huge page is faulted
 * in whole on its first touch, so the last, partly used unit costs up to 2 MiB of RSS while the
 * collection runs (nothing is kept after it).  The rule before (huge pages only on units at
 * least half used) left the rest on 4 KiB pages, and a fresh 4 KiB page costs 20-56 us on the
 * development machine (bench/pagefault.c) against ~0.3 us per 4 KiB with huge pages: a buffer
 * under 1 MiB and the tail of a bigger one took up to 256 such faults at every collection — a
 * 41k-object full collection took 10.9 ms against 6.5 ms with the buffers kept (3.11.7; `make
 * bench` before: full_collect_10k 1.82x stock, pyperf_gc_collect 2.20x, micro_10k 1.62x). */
static void vgc_advise_huge(void *p, size_t cap)
{
#ifdef MADV_HUGEPAGE
    if (cap > 0)
        madvise(p, cap, MADV_HUGEPAGE);
#else
    (void)p; (void)cap;
#endif
}

/* One allocation point of the _fail_alloc_after test hook: 1 when this one is to fail. */
int vgc_alloc_fails(void)
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
    if (bytes > VGC_NEED_MAX)                         /* vgc_arena_capacity's precondition */
        return NULL;
    size_t cap = vgc_arena_capacity(bytes, b->cap, b == &arena.targets, VGC_MMAP_MIN);
    void *p;
    /* The edges outgrew a kept-size arena (more edges per object than foreseen): the arena is
     * given back after this collection, so the grown buffer is mapped anew in huge-page units
     * (its contents copied, at most VGC_KEEP_BYTES) instead of growing on 4 KiB pages. */
    if (arena_small && cap + (b == &arena.targets ? arena.objs.cap : arena.targets.cap)
                       > VGC_KEEP_BYTES)
        arena_small = 0;
    else {
#ifdef MREMAP_MAYMOVE
    if (keep && b->mapped) {
        p = mremap(b->p, b->cap, cap, MREMAP_MAYMOVE);
        if (p == MAP_FAILED)
            return NULL;
        if (!arena_small)
            vgc_advise_huge(p, cap);
        b->p = p;
        b->cap = cap;
        return p;
    }
#endif
    }
    int mapped = cap >= VGC_MMAP_MIN;
    if (mapped) {
        p = vgc_map(&cap);
        /* Advised whole (vgc_advise_huge); the edge buffer must be anyway: it grows by mremap,
         * which fails (EFAULT) on a range that spans two mappings with different flags.  Not
         * when the buffers are to be kept (arena_small). */
        if (p != NULL && !arena_small)
            vgc_advise_huge(p, cap);
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

/* The capacity buffer b has after vgc_buf_take(b, bytes, .) (SIZE_MAX when it cannot grow). */
static size_t vgc_buf_cap_after(const vgc_buf_t *b, size_t bytes)
{
    if (bytes <= b->cap)
        return b->cap;
    if (bytes > VGC_NEED_MAX)
        return SIZE_MAX;
    return vgc_arena_capacity(bytes, b->cap, b == &arena.targets, VGC_MMAP_MIN);
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
    return vgc_edge_capacity(SIZE_MAX, vgc.edge_limit);      /* proved: <= UINT32_MAX */
}

static size_t vgc_edge_cap(void)
{
    return vgc_edge_capacity(arena.targets.cap, vgc.edge_limit);
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


/* An object that tp_traverse reports more references to than its refcount (gc_refs < 0 after
 * phase 1) means a bug in the C type of one of its referrers; CPython's release builds say
 * nothing.  Count each such reference by "referrer type -> object type" in
 * status()["inconsistent_types"] (the core keeps the object alive: T6).  Rare: two walks over
 * the snapshot and a table of the inconsistent objects' types, only when there are some. */
void vgc_count_inconsistent(PyTypeObject *from, PyTypeObject *to)
{
    PyObject *key = PyUnicode_FromFormat("%s -> %s", from->tp_name, to->tp_name);
    PyObject *old = key ? PyDict_GetItemWithError(vgc.inconsistent_types, key) : NULL;
    PyObject *cnt = key && !PyErr_Occurred()
                    ? PyLong_FromSsize_t((old ? PyLong_AsSsize_t(old) : 0) + 1) : NULL;
    if (cnt == NULL || PyDict_SetItem(vgc.inconsistent_types, key, cnt) < 0)
        PyErr_Clear();
    Py_XDECREF(key);
    Py_XDECREF(cnt);
}

static void vgc_report_inconsistent(PyGC_Head *base, const int64_t *gc_refs, int32_t n,
                                    const uint32_t *offsets, const uint32_t *targets)
{
    if (vgc.inconsistent_types == NULL && (vgc.inconsistent_types = PyDict_New()) == NULL) {
        PyErr_Clear();
        return;
    }
    PyTypeObject **type_of = PyMem_RawCalloc((size_t)n, sizeof *type_of);
    if (type_of == NULL)
        return;                       /* a report only: nothing depends on it */
    PyGC_Head *g = GC_NEXT(base);
    for (int32_t v = 0; v < n; v++, g = GC_NEXT(g))
        if (gc_refs[v] < 0)
            type_of[v] = Py_TYPE(FROM_GC(g));
    g = GC_NEXT(base);
    for (int32_t u = 0; u < n; u++, g = GC_NEXT(g))
        for (uint32_t k = offsets[u]; k < offsets[u + 1]; k++)
            if (gc_refs[targets[k]] < 0)
                vgc_count_inconsistent(Py_TYPE(FROM_GC(g)), type_of[targets[k]]);
    PyMem_RawFree(type_of);
}

/* verify=True: the independent checker (src/vgc_check.c: naive in-degree counts, a depth-first
 * search) recomputes the decision; a disagreement stops the process before the rebuild, so
 * before anything is freed, naming the collection and the first objects of the snapshot the
 * message mentions by index. */
static void vgc_verify_decision(PyGC_Head *base, int32_t n, const uint32_t *offsets,
                                const uint32_t *targets, const int64_t *refcount,
                                const uint8_t *legacy, const int64_t *gc_refs,
                                const uint8_t *roots, const int32_t *order, const int32_t *pos,
                                int32_t negative, int32_t live, int32_t kept)
{
    char msg[256];
    vgc_core_result r = {negative, live, kept};
    if (vgc_check_core(n, offsets, targets, refcount, legacy, gc_refs, roots, order, pos, r,
                       msg, sizeof msg) == 0) {
        vgc.verified++;
        return;
    }
    PyObject *first = FROM_GC(GC_NEXT(base));
    fprintf(stderr, "vgc: verification failed in collection %zd (snapshot of %d objects, "
            "first <%s at %p>): %s\n",
            vgc.collections[0] + vgc.collections[1] + vgc.collections[2] + 1, (int)n,
            Py_TYPE(first)->tp_name, (void *)first, msg);
    Py_FatalError("vgc: the proved core's decision disagrees with the independent checker");
}

/* The order CPython's move_unreachable leaves the reachable objects in is replayed by the proved
 * vgc_replay_order (include/vgc_replay.h): not a correctness matter (the reachable SET is the
 * core's), but observable (gc.get_objects()'s order, later the order of weakref callbacks and
 * finalizers).  Each object's segment of the core's order: */
enum { SEG_LIVE, SEG_HELD, SEG_GARBAGE };   /* pos < live, live <= pos < kept, pos >= kept */

/* Put the first `count` objects of base back as they were: _gc_prev = previous | FINALIZED
 * (_gc_next was never changed, so the list itself says which objects were numbered). */
static void vgc_unnumber(PyGC_Head *base, size_t count)
{
    PyGC_Head *prev = base, *g = GC_NEXT(base);
    for (size_t i = 0; i < count; i++, prev = g, g = GC_NEXT(g))
        g->_gc_prev = (uintptr_t)prev | (g->_gc_prev & _PyGC_PREV_MASK_FINALIZED);
}


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
 * (COLLECTING clear) — the garbage candidates then exclude them.  With VGC_UNTRACK_TUPLES in
 * `untrack`, the reachable tuples are offered to untracking in the rebuilt list's order, as
 * CPython's untrack_tuples(young) does right after deduce_unreachable (fused here: one walk
 * less).  With VGC_UNTRACK_DICTS too (full collections), the reachable dicts are offered to
 * untracking in the same walk (vgc_dict_untrack_early: CPython's untrack_dicts(young), which runs
 * after all the tuples, decides the same for every dict whose outcome cannot depend on a tuple
 * not offered yet); *dicts_left (if not NULL) is then 0 when every dict was decided, else 1:
 * the caller runs untrack_dicts over the list as CPython does (deciding the rest).
 * Returns the number of snapshot objects, -2 when there are more than max_n (0: no limit;
 * nothing changed), or -1 on an allocation failure: then nothing changed
 * (base is intact, unreachable/finalizers are empty) and no Python code ran.  *n_reachable
 * (if not NULL) receives the number of objects of base still tracked afterwards.
 *
 * Memory: 14 bytes per object + 4 per internal reference, in two arena buffers (`objs`: refs,
 * offsets, roots, flags in that order; `targets`) whose roles change as the collection goes (no object pointer array: the list is walked in snapshot order
 * instead, which is safe because no Python code runs and nothing relinks an object until the
 * rebuild, which reads each _gc_next before relinking that object):
 *   refs     8n  refcounts -> gc_refs (core phase 1) -> order | pos (core phases 2, 3; pos then
 *                holds the replay's re-appended queue) -> the object pointers of the objects
 *                relinked out of list order (rebuild);
 *   roots    1n  root flags (phase 1) -> replay state (VGC_REPLAY_*);
 *   flags    1n  legacy-finalizer flags (phase 3) -> core segment (SEG_*);
 *   offsets  4n  CSR offsets (core, replay) -> each out-of-order object's rank (rebuild);
 *   targets  4E  CSR targets. */
Py_ssize_t vgc_deduce_unreachable(GCState *gcstate, PyGC_Head *base,
                                         PyGC_Head *unreachable, PyGC_Head *finalizers,
                                         int untrack, size_t max_n, Py_ssize_t *n_reachable,
                                         int *dicts_left)
{
    gc_list_init(unreachable);
    if (finalizers != NULL)
        gc_list_init(finalizers);
    if (n_reachable != NULL)
        *n_reachable = 0;
    if (dicts_left != NULL)
        *dicts_left = 1;
#if PY_VERSION_HEX < 0x030C0000
    (void)gcstate;
#endif

    /* Number the objects in list order; the index lives in _gc_prev (see the file header).
     * Then n is known and every per-object array is taken at its exact size.  While the refs
     * buffer the arena already holds has room, it keeps each object's pointer until the traverse
     * pass replaces it by the refcount (a union slot: same index, read before written), so that
     * pass can prefetch headers ahead through an array instead of a dependent chain. */
    typedef union { PyObject *op; int64_t rc; } vgc_slot_t;
    vgc_slot_t *slots = (vgc_slot_t *)arena.objs.p;
    const size_t nslots = arena.objs.cap / sizeof(vgc_slot_t);
    size_t i = 0;
    PyGC_Head *next;
    for (PyGC_Head *gc = GC_NEXT(base); gc != base; gc = next) {
        next = GC_NEXT(gc);
        if (vgc_move_immortal(gcstate, gc))       /* 3.12+: not numbered */
            continue;
        if (i == (size_t)INT32_MAX) {                /* one object too many for the core */
            vgc_unnumber(base, i);
            return -1;
        }
        if (max_n != 0 && i == max_n) {              /* the caller decides it in place */
            vgc_unnumber(base, i);
            return -2;
        }
        if (i < nslots)
            slots[i].op = FROM_GC(gc);
        gc->_gc_prev = ((uintptr_t)i << _PyGC_PREV_SHIFT) | _PyGC_PREV_MASK_COLLECTING
                       | (gc->_gc_prev & _PyGC_PREV_MASK_FINALIZED);
        i++;
    }
    const int32_t n = (int32_t)i;
    if (n == 0)
        return 0;

    size_t ecap = arena.targets.cap / sizeof(uint32_t);
    if (ecap < 3 * (size_t)n + 16)
        ecap = 3 * (size_t)n + 16;
    /* The per-object arrays, disjoint, in one buffer: refs (8n, first, so that the slots
     * written by the numbering walk are refs' own), offsets (4(n+1)), roots (n), flags (n). */
    const size_t nn = (size_t)n;
    const size_t objs_bytes = 8 * nn + 4 * (nn + 1) + 2 * nn;
    if (ecap > vgc_edge_limit())
        ecap = vgc_edge_limit();
    {   /* kept after this collection (vgc_arena_trim's rule)?  then no huge pages: arena_small.
         * The edges foreseen: the buffer's, or the last snapshot's edges per object if more. */
        size_t epred = ecap;
        if (vgc.snapshot_objects > 0 && (size_t)vgc.snapshot_edges / (size_t)vgc.snapshot_objects
                                        < (size_t)UINT32_MAX / nn) {
            size_t r = nn * ((size_t)vgc.snapshot_edges / (size_t)vgc.snapshot_objects + 1);
            if (r > epred)
                epred = r;
        }
        size_t co = vgc_buf_cap_after(&arena.objs, objs_bytes);
        size_t ct = vgc_buf_cap_after(&arena.targets, sizeof(uint32_t) * epred);
        arena_small = !vgc.keep_buffers && co <= VGC_KEEP_BYTES && ct <= VGC_KEEP_BYTES - co;
    }
    char *objs = vgc_buf_take(&arena.objs, objs_bytes, 0);
    int64_t *refs = (int64_t *)objs;
    uint32_t *offsets = objs ? (uint32_t *)(objs + 8 * nn) : NULL;
    uint8_t *roots = objs ? (uint8_t *)(objs + 8 * nn + 4 * (nn + 1)) : NULL;
    uint8_t *flags = objs ? roots + nn : NULL;
    edges_t e = {NULL, 0, 0, 0};
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
    /* The proved admission check (include/vgc_snapshot.h): the core runs only on a snapshot
     * that satisfies its `requires`; anything else is CPython's collection (a fallback). */
    if (vgc.corrupt_next && vgc.corrupt_next < 4 && n > 1 && e.len > 0) {   /* test hook */
        if (vgc.corrupt_next == 1)
            e.targets[e.len - 1] = (uint32_t)n;
        else if (vgc.corrupt_next == 2)
            offsets[1] = offsets[2] + 1;
        else
            refs[n - 1] = -1;
        vgc.corrupt_next = 0;
    }
    if (!vgc_snapshot_ok(n, offsets, e.targets, e.cap, refs)) {
        vgc.rejected++;
        vgc_unnumber(base, (size_t)n);
        return -1;
    }
    /* verify=True: keep what the independent checker needs (the input refcounts and phase 1's
     * gc_refs, whose storage phase 2 reuses); without memory for it, this one goes unchecked */
    int64_t *v_rc = NULL, *v_gc = NULL;
    if (vgc.verify) {
        v_rc = PyMem_RawMalloc(sizeof(int64_t) * (size_t)n);
        v_gc = v_rc ? PyMem_RawMalloc(sizeof(int64_t) * (size_t)n) : NULL;
        if (v_gc == NULL) {
            PyMem_RawFree(v_rc);
            v_rc = NULL;
            vgc.verify_skipped++;
        }
        else
            memcpy(v_rc, refs, sizeof(int64_t) * (size_t)n);
    }
    int32_t negative = vgc_update_refs(n, offsets, e.targets, refs, roots);
    vgc.inconsistent += negative;
    if (negative > 0 && finalizers != NULL)
        vgc_report_inconsistent(base, refs, n, offsets, e.targets);
    if (v_gc != NULL)
        memcpy(v_gc, refs, sizeof(int64_t) * (size_t)n);
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
    const int legacy_ran = finalizers != NULL && any_legacy;
    if (legacy_ran)
        kept = vgc_move_legacy_finalizer_reachable(n, offsets, e.targets, flags, live,
                                                   order, pos);
    if (vgc.corrupt_next == 4 && live > 0 && live < n) {   /* test hook: a wrong decision */
        int32_t a = order[live - 1], b = order[live];       /* one live object -> garbage */
        order[live - 1] = b, order[live] = a, pos[a] = live, pos[b] = live - 1;
        vgc.corrupt_next = 0;
    }
    if (v_gc != NULL) {
        vgc_verify_decision(base, n, offsets, e.targets, v_rc, legacy_ran ? flags : NULL, v_gc,
                            roots, order, pos, negative, live, kept);
        PyMem_RawFree(v_rc);
        PyMem_RawFree(v_gc);
    }

    if (finalizers != NULL) {         /* a collection's snapshot, not the re-check */
        vgc.snapshot_objects = n;
        vgc.snapshot_edges = (Py_ssize_t)e.len;
        vgc.snapshot_bytes = (Py_ssize_t)((size_t)n * (sizeof *refs + sizeof *roots
                                                       + sizeof *flags + sizeof *offsets)
                                          + sizeof *offsets + e.len * sizeof(uint32_t));
    }

    /* `roots` becomes each object's replay state, `flags` (read by phase 3 only) its segment of
     * the core's order; pos is then free and holds the replay's re-appended objects. */
    uint8_t *state = roots, *seg = flags;
    for (int32_t v = 0; v < n; v++) {
        seg[v] = pos[v] < live ? SEG_LIVE : pos[v] < kept ? SEG_HELD : SEG_GARBAGE;
        state[v] = state[v] != 0 ? VGC_REPLAY_POSITIVE : VGC_REPLAY_ZERO;
    }
    ROLE_CHANGE();
    int32_t *moved = pos;
    int32_t nmoved = vgc_replay_order(n, offsets, e.targets, state, moved);

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
        if (seg[v] == SEG_LIVE)
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
        if ((untrack & VGC_UNTRACK_TUPLES) && PyTuple_CheckExact(op_))                        \
            vgc_tuple_maybe_untrack(op_);                                                     \
        else if ((untrack & VGC_UNTRACK_DICTS) && PyDict_CheckExact(op_)                      \
                 && vgc_dict_untrack_early(op_)) {                                            \
            if (nopen < VGC_OPEN_DICTS)                                                       \
                open_dicts[nopen++] = op_;                                                    \
            else                                                                              \
                dicts_open = 1;                                                               \
        }                                                                                     \
        nbase += _PyObject_GC_IS_TRACKED(op_);                                                \
    } while (0)
    /* The dicts whose untracking depended on a tuple not offered yet: decided after the walk,
     * when every tuple has been (no Python code runs in between, nothing is freed); more than
     * VGC_OPEN_DICTS of them: untrack_dicts over the list decides them (*dicts_left). */
    enum { VGC_OPEN_DICTS = 64 };
    PyObject *open_dicts[VGC_OPEN_DICTS];
    int nopen = 0, dicts_open = 0;
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
        switch (seg[j]) {
        case SEG_GARBAGE:
            gc_list_append_flags(gc, unreachable, FIN(gc) | _PyGC_PREV_MASK_COLLECTING);
            break;
        case SEG_HELD:
            late[rank[j]] = FROM_GC(gc);
            break;
        default:                     /* SEG_LIVE */
            if (state[j] == VGC_REPLAY_SCANNED)
                RELINK(gc);
            else if (state[j] == VGC_REPLAY_MOVED)
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
    /* A tuple in `rest` has COLLECTING clear before it is offered to untracking, so a dict
     * decided meanwhile may have taken it for a final state: let untrack_dicts decide again. */
    dicts_open |= !gc_list_is_empty(&rest);
    while (!gc_list_is_empty(&rest)) {
        PyGC_Head *g = GC_NEXT(&rest);
        PyGC_Head *g_next = GC_NEXT(g);
        rest._gc_next = (uintptr_t)g_next;            /* unlink g (rest's own links only) */
        _PyGCHead_SET_PREV(g_next, &rest);
        RELINK(g);
    }
#undef RELINK
#undef FIN
    if (!dicts_open)
        for (int k = 0; k < nopen; k++) {
            vgc_dict_maybe_untrack(open_dicts[k]);
            nbase -= !_PyObject_GC_IS_TRACKED(open_dicts[k]);
        }
    if (n_reachable != NULL)
        *n_reachable = nbase;
    if (dicts_left != NULL)
        *dicts_left = !(untrack & VGC_UNTRACK_DICTS) || dicts_open;
    return n;
}
