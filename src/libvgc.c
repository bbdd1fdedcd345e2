/* libvgc.c — the standalone embeddable collector (API in include/vgc.h).
 * Not in proof scope: it validates arguments, talks to the host, and drives the proved tracker
 * (src/vgc_gen.c) and the proved core (src/vgc_core.c).  Mirrors CPython 3.11 gc_collect_main:
 *   merge younger generations -> snapshot (host traverse, CSR) -> update_refs/subtract_refs ->
 *   move_unreachable -> move_legacy_finalizer_reachable -> promote survivors (long_lived_*) ->
 *   finalize (PEP 442) -> resurrection check -> clear -> legacy finalizers to garbage.
 *
 * Re-entrancy: while the collector reads the heap (refcount/traverse callbacks) every mutation
 * is refused with VGC_EBUSY; while it finalizes and clears, host code may register, unregister,
 * track, untrack anything: from then on the collector works on its lists only (an object that
 * disappears from a work list is simply not visited), like gcmodule.c.  A collection requested
 * while one runs reports 0 found.
 *
 * Allocation failures: every buffer a collection needs is allocated before anything changes; a
 * failure then aborts with VGC_ENOMEM and the heap exactly as before.  The resurrection check
 * runs after finalizers (it must snapshot again); if its allocation fails, every unreachable
 * object is treated as resurrected (moved to the older generation, nothing cleared).
 */
#include "vgc.h"
#include "vgc_core.h"
#include "vgc_gen.h"

#include <stdlib.h>
#include <string.h>

#define VGC_MAGIC 0x76676348u   /* "vgcH" */

enum { PHASE_IDLE = 0, PHASE_SNAPSHOT = 1, PHASE_FINALIZE = 2 };
enum { SLOT_REGISTERED = 1, SLOT_FINALIZED = 2, SLOT_IN_GARBAGE = 4 };

typedef struct vgc_slot {
    void *obj;
    const vgc_type *type;
    uint8_t flags;
} vgc_slot;

struct vgc_heap {
    uint32_t magic;
    vgc_allocator alloc;
    vgc_gen gen;
    int32_t *next, *prev;
    uint8_t *tag;
    vgc_slot *slot;
    int32_t *free_slots;        /* stack of free slot indices */
    int32_t nfree;
    int32_t *snap_idx;          /* slot -> snapshot index during a collection, else -1 */
    vgc_handle *garbage;
    int64_t ngarbage;
    int enabled, phase, debug;
    FILE *debug_stream;
    vgc_gen_stats stats[VGC_NGEN];
};

/* ---- allocation ---------------------------------------------------------------------------- */

static void *std_alloc(size_t size, void *ctx) { (void)ctx; return malloc(size); }
static void std_free(void *p, void *ctx) { (void)ctx; free(p); }

static void *heap_alloc(const vgc_allocator *a, size_t n, size_t size)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX / size)
        return NULL;
    return a->alloc(n * size, a->ctx);
}

static void heap_free(const vgc_allocator *a, void *p)
{
    if (p)
        a->free(p, a->ctx);
}

static int heap_ok(const vgc_heap *h) { return h != NULL && h->magic == VGC_MAGIC; }

static int handle_ok(const vgc_heap *h, vgc_handle x)
{
    return x >= 0 && (int64_t)x < h->gen.cap && (h->slot[x].flags & SLOT_REGISTERED);
}

static FILE *dbg(vgc_heap *h) { return h->debug_stream ? h->debug_stream : stderr; }

const char *vgc_strerror(vgc_status s)
{
    switch (s) {
    case VGC_OK: return "ok";
    case VGC_EINVAL: return "invalid argument";
    case VGC_EHANDLE: return "invalid handle";
    case VGC_EGEN: return "generation out of range";
    case VGC_ETRACKED: return "already tracked";
    case VGC_EUNTRACKED: return "not tracked";
    case VGC_EFULL: return "heap full";
    case VGC_ENOMEM: return "allocation failure";
    case VGC_EBUSY: return "heap busy (collector reading it)";
    case VGC_EHOST: return "inconsistent host traverse";
    }
    return "unknown status";
}

/* ---- heap lifetime ------------------------------------------------------------------------- */

