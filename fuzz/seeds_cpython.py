"""Write the hand-made seeds of the `cpython` harness into fuzz/corpus/cpython/seed-*.
Format: see _decode in fuzz/cpython_graph.py (n-1, kinds, root bytes, weak bytes, generation byte
= generation + 3 * step flags, one parameter byte per flag NOMEM / DEEP / RELOAD set, two for
API, edge pairs).  The fault byte f of the API step is decoded by _fault there; the seeds were
written for the array snapshot (removed) and keep their names and bytes, so that the committed
seeds stay what this script writes: what each family now exercises is said where it is made."""
import os

KINDS = ("node", "list", "dict", "fin", "res", "tuple", "legacy", "class", "gen",
         "c_normal", "c_track", "c_twice", "c_skip", "c_alloc", "c_untrack")
NOMEM, DEEP, RELOAD, THREAD, AGAIN, API = 1, 2, 4, 8, 16, 32
out = os.path.join(os.path.dirname(__file__), "corpus", "cpython")
os.makedirs(out, exist_ok=True)


def seed(name, kinds, roots=(), weak=(), gen=2, edges=(), flags=0, k=0, d=0, r=0, f=0, c=0):
    n = len(kinds)
    params = ([k] if flags & NOMEM else []) + ([d] if flags & DEEP else []) + \
        ([r] if flags & RELOAD else []) + ([f, c] if flags & API else [])
    data = bytes([n - 1] + [KINDS.index(x) for x in kinds]
                 + [0 if i in roots else 1 for i in range(n)]
                 + [0 if i in weak else 1 for i in range(n)] + [gen + 3 * flags] + params
                 + [x for e in edges for x in e])
    with open(os.path.join(out, "seed-" + name), "wb") as f:
        f.write(data)


for x in KINDS:
    seed("2cycle-" + x, [x, x], weak=(0, 1), edges=[(0, 1), (1, 0)])
    seed("held-" + x, [x, x, "node"], roots=(2,), weak=(0, 1), edges=[(0, 1), (1, 0), (2, 0)])
    seed("self-" + x, [x], weak=(0,), edges=[(0, 0)])
seed("legacy-closure", ["legacy", "node", "fin", "node"], weak=(0, 1, 2, 3),
     edges=[(0, 1), (1, 2), (2, 0), (3, 3), (1, 3)])
seed("resurrect-chain", ["res", "node", "list", "fin"], weak=(0, 1, 2, 3),
     edges=[(0, 1), (1, 2), (2, 0), (2, 3)])
seed("young-only", ["node", "node", "list"], weak=(0, 1, 2), gen=0, edges=[(0, 1), (1, 2), (2, 0)])
seed("gen-frame", ["gen", "list", "fin"], weak=(0, 1, 2), edges=[(0, 1), (1, 0), (1, 2), (2, 0)])

# (a) "lost stop": the k-th allocation from collect() on fails (CPython may then not make the
# "stop" callback): a finalizer cycle with a weakref callback, a live cycle and garbage, every k
# up to 63 (collections of this size make fewer allocations than that).
MIX = ["fin", "node", "list", "node", "node", "dict"]
MIX_EDGES = [(0, 1), (1, 0), (2, 3), (3, 2), (4, 4), (5, 4)]
for k in range(64):
    seed("nomem-%02d" % k, MIX, roots=(4,), weak=(0, 2), edges=MIX_EDGES, flags=NOMEM, k=k)
for k in range(0, 32, 3):
    seed("nomem-young-%02d" % k, MIX, roots=(4,), weak=(0, 2), gen=0, edges=MIX_EDGES,
         flags=NOMEM, k=k)
    seed("nomem-thread-%02d" % k, MIX, roots=(4,), weak=(0, 2), edges=MIX_EDGES,
         flags=NOMEM | THREAD, k=k)

# (b) tp_traverse side effects (_vgctest.Node): a node that tracks a new list while each
# generation is collected, then collect(1) (held, so the new list stays alive); every mode in a
# cycle with a Python object and held from outside.
for g in range(3):
    seed("ctrack-gen%d" % g, ["c_track", "node"], roots=(0,), weak=(1,), gen=g,
         edges=[(1, 1)], flags=AGAIN)
    seed("cuntrack-gen%d" % g, ["c_untrack", "node"], roots=(0,), weak=(1,), gen=g,
         edges=[(1, 1)], flags=AGAIN)
    seed("ctrack-garbage-gen%d" % g, ["c_track", "node"], weak=(0, 1), gen=g,
         edges=[(1, 0), (1, 1)], flags=AGAIN)
