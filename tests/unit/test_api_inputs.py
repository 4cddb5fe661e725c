"""The library as a notebook user meets it: pandas inputs, arguments of the wrong kind and
missing values get either metafor's answer or an error that names the argument."""

from __future__ import annotations

import re
import warnings
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import assert_close, assert_printed

from metareview import (
    escalc,
    fsn,
    influence,
    leave1out,
    ranktest,
    regtest,
    rma,
    subgroups,
    trimfill,
)
from metareview.pool import METAFOR_DEFAULTS

pd = pytest.importorskip("pandas")

# Four studies whose equal-effects estimate is a fraction: w = 1/v = [100, 50, 100/3, 50],
# sum w = 700/3, sum w y = 10 + 15 + 50/3 + 10 = 155/3, so mu = 155/700.
Y = [0.1, 0.3, 0.5, 0.2]
V = [0.01, 0.02, 0.03, 0.02]
MU_FE = 155 / 700


# --------------------------------------------------------------------------- pandas indexes


def test_series_with_one_non_default_index_are_used_by_position() -> None:
    idx = [10, 11, 12, 13]
    res = rma(pd.Series(Y, index=idx), pd.Series(V, index=idx), method="FE")
    assert res.estimate == pytest.approx(MU_FE, rel=1e-12)


def test_series_with_different_indexes_are_refused_not_paired_by_position() -> None:
    # the same studies, vi listed in reverse: pandas would align them by label, a
    # positional fit would pair study 10's yi with study 13's vi
    yi = pd.Series(Y, index=[10, 11, 12, 13])
    vi = pd.Series(V[::-1], index=[13, 12, 11, 10])
    with pytest.raises(ValueError, match=r"rma: yi and vi .*different indexes.*reindex"):
        rma(yi, vi)
    # aligned as the message says, the fit is the equal-effects mean by hand
    assert rma(yi, vi.reindex(yi.index), method="FE").estimate == pytest.approx(MU_FE, rel=1e-12)


def test_moderators_and_groups_with_another_index_are_refused() -> None:
    yi = pd.Series(Y, index=[10, 11, 12, 13])
    vi = pd.Series(V, index=yi.index)
    with pytest.raises(ValueError, match=r"yi and mods "):
        rma(yi, vi, mods=pd.Series([1.0, 2.0, 3.0, 4.0], index=[3, 2, 1, 0]))
    with pytest.raises(ValueError, match=r"yi and mods\['x'\] "):
        rma(yi, vi, mods={"x": pd.Series([1.0, 2.0, 3.0, 4.0])})
    with pytest.raises(ValueError, match=r"subgroups: yi and groups "):
        subgroups(yi, vi, pd.Series(["a", "a", "b", "b"]))
    with pytest.raises(ValueError, match=r"fsn: yi and vi "):
        fsn(yi, pd.Series(V))
    with pytest.raises(ValueError, match=r"ranktest: yi and vi "):
        ranktest(yi=yi, vi=pd.Series(V))


def test_escalc_refuses_columns_of_two_differently_indexed_frames() -> None:
    a = pd.DataFrame({"m": [1.0, 2.0], "sd": [1.0, 1.0]}, index=[5, 6])
    b = pd.DataFrame({"m": [0.0, 0.0], "sd": [1.0, 1.0]}, index=[6, 5])
    with pytest.raises(ValueError, match=r"escalc: m1i and m2i .*different indexes"):
        escalc("MD", m1i=a.m, sd1i=a.sd, n1i=[10, 10], m2i=b.m, sd2i=a.sd, n2i=[10, 10])


def _trials() -> Any:
    """Six trials as a data frame whose index is not 0..5, as after filtering a bigger one."""
    return pd.DataFrame(
        {
            "m1": [12.1, 10.4, 14.2, 9.8, 13.5, 10.1],
            "m2": [15.5, 10.9, 19.6, 10.1, 17.9, 10.2],
            "sd": [4.1, 3.9, 5.2, 3.5, 4.8, 3.3],
            "n": [25, 40, 18, 60, 22, 45],
            "dose": [8.0, 6.0, 12.0, 4.0, 10.0, 5.0],
            "study": ["A", "B", "C", "D", "E", "F"],
        },
        index=[101, 102, 103, 104, 106, 107],
    )


def test_escalc_and_rma_keep_the_index_of_pandas_data() -> None:
    d = _trials()
    m1 = d.m1
    es = escalc("MD", m1i=m1, sd1i=d.sd, n1i=d.n, m2i=d.m2, sd2i=d.sd, n2i=d.n)
    assert es.index is m1.index  # kept, not copied
    assert rma(es).index is es.index and rma(es, subset=[0, 2, 4]).index is es.index
    yi, vi = pd.Series(es.yi, index=d.index), pd.Series(es.vi, index=d.index)
    assert rma(yi, vi).index is yi.index and rma(yi, sei=np.sqrt(vi)).index.equals(d.index)
    # plain arrays have no index to keep; a fit's dict (the results written) is unchanged
    plain = escalc("MD", m1i=d.m1.to_numpy(), sd1i=d.sd.to_numpy(), n1i=d.n.to_numpy(),
                   m2i=d.m2.to_numpy(), sd2i=d.sd.to_numpy(), n2i=d.n.to_numpy())
    assert plain.index is None and rma(plain).index is None and rma(es.yi, es.vi).index is None
    assert "index" not in rma(es).to_dict()


