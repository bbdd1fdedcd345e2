/* vgc_inplace.c — the in-place core (contracts and the ghost model in include/vgc_inplace.h).
 * In proof scope: every function here is proved with Frama-C WP -wp-rte (make prove).
 * Mirrors CPython's subtract_refs and move_unreachable (Modules/gcmodule.c 3.11/3.12,
 * Python/gc.c 3.13) step for step, so the lists end in CPython's order with no replay; the
 * decisions are made here, the host only executes the list moves and reads the headers.
 *
 * Successors come from the host in chunks (vgc_ip_succ): `done` counts the successors of the
 * current object handled so far, buf[j .. cnt) are the ones fetched and not handled yet.  The
 * termination of move_unreachable is the potential PHI = 4 #PU + 3 #UN + #PM (an object is
 * pending twice at most: once more after it was moved to the unreachable list and reached),
 * counted by the ghost status counts; the ghost `phi` bounds it and drops by one per step.
 */
#include "vgc_inplace.h"

/* ---- subtract_refs ------------------------------------------------------------------------- */

void vgc_ip_subtract_refs(void)
    /*@ ghost (int32_t n, uint32_t *off, uint32_t *tgt, vgc_ip_obj **hdl) */
{
    /*@ ghost int32_t u = 0; */
    vgc_ip_obj *h = vgc_ip_first() /*@ ghost (n, hdl) */;
    /* The host decrements as it visits (CPython's visit_decref): one call per object.  gc_refs
     * goes down by at most one per edge, which keeps it far from INT64_MIN (lower_bound; the
     * host's `fits` asks for it). */
    /*@
      loop invariant u_range: 0 <= u <= n;
      loop invariant h_is_u: u < n ==> h == hdl[u];
      loop invariant done: u == n <==> h == \null;
      loop invariant partial_indeg:
        \forall integer i; 0 <= i < n ==>
          vgc_ip_gr[i] == \at(vgc_ip_gr[i], Pre) - indeg(tgt, off[u], i);
      loop invariant lower_bound:
        \forall integer i; 0 <= i < n ==> vgc_ip_gr[i] >= \at(vgc_ip_gr[i], Pre) - off[u];
      loop assigns u, h, vgc_ip_gr[0 .. n - 1];
      loop variant n - u;
    */
    while (h != NULL) {
        /* Ghost: u's edges add at most their number to any in-degree (one unfolding of indeg
         * per edge). */
        /*@ ghost
          int64_t k = (int64_t)off[u];
          /@ loop invariant k_range: off[u] <= k <= off[u + 1];
             loop invariant at_most:
               \forall integer i; indeg(tgt, k, i) - indeg(tgt, off[u], i) <= k - off[u];
             loop assigns k;
             loop variant off[u + 1] - k; @/
          while (k < (int64_t)off[u + 1]) {
              /@ assert unfold: \forall integer i;
                   indeg(tgt, k + 1, i) == indeg(tgt, k, i) + (tgt[k] == i ? 1 : 0); @/
              k++;
          }
        */
        vgc_ip_subtract_succ(h) /*@ ghost (n, off, tgt, hdl, u) */;
        h = vgc_ip_next(h) /*@ ghost (n, hdl, u) */;
        /*@ ghost u++; */
    }
}

/* ---- the ghost status and its counts --------------------------------------------------------- */

/* The status of v becomes s; every prefix count changes by what v left and what it entered.
 * Proved by a ghost walk over the prefixes (one unfolding of count_st per step). */