for x in ("c_normal", "c_track", "c_twice", "c_skip", "c_alloc", "c_untrack"):
    seed("cmix-" + x, [x, "list", "fin"], roots=(2,), weak=(0, 1, 2),
         edges=[(0, 1), (1, 0), (2, 1)])
    seed("cmix-garbage-" + x, [x, "list", "fin"], weak=(0, 1, 2), edges=[(0, 1), (1, 0), (1, 2)])

# (c) install/uninstall/importlib.reload(vgc)/reload(gc) between the steps (every combination).
for r in range(16):
    seed("reload-%02d" % r, ["fin", "node", "list"], roots=(2,), weak=(0, 1),
         edges=[(0, 1), (1, 0), (2, 2)], flags=RELOAD, r=r)

# (d) collect() at every depth from 2 to 57 frames below the recursion limit, with a finalizer,
# a weakref callback and a gc.callbacks callback recording what ran; also in a second thread.
for d in range(56):
    seed("deep-%02d" % d, ["fin", "node"], weak=(0, 1), edges=[(0, 1), (1, 0)], flags=DEEP, d=d)
for d in range(0, 56, 5):
    seed("deep-thread-%02d" % d, ["fin", "node", "res"], weak=(0, 1, 2),
         edges=[(0, 1), (1, 0), (2, 2)], flags=DEEP | THREAD, d=d)

# (e) the collection in a second thread.
seed("thread-mix", ["fin", "list", "res", "legacy", "gen"], roots=(1,), weak=(0, 1, 2, 3, 4),
     edges=[(0, 1), (1, 2), (2, 0), (3, 3), (4, 0)], flags=THREAD)
seed("thread-all", ["c_track", "fin", "node"], roots=(0,), weak=(1, 2), gen=0,
     edges=[(1, 2), (2, 1)], flags=THREAD | AGAIN | RELOAD | DEEP | NOMEM, k=7, d=3, r=15)

# The module's API around a collection (flag API: fault byte f, configuration byte c): each
# configuration bit alone (c = 2: uninstall() + install(), the counters from zero), then each
# fault kind (cpython_graph._fault): f % 4 = 1 a growth of vgc's successor buffer fails, on the
# wide object both runs add (j = 1 + (f // 4) % G; f // 32 its shape: 0 garbage, 1 held), the
# collection still vgc's, decided in place; f % 4 = 2 ("edgelimit", the array snapshot's edge
# limit before) the same growth failure, then CPython's collector does the collection (a
# fallback); f % 4 = 3 ("corrupt", a refused snapshot before) a fallback alone.  Same
# observables as stock's every time.
for bit in range(8):
    seed("api-c%d" % (1 << bit), MIX, roots=(4,), weak=(0, 2), edges=MIX_EDGES, flags=API,
         c=1 << bit)
    seed("api-young-c%d" % (1 << bit), MIX, roots=(4,), weak=(0, 2), gen=0, edges=MIX_EDGES,
         flags=API | AGAIN, c=1 << bit)
for j in range(1, 12):
    seed("api-allocfail-%02d" % j, MIX, roots=(4,), weak=(0, 2), edges=MIX_EDGES, flags=API,
         f=1 + 4 * j)
for lim in (0, 1, 2, 3, 5, 8):
    seed("api-edgelimit-%d" % lim, MIX, roots=(4,), weak=(0, 2), edges=MIX_EDGES, flags=API,
         f=2 + 4 * lim)
for kind in range(3):
    seed("api-corrupt-%d" % kind, MIX, roots=(4,), weak=(0, 2), edges=MIX_EDGES, flags=API,
         f=3 + 4 * kind)
    seed("api-corrupt-verify-%d" % kind, MIX, roots=(4,), weak=(0, 2), edges=MIX_EDGES,
         flags=API, f=3 + 4 * kind, c=1 | 64)
seed("api-legacy-debug", ["legacy", "node", "fin", "res"], weak=(0, 1, 2, 3),
     edges=[(0, 1), (1, 0), (2, 3), (3, 2)], flags=API, c=4 | 8 | 64)
seed("api-all", MIX + ["c_track"], roots=(4, 6), weak=(0, 2), edges=MIX_EDGES, gen=1,
     flags=API | AGAIN | THREAD, f=5, c=255)
