/* test_core.c — unit tests of the proved core on hand-built graphs; every run is also checked
 * against the naive oracle in src/vgc_check.c. */
#include "check.h"
#include "vgc_check.h"
#include "vgc_core.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A graph built from an edge list (src, dst), turned into CSR in src order. */
typedef struct graph {
    int32_t n;
    uint32_t *off, *tgt;
    int64_t *refcount, *refs;
    uint8_t *roots;
    uint8_t *legacy;
    int32_t *order, *pos;
    vgc_core_result r;
    char msg[256];
    int checked;
} graph;

static graph *graph_new(int32_t n, const int32_t (*edges)[2], uint32_t ne, const int64_t *rc,
                        const uint8_t *legacy)
{
    graph *g = calloc(1, sizeof *g);
    size_t un = n ? (size_t)n : 1;
    g->n = n;
    g->off = calloc(un + 1, sizeof *g->off);
    g->tgt = calloc(ne ? ne : 1, sizeof *g->tgt);
    g->refcount = calloc(un, sizeof *g->refcount);
    g->refs = calloc(un, sizeof *g->refs);
    g->roots = calloc(un, 1);
    g->order = calloc(un, sizeof *g->order);
    g->pos = calloc(un, sizeof *g->pos);
    g->legacy = legacy ? calloc(un, 1) : NULL;
    for (uint32_t e = 0; e < ne; e++)
        g->off[edges[e][0] + 1]++;
    for (int32_t i = 0; i < n; i++)
        g->off[i + 1] += g->off[i];
    uint32_t *fill = calloc(un, sizeof *fill);
    for (uint32_t e = 0; e < ne; e++) {
        int32_t s = edges[e][0];
        g->tgt[g->off[s] + fill[s]++] = (uint32_t)edges[e][1];
    }
    free(fill);
    for (int32_t i = 0; i < n; i++) {
        g->refcount[i] = rc[i];
        if (legacy)
            g->legacy[i] = legacy[i];
    }
    return g;
}

/* Run the core and the oracle; returns 1 when the oracle agrees. */
static int graph_run(graph *g)
{
    memcpy(g->refs, g->refcount, (size_t)g->n * sizeof *g->refs);
    g->r = vgc_core_run(g->n, g->off, g->tgt, g->refs, g->roots, g->legacy, g->order, g->pos);
    int ok = vgc_check_core(g->n, g->off, g->tgt, g->refcount, g->legacy, g->refs, g->roots,
                            g->order, g->pos, g->r, g->msg, sizeof g->msg) == 0;
    if (!ok)
        printf("  oracle: %s\n", g->msg);
    return ok;
}

static int is_garbage(graph *g, int32_t v) { return g->pos[v] >= g->r.kept; }

static void graph_free(graph *g)
{
    free(g->off); free(g->tgt); free(g->refcount); free(g->refs); free(g->roots); free(g->legacy);
    free(g->order); free(g->pos); free(g);
}

TEST(empty_graph)
{
    graph *g = graph_new(0, NULL, 0, NULL, NULL);
    CHECK(graph_run(g));
    CHECK_EQ(g->r.live, 0);
    CHECK_EQ(g->r.inconsistent, 0);
    graph_free(g);
}

TEST(self_loop_is_garbage)
{
    const int32_t e[][2] = {{0, 0}};
    const int64_t rc[] = {1};
    graph *g = graph_new(1, e, 1, rc, NULL);
    CHECK(graph_run(g));
    CHECK_EQ(g->refs[0], 0);
    CHECK(is_garbage(g, 0));
    graph_free(g);
}

TEST(self_loop_held_from_outside)
{
    const int32_t e[][2] = {{0, 0}};
    const int64_t rc[] = {2};
    graph *g = graph_new(1, e, 1, rc, NULL);
    CHECK(graph_run(g));
    CHECK_EQ(g->refs[0], 1);
    CHECK(!is_garbage(g, 0));
    graph_free(g);
}

TEST(two_cycle_is_garbage)
{
    const int32_t e[][2] = {{0, 1}, {1, 0}};
    const int64_t rc[] = {1, 1};
    graph *g = graph_new(2, e, 2, rc, NULL);
    CHECK(graph_run(g));
    CHECK_EQ(g->r.live, 0);
    CHECK(is_garbage(g, 0) && is_garbage(g, 1));
    graph_free(g);
}

