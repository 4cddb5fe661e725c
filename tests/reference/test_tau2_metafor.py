"""rma(tau2=...) and rma(sei=...) against metafor 3.8-1.

``tests/reference/metafor_tau2/*.json`` are written by ``make_tau2_fixtures.R``: dat.bcg
(log risk ratios) without moderators, with ablat and with ablat and year, two studies
with two coefficients (k = p, allowed once tau^2 is given), and dat.normand1999 (mean
differences) without and with a 0/1 moderator; each at tau^2 = 0 and a positive value,
with every estimator (only se(tau^2) depends on it) and the z and Knapp-Hartung tests.
On dat.bcg at tau^2 = 0.1 also the case diagnostics, regtest and trimfill, an FE model
given tau2, k = 1, ``sei`` in place of ``vi`` and metafor's refusal of ``confint``; DL's
leave-one-out at the given value; and a study with vi = 0 beside a given tau^2.

Given tau^2, every number is a closed form, so every comparison is at ``closed``
(relative 1e-10; see ``metafor_tolerances.py``), with the deletion entries for DFFITS,
DFBETAS, rstudent and Cook's distance, which the tolerance table loosens for any model.
Two exceptions: R^2 of a meta-regression divides by the estimated tau^2 of the model
without moderators (``tight`` for the iterative estimators, metafor run to convergence),
and trim-and-fill, which re-estimates tau^2 as metafor does (``tight``, metafor run to
convergence).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import CLOSED_FORM_METHODS, assert_close, for_quantity

from metareview.pool import RMAResult, rma

HERE = Path(__file__).parent / "metafor_tau2"
CASES = sorted(p.stem for p in HERE.glob("*.json"))
SUBSET_KEYS = {"stat": "zval", "Q": "Q", "Qp": "Qp"}


@cache
def load(case: str) -> dict[str, Any]:
    with open(HERE / f"{case}.json", encoding="utf-8") as fh:
        return json.load(fh)


def mods_of(d: dict[str, Any]) -> np.ndarray | None:
    """The moderators as a k x m array (R writes a matrix column by column)."""
    if d.get("mods") is None:
        return None
    k = len(d["yi"])
    return np.asarray(d["mods"], dtype=float).reshape(d["mods_ncol"], k).T


def fit(d: dict[str, Any], method: str, test: str, tau2: float, **kwargs: Any) -> RMAResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Knapp-Hartung with k = 1 and the like
        return rma(d["yi"], d["vi"], method=method, test=test, tau2=tau2, mods=mods_of(d), **kwargs)


def assert_all_close(pairs: Iterable[tuple[str, Any, Any, str]]) -> None:
    """:func:`assert_close` on each (what, ours, metafor's, tolerance), every failure
    reported at once rather than the first alone."""
    errors: list[str] = []
    for what, ours, theirs, tol in pairs:
        try:
            assert_close(ours, theirs, tol, what)
        except AssertionError as exc:
            errors.append(str(exc))
    assert not errors, "\n".join(errors)


def check_model(res: RMAResult, ref: dict[str, Any], label: str) -> None:
    """Compare every key of one fixture model block with ``res``."""
    errors: list[str] = []

    def close(ours: Any, theirs: Any, key: str) -> None:
        try:
            assert_close(ours, theirs, "closed", f"{label}.{key}")
        except AssertionError as exc:
            errors.append(str(exc))

    def same(ours: Any, theirs: Any, key: str) -> None:
        if ours != theirs:
            errors.append(f"{label}.{key}: {ours!r} != metafor's {theirs!r}")

    stat = res.zval_beta
    if res.k == res.p and res.test == "knha":
        # no residual df: s2w = 0, se = 0 and the statistic is +-Inf in both programs,
        # which fixture_json.R writes as null
        assert np.all(np.isinf(stat)), label
        stat = np.full(res.p, np.nan)
    arrays = {"estimate": res.beta, "se": res.se_beta, "stat": stat, "pval": res.pval_beta,
              "ci_lb": res.ci_lb_beta, "ci_ub": res.ci_ub_beta, "weights_pct": res.weights}
    for key, theirs in ref.items():
        if key in ("method", "test", "k", "p", "tau2_fix", "df"):
            same(getattr(res, key), theirs, key)
        elif key == "QMdf":
            same(list(res.QMdf) if res.test != "z" else [res.QMdf[0]],
                 theirs if res.test != "z" else [theirs[0]], key)
        elif key in arrays:
            close(arrays[key], theirs, key)
        elif key == "fitstats":
            ours = res.fitstats()
            for kind in ("ML", "REML"):
                if kind == "REML" and res.k == res.p:
                    # no residual degree of freedom: metafor's REML log-likelihood is
                    # rounding noise around 0 (4e-11), and its BIC is -Inf
                    continue
                mine = [ours[kind][s] for s in ("ll", "dev", "AIC", "BIC", "AICc")]
                close(mine, theirs[kind], f"fitstats.{kind}")
            # the number of parameters, from AIC = -2 ll + 2 q
            q = (ours["ML"]["AIC"] + 2 * ours["ML"]["ll"]) / 2
            same(round(q), theirs["parms"], "fitstats.parms")
        elif key == "predict":
            pr = res.predict()
            for pkey, pval in theirs.items():
                mine = getattr(pr, pkey)
                if pval is None and mine is not None:
                    # fixture_json.R writes an all-NA column as one null (k = p under
                    # knha: t quantiles with 0 df)
                    if not np.all(np.isnan(mine)):
                        errors.append(f"{label}.predict.{pkey}: {mine!r}, metafor NA")
                    continue
                close(None if mine is None else np.atleast_1d(mine), pval, f"predict.{pkey}")
        elif key == "R2":
            # the estimated tau^2 of the model without moderators enters R^2: iterative
            # for REML, ML, PM, PMM and EB (metafor run to convergence)
            how = "closed" if ref["method"] in CLOSED_FORM_METHODS else "tight"
            try:
                assert_close(res.R2, theirs, how, f"{label}.R2")
            except AssertionError as exc:
                errors.append(str(exc))
        elif key == "se_tau2" and res.k == res.p:
            # P = 0 with no residual degree of freedom: metafor's value is one over its
            # rounding noise; ours is undefined
            assert res.se_tau2 is None, label
        else:
            close(getattr(res, key), theirs, key)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("case", CASES)
def test_fixed_tau2_fits(case: str) -> None:
    d = load(case)
    assert d["fits"], case
    for key, ref in d["fits"].items():
        method, test, tau2 = key.split("/")
        check_model(fit(d, method, test, float(tau2)), ref, f"{case}:{key}")


def test_fixed_tau2_changes_nothing_but_se_tau2_across_estimators() -> None:
    """Given tau^2, the estimator only picks the standard-error formula of tau^2."""
    d = load("bcg_RR")
    base = fit(d, "REML", "z", 0.1)
    ses = set()
    for method in ("ML", "DL", "PM", "PMM", "HE", "SJ", "EB", "HS"):
        res = fit(d, method, "z", 0.1)
        assert res.estimate == base.estimate and res.I2 == base.I2 and res.tau2 == 0.1
        ses.add(res.se_tau2)
    assert len(ses) > 5


def test_fixed_tau2_by_hand() -> None:
    """Weights 1/(vi + tau2) and I^2 = 100 tau2/(tau2 + vt) with vt = (k - 1)/tr(P)."""
    y = np.array([0.1, 0.5, -0.2, 0.3])
    v = np.array([0.04, 0.09, 0.01, 0.16])
    res = rma(y, v, tau2=0.05)
    w = 1 / (v + 0.05)
    assert res.estimate == pytest.approx(np.sum(w * y) / np.sum(w), rel=1e-14)
    assert res.se == pytest.approx(np.sqrt(1 / np.sum(w)), rel=1e-14)
    w0 = 1 / v
    trP = np.sum(w0) - np.sum(w0**2) / np.sum(w0)
    vt = 3 / trP
    assert res.I2 == pytest.approx(100 * 0.05 / (0.05 + vt), rel=1e-13)
    assert res.H2 == pytest.approx((0.05 + vt) / vt, rel=1e-13)
    # REML: se = sqrt(2 / tr(PP)) with P = W - w w'/sum w at the given tau^2
    P = np.diag(w) - np.outer(w, w) / np.sum(w)
    assert res.se_tau2 == pytest.approx(np.sqrt(2 / np.sum(P * P)), rel=1e-12)
    assert res.tau2_fix is True and rma(y, v).tau2_fix is False
    assert res.to_dict()["tau2_fix"] is True and "tau2_fix" not in rma(y, v).to_dict()


def test_sei_in_place_of_vi() -> None:
    d = load("bcg_RR")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = rma(d["yi"], sei=np.sqrt(d["vi"]), tau2=0.1)
    check_model(res, d["sei"], "bcg_RR:sei")
    assert np.array_equal(res.vi, np.sqrt(d["vi"]) ** 2)


def test_vi_and_sei_together_are_refused() -> None:
    """metafor fits vi and drops sei (its estimate is that of vi alone); we refuse."""
    d = load("bcg_RR")
    assert_close(rma(d["yi"], d["vi"]).estimate, d["vi_and_sei_estimate"], "tight", "vi")
    with pytest.raises(TypeError, match="sei"):
        rma(d["yi"], d["vi"], sei=2 * np.sqrt(d["vi"]))
    with pytest.raises(ValueError, match="sei must be >= 0"):
        rma(d["yi"], sei=-np.sqrt(d["vi"]))


def test_fe_ignores_tau2_with_a_warning() -> None:
    d = load("bcg_RR")
    with pytest.warns(UserWarning, match="ignored"):
        res = rma(d["yi"], d["vi"], method="FE", tau2=0.1)
    assert res.tau2 == 0.0 and not res.tau2_fix
    check_model(res, d["fe_with_tau2"], "bcg_RR:fe_with_tau2")


def test_k1_keeps_the_given_tau2() -> None:
    d = load("bcg_RR")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = rma(d["yi"][:1], d["vi"][:1], tau2=0.1)
    check_model(res, d["k1"], "bcg_RR:k1")


def test_negative_tau2_is_refused() -> None:
    """metafor replaces it by 0 for DL (the fixture), stops or loops for REML: refused."""
    d = load("bcg_RR")
    assert d["negative_tau2_DL"] == 0
    for bad in (-0.1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="tau2 must be a finite value >= 0"):
            rma(d["yi"], d["vi"], tau2=bad)


def test_confint_is_refused_as_in_metafor() -> None:
    d = load("bcg_RR")
    assert "estimated random-effects component" in d["confint_error"]
    res = fit(d, "REML", "z", 0.1)
    with pytest.raises(ValueError, match="not estimated"):
        res.confint()
    out = res.to_dict(confint=True)
    assert out["tau2_ci_lb"] is None and out["tau2_fix"] is True


def test_tau2_zero_with_a_zero_variance_is_refused() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warnings about vi = 0, as without tau2
        with pytest.raises(ValueError, match="tau\\^2 was given as 0"):
            rma([0.1, 0.2, 0.3], [0.0, 0.1, 0.2], tau2=0.0)
        res = rma([0.1, 0.2, 0.3], [0.0, 0.1, 0.2], tau2=0.05, method="REML")
    assert res.tau2 == 0.05


def test_summary_names_the_given_value() -> None:
    d = load("bcg_RR")
    assert "(k = 13; user-specified tau^2 value)" in fit(d, "REML", "z", 0.1).summary()
    assert "(k = 13; tau^2 estimator: REML)" in rma(d["yi"], d["vi"]).summary()


@pytest.mark.parametrize("test", ["z", "knha"])
def test_diagnostics_refit_with_the_given_tau2(test: str) -> None:
    d = load("bcg_RR")
    ref = d["diagnostics"][test]
    res = fit(d, "REML", test, 0.1)
    errors: list[str] = []

    def close(ours: Any, theirs: Any, what: str) -> None:
        try:
            assert_close(ours, theirs, for_quantity("closed", what), f"{test}:{what}")
        except AssertionError as exc:
            errors.append(str(exc))

    for block, call in (("leave1out", res.leave1out), ("cumul", res.cumul)):
        out = call()
        for field, theirs in ref[block].items():
            close(getattr(out, SUBSET_KEYS.get(field, field)), theirs, f"{block}.{field}")
    inf = res.influence()
    for field, theirs in ref["influence"].items():
        mine = inf.dfbetas[:, 0] if field == "dfbetas" else getattr(inf, field)
        close(mine, theirs, field)
    rt = res.regtest()
    stat = rt.zval
    for field, theirs in ref["regtest"].items():
        close(stat if field == "stat" else getattr(rt, field), theirs, f"regtest.{field}")
    # trimfill refits with the estimator, not the given tau^2 (metafor passes no tau2)
    tf = res.trimfill()
    tref = ref["trimfill"]
    assert tf.k0 == tref["k0"] and tf.side == tref["side"] and not tref["tau2_fix"]
    for field in ("estimate", "se", "tau2"):
        try:
            assert_close(getattr(tf, field), tref[field], for_quantity("tight", field), f"trimfill.{field}")
        except AssertionError as exc:
            errors.append(str(exc))
    assert not errors, "\n".join(errors)


def test_metaregression_influence_keeps_the_given_tau2() -> None:
    d = load("bcg_RR_ablat")
    res = fit(d, "REML", "z", 0.1)
    inf = res.influence()
    pairs = []
    for field, theirs in load("bcg_RR")["influence_metareg"].items():
        if field == "dfbetas":
            pairs += [(f"dfbetas.{j}", inf.dfbetas[:, j], col) for j, col in enumerate(theirs.values())]
        else:
            pairs.append((field, getattr(inf, field), theirs))
    assert_all_close((what, mine, expected, for_quantity("closed", what)) for what, mine, expected in pairs)


def test_sei_as_pandas_keeps_the_pairing_checks() -> None:
    """sei given as a Series is checked against yi's index, as vi is."""
    pd = pytest.importorskip("pandas")
    d = load("bcg_RR")
    yi = pd.Series(d["yi"])
    sei = pd.Series(np.sqrt(d["vi"]))
    res = rma(yi, sei=sei, tau2=0.1)
    check_model(res, d["sei"], "bcg_RR:sei as Series")
    with pytest.raises(ValueError, match="different indexes"):
        rma(yi, sei=sei[::-1], tau2=0.1)


def test_given_weights_with_a_given_tau2() -> None:
    """weights set the coefficients, tau2 the sandwich variance and the rest; the refits
    of leave1out keep both, as metafor's."""
    d = load("bcg_RR")
    res = rma(d["yi"], d["vi"], weights=d["weights_given"], tau2=0.1, test="knha")
    assert res.tau2_fix
    check_model(res, d["weighted"], "bcg_RR:weighted")
    out = res.leave1out()
    assert_all_close((f"weighted.leave1out.{field}", getattr(out, SUBSET_KEYS.get(field, field)), theirs,
                      for_quantity("closed", field)) for field, theirs in d["weighted_leave1out"].items())


def test_zero_variance_beside_a_given_tau2() -> None:
    """vi = 0 with tau2 > 0: finite weights, but Q, I^2 and H^2 (weights 1/vi) are not
    computed, as in metafor; DL, HS, PM and PMM stop, estimating nothing or not."""
    z = load("bcg_RR")["zero_vi"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warning about vi = 0
        res = rma(z["yi"], z["vi"], method="REML", tau2=z["tau2"])
        check_model(res, z["REML"], "bcg_RR:zero_vi")
        for method, message in z["errors"].items():
            assert "non-positive sampling variances" in message, method
            with pytest.raises(ValueError, match="needs all sampling variances vi > 0"):
                rma(z["yi"], z["vi"], method=method, tau2=z["tau2"])


def test_one_study_with_vi_0_at_tau2_0_is_refused() -> None:
    """metafor: "Division by zero when computing the inverse variance weights"."""
    assert "Division by zero" in load("bcg_RR")["zero_vi"]["k1_tau2_0_error"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="tau\\^2 was given as 0"):
            rma([0.5], [0.0], tau2=0.0)


def test_dl_leave1out_keeps_the_given_tau2() -> None:
    """DL's leave-one-out fits have a closed form, which estimates tau^2: a model given
    tau^2 must refit with the value instead, as metafor."""
    d = load("bcg_RR")
    out = fit(d, "DL", "z", 0.1).leave1out()
    assert_all_close((f"dl_leave1out.{field}", getattr(out, SUBSET_KEYS.get(field, field)), theirs,
                      for_quantity("closed", field)) for field, theirs in d["dl_leave1out"].items())


@pytest.mark.parametrize("bad", ["0.1x", [0.1, 0.2], object()])
def test_tau2_must_be_one_number(bad: Any) -> None:
    d = load("bcg_RR")
    with pytest.raises(ValueError, match="tau2 must be one number"):
        rma(d["yi"], d["vi"], tau2=bad)


def test_escalc_result_and_sei_together_are_refused() -> None:
    """EffectSizes carry their vi: standard errors beside them are a second source."""
    from metareview.effects import escalc

    es = escalc("RR", ai=[4, 6, 3], bi=[119, 300, 228], ci=[11, 29, 11], di=[128, 274, 209])
    with pytest.raises(TypeError, match="standard errors \\(sei\\)"):
        rma(es, sei=np.sqrt(es.vi))
