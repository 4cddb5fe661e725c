"""rma(weights=...) and rma(weighted=False) against metafor 3.8-1 run to convergence.

``tests/reference/metafor_weights/*.json`` are written by ``make_weights_fixtures.R``:
dat.bcg (log risk ratios) and dat.normand1999 (mean differences), without moderators
and as meta-regressions on absolute latitude (and year), each fitted with the weights
ni, 1/vi^2 and an arbitrary vector, with ``weighted = FALSE``, and with
``weighted = FALSE`` and weights given (which metafor then keeps but does not use);
FE, EE, DL, REML, ML, PM and HE with the tests z, t, knha and adhoc. Every field of a
fit, ``weights()``, ``predict()`` and ``confint()``; for some of the fits
``influence()``, and without moderators ``leave1out()``, ``cumul()``, ``regtest()``
(models "rma" and "lm") and ``trimfill()``.

metafor ran with ``threshold = tol = 1e-12``: closed-form estimators are compared at
``closed`` (1e-10) and the others at ``tight`` (1e-8), see ``metafor_tolerances.py``.
"""

from __future__ import annotations

import json
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import CLOSED_FORM_METHODS, assert_close, for_quantity

from metareview import bias
from metareview.pool import RMAResult, rma

HERE = Path(__file__).parent / "metafor_weights"
CASES = sorted(p.stem for p in HERE.glob("*.json"))
KINDS = ("ni", "invvi2", "arbitrary", "unweighted", "unweighted_given")


@cache
def load(case: str) -> dict[str, Any]:
    with open(HERE / f"{case}.json", encoding="utf-8") as fh:
        return json.load(fh)


def weights_of(d: dict[str, Any], kind: str) -> tuple[np.ndarray | None, bool]:
    """The ``weights`` and ``weighted`` arguments of a fixture's kind of weights."""
    vi = np.asarray(d["vi"])
    return {
        "ni": (np.asarray(d["ni"]), True),
        "invvi2": (1.0 / vi**2, True),
        "arbitrary": (np.asarray(d["arbitrary"]), True),
        "unweighted": (None, False),
        "unweighted_given": (np.asarray(d["ni"]), False),
    }[kind]


def mods_of(d: dict[str, Any]) -> dict[str, np.ndarray] | None:
    return None if "mods" not in d else {name: np.asarray(col) for name, col in d["mods"].items()}


def newmods_of(d: dict[str, Any], p: int) -> np.ndarray | None:
    if d.get("newmods") is None:
        return None
    # R writes a matrix column by column
    return np.asarray(d["newmods"]).reshape(p - 1, -1).T if p > 2 else np.asarray(d["newmods"])


def fit(d: dict[str, Any], kind: str, method: str, test: str) -> RMAResult:
    weights, weighted = weights_of(d, kind)
    with warnings.catch_warnings():
        # Knapp-Hartung on an FE model: warned, still computed
        warnings.simplefilter("ignore")
        return rma(d["yi"], d["vi"], method=method, test=test, mods=mods_of(d), weights=weights,
                   weighted=weighted)


def tol_for(method: str) -> str:
    return "closed" if method in CLOSED_FORM_METHODS else "tight"


