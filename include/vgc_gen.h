/* vgc_gen.h — the proved generational tracker and collection policy: public contracts.
 * In proof scope: every function declared here is proved with Frama-C WP (-wp-rte), see proofs/.
 * Mirrors CPython's generation lists (gc_list_* in Modules/gcmodule.c 3.11/3.12, Python/gc.c
 * 3.13), its counts/thresholds (_PyObject_GC_Alloc, PyObject_GC_Del, gc_collect_main),
 * gc_collect_generations' selection with the long-lived rule, gc.freeze and gc.unfreeze.
 *
 * The model (spec/vgc_gen.acsl, explained in spec/SPEC-tracker.md): objects are slots
 * 0 .. cap-1.  Seven circular doubly-linked lists run through next[]/prev[] with sentinel heads at
 * indices cap .. cap+6: generations 0, 1, 2, the permanent generation (gc.freeze), and three
 * work lists a collection uses (unreachable, legacy finalizers, seen).  tag[x] names the list slot x is in,
 * or VGC_UNTRACKED.  Every operation is O(1) except merge (and freeze/unfreeze/collect_begin/
 * promote, which merge), which is O(cap) byte comparisons: it re-tags every slot of the merged
 * list by scanning tag[] (a linear scan is what makes "no slot keeps the old tag" provable without
 * reachability).
 *
 * Counters saturate at INT64_MAX instead of overflowing (CPython would overflow after 2^63
 * events; never reached in practice).
 */
#ifndef VGC_GEN_H
#define VGC_GEN_H

#include <stdint.h>

#include "vgc_policy.h"   /* VGC_NGEN; the policy rules, stated once over plain integers */

#define VGC_PERMANENT     3    /* gc.freeze()'s permanent generation */
#define VGC_UNREACHABLE   4    /* work list: a collection's unreachable objects */
#define VGC_FINALIZERS    5    /* work list: unreachable objects kept by legacy finalizers */
#define VGC_SEEN          6    /* work list: objects already visited by a finalization pass */
#define VGC_NLISTS        7
#define VGC_UNTRACKED     255  /* tag of a slot in no list */
#define VGC_MAX_CAP       (INT32_MAX - VGC_NLISTS)

/* Default thresholds (configuration): CPython 3.10–3.12 use (700, 10, 10), 3.13 (2000, 10, 10). */
#define VGC_THRESHOLD0_CLASSIC 700
#define VGC_THRESHOLD0_313     2000
#define VGC_THRESHOLD1         10
#define VGC_THRESHOLD2         10

typedef struct vgc_gen {
    uint32_t cap;                 /* number of slots */
    int32_t *next, *prev;         /* cap + VGC_NLISTS entries each */
    uint8_t *tag;                 /* cap entries */
    uint64_t len[VGC_NLISTS];     /* list lengths (<= cap) */
    /* cap is uint32_t, len uint64_t, the counters int64_t, so that each lives in a memory chunk
     * of its own in WP's typed model (spec/vgc_gen.acsl): a length update then leaves every
     * link predicate (which reads cap) literally unchanged. */
    int64_t count[VGC_NGEN];      /* CPython generations[g].count */
    int64_t threshold[VGC_NGEN];  /* CPython generations[g].threshold */
    int64_t long_lived_total;     /* CPython gcstate->long_lived_total */
    int64_t long_lived_pending;   /* CPython gcstate->long_lived_pending */
} vgc_gen;

#include "../spec/vgc_gen.acsl"

/* Initialise: every slot untracked, every list empty, counts and long_lived_* zero, thresholds
 * (threshold0, 10, 10).  next/prev need cap + VGC_NLISTS entries, tag cap entries. */
