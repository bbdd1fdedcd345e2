/* test_libvgc.c — unit tests of libvgc (src/libvgc.c): every public function, every error path,
 * host callbacks that run arbitrary code, and an allocation failure at every allocation of a
 * collection.  vgc_heap_check runs after every scenario. */
#include "check.h"
#include "vgc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small test host: refcounted objects with child arrays ------------------------------ */

typedef struct obj obj;
typedef void (*hook_fn)(obj *o);

struct obj {
    int64_t rc;
    int n;
    obj *child[8];
    vgc_handle h;
    int finalized, cleared, id;
    hook_fn on_finalize, on_clear, on_traverse;
    int extra_edges;          /* traverse reports this many extra self-references */
};

static vgc_heap *H;
static int nfreed, nobjs;
static obj *resurrected;      /* a global a finalizer can store into */

static void decref(obj *o);
static void drop_children(obj *o)
{
    while (o->n > 0) {
        obj *c = o->child[--o->n];
        decref(c);
    }
}
static void decref(obj *o)
{
    if (--o->rc == 0) {
        drop_children(o);
        if (vgc_unregister(H, o->h) != VGC_OK)
            abort();
        free(o);
        nfreed++;
    }
}
static int64_t t_refcount(vgc_heap *h, void *p) { (void)h; return ((obj *)p)->rc; }
static void t_traverse(vgc_heap *h, void *p, vgc_visit_fn visit, void *arg)
{
    (void)h;
    obj *o = p;
    if (o->on_traverse)
        o->on_traverse(o);
    for (int i = 0; i < o->n; i++)
        visit(o->child[i]->h, arg);
    for (int i = 0; i < o->extra_edges; i++)
        visit(o->h, arg);
}
static void t_finalize(vgc_heap *h, void *p)
{
    (void)h;
    obj *o = p;
    o->finalized++;
    if (o->on_finalize)
        o->on_finalize(o);
}
static void t_clear(vgc_heap *h, void *p)
{
    (void)h;
    obj *o = p;
    o->cleared++;
    o->rc++;
    if (o->on_clear)
        o->on_clear(o);
    drop_children(o);
    decref(o);
}
static const vgc_type T_PLAIN = {t_refcount, t_traverse, NULL, t_clear, 0};
static const vgc_type T_FIN = {t_refcount, t_traverse, t_finalize, t_clear, 0};
static const vgc_type T_LEGACY = {t_refcount, t_traverse, NULL, t_clear, 1};
static const vgc_type T_NOCLEAR = {t_refcount, t_traverse, NULL, NULL, 0};

static obj *mk(const vgc_type *t)
{
    obj *o = calloc(1, sizeof *o);
    o->rc = 1;
    o->id = nobjs++;
    if (vgc_register(H, o, t, &o->h) != VGC_OK)
        abort();
    return o;
}
static void link_to(obj *a, obj *b) { a->child[a->n++] = b; b->rc++; }

/* ---- allocator hooks that fail the k-th allocation ------------------------------------------ */

static int64_t alloc_count, fail_at;   /* fail_at 0: never */
static int64_t live_blocks;
static void *t_alloc(size_t size, void *ctx)
{
    (void)ctx;
    if (fail_at && ++alloc_count == fail_at)
        return NULL;
    live_blocks++;
    return malloc(size);
}
static void t_free(void *p, void *ctx) { (void)ctx; live_blocks--; free(p); }
static const vgc_allocator TEST_ALLOC = {t_alloc, t_free, NULL};

static void heap_open(int32_t cap)
{
    vgc_config cfg = {cap, 0, &TEST_ALLOC};
    fail_at = alloc_count = 0;
    nfreed = 0;
    resurrected = NULL;
    if (vgc_heap_new(&cfg, &H) != VGC_OK)
        abort();
    vgc_set_threshold(H, 0, 0);    /* no automatic collection unless a test asks */
}
static int heap_checked(void)
{
    char msg[256];
    int ok = vgc_heap_check(H, msg, sizeof msg) == VGC_OK;
    if (!ok)
        printf("    heap check: %s\n", msg);
    return ok;
}
/* Host teardown: free whatever objects are still registered (uncollectable cycles, ...). */
static void heap_close(void)
{
    for (vgc_handle h = 0; h < 64; h++) {
        void *p;
        if (vgc_object(H, h, &p) == VGC_OK)
            free(p);
    }
    vgc_heap_free(H);
    H = NULL;
}

