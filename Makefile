# Two commands matter to a reader:  `make book`  and  `make test`.
# Each creates a virtual environment for the Python it uses (.venv-3.13, .venv-3.12 or
# .venv-3.11) and installs what it needs the first time, then says which Python and brian2 run.

# Supported Pythons, newest first; each gets the newest brian2 it supports (requirements.txt).
SUPPORTED := 3.13 3.12 3.11
SUPPORTED_TEXT := 3.11, 3.12 or 3.13
# Without PYTHON=, the newest supported Python found: python3.X on the PATH, then
# $(pyenv root)/versions/3.X.*, then python3. Each candidate is actually run, because a
# pyenv shim is on the PATH even for versions that are not installed (it then fails).
# `make test PYTHON=/path/to/python3.12` chooses one.
FIND_PYTHON = for v in $(SUPPORTED); do \
    pyenv_root=$$(pyenv root 2>/dev/null); \
    for p in "$$(command -v python$$v)" $$(ls -d "$${pyenv_root:-/nonexistent}"/versions/$$v.*/bin/python$$v 2>/dev/null | sort -rV) "$$(command -v python3)"; do \
      [ -n "$$p" ] && [ "$$("$$p" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$$v" ] \
        && { echo "$$p"; exit 0; }; \
    done; \
  done
ifeq ($(strip $(PYTHON)),)
override PYTHON := $(shell $(FIND_PYTHON))
endif
# "3.13" etc., empty when PYTHON does not run.
PY_VERSION := $(shell "$(PYTHON)" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV   := .venv-$(or $(PY_VERSION),none)
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The lock for this Python (see requirements.txt for how the files fit together).
LOCK   := constraints/py$(PY_VERSION).txt
BOOK_HTML := _build/html
# numpy picks its exp/log kernels by CPU: AVX-512 ones differ from the AVX2 ones in the last
# bit, so stored outputs would depend on the machine that saved them. Turning AVX-512 off
# (where a CPU has it) gives every x86-64 machine the same numbers; a no-op elsewhere.
export NPY_DISABLE_CPU_FEATURES := AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR
# Strict nbval: every stored text output must be reproduced exactly, and every stored
# figure within a small RMS pixel tolerance (tests/nbval_figures.py; nbval alone skips images).
NBVAL_ARGS := --nbval --nbval-current-env --nbval-cell-timeout=900 \
              --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider \
              -p tests.nbval_figures

.PHONY: help about which-python venv book test unit nbval book-strict browser lab refresh lock student student-lab kit kit-test words bench clean mutation

help:
	@echo "make book     build the HTML book into $(BOOK_HTML) (installs into $(VENV) first)"
	@echo "              Python: $(or $(PYTHON),none found) ($(or $(PY_VERSION),?)); choose one with PYTHON=/path/to/python3.X"
	@echo "make test     unit tests, strict nbval on every chapter, warning-free book build, browser tests"
	@echo "make venv     only create $(VENV) and install the pinned packages"
	@echo "make unit     unit tests and doctests;  make nbval  strict nbval on every chapter"
	@echo "make lab      open the chapters in JupyterLab"
	@echo "make refresh  re-run every chapter notebook top to bottom and save its outputs (all or none;"
	@echo "              refuses notebooks with changes git does not have: git add them, or FORCE=1;"
	@echo "              only some: make refresh NOTEBOOKS=chapters/03_pacemakers.ipynb)"
	@echo "make student  write the student edition (solutions removed) to student/; keeps notebooks you edited"
	@echo "make student-lab  update the student edition and open it in JupyterLab (where students work)"
	@echo "make kit      write the student kit to _build/student-kit.zip (every HTML build also puts it in the site)"
	@echo "make kit-test install the kit into a fresh venv (KIT_PYTHON=...) and run each notebook up to its first exercise"
	@echo "make words    print each chapter's main-path word count (make test fails above 2,500)"
	@echo "make clean    delete the built book and caches in _build (never the student edition)"
	@echo "make bench    run the speed benchmarks (prints ratios)"
	@echo "make browser  test the built book in headless Chromium (offline, console, live figures, alt text, axe)"
	@echo "make mutation  mutation testing of the core helpers and checks with mutmut (long; not in make test;"
	@echo "              only some: make mutation MUTANTS='helpers.pairing.*')"

venv: $(STAMP)

ifneq ($(filter $(PY_VERSION),$(SUPPORTED)),)
$(STAMP): requirements.txt $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt -c $(LOCK)
	# The helpers package, editable: `import helpers` works in notebooks, tests and your own Jupyter.
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@
	# .venv (unless it is a folder of its own) points at the environment installed last.
	if [ ! -e .venv ] || [ -L .venv ]; then ln -sfn $(VENV) .venv; fi
else
# A Python that does not run or is not supported is refused, with what to do instead.
$(STAMP):
	@if [ -z "$(PY_VERSION)" ]; then \
	  echo "No supported Python found$(if $(PYTHON), ('$(PYTHON)' does not run)). This book needs Python $(SUPPORTED_TEXT)."; \
	else \
	  echo "Python $(PY_VERSION) ('$(PYTHON)') is not supported: this book needs Python $(SUPPORTED_TEXT)."; \
	fi; \
	echo "Install one of them, or pass one: make test PYTHON=/path/to/python3.13"; exit 1
endif

# The Python make would use, or nothing; `make -s which-python SUPPORTED=3.12` finds one
# version (.ci/run uses it).
which-python:
	@echo "$(PYTHON)"

# Which Python and brian2 this run uses.
about: $(STAMP)
	@$(BIN)/python -c 'import sys, brian2; print(f"== Python {sys.version.split()[0]} ({sys.executable}), brian2 {brian2.__version__}")'

book: about
	$(BIN)/jupyter-book build . --builder html
	@echo
	@echo "Book built. Open this file in your browser:"
	@echo "  file://$(CURDIR)/$(BOOK_HTML)/index.html"

# The browser tests read _build/html, so they run only after book-strict has rebuilt it
# (called from the recipe, so the order holds even under `make -j`).
test: about unit nbval book-strict
	$(MAKE) --no-print-directory browser
	@echo "All checks passed."

# UNIT_MARK chooses by pytest marker; CI uses "not browser and not slow" on its second and
# third Python (the slow tests re-run notebooks, which nbval already runs there).
UNIT_MARK ?= not browser
unit: $(STAMP) words
	$(BIN)/python -m pytest tests helpers --doctest-modules -m "$(UNIT_MARK)"

# Each chapter's main path (prose a reader meets without opening a box) in words; fails
# above the limit (tools/main_path_words.py says what counts).
words: $(STAMP)
	$(BIN)/python tools/main_path_words.py --check chapters/[0-9]*.ipynb

nbval: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL_ARGS) chapters

