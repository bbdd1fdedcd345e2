/* vgc_inplace.h — the in-place core: CPython's subtract_refs and move_unreachable with the
 * marking state in the objects' own headers, as CPython keeps it (issue #13's memory design,
 * spec/SPEC.md §8).  In proof scope: the two functions at the end are proved with Frama-C WP
 * (-wp-rte, `make prove`, proofs/vgc_inplace.json) against the same graph model as the array
 * core (spec/vgc_graph.acsl); T-numbers of spec/SPEC.md §5 name the same theorems.
 *
 * No snapshot is stored.  The graph of §1 — n objects numbered in list order, CSR `off`/`tgt`,
 * the handles `hdl` — exists only as ghost parameters: it is what the host's interface functions
 * below are specified against, and no array of it is ever allocated.  The host (the CPython
 * adapter, src/cpython/inplace.c) implements the interface on the objects' headers: gc_refs in
 * _gc_prev, the young and unreachable lists, successors by calling tp_traverse again.  Those
 * implementations are trusted, as tp_traverse is; every decision is made here.
 *
 * Ghost state (never compiled): vgc_ip_gr[v] is object v's gc_refs as its header holds it;
 * vgc_ip_st[v] is where the host's lists keep v during move_unreachable (IP_PU/IP_PM pending
 * in young, unmarked/marked; IP_SC scanned; IP_UN in the unreachable list).
 *
 * Memory: none per object (phases 1 and 2 act as the host visits; for phase 3 the host keeps a
 * successor buffer and may hand successors over in chunks, so it never needs to allocate).
 * Time: O(n + E) per function, E the edges visited or handed over.
 */
#ifndef VGC_INPLACE_H
#define VGC_INPLACE_H

#include <stddef.h>
#include <stdint.h>
#include "../spec/vgc_graph.acsl"

#ifndef VGC_SEEDS_ROOTS
#define VGC_SEEDS_ROOTS  0
#define VGC_SEEDS_LEGACY 1
#endif

/* An object of the collection: opaque here (the host's object header). */
typedef struct vgc_ip_obj vgc_ip_obj;

#define IP_PU 0   /* pending in young, unmarked (gc_refs == 0) */
#define IP_PM 1   /* pending in young, marked (gc_refs != 0: a root, or reached by a scanned one) */
#define IP_SC 2   /* scanned: stays in young, reachable */
#define IP_UN 3   /* in the unreachable list (tentatively: a later scanned object may reach it) */
/* Phase 3 (legacy finalizers) numbers the unreachable list afresh and reuses the statuses: IP_UN
 * still in the unreachable list, IP_FQ in the finalizers list and not scanned yet, IP_FS scanned. */
#define IP_FQ IP_PM
#define IP_FS IP_SC

/*@ ghost int64_t vgc_ip_gr[INT32_MAX]; */
/*@ ghost uint8_t vgc_ip_st[INT32_MAX]; */

/*@
  // How many objects among 0 .. k-1 have status s.
  logic integer count_st{L}(integer s, integer k) =
    k <= 0 ? 0 : count_st(s, k - 1) + (vgc_ip_st[k - 1] == s ? 1 : 0);

  predicate st_ok{L}(integer n) =
    \forall integer v; 0 <= v < n ==> 0 <= vgc_ip_st[v] <= 3;

  // CPython's mark: gc_refs != 0 exactly on the marked statuses.
  predicate st_marks{L}(integer n) =
    \forall integer v; 0 <= v < n ==>
      (vgc_ip_gr[v] != 0 <==> (vgc_ip_st[v] == IP_PM || vgc_ip_st[v] == IP_SC));

  // The handles of the collection: one per object, none null.
  predicate handles_ok{L}(integer n, vgc_ip_obj **hdl) =
    \valid_read(hdl + (0 .. n - 1)) && \forall integer v; 0 <= v < n ==> hdl[v] != \null;
*/

/* ---- the host's interface (trusted implementations; src/cpython/inplace.c) ------------------ */

/* The list walk of phase 1, in list order: object 0, then u + 1 after u; NULL after the last. */
/*@
  requires handles: handles_ok(n, hdl);
  assigns \nothing;
  ensures first: n > 0 ==> \result == hdl[0];
  ensures empty: n <= 0 ==> \result == \null;
*/
vgc_ip_obj *vgc_ip_first(void) /*@ ghost (int32_t n, vgc_ip_obj **hdl) */;

