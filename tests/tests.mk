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

# The proof pipeline must fail on an unprovable goal and on a missing report:
#  1. prove tests/proof/unprovable.c with the same flags and report script, and expect a non-zero
#     exit and a `WP: x/y` line with x < y (a 5 s timeout: the false goal would otherwise keep
#     both provers busy for WP_TIMEOUT);
#  2. give wp-report.py a committed all-Valid report plus one that does not exist (what a frama-c
#     run that stopped early leaves), and expect a non-zero exit and a failed count in --results.
test-proof-pipeline: WP_TIMEOUT = 5
test-proof-pipeline: deps
	@mkdir -p $(BUILD)/proof-fixture $(RESULTS)
	@p=0; f=0; d=$(BUILD)/proof-fixture; \
	if frama-c $(WP_FLAGS) tests/proof/unprovable.c -wp-report-json $$d/report.json > $$d/log 2>&1 && \
	    $(PYTHON) proofs/wp-report.py $$d/report.json > $$d/summary; then \
	    echo "  FAIL an unprovable goal PASSED"; f=$$((f + 1)); \
	elif grep -Eq '^WP: ([0-9]+)/([0-9]+) goals proved' $$d/summary && \
	     ! grep -Eq '^WP: ([0-9]+)/\1 goals' $$d/summary; then \
	    echo "  ok   unprovable goal rejected ($$(tail -1 $$d/summary))"; p=$$((p + 1)); \
	else \
	    echo "  FAIL no WP summary"; tail -5 $$d/log; f=$$((f + 1)); \
	fi; \
	rm -f $$d/missing.json $$d/missing.txt; \
	if $(PYTHON) proofs/wp-report.py --results $$d/missing.txt proofs/witness_policy.json \
	        $$d/missing.json > $$d/missing.out; then \
	    echo "  FAIL a missing report PASSED"; f=$$((f + 1)); \
	elif grep -q 'missing or unreadable report' $$d/missing.out && \
	     grep -Eq '^[0-9]+ passed, [1-9][0-9]* failed' $$d/missing.txt; then \
	    echo "  ok   missing report rejected ($$(cat $$d/missing.txt))"; p=$$((p + 1)); \
	else \
	    echo "  FAIL missing report: unexpected output"; cat $$d/missing.out; f=$$((f + 1)); \
	fi; \
	echo "$$p passed, $$f failed" | tee $(RESULTS)/proof-pipeline.txt; [ $$f = 0 ]
