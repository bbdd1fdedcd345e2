/* vgc_hookstate.h — the hook's start/stop state machine over plain integers: public contracts.
 * In proof scope (src/vgc_hookstate.c, `make prove`).  The CPython adapter's hook
 * (src/cpython/hook.c) is called by CPython's gc.callbacks with "start" and "stop" around each of
 * CPython's collections; these functions decide what it does and keep its integers (the state,
 * CPython's counts and stats saved at "start" and restored at "stop", vgc's counters); the hook
 * executes the decisions on CPython's lists.  Logic: spec/vgc_hookstate.acsl; SPEC.md §7.
 *
 * The protocol, one collection: vgc_hs_start_plan at "start" (finish a pending collection first:
 * its "stop" was lost), vgc_hs_begin, vgc's collection, vgc_hs_started (COLLECTED or
 * FELL_BACK); then vgc_hs_finish exactly once: at "stop", or at the next entry that finds the
 * collection pending outside CPython's collecting state (vgc_hs_heal_due), or at the next
 * "start".  vgc_hs_begin requires IDLE and vgc_hs_finish leaves IDLE, so no collection is left
 * unfinished and none is finished twice.
 */
#ifndef VGC_HOOKSTATE_H
#define VGC_HOOKSTATE_H

#include <limits.h>
#include <stdint.h>

#define VGC_HS_NGEN 3                 /* CPython's generations 0, 1, 2 */

/* vgc_hookstate.pending */
#define VGC_HS_IDLE      0            /* no collection between "start" and "stop" */
#define VGC_HS_COLLECTED 1            /* vgc collected; the lists are aside until "stop" */
#define VGC_HS_FELL_BACK 2            /* vgc could not take the snapshot: CPython's pass collects */

/* vgc_hs_start_plan's answer: a sum of these */
#define VGC_HS_START_FINISH  1        /* finish the pending collection first (lost "stop") */
#define VGC_HS_START_COLLECT 2        /* the generation is one: begin the collection */

/* CPython's integers around one collection of generation `gen` (copied from and to gcstate by
 * the adapter): the three counts, long_lived_*, and generation_stats[gen]'s two figures. */
struct vgc_hs_numbers {
    int count[VGC_HS_NGEN];
    int64_t long_lived_total, long_lived_pending;
    int64_t collected, uncollectable;
};

struct vgc_hookstate {
    int pending;                      /* VGC_HS_IDLE, VGC_HS_COLLECTED or VGC_HS_FELL_BACK */
    int in_start;                     /* 1 between vgc_hs_begin and vgc_hs_started */
    int gen;                          /* the generation of the pending collection */
    struct vgc_hs_numbers saved;      /* CPython's numbers after vgc's collection at "start" */
    int64_t m, n;                     /* vgc's collected / uncollectable of the pending collection */
    int64_t last_result;              /* the last finished collection's m + n; -1: a fallback */
    int64_t fallbacks;                /* collections CPython's collector did */
    int64_t fallback_collected;       /* objects CPython's collector found in those */
    int64_t cpython_collected;        /* objects CPython's pass found after vgc's collection */
    int64_t lost_stops;               /* collections finished without their "stop" */
    int64_t policy_agreed, policy_differed;   /* proved selection vs CPython's generation */
};

#include "../spec/vgc_hookstate.acsl"

/* The state at install: IDLE, every figure 0. */
/*@
  requires valid: \valid(s);
  assigns *s;
  ensures state: hs_ok(s);
  ensures idle:  s->pending == VGC_HS_IDLE && s->in_start == 0;
  ensures zero:  s->fallbacks == 0 && s->fallback_collected == 0 && s->cpython_collected == 0 &&
                 s->lost_stops == 0 && s->policy_agreed == 0 && s->policy_differed == 0 &&
                 s->last_result == 0;
*/
void vgc_hs_init(struct vgc_hookstate *s);

/* Whether the hook acts on a call at all: only while installed, inside CPython's collection
 * (`collecting`), and not inside a start being handled (no nested start).  Any other call
 * changes nothing (the adapter returns None at once). */
