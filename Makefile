# Two commands matter to a reader:  `make book`  and  `make test`.
# Each creates the virtual environment in .venv and installs what it needs the first time.

# Python 3.11: `python3.11` if it is on the PATH, else `python3` (its version is checked below).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
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

.PHONY: help venv book test unit nbval book-strict browser lab refresh lock student student-lab bench clean mutation

help:
	@echo "make book     build the HTML book into $(BOOK_HTML) (installs into $(VENV) first)"
	@echo "make test     unit tests, strict nbval on every chapter, warning-free book build, browser tests"
	@echo "make venv     only create $(VENV) and install the pinned packages"
	@echo "make lab      open the chapters in JupyterLab"
	@echo "make refresh  re-run every chapter notebook top to bottom and save its outputs (all or none;"
	@echo "              refuses notebooks with changes git does not have: git add them, or FORCE=1;"
	@echo "              only some: make refresh NOTEBOOKS=chapters/03_pacemakers.ipynb)"
	@echo "make student  write the student edition (solutions removed) to student/; keeps notebooks you edited"
	@echo "make student-lab  update the student edition and open it in JupyterLab (where students work)"
	@echo "make clean    delete the built book and caches in _build (never the student edition)"
	@echo "make bench    run the speed benchmarks (prints ratios)"
	@echo "make browser  test the built book in headless Chromium (offline, console, live figures, alt text, axe)"
	@echo "make mutation  mutation testing of the core helpers and checks with mutmut (long; not in make test;"
	@echo "              only some: make mutation MUTANTS='helpers.pairing.*')"

venv: $(STAMP)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "This book needs Python 3.11; found " + sys.version.split()[0] + ". Install Python 3.11 or run: make PYTHON=/path/to/python3.11 ..."' \
	  || { echo "Python 3.11 not found as '$(PYTHON)'. Install it, or pass PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	# The helpers package, editable: `import helpers` works in notebooks, tests and your own Jupyter.
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . --builder html
	@echo
	@echo "Book built. Open this file in your browser:"
	@echo "  file://$(CURDIR)/$(BOOK_HTML)/index.html"

# The browser tests read _build/html, so they run only after book-strict has rebuilt it
# (called from the recipe, so the order holds even under `make -j`).
test: unit nbval book-strict
	$(MAKE) --no-print-directory browser
	@echo "All checks passed."

unit: $(STAMP)
	$(BIN)/python -m pytest tests helpers --doctest-modules -m "not browser"

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

lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

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
