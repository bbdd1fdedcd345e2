/* vgc_replay.h — the replay of CPython's move_unreachable order, in proof scope
 * (src/vgc_replay.c, `make prove`; SPEC.md §7).  The reachable SET is the core's
 * (vgc_move_unreachable); this replays the ORDER CPython's walk leaves the reachable objects in
 * (gc.get_objects()'s order, later the order of weakref callbacks and finalizers): objects met
 * with gc_refs == 0 go tentatively to the unreachable list and, when a later-scanned object
 * refers to them, are re-appended at the end of the reachable list and scanned from there.
 * The CPython adapter relinks the objects by the states and the queue this leaves.
 */
#ifndef VGC_REPLAY_H
#define VGC_REPLAY_H

#include <stdint.h>

#include "../spec/vgc_graph.acsl"

/* state[v] */
#define VGC_REPLAY_ZERO      0   /* gc_refs == 0, not yet met (input: not a root) */
#define VGC_REPLAY_POSITIVE  1   /* reachable, not yet scanned (input: a root) */
#define VGC_REPLAY_TENTATIVE 2   /* met with gc_refs == 0, on the unreachable list so far */
#define VGC_REPLAY_SCANNED   3   /* scanned where it stands in the list */
#define VGC_REPLAY_MOVED     4   /* re-appended at the end, then scanned */

/*@
  // v is one of moved[lo .. hi - 1]
  predicate in_queue{L}(int32_t *moved, integer lo, integer hi, integer v) =
    \exists integer q; lo <= q < hi && moved[q] == v;

  // in_queue depends only on moved[lo .. hi - 1]
  lemma in_queue_frame{L1, L2}: \forall int32_t *m, integer lo, hi, v;
    (\forall integer p; lo <= p < hi ==> \at(m[p], L1) == \at(m[p], L2)) ==>
    in_queue{L1}(m, lo, hi, v) ==> in_queue{L2}(m, lo, hi, v);

  // ... and holds on any longer range
  lemma in_queue_grow{L}: \forall int32_t *m, integer lo, hi, hi2, v;
    hi <= hi2 ==> in_queue(m, lo, hi, v) ==> in_queue(m, lo, hi2, v);
*/

/* The replay: a walk over the objects in list order (index order) — a ZERO object becomes
 * TENTATIVE, a POSITIVE one is scanned and becomes SCANNED — then over the re-appended queue
 * moved[] (each scanned, MOVED).  Scanning an object makes its ZERO targets POSITIVE and appends
 * its TENTATIVE targets to the queue (POSITIVE).  Returns the queue's length. */
/*@
  requires snapshot:  csr_ok(n, offsets, targets);
  requires state_ok:  \valid(state + (0 .. n - 1));
  requires moved_ok:  \valid(moved + (0 .. n - 1));
  requires separation:
    \separated(state + (0 .. n - 1), moved + (0 .. n - 1), offsets + (0 .. n),
               targets + (0 .. offsets[n] - 1));
  requires input: \forall integer i; 0 <= i < n ==>
    state[i] == VGC_REPLAY_ZERO || state[i] == VGC_REPLAY_POSITIVE;
  assigns state[0 .. n - 1], moved[0 .. n - 1];
  ensures length:   0 <= \result <= n;
  ensures queue:    \forall integer q; 0 <= q < \result ==>
    0 <= moved[q] < n && state[moved[q]] == VGC_REPLAY_MOVED;
  ensures distinct: \forall integer p, q; 0 <= p < q < \result ==> moved[p] != moved[q];
  ensures moved_queued: \forall integer i; 0 <= i < n && state[i] == VGC_REPLAY_MOVED ==>
    in_queue(moved, 0, \result, i);
  ensures roots_scanned: \forall integer i; 0 <= i < n && \old(state[i]) == VGC_REPLAY_POSITIVE ==>
    state[i] == VGC_REPLAY_SCANNED;
  ensures final: \forall integer i; 0 <= i < n ==>
    state[i] == VGC_REPLAY_TENTATIVE || state[i] == VGC_REPLAY_SCANNED ||
    state[i] == VGC_REPLAY_POSITIVE || state[i] == VGC_REPLAY_MOVED;
*/
int32_t vgc_replay_order(int32_t n, const uint32_t *offsets, const uint32_t *targets,
                         uint8_t *state, int32_t *moved);

#endif /* VGC_REPLAY_H */
