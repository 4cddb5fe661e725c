"""The summary's key messages (metareview.report.brief): a short box, counted as the
detail below it counts, for a reader who reads nothing else."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from test_report import NODE_LABEL, TEMPLATE, _with_a_clear_effect, context

from metareview.markdown import escape
from metareview.report.base import ReportContext
from metareview.report.brief import _evidence_point, _tallied, after_last_window, key_messages
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
    # The treatment with published reviews: a line per comparator under it, its trials here
    # then its reviews' tally, the comparator named once.
    lines = text.splitlines()
    sham = lines[lines.index(f"- {acu}") + 1]
    assert question.startswith("**Dry needling against ") and "(pain): compared only indirectly, through sham" in question
    assert "SMD \u22120.03 (95% CI \u22121.50 to 1.44)" in question
    assert dry == "**Dry needling**, in these data: against sham, its one result is compatible with no difference (one trial)."
    # What the tally counts, and that the reviews are not pooled with the trials, said once.
    assert acu.endswith("**: trials here, then published meta-analyses\u2019 effect sizes (shown apart; reviews share "
                        "trials):")
    assert sham == "  - Against sham: its one result is compatible with no difference; pain SMD \u22120.50 (1 review)."
    assert lines[lines.index(sham) + 1].startswith("- **Claims checked**")
    # Its one claim rests on an interval too imprecise to settle it, as the detail says.
    # It cites no evidence, which the point says too.
    assert claims == escape("the source\u2019s one claim cannot be settled by these data, so is not supported by "
                            "them; 1 cites no evidence").join(["**Claims checked**: ", "."])
    assert evidence.startswith("**Evidence**: of 2 analyses, 1 pools trials and 1 rests on one study (not pooled); "
                               "risk of bias not assessed and certainty of the evidence (GRADE) not rated")
    # Short: a box a reader takes in at a glance, not the page and a half below it.
    assert len(re.findall(r"\w+", text)) < len(re.findall(r"\w+", str(bottom_line(ctx)))) / 2


def test_a_question_the_data_cannot_answer_says_they_give_no_estimate() -> None:
    # No head-to-head trial and no anchored indirect comparison: whatever the reason the
    # bottom line gives, the point says what the data lack.
    ctx = context()
    x = {**ctx.indirect[0], "status": "no_common_comparator", "direct": []}
    question = _points(dataclasses.replace(ctx, indirect=[x]))[0]
    assert question.endswith("(pain): the data cannot say which is better, as they give no usable head-to-head or "
                             "indirect estimate."), question


def test_the_claims_point_counts_each_verdict() -> None:
    ctx = context()
    claim = dict(ctx.claims[0])
    three = [{**claim, "verdict": v} for v in ("not checkable from the data", "supported", "not supported")]
    point = _points(dataclasses.replace(ctx, claims=three))[3]
    assert point == escape("of the source\u2019s 3 claims, 1 is supported by these data (1 supported, 1 not "
                           "supported, 1 not checkable from the data); 3 cite no evidence").join(
        ["**Claims checked**: ", "."])
    none = [{**claim, "verdict": v} for v in ("not checkable from the data", "not supported")]
    assert "2 claims, none is supported by these data (1 not supported, 1 not checkable" in _points(
        dataclasses.replace(ctx, claims=none))[3]
    assert len(_points(dataclasses.replace(ctx, claims=[]))) == 4


def test_a_result_that_moves_moves_its_point() -> None:
    # The pooled result against sham moved wholly below zero: the treatment's point says it
    # favours it, as the detail's line does.
    text = str(key_messages(_with_a_clear_effect(context())))
    assert "  - Against sham: its one result favours it; pain SMD \u22120.50 (1 review)." in text


def test_where_one_comparators_results_lie() -> None:
    assert _tallied(["for"])[0] == "its one result favours it"
    assert _tallied(["for", "for"])[0] == "both results favour it"
    assert _tallied(["neither"] * 3)[0] == "all 3 results are compatible with no difference"
    # A sparse table whose approximate interval and exact test disagree favours no side here:
    # the exact finding rests on very few events, and the interval is the less reliable.
    assert _tallied(["neither", "unsettled", "neither", "neither"])[0] == (
        "3 of 4 results are compatible with no difference and 1 rests on very few events (its exact test and "
        "approximate interval disagree)")
    assert _tallied(["unsettled", "unsettled"])[0] == (
        "both results rest on very few events (their exact tests and approximate intervals disagree)")
    assert _tallied(["against", "neither"])[0] == (
        "1 of 2 results is compatible with no difference and 1 favours the comparator")


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


def test_the_detail_after_the_box_does_not_say_its_evidence_point_again() -> None:
    from test_report import CONFIG, JUDGED, _with_certainty

    review = {**CONFIG["review"], "evidence_base": "Not a systematic search. From one blog post."}
    ctx = context(review=review)
    evidence = _points(ctx)[-1]
    assert evidence == ("**Evidence**: of 2 analyses, 1 pools trials and 1 rests on one study (not pooled); risk of "
                        "bias not assessed and certainty of the evidence (GRADE) not rated; how the studies were "
                        "found: not a systematic search; adverse events (harms) not sought.")
    text, _, _ = build_report(TEMPLATE, ctx)
    summary = text[text.index("## What the evidence supports"):text.index("## Question")].replace("\xa0", " ")
    # The counts, the grading and how the studies were found, once, in the box; after it,
    # what the box leaves out: what "in these data" means, and where the search is told.
    assert summary.count("of 2 analyses, 1 pools trials") + summary.count("Of 2 analyses, 1 pools trials") == 1
    assert summary.count("certainty of the evidence (GRADE) not rated") == 1
    after = summary[summary.index("\n:::\n") + 5:].lstrip("\n")
    # First the line of counts, studies to participants, which the box does not give.
    counts, _, after = after.partition("\n\n")
    assert counts.startswith("Studies: ") and counts.endswith(" See @tbl-flow."), counts
    assert after.startswith("\u201cIn these data\u201d and \u201cno usable study\u201d mean among the studies this "
                            "review collected (how they were found: see the [methods](#sec-methods)).\n\n"), after[:300]
    # The team's grades are the box's "see below": they stay.
    graded = context(review=review, analyses=_with_certainty(**JUDGED))
    assert "certainty graded from the review team\u2019s judgements (see below)" in str(key_messages(graded))
    assert str(bottom_line(graded, boxed=False)).startswith(
        "Certainty of the evidence (GRADE), from the review team's judgements:")
    # Without an indirect comparison the bottom line is the box, and opens as it did.
    alone = dataclasses.replace(ctx, indirect=[])
    assert str(bottom_line(alone)).split("\n\n")[1].startswith(
        "Of 2 analyses, 1 pools trials and 1 rests on one study (not pooled). Risk of bias was not assessed, and no "
        "result here is rated")


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


def test_a_treatment_without_a_usable_result_counts_all_its_trials_against_other_comparators() -> None:
    # Every trial of dry needling against a treatment the question does not pair it with,
    # whether an analysis used it, set it aside, or it has words or nothing entered.
    ctx = context()
    none = [{**r, "studies": [], "k": 0, "status": "no_studies"} if "dn" in
            (r["analysis"]["intervention"], r["analysis"]["comparator"]) else r for r in ctx.analyses]
    # A second trial of dry needling against sham, with no result entered.
    doc = next(d for d in ctx.normalised if d["study"]["study_id"] == "C")
    empty = {**doc, "study": {**doc["study"], "study_id": "E"}}
    ctx = dataclasses.replace(ctx, analyses=none, normalised=[*ctx.normalised, empty])
    trials = {d["study"]["study_id"] for d in ctx.normalised if d["study"].get("role") == "trial"
              and "dn" in {a.get("node") for a in d["arms"]}
              and {a.get("node") for a in d["arms"]} - {"dn", None, "acu"}}
    assert trials == {"C", "E"}
    dry = next(p for p in _points(ctx) if p.startswith("**Dry needling**"))
    n = len(trials)
    # Which groups of the flow of studies the count sums (here, trials whose rows the
    # analyses, emptied, no longer take up).
    assert n == 2 and dry == ("**Dry needling**: none of its 2 trials here against other comparators gives a "
                              "usable estimate (2 not taken up).")


def test_a_result_known_only_from_a_secondary_source_is_counted_apart() -> None:
    ctx = context()
    single = next(r for r in ctx.analyses if r["status"] == "single_study")
    apart = {**single, "analysis": {**single["analysis"], "id": "dn_vs_sham_later", "window": "later"},
             "studies": [{**single["studies"][0], "source_level": "secondary"}]}
    points = _points(dataclasses.replace(ctx, analyses=[*ctx.analyses, apart]))
    # Under the treatment it is a result of, after the results counted, not among them.
    assert points[1] == ("**Dry needling**, in these data: against sham, its one result is compatible with no "
                         "difference (one trial); 1 more secondary-source result set apart.")


def test_a_trial_whose_result_is_set_apart_is_not_counted_among_those_without_one() -> None:
    # Dry needling's only result against other comparators known only from a secondary
    # source (Liu & Park 2021): "none of its 2 trials gives a usable estimate" counted it,
    # whose effect the Results give. Counted apart, as beside a usable result.
    ctx = context()
    single = next(r for r in ctx.analyses if r["status"] == "single_study")
    assert single["analysis"]["intervention"] == "dn"
    apart = {**single, "studies": [{**single["studies"][0], "source_level": "secondary"}]}
    doc = next(d for d in ctx.normalised if d["study"]["study_id"] == "C")
    empty = {**doc, "study": {**doc["study"], "study_id": "E"}}
    ctx = dataclasses.replace(ctx, analyses=[apart if r is single else r for r in ctx.analyses],
                              normalised=[*ctx.normalised, empty])
    dry = next(p for p in _points(ctx) if p.startswith("**Dry needling**"))
    assert dry == ("**Dry needling**: against other comparators, one trial gives no usable estimate (1 not taken "
                   "up); 1 secondary-source result is set apart.")
    # Its only trial against other comparators: the result, not a trial without one.
    ctx = dataclasses.replace(ctx, normalised=[d for d in ctx.normalised if d is not empty])
    dry = next(p for p in _points(ctx) if p.startswith("**Dry needling**"))
    assert dry == ("**Dry needling**: its one result against other comparators, known only from a secondary source, "
                   "is set apart.")


def test_the_claims_point_says_what_came_of_their_cited_evidence() -> None:
    from metareview.report.brief import _citations

    claims = ([{"cited": "unverified"}] * 2 + [{"cited": "not identified"}] * 3 + [{"cited": "none"}]
              + [{"cited": "verified"}])
    assert _citations(claims) == "; 2 cite evidence that cannot be verified, 3 evidence not identified and 1 none"
    assert _citations([{"cited": "none"}]) == "; 1 cites no evidence"
    # Every citation verified, or claims checked before the field was recorded: nothing.
    assert _citations([{"cited": "verified"}]) == _citations([{}]) == ""
    ctx = context()
    claim = {**ctx.claims[0], "verdict": "not checkable from the data", "cited": "not identified"}
    point = _points(dataclasses.replace(ctx, claims=[claim, {**claim, "cited": "unverified"}]))[3]
    assert point == escape("none of the source\u2019s 2 claims can be settled by these data, so none is supported "
                           "by them; 1 cites evidence that cannot be verified and 1 evidence not identified").join(
        ["**Claims checked**: ", "."])


def _against_a_waiting_list(ctx: ReportContext, yi: float, ci: tuple[float, float]) -> ReportContext:
    """The context with one more trial's result: acupuncture against a waiting list, on pain."""
    single = next(r for r in ctx.analyses if r["status"] == "single_study")
    study = {**single["studies"][0], "yi": yi, "ci_lb": ci[0], "ci_ub": ci[1]}
    wl = {**single, "studies": [study],
          "analysis": {**single["analysis"], "id": "acu_vs_wl", "intervention": "acu", "intervention_label": NODE_LABEL,
                       "comparator": "wl", "comparator_label": "Waiting list"}}
    return dataclasses.replace(ctx, analyses=[*ctx.analyses, wl])


