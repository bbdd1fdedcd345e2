"""vgc — CPython's cycle collector with a proved reachability decision.

``vgc.install()`` makes every cycle collection of this interpreter (automatic ones, the
original ``gc.collect()``, C ``PyGC_Collect()`` and ``vgc.collect()``) decide which objects are
cyclic garbage with vgc's Frama-C/WP-proved core; the CPython-specific steps around it run in
vgc's trusted glue (src/cpython/).  After ``install()``, ``import gc`` yields this module,
which offers the full ``gc`` API of the running version.  ``uninstall()`` restores stock
behaviour.  Collections at interpreter shutdown stay CPython's own.
"""
# Only modules the interpreter has loaded at start-up anyway: importing vgc adds no address
# space beyond its own (platform and sysconfig, with re, enum, threading..., cost 1.7 MB of it,
# which was the whole of what fit under RLIMIT_AS with vgc and not with stock on bench shape
# `chains`: README "Memory").
import os as _os
import sys as _sys

__all__ = [
    "install", "uninstall", "status",
    "enable", "disable", "isenabled", "collect", "get_count", "get_threshold", "set_threshold",
    "get_objects", "get_stats", "get_referrers", "get_referents", "is_tracked", "is_finalized",
    "freeze", "unfreeze", "get_freeze_count", "garbage", "callbacks", "set_debug", "get_debug",
    "DEBUG_STATS", "DEBUG_COLLECTABLE", "DEBUG_UNCOLLECTABLE", "DEBUG_SAVEALL", "DEBUG_LEAK",
]

MODE = "callback-hook"
SUPPORTED = ((3, 11), (3, 12), (3, 13))

# The interpreter's own gc module.  importlib.reload(vgc) (or reload(gc) once gc is vgc)
# re-runs this file in the same namespace while sys.modules["gc"] may be vgc itself: keep what
# the first run found (and vgc._vgc's copy, taken when it was first loaded, before any install).
_stock_gc = globals().get("_stock_gc")
if _stock_gc is None or getattr(_stock_gc, "__name__", None) != "gc":
    _stock_gc = _sys.modules.get("gc")
    if _stock_gc is None or getattr(_stock_gc, "__name__", None) != "gc":
        try:
            from vgc._vgc import _stock_gc  # noqa: F811
        except ImportError:
            import gc as _stock_gc  # noqa: E402


def _python_version():
    # what platform.python_version() returns, without importing platform (see the imports
    # above; status() also runs at exit, when an import can leave its module half-made)
    return _sys.version.split()[0]


def _unsupported_reason():
    if "t" in getattr(_sys, "abiflags", ""):       # a free-threaded build (PEP 703)
        return "vgc does not support free-threaded (no-GIL) builds of CPython"
    if _sys.implementation.name != "cpython":
        return "vgc supports CPython only, not %s" % _sys.implementation.name
    if _sys.version_info[:2] not in SUPPORTED:
        return ("vgc supports CPython 3.11, 3.12 and 3.13, not %d.%d"
                % _sys.version_info[:2])
    return None


_reason = _unsupported_reason()
_vgc = None
if _reason is None:
    try:
        __import__("vgc._vgc")
        _vgc = _sys.modules["vgc._vgc"]
    except ImportError as exc:  # not built for this interpreter
        _reason = "vgc's extension is not built for this interpreter (%s)" % exc
    # Built for another release of this minor version (a patch upgrade, a distribution's
    # build): the gc state's layout is not an ABI, so install() refuses, naming both releases,
    # and the gc API stays the stock module's.  VGC_IGNORE_LAYOUT=1 overrides (experts only).
    if (_vgc is not None and _vgc._layout_error is not None
            and _os.environ.get("VGC_IGNORE_LAYOUT") != "1"):
        _reason = (_vgc._layout_error
                   + " (VGC_IGNORE_LAYOUT=1 installs it anyway, at your own risk)")
        _vgc = None

if _vgc is not None:
    # vgc's own: collect (the hook decides), the debug flags (DEBUG_STATS is vgc's while
    # installed), and the functions that read the lists, counts or stats (stock's, after
    # finishing a collection whose "stop" CPython could not deliver; src/cpython/module.c)
    from vgc._vgc import (  # noqa: F401
        collect, set_debug, get_debug, garbage, callbacks,
        get_objects, get_referrers, get_count, get_stats, freeze, unfreeze, get_freeze_count,
        DEBUG_STATS, DEBUG_COLLECTABLE, DEBUG_UNCOLLECTABLE, DEBUG_SAVEALL, DEBUG_LEAK,
        core_version as _core_version,
    )
    # the stock module's own functions, unchanged
    enable = _stock_gc.enable
    disable = _stock_gc.disable
    isenabled = _stock_gc.isenabled
    get_threshold = _stock_gc.get_threshold
    set_threshold = _stock_gc.set_threshold
    get_referents = _stock_gc.get_referents
    is_tracked = _stock_gc.is_tracked
    is_finalized = _stock_gc.is_finalized
else:  # keep `import vgc` working; install() explains why it cannot run
    from gc import *  # noqa: F401,F403
    from gc import garbage, callbacks  # noqa: F401
    _core_version = None

_installed = globals().get("_installed", False)
# The original module's collect: install() points the original module's attribute at vgc's
# collect (so `gc.collect()` through a module object imported before install() returns vgc's
# count too), uninstall() puts it back.  Kept across a reload (the attribute is vgc's then).
_stock_collect = globals().get("_stock_collect") or _stock_gc.collect


def _env_flag(name):
    return _os.environ.get(name, "") in ("1", "true", "yes")


