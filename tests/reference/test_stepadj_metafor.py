"""REML and EB on data where metafor's Fisher scoring oscillates, against metafor 3.8-1.

``tests/reference/metafor_stepadj/oscillation.json`` is written by
``make_stepadj_fixtures.R``: 25 studies on which metafor's default REML iteration jumps
between tau^2 of about 0.0021 and 0.0028 and stops ("Fisher scoring algorithm did not
converge", at maxiter 100 and 10000), so that a meta-regression on them reports R^2 as
NA. With halved steps (``stepadj = 0.5``, run to convergence) metafor reaches the REML
estimate. The same holds for EB on 30 other studies (``eb``). metareview's solver finds
that estimate, and R^2 from it, without being
told; ``control=METAFOR_DEFAULTS`` stops as metafor does (docs/statistics.md, "Where
metareview differs from metafor"). Iterative fits to convergence: ``tight``.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from metafor_tolerances import assert_close, for_quantity

from metareview.pool import METAFOR_DEFAULTS, rma

HERE = Path(__file__).parent / "metafor_stepadj"


@cache
def load() -> dict[str, Any]:
    with open(HERE / "oscillation.json", encoding="utf-8") as fh:
        return json.load(fh)


def test_reml_finds_the_estimate_metafor_reaches_with_halved_steps() -> None:
    d = load()
    ref = d["stepadj"]
    res = rma(d["yi"], d["vi"], method="REML")
    for ours, key in ((res.tau2, "tau2"), (res.se_tau2, "se_tau2"), (res.estimate, "estimate"),
                      (res.se, "se")):  # fmt: skip
        assert_close(ours, ref[key], for_quantity("tight", key), key)


def test_meta_regression_r2_comes_from_that_estimate() -> None:
    d = load()
    ref = d["stepadj"]
    res = rma(d["yi"], d["vi"], mods=d["mods"], method="REML")
    assert_close(res.tau2, ref["mods_tau2"], "tight_tau2", "tau2")
    assert_close(res.R2, ref["mods_R2"], "tight", "R2")


def test_metafor_defaults_stop_as_metafor_does() -> None:
    d = load()
    assert d["default"]["error"].startswith("Fisher scoring algorithm did not converge")
    with pytest.raises(RuntimeError, match="Fisher scoring algorithm did not converge"):
        rma(d["yi"], d["vi"], method="REML", control=METAFOR_DEFAULTS)
    res = rma(d["yi"], d["vi"], mods=d["mods"], method="REML", control=METAFOR_DEFAULTS)
    assert d["default"]["mods_R2"] is None and math.isnan(res.R2)
    assert_close(res.tau2, d["default"]["mods_tau2"], "emulated", "tau2")


def test_eb_finds_the_estimate_metafor_reaches_with_halved_steps() -> None:
    ref = load()["eb"]
    assert ref["error"].startswith("Fisher scoring algorithm did not converge")
    with pytest.raises(RuntimeError, match="Fisher scoring algorithm did not converge"):
        rma(ref["yi"], ref["vi"], method="EB", control=METAFOR_DEFAULTS)
    res = rma(ref["yi"], ref["vi"], method="EB")
    for ours, key in ((res.tau2, "tau2"), (res.se_tau2, "se_tau2"), (res.estimate, "estimate"),
                      (res.se, "se")):  # fmt: skip
        assert_close(ours, ref[key], for_quantity("tight", key), key)
