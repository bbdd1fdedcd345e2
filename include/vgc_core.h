/* vgc_core.h — the proved cycle-detection core: public contracts.
 * In proof scope: every function declared here is proved with Frama-C WP (-wp-rte), see proofs/.
 * Mirrors CPython's update_refs/subtract_refs, move_unreachable and
 * move_legacy_finalizer_reachable (Modules/gcmodule.c 3.11/3.12, Python/gc.c 3.13).
 *
 * The input is a snapshot of the n objects being collected, without pointers:
 *   refs[i]      on entry to vgc_update_refs: the refcount of object i (>= 0);
 *                afterwards: gc_refs[i] = refcount[i] - (internal references to i).
 *   roots[i]     written by vgc_update_refs: nonzero iff gc_refs[i] != 0 (a root); the only
 *                thing vgc_move_unreachable reads of phase 1, so refs may be reused after it.
 *   offsets[]    CSR, n + 1 entries, globally monotone; object u's references are
 *   targets[]    targets[offsets[u] .. offsets[u+1]-1], each an object index < n.
 *                References to objects outside the snapshot are simply not listed.
 *                Multi-edges are kept: [x, x] is two references.
 *   legacy[i]    nonzero iff object i has a legacy finalizer (tp_del).
 *
 * The marking state is a permutation `order` of 0..n-1 with its inverse `pos`
 * (order[pos[v]] == v).  A marking moves discovered objects to the front of `order`,
 * so after it the marked objects are order[0 .. live-1] and "v is marked" is pos[v] < live.
 *
 * Memory: refs 8 + roots 1 + offsets 4 + legacy 1 bytes per object and 4 bytes per edge as
 * input; the marking state order + pos = 8 bytes per object, nothing per edge.  Phase 2 does
 * not read refs, so a caller may place order and pos in refs' storage once phase 1 is done
 * (separate calls; each call's arrays are separated as its contract says): 14 bytes per object
 * + 4 per edge in all.  Time: O(n + E) for every function, no recursion.
 * Limits: n <= INT32_MAX objects, E = offsets[n] <= UINT32_MAX edges, refcounts <= INT64_MAX.
 */
#ifndef VGC_CORE_H
#define VGC_CORE_H

#include <stdint.h>
#include "../spec/vgc_graph.acsl"

#define VGC_CORE_VERSION "0.1.0"

/* Seed kinds of a marking (see `seed` in spec/vgc_graph.acsl). */
#define VGC_SEEDS_ROOTS  0
#define VGC_SEEDS_LEGACY 1

/* Phase 1 — update_refs + subtract_refs: gc_refs = refcount - internal in-degree, in place,
 * and the root flags: roots[i] != 0 iff gc_refs[i] != 0.
 * Returns how many objects have gc_refs < 0: an inconsistent snapshot (a type whose tp_traverse
 * reports references it does not own).  Such objects are roots for vgc_move_unreachable, so they
 * are never declared garbage; the caller should warn. */
/*@
  requires snapshot:  csr_ok(n, offsets, targets);
  requires refs_ok:   \valid(refs + (0 .. n - 1));
  requires roots_ok:  \valid(roots + (0 .. n - 1));
  requires refcounts: \forall integer i; 0 <= i < n ==> refs[i] >= 0;
  requires separation:
    \separated(refs + (0 .. n - 1), roots + (0 .. n - 1), offsets + (0 .. n),
               targets + (0 .. offsets[n] - 1));
  assigns refs[0 .. n - 1], roots[0 .. n - 1];
  ensures gc_refs_exact:
    \forall integer i; 0 <= i < n ==>
      refs[i] == \old(refs[i]) - indeg(targets, offsets[n], i);
  ensures inconsistent_count: \result == count_negative(refs, n);
  ensures roots_exact:
    \forall integer i; 0 <= i < n ==> (roots[i] != 0 <==> refs[i] != 0);
  ensures inconsistent_root:
    \forall integer i; 0 <= i < n && refs[i] < 0 ==> roots[i] != 0;
*/
int32_t vgc_update_refs(int32_t n, const uint32_t *offsets, const uint32_t *targets,
                        int64_t *refs, uint8_t *roots);

/* Phase 2 — move_unreachable: mark everything reachable from a root (roots[v] != 0, i.e.
 * gc_refs != 0 by phase 1's roots_exact; this includes every inconsistent object).
 * Returns live, the number of marked objects: order[0..live-1] are reachable, order[live..n-1]
 * are the cyclic garbage candidates (unreachable from outside the snapshot). */
