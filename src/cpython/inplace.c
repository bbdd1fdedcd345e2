/* inplace.c — the host side of the in-place core (include/vgc_inplace.h, proved in
 * src/vgc_inplace.c): CPython's header words and lists behind the vgc_ip_* interface.
 * TRUSTED, NOT PROVED.  It decides nothing: what is decremented, marked, moved to or back from
 * the unreachable list is the proved code's; this file reads and writes the headers as told,
 * as CPython's own gcmodule.c does, and visits each object's successors by calling its
 * tp_traverse (again: nothing is stored per object or per edge): in phase 1 lowering each
 * one's gc_refs (vgc_ip_subtract_succ), in phase 2 applying the proved per-edge step to each
 * (vgc_ip_reach_succ -> vgc_ip_reach_edge), in phase 3 handing them over (vgc_ip_succ).
 *
 * The header words during a collection are CPython's: _gc_prev = gc_refs << 2 | COLLECTING |
 * FINALIZED for the objects in young (prev pointers are restored by the final walk, not while
 * scanning: a scanned object keeps COLLECTING, so that its successors are the same graph in both
 * phases, as the proof's ghost graph is one graph), the unreachable list linked with
 * NEXT_MASK_UNREACHABLE in _gc_next.  gc_refs is stored signed (an inconsistent type makes it
 * negative; |gc_refs| < 2^61 since refcounts are).
 *
 * The proved core is compiled into this translation unit so that the per-edge interface calls
 * inline (the core's own file stays the one WP proves). */
#include "vgc_cpython.h"
#include "vgc_inplace.h"
#include "traverse.h"
/* The per-object and per-edge interface functions (below) and the proved per-edge step are
 * inlined into the core's loops and the host's visits: left to GCC's heuristics, which of them
 * are inlined moved with unrelated edits (one edit put vgc_ip_to_unreachable and vgc_ip_keep out
 * of line: +0.8% instructions in young collections). */
__attribute__((always_inline)) inline void vgc_ip_reach_edge(vgc_ip_obj *h);
/* the core's ghost-code labels (Picked, Scanned) are read only by its ACSL */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-label"
#include "../vgc_inplace.c"
#pragma GCC diagnostic pop

/* One allocation point of the _fail_alloc_after test hook: 1 when this one is to fail. */
int vgc_alloc_fails(void)
{
    vgc.alloc_count++;
    return vgc.fail_alloc_after > 0 && --vgc.fail_alloc_after == 0;
}

/* An object that tp_traverse reports more references to than its refcount (gc_refs < 0 after
 * phase 1) means a bug in the C type of one of its referrers; CPython's release builds say
 * nothing.  Counted by "referrer type -> object type" in status()["inconsistent_types"] (the
 * core keeps the object alive: T17). */
static void vgc_count_inconsistent(PyTypeObject *from, PyTypeObject *to)
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

/* Phase 3's successors are handed over from a buffer: a static chunk, grown while memory allows
 * up to the object's out-degree; without memory the chunk is refilled by traversing again past
 * the successors already handed over (tp_traverse visits in the same order while no code runs).
 * Phases 1 and 2 need none: they act on each successor as it is visited. */
enum { VGC_IP_CHUNK = 1024 };

/* The look-ahead (large collections only).  Phases 1 and 2 take young's objects in list order,
 * and most of a big collection's time is the cache miss on each referent's header, once per
 * edge and phase.  So a runner traverses the objects VGC_IP_AHEAD places ahead of the scan
 * into a ring of raw referent slots, prefetching each referent; when the scan reaches the
 * object, its successors are filtered from the slot (the referents are in cache by then) and it
 * is not traversed again.  Nothing changes between the two moments (no code runs; the scan
 * writes headers, never object contents), and the filter (a GC object of this collection) is
 * applied when the successors are visited, as without the ring.  An object with more than
 * VGC_IP_RAW referents, or an exact list or tuple (read directly from ob_item), has no slot's
 * contents and is visited as without the ring.  Below VGC_LOOK_AHEAD_MIN objects
 * (vgc_cpython.h; the environment variable VGC_LOOK_AHEAD_MIN at install() overrides it, for the
 * tests and the fuzz harness, which then run the ring on every collection) the ring only costs:
 * on the bench heap (3.11.7, this machine's caches), ring on / off vs stock in one process
 * (bench/inprocess_ab.py full N 9 SO:0 SO:100000000): 100k objects 1.22 / 1.09, 160k
 * 1.03 / 1.02, 210k 0.90 / 0.95, 310k 0.89 / 1.02, 1M 0.66 / 1.02. */
