/* vgc_core.c — the proved cycle-detection core (contracts in include/vgc_core.h).
 * In proof scope: every function here is proved with Frama-C WP -wp-rte (make prove).
 * Mirrors CPython's update_refs/subtract_refs, move_unreachable and
 * move_legacy_finalizer_reachable; the model is spec/vgc_graph.acsl, explained in spec/SPEC.md.
 *
 * One marking engine serves both markings.  It is a breadth-first search whose queue is the
 * front of the permutation `order`: discovering w swaps it to position `tail`.  Colours are
 * positions (black: pos < head, grey: head <= pos < tail, white: pos >= tail), so no colour
 * array is needed, and the queue can never overflow: a white object sits at a position >= tail,
 * which is < n — no counting argument, in the code or in the proof.
 */
#include "vgc_core.h"

/* ---- update_refs + subtract_refs ----------------------------------------------------------- */

int32_t vgc_update_refs(int32_t n, const uint32_t *offsets, const uint32_t *targets,
                        int64_t *refs, uint8_t *roots)
{
    const uint32_t nedges = offsets[n];

    /* subtract_refs: one decrement per internal reference.  refs[i] only ever goes down by at
     * most k, which keeps it far from INT64_MIN (the second invariant, used by -wp-rte). */
    /*@
      loop invariant k_range: 0 <= k <= nedges;
      loop invariant partial_indeg:
        \forall integer i; 0 <= i < n ==> refs[i] == \at(refs[i], Pre) - indeg(targets, k, i);
      loop invariant lower_bound:
        \forall integer i; 0 <= i < n ==> refs[i] >= \at(refs[i], Pre) - k;
      loop assigns k, refs[0 .. n - 1];
      loop variant nedges - k;
    */
    for (uint32_t k = 0; k < nedges; k++)
        refs[targets[k]] -= 1;

    /* The roots (gc_refs != 0), flagged for phase 2.  A negative gc_refs can only come from a
     * tp_traverse that reports more references than the object's refcount accounts for; count
     * them so the caller can warn (they are roots too). */
    int32_t negative = 0;
    /*@
      loop invariant i_range: 0 <= i <= n;
      loop invariant count: negative == count_negative(refs, i);
      loop invariant count_bound: 0 <= negative <= i;
      loop invariant roots_so_far:
        \forall integer j; 0 <= j < i ==> (roots[j] != 0 <==> refs[j] != 0);
      loop assigns i, negative, roots[0 .. n - 1];
      loop variant n - i;
    */
    for (int32_t i = 0; i < n; i++) {
        roots[i] = refs[i] != 0;
        if (refs[i] < 0)
            negative++;
    }
    return negative;
}

/* ---- the marking engine --------------------------------------------------------------------- */

/* Discover w: swap it into queue position `tail`.  The caller then grows tail by one. */
/*@
  requires state_ok:  \valid(order + (0 .. n - 1)) && \valid(pos + (0 .. n - 1));
  requires state_sep: \separated(order + (0 .. n - 1), pos + (0 .. n - 1));
  requires n_range:   0 <= n <= INT32_MAX;
  requires permutation: perm(n, order, pos);
  requires w_range:   0 <= w < n;
  requires white:     0 <= tail <= pos[w];
  assigns order[0 .. n - 1], pos[0 .. n - 1];   // exactly two entries of each change; the
                                                 // ensures say which, callers need no more
  ensures permutation: perm(n, order, pos);
  ensures discovered:  pos[w] == tail;
  ensures stable:
    \forall integer v; 0 <= v < n && \old(pos[v]) < tail ==> pos[v] == \old(pos[v]);
  ensures still_white:
    \forall integer v; 0 <= v < n && v != w && \old(pos[v]) >= tail ==> pos[v] > tail;
  ensures same_marked:
    \forall integer v; 0 <= v < n ==> (pos[v] < tail <==> \old(pos[v]) < tail);
*/
static void vgc_discover(int32_t n, int32_t *order, int32_t *pos, int32_t tail, int32_t w)
{
    (void)n; /* read only by the contract */
    int32_t p = pos[w];
    int32_t x = order[tail];
    order[p] = x;
    pos[x] = p;
    order[tail] = w;
    pos[w] = tail;
}

