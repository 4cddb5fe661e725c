"""Unweighted fits, ``rma(..., weighted=False)``, and fits with given weights,
``rma(..., weights=w)``, of data with a study of vi = 0, against metafor 3.8-1.

``tests/reference/metafor_vi0/unweighted.json`` and ``weights.json`` (the same fits
with the weights w, and a weight of 0 for the study of vi = 0) are written by
``make_vi0_fixtures.R``:
every estimator with the tests z, t and knha, on four studies (the first with vi = 0),
on six with one moderator, on four whose HE estimate is 0, and with tau^2 given as 0.
Ordinary least squares needs no weight 1/(vi + tau^2), so metafor fits such data at
tau^2 = 0 (FE, EE, HE and SJ; Q, I^2 and H^2 NA, the log-likelihoods NaN) and stops
only where the estimator or Knapp and Hartung's s2w divides by vi + tau^2, or where the
estimator needs all vi > 0. For example, with ``yi <- c(0.1, 0.3, 0.5, 0.2)`` and
``vi <- c(0, 0.02, 0.03, 0.05)``, ``rma(yi, vi, method = "FE", weighted = FALSE)`` gives
b = 0.275, se = 0.0790569415042 and QE NA; with ``weights = c(1, 2, 3, 4)`` in place of
``weighted = FALSE``, b = 0.3, se = 0.107238052948 and QE NA.
"""

from __future__ import annotations

import json
import re
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import assert_close

from metareview.diagnostics import cumul, influence, leave1out
from metareview.pool import rma

HERE = Path(__file__).parent / "metafor_vi0"


#: the fixture files: unweighted fits, and fits with given weights
FILES = ("unweighted", "weights")


@cache
def load(file: str = "unweighted") -> dict[str, Any]:
    with open(HERE / f"{file}.json", encoding="utf-8") as fh:
        return json.load(fh)


#: metafor's warnings and errors, and the words of ours that say the same
WARNINGS = {
    "There are outcomes with non-positive sampling variances.": "non-positive sampling variances",
    "Cannot compute Q-test, I^2, or H^2": "Q-test, I^2 and H^2 are not computed",
    "Cannot compute QE-test, I^2, or H^2": "Q-test, I^2 and H^2 are not computed",
    "Knapp & Hartung method is not meant": "the Knapp-Hartung method is not meant",
}
ERRORS = {
    "Division by zero when computing the inverse variance weights.":
        "division by zero computing the inverse-variance weights",
    "estimator cannot be used when there are non-positive sampling variances":
        "estimator needs all sampling variances vi > 0",
}  # fmt: skip
ITERATED = ("ML", "REML", "EB")


def ours_for(theirs: str, table: dict[str, str]) -> str:
    for r_text, py_text in table.items():
        if r_text in theirs:
            return py_text
    raise AssertionError(f"no counterpart for metafor's message {theirs!r}")


def fit(ref: dict[str, Any], file: str = "unweighted") -> Any:
    d = load(file)["data"][ref["data"]]
    kwargs: dict[str, Any] = {"method": ref["method"], "test": ref["test"]}
    if "weights" in ref:
        kwargs["weights"] = load(file)["weights"][ref["weights"]]
    else:
        kwargs["weighted"] = False
    if "x" in d:
        kwargs["mods"] = {"x": d["x"]}
    if ref["tau2_given"] is not None:
        kwargs["tau2"] = ref["tau2_given"]
    return rma(d["yi"], d["vi"], **kwargs)


FITS = [(file, name) for file in FILES for name in sorted(load(file)["fits"])]
FITTED = [(f, name) for f, name in FITS if "error" not in load(f)["fits"][name]]
REFUSED = [(f, name) for f, name in FITS if "error" in load(f)["fits"][name]]