/*@ ghost
  /@ requires n_range: 0 <= n <= INT32_MAX;
     requires v_range: 0 <= v < n;
     requires s_range: s <= 3;
     assigns vgc_ip_st[v];
     ensures set:      vgc_ip_st[v] == s;
     ensures ok:       \old(st_ok(n)) ==> st_ok(n);
     ensures prefix:   \forall integer c, p; 0 <= p <= n ==> count_st(c, p) ==
                         \old(count_st(c, p)) - (v < p && \old(vgc_ip_st[v]) == c ? 1 : 0) +
                         (v < p && s == c ? 1 : 0);
     ensures counts:   \forall integer c; count_st(c, n) ==
                         \old(count_st(c, n)) - (\old(vgc_ip_st[v]) == c ? 1 : 0) + (s == c ? 1 : 0);
     ensures bounds:   \forall integer c; 0 <= count_st(c, n) <= n; @/
  void vgc_ip_set_st(int32_t n, int32_t v, uint8_t s)
  {
      uint8_t old = vgc_ip_st[v];
      vgc_ip_st[v] = s;
      int32_t k = 0;
      /@ loop invariant k_range: 0 <= k <= n;
         loop invariant counts: \forall integer c, p; 0 <= p <= k ==> count_st(c, p) ==
           \at(count_st(c, p), Pre) - (v < p && old == c ? 1 : 0) + (v < p && s == c ? 1 : 0);
         loop invariant bounds: \forall integer c; 0 <= count_st(c, k) <= k;
         loop assigns k;
         loop variant n - k; @/
      while (k < n) {
          /@ assert unfold: \forall integer c; count_st(c, k + 1) ==
               count_st(c, k) + (vgc_ip_st[k] == c ? 1 : 0); @/
          /@ assert unfold_pre: \forall integer c; \let kk = (integer)k;
               \at(count_st(c, kk + 1), Pre) ==
               \at(count_st(c, kk), Pre) + (\at(vgc_ip_st[kk], Pre) == c ? 1 : 0); @/
          /@ assert same: \let kk = (integer)k; kk != v ==> vgc_ip_st[kk] == \at(vgc_ip_st[kk], Pre); @/
          k++;
      }
  }
*/

/* ---- move_unreachable ------------------------------------------------------------------------ */

/* CPython's visit_reachable on one successor (the host calls it per edge, vgc_ip_reach_succ):
 * gc_refs 0 means "not reached yet", whether the scan has passed it (it sits in the unreachable
 * list: back to young's end, to be scanned again) or not (still ahead in young). */
void vgc_ip_reach_edge(vgc_ip_obj *h) /*@ ghost (vgc_ip_obj **hdl, int32_t v) */
{
    if (vgc_ip_refs(h) /*@ ghost (hdl, v) */ == 0) {
        if (vgc_ip_is_unreachable(h) /*@ ghost (hdl, v) */)
            vgc_ip_to_young(h);
        vgc_ip_set_refs(h, 1) /*@ ghost (hdl, v) */;
        /*@ ghost vgc_ip_st[v] = IP_PM; */
    }
}

#define PHI(n) (4 * count_st(IP_PU, n) + 3 * count_st(IP_UN, n) + count_st(IP_PM, n))

