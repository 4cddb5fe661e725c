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
    _set_aside_trials,
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


def test_the_limitations_give_the_reason_a_trial_has_no_result_rows() -> None:
    # The codebook promises the reason wherever the report names a study for having no
    # rows: the limitations on missing results name Trial L so, and give it too.
    from test_report import _with_every_kind_of_trial

    ctx = _with_every_kind_of_trial()
    docs = [{**d, "study": {**d["study"], "results_missing_reason": "results table <not> read (page 2)."}}
            if d["study"]["study_id"] == "L" else d for d in ctx.normalised]
    said = _line(limitations_section(dataclasses.replace(ctx, normalised=docs)), "- **Bias due to missing results**")
    assert ("; and 1 trial of the analysed comparisons has no result rows entered (Trial L: results table \\<not\\> "
            "read, page 2). A result given only in words cannot enter an analysis, nor can one not entered.") in said, \
        said
    # Only the words part is said of the documents read here.
    assert said.startswith("- **Bias due to missing results**: 1 trial\u2019s results on an analysed comparison are "
                           "given, in the documents read here, only in words (Trial K); and 1 trial"), said
    # No reason given: the trial's name alone.
    said = _line(limitations_section(ctx), "- **Bias due to missing results**")
    assert "has no result rows entered (Trial L). " in said, said


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
    # Unknown because not assessed, not "neither low nor high" (which read as RoB 2's "some
    # concerns"); and with no risk of bias, no GRADE level at all, not only on one domain.
    every = ("the risk of bias of every result here, pooled or from one study, is therefore unknown, and without it "
             "the certainty of the evidence (GRADE), which starts from risk of bias, cannot be rated for any result")
    assert _line(methods_section(ctx), "- **Risk of bias and certainty**") == (
        "- **Risk of bias and certainty**: not assessed for any of the 3 trials the analyses use (no study has a "
        f"risk-of-bias judgement recorded): {every}. Each study's source and identity confidence are in the evidence "
        "table.")
    assert str(risk_of_bias_section(ctx)) == (
        "Risk of bias was not assessed for any of the 3 trials the analyses use: no risk-of-bias judgement is "
        f"recorded for any study. {every[:1].upper()}{every[1:]}.\n")
    assert _line(limitations_section(ctx), "- **Risk of bias and certainty**").startswith(
        f"- **Risk of bias and certainty**: risk of bias was not assessed for any of the 3 trials the analyses use: "
        f"{every}.")
    rows = {x[1]: x for x in audit_rows(ctx)}
    row = rows["trials used in an analysis with no risk-of-bias judgement (count)"]
    assert (row[2], row[3]) == ("B; A; C", 3)  # by label
    assert row[8].endswith("; 3 of the 3 trials; printed in the methods, the risk of bias section and the "
                           "limitations (\u201cnot assessed for any of the 3 trials the analyses use\u201d)"), row[8]


def test_the_trials_used_without_a_judgement_are_named_where_others_are_judged() -> None:
    ctx = _judged(context(), "A")
    # B and C, by label, inside the report's brackets.
    names = "; ".join(in_brackets(label) for label in sorted([TYPST, INJECT]))
    said = (f"Risk of bias was not assessed for 2 of the 3 trials the analyses use ({escape(names)}): the risk of "
            "bias of the results that rest on them is therefore unknown, and without it the certainty of the "
            "evidence (GRADE), which starts from risk of bias, cannot be rated for them.")
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
    assert ("the risk of bias of the results that rest on them is therefore unknown, and where the team rates the "
            "certainty of the evidence (GRADE), its rating of risk of bias rests on no judgement recorded for them"
            ) in str(risk_of_bias_section(graded))
    # Every trial judged: nothing is said, and no count is traced.
    judged = _judged(context(), "A", "B", "C")
    for text in (risk_of_bias_section(judged), methods_section(judged), limitations_section(judged)):
        assert "not assessed" not in str(text)
    assert not any(x[1].startswith("trials used in an analysis with no") for x in audit_rows(judged))


