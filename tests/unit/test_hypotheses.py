"""anova's arguments and results beyond the comparisons with metafor
(tests/reference/test_anova_metafor.py): what it refuses that metafor would ignore, the
results' immutability and JSON form, and the identities between its forms."""

from __future__ import annotations

import dataclasses
import json
import warnings

import numpy as np
import pytest

import metareview
from metareview.hypotheses import LinearCombinationResult, LRTResult, WaldTestResult, anova
from metareview.pool import RMAResult, rma

# dat.bcg's log risk ratios with absolute latitude and year - 1960 (metadat)
YI = [-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209, 0.0120, -0.4694,
      -1.3713, -0.3394, 0.4459, -0.0173]  # fmt: skip
VI = [0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230, 0.0040, 0.0564, 0.0730,
      0.0124, 0.5325, 0.0714]  # fmt: skip
MODS = {
    "ablat": [44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33],
    "year": [-12, -11, 0, 17, 13, -7, 13, 8, 8, 5, 14, 32, 32],
}


@pytest.fixture(scope="module")
def full() -> RMAResult:
    return rma(YI, VI, mods=MODS, method="ML")


def test_the_package_exports_anova(full: RMAResult) -> None:
    assert metareview.anova is anova
    assert isinstance(full.anova(), WaldTestResult)


def test_default_is_the_models_own_omnibus_test(full: RMAResult) -> None:
    a = anova(full)
    assert (a.QM, a.QMdf, a.QMp, a.btt) == (full.QM, full.QMdf, full.QMp, full.btt)


def test_one_combination_is_the_test_of_one_coefficient(full: RMAResult) -> None:
    # x = e_j tests beta_j: z^2 = QM of btt = j, and the same p-value
    lc = anova(full, X=[0, 1, 0])
    w = anova(full, btt=1)
    assert lc.zval[0] ** 2 == pytest.approx(w.QM, rel=1e-12)
    assert lc.QM == pytest.approx(w.QM, rel=1e-12) and lc.pval[0] == pytest.approx(w.QMp, rel=1e-10)
    # rhs shifts the hypothesis: beta_j - r
    shifted = anova(full, X=[0, 1, 0], rhs=0.01)
    assert shifted.Xb[0] == pytest.approx(lc.Xb[0] - 0.01, rel=1e-12)
    assert shifted.hypotheses() == ("ablat = 0.01",)


def test_lrt_is_twice_the_difference_in_ml_log_likelihoods(full: RMAResult) -> None:
    null = rma(YI, VI, method="ML")
    a = anova(null, full)
    assert isinstance(a, LRTResult)
    assert a.LRT == pytest.approx(2 * (full.ll_ML - null.ll_ML), rel=1e-12)
    assert (a.parms_f, a.parms_r, a.df) == (4, 2, 2)
    assert a.R2 == pytest.approx(100 * (null.tau2 - full.tau2) / null.tau2, rel=1e-12)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"btt": 1, "X": [0, 1, 0]}, "not both"),
        ({"rhs": [0, 1, 2]}, "rhs has 3 values for the 2 coefficients tested"),
        ({"btt": [1, 2], "rhs": [0, 1, 2]}, "rhs has 3 values"),
        ({"X": [[0, 1, 0]], "rhs": ["0"]}, "rhs"),
        ({"X": [0, 1, 0, 0]}, "X has 4 columns"),
        ({"X": [[np.nan, 1, 0]]}, "finite"),
        ({"refit": True}, "two models"),
    ],
)
def test_arguments_metafor_would_ignore_or_misread_are_refused(full: RMAResult, kwargs: dict, match: str) -> None:
    with pytest.raises((TypeError, ValueError), match=match):
        anova(full, **kwargs)


def test_second_model_with_one_models_arguments_is_refused(full: RMAResult) -> None:
    null = rma(YI, VI, method="ML")
    with pytest.raises(TypeError, match="without a second model"):
        anova(full, null, btt=1)
    with pytest.raises(TypeError, match="fitted by rma"):
        anova(full, [1, 2])
    with pytest.raises(ValueError, match="'LRT' or 'Wald'"):
        anova(full, null, test="F")


def test_test_is_checked_always_and_refused_with_one_model(full: RMAResult) -> None:
    # metafor ignores test (even "bogus") with one model; here a value other than LRT or
    # Wald is refused always, and any test with one model, as refit is
    for test in ("bogus", "F"):
        with pytest.raises(ValueError, match="'LRT' or 'Wald', got"):
            anova(full, test=test)
    for test in ("LRT", "Wald"):
        with pytest.raises(TypeError, match="chooses how two models are compared"):
            anova(full, test=test)
        with pytest.raises(TypeError, match="chooses how two models are compared"):
            full.anova(test=test)
    with pytest.raises(TypeError, match="refit applies"):
        anova(full, refit=True)
    # without test, the default LRT of two models
    null = rma(YI, VI, method="ML")
    assert anova(full, null).to_dict() == anova(full, null, test="LRT").to_dict()


def test_reml_lrt_with_other_fixed_effects_warns_and_refits_on_request() -> None:
    f = rma(YI, VI, mods=MODS)
    r = rma(YI, VI)
    with pytest.warns(UserWarning, match="refit=True"):
        anova(f, r)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = anova(f, r, refit=True)
    ml = anova(rma(YI, VI, mods=MODS, method="ML"), rma(YI, VI, method="ML"))
    assert a.refit and a.method == "ML"
    assert a.LRT == pytest.approx(ml.LRT, rel=1e-10) and a.R2 == pytest.approx(ml.R2, rel=1e-8)


def test_results_are_frozen_and_json_ready(full: RMAResult) -> None:
    null = rma(YI, VI, method="ML")
    for res in (anova(full), anova(full, X=[[1, 30, 0], [1, 50, 10]]), anova(full, null)):
        json.dumps(res.to_dict())
        assert res.summary() == str(res)
        with pytest.raises(dataclasses.FrozenInstanceError):
            res.m = 3
    lc = anova(full, X=[[1, 30, 0], [1, 50, 10]])
    assert isinstance(lc, LinearCombinationResult)
    with pytest.raises(ValueError):
        lc.Xb[0] = 0.0
    lrt = anova(full, null)
    with pytest.raises(TypeError):
        lrt.fit_stats_f["ll"] = 0.0