/* ---- heap lifetime and configuration -------------------------------------------------------- */

TEST(heap_new_errors)
{
    vgc_heap *h = (vgc_heap *)1;
    vgc_config cfg = {10, 0, NULL};
    CHECK_EQ(vgc_heap_new(NULL, &h), VGC_EINVAL);
    CHECK(h == NULL);
    CHECK_EQ(vgc_heap_new(&cfg, NULL), VGC_EINVAL);
    cfg.capacity = 0;
    CHECK_EQ(vgc_heap_new(&cfg, &h), VGC_EINVAL);
    cfg.capacity = -5;
    CHECK_EQ(vgc_heap_new(&cfg, &h), VGC_EINVAL);
    cfg.capacity = INT32_MAX;
    CHECK_EQ(vgc_heap_new(&cfg, &h), VGC_EINVAL);
    cfg.capacity = 10;
    cfg.python_version = 0x0309;
    CHECK_EQ(vgc_heap_new(&cfg, &h), VGC_EINVAL);
    cfg.python_version = 0;
    vgc_allocator bad = {NULL, t_free, NULL};
    cfg.allocator = &bad;
    CHECK_EQ(vgc_heap_new(&cfg, &h), VGC_EINVAL);
    /* Every allocation of vgc_heap_new fails in turn: ENOMEM, nothing leaked. */
    cfg.allocator = &TEST_ALLOC;
    int64_t k;
    for (k = 1; k < 50; k++) {
        fail_at = k; alloc_count = 0; live_blocks = 0;
        vgc_status st = vgc_heap_new(&cfg, &h);
        if (st == VGC_OK) { vgc_heap_free(h); break; }
        CHECK_EQ(st, VGC_ENOMEM);
        CHECK_EQ(live_blocks, 0);
    }
    CHECK(k > 2 && k < 50);
    fail_at = 0;
    CHECK_EQ(live_blocks, 0);
}

TEST(invalid_heap_everywhere)
{
    struct { uint32_t magic; } fake = {0};
    vgc_heap *bad = (vgc_heap *)&fake;
    vgc_handle hd; int i; int64_t v; vgc_gen_stats st; void *p;
    const vgc_handle *items; char msg[64];
    CHECK_EQ(vgc_heap_free(NULL), VGC_EINVAL);
    CHECK_EQ(vgc_heap_free(bad), VGC_EINVAL);
    CHECK_EQ(vgc_register(bad, NULL, &T_PLAIN, &hd), VGC_EINVAL);
    CHECK_EQ(vgc_unregister(NULL, 0), VGC_EINVAL);
    CHECK_EQ(vgc_track(NULL, 0), VGC_EINVAL);
    CHECK_EQ(vgc_untrack(bad, 0), VGC_EINVAL);
    CHECK_EQ(vgc_is_tracked(NULL, 0, &i), VGC_EINVAL);
    CHECK_EQ(vgc_generation_of(NULL, 0, &i), VGC_EINVAL);
    CHECK_EQ(vgc_object(NULL, 0, &p), VGC_EINVAL);
    CHECK_EQ(vgc_is_finalized(NULL, 0, &i), VGC_EINVAL);
    CHECK_EQ(vgc_collect(NULL, 0, &v), VGC_EINVAL);
    CHECK_EQ(vgc_collect_auto(bad, &v), VGC_EINVAL);
    CHECK_EQ(vgc_enable(NULL, 1), VGC_EINVAL);
    CHECK_EQ(vgc_is_enabled(NULL, &i), VGC_EINVAL);
    CHECK_EQ(vgc_set_threshold(NULL, 0, 1), VGC_EINVAL);
    CHECK_EQ(vgc_get_threshold(NULL, 0, &v), VGC_EINVAL);
    CHECK_EQ(vgc_get_count(NULL, 0, &v), VGC_EINVAL);
    CHECK_EQ(vgc_get_stats(NULL, 0, &st), VGC_EINVAL);
    CHECK_EQ(vgc_generation_size(NULL, 0, &v), VGC_EINVAL);
    CHECK_EQ(vgc_freeze(NULL), VGC_EINVAL);
    CHECK_EQ(vgc_unfreeze(NULL), VGC_EINVAL);
    CHECK_EQ(vgc_get_freeze_count(NULL, &v), VGC_EINVAL);
    CHECK_EQ(vgc_garbage(NULL, &items, &v), VGC_EINVAL);
    CHECK_EQ(vgc_garbage_clear(NULL), VGC_EINVAL);
    CHECK_EQ(vgc_set_debug(NULL, 0, NULL), VGC_EINVAL);
    CHECK_EQ(vgc_get_debug(NULL, &i), VGC_EINVAL);
    CHECK_EQ(vgc_heap_check(NULL, msg, sizeof msg), VGC_EINVAL);
    CHECK(strcmp(vgc_strerror(VGC_EFULL), "heap full") == 0);
    CHECK(strcmp(vgc_strerror((vgc_status)42), "unknown status") == 0);
}