def test_bias_due_to_missing_results_counts_what_the_data_show() -> None:
    ctx = context()
    # The methods say how it was assessed.
    assert _line(methods_section(ctx), "- **Bias due to missing results**").startswith(
        "- **Bias due to missing results**: looked for in the data (no tool such as ROB-ME applied): the limitations "
        "count the trials")
    # No trial is missing a result, but neither analysis has the 10 studies the small-study
    # test needs: the test alone is said.
    assert _line(limitations_section(ctx), "- **Bias due to missing results**") == (
        "- **Bias due to missing results**: The small-study test, which can point to bias due to missing results, "
        "was not run for either of the 2 analyses with a study effect: each has fewer than the 10 studies the test "
        "needs.")
    # One of the two tested: "1 of the 2", as the methods count risk of bias.
    one = dataclasses.replace(ctx, analyses=[{**ctx.analyses[0], "small_study_min": 1}, *ctx.analyses[1:]])
    assert "was not run for 1 of the 2 analyses with a study effect: it has fewer than" in _line(
        limitations_section(one), "- **Bias due to missing results**")
    # Trials D and E give the acupuncture comparison only as a p-value: named and counted,
    # as what the documents read here give, not as the trials' own reporting.
    aside = _set_aside(context())
    said = _line(limitations_section(aside), "- **Bias due to missing results**")
    assert said.startswith(
        "- **Bias due to missing results**: 2 trials\u2019 results on an analysed comparison that nothing else keeps "
        "out of its analysis are given, in the documents read here, only as a p-value, with no effect size (Trial D; "
        "Trial E). A result given only as a "
        "p-value cannot enter an analysis. These are gaps in the documents read here, not necessarily in the "
        "trials\u2019 own reporting: a trial\u2019s full report may hold the numbers (for none of these 2 trials was "
        "a full report read here). Results missing from the analyses can bias the review\u2019s estimates (Cochrane "
        "Handbook chapter 13). The small-study test, which can point to such bias, was not run"), said
    assert "more often reported so" not in said
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
    # No analysis with a study effect: nothing is claimed of every one of none.
    bare = dataclasses.replace(ctx, analyses=[{**r, "studies": [], "status": "no_studies"} for r in ctx.analyses])
    assert "Bias due to missing results" not in str(limitations_section(bare))
    assert _line(methods_section(bare), "- **Bias due to missing results**") == (
        "- **Bias due to missing results**: looked for in the data (no tool such as ROB-ME applied): no trial of the "
        "analysed comparisons gives its result only as a p-value or only in words, or has no result rows entered, "
        "and no analysis has a study effect for the small-study test to be run on.")
    assert not any("small-study test (count)" in x[1] for x in audit_rows(tested))


def test_a_reason_given_after_also_is_counted_as_the_table_lists_it_but_not_as_a_missing_result() -> None:
    # Trial E set aside for its arm sizes, "also" for giving only a p-value: the table of
    # trials set aside lists both, so the count of reasons counts it too (Mahmoudzadeh
    # 2016 was listed with the p-value alone in the table, 8 trials, and counted in 7).
    # With the numbers its result would still be kept out: it is no result missing for
    # lack of numbers, and the missing-results paragraph counts D alone.
    p_only = "only a p-value reported: no effect size or variance"
    ctx = _set_aside(context())
    acu, dn = ctx.analyses
    d, e = acu["excluded"]
    e = {**e, "reason": f"arm n not reported; also, {p_only}", "reasons": [{"reason": "arm n not reported"}],
         "also": [{"reason": p_only}]}
    ctx = dataclasses.replace(ctx, analyses=[{**acu, "excluded": [d, e]}, dn])
    text = str(limitations_section(ctx))
    assert f"The commonest reason: \u201c{p_only}\u201d (2 trials)." in text, text
    said = _missing(ctx)
    assert said.startswith("- **Bias due to missing results**: 1 trial\u2019s results on an analysed comparison that "
                           "nothing else keeps out of its analysis are given, in the documents read here, only as a "
                           "p-value, with no effect size (Trial D). "), said
    assert "Trial E" not in said
    rows = {x[1]: x for x in audit_rows(ctx)}
    row = rows[f"candidate trials set aside for the reason \u201c{p_only}\u201d (count)"]
    assert (row[2], row[3]) == ("D; E", 2)
    row = rows["trials giving an analysed comparison's result only as a p-value (count)"]
    assert (row[2], row[3]) == ("D", 1)
    # Neither trial set aside for the p-value alone: no trial counted, the paragraph says
    # only the small-study test; the table's count of reasons keeps both.
    d = {**d, "reason": f"arm n not reported; also, {p_only}", "reasons": [{"reason": "arm n not reported"}],
         "also": [{"reason": p_only}]}
    ctx = dataclasses.replace(ctx, analyses=[{**acu, "excluded": [d, e]}, dn])
    assert _missing(ctx).startswith("- **Bias due to missing results**: The small-study test"), _missing(ctx)
    assert "trials giving an analysed comparison's result only as a p-value (count)" not in {
        x[1] for x in audit_rows(ctx)}
    assert f"\u201c{p_only}\u201d (2 trials)" in _line(limitations_section(ctx), "- **Trials set aside**")


