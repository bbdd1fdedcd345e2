/* vgc_replay.c — the replay of CPython's move_unreachable order (contract:
 * include/vgc_replay.h).  PROVED with Frama-C WP (-wp-rte, make prove).  Pointer-free: arrays of
 * the snapshot (CSR) and of the replay's states.
 */
#include "vgc_replay.h"

/* Scan v: its ZERO targets become POSITIVE, its TENTATIVE targets are appended to the queue
 * (moved[len ..]) and become POSITIVE; returns the queue's new length.  The queue holds distinct
 * objects, so it never exceeds n; the check `l < n` keeps that counting argument out of the
 * proof (a target it left TENTATIVE would be relinked in list order after the others). */
/*@
  requires snapshot:  csr_ok(n, offsets, targets);
  requires v_range:   0 <= v < n;
  requires len_ok:    0 <= len <= n;
  requires state_ok:  \valid(state + (0 .. n - 1));
  requires moved_ok:  \valid(moved + (0 .. n - 1));
  requires separation:
    \separated(state + (0 .. n - 1), moved + (0 .. n - 1), offsets + (0 .. n),
               targets + (0 .. offsets[n] - 1));
  requires queue:     \forall integer q; 0 <= q < len ==>
    0 <= moved[q] < n && state[moved[q]] != VGC_REPLAY_TENTATIVE;
  requires distinct:  \forall integer p, q; 0 <= p < q < len ==> moved[p] != moved[q];
  assigns state[0 .. n - 1], moved[len .. n - 1];
  ensures len_ok:     len <= \result <= n;
  ensures queue:      \forall integer q; 0 <= q < \result ==>
    0 <= moved[q] < n && state[moved[q]] != VGC_REPLAY_TENTATIVE;
  ensures appended:   \forall integer q; len <= q < \result ==>
    state[moved[q]] == VGC_REPLAY_POSITIVE;
  ensures appended_was: \forall integer q; len <= q < \result ==>
    \let t = moved[q]; \old(state[t]) == VGC_REPLAY_TENTATIVE;
  ensures distinct:   \forall integer p, q; 0 <= p < q < \result ==> moved[p] != moved[q];
  ensures same_or_up: \forall integer i; 0 <= i < n ==>
    state[i] == \old(state[i]) || state[i] == VGC_REPLAY_POSITIVE;
  ensures up_from:    \forall integer i; 0 <= i < n && state[i] != \old(state[i]) ==>
    \old(state[i]) == VGC_REPLAY_ZERO || \old(state[i]) == VGC_REPLAY_TENTATIVE;
*/
static int32_t vgc_replay_scan(int32_t n, int32_t v, const uint32_t *offsets,
                               const uint32_t *targets, uint8_t *state, int32_t *moved,
                               int32_t len)
{
    int32_t l = len;
    uint32_t end = offsets[v + 1];
    /*@ loop invariant k_range: offsets[v] <= k <= end;
        loop invariant len_ok:  len <= l <= n;
        loop invariant queue:   \forall integer q; 0 <= q < l ==>
          0 <= moved[q] < n && state[moved[q]] != VGC_REPLAY_TENTATIVE;
        loop invariant appended: \forall integer q; len <= q < l ==>
          state[moved[q]] == VGC_REPLAY_POSITIVE;
        loop invariant appended_was: \forall integer q; len <= q < l ==>
          \let t = moved[q]; \at(state[t], Pre) == VGC_REPLAY_TENTATIVE;
        loop invariant distinct: \forall integer p, q; 0 <= p < q < l ==> moved[p] != moved[q];
        loop invariant same_or_up: \forall integer i; 0 <= i < n ==>
          state[i] == \at(state[i], Pre) || state[i] == VGC_REPLAY_POSITIVE;
        loop invariant up_from: \forall integer i; 0 <= i < n && state[i] != \at(state[i], Pre) ==>
          \at(state[i], Pre) == VGC_REPLAY_ZERO || \at(state[i], Pre) == VGC_REPLAY_TENTATIVE;
        loop assigns k, l, state[0 .. n - 1], moved[len .. n - 1];
        loop variant end - k; */
    for (uint32_t k = offsets[v]; k < end; k++) {
        uint32_t t = targets[k];
        if (state[t] == VGC_REPLAY_TENTATIVE && l < n) {   /* moved back, to the end */
            /*@ assert fresh: \forall integer q; 0 <= q < l ==> moved[q] != t; */
            state[t] = VGC_REPLAY_POSITIVE;
            moved[l] = (int32_t)t;
            /*@ assert new_distinct: \forall integer p; 0 <= p < l ==> moved[p] != moved[l]; */
            l++;
        }
        else if (state[t] == VGC_REPLAY_ZERO) {
            state[t] = VGC_REPLAY_POSITIVE;
        }
    }
    return l;
}

