"""An SMD re-expressed in a familiar instrument's points (metareview.reexpress), from the
comparator arms' SDs the study effects record (metareview.extract) to the number the
analysis stores (metareview.analysis). Expected values are worked by hand here."""

from __future__ import annotations

import math
from typing import Any

import pytest
from scipy import stats

from metareview.analysis import pool_analysis
from metareview.extract import study_effects
from metareview.normalise import normalise_study
from metareview.reexpress import comparator_sd, pooled_sd, re_express, re_expressed

# --- pooled SD and the multiplication --------------------------------------------------------------


def test_pooled_sd_weights_each_variance_by_its_degrees_of_freedom() -> None:
    # (10 x 3^2 + 20 x 4^2 + 30 x 5^2) / (10 + 20 + 30) = (90 + 320 + 750) / 60 = 1160 / 60.
    assert pooled_sd([11, 21, 31], [3.0, 4.0, 5.0]) == pytest.approx(math.sqrt(1160 / 60), rel=1e-15)
    # Not the plain mean of the SDs (4.0), nor of the variances (sqrt(50 / 3) = 4.08).
    assert pooled_sd([11, 21, 31], [3.0, 4.0, 5.0]) == pytest.approx(4.3970, abs=1e-4)
    # One group: its own SD; two groups alike in size: the root mean square of the two.
    assert pooled_sd([162], [4.9]) == pytest.approx(4.9, rel=1e-15)
    assert pooled_sd([50, 50], [6.0, 8.0]) == pytest.approx(math.sqrt((36 + 64) / 2), rel=1e-15)


def test_pooled_sd_refuses_what_has_no_degrees_of_freedom() -> None:
    with pytest.raises(ValueError, match="degrees of freedom"):
        pooled_sd([1, 1], [2.0, 3.0])
    with pytest.raises(ValueError, match="at least one group"):
        pooled_sd([], [])
    with pytest.raises(ValueError, match="one SD for each"):
        pooled_sd([10, 20], [2.0])
    with pytest.raises(ValueError, match="negative"):
        pooled_sd([10], [-2.0])


def test_re_express_multiplies_the_smd_and_both_bounds_keeping_the_sign() -> None:
    # SMD -0.44 (-0.67 to -0.22) at an SD of 6.0: -2.64 (-4.02 to -1.32) points.
    est, lb, ub = re_express(-0.44, -0.67, -0.22, 6.0)
    assert (est, lb, ub) == pytest.approx((-2.64, -4.02, -1.32), abs=1e-12)
    assert re_express(0.15, -1.18, 1.48, 0.0) == (0.0, -0.0, 0.0)
    with pytest.raises(ValueError, match="cannot re-express"):
        re_express(0.1, 0.0, 0.2, float("nan"))


def _known(study_id: str, instrument: str, *arms: tuple[str, float, float], label: str = "") -> dict[str, Any]:
    return {"study_id": study_id, "instrument": instrument,
            "comparator_sd": {"instrument_label": label or instrument,
                              "arms": [{"ref": f"arm_outcomes.csv:{study_id}#{i}", "arm_id": a, "n": n, "sd": sd,
                                        "from": "sd"} for i, (a, n, sd) in enumerate(arms, 1)]}}


def test_each_instrument_takes_the_comparator_arms_of_its_own_trials() -> None:
    studies = [
        _known("A", "RMDQ_0_24", ("c", 41.0, 4.0), label="RMDQ 0-24"),
        # Two comparator arms of one trial count as two groups of the pooled SD.
        _known("B", "RMDQ_0_24", ("c1", 21.0, 5.0), ("c2", 21.0, 3.0), label="RMDQ 0-24"),
        _known("C", "ODI_0_100", ("c", 30.0, 15.0), label="ODI 0-100"),
        # From a t statistic or a reported SMD: no comparator SD, nothing to add.
        {"study_id": "D", "instrument": "RMDQ_0_24"},
        {"study_id": "E", "instrument": "PDI_0_70"},
    ]
    out = re_expressed(studies, -0.5, -0.8, -0.2)
    assert [x["instrument"] for x in out] == ["RMDQ_0_24", "ODI_0_100"]
    rmdq, odi = out
    # (40 x 16 + 20 x 25 + 20 x 9) / (40 + 20 + 20) = (640 + 500 + 180) / 80 = 16.5.
    sd = math.sqrt(16.5)
    assert rmdq["sd"] == pytest.approx(sd, rel=1e-15)
    assert (rmdq["estimate"], rmdq["ci_lb"], rmdq["ci_ub"]) == pytest.approx((-0.5 * sd, -0.8 * sd, -0.2 * sd))
    assert rmdq["studies"] == ["A", "B"] and rmdq["instrument_label"] == "RMDQ 0-24"
    assert [(a["study_id"], a["arm_id"], a["ref"]) for a in rmdq["arms"]] == [
        ("A", "c", "arm_outcomes.csv:A#1"), ("B", "c1", "arm_outcomes.csv:B#1"), ("B", "c2", "arm_outcomes.csv:B#2")]
    assert odi["sd"] == 15.0 and odi["estimate"] == pytest.approx(-7.5) and odi["studies"] == ["C"]


