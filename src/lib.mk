# src/lib.mk — the generational tracker (proved) and libvgc, the standalone collector
# (included by the Makefile).  Adds: $(BUILD)/libvgc.a to `all`, src/vgc_gen.c to PROVED_SRC,
# the `lib` test step (tests/c/test_gen.c, tests/c/test_libvgc.c, examples/host.c under
# ASan+UBSan), and `make run-host`.

LIB_SRC := src/libvgc.c src/vgc_gen.c src/vgc_gen_lists.c src/vgc_policy.c src/vgc_core.c
LIB_HDR := include/vgc.h include/vgc_gen.h include/vgc_policy.h include/vgc_core.h spec/vgc_gen.acsl \
           spec/vgc_policy.acsl spec/vgc_graph.acsl

TEST_STEPS += lib

all: $(BUILD)/libvgc.a $(BUILD)/host

$(BUILD)/libvgc.a: $(LIB_SRC) $(LIB_HDR)
	@mkdir -p $(BUILD)/obj
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -fPIC -c src/libvgc.c -o $(BUILD)/obj/libvgc.o
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -fPIC -c src/vgc_gen.c -o $(BUILD)/obj/vgc_gen.o
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -fPIC -c src/vgc_gen_lists.c -o $(BUILD)/obj/vgc_gen_lists.o
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -fPIC -c src/vgc_policy.c -o $(BUILD)/obj/vgc_policy.o
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -fPIC -c src/vgc_core.c -o $(BUILD)/obj/vgc_core.o
	ar rcs $@ $(BUILD)/obj/libvgc.o $(BUILD)/obj/vgc_gen.o $(BUILD)/obj/vgc_gen_lists.o \
	    $(BUILD)/obj/vgc_policy.o $(BUILD)/obj/vgc_core.o

$(BUILD)/host: examples/host.c $(BUILD)/libvgc.a
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) $< $(BUILD)/libvgc.a -o $@

# Test binaries, under ASan+UBSan (TEST_CFLAGS from tests/tests.mk).
$(BUILD)/test_gen: tests/c/test_gen.c tests/c/check.h src/vgc_gen.c src/vgc_gen_lists.c src/vgc_policy.c \
                   $(LIB_HDR)
	@mkdir -p $(BUILD)
	$(CLANG) $(TEST_CFLAGS) tests/c/test_gen.c src/vgc_gen.c src/vgc_gen_lists.c src/vgc_policy.c -o $@

$(BUILD)/test_libvgc: tests/c/test_libvgc.c tests/c/check.h $(LIB_SRC) $(LIB_HDR)
	@mkdir -p $(BUILD)
	$(CLANG) $(TEST_CFLAGS) tests/c/test_libvgc.c $(LIB_SRC) -o $@

$(BUILD)/host-san: examples/host.c $(LIB_SRC) $(LIB_HDR)
	@mkdir -p $(BUILD)
	$(CLANG) $(TEST_CFLAGS) examples/host.c $(LIB_SRC) -o $@