def test_participants_knowing_their_treatment_is_said_where_a_result_favours_it(monkeypatch) -> None:
    from metareview.report import brief

    # Sham taken for a control (no treatment, usual care), whose participants know theirs.
    monkeypatch.setattr(brief, "_node_roles", lambda _: {"Sham": {"control"}, "Waiting list": {"control"}})
    ctx = context()
    # As the detail says it: beside a result on the treatment's side only.
    assert "could not be blinded" not in str(key_messages(ctx))
    lines = str(key_messages(_with_a_clear_effect(ctx))).splitlines()
    assert ("  - Against sham: its one result favours it (participants could not be blinded); pain "
            "SMD \u22120.50 (1 review).") in lines
    # A second control with a result on its side: said again, shortly, on its own line.
    lines = str(key_messages(_against_a_waiting_list(_with_a_clear_effect(ctx), -1.0, (-1.5, -0.5)))).splitlines()
    sham = lines.index("  - Against sham: its one result favours it (participants could not be blinded); "
                       "pain SMD \u22120.50 (1 review).")
    assert lines[sham + 1] == "  - Against waiting list: its one result favours it (one trial; nor could participants be blinded here)."
    # Beside a result compatible with no difference, not.
    text = str(key_messages(_against_a_waiting_list(_with_a_clear_effect(ctx), -0.2, (-1.0, 0.6))))
    assert "  - Against waiting list: its one result is compatible with no difference (one trial)." in text
    assert text.count("blinded") == 1


