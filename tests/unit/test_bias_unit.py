"""Unit tests for metareview.bias: Kendall machinery against brute force and
scipy.stats (allowed in tests, never in the library), edge cases of ranktest, fsn,
regtest and trimfill."""

from __future__ import annotations

import itertools
import math
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metafor_tolerances import assert_close, assert_printed, load_fixture

from metareview import bias
from metareview.bias import fsn, ranktest, regtest, trimfill
from metareview.pool import RMAResult, rma

# ----------------------------------------------------------------- Kendall machinery


def _brute_inversions(r: np.ndarray) -> int:
    n = r.size
    return sum(int(r[i] > r[j]) for i in range(n) for j in range(i + 1, n))


def _brute_score(x: np.ndarray, y: np.ndarray) -> int:
    n = x.size
    return sum(
        int(np.sign(x[i] - x[j]) * np.sign(y[i] - y[j])) for i in range(n) for j in range(i + 1, n)
    )


@given(st.lists(st.integers(0, 6), min_size=0, max_size=40))
@settings(max_examples=200, deadline=None)
def test_count_inversions_matches_brute_force(values: list[int]) -> None:
    r = np.array(values, dtype=np.int64)
    # the routine expects values in [0, n): map to dense ranks as the caller does
    if r.size:
        r = np.unique(r, return_inverse=True)[1].ravel()
    assert bias._count_inversions(r) == _brute_inversions(r)


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=2, max_size=30))
@settings(max_examples=200, deadline=None)
def test_kendall_score_with_ties_matches_brute_force(pairs: list[tuple[int, int]]) -> None:
    x = np.array([p[0] for p in pairs], dtype=float)
    y = np.array([p[1] for p in pairs], dtype=float)
    s, n1, n2 = bias._kendall_score(x, y)
    assert s == _brute_score(x, y)
    n = x.size
    assert n1 == sum(int(x[i] == x[j]) for i in range(n) for j in range(i + 1, n))
    assert n2 == sum(int(y[i] == y[j]) for i in range(n) for j in range(i + 1, n))


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 7])
def test_kendall_distribution_matches_permutation_enumeration(n: int) -> None:
    # number of concordant pairs with the identity = n(n-1)/2 - inversions
    counts: dict[int, int] = {}
    for perm in itertools.permutations(range(n)):
        inv = _brute_inversions(np.array(perm))
        counts[inv] = counts.get(inv, 0) + 1
    total = math.factorial(n)
    cum = 0
    for q in range(n * (n - 1) // 2 + 1):
        cum += counts.get(q, 0)
        assert bias._kendall_lower_tail(q, n) == pytest.approx(cum / total, rel=1e-13)
    assert bias._kendall_lower_tail(-1, n) == 0.0


def test_kendall_tail_stays_accurate_far_out() -> None:
    # P(T <= 0) = 1/n!: a difference of cumulative sums would lose this entirely
    assert bias._kendall_lower_tail(0, 30) == pytest.approx(1 / math.factorial(30), rel=1e-12)


# ----------------------------------------------------------------- ranktest


def _standardised(yi: np.ndarray, vi: np.ndarray) -> np.ndarray:
    wi = 1 / vi
    theta = np.sum(wi * yi) / np.sum(wi)
    return (yi - theta) / np.sqrt(vi - 1 / np.sum(wi))


@given(st.integers(3, 60), st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None)
def test_ranktest_without_ties_agrees_with_scipy_exact(k: int, seed: int) -> None:
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(seed)
    vi = rng.uniform(0.01, 1.0, k)
    yi = rng.normal(0, np.sqrt(vi))
    res = ranktest(yi=yi, vi=vi)
    ref = stats.kendalltau(_standardised(yi, vi), vi, method="exact")
    assert res.exact_pvalue and not res.ties
    assert res.tau == pytest.approx(ref.statistic, rel=1e-12, abs=1e-15)
    assert res.pval == pytest.approx(ref.pvalue, rel=1e-9)


@given(st.integers(4, 60), st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None)
def test_ranktest_with_ties_uses_the_normal_approximation(k: int, seed: int) -> None:
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(seed)
    vi = rng.choice([0.1, 0.2, 0.4], size=k)  # ties in vi
    vi[0], vi[1] = 0.1, 0.2  # at least two distinct values
    yi = rng.normal(0, np.sqrt(vi))
    res = ranktest(yi=yi, vi=vi)
    ref = stats.kendalltau(_standardised(yi, vi), vi, method="asymptotic")
    assert res.ties and not res.exact_pvalue
    assert res.tau == pytest.approx(ref.statistic, rel=1e-12, abs=1e-15)
    assert res.pval == pytest.approx(ref.pvalue, rel=1e-9)


def test_ranktest_k3_exact_distribution() -> None:
    # k = 3: T (concordant pairs) in {0,1,2,3} with probabilities 1,2,2,1 over 6. Deviates
    # increasing with vi give T = 3, two-sided p = 2 * 1/6; reversing them gives T = 0.
    vi = np.array([0.1, 0.2, 0.3])
    yi = np.array([-1.0, 0.0, 1.0]) * np.sqrt(vi) * 10
    up = ranktest(yi=yi, vi=vi)
    down = ranktest(yi=-yi, vi=vi)
    assert (up.S, up.tau) == (3, 1.0) and (down.S, down.tau) == (-3, -1.0)
    assert up.pval == pytest.approx(1 / 3, rel=1e-14)
    assert down.pval == pytest.approx(1 / 3, rel=1e-14)
    # one discordant pair: T = 2, P(T >= 2) = 3/6, p = 1
    mixed = ranktest(yi=np.array([-1.0, 1.0, 0.0]) * np.sqrt(vi) * 10, vi=vi)
    assert mixed.S == 1 and mixed.pval == 1.0


def test_ranktest_is_invariant_to_study_order() -> None:
    rng = np.random.default_rng(7)
    vi = rng.uniform(0.05, 0.5, 15)
    yi = rng.normal(0.2, np.sqrt(vi))
    perm = rng.permutation(15)
    a = ranktest(yi=yi, vi=vi)
    b = ranktest(yi=yi[perm], vi=vi[perm])
    assert a.tau == pytest.approx(b.tau, abs=1e-15)
    assert a.pval == pytest.approx(b.pval, rel=1e-12)


def test_ranktest_constant_vi_gives_nan() -> None:
    res = ranktest(yi=[0.1, 0.5, -0.2, 0.3], vi=[0.1] * 4)
    assert math.isnan(res.tau) and math.isnan(res.pval)


def test_ranktest_large_k_falls_back_to_normal_approximation() -> None:
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(3)
    k = bias.KENDALL_EXACT_MAX_N + 30
    vi = rng.uniform(0.01, 1.0, k)
    yi = rng.normal(0, np.sqrt(vi))
    res = ranktest(yi=yi, vi=vi)
    ref = stats.kendalltau(_standardised(yi, vi), vi, method="asymptotic")
    assert not res.exact_pvalue and not res.ties
    assert res.pval == pytest.approx(ref.pvalue, rel=1e-9)


def test_ranktest_accepts_model_object_and_rejects_bad_input() -> None:
    fake = SimpleNamespace(yi=[0.1, 0.4, 0.2], vi=[0.1, 0.2, 0.3])
    assert ranktest(fake).k == 3
    with pytest.raises(ValueError):
        ranktest(yi=[0.1], vi=[0.1])
    with pytest.raises(ValueError):
        ranktest(yi=[0.1, 0.2], vi=[0.1, -0.2])
    with pytest.raises(ValueError):
        ranktest()


def test_ranktest_to_dict_is_json_ready() -> None:
    d = ranktest(yi=[0.1, 0.4, 0.2, 0.9], vi=[0.1, 0.2, 0.3, 0.4]).to_dict()
    assert set(d) >= {"tau", "pval", "ties", "exact_pvalue"}
    assert all(isinstance(v, (int, float, bool)) for v in d.values())


# ----------------------------------------------------------------- fsn


def test_fsn_formula_and_rounding() -> None:
    yi = np.array([0.3, 0.5, 0.2, 0.4])
    vi = np.array([0.04, 0.09, 0.01, 0.05])
    res = fsn(yi, vi)
    z = np.sum(yi / np.sqrt(vi)) / 2
    assert res.z_stouffer == pytest.approx(z, rel=1e-14)
    assert res.fsnum_raw == pytest.approx(4 * (z / 1.6448536269514722) ** 2 - 4, rel=1e-13)
    assert res.fsnum == math.ceil(res.fsnum_raw)
    assert res.pval == pytest.approx(0.5 * math.erfc(z / math.sqrt(2)), rel=1e-12)


def test_fsn_is_sign_symmetric_and_zero_when_not_significant() -> None:
    yi = np.array([0.3, 0.5, 0.2])
    vi = np.array([0.04, 0.09, 0.01])
    assert fsn(-yi, vi).fsnum_raw == fsn(yi, vi).fsnum_raw
    weak = fsn([0.01, -0.02, 0.015], [1.0, 1.0, 1.0])
    assert weak.fsnum == 0 and weak.fsnum_raw == 0.0


def test_fsn_rounds_to_an_integer_it_is_within_sqrt_eps_of() -> None:
    # a single study with z such that N = (z / z_alpha)^2 - 1 = 3 exactly: z = 2 z_alpha
    z_alpha = 1.6448536269514722
    res = fsn([2 * z_alpha], [1.0])
    assert abs(res.fsnum_raw - 3) < 1e-12
    assert res.fsnum == 3


def test_fsn_rejects_bad_alpha() -> None:
    with pytest.raises(ValueError):
        fsn([0.1], [0.1], alpha=1.5)


# ----------------------------------------------------------------- regtest (lm)


def _fitted(yi: np.ndarray, vi: np.ndarray, level: float = 95.0) -> RMAResult:
    # regtest takes only a fit (its model="lm" reads yi, vi and the level): an
    # equal-effects one, which fits any k and whose own estimate does not enter
    return rma(yi, vi, method="EE", level=level)


def test_regtest_lm_matches_weighted_least_squares_by_hand() -> None:
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(11)
    vi = rng.uniform(0.02, 0.4, 12)
    yi = 0.1 + 0.8 * np.sqrt(vi) + rng.normal(0, np.sqrt(vi))
    res = regtest(_fitted(yi, vi), model="lm")
    X = np.column_stack([np.ones(12), np.sqrt(vi)])
    W = np.diag(1 / vi)
    xtwx_inv = np.linalg.inv(X.T @ W @ X)
    b = xtwx_inv @ X.T @ W @ yi
    r = yi - X @ b
    s2 = r @ W @ r / 10
    se = np.sqrt(np.diag(xtwx_inv) * s2)
    # the t statistic in zval, as metafor's regtest keeps it, and in tval too
    assert res.df == 10 and res.zval == res.tval
    assert res.tval == pytest.approx(b[1] / se[1], rel=1e-10)
    assert res.pval == pytest.approx(2 * stats.t.sf(abs(b[1] / se[1]), 10), rel=1e-10)
    assert res.est == pytest.approx(b[0], rel=1e-10)
    q = stats.t.ppf(0.975, 10)
    assert res.ci_lb == pytest.approx(b[0] - q * se[0], rel=1e-10)
    assert res.ci_ub == pytest.approx(b[0] + q * se[0], rel=1e-10)


def test_regtest_lm_k3_has_one_df() -> None:
    res = regtest(_fitted(np.array([0.1, 0.5, 0.3]), np.array([0.01, 0.2, 0.05])), "lm")
    assert res.df == 1 and math.isfinite(res.tval)


def test_regtest_needs_more_studies_than_coefficients_and_full_rank() -> None:
    with pytest.raises(ValueError, match="more studies"):
        regtest(_fitted(np.array([0.1, 0.5]), np.array([0.01, 0.2])), "lm")
    with pytest.raises(ValueError, match="full rank"):
        regtest(_fitted(np.array([0.1, 0.5, 0.2]), np.array([0.1, 0.1, 0.1])), "lm")


# ----------------------------------------------------------------- trimfill / regtest on rma


def _asymmetric(k: int = 20, seed: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Funnel with small studies missing on the left (small-study effect)."""
    rng = np.random.default_rng(seed)
    vi = rng.uniform(0.01, 0.4, k)
    yi = 0.2 + 1.2 * np.sqrt(vi) + rng.normal(0, np.sqrt(vi) * 0.3)
    return yi, vi


def test_trimfill_imputes_on_the_side_with_the_gap_and_mirrors_about_beta() -> None:
    yi, vi = _asymmetric()
    res = rma(yi, vi, method="FE")
    tf = trimfill(res)
    assert tf.side == "left" and tf.k0 > 0
    assert tf.k_total == len(yi) + tf.k0 == len(tf.yi_aug)
    assert np.array_equal(tf.yi_aug[: len(yi)], yi) and tf.filled[len(yi) :].all()
    # imputed studies are the k0 largest yi mirrored about the trimmed estimate beta,
    # which lies below the full-data estimate: every imputed value is below it
    largest = np.sort(yi)[-tf.k0 :]
    mirrored = np.sort(tf.yi_imputed)[::-1]
    beta = (mirrored + largest) / 2
    assert np.allclose(beta, beta[0])
    assert beta[0] < res.estimate and tf.estimate < res.estimate
    assert np.all(np.isin(tf.vi_imputed, vi[np.argsort(yi)[-tf.k0 :]]))


def test_trimfill_mirrored_data_mirror_the_result() -> None:
    yi, vi = _asymmetric()
    a = trimfill(rma(yi, vi, method="REML"))
    b = trimfill(rma(-yi, vi, method="REML"))
    assert (a.side, b.side) == ("left", "right") and a.k0 == b.k0
    assert b.estimate == pytest.approx(-a.estimate, rel=1e-9)
    np.testing.assert_allclose(b.yi_imputed, -a.yi_imputed, rtol=1e-9)


def test_trimfill_k0_zero_returns_the_input_model_unchanged() -> None:
    yi, vi = _asymmetric()
    res = rma(yi, vi, method="REML", test="knha")
    tf = trimfill(res, side="right")  # nothing missing on the right of this funnel
    assert tf.k0 == 0 and tf.fit is res
    assert (tf.test, tf.tval, tf.zval, tf.df) == ("knha", res.tval, res.zval, res.df)
    assert tf.zval is not None and tf.zval == tf.tval
    assert tf.estimate == res.estimate and tf.yi_imputed.size == 0
    assert not tf.filled.any()


def test_trimfill_refit_uses_z_test_and_the_models_level() -> None:
    yi, vi = _asymmetric()
    tf = trimfill(rma(yi, vi, method="DL", test="knha", level=90))
    assert tf.k0 > 0 and tf.test == "z" and tf.level == 90
    ref = rma(tf.yi_aug, tf.vi_aug, method="DL", level=90)
    assert tf.ci_lb == ref.ci_lb and tf.estimate == ref.estimate


def test_trimfill_k3_and_input_checks() -> None:
    res = rma([0.42, 0.11, 0.73], [0.05, 0.02, 0.11], method="REML")
    tf = trimfill(res)
    assert 0 <= tf.k0 <= 2 and tf.k_total == 3 + tf.k0
    with pytest.raises(ValueError, match="moderators"):
        trimfill(rma([0.1, 0.3, 0.2, 0.5], [0.01, 0.02, 0.03, 0.04], mods=[1, 2, 3, 5]))
    with pytest.raises(ValueError, match="side"):
        trimfill(res, side="up")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="estimator"):
        trimfill(res, estimator="X0")  # type: ignore[arg-type]


def test_trimfill_side_needs_a_regression_with_residual_df() -> None:
    # The side comes from rma(yi, vi, mods = sqrt(vi)): with k = 2 a random-effects fit
    # has two coefficients and tau^2 from two studies, which metafor refuses ("Number of
    # parameters to be estimated is larger than the number of observations").
    yi, vi = [0.42, 0.11], [0.05, 0.02]
    for method in ("REML", "DL", "PM", "SJ"):
        with pytest.raises(ValueError, match="only k = 2 studies"):
            trimfill(rma(yi, vi, method=method))
    # an FE fit has no tau^2: two coefficients from two studies is a fit metafor makes
    assert trimfill(rma(yi, vi, method="FE")).k_total >= 2


def test_trimfill_keeps_what_the_model_leaves_undefined() -> None:
    # A study with vi = 0: the model has no Q, I^2 or H^2 (metafor: NA), and R0 finds
    # k0 = 0 (metafor 3.8-1 on these data, tests/reference/metafor_options), so the
    # result is the input model's own numbers.
    with pytest.warns(UserWarning, match="not computed when some sampling variances are 0"), pytest.warns(
        UserWarning, match="non-positive sampling variances"
    ):
        res = rma([0.3, 0.12, 0.55, 0.41, 0.2, 0.62], [0.04, 0.0, 0.05, 0.03, 0.06, 0.02], test="adhoc")
    tf = trimfill(res, estimator="R0")
    assert tf.k0 == 0 and tf.estimate == res.estimate
    assert (tf.I2, tf.H2, tf.QE, tf.QEp) == (None, None, None, None)
    assert tf.to_dict()["I2"] is None


def test_ml_regression_of_the_side_and_the_test_find_metafors_maximum() -> None:
    # The ML likelihood of the regression on sqrt(vi) has maxima at 0 and at 0.0363
    # (the higher). metafor 3.8-1 with control = list(threshold = 1e-12): regtest's fit
    # tau2 = 0.036317694718171985, slope -0.39494779976033134, z -0.57680596843962517;
    # trimfill: side "right", k0 = 2, estimate 0.28183720648092636, tau2 0.051511826018226604.
    y = [-0.132, 0.124, 0.112, 1.118, 0.744, 0.24, -0.749, -0.1, 0.617, -0.233, -0.265]
    v = [0.2981, 0.0773, 0.0068, 0.2551, 0.1311, 0.1145, 0.2292, 0.2998, 0.0464, 0.2396, 0.2948]
    res = rma(y, v, method="ML")
    rt = regtest(res)
    assert_close(rt.tau2, 0.036317694718171985, "tight_tau2", "tau2")
    assert_close(rt.slope, -0.39494779976033134, "tight", "slope")
    assert_close(rt.zval, -0.57680596843962517, "tight", "zval")
    tf = trimfill(res)
    assert (tf.side, tf.k0) == ("right", 2)
    assert_close(tf.estimate, 0.28183720648092636, "tight", "estimate")
    assert_close(tf.tau2, 0.051511826018226604, "tight_tau2", "tau2")


def test_trimfill_result_is_frozen_and_serialisable() -> None:
    yi, vi = _asymmetric()
    tf = trimfill(rma(yi, vi))
    with pytest.raises(AttributeError):
        tf.k0 = 3  # type: ignore[misc]
    d = tf.to_dict()
    assert "fit" not in d and isinstance(d["yi_aug"], list) and isinstance(d["filled"][0], bool)
    assert d["df"] is None and d["tval"] is None


def test_trimfill_offers_metafors_name_beta_for_the_pooled_estimate() -> None:
    # metafor 3.8-1: tf <- trimfill(rma(y, v, method = "ML")); tf$beta is the 1 x 1
    # matrix 0.28183720648092636 (k0 = 2, side "right"), with control threshold 1e-12
    y = [-0.132, 0.124, 0.112, 1.118, 0.744, 0.24, -0.749, -0.1, 0.617, -0.233, -0.265]
    v = [0.2981, 0.0773, 0.0068, 0.2551, 0.1311, 0.1145, 0.2292, 0.2998, 0.0464, 0.2396, 0.2948]
    tf = trimfill(rma(y, v, method="ML"))
    assert tf.k0 == 2
    assert tf.beta.shape == (1,)
    assert_close(tf.beta[0], 0.28183720648092636, "tight", "beta")
    assert tf.beta[0] == tf.estimate  # the old name still works
    with pytest.raises(ValueError):
        tf.beta[0] = 0.0  # read-only, as the result
    # k0 = 0: the input model's own beta
    yi, vi = _asymmetric()
    res = rma(yi, vi, method="REML")
    none = trimfill(res, side="right")
    assert none.k0 == 0 and none.beta[0] == res.estimate


@pytest.mark.parametrize("ratio", [1e10, 1e18])
@pytest.mark.parametrize(("method", "k0"), [("REML", 3), ("ML", 5)])
def test_trimfill_chooses_the_side_with_a_dominant_study(ratio: float, method: str, k0: int) -> None:
    # metafor 3.8-1 with control = list(threshold = 1e-12, maxiter = 1000):
    #   yi <- c(0.05, 0.31, 0.52, 0.22, 0.71, 0.45, 0.88, 0.60)
    #   vi <- c(0.05 / r, 0.05, 0.02, 0.03, 0.04, 0.06, 0.05, 0.03)
    #   rma(yi, vi, mods = sqrt(vi), method = m): REML tau2 0.00991086347441 (r = 1e10),
    #   0.00991072915308 (1e18); ML tau2 ~0; trimfill: side "left", k0 3 (REML), 5 (ML).
    # The side's regression took its sums in a form that cancels here: REML tau^2 0 at
    # 1e10, a division by zero at 1e18.
    yi = np.array([0.05, 0.31, 0.52, 0.22, 0.71, 0.45, 0.88, 0.60])
    vi = np.array([0.05 / ratio, 0.05, 0.02, 0.03, 0.04, 0.06, 0.05, 0.03])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the variance ratio
        res = rma(yi, vi, method=method)
        side_fit = rma(yi, vi, mods=np.sqrt(vi), method=method)
    if method == "REML":
        expected = 0.00991086347441 if ratio == 1e10 else 0.00991072915308
        assert side_fit.tau2 == pytest.approx(expected, rel=1e-9)
    tf = trimfill(res)
    assert (tf.side, tf.k0) == ("left", k0)


def test_round_half_even_as_r() -> None:
    assert [bias._round_half_even(x) for x in (0.5, 1.5, 2.5, -0.5, 2.4999)] == [0, 2, 2, 0, 2]


def test_regtest_rma_equals_the_meta_regression_on_sei() -> None:
    yi, vi = _asymmetric()
    res = rma(yi, vi, method="REML")
    rt = regtest(res)
    mr = rma(yi, vi, method="REML", mods=np.sqrt(vi))
    assert rt.slope == pytest.approx(mr.beta[1], rel=1e-10)
    assert rt.zval == pytest.approx(mr.zval_beta[1], rel=1e-10)
    assert rt.est == pytest.approx(mr.beta[0], rel=1e-10)
    assert rt.tau2 == pytest.approx(mr.tau2, rel=1e-10, abs=1e-14)
    assert rt.pval < 0.05  # the simulated small-study effect is detected


def test_regtest_knha_uses_t_with_k_minus_2_df() -> None:
    yi, vi = _asymmetric(k=8)
    rt = regtest(rma(yi, vi, method="REML", test="knha"))
    assert rt.test == "knha" and rt.df == 6 and rt.tval is not None
    # metafor keeps the t statistic in zval; tval holds the same under a t-test
    assert rt.zval == rt.tval
    assert "t = " in rt.summary() and "df = 6" in rt.summary()
    z = regtest(rma(yi, vi, method="REML", test="z"))
    assert z.df is None and z.tval is None and z.zval is not None and "z = " in z.summary()


def test_regtest_other_predictors() -> None:
    yi, vi = _asymmetric()
    res = rma(yi, vi, method="FE")
    assert regtest(res, predictor="vi").slope == pytest.approx(
        rma(yi, vi, method="FE", mods=vi).beta[1], rel=1e-10
    )
    ni = np.round(4 / vi)
    r_ninv = regtest(res, predictor="ninv", ni=ni)
    assert r_ninv.est is not None
    assert regtest(res, predictor="ni", ni=ni).est is None  # no limit estimate for ni
    with pytest.raises(ValueError, match="ni"):
        regtest(res, predictor="sqrtni")


def test_regtest_on_a_meta_regression_adds_sei_to_the_design() -> None:
    yi, vi = _asymmetric()
    x = np.arange(len(yi), dtype=float)
    res = rma(yi, vi, method="REML", mods=x)
    rt = regtest(res)
    full = rma(yi, vi, method="REML", mods=np.column_stack([x, np.sqrt(vi)]))
    assert rt.slope == pytest.approx(full.beta[2], rel=1e-10)
    assert rt.est is None  # the intercept is no limit estimate with moderators present


def test_model_methods_delegate_to_bias() -> None:
    yi, vi = _asymmetric()
    res = rma(yi, vi)
    assert res.regtest().to_dict() == regtest(res).to_dict()
    assert res.ranktest() == ranktest(res)
    assert res.fsn() == fsn(yi, vi)
    assert res.trimfill().k0 == trimfill(res).k0


def test_regtest_lm_level_as_percentage_or_proportion() -> None:
    yi, vi = _asymmetric()
    pct = regtest(rma(yi, vi, level=90), model="lm")
    frac = regtest(rma(yi, vi, level=0.9), model="lm")
    assert pct.ci_lb == pytest.approx(frac.ci_lb, rel=1e-14)
    wider = regtest(rma(yi, vi, level=99), model="lm")
    assert wider.ci_lb < pct.ci_lb < pct.est < pct.ci_ub < wider.ci_ub


# ----------------------------------------------------------------- inputs a user can get wrong


def test_bias_functions_refuse_data_of_different_lengths_or_none() -> None:
    with pytest.raises(ValueError, match=r"yi and vi differ in length \(3 vs 2\)"):
        ranktest(yi=[0.1, 0.2, 0.3], vi=[0.1, 0.2])
    with pytest.raises(ValueError, match=r"yi and vi differ in length \(2 vs 3\)"):
        fsn([0.1, 0.2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="fsn needs at least one study"):
        fsn([], [])


def test_regtest_argument_errors_name_what_was_expected() -> None:
    yi, vi = _asymmetric(8)
    res = rma(yi, vi)
    with pytest.raises(ValueError, match="ni has 3 values for 8 studies"):
        regtest(res, predictor="ni", ni=[10, 20, 30])
    with pytest.raises(ValueError, match="unknown predictor 'sd'"):
        regtest(res, predictor="sd")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="model must be 'rma' or 'lm', not 'glm'"):
        regtest(res, model="glm")  # type: ignore[arg-type]


def test_trimfill_refuses_one_study() -> None:
    res = rma([0.3], [0.1])
    with pytest.raises(ValueError, match="trim and fill needs at least 2 studies, got k = 1"):
        trimfill(res, side="left")


def test_trimfill_says_when_it_runs_out_of_iterations() -> None:
    """dat.bcg (RR, FE) needs several passes to settle at metafor's k0 = 4 (see the
    fixture's trimfill_FE); one pass is not enough."""
    d = load_fixture("dat.bcg__RR.json")
    res = rma(d["yi"], d["vi"], method="FE")
    assert trimfill(res).k0 == d["bias"]["trimfill_FE"]["k0"] == 4
    with pytest.raises(RuntimeError, match="did not converge in 1 iterations"):
        trimfill(res, maxiter=1)


def test_trimfill_stops_where_metafor_fails() -> None:
    """Two cases in which metafor 3.8-1's trimfill stops with an R error:

    * R0 with all yi equal: no deviation from the estimate is negative, R's max() of none
      is -Inf, k0 = Inf ("argument must be coercible to non-negative integer");
    * k = 2 with L0: the first pass gives k0 = 1; the second pools the smaller study
      alone, whose estimate both programs round to just below its yi (by 1.1e-16 here,
      2.2e-16 in R), so both deviations are positive, Sr = 3 and
      k0 = (4 * 3 - 6) / 3 = 2 = k ("Processing terminated since k = 0").
    """
    vi = [0.610569418009508, 0.7322015953741584, 0.5481887415507687, 0.9357216995498906,
          0.8176950185803168]  # fmt: skip
    with pytest.raises(RuntimeError, match=r"\(R0\): no study on the trimmed side"):
        trimfill(rma([0.3] * 5, vi, method="FE"), side="left", estimator="R0")
    two = rma([-0.9217253762584194, -0.45772582566733916],
              [0.6539546835051382, 0.6915622632652307], method="FE")  # fmt: skip
    with pytest.raises(RuntimeError, match=r"would trim all 2 studies \(k0 = 2\)"):
        trimfill(two, side="left", estimator="L0")


def test_ranktest_normal_approximation_for_two_studies_is_nan() -> None:
    """exact=False with k = 2: S = +-1 and tau = +-1, but R's cor.test computes the
    triple-tie term of var S, sum t(t-1)(t-2) sum u(u-1)(u-2) / (9n(n-1)(n-2)), as 0/0,
    so the p-value is NaN. metafor 3.8-1:

        ranktest(rma(c(0.1, 0.5), c(0.1, 0.2)), exact = FALSE): tau 0.99999999999999978, p NaN
        ranktest(rma(c(0.5, 0.1), c(0.1, 0.2)), exact = FALSE): tau -0.99999999999999978, p NaN
        ranktest(rma(c(0.1, 0.5), c(0.1, 0.2))): tau 0.99999999999999978, p 1

    With a tie two studies have a constant variable, and both numbers are NA (R's warning
    "the standard deviation is zero"), exact or not:

        ranktest(rma(c(0.3, 0.3), c(0.1, 0.2)), exact = FALSE)   # yi* both 0
        ranktest(rma(c(0.1, 0.5), c(0.2, 0.2)), exact = FALSE)
    """
    for yi, sign in (([0.1, 0.5], 1), ([0.5, 0.1], -1)):
        rt = ranktest(yi=yi, vi=[0.1, 0.2], exact=False)
        assert (rt.S, rt.tau, rt.ties, rt.exact_pvalue) == (sign, sign * 1.0, False, False)
        assert math.isnan(rt.pval) and rt.to_dict()["pval"] is None
    exact = ranktest(yi=[0.1, 0.5], vi=[0.1, 0.2])
    assert (exact.tau, exact.pval, exact.exact_pvalue) == (1.0, 1.0, True)
    for yi, vi in (([0.3, 0.3], [0.1, 0.2]), ([0.1, 0.5], [0.2, 0.2])):
        for ex in (True, False):
            tied = ranktest(yi=yi, vi=vi, exact=ex)
            assert math.isnan(tied.tau) and math.isnan(tied.pval)
    # the model's method passes exact on
    assert math.isnan(rma([0.1, 0.5], [0.1, 0.2]).ranktest(exact=False).pval)


def test_trimfill_side_from_a_regression_whose_likelihood_peaks_at_zero() -> None:
    """The side is the sign of the slope of rma(yi, vi, mods = ~ sqrt(vi)). For these data
    (found by a random search) that ML fit has a local maximum at tau^2 = 0.67 with slope
    -0.169 (side "right"), but the likelihood is higher at tau^2 = 0, where the slope is
    +0.233: metafor 3.8-1 warns, takes tau^2 = 0 and fills on the left,

        trimfill(rma(yi, vi, method = "ML")): side "left", k0 0, estimate
        -0.093683557634410219, se 0.44441338121785956, tau2 0.59623867252814522

    (at metafor's default convergence, hence the loose comparison)."""
    yi = [-0.3726283415422058, -0.3797095318266937, 0.2036354367607117, 0.051981356131333964,
          -3.6541972702604117, -1.2941372412683667, -0.28946723937925406, 1.262306208319955,
          2.235805342590071]  # fmt: skip
    vi = [2.901465223503334, 0.051331196181465304, 2.1613386764145246, 2.536016452602009,
          3.307359567885982, 0.6182076350388396, 3.409116109133881, 1.2410746579386736,
          0.8794671003961658]  # fmt: skip
    tf = trimfill(rma(yi, vi, method="ML"))
    assert (tf.side, tf.k0) == ("left", 0)
    assert_close(tf.estimate, -0.093683557634410219, "loose", "estimate")
    assert_close(tf.se, 0.44441338121785956, "loose", "se")
    assert_close(tf.tau2, 0.59623867252814522, "loose_tau2", "tau2")


# ----------------------------------------------------------------- a study of vi = 0

# metafor 3.8-1 on an equal-effects fit with given weights (or weighted = FALSE) of data
# whose first study has vi = 0:
#   yi <- c(0.1, 0.3, 0.5, 0.2); vi <- c(0, 0.02, 0.03, 0.05)
#   r <- rma(yi, vi, weights = 1:4, method = "FE")     # or weighted = FALSE
#   regtest(r)    # weights: z = 0.2960, p = 0.7672, b = 0.2416 (CI: -0.0118, 0.4949)
#                 # unweighted: z = 1.2238, p = 0.2210, b = 0.1494 (CI: 0.0466, 0.2523)
#   regtest(r, model = "lm")  # Error: NA/NaN/Inf in 'x'
#   ranktest(r)               # Error: not enough finite observations
#   fsn(yi, vi)               # Fail-safe N: Inf
VI0_Y, VI0_V = [0.1, 0.3, 0.5, 0.2], [0.0, 0.02, 0.03, 0.05]
VI0_REGTEST = {
    "weights": ("0.2960", "0.7672", "0.2416", "-0.0118", "0.4949"),
    "unweighted": ("1.2238", "0.2210", "0.1494", "0.0466", "0.2523"),
}


@pytest.mark.parametrize("fit", ["weights", "unweighted"])
def test_bias_tests_on_a_study_of_vi_zero_as_metafor(fit: str) -> None:
    """regtest's meta-regression is metafor's; the tests metafor stops at (its lm's
    infinite weight, ranktest) are refused, naming the study, the fail-safe N is Inf as
    metafor's, and no numpy division warning escapes."""
    kwargs = {"weights": [1, 2, 3, 4]} if fit == "weights" else {"weighted": False}
    with pytest.warns(UserWarning) as said:
        res = rma(VI0_Y, VI0_V, method="FE", **kwargs)
    assert any("non-positive sampling variances" in str(w.message) for w in said)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with warnings.catch_warnings():
            # the refit repeats the model's warnings, as metafor's regtest does
            warnings.simplefilter("ignore", UserWarning)
            reg = regtest(res)
        for ours, shown, what in zip(
            (reg.zval, reg.pval, reg.est, reg.ci_lb, reg.ci_ub), VI0_REGTEST[fit],
            ("zval", "pval", "est", "ci_lb", "ci_ub"), strict=True,
        ):  # fmt: skip
            assert_printed(ours, shown, "closed", f"regtest {what}")
        one = r"vi = 0 in 1 of 4 studies \(indices \[0\]\)"
        with pytest.raises(ValueError, match=rf"regtest\(model='lm'\) weights each study by 1/vi: {one}"):
            regtest(res, model="lm")
        with pytest.raises(ValueError, match=rf"ranktest weights each study by 1/vi: {one}"):
            ranktest(res)
        assert fsn(res.yi, res.vi).fsnum == math.inf
    with pytest.raises(ValueError, match=r"vi < 0 in 1 of 4 studies \(indices \[2\]\)"):
        fsn(VI0_Y, [0.0, 0.02, -0.03, 0.05])
