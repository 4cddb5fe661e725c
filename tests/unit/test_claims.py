"""Unit tests for metareview.claims: every path to a verdict."""

from __future__ import annotations

import copy
import re
from typing import Any

from metareview.claims import (
    CITED_NONE,
    CITED_NOT_IDENTIFIED,
    CITED_UNVERIFIED,
    CITED_VERIFIED,
    NOT_CHECKABLE,
    NOT_SUPPORTED,
    SUPPORTED,
    check_claim,
    check_claims,
)

NODE_OF = {"acupuncture": "acu", "electroacupuncture": "acu", "dry_needling": "dn", "sham_acupuncture": "sham",
           "usual_care": "uc", "exercise": "other"}
LABELS = {"acu": "Acupuncture", "dn": "Dry needling", "sham": "Sham", "uc": "Usual care", "other": "Other active"}


def doc(sid: str, arms: dict[str, str], values: list[tuple[str, str]] = (),
        contrasts: list[tuple[str, str, str]] = ()) -> dict[str, Any]:
    """A normalised study: arms {arm_id: node}; values (arm_id, outcome); contrasts (outcome, node1, node2)."""
    return {"study": {"study_id": sid, "label": f"{sid} et al."},
            "arms": [{"arm_id": a, "node": n} for a, n in arms.items()],
            "arm_values": [{"arm_id": a, "outcome": o} for a, o in values],
            "contrasts": [{"outcome": o, "node1": n1, "node2": n2} for o, n1, n2 in contrasts]}


def result(intervention: str, comparator: str, status: str = "pooled", ci: tuple[float, float, float] | None = None,
           outcome: str = "pain", studies: list[str] = ()) -> dict[str, Any]:
    est, lb, ub = ci if ci else (None, None, None)
    return {"analysis": {"id": f"{intervention}_vs_{comparator}", "intervention": intervention, "comparator": comparator,
                         "outcome": outcome, "measure": "SMD", "intervention_label": LABELS[intervention],
                         "comparator_label": LABELS[comparator]},
            "status": status,
            "pooled": {"estimate": est, "ci_lb": lb, "ci_ub": ub, "k": 3} if status == "pooled" else None,
            "studies": [{"label": s} for s in studies]}


def claim(**kw: Any) -> dict[str, Any]:
    base = {"claim_id": "c1", "claim": "Both work.", "quote": "Both work", "attributed_to": None,
            "attributed_study_id": None, "outcome": "pain", "treatment": "acupuncture;dry_needling",
            "comparator": None, "cointervention": None, "subgroup": None, "claimed_measure": "direction_only"}
    return {**base, **kw}


def verdict(c: dict[str, Any], studies: list[dict[str, Any]] = (), results: list[dict[str, Any]] = ()) -> dict[str, Any]:
    return check_claim(c, list(studies), list(results), node_of=NODE_OF, labels=LABELS)


STUDIES = [doc("Chen", {"a": "acu", "c": "sham"}, values=[("a", "pain"), ("c", "pain")]),
           doc("Lee", {"d": "dn", "s": "sham"}, contrasts=[("pain", "dn", "sham")])]


# --- not checkable ---------------------------------------------------------------------------------------


def test_subgroup_claim_is_not_checkable() -> None:
    v = verdict(claim(subgroup="GAD-7 >= 10", attributed_to="A 2023 study", claimed_measure="risk_ratio"),
                STUDIES, [result("acu", "sham", ci=(-0.5, -0.8, -0.2))])
    assert v["verdict"] == NOT_CHECKABLE
    assert "subgroup \u2018GAD-7 \u2265 10\u2019" in v["reason"]
    # Mid-sentence, the article that opens the citation in claims.csv is lowered; the
    # claim's own field keeps it as written.
    assert "the cited evidence, a 2023 study, is not identified" in v["reason"]
    assert (v["claim_id"], v["claim"], v["quote"], v["attributed_to"]) == ("c1", "Both work.", "Both work", "A 2023 study")


def test_a_claim_comparing_two_treatments_of_one_node_says_the_review_counts_them_as_one() -> None:
    # Acupuncture and electroacupuncture are both the "acu" node: no analysis can compare
    # them, and the reason says so rather than "no pooled analysis; no usable study".
    trial = doc("Ito", {"m": "acu", "e": "acu", "s": "sham"}, values=[("m", "pain"), ("e", "pain"), ("s", "pain")])
    for arm, (code, label) in zip(trial["arms"], [("acupuncture", "Manual acupuncture"),
                                                  ("electroacupuncture", "Electroacupuncture"),
                                                  ("sham_acupuncture", "Sham")], strict=True):
        arm.update(treatment=code, treatment_label=label)
    v = verdict(claim(treatment="electroacupuncture", comparator="acupuncture"),
                [*STUDIES, trial], [result("acu", "sham", ci=(-0.5, -0.8, -0.2))])
    assert v["verdict"] == NOT_CHECKABLE
    assert v["reason"] == ("The claim compares treatments this review counts as one, acupuncture (Electroacupuncture, "
                           "Manual acupuncture: grouped as one in the methods), so no analysis compares them; Ito et al. "
                           "compares them, its arms combined in the review's analyses.")
    # A treatment's label with brackets of its own: as commas inside the reason's, the
    # labels apart by a semicolon once one holds a comma.
    trial["arms"][1]["treatment_label"] = "Electroacupuncture (2 Hz)"
    v = verdict(claim(treatment="electroacupuncture", comparator="acupuncture"),
                [*STUDIES, trial], [result("acu", "sham", ci=(-0.5, -0.8, -0.2))])
    assert "acupuncture (Electroacupuncture, 2 Hz; Manual acupuncture: grouped as one in the methods)" in v["reason"]


def test_attributed_study_without_the_outcome_is_not_checkable() -> None:
    v = verdict(claim(outcome="sleep", treatment="acupuncture", attributed_to="Chen (2022)", attributed_study_id="Chen",
                      claimed_measure="percent_of_patients"), STUDIES)
    assert v["verdict"] == NOT_CHECKABLE
    assert v["reason"] == ("Chen et al., as transcribed, reports no sleep outcome; the claim cannot be traced to "
                           "any number in the data.")


def test_unidentified_source_with_nothing_in_the_data_is_not_checkable() -> None:
    v = verdict(claim(outcome="responder", treatment="acupuncture", attributed_to="A 2023 study",
                      claimed_measure="risk_ratio"), STUDIES)
    assert v["verdict"] == NOT_CHECKABLE
    assert ("The cited evidence, a 2023 study, is not identified, and no study in the data reports a responder "
            "outcome for acupuncture") in v["reason"]


def test_comparator_without_an_analysis_is_not_checkable() -> None:
    v = verdict(claim(outcome="other", comparator="exercise", cointervention="exercise", claimed_measure="relative_improvement"),
                STUDIES, [result("acu", "sham", ci=(-0.5, -0.8, -0.2))])
    assert v["verdict"] == NOT_CHECKABLE
    # The claim names no outcome ("other"): the reason says so instead of "on other".
    assert v["reason"] == ("No analysis in this review compares acupuncture or dry needling with other active on the "
                           "outcome claimed with exercise in both groups; the source cites no evidence for it. No trial in the data compares acupuncture or dry needling added to exercise against "
                           "exercise alone.")


def test_a_claim_that_cites_nothing_is_not_said_to_cite_something_unnamed() -> None:
    # "Dry needling delivers faster muscle relaxation": the post cites nothing for it.
    v = verdict(claim(treatment="dry_needling", outcome="other", comparator="acupuncture"), STUDIES, [])
    assert v["reason"] == ("No analysis in this review compares dry needling with acupuncture on the outcome claimed; "
                           "the source cites no evidence for it.")
    v = verdict(claim(subgroup="GAD-7 >= 10"), STUDIES, [])
    assert v["reason"].endswith("\u2018GAD-7 \u2265 10\u2019; the source cites no evidence for it.")
    # A named but unidentified citation is still named.
    v = verdict(claim(subgroup="s", attributed_to="A 2023 study"), STUDIES, [])
    assert v["reason"].endswith("; the cited evidence, a 2023 study, is not identified.")
    # Only an opening article: a title or a journal's name keeps its capitals.
    for cited, said in (("The Lancet 2020 review", "the Lancet 2020 review"), ("JOSPT 2023", "JOSPT 2023"),
                        ("Anderson et al. (2019)", "Anderson et al. (2019)"), ("An NMA", "an NMA")):
        v = verdict(claim(subgroup="s", attributed_to=cited), STUDIES, [])
        assert v["reason"].endswith(f"; the cited evidence, {said}, is not identified."), cited


def test_an_add_on_claim_names_the_trials_of_its_design() -> None:
    # "Dry needling or acupuncture added to exercise ... over exercise alone": Hunter 2012
    # (auricular acupuncture + exercise vs exercise, disability) and Yeung 2003 (statements
    # only) are of that design; a trial with exercise in both arms (vs sham + exercise) is not.
    def arm(arm_id: str, node: str, treatment: str, co: str | None = None) -> dict[str, Any]:
        return {"arm_id": arm_id, "node": node, "treatment": treatment, "cointervention": co}

    hunter = {**doc("Hunter", {}, values=[("aa", "disability"), ("ex", "disability"), ("aa", "pain"), ("ex", "pain")]),
              "arms": [arm("aa", "acu", "auricular_acupuncture", "exercise"), arm("ex", "other", "exercise")]}
    yeung = {**doc("Yeung", {}), "arms": [arm("ea", "acu", "electroacupuncture", "exercise"), arm("ex", "other", "exercise")],
             "statements": [{"arm1": "ea", "arm2": "ex", "outcome": "pain"}]}
    martin = {**doc("Martin", {}, contrasts=[("pain", "dn", "sham")]),
              "arms": [arm("dn", "dn", "dry_needling", "exercise"), arm("sh", "sham", "sham_dry_needling", "exercise")]}
    v = verdict(claim(outcome="other", comparator="exercise", cointervention="exercise", attributed_to="JOSPT 2023",
                      claimed_measure="relative_improvement"), [*STUDIES, hunter, yeung, martin])
    assert v["verdict"] == NOT_CHECKABLE
    assert v["reason"].endswith("Trials in the data that compare acupuncture or dry needling added to exercise against "
                                "exercise alone: Hunter et al., reporting disability and pain; Yeung et al., reporting "
                                "statements without numbers only.")
    # What each reports after a comma: in brackets after a label's own ("Hunter et al.
    # (2012) (back-specific disability)"), two brackets read as one label's.
    assert "(" not in v["reason"]


