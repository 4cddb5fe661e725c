"""Missing SDs: derived from a CI of the mean always; imputed from a p-value only when asked."""

from __future__ import annotations

import math
from typing import Any

from scipy import stats

from metareview.effects import escalc
from metareview.extract import study_effects
from metareview.normalise import normalise_study

NODES = {"acupuncture": {"label": "Acupuncture", "treatments": ["acupuncture"]},
         "sham": {"label": "Sham", "treatments": ["sham_acupuncture"]}}
OUTCOMES = {"pain": {"label": "Pain", "scale_min": 0, "scale_max": 10}}
WINDOWS = {"short": {"label": "Short", "min_weeks": 1, "max_weeks": 12, "target_weeks": 6}}
ANALYSIS = {"id": "a", "intervention": "acupuncture", "comparator": "sham", "outcome": "pain",
            "window": "short", "measure": "SMD"}


def bundle(values: list[dict[str, Any]], contrasts: list[dict[str, Any]] = ()) -> dict[str, Any]:
    base = {"outcome": "pain", "instrument": "NRS_0_10", "timepoint_weeks": 6.0, "value_type": "final"}
    return {
        "study": {"study_id": "S", "label": "S", "design": "rct", "source_level": "primary",
                  "identity_confidence": "high"},
        "treatments": [{"treatment": "acupuncture", "label": "Acupuncture", "role": "active"},
                       {"treatment": "sham_acupuncture", "label": "Sham", "role": "sham"}],
        "instruments": [{"instrument": "NRS_0_10", "label": "NRS", "outcome": "pain", "scale_min": 0,
                         "scale_max": 10, "lower_is_better": True}],
        "arms": [{"arm_id": "i", "treatment": "acupuncture", "_ref": "arms.csv:S#1"},
                 {"arm_id": "c", "treatment": "sham_acupuncture", "_ref": "arms.csv:S#2"}],
        "arm_outcomes": [{**base, **v, "_ref": f"arm_outcomes.csv:S#{k}"} for k, v in enumerate(values, 1)],
        "contrasts": [{"outcome": "pain", "instrument": "NRS_0_10", "timepoint_weeks": 6.0,
                       "sign_convention": "arm1_minus_arm2", **c, "_ref": f"contrasts.csv:S#{k}"}
                      for k, c in enumerate(contrasts, 1)],
        "statements": [],
    }


def run(b: dict[str, Any], impute: bool) -> dict[str, Any]:
    doc = normalise_study(b, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS)
    return study_effects(doc, [ANALYSIS], windows=WINDOWS, impute_missing_sd=impute)


def test_sd_from_a_ci_of_the_mean_uses_the_t_quantile_below_n_100():
    b = bundle([{"arm_id": "i", "n": 30, "mean": 3.0, "ci_lb": 2.0, "ci_ub": 4.0},
                {"arm_id": "c", "n": 30, "mean": 4.0, "sd": 2.0}])
    out = run(b, impute=False)
    opt = out["analyses"]["a"]["options"]["final"]
    sd_i = math.sqrt(30) * 2.0 / (2 * stats.t.ppf(0.975, 29))
    expected = escalc("SMD", m1i=[3.0], sd1i=[sd_i], n1i=[30], m2i=[4.0], sd2i=[2.0], n2i=[30])
    assert math.isclose(opt["yi"], float(expected.yi[0]), rel_tol=1e-12)
    assert math.isclose(opt["vi"], float(expected.vi[0]), rel_tol=1e-12)
    assert any("SD from 95% CI of a mean" in s for s in opt["steps"])
    # The step gives the formula with its quantile, R's qt(0.975, 29) = 2.045230, so that
    # the SD can be checked by hand: sqrt(30) x 2 / (2 x 2.045230) = 2.678.
    assert ("arm_outcomes.csv:S#1: SD from 95% CI of a mean, t quantile (n-1 df) for n < 100, normal quantile "
            "otherwise (Cochrane Handbook 6.5.2.2), n = 30: SD = sqrt(n) x (upper - lower)/(2 x 2.045230) = 2.678"
            ) in opt["steps"]
    assert not any("imputed" in f for f in opt["flags"])


def test_missing_sd_is_excluded_when_imputation_is_off():
    b = bundle([{"arm_id": "i", "n": 40, "mean": 3.0}, {"arm_id": "c", "n": 40, "mean": 4.0}],
               [{"arm1": "i", "arm2": "c", "measure": "p_only", "p_value": 0.02, "p_qualifier": "=",
                 "sign_convention": "favours_arm1"}])
    out = run(b, impute=False)
    assert out["analyses"]["a"]["options"] == {}
    reasons = {n["reason"] for notes in out["rows"].values() for n in notes}
    assert "no SD reported, and the review does not impute missing SDs" in reasons