TEST(arguments_and_handles)
{
    heap_open(4);
    vgc_handle hd; int i; int64_t v; vgc_gen_stats st; void *p;
    const vgc_handle *items;
    vgc_type no_rc = {NULL, t_traverse, NULL, NULL, 0};
    CHECK_EQ(vgc_register(H, NULL, NULL, &hd), VGC_EINVAL);
    CHECK_EQ(vgc_register(H, NULL, &no_rc, &hd), VGC_EINVAL);
    CHECK_EQ(vgc_register(H, NULL, &T_PLAIN, NULL), VGC_EINVAL);
    /* Handles: out of range, never registered, unregistered. */
    CHECK_EQ(vgc_unregister(H, -1), VGC_EHANDLE);
    CHECK_EQ(vgc_unregister(H, 4), VGC_EHANDLE);
    CHECK_EQ(vgc_track(H, 0), VGC_EHANDLE);
    CHECK_EQ(vgc_untrack(H, 3), VGC_EHANDLE);
    CHECK_EQ(vgc_is_tracked(H, 2, &i), VGC_EHANDLE);
    CHECK_EQ(vgc_is_tracked(H, 2, NULL), VGC_EINVAL);
    CHECK_EQ(vgc_generation_of(H, 99, &i), VGC_EHANDLE);
    CHECK_EQ(vgc_object(H, 0, &p), VGC_EHANDLE);
    CHECK_EQ(vgc_is_finalized(H, 0, &i), VGC_EHANDLE);
    obj *a = mk(&T_PLAIN);
    CHECK_EQ(vgc_track(H, a->h), VGC_ETRACKED);             /* double track */
    CHECK_EQ(vgc_untrack(H, a->h), VGC_OK);
    CHECK_EQ(vgc_untrack(H, a->h), VGC_EUNTRACKED);
    CHECK_EQ(vgc_is_tracked(H, a->h, &i), VGC_OK); CHECK_EQ(i, 0);
    CHECK_EQ(vgc_generation_of(H, a->h, &i), VGC_OK); CHECK_EQ(i, -1);
    CHECK_EQ(vgc_track(H, a->h), VGC_OK);
    CHECK_EQ(vgc_generation_of(H, a->h, &i), VGC_OK); CHECK_EQ(i, 0);
    CHECK_EQ(vgc_object(H, a->h, &p), VGC_OK); CHECK(p == a);
    /* Generations out of range. */
    CHECK_EQ(vgc_collect(H, -1, &v), VGC_EGEN);
    CHECK_EQ(vgc_collect(H, 3, &v), VGC_EGEN);
    CHECK_EQ(vgc_set_threshold(H, 3, 1), VGC_EGEN);
    CHECK_EQ(vgc_set_threshold(H, 0, -1), VGC_EINVAL);
    CHECK_EQ(vgc_get_threshold(H, -1, &v), VGC_EGEN);
    CHECK_EQ(vgc_get_count(H, 3, &v), VGC_EGEN);
    CHECK_EQ(vgc_get_stats(H, 3, &st), VGC_EGEN);
    CHECK_EQ(vgc_generation_size(H, 4, &v), VGC_EGEN);
    CHECK_EQ(vgc_get_count(H, 0, NULL), VGC_EINVAL);
    CHECK_EQ(vgc_garbage(H, &items, NULL), VGC_EINVAL);
    CHECK_EQ(vgc_set_debug(H, 1 << 10, NULL), VGC_EINVAL);
    /* Heap full. */
    obj *b = mk(&T_PLAIN), *c = mk(&T_PLAIN), *d = mk(&T_PLAIN);
    obj e = {0};
    CHECK_EQ(vgc_register(H, &e, &T_PLAIN, &hd), VGC_EFULL);
    CHECK_EQ(hd, -1);
    CHECK(heap_checked());
    decref(b);                                               /* a slot frees up */
    CHECK_EQ(vgc_register(H, &e, &T_PLAIN, &hd), VGC_OK);
    CHECK_EQ(vgc_unregister(H, hd), VGC_OK);
    CHECK_EQ(vgc_unregister(H, hd), VGC_EHANDLE);
    decref(a); decref(c); decref(d);
    CHECK(heap_checked());
    heap_close();
}

