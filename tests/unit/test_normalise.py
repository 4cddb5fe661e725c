"""Unit tests for metareview.normalise: common scales, directions and windows by hand.

Conventions under test (module docstring): lower is better on every common scale; change
scores are follow-up minus baseline; contrasts are arm1 minus arm2, so negative favours arm1.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from metareview.normalise import (
    UNNAMED,
    design_role,
    in_window,
    md_ci_quantile,
    node_map,
    normalise_arm_value,
    normalise_study,
    orient_contrast,
    rescale_factor,
    unit_problem,
    window_gap,
)

PAIN = {"label": "Pain", "scale_min": 0, "scale_max": 10}
DISABILITY = {"label": "Disability", "scale_min": 0, "scale_max": 100}
VAS100 = {"instrument": "VAS_0_100", "label": "VAS 0-100", "outcome": "pain", "scale_min": 0, "scale_max": 100,
          "lower_is_better": True}
VAS10 = {"instrument": "VAS_0_10", "label": "VAS 0-10", "outcome": "pain", "scale_min": 0, "scale_max": 10,
         "lower_is_better": True}
RMDQ = {"instrument": "RMDQ_0_24", "label": "RMDQ", "outcome": "disability", "scale_min": 0, "scale_max": 24,
        "lower_is_better": True}
HFAQ = {"instrument": "HFAQ_0_100", "label": "HFAQ", "outcome": "disability", "scale_min": 0, "scale_max": 100,
        "lower_is_better": False}
# Higher is better, range 1-5 (a non-zero minimum), mapped onto pain 0-10: factor 10/4 = 2.5.
LIKERT = {"instrument": "likert", "label": "Relief 1-5", "outcome": "pain", "scale_min": 1, "scale_max": 5,
          "lower_is_better": False}
NORANGE = {"instrument": "VAS_x", "label": "VAS (range not stated)", "outcome": "pain", "scale_min": None,
           "scale_max": None, "lower_is_better": True}
NORANGE_UP = {"instrument": "fn_x", "label": "Function (range not stated)", "outcome": "disability",
              "scale_min": None, "scale_max": None, "lower_is_better": False}


def arm_row(value_type: str, **kw: Any) -> dict[str, Any]:
    return {"value_type": value_type, **kw}


def contrast_row(measure: str, conv: str, est: float | None = None, lb: float | None = None,
                 ub: float | None = None, **kw: Any) -> dict[str, Any]:
    return {"measure": measure, "sign_convention": conv, "estimate": est, "ci_lb": lb, "ci_ub": ub, **kw}


# --- small helpers ------------------------------------------------------------------------------


def test_design_role() -> None:
    assert design_role("rct") == "trial"
    assert design_role("cluster_rct") == "trial"
    assert design_role("meta_analysis") == "external"
    assert design_role("ipd_meta_analysis") == "external"
    assert design_role("guideline") == "narrative"
    assert design_role("consensus") == "narrative"
    assert design_role("observational") == "ineligible"
    assert design_role("unknown") == "ineligible"
    # A review may choose which designs it pools; external/narrative roles do not move.
    assert design_role("observational", frozenset({"observational"})) == "trial"
    assert design_role("rct", frozenset({"observational"})) == "ineligible"
    assert design_role("meta_analysis", frozenset({"meta_analysis"})) == "external"


def test_node_map() -> None:
    nodes = {"acu": {"label": "A", "treatments": ["acupuncture", "electroacupuncture"]},
             "sham": {"label": "S", "treatments": ["sham_acupuncture"]}}
    assert node_map(nodes) == {"acupuncture": "acu", "electroacupuncture": "acu", "sham_acupuncture": "sham"}


def test_in_window_bounds_are_inclusive() -> None:
    w = {"min_weeks": 1, "max_weeks": 12, "target_weeks": 6}
    assert in_window(1, w) and in_window(12, w) and in_window(6.5, w)
    assert not in_window(0, w)
    assert not in_window(0.99, w)
    assert not in_window(12.01, w)
    assert not in_window(None, w)


def test_rescale_factor() -> None:
    assert rescale_factor(VAS100, PAIN) == pytest.approx(0.1)
    assert rescale_factor(RMDQ, DISABILITY) == pytest.approx(100 / 24)
    assert rescale_factor(LIKERT, PAIN) == pytest.approx(2.5)
    assert rescale_factor(VAS10, PAIN) == 1.0
    assert rescale_factor(NORANGE, PAIN) is None
    assert rescale_factor(VAS100, None) is None


# --- arm-level values: final values --------------------------------------------------------------


def test_final_vas_0_100_onto_0_10() -> None:
    out = normalise_arm_value(arm_row("final", mean=45.0, sd=20.0, se=4.0, ci_lb=37.0, ci_ub=53.0), VAS100, PAIN)
    assert out["mean"] == pytest.approx(4.5)
    assert out["sd"] == pytest.approx(2.0)
    assert out["se"] == pytest.approx(0.4)
    assert (out["ci_lb"], out["ci_ub"]) == (pytest.approx(3.7), pytest.approx(5.3))
    assert out["rescaled"] is True
    assert any("rescaled to 0\u201310 (\u00d70.1)" in s for s in out["steps"])


def test_final_rmdq_0_24_onto_0_100() -> None:
    out = normalise_arm_value(arm_row("final", mean=12.0, sd=6.0), RMDQ, DISABILITY)
    # 12/24 of the range is 50 on 0-100; an SD of 6 points is 6 x 100/24 = 25.
    assert out["mean"] == pytest.approx(50.0)
    assert out["sd"] == pytest.approx(25.0)
    assert any("\u00d74.16667" in s for s in out["steps"])


def test_final_on_the_same_scale_is_unchanged_and_says_nothing() -> None:
    out = normalise_arm_value(arm_row("final", mean=3.2, sd=1.1), VAS10, PAIN)
    assert (out["mean"], out["sd"], out["rescaled"], out["steps"]) == (3.2, 1.1, True, [])


def test_final_higher_is_better_is_reflected() -> None:
    # HFAQ 0-100, higher is better: 70 becomes 100 - 70 = 30 on the lower-is-better 0-100 scale;
    # the interval 65-75 becomes 25-35 (bounds swap); SDs keep their size.
    out = normalise_arm_value(arm_row("final", mean=70.0, sd=10.0, ci_lb=65.0, ci_ub=75.0), HFAQ, DISABILITY)
    assert out["mean"] == pytest.approx(30.0)
    assert out["sd"] == pytest.approx(10.0)
    assert (out["ci_lb"], out["ci_ub"]) == (pytest.approx(25.0), pytest.approx(35.0))
    assert any("higher is better" in s for s in out["steps"])


def test_final_reflection_with_nonzero_scale_minimum() -> None:
    # Relief 1-5, higher better, onto pain 0-10: 4 -> (5 - 4) x 2.5 = 2.5; 2 -> 7.5.
    assert normalise_arm_value(arm_row("final", mean=4.0, sd=0.8), LIKERT, PAIN)["mean"] == pytest.approx(2.5)
    out = normalise_arm_value(arm_row("final", mean=2.0, sd=0.8), LIKERT, PAIN)
    assert out["mean"] == pytest.approx(7.5)
    assert out["sd"] == pytest.approx(2.0)
    # The same instrument read as lower-is-better: (4 - 1) x 2.5 = 7.5.
    lower = dict(LIKERT, lower_is_better=True)
    assert normalise_arm_value(arm_row("final", mean=4.0), lower, PAIN)["mean"] == pytest.approx(7.5)


def test_final_higher_is_better_without_range_flips_sign_only() -> None:
    out = normalise_arm_value(arm_row("final", mean=12.0, sd=3.0, ci_lb=10.0, ci_ub=14.0), NORANGE_UP, DISABILITY)
    assert (out["mean"], out["sd"], out["ci_lb"], out["ci_ub"]) == (-12.0, 3.0, -14.0, -10.0)
    assert out["rescaled"] is False


def test_final_without_range_is_kept_in_instrument_units() -> None:
    out = normalise_arm_value(arm_row("final", mean=55.0, sd=20.0), NORANGE, PAIN)
    assert (out["mean"], out["sd"], out["rescaled"], out["steps"]) == (55.0, 20.0, False, [])


# --- arm-level values: change scores -------------------------------------------------------------


def test_change_decrease_positive_is_signed_follow_up_minus_baseline() -> None:
    # "decreased by 28.7 mm (SD 30.3)", CI 20-37 for the decrease: follow-up minus baseline is
    # -28.7 (CI -37 to -20), on 0-10: -2.87 (-3.7 to -2.0), SD 3.03.
    row = arm_row("change", change_sign="decrease_positive", mean=28.7, sd=30.3, ci_lb=20.0, ci_ub=37.0)
    out = normalise_arm_value(row, VAS100, PAIN)
    assert out["mean"] == pytest.approx(-2.87)
    assert out["sd"] == pytest.approx(3.03)
    assert (out["ci_lb"], out["ci_ub"]) == (pytest.approx(-3.7), pytest.approx(-2.0))
    assert any("sign reversed" in s for s in out["steps"])


def test_change_decrease_negative_is_kept() -> None:
    row = arm_row("change", change_sign="decrease_negative", mean=-28.7, sd=30.3, ci_lb=-37.0, ci_ub=-20.0)
    out = normalise_arm_value(row, VAS100, PAIN)
    assert out["mean"] == pytest.approx(-2.87)
    assert (out["ci_lb"], out["ci_ub"]) == (pytest.approx(-3.7), pytest.approx(-2.0))
    assert not any("sign reversed" in s for s in out["steps"])


def test_change_on_rmdq_is_rescaled_without_offset() -> None:
    row = arm_row("change", change_sign="decrease_negative", mean=-3.0, sd=4.8)
    out = normalise_arm_value(row, RMDQ, DISABILITY)
    assert out["mean"] == pytest.approx(-12.5)  # -3 x 100/24
    assert out["sd"] == pytest.approx(20.0)


def test_change_higher_is_better_is_reflected() -> None:
    # HFAQ improved by 10 points (written +10, decreases negative): follow-up minus baseline
    # +10 on a higher-is-better scale is -10 on the lower-is-better common scale.
    out = normalise_arm_value(arm_row("change", change_sign="decrease_negative", mean=10.0, sd=8.0,
                                      ci_lb=6.0, ci_ub=14.0), HFAQ, DISABILITY)
    assert out["mean"] == pytest.approx(-10.0)
    assert (out["ci_lb"], out["ci_ub"]) == (pytest.approx(-14.0), pytest.approx(-6.0))
    # Relief 1-5 fell by 0.4 (written 0.4, decreases positive): follow-up minus baseline -0.4,
    # reflected +0.4 (worse), times 2.5 = +1.0 on pain 0-10.
    out = normalise_arm_value(arm_row("change", change_sign="decrease_positive", mean=0.4, sd=0.2), LIKERT, PAIN)
    assert out["mean"] == pytest.approx(1.0)
    assert out["sd"] == pytest.approx(0.5)
    assert sum("reflected" in s for s in out["steps"]) == 1


def test_percent_change_is_signed_but_never_rescaled() -> None:
    out = normalise_arm_value(arm_row("percent_change", change_sign="decrease_positive", mean=30.0, sd=12.0),
                              VAS100, PAIN)
    assert (out["mean"], out["sd"], out["rescaled"]) == (-30.0, 12.0, False)


def test_within_group_change_is_normalised_like_a_change() -> None:
    out = normalise_arm_value(arm_row("within_group_change", change_sign="decrease_negative", mean=-38.0, sd=12.0),
                              VAS100, PAIN)
    assert out["mean"] == pytest.approx(-3.8)


# --- contrasts: every sign convention --------------------------------------------------------------


def oriented(measure: str, conv: str, est: float | None, lb: float | None = None, ub: float | None = None,
             instrument: dict[str, Any] = VAS10, common: dict[str, Any] | None = PAIN, **kw: Any) -> dict[str, Any]:
    return orient_contrast(contrast_row(measure, conv, est, lb, ub, **kw), instrument, common)


def triple(out: dict[str, Any]) -> tuple[Any, Any, Any]:
    return out["estimate"], out["ci_lb"], out["ci_ub"]


def test_arm1_minus_arm2() -> None:
    assert triple(oriented("MD", "arm1_minus_arm2", -1.0, -1.5, -0.5)) == (-1.0, -1.5, -0.5)
    # higher is better on the instrument: arm1 higher by 10 favours arm1, so -10
    assert triple(oriented("MD", "arm1_minus_arm2", 10.0, 5.0, 15.0, HFAQ, DISABILITY)) == (-10.0, -15.0, -5.0)


def test_arm2_minus_arm1() -> None:
    out = oriented("MD", "arm2_minus_arm1", 1.0, 0.5, 1.5)
    assert triple(out) == (-1.0, -1.5, -0.5)
    assert any("arm2 minus arm1" in s for s in out["steps"])
    # arm2 - arm1 = -10 on a higher-is-better scale: arm1 is 10 higher (better), so -10
    assert triple(oriented("MD", "arm2_minus_arm1", -10.0, -15.0, -5.0, HFAQ, DISABILITY)) == (-10.0, -15.0, -5.0)


def test_positive_favours_arm1_and_arm2() -> None:
    # Statements about which arm a positive value favours hold whatever the instrument's direction.
    for inst in (VAS10, HFAQ):
        assert triple(oriented("SMD", "positive_favours_arm1", 0.5, 0.2, 0.8, inst)) == (-0.5, -0.8, -0.2)
        assert triple(oriented("SMD", "positive_favours_arm2", 0.5, 0.2, 0.8, inst)) == (0.5, 0.2, 0.8)
    assert triple(oriented("cohen_d", "positive_favours_arm1", 0.92)) == (-0.92, None, None)


def test_favours_arm_without_subtraction_sets_the_sign() -> None:
    assert triple(oriented("MD", "favours_arm1", 2.3, 1.9, 2.8)) == (-2.3, -2.8, -1.9)
    assert triple(oriented("MD", "favours_arm1", -2.3, -2.8, -1.9)) == (-2.3, -2.8, -1.9)
    assert triple(oriented("MD", "favours_arm2", -2.3, -2.8, -1.9)) == (2.3, 1.9, 2.8)
    assert triple(oriented("MD", "favours_arm2", 2.3, 1.9, 2.8)) == (2.3, 1.9, 2.8)
    # no reflection for a higher-is-better instrument: the favoured arm already fixes the sign
    assert triple(oriented("SMD", "favours_arm1", 0.4, None, None, HFAQ, DISABILITY)) == (-0.4, None, None)


@pytest.mark.parametrize("conv", ["no_difference", "unclear", "ratio_arm1_over_arm2"])
def test_difference_with_unknown_direction_is_not_used(conv: str) -> None:
    out = oriented("MD", conv, 1.2, 0.4, 2.0)
    assert triple(out) == (None, None, None)
    assert out["se"] is None
    assert any("direction unknown" in s for s in out["steps"])


def test_smd_is_scale_free_and_md_is_rescaled() -> None:
    smd = oriented("SMD", "arm1_minus_arm2", -0.5, -0.8, -0.2, VAS100)
    assert triple(smd) == (-0.5, -0.8, -0.2)
    assert smd["rescaled"] is False
    md = oriented("MD", "arm1_minus_arm2", -10.0, -15.0, -5.0, VAS100, se=2.5)
    assert triple(md) == (pytest.approx(-1.0), pytest.approx(-1.5), pytest.approx(-0.5))
    # the SE moves with the estimate: otherwise vi would stay in (instrument units)^2
    assert md["se"] == pytest.approx(0.25)
    assert md["rescaled"] is True
    rmdq = oriented("MD", "arm2_minus_arm1", 2.4, None, None, RMDQ, DISABILITY)
    assert rmdq["estimate"] == pytest.approx(-10.0)  # -2.4 x 100/24


def test_md_without_range_is_not_rescaled() -> None:
    out = oriented("MD", "arm1_minus_arm2", -2.3, -2.8, -1.9, NORANGE, se=0.2)
    assert triple(out) == (-2.3, -2.8, -1.9)
    assert out["rescaled"] is False
    assert out["se"] == 0.2


def test_ratios_on_log_scale() -> None:
    out = oriented("RR", "ratio_arm1_over_arm2", 0.5, 0.25, 1.0)
    assert out["estimate"] == pytest.approx(-math.log(2))
    assert out["ci_lb"] == pytest.approx(-math.log(4))
    assert out["ci_ub"] == pytest.approx(0.0, abs=1e-15)
    assert out["steps"] == ["RR taken on the log scale"]
    out = oriented("OR", "ratio_arm1_over_arm2", 2.0)
    assert (out["estimate"], out["ci_lb"], out["ci_ub"]) == (pytest.approx(math.log(2)), None, None)


def test_ratio_with_an_interval_only_keeps_its_blank_estimate() -> None:
    # The schema allows a blank estimate (only p_only needs one blank): an RR row that gives
    # its interval alone is carried like an MD one, not failed on the logarithm of nothing.
    out = oriented("RR", "ratio_arm1_over_arm2", None, 0.25, 1.0)
    assert out["estimate"] is None
    assert out["ci_lb"] == pytest.approx(-math.log(4))
    assert out["ci_ub"] == pytest.approx(0.0, abs=1e-15)


def test_risk_difference_is_not_reflected() -> None:
    # RD is a difference of event proportions, whichever way the instrument scores
    assert triple(oriented("RD", "arm1_minus_arm2", 0.2, 0.1, 0.3, HFAQ, DISABILITY)) == (0.2, 0.1, 0.3)
    assert triple(oriented("RD", "arm2_minus_arm1", 0.2, 0.1, 0.3, HFAQ, DISABILITY)) == (-0.2, -0.3, -0.1)


@pytest.mark.parametrize(("conv", "favours"), [
    ("favours_arm1", "arm1"), ("favours_arm2", "arm2"), ("positive_favours_arm1", "arm1"),
    ("positive_favours_arm2", "arm2"), ("no_difference", "neither"), ("unclear", "unclear"),
    ("arm1_minus_arm2", "unclear"),
])
def test_p_only(conv: str, favours: str) -> None:
    out = oriented("p_only", conv, None, p_value=0.03)
    assert out["favours"] == favours
    assert triple(out) == (None, None, None)


# --- a whole study -------------------------------------------------------------------------------------

NODES = {"acupuncture": {"label": "Acupuncture", "treatments": ["acupuncture", "electroacupuncture"]},
         "sham": {"label": "Sham", "treatments": ["sham_acupuncture"]}}
WINDOWS = {"short": {"label": "Short", "min_weeks": 1, "max_weeks": 12, "target_weeks": 6},
           "long": {"label": "Long", "min_weeks": 10, "max_weeks": 52, "target_weeks": 26}}
OUTCOMES = {"pain": PAIN, "disability": DISABILITY}


def bundle() -> dict[str, Any]:
    return {
        "study": {"study_id": "S1", "label": "Study 1", "design": "rct", "source_level": "primary",
                  "identity_confidence": "high", "evidence_level": "Level A"},
        "treatments": [
            {"treatment": "electroacupuncture", "label": "Electroacupuncture", "role": "active"},
            {"treatment": "sham_acupuncture", "label": "Sham", "role": "sham"},
            {"treatment": "unnamed_control", "label": "Control", "role": "unnamed"},
            {"treatment": "massage", "label": "Massage", "role": "active"},
        ],
        "instruments": [VAS100, RMDQ],
        "arms": [
            {"arm_id": "ea", "treatment": "electroacupuncture", "n_randomised": 40, "n_analysed": 38, "_ref": "arms.csv:S1#1"},
            {"arm_id": "sh", "treatment": "sham_acupuncture", "n_randomised": 41, "_ref": "arms.csv:S1#2"},
            {"arm_id": "ctl", "treatment": "unnamed_control", "_ref": "arms.csv:S1#3"},
            {"arm_id": "ms", "treatment": "massage", "cointervention": "exercise", "_ref": "arms.csv:S1#4"},
        ],
        "arm_outcomes": [
            {"arm_id": "ea", "outcome": "pain", "instrument": "VAS_0_100", "timepoint_weeks": 12.0, "value_type": "final",
             "mean": 30.0, "sd": 20.0, "_ref": "arm_outcomes.csv:S1#1"},
            {"arm_id": "sh", "outcome": "pain", "instrument": "VAS_0_100", "timepoint_weeks": 12.0, "value_type": "final",
             "n": 39, "mean": 40.0, "sd": 22.0, "_ref": "arm_outcomes.csv:S1#2"},
            {"arm_id": "ctl", "outcome": "disability", "instrument": "RMDQ_0_24", "value_type": "final",
             "mean": 12.0, "sd": 6.0, "_ref": "arm_outcomes.csv:S1#3"},
        ],
        "contrasts": [
            {"arm1": "sh", "arm2": "ea", "outcome": "pain", "instrument": "VAS_0_100", "timepoint_weeks": 6.0,
             "measure": "MD", "estimate": 10.0, "ci_lb": 4.0, "ci_ub": 16.0, "sign_convention": "arm1_minus_arm2",
             "n_total": 80, "_ref": "contrasts.csv:S1#1"},
        ],
        "statements": [
            {"arm1": "ea", "outcome": "pain", "statement": "Better.", "quote": "q", "confidence": "high",
             "_ref": "statements.csv:S1#1"},
        ],
    }


def test_normalise_study_arms_nodes_and_sizes() -> None:
    doc = normalise_study(bundle(), nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS)
    assert doc["study"]["role"] == "trial"
    arms = {a["arm_id"]: a for a in doc["arms"]}
    assert arms["ea"]["node"] == "acupuncture"
    assert arms["sh"]["node"] == "sham"
    assert arms["ctl"]["node"] == UNNAMED  # never grouped, whatever the config
    assert arms["ms"]["node"] is None  # not in any node
    assert (arms["ea"]["n"], arms["ea"]["n_source"]) == (38, "n_analysed")
    assert (arms["sh"]["n"], arms["sh"]["n_source"]) == (41, "n_randomised")
    assert (arms["ctl"]["n"], arms["ctl"]["n_source"]) == (None, None)
    assert arms["ea"]["treatment_label"] == "Electroacupuncture"


def test_normalise_study_values_windows_and_sources_of_n() -> None:
    doc = normalise_study(bundle(), nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS)
    ea, sh, ctl = doc["arm_values"]
    # 12 weeks is in both windows; the value records its distance to each target
    assert ea["windows"] == {"short": 6.0, "long": 14.0}
    assert ctl["windows"] == {}  # timepoint not reported: in no window
    assert (ea["mean"], ea["sd"]) == (pytest.approx(3.0), pytest.approx(2.0))
    assert ea["n"] == 38 and ea["n_from_arm"] is True
    assert "n = 38 taken from arms.csv:S1#1, column n_analysed" in ea["steps"]
    assert sh["n"] == 39 and sh["n_from_arm"] is False
    # The cell each size is read from, for the audit trail's sums of arm sizes: the arm's
    # row in arms.csv for one whose own row gives none, else its own row's n.
    assert ea["n_cell"] == ["arms.csv:S1#1", "n_analysed"]
    assert sh["n_cell"] == [sh["ref"], "n"]
    assert ea["raw"] == {"mean": 30.0, "sd": 20.0}
    assert ea["ci_level"] == 95.0
    assert ctl["mean"] == pytest.approx(50.0) and ctl["node"] == UNNAMED
    assert ctl["n"] is None


def test_normalise_study_contrasts_and_statements() -> None:
    doc = normalise_study(bundle(), nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS)
    (c,) = doc["contrasts"]
    assert (c["node1"], c["node2"]) == ("sham", "acupuncture")
    assert c["value_type"] == "unknown" and c["ci_level"] == 95.0 and c["p_qualifier"] == "="
    assert (c["estimate"], c["ci_lb"], c["ci_ub"]) == (pytest.approx(1.0), pytest.approx(0.4), pytest.approx(1.6))
    # No level in the row: the variance is derived at 95%, but the level reported stays None.
    assert c["reported"] == {"estimate": 10.0, "ci_lb": 4.0, "ci_ub": 16.0, "ci_level": None,
                             "sign_convention": "arm1_minus_arm2"}
    assert c["windows"] == {"short": 0.0}
    (s,) = doc["statements"]
    assert s["node1"] == "acupuncture" and s["node2"] is None
    assert s["evidence_level"] == "Level A"  # from the study when the row gives none


@pytest.mark.parametrize(("cell", "used", "stated"), [(None, 95.0, None), (95.0, 95.0, 95.0), (90.0, 90.0, 90.0)])
def test_normalise_study_keeps_the_stated_level_apart_from_the_one_used(cell: float | None, used: float,
                                                                          stated: float | None) -> None:
    b = bundle()
    b["contrasts"][0]["ci_level"] = cell
    (c,) = normalise_study(b, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS)["contrasts"]
    assert c["ci_level"] == used
    assert c["reported"]["ci_level"] == stated


def test_normalise_study_is_pure() -> None:
    b = bundle()
    before = repr(b)
    first = normalise_study(b, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS)
    assert repr(b) == before
    assert normalise_study(b, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS) == first


def test_a_comparator_given_the_cointervention_alone_makes_an_add_on_design() -> None:
    from metareview.normalise import is_cointervention

    assert is_cointervention("exercise", "exercise") and is_cointervention("usual_care", "usual_care")
    # Dry needling combined with other therapies against other treatments (mixed).
    assert is_cointervention("other_treatments", "other") and is_cointervention("other", "other")
    assert not is_cointervention("exercise", "physiotherapy")
    assert not is_cointervention("other_treatments", None) and not is_cointervention("none", "none")


@pytest.mark.parametrize(("level", "n1", "n2", "q", "df"), [
    (95, 24, 23, 2.01410338888085, 45),      # R: qt(0.975, 45)
    (90, 30, 30, 1.67155276245486, 58),      # R: qt(0.95, 58)
    (95, 99, 99, 1.97214122166204, 196),     # R: qt(0.975, 196): both under 100
    (95, 100, 20, 1.95996398454005, None),   # R: qnorm(0.975): one group of 100
    (95, None, 30, 1.95996398454005, None),  # a group's size unknown
])
def test_md_ci_quantile_is_t_for_small_groups_and_z_otherwise(level: float, n1: float | None, n2: float | None,
                                                              q: float, df: float | None) -> None:
    # Cochrane Handbook 6.5.2.3: a small trial's interval of a difference is MD -/+ t SE,
    # t with n1 + n2 - 2 df.
    got_q, got_df = md_ci_quantile(level, n1, n2)
    assert got_q == pytest.approx(q, rel=1e-12)
    assert got_df == df


# --- outcomes in natural units -------------------------------------------------------------------

STAY = {"label": "Days in hospital", "unit": "days"}
# A bound, 0 to 365, kept as the instruments table allows: in a unit it places nothing.
DAYS = {"instrument": "days", "label": "Days in hospital", "outcome": "stay", "scale_min": 0, "scale_max": 365,
        "unit": "days", "lower_is_better": True}
WEEKS = {**DAYS, "instrument": "weeks", "label": "Weeks in hospital", "scale_min": None, "scale_max": None,
         "unit": "weeks"}
DAYS_AT_HOME = {**DAYS, "instrument": "home", "label": "Days at home", "lower_is_better": False}


def test_values_in_the_outcome_s_unit_enter_as_they_are() -> None:
    assert rescale_factor(DAYS, STAY) == 1.0
    out = normalise_arm_value(arm_row("final", mean=12.5, sd=4.0, ci_lb=11.0, ci_ub=14.0), DAYS, STAY)
    # Not moved onto a range: 12.5 days stay 12.5 days, with no rescaling step.
    assert (out["mean"], out["sd"], out["ci_lb"], out["ci_ub"]) == (12.5, 4.0, 11.0, 14.0)
    assert out["rescaled"] is True and out["steps"] == [] and "unit_problem" not in out
    md = oriented("MD", "arm2_minus_arm1", 1.2, 0.4, 2.0, DAYS, STAY, se=0.4)
    assert triple(md) == (-1.2, -2.0, -0.4) and md["se"] == 0.4 and md["rescaled"] is True
    assert "rescale_step" not in md


def test_higher_is_better_in_a_unit_is_reflected_by_sign_alone() -> None:
    out = normalise_arm_value(arm_row("final", mean=300.0, sd=20.0, ci_lb=290.0, ci_ub=310.0), DAYS_AT_HOME, STAY)
    # Reflected onto the range 0 to 365 it would be 65; in a unit, -300.
    assert (out["mean"], out["ci_lb"], out["ci_ub"], out["sd"]) == (-300.0, -310.0, -290.0, 20.0)


@pytest.mark.parametrize(("instrument", "common", "why"), [
    (WEEKS, STAY, "instrument in weeks, the outcome in days: units are not converted, so no MD"),
    (VAS10, STAY, "instrument on a rating scale, the outcome in days: a scale is not converted to a unit, so no MD"),
    (DAYS, PAIN, ("instrument in days, the outcome on a rating scale: values in a unit are not rescaled, so no MD "
                  "on the common scale")),
])
def test_no_rescaling_between_a_unit_and_anything_else(instrument: dict[str, Any], common: dict[str, Any],
                                                       why: str) -> None:
    # Both with ranges where the table gives them (days 0 to 365, VAS 0 to 10): still none.
    assert rescale_factor(instrument, common) is None
    assert unit_problem(instrument, common) == why
    out = normalise_arm_value(arm_row("final", mean=5.0, sd=2.0), instrument, common)
    assert out["rescaled"] is False and out["unit_problem"] == why and out["mean"] == 5.0
    md = oriented("MD", "arm1_minus_arm2", -1.0, -1.5, -0.5, instrument, common)
    assert md["rescaled"] is False and md["unit_problem"] == why
    # An SMD needs no common scale.
    assert oriented("SMD", "arm1_minus_arm2", -0.5, None, None, instrument, common)["estimate"] == -0.5


def test_scales_keep_their_rescaling_and_say_nothing_of_units() -> None:
    assert unit_problem(VAS100, PAIN) is None and unit_problem(DAYS, STAY) is None
    assert "unit_problem" not in normalise_arm_value(arm_row("final", mean=45.0, sd=20.0), VAS100, PAIN)


def test_window_gap_names_the_two_windows_a_timepoint_falls_between() -> None:
    windows = {"short": {"min_weeks": 1, "max_weeks": 12, "target_weeks": 6},
               "long": {"min_weeks": 39, "max_weeks": 52, "target_weeks": 52},
               "medium": {"min_weeks": 13, "max_weeks": 26, "target_weeks": 26}}

    def names(weeks: float | None) -> list[str] | None:
        gap = window_gap(weeks, windows)
        return None if gap is None else [w["window"] for w in gap]

    # Day 88 is 88 / 7 = 12.571 weeks: after week 12, before week 13, in neither window.
    assert window_gap(88 / 7, windows) == [{"window": "short", "min_weeks": 1.0, "max_weeks": 12.0},
                                           {"window": "medium", "min_weeks": 13.0, "max_weeks": 26.0}]
    # The nearest windows on either side, whatever the config's order.
    assert names(30.0) == ["medium", "long"]
    # Both bounds are in their windows; before the first window, after the last and in
    # words only is no gap between two.
    assert [names(w) for w in (12.0, 13.0, 26.0, 39.0)] == [None] * 4
    assert [names(w) for w in (0.5, 60.0, None)] == [None] * 3


def test_a_row_between_two_windows_says_which() -> None:
    # As a study's job has them, without labels (plan.study_sections).
    windows = {"short": {"min_weeks": 1, "max_weeks": 12, "target_weeks": 6},
               "medium": {"min_weeks": 13, "max_weeks": 26, "target_weeks": 26}}
    bundle = {
        "study": {"study_id": "S", "label": "Study S", "design": "rct", "source_level": "primary",
                  "identity_confidence": "high"},
        "treatments": [{"treatment": "acupuncture", "label": "Acupuncture", "role": "active"},
                       {"treatment": "sham_acupuncture", "label": "Sham", "role": "sham"}],
        "instruments": [{**VAS100, "instrument": "VAS"}],
        "arms": [{"arm_id": "a", "treatment": "acupuncture", "n_randomised": 20, "_ref": "arms.csv:S#1"},
                 {"arm_id": "s", "treatment": "sham_acupuncture", "n_randomised": 20, "_ref": "arms.csv:S#2"}],
        "arm_outcomes": [{"arm_id": "a", "outcome": "pain", "instrument": "VAS", "timepoint_weeks": weeks,
                          "value_type": "final", "n": 20, "mean": 30.0, "sd": 10.0, "_ref": f"arm_outcomes.csv:S#{i}"}
                         for i, weeks in enumerate((12.6, 8.0, 30.0), start=1)],
        "contrasts": [], "statements": [],
    }
    nodes = {"acupuncture": {"label": "Acupuncture", "treatments": ["acupuncture"]},
             "sham": {"label": "Sham", "treatments": ["sham_acupuncture"]}}
    doc = normalise_study(bundle, nodes=nodes, outcomes={"pain": PAIN}, windows=windows)
    gap, inside, late = doc["arm_values"]
    assert [w["window"] for w in gap["between"]] == ["short", "medium"] and gap["windows"] == {}
    # In a window, or after the last, a row has no such field: the normalised data of the
    # example, whose rows are all one or the other, are as they were.
    assert "between" not in inside and "between" not in late
