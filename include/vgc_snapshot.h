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

#endif /* VGC_SNAPSHOT_H */