#ifndef VGC_IP_AHEAD
#define VGC_IP_AHEAD 8
#endif
enum { VGC_IP_RAW = 30 };

struct ip_slot {
    PyGC_Head *g;
    int n;                            /* raw referents, or -1: none kept (read directly) */
    PyObject *raw[VGC_IP_RAW];
};

static struct {
    PyGC_Head *young;                 /* the list being collected */
    PyGC_Head *unreachable;           /* move_unreachable's unreachable list */
    PyGC_Head *prev;                  /* the last scanned object of young (or young) */
    PyGC_Head *finalizers;            /* phase 3: the finalizers list */
    PyGC_Head *fprev;                 /* phase 3: its last scanned object (or the head) */
    /* successor buffer: buf[0 .. len) are the successors from `from` on of `obj`; `complete`
     * when they were all of them (the traverse was not stopped) */
    PyGC_Head **buf;
    uint32_t cap, len, from, skip;
    PyGC_Head *obj;
    Py_ssize_t item;                  /* exact list/tuple: the next item to read (downwards) */
    int complete;
    Py_ssize_t negative;              /* kept objects with gc_refs < 0 (an inconsistent type) */
    /* the look-ahead: ring[rhead .. rhead+rlen) (mod VGC_IP_AHEAD) are young's objects from the
     * scan's position on, run the next one (young: the end; NULL: look-ahead off) */
    PyGC_Head *run;
    int rhead, rlen;
    struct ip_slot ring[VGC_IP_AHEAD];
    PyGC_Head *chunk[VGC_IP_CHUNK];
} ip;

/* ---- the interface --------------------------------------------------------------------------- */

__attribute__((always_inline)) inline
vgc_ip_obj *vgc_ip_first(void)
{
    PyGC_Head *g = GC_NEXT(ip.young);
    return g == ip.young ? NULL : (vgc_ip_obj *)g;
}

__attribute__((always_inline)) inline
vgc_ip_obj *vgc_ip_next(vgc_ip_obj *h)
{
    PyGC_Head *g = GC_NEXT((PyGC_Head *)h);
    return g == ip.young ? NULL : (vgc_ip_obj *)g;
}

/* The buffer's growth: 0, or -1 when it cannot grow (the traverse stops; the rest comes in
 * the next chunk). */
static int ip_grow(void)
{
    uint32_t ncap = ip.cap * 2;
    PyGC_Head **nb = NULL;
    if (ncap > ip.cap && !vgc_alloc_fails())
        nb = PyMem_RawRealloc(ip.buf == ip.chunk ? NULL : ip.buf, ncap * sizeof *nb);
    if (nb == NULL)
        return -1;
    if (ncap * sizeof *nb > vgc.peak_bytes)
        vgc.peak_bytes = ncap * sizeof *nb;
    if (ip.buf == ip.chunk)
        memcpy(nb, ip.chunk, sizeof ip.chunk);
    ip.buf = nb;
    ip.cap = ncap;
    return 0;
}

/* One reference to an object of this collection into the buffer; -1 (stop the traverse) when
 * the buffer is full and cannot grow. */
static inline int ip_push(PyGC_Head *g)
{
    if (ip.len == ip.cap && ip_grow() < 0)
        return 1;
    ip.buf[ip.len++] = g;
    return 0;
}

/* A referent that is an object of this collection (a GC object with COLLECTING): the one
 * test by which successors are handed over, whichever way they were read. */
static inline int ip_member(PyObject *op)
{
    return vgc_is_gc(op) && gc_is_collecting(AS_GC(op));
}

/* A hint to load an object's GC header and type; `a` may be NULL or not a GC object: the
 * address is formed by integer arithmetic and never dereferenced. */
static inline void ip_prefetch(uintptr_t a)
{
    __builtin_prefetch((const void *)(a - sizeof(PyGC_Head)));
    __builtin_prefetch((const void *)(a + sizeof(PyObject) - 1));
}

