"""Distribution wrappers against scipy.stats (imported here only, never in the library)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from metareview import distributions as d

X = np.array([-40.0, -8.0, -1.96, -0.3, 0.0, 0.7, 2.5, 9.0, 38.0])
P = np.array([1e-300, 1e-20, 1e-6, 0.025, 0.3, 0.5, 0.8, 0.975, 1 - 1e-9])
DF = [1, 2.5, 7, 30, 300]


def test_normal() -> None:
    assert np.allclose(d.norm_cdf(X), stats.norm.cdf(X), rtol=1e-13, atol=0)
    assert np.allclose(d.norm_sf(X), stats.norm.sf(X), rtol=1e-13, atol=0)
    assert np.allclose(d.norm_ppf(P), stats.norm.ppf(P), rtol=1e-13)
    assert np.allclose(d.norm_isf(P), stats.norm.isf(P), rtol=1e-12)
    assert d.norm_isf(0.025) == pytest.approx(1.959963984540054, rel=1e-15)
    assert np.allclose(d.two_sided_norm_p(X), 2 * stats.norm.sf(np.abs(X)), rtol=1e-13, atol=0)
    assert isinstance(d.norm_cdf(0.0), float)


@pytest.mark.parametrize("df", DF)
def test_student_t(df: float) -> None:
    assert np.allclose(d.t_cdf(X, df), stats.t.cdf(X, df), rtol=1e-11, atol=0)
    assert np.allclose(d.t_sf(X, df), stats.t.sf(X, df), rtol=1e-11, atol=0)
    mid = P[2:]
    assert np.allclose(d.t_ppf(mid, df), stats.t.ppf(mid, df), rtol=1e-10)
    assert np.allclose(d.t_isf(mid, df), stats.t.isf(mid, df), rtol=1e-10)
    assert np.allclose(d.two_sided_t_p(X, df), 2 * stats.t.sf(np.abs(X), df), rtol=1e-11, atol=0)


@pytest.mark.parametrize("df", DF)
def test_chi_square(df: float) -> None:
    x = np.array([1e-8, 0.1, 1.0, df, 5 * df + 30, 400.0])
    assert np.allclose(d.chi2_cdf(x, df), stats.chi2.cdf(x, df), rtol=1e-11, atol=0)
    assert np.allclose(d.chi2_sf(x, df), stats.chi2.sf(x, df), rtol=1e-11, atol=0)
    p = np.array([1e-12, 0.025, 0.5, 0.975])
    assert np.allclose(d.chi2_ppf(p, df), stats.chi2.ppf(p, df), rtol=1e-10)
    assert np.allclose(d.chi2_isf(p, df), stats.chi2.isf(p, df), rtol=1e-10)
    # round trips
    assert np.allclose(d.chi2_cdf(d.chi2_ppf(p, df), df), p, rtol=1e-10)


def test_f_and_its_relation_to_t() -> None:
    x = np.array([0.01, 1.0, 4.0, 30.0])
    for dfn, dfd in [(1, 5), (2, 11), (4, 100)]:
        assert np.allclose(d.f_sf(x, dfn, dfd), stats.f.sf(x, dfn, dfd), rtol=1e-11)
    t = np.array([0.5, 2.0, 6.0])
    assert np.allclose(d.f_sf(t**2, 1, 9), d.two_sided_t_p(t, 9), rtol=1e-12)


def test_t_isf_log_keeps_full_precision_at_large_df() -> None:
    # Roots of R's pt(t, df, lower.tail = FALSE, log.p = TRUE) = log p, solved by Newton
    # in log t to 8 machine epsilons (root_t of tests/reference/make_tail_fixtures.R).
    # Large df is where a loosely stopped iteration or scipy's betaln (1e-11 off at
    # df/2 = 5e4) would show; the fixture's tolerance (1e-10) would let both through.
    import math

    for p, df, root in ((1e-150, 1e4, 26.575709535430409), (1e-101, 1e6, 21.383631077418684),
                        (1e-200, 1e5, 30.274698585684906)):
        assert d.t_isf_log(math.log(p), df) == pytest.approx(root, rel=2e-14), (p, df)


@pytest.mark.parametrize(
    ("df", "q300", "q1000"),
    [
        (1e12, 24.326438910170619, 44.615747754180418),
        (1e14, 24.326438906601641, 44.615747732188765),
        (1e16, 24.326438906565947, 44.615747731968852),
        (1e17, 24.326438906565624, 44.615747731966856),
        (1e19, 24.326438906565588, 44.615747731966628),
        (1e21, 24.326438906565588, 44.615747731966628),
        (np.inf, 24.326438906565588, 44.615747731966628),
    ],
)
def test_t_isf_log_at_huge_df_is_the_cornish_fisher_series(df: float, q300: float, q1000: float) -> None:
    """R 4.2.2: qt(c(-300, -1000), df, lower.tail = FALSE, log.p = TRUE); R's qt is qnorm
    from df = 1e20 on, and its qnorm(-1000, log.p = TRUE) is itself 6e-14 below scipy's
    ndtri_exp. The Newton search on the tail probability had lost digits there (1e-6 of
    t at df = 1e17, 2e-3 at 1e19, NaN from 1e20 and at Inf, after 20000 iterations)."""
    got = d.t_isf_log(np.array([-300.0, -1000.0]), df)
    np.testing.assert_allclose(got, [q300, q1000], rtol=1e-13)


def test_t_isf_log_of_a_vector_is_each_elements_own() -> None:
    # each element's continued fraction stops at its own convergence: stopped jointly, the
    # factors of converged elements (which stray past 64 eps now and then) kept a vector
    # going, up to the 20000-iteration cap, and moved its values by up to 3e-14
    lp = -np.geomspace(231.0, 1e5, 50)
    df = np.geomspace(1e-2, 1e12, 50)
    got = d.t_isf_log(lp, df)
    one_by_one = np.array([d.t_isf_log(a, b) for a, b in zip(lp, df)])
    np.testing.assert_array_equal(got, one_by_one)


def test_tail_p_values_keep_relative_precision() -> None:
    assert d.chi2_sf(238.9158108620096, 8) == pytest.approx(3.8418092854003323e-47, rel=1e-12)
    assert d.two_sided_norm_p(10.0) == pytest.approx(2 * stats.norm.sf(10.0), rel=1e-13)


def test_t_isf_log_closed_forms_far_in_the_tail() -> None:
    # df = 1 (Cauchy): P(T > t) = 1/2 - atan(t)/pi, so t = cot(pi q) = 1/(pi q) (1 - (pi
    # q)^2/3 - ...), 1/(pi q) to the last bit for q < 1e-8. df = 2: P(T > t) = (1 - t /
    # sqrt(2 + t^2))/2, so t = (1 - 2q)/sqrt(2 q (1 - q)), 1/sqrt(2 q) for tiny q. Both in
    # logarithms, so that q may lie below the smallest double (log q = -800).
    import math

    log_q = np.array([-300.0, -500.0, -700.0])
    np.testing.assert_allclose(d.t_isf_log(log_q, 1.0), np.exp(-log_q - math.log(math.pi)), rtol=1e-13)
    log_q2 = np.array([-300.0, -700.0, -744.0, -800.0])
    np.testing.assert_allclose(d.t_isf_log(log_q2, 2.0), np.exp(-0.5 * (math.log(2.0) + log_q2)), rtol=1e-13)
    # df = 3: P(T > t) = 2 sqrt(3)/(pi t^3) (1 + O(t^-2)), so t = (2 sqrt(3)/(pi q))^(1/3)
    q3 = np.array([-400.0, -600.0])
    t3 = np.exp((math.log(2.0 * math.sqrt(3.0) / math.pi) - q3) / 3.0)
    np.testing.assert_allclose(d.t_isf_log(q3, 3.0), t3, rtol=1e-13)
    # beyond the largest double, inf; p = 0 is inf and log p > 0 undefined
    assert d.t_isf_log(-800.0, 1.0) == math.inf
    assert d.t_isf_log(-math.inf, 5.0) == math.inf
    assert math.isnan(d.t_isf_log(0.1, 5.0))
    # up to 1e-100 it is scipy's inversion, unchanged
    assert d.t_isf_log(math.log(0.025), 10.0) == pytest.approx(2.2281388519862744, rel=1e-14)  # R qt
