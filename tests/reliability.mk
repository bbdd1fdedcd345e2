# tests/reliability.mk — the reliability suite of issue 8 (included by the Makefile).
#
#   make test-reliability   (in `make test`) tests/reliability/test_*.py per installed 3.11/3.12/3.13:
#                           fast allocation-failure sweep, exceptions/re-entrancy, bad input
#                           (differential), threads, lifecycle/shutdown/subinterpreters
#   make fault-sweep        the full allocation-failure sweep (every k, more heaps, gens 0/1/2,
#                           automatic collections), PYTHONMALLOC=debug
#   make test-asan          extension + core under ASan/UBSan (LSan on), Python suites + test_gc
#   make soak               CPython's own regression tests with vgc in every process vs baseline

TEST_STEPS += reliability
REL_DIR    := tests/reliability
.PHONY: test-reliability fault-sweep test-asan asan-ext soak

test-reliability: ext
	@mkdir -p $(RESULTS); rc=0; : > $(BUILD)/reliability-tests.out; \
	for p in $(PY_INTERPS); do \
	    ver=$$($$p -c '$(PY_TAG_PY)'); \
	    echo "---- tests/reliability with Python $$ver"; \
	    VGC_VALIDATE=1 PYTHONPATH=$(BUILD)/py$$ver $$p $(REL_DIR)/run.py > $(BUILD)/reliability-$$ver.out 2>&1; \
	    r=$$?; [ $$r = 0 ] || { rc=1; grep -v ' \.\.\. ok$$' $(BUILD)/reliability-$$ver.out | tail -40; }; \
	    tail -1 $(BUILD)/reliability-$$ver.out; \
	    tail -1 $(BUILD)/reliability-$$ver.out >> $(BUILD)/reliability-tests.out; \
	done; \
	$(PYTHON) tests/python/sum_lines.py $(BUILD)/reliability-tests.out > $(RESULTS)/reliability.txt || rc=1; \
	cat $(RESULTS)/reliability.txt; exit $$rc

FAULT_SWEEP_ARGS ?= --heaps cycles,weakref_callbacks,resurrect,legacy,wide,aged,mixed,saveall \
                    --gens 0,1,2 --size 20 --auto
fault-sweep: ext ## the full allocation-failure sweep (every k; gens 0/1/2; automatic collections)
	@mkdir -p $(BUILD); rc=0; : > $(BUILD)/fault-sweep.out; \
	for p in $(PY_INTERPS); do \
	    ver=$$($$p -c '$(PY_TAG_PY)'); \
	    PYTHONMALLOC=debug PYTHONPATH=$(BUILD)/py$$ver $$p -X faulthandler $(REL_DIR)/fault_driver.py \
	        $(FAULT_SWEEP_ARGS) > $(BUILD)/fault-sweep-$$ver.json 2> $(BUILD)/fault-sweep-$$ver.err || rc=1; \
	    $(PYTHON) $(REL_DIR)/fault_summary.py $(BUILD)/fault-sweep-$$ver.json | tee -a $(BUILD)/fault-sweep.out \
	        || { rc=1; tail -20 $(BUILD)/fault-sweep-$$ver.err; }; \
	done; \
	echo "fault-sweep: $$([ $$rc = 0 ] && echo PASS || echo FAIL) (details: $(BUILD)/fault-sweep-*.json)"; exit $$rc

# ---- sanitizers ---------------------------------------------------------------------------------
# The extension and the core built with clang -fsanitize=address,undefined (shared runtime), loaded
# into the stock pyenv interpreters with the ASan runtime preloaded and PYTHONMALLOC=malloc (so ASan
# sees every Python allocation); LeakSanitizer on, suppressions in tests/reliability/lsan.supp.
ASAN_RT     := $(shell $(CLANG) -print-file-name=libclang_rt.asan-x86_64.so 2>/dev/null)
ASAN_CFLAGS := -std=gnu11 -O1 -g -fno-strict-aliasing -fPIC -shared -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer -shared-libsan -Wall -Wextra -Werror -Wno-unused-parameter \
               -Wno-missing-field-initializers -Wno-unused-function -Iinclude
# $$supp: the suppressions of that version (build/asan/lsan-X.Y.supp, made by asan-ext)
ASAN_ENV    := LD_PRELOAD=$(ASAN_RT) PYTHONMALLOC=malloc \
               ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=0 \
               LSAN_OPTIONS=suppressions=$$supp:print_suppressions=0 \
               UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

