/* hook.c — the trigger: the callback hook, executing the proved start/stop state machine.
 * TRUSTED, NOT PROVED (the decisions and the integers are: src/vgc_hookstate.c, SPEC.md §7).
 * install() puts one hook object in gcstate->callbacks; CPython calls it with "start" and "stop"
 * around each of its collections.  "start": the user's start callbacks, vgc's collection
 * (phases.c), then the collected generations go aside so CPython's own pass runs on empty lists.
 * "stop": lists back, the counts, long_lived_* and stats vgc_hs_finish computes written back,
 * vgc's figures into the info dict, the user's stop callbacks.  A "stop" CPython cannot deliver
 * is finished at the next entry (vgc_heal_lost_stop).  The state is vgc.hs (vgc_hookstate.h).
 */
#include "vgc_cpython.h"

/* Every gc API function that reads or changes the lists, counts or stats starts here. */
GCState *vgc_api_state(void)
{
    GCState *gcstate = get_gc_state();
    if (vgc.installed)
        vgc_heal_lost_stop(gcstate);
    return gcstate;
}

/* ---- the trigger: the callback hook ------------------------------------------------------ */

static void vgc_invoke_user_callbacks(PyObject *phase, PyObject *info)
{
    PyObject *cbs = vgc.user_callbacks;
    if (cbs == NULL)
        return;
    Py_INCREF(cbs);
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *stack[] = {phase, info};
#endif
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(cbs); i++) {
        PyObject *cb = PyList_GET_ITEM(cbs, i);
        Py_INCREF(cb);
#if PY_VERSION_HEX >= 0x030C0000
        PyObject *r = PyObject_Vectorcall(cb, stack, 2, NULL);
#else
        PyObject *r = PyObject_CallFunction(cb, "OO", phase, info);
#endif
        if (r == NULL)
            PyErr_WriteUnraisable(cb);
        else
            Py_DECREF(r);
        Py_DECREF(cb);
    }
    Py_DECREF(cbs);
}

/* CPython's integers around a collection of `generation`, to and from the proved state machine. */
static void vgc_numbers_load(GCState *gcstate, int generation, struct vgc_hs_numbers *x)
{
    for (int i = 0; i < NUM_GENERATIONS; i++)
        x->count[i] = gcstate->generations[i].count;
    x->long_lived_total = gcstate->long_lived_total;
    x->long_lived_pending = gcstate->long_lived_pending;
    x->collected = gcstate->generation_stats[generation].collected;
    x->uncollectable = gcstate->generation_stats[generation].uncollectable;
}

static void vgc_numbers_store(GCState *gcstate, int generation, const struct vgc_hs_numbers *x)
{
    for (int i = 0; i < NUM_GENERATIONS; i++)
        gcstate->generations[i].count = x->count[i];
    gcstate->long_lived_total = x->long_lived_total;
    gcstate->long_lived_pending = x->long_lived_pending;
    gcstate->generation_stats[generation].collected = x->collected;
    gcstate->generation_stats[generation].uncollectable = x->uncollectable;
}

/* "start" (vgc_hs_begin done): the user's start callbacks, then vgc's collection; the collected
 * generations then go aside so that CPython's own pass runs on empty lists. */
static void vgc_hook_start(GCState *gcstate, PyObject *phase, PyObject *info, int generation)
{
    if (PyList_GET_SIZE(vgc.user_callbacks) != 0)
        vgc_invoke_user_callbacks(phase, info);
    /* CPython chose `generation` by the same rule as the proved vgc_policy_select (or it was
     * asked for explicitly): compare, for every collection not started by vgc's own collect(). */
    if (vgc.explicit_depth == 0)
        vgc_hs_policy(&vgc.hs, vgc_policy_choice(gcstate), generation);
    Py_ssize_t m = 0, n = 0;
    int ok = vgc_collect_main(gcstate, generation, &m, &n) == 0;
    if (ok) {
        /* CPython's pass now runs on empty lists: move the collected generations aside. */
        for (int i = 0; i <= generation; i++) {
            gc_list_init(&vgc.aside[i]);
            gc_list_merge(GEN_HEAD(gcstate, i), &vgc.aside[i]);
        }
    }
    struct vgc_hs_numbers now;
    vgc_numbers_load(gcstate, generation, &now);
    vgc_hs_started(&vgc.hs, ok, &now, m, n);
}

/* CPython's validate_list, for every generation list as it must be whenever Python code can
 * run: doubly linked through its head, no COLLECTING bit, no NEXT_MASK_UNREACHABLE bit.  Run
 * after each collection in debug builds (Py_DEBUG), under VGC_VALIDATE=1 (the tests) and with
 * verification on; a broken list stops the process (the heap is corrupt: going on would free
 * or leak objects silently). */
