"""metareview's residuals, rstandard and rstudent, and the significance stars of a fit's
print, against metafor 3.8-1 (residuals.rma, rstandard.rma.uni, rstudent.rma.uni,
print.rma.uni).

``tests/reference/metafor_resid/*.json`` are written by ``make_resid_fixtures.R``: on
dat.bcg (log risk ratios; ablat) and dat.raudenbush1985 (SMDs; weeks), models without and
with the moderator fitted by REML, DL, EE and FE under the z and Knapp-Hartung tests, and
on dat.bcg (``extra_*``) test t and adhoc, ML, no intercept, a given tau^2, a subset,
weights and weighted=False; each with the five types of ``residuals``, ``rstandard``
(marginal and conditional), ``rstudent`` and what ``print`` writes of them and of the
fit, with R's default significance stars and without. ``stars.json`` holds fits whose
p-values lie just either side of the stars' cutpoints, and the bcg file a trimfill print.

Tolerances from ``metafor_tolerances.py``: ``closed`` for EE, FE and DL and a given
tau^2, ``tight`` for ML and REML (fitted to convergence in both programs), each with its
``*_deletion`` entry for the residuals, differences y_i - x_i'b that lose digits where a
study lies near its fitted value. A fit's print is compared line by line from "Model
Results:" on (the stars, their column and legend), less the space R's ``cat`` leaves at
the end of each line, and word by word above it (metafor pads an FE model's labels one
column wider); the tables of rstandard and rstudent word by word (metafor separates
their columns by one space).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import CLOSED_FORM_METHODS, assert_close, for_quantity

import metareview
from metareview.bias import trimfill
from metareview.diagnostics import (
    RESIDUAL_TYPES,
    RstandardResult,
    RstudentResult,
    influence,
    residuals,
    rstandard,
    rstudent,
)
from metareview.pool import METAFOR_DEFAULTS, RMAResult, _signif_stars, rma

HERE = Path(__file__).parent
DIR = HERE / "metafor_resid"
CASES = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(DIR.glob("dat.*.json"))}
STARS = json.loads((DIR / "stars.json").read_text(encoding="utf-8"))["cases"]


def _items() -> list[tuple[str, str]]:
    return [(case, key) for case, d in CASES.items() for key in d["entries"]]


def _fit(d: dict[str, Any], spec: dict[str, Any]) -> RMAResult:
    mods = {name: np.array(d["mods"][name], dtype=float) for name in spec["mods"]} or None
    with warnings.catch_warnings():
        # EE with knha warns in both programs; the fit is what is compared
        warnings.simplefilter("ignore")
        return rma(d["yi"], d["vi"], mods=mods, method=spec["method"], test=spec["test"],
                   subset=spec.get("subset"), intercept=spec.get("intercept", True),
                   weights=d["ni"] if spec.get("weights") == "ni" else None,
                   weighted=spec.get("weighted", True), tau2=spec.get("tau2"))  # fmt: skip


def _tol(spec: dict[str, Any]) -> str:
    return "closed" if spec["method"] in CLOSED_FORM_METHODS or "tau2" in spec else "tight"


def _words(lines: list[str]) -> list[list[str]]:
    return [line.split() for line in lines if line.strip()]


def _printed(lines: list[str]) -> list[str]:
    """R's lines less the space ``cat`` leaves at the end of each and the empty lines
    metafor opens and closes a print with."""
    out = [line.rstrip() for line in lines]
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return out


def _assert_print(ours: str, theirs: list[str], what: str, boundary: bool = False) -> None:
    """``boundary``: metafor's ML or REML tau^2 is a stopping point ~1e-13 above the
    exact 0 of ours, which metafor prints as 0.0000 and metareview as 0 (its tau too)."""
    mine, ref = ours.splitlines(), _printed(theirs)
    at = ref.index("Model Results:")
    assert mine[mine.index("Model Results:"):] == ref[at:], what
    if boundary:
        mine, ref = ([line for line in lines if not line.startswith("tau")] for lines in (mine, ref))
    assert _words(mine) == _words(ref), what


def test_every_method_test_and_type_is_covered() -> None:
    assert set(CASES) == {"dat.bcg__RR", "dat.raudenbush1985__SMD"}
    for d in CASES.values():
        assert d["metafor_version"] == "3.8.1"
        entries = d["entries"].values()
        got = {(tuple(e["model"]["mods"]), e["model"]["method"], e["model"]["test"]) for e in entries}
        assert {(m, t) for m in ("REML", "DL", "EE", "FE") for t in ("z", "knha")} <= {g[1:] for g in got}
        assert any(g[0] for g in got) and any(not g[0] for g in got)
        for e in entries:
            assert set(e["residuals"]) == set(RESIDUAL_TYPES)
    extra = CASES["dat.bcg__RR"]["entries"]
    # the conditional residuals of the fits with weights given or none, which metafor refuses
    assert sum("error" in e["rstandard_conditional"] for e in extra.values()) == 3
    # every star and the blank appear among the fixtures' prints
    marks = {line.rstrip()[-3:].strip() for c in STARS.values() for line in c["print_stars"][:-3]}
    assert {"***", "**", "*", "."} <= marks


@pytest.mark.parametrize("item", _items(), ids=lambda x: f"{x[0]}-{x[1]}")
def test_residuals_match_metafor(item: tuple[str, str]) -> None:
    d = CASES[item[0]]
    e = d["entries"][item[1]]
    spec = e["model"]
    res = _fit(d, spec)
    tol = for_quantity(_tol(spec), "rstudent")
    for kind, ref in e["residuals"].items():
        ours = residuals(res, type=kind)
        assert isinstance(ours, np.ndarray) and ours.shape == (res.k,)
        assert_close(ours, ref, tol, f"{item[1]} residuals {kind}")
        np.testing.assert_array_equal(res.residuals(type=kind), ours)


@pytest.mark.parametrize("item", _items(), ids=lambda x: f"{x[0]}-{x[1]}")
@pytest.mark.parametrize("fun", ["rstandard", "rstandard_conditional", "rstudent"])
def test_rstandard_and_rstudent_match_metafor(item: tuple[str, str], fun: str) -> None:
    d = CASES[item[0]]
    e = d["entries"][item[1]]
    spec = e["model"]
    res = _fit(d, spec)
    ref = e[fun]
    if fun == "rstudent":
        ours: Any = rstudent(res)
        assert isinstance(ours, RstudentResult)
        # the values influence() reports, from the same computation
        np.testing.assert_array_equal(ours.z, influence(res).rstudent)
    else:
        kind = "conditional" if fun.endswith("conditional") else "marginal"
        if "error" in ref:
            # metafor: "Extraction of conditional residuals not available for models
            # with non-standard weights."
            assert ref["error"].startswith("Extraction of conditional residuals not available")
            with pytest.raises(ValueError, match="weights"):
                rstandard(res, type=kind)
            return
        ours = rstandard(res, type=kind)
        assert isinstance(ours, RstandardResult) and ours.type == kind
    assert list(ours.slab) == ref["slab"]
    tol = _tol(spec)
    for key in ("resid", "se", "z"):
        assert_close(getattr(ours, key), ref[key], for_quantity(tol, "rstudent" if key != "se" else key),
                     f"{item[1]} {fun} {key}")
    assert _words(ours.summary().splitlines()) == _words(ref["printed"])
    assert str(ours) == ours.summary()
    assert ours.to_dict()["slab"] == ref["slab"] and set(ours.to_dict()) >= {"resid", "se", "z", "slab"}
    with pytest.raises((AttributeError, TypeError)):
        ours.resid = None  # frozen


@pytest.mark.parametrize("item", _items(), ids=lambda x: f"{x[0]}-{x[1]}")
def test_fits_print_their_stars_as_metafor(item: tuple[str, str]) -> None:
    d = CASES[item[0]]
    e = d["entries"][item[1]]
    res = _fit(d, e["model"])
    boundary = res.tau2 == 0 < e["tau2"] < 1e-12
    _assert_print(res.summary(), e["print_stars"], item[1], boundary)
    assert str(res) == res.summary()
    _assert_print(res.summary(signif_stars=False), e["print_plain"], item[1], boundary)


@pytest.mark.parametrize("name", sorted(STARS))
def test_stars_either_side_of_each_cutpoint_as_metafor(name: str) -> None:
    c = STARS[name]
    mods = {"x": c["x"]} if "x" in c else None
    res = rma(c["yi"], c["vi"], mods=mods, method=c["method"], test=c["test"])
    # the p-values lie 1e-10 or more from the cutpoint, far beyond the two programs' rounding
    assert_close(res.pval_beta, np.ravel(c["pval"]), "closed", f"{name} pval")
    _assert_print(res.summary(), c["print_stars"], name)
    _assert_print(res.summary(signif_stars=False), c["print_plain"], name)


def test_trimfill_prints_the_filled_models_stars_as_metafor() -> None:
    d = CASES["dat.bcg__RR"]
    ref = d["trimfill"]
    tf = trimfill(rma(d["yi"], d["vi"], control=METAFOR_DEFAULTS))
    assert str(tf) == tf.summary()
    for ours, theirs in ((tf.summary(), ref["print_stars"]), (tf.summary(signif_stars=False), ref["print_plain"])):
        _assert_print(ours, theirs, ref["r_call"])


def test_the_legend_follows_the_stars_unless_asked_otherwise() -> None:
    d = CASES["dat.bcg__RR"]
    res = rma(d["yi"], d["vi"])
    starred, plain = res.summary().splitlines(), res.summary(signif_stars=False).splitlines()
    legend = "Signif. codes:  0 \u2018***\u2019 0.001 \u2018**\u2019 0.01 \u2018*\u2019 0.05 \u2018.\u2019 0.1 \u2018 \u2019 1"
    assert starred[-3:] == ["", "---", legend]
    assert starred[:-3] == res.summary(signif_legend=False).splitlines()
    assert starred[-4].endswith("***") and not plain[-1].endswith("*")
    # metafor's print(res, signif.stars = FALSE, signif.legend = TRUE): the legend alone
    assert res.summary(signif_stars=False, signif_legend=True).splitlines() == [*plain, *starred[-3:]]


def test_residual_functions_are_offered_as_metafors() -> None:
    d = CASES["dat.bcg__RR"]
    res = rma(d["yi"], d["vi"])
    for name in ("residuals", "rstandard", "rstudent"):
        assert name in metareview.__all__ and getattr(metareview, name) is globals()[name]
    np.testing.assert_array_equal(res.rstandard().z, rstandard(res).z)
    np.testing.assert_array_equal(res.rstudent().z, rstudent(res).z)
    with pytest.raises(ValueError, match="type"):
        residuals(res, type="deviance")
    with pytest.raises(ValueError, match="type"):
        rstandard(res, type="response")
    with pytest.raises(TypeError):
        residuals(d["yi"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="k >= 2"):
        rstudent(rma([0.2], [0.1]))


def test_stars_take_rs_intervals_closed_on_the_right() -> None:
    """R 4.2's symnum(c(0, 0.001, 0.0010000001, 0.01, 0.05, 0.0500001, 0.1, 0.2, 1, NA),
    corr = FALSE, na = FALSE, cutpoints = c(0, 0.001, 0.01, 0.05, 0.1, 1),
    symbols = c("***", "**", "*", ".", " ")), as print.rma.uni calls it."""
    p = [0.0, 0.001, 0.0010000001, 0.01, 0.05, 0.0500001, 0.1, 0.2, 1.0, float("nan")]
    r = ["***", "***", "**", "**", "*", ".", ".", " ", " ", ""]
    assert [_signif_stars(x) for x in p] == r
    assert _signif_stars(None) == ""
