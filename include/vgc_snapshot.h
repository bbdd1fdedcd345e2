/* vgc_snapshot.h — the admission check of a snapshot, in proof scope (src/vgc_snapshot.c,
 * `make prove`): the CPython adapter builds a snapshot from whatever tp_traverse reports and the
 * arena's arithmetic; before any core function sees it, vgc_snapshot_ok decides whether the
 * core's preconditions hold.  A snapshot that fails is never given to the core: CPython's
 * collector does that collection.
 */
#ifndef VGC_SNAPSHOT_H
#define VGC_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "../spec/vgc_graph.acsl"

/* Nonzero iff the core may run on (n, offsets, targets, refs): csr_ok (offsets globally
 * monotone, offsets[n] edges within the `ecap` target slots the caller owns, every target an
 * object of the snapshot) and every refcount >= 0.
 *
 * Proof note: "monotone" is checked pairwise in one pass and the loop invariant carries the
 * global form csr_ok states, so no induction is left to the provers. */
/*@
  requires n_range:   0 <= n <= INT32_MAX;
  requires off_valid: \valid_read(offsets + (0 .. n));
  requires tgt_valid: \valid_read(targets + (0 .. ecap - 1));
  requires refs_valid: \valid_read(refs + (0 .. n - 1));
  requires ecap_range: ecap <= UINT32_MAX;
  assigns \nothing;
  ensures admitted: \result != 0 ==>
    csr_ok(n, offsets, targets) && offsets[n] <= ecap &&
    (\forall integer i; 0 <= i < n ==> refs[i] >= 0);
  ensures rejected: \result == 0 ==>
    !((\forall integer i, j; 0 <= i <= j <= n ==> offsets[i] <= offsets[j]) &&
      offsets[n] <= ecap &&
      (\forall integer k; 0 <= k < offsets[n] ==> targets[k] < n) &&
      (\forall integer i; 0 <= i < n ==> refs[i] >= 0));
*/
int vgc_snapshot_ok(int32_t n, const uint32_t *offsets, const uint32_t *targets, size_t ecap,
                    const int64_t *refs);

/* The arena's arithmetic (src/cpython/snapshot.c), proved free of overflow. */

/* Largest buffer size the adapter asks for: 2^48 bytes (n <= INT32_MAX objects take at most
 * 8 * 2^31 bytes per array; E <= UINT32_MAX edges 4 * 2^32). */
#define VGC_NEED_MAX ((size_t)1 << 48)

/* The capacity to allocate for a buffer that must hold `need` bytes and holds `have` now:
 * need plus slack (need/8 for the edges, whose number is only known while traversing; need/16
 * for the exact per-object arrays) plus 4096, at least 1.5 x have (a heap growing by small steps
 * reallocates O(log n) times), rounded up to whole pages when it is mapped (>= map_min). */
/*@
  requires need_range: need <= VGC_NEED_MAX;
  requires map_range:  map_min <= VGC_NEED_MAX;
  assigns \nothing;
  ensures enough:  \result >= need + 4096;
  ensures growth:  have <= 2 * VGC_NEED_MAX ==> \result >= have + have / 2;
  ensures bounded: \result <= 4 * VGC_NEED_MAX;
  ensures pages:   \result >= map_min ==> \result % 4096 == 0;
*/
size_t vgc_arena_capacity(size_t need, size_t have, int edges, size_t map_min);

/* The number of edges a snapshot may hold in a target buffer of `cap_bytes` bytes: what fits,
 * but never more than `limit` (0: none) and never more than UINT32_MAX (the core's offsets are
 * uint32_t: csr_ok needs offsets[n] <= UINT32_MAX). */
/*@
  assigns \nothing;
  ensures fits:   \result <= cap_bytes / 4;
  ensures core:   \result <= UINT32_MAX;
  ensures limit:  limit != 0 ==> \result <= limit;
  ensures most:   \result == cap_bytes / 4 || \result == UINT32_MAX || (limit != 0 && \result == limit);
*/
size_t vgc_edge_capacity(size_t cap_bytes, size_t limit);

#endif /* VGC_SNAPSHOT_H */
