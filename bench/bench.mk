# bench/bench.mk — `make bench` (included by the Makefile).  Not in proof scope.
#
# make bench                      the core-only C benchmark (bench/bench_core.c), then the
#                                 stock-vs-vgc suite (bench/run.py) on BENCH_PY (default: 3.11)
# make bench BENCH_QUICK=1        small sizes, one repetition: a smoke test (~1 min)
# make bench BENCH_PY=$(pyenv root)/versions/3.13.0/bin/python3.13
# make bench BENCH_ONLY=full_collect,steady    a subset (names as in bench/run.py's PLAN)
# Outputs: build/bench/core.json, build/bench/results.json, build/bench/results.svg.

BENCH_PY    ?= $(or $(wildcard $(PYENV_ROOT)/versions/3.11.7/bin/python3.11),$(PYTHON))
BENCH_QUICK ?=
BENCH_ONLY  ?=
.PHONY: bench bench-core bench-floor

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
	    $(if $(BENCH_QUICK),--quick) $(if $(BENCH_ONLY),--only $(BENCH_ONLY))
