/* phases.c — CPython's phases around the decision: gc_collect_main's twin.
 * TRUSTED, NOT PROVED: merges the generations, asks inplace.c for the unreachable set (decided
 * by the proved in-place core), then runs CPython's own steps on it as gcmodule.c (3.11, 3.12) and
 * Python/gc.c (3.13) do — tuple/dict untracking, handle_weakrefs, finalize_garbage (PEP 442),
 * handle_resurrected_objects, delete_garbage (tp_clear / DEBUG_SAVEALL),
 * handle_legacy_finalizers (gc.garbage), DEBUG_* output — and applies the proved policy rules
 * (src/vgc_policy.c) to CPython's counters.  Each phase keeps CPython's name with a vgc_ prefix.
 * From vgc_handle_weakrefs on, Python code can run: everything works on lists.
 */
#include "vgc_cpython.h"

#include <time.h>
#include "internal/pycore_dict.h"     /* DK_*: vgc_dict_maybe_untrack (3.13) */
#include "internal/pycore_pyerrors.h" /* _PyErr_Occurred */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void write_unraisable(const char *msg, PyObject *obj)
{
#if PY_VERSION_HEX >= 0x030D0000
    if (obj != NULL)
        PyErr_FormatUnraisable("Exception ignored %s %s", msg, ((PyTypeObject *)obj)->tp_name);
    else
        PyErr_FormatUnraisable("Exception ignored %s", msg);
#else
    _PyErr_WriteUnraisableMsg(msg, obj);
#endif
}

/* ---- CPython-specific phases ------------------------------------------------------------- */

static int may_be_tracked(PyObject *obj)
{
    return obj != NULL && _PyObject_IS_GC(obj)
           && (!PyTuple_CheckExact(obj) || _PyObject_GC_IS_TRACKED(obj));
}

/* _PyTuple_MaybeUntrack / _PyDict_MaybeUntrack, re-implemented (hidden in 3.13). */
void vgc_tuple_maybe_untrack(PyObject *op)
{
    if (!_PyObject_GC_IS_TRACKED(op))
        return;
    for (Py_ssize_t i = PyTuple_GET_SIZE(op); --i >= 0; ) {
        PyObject *elt = PyTuple_GET_ITEM(op, i);
        if (elt == NULL || may_be_tracked(elt))
            return;
    }
    _PyObject_GC_UNTRACK(op);
}

#if PY_VERSION_HEX >= 0x030D0000
/* One pass over a dict's entries, as _PyDict_MaybeUntrack reads them (Objects/dictobject.c): in
 * place, and for a split table or a table of str keys only the values (an exact str is not a GC
 * object).  elt(x) classifies one element (0, 1 or 2); the result is 1 as soon as an element gives
 * 1, else the OR of the others.  Not PyDict_Next + a check of every key: that cost one more cache
 * miss per dict (the key) and a call per entry, 6x CPython's own time for the dicts of a full
 * collection (perf, 3.11, 300k dicts). */
static int vgc_dict_scan(PyDictObject *mp, int (*elt)(PyObject *))
{
    int acc = 0, k;
    Py_ssize_t numentries = mp->ma_keys->dk_nentries;
    for (Py_ssize_t i = 0; i < numentries; i++) {
        PyObject *key = NULL, *value;
        if (_PyDict_HasSplitTable(mp))
            value = mp->ma_values->values[i];
        else if (DK_IS_UNICODE(mp->ma_keys))
            value = DK_UNICODE_ENTRIES(mp->ma_keys)[i].me_value;
        else {
            value = DK_ENTRIES(mp->ma_keys)[i].me_value;
            key = DK_ENTRIES(mp->ma_keys)[i].me_key;
        }
        if (value == NULL)
            continue;
        if ((k = elt(value)) == 1 || (key != NULL && (k |= elt(key)) & 1))
            return 1;
        acc |= k;
    }
    return acc;
}

#endif

/* _PyDict_MaybeUntrack: exported before 3.13 (called there); 3.13's hidden, so the same rule
 * through vgc_dict_scan. */
void vgc_dict_maybe_untrack(PyObject *op)
{
#if PY_VERSION_HEX < 0x030D0000
    _PyDict_MaybeUntrack(op);
#else
    if (!PyDict_CheckExact(op) || !_PyObject_GC_IS_TRACKED(op))
        return;
    if (vgc_dict_scan((PyDictObject *)op, may_be_tracked) == 0)
        _PyObject_GC_UNTRACK(op);
#endif
}