TEST(thresholds_counts_versions)
{
    vgc_config cfg = {8, 0x030D, NULL};
    vgc_heap *h;
    int64_t v;
    CHECK_EQ(vgc_heap_new(&cfg, &h), VGC_OK);
    vgc_get_threshold(h, 0, &v); CHECK_EQ(v, 2000);
    vgc_heap_free(h);
    cfg.python_version = 0x030B;
    CHECK_EQ(vgc_heap_new(&cfg, &h), VGC_OK);
    vgc_get_threshold(h, 0, &v); CHECK_EQ(v, 700);
    vgc_get_threshold(h, 1, &v); CHECK_EQ(v, 10);
    vgc_get_threshold(h, 2, &v); CHECK_EQ(v, 10);
    vgc_heap_free(h);

    heap_open(16);
    obj *a = mk(&T_PLAIN), *b = mk(&T_PLAIN);
    vgc_get_count(H, 0, &v); CHECK_EQ(v, 2);             /* up on register */
    decref(b);
    vgc_get_count(H, 0, &v); CHECK_EQ(v, 1);             /* down on unregister */
    vgc_collect(H, 0, NULL);
    vgc_get_count(H, 0, &v); CHECK_EQ(v, 0);
    vgc_get_count(H, 1, &v); CHECK_EQ(v, 1);
    vgc_collect(H, 1, NULL);
    vgc_get_count(H, 1, &v); CHECK_EQ(v, 0);
    vgc_get_count(H, 2, &v); CHECK_EQ(v, 1);
    vgc_collect(H, 2, NULL);
    vgc_get_count(H, 2, &v); CHECK_EQ(v, 0);
    int i;
    vgc_generation_of(H, a->h, &i); CHECK_EQ(i, 2);
    decref(a);
    CHECK(heap_checked());
    heap_close();
}

/* ---- collection --------------------------------------------------------------------------- */

TEST(cycles_collected_live_kept)
{
    heap_open(32);
    obj *root = mk(&T_PLAIN), *a = mk(&T_PLAIN), *b = mk(&T_PLAIN);
    link_to(root, a); link_to(a, b); link_to(b, a); decref(a); decref(b);
    obj *x = mk(&T_PLAIN), *y = mk(&T_PLAIN), *z = mk(&T_PLAIN);
    link_to(x, y); link_to(y, x); link_to(z, z); link_to(x, x); link_to(x, x);
    decref(x); decref(y); decref(z);
    int64_t found;
    CHECK_EQ(vgc_collect(H, 0, &found), VGC_OK);
    CHECK_EQ(found, 3);
    CHECK_EQ(nfreed, 3);
    vgc_gen_stats st;
    vgc_get_stats(H, 0, &st);
    CHECK_EQ(st.collections, 1); CHECK_EQ(st.collected, 3); CHECK_EQ(st.uncollectable, 0);
    int64_t v;
    vgc_generation_size(H, 1, &v); CHECK_EQ(v, 3);      /* survivors promoted */
    vgc_generation_size(H, 0, &v); CHECK_EQ(v, 0);
    CHECK(heap_checked());
    decref(root);
    vgc_collect(H, 2, &found);
    CHECK_EQ(found, 2);
    CHECK(heap_checked());
    heap_close();
}

