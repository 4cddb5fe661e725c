"""Unit tests for metareview.analysis: which effects are pooled, and the pooled numbers.

Study documents are written by hand in the shape :func:`metareview.extract.study_effects`
returns, so each rule (value type, roles, unnamed comparators, k thresholds) is tested on
its own.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import pytest

from metareview.analysis import choose_value_type, pool_analysis
from metareview.normalise import UNNAMED
from metareview.pool import rma

Z975 = NormalDist().inv_cdf(0.975)
METHODS = {"method": "REML", "test": "knha", "level": 95, "min_studies": 2}
LABELS = {"acu": "Acupuncture", "sham": "Sham", "pain": "Pain", "short": "Short term"}


def analysis(measure: str = "SMD", comparator: str = "sham") -> dict[str, Any]:
    return {"id": "a1", "intervention": "acu", "comparator": comparator, "outcome": "pain", "window": "short",
            "measure": measure}


def option(yi: float, vi: float, value_type: str, ref: str, **kw: Any) -> dict[str, Any]:
    return {"yi": yi, "vi": vi, "n1": 30.0, "n2": 30.0, "value_type": value_type, "timepoint_weeks": 6.0,
            "form": "arm-level means and SDs", "instrument": "VAS_0_10", "refs": [ref], "steps": ["s"],
            "flags": list(kw.pop("flags", [])), **kw}


def study(sid: str, options: dict[str, tuple[float, float]] | None = None, role: str = "trial",
          external: list[dict[str, Any]] = (), narrative: list[str] = (), flags: list[str] = (),
          rows: dict[str, list[dict[str, str]]] | None = None) -> dict[str, Any]:
    opts = {vt: option(y, v, vt, f"arm_outcomes.csv:{sid}#{i}") for i, (vt, (y, v)) in enumerate((options or {}).items(), 1)}
    return {"study_id": sid, "label": f"Study {sid}", "role": role, "design": "rct", "source_level": "primary",
            "identity_confidence": "high",
            "analyses": {"a1": {"options": opts, "external": list(external), "narrative": list(narrative),
                                "flags": list(flags)}},
            "rows": rows or {}}


def pool(studies: list[dict[str, Any]], measure: str = "SMD", comparator: str = "sham", **methods: Any) -> dict[str, Any]:
    return pool_analysis(analysis(measure, comparator), studies, methods={**METHODS, **methods}, labels=LABELS)


# --- value type ---------------------------------------------------------------------------------------


def test_choose_value_type_majority_and_ties() -> None:
    assert choose_value_type([{"final": 1}, {"final": 1}, {"change": 1}], "SMD") == "final"
    assert choose_value_type([{"change": 1}, {"final": 1}, {"change": 1}], "SMD") == "change"
    assert choose_value_type([{"final": 1}, {"change": 1}], "SMD") == "final"  # tie: final
    assert choose_value_type([{"final": 1, "change": 1}, {"change": 1}], "SMD") == "change"
    # A tie where one study's final values differed at baseline (Cherkin 2009 against
    # sham, SMD 0.19 before treatment): change scores, which do not carry that difference.
    imbalanced = {"final": {"baseline": {"yi": 0.19}}, "change": {}}
    assert choose_value_type([imbalanced], "SMD") == "change"
    assert choose_value_type([imbalanced, {"final": {}}, {"change": {}}], "SMD") == "change"
    assert choose_value_type([imbalanced, {"final": {}}], "SMD") == "final"  # no tie: most studies
    assert choose_value_type([{"final": {"baseline": {"yi": 0.3}}}, {"change": {}}], "SMD") == "final"
    assert choose_value_type([{"unknown": 1}], "SMD") is None
    assert choose_value_type([], "MD") is None


def test_smd_never_mixes_final_and_change() -> None:
    studies = [study("A", {"final": (-0.5, 0.05)}), study("B", {"final": (-0.3, 0.04)}),
               study("C", {"change": (-0.9, 0.06)})]
    res = pool(studies)
    assert res["value_type"] == "final"
    assert [s["study_id"] for s in res["studies"]] == ["A", "B"]
    assert {s["value_type"] for s in res["studies"]} == {"final"}
    (exc,) = res["excluded"]
    assert exc["study_id"] == "C"
    assert exc["reason"] == "only change values; this SMD analysis uses final values"
    assert exc["refs"] == ["arm_outcomes.csv:C#1"]
    # Its own effect is kept, to be shown apart: yi and a 95% Wald interval, by hand.
    half = 1.959963984540054 * math.sqrt(0.06)
    own = exc["own_effect"]
    assert {k: own[k] for k in ("value_type", "yi", "vi", "ci_lb", "ci_ub")} == {
        "value_type": "change", "yi": -0.9, "vi": 0.06,
        "ci_lb": pytest.approx(-0.9 - half, rel=1e-12), "ci_ub": pytest.approx(-0.9 + half, rel=1e-12)}
    # With its rows and steps, for the audit table.
    assert own["refs"] == ["arm_outcomes.csv:C#1"] and own["form"] and isinstance(own["steps"], list)


def test_study_offering_both_types_gives_the_chosen_one() -> None:
    studies = [study("A", {"final": (-0.5, 0.05), "change": (-0.7, 0.05)}), study("B", {"change": (-0.3, 0.04)})]
    res = pool(studies)
    assert res["value_type"] == "change"
    assert [(s["study_id"], s["yi"]) for s in res["studies"]] == [("A", -0.7), ("B", -0.3)]


def test_md_may_mix_value_types_with_a_flag() -> None:
    studies = [study("A", {"final": (-1.0, 0.2)}), study("B", {"final": (-0.5, 0.3)}), study("C", {"change": (-2.0, 0.4)})]
    res = pool(studies, measure="MD")
    assert res["k"] == 3 and res["excluded"] == []
    c = res["studies"][2]
    assert c["value_type"] == "change"
    assert "change values mixed with final values (allowed for MD, Cochrane Handbook 10.5.2)" in c["flags"]


def test_unknown_value_type_is_accepted_and_flagged() -> None:
    studies = [study("A", {"final": (-0.5, 0.05)}), study("B", {"unknown": (-0.8, 0.04)}, flags=["study flag"])]
    res = pool(studies)
    b = res["studies"][1]
    assert b["study_id"] == "B"
    assert b["flags"][:2] == ["study flag", "value type (final or change) not reported"]


def test_trial_without_a_usable_form_is_listed_with_its_rows_reasons() -> None:
    rows = {"arm_outcomes.csv:C#1": [{"analysis": "a1", "use": "excluded", "reason": "SD missing"}],
            "arm_outcomes.csv:C#2": [{"analysis": "other", "use": "excluded", "reason": "not this analysis"}]}
    res = pool([study("A", {"final": (-0.5, 0.05)}), study("C", {}, rows=rows)])
    assert res["excluded"] == [{"study_id": "C", "label": "Study C", "reason": "SD missing",
                                "reasons": [{"reason": "SD missing"}], "refs": ["arm_outcomes.csv:C#1"]}]
    # Rows of baseline only: the reason is that nothing later is in the data.
    base = "baseline (week 0): measured before treatment, not an effect of it"
    rows = {f"arm_outcomes.csv:C#{i}": [{"analysis": "a1", "use": "excluded", "reason": base,
                                         "timepoint": {"kind": "baseline"}}] for i in (1, 2)}
    res = pool([study("A", {"final": (-0.5, 0.05)}), study("C", {}, rows=rows)])
    # Said without brackets, as the report prints it inside a pair of its own.
    assert res["excluded"][0]["reason"] == ("no value after baseline for this comparison in the data: its rows are "
                                            "of week 0, measured before treatment")
    rows["arm_outcomes.csv:C#3"] = [{"analysis": "a1", "use": "excluded", "reason": "SD missing"}]
    res = pool([study("A", {"final": (-0.5, 0.05)}), study("C", {}, rows=rows)])
    assert res["excluded"][0]["reason"] == f"SD missing; {base}"
    rows["arm_outcomes.csv:C#3"] = [{"analysis": "a1", "use": "excluded", "reason": "only a p-value reported"}]
    res = pool([study("A", {"final": (-0.5, 0.05)}), study("C", {}, rows=rows)])
    assert res["excluded"][0]["reason"] == f"only a p-value reported; {base}"


def late_note(weeks: float, window: str = "short_term", words: str | None = None) -> dict:
    """A row note of extract.study_effects for a row at ``weeks`` outside a 1-12 week window;
    ``words`` in place of the sentence it would carry."""
    timepoint = {"kind": "outside_window", "weeks": [weeks], "window": window, "min_weeks": 1.0, "max_weeks": 12.0}
    return {"analysis": "a1", "use": "excluded", "timepoint": timepoint,
            "reason": words or f"timepoint {weeks:g} weeks is outside the window of 1 to 12 weeks"}


def test_timepoints_between_two_windows_are_said_together_apart_from_later_ones() -> None:
    # Two rows between the windows of 1 to 12 and 13 to 26 weeks (days 86 and 88) and one
    # at 52 weeks: the two are in no window, the third after the last; merged with them,
    # 52 weeks would read as between the two windows too.
    short = {"window": "short_term", "min_weeks": 1.0, "max_weeks": 12.0}
    medium = {"window": "medium_term", "min_weeks": 13.0, "max_weeks": 26.0}

    def gap_note(weeks: float) -> dict:
        note = late_note(weeks, words=f"timepoint {weeks:g} weeks falls between the windows of 1 to 12 and 13 to 26 "
                                      "weeks: placed in no window")
        note["timepoint"]["between"] = [short, medium]
        return note

    rows = {"contrasts.csv:C#1": [gap_note(12.6)], "contrasts.csv:C#2": [late_note(52)],
            "contrasts.csv:C#3": [gap_note(12.3)]}
    res = pool([study("A", {"final": (-0.5, 0.05)}), study("C", {}, rows=rows)])
    (e,) = res["excluded"]
    assert [r["reason"] for r in e["reasons"]] == [
        ("timepoints 12.3 and 12.6 weeks fall between the windows of 1 to 12 and 13 to 26 weeks: placed in no window"
         " (widen one in the config to take it in)"),
        "timepoint 52 weeks is outside the window of 1 to 12 weeks"]


def words_note(label: str, named: str | None = None) -> dict:
    """A row note for a row whose timepoint is given only in words."""
    hint = (f" (the label names {named}: if that counts from randomisation, enter the weeks in timepoint_weeks)"
            if named else " (fill in timepoint_weeks, or add the words to windows.<w>.terms in the config)")
    return {"analysis": "a1", "use": "excluded",
            "reason": f"timepoint given only as \u2018{label}\u2019, not in weeks: placed in no window{hint}",
            "timepoint": {"kind": "words_only", "labels": [label], "named": named}}


def test_a_set_aside_trials_reasons_read_in_time_once_each_with_also_said_once() -> None:
    # Thomas et al. (2006): rows at 52 and 104 weeks, both outside a 1-12 week window.
    # Character order put "104" first; read in time, 52 weeks comes first.
    rows = {"contrasts.csv:C#1": [late_note(104)], "contrasts.csv:C#2": [late_note(52)]}
    res = pool([study("A", {"final": (-0.5, 0.05)}), study("C", {}, rows=rows)])
    # Said once for both, in time; the merged reason keeps both weeks as fields.
    (e,) = res["excluded"]
    assert e["reason"] == "timepoints 52 and 104 weeks are outside the window of 1 to 12 weeks"
    assert e["reasons"] == [{"reason": e["reason"], "timepoint": {
        "kind": "outside_window", "weeks": [52.0, 104.0], "window": "short_term", "min_weeks": 1.0, "max_weeks": 12.0}}]
    assert "also" not in e
    # Rajfur et al. (2022): two rows whose timepoints are words only, beside a reason of
    # another kind, which keeps its place.
    rows = {"arm_outcomes.csv:C#1": [{"analysis": "a1", "use": "excluded", "reason": "arm n not reported"}],
            "arm_outcomes.csv:C#2": [words_note("after 3 months")],
            "arm_outcomes.csv:C#3": [words_note("after 1 month")]}
    res = pool([study("A", {"final": (-0.5, 0.05)}), study("C", {}, rows=rows)])
    assert res["excluded"][0]["reason"] == ("arm n not reported; timepoints given only as \u2018after 1 month\u2019 "
                                            "and \u2018after 3 months\u2019, not in weeks: placed in no window (fill "
                                            "in timepoint_weeks, or add the words to windows.<w>.terms in the config)")
    # A label that is a duration alone keeps its own reason: its words say what to enter.
    rows["arm_outcomes.csv:C#4"] = [words_note("week 4", named="week 4")]
    res = pool([study("A", {"final": (-0.5, 0.05)}), study("C", {}, rows=rows)])
    assert res["excluded"][0]["reason"] == (
        "arm n not reported; timepoints given only as \u2018after 1 month\u2019 and \u2018after 3 months\u2019, "
        "not in weeks: placed in no window (fill in timepoint_weeks, or add the words to windows.<w>.terms in the "
        "config); timepoint given only as \u2018week 4\u2019, not in weeks: placed in no "
        "window (the label names week 4: if that counts from randomisation, enter the weeks in timepoint_weeks)")
    # Mahmoudzadeh et al. (2016): an excluded design whose rows would also fail for three
    # reasons of their own. "also," once before them, not before each; further reasons
    # of the timepoint merge as the binding ones do.
    design = "add-on design: A + B vs B; this analysis compares treatments head to head"
    rows = {"arm_outcomes.csv:C#1": [{"analysis": "a1", "use": "excluded", "reason": design,
                                      "also": [{"reason": "no SD reported, and the review does not impute missing SDs"}]}],
            "arm_outcomes.csv:C#2": [{"analysis": "a1", "use": "excluded", "reason": design,
                                      "also": [{k: late_note(26)[k] for k in ("reason", "timepoint")}]}],
            "arm_outcomes.csv:C#3": [{"analysis": "a1", "use": "excluded", "reason": design,
                                      "also": [{k: late_note(13)[k] for k in ("reason", "timepoint")}]}],
            "contrasts.csv:C#1": [{"analysis": "a1", "use": "excluded", "reason": design,
                                   # As a build before the reasons' fields wrote it: words only.
                                   "also": ["only a p-value reported"]}]}
    res = pool([study("A", {"final": (-0.5, 0.05)}), study("C", {}, rows=rows)])
    (e,) = res["excluded"]
    assert e["reason"] == (f"{design}; also, no SD reported, and the review does not impute missing SDs; only a p-value reported; "
                           "timepoints 13 and 26 weeks are outside the window of 1 to 12 weeks")
    assert e["reasons"] == [{"reason": design}]
    assert [a.get("timepoint", {}).get("weeks") for a in e["also"]] == [None, None, [13.0, 26.0]]


def test_timepoint_reasons_merge_by_their_fields_not_their_words() -> None:
    # Words that read like a reason of the timepoint, without its fields, are some other
    # reason: each kept as it is, never parsed.
    rows = {"contrasts.csv:C#1": [{"analysis": "a1", "use": "excluded",
                                   "reason": "timepoint 52 weeks is outside the window of 1 to 12 weeks"}],
            "contrasts.csv:C#2": [{"analysis": "a1", "use": "excluded",
                                   "reason": "timepoint 104 weeks is outside the window of 1 to 12 weeks"}]}
    res = pool([study("A", {"final": (-0.5, 0.05)}), study("C", {}, rows=rows)])
    assert res["excluded"][0]["reason"] == ("timepoint 52 weeks is outside the window of 1 to 12 weeks; "
                                            "timepoint 104 weeks is outside the window of 1 to 12 weeks")
    # The fields decide, whatever words a note carries: the merged reason is written anew.
    rows = {"contrasts.csv:C#1": [late_note(52, words="late")], "contrasts.csv:C#2": [late_note(104, words="later")]}
    res = pool([study("A", {"final": (-0.5, 0.05)}), study("C", {}, rows=rows)])
    assert res["excluded"][0]["reason"] == "timepoints 52 and 104 weeks are outside the window of 1 to 12 weeks"
    # Weeks outside two different windows are two reasons.
    rows = {"contrasts.csv:C#1": [late_note(52)], "contrasts.csv:C#2": [late_note(104, window="other")]}
    res = pool([study("A", {"final": (-0.5, 0.05)}), study("C", {}, rows=rows)])
    assert [r["timepoint"]["weeks"] for r in res["excluded"][0]["reasons"]] == [[52.0], [104.0]]
    # Baseline rows are told by their kind: last, and alone replaced by what is missing.
    rows = {"contrasts.csv:C#1": [{"analysis": "a1", "use": "excluded", "reason": "a week-0 row",
                                   "timepoint": {"kind": "baseline"}}],
            "contrasts.csv:C#2": [{"analysis": "a1", "use": "excluded", "reason": "zz SD missing"}]}
    res = pool([study("A", {"final": (-0.5, 0.05)}), study("C", {}, rows=rows)])
    assert res["excluded"][0]["reason"] == "zz SD missing; a week-0 row"


# --- statuses ---------------------------------------------------------------------------------------------


def test_k0_no_studies() -> None:
    res = pool([study("E", role="external", external=[{"ref": "r", "estimate": -0.4}])])
    assert (res["status"], res["k"], res["pooled"], res["studies"]) == ("no_studies", 0, None, [])
    assert res["external"][0]["label"] == "Study E"


def test_k1_single_study_is_shown_not_pooled() -> None:
    res = pool([study("A", {"final": (-0.5, 0.04)})])
    assert (res["status"], res["k"], res["pooled"]) == ("single_study", 1, None)
    # No count of studies heterogeneity would need, which the methods' "cannot be assessed
    # with 3 or fewer" contradicted.
    assert res["reason"] == "Only 1 study: nothing to pool; the study's own effect is shown."
    (a,) = res["studies"]
    assert a["weight"] is None
    assert a["ci_lb"] == pytest.approx(-0.5 - Z975 * 0.2, rel=1e-14)
    assert a["ci_ub"] == pytest.approx(-0.5 + Z975 * 0.2, rel=1e-14)


def test_study_ci_follows_the_configured_level() -> None:
    res = pool([study("A", {"final": (0.0, 1.0)})], level=90)
    assert res["studies"][0]["ci_ub"] == pytest.approx(NormalDist().inv_cdf(0.95), rel=1e-14)


def test_k2_is_pooled() -> None:
    res = pool([study("A", {"final": (-0.5, 0.04)}), study("B", {"final": (-0.2, 0.05)})])
    assert (res["status"], res["k"]) == ("pooled", 2)
    assert res["pooled"]["k"] == 2


def test_fewer_than_min_studies_is_not_pooled() -> None:
    res = pool([study("A", {"final": (-0.5, 0.04)}), study("B", {"final": (-0.2, 0.05)})], min_studies=3)
    assert (res["status"], res["pooled"]) == ("not_poolable", None)
    assert "fewer than 3" in res["reason"]
    assert all(s["weight"] is None for s in res["studies"])


def test_unnamed_comparators_are_never_pooled() -> None:
    studies = [study(s, {"unknown": (y, 0.04)}) for s, y in (("A", -0.9), ("B", -0.6), ("C", -0.7))]
    res = pool(studies, comparator=UNNAMED)
    assert (res["status"], res["k"], res["pooled"]) == ("not_poolable", 3, None)
    assert "do not name" in res["reason"]
    assert pool(studies[:1], comparator=UNNAMED)["status"] == "single_study"


def test_only_trials_are_pooled_and_external_narrative_are_carried() -> None:
    studies = [study("A", {"final": (-0.5, 0.04)}), study("B", {"final": (-0.2, 0.05)}),
               study("M", {"final": (-2.0, 0.01)}, role="external", external=[{"ref": "contrasts.csv:M#1", "estimate": -0.6}]),
               study("G", role="narrative", narrative=["statements.csv:G#1"])]
    res = pool(studies)
    assert [s["study_id"] for s in res["studies"]] == ["A", "B"]
    assert res["external"] == [{"study_id": "M", "label": "Study M", "source_level": "primary",
                              "identity_confidence": "high", "population_fit": None, "ref": "contrasts.csv:M#1",
                              "estimate": -0.6}]
    assert res["narrative"] == [{"study_id": "G", "label": "Study G", "ref": "statements.csv:G#1"}]
    # A result read only in another document (an overview's table) is secondary though
    # the review's own report gives its other rows.
    studies[2]["analyses"]["a1"]["external"] = [{"ref": "contrasts.csv:M#2", "estimate": -0.6,
                                                 "read_elsewhere": True}]
    assert pool(studies)["external"][0]["read_elsewhere"] is True
    assert pool(studies)["external"][0]["source_level"] == "primary"


def test_studies_without_this_analysis_are_ignored() -> None:
    other = study("Z", {"final": (5.0, 0.01)})
    other["analyses"] = {"another": other["analyses"]["a1"]}
    res = pool([study("A", {"final": (-0.5, 0.04)}), other])
    assert res["k"] == 1


# --- the pooled numbers ----------------------------------------------------------------------------------------

YI = [-0.62, -0.15, -0.48, 0.05, -0.90]
VI = [0.040, 0.055, 0.030, 0.080, 0.120]


def five() -> list[dict[str, Any]]:
    return [study(f"S{i}", {"final": (y, v)}) for i, (y, v) in enumerate(zip(YI, VI))]


def test_pooled_numbers_equal_rma_on_the_same_data() -> None:
    res = pool(five())
    fit = rma(YI, VI, method="REML", test="knha", level=95)
    p = res["pooled"]
    for key in ("estimate", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub", "tau2", "I2", "QE", "QEp", "pval", "tval"):
        assert p[key] == pytest.approx(getattr(fit, key), rel=1e-12, abs=1e-15), key
    assert (p["method"], p["test"], p["k"], p["df"]) == ("REML", "knha", 5, 4)
    assert "weights" not in p
    assert [s["weight"] for s in res["studies"]] == pytest.approx(list(fit.weights), rel=1e-12)


def test_two_studies_get_no_prediction_interval_three_get_metafors() -> None:
    # With two studies metafor's interval rests on t(1) and a τ² of one degree of freedom:
    # left out, with why; from three, the interval is metafor's.
    res = pool(five()[:2])
    p = res["pooled"]
    assert (p["k"], p["pi_lb"], p["pi_ub"]) == (2, None, None)
    assert p["pi_note"] == "it needs at least 3 studies"
    assert res["pi_min_studies"] == 3
    fit = rma(YI[:2], VI[:2], method="REML", test="knha", level=95)
    assert p["ci_lb"] == pytest.approx(fit.ci_lb, rel=1e-12)  # the rest is metafor's as before
    p = pool(five()[:3])["pooled"]
    fit = rma(YI[:3], VI[:3], method="REML", test="knha", level=95)
    assert (p["pi_lb"], p["pi_ub"]) == (pytest.approx(fit.pi_lb, rel=1e-12), pytest.approx(fit.pi_ub, rel=1e-12))
    assert "pi_note" not in p


def test_the_floored_hartung_knapp_interval_is_metafors_adhoc() -> None:
    # Studies that agree more than chance would have them (Q < k - 1): knha's interval is
    # narrower than the Wald-type one, adhoc's never is.
    yi, vi = [-1.50, -1.60, -1.55], [0.24, 0.25, 0.26]
    studies = [study(f"S{i}", {"final": (y, v)}) for i, (y, v) in enumerate(zip(yi, vi))]
    knha, adhoc = pool(studies, test="knha")["pooled"], pool(studies, test="adhoc")["pooled"]
    wald = rma(yi, vi, method="REML", test="z", level=95)
    assert knha["ci_ub"] - knha["ci_lb"] < wald.ci_ub - wald.ci_lb < adhoc["ci_ub"] - adhoc["ci_lb"]
    fit = rma(yi, vi, method="REML", test="adhoc", level=95)
    assert (adhoc["ci_lb"], adhoc["ci_ub"], adhoc["test"]) == (
        pytest.approx(fit.ci_lb, rel=1e-12), pytest.approx(fit.ci_ub, rel=1e-12), "adhoc")


def test_weights_sum_to_100() -> None:
    res = pool(five())
    assert sum(s["weight"] for s in res["studies"]) == pytest.approx(100.0, rel=1e-12)
    assert all(s["weight"] > 0 for s in res["studies"])


def test_leave_one_out_refits_the_same_model_without_each_study() -> None:
    res = pool(five())
    l1o = res["pooled"]["leave1out"]
    assert [x["study_id"] for x in l1o] == ["S0", "S1", "S2", "S3", "S4"]
    for i, x in enumerate(l1o):
        # The same estimator, test and level on the other four studies.
        fit = rma(YI[:i] + YI[i + 1:], VI[:i] + VI[i + 1:], method="REML", test="knha", level=95)
        for key in ("estimate", "ci_lb", "ci_ub", "pval"):
            assert x[key] == pytest.approx(getattr(fit, key), rel=1e-8), (i, key)
    # Three studies: each refit would pool two, with a t interval of one degree of freedom.
    assert pool(five()[:3])["pooled"]["leave1out"] is None
    assert pool(five()[:4])["pooled"]["leave1out"] is not None


def test_small_study_effects_are_tested_only_from_the_configured_k() -> None:
    res = pool(five())
    assert res["pooled"]["regtest"] is None and res["small_study_min"] == 10
    ten = [study(f"T{i}", {"final": (YI[i % 5] + 0.01 * i, VI[i % 5])}) for i in range(10)]
    res = pool(ten)
    fit = rma([s["yi"] for s in res["studies"]], [s["vi"] for s in res["studies"]], method="REML", test="knha")
    reg = fit.regtest(model="rma", predictor="sei")
    assert res["pooled"]["regtest"] == {"model": "rma", "predictor": "sei", "zval": reg.tval, "tval": reg.tval,
                                        "df": 8, "pval": reg.pval, "slope": reg.slope, "slope_se": reg.slope_se,
                                        "tau2": reg.tau2}
    # A review may ask for it with fewer (methods.small_study_min).
    assert pool(five(), small_study_min=5)["pooled"]["regtest"]["df"] == 3


def test_the_small_study_test_keeps_what_its_statistic_is_made_of() -> None:
    # The report's audit row gives the slope, its SE and the regression's residual tau2,
    # so that a reader can refit the test: they are metafor's. metafor 3.8-1 on the 13
    # log risk ratios of dat.bcg (tests/reference/metafor_bias/dat.bcg__RR.json, fit
    # REML_knha): regtest(rma(yi, vi, method = "REML", test = "knha")) gives slope
    # -0.7632400, SE 0.9770671, residual tau2 0.3082491, t = -0.7811541 on 11 df, p = 0.4511967.
    import json
    from pathlib import Path

    ref = json.loads((Path(__file__).parents[1] / "reference" / "metafor_bias" / "dat.bcg__RR.json").read_text())
    trials = [study(f"T{i}", {"final": (y, v)}) for i, (y, v) in enumerate(zip(ref["yi"], ref["vi"]))]
    reg = pool(trials)["pooled"]["regtest"]
    assert reg["slope"] == pytest.approx(-0.7632400406042779, rel=1e-6)
    assert reg["slope_se"] == pytest.approx(0.9770671468959502, rel=1e-6)
    assert reg["tau2"] == pytest.approx(0.3082491111068908, rel=1e-6)
    assert (reg["tval"], reg["df"], reg["pval"]) == (pytest.approx(-0.781154133601789, rel=1e-6), 11,
                                                     pytest.approx(0.451196679953773, rel=1e-6))
    assert reg["tval"] == pytest.approx(reg["slope"] / reg["slope_se"], rel=1e-12)


def test_the_small_study_test_takes_the_configured_predictor() -> None:
    from metareview.bias import regtest

    ten = [study(f"T{i}", {"final": (YI[i % 5] + 0.01 * i, VI[i % 5])}) for i in range(10)]
    for i, s in enumerate(ten):  # sample sizes that vary
        s["analyses"]["a1"]["options"]["final"].update(n1=20.0 + 5 * i, n2=22.0 + 3 * i)
    res = pool(ten, small_study_predictor="ninv")
    fit = rma([s["yi"] for s in res["studies"]], [s["vi"] for s in res["studies"]], method="REML", test="knha")
    reg = regtest(fit, model="rma", predictor="ninv", ni=[s["n1"] + s["n2"] for s in res["studies"]])
    assert res["pooled"]["regtest"] == {"model": "rma", "predictor": "ninv", "zval": reg.tval, "tval": reg.tval,
                                        "df": 8, "pval": reg.pval, "slope": reg.slope, "slope_se": reg.slope_se,
                                        "tau2": reg.tau2}
    assert res["pooled"]["regtest"]["pval"] != pool(ten)["pooled"]["regtest"]["pval"]
    # A study without its arm sizes: the sample-size test cannot be fitted, and says why.
    ten[3]["analyses"]["a1"]["options"]["final"]["n2"] = None
    p = pool(ten, small_study_predictor="sqrtninv")["pooled"]
    assert p["regtest"] is None and p["regtest_error"] == "the sample sizes of Study T3 are not reported"
    # Equal sample sizes leave nothing to regress on.
    for s in ten:
        s["analyses"]["a1"]["options"]["final"].update(n1=30.0, n2=30.0)
    p = pool(ten, small_study_predictor="ni")["pooled"]
    assert p["regtest"] is None and p["regtest_error"] == "the predictor (ni) is the same for every study"
    # 1/n of trials of thousands lies so close to 0 that the design matrix fails the
    # full-rank check (metafor's too): said as such, not as equal predictors.
    for i, s in enumerate(ten):
        s["analyses"]["a1"]["options"]["final"].update(n1=1500.0 + 1000 * i, n2=1500.0 + 1000 * i)
    p = pool(ten, small_study_predictor="ninv")["pooled"]
    assert p["regtest"] is None and p["regtest_error"] == (
        "with the predictor (ninv) the model is not of full rank; 1/n of trials this large lies too close to 0, "
        "which 1/sqrt(n) (sqrtninv) avoids")
    assert pool(ten, small_study_predictor="sqrtninv")["pooled"]["regtest"] is not None


def test_an_se_based_small_study_test_of_an_smd_is_run_on_sample_size_too() -> None:
    # The report hedged the test on the SE of an SMD (the SE grows with g itself, so the
    # test finds asymmetry too often) by "a sample-size predictor ... does not", and never
    # ran one. Beside it, the same test on 1/sqrt(n1 + n2): metafor's
    # regtest(res, predictor = "sqrtninv").
    from metareview.bias import regtest

    ten = [study(f"T{i}", {"final": (YI[i % 5] + 0.01 * i, VI[i % 5])}) for i in range(10)]
    for i, s in enumerate(ten):  # sample sizes that vary
        s["analyses"]["a1"]["options"]["final"].update(n1=20.0 + 5 * i, n2=22.0 + 3 * i)
    res = pool(ten)
    fit = rma([s["yi"] for s in res["studies"]], [s["vi"] for s in res["studies"]], method="REML", test="knha")
    reg = regtest(fit, model="rma", predictor="sqrtninv", ni=[s["n1"] + s["n2"] for s in res["studies"]])
    assert res["pooled"]["regtest"]["predictor"] == "sei"
    assert res["pooled"]["regtest_sqrtninv"] == {"model": "rma", "predictor": "sqrtninv", "zval": reg.tval,
                                                 "tval": reg.tval, "df": 8, "pval": reg.pval, "slope": reg.slope,
                                                 "slope_se": reg.slope_se, "tau2": reg.tau2}
    assert res["pooled"]["regtest_sqrtninv"]["pval"] != res["pooled"]["regtest"]["pval"]
    # Not beside a mean difference, whose SE does not depend on the effect, nor beside a
    # test the review already runs on sample size.
    assert "regtest_sqrtninv" not in pool(ten, measure="MD")["pooled"]
    assert "regtest_sqrtninv" not in pool(ten, small_study_predictor="ni")["pooled"]
    # Nor with fewer studies than the test needs.
    assert "regtest_sqrtninv" not in pool(ten[:9])["pooled"]
    # A study without its arm sizes: the SE-based test stands alone.
    ten[3]["analyses"]["a1"]["options"]["final"]["n2"] = None
    p = pool(ten)["pooled"]
    assert p["regtest"] is not None and p["regtest_sqrtninv"] is None


def test_equal_effects_pooled_by_hand() -> None:
    res = pool(five(), method="EE", test="z")
    w = [1 / v for v in VI]
    est = sum(wi * y for wi, y in zip(w, YI)) / sum(w)
    se = 1 / math.sqrt(sum(w))
    p = res["pooled"]
    assert p["estimate"] == pytest.approx(est, rel=1e-12)
    assert p["se"] == pytest.approx(se, rel=1e-12)
    assert (p["ci_lb"], p["ci_ub"]) == (pytest.approx(est - Z975 * se, rel=1e-12), pytest.approx(est + Z975 * se, rel=1e-12))
    assert p["QE"] == pytest.approx(sum(wi * (y - est) ** 2 for wi, y in zip(w, YI)), rel=1e-12)
    assert [s["weight"] for s in res["studies"]] == pytest.approx([100 * wi / sum(w) for wi in w], rel=1e-12)


def test_study_order_does_not_matter() -> None:
    studies = five()
    forward = pool(studies)
    backward = pool(list(reversed(studies)))
    assert forward == backward
    assert [s["study_id"] for s in forward["studies"]] == ["S0", "S1", "S2", "S3", "S4"]


def test_analysis_labels() -> None:
    a = pool(five())["analysis"]
    assert (a["intervention_label"], a["comparator_label"], a["outcome_label"], a["window_label"]) == (
        "Acupuncture", "Sham", "Pain", "Short term")
    assert a["measure_label"] == "SMD (Hedges\u2019 g)"
    assert pool(five(), comparator=UNNAMED)["analysis"]["comparator_label"] == UNNAMED  # no label given


def test_a_study_effect_keeps_the_rows_extracted_with_low_confidence() -> None:
    a, b = study("A", {"final": (-0.5, 0.05)}), study("B", {"final": (-0.3, 0.04)})
    a["analyses"]["a1"]["options"]["final"]["low_confidence"] = ["arm_outcomes.csv:A#1"]
    res = pool([a, b])
    assert {s["study_id"]: s["low_confidence"] for s in res["studies"]} == {"A": ["arm_outcomes.csv:A#1"], "B": []}


# --- τ² interval on a wide scale ------------------------------------------------------------------


def test_a_mean_difference_on_a_0_100_scale_gets_its_tau2_bound_not_metafors_ceiling() -> None:
    """Five trials of neck pain on 0-100 (final values, exercise minus usual care):
    arm means/SDs/ns as below; the fifth reports MD -6.5 (95% CI -12.1 to -0.9)."""
    from scipy import optimize, stats

    arms = [(38.2, 20.1, 60, 47.5, 21.3, 58), (41.0, 18.5, 45, 49.8, 19.9, 47), (30.2, 17.0, 30, 46.9, 18.2, 30),
            (35.6, 22.4, 80, 39.1, 23.0, 79)]
    effects = [(m1 - m2, s1**2 / n1 + s2**2 / n2) for m1, s1, n1, m2, s2, n2 in arms]
    effects.append((-6.5, (11.2 / (2 * Z975)) ** 2))
    studies = [study(str(i), {"final": e}) for i, e in enumerate(effects)]
    scale = {"label": "Neck pain", "scale_min": 0, "scale_max": 100}
    res = pool_analysis(analysis("MD"), studies, methods={**METHODS, "test": "adhoc"}, labels=LABELS, scale=scale)
    p = res["pooled"]
    # Hand computation of the Q-profile upper bound (Viechtbauer 2007): the τ² at which the
    # generalised Q, Σ w_i (y_i − μ̂_w)² with w_i = 1/(v_i + τ²), falls to the 2.5% quantile
    # of χ² on k − 1 = 4 df (0.4844). It is about 180.6, beyond metafor's ceiling of 100.
    y = [e[0] for e in effects]
    v = [e[1] for e in effects]

    def q_gen(t2: float) -> float:
        w = [1 / (vi + t2) for vi in v]
        mu = sum(wi * yi for wi, yi in zip(w, y)) / sum(w)
        return sum(wi * (yi - mu) ** 2 for wi, yi in zip(w, y))

    upper = optimize.brentq(lambda t: q_gen(t) - stats.chi2.ppf(0.025, 4), 0.0, 1e4, xtol=1e-12)
    assert 150 < upper < 200
    assert p["tau2_ci_ub"] == pytest.approx(upper, rel=1e-8)
    assert p["ci_ub_sign"] == ""
    # The results file says how far it searched: metafor's tau2.max for the same bounds.
    assert p["tau2_max"] == 100.0**2
    # Without the scale (an SMD, say), metafor's ceiling and its sign, as before.
    plain = pool_analysis(analysis("MD"), studies, methods={**METHODS, "test": "adhoc"}, labels=LABELS)
    assert plain["pooled"]["tau2_ci_ub"] == 100.0 and plain["pooled"]["ci_ub_sign"] == ">"
    assert plain["pooled"]["tau2_max"] is None
    # The estimate and its interval do not depend on how far τ²'s interval is searched.
    assert p["estimate"] == plain["pooled"]["estimate"] and p["ci_lb"] == plain["pooled"]["ci_lb"]
    # The ceiling is metafor's tau2.max, which replaces its default end max(100, 10 τ²):
    # 10² = 100 would shorten the default whenever τ² > 10, so a scale of 10 points or
    # less (the example's 0-10 pain scale) passes none; an SMD has no scale.
    from metareview.analysis import tau2_ceiling
    assert tau2_ceiling(analysis("MD"), scale) == 100.0**2
    assert tau2_ceiling(analysis("MD"), {"scale_min": 0, "scale_max": 10}) is None
    assert tau2_ceiling(analysis("MD"), {"scale_min": 0, "scale_max": 5}) is None
    assert tau2_ceiling(analysis("SMD"), scale) is None


def test_an_effect_flagged_for_a_baseline_difference_names_its_week_0_rows() -> None:
    # Cherkin 2009 against sham: RMDQ 10.8 vs 9.8 at week 0 (SMD 0.19), read from the arms'
    # week-0 rows. The pooled study entry names those rows, so that the evidence appendix
    # can say they were read for the flag instead of calling them unused.
    refs = ["arm_outcomes.csv:C#1", "arm_outcomes.csv:C#2"]
    flagged = study("C", {"final": (0.17, 0.0125)})
    flagged["analyses"]["a1"]["options"]["final"]["baseline"] = {"yi": 0.19, "smd": 0.19, "refs": refs}
    res = pool([flagged, study("K", {"final": (0.05, 0.085)})])
    by_id = {s["study_id"]: s for s in res["studies"]}
    assert by_id["C"]["baseline_refs"] == refs and by_id["C"]["baseline_imbalance"] == 0.19
    assert "baseline_refs" not in by_id["K"]  # no flag: its week-0 rows gave no printed number


def test_a_mean_difference_carries_its_common_scale_for_the_plot_axis() -> None:
    # The forest plot's axis read "Mean difference": half a point is much on 0 to 10 and
    # little on 0 to 100, and the plot (also copied to slides) did not say which.
    studies = [study(str(i), {"final": e}) for i, e in enumerate([(-0.5, 0.04), (-0.9, 0.09)])]
    scale = {"label": "Pain", "scale_min": 0, "scale_max": 10}
    md = pool_analysis(analysis("MD"), studies, methods=METHODS, labels=LABELS, scale=scale)
    assert md["analysis"]["common_scale"] == "0 to 10"
    # An SMD has no points, and an MD without a known scale says nothing.
    assert "common_scale" not in pool_analysis(analysis("SMD"), studies, methods=METHODS, labels=LABELS,
                                               scale=scale)["analysis"]
    assert "common_scale" not in pool_analysis(analysis("MD"), studies, methods=METHODS, labels=LABELS)["analysis"]


# --- the equal-effects estimate beside an interval on t with 1 df --------------------------------------


def test_two_studies_on_t_with_one_df_carry_an_equal_effects_estimate_by_hand() -> None:
    """Two trials that agree (MD −0.5, vi 0.15; MD −0.9, vi 0.25): the Hartung-Knapp
    interval on 1 df holds 0, the equal-effects one, by hand, does not."""
    studies = [study("A", {"final": (-0.5, 0.15)}), study("B", {"final": (-0.9, 0.25)})]
    p = pool(studies, "MD", test="adhoc")["pooled"]
    w = [1 / 0.15, 1 / 0.25]
    est = (w[0] * -0.5 + w[1] * -0.9) / sum(w)
    se = math.sqrt(1 / sum(w))
    ee = p["equal_effects"]
    assert (ee["method"], ee["test"], ee["level"]) == ("EE", "z", 95.0)
    assert ee["estimate"] == pytest.approx(est, rel=1e-12) and ee["se"] == pytest.approx(se, rel=1e-12)
    assert ee["ci_lb"] == pytest.approx(est - Z975 * se, rel=1e-12)
    assert ee["ci_ub"] == pytest.approx(est + Z975 * se, rel=1e-12)
    assert ee["ci_ub"] < 0 < p["ci_ub"]
    assert ee["pval"] == pytest.approx(2 * NormalDist().cdf(est / se), rel=1e-9)
    # Added beside the random-effects numbers, which are those of the fit without it.
    alone = rma([-0.5, -0.9], [0.15, 0.25], method="REML", test="adhoc")
    assert (p["estimate"], p["ci_lb"], p["ci_ub"], p["df"]) == (alone.beta[0], alone.ci_lb, alone.ci_ub, 1)


@pytest.mark.parametrize(("k", "methods"), [
    (3, {"test": "adhoc"}),  # t on 2 df: the data, more than the method, make it wide
    (2, {"test": "z"}),  # a normal interval: nothing to set beside it
    (2, {"method": "EE", "test": "z"}),  # an equal-effects model already
    (2, {"method": "FE", "test": "t"}),
])
def test_no_equal_effects_estimate_where_the_interval_is_not_on_t_with_one_df(k: int, methods: dict[str, Any]) -> None:
    studies = [study(s, {"final": (y, 0.04)}) for s, y in zip("ABC", (0.1, 0.4, 0.3))][:k]
    p = pool(studies, **methods)["pooled"]
    assert p["k"] == k and "equal_effects" not in p


def test_a_ratios_equal_effects_estimate_is_exponentiated_beside_its_log() -> None:
    studies = [study("A", {"binary": (math.log(1.3), 0.02)}), study("B", {"binary": (math.log(1.1), 0.03)})]
    ee = pool(studies, "RR", test="knha")["pooled"]["equal_effects"]
    assert ee["estimate_exp"] == pytest.approx(math.exp(ee["estimate"]))
    assert (ee["ci_lb_exp"], ee["ci_ub_exp"]) == (pytest.approx(math.exp(ee["ci_lb"])), pytest.approx(math.exp(ee["ci_ub"])))
