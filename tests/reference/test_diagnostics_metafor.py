"""leave1out(), influence() and cumul() against metafor 3.8-1 (REML model, default settings).

metafor refits every subset with its default convergence criteria, so the comparison
uses the emulation of metafor's algorithm (``control=METAFOR_DEFAULTS``) at the
``emulated`` tolerance; the exact solver's batched refits are checked against one-by-one
exact fits in ``tests/unit/test_diagnostics.py``. Every key of each fixture block is
compared; an unmapped key fails.
"""

from __future__ import annotations

import warnings
from functools import cache

import numpy as np
import pytest
from metafor_tolerances import FIXTURE_FILES, assert_close, load_fixture

from metareview.pool import METAFOR_DEFAULTS, RMAResult, rma


@cache
def reml(name: str) -> RMAResult:
    d = load_fixture(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rma(d["yi"], d["vi"], method="REML", control=METAFOR_DEFAULTS, slab=d["slab"])


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_leave1out(name: str) -> None:
    ref = load_fixture(name)["leave1out"]
    res = reml(name).leave1out()
    assert res.slab == tuple(load_fixture(name)["slab"])
    for key, theirs in ref.items():
        assert_close(getattr(res, key), theirs, "emulated", f"{name}:leave1out.{key}")


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_cumul(name: str) -> None:
    ref = load_fixture(name)["cumul"]
    res = reml(name).cumul()
    assert list(res.order) == list(range(reml(name).k))
    for key, theirs in ref.items():
        assert_close(getattr(res, key), theirs, "emulated", f"{name}:cumul.{key}")


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_influence(name: str) -> None:
    ref = load_fixture(name)["influence"]
    res = reml(name).influence()
    for key, theirs in ref.items():
        if key == "is_infl":
            assert res.is_infl.tolist() == theirs, f"{name}: influential flags"
        elif key == "infl_index":
            assert (res.infl_index + 1).tolist() == theirs  # metafor's indices are 1-based
        elif key == "dfbetas":
            assert res.dfbetas.shape == (reml(name).k, 1)
            assert_close(res.dfbetas[:, 0], theirs, "emulated", f"{name}:influence.dfbetas")
        else:
            assert_close(getattr(res, key), theirs, "emulated", f"{name}:influence.{key}")


def test_some_study_is_flagged_somewhere() -> None:
    """The flag logic is exercised: at least one fixture has an influential study."""
    flagged = [name for name in FIXTURE_FILES if load_fixture(name)["influence"]["infl_index"]]
    assert flagged, "no fixture flags a study; the is_infl comparison would be vacuous"
    for name in flagged:
        assert reml(name).influence().infl_index.size > 0


def test_exact_diagnostics_close_to_metafor() -> None:
    """The exact solver's leave-one-out tau^2 lies within metafor's convergence slack."""
    for name in FIXTURE_FILES:
        d = load_fixture(name)
        exact = rma(d["yi"], d["vi"]).leave1out()
        assert_close(exact.tau2, d["leave1out"]["tau2"], "loose_tau2", f"{name}:tau2")
        assert np.all(np.isfinite(exact.estimate))
