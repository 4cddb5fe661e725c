"""The edges of rma(weights=...) against metafor 3.8-1 that the fits of
``test_weights_metafor.py`` do not reach.

``tests/reference/metafor_weights_edge/bcg.json`` is written by
``make_weights_edge_fixtures.R`` on dat.bcg (log risk ratios): R^2 of an equal-effects
meta-regression with weights (the adjusted R^2 of ``lm`` with the same weights, which
leaves out studies of weight 0, is floored at 0, and is 0 when all yi are equal), trim
and fill of a model whose weights turn the side-choosing slope around, and the
cumulative fits of a model whose first study has weight 0. R^2 of an equal-effects
model is a closed form (``closed``); trim and fill and the REML fits iterate
(``tight``, metafor run to convergence).
"""

from __future__ import annotations

import json
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from metafor_tolerances import assert_close

from metareview.pool import rma

HERE = Path(__file__).parent / "metafor_weights_edge"


@cache
def load() -> dict[str, Any]:
    with open(HERE / "bcg.json", encoding="utf-8") as fh:
        return json.load(fh)


def test_fe_r2_leaves_out_studies_of_weight_zero() -> None:
    """lm() drops them, so the adjusted R^2 counts n = 11 studies, not 13."""
    d = load()
    ref = d["R2_zero_weights"]
    res = rma(d["yi"], d["vi"], mods=np.asarray(d["ablat"], dtype=float), method="FE",
              weights=ref["weights"])  # fmt: skip
    assert_close(res.beta, ref["estimate"], "closed", "beta")
    assert_close(res.R2, ref["R2"], "closed", "R2")


def test_fe_r2_is_floored_at_zero() -> None:
    d = load()
    ref = d["R2_noise"]
    assert ref["adj_r2"] < 0 and ref["R2"] == 0
    res = rma(d["yi"], d["vi"], mods=np.asarray(ref["mod"], dtype=float), method="FE",
              weights=d["ni"])  # fmt: skip
    assert res.R2 == 0.0


def test_fe_r2_is_zero_when_all_effects_are_equal() -> None:
    ref = load()["R2_equal_yi"]
    res = rma(ref["yi"], ref["vi"], mods=np.asarray(ref["mod"], dtype=float), method="FE",
              weights=ref["weights"])  # fmt: skip
    assert ref["R2"] == 0 and res.R2 == 0.0


def test_trimfill_chooses_the_side_with_the_weights() -> None:
    """The slope of rma(yi, vi, mods=sqrt(vi), weights=1/ni) is positive where the
    inverse-variance slope is negative: metafor fills on the left."""
    d = load()
    ref = d["trimfill_weights_1_over_ni"]
    assert ref["slope_iv"] < 0 < ref["slope_weighted"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tf = rma(d["yi"], d["vi"], weights=1.0 / np.asarray(d["ni"], dtype=float)).trimfill()
    assert tf.side == ref["side"] == "left"
    assert tf.k0 == ref["k0"]
    for field in ("estimate", "se", "tau2"):
        assert_close(getattr(tf, field), ref[field], "tight", f"trimfill.{field}")


def test_cumul_goes_on_past_a_fit_without_weight() -> None:
    """The first cumulative fit holds one study of weight 0: metafor's NA, then fits."""
    ref = load()["cumul_first_weight_zero"]
    control = {"threshold": 1e-12, "maxiter": 10000}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = rma(ref["yi"], ref["vi"], weights=ref["weights"], control=control).cumul()
    for field in ("estimate", "se", "tau2"):
        mine = np.asarray(getattr(out, field), dtype=float)
        assert np.isnan(mine[0]) and ref[field][0] is None, field
        assert_close(mine[1:], ref[field][1:], "tight", f"cumul.{field}")