def test_later_arguments_in_another_order_than_escalcs_data_are_refused() -> None:
    d = _trials()
    es = escalc("MD", m1i=d.m1, sd1i=d.sd, n1i=d.n, m2i=d.m2, sd2i=d.sd, n2i=d.n)
    s = d.sort_values("study", ascending=False)  # the frame sorted after escalc
    for kwargs, name in [
        ({"mods": s[["dose"]]}, "mods"),
        ({"mods": {"dose": s.dose}}, r"mods\['dose'\]"),
        ({"slab": s.study}, "slab"),
        ({"ni": s.n * 2}, "ni"),
        ({"subset": (s.dose > 5)}, "subset"),
        ({"weights": s.n}, "weights"),
    ]:
        with pytest.raises(ValueError, match=rf"rma: es and {name} have different indexes"):
            rma(es, **kwargs)
    # aligned, or plain arrays (by position), they are fitted
    aligned = rma(es, mods=d[["dose"]], slab=d.study)
    by_position = rma(es, mods=d.dose.to_numpy())
    assert aligned.slab[0] == "A" and aligned.beta.tolist() == by_position.beta.tolist()


def test_a_fits_order_and_ni_must_have_its_index() -> None:
    d = _trials()
    es = escalc("MD", m1i=d.m1, sd1i=d.sd, n1i=d.n, m2i=d.m2, sd2i=d.sd, n2i=d.n)
    res = rma(pd.Series(es.yi, index=d.index), pd.Series(es.vi, index=d.index), slab=d.study)
    shuffled = d.sample(frac=1, random_state=1)
    message = r"cumul: res and order have different indexes .*order\.reindex\(res\.index\)"
    with pytest.raises(ValueError, match=message):
        res.cumul(order=shuffled.dose)
    with pytest.raises(ValueError, match="regtest: res and ni have different indexes"):
        res.regtest(predictor="ni", ni=shuffled.n * 2)
    # the same values in the fit's order are read, and so are plain arrays
    by_dose = ("D", "F", "B", "A", "E", "C")
    assert res.cumul(order=d.dose).slab == res.cumul(order=d.dose.to_numpy()).slab == by_dose
    by_series = res.regtest(predictor="ni", ni=d.n * 2).pval
    assert by_series == res.regtest(predictor="ni", ni=(d.n * 2).to_numpy()).pval


def test_dataframe_moderators_keep_their_column_names() -> None:
    # metafor names the coefficients after the moderators' columns
    mods = pd.DataFrame({"dose": [1.0, 2.0, 3.0, 5.0]})
    res = rma(Y, V, mods=mods, method="FE")
    assert res.coef_names == ("intrcpt", "dose")
    # and fits the same model as the bare column: WLS slope by hand,
    # b = sum w (x - xw)(y - yw) / sum w (x - xw)^2
    w, x, y = 1 / np.array(V), np.array([1.0, 2.0, 3.0, 5.0]), np.array(Y)
    xw, yw = np.sum(w * x) / np.sum(w), np.sum(w * y) / np.sum(w)
    slope = np.sum(w * (x - xw) * (y - yw)) / np.sum(w * (x - xw) ** 2)
    assert res.beta[1] == pytest.approx(slope, rel=1e-12)


# --------------------------------------------------------------------------- wrong kinds


@pytest.mark.parametrize("method", [regtest, trimfill, leave1out, influence])
def test_methods_on_fits_refuse_raw_data_with_a_type_error(method) -> None:
    with pytest.raises(TypeError, match=r"expects a model fitted by rma\(\).*got list"):
        method(Y)


def test_ranktest_takes_yi_and_vi_by_position_as_metafors() -> None:
    by_name = ranktest(yi=Y, vi=V)
    for positional in (ranktest(Y, V), ranktest(Y, vi=V), ranktest(rma(Y, V))):
        assert (positional.tau, positional.pval, positional.k) == (by_name.tau, by_name.pval, 4)
    with pytest.raises(TypeError, match=r"got list alone; pass ranktest\(yi, vi\)"):
        ranktest(Y)
    with pytest.raises(TypeError, match="a fitted model and yi or vi"):
        ranktest(rma(Y, V), V)
    with pytest.raises(TypeError, match="yi twice"):
        ranktest(Y, V, yi=Y)
    with pytest.raises(ValueError, match=r"ranktest: yi and vi "):
        ranktest(pd.Series(Y, index=[4, 3, 2, 1]), pd.Series(V))


def test_text_moderators_name_the_argument_and_the_coding() -> None:
    with pytest.raises(ValueError, match=r"mods is not numeric: it holds text .*dummy"):
        rma(Y, V, mods=["a", "b", "a", "b"])


# --------------------------------------------------------------------------- missing values


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_subgroups_name_a_study_without_a_group(missing) -> None:
    with pytest.raises(ValueError, match=r"groups\[1\] is missing"):
        subgroups(Y, V, ["a", missing, "b", "b"])


def test_subgroups_name_a_study_with_pandas_na() -> None:
    groups = pd.Series(["a", None, "b", "b"], dtype="string")
    with pytest.raises(ValueError, match=r"groups\[1\] is missing"):
        subgroups(Y, V, groups)


SG_Y = np.array([0.1, 0.3, 0.5, 0.2, 0.4, 0.25, 0.6, 0.05])
SG_V = np.array([0.01, 0.02, 0.03, 0.02, 0.015, 0.025, 0.02, 0.03])
SG_G = np.array(["a", "a", "b", "b", "a", "b", "b", "a"], dtype=object)