def test_missing_sd_imputed_from_an_exact_p_value_when_asked():
    b = bundle([{"arm_id": "i", "n": 40, "mean": 3.0}, {"arm_id": "c", "n": 40, "mean": 4.0}],
               [{"arm1": "i", "arm2": "c", "measure": "p_only", "p_value": 0.02, "p_qualifier": "=",
                 "sign_convention": "favours_arm1"}])
    out = run(b, impute=True)
    opt = out["analyses"]["a"]["options"]["final"]
    t = stats.t.ppf(1 - 0.02 / 2, 78)
    sd = abs(3.0 - 4.0) / t / math.sqrt(1 / 40 + 1 / 40)
    expected = escalc("SMD", m1i=[3.0], sd1i=[sd], n1i=[40], m2i=[4.0], sd2i=[sd], n2i=[40])
    assert math.isclose(opt["yi"], float(expected.yi[0]), rel_tol=1e-10)
    assert "SD imputed from a p-value" in opt["flags"]
    assert any("p = 0.02" in s for s in opt["steps"])


def test_a_p_value_bound_gives_no_sd():
    b = bundle([{"arm_id": "i", "n": 40, "mean": 3.0}, {"arm_id": "c", "n": 40, "mean": 4.0}],
               [{"arm1": "i", "arm2": "c", "measure": "p_only", "p_value": 0.001, "p_qualifier": "<",
                 "sign_convention": "favours_arm1"}])
    out = run(b, impute=True)
    assert out["analyses"]["a"]["options"] == {}
    reasons = {n["reason"] for notes in out["rows"].values() for n in notes}
    assert "SD missing, and no exact p-value to impute it from" in reasons


# A mean difference reported with only its exact p-value (a form trials often use: "MD
# -0.8 points, p = 0.012"): its SE is |MD| / t, t the 1 - p/2 quantile of t(n1 + n2 - 2)
# (Cochrane Handbook 6.5.2.3), an imputation like the SD above.
MD_ANALYSIS = {**ANALYSIS, "measure": "MD"}


def _md_with_p(p: float, qualifier: str = "=", **sizes: float) -> dict[str, Any]:
    contrast = {"arm1": "i", "arm2": "c", "measure": "MD", "estimate": -0.8, "p_value": p, "p_qualifier": qualifier,
                "value_type": "final", **({"n1": 60, "n2": 60} if not sizes else sizes)}
    doc = normalise_study(bundle([], [contrast]), nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS)
    return doc


def _reasons(out: dict[str, Any]) -> set[str]:
    return {n["reason"] for notes in out["rows"].values() for n in notes}


def test_a_mean_difference_with_only_its_p_value_takes_its_se_from_it_when_asked():
    out = study_effects(_md_with_p(0.012), [MD_ANALYSIS], windows=WINDOWS, impute_missing_sd=True)
    opt = out["analyses"]["a"]["options"]["final"]
    # R: qt(1 - 0.012/2, 118) = 2.551631342; (0.8 / 2.551631342)^2 = 0.09829787243
    assert math.isclose(opt["yi"], -0.8, rel_tol=1e-12)
    assert math.isclose(opt["vi"], 0.09829787243, rel_tol=1e-9)
    assert math.isclose(opt["vi"], (0.8 / stats.t.ppf(1 - 0.012 / 2, 118)) ** 2, rel_tol=1e-12)
    assert "SE imputed from a p-value" in opt["flags"]
    assert any("p = 0.012" in s and "118 df" in s for s in opt["steps"])


def test_a_mean_difference_with_only_its_p_value_says_imputation_is_off():
    out = study_effects(_md_with_p(0.012), [MD_ANALYSIS], windows=WINDOWS, impute_missing_sd=False)
    assert out["analyses"]["a"]["options"] == {}
    assert _reasons(out) == {("mean difference without CI or SE: variance unknown, and the review does not impute an "
                              "SE from an exact p-value")}


def test_a_mean_difference_with_a_p_value_bound_or_no_arm_sizes_gets_no_se():
    bound = study_effects(_md_with_p(0.05, "<"), [MD_ANALYSIS], windows=WINDOWS, impute_missing_sd=True)
    assert bound["analyses"]["a"]["options"] == {}
    assert any("p < 0.05 is a bound" in r for r in _reasons(bound))
    no_n = study_effects(_md_with_p(0.012, n_total=120), [MD_ANALYSIS], windows=WINDOWS, impute_missing_sd=True,
                         assume_equal_arms_from_total=False)
    assert no_n["analyses"]["a"]["options"] == {}
    assert any("needs both arm sizes" in r for r in _reasons(no_n))
