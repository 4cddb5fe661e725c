"""The report on what the review could not assess: risk of bias not judged, results
missing from the analyses (bias due to missing results), and why a trial has no result
rows."""

from __future__ import annotations

import dataclasses
from typing import Any

from test_report import NODE_LABEL, SCRIPT, context

from metareview.markdown import escape
from metareview.report.base import ReportContext
from metareview.report.sections import excluded_section


def _without_results(ctx: ReportContext, study_id: str, **study: Any) -> ReportContext:
    """``ctx`` with the study ``study_id``'s result rows gone and its study row changed."""
    docs = [dict(d) for d in ctx.normalised]
    doc = next(d for d in docs if d["study"]["study_id"] == study_id)
    doc.update(arm_values=[], contrasts=[], statements=[], study={**doc["study"], **study})
    return dataclasses.replace(ctx, normalised=docs)


def test_a_trial_without_result_rows_is_named_with_the_reason_the_team_records() -> None:
    # "No result rows in the raw tables" alone left the reader to guess why (a report
    # that gives none, one that could not be read, rows still to enter).
    ctx = context()
    said = str(excluded_section(_without_results(ctx, "A", results_missing_reason="results table <not> read.")))
    assert said.endswith(
        f"so it enters no analysis: {escape(SCRIPT)} ({escape(NODE_LABEL)} vs Sham; no results entered: "
        f"{escape('results table <not> read')}).\n"), said
    # With no reason recorded, today's words.
    said = str(excluded_section(_without_results(ctx, "A")))
    assert said.endswith(f"so it enters no analysis: {escape(SCRIPT)} ({escape(NODE_LABEL)} vs Sham).\n"), said
    assert "no results entered" not in said