def test_subgroups_subset_fits_as_the_studies_kept() -> None:
    # metafor's rma(yi, vi, subset = s & g == level) per level, ~ factor(g) on subset = s
    keep = np.array([True, True, True, False, True, True, True, False])
    w = np.arange(1.0, 9.0)
    y, v, g = SG_Y.copy(), SG_V.copy(), SG_G.copy()
    y[3], v[7], g[7], w[3] = np.nan, np.nan, None, np.nan  # left out: not read
    sub = subgroups(y, v, g, subset=keep, weights=w, method="DL")
    # the studies keep their row numbers in the data given as labels, as in metafor
    rows = [str(i + 1) for i in np.flatnonzero(keep)]
    direct = subgroups(SG_Y[keep], SG_V[keep], SG_G[keep], weights=w[keep], method="DL", slab=rows)
    assert sub.to_dict() == direct.to_dict()
    by_index = subgroups(y, v, g, subset=np.flatnonzero(keep), weights=w, method="DL")
    assert by_index.to_dict() == direct.to_dict()


def test_subgroups_name_a_missing_value_kept_by_its_index_in_the_data() -> None:
    y, g = SG_Y.copy(), SG_G.copy()
    y[5], g[6] = np.nan, None
    with pytest.raises(ValueError, match=r"yi\[5\] is nan.*subgroups\(\.\.\., subset=\.\.\.\)"):
        subgroups(y, SG_V, SG_G, subset=[0, 1, 2, 5, 6])
    with pytest.raises(ValueError, match=r"groups\[6\] is missing.*subgroups\(\.\.\., subset"):
        subgroups(SG_Y, SG_V, g, subset=[0, 1, 2, 5, 6])
    # without subset, the route named is subgroups' own, not rma's
    with pytest.raises(ValueError, match=r"yi\[5\] is nan.*with subgroups\(\.\.\., subset=\.\.\.\)"):
        subgroups(y, SG_V, SG_G)


def test_subgroups_subset_shares_the_index_of_pandas_data() -> None:
    keep = pd.Series(SG_G != "x", index=range(10, 18))
    with pytest.raises(ValueError, match="subgroups: .*different indexes"):
        subgroups(pd.Series(SG_Y), SG_V, SG_G, subset=keep)


def test_estimate_tau2_names_a_route_it_has() -> None:
    from metareview.pool import estimate_tau2

    with pytest.raises(ValueError, match=r"yi\[1\] is nan.*yi\[keep\] and vi\[keep\]"):
        estimate_tau2([0.1, float("nan"), 0.3], [0.01, 0.02, 0.03])


@pytest.mark.parametrize(
    ("yi", "vi", "message"),
    [
        (Y, [0.01, -0.02, 0.03, 0.02], r"vi < 0 in 1 of 4 studies \(indices \[1\]\)"),
        ([0.1, 0.0, 0.5, 0.2], [0.01, 0.0, 0.03, 0.02], r"0/0 .* \(indices \[1\]\)"),
        ([0.1, float("nan"), 0.5, 0.2], V, r"yi\[1\] is nan"),
        (["0.1", "x", "0.5", "0.2"], V, r"yi is not numeric"),
    ],
)
def test_fsn_names_the_offending_study(yi, vi, message) -> None:
    with pytest.raises(ValueError, match=message):
        fsn(yi, vi)


@pytest.mark.parametrize(
    ("text", "name", "first"),
    [
        (["55", "27", "64"], "m1i", "55"),  # a list of strings
        (np.array(["55", "27", "64"]), "m1i", "55"),  # numpy's unicode strings
        (pd.Series(["55", "27", "64"], dtype=object), "m1i", "55"),  # a CSV column read as text
        (pd.Series(["55", "27", "64"], dtype="string"), "m1i", "55"),
        ([55.0, "27", 64.0], "m1i", "27"),  # one cell as text
        ("155", "n1i", "155"),  # a scalar, which escalc recycles
    ],
)
def test_escalc_refuses_numbers_given_as_text(text: Any, name: str, first: str) -> None:
    # metafor 3.8-1: escalc("MD", m1i = c("55", "27", "64"), ...) stops: "The
    # object/variable specified for the 'm1i' argument is not numeric."; float() here
    # parsed the strings and gave effect sizes without a word.
    data: dict[str, Any] = {"m1i": [55.0, 27.0, 64.0], "sd1i": [47.0, 7.0, 17.0], "n1i": [155, 31, 75],
                            "m2i": [75.0, 29.0, 119.0], "sd2i": [64.0, 4.0, 29.0], "n2i": [156, 32, 71]}
    data[name] = text
    with pytest.raises(ValueError, match=rf"^{name} is not numeric: it holds text \('{first}'\); convert"):
        escalc("MD", **data)
    # numbers in an object column (None for a missing one) are numbers, as before
    data[name] = pd.Series([55.0, None, 64.0], dtype=object) if name == "m1i" else 155
    assert np.isnan(escalc("MD", **data).yi).tolist() == [False, name == "m1i", False]


def test_regtest_refuses_sample_sizes_given_as_text() -> None:
    # metafor 3.8-1: regtest(res, predictor = "ni", ni = c("20", ...)) stops: "The
    # object/variable specified for the 'ni' argument is not numeric."
    res = rma(Y, V)
    with pytest.raises(ValueError, match=r"^ni is not numeric: it holds text \('20'\)"):
        res.regtest(predictor="ni", ni=["20", "40", "60", "80"])
    assert res.regtest(predictor="ni", ni=[20, 40, 60, 80]).zval is not None


