# fuzz/fuzz.mk — fuzz harnesses: builds (libFuzzer, AFL++, replay, coverage), campaigns, corpus
# minimisation, coverage report and the `fuzz-replay` test step (included by the Makefile).
#
# A harness is a file fuzz/fuzz_<name>.c defining LLVMFuzzerTestOneInput (and optionally
# LLVMFuzzerInitialize), with its committed seeds in fuzz/corpus/<name>/ and optionally
# fuzz/<name>.dict and fuzz/<name>.options.  The harness names what it links in its opening
# comment (see fuzz/harness-meta.sh):  ` * fuzz-sources: src/a.c src/b.c`, and optionally
# ` * fuzz-cflags: ...` / ` * fuzz-ldflags: ...` (shell-expanded).  Nothing below names a harness:
# adding fuzz/fuzz_<name>.c + fuzz/corpus/<name>/ needs no change here.
#
# Directories: $(BUILD)/fuzz/<engine>/fuzz_<name> binaries; fuzz/work/<name> the git-ignored
# libFuzzer work corpus (AFL++ queues are copied there too); fuzz/out/ git-ignored artifacts.

FUZZ_HARNESSES := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_BUILD     := $(BUILD)/fuzz
# Harnesses that embed CPython name the pyenv version in their directives as $VGC_FUZZ_PY
# (default 3.11.7, the harness's own default).  Another version builds into its own directory:
#   make fuzz T=cpython TIME=600 VGC_FUZZ_PY=3.13.0      (binaries in $(BUILD)/fuzz-py3.13.0/)
# and test-fuzz-replay replays their corpora on the other versions in PY_VERSIONS too.
FUZZ_PY_DEFAULT   := 3.11.7
FUZZ_PY_HARNESSES := $(patsubst fuzz/fuzz_%.c,%,$(shell grep -l 'VGC_FUZZ_PY' fuzz/fuzz_*.c))
ifneq ($(VGC_FUZZ_PY),)
FUZZ_BUILD     := $(BUILD)/fuzz-py$(VGC_FUZZ_PY)
export VGC_FUZZ_PY
endif
FUZZ_WORK      := fuzz/work
FUZZ_OUT       := fuzz/out
FUZZ_META      := fuzz/harness-meta.sh
AFL_CC         ?= afl-clang-fast
LLVM_COV       ?= $(firstword $(shell command -v llvm-cov-14 llvm-cov))
LLVM_PROFDATA  ?= $(firstword $(shell command -v llvm-profdata-14 llvm-profdata))

FUZZ_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Iinclude -fno-omit-frame-pointer
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
# AFL++ builds carry ASan+UBSan too (set AFL_SAN= for a faster uninstrumented-memory build).
AFL_SAN     ?= $(FUZZ_SAN)
# The same harness under one sanitizer set for libFuzzer and for the replay test.
FUZZ_ENV    := ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

T    ?=
TIME ?= 60
JOBS ?= 1

# fuzz/<name>.ignorelist (optional): code left out of the coverage feedback of the libFuzzer and
# AFL++ builds (sanitizer-coverage ignorelist syntax, `src:path` lines relative to the root).
#
# libFuzzer flags from fuzz/<name>.options ([libfuzzer] `key = value` lines; `dict` is given
# with its repository path instead), and -dict=fuzz/<name>.dict when present.
fuzz_opts = $(if $(wildcard fuzz/$(1).dict),-dict=fuzz/$(1).dict) \
    $(if $(wildcard fuzz/$(1).options),$(shell sed -n '/^\[libfuzzer\]/,/^\[/{s/^ *\([a-z_]*\) *= *\(.*[^ ]\) *$$/-\1=\2/p}' fuzz/$(1).options | grep -v '^-dict='))

