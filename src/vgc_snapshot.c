/* vgc_snapshot.c — the admission check of a snapshot (contract: include/vgc_snapshot.h).
 * PROVED with Frama-C WP (-wp-rte, make prove).  Pointer-free in effect: it only reads the
 * arrays the CPython adapter built, and answers whether the core's `requires` hold.
 */
#include "vgc_snapshot.h"

int vgc_snapshot_ok(int32_t n, const uint32_t *offsets, const uint32_t *targets, size_t ecap,
                    const int64_t *refs)
{
    /*@ loop invariant i_range: 0 <= i <= n;
        loop invariant mono: \forall integer a, b; 0 <= a <= b <= i ==> offsets[a] <= offsets[b];
        loop invariant refs_pos: \forall integer j; 0 <= j < i ==> refs[j] >= 0;
        loop assigns i;
        loop variant n - i; */
    for (int32_t i = 0; i < n; i++) {
        if (refs[i] < 0 || offsets[i] > offsets[i + 1])
            return 0;
    }
    uint32_t nedges = offsets[n];
    if ((size_t)nedges > ecap)
        return 0;
    /*@ loop invariant k_range: 0 <= k <= nedges;
        loop invariant tgt_in: \forall integer j; 0 <= j < k ==> targets[j] < n;
        loop assigns k;
        loop variant nedges - k; */
    for (uint32_t k = 0; k < nedges; k++) {
        if (targets[k] >= (uint32_t)n)
            return 0;
    }
    return 1;
}

size_t vgc_arena_capacity(size_t need, size_t have, int edges, size_t map_min)
{
    size_t cap = need + (edges ? need / 8 : need / 16) + 4096;
    if (have > 2 * VGC_NEED_MAX)                      /* no such buffer: keep the sum small */
        have = 2 * VGC_NEED_MAX;
    size_t grown = have + have / 2;
    if (cap < grown)
        cap = grown;
    if (cap >= map_min)
        cap = (cap + 4095) / 4096 * 4096;
    return cap;
}

size_t vgc_edge_capacity(size_t cap_bytes, size_t limit)
{
    size_t cap = cap_bytes / 4;
    if (cap > UINT32_MAX)
        cap = UINT32_MAX;
    if (limit != 0 && cap > limit)
        cap = limit;
    return cap;
}
