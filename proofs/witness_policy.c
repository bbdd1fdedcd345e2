/* witness_policy.c — non-vacuity witness for the policy contracts (include/vgc_policy.h).
 * In proof scope (make prove).  It calls every proved policy function on concrete counters,
 * so WP must prove each `requires` satisfiable, and it asserts the results on CPython's own
 * corner cases, so the contracts are shown to pin them down:
 *   - generation 2 at the long-lived boundary: pending == total / 4 collects generation 2
 *     (CPython skips only while pending < total / 4);
 *   - threshold 0 disables the allocation trigger;
 *   - the count update, the long-lived bookkeeping and gc.freeze's reset on known values.
 * Never compiled into the library. */
#include "vgc_policy.h"

/*@ assigns \nothing; */
int vgc_policy_witness(void)
{
    int64_t count[VGC_NGEN] = {701, 3, 11};
    int64_t threshold[VGC_NGEN] = {700, 10, 10};

    /* long_lived_total 40, pending 10 == 40 / 4: generation 2 is collected */
    int g = vgc_policy_select(count, threshold, 40, 10);
    /*@ assert boundary_collects_2: g == 2; */
    /* pending 9 < 40 / 4: generation 2 is skipped; generation 1 is not over its threshold */
    int h = vgc_policy_select(count, threshold, 40, 9);
    /*@ assert skip_2: h == 0; */
    int t_on = vgc_policy_trigger(701, 700);
    int t_off = vgc_policy_trigger(701, 0);
    int t_equal = vgc_policy_trigger(700, 700);
    /*@ assert trigger: t_on != 0 && t_off == 0 && t_equal == 0; */

    vgc_policy_count_collection(count, 1);
    /*@ assert counted: count[0] == 0 && count[1] == 0 && count[2] == 12; */

    int64_t total = 40, pending = 10;
    vgc_policy_long_lived(&total, &pending, 1, 5);
    /*@ assert pending_grows: total == 40 && pending == 15; */
    vgc_policy_long_lived(&total, &pending, 2, 100);
    /*@ assert full_resets: total == 100 && pending == 0; */
    vgc_policy_long_lived(&total, &pending, 0, 7);
    /*@ assert young_keeps: total == 100 && pending == 0; */

    vgc_policy_freeze(count);
    /*@ assert frozen: count[0] == 0 && count[1] == 0 && count[2] == 0; */
    return g + h;
}
