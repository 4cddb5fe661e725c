"""Property tests (hypothesis) for invariants of the rma engine."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from metareview.pool import METHODS, RMAResult, rma

RE_METHODS = [m for m in METHODS if m not in ("FE", "EE")]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def datasets(draw: st.DrawFn, min_k: int = 2, max_k: int = 25) -> tuple[np.ndarray, np.ndarray]:
    k = draw(st.integers(min_k, max_k))
    y = draw(st.lists(st.floats(-5, 5, allow_nan=False), min_size=k, max_size=k))
    v = draw(st.lists(st.floats(1e-3, 5, allow_nan=False), min_size=k, max_size=k))
    return np.array(y), np.array(v)


def close(a: float | None, b: float | None, rel: float = 1e-8, abs_: float = 1e-10) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def fit(y: np.ndarray, v: np.ndarray, **kw: Any) -> RMAResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rma(y, v, **kw)


@SETTINGS
@given(data=datasets(), method=st.sampled_from(METHODS), seed=st.integers(0, 2**32 - 1))
def test_invariant_to_study_order(data, method: str, seed: int) -> None:
    y, v = data
    perm = np.random.default_rng(seed).permutation(y.size)
    a, b = fit(y, v, method=method), fit(y[perm], v[perm], method=method)
    scale = 1e-8 * (1.0 + float(np.max(np.abs(y))))
    assert close(a.tau2, b.tau2, abs_=1e-9 * (1 + a.tau2))
    assert close(a.estimate, b.estimate, abs_=scale)
    assert close(a.se, b.se)
    assert close(a.QE, b.QE, abs_=1e-9)
    assert np.allclose(a.weights[perm], b.weights, rtol=1e-8, atol=1e-10)


@SETTINGS
@given(
    data=datasets(),
    method=st.sampled_from(METHODS),
    shift=st.floats(-10, 10),
    scale=st.sampled_from([0.01, 0.5, 3.0, -2.0, 100.0]),
)
def test_equivariant_to_shift_and_scale(data, method: str, shift: float, scale: float) -> None:
    """y -> a + c y with v -> c^2 v: estimate -> a + c estimate, tau2 -> c^2 tau2."""
    y, v = data
    a = fit(y, v, method=method)
    b = fit(shift + scale * y, scale**2 * v, method=method)
    c2 = scale**2
    assert close(b.tau2, c2 * a.tau2, rel=1e-7, abs_=1e-9 * c2 * (1 + float(np.var(y))))
    assert close(
        b.estimate,
        shift + scale * a.estimate,
        rel=1e-7,
        abs_=1e-7 * abs(scale) * (1 + abs(a.estimate)) + 1e-9 * abs(shift),
    )
    assert close(b.se, abs(scale) * a.se, rel=1e-7)
    assert close(b.I2, a.I2, rel=1e-6, abs_=1e-7)
    assert close(b.QE, a.QE, rel=1e-7, abs_=1e-8)


@st.composite
def homogeneous(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Effects scattered less than their sampling error, so that tau2 is usually 0."""
    k = draw(st.integers(2, 25))
    v = np.array(draw(st.lists(st.floats(1e-3, 5), min_size=k, max_size=k)))
    u = np.array(draw(st.lists(st.floats(-0.3, 0.3), min_size=k, max_size=k)))
    return draw(st.floats(-3, 3)) + u * np.sqrt(v), v


@SETTINGS
@given(data=homogeneous(), method=st.sampled_from([m for m in RE_METHODS if m != "SJ"]))
def test_random_effects_equals_fixed_effect_when_tau2_is_zero(data, method: str) -> None:
    """(SJ is excluded: it is positive unless all effects are identical.)"""
    y, v = data
    re = fit(y, v, method=method)
    assume(re.tau2 == 0.0)
    fe = fit(y, v, method="FE")
    assert close(re.estimate, fe.estimate, rel=1e-12, abs_=1e-14)
    assert close(re.se, fe.se, rel=1e-12)
    assert close(re.pi_lb, re.ci_lb, rel=1e-12, abs_=1e-14)


@SETTINGS
@given(
    data=datasets(),
    method=st.sampled_from(METHODS),
    test=st.sampled_from(["z", "t", "knha", "adhoc"]),
)
def test_intervals_and_heterogeneity_ranges(data, method: str, test: str) -> None:
    y, v = data
    res = fit(y, v, method=method, test=test)
    assert res.tau2 >= 0.0 and res.tau == pytest.approx(math.sqrt(res.tau2))
    assert res.ci_lb <= res.estimate <= res.ci_ub
    assert 0.0 <= res.I2 <= 100.0
    assert 0.0 <= res.pval <= 1.0 and 0.0 <= res.QEp <= 1.0
    if method not in ("FE", "EE"):
        assert res.H2 >= 1.0
        assert res.pi_lb <= res.ci_lb and res.ci_ub <= res.pi_ub
    assert abs(float(np.sum(res.weights)) - 100.0) < 1e-9


@SETTINGS
@given(data=datasets(min_k=3), method=st.sampled_from(METHODS))
def test_hartung_knapp_uses_k_minus_one_df(data, method: str) -> None:
    y, v = data
    res = fit(y, v, method=method, test="knha")
    # the t statistic is zval, as metafor's res$zval, and tval too (NaN alike, 0/0)
    assert res.df == y.size - 1 and res.tval is not None
    assert res.zval == res.tval or (math.isnan(res.zval) and math.isnan(res.tval))
    w = 1.0 / (v + res.tau2)
    rss = float(np.sum(w * (y - res.estimate) ** 2))
    expected = 0.0 if rss <= np.finfo(float).eps else rss / (y.size - 1)
    assert close(res.s2w, expected, rel=1e-9, abs_=1e-12)


@SETTINGS
@given(data=datasets(min_k=3, max_k=15))
def test_confint_brackets_the_estimate_for_q_based_estimators(data) -> None:
    """The Q-profile CI inverts the generalised Q test, whose 50% point is the PMM root."""
    y, v = data
    res = fit(y, v, method="PMM")
    ci = res.confint()
    assert ci.tau2_ci_lb <= res.tau2 + 1e-12
    if ci.ub_sign != ">":
        assert res.tau2 <= ci.tau2_ci_ub + 1e-12
    assert 0.0 <= ci.I2_ci_lb <= ci.I2_ci_ub <= 100.0
