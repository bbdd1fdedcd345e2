/* test_gen.c — unit tests of the proved generational tracker (src/vgc_gen.c): every operation,
 * the policy against a direct transcription of CPython's rules, and long random operation
 * sequences checked against a reference model and a list walker after every step. */
#include "check.h"
#include "vgc_gen.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CAP 64

typedef struct tracker {
    vgc_gen s;
    int32_t next[CAP + VGC_NLISTS], prev[CAP + VGC_NLISTS];
    uint8_t tag[CAP];
} tracker;

static void tr_init(tracker *t) { vgc_gen_init(&t->s, CAP, t->next, t->prev, t->tag, 700); }

/* The list walker: every list is a cycle through its head, prev/next agree, tags match, the
 * walk visits exactly the slots tagged with the list (so also connectivity), len matches. */
static int walk_ok(const vgc_gen *s)
{
    int64_t tagged[VGC_NLISTS] = {0};
    for (int64_t x = 0; x < s->cap; x++) {
        if (s->tag[x] == VGC_UNTRACKED) continue;
        if (s->tag[x] >= VGC_NLISTS) return 0;
        tagged[s->tag[x]]++;
    }
    for (int l = 0; l < VGC_NLISTS; l++) {
        int64_t head = s->cap + l, p = head, steps = 0, x = s->next[head];
        while (x != head) {
            if (x < 0 || x >= s->cap || s->tag[x] != l || s->prev[x] != p || ++steps > s->cap)
                return 0;
            p = x;
            x = s->next[x];
        }
        if (s->prev[head] != p || steps != tagged[l] || (int64_t)s->len[l] != steps) return 0;
    }
    for (int g = 0; g < VGC_NGEN; g++)
        if (s->count[g] < 0 || s->threshold[g] < 0) return 0;
    return s->long_lived_total >= 0 && s->long_lived_pending >= 0;
}

/* The list as an array, in order. */
static int list_of(const vgc_gen *s, int l, int32_t *out)
{
    int n = 0;
    for (int32_t x = vgc_gen_first(s, l); x >= 0; x = vgc_gen_next(s, x))
        out[n++] = x;
    return n;
}

TEST(init_empty)
{
    tracker t;
    memset(&t, 0xab, sizeof t);
    tr_init(&t);
    CHECK(walk_ok(&t.s));
    for (int l = 0; l < VGC_NLISTS; l++) {
        CHECK_EQ(vgc_gen_len(&t.s, l), 0);
        CHECK_EQ(vgc_gen_first(&t.s, l), -1);
    }
    for (int x = 0; x < CAP; x++)
        CHECK_EQ(t.tag[x], VGC_UNTRACKED);
    CHECK_EQ(t.s.threshold[0], 700);
    CHECK_EQ(t.s.threshold[1], 10);
    CHECK_EQ(t.s.threshold[2], 10);
    CHECK_EQ(t.s.count[0] + t.s.count[1] + t.s.count[2], 0);
    vgc_gen s2;
    vgc_gen_init(&s2, CAP, t.next, t.prev, t.tag, VGC_THRESHOLD0_313);
    CHECK_EQ(s2.threshold[0], 2000);
}

TEST(track_untrack_counts)
{
    tracker t;
    tr_init(&t);
    int32_t l[CAP];
    vgc_gen_track(&t.s, 5);
    vgc_gen_track(&t.s, 2);
    vgc_gen_track(&t.s, 9);
    CHECK(walk_ok(&t.s));
    CHECK_EQ(list_of(&t.s, 0, l), 3);
    CHECK_EQ(l[0], 5); CHECK_EQ(l[1], 2); CHECK_EQ(l[2], 9);
    CHECK_EQ(t.s.count[0], 3);
    vgc_gen_untrack(&t.s, 2);
    CHECK(walk_ok(&t.s));
    CHECK_EQ(t.tag[2], VGC_UNTRACKED);
    CHECK_EQ(list_of(&t.s, 0, l), 2);
    CHECK_EQ(l[0], 5); CHECK_EQ(l[1], 9);
    CHECK_EQ(t.s.count[0], 2);
    /* count[0] goes down only while > 0 (PyObject_GC_Del). */
    t.s.count[0] = 0;
    vgc_gen_untrack(&t.s, 5);
    CHECK_EQ(t.s.count[0], 0);
    CHECK(walk_ok(&t.s));
    /* Saturation instead of overflow. */
    t.s.count[0] = INT64_MAX;
    vgc_gen_track(&t.s, 1);
    CHECK_EQ(t.s.count[0], INT64_MAX);
    CHECK(walk_ok(&t.s));
}