def install(*, verify=None):
    """Make vgc decide every cycle collection of this interpreter; idempotent.

    Also makes ``import gc`` yield this module.  Raises RuntimeError, changing nothing, on a
    free-threaded build, an unsupported version, or when the extension is not built for it.

    verify=True: after the proved core decides, an independent checker
    (src/cpython/verify.c: a recount of gc_refs and a depth-first search from the roots, on the
    object headers) re-checks the decision, and every generation list is validated after the
    collection; a disagreement stops the process with a report before anything of that
    collection is freed.  Costs time (make bench: row full_collect_1M_verify) and a stack of
    8 bytes per object it holds at once.  Default: the environment variable VGC_VERIFY=1 (also
    for ``python -m vgc`` and the .pth hook).
    """
    global _installed
    if _reason is not None:
        raise RuntimeError(_reason)
    if verify is None:
        verify = _env_flag("VGC_VERIFY")
    _vgc._configure(bool(verify))
    _vgc._install()
    _sys.modules["gc"] = _sys.modules[__name__]
    _stock_gc.collect = collect
    _installed = True


def uninstall():
    """Restore CPython's own collector and ``import gc``; idempotent."""
    global _installed
    if _vgc is not None:
        _vgc._uninstall()
    if _sys.modules.get("gc") is _sys.modules[__name__]:
        _sys.modules["gc"] = _stock_gc
    if _stock_gc.collect is not _stock_collect and _vgc is not None:
        _stock_gc.collect = _stock_collect
    _installed = False


def status():
    """vgc's state and counters since the last install().

    Keys: installed, python, mode, collections (total), collections_per_generation,
    collected, uncollectable, pause_total, pause_max (seconds), fallbacks (collections CPython's
    own collector did: on debug builds when an inconsistent type was found, so that CPython's
    assertion reports it, and near a memory limit when CPython could not build the "start"
    call to vgc's hook; vgc itself needs no memory to decide a collection), cpython_collected (objects CPython's own
    collector found while vgc was installed: expected 0), inconsistent (objects whose
    traversal reported more references than their refcount), core_version, reason (why
    install() cannot run, or None); policy_agreed / policy_differed (collections not started
    by vgc.collect() whose generation the proved selection rule, vgc_policy_select, did / did
    not pick from CPython's counters: automatic collections always agree; explicit ones vgc
    cannot see, such as C PyGC_Collect(), may differ); kept_bytes (buffers vgc holds between
    collections: 0, every collection is decided in place) and peak_bytes (the largest
    successor buffer a collection grew past its static 8 KiB chunk since install(): an object
    with more than 1,024 references into the collection); fallback_collected (objects CPython's
    collector found in the collections vgc handed to it: fallbacks); lost_stops (collections
    whose "stop" call CPython could not make, e.g. on a MemoryError, finished by vgc at its
    next entry); validated (collections after which every generation list was checked:
    Py_DEBUG builds and VGC_VALIDATE=1); verify (install()'s option), verified (decisions the
    independent checker confirmed), verify_skipped (decisions left unchecked for lack of
    memory); skip_checked (collections where no Python code ran after the decision, so the
    resurrection re-check is skipped, and where validation re-ran it anyway and found the same
    set in the same order); recheck_in_place (resurrection re-checks run); look_ahead
    (deductions run with the look-ahead that prefetches referents: those of
    200,000 objects or more, or VGC_LOOK_AHEAD_MIN at install()); direct_reads (exact dicts
    and plain instances are read directly, not through tp_traverse: the import checked the
    readers on probe objects; off with VGC_DIRECT=0), direct_off_reason (why not, or None),
    direct_checked (objects read both ways and found to agree: Py_DEBUG builds and
    VGC_VALIDATE=1; a difference stops the process);
    inconsistent_types ({type name: objects} whose tp_traverse reported more references than
    their refcount: a bug in that C type, which vgc keeps alive).
    """
    raw = _vgc._status() if _vgc is not None else {
        "installed": False, "collections": (0, 0, 0), "collected": 0, "uncollectable": 0,
        "fallbacks": 0, "cpython_collected": 0, "inconsistent": 0, "pause_total": 0.0,
        "pause_max": 0.0, "core_version": None}
    raw = dict(raw)
    per_gen = tuple(raw["collections"])
    return {
        "installed": bool(raw["installed"]),
        "python": _python_version(),
        "mode": MODE,
        "collections": sum(per_gen),
        "collections_per_generation": per_gen,
        "collected": raw["collected"],
        "uncollectable": raw["uncollectable"],
        "pause_total": raw["pause_total"],
        "pause_max": raw["pause_max"],
        "fallbacks": raw["fallbacks"],
        "cpython_collected": raw["cpython_collected"],
        "inconsistent": raw["inconsistent"],
        "core_version": raw["core_version"],
        "reason": _reason,
        "kept_bytes": raw.get("kept_bytes", 0),
        "peak_bytes": raw.get("peak_bytes", 0),
        "fallback_collected": raw.get("fallback_collected", 0),
        "lost_stops": raw.get("lost_stops", 0),
        "validated": raw.get("validated", 0),
        "verify": bool(raw.get("verify", 0)),
        "verified": raw.get("verified", 0),
        "verify_skipped": raw.get("verify_skipped", 0),
        "skip_checked": raw.get("skip_checked", 0),
        "recheck_in_place": raw.get("recheck_in_place", 0),
        "look_ahead": raw.get("look_ahead", 0),
        "direct_reads": bool(raw.get("direct_reads", False)),
        "direct_off_reason": raw.get("direct_off_reason"),
        "direct_checked": raw.get("direct_checked", 0),
        "inconsistent_types": raw.get("inconsistent_types", {}),
        "policy_agreed": raw.get("policy_agreed", 0),
        "policy_differed": raw.get("policy_differed", 0),
    }
