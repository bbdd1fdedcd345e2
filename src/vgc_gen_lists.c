/* vgc_gen_lists.c — the generational tracker's list operations (contracts in include/vgc_gen.h).
 * In proof scope: every function here is proved with Frama-C WP -wp-rte (make prove), Z3 + CVC4.
 * Mirrors CPython's gc_list_* primitives (init, append, remove, move, merge) and gc.freeze /
 * gc.unfreeze.
 *
 * Proof structure.  Only three functions edit links: vgc_unlink (gc_list_remove), vgc_append
 * (gc_list_append) and vgc_splice (the link edits of gc_list_merge); track, untrack and move are
 * compositions of the first two, merge is a splice plus a re-tag loop, and collect_begin /
 * promote / freeze / unfreeze compose merges with the proved count functions of src/vgc_gen.c.
 * Each link edit proves the link invariant node by node (predicate node_ok below): first the
 * facts about the pre-state the edit relies on (which nodes are distinct, which nodes point where),
 * then explicit frames (next/prev/tag unchanged except at the written indices), then node_ok for
 * each written node and for all the others, then gen_links by the lemma links_nodes.  Stating the
 * invariant per node keeps every goal to a few instantiations the provers find by themselves.
 *
 * Every write of a tag goes through vgc_set_tag, whose ghost loop proves how the per-list slot
 * counts change (an induction over the slots that the SMT provers cannot do by themselves).
 *
 * Connectivity (gen_pos, the ghost position index of spec/vgc_gen.acsl, SPEC-tracker §2a):
 * vgc_remove = vgc_unlink + ghost renumbering (vgc_pos_unlinked), vgc_add = vgc_append + the new
 * slot's position (vgc_pos_appended); track, untrack and move use these two.  vgc_gen_merge
 * shifts the positions of `from` (vgc_pos_shift) before the list part (vgc_merge_lists).  See
 * the section "connectivity" below for how the proof keeps each goal's context small.
 * Ghost code is not compiled: it costs nothing at run time.
 */
#include "vgc_gen.h"

/* ---- the per-node link invariant ---------------------------------------------------------- */

/* The links of one node, as gen_links states them for every node (spec/vgc_gen.acsl §2).  The
 * proofs below establish it node by node: the nodes an edit writes, and all the others. */
/*@
  predicate node_ok{L}(vgc_gen *s, integer y) =
    0 <= s->next[y] < s->cap + VGC_NLISTS && 0 <= s->prev[y] < s->cap + VGC_NLISTS &&
    tagof(s, s->next[y]) == tagof(s, y) && tagof(s, s->prev[y]) == tagof(s, y) &&
    s->prev[s->next[y]] == y && s->next[s->prev[y]] == y;

  lemma links_nodes{L}:
    \forall vgc_gen *s; gen_links(s) <==> (\forall integer y; node(s, y) ==> node_ok(s, y));
*/

/* ---- tags -------------------------------------------------------------------------------- */

/* Set tag[x] = t.  For every list g and prefix j, count_tag changes by +1 (g == t) and -1
 * (g == old tag) once the prefix covers x; every count stays within [0, j]. */
/*@
  requires mem:       gen_mem(s);
  requires x_range:   0 <= x < s->cap;
  assigns s->tag[x];
  ensures set:        s->tag[x] == t;
  ensures others:     \forall integer y; 0 <= y < s->cap && y != x ==>
                        s->tag[y] == \old(s->tag[y]);
  ensures counts:
    \forall integer j, g; 0 <= j <= s->cap ==>
      count_tag(s->tag, j, g) == \old(count_tag(s->tag, j, g)) +
        (j > x ? (g == t ? 1 : 0) - (g == \old(s->tag[x]) ? 1 : 0) : 0);
  ensures bounded:    \forall integer j, g; 0 <= j <= s->cap ==>
                        0 <= count_tag(s->tag, j, g) <= j;
*/
static void vgc_set_tag(vgc_gen *s, int32_t x, uint8_t t)
{
    s->tag[x] = t;
    /*@ ghost
      /@ loop invariant range: 0 <= i <= s->cap;
         loop invariant counts:
           \forall integer j, g; 0 <= j <= i ==>
             count_tag(s->tag, j, g) == count_tag{Pre}(s->tag, j, g) +
               (j > x ? (g == t ? 1 : 0) - (g == \at(s->tag[x], Pre) ? 1 : 0) : 0);
         loop invariant bounded:
           \forall integer j, g; 0 <= j <= i ==> 0 <= count_tag(s->tag, j, g) <= j;
         loop assigns i;
         loop variant s->cap - i; @/
      for (int64_t i = 0; i < s->cap; i++)
          ;
    */
}

/* ---- init ------------------------------------------------------------------------------- */

void vgc_gen_init(vgc_gen *s, int64_t cap, int32_t *next, int32_t *prev, uint8_t *tag,
                  int64_t threshold0)
{
    s->cap = (uint32_t)cap;
    s->next = next;
    s->prev = prev;
    s->tag = tag;
    /*@ assert sep: \forall integer i, j; 0 <= i < cap + VGC_NLISTS && 0 <= j < cap + VGC_NLISTS ==>
          \separated(next + i, prev + j); */
    /*@
      loop invariant range: 0 <= l <= VGC_NLISTS;
      loop invariant heads: \forall integer k; cap <= k < cap + l ==> next[k] == k && prev[k] == k;
      loop invariant pos: \forall integer k; cap <= k < cap + l ==> vgc_gen_pos[k] == 0;
      loop assigns l, next[cap .. cap + VGC_NLISTS - 1], prev[cap .. cap + VGC_NLISTS - 1],
                   vgc_gen_pos[cap .. cap + VGC_NLISTS - 1];
      loop variant VGC_NLISTS - l;
    */
    for (int l = 0; l < VGC_NLISTS; l++) {
        const int32_t h = (int32_t)(cap + l);
        /*@ assert h_value: h == cap + l; */
        next[h] = h;
        /*@ assert next_kept: \forall integer k; cap <= k < h ==> next[k] == k && prev[k] == k; */
        prev[h] = h;
        /*@ assert prev_kept: \forall integer k; cap <= k < h ==> next[k] == k && prev[k] == k; */
        /*@ ghost vgc_gen_pos[h] = 0; */
    }
    /*@
      loop invariant range: 0 <= l <= VGC_NLISTS;
      loop invariant zero: \forall integer k; 0 <= k < l ==> s->len[k] == 0;
      loop assigns l, s->len[0 .. VGC_NLISTS - 1];
      loop variant VGC_NLISTS - l;
    */
    for (int l = 0; l < VGC_NLISTS; l++)
        s->len[l] = 0;
    /*@
      loop invariant range: 0 <= i <= cap;
      loop invariant untracked: \forall integer j; 0 <= j < i ==> tag[j] == VGC_UNTRACKED;
      loop invariant counts: \forall integer j, g; 0 <= j <= i && g != VGC_UNTRACKED ==>
                               count_tag(tag, j, g) == 0;
      loop assigns i, tag[0 .. cap - 1];
      loop variant cap - i;
    */
    for (int32_t i = 0; i < cap; i++)
        vgc_set_tag(s, i, VGC_UNTRACKED);
    s->count[0] = s->count[1] = s->count[2] = 0;
    s->threshold[0] = threshold0;
    s->threshold[1] = VGC_THRESHOLD1;
    s->threshold[2] = VGC_THRESHOLD2;
    s->long_lived_total = 0;
    s->long_lived_pending = 0;
    /*@ assert mem: gen_mem(s); */
    /*@ assert tags: gen_tags(s); */
    /*@ assert nodes: \forall integer y; node(s, y) ==> cap <= y < cap + VGC_NLISTS; */
    /*@ assert all_ok: \forall integer y; node(s, y) ==> node_ok(s, y); */
    /*@ assert links: gen_links(s); */
    /*@ assert lengths: gen_lengths(s); */
    /*@ assert counters: gen_counters(s); */
    /*@ assert pos_zero: \forall integer h; s->cap <= h < s->cap + VGC_NLISTS ==> vgc_gen_pos[h] == 0; */
    /*@ assert last_zero: \forall integer g; 0 <= g < VGC_NLISTS ==>
          s->prev[s->cap + g] == s->cap + g && s->len[g] == 0 && vgc_gen_pos[s->cap + g] == 0; */
    /*@ assert pos_last_all: \forall integer g; 0 <= g < VGC_NLISTS ==> pos_last(s, g); */
    /*@ assert pos_heads: pos_heads(s); */
    /*@ assert pos_steps: pos_steps(s); */
    /*@ assert pos_distinct: pos_distinct(s); */
}

