/* vgc.h — libvgc, the standalone embeddable cycle collector: public API for C hosts.
 * Not in proof scope itself; it drives the proved tracker (vgc_gen.h) and the proved core
 * (vgc_core.h).  Mirrors CPython's gc module semantics (3.11 gcmodule.c; thresholds per version).
 * Documented in src/README-libvgc.md.
 *
 * Objects are the host's; libvgc knows each one by a handle (a slot index) and asks the host,
 * through the callbacks of the object's vgc_type, for its refcount and its references.  Every
 * function validates its arguments and returns a vgc_status (never undefined behaviour for a
 * wrong handle, generation or state — a heap pointer that was never returned by vgc_heap_new is
 * the one thing that cannot be detected).
 */
#ifndef VGC_H
#define VGC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct vgc_heap vgc_heap;
typedef int32_t vgc_handle;

typedef enum vgc_status {
    VGC_OK         = 0,
    VGC_EINVAL     = -1,   /* NULL/invalid heap, NULL out-pointer, bad configuration value */
    VGC_EHANDLE    = -2,   /* handle out of range or not registered */
    VGC_EGEN       = -3,   /* generation out of range */
    VGC_ETRACKED   = -4,   /* already tracked (double track) */
    VGC_EUNTRACKED = -5,   /* not tracked */
    VGC_EFULL      = -6,   /* heap full: every slot registered */
    VGC_ENOMEM     = -7,   /* allocation failure (the collection, if any, was aborted cleanly) */
    VGC_EBUSY      = -8,   /* mutation refused while the collector reads the heap (snapshot) */
    VGC_EHOST      = -9    /* the host's traverse was inconsistent between two passes */
} vgc_status;

/* gc.DEBUG_* (same values as CPython). */
#define VGC_DEBUG_STATS         1
#define VGC_DEBUG_COLLECTABLE   2
#define VGC_DEBUG_UNCOLLECTABLE 4
#define VGC_DEBUG_SAVEALL       32
#define VGC_DEBUG_LEAK          (VGC_DEBUG_COLLECTABLE | VGC_DEBUG_UNCOLLECTABLE | VGC_DEBUG_SAVEALL)

/* traverse calls visit once per reference the object holds to another registered object
 * (references to anything else are simply not reported).  Multi-references count twice. */
typedef void (*vgc_visit_fn)(vgc_handle child, void *arg);

typedef struct vgc_type {
    /* Required: the object's reference count (all references, internal and external). */
    int64_t (*refcount)(vgc_heap *heap, void *obj);
    /* Required: report the object's references.  Must not mutate the heap (VGC_EBUSY). */
    void (*traverse)(vgc_heap *heap, void *obj, vgc_visit_fn visit, void *arg);
    /* Optional (PEP 442 tp_finalize): called at most once per object, before clearing. */
    void (*finalize)(vgc_heap *heap, void *obj);
    /* Optional (tp_clear): drop the object's references; the host frees whatever dies
     * (vgc_unregister).  Objects without clear are kept (moved to the older generation). */
    void (*clear)(vgc_heap *heap, void *obj);
    /* Nonzero: the object has a legacy finalizer (tp_del): when unreachable, it and everything
     * it reaches go to the garbage list (uncollectable) instead of being cleared. */
    int legacy_finalizer;
} vgc_type;

typedef struct vgc_allocator {
    void *(*alloc)(size_t size, void *ctx);
    void (*free)(void *p, void *ctx);
    void *ctx;
} vgc_allocator;

typedef struct vgc_config {
    int32_t capacity;          /* number of object slots (1 .. VGC_MAX_CAP) */
    int python_version;        /* 0x030A..0x030D: default thresholds of that CPython (0: 3.12) */
    const vgc_allocator *allocator;   /* NULL: malloc/free */
} vgc_config;

typedef struct vgc_gen_stats {
    int64_t collections, collected, uncollectable;
} vgc_gen_stats;

/* Heap lifetime.  vgc_heap_free does not call any host callback. */
vgc_status vgc_heap_new(const vgc_config *cfg, vgc_heap **out);
vgc_status vgc_heap_free(vgc_heap *heap);