/*@
  requires valid: \valid_read(s);
  assigns \nothing;
  ensures accept: \result != 0 <==> (installed != 0 && collecting != 0 && s->in_start == 0);
*/
int vgc_hs_accept(const struct vgc_hookstate *s, int installed, int collecting);

/* At an entry that reads or changes the lists, counts or stats: whether a collection is pending
 * outside CPython's collecting state and outside a start — its "stop" was lost, and it must be
 * finished now (vgc_hs_finish with lost = 1). */
/*@
  requires valid: \valid_read(s);
  assigns \nothing;
  ensures heal: \result != 0 <==> (s->pending != VGC_HS_IDLE && collecting == 0 && s->in_start == 0);
*/
int vgc_hs_heal_due(const struct vgc_hookstate *s, int collecting);

/* "start" of a collection of `generation` (-1 when info had none): a start while a collection is
 * pending first finishes that one (its "stop" was lost); a collection begins only for a
 * generation 0 .. 2. */
/*@
  requires valid: \valid_read(s);
  assigns \nothing;
  ensures plan: \result == (s->pending != VGC_HS_IDLE ? VGC_HS_START_FINISH : 0) +
                           (0 <= generation < VGC_HS_NGEN ? VGC_HS_START_COLLECT : 0);
*/
int vgc_hs_start_plan(const struct vgc_hookstate *s, int generation);

/* The collection of `generation` begins (before the user's start callbacks): only from IDLE,
 * so the previous collection was finished. */
/*@
  requires valid:   \valid(s);
  requires state:   hs_ok(s);
  requires idle:    s->pending == VGC_HS_IDLE && s->in_start == 0;
  requires g_range: 0 <= generation < VGC_HS_NGEN;
  assigns s->in_start, s->gen;
  ensures state:    hs_ok(s);
  ensures starting: s->in_start == 1 && s->gen == generation;
*/
void vgc_hs_begin(struct vgc_hookstate *s, int generation);

/* The proved selection's choice against CPython's generation (every collection not started by
 * vgc's own collect()). */
/*@
  requires valid: \valid(s);
  assigns s->policy_agreed, s->policy_differed;
  ensures agreed:   choice == generation ==>
    s->policy_agreed == clamp64(\old(s->policy_agreed) + 1) &&
    s->policy_differed == \old(s->policy_differed);
  ensures differed: choice != generation ==>
    s->policy_differed == clamp64(\old(s->policy_differed) + 1) &&
    s->policy_agreed == \old(s->policy_agreed);
*/
void vgc_hs_policy(struct vgc_hookstate *s, int choice, int generation);

/* vgc's collection at "start" is over: `ok` when it collected (vgc's figures m, n), 0 when it
 * could not take the snapshot (CPython's pass then collects).  `now`: CPython's numbers after
 * vgc's collection, saved to be restored at "stop" (CPython's pass on empty lists changes them). */
/*@
  requires valid:    \valid(s) && \valid_read(now) && \separated(s, now);
  requires state:    hs_ok(s);
  requires starting: s->in_start == 1 && s->pending == VGC_HS_IDLE;
  assigns s->pending, s->in_start, s->saved, s->m, s->n, s->fallbacks;
  ensures state:     hs_ok(s);
  ensures started:   s->in_start == 0 && s->gen == \old(s->gen);
  ensures saved_stats: s->saved.collected == now->collected &&
                       s->saved.uncollectable == now->uncollectable;
  behavior collected:
    assumes ok != 0;
    ensures pending:     s->pending == VGC_HS_COLLECTED;
    ensures saved_counts: \forall integer i; 0 <= i < VGC_HS_NGEN ==> s->saved.count[i] == now->count[i];
    ensures saved_long_lived: s->saved.long_lived_total == now->long_lived_total &&
                              s->saved.long_lived_pending == now->long_lived_pending;
    ensures figures:     s->m == m && s->n == n;
    ensures fallbacks:   s->fallbacks == \old(s->fallbacks);
  behavior fell_back:
    assumes ok == 0;
    ensures pending:     s->pending == VGC_HS_FELL_BACK;
    ensures fallbacks:   s->fallbacks == clamp64(\old(s->fallbacks) + 1);
  complete behaviors;
  disjoint behaviors;
*/
void vgc_hs_started(struct vgc_hookstate *s, int ok, const struct vgc_hs_numbers *now,
                    int64_t m, int64_t n);