# Per-harness build rules: $(1) = name.
define FUZZ_HARNESS_RULES
FUZZ_SRC_$(1)  := $$(shell $(FUZZ_META) sources fuzz/fuzz_$(1).c)
FUZZ_DEPS_$(1) := fuzz/fuzz_$(1).c $$(FUZZ_SRC_$(1)) $$(wildcard include/*.h spec/*.acsl) \
                  fuzz/fuzz.mk $$(wildcard fuzz/$(1).ignorelist)
FUZZ_IGN_$(1)  := $$(wildcard fuzz/$(1).ignorelist)

$(FUZZ_BUILD)/libfuzzer/fuzz_$(1): $$(FUZZ_DEPS_$(1))
	@mkdir -p $$(@D)
	$(CLANG) $(FUZZ_CFLAGS) $$$$($(FUZZ_META) cflags $$<) -fsanitize=fuzzer $(FUZZ_SAN) \
	    $$(if $$(FUZZ_IGN_$(1)),-fsanitize-coverage-ignorelist=$$(FUZZ_IGN_$(1))) \
	    $$< $$(FUZZ_SRC_$(1)) $$$$($(FUZZ_META) ldflags $$<) -o $$@

$(FUZZ_BUILD)/afl/fuzz_$(1): $$(FUZZ_DEPS_$(1))
	@mkdir -p $$(@D)
	AFL_QUIET=1 $$(if $$(FUZZ_IGN_$(1)),AFL_LLVM_DENYLIST=$$(FUZZ_IGN_$(1))) $(AFL_CC) $(FUZZ_CFLAGS) $$$$($(FUZZ_META) cflags $$<) -fsanitize=fuzzer \
	    $(AFL_SAN) $$< $$(FUZZ_SRC_$(1)) $$$$($(FUZZ_META) ldflags $$<) -o $$@

$(FUZZ_BUILD)/replay/fuzz_$(1): $$(FUZZ_DEPS_$(1)) fuzz/replay.c
	@mkdir -p $$(@D)
	$(CLANG) $(FUZZ_CFLAGS) $$$$($(FUZZ_META) cflags $$<) $(FUZZ_SAN) \
	    $$< fuzz/replay.c $$(FUZZ_SRC_$(1)) $$$$($(FUZZ_META) ldflags $$<) -o $$@

$(FUZZ_BUILD)/cov/fuzz_$(1): $$(FUZZ_DEPS_$(1)) fuzz/replay.c
	@mkdir -p $$(@D)
	$(CLANG) $(FUZZ_CFLAGS) -O0 $$$$($(FUZZ_META) cflags $$<) \
	    -fprofile-instr-generate -fcoverage-mapping \
	    $$< fuzz/replay.c $$(FUZZ_SRC_$(1)) $$$$($(FUZZ_META) ldflags $$<) -o $$@
endef
$(foreach h,$(FUZZ_HARNESSES),$(eval $(call FUZZ_HARNESS_RULES,$(h))))

.PHONY: fuzz fuzz-afl fuzz-min fuzz-cov fuzz-check-T test-fuzz-replay

fuzz-check-T:
	@[ -n "$(T)" ] && [ -f fuzz/fuzz_$(T).c ] || \
	    { echo "T=<name> is required, one of: $(FUZZ_HARNESSES)"; exit 2; }
	@[ -d fuzz/corpus/$(T) ] || { echo "fuzz/corpus/$(T)/ is missing"; exit 2; }

fuzz: fuzz-check-T ## libFuzzer campaign: make fuzz T=<name> TIME=<seconds> [JOBS=n]
	@$(MAKE) --no-print-directory $(FUZZ_BUILD)/libfuzzer/fuzz_$(T)
	@mkdir -p $(FUZZ_WORK)/$(T) $(FUZZ_OUT)/$(T)
	$(FUZZ_ENV) $(FUZZ_BUILD)/libfuzzer/fuzz_$(T) $(FUZZ_WORK)/$(T) fuzz/corpus/$(T) \
	    $(call fuzz_opts,$(T)) -max_total_time=$(TIME) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_OUT)/$(T)/ $(if $(filter-out 0 1,$(JOBS)),-fork=$(JOBS))
	@echo "fuzz: work corpus $(FUZZ_WORK)/$(T): $$(ls $(FUZZ_WORK)/$(T) | wc -l) inputs" \
	    "(merge with: make fuzz-min T=$(T))"

# AFL++: seeds = committed corpus + work corpus (non-empty files); a fresh output directory per
# run; -M/-S instances when JOBS > 1; afterwards the queues are copied into the work corpus.
fuzz-afl: fuzz-check-T ## AFL++ campaign: make fuzz-afl T=<name> TIME=<seconds> [JOBS=n]
	@$(MAKE) --no-print-directory $(FUZZ_BUILD)/afl/fuzz_$(T)
	@in=$(FUZZ_OUT)/afl/$(T).in; out=$(FUZZ_OUT)/afl/$(T); \
	rm -rf $$in $$out; mkdir -p $$in $(FUZZ_WORK)/$(T); \
	find fuzz/corpus/$(T) $(FUZZ_WORK)/$(T) -type f -size +0 -exec cp -n -t $$in {} +; \
	dict=$$([ -f fuzz/$(T).dict ] && echo "-x fuzz/$(T).dict"); \
	export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1; \
	echo "afl-fuzz -V $(TIME) -i $$in -o $$out $$dict -- $(FUZZ_BUILD)/afl/fuzz_$(T)  (JOBS=$(JOBS))"; \
	if [ "$(JOBS)" -le 1 ]; then \
	    afl-fuzz -V $(TIME) -i $$in -o $$out $$dict -- $(FUZZ_BUILD)/afl/fuzz_$(T) \
	        > $(FUZZ_OUT)/afl/$(T).log 2>&1; \
	else \
	    afl-fuzz -M main -V $(TIME) -i $$in -o $$out $$dict -- $(FUZZ_BUILD)/afl/fuzz_$(T) \
	        > $(FUZZ_OUT)/afl/$(T).main.log 2>&1 & \
	    for i in $$(seq 2 $(JOBS)); do \
	        afl-fuzz -S sec$$i -V $(TIME) -i $$in -o $$out $$dict -- \
	            $(FUZZ_BUILD)/afl/fuzz_$(T) > $(FUZZ_OUT)/afl/$(T).sec$$i.log 2>&1 & \
	    done; wait; \
	fi; \
	crashes=0; stats=0; \
	for s in $$out/*/fuzzer_stats; do \
	    [ -f $$s ] || continue; stats=$$((stats + 1)); \
	    eval $$(sed -n 's/^\(execs_per_sec\|execs_done\|saved_crashes\|corpus_count\|run_time\) *: *\(.*\)/\1=\2/p' $$s); \
	    echo "afl $$(basename $$(dirname $$s)): execs_per_sec=$$execs_per_sec execs_done=$$execs_done run_time=$${run_time}s corpus_count=$$corpus_count saved_crashes=$$saved_crashes"; \
	    crashes=$$((crashes + saved_crashes)); \
	done; \
	[ $$stats -gt 0 ] || { echo "fuzz-afl: no fuzzer_stats (see $(FUZZ_OUT)/afl/$(T)*.log)"; \
	    tail -20 $(FUZZ_OUT)/afl/$(T)*.log; exit 1; }; \
	for q in $$out/*/queue/id*; do \
	    [ -f "$$q" ] && cp "$$q" $(FUZZ_WORK)/$(T)/$$(sha1sum < "$$q" | cut -c1-40); \
	done; \
	echo "fuzz-afl: queue copied into $(FUZZ_WORK)/$(T) ($$(ls $(FUZZ_WORK)/$(T) | wc -l) inputs)"; \
	if [ $$crashes -gt 0 ]; then ls $$out/*/crashes/id* 2>/dev/null; \
	    echo "fuzz-afl: $$crashes crashes saved"; exit 1; fi

# Minimise committed corpus + work corpus into a fresh set with libFuzzer's -merge=1; the
# hand-made seeds (seed-*) are always kept, merged inputs are named by their SHA-1.
fuzz-min: fuzz-check-T ## merge fuzz/work/<name> into fuzz/corpus/<name>, minimised (keeps seed-*)
	@$(MAKE) --no-print-directory $(FUZZ_BUILD)/libfuzzer/fuzz_$(T) $(FUZZ_BUILD)/replay/fuzz_$(T)
	@c=fuzz/corpus/$(T); tmp=$(FUZZ_OUT)/min-$(T); rm -rf $$tmp; mkdir -p $$tmp $(FUZZ_WORK)/$(T); \
	before="$$(ls $$c | wc -l) files, $$(cat $$c/* | wc -c) bytes"; \
	work="$$(ls $(FUZZ_WORK)/$(T) | wc -l) files"; \
	cp $$c/seed-* $$tmp/ 2>/dev/null || true; \
	$(FUZZ_ENV) $(FUZZ_BUILD)/libfuzzer/fuzz_$(T) -merge=1 $$tmp $$c $(FUZZ_WORK)/$(T) \
	    > $(FUZZ_OUT)/min-$(T).log 2>&1 || { tail -20 $(FUZZ_OUT)/min-$(T).log; exit 1; }; \
	find $$c -maxdepth 1 -type f ! -name 'seed-*' -delete; \
	for f in $$tmp/*; do b=$$(basename $$f); \
	    case $$b in seed-*) ;; *) cp $$f $$c/$$b ;; esac; done; \
	echo "fuzz-min $(T): corpus before: $$before; work: $$work;" \
	     "after: $$(ls $$c | wc -l) files, $$(cat $$c/* | wc -c) bytes"; \
	$(FUZZ_ENV) $(FUZZ_BUILD)/replay/fuzz_$(T) $$c

# Line coverage of src/ from the committed corpora: one profile per harness, merged.
fuzz-cov: ## llvm-cov line coverage of src/ from every committed corpus, as a table
	@[ -n "$(FUZZ_HARNESSES)" ] || { echo "fuzz-cov: no harness"; exit 1; }
	@$(MAKE) --no-print-directory $(addprefix $(FUZZ_BUILD)/cov/fuzz_,$(FUZZ_HARNESSES))
	@set -o pipefail; rm -rf $(FUZZ_BUILD)/cov/prof; mkdir -p $(FUZZ_BUILD)/cov/prof; \
	for h in $(FUZZ_HARNESSES); do \
	    LLVM_PROFILE_FILE=$(FUZZ_BUILD)/cov/prof/$$h.profraw \
	        $(FUZZ_BUILD)/cov/fuzz_$$h fuzz/corpus/$$h || exit 1; \
	done; \
	$(LLVM_PROFDATA) merge -sparse $(FUZZ_BUILD)/cov/prof/*.profraw \
	    -o $(FUZZ_BUILD)/cov/fuzz.profdata && \
	$(LLVM_COV) report $(FUZZ_BUILD)/cov/fuzz_$(firstword $(FUZZ_HARNESSES)) \
	    $(foreach h,$(wordlist 2,99,$(FUZZ_HARNESSES)),-object $(FUZZ_BUILD)/cov/fuzz_$(h)) \
	    -instr-profile=$(FUZZ_BUILD)/cov/fuzz.profdata -show-region-summary=false \
	    -show-branch-summary=false -show-instantiation-summary=false \
	    $(sort $(wildcard src/*.c src/cpython/*.c)) | awk 'NR == 1 { w = length($$0) } { print substr($$0, 1, w) }'

# The test step, one test each for: every harness's committed corpus replayed under ASan+UBSan
# (a harness fails if it does not build, its corpus is missing or empty, or any input fails; the
# replay driver prints how many inputs it ran); the same for each other CPython version of the
# harnesses that embed CPython; every harness's AFL++ build (afl-clang-fast), its corpus run
# through AFL++'s driver, which skips empty files (AFL++ never runs an empty input; its
# "Execution successful" lines are counted on stdout alone: a program that sets DEBUG_STATS writes
# to stderr, which split a line of the buffered stdout in a combined log); and
# fuzz/oss-fuzz/build.sh, which builds every harness the OSS-Fuzz way, each binary then running
# its seed zip from another directory.
TEST_STEPS += fuzz-replay

test-fuzz-replay: deps ## every corpus under ASan+UBSan, on each CPython, AFL++ builds, oss-fuzz/build.sh
	@mkdir -p $(RESULTS); pass=0; fail=0; \
	tally() { if [ $$1 -eq 0 ]; then pass=$$((pass + 1)); echo "  ok   $$2"; \
	          else fail=$$((fail + 1)); echo "  FAIL $$2"; fi; return $$1; }; \
	for h in $(FUZZ_HARNESSES); do \
	    $(MAKE) --no-print-directory $(FUZZ_BUILD)/replay/fuzz_$$h && \
	        $(FUZZ_ENV) $(FUZZ_BUILD)/replay/fuzz_$$h fuzz/corpus/$$h; \
	    tally $$? "$$h"; \
	done; \
	for h in $(FUZZ_PY_HARNESSES); do for v in $(filter-out $(FUZZ_PY_DEFAULT),$(PY_VERSIONS)); do \
	    b=$(BUILD)/fuzz-py$$v/replay/fuzz_$$h; \
	    VGC_FUZZ_PY=$$v $(MAKE) --no-print-directory $$b && $(FUZZ_ENV) $$b fuzz/corpus/$$h; \
	    tally $$? "$$h on CPython $$v"; \
	done; done; \
	for h in $(FUZZ_HARNESSES); do \
	    b=$(FUZZ_BUILD)/afl/fuzz_$$h; log=$$b.replay.log; \
	    n=$$(find fuzz/corpus/$$h -type f -size +0 | wc -l); \
	    $(MAKE) --no-print-directory $$b >/dev/null && \
	        $(FUZZ_ENV) $$b fuzz/corpus/$$h/* > $$log.out 2> $$log && \
	        [ "$$(grep -c '^Execution successful' $$log.out)" -eq $$n ]; \
	    tally $$? "$$h (AFL++ build, afl-clang-fast): $$n non-empty inputs" || tail -5 $$log; \
	done; \
	o=$(BUILD)/oss-fuzz; rm -rf $$o; mkdir -p $$o/out $$o/work $$o/run; \
	env CC=$(CLANG) CXX=clang++ LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
	    CFLAGS="-O1 -gline-tables-only -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	    CXXFLAGS="-O1 -gline-tables-only -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	    OUT=$$(realpath $$o/out) WORK=$$(realpath $$o/work) bash fuzz/oss-fuzz/build.sh \
	    > $$o/build.log 2>&1 && \
	(cd $$o/run && for h in $(FUZZ_HARNESSES); do \
	    unzip -q ../out/fuzz_$${h}_seed_corpus.zip -d $$h && \
	    $(FUZZ_ENV) ../out/fuzz_$$h -runs=0 $$h > $$h.log 2>&1 && \
	    grep -q DONE $$h.log || { tail -5 $$h.log; exit 1; }; \
	done); \
	tally $$? "oss-fuzz/build.sh: every harness built, each run on its seed zip in $$o/run" || \
	    tail -5 $$o/build.log; \
	[ -n "$(FUZZ_HARNESSES)" ] || { echo "  FAIL no harness in fuzz/"; fail=1; }; \
	echo "$$pass passed, $$fail failed" | tee $(RESULTS)/fuzz-replay.txt; [ $$fail -eq 0 ]

# A campaign measured in CPU time (fuzz/campaign.sh): nice -n 19, stopped once the fuzzer has
# consumed CPU seconds of CPU time (or WALL seconds of wall time); appends a row to
# fuzz/CAMPAIGNS.md.  Merge its work corpus afterwards with make fuzz-min T=<name>.
CPU  ?= 3600
WALL ?= 0
.PHONY: campaign
campaign: fuzz-check-T ## CPU-time campaign: make campaign T=<name> CPU=3600 [WALL=<max wall s>]
	FUZZ_BUILD=$(FUZZ_BUILD) fuzz/campaign.sh $(T) $(CPU) $(WALL)

# The ClusterFuzzLite/OSS-Fuzz build with a sanitizer-built CPython (what .clusterfuzzlite/build.sh
# runs in the image), here: fuzz/oss-fuzz/build-cpython.sh configures and builds CPYTHON_SRC (a
# CPython 3.11-3.13 source tree; none can be downloaded on the development machine, see README)
# with the engine's ASan flags into $(BUILD)/oss-fuzz-cpython/out, then builds every harness with
# oss-fuzz/build.sh against it.  Checks: fuzz_cpython does not load any shared libpython (the
# static sanitizer build is linked in), the out directory still works after it is moved (as the
# runner mounts it elsewhere), and every binary runs its seed zip from another directory.  Not
# part of make test (a CPython build under ASan takes minutes); without CPYTHON_SRC it says so.
CPYTHON_SRC ?=
.PHONY: oss-fuzz-cpython
oss-fuzz-cpython: ## ClusterFuzzLite build: sanitizer CPython from CPYTHON_SRC=<tree>, every harness, seed runs
	@[ -n "$(CPYTHON_SRC)" ] && [ -x "$(CPYTHON_SRC)/configure" ] || \
	    { echo "oss-fuzz-cpython: skipped (set CPYTHON_SRC=<CPython 3.11-3.13 source tree>)"; exit 0; }
	@set -o pipefail; o=$(BUILD)/oss-fuzz-cpython; rm -rf $$o/out-moved $$o/run; mkdir -p $$o/out $$o/work; \
	fl="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"; \
	echo "oss-fuzz-cpython: building $(CPYTHON_SRC) and the harnesses (log: $$o/build.log)"; \
	env CC=$(CLANG) CXX=clang++ CFLAGS="$$fl" CXXFLAGS="$$fl" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
	    SANITIZER=address FUZZING_ENGINE=libfuzzer OUT=$$(realpath $$o/out) WORK=$$(realpath $$o/work) \
	    bash fuzz/oss-fuzz/build-cpython.sh $(CPYTHON_SRC) > $$o/build.log 2>&1 || \
	    { tail -20 $$o/build.log; exit 1; }; \
	grep '^cpython:' $$o/build.log; \
	if ldd $$o/out/fuzz_cpython | grep libpython; then \
	    echo "oss-fuzz-cpython: FAIL fuzz_cpython loads a shared libpython"; exit 1; fi; \
	mv $$o/out $$o/out-moved; mkdir -p $$o/run; \
	(cd $$o/run && for h in $(FUZZ_HARNESSES); do \
	    unzip -q ../out-moved/fuzz_$${h}_seed_corpus.zip -d $$h && \
	    $(FUZZ_ENV) ../out-moved/fuzz_$$h -runs=0 $$h > $$h.log 2>&1 && grep -q DONE $$h.log && \
	    echo "  ok   $$h: $$(grep -o 'INITED.*' $$h.log | head -1)" || \
	    { echo "  FAIL $$h"; tail -15 $$h.log; exit 1; }; \
	done); rc=$$?; mv $$o/out-moved $$o/out; exit $$rc