/* ---- unlink / append: the two link edits everything else is built from ------------------ */

/* Unlink tracked slot x from its list and untrack it (CPython gc_list_remove).  Counts are not
 * touched.  The nodes written are p = prev[x] and n = next[x] (p == n when x is alone in its
 * list; p == n == x for a slot looping on itself, which gen_wf allows and this handles). */
/*@
  requires lists:     gen_lists(s);
  requires x_range:   0 <= x < s->cap;
  requires tracked:   s->tag[x] < VGC_NLISTS;
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1],
          s->tag[x], s->len[\at(s->tag[x], Pre)];
  ensures lists:      gen_lists(s);
  ensures untracked:  s->tag[x] == VGC_UNTRACKED;
  ensures length:     s->len[\old(s->tag[x])] == \old(s->len[s->tag[x]]) - 1;
  ensures len_others: \forall integer g; 0 <= g < VGC_NLISTS && g != \old(s->tag[x]) ==>
                        s->len[g] == \old(s->len[g]);
  ensures prev_n:     s->prev[\old(s->next[x])] == \old(s->prev[x]);
  ensures prev_frame: \forall integer z; 0 <= z < s->cap + VGC_NLISTS && z != \old(s->next[x]) ==>
                        s->prev[z] == \old(s->prev[z]);
*/
static void vgc_unlink(vgc_gen *s, int32_t x)
{
    const int32_t p = s->prev[x], n = s->next[x];
    const uint8_t t = s->tag[x];
    /*@ assert x_ok: node(s, x) && node_ok(s, x) && tagof(s, x) == t; */
    /*@ assert p_ok: node(s, p) && node_ok(s, p) && tagof(s, p) == t && s->next[p] == x; */
    /*@ assert n_ok: node(s, n) && node_ok(s, n) && tagof(s, n) == t && s->prev[n] == x; */
    /*@ assert self: p == x <==> n == x; */
    /*@ assert others_ok: \forall integer y; node(s, y) && y != x && y != p && y != n ==>
          node_ok(s, y) && s->next[y] != x && s->next[y] != n &&
          s->prev[y] != x && s->prev[y] != p; */
    s->next[p] = n;
    s->prev[n] = p;
    vgc_set_tag(s, x, VGC_UNTRACKED);
    /*@ assert x_gone: !node(s, x); */
    /*@ assert next_frame: \forall integer z; 0 <= z < s->cap + VGC_NLISTS && z != p ==>
          s->next[z] == \at(s->next[z], Pre); */
    /*@ assert prev_frame: \forall integer z; 0 <= z < s->cap + VGC_NLISTS && z != n ==>
          s->prev[z] == \at(s->prev[z], Pre); */
    /*@ assert tag_frame: \forall integer z; 0 <= z < s->cap + VGC_NLISTS && z != x ==>
          tagof(s, z) == \at(tagof(s, z), Pre); */
    /*@ assert p_post: p != x ==> node_ok(s, p); */
    /*@ assert n_post: n != x ==> node_ok(s, n); */
    /*@ assert others_post: \forall integer y; node(s, y) && y != x && y != p && y != n ==>
          node_ok(s, y); */
    /*@ assert all_ok: \forall integer y; node(s, y) ==> node_ok(s, y); */
    /*@ assert links: gen_links(s); */
    /*@ assert tags: gen_tags(s); */
    s->len[t]--;
    /*@ assert cap_kept: s->cap == \at(s->cap, Pre); */
    /*@ assert all_ok_kept: \forall integer y; node(s, y) ==> node_ok(s, y); */
    /*@ assert links_kept: gen_links(s); */
    /*@ assert lengths: gen_lengths(s); */
}

/* Append untracked slot x at the end of list l (CPython gc_list_append).  Counts are not
 * touched.  The nodes written are x, last = prev[h] and the head h (last == h when l is
 * empty). */
/*@
  requires lists:     gen_lists(s);
  requires x_range:   0 <= x < s->cap;
  requires untracked: s->tag[x] == VGC_UNTRACKED;
  requires l_range:   0 <= l < VGC_NLISTS;
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1],
          s->tag[x], s->len[l];
  ensures lists:      gen_lists(s);
  ensures tagged:     s->tag[x] == l;
  ensures tail:       s->next[x] == s->cap + l && s->prev[s->cap + l] == x;
  ensures length:     s->len[l] == \old(s->len[l]) + 1;
  ensures prev_x:     s->prev[x] == \old(s->prev[s->cap + l]);
  ensures prev_frame: \forall integer z; 0 <= z < s->cap + VGC_NLISTS && z != x && z != s->cap + l ==>
                        s->prev[z] == \old(s->prev[z]);
*/
static void vgc_append(vgc_gen *s, int32_t x, int l)
{
    const int32_t h = (int32_t)((int64_t)s->cap + l);
    /*@ assert h_value: h == s->cap + l; */
    /*@ assert h_ok: node(s, h) && node_ok(s, h) && tagof(s, h) == l; */
    const int32_t last = s->prev[h];
    /*@ assert last_ok: node(s, last) && node_ok(s, last) && tagof(s, last) == l &&
                        s->next[last] == h; */
    /*@ assert x_free: !node(s, x) && last != x; */
    /*@ assert others_ok: \forall integer y; node(s, y) && y != last && y != h ==>
          node_ok(s, y) && s->next[y] != x && s->next[y] != h &&
          s->prev[y] != x && s->prev[y] != last; */
    /*@ assert last_prev: last != h ==> s->prev[last] != x && s->prev[last] != last; */
    /*@ assert h_next: last != h ==> s->next[h] != x && s->next[h] != h; */
    vgc_set_tag(s, x, (uint8_t)l);
    s->next[x] = h;
    s->prev[x] = last;
    s->next[last] = x;
    s->prev[h] = x;
    /*@ assert next_frame: \forall integer z; 0 <= z < s->cap + VGC_NLISTS && z != x && z != last ==>
          s->next[z] == \at(s->next[z], Pre); */
    /*@ assert prev_frame: \forall integer z; 0 <= z < s->cap + VGC_NLISTS && z != x && z != h ==>
          s->prev[z] == \at(s->prev[z], Pre); */
    /*@ assert tag_frame: \forall integer z; 0 <= z < s->cap + VGC_NLISTS && z != x ==>
          tagof(s, z) == \at(tagof(s, z), Pre); */
    /*@ assert written: s->next[x] == h && s->prev[x] == last && s->next[last] == x &&
                        s->prev[h] == x && tagof(s, x) == l; */
    /*@ assert x_post: node(s, x) && node_ok(s, x); */
    /*@ assert last_empty: last == h ==> node_ok(s, last); */
    /*@ assert last_post: last != h ==> node_ok(s, last); */
    /*@ assert h_post: node_ok(s, h); */
    /*@ assert others_post: \forall integer y; node(s, y) && y != x && y != last && y != h ==>
          node_ok(s, y); */
    /*@ assert all_ok: \forall integer y; node(s, y) ==> node_ok(s, y); */
    /*@ assert links: gen_links(s); */
    /*@ assert tags: gen_tags(s); */
    s->len[l]++;
    /*@ assert all_ok_kept: \forall integer y; node(s, y) ==> node_ok(s, y); */
    /*@ assert links_kept: gen_links(s); */
    /*@ assert lengths: gen_lengths(s); */
}

/* ---- connectivity: the ghost position index (spec/vgc_gen.acsl gen_pos) ------------------ */

