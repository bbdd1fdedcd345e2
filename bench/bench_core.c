/* bench_core.c — time the proved core alone on synthetic snapshots (no CPython).
 * Not in proof scope.  Prints one table row per shape and writes build/bench/core.json.
 * Shapes: `live` (1 root, a random tree of fan-out ~4 plus random cross edges, all reachable),
 * `garbage` (the same without a root: all unreachable), `ring` (one n-node cycle, garbage).
 * Each figure is the median of REPS runs of the three phases (update_refs, move_unreachable,
 * move_legacy_finalizer_reachable with no legacy objects). */
#define _POSIX_C_SOURCE 199309L
#include "vgc_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { REPS = 7 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t m) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (uint32_t)(rng % m); }

int main(int argc, char **argv)
{
    const char *json = argc > 1 ? argv[1] : "build/bench/core.json";
    FILE *out = fopen(json, "w");
    if (!out) { perror(json); return 1; }
    fprintf(out, "[\n");
    printf("%-8s %9s %9s %10s %10s %8s\n", "shape", "objects", "edges", "median ms", "ns/object", "ns/edge");
    const int32_t sizes[] = {10000, 100000, 1000000};
    const char *shapes[] = {"live", "garbage", "ring"};
    int first = 1;
    for (int s = 0; s < 3; s++)
        for (int z = 0; z < 3; z++) {
            int32_t n = sizes[z];
            uint32_t cap = (uint32_t)n * 5;
            uint32_t *off = malloc(((size_t)n + 1) * sizeof *off), *tgt = malloc(cap * sizeof *tgt);
            int64_t *rc = calloc((size_t)n, sizeof *rc), *refs = malloc((size_t)n * sizeof *refs);
            int32_t *order = malloc((size_t)n * sizeof *order), *pos = malloc((size_t)n * sizeof *pos);
            uint8_t *roots = malloc((size_t)n);
            uint8_t *legacy = calloc((size_t)n, 1);
            uint32_t e = 0;
            for (int32_t v = 0; v < n; v++) {
                off[v] = e;
                if (s == 2) { tgt[e++] = (uint32_t)((v + 1) % n); continue; }
                /* children of v in a 4-ary tree, plus one random cross edge every other object */
                for (int c = 1; c <= 4; c++) {
                    int64_t child = 4 * (int64_t)v + c;
                    if (child < n) tgt[e++] = (uint32_t)child;
                }
                if (v % 2) tgt[e++] = rnd((uint32_t)n);
                if (v > 0) tgt[e++] = (uint32_t)((v - 1) / 4);   /* parent back-pointer */
            }
            off[n] = e;
            for (uint32_t k = 0; k < e; k++) rc[tgt[k]]++;
            if (s == 0) rc[0]++;   /* `live`: the tree root is referenced from outside */
            double t[REPS];
            int32_t live = 0, kept = 0;
            for (int r = 0; r < REPS; r++) {
                memcpy(refs, rc, (size_t)n * sizeof *refs);
                double t0 = now();
                vgc_update_refs(n, off, tgt, refs, roots);
                live = vgc_move_unreachable(n, off, tgt, roots, order, pos);
                kept = vgc_move_legacy_finalizer_reachable(n, off, tgt, legacy, live, order, pos);
                t[r] = now() - t0;
            }
            qsort(t, REPS, sizeof t[0], cmp);
            double med = t[REPS / 2];
            if ((s == 0 && live != n) || (s != 0 && live != 0) || kept != live) {
                fprintf(stderr, "bench_core: wrong answer for %s/%d\n", shapes[s], n);
                return 1;
            }
            printf("%-8s %9d %9u %10.3f %10.2f %8.2f\n", shapes[s], n, e, med * 1e3, med * 1e9 / n, med * 1e9 / e);
            fprintf(out, "%s  {\"shape\": \"%s\", \"objects\": %d, \"edges\": %u, \"median_s\": %.9f}",
                    first ? "" : ",\n", shapes[s], n, e, med);
            first = 0;
            free(off); free(tgt); free(rc); free(refs); free(order); free(pos); free(roots); free(legacy);
        }
    fprintf(out, "\n]\n");
    fclose(out);
    printf("scratch memory: 1 byte/object (root flags) + 8 (order, pos: phase 2 may reuse refs' "
           "storage), 0 bytes/edge; json: %s\n", json);
    return 0;
}
