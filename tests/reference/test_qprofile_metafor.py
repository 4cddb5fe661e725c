"""The Q-profile interval of tau^2 in meta-regressions with sampling variances of ~1e-6,
against metafor 3.8-1.

``tests/reference/metafor_qprofile/tiny_vi.json`` is written by
``make_qprofile_fixtures.R``: two REML meta-regressions (k = 4 and k = 13, one
moderator) whose vi lie between 1e-7 and 1e-5. Their generalised Q statistic is known to
only ~1e-14 of itself near the upper bound (the residuals keep ~13 digits), and the
Newton search for that bound used to step back and forth between two points 3e-14
apart until it gave up ("did not converge in 1000 iterations").

tau^2 and the bounds are ~1e-7 to 1e-5 here, so metafor was run with threshold = tol =
1e-20 rather than ``tight``'s 1e-12 (relative 1e-5 at this scale), and every number is
compared at ``tight`` without ``tight_tau2``'s absolute part, which is no tolerance at
this scale.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from metafor_tolerances import assert_close

from metareview.pool import rma

HERE = Path(__file__).parent / "metafor_qprofile"


@cache
def load() -> dict[str, Any]:
    with open(HERE / "tiny_vi.json", encoding="utf-8") as fh:
        return json.load(fh)


@pytest.mark.parametrize("name", sorted(load()["fits"]))
def test_qprofile_bounds_with_tiny_variances(name: str) -> None:
    ref = load()["fits"][name]
    res = rma(ref["yi"], ref["vi"], mods=ref["x"], method="REML")
    assert_close(res.tau2, ref["tau2"], "tight", "tau2")
    ci = res.confint()
    assert_close([ci.tau2, ci.tau2_ci_lb, ci.tau2_ci_ub], ref["tau2_ci"], "tight", "tau2 CI")
    assert_close([ci.I2, ci.I2_ci_lb, ci.I2_ci_ub], ref["I2_ci"], "tight", "I2 CI")