/* The items of an exact list or tuple (the callers test which it is). */
static inline PyObject **ip_items(PyObject *op)
{
    return PyList_CheckExact(op) ? ((PyListObject *)op)->ob_item
                                 : ((PyTupleObject *)op)->ob_item;
}

/* tp_traverse's visit: every reference to an object of this collection (COLLECTING) goes into
 * the buffer; ip_visit_skip first passes over the `skip` handed over already (a refill after
 * the buffer could not grow). */
static int ip_visit(PyObject *op, void *arg)
{
    (void)arg;
    if (!ip_member(op))
        return 0;
    return ip_push(AS_GC(op));
}

static int ip_visit_skip(PyObject *op, void *arg)
{
    (void)arg;
    if (!ip_member(op))
        return 0;
    if (ip.skip > 0) {
        ip.skip--;
        return 0;
    }
    return ip_push(AS_GC(op));
}

/* Phase 1: CPython's visit_decref (vgc_ip_subtract_succ's contract: one less per edge into the
 * collection, found by the same test as phase 2's and phase 3's successors). */
static inline __attribute__((always_inline)) int ip_visit_dec(PyObject *op, void *arg)
{
    (void)arg;
    if (ip_member(op))
        AS_GC(op)->_gc_prev -= (uintptr_t)1 << _PyGC_PREV_SHIFT;
    return 0;
}

/* Exact lists and tuples (the one object that holds a whole heap is usually a list): their
 * tp_traverse visits ob_item[size-1] down to ob_item[0], skipping NULL (list_traverse,
 * tupletraverse, 3.11-3.13), so the items are read here in that order, one chunk at a time,
 * resuming at ip.item: the buffer never grows for them, and no chunk is traversed twice. */
static void ip_fill_items(PyObject *op, uint32_t from)
{
    PyObject **items = ip_items(op);
    if (from == 0 || ip.obj != AS_GC(op) || from != ip.from + ip.len) {
        ip.item = Py_SIZE(op) - 1;          /* from the start, passing over `from` successors */
        ip.skip = from;
    }
    else
        ip.skip = 0;                        /* the next chunk: resume where the last one ended */
    ip.obj = AS_GC(op);
    ip.from = from;
    ip.len = 0;
    for (; ip.item >= 0 && ip.len < ip.cap; ip.item--) {
        /* The load of each item's type and header is a cache miss on a big heap (90% of this
         * loop in `perf annotate`); ask for the item 16 places ahead (a hint: a NULL or non-GC
         * item is harmless).  bench/repeat_collect.py vgc 1000000, 10 alternating processes:
         * median of the minimums 116.9 -> 111.4 ms on 3.11.7, 98.2 -> 97.0 on 3.13.0. */
        if (ip.item >= 16)
            ip_prefetch((uintptr_t)items[ip.item - 16]);
        PyObject *x = items[ip.item];
        if (x == NULL || !ip_member(x))
            continue;
        if (ip.skip > 0)
            ip.skip--;
        else
            ip.buf[ip.len++] = AS_GC(x);
    }
    ip.complete = ip.item < 0;
}

static int ip_visit_raw(PyObject *op, void *arg)
{
    struct ip_slot *s = arg;
    if (s->n < 0 || s->n == VGC_IP_RAW) {
        s->n = -1;                    /* too many: handed over directly (and a tp_traverse */
        return 1;                     /* that ignores the 1 writes nothing more) */
    }
    s->raw[s->n++] = op;
    ip_prefetch((uintptr_t)op);
    return 0;
}

/* The runner takes objects into the ring until it is full or at young's end. */
static void ip_run_fill(void)
{
    while (ip.rlen < VGC_IP_AHEAD && ip.run != ip.young) {
        PyGC_Head *r = ip.run;
        PyObject *op = FROM_GC(r);
        struct ip_slot *s = &ip.ring[(ip.rhead + ip.rlen) % VGC_IP_AHEAD];
        s->g = r;
        s->n = 0;
        if (PyList_CheckExact(op) || PyTuple_CheckExact(op)) {
            /* its first 16 items (ip_fill_items prefetches further ahead in a long one) */
            PyObject **items = ip_items(op);
            for (Py_ssize_t i = Py_SIZE(op) - 1, k = 0; i >= 0 && k < 16; i--, k++)
                ip_prefetch((uintptr_t)items[i]);
            s->n = -1;
        }
        else if (vgc_traverse(op, ip_visit_raw, s) != 0)
            s->n = -1;
        ip.run = GC_NEXT(r);
        __builtin_prefetch(GC_NEXT(ip.run));
        ip.rlen++;
    }
}

