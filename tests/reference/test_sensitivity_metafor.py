"""The analyses' sensitivity results against metafor 3.8-1: leave-one-out and regtest.

A pooled analysis with k >= 3 refits its model without each study in turn, and with k >=
``methods.small_study_min`` (10) tests for small-study effects (metareview.analysis.
_sensitivity). Both keep the analysis' model: REML with Knapp-Hartung by default.

Reference: ``tests/reference/metafor_bias/*.json``, written by ``make_bias_fixtures.R``
(metafor fitted to convergence, threshold = tol = 1e-12), whose every fit carries
``leave1out`` and ``regtest(res)`` (model "rma", predictor "sei"): the REML, PM, FE and
DL models with a z-test and REML with Knapp-Hartung, on the public fixtures' data and
synthetic cases (k = 3, k = 60, ties). Iterative estimators compare at the ``tight``
tolerance (both sides solve to ~1e-12), closed forms (FE, DL) at ``closed``.
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
FITS = {"REML_z": "tight", "PM_z": "tight", "REML_knha": "tight", "FE_z": "closed", "DL_z": "closed"}


def load(case: str) -> dict[str, Any]:
    with open(HERE / "metafor_bias" / f"{case}.json", encoding="utf-8") as fh:
        return json.load(fh)


#: Every (case, fit) the fixtures hold (the k = 3 case has no PM or Knapp-Hartung fit).
PAIRS = [(p.stem, fit) for p in sorted((HERE / "metafor_bias").glob("*.json")) for fit in load(p.stem)["fits"]]


def test_every_fit_is_checked() -> None:
    assert {fit for _, fit in PAIRS} == set(FITS) and len(PAIRS) >= 60


@pytest.mark.parametrize(("case", "fit"), PAIRS)
def test_leave1out_and_regtest_match_metafor(case: str, fit: str) -> None:
    ref = load(case)
    theirs = ref["fits"][fit]
    res = rma(ref["yi"], ref["vi"], method=theirs["method"], test=theirs["test"])
    studies = [{"study_id": f"S{i}"} for i in range(len(ref["yi"]))]
    ours = _sensitivity(res, studies, {})
    if len(studies) < 4:
        # Each refit would pool two studies: not done (see _sensitivity).
        assert ours["leave1out"] is None and ours["leave1out_min"] == 4
    else:
        assert [row["study_id"] for row in ours["leave1out"]] == [s["study_id"] for s in studies]
        for key in ("estimate", "se", "ci_lb", "ci_ub", "pval"):
            if key in theirs["leave1out"]:
                assert_close([row[key] for row in ours["leave1out"]], theirs["leave1out"][key], FITS[fit],
                             f"{case}:{fit}:leave1out.{key}")
    if len(ref["yi"]) < 10:
        # Too few studies for the test by default; asked for, it is metafor's.
        assert ours["regtest"] is None
        ours = _sensitivity(res, studies, {"small_study_min": 3})
    reg = theirs["regtest"]
    stat = ours["regtest"]["zval"]
    assert_close(stat, reg["stat"], FITS[fit], f"{case}:{fit}:regtest.stat")
    assert_close(ours["regtest"]["pval"], reg["pval"], FITS[fit], f"{case}:{fit}:regtest.pval")
    assert ours["regtest"]["df"] == reg.get("df")
    assert_close(ours["regtest"]["slope"], reg["slope"], FITS[fit], f"{case}:{fit}:regtest.slope")


def test_no_leave1out_unless_each_refit_pools_three_studies() -> None:
    yi, vi = [0.1, 0.4, 0.3, 0.2], [0.04, 0.05, 0.03, 0.06]
    three = [{"study_id": s} for s in "ABC"]
    res = rma(yi[:3], vi[:3], method="REML", test="knha")
    assert _sensitivity(res, three, {}) == {"leave1out": None, "leave1out_min": 4, "regtest": None}
    four = rma(yi, vi, method="REML", test="knha")
    assert len(_sensitivity(four, [*three, {"study_id": "D"}], {})["leave1out"]) == 4
    # Nor below methods.min_studies: a refit pools at least as many studies as a pooled analysis.
    assert _sensitivity(four, [*three, {"study_id": "D"}], {"min_studies": 4})["leave1out"] is None


def test_a_regression_that_cannot_be_fitted_is_said_not_raised() -> None:
    # Ten studies with the same standard error: nothing to regress on.
    res = rma([0.1 * i for i in range(10)], [0.04] * 10, method="REML", test="knha")
    out = _sensitivity(res, [{"study_id": f"S{i}"} for i in range(10)], {})
    assert out["regtest"] is None and out["regtest_error"] == "the predictor (sei) is the same for every study"