TEST(older_generation_is_external)
{
    heap_open(16);
    obj *a = mk(&T_PLAIN);
    vgc_collect(H, 0, NULL);                 /* a -> gen1 */
    obj *b = mk(&T_PLAIN);
    link_to(a, b); link_to(b, a);
    decref(b);
    decref(a);                               /* a <-> b garbage, a in gen1, b in gen0 */
    int64_t found;
    vgc_collect(H, 0, &found);
    CHECK_EQ(found, 0);                      /* b is referenced from gen1 */
    vgc_collect(H, 1, &found);
    CHECK_EQ(found, 2);
    CHECK(heap_checked());
    heap_close();
}

TEST(legacy_finalizers_to_garbage)
{
    heap_open(16);
    obj *l = mk(&T_LEGACY), *m = mk(&T_PLAIN), *n = mk(&T_PLAIN);
    link_to(l, m); link_to(m, l); link_to(m, n);
    decref(l); decref(m); decref(n);
    int64_t found, ng;
    vgc_collect(H, 0, &found);
    CHECK_EQ(found, 3);
    CHECK_EQ(nfreed, 0);
    vgc_gen_stats st;
    vgc_get_stats(H, 0, &st);
    CHECK_EQ(st.collected, 0); CHECK_EQ(st.uncollectable, 3);
    const vgc_handle *g;
    vgc_garbage(H, &g, &ng);
    CHECK_EQ(ng, 1);
    CHECK_EQ(g[0], l->h);
    CHECK(heap_checked());
    /* The garbage list's reference keeps them: not found again. */
    vgc_collect(H, 1, &found);
    CHECK_EQ(found, 0);
    vgc_garbage(H, &g, &ng);
    CHECK_EQ(ng, 1);
    CHECK_EQ(vgc_garbage_clear(H), VGC_OK);
    vgc_garbage(H, &g, &ng);
    CHECK_EQ(ng, 0);
    /* Still uncollectable (legacy), found again and re-listed. */
    vgc_collect(H, 2, &found);
    CHECK_EQ(found, 3);
    vgc_garbage(H, &g, &ng);
    CHECK_EQ(ng, 1);
    vgc_garbage_clear(H);
    t_clear(H, l);                            /* the host breaks the cycle */
    CHECK_EQ(nfreed, 3);
    CHECK(heap_checked());
    heap_close();
}

TEST(debug_saveall_and_output)
{
    heap_open(16);
    FILE *f = tmpfile();
    CHECK_EQ(vgc_set_debug(H, VGC_DEBUG_STATS | VGC_DEBUG_LEAK, f), VGC_OK);
    int flags;
    vgc_get_debug(H, &flags);
    CHECK_EQ(flags, VGC_DEBUG_STATS | VGC_DEBUG_LEAK);
    obj *a = mk(&T_PLAIN), *b = mk(&T_PLAIN);
    link_to(a, b); link_to(b, a); decref(a); decref(b);
    int64_t found, ng;
    vgc_collect(H, 0, &found);
    CHECK_EQ(found, 2);
    CHECK_EQ(nfreed, 0);                      /* SAVEALL: kept in garbage */
    const vgc_handle *g;
    vgc_garbage(H, &g, &ng);
    CHECK_EQ(ng, 2);
    char buf[1024] = {0};
    rewind(f);
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    CHECK(len > 0);
    CHECK(strstr(buf, "gc: collecting generation 0") != NULL);
    CHECK(strstr(buf, "gc: collectable <object") != NULL);
    CHECK(strstr(buf, "gc: done, 2 unreachable, 0 uncollectable") != NULL);
    fclose(f);
    vgc_set_debug(H, 0, NULL);
    vgc_garbage_clear(H);
    vgc_collect(H, 1, &found);
    CHECK_EQ(found, 2);
    CHECK_EQ(nfreed, 2);
    CHECK(heap_checked());
    heap_close();
}

TEST(objects_without_clear_survive)
{
    heap_open(8);
    obj *a = mk(&T_NOCLEAR), *b = mk(&T_NOCLEAR);
    link_to(a, b); link_to(b, a); decref(a); decref(b);
    int64_t found, v;
    vgc_collect(H, 0, &found);
    CHECK_EQ(found, 2);
    CHECK_EQ(nfreed, 0);
    vgc_generation_size(H, 1, &v);
    CHECK_EQ(v, 2);                           /* moved to the old generation */
    CHECK(heap_checked());
    t_clear(H, a);
    heap_close();
}

