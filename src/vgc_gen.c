/* vgc_gen.c — the proved generational policy: queries, selection, counts, long-lived
 * bookkeeping (contracts in include/vgc_gen.h).
 * In proof scope: every function here is proved with Frama-C WP -wp-rte (make prove).
 * Mirrors CPython's gc_collect_generations (selection with the long-lived rule), the
 * _PyObject_GC_Alloc trigger, gc_collect_main's count updates and long_lived_* bookkeeping,
 * gc.set_threshold, gc.freeze's count reset, and gc_list_size / list iteration.
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
    /* CPython: for i = 2 .. 0: if count[i] > threshold[i], skip i == 2 while
     * long_lived_pending < long_lived_total / 4, else collect i. */
    if (s->count[2] > s->threshold[2] && !(s->long_lived_pending < s->long_lived_total / 4))
        return 2;
    if (s->count[1] > s->threshold[1])
        return 1;
    if (s->count[0] > s->threshold[0])
        return 0;
    return -1;
}

int vgc_gen_should_collect(const vgc_gen *s)
{
    return s->threshold[0] != 0 && s->count[0] > s->threshold[0];
}

void vgc_gen_set_threshold(vgc_gen *s, int g, int64_t v)
{
    s->threshold[g] = v;
}

/* ---- collection bookkeeping --------------------------------------------------------------- */

void vgc_gen_count_collection(vgc_gen *s, int g)
{
    if (g + 1 < VGC_NGEN && s->count[g + 1] < INT64_MAX)
        s->count[g + 1]++;
    s->count[0] = 0;
    if (g >= 1)
        s->count[1] = 0;
    if (g >= 2)
        s->count[2] = 0;
}

void vgc_gen_long_lived(vgc_gen *s, int g)
{
    if (g == VGC_NGEN - 1) {
        s->long_lived_pending = 0;
        s->long_lived_total = s->len[2];
    } else if (g == 1) {
        const int64_t survivors = s->len[1];
        if (s->long_lived_pending <= INT64_MAX - survivors)
            s->long_lived_pending += survivors;
        else
            s->long_lived_pending = INT64_MAX;
    }
}

void vgc_gen_freeze_count(vgc_gen *s)
{
    /* CPython gc_freeze_impl: generations[i].count = 0 for every generation. */
    s->count[0] = 0;
    s->count[1] = 0;
    s->count[2] = 0;
}
