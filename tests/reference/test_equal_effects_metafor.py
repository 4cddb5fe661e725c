"""R^2 of an equal-effects meta-regression of equal effect sizes, against metafor 3.8-1.

``tests/reference/metafor_equal_effects/r2.json`` is written by
``make_equal_effects_fixtures.R``: data whose yi are all equal (three of 0.7 with one
moderator, six of 0.7, -0.954 or 0.2 with two), fitted as FE and EE, with given weights
and unweighted. metafor's R^2 is 0 for all of them (``identical(var(yi), 0)``).
A variance taken in one pass is not 0 for these yi (the mean of three 0.7 is not 0.7 in
floating point), and the adjusted R^2 of the weighted least-squares fit of that residue
is noise between 0 and 100%. R^2 is a closed form here, and exactly 0.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from metareview.pool import rma

HERE = Path(__file__).parent / "metafor_equal_effects"


@cache
def load() -> dict[str, Any]:
    with open(HERE / "r2.json", encoding="utf-8") as fh:
        return json.load(fh)


@pytest.mark.parametrize("name", sorted(load()["fits"]))
def test_r2_of_equal_effects_is_zero(name: str) -> None:
    ref = load()["fits"][name]
    yi = np.asarray(ref["yi"], dtype=float)
    kwargs: dict[str, Any] = {"method": ref["method"], "weighted": ref["weighted"]}
    if ref["weights"] is not None:
        kwargs["weights"] = ref["weights"]
    res = rma(yi, ref["vi"], mods=ref["mods"], **kwargs)
    assert ref["R2"] == 0
    assert res.R2 == 0.0


def test_the_data_leave_a_one_pass_variance() -> None:
    """Every data set is one where a one-pass variance of the equal yi is not 0, the
    case these fixtures are for."""
    for name, fit in load()["fits"].items():
        assert np.var(np.asarray(fit["yi"], dtype=float)) != 0, name