TEST(freeze_unfreeze)
{
    heap_open(8);
    obj *a = mk(&T_PLAIN), *b = mk(&T_PLAIN);
    link_to(a, b); link_to(b, a); decref(b);
    int64_t v, found;
    vgc_collect(H, 0, &found);                /* count[1] = 1 */
    vgc_collect(H, 1, &found);                /* count[2] = 1 */
    vgc_collect(H, 0, &found);                /* count[1] = 1 */
    vgc_get_count(H, 1, &v); CHECK_EQ(v, 1);
    vgc_get_count(H, 2, &v); CHECK_EQ(v, 1);
    CHECK_EQ(vgc_freeze(H), VGC_OK);
    vgc_get_freeze_count(H, &v); CHECK_EQ(v, 2);
    for (int g = 0; g < 3; g++) {             /* gc.freeze() zeroes every count */
        vgc_get_count(H, g, &v); CHECK_EQ(v, 0);
    }
    decref(a);
    vgc_collect(H, 2, &found);
    CHECK_EQ(found, 0);                       /* the permanent generation is never collected */
    CHECK_EQ(vgc_unfreeze(H), VGC_OK);
    vgc_get_freeze_count(H, &v); CHECK_EQ(v, 0);
    vgc_generation_size(H, 2, &v); CHECK_EQ(v, 2);
    vgc_collect(H, 2, &found);
    CHECK_EQ(found, 2);
    CHECK(heap_checked());
    heap_close();
}

TEST(automatic_collection)
{
    heap_open(64);
    vgc_set_threshold(H, 0, 5);
    for (int i = 0; i < 6; i++) {             /* the 6th registration: count 6 > 5 */
        obj *a = mk(&T_PLAIN);
        link_to(a, a);
        decref(a);
    }
    vgc_gen_stats st;
    vgc_get_stats(H, 0, &st);
    CHECK_EQ(st.collections, 1);
    CHECK_EQ(st.collected, 5);                /* the 6th is held by the host at that time */
    int64_t v;
    vgc_get_count(H, 0, &v); CHECK_EQ(v, 0);
    /* Disabled: the count still goes up, nothing collected. */
    vgc_enable(H, 0);
    int en;
    vgc_is_enabled(H, &en); CHECK_EQ(en, 0);
    for (int i = 0; i < 10; i++) { obj *a = mk(&T_PLAIN); link_to(a, a); decref(a); }
    vgc_get_stats(H, 0, &st);
    CHECK_EQ(st.collections, 1);
    vgc_get_count(H, 0, &v); CHECK_EQ(v, 10);
    /* vgc_collect_auto runs the policy: gen0 (10 > 5). */
    int64_t found;
    vgc_collect_auto(H, &found);
    CHECK_EQ(found, 10);
    vgc_collect_auto(H, &found);
    CHECK_EQ(found, -1);                      /* nothing selected */
    vgc_enable(H, 1);
    /* Threshold 0 disables automatic collection. */
    vgc_set_threshold(H, 0, 0);
    for (int i = 0; i < 20; i++) { obj *a = mk(&T_PLAIN); link_to(a, a); decref(a); }
    vgc_get_stats(H, 0, &st);
    CHECK_EQ(st.collections, 2);
    CHECK(heap_checked());
    vgc_collect(H, 2, NULL);
    heap_close();
}

/* ---- host callbacks running arbitrary code ------------------------------------------------ */

static int64_t reentrant_found = -99;
static vgc_status reentrant_status;
static void fin_collect(obj *o) { (void)o; reentrant_status = vgc_collect(H, 2, &reentrant_found); }

TEST(reentrant_collect_returns_zero)
{
    heap_open(8);
    obj *a = mk(&T_FIN);
    a->on_finalize = fin_collect;
    link_to(a, a); decref(a);
    int64_t found;
    vgc_collect(H, 0, &found);
    CHECK_EQ(reentrant_status, VGC_OK);
    CHECK_EQ(reentrant_found, 0);
    CHECK_EQ(found, 1);
    CHECK_EQ(nfreed, 1);
    CHECK(heap_checked());
    heap_close();
}

