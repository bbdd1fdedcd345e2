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
      loop assigns l, next[cap .. cap + VGC_NLISTS - 1], prev[cap .. cap + VGC_NLISTS - 1];
      loop variant VGC_NLISTS - l;
    */
    for (int l = 0; l < VGC_NLISTS; l++) {
        const int32_t h = (int32_t)(cap + l);
        /*@ assert h_value: h == cap + l; */
        next[h] = h;
        /*@ assert next_kept: \forall integer k; cap <= k < h ==> next[k] == k && prev[k] == k; */
        prev[h] = h;
        /*@ assert prev_kept: \forall integer k; cap <= k < h ==> next[k] == k && prev[k] == k; */
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

/* ---- track / untrack / move ------------------------------------------------------------- */

void vgc_gen_track(vgc_gen *s, int32_t x)
{
    vgc_append(s, x, 0);
    if (s->count[0] < INT64_MAX)
        s->count[0]++;
}

void vgc_gen_untrack(vgc_gen *s, int32_t x)
{
    vgc_unlink(s, x);
    if (s->count[0] > 0)
        s->count[0]--;
}

/* Move = unlink, then append (CPython gc_list_move does the same two link edits). */
void vgc_gen_move(vgc_gen *s, int32_t x, int l)
{
    vgc_unlink(s, x);
    vgc_append(s, x, l);
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

void vgc_gen_merge(vgc_gen *s, int from, int to)
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