/*@
  requires s_ok:      \valid(s);
  requires cap_range: 0 <= cap <= VGC_MAX_CAP;
  requires arrays_ok: \valid(next + (0 .. cap + VGC_NLISTS - 1)) &&
                      \valid(prev + (0 .. cap + VGC_NLISTS - 1)) && \valid(tag + (0 .. cap - 1));
  requires arrays_sep: \separated(next + (0 .. cap + VGC_NLISTS - 1),
                                  prev + (0 .. cap + VGC_NLISTS - 1));
  requires threshold0_ok: threshold0 >= 0;
  assigns *s, next[0 .. cap + VGC_NLISTS - 1], prev[0 .. cap + VGC_NLISTS - 1], tag[0 .. cap - 1],
          vgc_gen_pos[cap .. cap + VGC_NLISTS - 1];
  ensures wf_mem:     gen_mem(s);
  ensures wf_tags:    gen_tags(s);
  ensures wf_range:   links_range(s);
  ensures wf_list:    links_same_list(s);
  ensures wf_agree:   links_agree(s);
  ensures wf_lengths: gen_lengths(s);
  ensures wf_pos:     gen_pos(s);
  ensures wf_counters: gen_counters(s);
  ensures arrays:      s->cap == cap && s->next == next && s->prev == prev && s->tag == tag;
  ensures all_untracked: \forall integer x; 0 <= x < cap ==> tag[x] == VGC_UNTRACKED;
  ensures empty:       \forall integer g; 0 <= g < VGC_NLISTS ==> s->len[g] == 0;
  ensures counts_zero: \forall integer g; 0 <= g < VGC_NGEN ==> s->count[g] == 0;
  ensures thresholds:  s->threshold[0] == threshold0 && s->threshold[1] == VGC_THRESHOLD1 &&
                       s->threshold[2] == VGC_THRESHOLD2;
  ensures long_lived:  s->long_lived_total == 0 && s->long_lived_pending == 0;
*/
void vgc_gen_init(vgc_gen *s, int64_t cap, int32_t *next, int32_t *prev, uint8_t *tag,
                  int64_t threshold0);

/* Track slot x: append it to generation 0 (CPython _PyObject_GC_TRACK) and count it as an
 * allocation (CPython _PyObject_GC_Alloc: generations[0].count++). */
/*@
  requires wf:        gen_wf(s);
  requires x_range:   0 <= x < s->cap;
  requires untracked: s->tag[x] == VGC_UNTRACKED;
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1],
          s->tag[x], s->len[0], s->count[0], vgc_gen_pos[x];
  ensures wf_mem:     gen_mem(s);
  ensures wf_tags:    gen_tags(s);
  ensures wf_range:   links_range(s);
  ensures wf_list:    links_same_list(s);
  ensures wf_agree:   links_agree(s);
  ensures wf_lengths: gen_lengths(s);
  ensures wf_pos:     gen_pos(s);
  ensures wf_counters: gen_counters(s);
  ensures tracked:    s->tag[x] == 0;
  ensures tail:       s->next[x] == s->cap && s->prev[s->cap] == x;
  ensures length:     s->len[0] == \old(s->len[0]) + 1;
  ensures count:      s->count[0] == sat_add(\old(s->count[0]), 1);
*/
void vgc_gen_track(vgc_gen *s, int32_t x);

/* Untrack slot x: unlink it from its list (CPython _PyObject_GC_UNTRACK / gc_list_remove) and
 * count a deallocation (CPython PyObject_GC_Del: generations[0].count-- when > 0). */
/*@
  requires wf:        gen_wf(s);
  requires x_range:   0 <= x < s->cap;
  requires tracked:   s->tag[x] < VGC_NLISTS;
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1],
          s->tag[x], s->len[0 .. VGC_NLISTS - 1], s->count[0], vgc_gen_pos[0 .. s->cap - 1];
  ensures wf_mem:     gen_mem(s);
  ensures wf_tags:    gen_tags(s);
  ensures wf_range:   links_range(s);
  ensures wf_list:    links_same_list(s);
  ensures wf_agree:   links_agree(s);
  ensures wf_lengths: gen_lengths(s);
  ensures wf_pos:     gen_pos(s);
  ensures wf_counters: gen_counters(s);
  ensures untracked:  s->tag[x] == VGC_UNTRACKED;
  ensures length:     s->len[\old(s->tag[x])] == \old(s->len[s->tag[x]]) - 1;
  ensures count:      s->count[0] == (\old(s->count[0]) > 0 ? \old(s->count[0]) - 1 : 0);
*/
void vgc_gen_untrack(vgc_gen *s, int32_t x);

/* Move tracked slot x to the end of list l (CPython gc_list_move).  Counts are unchanged. */
/*@
  requires wf:        gen_wf(s);
  requires x_range:   0 <= x < s->cap;
  requires tracked:   s->tag[x] < VGC_NLISTS;
  requires l_range:   0 <= l < VGC_NLISTS;
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1],
          s->tag[x], s->len[0 .. VGC_NLISTS - 1], vgc_gen_pos[0 .. s->cap - 1];
  ensures wf_mem:     gen_mem(s);
  ensures wf_tags:    gen_tags(s);
  ensures wf_range:   links_range(s);
  ensures wf_list:    links_same_list(s);
  ensures wf_agree:   links_agree(s);
  ensures wf_lengths: gen_lengths(s);
  ensures wf_pos:     gen_pos(s);
  ensures wf_counters: gen_counters(s);
  ensures moved:      s->tag[x] == l;
  ensures tail:       s->next[x] == s->cap + l && s->prev[s->cap + l] == x;
*/
void vgc_gen_move(vgc_gen *s, int32_t x, int l);

