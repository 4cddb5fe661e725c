"""The workflow end to end on a scratch copy of the repository.

One cold build (shared with the other workflow and report tests, see conftest.py) must
produce the report, leave its inputs alone, and leave nothing to do for the next run.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import metareview_workflow_support as wf  # registered by conftest.py
import pytest

REPO, digests, parse_plan, planned_jobs, run_snakemake = (
    wf.REPO,
    wf.digests,
    wf.parse_plan,
    wf.planned_jobs,
    wf.run_snakemake,
)

pytestmark = pytest.mark.slow

# What a build may create or change: everything else in the copy is an input.
GENERATED = ("results/", "logs/", "build/", ".snakemake/")


def test_the_build_runs_in_a_scratch_copy_not_in_the_checkout(built_repo):
    root = built_repo.root.resolve()
    assert root != REPO and REPO not in root.parents
    assert (root / "Snakefile").is_file() and (root / "data" / "raw").is_dir()


def test_the_build_runs_with_the_blas_kernel_pinned(built_repo):
    # The other tests compare this build byte for byte with rebuilds that `make audit`
    # starts: an unpinned kernel (the workflow says so) makes them differ in last bits on
    # some CPUs only, so the slip would pass unseen on others.
    assert "could be pinned" not in built_repo.output, built_repo.output[-3000:]


def test_cold_build_renders_the_report_as_html_and_pdf(built_repo):
    report = built_repo.root / "build" / "report"
    html = (report / "report.html").read_text(encoding="utf-8")
    pdf = (report / "report.pdf").read_bytes()
    assert html.lstrip().lower().startswith("<!doctype html") and "</html>" in html
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    # The run did the work itself: every job it planned finished.
    assert "steps (100%) done" in built_repo.output, built_repo.output[-3000:]


def test_the_build_changes_no_input_and_leaves_raw_data_alone(built_repo):
    after = digests(built_repo.root)
    raw = {p: d for p, d in built_repo.tree_before.items() if p.startswith("data/raw/")}
    assert raw, "the copy holds no raw tables"
    assert {p: after.get(p) for p in raw} == raw
    assert not any(p.startswith("data/raw/") for p in set(after) - set(raw)), (
        "files appeared in data/raw/"
    )
    # Nothing else that existed before the build changed either.
    changed = sorted(p for p, d in built_repo.tree_before.items() if after.get(p) != d)
    assert changed == []
    created_elsewhere = sorted(
        p for p in set(after) - set(built_repo.tree_before) if not p.startswith(GENERATED)
    )
    assert created_elsewhere == []


def test_a_second_run_has_nothing_to_do(built_repo):
    outputs = digests(built_repo.root / "build")
    run = run_snakemake(built_repo.root)
    assert run.returncode == 0, run.output
    assert "Nothing to be done" in run.output, run.output
    assert parse_plan(run.output) == set()
    assert planned_jobs(built_repo.root) == set()
    assert digests(built_repo.root / "build") == outputs


def test_the_build_leaves_the_library_and_scripts_byte_compiled(built_repo):
    # Compiled as the workflow starts, before any job imports them: with
    # PYTHONDONTWRITEBYTECODE set, every build would otherwise compile them again.
    sources = [
        *sorted((built_repo.root / "src" / "metareview").glob("*.py")),
        *sorted((built_repo.root / "scripts").glob("*.py")),
    ]
    assert len(sources) > 20
    missing = [
        p.relative_to(built_repo.root).as_posix()
        for p in sources
        if not Path(importlib.util.cache_from_source(str(p))).is_file()
    ]
    assert missing == []


def test_the_study_effects_table_gives_the_analyses_tables_with_their_spreadsheet_rows(built_repo):
    import csv

    root = built_repo.root
    with open(root / "results/report/study_effects.csv", encoding="utf-8", newline="") as fh:
        combined = list(csv.reader(fh))
    assert combined[0][-1] == "raw_rows"
    # Each analysis's own table, row for row, with the analysis before and the rows after.
    own = []
    for path in sorted((root / "results/analyses").glob("*.effects.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            own += [[path.name.removesuffix(".effects.csv"), *row] for row in list(csv.reader(fh))[1:]]
    assert sorted(row[:-1] for row in combined[1:]) == sorted(own)
    # Cherkin 2009 against sham: its 9th and 10th rows of arm_outcomes.csv, rows 18 and 19
    # as a spreadsheet numbers them (the means 6.3 and 5.4 of the report's Table 9).
    cherkin = next(r for r in combined if r[:2] == ["acupuncture_vs_sham_disability", "Cherkin2009"])
    assert cherkin[-2:] == ["arm_outcomes.csv:Cherkin2009#9;arm_outcomes.csv:Cherkin2009#10",
                            "arm_outcomes.csv row 18; arm_outcomes.csv row 19"]
    with open(root / "data/raw/arm_outcomes.csv", encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.DictReader(fh))
    assert [lines[18 - 2]["study_id"], lines[19 - 2]["study_id"]] == ["Cherkin2009", "Cherkin2009"]