def test_a_claim_naming_no_outcome_is_described_in_words() -> None:
    v = verdict(claim(outcome="other", treatment="acupuncture", attributed_to="A 2023 study",
                      claimed_measure="relative_improvement"), STUDIES)
    assert v["reason"] == ("The cited evidence, a 2023 study, is not identified, and the claim names no outcome or "
                           "scale that a number in the data could test.")
    v = verdict(claim(outcome="other", treatment="acupuncture", attributed_to="Chen (2022)", attributed_study_id="Chen",
                      claimed_measure="percent_of_patients"), STUDIES)
    assert v["reason"].startswith("Chen et al., as transcribed, reports no outcome of the kind claimed;")


def test_quantitative_claim_is_not_checkable_even_with_related_data() -> None:
    v = verdict(claim(treatment="acupuncture", claimed_measure="percent_reduction"), STUDIES,
                [result("acu", "sham", ci=(-0.5, -0.8, -0.2))])
    assert v["verdict"] == NOT_CHECKABLE
    assert v["reason"] == ("A claimed percent reduction is not tested here: the data hold related results, but only "
                           "claims of a direction or of a mean difference are checked against them.")
    v = verdict(claim(treatment="acupuncture", outcome="disability", claimed_measure="percent_reduction"), STUDIES)
    assert v["reason"] == "No study in the data reports a disability outcome for acupuncture."


def test_a_claimed_percentage_of_patients_is_given_beside_the_cited_trials_own() -> None:
    # "60% of exercisers responded", citing a trial with 25 of 42 responders in its
    # acupuncture arm at week 12 (25/42 = 59.5%) and 15 of 43 in its sham arm: the
    # verdict stays not checkable, but the reason gives the trial's share beside the claim.
    trial = doc("Berg", {"a": "acu", "c": "sham"}, values=[("a", "responder"), ("c", "responder")])
    for arm, (code, label) in zip(trial["arms"], [("acupuncture", "Acupuncture"), ("sham_acupuncture", "Sham")],
                                  strict=True):
        arm.update(treatment=code, treatment_label=label)
    for v, (events, n) in zip(trial["arm_values"], [(25, 42), (15, 43)], strict=True):
        v.update(events=events, n=n, timepoint_weeks=12.0)
    v = verdict(claim(treatment="acupuncture", outcome="responder", claimed_measure="percent_of_patients",
                      claimed_value=60, attributed_to="Berg (2020)", attributed_study_id="Berg"),
                [*STUDIES, trial], [result("acu", "sham", ci=(0.4, 0.1, 0.7), outcome="responder")])
    assert v["verdict"] == NOT_CHECKABLE
    assert v["reason"] == ("A claimed percent of patients is not tested here: the data hold related results, but "
                           "only claims of a direction or of a mean difference are checked against them; Berg et al. "
                           "reports 25 of 42 (59.5%) in its acupuncture arm at week 12, beside the claimed 60.")


def test_direction_without_pooled_analysis_is_not_checkable() -> None:
    results = [result("acu", "sham", ci=(-0.5, -0.8, -0.2)),
               result("dn", "sham", status="single_study", studies=["Lee et al."])]
    v = verdict(claim(), STUDIES, results)
    assert v["verdict"] == NOT_CHECKABLE
    # One study against a comparator, not one in all: the review may have more of it
    # against others.
    assert "Dry needling: no pooled analysis; only one usable study on pain against a comparator (Lee et al.)" in v["reason"]
    results[1]["studies"] = [{"label": "Lee et al."}, {"label": "Kim et al."}]
    assert "Dry needling: no pooled analysis; only single usable studies on pain against a comparator (Kim et al., Lee et al.)" in \
        verdict(claim(), STUDIES, results)["reason"]
    # With the controls known, what it is one of is a control, said once; with a comparator
    # claimed, that comparator.
    v = check_claim(claim(), STUDIES, results[:1] + [result("dn", "sham", status="single_study", studies=["Lee et al."])],
                    node_of=NODE_OF, labels=LABELS, controls=["sham"])
    assert "Dry needling: no pooled analysis against a control, only one usable study on pain (Lee et al.)" in v["reason"]
    v = verdict(claim(treatment="dry_needling", comparator="sham_acupuncture"), STUDIES,
                [result("dn", "sham", status="single_study", studies=["Lee et al."])])
    assert v["reason"].startswith("Dry needling: no pooled analysis; only one usable study on pain against sham (Lee et al.)")
    # Labels with years of their own, inside the brackets: the years set off by commas,
    # the studies then parted by semicolons ("(Kim et al., 2001, Lee et al., 2002)" read
    # as four).
    results[1]["studies"] = [{"label": "Lee et al. (2002)"}, {"label": "Kim et al. (2001)"}]
    assert "only single usable studies on pain against a comparator (Kim et al., 2001; Lee et al., 2002)." in verdict(claim(), STUDIES, results)["reason"]


def test_a_single_study_is_said_to_be_the_claims_outcomes_and_other_outcomes_are_named() -> None:
    # "Both work" is a claim about pain: "only one study (Brinkhaus)" read as all the data
    # hold of acupuncture against a control, where other trials report responders or
    # disability. The outcome is named, and the others' analyses pointed to.
    results = [result("acu", "sham", status="single_study", studies=["Brinkhaus et al."]),
               result("acu", "sham", ci=(-0.3, -0.6, 0.1), outcome="disability", studies=["Kwon", "Cherkin"]),
               result("acu", "uc", status="single_study", studies=["Haake et al."], outcome="responder"),
               result("acu", "uc", status="no_studies", studies=[], outcome="sleep")]
    results[0]["analysis"]["outcome_label"] = "Pain intensity"
    results[1]["analysis"]["outcome_label"] = "Back-specific disability"
    v = verdict(claim(), STUDIES, results)
    assert v["reason"].startswith(
        "Acupuncture: no pooled analysis; only one usable study on pain intensity against a comparator (Brinkhaus et "
        "al.); other outcomes, which the claim is not about, have analyses of their own (back-specific disability "
        "and responder).")
    # None: nothing said.
    assert "other outcomes" not in verdict(claim(), STUDIES, results[:1])["reason"]


def test_single_trials_say_what_their_intervals_show_without_settling_the_claim() -> None:
    # "Both work": acupuncture's only trial is clear against no treatment and not against
    # sham. The reader needs that split; one trial still settles nothing.
    results = [result("acu", "sham", status="single_study", studies=["Brinkhaus et al."]),
               result("acu", "uc", status="single_study", studies=["Brinkhaus et al."]),
               result("dn", "sham", status="single_study", studies=["Lee et al."])]
    for r, ci in zip(results, ((-0.5, -1.4, 0.4), (-2.2, -3.0, -1.4), (0.9, 0.3, 1.5)), strict=True):
        r["studies"][0].update(study_id=r["studies"][0]["label"], yi=ci[0], ci_lb=ci[1], ci_ub=ci[2])
    v = verdict(claim(), STUDIES, results)
    assert v["verdict"] == NOT_CHECKABLE
    assert v["reason"] == (
        "Acupuncture: no pooled analysis; only one usable study on pain against a comparator (Brinkhaus et al.); single trials settle no claim here, but "
        "their intervals show: against sham (pain), Brinkhaus et al.: compatible with no difference; against usual "
        "care (pain), Brinkhaus et al.: wholly on acupuncture's side. Dry needling: no pooled analysis; only one "
        "usable study on pain against a comparator (Lee et al.); single trials settle no claim here, but their intervals show: against sham (pain), "
        "Lee et al.: wholly on sham's side.")


def test_a_single_trial_of_an_analysis_the_other_way_round_is_read_from_the_treatments_side() -> None:
    # "Dry needling beats sham", against an analysis of sham vs dry needling whose only trial
    # has SMD -0.9 (-1.5 to -0.3): below 0 favours sham, its intervention, so the interval
    # lies wholly on Sham's side, not Dry needling's.
    r = result("sham", "dn", status="single_study", studies=["Lee et al."])
    r["studies"][0].update(study_id="Lee", yi=-0.9, ci_lb=-1.5, ci_ub=-0.3)
    v = verdict(claim(treatment="dry_needling", comparator="sham_acupuncture"), STUDIES, [r])
    assert v["verdict"] == NOT_CHECKABLE
    assert "against sham (pain), Lee et al.: wholly on sham's side" in v["reason"]


def test_a_study_from_the_claims_own_source_cannot_check_it() -> None:
    # The seed post's "both work" against its own untraceable rows (Chen 2022, Liu & Park
    # 2021): those rows are named as the source's own, not offered as evidence for it.
    studies = [{**d, "study": {**d["study"], "source_id": "post" if d["study"]["study_id"] == "Chen" else "journal"}}
               for d in STUDIES]
    results = [result("acu", "sham", status="single_study", studies=["Chen et al.", "Brinkhaus et al."]),
               result("dn", "sham", status="single_study", studies=["Lee et al."])]
    for r, ids in zip(results, (["Chen", "Brinkhaus"], ["Lee"]), strict=True):
        for st, sid in zip(r["studies"], ids, strict=True):
            st["study_id"] = sid
    v = verdict(claim(source_id="post"), studies, results)
    assert v["verdict"] == NOT_CHECKABLE
    assert v["reason"] == ("Acupuncture: no pooled analysis; only one usable study on pain against a comparator (Brinkhaus et "
                           "al.); Chen et al. comes from the claim's own source and cannot check it. Dry needling: no "
                           "pooled analysis; only one usable study on pain against a comparator (Lee et al.).")
    results[0]["studies"] = results[0]["studies"][:1]
    v = verdict(claim(source_id="post"), studies, results)
    assert v["reason"].startswith("Acupuncture: no pooled analysis; Chen et al. comes from the claim's own source and "
                                  "cannot check it.")
    v = verdict(claim(treatment="dry_needling"), STUDIES, [])
    assert v["verdict"] == NOT_CHECKABLE
    assert v["reason"] == "Dry needling: no pooled analysis; no usable study."


# --- supported / not supported ---------------------------------------------------------------------------


def test_supported_when_every_treatment_has_a_favourable_pooled_interval() -> None:
    results = [result("acu", "sham", ci=(-0.5, -0.8, -0.2)), result("dn", "sham", ci=(-0.61, -1.07, -0.154)),
               result("acu", "sham", ci=(-0.5, -0.8, -0.2), outcome="disability")]
    v = verdict(claim(), STUDIES, results)
    assert v["verdict"] == SUPPORTED
    assert v["reason"] == ("Acupuncture: vs sham, SMD \u22120.50, 95% CI \u22120.80 to \u22120.20, k = 3. "
                           "Dry needling: vs sham, SMD \u22120.61, 95% CI \u22121.07 to \u22120.15, k = 3.")