TEST(cycle_held_from_outside_lives)
{
    /* 0 <-> 1 <-> 2, and 2 is also referenced from outside the snapshot. */
    const int32_t e[][2] = {{0, 1}, {1, 0}, {1, 2}, {2, 1}};
    const int64_t rc[] = {1, 2, 2};
    graph *g = graph_new(3, e, 4, rc, NULL);
    CHECK(graph_run(g));
    CHECK_EQ(g->r.live, 3);
    graph_free(g);
}

TEST(garbage_pointing_at_live_object)
{
    /* 0 <-> 1 is a garbage cycle that also references 2, which is held from outside. */
    const int32_t e[][2] = {{0, 1}, {1, 0}, {0, 2}};
    const int64_t rc[] = {1, 1, 2};
    graph *g = graph_new(3, e, 3, rc, NULL);
    CHECK(graph_run(g));
    CHECK(is_garbage(g, 0) && is_garbage(g, 1) && !is_garbage(g, 2));
    graph_free(g);
}

TEST(multi_edges_count_twice)
{
    /* 0 references 1 twice ([1, 1]); 1 references 0. */
    const int32_t e[][2] = {{0, 1}, {0, 1}, {1, 0}};
    const int64_t rc_garbage[] = {1, 2}, rc_live[] = {1, 3};
    graph *g = graph_new(2, e, 3, rc_garbage, NULL);
    CHECK(graph_run(g));
    CHECK_EQ(g->refs[1], 0);
    CHECK_EQ(g->r.live, 0);
    graph_free(g);
    g = graph_new(2, e, 3, rc_live, NULL);
    CHECK(graph_run(g));
    CHECK_EQ(g->refs[1], 1);
    CHECK_EQ(g->r.live, 2);
    graph_free(g);
}

TEST(long_chain_from_one_root)
{
    enum { N = 10000 };
    int32_t (*e)[2] = calloc(N, sizeof *e);
    int64_t *rc = calloc(N, sizeof *rc);
    for (int32_t i = 0; i + 1 < N; i++) {
        e[i][0] = i; e[i][1] = i + 1;
        rc[i + 1] = 1;
    }
    rc[0] = 1; /* the head is referenced from outside */
    graph *g = graph_new(N, (const int32_t (*)[2])e, N - 1, rc, NULL);
    CHECK(graph_run(g));
    CHECK_EQ(g->r.live, N);
    graph_free(g);
    free(e); free(rc);
}

TEST(million_ring_no_stack_overflow)
{
    enum { N = 1000000 };
    int32_t (*e)[2] = calloc(N, sizeof *e);
    int64_t *rc = calloc(N, sizeof *rc);
    for (int32_t i = 0; i < N; i++) {
        e[i][0] = i; e[i][1] = (i + 1) % N;
        rc[i] = 1;
    }
    graph *g = graph_new(N, (const int32_t (*)[2])e, N, rc, NULL);
    CHECK(graph_run(g));
    CHECK_EQ(g->r.live, 0);                 /* an unreferenced ring is garbage */
    rc[N / 2] = 2;                           /* one outside reference keeps all of it */
    graph_free(g);
    g = graph_new(N, (const int32_t (*)[2])e, N, rc, NULL);
    CHECK(graph_run(g));
    CHECK_EQ(g->r.live, N);
    graph_free(g);
    free(e); free(rc);
}

TEST(inconsistent_snapshot_is_kept_and_counted)
{
    /* 0 -> 1 twice but 1's refcount is 1: a broken tp_traverse.  1 and what it holds stay. */
    const int32_t e[][2] = {{0, 1}, {0, 1}, {1, 2}, {2, 1}, {0, 0}};
    const int64_t rc[] = {1, 1, 1};
    graph *g = graph_new(3, e, 5, rc, NULL);
    CHECK(graph_run(g));
    CHECK_EQ(g->r.inconsistent, 1);
    CHECK(g->refs[1] < 0);
    CHECK(!is_garbage(g, 1) && !is_garbage(g, 2));
    CHECK(is_garbage(g, 0));
    graph_free(g);
}

