# proofs/proofs.mk — how WP is run (included by the Makefile).
#
# Every file in PROVED_SRC is proved on its own with the same flags; each writes
# proofs/<name>.json (WP's report) and the summary table proofs/RESULTS.md is rebuilt from them.
# Prover: CVC4 (no Alt-Ergo on this machine; why3 1.5.1 does not know cvc5 1.0.3).  With
# `-wp-prover z3,cvc4` WP races both provers on every goal Qed leaves; CVC4 alone proves every goal
# and the whole proof then takes 29% less CPU (660 against 924 CPU-s, one run each, README).
# WP_PROVERS=z3,cvc4 brings Z3 back.  Timeouts are per goal; the slowest goal needs a few seconds.

PROVED_SRC   := src/vgc_core.c src/vgc_policy.c src/vgc_hookstate.c src/vgc_inplace.c
WP_PROVERS   ?= cvc4
WP_TIMEOUT   ?= 60
WP_PAR       ?= 2
# -warn-*-downcast / -warn-unsigned-overflow: without them -wp-rte emits no goal for an integer
# conversion that loses a value or for unsigned wrap-around (T0 covers both).  -wp-cache none: every
# run asks the provers again (no result is replayed from a cache).
WP_FLAGS      = -pp-annot -cpp-extra-args="-Iinclude" \
                -kernel-warn-key annot:missing-spec=abort \
                -warn-signed-downcast -warn-unsigned-downcast -warn-unsigned-overflow \
                -wp -wp-rte -wp-prover $(WP_PROVERS) -wp-timeout $(WP_TIMEOUT) -wp-par $(WP_PAR) \
                -wp-cache none