def test_a_p_value_at_a_timepoint_outside_the_window_is_no_missing_result() -> None:
    # A p-value row outside the analysis's window would stay out with its numbers: only
    # the rows in the window, or of a timepoint not known, are results missing for them.
    from metareview.fmt import P_ONLY_REASON
    from metareview.report.unassessed import p_value_alone_refs

    def row(ref: str, weeks: float | None, windows: dict[str, float]) -> dict[str, Any]:
        return {"ref": ref, "measure": "p_only", "timepoint_weeks": weeks, "windows": windows}

    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    docs[0]["contrasts"] = [*(docs[0].get("contrasts") or []), row("p#1", 48.0, {}), row("p#2", None, {}),
                            row("p#3", 8.0, {"short_term": 2.0})]
    ctx = dataclasses.replace(ctx, normalised=docs)
    r = {"analysis": {"window": "short_term"}}
    e = {"reasons": [{"reason": P_ONLY_REASON}]}
    assert p_value_alone_refs(ctx, r, {**e, "refs": ["p#1"]}) is None
    assert p_value_alone_refs(ctx, r, {**e, "refs": ["p#1", "p#2"]}) == ["p#2"]
    assert p_value_alone_refs(ctx, r, {**e, "refs": ["p#1", "p#3"]}) == ["p#3"]


def _missing(ctx: ReportContext) -> str:
    return _line(limitations_section(ctx), "- **Bias due to missing results**")


def test_which_way_the_missing_results_point_is_said_and_no_pull_where_no_estimate(monkeypatch) -> None:
    # Two trials set aside, both significant and favouring dry needling, from an analysis
    # with no estimate at all: their direction is tallied, but no pull "toward no
    # difference" is claimed, as there is nothing to pull.
    favours = {"measure": "p_only", "sign_convention": "favours_arm1"}
    null = {"measure": "p_only", "sign_convention": "no_difference"}
    ctx = _set_aside_trials(monkeypatch, [{**favours, "p_value": 0.001, "p_qualifier": "<"}],
                            [{**favours, "p_value": 0.01}])
    said = _missing(ctx)
    assert ("Of the 2 trials whose results are given only as a p-value, 2 report a statistically significant "
            "difference favouring the intervention, dry needling (") in said, said
    assert "toward no difference" not in said and "most of those" not in said, said
    assert "None of them bears on an analysis with a study effect." in said, said
    assert "For the rest, the results missing from the analyses with no usable trial (" in said, said
    assert "have no estimate to move; and of any trial whose results were never published or never found" in said
    assert "which way the review\u2019s estimates could be biased cannot be judged" in said, said
    rows = {x[1]: x for x in audit_rows(ctx)}
    row = rows["trials whose missing results report a statistically significant difference favouring the "
               "intervention (count)"]
    assert row[3] == 2 and set(row[2].split("; ")) == {"C", "D"}
    assert "analyses with a study effect that missing results bear on (count)" not in rows
    assert "trials whose missing results say how the groups compared (count)" not in rows
    # Mostly null: tallied so, and still no pull said.
    ctx = _set_aside_trials(monkeypatch, [{**null, "p_value": 0.4}], [{**null, "p_value": 0.5}])
    said = _missing(ctx)
    assert "2 report no difference, or one not statistically significant (" in said, said
    assert "away from no difference" not in said and "have no estimate to move" in said, said
    # Not significant, though favouring one side, is not counted as significant.
    ctx = _set_aside_trials(monkeypatch, [{**favours, "p_value": 0.2}], [{**favours, "p_value": 0.3}])
    assert "2 report no difference, or one not statistically significant" in _missing(ctx)