def test_an_interval_holding_the_claim_and_no_difference_is_not_checkable_and_says_why() -> None:
    # An interval that holds an effect in the claim's favour and no difference alike neither
    # bears the claim out nor counts against it: "not supported" read as evidence against.
    results = [result("acu", "sham", ci=(-0.5, -0.8, -0.2)), result("dn", "sham", ci=(-0.3, -0.7, 0.1))]
    v = verdict(claim(), STUDIES, results)
    assert v["verdict"] == NOT_CHECKABLE
    assert v["reason"].endswith(
        "Dry needling: no pooled analysis has a confidence interval wholly on one side of no difference (vs sham, "
        "SMD \u22120.30, 95% CI \u22120.70 to 0.10, k = 3); the interval holds an effect in its favour and no "
        "difference alike: too imprecise to show the claim, not evidence against it.")
    # The summary's clause keeps why: "no pooled interval lies wholly in its favour" alone
    # read as evidence against the claim.
    assert v["short_reason"] == (
        "on pain, for acupuncture, a pooled interval lies wholly in its favour against sham; for dry needling, the "
        "pooled interval against sham holds an effect in its favour and no difference alike: too imprecise to show "
        "the claim, not evidence against it")
    # Leaning the other way, or two leaning opposite ways: each interval still holds an
    # effect in its favour, and none counts against it.
    v = verdict(claim(), STUDIES, [results[0], result("dn", "sham", ci=(0.3, -0.1, 0.7))])
    assert v["verdict"] == NOT_CHECKABLE and "too imprecise" in v["reason"]
    v = verdict(claim(), STUDIES, [results[0], result("dn", "sham", ci=(0.3, -0.1, 0.7)),
                                   result("dn", "uc", ci=(-0.2, -0.5, 0.1))])
    assert v["verdict"] == NOT_CHECKABLE
    assert v["short_reason"].endswith("for dry needling, the pooled intervals against sham and usual care each hold "
                                      "an effect in its favour and no difference alike: too imprecise to show the "
                                      "claim, not evidence against it")
    # One interval leaning its way, another wholly against it: that one is evidence.
    v = verdict(claim(), STUDIES, [results[0], result("dn", "sham", ci=(0.5, 0.2, 0.8)),
                                   result("dn", "uc", ci=(-0.2, -0.5, 0.1))])
    assert v["verdict"] == NOT_SUPPORTED and "too imprecise" not in v["reason"]
    assert v["short_reason"].endswith("for dry needling, no pooled interval lies wholly in its favour, and the "
                                      "interval against sham lies wholly on the comparator's side")


def test_one_interval_gets_one_verdict_whether_the_claim_is_of_a_direction_or_a_size() -> None:
    # Two trials of dry needling against acupuncture pooled on 1 df: MD -0.84 (-5.03 to
    # 3.35). "Dry needling relieves pain more" was "not supported" and "lowers pain by 1
    # point more" "not checkable", from the same interval holding both claims and no
    # difference. Both are not checkable, each saying why in its short reason as in its full one.
    pooled = result("dn", "acu", ci=(-0.84, -5.03, 3.35))
    pooled["analysis"] = {**pooled["analysis"], "measure": "MD"}
    pooled["pooled"]["k"] = 2
    direction = verdict(claim(treatment="dry_needling", comparator="acupuncture"), STUDIES, [pooled])
    size = verdict(claim(treatment="dry_needling", comparator="acupuncture", claimed_measure="mean_difference",
                         claimed_value=-1.0), STUDIES, [pooled])
    assert direction["verdict"] == size["verdict"] == NOT_CHECKABLE
    imprecise = "too imprecise to show the claim, not evidence against it"
    for v in (direction, size):
        assert imprecise in v["reason"] and v["short_reason"].endswith(imprecise)
    assert size["short_reason"] == ("the pooled interval (MD \u22120.84, 95% CI \u22125.03 to 3.35, k = 2) holds the "
                                    "claimed difference and no difference alike: too imprecise to show the claim, "
                                    "not evidence against it")
    # The analysis the other way round (acupuncture vs dry needling): the same verdicts.
    turned = {**pooled, "analysis": {**pooled["analysis"], "intervention": "acu", "comparator": "dn"},
              "pooled": {**pooled["pooled"], "estimate": 0.84, "ci_lb": -3.35, "ci_ub": 5.03}}
    assert verdict(claim(treatment="dry_needling", comparator="acupuncture"), STUDIES,
                   [turned])["verdict"] == NOT_CHECKABLE
    # Wholly against the claim, both are not supported: an interval that excludes it.
    against = {**pooled, "pooled": {**pooled["pooled"], "estimate": 1.5, "ci_lb": 0.5, "ci_ub": 2.5}}
    assert verdict(claim(treatment="dry_needling", comparator="acupuncture"), STUDIES,
                   [against])["verdict"] == NOT_SUPPORTED
    assert verdict(claim(treatment="dry_needling", comparator="acupuncture", claimed_measure="mean_difference",
                         claimed_value=-1.0), STUDIES, [against])["verdict"] == NOT_SUPPORTED


def test_not_supported_when_the_interval_points_the_other_way() -> None:
    v = verdict(claim(treatment="dry_needling"), STUDIES, [result("dn", "sham", ci=(0.6, 0.2, 1.0))])
    assert v["verdict"] == NOT_SUPPORTED
    # This interval lies wholly on the comparator's side: the reason does not call it one in
    # the claim's favour, and says it counts against it.
    assert v["reason"] == ("Dry needling: no pooled analysis has a confidence interval wholly in its favour "
                           "(vs sham, SMD 0.60, 95% CI 0.20 to 1.00, k = 3); the interval against sham lies wholly "
                           "on the comparator's side.")


def test_one_favourable_comparator_is_enough_without_a_named_comparator() -> None:
    results = [result("acu", "sham", ci=(-0.1, -0.4, 0.2)), result("acu", "uc", ci=(-0.6, -0.9, -0.3))]
    assert verdict(claim(treatment="acupuncture"), STUDIES, results)["verdict"] == SUPPORTED


def test_without_a_named_comparator_only_controls_check_a_claim() -> None:
    # "Both work": dry needling no better than acupuncture, or than another active
    # treatment, says nothing about whether it works.
    not_better = [result("dn", "acu", ci=(-0.6, -3.7, 2.5)), result("dn", "other", ci=(0.1, -0.3, 0.5)),
                  result("acu", "sham", ci=(-0.5, -0.8, -0.2))]
    v = check_claim(claim(), [], not_better, node_of=NODE_OF, labels=LABELS, controls=["sham", "uc"])
    assert v["verdict"] == NOT_CHECKABLE
    assert "Dry needling: no pooled analysis against a control" in v["reason"]
    assert "Acupuncture (vs" not in v["reason"] and "Other active" not in v["reason"]
    # Against a control, an interval wholly on the control's side leaves the claim
    # unsupported; one that holds no difference too, not checkable.
    v = check_claim(claim(), [], [*not_better, result("dn", "uc", ci=(0.4, 0.1, 0.7))],
                    node_of=NODE_OF, labels=LABELS, controls=["sham", "uc"])
    assert v["verdict"] == NOT_SUPPORTED and "usual care" in v["reason"]
    v = check_claim(claim(), [], [*not_better, result("dn", "uc", ci=(-0.2, -0.6, 0.2))],
                    node_of=NODE_OF, labels=LABELS, controls=["sham", "uc"])
    assert v["verdict"] == NOT_CHECKABLE and "vs usual care" in v["reason"]
    # A study against a control its source does not name is named, and why it cannot check it.
    blog = result("dn", "uc", status="single_study", studies=["Liu & Park (2021)"])
    blog["analysis"] = {**blog["analysis"], "comparator": "unnamed_control", "comparator_label": "Control not named"}
    v = check_claim(claim(), [], [*not_better, blog], node_of=NODE_OF, labels=LABELS, controls=["sham", "uc"])
    assert ("Dry needling: no pooled analysis against a control; no usable study; against a control its source does "
            "not name, which cannot show whether a treatment works: Liu & Park (2021)") in v["reason"]
    # The short reason, which the summary prints, names it too: "no usable trial against a
    # sham or control" read as if the report had no trial of it at all.
    assert v["short_reason"].endswith("for dry needling, no analysis here compares it with a named sham or control (Liu & "
                                      "Park, 2021, against a control its source does not name, cannot show whether "
                                      "dry needling works)")
    assert v["verdict"] == NOT_CHECKABLE
    # Without the controls known, the claim's own other treatment still never counts.
    v = verdict(claim(), [], not_better)
    assert "Acupuncture" not in v["reason"].split("Dry needling:")[1]


def test_a_direction_claim_whose_citation_matches_no_study_says_what_it_cites() -> None:
    # The summary counts "both work" among the claims whose cited evidence is not
    # identified (it cites the post's evidence table, no one study): its reason says so,
    # or the count cannot be followed from the claims table.
    results = [result("dn", "sham", status="no_studies"), result("acu", "sham", ci=(-0.5, -0.8, -0.2))]
    cited = claim(attributed_to="The post's evidence table")
    v = check_claim(cited, [], results, node_of=NODE_OF, labels=LABELS, controls=["sham", "uc"])
    assert v["reason"].endswith(" It cites the post's evidence table, which is matched to no study in the data, so "
                                "its cited evidence is counted as not identified.")
    # A claim that cites nothing is not said to cite something.
    v = check_claim(claim(), [], results, node_of=NODE_OF, labels=LABELS, controls=["sham", "uc"])
    assert " It cites " not in v["reason"]


def test_a_trial_against_an_unnamed_control_from_the_claims_own_source_is_said_to_be_so() -> None:
    # The blog post's "both work" rests on its own table's trials (Chen 2022, Liu & Park
    # 2021), known only from the post: the reason named them as trials against an unnamed
    # control, and not as the claim's own evidence, which could not confirm it anyway.
    blog = [{**doc(sid, {"a": "dn", "c": "uc"}), "study": {"study_id": sid, "label": f"{sid} et al.",
                                                           "source_id": "blog"}} for sid in ("Liu", "Chen")]
    other = {**doc("Kim", {"a": "dn", "c": "uc"}), "study": {"study_id": "Kim", "label": "Kim et al.",
                                                           "source_id": "journal"}}

    def unnamed(*sids: str) -> dict[str, Any]:
        r = result("dn", "uc", status="single_study", studies=[f"{sid} et al." for sid in sids])
        r["studies"] = [{**s, "study_id": sid} for s, sid in zip(r["studies"], sids, strict=True)]
        r["analysis"] = {**r["analysis"], "comparator": "unnamed_control", "comparator_label": "Control not named"}
        return r

    def reason(*sids: str) -> str:
        return check_claim(claim(source_id="blog", treatment="dry_needling"), [*blog, other], [unnamed(*sids)],
                           node_of=NODE_OF, labels=LABELS, controls=["sham", "uc"])["reason"]

    assert reason("Liu").endswith("which cannot show whether a treatment works: Liu et al., which also comes from "
                                  "the claim's own source.")
    assert reason("Liu", "Chen").endswith("works: Chen et al., Liu et al., which also come from the claim's own "
                                          "source.")
    assert reason("Liu", "Kim").endswith("works: Kim et al., Liu et al.; of these, Liu et al. comes from the "
                                         "claim's own source.")
    assert "own source" not in reason("Kim")


