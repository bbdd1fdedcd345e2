/* fuzz_heap.c — fuzz harness `heap`: programs of operations on libvgc (include/vgc.h) against
 * an independent model of the host heap.  Not in proof scope: it tests libvgc (the tracker, the
 * collector's glue around the proved core) and the tracker's generation bookkeeping.
 *
 * fuzz-sources: src/libvgc.c src/vgc_gen.c src/vgc_gen_lists.c src/vgc_policy.c src/vgc_core.c
 *
 * Input.  Bytes 0-1: k (little endian); the k-th allocation libvgc makes after vgc_heap_new
 * fails (0: none), so every error path of a collection is reached.  Then operations, one opcode
 * byte each followed by its argument bytes (a read past the end yields 0): alloc(kind), link(a, b),
 * unlink(a), incref(a), decref(a), track(a), untrack(a), collect(g), collect_auto, freeze,
 * unfreeze, set_threshold(g, v), garbage_clear, bad_handle, enable(on[, level]) (then alloc
 * registers with automatic collection on, and the collection it may trigger is checked like any
 * other), debug(flags: DEBUG_STATS/COLLECTABLE/UNCOLLECTABLE/SAVEALL combinations, to /dev/null),
 * query(a) (every read-only query against the model: generation sizes, freeze count, thresholds,
 * gc.garbage, is_tracked, is_finalized, object), api_errors (every function with a NULL heap,
 * NULL out-pointers, bad configurations, generations, thresholds, debug flags, unregistered
 * handles: the documented error code; vgc_strerror), side_heap(sel) (vgc_heap_new with its j-th
 * allocation failing: VGC_ENOMEM, nothing leaked; or a capacity-1 heap with the default
 * allocator and a python_version: VGC_EFULL, default thresholds), corrupt(sel, a) (the heap
 * checker's self-test: one corruption of libvgc's arrays must be reported, then it is undone).
 * Object kinds: plain, with a finalizer, a finalizer that resurrects its object, a legacy
 * finalizer (tp_del), a finalizer that untracks the object's first child, a finalizer that
 * re-enters the collector (collect, collect_auto, heap_free: no-ops / VGC_EBUSY; its own
 * generation is the SEEN work list; vgc_heap_check passes), a finalizer that allocates a new
 * object, a traverse that tries every mutation (VGC_EBUSY) and collection (no-op), a traverse
 * that reports its first child once more every other call (the collection must fail with
 * VGC_EHOST and change nothing).  Decoding is total.  max_len 160 (fuzz/heap.options).
 *
 * The model.  Each host object has an external count (the program's references), children, a
 * refcount = external + references from live objects, and the model's own idea of its generation
 * (-1 untracked, 0..2, 3 permanent), finalized flag and garbage-list membership.  Before each
 * collection the model predicts, from its own state only: the collected set C (generations <= g),
 * the reachable part (closure from objects referenced from outside C: the program, an object
 * outside C, or the garbage list), the legacy closure L among the unreachable U, the finalizers
 * that will run, the resurrected closure, hence exactly which objects the host will free, the
 * value returned (|U|), the stats deltas and gc.garbage afterwards (with DEBUG_SAVEALL: nothing
 * cleared, every unreachable object listed); the freed set includes what dies by refcount when the
 * garbage drops its references.  Checks: after every collection, and every operation that can
 * touch more than one object, vgc_heap_check and every live object's generation equals the
 * model's; after the others, the touched object's generation; at the end of every program the
 * full check again; a refcount never goes negative; after every collection: freed set ==
 * predicted set, found, stats and gc.garbage as predicted, every error code as documented.  When a finalizer untracked
 * another object, that object is neither finalized nor cleared, so the check becomes: nothing
 * reachable is freed (freed is within the unreachable set and what only it holds).  On an allocation failure: either
 * nothing changed at all (snapshot failed) or — the resurrection re-check failed — finalizers ran,
 * nothing was freed and the unreachable objects moved to the older generation.
 */
#include "vgc.h"
#include "vgc_gen.h"   /* VGC_THRESHOLD*, VGC_MAX_CAP */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAXO = 40, MAXC = 6, MAXOPS = 300 };
enum { K_PLAIN, K_FIN, K_RES, K_LEGACY, K_UNTRACKER, K_REENTER, K_ALLOCATOR, K_BUSY, K_FLAKY,
       NKINDS };
enum { OP_ALLOC, OP_LINK, OP_UNLINK, OP_INCREF, OP_DECREF, OP_TRACK, OP_UNTRACK, OP_COLLECT,
       OP_AUTO, OP_FREEZE, OP_UNFREEZE, OP_THRESHOLD, OP_GARBAGE_CLEAR, OP_BAD_HANDLE,
       OP_ENABLE, OP_DEBUG, OP_QUERY, OP_API_ERRORS, OP_SIDE_HEAP, OP_CORRUPT, NOPS };
enum { MODE_COLLECT, MODE_AUTO, MODE_REGISTER };

typedef struct hobj {
    int64_t ext, rc;
    int32_t child[MAXC];
    int n;
    vgc_handle h;
    uint8_t kind, alive, finalized, in_garbage;
    int gen;
    unsigned traversals;                 /* K_FLAKY: parity of its traverse calls */
} hobj;

static hobj O[MAXO];
static int nobj;
static vgc_heap *heap;
static uint8_t freed_in_collect[MAXO];
static int finalize_calls, untracker_ran, alloc_failed;
static long unregistered;                /* vgc_unregister calls so far */
static long fail_countdown;
/* The model of the heap's settings. */
static int m_enabled, m_debug;
static int64_t m_threshold[3];
static FILE *devnull;                    /* the debug stream (its output is not checked) */

/* The heap's own allocations, recorded while vgc_heap_new runs (OP_CORRUPT uses them). */
enum { NHALLOC = 8 };
static void *halloc[NHALLOC];
static size_t hsize[NHALLOC];
static int nhalloc, recording;

#define CHECK(c, ...) do { if (!(c)) { fprintf(stderr, "fuzz_heap: " __VA_ARGS__); \
    fprintf(stderr, "\n"); abort(); } } while (0)

