/* vgc_check.c — naive oracle for the core's theorems (see include/vgc_check.h).
 * Not in proof scope.  Deliberately different algorithms from the core: in-degrees by counting
 * per target, reachability by a depth-first search with an explicit stack of edges, so that a bug
 * shared by core and checker would have to be made twice in different code.
 */
#include "vgc_check.h"
#include "vgc_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

vgc_core_result vgc_core_run(int32_t n, const uint32_t *offsets, const uint32_t *targets,
                             int64_t *refs, uint8_t *roots, const uint8_t *legacy,
                             int32_t *order, int32_t *pos)
{
    vgc_core_result r;
    r.inconsistent = vgc_update_refs(n, offsets, targets, refs, roots);
    r.live = vgc_move_unreachable(n, offsets, targets, roots, order, pos);
    r.kept = r.live;
    if (legacy)
        r.kept = vgc_move_legacy_finalizer_reachable(n, offsets, targets, legacy, r.live,
                                                     order, pos);
    return r;
}

int vgc_check_csr(int32_t n, const uint32_t *offsets, const uint32_t *targets, uint32_t nedges)
{
    if (n < 0 || offsets[n] != nedges)
        return -1;
    for (int32_t i = 0; i < n; i++)
        if (offsets[i] > offsets[i + 1])
            return -1;
    for (uint32_t k = 0; k < nedges; k++)
        if (targets[k] >= (uint32_t)n)
            return -1;
    return 0;
}

/* Mark in `seen` (which may already hold marks) everything reachable from the objects with
 * start[v] set and not blocked[v], never entering blocked objects. */
static void dfs(int32_t n, const uint32_t *offsets, const uint32_t *targets,
                const uint8_t *start, const uint8_t *blocked, uint8_t *seen)
{
    uint32_t nedges = offsets[n];
    int32_t *stack = malloc(((size_t)n + nedges + 1) * sizeof *stack);
    size_t sp = 0;
    if (!stack)
        abort();
    for (int32_t v = 0; v < n; v++)
        if (start[v] && !(blocked && blocked[v]) && !seen[v]) {
            seen[v] = 1;
            stack[sp++] = v;
        }
    while (sp > 0) {
        int32_t u = stack[--sp];
        for (uint32_t k = offsets[u]; k < offsets[u + 1]; k++) {
            int32_t t = (int32_t)targets[k];
            if (!seen[t] && !(blocked && blocked[t])) {
                seen[t] = 1;
                stack[sp++] = t;
            }
        }
    }
    free(stack);
}

#define FAIL(...) do { snprintf(msg, msglen, __VA_ARGS__); goto out; } while (0)

int vgc_check_core(int32_t n, const uint32_t *offsets, const uint32_t *targets,
                   const int64_t *refcount, const uint8_t *legacy, const int64_t *gc_refs,
                   const uint8_t *roots, const int32_t *order, const int32_t *pos,
                   vgc_core_result r, char *msg, size_t msglen)
{
    int rc = -1;
    size_t un = n > 0 ? (size_t)n : 1;
    int64_t *indeg = calloc(un, sizeof *indeg);
    uint8_t *root = calloc(un, 1), *reach = calloc(un, 1);
    uint8_t *lseed = calloc(un, 1), *lreach = calloc(un, 1);
    if (!indeg || !root || !reach || !lseed || !lreach)
        abort();
    msg[0] = 0;

    for (uint32_t k = 0; k < offsets[n]; k++)
        indeg[targets[k]]++;
    int32_t negative = 0;
    for (int32_t i = 0; i < n; i++) {
        if (gc_refs[i] != refcount[i] - indeg[i])
            FAIL("T1 gc_refs[%d] = %lld, expected %lld", i, (long long)gc_refs[i],
                 (long long)(refcount[i] - indeg[i]));
        negative += gc_refs[i] < 0;
        root[i] = gc_refs[i] != 0;
        if ((roots[i] != 0) != root[i])
            FAIL("T3 roots[%d] = %d, gc_refs %lld", i, roots[i], (long long)gc_refs[i]);
    }
    if (negative != r.inconsistent)
        FAIL("T2 inconsistent = %d, expected %d", r.inconsistent, negative);
    if (r.live < 0 || r.live > r.kept || r.kept > n)
        FAIL("bounds: live %d kept %d n %d", r.live, r.kept, n);
    for (int32_t v = 0; v < n; v++)
        if (pos[v] < 0 || pos[v] >= n || order[pos[v]] != v)
            FAIL("permutation broken at %d", v);

    dfs(n, offsets, targets, root, NULL, reach);
    for (int32_t v = 0; v < n; v++) {
        int marked = pos[v] < r.live;
        if (marked != reach[v])
            FAIL("T3-5 object %d: core says %s, oracle says %s", v,
                 marked ? "reachable" : "garbage", reach[v] ? "reachable" : "garbage");
        if (gc_refs[v] < 0 && !marked)
            FAIL("T6 inconsistent object %d declared garbage", v);
    }

    if (legacy) {
        for (int32_t v = 0; v < n; v++)
            lseed[v] = legacy[v] != 0;
        dfs(n, offsets, targets, lseed, reach, lreach);
        for (int32_t v = 0; v < n; v++) {
            if (reach[v])
                continue;
            int held = pos[v] < r.kept;
            if (held != lreach[v])
                FAIL("T7 unreachable object %d: core says %s, oracle says %s", v,
                     held ? "finalizer-reachable" : "collectable",
                     lreach[v] ? "finalizer-reachable" : "collectable");
        }
    } else if (r.kept != r.live) {
        FAIL("kept %d != live %d without legacy finalizers", r.kept, r.live);
    }
    rc = 0;
out:
    free(indeg); free(root); free(reach); free(lseed); free(lreach);
    return rc;
}