def test_published_reviews_are_counted_in_the_reason_but_settle_nothing() -> None:
    def review(sid: str, lb: float, ub: float, **kw: Any) -> dict[str, Any]:
        return {"study_id": sid, "label": sid, "measure": "SMD", "ci_lb": lb, "ci_ub": ub, **kw}

    single = result("acu", "sham", status="single_study", studies=["Trial A"])
    single["studies"] = [{"label": "Trial A", "study_id": "A", "yi": -0.2, "ci_lb": -0.6, "ci_ub": 0.2}]
    single["external"] = [review("R1", -0.6, -0.2), review("R1", -0.5, -0.1),  # one review, two results
                          review("R2", -0.4, 0.1),
                          review("R3", -0.9, -0.3, source_level="secondary"),  # a blog's citation
                          review("R4", -0.9, -0.3, outside_window=True),
                          review("R5", None, None),
                          review("R6", -0.9, -0.3, population_fit="broader"),  # back and neck pain
                          review("R7", -0.9, -0.3, population_fit="different"),
                          review("R8", -0.9, -0.3, population_fit="narrower")]  # counted: the review's own
    v = check_claim(claim(treatment="acupuncture"), [], [single], node_of=NODE_OF, labels=LABELS,
                    controls=["sham"])
    assert v["verdict"] == NOT_CHECKABLE
    assert ("published meta-analyses, which settle no claim here: of 3 reviews that give a confidence interval, "
            "2 have every one wholly on acupuncture's side (see the published meta-analyses; not counted: 4 more "
            "reviews with an interval, known only from a secondary source, of a broader or another "
            "population, or outside the window: R3; R4; R6; R7)") in v["reason"]
    # One level of brackets: the reviews not counted named after a colon, not in brackets
    # inside the reason's own.
    assert "(R3" not in v["reason"]
    # Only the reasons that apply: none of these reviews was read in another document.
    assert "read only in another document" not in v["reason"]
    # A treatment whose name is a proper name keeps its capital beside reviews not counted.
    v = check_claim(claim(treatment="acupuncture"), [], [single], node_of=NODE_OF, labels=LABELS,
                    controls=["sham"], names={"Acupuncture"})
    assert "2 have every one wholly on Acupuncture's side" in v["reason"]
    # A review with one result counted and another left out is counted, not "not counted".
    single["external"] = [review("R1", -0.6, -0.2), review("R1", -0.9, -0.3, outside_window=True)]
    v = check_claim(claim(treatment="acupuncture"), [], [single], node_of=NODE_OF, labels=LABELS,
                    controls=["sham"])
    assert "of 1 review that gives a confidence interval, 1 has every one" in v["reason"]
    assert "not counted" not in v["reason"]
    # Beside a review not counted, the reasons are its own, not the counted review's.
    single["external"] = [review("R1", -0.6, -0.2), review("R1", -0.9, -0.3, outside_window=True),
                          review("R6", -0.9, -0.3, population_fit="broader")]
    v = check_claim(claim(treatment="acupuncture"), [], [single], node_of=NODE_OF, labels=LABELS,
                    controls=["sham"])
    assert "not counted: 1 more review with an interval, of a broader or another population: R6)" in v["reason"]
    # Every review set aside: said, not silent.
    single["external"] = [review("R3", -0.9, -0.3, source_level="secondary")]
    v = check_claim(claim(treatment="acupuncture"), [], [single], node_of=NODE_OF, labels=LABELS,
                    controls=["sham"])
    assert ("published meta-analyses: none counted (see the published meta-analyses; 1 review with an interval, "
            "known only from a secondary source: R3)") in v["reason"]


def test_the_reviews_a_reason_counts_are_recorded_with_the_rows_of_their_results() -> None:
    # The audit trail names the raw rows behind "of 2 reviews ..., 1 has every one wholly
    # on acupuncture's side; not counted: 2 more reviews": recorded beside the reason, not
    # read back from its words.
    def review(sid: str, ref: str, lb: float | None, ub: float | None, **kw: Any) -> dict[str, Any]:
        return {"study_id": sid, "label": sid, "measure": "SMD", "ci_lb": lb, "ci_ub": ub, "ref": ref, **kw}

    single = result("acu", "sham", status="single_study", studies=["Trial A"])
    single["studies"] = [{"label": "Trial A", "study_id": "A", "yi": -0.2, "ci_lb": -0.6, "ci_ub": 0.2}]
    single["external"] = [review("R1", "contrasts.csv:R1#1", -0.6, -0.2), review("R1", "contrasts.csv:R1#2", -0.5, -0.1),
                          review("R1", "contrasts.csv:R1#3", -0.9, -0.3, outside_window=True),  # its other result
                          review("R2", "contrasts.csv:R2#1", -0.4, 0.1),
                          review("R3", "contrasts.csv:R3#1", -0.9, -0.3, source_level="secondary"),
                          review("R3", "contrasts.csv:R3#2", -0.9, -0.3, population_fit="broader"),
                          review("R5", "contrasts.csv:R5#1", None, None),  # no interval: neither
                          review("R6", "contrasts.csv:R6#1", -0.9, -0.3, population_fit="different")]
    # Shown by a second analysis too (the same review's result twice): one row, once.
    twice = {**single, "analysis": {**single["analysis"], "id": "acu_vs_sham_2"}}
    v = check_claim(claim(treatment="acupuncture"), [], [single, twice], node_of=NODE_OF, labels=LABELS,
                    controls=["sham"])
    assert "of 2 reviews that give a confidence interval, 1 has every one wholly" in v["reason"]
    assert "not counted: 2 more reviews with an interval" in v["reason"]
    assert v["published_reviews"] == [{
        "node": "acu", "label": "Acupuncture",
        "counted": [{"study_id": "R1", "refs": ["contrasts.csv:R1#1", "contrasts.csv:R1#2"], "wholly": True},
                    {"study_id": "R2", "refs": ["contrasts.csv:R2#1"], "wholly": False}],
        "not_counted": [{"study_id": "R3", "refs": ["contrasts.csv:R3#1", "contrasts.csv:R3#2"],
                         "reasons": ["known only from a secondary source", "of a broader or another population"]},
                        {"study_id": "R6", "refs": ["contrasts.csv:R6#1"],
                         "reasons": ["of a broader or another population"]}]}]
    # A reason that counts no review records none.
    single["external"] = []
    v = check_claim(claim(treatment="acupuncture"), [], [single], node_of=NODE_OF, labels=LABELS, controls=["sham"])
    assert "published_reviews" not in v


def test_an_interval_in_a_reason_is_labelled_at_its_level_and_opens_no_bracket() -> None:
    # The reasons name their intervals inside brackets of their own: "(vs sham, SMD -0.37
    # (-1.70 to 0.96), k = 2)" nested one bracket in another. Each is labelled at the
    # configured level instead, as the report's prose labels intervals.
    at90 = result("dn", "sham", ci=(-0.37, -1.70, 0.96))
    at90["pooled"] = {**at90["pooled"], "level": 90.0, "k": 2}
    v = verdict(claim(treatment="dry_needling"), STUDIES, [at90])
    assert v["reason"] == ("Dry needling: no pooled analysis has a confidence interval wholly on one side of no "
                           "difference (vs sham, SMD \u22120.37, 90% CI \u22121.70 to 0.96, k = 2); the interval holds "
                           "an effect in its favour and no difference alike: too imprecise to show the claim, not "
                           "evidence against it.")
    # A single trial's interval, at the analysis's level (no pooled estimate to give one).
    one = result("acu", "uc", status="single_study") | {"level": 99.0}
    one["analysis"] = {**one["analysis"], "measure": "MD"}
    one["studies"] = [{"study_id": "B", "label": "Brinkhaus et al. (2006)", "yi": -0.51, "ci_lb": -1.39, "ci_ub": 0.37}]
    v = verdict(claim(treatment="acupuncture", comparator="usual_care", claimed_measure="mean_difference",
                      claimed_value=-2.3), STUDIES, [one])
    assert ("(Acupuncture vs Usual care: MD \u22120.51, 99% CI \u22121.39 to 0.37; Brinkhaus et al., 2006, the "
            "analysis's only trial)") in v["reason"]
    assert v["reason"].count("(") == v["reason"].count(")") == 1


def test_a_treatment_s_or_outcome_s_own_brackets_read_as_commas_inside_a_reason_s() -> None:
    # Labels with brackets of their own ("Sham (minimal)", "Pain (0 to 10)") inside the
    # reasons' brackets nested one bracket in another: "(vs sham (minimal), SMD ...)",
    # "against sham (pain (0 to 10))", "(Acupuncture (manual) vs Usual care: MD ...)".
    labels = {**LABELS, "acu": "Acupuncture (manual)", "sham": "Sham (minimal)"}

    def relabelled(r: dict[str, Any], **extra: str) -> dict[str, Any]:
        a = r["analysis"]
        return {**r, "analysis": {**a, "intervention_label": labels[a["intervention"]],
                                  "comparator_label": labels[a["comparator"]], **extra}}

    pooled = relabelled(result("acu", "sham", ci=(-0.37, -1.70, 0.96)))
    single = relabelled(result("dn", "sham", status="single_study", studies=["Lee et al. (2002)"]),
                        outcome_label="Pain (0 to 10)")
    single["studies"][0].update(study_id="Lee", yi=0.9, ci_lb=0.3, ci_ub=1.5)
    v = check_claim(claim(), STUDIES, [pooled, single], node_of=NODE_OF, labels=labels, controls=["sham"])
    assert ("Acupuncture (manual): no pooled analysis has a confidence interval wholly on one side of no difference "
            "(vs sham, minimal, SMD \u22120.37, 95% CI \u22121.70 to 0.96, k = 3)") in v["reason"]
    assert "against sham (minimal) (pain, 0 to 10), Lee et al. (2002): wholly on sham (minimal)'s side" in v["reason"]
    # Where the comparator stands outside brackets, it keeps its own.
    supported = relabelled(result("acu", "sham", ci=(-0.5, -0.8, -0.2)))
    v = check_claim(claim(treatment="acupuncture"), STUDIES, [supported], node_of=NODE_OF, labels=labels,
                    controls=["sham"])
    assert v["reason"] == ("Acupuncture (manual): vs sham (minimal), SMD \u22120.50, 95% CI \u22120.80 to "
                           "\u22120.20, k = 3.")
    # A claimed mean difference: both labels inside the verdict's brackets.
    md = relabelled(result("acu", "uc", ci=(-1.19, -1.92, -0.46)))
    md["analysis"]["measure"] = "MD"
    v = check_claim(claim(treatment="acupuncture", comparator="usual_care", claimed_measure="mean_difference",
                          claimed_value=-1.5), STUDIES, [md], node_of=NODE_OF, labels=labels)
    assert v["reason"].endswith("(Acupuncture, manual vs Usual care: MD \u22121.19, 95% CI \u22121.92 to "
                                "\u22120.46, k = 3).")