static void *fz_alloc(size_t size, void *ctx)
{
    long *countdown = ctx;
    if (*countdown > 0 && --*countdown == 0) {
        alloc_failed = 1;
        return NULL;
    }
    void *p = malloc(size ? size : 1);
    if (recording && nhalloc < NHALLOC) {
        halloc[nhalloc] = p;
        hsize[nhalloc++] = size;
    }
    return p;
}
static void fz_free(void *p, void *ctx) { (void)ctx; free(p); }
static const vgc_allocator allocator = {fz_alloc, fz_free, &fail_countdown};

/* ASan keeps the allocation and free stack of every block; a collection allocates ~14 blocks, so
 * unwinding 30 frames each was ~20% of the run time.  Four frames (harness -> libvgc -> ...) still
 * name the site; detection is unchanged, and ASAN_OPTIONS=malloc_context_size=30 in the
 * environment overrides this when a finding needs the full stacks. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "malloc_context_size=4"; }

static int index_of(void *p) { return (int)((hobj *)p - O); }
static int64_t cb_refcount(vgc_heap *h, void *p);
static void cb_traverse(vgc_heap *h, void *p, vgc_visit_fn visit, void *arg);
static const vgc_type types_plain = {cb_refcount, cb_traverse, NULL, NULL, 0};

static void decref(int i);

static void free_obj(int i)
{
    hobj *o = &O[i];
    o->alive = 0;
    while (o->n > 0)
        decref(o->child[--o->n]);
    CHECK(vgc_unregister(heap, o->h) == VGC_OK, "unregister %d failed", i);
    freed_in_collect[i] = 1;
    unregistered++;
}

static void decref(int i)
{
    CHECK(O[i].alive && O[i].rc > 0, "decref of dead or zero-refcount object %d", i);
    if (--O[i].rc == 0)
        free_obj(i);
}

/* ---- the host's callbacks ---------------------------------------------------------------- */

static int64_t cb_refcount(vgc_heap *h, void *p) { (void)h; return O[index_of(p)].rc; }

static void new_object(int kind);

static void cb_traverse(vgc_heap *h, void *p, vgc_visit_fn visit, void *arg)
{
    (void)h;
    hobj *o = &O[index_of(p)];
    for (int c = 0; c < o->n; c++)
        visit(O[o->child[c]].h, arg);
}

/* K_FLAKY: every other call reports its first child once more (a host bug: the two passes of
 * a snapshot disagree, so the collection must fail with VGC_EHOST and change nothing). */
static void cb_traverse_flaky(vgc_heap *h, void *p, vgc_visit_fn visit, void *arg)
{
    hobj *o = &O[index_of(p)];
    cb_traverse(h, p, visit, arg);
    if (o->n > 0 && (o->traversals++ & 1))
        visit(O[o->child[0]].h, arg);
}

/* K_BUSY: a traverse that tries every mutation: all refused (VGC_EBUSY) while the collector
 * reads the heap; a collection requested now does nothing. */
static void cb_traverse_busy(vgc_heap *h, void *p, vgc_visit_fn visit, void *arg)
{
    int i = index_of(p);
    vgc_handle x = 7;
    int64_t f = 5;
    CHECK(vgc_register(h, &O[i], &types_plain, &x) == VGC_EBUSY && x == -1, "register: EBUSY");
    CHECK(vgc_unregister(h, O[i].h) == VGC_EBUSY, "unregister: EBUSY");
    CHECK(vgc_track(h, O[i].h) == VGC_EBUSY, "track: EBUSY");
    CHECK(vgc_untrack(h, O[i].h) == VGC_EBUSY, "untrack: EBUSY");
    CHECK(vgc_freeze(h) == VGC_EBUSY && vgc_unfreeze(h) == VGC_EBUSY, "freeze: EBUSY");
    CHECK(vgc_garbage_clear(h) == VGC_EBUSY, "garbage_clear: EBUSY");
    CHECK(vgc_heap_free(h) == VGC_EBUSY, "heap_free: EBUSY");
    CHECK(vgc_collect(h, 2, &f) == VGC_OK && f == 0, "re-entrant collect from traverse");
    CHECK(vgc_collect_auto(h, &f) == VGC_OK && f == -1, "re-entrant collect_auto");
    cb_traverse(h, p, visit, arg);
}

static void cb_finalize(vgc_heap *h, void *p)
{
    int i = index_of(p);
    hobj *o = &O[i];
    CHECK(o->alive && !o->finalized, "finalize called twice or on a dead object %d", i);
    o->finalized = 1;
    finalize_calls++;
    if (o->kind == K_RES) {              /* resurrect: the host keeps a reference */
        o->ext++;
        o->rc++;
    } else if (o->kind == K_UNTRACKER && o->n > 0 && O[o->child[0]].gen >= 0) {
        vgc_status st = vgc_untrack(h, O[o->child[0]].h);
        CHECK(st == VGC_OK, "untrack from a finalizer: %s", vgc_strerror(st));
        O[o->child[0]].gen = -1;
        untracker_ran = 1;
    } else if (o->kind == K_REENTER) {   /* the collector is running; the heap is consistent */
        int64_t f = 5;
        int gen = -2, fin = 0;
        char msg[256];
        CHECK(vgc_collect(h, 0, &f) == VGC_OK && f == 0, "re-entrant collect from a finalizer");
        CHECK(vgc_collect_auto(h, &f) == VGC_OK && f == -1, "re-entrant collect_auto");
        CHECK(vgc_heap_free(h) == VGC_EBUSY, "heap_free from a finalizer");
        CHECK(vgc_generation_of(h, o->h, &gen) == VGC_OK && gen == 6,
              "a finalized object is in the SEEN work list (6), not %d", gen);
        CHECK(vgc_is_finalized(h, o->h, &fin) == VGC_OK && fin == 1, "is_finalized in finalize");
        CHECK(vgc_heap_check(h, msg, sizeof msg) == VGC_OK, "heap check in a finalizer: %s", msg);
    } else if (o->kind == K_ALLOCATOR && nobj < MAXO) {   /* a new object, held by the program */
        new_object(K_PLAIN);
    }
}

static void cb_clear(vgc_heap *h, void *p)   /* tp_clear: hold o while dropping its children */
{
    (void)h;
    int i = index_of(p);
    O[i].rc++;
    while (O[i].n > 0)
        decref(O[i].child[--O[i].n]);
    decref(i);
}