static void fin_resurrect(obj *o) { o->rc++; resurrected = o; }

TEST(finalizer_resurrects)
{
    heap_open(8);
    obj *a = mk(&T_FIN), *b = mk(&T_FIN);
    a->on_finalize = fin_resurrect;
    link_to(a, b); link_to(b, a); decref(a); decref(b);
    int64_t found;
    vgc_collect(H, 0, &found);
    CHECK_EQ(found, 2);                       /* counted as CPython does, before finalizers */
    CHECK_EQ(nfreed, 0);                      /* a resurrected, b reachable from a */
    CHECK_EQ(a->finalized, 1); CHECK_EQ(b->finalized, 1);
    int fin;
    vgc_is_finalized(H, a->h, &fin); CHECK_EQ(fin, 1);
    CHECK(heap_checked());
    resurrected = NULL;
    decref(a);                                /* drop the resurrecting reference */
    vgc_collect(H, 1, &found);
    CHECK_EQ(found, 2);
    CHECK_EQ(nfreed, 2);
    /* finalize runs at most once per object (PEP 442): no second call happened. */
    heap_close();
}

static obj *victim;
static void fin_kill_victim(obj *o)
{
    (void)o;
    if (victim) { obj *v = victim; victim = NULL; drop_children(v); vgc_unregister(H, v->h); free(v); nfreed++; }
}
static obj *spawned;
static void clear_spawn(obj *o) { (void)o; if (!spawned) spawned = mk(&T_PLAIN); }

TEST(callbacks_mutate_the_heap)
{
    heap_open(16);
    /* A finalizer frees another object of the same unreachable set (host code unlinking it). */
    obj *a = mk(&T_FIN), *b = mk(&T_FIN), *c = mk(&T_FIN);
    link_to(a, a); link_to(b, b); link_to(c, c);
    a->on_finalize = fin_kill_victim;
    victim = c;
    c->n = 0; c->rc = 1;                      /* c is only held by the host's "victim" */
    decref(a); decref(b);
    vgc_collect(H, 0, NULL);
    CHECK(heap_checked());
    /* clear registers a new object (it goes to generation 0 and survives). */
    obj *d = mk(&T_PLAIN);
    link_to(d, d); decref(d);
    d->on_clear = clear_spawn;
    int64_t found;
    vgc_collect(H, 2, &found);
    CHECK(spawned != NULL);
    int g;
    CHECK_EQ(vgc_generation_of(H, spawned->h, &g), VGC_OK);
    CHECK_EQ(g, 0);
    CHECK(heap_checked());
    decref(spawned); spawned = NULL;
    heap_close();
}

static vgc_status traverse_status;
static void trav_mutate(obj *o) { (void)o; obj tmp = {0}; vgc_handle hd;
    traverse_status = vgc_register(H, &tmp, &T_PLAIN, &hd); }

TEST(mutation_during_snapshot_refused)
{
    heap_open(8);
    obj *a = mk(&T_PLAIN);
    a->on_traverse = trav_mutate;
    vgc_collect(H, 0, NULL);
    CHECK_EQ(traverse_status, VGC_EBUSY);
    CHECK(heap_checked());
    a->on_traverse = NULL;
    decref(a);
    heap_close();
}

TEST(inconsistent_traverse_is_safe)
{
    heap_open(8);
    /* a reports two extra self-references its refcount does not account for: gc_refs < 0,
     * the core keeps it (and what it reaches) alive. */
    obj *a = mk(&T_PLAIN), *b = mk(&T_PLAIN);
    link_to(a, b); link_to(b, a); decref(a); decref(b);
    a->extra_edges = 2;
    int64_t found;
    vgc_collect(H, 0, &found);
    CHECK_EQ(found, 0);
    CHECK_EQ(nfreed, 0);
    CHECK(heap_checked());
    a->extra_edges = 0;
    vgc_collect(H, 1, &found);
    CHECK_EQ(found, 2);
    heap_close();
}

static int flip;
static void trav_flip(obj *o) { o->extra_edges = (flip++ & 1); }