/* untrack_dicts, fused with the gc_list_size(young) that follows it in CPython: returns the
 * number of objects left in the list. */
static Py_ssize_t vgc_untrack_dicts(PyGC_Head *head)
{
    Py_ssize_t size = 0;
    PyGC_Head *next;
    for (PyGC_Head *gc = GC_NEXT(head); gc != head; gc = next) {
        next = GC_NEXT(gc);
        if (PyDict_CheckExact(FROM_GC(gc)))
            vgc_dict_maybe_untrack(FROM_GC(gc));
        size += GC_NEXT(gc) != NULL;              /* still tracked */
    }
    return size;
}

static void vgc_debug_cycle(const char *msg, PyObject *op)
{
    PySys_FormatStderr("gc: %s <%s %p>\n", msg, Py_TYPE(op)->tp_name, op);
}

/* handle_weakrefs: clear every weakref to an unreachable object; call the callbacks of the
 * weakrefs that are themselves reachable (after all are cleared).  Returns how many of those
 * weakrefs died on the way (CPython counts them as collected).  *ran_code is set when a
 * callback was called. */
static Py_ssize_t vgc_handle_weakrefs(PyGC_Head *unreachable, PyGC_Head *old, int *ran_code)
{
    PyGC_Head wrcb_to_call;
    gc_list_init(&wrcb_to_call);
    Py_ssize_t num_freed = 0;
    PyGC_Head *next;
    for (PyGC_Head *gc = GC_NEXT(unreachable); gc != unreachable; gc = next) {
        PyObject *op = FROM_GC(gc);
        next = GC_NEXT(gc);
        if (PyWeakref_Check(op))
            _PyWeakref_ClearRef((PyWeakReference *)op);   /* trash weakrefs never call back */
        if (!PyType_SUPPORTS_WEAKREFS(Py_TYPE(op)))
            continue;
        PyWeakReference **wrlist = weakrefs_listptr(op);
        for (PyWeakReference *wr = *wrlist; wr != NULL; wr = *wrlist) {
            _PyWeakref_ClearRef(wr);                       /* unlinks wr from *wrlist */
            if (wr->wr_callback == NULL)
                continue;
            if (gc_is_collecting(AS_GC(wr)))               /* wr is trash too: no callback */
                continue;
            Py_INCREF(wr);
            gc_list_move(AS_GC(wr), &wrcb_to_call);
        }
    }
    if (!gc_list_is_empty(&wrcb_to_call))
        *ran_code = 1;
    while (!gc_list_is_empty(&wrcb_to_call)) {
        PyGC_Head *gc = GC_NEXT(&wrcb_to_call);
        PyWeakReference *wr = (PyWeakReference *)FROM_GC(gc);
        PyObject *callback = wr->wr_callback;
        PyObject *temp = PyObject_CallOneArg(callback, (PyObject *)wr);
        if (temp == NULL)
            PyErr_WriteUnraisable(callback);
        else
            Py_DECREF(temp);
        Py_DECREF(wr);
        if (GC_NEXT(&wrcb_to_call) == gc)
            gc_list_move(gc, old);                         /* still alive */
        else
            num_freed++;
    }
    return num_freed;
}

#if PY_VERSION_HEX >= 0x030D0D00 && PY_VERSION_HEX < 0x030E0000
/* handle_weakrefs(..., allow_callbacks=false) of 3.13.13+: clear every weakref to an object of
 * the list, and the list's own weakrefs, calling nothing. */
static void vgc_clear_weakrefs_quietly(PyGC_Head *list)
{
    for (PyGC_Head *gc = GC_NEXT(list); gc != list; gc = GC_NEXT(gc)) {
        PyObject *op = FROM_GC(gc);
        if (PyWeakref_Check(op))
            _PyWeakref_ClearRef((PyWeakReference *)op);
        if (!PyType_SUPPORTS_WEAKREFS(Py_TYPE(op)))
            continue;
        PyWeakReference **wrlist = weakrefs_listptr(op);
        for (PyWeakReference *wr = *wrlist; wr != NULL; wr = *wrlist)
            _PyWeakref_ClearRef(wr);                       /* unlinks wr from *wrlist */
    }
}
#endif

