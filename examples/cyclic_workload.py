"""A real workload that builds and drops cyclic object graphs, for `make run` (python -m vgc).

1. A tiny expression parser producing an AST whose nodes keep parent pointers (child <-> parent
   cycles), evaluated and dropped for many generated expressions.
2. An LRU cache built on a doubly linked list (prev <-> next cycles) with evictions.
3. An observer pattern whose subscribers hold bound methods of each other, with weakref
   callbacks counting what the collector freed.
Prints a checksum so runs under stock gc and under vgc can be compared.
"""
import random
import weakref


class Node:
    __slots__ = ("kind", "value", "children", "parent", "__weakref__")

    def __init__(self, kind, value=None, children=()):
        self.kind, self.value, self.children, self.parent = kind, value, list(children), None
        for c in self.children:
            c.parent = self                      # child -> parent: a cycle per edge


def tokenize(src):
    out, i = [], 0
    while i < len(src):
        ch = src[i]
        if ch.isdigit():
            j = i
            while j < len(src) and src[j].isdigit():
                j += 1
            out.append(("num", int(src[i:j])))
            i = j
        elif ch in "+-*()":
            out.append((ch, None))
            i += 1
        else:
            i += 1
    return out


def parse(tokens):
    pos = 0

    def expr():
        nonlocal pos
        left = term()
        while pos < len(tokens) and tokens[pos][0] in "+-":
            op = tokens[pos][0]
            pos += 1
            left = Node("bin", op, [left, term()])
        return left

    def term():
        nonlocal pos
        left = atom()
        while pos < len(tokens) and tokens[pos][0] == "*":
            pos += 1
            left = Node("bin", "*", [left, atom()])
        return left

    def atom():
        nonlocal pos
        kind, value = tokens[pos]
        pos += 1
        if kind == "(":
            node = expr()
            pos += 1                             # ")"
            return Node("paren", None, [node])
        return Node("num", value)

    return expr()


def evaluate(node):
    if node.kind == "num":
        return node.value
    if node.kind == "paren":
        return evaluate(node.children[0])
    a, b = (evaluate(c) for c in node.children)
    return a + b if node.value == "+" else a - b if node.value == "-" else a * b


def gen_expr(rng, depth):
    if depth == 0 or rng.random() < 0.3:
        return str(rng.randint(0, 9))
    op = rng.choice("+-*")
    s = gen_expr(rng, depth - 1) + op + gen_expr(rng, depth - 1)
    return "(" + s + ")" if rng.random() < 0.5 else s


class Entry:
    __slots__ = ("key", "value", "prev", "next")

    def __init__(self, key, value):
        self.key, self.value, self.prev, self.next = key, value, None, None


class LRU:
    def __init__(self, capacity):
        self.capacity, self.map = capacity, {}
        self.head = Entry(None, None)
        self.head.prev = self.head.next = self.head

    def _unlink(self, e):
        e.prev.next, e.next.prev = e.next, e.prev

    def _push(self, e):
        e.prev, e.next = self.head, self.head.next
        self.head.next.prev = e
        self.head.next = e

    def get(self, key):
        e = self.map.get(key)
        if e is None:
            return None
        self._unlink(e)
        self._push(e)
        return e.value

    def put(self, key, value):
        if key in self.map:
            self._unlink(self.map.pop(key))
        e = Entry(key, value)
        self.map[key] = e
        self._push(e)
        if len(self.map) > self.capacity:
            old = self.head.prev
            self._unlink(old)                    # old still points at its neighbours
            del self.map[old.key]


class Subscriber:
    def __init__(self, name, bus):
        self.name, self.bus, self.seen = name, bus, 0
        bus.append(self.on_event)                # bus -> bound method -> self -> bus

    def on_event(self, ev):
        self.seen += ev


def main():
    rng = random.Random(42)
    freed = [0]
    checksum = 0
    for _ in range(4000):
        tree = parse(tokenize(gen_expr(rng, 6)))
        weakref.finalize(tree, freed.__setitem__, 0, freed[0] + 1)
        checksum = (checksum * 31 + evaluate(tree)) % 1000003
    cache = LRU(256)
    for i in range(60000):
        k = rng.randrange(1024)
        if cache.get(k) is None:
            cache.put(k, [k] * 3)
    for _ in range(3000):
        bus = []
        subs = [Subscriber(i, bus) for i in range(5)]
        for cb in bus:
            cb(1)
        checksum = (checksum + sum(s.seen for s in subs)) % 1000003
    print("checksum", checksum, "cache", len(cache.map), "trees freed (finalizers)", freed[0] > 0)


if __name__ == "__main__":
    main()
