# CalfDesk developer entry points. Every target (except the clean ones) first runs
# scripts/bootstrap.sh, which installs what is missing and costs well under a second otherwise.
#
#   make run [ARGS="--database ..."]   start the app (needs a screen, or QT_QPA_PLATFORM=offscreen)
#   make test [PYTEST_ARGS="-k ..."]    lint, then the whole test suite against a throwaway PostgreSQL
#   make lint                           ruff, mypy, import-linter
#   make bench                          benchmarks (offscreen)
#   make screenshots                    screenshots under Xvfb, then every letter's pages as images
#   make package                        the offline installer: dist/calfdesk_<version>_amd64.deb
#   make clean / make distclean         remove build artefacts / and the .venv

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test

VENV := .venv
PY := $(VENV)/bin/python
BOOTSTRAP := bash scripts/bootstrap.sh

ARGS ?=
PYTEST_ARGS ?=

.PHONY: run test lint bench screenshots package clean distclean

# The lint steps, shared by `lint` and `test`. (Not a prerequisite of `test`: with make -j it could
# then run before the bootstrap has installed the tools.)
define LINT_STEPS
$(VENV)/bin/ruff check .
$(VENV)/bin/mypy
$(VENV)/bin/lint-imports
endef

# Without a screen, Qt aborts the whole process with a misleading message about libxcb-cursor0:
# say it plainly instead. A platform that needs no screen (QT_QPA_PLATFORM=offscreen, ...) is fine.
run:
	@$(BOOTSTRAP) run
	@if [[ -z "$${DISPLAY:-}" && -z "$${WAYLAND_DISPLAY:-}" ]]; then \
	    case "$${QT_QPA_PLATFORM:-}" in \
	    "" | xcb* | wayland*) \
	        echo "make run: no screen: neither DISPLAY nor WAYLAND_DISPLAY is set." >&2; \
	        echo "  Without a window:  QT_QPA_PLATFORM=offscreen make run ARGS='...'" >&2; \
	        echo "  Under a virtual X: xvfb-run -a make run ARGS='...'" >&2; \
	        exit 1 ;; \
	    esac; \
	fi
	$(VENV)/bin/calfdesk $(ARGS)

# CALFDESK_REQUIRE_PG=1: the suite fails, rather than skips, PostgreSQL tests if the URL is missing.
# A missing PostgreSQL is a failure, never a skip, in CI (.ci/run sets CI=true) and everywhere else:
# with_postgres.sh exits 1 when the server binaries are not installed.
test:
	@$(BOOTSTRAP) test
	$(LINT_STEPS)
	CALFDESK_REQUIRE_PG=1 QT_QPA_PLATFORM=offscreen scripts/with_postgres.sh $(PY) -m pytest $(PYTEST_ARGS)

# The linters need only the venv, not PostgreSQL or Xvfb.
lint:
	@$(BOOTSTRAP) run
	$(LINT_STEPS)

bench:
	@$(BOOTSTRAP) test
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

screenshots:
	@$(BOOTSTRAP) test
	xvfb-run -a -s '-screen 0 1600x1000x24' $(PY) -m scripts.screenshots
	$(PY) -m scripts.letter_pages

# Built in a network namespace of its own when the machine allows one (root, or user namespaces), which
# proves the build downloads nothing; elsewhere it simply runs (PyInstaller and dpkg-deb never download).
package:
	@$(BOOTSTRAP) package
	scripts/offline.sh $(PY) packaging/build.py

clean:
	rm -rf build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis .import_linter_cache
	find . -path ./$(VENV) -prune -o \( -name '*.egg-info' -o -name __pycache__ \) -type d -prune -exec rm -rf {} +
	rm -f benchmarks/results/*.tmp

distclean: clean
	rm -rf $(VENV)