def test_an_instrument_without_a_known_comparator_sd_gets_nothing() -> None:
    assert re_expressed([{"study_id": "D", "instrument": "RMDQ_0_24"}], -0.5, -0.8, -0.2) == []
    # An arm of one has no degrees of freedom: its SD says nothing of the spread.
    assert re_expressed([_known("A", "X", ("c", 1.0, 4.0))], -0.5, -0.8, -0.2) == []
    assert re_expressed([], -0.5, -0.8, -0.2) == []


# --- from the raw rows: the SDs the study effect used, in the instrument's units ---------------------

NODES = {"acupuncture": {"label": "Acupuncture", "treatments": ["acupuncture"]},
         "sham": {"label": "Sham", "treatments": ["sham_acupuncture", "minimal_acupuncture"]}}
OUTCOMES = {"disability": {"label": "Disability", "scale_min": 0, "scale_max": 100}}
WINDOWS = {"short": {"label": "Short", "min_weeks": 1, "max_weeks": 12, "target_weeks": 6}}
SMD = {"id": "a", "intervention": "acupuncture", "comparator": "sham", "outcome": "disability", "window": "short",
       "measure": "SMD"}


def effects(values: list[dict[str, Any]], contrasts: list[dict[str, Any]] = (), sid: str = "S",
            instrument: str = "RMDQ_0_24", median_to_mean: Any = None) -> dict[str, Any]:
    base = {"outcome": "disability", "instrument": instrument, "timepoint_weeks": 6.0, "value_type": "final"}
    bundle = {
        "study": {"study_id": sid, "label": f"{sid} et al. (2020)", "design": "rct", "source_level": "primary",
                  "identity_confidence": "high"},
        "treatments": [{"treatment": "acupuncture", "label": "Acupuncture", "role": "active"},
                       {"treatment": "sham_acupuncture", "label": "Sham", "role": "sham"},
                       {"treatment": "minimal_acupuncture", "label": "Minimal", "role": "sham"}],
        # RMDQ on 0-24, rescaled x 100/24 onto the common 0-100; one of unknown range, kept
        # in its own units; one where higher is better, reflected.
        "instruments": [{"instrument": "RMDQ_0_24", "label": "RMDQ 0-24", "outcome": "disability", "scale_min": 0,
                         "scale_max": 24, "lower_is_better": True},
                        {"instrument": "RMDQ_x", "label": "RMDQ (range not stated)", "outcome": "disability",
                         "lower_is_better": True},
                        {"instrument": "HFAQ", "label": "HFAQ 0-100", "outcome": "disability", "scale_min": 0,
                         "scale_max": 100, "lower_is_better": False}],
        "arms": [{"arm_id": "i", "treatment": "acupuncture", "_ref": f"arms.csv:{sid}#1"},
                 {"arm_id": "c", "treatment": "sham_acupuncture", "_ref": f"arms.csv:{sid}#2"},
                 {"arm_id": "m", "treatment": "minimal_acupuncture", "_ref": f"arms.csv:{sid}#3"}],
        "arm_outcomes": [{**base, **v, "_ref": f"arm_outcomes.csv:{sid}#{k}"} for k, v in enumerate(values, 1)],
        "contrasts": [{"outcome": "disability", "instrument": instrument, "timepoint_weeks": 6.0,
                       "sign_convention": "arm1_minus_arm2", **c, "_ref": f"contrasts.csv:{sid}#{k}"}
                      for k, c in enumerate(contrasts, 1)],
        "statements": [],
    }
    doc = normalise_study(bundle, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS, median_to_mean=median_to_mean)
    return study_effects(doc, [SMD], windows=WINDOWS)