def test_each_comparator_of_a_treatment_with_reviews_is_a_line_of_its_trials_then_its_reviews(monkeypatch) -> None:
    from metareview.report import brief

    ctx = _against_a_waiting_list(context(), -0.2, (-1.0, 0.6))
    # A comparator only reviews have sizes against says no trial result is counted for it;
    # reviews with no SMD or ratio give no range, each difference on a scale of its own.
    counts, sizes = brief.review_counts, brief.review_sizes
    monkeypatch.setattr(brief, "review_counts", lambda c, node, given: (
        {**counts(c, node, given), "Usual care": (0, 2)} if node == "acu" else counts(c, node, given)))
    monkeypatch.setattr(brief, "review_sizes", lambda c, node, given: (
        {**sizes(c, node, given), "Usual care": {"ranges": [], "reviews": 2, "outcomes": 1, "other": ["A", "B"],
                                                 "touching": []}} if node == "acu" else sizes(c, node, given)))
    points = str(key_messages(ctx)).split("\n- ")
    acu = next(p for p in points if p.startswith(f"**{escape(NODE_LABEL)}**"))
    assert acu.splitlines()[1:] == [
        "  - Against sham: its one result is compatible with no difference; pain SMD \u22120.50 (1 review).",
        "  - Against waiting list: its one result is compatible with no difference (one trial).",
        "  - Against usual care: no trial result counted here; 2 reviews (each on a scale of its own)."]
    # Each comparator named once in the point.
    assert acu.count("sham") == 1


