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
 * unfreeze, set_threshold(g, v), garbage_clear, bad_handle.  Object kinds: plain, with a
 * finalizer, a finalizer that resurrects its object, a legacy finalizer (tp_del), a finalizer that
 * untracks the object's first child.  Decoding is total.
 *
 * The model.  Each host object has an external count (the program's references), children, a
 * refcount = external + references from live objects, and the model's own idea of its generation
 * (-1 untracked, 0..2, 3 permanent), finalized flag and garbage-list membership.  Before each
 * collection the model predicts, from its own state only: the collected set C (generations <= g),
 * the reachable part (closure from objects referenced from outside C: the program, an object
 * outside C, or the garbage list), the legacy closure L among the unreachable U, the finalizers
 * that will run, the resurrected closure, hence exactly which objects the host will free, the
 * value returned (|U|) and the stats deltas; the freed set includes what dies by refcount when the
 * garbage drops its references.  Checks after every operation: vgc_heap_check, every
 * live object's generation equals the model's, a refcount never went negative; after every
 * collection: freed set == predicted set, found and stats as predicted.  When a finalizer untracked
 * another object, that object is neither finalized nor cleared, so the check becomes: nothing
 * reachable is freed (freed is within the unreachable set and what only it holds).  On an allocation failure: either
 * nothing changed at all (snapshot failed) or — the resurrection re-check failed — finalizers ran,
 * nothing was freed and the unreachable objects moved to the older generation.
 */
#include "vgc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAXO = 40, MAXC = 6, MAXOPS = 300 };
enum { K_PLAIN, K_FIN, K_RES, K_LEGACY, K_UNTRACKER, NKINDS };
enum { OP_ALLOC, OP_LINK, OP_UNLINK, OP_INCREF, OP_DECREF, OP_TRACK, OP_UNTRACK, OP_COLLECT,
       OP_AUTO, OP_FREEZE, OP_UNFREEZE, OP_THRESHOLD, OP_GARBAGE_CLEAR, OP_BAD_HANDLE, NOPS };

typedef struct hobj {
    int64_t ext, rc;
    int32_t child[MAXC];
    int n;
    vgc_handle h;
    uint8_t kind, alive, finalized, in_garbage;
    int gen;
} hobj;

static hobj O[MAXO];
static int nobj;
static vgc_heap *heap;
static uint8_t freed_in_collect[MAXO];
static int finalize_calls, untracker_ran;
static long fail_countdown;

#define CHECK(c, ...) do { if (!(c)) { fprintf(stderr, "fuzz_heap: " __VA_ARGS__); \
    fprintf(stderr, "\n"); abort(); } } while (0)

static void *fz_alloc(size_t size, void *ctx)
{
    (void)ctx;
    if (fail_countdown > 0 && --fail_countdown == 0)
        return NULL;
    return malloc(size ? size : 1);
}
static void fz_free(void *p, void *ctx) { (void)ctx; free(p); }
static const vgc_allocator allocator = {fz_alloc, fz_free, NULL};

static int index_of(void *p) { return (int)((hobj *)p - O); }

static void decref(int i);

static void free_obj(int i)
{
    hobj *o = &O[i];
    o->alive = 0;
    while (o->n > 0)
        decref(o->child[--o->n]);
    CHECK(vgc_unregister(heap, o->h) == VGC_OK, "unregister %d failed", i);
    freed_in_collect[i] = 1;
}

static void decref(int i)
{
    CHECK(O[i].alive && O[i].rc > 0, "decref of dead or zero-refcount object %d", i);
    if (--O[i].rc == 0)
        free_obj(i);
}

/* ---- the host's callbacks ---------------------------------------------------------------- */

static int64_t cb_refcount(vgc_heap *h, void *p) { (void)h; return O[index_of(p)].rc; }

static void cb_traverse(vgc_heap *h, void *p, vgc_visit_fn visit, void *arg)
{
    (void)h;
    hobj *o = &O[index_of(p)];
    for (int c = 0; c < o->n; c++)
        visit(O[o->child[c]].h, arg);
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
};

/* ---- the model's prediction of one collection ------------------------------------------ */