vgc_status vgc_heap_new(const vgc_config *cfg, vgc_heap **out)
{
    if (out == NULL)
        return VGC_EINVAL;
    *out = NULL;
    if (cfg == NULL || cfg->capacity <= 0 || cfg->capacity > VGC_MAX_CAP)
        return VGC_EINVAL;
    if (cfg->python_version != 0 && (cfg->python_version < 0x030A || cfg->python_version > 0x030D))
        return VGC_EINVAL;
    vgc_allocator a = {std_alloc, std_free, NULL};
    if (cfg->allocator) {
        if (cfg->allocator->alloc == NULL || cfg->allocator->free == NULL)
            return VGC_EINVAL;
        a = *cfg->allocator;
    }
    const int32_t cap = cfg->capacity;
    vgc_heap *h = heap_alloc(&a, 1, sizeof *h);
    if (h == NULL)
        return VGC_ENOMEM;
    memset(h, 0, sizeof *h);
    h->alloc = a;
    h->next = heap_alloc(&a, (size_t)cap + VGC_NLISTS, sizeof *h->next);
    h->prev = heap_alloc(&a, (size_t)cap + VGC_NLISTS, sizeof *h->prev);
    h->tag = heap_alloc(&a, (size_t)cap, sizeof *h->tag);
    h->slot = heap_alloc(&a, (size_t)cap, sizeof *h->slot);
    h->free_slots = heap_alloc(&a, (size_t)cap, sizeof *h->free_slots);
    h->snap_idx = heap_alloc(&a, (size_t)cap, sizeof *h->snap_idx);
    h->garbage = heap_alloc(&a, (size_t)cap, sizeof *h->garbage);
    if (!h->next || !h->prev || !h->tag || !h->slot || !h->free_slots || !h->snap_idx ||
        !h->garbage) {
        h->magic = VGC_MAGIC;
        vgc_heap_free(h);
        return VGC_ENOMEM;
    }
    int64_t t0 = cfg->python_version == 0x030D ? VGC_THRESHOLD0_313 : VGC_THRESHOLD0_CLASSIC;
    vgc_gen_init(&h->gen, cap, h->next, h->prev, h->tag, t0);
    memset(h->slot, 0, (size_t)cap * sizeof *h->slot);
    for (int32_t i = 0; i < cap; i++) {
        h->free_slots[i] = cap - 1 - i;   /* pop order: 0, 1, 2, ... */
        h->snap_idx[i] = -1;
    }
    h->nfree = cap;
    h->enabled = 1;
    h->magic = VGC_MAGIC;
    *out = h;
    return VGC_OK;
}

vgc_status vgc_heap_free(vgc_heap *h)
{
    if (!heap_ok(h))
        return VGC_EINVAL;
    if (h->phase != PHASE_IDLE)
        return VGC_EBUSY;
    vgc_allocator a = h->alloc;
    heap_free(&a, h->next);
    heap_free(&a, h->prev);
    heap_free(&a, h->tag);
    heap_free(&a, h->slot);
    heap_free(&a, h->free_slots);
    heap_free(&a, h->snap_idx);
    heap_free(&a, h->garbage);
    h->magic = 0;
    heap_free(&a, h);
    return VGC_OK;
}

/* ---- objects ------------------------------------------------------------------------------- */

static int64_t collect_generations(vgc_heap *h);

vgc_status vgc_register(vgc_heap *h, void *obj, const vgc_type *type, vgc_handle *out)
{
    if (!heap_ok(h) || out == NULL || type == NULL || type->refcount == NULL ||
        type->traverse == NULL)
        return VGC_EINVAL;
    *out = -1;
    if (h->phase == PHASE_SNAPSHOT)
        return VGC_EBUSY;
    if (h->nfree == 0)
        return VGC_EFULL;
    const int32_t x = h->free_slots[--h->nfree];
    h->slot[x].obj = obj;
    h->slot[x].type = type;
    h->slot[x].flags = SLOT_REGISTERED;
    vgc_gen_track(&h->gen, x);
    *out = x;
    /* _PyObject_GC_Alloc: count > threshold0 && enabled && threshold0 && !collecting. */
    if (h->enabled && h->phase == PHASE_IDLE && vgc_gen_should_collect(&h->gen))
        (void)collect_generations(h);
    return VGC_OK;
}

static void garbage_remove(vgc_heap *h, vgc_handle x)
{
    int64_t j = 0;
    for (int64_t i = 0; i < h->ngarbage; i++)
        if (h->garbage[i] != x)
            h->garbage[j++] = h->garbage[i];
    h->ngarbage = j;
}

