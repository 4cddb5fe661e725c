"""``subset`` beside missing values of the studies it leaves out, against metafor 3.8-1.

``tests/reference/metafor_subset/subset.json`` is written by ``make_subset_fixtures.R``:
metafor subsets every per-study argument before it checks any, so a missing weight, yi
or group outside ``subset`` is not read. ``yusuf``: ``rma(yi, vi, weights=w,
subset=s)`` with w missing outside s (dat.yusuf1985); ``curtis``: ``subgroups(...,
subset=s)`` as ``rma(yi, vi, subset = s & g == level)`` per level and ``mods = ~
factor(g)`` (dat.curtis1998). Tolerance ``tight`` (REML to convergence in both).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from metafor_tolerances import assert_close

from metareview import rma, subgroups

DATA: dict[str, Any] = json.loads(
    (Path(__file__).parent / "metafor_subset" / "subset.json").read_text(encoding="utf-8")
)


def _array(values: list[Any]) -> np.ndarray:
    return np.array([np.nan if x is None else x for x in values], dtype=float)


def _check(ours: Any, ref: dict[str, Any], what: str) -> None:
    assert ours.k == ref["k"], what
    assert_close(ours.beta, ref["estimate"], "tight", f"{what} estimate")
    assert_close(ours.se_beta, ref["se"], "tight", f"{what} se")
    for key in ("tau2", "QE", "QM", "QMp"):
        assert_close(getattr(ours, key), ref[key], "tight", f"{what} {key}")


def test_a_missing_weight_outside_subset_is_not_read_as_in_metafor() -> None:
    case = DATA["yusuf"]
    w = _array(case["weights"])
    keep = np.array(case["subset"], dtype=bool)
    assert np.isnan(w[~keep]).all()
    _check(rma(_array(case["yi"]), _array(case["vi"]), weights=w, subset=keep), case["fit"], "yusuf")


def test_subgroups_subset_is_metafors_subset_per_level() -> None:
    case = DATA["curtis"]
    keep = np.array(case["subset"], dtype=bool)
    y = _array(case["yi"])
    assert np.isnan(y[~keep]).any() and any(g is None for g, k in zip(case["groups"], keep) if not k)
    sg = subgroups(y, _array(case["vi"]), case["groups"], subset=keep)
    assert list(sg.levels) == case["levels"]
    for level in sg.levels:
        _check(sg.fits[level], case["fits"][level], f"curtis {level}")
    _check(sg.model, case["model"], "curtis model")
