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
	    ver=$$($$p -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	    echo "---- tests/reliability with Python $$ver"; \
	    PYTHONPATH=$(BUILD)/py$$ver $$p $(REL_DIR)/run.py > $(BUILD)/reliability-$$ver.out 2>&1; \
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
	    ver=$$($$p -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	    PYTHONMALLOC=debug PYTHONPATH=$(BUILD)/py$$ver $$p -X faulthandler $(REL_DIR)/fault_driver.py \
	        $(FAULT_SWEEP_ARGS) > $(BUILD)/fault-sweep-$$ver.json 2> $(BUILD)/fault-sweep-$$ver.err || rc=1; \
	    $(PYTHON) $(REL_DIR)/fault_summary.py $(BUILD)/fault-sweep-$$ver.json | tee -a $(BUILD)/fault-sweep.out \
	        || { rc=1; tail -20 $(BUILD)/fault-sweep-$$ver.err; }; \
	done; \
	echo "fault-sweep: $$([ $$rc = 0 ] && echo PASS || echo FAIL) (details: $(BUILD)/fault-sweep-*.json)"; exit $$rc