# --------------------------------------------------------------------------- extreme variances

# metafor 3.8-1, every vi = 0 (yi are then the true effects: tau^2 is their variance):
#   y <- c(0.1, 0.3, 0.5, 0.2)
#   for (m in c("REML", "ML", "HE", "SJ", "EB")) {
#     r <- rma(y, rep(0, 4), method = m); print(c(r$beta, r$se, r$tau2, r$se.tau2), digits = 12)
#   }
# REML, HE, SJ, EB: 0.275 0.0853912563830 0.0291666666667 0.0238144836104
# ML:               0.275 0.0739509972887 0.0218750000000 0.0154679608385
# By hand: tau^2 = sum (y - ybar)^2 / (k - 1) = 0.0875 / 3 (REML) or / k (ML),
# se = sqrt(tau^2 / k). DL, PM, PMM, HS stop ("cannot be used when there are non-positive
# sampling variances"), FE on the infinite weights.
ALL_ZERO_VI = {
    "REML": (0.275, 0.0853912563830, 0.0875 / 3, 0.0238144836104),
    "HE": (0.275, 0.0853912563830, 0.0875 / 3, 0.0238144836104),
    "SJ": (0.275, 0.0853912563830, 0.0875 / 3, 0.0238144836104),
    "EB": (0.275, 0.0853912563830, 0.0875 / 3, 0.0238144836104),
    "ML": (0.275, 0.0739509972887, 0.0875 / 4, 0.0154679608385),
}


@pytest.mark.parametrize("method", sorted(ALL_ZERO_VI))
def test_all_zero_variances_give_metafors_fit_without_numpy_warnings(method) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # numpy's inf * 0 from the internals
        warnings.filterwarnings("ignore", message="Q-test, I.2 and H.2 are not computed")
        res = rma(Y, [0.0] * 4, method=method)
    estimate, se, tau2, se_tau2 = ALL_ZERO_VI[method]
    assert res.estimate == pytest.approx(estimate, rel=1e-10)
    assert res.se == pytest.approx(se, rel=1e-10)
    assert res.tau2 == pytest.approx(tau2, rel=1e-10)
    assert res.se_tau2 == pytest.approx(se_tau2, rel=1e-10)


@pytest.mark.parametrize("method", ["DL", "PM", "PMM", "HS", "FE"])
def test_all_zero_variances_are_refused_where_metafor_refuses_them(method) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(ValueError, match=r"vi > 0|vi = 0"):
            rma(Y, [0.0] * 4, method=method)


@pytest.mark.parametrize("tiny", [1e-10, 1e-17, 1e-20])
def test_one_tiny_variance_warns_and_keeps_q_and_dl_exact(tiny) -> None:
    # Exact rational arithmetic by hand: w = 1/v, mu = sum w y / W, Q = sum w (y - mu)^2,
    # tr(P) = W - sum w^2 / W, DL tau^2 = max(0, (Q - (k - 1)) / tr(P)),
    # vt = (k - 1) / tr(P). The power sums lost every digit of tr(P) from vi ~ 1e-18 on
    # (vt divided by zero), and Q and vt already drifted by 1e-2 at 1e-17.
    y = [Fraction(1, 10), Fraction(3, 10), Fraction(5, 10), Fraction(2, 10)]
    v = [Fraction(tiny), Fraction(2, 100), Fraction(3, 100), Fraction(2, 100)]
    w = [1 / x for x in v]
    W = sum(w)
    mu = sum(a * b for a, b in zip(w, y)) / W
    Q = sum(a * (b - mu) ** 2 for a, b in zip(w, y))
    trP = W - sum(a * a for a in w) / W
    with pytest.warns(UserWarning, match="ratio of largest to smallest sampling variance"):
        res = rma([float(a) for a in y], [float(a) for a in v], method="DL")
    assert res.QE == pytest.approx(float(Q), rel=1e-9)
    assert res.vt == pytest.approx(float(3 / trP), rel=1e-9)
    assert res.tau2 == pytest.approx(float(max(0, (Q - 3) / trP)), rel=1e-9)
    assert res.I2 == pytest.approx(float(100 * res.tau2 / (res.tau2 + 3 / trP)), rel=1e-9)