static const char *vgc_list_problem(PyGC_Head *head)
{
    PyGC_Head *prev = head;
    for (PyGC_Head *gc = (PyGC_Head *)head->_gc_next; gc != head;
         prev = gc, gc = (PyGC_Head *)gc->_gc_next) {
        if (gc == NULL)
            return "a NULL next link";
        if (gc->_gc_next & NEXT_MASK_UNREACHABLE)
            return "an object with NEXT_MASK_UNREACHABLE set";
        if (gc_is_collecting(gc))
            return "an object with the COLLECTING bit set";
        if (GC_PREV(gc) != prev)
            return "a prev link that is not the previous object";
    }
    if (GC_PREV(head) != prev)
        return "a head whose prev is not the last object";
    return NULL;
}

static void vgc_validate_lists(GCState *gcstate)
{
    for (int i = 0; i <= NUM_GENERATIONS; i++) {
        PyGC_Head *head = i < NUM_GENERATIONS ? GEN_HEAD(gcstate, i)
                                              : &gcstate->permanent_generation.head;
        const char *why = vgc_list_problem(head);
        if (why != NULL) {
            char msg[200];
            snprintf(msg, sizeof msg, "vgc: after collection %zd, the %s list has %s",
                     vgc.collections[0] + vgc.collections[1] + vgc.collections[2],
                     i == 0 ? "generation-0" : i == 1 ? "generation-1"
                     : i == 2 ? "generation-2" : "permanent", why);
            Py_FatalError(msg);
        }
    }
    vgc.validated++;
}

/* The end of the pending collection, at "stop" (lost = 0) or, when CPython could not deliver
 * "stop" (it calls no callback when it cannot build the phase string or the info dict), at the
 * next entry that finds it pending (lost = 1).  vgc_hs_finish decides; after a collection of
 * vgc's the lists come back and the numbers it computed are written back (after a fallback,
 * CPython's numbers stand).  Returns the state finished (VGC_HS_COLLECTED, _FELL_BACK, _IDLE). */
static int vgc_finish_pending(GCState *gcstate, int lost)
{
    int generation = vgc.hs.gen;
    struct vgc_hs_numbers now;
    vgc_numbers_load(gcstate, generation, &now);
    int was = vgc_hs_finish(&vgc.hs, &now, lost);
    if (was == VGC_HS_COLLECTED) {
        for (int i = 0; i <= generation; i++) {
            /* keep the order: what was aside first, then what arrived meanwhile */
            gc_list_merge(GEN_HEAD(gcstate, i), &vgc.aside[i]);
            gc_list_merge(&vgc.aside[i], GEN_HEAD(gcstate, i));
        }
        vgc_numbers_store(gcstate, generation, &now);
    }
    else if (was == VGC_HS_FELL_BACK) {
        /* what a tp_traverse tracked during vgc's pass (vgc_collect_main): where stock
         * leaves it, first in generation 0, or with young's survivors in generation 1 */
        PyGC_Head *to = GEN_HEAD(gcstate, generation == 0 ? 1 : 0);
        if (generation != 0)
            gc_list_merge(to, &vgc.arrived);
        gc_list_merge(&vgc.arrived, to);
    }
    if (was != VGC_HS_IDLE && vgc.validate)
        vgc_validate_lists(gcstate);
    return was;
}

/* Called at every entry that reads or changes the lists, counts or stats outside a collection:
 * a collection still pending there lost its "stop" (CPython's collecting flag is clear again),
 * so finish it now; stock gc calls no stop callback in that case either. */
void vgc_heal_lost_stop(GCState *gcstate)
{
    if (vgc_hs_heal_due(&vgc.hs, gcstate->collecting))
        vgc_finish_pending(gcstate, 1);
}

/* "stop": finish the collection, then the user's stop callbacks with vgc's figures, in the info
 * dict CPython built (a second dict would be one more allocation after the counts are restored:
 * get_count() would then differ from stock's by one after every collection). */
static void vgc_hook_stop(GCState *gcstate, PyObject *phase, PyObject *info)
{
    if (vgc_finish_pending(gcstate, 0) == VGC_HS_COLLECTED) {
        PyObject *c = PyLong_FromSsize_t(vgc.hs.m);
        PyObject *u = PyLong_FromSsize_t(vgc.hs.n);
        if (c == NULL || u == NULL || PyDict_SetItemString(info, "collected", c) < 0
            || PyDict_SetItemString(info, "uncollectable", u) < 0) {
            Py_XDECREF(c);
            Py_XDECREF(u);
            PyErr_WriteUnraisable(NULL);          /* as CPython when it cannot build info */
            return;
        }
        Py_DECREF(c);
        Py_DECREF(u);
    }
    if (PyList_GET_SIZE(vgc.user_callbacks) != 0)
        vgc_invoke_user_callbacks(phase, info);
}

/* The one entry of gcstate->callbacks while installed: hook(phase, info).  CPython calls it
 * inside its collection (gcstate->collecting set); it is not reachable from Python code (an
 * untracked object in an untracked list), and any other call is ignored: no collection runs
 * outside CPython's collecting state, none nests, and nothing is read after uninstall(). */
