/* demo_core.c — the core on a small object graph: which objects are cyclic garbage, and why.
 * Not in proof scope; `make run` uses it until the Python extension lands. */
#include "vgc_core.h"

#include <stdio.h>

int main(void)
{
    /* 8 objects.  0 is a module dict (referenced from outside) holding 1 and 2.
     * 3 <-> 4 is an unreferenced cycle, 5 a self-loop, 6 -> 7 -> 6 a cycle whose 6 has a legacy
     * finalizer (__del__ via tp_del), and 2 -> 3: live objects never point into garbage, so 2
     * keeps 3 and 4 alive.  Objects: name, refcount, references. */
    static const char *name[] = {"module", "list", "obj", "a", "b", "selfloop", "legacy", "c"};
    int64_t refs[]       = {1, 1, 1, 2, 1, 1, 1, 1};
    const uint32_t off[] = {0, 2, 2, 3, 4, 5, 6, 7, 8};
    const uint32_t tgt[] = {1, 2, /*obj*/ 3, /*a*/ 4, /*b*/ 3, /*selfloop*/ 5, 7, 6};
    const uint8_t legacy[] = {0, 0, 0, 0, 0, 0, 1, 0};
    uint8_t roots[8];
    int32_t order[8], pos[8], out[8];
    const int32_t n = 8;

    int32_t bad = vgc_update_refs(n, off, tgt, refs, roots);
    int32_t live = vgc_move_unreachable(n, off, tgt, roots, order, pos);
    int32_t kept = vgc_move_legacy_finalizer_reachable(n, off, tgt, legacy, live, order, pos);

    printf("vgc core demo: %d objects, %u references, %d inconsistent\n", n, off[n], bad);
    for (int32_t v = 0; v < n; v++)
        printf("  %-9s gc_refs=%lld  %s\n", name[v], (long long)refs[v],
               pos[v] < live ? "reachable" : pos[v] < kept ? "garbage held by a legacy finalizer"
                                                           : "cyclic garbage");
    int32_t m = vgc_select(n, pos, kept, n, out);
    printf("collectable (%d):", m);
    for (int32_t j = 0; j < m; j++)
        printf(" %s", name[out[j]]);
    printf("\nto gc.garbage (%d):", kept - live);
    for (int32_t j = live; j < kept; j++)
        printf(" %s", name[order[j]]);
    printf("\n");
    return 0;
}