/* The position proofs are split so that no goal sees the slot counts (count_tag) and the
 * positions at once: the link edits (vgc_unlink, vgc_append, the merge's vgc_merge_lists) keep
 * gen_lists as before; the callers below (vgc_remove, vgc_add, vgc_gen_merge) state the facts of
 * the pre-state the position update needs, carry them over the link edit with its frame
 * clauses, one fact per assertion, and hand them to a ghost function (vgc_pos_unlinked,
 * vgc_pos_appended, vgc_pos_merged) whose contract speaks of the new state only: its
 * preconditions are those facts, its postcondition gen_pos, proved in a context without
 * count_tag.  Ghost code is not compiled. */

/* The renumbering after an unlink: the slots of list t after position k move one down.  A scan
 * of every slot (a walk of the list would need connectivity to terminate). */
/*@ ghost
  /@ requires mem:    gen_mem(s);
     requires k_pos:  1 <= k;
     assigns vgc_gen_pos[0 .. s->cap - 1];
     ensures shifted: \forall integer j; 0 <= j < s->cap ==>
       vgc_gen_pos[j] == (s->tag[j] == t && \old(vgc_gen_pos[j]) > k ?
                            \old(vgc_gen_pos[j]) - 1 : \old(vgc_gen_pos[j]));
     ensures heads:   \forall integer j; s->cap <= j < s->cap + VGC_NLISTS ==>
                        vgc_gen_pos[j] == \old(vgc_gen_pos[j]); @/
  void vgc_pos_remove(vgc_gen *s, uint8_t t, int64_t k)
  {
      /@ loop invariant range: 0 <= i <= s->cap;
         loop invariant done: \forall integer j; 0 <= j < i ==>
           vgc_gen_pos[j] == (s->tag[j] == t && \at(vgc_gen_pos[j], Pre) > k ?
                                \at(vgc_gen_pos[j], Pre) - 1 : \at(vgc_gen_pos[j], Pre));
         loop invariant rest: \forall integer j; i <= j < s->cap ==>
           vgc_gen_pos[j] == \at(vgc_gen_pos[j], Pre);
         loop assigns i, vgc_gen_pos[0 .. s->cap - 1];
         loop variant s->cap - i; @/
      for (int64_t i = 0; i < s->cap; i++)
          if (s->tag[i] == t && vgc_gen_pos[i] > k)
              vgc_gen_pos[i] = vgc_gen_pos[i] - 1;
  }
*/

/* After the links of slot x (list t, position k, neighbours p and n) have been removed: renumber,
 * and prove gen_pos of the new state.  The preconditions are the old gen_pos as seen from the
 * new links (which differ from the old ones only at p and n) and the new lengths. */
/*@ ghost
  /@ requires mem:     gen_mem(s);
     requires t_range: 0 <= t < VGC_NLISTS;
     requires k_range: 1 <= k;
     requires range:   links_range(s);
     requires same:    links_same_list(s);
     requires heads_zero: \forall integer h; s->cap <= h < s->cap + VGC_NLISTS ==> vgc_gen_pos[h] == 0;
     requires heads_other: \forall integer g; 0 <= g < VGC_NLISTS && g != t ==> pos_last(s, g);
     requires p_ok:    node(s, p) && tagof(s, p) == t && vgc_gen_pos[p] == k - 1;
     requires n_ok:    s->prev[n] == p && (n == s->cap + t ||
                         (0 <= n < s->cap && s->tag[n] == t && vgc_gen_pos[n] == k + 1));
     requires last_head: n == s->cap + t ==> k == s->len[t] + 1;
     requires last:    n != s->cap + t ==> 0 <= s->prev[s->cap + t] < s->cap &&
                         vgc_gen_pos[s->prev[s->cap + t]] == s->len[t] + 1 && s->len[t] + 1 > k;
     requires steps_t: \forall integer y; 0 <= y < s->cap && s->tag[y] == t && y != n ==>
                         vgc_gen_pos[y] == vgc_gen_pos[s->prev[y]] + 1 &&
                         1 <= vgc_gen_pos[y] <= s->len[t] + 1;
     requires steps_o: \forall integer y; 0 <= y < s->cap && s->tag[y] < VGC_NLISTS && s->tag[y] != t ==>
                         pos_step(s, y);
     requires distinct: pos_distinct(s);
     requires not_k:   \forall integer y; node(s, y) && tagof(s, y) == t ==> vgc_gen_pos[y] != k;
     assigns vgc_gen_pos[0 .. s->cap - 1];
     ensures pos:      gen_pos(s); @/
  void vgc_pos_unlinked(vgc_gen *s, uint8_t t, int64_t k, int32_t p, int32_t n)
  {
      vgc_pos_remove(s, t, k);
      /@ assert k_le: k <= s->len[t] + 1; @/
      /@ assert pos_hk: \forall integer j; s->cap <= j < s->cap + VGC_NLISTS ==>
            vgc_gen_pos[j] == \at(vgc_gen_pos[j], Pre); @/
      /@ assert hz: \forall integer h; s->cap <= h < s->cap + VGC_NLISTS ==> vgc_gen_pos[h] == 0; @/
      /@ assert pos_ht: vgc_gen_pos[s->cap + t] == 0; @/
      /@ assert pos_o: \forall integer j; 0 <= j < s->cap && s->tag[j] != t ==>
            vgc_gen_pos[j] == \at(vgc_gen_pos[j], Pre); @/
      /@ assert pos_t: \forall integer j; 0 <= j < s->cap && s->tag[j] == t ==>
            vgc_gen_pos[j] == (\at(vgc_gen_pos[j], Pre) > k ?
                                 \at(vgc_gen_pos[j], Pre) - 1 : \at(vgc_gen_pos[j], Pre)); @/
      /@ assert node_t_head: \forall integer j; node(s, j) && s->cap <= j ==>
            vgc_gen_pos[j] == 0 && \at(vgc_gen_pos[j], Pre) == 0; @/
      /@ assert pos_o_node: \forall integer j; 0 <= j < s->cap + VGC_NLISTS && tagof(s, j) != t ==>
            vgc_gen_pos[j] == \at(vgc_gen_pos[j], Pre); @/
      /@ assert pos_t_node: \forall integer j; node(s, j) && tagof(s, j) == t ==>
            vgc_gen_pos[j] == (\at(vgc_gen_pos[j], Pre) > k ?
                                 \at(vgc_gen_pos[j], Pre) - 1 : \at(vgc_gen_pos[j], Pre)); @/
      /@ assert ho_prev: \forall integer g; 0 <= g < VGC_NLISTS && g != t ==>
            tagof(s, s->prev[s->cap + g]) == g && 0 <= s->prev[s->cap + g] < s->cap + VGC_NLISTS; @/
      /@ assert ho_pos: \forall integer g; 0 <= g < VGC_NLISTS && g != t ==>
            vgc_gen_pos[s->prev[s->cap + g]] == \at(vgc_gen_pos[s->prev[s->cap + g]], Pre); @/
      /@ assert ho_raw: \forall integer g; 0 <= g < VGC_NLISTS && g != t ==>
            vgc_gen_pos[s->prev[s->cap + g]] == s->len[g]; @/
      /@ assert ho: \forall integer g; 0 <= g < VGC_NLISTS && g != t ==> pos_last(s, g); @/
      /@ assert p_kept: vgc_gen_pos[p] == k - 1; @/
      /@ assert ht_head: n == s->cap + t ==> vgc_gen_pos[s->prev[s->cap + t]] == s->len[t]; @/
      /@ assert ht_slot: n != s->cap + t ==> vgc_gen_pos[s->prev[s->cap + t]] == s->len[t]; @/
      /@ assert ht: pos_last(s, t); @/
      /@ assert heads: pos_heads(s); @/
      /@ assert step_n: 0 <= n < s->cap ==> pos_step(s, n); @/
      /@ assert step_o: \forall integer y; 0 <= y < s->cap && s->tag[y] < VGC_NLISTS &&
            s->tag[y] != t ==> pos_step(s, y); @/
      /@ assert step_t_k: \forall integer y; 0 <= y < s->cap && s->tag[y] == t ==>
            \at(vgc_gen_pos[y], Pre) != k; @/
      /@ assert step_t_prev: \forall integer y; 0 <= y < s->cap && s->tag[y] == t ==>
            node(s, s->prev[y]) && tagof(s, s->prev[y]) == t; @/
      /@ assert step_t_hi: \forall integer y; 0 <= y < s->cap && s->tag[y] == t && y != n &&
            \at(vgc_gen_pos[y], Pre) > k ==> pos_step(s, y); @/
      /@ assert step_t_lo: \forall integer y; 0 <= y < s->cap && s->tag[y] == t && y != n &&
            \at(vgc_gen_pos[y], Pre) < k ==> pos_step(s, y); @/
      /@ assert steps: pos_steps(s); @/
      /@ assert distinct_o: \forall integer y, z; node(s, y) && node(s, z) &&
            tagof(s, y) == tagof(s, z) && tagof(s, y) != t &&
            vgc_gen_pos[y] == vgc_gen_pos[z] ==> y == z; @/
      /@ assert distinct_t: \forall integer y, z; node(s, y) && node(s, z) &&
            tagof(s, y) == t && tagof(s, z) == t &&
            vgc_gen_pos[y] == vgc_gen_pos[z] ==> y == z; @/
      /@ assert distinct: pos_distinct(s); @/
  }
*/