# metafor 3.8-1, run to convergence (its P matrix is exact enough at the solution, where
# no weight dominates):
#   ctl <- list(threshold = 1e-12, maxiter = 1000)
#   yi <- c(0.11, 0.36, 0.05, 0.78); vi <- c(1e-20, 0.02, 0.03, 0.05)
#   r <- rma(yi, vi, method = m, control = ctl); c(r$tau2, r$se.tau2, r$beta, r$se)
#   REML 0.05988950175862642 0.0661635999130302  0.2831179580217514 0.1422207120660618
#   EB   0.07327654821374729 0.07746220114709484 0.2886944355215394 0.1540060336331081
#   PM   0.07326963885866525 (uniroot's tolerance .Machine$double.eps^0.25: EB's root
#        of the same equation Q(tau^2) = k - 1 is the exact one)
#   ML   0 (the ML score at 0 is (y'PPy - sum 1/vi)/2 ~ -5e19)
@pytest.mark.parametrize(
    ("method", "tau2", "se_tau2", "mu", "se"),
    [
        ("REML", 0.05988950175862642, 0.0661635999130302, 0.2831179580217514, 0.1422207120660618),
        ("EB", 0.07327654821374729, 0.07746220114709484, 0.2886944355215394, 0.1540060336331081),
        ("PM", 0.07327654821374729, 0.07746220114709484, 0.2886944355215394, 0.1540060336331081),
    ],
)
def test_one_tiny_variance_keeps_the_iterative_estimators_off_zero(
    method: str, tau2: float, se_tau2: float, mu: float, se: float
) -> None:
    # With w = 1/vi = 1e20 for one study, the power sums at tau^2 = 0 cancel to noise:
    # REML read a negative score there (or its ll0check a larger likelihood) and stopped at
    # tau^2 = 0; PM and EB stopped at 0 or never converged.
    with pytest.warns(UserWarning, match="ratio of largest to smallest sampling variance"):
        res = rma([0.11, 0.36, 0.05, 0.78], [1e-20, 0.02, 0.03, 0.05], method=method)
    assert res.tau2 == pytest.approx(tau2, rel=1e-9)
    assert res.se_tau2 == pytest.approx(se_tau2, rel=1e-9)
    assert res.estimate == pytest.approx(mu, rel=1e-9)
    assert res.se == pytest.approx(se, rel=1e-9)


def test_one_tiny_variance_gives_ml_its_boundary_maximum() -> None:
    # metafor 3.8-1: rma(yi, vi, method = "ML", control = ctl) (data as above): tau2 0,
    # se.tau2 1.414213562373095e-20 (= sqrt(2 / sum w^2) = sqrt(2) vi_min), beta 0.11, se 1e-10.
    # Fisher scoring from the HE start finds the local maximum at 0.041; the likelihood
    # at 0 is larger (by -0.5 log(1e-20) alone), so the ll0check sets tau^2 = 0.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = rma([0.11, 0.36, 0.05, 0.78], [1e-20, 0.02, 0.03, 0.05], method="ML")
    msgs = " | ".join(str(w.message) for w in caught)
    assert "ratio of largest" in msgs and "larger at tau^2 = 0" in msgs
    assert res.tau2 == 0.0
    assert res.se_tau2 == pytest.approx(2**0.5 * 1e-20, rel=1e-9)
    assert res.estimate == pytest.approx(0.11, rel=1e-9)
    assert res.se == pytest.approx(1e-10, rel=1e-9)


def test_one_tiny_variance_gives_dl_a_standard_error() -> None:
    # tr(PP) = sum w^2 - 2 sum w^3 / W + (sum w^2 / W)^2 from power sums came out negative
    # (math domain error). By hand in exact arithmetic as above, with
    # tr(PP) = sum_i P_ii^2 + sum_{i != j} w_i^2 w_j^2 / W^2, P_ii = w_i - w_i^2 / W, and
    # SE = sqrt(2 (k - 1) + 4 tau2 tr(P) + 2 tau2^2 tr(PP)) / tr(P) (metafor's DL SE;
    # metafor 3.8-1 gives tau2 0.01766774465883051, se.tau2 0.02853765807231153, its P
    # matrix losing six digits to the same cancellation). metafor's REML, converged:
    # 0.01664980937807674 (and 0.01664980937835044 from the score in 60-digit arithmetic).
    y = [Fraction(3, 10), Fraction(58, 100), Fraction(55, 100), Fraction(48, 100)]
    v = [Fraction(1, 10**12), Fraction(2, 100), Fraction(3, 100), Fraction(5, 100)]
    w = [1 / x for x in v]
    W = sum(w)
    mu = sum(a * b for a, b in zip(w, y)) / W
    Q = sum(a * (b - mu) ** 2 for a, b in zip(w, y))
    trP = W - sum(a * a for a in w) / W
    trPP = sum((a - a * a / W) ** 2 for a in w) + sum(
        a * a * b * b / W**2 for i, a in enumerate(w) for j, b in enumerate(w) if i != j
    )
    tau2 = max(0, (Q - 3) / trP)
    se2 = (2 * 3 + 4 * tau2 * trP + 2 * tau2**2 * trPP) / trP**2
    yf, vf = [float(a) for a in y], [float(a) for a in v]
    with pytest.warns(UserWarning, match="ratio of largest"):
        res = rma(yf, vf, method="DL")
    assert res.tau2 == pytest.approx(float(tau2), rel=1e-9)
    assert res.se_tau2 == pytest.approx(float(se2) ** 0.5, rel=1e-9)
    with pytest.warns(UserWarning, match="ratio of largest"):
        reml = rma(yf, vf, method="REML").tau2
    assert reml == pytest.approx(0.01664980937835044, rel=1e-12)  # the 60-digit root
    assert_close(reml, 0.01664980937807674, "tight_tau2", "REML tau2")


