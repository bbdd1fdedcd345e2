/* vgc_policy.h — CPython's generational collection policy and its count bookkeeping, over
 * plain integers: public contracts.
 * In proof scope: every function declared here is proved with Frama-C WP (-wp-rte), see proofs/.
 *
 * Why a layer of its own: the rules (which generation to collect, how the counts and the
 * long-lived counters change) are the same for libvgc's index-based tracker (src/vgc_gen.c
 * delegates to these functions) and for CPython's own pointer lists, which the proved tracker
 * cannot describe.  The CPython glue (src/vgc_python.c) copies CPython's counters into int64_t
 * variables, calls these functions, and writes the results back.
 *
 * Counters are int64_t and saturate at INT64_MAX (sat_add); C mirrors of CPython 3.11
 * Modules/gcmodule.c (3.12 identical for these rules; 3.13 Python/gc.c keeps them).
 */
#ifndef VGC_POLICY_H
#define VGC_POLICY_H

#include <stdint.h>

#define VGC_NGEN 3    /* collected generations 0, 1, 2 */

#include "../spec/vgc_policy.acsl"

/* The generation to collect now, or -1 (CPython gc_collect_generations' loop over
 * generations 2 .. 0, with the long-lived rule for generation 2). */
/*@
  requires count_ok:     \valid_read(count + (0 .. VGC_NGEN - 1));
  requires threshold_ok: \valid_read(threshold + (0 .. VGC_NGEN - 1));
  assigns \nothing;
  ensures select: \result == policy_select(count[0], count[1], count[2],
                                           threshold[0], threshold[1], threshold[2],
                                           long_lived_total, long_lived_pending);
  ensures range:  -1 <= \result < VGC_NGEN;
*/
int vgc_policy_select(const int64_t *count, const int64_t *threshold,
                      int64_t long_lived_total, int64_t long_lived_pending);

/* Whether an allocation should trigger a collection; threshold0 == 0 disables it. */
/*@
  assigns \nothing;
  ensures trigger: \result != 0 <==> policy_trigger(count0, threshold0);
*/
int vgc_policy_trigger(int64_t count0, int64_t threshold0);

/* The count update at the start of a collection of generation g (CPython gc_collect_main):
 * count[g+1] += 1 (saturating), count[0..g] = 0. */
/*@
  requires valid:    \valid(count + (0 .. VGC_NGEN - 1));
  requires g_range:  0 <= g < VGC_NGEN;
  requires nonneg:   counts_ok(count);
  assigns count[0 .. VGC_NGEN - 1];
  ensures older_count:  g + 1 < VGC_NGEN ==> count[g + 1] == sat_add(\old(count[g + 1]), 1);
  ensures oldest_count: g + 2 < VGC_NGEN ==> count[g + 2] == \old(count[g + 2]);
  ensures reset:        \forall integer i; 0 <= i <= g ==> count[i] == 0;
  ensures nonneg:       counts_ok(count);
*/
void vgc_policy_count_collection(int64_t *count, int g);

/* The long-lived bookkeeping of a collection of generation g, given the number of survivors
 * (CPython gc_collect_main, "Move reachable objects to next generation"):
 * g == 1: pending += survivors; g == 2: pending = 0, total = survivors; g == 0: nothing. */
/*@
  requires valid:     \valid(total) && \valid(pending) && \separated(total, pending);
  requires g_range:   0 <= g < VGC_NGEN;
  requires survivors_ok: survivors >= 0;
  requires nonneg:    *total >= 0 && *pending >= 0;
  assigns *total, *pending;
  ensures pending:    g == 1 ==> *pending == sat_add(\old(*pending), survivors);
  ensures total_kept: g <= 1 ==> *total == \old(*total);
  ensures young:      g == 0 ==> *pending == \old(*pending);
  ensures full:       g == 2 ==> *pending == 0 && *total == survivors;
  ensures nonneg:     *total >= 0 && *pending >= 0;
*/
void vgc_policy_long_lived(int64_t *total, int64_t *pending, int g, int64_t survivors);

/* gc.freeze()'s count reset: every generation's count becomes 0 (CPython gc_freeze_impl /
 * 3.13 _PyGC_Freeze: `generations[i].count = 0` for i = 0 .. 2). */
/*@
  requires valid: \valid(count + (0 .. VGC_NGEN - 1));
  assigns count[0 .. VGC_NGEN - 1];
  ensures count:  \forall integer i; 0 <= i < VGC_NGEN ==> count[i] == 0;
*/
void vgc_policy_freeze(int64_t *count);

#endif /* VGC_POLICY_H */