/* After slot x has been linked at the end of list l (its old last node `last`): give it
 * position len[l], and prove gen_pos of the new state from the old one as seen from the new
 * links (which differ from the old ones only at x and at head l). */
/*@ ghost
  /@ requires mem:     gen_mem(s);
     requires l_range: 0 <= l < VGC_NLISTS;
     requires x_range: 0 <= x < s->cap;
     requires x_ok:    s->tag[x] == l && s->prev[x] == last && s->prev[s->cap + l] == x &&
                       last != x && 1 <= s->len[l] <= s->cap &&
                       vgc_gen_pos[last] == s->len[l] - 1;
     requires heads_zero: \forall integer h; s->cap <= h < s->cap + VGC_NLISTS ==> vgc_gen_pos[h] == 0;
     requires heads_other: \forall integer g; 0 <= g < VGC_NLISTS && g != l ==>
                             pos_last(s, g) && s->prev[s->cap + g] != x;
     requires steps:   \forall integer y; 0 <= y < s->cap && s->tag[y] < VGC_NLISTS && y != x ==>
                         pos_step(s, y) && s->prev[y] != x;
     requires distinct: \forall integer y, z; node(s, y) && node(s, z) && y != x && z != x &&
                          tagof(s, y) == tagof(s, z) && vgc_gen_pos[y] == vgc_gen_pos[z] ==> y == z;
     requires below:   \forall integer y; node(s, y) && y != x && tagof(s, y) == l ==>
                         vgc_gen_pos[y] < s->len[l];
     assigns vgc_gen_pos[x];
     ensures pos:      gen_pos(s);
     ensures pos_x:    vgc_gen_pos[x] == s->len[l]; @/
  void vgc_pos_appended(vgc_gen *s, int32_t x, int l, int32_t last)
  {
      vgc_gen_pos[x] = (int64_t)s->len[l];
      /@ assert frame: \forall integer z; z != x ==> vgc_gen_pos[z] == \at(vgc_gen_pos[z], Pre); @/
      /@ assert hz: \forall integer h; s->cap <= h < s->cap + VGC_NLISTS ==> vgc_gen_pos[h] == 0; @/
      /@ assert ho_raw: \forall integer g; 0 <= g < VGC_NLISTS && g != l ==>
            vgc_gen_pos[s->prev[s->cap + g]] == s->len[g]; @/
      /@ assert ho: \forall integer g; 0 <= g < VGC_NLISTS && g != l ==> pos_last(s, g); @/
      /@ assert hl_raw: vgc_gen_pos[s->prev[s->cap + l]] == s->len[l]; @/
      /@ assert hl: pos_last(s, l); @/
      /@ assert heads: pos_heads(s); @/
      /@ assert step_x: pos_step(s, x); @/
      /@ assert step_o: \forall integer y; 0 <= y < s->cap && s->tag[y] < VGC_NLISTS && y != x ==>
            pos_step(s, y); @/
      /@ assert steps: pos_steps(s); @/
      /@ assert distinct_x: \forall integer y; node(s, y) && y != x && tagof(s, y) == l ==>
            vgc_gen_pos[y] != vgc_gen_pos[x]; @/
      /@ assert distinct_o: \forall integer y, z; node(s, y) && node(s, z) && y != x && z != x &&
            tagof(s, y) == tagof(s, z) && vgc_gen_pos[y] == vgc_gen_pos[z] ==> y == z; @/
      /@ assert distinct: pos_distinct(s); @/
  }
*/

/* Unlink tracked slot x (vgc_unlink) and renumber its list (vgc_pos_unlinked). */
/*@
  requires lists:     gen_lists(s);
  requires pos:       gen_pos(s);
  requires x_range:   0 <= x < s->cap;
  requires tracked:   s->tag[x] < VGC_NLISTS;
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1],
          s->tag[x], s->len[\at(s->tag[x], Pre)], vgc_gen_pos[0 .. s->cap - 1];
  ensures lists:      gen_lists(s);
  ensures pos:        gen_pos(s);
  ensures untracked:  s->tag[x] == VGC_UNTRACKED;
  ensures length:     s->len[\old(s->tag[x])] == \old(s->len[s->tag[x]]) - 1;
  ensures len_others: \forall integer g; 0 <= g < VGC_NLISTS && g != \old(s->tag[x]) ==>
                        s->len[g] == \old(s->len[g]);
*/
static void vgc_remove(vgc_gen *s, int32_t x)
{
    /*@ ghost const uint8_t t = s->tag[x]; */
    /*@ ghost const int64_t k = vgc_gen_pos[x]; */
    /*@ ghost const int32_t p = s->prev[x]; */
    /*@ ghost const int32_t n = s->next[x]; */
    /*@ ghost const int32_t ht = (int32_t)((int64_t)s->cap + t); */
    /*@ ghost const uint64_t lt = s->len[t]; */
    /*@ ghost const int32_t last = s->prev[ht]; */
    /*@ assert ht_value: ht == s->cap + t && node(s, ht) && tagof(s, ht) == t; */
    /*@ assert x_ok: node(s, x) && node_ok(s, x) && tagof(s, x) == t; */
    /*@ assert x_step: pos_step(s, x); */
    /*@ assert x_pos: 1 <= k <= s->len[t] && vgc_gen_pos[p] == k - 1; */
    /*@ assert p_node: node(s, p) && tagof(s, p) == t; */
    /*@ assert n_node: node(s, n) && tagof(s, n) == t && s->prev[n] == x; */
    /*@ assert px: p != x; */
    /*@ assert nx: n != x; */
    /*@ assert n_slot: 0 <= n < s->cap ==> tagof(s, n) == s->tag[n] && s->tag[n] == t && pos_step(s, n); */
    /*@ assert n_slot_pos: 0 <= n < s->cap ==> vgc_gen_pos[n] == k + 1; */
    /*@ assert n_head: s->cap <= n ==> n == ht; */
    /*@ assert heads: pos_heads(s); */
    /*@ assert h_zero: \forall integer h; s->cap <= h < s->cap + VGC_NLISTS ==> vgc_gen_pos[h] == 0; */
    /*@ assert h_last_t: pos_last(s, t); */
    /*@ assert h_last: \forall integer g; 0 <= g < VGC_NLISTS ==>
          vgc_gen_pos[s->prev[s->cap + g]] == s->len[g]; */
    /*@ assert ht_ok: node_ok(s, ht) && node(s, s->prev[ht]) && tagof(s, s->prev[ht]) == t; */
    /*@ assert n_head_k: n == ht ==> s->prev[ht] == x && k == s->len[t]; */
    /*@ assert last_x: n != ht ==> s->prev[ht] != x; */
    /*@ assert last_pos: vgc_gen_pos[s->prev[ht]] == s->len[t] && vgc_gen_pos[ht] == 0; */
    /*@ assert last_nh: s->prev[ht] != ht; */
    /*@ assert last_slot: 0 <= s->prev[ht] < s->cap; */
    /*@ assert distinct: pos_distinct(s); */
    /*@ assert last_gt: n != ht ==> s->len[t] > k; */
    /*@ assert steps: pos_steps(s); */
    /*@ assert pre_steps: \forall integer y; 0 <= y < s->cap && s->tag[y] < VGC_NLISTS && y != n ==>
          pos_step(s, y) && (y != x ==> s->prev[y] != x); */
    /*@ assert pre_not_k: \forall integer y; node(s, y) && tagof(s, y) == t && y != x ==>
          vgc_gen_pos[y] != k; */
    vgc_unlink(s, x);
    /*@ assert tag_x: s->tag[x] == VGC_UNTRACKED && !node(s, x); */
    /*@ assert tag_frame: \forall integer y; 0 <= y < s->cap && y != x ==>
          s->tag[y] == \at(s->tag[y], Pre); */
    /*@ assert node_frame: \forall integer y; 0 <= y < s->cap + VGC_NLISTS && y != x ==>
          tagof(s, y) == \at(tagof(s, y), Pre) && (node(s, y) <==> \at(node(s, y), Pre)); */
    /*@ assert len_t: s->len[t] + 1 == lt; */
    /*@ assert len_o: \forall integer g; 0 <= g < VGC_NLISTS && g != t ==> s->len[g] == \at(s->len[g], Pre); */
    /*@ assert hz: \forall integer h; s->cap <= h < s->cap + VGC_NLISTS ==> vgc_gen_pos[h] == 0; */
    /*@ assert ho_prev: \forall integer g; 0 <= g < VGC_NLISTS && g != t ==>
          s->prev[s->cap + g] == \at(s->prev[s->cap + g], Pre); */
    /*@ assert ho_raw: \forall integer g; 0 <= g < VGC_NLISTS && g != t ==>
          vgc_gen_pos[s->prev[s->cap + g]] == s->len[g]; */
    /*@ assert ho: \forall integer g; 0 <= g < VGC_NLISTS && g != t ==> pos_last(s, g); */
    /*@ assert p_ok: node(s, p) && tagof(s, p) == t && vgc_gen_pos[p] == k - 1; */
    /*@ assert n_ok: s->prev[n] == p && (n == s->cap + t ||
          (0 <= n < s->cap && s->tag[n] == t && vgc_gen_pos[n] == k + 1)); */
    /*@ assert last_head: n == s->cap + t ==> k == s->len[t] + 1; */
    /*@ assert last_prev: n != s->cap + t ==> s->prev[s->cap + t] == last; */
    /*@ assert last: n != s->cap + t ==> 0 <= s->prev[s->cap + t] < s->cap &&
          vgc_gen_pos[s->prev[s->cap + t]] == s->len[t] + 1 && s->len[t] + 1 > k; */
    /*@ assert prev_kept: \forall integer y; 0 <= y < s->cap && s->tag[y] < VGC_NLISTS && y != n ==>
          s->prev[y] == \at(s->prev[y], Pre); */
    /*@ assert steps_t: \forall integer y; 0 <= y < s->cap && s->tag[y] == t && y != n ==>
          vgc_gen_pos[y] == vgc_gen_pos[s->prev[y]] + 1 &&
          1 <= vgc_gen_pos[y] <= s->len[t] + 1; */
    /*@ assert steps_o: \forall integer y; 0 <= y < s->cap && s->tag[y] < VGC_NLISTS && s->tag[y] != t ==>
          pos_step(s, y); */
    /*@ assert distinct_new: pos_distinct(s); */
    /*@ assert not_k: \forall integer y; node(s, y) && tagof(s, y) == t ==> vgc_gen_pos[y] != k; */
    /*@ ghost vgc_pos_unlinked(s, t, k, p, n); */
}