/* Append list `from` to list `to` and empty `from` (CPython gc_list_merge). */
/*@
  requires wf:        gen_wf(s);
  requires range:     0 <= from < VGC_NLISTS && 0 <= to < VGC_NLISTS && from != to;
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1],
          s->tag[0 .. s->cap - 1], s->len[0 .. VGC_NLISTS - 1], vgc_gen_pos[0 .. s->cap - 1];
  ensures wf_mem:     gen_mem(s);
  ensures wf_tags:    gen_tags(s);
  ensures wf_range:   links_range(s);
  ensures wf_list:    links_same_list(s);
  ensures wf_agree:   links_agree(s);
  ensures wf_lengths: gen_lengths(s);
  ensures wf_pos:     gen_pos(s);
  ensures wf_counters: gen_counters(s);
  ensures moved:      \forall integer x; 0 <= x < s->cap && \old(s->tag[x]) == from ==>
                        s->tag[x] == to;
  ensures others:     \forall integer x; 0 <= x < s->cap && \old(s->tag[x]) != from ==>
                        s->tag[x] == \old(s->tag[x]);
  ensures from_empty: s->len[from] == 0 && s->next[s->cap + from] == s->cap + from;
  ensures to_length:  s->len[to] == \old(s->len[to]) + \old(s->len[from]);
  ensures len_others: \forall integer g; 0 <= g < VGC_NLISTS && g != from && g != to ==>
                        s->len[g] == \old(s->len[g]);
*/
void vgc_gen_merge(vgc_gen *s, int from, int to);

/* Number of slots in list l (CPython gc_list_size, in O(1)). */
/*@
  requires wf:        gen_wf(s);
  requires l_range:   0 <= l < VGC_NLISTS;
  assigns \nothing;
  ensures length:     \result == count_tag(s->tag, s->cap, l) && \result == s->len[l];
*/
int64_t vgc_gen_len(const vgc_gen *s, int l);

/* Iteration: the first slot of list l, or -1 when it is empty. */
/*@
  requires wf:        gen_wf(s);
  requires l_range:   0 <= l < VGC_NLISTS;
  assigns \nothing;
  ensures first:      \result == (s->next[s->cap + l] < s->cap ? s->next[s->cap + l] : -1);
  ensures member:     \result >= 0 ==> 0 <= \result < s->cap && s->tag[\result] == l;
  ensures end:        \result < 0 ==> \result == -1 && s->next[s->cap + l] == s->cap + l;
*/
int32_t vgc_gen_first(const vgc_gen *s, int l);

/* Iteration: the slot after tracked slot x in its list, or -1 at the end of the list. */
/*@
  requires wf:        gen_wf(s);
  requires x_range:   0 <= x < s->cap;
  requires tracked:   s->tag[x] < VGC_NLISTS;
  assigns \nothing;
  ensures next:       \result == (s->next[x] < s->cap ? s->next[x] : -1);
  ensures member:     \result >= 0 ==> 0 <= \result < s->cap && s->tag[\result] == s->tag[x];
  ensures end:        \result < 0 ==> \result == -1 && s->next[x] == s->cap + s->tag[x];
*/
int32_t vgc_gen_next(const vgc_gen *s, int32_t x);

/* The generation to collect now, or -1 (CPython gc_collect_generations' loop). */
/*@
  requires wf:        gen_wf(s);
  assigns \nothing;
  ensures select:     \result == select_spec(s);
  ensures range:      -1 <= \result < VGC_NGEN;
*/
int vgc_gen_select(const vgc_gen *s);

/* Whether an allocation should trigger a collection (CPython's test in _PyObject_GC_Alloc, less
 * the host's enabled/collecting/error conditions).  threshold[0] == 0 disables it. */
/*@
  requires wf:        gen_wf(s);
  assigns \nothing;
  ensures trigger:    \result != 0 <==> trigger_spec(s);
*/
int vgc_gen_should_collect(const vgc_gen *s);

