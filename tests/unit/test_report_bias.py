"""The report on what the review could not assess: risk of bias not judged, results
missing from the analyses (bias due to missing results), and why a trial has no result
rows."""

from __future__ import annotations

import dataclasses
from typing import Any

from test_report import (
    INJECT,
    JUDGED,
    NODE_LABEL,
    SCRIPT,
    TYPST,
    _set_aside,
    _with_certainty,
    context,
)

from metareview.fmt import in_brackets
from metareview.markdown import escape
from metareview.report.audit import audit_rows
from metareview.report.base import ReportContext
from metareview.report.sections import (
    excluded_section,
    limitations_section,
    methods_section,
    risk_of_bias_section,
)


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


def _line(text: str, start: str) -> str:
    return next((x for x in str(text).splitlines() if x.startswith(start)), "")


def _judged(ctx: ReportContext, *study_ids: str) -> ReportContext:
    """``ctx`` with an overall risk-of-bias judgement for each of ``study_ids``."""
    docs = [dict(d) for d in ctx.normalised]
    for d in docs:
        if d["study"]["study_id"] in study_ids:
            d["risk_of_bias"] = [{"tool": "RoB 2", "domain": "overall", "judgement": "low",
                                  "_ref": f"risk_of_bias.csv:{d['study']['study_id']}#1"}]
    return dataclasses.replace(ctx, normalised=docs)


def test_risk_of_bias_not_assessed_is_said_as_a_limit_with_what_it_means() -> None:
    # "No risk-of-bias judgement is recorded for any study" read as data missing from a
    # table: the methods, its section and the limitations now say that risk of bias was
    # not assessed for the trials the analyses use, and what that means for the results.
    ctx = context()
    every = ("every result here, pooled or from one study, carries a risk of bias that is unknown, neither low nor "
             "high, and the certainty of the evidence (GRADE) cannot be rated on its risk-of-bias domain for any "
             "result")
    assert _line(methods_section(ctx), "- **Risk of bias and certainty**") == (
        "- **Risk of bias and certainty**: not assessed for any of the 3 trials the analyses use (no study has a "
        f"risk-of-bias judgement recorded): {every}. Each study's source and identity confidence are in the evidence "
        "table.")
    assert str(risk_of_bias_section(ctx)) == (
        "Risk of bias was not assessed for any of the 3 trials the analyses use: no risk-of-bias judgement is "
        f"recorded for any study. {every[:1].upper()}{every[1:]}.\n")
    assert _line(limitations_section(ctx), "- **Risk of bias and certainty**").startswith(
        f"- **Risk of bias and certainty**: risk of bias was not assessed for any of the 3 trials the analyses use: "
        f"{every}; certainty of the evidence (GRADE) rated for 0 of 2 analyses")
    rows = {x[1]: x for x in audit_rows(ctx)}
    row = rows["trials used in an analysis with no risk-of-bias judgement (count)"]
    assert (row[2], row[3]) == ("B; A; C", 3)  # by label
    assert row[8].endswith("; 3 of the 3 trials; printed in the methods, the risk of bias section and the "
                           "limitations (\u201cnot assessed for any of the 3 trials the analyses use\u201d)"), row[8]