# A growth of the successor buffer failing where no Python code runs between the decision and
# the resurrection re-check (plain cycles, no finalizer, no weakref callback: the re-check then
# runs only because the harness validates, and must find the same set); f = 252 (api-big):
# volume, exact lists read in chunks, the buffer grown 3 times in the decision and once in the
# re-check (c = 2 for the young one: after a fresh install()).
for j in range(1, 13):
    seed("api-allocfail-plain-%02d" % j, ["node", "list", "node", "dict"], roots=(2,),
         edges=[(0, 1), (1, 0), (2, 2), (3, 0)], flags=API, f=1 + 4 * j)
seed("api-big", MIX, roots=(4,), weak=(0, 2), edges=MIX_EDGES, flags=API, f=252)
seed("api-big-young", MIX, roots=(4,), weak=(0, 2), gen=0, edges=MIX_EDGES, flags=API | AGAIN,
     f=252, c=2)
# A resurrected object that refers back to objects earlier in the unreachable list: the
# re-check (in place, by the proved core) moves those tentatively unreachable objects back.
# Written when the re-check's own snapshot could fail (j = the failing allocation point); now
# f = 1 + 4 * j fails growth j + 1 of the successor buffer on a garbage wide object for
# j = 1..7 (j = 4..7: in the re-check, whose unreachable set holds the wide object too), and
# growth 1 + j % 4 on a held one (in the decision) for j = 8..10.
for j in range(1, 11):
    seed("api-recheck-resurrect-%02d" % j, ["node", "node", "res"],
         edges=[(0, 1), (1, 0), (2, 0), (2, 2)], flags=API, f=1 + 4 * j)

# Dicts holding nested tuples in full collections: the final walk over young untracks tuples and
# (full collections) dicts in the same pass (inplace.c vgc_deduce_unreachable_ip, phases.c
# vgc_dict_untrack_early), so a dict's decision may depend on a tuple not offered yet.  Tuples
# 1..4: () then each holding the earlier ones; the holder 0's dict (an instance __dict__ of str
# keys, the D subclass, a class's dict) holds 2 = ((),) and 1 = () (an instance __dict__ is
# untracked in one collection), the node 5's the holder, 4 and 3.  Roots: through 5 (the holder
# is moved back behind its tuples' list position: its dict is relinked before them), the holder
# itself, the holder and every tuple (the tuples relinked first), none (a garbage cycle); and a
# tuple holding a list (6, 7: the holder's dict stays tracked).
TUP = [(2, 1), (3, 2), (3, 1), (4, 3), (4, 2), (4, 1)]
for h in ("node", "fin", "res", "legacy", "dict", "class"):
    kinds = [h, "tuple", "tuple", "tuple", "tuple", "node"]
    held = [(0, 2), (0, 1)] + TUP + [(5, 0), (5, 4), (5, 3)]
    seed("dicttup-chain-" + h, kinds, roots=(5,), weak=(0, 5), edges=held)
    seed("dicttup-held-" + h, kinds, roots=(0,), weak=(0, 5), edges=held)
    seed("dicttup-tuples-" + h, kinds, roots=(0, 1, 2, 3, 4), weak=(0,), edges=held)
    seed("dicttup-garbage-" + h, kinds, weak=(0, 5), edges=held + [(0, 5)])
    seed("dicttup-tracked-" + h, kinds + ["list", "tuple"], roots=(5,), weak=(0, 5, 6),
         edges=held + [(7, 4), (7, 6), (0, 7), (6, 6)])
# The same through the step flags: collect(1) after, the second thread, DEBUG_* output, the gc
# readers, a fresh install() (c = 2; a keep_buffers arena when it was written), a growth of the
# successor buffer failing (garbage wide object; j = 4: in the re-check).
DT = ["node", "tuple", "tuple", "tuple", "tuple", "node", "res"]
DT_EDGES = [(0, 2), (0, 1)] + TUP + [(5, 0), (5, 4), (5, 3), (6, 0), (6, 6)]
seed("dicttup-again", DT, roots=(5,), weak=(0, 5, 6), edges=DT_EDGES, flags=AGAIN)
seed("dicttup-thread", DT, roots=(5,), weak=(0, 5, 6), edges=DT_EDGES, flags=THREAD)
for c in (2, 8, 64, 2 | 64 | 128):
    seed("dicttup-api-c%d" % c, DT, roots=(5,), weak=(0, 5, 6), edges=DT_EDGES, flags=API, c=c)
for j in range(1, 6):
    seed("dicttup-allocfail-%02d" % j, DT, roots=(5,), weak=(0, 5, 6), edges=DT_EDGES,
         flags=API, f=1 + 4 * j)