def test_one_tiny_variance_in_leave1out_and_cumul() -> None:
    # The batched refits had the same cancellation: every leave-one-out fit that keeps
    # the study of vi = 1e-20 came out tau^2 = 0. metafor 3.8-1, converged:
    #   yi <- c(0.11, 0.36, 0.05, 0.78, 0.4); vi <- c(1e-20, 0.02, 0.03, 0.05, 0.04)
    #   r <- rma(yi, vi, control = list(threshold = 1e-12, maxiter = 1000))
    #   leave1out(r)$tau2
    #   0.04280461580480651 0.06771657414153737 0.05282639840612117 0.01100958220558767
    #   0.05988950175862642
    #   cumul(r)$tau2
    #   0 0.021249999999999981 0.006756234240159224 0.059889501758626423
    #   0.043247711966546983
    # metafor's Q of these fits is itself noise (7.23 for the second, from its P matrix);
    # Q is checked by hand instead, in exact arithmetic as above.
    yi = [0.11, 0.36, 0.05, 0.78, 0.4]
    vi = [1e-20, 0.02, 0.03, 0.05, 0.04]
    with pytest.warns(UserWarning, match="ratio of largest"):
        res = rma(yi, vi)
    l1o = leave1out(res)
    assert l1o.tau2 == pytest.approx(
        [0.04280461580480651, 0.06771657414153737, 0.05282639840612117,
         0.01100958220558767, 0.05988950175862642], rel=1e-9,
    )  # fmt: skip
    cu = res.cumul()
    assert cu.tau2 == pytest.approx(
        [0.0, 0.021249999999999981, 0.006756234240159224, 0.059889501758626423,
         0.043247711966546983], rel=1e-9, abs=1e-15,
    )  # fmt: skip
    y = [Fraction(11, 100), Fraction(5, 100), Fraction(78, 100), Fraction(4, 10)]
    v = [Fraction(1, 10**20), Fraction(3, 100), Fraction(5, 100), Fraction(4, 100)]
    w = [1 / x for x in v]
    mu = sum(a * b for a, b in zip(w, y)) / sum(w)
    Q = sum(a * (b - mu) ** 2 for a, b in zip(w, y))
    assert l1o.Q[1] == pytest.approx(float(Q), rel=1e-9)


# --------------------------------------------------------------------------- predict


def test_predict_with_newmods_on_a_model_without_moderators_says_so() -> None:
    with pytest.raises(ValueError, match="no moderators: call predict"):
        rma(Y, V).predict(newmods=[1.0, 2.0])


def test_predict_names_the_moderators_a_wrong_newmods_misses() -> None:
    res = rma(Y, V, mods={"a": [1.0, 2.0, 3.0, 5.0], "b": [0.0, 1.0, 0.0, 1.0]}, method="FE")
    with pytest.raises(ValueError, match=r"3 value\(s\) per row; .* 2 moderator\(s\) \['a', 'b'\]"):
        res.predict(newmods=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="newmods is not numeric"):
        res.predict(newmods=["x", "y"])
    # one row of two moderators is read as such: b0 + b1 a + b2 b by hand
    assert float(res.predict(newmods=[1.0, 2.0]).pred[0]) == pytest.approx(
        res.beta[0] + res.beta[1] * 1.0 + res.beta[2] * 2.0, rel=1e-12
    )


# --------------------------------------------------------------------------- trim and fill


def test_trimfill_with_two_studies_asks_for_the_side_and_matches_metafor_given_one() -> None:
    res = rma([0.1, 0.5], [0.01, 0.02])
    with pytest.raises(ValueError, match=r"cannot choose the side with k = 2.*side='left'"):
        res.trimfill()
    # metafor 3.8-1: t <- trimfill(rma(c(0.1, 0.5), c(0.01, 0.02)), side = "left")
    #   c(t$k0, t$beta, t$se)  ->  1  0.1  0.2258589
    # (the filled study 2 * 0.1 - 0.5 = -0.3 with vi = 0.02 mirrors study 2)
    filled = res.trimfill(side="left")
    assert filled.k0 == 1
    assert filled.estimate == pytest.approx(0.1, abs=1e-12)
    # metafor's REML stops short of the root (tau2 0.13651840 vs 0.13651837): its number
    # comes from its own iteration, and the exact root's SE lies 8e-8 relative from it
    as_metafor = rma([0.1, 0.5], [0.01, 0.02], control=METAFOR_DEFAULTS).trimfill(side="left")
    assert_printed(as_metafor.se, "0.2258589", "emulated", "se")
    assert filled.se == pytest.approx(as_metafor.se, rel=5e-7)


# --------------------------------------------------------------------------- rma(escalc(...))


def test_rma_fits_the_effect_sizes_of_escalc_as_metafor_does() -> None:
    # metafor: rma(escalc("MD", ...)) fits the yi and vi of the escalc object.
    # MD by hand: yi = m1i - m2i = [1, 2, 3], vi = sd1i^2/n1i + sd2i^2/n2i = 0.2 each, so
    # the FE estimate is the plain mean 2 with se sqrt(0.2/3).
    es = escalc(
        "MD", m1i=[1, 2, 3], sd1i=[1, 1, 1], n1i=[10, 10, 10], m2i=[0, 0, 0],
        sd2i=[1, 1, 1], n2i=[10, 10, 10],
    )  # fmt: skip
    res = rma(es, method="FE")
    assert res.estimate == pytest.approx(2.0, rel=1e-12)
    assert res.se == pytest.approx((0.2 / 3) ** 0.5, rel=1e-12)


def test_rma_without_vi_says_what_it_needs() -> None:
    with pytest.raises(TypeError, match="rma needs the sampling variances vi"):
        rma(Y)


# ---------------------------------------------------------------------------------------
# what a metafor user types, and what the message then says


