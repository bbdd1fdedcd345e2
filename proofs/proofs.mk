# proofs/proofs.mk — how WP is run (included by the Makefile).
#
# Every file in PROVED_SRC is proved on its own with the same flags; each writes
# proofs/<name>.json (WP's report) and the summary table proofs/RESULTS.md is rebuilt from them.
# Provers: Z3 and CVC4 only (no Alt-Ergo on this machine; why3 1.5.1 does not know cvc5 1.0.3).
# Timeouts are per goal; the slowest goal currently needs a few seconds.

PROVED_SRC   := src/vgc_core.c src/vgc_policy.c src/vgc_snapshot.c
WP_PROVERS   ?= z3,cvc4
WP_TIMEOUT   ?= 60
WP_PAR       ?= 2
WP_FLAGS      = -pp-annot -cpp-extra-args="-Iinclude" \
                -kernel-warn-key annot:missing-spec=abort \
                -wp -wp-rte -wp-prover $(WP_PROVERS) -wp-timeout $(WP_TIMEOUT) -wp-par $(WP_PAR)

WP_REPORTS := $(patsubst src/%.c,proofs/%.json,$(PROVED_SRC))

# frama-c exits non-zero on user errors and when goals fail; the (partial) report is kept either
# way so that wp-report.py can say which goals failed.
proofs/%.json: src/%.c include/*.h spec/*.acsl | deps
	@echo "WP: proving $< (timeout $(WP_TIMEOUT)s/goal, $(WP_PAR) jobs)"
	@frama-c $(WP_FLAGS) $< -wp-report-json $@.tmp > $(BUILD)/wp-$*.log 2>&1; rc=$$?; \
	    [ $$rc = 0 ] || tail -20 $(BUILD)/wp-$*.log; \
	    [ -s $@.tmp ] && mv $@.tmp $@; exit $$rc

.PHONY: prove-run
prove: deps ## run Frama-C WP on every proved file, write proofs/*.json, fail unless all goals Valid
	@mkdir -p $(BUILD)
	@rm -f $(WP_REPORTS)
	@$(MAKE) --no-print-directory $(WP_REPORTS)
	@$(PYTHON) proofs/wp-report.py --spec spec/SPEC.md --spec spec/SPEC-tracker.md --table proofs/RESULTS.md $(WP_REPORTS)

test-prove:
	@mkdir -p $(BUILD) $(RESULTS)
	@rm -f $(WP_REPORTS)
	@$(MAKE) --no-print-directory $(WP_REPORTS) || true
	@$(PYTHON) proofs/wp-report.py --spec spec/SPEC.md --spec spec/SPEC-tracker.md --results $(RESULTS)/prove.txt \
	    $(wildcard $(WP_REPORTS)) || \
	    { [ -s $(RESULTS)/prove.txt ] || echo "0 passed, 1 failed" > $(RESULTS)/prove.txt; exit 1; }

# The non-vacuity witnesses (proofs/witness.c for the core, proofs/witness_policy.c for the
# policy; src/lib.mk adds the tracker's) are proved with the same flags.
WP_REPORTS += proofs/witness.json proofs/witness_policy.json
proofs/%.json: proofs/%.c include/*.h spec/*.acsl | deps
	@echo "WP: proving $< (non-vacuity witness)"
	@frama-c $(WP_FLAGS) $< -wp-report-json $@.tmp > $(BUILD)/wp-$*.log 2>&1; rc=$$?; \
	    [ $$rc = 0 ] || tail -20 $(BUILD)/wp-$*.log; \
	    [ -s $@.tmp ] && mv $@.tmp $@; exit $$rc
