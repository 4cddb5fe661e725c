"""Leave-one-out, cumulative and influence refits that fail, against metafor 3.8-1.

``tests/reference/metafor_refit_failure/refits.json`` is written by
``make_refit_failure_fixtures.R``. Under metafor's default control (Fisher scoring,
threshold 1e-5, maxiter 100) the model converges but one subset's refit does not:
``rma(c(0.95, -0.82, -0.11, -0.34), c(0.5243, 0.316, 0.0282, 0.3685), method = "REML")``
without its fourth study; a PMM root beyond uniroot's interval ("Value of 'tau2.max' too
low") fails alike. metafor fits each subset inside ``try()`` and records one that fails
as NA, going on with the others; so must the batched refits here, rather than fail the
whole diagnostic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import assert_close

from metareview.diagnostics import cumul, influence, leave1out
from metareview.pool import METAFOR_DEFAULTS, rma

DATA: dict[str, Any] = json.loads(
    (Path(__file__).parent / "metafor_refit_failure" / "refits.json").read_text(encoding="utf-8")
)
NAMES = sorted(DATA)
# metafor's column name -> ours
FIT_FIELDS = {"estimate": "estimate", "se": "se", "zval": "zval", "pval": "pval",
              "ci.lb": "ci_lb", "ci.ub": "ci_ub", "Q": "Q", "Qp": "Qp", "tau2": "tau2",
              "I2": "I2", "H2": "H2"}  # fmt: skip
INFLUENCE = {"rstudent": "rstudent", "dffits": "dffits", "cook.d": "cook_d", "cov.r": "cov_r",
             "tau2.del": "tau2_del", "QE.del": "QE_del", "hat": "hat", "weight": "weight"}  # fmt: skip


def _model(name: str) -> Any:
    d = DATA[name]
    return rma(d["yi"], d["vi"], method=d["method"], control=METAFOR_DEFAULTS)


@pytest.mark.parametrize("name", NAMES)
def test_the_fixture_has_a_failed_refit_of_a_converged_model(name: str) -> None:
    d = DATA[name]
    res = _model(name)
    assert_close(res.tau2, d["tau2"], "emulated", f"{name} tau2")
    assert_close(res.beta, [d["estimate"]], "emulated", f"{name} estimate")
    assert sum(x is None for x in d["leave1out"]["estimate"]) == 1
    missing = d["leave1out"]["estimate"].index(None)
    keep = np.arange(len(d["yi"])) != missing
    # (Fisher scoring past maxiter, or PMM's root beyond uniroot's interval)
    with pytest.raises((RuntimeError, ValueError), match="did not converge|tau2_max"):
        rma(np.asarray(d["yi"])[keep], np.asarray(d["vi"])[keep], method=d["method"],
            control=METAFOR_DEFAULTS)  # fmt: skip


@pytest.mark.parametrize("kind", ["leave1out", "cumul"])
@pytest.mark.parametrize("name", NAMES)
def test_a_failed_refit_is_a_row_of_nan_as_metafor(name: str, kind: str) -> None:
    res = _model(name)
    out = leave1out(res) if kind == "leave1out" else cumul(res)
    ref = DATA[name][kind]
    for theirs, ours in FIT_FIELDS.items():
        assert_close(getattr(out, ours), ref[theirs], "emulated", f"{name} {kind} {ours}")


@pytest.mark.parametrize("name", NAMES)
def test_influence_with_a_failed_refit_as_metafor(name: str) -> None:
    inf = influence(_model(name))
    ref = DATA[name]["influence"]
    for theirs, ours in INFLUENCE.items():
        assert_close(getattr(inf, ours), ref[theirs], "emulated", f"{name} influence {ours}")
    assert_close(inf.dfbetas[:, 0], ref["dfbs"], "emulated", f"{name} influence dfbs")
    flags = [None if f is None else bool(f) for f in inf.is_infl]
    assert flags == ref["is.infl"]