asan-ext: deps
	@for p in $(PY_INTERPS); do \
	    ver=$$($$p -c '$(PY_TAG_PY)'); \
	    inc=$$($$p -c 'import sysconfig; print(sysconfig.get_paths()["include"])'); \
	    suf=$$($$p -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))'); \
	    out=$(BUILD)/asan/py$$ver/vgc; mkdir -p $$out; cp $(PY_PKG_SRC) $$out/; \
	    if [ ! -f $$out/_vgc$$suf ] || [ -n "$$(find $(CPYTHON_DEP) $(EXT_PROVED) include/*.h spec/*.acsl -newer $$out/_vgc$$suf)" ]; then \
	        echo "asan-ext: building vgc (ASan+UBSan) for Python $$ver"; \
	        $(CLANG) $(ASAN_CFLAGS) -I$$inc $(CPYTHON_SRC) $(EXT_PROVED) -o $$out/_vgc$$suf || exit 1; \
	    fi; \
	    if [ ! -f $$out/../_vgctest$$suf ] || [ tests/c/vgctest_module.c -nt $$out/../_vgctest$$suf ]; then \
	        $(CLANG) $(ASAN_CFLAGS) -I$$inc tests/c/vgctest_module.c -o $$out/../_vgctest$$suf || exit 1; \
	    fi; \
	    cat $(REL_DIR)/lsan.supp > $(BUILD)/asan/lsan-$$ver.supp; \
	    case $$ver in 3.11) ;; *) cat $(REL_DIR)/lsan-immortal-strings.supp >> $(BUILD)/asan/lsan-$$ver.supp;; esac; \
	    venv=$(BUILD)/asan/venv-$$ver; [ -x $$venv/bin/python ] || $$p -m venv --without-pip $$venv || exit 1; \
	    site=$$(VGC_DISABLE=1 $$venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'); \
	    rm -rf $$site/vgc; cp -r $$out $$site/vgc; echo "import vgc._autoinstall" > $$site/vgc-autoinstall.pth; \
	done

# tests/python + tests/reliability (ASan+UBSan+LSan in every process they start), then CPython's
# test_gc with the ASan build auto-installed in every process (a venv with the .pth hook).
test-asan: asan-ext ## ASan/UBSan/LSan build; Python suites + test_gc per version; writes $(RESULTS)/asan.txt
	@mkdir -p $(RESULTS); rc=0; rm -f $(BUILD)/asan-*.out; : > $(BUILD)/asan-tests.out; \
	for p in $(PY_INTERPS); do \
	    ver=$$($$p -c '$(PY_TAG_PY)'); \
	    supp=$(CURDIR)/$(BUILD)/asan/lsan-$$ver.supp; \
	    echo "---- ASan: tests/python + tests/reliability with Python $$ver"; \
	    env $(ASAN_ENV) VGC_REL_TIMEOUT=600 PYTHONPATH=$(BUILD)/asan/py$$ver $$p $(REL_DIR)/run.py --also tests/python \
	        --skip test_pep517_backend_builds_a_wheel \
	        > $(BUILD)/asan-$$ver.out 2>&1; \
	    r=$$?; [ $$r = 0 ] || { rc=1; grep -v ' \.\.\. ok$$' $(BUILD)/asan-$$ver.out | tail -60; }; \
	    tail -1 $(BUILD)/asan-$$ver.out | tee -a $(BUILD)/asan-tests.out; \
	    echo "---- ASan: test_gc with vgc auto-installed, Python $$ver"; \
	    st=$(CURDIR)/$(BUILD)/asan/status-$$ver.jsonl; rm -f $$st; \
	    (cd $(BUILD) && env $(ASAN_ENV) VGC_STATUS_FILE=$$st asan/venv-$$ver/bin/python -m test test_gc > asan-test_gc-$$ver.out 2>&1); \
	    r=$$?; tail -3 $(BUILD)/asan-test_gc-$$ver.out; \
	    $(PYTHON) $(REL_DIR)/status_check.py $$st || r=1; \
	    if [ $$r = 0 ] && grep -q "Result: SUCCESS" $(BUILD)/asan-test_gc-$$ver.out; then echo "1 passed, 0 failed"; \
	    else rc=1; grep -B2 -A30 "ERROR: \|runtime error" $(BUILD)/asan-test_gc-$$ver.out | head -60; echo "0 passed, 1 failed"; fi \
	        | tail -1 >> $(BUILD)/asan-tests.out; \
	done; \
	if grep -l "ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:" $(BUILD)/asan-*.out; then \
	    echo "sanitizer reports in the files above"; rc=1; echo "0 passed, 1 failed" >> $(BUILD)/asan-tests.out; fi; \
	$(PYTHON) tests/python/sum_lines.py $(BUILD)/asan-tests.out > $(RESULTS)/asan.txt || rc=1; \
	cat $(RESULTS)/asan.txt; exit $$rc

# ---- soak ---------------------------------------------------------------------------------------
SOAK_VERSIONS ?= 3.11.7 3.13.0
SOAK_JOBS     ?= 2
SOAK_INTERPS  := $(foreach v,$(SOAK_VERSIONS),$(wildcard $(PYENV_ROOT)/versions/$(v)/bin/python$(basename $(v))))
soak: ext ## CPython's own regression tests (42 modules) with vgc in every process vs without (3.11, 3.13)
	@mkdir -p $(BUILD)/soak
	@$(PYTHON) $(REL_DIR)/soak.py --build $(BUILD) --make "$(MAKE)" -j $(SOAK_JOBS) $(SOAK_INTERPS) \
	    2>&1 | tee $(BUILD)/soak/soak.txt; exit $${PIPESTATUS[0]}