TEST(move_and_iterate)
{
    tracker t;
    tr_init(&t);
    int32_t l[CAP];
    for (int x = 0; x < 6; x++)
        vgc_gen_track(&t.s, x);
    vgc_gen_move(&t.s, 3, 2);
    vgc_gen_move(&t.s, 0, 2);
    vgc_gen_move(&t.s, 1, 0);           /* within the same list: to its end */
    CHECK(walk_ok(&t.s));
    CHECK_EQ(list_of(&t.s, 0, l), 4);
    CHECK_EQ(l[0], 2); CHECK_EQ(l[1], 4); CHECK_EQ(l[2], 5); CHECK_EQ(l[3], 1);
    CHECK_EQ(list_of(&t.s, 2, l), 2);
    CHECK_EQ(l[0], 3); CHECK_EQ(l[1], 0);
    CHECK_EQ(vgc_gen_next(&t.s, 0), -1);
    CHECK_EQ(t.s.count[0], 6);          /* moves do not count */
}

TEST(merge_order_and_lengths)
{
    tracker t;
    tr_init(&t);
    int32_t l[CAP];
    for (int x = 0; x < 6; x++)
        vgc_gen_track(&t.s, x);
    vgc_gen_move(&t.s, 4, 1);
    vgc_gen_move(&t.s, 5, 1);
    vgc_gen_merge(&t.s, 0, 1);          /* gc_list_merge(gen0, gen1): appended */
    CHECK(walk_ok(&t.s));
    CHECK_EQ(vgc_gen_len(&t.s, 0), 0);
    CHECK_EQ(list_of(&t.s, 1, l), 6);
    CHECK_EQ(l[0], 4); CHECK_EQ(l[1], 5); CHECK_EQ(l[2], 0); CHECK_EQ(l[5], 3);
    vgc_gen_merge(&t.s, 0, 2);          /* empty into empty */
    CHECK(walk_ok(&t.s));
    CHECK_EQ(vgc_gen_len(&t.s, 2), 0);
}

/* CPython's gc_collect_generations loop, transcribed. */
static int cpython_select(const vgc_gen *s)
{
    for (int i = VGC_NGEN - 1; i >= 0; i--) {
        if (s->count[i] > s->threshold[i]) {
            if (i == VGC_NGEN - 1 && s->long_lived_pending < s->long_lived_total / 4)
                continue;
            return i;
        }
    }
    return -1;
}

TEST(select_policy)
{
    tracker t;
    tr_init(&t);
    CHECK_EQ(vgc_gen_select(&t.s), -1);
    t.s.count[0] = 701;
    CHECK_EQ(vgc_gen_select(&t.s), 0);
    t.s.count[1] = 11;
    CHECK_EQ(vgc_gen_select(&t.s), 1);
    t.s.count[2] = 11;
    t.s.long_lived_total = 100;
    t.s.long_lived_pending = 24;       /* 24 < 100/4: skip the full collection */
    CHECK_EQ(vgc_gen_select(&t.s), 1);
    t.s.long_lived_pending = 25;       /* 25 == 100/4: CPython collects (the test is `<`) */
    CHECK_EQ(vgc_gen_select(&t.s), 2);
    t.s.count[1] = 0;
    t.s.long_lived_pending = 0;
    CHECK_EQ(vgc_gen_select(&t.s), 0);
    /* Exhaustive small grid against the transcription. */
    int bad = 0;
    for (int c0 = 0; c0 < 4; c0++) for (int c1 = 0; c1 < 4; c1++) for (int c2 = 0; c2 < 4; c2++)
    for (int t0 = 0; t0 < 3; t0++) for (int t1 = 0; t1 < 3; t1++) for (int t2 = 0; t2 < 3; t2++)
    for (int tot = 0; tot < 9; tot += 4) for (int pen = 0; pen < 3; pen++) {
        vgc_gen s = t.s;
        s.count[0] = c0; s.count[1] = c1; s.count[2] = c2;
        s.threshold[0] = t0; s.threshold[1] = t1; s.threshold[2] = t2;
        s.long_lived_total = tot; s.long_lived_pending = pen;
        bad += vgc_gen_select(&s) != cpython_select(&s);
        bad += vgc_gen_should_collect(&s) != (t0 != 0 && c0 > t0);
    }
    CHECK_EQ(bad, 0);
}