def test_a_claimed_mean_difference_is_checked_against_a_pooled_md() -> None:
    def md(ci: tuple[float, float, float]) -> dict[str, Any]:
        r = result("acu", "uc", ci=ci)
        r["analysis"] = {**r["analysis"], "measure": "MD"}
        return r

    def claimed(value: float, comparator: str = "usual_care") -> dict[str, Any]:
        return claim(treatment="acupuncture", comparator=comparator, claimed_measure="mean_difference",
                     claimed_value=value)

    pooled = md((-1.19, -1.92, -0.46))
    v = verdict(claimed(-1.5), STUDIES, [pooled])
    assert v["verdict"] == SUPPORTED
    assert v["reason"] == ("Read on the outcome's common scale: the pooled interval holds the claimed difference of "
                           "\u22121.50 (Acupuncture vs Usual care: MD \u22121.19, 95% CI \u22121.92 to \u22120.46, k = 3).")
    assert verdict(claimed(-2.0), STUDIES, [pooled])["verdict"] == NOT_SUPPORTED
    # Imprecise: holds the claim and no difference alike, and says it is no evidence against it.
    v = verdict(claimed(-0.5), STUDIES, [md((-0.5, -1.2, 0.2))])
    assert v["verdict"] == NOT_CHECKABLE
    assert v["reason"].endswith("holds the claimed difference of \u22120.50 and no difference alike (Acupuncture vs "
                                "Usual care: MD \u22120.50, 95% CI \u22121.20 to 0.20, k = 3): too imprecise to show "
                                "the claim, not evidence against it.")
    # The analysis the other way round (usual care vs acupuncture) is turned.
    turned = result("uc", "acu", ci=(1.19, 0.46, 1.92))
    turned["analysis"] = {**turned["analysis"], "measure": "MD"}
    assert verdict(claimed(-1.5), STUDIES, [turned])["verdict"] == SUPPORTED
    # No pooled MD of the pair: not checkable, as before.
    assert verdict(claimed(-1.5), STUDIES, [result("acu", "uc", ci=(-0.5, -0.8, -0.2))])["verdict"] == NOT_CHECKABLE
    # The analysis's one trial is told, but settles nothing: a claimed 2.3 points beside a
    # trial's -0.51 (-1.39 to 0.37).
    one = md((0.0, 0.0, 0.0)) | {"status": "single_study", "pooled": None}
    one["studies"] = [{"study_id": "Brinkhaus2006", "label": "Brinkhaus et al. (2006)", "yi": -0.51,
                       "ci_lb": -1.39, "ci_ub": 0.37}]
    v = verdict(claimed(-2.3), STUDIES, [one])
    assert v["verdict"] == NOT_CHECKABLE
    # What there is first ("no MD of the two is pooled here; the interval of the one trial"
    # said what is missing before what there is).
    # One trial's interval against a claim of a pooled result: given for reference, not as
    # a check that "excludes" the claim; whether it holds the value stays in trial_check.
    assert v["reason"] == ("Read on the outcome's common scale: only one usable trial here gives a mean difference of "
                           "the two, and one trial cannot check this claim; its interval (Acupuncture vs Usual care: "
                           "MD \u22120.51, 95% CI \u22121.39 to 0.37; Brinkhaus et al., 2006, the analysis's only trial) "
                           "is given for reference.")
    assert "excludes" not in v["reason"] and v["trial_check"]["excludes"] is True
    assert verdict(claimed(-1.0), STUDIES, [one])["trial_check"]["excludes"] is False
    # With the outcome's common scale known, the verdict says the claim was read on it: a
    # claim of 2.3 points on 0 to 100 would be another claim.
    v = check_claim(claimed(-2.3), STUDIES, [one], node_of=NODE_OF, labels=LABELS, scales={"pain": [0, 10]})
    assert v["reason"].startswith("Read on the outcome's common scale (0 to 10), as a claimed mean difference is: "
                                  "only one usable trial here")
    # An outcome in a unit (rules/analyses.smk passes [unit]): the claim is read in it.
    v = check_claim(claimed(-2.3), STUDIES, [one], node_of=NODE_OF, labels=LABELS, scales={"pain": ["days"]})
    assert v["reason"].startswith("Read in days, the outcome's unit, as a claimed mean difference is: only one usable "
                                  "trial here")
    # A pooled estimate of the pair is preferred to one trial, whichever comes first.
    for order in ([one, pooled], [pooled, one]):
        assert verdict(claimed(-1.5), STUDIES, order)["verdict"] == SUPPORTED
    # ... unless the trial is the claim's own source's: a source cannot confirm itself.
    own = [{**STUDIES[0], "study": {"study_id": "Brinkhaus2006", "label": "B", "source_id": "post"}}]
    v = verdict(claimed(-2.3) | {"source_id": "post"}, own, [one])
    assert v["verdict"] == NOT_CHECKABLE and "not the quantity claimed" in v["reason"]


def test_evidence_known_only_from_the_claims_source_is_said_to_be_unverifiable() -> None:
    # The post's "Cochrane Review (2023)": in the data only as the post's own row.
    cited = {"study": {"study_id": "Cochrane2023", "label": "Cochrane review cited by the post",
                       "source_id": "post", "identity_confidence": "low"}, "arms": [], "arm_values": [],
             "contrasts": []}
    c = claim(treatment="acupuncture", comparator="sham_acupuncture", claimed_measure="mean_difference",
              claimed_value=-2.3, attributed_to="Cochrane Review (2023)", attributed_study_id="Cochrane2023",
              source_id="post")
    v = verdict(c, [*STUDIES, cited], [result("acu", "sham", ci=(-0.5, -0.8, -0.2))])
    assert v["reason"].startswith("The cited evidence, Cochrane review cited by the post, is known only from the "
                                  "claim's own source and is not identified (identity confidence low): it cannot be "
                                  "verified. ")
    # Identified, or read in a source of its own: nothing said.
    for study in ({**cited["study"], "identity_confidence": "high"}, {**cited["study"], "source_id": "journal"}):
        v = verdict(c, [*STUDIES, {**cited, "study": study}], [result("acu", "sham", ci=(-0.5, -0.8, -0.2))])
        assert "cannot be verified" not in v["reason"]


def test_control_nodes_are_those_of_shams_and_controls_only() -> None:
    from metareview.normalise import control_nodes

    nodes = {"acu": {"treatments": ["acupuncture"]}, "sham": {"treatments": ["sham_acupuncture", "placebo_tens"]},
             "uc": {"treatments": ["usual_care"]}, "other": {"treatments": ["exercise", "other_treatments"]},
             "empty": {"treatments": []}}
    roles = {"acupuncture": "active", "sham_acupuncture": "sham", "placebo_tens": "sham", "usual_care": "control",
             "exercise": "active", "other_treatments": "control"}
    assert control_nodes(nodes, roles) == ["sham", "uc"]


def test_named_comparator_restricts_the_analyses() -> None:
    # Acupuncture beats usual care but not sham: a claim against sham is not supported.
    results = [result("acu", "sham", ci=(0.3, 0.1, 0.5)), result("acu", "uc", ci=(-0.6, -0.9, -0.3))]
    v = verdict(claim(treatment="acupuncture", comparator="sham_acupuncture"), STUDIES, results)
    assert v["verdict"] == NOT_SUPPORTED
    assert "Usual care" not in v["reason"] and "usual care" not in v["short_reason"]
    v = verdict(claim(treatment="acupuncture", comparator="usual_care"), STUDIES, results)
    assert v["verdict"] == SUPPORTED
    assert "Sham" not in v["reason"]


def test_named_comparator_on_the_intervention_side_is_oriented() -> None:
    # usual care vs acupuncture = +0.6 (0.3 to 0.9): acupuncture vs usual care = -0.6 (-0.9 to -0.3)
    results = [result("uc", "acu", ci=(0.6, 0.3, 0.9))]
    v = verdict(claim(treatment="acupuncture", comparator="usual_care"), STUDIES, results)
    assert v["verdict"] == SUPPORTED
    assert v["reason"] == "Acupuncture: vs usual care, SMD \u22120.60, 95% CI \u22120.90 to \u22120.30, k = 3."


def test_check_claims_keeps_order() -> None:
    claims = [claim(claim_id="x", subgroup="s"), claim(claim_id="y")]
    out = check_claims(claims, STUDIES, [], node_of=NODE_OF, labels=LABELS)
    assert [c["claim_id"] for c in out] == ["x", "y"]


def test_every_narrative_claim_of_the_seed_post_has_a_row() -> None:
    """Each sentence of the seed post that claims an effect (its narrative, beside its
    evidence table) is quoted by a row of ``claims.csv``, so that the report checks it.

    The phrases are copied from the post's text; advice ("Switch gears", "Try one") and
    the description of the treatments claim no effect and are left out.
    """
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "data" / "raw" / "claims.csv"
    with path.open(encoding="utf-8", newline="") as f:
        quotes = [r["quote"] for r in csv.DictReader(f) if r["source_id"] == "seed_post"]
    post = ["Both work",
            "63% of patients in Chen\u2019s trial reported better sleep by week 4",
            "Dry needling delivers faster muscle relaxation",
            "acupuncture responders were 2.3\u00d7 more likely",
            "both boost outcomes by ~40% vs exercise alone",
            "Acupuncture vs sham \u22122.3 (95% CI: \u22122.8 to \u22121.9)"]
    assert [p for p in post if not any(p in q for q in quotes)] == []


def test_the_examples_statements_and_claims_say_what_their_sources_say() -> None:
    """The report prints a statement or a claim as the source's own, beside its quote: a
    remark of the extraction ("the extraction sheet records ...", "truncated in the stored
    text") belongs in the row's ``notes``, which the team reads and the report does not."""
    import csv
    from pathlib import Path

    raw = Path(__file__).resolve().parents[2] / "data" / "raw"
    remark = re.compile(r"extraction|\bsheet\b|stored text|truncated|evidence log", re.IGNORECASE)
    found = []
    for name, column in (("statements.csv", "statement"), ("claims.csv", "claim")):
        with (raw / name).open(encoding="utf-8", newline="") as f:
            found += [(name, i, r[column]) for i, r in enumerate(csv.DictReader(f), start=2) if remark.search(r[column])]
    assert found == []
    # The remarks moved are kept in the rows' notes.
    with (raw / "statements.csv").open(encoding="utf-8", newline="") as f:
        notes: dict[str, str] = {}
        for r in csv.DictReader(f):
            # A study's rows' notes together: Cherkin 2009 has a row for each comparison.
            notes[r["study_id"]] = f"{notes.get(r['study_id'], '')} {r['notes']}"
    assert "no difference between real and simulated" in notes["Cherkin2009"]
    assert "The sham value and any p-value are truncated in the stored text." in notes["Kong2020"]


