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

/* ---- connectivity: what gen_pos means (C1) ----------------------------------------------- */

/* The node reached from node h by n next steps. */
/*@
  logic integer walk{L}(vgc_gen *s, integer h, integer n) =
    n <= 0 ? h : s->next[walk(s, h, n - 1)];
*/

/* C1 as a theorem (a ghost lemma function: assigns nothing, never compiled): in every state
 * satisfying gen_wf, the walk from head l visits the slots at positions 1, 2, ..., len[l] in
 * this order, each tagged l, and is back at the head after len[l] + 1 steps; every slot tagged l
 * is visited (at the step given by its position).  Positions being distinct, the walk visits
 * exactly the len[l] slots tagged l, each once: what the run-time walkers (walk_ok,
 * vgc_heap_check) check.  The induction over the steps is the loop. */
/*@ ghost
  /@ requires wf:      gen_wf(s);
     requires l_range: 0 <= l < VGC_NLISTS;
     assigns \nothing;
     ensures walk_slots: \forall integer d; 1 <= d <= s->len[l] ==>
       0 <= walk(s, s->cap + l, d) < s->cap && s->tag[walk(s, s->cap + l, d)] == l &&
       vgc_gen_pos[walk(s, s->cap + l, d)] == d;
     ensures walk_back: walk(s, s->cap + l, s->len[l] + 1) == s->cap + l;
     ensures walk_all: \forall integer y; 0 <= y < s->cap && s->tag[y] == l ==>
       1 <= vgc_gen_pos[y] <= s->len[l] && walk(s, s->cap + l, vgc_gen_pos[y]) == y; @/
  void vgc_gen_walk(const vgc_gen *s, int l)
  {
      /@ assert h_ok: node(s, s->cap + l) && tagof(s, s->cap + l) == l &&
                      vgc_gen_pos[s->cap + l] == 0 && walk(s, s->cap + l, 0) == s->cap + l; @/
      /@ assert len_ok: s->len[l] <= s->cap; @/
      /@ assert last_l: pos_last(s, l) && vgc_gen_pos[s->prev[s->cap + l]] == s->len[l]; @/
      /@ loop invariant range: 0 <= d <= s->len[l];
         loop invariant fwd: \forall integer e; 1 <= e <= d ==>
           0 <= walk(s, s->cap + l, e) < s->cap && s->tag[walk(s, s->cap + l, e)] == l &&
           vgc_gen_pos[walk(s, s->cap + l, e)] == e;
         loop invariant cur: node(s, walk(s, s->cap + l, d)) &&
           tagof(s, walk(s, s->cap + l, d)) == l && vgc_gen_pos[walk(s, s->cap + l, d)] == d;
         loop assigns d;
         loop variant s->len[l] - d; @/
      for (int64_t d = 0; d < (int64_t)s->len[l]; d++) {
          /@ assert z_ok: 0 <= s->next[walk(s, s->cap + l, d)] < s->cap + VGC_NLISTS &&
                tagof(s, s->next[walk(s, s->cap + l, d)]) == l &&
                s->prev[s->next[walk(s, s->cap + l, d)]] == walk(s, s->cap + l, d); @/
          /@ assert w_def: walk(s, s->cap + l, d + 1) == s->next[walk(s, s->cap + l, d)]; @/
          /@ assert w_node: node(s, walk(s, s->cap + l, d + 1)) &&
                tagof(s, walk(s, s->cap + l, d + 1)) == l &&
                s->prev[walk(s, s->cap + l, d + 1)] == walk(s, s->cap + l, d); @/
          /@ assert w_not_head: walk(s, s->cap + l, d + 1) != s->cap + l; @/
          /@ assert w_slot: 0 <= walk(s, s->cap + l, d + 1) < s->cap &&
                s->tag[walk(s, s->cap + l, d + 1)] == l; @/
          /@ assert w_pos: vgc_gen_pos[walk(s, s->cap + l, d + 1)] == d + 1; @/
      }
      /@ assert end_ok: 0 <= s->next[walk(s, s->cap + l, s->len[l])] < s->cap + VGC_NLISTS &&
            tagof(s, s->next[walk(s, s->cap + l, s->len[l])]) == l &&
            s->prev[s->next[walk(s, s->cap + l, s->len[l])]] == walk(s, s->cap + l, s->len[l]); @/
      /@ assert end_def: walk(s, s->cap + l, s->len[l] + 1) == s->next[walk(s, s->cap + l, s->len[l])]; @/
      /@ assert end_node: node(s, walk(s, s->cap + l, s->len[l] + 1)) &&
            tagof(s, walk(s, s->cap + l, s->len[l] + 1)) == l &&
            s->prev[walk(s, s->cap + l, s->len[l] + 1)] == walk(s, s->cap + l, s->len[l]); @/
      /@ assert end_not_slot: !(0 <= walk(s, s->cap + l, s->len[l] + 1) < s->cap); @/
      /@ assert back: walk(s, s->cap + l, s->len[l] + 1) == s->cap + l; @/
  }
*/