/*@
  requires snapshot:  csr_ok(n, offsets, targets);
  requires roots_ok:  \valid_read(roots + (0 .. n - 1));
  requires state_ok:  \valid(order + (0 .. n - 1)) && \valid(pos + (0 .. n - 1));
  requires state_sep: \separated(order + (0 .. n - 1), pos + (0 .. n - 1));
  requires separation:
    \separated(order + (0 .. n - 1), pos + (0 .. n - 1), roots + (0 .. n - 1),
               offsets + (0 .. n), targets + (0 .. offsets[n] - 1));
  assigns order[0 .. n - 1], pos[0 .. n - 1];
  ensures live_range:   0 <= \result <= n;
  ensures permutation:  perm(n, order, pos);
  ensures roots_marked: \forall integer v; 0 <= v < n && roots[v] != 0 ==> pos[v] < \result;
  ensures closed:       closed_below(n, offsets, targets, pos, \result, \result);
  ensures precise:      precise(VGC_SEEDS_ROOTS, n, offsets, targets, roots, (uint8_t *)\null,
                                pos, 0, \result);
  ensures reach_marked:
    \forall integer v; 0 <= v < n &&
      reach_within(VGC_SEEDS_ROOTS, n, offsets, targets, roots, (uint8_t *)\null, n, v) ==>
      pos[v] < \result;
  ensures marked_reach:
    \forall integer v; 0 <= v < n && pos[v] < \result ==>
      reach_within(VGC_SEEDS_ROOTS, n, offsets, targets, roots, (uint8_t *)\null, n, v);
*/
int32_t vgc_move_unreachable(int32_t n, const uint32_t *offsets, const uint32_t *targets,
                             const uint8_t *roots, int32_t *order, int32_t *pos);

/* Phase 3 — move_legacy_finalizer_reachable: continue the marking of phase 2 from the
 * unreachable objects with a legacy finalizer.  Returns kept >= live: order[live..kept-1] are the
 * unreachable objects reachable from a legacy finalizer (they go to gc.garbage, in CPython's
 * breadth-first order), order[kept..n-1] are the garbage to finalize and clear. */
/*@
  requires snapshot:  csr_ok(n, offsets, targets);
  requires legacy_ok: \valid_read(legacy + (0 .. n - 1));
  requires state_ok:  \valid(order + (0 .. n - 1)) && \valid(pos + (0 .. n - 1));
  requires state_sep: \separated(order + (0 .. n - 1), pos + (0 .. n - 1));
  requires separation:
    \separated(order + (0 .. n - 1), pos + (0 .. n - 1), legacy + (0 .. n - 1),
               offsets + (0 .. n), targets + (0 .. offsets[n] - 1));
  requires live_range: 0 <= live <= n;
  requires permutation: perm(n, order, pos);
  requires live_closed: closed_below(n, offsets, targets, pos, live, live);
  assigns order[0 .. n - 1], pos[0 .. n - 1];
  ensures kept_range:    live <= \result <= n;
  ensures permutation:   perm(n, order, pos);
  ensures live_unchanged:
    \forall integer v; 0 <= v < n && \old(pos[v]) < live ==> pos[v] == \old(pos[v]);
  ensures unreachable_stay:
    \forall integer v; 0 <= v < n && \old(pos[v]) >= live ==> pos[v] >= live;
  ensures legacy_marked:
    \forall integer v; 0 <= v < n && legacy[v] != 0 && pos[v] >= live ==> pos[v] < \result;
  ensures closed:        closed_below(n, offsets, targets, pos, \result, \result);
  ensures precise:       precise(VGC_SEEDS_LEGACY, n, offsets, targets, (uint8_t *)\null, legacy,
                                 pos, live, \result);
  ensures reach_held:
    \forall integer v; 0 <= v < n &&
      reach_within(VGC_SEEDS_LEGACY, n, offsets, targets, (uint8_t *)\null, legacy, n, v) ==>
      pos[v] < \result;
  ensures held_reach:
    \forall integer v; 0 <= v < n && live <= pos[v] < \result ==>
      reach_within(VGC_SEEDS_LEGACY, n, offsets, targets, (uint8_t *)\null, legacy, n, v);
*/
int32_t vgc_move_legacy_finalizer_reachable(int32_t n, const uint32_t *offsets,
                                            const uint32_t *targets, const uint8_t *legacy,
                                            int32_t live, int32_t *order, int32_t *pos);

/* Output — the objects whose position is in [lo, hi), in ascending index order (which is the
 * snapshot's order, i.e. CPython's list order).  Returns their number.  `out` may be `order`. */
/*@
  requires pos_ok:  \valid_read(pos + (0 .. n - 1));
  requires out_ok:  \valid(out + (0 .. n - 1));
  requires out_sep: \separated(out + (0 .. n - 1), pos + (0 .. n - 1));
  requires n_range: 0 <= n <= INT32_MAX;
  assigns out[0 .. n - 1];
  ensures count_range: 0 <= \result <= n;
  ensures selected:
    \forall integer j; 0 <= j < \result ==> 0 <= out[j] < n && lo <= pos[out[j]] < hi;
  ensures ascending:
    \forall integer i, j; 0 <= i < j < \result ==> out[i] < out[j];
  ensures complete:
    \forall integer v; 0 <= v < n && lo <= pos[v] < hi ==>
      \exists integer j; 0 <= j < \result && out[j] == v;
*/
int32_t vgc_select(int32_t n, const int32_t *pos, int32_t lo, int32_t hi, int32_t *out);

#endif /* VGC_CORE_H */