def test_an_escalc_result_with_vi_says_to_pass_one_or_the_other() -> None:
    es = escalc("SMD", m1i=[1.0, 2.0, 3.0], sd1i=[1.0, 1.0, 1.0], n1i=[10, 12, 14],
                m2i=[1.5, 1.0, 2.0], sd2i=[1.0, 1.2, 1.1], n2i=[11, 12, 13])
    with pytest.raises(TypeError, match=r"rma\(es\), .*rma\(es\.yi, es\.vi\)"):
        rma(es, es.vi)


def test_a_control_option_with_metafors_dotted_name_is_given_its_name_here() -> None:
    with pytest.raises(ValueError, match=r"\['tau2\.max'\] \(metafor's names are written with '_' here: \['tau2_max'\]\)"):
        rma(Y, V, control={"tau2.max": 10})
    with pytest.raises(ValueError, match=r"unknown control option\(s\) \['stepadj'\]; known"):
        rma(Y, V, control={"stepadj": 0.5})


def test_a_level_that_is_no_interval_says_each_reading() -> None:
    # metafor reads 100 as a percentage (alpha = 0, an interval without end) and 0 as
    # alpha = 1 (one without width); 1 is a percentage there, a 1% interval
    for level in (100, 0, 120):
        with pytest.raises(ValueError, match=r"percentage in \[1, 100\), a proportion in \(0.5, 1\) or alpha"):
            rma(Y, V, level=level)
    assert rma(Y, V, level=1).level == 1


def test_a_missing_effect_size_points_to_subset() -> None:
    # drop00 makes a table missing; metafor drops the study, here it is refused by name
    es = escalc("OR", ai=[0, 2, 4], bi=[10, 8, 6], ci=[0, 3, 5], di=[10, 7, 5], drop00=True)
    with pytest.raises(ValueError, match=r"yi\[0\] is nan: .*subset="):
        rma(es)
    assert rma(es, subset=[1, 2]).k == 2


def test_repeated_study_labels_are_made_unique_as_metafor_does() -> None:
    # metafor 3.8-1: rma(yi, vi, slab = c("Lee 2004", "Lee 2004", "Ma", "Lee 2004"))$slab
    # is "Lee 2004.1" "Lee 2004.2" "Ma" "Lee 2004.3" (.make.unique), and leave1out's
    # rows carry the same; labels repeated only outside a subset stay as they are
    res = rma(Y, V, slab=["Lee 2004", "Lee 2004", "Ma", "Lee 2004"])
    assert list(res.slab) == ["Lee 2004.1", "Lee 2004.2", "Ma", "Lee 2004.3"]
    assert list(res.leave1out().slab) == list(res.slab)
    assert list(rma(Y, V, slab=["A", "A", "B", "C"], subset=[0, 2, 3]).slab) == ["A", "B", "C"]


SIX = (np.array([0.1, 0.5, -0.2, 0.4, 0.9, 0.3]), np.array([0.02, 0.05, 0.03, 0.04, 0.06, 0.02]))


def test_subset_refuses_a_pandas_index_whose_labels_would_be_read_as_positions() -> None:
    y, v = SIX
    frame = pd.DataFrame({"yi": y, "vi": v, "g": list("abbaab")}, index=[5, 4, 3, 2, 1, 0])
    chosen = frame.index[frame.g == "b"]  # labels 4, 3 and 0: positions 1, 2 and 5
    with pytest.raises(ValueError, match=r"pandas Index.*boolean mask.*to_numpy\(\)"):
        rma(frame.yi, frame.vi, subset=chosen)
    mask = rma(frame.yi, frame.vi, subset=(frame.g == "b").to_numpy())
    assert mask.subset.tolist() == [False, True, True, False, False, True]
    # plain 0-based positions are read as before
    assert rma(y, v, subset=[5, 1, 2]).estimate == mask.estimate


def test_subset_refuses_an_index_given_twice() -> None:
    y, v = SIX
    with pytest.raises(ValueError, match="index 1 more than once"):
        rma(y, v, subset=[3, 1, 1])
    # a 0/1 mask cast to int would otherwise select the first two studies
    with pytest.raises(ValueError, match="index 0 more than once.*pass it as bool"):
        rma(y, v, subset=np.array([1, 0, 1, 1, 0, 1]))
    assert rma(y, v, subset=np.array([1, 0, 1, 1, 0, 1], dtype=bool)).k == 4


def test_a_missing_value_among_the_studies_subset_keeps_is_named_by_its_place_in_the_data() -> None:
    # Checked after subsetting, "yi[2]" was the third study fitted, the sixth given.
    y = [0.1, 0.2, 0.3, 0.4, 0.5, float("nan"), 0.7, 0.8]
    with pytest.raises(ValueError, match=r"^yi\[5\] is nan"):
        rma(y, [0.05] * 8, subset=np.array([0, 2, 5, 7]))
    with pytest.raises(ValueError, match=r"^vi\[3\] = -0.05 is negative"):
        rma([0.1] * 4, [0.05, 0.05, 0.05, -0.05], subset=[False, True, True, True])
    # A study left out is not looked at, as in metafor.
    assert rma(y, [0.05] * 8, subset=np.array([0, 2, 4, 7])).k == 4