@pytest.mark.parametrize("case", CASES)
def test_models(case: str) -> None:
    d = load(case)
    assert len(d["models"]) == len(KINDS) * 7 * 4
    for key, ref in d["models"].items():
        kind, method, test = key.rsplit("_", 2)
        res = fit(d, kind, method, test)
        tol = tol_for(method)
        what = f"{case}:{key}"
        assert (res.k, res.p, res.method, res.test) == (ref["k"], ref["p"], ref["method"], ref["test"]), what
        stat = res.zval_beta
        fs = res.fitstats()
        for field, mine in (
            ("estimate", res.beta), ("se", res.se_beta), ("stat", stat), ("pval", res.pval_beta),
            ("ci_lb", res.ci_lb_beta), ("ci_ub", res.ci_ub_beta),
            ("vb", np.asarray(res.vb).T.ravel()), ("tau2", res.tau2),
            ("se_tau2", res.se_tau2), ("I2", res.I2), ("H2", res.H2), ("QE", res.QE),
            ("QEp", res.QEp), ("s2w", res.s2w), ("QM", res.QM), ("QMp", res.QMp), ("R2", res.R2),
            ("weights_pct", res.weights),
        ):  # fmt: skip
            assert_close(mine, ref[field], for_quantity(tol, field), f"{what}.{field}")
        assert res.df == ref["df"], what
        # fit statistics: ll, dev, AIC, BIC, AICc under ML and REML
        for kind_ll in ("ML", "REML"):
            mine = [fs[kind_ll][s] for s in ("ll", "dev", "AIC", "BIC", "AICc")]
            assert_close(mine, ref["fitstats"][kind_ll], tol, f"{what}.fitstats.{kind_ll}")
        newmods = newmods_of(d, res.p)
        pr = res.predict() if newmods is None else res.predict(newmods=newmods)
        for field in ("pred", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub"):
            mine = getattr(pr, field)
            mine = None if mine is None else np.atleast_1d(mine)
            assert_close(mine, ref["predict"][field], tol, f"{what}.predict.{field}")
        if res.int_only:
            # the model's own interval and prediction interval are predict()'s
            assert_close([res.ci_lb, res.ci_ub], [ref["ci_lb"][0], ref["ci_ub"][0]], tol, what)
            pi = [res.pi_lb, res.pi_ub] if res.pi_lb is not None else None
            ref_pi = ref["predict"]["pi_lb"]
            assert_close(pi, None if ref_pi is None else [ref_pi[0], ref["predict"]["pi_ub"][0]], tol,
                         f"{what}.pi")
        if "confint" in ref:
            ci = res.confint()
            for mine, field in ((ci.tau2_ci_lb, "tau2_lb"), (ci.tau2_ci_ub, "tau2_ub"),
                                (ci.I2_ci_lb, "I2_lb"), (ci.I2_ci_ub, "I2_ub"),
                                (ci.H2_ci_lb, "H2_lb"), (ci.H2_ci_ub, "H2_ub")):  # fmt: skip
                assert_close(mine, ref["confint"][field], for_quantity("tight", field), f"{what}.confint.{field}")
            # metafor's confint(fixed = TRUE): the coefficients' Wald intervals of the model
            assert_close(res.ci_lb_beta, ref["confint"]["fixed_lb"], tol, f"{what}.confint.fixed_lb")
            assert_close(res.ci_ub_beta, ref["confint"]["fixed_ub"], tol, f"{what}.confint.fixed_ub")


def _compare_subset_fits(got: Any, ref: dict[str, Any], tol: str, what: str) -> None:
    stat = got.zval
    for field, mine in (("estimate", got.estimate), ("se", got.se), ("stat", stat), ("pval", got.pval),
                        ("ci_lb", got.ci_lb), ("ci_ub", got.ci_ub), ("Q", got.Q), ("Qp", got.Qp),
                        ("I2", got.I2), ("H2", got.H2)):  # fmt: skip
        assert_close(mine, ref[field], for_quantity(tol, field), f"{what}.{field}")
    if ref["tau2"] is not None:  # metafor leaves tau2 out of an FE model's table
        assert_close(got.tau2, ref["tau2"], for_quantity(tol, "tau2"), f"{what}.tau2")


@pytest.mark.parametrize("case", CASES)
def test_diagnostics(case: str) -> None:
    d = load(case)
    for key, ref in d["diagnostics"].items():
        kind, method, test = key.rsplit("_", 2)
        res = fit(d, kind, method, test)
        tol = tol_for(method)
        what = f"{case}:{key}"
        inf = res.influence()
        ri = ref["influence"]
        for field in ("rstudent", "dffits", "cook_d", "cov_r", "tau2_del", "QE_del", "hat", "weight"):
            assert_close(getattr(inf, field), ri[field], for_quantity(tol, field), f"{what}.influence.{field}")
        dfb = ri["dfbetas"]
        ref_dfb = np.column_stack(list(dfb.values())) if isinstance(dfb, dict) else np.asarray(dfb)[:, None]
        assert_close(np.asarray(inf.dfbetas).reshape(ref_dfb.shape), ref_dfb, for_quantity(tol, "dfbetas"),
                     f"{what}.influence.dfbetas")
        assert np.asarray(inf.is_infl).tolist() == ri["is_infl"], what
        if "leave1out" not in ref:
            continue
        _compare_subset_fits(res.leave1out(), ref["leave1out"], tol, f"{what}.leave1out")
        _compare_subset_fits(res.cumul(), ref["cumul"], tol, f"{what}.cumul")
        _compare_subset_fits(res.cumul(order=-np.arange(res.k)), ref["cumul_reversed"], tol,
                             f"{what}.cumul_reversed")
        for model in ("rma", "lm"):
            rt = bias.regtest(res, model=model)  # type: ignore[arg-type]
            theirs = ref[f"regtest_{model}"]
            assert rt.df == theirs["df"], what
            stat = rt.zval
            for field, mine in (("stat", stat), ("pval", rt.pval), ("est", rt.est), ("ci_lb", rt.ci_lb),
                                ("ci_ub", rt.ci_ub)):  # fmt: skip
                assert_close(mine, theirs[field], tol, f"{what}.regtest_{model}.{field}")
        tf = bias.trimfill(res)
        theirs = ref["trimfill"]
        assert (tf.k0, tf.side, tf.k_total) == (theirs["k0"], theirs["side"], theirs["k_total"]), what
        stat = tf.zval
        assert_close(stat, theirs["stat"], tol, f"{what}.trimfill.stat")
        for field in ("se_k0", "estimate", "se", "pval", "ci_lb", "ci_ub", "tau2", "QE", "yi_aug", "vi_aug"):
            assert_close(getattr(tf, field), theirs[field], for_quantity(tol, field), f"{what}.trimfill.{field}")
        # a filled study has the weight of the study it mirrors
        assert_close(tf.fit.weights, theirs["weights_pct"], tol, f"{what}.trimfill.weights")
