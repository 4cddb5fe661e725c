"""Edge cases against metafor 3.8-1: a saturated equal-effects meta-regression.

``tests/reference/metafor_edge/*.json`` are written by ``make_edge_fixtures.R``.
Tolerances from ``metafor_tolerances.py``: ``closed`` for FE; integers exactly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from metafor_tolerances import assert_close

from metareview.pool import rma

HERE = Path(__file__).parent / "metafor_edge"


def _load(name: str) -> dict[str, Any]:
    d = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    assert d["metafor_version"] == "3.8.1"
    return d


SATURATED = [
    (case, test)
    for case in ("k3_two_moderators", "k2_one_moderator")
    for test in ("z", "t", "adhoc")
]


@pytest.mark.filterwarnings("ignore:the Knapp-Hartung method is not meant for FE models")
@pytest.mark.parametrize(("case", "test"), SATURATED, ids=[f"{c}-{t}" for c, t in SATURATED])
def test_fe_meta_regression_with_as_many_coefficients_as_studies(case: str, test: str) -> None:
    # metafor fits it: QE = 0 on no residual df, t-based p-values and intervals NA, and
    # R^2 NaN (its adjusted R^2 divides by k - p = 0), where a division by zero stopped
    # the fit here
    c = _load("fe_saturated")[case]
    ref = c["fits"][test]
    res = rma(c["yi"], c["vi"], method="FE", test=test, mods=c["mods"])
    what = f"{case} FE/{test}"
    stat = res.zval_beta if test == "z" else res.tval_beta
    for ours, key in ((res.beta, "beta"), (res.se_beta, "se"), (stat, "stat"),
                      (res.pval_beta, "pval"), (res.ci_lb_beta, "ci_lb"), (res.ci_ub_beta, "ci_ub"),
                      (res.QE, "QE"), (res.QEp, "QEp"), (res.I2, "I2"), (res.H2, "H2"),
                      (res.vt, "vt"), (res.QM, "QM"), (res.QMp, "QMp"), (res.s2w, "s2w")):  # fmt: skip
        assert_close(ours, ref[key], "closed", f"{what} {key}")
    assert res.R2 is None and ref["R2"] is None
    assert res.df == ref["df"]
    assert list(res.QMdf) == ref["QMdf"]