def _with_estimate(ctx: ReportContext, yi: float) -> ReportContext:
    """``ctx`` with dry needling against sham given one study's effect ``yi`` (negative
    favours dry needling; the study another analysis uses), beside the trials it sets
    aside."""
    study = next(s for r in ctx.analyses for s in r["studies"])
    analyses = [{**r, "studies": [{**study, "yi": yi}]} if r["analysis"]["id"] == "dn_vs_sham" else r
                for r in ctx.analyses]
    return dataclasses.replace(ctx, analyses=analyses)


def test_which_way_missing_results_could_move_an_estimate_is_said_per_analysis_that_has_one(monkeypatch) -> None:
    from metareview.report import unassessed

    favours = {"measure": "p_only", "sign_convention": "favours_arm1"}
    null = {"measure": "p_only", "sign_convention": "no_difference"}
    base = _set_aside_trials(monkeypatch, [{**favours, "p_value": 0.001, "p_qualifier": "<"}],
                             [{**favours, "p_value": 0.01}])
    # The estimate on dry needling's side, both missing results significant on it too:
    # with them it stays there, by how much cannot be told.
    ctx = _with_estimate(base, -0.4)
    pulled = unassessed.missing_by_analysis(ctx)
    assert list(pulled) == ["dn_vs_sham"], pulled
    assert [x["finding"] for x in pulled["dn_vs_sham"]] == ["intervention", "intervention"], pulled
    said = unassessed.missing_direction_said(ctx)
    k = sum(1 for r in ctx.analyses if r["studies"])
    assert f"Here, 1 of the {k} analyses with a study effect lacks one or more such results." in said, said
    assert ", whose point estimate favours dry needling, are the results of " in said, said
    assert ("with them the estimate would still favour dry needling, larger or smaller by effect sizes not "
            "reported.") in said, said
    assert "toward no difference" not in said, said
    rows = {x[1]: x for x in audit_rows(ctx)}
    row = rows["analyses with a study effect that missing results bear on (count)"]
    assert row[3] == 1 and f"1 of the {k} analyses with a study effect" in row[8], row
    row = rows["trials whose missing results bear on the analysis's estimate (count)"]
    assert row[3] == 2 and set(row[2].split("; ")) == {"C", "D"} and "the same side" in row[8], row
    # The estimate on sham's side: they would move it toward dry needling.
    said = unassessed.missing_direction_said(_with_estimate(base, 0.4))
    assert ", whose point estimate favours sham," in said.lower(), said
    assert "they would move the estimate toward favouring dry needling." in said, said
    # One significant, one null: no direction.
    ctx = _with_estimate(_set_aside_trials(monkeypatch, [{**favours, "p_value": 0.001, "p_qualifier": "<"}],
                                           [{**null, "p_value": 0.5}]), -0.4)
    said = unassessed.missing_direction_said(ctx)
    assert "which way they would move the estimate cannot be told." in said, said
    assert "(no difference, or one not statistically significant)" in said, said
    rows = {x[1]: x for x in audit_rows(ctx)}
    assert "cannot be told" in rows["trials whose missing results bear on the analysis's estimate (count)"][8]


def test_which_way_a_missing_result_pulls_needs_one_significant_side_and_an_estimate() -> None:
    from metareview.report.unassessed import estimate_side, missing_pull

    below = {"analysis": {"favours_intervention_when": "below"}}
    r = {**below, "studies": [{"yi": -0.3}], "pooled": None}
    assert estimate_side(r) == "intervention"
    assert estimate_side({**below, "studies": [{"yi": 0.1}, {"yi": 0.2}], "pooled": {"estimate": 0.15}}) == "comparator"
    # Several studies not pooled, or none: no estimate, no pull.
    assert estimate_side({**below, "studies": [{"yi": 0.1}, {"yi": 0.2}], "pooled": None}) is None
    assert missing_pull({**below, "studies": [], "pooled": None}, ["intervention"]) == ""
    assert missing_pull(r, ["intervention", "intervention"]) == "stay"
    assert missing_pull(r, ["comparator"]) == "comparator"
    for findings in (["intervention", "null"], ["null"], ["unsaid"], ["shared"], ["intervention", "comparator"], []):
        assert missing_pull(r, findings) == "", findings