TEST(legacy_finalizer_closure)
{
    /* Garbage: 0 (legacy) -> 1 -> 2, 3 <-> 4 unrelated garbage, 5 live -> 0?  No: 5 is live and
     * referenced from outside; 1 -> 5 must not drag 5 into the closure. */
    const int32_t e[][2] = {{0, 1}, {1, 2}, {2, 0}, {1, 5}, {3, 4}, {4, 3}};
    const int64_t rc[] = {1, 1, 1, 1, 1, 2};
    const uint8_t legacy[] = {1, 0, 0, 0, 0, 1};
    graph *g = graph_new(6, e, 6, rc, legacy);
    CHECK(graph_run(g));
    CHECK_EQ(g->r.live, 1);
    CHECK_EQ(g->r.kept, 4);
    CHECK(!is_garbage(g, 0) && !is_garbage(g, 1) && !is_garbage(g, 2));
    CHECK(is_garbage(g, 3) && is_garbage(g, 4));
    /* CPython's order: the legacy object first, then breadth-first. */
    CHECK_EQ(g->order[1], 0);
    CHECK_EQ(g->order[2], 1);
    CHECK_EQ(g->order[3], 2);
    graph_free(g);
}

TEST(select_is_ascending_and_complete)
{
    const int32_t e[][2] = {{4, 2}, {2, 4}, {1, 1}, {3, 0}};
    const int64_t rc[] = {1, 1, 1, 1, 1};
    graph *g = graph_new(5, e, 4, rc, NULL);
    CHECK(graph_run(g));
    int32_t out[5];
    int32_t m = vgc_select(5, g->pos, g->r.kept, 5, out);
    CHECK_EQ(m, 3);                          /* 1 (self-loop), 2 <-> 4 */
    CHECK_EQ(out[0], 1);
    CHECK_EQ(out[1], 2);
    CHECK_EQ(out[2], 4);
    graph_free(g);
}

TEST(resurrection_recheck_on_subset)
{
    /* After finalizers ran, the unreachable subset {0, 1} is re-snapshotted: 1 got an outside
     * reference (refcount 2), so both are resurrected. */
    const int32_t e[][2] = {{0, 1}, {1, 0}};
    const int64_t rc[] = {1, 2};
    graph *g = graph_new(2, e, 2, rc, NULL);
    CHECK(graph_run(g));
    CHECK_EQ(g->r.live, 2);
    graph_free(g);
}

TEST(random_graphs_agree_with_oracle)
{
    uint32_t seed = 12345;
#define RND() (seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff)
    for (int round = 0; round < 2000; round++) {
        int32_t n = (int32_t)(RND() % 40);
        uint32_t ne = n ? RND() % (uint32_t)(3 * n + 1) : 0;
        int32_t (*e)[2] = calloc(ne ? ne : 1, sizeof *e);
        int64_t *rc = calloc(n ? (size_t)n : 1, sizeof *rc);
        uint8_t *lg = calloc(n ? (size_t)n : 1, 1);
        for (uint32_t k = 0; k < ne; k++) {
            e[k][0] = (int32_t)(RND() % (uint32_t)n);
            e[k][1] = (int32_t)(RND() % (uint32_t)n);
            rc[e[k][1]]++;
        }
        for (int32_t i = 0; i < n; i++) {
            int x = RND() % 8;
            rc[i] += x == 0 ? 1 : x == 1 ? -1 : 0;  /* outside refs, and some inconsistency */
            if (rc[i] < 0) rc[i] = 0;
            lg[i] = RND() % 10 == 0;
        }
        graph *g = graph_new(n, (const int32_t (*)[2])e, ne, rc, round % 2 ? lg : NULL);
        int ok = graph_run(g);
        CHECK(ok);
        graph_free(g);
        free(e); free(rc); free(lg);
        if (!ok)
            break;
    }
}

int main(void)
{
    printf("core unit tests\n");
    RUN(empty_graph);
    RUN(self_loop_is_garbage);
    RUN(self_loop_held_from_outside);
    RUN(two_cycle_is_garbage);
    RUN(cycle_held_from_outside_lives);
    RUN(garbage_pointing_at_live_object);
    RUN(multi_edges_count_twice);
    RUN(long_chain_from_one_root);
    RUN(million_ring_no_stack_overflow);
    RUN(inconsistent_snapshot_is_kept_and_counted);
    RUN(legacy_finalizer_closure);
    RUN(select_is_ascending_and_complete);
    RUN(resurrection_recheck_on_subset);
    RUN(random_graphs_agree_with_oracle);
    return RUN_TESTS();
}