static void ip_run_start(Py_ssize_t n)
{
    ip.rhead = ip.rlen = 0;
    ip.run = n >= vgc.look_ahead_min ? GC_NEXT(ip.young) : NULL;
    if (ip.run != NULL)
        ip_run_fill();
}

/* The ring's front slot if it holds g, else NULL (the look-ahead is on: ip.run != NULL). */
static inline const struct ip_slot *ip_ring_front(PyGC_Head *g)
{
    return ip.rlen > 0 && ip.ring[ip.rhead].g == g ? &ip.ring[ip.rhead] : NULL;
}

/* The front slot leaves the ring (its contents are read by then); the runner moves on. */
static void ip_ring_advance(void)
{
    ip.rhead = (ip.rhead + 1) % VGC_IP_AHEAD;
    ip.rlen--;
    ip_run_fill();
}

/* The scan moves past h (young's first object not scanned yet; phase 2). */
static inline void ip_run_past(PyGC_Head *h)
{
    if (ip.run == NULL)
        return;
    if (ip.rlen > 0 && ip.ring[ip.rhead].g == h) {
        ip.rhead = (ip.rhead + 1) % VGC_IP_AHEAD;
        ip.rlen--;
    }
    if (ip.run == h)                  /* it must not stay on an object that may leave young */
        ip.run = GC_NEXT(h);
}

/* The buffer refilled with object g's successors from the `from`-th on. */
static __attribute__((noinline)) void ip_refill(PyGC_Head *g, uint32_t from)
{
    PyObject *op = FROM_GC(g);
    if (PyList_CheckExact(op) || PyTuple_CheckExact(op))
        ip_fill_items(op, from);
    else {
        ip.obj = g;
        ip.from = from;
        ip.skip = from;
        ip.len = 0;
        ip.complete = vgc_traverse(op, from ? ip_visit_skip : ip_visit, NULL) == 0;
    }
}

/* Phase 2: CPython's visit_reachable, one proved step per edge into the collection
 * (vgc_ip_reach_edge; vgc_ip_reach_succ's contract is their composition over u's successors,
 * found by the same test as phase 1's and phase 3's). */
static inline __attribute__((always_inline)) int ip_visit_reach(PyObject *op, void *arg)
{
    (void)arg;
    if (ip_member(op))
        vgc_ip_reach_edge((vgc_ip_obj *)AS_GC(op));
    return 0;
}

/* Phases 1 and 2: each referent of object g given to `visit` (which filters the collection's),
 * in tp_traverse's order: from g's look-ahead slot when g is the ring's front (the runner moves
 * on), an exact list's or tuple's items from ob_item, else tp_traverse.  Inlined into its two
 * callers, so that `visit` is a direct call in the first two cases. */
static inline __attribute__((always_inline)) void ip_visit_refs(PyGC_Head *g, visitproc visit)
{
    PyObject *op = FROM_GC(g);
    if (ip.run != NULL) {
        const struct ip_slot *s = ip_ring_front(g);
        if (s == NULL)
            ip_run_fill();            /* g was moved (phase 2): the runner keeps its lead */
        else {
            const int n = s->n;
            for (int i = 0; i < n; i++)
                (void)visit(s->raw[i], NULL);
            ip_ring_advance();
            if (n >= 0)
                return;
        }
    }
    if (PyList_CheckExact(op) || PyTuple_CheckExact(op)) {
        PyObject **items = ip_items(op);
        for (Py_ssize_t i = Py_SIZE(op) - 1; i >= 0; i--) {
            if (i >= 16)
                ip_prefetch((uintptr_t)items[i - 16]);   /* as ip_fill_items */
            if (items[i] != NULL)
                (void)visit(items[i], NULL);
        }
    }
    else
        (void)vgc_traverse(op, visit, NULL);
}

/* Phase 1: object h's referents in the collection lose one gc_refs each. */
void vgc_ip_subtract_succ(vgc_ip_obj *h)
{
    ip_visit_refs((PyGC_Head *)h, ip_visit_dec);
}

/* Phase 2: the proved per-edge step on each of a reachable object's referents in the
 * collection. */
