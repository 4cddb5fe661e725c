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
MODELS = [name for name in CASES if isinstance(CASES[name], dict) and "leave1out" in CASES[name]]


def _fit(case: dict[str, Any], mods: bool = False) -> Any:
    return rma(
        CASES["yi"], CASES["vi"], method=case["method"], test=case["test"],
        mods=np.asarray(CASES["ablat"], dtype=float) if mods else None,
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
    assert not plain.transf and "transf" not in plain.to_dict()
    assert "se" in plain.summary().splitlines()[0].split()