/* Append untracked slot x to list l (vgc_append) and give it its position (vgc_pos_appended). */
/*@
  requires lists:     gen_lists(s);
  requires pos:       gen_pos(s);
  requires x_range:   0 <= x < s->cap;
  requires untracked: s->tag[x] == VGC_UNTRACKED;
  requires l_range:   0 <= l < VGC_NLISTS;
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1],
          s->tag[x], s->len[l], vgc_gen_pos[x];
  ensures lists:      gen_lists(s);
  ensures pos:        gen_pos(s);
  ensures tagged:     s->tag[x] == l;
  ensures tail:       s->next[x] == s->cap + l && s->prev[s->cap + l] == x;
  ensures length:     s->len[l] == \old(s->len[l]) + 1;
*/
static void vgc_add(vgc_gen *s, int32_t x, int l)
{
    /*@ ghost const int32_t h = (int32_t)((int64_t)s->cap + l); */
    /*@ assert h_value: h == s->cap + l && node(s, h) && tagof(s, h) == l && node_ok(s, h); */
    /*@ ghost const int32_t last = s->prev[h]; */
    /*@ assert heads: pos_heads(s); */
    /*@ assert h_zero: \forall integer h; s->cap <= h < s->cap + VGC_NLISTS ==> vgc_gen_pos[h] == 0; */
    /*@ assert h_last_l: pos_last(s, l); */
    /*@ assert h_last: \forall integer g; 0 <= g < VGC_NLISTS ==>
          vgc_gen_pos[s->prev[s->cap + g]] == s->len[g]; */
    /*@ assert last_ok: node(s, last) && tagof(s, last) == l && vgc_gen_pos[last] == s->len[l]; */
    /*@ assert len_ok: s->len[l] <= s->cap; */
    /*@ assert x_free: !node(s, x) && last != x; */
    /*@ assert links: gen_links(s); */
    /*@ assert h_not_x: \forall integer g; 0 <= g < VGC_NLISTS ==> s->prev[s->cap + g] != x; */
    /*@ assert steps: pos_steps(s); */
    /*@ assert pre_steps: \forall integer y; 0 <= y < s->cap && s->tag[y] < VGC_NLISTS ==>
          pos_step(s, y) && s->prev[y] != x && y != x; */
    /*@ assert pre_below: \forall integer y; node(s, y) && tagof(s, y) == l ==>
          vgc_gen_pos[y] <= s->len[l]; */
    /*@ assert distinct: pos_distinct(s); */
    vgc_append(s, x, l);
    /*@ assert node_frame: \forall integer y; 0 <= y < s->cap + VGC_NLISTS && y != x ==>
          tagof(s, y) == \at(tagof(s, y), Pre) && (node(s, y) <==> \at(node(s, y), Pre)); */
    /*@ assert tag_frame: \forall integer y; 0 <= y < s->cap && y != x ==>
          s->tag[y] == \at(s->tag[y], Pre); */
    /*@ assert len_l: s->len[l] == \at(s->len[l], Pre) + 1 && s->len[l] <= s->cap; */
    /*@ assert len_o: \forall integer g; 0 <= g < VGC_NLISTS && g != l ==> s->len[g] == \at(s->len[g], Pre); */
    /*@ assert x_ok: s->tag[x] == l && s->prev[x] == last && s->prev[s->cap + l] == x &&
          last != x && 1 <= s->len[l] <= s->cap && vgc_gen_pos[last] == s->len[l] - 1; */
    /*@ assert hz: \forall integer h; s->cap <= h < s->cap + VGC_NLISTS ==> vgc_gen_pos[h] == 0; */
    /*@ assert ho_prev: \forall integer g; 0 <= g < VGC_NLISTS && g != l ==>
          s->prev[s->cap + g] == \at(s->prev[s->cap + g], Pre); */
    /*@ assert ho_raw: \forall integer g; 0 <= g < VGC_NLISTS && g != l ==>
          vgc_gen_pos[s->prev[s->cap + g]] == s->len[g] && s->prev[s->cap + g] != x; */
    /*@ assert ho: \forall integer g; 0 <= g < VGC_NLISTS && g != l ==>
          pos_last(s, g) && s->prev[s->cap + g] != x; */
    /*@ assert prev_kept: \forall integer y; 0 <= y < s->cap && y != x ==>
          s->prev[y] == \at(s->prev[y], Pre); */
    /*@ assert steps_new: \forall integer y; 0 <= y < s->cap && s->tag[y] < VGC_NLISTS && y != x ==>
          pos_step(s, y) && s->prev[y] != x; */
    /*@ assert distinct_new: \forall integer y, z; node(s, y) && node(s, z) && y != x && z != x &&
          tagof(s, y) == tagof(s, z) && vgc_gen_pos[y] == vgc_gen_pos[z] ==> y == z; */
    /*@ assert below: \forall integer y; node(s, y) && y != x && tagof(s, y) == l ==>
          vgc_gen_pos[y] < s->len[l]; */
    /*@ ghost vgc_pos_appended(s, x, l, last); */
}