def test_the_risk_of_bias_section_says_participants_could_not_be_blinded_against_controls() -> None:
    # Against a control (no sham), participants cannot be blinded to their treatment: for
    # outcomes they report themselves, a risk of bias in measuring the outcome (RoB 2
    # domain 4) that no assessment is needed to see. Said from the treatments' roles, as
    # the summary does, and as what the design implies: "Participants knew which
    # treatment they had" read as a fact the trials reported.
    ctx = context()
    assert "could not be blinded" not in str(risk_of_bias_section(ctx))
    ctx = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables,
                                               "treatments": [{"treatment": "sham_acupuncture", "role": "control"}]})
    section = str(risk_of_bias_section(ctx))
    assert section.endswith(
        "In the comparisons against sham (2 analyses with a study effect), participants could not be blinded to "
        "their treatment, as the comparator is sham: for outcomes participants report themselves, such "
        "comparisons are at risk of bias in the "
        "measurement of the outcome (RoB 2, domain 4: Sterne et al. 2019), even before any formal risk-of-bias "
        "assessment.\n"), \
        section
    # Beside a table of judgements too.
    assert "participants could not be blinded to their treatment" in str(risk_of_bias_section(_judged(ctx, "A")))
    assert "knew" not in section


def _directions(monkeypatch, ctx: ReportContext, **found: list[str]) -> str:
    """The limitations' words on which way the missing results point, with
    :func:`~metareview.report.unassessed.missing_directions` stubbed: for each finding
    key, the labels of the trials with it (each given only as a p-value, missing from the
    acupuncture analysis)."""
    from metareview.report import unassessed

    aid = ctx.analyses[0]["analysis"]["id"]
    groups = {key: [{"study_id": label, "label": label, "refs": [], "analyses": [aid], "shared": label == "S",
                     "intervention": [NODE_LABEL], "comparator": ["Sham"]} for label in found.get(key, [])]
              for key, _, _ in unassessed.FINDINGS}
    labels = sorted(x["label"] for xs in groups.values() for x in xs)
    monkeypatch.setattr(unassessed, "missing_directions", lambda ctx: groups)
    monkeypatch.setattr(unassessed, "missing_results", lambda ctx: {
        "p_only": [{"study_id": x, "label": x, "analyses": [aid]} for x in labels], "words": [], "empty": [],
        "with_effect": [r["analysis"]["id"] for r in ctx.analyses if r["studies"]]})
    monkeypatch.setattr(unassessed, "missing_by_analysis", lambda ctx: {})
    return unassessed.missing_direction_said(ctx)


def test_the_tally_of_missing_results_draws_no_pull_from_the_count(monkeypatch) -> None:
    # The tally says which way the missing results point; a "most" of them said which way
    # the review's estimates could move, of trials bearing on no estimate at all.
    ctx = context()
    for found in ({"intervention": ["A1", "A2"]}, {"null": ["A1", "A2", "A3"]}, {"comparator": ["A1", "A2"]},
                  {"intervention": ["A1"], "unsaid": ["A2"]}):
        said = _directions(monkeypatch, ctx, **found)
        for word in ("most", "toward no difference", "away from no difference", "the one"):
            assert word not in said, (word, said)
        assert "but a result left out can move only an estimate it would have entered" in said, said
        assert said.endswith("Whether missing results biased any estimate cannot be told."), said
    said = _directions(monkeypatch, ctx, unsaid=["A1"])
    assert said.startswith("That trial does not say which way the groups differed (A1). "), said
    said = _directions(monkeypatch, ctx, null=["A1"])
    assert said.startswith("That trial reports no difference, or one not statistically significant (A1). "), said


