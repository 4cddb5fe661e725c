"""metareview.hypotheses.anova against metafor 3.8-1's anova.rma.

``tests/reference/metafor_anova/*.json`` are written by ``make_anova_fixtures.R``: on
dat.bcg (log risk ratios; ablat, year) and dat.raudenbush1985 (SMDs; weeks, blind), fits
by EE, FE, DL, ML and REML under z and knha, and

- ``wald``: ``anova(res, btt=...)`` for the model's own and other sets of coefficients,
  also with ``rhs``;
- ``lincomb``: ``anova(res, X=...)`` for one and several combinations, rows without the
  intercept's column, linearly dependent rows (no omnibus test) and ``rhs``;
- ``lrt``: ``anova(full, reduced)`` in either order, with ``refit=TRUE`` for REML, and
  ``test="Wald"``, with the warnings metafor gives;
- ``checks``: the pairs and ``X`` metafor refuses, and two pairs it accepts;
- and in each (``extra_*``) models without intercept, with weights (the sample sizes
  ``ni``), unweighted, at a given tau^2, and ``btt`` as a regular expression.

Tolerances from ``metafor_tolerances.py``: ``closed`` for EE, FE and DL, ``tight`` for ML
and REML (fitted to convergence in both programs); degrees of freedom and indices exact.
Printed results are compared word by word (metafor wraps the LRT table at the console's
width and separates columns by one space).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixture_cases import case_items, counterpart, load_cases
from metafor_tolerances import CLOSED_FORM_METHODS, assert_close, for_quantity

from metareview.hypotheses import LinearCombinationResult, LRTResult, WaldTestResult, anova
from metareview.pool import rma

HERE = Path(__file__).parent
CASES = load_cases(HERE / "metafor_anova")

#: metafor's warnings and errors, and the words that say the same here.
MESSAGES = {
    "REML comparisons not meaningful": "REML comparisons are not meaningful",
    "LRTs should be based on ML/REML": "should be based on ML or REML",
    "Models have the same number of parameters": "same number of parameters",
    "Observed outcomes and/or sampling variances not equal": "different data",
    "Mismatch between the use of": "cannot be compared",
    "Full model uses a fixed- and reduced model uses a random": "is not nested in the full one",
    "Full and reduced model must use the same 'method'": "same method",
    "Length or number of columns of 'X'": "columns",
    "Argument 'X' must be a numeric": "numbers as text|numeric",
}


def _fit(d: dict[str, Any], spec: dict[str, Any]) -> Any:
    mods = {name: d["mods"][name] for name in spec["mods"]} or None
    with warnings.catch_warnings():
        # FE/EE with knha warn in both programs; the fit is what is compared
        warnings.simplefilter("ignore")
        return rma(d["yi"], d["vi"], mods=mods, method=spec["method"], test=spec["test"],
                   subset=spec.get("subset"), intercept=spec.get("intercept", True),
                   weights=d["ni"] if spec.get("weights") == "ni" else None,
                   weighted=spec.get("weighted", True), tau2=spec.get("tau2"))  # fmt: skip


def _tol(*specs: dict[str, Any]) -> str:
    return "closed" if all(s["method"] in CLOSED_FORM_METHODS for s in specs) else "tight"


def _words(lines: list[str]) -> list[list[str]]:
    return [line.split() for line in lines if line.strip()]


def _unwrapped(lines: list[str]) -> list[list[str]]:
    """The words of metafor's LRT table with the blocks its print wrapped joined: the
    header's and each model's row's, in order."""
    rows: dict[str, list[str]] = {"": [], "Full": [], "Reduced": []}
    for words in _words(lines):
        key = words[0] if words[0] in ("Full", "Reduced") else ""
        rows[key] += words[1:] if key else words
    return [rows[""], ["Full", *rows["Full"]], ["Reduced", *rows["Reduced"]]]


def _check_wald(ours: WaldTestResult, ref: dict[str, Any], tol: str, what: str) -> None:
    assert_close(ours.QM, ref["QM"], tol, f"{what} QM")
    assert_close(ours.QMp, ref["QMp"], tol, f"{what} QMp")
    assert list(ours.QMdf) == ref["QMdf"], what
    assert [j + 1 for j in ours.btt] == ref["btt"] and ours.m == ref["m"], what


def _warned(caught: list[warnings.WarningMessage], expected: list[str], what: str) -> None:
    said = [str(w.message) for w in caught]
    assert len(said) == len(expected), f"{what}: warnings {said}, metafor's {expected}"
    for ours, theirs in zip(said, expected):
        assert re.search(counterpart(MESSAGES, theirs), ours), f"{what}: {ours!r} for metafor's {theirs!r}"


def test_every_form_and_method_is_covered() -> None:
    assert len(CASES) >= 2
    for d in CASES.values():
        assert d["metafor_version"] == "3.8.1"
        fits = {(e["model"]["method"], e["model"]["test"]) for e in d["wald"].values()}
        assert fits == {(m, t) for m in ("EE", "FE", "DL", "ML", "REML") for t in ("z", "knha")}
        assert {e["result"]["type"] for e in d["lrt"].values()} == {"LRT", "Wald.btt"}
        assert any(e["refit"] for e in d["lrt"].values())
        assert sum("error" in e for e in d["checks"].values()) >= 8


