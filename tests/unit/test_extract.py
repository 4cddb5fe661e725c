"""Unit tests for metareview.extract: one effect per study and analysis, computed by hand.

Each study is written as a raw bundle (the rows a per-study job sees), normalised with
:func:`metareview.normalise.normalise_study`, then passed to :func:`study_effects`. Expected
values are recomputed here with the standard library's math.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import pytest

from metareview.conversions import mean_sd_from_quantiles
from metareview.effects import escalc
from metareview.extract import LOW_CONFIDENCE, baseline_difference, combine_groups, study_effects
from metareview.normalise import UNNAMED, normalise_study, same_timepoint, term_window

Z975 = NormalDist().inv_cdf(0.975)

NODES = {"acupuncture": {"label": "Acupuncture", "treatments": ["acupuncture", "electroacupuncture"]},
         "sham": {"label": "Sham", "treatments": ["sham_acupuncture"]}}
OUTCOMES = {"pain": {"label": "Pain", "scale_min": 0, "scale_max": 10},
            "disability": {"label": "Disability", "scale_min": 0, "scale_max": 100}}
WINDOWS = {"short": {"label": "Short", "min_weeks": 1, "max_weeks": 12, "target_weeks": 6},
           "from0": {"label": "From 0", "min_weeks": 0, "max_weeks": 12, "target_weeks": 6}}
INSTRUMENTS = [
    {"instrument": "VAS_0_10", "label": "VAS 0-10", "outcome": "pain", "scale_min": 0, "scale_max": 10, "lower_is_better": True},
    {"instrument": "VAS_0_100", "label": "VAS 0-100", "outcome": "pain", "scale_min": 0, "scale_max": 100, "lower_is_better": True},
    {"instrument": "NRS_0_10", "label": "NRS 0-10", "outcome": "pain", "scale_min": 0, "scale_max": 10, "lower_is_better": True},
    {"instrument": "VAS_x", "label": "VAS (range not stated)", "outcome": "pain", "scale_min": None, "scale_max": None,
     "lower_is_better": True},
]
TREATMENTS = [
    {"treatment": "acupuncture", "label": "Acupuncture", "role": "active"},
    {"treatment": "electroacupuncture", "label": "Electroacupuncture", "role": "active"},
    {"treatment": "sham_acupuncture", "label": "Sham", "role": "sham"},
    {"treatment": "unnamed_control", "label": "Control", "role": "unnamed"},
]


def analysis(measure: str = "SMD", window: str = "short", comparator: str = "sham", aid: str | None = None) -> dict[str, Any]:
    return {"id": aid or f"acu_vs_{comparator}_{measure.lower()}_{window}", "intervention": "acupuncture",
            "comparator": comparator, "outcome": "pain", "window": window, "measure": measure}


def make_bundle(arms: list[tuple[str, str, int | None]], values: list[dict[str, Any]] = (),
                contrasts: list[dict[str, Any]] = (), design: str = "rct") -> dict[str, Any]:
    def refd(rows: list[dict[str, Any]], table: str) -> list[dict[str, Any]]:
        return [{**r, "_ref": f"{table}.csv:S#{i}"} for i, r in enumerate(rows, start=1)]

    return {
        "study": {"study_id": "S", "label": "Study S", "design": design, "source_level": "primary",
                  "identity_confidence": "high"},
        "treatments": TREATMENTS, "instruments": INSTRUMENTS,
        "arms": refd([{"arm_id": a, "treatment": t, "n_randomised": n} for a, t, n in arms], "arms"),
        "arm_outcomes": refd([{"outcome": "pain", "instrument": "VAS_0_10", "timepoint_weeks": 6.0,
                               "value_type": "final", **v} for v in values], "arm_outcomes"),
        "contrasts": refd([{"outcome": "pain", "instrument": "VAS_0_10", "timepoint_weeks": 6.0,
                            "sign_convention": "arm1_minus_arm2", **c} for c in contrasts], "contrasts"),
        "statements": [],
    }


def effects(bundle: dict[str, Any], *analyses: dict[str, Any], assume_equal: bool = True) -> dict[str, Any]:
    doc = normalise_study(bundle, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS)
    return study_effects(doc, list(analyses), windows=WINDOWS, assume_equal_arms_from_total=assume_equal)


def reasons(out: dict[str, Any], ref: str) -> list[tuple[str, str]]:
    return [(n["use"], n["reason"]) for n in out["rows"].get(ref, [])]


TWO_ARMS = [("int", "acupuncture", None), ("ctl", "sham_acupuncture", None)]


def arm_values(i: tuple[float, float, float], c: tuple[float, float, float], **kw: Any) -> list[dict[str, Any]]:
    """Rows for the intervention and control arm: (n, mean, sd) each."""
    return [{"arm_id": "int", "n": i[0], "mean": i[1], "sd": i[2], **kw},
            {"arm_id": "ctl", "n": c[0], "mean": c[1], "sd": c[2], **kw}]


# --- combining arms -----------------------------------------------------------------------------------


def test_combine_two_groups_by_hand() -> None:
    # Cochrane Handbook 6.5.2.10: N = 20 + 30 = 50; M = (20x4 + 30x5)/50 = 4.6;
    # SD^2 = (19x2^2 + 29x3^2 + (20x30/50)(4 - 5)^2)/49 = (76 + 261 + 12)/49 = 349/49.
    n, m, sd = combine_groups([20, 30], [4.0, 5.0], [2.0, 3.0])
    assert n == 50
    assert m == pytest.approx(4.6, rel=1e-15)
    assert sd == pytest.approx(math.sqrt(349 / 49), rel=1e-14)


def test_combine_three_groups_equals_pooling_all_participants() -> None:
    ns, ms, sds = [12, 20, 33], [3.0, 4.5, 2.0], [1.0, 2.0, 1.5]
    big_n = sum(ns)
    big_m = sum(n * m for n, m in zip(ns, ms)) / big_n
    # sum of squares about the grand mean, over all participants
    ss = sum((n - 1) * s**2 + n * (m - big_m) ** 2 for n, m, s in zip(ns, ms, sds))
    n, m, sd = combine_groups(ns, ms, sds)
    assert (n, m) == (big_n, pytest.approx(big_m, rel=1e-14))
    assert sd == pytest.approx(math.sqrt(ss / (big_n - 1)), rel=1e-13)
    assert combine_groups([9], [1.0], [2.0]) == (9.0, 1.0, 2.0)


# --- arm-level data ---------------------------------------------------------------------------------


def test_smd_from_arm_means_equals_escalc_and_hand_formula() -> None:
    out = effects(make_bundle(TWO_ARMS, arm_values((30, 3.0, 2.0), (32, 4.2, 2.4))), analysis())
    opt = out["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    ref = escalc("SMD", m1i=[3.0], sd1i=[2.0], n1i=[30], m2i=[4.2], sd2i=[2.4], n2i=[32])
    assert opt["yi"] == pytest.approx(float(ref.yi[0]), rel=1e-14)
    assert opt["vi"] == pytest.approx(float(ref.vi[0]), rel=1e-14)
    # by hand: sp^2 = (29x4 + 31x5.76)/60, d = -1.2/sp, J(60), vi = 1/30 + 1/32 + g^2/124
    sp = math.sqrt((29 * 4 + 31 * 5.76) / 60)
    j = math.exp(math.lgamma(30) - math.log(math.sqrt(30)) - math.lgamma(29.5))
    g = j * (-1.2 / sp)
    assert opt["yi"] == pytest.approx(g, rel=1e-12)
    assert opt["vi"] == pytest.approx(1 / 30 + 1 / 32 + g**2 / 124, rel=1e-12)
    assert (opt["n1"], opt["n2"], opt["form"]) == (30, 32, "arm-level means and SDs")
    assert opt["refs"] == ["arm_outcomes.csv:S#1", "arm_outcomes.csv:S#2"]
    assert reasons(out, "arm_outcomes.csv:S#1") == [("candidate", "final values")]


def test_md_on_the_common_scale_from_vas_0_100() -> None:
    rows = arm_values((25, 40.0, 20.0), (25, 50.0, 20.0), instrument="VAS_0_100")
    out = effects(make_bundle(TWO_ARMS, rows), analysis("MD"))
    opt = out["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    # 40 and 50 mm are 4 and 5 on 0-10, SDs 2: MD -1, vi = 4/25 + 4/25
    assert opt["yi"] == pytest.approx(-1.0)
    assert opt["vi"] == pytest.approx(0.32)


def test_md_needs_a_known_range_smd_does_not() -> None:
    rows = arm_values((25, 40.0, 20.0), (25, 50.0, 20.0), instrument="VAS_x")
    out = effects(make_bundle(TWO_ARMS, rows), analysis("MD"), analysis("SMD"))
    assert out["analyses"]["acu_vs_sham_md_short"]["options"] == {}
    assert ("excluded", "instrument range unknown: cannot express as MD on the common scale") in reasons(out, "arm_outcomes.csv:S#1")
    assert "final" in out["analyses"]["acu_vs_sham_smd_short"]["options"]


def test_two_intervention_arms_are_combined_once() -> None:
    arms = [("a1", "acupuncture", None), ("a2", "electroacupuncture", None), ("ctl", "sham_acupuncture", None)]
    rows = [{"arm_id": "a1", "n": 20, "mean": 4.0, "sd": 2.0}, {"arm_id": "a2", "n": 30, "mean": 5.0, "sd": 3.0},
            {"arm_id": "ctl", "n": 40, "mean": 6.0, "sd": 2.5}]
    out = effects(make_bundle(arms, rows), analysis("MD"))
    opt = out["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    # combined arm (see test_combine_two_groups_by_hand): n 50, mean 4.6, SD^2 349/49
    assert opt["n1"] == 50 and opt["n2"] == 40
    assert opt["yi"] == pytest.approx(4.6 - 6.0)
    assert opt["vi"] == pytest.approx(349 / 49 / 50 + 2.5**2 / 40)
    assert "2 intervention arms combined" in opt["flags"]
    assert any("Cochrane Handbook 6.5.2.10" in s for s in opt["steps"])


def test_two_contrasts_against_a_shared_arm_use_it_once_and_say_which_was_set_aside() -> None:
    # Manual and electroacupuncture each against the same sham, reported only as mean
    # differences: they cannot be combined as arm-level data can, and both in the analysis
    # would count the sham arm twice. One is used (the first, the arm sizes being equal);
    # the study's effect names the other, not only the appendix's row list.
    arms = [("ma", "acupuncture", 40), ("ea", "electroacupuncture", 40), ("sham", "sham_acupuncture", 40)]
    b = make_bundle(arms, contrasts=[
        {"arm1": "ma", "arm2": "sham", "measure": "MD", "value_type": "final", "estimate": -1.1, "ci_lb": -1.9,
         "ci_ub": -0.3, "n1": 40, "n2": 40},
        {"arm1": "ea", "arm2": "sham", "measure": "MD", "value_type": "final", "estimate": -1.5, "ci_lb": -2.3,
         "ci_ub": -0.7, "n1": 40, "n2": 40}])
    a = analysis("MD")
    out = effects(b, a)
    opt = out["analyses"][a["id"]]["options"]["final"]
    assert opt["yi"] == pytest.approx(-1.1) and opt["refs"] == ["contrasts.csv:S#1"]
    # Variance from the interval, whose groups of 40 are small enough for t on 78 df (R:
    # qt(0.975, 78) = 1.99084706881169): ((-0.3 - -1.9) / (2 x 1.990847))^2 = 0.4018^2
    assert opt["vi"] == pytest.approx((1.6 / (2 * 1.99084706881169)) ** 2, rel=1e-12)
    assert reasons(out, "contrasts.csv:S#2") == [
        ("superseded", "another arm pair of the same trial is used (one row per trial per analysis)")]
    assert ("another arm pair of this trial set aside (contrasts.csv:S#2): one comparison per trial per analysis, "
            "so that an arm the pairs share counts once") in " ".join(opt["flags"])
    # A trial of one arm pair gets no such flag.
    one = effects(make_bundle(arms, contrasts=[b["contrasts"][0]]), a)
    assert not any("arm pair" in f for f in one["analyses"][a["id"]]["options"]["final"]["flags"])


def test_an_effect_records_the_treatments_of_the_arms_it_was_read_from() -> None:
    # An indirect comparison names each side's controls by their raw treatments: the node
    # ("acupuncture") groups two, and the effect is of the arms its rows are of.
    arms = [("a1", "acupuncture", None), ("a2", "electroacupuncture", None), ("ctl", "sham_acupuncture", None)]
    rows = [{"arm_id": "a1", "n": 20, "mean": 4.0, "sd": 2.0}, {"arm_id": "a2", "n": 30, "mean": 5.0, "sd": 3.0},
            {"arm_id": "ctl", "n": 40, "mean": 6.0, "sd": 2.5}]
    opt = effects(make_bundle(arms, rows), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert opt["arm_treatments"] == {
        "intervention": [{"treatment": "acupuncture", "label": "Acupuncture"},
                         {"treatment": "electroacupuncture", "label": "Electroacupuncture"}],
        "comparator": [{"treatment": "sham_acupuncture", "label": "Sham"}]}
    # A reported contrast: its two arms, whichever way round it was reported; an arm of
    # the node in no row of the effect is not among them.
    b = make_bundle(arms, contrasts=[{"arm1": "ctl", "arm2": "a2", "measure": "MD", "value_type": "final",
                                      "estimate": 1.5, "ci_lb": 0.7, "ci_ub": 2.3, "n1": 40, "n2": 40}])
    opt = effects(b, analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert opt["arm_treatments"] == {"intervention": [{"treatment": "electroacupuncture", "label": "Electroacupuncture"}],
                                     "comparator": [{"treatment": "sham_acupuncture", "label": "Sham"}]}


def test_two_rows_of_one_arm_pair_use_the_larger_and_do_not_call_the_other_another_pair() -> None:
    # An ITT result (45 + 44) and a per-protocol one (40 + 38) of the same comparison: the
    # one of more participants is used, and the other's row says it is of the same pair.
    arms = [("ma", "acupuncture", 45), ("sham", "sham_acupuncture", 44)]
    b = make_bundle(arms, contrasts=[
        {"arm1": "ma", "arm2": "sham", "measure": "MD", "value_type": "final", "estimate": -1.5, "ci_lb": -2.5,
         "ci_ub": -0.5, "n1": 40, "n2": 38},
        {"arm1": "ma", "arm2": "sham", "measure": "MD", "value_type": "final", "estimate": -1.1, "ci_lb": -1.9,
         "ci_ub": -0.3, "n1": 45, "n2": 44}])
    a = analysis("MD")
    out = effects(b, a)
    opt = out["analyses"][a["id"]]["options"]["final"]
    assert opt["refs"] == ["contrasts.csv:S#2"] and opt["yi"] == pytest.approx(-1.1)
    assert not any("arm pair" in f for f in opt["flags"])
    assert "pair" not in opt
    assert reasons(out, "contrasts.csv:S#1") == [
        ("superseded", ("another row of the same arm pair, instrument and timepoint is used (one row per trial per "
                        "analysis: the one of more participants, else the first in the table)"))]


def test_an_arm_of_the_node_without_a_value_is_flagged_as_left_out() -> None:
    # Cherkin 2009: two acupuncture arms, one with no final value at the timepoint; the
    # effect is that of the other arm alone, and the flag says so.
    arms = [("a1", "acupuncture", None), ("a2", "electroacupuncture", None), ("ctl", "sham_acupuncture", None)]
    rows = [{"arm_id": "a1", "n": 20, "mean": 4.0, "sd": 2.0}, {"arm_id": "ctl", "n": 40, "mean": 6.0, "sd": 2.5}]
    out = effects(make_bundle(arms, rows), analysis("MD"))
    opt = out["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert opt["n1"] == 20 and opt["yi"] == pytest.approx(-2.0)
    assert opt["flags"] == [("intervention arm \u2018Electroacupuncture\u2019 not included: no value at this timepoint, "
                             "instrument and value type")]
    # An arm with a description is named by it, as the evidence table names it.
    bundle = make_bundle(arms, rows)
    bundle["arms"][1]["description"] = "Individualized electroacupuncture; points chosen per patient"
    opt = effects(bundle, analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert opt["flags"][0].startswith("intervention arm \u2018Individualized electroacupuncture\u2019 not included")


def test_repeated_rows_for_one_arm_are_not_combined_as_two_groups() -> None:
    rows = arm_values((30, 3.0, 2.0), (32, 4.2, 2.4)) + [{"arm_id": "int", "n": 30, "mean": 3.1, "sd": 2.0}]
    out = effects(make_bundle(TWO_ARMS, rows), analysis())
    assert out["analyses"]["acu_vs_sham_smd_short"]["options"] == {}
    use, why = reasons(out, "arm_outcomes.csv:S#3")[0]
    assert use == "excluded" and "more than one value for arm int" in why


def test_repeated_rows_for_one_arm_leave_the_study_another_timepoint() -> None:
    # What the consistency warning on them says: the ambiguous timepoint is unused, and
    # the study enters with another (week 4 here, farther from the target of 6) rather
    # than being set aside.
    rows = (arm_values((30, 3.0, 2.0), (32, 4.2, 2.4)) + [{"arm_id": "int", "n": 30, "mean": 3.1, "sd": 2.0}]
            + arm_values((30, 3.5, 2.0), (32, 4.0, 2.4), timepoint_weeks=4.0))
    out = effects(make_bundle(TWO_ARMS, rows), analysis("MD"))
    opt = out["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert opt["refs"] == ["arm_outcomes.csv:S#4", "arm_outcomes.csv:S#5"]
    assert opt["yi"] == pytest.approx(3.5 - 4.0)
    assert reasons(out, "arm_outcomes.csv:S#1")[0][0] == "excluded"


def test_sd_missing_is_excluded_with_reason_and_se_gives_sd() -> None:
    rows = arm_values((30, 3.0, None), (32, 4.2, 2.4))
    out = effects(make_bundle(TWO_ARMS, rows), analysis())
    assert out["analyses"]["acu_vs_sham_smd_short"]["options"] == {}
    assert reasons(out, "arm_outcomes.csv:S#1") == [("excluded", "no SD reported, and the review does not impute missing SDs")]
    # The comparator's row has its SD: the reason it gives is its partner's.
    assert reasons(out, "arm_outcomes.csv:S#2") == [
        ("excluded", "the other arm's row at this timepoint is not usable (no SD reported, and the review does not impute missing SDs)")]
    # with an SE instead: SD = SE x sqrt(n) = 0.5 x sqrt(36) = 3
    rows = [{"arm_id": "int", "n": 36, "mean": 3.0, "se": 0.5}, {"arm_id": "ctl", "n": 36, "mean": 4.0, "sd": 3.0}]
    opt = effects(make_bundle(TWO_ARMS, rows), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert opt["vi"] == pytest.approx(9 / 36 + 9 / 36)
    assert "arm_outcomes.csv:S#1: SD from SE, n = 36: SD = SE x sqrt(n) = 3" in opt["steps"]
    # On a 0-100 VAS the SE of 0.5 is rescaled with the mean to the common 0-10 scale
    # (0.05), so the SD derived from it is 0.05 x 6 = 0.3 there (3 in the raw cells' units).
    rows = [{"arm_id": "int", "n": 36, "mean": 30.0, "se": 0.5, "instrument": "VAS_0_100"},
            {"arm_id": "ctl", "n": 36, "mean": 40.0, "sd": 3.0, "instrument": "VAS_0_100"}]
    opt = effects(make_bundle(TWO_ARMS, rows), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert "arm_outcomes.csv:S#1: SD from SE, n = 36: SD = SE x sqrt(n) = 0.3 on the common scale" in opt["steps"]


def test_a_value_is_on_the_common_scale_by_its_rescale_step_not_by_the_words_of_its_steps() -> None:
    # An instrument of unknown range whose label happens to say "rescaled to", higher
    # being better: its values are only multiplied by -1 ("<label>: higher is better, so
    # values are multiplied by -1"), so the SD from an SE and the baseline MD stay in the
    # raw cells' units, and no step may call them the common scale's.
    label = "Pain score rescaled to T-scores by the authors"
    instrument = {"instrument": "T_x", "label": label, "outcome": "pain", "scale_min": None, "scale_max": None,
                  "lower_is_better": False}
    b = make_bundle(TWO_ARMS, [
        {"arm_id": "int", "n": 36, "mean": 50.0, "sd": 6.0, "timepoint_weeks": 0.0, "instrument": "T_x"},
        {"arm_id": "ctl", "n": 36, "mean": 48.0, "sd": 6.0, "timepoint_weeks": 0.0, "instrument": "T_x"},
        {"arm_id": "int", "n": 36, "mean": 44.0, "se": 1.0, "instrument": "T_x"},
        {"arm_id": "ctl", "n": 36, "mean": 40.0, "sd": 6.0, "instrument": "T_x"}])
    b["instruments"] = [*INSTRUMENTS, instrument]
    opt = effects(b, analysis("SMD"))["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    assert f"arm_outcomes.csv:S#3: {label}: higher is better, so values are multiplied by -1" in opt["steps"]
    # SD = SE x sqrt(n) = 1 x 6 = 6, in the raw cells' units.
    assert "arm_outcomes.csv:S#3: SD from SE, n = 36: SD = SE x sqrt(n) = 6" in opt["steps"], opt["steps"]
    # Baseline: -50 - (-48) = -2 after the reflection, d = -2/6 = -0.3333.
    assert "arm_outcomes.csv:S#1, arm_outcomes.csv:S#2: baseline (week 0) difference between the groups: MD = -2, " \
           "d = -0.3333" in opt["steps"], opt["steps"]


def test_rescale_step_names_the_step_that_put_a_value_on_the_common_scale() -> None:
    import json

    from metareview.normalise import normalise_arm_value, rescale_step

    common = OUTCOMES["pain"]
    vas100, vas10 = INSTRUMENTS[1], INSTRUMENTS[0]
    row = {"value_type": "change", "mean": -20.0, "sd": 15.0}
    scaled = normalise_arm_value(row, vas100, common)
    assert rescale_step(scaled) == "VAS 0-100 rescaled to 0\u201310 (\u00d70.1)"
    assert rescale_step(normalise_arm_value(row, vas10, common)) is None  # x 1: nothing to say
    # Final values on a scale that starts elsewhere are moved onto the common one (x 1).
    shifted = normalise_arm_value({"value_type": "final", "mean": 3.0}, {**vas10, "scale_min": 1, "scale_max": 11},
                                  common)
    assert rescale_step(shifted) == "VAS 0-10 rescaled to 0\u201310 (\u00d71)"
    # The normalised JSON holds the step's text, as before.
    assert json.loads(json.dumps(scaled["steps"])) == ["VAS 0-100 rescaled to 0\u201310 (\u00d70.1)"]
    # A contrast keeps its own.
    assert rescale_step({"rescale_step": "VAS 0-100 rescaled to 0\u201310 (\u00d70.1)", "steps": []})


def test_a_median_with_quartiles_gives_an_estimated_mean_and_sd_only_when_configured() -> None:
    # A 0-100 VAS given as median (IQR) in both arms. By hand (Luo 2018, Wan 2014), n = 24:
    # w = 0.7 + 0.39/24; mean = w (q1 + q3)/2 + (1 - w) median; SD = IQR / (2 Phi^-1((0.75 n
    # - 0.125)/(n + 0.25))), then rescaled to the common 0-10 scale (x0.1).
    rows = [{"arm_id": "int", "n": 24, "median": 30.0, "q1": 20.0, "q3": 45.0, "instrument": "VAS_0_100"},
            {"arm_id": "ctl", "n": 24, "median": 45.0, "q1": 30.0, "q3": 60.0, "instrument": "VAS_0_100"}]
    bundle = make_bundle(TWO_ARMS, rows)
    off = study_effects(normalise_study(bundle, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS),
                        [analysis("MD")], windows=WINDOWS)
    assert off["analyses"]["acu_vs_sham_md_short"]["options"] == {}
    why = "mean missing: a median only, and the review does not estimate a mean from a median"
    assert reasons(off, "arm_outcomes.csv:S#1") == [("excluded", why)]
    doc = normalise_study(bundle, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS, median_to_mean=mean_sd_from_quantiles)
    on = study_effects(doc, [analysis("MD")], windows=WINDOWS)
    opt = on["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    w = 0.7 + 0.39 / 24
    eta = 2 * NormalDist().inv_cdf((0.75 * 24 - 0.125) / 24.25)
    m1, m2 = w * 32.5 + (1 - w) * 30.0, w * 45.0 + (1 - w) * 45.0
    sd1, sd2 = 25.0 / eta, 30.0 / eta
    assert opt["yi"] == pytest.approx((m1 - m2) / 10, rel=1e-12)
    assert opt["vi"] == pytest.approx(((sd1 / 10) ** 2 + (sd2 / 10) ** 2) / 24, rel=1e-12)
    assert opt["form"] == "arm-level medians (mean and SD estimated)"
    flag = "mean and SD estimated from a median with its quartiles or range (assumes a roughly normal outcome)"
    assert opt["flags"] == [flag]
    assert opt["steps"][0] == (f"arm_outcomes.csv:S#1: median/IQR to mean/SD, Luo 2018 (mean), Wan 2014 (SD), n = 24: "
                               f"mean = {m1:.4g}, SD = {sd1:.4g} (in the instrument's units; assumes a roughly normal "
                               "outcome)")
    assert doc["arm_values"][0]["raw"] == {"n": 24, "median": 30.0, "q1": 20.0, "q3": 45.0}
    # A median without quartiles or range gives nothing to estimate from.
    bare = make_bundle(TWO_ARMS, [{**r, "q1": None, "q3": None} for r in rows])
    doc = normalise_study(bare, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS, median_to_mean=mean_sd_from_quantiles)
    assert doc["arm_values"][0]["mean"] is None and "from_median" not in doc["arm_values"][0]
    out = study_effects(doc, [analysis("MD")], windows=WINDOWS)
    # The reason is the one that applies, naming the cells missing, not a list of three.
    # No brackets: the report gives it inside "Label (reason)".
    unconverted = ("mean missing: a median without its quartiles q1 and q3 or its range min and max gives no "
                   "estimate of the mean and SD")
    assert reasons(out, "arm_outcomes.csv:S#1") == [("excluded", unconverted)]
    # Quartiles of zero width ("0 (0-0)") give no SD: not an SD of 0 and unbounded weight.
    flat = make_bundle(TWO_ARMS, [{**r, "median": 0.0, "q1": 0.0, "q3": 0.0} for r in rows])
    doc = normalise_study(flat, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS, median_to_mean=mean_sd_from_quantiles)
    assert doc["arm_values"][0]["mean"] is None and doc["arm_values"][0]["sd"] is None
    out = study_effects(doc, [analysis("MD")], windows=WINDOWS)
    assert out["analyses"]["acu_vs_sham_md_short"]["options"] == {}
    assert reasons(out, "arm_outcomes.csv:S#1") == [
        ("excluded", "mean missing: a median whose quartiles or range have zero width gives no estimate of the SD")]
    # Quartiles there, but no n in the row or its arm (TWO_ARMS gives none).
    unsized = make_bundle(TWO_ARMS, [{**r, "n": None} for r in rows])
    doc = normalise_study(unsized, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS, median_to_mean=mean_sd_from_quantiles)
    out = study_effects(doc, [analysis("MD")], windows=WINDOWS)
    unsized_why = ("mean missing: a median without n, in the row or as the arm's n_analysed or n_randomised, gives "
                   "no estimate of the mean and SD")
    assert reasons(out, "arm_outcomes.csv:S#1") == [("excluded", unsized_why)]


def test_a_trial_set_aside_for_one_arms_median_says_the_reason_once() -> None:
    # The control arm's median has no quartiles; the intervention arm's row is complete.
    # Each row says its own reason, the complete one pointing to its partner's; the
    # trial's reason in the analysis gives the fact once, not again in brackets.
    from metareview.analysis import pool_analysis

    rows = [{"arm_id": "int", "n": 24, "median": 30.0, "q1": 20.0, "q3": 45.0, "instrument": "VAS_0_100"},
            {"arm_id": "ctl", "n": 24, "median": 45.0, "instrument": "VAS_0_100"}]
    doc = normalise_study(make_bundle(TWO_ARMS, rows), nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS,
                          median_to_mean=mean_sd_from_quantiles)
    out = study_effects(doc, [analysis("MD")], windows=WINDOWS)
    own = "mean missing: a median without its quartiles q1 and q3 or its range min and max gives no estimate of the mean and SD"
    assert reasons(out, "arm_outcomes.csv:S#2") == [("excluded", own)]
    assert reasons(out, "arm_outcomes.csv:S#1") == [
        ("excluded", f"the other arm's row at this timepoint is not usable ({own})")]
    result = pool_analysis(analysis("MD"), [out], methods={"method": "REML", "test": "z", "level": 95, "min_studies": 2},
                           labels={})
    (excluded,) = result["excluded"]
    assert excluded["reason"] == own


def test_a_row_without_a_usable_value_is_named_and_its_partner_is_not_blamed() -> None:
    # Week 4: the intervention arm's median lost its q3, so no mean can be estimated; the
    # comparator's row is complete. The effect falls back to week 12, and the complete row
    # of week 4 says its problem is the other arm's, not "mean missing" of its own.
    rows = [{"arm_id": "int", "n": 40, "median": 3.5, "q1": 2.0, "timepoint_weeks": 4.0},
            {"arm_id": "int", "n": 40, "median": 3.0, "q1": 2.0, "q3": 5.0, "timepoint_weeks": 12.0},
            {"arm_id": "ctl", "n": 39, "median": 4.0, "q1": 3.0, "q3": 6.0, "timepoint_weeks": 4.0},
            {"arm_id": "ctl", "n": 39, "median": 4.0, "q1": 2.5, "q3": 5.5, "timepoint_weeks": 12.0}]
    doc = normalise_study(make_bundle(TWO_ARMS, rows), nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS,
                          median_to_mean=mean_sd_from_quantiles)
    out = study_effects(doc, [analysis("MD")], windows=WINDOWS)
    assert out["analyses"]["acu_vs_sham_md_short"]["options"]["final"]["timepoint_weeks"] == 12.0
    [(use, own)] = reasons(out, "arm_outcomes.csv:S#1")
    assert use == "excluded" and own.startswith("mean missing: ")
    assert reasons(out, "arm_outcomes.csv:S#3") == [
        ("excluded", f"the other arm's row at this timepoint is not usable ({own})")]
    # Both arms without n (Brinkhaus 2006's per-arm n not reported): each row says so of itself.
    rows = arm_values((None, 3.0, 2.0), (None, 4.2, 2.4), n_missing_reason="not_reported")
    out = effects(make_bundle(TWO_ARMS, rows), analysis())
    assert reasons(out, "arm_outcomes.csv:S#1") == reasons(out, "arm_outcomes.csv:S#2") == [
        ("excluded", "arm n not reported")]


def test_an_excluded_design_also_names_what_else_keeps_its_rows_out() -> None:
    # Acupuncture + sham against sham alone is an add-on design; a head-to-head analysis
    # excludes it. Its rows also lack SDs: a team told only of the design might go looking
    # for the data and still be unable to use it.
    def bundle(sd: float | None) -> dict[str, Any]:
        b = make_bundle(TWO_ARMS, arm_values((30, 3.0, sd), (32, 4.2, 2.4)))
        b["arms"][0]["cointervention"] = "sham_acupuncture"
        return b

    head_to_head = analysis() | {"designs": "head_to_head"}
    notes = effects(bundle(None), head_to_head)["rows"]["arm_outcomes.csv:S#1"]
    (note,) = notes
    assert note["use"] == "excluded" and note["reason"].startswith("add-on design")
    assert note["also"] == [{"reason": "no SD reported, and the review does not impute missing SDs"}]
    # A further reason of the timepoint keeps its fields, for the analysis to merge.
    late = make_bundle(TWO_ARMS, arm_values((30, 3.0, 2.0), (32, 4.2, 2.4), timepoint_weeks=52.0))
    late["arms"][0]["cointervention"] = "sham_acupuncture"
    (note,) = effects(late, head_to_head)["rows"]["arm_outcomes.csv:S#1"]
    assert note["also"] == [{"reason": "timepoint 52 weeks is outside the window of 1 to 12 weeks",
                             "timepoint": {"kind": "outside_window", "weeks": [52.0], "window": "short",
                                           "min_weeks": 1.0, "max_weeks": 12.0}}]
    # With the SDs there, the design is the only reason.
    (note,) = effects(bundle(2.0), head_to_head)["rows"]["arm_outcomes.csv:S#1"]
    assert note["reason"].startswith("add-on design") and "also" not in note
    # The analysis's list of trials it could not use gives both, each once.
    from metareview.analysis import pool_analysis

    result = pool_analysis(head_to_head, [effects(bundle(None), head_to_head)],
                           methods={"method": "REML", "test": "z", "level": 95, "min_studies": 2},
                           labels={})
    (excluded,) = result["excluded"]
    assert excluded["reason"].count("add-on design") == 1
    assert excluded["reason"].endswith("; also, no SD reported, and the review does not impute missing SDs")


def test_an_add_on_arm_against_its_own_node_is_not_called_an_excluded_add_on_design() -> None:
    # Acupuncture + sham against acupuncture alone tests the sham, not acupuncture against
    # it: that contrast was never the head-to-head analysis's, whatever its design.
    arms = [("int", "acupuncture", None), ("alone", "acupuncture", None), ("ctl", "sham_acupuncture", None)]
    b = make_bundle(arms, contrasts=[
        {"arm1": "int", "arm2": "alone", "measure": "MD", "estimate": -0.5, "ci_lb": -1.0, "ci_ub": 0.0},
        {"arm1": "int", "arm2": "ctl", "measure": "MD", "estimate": -1.5, "ci_lb": -2.0, "ci_ub": -1.0}])
    b["arms"][0]["cointervention"] = "sham_acupuncture"
    out = effects(b, analysis("MD") | {"designs": "head_to_head"})
    assert not any(r.startswith("add-on design") for _, r in reasons(out, "contrasts.csv:S#1"))
    # Without brackets of its own: the report prints the reason in a pair of them.
    assert reasons(out, "contrasts.csv:S#2")[0][1].startswith("add-on design: ")
    assert "(" not in reasons(out, "contrasts.csv:S#2")[0][1].split(";")[0]


def test_missing_arm_n_and_missing_other_arm() -> None:
    # An empty n is one the team did not enter, which the source may yet give: "not
    # reported" blamed the source for the raw tables.
    rows = arm_values((None, 3.0, 2.0), (32, 4.2, 2.4))
    out = effects(make_bundle(TWO_ARMS, rows), analysis())
    assert reasons(out, "arm_outcomes.csv:S#1") == [("excluded", "arm n not in the raw tables")]
    # Where the row, or its arm's row, records the source as not giving it (its
    # n_missing_reason), the reason says so.
    for on_arm in (False, True):
        b = make_bundle(TWO_ARMS, [rows[0] if on_arm else {**rows[0], "n_missing_reason": "not_reported"}, rows[1]])
        if on_arm:
            b["arms"][0]["n_missing_reason"] = "not_reported"
        out = effects(b, analysis())
        assert reasons(out, "arm_outcomes.csv:S#1") == [("excluded", "arm n not reported")]
    # A size the source gives but nobody entered yet reads as an empty cell does; so do
    # notes that say "not reported" with the cell empty: free text decides nothing.
    for row in ({**rows[0], "n_missing_reason": "not_extracted"}, {**rows[0], "notes": "per-arm n and SD not given"}):
        b = make_bundle(TWO_ARMS, [row, rows[1]])
        assert reasons(effects(b, analysis()), "arm_outcomes.csv:S#1") == [
            ("excluded", "arm n not in the raw tables")]
    # Another arm's reason is not this arm's.
    b = make_bundle(TWO_ARMS, rows)
    b["arms"][1]["n_missing_reason"] = "not_reported"
    assert reasons(effects(b, analysis()), "arm_outcomes.csv:S#1") == [("excluded", "arm n not in the raw tables")]
    rows = [{"arm_id": "int", "n": 30, "mean": 3.0, "sd": 2.0}]
    out = effects(make_bundle(TWO_ARMS, rows), analysis())
    assert reasons(out, "arm_outcomes.csv:S#1") == [
        ("excluded", "no value for the other arm at the same timepoint and instrument")]


def test_a_contrast_without_arm_sizes_says_why_by_its_own_reason() -> None:
    # A contrast's sizes are its own n1 and n2 (arms.csv's are not read for it): its own
    # n_missing_reason says whether the source gives none.
    contrast = {"arm1": "int", "arm2": "ctl", "measure": "cohen_d", "estimate": 0.5, "n_total": 60,
                "sign_convention": "positive_favours_arm1"}
    only_total = "(only the total: the review does not split a total equally between the arms)"
    for reason, said in ((None, "arm n not in the raw tables"), ("not_extracted", "arm n not in the raw tables"),
                         ("not_reported", "arm n not reported")):
        b = make_bundle(TWO_ARMS, [], [{**contrast, "n_missing_reason": reason}])
        b["arms"][0]["n_missing_reason"] = "not_reported"  # the arm's is not the contrast's
        out = effects(b, analysis(), assume_equal=False)
        assert reasons(out, "contrasts.csv:S#1") == [("excluded", f"{said} {only_total}")]
    # One size given and the other not is still a contrast without its arm sizes.
    b = make_bundle(TWO_ARMS, [], [{**contrast, "n1": 30, "n_missing_reason": "not_reported"}])
    assert reasons(effects(b, analysis(), assume_equal=False), "contrasts.csv:S#1") == [
        ("excluded", f"arm n not reported {only_total}")]


def test_arm_n_from_arms_table_is_used() -> None:
    arms = [("int", "acupuncture", 30), ("ctl", "sham_acupuncture", 32)]
    rows = arm_values((None, 3.0, 2.0), (None, 4.2, 2.4))
    opt = effects(make_bundle(arms, rows), analysis())["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    assert (opt["n1"], opt["n2"]) == (30, 32)


def test_within_group_change_is_never_used() -> None:
    rows = arm_values((30, -3.8, 1.2), (32, -1.0, 1.4), value_type="within_group_change", change_sign="decrease_negative")
    out = effects(make_bundle(TWO_ARMS, rows), analysis(), analysis("MD"))
    for aid in ("acu_vs_sham_smd_short", "acu_vs_sham_md_short"):
        assert out["analyses"][aid]["options"] == {}
    for ref in ("arm_outcomes.csv:S#1", "arm_outcomes.csv:S#2"):
        assert {u for u, _ in reasons(out, ref)} == {"excluded"}
        assert all("within-group change" in r for _, r in reasons(out, ref))


def test_percent_change_and_binary_rows_are_excluded() -> None:
    rows = [{"arm_id": "int", "n": 30, "mean": 30.0, "sd": 10.0, "value_type": "percent_change", "change_sign": "decrease_positive"},
            {"arm_id": "ctl", "n": 30, "events": 10, "value_type": "events"}]
    out = effects(make_bundle(TWO_ARMS, rows), analysis())
    assert "percentage change" in reasons(out, "arm_outcomes.csv:S#1")[0][1]
    assert "binary result" in reasons(out, "arm_outcomes.csv:S#2")[0][1]


def test_timepoint_zero_is_baseline_even_in_a_window_from_zero() -> None:
    rows = (arm_values((30, 5.0, 2.0), (32, 5.1, 2.0), timepoint_weeks=0.0)
            + arm_values((30, 3.0, 2.0), (32, 4.2, 2.4), timepoint_weeks=12.0))
    out = effects(make_bundle(TWO_ARMS, rows), analysis(window="short"), analysis(window="from0"))
    for aid in ("acu_vs_sham_smd_short", "acu_vs_sham_smd_from0"):
        # week 0 is nearer the target (6) than week 12 would be, were it in the window
        assert out["analyses"][aid]["options"]["final"]["timepoint_weeks"] == 12.0
    notes = reasons(out, "arm_outcomes.csv:S#1")
    assert len(notes) == 2 and all(u == "excluded" and "baseline" in r for u, r in notes)


# --- baseline imbalance -------------------------------------------------------------------


def test_baseline_difference_by_hand() -> None:
    # Cherkin 2009's standardised vs simulated acupuncture arms on the RMDQ at week 0:
    # 10.8 (5.5, n 158) vs 9.8 (5.1, n 162). Pooled SD^2 = (157 x 5.5^2 + 161 x 5.1^2)/318.
    rows = [{"arm_id": "std", "timepoint_weeks": 0, "value_type": "final", "instrument": "RMDQ", "n": 158,
             "mean": 10.8, "sd": 5.5, "ref": "r1"},
            {"arm_id": "sim", "timepoint_weeks": 0, "value_type": "final", "instrument": "RMDQ", "n": 162,
             "mean": 9.8, "sd": 5.1, "ref": "r2"},
            {"arm_id": "sim", "timepoint_weeks": 8, "value_type": "final", "instrument": "RMDQ", "n": 162,
             "mean": 5.4, "sd": 4.9, "ref": "r3"}]
    base = baseline_difference(rows, ["std"], ["sim"], "RMDQ")
    sd = math.sqrt((157 * 5.5**2 + 161 * 5.1**2) / 318)
    assert base == {"md": pytest.approx(1.0), "smd": pytest.approx(1.0 / sd, rel=1e-12), "refs": ["r1", "r2"]}
    # By hand: SD^2 = (4749.25 + 4187.61)/318 = 28.1033, SD = 5.3013, d = 1.0/5.3013 = 0.18863.
    assert base["smd"] == pytest.approx(0.18863, abs=5e-6)
    # Another instrument, or an arm without a baseline row: nothing to compare.
    assert baseline_difference(rows, ["std"], ["sim"], "NRS") is None
    assert baseline_difference(rows, ["std", "indiv"], ["sim"], "RMDQ") is None


def test_final_values_of_arms_unequal_at_baseline_are_flagged() -> None:
    # Equal change (-2 in both arms) but the intervention arm started 1 point higher (SD 2,
    # d = 0.5): the final-value SMD shows that starting difference, and the flag says so.
    # The flag names it d: Hedges' J (0.9903 on 78 df) would make it 0.4952, "SMD 0.50"
    # read as one of the effects' g.
    rows = (arm_values((40, 6.0, 2.0), (40, 5.0, 2.0), timepoint_weeks=0.0)
            + arm_values((40, 4.0, 2.0), (40, 3.0, 2.0)))
    out = effects(make_bundle(TWO_ARMS, rows), analysis("SMD"), analysis("MD"))
    smd = out["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    md = out["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert smd["baseline"] == {"yi": pytest.approx(0.5), "smd": pytest.approx(0.5),
                               "refs": ["arm_outcomes.csv:S#1", "arm_outcomes.csv:S#2"]}
    assert smd["flags"] == [("arms differed at baseline (d = 0.50 at week 0): a final-value effect carries the "
                             "difference, a change score less of it")]
    # On the MD scale the difference is given in points of the common scale.
    assert md["baseline"]["yi"] == pytest.approx(1.0)
    assert md["flags"][0].startswith("arms differed at baseline (MD 1.00 at week 0)")
    assert any("baseline (week 0) difference between the groups: MD = 1, d = 0.5000" in s for s in md["steps"])


def test_the_baseline_difference_in_the_flag_is_rounded_as_the_summary_rounds_it() -> None:
    # Baseline means 4.1 and 3.0, SD 4.0 in both arms of 40: d = 1.1 / 4.0 = 0.275, a tie
    # at two decimals, which the summary prints 0.28 (metareview.fmt.fixed, ties to even);
    # the binary 0.27499999999999991 printed by Python's rounding gave 0.27 in the flag.
    rows = (arm_values((40, 4.1, 4.0), (40, 3.0, 4.0), timepoint_weeks=0.0)
            + arm_values((40, 3.0, 4.0), (40, 2.0, 4.0)))
    out = effects(make_bundle(TWO_ARMS, rows), analysis("SMD"))
    smd = out["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    assert smd["baseline"]["smd"] == pytest.approx(0.275)
    assert smd["flags"] == [("arms differed at baseline (d = 0.28 at week 0): a final-value effect carries the "
                             "difference, a change score less of it")]


def test_an_smd_from_arms_keeps_its_difference_in_the_instruments_points() -> None:
    # VAS 0-100, means 30 and 45 mm: SMD on the common scale, and 15 mm on the VAS the
    # trial used (the source's own means, before rescaling to 0-10).
    rows = arm_values((40, 30.0, 20.0), (40, 45.0, 20.0), instrument="VAS_0_100")
    out = effects(make_bundle(TWO_ARMS, rows), analysis("SMD"), analysis("MD"))
    smd = out["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    # With one arm a side, its SDs give the trial's own MD in those points (escalc MD):
    # 30 - 45 = -15, vi = 20^2/40 + 20^2/40 = 20.
    assert smd["native"] == {"difference": pytest.approx(15.0), "instrument": "VAS 0-100",
                             "md": pytest.approx(-15.0), "md_vi": pytest.approx(20.0)}
    # An MD is already in points of the common scale: nothing to add.
    assert "native" not in out["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    # Two arms of a node: their means weighted by n, (20 x 4 + 30 x 5)/50 = 4.6 vs 6.0.
    arms = [("a1", "acupuncture", None), ("a2", "electroacupuncture", None), ("ctl", "sham_acupuncture", None)]
    rows = [{"arm_id": "a1", "n": 20, "mean": 4.0, "sd": 2.0}, {"arm_id": "a2", "n": 30, "mean": 5.0, "sd": 3.0},
            {"arm_id": "ctl", "n": 40, "mean": 6.0, "sd": 2.5}]
    opt = effects(make_bundle(arms, rows), analysis("SMD"))["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    assert opt["native"]["difference"] == pytest.approx(1.4)
    # Two arms on a side: no single pair of means and SDs, so no MD of the trial's own.
    assert "md" not in opt["native"]


def test_a_baseline_difference_on_a_rescaled_instrument_says_its_scale() -> None:
    # VAS 0-100 at baseline, 60 vs 50 mm (SD 20): 10 mm, which the pain scale 0-10 reads as
    # an MD of 1 (x 0.1); d = 10/20 = 0.5 either way. The step gives the MD of 1, so it says
    # that this is the common scale, not the raw cells' millimetres.
    rows = (arm_values((40, 60.0, 20.0), (40, 50.0, 20.0), timepoint_weeks=0.0, instrument="VAS_0_100")
            + arm_values((40, 40.0, 20.0), (40, 30.0, 20.0), instrument="VAS_0_100"))
    md = effects(make_bundle(TWO_ARMS, rows), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert any("baseline (week 0) difference between the groups: MD = 1 on the common scale, d = 0.5000" in s
               for s in md["steps"]), md["steps"]


def test_a_baseline_imbalance_brings_the_change_scores_the_source_gives() -> None:
    # Cherkin 2009: final values 1 point apart after a 1-point gap at baseline, and both
    # arms improved by about the same (4.5 vs 4.4, improvements written as positive
    # numbers, no SDs). Those changes go with the flag; nothing is pooled from them.
    rows = (arm_values((40, 6.0, 2.0), (40, 5.0, 2.0), timepoint_weeks=0.0)
            + arm_values((40, 1.5, 2.0), (40, 0.6, 2.0))
            + [{"arm_id": "int", "n": 40, "mean": 4.5, "value_type": "change", "change_sign": "decrease_positive"},
               {"arm_id": "ctl", "n": 40, "mean": 4.4, "value_type": "change", "change_sign": "decrease_positive"}])
    opt = effects(make_bundle(TWO_ARMS, rows), analysis("SMD"))["analyses"]["acu_vs_sham_smd_short"]["options"]
    # The change rows are the study's fifth and sixth: the audit quotes them as where the
    # printed changes come from.
    assert opt["final"]["baseline"]["change"] == {"intervention": pytest.approx(4.5), "comparator": pytest.approx(4.4),
                                                  "instrument": "VAS 0-10",
                                                  "refs": ["arm_outcomes.csv:S#5", "arm_outcomes.csv:S#6"]}
    # Written as negative numbers (decrease_negative), an improvement is still positive here.
    for r in rows[4:]:
        r.update(mean=-r["mean"], change_sign="decrease_negative")
    opt = effects(make_bundle(TWO_ARMS, rows), analysis("SMD"))["analyses"]["acu_vs_sham_smd_short"]["options"]
    assert opt["final"]["baseline"]["change"]["intervention"] == pytest.approx(4.5)
    # No change row for one arm: nothing to add.
    opt = effects(make_bundle(TWO_ARMS, rows[:5]), analysis("SMD"))["analyses"]["acu_vs_sham_smd_short"]["options"]
    assert "change" not in opt["final"]["baseline"]


def test_a_baseline_change_of_some_of_a_node_s_arms_names_them() -> None:
    # Cherkin 2009 has two acupuncture arms, and its disability result uses one: the
    # changes are that arm's, and "the intervention group" alone read as both. The one
    # sham arm is the whole comparator side: nothing to name there.
    arms = [("a1", "acupuncture", None), ("a2", "electroacupuncture", None), ("ctl", "sham_acupuncture", None)]
    change = [{"arm_id": a, "n": 40, "mean": m, "value_type": "change", "change_sign": "decrease_positive"}
              for a, m in (("a1", 4.5), ("a2", 4.0), ("ctl", 4.4))]
    final = [{"arm_id": a, "n": 40, "mean": m, "sd": 2.0} for a, m in (("a1", 1.5), ("a2", 2.0), ("ctl", 0.6))]
    base = [{**r, "mean": m, "timepoint_weeks": 0.0} for r, m in zip(final, (6.0, 6.0, 5.0), strict=True)]
    # a2 without a value at week 6: the effect is a1's alone, and so is the change.
    rows = base + [final[0], final[2]] + [change[0], change[2]]
    opt = effects(make_bundle(arms, rows), analysis("SMD"))["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    assert opt["baseline"]["change"]["intervention_arms"] == ["Acupuncture"]
    assert "comparator_arms" not in opt["baseline"]["change"]
    # Both arms combined: both named. (40 x 4.5 + 40 x 4.0) / 80 = 4.25 points.
    rows = base + final + change
    opt = effects(make_bundle(arms, rows), analysis("SMD"))["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    assert opt["baseline"]["change"]["intervention_arms"] == ["Acupuncture", "Electroacupuncture"]
    assert opt["baseline"]["change"]["intervention"] == pytest.approx(4.25)
    # Two arms of one treatment, neither described: told apart by their ids.
    same = [("a1", "acupuncture", None), ("a2", "acupuncture", None), ("ctl", "sham_acupuncture", None)]
    opt = effects(make_bundle(same, base + [final[0], final[2]] + [change[0], change[2]]),
                  analysis("SMD"))["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    assert opt["baseline"]["change"]["intervention_arms"] == ["Acupuncture, arm a1"]
    # One arm a side, as in the test above: nothing named.
    opt = effects(make_bundle(TWO_ARMS, arm_values((40, 6.0, 2.0), (40, 5.0, 2.0), timepoint_weeks=0.0)
                              + arm_values((40, 1.5, 2.0), (40, 0.6, 2.0))
                              + [{**change[0], "arm_id": "int"}, {**change[2], "arm_id": "ctl"}]),
                  analysis("SMD"))["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    assert set(opt["baseline"]["change"]) == {"intervention", "comparator", "instrument", "refs"}


def test_small_baseline_differences_and_change_scores_are_not_flagged() -> None:
    balanced = (arm_values((40, 6.1, 2.0), (40, 6.0, 2.0), timepoint_weeks=0.0)  # d = 0.05
                + arm_values((40, 4.0, 2.0), (40, 3.0, 2.0)))
    opt = effects(make_bundle(TWO_ARMS, balanced), analysis("SMD"))["analyses"]["acu_vs_sham_smd_short"]["options"]
    assert "baseline" not in opt["final"] and opt["final"]["flags"] == []
    assert any("d = 0.0500" in s for s in opt["final"]["steps"])  # still shown in the audit steps
    # Change scores remove the baseline difference: nothing to flag.
    change = (arm_values((40, 6.0, 2.0), (40, 5.0, 2.0), timepoint_weeks=0.0)
              + arm_values((40, -2.0, 2.0), (40, -1.0, 2.0), value_type="change", change_sign="decrease_negative"))
    opt = effects(make_bundle(TWO_ARMS, change), analysis("SMD"))["analyses"]["acu_vs_sham_smd_short"]["options"]
    assert "baseline" not in opt["change"] and opt["change"]["flags"] == []
    # The threshold is the config's.
    doc = normalise_study(make_bundle(TWO_ARMS, balanced), nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS)
    out = study_effects(doc, [analysis("SMD")], windows=WINDOWS, baseline_imbalance_smd=0.04)
    assert out["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]["baseline"]["smd"] == pytest.approx(0.05)


def test_outside_window_and_missing_timepoint() -> None:
    rows = arm_values((30, 3.0, 2.0), (32, 4.2, 2.4), timepoint_weeks=26.0) + arm_values(
        (30, 3.0, 2.0), (32, 4.2, 2.4), timepoint_weeks=None)
    out = effects(make_bundle(TWO_ARMS, rows), analysis())
    assert reasons(out, "arm_outcomes.csv:S#1") == [("excluded", "timepoint 26 weeks is outside the window of 1 to 12 weeks")]
    assert reasons(out, "arm_outcomes.csv:S#3") == [("excluded", "timepoint not reported")]
    # The reasons' fields, which the later steps read in place of the words.
    assert out["rows"]["arm_outcomes.csv:S#1"][0]["timepoint"] == {
        "kind": "outside_window", "weeks": [26.0], "window": "short", "min_weeks": 1.0, "max_weeks": 12.0}
    assert out["rows"]["arm_outcomes.csv:S#3"][0]["timepoint"] == {"kind": "not_reported"}
    # A timepoint given in words only is quoted, not called unreported.
    rows[2]["timepoint_label"] = "6-month follow-up"
    out = effects(make_bundle(TWO_ARMS, rows), analysis())
    assert reasons(out, "arm_outcomes.csv:S#3") == [
        ("excluded", ("timepoint given only as \u20186-month follow-up\u2019, not in weeks: placed in no window (fill "
                      "in timepoint_weeks, or add the words to windows.<w>.terms in the config)"))]
    assert out["rows"]["arm_outcomes.csv:S#3"][0]["timepoint"] == {
        "kind": "words_only", "labels": ["6-month follow-up"], "named": None}
    # A label that says there is no time (Rajfur 2024's "not stated") is not quoted as one.
    rows[2]["timepoint_label"] = "Not stated"
    out = effects(make_bundle(TWO_ARMS, rows), analysis())
    assert reasons(out, "arm_outcomes.csv:S#3") == [("excluded", "timepoint not reported")]
    # nothing usable, yet the analysis is listed so the report can say why
    assert out["analyses"]["acu_vs_sham_smd_short"]["options"] == {}


def test_a_timepoint_between_two_windows_is_set_aside_as_in_neither() -> None:
    # Weeks are not rounded: day 88 (12.6 weeks) falls after the short term window of 1 to
    # 12 weeks and before the medium term window of 13 to 26 weeks. "Outside the window of
    # 1 to 12 weeks" alone read as if the medium term analysis took it.
    windows = {"short": {"min_weeks": 1, "max_weeks": 12, "target_weeks": 6},
               "medium": {"min_weeks": 13, "max_weeks": 26, "target_weeks": 26}}
    rows = (arm_values((30, 3.0, 2.0), (32, 4.2, 2.4), timepoint_weeks=12.6)
            + arm_values((30, 3.0, 2.0), (32, 4.2, 2.4), timepoint_weeks=30.0))
    doc = normalise_study(make_bundle(TWO_ARMS, rows), nodes=NODES, outcomes=OUTCOMES, windows=windows)
    out = study_effects(doc, [analysis(), analysis(window="medium")], windows=windows)
    between = ("timepoint 12.6 weeks falls between the windows of 1 to 12 and 13 to 26 weeks: placed in no window "
               "(widen one in the config to take it in)")
    assert reasons(out, "arm_outcomes.csv:S#1") == [("excluded", between)] * 2
    note = out["rows"]["arm_outcomes.csv:S#1"][0]
    assert note["timepoint"]["kind"] == "outside_window" and note["timepoint"]["window"] == "short"
    assert [w["window"] for w in note["timepoint"]["between"]] == ["short", "medium"]
    # After the last window, a timepoint is outside each analysis's window as before.
    assert reasons(out, "arm_outcomes.csv:S#3") == [
        ("excluded", "timepoint 30 weeks is outside the window of 1 to 12 weeks"),
        ("excluded", "timepoint 30 weeks is outside the window of 13 to 26 weeks")]
    assert "between" not in out["rows"]["arm_outcomes.csv:S#3"][0]["timepoint"]


# --- timepoint selection ------------------------------------------------------------------------------


@pytest.mark.parametrize(("weeks", "chosen", "reason"), [
    ((4.0, 8.0), 4.0, "another timepoint is as near the window target and earlier (ties go to the earlier)"),
    ((8.0, 4.0), 4.0, "another timepoint is as near the window target and earlier (ties go to the earlier)"),
    ((5.0, 8.0), 5.0, "another timepoint is nearer the window target"),
    ((2.0, 7.0), 7.0, "another timepoint is nearer the window target"),
])
def test_nearest_timepoint_ties_to_earlier(weeks: tuple[float, float], chosen: float, reason: str) -> None:
    rows = (arm_values((30, 3.0, 2.0), (30, 4.0, 2.0), timepoint_weeks=weeks[0])
            + arm_values((30, 2.0, 2.0), (30, 4.0, 2.0), timepoint_weeks=weeks[1]))
    out = effects(make_bundle(TWO_ARMS, rows), analysis("MD"))
    opt = out["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert opt["timepoint_weeks"] == chosen
    assert opt["yi"] == pytest.approx(-1.0 if chosen == weeks[0] else -2.0)
    loser = "arm_outcomes.csv:S#3" if chosen == weeks[0] else "arm_outcomes.csv:S#1"
    assert reasons(out, loser) == [("superseded", reason)]


@pytest.mark.parametrize(("weeks", "chosen", "step"), [
    # The nearest of three: |5 - 6| = 1 < |8 - 6| = 2 < |12 - 6| = 6.
    ((8.0, 5.0, 12.0), 5.0, "timepoint: week 5, the nearest to the window's target (week 6) of weeks 5, 8 and 12"),
    # |4 - 6| = |8 - 6| = 2: the earlier.
    ((8.0, 4.0), 4.0, ("timepoint: week 4, as near the window's target (week 6) as week 8 and earlier: ties go to "
                       "the earlier")),
    ((10.0, 8.0, 4.0), 4.0, ("timepoint: week 4, of weeks 4, 8 and 10 as near the window's target (week 6) as "
                             "week 8 and earlier: ties go to the earlier")),
])
def test_the_chosen_timepoint_s_first_step_says_why_it_and_not_another(weeks: tuple[float, ...], chosen: float,
                                                                       step: str) -> None:
    # The chosen rows' mean difference is -1; the others' -2.
    rows = [r for w in weeks for r in arm_values((30, 3.0 if w == chosen else 2.0, 2.0), (30, 4.0, 2.0),
                                                 timepoint_weeks=w)]
    opt = effects(make_bundle(TWO_ARMS, rows), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert opt["steps"][0] == step
    # A selection, not a conversion: the number is the chosen rows' own.
    assert opt["yi"] == pytest.approx(-1.0) and sum(s.startswith("timepoint") for s in opt["steps"]) == 1


def test_one_timepoint_in_two_forms_is_no_choice_of_timepoint() -> None:
    # Arm-level data and a reported MD at week 6: which form, not which timepoint.
    rows = arm_values((30, 3.0, 2.0), (30, 4.0, 2.0))
    contrast = {"arm1": "int", "arm2": "ctl", "measure": "MD", "value_type": "final", "estimate": -1.1,
                "ci_lb": -2.0, "ci_ub": -0.2, "n1": 30, "n2": 30}
    opt = effects(make_bundle(TWO_ARMS, rows, [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"][
        "options"]["final"]
    assert not any("timepoint" in s for s in opt["steps"]), opt["steps"]


def test_final_and_change_are_kept_apart() -> None:
    rows = arm_values((30, 3.0, 2.0), (30, 4.0, 2.0)) + arm_values(
        (30, -2.0, 1.5), (30, -1.0, 1.5), value_type="change", change_sign="decrease_negative")
    opts = effects(make_bundle(TWO_ARMS, rows), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]
    assert set(opts) == {"final", "change"}
    assert opts["final"]["yi"] == pytest.approx(-1.0) and opts["change"]["yi"] == pytest.approx(-1.0)
    assert opts["change"]["vi"] == pytest.approx(2 * 2.25 / 30)


def test_second_instrument_at_same_timepoint_is_superseded_with_that_reason() -> None:
    rows = arm_values((30, 3.0, 2.0), (30, 4.0, 2.0), instrument="NRS_0_10") + arm_values((30, 3.0, 2.0), (30, 4.0, 2.0))
    out = effects(make_bundle(TWO_ARMS, rows), analysis("MD"))
    assert out["analyses"]["acu_vs_sham_md_short"]["options"]["final"]["instrument"] == "NRS_0_10"
    use, why = reasons(out, "arm_outcomes.csv:S#3")[0]
    assert use == "superseded" and "another instrument (NRS_0_10)" in why


def test_arm_level_data_preferred_to_contrast_at_same_timepoint() -> None:
    rows = arm_values((30, 3.0, 2.0), (30, 4.0, 2.0))
    contrast = {"arm1": "int", "arm2": "ctl", "measure": "MD", "value_type": "final", "estimate": -1.1,
                "ci_lb": -2.0, "ci_ub": -0.2, "n1": 30, "n2": 30}
    out = effects(make_bundle(TWO_ARMS, rows, [contrast]), analysis("MD"))
    assert out["analyses"]["acu_vs_sham_md_short"]["options"]["final"]["form"] == "arm-level means and SDs"
    assert reasons(out, "contrasts.csv:S#1") == [("superseded", "the same result is available as arm-level data")]



def test_an_smd_analysis_standardises_a_reported_md_through_its_t_statistic() -> None:
    # A mean difference with its interval and arm sizes gives t = MD / SE, and so d =
    # t sqrt(1/n1 + 1/n2) (Cochrane Handbook 6.5.2.3; metafor's escalc(SMD, ti = ...)):
    # it was set aside as "cannot be standardised" though nothing it needs is missing.
    # At the timepoint of the same trial's arm-level means and SDs it is the same result,
    # which the arms give.
    rows = arm_values((30, 3.0, 2.0), (30, 4.0, 2.0))
    contrast = {"arm1": "int", "arm2": "ctl", "measure": "MD", "value_type": "final", "estimate": -1.1,
                "ci_lb": -2.0, "ci_ub": -0.2, "n1": 30, "n2": 30}
    out = effects(make_bundle(TWO_ARMS, rows, [contrast]), analysis("SMD"))
    assert out["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]["form"] == "arm-level means and SDs"
    assert reasons(out, "contrasts.csv:S#1") == [("superseded", "the same result is available as arm-level data")]
    # Change scores are another result: standardised through t, by hand. SE = 1.8 / (2 x
    # qt(0.975, 58) = 2.0017174841452356), J(58) exact.
    contrast["value_type"] = "change"
    out = effects(make_bundle(TWO_ARMS, rows, [contrast]), analysis("SMD"))
    opt = out["analyses"]["acu_vs_sham_smd_short"]["options"]["change"]
    se = 1.8 / (2 * 2.0017174841452356)
    d = -1.1 / se * math.sqrt(1 / 30 + 1 / 30)
    j = math.exp(math.lgamma(29) - 0.5 * math.log(29) - math.lgamma(28.5))
    assert opt["yi"] == pytest.approx(j * d, rel=1e-10)
    assert opt["vi"] == pytest.approx(1 / 30 + 1 / 30 + (j * d) ** 2 / (2 * 60), rel=1e-10)
    assert opt["form"] == "reported mean difference (standardised through t)"
    assert opt["flags"] == ["SMD from the mean difference's t statistic (MD / SE), as if from an unadjusted t-test"]
    assert any(step.startswith("SMD from the reported mean difference -1.1: SE = (upper - lower)/(2 x 2.001717)")
               for step in opt["steps"])
    # With its SE alone, and on an instrument of no known range (t needs no common scale).
    contrast.update(ci_lb=None, ci_ub=None, se=0.45)
    opt = effects(make_bundle(TWO_ARMS, rows, [contrast]), analysis("SMD"))["analyses"]["acu_vs_sham_smd_short"]["options"]["change"]
    assert opt["yi"] == pytest.approx(j * (-1.1 / 0.45) * math.sqrt(1 / 15), rel=1e-10)
    # Without arm sizes (nor a total to split), or without an SE or interval: set aside, saying which.
    contrast.update(n1=None, n2=None)
    out = effects(make_bundle(TWO_ARMS, rows, [contrast]), analysis("SMD"))
    assert reasons(out, "contrasts.csv:S#1") == [
        ("excluded", "mean difference reported without SDs or arm sizes: cannot be standardised")]
    contrast.update(n1=30, n2=30, se=None)
    out = effects(make_bundle(TWO_ARMS, rows, [contrast]), analysis("SMD"))
    assert reasons(out, "contrasts.csv:S#1") == [
        ("excluded", "mean difference reported without SDs, an SE or an interval: cannot be standardised")]

# --- reported contrasts ---------------------------------------------------------------------------------


def test_cohen_d_with_total_n_split_equally() -> None:
    # Chen et al. (2022) as the seed post gives it: d = 0.92 favouring acupuncture, N = 124.
    arms = [("acu", "acupuncture", None), ("ctl", "unnamed_control", None)]
    contrast = {"arm1": "acu", "arm2": "ctl", "measure": "cohen_d", "estimate": 0.92, "n_total": 124,
                "sign_convention": "positive_favours_arm1", "instrument": "VAS_x"}
    out = effects(make_bundle(arms, [], [contrast]), analysis(comparator=UNNAMED, aid="a"))
    entry = out["analyses"]["a"]
    opt = entry["options"]["unknown"]
    # n1 = n2 = 62, m = 122, J = Gamma(61)/(sqrt(61) Gamma(60.5)), g = -J x 0.92 (favours acupuncture)
    j = math.exp(math.lgamma(61) - math.log(math.sqrt(61)) - math.lgamma(60.5))
    yi = -j * 0.92
    assert opt["yi"] == pytest.approx(yi, rel=1e-12)
    assert opt["vi"] == pytest.approx(1 / 62 + 1 / 62 + yi**2 / 248, rel=1e-12)
    assert (opt["n1"], opt["n2"]) == (62, 62)
    assert opt["flags"] == ["arm sizes assumed equal (62 + 62 from N = 124)"]
    assert any("split equally (assumption)" in s for s in opt["steps"])
    assert opt["form"] == "reported Cohen's d"
    # Not "comparator not named by the source", which read as if the post mentioned one:
    # it gives one arm and a d, read as a between-group d (the raw row's notes).
    assert entry["flags"] == [("the source names no comparator: its result is read as a between-group difference "
                               "against a control it does not mention (see the raw row's notes)")]
    # without the equal-split assumption the row cannot be used
    out = effects(make_bundle(arms, [], [contrast]), analysis(comparator=UNNAMED, aid="a"), assume_equal=False)
    assert out["analyses"]["a"]["options"] == {}
    assert reasons(out, "contrasts.csv:S#1") == [("excluded", (
        "arm n not in the raw tables (only the total: the review does not split a total equally between the "
        "arms)"))]


def test_contrast_reported_comparator_vs_intervention_is_negated() -> None:
    # sham minus acupuncture = +1.0 (0.2 to 1.8): acupuncture minus sham = -1.0 (-1.8 to -0.2)
    contrast = {"arm1": "ctl", "arm2": "int", "measure": "MD", "value_type": "final", "estimate": 1.0,
                "ci_lb": 0.2, "ci_ub": 1.8, "n1": 40, "n2": 35}
    out = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))
    opt = out["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert opt["yi"] == pytest.approx(-1.0)
    # Groups of 40 and 35: t on 73 df (R: qt(0.975, 73) = 1.99299712588985).
    assert opt["vi"] == pytest.approx(((1.8 - 0.2) / (2 * 1.99299712588985)) ** 2, rel=1e-12)
    assert (opt["n1"], opt["n2"]) == (35, 40)  # arm sizes follow the arms
    assert "contrast reported comparator vs intervention: sign reversed" in opt["steps"]


def test_reported_md_variance_from_ci_level_and_from_se() -> None:
    contrast = {"arm1": "int", "arm2": "ctl", "measure": "MD", "value_type": "change", "estimate": -10.0,
                "ci_lb": -18.0, "ci_ub": -2.0, "ci_level": 90.0, "instrument": "VAS_0_100"}
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["change"]
    z90 = NormalDist().inv_cdf(0.95)
    assert opt["yi"] == pytest.approx(-1.0)
    assert opt["vi"] == pytest.approx((1.6 / (2 * z90)) ** 2, rel=1e-12)
    # The SE is that of the interval rescaled to 0-10 (16 mm wide: 1.6 / (2 x 1.644854) =
    # 0.4864), not of the raw cells' (4.864 mm), and the step says so.
    assert ("variance from the 90% CI: SE = (upper - lower)/(2 x 1.644854) = 0.4864 on the common scale, z as the "
            "arm sizes are not reported (Cochrane Handbook 6.5.2.3)" in opt["steps"])
    # an SE of 4 mm is 0.4 on the 0-10 scale: vi = 0.16, not 16
    contrast = {"arm1": "int", "arm2": "ctl", "measure": "MD", "value_type": "change", "estimate": -10.0, "se": 4.0,
                "instrument": "VAS_0_100"}
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["change"]
    assert opt["yi"] == pytest.approx(-1.0)
    assert opt["vi"] == pytest.approx(0.16)
    # Neither contrast gives arm sizes (nor a total to split): they stay unknown, not 0.
    assert (opt["n1"], opt["n2"]) == (None, None)


def test_md_contrast_asymmetric_ci_is_flagged() -> None:
    # -2.3 (-3.5 to -1.9): bounds 1.2 below and 0.4 above, an asymmetry of 50% of the
    # width, beyond the 10% + 4 x 0.05 / 1.6 = 22.5% the consistency check allows.
    contrast = {"arm1": "int", "arm2": "ctl", "measure": "MD", "estimate": -2.3, "ci_lb": -3.5, "ci_ub": -1.9}
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["unknown"]
    assert opt["flags"] == [("the source's 95% CI, on this scale, is -3.50 to -1.90, not centred on -2.30: only its "
                             "width (the SE) is used")]
    # -2.3 (-2.8 to -1.9): 0.5 below and 0.4 above, 11% of the width, within the 10% +
    # 4 x 0.05 / 0.9 = 32% the check allows for rounding to one decimal. Not "not centred"
    # (the check does not warn), but the interval shown, -2.3 -/+ 0.45, is not the source's.
    contrast.update(ci_lb=-2.8)
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["unknown"]
    assert opt["flags"] == [("the source's 95% CI, on this scale, is -2.80 to -1.90; the one shown is rebuilt around "
                             "-2.30 from its width (the SE)")]


def test_the_source_s_interval_is_read_back_from_the_flag_that_names_it() -> None:
    # The summary and the Results print the source's bounds beside a rebuilt interval from
    # the flag the study table shows: the same -2.80 to -1.90 (and -3.50 to -1.90 of an
    # interval off centre) that the contrast gives, not the rebuilt -2.75 to -1.85.
    from metareview.fmt import rebuilt_interval

    contrast = {"arm1": "int", "arm2": "ctl", "measure": "MD", "estimate": -2.3, "ci_lb": -2.8, "ci_ub": -1.9}
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["unknown"]
    assert rebuilt_interval(opt["flags"]) == (-2.8, -1.9)
    contrast.update(ci_lb=-3.5)
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["unknown"]
    assert rebuilt_interval(opt["flags"]) == (-3.5, -1.9)
    # -2.3 (-2.75 to -1.85) is the symmetric interval its width gives: no flag, nothing read.
    contrast.update(ci_lb=-2.75, ci_ub=-1.85)
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["unknown"]
    assert opt["flags"] == []
    assert rebuilt_interval(opt["flags"]) is None
    assert rebuilt_interval(["arm sizes assumed equal (62 + 62 from N = 124)"]) is None


def test_a_small_trial_s_md_interval_is_read_with_t() -> None:
    # Groups of 24 and 23, MD -1.2 (-2.4 to 0.0): the interval is MD -/+ t SE with t on 45 df
    # (Cochrane Handbook 6.5.2.3; R: qt(0.975, 45) = 2.01410338888085), so SE = 2.4 /
    # 4.028207 = 0.5958, not 2.4 / 3.919928 = 0.6123. The interval shown is drawn with z, as
    # metafor draws a study's: -1.2 -/+ 1.959964 x 0.5958 = -2.37 to -0.03, which leaves out
    # the no-difference the source's -2.40 to 0.00 reaches, and the flag says so.
    contrast = {"arm1": "int", "arm2": "ctl", "measure": "MD", "value_type": "final", "estimate": -1.2,
                "ci_lb": -2.4, "ci_ub": 0.0, "n1": 24, "n2": 23}
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert opt["vi"] == pytest.approx((2.4 / (2 * 2.01410338888085)) ** 2, rel=1e-12)
    assert ("variance from the 95% CI: SE = (upper - lower)/(2 x 2.014103) = 0.5958, t on 45 df as both groups "
            "are under 100 (Cochrane Handbook 6.5.2.3)") in opt["steps"]
    assert opt["flags"] == [("the source's 95% CI, on this scale, is -2.40 to 0.00; the one shown is narrower (its SE "
                             "from the source's width with t, the interval drawn with z)")]
    from metareview.fmt import rebuilt_interval
    from metareview.report.overview import rebuilt_note

    assert rebuilt_interval(opt["flags"]) == (-2.4, 0.0)
    assert rebuilt_note(opt) == ", narrower than the source\u2019s \u22122.40 to 0.00, its SE taken with t and drawn with z"
    # Groups of 90 and 90, -1.2 (-1.4 to -1.0): t on 178 df (1.973381) narrows the half-width
    # from 0.2 to 0.1986, the interval shown is the source's at the precision printed, and
    # no flag speaks of a difference no reader could see.
    contrast.update(n1=90, n2=90, ci_lb=-1.4, ci_ub=-1.0)
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert "t on 178 df" in " ".join(opt["steps"])
    assert opt["flags"] == []
    contrast.update(ci_lb=-2.4, ci_ub=0.0)
    # Groups of 120 and 118: the normal quantile, and the step says why (2.4 / 3.919928 =
    # 0.6123), as it does where the arm sizes are not reported (Brinkhaus 2006): the
    # methods' "t while both groups are under 100" does not settle that case by itself.
    contrast.update(n1=120, n2=118)
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert opt["vi"] == pytest.approx((2.4 / (2 * Z975)) ** 2, rel=1e-12)
    assert ("variance from the 95% CI: SE = (upper - lower)/(2 x 1.959964) = 0.6123, z as a group has 100 or more "
            "(Cochrane Handbook 6.5.2.3)") in opt["steps"]
    contrast.update(n1=None, n2=None)
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert opt["vi"] == pytest.approx((2.4 / (2 * Z975)) ** 2, rel=1e-12)
    assert ("variance from the 95% CI: SE = (upper - lower)/(2 x 1.959964) = 0.6123, z as the arm sizes are not "
            "reported (Cochrane Handbook 6.5.2.3)") in opt["steps"]


def test_a_source_interval_that_is_not_symmetric_after_rounding_is_named() -> None:
    # Brinkhaus 2006 against waiting list: 21.7 mm (13.9 to 30.0), positive favouring
    # acupuncture. The SE from the width gives -2.17 +/- 0.805 = -2.975 to -1.365 on 0-10
    # (printed -2.98 to -1.36),
    # not the source's -3.00 to -1.39 (asymmetry 3%, within the consistency check's 10% +
    # 4 x 0.05 / 16.1 = 11.2%). The flag says why the bounds differ, not that the source's
    # are "not symmetric", which read as a problem in the data the check does not find.
    contrast = {"arm1": "int", "arm2": "ctl", "measure": "MD", "value_type": "change", "estimate": 21.7,
                "ci_lb": 13.9, "ci_ub": 30.0, "instrument": "VAS_0_100", "sign_convention": "positive_favours_arm1"}
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["change"]
    assert opt["yi"] == pytest.approx(-2.17)
    assert opt["vi"] == pytest.approx((1.61 / (2 * Z975)) ** 2, rel=1e-12)
    assert opt["flags"] == [("the source's 95% CI, on this scale, is -3.00 to -1.39; the one shown is rebuilt "
                             "around -2.17 from its width (the SE)")]
    # A symmetric source interval (5.1 mm, -3.7 to 13.9) is the one shown: nothing to say.
    contrast.update(estimate=5.1, ci_lb=-3.7, ci_ub=13.9)
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["change"]
    assert opt["flags"] == []
    # A reported SMD too.
    smd = {"arm1": "int", "arm2": "ctl", "measure": "SMD", "value_type": "final", "estimate": -0.47, "ci_lb": -0.77,
           "ci_ub": -0.18, "n1": 50, "n2": 50}
    opt = effects(make_bundle(TWO_ARMS, [], [smd]), analysis("SMD"))["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    assert opt["flags"] == [("the source's 95% CI, on this scale, is -0.77 to -0.18; the one shown is rebuilt "
                             "around -0.47 from its width (the SE)")]


def test_a_symmetric_source_interval_whose_bounds_end_in_5_is_not_flagged() -> None:
    # 5.0 mm (3.85 to 6.15), positive favouring the intervention: on 0-10, -0.50 (-0.615 to
    # -0.385), symmetric, and the SE from its width gives the same bounds. The report prints
    # both as -0.62 to -0.38 (ties to even, metareview.fmt.fixed); Python's rounding of the
    # binary values printed the source's as -0.62 to -0.39 and flagged a difference that
    # the report's tables do not show.
    contrast = {"arm1": "int", "arm2": "ctl", "measure": "MD", "value_type": "change", "estimate": 5.0,
                "ci_lb": 3.85, "ci_ub": 6.15, "instrument": "VAS_0_100", "sign_convention": "positive_favours_arm1"}
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["change"]
    assert opt["yi"] == pytest.approx(-0.5)
    assert opt["vi"] == pytest.approx((0.23 / (2 * Z975)) ** 2, rel=1e-12)
    assert opt["flags"] == []
    # One that differs is still named: 5.0 (3.8 to 6.3) is -0.63 to -0.38 on 0-10, while
    # the SE from its width gives -0.50 -/+ 0.125 = -0.625 to -0.375, printed -0.62 to -0.38.
    contrast.update(ci_lb=3.8, ci_ub=6.3)
    opt = effects(make_bundle(TWO_ARMS, [], [contrast]), analysis("MD"))["analyses"]["acu_vs_sham_md_short"]["options"]["change"]
    assert opt["flags"] == [("the source's 95% CI, on this scale, is -0.63 to -0.38; the one shown is rebuilt "
                             "around -0.50 from its width (the SE)")]


def test_md_contrast_without_arm_sizes_cannot_feed_an_smd_and_smd_cannot_feed_an_md() -> None:
    # With its arm sizes an MD is standardised through t (above); without, nothing gives d.
    md = {"arm1": "int", "arm2": "ctl", "measure": "MD", "estimate": -1.0, "ci_lb": -2.0, "ci_ub": 0.0}
    out = effects(make_bundle(TWO_ARMS, [], [md]), analysis("SMD"))
    assert reasons(out, "contrasts.csv:S#1") == [
        ("excluded", "mean difference reported without SDs or arm sizes: cannot be standardised")]
    smd = {"arm1": "int", "arm2": "ctl", "measure": "SMD", "estimate": -0.4, "n1": 30, "n2": 30}
    out = effects(make_bundle(TWO_ARMS, [], [smd]), analysis("MD"))
    assert "standardised effect reported" in reasons(out, "contrasts.csv:S#1")[0][1]


def test_reported_smd_variance() -> None:
    smd = {"arm1": "int", "arm2": "ctl", "measure": "SMD", "estimate": -0.4, "n1": 30, "n2": 20}
    opt = effects(make_bundle(TWO_ARMS, [], [smd]), analysis())["analyses"]["acu_vs_sham_smd_short"]["options"]["unknown"]
    # already corrected: yi as reported, vi = 1/30 + 1/20 + 0.16/100
    assert opt["yi"] == -0.4
    assert opt["vi"] == pytest.approx(1 / 30 + 1 / 20 + 0.16 / 100)
    smd_ci = dict(smd, ci_lb=-0.8, ci_ub=0.0)
    opt = effects(make_bundle(TWO_ARMS, [], [smd_ci]), analysis())["analyses"]["acu_vs_sham_smd_short"]["options"]["unknown"]
    assert opt["vi"] == pytest.approx((0.8 / (2 * Z975)) ** 2)
    smd_se = dict(smd, se=0.25)
    opt = effects(make_bundle(TWO_ARMS, [], [smd_se]), analysis())["analyses"]["acu_vs_sham_smd_short"]["options"]["unknown"]
    assert opt["vi"] == pytest.approx(0.0625)


def test_p_only_binary_and_unknown_direction_contrasts_are_excluded() -> None:
    rows = [
        {"arm1": "int", "arm2": "ctl", "measure": "p_only", "p_value": 0.01, "sign_convention": "favours_arm1"},
        {"arm1": "int", "arm2": "ctl", "measure": "RR", "estimate": 0.5, "sign_convention": "ratio_arm1_over_arm2"},
        {"arm1": "int", "arm2": "ctl", "measure": "SMD", "estimate": 0.5, "n1": 20, "n2": 20, "sign_convention": "unclear"},
    ]
    out = effects(make_bundle(TWO_ARMS, [], rows), analysis())
    assert out["analyses"]["acu_vs_sham_smd_short"]["options"] == {}
    assert "only a p-value" in reasons(out, "contrasts.csv:S#1")[0][1]
    assert "binary measure" in reasons(out, "contrasts.csv:S#2")[0][1]
    assert "direction unknown" in reasons(out, "contrasts.csv:S#3")[0][1]
    # What no window could mend is the reason given, not the timepoint: an interaction
    # test over all follow-up (Griswold 2019) is unusable in any window.
    late = [dict(r, timepoint_weeks=None, timepoint_label="group x time interaction over follow-up") for r in rows[:2]]
    out = effects(make_bundle(TWO_ARMS, [], late), analysis())
    assert "only a p-value" in reasons(out, "contrasts.csv:S#1")[0][1]
    assert "binary measure" in reasons(out, "contrasts.csv:S#2")[0][1]


def test_contrast_at_baseline_is_excluded() -> None:
    smd = {"arm1": "int", "arm2": "ctl", "measure": "SMD", "estimate": -0.1, "n1": 30, "n2": 30, "timepoint_weeks": 0.0}
    out = effects(make_bundle(TWO_ARMS, [], [smd]), analysis(window="from0"))
    assert out["analyses"]["acu_vs_sham_smd_from0"]["options"] == {}
    assert "baseline" in reasons(out, "contrasts.csv:S#1")[0][1]


# --- study roles --------------------------------------------------------------------------------------------


def test_meta_analysis_is_external_evidence_only() -> None:
    rows = [{"arm1": "ctl", "arm2": "int", "measure": "SMD", "estimate": 0.5, "ci_lb": 0.2, "ci_ub": 0.8,
             "k_studies": 7, "n_participants": 900}]
    out = effects(make_bundle(TWO_ARMS, arm_values((30, 3.0, 2.0), (30, 4.0, 2.0)), rows, design="meta_analysis"),
                  analysis())
    entry = out["analyses"]["acu_vs_sham_smd_short"]
    assert entry["options"] == {}
    (ext,) = entry["external"]
    # oriented acupuncture minus sham
    assert (ext["estimate"], ext["ci_lb"], ext["ci_ub"]) == (-0.5, -0.8, -0.2)
    assert ext["comparable"] is True and ext["k_studies"] == 7
    assert reasons(out, "contrasts.csv:S#1")[0][0] == "external"
    assert reasons(out, "arm_outcomes.csv:S#1")[0][0] == "excluded"


def test_a_review_s_result_against_one_of_its_arms_in_the_comparator_node_names_that_arm() -> None:
    # Lee 2023, a network meta-analysis, has two shams in the sham node (at non-indicated
    # points, SATS, and at the same points, SATV) and gives its numbers against SATS: the
    # result carries the arm it is against, by the arm's description, for its label.
    from metareview.plots import external_label

    arms = [("acu", "acupuncture", None), ("sats", "sham_acupuncture", None), ("satv", "sham_acupuncture", None)]
    rows = [{"arm1": "acu", "arm2": "sats", "measure": "SMD", "estimate": -0.33, "ci_lb": -0.52, "ci_ub": -0.15},
            {"arm1": "satv", "arm2": "sats", "measure": "SMD", "estimate": -0.45, "ci_lb": -0.88, "ci_ub": -0.03}]
    bundle = make_bundle(arms, contrasts=rows, design="meta_analysis")
    bundle["arms"][1]["description"] = "Sham acupuncture at non-indicated points (SATS)"
    bundle["arms"][2]["description"] = "Sham acupuncture at the same points (SATV)"
    (ext,) = effects(bundle, analysis())["analyses"]["acu_vs_sham_smd_short"]["external"]
    assert ext["comparator_arm"] == "Sham acupuncture at non-indicated points (SATS)"
    # The study's label is the analysis's to add (metareview.analysis.pool_analysis).
    assert external_label({**ext, "label": "Study S"}) == "Study S, vs Sham acupuncture at non-indicated points (SATS)"
    # Entered the other way round (sham minus acupuncture): the sham is still the arm named.
    bundle["contrasts"][0].update(arm1="sats", arm2="acu", estimate=0.33, ci_lb=0.15, ci_ub=0.52)
    (ext,) = effects(bundle, analysis())["analyses"]["acu_vs_sham_smd_short"]["external"]
    assert ext["comparator_arm"] == "Sham acupuncture at non-indicated points (SATS)"
    assert (ext["estimate"], ext["ci_lb"], ext["ci_ub"]) == (-0.33, -0.52, -0.15)
    # One arm in the node: the review's label says all there is.
    (ext,) = effects(make_bundle(TWO_ARMS, contrasts=[{**rows[0], "arm1": "int", "arm2": "ctl"}],
                                 design="meta_analysis"), analysis())["analyses"]["acu_vs_sham_smd_short"]["external"]
    assert "comparator_arm" not in ext and external_label({**ext, "label": "Study S"}) == "Study S"


@pytest.mark.parametrize("level", [None, 95.0, 90.0])
def test_meta_analysis_result_carries_the_level_its_source_states(level: float | None) -> None:
    # A review's interval is shown as printed, at its own level: a 90% one is not widened
    # to 95%, and one printed without a level is not called 95%.
    rows = [{"arm1": "ctl", "arm2": "int", "measure": "SMD", "estimate": 0.5, "ci_lb": 0.2, "ci_ub": 0.8,
             "ci_level": level}]
    out = effects(make_bundle(TWO_ARMS, [], rows, design="meta_analysis"), analysis())
    (ext,) = out["analyses"]["acu_vs_sham_smd_short"]["external"]
    assert ext["ci_level"] == level
    assert (ext["estimate"], ext["ci_lb"], ext["ci_ub"]) == (-0.5, -0.8, -0.2)


@pytest.mark.parametrize("label, window", [
    ("intermediate term", "medium"), ("Intermediate-term", "medium"), ("short-term follow-up", "short"),
    ("immediate/short-term post-treatment", "short"), ("post-intervention", "short"),
    ("not specified", None), (None, None), ("3 months", None),
    ("short term and intermediate term", None),  # the terms of two windows: none
    ("intermediately", None),  # words are matched whole
])
def test_a_timepoint_in_words_is_read_by_the_windows_terms(label: str | None, window: str | None) -> None:
    windows = {"short": {"terms": ["short term", "immediate", "post intervention", "post treatment"]},
               "medium": {"terms": ["intermediate term"]}, "long": {}}
    assert term_window(label, windows) == window


def test_a_published_result_in_another_windows_words_is_outside_the_window() -> None:
    windows = {"short": {**WINDOWS["short"], "terms": ["short term"]},
               "medium": {"label": "Medium", "min_weeks": 13, "max_weeks": 26, "target_weeks": 26,
                          "terms": ["intermediate term"]}}
    rows = [{"arm1": "int", "arm2": "ctl", "measure": "SMD", "estimate": -0.17, "ci_lb": -0.3, "ci_ub": -0.04,
             "timepoint_weeks": None, "timepoint_label": label}
            for label in ("intermediate term", "short term", "later", "not specified")]
    doc = normalise_study(make_bundle(TWO_ARMS, [], rows, design="meta_analysis"), nodes=NODES, outcomes=OUTCOMES,
                          windows=windows)
    out = study_effects(doc, [analysis(window="short"), analysis(window="medium")], windows=windows)
    later, short, unstated, unknown = out["analyses"]["acu_vs_sham_smd_short"]["external"]
    assert later["outside_window"] and not later["comparable"]
    assert later["not_drawn"] == "timepoint given as \u2018intermediate term\u2019, which this review reads as another window"
    assert not short["outside_window"] and short["comparable"]
    assert "timepoint given as \u2018short term\u2019, which this review reads as this window" in short["notes"]
    # The source's words quoted, not in brackets inside the brackets the report puts notes in.
    assert not unstated["outside_window"] and "timepoint not stated in weeks, given as \u2018later\u2019" in unstated["notes"]
    assert not any("(" in note for note in unstated["notes"]), unstated["notes"]
    # Words that say no time is given are not quoted as if they gave one.
    assert "timepoint not stated" in unknown["notes"] and "not specified" not in " ".join(unknown["notes"])
    medium = out["analyses"]["acu_vs_sham_smd_medium"]["external"]
    assert [e["outside_window"] for e in medium] == [False, True, False, False]
    # A span in weeks or months (Manheimer 2005's "<6 weeks"): "not stated in weeks, given
    # as '<6 weeks'" contradicted itself. What is missing is one week to place it at.
    rows = [{**rows[0], "timepoint_label": label} for label in ("<6 weeks", ">1 month")]
    doc = normalise_study(make_bundle(TWO_ARMS, [], rows, design="meta_analysis"), nodes=NODES, outcomes=OUTCOMES,
                          windows=windows)
    out = study_effects(doc, [analysis(window="short")], windows=windows)
    weeks, month = out["analyses"]["acu_vs_sham_smd_short"]["external"]
    assert not weeks["outside_window"] and weeks["comparable"]
    assert ("timepoint given as \u2018<6 weeks\u2019, a span rather than one week: shown in every window"
            in weeks["notes"]), weeks["notes"]
    assert "timepoint given as \u2018>1 month\u2019, a span rather than one week: shown in every window" in month["notes"]
    assert not any("not stated in weeks" in note for e in (weeks, month) for note in e["notes"])


def test_a_trials_timepoint_in_words_is_placed_by_the_windows_terms_after_those_in_weeks() -> None:
    windows = {"short": {**WINDOWS["short"], "terms": ["immediate"]},
               "medium": {"label": "Medium", "min_weeks": 13, "max_weeks": 26, "target_weeks": 26,
                          "terms": ["intermediate term"]}}

    def run(rows: list[dict[str, Any]], window: str = "short") -> dict[str, Any]:
        doc = normalise_study(make_bundle(TWO_ARMS, rows), nodes=NODES, outcomes=OUTCOMES, windows=windows)
        return study_effects(doc, [analysis(window=window)], windows=windows)

    # Kwon 2007: arm values "immediately post-treatment", no weeks: in the short term.
    words = arm_values((24, 5.16, 4.9), (23, 4.92, 4.8), timepoint_weeks=None,
                       timepoint_label="immediate post-treatment (weeks not stated)")
    opt = run(words)["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    assert opt["timepoint_weeks"] is None and opt["refs"] == ["arm_outcomes.csv:S#1", "arm_outcomes.csv:S#2"]
    # Not in another window, and the reason says why.
    out = run(words, "medium")
    assert out["analyses"]["acu_vs_sham_smd_medium"]["options"] == {}
    assert reasons(out, "arm_outcomes.csv:S#1") == [
        ("excluded", ("timepoint given as \u2018immediate post-treatment (weeks not stated)\u2019, which this review "
                      "reads as another window"))]
    # A timepoint in weeks in the same window comes first: its distance to the target is known.
    weeks = arm_values((30, 3.0, 2.0), (32, 4.2, 2.4), timepoint_weeks=8.0)
    opt = run(words + weeks)["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    assert opt["timepoint_weeks"] == 8.0


def test_a_timepoint_in_words_says_how_it_was_placed_and_one_in_weeks_why_it_came_first() -> None:
    windows = {"short": {**WINDOWS["short"], "terms": ["immediate", "post treatment"]}}

    def steps(rows: list[dict[str, Any]]) -> list[str]:
        doc = normalise_study(make_bundle(TWO_ARMS, rows), nodes=NODES, outcomes=OUTCOMES, windows=windows)
        out = study_effects(doc, [analysis()], windows=windows)
        return out["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]["steps"]

    # Kwon 2007: no weeks, so its cells give an auditor nothing to check the window by.
    words = arm_values((24, 5.16, 4.9), (23, 4.92, 4.8), timepoint_weeks=None,
                       timepoint_label="immediate post-treatment (weeks not stated)")
    assert steps(words)[0] == ("timepoint \u2018immediate post-treatment (weeks not stated)\u2019 placed in the window "
                               "of 1 to 12 weeks by its words, no week given: it uses the window's terms "
                               "\u2018immediate\u2019 and \u2018post treatment\u2019")
    weeks = arm_values((30, 3.0, 2.0), (32, 4.2, 2.4), timepoint_weeks=8.0)
    assert steps(words + weeks)[0] == (
        "timepoint: week 8, the only one given in weeks; a timepoint in weeks is preferred to \u2018immediate "
        "post-treatment (weeks not stated)\u2019, given in words only: its distance to the target is unknown")
    # Two in words: no distance decides, the sample does (30 + 30 = 60 against 24 + 23 = 47).
    two = (arm_values((30, 5.0, 2.0), (30, 6.0, 2.0), timepoint_weeks=None, timepoint_label="post-treatment")
           + arm_values((24, 4.0, 2.0), (23, 6.0, 2.0), timepoint_weeks=None, timepoint_label="immediate follow-up"))
    assert steps(two)[0] == ("timepoint \u2018post-treatment\u2019 placed in the window of 1 to 12 weeks by its words, "
                             "no week given: it uses the window's term \u2018post treatment\u2019; \u2018immediate "
                             "follow-up\u2019, also in this window by its words, is no nearer the target: the larger "
                             "sample is taken, n = 60 to 47")


def test_a_timepoint_in_words_set_aside_for_another_is_not_called_another_arm_pair() -> None:
    windows = {"short": {**WINDOWS["short"], "terms": ["immediate", "post treatment"]}}
    rows = (arm_values((30, 5.0, 2.0), (30, 6.0, 2.0), timepoint_weeks=None, timepoint_label="post-treatment")
            + arm_values((24, 4.0, 2.0), (23, 6.0, 2.0), timepoint_weeks=None, timepoint_label="immediate follow-up"))
    doc = normalise_study(make_bundle(TWO_ARMS, rows), nodes=NODES, outcomes=OUTCOMES, windows=windows)
    out = study_effects(doc, [analysis()], windows=windows)
    # The same two arms at another timepoint: the study's line said a pair was set aside.
    assert not any("arm pair" in f for f in out["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]["flags"])
    for ref in ("arm_outcomes.csv:S#3", "arm_outcomes.csv:S#4"):
        assert reasons(out, ref) == [("superseded", ("another timepoint, also given in words only, is used: words "
                                                     "give no distance to the window target (one row per trial per "
                                                     "analysis)"))]


def test_two_timepoints_in_words_are_two_timepoints() -> None:
    windows = {"short": {**WINDOWS["short"], "terms": ["post treatment", "immediate"]}}
    rows = (arm_values((24, 5.0, 2.0), (23, 6.0, 2.0), timepoint_weeks=None, timepoint_label="post-treatment")
            + arm_values((24, 4.0, 2.0), (23, 6.0, 2.0), timepoint_weeks=None, timepoint_label="immediate follow-up"))
    doc = normalise_study(make_bundle(TWO_ARMS, rows), nodes=NODES, outcomes=OUTCOMES, windows=windows)
    out = study_effects(doc, [analysis()], windows=windows)
    opt = out["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    # Not one timepoint with two values per arm (which would set the study aside): one of
    # the two, the other set aside as another timepoint.
    assert len(opt["refs"]) == 2 and not any("more than one value" in r for _, r in
                                             reasons(out, "arm_outcomes.csv:S#1") + reasons(out, "arm_outcomes.csv:S#3"))
    # Rows are the same timepoint by their weeks, or by their words when neither has weeks.
    assert same_timepoint({"timepoint_weeks": 8.0}, {"timepoint_weeks": 8, "timepoint_label": "x"})
    assert same_timepoint({"timepoint_label": "Post-treatment"}, {"timepoint_label": "post treatment"})
    assert not same_timepoint({"timepoint_label": "post-treatment"}, {"timepoint_label": "long-term follow-up"})
    assert not same_timepoint({}, {})
    assert not same_timepoint({"timepoint_weeks": 8.0}, {"timepoint_label": "week 8"})


def test_a_published_md_says_when_it_was_rescaled_or_is_on_a_scale_of_its_own() -> None:
    rows = [{"arm1": "int", "arm2": "ctl", "measure": "MD", "estimate": -10.3, "ci_lb": -17.1, "ci_ub": -3.4,
             "instrument": "VAS_0_100"},
            {"arm1": "int", "arm2": "ctl", "measure": "MD", "estimate": -16.8, "ci_lb": -33.3, "ci_ub": -0.2,
             "instrument": "VAS_x"}]
    out = effects(make_bundle(TWO_ARMS, [], rows, design="meta_analysis"), analysis("MD"))
    rescaled, unknown = out["analyses"]["acu_vs_sham_md_short"]["external"]
    assert rescaled["estimate"] == pytest.approx(-1.03)
    assert rescaled["notes"] == ["VAS 0-100 rescaled to 0\u201310 (\u00d70.1)"]
    assert unknown["estimate"] == -16.8 and not unknown["comparable"]
    assert unknown["notes"] == ["instrument range unknown: not on the common scale"]


def test_guideline_is_narrative_and_observational_is_not_pooled() -> None:
    out = effects(make_bundle(TWO_ARMS, arm_values((30, 3.0, 2.0), (30, 4.0, 2.0)), design="guideline"), analysis())
    assert reasons(out, "arm_outcomes.csv:S#1")[0][0] == "narrative"
    out = effects(make_bundle(TWO_ARMS, arm_values((30, 3.0, 2.0), (30, 4.0, 2.0)), design="observational"), analysis())
    assert out["analyses"]["acu_vs_sham_smd_short"]["options"] == {}
    assert reasons(out, "arm_outcomes.csv:S#1") == [("excluded", "its design (observational) is not one this review pools")]


def test_an_effect_from_rows_read_in_another_document_is_flagged() -> None:
    # Cherkin 2009's pattern: the study's own source is its abstract; one arm was read off
    # an evidence report's forest plot, the other in a third-party transcription of the
    # trial's table. Its full text (kind trial_report) is its own report, not another.
    sources = [{"source_id": "own_abstract", "kind": "abstract"}, {"source_id": "own_full", "kind": "trial_report"},
               {"source_id": "fig8", "kind": "evidence_report"}, {"source_id": "tab2", "kind": "secondary_summary"}]

    def option(design: str = "rct", level: str = "primary", *cited: str, low: bool = False) -> dict[str, Any]:
        values = arm_values((30, 3.0, 2.0), (32, 4.2, 2.4))
        if low:
            values[1]["confidence"] = "low"
        for row, sid in zip(values, cited, strict=False):
            if sid:
                row["source_id"] = sid
        bundle = make_bundle(TWO_ARMS, values, design=design)
        bundle["study"].update(source_id="own_abstract", source_level=level)
        bundle["sources"] = sources
        return effects(bundle, analysis())["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]

    plain = option()
    assert "read_elsewhere" not in plain
    assert not any("other than the trial" in f for f in plain["flags"])
    # Rows citing the trial's own documents, or the study's own source, are not flagged.
    assert "read_elsewhere" not in option("rct", "primary", "own_full", "own_abstract")
    both = option("rct", "primary", "fig8", "tab2")
    assert both["read_elsewhere"] == [
        {"ref": "arm_outcomes.csv:S#1", "source_id": "fig8", "kind": "evidence_report"},
        {"ref": "arm_outcomes.csv:S#2", "source_id": "tab2", "kind": "secondary_summary"}]
    assert ("numbers read in documents other than the trial\u2019s own report (an evidence report; "
            "a secondary summary)") in both["flags"]
    one = option("rct", "primary", "fig8", "own_full")
    assert [x["ref"] for x in one["read_elsewhere"]] == ["arm_outcomes.csv:S#1"]
    assert ("some numbers read in a document other than the trial\u2019s own report (an evidence report)"
            in one["flags"])
    # The number is the same whichever document it was read in.
    assert (both["yi"], both["vi"]) == (plain["yi"], plain["vi"])
    # A study known only from a secondary source says so of every row already.
    assert "read_elsewhere" not in option("rct", "secondary", "fig8", "tab2")
    # Said before the extraction's confidence, which the rows' notes explain.
    low = option("rct", "primary", "fig8", "tab2", low=True)["flags"]
    assert low[-2].startswith("numbers read in") and low[-1].startswith(LOW_CONFIDENCE)


def test_an_effect_whose_words_may_lie_past_the_windows_end_is_flagged() -> None:
    # 8 weeks and 1 month are 12 to 12.35 weeks (a month 4 to 4.35): entered as week 12,
    # in the window of 1 to 12 weeks, but by its words perhaps after it.
    words = "1-month assessment (after the 8-week course)"

    def option(label: str) -> dict[str, Any]:
        values = arm_values((30, 3.0, 2.0), (32, 4.2, 2.4), timepoint_weeks=12.0, timepoint_label=label)
        return effects(make_bundle(TWO_ARMS, values), analysis())["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]

    edge = option(words)
    assert ("timepoint at the window\u2019s upper edge: its words give 12 to 12.35 weeks (a month 4 to 4.35 weeks), "
            "entered as week 12, in a window ending at week 12") in edge["flags"]
    plain = option("week 12")
    assert not any("edge" in f for f in plain["flags"])
    # The effect is the same, and still used: only said.
    assert (edge["yi"], edge["vi"], edge["timepoint_weeks"]) == (plain["yi"], plain["vi"], 12.0)


def test_study_without_both_nodes_has_no_entry() -> None:
    arms = [("int", "acupuncture", None), ("ctl", "unnamed_control", None)]
    out = effects(make_bundle(arms, arm_values((30, 3.0, 2.0), (30, 4.0, 2.0))), analysis())
    assert out["analyses"] == {} and out["rows"] == {}


def test_an_effect_from_a_row_of_low_extraction_confidence_is_flagged() -> None:
    # The intervention arm's mean is ambiguous in its source (the row's own rating).
    values = arm_values((30, 3.0, 2.0), (32, 4.2, 2.4), confidence="medium")
    out = effects(make_bundle(TWO_ARMS, values), analysis())
    assert not any(f.startswith(LOW_CONFIDENCE) for f in out["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]["flags"])
    values[0]["confidence"] = "low"
    out = effects(make_bundle(TWO_ARMS, values), analysis())
    # With the row whose notes say why.
    option = out["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]
    assert f"{LOW_CONFIDENCE}: see the notes of arm_outcomes.csv:S#1" in option["flags"]
    assert option["low_confidence"] == ["arm_outcomes.csv:S#1"]
    # A published result too, among its notes.
    published = {"arm1": "int", "arm2": "ctl", "measure": "SMD", "estimate": -0.4, "ci_lb": -0.7, "ci_ub": -0.1,
                 "confidence": "low"}
    out = effects(make_bundle(TWO_ARMS, contrasts=[published], design="meta_analysis"), analysis())
    (entry,) = out["analyses"]["acu_vs_sham_smd_short"]["external"]
    assert LOW_CONFIDENCE in entry["notes"]
    out = effects(make_bundle(TWO_ARMS, contrasts=[{**published, "confidence": "high"}], design="meta_analysis"),
                  analysis())
    assert LOW_CONFIDENCE not in out["analyses"]["acu_vs_sham_smd_short"]["external"][0]["notes"]
    # A result read only in another document says so, over the study's own level.
    assert "read_elsewhere" not in out["analyses"]["acu_vs_sham_smd_short"]["external"][0]
    out = effects(make_bundle(TWO_ARMS, contrasts=[{**published, "source_level": "secondary"}],
                              design="meta_analysis"), analysis())
    assert out["analyses"]["acu_vs_sham_smd_short"]["external"][0]["read_elsewhere"] is True


def test_a_published_result_the_forest_plot_cannot_draw_says_why() -> None:
    base = {"arm1": "int", "arm2": "ctl", "estimate": -0.4, "ci_lb": -0.7, "ci_ub": -0.1}

    def entry(c: dict[str, Any], measure: str = "MD") -> dict[str, Any]:
        out = effects(make_bundle(TWO_ARMS, contrasts=[c], design="meta_analysis"), analysis(measure))
        (e,) = out["analyses"][analysis(measure)["id"]]["external"]
        return e

    drawn = entry({**base, "measure": "MD"})
    assert drawn["comparable"] and drawn["not_drawn"] is None
    smd = entry({**base, "measure": "SMD"})
    assert (smd["comparable"], smd["not_drawn"]) == (False, "reported as SMD, this analysis uses MD")
    cohen = entry({**base, "measure": "cohen_d"})
    assert cohen["not_drawn"] == "reported as Cohen's d, this analysis uses MD"
    # Its notes say it in the same words as an SMD's, once: not "reported as Cohen's d"
    # and, apart, "this analysis uses MD".
    assert "reported as SMD, this analysis uses MD" in smd["notes"]
    assert [n for n in cohen["notes"] if "reported as" in n or "this analysis" in n] == [
        "reported as Cohen's d, this analysis uses MD"]
    # In an SMD analysis nothing differs but the correction: "reported as Cohen's d" alone.
    assert [n for n in entry({**base, "measure": "cohen_d"}, "SMD")["notes"] if "reported as" in n
            or "this analysis" in n] == ["reported as Cohen's d"]
    unscaled = entry({**base, "measure": "MD", "instrument": "VAS_x"})
    assert unscaled["not_drawn"] == "instrument range unknown: not on the common scale"
    late = entry({**base, "measure": "MD", "timepoint_weeks": 30.0})
    assert late["not_drawn"] == "timepoint 30 weeks is outside the window of 1 to 12 weeks"
    assert late["outside_window"] and not drawn["outside_window"] and not smd["outside_window"]


def test_an_effect_keeps_the_source_s_words_for_its_timepoint() -> None:
    values = arm_values((30, 3.0, 2.0), (32, 4.2, 2.4), timepoint_label="6 wks (column header)")
    out = effects(make_bundle(TWO_ARMS, values), analysis())
    assert out["analyses"]["acu_vs_sham_smd_short"]["options"]["final"]["timepoint_label"] == "6 wks (column header)"


@pytest.mark.parametrize("label, hint", [
    ("week 4", "the label names week 4: if that counts from randomisation, enter the weeks in timepoint_weeks"),
    ("at 6 months", "the label names 6 months"),
    # More than a duration: may count from the end of treatment, left without weeks on purpose.
    ("two-month follow-up", None),
    ("after 1 month", None),
    ("immediate post-treatment (weeks not stated)", None),
])
def test_a_timepoint_given_only_as_a_duration_says_which_cell_to_fill(label: str, hint: str | None) -> None:
    from metareview.extract import outside_window_reason
    reason = outside_window_reason({"timepoint_weeks": None, "timepoint_label": label})
    assert reason.startswith(f"timepoint given only as \u2018{label}\u2019, not in weeks: placed in no window")
    assert (hint in reason) if hint else reason.endswith(
        "placed in no window (fill in timepoint_weeks, or add the words to windows.<w>.terms in the config)")


@pytest.mark.parametrize("row, record", [
    ({"timepoint_weeks": 4.0, "timepoint_label": "4 weeks"},
     {"kind": "outside_window", "weeks": [4.0], "window": "medium", "min_weeks": 13.0, "max_weeks": 26.0}),
    ({"timepoint_weeks": None, "timepoint_label": "intermediate term", "term_window": "medium"},
     {"kind": "other_window", "labels": ["intermediate term"], "window": "medium"}),
    ({"timepoint_weeks": None, "timepoint_label": "week 4"}, {"kind": "words_only", "labels": ["week 4"], "named": "week 4"}),
    ({"timepoint_weeks": None, "timepoint_label": "after 1 month"},
     {"kind": "words_only", "labels": ["after 1 month"], "named": None}),
    ({"timepoint_weeks": None, "timepoint_label": "not stated"}, {"kind": "not_reported"}),
    ({"timepoint_weeks": None, "timepoint_label": None}, {"kind": "not_reported"}),
])
def test_a_rows_timepoint_reason_is_recorded_as_fields(row: dict[str, Any], record: dict[str, Any]) -> None:
    from metareview.extract import timepoint_set_aside
    assert timepoint_set_aside(row, {"min_weeks": 13, "max_weeks": 26, "target_weeks": 26}, "medium") == record


def test_a_timepoint_outside_the_window_names_the_window_s_weeks() -> None:
    from metareview.extract import outside_window_reason
    window = {"min_weeks": 13, "max_weeks": 26, "target_weeks": 26}
    assert (outside_window_reason({"timepoint_weeks": 4.0}, window)
            == "timepoint 4 weeks is outside the window of 13 to 26 weeks")


@pytest.mark.filterwarnings("ignore::metareview.effects.EscalcWarning")  # escalc's, as metafor's: NA for Inf
def test_arms_without_spread_give_no_effect_rather_than_a_zero_variance() -> None:
    # SDs of 0 in both arms (as a derived SD could be): an MD of variance 0 and an SMD of
    # NaN would take unbounded weight or break the pooling.
    doc = normalise_study(make_bundle(TWO_ARMS, arm_values((30, 3.0, 2.0), (32, 4.2, 2.4))), nodes=NODES,
                          outcomes=OUTCOMES, windows=WINDOWS)
    for v in doc["arm_values"]:
        v["sd"] = 0.0
    for measure in ("MD", "SMD"):
        out = study_effects(doc, [analysis(measure)], windows=WINDOWS)
        assert out["analyses"][f"acu_vs_sham_{measure.lower()}_short"]["options"] == {}
        assert reasons(out, "arm_outcomes.csv:S#1") == [
            ("excluded", f"{measure} not estimable: the arms' SDs give no variance")]


def test_an_effect_whose_raw_rows_carry_a_consistency_warning_says_so() -> None:
    # Quartiles typed as a median's range gave an interval a third as wide, printed as firm
    # in the summary and the study table, while only the warnings table named the rows.
    from metareview.fmt import WARNED_FLAG
    from metareview.report.overview import _study_doubts_in_brief

    bundle = make_bundle(TWO_ARMS, arm_values((30, 3.0, 2.0), (30, 4.0, 2.0)), [])
    doc = normalise_study(bundle, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS)
    opt = study_effects(doc, [analysis("MD")], windows=WINDOWS)["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert WARNED_FLAG not in opt["flags"]
    ref = opt["refs"][1]
    doc["warnings"] = [{"check": "value_not_in_quote", "ref": ref, "file": "arm_outcomes.csv", "column": "sd",
                        "message": "m", "related": []}]
    opt = study_effects(doc, [analysis("MD")], windows=WINDOWS)["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert opt["flags"][-1] == WARNED_FLAG
    # Plain words: the summary escapes a doubt, so a cross-reference in it would print as text.
    assert ("with a consistency warning on its raw rows", "with consistency warnings on their raw rows"
            ) in _study_doubts_in_brief(opt)
    # A warning on a row no effect uses (another study's, a source) flags nothing.
    doc["warnings"] = [{"check": "label_year", "ref": "studies.csv:S#1", "column": "year", "message": "m"}]
    opt = study_effects(doc, [analysis("MD")], windows=WINDOWS)["analyses"]["acu_vs_sham_md_short"]["options"]["final"]
    assert WARNED_FLAG not in opt["flags"]
