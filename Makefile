# How neural networks are trained - build, test and run the labs.
# Everything runs from a local virtual environment (.venv): requirements.txt for the labs
# (`make lab`), plus requirements-dev.txt for the book and the tests (every other target).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON3 ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
DEV     := $(VENV)/.installed-dev
NOTEBOOKS := $(sort $(wildcard labs/*.ipynb))

# pre-commit's hook environments live with the venv (made with it, removed by distclean),
# so that `make test`, which runs every hook, does not build them.
export PRE_COMMIT_HOME := $(abspath $(VENV))/pre-commit

# Same hash order on every run (set iteration order shows up in printed outputs);
# kernels started by nbval, nbconvert and JupyterLab inherit it.
export PYTHONHASHSEED := 0

.PHONY: help venv book pdf test lab execute lint bench matrix student student-branch grade gradescope clean distclean

help:
	@echo "make book       build the book into _build/html (warnings are errors)"
	@echo "                STUDENT=1: from the student editions, into _build/student/_build/html"
	@echo "make pdf        the book as PDF files, printed offline by the system Chromium:"
	@echo "                _build/pdf/book.pdf and _build/pdf/labs/NN_topic.pdf (also copied"
	@echo "                into the site); STUDENT=1: the student editions', _build/student/pdf"
	@echo "make student    write the student editions (no solutions) to _build/student/labs"
	@echo "make student-branch  commit HEAD with student labs to the local branch 'student'"
	@echo "make grade SUBMISSIONS=dir [OUT=dir] [FRESH=1] [JOBS=N]  grade notebooks into OUT"
	@echo "                (_build/grades), each in a bubblewrap sandbox (as root), N at once;"
	@echo "                FRESH=1 starts over; OUT/report.html sums up the class; ROSTER=file.csv"
	@echo "                (student_id,name,pattern) also writes OUT/roster.csv, one row per student"
	@echo "make gradescope one Gradescope autograder per lab: _build/gradescope/labNN.zip"
	@echo "make test       run every test once: unit tests, notebook outputs (nbval), book, hooks"
	@echo "make lab        open the labs in JupyterLab"
	@echo "make execute    re-run every lab top to bottom and save its outputs"
	@echo "make lint       ruff check ."
	@echo "make bench      measure (labs against the floor, epochs, accuracies; as root, the"
	@echo "                grader against the lab alone and 2 workers against 1): _build/bench.json"
	@echo "                and the tables in README.md and intro.md"
	@echo "make matrix     nbval under other thread counts, CPUs and Python; a lab run standalone"
	@echo "make clean      remove _build and caches; make distclean also removes the venvs"

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -r requirements.txt
	touch $@

$(DEV): $(STAMP) requirements-dev.txt .pre-commit-config.yaml
	$(PY) -m pip install -r requirements-dev.txt
	$(PY) -m pre_commit install-hooks
	touch $@

# --all: an incremental build re-reads only changed pages and so does not repeat the
# warnings of unchanged ones; a full build (a few seconds) always reports every warning.
# First the labs' first cell is brought in line with the repository setting (it prints each
# lab it changes: commit them, as Colab opens the committed files).
# STUDENT=1 builds the site from the student editions (their download buttons hand out student
# copies); it has launch buttons only with LAUNCH_BRANCH=<a local branch of student labs>.
book: $(DEV)
	$(PY) -m tools.setup_cell
ifeq ($(STUDENT),1)
	$(PY) -m tools.student $(if $(LAUNCH_BRANCH),--launch-branch $(LAUNCH_BRANCH))
	$(VENV)/bin/jupyter-book build _build/student --all -W -n --keep-going
else
	$(VENV)/bin/jupyter-book build . --all -W -n --keep-going
endif

# The book, then its PDFs (tools/pdf.py): every page of _toc.yml printed by the system Chromium
# (CHROMIUM=/path picks another), solutions left out; nothing is downloaded.
pdf: book
ifeq ($(STUDENT),1)
	$(PY) -m tools.pdf --book _build/student --out _build/student/pdf
else
	$(PY) -m tools.pdf
endif

student: $(DEV)
	$(PY) -m tools.student

student-branch: $(DEV)
	$(PY) -m tools.student --branch student

OUT ?= _build/grades
grade: $(DEV)
	@if [ -z "$(SUBMISSIONS)" ]; then \
	  echo "usage: make grade SUBMISSIONS=folder-of-notebooks [OUT=folder] [JOBS=N]"; exit 2; fi
	$(PY) -m tools.grade "$(SUBMISSIONS)" --out "$(OUT)" $(if $(FRESH),--fresh) \
	  $(if $(JOBS),--jobs $(JOBS)) $(if $(ROSTER),--roster "$(ROSTER)")

# One Gradescope autograder zip per lab (tools/gradescope.py): the grader, the checkers and
# the pins, no lab; upload labNN.zip as the assignment's autograder.
gradescope: $(STAMP)
	$(PY) -m tools.gradescope build --out _build/gradescope

# Every test once. lab.setup() fixes the thread counts, so the thread and CPU variations
# live in `make matrix` (which CI runs), not here.
NBVAL := -m pytest -p no:cacheprovider -n 2 --dist loadfile --nbval --nbval-current-env

test: $(DEV)
	$(PY) $(NBVAL) -m "not matrix" --durations=15 tests labs

# Jupyter refuses to start as root unless told to (containers, CI-like machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) labs/

# Re-run each notebook in place with the venv's kernel; no timing metadata is recorded,
# so only real output changes show up in `git diff`.
execute: $(DEV)
	@for nb in $(NOTEBOOKS); do \
	  echo "executing $$nb"; \
	  $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.kernel_name=python3 \
	    --ExecutePreprocessor.record_timing=False \
	    --ExecutePreprocessor.timeout=600 \
	    "$$nb" || exit 1; \
	done

lint: $(DEV)
	$(PY) -m ruff check .

bench: $(DEV)
	$(PY) -m tools.bench

# The robustness matrix: the committed outputs must be what every one of these prints.
# Each entry is one environment setting ("default" = none); the first is run three times.
# The last two make numpy's BLAS and its own math kernels (exp, log) run as on an AVX2 CPU.
MATRIX := default default default TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTRAOP_THREADS=2 \
          OMP_NUM_THREADS=1 ONEDNN_MAX_CPU_ISA=AVX2 OPENBLAS_CORETYPE=Haswell \
          NPY_DISABLE_CPU_FEATURES=X86_V4,AVX512_ICL,AVX512_SPR
# One lab alone in an empty folder, in a venv with only what Colab has (tools/standalone.py).
STANDALONE_LAB ?= labs/03_softmax.ipynb
VENV_COLAB := .venv-colab
# A second Python with the same pins, in its own venv.
PYTHON_ALT ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12 \
                /usr/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.13))
VENV_ALT := .venv-alt

# First the checks that take minutes (tests marked matrix: grading the full labs and their
# student editions, executing every student edition, the student site, JupyterLab in Chromium).
matrix: $(DEV)
	$(PY) -m pytest -p no:cacheprovider -m matrix --durations=10 tests
	@set -e; for setting in $(MATRIX); do \
	  echo "== nbval with $$setting"; \
	  if [ "$$setting" = default ]; then $(PY) $(NBVAL) -q labs; \
	  else env "$$setting" $(PY) $(NBVAL) -q labs; fi; \
	done
	$(PY) -m tools.standalone --venv $(VENV_COLAB) --python $(PYTHON3) $(STANDALONE_LAB)
	@if [ -z "$(PYTHON_ALT)" ]; then \
	  echo "no second Python found: install python3.12 (or set PYTHON_ALT=/path/to/python)"; \
	  exit 1; fi
	@echo "== nbval with $$($(PYTHON_ALT) --version)"
	[ -x $(VENV_ALT)/bin/python ] || $(PYTHON_ALT) -m venv $(VENV_ALT)
	$(VENV_ALT)/bin/python -m pip install -q --upgrade pip
	$(VENV_ALT)/bin/python -m pip install -q -r requirements-dev.txt
	$(VENV_ALT)/bin/python $(NBVAL) -q labs

clean:
	rm -rf _build .pytest_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o \
	  \( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -print0 | xargs -0 rm -rf

distclean: clean
	rm -rf $(VENV) $(VENV_ALT) $(VENV_COLAB) *.egg-info