/* Register a host object (CPython: allocation + track): it gets a handle, is tracked in
 * generation 0, and the generation-0 count goes up; then, if automatic collection is enabled
 * and the count exceeds threshold 0 (!= 0), the selected generation is collected (the new
 * object is referenced by the host, so it survives).  VGC_EFULL when no slot is free. */
vgc_status vgc_register(vgc_heap *heap, void *obj, const vgc_type *type, vgc_handle *out);
/* Unregister (CPython: PyObject_GC_Del): untrack if tracked (count 0 goes down if > 0), free
 * the handle.  The host calls it when it frees the object, including from inside callbacks. */
vgc_status vgc_unregister(vgc_heap *heap, vgc_handle h);
/* Track / untrack a registered object (gen-0 count up / down as in the tracker). */
vgc_status vgc_track(vgc_heap *heap, vgc_handle h);
vgc_status vgc_untrack(vgc_heap *heap, vgc_handle h);
/* 1 if tracked, 0 if not; the generation (0..2, 3 = permanent, -1 untracked; from inside a
 * collection's callbacks, 4..6 = the collector's work lists: unreachable, finalizers, seen). */
vgc_status vgc_is_tracked(vgc_heap *heap, vgc_handle h, int *tracked);
vgc_status vgc_generation_of(vgc_heap *heap, vgc_handle h, int *generation);
vgc_status vgc_object(vgc_heap *heap, vgc_handle h, void **obj);
/* 1 once finalize has been called on the object (CPython gc.is_finalized). */
vgc_status vgc_is_finalized(vgc_heap *heap, vgc_handle h, int *finalized);

/* Collect generation 0..2 (gc.collect(generation)).  *found (may be NULL) = collected +
 * uncollectable objects found, like gc.collect's return value.  A collection requested while
 * one is running does nothing and reports 0 (CPython's re-entrant gc.collect()). */
vgc_status vgc_collect(vgc_heap *heap, int generation, int64_t *found);
/* Run the automatic policy now: collect the selected generation if any (*found = -1 if none). */
vgc_status vgc_collect_auto(vgc_heap *heap, int64_t *found);

vgc_status vgc_enable(vgc_heap *heap, int enabled);        /* gc.enable / gc.disable */
vgc_status vgc_is_enabled(vgc_heap *heap, int *enabled);
vgc_status vgc_set_threshold(vgc_heap *heap, int generation, int64_t threshold);
vgc_status vgc_get_threshold(vgc_heap *heap, int generation, int64_t *threshold);
vgc_status vgc_get_count(vgc_heap *heap, int generation, int64_t *count);
vgc_status vgc_get_stats(vgc_heap *heap, int generation, vgc_gen_stats *stats);
/* Number of tracked objects in generation 0..2, or 3 for the permanent generation. */
vgc_status vgc_generation_size(vgc_heap *heap, int generation, int64_t *size);
vgc_status vgc_freeze(vgc_heap *heap);                      /* gc.freeze */
vgc_status vgc_unfreeze(vgc_heap *heap);                    /* gc.unfreeze */
vgc_status vgc_get_freeze_count(vgc_heap *heap, int64_t *count);

/* gc.garbage: objects found unreachable but kept (legacy finalizers, or DEBUG_SAVEALL).  The
 * heap counts as one external reference to each of them until vgc_garbage_clear. */
vgc_status vgc_garbage(vgc_heap *heap, const vgc_handle **items, int64_t *n);
vgc_status vgc_garbage_clear(vgc_heap *heap);

vgc_status vgc_set_debug(vgc_heap *heap, int flags, FILE *stream);  /* stream NULL: stderr */
vgc_status vgc_get_debug(vgc_heap *heap, int *flags);

/* The heap checker: re-verifies every list and count invariant by walking the lists (including
 * what the proof does not cover: every tracked slot is reachable from its list's head).
 * VGC_OK, or VGC_EINVAL with a message in msg. */
vgc_status vgc_heap_check(vgc_heap *heap, char *msg, size_t msglen);

const char *vgc_strerror(vgc_status s);

#endif /* VGC_H */
