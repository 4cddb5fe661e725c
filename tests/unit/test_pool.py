"""Edge cases and independent checks of the rma engine (metareview.pool)."""

from __future__ import annotations

import dataclasses
import json
import math
import warnings

import numpy as np
import pytest
from metafor_tolerances import (
    FIXTURE_FILES,
    assert_close,
    assert_printed,
    for_quantity,
    load_fixture,
)

from metareview import distributions as dist
from metareview.pool import (
    METAFOR_DEFAULTS,
    METHODS,
    StudyLabels,
    _loglik,
    estimate_tau2,
    fit_batch,
    q_profile_ci,
    rma,
    subgroups,
)

RE_METHODS = [m for m in METHODS if m not in ("FE", "EE")]


def hetero_data(k: int = 12, seed: int = 1, tau2: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    v = rng.uniform(0.01, 0.3, k)
    y = rng.normal(0.4, np.sqrt(v + tau2))
    return y, v


def weighted_q(y: np.ndarray, v: np.ndarray, tau2: float) -> float:
    w = 1.0 / (v + tau2)
    mu = np.sum(w * y) / np.sum(w)
    return float(np.sum(w * (y - mu) ** 2))


# --------------------------------------------------------------------------- closed forms


@pytest.mark.parametrize("method", RE_METHODS)
def test_equal_variances_have_closed_form_solutions(method: str) -> None:
    """With v_i = c every estimator has an explicit form (a check independent of metafor).

    SS = sum (y - ybar)^2: DL, HE, REML, PM, EB -> SS/(k-1) - c; ML, HS -> SS/k - c;
    PMM -> SS/median(chi2_{k-1}) - c; SJ -> t0 SS / ((c + t0)(k-1)), t0 = SS/k.
    """
    rng = np.random.default_rng(7)
    k, c = 15, 0.05
    y = rng.normal(0, 0.6, k)
    v = np.full(k, c)
    ss = float(np.sum((y - y.mean()) ** 2))
    expected = {
        "DL": ss / (k - 1) - c,
        "HE": ss / (k - 1) - c,
        "REML": ss / (k - 1) - c,
        "PM": ss / (k - 1) - c,
        "EB": ss / (k - 1) - c,
        "ML": ss / k - c,
        "HS": ss / k - c,
        "PMM": ss / dist.chi2_ppf(0.5, k - 1) - c,
        "SJ": (ss / k) * ss / ((c + ss / k) * (k - 1)),
    }[method]
    assert expected > 0
    res = rma(y, v, method=method)
    assert res.tau2 == pytest.approx(expected, rel=1e-12)
    # every estimator gives the unweighted mean when the variances are equal
    assert res.estimate == pytest.approx(y.mean(), rel=1e-12)
    assert res.se == pytest.approx(math.sqrt((c + res.tau2) / k), rel=1e-12)


def test_reml_and_ml_maximise_their_likelihoods() -> None:
    y, v = hetero_data(20, seed=3)
    X = np.ones((y.size, 1))
    for method, reml in (("REML", True), ("ML", False)):
        t = rma(y, v, method=method).tau2
        assert t > 0
        ll = _loglik(y, v, X, t, reml)
        for h in (1e-3, 1e-5):
            assert ll >= _loglik(y, v, X, t * (1 + h), reml)
            assert ll >= _loglik(y, v, X, t * (1 - h), reml)
        # the stationarity is exact: a symmetric difference quotient vanishes
        h = 1e-5 * t
        slope = (_loglik(y, v, X, t + h, reml) - _loglik(y, v, X, t - h, reml)) / (2 * h)
        assert abs(slope) < 1e-6


@pytest.mark.parametrize(("method", "target"), [("PM", None), ("EB", None), ("PMM", "median")])
def test_paule_mandel_roots_solve_the_q_equation(method: str, target: str | None) -> None:
    y, v = hetero_data(25, seed=5)
    k = y.size
    t = rma(y, v, method=method).tau2
    goal = dist.chi2_ppf(0.5, k - 1) if target == "median" else k - 1
    assert weighted_q(y, v, t) == pytest.approx(goal, rel=1e-12)


def test_dl_formula() -> None:
    y, v = hetero_data(9, seed=11)
    w = 1 / v
    q = weighted_q(y, v, 0.0)
    dl = (q - (y.size - 1)) / (w.sum() - (w**2).sum() / w.sum())
    assert rma(y, v, method="DL").tau2 == pytest.approx(max(0.0, dl), rel=1e-13)
    assert rma(y, v, method="DL").QE == pytest.approx(q, rel=1e-13)


def test_i2_uses_typical_variance() -> None:
    y, v = hetero_data(10, seed=2)
    w = 1 / v
    k = y.size
    vt = (k - 1) * w.sum() / (w.sum() ** 2 - (w**2).sum())
    for method in ("REML", "PM", "DL"):
        res = rma(y, v, method=method)
        assert res.vt == pytest.approx(vt, rel=1e-13)
        assert res.I2 == pytest.approx(100 * res.tau2 / (res.tau2 + vt), rel=1e-13)
        assert res.H2 == pytest.approx((res.tau2 + vt) / vt, rel=1e-13)
    fe = rma(y, v, method="FE")
    assert fe.I2 == pytest.approx(max(0.0, 100 * (fe.QE - (k - 1)) / fe.QE), rel=1e-13)
    assert fe.H2 == pytest.approx(fe.QE / (k - 1), rel=1e-13)


def test_general_design_path_agrees_with_intercept_only_path() -> None:
    """The QR-based meta-regression code with X = 1 equals the O(k) power-sum code."""
    y, v = hetero_data(14, seed=4)
    X = np.ones((y.size, 1))
    for method in METHODS:
        a = estimate_tau2(y, v, method)
        b = estimate_tau2(y, v, method, X=X)
        assert b[0] == pytest.approx(a[0], rel=1e-10, abs=1e-14), method
        if a[1] is None:
            assert b[1] is None
        else:
            assert b[1] == pytest.approx(a[1], rel=1e-10), method


# --------------------------------------------------------------------------- degenerate data


def test_k_equals_one() -> None:
    with pytest.warns(UserWarning, match="k = 1"):
        res = rma([0.5], [0.04], test="knha")
    assert res.test == "z" and res.tval is None
    assert res.tau2 == 0.0 and res.se_tau2 is None
    assert res.estimate == 0.5 and res.se == pytest.approx(0.2)
    assert (res.QE, res.QEp, res.I2, res.H2) == (0.0, 1.0, 0.0, 1.0)
    assert res.pi_lb == pytest.approx(res.ci_lb) and res.pi_ub == pytest.approx(res.ci_ub)
    with pytest.raises(ValueError, match="k = 1"):
        res.confint()
    with pytest.raises(ValueError):
        res.leave1out()


@pytest.mark.parametrize("method", METHODS)
def test_k_equals_two(method: str) -> None:
    res = rma([0.1, 0.9], [0.02, 0.05], method=method)
    assert res.k == 2 and res.tau2 >= 0 and math.isfinite(res.estimate)
    assert res.ci_lb < res.estimate < res.ci_ub


@pytest.mark.parametrize("method", METHODS)
def test_identical_effects_give_tau2_zero(method: str) -> None:
    y = np.full(6, 0.3)
    v = np.array([0.01, 0.02, 0.05, 0.1, 0.2, 0.3])
    res = rma(y, v, method=method)
    assert res.tau2 == 0.0
    assert res.QE == pytest.approx(0.0, abs=1e-25)
    assert res.estimate == pytest.approx(0.3, rel=1e-14)


def test_knha_scale_factor_edge_cases() -> None:
    y = np.full(5, 1.0)
    v = np.array([0.1, 0.2, 0.3, 0.1, 0.2])
    res = rma(y, v, test="knha")
    assert res.s2w == 0.0 and res.se == 0.0  # metafor: RSS <= eps sets s2w = 0
    y2, v2 = hetero_data(8, seed=9, tau2=0.0)
    kh = rma(y2, v2, method="DL", test="knha")
    adhoc = rma(y2, v2, method="DL", test="adhoc")
    assert adhoc.s2w == max(1.0, kh.s2w)
    assert kh.df == 7 and kh.tval is not None
    assert kh.se == pytest.approx(math.sqrt(kh.s2w / np.sum(1 / (v2 + kh.tau2))), rel=1e-13)


def test_tau2_at_the_boundary_equals_fixed_effect() -> None:
    y, v = hetero_data(8, seed=3, tau2=0.0)
    fe = rma(y, v, method="FE")
    for method in RE_METHODS:
        res = rma(y, v, method=method)
        if res.tau2 == 0.0:
            assert res.estimate == pytest.approx(fe.estimate, rel=1e-13)
            assert res.se == pytest.approx(fe.se, rel=1e-13)


@pytest.mark.parametrize("ratio", [1e16, 1e17, 1e18, 1e20])
def test_one_tiny_variance_keeps_metafors_own_reml_iteration_off_zero(ratio: float) -> None:
    # metafor 3.8-1, default control (emulated by METAFOR_DEFAULTS):
    #   yi <- c(0.05, 0.31, 0.52, 0.22, 0.71, 0.45, 0.88, 0.60); vi <- c(0.05 / r, rep(0.05, 7))
    #   x <- rma(yi, vi); x$tau2; logLik(x)
    #   r = 1e16, 1e17, 1e18, 1e20: tau2 0.061331508000279547, logLik -1.369033794
    # The REML likelihood at 0 is lower (metafor's ll0 takes Q from explicit residuals);
    # from r = 1e17 on, the power sums it was taken from here cancelled, made it look
    # higher, and the ll0check set tau^2 = 0.
    yi = [0.05, 0.31, 0.52, 0.22, 0.71, 0.45, 0.88, 0.60]
    vi = [0.05 / ratio] + [0.05] * 7
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = rma(yi, vi, control=METAFOR_DEFAULTS)
    assert not any("larger at tau^2 = 0" in str(w.message) for w in caught)
    assert_close(res.tau2, 0.061331508000279547, "emulated", "tau2")
    assert_printed(res.ll_REML, "-1.369033794", "closed", "ll_REML")  # closed given tau2


@pytest.mark.parametrize(
    ("ratio", "ll"),
    [(1e16, "4.008101573"), (1e17, "5.159394119"), (1e18, "6.310686666"), (1e20, "8.613271759")],
)
def test_one_tiny_variance_leaves_ml_at_its_maximum_at_zero_as_metafor(ratio: float, ll: str) -> None:
    """The ML counterpart of the REML case above. metafor 3.8-1, default control:
    x <- rma(yi, vi, method = "ML") with the same data warns "Fisher scoring algorithm
    may have gotten stuck at a local maximum. Setting tau^2 = 0." and gives tau2 0,
    logLik(x) as below and se.tau2 sqrt(2) vi[1] (7.0710678118654763e-19 at r = 1e17):
    here the likelihood at 0, from the equal-effects Q of explicit residuals (the power
    sums cancel), is the larger."""
    yi = [0.05, 0.31, 0.52, 0.22, 0.71, 0.45, 0.88, 0.60]
    vi = [0.05 / ratio] + [0.05] * 7
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = rma(yi, vi, method="ML", control=METAFOR_DEFAULTS)
    assert any("larger at tau^2 = 0" in str(w.message) for w in caught)
    assert res.tau2 == 0.0
    assert_printed(res.ll_ML, ll, "closed", "ll_ML")
    assert_close(res.se_tau2, math.sqrt(2.0) * vi[0], "elementary", "se_tau2")


@pytest.mark.parametrize("ratio", [10**10, 10**14, 10**16, 10**20])
def test_a_dominant_study_at_the_reml_maximum_at_zero_has_an_exact_se(ratio: int) -> None:
    """With study 1's yi moved to 0.6, REML's maximum is at 0. metafor 3.8-1,
    rma(yi, vi, control = list(threshold = 1e-12, maxiter = 10000)), vi <- c(0.05 / r,
    rep(0.05, 7)), r = 1e10 to 1e20: tau2 1.5e-13 to 6.0e-13 (0 to its rounding), logLik
    1.613213996, se.tau2 0.0084515 (its explicit P loses the digits after). se(tau^2) =
    sqrt(2 / tr(PP)) at w = 1/vi, tr(PP) = S2 - 2 S3/S1 + (S2/S1)^2 in exact rational
    arithmetic. The power sums cancel at every step near 0: the solver's score at 0
    (division by zero) and then tr(PP) (negative: math domain error) had stopped the fit."""
    from fractions import Fraction

    yi = [0.6, 0.31, 0.52, 0.22, 0.71, 0.45, 0.88, 0.60]
    exact_v = [Fraction(5, 100) / ratio] + [Fraction(5, 100)] * 7
    w = [1 / x for x in exact_v]
    S1, S2, S3 = sum(w), sum(x * x for x in w), sum(x**3 for x in w)
    se = math.sqrt(2 / float(S2 - 2 * S3 / S1 + (S2 / S1) ** 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the variance ratio
        res = rma(yi, [float(x) for x in exact_v])
    assert_close(res.tau2, 0.0, "tight_tau2", "tau2")
    assert_printed(res.ll_REML, "1.613213996", "closed", "ll_REML")
    assert_close(res.se_tau2, se, "closed", "se_tau2")
    assert_printed(res.se_tau2, "0.0084515", "closed", "se_tau2 (metafor)")


@pytest.mark.parametrize("method", ["PM", "EB"])
def test_q_root_of_a_dominant_study_at_its_start_at_zero_and_not_converged(method: str) -> None:
    """The Q-statistic root with one vi 1e16 times below the other's (explicit residuals).

    k = 2: Q(t) = (y1 - y2)^2 / (v1 + v2 + 2t), so the DL start ((y1 - y2)^2 - v1 -
    v2)/2 is the root itself (0.475 here) and the search stops at once; se = sqrt(2 k^2 /
    (k - 1)) / sum w. metafor 3.8-1, rma(c(0, 1), c(0.05 / 1e16, 0.05), method = "EB"):
    tau2 0.47499999999999998, se.tau2 0.70533901423358114 (PM: 0.475008, its uniroot
    tolerance). Homogeneous yi c(0.2, 0.21, 0.19, 0.2), vi c(0.05 / 1e16, 0.05, 0.05,
    0.05): Q = 0.004 < k - 1, tau2 0 and se.tau2 1.6329931618554516e-17 for both. With
    control maxiter = 1 on the eight studies of the REML cases above the search does not converge
    (metafor's EB: "Fisher scoring algorithm did not converge")."""
    tiny = 0.05 / 1e16
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the variance ratio
        two = rma([0.0, 1.0], [tiny, 0.05], method=method)
        homog = rma([0.2, 0.21, 0.19, 0.2], [tiny, 0.05, 0.05, 0.05], method=method)
        assert_close(two.tau2, (1.0 - tiny - 0.05) / 2.0, "elementary", "tau2")
        w = [1.0 / (tiny + two.tau2), 1.0 / (0.05 + two.tau2)]
        assert_close(two.se_tau2, math.sqrt(2.0 * 4 / 1) / sum(w), "elementary", "se_tau2")
        assert_close(two.se_tau2, 0.70533901423358114, "elementary", "se_tau2 (metafor)")
        assert homog.tau2 == 0.0
        assert_close(homog.se_tau2, 1.6329931618554516e-17, "elementary", "se_tau2 (homog)")
        yi = [0.05, 0.31, 0.52, 0.22, 0.71, 0.45, 0.88, 0.60]
        with pytest.raises(RuntimeError, match="did not converge in 1 iterations"):
            rma(yi, [tiny] + [0.05] * 7, method=method, control={"maxiter": 1})


@pytest.mark.parametrize("ratio", [1e4, 1e10, 1e18])
def test_a_dominant_study_keeps_a_meta_regressions_traces_exact(ratio: float) -> None:
    # Exact rational arithmetic by hand: P = W - W X (X'WX)^-1 X'W with w = 1/v,
    # QE = y'Py, DL tau^2 = max(0, (QE - (k - p)) / tr(P)), vt = (k - p) / tr(P) and
    # se(tau^2) = sqrt(2 (k - p) + 4 tau2 tr(P) + 2 tau2^2 tr(PP)) / tr(P) (metafor's).
    # With study 1's vi 1e10 times below the others', 1 - h_1 = 1 - ||Q_1||^2 had lost
    # every digit: tr(PP) came out negative (math domain error), and at 1e18 DL tau^2
    # was 0.032 for 0.026 and vt 0.05 for 0.0405. (metafor's P matrix loses them too:
    # its DL tau^2 is 0.182 at 1e10.)
    from fractions import Fraction

    yi = [0.05, 0.31, 0.52, 0.22, 0.71, 0.45, 0.88, 0.60]
    x = [1.0, 3.0, 2.0, 5.0, 4.0, 7.0, 6.0, 8.0]
    vi = [0.05 / ratio] + [0.05] * 7
    k, p = 8, 2
    y = [Fraction(a) for a in yi]
    w = [1 / Fraction(a) for a in vi]
    X = [(Fraction(1), Fraction(b)) for b in x]
    A = [[sum(w[i] * X[i][r] * X[i][c] for i in range(k)) for c in range(p)] for r in range(p)]
    det = A[0][0] * A[1][1] - A[0][1] * A[1][0]
    Ainv = [[A[1][1] / det, -A[0][1] / det], [-A[1][0] / det, A[0][0] / det]]
    P = [[(w[i] if i == j else 0) - w[i] * w[j] * sum(X[i][r] * Ainv[r][c] * X[j][c]
          for r in range(p) for c in range(p)) for j in range(k)] for i in range(k)]
    QE = sum(y[i] * P[i][j] * y[j] for i in range(k) for j in range(k))
    trP = sum(P[i][i] for i in range(k))
    trPP = sum(P[i][j] ** 2 for i in range(k) for j in range(k))
    tau2 = max(Fraction(0), (QE - (k - p)) / trP)
    se = math.sqrt(float(2 * (k - p) + 4 * tau2 * trP + 2 * tau2 * tau2 * trPP)) / float(trP)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the variance ratio
        res = rma(yi, vi, mods={"x": x}, method="DL")
    assert res.QE == pytest.approx(float(QE), rel=1e-9)
    assert res.tau2 == pytest.approx(float(tau2), rel=1e-9)
    assert res.vt == pytest.approx(float((k - p) / trP), rel=1e-9)
    assert res.se_tau2 == pytest.approx(se, rel=1e-9)


def test_a_study_alone_in_a_moderators_direction_has_leverage_one() -> None:
    # metafor 3.8-1: rma(yi, vi, mods = ~ x + d, method = "DL") with d = 1 for study 1
    # only (whose residual is then 0): tau2 0.0231964621080383, vt 0.0353503113255175,
    # se.tau2 0.0372170190170114, QE 8.28094170012218
    yi = [0.05, 0.31, 0.52, 0.22, 0.71, 0.45, 0.88, 0.60]
    vi = [0.02, 0.05, 0.03, 0.04, 0.05, 0.02, 0.03, 0.04]
    mods = {"x": [1.0, 3.0, 2.0, 5.0, 4.0, 7.0, 6.0, 8.0], "d": [1.0] + [0.0] * 7}
    res = rma(yi, vi, mods=mods, method="DL")
    assert_close(res.tau2, 0.0231964621080383, "elementary", "tau2")
    assert_close(res.vt, 0.0353503113255175, "elementary", "vt")
    assert_close(res.se_tau2, 0.0372170190170114, "elementary", "se_tau2")
    assert_close(res.QE, 8.28094170012218, "elementary", "QE")


def test_two_studies_of_leverage_near_one_keep_their_pair_in_the_trace() -> None:
    """metafor 3.8-1: rma(yi, vi, mods = ~ x) (REML) with the data below, where the two
    studies of tiny vi fix the line (hatvalues 0.99988 and 0.99951): tau^2 0 and se.tau2
    0.0037941557465679082 = sqrt(2 / tr(PP)). Their term of tr(PP),
    2 w_1 w_2 (q_1'q_2)^2, is about 40% of it: the pair of high-leverage rows counts."""
    yi = [0.1, 0.2, 0.35, 0.3, 0.6]
    vi = [1e-6, 2e-6, 0.1, 0.2, 0.1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the variance ratio
        res = rma(yi, vi, mods={"x": [1.0, 2.0, 3.0, 4.0, 5.0]})
    assert res.tau2 == 0.0
    assert_close(res.se_tau2, 0.0037941557465679082, "closed", "se_tau2")


@pytest.mark.parametrize(
    ("ratio", "tau2"), [(1e8, 0.046465173519544108), (1e18, 0.046465173818223973)]
)
def test_pm_under_metafors_rules_is_brents_search_on_the_exact_q(ratio: float, tau2: float) -> None:
    # R 4 / metafor 3.8-1, yi as below, vi <- c(0.05 / r, rep(0.05, 7)):
    #   r = 1e8: rma(yi, vi, method = "PM")$tau2 = 0.046465173519544108
    #   r = 1e18: metafor's own 0.046467257600864481 comes from its Q(0), 13.685 for the
    #   exact 38.088 (docs/statistics.md); uniroot(f, c(0, 100), tol = 2^-13) on
    #   f(t) = Q(t) - 7 with Q from explicit residuals: 0.046465173818223973
    yi = [0.05, 0.31, 0.52, 0.22, 0.71, 0.45, 0.88, 0.60]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the variance ratio
        res = rma(yi, [0.05 / ratio] + [0.05] * 7, method="PM", control=METAFOR_DEFAULTS)
    assert res.tau2 == pytest.approx(tau2, rel=1e-11)


@pytest.mark.parametrize(
    ("vi", "control", "tau2", "se_tau2"),
    [
        # Q(0) = 2 / 2 = 1 = k - p: uniroot's f(lower) is 0 and it returns the lower end
        ([2.0, 2.0, 2.0], {}, 0.0, 2.8284271247461903),
        # Q(1) = 2 / (1 + 1) = 1 at tau2.max = 1: f(upper) is 0, uniroot returns it
        ([1.0, 1.0, 1.0], {"tau2_max": 1.0}, 1.0, 2.8284271247461903),
    ],
)
def test_pm_under_metafors_rules_returns_an_end_of_the_interval_that_is_a_root(
    vi: list[float], control: dict[str, float], tau2: float, se_tau2: float
) -> None:
    """R's uniroot returns an end of its interval where f is exactly 0 there, before any
    step of Brent's method (whose stopping point would be up to tol away). metafor 3.8-1:
    rma(c(-1, 1, 0), vi, mods = ~ c(0, 0, 1), method = "PM"), vi = c(2, 2, 2): tau2 0,
    se.tau2 2.8284271247461903; vi = c(1, 1, 1) with control = list(tau2.max = 1): tau2 1,
    se.tau2 2.8284271247461903 (with the default tau2.max: 0.99997932199195816). Study 3
    alone has x = 1, so Q(tau^2) = 2 / (vi + tau^2) exactly."""
    res = rma([-1.0, 1.0, 0.0], vi, mods=[0.0, 0.0, 1.0], method="PM",
              control={**METAFOR_DEFAULTS, **control})  # fmt: skip
    assert res.tau2 == tau2
    assert_close(res.se_tau2, se_tau2, "elementary", "se_tau2")


def test_uniroot_bisects_where_its_last_step_was_below_tolerance() -> None:
    """Brent's method (R's zeroin) falls back to bisection when the previous step was
    smaller than the tolerance or did not improve on the point before. metafor 3.8-1:
    confint(rma(c(-20, -16, 30, 12, -23), c(74, 0.009, 0.0002, 6e-06, 4e-06), method =
    "DL")) gives tau^2 626.07200306375159 with Q-profile bounds 187.42291922780922 and
    4472.7852487293158; the lower bound's search takes that step (uniroot stops where
    its path ends, within tol = 2^-13 of the root, so another path ends elsewhere)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the variance ratio
        res = rma([-20.0, -16.0, 30.0, 12.0, -23.0], [74.0, 0.009, 0.0002, 6e-06, 4e-06],
                  method="DL", control=METAFOR_DEFAULTS)  # fmt: skip
    ci = res.confint()
    assert_close(res.tau2, 626.07200306375159, "closed", "tau2")
    assert_close(ci.tau2_ci_lb, 187.42291922780922, "emulated", "tau2_ci_lb")
    assert_close(ci.tau2_ci_ub, 4472.7852487293158, "emulated", "tau2_ci_ub")


def test_reml_meta_regression_converges_where_fisher_scoring_oscillates() -> None:
    """metafor 3.8-1's rma(yi, vi, mods = ~ x) with the data below stops: "Fisher scoring
    algorithm did not converge" (its steps oscillate for 100 iterations). With
    control = list(stepadj = 0.5, threshold = 1e-12, maxiter = 10000) it reaches tau2
    0.020063567902243264, se.tau2 0.043052349835317118, logLik -0.880702252276; the
    Newton search here starts from wherever those 100 steps end and finds the same."""
    yi = [0.036, 0.186, 0.07, 0.333, -0.1, -0.149, 0.018, 0.181]
    vi = [0.061, 0.176, 0.895, 0.060, 0.103, 0.003, 0.0095, 0.254]
    x = [-0.177, 0.168, 1.074, -1.372, 0.029, -0.681, 0.79, -0.05]
    res = rma(yi, vi, mods={"x": x})
    assert_close(res.tau2, 0.020063567902243264, "tight_tau2", "tau2")
    assert_close(res.se_tau2, 0.043052349835317118, "tight", "se_tau2")
    assert_printed(res.ll_REML, "-0.880702252276", "tight", "ll_REML")


def test_reml_newton_step_below_zero_bisects_towards_an_inside_maximum() -> None:
    """Effects of order 1e-3 (vi ~ 1e-7): the Fisher steps, which stop once tau^2 moves
    by less than 1e-5, end far above the maximum, and Newton's step from there falls
    below 0; the score at 0 is positive, so the search bisects between 0 and there.
    metafor 3.8-1, rma(yi, vi, mods = ~ x, control = list(threshold = 1e-15, maxiter =
    10000)) with the data below: tau2 7.1120248830190889e-07, se.tau2
    1.2055039129789699e-06, logLik 16.1047090416 (its default threshold stops at
    1.31e-06, one step from the start)."""
    x = [-0.861, 0.629, 1.458, -0.715, -0.929]
    yi = [1e-3 * a for a in [-0.16, -0.52, -0.73, -1.09, 0.86]]
    vi = [1e-6 * a for a in [4.15, 0.43, 3.35, 0.128, 0.47]]
    res = rma(yi, vi, mods={"x": x})
    assert_close(res.tau2, 7.1120248830190889e-07, "tight_tau2", "tau2")
    assert_close(res.se_tau2, 1.2055039129789699e-06, "tight", "se_tau2")
    assert_printed(res.ll_REML, "16.1047090416", "tight", "ll_REML")


def test_ml_step_leaving_its_bracket_is_replaced_by_the_midpoint() -> None:
    """A random-effects ML fit whose Newton step overshoots the bracket of scores of
    both signs seen so far (vi from 7.5 down to 0.00023: the likelihood bends sharply
    near the maximum), which the midpoint replaces. metafor 3.8-1,
    rma(yi, vi, method = "ML", control = list(threshold = 1e-15, maxiter = 10000)) with
    the data below: tau2 0.018871449597193488, se.tau2 0.020355299420858893, logLik
    -7.62548584092."""
    yi = [-5.7, -2.5, -0.33, -0.54, -0.79]
    vi = [7.5, 0.36, 0.34, 0.0031, 0.00023]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the variance ratio
        res = rma(yi, vi, method="ML")
    assert_close(res.tau2, 0.018871449597193488, "tight_tau2", "tau2")
    assert_close(res.se_tau2, 0.020355299420858893, "tight", "se_tau2")
    assert_printed(res.ll_ML, "-7.62548584092", "tight", "ll_ML")


def test_zero_sampling_variance() -> None:
    y, v = hetero_data(6, seed=2)
    v = v.copy()
    v[2] = 0.0
    with pytest.raises(ValueError, match="vi > 0"), pytest.warns(UserWarning, match="non-positive"):
        rma(y, v, method="DL")
    with pytest.warns(UserWarning, match="sampling variances are 0"), pytest.warns(
        UserWarning, match="non-positive sampling variances"
    ):
        res = rma(y, v, method="REML")
    assert res.tau2 > 0 and res.QE is None and res.I2 is None
    with pytest.raises(ValueError, match="division by zero"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rma(y, v, method="FE")


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("yi", "vi", "match"),
    [
        ([], [], "k = 0"),
        ([0.1, np.nan, 0.3], [0.1, 0.1, 0.1], r"yi\[1\]"),
        ([0.1, 0.2, 0.3], [0.1, np.inf, 0.1], r"vi\[1\]"),
        ([0.1, 0.2, 0.3], [0.1, 0.1, -0.2], r"vi\[2\] = -0.2 is negative"),
        ([0.1, 0.2, 0.3], [0.1, 0.2], "differ in length"),
        ([[0.1, 0.2]], [[0.1, 0.2]], "one-dimensional"),
        (["a", "b"], [0.1, 0.1], "numeric"),
    ],
)
def test_input_errors_name_the_problem(yi: object, vi: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        rma(yi, vi)


def test_argument_errors() -> None:
    y, v = hetero_data(5)
    with pytest.raises(ValueError, match="unknown method"):
        rma(y, v, method="XX")
    with pytest.raises(ValueError, match="unknown test"):
        rma(y, v, test="wald")
    with pytest.raises(ValueError, match="level"):
        rma(y, v, level=100)
    with pytest.raises(ValueError, match="slab"):
        rma(y, v, slab=["a"])
    with pytest.raises(ValueError, match="only k = 2"):
        rma(y[:2], v[:2], mods=[1.0, 2.0])
    with pytest.raises(ValueError, match="full rank"):
        rma(y, v, mods=np.ones(5))
    with pytest.raises(ValueError, match="unknown control"):
        rma(y, v, control={"treshold": 1})


# --------------------------------------------------------------------------- results object


def test_result_is_immutable_and_inputs_stay_writable() -> None:
    y, v = hetero_data(6)
    res = rma(y, v)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.tau2 = 1.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        res.weights[0] = 1.0
    with pytest.raises(ValueError):
        res.yi[0] = 1.0
    y[0] = 99.0  # the caller's array is untouched and still writable
    assert res.yi[0] != 99.0


def test_a_copy_of_a_result_keeps_its_sample_sizes_and_subset_read_only() -> None:
    y, v = hetero_data(6)
    copy = dataclasses.replace(rma(y, v, ni=[20, 30, 40, 25, 35, 45], subset=[0, 2, 3, 5]))
    assert copy.ni is not None and copy.subset is not None
    with pytest.raises(ValueError, match="read-only"):
        copy.ni[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        copy.subset[1] = True


#: dat.bcg's 13 log risk ratios and their variances (metafor's escalc("RR", ...)) and
#: the studies' absolute latitudes (ablat).
BCG_YI = (-0.88931133392020545, -1.5853886572014306, -1.3480731482996933, -1.4415511900213054,
          -0.21754732221129558, -0.78611558581886398, -1.6208982235983918, 0.011952333523840508,
          -0.4694176487381494, -1.3713448034727844, -0.33935882833839059, 0.44591340057137874,
          -0.017313948216879815)
BCG_VI = (0.32558476500396133, 0.19458112139814385, 0.41536796536796539, 0.020010031902247573,
          0.051210172169630863, 0.0069056184559087574, 0.22301724757231517, 0.0039615792978177295,
          0.056434210463248966, 0.07302479361302891, 0.01241221397155972, 0.53250584520015276,
          0.071404659683986293)
BCG_ABLAT = (44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33)


@pytest.mark.parametrize(("test", "stat", "df"), [
    ("z", -3.9744479941245769, None),
    ("t", -3.9744479941245769, 12),
    ("knha", -3.9522398896779949, 12),
    ("adhoc", -3.9522398896779949, 12),
])  # fmt: skip
def test_zval_holds_the_statistic_under_every_test(test: str, stat: float, df: int | None) -> None:
    # metafor 3.8-1: res <- rma(yi, vi, data = dat, test = test); res$zval, res$dfs.
    # Code ported from R reads res$zval whatever the test; tval is the same t statistic
    # under a t-test and None under z, and df tells the two apart.
    res = rma(BCG_YI, BCG_VI, method="REML", test=test)
    assert res.zval == pytest.approx(stat, rel=1e-6)  # REML under the default control
    assert res.df == df
    assert res.tval == (None if df is None else res.zval)
    assert res.zval_beta is not None and res.zval_beta[0] == res.zval
    assert res.tval_beta is None if df is None else res.tval_beta[0] == res.zval
    d = res.to_dict()
    assert (d["zval"], d["tval"], d["df"]) == (res.zval, res.tval, df)
    # the leave-one-out fits name the statistic as the model does
    one = rma(BCG_YI[1:], BCG_VI[1:], method="REML", test=test)
    assert res.leave1out().zval[0] == pytest.approx(one.zval, rel=1e-10)


def test_zval_of_a_meta_regression_holds_every_coefficients_t_statistic() -> None:
    # metafor 3.8-1: rma(yi, vi, mods = ~ ablat, data = dat, test = "knha")$zval
    # gives 0.88565583500797251, -3.5483158718009027 (its REML stops at threshold 1e-5)
    res = rma(BCG_YI, BCG_VI, mods=BCG_ABLAT, method="REML", test="knha")
    assert res.zval_beta == pytest.approx([0.88565583500797251, -3.5483158718009027], rel=1e-4)
    assert res.tval_beta is not None and np.array_equal(res.tval_beta, res.zval_beta)
    assert res.zval == res.zval_beta[0] == res.tval
    assert "     tval  df" in res.summary()  # still printed as a t statistic, as metafor
    z = rma(BCG_YI, BCG_VI, mods=BCG_ABLAT, method="REML", test="z")
    assert z.tval_beta is None and z.tval is None and "     zval" in z.summary()


def test_to_dict_is_json_ready() -> None:
    y, v = hetero_data(7)
    res = rma(y, v, slab=[f"s{i}" for i in range(7)])
    d = res.to_dict(confint=True)
    text = json.dumps(d, allow_nan=False)
    back = json.loads(text)
    for f in dataclasses.fields(res):
        assert f.name in back
    assert back["tau2"] == res.tau2 and back["slab"][0] == "s0"
    assert back["zval"] == res.zval and back["tval"] is None
    ci = res.confint()
    assert back["tau2_ci_lb"] == ci.tau2_ci_lb and back["I2_ci_ub"] == ci.I2_ci_ub
    fe = rma(y, v, method="FE").to_dict(confint=True)
    assert fe["pi_lb"] is None and fe["se_tau2"] is None and fe["tau2_ci_lb"] is None
    json.dumps(fe, allow_nan=False)


def test_to_dict_writes_control_options_given_as_exact_numbers_as_floats() -> None:
    # a Fraction or Decimal control option fits as its float (the solvers call float()
    # on it) and was kept as given in to_dict(), which json.dumps then refused
    from decimal import Decimal
    from fractions import Fraction

    y, v = hetero_data(7)
    res = rma(y, v, control={"tol": Fraction(1, 10**10), "tau2_init": Decimal("0.5")})
    back = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert back["control"]["tol"] == 1e-10 and back["control"]["tau2_init"] == 0.5
    assert back["control"]["maxiter"] == 1000 and back["control"]["threshold"] is None


def test_to_dict_marks_a_tau2_bound_beyond_the_search_interval() -> None:
    # Two studies far apart: Q stays above the lower chi-square quantile up to the largest
    # tau^2 searched (100), so the upper bound is that end, marked ">" as metafor prints it.
    d = rma([0.0, 1.0], [0.01, 0.01]).to_dict(confint=True)
    assert d["tau2_ci_ub"] == 100.0 and d["ci_ub_sign"] == ">" and d["ci_lb_sign"] == ""
    y, v = hetero_data(7)
    d = rma(y, v).to_dict(confint=True)
    assert d["ci_lb_sign"] == d["ci_ub_sign"] == "" and d["tau2_ci_ub"] < 100.0
    assert rma(y, v, method="FE").to_dict(confint=True)["ci_ub_sign"] == ""


def test_default_slab_is_one_to_k() -> None:
    res = rma([0.1, 0.2, 0.3], [0.1, 0.1, 0.1])
    assert res.slab == ("1", "2", "3")
    assert list(res.slab) == ["1", "2", "3"] and res.slab[-1] == "3" and len(res.slab) == 3


def test_level_sets_the_quantile() -> None:
    y, v = hetero_data(10)
    res = rma(y, v, level=90)
    assert (res.ci_ub - res.estimate) / res.se == pytest.approx(1.6448536269514722, rel=1e-14)
    kh = rma(y, v, level=90, test="knha")
    assert (kh.ci_ub - kh.estimate) / kh.se == pytest.approx(dist.t_isf(0.05, 9), rel=1e-14)


def test_prediction_intervals() -> None:
    y, v = hetero_data(10)
    res = rma(y, v)
    z = dist.norm_isf(0.025)
    half = z * math.sqrt(res.se**2 + res.tau2)
    assert res.pi_lb == pytest.approx(res.estimate - half, rel=1e-14)
    pr = res.predict()
    assert pr.pi_ub == pytest.approx(res.pi_ub, rel=1e-14) and pr.pi_df is None
    riley = res.predict(pi_type="riley")
    assert riley.pi_df == 8
    assert riley.pi_ub - riley.pred == pytest.approx(
        dist.t_isf(0.025, 8) * math.sqrt(res.se**2 + res.tau2), rel=1e-13
    )
    assert rma(y, v, method="FE").pi_lb is None


# metafor 3.8-1, FE fits of
#   yi <- c(0.1, 0.3, 0.5, 0.2, 0.4, 0.9, 0.35); vi <- c(0.01, 0.02, 0.03, 0.04, 0.05, 0.01, 0.02)
#   x1 <- c(1, 2, 3, 4, 5, 6, 2); x2 <- c(2, 1, 4, 3, 6, 5, 1)
# name the coefficients (coef(res)) as below: an unnamed matrix's columns are named "",
# and metafor's .make.unique turns repeated names into name.1, name.2, ...
NAMING_YI = [0.1, 0.3, 0.5, 0.2, 0.4, 0.9, 0.35]
NAMING_VI = [0.01, 0.02, 0.03, 0.04, 0.05, 0.01, 0.02]
NAMING_X1 = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 2.0]
NAMING_X2 = [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 1.0]


@pytest.mark.parametrize(
    ("mods", "intercept", "names", "beta"),
    [
        # mods = cbind(x1, x2) unnamed, i.e. matrix(c(x1, x2), ncol = 2)
        (np.column_stack([NAMING_X1, NAMING_X2]), True, ("intrcpt", ".1", ".2"),
         [0.0025716145833331316, 0.1674153645833340587, -0.0351888020833337686]),
        # matrix(x1, ncol = 1)
        (np.array(NAMING_X1)[:, None], True, ("intrcpt", ""),
         [-0.018608080212326475, 0.141005603066941876]),
        # mods = x1 (a vector)
        (NAMING_X1, True, ("intrcpt", "mods"), [-0.018608080212326475, 0.141005603066941876]),
        # metafor leaves these two unnamed; named by the same rule here
        (np.column_stack([NAMING_X1, NAMING_X2]), False, (".1", ".2"),
         [0.167526086516057049, -0.034657076284064149]),
        # cbind(intrcpt = x1, x2): the name clashes with the intercept's
        ({"intrcpt": NAMING_X1, "x2": NAMING_X2}, True, ("intrcpt.1", "intrcpt.2", "x2"),
         [0.0025716145833331316, 0.1674153645833340587, -0.0351888020833337686]),
    ],
)
def test_coefficients_are_named_as_metafor_names_them(
    mods: object, intercept: bool, names: tuple[str, ...], beta: list[float]
) -> None:
    res = rma(NAMING_YI, NAMING_VI, method="FE", mods=mods, intercept=intercept)
    assert res.coef_names == names
    assert res.beta == pytest.approx(beta, rel=1e-12)


def test_repeated_column_names_of_a_data_frame_stay_separate_coefficients() -> None:
    pd = pytest.importorskip("pandas")
    # metafor: d <- data.frame(x1, x1^2); names(d) <- c("x", "x")
    #   coef(rma(yi, vi, mods = as.matrix(d), method = "FE"))
    #   intrcpt 0.105783704188485428, x.1 0.038549165575915714, x.2 0.014318144633508403
    x = np.array(NAMING_X1)
    frame = pd.DataFrame(np.column_stack([x, x**2]), columns=["x", "x"])
    res = rma(NAMING_YI, NAMING_VI, method="FE", mods=frame)
    assert res.coef_names == ("intrcpt", "x.1", "x.2")
    assert res.beta == pytest.approx(
        [0.105783704188485428, 0.038549165575915714, 0.014318144633508403], rel=1e-10
    )


def test_meta_regression_and_prediction() -> None:
    rng = np.random.default_rng(12)
    k = 20
    x = rng.uniform(0, 10, k)
    v = rng.uniform(0.01, 0.1, k)
    y = 0.5 - 0.1 * x + rng.normal(0, np.sqrt(v + 0.02))
    res = rma(y, v, mods={"dose": x})
    assert res.coef_names == ("intrcpt", "dose") and res.p == 2
    assert res.QM == pytest.approx((res.beta[1] / res.se_beta[1]) ** 2, rel=1e-12)
    # the weighted least-squares normal equations hold at the estimate
    w = 1 / (v + res.tau2)
    X = np.column_stack([np.ones(k), x])
    assert np.allclose(X.T @ (w * (y - X @ res.beta)), 0.0, atol=1e-9)
    pr = res.predict(newmods=[0.0, 5.0])
    assert pr.pred[0] == pytest.approx(res.beta[0], rel=1e-13)
    assert pr.pred[1] == pytest.approx(res.beta[0] + 5 * res.beta[1], rel=1e-13)
    assert 0.0 <= res.R2 <= 100.0
    assert rma(y, v).R2 is None


def test_subgroups_match_the_factor_model() -> None:
    y, v = hetero_data(12, seed=8)
    g = ["a", "b", "c"] * 4
    res = subgroups(y, v, g)
    assert res.levels == ("a", "b", "c")
    for lev in res.levels:
        sel = np.array([x == lev for x in g])
        assert res.fits[lev].estimate == pytest.approx(rma(y[sel], v[sel]).estimate, rel=1e-14)
    dummies = np.column_stack([[x == "b" for x in g], [x == "c" for x in g]]).astype(float)
    full = rma(y, v, mods=dummies)
    assert res.QM == pytest.approx(full.QM, rel=1e-12) and res.QMdf == (2, None)
    json.dumps(res.to_dict(), allow_nan=False)


# --------------------------------------------------------------------------- batch solver


@pytest.mark.filterwarnings("ignore:the Knapp-Hartung method is not meant")
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("test", ["z", "knha"])
def test_fit_batch_equals_one_fit_per_row(method: str, test: str) -> None:
    rng = np.random.default_rng(21)
    k, n = 15, 12
    y, v = hetero_data(k, seed=13)
    mask = rng.random((n, k)) < 0.7
    mask[:, :3] = True  # at least three studies per fit
    bf = fit_batch(y, v, mask, method=method, test=test, loglik=True)
    for r in range(n):
        one = rma(y[mask[r]], v[mask[r]], method=method, test=test)
        for key in ("estimate", "se", "pval", "ci_lb", "ci_ub", "tau2", "I2", "QE", "ll_REML"):
            ours = getattr(bf, key)[r]
            assert ours == pytest.approx(getattr(one, key), rel=1e-9, abs=1e-13), (key, r)
        if method not in ("FE", "EE"):
            assert bf.pi_ub[r] == pytest.approx(one.pi_ub, rel=1e-9)


def test_fit_batch_with_per_row_data() -> None:
    rng = np.random.default_rng(2)
    Y = rng.normal(0, 0.5, (4, 9))
    V = rng.uniform(0.02, 0.2, (4, 9))
    bf = fit_batch(Y, V, method="REML")
    for r in range(4):
        assert bf.tau2[r] == pytest.approx(rma(Y[r], V[r]).tau2, rel=1e-9, abs=1e-14)


def test_emulation_of_metafor_defaults_is_close_to_the_exact_root() -> None:
    y, v = hetero_data(30, seed=6)
    for method in ("REML", "ML", "EB", "PM", "PMM"):
        exact = rma(y, v, method=method).tau2
        rough = rma(y, v, method=method, control=METAFOR_DEFAULTS).tau2
        assert exact != rough  # the emulation really stops early
        assert rough == pytest.approx(exact, abs=2.0**-13)


def test_large_k_runs_without_quadratic_memory() -> None:
    rng = np.random.default_rng(0)
    k = 100_000
    v = rng.uniform(0.01, 0.5, k)
    y = rng.normal(0.3, np.sqrt(v + 0.1))
    res = rma(y, v)
    w = 1 / (v + res.tau2)
    assert res.estimate == pytest.approx(np.sum(w * y) / np.sum(w), rel=1e-12)
    assert res.tau2 == pytest.approx(0.1, rel=0.05)


def test_bias_methods_delegate_to_the_bias_module() -> None:
    bias = pytest.importorskip("metareview.bias")
    y, v = hetero_data(12, seed=14)
    res = rma(y, v)
    assert res.regtest() == bias.regtest(res, model="rma", predictor="sei")
    assert res.ranktest() == bias.ranktest(res)
    assert res.fsn() == bias.fsn(res.yi, res.vi)
    assert res.trimfill().k0 == bias.trimfill(res, side=None, estimator="L0").k0
    # A meta-regression's fail-safe N would leave its moderators out without a word.
    with pytest.raises(ValueError, match="this model has moderators"):
        rma(y, v, mods=np.arange(12.0)).fsn()


def test_results_compare_by_identity_not_elementwise() -> None:
    y, v = hetero_data(5)
    a, b = rma(y, v), rma(y, v)
    assert a == a and a != b  # no "truth value of an array is ambiguous" error
    assert a.to_dict() == b.to_dict()  # compare fits through their plain values


# --- control tau2_max: metafor's tau2.max ---------------------------------------------------------


def test_tau2_max_is_the_end_of_the_q_profile_search_higher_or_lower() -> None:
    # metafor's confint.rma.uni takes a model's control tau2.max as the end of the search
    # interval, in place of its default max(100, 10 tau2): it can lower the end, not only
    # raise it. Equal variances 1 and y = 0, 3, 6: Q(tau2) = 18 / (1 + tau2), so the bounds
    # solve 18 / (1 + t) = chi2 quantile on 2 df by hand; REML's tau2 = 18/2 - 1 = 8.
    from scipy import stats

    y, v = [0.0, 3.0, 6.0], [1.0, 1.0, 1.0]
    lower = 18.0 / stats.chi2.ppf(0.975, 2) - 1.0  # 1.4398
    upper = 18.0 / stats.chi2.ppf(0.025, 2) - 1.0  # 354.5, beyond the default end of 100
    default = rma(y, v, method="REML").confint()
    assert default.tau2_ci_ub == 100.0 and default.ub_sign == ">"
    raised = rma(y, v, method="REML", control={"tau2_max": 500.0}).confint()
    assert raised.tau2_ci_lb == pytest.approx(lower, rel=1e-10)
    assert raised.tau2_ci_ub == pytest.approx(upper, rel=1e-10) and raised.ub_sign == ""
    lowered = rma(y, v, method="REML", control={"tau2_max": 50.0}).confint()
    assert lowered.tau2_ci_ub == 50.0 and lowered.ub_sign == ">"
    assert lowered.tau2_ci_lb == pytest.approx(lower, rel=1e-10)


def test_tau2_max_bounds_metafors_paule_mandel_search() -> None:
    # metafor's PM: uniroot on [0, tau2.max] for Q(tau2) = k - 1, stopping with "Value of
    # 'tau2.max' too low" when Q(tau2.max) is still above it. Here Q(tau2) = 18 / (1 + tau2)
    # = 2 at tau2 = 8 (see above): found under 100 (the default), refused under 5.
    y, v = [0.0, 3.0, 6.0], [1.0, 1.0, 1.0]
    assert rma(y, v, method="PM", control=dict(METAFOR_DEFAULTS)).tau2 == pytest.approx(8.0, abs=2.0**-13)
    with pytest.raises(ValueError, match="tau2.max too"):
        rma(y, v, method="PM", control={**METAFOR_DEFAULTS, "tau2_max": 5.0})


def test_eb_with_a_study_of_zero_variance_is_metafors_fixed_point() -> None:
    # metafor's EB iteration (rma(method = "EB")) runs with a study of vi = 0 where DL,
    # PM, PMM and HS refuse; its fixed point solves Q(tau^2) = k - p for tau^2 > 0.
    # Expected values: metafor 3.8-1, control = list(threshold = 1e-12, maxiter = 10000).
    yi = [0.3, 0.12, 0.55, 0.41, 0.2, 0.62]
    vi = [0.04, 0.0, 0.05, 0.03, 0.06, 0.02]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Q, I^2, H^2 are not computed
        res = rma(yi, vi, method="EB")
        assert_close(res.tau2, 0.0221494928954293, "tight_tau2", "tau2")
        assert_close(res.estimate, 0.3293649219210543, "tight", "estimate")
        # without study 6 metafor fails from its start tau^2 = max(0, HE) = 0 (an
        # infinite weight); from tau2.init = 0.01 it converges to the root found here
        assert_close(rma(yi[:5], vi[:5], method="EB").tau2, 0.00908705731965926, "tight_tau2", "tau2")
        # with a moderator (the general solver), exactly and with metafor's own iteration
        x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
        for control, tol in ((None, "tight"), ({"threshold": 1e-12, "maxiter": 10000}, "emulated")):
            mr = rma(yi, vi, mods=x, method="EB", control=control)
            assert_close(mr.tau2, 0.0073421240426103894, for_quantity(tol, "tau2"), "tau2")
            assert_close(mr.beta, [-0.0029190200444426107, 0.093264761295872869], tol, "beta")
        # studies 1 and 2: Q(0+) = 0.18^2 / 0.04 = 0.81 < k - 1, so tau^2 = 0 and the
        # weight of study 2 is infinite (metafor: "Division by zero ...")
        with pytest.raises(ValueError, match="division by zero"):
            rma(yi[:2], vi[:2], method="EB")
        for method in ("DL", "PM", "PMM", "HS"):
            with pytest.raises(ValueError, match="vi > 0"):
                rma(yi, vi, method=method)


#: Eleven studies whose ML likelihood, in a regression on sqrt(vi), has a local maximum at
#: tau^2 = 0 (log-likelihood -6.9688) and a higher one inside (-6.7883).
BIMODAL_Y = [-0.132, 0.124, 0.112, 1.118, 0.744, 0.24, -0.749, -0.1, 0.617, -0.233, -0.265]
BIMODAL_V = [0.2981, 0.0773, 0.0068, 0.2551, 0.1311, 0.1145, 0.2292, 0.2998, 0.0464, 0.2396, 0.2948]


def test_ml_meta_regression_finds_metafors_interior_maximum() -> None:
    # metafor 3.8-1: rma(y, v, mods = ~ sqrt(v), method = "ML", control = list(threshold
    # = 1e-12)): tau2 = 0.036317694718171985, logLik = -6.788295156232353. A Newton step
    # from the start (HE) jumped over that maximum to the one at 0.
    res = rma(BIMODAL_Y, BIMODAL_V, mods=np.sqrt(BIMODAL_V), method="ML")
    assert_close(res.tau2, 0.036317694718171985, "tight_tau2", "tau2")
    # closed given tau2, and flat in tau2 at the maximum
    assert_close(res.ll_ML, -6.788295156232353, "closed", "ll_ML")


# --- inputs a user can get wrong: each message names what was expected ----------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"mods": {"a": [1.0, 2.0]}}, r"moderator 'a' has length 2, expected k = 5"),
        ({"mods": [1.0, 2.0]}, r"mods has 2 rows, expected k = 5"),
        ({"mods": np.ones((5, 1, 1))}, r"mods must be 1-D or 2-D, got shape \(5, 1, 1\)"),
        ({"mods": [1.0, 2.0, np.nan, 4.0, 5.0]}, r"moderator 'mods' is not finite for study 2"),
        ({"mods": {}, "intercept": False}, "without intercept needs at least one moderator"),
        (
            {"mods": {"x": [1.0, 2.0, 3.0, 4.0]}, "subset": [0, 1, 2]},
            r"mods\['x'\] has 4 values for the k = 5 studies subset selects from",
        ),
        ({"subset": [[0, 1]]}, r"subset must be one-dimensional, got shape \(1, 2\)"),
        ({"subset": [0.5, 1.0]}, "subset must be a boolean mask or integer indices"),
        ({"subset": ["a", "b"]}, "subset must be a boolean mask or integer indices"),
        ({"control": {"tol": 2}}, r"control\['tol'\] must lie in \(0, 1\), got 2"),
        ({"control": {"maxiter": 0}}, r"control\['maxiter'\] must be >= 1, got 0"),
    ],
)
def test_model_argument_errors_name_what_was_expected(kwargs: dict, match: str) -> None:
    y, v = hetero_data(5)
    with pytest.raises(ValueError, match=match):
        rma(y, v, **kwargs)


def test_a_data_frame_of_moderators_must_cover_the_studies_subset_selects_from() -> None:
    pd = pytest.importorskip("pandas")
    y, v = hetero_data(5)
    with pytest.raises(ValueError, match="mods has 4 rows for the k = 5 studies subset selects"):
        rma(y, v, mods=pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}), subset=[0, 1, 2])


@pytest.mark.parametrize("container", ["frame", "dict"])
def test_subset_selects_the_rows_of_named_moderators(container: str) -> None:
    """An equal-effects meta-regression on the studies subset keeps: the weighted least
    squares estimate b = (X'WX)^-1 X'Wy, W = diag(1/vi), se = sqrt(diag((X'WX)^-1)),
    written out on the kept rows."""
    pd = pytest.importorskip("pandas")
    y, v = hetero_data(7, seed=3)
    x = np.array([1.0, 4.0, 2.0, 8.0, 5.0, 7.0, 3.0])
    keep = [0, 2, 3, 5, 6]
    mods = pd.DataFrame({"x": x}) if container == "frame" else {"x": x}
    res = rma(y, v, mods=mods, subset=keep, method="FE")
    X = np.column_stack([np.ones(5), x[keep]])
    W = np.diag(1.0 / v[keep])
    cov = np.linalg.inv(X.T @ W @ X)
    assert res.coef_names == ("intrcpt", "x")
    np.testing.assert_allclose(res.beta, cov @ X.T @ W @ y[keep], rtol=1e-12)
    np.testing.assert_allclose(res.se_beta, np.sqrt(np.diag(cov)), rtol=1e-12)


def test_a_model_without_intercept_or_moderators_gets_the_intercept_with_a_warning() -> None:
    """metafor: "Must either include an intercept and/or moderators in model. Coercing
    intercept into the model." The fit is then the equal-effects mean sum(w y) / sum(w),
    w = 1/vi, with se = 1/sqrt(sum(w))."""
    y, v = hetero_data(6, seed=4)
    with pytest.warns(UserWarning, match="needs an intercept or moderators; intercept added"):
        res = rma(y, v, method="FE", intercept=False)
    w = 1.0 / v
    assert res.coef_names == ("intrcpt",)
    assert res.estimate == pytest.approx(np.sum(w * y) / np.sum(w), rel=1e-12)
    assert res.se == pytest.approx(1.0 / math.sqrt(np.sum(w)), rel=1e-12)


def test_methods_refuse_what_the_model_cannot_give() -> None:
    y, v = hetero_data(5)
    # metafor's confint.rma.uni: "Model does not contain a (residual) heterogeneity parameter."
    with pytest.raises(ValueError, match="FE/EE model has no random-effects component"):
        rma(y, v, method="FE").confint()
    with pytest.raises(ValueError, match="unknown pi_type 'x'; choose 'default', 'riley' or 't'"):
        rma(y, v).predict(pi_type="x")


def test_subgroups_refuse_groups_that_do_not_split_the_studies() -> None:
    y, v = hetero_data(5)
    with pytest.raises(ValueError, match="groups has 2 entries, expected k = 5"):
        subgroups(y, v, groups=["a", "b"])
    with pytest.raises(ValueError, match="needs at least two groups"):
        subgroups(y, v, groups=["a"] * 5)


def test_estimate_tau2_argument_errors_name_what_was_expected() -> None:
    y, v = hetero_data(5)
    with pytest.raises(ValueError, match=r"unknown method 'XX'; choose one of \['FE'"):
        estimate_tau2(y, v, method="XX")
    with pytest.raises(ValueError, match="X has 4 rows, expected k = 5"):
        estimate_tau2(y, v, X=np.ones((4, 1)))
    with pytest.raises(ValueError, match="6 coefficients cannot be estimated from k = 5"):
        estimate_tau2(y, v, method="FE", X=np.ones((5, 6)))


def test_estimate_tau2_reads_a_one_dimensional_x_as_one_column() -> None:
    """X = x (1-D) is the design with the single column x; metafor 3.8-1 for the same
    data, ``rma(y, v, mods = ~ x - 1, method = "HE")``, gives tau2 0.22725320857680367
    and se.tau2 0.24431035622969574."""
    y = [0.031980514761960455, -0.12310354417179536, 0.848900667220756,
         1.284721867509333, 0.529569447678171, -0.29895791487841883]  # fmt: skip
    v = [0.24345084788616025, 0.2443028290235832, 0.15944441270222118,
         0.09288240022556106, 0.025639903690680366, 0.12117697542780027]  # fmt: skip
    x = np.array([1.0, 2.0, 0.5, 3.0, 1.5, 2.5])
    for X in (x, x[:, None]):
        tau2, se_tau2 = estimate_tau2(y, v, method="HE", X=X)
        assert_close(tau2, 0.22725320857680367, "closed", "HE tau2")
        assert_close(se_tau2, 0.24431035622969574, "closed", "HE se_tau2")


@pytest.mark.parametrize(
    ("y", "v", "match"),
    [
        (np.array([0.1, 0.2, 0.3]), np.array([0.1, 0.2]), "same 1-D or 2-D shape"),
        (np.ones((2, 2, 2)), np.ones((2, 2, 2)), "same 1-D or 2-D shape"),
        (np.array([0.1, np.nan]), np.array([0.1, 0.1]), "yi and vi must be finite"),
        (np.array([0.1, 0.2]), np.array([0.1, -0.1]), r"vi must be >= 0"),
    ],
)
def test_fit_batch_input_errors(y: np.ndarray, v: np.ndarray, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        fit_batch(y, v)


# --- q_profile_ci, the Q-profile interval on its own -----------------------------------------


@pytest.mark.parametrize(
    "name",
    [n for n in FIXTURE_FILES if "REML" in load_fixture(n).get("models_tight", {})],
)
def test_q_profile_ci_is_metafors_confint(name: str) -> None:
    """q_profile_ci at metafor's converged REML tau^2 gives confint.rma.uni's bounds
    (models_tight: threshold and uniroot tol 1e-12)."""
    d = load_fixture(name)
    ref = d["models_tight"]["REML"]
    ci = q_profile_ci(
        d["yi"], d["vi"], tau2=ref["tau2"], vt=ref["vt"], I2=ref["I2"], H2=ref["H2"],
        control={"tol": 1e-12, "maxiter": 10000},
    )  # fmt: skip
    for key, ours in (
        ("tau2_lb", ci.tau2_ci_lb), ("tau2_ub", ci.tau2_ci_ub),
        ("I2_lb", ci.I2_ci_lb), ("I2_ub", ci.I2_ci_ub),
        ("H2_lb", ci.H2_ci_lb), ("H2_ub", ci.H2_ci_ub),
    ):  # fmt: skip
        assert_close(ours, ref["confint"][key], for_quantity("tight", key), f"{name}.{key}")
    assert (ci.lb_sign, ci.ub_sign) == (ref["confint"]["lb_sign"], ref["confint"]["ub_sign"])
    # an intercept-only model's design is the column of ones
    ones = q_profile_ci(
        d["yi"], d["vi"], X=np.ones((len(d["yi"]), 1)), tau2=ref["tau2"], vt=ref["vt"],
        I2=ref["I2"], H2=ref["H2"], control={"tol": 1e-12, "maxiter": 10000},
    )  # fmt: skip
    for key in ("tau2_ci_lb", "tau2_ci_ub", "I2_ci_lb", "I2_ci_ub"):
        assert getattr(ones, key) == pytest.approx(getattr(ci, key), rel=1e-12, abs=1e-300)


def test_confint_result_converts_to_plain_values_and_shows_its_table() -> None:
    ci = rma(*hetero_data(8, seed=6)).confint()
    d = ci.to_dict()
    # the fixed effects' part only when confint(fixed=True) asked for it
    assert list(d) == [f.name for f in dataclasses.fields(ci) if f.name != "fixed"]
    assert json.loads(json.dumps(d)) == d

    class Printer:
        out = ""

        def text(self, s: str) -> None:
            self.out += s

    p = Printer()
    ci._repr_pretty_(p, False)
    assert p.out == ci.summary() == str(ci)


def test_study_labels_behave_as_a_tuple_of_strings() -> None:
    default, given = StudyLabels(4), StudyLabels(3, ["a", "b", "c"])
    assert default[1:3] == ("2", "3") and default[-1] == "4"
    assert given[1:] == ("b", "c")
    assert default == StudyLabels(4, ["1", "2", "3", "4"]) == ["1", "2", "3", "4"]
    assert given != ("a", "b") and (given == 3) is False
    assert hash(default) == hash(("1", "2", "3", "4"))
    assert repr(default) == "StudyLabels(1..4)"
    assert repr(given) == "StudyLabels(('a', 'b', 'c'))"


# --- an iteration limit a user sets too low: the fit says it did not converge ----------------


@pytest.mark.parametrize(
    ("method", "metafor_rules", "moderator", "match"),
    [
        ("REML", False, False, r"REML estimation of tau\^2 did not converge in 1 iterations for 1 fit"),
        ("REML", False, True, r"REML estimation of tau\^2 did not converge in 1 iterations$"),
        ("ML", False, False, r"ML estimation of tau\^2 did not converge in 1 iterations for 1 fit"),
        ("PMM", False, True, "Q-statistic root search did not converge in 1 iterations"),
        # metafor's own messages under its stopping rules
        ("REML", True, False, "Fisher scoring algorithm did not converge"),
        ("ML", True, True, "Fisher scoring algorithm did not converge"),
        ("EB", True, False, "Fisher scoring algorithm did not converge"),
    ],
)
def test_too_few_iterations_are_reported_not_returned(
    method: str, metafor_rules: bool, moderator: bool, match: str
) -> None:
    """maxiter = 1 stops each iterative estimator before it settles on these data; metafor
    stops with an error as well ("Fisher scoring algorithm did not converge. See
    'help(rma)' for possible remedies."). Its PM and PMM under uniroot_tol do not stop,
    as metafor's uniroot does not (tests/reference/test_pm_maxiter_metafor.py)."""
    y, v = hetero_data(12, seed=1)
    x = np.random.default_rng(1).normal(size=12) if moderator else None
    con = {**METAFOR_DEFAULTS, "maxiter": 1} if metafor_rules else {"maxiter": 1}
    with pytest.raises(RuntimeError, match=match), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rma(y, v, method=method, mods=x, control=con)


@pytest.mark.parametrize("method", ["REML", "ML", "PM", "PMM", "EB"])
def test_a_batch_with_too_few_iterations_says_how_many_fits_did_not_converge(method: str) -> None:
    y, v = hetero_data(12, seed=1)
    with pytest.raises(RuntimeError, match="did not converge in 1 iterations"):
        fit_batch(np.vstack([y, y[::-1]]), np.vstack([v, v]), method=method, control={"maxiter": 1})


@pytest.mark.parametrize(
    ("method", "tau2", "beta"),
    [
        ("PM", 0.14213126335464474, [0.22191619990637684, -0.028564530541052291]),
        ("PMM", 0.16155034044928779, [0.21560281160841338, -0.028438025257185494]),
    ],
)
def test_a_paule_mandel_meta_regression_under_metafors_rules_is_metafors(
    method: str, tau2: float, beta: list[float]
) -> None:
    """control=METAFOR_DEFAULTS reproduces metafor 3.8-1's default output, uniroot's early
    stop included: with dat <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg,
    data = dat.bcg), rma(yi, vi, mods = ~ ablat, data = dat, method = "PM" / "PMM")."""
    d = load_fixture("dat.bcg__RR.json")
    res = rma(d["yi"], d["vi"], mods={"ablat": d["input"]["ablat"]}, method=method,
              control=METAFOR_DEFAULTS)  # fmt: skip
    assert_close(res.tau2, tau2, "emulated", f"{method} tau2")
    assert_close(res.beta, beta, "emulated", f"{method} beta")


def test_estimators_that_divide_by_vi_refuse_a_zero_in_a_meta_regression() -> None:
    # metafor: "DL estimator cannot be used when there are non-positive sampling variances
    # in the data."
    with (
        pytest.raises(ValueError, match="the DL estimator needs all sampling variances vi > 0"),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        rma([0.1, 0.5, 0.3, 0.8], [0.0, 0.2, 0.1, 0.3], mods=[1.0, 2.0, 3.0, 5.0], method="DL")


def test_one_study_has_no_heterogeneity_to_estimate_with_any_design() -> None:
    # metafor fits k = 1 with tau^2 = 0 (no se); X of one row of ones is that model
    for method in ("REML", "DL", "PM"):
        assert estimate_tau2([0.3], [0.1], method, X=[[1.0]]) == (0.0, None)


@pytest.mark.parametrize("method", ["REML", "ML"])
@pytest.mark.parametrize("tau2_init", [0.0, 0.05, 3.0])
def test_a_given_starting_value_converges_to_metafors_tau2(method: str, tau2_init: float) -> None:
    """metafor's control tau2.init only moves the start of the iterations: from any start
    the fit reaches metafor's converged tau^2 (models_tight of dat.bcg, RR)."""
    d = load_fixture("dat.bcg__RR.json")
    res = rma(d["yi"], d["vi"], method=method, control={"tau2_init": tau2_init})
    ref = d["models_tight"][method]
    assert_close(res.tau2, ref["tau2"], for_quantity("tight", "tau2"), f"{method} tau2")
    assert_close(res.estimate, ref["estimate"], "tight", f"{method} estimate")


def test_a_batch_of_rows_with_a_zero_variance_fits_each_row() -> None:
    """HE needs no 1/vi, so a row with vi = 0 is fitted like the others: for an
    intercept-only model tau^2 = max(0, sum (y - ybar)^2 / (k - 1) - mean(vi)) (Hedges
    1983; tr(P V) = (1 - 1/k) sum vi for P = I - J/k)."""
    y = np.array([[0.1, 0.5, 0.3, 0.9, 0.2], [0.4, 0.2, 0.8, 1.1, 0.0]])
    v = np.array([[0.0, 0.02, 0.03, 0.01, 0.02], [0.01, 0.02, 0.0, 0.03, 0.02]])
    fits = fit_batch(y, v, method="HE")
    expected = np.maximum(0.0, y.var(axis=1, ddof=1) - v.mean(axis=1))
    np.testing.assert_allclose(fits.tau2, expected, rtol=1e-12)


def test_a_batch_row_with_a_zero_variance_and_no_heterogeneity_is_refused() -> None:
    # an equal-effects fit gives the study with vi = 0 an infinite weight; metafor's rma
    # stops ("Division by zero when computing the inverse variance weights.")
    y = np.array([[0.1, 0.5, 0.3], [0.4, 0.2, 0.8]])
    v = np.array([[0.0, 0.02, 0.03], [0.01, 0.02, 0.03]])
    with pytest.raises(ValueError, match="division by zero .* a study has vi = 0 and tau\\^2 = 0"):
        fit_batch(y, v, method="FE")


def test_weights_on_no_more_studies_than_coefficients_leave_r2_undefined() -> None:
    """metafor 3.8-1, rma(yi, vi, mods = ~ x, method = "FE", weights = c(1, 2, 0, 0, 0))
    with the data below: the line through the two weighted studies, (1, 0.1) and (2, 0.5),
    b = (-0.3, 0.4), se 0.77459666924148363 and 0.54772255750516641, and R^2 NaN (the
    adjusted R^2 of lm() on two studies has no residual df)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = rma([0.1, 0.5, 0.3, 0.8, 0.2], [0.1, 0.2, 0.15, 0.1, 0.3],
                  mods={"x": [1.0, 2.0, 3.0, 5.0, 4.0]}, method="FE", weights=[1, 2, 0, 0, 0])  # fmt: skip
    assert math.isnan(res.R2)
    assert_close(res.beta, [-0.3, 0.4], "closed", "beta")
    assert_close(res.se_beta, [0.77459666924148363, 0.54772255750516641], "closed", "se")


def test_eb_meta_regression_of_data_without_sampling_error_is_the_residual_variance() -> None:
    """With every vi = 0, Q(tau^2) = RSS / tau^2 and EB's Q = k - p gives tau^2 = RSS /
    (k - p) of the ordinary least squares line: here b = (0.05, 0.11), residuals -0.06,
    0.23, -0.08, 0.20, -0.29, whose squares sum to RSS = 0.187, and tau^2 = 0.187 / 3
    (metafor 3.8-1: 0.062333333333333345)."""
    x = [1.0, 2.0, 3.0, 5.0, 4.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = rma([0.1, 0.5, 0.3, 0.8, 0.2], [0.0] * 5, mods=x, method="EB")
    assert res.tau2 == pytest.approx(0.187 / 3, rel=1e-12)
    np.testing.assert_allclose(res.beta, [0.05, 0.11], rtol=1e-12)


def test_eb_meta_regression_with_a_zero_variance_and_an_exact_fit_is_refused() -> None:
    # yi on the line 0.2 + 0.1 x: Q is 0 at every tau^2, the root is 0, where the study of
    # vi = 0 has infinite weight; metafor: "Division by zero when computing the inverse
    # variance weights."
    x = np.array([1.0, 2.0, 3.0, 5.0, 4.0])
    with (
        pytest.raises(ValueError, match="division by zero .* study '1' has sampling variance vi = 0"),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        rma(0.2 + 0.1 * x, [0.0, 0.1, 0.2, 0.1, 0.1], mods=x, method="EB")


def test_subgroups_by_a_boolean_column_keep_plain_levels() -> None:
    """groups = a boolean column (e.g. ``df.blinded``): the levels are False and True, in
    to_dict as JSON's false and true, and each fit is its group's equal-effects mean
    sum(y / v) / sum(1 / v)."""
    y = np.array([0.1, 0.5, 0.3, 0.8, 0.2, 0.6])
    v = np.array([0.1, 0.2, 0.15, 0.1, 0.3, 0.12])
    g = np.array([True, False, True, False, True, False])
    d = subgroups(y, v, groups=g, method="FE").to_dict()
    assert d["levels"] == [False, True] and json.loads(json.dumps(d))["levels"] == [False, True]
    for level, rows in (("False", ~g), ("True", g)):
        mean = float(np.sum(y[rows] / v[rows]) / np.sum(1 / v[rows]))
        assert d["fits"][level]["estimate"] == pytest.approx(mean, rel=1e-12)


@pytest.mark.parametrize("method", ["REML", "ML"])
def test_a_batch_from_a_given_starting_value_reaches_metafors_tau2(method: str) -> None:
    """fit_batch with control tau2_init: dat.bcg (RR) and the same studies in reverse
    order both reach metafor's converged tau^2 (models_tight)."""
    d = load_fixture("dat.bcg__RR.json")
    y, v = np.array(d["yi"]), np.array(d["vi"])
    fits = fit_batch(np.vstack([y, y[::-1]]), np.vstack([v, v[::-1]]), method=method,
                     control={"tau2_init": 2.0})  # fmt: skip
    ref = d["models_tight"][method]["tau2"]
    assert_close(fits.tau2, [ref, ref], for_quantity("tight", "tau2"), f"{method} tau2")


def test_notebooks_display_the_subgroup_table() -> None:
    class Printer:
        out = ""

        def text(self, s: str) -> None:
            self.out += s

    y, v = hetero_data(8, seed=7)
    sub = subgroups(y, v, groups=["a", "b"] * 4)
    p = Printer()
    sub._repr_pretty_(p, False)
    assert p.out == sub.summary() == str(sub)


def test_fit_batch_refuses_a_mask_that_does_not_fit_the_data() -> None:
    y, v = hetero_data(5)
    with pytest.raises(ValueError, match=r"mask must be 2-D \(fits x studies\), got shape \(5,\)"):
        fit_batch(y, v, mask=np.ones(5, dtype=bool))
    with pytest.raises(ValueError, match="mask has 4 columns, expected k = 5"):
        fit_batch(y, v, mask=np.ones((2, 4), dtype=bool))
    with pytest.raises(ValueError, match="mask has 3 rows but the data have 2"):
        fit_batch(np.vstack([y, y]), np.vstack([v, v]), mask=np.ones((3, 5), dtype=bool))


def test_fit_batch_with_a_mask_over_rows_of_their_own_data() -> None:
    """Each row pools its own yi and vi over the studies its mask keeps: DerSimonian-Laird
    written out, w = 1/v, Q = sum w (y - ybar_w)^2, C = sum w - sum w^2 / sum w,
    tau^2 = max(0, (Q - (k - 1)) / C), estimate = sum w* y / sum w*, w* = 1/(v + tau^2)."""
    Y = np.array([[0.1, 1.5, 0.3, 1.8, -0.4], [0.9, -0.2, 1.1, 0.4, 2.0]])
    V = np.array([[0.05, 0.08, 0.04, 0.1, 0.06], [0.07, 0.05, 0.09, 0.04, 0.08]])
    M = np.array([[1, 1, 0, 1, 1], [0, 1, 1, 1, 1]], dtype=bool)
    fits = fit_batch(Y, V, mask=M, method="DL")
    for r in range(2):
        y, v = Y[r, M[r]], V[r, M[r]]
        w = 1 / v
        q = float(np.sum(w * (y - np.sum(w * y) / np.sum(w)) ** 2))
        tau2 = max(0.0, (q - (y.size - 1)) / (np.sum(w) - np.sum(w**2) / np.sum(w)))
        ws = 1 / (v + tau2)
        assert tau2 > 0
        assert fits.tau2[r] == pytest.approx(tau2, rel=1e-12)
        assert fits.estimate[r] == pytest.approx(np.sum(ws * y) / np.sum(ws), rel=1e-12)


def test_a_q_profile_with_too_few_iterations_is_reported_not_returned() -> None:
    # DL needs no iterations, its Q-profile interval does: maxiter = 1 stops its Newton
    # search for a bound
    y, v = hetero_data(12, seed=1)
    res = rma(y, v, method="DL", control={"maxiter": 1})
    with pytest.raises(RuntimeError, match="Q-statistic root search did not converge in 1 iter"):
        res.confint()


def _hand_ll_ml(y: np.ndarray, v: np.ndarray, tau2: float) -> float:
    """ML log-likelihood of the intercept-only model written out (metafor's fit.stats):
    -k/2 log(2 pi) - 1/2 sum log(v + tau^2) - 1/2 sum w (y - mu_w)^2, w = 1/(v + tau^2)."""
    w = 1 / (v + tau2)
    mu = np.sum(w * y) / np.sum(w)
    return float(
        -0.5 * y.size * math.log(2 * math.pi) - 0.5 * np.sum(np.log(v + tau2))
        - 0.5 * np.sum(w * (y - mu) ** 2)
    )  # fmt: skip


def test_fit_batch_of_masked_rows_with_a_zero_variance_under_he() -> None:
    """A row may hold a study of vi = 0, kept or masked out: HE needs no 1/vi, tau^2 =
    max(0, sum (y - ybar)^2 / (k - 1) - mean(v)) over the kept studies, and the
    log-likelihood is written out above."""
    Y = np.array([[0.1, 1.5, 0.3, 1.8, -0.4], [0.9, -0.2, 1.1, 0.4, 2.0]])
    V = np.array([[0.05, 0.0, 0.04, 0.1, 0.06], [0.07, 0.05, 0.09, 0.04, 0.0]])
    M = np.array([[1, 1, 0, 1, 1], [0, 1, 1, 1, 0]], dtype=bool)
    fits = fit_batch(Y, V, mask=M, method="HE", loglik=True)
    for r in range(2):
        y, v = Y[r, M[r]], V[r, M[r]]
        tau2 = max(0.0, float(y.var(ddof=1) - v.mean()))
        assert fits.tau2[r] == pytest.approx(tau2, rel=1e-12)
        assert fits.ll_ML[r] == pytest.approx(_hand_ll_ml(y, v, tau2), rel=1e-12)


def test_fit_batch_log_likelihoods_of_rows_of_their_own_data() -> None:
    Y = np.array([[0.1, 1.5, 0.3, 1.8, -0.4], [0.9, -0.2, 1.1, 0.4, 2.0]])
    V = np.array([[0.05, 0.02, 0.04, 0.1, 0.06], [0.07, 0.05, 0.09, 0.04, 0.03]])
    fits = fit_batch(Y, V, method="FE", loglik=True)
    for r in range(2):
        assert fits.ll_ML[r] == pytest.approx(_hand_ll_ml(Y[r], V[r], 0.0), rel=1e-12)


def test_fit_batch_of_one_large_meta_analysis_is_dersimonian_laird() -> None:
    """k = 20,000 studies in one fit (the product path for large arrays), DL written out."""
    rng = np.random.default_rng(0)
    v = rng.uniform(0.01, 0.5, 20_000)
    y = rng.normal(0.3, np.sqrt(v + 0.1))
    fits = fit_batch(y, v, method="DL")
    w = 1 / v
    q = float(np.sum(w * (y - np.sum(w * y) / np.sum(w)) ** 2))
    tau2 = max(0.0, (q - (y.size - 1)) / (np.sum(w) - np.sum(w**2) / np.sum(w)))
    ws = 1 / (v + tau2)
    assert fits.tau2[0] == pytest.approx(tau2, rel=1e-10)
    assert fits.estimate[0] == pytest.approx(np.sum(ws * y) / np.sum(ws), rel=1e-10)


# metafor 3.8-1 on the same data, rma(yi, vi, mods = ~ x1 (+ x2), method = ...): "Fisher
# scoring algorithm may have gotten stuck at a local maximum. Setting tau^2 = 0." and these
# coefficients (sprintf("%.17g")); the data come from a random search for the case.
LOCAL_MAXIMUM_CASES = [
    pytest.param(
        "ML",
        [4.333898092456277, 0.5158218013104781, -4.433254609110705, -1.0723328113741837],
        [1.428017496489718, 2.122718024208724, 0.04626471965821067, 0.01563575437951214],
        [[-1.2447540402470687, -1.472980509874603, -0.5396205708959053, 0.016050163909523987], [2.095244749291541, 0.31001811340254026, -0.46294301093723766, -0.14544487154245192]],
        [-0.47416759976321754, 3.050133697700023, 4.677957813005121],
        id="ML-2-moderators",
    ),
    pytest.param(
        "ML",
        [0.28902269720405677, -3.395826033488894, -2.8972303511577757, 2.9177450793869153, -0.6672860680386697],
        [0.8204414530837153, 0.5474800876008882, 0.0030514615379721873, 0.8120616977107014, 0.8382793254161144],
        [[0.2267708786188296, 1.903719540005617, 2.1684157123550465, 0.7132322831037413, 0.504002187870548]],
        [1.6193819877901805, -2.084320891548958],
        id="ML-1-moderator",
    ),
    pytest.param(
        "REML",
        [0.02390217376196666, 0.5251187514328474, 0.24319539657348632, 2.6635540262188395, -1.668317054156907],
        [0.11861413127816543, 0.0010283779957879172, 0.7758809491305985, 0.0033501859574836673, 0.0018951375780938452],
        [[2.1105325797748837, -1.3614458779052427, -0.19584622902379803, 0.39678149835381354, -1.2112864466205997], [0.5511559379770474, 0.21905369515757256, -0.8857869742615574, -0.9345740576572507, 1.5625181724936315]],
        [1.046702947700061, 0.11201903443394146, -1.656334983043457],
        id="REML-2-moderators",
    ),
    pytest.param(
        "REML",
        [3.5006664865959736, 0.6280237013975108, 0.4723120756578861, -2.2509034587180614, -2.0643601691833466],
        [1.2451071479680464, 0.2428038285568533, 0.06334947906454075, 3.9115697525006525, 0.28608040815877095],
        [[-0.49115519066195495, -0.3296601236632439, 0.14654339333284935, -0.7443956327319877, 2.4954228928216815]],
        [0.5996186557878179, -1.0560639265019518],
        id="REML-1-moderator",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("method", "yi", "vi", "mods", "beta"), LOCAL_MAXIMUM_CASES)
def test_a_likelihood_higher_at_zero_than_at_the_solution_sets_tau2_to_zero_as_metafor(
    method: str, yi: list[float], vi: list[float], mods: list[list[float]], beta: list[float]
) -> None:
    """The log-likelihood's stationary point is a local maximum below its value at tau^2
    = 0: tau^2 is set to 0 with a warning, and the coefficients are the equal-effects
    ones, as metafor's (one moderator and several take different code paths)."""
    X = np.column_stack(mods) if len(mods) > 1 else mods[0]
    with pytest.warns(UserWarning, match="larger at tau\\^2 = 0 than at the Fisher scoring"):
        res = rma(yi, vi, mods=X, method=method)
    assert res.tau2 == 0.0
    assert_close(res.beta, beta, "closed", "beta")


@pytest.mark.parametrize(
    ("method", "tau2", "estimate", "se"),
    [
        ("PM", 1.1156972180778717, 0.40624499366184674, 0.4900893406711076),
        ("EB", 1.115697218077891, 0.40624499366184774, 0.49008934067111104),
        ("PMM", 1.3546015308639252, 0.41495632578758068, 0.53006568350074823),
        ("REML", 0.94574858419891772, 0.39860199526743201, 0.45929245658746948),
    ],
)
def test_one_study_of_almost_no_sampling_error_among_others(
    method: str, tau2: float, estimate: float, se: float
) -> None:
    """vi = 1e-13 next to vi of order 0.5: at tau^2 = 0 that study's weight is 1e12 times
    the others' and their sums cancel, so PM's and EB's root search takes its careful
    path. metafor 3.8-1, rma(yi, vi, method = ..., control = list(threshold = 1e-12,
    tol = 1e-12, maxiter = 10000)) with the data below."""
    yi = [0.3, 1.5, -0.7, 2.1, 0.9, -1.2]
    vi = [1e-13, 0.5, 0.3, 0.8, 0.2, 0.4]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # metafor's warning on the ratio of the vi
        res = rma(yi, vi, method=method)
    assert_close(res.tau2, tau2, for_quantity("tight", "tau2"), f"{method} tau2")
    assert_close(res.estimate, estimate, "tight", f"{method} estimate")
    assert_close(res.se, se, "tight", f"{method} se")


def test_apply_transf_maps_each_value_and_leaves_a_missing_one_missing() -> None:
    from metareview.pool import apply_transf

    seen: list[float] = []

    def f(x: float) -> float:
        seen.append(x)
        return math.sqrt(x)

    out = apply_transf(f, np.array([[4.0, np.nan], [9.0, 1.0]]))
    assert out.shape == (2, 2) and np.isnan(out[0, 1])
    assert out[0, 0] == 2.0 and out[1, 0] == 3.0 and out[1, 1] == 1.0
    assert len(seen) == 3 and not any(math.isnan(x) for x in seen)
    with pytest.raises(TypeError, match="transf must be a function"):
        apply_transf("exp", [1.0])  # type: ignore[arg-type]