static PyObject *vgc_hook_call(PyObject *phase, PyObject *info)
{
    GCState *gcstate = get_gc_state();
    if (!vgc_hs_accept(&vgc.hs, vgc.installed, gcstate->collecting) || !PyUnicode_Check(phase)
        || !PyDict_CheckExact(info))
        return Py_NewRef(Py_None);
    if (PyUnicode_CompareWithASCIIString(phase, "start") == 0) {
        PyObject *g = PyDict_GetItemString(info, "generation");
        int generation = g && PyLong_CheckExact(g) ? (int)PyLong_AsLong(g) : -1;
        int plan = vgc_hs_start_plan(&vgc.hs, generation);
        /* a start while a collection is pending: that one's "stop" was lost */
        if (plan & VGC_HS_START_FINISH)
            vgc_finish_pending(gcstate, 1);
        if (!(plan & VGC_HS_START_COLLECT)) {
            PyErr_Clear();
            return Py_NewRef(Py_None);
        }
        vgc_hs_begin(&vgc.hs, generation);
        vgc_hook_start(gcstate, phase, info, generation);
    }
    else if (vgc.hs.pending != VGC_HS_IDLE) {
        vgc_hook_stop(gcstate, phase, info);
    }
    else {
        /* CPython collected without vgc seeing "start" (it could not build that call): its
         * own collector did this one; count it as a fallback. */
        PyObject *c = PyDict_GetItemString(info, "collected");
        PyObject *u = PyDict_GetItemString(info, "uncollectable");
        if (c != NULL && u != NULL) {
            vgc_hs_stop_unseen(&vgc.hs, PyLong_AsSsize_t(c), PyLong_AsSsize_t(u));
            PyErr_Clear();
        }
        if (PyList_GET_SIZE(vgc.user_callbacks) != 0)
            vgc_invoke_user_callbacks(phase, info);
    }
    return Py_NewRef(Py_None);
}

/* The hook is an instance of a small non-GC type with its own vectorcall: CPython calls it
 * through PyObject_Vectorcall / PyObject_CallFunction, which for such an object skip the
 * recursion-limit check a builtin function's call makes.  So a collection near the recursion
 * limit reaches vgc exactly where stock's collection would run (3.11: within a few frames of the
 * limit a builtin hook was refused with RecursionError, and CPython's own pass then freed the
 * garbage without running finalizers), and the user's callbacks and finalizers run at stock's
 * depth. */
typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    /* the user's gc.callbacks list, owned here: gcstate->callbacks owns the hook's list, so
     * when CPython drops it at finalization (_PyGC_Fini) the user's list goes too, as stock's
     * does; vgc.user_callbacks only borrows (LeakSanitizer found both lists leaked by an
     * interpreter that exits with vgc installed) */
    PyObject *user_callbacks;
} vgc_hook_object;

static PyObject *vgc_hook_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                                     PyObject *kwnames)
{
    (void)self;
    if (PyVectorcall_NARGS(nargsf) != 2 || kwnames != NULL)
        return Py_NewRef(Py_None);
    return vgc_hook_call(args[0], args[1]);
}

static void vgc_hook_dealloc(PyObject *self)
{
    Py_XDECREF(((vgc_hook_object *)self)->user_callbacks);
    /* At the interpreter's end (_PyGC_Fini) the inconsistent-type record goes too: later only
     * vgc_atexit would forget it, after CPython has emptied its dict free lists (LeakSanitizer:
     * 184 B).  After uninstall() it stays readable through status(). */
#if PY_VERSION_HEX >= 0x030D0000
    if (Py_IsFinalizing())
#else
    if (_Py_IsFinalizing())
#endif
        Py_CLEAR(vgc.inconsistent_types);
    PyObject_Free(self);
}

/* A static type, readied once per process.  It was a heap type until stop 20: a heap type is in
 * a reference cycle with its own tp_mro, and the hook keeps it alive until _PyGC_Fini, after the
 * interpreter's last collection, so every Py_Initialize()/Py_FinalizeEx() round of an embedding
 * host leaked the type (LeakSanitizer, tests/python/test_hardening.py Embedding). */
static PyTypeObject vgc_hook_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "vgc._vgc._Hook",
    .tp_basicsize = sizeof(vgc_hook_object),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL |
                Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .tp_vectorcall_offset = offsetof(vgc_hook_object, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_dealloc = vgc_hook_dealloc,
    .tp_doc = "vgc's collection trigger (internal).",
};

int vgc_hook_type_ready(void)
{
    return PyType_Ready(&vgc_hook_type);
}

PyObject *vgc_hook_new(PyObject *user_callbacks)
{
    vgc_hook_object *h = PyObject_New(vgc_hook_object, &vgc_hook_type);
    if (h != NULL) {
        h->vectorcall = vgc_hook_vectorcall;
        h->user_callbacks = Py_NewRef(user_callbacks);
    }
    return (PyObject *)h;
}
