"""Write the hand-made seeds of the `heap` harness into fuzz/corpus/heap/seed-*.
Format: see the opening comment of fuzz/fuzz_heap.c: two bytes k (the k-th allocation fails, 0:
none), then operations (opcode byte + argument bytes).  Objects are numbered in allocation order;
an object argument b picks the first live object from b % nobj on."""
import os

OPS = ("alloc link unlink incref decref track untrack collect collect_auto freeze unfreeze "
       "set_threshold garbage_clear bad_handle enable debug query api_errors side_heap "
       "corrupt").split()
KINDS = ("plain fin res legacy untracker reenter allocator busy flaky").split()
out = os.path.join(os.path.dirname(__file__), "corpus", "heap")
os.makedirs(out, exist_ok=True)


def prog(*ops, k=0):
    b = [k & 255, k >> 8]
    for op in ops:
        name, args = op[0], op[1:]
        b.append(OPS.index(name))
        b += [KINDS.index(a) if isinstance(a, str) else a for a in args]
    return bytes(b)


def seed(name, *ops, k=0):
    with open(os.path.join(out, "seed-" + name), "wb") as f:
        f.write(prog(*ops, k=k))


def cycle(kind_a, kind_b, first):
    """two new objects (numbered first, first + 1) in a 2-cycle, dropped by the program"""
    return [("alloc", kind_a), ("alloc", kind_b), ("link", first, first + 1),
            ("link", first + 1, first), ("decref", first), ("decref", first + 1)]


# A heap with a held cycle (0, 1), an untracked object 2, a legacy self-cycle 3 in gc.garbage:
# every corruption of the heap checker's self-test has what it needs.
base = [("alloc", "plain"), ("alloc", "plain"), ("alloc", "plain"), ("link", 0, 1), ("link", 1, 0),
        ("untrack", 2), ("alloc", "legacy"), ("link", 3, 3), ("decref", 3), ("collect", 2),
        ("query", 0)]
for sel in range(15):
    a = 2 if sel == 10 else 0
    seed("corrupt-%02d" % sel, *base, ("corrupt", sel, a), ("query", 3))
seed("saveall", ("debug", 4), *cycle("plain", "fin", 0), *cycle("legacy", "res", 2),
     ("collect", 0), ("query", 0), ("garbage_clear",), ("collect", 2), ("query", 1))
seed("debug-stats-leak", ("debug", 7), *cycle("plain", "legacy", 0), *cycle("fin", "plain", 2),
     ("collect", 1), ("debug", 1), ("collect", 2), ("query", 0))
seed("enable-threshold", ("set_threshold", 0, 2), ("set_threshold", 1, 1), ("enable", 1, 0),
     *cycle("plain", "plain", 0), *cycle("fin", "res", 2), *cycle("legacy", "plain", 4),
     ("alloc", "plain"), ("alloc", "plain"), ("alloc", "plain"), ("query", 0), ("enable", 0))
seed("reentrant-finalizer", ("alloc", "reenter"), ("link", 0, 0), ("decref", 0), ("collect", 0))
seed("allocating-finalizer", ("alloc", "allocator"), ("link", 0, 0), ("decref", 0), ("collect", 1),
     ("query", 1))
seed("busy-traverse", *cycle("busy", "plain", 0), ("collect", 0))
seed("flaky-traverse", ("alloc", "flaky"), ("alloc", "plain"), ("link", 0, 1), ("collect", 0),
     ("collect", 2))
seed("api-errors", ("alloc", "plain"), ("api_errors",), ("bad_handle",),
     *[("side_heap", s) for s in list(range(0, 32, 4)) + [3, 7, 11, 15]])
seed("recheck-fails", *cycle("res", "fin", 0), ("collect", 0), k=9)
