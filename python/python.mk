# python/python.mk — the Python extension `vgc` (included by the Makefile).
#
# One binary per minor version, compiled with that interpreter's own (internal) headers and no
# setuptools: $(BUILD)/py<X.Y.Z>/vgc/ is a ready-to-import package (extension + python/vgc/*).
# PYTHON selects the interpreter (default python3); PY_VERSIONS lists the pyenv interpreters the
# tests and the conformance run use (those that are installed).
# -fno-strict-aliasing: the glue reuses its snapshot buffers under other types (see
# vgc_deduce_unreachable).

PYENV_ROOT  ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
# The build directory of an interpreter is keyed by its full release and ABI flags
# (build/py3.11.7, build/py3.11.2d for Debian's debug build): the extension is compiled against
# that release's internal gc-state layout, which patch releases do not promise to keep.
PY_TAG_PY   := import sys; print("%d.%d.%d%s" % (sys.version_info[:3] + (sys.abiflags,)))
PY_VERSIONS ?= 3.11.7 3.12.1 3.13.0
PY_INTERPS  := $(foreach v,$(PY_VERSIONS),$(wildcard $(PYENV_ROOT)/versions/$(v)/bin/python$(basename $(v))))
# Debian's own builds of 3.11 (release and Py_DEBUG), when installed (`make deps` installs them):
# CPython's test_gc runs on them too (make conformance), with their Lib/test from
# libpython3.11-testsuite.
DEB_INTERPS ?= $(wildcard /usr/bin/python3.11 /usr/bin/python3.11-dbg)
EXT_CFLAGS  := -std=gnu11 -O2 -g -fno-strict-aliasing -fPIC -shared -fvisibility=hidden -fno-semantic-interposition -Wall -Wextra -Werror -Wno-unused-parameter \
               -Wno-missing-field-initializers -Iinclude