/* The end of the pending collection: at "stop" (lost = 0) or at the next entry or "start" that
 * finds it pending after its "stop" was lost (lost = 1).  `now`: CPython's numbers at this point
 * (its pass on empty lists has run); on return, the numbers the adapter writes back after it has
 * put the lists back (COLLECTED only): the counts saved at "start" with the objects that arrived
 * since (generation 0's count now) added to generation 0, long_lived_* as saved, and vgc's
 * figures added to the stats.  Returns the state it finished (IDLE: nothing was pending). */
/*@
  requires valid: \valid(s) && \valid(now) && \separated(s, now);
  requires state: hs_ok(s);
  assigns s->pending, s->fallback_collected, s->cpython_collected, s->last_result, s->lost_stops,
          *now;
  ensures state:  hs_ok(s);
  ensures idle:   s->pending == VGC_HS_IDLE;
  ensures result: \result == \old(s->pending);
  behavior nothing_pending:
    assumes s->pending == VGC_HS_IDLE;
    assigns \nothing;
  behavior fell_back:
    assumes s->pending == VGC_HS_FELL_BACK;
    assigns s->pending, s->fallback_collected, s->last_result, s->lost_stops;
    ensures found:  s->fallback_collected == clamp64(\old(s->fallback_collected) +
      hs_found(now->collected, now->uncollectable, s->saved.collected, s->saved.uncollectable));
    ensures cpython_result: s->last_result == -1;
    ensures lost:     lost != 0 ==> s->lost_stops == clamp64(\old(s->lost_stops) + 1);
    ensures not_lost: lost == 0 ==> s->lost_stops == \old(s->lost_stops);
  behavior collected:
    assumes s->pending == VGC_HS_COLLECTED;
    assigns s->pending, s->cpython_collected, s->last_result, s->lost_stops, *now;
    ensures found:  s->cpython_collected == clamp64(\old(s->cpython_collected) +
      hs_found(\old(now->collected), \old(now->uncollectable),
               s->saved.collected, s->saved.uncollectable));
    ensures counts_restored: \forall integer i; 1 <= i < VGC_HS_NGEN ==>
      now->count[i] == s->saved.count[i];
    ensures arrived: now->count[0] == clampint(s->saved.count[0] + \old(now->count[0]));
    ensures long_lived_restored: now->long_lived_total == s->saved.long_lived_total &&
                                 now->long_lived_pending == s->saved.long_lived_pending;
    ensures stats:  now->collected == clamp64(\old(now->collected) + s->m) &&
                    now->uncollectable == clamp64(\old(now->uncollectable) + s->n);
    ensures vgc_result: s->last_result == clamp64(s->m + s->n);
    ensures lost:     lost != 0 ==> s->lost_stops == clamp64(\old(s->lost_stops) + 1);
    ensures not_lost: lost == 0 ==> s->lost_stops == \old(s->lost_stops);
  complete behaviors;
  disjoint behaviors;
*/
int vgc_hs_finish(struct vgc_hookstate *s, struct vgc_hs_numbers *now, int lost);

/* A "stop" with nothing pending: CPython collected without vgc seeing "start" (it could not
 * build that call), so its own collector did this one: a fallback, with the objects its "stop"
 * reports. */
/*@
  requires valid: \valid(s);
  assigns s->fallbacks, s->fallback_collected;
  ensures fallbacks: s->fallbacks == clamp64(\old(s->fallbacks) + 1);
  ensures found:     s->fallback_collected ==
                     clamp64(\old(s->fallback_collected) + clamp64(collected + uncollectable));
*/
void vgc_hs_stop_unseen(struct vgc_hookstate *s, int64_t collected, int64_t uncollectable);

#endif /* VGC_HOOKSTATE_H */