# One step, three binaries; the result line adds them up.  tests/c/test_host.sh checks the
# example's printed stats against the values the rules predict.
.PHONY: test-lib run-host
test-lib:
	@$(MAKE) --no-print-directory $(BUILD)/test_gen $(BUILD)/test_libvgc $(BUILD)/host-san
	@mkdir -p $(RESULTS)
	@rc=0; p=0; f=0; \
	for t in test_gen test_libvgc; do \
	    $(BUILD)/$$t > $(BUILD)/$$t.out 2>&1 || rc=1; cat $(BUILD)/$$t.out; \
	    line=$$(tail -1 $(BUILD)/$$t.out); \
	    if [[ "$$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then \
	        p=$$((p + BASH_REMATCH[1])); f=$$((f + BASH_REMATCH[2])); else f=$$((f + 1)); rc=1; fi; \
	done; \
	if $(BUILD)/host-san --check > $(BUILD)/host.out 2>&1; then p=$$((p + 1)); echo "  ok   host example"; \
	else f=$$((f + 1)); rc=1; cat $(BUILD)/host.out; echo "  FAIL host example"; fi; \
	echo "$$p passed, $$f failed" | tee $(RESULTS)/lib.txt; exit $$rc

run-host: $(BUILD)/host ## run the example host on libvgc and print its statistics
	@$(BUILD)/host

# The tracker (src/vgc_gen.c: policy, counts, bookkeeping, queries; src/vgc_gen_lists.c: the list
# operations) and its non-vacuity witness.  proofs.mk computed WP_REPORTS before this fragment was
# read, so the reports are added explicitly.
PROVED_SRC += src/vgc_gen.c src/vgc_gen_lists.c
WP_REPORTS += proofs/vgc_gen.json proofs/vgc_gen_lists.json proofs/witness_gen.json
proofs/vgc_gen.json proofs/vgc_gen_lists.json: WP_FLAGS += -wp-split
# The slowest goal of vgc_gen.c needs 7-28 s on a loaded 2-core machine.
proofs/vgc_gen.json proofs/vgc_gen_lists.json: WP_TIMEOUT = 60
# One goal of the connectivity theorem vgc_gen_walk (`last_l`) in vgc_gen.c
# times out with CVC4 alone at 60 s, so that small file (182 goals) races both provers whole.
proofs/vgc_gen.json: WP_PROVERS = z3,cvc4
# Five goals of the list file (the `h_last` / `ho_raw` frame steps of vgc_remove, vgc_add,
# vgc_gen_merge and two position folds) time out with CVC4 alone at 60 s and take Z3 a few
# seconds.  So the file is proved in two runs: those five functions with Z3 and CVC4 racing
# (proofs/vgc_gen_lists_z3.json), every other function and the lemmas with CVC4 alone
# (proofs/vgc_gen_lists.json; -wp-skip-fct of the same list, so every function is in exactly one
# of the two runs).  A run with a function filter proves no lemma, so the file's lemmas are a
# third run (-wp-prop @lemma, proofs/vgc_gen_lists_lemmas.json); wp-report.py fails when a lemma
# declared in the proved sources is in no report.
LISTS_Z3_FCT := vgc_gen_merge,vgc_pos_unlinked,vgc_pos_appended,vgc_remove,vgc_add
WP_REPORTS += proofs/vgc_gen_lists_z3.json proofs/vgc_gen_lists_lemmas.json
proofs/vgc_gen_lists_lemmas.json: src/vgc_gen_lists.c include/*.h spec/*.acsl | deps
	@echo "WP: proving $< (its lemmas)"
	@frama-c $(WP_FLAGS) -wp-prop @lemma $< \
	    -wp-report-json $@.tmp > $(BUILD)/wp-vgc_gen_lists_lemmas.log 2>&1; rc=$$?; \
	    [ $$rc = 0 ] || tail -20 $(BUILD)/wp-vgc_gen_lists_lemmas.log; \
	    [ -s $@.tmp ] && mv $@.tmp $@; exit $$rc
proofs/vgc_gen_lists.json: WP_FLAGS += -wp-skip-fct $(LISTS_Z3_FCT)
proofs/vgc_gen_lists_z3.json: src/vgc_gen_lists.c include/*.h spec/*.acsl | deps
	@echo "WP: proving $< ($(LISTS_Z3_FCT), Z3 and CVC4)"
	@frama-c $(WP_FLAGS) -wp-split -wp-fct $(LISTS_Z3_FCT) -wp-prover z3,cvc4 $< \
	    -wp-report-json $@.tmp > $(BUILD)/wp-vgc_gen_lists_z3.log 2>&1; rc=$$?; \
	    [ $$rc = 0 ] || tail -20 $(BUILD)/wp-vgc_gen_lists_z3.log; \
	    [ -s $@.tmp ] && mv $@.tmp $@; exit $$rc
proofs/witness_gen.json: proofs/witness_gen.c include/*.h spec/*.acsl | deps
	@echo "WP: proving $< (non-vacuity witness of the tracker)"
	@frama-c $(WP_FLAGS) -wp-split $< -wp-report-json $@.tmp > $(BUILD)/wp-witness_gen.log 2>&1 || \
	    { tail -20 $(BUILD)/wp-witness_gen.log; rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@

.PHONY: prove-lists
prove-lists: deps ## WP on the tracker's list operations only (src/vgc_gen_lists.c), with the goal counts
	@mkdir -p $(BUILD)
	@rm -f proofs/vgc_gen_lists.json
	@$(MAKE) --no-print-directory proofs/vgc_gen_lists.json
	@$(PYTHON) proofs/wp-report.py proofs/vgc_gen_lists.json
