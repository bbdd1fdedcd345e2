/* module.c — the module vgc._vgc: install/uninstall/status, collect, the debug flags, the rest
 * of the gc API (stock's own functions), test hooks, and the checks made at import.
 * TRUSTED, NOT PROVED.  The adapter's one state record lives here.
 */
#include "vgc_cpython.h"
#include "traverse.h"

#include <stdio.h>

struct vgc_state vgc;

/* The module's own reference to the stock gc module, in its module state (not in `vgc`).  Until
 * stop 20 a process-wide reference (gc.collect itself) outlived the interpreter: it kept the
 * stock gc module (out of sys.modules while installed, so its dict was never cleared), its
 * __spec__ and through it importlib's classes alive through Py_FinalizeEx's last collections, and
 * vgc_atexit then forgot them: an embedding host that calls Py_Initialize()/Py_FinalizeEx() in a
 * loop lost them every round (tests/python/test_hardening.py Embedding).  The module state is
 * traversed and cleared with the module, so the gc module goes with it. */
struct vgc_mstate {
    PyObject *stock_gc;               /* the gc module (gc.collect's C function's `self`) */
    PyCFunction collect_fn;           /* gc.collect's C function, from the module's definition */
};

static struct vgc_mstate *vgc_mstate(PyObject *module)
{
    return (struct vgc_mstate *)PyModule_GetState(module);
}

/* The debug flags in force: gcstate->debug, plus DEBUG_STATS which vgc keeps to itself while
 * installed (CPython's own pass would print statistics of its empty lists).  A DEBUG_STATS set
 * through the original gc module is taken over here. */
int vgc_debug_flags(GCState *gcstate)
{
    if (vgc.installed && (gcstate->debug & DEBUG_STATS)) {
        vgc.stats_flag = DEBUG_STATS;
        gcstate->debug &= ~DEBUG_STATS;
    }
    return gcstate->debug | (vgc.installed ? vgc.stats_flag : 0);
}

/* ---- module functions: install / status ------------------------------------------------- */

static PyObject *py_install(PyObject *module, PyObject *unused)
{
    (void)unused;
    if (_PyInterpreterState_GET() != PyInterpreterState_Main()) {   /* checked first */
        PyErr_SetString(PyExc_RuntimeError, "vgc can only be installed in the main interpreter");
        return NULL;
    }
    if (vgc.layout_error != NULL && !vgc_layout_override()) {
        PyErr_Format(PyExc_RuntimeError, "%s (set VGC_IGNORE_LAYOUT=1 to install anyway, at "
                     "your own risk)", vgc.layout_error);
        return NULL;
    }
    if (vgc.installed)
        Py_RETURN_FALSE;
    GCState *gcstate = get_gc_state();
    if (gcstate->collecting) {
        /* CPython is iterating over gcstate->callbacks (a finalizer, weakref callback or gc
         * callback called install()): swapping the list now would skip/repeat callbacks. */
        PyErr_SetString(PyExc_RuntimeError, "vgc: cannot install during a collection");
        return NULL;
    }
    if (gcstate->callbacks == NULL || !PyList_CheckExact(gcstate->callbacks)) {
        PyErr_SetString(PyExc_RuntimeError, "vgc: the gc state has no callbacks list");
        return NULL;
    }
    /* the direct reads of dicts and plain instances: off, with the reason in status(), when
     * one of the probes (run at import) disagreed with tp_traverse (traverse.c) */
    vgc_direct_probe_once(gcstate);
    vgc_direct_init();
    PyObject *hook = vgc_hook_new(gcstate->callbacks);
    if (hook == NULL)
        return NULL;
    PyObject *list = PyList_New(1);
    if (list == NULL) {
        Py_DECREF(hook);
        return NULL;
    }
    PyList_SET_ITEM(list, 0, hook);
    /* vgc's own objects stay out of the tracked heap: gc.get_objects() and DEBUG_STATS's
     * generation sizes are stock's, and nothing in Python can reach the hook. */
    PyObject_GC_UnTrack(list);
    if (gcstate->generations[0].count > 0)        /* nor in the allocation count */
        gcstate->generations[0].count--;
    vgc.user_callbacks = gcstate->callbacks;      /* the hook holds it; gcstate's reference */
    Py_DECREF(gcstate->callbacks);                /* is given back (not its last one) */
    gcstate->callbacks = list;                    /* takes over the list's reference */
    vgc.stats_flag = gcstate->debug & DEBUG_STATS;
    gcstate->debug &= ~DEBUG_STATS;               /* vgc prints the statistics */
    memset(vgc.collections, 0, sizeof vgc.collections);
    vgc.collected = vgc.uncollectable = vgc.validated = 0;
    vgc.verified = vgc.verify_skipped = vgc.skip_checked = vgc.recheck_in_place = 0;
    vgc.look_ahead = 0;
    const char *la = getenv("VGC_LOOK_AHEAD_MIN");    /* tests, fuzzing: e.g. 0 (always) */
    vgc.look_ahead_min = la != NULL && la[0] >= '0' && la[0] <= '9' ? atol(la)
                                                                    : VGC_LOOK_AHEAD_MIN;
    Py_CLEAR(vgc.inconsistent_types);
#ifdef Py_DEBUG
    vgc.validate = 1;
#else
    const char *v = getenv("VGC_VALIDATE");
    vgc.validate = (v != NULL && v[0] == '1') || vgc.verify;
#endif
    vgc.peak_bytes = 0;
    vgc.inconsistent = 0;
    vgc.pause_total = vgc.pause_max = 0.0;
    vgc_hs_init(&vgc.hs);
    gc_list_init(&vgc.arrived);
    vgc.installed = 1;
    Py_RETURN_TRUE;
}