static const vgc_type types[NKINDS] = {
    [K_PLAIN]     = {cb_refcount, cb_traverse, NULL, cb_clear, 0},
    [K_FIN]       = {cb_refcount, cb_traverse, cb_finalize, cb_clear, 0},
    [K_RES]       = {cb_refcount, cb_traverse, cb_finalize, cb_clear, 0},
    [K_LEGACY]    = {cb_refcount, cb_traverse, NULL, cb_clear, 1},
    [K_UNTRACKER] = {cb_refcount, cb_traverse, cb_finalize, cb_clear, 0},
    [K_REENTER]   = {cb_refcount, cb_traverse, cb_finalize, cb_clear, 0},
    [K_ALLOCATOR] = {cb_refcount, cb_traverse, cb_finalize, cb_clear, 0},
    [K_BUSY]      = {cb_refcount, cb_traverse_busy, NULL, cb_clear, 0},
    [K_FLAKY]     = {cb_refcount, cb_traverse_flaky, NULL, cb_clear, 0},
};

/* A new host object of `kind`, referenced once by the program, registered (tracked in
 * generation 0).  Registration never triggers a collection here (see MODE_REGISTER). */
static void new_object(int kind)
{
    hobj *o = &O[nobj];
    memset(o, 0, sizeof *o);
    o->kind = (uint8_t)kind;
    o->ext = o->rc = 1;
    o->alive = 1;
    nobj++;
    vgc_status st = vgc_register(heap, o, &types[kind], &o->h);
    CHECK(st == VGC_OK, "register: %s", vgc_strerror(st));
}

/* ---- the model's prediction of one collection ------------------------------------------ */

typedef struct prediction {
    uint8_t in_c[MAXO], unreach[MAXO], legacy[MAXO], freed[MAXO], may[MAXO], garbage[MAXO];
    int64_t found, collected, uncollectable;
    int ehost;                           /* a K_FLAKY object in C reports a child in C */
} prediction;

/* Close `set` under children, staying inside `within`. */
static void close_within(uint8_t *set, const uint8_t *within)
{
    for (int changed = 1; changed;) {
        changed = 0;
        for (int i = 0; i < nobj; i++)
            if (set[i])
                for (int c = 0; c < O[i].n; c++) {
                    int t = O[i].child[c];
                    if (within[t] && !set[t])
                        set[t] = changed = 1;
                }
    }
}

/* Clearing the garbage drops its references: whatever only dying objects (and no external
 * reference) refer to dies by refcount too, wherever it is.  `dies` grows to that fixed point. */
static void cascade(uint8_t *dies, const uint8_t *resurrects)
{
    for (int changed = 1; changed;) {
        changed = 0;
        for (int x = 0; x < nobj; x++) {
            if (!O[x].alive || dies[x] || O[x].ext > 0 || resurrects[x])
                continue;                /* (a resurrecting finalizer adds an external ref) */
            int held = 0;
            for (int i = 0; i < nobj && !held; i++)
                if (O[i].alive && !dies[i])
                    for (int c = 0; c < O[i].n; c++)
                        held |= O[i].child[c] == x;
            if (!held)
                dies[x] = changed = 1;
        }
    }
}

static void predict(int g, prediction *p)
{
    uint8_t root[MAXO] = {0}, f[MAXO] = {0}, res[MAXO] = {0}, resurrects[MAXO] = {0};
    memset(p, 0, sizeof *p);
    for (int i = 0; i < nobj; i++)
        p->in_c[i] = O[i].alive && O[i].gen >= 0 && O[i].gen <= g;
    for (int i = 0; i < nobj; i++)
        if (p->in_c[i] && O[i].kind == K_FLAKY && O[i].n > 0 && p->in_c[O[i].child[0]])
            p->ehost = 1;
    for (int i = 0; i < nobj; i++) {
        if (!p->in_c[i])
            continue;
        root[i] = O[i].ext > 0 || O[i].in_garbage;
    }
    for (int i = 0; i < nobj; i++)       /* references from live objects outside C */
        if (O[i].alive && !p->in_c[i])
            for (int c = 0; c < O[i].n; c++)
                if (p->in_c[O[i].child[c]])
                    root[O[i].child[c]] = 1;
    close_within(root, p->in_c);
    for (int i = 0; i < nobj; i++) {
        p->unreach[i] = p->in_c[i] && !root[i];
        p->legacy[i] = p->unreach[i] && O[i].kind == K_LEGACY;
    }
    close_within(p->legacy, p->unreach);
    for (int i = 0; i < nobj; i++) {
        f[i] = p->unreach[i] && !p->legacy[i];
        res[i] = resurrects[i] = f[i] && O[i].kind == K_RES && !O[i].finalized;
        p->found += p->unreach[i];
        p->collected += f[i];
        p->uncollectable += p->legacy[i];
    }
    close_within(res, f);
    for (int i = 0; i < nobj; i++) {
        p->freed[i] = f[i] && !res[i] && !(m_debug & VGC_DEBUG_SAVEALL);
        /* gc.garbage afterwards: legacy-finalizer objects of L; with DEBUG_SAVEALL all of L and
         * every unreachable object that was not resurrected (none of them is cleared). */
        p->garbage[i] = O[i].in_garbage ||
            (m_debug & VGC_DEBUG_SAVEALL ? p->legacy[i] || (f[i] && !res[i])
                                         : p->legacy[i] && O[i].kind == K_LEGACY);
    }
    cascade(p->freed, resurrects);
    /* Upper bound for collections where a finalizer untracked another object (which then is
     * neither finalized nor cleared, only dies by refcount): anything unreachable, and what
     * only they hold, may die. */
    memcpy(p->may, p->unreach, sizeof p->may);
    cascade(p->may, resurrects);
}

/* ---- checks ------------------------------------------------------------------------------ */

/* One object's generation against the model (after an operation that touched only it). */
static void check_gen(int i)
{
    int gen = -2;
    CHECK(vgc_generation_of(heap, O[i].h, &gen) == VGC_OK, "generation_of %d", i);
    CHECK(gen == O[i].gen, "object %d in generation %d, model says %d", i, gen, O[i].gen);
}

/* The full check: libvgc's heap checker (every list, count and flag), every live object's
 * generation.  Run after every operation that can change more than one object's lists (every
 * collection, register with automatic collection, freeze, unfreeze, garbage_clear, a decref or
 * unlink that freed objects, ...) and at the end of every program. */
