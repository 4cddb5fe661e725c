"""The analyses' sensitivity results against metafor 3.8-1: leave-one-out and regtest.

A pooled analysis with k >= 3 refits its model without each study in turn, and with k >=
``methods.small_study_min`` (10) tests for small-study effects (metareview.analysis.
_sensitivity). Both keep the analysis' model: REML with Knapp-Hartung by default.

* Leave-one-out: ``tests/reference/metafor_leave1out/*.json``, written by
  ``make_leave1out_fixtures.R`` (metafor's ``leave1out`` of ``rma(yi, vi, method, test)``
  fitted to convergence, threshold = tol = 1e-12) on the yi/vi of the public fixtures,
  for REML/Knapp-Hartung and DL/z. REML values compare at the ``tight`` tolerance (both
  sides solve to ~1e-12), DL (closed form) at ``closed``.
* Regression test: ``tests/reference/metafor_bias/*.json`` (``make_bias_fixtures.R``),
  ``regtest(res)`` (model "rma", predictor "sei") of the same two models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from metafor_tolerances import assert_close

from metareview.analysis import _sensitivity
from metareview.pool import rma

HERE = Path(__file__).parent
CASES = sorted(p.stem for p in (HERE / "metafor_leave1out").glob("*.json"))
FITS = {"REML_knha": "tight", "DL_z": "closed"}


def load(folder: str, case: str) -> dict[str, Any]:
    with open(HERE / folder / f"{case}.json", encoding="utf-8") as fh:
        return json.load(fh)


@pytest.mark.parametrize("fit", sorted(FITS))
@pytest.mark.parametrize("case", CASES)
def test_leave1out_and_regtest_match_metafor(case: str, fit: str) -> None:
    ref = load("metafor_leave1out", case)
    theirs = ref["fits"][fit]
    res = rma(ref["yi"], ref["vi"], method=theirs["method"], test=theirs["test"])
    studies = [{"study_id": f"S{i}"} for i in range(len(ref["yi"]))]
    ours = _sensitivity(res, studies, {})
    assert [row["study_id"] for row in ours["leave1out"]] == [s["study_id"] for s in studies]
    for key in ("estimate", "ci_lb", "ci_ub", "pval"):
        assert_close([row[key] for row in ours["leave1out"]], theirs[key], FITS[fit], f"{case}:{fit}:leave1out.{key}")
    bias = load("metafor_bias", case)
    if len(ref["yi"]) < 10:
        # Too few studies for the test by default; asked for, it is metafor's.
        assert ours["regtest"] is None and ours["small_study_min"] == 10
        ours = _sensitivity(res, studies, {"small_study_min": 3})
    reg = bias["fits"][fit]["regtest"]
    stat = ours["regtest"]["tval"] if theirs["test"] == "knha" else ours["regtest"]["zval"]
    assert_close(stat, reg["stat"], FITS[fit], f"{case}:{fit}:regtest.stat")
    assert_close(ours["regtest"]["pval"], reg["pval"], FITS[fit], f"{case}:{fit}:regtest.pval")
    assert ours["regtest"]["df"] == reg.get("df")


def test_no_leave1out_below_three_studies() -> None:
    res = rma([0.1, 0.4], [0.04, 0.05], method="REML", test="knha")
    assert _sensitivity(res, [{"study_id": "A"}, {"study_id": "B"}], {}) == {
        "leave1out": None, "regtest": None, "small_study_min": 10}