TEST(threshold_zero_disables_trigger)
{
    tracker t;
    tr_init(&t);
    vgc_gen_set_threshold(&t.s, 0, 0);
    t.s.count[0] = 1000;
    CHECK(!vgc_gen_should_collect(&t.s));
    vgc_gen_set_threshold(&t.s, 0, 999);
    CHECK(vgc_gen_should_collect(&t.s));
    vgc_gen_set_threshold(&t.s, 0, 1000);
    CHECK(!vgc_gen_should_collect(&t.s));  /* count must exceed the threshold */
}

TEST(collect_begin_counts_and_merge)
{
    tracker t;
    tr_init(&t);
    int32_t l[CAP];
    for (int x = 0; x < 6; x++)
        vgc_gen_track(&t.s, x);
    vgc_gen_move(&t.s, 0, 1);
    vgc_gen_move(&t.s, 1, 2);
    t.s.count[0] = 7; t.s.count[1] = 3; t.s.count[2] = 4;
    vgc_gen_collect_begin(&t.s, 0);
    CHECK_EQ(t.s.count[0], 0); CHECK_EQ(t.s.count[1], 4); CHECK_EQ(t.s.count[2], 4);
    CHECK_EQ(vgc_gen_len(&t.s, 0), 4);
    vgc_gen_collect_begin(&t.s, 1);
    CHECK_EQ(t.s.count[0], 0); CHECK_EQ(t.s.count[1], 0); CHECK_EQ(t.s.count[2], 5);
    CHECK_EQ(vgc_gen_len(&t.s, 0), 0);
    CHECK_EQ(list_of(&t.s, 1, l), 5);
    CHECK_EQ(l[0], 0); CHECK_EQ(l[1], 2);   /* gen1 first, gen0 appended */
    vgc_gen_collect_begin(&t.s, 2);
    CHECK_EQ(t.s.count[2], 0);
    CHECK_EQ(list_of(&t.s, 2, l), 6);
    CHECK_EQ(l[0], 1); CHECK_EQ(l[1], 0);
    CHECK(walk_ok(&t.s));
}

TEST(promote_long_lived)
{
    tracker t;
    tr_init(&t);
    for (int x = 0; x < 6; x++)
        vgc_gen_track(&t.s, x);
    vgc_gen_promote(&t.s, 0);               /* survivors of gen0 -> gen1, no bookkeeping */
    CHECK_EQ(vgc_gen_len(&t.s, 1), 6);
    CHECK_EQ(t.s.long_lived_pending, 0);
    vgc_gen_promote(&t.s, 1);               /* gen1 -> gen2: pending += 6 */
    CHECK_EQ(vgc_gen_len(&t.s, 2), 6);
    CHECK_EQ(t.s.long_lived_pending, 6);
    CHECK_EQ(t.s.long_lived_total, 0);
    vgc_gen_promote(&t.s, 2);               /* full: pending = 0, total = len(gen2) */
    CHECK_EQ(t.s.long_lived_pending, 0);
    CHECK_EQ(t.s.long_lived_total, 6);
    CHECK_EQ(vgc_gen_len(&t.s, 2), 6);
    CHECK(walk_ok(&t.s));
}