def known_sds(doc: dict[str, Any], value_type: str = "final") -> list[tuple[str, float, float, str]]:
    found = doc["analyses"]["a"]["options"][value_type].get("comparator_sd") or {"arms": []}
    return [(a["arm_id"], a["n"], a["sd"], a["from"]) for a in found["arms"]]


def test_a_rescaled_arms_sd_is_kept_in_the_instruments_own_points() -> None:
    # The SMD is computed on 0-100 (SD 5 x 100/24 = 20.83); the re-expression needs 5.
    doc = effects([{"arm_id": "i", "n": 40, "mean": 8.0, "sd": 4.5}, {"arm_id": "c", "n": 41, "mean": 9.0, "sd": 5.0}])
    assert known_sds(doc) == [("c", 41.0, 5.0, "sd")]
    found = doc["analyses"]["a"]["options"]["final"]["comparator_sd"]
    assert found["instrument_label"] == "RMDQ 0-24" and found["arms"][0]["ref"] == "arm_outcomes.csv:S#2"


def test_an_sd_derived_from_an_se_or_an_interval_is_put_back_in_the_instruments_units() -> None:
    # SE 0.8 of 25 participants: SD = 0.8 x sqrt(25) = 4.0 RMDQ points.
    doc = effects([{"arm_id": "i", "n": 25, "mean": 8.0, "sd": 4.5}, {"arm_id": "c", "n": 25, "mean": 9.0, "se": 0.8}])
    ((arm, n, sd, source),) = known_sds(doc)
    assert (arm, n, source) == ("c", 25.0, "se") and sd == pytest.approx(0.8 * 5, rel=1e-12)
    # 95% CI of the mean 7.0 to 11.0 in 30: SD = sqrt(30) x 4 / (2 x t(0.975, 29)).
    doc = effects([{"arm_id": "i", "n": 30, "mean": 8.0, "sd": 4.5},
                   {"arm_id": "c", "n": 30, "mean": 9.0, "ci_lb": 7.0, "ci_ub": 11.0}])
    ((_, _, sd, source),) = known_sds(doc)
    assert source == "ci" and sd == pytest.approx(math.sqrt(30) * 4.0 / (2 * stats.t.ppf(0.975, 29)), rel=1e-9)


def test_change_scores_and_an_instrument_of_unknown_range_give_their_own_sds() -> None:
    doc = effects([{"arm_id": "i", "n": 20, "mean": -3.0, "sd": 2.5, "value_type": "change"},
                   {"arm_id": "c", "n": 22, "mean": -1.0, "sd": 3.5, "value_type": "change"}], instrument="RMDQ_x")
    assert known_sds(doc, "change") == [("c", 22.0, 3.5, "sd")]
    # Higher is better: reflected onto the common scale, its SD unchanged in size.
    doc = effects([{"arm_id": "i", "n": 20, "mean": 70.0, "sd": 12.0},
                   {"arm_id": "c", "n": 22, "mean": 60.0, "sd": 14.0}], instrument="HFAQ")
    assert known_sds(doc) == [("c", 22.0, 14.0, "sd")]


def test_each_comparator_arm_of_a_combined_side_is_recorded_for_the_pooled_sd() -> None:
    doc = effects([{"arm_id": "i", "n": 40, "mean": 8.0, "sd": 4.5}, {"arm_id": "c", "n": 41, "mean": 9.0, "sd": 5.0},
                   {"arm_id": "m", "n": 21, "mean": 10.0, "sd": 3.0}])
    assert known_sds(doc) == [("c", 41.0, 5.0, "sd"), ("m", 21.0, 3.0, "sd")]


def test_an_effect_from_a_reported_smd_has_no_comparator_sd() -> None:
    doc = effects([], [{"arm1": "i", "arm2": "c", "measure": "SMD", "estimate": -0.4, "ci_lb": -0.8, "ci_ub": 0.0,
                        "ci_level": 95.0, "n1": 30, "n2": 30, "value_type": "final"}])
    assert doc["analyses"]["a"]["options"]["final"]["yi"] == pytest.approx(-0.4)
    assert known_sds(doc) == []


