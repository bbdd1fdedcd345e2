/* vgc_hookstate.c — the hook's start/stop state machine (contract: include/vgc_hookstate.h).
 * PROVED with Frama-C WP (-wp-rte, make prove).  Pointer-free in effect: a record of integers
 * and a copy of CPython's numbers; src/cpython/hook.c executes the decisions on CPython's lists.
 */
#include "vgc_hookstate.h"

/*@ assigns \nothing;
    ensures sum: \result == clamp64(a + b); */
static int64_t vgc_hs_add(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

/*@ assigns \nothing;
    ensures difference: \result == clamp64(a - b); */
static int64_t vgc_hs_sub(int64_t a, int64_t b)
{
    if (b < 0 && a > INT64_MAX + b)
        return INT64_MAX;
    if (b > 0 && a < INT64_MIN + b)
        return INT64_MIN;
    return a - b;
}

void vgc_hs_init(struct vgc_hookstate *s)
{
    s->pending = VGC_HS_IDLE;
    s->in_start = 0;
    s->gen = 0;
    s->saved.count[0] = s->saved.count[1] = s->saved.count[2] = 0;
    s->saved.long_lived_total = s->saved.long_lived_pending = 0;
    s->saved.collected = s->saved.uncollectable = 0;
    s->m = s->n = 0;
    s->last_result = 0;
    s->fallbacks = s->fallback_collected = s->cpython_collected = s->lost_stops = 0;
    s->policy_agreed = s->policy_differed = 0;
}

int vgc_hs_accept(const struct vgc_hookstate *s, int installed, int collecting)
{
    return installed != 0 && collecting != 0 && s->in_start == 0;
}

int vgc_hs_heal_due(const struct vgc_hookstate *s, int collecting)
{
    return s->pending != VGC_HS_IDLE && collecting == 0 && s->in_start == 0;
}

int vgc_hs_start_plan(const struct vgc_hookstate *s, int generation)
{
    int plan = 0;
    if (s->pending != VGC_HS_IDLE)
        plan += VGC_HS_START_FINISH;
    if (generation >= 0 && generation < VGC_HS_NGEN)
        plan += VGC_HS_START_COLLECT;
    return plan;
}

void vgc_hs_begin(struct vgc_hookstate *s, int generation)
{
    s->in_start = 1;
    s->gen = generation;
}

void vgc_hs_policy(struct vgc_hookstate *s, int choice, int generation)
{
    if (choice == generation)
        s->policy_agreed = vgc_hs_add(s->policy_agreed, 1);
    else
        s->policy_differed = vgc_hs_add(s->policy_differed, 1);
}

void vgc_hs_started(struct vgc_hookstate *s, int ok, const struct vgc_hs_numbers *now,
                    int64_t m, int64_t n)
{
    s->in_start = 0;
    s->saved.collected = now->collected;
    s->saved.uncollectable = now->uncollectable;
    if (!ok) {
        s->fallbacks = vgc_hs_add(s->fallbacks, 1);
        s->pending = VGC_HS_FELL_BACK;             /* CPython's collector does this one */
        return;
    }
    s->saved.count[0] = now->count[0];
    s->saved.count[1] = now->count[1];
    s->saved.count[2] = now->count[2];
    s->saved.long_lived_total = now->long_lived_total;
    s->saved.long_lived_pending = now->long_lived_pending;
    s->m = m;
    s->n = n;
    s->pending = VGC_HS_COLLECTED;
}

int vgc_hs_finish(struct vgc_hookstate *s, struct vgc_hs_numbers *now, int lost)
{
    int was = s->pending;
    if (was == VGC_HS_IDLE)
        return was;
    if (lost)
        s->lost_stops = vgc_hs_add(s->lost_stops, 1);
    int64_t found = vgc_hs_add(vgc_hs_sub(now->collected, s->saved.collected),
                               vgc_hs_sub(now->uncollectable, s->saved.uncollectable));
    s->pending = VGC_HS_IDLE;
    if (was == VGC_HS_FELL_BACK) {                 /* CPython's numbers stand */
        s->fallback_collected = vgc_hs_add(s->fallback_collected, found);
        s->last_result = -1;
        return was;
    }
    s->cpython_collected = vgc_hs_add(s->cpython_collected, found);
    /* the counts as at "start", plus the objects that arrived during CPython's pass */
    int64_t count0 = (int64_t)s->saved.count[0] + now->count[0];
    now->count[0] = count0 > INT_MAX ? INT_MAX : count0 < INT_MIN ? INT_MIN : (int)count0;
    now->count[1] = s->saved.count[1];
    now->count[2] = s->saved.count[2];
    now->long_lived_total = s->saved.long_lived_total;
    now->long_lived_pending = s->saved.long_lived_pending;
    now->collected = vgc_hs_add(now->collected, s->m);
    now->uncollectable = vgc_hs_add(now->uncollectable, s->n);
    s->last_result = vgc_hs_add(s->m, s->n);
    return was;
}

void vgc_hs_stop_unseen(struct vgc_hookstate *s, int64_t collected, int64_t uncollectable)
{
    s->fallbacks = vgc_hs_add(s->fallbacks, 1);
    s->fallback_collected = vgc_hs_add(s->fallback_collected, vgc_hs_add(collected, uncollectable));
}