/* Breadth-first propagation: scan queued objects (positions [base, tail)) until the queue is
 * empty, discovering every white successor.  kind/roots/legacy are read only by the contract:
 * they name the Reach relation that the queued objects already satisfy. */
/*@
  requires snapshot:  csr_ok(n, offsets, targets);
  requires state_ok:  \valid(order + (0 .. n - 1)) && \valid(pos + (0 .. n - 1));
  requires state_sep: \separated(order + (0 .. n - 1), pos + (0 .. n - 1));
  requires permutation: perm(n, order, pos);
  requires range:     0 <= base <= tail <= n;
  requires closed:    closed_below(n, offsets, targets, pos, base, tail);
  requires precise:   precise(kind, n, offsets, targets, roots, legacy, pos, base, tail);
  requires within:    precise_within(kind, n, offsets, targets, roots, legacy, pos, base, tail);
  assigns order[0 .. n - 1], pos[0 .. n - 1];
  ensures range:      tail <= \result <= n;
  ensures permutation: perm(n, order, pos);
  ensures stable:
    \forall integer v; 0 <= v < n && \old(pos[v]) < tail ==> pos[v] == \old(pos[v]);
  ensures still_white:
    \forall integer v; 0 <= v < n && \old(pos[v]) >= tail ==> pos[v] >= tail;
  ensures closed:     closed_below(n, offsets, targets, pos, \result, \result);
  ensures precise:    precise(kind, n, offsets, targets, roots, legacy, pos, base, \result);
  ensures within:     precise_within(kind, n, offsets, targets, roots, legacy, pos, base, \result);
*/
static int32_t vgc_propagate(int kind, int32_t n, const uint32_t *offsets,
                             const uint32_t *targets, const uint8_t *roots,
                             const uint8_t *legacy, int32_t base, int32_t tail,
                             int32_t *order, int32_t *pos)
{
    (void)kind; (void)roots; (void)legacy; /* read only by the contract */
    int32_t head = base;
    /*@
      loop invariant range: base <= head <= tail <= n && \at(tail, Pre) <= tail;
      loop invariant permutation: perm(n, order, pos);
      loop invariant closed: closed_below(n, offsets, targets, pos, head, tail);
      loop invariant precise: precise(kind, n, offsets, targets, roots, legacy, pos, base, tail);
      loop invariant within:
        precise_within(kind, n, offsets, targets, roots, legacy, pos, base, tail);
      loop invariant stable:
        \forall integer v; 0 <= v < n && \at(pos[v], Pre) < \at(tail, Pre) ==>
          pos[v] == \at(pos[v], Pre);
      loop invariant still_white:
        \forall integer v; 0 <= v < n && \at(pos[v], Pre) >= \at(tail, Pre) ==>
          pos[v] >= \at(tail, Pre);
      loop assigns head, tail, order[0 .. n - 1], pos[0 .. n - 1];
      loop variant n - head;
    */
    while (head < tail) {
        const int32_t u = order[head];
        const uint32_t end = offsets[u + 1];
        /*@
          loop invariant k_range: offsets[u] <= k <= end;
          loop invariant range: base <= head < tail <= n && \at(tail, Pre) <= tail;
          loop invariant u_queued: 0 <= u < n && pos[u] == head;
          loop invariant permutation: perm(n, order, pos);
          loop invariant closed: closed_below(n, offsets, targets, pos, head, tail);
          loop invariant u_partly_closed:
            \forall integer j; offsets[u] <= j < k ==> pos[targets[j]] < tail;
          loop invariant precise:
            precise(kind, n, offsets, targets, roots, legacy, pos, base, tail);
          loop invariant within:
            precise_within(kind, n, offsets, targets, roots, legacy, pos, base, tail);
          loop invariant stable:
            \forall integer v; 0 <= v < n && \at(pos[v], Pre) < \at(tail, Pre) ==>
              pos[v] == \at(pos[v], Pre);
          loop invariant still_white:
            \forall integer v; 0 <= v < n && \at(pos[v], Pre) >= \at(tail, Pre) ==>
              pos[v] >= \at(tail, Pre);
          loop assigns k, tail, order[0 .. n - 1], pos[0 .. n - 1];
          loop variant end - k;
        */
        for (uint32_t k = offsets[u]; k < end; k++) {
            const int32_t t = (int32_t)targets[k];
            if (pos[t] >= tail) {
                /*@ assert u_reached: Reach(kind, n, offsets, targets, roots, legacy, u); */
                /*@ assert t_edge: edge(n, offsets, u, k) && t == targets[k]; */
                /*@ assert t_reached: Reach(kind, n, offsets, targets, roots, legacy, t); */
                /*@ assert u_within:
                      reach_within(kind, n, offsets, targets, roots, legacy, tail - base, u); */
                /*@ assert t_within:
                      reach_within(kind, n, offsets, targets, roots, legacy, tail - base + 1, t); */
                vgc_discover(n, order, pos, tail, t);
                /* Helpers for closed (kept fast): the scanned objects did not move, and neither
                 * did anything that was queued. */
                /*@ assert scanned_stay:
                      \forall integer x; 0 <= x < n && pos[x] < head ==>
                        pos[x] == \at(pos[x], LoopCurrent); */
                /*@ assert queued_stay:
                      \forall integer x; 0 <= x < n && \at(pos[x], LoopCurrent) < tail ==>
                        pos[x] == \at(pos[x], LoopCurrent); */
                /*@ assert closed_kept:
                      \forall integer x, j; edge(n, offsets, x, j) && pos[x] < head ==>
                        pos[targets[j]] < tail; */
                tail++;
            }
        }
        /*@ assert u_unique: \forall integer x; 0 <= x < n && pos[x] == head ==> x == u; */
        /*@ assert u_closed:
              \forall integer j; edge(n, offsets, u, j) ==> pos[targets[j]] < tail; */
        head++;
    }
    return tail;
}