void vgc_ip_reach_succ(vgc_ip_obj *h)
{
    ip_visit_refs((PyGC_Head *)h, ip_visit_reach);
}

/* Called twice per object and phase (its successors, then the 0 that ends them): the check
 * that the buffer already holds them is kept small so that it inlines into the core's loops. */
__attribute__((always_inline)) inline
uint32_t vgc_ip_succ(vgc_ip_obj *h, uint32_t from, vgc_ip_obj *const **bufp)
{
    PyGC_Head *g = (PyGC_Head *)h;
    if (g != ip.obj || from < ip.from || from > ip.from + ip.len ||
        (from == ip.from + ip.len && !ip.complete))
        ip_refill(g, from);
    *bufp = (vgc_ip_obj *const *)(ip.buf + (from - ip.from));
    return ip.from + ip.len - from;
}

__attribute__((always_inline)) inline
int64_t vgc_ip_refs(vgc_ip_obj *h)
{
    PyGC_Head *g = (PyGC_Head *)h;
    if (g->_gc_next & NEXT_MASK_UNREACHABLE)     /* its _gc_prev is a list link; gc_refs 0 */
        return 0;
    return gc_get_refs(g);
}

__attribute__((always_inline)) inline
void vgc_ip_set_refs(vgc_ip_obj *h, int64_t r)
{
    gc_set_refs((PyGC_Head *)h, r);
}

__attribute__((always_inline)) inline
vgc_ip_obj *vgc_ip_pending(void)
{
    PyGC_Head *g = (PyGC_Head *)ip.prev->_gc_next;
    return g == ip.young ? NULL : (vgc_ip_obj *)g;
}

__attribute__((always_inline)) inline
int vgc_ip_is_unreachable(vgc_ip_obj *h)
{
    return (((PyGC_Head *)h)->_gc_next & NEXT_MASK_UNREACHABLE) != 0;
}

__attribute__((always_inline)) inline
void vgc_ip_keep(vgc_ip_obj *h)
{
    /* An object with gc_refs < 0 (an inconsistent type) is always kept, and its gc_refs does
     * not change in phase 2 (only 0 becomes 1): counted here, once per kept object (young's
     * objects after phase 2 are exactly the kept ones). */
    ip.negative += gc_get_refs((PyGC_Head *)h) < 0;
    ip_run_past((PyGC_Head *)h);
    ip.prev = (PyGC_Head *)h;
}

__attribute__((always_inline)) inline
void vgc_ip_to_unreachable(vgc_ip_obj *h)
{
    PyGC_Head *g = (PyGC_Head *)h, *u = ip.unreachable;
    ip_run_past(g);
    ip.prev->_gc_next = g->_gc_next;
    PyGC_Head *last = (PyGC_Head *)u->_gc_prev;
    last->_gc_next = NEXT_MASK_UNREACHABLE | (uintptr_t)g;
    g->_gc_prev = (g->_gc_prev & _PyGC_PREV_MASK_FINALIZED) | _PyGC_PREV_MASK_COLLECTING
                  | (uintptr_t)last;
    g->_gc_next = NEXT_MASK_UNREACHABLE | (uintptr_t)u;
    u->_gc_prev = (uintptr_t)g;
}

/* Takes g out of the unreachable list (its links carry NEXT_MASK_UNREACHABLE). */
static inline void ip_unlink_unreachable(PyGC_Head *g)
{
    PyGC_Head *prev = (PyGC_Head *)(g->_gc_prev & _PyGC_PREV_MASK);
    PyGC_Head *next = gc_next_unmasked(g);
    prev->_gc_next = g->_gc_next;                  /* keeps NEXT_MASK_UNREACHABLE */
    next->_gc_prev = (next->_gc_prev & ~_PyGC_PREV_MASK) | (uintptr_t)prev;
}

__attribute__((always_inline)) inline
void vgc_ip_to_young(vgc_ip_obj *h)
{
    PyGC_Head *g = (PyGC_Head *)h, *y = ip.young;
    ip_unlink_unreachable(g);
    if (ip.run == y)                  /* the runner was at the end: g is next */
        ip.run = g;
    PyGC_Head *last = (PyGC_Head *)y->_gc_prev;
    last->_gc_next = (uintptr_t)g;
    g->_gc_next = (uintptr_t)y;
    y->_gc_prev = (uintptr_t)g;
    g->_gc_prev &= ~_PyGC_PREV_MASK;               /* gc_refs 0 until the core sets it */
}

