/* witness_inplace.c — non-vacuity witness for the in-place core's contracts (include/
 * vgc_inplace.h).  In proof scope (make prove).  It calls the three phases on concrete ghost
 * graphs, so WP must prove that each call's `requires` hold there.  The graph: 0 <-> 1 a cycle
 * also held from outside (refcounts 2 and 1), 2 a self-loop nothing else holds; phase 3's own
 * graph below.  What this does
 * not show: that the host interface's own contracts (vgc_ip_*) can be implemented together; a
 * reference implementation over arrays, proved against them, would.  Never compiled. */
#include "vgc_inplace.h"

/* The host's object, completed here only so that the witness can have three of them. */
struct vgc_ip_obj { int header; };

/*@ assigns vgc_ip_gr[0 .. 2], vgc_ip_st[0 .. 2]; */
int32_t vgc_witness_inplace(void)
{
    vgc_ip_obj a, b, c;
    vgc_ip_obj *hdl[3] = {&a, &b, &c};
    /* the ghost graph, held in ordinary arrays (the witness is never compiled) */
    uint32_t off[4] = {0, 1, 2, 3};
    uint32_t tgt[3] = {1, 0, 2};
    uint8_t rt[3] = {0, 0, 0};
    /*@ ghost vgc_ip_gr[0] = 2; */
    /*@ ghost vgc_ip_gr[1] = 1; */
    /*@ ghost vgc_ip_gr[2] = 1; */
    vgc_ip_subtract_refs() /*@ ghost (3, off, tgt, hdl) */;
    /*@ assert exact: vgc_ip_gr[0] == 1 && vgc_ip_gr[1] == 0 && vgc_ip_gr[2] == 0; */
    rt[0] = 1;
    int32_t live = vgc_ip_move_unreachable() /*@ ghost (3, off, tgt, hdl, rt) */;
    /*@ assert root_kept: vgc_ip_st[0] == IP_SC && 1 <= live <= 3; */
    /* Phase 3 on an unreachable list of three: 0 has a legacy finalizer and reaches 1; 2 is
     * garbage alone. */
    uint32_t off3[4] = {0, 1, 1, 1};
    uint32_t tgt3[1] = {1};
    uint8_t lg[3] = {1, 0, 0};
    int32_t held = vgc_ip_move_legacy_finalizers() /*@ ghost (3, off3, tgt3, hdl, lg) */;
    /*@ assert legacy_held: vgc_ip_st[0] == IP_FS && 0 <= held <= 3; */
    /*@ assert edge_0_1: edge(3, &off3[0], 0, 0) && tgt3[0] == 1; */
    /*@ assert legacy_closure: vgc_ip_st[1] == IP_FS; */
    return live + held;
}