static void check_heap(void)
{
    char msg[256];
    vgc_status st = vgc_heap_check(heap, msg, sizeof msg);
    CHECK(st == VGC_OK, "heap check: %s", msg);
    for (int i = 0; i < nobj; i++) {
        if (!O[i].alive)
            continue;
        int gen = -2;
        CHECK(vgc_generation_of(heap, O[i].h, &gen) == VGC_OK, "generation_of %d", i);
        CHECK(gen == O[i].gen, "object %d in generation %d, model says %d", i, gen, O[i].gen);
    }
}

/* The host's gc.garbage as flags, checking that every entry is a live object. */
static void host_garbage(uint8_t *in)
{
    const vgc_handle *items;
    int64_t n = -1;
    CHECK(vgc_garbage(heap, &items, &n) == VGC_OK && n >= 0, "vgc_garbage");
    memset(in, 0, MAXO);
    for (int64_t k = 0; k < n; k++) {
        int found = 0;
        for (int i = 0; i < nobj && !found; i++)
            if (O[i].alive && O[i].h == items[k])
                in[i] = found = 1;
        CHECK(found, "garbage entry %lld (handle %d) is not a live object", (long long)k,
              items[k]);
    }
}

/* One collection: explicit (vgc_collect(g)), automatic (vgc_collect_auto), or triggered by
 * registering object `reg` (already in the model) with automatic collection enabled. */
static void do_collect(int g, int mode, int reg)
{
    vgc_gen_stats before[3], after[3];
    prediction pred[3];
    for (int j = 0; j < 3; j++) {
        CHECK(vgc_get_stats(heap, j, &before[j]) == VGC_OK, "get_stats");
        if (mode != MODE_COLLECT || j == g)   /* explicit: only generation g can be collected */
            predict(j, &pred[j]);
    }
    memset(freed_in_collect, 0, sizeof freed_in_collect);
    finalize_calls = untracker_ran = alloc_failed = 0;
    int64_t found = -7;
    vgc_status st;
    if (mode == MODE_COLLECT)
        st = vgc_collect(heap, g, &found);
    else if (mode == MODE_AUTO)
        st = vgc_collect_auto(heap, &found);
    else
        st = vgc_register(heap, &O[reg], &types[O[reg].kind], &O[reg].h);
    for (int j = 0; j < 3; j++)
        CHECK(vgc_get_stats(heap, j, &after[j]) == VGC_OK, "get_stats");
    if (mode != MODE_COLLECT) {
        g = -1;
        for (int j = 0; j < 3; j++)
            if (after[j].collections != before[j].collections)
                g = j;
    }
    if (mode == MODE_REGISTER) {         /* a collection's outcome is not reported by register */
        CHECK(st == VGC_OK, "register: %s", vgc_strerror(st));
        st = g >= 0 && alloc_failed ? VGC_ENOMEM : VGC_OK;
    }
    if (g < 0) {                         /* the policy selected nothing (or the snapshot failed) */
        CHECK(mode != MODE_AUTO || found == -1 || st != VGC_OK, "collect_auto: found %lld, nothing ran",
              (long long)found);
        for (int i = 0; i < nobj; i++)
            CHECK(!freed_in_collect[i], "object %d freed by a collection that did not run", i);
        return;
    }
    prediction *p = &pred[g];
    int ran = after[g].collections == before[g].collections + 1;
    if (!ran) {                          /* the snapshot failed: nothing at all happened */
        if (p->ehost && !alloc_failed)
            CHECK(st == VGC_EHOST || mode == MODE_REGISTER, "inconsistent traverse: %s",
                  vgc_strerror(st));
        else
            CHECK(st == VGC_ENOMEM || mode == MODE_REGISTER, "a collection neither ran nor failed");
        CHECK(alloc_failed || p->ehost, "collection aborted without a cause");
        CHECK(finalize_calls == 0, "finalizers ran in an aborted collection");
        for (int i = 0; i < nobj; i++)
            CHECK(!freed_in_collect[i], "object %d freed by an aborted collection", i);
        return;
    }
    CHECK(!p->ehost, "collect(%d) ran despite an inconsistent traverse", g);
    CHECK(st == (alloc_failed ? VGC_ENOMEM : VGC_OK), "collect(%d): %s (allocation failed: %d)",
          g, vgc_strerror(st), alloc_failed);
    CHECK(mode == MODE_REGISTER || found == p->found, "collect(%d) found %lld, model predicts %lld",
          g, (long long)found, (long long)p->found);
    CHECK(after[g].collected - before[g].collected == p->collected, "collected delta");
    CHECK(after[g].uncollectable - before[g].uncollectable == p->uncollectable,
          "uncollectable delta");
    for (int i = 0; i < nobj; i++) {
        int expect = st == VGC_ENOMEM ? 0 : p->freed[i];   /* re-check failed: nothing freed */
        if (freed_in_collect[i] && !expect && !(untracker_ran && p->may[i]))
            CHECK(0, "collect(%d) freed object %d, which the model says must survive", g, i);
        if (!untracker_ran && expect && !freed_in_collect[i])
            CHECK(0, "collect(%d) kept object %d, which the model says is garbage", g, i);
    }
    /* The model's bookkeeping: survivors to the older generation, gc.garbage. */
    int old = g + 1 < 3 ? g + 1 : 2;
    uint8_t hg[MAXO];
    host_garbage(hg);
    for (int i = 0; i < nobj; i++) {
        int expect = O[i].alive && (st == VGC_ENOMEM && !(m_debug & VGC_DEBUG_SAVEALL)
                                        ? O[i].in_garbage || (p->legacy[i] && O[i].kind == K_LEGACY)
                                        : st == VGC_ENOMEM ? O[i].in_garbage || p->legacy[i]
                                                           : p->garbage[i]);
        if (untracker_ran)               /* an untracked object is neither cleared nor listed */
            expect = hg[i];
        CHECK(hg[i] == expect, "object %d: in gc.garbage %d, model says %d", i, hg[i], expect);
        O[i].in_garbage = hg[i];
        if (O[i].alive && p->in_c[i] && O[i].gen >= 0)
            O[i].gen = old;
    }
}

/* ---- the program --------------------------------------------------------------------------- */

typedef struct reader { const uint8_t *p, *end; } reader;
static int rd(reader *r) { return r->p < r->end ? *r->p++ : 0; }

static int live_obj(reader *r)           /* a live object chosen by the next byte, or -1 */
{
    int b = rd(r);
    if (nobj == 0)
        return -1;
    for (int k = 0; k < nobj; k++) {
        int i = (b + k) % nobj;
        if (O[i].alive)
            return i;
    }
    return -1;
}

