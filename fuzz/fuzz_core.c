/* fuzz_core.c — fuzz harness `core`: random object-graph snapshots through the proved core,
 * compared with the naive oracle (src/vgc_check.c).  Not in proof scope; it tests the proof's
 * trusted base (the ACSL model, the compiler, the oracle) by running the proved code.
 * Builds as libFuzzer, AFL++ (persistent) and plain-replay targets; see fuzz/README.md.
 *
 * fuzz-sources: src/vgc_core.c src/vgc_check.c
 *
 * Input format.  Decoding is total: every byte string is a valid snapshot; a read past the end
 * yields 0.
 *   byte 0         flags.  bit 0: legacy array present (else NULL and phase 3 is skipped);
 *                  bits 1-3 / 4-6: lo / hi of an extra vgc_select range, from SELECT_BOUNDS.
 *   byte 1         n, the number of objects: byte % 65 (0 .. MAX_N = 64; small n keeps an
 *                  input in microseconds, and graph shapes, not sizes, are what matter).
 *   n descriptors  one per object, 1 byte each (+ 8 bytes for class 3 with param >= 16):
 *                    bit 7     legacy finalizer flag;
 *                    bits 5-6  refcount class, bits 0-4 param p (0 .. 31); d = in-degree:
 *                      0  refcount = d              (referenced only from inside the snapshot)
 *                      1  refcount = d + 1 + p      (held by p + 1 external references)
 *                      2  refcount = max(0, d-1-p)  (inconsistent: tp_traverse over-reports)
 *                      3  refcount = LARGE[p] for p < 16, else the next 8 bytes (LE) & INT64_MAX.
 *   rest           edges: byte pairs (src % n, dst % n), at most MAX_EDGES; self-loops (u, u) and
 *                  repeated pairs (multi-edges) are kept as they come.
 * Refcounts are derived from in-degrees so that garbage cycles (class 0) are the common case
 * rather than a 2^-64 accident.
 *
 * Checks (abort on any failure, after printing the decoded snapshot to stderr):
 *   - the decoded snapshot satisfies csr_ok (vgc_check_csr) — a harness self-check;
 *   - vgc_check_core: T1..T7 against the naive recomputation;
 *   - the inputs offsets/targets/legacy are unchanged (the contracts' assigns clauses);
 *   - vgc_select on [0, live), [live, kept), [kept, n) (sizes add up to n), on the fuzzed range,
 *     and once in place (out == order, allowed by the contract): ascending, exactly the objects
 *     whose position is in the range.
 */
#include "vgc_check.h"
#include "vgc_core.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_N     64
#define MAX_EDGES 1024

/* ASan records the allocation and free stack of each of the 7 exact-size arrays per input; four
 * frames (harness -> decode) name the site.  Detection is unchanged; ASAN_OPTIONS=
 * malloc_context_size=30 in the environment overrides this when a finding needs full stacks. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "malloc_context_size=4"; }

/* Interesting large refcounts (class 3, p < 16); none exceeds INT64_MAX (the core's limit). */
static const int64_t LARGE[16] = {
    INT64_MAX,           INT64_MAX - 1,       INT64_MAX / 2,       (int64_t)1 << 62,
    INT32_MAX,           (int64_t)INT32_MAX + 1, UINT32_MAX,       (int64_t)UINT32_MAX + 1,
    (int64_t)1 << 48,    0,            1,                   2,
    255,                 256,                 65535,               65536,
};

/* The extra vgc_select range: indices into this table, resolved once live/kept are known. */
enum { B_MIN, B_MINUS1, B_ZERO, B_ONE, B_LIVE, B_KEPT, B_N, B_MAX };

/* Semantic feedback (libFuzzer extra counters; inert in the AFL++ and replay builds).  The core's
 * control flow is tiny and saturates within seconds, so each input also marks the shape of its
 * outcome: sizes of the live / finalizer-reachable / garbage classes (log buckets), whether some
 * snapshot object is inconsistent, whether the legacy array is present.  Inputs reaching a new
 * combination are kept even when they add no branch coverage. */
#define SIZE_BUCKETS 7
__attribute__((section("__libfuzzer_extra_counters"), used))
static uint8_t shape_counters[SIZE_BUCKETS * SIZE_BUCKETS * SIZE_BUCKETS * 2 * 2];

static int size_bucket(int32_t x)   /* 0, 1, 2, 3-4, 5-8, 9-16, 17+ */
{
    int b = 0;
    while (x > 0 && b < SIZE_BUCKETS - 1) {
        b++;
        x = x == 1 ? 0 : (x + 1) / 2;
    }
    return b;
}

