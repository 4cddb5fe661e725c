"""blup's and ranef's arguments and results beyond the comparisons with metafor
(tests/reference/test_blup_metafor.py): the identities between them and predict, the
limits of the shrinkage, what they refuse, and the results' immutability and JSON form."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

import metareview
from metareview.blups import BLUPResult, RanefResult, blup, ranef
from metareview.pool import RMAResult, rma

# dat.bcg's log risk ratios and absolute latitude (metadat), rounded
YI = [-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209, 0.0120, -0.4694,
      -1.3713, -0.3394, 0.4459, -0.0173]  # fmt: skip
VI = [0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230, 0.0040, 0.0564, 0.0730,
      0.0124, 0.5325, 0.0714]  # fmt: skip
ABLAT = [44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33]


@pytest.fixture(scope="module")
def reg() -> RMAResult:
    return rma(YI, VI, mods={"ablat": ABLAT}, test="knha")


def test_the_package_exports_blup_and_ranef(reg: RMAResult) -> None:
    assert metareview.blup is blup and metareview.ranef is ranef
    assert reg.blup().to_dict() == blup(reg).to_dict()
    assert reg.ranef(level=90).to_dict() == ranef(reg, level=90).to_dict()


def test_blup_is_the_fitted_value_plus_the_random_effect(reg: RMAResult) -> None:
    b, u, fitted = blup(reg), ranef(reg), reg.predict()
    np.testing.assert_allclose(b.pred, fitted.pred + u.pred, rtol=1e-13, atol=1e-15)
    # shrinkage: each blup lies between the study's yi and its fitted value
    lo, hi = np.minimum(YI, fitted.pred), np.maximum(YI, fitted.pred)
    assert np.all((lo <= b.pred) & (b.pred <= hi))
    # the factor lambda_i = tau2/(tau2 + vi) recovered from the two
    lam = u.pred / (np.array(YI) - fitted.pred)
    np.testing.assert_allclose(lam, reg.tau2 / (reg.tau2 + np.array(VI)), rtol=1e-10)


def test_the_interval_is_pred_plus_minus_the_t_quantile_times_se(reg: RMAResult) -> None:
    from scipy import stats

    b = blup(reg, level=90)
    q = stats.t.isf(0.05, reg.k - reg.p)
    np.testing.assert_allclose(b.pi_ub - b.pred, q * b.se, rtol=1e-12)
    np.testing.assert_allclose(b.pred - b.pi_lb, q * b.se, rtol=1e-12)
    assert b.pi_df == reg.k - reg.p == 11 and b.level == 90
    z = blup(rma(YI, VI, mods={"ablat": ABLAT}), level=0.9)  # the same level, read as metafor reads it
    np.testing.assert_allclose(z.pi_ub - z.pred, stats.norm.isf(0.05) * z.se, rtol=1e-12)
    assert z.pi_df is None and z.level == 90


def test_an_equal_effects_model_has_its_fitted_values_and_no_random_effects() -> None:
    ee = rma(YI, VI, mods={"ablat": ABLAT}, method="EE")
    b, u, fitted = blup(ee), ranef(ee), ee.predict()
    np.testing.assert_array_equal(b.pred, fitted.pred)
    np.testing.assert_allclose(b.se, fitted.se, rtol=1e-14)
    for x in (u.pred, u.se, u.pi_lb, u.pi_ub):
        assert np.all(x == 0)


def test_a_large_tau2_leaves_each_study_nearly_its_own_estimate() -> None:
    # lambda_i -> 1: the blup -> yi with the variance -> vi (no shrinkage)
    b = blup(rma(YI, VI, tau2=1e8))
    np.testing.assert_allclose(b.pred, YI, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(b.se**2, VI, rtol=1e-6)


def test_transf_is_applied_to_pred_and_bounds_and_drops_se(reg: RMAResult) -> None:
    raw, rr = blup(reg), blup(reg, transf=math.exp)
    assert rr.se is None and rr.transf and not raw.transf
    np.testing.assert_allclose(rr.pred, np.exp(raw.pred), rtol=1e-15)
    np.testing.assert_allclose(rr.pi_lb, np.exp(raw.pi_lb), rtol=1e-15)
    # a decreasing function swaps the bounds back into order, as metafor's .psort
    neg = ranef(reg, transf=lambda x: -x)
    base = ranef(reg)
    np.testing.assert_array_equal(neg.pi_lb, -base.pi_ub)
    np.testing.assert_array_equal(neg.pi_ub, -base.pi_lb)
    assert "se" not in rr.summary().splitlines()[0].split()


def test_the_rows_are_the_studies_fitted_with_their_labels() -> None:
    keep = np.array(ABLAT) > 30
    slab = [f"Trial {i}" for i in range(1, 14)]
    res = rma(YI, VI, slab=slab, subset=keep)
    b = blup(res)
    assert b.slab == tuple(s for s, k in zip(slab, keep) if k) and b.k == int(keep.sum())
    assert b.summary().splitlines()[1].startswith("Trial 1 ")


@pytest.mark.parametrize("kwargs", [{"weights": [1.0] * 13}, {"weighted": False}])
def test_models_with_other_weights_are_refused(kwargs: dict) -> None:
    res = rma(YI, VI, mods={"ablat": ABLAT}, **kwargs)
    for f in (blup, ranef):
        with pytest.raises(ValueError, match="weights"):
            f(res)


def test_bad_arguments_are_refused(reg: RMAResult) -> None:
    with pytest.raises(TypeError, match="rma"):
        blup([0.1, 0.2])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="transf"):
        ranef(reg, transf="exp")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        blup(reg, level=100)


def test_results_are_frozen_and_serialise_to_json(reg: RMAResult) -> None:
    for r in (blup(reg), ranef(reg, transf=math.exp)):
        assert isinstance(r, (BLUPResult, RanefResult))
        with pytest.raises(dataclasses.FrozenInstanceError):
            r.pred = np.zeros(13)  # type: ignore[misc]
        with pytest.raises(ValueError):
            r.pred[0] = 0.0
        d = json.loads(json.dumps(r.to_dict()))
        assert set(d) == {"pred", "se", "pi_lb", "pi_ub", "slab", "level", "pi_df", "transf", "method", "test"}
        assert len(d["pred"]) == 13 and d["level"] == 95
        assert str(r) == r.summary() and r.summary().endswith("95% prediction intervals")
