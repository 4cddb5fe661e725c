"""rstudent of Mantel-Haenszel and Peto fits (metareview.diagnostics.rstudent and
residuals(type="rstudent")) against metafor 3.8-1's rstudent.rma.mh and
rstudent.rma.peto.

``tests/reference/metafor_mh_rstudent/*.json`` are written by
``tests/reference/make_mh_rstudent_fixtures.R``: rma.mh (OR, RR, RD) and rma.peto of
dat.bcg, dat.yusuf1985 (table 6: double-zero tables, a table of missing counts),
dat.collins1985a (deaths: sparse, missing counts) and three made-up tables of which one
has events, at metafor's continuity defaults and with drop00 = FALSE, drop00 = (True,
True) and add = (1/2, 1/2). The studies without a yi are left out, as metafor leaves
them out; a table not pooled, or whose refit stops, gives nan where metafor gives NA.
Every number is compared under the ``closed_deletion`` entry of the tolerance table (a
difference y_i - b_(-i) of closed forms).
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixture_cases import case_items, load_cases
from metafor_tolerances import assert_close

from metareview.diagnostics import RstudentResult, residuals, rstudent
from metareview.mh import MHResult, PetoResult, rma_mh, rma_peto

DIR = Path(__file__).parents[1] / "reference" / "metafor_mh_rstudent"
CASES = load_cases(DIR)


def _nan(values: list[Any]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def _fit(d: dict[str, Any], e: dict[str, Any]) -> MHResult | PetoResult:
    kwargs: dict[str, Any] = {k: e[k] for k in ("add", "to", "drop00") if k in e}
    for k in ("add", "to", "drop00"):
        if isinstance(kwargs.get(k), list):
            kwargs[k] = tuple(kwargs[k])
    tables = {k: _nan(d[k]) for k in ("ai", "n1i", "ci", "n2i")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # metafor's warnings of these data, not compared here
        if e["fit"] == "mh":
            return rma_mh(**tables, measure=e["measure"], slab=d["slab"], **kwargs)
        return rma_peto(**tables, slab=d["slab"], **kwargs)


def test_the_fixtures_cover_sparse_tables_and_failed_refits() -> None:
    assert {"dat.bcg", "dat.yusuf1985_table6", "dat.collins1985a", "one_informative"} <= set(CASES)
    entries = [e for d in CASES.values() for e in d["entries"].values()]
    assert {e["measure"] for e in entries} == {"OR", "RR", "RD", "PETO"}
    # studies left out (no yi) and entries metafor leaves NA (a table not pooled, or
    # its refit stopped) are both among them
    assert any(len(e["rstudent"]["slab"]) < len(d["slab"])
               for d in CASES.values() for e in d["entries"].values())  # fmt: skip
    assert any(None in e["rstudent"]["resid"] for e in entries)


@pytest.mark.parametrize(("case", "key"), case_items(CASES, "entries"))
def test_rstudent_matches_metafor(case: str, key: str) -> None:
    d = CASES[case]
    e = d["entries"][key]
    res = _fit(d, e)
    assert_close(res.beta, e["beta"], "closed", f"{case} {key}: beta")
    rs = rstudent(res)
    assert isinstance(rs, RstudentResult)
    ref = e["rstudent"]
    assert list(rs.slab) == ref["slab"], f"{case} {key}: slab"
    for name in ("resid", "se", "z"):
        assert_close(getattr(rs, name), ref[name], "closed_deletion", f"{case} {key}: {name}")
    assert_close(residuals(res, type="rstudent"), e["residuals"], "closed_deletion",
                 f"{case} {key}: residuals(type='rstudent')")  # fmt: skip


def test_a_study_on_the_estimate_of_the_others_has_a_zero_residual() -> None:
    # the same table twice: each left out leaves the other, whose estimate is its own
    res = rma_mh(ai=[4, 4], n1i=[50, 50], ci=[9, 9], n2i=[50, 50])
    rs = rstudent(res)
    np.testing.assert_array_equal(rs.resid, [0.0, 0.0])
    np.testing.assert_allclose(rs.se, np.sqrt(2 * res.vi), rtol=1e-12)


def test_the_fit_keeps_its_tables_out_of_its_json() -> None:
    res = rma_peto(ai=[1, 2], n1i=[10, 10], ci=[2, 3], n2i=[10, 10])
    assert "cells" not in res.to_dict()
    with pytest.raises(ValueError):
        res.cells[0][0] = 5.0  # read-only: the refits pool the tables given
