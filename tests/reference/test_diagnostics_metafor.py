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


def test_influence_flag_of_a_study_alone_in_its_level() -> None:
    """Deleting the only study of a factor level leaves its coefficient without data:
    metafor's row is NA and its flag NA unless a criterion that does not need the
    deleted fit holds (R's NA | TRUE is TRUE). metafor 3.8-1, g the factor below:

        influence(rma(yi, vi, mods = ~ factor(g), method = "DL"))
        is.infl: FALSE FALSE FALSE FALSE FALSE FALSE NA; inf printed "" for every study
        rstudent: 0 1.01980390271855703 -0.93094933625126286 0.21521454847518570
                  1.10185319338381693 -0.96506080872244526 NA
        hat: 0.46153846153846123 0.23076923076923062 0.30769230769230749
             0.34482758620689663 0.13793103448275865 0.51724137931034486 1

    With three more studies (yi2, vi2, g2) the lone study's hat of 1 exceeds 3p/k = 0.9:

        influence(rma(yi2, vi2, mods = ~ factor(g2), method = "DL"))
        is.infl: FALSE x 6, TRUE, FALSE x 3; which(is.infl) 7; inf printed "*" for study 7
        rstudent: -0.435713296899248426 0.676268689151033553 -1.189507448933095457
                  0.552688698026436276 1.280348800259222708 -0.363777236056124220 NA
                  -0.063003146527628118 -0.937075846065703377 1.132654048779659917
    """
    yi = [0.1, 0.5, -0.2, 0.3, 0.8, 0.05, -0.4]
    vi = [0.1, 0.2, 0.15, 0.12, 0.3, 0.08, 0.25]
    g = ["a", "a", "a", "b", "b", "b", "c"]

    def fit(yi: list[float], vi: list[float], g: list[str]) -> RMAResult:
        mods = {f"factor(g){lev}": [float(x == lev) for x in g] for lev in ("b", "c")}
        return rma(yi, vi, mods=mods, method="DL")

    inf = fit(yi, vi, g).influence()
    assert inf.is_infl.tolist() == [False] * 6 + [None]
    assert inf.infl_index.tolist() == []
    assert inf.to_dict()["is_infl"] == [False] * 6 + [None]
    assert_close(inf.rstudent, [0.0, 1.01980390271855703, -0.93094933625126286,
                                0.21521454847518570, 1.10185319338381693,
                                -0.96506080872244526, None], "closed_deletion", "rstudent")  # fmt: skip
    assert_close(inf.hat, [0.46153846153846123, 0.23076923076923062, 0.30769230769230749,
                           0.34482758620689663, 0.13793103448275865, 0.51724137931034486,
                           1.0], "closed", "hat")  # fmt: skip
    assert [row.endswith("*") for row in str(inf).splitlines()[1:]] == [False] * 7

    inf2 = fit(yi + [0.2, -0.1, 0.6], vi + [0.11, 0.09, 0.14], g + ["a", "b", "a"]).influence()
    assert inf2.is_infl.dtype == bool
    assert inf2.is_infl.tolist() == [False] * 6 + [True] + [False] * 3
    assert (inf2.infl_index + 1).tolist() == [7]
    assert_close(inf2.rstudent, [-0.435713296899248426, 0.676268689151033553,
                                 -1.189507448933095457, 0.552688698026436276,
                                 1.280348800259222708, -0.363777236056124220, None,
                                 -0.063003146527628118, -0.937075846065703377,
                                 1.132654048779659917], "closed_deletion", "rstudent")  # fmt: skip
    assert [row.endswith("*") for row in str(inf2).splitlines()[1:]] == [False] * 6 + [True] + [
        False
    ] * 3