def test_a_test_of_several_arms_together_gives_no_direction_of_any_one_arm(monkeypatch) -> None:
    # Cherkin 2009 against usual care: one p for its needling arms together. The summary
    # and the results take no direction of any one arm from it; counted as favouring the
    # intervention here, the limitations said "5 of 8" beside the summary's 4.
    ctx = context()
    said = _directions(monkeypatch, ctx, intervention=["A1", "A2"], shared=["S"], null=["A3"])
    assert "1 reports only a test of several arms together against the comparator, no direction of any one arm (S)" \
        in said, said
    assert "2 report a statistically significant difference favouring the intervention" in said, said
    said = _directions(monkeypatch, ctx, shared=["S"])
    assert said.startswith("That trial reports only a test of several arms together against the comparator, no "
                           "direction of any one arm (S). "), said


def test_the_missing_results_tally_takes_no_direction_from_a_test_of_several_arms(monkeypatch) -> None:
    # From the trials' rows: a trial set aside whose only row is a test of its two
    # needling arms together against usual care, its statement coded favours_arm1.
    from metareview.report import aside, unassessed

    ctx = context()
    aid = ctx.analyses[0]["analysis"]["id"]
    monkeypatch.setattr(unassessed, "missing_results", lambda ctx: {
        "p_only": [{"study_id": "S", "label": "S", "analyses": [aid]},
                   {"study_id": "T", "label": "T", "analyses": [aid]}], "words": [], "empty": []})
    monkeypatch.setattr(unassessed, "p_value_rows", lambda ctx: set())
    trials = {"S": {"rows": {}, "shared": {(("a", "b"), "usual care", 2): (0.001, 300)},
                    "shared_sides": {"contrasts.csv:S#1": ("intervention", True)},
                    "stated": ["a difference favouring acupuncture"]},
              "T": {"rows": {"contrasts.csv:T#1": ("intervention", True, "acupuncture", 0.01, 40)},
                    "shared": {}, "shared_sides": {}, "stated": []}}
    monkeypatch.setattr(aside, "_aside_trials",
                        lambda ctx, rs: {e["study_id"]: trials[e["study_id"]] for r in rs for e in r["excluded"]})
    ctx = dataclasses.replace(ctx, analyses=[{**r, "excluded": [{"study_id": "S", "label": "S"},
                                                                {"study_id": "T", "label": "T"}]} if i == 0 else r
                                             for i, r in enumerate(ctx.analyses)])
    groups = unassessed._missing_directions(ctx)
    assert [x["study_id"] for x in groups["intervention"]] == ["T"], groups
    assert [x["study_id"] for x in groups["shared"]] == ["S"] and groups["shared"][0]["refs"] == ["contrasts.csv:S#1"]


def test_the_audit_gives_each_untested_analysis_the_fewest_studies_the_limitations_use() -> None:
    # An analysis whose results give no small_study_min takes the config's, as the
    # limitations do: the audit fell back to the largest of all the analyses' instead.
    ctx = context()
    ctx = dataclasses.replace(
        ctx, config={**ctx.config, "methods": {**ctx.config.get("methods", {}), "small_study_min": 5}},
        analyses=[{k: v for k, v in r.items() if k != "small_study_min"} if i == 0 else {**r, "small_study_min": 12}
                  for i, r in enumerate(ctx.analyses)])
    (row,) = [x for x in audit_rows(ctx) if x[1] == "analyses with a study effect and no small-study test (count)"]
    ids = [r["analysis"]["id"] for r in ctx.analyses]
    assert f"results/analyses/{ids[0]}.json: 2 studies, small_study_min = 5" in row[8], row[8]
    assert "small_study_min = 12" in row[8], row[8]
    assert "fewer than the 12 studies the test needs" in _missing(ctx)


def test_a_trial_without_result_rows_gets_its_own_reason_where_two_share_a_label() -> None:
    # Read by label, the reason was the first study's of that label, not the trial's own.
    from test_report import _with_every_kind_of_trial

    ctx = _with_every_kind_of_trial()
    trial_l = next(d for d in ctx.normalised if d["study"]["study_id"] == "L")
    twin = {**trial_l, "study": {**trial_l["study"], "study_id": "L0", "role": "external",
                                 "results_missing_reason": "not the trial's reason"},
            "arms": [], "arm_values": [], "contrasts": [], "statements": []}
    docs = [twin, *({**d, "study": {**d["study"], "results_missing_reason": "its own reason"}}
                    if d["study"]["study_id"] == "L" else d for d in ctx.normalised)]
    said = str(excluded_section(dataclasses.replace(ctx, normalised=docs)))
    assert "no results entered: its own reason)" in said and "not the trial" not in said, said