PY_PKG_SRC  := $(wildcard python/vgc/*.py python/vgc/*.pyi python/vgc/py.typed)
# the CPython adapter (trusted; src/cpython/README.md) and the proved C it calls
CPYTHON_SRC := $(wildcard src/cpython/*.c)
CPYTHON_DEP := $(CPYTHON_SRC) $(wildcard src/cpython/*.h)
# the proved C the adapter calls: the policy rules and the hook's state machine; the in-place
# core (src/vgc_inplace.c) is compiled into src/cpython/inplace.c (its interface calls inline)
EXT_PROVED  := src/vgc_policy.c src/vgc_hookstate.c
CPYTHON_DEP += src/vgc_inplace.c

TEST_STEPS += python conformance conformance-verify
.PHONY: ext install uninstall conformance conformance-verify test-python test-conformance test-conformance-verify

# $(call py_var,INTERP,EXPR): evaluate a sysconfig expression with INTERP
py_var = $(shell $(1) -c 'import sysconfig as s, sys; print($(2))')

# Build the package for one interpreter: make ext-one PYTHON=... ; prints nothing when up to date.
ext-one:
	@ver=$$($(PYTHON) -c '$(PY_TAG_PY)'); \
	inc=$$($(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["include"])'); \
	suf=$$($(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))'); \
	out=$(BUILD)/py$$ver/vgc; mkdir -p $$out; \
	if [ ! -f $$out/_vgc$$suf ] || [ -n "$$(find $(CPYTHON_DEP) $(EXT_PROVED) include/*.h spec/*.acsl -newer $$out/_vgc$$suf)" ]; then \
	    echo "ext: building vgc for Python $$ver"; \
	    $(CC) $(EXT_CFLAGS) -I$$inc $(CPYTHON_SRC) $(EXT_PROVED) -o $$out/_vgc$$suf || exit 1; \
	fi; \
	if [ ! -f $$out/../_vgctest$$suf ] || [ tests/c/vgctest_module.c -nt $$out/../_vgctest$$suf ]; then \
	    $(CC) $(EXT_CFLAGS) -I$$inc tests/c/vgctest_module.c -o $$out/../_vgctest$$suf || exit 1; \
	fi; \
	cp $(PY_PKG_SRC) $$out/

ext: ## build the Python extension (package in build/py<X.Y.Z>/vgc) for each installed 3.11/3.12/3.13
	@for p in $(PY_INTERPS); do $(MAKE) --no-print-directory ext-one PYTHON=$$p || exit 1; done

all: ext

install: ## install PYTHON=<interpreter> [AUTOINSTALL=1]: vgc into its (or its venv's) site-packages
	@$(MAKE) --no-print-directory ext-one PYTHON=$(PYTHON)
	@ver=$$($(PYTHON) -c '$(PY_TAG_PY)'); \
	site=$$($(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'); \
	mkdir -p $$site/vgc && cp $(BUILD)/py$$ver/vgc/* $$site/vgc/ && \
	rm -f $$site/vgc-autoinstall.pth && \
	if [ "$(AUTOINSTALL)" = 1 ]; then \
	    echo "import vgc._autoinstall" > $$site/vgc-autoinstall.pth; \
	    echo "install: vgc + vgc-autoinstall.pth -> $$site (opt out per process: VGC_DISABLE=1)"; \
	else echo "install: vgc -> $$site"; fi

# Removes what `make install` put there (vgc/ and vgc-autoinstall.pth) and what pip installed
# (`pip install .` / `pip install -e .`: the files in vgc-*.dist-info/RECORD), without pip.
uninstall: ## uninstall PYTHON=<interpreter>: remove vgc (make install or pip) and vgc-autoinstall.pth
	@$(PYTHON) python/uninstall.py

# The differential/unit suite, once per interpreter, against the staged package.
test-python: ext
	@mkdir -p $(RESULTS); rc=0; : > $(BUILD)/python-tests.out; \
	for p in $(PY_INTERPS); do \
	    ver=$$($$p -c '$(PY_TAG_PY)'); \
	    echo "---- tests/python with Python $$ver"; \
	    VGC_VALIDATE=1 PYTHONPATH=$(BUILD)/py$$ver $$p tests/python/run.py 2>&1 | tee $(BUILD)/python-$$ver.out; \
	    [ $${PIPESTATUS[0]} = 0 ] || rc=1; \
	    tail -1 $(BUILD)/python-$$ver.out >> $(BUILD)/python-tests.out; \
	    echo "---- tests/python (hardening + differential) with the look-ahead on every collection, Python $$ver"; \
	    VGC_LOOK_AHEAD_MIN=0 VGC_VALIDATE=1 PYTHONPATH=$(BUILD)/py$$ver $$p tests/python/run.py test_hardening.py \
	        test_differential.py 2>&1 | tee $(BUILD)/python-$$ver-lookahead.out; \
	    [ $${PIPESTATUS[0]} = 0 ] || rc=1; \
	    tail -1 $(BUILD)/python-$$ver-lookahead.out >> $(BUILD)/python-tests.out; \
	done; \
	for p in $(DEB_INTERPS); do \
	    $(MAKE) --no-print-directory ext-one PYTHON=$$p >/dev/null || { rc=1; continue; }; \
	    ver=$$($$p -c '$(PY_TAG_PY)'); \
	    echo "---- tests/python (hardening + differential) with Debian's Python $$ver"; \
	    VGC_VALIDATE=1 PYTHONPATH=$(BUILD)/py$$ver $$p tests/python/run.py test_hardening.py \
	        test_differential.py 2>&1 | tee $(BUILD)/python-$$ver.out; \
	    [ $${PIPESTATUS[0]} = 0 ] || rc=1; \
	    tail -1 $(BUILD)/python-$$ver.out >> $(BUILD)/python-tests.out; \
	done; \
	$(PYTHON) tests/python/sum_lines.py $(BUILD)/python-tests.out > $(RESULTS)/python.txt || rc=1; \
	cat $(RESULTS)/python.txt; exit $$rc

conformance: ext ## CPython's Lib/test/test_gc.py per installed 3.11/3.12/3.13 (+ Debian's 3.11 and 3.11-dbg), vgc in every process
	@$(PYTHON) tests/python/conformance.py --build $(BUILD) --make "$(MAKE)" $(PY_INTERPS) $(DEB_INTERPS)

conformance-verify: ext ## make conformance with install(verify=True) in every process (VGC_VERIFY=1): every decision re-checked
	@$(PYTHON) tests/python/conformance.py --verify --build $(BUILD) --make "$(MAKE)" $(PY_INTERPS) $(DEB_INTERPS)

# In make test: the same on the pyenv interpreters only (3.11, 3.12, 3.13; ~2 min).
test-conformance-verify: ext
	@mkdir -p $(RESULTS)
	@$(PYTHON) tests/python/conformance.py --verify --build $(BUILD) --make "$(MAKE)" \
	    --results $(RESULTS)/conformance-verify.txt $(PY_INTERPS)

test-conformance: ext
	@mkdir -p $(RESULTS)
	@$(PYTHON) tests/python/conformance.py --build $(BUILD) --make "$(MAKE)" \
	    --results $(RESULTS)/conformance.txt $(PY_INTERPS) $(DEB_INTERPS)

# Reference-leak hunt on Debian's debug build (slow: ~5 min): regrtest -R 3:3 with vgc
# auto-installed; the last result is in README (Reliability).
LEAK_TESTS ?= test_gc test_weakref test_finalization
leak-hunt: ## python3.11-dbg -m test -R 3:3 test_gc test_weakref test_finalization with vgc in every process
	@test -x /usr/bin/python3.11-dbg || { echo "leak-hunt: needs python3.11-dbg (make deps)"; exit 1; }
	@venv=$(BUILD)/venv-leakhunt; [ -x $$venv/bin/python ] || /usr/bin/python3.11-dbg -m venv --without-pip $$venv; \
	$(MAKE) --no-print-directory install PYTHON=$$venv/bin/python AUTOINSTALL=1 >/dev/null && \
	$$venv/bin/python -c 'import gc, vgc; assert gc is vgc and vgc.status()["installed"], "vgc not auto-installed"' && \
	env -u PYTHONPATH -u VGC_DISABLE $$venv/bin/python -m test -R 3:3 $(LEAK_TESTS) 2>&1 | tee $(BUILD)/leak-hunt.log; \
	exit $${PIPESTATUS[0]}
