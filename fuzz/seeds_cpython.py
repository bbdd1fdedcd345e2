"""Write the hand-made seeds of the `cpython` harness into fuzz/corpus/cpython/seed-*.
Format: see _decode in fuzz/cpython_graph.py (n-1, kinds, root bytes, weak bytes, generation,
edge pairs)."""
import os

KINDS = ("node", "list", "dict", "fin", "res", "tuple", "legacy", "class", "gen")
out = os.path.join(os.path.dirname(__file__), "corpus", "cpython")
os.makedirs(out, exist_ok=True)


def seed(name, kinds, roots=(), weak=(), gen=2, edges=()):
    n = len(kinds)
    data = bytes([n - 1] + [KINDS.index(k) for k in kinds]
                 + [0 if i in roots else 1 for i in range(n)]
                 + [0 if i in weak else 1 for i in range(n)] + [gen]
                 + [x for e in edges for x in e])
    with open(os.path.join(out, "seed-" + name), "wb") as f:
        f.write(data)


for k in KINDS:
    seed("2cycle-" + k, [k, k], weak=(0, 1), edges=[(0, 1), (1, 0)])
    seed("held-" + k, [k, k, "node"], roots=(2,), weak=(0, 1), edges=[(0, 1), (1, 0), (2, 0)])
    seed("self-" + k, [k], weak=(0,), edges=[(0, 0)])
seed("legacy-closure", ["legacy", "node", "fin", "node"], weak=(0, 1, 2, 3),
     edges=[(0, 1), (1, 2), (2, 0), (3, 3), (1, 3)])
seed("resurrect-chain", ["res", "node", "list", "fin"], weak=(0, 1, 2, 3),
     edges=[(0, 1), (1, 2), (2, 0), (2, 3)])
seed("young-only", ["node", "node", "list"], weak=(0, 1, 2), gen=0, edges=[(0, 1), (1, 2), (2, 0)])
seed("gen-frame", ["gen", "list", "fin"], weak=(0, 1, 2), edges=[(0, 1), (1, 0), (1, 2), (2, 0)])