static int trace;                        /* FUZZ_HEAP_TRACE=1: print the decoded program */
static const char *const op_name[NOPS] = {"alloc", "link", "unlink", "incref", "decref", "track",
    "untrack", "collect", "collect_auto", "freeze", "unfreeze", "set_threshold", "garbage_clear",
    "bad_handle", "enable", "debug", "query", "api_errors", "side_heap", "corrupt"};

static void dump_model(void)
{
    for (int i = 0; i < nobj; i++) {
        if (!O[i].alive)
            continue;
        fprintf(stderr, "    #%d kind %d ext %lld rc %lld gen %d fin %d garb %d ->", i, O[i].kind,
                (long long)O[i].ext, (long long)O[i].rc, O[i].gen, O[i].finalized,
                O[i].in_garbage);
        for (int c = 0; c < O[i].n; c++)
            fprintf(stderr, " %d", O[i].child[c]);
        fprintf(stderr, "\n");
    }
}

/* ---- the rest of the API: queries against the model, error codes, other heaps ------------ */

static void query(int a)
{
    int64_t size[4] = {0}, v = -1;
    for (int i = 0; i < nobj; i++)
        if (O[i].alive && O[i].gen >= 0)
            size[O[i].gen]++;
    for (int g = 0; g < 4; g++)
        CHECK(vgc_generation_size(heap, g, &v) == VGC_OK && v == size[g],
              "generation_size(%d) = %lld, model %lld", g, (long long)v, (long long)size[g]);
    CHECK(vgc_get_freeze_count(heap, &v) == VGC_OK && v == size[3], "get_freeze_count");
    for (int g = 0; g < 3; g++) {
        CHECK(vgc_get_threshold(heap, g, &v) == VGC_OK && v == m_threshold[g], "get_threshold");
        CHECK(vgc_get_count(heap, g, &v) == VGC_OK && v >= 0, "get_count");
    }
    uint8_t hg[MAXO];
    host_garbage(hg);
    for (int i = 0; i < nobj; i++)
        CHECK(hg[i] == (O[i].alive && O[i].in_garbage), "object %d: gc.garbage %d, model %d", i,
              hg[i], O[i].in_garbage);
    if (a < 0)
        return;
    int t = -1, fin = -1;
    void *obj = NULL;
    CHECK(vgc_is_tracked(heap, O[a].h, &t) == VGC_OK && t == (O[a].gen >= 0), "is_tracked");
    CHECK(vgc_is_finalized(heap, O[a].h, &fin) == VGC_OK && fin == O[a].finalized,
          "is_finalized");
    CHECK(vgc_object(heap, O[a].h, &obj) == VGC_OK && obj == &O[a], "vgc_object");
}

/* A handle that is not registered (in range but free, or out of range). */
static vgc_handle free_handle(void)
{
    for (vgc_handle x = 0; x < MAXO; x++) {
        int used = 0;
        for (int i = 0; i < nobj && !used; i++)
            used = O[i].alive && O[i].h == x;
        if (!used)
            return x;
    }
    return MAXO;
}