WP_REPORTS := $(patsubst src/%.c,proofs/%.json,$(PROVED_SRC))
# The in-place core: its goals are split by path (-wp-split); one frame step of the successor
# chunk (buf_kept) is a timeout unsplit and 0.2 s split.
proofs/vgc_inplace.json: WP_FLAGS += -wp-split
# Its phase 3 (vgc_ip_move_legacy_finalizers, 411 goals) is a run of its own, so that the two
# halves (~3 min each) run side by side; every function is in exactly one of the two runs.
IP_P3_FCT := vgc_ip_move_legacy_finalizers
proofs/vgc_inplace.json: WP_FLAGS += -wp-skip-fct $(IP_P3_FCT)
WP_REPORTS += proofs/vgc_inplace_p3.json
proofs/vgc_inplace_p3.json: src/vgc_inplace.c include/*.h spec/*.acsl | deps
	@echo "WP: proving $< ($(IP_P3_FCT))"
	@frama-c $(WP_FLAGS) -wp-split -wp-fct $(IP_P3_FCT) $< \
	    -wp-report-json $@.tmp > $(BUILD)/wp-vgc_inplace_p3.log 2>&1; rc=$$?; \
	    [ $$rc = 0 ] || tail -20 $(BUILD)/wp-vgc_inplace_p3.log; \
	    [ -s $@.tmp ] && mv $@.tmp $@; exit $$rc
# Files are proved PROVE_JOBS at a time, the longest first: WP's -wp-par only overlaps the prover
# calls of one file, while its parsing and goal generation are single-threaded.
PROVE_JOBS ?= 2
WP_LONGEST  = proofs/vgc_gen_lists_z3.json proofs/vgc_gen_lists.json proofs/witness_gen.json proofs/vgc_hookstate.json proofs/vgc_inplace.json proofs/vgc_inplace_p3.json \
              proofs/vgc_core.json proofs/vgc_gen.json
WP_ORDERED  = $(foreach r,$(WP_LONGEST),$(filter $(r),$(WP_REPORTS))) $(filter-out $(WP_LONGEST),$(WP_REPORTS))

# frama-c exits non-zero on user errors but 0 when goals fail: only wp-report.py decides.  The
# report is kept either way so that wp-report.py can say which goals failed; a report that is
# missing (frama-c stopped before writing it) fails the check, since every report of WP_REPORTS
# is passed to it.
proofs/%.json: src/%.c include/*.h spec/*.acsl | deps
	@echo "WP: proving $< (timeout $(WP_TIMEOUT)s/goal, $(WP_PAR) jobs)"
	@frama-c $(WP_FLAGS) $< -wp-report-json $@.tmp > $(BUILD)/wp-$*.log 2>&1; rc=$$?; \
	    [ $$rc = 0 ] || tail -20 $(BUILD)/wp-$*.log; \
	    [ -s $@.tmp ] && mv $@.tmp $@; exit $$rc

.PHONY: prove-run
prove: deps ## run Frama-C WP on every proved file, write proofs/*.json, fail unless all goals Valid
	@mkdir -p $(BUILD)
	@rm -f $(WP_REPORTS)
	@$(MAKE) --no-print-directory -k -j$(PROVE_JOBS) $(WP_ORDERED); rc=$$?; \
	    $(PYTHON) proofs/wp-report.py --spec spec/SPEC.md --spec spec/SPEC-tracker.md \
	        --table proofs/RESULTS.md $(WP_REPORTS) && exit $$rc

test-prove:
	@mkdir -p $(BUILD) $(RESULTS)
	@rm -f $(WP_REPORTS)
	@$(MAKE) --no-print-directory -k -j$(PROVE_JOBS) $(WP_ORDERED) || true
	@$(PYTHON) proofs/wp-report.py --spec spec/SPEC.md --spec spec/SPEC-tracker.md --results $(RESULTS)/prove.txt \
	    $(WP_REPORTS) || \
	    { [ -s $(RESULTS)/prove.txt ] || echo "0 passed, 1 failed" > $(RESULTS)/prove.txt; exit 1; }

# The non-vacuity witnesses (proofs/witness.c for the core, proofs/witness_inplace.c for the
# in-place core, proofs/witness_policy.c for the
# policy; src/lib.mk adds the tracker's) are proved with the same flags.
WP_REPORTS += proofs/witness.json proofs/witness_policy.json proofs/witness_inplace.json
proofs/%.json: proofs/%.c include/*.h spec/*.acsl | deps
	@echo "WP: proving $< (non-vacuity witness)"
	@frama-c $(WP_FLAGS) $< -wp-report-json $@.tmp > $(BUILD)/wp-$*.log 2>&1; rc=$$?; \
	    [ $$rc = 0 ] || tail -20 $(BUILD)/wp-$*.log; \
	    [ -s $@.tmp ] && mv $@.tmp $@; exit $$rc

# Planted bugs (proofs/mutants.py): each mutant is one edit of a proved file, applied to a copy
# under $(BUILD)/mutants and proved for the mutated function (every goal of it) with a 20 s
# timeout; it must make the whole goal count of that report fail.  A control run of the unmutated
# function with the same flags must pass first, so that a load-induced timeout is not counted as a
# catch.  One line per mutant, then `N passed, N failed` (passed = caught).  About 15 min on the
# shared 2-core machine, so it is not in TEST_STEPS (figures in README).
.PHONY: prove-mutants test-prove-mutants
prove-mutants: WP_TIMEOUT = 20
prove-mutants: deps ## prove planted mutants (ONLY=name,... for some); each must fail the goal count
	@mkdir -p $(BUILD)/mutants
	@WP_FLAGS='$(WP_FLAGS)' $(PYTHON) proofs/mutants.py $(BUILD)/mutants $(if $(ONLY),--only $(ONLY))

test-prove-mutants: WP_TIMEOUT = 20
test-prove-mutants: deps
	@mkdir -p $(BUILD)/mutants $(RESULTS)
	@WP_FLAGS='$(WP_FLAGS)' $(PYTHON) proofs/mutants.py $(BUILD)/mutants \
	    --results $(RESULTS)/prove-mutants.txt || \
	    { [ -s $(RESULTS)/prove-mutants.txt ] || echo "0 passed, 1 failed" > $(RESULTS)/prove-mutants.txt; exit 1; }
