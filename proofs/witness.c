/* witness.c — non-vacuity witness for the core's contracts.  In proof scope (make prove).
 * It calls every core function on one concrete snapshot: WP must prove that each call's
 * `requires` clauses hold here, so none of the contracts is vacuous (a contract whose
 * preconditions could never hold would make every theorem trivially true).
 * The snapshot: 0 <-> 1 a cycle also held from outside, 2 a self-loop with a legacy finalizer,
 * 3 -> 2 unreferenced.  Never compiled into the library. */
#include "vgc_core.h"

/*@ assigns \nothing; */
int32_t vgc_witness(void)
{
    const uint32_t off[5] = {0, 1, 2, 3, 4};
    const uint32_t tgt[4] = {1, 0, 2, 2};
    int64_t refs[4] = {2, 1, 2, 0};
    const uint8_t legacy[4] = {0, 0, 1, 0};
    uint8_t roots[4];
    int32_t order[4], pos[4], out[4];

    int32_t bad = vgc_update_refs(4, off, tgt, refs, roots);
    int32_t live = vgc_move_unreachable(4, off, tgt, roots, order, pos);
    int32_t kept = vgc_move_legacy_finalizer_reachable(4, off, tgt, legacy, live, order, pos);
    int32_t m = vgc_select(4, pos, kept, 4, out);
    /*@ assert exact: refs[0] == 1 && refs[1] == 0 && refs[2] == 0 && refs[3] == 0; */
    /*@ assert consistent: bad == 0; */
    /*@ assert roots: roots[0] != 0 && roots[1] == 0 && roots[2] == 0 && roots[3] == 0; */
    /*@ assert root_kept: pos[0] < live; */
    return bad + live + kept + m;
}