def test_a_sparse_trial_whose_interval_and_exact_test_disagree_is_unsettled_in_its_treatments_point() -> None:
    # Carlsson 2001's 16/34 against 2/16: a Wald interval through no difference beside a
    # Fisher p of 0.026. The detail calls it very imprecise; the point neither counts it
    # as favouring the treatment nor as compatible with no difference.
    ctx = context()
    single = next(r for r in ctx.analyses if r["status"] == "single_study")
    study = {**single["studies"][0], "yi": 1.325, "ci_lb": -0.02, "ci_ub": 2.67, "exact_p": 0.026,
             "events1": 16, "n1": 34, "events2": 2, "n2": 16}
    analyses = [{**r, "studies": [study]} if r is single else r for r in ctx.analyses]
    dry = _points(dataclasses.replace(ctx, analyses=analyses))[1]
    assert dry == ("**Dry needling**, in these data: against sham, its one result rests on very few events (its "
                   "exact test and approximate interval disagree; one trial).")


def test_a_head_to_head_sparse_trial_whose_interval_and_exact_test_disagree_is_unsettled() -> None:
    from metareview.report.brief import _result_clause

    ctx = context()
    r = next(x for x in ctx.analyses if x["status"] == "single_study")
    # A Wald interval through no difference beside an exact test below 0.05 (Carlsson 2001's
    # 16/34 against 2/16: RR 3.76, 0.98 to 14.44, Fisher p = 0.026).
    study = {**r["studies"][0], "yi": 1.325, "ci_lb": -0.02, "ci_ub": 2.67, "exact_p": 0.026,
             "events1": 16, "n1": 34, "events2": 2, "n2": 16}
    text = _result_clause(ctx, {**r, "studies": [study]})
    assert text.endswith("), resting on very few events (its exact test and approximate interval disagree)")
    assert "favouring" not in text


