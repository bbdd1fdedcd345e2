#!/usr/bin/env python3
"""seeds_core.py — write the hand-made seeds of the `core` harness into fuzz/corpus/core/seed-*.
The input format is described at the top of fuzz/fuzz_core.c; this file is its worked example.
Run from the repository root: python3 fuzz/seeds_core.py
"""
import os
import struct

LEGACY = 0x80


def obj(cls=0, p=0, legacy=False, raw=None):
    """One object descriptor: refcount class cls (0 = in-degree only, 1 = + p + 1 external,
    2 = in-degree - 1 - p (inconsistent), 3 = large), param p, legacy flag; raw: 8-byte value."""
    b = bytes([(LEGACY if legacy else 0) | cls << 5 | p])
    return b + (struct.pack("<Q", raw) if raw is not None else b"")


def graph(objs, edges, flags=0):
    return bytes([flags, len(objs)]) + b"".join(objs) + bytes(x for e in edges for x in e)


SEEDS = {
    "empty": b"",
    "zero-objects": graph([], []),
    "self-loop": graph([obj()], [(0, 0)]),
    "self-loop-held": graph([obj(1)], [(0, 0)]),
    "two-cycle": graph([obj(), obj()], [(0, 1), (1, 0)]),
    "cycle-held-from-outside": graph([obj(), obj(), obj(1)], [(0, 1), (1, 0), (1, 2), (2, 1)]),
    "garbage-points-at-live": graph([obj(), obj(), obj(1)], [(0, 1), (1, 0), (0, 2)]),
    "chain-held": graph([obj(1), obj(), obj(), obj()], [(0, 1), (1, 2), (2, 3)]),
    "chain-garbage-tail": graph([obj(), obj(), obj(), obj(1, 3)], [(0, 1), (1, 2), (2, 3)]),
    "multi-edges": graph([obj(), obj()], [(0, 1), (0, 1), (1, 0)]),
    "multi-edges-held": graph([obj(), obj(1)], [(0, 1), (0, 1), (1, 0)]),
    "inconsistent": graph([obj(), obj(2)], [(0, 1), (0, 1), (1, 0)]),
    "inconsistent-zero-refcount": graph([obj(2, 5), obj()], [(1, 0), (0, 1)]),
    "legacy-closure": graph([obj(legacy=True), obj(), obj(), obj(), obj()],
                            [(0, 1), (1, 2), (2, 0), (2, 3), (4, 4), (3, 4)], flags=1),
    "legacy-in-live": graph([obj(1, legacy=True), obj(), obj(legacy=True), obj()],
                            [(0, 1), (1, 0), (2, 3), (3, 2)], flags=1),
    "legacy-flags-ignored": graph([obj(legacy=True), obj()], [(0, 1), (1, 0)], flags=0),
    "large-refcounts": graph([obj(3, 0), obj(3, 6), obj(3, 7), obj()],
                             [(0, 1), (1, 2), (2, 0), (3, 3), (3, 3)]),
    "raw-refcount": graph([obj(3, 16, raw=0xFFFFFFFFFFFFFFFF), obj()], [(0, 1), (1, 0)]),
    "select-odd-ranges": graph([obj(), obj(1), obj(legacy=True)], [(0, 1), (2, 0)],
                               flags=1 | 0 << 1 | 7 << 4),
    "select-inverted": graph([obj(), obj(1), obj()], [(0, 2), (2, 0)], flags=6 << 1 | 2 << 4),
}

if __name__ == "__main__":
    d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "core")
    os.makedirs(d, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(d, "seed-" + name), "wb") as f:
            f.write(data)
    print(f"{len(SEEDS)} seeds in {d}")
