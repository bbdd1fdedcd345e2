# bench/bench.mk — `make bench` (included by the Makefile).  Not in proof scope.
#
# make bench                      the core-only C benchmark (bench/bench_core.c), then the
#                                 stock-vs-vgc suite (bench/run.py) on BENCH_PY (default: 3.11)
# make bench BENCH_QUICK=1        small sizes, one repetition: a smoke test (~1 min)
# make bench BENCH_PY=$(pyenv root)/versions/3.13.0/bin/python3.13
# make bench BENCH_ONLY=full_collect,steady    a subset (names as in bench/run.py's PLAN)
# make bench-mem                  only the memory rows users see (peak RSS, the heap that fits
#                                 under RLIMIT_AS, the bytes vgc keeps): rss_*, fit_* (~3-4 min)
# make bench-mem-all              bench-mem on pyenv 3.11.7, 3.12.1, 3.13.0 in turn, each into
#                                 build/bench/mem-py<X.Y>.{json,svg}
# BENCH_OUT=FILE.json             where run.py writes (default build/bench/results.json)
# BENCH_CPU=N                     the CPU every child runs on (default the lowest allowed; -1: not pinned)
# Outputs: build/bench/core.json, build/bench/results.json, build/bench/results.svg.

BENCH_PY    ?= $(or $(wildcard $(PYENV_ROOT)/versions/3.11.7/bin/python3.11),$(PYTHON))
BENCH_QUICK ?=
BENCH_ONLY  ?=
BENCH_OUT   ?=
BENCH_PYS   ?= $(foreach v,3.11.7/bin/python3.11 3.12.1/bin/python3.12 3.13.0/bin/python3.13,\
                   $(wildcard $(PYENV_ROOT)/versions/$(v)))
.PHONY: bench bench-core bench-floor bench-mem bench-mem-all

$(BUILD)/bench_core: bench/bench_core.c $(BUILD)/libvgccore.a
	$(CC) $(CFLAGS_COMMON) -O2 $< $(BUILD)/libvgccore.a -o $@

bench-core: $(BUILD)/bench_core ## the proved core alone on synthetic snapshots (build/bench/core.json)
	@mkdir -p $(BUILD)/bench
	@$(BUILD)/bench_core $(BUILD)/bench/core.json

# the test-only floor module, for BENCH_PY, in $(BUILD)/bench/py<X.Y>
bench-floor:
	@ver=$$($(BENCH_PY) -c '$(PY_TAG_PY)'); \
	inc=$$($(BENCH_PY) -c 'import sysconfig; print(sysconfig.get_paths()["include"])'); \
	suf=$$($(BENCH_PY) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))'); \
	out=$(BUILD)/bench/py$$ver; mkdir -p $$out; \
	if [ ! -f $$out/_vgcfloor$$suf ] || [ bench/_vgcfloor.c -nt $$out/_vgcfloor$$suf ]; then \
	    $(CC) $(EXT_CFLAGS) -I$$inc bench/_vgcfloor.c -o $$out/_vgcfloor$$suf || exit 1; \
	fi

bench: bench-core bench-floor ## benchmarks: core alone, then stock gc vs vgc (BENCH_PY=, BENCH_QUICK=1; table, build/bench/results.{json,svg})
	@$(MAKE) --no-print-directory ext-one PYTHON=$(BENCH_PY)
	@$(BENCH_PY) bench/run.py --python $(BENCH_PY) --build $(BUILD) \
	    $(if $(BENCH_QUICK),--quick) $(if $(BENCH_ONLY),--only $(BENCH_ONLY)) \
	    $(if $(BENCH_OUT),--out $(BENCH_OUT)) $(if $(BENCH_CPU),--cpu $(BENCH_CPU))

bench-mem: ## only the memory rows of `make bench` (peak RSS, heap that fits under RLIMIT_AS, bytes vgc keeps; BENCH_PY=)
	@$(MAKE) --no-print-directory ext-one PYTHON=$(BENCH_PY)
	@$(BENCH_PY) bench/run.py --python $(BENCH_PY) --build $(BUILD) --only rss,fit \
	    $(if $(BENCH_QUICK),--quick) $(if $(BENCH_OUT),--out $(BENCH_OUT))

