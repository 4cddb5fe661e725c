"""metareview.bias against metafor 3.8-1.

Two sets of reference values:

* ``tests/reference/metafor/*.json``, block ``bias`` (the public fixtures; metafor's
  default control);
* ``tests/reference/metafor_bias/*.json``, written by ``make_bias_fixtures.R`` with the
  same metafor run to convergence (``threshold = tol = 1e-12``), on the same data plus
  synthetic cases (k = 60, k = 3, ties, a nearly symmetric funnel), for the REML, FE, DL,
  PM and REML/Knapp-Hartung models and the L0/R0/Q0 estimators.

Tolerances come from ``metafor_tolerances.py``: ``closed`` for ranktest, fsn,
regtest(model="lm") and every fit with a closed-form tau^2 (FE, DL); ``tight`` for the
iterative fits against the converged fixtures (their tau^2 = 0 are matched exactly, so
no ``tight_tau2``); ``loose_reml`` for the exact solver's REML values against
the public fixtures (metafor's default stopping rule), which ``emulated`` holds tightly
under ``METAFOR_DEFAULTS``. Integers and labels (k0, side, filled, df, ties) are exact.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from metafor_tolerances import CLOSED_FORM_METHODS, assert_close

from metareview import bias
from metareview.pool import METAFOR_DEFAULTS, rma

HERE = Path(__file__).parent
PUBLIC = sorted((HERE / "metafor").glob("*.json"))
TIGHT = sorted((HERE / "metafor_bias").glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def test_reference_files_are_present() -> None:
    assert len(PUBLIC) >= 9 and len(TIGHT) >= 13


# --------------------------------------------------------------------------- public fixtures


@pytest.mark.parametrize("path", PUBLIC, ids=_ids(PUBLIC))
def test_ranktest_public(path: Path) -> None:
    d = _load(path)
    ref = d["bias"]["ranktest"]
    res = bias.ranktest(rma(d["yi"], d["vi"], method="REML"))
    assert res.ties is ref["ties"]
    assert res.exact_pvalue is ref["exact_pvalue"]
    assert_close(res.tau, ref["tau"], "closed", "tau")
    assert_close(res.pval, ref["pval"], "closed", "pval")
    # metafor's ranktest(yi, vi) on the raw data: the same test
    raw = bias.ranktest(d["yi"], d["vi"])
    assert (raw.tau, raw.pval, raw.k) == (res.tau, res.pval, res.k)


@pytest.mark.parametrize("path", PUBLIC, ids=_ids(PUBLIC))
def test_fsn_public(path: Path) -> None:
    d = _load(path)
    ref = d["bias"]["fsn"]
    res = bias.fsn(d["yi"], d["vi"])
    assert res.type == ref["type"] and res.alpha == ref["alpha"]
    assert res.fsnum == ref["fsnum"]
    for key in ("fsnum_raw", "z_stouffer", "pval"):
        assert_close(getattr(res, key), ref[key], "closed", key)


@pytest.mark.parametrize("path", PUBLIC, ids=_ids(PUBLIC))
def test_regtest_lm_public(path: Path) -> None:
    d = _load(path)
    ref = d["bias"]["regtest_lm"]
    res = bias.regtest(rma(d["yi"], d["vi"], method="REML"), model="lm")
    assert (res.model, res.predictor, res.df) == (ref["model"], ref["predictor"], ref["df"])
    assert res.zval == res.tval  # the t statistic in zval too, as metafor's regtest keeps it
    for key in ("tval", "pval", "est", "ci_lb", "ci_ub"):
        assert_close(getattr(res, key), ref[key], "closed", key)


@pytest.mark.parametrize("path", PUBLIC, ids=_ids(PUBLIC))
def test_regtest_rma_public(path: Path) -> None:
    d = _load(path)
    ref = d["bias"]["regtest"]
    res = bias.regtest(rma(d["yi"], d["vi"], method="REML"))
    assert (res.model, res.predictor, res.method, res.test) == (
        ref["model"], ref["predictor"], ref["method"], ref["test"],
    )  # fmt: skip
    assert res.tval is None and res.df is None
    for key in ("zval", "pval", "est", "ci_lb", "ci_ub", "slope", "slope_se", "tau2"):
        assert_close(getattr(res, key), ref[key], "loose_reml", key)
    # the top-level copy of the block is the same test
    assert d["bias"]["zval"] == ref["zval"]


@pytest.mark.parametrize("which", ["trimfill_REML", "trimfill_FE"])
@pytest.mark.parametrize("path", PUBLIC, ids=_ids(PUBLIC))
def test_trimfill_public(path: Path, which: str) -> None:
    d = _load(path)
    ref = d["bias"][which]
    model = rma(d["yi"], d["vi"], method=ref["input_method"])
    res = bias.trimfill(model)
    assert res.k0 == ref["k0"] and res.side == ref["side"]
    assert res.estimator == ref["estimator"] and res.k_total == ref["k_total"]
    assert res.input_method == ref["input_method"]
    assert res.filled.tolist() == ref["filled"]
    tol = "closed" if ref["input_method"] == "FE" else "loose_reml"
    for key in ("se_k0", "estimate", "se", "zval", "pval", "ci_lb", "ci_ub", "tau2", "I2",
                "QE", "QEp", "yi_aug", "vi_aug", "yi_imputed", "vi_imputed"):  # fmt: skip
        assert_close(getattr(res, key), ref[key], tol, key)


@pytest.mark.parametrize("path", PUBLIC, ids=_ids(PUBLIC))
def test_regtest_and_trimfill_public_under_metafors_own_rules(path: Path) -> None:
    # The public fixtures come from metafor's default control: with it emulated, the
    # iterative values must agree as closely as the models do (``emulated``), not to
    # the 1e-3 that the exact root's distance from metafor's stopping point needs.
    d = _load(path)
    model = rma(d["yi"], d["vi"], method="REML", control=METAFOR_DEFAULTS)
    ref = d["bias"]["regtest"]
    rt = bias.regtest(model)
    for key in ("zval", "pval", "est", "ci_lb", "ci_ub", "slope", "slope_se", "tau2"):
        assert_close(getattr(rt, key), ref[key], "emulated", f"{path.stem}:regtest.{key}")
    ref = d["bias"]["trimfill_REML"]
    tf = bias.trimfill(model)
    assert (tf.k0, tf.side) == (ref["k0"], ref["side"])
    for key in ("se_k0", "estimate", "se", "zval", "pval", "ci_lb", "ci_ub", "tau2", "I2",
                "QE", "QEp", "yi_aug", "vi_aug", "yi_imputed", "vi_imputed"):  # fmt: skip
        assert_close(getattr(tf, key), ref[key], "emulated", f"{path.stem}:trimfill.{key}")


# --------------------------------------------------------------------------- converged fixtures


def _tight_cases() -> list[tuple[Path, str]]:
    return [(p, key) for p in TIGHT for key in _load(p)["fits"]]


TIGHT_CASES = _tight_cases()
TIGHT_IDS = [f"{p.stem}-{key}" for p, key in TIGHT_CASES]


def _tol_for(method: str) -> str:
    return "closed" if method in CLOSED_FORM_METHODS else "tight"


@pytest.mark.parametrize("path", TIGHT, ids=_ids(TIGHT))
def test_ranktest_and_fsn_converged(path: Path) -> None:
    d = _load(path)
    res = bias.ranktest(yi=d["yi"], vi=d["vi"])
    assert_close(res.tau, d["ranktest"]["tau"], "closed", "tau")
    assert_close(res.pval, d["ranktest"]["pval"], "closed", "pval")
    assert bias.fsn(d["yi"], d["vi"]).fsnum == d["fsn"]["fsnum"]
    assert_close(bias.fsn(d["yi"], d["vi"]).pval, d["fsn"]["pval"], "closed", "fsn pval")


@pytest.mark.parametrize(("path", "key"), TIGHT_CASES, ids=TIGHT_IDS)
def test_regtest_converged(path: Path, key: str) -> None:
    d = _load(path)
    blk = d["fits"][key]
    model = rma(d["yi"], d["vi"], method=blk["method"], test=blk["test"])
    assert_close(model.tau2, blk["tau2"], _tol_for(blk["method"]), "model tau2")
    for name, kind in (("regtest", "rma"), ("regtest_lm", "lm")):
        ref = blk[name]
        res = bias.regtest(model, model=kind)
        tol = _tol_for(blk["method"]) if kind == "rma" else "closed"
        stat = res.zval
        assert res.df == ref.get("df"), f"{name} df"
        if kind == "rma":
            assert res.test == ref["test"] and res.method == ref["method"]
            assert_close(res.tau2, ref["tau2"], tol, f"{name} tau2")
        for field, value in (("stat", stat), ("pval", res.pval), ("est", res.est),
                             ("ci_lb", res.ci_lb), ("ci_ub", res.ci_ub),
                             ("slope", res.slope), ("slope_se", res.slope_se)):  # fmt: skip
            assert_close(value, ref[field], tol, f"{name} {field}")


@pytest.mark.parametrize(("path", "key"), TIGHT_CASES, ids=TIGHT_IDS)
def test_trimfill_converged(path: Path, key: str) -> None:
    d = _load(path)
    blk = d["fits"][key]
    model = rma(d["yi"], d["vi"], method=blk["method"], test=blk["test"])
    tol = _tol_for(blk["method"])
    for tag, ref in blk["trimfill"].items():
        estimator, side = tag.split("_")
        kwargs: dict[str, Any] = {"estimator": estimator}
        if side != "auto":
            kwargs["side"] = side
        if "error" in ref:
            with pytest.raises(RuntimeError):
                bias.trimfill(model, **kwargs)
            continue
        res = bias.trimfill(model, **kwargs)
        what = f"{tag}:"
        assert (res.k0, res.side, res.estimator) == (ref["k0"], ref["side"], ref["estimator"]), what
        assert res.k_total == ref["k_total"] and res.filled.tolist() == ref["filled"], what
        assert (res.method, res.test) == (ref["method"], ref["test"]), what
        stat = res.zval
        assert_close(stat, ref["stat"], tol, f"{what} stat")
        for field in ("se_k0", "estimate", "se", "pval", "ci_lb", "ci_ub", "tau2", "I2", "H2",
                      "QE", "QEp", "yi_aug", "vi_aug"):  # fmt: skip
            assert_close(getattr(res, field), ref[field], tol, f"{what} {field}")


def test_converged_fixtures_cover_the_edge_cases() -> None:
    """The synthetic cases exercise what the public data do not."""
    k60 = _load(HERE / "metafor_bias" / "synthetic_k60.json")
    assert k60["k"] > 50 and bias.ranktest(yi=k60["yi"], vi=k60["vi"]).exact_pvalue
    ties = _load(HERE / "metafor_bias" / "synthetic_ties.json")
    assert bias.ranktest(yi=ties["yi"], vi=ties["vi"]).ties
    assert "error" in ties["fits"]["REML_z"]["trimfill"]["Q0_auto"]
    k0s = {
        ref["k0"]
        for p in TIGHT
        for blk in _load(p)["fits"].values()
        for ref in blk["trimfill"].values()
        if "k0" in ref
    }
    assert 0 in k0s and max(k0s) >= 5
    assert _load(HERE / "metafor_bias" / "synthetic_k3.json")["k"] == 3


def test_ranktest_with_triple_ties_in_both_variables() -> None:
    """The last term of the tie-corrected variance of Kendall's score is 0 unless both
    variables hold a tie of three or more; only this fixture has such ties."""
    ref = _load(HERE / "metafor_bias" / "ranktest" / "triple_ties.json")
    res = bias.ranktest(yi=ref["yi"], vi=ref["vi"])
    assert res.ties and not res.exact_pvalue
    assert_close(res.tau, ref["tau"], "closed", "tau")
    assert_close(res.pval, ref["pval"], "closed", "pval")