vgc_status vgc_unregister(vgc_heap *h, vgc_handle x)
{
    if (!heap_ok(h))
        return VGC_EINVAL;
    if (h->phase == PHASE_SNAPSHOT)
        return VGC_EBUSY;
    if (!handle_ok(h, x))
        return VGC_EHANDLE;
    if (h->tag[x] != VGC_UNTRACKED)
        vgc_gen_untrack(&h->gen, x);
    if (h->slot[x].flags & SLOT_IN_GARBAGE)
        garbage_remove(h, x);
    h->slot[x].flags = 0;
    h->slot[x].obj = NULL;
    h->slot[x].type = NULL;
    h->free_slots[h->nfree++] = x;
    return VGC_OK;
}

vgc_status vgc_track(vgc_heap *h, vgc_handle x)
{
    if (!heap_ok(h))
        return VGC_EINVAL;
    if (h->phase == PHASE_SNAPSHOT)
        return VGC_EBUSY;
    if (!handle_ok(h, x))
        return VGC_EHANDLE;
    if (h->tag[x] != VGC_UNTRACKED)
        return VGC_ETRACKED;
    vgc_gen_track(&h->gen, x);
    return VGC_OK;
}

vgc_status vgc_untrack(vgc_heap *h, vgc_handle x)
{
    if (!heap_ok(h))
        return VGC_EINVAL;
    if (h->phase == PHASE_SNAPSHOT)
        return VGC_EBUSY;
    if (!handle_ok(h, x))
        return VGC_EHANDLE;
    if (h->tag[x] == VGC_UNTRACKED)
        return VGC_EUNTRACKED;
    vgc_gen_untrack(&h->gen, x);
    return VGC_OK;
}

vgc_status vgc_is_tracked(vgc_heap *h, vgc_handle x, int *tracked)
{
    if (!heap_ok(h) || tracked == NULL)
        return VGC_EINVAL;
    if (!handle_ok(h, x))
        return VGC_EHANDLE;
    *tracked = h->tag[x] != VGC_UNTRACKED;
    return VGC_OK;
}

vgc_status vgc_generation_of(vgc_heap *h, vgc_handle x, int *generation)
{
    if (!heap_ok(h) || generation == NULL)
        return VGC_EINVAL;
    if (!handle_ok(h, x))
        return VGC_EHANDLE;
    /* Work lists (4..6) only exist inside a collection (see vgc.h). */
    *generation = h->tag[x] == VGC_UNTRACKED ? -1 : h->tag[x];
    return VGC_OK;
}

vgc_status vgc_object(vgc_heap *h, vgc_handle x, void **obj)
{
    if (!heap_ok(h) || obj == NULL)
        return VGC_EINVAL;
    if (!handle_ok(h, x))
        return VGC_EHANDLE;
    *obj = h->slot[x].obj;
    return VGC_OK;
}

vgc_status vgc_is_finalized(vgc_heap *h, vgc_handle x, int *finalized)
{
    if (!heap_ok(h) || finalized == NULL)
        return VGC_EINVAL;
    if (!handle_ok(h, x))
        return VGC_EHANDLE;
    *finalized = (h->slot[x].flags & SLOT_FINALIZED) != 0;
    return VGC_OK;
}

/* ---- the snapshot -------------------------------------------------------------------------- */

typedef struct snapshot {
    int32_t n;
    int32_t *slot_of;           /* snapshot index -> slot */
    int64_t *refs;
    uint32_t *offsets, *targets;
    uint8_t *roots, *legacy;
    int32_t *order, *pos;
    uint32_t nedges, fill;
    int overflow;
} snapshot;

static void snap_free(vgc_heap *h, snapshot *s)
{
    heap_free(&h->alloc, s->slot_of);
    heap_free(&h->alloc, s->refs);
    heap_free(&h->alloc, s->offsets);
    heap_free(&h->alloc, s->targets);
    heap_free(&h->alloc, s->roots);
    heap_free(&h->alloc, s->legacy);
    heap_free(&h->alloc, s->order);
    heap_free(&h->alloc, s->pos);
    memset(s, 0, sizeof *s);
}

typedef struct visit_ctx {
    vgc_heap *h;
    snapshot *s;
    int counting;
} visit_ctx;