static void api_errors(void)
{
    vgc_heap *out = (vgc_heap *)&out;
    int iv;
    int64_t v;
    void *obj;
    vgc_gen_stats gs;
    const vgc_handle *items;
    vgc_handle hh;
    /* Configurations. */
    vgc_allocator half = {fz_alloc, NULL, NULL};
    const vgc_config bad[] = {{0, 0, NULL}, {-1, 0, NULL}, {VGC_MAX_CAP + 1, 0, NULL},
        {4, 0x0309, NULL}, {4, 0x030E, NULL}, {4, -1, NULL}, {4, 0, &half}};
    CHECK(vgc_heap_new(&bad[0], NULL) == VGC_EINVAL, "heap_new(NULL out)");
    CHECK(vgc_heap_new(NULL, &out) == VGC_EINVAL && out == NULL, "heap_new(NULL cfg)");
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        out = (vgc_heap *)&out;
        CHECK(vgc_heap_new(&bad[k], &out) == VGC_EINVAL && out == NULL, "bad config %zu", k);
    }
    /* No heap. */
    vgc_heap *n = NULL;
    CHECK(vgc_heap_free(n) == VGC_EINVAL, "heap_free(NULL)");
    CHECK(vgc_register(n, &O[0], &types[0], &hh) == VGC_EINVAL, "register(NULL)");
    CHECK(vgc_unregister(n, 0) == VGC_EINVAL && vgc_track(n, 0) == VGC_EINVAL &&
          vgc_untrack(n, 0) == VGC_EINVAL && vgc_is_tracked(n, 0, &iv) == VGC_EINVAL &&
          vgc_generation_of(n, 0, &iv) == VGC_EINVAL && vgc_object(n, 0, &obj) == VGC_EINVAL &&
          vgc_is_finalized(n, 0, &iv) == VGC_EINVAL && vgc_collect(n, 0, &v) == VGC_EINVAL &&
          vgc_collect_auto(n, &v) == VGC_EINVAL && vgc_enable(n, 1) == VGC_EINVAL &&
          vgc_is_enabled(n, &iv) == VGC_EINVAL && vgc_set_threshold(n, 0, 1) == VGC_EINVAL &&
          vgc_get_threshold(n, 0, &v) == VGC_EINVAL && vgc_get_count(n, 0, &v) == VGC_EINVAL &&
          vgc_get_stats(n, 0, &gs) == VGC_EINVAL && vgc_generation_size(n, 0, &v) == VGC_EINVAL &&
          vgc_freeze(n) == VGC_EINVAL && vgc_unfreeze(n) == VGC_EINVAL &&
          vgc_get_freeze_count(n, &v) == VGC_EINVAL && vgc_garbage(n, &items, &v) == VGC_EINVAL &&
          vgc_garbage_clear(n) == VGC_EINVAL && vgc_set_debug(n, 0, NULL) == VGC_EINVAL &&
          vgc_get_debug(n, &iv) == VGC_EINVAL && vgc_heap_check(n, NULL, 0) == VGC_EINVAL,
          "a NULL heap is not refused with VGC_EINVAL");
    /* NULL out-pointers and bad types. */
    const vgc_type no_refcount = {NULL, cb_traverse, NULL, NULL, 0};
    const vgc_type no_traverse = {cb_refcount, NULL, NULL, NULL, 0};
    CHECK(vgc_register(heap, &O[0], NULL, &hh) == VGC_EINVAL &&
          vgc_register(heap, &O[0], &types[0], NULL) == VGC_EINVAL &&
          vgc_register(heap, &O[0], &no_refcount, &hh) == VGC_EINVAL &&
          vgc_register(heap, &O[0], &no_traverse, &hh) == VGC_EINVAL &&
          vgc_is_tracked(heap, 0, NULL) == VGC_EINVAL &&
          vgc_generation_of(heap, 0, NULL) == VGC_EINVAL && vgc_object(heap, 0, NULL) == VGC_EINVAL &&
          vgc_is_finalized(heap, 0, NULL) == VGC_EINVAL && vgc_is_enabled(heap, NULL) == VGC_EINVAL &&
          vgc_get_threshold(heap, 0, NULL) == VGC_EINVAL && vgc_get_count(heap, 0, NULL) == VGC_EINVAL &&
          vgc_get_stats(heap, 0, NULL) == VGC_EINVAL &&
          vgc_generation_size(heap, 0, NULL) == VGC_EINVAL &&
          vgc_get_freeze_count(heap, NULL) == VGC_EINVAL &&
          vgc_garbage(heap, NULL, &v) == VGC_EINVAL && vgc_garbage(heap, &items, NULL) == VGC_EINVAL &&
          vgc_get_debug(heap, NULL) == VGC_EINVAL,
          "a NULL out-pointer is not refused with VGC_EINVAL");
    /* Values out of range. */
    CHECK(vgc_set_threshold(heap, 0, -1) == VGC_EINVAL && vgc_set_debug(heap, 8, NULL) == VGC_EINVAL &&
          vgc_set_debug(heap, 64, NULL) == VGC_EINVAL, "bad threshold / debug flags accepted");
    const int badgen[] = {-1, 3, INT32_MIN, INT32_MAX};
    for (size_t k = 0; k < 4; k++) {
        int g = badgen[k];
        CHECK(vgc_collect(heap, g, &v) == VGC_EGEN && vgc_set_threshold(heap, g, 1) == VGC_EGEN &&
              vgc_get_threshold(heap, g, &v) == VGC_EGEN && vgc_get_count(heap, g, &v) == VGC_EGEN &&
              vgc_get_stats(heap, g, &gs) == VGC_EGEN, "generation %d accepted", g);
        CHECK(vgc_generation_size(heap, g == 3 ? 4 : g, &v) == VGC_EGEN, "generation_size(%d)", g);
    }
    /* Handles that are not registered. */
    const vgc_handle badh[] = {free_handle(), -1, MAXO, INT32_MAX, INT32_MIN};
    for (size_t k = 0; k < 5; k++) {
        vgc_handle x = badh[k];
        CHECK(vgc_unregister(heap, x) == VGC_EHANDLE && vgc_track(heap, x) == VGC_EHANDLE &&
              vgc_untrack(heap, x) == VGC_EHANDLE && vgc_is_tracked(heap, x, &iv) == VGC_EHANDLE &&
              vgc_generation_of(heap, x, &iv) == VGC_EHANDLE &&
              vgc_object(heap, x, &obj) == VGC_EHANDLE &&
              vgc_is_finalized(heap, x, &iv) == VGC_EHANDLE, "handle %d accepted", x);
    }
    /* Every status has its own message; anything else is "unknown status" (once per process:
     * the answer cannot depend on the input). */
    static int strerror_checked;
    if (strerror_checked++)
        return;
    const char *unknown = vgc_strerror((vgc_status)1);
    CHECK(unknown && vgc_strerror((vgc_status)-10) == unknown, "strerror(unknown)");
    for (int a = 0; a >= -9; a--)
        for (int b = a - 1; b >= -9; b--)
            CHECK(vgc_strerror((vgc_status)a) && vgc_strerror((vgc_status)a) != unknown &&
                  strcmp(vgc_strerror((vgc_status)a), vgc_strerror((vgc_status)b)) != 0,
                  "strerror(%d) vs strerror(%d)", a, b);
}

/* Other heaps, next to the program's: sel % 4 == 0..2: the (sel/4 % 8 + 1)-th allocation of
 * vgc_heap_new fails (VGC_ENOMEM, nothing leaked, out NULL); 3: a capacity-1 heap with the
 * default allocator (malloc), the python_version from sel: VGC_EFULL on a second register, its
 * default thresholds, one collection. */
static void side_heap(int sel)
{
    static const int versions[4] = {0, 0x030A, 0x030C, 0x030D};
    vgc_heap *h2 = (vgc_heap *)&h2;
    if (sel % 4 < 3) {
        long countdown = sel / 4 % 8 + 1;
        const vgc_allocator failing = {fz_alloc, fz_free, &countdown};
        const vgc_config cfg = {MAXO, 0, &failing};
        alloc_failed = 0;
        vgc_status st = vgc_heap_new(&cfg, &h2);
        CHECK(st == VGC_ENOMEM && h2 == NULL && alloc_failed, "heap_new with allocation %ld failing: %s",
              (long)(sel / 4 % 8 + 1), vgc_strerror(st));
        return;
    }
    int ver = versions[sel / 4 % 4];
    const vgc_config cfg = {1, ver, NULL};
    CHECK(vgc_heap_new(&cfg, &h2) == VGC_OK && h2 != NULL, "heap_new(capacity 1)");
    int64_t t = -1, f = -1;
    CHECK(vgc_get_threshold(h2, 0, &t) == VGC_OK &&
          t == (ver == 0x030D ? VGC_THRESHOLD0_313 : VGC_THRESHOLD0_CLASSIC), "default threshold0");
    vgc_handle x = -1, y = 3;           /* the objects are the model's, never traversed here */
    CHECK(vgc_register(h2, &O[0], &types_plain, &x) == VGC_OK && x == 0, "register on a side heap");
    CHECK(vgc_register(h2, &O[1], &types_plain, &y) == VGC_EFULL && y == -1, "EFULL");
    CHECK(vgc_heap_check(h2, NULL, 0) == VGC_OK, "side heap check");
    CHECK(vgc_unregister(h2, x) == VGC_OK, "unregister on a side heap");
    CHECK(vgc_collect(h2, 2, &f) == VGC_OK && f == 0, "collect an empty side heap");
    CHECK(vgc_heap_free(h2) == VGC_OK, "heap_free");
}

