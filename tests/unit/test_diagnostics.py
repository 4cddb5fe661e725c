"""Case diagnostics: batched refits equal one-by-one fits; influence formulas by hand."""

from __future__ import annotations

import numpy as np
import pytest

from metareview import diagnostics
from metareview.distributions import chi2_cdf
from metareview.pool import METHODS, rma


def data(k: int = 12, seed: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    v = rng.uniform(0.01, 0.3, k)
    return rng.normal(0.2, np.sqrt(v + 0.1)), v


@pytest.mark.filterwarnings("ignore:the Knapp-Hartung method is not meant")
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("test", ["z", "knha"])
def test_leave1out_equals_separate_fits(method: str, test: str) -> None:
    y, v = data()
    res = rma(y, v, method=method, test=test).leave1out()
    for i in range(y.size):
        keep = np.arange(y.size) != i
        one = rma(y[keep], v[keep], method=method, test=test)
        stat = one.zval
        assert res.estimate[i] == pytest.approx(one.estimate, rel=1e-10)
        assert res.se[i] == pytest.approx(one.se, rel=1e-10)
        assert res.zval[i] == pytest.approx(stat, rel=1e-10)
        assert res.pval[i] == pytest.approx(one.pval, rel=1e-9)
        assert res.tau2[i] == pytest.approx(one.tau2, rel=1e-10, abs=1e-15)
        assert res.Q[i] == pytest.approx(one.QE, rel=1e-10)
        assert res.I2[i] == pytest.approx(one.I2, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("method", ["REML", "PM", "DL", "FE"])
def test_cumul_equals_separate_fits_in_the_given_order(method: str) -> None:
    y, v = data(9, seed=8)
    order = np.array([3, 0, 8, 1, 2, 7, 4, 6, 5])
    # metafor's order is a variable to sort by: study i's position in the order wanted
    position = np.argsort(order)
    res = rma(y, v, method=method, slab=[f"s{i}" for i in range(9)]).cumul(order=position)
    assert res.slab[0] == "s3" and list(res.order) == order.tolist()
    for j in range(9):
        sel = order[: j + 1]
        one = rma(y[sel], v[sel], method=method)
        assert res.estimate[j] == pytest.approx(one.estimate, rel=1e-10)
        assert res.ci_ub[j] == pytest.approx(one.ci_ub, rel=1e-10)
        assert res.tau2[j] == pytest.approx(one.tau2, rel=1e-10, abs=1e-15)
        assert res.Qp[j] == pytest.approx(one.QEp, rel=1e-9)
    # the first fit has a single study: its own estimate, tau2 = 0, Q = 0
    assert res.estimate[0] == y[3] and res.tau2[0] == 0 and res.Q[0] == 0


def test_batched_and_looped_deletion_fits_agree() -> None:
    y, v = data(15, seed=2)
    for test in ("z", "knha"):
        res = rma(y, v, test=test)
        batch = diagnostics._deletion_fits(res, loop=False)
        loop = diagnostics._deletion_fits(res, loop=True)
        for a, b in zip(batch, loop, strict=True):
            assert np.allclose(a, b, rtol=1e-10, atol=1e-14)


def test_influence_of_a_meta_regression_by_hand() -> None:
    """Cook's distance, DFFITS, DFBETAS, covariance ratio and hat values from refits."""
    rng = np.random.default_rng(5)
    k = 14
    x = rng.uniform(0, 1, k)
    v = rng.uniform(0.02, 0.2, k)
    y = 0.3 + 0.8 * x + rng.normal(0, np.sqrt(v + 0.05))
    y[3] += 2.0  # an outlier
    full = rma(y, v, mods=x)
    inf = full.influence()
    X = np.column_stack([np.ones(k), x])
    W = np.diag(1 / (v + full.tau2))
    H = X @ np.linalg.inv(X.T @ W @ X) @ X.T @ W
    assert np.allclose(inf.hat, np.diag(H), rtol=1e-12)
    for i in range(k):
        keep = np.arange(k) != i
        part = rma(y[keep], v[keep], mods=x[keep])
        d = full.beta - part.beta
        assert inf.cook_d[i] == pytest.approx(d @ np.linalg.solve(full.vb, d), rel=1e-9)
        assert inf.cov_r[i] == pytest.approx(
            np.linalg.det(part.vb) / np.linalg.det(full.vb), rel=1e-9
        )
        assert inf.tau2_del[i] == pytest.approx(part.tau2, rel=1e-10, abs=1e-15)
        pred_del = X[i] @ part.beta
        dffits = (X[i] @ full.beta - pred_del) / np.sqrt(H[i, i] * (part.tau2 + v[i]))
        assert inf.dffits[i] == pytest.approx(dffits, rel=1e-9)
        vb_del = np.linalg.inv(X.T @ np.diag(1 / (v + part.tau2)) @ X)
        assert np.allclose(inf.dfbetas[i], d / np.sqrt(np.diag(vb_del)), rtol=1e-9)
        se = np.sqrt(v[i] + X[i] @ part.vb @ X[i] + part.tau2)
        assert inf.rstudent[i] == pytest.approx((y[i] - pred_del) / se, rel=1e-9)
    flagged = (
        (np.abs(inf.dffits) > 3 * np.sqrt(2 / (k - 2)))
        | (np.asarray(chi2_cdf(inf.cook_d, 2)) > 0.5)
        | (inf.hat > 3 * 2 / k)
        | np.any(np.abs(inf.dfbetas) > 1, axis=1)
    )
    assert inf.is_infl.tolist() == flagged.tolist()
    assert 3 in inf.infl_index.tolist()


def test_diagnostics_refuse_what_metafor_refuses() -> None:
    y, v = data(6)
    with pytest.raises(ValueError, match="without moderators"):
        rma(y, v, mods=np.arange(6.0)).leave1out()
    with pytest.raises(ValueError, match="order has 5 values for the 6 studies"):
        rma(y, v).cumul(order=[0, 0, 1, 2, 3])


def test_leave1out_of_two_studies_gives_the_other_study() -> None:
    res = rma([0.2, 0.8], [0.04, 0.09]).leave1out()
    assert res.estimate.tolist() == [0.8, 0.2]
    assert res.se == pytest.approx([0.3, 0.2])
    assert res.tau2.tolist() == [0.0, 0.0]


# A fit with a study of vi = 0 warns, as metafor does, that Q, I^2 and H^2 are not computed.
@pytest.mark.filterwarnings("ignore:Q-test, I\\^2 and H\\^2 are not computed:UserWarning")
@pytest.mark.filterwarnings("ignore:k = 1. using test='z':UserWarning")  # the one-study subsets
# the direct fits of the subsets below warn about vi = 0 as the full data's fit does
@pytest.mark.filterwarnings("ignore:non-positive sampling variances:UserWarning")
@pytest.mark.filterwarnings("ignore:Q-test, I\\^2 and H\\^2 are not computed:UserWarning")
def test_a_refit_that_cannot_be_computed_is_a_row_of_nan() -> None:
    # Study 2 has vi = 0. Without study 6, and in the cumulative fits of studies 1-2 and
    # 1-5, REML finds tau^2 = 0 and that study's weight is infinite: metafor records
    # those refits as NA (leave1out and cumul run each refit in try()) and keeps the
    # others, which are the plain fits of their subsets.
    yi = np.array([0.3, 0.12, 0.55, 0.41, 0.2, 0.62])
    vi = np.array([0.04, 0.0, 0.05, 0.03, 0.06, 0.02])
    with pytest.warns(UserWarning, match="non-positive sampling variances"):
        res = rma(yi, vi, test="adhoc")
    l1o, cum = res.leave1out(), res.cumul()
    assert np.isnan(l1o.estimate).tolist() == [False] * 5 + [True]
    assert np.isnan(cum.estimate).tolist() == [False, True, False, False, True, False]
    for out, subsets in ((l1o, [np.arange(6) != i for i in range(6)]),
                         (cum, [np.arange(6) <= i for i in range(6)])):
        for i, keep in enumerate(subsets):
            if np.isnan(out.estimate[i]):
                assert np.isnan([out.se[i], out.pval[i], out.ci_lb[i], out.tau2[i]]).all()
                with pytest.raises(ValueError, match="division by zero"):
                    rma(yi[keep], vi[keep], test="adhoc")
                continue
            fit = rma(yi[keep], vi[keep], test="adhoc")
            assert out.estimate[i] == pytest.approx(fit.estimate, rel=1e-10)
            assert out.tau2[i] == pytest.approx(fit.tau2, rel=1e-8, abs=1e-14)
    json_ready = l1o.to_dict()
    assert json_ready["estimate"][5] is None


def test_results_are_read_only_and_serialisable() -> None:
    import json

    y, v = data(5)
    res = rma(y, v)
    for out in (res.leave1out(), res.cumul(), res.influence()):
        json.dumps(out.to_dict(), allow_nan=False)
    with pytest.raises(ValueError):
        res.leave1out().estimate[0] = 1.0


def test_leave1out_at_k_1000_is_one_batch() -> None:
    rng = np.random.default_rng(1)
    k = 1000
    v = rng.uniform(0.01, 0.5, k)
    y = rng.normal(0, np.sqrt(v + 0.05))
    res = rma(y, v)
    l1o = res.leave1out()
    for i in (0, 517, 999):
        keep = np.arange(k) != i
        assert l1o.tau2[i] == pytest.approx(rma(y[keep], v[keep]).tau2, rel=1e-10)


def test_blocked_batches_equal_a_single_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    y, v = data(23, seed=6)
    res = rma(y, v)
    whole = (res.leave1out(), res.cumul(), res.influence())
    monkeypatch.setattr(diagnostics, "_BLOCK_CELLS", 50)  # blocks of 2 fits
    parts = (res.leave1out(), res.cumul(), res.influence())
    for a, b in zip(whole, parts, strict=True):
        other = b.to_dict()
        for key, val in a.to_dict().items():
            if key in ("slab", "test", "is_infl", "infl_index", "order", "coef_names"):
                assert val == other[key], key
            else:  # BLAS may sum a block in a different order: last-bit differences
                x = np.array(val, dtype=float)
                assert np.allclose(
                    x, np.array(other[key], dtype=float), rtol=1e-12, atol=0, equal_nan=True
                ), key


@pytest.mark.parametrize("method", ["FE", "REML"])
def test_influence_of_a_study_on_the_line_of_the_others_has_no_residual(method: str) -> None:
    # Every study lies on y = 0.1 + 0.3 x, so each deleted fit predicts its study
    # exactly: the studentized residuals are 0 by hand. Rounding leaves residuals of
    # about 1e-16, which metafor (rstudent.rma.uni) sets to 0 below 100 machine epsilons,
    # so that no -0.0000 or spurious sign is printed.
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    v = np.array([0.01, 0.02, 0.05, 0.03, 0.04, 0.02])
    inf = diagnostics.influence(rma(0.1 + 0.3 * x, v, mods=x, method=method))
    assert np.all(inf.rstudent == 0.0)


# --- a study without which a coefficient cannot be estimated, and inputs a user can get wrong


def test_influence_of_the_only_study_with_a_moderator_level_is_missing_as_in_metafor() -> None:
    """Without study 4, the only one with x = 1, the coefficient of x has no data: metafor
    3.8-1 reports NA for its deletion diagnostics and computes the others, from

        yi <- c(0.1, 0.5, 0.3, 0.8, 0.2, 0.6); vi <- c(0.1, 0.2, 0.15, 0.1, 0.3, 0.12)
        x <- c(0, 0, 0, 1, 0, 0)
        influence(rma(yi, vi, mods = ~ x, method = "FE"))

    (metafor's inf flag is NA there too; a boolean array holds False)."""
    nan = np.nan
    res = rma(
        [0.1, 0.5, 0.3, 0.8, 0.2, 0.6], [0.1, 0.2, 0.15, 0.1, 0.3, 0.12],
        mods={"x": [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]}, method="FE",
    )  # fmt: skip
    inf = diagnostics.influence(res)
    ref = {
        "rstudent": [-0.88821651157168358, 0.40018378130994936, -0.10103629710818428, nan,
                     -0.25980762113533173, 0.88333333333333419],
        "dffits": [-0.5814741996838364, 0.16811081367580247, -0.050518148554091827, nan,
                   -0.086602540378444601, 0.50999273778417131],
        "cook_d": [0.33811224489795805, 0.028261245674740375, 0.0025520833333332895, nan,
                   0.0075000000000001255, 0.26009259259259454],
        "cov_r": [1.4285714285714284, 1.1764705882352944, 1.2499999999999987, nan,
                  1.1111111111111116, 1.333333333333333],
        "tau2_del": [0, 0, 0, nan, 0, 0],
        "QE_del": [0.55357142857142871, 1.1823529411764708, 1.3322916666666667, nan,
                   1.2749999999999999, 0.56222222222222173],
        "hat": [0.29999999999999993, 0.14999999999999997, 0.19999999999999998, 1,
                0.099999999999999992, 0.24999999999999997],
        "weight": [23.076923076923077, 11.538461538461538, 15.384615384615385,
                   23.076923076923077, 7.6923076923076925, 19.230769230769234],
    }  # fmt: skip
    for key, expected in ref.items():
        np.testing.assert_allclose(getattr(inf, key), expected, rtol=1e-10, atol=1e-14, err_msg=key)
    np.testing.assert_allclose(
        inf.dfbetas,
        [[-0.5814741996838364, 0.27933117024198933], [0.16811081367580247, -0.080757822685732825],
         [-0.050518148554091827, 0.024268133584852799], [nan, nan],
         [-0.086602540378444601, 0.041602514716891463], [0.50999273778417131, -0.24499258666614535]],
        rtol=1e-10,
    )  # fmt: skip
    assert not inf.is_infl[[0, 1, 2, 4, 5]].any()


def test_influence_needs_two_studies() -> None:
    with pytest.raises(ValueError, match="influence needs k >= 2 studies"):
        diagnostics.influence(rma([0.3], [0.1]))


def test_cumul_order_must_give_every_study_a_sortable_value() -> None:
    res = rma([0.1, 0.5, 0.3], [0.1, 0.2, 0.15])
    # named by 0-based index, order[i], as yi[i] is: "study 1" read as the first study
    with pytest.raises(ValueError, match=r"order\[1\] is missing \(None\).*indices \[1\]\)"):
        diagnostics.cumul(res, order=[2001, None, 1999])
    with pytest.raises(ValueError, match=r"order\[2\] is missing \(nan\)"):
        diagnostics.cumul(res, order=[2001.0, 2000.0, float("nan")])
    with pytest.raises(ValueError, match="order must hold values that sort against each other"):
        diagnostics.cumul(res, order=[2001, "2000", 1999])


def test_cumul_of_a_subset_names_a_missing_order_by_its_index_in_the_data() -> None:
    # the value of a study the subset leaves out is not read; one it keeps is named by
    # its index in the order given, not its place among the studies kept
    res = rma([0.1, 0.5, 0.3, 0.2], [0.1, 0.2, 0.15, 0.1], subset=[0, 2, 3])
    assert diagnostics.cumul(res, order=[2001, None, 1999, 2000]).order.tolist() == [1, 2, 0]
    with pytest.raises(ValueError, match=r"order\[3\] is missing.*indices \[3\]\)"):
        diagnostics.cumul(res, order=[2001, 2002, 1999, float("nan")])


def test_notebooks_display_the_diagnostics_tables() -> None:
    class Printer:
        def __init__(self) -> None:
            self.out = ""

        def text(self, s: str) -> None:
            self.out += s

    res = rma([0.1, 0.5, 0.3, 0.8], [0.1, 0.2, 0.15, 0.1])
    for table in (diagnostics.leave1out(res), diagnostics.influence(res)):
        p = Printer()
        table._repr_pretty_(p, False)
        assert p.out == table.summary() == str(table)


def test_rstandard_prints_a_zero_by_zero_z_as_nan_and_an_all_nan_column_as_na() -> None:
    # R prints a NaN beside numbers as NaN; metafor's .fcf prints a column of nothing but
    # NA or NaN as NA (a one-study model's z = 0/0)
    nan = float("nan")
    mixed = diagnostics.RstandardResult(
        resid=np.array([0.0, 0.5, 0.2]), se=np.array([0.0, 0.25, nan]), z=np.array([nan, 2.0, nan]),
        slab=["1", "2", "3"],
    )  # fmt: skip
    rows = [line.split() for line in mixed.summary().splitlines()[1:]]
    assert rows[0][-1] == "NaN" and rows[1][-1] == "2.0000" and rows[2][-1] == "NA"
    one = diagnostics.rstandard(rma([0.3], [0.1]))
    assert np.isnan(one.z[0])
    assert one.summary().splitlines()[1].split()[-1] == "NA"
