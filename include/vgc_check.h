/* vgc_check.h — an executable checker of the core's theorems (SPEC.md table, column "checker").
 * Not in proof scope: it is the independent, obviously-correct oracle that the unit tests and the
 * fuzzers run after every use of the core.  It recomputes everything naively and compares.
 */
#ifndef VGC_CHECK_H
#define VGC_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* The result of running phases 1–3 of the core on one snapshot. */
typedef struct vgc_core_result {
    int32_t inconsistent;   /* vgc_update_refs' return value */
    int32_t live;           /* vgc_move_unreachable's return value */
    int32_t kept;           /* vgc_move_legacy_finalizer_reachable's return value */
} vgc_core_result;

/* Run the three phases.  refs holds refcounts on entry and gc_refs on return; roots receives
 * phase 1's root flags; order and pos are n-entry scratch arrays; legacy may be NULL (no legacy
 * finalizers). */
vgc_core_result vgc_core_run(int32_t n, const uint32_t *offsets, const uint32_t *targets,
                             int64_t *refs, uint8_t *roots, const uint8_t *legacy,
                             int32_t *order, int32_t *pos);

/* Compare a result with a naive recomputation.  refcount: the input refcounts; gc_refs, order,
 * pos: the core's outputs.  Returns 0 when every theorem holds, else -1 with a message in msg.
 * Checks: T1 gc_refs exact, T2 inconsistent count, roots[v] != 0 iff gc_refs[v] != 0,
 * permutation, T3/T4/T5 marked == reachable from the roots, T6 inconsistent objects kept,
 * T7 legacy closure == reachable from legacy finalizers among the unreachable. */
int vgc_check_core(int32_t n, const uint32_t *offsets, const uint32_t *targets,
                   const int64_t *refcount, const uint8_t *legacy, const int64_t *gc_refs,
                   const uint8_t *roots, const int32_t *order, const int32_t *pos,
                   vgc_core_result r, char *msg, size_t msglen);

/* Check that offsets/targets are a well-formed snapshot (the core's csr_ok precondition).
 * Returns 0 if so. */
int vgc_check_csr(int32_t n, const uint32_t *offsets, const uint32_t *targets, uint32_t nedges);

#endif /* VGC_CHECK_H */
