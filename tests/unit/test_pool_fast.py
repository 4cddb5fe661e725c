"""The engine's private fast paths agree with the general code they shortcut.

rma() without moderators runs a scalar solver (``_single_tau2``) and computes the
per-study extras of its result on first access; the Q-profile CI, trim-and-fill and
leave-one-out have paths of their own. Each is compared here with the general machinery
(QR-based weighted least squares, the batched solver) on data chosen to exercise every
branch: no heterogeneity (tau^2 at 0), the ll0check, starting values, all tests.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest

from metareview import bias, diagnostics, pool
from metareview import distributions as dist
from metareview.pool import RMAResult, estimate_tau2, fit_batch, rma

FAST_METHODS = ("FE", "EE", "DL", "ML", "REML")
TESTS = ("z", "t", "knha", "adhoc")


def data(k: int, seed: int, tau2: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    v = rng.uniform(0.01, 0.4, k) * 10 ** rng.uniform(-1, 1)
    y = rng.normal(0.3 + 0.4 * np.sqrt(v), np.sqrt(v + tau2))
    return y, v


CASES = [(k, seed, tau2) for k in (2, 3, 7, 40) for seed in (1, 2) for tau2 in (0.0, 0.05, 1.0)]
# above 4,096 studies the power sums take matrix-vector products instead of one product
CASES += [(5000, 3, 0.0), (5000, 4, 0.05)]


def close(a: object, b: object, rel: float = 1e-9, abs_: float = 1e-12) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, str) or isinstance(a, tuple) and a and isinstance(a[0], str):
        return a == b
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.shape != y.shape:
        return False
    return bool(np.allclose(x, y, rtol=rel, atol=abs_, equal_nan=True))


@pytest.mark.parametrize("method", FAST_METHODS)
@pytest.mark.parametrize(("k", "seed", "tau2"), CASES)
def test_single_solver_equals_batched_solver(method: str, k: int, seed: int, tau2: float) -> None:
    y, v = data(k, seed, tau2)
    con = pool._control(None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fast = pool._single_tau2(y, v, True, method, con)
        ref = fit_batch(y, v, np.ones((1, k), dtype=bool), method=method)
    assert fast.tau2 == pytest.approx(float(ref.tau2[0]), rel=1e-10, abs=1e-14)
    assert fast.mu == pytest.approx(float(ref.estimate[0]), rel=1e-11, abs=1e-14)
    assert fast.sum_w == pytest.approx(float(ref.sum_w[0]), rel=1e-11)
    if method in ("FE", "EE"):
        assert fast.se_tau2 is None
    else:
        assert fast.se_tau2 == pytest.approx(float(ref.se_tau2[0]), rel=1e-9)


@pytest.mark.parametrize("method", FAST_METHODS)
@pytest.mark.parametrize("test", TESTS)
@pytest.mark.parametrize(("k", "seed", "tau2"), [(3, 1, 0.0), (7, 2, 0.05), (40, 1, 1.0)])
def test_fast_result_equals_general_path_attribute_by_attribute(
    method: str, test: str, k: int, seed: int, tau2: float
) -> None:
    """Every attribute of the fast intercept-only result, including the lazily computed
    ones, against the QR-based meta-regression code run with X = a column of ones."""
    y, v = data(k, seed, tau2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fast = rma(y, v, method=method, test=test, level=90)
        general = pool._rma_general(
            fast.yi,
            fast.vi,
            method,
            test,
            90.0,
            pool._control(None),
            pool.StudyLabels(k),
            ("intrcpt",),
            np.ones((k, 1)),
            True,
            True,
        )
    for key in pool._RESULT_KEYS:
        a, b = getattr(fast, key), getattr(general, key)
        if key == "int_only":
            assert a is True and b is False
        elif key in ("pi_lb", "pi_ub"):  # the general path leaves the PI to predict()
            pred = getattr(general.predict(), key)  # one entry per study, all equal
            assert close(a, None if pred is None else pred[0]), key
        elif key == "control":
            assert a == b
        elif key == "slab":
            assert tuple(a) == tuple(b)
        else:
            assert close(a, b), (key, a, b)


def test_lazy_attributes_are_cached_read_only_and_complete() -> None:
    y, v = data(9, 3, 0.1)
    res = rma(y, v)
    names = {f.name for f in dataclasses.fields(RMAResult)}
    assert names <= set(res.__dict__)  # the fast constructor filled every field
    assert set(pool._RESULT_KEYS) >= names
    for key in ("weights", "beta", "se_beta", "pval_beta", "ci_lb_beta", "vb", "X", "yi"):
        arr = getattr(res, key)
        assert arr is getattr(res, key)  # computed once
        with pytest.raises(ValueError):
            arr[0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.weights = np.ones(9)  # type: ignore[misc]
    assert res.weights.sum() == pytest.approx(100.0)
    d = res.to_dict()
    assert list(d) == list(pool._RESULT_KEYS)


def test_results_do_not_share_scratch_memory() -> None:
    """Large fits reuse thread-local work arrays; a result read after later fits must
    still describe its own data."""
    k = 6000  # above the size from which scratch memory is reused
    y1, v1 = data(k, 1, 0.1)
    y2, v2 = data(k, 2, 0.5)
    r1 = rma(y1, v1)
    w_expected = 1.0 / (v1 + r1.tau2)
    r2 = rma(y2, v2)
    r3 = rma(y2[: k // 2], v2[: k // 2], method="DL")
    assert np.allclose(r1.weights, 100 * w_expected / w_expected.sum(), rtol=1e-12)
    assert r1.ll_REML == pytest.approx(
        pool._loglik(y1 - y1.mean(), v1, np.ones((k, 1)), r1.tau2, True), rel=1e-10
    )
    assert r2.estimate != r1.estimate and r3.k == k // 2
    again = rma(y1, v1)
    assert again.estimate == r1.estimate and again.tau2 == r1.tau2


def test_validation_names_the_row_and_tolerates_overflow() -> None:
    y, v = data(6, 1, 0.1)
    bad = y.copy()
    bad[3] = np.nan
    with pytest.raises(ValueError, match=r"yi\[3\] is nan"):
        rma(bad, v)
    badv = v.copy()
    badv[4] = np.inf
    with pytest.raises(ValueError, match=r"vi\[4\] is inf"):
        rma(y, badv)
    negv = v.copy()
    negv[2] = -0.5
    with pytest.raises(ValueError, match=r"vi\[2\] = -0.5 is negative"):
        rma(y, negv)
    # y'v overflows, yet every value is finite: no error, only numpy's overflow warnings
    # (the squares of values near the float limit overflow, as in any float code)
    with pytest.warns(RuntimeWarning, match="overflow"):
        huge = rma(np.full(3, 1e200) * [1, 2, 3], np.full(3, 1e200), method="FE")
    assert math.isfinite(huge.estimate)


@pytest.mark.parametrize(("k", "seed", "tau2"), [(3, 1, 0.0), (8, 2, 0.05), (30, 1, 1.0)])
@pytest.mark.parametrize("level", [95.0, 80.0])
def test_q_profile_single_equals_general(k: int, seed: int, tau2: float, level: float) -> None:
    y, v = data(k, seed, tau2)
    res = rma(y, v)
    con = pool._control(None)
    args = (res.tau2, res.vt, res.I2, res.H2, level, con)
    fast = pool._q_profile(res.yi, res.vi, None, *args)
    general = pool._q_profile(res.yi, res.vi, np.ones((k, 1)), *args)
    for key, val in dataclasses.asdict(general).items():
        assert close(getattr(fast, key), val, rel=1e-10), key
    assert res.confint(level=level).tau2_ci_ub == fast.tau2_ci_ub


@pytest.mark.parametrize("method", ["REML", "ML", "DL", "PM", "HE"])
@pytest.mark.parametrize("seed", range(6))
def test_one_regressor_fit_equals_meta_regression(method: str, seed: int) -> None:
    k = 5 + 7 * seed
    y, v = data(k, seed, (0.0, 0.02, 0.5)[seed % 3])
    x = np.sqrt(v)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tau2, slope = pool._reg1_fit(y, v, x, method, pool._control(None))
        ref = rma(y, v, mods=x, method=method)
        ref_tau2, _ = estimate_tau2(y, v, method, X=np.column_stack([np.ones(k), x]))
    assert tau2 == pytest.approx(ref_tau2, rel=1e-9, abs=1e-13)
    assert slope == pytest.approx(float(ref.beta[1]), rel=1e-8, abs=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_trimfill_follows_the_public_fits(seed: int) -> None:
    """Side from the sign of rma(yi, vi, mods=sqrt(vi)); the filled fit is rma() on the
    augmented data; the estimator of each iteration is rma() on the kept studies."""
    k = 8 + 5 * seed
    rng = np.random.default_rng(seed)
    v = rng.uniform(0.01, 0.3, k)
    y = rng.normal(0.2 + (-1) ** seed * 1.5 * np.sqrt(v), np.sqrt(v + 0.02))
    res = rma(y, v)
    tf = bias.trimfill(res)
    slope = float(rma(y, v, mods=np.sqrt(v)).beta[1])
    assert tf.side == ("right" if slope < 0 else "left")
    if tf.k0:
        ref = rma(tf.yi_aug, tf.vi_aug)
        assert tf.estimate == pytest.approx(ref.estimate, rel=1e-12)
        assert tf.tau2 == pytest.approx(ref.tau2, rel=1e-9, abs=1e-14)
        # imputed values mirror the trimmed studies about the estimate of the kept ones
        flip = -1.0 if tf.side == "right" else 1.0
        order = np.argsort(flip * y, kind="stable")
        kept = order[: k - tf.k0]
        beta = rma(y[kept], v[kept]).estimate
        assert np.allclose(np.sort(tf.yi_imputed), np.sort(2 * beta - y[order[k - tf.k0 :]]))


@pytest.mark.filterwarnings("ignore:the Knapp-Hartung method is not meant")
@pytest.mark.parametrize("method", ["FE", "EE", "DL"])
@pytest.mark.parametrize("test", TESTS)
@pytest.mark.parametrize(("k", "seed", "tau2"), [(3, 1, 0.0), (6, 2, 0.05), (25, 1, 1.0)])
def test_leave1out_closed_form_equals_batched_solver(
    method: str, test: str, k: int, seed: int, tau2: float
) -> None:
    y, v = data(k, seed, tau2)
    res = rma(y, v, method=method, test=test)
    fast = diagnostics._leave1out_closed(res.yi, res.vi, method, test, res.level)
    ref = diagnostics._batch(res, "leave1out", res.yi, res.vi)
    assert set(fast) == set(ref)
    for key in ref:
        assert close(fast[key], ref[key], rel=1e-10, abs_=1e-13), key
    # and both equal the public refits
    for i in range(k):
        keep = np.arange(k) != i
        fit = rma(y[keep], v[keep], method=method, test=test)
        assert fast["estimate"][i] == pytest.approx(fit.estimate, rel=1e-11)
        assert fast["pval"][i] == pytest.approx(fit.pval, rel=1e-9)


def test_subset_results_keep_their_dict_layout() -> None:
    y, v = data(6, 1, 0.1)
    res = rma(y, v)
    fields = ["estimate", "se", "zval", "df", "pval", "ci_lb", "ci_ub", "Q", "Qp", "tau2"]
    fields += ["I2", "H2"]
    assert list(diagnostics.leave1out(res).to_dict()) == ["slab", "test", *fields, "transf"]
    cum = diagnostics.cumul(res, order=[5, 4, 3, 2, 1, 0])
    assert list(cum.to_dict()) == ["slab", "order", "test", *fields, "transf"]
    assert cum.to_dict()["order"] == [5, 4, 3, 2, 1, 0]
    with pytest.raises(ValueError):
        cum.estimate[0] = 1.0


def test_scalar_distribution_paths_equal_array_paths() -> None:
    xs = [0.0, 0.3, 1.959963984540054, 7.5, 40.0]
    for x in xs:
        assert dist.two_sided_norm_p(x) == float(dist.two_sided_norm_p(np.array([x]))[0])
        assert dist.chi2_sf(x, 3) == float(dist.chi2_sf(np.array([x]), 3)[0])
        assert dist.two_sided_t_p(x, 4) == float(dist.two_sided_t_p(np.array([x]), 4)[0])
    for p in (0.025, 0.05, 1e-10):
        assert dist.norm_isf(p) == float(dist.norm_isf(np.array([p]))[0])
        assert dist.t_isf(p, 7) == float(dist.t_isf(np.array([p]), 7)[0])
        assert dist.chi2_isf(p, 9) == float(dist.chi2_isf(np.array([p]), 9)[0])
        assert dist.chi2_ppf(p, 9) == float(dist.chi2_ppf(np.array([p]), 9)[0])
    assert isinstance(dist.norm_isf(0.025), float) and isinstance(dist.chi2_sf(1.0, 2), float)


def test_lazy_attributes_survive_pickling_and_replace() -> None:
    import pickle

    y, v = data(8, 4, 0.2)
    res = rma(y, v)
    fresh = pickle.loads(pickle.dumps(res))  # before any lazy attribute was computed
    assert fresh.ll_REML == res.ll_REML and np.array_equal(fresh.weights, res.weights)
    copied = dataclasses.replace(res, slab=["a"] * 8)  # plain constructor: no fit state
    assert np.allclose(copied.weights, res.weights, rtol=1e-13)
    assert copied.ll_ML == pytest.approx(res.ll_ML, rel=1e-13)
    assert copied.QM == pytest.approx(res.QM, rel=1e-13)


@pytest.mark.parametrize("method", ["REML", "ML"])
def test_ll0check_bounds_never_decide_wrongly(method: str) -> None:
    """The ll0check certifies ll(tau2) > ll(0) by cheap lower bounds (Jensen, then
    log(1 + x) <= x / sqrt(1 + x)) before computing log-likelihoods. Against the exact
    comparison on data where the stationary point is sometimes only a local maximum,
    the single and batched solvers must drop exactly the same fits to tau2 = 0."""
    ml = method == "ML"
    off = dict(pool._control(None), ll0check=False)
    dropped = 0
    for seed in range(500):
        rng = np.random.default_rng(seed)
        k = int(rng.integers(3, 8))
        v = 10 ** rng.uniform(-3, 1, k)
        y = rng.normal(0, 1, k) * rng.choice([0.1, 1, 3])
        t_star = pool._single_tau2(y, v, True, method, off).tau2
        X = np.ones((k, 1))
        drop = t_star > 0 and pool._loglik(y, v, X, 0.0, not ml) > pool._loglik(
            y, v, X, t_star, not ml
        )
        dropped += drop
        expected = 0.0 if drop else t_star
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            single = pool._single_tau2(y, v, True, method, pool._control(None)).tau2
            batch = float(fit_batch(y, v, method=method).tau2[0])
        assert single == expected, seed
        assert batch == pytest.approx(expected, rel=1e-9, abs=1e-15), seed
    if ml:  # these data include ML stationary points below ll(0) (none for REML)
        assert dropped > 0