static PyObject *py_uninstall(PyObject *module, PyObject *unused)
{
    (void)module; (void)unused;
    if (!vgc.installed)
        Py_RETURN_FALSE;
    GCState *gcstate = get_gc_state();
    vgc_heal_lost_stop(gcstate);
    /* gcstate->collecting too: a user "start" callback or a finalizer runs before vgc.hs.pending
     * is set, and uninstalling then left the collected generations aside for good (the "stop"
     * call no longer reached the hook). */
    if (vgc.hs.pending != VGC_HS_IDLE || gcstate->collecting) {
        PyErr_SetString(PyExc_RuntimeError, "vgc: cannot uninstall during a collection");
        return NULL;
    }
    PyObject *hooks = gcstate->callbacks;
    gcstate->callbacks = Py_NewRef(vgc.user_callbacks);
    vgc.user_callbacks = NULL;
    Py_XDECREF(hooks);                            /* the list, the hook, its user_callbacks */
    gcstate->debug |= vgc.stats_flag;
    vgc.stats_flag = 0;
    vgc.installed = 0;
    Py_RETURN_TRUE;
}

static PyObject *py_status(PyObject *module, PyObject *unused)
{
    (void)module; (void)unused;
    if (vgc.installed)
        vgc_heal_lost_stop(get_gc_state());
    PyObject *types = vgc.inconsistent_types ? PyDict_Copy(vgc.inconsistent_types) : PyDict_New();
    if (types == NULL)
        return NULL;
    return Py_BuildValue("{sOs(nnn)snsnsnsnsnsnsnsdsdsssnsnsnsnsnsisnsnsnsnsnsOsnszsN}",
                         "installed", vgc.installed ? Py_True : Py_False,
                         "collections", vgc.collections[0], vgc.collections[1],
                         vgc.collections[2],
                         "collected", vgc.collected, "uncollectable", vgc.uncollectable,
                         "fallbacks", vgc.hs.fallbacks, "cpython_collected", vgc.hs.cpython_collected,
                         "inconsistent", vgc.inconsistent,
                         "policy_agreed", vgc.hs.policy_agreed,
                         "policy_differed", vgc.hs.policy_differed,
                         "pause_total", vgc.pause_total, "pause_max", vgc.pause_max,
                         "core_version", VGC_CORE_VERSION,
                         "kept_bytes", (Py_ssize_t)0,   /* the successor buffer: freed each time */
                         "peak_bytes", (Py_ssize_t)vgc.peak_bytes,
                         "fallback_collected", vgc.hs.fallback_collected,
                         "lost_stops", vgc.hs.lost_stops,
                         "validated", vgc.validated,
                         "verify", vgc.verify,
                         "verified", vgc.verified, "verify_skipped", vgc.verify_skipped,
                         "skip_checked", vgc.skip_checked,
                         "recheck_in_place", vgc.recheck_in_place,
                         "look_ahead", vgc.look_ahead,
                         "direct_reads", vgc_direct.on ? Py_True : Py_False,
                         "direct_checked", vgc_direct.checked,
                         "direct_off_reason", vgc_direct.off_reason,
                         "inconsistent_types", types);
}

