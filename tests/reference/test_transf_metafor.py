"""``transf`` in leave1out, cumul and confint against metafor 3.8-1.

``tests/reference/metafor_transf/bcg.json`` is written by ``make_transf_fixtures.R``: on
dat.bcg (log risk ratios), REML (z) and DL (knha) models, ``leave1out`` and ``cumul``
(ordered by year) with ``transf=exp`` and a decreasing function, whose CI bounds are put
back in increasing order; metafor transforms each estimate and bound and sets se to NA,
which its print leaves out, while zval, pval, Q and tau2 are the fits'. Also
``confint(fixed=TRUE, transf=...)``, which transforms the fixed effects' estimates and
bounds only, for those models, a meta-regression and an FE model.

Tolerances from ``metafor_tolerances.py``: ``closed`` for DL and FE, ``tight`` for REML
(fitted to convergence in both programs). Printed tables are compared cell by cell
(metafor separates columns by one space where this prints two).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import assert_close

from metareview import rma

CASES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "metafor_transf" / "bcg.json").read_text(encoding="utf-8")
)
TRANSF = {"exp": math.exp, "neg": lambda x: -x}
TOL = {"REML": "tight", "DL": "closed", "FE": "closed"}
MODELS = [name for name in CASES if isinstance(CASES[name], dict) and "leave1out" in CASES[name] and "transf" in CASES[name]]


def _fit(case: dict[str, Any], mods: bool = False) -> Any:
    return rma(
        CASES["yi"], CASES["vi"], method=case["method"], test=case["test"],
        mods={"ablat": np.asarray(CASES["ablat"], dtype=float)} if mods else None,
    )  # fmt: skip


def _cells(lines: list[str]) -> list[list[str]]:
    """Header and rows as words, with R's table wrapped at the console's width (a block
    of the columns that did not fit, under its own header) put back beside the first."""
    header: list[str] = []
    rows: dict[str, list[str]] = {}
    for line in filter(str.strip, lines):
        words = line.split()
        if line.startswith(" "):  # a header: R's rows start with their label
            header += words
        else:
            rows.setdefault(words[0], [words[0]]).extend(words[1:])
    return [header, *rows.values()]


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("what", ["leave1out", "cumul"])
def test_transf_of_leave1out_and_cumul_is_metafors(name: str, what: str) -> None:
    case = CASES[name]
    res = _fit(case)
    f = TRANSF[case["transf"]]
    out = res.leave1out(transf=f) if what == "leave1out" else res.cumul(order=CASES["year"], transf=f)
    ref = case[what]
    tol = TOL[case["method"]]
    for key in ("estimate", "zval", "pval", "ci_lb", "ci_ub", "Q", "tau2"):
        assert_close(getattr(out, key), ref[key], tol, f"{name} {what} {key}")
    assert np.all(np.isnan(out.se)) and all(x is None for x in ref["se"])
    assert np.all(out.ci_lb <= out.ci_ub)
    assert out.transf and out.to_dict()["transf"] is True
    assert _cells(out.summary().splitlines()) == _cells(ref["printed"])


def test_without_transf_nothing_changes() -> None:
    res = _fit(CASES["REML_z_exp"])
    plain = res.leave1out()
    assert not plain.transf and plain.to_dict()["transf"] is False
    assert res.cumul().to_dict()["transf"] is False  # always there, as in blup's and confint's
    assert "se" in plain.summary().splitlines()[0].split()


def _check_fixed(ours: Any, ref: dict[str, Any], tol: str, what: str) -> None:
    assert list(ours.coef_names) == ref["coef_names"], what
    for key in ("estimate", "ci_lb", "ci_ub"):
        assert_close(getattr(ours, key), ref[key], tol, f"{what} {key}")
    assert np.all(ours.ci_lb <= ours.ci_ub) and ours.transf


CONFINT = [(name, "confint") for name in MODELS] + [
    ("mods_REML_knha_exp", "confint"),
    ("mods_REML_knha_exp", "confint_fixed_only"),
    ("FE_z_exp", "confint_fixed_only"),
]


@pytest.mark.parametrize(("name", "what"), CONFINT)
def test_transf_of_confints_fixed_effects_is_metafors(name: str, what: str) -> None:
    case = CASES[name]
    res = _fit(case, mods=name.startswith("mods"))
    ref = case[what]
    tol = TOL[case["method"]]
    random = ref["random"] is not None
    ci = res.confint(fixed=True, random=random, transf=TRANSF[case["transf"]])
    fixed = ci.fixed if random else ci
    _check_fixed(fixed, ref, tol, f"{name} {what}")
    if random:
        # tau^2, tau, I^2, H^2 by rows, as metafor's matrix by columns: not transformed
        ours = [[ci.tau2, ci.tau, ci.I2, ci.H2], [ci.tau2_ci_lb, ci.tau_ci_lb, ci.I2_ci_lb, ci.H2_ci_lb],
                [ci.tau2_ci_ub, ci.tau_ci_ub, ci.I2_ci_ub, ci.H2_ci_ub]]  # fmt: skip
        assert_close(np.ravel(ours), ref["random"], tol, f"{name} random")
        assert ci.to_dict()["fixed"]["transf"] is True
    assert _cells(str(ci).splitlines()) == _cells(ref["printed"])


def test_confint_of_an_fe_model_needs_random_false_as_in_metafor() -> None:
    case = CASES["FE_z_exp"]
    assert case["error_random"].startswith("Model does not contain a random-effects component")
    with pytest.raises(ValueError, match="no random-effects component"):
        _fit(case).confint(fixed=True)


def test_transf_without_the_fixed_effects_is_refused() -> None:
    # metafor ignores it there: the tau^2 interval would be read as transformed
    res = _fit(CASES["REML_z_exp"])
    with pytest.raises(ValueError, match="fixed=True"):
        res.confint(transf=math.exp)
    plain = res.confint()
    assert plain.fixed is None and "fixed" not in plain.to_dict()


def _same(ours: Any, ref: Any, what: str) -> None:
    """Equal to metafor's values to 1e-6, a NaN where metafor's is NaN (null)."""
    ours = np.atleast_1d(np.asarray(ours, dtype=float))
    ref = np.atleast_1d(np.asarray([np.nan if x is None else x for x in np.atleast_1d(ref)], dtype=float))
    assert np.array_equal(np.isnan(ours), np.isnan(ref)), what
    assert np.allclose(ours[~np.isnan(ours)], ref[~np.isnan(ref)], rtol=1e-6, atol=1e-8), what


def test_a_nan_bound_after_transf_stays_nan_as_in_metafor() -> None:
    # metafor's .psort skips a pair with a missing bound: the finite bound must not be
    # copied over the NaN one (a zero-width interval)
    case = CASES["sqrt_nan"]
    res = rma(case["yi"], case["vi"])

    def sqrt(x: float) -> float:  # R's sqrt: NaN for a negative number
        return math.sqrt(x) if x >= 0 else math.nan

    for what, out in (("leave1out", res.leave1out(transf=sqrt)), ("cumul", res.cumul(transf=sqrt))):
        ref = case[what]
        for key in ("estimate", "ci_lb", "ci_ub"):
            _same(getattr(out, key), ref[key], f"{what} {key}")
        assert _cells(out.summary().splitlines()) == _cells(ref["printed"]), what
    ci = res.confint(fixed=True, transf=sqrt)
    for key in ("estimate", "ci_lb", "ci_ub"):
        _same(getattr(ci.fixed, key), case["confint"][key], f"confint {key}")
    assert _cells(str(ci.fixed).splitlines()) == _cells(case["confint"]["printed"][:3])
    pred = res.predict(transf=sqrt)
    for key in ("pred", "ci_lb", "ci_ub", "pi_lb", "pi_ub"):
        _same(getattr(pred, key), case["predict"][key], f"predict {key}")
    from metareview import blup, ranef

    for what, out in (("blup", blup(res, transf=sqrt)), ("ranef", ranef(res, transf=sqrt))):
        ref = case[what]
        for key in ("pred", "pi_lb", "pi_ub"):
            _same(getattr(out, key), ref[key], f"{what} {key}")
        # metafor prints NaN, and NA for a column of nothing else (.fcf)
        assert _cells(out.summary().splitlines()[:-2]) == _cells(ref["printed"]), what