/* ---- move_unreachable ----------------------------------------------------------------------- */

int32_t vgc_move_unreachable(int32_t n, const uint32_t *offsets, const uint32_t *targets,
                             const uint8_t *roots, int32_t *order, int32_t *pos)
{
    /*@
      loop invariant v_range: 0 <= v <= n;
      loop invariant identity: \forall integer j; 0 <= j < v ==> order[j] == j && pos[j] == j;
      loop assigns v, order[0 .. n - 1], pos[0 .. n - 1];
      loop variant n - v;
    */
    for (int32_t v = 0; v < n; v++) {
        order[v] = v;
        pos[v] = v;
    }

    /* The roots, in index order, become the initial queue. */
    int32_t tail = 0;
    /*@
      loop invariant v_range: 0 <= tail <= v <= n;
      loop invariant permutation: perm(n, order, pos);
      loop invariant roots_so_far:
        \forall integer x; 0 <= x < n ==> (pos[x] < tail <==> (x < v && roots[x] != 0));
      loop assigns v, tail, order[0 .. n - 1], pos[0 .. n - 1];
      loop variant n - v;
    */
    for (int32_t v = 0; v < n; v++) {
        if (roots[v] != 0) {
            vgc_discover(n, order, pos, tail, v);
            tail++;
        }
    }
    const int32_t live = vgc_propagate(VGC_SEEDS_ROOTS, n, offsets, targets, roots,
                                       (const uint8_t *)0, 0, tail, order, pos);

    /* Ghost (no code): two inductions on the bound d, each step one unfolding of reach_within.
     * First, a marked object is reached within live edges (vgc_propagate's `within`), so within
     * any d in live .. n.  Second, for d = 0 .. n, every object reachable from a root within d
     * edges is marked (roots_marked and closed). */
    /*@ ghost int32_t b = live; */
    /*@ ghost
      /@ loop invariant b_range: live <= b <= n;
         loop invariant marked_within:
           \forall integer v; 0 <= v < n && pos[v] < live ==>
             reach_within(VGC_SEEDS_ROOTS, n, offsets, targets, roots, (uint8_t *)\null, b, v);
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
             reach_within(VGC_SEEDS_ROOTS, n, offsets, targets, roots, (uint8_t *)\null, d, v) ==>
             pos[v] < live;
         loop assigns d;
         loop variant n - d;
      @/
      while (d < n) d++;
    */
    return live;
}