def test_the_audit_traces_the_counts_of_studies_participants_and_unblinded_analyses() -> None:
    # The summary's line of counts ("Studies: 5: 3 trials, ..."), the trial
    # characteristics' "Randomised" summed from arms.csv, and the risk of bias section's
    # "(2 analyses with a study effect)" had no audit row.
    from metareview.report.flow import designs_said
    from metareview.report.tables import trial_characteristics_table

    ctx = context()
    ids = [d["study"]["study_id"] for d in ctx.normalised]
    ctx = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "studies": [{"study_id": sid} for sid in ids]},
                              raw_row_numbers={**ctx.raw_row_numbers, "studies": list(range(2, len(ids) + 2))})
    rows = {x[1]: x for x in audit_rows(ctx)}
    design = rows["studies by design (count)"]
    assert design[3] == len(ctx.normalised)
    assert design[8].endswith(f"= {len(ctx.normalised)} studies; printed in the summary's line of counts "
                              f"(\u201c{', '.join(designs_said(ctx)[:-1])} and {designs_said(ctx)[-1]}\u201d) and in "
                              "the flow of studies, in the evidence table"), design[8]
    assert all(f"{sid} (studies.csv row {i})" in design[8] for i, sid in enumerate(ids, start=2)), design[8]
    # Trial A's two arms randomised 31 and 29 (arms.csv), studies.csv giving no total.
    arms = [{"study_id": "A", "arm_id": "i", "n_randomised": 31}, {"study_id": "A", "arm_id": "c", "n_randomised": 29}]
    summed = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "arms": arms})
    (row,) = [x for x in audit_rows(summed) if x[1].startswith("participants randomised")]
    assert row[1:4] == ["participants randomised, arms of A (sum)", "A", 60.0]
    assert row[6] == "arms.csv row 2: n_randomised = 31; arms.csv row 3: n_randomised = 29", row[6]
    assert "| 60 |" in str(trial_characteristics_table(summed)).replace("60.0", "60")
    # Against a control alone, participants could not be blinded.
    blind = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables,
                                                 "treatments": [{"treatment": "sham_acupuncture", "role": "control"}]})
    (row,) = [x for x in audit_rows(blind) if x[1].startswith("analyses with a study effect whose participants")]
    k = row[3]
    assert f"({k} analyses with a study effect)" in str(risk_of_bias_section(blind))
    assert row[8].endswith(f"{k} analyses; printed in the risk of bias section (\u201c({k} analyses with a study "
                           "effect)\u201d)"), row[8]
    assert not [x for x in audit_rows(ctx) if x[1].startswith("analyses with a study effect whose participants")]


def _with_small_study_test(pval: float, slope: float) -> ReportContext:
    """The context with its pooled analysis tested for small-study effects (its
    threshold lowered to its 2 studies): an Egger-type test of ``pval`` and ``slope``."""
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    r["small_study_min"] = 2
    r["pooled"]["regtest"] = {"model": "rma", "predictor": "sei", "zval": None, "tval": slope / 0.62, "df": 9,
                              "pval": pval, "slope": slope, "slope_se": 0.62, "tau2": 0.01}
    return ctx