/* Where lists are validated: the unreachable set's walk counted it and saw what it needs. */
static void vgc_check_un(PyGC_Head *unreachable, const struct vgc_un *un)
{
    struct vgc_un again = {0, 0, NULL, 0, 0};
    for (PyGC_Head *gc = GC_NEXT(unreachable); gc != unreachable; gc = GC_NEXT(gc))
        vgc_un_see(&again, FROM_GC(gc));
    if ((un->count >= 0 && again.count != un->count) || (again.needs & ~un->needs) != 0)
        Py_FatalError("vgc: the unreachable set's summary is wrong (count or phases needed)");
}

/* finalize_garbage: PEP 442 tp_finalize once per object (FINALIZED bit set first).
 * *ran_code is set when a finalizer was called. */
static void vgc_finalize_garbage(PyGC_Head *collectable, int *ran_code)
{
    PyGC_Head seen;
    gc_list_init(&seen);
    while (!gc_list_is_empty(collectable)) {
        PyGC_Head *gc = GC_NEXT(collectable);
        PyObject *op = FROM_GC(gc);
        gc_list_move(gc, &seen);
        destructor finalize = Py_TYPE(op)->tp_finalize;
        if (!gc_is_finalized(gc) && finalize != NULL) {
            gc_set_finalized(gc);
            *ran_code = 1;
            Py_INCREF(op);
            finalize(op);
            Py_DECREF(op);
        }
    }
    gc_list_merge(&seen, collectable);
}

/* handle_resurrected_objects: re-run the proved phases on the unreachable set alone; what a
 * finalizer made reachable again goes to old, the rest to still_unreachable.
 * When no Python code ran since the unreachable set was computed (ran_code == 0: no weakref
 * callback, no finalizer, no DEBUG_COLLECTABLE output to a Python-level stderr), no refcount
 * changed, and every reference to an object of the set comes from the set (the legacy-finalizer
 * closure was taken out whole): the re-check would find the whole set unreachable again, in the
 * same order, so it is skipped. */
/* The sequence of a list's objects, as a count and an order-sensitive hash. */
static void vgc_list_fingerprint(PyGC_Head *list, Py_ssize_t *count, uint64_t *hash)
{
    *count = 0;
    *hash = 1469598103934665603ULL;
    for (PyGC_Head *gc = GC_NEXT(list); gc != list; gc = GC_NEXT(gc)) {
        (*count)++;
        *hash = (*hash ^ (uint64_t)(uintptr_t)gc) * 1099511628211ULL;
    }
}

static void vgc_handle_resurrected_objects(GCState *gcstate, PyGC_Head *unreachable,
                                           PyGC_Head *still_unreachable, PyGC_Head *old,
                                           int ran_code)
{
    /* The skip's lemma (SPEC §7) is not proved: where lists are validated (the test runs,
     * debug builds, verify=True), the re-check runs anyway and must find the same set in the
     * same order, and nothing resurrected. */
    Py_ssize_t n_before = 0, n_after = 0;
    uint64_t h_before = 0, h_after = 0;
    const int check_skip = !ran_code && vgc.validate;
    if (!ran_code && !check_skip) {
        gc_list_init(still_unreachable);
        gc_list_merge(unreachable, still_unreachable);   /* COLLECTING stays set */
        return;
    }
    if (check_skip)
        vgc_list_fingerprint(unreachable, &n_before, &h_before);
    gc_list_clear_collecting(unreachable);
    /* phases 1 and 2 again, in place (the proved core of include/vgc_inplace.h): no memory */
    vgc.recheck_in_place++;
    (void)vgc_deduce_unreachable_ip(gcstate, unreachable, still_unreachable, NULL, 0, NULL, NULL,
                                    NULL);
    if (vgc.verify)
        vgc_verify_inplace(unreachable, still_unreachable, NULL);
    if (check_skip) {
        vgc_list_fingerprint(still_unreachable, &n_after, &h_after);
        if (!gc_list_is_empty(unreachable) || n_after != n_before || h_after != h_before)
            Py_FatalError("vgc: the resurrection re-check found another set or order although "
                          "no Python code ran (the skip's lemma is false)");
        vgc.skip_checked++;
    }
    gc_list_merge(unreachable, old);
}