def test_the_examples_values_read_only_in_the_extraction_sheet_are_rated_low() -> None:
    """A value the literature notes do not show in the source's own words, only in the
    extraction sheet's summary (Rajfur 2024's "VAS p=0.001 favouring DN", beside an
    abstract that gives p-values for the RMQ alone), is as good as that summary: its row
    is rated ``low`` and its notes say the source was not seen, whatever its quote holds."""
    import csv
    from pathlib import Path

    raw = Path(__file__).resolve().parents[2] / "data" / "raw"
    from_sheet = []
    for name in ("arm_outcomes.csv", "contrasts.csv", "statements.csv"):
        with (raw / name).open(encoding="utf-8", newline="") as f:
            from_sheet += [(name, i, r) for i, r in enumerate(csv.DictReader(f), start=2)
                           if re.search(r"from the extraction sheet", r["notes"], re.IGNORECASE)]
    rajfur = [r for name, _, r in from_sheet if name == "contrasts.csv" and r["study_id"] == "Rajfur2024"]
    assert [r["outcome"] for r in rajfur] == ["pain"]
    assert "not seen in the source" in rajfur[0]["notes"]
    assert "extraction sheet" in rajfur[0]["location"]
    assert [(name, i) for name, i, r in from_sheet if r["confidence"] != "low"] == []


def test_a_source_the_example_names_by_no_author_says_when_it_is_unidentified() -> None:
    """A study the team could not trace (identity confidence low) and whose label names
    no author is known only by what a source called it: "ASPMR Guideline (2024)", the
    blog post's name for a body the review cannot identify, read as a guideline a reader
    could look up. Its label says whose name it is and that it is unidentified, as the
    blog post's Cochrane review's does."""
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "data" / "raw" / "studies.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["identity_confidence"] == "low"]
    authorless = [r for r in rows if not re.search(r"et al\.|&|authors unverified", r["label"])]
    assert "ASPMR2024" in {r["study_id"] for r in authorless}
    assert [r["label"] for r in authorless if "unidentified" not in r["label"]] == []
    aspmr = next(r for r in rows if r["study_id"] == "ASPMR2024")
    assert "cited by the blog post" in aspmr["label"] and "ASPMR Guideline (2024)" in aspmr["notes"]


def test_a_single_trial_that_excludes_a_claimed_mean_difference_is_recorded_and_the_unstated_range_said() -> None:
    # The blog's "Cochrane 2023 −2.3" beside Brinkhaus 2006's MD −0.51 (−1.39 to 0.37): the
    # verdict stays not checkable (one trial settles no claim), but what the trial shows is
    # recorded for the summary, which said "no claim can be checked" without it.
    one = result("acu", "uc", status="single_study")
    one["analysis"] = {**one["analysis"], "measure": "MD"}
    one["studies"] = [{"study_id": "Brinkhaus2006", "label": "Brinkhaus et al. (2006)", "yi": -0.51,
                       "ci_lb": -1.39, "ci_ub": 0.37}]

    def claimed(value: float, **kw: Any) -> dict[str, Any]:
        return claim(treatment="acupuncture", comparator="usual_care", claimed_measure="mean_difference",
                     claimed_value=value, **kw)

    v = check_claim(claimed(-2.3), STUDIES, [one], node_of=NODE_OF, labels=LABELS, scales={"pain": [0, 10]})
    assert v["verdict"] == NOT_CHECKABLE
    assert v["trial_check"] == {"study_id": "Brinkhaus2006", "label": "Brinkhaus et al. (2006)",
                                "analysis": "acu_vs_uc", "estimate": -0.51, "ci_lb": -1.39, "ci_ub": 0.37,
                                "claimed": -2.3, "excludes": True}
    assert check_claim(claimed(-1.0), STUDIES, [one], node_of=NODE_OF, labels=LABELS)["trial_check"]["excludes"] is False
    # No published review's MD beside it: Yang 2021's MD -2.60 (-3.89 to -1.31) states no
    # scale, and read on the common one (its interval within that scale's span) it held
    # the claim in the summary alone, where the results and the claims table hold it off
    # the common scale. A number of unknown scale cannot test a claim in points.
    unstated = "instrument range unknown: not on the common scale"
    review = {"study_id": "Y", "label": "Yang et al. (2021)", "measure": "MD", "estimate": -2.6, "ci_lb": -3.89,
              "ci_ub": -1.31, "ci_level": 95.0, "source_level": "primary", "comparable": False,
              "not_drawn": unstated, "outside_window": False}
    one["external"] = [review]
    v = check_claim(claimed(-2.3), STUDIES, [one], node_of=NODE_OF, labels=LABELS, scales={"pain": [0, 10]})
    assert "reviews" not in v["trial_check"]
    assert "Yang" not in v["reason"] and "Yang" not in v["short_reason"]
    # A pooled result is the verdict itself: no trial check beside it.
    pooled = result("acu", "uc", ci=(-1.19, -1.92, -0.46))
    pooled["analysis"] = {**pooled["analysis"], "measure": "MD"}
    assert "trial_check" not in check_claim(claimed(-1.5), STUDIES, [pooled], node_of=NODE_OF, labels=LABELS)
    # Either way the analysis tested is recorded, for the audit to trace it to its rows;
    # whatever the verdict (held and on one side, excluded, held with no difference).
    for value in (-1.5, -3.0):
        assert check_claim(claimed(value), STUDIES, [pooled], node_of=NODE_OF,
                           labels=LABELS)["tested_analysis"] == "acu_vs_uc"
    assert v["tested_analysis"] == "acu_vs_uc"
    wide = result("acu", "uc", ci=(-0.5, -1.9, 0.9))
    wide["analysis"] = {**wide["analysis"], "measure": "MD"}
    assert check_claim(claimed(-1.5), STUDIES, [wide], node_of=NODE_OF, labels=LABELS)["tested_analysis"] == "acu_vs_uc"
    # The cited review's own MD has no instrument range, so the results list it off the
    # common scale: the claims table says so beside its reading on that scale.
    cited = doc("Cochrane", {"a": "acu", "u": "uc"})
    cited["contrasts"] = [{"outcome": "pain", "node1": "acu", "node2": "uc", "measure": "MD", "rescaled": False}]
    v = check_claim(claimed(-2.3, attributed_study_id="Cochrane"), [*STUDIES, cited], [one], node_of=NODE_OF,
                    labels=LABELS, scales={"pain": [0, 10]})
    # The number, the scale it is read on, and why the results do not show it there, in
    # that order: "Read on the outcome's common scale (0 to 10), as a claimed mean
    # difference is (the cited source states no range, so the results list its number off
    # that scale)" could not be parsed at first reading, nor could "so the results do not
    # place its number on that scale".
    assert v["reason"].startswith("The claimed \u22122.30 is read as points on the 0 to 10 scale, as every claimed "
                                  "mean difference is, though the cited source does not name its scale (so the "
                                  "Results give its number as printed, not on that scale): only one usable trial here")
    # On a stated range, rescaled to the common scale: nothing to say.
    cited["contrasts"][0]["rescaled"] = True
    v = check_claim(claimed(-2.3, attributed_study_id="Cochrane"), [*STUDIES, cited], [one], node_of=NODE_OF,
                    labels=LABELS, scales={"pain": [0, 10]})
    assert "states no range" not in v["reason"]


def test_both_treatments_of_a_claim_name_the_same_kinds_of_evidence() -> None:
    # "Both work": the reason named acupuncture's trials and reviews but of dry needling
    # only "no usable study", though its sham-controlled trials were set aside, a review
    # states it beat sham in words, and two reviews compare it with other treatments.
    # Each treatment now names its trials set aside, its statements in words against a
    # control, and its reviews against a comparator no analysis has.
    acu = result("acu", "sham", status="no_studies")
    acu["excluded"] = [{"label": "Cherkin et al. (2009)"}]
    dn = result("dn", "sham", status="no_studies")
    dn["excluded"] = [{"label": "Rajfur et al. (2022)"}, {"label": "Rajfur et al. (2024), authors unverified"}]
    worded = doc("Hu", {"d": "dn", "s": "sham", "a": "acu"})
    worded["statements"] = [{"node1": "dn", "node2": "sham", "outcome": "pain"},
                            # Against the other treatment claimed, or on another outcome: not a control's.
                            {"node1": "dn", "node2": "acu", "outcome": "pain"},
                            {"node1": "acu", "node2": "sham", "outcome": "disability"}]
    review = doc("Liu", {"d": "dn", "o": "other"})
    review["study"].update(role="external", label="Liu et al. (2018)")
    review["arms"] = [{"arm_id": "d", "node": "dn", "treatment_label": "Dry needling"},
                      {"arm_id": "o", "node": None, "treatment_label": "Other treatments (mixed)"}]
    review["contrasts"] = [{"outcome": "pain", "node1": "dn", "node2": None, "arm1": "d", "arm2": "o"}]
    v = check_claim(claim(), [*STUDIES, worded, review], [acu, dn], node_of=NODE_OF, labels=LABELS,
                    controls={"sham", "uc"})
    assert v["verdict"] == NOT_CHECKABLE
    acu_part, dn_part = v["reason"].split(". Dry needling: ")
    assert acu_part.endswith("; trials set aside, so no effect size to show: Cherkin et al. (2009) (see the table of "
                             "trials set aside)")
    assert ("; trials set aside, so no effect size to show: Rajfur et al. (2022) and Rajfur et al. (2024), authors "
            "unverified (see the table of trials set aside); statements in words, which settle no claim here: Hu et "
            "al.; published meta-analyses against a comparator no analysis here has, which cannot check the claim: "
            "Liu et al. (2018) against other treatments (mixed).") in dn_part
    # Acupuncture's statement is on another outcome, its only review of another node: none named.
    assert "statements in words" not in acu_part and "Liu" not in acu_part
    # A review of a pair an analysis has is among the published meta-analyses, not here.
    review["contrasts"] = [{"outcome": "pain", "node1": "dn", "node2": "sham", "arm1": "d", "arm2": "o"}]
    v = check_claim(claim(), [*STUDIES, worded, review], [acu, dn], node_of=NODE_OF, labels=LABELS,
                    controls={"sham", "uc"})
    assert "comparator no analysis here has" not in v["reason"]