static void visit_edge(vgc_handle child, void *arg)
{
    visit_ctx *c = arg;
    vgc_heap *h = c->h;
    if (child < 0 || (int64_t)child >= h->gen.cap || h->snap_idx[child] < 0)
        return;                        /* not in the collected set: an external reference */
    snapshot *s = c->s;
    if (c->counting) {
        if (s->nedges == UINT32_MAX)
            s->overflow = 1;
        else
            s->nedges++;
    } else if (s->fill < s->nedges) {
        s->targets[s->fill++] = (uint32_t)h->snap_idx[child];
    } else {
        s->overflow = 1;
    }
}

/* Snapshot the objects of lists[0..nl-1], in that order (the order a merge of them into
 * lists[0] produces): allocate, ask refcounts and references.  snap_idx[] marks membership; the
 * caller resets it with snap_unmark.  Returns VGC_OK, or VGC_ENOMEM / VGC_EHOST with nothing
 * allocated and the heap unchanged. */
static vgc_status snap_take(vgc_heap *h, const int *lists, int nl, snapshot *s)
{
    memset(s, 0, sizeof *s);
    int64_t n64 = 0;
    for (int j = 0; j < nl; j++)
        n64 += vgc_gen_len(&h->gen, lists[j]);
    int32_t n = (int32_t)n64;
    s->n = n;
    s->slot_of = heap_alloc(&h->alloc, (size_t)n, sizeof *s->slot_of);
    s->refs = heap_alloc(&h->alloc, (size_t)n, sizeof *s->refs);
    s->offsets = heap_alloc(&h->alloc, (size_t)n + 1, sizeof *s->offsets);
    s->roots = heap_alloc(&h->alloc, (size_t)n, sizeof *s->roots);
    s->legacy = heap_alloc(&h->alloc, (size_t)n, sizeof *s->legacy);
    s->order = heap_alloc(&h->alloc, (size_t)n, sizeof *s->order);
    s->pos = heap_alloc(&h->alloc, (size_t)n, sizeof *s->pos);
    if (!s->slot_of || !s->refs || !s->offsets || !s->roots || !s->legacy || !s->order
        || !s->pos) {
        snap_free(h, s);
        return VGC_ENOMEM;
    }
    int32_t i = 0;
    for (int j = 0; j < nl; j++)
        for (int32_t x = vgc_gen_first(&h->gen, lists[j]); x >= 0; x = vgc_gen_next(&h->gen, x)) {
            s->slot_of[i] = x;
            h->snap_idx[x] = i;
            i++;
        }
    int phase = h->phase;
    h->phase = PHASE_SNAPSHOT;
    visit_ctx c = {h, s, 1};
    s->offsets[0] = 0;
    for (i = 0; i < n; i++) {
        vgc_slot *o = &h->slot[s->slot_of[i]];
        int64_t rc = o->type->refcount(h, o->obj);
        if (rc < 0)
            rc = 0;
        if (o->flags & SLOT_IN_GARBAGE)   /* the garbage list holds a reference */
            rc = rc < INT64_MAX ? rc + 1 : rc;
        s->refs[i] = rc;
        s->legacy[i] = o->type->legacy_finalizer != 0;
        o->type->traverse(h, o->obj, visit_edge, &c);
        s->offsets[i + 1] = s->nedges;
    }
    vgc_status st = VGC_OK;
    if (s->overflow) {
        st = VGC_EHOST;
    } else {
        s->targets = heap_alloc(&h->alloc, s->nedges, sizeof *s->targets);
        if (s->targets == NULL) {
            st = VGC_ENOMEM;
        } else {
            c.counting = 0;
            for (i = 0; i < n && !s->overflow; i++) {
                vgc_slot *o = &h->slot[s->slot_of[i]];
                s->fill = s->offsets[i];
                o->type->traverse(h, o->obj, visit_edge, &c);
                if (s->fill != s->offsets[i + 1])
                    s->overflow = 1;
            }
            if (s->overflow)
                st = VGC_EHOST;
        }
    }
    h->phase = phase;
    if (st != VGC_OK) {
        for (i = 0; i < n; i++)
            h->snap_idx[s->slot_of[i]] = -1;
        snap_free(h, s);
    }
    return st;
}

static void snap_unmark(vgc_heap *h, snapshot *s)
{
    for (int32_t i = 0; i < s->n; i++)
        h->snap_idx[s->slot_of[i]] = -1;
}

/* ---- collection ---------------------------------------------------------------------------- */

static void debug_object(vgc_heap *h, const char *what, int32_t x)
{
    fprintf(dbg(h), "gc: %s <object %d at %p>\n", what, x, h->slot[x].obj);
}