@pytest.mark.parametrize("item", case_items(CASES, "wald"), ids=lambda x: f"{x[0]}-{x[1]}")
def test_wald_test_of_coefficients_matches_metafor(item: tuple[str, str]) -> None:
    d = CASES[item[0]]
    e = d["wald"][item[1]]
    res = _fit(d, e["model"])
    # 1-based indices, or a regular expression
    btt = e["btt"] if e["btt"] is None or isinstance(e["btt"], str) else [j - 1 for j in e["btt"]]
    ours = anova(res, btt=btt, rhs=e.get("rhs"))
    _check_wald(ours, e["result"], _tol(e["model"]), item[1])
    assert _words(ours.summary().splitlines()) == _words(e["printed"])
    # the method form is the same function
    assert res.anova(btt=btt, rhs=e.get("rhs")).to_dict() == ours.to_dict()


@pytest.mark.parametrize("item", case_items(CASES, "lincomb"), ids=lambda x: f"{x[0]}-{x[1]}")
def test_linear_combinations_match_metafor(item: tuple[str, str]) -> None:
    d = CASES[item[0]]
    e = d["lincomb"][item[1]]
    res = _fit(d, e["model"])
    X = np.reshape(e["X"], (-1, e["X_ncol"]))
    ours = anova(res, X=X, rhs=e.get("rhs"))
    assert isinstance(ours, LinearCombinationResult)
    ref = e["result"]
    tol = _tol(e["model"])
    for key in ("Xb", "se", "zval", "pval"):
        assert_close(getattr(ours, key), ref[key], tol, f"{item[1]} {key}")
    assert_close(ours.QM, ref["QM"], tol, f"{item[1]} QM")
    assert_close(ours.QMp, ref["QMp"], tol, f"{item[1]} QMp")
    assert (None if ours.QMdf is None else list(ours.QMdf)) == (None if ref["QMdf"] == [None] else ref["QMdf"])
    df = [None] * ours.m if ours.df is None else [ours.df] * ours.m
    assert df == ref["ddf"]
    assert (ours.tval is None) == (e["model"]["test"] == "z")
    assert list(ours.hypotheses()) == [re.sub(r"\s+", " ", h).strip() for h in ref["hyp"]]
    assert _words(ours.summary().splitlines()) == _words(e["printed"])


def _check_comparison(ours: Any, e: dict[str, Any], what: str) -> None:
    ref = e["result"]
    tol = _tol(e["model"], e["model2"])
    if ref["type"] != "LRT":
        assert isinstance(ours, WaldTestResult), what
        _check_wald(ours, ref, tol, what)
        assert _words(ours.summary().splitlines()) == _words(e["printed"])
        return
    assert isinstance(ours, LRTResult), what
    assert (ours.method, ours.parms_f, ours.parms_r) == (ref["method"], ref["parms_f"], ref["parms_r"])
    tol = "tight" if ours.refit else tol
    for side in ("f", "r"):
        for key, val in ref[f"fit_stats_{side}"].items():
            assert_close(getattr(ours, f"fit_stats_{side}")[key], val, tol, f"{what} {key}_{side}")
        assert_close(getattr(ours, f"QE_{side}"), ref[f"QE_{side}"], tol, f"{what} QE_{side}")
        assert_close(getattr(ours, f"tau2_{side}"), ref[f"tau2_{side}"], for_quantity(tol, "tau2"),
                     f"{what} tau2_{side}")  # fmt: skip
    for key in ("LRT", "pval"):
        assert_close(getattr(ours, key), ref[key], tol, f"{what} {key}")
    theirs = _unwrapped(e["printed"])
    if ours.tau2_r == 0 < ref["tau2_r"]:
        # Both tau^2 at the boundary: metafor's Fisher scoring stops ~1e-14 above it and
        # its R^2 is the ratio of two stopping points; the exact estimates are 0 and R^2
        # metafor's rule for tau2_r = 0 (docs/statistics.md, "R^2 at tau^2 = 0").
        assert ref["tau2_r"] < 1e-12 and ref["tau2_f"] < 1e-12 and ours.tau2_f == 0, what
        assert ours.R2 == 0, what
        theirs[2][-1] = f"{0:.4f}%"
    else:
        assert_close(ours.R2, ref["R2"], tol, f"{what} R2")
    assert _words(ours.summary().splitlines()) == theirs


@pytest.mark.parametrize("item", case_items(CASES, "lrt"), ids=lambda x: f"{x[0]}-{x[1]}")
def test_comparison_of_nested_models_matches_metafor(item: tuple[str, str]) -> None:
    d = CASES[item[0]]
    e = d["lrt"][item[1]]
    m1, m2 = _fit(d, e["model"]), _fit(d, e["model2"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = anova(m1, m2, test=e["test"], refit=e["refit"])
    _warned(caught, e["warnings"], item[1])
    _check_comparison(ours, e, item[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert m1.anova(m2, test=e["test"], refit=e["refit"]).to_dict() == ours.to_dict()


@pytest.mark.parametrize("item", case_items(CASES, "checks"), ids=lambda x: f"{x[0]}-{x[1]}")
def test_what_metafor_refuses_is_refused(item: tuple[str, str]) -> None:
    d = CASES[item[0]]
    e = d["checks"][item[1]]
    res = _fit(d, e["model"])
    if "model2" in e:
        other = _fit(d, e["model2"])
        call = lambda: anova(res, other, test=e["test"])
    else:
        X = np.reshape(e["X"], (-1, e["X_ncol"]))
        call = lambda: anova(res, X=X)
    if "error" in e:
        with pytest.raises(ValueError, match=counterpart(MESSAGES, e["error"])):
            call()
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = call()
    _warned(caught, e["warnings"], item[1])
    _check_comparison(ours, e, item[1])