# --- in the analysis's results --------------------------------------------------------------------

METHODS = {"method": "REML", "test": "knha", "level": 95, "min_studies": 2}
LABELS = {"acupuncture": "Acupuncture", "sham": "Sham", "disability": "Disability", "short": "Short"}


def test_the_pooled_smd_is_stored_in_each_instruments_points() -> None:
    docs = [effects([{"arm_id": "i", "n": 40, "mean": 8.0, "sd": 4.5}, {"arm_id": "c", "n": 41, "mean": 9.5, "sd": 5.0}],
                    sid="A"),
            effects([{"arm_id": "i", "n": 30, "mean": 7.0, "sd": 4.0}, {"arm_id": "c", "n": 21, "mean": 8.0, "sd": 3.0}],
                    sid="B"),
            effects([{"arm_id": "i", "n": 25, "mean": 5.0, "sd": 2.0}, {"arm_id": "c", "n": 25, "mean": 6.0, "sd": 2.5}],
                    sid="C", instrument="RMDQ_x")]
    res = pool_analysis(SMD, docs, methods=METHODS, labels=LABELS)
    assert res["status"] == "pooled" and res["k"] == 3
    p = res["pooled"]
    rmdq, other = res["re_expressed"]
    # (40 x 25 + 20 x 9) / (40 + 20) = 1180 / 60 points², on the RMDQ of A and B.
    sd = math.sqrt(1180 / 60)
    assert (rmdq["instrument"], rmdq["studies"], rmdq["sd"]) == ("RMDQ_0_24", ["A", "B"], pytest.approx(sd))
    assert [rmdq["estimate"], rmdq["ci_lb"], rmdq["ci_ub"]] == pytest.approx(
        [p["estimate"] * sd, p["ci_lb"] * sd, p["ci_ub"] * sd], rel=1e-12)
    assert (other["instrument"], other["studies"], other["sd"]) == ("RMDQ_x", ["C"], 2.5)
    assert other["estimate"] == pytest.approx(p["estimate"] * 2.5, rel=1e-12)
    # Only fields added: the pooled numbers are those of the effects without any SD.
    bare = [{**d, "analyses": {"a": {**d["analyses"]["a"], "options": {
        vt: {k: v for k, v in o.items() if k != "comparator_sd"} for vt, o in d["analyses"]["a"]["options"].items()}}}}
        for d in docs]
    assert pool_analysis(SMD, bare, methods=METHODS, labels=LABELS)["pooled"]["estimate"] == p["estimate"]
    assert pool_analysis(SMD, bare, methods=METHODS, labels=LABELS)["re_expressed"] == []


def test_a_single_studys_smd_is_stored_in_points_and_a_mean_difference_has_none() -> None:
    doc = effects([{"arm_id": "i", "n": 40, "mean": 8.0, "sd": 4.5}, {"arm_id": "c", "n": 41, "mean": 9.5, "sd": 5.0}])
    res = pool_analysis(SMD, [doc], methods=METHODS, labels=LABELS)
    assert res["status"] == "single_study"
    s = res["studies"][0]
    (x,) = res["re_expressed"]
    assert [x["estimate"], x["ci_lb"], x["ci_ub"]] == pytest.approx([s["yi"] * 5.0, s["ci_lb"] * 5.0, s["ci_ub"] * 5.0])
    assert pool_analysis(SMD, [], methods=METHODS, labels=LABELS)["re_expressed"] == []
    md = {**SMD, "measure": "MD"}
    assert "re_expressed" not in pool_analysis(md, [effects(
        [{"arm_id": "i", "n": 40, "mean": 8.0, "sd": 4.5}, {"arm_id": "c", "n": 41, "mean": 9.5, "sd": 5.0}])],
        methods=METHODS, labels=LABELS)


# --- a mean-difference analysis's comparator SD, for published SMDs in its points ------------------

def _record(sid: str, *values: dict[str, Any]) -> dict[str, Any]:
    return {"study": {"study_id": sid}, "arms": [{"arm_id": "c", "treatment_label": "Minimal acupuncture"},
                                                 {"arm_id": "i", "treatment_label": "Acupuncture"}],
            "arm_values": list(values)}


