/* vgc_gen.c — the proved generational policy: queries, selection, counts, long-lived
 * bookkeeping (contracts in include/vgc_gen.h).
 * In proof scope: every function here is proved with Frama-C WP -wp-rte (make prove).
 * The rules themselves are src/vgc_policy.c's (over plain integers, shared with the CPython
 * glue); the functions here apply them to the tracker's counters.  Mirrors CPython's
 * gc_collect_generations (selection with the long-lived rule), the _PyObject_GC_Alloc trigger,
 * gc_collect_main's count updates and long_lived_* bookkeeping, gc.set_threshold, gc.freeze's count reset, and gc_list_size / list iteration.
 * The list operations are in src/vgc_gen_lists.c (also proved).
 */
#include "vgc_gen.h"

/* ---- queries ------------------------------------------------------------------------------ */

int64_t vgc_gen_len(const vgc_gen *s, int l)
{
    return s->len[l];
}

int32_t vgc_gen_first(const vgc_gen *s, int l)
{
    const int64_t h = (int64_t)s->cap + l;
    /*@ assert h_node: node(s, h) && tagof(s, h) == l; */
    const int32_t f = s->next[h];
    /*@ assert f_list: 0 <= f < s->cap + VGC_NLISTS && tagof(s, f) == l; */
    return (int64_t)f < (int64_t)s->cap ? f : -1;
}

int32_t vgc_gen_next(const vgc_gen *s, int32_t x)
{
    /*@ assert x_node: node(s, x) && tagof(s, x) == s->tag[x]; */
    const int32_t n = s->next[x];
    /*@ assert n_list: 0 <= n < s->cap + VGC_NLISTS && tagof(s, n) == s->tag[x]; */
    return (int64_t)n < (int64_t)s->cap ? n : -1;
}

/* ---- policy ------------------------------------------------------------------------------- */

int vgc_gen_select(const vgc_gen *s)
{
    return vgc_policy_select(s->count, s->threshold, s->long_lived_total, s->long_lived_pending);
}

int vgc_gen_should_collect(const vgc_gen *s)
{
    return vgc_policy_trigger(s->count[0], s->threshold[0]);
}

void vgc_gen_set_threshold(vgc_gen *s, int g, int64_t v)
{
    s->threshold[g] = v;
}

/* ---- collection bookkeeping --------------------------------------------------------------- */

void vgc_gen_count_collection(vgc_gen *s, int g)
{
    vgc_policy_count_collection(s->count, g);
}

void vgc_gen_long_lived(vgc_gen *s, int g)
{
    /* called once list g holds exactly the survivors */
    vgc_policy_long_lived(&s->long_lived_total, &s->long_lived_pending, g, s->len[g]);
}

void vgc_gen_freeze_count(vgc_gen *s)
{
    vgc_policy_freeze(s->count);
}