typedef struct reader {
    const uint8_t *p;
    size_t left;
} reader;

static uint8_t get8(reader *r)
{
    if (r->left == 0)
        return 0;
    r->left--;
    return *r->p++;
}

static uint64_t get64(reader *r)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)get8(r) << (8 * i);
    return v;
}

typedef struct snapshot {
    int32_t n;
    uint32_t nedges;
    uint8_t flags;
    uint32_t *offsets, *targets;
    int64_t *refcount;     /* = refcount_buf: the oracle's copy, harness-only */
    int64_t *refs;
    uint8_t *roots;
    uint8_t *legacy;       /* NULL when flags bit 0 is clear */
    int32_t *order, *pos, *out;
} snapshot;

/* Copies of the read-only inputs (offsets, targets, legacy), compared after the run.  Only the
 * harness touches them, so they are static buffers rather than per-input allocations (which cost
 * ASan bookkeeping for nothing); the arrays the core reads and writes stay exact-size. */
static uint32_t offsets0[MAX_N + 1], targets0[MAX_EDGES];
static uint8_t legacy0[MAX_N];
static int64_t refcount_buf[MAX_N];

static void dump(const snapshot *s, const vgc_core_result *r, const char *what)
{
    fprintf(stderr, "fuzz_core: FAILED: %s\n", what);
    fprintf(stderr, "  n = %d, edges = %u, flags = 0x%02x, legacy %s\n", s->n, s->nedges,
            s->flags, s->legacy ? "present" : "NULL");
    if (r)
        fprintf(stderr, "  inconsistent = %d, live = %d, kept = %d\n", r->inconsistent, r->live,
                r->kept);
    for (int32_t v = 0; v < s->n; v++) {
        fprintf(stderr, "  obj %d: refcount %lld gc_refs %lld legacy %d pos %d ->", v,
                (long long)s->refcount[v], (long long)s->refs[v],
                s->legacy ? s->legacy[v] : 0, r ? s->pos[v] : -1);
        for (uint32_t k = offsets0[v]; k < offsets0[v + 1]; k++)
            fprintf(stderr, " %u", targets0[k]);
        fputc('\n', stderr);
    }
    abort();
}

/* Decode: descriptors first (they carry the legacy flags and refcount classes), then edges,
 * then in-degrees, then refcounts. */
static void decode(snapshot *s, const uint8_t *data, size_t size)
{
    reader rd = { data, size };
    s->flags = get8(&rd);
    s->n = get8(&rd) % (MAX_N + 1);
    int32_t n = s->n;
    size_t un = (size_t)n;

    uint8_t desc[MAX_N];
    uint64_t raw[MAX_N];
    for (int32_t v = 0; v < n; v++) {
        desc[v] = get8(&rd);
        raw[v] = ((desc[v] >> 5) & 3) == 3 && (desc[v] & 31) >= 16 ? get64(&rd) : 0;
    }

    uint32_t ne = 0;
    uint8_t src[MAX_EDGES], dst[MAX_EDGES];
    if (n > 0)
        while (rd.left >= 2 && ne < MAX_EDGES) {
            src[ne] = (uint8_t)(get8(&rd) % n);
            dst[ne] = (uint8_t)(get8(&rd) % n);
            ne++;
        }
    s->nedges = ne;

    /* Exact-size allocations, so that ASan sees any access one past the end. */
    s->offsets = calloc(un + 1, sizeof *s->offsets);
    s->targets = malloc(ne * sizeof *s->targets);
    s->refcount = refcount_buf;
    s->refs = malloc(un * sizeof *s->refs);
    s->roots = malloc(un);
    s->order = malloc(un * sizeof *s->order);
    s->pos = malloc(un * sizeof *s->pos);
    s->out = malloc(un * sizeof *s->out);
    s->legacy = (s->flags & 1) ? malloc(un) : NULL;
    if (!s->offsets || !s->targets || !s->refs || !s->roots || !s->order || !s->pos ||
        !s->out || ((s->flags & 1) && !s->legacy))
        abort();

    /* CSR in source order; within a source, edges keep their input order. */
    uint32_t fill[MAX_N + 1] = { 0 };
    int64_t indeg[MAX_N] = { 0 };
    for (uint32_t e = 0; e < ne; e++) {
        s->offsets[src[e] + 1]++;
        indeg[dst[e]]++;
    }
    for (int32_t v = 0; v < n; v++)
        s->offsets[v + 1] += s->offsets[v];
    for (uint32_t e = 0; e < ne; e++)
        s->targets[s->offsets[src[e]] + fill[src[e]]++] = dst[e];

    for (int32_t v = 0; v < n; v++) {
        int64_t d = indeg[v], p = desc[v] & 31, rc;
        switch ((desc[v] >> 5) & 3) {
        case 0: rc = d; break;
        case 1: rc = d + 1 + p; break;
        case 2: rc = d - 1 - p < 0 ? 0 : d - 1 - p; break;
        default: rc = p < 16 ? LARGE[p] : (int64_t)(raw[v] & (uint64_t)INT64_MAX); break;
        }
        s->refcount[v] = rc;
        s->refs[v] = rc;
        if (s->legacy)
            s->legacy[v] = desc[v] >> 7;
    }

    memcpy(offsets0, s->offsets, (un + 1) * sizeof *offsets0);
    memcpy(targets0, s->targets, ne * sizeof *targets0);
    if (s->legacy)
        memcpy(legacy0, s->legacy, un);
}