/* PEP 442: call finalize once on every object of the unreachable list, robust to host code
 * that unlinks objects: each object is moved to SEEN before its finalizer runs. */
static void finalize_garbage(vgc_heap *h)
{
    int32_t x;
    while ((x = vgc_gen_first(&h->gen, VGC_UNREACHABLE)) >= 0) {
        vgc_gen_move(&h->gen, x, VGC_SEEN);
        vgc_slot *o = &h->slot[x];
        if (o->type->finalize && !(o->flags & SLOT_FINALIZED)) {
            o->flags |= SLOT_FINALIZED;
            o->type->finalize(h, o->obj);
        }
    }
    vgc_gen_merge(&h->gen, VGC_SEEN, VGC_UNREACHABLE);
}

/* handle_resurrected_objects: snapshot the unreachable list again; whatever is now referenced
 * from outside it (and what that reaches) goes back to `old`.  On allocation failure everything
 * goes back to `old` (nothing will be cleared). */
static vgc_status handle_resurrected(vgc_heap *h, int old)
{
    snapshot s;
    const int work[1] = {VGC_UNREACHABLE};
    vgc_status st = snap_take(h, work, 1, &s);
    if (st != VGC_OK) {
        vgc_gen_merge(&h->gen, VGC_UNREACHABLE, old);
        return st;
    }
    (void)vgc_update_refs(s.n, s.offsets, s.targets, s.refs, s.roots);
    int32_t live = vgc_move_unreachable(s.n, s.offsets, s.targets, s.roots, s.order, s.pos);
    snap_unmark(h, &s);
    for (int32_t i = 0; i < s.n; i++)
        if (s.pos[i] < live)
            vgc_gen_move(&h->gen, s.slot_of[i], old);
    snap_free(h, &s);
    return VGC_OK;
}

/* delete_garbage: clear each object; one still in the list afterwards survived and moves to
 * `old`.  DEBUG_SAVEALL: append to garbage instead. */
static void delete_garbage(vgc_heap *h, int old)
{
    int32_t x;
    while ((x = vgc_gen_first(&h->gen, VGC_UNREACHABLE)) >= 0) {
        vgc_slot *o = &h->slot[x];
        if (h->debug & VGC_DEBUG_SAVEALL) {
            if (!(o->flags & SLOT_IN_GARBAGE)) {
                o->flags |= SLOT_IN_GARBAGE;
                h->garbage[h->ngarbage++] = x;
            }
        } else if (o->type->clear) {
            o->type->clear(h, o->obj);
        }
        if (handle_ok(h, x) && h->tag[x] == VGC_UNREACHABLE &&
            vgc_gen_first(&h->gen, VGC_UNREACHABLE) == x)
            vgc_gen_move(&h->gen, x, old);
    }
}