static PyObject *py_fail_alloc_after(PyObject *module, PyObject *arg)
{
    (void)module;
    long k = PyLong_AsLong(arg);
    if (k == -1 && PyErr_Occurred())
        return NULL;
    vgc.fail_alloc_after = k;
    Py_RETURN_NONE;
}

/* _configure(verify), called by vgc.install() before _install(): every decision re-checked by
 * the in-place checker (src/cpython/verify.c), plus list validation. */
static PyObject *py_configure(PyObject *module, PyObject *args)
{
    (void)module;
    int verify;
    if (!PyArg_ParseTuple(args, "p:_configure", &verify))
        return NULL;
    if (get_gc_state()->collecting) {
        if (vgc.installed)            /* install() while installed: a no-op, as _install() */
            Py_RETURN_NONE;
        PyErr_SetString(PyExc_RuntimeError, "vgc: cannot install during a collection");
        return NULL;
    }
    vgc.verify = verify;
    Py_RETURN_NONE;
}

/* Test hook: _corrupt_next(4) spoils the next decision (one live object moved to the garbage),
 * to show that verify=True stops it; _corrupt_next(1) hands the next collection to CPython's
 * collector after vgc's pass (the path debug builds take on an inconsistent type);
 * _corrupt_next(8) makes the next checked direct read one referent short, to show that the
 * check stops the process (traverse.c). */
static PyObject *py_corrupt_next(PyObject *module, PyObject *arg)
{
    (void)module;
    long k = PyLong_AsLong(arg);
    if (k == -1 && PyErr_Occurred())
        return NULL;
    vgc.corrupt_next = (int)k;
    Py_RETURN_NONE;
}

/* Test hook: the number of allocation points so far (growths of the successor buffer past its
 * static chunk, the same unit as _set_alloc_fail); _alloc_count(True) also resets
 * it to 0 (returning the value before).  With _set_alloc_fail(k) (= _fail_alloc_after) this
 * lets tests fail every k in 1.._alloc_count() of one collection. */
static PyObject *py_alloc_count(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs > 1) {
        PyErr_SetString(PyExc_TypeError, "_alloc_count([reset])");
        return NULL;
    }
    long n = vgc.alloc_count;
    if (nargs == 1) {
        int reset = PyObject_IsTrue(args[0]);
        if (reset < 0)
            return NULL;
        if (reset)
            vgc.alloc_count = 0;
    }
    return PyLong_FromLong(n);
}

/* ---- the gc API -------------------------------------------------------------------------- */

/* The generation argument of collect(), from a vectorcall: the common forms directly, anything
 * else through PyArg_ParseTupleAndKeywords for gc's own error messages.  0 or -1. */
static int collect_arg(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                       PyObject **genobj)
{
    *genobj = NULL;
    if (kwnames == NULL && nargs <= 1) {
        if (nargs == 1)
            *genobj = args[0];
        return 0;
    }
    static char *kwlist[] = {"generation", NULL};
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    PyObject *tuple = PyTuple_New(nargs), *dict = nkw ? PyDict_New() : NULL;
    int rc = -1;
    if (tuple == NULL || (nkw && dict == NULL))
        goto done;
    for (Py_ssize_t i = 0; i < nargs; i++)
        PyTuple_SET_ITEM(tuple, i, Py_NewRef(args[i]));
    for (Py_ssize_t i = 0; i < nkw; i++)
        if (PyDict_SetItem(dict, PyTuple_GET_ITEM(kwnames, i), args[nargs + i]) < 0)
            goto done;
    PyObject *g = NULL;
    if (PyArg_ParseTupleAndKeywords(tuple, dict, "|O:collect", kwlist, &g)) {
        *genobj = g;          /* borrowed from args: tuple/dict only add references */
        rc = 0;
    }
done:
    Py_XDECREF(tuple);
    Py_XDECREF(dict);
    return rc;
}

