"""predict(pi_type="riley" and "t") of fits with a given tau^2, against metafor 3.8-1.

``tests/reference/metafor_pi_type/tau2.json`` is written by ``make_pi_type_fixtures.R``:
six studies, intercept-only and with one moderator, tau^2 given (0.05 and 0) or
estimated by REML, tests z and knha. Riley's interval takes t(k - p - 1) when tau^2 is
estimated and t(k - p) when it is given, since a given tau^2 is not a parameter of the
model (metafor's ``parms``). Fits at a given tau^2 are closed forms (``closed``); the
REML fits iterate (``tight``, metafor run to convergence).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import assert_close

from metareview.pool import rma

HERE = Path(__file__).parent / "metafor_pi_type"


@cache
def load() -> dict[str, Any]:
    with open(HERE / "tau2.json", encoding="utf-8") as fh:
        return json.load(fh)


@pytest.mark.parametrize("name", sorted(load()["fits"]))
def test_prediction_interval(name: str) -> None:
    d = load()
    ref = d["fits"][name]
    kwargs: dict[str, Any] = {"test": ref["test"]}
    if ref["tau2_given"] is not None:
        kwargs["tau2"] = ref["tau2_given"]
    if ref["mods"]:
        kwargs["mods"] = d["x"]
    res = rma(d["yi"], d["vi"], **kwargs)
    pr = res.predict(newmods=d["newmods"] if ref["mods"] else None, pi_type=ref["pi_type"])
    tol = "tight" if ref["tau2_given"] is None else "closed"
    for field in ("pred", "pi_lb", "pi_ub"):
        ours = np.atleast_1d(np.asarray(getattr(pr, field), dtype=float))
        assert_close(ours, ref[field], tol, f"{name}: {field}")
