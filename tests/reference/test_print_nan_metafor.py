"""Printed tables that tell R's NaN (0/0) from NA (missing), against metafor 3.8-1.

``tests/reference/metafor_print/nan.json`` is written by ``make_print_nan_fixtures.R``:
the leave-one-out and cumulative fits of data with a study of yi = 0 and vi = 0 (fitted
unweighted or with given weights), whose fit of that study alone has estimate 0 and
se 0, so z = 0/0: metafor prints that z and its p-value as NaN, and Q, Qp, I2 and H2,
which it does not compute with a vi of 0, as NA. The model's own print shows an
undefined z as NA, and so does this.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from metareview.pool import rma

CASES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "metafor_print" / "nan.json").read_text(encoding="utf-8")
)


def _cells(lines: list[str]) -> list[list[str]]:
    # metafor separates the columns by one space where this prints two
    return [line.split() for line in lines]


def _fit(case: dict[str, Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the vi = 0 warnings, tested elsewhere
        if case["weights"] is None:
            return rma(case["yi"], case["vi"], method="FE", weighted=False)
        return rma(case["yi"], case["vi"], method="FE", weights=case["weights"])


@pytest.mark.parametrize("name", [n for n in sorted(CASES) if CASES[n]["what"] != "model"])
def test_leave1out_and_cumul_print_nan_and_na_as_metafor(name: str) -> None:
    case = CASES[name]
    res = _fit(case)
    table = res.leave1out() if case["what"] == "leave1out" else res.cumul()
    ours = _cells(str(table).splitlines())
    assert ours == _cells(case["lines"]), case["r_call"]
    assert any("NaN" in row for row in ours) and any("NA" in row for row in ours)


def test_the_models_own_undefined_z_prints_as_na() -> None:
    case = CASES["model_unweighted"]
    ours = _cells(str(_fit(case)).splitlines())
    theirs = _cells(case["lines"])
    # metafor's table, its blank mark for the missing p-value and the stars' legend
    assert [row for row in ours if row][-5:] == theirs[1:]