def test_a_small_study_test_that_found_asymmetry_is_said_in_the_summary_and_limitations() -> None:
    # The big review's 11 trials: t = -4.84, p < 0.001, the less precise trials more
    # favourable to acupuncture, said only in the analysis's section. The summary gave
    # the pooled SMD unqualified, and the limitations said only that the test was not
    # run for the other 2 analyses.
    from metareview.report.summary import bottom_line, summary_section

    acu = escape(NODE_LABEL)
    clause = (f"the small-study test found asymmetry (the less precise trials more favourable to {acu}), so this "
              f"estimate may be too favourable to {acu}")
    ctx = _with_small_study_test(0.0009, -3.0)
    assert clause in " ".join(str(summary_section(ctx)).split())
    assert "pooled, k = 2, an interval wider than any of its trials’ own, its small-study test finding asymmetry)" in \
        str(bottom_line(ctx))
    (line,) = [x for x in str(limitations_section(ctx)).splitlines() if "**Bias due to missing results**" in x]
    assert ("was not run for 1 of the 2 analyses with a study effect: it has fewer than the 10 studies the test needs. "
            f"Where it ran, it found asymmetry for {acu} vs Sham (pain), the less precise trials more favourable to "
            f"{acu}, a reason for caution: that pooled estimate may be too favourable to {acu}, and results missing "
            "for their size or direction are one cause it may have (Sterne et al. 2011).") in line, line
    # A slope the other way: the comparator's side.
    ctx = _with_small_study_test(0.0009, 3.0)
    assert "the less precise trials more favourable to sham), so this estimate may be too favourable to sham" in \
        " ".join(str(summary_section(ctx)).split())
    # No asymmetry found: nothing in the summary, and the limitations say so, not more.
    ctx = _with_small_study_test(0.4, -0.5)
    assert "small-study" not in str(summary_section(ctx)) and "small-study" not in str(bottom_line(ctx))
    (line,) = [x for x in str(limitations_section(ctx)).splitlines() if "**Bias due to missing results**" in x]
    assert line.endswith(f"Where it ran, it found no sign of asymmetry for {acu} vs Sham (pain), which does not rule "
                         "it out."), line


def test_the_test_on_sample_size_beside_an_se_based_test_of_an_smd_is_reported() -> None:
    # "For an SMD, the standard error depends on the effect itself ... (a sample-size
    # predictor, which the review can choose instead, does not)": the check named and not
    # run. The analysis now runs it (pooled.regtest_sqrtninv) and the report gives both.
    from metareview.report.sections import sensitivity_text
    from metareview.report.summary import summary_section

    acu = escape(NODE_LABEL)
    ctx = _with_small_study_test(0.0009, -3.0)
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    hedge = "(a sample-size predictor, which the review can choose instead, does not)"
    assert hedge in sensitivity_text(r)
    r["pooled"]["regtest_sqrtninv"] = {"model": "rma", "predictor": "sqrtninv", "zval": -4.67, "tval": -4.67, "df": 9,
                                       "pval": 0.0012, "slope": -10.07, "slope_se": 2.16, "tau2": 0.0}
    text = sensitivity_text(r)
    assert hedge not in text
    assert ("For an SMD, the standard error depends on the effect itself, which makes this test find asymmetry more "
            "often than it should; on the inverse square root of the total sample size, which does not, the same test "
            f"gives t = −4.67 (df = 9), p = 0.001: it too finds the less precise studies' effects more favourable to "
            f"{acu}.") in text, text
    summary = " ".join(str(summary_section(ctx)).split())
    assert f"more favourable to {acu}), as does the test on sample size, so this estimate may be too" in summary
    (line,) = [x for x in str(limitations_section(ctx)).splitlines() if "**Bias due to missing results**" in x]
    assert "more favourable to " + acu + ", as does the test on sample size, a reason for caution" in line, line
    # Each test has its audit row, its printed statistic traced.
    rows = [x for x in audit_rows(ctx) if x[0] == "acu_vs_sham" and str(x[1]).startswith("small-study test")]
    assert [x[1] for x in rows] == ["small-study test (Egger-type regression on the standard error)",
                                    ("small-study test (Egger-type regression on the inverse square root of the "
                                     "total sample size)")]
    assert rows[1][3] == -4.67 and "printed t = −4.67 (df = 9), p = 0.001" in rows[1][8]
    # Where the test on sample size finds none: said, and the summary's caution says so.
    r["pooled"]["regtest_sqrtninv"] = {**r["pooled"]["regtest_sqrtninv"], "tval": -1.1, "zval": -1.1, "pval": 0.3}
    assert "gives t = −1.10 (df = 9), p = 0.300: no sign of asymmetry, which does not rule it out." in \
        sensitivity_text(r)
    assert ("), though the test on sample size, which the size of the effect does not sway, does not, so this "
            "estimate may be") in " ".join(str(summary_section(ctx)).split())