def test_the_trials_used_without_a_judgement_are_named_where_others_are_judged() -> None:
    ctx = _judged(context(), "A")
    # B and C, by label, inside the report's brackets.
    names = "; ".join(in_brackets(label) for label in sorted([TYPST, INJECT]))
    said = (f"Risk of bias was not assessed for 2 of the 3 trials the analyses use ({escape(names)}): the results "
            "that rest on them carry a risk of bias that is unknown, neither low nor high, and the certainty of the "
            "evidence (GRADE) cannot be rated on its risk-of-bias domain for them.")
    section = str(risk_of_bias_section(ctx))
    assert "{#tbl-risk-of-bias}" in section and section.endswith(f"\n{said}\n"), section
    assert said in _line(methods_section(ctx), "- **Risk of bias and certainty**")
    assert _line(limitations_section(ctx), "- **Risk of bias and certainty**").startswith(
        f"- **Risk of bias and certainty**: risk of bias recorded for 1 of the 3 trials; {said[:1].lower()}{said[1:-1]}")
    row = {x[1]: x for x in audit_rows(ctx)}["trials used in an analysis with no risk-of-bias judgement (count)"]
    assert (row[2], row[3]) == ("B; C; A", 2)
    assert "judged (1): A (risk_of_bias.csv" in row[8]
    # Where the team rates GRADE, its rating of risk of bias rests on no judgement of theirs.
    graded = _judged(context(analyses=_with_certainty(**JUDGED)), "A")
    assert ("the results that rest on them carry a risk of bias that is unknown, neither low nor high, and where the "
            "team rates the certainty of the evidence (GRADE), its rating of risk of bias rests on no judgement "
            "recorded for them") in str(risk_of_bias_section(graded))
    # Every trial judged: nothing is said, and no count is traced.
    judged = _judged(context(), "A", "B", "C")
    for text in (risk_of_bias_section(judged), methods_section(judged), limitations_section(judged)):
        assert "not assessed" not in str(text)
    assert not any(x[1].startswith("trials used in an analysis with no") for x in audit_rows(judged))


def test_bias_due_to_missing_results_counts_what_the_data_show() -> None:
    ctx = context()
    # The methods say how it was assessed.
    assert _line(methods_section(ctx), "- **Bias due to missing results**").startswith(
        "- **Bias due to missing results**: assessed from the data, not with a tool such as ROB-ME: the limitations "
        "count the trials")
    # No trial is missing a result, but neither analysis has the 10 studies the small-study
    # test needs.
    why = ("A result given only as a p-value or in words, or not entered, cannot enter an analysis, and results are "
           "more often reported so, or left out, when they are not statistically significant: results missing in "
           "these ways can bias the review\u2019s estimates (Cochrane Handbook chapter 13). Whether they did here "
           "cannot be told from these data.")
    assert _line(limitations_section(ctx), "- **Bias due to missing results**") == (
        f"- **Bias due to missing results**: {why} The small-study test, which can point to such bias, was not run "
        "for any of the 2 analyses with a study effect: each has fewer than the 10 studies the test needs.")
    # Trials D and E give the acupuncture comparison only as a p-value: named and counted.
    aside = _set_aside(context())
    assert _line(limitations_section(aside), "- **Bias due to missing results**").startswith(
        "- **Bias due to missing results**: of the trials of the analysed comparisons, 2 give a result only as a "
        f"p-value, with no effect size (Trial D; Trial E). {why} The small-study test")
    rows = {x[1]: x for x in audit_rows(aside)}
    row = rows["trials giving an analysed comparison's result only as a p-value (count)"]
    assert (row[2], row[3]) == ("D; E", 2)
    assert "set aside for it (2): D (no raw row: set aside for it in acu_vs_sham)" in row[8]
    row = rows["analyses with a study effect and no small-study test (count)"]
    assert row[3] == 2 and row[8].endswith("; 2 of the 2 analyses with a study effect; printed in the limitations, "
                                           "under \u201cBias due to missing results\u201d")
    # Every analysis tested and no result missing: nothing to say, and nothing traced.
    tested = dataclasses.replace(ctx, analyses=[{**r, "small_study_min": 1} for r in ctx.analyses])
    assert "Bias due to missing results" not in str(limitations_section(tested))
    assert _line(methods_section(tested), "- **Bias due to missing results**").endswith(
        ": no trial of the analysed comparisons gives its result only as a p-value or only in words, or has no "
        "result rows entered, and every analysis with a study effect has the studies the small-study test needs.")
    assert not any("small-study test (count)" in x[1] for x in audit_rows(tested))