def _sham_context() -> tuple[ReportContext, dict[str, Any]]:
    ctx = _against_a_waiting_list(context(), -0.2, (-1.0, 0.6))
    return ctx, next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")


def _sham_line(external: list[dict]) -> str:
    """The box's line on acupuncture against sham, with ``external`` as the sham
    analysis's published results."""
    ctx, r = _sham_context()
    c = dataclasses.replace(ctx, analyses=[{**x, "external": external} if x is r else x for x in ctx.analyses])
    acu = next(p for p in str(key_messages(c)).split("\n- ") if p.startswith(f"**{escape(NODE_LABEL)}**"))
    return next(x for x in acu.splitlines() if x.startswith("  - Against sham:"))


def test_a_tally_of_reviews_in_the_box_carries_the_certainty_their_authors_give() -> None:
    m = _sham_context()[1]["external"][0]

    # Unrated by its authors: nothing said.
    assert _sham_line([m]).endswith("; pain SMD \u22120.50 (1 review).")
    # Rated by its authors: said beside the count, as the detail says it.
    assert _sham_line([{**m, "certainty": "low"}]).endswith(
        "; pain SMD \u22120.50 (1 review; one rated low certainty by its authors).")
    # Two reviews at two levels, the higher first; one unrated review not counted among them.
    n = {**m, "study_id": "N", "ref": "n1", "label": "Review N", "estimate": -0.3, "ci_lb": -0.5, "ci_ub": -0.1,
         "certainty": "moderate"}
    p = {**m, "study_id": "P", "ref": "p1", "label": "Review P", "estimate": -0.6, "ci_lb": -0.9, "ci_ub": -0.2}
    assert _sham_line([{**m, "certainty": "low"}, n, p]).endswith(
        "; pain SMD \u22120.60 to \u22120.30 (3 reviews; one rated moderate and one low certainty by their "
        "authors).")
    assert _sham_line([{**m, "certainty": "low"}, {**n, "certainty": "low"}]).endswith(
        "; pain SMD \u22120.50 to \u22120.30 (2 reviews; two rated low certainty by their authors).")


def test_the_evidence_point_says_harms_were_not_taken_in_as_the_limitations_do() -> None:
    # The Methods and Limitations said adverse events were not extracted; the box, all
    # some readers read, did not, and silence on harms reads as none found.
    from test_report import CONFIG

    codes = ["pain", "disability"]
    assert _evidence_point(dataclasses.replace(context(), outcome_codes=codes)).endswith(
        "; adverse events (harms) not extracted.")
    assert _evidence_point(dataclasses.replace(context(), outcome_codes=[*codes, "adverse_events"])).endswith(
        "; adverse events (harms) not analysed.")
    assert _evidence_point(context()).endswith("; adverse events (harms) not sought.")
    outcomes = {**CONFIG["outcomes"], "adverse_events": {"label": "Serious adverse events", "type": "binary"}}
    assert "adverse events" not in _evidence_point(dataclasses.replace(context(outcomes=outcomes),
                                                                       outcome_codes=[*codes, "adverse_events"]))