@pytest.mark.parametrize(("file", "name"), FITTED)
def test_unweighted_fit_matches_metafor(file: str, name: str) -> None:
    ref = load(file)["fits"][name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = fit(ref, file)
    tol = "tight" if ref["method"] in ITERATED and ref["tau2_given"] is None else "closed"
    stat = res.zval_beta
    for field, ours in (
        ("beta", res.beta), ("se", res.se_beta), ("stat", stat), ("pval", res.pval_beta),
        ("ci_lb", res.ci_lb_beta), ("ci_ub", res.ci_ub_beta), ("pi_lb", res.pi_lb),
        ("pi_ub", res.pi_ub), ("tau2", res.tau2), ("se_tau2", res.se_tau2), ("QE", res.QE),
        ("QEp", res.QEp), ("I2", res.I2), ("H2", res.H2), ("R2", res.R2), ("QM", res.QM),
        ("ll_ML", res.ll_ML), ("ll_REML", res.ll_REML),
    ):  # fmt: skip
        assert_close(ours, ref[field], tol, f"{name}.{field}")
    # an FE/EE model given tau2 says it ignores it, where metafor is silent (statistics.md)
    said = [str(w.message) for w in caught if "ignored: an" not in str(w.message)]
    for theirs in ref["warnings"]:
        word = ours_for(theirs, WARNINGS)
        assert any(word in s for s in said), f"{name}: no warning {word!r} in {said}"
    assert len(said) == len(ref["warnings"]), f"{name}: {said} vs metafor {ref['warnings']}"


@pytest.mark.parametrize(("file", "name"), REFUSED)
def test_unweighted_fit_is_refused_where_metafor_stops(file: str, name: str) -> None:
    ref = load(file)["fits"][name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match=re.escape(ours_for(ref["error"], ERRORS))):
            fit(ref, file)


@pytest.mark.parametrize("file", FILES)
def test_the_fit_at_infinite_weight_has_no_log_likelihood_in_its_record(file: str) -> None:
    """metafor's NaN log-likelihoods: None in to_dict, NaN in fitstats, as in R."""
    ref = load(file)["fits"]["FE_four_z"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = fit(ref, file)
    record = res.to_dict()
    assert record["ll_ML"] is None and record["ll_REML"] is None
    assert record["weighted"] is (file == "weights")
    if file == "weights":
        assert record["weights_given"] == load(file)["weights"]["four"]
    assert all(np.isnan(v) for block in res.fitstats().values() for v in block.values())


@pytest.mark.parametrize("file", FILES)
def test_no_numpy_warning_beside_the_fit(file: str) -> None:
    """The infinite weight is not computed as a division by zero numpy warns about."""
    ref = load(file)["fits"]["FE_mods_z"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.filterwarnings("ignore", category=UserWarning)
        fit(ref, file)


def fitted(key: str, file: str = "unweighted") -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit(load(file)["fits"][key], file)


@pytest.mark.parametrize("file", FILES)
@pytest.mark.parametrize(("key", "fit_key"), [("FE_four", "FE_four_z"), ("HE_four", "HE_four_z")])
def test_leave1out_matches_metafor(file: str, key: str, fit_key: str) -> None:
    ref = load(file)["diagnostics"][key]["leave1out"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        l1o = leave1out(fitted(fit_key, file))
    for field in ("estimate", "se", "pval", "Q", "I2", "H2"):
        assert_close(getattr(l1o, field), ref[field], "closed", f"{key}.leave1out.{field}")
    if ref["tau2"] is not None:
        assert_close(l1o.tau2, ref["tau2"], "closed", f"{key}.leave1out.tau2")


@pytest.mark.parametrize("file", FILES)
@pytest.mark.parametrize(
    ("key", "fit_key"), [("FE_four", "FE_four_z"), ("HE_four", "HE_four_z"), ("HE_mods", "HE_mods_z")]
)
def test_influence_matches_metafor(file: str, key: str, fit_key: str) -> None:
    ref = load(file)["diagnostics"][key]["influence"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inf = influence(fitted(fit_key, file))
    for field in ("rstudent", "dffits", "cook_d", "cov_r", "tau2_del", "QE_del", "hat", "weight"):
        assert_close(getattr(inf, field), ref[field], "closed_deletion", f"{key}.{field}")
    dfbs = np.column_stack([ref["dfbs"][name] for name in ref["dfbs"]])
    assert_close(np.asarray(inf.dfbetas).reshape(dfbs.shape), dfbs, "closed_deletion", f"{key}.dfbs")


@pytest.mark.parametrize(
    ("file", "key"),
    [(f, key) for f in FILES for key, ref in load(f)["diagnostics"].items() if "confint_error" in ref],
)
def test_confint_is_refused_as_in_metafor(file: str, key: str) -> None:
    ref = load(file)["diagnostics"][key]
    assert ref["confint_error"]
    res = fitted(f"{key}_z", file)
    with pytest.raises(ValueError):
        res.confint()


@pytest.mark.parametrize("file", FILES)
def test_predict_of_the_meta_regression_matches_metafor(file: str) -> None:
    ref = load(file)["diagnostics"]["HE_mods"]["predict_x3"]
    pred = fitted("HE_mods_z", file).predict(newmods=[3.0])
    for field in ("pred", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub"):
        assert_close(np.ravel(getattr(pred, field)), [ref[field]], "closed", f"predict.{field}")


def test_predict_of_the_weighted_equal_effects_fit_matches_metafor() -> None:
    ref = load("weights")["diagnostics"]["FE_four"]["predict"]
    pred = fitted("FE_four_z", "weights").predict()
    for field in ("pred", "se", "ci_lb", "ci_ub"):
        assert_close(np.ravel(getattr(pred, field)), [ref[field]], "closed", f"predict.{field}")


@pytest.mark.parametrize("key", ["FE_four", "HE_four"])
def test_cumul_of_the_weighted_fit_matches_metafor(key: str) -> None:
    """Its first step is the study of vi = 0 alone: se 0, z infinite, p 0, as metafor's."""
    ref = load("weights")["diagnostics"][key]["cumul"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cum = cumul(fitted(f"{key}_z", "weights"))
    for field in ("estimate", "se", "pval", "ci_lb", "ci_ub"):
        assert_close(getattr(cum, field), ref[field], "closed", f"{key}.cumul.{field}")
    z = np.asarray(cum.zval, dtype=float)
    assert np.array_equal(np.isinf(z), ref["zval_infinite"]), f"{key}.cumul.zval {z}"
    assert_close(np.where(np.isinf(z), np.nan, z), ref["zval"], "closed", f"{key}.cumul.zval")
    if ref["tau2"] is not None:
        assert_close(cum.tau2, ref["tau2"], "closed", f"{key}.cumul.tau2")