/* METH_FASTCALL | METH_KEYWORDS, as gc.collect: Python code then calls it without a recursion
 * level (3.11's specialised builtin call), so a collection near the recursion limit runs its
 * finalizers and callbacks at stock's depth. */
static PyObject *py_collect(PyObject *m, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames)
{
    struct vgc_mstate *ms = vgc_mstate(m);
    int generation = NUM_GENERATIONS - 1;
    PyObject *genobj = NULL;
    if (collect_arg(args, nargs, kwnames, &genobj) < 0)
        return NULL;
    if (genobj != NULL) {
        /* as gc.collect's clinic `int` converter (not "i"): same OverflowError message */
#if PY_VERSION_HEX >= 0x030D0000
        generation = PyLong_AsInt(genobj);
#else
        generation = _PyLong_AsInt(genobj);
#endif
        if (generation == -1 && PyErr_Occurred())
            return NULL;
    }
    if (generation < 0 || generation >= NUM_GENERATIONS) {
        PyErr_SetString(PyExc_ValueError, "invalid generation");
        return NULL;
    }
    if (ms == NULL || ms->stock_gc == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "vgc: the module is being finalized");
        return NULL;
    }
    GCState *gcstate = get_gc_state();
    if (gcstate->collecting)
        return PyLong_FromLong(0);                /* already collecting */
    if (vgc.installed)
        vgc_heal_lost_stop(gcstate);
    /* gc.collect's own C function, called directly: a Python-level call would take one more
     * recursion level than stock's gc.collect() (see vgc_hook_vectorcall). */
    PyObject *genarg = PyLong_FromLong(generation);
    if (genarg == NULL)
        return NULL;
    vgc.hs.last_result = -1;
    vgc.explicit_depth++;
    PyObject *r = ((_PyCFunctionFastWithKeywords)(void (*)(void))ms->collect_fn)(
                       ms->stock_gc, &genarg, 1, NULL);
    vgc.explicit_depth--;
    Py_DECREF(genarg);
    if (r == NULL || !vgc.installed)
        return r;
    vgc_heal_lost_stop(gcstate);                  /* "stop" lost: the result is still vgc's */
    if (vgc.hs.last_result < 0)
        return r;                                 /* CPython's collector did this one */
    Py_DECREF(r);
    return PyLong_FromSsize_t(vgc.hs.last_result);
}

static PyObject *py_set_debug(PyObject *m, PyObject *arg)
{
    (void)m;
#if PY_VERSION_HEX >= 0x030D0000
    int flags = PyLong_AsInt(arg);
#else
    int flags = _PyLong_AsInt(arg);
#endif
    if (flags == -1 && PyErr_Occurred())
        return NULL;
    GCState *gcstate = get_gc_state();
    if (vgc.installed) {
        vgc.stats_flag = flags & DEBUG_STATS;
        gcstate->debug = flags & ~DEBUG_STATS;
    }
    else {
        gcstate->debug = flags;
    }
    Py_RETURN_NONE;
}

static PyObject *py_get_debug(PyObject *m, PyObject *u)
{
    (void)m; (void)u;
    return PyLong_FromLong(vgc_debug_flags(get_gc_state()));
}

/* ---- the rest of the gc API: stock's own functions -----------------------------------------
 * Between collections the generation lists, counts and stats are CPython's own (the hook puts
 * them back before any user code runs), so the rest of the gc API is the stock module's
 * functions: vgc/__init__.py re-exports those that read nothing vgc may hold aside (enable,
 * disable, isenabled, get/set_threshold, get_referents, is_tracked, is_finalized).  The ones
 * below read or move the lists, counts or stats; vgc's versions first finish a collection whose
 * "stop" was lost (vgc_heal_lost_stop), then call stock's C function directly (no extra
 * recursion level, stock's argument handling, messages and audit events). */
static const char *const vgc_forwarded_names[] = {
    "get_objects", "get_referrers", "get_count", "get_stats", "freeze", "unfreeze",
    "get_freeze_count",
};
#define N_FORWARDED (sizeof vgc_forwarded_names / sizeof vgc_forwarded_names[0])
static PyMethodDef vgc_forwarded_defs[N_FORWARDED];