# A fresh build (--all) so that a warning on any page fails, not only on changed ones.
book-strict: $(STAMP)
	$(BIN)/jupyter-book build . --builder html --all --warningiserror --keep-going

# Headless Chromium against the built book (run `make book` or `make book-strict` first).
# `make browser BOOK_HTML=/path/to/_build/html` tests another build; CI=true turns a missing
# chromium or a missing build into a failure instead of a skip.
browser: $(STAMP)
	BOOK_HTML="$(abspath $(BOOK_HTML))" $(BIN)/python -m pytest tests/browser -m browser

lab: $(STAMP)
	$(BIN)/jupyter lab chapters

# FORCE=1 (or yes/true): `make refresh` rewrites notebooks with changes git does not have, and
# `make student` replaces notebooks a student edited (keeping each as NAME.mine.ipynb).
FORCE_FLAG = $(if $(filter 1 yes true,$(FORCE)),--force)
# The notebooks `make refresh` re-runs; all chapters unless given.
NOTEBOOKS ?= chapters/*.ipynb

# Executes every notebook first and writes them only if all ran without error.
refresh: $(STAMP)
	$(BIN)/python tools/refresh_notebooks.py $(FORCE_FLAG) $(NOTEBOOKS)

# The student edition goes to student/ (git-ignored, outside _build); a rerun never
# overwrites a notebook the student changed.
student: $(STAMP)
	$(BIN)/python tools/make_student_edition.py $(FORCE_FLAG)

student-lab: student
	$(BIN)/jupyter lab student

# The student kit: student notebooks, the helpers package and a reader requirements.txt.
kit: $(STAMP)
	$(BIN)/python tools/student_kit.py build --out _build/student-kit.zip

# Installs the kit into a fresh virtual environment (KIT_PYTHON, default: this Python) and
# runs every student notebook up to its first exercise.
KIT_PYTHON ?= $(PYTHON)
kit-test: $(STAMP)
	$(BIN)/python tools/student_kit.py test --python $(KIT_PYTHON)

# Rewrites this Python's lock from its environment (after changing requirements.txt, install
# first with `$(BIN)/python -m pip install -r requirements.txt`). Run it once per Python:
# make lock PYTHON=python3.11, ... (setuptools is kept: brian2 needs it at run time).
lock: $(STAMP)
	mkdir -p constraints
	{ echo "# Lock for Python $(PY_VERSION): exact versions of everything requirements.txt pulls in ($(BIN)/python -m pip freeze --all)."; \
	  echo "# Used as a pip constraints file by make; rewrite it with: make lock PYTHON=python$(PY_VERSION)"; \
	  $(BIN)/python -m pip freeze --all --exclude-editable | grep -v -e '^-e ' -e '^pip=='; } > $(LOCK)

bench: $(STAMP)
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# Mutation testing (mutmut; settings in [tool.mutmut] of pyproject.toml): mutates the references,
# pacemakers, rules, clock and checks in a copy under mutants/ (git-ignored) and runs the fast
# tests (no Brian networks) against each mutant. Tens of minutes on two cores; a second run
# re-tests only what changed. MUTANTS= limits the run, e.g. MUTANTS='helpers.pairing.*'.
MUTANTS ?=
mutation: $(STAMP)
	$(BIN)/mutmut run --max-children 2 $(MUTANTS)
	@echo "Survivors and other mutants not killed (show one with: $(BIN)/mutmut show NAME):"
	$(BIN)/mutmut results

# Only what is regenerated: the built book and the caches under _build. The student edition
# (student/) is outside _build; an older one in _build/student is kept too.
clean:
	@if [ -d _build/student ]; then echo "Keeping _build/student: an older student edition that may hold your work (move it to student/ or delete it yourself)."; fi
	@if [ -d _build ]; then find _build -mindepth 1 -maxdepth 1 ! -name student -exec rm -rf {} + || exit 1; rmdir _build 2>/dev/null || true; fi
	@echo "Removed the built book and caches in _build. Student work in student/ is untouched."