static vgc_status collect(vgc_heap *h, int g, int64_t *found)
{
    *found = 0;
    if (h->phase != PHASE_IDLE)
        return VGC_OK;                 /* re-entrant: CPython's gc.collect() returns 0 */
    /* The young set in the order gc_list_merge(young_i, g) would give: g, then 0 .. g-1.
     * Everything that can fail happens here, before any state changes. */
    int lists[VGC_NGEN], nl = 0;
    lists[nl++] = g;
    for (int i = 0; i < g; i++)
        lists[nl++] = i;
    snapshot s;
    vgc_status st = snap_take(h, lists, nl, &s);
    if (st != VGC_OK)
        return st;
    h->phase = PHASE_FINALIZE;
    if (h->debug & VGC_DEBUG_STATS) {
        fprintf(dbg(h), "gc: collecting generation %d...\n", g);
        fprintf(dbg(h), "gc: objects in each generation: %lld %lld %lld\n",
                (long long)h->gen.len[0], (long long)h->gen.len[1], (long long)h->gen.len[2]);
    }
    /* count[g+1] += 1, count[0..g] = 0, merge younger into g: list g is now the snapshot. */
    vgc_gen_collect_begin(&h->gen, g);
    const int old = g + 1 < VGC_NGEN ? g + 1 : g;

    /* The proved core: gc_refs, reachability, legacy-finalizer closure. */
    int32_t inconsistent = vgc_update_refs(s.n, s.offsets, s.targets, s.refs, s.roots);
    if (inconsistent > 0 && (h->debug & VGC_DEBUG_STATS))
        fprintf(dbg(h), "gc: %d objects with more references than their refcount "
                        "(inconsistent traverse); kept alive\n", inconsistent);
    int32_t live = vgc_move_unreachable(s.n, s.offsets, s.targets, s.roots, s.order, s.pos);
    int32_t kept = vgc_move_legacy_finalizer_reachable(s.n, s.offsets, s.targets, s.legacy, live,
                                                        s.order, s.pos);
    snap_unmark(h, &s);
    /* Work lists, in list order: finalizers = positions [live, kept), unreachable = [kept, n). */
    int32_t c = vgc_select(s.n, s.pos, live, kept, s.order);
    for (int32_t j = 0; j < c; j++)
        vgc_gen_move(&h->gen, s.slot_of[s.order[j]], VGC_FINALIZERS);
    c = vgc_select(s.n, s.pos, kept, s.n, s.order);
    for (int32_t j = 0; j < c; j++)
        vgc_gen_move(&h->gen, s.slot_of[s.order[j]], VGC_UNREACHABLE);
    snap_free(h, &s);

    /* Survivors to the next generation, with CPython's long_lived_* bookkeeping. */
    vgc_gen_promote(&h->gen, g);

    const int64_t m = vgc_gen_len(&h->gen, VGC_UNREACHABLE);
    const int64_t n = vgc_gen_len(&h->gen, VGC_FINALIZERS);
    if (h->debug & VGC_DEBUG_COLLECTABLE)
        for (int32_t x = vgc_gen_first(&h->gen, VGC_UNREACHABLE); x >= 0;
             x = vgc_gen_next(&h->gen, x))
            debug_object(h, "collectable", x);
    if (h->debug & VGC_DEBUG_UNCOLLECTABLE)
        for (int32_t x = vgc_gen_first(&h->gen, VGC_FINALIZERS); x >= 0;
             x = vgc_gen_next(&h->gen, x))
            debug_object(h, "uncollectable", x);

    /* Host code runs from here on. */
    finalize_garbage(h);
    st = handle_resurrected(h, old);
    delete_garbage(h, old);

    /* handle_legacy_finalizers: legacy finalizers (or everything, with DEBUG_SAVEALL) go to
     * the garbage list; the whole set moves to the old generation. */
    for (int32_t x = vgc_gen_first(&h->gen, VGC_FINALIZERS); x >= 0;
         x = vgc_gen_next(&h->gen, x)) {
        vgc_slot *o = &h->slot[x];
        if (((h->debug & VGC_DEBUG_SAVEALL) || o->type->legacy_finalizer) &&
            !(o->flags & SLOT_IN_GARBAGE)) {
            o->flags |= SLOT_IN_GARBAGE;
            h->garbage[h->ngarbage++] = x;
        }
    }
    vgc_gen_merge(&h->gen, VGC_FINALIZERS, old);

    if (h->debug & VGC_DEBUG_STATS)
        fprintf(dbg(h), "gc: done, %lld unreachable, %lld uncollectable\n", (long long)(m + n),
                (long long)n);
    h->stats[g].collections++;
    h->stats[g].collected += m;
    h->stats[g].uncollectable += n;
    h->phase = PHASE_IDLE;
    *found = m + n;
    return st;
}

static int64_t collect_generations(vgc_heap *h)
{
    int g = vgc_gen_select(&h->gen);
    int64_t found = -1;
    if (g >= 0)
        (void)collect(h, g, &found);
    return found;
}

vgc_status vgc_collect(vgc_heap *h, int generation, int64_t *found)
{
    int64_t f = 0;
    if (!heap_ok(h))
        return VGC_EINVAL;
    if (generation < 0 || generation >= VGC_NGEN)
        return VGC_EGEN;
    vgc_status st = collect(h, generation, &f);
    if (found)
        *found = f;
    return st;
}

vgc_status vgc_collect_auto(vgc_heap *h, int64_t *found)
{
    if (!heap_ok(h))
        return VGC_EINVAL;
    int64_t f = -1;
    vgc_status st = VGC_OK;
    if (h->phase == PHASE_IDLE) {
        int g = vgc_gen_select(&h->gen);
        if (g >= 0)
            st = collect(h, g, &f);
    }
    if (found)
        *found = f;
    return st;
}

/* ---- configuration and statistics ---------------------------------------------------------- */

vgc_status vgc_enable(vgc_heap *h, int enabled)
{
    if (!heap_ok(h))
        return VGC_EINVAL;
    h->enabled = enabled != 0;
    return VGC_OK;
}