/* Set threshold g (gc.set_threshold).  Thresholds are >= 0. */
/*@
  requires wf:        gen_wf(s);
  requires g_range:   0 <= g < VGC_NGEN;
  requires v_range:   v >= 0;
  assigns s->threshold[g];
  ensures wf_mem:     gen_mem(s);
  ensures wf_tags:    gen_tags(s);
  ensures wf_range:   links_range(s);
  ensures wf_list:    links_same_list(s);
  ensures wf_agree:   links_agree(s);
  ensures wf_lengths: gen_lengths(s);
  ensures wf_pos:     gen_pos(s);
  ensures wf_counters: gen_counters(s);
  ensures set:        s->threshold[g] == v;
*/
void vgc_gen_set_threshold(vgc_gen *s, int g, int64_t v);

/* The count update at the start of a collection of generation g (CPython gc_collect_main):
 * count[g+1] += 1, count[0..g] = 0.  Part of vgc_gen_collect_begin. */
/*@
  requires wf:        gen_wf(s);
  requires g_range:   0 <= g < VGC_NGEN;
  assigns s->count[0 .. VGC_NGEN - 1];
  ensures wf:         gen_wf(s);
  ensures older_count: g + 1 < VGC_NGEN ==> s->count[g + 1] == sat_add(\old(s->count[g + 1]), 1);
  ensures oldest_count: g + 2 < VGC_NGEN ==> s->count[g + 2] == \old(s->count[g + 2]);
  ensures reset:      \forall integer i; 0 <= i <= g ==> s->count[i] == 0;
*/
void vgc_gen_count_collection(vgc_gen *s, int g);

/* The long-lived bookkeeping of a collection of generation g, once list g holds exactly the
 * survivors (CPython gc_collect_main, "Move reachable objects to next generation"):
 * g == 1: long_lived_pending += len(survivors); g == 2: long_lived_pending = 0 and
 * long_lived_total = len(survivors); g == 0: nothing.  Part of vgc_gen_promote. */
/*@
  requires wf:        gen_wf(s);
  requires g_range:   0 <= g < VGC_NGEN;
  assigns s->long_lived_total, s->long_lived_pending;
  ensures wf:         gen_wf(s);
  ensures pending:    g == 1 ==> s->long_lived_pending ==
                        sat_add(\old(s->long_lived_pending), s->len[1]);
  ensures total_kept: g <= 1 ==> s->long_lived_total == \old(s->long_lived_total);
  ensures young:      g == 0 ==> s->long_lived_pending == \old(s->long_lived_pending);
  ensures full:       g == 2 ==> s->long_lived_pending == 0 && s->long_lived_total == s->len[2];
*/
void vgc_gen_long_lived(vgc_gen *s, int g);

/* gc.freeze()'s count reset: every generation's count = 0 (CPython gc_freeze_impl sets
 * generations[i].count = 0 for i = 0, 1, 2 inside its merge loop).  Part of vgc_gen_freeze. */
/*@
  requires wf:        gen_wf(s);
  assigns s->count[0 .. VGC_NGEN - 1];
  ensures wf:         gen_wf(s);
  ensures count:      \forall integer i; 0 <= i < VGC_NGEN ==> s->count[i] == 0;
*/
void vgc_gen_freeze_count(vgc_gen *s);

/* Start collecting generation g (CPython gc_collect_main, before deduce_unreachable):
 * count[g+1] += 1, count[0..g] = 0, merge generations 0..g-1 into g. */
/*@
  requires wf:        gen_wf(s);
  requires g_range:   0 <= g < VGC_NGEN;
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1],
          s->tag[0 .. s->cap - 1], s->len[0 .. VGC_NLISTS - 1], vgc_gen_pos[0 .. s->cap - 1],
          s->count[0 .. VGC_NGEN - 1];
  ensures wf_mem:     gen_mem(s);
  ensures wf_tags:    gen_tags(s);
  ensures wf_range:   links_range(s);
  ensures wf_list:    links_same_list(s);
  ensures wf_agree:   links_agree(s);
  ensures wf_lengths: gen_lengths(s);
  ensures wf_pos:     gen_pos(s);
  ensures wf_counters: gen_counters(s);
  ensures older_count: g + 1 < VGC_NGEN ==> s->count[g + 1] == sat_add(\old(s->count[g + 1]), 1);
  ensures oldest_count: g + 2 < VGC_NGEN ==> s->count[g + 2] == \old(s->count[g + 2]);
  ensures reset:      \forall integer i; 0 <= i <= g ==> s->count[i] == 0;
  ensures younger_empty: \forall integer i; 0 <= i < g ==> s->len[i] == 0;
  ensures merged:     \forall integer x; 0 <= x < s->cap && 0 <= \old(s->tag[x]) <= g ==>
                        s->tag[x] == g;
  ensures young_length:
    s->len[g] == \old(s->len[g]) + (g >= 1 ? \old(s->len[0]) : 0) + (g >= 2 ? \old(s->len[1]) : 0);
*/
void vgc_gen_collect_begin(vgc_gen *s, int g);

