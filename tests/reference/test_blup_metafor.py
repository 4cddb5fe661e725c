"""metareview.blups.blup and ranef against metafor 3.8-1's blup.rma.uni and ranef.rma.uni.

``tests/reference/metafor_blup/*.json`` are written by ``make_blup_fixtures.R``: on
dat.bcg (log risk ratios; ablat), dat.raudenbush1985 (SMDs; weeks) and dat.normand1999
(SMDs labelled by source), models without and with the moderator fitted by REML, ML, DL
and EE under the z and Knapp-Hartung tests, each with blup and ranef (also at level 90
for REML and DL), and on dat.bcg (``extra_*``) transf = exp, a fit at level 90, test t
and adhoc, FE, no intercept, a given tau^2, a subset, missing values (which metafor
leaves out and metareview refuses: the same studies are fitted here with ``subset``) and
the weighted and unweighted fits both programs refuse.

Tolerances from ``metafor_tolerances.py``: ``closed`` for EE, FE and DL and a given
tau^2, ``tight`` for ML and REML (fitted to convergence in both programs). Where the ML
or REML tau^2 is 0 (dat.raudenbush1985 with weeks), metafor's Fisher scoring stops
~1e-13 above it, and its random effects are that stopping point times the residuals
(its ``se`` ~ sqrt(tau^2), 2e-7): the formulas are then compared at metafor's own tau^2
(``rma(tau2=...)``, closed form), and the exact fit is checked against the limit,
ranef 0 with se 0 and blup the fitted values of ``predict``. Printed tables are compared
word by word (metafor separates columns by one space).
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixture_cases import case_items, load_cases
from metafor_tolerances import CLOSED_FORM_METHODS, assert_close

from metareview.blups import BLUPResult, RanefResult, blup, ranef
from metareview.pool import RMAResult, rma

HERE = Path(__file__).parent
CASES = load_cases(HERE / "metafor_blup")
FUNS = {"blup": blup, "ranef": ranef}


def _data(d: dict[str, Any], spec: dict[str, Any]) -> tuple[np.ndarray, dict[str, np.ndarray] | None]:
    """yi and the moderators of the model, with metafor's missing values (1-based
    ``na_yi``, ``na_mods``) as NaN."""
    yi = np.array(d["yi"], dtype=float)
    yi[[j - 1 for j in spec.get("na_yi") or []]] = np.nan
    mods = {name: np.array(d["mods"][name], dtype=float) for name in spec["mods"]} or None
    for name in mods or {}:
        mods[name][[j - 1 for j in spec.get("na_mods") or []]] = np.nan
    return yi, mods


def _fit(d: dict[str, Any], spec: dict[str, Any], **kwargs: Any) -> RMAResult:
    yi, mods = _data(d, spec)
    subset = spec.get("subset")
    if spec.get("na_yi") or spec.get("na_mods"):
        # metafor leaves studies with missing values out (na.action = "na.omit");
        # rma refuses them, so the same studies are fitted by subset
        subset = np.isfinite(yi) & np.all([np.isfinite(m) for m in (mods or {}).values()] or [True], axis=0)
    with warnings.catch_warnings():
        # EE with knha warns in both programs; the fit is what is compared
        warnings.simplefilter("ignore")
        return rma(yi, d["vi"], mods=mods, method=spec["method"], test=spec["test"],
                   subset=subset, intercept=spec.get("intercept", True), slab=d.get("slab"),
                   weights=d["ni"] if spec.get("weights") == "ni" else None,
                   weighted=spec.get("weighted", True), tau2=spec.get("tau2", kwargs.get("tau2")),
                   level=spec.get("level", 95.0))  # fmt: skip


def _call(e: dict[str, Any], res: RMAResult) -> Any:
    return FUNS[e["fun"]](res, level=e["level"], transf=math.exp if e["transf"] == "exp" else None)


def _words(lines: list[str]) -> list[list[str]]:
    return [line.split() for line in lines if line.strip()]


def _at_boundary(e: dict[str, Any], res: RMAResult) -> bool:
    """metafor's ML or REML tau^2 a stopping point just above an exact 0 of ours."""
    return res.tau2 == 0 < e["tau2"] < 1e-12