static PyObject *vgc_forward(PyObject *stockfn, PyObject *const *args, Py_ssize_t nargs,
                             PyObject *kwnames)
{
    vgc_api_state();
    PyCFunction meth = PyCFunction_GET_FUNCTION(stockfn);
    PyObject *self = PyCFunction_GET_SELF(stockfn);
    int flags = PyCFunction_GET_FLAGS(stockfn) & ~(METH_CLASS | METH_STATIC | METH_COEXIST);
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    switch (flags) {
    case METH_NOARGS:
        if (nargs == 0 && nkw == 0)
            return meth(self, NULL);
        break;
    case METH_O:
        if (nargs == 1 && nkw == 0)
            return meth(self, args[0]);
        break;
    case METH_VARARGS:
        if (nkw == 0) {
            PyObject *t = PyTuple_New(nargs);
            if (t == NULL)
                return NULL;
            for (Py_ssize_t i = 0; i < nargs; i++)
                PyTuple_SET_ITEM(t, i, Py_NewRef(args[i]));
            PyObject *r = meth(self, t);
            Py_DECREF(t);
            return r;
        }
        break;
    case METH_FASTCALL:
        if (nkw == 0)
            return ((_PyCFunctionFast)(void (*)(void))meth)(self, args, nargs);
        break;
    case METH_FASTCALL | METH_KEYWORDS:
        return ((_PyCFunctionFastWithKeywords)(void (*)(void))meth)(self, args, nargs, kwnames);
    default:
        break;
    }
    /* any other form of call: stock's own call path raises stock's error */
    return PyObject_Vectorcall(stockfn, args, (size_t)nargs, kwnames);
}

/* Publishes vgc's forwarder of each function of vgc_forwarded_names on the module. */
static int vgc_add_forwarders(PyObject *module, PyObject *gc)
{
    for (size_t i = 0; i < N_FORWARDED; i++) {
        PyObject *stockfn = PyObject_GetAttrString(gc, vgc_forwarded_names[i]);
        if (stockfn == NULL)
            return -1;
        if (!PyCFunction_Check(stockfn)) {
            Py_DECREF(stockfn);
            PyErr_Format(PyExc_ImportError, "vgc: gc.%s is not CPython's builtin",
                         vgc_forwarded_names[i]);
            return -1;
        }
        PyMethodDef *def = &vgc_forwarded_defs[i];
        def->ml_name = vgc_forwarded_names[i];
        def->ml_meth = (PyCFunction)(void (*)(void))vgc_forward;
        def->ml_flags = METH_FASTCALL | METH_KEYWORDS;
        def->ml_doc = ((PyCFunctionObject *)stockfn)->m_ml->ml_doc;
        PyObject *fn = PyCFunction_NewEx(def, stockfn, ((PyCFunctionObject *)stockfn)->m_module);
        Py_DECREF(stockfn);
        if (fn == NULL || PyModule_AddObjectRef(module, vgc_forwarded_names[i], fn) < 0) {
            Py_XDECREF(fn);
            return -1;
        }
        Py_DECREF(fn);
    }
    return 0;
}

#define NOARGS(name, fn, doc) {name, (PyCFunction)(fn), METH_NOARGS, doc}
/* vgc's own functions of the gc API, published by vgc_exec with __module__ "gc" as stock's are:
 * CPython names a builtin function in its argument errors as __module__.__qualname__, so
 * gc.get_debug(1) says "gc.get_debug() takes no arguments (1 given)" under vgc too (it said
 * vgc._vgc.get_debug(); found by the cpython fuzz harness). */