def test_a_meta_regressions_fitted_values_are_labelled_by_study_as_metafor_labels_them() -> None:
    # metafor 3.8-1 prints predict(res) of a meta-regression with the studies' labels as
    # row names ("A 0.1170 0.3910 ..."); new moderator values are numbered from 1.
    res = rma([0.1, 0.5, -0.2, 0.8], [0.04, 0.02, 0.05, 0.1], mods=[1.0, 2.0, 3.0, 4.0], slab=["A", "B", "C", "D"])
    fitted = res.predict()
    assert fitted.slab == ("A", "B", "C", "D") and fitted.to_dict()["slab"] == ["A", "B", "C", "D"]
    assert [line.split()[0] for line in fitted.summary().splitlines()[1:5]] == ["A", "B", "C", "D"]
    new = res.predict(newmods=[2.0, 3.0])
    assert new.slab is None and [line.split()[0] for line in new.summary().splitlines()[1:3]] == ["1", "2"]
    assert rma([0.1, 0.5], [0.04, 0.02]).predict().slab is None


def test_trim_and_fill_keeps_the_studies_labels_and_names_the_filled_ones_as_metafor() -> None:
    # metafor 3.8-1: trimfill(res)$slab ends "Filled 1", "Filled 2", ... after the labels.
    res = rma([0.1, 0.5, -0.2, 0.8, 0.3, 0.9, 1.2], [0.04, 0.02, 0.05, 0.1, 0.03, 0.2, 0.3], slab=list("ABCDEFG"))
    tf = res.trimfill()
    assert tf.k0 > 0
    assert tuple(tf.fit.slab) == (*"ABCDEFG", *(f"Filled {i + 1}" for i in range(tf.k0)))


def test_trim_and_fill_names_studies_without_labels_as_metafor() -> None:
    # metafor 3.8-1, yi and vi as below:
    #   trimfill(rma(yi, vi))$slab             "Study 1" ... "Study 7" "Filled 1" "Filled 2"
    #   trimfill(rma(yi, vi, subset = -2))$slab "Study 1" "Study 3" ... "Study 7" "Filled 1" "Filled 2"
    #   trimfill(rma(yi, vi, slab = 1:7))$slab  "1" ... "7" "Filled 1" "Filled 2"
    yi, vi = [0.1, 0.5, -0.2, 0.8, 0.3, 0.9, 1.2], [0.04, 0.02, 0.05, 0.1, 0.03, 0.2, 0.3]
    filled = ("Filled 1", "Filled 2")
    res = rma(yi, vi)
    assert res.slab_null and tuple(res.slab) == tuple("1234567")
    tf = res.trimfill()
    assert tuple(tf.fit.slab) == (*(f"Study {i}" for i in range(1, 8)), *filled) and not tf.fit.slab_null
    sub = rma(yi, vi, subset=[0, 2, 3, 4, 5, 6]).trimfill()
    assert tuple(sub.fit.slab) == ("Study 1", *(f"Study {i}" for i in range(3, 8)), *filled)
    given = rma(yi, vi, slab=[1, 2, 3, 4, 5, 6, 7])
    assert not given.slab_null and tuple(given.trimfill().fit.slab) == (*"1234567", *filled)


def test_fsn_given_a_fit_names_what_it_takes() -> None:
    # metafor 3.8-1's fsn has no method for a fit ("Must specify 'vi' or 'sei'")
    res = rma(Y, V)
    with pytest.raises(TypeError, match=r"not a fitted model: use res\.fsn\(\), or fsn\(res\.yi, res\.vi\)"):
        fsn(res)
    with pytest.raises(TypeError, match=r"not escalc's EffectSizes: pass fsn\(es\.yi, es\.vi\)"):
        fsn(escalc("OR", ai=[1, 2, 3], n1i=[10, 10, 10], ci=[2, 3, 4], n2i=[10, 10, 10]))
    with pytest.raises(TypeError, match=r"needs the sampling variances vi"):
        fsn(Y)
    assert fsn(res.yi, res.vi).fsnum == res.fsn().fsnum


# two 2x2 tables' worth of studies, enough for each method to start
_AI, _N1, _CI, _N2 = [4, 6, 3, 62], [123, 306, 231, 13598], [11, 29, 11, 248], [139, 303, 220, 12867]


def _not_rma_fits() -> dict[str, Any]:
    import metareview as mr

    return {
        "rma_mh's result (MHResult)": mr.rma_mh(ai=_AI, n1i=_N1, ci=_CI, n2i=_N2),
        "rma_peto's result (PetoResult)": mr.rma_peto(ai=_AI, n1i=_N1, ci=_CI, n2i=_N2),
        "escalc's effect sizes (EffectSizes)": mr.escalc("OR", ai=_AI, n1i=_N1, ci=_CI, n2i=_N2),
    }


@pytest.mark.parametrize(
    "name",
    ["forest", "funnel", "baujat", "residuals", "rstandard", "rstudent", "blup", "ranef",
     "anova", "leave1out", "cumul", "influence", "regtest", "trimfill", "permutest"],
)  # fmt: skip
def test_methods_on_fits_refuse_other_fits_naming_them(name: str) -> None:
    # they have yi and vi but not an rma model: refused at the door, not with an
    # AttributeError deep inside; forest, funnel, baujat, residuals, rstandard and
    # rstudent take Mantel-Haenszel and Peto fits (as metafor's methods for rma.mh and
    # rma.peto), but not escalc's effect sizes
    import metareview as mr

    tables_too = ("forest", "funnel", "baujat", "residuals", "rstandard", "rstudent")
    for what, obj in _not_rma_fits().items():
        if name in tables_too and not what.startswith("escalc"):
            continue
        with pytest.raises(TypeError, match=rf"{name} takes a model fitted by rma\(\).*got {re.escape(what)}.*rma\("):
            getattr(mr, name)(obj)