/* The heap checker itself: one corruption of libvgc's arrays (found among the allocations
 * vgc_heap_new made, recorded by fz_alloc in order: heap, next, prev, tag, slot, free_slots,
 * snap_idx, garbage; the harness first checks that they hold what the model says) must be
 * reported by vgc_heap_check; the bytes are then restored (and the heap checked again by run). */
static void corrupt(int sel, int a)
{
    const size_t cap = MAXO;
    CHECK(nhalloc == NHALLOC && hsize[1] == (cap + 7) * sizeof(int32_t) && hsize[2] == hsize[1] &&
          hsize[3] == cap && hsize[4] % cap == 0 && hsize[4] / cap >= 2 * sizeof(void *) + 1 &&
          hsize[5] == cap * sizeof(int32_t) && hsize[6] == hsize[5] && hsize[7] == hsize[5],
          "harness: libvgc's heap allocations changed; update OP_CORRUPT");
    int32_t *next = halloc[1], *prev = halloc[2], *free_slots = halloc[5], *snap = halloc[6];
    int32_t *garbage = halloc[7];
    uint8_t *tag = halloc[3], *slot = halloc[4];
    const size_t ss = hsize[4] / cap;
    int nalive = 0;
    for (int i = 0; i < nobj; i++) {
        if (!O[i].alive)
            continue;
        nalive++;
        void *obj;
        memcpy(&obj, slot + (size_t)O[i].h * ss, sizeof obj);
        CHECK(tag[O[i].h] == (O[i].gen < 0 ? 255 : O[i].gen) && obj == &O[i],
              "harness: libvgc's slot layout changed; update OP_CORRUPT");
    }
    const vgc_handle fh = free_handle();
    const int tracked = a >= 0 && O[a].gen >= 0;
    const vgc_handle x = a >= 0 ? O[a].h : -1;
    uint8_t *p = NULL;                   /* the corrupted bytes, saved */
    size_t len = 0;
    uint8_t save[sizeof(void *)];
    int32_t v32;
    void *vp = NULL;
#define AT(ptr) (p = (uint8_t *)(ptr), len = sizeof *(ptr), memcpy(save, p, len))
    switch (sel % 15) {
    case 0: AT((uint32_t *)halloc[0]); *(uint32_t *)p ^= 1; break;        /* magic */
    case 1: AT(&tag[sel / 15 % cap]); *p = 200; break;                      /* bad tag */
    case 2: if (fh < MAXO) { AT(&tag[fh]); *p = 0; } break;                 /* free slot tracked */
    case 3: if (a >= 0) { AT((void **)(slot + (size_t)x * ss + sizeof(void *)));
                          memcpy(p, &vp, sizeof vp); } break;               /* no type */
    case 4: if (fh < MAXO) { AT(slot + (size_t)fh * ss + 2 * sizeof(void *)); *p = 2; } break;
    case 5: AT(&snap[sel / 15 % cap]); v32 = 0; memcpy(p, &v32, 4); break;  /* stale index */
    case 6: if (tracked) { AT(&next[x]); v32 = (int32_t)cap + 100; memcpy(p, &v32, 4); } break;
    case 7: if (tracked) { AT(&tag[x]); *p = (uint8_t)((O[a].gen + 1) % 4); } break;
    case 8: if (tracked) { AT(&prev[x]); v32 = (int32_t)cap + 6; memcpy(p, &v32, 4); } break;
    case 9: if (tracked) { AT(&prev[cap + (size_t)O[a].gen]); v32 = (int32_t)cap + 6;
                           memcpy(p, &v32, 4); } break;                     /* head's prev */
    case 10: if (a >= 0 && !tracked) { AT(&tag[x]); *p = 0; } break;        /* tagged, unlinked */
    case 11: {                                                              /* garbage entry */
        const vgc_handle *items;
        int64_t n = 0;
        CHECK(vgc_garbage(heap, &items, &n) == VGC_OK, "vgc_garbage");
        if (n > 0 && a >= 0 && !O[a].in_garbage) {
            AT(&garbage[0]);
            memcpy(p, &x, 4);
        }
        break;
    }
    case 12: if (a >= 0 && !O[a].in_garbage) {                              /* garbage flag */
                 AT(slot + (size_t)x * ss + 2 * sizeof(void *)); *p |= 4; } break;
    case 13: if (a >= 0 && nalive < MAXO) { AT(&free_slots[0]); memcpy(p, &x, 4); } break;
    case 14:                                                                /* tracker header */
        for (size_t w = 0; w + sizeof(void *) <= hsize[0] && !p; w += sizeof(void *)) {
            memcpy(&vp, (uint8_t *)halloc[0] + w, sizeof vp);
            if (vp == halloc[1]) {
                AT((void **)((uint8_t *)halloc[0] + w));
                vp = halloc[2];
                memcpy(p, &vp, sizeof vp);
            }
        }
        CHECK(p != NULL, "harness: no tracker pointer in the heap struct");
        break;
    }
#undef AT
    if (p == NULL)
        return;                          /* the corruption needs an object that is not there */
    char msg[256] = "";
    vgc_status st = vgc_heap_check(heap, msg, sizeof msg);
    memcpy(p, save, len);
    CHECK(st == VGC_EINVAL && msg[0] != 0, "heap check missed corruption %d", sel % 15);
}