/* delete_garbage: tp_clear (or, with DEBUG_SAVEALL, append to gc.garbage). */
static void vgc_delete_garbage(GCState *gcstate, PyGC_Head *collectable, PyGC_Head *old)
{
    PyThreadState *tstate = _PyThreadState_GET();   /* once: PyErr_Occurred() looks it up */
    while (!gc_list_is_empty(collectable)) {
        PyGC_Head *gc = GC_NEXT(collectable);
        PyObject *op = FROM_GC(gc);
        if (gcstate->debug & DEBUG_SAVEALL) {
            if (PyList_Append(gcstate->garbage, op) < 0)
                PyErr_Clear();
        }
        else {
            inquiry clear = Py_TYPE(op)->tp_clear;
            if (clear != NULL) {
                Py_INCREF(op);
                (void)clear(op);
                if (_PyErr_Occurred(tstate))
                    write_unraisable("in tp_clear of", (PyObject *)Py_TYPE(op));
                Py_DECREF(op);
            }
        }
        if (GC_NEXT(collectable) == gc) {
            gc_clear_collecting(gc);
            gc_list_move(gc, old);                         /* still alive */
        }
    }
}

/* handle_legacy_finalizers: tp_del objects (all of them with DEBUG_SAVEALL) -> gc.garbage. */
static void vgc_handle_legacy_finalizers(GCState *gcstate, PyGC_Head *finalizers, PyGC_Head *old)
{
    for (PyGC_Head *gc = GC_NEXT(finalizers); gc != finalizers; gc = GC_NEXT(gc)) {
        PyObject *op = FROM_GC(gc);
        if ((gcstate->debug & DEBUG_SAVEALL) || Py_TYPE(op)->tp_del != NULL) {
            if (PyList_Append(gcstate->garbage, op) < 0) {
                PyErr_Clear();
                break;
            }
        }
    }
    gc_list_merge(finalizers, old);
}

static void vgc_show_stats_each_generations(GCState *gcstate)
{
    PySys_WriteStderr("gc: objects in each generation: %zd %zd %zd\n"
                      "gc: objects in permanent generation: %zd\n",
                      gc_list_size(GEN_HEAD(gcstate, 0)), gc_list_size(GEN_HEAD(gcstate, 1)),
                      gc_list_size(GEN_HEAD(gcstate, 2)),
                      gc_list_size(&gcstate->permanent_generation.head));
}

/* ---- the policy: the proved rules of src/vgc_policy.c applied to CPython's counters ---------
 * CPython keeps the counts as int and long_lived_* as Py_ssize_t; the proved functions work on
 * int64_t copies (the same values: every count is >= 0 and far below INT64_MAX).  Writing a
 * count back clamps it to INT_MAX, which CPython's own `count += 1` would overflow first. */

static void vgc_counts_load(GCState *gcstate, int64_t count[NUM_GENERATIONS])
{
    for (int i = 0; i < NUM_GENERATIONS; i++)
        count[i] = gcstate->generations[i].count < 0 ? 0 : gcstate->generations[i].count;
}

static void vgc_counts_store(GCState *gcstate, const int64_t count[NUM_GENERATIONS])
{
    for (int i = 0; i < NUM_GENERATIONS; i++)
        gcstate->generations[i].count = count[i] > INT_MAX ? INT_MAX : (int)count[i];
}

/* CPython gc_collect_main's counter update, by vgc_policy_count_collection. */
static void vgc_policy_begin(GCState *gcstate, int generation)
{
    int64_t count[NUM_GENERATIONS];
    vgc_counts_load(gcstate, count);
    vgc_policy_count_collection(count, generation);
    vgc_counts_store(gcstate, count);
}

/* CPython's long_lived_* update once `survivors` objects survived a collection of
 * `generation`, by vgc_policy_long_lived. */
static void vgc_policy_survivors(GCState *gcstate, int generation, Py_ssize_t survivors)
{
    int64_t total = gcstate->long_lived_total < 0 ? 0 : gcstate->long_lived_total;
    int64_t pending = gcstate->long_lived_pending < 0 ? 0 : gcstate->long_lived_pending;
    vgc_policy_long_lived(&total, &pending, generation, survivors < 0 ? 0 : survivors);
    gcstate->long_lived_total = (Py_ssize_t)total;
    gcstate->long_lived_pending = (Py_ssize_t)pending;
}