bench-mem-all: ## bench-mem on 3.11, 3.12 and 3.13 (build/bench/mem-py<X.Y>.{json,svg})
	@for py in $(BENCH_PYS); do \
	    ver=$$($$py -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	    $(MAKE) --no-print-directory bench-mem BENCH_PY=$$py \
	        BENCH_OUT=$(BUILD)/bench/mem-py$$ver.json || exit 1; \
	done

# Repeated full collections of one heap (vgc vs stock) and the cost of a fresh page on this
# machine: the figures of README's "Where memory and speed conflict".
bench-repeat: ## repeated gc.collect() of a 100k and a 1M heap: stock, vgc; page-fault cost (BENCH_PY=)
	@$(MAKE) --no-print-directory ext-one PYTHON=$(BENCH_PY)
	@mkdir -p $(BUILD)/bench; $(CC) -O2 bench/pagefault.c -o $(BUILD)/bench/pagefault && $(BUILD)/bench/pagefault
	@ver=$$($(BENCH_PY) -c '$(PY_TAG_PY)'); \
	for n in 100000 1000000; do \
	    $(BENCH_PY) bench/repeat_collect.py stock $$n; \
	    PYTHONPATH=$(BUILD)/py$$ver $(BENCH_PY) bench/repeat_collect.py vgc $$n; \
	done

# A/B of two builds of vgc (issue #15 item 7: no speed loss): BASE (a git revision) is checked
# out in $(BUILD)/ab-base and built there with its own Makefile; then bench/ab.py alternates
# stock, BASE and this tree in one invocation.  AB_ONLY: rows of run.py's PLAN (kind "time").
AB_BASE ?= 4742df3^
AB_ONLY ?= full_collect_1M,steady_alloc
AB_REPS ?= 7
.PHONY: bench-ab
bench-ab: ## A/B: this tree vs AB_BASE (git revision; default the last commit before the adapter split), full collection 1M + steady allocation (BENCH_PY=)
	@$(MAKE) --no-print-directory ext-one PYTHON=$(BENCH_PY)
	@rm -rf $(BUILD)/ab-base && mkdir -p $(BUILD)/ab-base && \
	    git archive --format=tar $(AB_BASE) | tar -x -C $(BUILD)/ab-base && \
	    $(MAKE) --no-print-directory -C $(BUILD)/ab-base ext-one PYTHON=$(BENCH_PY) BUILD=build > /dev/null
	@ver=$$($(BENCH_PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	$(BENCH_PY) bench/ab.py --python $(BENCH_PY) --base $(BUILD)/ab-base/build --new $(BUILD) \
	    --only $(AB_ONLY) --reps $(AB_REPS) --out $(BUILD)/bench/ab-py$$ver.json

# What importing and installing vgc adds to a fresh process (address space, RSS, modules), on
# each pyenv interpreter: README "Memory" (the constant behind fit_chains).
.PHONY: bench-import
bench-import: ## import vgc / install(): VmSize and VmRSS added, modules loaded (3.11-3.13)
	@for py in $(BENCH_PYS); do \
	    $(MAKE) --no-print-directory ext-one PYTHON=$$py >/dev/null || exit 1; \
	    ver=$$($$py -c '$(PY_TAG_PY)'); \
	    PYTHONPATH=$(BUILD)/py$$ver $$py bench/import_cost.py || exit 1; \
	done

# Where the chains shape stops under RLIMIT_AS (stock / vgc imported only / vgc installed),
# FIT_RUNS fresh processes each, on each pyenv interpreter: README "Memory".
FIT_RUNS ?= 5
.PHONY: bench-fit-steps
bench-fit-steps: ## chains under RLIMIT_AS: where stock, import-only and vgc stop (FIT_RUNS=5)
	@for py in $(BENCH_PYS); do \
	    $(MAKE) --no-print-directory ext-one PYTHON=$$py >/dev/null || exit 1; \
	    ver=$$($$py -c '$(PY_TAG_PY)'); \
	    PYTHONPATH=$(BUILD)/py$$ver $$py bench/fit_steps.py $(FIT_RUNS) || exit 1; \
	done