static void release(snapshot *s)
{
    free(s->offsets); free(s->targets); free(s->refs); free(s->roots); free(s->legacy);
    free(s->order); free(s->pos); free(s->out);
}

/* vgc_select(lo, hi) into out: ascending, in range, and as many as the naive count. */
static int32_t check_select(const snapshot *s, const vgc_core_result *r, int32_t lo, int32_t hi,
                            int32_t *out)
{
    int32_t c = vgc_select(s->n, s->pos, lo, hi, out);
    int32_t expect = 0;
    for (int32_t v = 0; v < s->n; v++)
        expect += lo <= s->pos[v] && s->pos[v] < hi;
    if (c != expect) {
        char msg[128];
        snprintf(msg, sizeof msg, "vgc_select(%d, %d) returned %d, expected %d", lo, hi, c,
                 expect);
        dump(s, r, msg);
    }
    for (int32_t j = 0; j < c; j++) {
        if (out[j] < 0 || out[j] >= s->n || !(lo <= s->pos[out[j]] && s->pos[out[j]] < hi))
            dump(s, r, "vgc_select: an object outside the range");
        if (j > 0 && out[j - 1] >= out[j])
            dump(s, r, "vgc_select: not strictly ascending");
    }
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    snapshot s;
    memset(&s, 0, sizeof s);
    decode(&s, data, size);
    if (vgc_check_csr(s.n, s.offsets, s.targets, s.nedges) != 0)
        dump(&s, NULL, "harness bug: decoded snapshot is not csr_ok");

    vgc_core_result r = vgc_core_run(s.n, s.offsets, s.targets, s.refs, s.roots, s.legacy,
                                     s.order, s.pos);
    char msg[256];
    if (vgc_check_core(s.n, s.offsets, s.targets, s.refcount, s.legacy, s.refs, s.roots,
                       s.order, s.pos, r, msg, sizeof msg) != 0)
        dump(&s, &r, msg);
    if (memcmp(s.offsets, offsets0, ((size_t)s.n + 1) * sizeof *s.offsets) != 0 ||
        memcmp(s.targets, targets0, s.nedges * sizeof *s.targets) != 0 ||
        (s.legacy && memcmp(s.legacy, legacy0, (size_t)s.n) != 0))
        dump(&s, &r, "an input array was modified");

    /* The fuzzed range first (its result is only checked), then the three classes, which
     * partition the snapshot; the garbage class last, into `out`. */
    const int32_t bounds[8] = { INT32_MIN, -1, 0, 1, r.live, r.kept, s.n, INT32_MAX };
    check_select(&s, &r, bounds[(s.flags >> 1) & 7], bounds[(s.flags >> 4) & 7], s.out);
    int32_t a = check_select(&s, &r, 0, r.live, s.out);
    int32_t b = check_select(&s, &r, r.live, r.kept, s.out);
    int32_t c = check_select(&s, &r, r.kept, s.n, s.out);
    if (a + b + c != s.n)
        dump(&s, &r, "vgc_select: live + finalizer-reachable + garbage != n");

    /* In place (out == order, as libvgc calls it): the same answer as into a separate buffer. */
    int32_t c2 = check_select(&s, &r, r.kept, s.n, s.order);
    if (c2 != c || memcmp(s.out, s.order, (size_t)c * sizeof *s.out) != 0)
        dump(&s, &r, "vgc_select in place differs from vgc_select into a buffer");

    shape_counters[(((size_bucket(r.live) * SIZE_BUCKETS + size_bucket(r.kept - r.live))
                      * SIZE_BUCKETS + size_bucket(s.n - r.kept)) * 2 + (r.inconsistent > 0))
                   * 2 + (s.legacy != NULL)] = 1;
    release(&s);
    return 0;
}