def test_the_evidence_point_names_trials_whose_results_are_all_after_the_last_window() -> None:
    # Thomas 2006 (weeks 52 and 104) and the Hegu trial (week 48, and p-values only) were
    # set aside "outside the window" of 1 to 12 weeks; that no window of the review takes
    # any result after week 26 was nowhere in the box.
    ctx = context()

    def late(sid: str, label: str, weeks: list[float], *other: str) -> dict[str, object]:
        span = {"kind": "outside_window", "weeks": weeks, "window": "short", "min_weeks": 1.0, "max_weeks": 12.0}
        return {"study_id": sid, "label": label, "refs": [], "reason": "",
                "reasons": [*({"reason": x} for x in other), {"reason": "outside", "timepoint": span}]}

    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    used = r["studies"][0]
    r["excluded"] = [*r["excluded"], late("T", "Thomas et al. (2006)", [52.0, 104.0]),
                     late("H", "Hegu trial (presumed Yun et al. 2012)", [48.0], "only a p-value reported"),
                     # Week 10 is inside a window (1 to 12 weeks): not after the last.
                     late("W", "Within (2020)", [10.0]),
                     # A trial used in an analysis enters one: not named.
                     late(used["study_id"], used["label"], [30.0])]
    assert after_last_window(ctx) == (
        "1 trial reports results only after the last window ends (week 12) and enters no analysis (Thomas et al., "
        "2006, at 52 and 104 weeks); 1 more trial\u2019s results after week 12 are set aside too (Hegu trial, presumed "
        "Yun et al. 2012, at 48 weeks)")
    assert _evidence_point(ctx).endswith(escape("; " + after_last_window(ctx) + "."))
    # Thomas set aside by a second analysis for another reason too: no longer "only".
    acu = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    acu["excluded"] = [*acu["excluded"], {"study_id": "T", "label": "Thomas et al. (2006)", "refs": [],
                                          "reason": "no SD", "reasons": [{"reason": "no SD"}]}]
    assert after_last_window(ctx).startswith(
        "2 trials\u2019 results after the last window ends (week 12) are set aside (Hegu trial, presumed Yun et al. "
        "2012, at 48 weeks; Thomas et al., 2006, at 52 and 104 weeks)")
    # None late: nothing said.
    assert after_last_window(context()) == ""


def test_the_box_gives_the_reviews_sizes_not_a_count_of_their_sides() -> None:
    # Counting reviews by whether each interval excludes no difference is vote counting
    # (Cochrane Handbook 12.2), of reviews that share trials: the box gives the range of
    # their SMDs, and names a result whose interval reaches no difference.
    m = _sham_context()[1]["external"][0]

    # A mean difference on a scale of its own, p = 0.05 (Lam 2013's −16.76, −33.33 to
    # −0.19): no part of the SMDs' range, named as at the edge of no difference (borderline).
    q = {**m, "study_id": "Q", "ref": "q1", "label": "Review Q (2013)", "measure": "MD", "published_measure": "MD",
         "estimate": -16.76, "ci_lb": -33.33, "ci_ub": -0.19, "p_value": 0.05}
    line = _sham_line([m, q])
    assert line.endswith("; pain SMD \u22120.50 (1 of 2 reviews; Review Q, 2013 borderline, p = 0.05)."), line
    # An SMD whose interval crosses no difference is in the range, and named too.
    x = {**m, "study_id": "X", "ref": "x1", "label": "Review X", "estimate": -0.1, "ci_lb": -0.4, "ci_ub": 0.2}
    line = _sham_line([m, x])
    assert line.endswith("; pain SMD \u22120.50 to \u22120.10 (2 reviews; Review X borderline)."), line
    for word in ("of 2 meta-analyses have", "every interval", "wholly"):
        assert word not in line, (word, line)
    # Its audit row: the range, from the lowest result to the highest, each with its row.
    from metareview.report.audit import audit_rows

    ctx, r = _sham_context()
    c = dataclasses.replace(ctx, analyses=[{**y, "external": [m, x, q]} if y is r else y for y in ctx.analyses])
    rows = {row[1]: row for row in audit_rows(c)}
    row = rows["reviews against sham giving SMDs on pain, and their range (count)"]
    assert row[3] == 2 and "SMDs from \u22120.50 (M" in row[8] and "to \u22120.10 (X" in row[8], row
    assert rows["reviews with confidence intervals against sham, whose sizes are given (count)"][3] == 3
    row = rows["reviews' results against sham at the edge of no difference (count)"]
    assert row[3] == 2 and set(row[2].split("; ")) == {"Q", "X"}, row