TEST(traverse_changing_between_passes)
{
    heap_open(8);
    obj *a = mk(&T_PLAIN);
    link_to(a, a); decref(a);
    a->on_traverse = trav_flip;
    flip = 0;
    int64_t found = 7, v;
    CHECK_EQ(vgc_collect(H, 0, &found), VGC_EHOST);
    CHECK_EQ(found, 0);
    vgc_get_count(H, 0, &v); CHECK_EQ(v, 1);  /* aborted before anything changed */
    vgc_generation_size(H, 0, &v); CHECK_EQ(v, 1);
    CHECK(heap_checked());
    a->on_traverse = NULL; a->extra_edges = 0;
    vgc_collect(H, 0, &found);
    CHECK_EQ(found, 1);
    heap_close();
}

/* ---- allocation failure at every allocation of a collection ------------------------------ */

static void build_scene(obj **root)
{
    *root = mk(&T_FIN);
    obj *a = mk(&T_FIN), *b = mk(&T_PLAIN);
    link_to(*root, a); link_to(a, b); link_to(b, a); decref(a); decref(b);
    for (int i = 0; i < 4; i++) {
        obj *x = mk(&T_FIN), *y = mk(&T_PLAIN);
        link_to(x, y); link_to(y, x); decref(x); decref(y);
    }
    obj *l = mk(&T_LEGACY), *m = mk(&T_PLAIN);
    link_to(l, m); link_to(m, l); decref(l); decref(m);
}

TEST(allocation_failure_every_k)
{
    int64_t k, clean_aborts = 0, late_aborts = 0;
    for (k = 1; k < 100; k++) {
        heap_open(64);
        obj *root;
        build_scene(&root);
        int64_t c0, size0, found;
        vgc_get_count(H, 0, &c0);
        vgc_generation_size(H, 0, &size0);
        alloc_count = 0;
        fail_at = k;
        int64_t blocks = live_blocks;
        vgc_status st = vgc_collect(H, 0, &found);
        int hit = alloc_count >= k;
        fail_at = 0;
        CHECK(heap_checked());
        CHECK_EQ(live_blocks, blocks);        /* no leak on any path */
        if (!hit) {                           /* no failure injected: the normal result */
            CHECK_EQ(st, VGC_OK);
            CHECK_EQ(found, 10);
            vgc_garbage_clear(H);
            decref(root);
            vgc_collect(H, 2, NULL);
            heap_close();
            break;
        }
        CHECK_EQ(st, VGC_ENOMEM);
        CHECK_EQ(nfreed, 0);                  /* nothing freed */
        int64_t c1, size1;
        vgc_get_count(H, 0, &c1);
        vgc_generation_size(H, 0, &size1);
        if (size1 == size0) {                 /* aborted before any change */
            clean_aborts++;
            CHECK_EQ(c1, c0);
            CHECK_EQ(found, 0);
        } else {                              /* failed in the resurrection check: all kept */
            late_aborts++;
            int64_t v;
            vgc_generation_size(H, 1, &v);
            CHECK_EQ(v, size0);
        }
        /* The heap still works: a full collection now frees the garbage. */
        vgc_garbage_clear(H);
        vgc_collect(H, 2, &found);
        CHECK(nfreed >= 8);
        CHECK(heap_checked());
        decref(root);
        vgc_collect(H, 2, NULL);
        heap_close();
    }
    CHECK(k < 100);
    CHECK(clean_aborts >= 7);                 /* 7 buffers of the first snapshot */
    CHECK(late_aborts >= 1);                  /* and the second */
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("test_libvgc: the standalone collector\n");
    RUN(heap_new_errors);
    RUN(invalid_heap_everywhere);
    RUN(arguments_and_handles);
    RUN(thresholds_counts_versions);
    RUN(cycles_collected_live_kept);
    RUN(older_generation_is_external);
    RUN(legacy_finalizers_to_garbage);
    RUN(debug_saveall_and_output);
    RUN(objects_without_clear_survive);
    RUN(freeze_unfreeze);
    RUN(automatic_collection);
    RUN(reentrant_collect_returns_zero);
    RUN(finalizer_resurrects);
    RUN(callbacks_mutate_the_heap);
    RUN(mutation_during_snapshot_refused);
    RUN(inconsistent_traverse_is_safe);
    RUN(traverse_changing_between_passes);
    RUN(allocation_failure_every_k);
    return RUN_TESTS();
}