def _value(sid: str, arm: str, node: str, sd: float | None, n: float | None, **changes: Any) -> dict[str, Any]:
    return {"ref": f"arm_outcomes.csv:{sid}#{arm}", "arm_id": arm, "node": node, "outcome": "pain",
            "instrument": "VAS_0_100", "value_type": "change", "timepoint_weeks": 8.0, "n": n, "sd": sd,
            "raw": {"sd": None if sd is None else sd * 10}, "scale_factor": 0.1, **changes}


_EFFECT = {"instrument": "VAS_0_100", "value_type": "change", "timepoint_weeks": 8.0}


def test_comparator_sd_takes_one_arms_sd_on_the_common_scale_even_without_its_size() -> None:
    # A trial that reported its MD with an interval, and its arms' SDs without their sizes
    # (Brinkhaus 2006): the minimal acupuncture arm's SD of 31 mm is 3.1 points on 0-10.
    rec = _record("T", _value("T", "i", "acu", 3.03, None), _value("T", "c", "sham", 3.1, None))
    got = comparator_sd([{"study_id": "T", **_EFFECT}], [rec], "sham", "pain")
    assert got is not None
    assert got["sd"] == pytest.approx(3.1, rel=1e-15)
    (arm,) = got["arms"]  # the comparator's arm alone, not the intervention's
    assert (arm["study_id"], arm["arm_id"], arm["arm_label"], arm["n"]) == ("T", "c", "Minimal acupuncture", None)
    assert (arm["raw_sd"], arm["scale_factor"]) == (pytest.approx(31.0), 0.1)
    # Re-expressed, an SMD of -0.54 (-0.73 to -0.35) is -1.674 (-2.263 to -1.085) points.
    assert re_express(-0.54, -0.73, -0.35, got["sd"]) == pytest.approx((-1.674, -2.263, -1.085), abs=1e-12)


def test_comparator_sd_pools_several_arms_by_their_sizes_and_refuses_without_them() -> None:
    a = _record("A", _value("A", "c", "sham", 2.0, 30))
    b = _record("B", _value("B", "c", "sham", 3.0, 11))
    studies = [{"study_id": "A", **_EFFECT}, {"study_id": "B", **_EFFECT}]
    got = comparator_sd(studies, [a, b], "sham", "pain")
    assert got is not None
    assert got["sd"] == pytest.approx(math.sqrt((29 * 4 + 10 * 9) / 39), rel=1e-15)
    # One arm's size unknown: nothing to weight the two by, so no SD.
    b_unknown = _record("B", _value("B", "c", "sham", 3.0, None))
    assert comparator_sd(studies, [a, b_unknown], "sham", "pain") is None


@pytest.mark.parametrize("changes", [{"timepoint_weeks": 4.0}, {"value_type": "final"}, {"instrument": "NRS"},
                                     {"outcome": "disability"}, {"node": "usual_care"}, {"sd": None}])
def test_comparator_sd_takes_only_the_effects_own_arm_rows(changes: dict[str, Any]) -> None:
    # Another timepoint, value type, instrument, outcome or treatment, or a row without an
    # SD: not the spread of the comparator the effect is of.
    rec = _record("T", {**_value("T", "c", "sham", 3.1, None), **changes})
    assert comparator_sd([{"study_id": "T", **_EFFECT}], [rec], "sham", "pain") is None
    # A study the analysis does not use adds nothing either.
    assert comparator_sd([{"study_id": "U", **_EFFECT}], [_record("T", _value("T", "c", "sham", 3.1, None))],
                         "sham", "pain") is None


def test_comparator_sd_takes_no_arm_whose_sd_is_zero() -> None:
    # An SD of 0 would re-express every SMD as no difference in points: no SD at all.
    rec = _record("T", _value("T", "c", "sham", 0.0, 30))
    assert comparator_sd([{"study_id": "T", **_EFFECT}], [rec], "sham", "pain") is None
    # Beside an arm with an SD, the zero is left out, not pooled in.
    a, b = _record("A", _value("A", "c", "sham", 2.0, 30)), _record("B", _value("B", "c", "sham", 0.0, 11))
    got = comparator_sd([{"study_id": "A", **_EFFECT}, {"study_id": "B", **_EFFECT}], [a, b], "sham", "pain")
    assert got is not None and [x["study_id"] for x in got["arms"]] == ["A"] and got["sd"] == 2.0
    # Each arm says whether its SD is of changes or of final values.
    assert got["arms"][0]["value_type"] == "change"