/* ---- track / untrack / move ------------------------------------------------------------- */

void vgc_gen_track(vgc_gen *s, int32_t x)
{
    vgc_add(s, x, 0);
    if (s->count[0] < INT64_MAX)
        s->count[0]++;
}

void vgc_gen_untrack(vgc_gen *s, int32_t x)
{
    vgc_remove(s, x);
    if (s->count[0] > 0)
        s->count[0]--;
}

/* Move = unlink, then append (CPython gc_list_move does the same two link edits). */
void vgc_gen_move(vgc_gen *s, int32_t x, int l)
{
    vgc_remove(s, x);
    vgc_add(s, x, l);
}

/* ---- merge ------------------------------------------------------------------------------ */

/* The links of one node in the merged view (tags equal to a read as b, spec/vgc_gen.acsl
 * gen_links_merged): the state between the splice and the end of the re-tag loop of a merge. */
/*@
  predicate mnode_ok{L}(vgc_gen *s, integer y, integer a, integer b) =
    0 <= s->next[y] < s->cap + VGC_NLISTS && 0 <= s->prev[y] < s->cap + VGC_NLISTS &&
    mtag(s, s->next[y], a, b) == mtag(s, y, a, b) && mtag(s, s->prev[y], a, b) == mtag(s, y, a, b) &&
    s->prev[s->next[y]] == y && s->next[s->prev[y]] == y;

  lemma merged_nodes{L}:
    \forall vgc_gen *s, integer a, b; gen_links_merged(s, a, b) <==>
      (\forall integer y; node(s, y) ==> mnode_ok(s, y, a, b));
*/

/* Splice list `from` (when not empty) onto the end of list `to` and make head `from` a
 * self-loop (the link edits of CPython gc_list_merge).  Tags are not touched yet, so the links
 * are well formed in the merged view.  Nodes written: the head hf, its old first and last
 * slots, the head ht and its old last node tl (tl == ht when `to` is empty; first == last when
 * `from` has one slot). */
/*@
  requires lists:     gen_lists(s);
  requires range:     0 <= from < VGC_NLISTS && 0 <= to < VGC_NLISTS && from != to;
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1];
  ensures merged:     \forall integer y; node(s, y) ==> mnode_ok(s, y, from, to);
  ensures from_head:  s->next[s->cap + from] == s->cap + from &&
                      s->prev[s->cap + from] == s->cap + from;
  ensures prev_first: \old(s->next[s->cap + from]) != s->cap + from ==>
                        s->prev[\old(s->next[s->cap + from])] == \old(s->prev[s->cap + to]) &&
                        s->prev[s->cap + to] == \old(s->prev[s->cap + from]);
  ensures prev_frame: \forall integer z; 0 <= z < s->cap + VGC_NLISTS && z != s->cap + from &&
                        z != \old(s->next[s->cap + from]) &&
                        (z != s->cap + to || \old(s->next[s->cap + from]) == s->cap + from) ==>
                        s->prev[z] == \old(s->prev[z]);
*/
static void vgc_splice(vgc_gen *s, int from, int to)
{
    const int32_t hf = (int32_t)((int64_t)s->cap + from), ht = (int32_t)((int64_t)s->cap + to);
    /*@ assert heads: hf == s->cap + from && ht == s->cap + to; */
    /*@ assert hf_ok: node(s, hf) && node_ok(s, hf) && tagof(s, hf) == from; */
    /*@ assert ht_ok: node(s, ht) && node_ok(s, ht) && tagof(s, ht) == to; */
    /*@ assert all_pre: \forall integer y; node(s, y) ==> node_ok(s, y); */
    const int32_t first = s->next[hf];
    if (first == hf) {
        /*@ assert hf_self: s->prev[hf] == hf; */
        /*@ assert empty_ok: \forall integer y; node(s, y) ==> mnode_ok(s, y, from, to); */
        return;
    }
    const int32_t last = s->prev[hf], tl = s->prev[ht];
    /*@ assert first_ok: node(s, first) && node_ok(s, first) && tagof(s, first) == from &&
                         first < s->cap && s->prev[first] == hf; */
    /*@ assert last_ok: node(s, last) && node_ok(s, last) && tagof(s, last) == from &&
                        last < s->cap && s->next[last] == hf && last != hf; */
    /*@ assert tl_ok: node(s, tl) && node_ok(s, tl) && tagof(s, tl) == to && s->next[tl] == ht; */
    /*@ assert distinct: tl != first && tl != last && tl != hf && ht != first && ht != last; */
    /*@ assert first_next: first != last ==>
          s->next[first] != hf && s->next[first] != first && s->next[first] != ht; */
    /*@ assert last_prev: first != last ==>
          s->prev[last] != hf && s->prev[last] != last && s->prev[last] != tl; */
    /*@ assert tl_prev: tl != ht ==>
          s->prev[tl] != tl && s->prev[tl] != last && s->prev[tl] != hf; */
    /*@ assert ht_next: tl != ht ==>
          s->next[ht] != ht && s->next[ht] != first && s->next[ht] != hf; */
    /*@ assert others_pre: \forall integer y; node(s, y) && y != hf && y != ht && y != tl &&
          y != first && y != last ==>
          node_ok(s, y) &&
          s->next[y] != first && s->next[y] != ht && s->next[y] != hf &&
          s->prev[y] != tl && s->prev[y] != last && s->prev[y] != hf; */
    s->next[tl] = first;
    s->prev[first] = tl;
    s->next[last] = ht;
    s->prev[ht] = last;
    s->next[hf] = hf;
    s->prev[hf] = hf;
    /*@ assert next_frame: \forall integer z; 0 <= z < s->cap + VGC_NLISTS &&
          z != tl && z != last && z != hf ==> s->next[z] == \at(s->next[z], Pre); */
    /*@ assert prev_frame: \forall integer z; 0 <= z < s->cap + VGC_NLISTS &&
          z != first && z != ht && z != hf ==> s->prev[z] == \at(s->prev[z], Pre); */
    /*@ assert written: s->next[tl] == first && s->prev[first] == tl && s->next[last] == ht &&
                        s->prev[ht] == last && s->next[hf] == hf && s->prev[hf] == hf; */
    /*@ assert hf_post: mnode_ok(s, hf, from, to); */
    /*@ assert tl_post: tl != ht ==> mnode_ok(s, tl, from, to); */
    /*@ assert ht_post: tl != ht ==> mnode_ok(s, ht, from, to); */
    /*@ assert tl_ht_post: tl == ht ==> mnode_ok(s, ht, from, to); */
    /*@ assert first_post: first != last ==> mnode_ok(s, first, from, to); */
    /*@ assert last_post: first != last ==> mnode_ok(s, last, from, to); */
    /*@ assert single_post: first == last ==> mnode_ok(s, first, from, to); */
    /*@ assert others_kept: \forall integer y; node(s, y) && y != hf && y != ht && y != tl &&
          y != first && y != last ==>
          s->next[y] == \at(s->next[y], Pre) && s->prev[y] == \at(s->prev[y], Pre) &&
          s->prev[s->next[y]] == y && s->next[s->prev[y]] == y; */
    /*@ assert others_post: \forall integer y; node(s, y) && y != hf && y != ht && y != tl &&
          y != first && y != last ==> mnode_ok(s, y, from, to); */
}

/* The list part of a merge: splice, re-tag, lengths (CPython gc_list_merge); positions are
 * vgc_gen_merge's. */