static PyMethodDef vgc_gc_api_defs[] = {
    {"collect", (PyCFunction)(void (*)(void))py_collect, METH_FASTCALL | METH_KEYWORDS,
     "collect($module, /, generation=2)\n--\n\nRun the garbage collector (vgc's proved core "
     "decides reachability).\n\nWith no arguments, run a full collection.  The optional argument\n"
     "may be an integer specifying which generation to collect.  A ValueError\n"
     "is raised if the generation number is invalid.\n\n"
     "The number of unreachable objects is returned."},
    {"set_debug", py_set_debug, METH_O,
     "set_debug($module, flags, /)\n--\n\nSet the garbage collection debugging flags.\n\n"
     "  flags\n    An integer that can have the following bits turned on:\n"
     "      DEBUG_STATS - Print statistics during collection.\n"
     "      DEBUG_COLLECTABLE - Print collectable objects found.\n"
     "      DEBUG_UNCOLLECTABLE - Print unreachable but uncollectable objects found.\n"
     "      DEBUG_SAVEALL - Save objects to gc.garbage rather than freeing them.\n"
     "      DEBUG_LEAK - Debug leaking programs (everything but STATS).\n\n"
     "Debugging information is written to sys.stderr."},
    NOARGS("get_debug", py_get_debug,
           "get_debug($module, /)\n--\n\nGet the garbage collection debugging flags."),
    {NULL, NULL, 0, NULL}
};

/* Publishes vgc_gc_api_defs on the module (self: the module) with __module__ "gc". */
static int vgc_add_gc_api(PyObject *module)
{
    PyObject *gcname = PyUnicode_FromString("gc");
    if (gcname == NULL)
        return -1;
    for (PyMethodDef *def = vgc_gc_api_defs; def->ml_name != NULL; def++) {
        PyObject *fn = PyCFunction_NewEx(def, module, gcname);
        if (fn == NULL || PyModule_AddObjectRef(module, def->ml_name, fn) < 0) {
            Py_XDECREF(fn);
            Py_DECREF(gcname);
            return -1;
        }
        Py_DECREF(fn);
    }
    Py_DECREF(gcname);
    return 0;
}

static PyMethodDef vgc_methods[] = {
    NOARGS("_install", py_install, "Install the collection hook; False if already installed."),
    NOARGS("_uninstall", py_uninstall, "Remove the collection hook; False if not installed."),
    NOARGS("_status", py_status, "vgc's counters since install (see vgc.status())."),
    {"_fail_alloc_after", py_fail_alloc_after, METH_O,
     "Test hook: make the k-th successor-buffer growth fail (0 disables)."},
    {"_set_alloc_fail", py_fail_alloc_after, METH_O,
     "Test hook: make the k-th allocation from now fail (0 disables); = _fail_alloc_after."},
    {"_configure", py_configure, METH_VARARGS,
     "_configure(verify): set before _install() (see vgc.install)."},
    {"_corrupt_next", py_corrupt_next, METH_O,
     "Test hook: _corrupt_next(4) moves one live object to the garbage in the next decision; "
     "_corrupt_next(1) hands the next collection to CPython's collector; _corrupt_next(8) "
     "makes the next direct read that is checked (VGC_VALIDATE=1) look one referent short."},
    {"_alloc_count", (PyCFunction)(void (*)(void))py_alloc_count, METH_FASTCALL,
     "Test hook: successor-buffer growths so far; _alloc_count(True) resets the count."},
    {NULL, NULL, 0, NULL}
};

/* Py_FinalizeEx's last step (Py_AtExit): the interpreter and its objects are gone.  A host
 * that calls Py_Initialize() again imports vgc afresh (multi-phase init runs vgc_exec again),
 * so the process-wide state must not outlive the interpreter it describes: drop it. */
static void vgc_atexit(void)
{
    memset(&vgc, 0, sizeof vgc);
}

int vgc_layout_override(void)
{
    const char *v = getenv("VGC_IGNORE_LAYOUT");
    return v != NULL && v[0] == '1';
}

/* A doubly linked list head as CPython leaves it between collections. */
static int vgc_head_ok(PyGC_Head *h)
{
    PyGC_Head *next = GC_NEXT(h), *prev = GC_PREV(h);
    return next != NULL && prev != NULL && GC_PREV(next) == h && GC_NEXT(prev) == h;
}

/* The checks made before anything of the gc state is read for use: this binary is compiled
 * against one CPython release's internal struct layout (pycore_gc.h, pycore_interp.h), which
 * is not part of any ABI.  Returns NULL when the running interpreter is that release and its gc
 * state looks as expected, else why not (install() then refuses). */