/* The generation the proved selection picks from CPython's current counters (-1: none). */
int vgc_policy_choice(GCState *gcstate)
{
    int64_t count[NUM_GENERATIONS], threshold[NUM_GENERATIONS];
    vgc_counts_load(gcstate, count);
    for (int i = 0; i < NUM_GENERATIONS; i++)
        threshold[i] = gcstate->generations[i].threshold;
    return vgc_policy_select(count, threshold, gcstate->long_lived_total,
                             gcstate->long_lived_pending);
}

/* collect_main: one collection of `generation` (CPython's gc_collect_main, minus the parts
 * CPython's own pass still does: free lists).  Returns 0; -1 when CPython's collector is to do
 * the collection (debug builds, an inconsistent type found: it reports it): the counts are then
 * as on entry, and no Python code ran. */
int vgc_collect_main(GCState *gcstate, int generation, Py_ssize_t *n_collected,
                            Py_ssize_t *n_uncollectable)
{
    Py_ssize_t m = 0, n = 0;
    const int debug = vgc_debug_flags(gcstate);
    double t1 = now_seconds();
    if (debug & DEBUG_STATS) {
        PySys_WriteStderr("gc: collecting generation %d...\n", generation);
        vgc_show_stats_each_generations(gcstate);
    }
    int counts[NUM_GENERATIONS];      /* put back if CPython's collector takes over */
    for (int i = 0; i < NUM_GENERATIONS; i++)
        counts[i] = gcstate->generations[i].count;
    vgc_policy_begin(gcstate, generation);
    for (int i = 0; i < generation; i++)
        gc_list_merge(GEN_HEAD(gcstate, i), GEN_HEAD(gcstate, generation));
    PyGC_Head *young = GEN_HEAD(gcstate, generation);
    PyGC_Head *old = generation < NUM_GENERATIONS - 1 ? GEN_HEAD(gcstate, generation + 1) : young;

    /* The collection runs on a detached list head: a tp_traverse that tracks a new object
     * (legal-looking, prohibited only by gh-123241's documentation) appends it to generation 0,
     * which is then a real list outside the collection (empty, or young itself when collecting
     * generation 0), never into the list being scanned and relinked.  Stock treats such an
     * object as reachable: here it joins young's survivors (generation 0) or stays in
     * generation 0. */
    PyGC_Head work;
    gc_list_init(&work);
    gc_list_merge(young, &work);
    PyGC_Head unreachable, finalizers;
    /* The decision (SPEC §8a): phases 1-3 by the proved in-place core (include/vgc_inplace.h),
     * on the header words as CPython's own deduce_unreachable: nothing is allocated that the
     * decision needs, so it cannot fail.  Tuples are offered to untracking in its final walk.
     * verify=True re-checks the decision (src/cpython/verify.c) before anything is freed. */
    Py_ssize_t n_young, negative = 0;
    int untrack = VGC_UNTRACK_TUPLES;
    /* A collection CPython's collector is to do must reach it with nothing untracked: its own
     * untrack_tuples after vgc's would cascade further than stock's one pass (a tuple holding
     * a tuple untracked by the first; found by the cpython fuzz harness). */
#ifdef Py_DEBUG
    untrack |= VGC_UNTRACK_UNLESS_INCONSISTENT;
#endif
    if (vgc.corrupt_next == 1)
        untrack = 0;
    struct vgc_un un;
    (void)vgc_deduce_unreachable_ip(gcstate, &work, &unreachable, &finalizers, untrack,
                                    &n_young, &negative, &un);
    vgc.inconsistent += negative;
#ifdef Py_DEBUG
    const int fall_back = negative > 0;
#else
    const int fall_back = 0;
#endif
    if (fall_back || vgc.corrupt_next == 1) {
        /* An inconsistent type on a debug build: CPython's own collector does this collection,
         * so that its assertion reports the object (gc_decref's "refcount is too small", which
         * test_gc expects there); or the test hook _corrupt_next(1) asks for that path.  The
         * lists are put back as they were, apart from the order (nothing was offered to
         * untracking: see above).  Generation 0 holds exactly what a
         * tp_traverse tracked meanwhile: stock's own pass creates such objects after merging
         * the generations, so they are not part of its collection; kept aside here and put
         * back at "stop" (vgc_finish_pending). */
        vgc.corrupt_next = 0;
        gc_list_clear_collecting(&unreachable);
        gc_list_merge(&unreachable, &work);
        gc_list_merge(&finalizers, &work);
        gc_list_init(&vgc.arrived);
        gc_list_merge(GEN_HEAD(gcstate, 0), &vgc.arrived);
        gc_list_merge(&work, young);
        for (int i = 0; i < NUM_GENERATIONS; i++)
            gcstate->generations[i].count = counts[i];
        return -1;
    }
    if (vgc.corrupt_next == 4 && !gc_list_is_empty(&work)) {  /* test hook: a wrong decision */
        PyGC_Head *g = GC_PREV(&work);                         /* a live object -> garbage */
        gc_list_move(g, &unreachable);
        g->_gc_prev |= _PyGC_PREV_MASK_COLLECTING;
        vgc.corrupt_next = 0;
        un.count = -1;
        un.needs = VGC_UN_WEAKREFS | VGC_UN_FINALIZE;
    }
    if (vgc.verify)
        vgc_verify_inplace(&work, &unreachable, &finalizers);
    n_young += gc_list_size(young);   /* what arrived while deciding (generation 0) */
    gc_list_merge(young, &work);
    gc_list_merge(&work, young);

    /* untrack_tuples(young) ran inside vgc_deduce_unreachable_ip */
    if (young != old) {
        vgc_policy_survivors(gcstate, generation, n_young);
        gc_list_merge(young, old);
    }
    else {
        /* only in full collections (bpo-14775), over the list after all tuples, as CPython;
         * returns young's length */
        vgc_policy_survivors(gcstate, generation, vgc_untrack_dicts(young));
    }

    if (debug & DEBUG_COLLECTABLE)
        for (PyGC_Head *gc = GC_NEXT(&unreachable); gc != &unreachable; gc = GC_NEXT(gc))
            vgc_debug_cycle("collectable", FROM_GC(gc));

    int ran_code = (debug & DEBUG_COLLECTABLE) != 0;     /* Python code since deduce */
    if (vgc.validate && !ran_code)
        vgc_check_un(&unreachable, &un);
    /* Each phase walks the set only if an object needs it (or Python code ran since the set's
     * walk: a weakref callback may give a class of the garbage a __del__). */
    if (ran_code || (un.needs & VGC_UN_WEAKREFS))
        m += vgc_handle_weakrefs(&unreachable, old, &ran_code);
    if (ran_code || (un.needs & VGC_UN_FINALIZE))
        vgc_finalize_garbage(&unreachable, &ran_code);
    PyGC_Head final_unreachable;
    vgc_handle_resurrected_objects(gcstate, &unreachable, &final_unreachable, old, ran_code);
#if PY_VERSION_HEX >= 0x030D0D00 && PY_VERSION_HEX < 0x030E0000
    /* GH-91636, in 3.13.13+: weakrefs that finalizers created to the garbage are cleared,
     * without callbacks, before tp_clear.  Compiled only for such releases (not tested on this
     * project's machines, which have 3.13.0). */
    vgc_clear_weakrefs_quietly(&final_unreachable);
#endif
    /* no code ran: the set is the one counted in its walk */
    m += ran_code || un.count < 0 ? gc_list_size(&final_unreachable) : un.count;
    vgc_delete_garbage(gcstate, &final_unreachable, old);

    for (PyGC_Head *gc = GC_NEXT(&finalizers); gc != &finalizers; gc = GC_NEXT(gc)) {
        n++;
        if (debug & DEBUG_UNCOLLECTABLE)
            vgc_debug_cycle("uncollectable", FROM_GC(gc));
    }
    double elapsed = now_seconds() - t1;
    if (debug & DEBUG_STATS)
        PySys_WriteStderr("gc: done, %zd unreachable, %zd uncollectable, %.4fs elapsed\n",
                          n + m, n, elapsed);
    vgc_handle_legacy_finalizers(gcstate, &finalizers, old);
    if (PyErr_Occurred())
        write_unraisable("in garbage collection", NULL);

    vgc.collections[generation]++;
    vgc.collected += m;
    vgc.uncollectable += n;
    vgc.pause_total += elapsed;
    if (elapsed > vgc.pause_max)
        vgc.pause_max = elapsed;
    *n_collected = m;
    *n_uncollectable = n;
    return 0;
}