vgc_status vgc_is_enabled(vgc_heap *h, int *enabled)
{
    if (!heap_ok(h) || enabled == NULL)
        return VGC_EINVAL;
    *enabled = h->enabled;
    return VGC_OK;
}

vgc_status vgc_set_threshold(vgc_heap *h, int g, int64_t threshold)
{
    if (!heap_ok(h) || threshold < 0)
        return VGC_EINVAL;
    if (g < 0 || g >= VGC_NGEN)
        return VGC_EGEN;
    vgc_gen_set_threshold(&h->gen, g, threshold);
    return VGC_OK;
}

/* The argument checks shared by the per-generation accessors: a valid heap and result pointer
 * (VGC_EINVAL), then a generation in 0 .. last (VGC_EGEN). */
static vgc_status gen_args_ok(vgc_heap *h, const void *out, int g, int last)
{
    if (!heap_ok(h) || out == NULL)
        return VGC_EINVAL;
    if (g < 0 || g > last)
        return VGC_EGEN;
    return VGC_OK;
}

vgc_status vgc_get_threshold(vgc_heap *h, int g, int64_t *threshold)
{
    vgc_status st = gen_args_ok(h, threshold, g, VGC_NGEN - 1);
    if (st == VGC_OK)
        *threshold = h->gen.threshold[g];
    return st;
}

vgc_status vgc_get_count(vgc_heap *h, int g, int64_t *count)
{
    vgc_status st = gen_args_ok(h, count, g, VGC_NGEN - 1);
    if (st == VGC_OK)
        *count = h->gen.count[g];
    return st;
}

vgc_status vgc_get_stats(vgc_heap *h, int g, vgc_gen_stats *stats)
{
    vgc_status st = gen_args_ok(h, stats, g, VGC_NGEN - 1);
    if (st == VGC_OK)
        *stats = h->stats[g];
    return st;
}

vgc_status vgc_generation_size(vgc_heap *h, int g, int64_t *size)
{
    vgc_status st = gen_args_ok(h, size, g, VGC_PERMANENT);
    if (st == VGC_OK)
        *size = vgc_gen_len(&h->gen, g);
    return st;
}

vgc_status vgc_freeze(vgc_heap *h)
{
    if (!heap_ok(h))
        return VGC_EINVAL;
    if (h->phase == PHASE_SNAPSHOT)
        return VGC_EBUSY;
    vgc_gen_freeze(&h->gen);
    return VGC_OK;
}

vgc_status vgc_unfreeze(vgc_heap *h)
{
    if (!heap_ok(h))
        return VGC_EINVAL;
    if (h->phase == PHASE_SNAPSHOT)
        return VGC_EBUSY;
    vgc_gen_unfreeze(&h->gen);
    return VGC_OK;
}

vgc_status vgc_get_freeze_count(vgc_heap *h, int64_t *count)
{
    return vgc_generation_size(h, VGC_PERMANENT, count);
}

vgc_status vgc_garbage(vgc_heap *h, const vgc_handle **items, int64_t *n)
{
    if (!heap_ok(h) || items == NULL || n == NULL)
        return VGC_EINVAL;
    *items = h->garbage;
    *n = h->ngarbage;
    return VGC_OK;
}

vgc_status vgc_garbage_clear(vgc_heap *h)
{
    if (!heap_ok(h))
        return VGC_EINVAL;
    if (h->phase == PHASE_SNAPSHOT)
        return VGC_EBUSY;
    for (int64_t i = 0; i < h->ngarbage; i++)
        h->slot[h->garbage[i]].flags &= (uint8_t)~SLOT_IN_GARBAGE;
    h->ngarbage = 0;
    return VGC_OK;
}

vgc_status vgc_set_debug(vgc_heap *h, int flags, FILE *stream)
{
    if (!heap_ok(h) || (flags & ~(VGC_DEBUG_STATS | VGC_DEBUG_LEAK)) != 0)
        return VGC_EINVAL;
    h->debug = flags;
    h->debug_stream = stream;
    return VGC_OK;
}

vgc_status vgc_get_debug(vgc_heap *h, int *flags)
{
    if (!heap_ok(h) || flags == NULL)
        return VGC_EINVAL;
    *flags = h->debug;
    return VGC_OK;
}

/* ---- the heap checker ---------------------------------------------------------------------- */

#define FAIL(...) do { if (msg && msglen) snprintf(msg, msglen, __VA_ARGS__); \
                       return VGC_EINVAL; } while (0)