def test_trials_set_aside_that_reported_an_effect_are_not_said_to_have_no_effect_size() -> None:
    # Kong 2020 (MD -2.09, 95% CI -4.27 to 0.09 on the PROMIS T-score, no range on the
    # common scale) and Thomas 2006 (MD 5.6 and 8.0 with intervals at 52 and 104 weeks)
    # were listed among "trials set aside, so no effect size to show".
    acu = result("acu", "sham", status="no_studies")
    acu["analysis"]["window"], acu["analysis"]["measure"] = "short", "MD"
    acu["excluded"] = [{"label": "Cho et al.", "study_id": "Cho"}, {"label": "Kong et al.", "study_id": "Kong"},
                       {"label": "Thomas et al.", "study_id": "Thomas"}]
    effect = {"outcome": "pain", "node1": "acu", "node2": "sham", "measure": "MD", "estimate": -2.09,
              "ci_lb": -4.27, "ci_ub": 0.09}
    cho, kong, thomas = (doc(s, {"a": "acu", "c": "sham"}) for s in ("Cho", "Kong", "Thomas"))
    cho["contrasts"] = [{**effect, "measure": "p_only", "estimate": None, "ci_lb": None, "ci_ub": None,
                         "windows": {"short": 0.0}}]
    kong["contrasts"] = [{**effect, "windows": {"short": 2.0}, "rescaled": False}]
    thomas["contrasts"] = [{**effect, "windows": {}, "rescaled": True}, {**effect, "windows": {}, "rescaled": True}]
    v = check_claim(claim(), [*STUDIES, cho, kong, thomas], [acu], node_of=NODE_OF, labels=LABELS,
                    controls={"sham", "uc"})
    acu_part = v["reason"].split(". Dry needling: ")[0]
    assert ("; trials set aside with no effect size to show: Cho et al.; trials set aside though they reported an "
            "effect with its interval, which cannot enter the analysis: Kong et al. (its instrument off the common "
            "scale) and Thomas et al. (outside the time window) (see the table of trials set aside)") in acu_part, acu_part
    assert "so no effect size to show" not in acu_part


def test_a_claims_count_of_reviews_counts_them_as_independent_findings() -> None:
    # "Of 8 reviews ..., 8 have every one wholly on acupuncture's side" counted Acupunct
    # Med 2020 and Yuan 2015, which print one SMD and interval alike, as two, and Lee 2023,
    # whose own words find no difference against sham at the same points, as wholly on
    # acupuncture's side. Counted as the report's tallies count them: 1 of 2.
    def review(sid: str, ref: str, lb: float, ub: float) -> dict[str, Any]:
        return {"study_id": sid, "label": f"{sid} et al. (2020)", "measure": "SMD", "ci_lb": lb, "ci_ub": ub,
                "ref": ref}

    def published(sid: str, ref: str, lb: float, ub: float) -> dict[str, Any]:
        d = doc(sid, {"a": "acu", "s": "sham", "v": "sham"})
        d["arms"][2]["description"] = "Sham at the same points"
        d["arms"][1]["description"] = "Sham at other points"
        d["contrasts"] = [{"ref": ref, "measure": "SMD", "outcome": "pain", "node1": "acu", "node2": "sham",
                           "arm1": "a", "arm2": "s",
                           "reported": {"estimate": -0.47, "ci_lb": lb, "ci_ub": ub}}]
        return d

    single = result("acu", "sham", status="single_study", studies=["Trial A"])
    single["studies"] = [{"label": "Trial A", "study_id": "A", "yi": -0.2, "ci_lb": -0.6, "ci_ub": 0.2}]
    single["external"] = [review("R1", "c:R1", -0.77, -0.17), review("R2", "c:R2", -0.77, -0.17),
                          review("R3", "c:R3", -0.52, -0.15)]
    studies = [published("R1", "c:R1", -0.77, -0.17), published("R2", "c:R2", -0.77, -0.17),
               published("R3", "c:R3", -0.52, -0.15)]
    studies[2]["statements"] = [{"ref": "s:R3", "arm1": "a", "arm2": "v", "node1": "acu", "node2": "sham",
                                 "outcome": "pain", "direction": "no_difference"}]
    v = check_claim(claim(treatment="acupuncture"), studies, [single], node_of=NODE_OF, labels=LABELS,
                    controls=["sham"])
    # R3's words are of sham at the same points (arm v), its interval of another sham (s):
    # the interval counted as it lies, the words said beside it.
    assert ("of 2 reviews that give a confidence interval, 2 have every one wholly on Acupuncture's side (see the "
            "published meta-analyses; the same result printed by R1 et al., 2020 and by R2 et al., 2020, counted as "
            "one review; R3 et al., 2020 states in words no difference against sham at the same points; its "
            "intervals, against sham at other points, are counted as they lie)") in v["reason"].replace(
                "acupuncture's", "Acupuncture's")
    assert v["published_reviews"][0]["counted"] == [
        {"study_id": "R1", "refs": ["c:R1"], "wholly": True, "alike": [{"study_id": "R2", "refs": ["c:R2"]}]},
        {"study_id": "R3", "refs": ["c:R3"], "wholly": True, "stated": ["s:R3"], "disagreeing": []}]
    # Its words of the sham its interval is of: not wholly on acupuncture's side, and said so.
    studies[2]["statements"][0]["arm2"] = "s"
    v = check_claim(claim(treatment="acupuncture"), studies, [single], node_of=NODE_OF, labels=LABELS,
                    controls=["sham"])
    assert ("of 2 reviews that give a confidence interval, 1 has every one wholly on Acupuncture's side (see the "
            "published meta-analyses; the same result printed by R1 et al., 2020 and by R2 et al., 2020, counted as "
            "one review; R3 et al., 2020 states in words no difference against sham at other points, the comparator "
            "of its own intervals as far as its rows tell, so is not counted on Acupuncture's side)") in v[
                "reason"].replace("acupuncture's", "Acupuncture's")
    assert v["published_reviews"][0]["counted"][1] == {"study_id": "R3", "refs": ["c:R3"], "wholly": False,
                                                       "stated": ["s:R3"], "disagreeing": ["s:R3"]}
    studies[2]["statements"][0]["arm2"] = "v"
    # Printed differently, and a statement on another outcome: each review its own, on its side.
    studies[1]["contrasts"][0]["reported"]["ci_lb"] = -0.78
    studies[2]["statements"][0]["outcome"] = "disability"
    v = check_claim(claim(treatment="acupuncture"), studies, [single], node_of=NODE_OF, labels=LABELS,
                    controls=["sham"])
    assert "of 3 reviews that give a confidence interval, 3 have every one wholly" in v["reason"]


def test_a_claims_count_of_reviews_leaves_out_results_printed_alike_for_another_comparison() -> None:
    # Acupunct Med 2020 and Yuan 2015 print one sham pain SMD and interval alike, and Mu
    # 2020 prints the same numbers for usual care and disability: a consistency warning of
    # a row read from the wrong table. Counted as one review, the two stood behind a
    # warning the count did not name; neither is counted until the rows are checked.
    from metareview.claims import misread_refs, repeated_across_comparisons

    def published(sid: str, ref: str, comparator: str, outcome: str, lb: float) -> dict[str, Any]:
        d = doc(sid, {"a": "acu", "s": comparator})
        d["study"]["label"] = f"{sid} et al. (2020)"
        d["contrasts"] = [{"ref": ref, "measure": "SMD", "outcome": outcome, "node1": "acu", "node2": comparator,
                           "arm1": "a", "arm2": "s", "reported": {"estimate": -0.47, "ci_lb": lb, "ci_ub": -0.17}}]
        return d

    studies = [published("R1", "c:R1", "sham", "pain", -0.77), published("R2", "c:R2", "sham", "pain", -0.77),
               published("R3", "c:R3", "sham", "pain", -0.52)]
    # Alike for one comparison and outcome: one finding, no suspect row.
    assert repeated_across_comparisons(studies) == [] and misread_refs(studies) == frozenset()
    studies.append(published("R4", "c:R4", "uc", "disability", -0.77))
    assert misread_refs(studies) == {"c:R1", "c:R2", "c:R4"}
    [group] = repeated_across_comparisons(studies)
    assert sorted(ref for _, ref in group) == ["c:R1", "c:R2", "c:R4"]
    # The comparison is the pair of nodes, whichever arm is first.
    flipped = copy.deepcopy(studies[:2])
    flipped[1]["contrasts"][0].update(node1="sham", node2="acu")
    assert repeated_across_comparisons(flipped) == []

    single = result("acu", "sham", status="single_study", studies=["Trial A"])
    single["studies"] = [{"label": "Trial A", "study_id": "A", "yi": -0.2, "ci_lb": -0.6, "ci_ub": 0.2}]
    single["external"] = [{"study_id": sid, "label": f"{sid} et al. (2020)", "measure": "SMD", "ci_lb": lb,
                           "ci_ub": -0.17, "ref": f"c:{sid}"} for sid, lb in (("R1", -0.77), ("R2", -0.77),
                                                                              ("R3", -0.52))]
    v = check_claim(claim(treatment="acupuncture"), studies, [single], node_of=NODE_OF, labels=LABELS,
                    controls=["sham"])
    reason = v["reason"].replace("acupuncture's", "Acupuncture's")
    assert ("of 1 review that gives a confidence interval, 1 has every one wholly on Acupuncture's side (see the "
            "published meta-analyses; not counted: 2 more reviews with an interval, with numbers printed alike by a "
            "review of another comparison or outcome: R1 et al., 2020; R2 et al., 2020)") in reason, reason
    assert "counted as one review" not in reason
    [counts] = v["published_reviews"]
    assert counts["counted"] == [{"study_id": "R3", "refs": ["c:R3"], "wholly": True}]
    assert counts["not_counted"] == [
        {"study_id": sid, "refs": [f"c:{sid}"],
         "reasons": ["with numbers printed alike by a review of another comparison or outcome"]}
        for sid in ("R1", "R2")]


# --- short reasons ---------------------------------------------------------------------------------------


