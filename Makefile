# How neural networks are trained - build, test and run the labs.
# Everything runs from a local virtual environment (.venv) made from requirements.txt.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON3 ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard labs/*.ipynb))

# Same hash order on every run (set iteration order shows up in printed outputs);
# kernels started by nbval, nbconvert and JupyterLab inherit it.
export PYTHONHASHSEED := 0

.PHONY: help venv book test lab execute lint clean distclean

help:
	@echo "make book       build the book into _build/html (warnings are errors)"
	@echo "make test       run every test: unit tests, notebook outputs (nbval), book, lint"
	@echo "make lab        open the labs in JupyterLab"
	@echo "make execute    re-run every lab top to bottom and save its outputs"
	@echo "make lint       ruff check ."
	@echo "make clean      remove _build and caches; make distclean also removes .venv"

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -r requirements.txt
	touch $@

# --all: an incremental build re-reads only changed pages and so does not repeat the
# warnings of unchanged ones; a full build (a few seconds) always reports every warning.
book: $(STAMP)
	$(VENV)/bin/jupyter-book build . --all -W -n --keep-going

test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile --nbval --nbval-current-env tests labs

# Jupyter refuses to start as root unless told to (containers, CI-like machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) labs/

# Re-run each notebook in place with the venv's kernel; no timing metadata is recorded,
# so only real output changes show up in `git diff`.
execute: $(STAMP)
	@for nb in $(NOTEBOOKS); do \
	  echo "executing $$nb"; \
	  $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.kernel_name=python3 \
	    --ExecutePreprocessor.record_timing=False \
	    --ExecutePreprocessor.timeout=600 \
	    "$$nb" || exit 1; \
	done

lint: $(STAMP)
	$(PY) -m ruff check .

clean:
	rm -rf _build .pytest_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o \
	  \( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -print0 | xargs -0 rm -rf

distclean: clean
	rm -rf $(VENV) *.egg-info