/*@
  requires handles: handles_ok(n, hdl);
  requires u_range: 0 <= u < n;
  requires h_is_u:  h == hdl[u];
  assigns \nothing;
  ensures next: u + 1 < n ==> \result == hdl[u + 1];
  ensures last: u + 1 == n ==> \result == \null;
*/
vgc_ip_obj *vgc_ip_next(vgc_ip_obj *h) /*@ ghost (int32_t n, vgc_ip_obj **hdl, int32_t u) */;

/* Phase 3: object u's successors in the collection (tp_traverse's visits of objects of
 * the collection, in visit order, multi-edges kept), from the `from`-th on: *bufp[0 .. result-1].
 * (Phases 1 and 2 visit instead: vgc_ip_subtract_succ, vgc_ip_reach_succ.)
 * At least one while any is left; 0 exactly when from is their number. */
/*@
  requires snapshot: csr_ok(n, off, tgt);
  requires u_range:  0 <= u < n;
  requires h_is_u:   h == hdl[u];
  requires from_range: from <= off[u + 1] - off[u];
  requires out_ok:   \valid(bufp);
  assigns *bufp;
  ensures count:     \result <= off[u + 1] - off[u] - from;
  ensures done:      \result == 0 <==> from == off[u + 1] - off[u];
  ensures buf_ok:    \valid_read(*bufp + (0 .. \result - 1));
  ensures succ:      \forall integer j; 0 <= j < \result ==> (*bufp)[j] == hdl[tgt[off[u] + from + j]];
*/
uint32_t vgc_ip_succ(vgc_ip_obj *h, uint32_t from, vgc_ip_obj *const **bufp)
    /*@ ghost (int32_t n, uint32_t *off, uint32_t *tgt, vgc_ip_obj **hdl, int32_t u) */;

/* Phase 1's visit of object u (CPython's subtract_refs: tp_traverse with visit_decref): the
 * gc_refs of each of u's successors in the collection goes down by one per edge (multi-edges
 * counted).  The caller guarantees that no gc_refs leaves int64_t (fits). */
/*@
  requires snapshot: csr_ok(n, off, tgt);
  requires u_range:  0 <= u < n;
  requires h_is_u:   h == hdl[u];
  requires fits:     \forall integer i; 0 <= i < n ==>
                       vgc_ip_gr[i] - (indeg(tgt, off[u + 1], i) - indeg(tgt, off[u], i)) >= INT64_MIN;
  assigns vgc_ip_gr[0 .. n - 1];
  ensures decremented: \forall integer i; 0 <= i < n ==>
    vgc_ip_gr[i] == \old(vgc_ip_gr[i]) - (indeg(tgt, off[u + 1], i) - indeg(tgt, off[u], i));
*/
void vgc_ip_subtract_succ(vgc_ip_obj *h)
    /*@ ghost (int32_t n, uint32_t *off, uint32_t *tgt, vgc_ip_obj **hdl, int32_t u) */;

/*@
  // v is a successor of u: one of u's edges leads to it.
  predicate succ_of{L}(uint32_t *off, uint32_t *tgt, integer u, integer v) =
    \exists integer k; off[u] <= k < off[u + 1] && tgt[k] == v;
*/

/* Phase 2's visit of a reachable object u (CPython's move_unreachable: tp_traverse with
 * visit_reachable): the host applies vgc_ip_reach_edge (proved, src/vgc_inplace.c) to each of
 * u's successors in the collection, so each one with gc_refs 0 gets gc_refs 1 and becomes
 * pending-marked (moved from the unreachable list to young's end if it was there); nothing else
 * changes.  The contract is the composition of those calls (what the host is trusted for: that
 * it visits exactly u's successors, as vgc_ip_succ's contract says of the buffer). */