/* Finish collecting generation g: the survivors still in list g move to g+1 (CPython
 * gc_collect_main "Move reachable objects to next generation"), with the long-lived
 * bookkeeping: g == 1 adds the survivors to long_lived_pending; g == 2 sets
 * long_lived_pending = 0 and long_lived_total = the survivors (which stay in generation 2). */
/*@
  requires wf:        gen_wf(s);
  requires g_range:   0 <= g < VGC_NGEN;
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1],
          s->tag[0 .. s->cap - 1], s->len[0 .. VGC_NLISTS - 1], vgc_gen_pos[0 .. s->cap - 1],
          s->long_lived_total, s->long_lived_pending;
  ensures wf_mem:     gen_mem(s);
  ensures wf_tags:    gen_tags(s);
  ensures wf_range:   links_range(s);
  ensures wf_list:    links_same_list(s);
  ensures wf_agree:   links_agree(s);
  ensures wf_lengths: gen_lengths(s);
  ensures wf_pos:     gen_pos(s);
  ensures wf_counters: gen_counters(s);
  ensures promoted:   g + 1 < VGC_NGEN ==>
                        s->len[g] == 0 && s->len[g + 1] == \old(s->len[g + 1]) + \old(s->len[g]);
  ensures pending:    g == 1 ==> s->long_lived_pending ==
                        sat_add(\old(s->long_lived_pending), \old(s->len[1]));
  ensures young_total: g == 0 ==> s->long_lived_pending == \old(s->long_lived_pending) &&
                        s->long_lived_total == \old(s->long_lived_total);
  ensures full:       g == 2 ==> s->long_lived_pending == 0 &&
                        s->long_lived_total == \old(s->len[2]) && s->len[2] == \old(s->len[2]);
  ensures total_kept: g == 1 ==> s->long_lived_total == \old(s->long_lived_total);
*/
void vgc_gen_promote(vgc_gen *s, int g);

/* gc.freeze(): merge generations 0, 1, 2 into the permanent generation; every generation's
 * count = 0 (CPython gc_freeze_impl). */
/*@
  requires wf:        gen_wf(s);
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1],
          s->tag[0 .. s->cap - 1], s->len[0 .. VGC_NLISTS - 1], vgc_gen_pos[0 .. s->cap - 1],
          s->count[0 .. VGC_NGEN - 1];
  ensures wf_mem:     gen_mem(s);
  ensures wf_tags:    gen_tags(s);
  ensures wf_range:   links_range(s);
  ensures wf_list:    links_same_list(s);
  ensures wf_agree:   links_agree(s);
  ensures wf_lengths: gen_lengths(s);
  ensures wf_pos:     gen_pos(s);
  ensures wf_counters: gen_counters(s);
  ensures frozen:     \forall integer g; 0 <= g < VGC_NGEN ==> s->len[g] == 0;
  ensures permanent:  s->len[VGC_PERMANENT] == \old(s->len[VGC_PERMANENT]) +
                        \old(s->len[0]) + \old(s->len[1]) + \old(s->len[2]);
  ensures count:      \forall integer i; 0 <= i < VGC_NGEN ==> s->count[i] == 0;
*/
void vgc_gen_freeze(vgc_gen *s);

/* gc.unfreeze(): merge the permanent generation into the oldest generation. */
/*@
  requires wf:        gen_wf(s);
  assigns s->next[0 .. s->cap + VGC_NLISTS - 1], s->prev[0 .. s->cap + VGC_NLISTS - 1],
          s->tag[0 .. s->cap - 1], s->len[0 .. VGC_NLISTS - 1], vgc_gen_pos[0 .. s->cap - 1];
  ensures wf_mem:     gen_mem(s);
  ensures wf_tags:    gen_tags(s);
  ensures wf_range:   links_range(s);
  ensures wf_list:    links_same_list(s);
  ensures wf_agree:   links_agree(s);
  ensures wf_lengths: gen_lengths(s);
  ensures wf_pos:     gen_pos(s);
  ensures wf_counters: gen_counters(s);
  ensures thawed:     s->len[VGC_PERMANENT] == 0 &&
                        s->len[2] == \old(s->len[2]) + \old(s->len[VGC_PERMANENT]);
*/
void vgc_gen_unfreeze(vgc_gen *s);

#endif /* VGC_GEN_H */