int32_t vgc_ip_move_unreachable(void)
    /*@ ghost (int32_t n, uint32_t *off, uint32_t *tgt, vgc_ip_obj **hdl, uint8_t *rt) */
{
    /* Ghost: every object starts pending, marked iff it is a root. */
    /*@ ghost int32_t k = 0; */
    /*@ ghost
      /@ loop invariant k_range: 0 <= k <= n;
         loop invariant init: \forall integer v; 0 <= v < k ==>
           vgc_ip_st[v] == (vgc_ip_gr[v] != 0 ? IP_PM : IP_PU);
         loop invariant counts: count_st(IP_SC, k) == 0 && count_st(IP_UN, k) == 0 &&
           \forall integer c; 0 <= count_st(c, k) <= k;
         loop assigns k, vgc_ip_st[0 .. n - 1];
         loop variant n - k; @/
      while (k < n) { vgc_ip_set_st(n, k, vgc_ip_gr[k] != 0 ? IP_PM : IP_PU); k++; }
    */
    int32_t live = 0;
    /*@ ghost int64_t phi = 8 * (int64_t)n; */
    /*@
      loop invariant phi_bound: 0 <= PHI(n) <= phi;
      loop invariant ok: st_ok(n);
      loop invariant counts: \forall integer c; 0 <= count_st(c, n) <= n;
      loop invariant live: live == count_st(IP_SC, n);
      loop invariant marks: st_marks(n);
      loop invariant roots: \forall integer v; 0 <= v < n && rt[v] != 0 ==> vgc_ip_gr[v] != 0;
      loop invariant closed:
        \forall integer u, k; edge(n, off, u, k) && vgc_ip_st[u] == IP_SC ==>
          vgc_ip_st[tgt[k]] == IP_PM || vgc_ip_st[tgt[k]] == IP_SC;
      loop invariant precise:
        \forall integer v; 0 <= v < n && vgc_ip_gr[v] != 0 ==>
          Reach(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, v);
      loop invariant within:
        \forall integer v; 0 <= v < n && vgc_ip_gr[v] != 0 ==>
          reach_within(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, live, v);
      loop assigns live, phi, vgc_ip_gr[0 .. n - 1], vgc_ip_st[0 .. n - 1];
      loop variant phi;
    */
    for (;;) {
        /*@ ghost int32_t x = 0; */
        vgc_ip_obj *h = vgc_ip_pending() /*@ ghost (n, hdl, &x) */;
        if (h == NULL)
            break;
    Picked: ;
        /*@ assert phi_entry: PHI(n) == \at(PHI(n), LoopCurrent); */
        if (vgc_ip_refs(h) /*@ ghost (hdl, x) */ == 0) {
            /* gc_refs 0 and not reached yet: tentatively unreachable (a later scanned object
             * may still reach it and move it back) */
            /*@ assert x_pu: vgc_ip_st[x] == IP_PU; */
            vgc_ip_to_unreachable(h);
            /*@ ghost vgc_ip_set_st(n, x, IP_UN); */
            /*@ assert un_phi: PHI(n) == \at(PHI(n), Picked) - 1; */
            /*@ assert un_marks: st_marks(n); */
            /*@ assert un_counts: \forall integer c; 0 <= count_st(c, n) <= n; */
            /*@ assert un_down: PHI(n) < \at(PHI(n), LoopCurrent); */
            /*@ assert un_within: \forall integer v; 0 <= v < n && vgc_ip_gr[v] != 0 ==>
                  reach_within(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, live, v); */
        } else {
            /* reachable: mark what it reaches (gc_refs 1, CPython's visit_reachable), moving
             * any that sits in the unreachable list back to the end of young.  The host visits
             * x's successors and applies vgc_ip_reach_edge (proved, below) to each; its
             * contract is their composition. */
            /*@ assert x_pm: vgc_ip_st[x] == IP_PM; */
        Reach: ;
            vgc_ip_reach_succ(h) /*@ ghost (n, off, tgt, hdl, x) */;
            /* Ghost: statuses only went from unmarked (PU, UN) to PM, so the scanned count is
             * the same and the potential did not grow (one unfolding of count_st per object). */
            /*@ ghost
              int32_t k = 0;
              /@ loop invariant k_range: 0 <= k <= n;
                 loop invariant sc_same: \let kk = (integer)k;
                   count_st(IP_SC, kk) == \at(count_st(IP_SC, kk), Reach);
                 loop invariant phi_le: \let kk = (integer)k;
                   4 * count_st(IP_PU, kk) + 3 * count_st(IP_UN, kk) + count_st(IP_PM, kk) <=
                   \at(4 * count_st(IP_PU, kk) + 3 * count_st(IP_UN, kk) + count_st(IP_PM, kk), Reach);
                 loop invariant bounds: \forall integer c; 0 <= count_st(c, k) <= k;
                 loop assigns k;
                 loop variant n - k; @/
              while (k < n) {
                  /@ assert unfold: \forall integer c; count_st(c, k + 1) ==
                       count_st(c, k) + (vgc_ip_st[k] == c ? 1 : 0); @/
                  /@ assert unfold_pre: \forall integer c; \let kk = (integer)k;
                       \at(count_st(c, kk + 1), Reach) ==
                       \at(count_st(c, kk), Reach) + (\at(vgc_ip_st[kk], Reach) == c ? 1 : 0); @/
                  /@ assert moved: \let kk = (integer)k;
                       vgc_ip_st[kk] == \at(vgc_ip_st[kk], Reach) ||
                       (vgc_ip_st[kk] == IP_PM && (\at(vgc_ip_st[kk], Reach) == IP_PU ||
                                                   \at(vgc_ip_st[kk], Reach) == IP_UN)); @/
                  k++;
              }
            */
            /*@ assert r_x_pm: vgc_ip_st[x] == IP_PM && vgc_ip_gr[x] != 0; */
            /*@ assert r_ok: st_ok(n); */
            /*@ assert r_marks: st_marks(n); */
            /*@ assert r_counts: \forall integer c; 0 <= count_st(c, n) <= n; */
            /*@ assert r_live: live == count_st(IP_SC, n); */
            /*@ assert r_phi: PHI(n) <= \at(PHI(n), Picked); */
            /*@ assert r_roots: \forall integer v; 0 <= v < n && rt[v] != 0 ==> vgc_ip_gr[v] != 0; */
            /*@ assert r_x_closed: \forall integer k; off[x] <= k < off[x + 1] ==>
                  vgc_ip_st[tgt[k]] == IP_PM || vgc_ip_st[tgt[k]] == IP_SC; */
            /*@ assert r_closed:
                  \forall integer u, k; edge(n, off, u, k) && vgc_ip_st[u] == IP_SC ==>
                    vgc_ip_st[tgt[k]] == IP_PM || vgc_ip_st[tgt[k]] == IP_SC; */
            /*@ assert r_precise: \forall integer v; 0 <= v < n && vgc_ip_gr[v] != 0 ==>
                  Reach(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, v); */
            /*@ assert r_x_within:
                  reach_within(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, live, x); */
            /*@ assert r_within_old: \forall integer v; 0 <= v < n && \at(vgc_ip_gr[v], Reach) != 0 ==>
                  reach_within(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, live + 1, v); */
            /*@ assert r_live_pos: 0 <= live; */
            /* Ghost: each of x's successors is reached within live + 1 edges (one step from x;
             * one instance of within_step per edge). */
            /*@ ghost
              int64_t j = (int64_t)off[x];
              /@ loop invariant j_range: off[x] <= j <= off[x + 1];
                 loop invariant j_within: \forall integer k; off[x] <= k < j ==>
                   reach_within(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, live + 1, tgt[k]);
                 loop assigns j;
                 loop variant off[x + 1] - j; @/
              while (j < (int64_t)off[x + 1]) {
                  /@ assert j_edge: edge(n, off, x, j); @/
                  /@ assert j_step:
                       reach_within(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, live + 1, tgt[j]); @/
                  j++;
              }
            */
            /*@ assert r_within_succ: \forall integer k; off[x] <= k < off[x + 1] ==>
                  reach_within(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, live + 1, tgt[k]); */
            /*@ assert r_within: \forall integer v; 0 <= v < n && vgc_ip_gr[v] != 0 ==>
                  reach_within(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, live + 1, v); */
            vgc_ip_keep(h);
        Scanned: ;
            /*@ ghost vgc_ip_set_st(n, x, IP_SC); */
            /*@ assert sc_phi: PHI(n) == \at(PHI(n), Scanned) - 1; */
            /*@ assert sc_down: PHI(n) < \at(PHI(n), Picked); */
            /*@ assert sc_marks: st_marks(n); */
            /*@ assert sc_counts: \forall integer c; 0 <= count_st(c, n) <= n; */
            /*@ assert sc_down2: PHI(n) < \at(PHI(n), LoopCurrent); */
            live++;
            /*@ assert sc_within: \forall integer v; 0 <= v < n && vgc_ip_gr[v] != 0 ==>
                  reach_within(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, live, v); */
        }
        /*@ assert body_down: PHI(n) < \at(PHI(n), LoopCurrent); */
        /*@ ghost phi--; */
    }
    /* Ghost (no code), as in vgc_move_unreachable: a scanned object is reached within live
     * edges, so within n; and every object reachable within d edges is scanned, d = 0 .. n. */
    /*@ ghost int32_t b = live; */
    /*@ ghost
      /@ loop invariant b_range: live <= b <= n;
         loop invariant marked_within:
           \forall integer v; 0 <= v < n && vgc_ip_st[v] == IP_SC ==>
             reach_within(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, b, v);
         loop assigns b;
         loop variant n - b;
      @/
      while (b < n) b++;
    */
    /*@ ghost int32_t d = 0; */
    /*@ ghost
      /@ loop invariant d_range: 0 <= d <= n;
         loop invariant within_marked:
           \forall integer v; 0 <= v < n &&
             reach_within(VGC_SEEDS_ROOTS, n, off, tgt, rt, (uint8_t *)\null, d, v) ==>
             vgc_ip_st[v] == IP_SC;
         loop assigns d;
         loop variant n - d;
      @/
      while (d < n) d++;
    */
    return live;
}

