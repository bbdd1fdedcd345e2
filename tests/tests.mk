# tests/tests.mk — C unit tests and the proof-pipeline self-test (included by the Makefile).

TEST_CFLAGS := $(CFLAGS_COMMON) -O1 -Itests/c $(SAN)
CHECK_SRC   := src/vgc_check.c

$(BUILD)/test_core: tests/c/test_core.c tests/c/check.h $(CORE_SRC) $(CHECK_SRC) $(CORE_HDR) \
                    include/vgc_check.h
	@mkdir -p $(BUILD)
	$(CLANG) $(TEST_CFLAGS) tests/c/test_core.c $(CORE_SRC) $(CHECK_SRC) -o $@

# C unit tests, under ASan+UBSan.
test-unit: deps
	@$(MAKE) --no-print-directory $(BUILD)/test_core
	@mkdir -p $(RESULTS)
	@$(BUILD)/test_core | tee $(BUILD)/test_core.out; rc=$${PIPESTATUS[0]}; \
	    tail -1 $(BUILD)/test_core.out > $(RESULTS)/unit.txt; exit $$rc

# The proof pipeline must fail on an unprovable goal: prove tests/proof/unprovable.c with the
# same flags and report script, and expect a non-zero exit and a `WP: x/y` line with x < y.
# (A 5 s timeout: the false goal would otherwise keep both provers busy for WP_TIMEOUT.)
test-proof-pipeline: WP_TIMEOUT = 5
test-proof-pipeline: deps
	@mkdir -p $(BUILD)/proof-fixture $(RESULTS)
	@if frama-c $(WP_FLAGS) tests/proof/unprovable.c \
	        -wp-report-json $(BUILD)/proof-fixture/report.json > $(BUILD)/proof-fixture/log 2>&1 && \
	    $(PYTHON) proofs/wp-report.py $(BUILD)/proof-fixture/report.json \
	        > $(BUILD)/proof-fixture/summary; then \
	    echo "proof pipeline: an unprovable goal PASSED"; echo "0 passed, 1 failed" > $(RESULTS)/proof-pipeline.txt; exit 1; \
	elif grep -Eq '^WP: ([0-9]+)/([0-9]+) goals proved' $(BUILD)/proof-fixture/summary && \
	     ! grep -Eq '^WP: ([0-9]+)/\1 goals' $(BUILD)/proof-fixture/summary; then \
	    echo "proof pipeline: unprovable goal rejected ($$(tail -1 $(BUILD)/proof-fixture/summary))"; \
	    echo "1 passed, 0 failed" > $(RESULTS)/proof-pipeline.txt; \
	else \
	    echo "proof pipeline: no WP summary"; cat $(BUILD)/proof-fixture/log | tail -5; \
	    echo "0 passed, 1 failed" > $(RESULTS)/proof-pipeline.txt; exit 1; \
	fi