/*@
  requires snapshot: csr_ok(n, off, tgt);
  requires u_range:  0 <= u < n;
  requires h_is_u:   h == hdl[u];
  assigns vgc_ip_gr[0 .. n - 1], vgc_ip_st[0 .. n - 1];
  ensures reached: \forall integer v; 0 <= v < n && succ_of(off, tgt, u, v) &&
    \old(vgc_ip_gr[v]) == 0 ==> vgc_ip_gr[v] == 1 && vgc_ip_st[v] == IP_PM;
  ensures kept: \forall integer v; 0 <= v < n &&
    !(succ_of(off, tgt, u, v) && \old(vgc_ip_gr[v]) == 0) ==>
    vgc_ip_gr[v] == \old(vgc_ip_gr[v]) && vgc_ip_st[v] == \old(vgc_ip_st[v]);
*/
void vgc_ip_reach_succ(vgc_ip_obj *h)
    /*@ ghost (int32_t n, uint32_t *off, uint32_t *tgt, vgc_ip_obj **hdl, int32_t u) */;

/* Object v's gc_refs (CPython: gc_get_refs). */
/*@
  requires v_range: 0 <= v < INT32_MAX;
  requires h_is_v:  h == hdl[v];
  assigns \nothing;
  ensures refs: \result == vgc_ip_gr[v];
*/
int64_t vgc_ip_refs(vgc_ip_obj *h) /*@ ghost (vgc_ip_obj **hdl, int32_t v) */;

/*@
  requires v_range: 0 <= v < INT32_MAX;
  requires h_is_v:  h == hdl[v];
  assigns vgc_ip_gr[v];
  ensures set: vgc_ip_gr[v] == r;
*/
void vgc_ip_set_refs(vgc_ip_obj *h, int64_t r) /*@ ghost (vgc_ip_obj **hdl, int32_t v) */;

/* The first object of young not scanned yet (CPython: GC_NEXT(prev)), or NULL when none is. */
/*@
  requires n_range: 0 <= n <= INT32_MAX;
  requires idp_ok:  \valid(idp);
  assigns *idp;
  ensures none: \result == \null ==>
    \forall integer v; 0 <= v < n ==> vgc_ip_st[v] != IP_PU && vgc_ip_st[v] != IP_PM;
  ensures some: \result != \null ==>
    0 <= *idp < n && (vgc_ip_st[*idp] == IP_PU || vgc_ip_st[*idp] == IP_PM) &&
    \result == hdl[*idp];
*/
vgc_ip_obj *vgc_ip_pending(void)
    /*@ ghost (int32_t n, vgc_ip_obj **hdl, int32_t \ghost *idp) */;

/* Whether v is in the unreachable list (CPython: the NEXT_MASK_UNREACHABLE bit). */
/*@
  requires v_range: 0 <= v < INT32_MAX;
  requires h_is_v:  h == hdl[v];
  assigns \nothing;
  ensures unreachable: \result != 0 <==> vgc_ip_st[v] == IP_UN;
*/
int vgc_ip_is_unreachable(vgc_ip_obj *h) /*@ ghost (vgc_ip_obj **hdl, int32_t v) */;

/* The list moves.  Their effect on where the host keeps an object is the status the core sets
 * in ghost code right after each call (vgc_ip_set_st); they decide nothing. */
/*@ assigns \nothing; */
void vgc_ip_keep(vgc_ip_obj *h);            /* scanned: stays in young, the scan moves past it */
/*@ assigns \nothing; */
void vgc_ip_to_unreachable(vgc_ip_obj *h);  /* the scanned-to object: young -> unreachable */
/*@ assigns \nothing; */
void vgc_ip_to_young(vgc_ip_obj *h);        /* unreachable -> the end of young */

/* Phase 3's interface.  The objects are the unreachable list's, numbered 0 .. m-1 in its order
 * after phase 2; their successors (vgc_ip_succ) are those within that set (the host hands over
 * the references to objects still flagged as collected: young's flags are cleared by then). */

/* The unreachable list's walk, in its order: object 0, then u + 1 after u; NULL after the last
 * (the core asks for u's successor before it moves u, and never moves a later object first). */
/*@
  requires handles: handles_ok(n, hdl);
  assigns \nothing;
  ensures first: n > 0 ==> \result == hdl[0];
  ensures empty: n <= 0 ==> \result == \null;
*/
vgc_ip_obj *vgc_ip_un_first(void) /*@ ghost (int32_t n, vgc_ip_obj **hdl) */;