static const char *vgc_check_layout(PyObject *gc)
{
    static char msg[200];
    if ((Py_Version >> 8) != (PY_VERSION_HEX >> 8)) {
        snprintf(msg, sizeof msg, "vgc._vgc was compiled for CPython %d.%d.%d but runs on "
                 "CPython %lu.%lu.%lu; rebuild vgc for this interpreter",
                 PY_MAJOR_VERSION, PY_MINOR_VERSION, PY_MICRO_VERSION,
                 (unsigned long)(Py_Version >> 24), (unsigned long)((Py_Version >> 16) & 0xFF),
                 (unsigned long)((Py_Version >> 8) & 0xFF));
        return msg;
    }
    GCState *gcstate = get_gc_state();
    const char *what = NULL;
    PyObject *garbage = PyObject_GetAttrString(gc, "garbage");
    PyObject *callbacks = PyObject_GetAttrString(gc, "callbacks");
    PyObject *thr = PyObject_CallMethod(gc, "get_threshold", NULL);
    if (garbage == NULL || callbacks == NULL || thr == NULL || !PyTuple_Check(thr)
        || PyTuple_GET_SIZE(thr) != NUM_GENERATIONS) {
        PyErr_Clear();
        what = "gc.garbage, gc.callbacks or gc.get_threshold() missing";
    }
    else if (gcstate->garbage != garbage)
        what = "gc.garbage";
    else if (gcstate->callbacks != callbacks && !vgc.installed)
        what = "gc.callbacks";
    else if (gcstate->generation0 != GEN_HEAD(gcstate, 0))
        what = "generation 0's head";
    else {
        for (int i = 0; i < NUM_GENERATIONS && what == NULL; i++) {
            long t = PyLong_AsLong(PyTuple_GET_ITEM(thr, i));
            if (t != gcstate->generations[i].threshold || !vgc_head_ok(GEN_HEAD(gcstate, i)))
                what = "a generation's threshold or list head";
        }
        if (what == NULL && !vgc_head_ok(&gcstate->permanent_generation.head))
            what = "the permanent generation's list head";
        PyErr_Clear();
    }
    Py_XDECREF(garbage);
    Py_XDECREF(callbacks);
    Py_XDECREF(thr);
    if (what == NULL)
        return NULL;
    snprintf(msg, sizeof msg, "the gc state of this CPython %d.%d.%d does not have the layout "
             "vgc._vgc was compiled for (%s differs)", PY_MAJOR_VERSION, PY_MINOR_VERSION,
             PY_MICRO_VERSION, what);
    return msg;
}