static void run(reader *r)
{
    for (int op = 0; op < MAXOPS && r->p < r->end; op++) {
        int code = rd(r) % NOPS, a = -1, b;
        const long unregistered0 = unregistered;
        const int enabled0 = m_enabled;
        if (trace) {
            fprintf(stderr, "op %d: %s (next bytes %d %d)\n", op, op_name[code],
                    r->p < r->end ? r->p[0] : -1, r->p + 1 < r->end ? r->p[1] : -1);
            if (code == OP_COLLECT || code == OP_AUTO || (code == OP_ALLOC && m_enabled))
                dump_model();
        }
        switch (code) {
        case OP_ALLOC:
            a = rd(r) % NKINDS;
            if (nobj < MAXO && !m_enabled) {
                new_object(a);
            } else if (nobj < MAXO) {    /* registering may run an automatic collection */
                hobj *o = &O[nobj];
                memset(o, 0, sizeof *o);
                o->kind = (uint8_t)a;
                o->ext = o->rc = 1;
                o->alive = 1;
                o->h = -1;
                nobj++;
                do_collect(-1, MODE_REGISTER, nobj - 1);
            }
            break;
        case OP_LINK:
            a = live_obj(r), b = live_obj(r);
            if (a >= 0 && b >= 0 && O[a].n < MAXC) {
                O[a].child[O[a].n++] = b;
                O[b].rc++;
            }
            break;
        case OP_UNLINK:
            if ((a = live_obj(r)) >= 0 && O[a].n > 0)
                decref(O[a].child[--O[a].n]);
            break;
        case OP_INCREF:
            if ((a = live_obj(r)) >= 0)
                O[a].ext++, O[a].rc++;
            break;
        case OP_DECREF:
            if ((a = live_obj(r)) >= 0 && O[a].ext > 0) {
                O[a].ext--;
                decref(a);
            }
            break;
        case OP_TRACK:
            if ((a = live_obj(r)) >= 0) {
                vgc_status st = vgc_track(heap, O[a].h);
                CHECK(st == (O[a].gen == -1 ? VGC_OK : VGC_ETRACKED), "track: %s", vgc_strerror(st));
                if (O[a].gen == -1)
                    O[a].gen = 0;
            }
            break;
        case OP_UNTRACK:
            if ((a = live_obj(r)) >= 0) {
                vgc_status st = vgc_untrack(heap, O[a].h);
                CHECK(st == (O[a].gen >= 0 ? VGC_OK : VGC_EUNTRACKED), "untrack: %s",
                      vgc_strerror(st));
                O[a].gen = -1;
            }
            break;
        case OP_COLLECT:
            do_collect(rd(r) % 3, MODE_COLLECT, -1);
            break;
        case OP_AUTO:
            do_collect(-1, MODE_AUTO, -1);
            break;
        case OP_FREEZE:
            CHECK(vgc_freeze(heap) == VGC_OK, "freeze");
            for (int i = 0; i < nobj; i++)
                if (O[i].alive && O[i].gen >= 0 && O[i].gen <= 2)
                    O[i].gen = 3;
            break;
        case OP_UNFREEZE:
            CHECK(vgc_unfreeze(heap) == VGC_OK, "unfreeze");
            for (int i = 0; i < nobj; i++)
                if (O[i].alive && O[i].gen == 3)
                    O[i].gen = 2;
            break;
        case OP_THRESHOLD:
            a = rd(r) % 3, b = rd(r) % 8;
            CHECK(vgc_set_threshold(heap, a, b) == VGC_OK, "set_threshold");
            m_threshold[a] = b;
            break;
        case OP_GARBAGE_CLEAR:
            CHECK(vgc_garbage_clear(heap) == VGC_OK, "garbage_clear");
            for (int i = 0; i < nobj; i++)
                O[i].in_garbage = 0;
            break;
        case OP_BAD_HANDLE: {
            int gen;
            CHECK(vgc_track(heap, -1) == VGC_EHANDLE, "track(-1)");
            CHECK(vgc_generation_of(heap, 1 << 20, &gen) == VGC_EHANDLE, "generation_of(huge)");
            CHECK(vgc_collect(heap, 3, NULL) == VGC_EGEN, "collect(3)");
            break;
        }
        case OP_ENABLE: {
            int e = -1;
            m_enabled = rd(r) & 1;
            CHECK(vgc_enable(heap, m_enabled ? 1 + rd(r) : 0) == VGC_OK, "enable");
            CHECK(vgc_is_enabled(heap, &e) == VGC_OK && e == m_enabled, "is_enabled");
            break;
        }
        case OP_DEBUG: {
            static const int flags[8] = {0, VGC_DEBUG_STATS, VGC_DEBUG_COLLECTABLE,
                VGC_DEBUG_UNCOLLECTABLE, VGC_DEBUG_SAVEALL, VGC_DEBUG_LEAK,
                VGC_DEBUG_STATS | VGC_DEBUG_SAVEALL, VGC_DEBUG_STATS | VGC_DEBUG_LEAK};
            int f = -1;
            m_debug = flags[rd(r) % 8];
            CHECK(vgc_set_debug(heap, m_debug, devnull) == VGC_OK, "set_debug");
            CHECK(vgc_get_debug(heap, &f) == VGC_OK && f == m_debug, "get_debug");
            break;
        }
        case OP_QUERY:
            query(live_obj(r));
            break;
        case OP_API_ERRORS:
            api_errors();
            break;
        case OP_SIDE_HEAP:
            side_heap(rd(r));
            break;
        case OP_CORRUPT:
            corrupt(rd(r), live_obj(r));
            break;
        }
        memset(freed_in_collect, 0, sizeof freed_in_collect);
        /* Operations that touch one object (or none) get that object's check; the others, and
         * any that freed objects, the full one. */
        int light = code == OP_LINK || code == OP_UNLINK || code == OP_INCREF ||
                    code == OP_DECREF || code == OP_TRACK || code == OP_UNTRACK ||
                    code == OP_THRESHOLD || code == OP_ENABLE || code == OP_DEBUG ||
                    code == OP_SIDE_HEAP || code == OP_BAD_HANDLE || (code == OP_ALLOC && !enabled0);
        if (!light || unregistered != unregistered0)
            check_heap();
        else if (code == OP_ALLOC && nobj > 0 && O[nobj - 1].alive)
            check_gen(nobj - 1);
        else if (code != OP_ALLOC && a >= 0 && O[a].alive)
            check_gen(a);
    }
    check_heap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, data + size};
    trace = getenv("FUZZ_HEAP_TRACE") != NULL;
    long k = rd(&r);
    k |= (long)rd(&r) << 8;
    memset(O, 0, sizeof O);
    nobj = 0;
    vgc_config cfg = {MAXO, 0x030B, &allocator};
    fail_countdown = 0;
    if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
        abort();
    nhalloc = 0;
    recording = 1;
    CHECK(vgc_heap_new(&cfg, &heap) == VGC_OK, "heap_new");
    recording = 0;
    CHECK(vgc_enable(heap, 0) == VGC_OK, "disable automatic collection");
    m_enabled = m_debug = 0;
    m_threshold[0] = VGC_THRESHOLD0_CLASSIC;
    m_threshold[1] = VGC_THRESHOLD1;
    m_threshold[2] = VGC_THRESHOLD2;
    fail_countdown = k;
    run(&r);
    fail_countdown = 0;
    vgc_heap_free(heap);
    heap = NULL;
    return 0;
}
