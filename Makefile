# Two entry points for a fresh machine (Python 3.11 and access to PyPI):
#   make report   create .venv, install, run the workflow, render the report
#   make test     create .venv if needed, install the test extras, run the tests
# The report's date is that of the last commit changing the workflow's inputs (set
# SOURCE_DATE_EPOCH to override), so two builds of the same sources are byte-identical.
# Every install is constrained to the exact versions in constraints.txt (`make lock`
# regenerates it), so two machines build with the same numpy, matplotlib, pandoc, Typst.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP_WORKFLOW := $(VENV)/.installed-workflow
STAMP_TEST := $(VENV)/.installed-test
SNAKEMAKE := $(BIN)/snakemake
CONSTRAINTS := constraints.txt
PIP_INSTALL := $(BIN)/python -m pip install --quiet --constraint $(CONSTRAINTS)
EXTRAS ?= workflow

.PHONY: report figures test typecheck audit dag clean venv lock bench bench-engine

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_WORKFLOW): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP_INSTALL) -e ".[workflow]"
	touch $@

$(STAMP_TEST): pyproject.toml $(CONSTRAINTS) $(STAMP_WORKFLOW)
	$(PIP_INSTALL) -e ".[workflow,test]"
	touch $@

# Any other environment, e.g. the cluster test's: make venv VENV=.venv-slurm EXTRAS=workflow,test,slurm
venv: | $(BIN)/python
	$(PIP_INSTALL) -e ".[$(EXTRAS)]"

# The benchmarks (scripts that print timings, never fail on time). The workflow one runs in
# an environment like the one `make report` creates: the test extras add pandas, which
# Snakemake imports on every start when it is installed.
bench:
	$(MAKE) venv VENV=.venv-bench EXTRAS=workflow
	.venv-bench/bin/python benchmarks/bench_workflow.py $(BENCH_ARGS)

bench-engine: $(STAMP_WORKFLOW)
	$(BIN)/python benchmarks/bench_engine.py $(BENCH_ARGS)

# Re-resolve every dependency (all extras) in a scratch venv and pin the result.
# Snakemake stays below 9.17: from 9.17 on, every start imports SQLModel and SQLAlchemy for
# its optional database persistence (about 0.9 s of each build here, whichever backend is
# used); 9.16.3 starts in half the time and passes the same tests.
SNAKEMAKE_LOCK := snakemake<9.17
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e ".[workflow,test,slurm]" "$(SNAKEMAKE_LOCK)"
	{ echo "# Exact versions for every install (pip --constraint): make lock regenerates this file."; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable; } > $(CONSTRAINTS).tmp
	mv $(CONSTRAINTS).tmp $(CONSTRAINTS)
	rm -rf .venv-lock

# Snakemake, unless nothing changed since the last complete build (src/metareview/
# buildstamp.py: answering that takes 0.1 s, starting Snakemake 1.5-2 s), then where the
# report is (or, after a dry run, that nothing was built). Arguments for Snakemake go in
# ARGS, e.g. make report ARGS="--cores 4" (they always run Snakemake).
report: $(STAMP_WORKFLOW)
	$(BIN)/python -m metareview.buildstamp $(ARGS)

# The report and PNG copies of its forest plots (results/report/figures/*.forest.png), for
# slides and documents. The report embeds the SVGs, so `make report` makes no PNG until
# this is run once; after that, every build keeps the PNGs in step with their SVGs.
figures: $(STAMP_WORKFLOW)
	$(BIN)/python -m metareview.buildstamp all figures $(ARGS)

test: $(STAMP_TEST)
	$(BIN)/python -m pytest

# The library's type hints, checked by mypy with pyproject.toml's [tool.mypy] (make test
# runs the same check as tests/unit/test_types.py).
typecheck: $(STAMP_TEST)
	$(BIN)/python -m mypy

# Rebuild from the raw data in a scratch copy (the tracked files, same date and commit)
# and compare every file under results/ and build/ with this checkout's build, byte for
# byte; exits non-zero on any difference. Run `make report audit` to audit a fresh build.
audit: $(STAMP_WORKFLOW)
	$(BIN)/python tools/audit.py $(AUDIT_ARGS)

# Graphviz dot on standard output, and nothing else (make dag | dot -Tsvg > dag.svg), even
# on a fresh machine: the environment is set up first, its commands echoed to stderr.
dag:
	@$(MAKE) --no-print-directory $(STAMP_WORKFLOW) >&2
	@$(SNAKEMAKE) --rulegraph

# The build's outputs and Snakemake's records; results/history/ goes too, so the next
# report's "What changed" has no earlier build to compare with. The environments stay.
clean:
	rm -rf results logs build .snakemake benchmarks/results