/*@
  requires lists:     gen_lists(s);
  requires range:     0 <= from < VGC_NLISTS && 0 <= to < VGC_NLISTS && from != to;
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1],
          s->tag[0 .. s->cap - 1], s->len[0 .. VGC_NLISTS - 1];
  ensures lists:      gen_lists(s);
  ensures moved:      \forall integer x; 0 <= x < s->cap && \old(s->tag[x]) == from ==>
                        s->tag[x] == to;
  ensures others:     \forall integer x; 0 <= x < s->cap && \old(s->tag[x]) != from ==>
                        s->tag[x] == \old(s->tag[x]);
  ensures from_empty: s->len[from] == 0 && s->next[s->cap + from] == s->cap + from;
  ensures to_length:  s->len[to] == \old(s->len[to]) + \old(s->len[from]);
  ensures len_others: \forall integer g; 0 <= g < VGC_NLISTS && g != from && g != to ==>
                        s->len[g] == \old(s->len[g]);
  ensures prev_hf:    s->prev[s->cap + from] == s->cap + from;
  ensures prev_first: \old(s->next[s->cap + from]) != s->cap + from ==>
                        s->prev[\old(s->next[s->cap + from])] == \old(s->prev[s->cap + to]) &&
                        s->prev[s->cap + to] == \old(s->prev[s->cap + from]);
  ensures prev_frame: \forall integer z; 0 <= z < s->cap + VGC_NLISTS && z != s->cap + from &&
                        z != \old(s->next[s->cap + from]) &&
                        (z != s->cap + to || \old(s->next[s->cap + from]) == s->cap + from) ==>
                        s->prev[z] == \old(s->prev[z]);
*/
static void vgc_merge_lists(vgc_gen *s, int from, int to)
{
    /*@ ghost const int32_t hf = (int32_t)((int64_t)s->cap + from); */
    vgc_splice(s, from, to);
    /*@ assert from_head: hf == s->cap + from && s->next[hf] == hf && s->prev[hf] == hf; */
    /*@
      loop invariant range: 0 <= i <= s->cap;
      loop invariant links: \forall integer y; node(s, y) ==> mnode_ok(s, y, from, to);
      loop invariant done: \forall integer j; 0 <= j < i ==> s->tag[j] != from;
      loop invariant moved: \forall integer j; 0 <= j < i && \at(s->tag[j], LoopEntry) == from ==>
                              s->tag[j] == to;
      loop invariant others: \forall integer j; 0 <= j < s->cap &&
                               (j >= i || \at(s->tag[j], LoopEntry) != from) ==>
                               s->tag[j] == \at(s->tag[j], LoopEntry);
      loop invariant tags: gen_tags(s);
      loop invariant from_prefix: count_tag(s->tag, i, from) == 0;
      loop invariant pair: count_tag(s->tag, s->cap, from) + count_tag(s->tag, s->cap, to) ==
                             s->len[from] + s->len[to];
      loop invariant rest: \forall integer g; 0 <= g < VGC_NLISTS && g != from && g != to ==>
                             count_tag(s->tag, s->cap, g) == s->len[g];
      loop invariant bounded: \forall integer g; 0 <= g < VGC_NLISTS ==>
                                0 <= count_tag(s->tag, s->cap, g) <= s->cap;
      loop assigns i, s->tag[0 .. s->cap - 1];
      loop variant s->cap - i;
    */
    for (int32_t i = 0; (int64_t)i < (int64_t)s->cap; i++) {
        if (s->tag[i] == from) {
            vgc_set_tag(s, i, (uint8_t)to);
            /*@ assert view_kept: \forall integer z; 0 <= z < s->cap + VGC_NLISTS ==>
                  mtag(s, z, from, to) == \at(mtag(s, z, from, to), LoopCurrent) &&
                  (node(s, z) <==> \at(node(s, z), LoopCurrent)); */
        }
    }
    /*@ assert none_from: \forall integer j; 0 <= j < s->cap ==> s->tag[j] != from; */
    /*@ assert not_from: \forall integer y; node(s, y) && y != hf ==> tagof(s, y) != from &&
                           mtag(s, y, from, to) == tagof(s, y); */
    /*@ assert hf_ok: node(s, hf) && node_ok(s, hf); */
    /*@ assert others_ok: \forall integer y; node(s, y) && y != hf ==>
          s->next[y] != hf && s->prev[y] != hf && node_ok(s, y); */
    /*@ assert all_ok: \forall integer y; node(s, y) ==> node_ok(s, y); */
    /*@ assert links: gen_links(s); */
    s->len[to] += s->len[from];
    s->len[from] = 0;
    /*@ assert lengths: gen_lengths(s); */
}

/* The position shift of a merge, before the splice: the slots of list f move d places on (they
 * will follow the d slots of the list they are appended to). */
/*@ ghost
  /@ requires mem:     gen_mem(s);
     requires d_range: 0 <= d <= s->cap;
     requires bounded: \forall integer j; 0 <= j < s->cap && s->tag[j] == f ==>
                         0 <= vgc_gen_pos[j] <= s->cap;
     assigns vgc_gen_pos[0 .. s->cap - 1];
     ensures shifted: \forall integer j; 0 <= j < s->cap ==>
       vgc_gen_pos[j] == (s->tag[j] == f ? \old(vgc_gen_pos[j]) + d : \old(vgc_gen_pos[j]));
     ensures heads:   \forall integer j; s->cap <= j < s->cap + VGC_NLISTS ==>
                        vgc_gen_pos[j] == \old(vgc_gen_pos[j]); @/
  void vgc_pos_shift(vgc_gen *s, int f, int64_t d)
  {
      /@ loop invariant range: 0 <= i <= s->cap;
         loop invariant done: \forall integer j; 0 <= j < i ==>
           vgc_gen_pos[j] == (s->tag[j] == f ? \at(vgc_gen_pos[j], Pre) + d : \at(vgc_gen_pos[j], Pre));
         loop invariant rest: \forall integer j; i <= j < s->cap ==>
           vgc_gen_pos[j] == \at(vgc_gen_pos[j], Pre);
         loop assigns i, vgc_gen_pos[0 .. s->cap - 1];
         loop variant s->cap - i; @/
      for (int64_t i = 0; i < s->cap; i++)
          if (s->tag[i] == f)
              vgc_gen_pos[i] = vgc_gen_pos[i] + d;
  }
*/

/* Merge = shift the positions of list `from` by len[to] (ghost), then the list part
 * (vgc_merge_lists); gen_pos of the result from gen_pos before, through the frame clauses of
 * vgc_merge_lists. */
