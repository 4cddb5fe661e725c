"""R^2 of an ML meta-regression whose tau^2 and its model's without moderators are
both 0, against metafor 3.8-1.

``tests/reference/metafor_r2_boundary/ml.json`` is written by
``make_r2_boundary_fixtures.R``: 19 studies and one moderator, fitted by ML at three
thresholds. metafor's Fisher scoring stops a little above the boundary in both fits,
and R^2 = 100 (tau2_RE - tau2) / tau2_RE of those two stopping points is 0, 98.8 and
0 at thresholds 1e-5, 1e-12 and 1e-16. Both exact estimates are 0, where metafor's
own rule gives R^2 = 0: metareview's value (docs/statistics.md, "Where metareview
differs from metafor").
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from metareview.pool import rma

HERE = Path(__file__).parent / "metafor_r2_boundary"


@cache
def load() -> dict[str, Any]:
    with open(HERE / "ml.json", encoding="utf-8") as fh:
        return json.load(fh)


def test_metafor_r2_is_stopping_noise_at_the_boundary() -> None:
    fits = load()["fits"]
    assert all(f["tau2"] < 1e-6 and f["tau2_RE"] < 1e-6 for f in fits.values())
    assert [f["R2"] for f in fits.values()] == [0, fits["threshold_1e-12"]["R2"], 0]
    assert fits["threshold_1e-12"]["R2"] > 98


def test_exact_fits_give_the_boundary_r2_of_zero() -> None:
    d = load()
    res = rma(d["yi"], d["vi"], mods=d["x"], method="ML")
    res0 = rma(d["yi"], d["vi"], method="ML")
    assert res.tau2 == 0.0 and res0.tau2 == 0.0
    assert res.R2 == 0.0
