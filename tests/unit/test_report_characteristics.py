"""The table of trial characteristics."""

from __future__ import annotations

import dataclasses

from test_report import context

from metareview.markdown import escape
from metareview.report.base import ReportContext
from metareview.report.tables import trial_characteristics_table


def _row(table: str, label: str) -> list[str]:
    """The cells of ``label``'s row of a Markdown table."""
    (line,) = [x for x in table.splitlines() if x.startswith(f"| {escape(label)} |")]
    return [cell.strip() for cell in line.strip().strip("|").split(" | ")]


def _labels(ctx: ReportContext) -> dict[str, str]:
    return {d["study"]["study_id"]: d["study"]["label"] for d in ctx.normalised}


def _with_arms(ctx: ReportContext) -> ReportContext:
    """The fixture with rows of studies.csv and arms.csv as the pipeline reads them: A with
    its total randomised, B with its arms' only, C with one arm's number analysed."""
    studies = [{"study_id": "A", "n_randomised": 1162}, {"study_id": "B", "n_randomised": None},
               {"study_id": "C", "n_randomised": None}]
    arms = [
        {"study_id": "A", "arm_id": "i", "description": "Verum acupuncture (TCM); ten sessions, 2/week",
         "n_randomised": 775, "n_analysed": 700},
        {"study_id": "A", "arm_id": "c", "description": "Sham acupuncture (superficial needling)",
         "n_randomised": 387, "n_analysed": None},
        {"study_id": "B", "arm_id": "i", "description": "Acupuncture, 12 sessions over 6 weeks",
         "n_randomised": 40, "n_analysed": None},
        {"study_id": "B", "arm_id": "c", "description": "Sham acupuncture", "n_randomised": 38, "n_analysed": None},
        {"study_id": "C", "arm_id": "d", "description": "Dry needling, 6 sessions", "n_randomised": None,
         "n_analysed": 20},
        {"study_id": "C", "arm_id": "c", "description": "Sham needling", "n_randomised": None, "n_analysed": None},
    ]
    return dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "studies": studies, "arms": arms})


def test_the_table_of_trial_characteristics_gives_numbers_randomised_arms_and_timepoints() -> None:
    # PRISMA 2020 item 17: each included study's characteristics. The table gave the
    # population and its fit alone; a reader needs how many were randomised, the arms and
    # their doses as the raw data describe them, each arm's size, and the timepoints used.
    ctx = _with_arms(context())
    labels = _labels(ctx)
    table = str(trial_characteristics_table(ctx))
    head = next(x for x in table.splitlines() if x.startswith("| Trial |"))
    assert head == "| Trial | Population enrolled | Fit | Randomised | Arms as described (n) | Timepoints used |"
    assert "{#tbl-trial-characteristics}" in table
    # studies.csv's total first, though the arms' add up to another number.
    a = _row(table, labels["A"])
    assert a[3] == "1,162"
    # Numbered, a description's own semicolon kept inside its arm; the number randomised
    # to an arm before the number analysed.
    assert a[4] == escape("(1) Verum acupuncture (TCM); ten sessions, 2/week, n = 775; "
                          "(2) Sham acupuncture (superficial needling), n = 387")
    assert a[5] == "week\u00a06"
    # Without a total, the arms' sum where every arm gives one; else "not reported", and
    # an arm's number analysed said so, an arm without one given no number.
    b, c = _row(table, labels["B"]), _row(table, labels["C"])
    assert b[3] == "78"
    assert c[3] == "not reported"
    assert c[4] == escape("(1) Dry needling, 6 sessions, n = 20 analysed; (2) Sham needling")
    # The published review M, no trial, is not in it.
    assert "| Review M |" not in table
    # A timepoint without weeks in the source's words (a new context: the rows are kept).
    words = _with_arms(context())
    r = next(x for x in words.analyses if x["analysis"]["id"] == "acu_vs_sham")
    s = next(x for x in r["studies"] if x["study_id"] == "B")
    s["timepoint_weeks"], s["timepoint_label"] = None, "end of treatment"
    assert _row(str(trial_characteristics_table(words)), labels["B"])[5] == "end of treatment"
    # Without arms.csv's rows, each arm by its name in the table of studies, no number.
    plain = str(trial_characteristics_table(context()))
    assert _row(plain, labels["A"])[3:5] == ["not reported", escape("(1) acupuncture; (2) sham acupuncture")]