/*@
  requires handles: handles_ok(n, hdl);
  requires u_range: 0 <= u < n;
  requires h_is_u:  h == hdl[u];
  assigns \nothing;
  ensures next: u + 1 < n ==> \result == hdl[u + 1];
  ensures last: u + 1 == n ==> \result == \null;
*/
vgc_ip_obj *vgc_ip_un_next(vgc_ip_obj *h) /*@ ghost (int32_t n, vgc_ip_obj **hdl, int32_t u) */;

/* Whether v has a legacy finalizer (CPython: has_legacy_finalizer, tp_del != NULL). */
/*@
  requires v_range: 0 <= v < INT32_MAX;
  requires h_is_v:  h == hdl[v];
  requires lg_ok:   \valid_read(lg + v);
  assigns \nothing;
  ensures legacy:   \result != 0 <==> lg[v] != 0;
*/
int vgc_ip_legacy(vgc_ip_obj *h) /*@ ghost (uint8_t *lg, vgc_ip_obj **hdl, int32_t v) */;

/* The first object of the finalizers list not scanned yet, or NULL when none is. */
/*@
  requires n_range: 0 <= n <= INT32_MAX;
  requires idp_ok:  \valid(idp);
  assigns *idp;
  ensures none: \result == \null ==>
    \forall integer v; 0 <= v < n ==> vgc_ip_st[v] != IP_FQ;
  ensures some: \result != \null ==>
    0 <= *idp < n && vgc_ip_st[*idp] == IP_FQ && \result == hdl[*idp];
*/
vgc_ip_obj *vgc_ip_fin_pending(void)
    /*@ ghost (int32_t n, vgc_ip_obj **hdl, int32_t \ghost *idp) */;

/*@ assigns \nothing; */
void vgc_ip_to_finalizers(vgc_ip_obj *h);   /* unreachable -> the end of the finalizers list */
/*@ assigns \nothing; */
void vgc_ip_fin_keep(vgc_ip_obj *h);        /* scanned: the finalizers walk moves past it */

/* ---- the proved phases ----------------------------------------------------------------------- */

/* Phase 1 (subtract_refs; the host has set gc_refs = refcount, CPython's update_refs):
 * gc_refs = refcount - internal in-degree (T1). */
/*@
  requires snapshot:  csr_ok(n, off, tgt);
  requires off0:      off[0] == 0;
  requires handles:   handles_ok(n, hdl);
  requires refcounts: \forall integer i; 0 <= i < n ==> vgc_ip_gr[i] >= 0;
  assigns vgc_ip_gr[0 .. n - 1];
  ensures gc_refs_exact:
    \forall integer i; 0 <= i < n ==>
      vgc_ip_gr[i] == \old(vgc_ip_gr[i]) - indeg(tgt, off[n], i);
*/
void vgc_ip_subtract_refs(void)
    /*@ ghost (int32_t n, uint32_t *off, uint32_t *tgt, vgc_ip_obj **hdl) */;

/* Phase 2's step on one edge (CPython's visit_reachable): v, a successor of the object being
 * scanned, is reached.  With gc_refs 0 it gets gc_refs 1 and becomes pending-marked, leaving the
 * unreachable list for young's end if it was there; otherwise nothing changes.  The host's
 * vgc_ip_reach_succ calls it on each successor of a scanned object (its contract is their
 * composition); the decision is this function's. */
/*@
  requires v_range: 0 <= v < INT32_MAX;
  requires h_is_v:  h == hdl[v];
  assigns vgc_ip_gr[v], vgc_ip_st[v];
  ensures reached: \old(vgc_ip_gr[v]) == 0 ==> vgc_ip_gr[v] == 1 && vgc_ip_st[v] == IP_PM;
  ensures kept:    \old(vgc_ip_gr[v]) != 0 ==>
                     vgc_ip_gr[v] == \old(vgc_ip_gr[v]) && vgc_ip_st[v] == \old(vgc_ip_st[v]);
*/
void vgc_ip_reach_edge(vgc_ip_obj *h) /*@ ghost (vgc_ip_obj **hdl, int32_t v) */;

/* Phase 2 (move_unreachable, CPython's single scan of young): the roots are the objects whose
 * gc_refs != 0 after phase 1 (rt, ghost: rt[v] != 0 iff so).  Afterwards every object is
 * scanned (stays in young) or in the unreachable list; the scanned ones are exactly Reach
 * (T3-T5, T13-T15 in this model).  Returns how many objects stay in young. */