typedef struct prediction {
    uint8_t in_c[MAXO], unreach[MAXO], legacy[MAXO], freed[MAXO], may[MAXO];
    int64_t found, collected, uncollectable;
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
    for (int i = 0; i < nobj; i++)
        p->freed[i] = f[i] && !res[i];
    cascade(p->freed, resurrects);
    /* Upper bound for collections where a finalizer untracked another object (which then is
     * neither finalized nor cleared, only dies by refcount): anything unreachable, and what
     * only they hold, may die. */
    memcpy(p->may, p->unreach, sizeof p->may);
    cascade(p->may, resurrects);
}

/* ---- checks ------------------------------------------------------------------------------ */

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

static void do_collect(int g, int automatic)
{
    vgc_gen_stats before[3], after[3];
    prediction pred[3];
    for (int j = 0; j < 3; j++) {
        CHECK(vgc_get_stats(heap, j, &before[j]) == VGC_OK, "get_stats");
        predict(j, &pred[j]);
    }
    memset(freed_in_collect, 0, sizeof freed_in_collect);
    finalize_calls = untracker_ran = 0;
    int64_t found = -7;
    vgc_status st = automatic ? vgc_collect_auto(heap, &found) : vgc_collect(heap, g, &found);
    CHECK(st == VGC_OK || st == VGC_ENOMEM, "collect: %s", vgc_strerror(st));
    for (int j = 0; j < 3; j++)
        CHECK(vgc_get_stats(heap, j, &after[j]) == VGC_OK, "get_stats");
    if (automatic) {
        g = -1;
        for (int j = 0; j < 3; j++)
            if (after[j].collections != before[j].collections)
                g = j;
        if (g < 0) {                     /* the policy selected nothing (or the snapshot failed) */
            for (int i = 0; i < nobj; i++)
                CHECK(!freed_in_collect[i], "object %d freed by a collection that did not run", i);
            return;
        }
    }
    prediction *p = &pred[g];
    int ran = after[g].collections == before[g].collections + 1;
    if (!ran) {                          /* snapshot allocation failed: nothing at all happened */
        CHECK(st == VGC_ENOMEM, "a collection neither ran nor failed");
        CHECK(finalize_calls == 0, "finalizers ran in an aborted collection");
        for (int i = 0; i < nobj; i++)
            CHECK(!freed_in_collect[i], "object %d freed by an aborted collection", i);
        return;
    }
    CHECK(found == p->found, "collect(%d) found %lld, model predicts %lld", g,
              (long long)found, (long long)p->found);
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
    /* The model's bookkeeping: survivors to the older generation, legacy objects listed. */
    int old = g + 1 < 3 ? g + 1 : 2;
    for (int i = 0; i < nobj; i++) {
        if (p->legacy[i] && O[i].kind == K_LEGACY)
            O[i].in_garbage = 1;
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
    "bad_handle"};

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

static void run(reader *r)
{
    for (int op = 0; op < MAXOPS && r->p < r->end; op++) {
        int code = rd(r) % NOPS, a, b;
        if (trace) {
            fprintf(stderr, "op %d: %s (next bytes %d %d)\n", op, op_name[code],
                    r->p < r->end ? r->p[0] : -1, r->p + 1 < r->end ? r->p[1] : -1);
            if (code == OP_COLLECT || code == OP_AUTO)
                dump_model();
        }
        switch (code) {
        case OP_ALLOC:
            a = rd(r) % NKINDS;
            if (nobj < MAXO) {
                hobj *o = &O[nobj];
                memset(o, 0, sizeof *o);
                o->kind = (uint8_t)a;
                o->ext = o->rc = 1;
                o->alive = 1;
                vgc_status st = vgc_register(heap, o, &types[a], &o->h);
                CHECK(st == VGC_OK, "register: %s", vgc_strerror(st));
                nobj++;
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
            do_collect(rd(r) % 3, 0);
            break;
        case OP_AUTO:
            do_collect(-1, 1);
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
        }
        memset(freed_in_collect, 0, sizeof freed_in_collect);
        check_heap();
    }
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
    CHECK(vgc_heap_new(&cfg, &heap) == VGC_OK, "heap_new");
    CHECK(vgc_enable(heap, 0) == VGC_OK, "disable automatic collection");
    fail_countdown = k;
    run(&r);
    fail_countdown = 0;
    vgc_heap_free(heap);
    heap = NULL;
    return 0;
}