vgc_status vgc_heap_check(vgc_heap *h, char *msg, size_t msglen)
{
    if (msg && msglen)
        msg[0] = 0;
    if (!heap_ok(h))
        FAIL("not a heap");
    const vgc_gen *s = &h->gen;
    const int64_t cap = s->cap;
    if (cap <= 0 || cap > VGC_MAX_CAP || s->next != h->next || s->prev != h->prev ||
        s->tag != h->tag)
        FAIL("bad tracker header");
    int64_t tagged[VGC_NLISTS] = {0}, tracked = 0, registered = 0;
    for (int64_t x = 0; x < cap; x++) {
        uint8_t t = h->tag[x];
        if (t != VGC_UNTRACKED && t >= VGC_NLISTS)
            FAIL("slot %lld: bad tag %u", (long long)x, t);
        if (t != VGC_UNTRACKED) {
            tagged[t]++;
            tracked++;
            if (!(h->slot[x].flags & SLOT_REGISTERED))
                FAIL("slot %lld: tracked but not registered", (long long)x);
        }
        if (h->slot[x].flags & SLOT_REGISTERED) {
            registered++;
            if (h->slot[x].type == NULL)
                FAIL("slot %lld: registered without a type", (long long)x);
        } else if (h->slot[x].flags != 0) {
            FAIL("slot %lld: flags on a free slot", (long long)x);
        }
        if (h->phase == PHASE_IDLE && h->snap_idx[x] != -1)
            FAIL("slot %lld: stale snapshot index", (long long)x);
    }
    int64_t walked_total = 0;
    for (int l = 0; l < VGC_NLISTS; l++) {
        const int64_t head = cap + l;
        int64_t prevn = head, steps = 0;
        int64_t x = h->next[head];
        while (x != head) {
            if (x < 0 || x >= cap)
                FAIL("list %d: link %lld out of range", l, (long long)x);
            if (h->tag[x] != l)
                FAIL("list %d: slot %lld has tag %u", l, (long long)x, h->tag[x]);
            if (h->prev[x] != prevn)
                FAIL("list %d: prev[%lld] != %lld", l, (long long)x, (long long)prevn);
            if (++steps > cap)
                FAIL("list %d: cycle not through the head", l);
            prevn = x;
            x = h->next[x];
        }
        if (h->prev[head] != prevn)
            FAIL("list %d: head prev is %d, last is %lld", l, h->prev[head], (long long)prevn);
        if (steps != tagged[l])
            FAIL("list %d: %lld reachable from the head, %lld tagged", l, (long long)steps,
                 (long long)tagged[l]);
        if ((int64_t)s->len[l] != steps)
            FAIL("list %d: len %lld, walked %lld", l, (long long)s->len[l], (long long)steps);
        if (h->phase == PHASE_IDLE && l > VGC_PERMANENT && steps != 0)
            FAIL("work list %d not empty outside a collection", l);
        walked_total += steps;
    }
    if (walked_total != tracked)
        FAIL("walked %lld slots, %lld tracked", (long long)walked_total, (long long)tracked);
    if (registered + h->nfree != cap)
        FAIL("%lld registered + %d free != capacity %lld", (long long)registered, h->nfree,
             (long long)cap);
    for (int32_t i = 0; i < h->nfree; i++) {
        int32_t x = h->free_slots[i];
        if (x < 0 || x >= cap || h->slot[x].flags != 0 || h->tag[x] != VGC_UNTRACKED)
            FAIL("free slot %d is in use", x);
    }
    for (int g = 0; g < VGC_NGEN; g++)
        if (s->count[g] < 0 || s->threshold[g] < 0)
            FAIL("generation %d: negative count or threshold", g);
    if (s->long_lived_total < 0 || s->long_lived_pending < 0)
        FAIL("negative long_lived_*");
    int64_t in_garbage = 0;
    for (int64_t x = 0; x < cap; x++)
        in_garbage += (h->slot[x].flags & SLOT_IN_GARBAGE) != 0;
    if (in_garbage != h->ngarbage)
        FAIL("%lld flagged garbage, list has %lld", (long long)in_garbage,
             (long long)h->ngarbage);
    for (int64_t i = 0; i < h->ngarbage; i++)
        if (!handle_ok(h, h->garbage[i]) || !(h->slot[h->garbage[i]].flags & SLOT_IN_GARBAGE))
            FAIL("garbage entry %lld is not a flagged object", (long long)i);
    return VGC_OK;
}