def test_each_verdict_has_a_short_reason_in_one_clause_beside_the_full_one() -> None:
    # The summary lists every claim with its reason in one clause; the claims table keeps
    # the full one. Each is made where the verdict is, so the two cannot disagree.
    v = verdict(claim(subgroup="GAD-7 >= 10", attributed_to="A 2023 study"), STUDIES, [])
    assert v["short_reason"] == "no study in the data reports this subgroup, and the cited evidence is not identified"
    # Citing nothing: nothing "not identified" to speak of.
    assert verdict(claim(subgroup="s"), STUDIES, [])["short_reason"] == "no study in the data reports this subgroup"
    v = verdict(claim(treatment="dry_needling", comparator="acupuncture", outcome="other"), STUDIES, [])
    assert v["short_reason"] == "no analysis here compares dry needling with acupuncture on the outcome claimed"
    # "Both work": acupuncture's one trial favours it against usual care and not against
    # sham; dry needling's lies on sham's side. Each comparator once, in one clause per treatment.
    results = [result("acu", "sham", status="single_study", studies=["Brinkhaus et al."]),
               result("acu", "uc", status="single_study", studies=["Brinkhaus et al."]),
               result("dn", "sham", status="single_study", studies=["Lee et al."])]
    for r, ci in zip(results, ((-0.5, -1.4, 0.4), (-2.2, -3.0, -1.4), (0.9, 0.3, 1.5)), strict=True):
        r["studies"][0].update(study_id=r["studies"][0]["label"], yi=ci[0], ci_lb=ci[1], ci_ub=ci[2])
    v = verdict(claim(), STUDIES, results)
    # The outcome it rests on is named: "single trials favour it" read as every outcome.
    # The trials counted: one three-armed trial behind two comparisons is "a single trial",
    # and an interval holding no difference is "compatible with no difference", the
    # report's words.
    assert v["short_reason"] == ("on pain, for acupuncture, a single trial favours it against usual care and is "
                                 "compatible with no difference against sham; for dry needling, a single trial "
                                 "favours the control against sham")
    # Two trials: plural, and the verbs with them.
    second = result("acu", "uc", status="single_study", studies=["Haake et al."])
    second["studies"][0].update(study_id="Haake", yi=-1.0, ci_lb=-1.5, ci_ub=-0.5)
    assert verdict(claim(), STUDIES, [*results, second])["short_reason"].startswith(
        "on pain, for acupuncture, single trials favour it against usual care and are compatible with no difference "
        "against sham; ")
    # Named as the analyses label it, where they do.
    for r in results:
        r["analysis"]["outcome_label"] = "Pain intensity"
    assert verdict(claim(), STUDIES, results)["short_reason"].startswith("on pain intensity, for acupuncture, ")
    # An analysis with no usable study is a lack of trials; no analysis at all is the review's choice.
    v = verdict(claim(), STUDIES, [result("acu", "sham", status="no_studies")])
    assert v["short_reason"] == ("on pain, for acupuncture, no usable trial against a comparator; for dry needling, "
                                 "no analysis here compares it with a control")
    # Pooled: supported and not supported, each with the comparators it rests on.
    v = verdict(claim(), STUDIES, [result("acu", "sham", ci=(-0.5, -0.8, -0.2)), result("dn", "uc", ci=(0.3, 0.1, 0.5))])
    assert v["verdict"] == NOT_SUPPORTED
    assert v["short_reason"] == ("on pain, for acupuncture, a pooled interval lies wholly in its favour against sham; "
                                 "for dry needling, no pooled interval lies wholly in its favour, and the interval "
                                 "against usual care lies wholly on the comparator's side")


def test_no_usable_trial_in_a_short_reason_says_against_what_as_the_full_reason_does() -> None:
    # "Both work" once two trials compare dry needling with acupuncture head to head: its
    # analysis against sham has no usable trial, and the summary said "for dry needling, no
    # usable trial" beside trials of it the report uses. The full reason says "no pooled
    # analysis against a control"; the short one says the same.
    results = [result("dn", "acu", ci=(-0.84, -5.03, 3.35), studies=["Moreno", "Ruiz"]),
               result("dn", "sham", status="no_studies"), result("acu", "sham", ci=(-0.5, -0.8, -0.2))]
    v = check_claim(claim(), [], results, node_of=NODE_OF, labels=LABELS, controls=["sham", "uc"])
    assert v["verdict"] == NOT_CHECKABLE
    assert "Dry needling: no pooled analysis against a control; no usable study" in v["reason"]
    assert v["short_reason"].endswith("; for dry needling, no usable trial against a sham or control")
    # A claim that names its comparator: that one.
    v = verdict(claim(treatment="dry_needling", comparator="sham_acupuncture"), [], results)
    assert v["short_reason"] == "on pain, for dry needling, no usable trial against sham"


def test_a_claimed_mean_difference_s_short_reason_gives_the_interval_tested() -> None:
    def claimed(value: float) -> dict[str, Any]:
        return claim(treatment="acupuncture", comparator="usual_care", claimed_measure="mean_difference",
                     claimed_value=value)

    one = result("acu", "uc", status="single_study")
    one["analysis"] = {**one["analysis"], "measure": "MD"}
    one["studies"] = [{"study_id": "B", "label": "Brinkhaus et al. (2006)", "yi": -0.51, "ci_lb": -1.39, "ci_ub": 0.37}]
    # -2.3 lies below -1.39: excluded; -1.0 lies within: held. One trial settles neither.
    # The trial named: the summary's line is the only place it says what the trial shows.
    assert verdict(claimed(-2.3), STUDIES, [one])["short_reason"] == (
        "one trial cannot check the claimed difference; the one usable trial's interval (Brinkhaus et al., 2006: "
        "MD \u22120.51, 95% CI \u22121.39 to 0.37) is given for reference")
    # With the common scale known, the claimed number is given on it.
    on_scale = check_claim(claimed(-2.3), STUDIES, [one], node_of=NODE_OF, labels=LABELS, scales={"pain": [0, 10]})
    assert on_scale["short_reason"].startswith(
        "one trial cannot check the claimed \u22122.30 points on the 0 to 10 scale; the one usable trial's interval")
    assert "holds" not in verdict(claimed(-1.0), STUDIES, [one])["short_reason"]
    pooled = result("acu", "uc", ci=(-1.19, -1.92, -0.46))
    pooled["analysis"] = {**pooled["analysis"], "measure": "MD"}
    assert verdict(claimed(-2.0), STUDIES, [pooled])["short_reason"] == (
        "the pooled interval (MD \u22121.19, 95% CI \u22121.92 to \u22120.46, k = 3) excludes the claimed difference")
    # Evidence known only from the claim's own source: said first, in a clause of its own.
    cited = {"study": {"study_id": "C", "label": "Cochrane review cited by the post", "source_id": "post",
                       "identity_confidence": "low"}, "arms": [], "arm_values": [], "contrasts": []}
    c = claimed(-2.3) | {"attributed_to": "Cochrane (2023)", "attributed_study_id": "C", "source_id": "post"}
    assert verdict(c, [*STUDIES, cited], [one])["short_reason"] == (
        "the cited evidence cannot be verified; Cochrane review cited by the post, as transcribed, reports no pain outcome")
    cited["contrasts"] = [{"outcome": "pain", "node1": "acu", "node2": "uc", "measure": "MD", "rescaled": True}]
    v = verdict(c, [*STUDIES, cited], [one])
    assert v["short_reason"].startswith("the cited evidence cannot be verified; one trial cannot check the claimed")
    # Its range stated (rescaled): the scale is the claim's reading, given without a caveat.
    v = check_claim(c, [*STUDIES, cited], [one], node_of=NODE_OF, labels=LABELS, scales={"pain": [0, 10]})
    assert "points on the 0 to 10 scale; the one" in v["short_reason"] and "does not name" not in v["short_reason"]
    # No range stated: the claim's scale is assumed, and the summary's line says so, as the
    # claims table does ("though the cited source does not name its scale").
    cited["contrasts"] = [{"outcome": "pain", "node1": "acu", "node2": "uc", "measure": "MD"}]
    v = check_claim(c, [*STUDIES, cited], [one], node_of=NODE_OF, labels=LABELS, scales={"pain": [0, 10]})
    assert "does not name its scale" in v["reason"]
    assert ("one trial cannot check the claimed \u22122.30 points, read on the 0 to 10 scale, which the claim does "
            "not name; the one usable trial's interval") in v["short_reason"]
    # A pooled interval read the same way: the caveat, and no stray comma before the end.
    pooled_assumed = check_claim(c, [*STUDIES, cited], [pooled], node_of=NODE_OF, labels=LABELS,
                                 scales={"pain": [0, 10]})
    assert pooled_assumed["short_reason"].endswith("excludes the claimed \u22122.30 points, read on the 0 to 10 "
                                                   "scale, which the claim does not name")


def test_each_claim_records_what_came_of_its_cited_evidence_as_its_reason_words_it() -> None:
    # A summary that counts the claims whose evidence could not be identified or verified
    # reads ``cited``, which the test that words the reason sets, so the two agree.
    own = {"study": {"study_id": "Own", "label": "Own et al. (2022)", "source_id": "post",
                     "identity_confidence": "low"},
           "arms": [{"arm_id": "a", "node": "acu"}], "arm_values": [{"arm_id": "a", "outcome": "pain"}],
           "contrasts": []}
    sleep = claim(treatment="acupuncture", outcome="sleep", source_id="post", attributed_to="Own et al. (2022)",
                  attributed_study_id="Own", claimed_measure="percent_of_patients", claimed_value=63)
    v = verdict(sleep, [*STUDIES, own])
    assert v["cited"] == CITED_UNVERIFIED == "unverified"
    assert "cannot be verified" in v["reason"] and v["short_reason"].startswith("the cited evidence cannot be verified")
    # The same study vouched for by another source, or its identity rated higher: verified,
    # and no such words.
    for changed in ({"source_id": "journal"}, {"identity_confidence": "high"}):
        other = {**own, "study": {**own["study"], **changed}}
        v = verdict(sleep, [*STUDIES, other])
        assert v["cited"] == CITED_VERIFIED == "verified"
        assert "cannot be verified" not in v["reason"]
    # Named, but no study in the data: not identified, in the reason's words too.
    v = verdict(claim(subgroup="GAD-7 >= 10", attributed_to="A 2023 study"), STUDIES, [])
    assert v["cited"] == CITED_NOT_IDENTIFIED == "not identified" and "is not identified" in v["reason"]
    v = verdict(claim(treatment="acupuncture", outcome="other", attributed_to="JOSPT 2023",
                      claimed_measure="relative_improvement", claimed_value=0.4), STUDIES, [])
    assert v["cited"] == CITED_NOT_IDENTIFIED and "is not identified" in v["reason"]
    # A claim whose check goes by the data whatever it cites ("both work"): the field says
    # what came of the citation all the same.
    assert verdict(claim(attributed_to="The post's evidence table"), STUDIES, [])["cited"] == CITED_NOT_IDENTIFIED
    # Citing nothing: none, and the reason says so where it speaks of the citation.
    v = verdict(claim(treatment="dry_needling", comparator="acupuncture", outcome="other"), STUDIES, [])
    assert v["cited"] == CITED_NONE == "none" and v["reason"].endswith("the source cites no evidence for it.")
    assert verdict(claim(), STUDIES, [])["cited"] == CITED_NONE
    # A comparison no analysis makes, citing a study in the data: the study is not said to
    # be missing from the data (the reason once said "is not in the data" of any citation).
    v = verdict(claim(treatment="dry_needling", comparator="acupuncture", outcome="other", attributed_to="Lee",
                      attributed_study_id="Lee"), STUDIES, [])
    assert v["cited"] == CITED_VERIFIED and "cited evidence" not in v["reason"]
    v = verdict(claim(treatment="dry_needling", comparator="acupuncture", outcome="other", attributed_to="Smith 2020"),
                STUDIES, [])
    assert v["reason"].endswith("; the cited evidence, Smith 2020, is not identified.")
