/* host.c — a tiny host runtime on libvgc: refcounted objects with child arrays.
 * Not in proof scope.  `make run-host` prints what the collector did; `host --check` (run by
 * `make test`) compares every number with the value the rules of spec/SPEC-tracker.md predict.
 */
#include "vgc.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct obj {
    int64_t rc;
    int n;
    struct obj *child[4];
    vgc_handle h;
} obj;

static vgc_heap *heap;
static int64_t freed;

static void decref(obj *o);
static int64_t rc_of(vgc_heap *hp, void *p) { (void)hp; return ((obj *)p)->rc; }
static void traverse(vgc_heap *hp, void *p, vgc_visit_fn visit, void *arg)
{
    (void)hp;
    obj *o = p;
    for (int i = 0; i < o->n; i++)
        visit(o->child[i]->h, arg);
}
static void drop_children(obj *o)
{
    while (o->n > 0) {
        obj *c = o->child[--o->n];
        decref(c);
    }
}
static void clear(vgc_heap *hp, void *p)      /* tp_clear: drop the references, holding one */
{                                             /* on o itself, as delete_garbage does */
    (void)hp;
    obj *o = p;
    o->rc++;
    drop_children(o);
    decref(o);
}
static const vgc_type plain = {rc_of, traverse, NULL, clear, 0};
static const vgc_type legacy = {rc_of, traverse, NULL, clear, 1};   /* has a tp_del */

static obj *new_obj(const vgc_type *t)        /* refcount 1: the caller's reference */
{
    obj *o = calloc(1, sizeof *o);
    o->rc = 1;
    if (vgc_register(heap, o, t, &o->h) != VGC_OK)
        abort();
    return o;
}
static void link_to(obj *from, obj *to) { from->child[from->n++] = to; to->rc++; }
static void decref(obj *o)
{
    if (--o->rc == 0) {
        drop_children(o);
        vgc_unregister(heap, o->h);
        free(o);
        freed++;
    }
}

static int failures;
static void expect(int check, const char *what, int64_t got, int64_t want)
{
    printf("  %-44s %6lld", what, (long long)got);
    if (check && got != want) {
        printf("   MISMATCH, the rules predict %lld", (long long)want);
        failures++;
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    int check = argc > 1 && argv[1][0] == '-';
    vgc_config cfg = {1000, 0x030C, NULL};
    if (vgc_heap_new(&cfg, &heap) != VGC_OK)
        return 2;
    vgc_gen_stats st;
    int64_t found, v;

    /* 1. Live: root -> a <-> b (root held by the host).  Garbage: x <-> y, and z -> z. */
    obj *root = new_obj(&plain), *a = new_obj(&plain), *b = new_obj(&plain);
    link_to(root, a); link_to(a, b); link_to(b, a); decref(a); decref(b);
    obj *x = new_obj(&plain), *y = new_obj(&plain), *z = new_obj(&plain);
    link_to(x, y); link_to(y, x); link_to(z, z); decref(x); decref(y); decref(z);
    vgc_collect(heap, 2, &found);
    printf("full collection (3 live, a 2-cycle and a self-loop of garbage)\n");
    expect(check, "found", found, 3);
    expect(check, "freed by the host", freed, 3);
    vgc_get_stats(heap, 2, &st);
    expect(check, "gen2 collections", st.collections, 1);
    expect(check, "gen2 collected", st.collected, 3);
    vgc_generation_size(heap, 2, &v);
    expect(check, "objects in gen2 (survivors stay there)", v, 3);

    /* 2. A cycle whose one object has a legacy finalizer: uncollectable, to the garbage list. */
    obj *l1 = new_obj(&legacy), *l2 = new_obj(&plain);
    link_to(l1, l2); link_to(l2, l1); decref(l1); decref(l2);
    vgc_collect(heap, 0, &found);
    printf("generation-0 collection (a cycle with a legacy finalizer)\n");
    expect(check, "found", found, 2);
    vgc_get_stats(heap, 0, &st);
    expect(check, "gen0 uncollectable", st.uncollectable, 2);
    const vgc_handle *g; int64_t ng;
    vgc_garbage(heap, &g, &ng);
    expect(check, "garbage list length (legacy objects only)", ng, 1);
    vgc_get_count(heap, 1, &v);
    expect(check, "count[1] (one gen-0 collection since)", v, 1);

    /* 3. Automatic collection: threshold0 = 10, 15 garbage 2-cycles registered one object at a
     * time.  Registrations 11 and 22 push count[0] over 10: two gen-0 collections.  The first
     * finds pairs 0-4 (10 objects; object 10 is alive, held by the host, and is promoted); the
     * second finds pairs 6-9 (8): pair 5's second object is referenced from generation 1. */
    vgc_set_threshold(heap, 0, 10);
    for (int i = 0; i < 15; i++) {
        obj *p = new_obj(&plain), *q = new_obj(&plain);
        link_to(p, q); link_to(q, p); decref(p); decref(q);
    }
    printf("30 registrations with threshold0 = 10\n");
    vgc_get_stats(heap, 0, &st);
    expect(check, "gen0 collections (1 explicit + 2 automatic)", st.collections, 3);
    expect(check, "gen0 collected", st.collected, 18);
    vgc_get_count(heap, 0, &v);
    expect(check, "count[0] (30 - 22)", v, 8);
    vgc_get_count(heap, 1, &v);
    expect(check, "count[1]", v, 3);
    vgc_collect(heap, 2, &found);
    printf("full collection\n");
    expect(check, "found (pair 5 and pairs 10-14)", found, 12);
    vgc_get_stats(heap, 2, &st);
    expect(check, "gen2 collected", st.collected, 15);
    vgc_generation_size(heap, 2, &v);
    expect(check, "objects in gen2 (root, a, b, l1, l2)", v, 5);

    char msg[200];
    int ok = vgc_heap_check(heap, msg, sizeof msg) == VGC_OK;
    expect(check, "heap check", ok, 1);
    if (!ok)
        printf("  %s\n", msg);
    /* Teardown: drop the root and collect (a <-> b go); break the legacy cycle by hand. */
    decref(root);
    vgc_garbage_clear(heap);
    clear(heap, l1);
    vgc_collect(heap, 2, &found);
    expect(check, "final collection found (a, b)", found, 2);
    expect(check, "objects freed in all (3+18+12, root, a, b, l1, l2)", freed, 38);
    vgc_heap_free(heap);
    if (check)
        printf("%s\n", failures ? "host: MISMATCH" : "host: every statistic as predicted");
    return failures != 0;
}