TEST(freeze_unfreeze)
{
    tracker t;
    tr_init(&t);
    for (int x = 0; x < 6; x++)
        vgc_gen_track(&t.s, x);
    vgc_gen_move(&t.s, 0, 1);
    vgc_gen_move(&t.s, 1, 2);
    t.s.count[0] = 7; t.s.count[1] = 3; t.s.count[2] = 4;
    vgc_gen_freeze(&t.s);
    for (int g = 0; g < VGC_NGEN; g++)      /* gc.freeze() zeroes every generation's count */
        CHECK_EQ(t.s.count[g], 0);
    CHECK_EQ(vgc_gen_len(&t.s, VGC_PERMANENT), 6);
    for (int g = 0; g < VGC_NGEN; g++)
        CHECK_EQ(vgc_gen_len(&t.s, g), 0);
    vgc_gen_unfreeze(&t.s);
    CHECK_EQ(vgc_gen_len(&t.s, VGC_PERMANENT), 0);
    CHECK_EQ(vgc_gen_len(&t.s, 2), 6);
    CHECK(walk_ok(&t.s));
}

/* Random sequences of every operation, against a reference model of tags and lengths. */
TEST(random_sequences)
{
    tracker t;
    int bad = 0;
    srand(12345);
    for (int round = 0; round < 20 && !bad; round++) {
        tr_init(&t);
        uint8_t model[CAP];
        memset(model, VGC_UNTRACKED, sizeof model);
        for (int step = 0; step < 2000 && !bad; step++) {
            int op = rand() % 9, x = rand() % CAP, l = rand() % VGC_NLISTS;
            int l2 = (l + 1 + rand() % (VGC_NLISTS - 1)) % VGC_NLISTS;
            int g = rand() % VGC_NGEN;
            switch (op) {
            case 0: case 1:
                if (model[x] == VGC_UNTRACKED) { vgc_gen_track(&t.s, x); model[x] = 0; }
                break;
            case 2:
                if (model[x] != VGC_UNTRACKED) { vgc_gen_untrack(&t.s, x); model[x] = VGC_UNTRACKED; }
                break;
            case 3:
                if (model[x] != VGC_UNTRACKED) { vgc_gen_move(&t.s, x, l); model[x] = (uint8_t)l; }
                break;
            case 4:
                vgc_gen_merge(&t.s, l, l2);
                for (int y = 0; y < CAP; y++) if (model[y] == l) model[y] = (uint8_t)l2;
                break;
            case 5:
                vgc_gen_collect_begin(&t.s, g);
                for (int y = 0; y < CAP; y++) if (model[y] < g) model[y] = (uint8_t)g;
                break;
            case 6:
                vgc_gen_promote(&t.s, g);
                if (g < 2) for (int y = 0; y < CAP; y++) if (model[y] == g) model[y] = (uint8_t)(g + 1);
                break;
            case 7:
                vgc_gen_freeze(&t.s);
                for (int y = 0; y < CAP; y++) if (model[y] < VGC_NGEN) model[y] = VGC_PERMANENT;
                break;
            case 8:
                vgc_gen_unfreeze(&t.s);
                for (int y = 0; y < CAP; y++) if (model[y] == VGC_PERMANENT) model[y] = 2;
                break;
            }
            bad += !walk_ok(&t.s) || memcmp(model, t.tag, CAP) != 0;
        }
    }
    CHECK_EQ(bad, 0);
}

int main(void)
{
    printf("test_gen: the generational tracker\n");
    RUN(init_empty);
    RUN(track_untrack_counts);
    RUN(move_and_iterate);
    RUN(merge_order_and_lengths);
    RUN(select_policy);
    RUN(threshold_zero_disables_trigger);
    RUN(collect_begin_counts_and_merge);
    RUN(promote_long_lived);
    RUN(freeze_unfreeze);
    RUN(random_sequences);
    return RUN_TESTS();
}