/* Phase 3.  The unreachable list is linked with NEXT_MASK_UNREACHABLE; the finalizers list
 * plainly (so the mask still tells the two apart).  Both keep COLLECTING until phase 3 ends,
 * while young's objects no longer have it: the successors handed over are those within the
 * unreachable set, the graph phase 3 is proved over. */
static inline vgc_ip_obj *ip_un_after(PyGC_Head *g)
{
    PyGC_Head *n = gc_next_unmasked(g);
    return n == ip.unreachable ? NULL : (vgc_ip_obj *)n;
}

vgc_ip_obj *vgc_ip_un_first(void)
{
    return ip_un_after(ip.unreachable);
}

vgc_ip_obj *vgc_ip_un_next(vgc_ip_obj *h)
{
    return ip_un_after((PyGC_Head *)h);
}

int vgc_ip_legacy(vgc_ip_obj *h)
{
    return Py_TYPE(FROM_GC((PyGC_Head *)h))->tp_del != NULL;   /* has_legacy_finalizer */
}

vgc_ip_obj *vgc_ip_fin_pending(void)
{
    PyGC_Head *g = (PyGC_Head *)ip.fprev->_gc_next;
    return g == ip.finalizers ? NULL : (vgc_ip_obj *)g;
}

void vgc_ip_fin_keep(vgc_ip_obj *h)
{
    ip.fprev = (PyGC_Head *)h;
}

void vgc_ip_to_finalizers(vgc_ip_obj *h)
{
    PyGC_Head *g = (PyGC_Head *)h, *f = ip.finalizers;
    ip_unlink_unreachable(g);
    PyGC_Head *last = (PyGC_Head *)f->_gc_prev;
    last->_gc_next = (uintptr_t)g;
    g->_gc_next = (uintptr_t)f;
    g->_gc_prev = (g->_gc_prev & ~_PyGC_PREV_MASK) | (uintptr_t)last;   /* keeps COLLECTING */
    f->_gc_prev = (uintptr_t)g;
}

/* An inconsistent type (gc_refs < 0 after phase 1; the core keeps such objects as roots):
 * count each reference into such an object by "referrer type -> object type", as the array
 * path does (status()["inconsistent_types"]).  Rare; one more traverse of the collection. */
static PyGC_Head *ip_report_from;
static int ip_report_visit(PyObject *op, void *arg)
{
    (void)arg;
    if (!_PyObject_IS_GC(op))
        return 0;
    PyGC_Head *g = AS_GC(op);
    if (gc_is_collecting(g) && !(g->_gc_next & NEXT_MASK_UNREACHABLE) && gc_get_refs(g) < 0)
        vgc_count_inconsistent(Py_TYPE(FROM_GC(ip_report_from)), Py_TYPE(op));
    return 0;
}

static void vgc_ip_report_inconsistent(PyGC_Head *young, PyGC_Head *unreachable)
{
    if (vgc.inconsistent_types == NULL && (vgc.inconsistent_types = PyDict_New()) == NULL) {
        PyErr_Clear();
        return;
    }
    PyGC_Head *lists[2] = {young, unreachable};
    for (int l = 0; l < 2; l++)
        for (PyGC_Head *g = gc_next_unmasked(lists[l]); g != lists[l]; g = gc_next_unmasked(g)) {
            ip_report_from = g;
            (void)Py_TYPE(FROM_GC(g))->tp_traverse(FROM_GC(g), ip_report_visit, NULL);
        }
}

/* ---- deduce_unreachable in place ---------------------------------------------------------- */

/* update_refs (gc_refs = refcount, COLLECTING; 3.12+: immortal objects to the permanent
 * generation), the proved phases 1 and 2, then one walk over young that restores the prev
 * pointers, clears COLLECTING, counts what stays tracked and offers tuples (untrack &
 * VGC_UNTRACK_TUPLES) to untracking, as CPython's untrack_tuples does right after
 * deduce_unreachable.  Afterwards:
 * young holds the reachable objects in CPython's order, unreachable the rest (COLLECTING set,
 * NEXT_MASK_UNREACHABLE clear), as CPython's deduce_unreachable leaves them.  Allocates nothing
 * that it needs: it cannot fail.  Returns the number of objects it looked at; *n_reachable the
 * number left tracked in young; *negative the objects with gc_refs < 0 (an inconsistent type).
 * With `finalizers` not NULL, phase 3 follows (proved, vgc_ip_move_legacy_finalizers): the
 * objects with a legacy finalizer and all they reach in the unreachable list move to
 * `finalizers`, with COLLECTING cleared, as CPython's move_legacy_finalizers and
 * move_legacy_finalizer_reachable leave them. */