def test_every_method_test_and_function_is_covered() -> None:
    assert len(CASES) >= 3
    for d in CASES.values():
        assert d["metafor_version"] == "3.8.1"
        entries = d["entries"].values()
        got = {(e["fun"], e["model"]["method"], e["model"]["test"]) for e in entries}
        assert got >= {(f, m, t) for f in FUNS for m in ("REML", "ML", "DL", "EE") for t in ("z", "knha")}
        assert any(e["level"] == 90 for e in entries)
    extra = CASES["dat.bcg__RR"]["entries"]
    assert sum("error" in e for e in extra.values()) == 4
    assert {e["transf"] for e in extra.values()} == {None, "exp"}


@pytest.mark.parametrize("item", case_items(CASES, "entries"), ids=lambda x: f"{x[0]}-{x[1]}")
def test_blup_and_ranef_match_metafor(item: tuple[str, str]) -> None:
    d = CASES[item[0]]
    e = d["entries"][item[1]]
    spec = e["model"]
    res = _fit(d, spec)
    if "error" in e:
        # metafor: "Extraction of random effects not available for models with
        # non-standard weights."
        assert e["error"].startswith("Extraction of random effects not available")
        with pytest.raises(ValueError, match="weights"):
            _call(e, res)
        return
    ours = _call(e, res)
    assert isinstance(ours, BLUPResult if e["fun"] == "blup" else RanefResult)
    ref = e["result"]
    assert list(ours.slab) == ref["slab"] and ours.transf == ref["transf"]
    assert ours.level == (e["level"] or spec.get("level") or 95)
    assert ours.pi_df == (None if spec["test"] == "z" else res.k - res.p)
    compared, tol = ours, "closed" if spec["method"] in CLOSED_FORM_METHODS or "tau2" in spec else "tight"
    if _at_boundary(e, res):
        # the formulas at metafor's stopping point, and the exact fit at the limit
        compared, tol = _call(e, _fit(d, spec, tau2=e["tau2"])), "closed"
        fitted = res.predict()
        if e["fun"] == "ranef":
            assert np.all(ours.pred == 0) and np.all(ours.se == 0)
        else:
            np.testing.assert_array_equal(ours.pred, fitted.pred)
            np.testing.assert_allclose(ours.se, fitted.se, rtol=1e-14, atol=0)
    assert_close(compared.pred, ref["pred"], tol, f"{item[1]} pred")
    if e["transf"]:
        # metafor's se is NA after transf
        assert compared.se is None and all(x is None for x in ref["se"])
    else:
        assert_close(compared.se, ref["se"], tol, f"{item[1]} se")
    for key, sign in (("pi_lb", -1.0), ("pi_ub", 1.0)):
        # A bound is pred -/+ q se, and one near 0 (-1.8e-5 in dat.raudenbush1985) keeps
        # only the digits that difference leaves in either program: compared as its
        # half-width, q se (or its transform), with pred above.
        half = sign * (getattr(compared, key) - compared.pred)
        assert_close(half, sign * (np.array(ref[key]) - np.array(ref["pred"])), tol, f"{item[1]} {key}")
    if "printed" in e:
        lines = compared.summary().splitlines()
        assert lines[-1] == f"{ours.level:g}% prediction intervals"
        assert _words(lines[:-1]) == _words(e["printed"])
    # the method form is the same function
    method = getattr(res, e["fun"])
    assert method(level=e["level"], transf=math.exp if e["transf"] else None).to_dict() == ours.to_dict()


@pytest.mark.parametrize("item", [i for i in case_items(CASES, "entries") if i[1].startswith("extra_na_")], ids=lambda x: x[1])
def test_missing_values_metafor_leaves_out_are_refused(item: tuple[str, str]) -> None:
    d = CASES[item[0]]
    e = d["entries"][item[1]]
    # metafor fits the other studies with a warning; rma names the study instead
    assert e["warnings"] == ["Studies with NAs omitted from model fitting."]
    yi, mods = _data(d, e["model"])
    with pytest.raises(ValueError):
        rma(yi, d["vi"], mods=mods, method="REML")
