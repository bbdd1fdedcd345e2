/* vgc_policy.c — the proved collection policy over plain integers (contracts in
 * include/vgc_policy.h).  In proof scope: every function here is proved with Frama-C WP
 * -wp-rte (make prove).  Used by src/vgc_gen.c (libvgc's tracker) and src/vgc_python.c (the
 * CPython glue).
 */
#include "vgc_policy.h"

int vgc_policy_select(const int64_t *count, const int64_t *threshold,
                      int64_t long_lived_total, int64_t long_lived_pending)
{
    /* CPython: for i = 2 .. 0: if count[i] > threshold[i], skip i == 2 while
     * long_lived_pending < long_lived_total / 4, else collect i. */
    if (count[2] > threshold[2] && !(long_lived_pending < long_lived_total / 4))
        return 2;
    if (count[1] > threshold[1])
        return 1;
    if (count[0] > threshold[0])
        return 0;
    return -1;
}

int vgc_policy_trigger(int64_t count0, int64_t threshold0)
{
    return threshold0 != 0 && count0 > threshold0;
}

void vgc_policy_count_collection(int64_t *count, int g)
{
    if (g + 1 < VGC_NGEN && count[g + 1] < INT64_MAX)
        count[g + 1]++;
    count[0] = 0;
    if (g >= 1)
        count[1] = 0;
    if (g >= 2)
        count[2] = 0;
}

void vgc_policy_long_lived(int64_t *total, int64_t *pending, int g, int64_t survivors)
{
    if (g == VGC_NGEN - 1) {
        /* a full collection: its survivors are the new long-lived population */
        *pending = 0;
        *total = survivors;
    } else if (g == 1) {
        /* survivors of generation 1 are about to join generation 2 */
        if (*pending <= INT64_MAX - survivors)
            *pending += survivors;
        else
            *pending = INT64_MAX;
    }
}

void vgc_policy_freeze(int64_t *count)
{
    count[0] = 0;
    count[1] = 0;
    count[2] = 0;
}
