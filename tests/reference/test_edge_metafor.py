"""Edge cases against metafor 3.8-1: a saturated equal-effects meta-regression, subset
fits whose Q is a difference of nearly equal sums, equal sampling variances and equal
effect sizes, the fit statistics of a saturated model, SMDs at large n, and data where
the tolerance table's plain entries do not hold.

``tests/reference/metafor_edge/*.json`` are written by ``make_edge_fixtures.R``.
Tolerances from ``metafor_tolerances.py``: ``closed`` for FE/DL, ``tight`` for REML run to
convergence (threshold = tol = 1e-12); integers and errors exactly.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import TOL, assert_close, for_quantity, tight_i2_atol

from metareview import bias, diagnostics
from metareview.effects import escalc, hedges_j
from metareview.pool import METAFOR_DEFAULTS, rma

HERE = Path(__file__).parent / "metafor_edge"


def _load(name: str) -> dict[str, Any]:
    d = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    assert d["metafor_version"] == "3.8.1"
    return d


SATURATED = [
    (case, test)
    for case in ("k3_two_moderators", "k2_one_moderator")
    for test in ("z", "t", "adhoc")
]


@pytest.mark.filterwarnings("ignore:the Knapp-Hartung method is not meant for FE models")
@pytest.mark.parametrize(("case", "test"), SATURATED, ids=[f"{c}-{t}" for c, t in SATURATED])
def test_fe_meta_regression_with_as_many_coefficients_as_studies(case: str, test: str) -> None:
    # metafor fits it: QE = 0 on no residual df, t-based p-values and intervals NA, and
    # R^2 NaN (its adjusted R^2 divides by k - p = 0), where a division by zero stopped
    # the fit here
    c = _load("fe_saturated")[case]
    ref = c["fits"][test]
    res = rma(c["yi"], c["vi"], method="FE", test=test, mods=c["mods"])
    what = f"{case} FE/{test}"
    stat = res.zval_beta
    for ours, key in ((res.beta, "beta"), (res.se_beta, "se"), (stat, "stat"),
                      (res.pval_beta, "pval"), (res.ci_lb_beta, "ci_lb"), (res.ci_ub_beta, "ci_ub"),
                      (res.QE, "QE"), (res.QEp, "QEp"), (res.I2, "I2"), (res.H2, "H2"),
                      (res.vt, "vt"), (res.QM, "QM"), (res.QMp, "QMp"), (res.s2w, "s2w")):  # fmt: skip
        assert_close(ours, ref[key], "closed", f"{what} {key}")
    assert math.isnan(res.R2) and ref["R2"] is None
    assert res.df == ref["df"]
    assert list(res.QMdf) == ref["QMdf"]


def _subset_cases() -> list[tuple[str, str, str]]:
    out = []
    for name in ("cumul_close", "cumul_tied"):
        for fit in _load(name)["fits"]:
            out.extend((name, fit, kind) for kind in ("cumul", "leave1out"))
    return out


SUBSETS = _subset_cases()


@pytest.mark.parametrize(("name", "fit", "kind"), SUBSETS, ids=["-".join(s) for s in SUBSETS])
def test_subset_fits_of_close_and_tied_studies(name: str, fit: str, kind: str) -> None:
    # The first cumulative fits pool studies that lie close together (or are equal) far
    # from the mean of all studies: Q from power sums centred on that mean lost digits
    # (2.95648055e-8 for 2.95648053e-8; 1.1e-16 for metafor's exact 0)
    c = _load(name)
    ref = c["fits"][fit][kind]
    method, test = fit.split("_")
    res = rma(c["yi"], c["vi"], method=method, test=test)
    out = diagnostics.cumul(res) if kind == "cumul" else diagnostics.leave1out(res)
    tol = "tight" if method == "REML" else "closed"
    for key, ours in (("estimate", out.estimate), ("se", out.se), ("stat", out.zval),
                      ("pval", out.pval), ("ci_lb", out.ci_lb), ("ci_ub", out.ci_ub),
                      ("Q", out.Q), ("Qp", out.Qp), ("tau2", out.tau2), ("I2", out.I2),
                      ("H2", out.H2)):  # fmt: skip
        if ref.get(key) is None:  # metafor's leave1out/cumul of an FE model has no tau2
            assert key == "tau2" and method == "FE" and np.all(out.tau2 == 0.0)
            continue
        assert_close(ours, ref[key], for_quantity(tol, key), f"{name} {fit} {kind} {key}")


@pytest.mark.parametrize("fit", list(_load("single_study")["fits"]))
def test_one_study_has_a_cumulative_fit_and_no_leave_one_out(fit: str) -> None:
    # metafor's cumul() of one study returns the model's own fit (Q = 0, Qp = 1); its
    # leave1out() stops ("Stopped because k = 1."), as this one raises.
    c = _load("single_study")
    ref = c["fits"][fit]
    method, test = fit.split("_")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # k = 1: test z, tau^2 = 0 (as metafor warns)
        res = rma(c["yi"], c["vi"], method=method, test=test)
    out = diagnostics.cumul(res)
    for key, ours in (("estimate", out.estimate), ("se", out.se), ("stat", out.zval),
                      ("pval", out.pval), ("ci_lb", out.ci_lb), ("ci_ub", out.ci_ub),
                      ("Q", out.Q), ("Qp", out.Qp), ("I2", out.I2), ("H2", out.H2)):  # fmt: skip
        assert_close(ours, ref["cumul"][key], for_quantity("closed", key), f"single {fit} {key}")
    if ref["cumul"]["tau2"] is not None:
        assert_close(out.tau2, ref["cumul"]["tau2"], for_quantity("closed", "tau2"), f"single {fit} tau2")
    assert "k = 1" in ref["leave1out"]["error"]
    with pytest.raises(ValueError, match="k >= 2"):
        diagnostics.leave1out(res)


def test_tied_first_studies_give_an_exact_zero_q() -> None:
    c = _load("cumul_tied")
    ref = c["fits"]["FE_z"]["cumul"]
    out = diagnostics.cumul(rma(c["yi"], c["vi"], method="FE"))
    assert ref["Q"][1] == 0.0 and ref["H2"][1] == 0.0
    assert out.Q[1] == 0.0 and out.H2[1] == 0.0


@pytest.mark.parametrize("case", ["exact", "to_1e13", "to_1e9"])
def test_equal_sampling_variances(case: str) -> None:
    # metafor refuses the regression tests (sei or vi collinear with the intercept, by
    # R's lm tolerance 1e-7) and cannot choose trim and fill's side; with vi equal only
    # to 1e-13 an exact rank test accepted the design and the test returned an
    # intercept of order 1e12, and with vi exactly equal the side's slope divided by 0
    c = _load("equal_vi")[case]
    res = rma(c["yi"], c["vi"], method="REML")
    for key, ref in c["regtest"].items():
        model, predictor = key.split("_")
        assert "full rank" in ref["error"]
        with pytest.raises(ValueError, match="full rank"):
            bias.regtest(res, model=model, predictor=predictor)
    assert "error" in c["trimfill_side"]
    with pytest.raises(ValueError, match="cannot choose the side"):
        bias.trimfill(res)
    assert bias.trimfill(res, side="left").k0 == c["trimfill_left_k0"]


@pytest.mark.parametrize("predictor", ["sei", "vi"])
def test_regression_test_on_equal_effect_sizes(predictor: str) -> None:
    # The weighted regression fits yi = 0.9 exactly: R warns of an "essentially perfect
    # fit" and its statistic is NaN (R's QR left exact zeros); numpy's leaves residuals of
    # a few units in the last place and the statistic was their ratio, t = 0.455
    c = _load("equal_yi")["fe"]
    res = rma(c["yi"], c["vi"], method="FE")
    ref = c[f"lm_{predictor}"]
    assert ref["stat"] is None
    assert ref["warnings"] == ["essentially perfect fit: summary may be unreliable"]
    with pytest.raises(ValueError, match="fits the data exactly"):
        bias.regtest(res, model="lm", predictor=predictor)
    # the meta-regression keeps its known variances: a slope of 0, p = 1
    rt = bias.regtest(res, model="rma", predictor=predictor)
    assert_close(rt.pval, c[f"rma_{predictor}"]["pval"], "closed", f"rma {predictor} pval")


FITSTATS = [
    (case, method)
    for case, c in _load("fitstats_saturated").items()
    if case != "metafor_version"
    for method in c["fits"]
]


def _spelled(x: Any) -> float:
    # the fixture spells metafor's non-finite values as R prints them
    return float({"-Inf": "-inf", "Inf": "inf", "NaN": "nan", "NA": "nan"}.get(x, x))


@pytest.mark.parametrize(("case", "method"), FITSTATS, ids=[f"{c}-{m}" for c, m in FITSTATS])
def test_fit_statistics_with_as_many_coefficients_as_studies(case: str, method: str) -> None:
    # With k = p the REML criteria count n = k - p = 0 observations and metafor's
    # BIC = -2 ll + parms log(0) is -Inf (it was NaN here). The saturated REML
    # log-likelihood is exactly 0 by hand: X is square, so log|X'WX| = log|X'X| +
    # sum log w and RSS = 0, and every term of ll_REML cancels; metafor's -3.9e-32,
    # -4.4e-16 and 1.1e-14 are the rounding of that cancellation between terms of size
    # ~10 (sum log vi = -12 for k = 3), hence an absolute bound on ll and dev.
    # AIC = 2 q and AICc = 2 q (q + 2) (m = q + 2) then follow exactly.
    c = _load("fitstats_saturated")[case]
    ref = c["fits"][method]
    res = rma(c["yi"], c["vi"], method=method, mods=c["mods"])
    ours = res.fitstats()
    q = ref["parms"]
    for kind in ("ML", "REML"):
        for key in ("ll", "dev", "AIC", "BIC", "AICc"):
            r, o = _spelled(ref[kind][key]), ours[kind][key]
            what = f"{case} {method} {kind} {key}"
            if not math.isfinite(r):
                assert (math.isnan(o) and math.isnan(r)) or o == r, f"{what}: {o!r} vs {r!r}"
            elif kind == "REML" and key in ("ll", "dev"):
                assert abs(o) < 1e-12 and abs(r) < 1e-12, what
            else:
                assert_close(o, r, "closed", what)
    assert ours["REML"]["BIC"] == -math.inf
    assert ours["REML"]["AIC"] == pytest.approx(2 * q, abs=1e-11)
    assert ours["REML"]["AICc"] == pytest.approx(2 * q * (q + 2), abs=1e-11)


@pytest.mark.parametrize("vtype", ["UB", "LS", "LS2", "AV"])
@pytest.mark.parametrize("source", ["di", "means"])
def test_smd_at_large_sample_sizes(vtype: str, source: str) -> None:
    # Arms of 10 to 1e7. vtype "UB" takes 1 - (m - 2)/(m J^2), about 1/(2m), which
    # amplifies a last-bit difference in J by about m: scipy's gammaln and R's lgamma
    # (metafor's .cmicalc) differ in the last bit for some m, up to 7e-10 relative in vi
    # near n = 1e6 per arm. Held to ``tight`` there; every other vtype, yi and J itself,
    # which have no such cancellation, to ``elementary``.
    c = _load("smd_large_n")
    ref = c[vtype][source]
    if source == "di":
        es = escalc("SMD", di=c["di"], n1i=c["n1i"], n2i=c["n2i"], vtype=vtype)
    else:
        es = escalc("SMD", m1i=c["m1i"], m2i=c["m2i"], sd1i=c["sd1i"], sd2i=c["sd2i"],
                    n1i=c["n1i"], n2i=c["n2i"], vtype=vtype)  # fmt: skip
    assert_close(es.yi, ref["yi"], "elementary", f"SMD {vtype} from {source}: yi")
    assert_close(es.vi, ref["vi"], "tight" if vtype == "UB" else "elementary", f"SMD {vtype} from {source}: vi")
    m = np.asarray(c["n1i"]) + np.asarray(c["n2i"]) - 2
    assert_close(hedges_j(m), c["cmi"], "elementary", "J")


PROBES = _load("tolerance_probes")
DELETION = [(case, method) for case in PROBES["deletion"] for method in ("FE", "DL", "REML")]


@pytest.mark.parametrize(("case", "method"), DELETION, ids=[f"{c}-{m}" for c, m in DELETION])
def test_deletion_diagnostics_of_a_study_that_barely_moves_the_estimate(case: str, method: str) -> None:
    # Study 3 sits at the centre of symmetric data (y = 0.3 + delta), so b - b(-3) is
    # about delta w_3 / W and both programs keep only log10(|b - b(-3)| / (eps |b|))
    # digits of it: the ``*_deletion`` and ``*_cook`` entries of the tolerance table
    c = PROBES["deletion"][case]
    ref = c["fits"][method]
    tol = "tight" if method == "REML" else "closed"
    inf = rma(c["yi"], c["vi"], method=method).influence()
    for key in ("cook_d", "dffits", "rstudent", "dfbetas"):
        ours = inf.dfbetas[:, 0] if key == "dfbetas" else getattr(inf, key)
        assert_close(ours, ref[key], for_quantity(tol, key), f"{case} {method} {key}")
    if case == "delta_1e-07" and method == "FE":
        # the plain entry does not hold there: 1.7e-8 relative on Cook's distance 6.4e-14
        with pytest.raises(AssertionError):
            assert_close(inf.cook_d, ref["cook_d"], "closed", "Cook's distance")


def test_i2_of_deletion_fits_with_small_sampling_variances() -> None:
    # metafor stops the deletion fits' tau^2 about 1e-13 from the exact 0; with vt =
    # 1.4e-4 that is 1.8e-7 percentage points of I^2, beyond tight_I2's 1e-8 and within
    # 100 * 1e-12 / vt
    c = PROBES["small_vt"]
    res = rma(c["yi"], c["vi"], method="REML")
    l1 = res.leave1out()
    assert res.vt == pytest.approx(c["vt"], rel=1e-12)
    assert_close(l1.tau2, c["leave1out"]["tau2"], for_quantity("tight", "tau2"), "leave-one-out tau2")
    np.testing.assert_allclose(l1.I2, c["leave1out"]["I2"], rtol=TOL["tight_I2"][0], atol=tight_i2_atol(res.vt))
    with pytest.raises(AssertionError):
        assert_close(l1.I2, c["leave1out"]["I2"], "tight_I2", "leave-one-out I2")


def test_closed_forms_beyond_metafors_variance_ratio_warning() -> None:
    # max(vi)/min(vi) = 1e8: the DL fit by hand in exact rational arithmetic from the same
    # doubles, tau^2 = (Q - (k - 1)) / (W - sum w^2 / W), vt = (k - 1) / (W - sum w^2 / W),
    # I^2 = 100 tau^2 / (tau^2 + vt), H^2 = Q / (k - 1): metareview gives them to 1e-14,
    # metafor to 2.4e-11 (tau^2), 8.9e-11 (I^2) and 1.8e-10 (H^2, QE), so the ``closed``
    # entry (1e-10) holds for metafor only below its warning at 1e7
    from fractions import Fraction

    c = PROBES["ratio_1e8"]
    y = [Fraction(v) for v in c["yi"]]
    w = [1 / Fraction(v) for v in c["vi"]]
    k, W = len(y), sum(w)
    ybar = sum(wi * yi for wi, yi in zip(w, y)) / W
    Q = sum(wi * (yi - ybar) ** 2 for wi, yi in zip(w, y))
    trP = W - sum(wi * wi for wi in w) / W
    tau2 = (Q - (k - 1)) / trP
    assert tau2 > 0
    vt = (k - 1) / trP
    exact = {"tau2": tau2, "I2": 100 * tau2 / (tau2 + vt), "H2": Q / (k - 1), "QE": Q}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = rma(c["yi"], c["vi"], method="DL")
    for key, value in exact.items():
        assert float(getattr(res, key)) == pytest.approx(float(value), rel=1e-14), key
        metafor_error = abs(c["DL"][key] / float(value) - 1)
        assert 1e-11 < metafor_error < 1e-9, f"metafor's {key} off by {metafor_error:.2g}"


def test_case_diagnostics_beyond_metafors_variance_ratio_warning() -> None:
    # At max(vi)/min(vi) = 1e8 metafor's REML deletion fits under its default stopping
    # rule differ from the emulation by up to 1.1e-8 (Cook's distance), beyond
    # ``emulated``'s 1e-9; refitted to convergence they agree to 1.1e-11, well within
    # ``tight``, so the difference is in metafor's k x k products, not the root.
    c = PROBES["ratio_1e8"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tight = rma(c["yi"], c["vi"], method="REML").influence()
        emulated = rma(c["yi"], c["vi"], method="REML", control=METAFOR_DEFAULTS).influence()
    for key in ("cook_d", "dffits", "rstudent", "cov_r", "tau2_del"):
        ref_tight, ref_default = c["REML_tight"][key], c["REML_default"][key]
        assert_close(getattr(tight, key), ref_tight, for_quantity("tight", key), f"tight {key}")
        np.testing.assert_allclose(getattr(emulated, key), ref_default, rtol=2e-8, err_msg=key)


CUMUL_ORDER = [(m, case) for m in ("FE", "REML") for case in ("year", "year_decreasing", "subset_year")]


@pytest.mark.parametrize(("method", "case"), CUMUL_ORDER, ids=["-".join(c) for c in CUMUL_ORDER])
def test_cumuls_order_is_a_variable_to_sort_by_as_in_metafor(method: str, case: str) -> None:
    # metafor 3.x sorts the studies by order (cumul(res, order = year)), ties in the data's
    # order, also when decreasing; for a subset model order is given for all the data
    c = _load("cumul_order")
    ref = c[method][case]
    subset = c["random"] if case.startswith("subset") else None
    res = rma(c["yi"], c["vi"], method=method, subset=subset)
    out = res.cumul(order=c["year"], decreasing=case.endswith("decreasing"))
    assert list(out.slab) == ref["slab"]
    tol = "tight" if method == "REML" else "closed"
    for key in ("estimate", "se", "ci_lb", "ci_ub", "tau2", "I2"):
        if ref.get(key) is None:  # no tau2 in metafor's cumul of an FE model
            continue
        assert_close(getattr(out, key), ref[key], for_quantity(tol, key), key)
