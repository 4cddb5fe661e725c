# Two entry points for a fresh machine (Python 3.11 and access to PyPI):
#   make report   create .venv, install, run the workflow, render the report
#   make test     create .venv if needed, install the test extras, run the tests
# The report's date is that of the last commit changing the workflow's inputs (set
# SOURCE_DATE_EPOCH to override), so two builds of the same sources are byte-identical.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP_WORKFLOW := $(VENV)/.installed-workflow
STAMP_TEST := $(VENV)/.installed-test
SNAKEMAKE := $(BIN)/snakemake

.PHONY: report test audit dag clean lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_WORKFLOW): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[workflow]"
	touch $@

$(STAMP_TEST): pyproject.toml $(STAMP_WORKFLOW)
	$(BIN)/python -m pip install --quiet -e ".[workflow,test]"
	touch $@

report: $(STAMP_WORKFLOW)
	$(SNAKEMAKE)
	@echo "Report (HTML): $(CURDIR)/build/report/report.html"
	@echo "Report (PDF):  $(CURDIR)/build/report/report.pdf"

test: $(STAMP_TEST)
	$(BIN)/python -m pytest

# Rebuild from the raw data in a scratch copy (the tracked files, same date and commit)
# and compare every file under results/ and build/ with this checkout's build, byte for
# byte; exits non-zero on any difference. Run `make report audit` to audit a fresh build.
audit: $(STAMP_WORKFLOW)
	$(BIN)/python tools/audit.py

dag: $(STAMP_WORKFLOW)
	$(SNAKEMAKE) --rulegraph

clean:
	rm -rf results logs build .snakemake