/* ---- move_legacy_finalizer_reachable -------------------------------------------------------- */

int32_t vgc_move_legacy_finalizer_reachable(int32_t n, const uint32_t *offsets,
                                            const uint32_t *targets, const uint8_t *legacy,
                                            int32_t live, int32_t *order, int32_t *pos)
{
    /* Unreachable objects with a legacy finalizer, in index order, become the initial queue;
     * the live prefix is already closed, so the search never leaves the unreachable set. */
    int32_t tail = live;
    /*@
      loop invariant v_range: 0 <= v <= n && live <= tail <= n;
      loop invariant permutation: perm(n, order, pos);
      loop invariant live_unchanged:
        \forall integer x; 0 <= x < n && \at(pos[x], Pre) < live ==> pos[x] == \at(pos[x], Pre);
      loop invariant unreachable_stay:
        \forall integer x; 0 <= x < n && \at(pos[x], Pre) >= live ==> pos[x] >= live;
      loop invariant seeded:
        \forall integer x; 0 <= x < v && legacy[x] != 0 && pos[x] >= live ==> pos[x] < tail;
      loop invariant seeds_only:
        \forall integer x; 0 <= x < n && live <= pos[x] < tail ==> legacy[x] != 0;
      loop invariant live_closed: closed_below(n, offsets, targets, pos, live, live);
      loop assigns v, tail, order[0 .. n - 1], pos[0 .. n - 1];
      loop variant n - v;
    */
    for (int32_t v = 0; v < n; v++) {
        if (legacy[v] != 0 && pos[v] >= tail) {
            vgc_discover(n, order, pos, tail, v);
            tail++;
        }
    }
    const int32_t kept = vgc_propagate(VGC_SEEDS_LEGACY, n, offsets, targets,
                                       (const uint8_t *)0, legacy, live, tail, order, pos);

    /* Ghost (no code), as in vgc_move_unreachable: a held object is reached from a legacy
     * finalizer within kept - live edges, so within any d in kept - live .. n; and for
     * d = 0 .. n, every object reachable from a legacy finalizer within d edges is marked
     * (pos < kept). */
    /*@ ghost int32_t b = kept - live; */
    /*@ ghost
      /@ loop invariant b_range: kept - live <= b <= n;
         loop invariant held_within:
           \forall integer v; 0 <= v < n && live <= pos[v] < kept ==>
             reach_within(VGC_SEEDS_LEGACY, n, offsets, targets, (uint8_t *)\null, legacy, b, v);
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
             reach_within(VGC_SEEDS_LEGACY, n, offsets, targets, (uint8_t *)\null, legacy, d, v)
             ==> pos[v] < kept;
         loop assigns d;
         loop variant n - d;
      @/
      while (d < n) d++;
    */
    return kept;
}

/* ---- output --------------------------------------------------------------------------------- */

int32_t vgc_select(int32_t n, const int32_t *pos, int32_t lo, int32_t hi, int32_t *out)
{
    int32_t count = 0;
    /*@
      loop invariant v_range: 0 <= count <= v <= n;
      loop invariant selected:
        \forall integer j; 0 <= j < count ==> 0 <= out[j] < v && lo <= pos[out[j]] < hi;
      loop invariant ascending:
        \forall integer i, j; 0 <= i < j < count ==> out[i] < out[j];
      loop invariant complete:
        \forall integer x; 0 <= x < v && lo <= pos[x] < hi ==>
          \exists integer j; 0 <= j < count && out[j] == x;
      loop assigns v, count, out[0 .. n - 1];
      loop variant n - v;
    */
    for (int32_t v = 0; v < n; v++) {
        if (lo <= pos[v] && pos[v] < hi) {
            out[count] = v;
            count++;
        }
    }
    return count;
}