/*@
  requires snapshot: csr_ok(n, off, tgt);
  requires handles:  handles_ok(n, hdl);
  requires roots_ok: \valid_read(rt + (0 .. n - 1));
  requires roots_exact: \forall integer v; 0 <= v < n ==> (rt[v] != 0 <==> vgc_ip_gr[v] != 0);
  assigns vgc_ip_gr[0 .. n - 1], vgc_ip_st[0 .. n - 1];
  ensures live_range:  0 <= \result <= n;
  ensures partition:
    \forall integer v; 0 <= v < n ==> vgc_ip_st[v] == IP_SC || vgc_ip_st[v] == IP_UN;
  ensures live_count:  \result == count_st(IP_SC, n);
  ensures roots_marked: \forall integer v; 0 <= v < n && rt[v] != 0 ==> vgc_ip_st[v] == IP_SC;
  ensures closed:
    \forall integer u, k; edge(n, off, u, k) && vgc_ip_st[u] == IP_SC ==>
      vgc_ip_st[tgt[k]] == IP_SC;
  ensures precise:
    \forall integer v; 0 <= v < n && vgc_ip_st[v] == IP_SC ==>
      Reach(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, v);
  ensures reach_marked:
    \forall integer v; 0 <= v < n &&
      reach_within(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, n, v) ==>
      vgc_ip_st[v] == IP_SC;
  ensures marked_reach:
    \forall integer v; 0 <= v < n && vgc_ip_st[v] == IP_SC ==>
      reach_within(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, n, v);
*/
int32_t vgc_ip_move_unreachable(void)
    /*@ ghost (int32_t n, uint32_t *off, uint32_t *tgt, vgc_ip_obj **hdl, uint8_t *rt) */;

/* Phase 3 (move_legacy_finalizers, then move_legacy_finalizer_reachable, CPython's two walks):
 * over the unreachable list (m objects, numbered in its order; lg[v] != 0 iff v has a legacy
 * finalizer), the objects with a legacy finalizer and everything they reach within the list go
 * to the finalizers list (IP_FS), in CPython's order; the rest stays (IP_UN).  Returns how many
 * moved.  T20 (SPEC §8a): exactly Reach from the legacy finalizers, as T6 in the array core. */
/*@
  requires snapshot:  csr_ok(m, off, tgt);
  requires handles:   handles_ok(m, hdl);
  requires legacy_ok: \valid_read(lg + (0 .. m - 1));
  assigns vgc_ip_st[0 .. m - 1];
  ensures held_range:  0 <= \result <= m;
  ensures partition:
    \forall integer v; 0 <= v < m ==> vgc_ip_st[v] == IP_FS || vgc_ip_st[v] == IP_UN;
  ensures held_count:  \result == count_st(IP_FS, m);
  ensures legacy_held: \forall integer v; 0 <= v < m && lg[v] != 0 ==> vgc_ip_st[v] == IP_FS;
  ensures closed:
    \forall integer u, k; edge(m, off, u, k) && vgc_ip_st[u] == IP_FS ==>
      vgc_ip_st[tgt[k]] == IP_FS;
  ensures precise:
    \forall integer v; 0 <= v < m && vgc_ip_st[v] == IP_FS ==>
      Reach(VGC_SEEDS_LEGACY, m, off, tgt, (uint8_t *)\null, lg, v);
  ensures reach_held:
    \forall integer v; 0 <= v < m &&
      reach_within(VGC_SEEDS_LEGACY, m, off, tgt, (uint8_t *)\null, lg, m, v) ==>
      vgc_ip_st[v] == IP_FS;
  ensures held_reach:
    \forall integer v; 0 <= v < m && vgc_ip_st[v] == IP_FS ==>
      reach_within(VGC_SEEDS_LEGACY, m, off, tgt, (uint8_t *)\null, lg, m, v);
*/
int32_t vgc_ip_move_legacy_finalizers(void)
    /*@ ghost (int32_t m, uint32_t *off, uint32_t *tgt, vgc_ip_obj **hdl, uint8_t *lg) */;

#endif /* VGC_INPLACE_H */