def test_the_box_gives_the_reviews_sizes_outcome_by_outcome() -> None:
    # Against sham in the example, "SMD −0.54 to −0.13" ran from pain's lowest SMD to
    # disability's only one: a range a reader takes for pain's. Each outcome has its own,
    # named by its short label where the config gives one, the measure once.
    ctx = _against_a_waiting_list(context(), -0.2, (-1.0, 0.6))
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    pain = [m, {**m, "study_id": "P", "ref": "p1", "label": "Review P", "estimate": -0.3, "ci_lb": -0.5, "ci_ub": -0.1}]
    disability = {**r, "external": [{**m, "study_id": "D", "ref": "d1", "label": "Review D", "estimate": -0.13,
                                     "ci_lb": -0.25, "ci_ub": -0.02}],
                  "analysis": {**r["analysis"], "id": "acu_vs_sham_dis", "outcome": "disability",
                               "outcome_label": "Back-specific disability"}}
    outcomes = {**ctx.config["outcomes"], "disability": {"label": "Back-specific disability", "short_label": "Disability",
                                                         "scale_min": 0, "scale_max": 100}}
    c = dataclasses.replace(ctx, config={**ctx.config, "outcomes": outcomes},
                            analyses=[*[{**x, "external": pain} if x is r else x for x in ctx.analyses], disability])
    acu = next(p for p in str(key_messages(c)).split("\n- ") if p.startswith(f"**{escape(NODE_LABEL)}**"))
    sham = next(x for x in acu.splitlines() if x.startswith("  - Against sham:"))
    assert sham.endswith("; pain SMD \u22120.50 to \u22120.30 (2 of 3 reviews), disability \u22120.13 (1)."), sham
    # Each traced in the audit, from its lowest result to its highest.
    from metareview.report.audit import audit_rows

    rows = {row[1]: row for row in audit_rows(c)}
    row = rows["reviews against sham giving SMDs on pain, and their range (count)"]
    assert row[3] == 2 and "SMDs from \u22120.50 (M" in row[8] and "to \u22120.30 (P" in row[8], row
    row = rows["reviews against sham giving SMDs on back-specific disability, and their range (count)"]
    assert row[3] == 1 and "SMDs from \u22120.13 (D" in row[8] and "\u201cdisability \u22120.13 (1\u201d" in row[8], row


def test_the_box_gives_a_review_s_mean_difference_on_the_analysis_s_scale() -> None:
    # Mu 2020's VAS 0-100 against usual care, rescaled to the analysis's 0 to 10: a size a
    # panel reads in points, beside the SMDs; a mean difference on a scale of its own is not.
    ctx = _against_a_waiting_list(context(), -0.2, (-1.0, 0.6))
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    md = {**m, "study_id": "U", "ref": "u1", "label": "Review U", "measure": "MD", "published_measure": "MD",
          "estimate": -1.026, "ci_lb": -1.711, "ci_ub": -0.34, "comparable": True,
          "notes": ["Visual analogue scale 0-100 mm rescaled to 0\u201310 (\u00d70.1)"]}
    own = {**md, "study_id": "V", "ref": "v1", "label": "Review V", "estimate": -16.76, "ci_lb": -33.3, "ci_ub": -8.0,
           "comparable": False, "notes": []}
    c = dataclasses.replace(ctx, analyses=[{**x, "external": [m, md, own], "analysis": {**x["analysis"], "measure": "MD"}}
                                           if x is r else x for x in ctx.analyses])
    acu = next(p for p in str(key_messages(c)).split("\n- ") if p.startswith(f"**{escape(NODE_LABEL)}**"))
    sham = next(x for x in acu.splitlines() if x.startswith("  - Against sham:"))
    assert sham.endswith("; pain SMD \u22120.50, MD \u22121.03 on 0\u201310 (2 of 3 reviews)."), sham
    # The detail below gives it too, as the analysis's line does; not the one on a scale of its own.
    from metareview.report.overview import _treatment_overview

    detail = _treatment_overview(c, "acu")
    assert "; Review U gives an MD of \u22121.03 points on the 0 to 10 scale." in detail, detail
    assert "MD of \u221216.76" not in detail
    from metareview.report.audit import audit_rows

    rows = {row[1]: row for row in audit_rows(c)}
    row = rows["reviews against sham giving MDs on the 0 to 10 scale on pain, and their range (count)"]
    assert row[3] == 1 and "MDs on the 0 to 10 scale from \u22121.03 (U" in row[8] and "rescaled" in row[8], row
    row = rows["reviews against sham giving sizes on pain (count)"]
    assert row[3] == 2 and "\u201cpain SMD \u22120.50, MD \u22121.03 on 0\u201310 (2 of 3 reviews\u201d" in row[8], row