static int vgc_exec(PyObject *module)
{
    /* The adapter's state (vgc, the hook) is process-wide and belongs to the main
     * interpreter: loaded in a subinterpreter, install() returned False there once the main
     * interpreter had installed vgc, collect() returned the main interpreter's numbers and
     * `callbacks` was the main interpreter's list.  Refuse to load instead (vgc/__init__.py then
     * keeps `import vgc` working and install() raises RuntimeError with this reason). */
    if (_PyInterpreterState_GET() != PyInterpreterState_Main()) {
        PyErr_SetString(PyExc_ImportError, "vgc can only be installed in the main interpreter "
                        "(vgc._vgc cannot be loaded in a subinterpreter)");
        return -1;
    }
    if (!vgc.atexit_registered) {
        if (Py_AtExit(vgc_atexit) < 0) {
            PyErr_SetString(PyExc_ImportError, "vgc: no room for its Py_AtExit function");
            return -1;
        }
        vgc.atexit_registered = 1;
    }
    PyObject *gc = PyImport_ImportModule("gc");
    if (gc == NULL)
        return -1;
    if (!vgc.installed)
        vgc.layout_error = vgc_check_layout(gc);
    if (!vgc.installed && vgc.layout_error == NULL)
        vgc_direct_probe_once(get_gc_state());    /* traverse.c: whether install() reads dicts
                                                   * and plain instances directly */
    /* gc.collect's C function from the gc module's own method table (install() replaces the
     * module's `collect` attribute; the table stays CPython's) */
    struct vgc_mstate *ms = vgc_mstate(module);
    if (PyModule_Check(gc) && PyModule_GetDef(gc) == NULL && !PyErr_Occurred()) {
        /* loaded again while installed: sys.modules["gc"] is the vgc package */
        PyObject *stock = PyObject_GetAttrString(gc, "_stock_gc");
        Py_DECREF(gc);
        if (stock == NULL)
            return -1;
        gc = stock;
    }
    PyModuleDef *gcdef = PyModule_Check(gc) ? PyModule_GetDef(gc) : NULL;
    for (PyMethodDef *d = gcdef ? gcdef->m_methods : NULL; d != NULL && d->ml_name != NULL; d++)
        if (strcmp(d->ml_name, "collect") == 0 && d->ml_flags == (METH_FASTCALL | METH_KEYWORDS))
            ms->collect_fn = d->ml_meth;
    if (ms->collect_fn == NULL) {
        Py_DECREF(gc);
        PyErr_SetString(PyExc_ImportError, "vgc: gc.collect is not CPython's builtin "
                        "(no METH_FASTCALL | METH_KEYWORDS `collect` in the gc module)");
        return -1;
    }
    ms->stock_gc = Py_NewRef(gc);
    if (vgc_hook_type_ready() < 0) {
        Py_DECREF(gc);
        return -1;
    }
    /* Published from the stock module, not read from the gc state, which is only trusted once
     * vgc_check_layout passed (they are the same objects then). */
    PyObject *garbage = PyObject_GetAttrString(gc, "garbage");
    PyObject *cbs = vgc.installed ? Py_NewRef(vgc.user_callbacks)
                                  : PyObject_GetAttrString(gc, "callbacks");
    PyObject *layout = vgc.layout_error ? PyUnicode_FromString(vgc.layout_error)
                                        : Py_NewRef(Py_None);
    int bad = garbage == NULL || cbs == NULL || layout == NULL ||
        PyModule_AddObjectRef(module, "garbage", garbage) < 0 ||
        PyModule_AddObjectRef(module, "callbacks", cbs) < 0 ||
        PyModule_AddObjectRef(module, "_stock_gc", gc) < 0 ||
        vgc_add_gc_api(module) < 0 ||
        vgc_add_forwarders(module, gc) < 0 ||
        PyModule_AddObjectRef(module, "_layout_error", layout) < 0 ||
        PyModule_AddIntConstant(module, "DEBUG_STATS", DEBUG_STATS) < 0 ||
        PyModule_AddIntConstant(module, "DEBUG_COLLECTABLE", DEBUG_COLLECTABLE) < 0 ||
        PyModule_AddIntConstant(module, "DEBUG_UNCOLLECTABLE", DEBUG_UNCOLLECTABLE) < 0 ||
        PyModule_AddIntConstant(module, "DEBUG_SAVEALL", DEBUG_SAVEALL) < 0 ||
        PyModule_AddIntConstant(module, "DEBUG_LEAK", DEBUG_LEAK) < 0 ||
        PyModule_AddIntConstant(module, "compiled_for", PY_VERSION_HEX) < 0 ||
        PyModule_AddStringConstant(module, "core_version", VGC_CORE_VERSION) < 0;
    Py_XDECREF(garbage);
    Py_XDECREF(cbs);
    Py_XDECREF(layout);
    Py_DECREF(gc);
    return bad ? -1 : 0;
}

static PyModuleDef_Slot vgc_slots[] = {
    {Py_mod_exec, vgc_exec},
    {0, NULL}
};

static int vgc_m_traverse(PyObject *module, visitproc visit, void *arg)
{
    struct vgc_mstate *ms = vgc_mstate(module);
    if (ms != NULL) {
        Py_VISIT(ms->stock_gc);
    }
    return 0;
}

static int vgc_m_clear(PyObject *module)
{
    struct vgc_mstate *ms = vgc_mstate(module);
    if (ms != NULL) {
        Py_CLEAR(ms->stock_gc);
    }
    return 0;
}

static void vgc_m_free(void *module)
{
    (void)vgc_m_clear((PyObject *)module);
}

static struct PyModuleDef vgc_module = {
    PyModuleDef_HEAD_INIT, "vgc._vgc",
    "vgc's CPython glue: the gc API with the proved core deciding reachability.",
    sizeof(struct vgc_mstate), vgc_methods, vgc_slots, vgc_m_traverse, vgc_m_clear, vgc_m_free
};

PyMODINIT_FUNC PyInit__vgc(void)
{
    return PyModuleDef_Init(&vgc_module);
}
