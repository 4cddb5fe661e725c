"""The summary's key messages (metareview.report.brief): a short box, counted as the
detail below it counts, for a reader who reads nothing else."""

from __future__ import annotations

import dataclasses
import re

from test_report import TEMPLATE, _with_a_clear_effect, context

from metareview.markdown import escape
from metareview.report.base import ReportContext
from metareview.report.brief import _tally, key_messages
from metareview.report.build import build_report
from metareview.report.summary import bottom_line


def _points(ctx: ReportContext) -> list[str]:
    return [line[2:] for line in str(key_messages(ctx)).splitlines() if line.startswith("- ")]


def test_the_box_has_a_point_per_answer_treatment_claims_and_evidence() -> None:
    ctx = context()
    text = str(key_messages(ctx))
    assert text.startswith("::: {.callout-note}\n## What the evidence supports\n")
    points = _points(ctx)
    assert len(points) == 5
    question, dry, acu, claims, evidence = points
    assert question.startswith("**Dry needling against ") and "(pain): compared only indirectly, through sham" in question
    assert "SMD \u22120.03 (95% CI \u22121.50 to 1.44)" in question
    assert dry == "**Dry needling**, in these data: against sham, its one result is compatible with no difference (a single trial)."
    assert "against sham, its one result is compatible with no difference." in acu
    # Published reviews tallied as the detail tallies them, with no verb to agree.
    assert acu.endswith("side: 1 of 1 against sham.")
    # Its one claim rests on an interval too imprecise to settle it, as the detail says.
    assert claims == escape("the source\u2019s one claim cannot be settled by these data, so is not supported by "
                            "them").join(["**Claims checked against the data**: ", " (see below)."])
    assert evidence.startswith("**Evidence**: of 2 analyses, 1 pools trials and 1 rests on one study (not pooled); "
                               "no result graded for certainty (GRADE)")
    # Short: a box a reader takes in at a glance, not the page and a half below it.
    assert len(re.findall(r"\w+", text)) < len(re.findall(r"\w+", str(bottom_line(ctx)))) / 2


def test_the_claims_point_counts_each_verdict() -> None:
    ctx = context()
    claim = dict(ctx.claims[0])
    three = [{**claim, "verdict": v} for v in ("not checkable from the data", "supported", "not supported")]
    point = _points(dataclasses.replace(ctx, claims=three))[3]
    assert point == escape("of the source\u2019s 3 claims, 1 is supported by these data (1 supported, 1 not "
                           "supported, 1 not checkable from the data)").join(
        ["**Claims checked against the data**: ", " (see below)."])
    none = [{**claim, "verdict": v} for v in ("not checkable from the data", "not supported")]
    assert "2 claims, none is supported by these data (1 not supported, 1 not checkable" in _points(
        dataclasses.replace(ctx, claims=none))[3]
    assert len(_points(dataclasses.replace(ctx, claims=[]))) == 4


def test_a_result_that_moves_moves_its_point() -> None:
    # The pooled result against sham moved wholly below zero: the treatment's point says it
    # favours it, as the detail's line does.
    acu = _points(_with_a_clear_effect(context()))[2]
    assert "against sham, its one result favours it." in acu


def test_where_one_comparators_results_lie() -> None:
    assert _tally(["for"], 0) == "its one result favours it"
    assert _tally(["for", "for"], 0) == "both results favour it"
    assert _tally(["neither"] * 3, 0) == "all 3 results are compatible with no difference"
    assert _tally(["neither", "for", "neither", "neither"], 1) == (
        "of 4 results, 3 are compatible with no difference and 1 favours it (by an exact test only)")
    assert _tally(["against", "neither"], 0) == (
        "of 2 results, 1 is compatible with no difference and 1 favours the comparator")


def test_a_review_without_an_indirect_comparison_keeps_its_bottom_line_as_the_box() -> None:
    ctx = dataclasses.replace(context(), indirect=[])
    assert key_messages(ctx) == ""
    text, _, _ = build_report(TEMPLATE, ctx)
    assert text.count("## What the evidence supports") == 1


def test_the_summary_is_the_box_then_the_detail_outside_it() -> None:
    ctx = context()
    text, _, _ = build_report(TEMPLATE, ctx)
    summary = text[text.index("## What the evidence supports"):]
    # One box: the detail follows it as the summary's paragraphs.
    assert text.count("## What the evidence supports") == 1
    detail = str(bottom_line(ctx, boxed=False))
    assert not detail.startswith(":::")
    box_end = summary.index("\n:::\n")
    # (The filled template binds a number to its noun with a no-break space.)
    assert detail.split("\n\n")[0] in summary[box_end:].replace("\xa0", " ")


def test_a_two_study_head_to_head_result_is_too_wide_and_has_its_equal_effects_estimate() -> None:
    from metareview.report.brief import _result_clause

    ctx = context()
    r = next(x for x in ctx.analyses if x["status"] == "pooled")
    pooled = {**r["pooled"], "k": 2, "df": 1, "test": "knha", "estimate": -0.5, "ci_lb": -2.9, "ci_ub": 1.9,
              "equal_effects": {"estimate": -0.5, "ci_lb": -0.8, "ci_ub": -0.2, "level": 95.0}}
    text = _result_clause(ctx, {**r, "pooled": pooled})
    assert text.endswith("pooled, k = 2), compatible with no difference but too wide to inform (t on 1 degree of "
                         "freedom); an equal-effects model, which assumes one true effect, gives \u22120.50 (95% CI "
                         f"\u22120.80 to \u22120.20), favouring {text.rsplit('favouring ', 1)[1]}")
    assert "favouring sham" not in text
    # On z, or without the field (a build from before it), neither is said.
    plain = _result_clause(ctx, {**r, "pooled": {**pooled, "test": "z", "equal_effects": None}})
    assert plain.endswith("pooled, k = 2), compatible with no difference")
