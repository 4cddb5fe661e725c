"""The Paule-Mandel estimators (PM, PMM) under a small ``maxiter``, against metafor 3.8-1.

``tests/reference/metafor_pm_maxiter/pm.json`` is written by
``make_pm_maxiter_fixtures.R``. metafor's uniroot, given too few iterations to meet its
tolerance, returns its last iterate with R's warning "_NOT_ converged in N
iteration(s)", and metafor fits the model at that tau^2: for example
``rma(yi, vi, method = "PM", control = list(maxiter = 1))`` with ``yi = c(0.1, 0.5,
0.9, 0.3)`` and ``vi = c(0.0001, 0.1, 0.1, 0.1)`` (one weight dominating) gives tau^2 =
32.114621814486824 where the root is 0.063; so with a moderator (dat.bcg on absolute
latitude). The emulation of metafor's algorithm (``uniroot_tol``) does the same;
leave-one-out refits keep the warning to themselves, as metafor's ``leave1out`` does.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from metafor_tolerances import assert_close

from metareview.diagnostics import leave1out
from metareview.pool import METAFOR_DEFAULTS, rma

DATA: dict[str, Any] = json.loads(
    (Path(__file__).parent / "metafor_pm_maxiter" / "pm.json").read_text(encoding="utf-8")
)
FITS = [(name, fit) for name in sorted(DATA) for fit in sorted(DATA[name]["fits"])]


def _fit(name: str, fit: str) -> tuple[Any, list[str], dict[str, Any]]:
    d, ref = DATA[name], DATA[name]["fits"][fit]
    control = {**METAFOR_DEFAULTS, "maxiter": ref["maxiter"]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = rma(d["yi"], d["vi"], mods=d.get("x"), method=ref["method"], control=control)
    return res, [str(w.message) for w in caught], ref


def test_the_fixture_holds_unconverged_fits() -> None:
    said = [f["warnings"] for d in DATA.values() for f in d["fits"].values()]
    assert sum(bool(w) for w in said) == 18 and sum(not w for w in said) == 6


@pytest.mark.parametrize(("name", "fit"), FITS, ids=[f"{n}-{f}" for n, f in FITS])
def test_pm_with_few_iterations_as_metafor(name: str, fit: str) -> None:
    res, said, ref = _fit(name, fit)
    assert said == ref["warnings"], said
    assert_close(res.tau2, ref["tau2"], "emulated", f"{name} {fit} tau2")
    assert_close(res.beta, ref["estimate"], "emulated", f"{name} {fit} estimate")
    assert_close(res.se_beta, ref["se"], "emulated", f"{name} {fit} se")


@pytest.mark.parametrize(
    ("name", "fit"),
    [(n, f) for n, f in FITS if "leave1out" in DATA[n]["fits"][f]],
    ids=lambda x: x,
)
def test_leave1out_refits_with_few_iterations_as_metafor(name: str, fit: str) -> None:
    res, _, ref = _fit(name, fit)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        l1 = leave1out(res)
    assert [str(w.message) for w in caught] == ref["leave1out"]["warnings"] == []
    assert_close(l1.tau2, ref["leave1out"]["tau2"], "emulated", f"{name} {fit} leave1out tau2")
    assert_close(
        l1.estimate, ref["leave1out"]["estimate"], "emulated", f"{name} {fit} leave1out estimate"
    )


def test_the_exact_solver_still_refuses_to_stop_early() -> None:
    # without uniroot_tol the root is solved exactly (Newton), whose iterations are not
    # uniroot's: stopping it early would give a number neither program gives
    d = DATA["dominant"]
    with pytest.raises(RuntimeError, match="did not converge in 1 iteration"):
        rma(d["yi"], d["vi"], method="PM", control={"maxiter": 1})