int32_t vgc_replay_order(int32_t n, const uint32_t *offsets, const uint32_t *targets,
                         uint8_t *state, int32_t *moved)
{
    int32_t len = 0;
    /*@ loop invariant v_range: 0 <= v <= n;
        loop invariant len_ok:  0 <= len <= n;
        loop invariant walked:  \forall integer i; 0 <= i < v ==>
          state[i] == VGC_REPLAY_TENTATIVE || state[i] == VGC_REPLAY_SCANNED ||
          state[i] == VGC_REPLAY_POSITIVE;
        loop invariant ahead:   \forall integer i; v <= i < n ==>
          state[i] == VGC_REPLAY_ZERO || state[i] == VGC_REPLAY_POSITIVE;
        loop invariant roots:   \forall integer i; 0 <= i < v &&
          \at(state[i], Pre) == VGC_REPLAY_POSITIVE ==> state[i] == VGC_REPLAY_SCANNED;
        loop invariant roots_ahead: \forall integer i; v <= i < n &&
          \at(state[i], Pre) == VGC_REPLAY_POSITIVE ==> state[i] == VGC_REPLAY_POSITIVE;
        loop invariant queue:   \forall integer q; 0 <= q < len ==>
          0 <= moved[q] < v && state[moved[q]] == VGC_REPLAY_POSITIVE;
        loop invariant distinct: \forall integer p, q; 0 <= p < q < len ==> moved[p] != moved[q];
        loop assigns v, len, state[0 .. n - 1], moved[0 .. n - 1];
        loop variant n - v; */
    for (int32_t v = 0; v < n; v++) {                  /* the walk over the list itself */
        if (state[v] == VGC_REPLAY_ZERO) {
            state[v] = VGC_REPLAY_TENTATIVE;           /* to the unreachable list */
        }
        else {                                         /* POSITIVE */
            len = vgc_replay_scan(n, v, offsets, targets, state, moved, len);
            state[v] = VGC_REPLAY_SCANNED;
        }
    }
    /*@ loop invariant q_range: 0 <= q <= len <= n;
        loop invariant domain:  \forall integer i; 0 <= i < n ==>
          state[i] == VGC_REPLAY_TENTATIVE || state[i] == VGC_REPLAY_SCANNED ||
          state[i] == VGC_REPLAY_POSITIVE || state[i] == VGC_REPLAY_MOVED;
        loop invariant roots:   \forall integer i; 0 <= i < n &&
          \at(state[i], Pre) == VGC_REPLAY_POSITIVE ==> state[i] == VGC_REPLAY_SCANNED;
        loop invariant queue_in: \forall integer p; 0 <= p < len ==> 0 <= moved[p] < n;
        loop invariant done:    \forall integer p; 0 <= p < q ==> state[moved[p]] == VGC_REPLAY_MOVED;
        loop invariant todo:    \forall integer p; q <= p < len ==> state[moved[p]] == VGC_REPLAY_POSITIVE;
        loop invariant distinct: \forall integer p, r; 0 <= p < r < len ==> moved[p] != moved[r];
        loop invariant moved_queued: \forall integer i; 0 <= i < n &&
          state[i] == VGC_REPLAY_MOVED ==> in_queue(moved, 0, q, i);
        loop assigns q, len, state[0 .. n - 1], moved[0 .. n - 1];
        loop variant n - q; */
    for (int32_t q = 0; q < len; q++) {                /* ... and over what it re-appended */
        int32_t v = moved[q];
        len = vgc_replay_scan(n, v, offsets, targets, state, moved, len);
        /*@ assert v_pending: state[v] == VGC_REPLAY_POSITIVE; */
        /*@ assert prefix_kept: \forall integer p; 0 <= p <= q ==>
              moved[p] == \at(moved[p], LoopCurrent); */
        /*@ assert moved_before: \forall integer i; 0 <= i < n && state[i] == VGC_REPLAY_MOVED ==>
              \at(state[i], LoopCurrent) == VGC_REPLAY_MOVED; */
        /*@ assert moved_still_queued: \forall integer i; 0 <= i < n &&
              state[i] == VGC_REPLAY_MOVED ==> in_queue(moved, 0, q, i); */
        /*@ assert moved_queued_wider: \forall integer i; 0 <= i < n &&
              state[i] == VGC_REPLAY_MOVED ==> in_queue(moved, 0, q + 1, i); */
        state[v] = VGC_REPLAY_MOVED;
        /*@ assert v_queued: in_queue(moved, 0, q + 1, v); */
        /*@ assert others_queued: \forall integer i; 0 <= i < n && i != v &&
              state[i] == VGC_REPLAY_MOVED ==> in_queue(moved, 0, q + 1, i); */
    }
    return len;
}