Py_ssize_t vgc_deduce_unreachable_ip(GCState *gcstate, PyGC_Head *young, PyGC_Head *unreachable,
                                     PyGC_Head *finalizers, int untrack,
                                     Py_ssize_t *n_reachable, Py_ssize_t *negative,
                                     struct vgc_un *un)
{
    PyGC_Head *gc, *next;
    Py_ssize_t n = 0;
    gc_list_init(unreachable);
    for (gc = GC_NEXT(young); gc != young; gc = next) {
        next = GC_NEXT(gc);
        if (vgc_move_immortal(gcstate, gc))
            continue;
        gc_reset_refs(gc);
        n++;
    }
    ip.young = young;
    ip.unreachable = unreachable;
    ip.prev = young;
    vgc_direct_reset();
    ip.obj = NULL;
    ip.negative = 0;
    if (ip.buf == NULL) {
        ip.buf = ip.chunk;
        ip.cap = VGC_IP_CHUNK;
    }
    vgc.look_ahead += n >= vgc.look_ahead_min;
    ip_run_start(n);
    vgc_ip_subtract_refs();
    ip_run_start(n);
    vgc_ip_move_unreachable();
    ip.run = NULL;
    if (ip.negative > 0) {
        vgc_ip_report_inconsistent(young, unreachable);
        if (untrack & VGC_UNTRACK_UNLESS_INCONSISTENT)
            untrack = 0;
    }
    /* The scan's end: young relinked in the same order (CPython's), prev pointers restored,
     * COLLECTING cleared, and each tuple offered to untracking right after it is relinked
     * (untracking unlinks the object, so the list is rebuilt on its head rather than patched
     * in place). */
    Py_ssize_t kept = 0;
    gc = GC_NEXT(young);
    gc_list_init(young);
    while (gc != young) {
        next = GC_NEXT(gc);
        gc_list_append_flags(gc, young, gc->_gc_prev & _PyGC_PREV_MASK_FINALIZED);
        PyObject *op = FROM_GC(gc);
        if ((untrack & VGC_UNTRACK_TUPLES) && PyTuple_CheckExact(op))
            vgc_tuple_maybe_untrack(op);
        kept += _PyObject_GC_IS_TRACKED(op);
        gc = next;
    }
    ip.obj = NULL;                    /* young's objects are no longer handed over */
    if (finalizers != NULL) {
        gc_list_init(finalizers);
        ip.finalizers = ip.fprev = finalizers;
        (void)vgc_ip_move_legacy_finalizers();
        for (gc = GC_NEXT(finalizers); gc != finalizers; gc = GC_NEXT(gc))
            gc_clear_collecting(gc);
    }
    /* The unreachable list's links lose the mask; on the way, `un` is told its size and what
     * its objects need of the phases that follow (vgc_un_see). */
    struct vgc_un none;
    if (un == NULL)
        un = &none;
    *un = (struct vgc_un){0, 0, NULL, 0, 0};
    unreachable->_gc_next &= ~NEXT_MASK_UNREACHABLE;
    for (gc = GC_NEXT(unreachable); gc != unreachable; gc = next) {
        gc->_gc_next &= ~NEXT_MASK_UNREACHABLE;
        next = (PyGC_Head *)gc->_gc_next;
        vgc_un_see(un, FROM_GC(gc));
    }
    /* a buffer grown past the static chunk is given back (memory: only while collecting) */
    if (ip.buf != ip.chunk) {
        PyMem_RawFree(ip.buf);
        ip.buf = ip.chunk;
        ip.cap = VGC_IP_CHUNK;
    }
    ip.obj = NULL;
    if (n_reachable != NULL)
        *n_reachable = kept;
    if (negative != NULL)
        *negative = ip.negative;
    return n;
}