/* ---- move_legacy_finalizers + move_legacy_finalizer_reachable -------------------------------- */

/* The termination potential of the finalizers walk: an object is queued once (from the
 * unreachable list) and scanned once. */
#define PSI(m) (2 * count_st(IP_UN, m) + count_st(IP_FQ, m))

int32_t vgc_ip_move_legacy_finalizers(void)
    /*@ ghost (int32_t m, uint32_t *off, uint32_t *tgt, vgc_ip_obj **hdl, uint8_t *lg) */
{
    /* Ghost: every object of the unreachable list starts there. */
    /*@ ghost int32_t k = 0; */
    /*@ ghost
      /@ loop invariant k_range: 0 <= k <= m;
         loop invariant init: \forall integer v; 0 <= v < k ==> vgc_ip_st[v] == IP_UN;
         loop invariant counts: count_st(IP_UN, k) == k && count_st(IP_FQ, k) == 0 &&
           count_st(IP_FS, k) == 0 && \forall integer c; 0 <= count_st(c, k) <= k;
         loop assigns k, vgc_ip_st[0 .. m - 1];
         loop variant m - k; @/
      while (k < m) { vgc_ip_set_st(m, k, IP_UN); k++; }
    */
    /* move_legacy_finalizers: one walk over the unreachable list; each object with a legacy
     * finalizer goes to the end of the finalizers list (its successor in the walk is taken
     * before it moves). */
    int32_t held = 0;
    /*@ ghost int32_t u = 0; */
    vgc_ip_obj *h = vgc_ip_un_first() /*@ ghost (m, hdl) */;
    /*@
      loop invariant u_range: 0 <= u <= m;
      loop invariant h_is_u: u < m ==> h == hdl[u];
      loop invariant done: u == m <==> h == \null;
      loop invariant st: \forall integer v; 0 <= v < m ==>
        vgc_ip_st[v] == (v < u && lg[v] != 0 ? IP_FQ : IP_UN);
      loop invariant counts: \forall integer c; 0 <= count_st(c, m) <= m;
      loop invariant held: held == count_st(IP_FQ, m) && held + count_st(IP_UN, m) == m;
      loop invariant none_scanned: count_st(IP_FS, m) == 0;
      loop assigns u, h, held, vgc_ip_st[0 .. m - 1];
      loop variant m - u;
    */
    while (h != NULL) {
        vgc_ip_obj *next = vgc_ip_un_next(h) /*@ ghost (m, hdl, u) */;
        if (vgc_ip_legacy(h) /*@ ghost (lg, hdl, u) */) {
            vgc_ip_to_finalizers(h);
            /*@ ghost vgc_ip_set_st(m, u, IP_FQ); */
            held++;
        }
        h = next;
        /*@ ghost u++; */
    }
    /* move_legacy_finalizer_reachable: the finalizers list is walked from its start while it
     * grows; whatever a scanned object reaches that is still in the unreachable list joins
     * its end. */
    /*@ ghost int32_t fs = 0; */
    /*@ ghost int64_t phi = 2 * (int64_t)m; */
    /*@
      loop invariant phi_bound: 0 <= PSI(m) <= phi;
      loop invariant ok: \forall integer v; 0 <= v < m ==>
        vgc_ip_st[v] == IP_UN || vgc_ip_st[v] == IP_FQ || vgc_ip_st[v] == IP_FS;
      loop invariant counts: \forall integer c; 0 <= count_st(c, m) <= m;
      loop invariant held: held == count_st(IP_FQ, m) + count_st(IP_FS, m) &&
        held + count_st(IP_UN, m) == m;
      loop invariant fs: fs == count_st(IP_FS, m);
      loop invariant seeds: \forall integer v; 0 <= v < m && lg[v] != 0 ==> vgc_ip_st[v] != IP_UN;
      loop invariant closed:
        \forall integer w, e; edge(m, off, w, e) && vgc_ip_st[w] == IP_FS ==>
          vgc_ip_st[tgt[e]] != IP_UN;
      loop invariant precise:
        \forall integer v; 0 <= v < m && vgc_ip_st[v] != IP_UN ==>
          Reach(VGC_SEEDS_LEGACY, m, off, tgt, (uint8_t *)\null, lg, v);
      loop invariant within:
        \forall integer v; 0 <= v < m && vgc_ip_st[v] != IP_UN ==>
          reach_within(VGC_SEEDS_LEGACY, m, off, tgt, (uint8_t *)\null, lg, fs, v);
      loop assigns held, fs, phi, vgc_ip_st[0 .. m - 1];
      loop variant phi;
    */
    for (;;) {
        /*@ ghost int32_t x = 0; */
        vgc_ip_obj *f = vgc_ip_fin_pending() /*@ ghost (m, hdl, &x) */;
        if (f == NULL)
            break;
    Queued: ;
        vgc_ip_obj *const *buf = NULL;
        uint32_t done = 0, cnt = 0, j = 0;
        /*@
          loop invariant chunk: 0 <= j <= cnt && j <= done <= off[x + 1] - off[x];
          loop invariant fetched_valid: \forall integer i; j <= i < cnt ==> \valid_read(buf + i);
          loop invariant fetched:
            \forall integer i; j <= i < cnt ==> buf[i] == hdl[tgt[off[x] + done - j + i]];
          loop invariant in_chunk: done - j + cnt <= off[x + 1] - off[x];
          loop invariant x_fq: vgc_ip_st[x] == IP_FQ;
          loop invariant ok: \forall integer v; 0 <= v < m ==>
            vgc_ip_st[v] == IP_UN || vgc_ip_st[v] == IP_FQ || vgc_ip_st[v] == IP_FS;
          loop invariant counts: \forall integer c; 0 <= count_st(c, m) <= m;
          loop invariant held: held == count_st(IP_FQ, m) + count_st(IP_FS, m) &&
            held + count_st(IP_UN, m) == m;
          loop invariant fs: fs == count_st(IP_FS, m);
          loop invariant seeds:
            \forall integer v; 0 <= v < m && lg[v] != 0 ==> vgc_ip_st[v] != IP_UN;
          loop invariant closed:
            \forall integer w, e; edge(m, off, w, e) && vgc_ip_st[w] == IP_FS ==>
              vgc_ip_st[tgt[e]] != IP_UN;
          loop invariant x_partly_closed:
            \forall integer e; off[x] <= e < off[x] + done ==> vgc_ip_st[tgt[e]] != IP_UN;
          loop invariant precise:
            \forall integer v; 0 <= v < m && vgc_ip_st[v] != IP_UN ==>
              Reach(VGC_SEEDS_LEGACY, m, off, tgt, (uint8_t *)\null, lg, v);
          loop invariant x_within:
            reach_within(VGC_SEEDS_LEGACY, m, off, tgt, (uint8_t *)\null, lg, fs, x);
          loop invariant within:
            \forall integer v; 0 <= v < m && vgc_ip_st[v] != IP_UN ==>
              reach_within(VGC_SEEDS_LEGACY, m, off, tgt, (uint8_t *)\null, lg, fs + 1, v);
          loop invariant psi_down: PSI(m) <= \at(PSI(m), Queued);
          loop assigns done, cnt, j, buf, held, vgc_ip_st[0 .. m - 1];
          loop variant (off[x + 1] - off[x] - done) * 2 + (j == cnt ? 1 : 0);
        */
        for (;;) {
            if (j == cnt) {
                cnt = vgc_ip_succ(f, done, &buf) /*@ ghost (m, off, tgt, hdl, x) */;
                j = 0;
                if (cnt == 0)
                    break;
            }
            /*@ ghost int32_t t = (int32_t)tgt[off[x] + done]; */
            /*@ assert t_range: 0 <= t < m; */
            /*@ assert t_edge: edge(m, off, x, off[x] + done) && t == tgt[off[x] + done]; */
            if (vgc_ip_is_unreachable(buf[j]) /*@ ghost (hdl, t) */) {
                /*@ assert t_reach: Reach(VGC_SEEDS_LEGACY, m, off, tgt, (uint8_t *)\null, lg, t); */
                /*@ assert t_within:
                      reach_within(VGC_SEEDS_LEGACY, m, off, tgt, (uint8_t *)\null, lg, fs + 1, t); */
                vgc_ip_to_finalizers(buf[j]);
                /*@ ghost vgc_ip_set_st(m, t, IP_FQ); */
                held++;
            }
            /*@ assert buf_kept: \forall integer i; j < i < cnt ==>
                  buf[i] == hdl[tgt[off[x] + done - j + i]]; */
            j++;
            done++;
        }
        vgc_ip_fin_keep(f);
    Scanned: ;
        /*@ ghost vgc_ip_set_st(m, x, IP_FS); */
        /*@ assert fs_psi: PSI(m) == \at(PSI(m), Scanned) - 1; */
        /*@ assert fs_down: PSI(m) < \at(PSI(m), LoopCurrent); */
        /*@ ghost fs++; */
        /*@ ghost phi--; */
    }
    /* Ghost (no code): nothing is queued any more, so no prefix counts a queued object (held
     * is the number scanned); as in vgc_ip_move_unreachable, a held object is reached within
     * fs edges, so within m; and every object reachable within d edges is held, d = 0 .. m. */
    /*@ assert none_queued: \forall integer v; 0 <= v < m ==> vgc_ip_st[v] != IP_FQ; */
    /*@ ghost int32_t q = 0; */
    /*@ ghost
      /@ loop invariant q_range: 0 <= q <= m;
         loop invariant none_counted: count_st(IP_FQ, q) == 0;
         loop assigns q;
         loop variant m - q;
      @/
      while (q < m) q++;
    */
    /*@ ghost int32_t b = fs; */
    /*@ ghost
      /@ loop invariant b_range: fs <= b <= m;
         loop invariant held_within:
           \forall integer v; 0 <= v < m && vgc_ip_st[v] == IP_FS ==>
             reach_within(VGC_SEEDS_LEGACY, m, off, tgt, (uint8_t *)\null, lg, b, v);
         loop assigns b;
         loop variant m - b;
      @/
      while (b < m) b++;
    */
    /*@ ghost int32_t d = 0; */
    /*@ ghost
      /@ loop invariant d_range: 0 <= d <= m;
         loop invariant within_held:
           \forall integer v; 0 <= v < m &&
             reach_within(VGC_SEEDS_LEGACY, m, off, tgt, (uint8_t *)\null, lg, d, v) ==>
             vgc_ip_st[v] == IP_FS;
         loop assigns d;
         loop variant m - d;
      @/
      while (d < m) d++;
    */
    return held;
}