void vgc_gen_merge(vgc_gen *s, int from, int to)
{
    /*@ ghost const int32_t hf = (int32_t)((int64_t)s->cap + from); */
    /*@ ghost const int32_t ht = (int32_t)((int64_t)s->cap + to); */
    /*@ assert hvals: hf == s->cap + from && ht == s->cap + to; */
    /*@ assert hf_ok: node(s, hf) && tagof(s, hf) == from && node_ok(s, hf); */
    /*@ assert ht_ok: node(s, ht) && tagof(s, ht) == to && node_ok(s, ht); */
    /*@ ghost const int32_t first = s->next[hf]; */
    /*@ ghost const int32_t last = s->prev[hf]; */
    /*@ ghost const int32_t tl = s->prev[ht]; */
    /*@ assert len_ok: s->len[to] <= s->cap && s->len[from] <= s->cap; */
    /*@ ghost const int64_t L = (int64_t)s->len[to]; */
    /*@ assert pheads: pos_heads(s); */
    /*@ assert h_zero: \forall integer h; s->cap <= h < s->cap + VGC_NLISTS ==> vgc_gen_pos[h] == 0; */
    /*@ assert h_last_ft: pos_last(s, from) && pos_last(s, to); */
    /*@ assert h_last: \forall integer g; 0 <= g < VGC_NLISTS ==>
          vgc_gen_pos[s->prev[s->cap + g]] == s->len[g]; */
    /*@ assert tl_ok: node(s, tl) && tagof(s, tl) == to && vgc_gen_pos[tl] == L; */
    /*@ assert last_ok: node(s, last) && tagof(s, last) == from && vgc_gen_pos[last] == s->len[from]; */
    /*@ assert first_ok: node(s, first) && tagof(s, first) == from && s->prev[first] == hf; */
    /*@ assert empty: first == hf ==> last == hf && s->len[from] == 0; */
    /*@ assert psteps: pos_steps(s); */
    /*@ assert first_slot: first != hf ==> 0 <= first < s->cap && s->tag[first] == from &&
          vgc_gen_pos[first] == 1; */
    /*@ assert last_slot: first != hf ==> 0 <= last < s->cap && s->tag[last] == from; */
    /*@ assert to_below: \forall integer y; node(s, y) && tagof(s, y) == to ==>
          0 <= vgc_gen_pos[y] <= L; */
    /*@ assert from_range: \forall integer y; 0 <= y < s->cap && s->tag[y] == from ==>
          1 <= vgc_gen_pos[y] <= s->len[from]; */
    /*@ assert from_prev: \forall integer y; 0 <= y < s->cap && s->tag[y] == from && y != first ==>
          s->prev[y] != hf && 0 <= s->prev[y] < s->cap && s->tag[s->prev[y]] == from; */
    /*@ assert other_prev: \forall integer y; 0 <= y < s->cap && s->tag[y] < VGC_NLISTS &&
          s->tag[y] != from ==> tagof(s, s->prev[y]) == s->tag[y] && y != first; */
    /*@ assert pdistinct: pos_distinct(s); */
    /*@ assert s_ho_tag: \forall integer g; 0 <= g < VGC_NLISTS && g != from && g != to ==>
          0 <= s->prev[s->cap + g] < s->cap + VGC_NLISTS && tagof(s, s->prev[s->cap + g]) == g; */
    /*@ ghost vgc_pos_shift(s, from, L); */
    /*@ assert s_ho_slot: \forall integer g; 0 <= g < VGC_NLISTS && g != from && g != to &&
          s->prev[s->cap + g] < s->cap ==>
          vgc_gen_pos[s->prev[s->cap + g]] == \at(vgc_gen_pos[s->prev[s->cap + g]], Pre); */
    /*@ assert s_ho_head: \forall integer g; 0 <= g < VGC_NLISTS && g != from && g != to &&
          s->cap <= s->prev[s->cap + g] ==>
          vgc_gen_pos[s->prev[s->cap + g]] == \at(vgc_gen_pos[s->prev[s->cap + g]], Pre); */
    /*@ assert s_ho: \forall integer g; 0 <= g < VGC_NLISTS && g != from && g != to ==>
          vgc_gen_pos[s->prev[s->cap + g]] == s->len[g]; */
    vgc_merge_lists(s, from, to);
    /*@ assert m_tag: \forall integer y; 0 <= y < s->cap ==>
          s->tag[y] == (\at(s->tag[y], Pre) == from ? to : \at(s->tag[y], Pre)); */
    /*@ assert m_pos: \forall integer y; 0 <= y < s->cap ==>
          vgc_gen_pos[y] == (\at(s->tag[y], Pre) == from ? \at(vgc_gen_pos[y], Pre) + L :
                                                            \at(vgc_gen_pos[y], Pre)); */
    /*@ assert m_hk: \forall integer j; s->cap <= j < s->cap + VGC_NLISTS ==>
          vgc_gen_pos[j] == \at(vgc_gen_pos[j], Pre); */
    /*@ assert m_hz: \forall integer h; s->cap <= h < s->cap + VGC_NLISTS ==> vgc_gen_pos[h] == 0; */
    /*@ assert m_pos_other: \forall integer z; 0 <= z < s->cap + VGC_NLISTS &&
          \at(tagof(s, z), Pre) != from ==> vgc_gen_pos[z] == \at(vgc_gen_pos[z], Pre); */
    /*@ assert m_len_from: s->len[from] == 0; */
    /*@ assert m_len_to: s->len[to] == L + \at(s->len[from], Pre); */
    /*@ assert m_len_o: \forall integer g; 0 <= g < VGC_NLISTS && g != from && g != to ==>
          s->len[g] == \at(s->len[g], Pre); */
    /*@ assert m_prev_hf: s->prev[hf] == hf; */
    /*@ assert m_prev_first: first != hf ==> s->prev[first] == tl && s->prev[ht] == last; */
    /*@ assert m_prev_frame: \forall integer z; 0 <= z < s->cap + VGC_NLISTS && z != hf && z != first &&
          (z != ht || first == hf) ==> s->prev[z] == \at(s->prev[z], Pre); */
    /*@ assert m_ho_prev: \forall integer g; 0 <= g < VGC_NLISTS && g != from && g != to ==>
          s->prev[s->cap + g] == \at(s->prev[s->cap + g], Pre) &&
          \at(tagof(s, s->prev[s->cap + g]), Pre) == g; */
    /*@ assert m_ho_raw: \forall integer g; 0 <= g < VGC_NLISTS && g != from && g != to ==>
          vgc_gen_pos[s->prev[s->cap + g]] == s->len[g]; */
    /*@ assert m_ho: \forall integer g; 0 <= g < VGC_NLISTS && g != from && g != to ==>
          pos_last(s, g); */
    /*@ assert m_hto_empty: first == hf ==> vgc_gen_pos[s->prev[ht]] == s->len[to]; */
    /*@ assert m_hto_full: first != hf ==> vgc_gen_pos[s->prev[ht]] == s->len[to]; */
    /*@ assert m_hto: pos_last(s, to); */
    /*@ assert m_hfrom_raw: vgc_gen_pos[s->prev[hf]] == s->len[from]; */
    /*@ assert m_hfrom: pos_last(s, from); */
    /*@ assert m_heads: pos_heads(s); */
    /*@ assert m_step_first: first != hf ==> pos_step(s, first); */
    /*@ assert m_step_from: \forall integer y; 0 <= y < s->cap && \at(s->tag[y], Pre) == from &&
          y != first ==> pos_step(s, y); */
    /*@ assert m_step_other: \forall integer y; 0 <= y < s->cap && s->tag[y] < VGC_NLISTS &&
          \at(s->tag[y], Pre) != from ==> pos_step(s, y); */
    /*@ assert m_steps: pos_steps(s); */
    /*@ assert d_from: \forall integer y; node(s, y) && tagof(s, y) == from ==> y == hf; */
    /*@ assert d_other: \forall integer y; node(s, y) && tagof(s, y) != from && tagof(s, y) != to ==>
          \at(node(s, y), Pre) && \at(tagof(s, y), Pre) == tagof(s, y) &&
          vgc_gen_pos[y] == \at(vgc_gen_pos[y], Pre); */
    /*@ assert d_to: \forall integer y; node(s, y) && tagof(s, y) == to ==> \at(node(s, y), Pre) &&
          ((\at(tagof(s, y), Pre) == from && vgc_gen_pos[y] == \at(vgc_gen_pos[y], Pre) + L &&
            vgc_gen_pos[y] >= L + 1) ||
           (\at(tagof(s, y), Pre) == to && vgc_gen_pos[y] == \at(vgc_gen_pos[y], Pre) &&
            vgc_gen_pos[y] <= L)); */
    /*@ assert m_distinct_o: \forall integer y, z; node(s, y) && node(s, z) &&
          tagof(s, y) == tagof(s, z) && tagof(s, y) != to &&
          vgc_gen_pos[y] == vgc_gen_pos[z] ==> y == z; */
    /*@ assert m_distinct_to: \forall integer y, z; node(s, y) && node(s, z) &&
          tagof(s, y) == to && tagof(s, z) == to &&
          vgc_gen_pos[y] == vgc_gen_pos[z] ==> y == z; */
    /*@ assert m_distinct: pos_distinct(s); */
}

/* ---- collection steps that move lists ----------------------------------------------------- */

void vgc_gen_collect_begin(vgc_gen *s, int g)
{
    vgc_gen_count_collection(s, g);
    if (g >= 1)
        vgc_gen_merge(s, 0, g);
    if (g >= 2)
        vgc_gen_merge(s, 1, g);
}

void vgc_gen_promote(vgc_gen *s, int g)
{
    vgc_gen_long_lived(s, g);
    if (g + 1 < VGC_NGEN)
        vgc_gen_merge(s, g, g + 1);
}

void vgc_gen_freeze(vgc_gen *s)
{
    vgc_gen_merge(s, 0, VGC_PERMANENT);
    vgc_gen_merge(s, 1, VGC_PERMANENT);
    vgc_gen_merge(s, 2, VGC_PERMANENT);
    vgc_gen_freeze_count(s);
}

void vgc_gen_unfreeze(vgc_gen *s)
{
    vgc_gen_merge(s, VGC_PERMANENT, VGC_NGEN - 1);
}
