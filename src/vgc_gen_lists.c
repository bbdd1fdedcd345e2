/* vgc_gen_lists.c — the generational tracker's list operations (contracts in include/vgc_gen.h).
 * Proof scope: contracts stated and annotated for WP, but NOT all goals are proved yet, so this
 * file is not in PROVED_SRC; the list invariant is checked at run time by the list walker in
 * tests/c/test_gen.c and by vgc_heap_check (spec/SPEC-tracker.md §6 gives the goal counts).
 * Mirrors CPython's gc_list_* primitives (init, append, remove, move, merge) and gc.freeze /
 * gc.unfreeze.
 *
 * Every write of a tag goes through vgc_set_tag, whose ghost loop proves how the per-list slot
 * counts change (an induction over the slots that the SMT provers cannot do by themselves).
 * Ghost code is not compiled: it costs nothing at run time.
 */
#include "vgc_gen.h"

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
    /*@
      loop invariant range: 0 <= l <= VGC_NLISTS;
      loop invariant heads: \forall integer k; 0 <= k < l ==>
                              next[cap + k] == cap + k && prev[cap + k] == cap + k;
      loop assigns l, next[cap .. cap + VGC_NLISTS - 1], prev[cap .. cap + VGC_NLISTS - 1];
      loop variant VGC_NLISTS - l;
    */
    for (int l = 0; l < VGC_NLISTS; l++) {
        const int32_t h = (int32_t)(cap + l);
        /*@ assert h_value: h == cap + l; */
        next[h] = h;
        prev[h] = h;
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
    /*@ assert links: gen_links(s); */
    /*@ assert lengths: gen_lengths(s); */
    /*@ assert counters: gen_counters(s); */
}

/* ---- track / untrack / move ------------------------------------------------------------- */

void vgc_gen_track(vgc_gen *s, int32_t x)
{
    const int32_t h = (int32_t)s->cap;      /* head of generation 0 */
    /*@ assert h_value: h == s->cap; */
    /*@ assert h_node: node(s, h) && tagof(s, h) == 0; */
    const int32_t last = s->prev[h];
    /*@ assert last_node: 0 <= last < s->cap + VGC_NLISTS && tagof(s, last) == 0 &&
                          node(s, last) && s->next[last] == h; */
    /*@ assert x_free: tagof(s, x) == VGC_UNTRACKED && !node(s, x) && last != x; */
    vgc_set_tag(s, x, 0);
    /*@ assert tag_frame: \forall integer y; 0 <= y < s->cap + VGC_NLISTS && y != x ==>
                            tagof(s, y) == \at(tagof(s, y), Pre); */
    s->next[x] = h;
    s->prev[x] = last;
    s->next[last] = x;
    s->prev[h] = x;
    /*@ assert next_frame: \forall integer y; 0 <= y < s->cap + VGC_NLISTS && y != x &&
                             y != last ==> s->next[y] == \at(s->next[y], Pre); */
    /*@ assert prev_frame: \forall integer y; 0 <= y < s->cap + VGC_NLISTS && y != x &&
                             y != h ==> s->prev[y] == \at(s->prev[y], Pre); */
    /*@ assert cases: \forall integer y; node(s, y) ==>
          y == x || y == last || y == h ||
          (node{Pre}(s, y) && tagof(s, y) == tagof{Pre}(s, y) &&
           s->next[y] == \at(s->next[y], Pre) && s->prev[y] == \at(s->prev[y], Pre)); */
    /*@ assert old_next: \forall integer y; node{Pre}(s, y) ==>
          \at(s->next[y], Pre) != x && \at(s->prev[y], Pre) != x; */
    s->len[0]++;
    if (s->count[0] < INT64_MAX)
        s->count[0]++;
}

void vgc_gen_untrack(vgc_gen *s, int32_t x)
{
    /*@ assert x_node: node(s, x) && tagof(s, x) == s->tag[x]; */
    const int32_t p = s->prev[x], n = s->next[x];
    const uint8_t t = s->tag[x];
    /*@ assert p_node: node(s, p) && tagof(s, p) == t && s->next[p] == x; */
    /*@ assert n_node: node(s, n) && tagof(s, n) == t && s->prev[n] == x; */
    /*@ assert only_p: \forall integer y; node(s, y) && s->next[y] == x ==> y == p; */
    /*@ assert only_n: \forall integer y; node(s, y) && s->prev[y] == x ==> y == n; */
    s->next[p] = n;
    s->prev[n] = p;
    /*@ assert next_frame: \forall integer y; 0 <= y < s->cap + VGC_NLISTS && y != p ==>
                             s->next[y] == \at(s->next[y], Pre); */
    /*@ assert prev_frame: \forall integer y; 0 <= y < s->cap + VGC_NLISTS && y != n ==>
                             s->prev[y] == \at(s->prev[y], Pre); */
    vgc_set_tag(s, x, VGC_UNTRACKED);
    /*@ assert tag_frame: \forall integer y; 0 <= y < s->cap + VGC_NLISTS && y != x ==>
                            tagof(s, y) == \at(tagof(s, y), Pre); */
    s->len[t]--;
    if (s->count[0] > 0)
        s->count[0]--;
}

void vgc_gen_move(vgc_gen *s, int32_t x, int l)
{
    const int32_t p = s->prev[x], n = s->next[x];
    const uint8_t t = s->tag[x];
    s->next[p] = n;
    s->prev[n] = p;
    const int32_t h = (int32_t)((int64_t)s->cap + l);
    const int32_t last = s->prev[h];
    vgc_set_tag(s, x, (uint8_t)l);
    s->next[x] = h;
    s->prev[x] = last;
    s->next[last] = x;
    s->prev[h] = x;
    s->len[t]--;
    s->len[l]++;
}

/* ---- merge ------------------------------------------------------------------------------ */

void vgc_gen_merge(vgc_gen *s, int from, int to)
{
    const int32_t hf = (int32_t)((int64_t)s->cap + from), ht = (int32_t)((int64_t)s->cap + to);
    const int32_t first = s->next[hf];
    if (first != hf) {
        const int32_t last = s->prev[hf], tl = s->prev[ht];
        s->next[tl] = first;
        s->prev[first] = tl;
        s->next[last] = ht;
        s->prev[ht] = last;
        s->next[hf] = hf;
        s->prev[hf] = hf;
    }
    /*@ assert spliced: gen_links_merged(s, from, to); */
    /*@ assert from_head: s->next[hf] == hf && s->prev[hf] == hf; */
    /*@
      loop invariant range: 0 <= i <= s->cap;
      loop invariant links: gen_links_merged(s, from, to);
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
      loop invariant bounded: \forall integer j, g; 0 <= j <= s->cap ==>
                                0 <= count_tag(s->tag, j, g) <= j;
      loop assigns i, s->tag[0 .. s->cap - 1];
      loop variant s->cap - i;
    */
    for (int32_t i = 0; (int64_t)i < (int64_t)s->cap; i++)
        if (s->tag[i] == from)
            vgc_set_tag(s, i, (uint8_t)to);
    /*@ assert none_from: \forall integer j; 0 <= j < s->cap ==> s->tag[j] != from; */
    s->len[to] += s->len[from];
    s->len[from] = 0;
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
