"""rma(weights=...) and rma(weighted=False): identities and refusals checked by hand.

metafor's numbers are compared in tests/reference/test_weights_metafor.py; here are the
cases whose answer is known without it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from metareview import bias, rma

YI = np.array([0.10, 0.30, 0.35, 0.65, 0.45, 0.15, -0.05, 0.52])
VI = np.array([0.03, 0.03, 0.05, 0.01, 0.05, 0.02, 0.04, 0.02])
X1 = np.array([1.0, 3.0, 2.0, 5.0, 4.0, 7.0, 6.0, 8.0])


def test_no_weights_is_the_fit_as_before() -> None:
    base = rma(YI, VI, method="REML", test="knha")
    same = rma(YI, VI, method="REML", test="knha", weights=None, weighted=True)
    assert same.to_dict() == base.to_dict()
    assert "weighted" not in base.to_dict() and not base.custom_weights


@pytest.mark.parametrize("method", ["EE", "DL", "REML"])
def test_inverse_variance_weights_reproduce_the_usual_fit(method: str) -> None:
    # with a_i = 1/(vi + tau^2) the sandwich (X'AX)^-1 X'A M A X (X'AX)^-1 is (X'WX)^-1
    base = rma(YI, VI, method=method, mods=X1)
    res = rma(YI, VI, method=method, mods=X1, weights=1.0 / (VI + base.tau2))
    assert res.custom_weights
    np.testing.assert_allclose(res.beta, base.beta, rtol=1e-12)
    np.testing.assert_allclose(res.vb, base.vb, rtol=1e-10)
    np.testing.assert_allclose(res.weights, base.weights, rtol=1e-12)
    assert res.ll_REML == pytest.approx(base.ll_REML, rel=1e-12)
    assert res.tau2 == base.tau2 and res.QE == base.QE and res.I2 == base.I2


def test_unweighted_model_by_hand() -> None:
    # ordinary least squares: the plain mean, var = sum(vi + tau^2) / k^2
    res = rma(YI, VI, method="DL", weighted=False)
    k = YI.size
    assert res.estimate == pytest.approx(YI.mean(), rel=1e-14)
    assert res.se == pytest.approx(math.sqrt(np.sum(VI + res.tau2)) / k, rel=1e-13)
    np.testing.assert_allclose(res.weights, np.full(k, 100.0 / k), rtol=1e-15)
    assert res.tau2 == rma(YI, VI, method="DL").tau2
    half = 1.959963984540054 * math.sqrt(res.se**2 + res.tau2)
    assert res.pi_lb == pytest.approx(res.estimate - half, rel=1e-12)


def test_equal_weights_are_the_unweighted_fit() -> None:
    a = rma(YI, VI, method="REML", weights=2.5, mods=X1)
    b = rma(YI, VI, method="REML", weighted=False, mods=X1)
    np.testing.assert_allclose(a.beta, b.beta, rtol=1e-12)
    np.testing.assert_allclose(a.vb, b.vb, rtol=1e-12)
    np.testing.assert_allclose(a.weights_given, np.full(YI.size, 2.5))
    assert b.weights_given is None and not b.weighted


def test_weights_given_but_not_weighted_are_kept_unused() -> None:
    res = rma(YI, VI, method="REML", weights=np.arange(1.0, 9.0), weighted=False)
    assert res.estimate == pytest.approx(YI.mean(), rel=1e-14)
    np.testing.assert_array_equal(res.weights_given, np.arange(1.0, 9.0))
    out = res.to_dict()
    assert out["weighted"] is False and out["weights_given"] == list(np.arange(1.0, 9.0))


def test_knha_scale_is_that_of_the_inverse_variance_fit() -> None:
    base = rma(YI, VI, method="REML", test="knha")
    res = rma(YI, VI, method="REML", test="knha", weights=np.arange(1.0, 9.0))
    a = np.arange(1.0, 9.0)
    mu = float(a @ YI / a.sum())
    var = float(np.sum(a**2 * (VI + res.tau2))) / a.sum() ** 2
    assert res.s2w == base.s2w
    assert res.se == pytest.approx(math.sqrt(base.s2w * var), rel=1e-13)
    assert res.estimate == pytest.approx(mu, rel=1e-14)
    assert res.df == YI.size - 1


def test_zero_weight_leaves_a_study_out_of_the_estimate() -> None:
    a = np.ones(YI.size)
    a[3] = 0.0
    res = rma(YI, VI, method="EE", weights=a)
    assert res.estimate == pytest.approx(np.delete(YI, 3).mean(), rel=1e-14)
    assert res.weights[3] == 0.0


def test_subset_selects_the_weights_too() -> None:
    a = np.arange(1.0, 9.0)
    keep = [0, 2, 3, 5, 7]
    sub = rma(YI, VI, weights=a, subset=keep)
    direct = rma(YI[keep], VI[keep], weights=a[keep])
    assert sub.estimate == direct.estimate and sub.se == direct.se


@pytest.mark.parametrize("outside", [np.nan, np.inf, -1.0])
def test_a_bad_weight_outside_subset_is_not_read(outside: float) -> None:
    # metafor subsets the weights before it checks them, as it does yi, vi and mods
    a = np.arange(1.0, 9.0)
    keep = np.array([True, True, False, True, True, False, True, True])
    given = np.where(keep, a, outside)
    sub = rma(YI, VI, weights=given, subset=keep)
    direct = rma(YI[keep], VI[keep], weights=a[keep])
    assert sub.estimate == direct.estimate and sub.se == direct.se and sub.k == 6
    np.testing.assert_array_equal(sub.weights, direct.weights)


def test_a_missing_weight_inside_subset_is_named_by_its_index_in_the_data() -> None:
    a = np.r_[1.0, 2.0, 3.0, 4.0, np.nan, np.nan, 7.0, 8.0]
    with pytest.raises(ValueError, match=r"missing for the studies at indices \[5\]"):
        rma(YI, VI, weights=a, subset=[0, 3, 5, 6])


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (-np.ones(8), "negative"),
        (np.r_[np.ones(7), np.inf], "infinite"),
        (np.r_[np.ones(7), np.nan], "missing"),
        (np.ones(5), "5 values"),
        (np.zeros(8), "singular"),
    ],
)
def test_bad_weights_are_refused(weights: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rma(YI, VI, weights=weights)


def test_too_many_zero_weights_for_the_coefficients_are_refused() -> None:
    a = np.zeros(8)
    a[2] = 1.0
    with pytest.raises(ValueError, match="singular"):
        rma(YI, VI, method="EE", mods=X1, weights=a)


def test_leave1out_of_weighted_model_refits_with_the_remaining_weights() -> None:
    a = np.arange(1.0, 9.0)
    res = rma(YI, VI, method="DL", weights=a)
    l1o = res.leave1out()
    for i in (0, 4):
        keep = np.arange(8) != i
        ref = rma(YI[keep], VI[keep], method="DL", weights=a[keep])
        assert l1o.estimate[i] == pytest.approx(ref.estimate, rel=1e-14)
        assert l1o.se[i] == pytest.approx(ref.se, rel=1e-14)
    cum = res.cumul()
    assert cum.estimate[2] == pytest.approx(float(a[:3] @ YI[:3] / a[:3].sum()), rel=1e-14)


def test_ranktest_and_fsn_do_not_read_the_weights() -> None:
    # as in metafor: both use yi and vi alone
    a = rma(YI, VI, weights=np.arange(1.0, 9.0))
    b = rma(YI, VI)
    assert bias.ranktest(a).to_dict() == bias.ranktest(b).to_dict()
    assert a.fsn() == b.fsn()


def test_weighted_model_without_intercept_has_no_prediction_interval() -> None:
    """A model on one moderator without intercept is a meta-regression (no pooled
    estimate): its weighted refit gives no prediction interval, as the inverse-variance
    fit gives none."""
    y = np.array([0.1, 0.4, 0.3, 0.8, 0.5])
    v = np.array([0.05, 0.02, 0.04, 0.03, 0.06])
    x = np.array([1.0, 2.0, 1.5, 3.0, 2.5])
    plain = rma(y, v, mods=x, intercept=False)
    weighted = rma(y, v, mods=x, intercept=False, weights=[1, 2, 3, 4, 5])
    assert plain.pi_lb is None and plain.pi_ub is None
    assert weighted.pi_lb is None and weighted.pi_ub is None
