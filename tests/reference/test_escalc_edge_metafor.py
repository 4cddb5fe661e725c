"""escalc on degenerate summary data against metafor 3.8-1.

``metafor_escalc_edge/cases.json`` (written by ``make_escalc_edge_fixtures.R``) holds,
for every measure and vtype, metafor's yi, vi and warnings on standard deviations of 0,
arms or samples of one, means of 0 (ROM), zero cells under each continuity rule,
proportions of 0 and 1, correlations of +-1 and ZCOR with ni <= 3. Where metafor gives
numbers (vi = 0 among them) escalc gives the same; where it gives NA, escalc gives nan,
with the same warnings.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import assert_close

from metareview.effects import EscalcWarning, escalc

CASES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "metafor_escalc_edge" / "cases.json").read_text()
)["cases"]


def _values(x: list[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in x], dtype=float)


def _run(case: dict[str, Any]) -> tuple[Any, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        es = escalc(
            case["measure"], **case["args"], vtype=case["vtype"], to=case["to"], add=case["add"]
        )
    return es, [str(w.message) for w in caught if issubclass(w.category, EscalcWarning)]


def test_fixture_covers_every_measure() -> None:
    from metareview.effects import MEASURES

    assert {case["measure"] for case in CASES.values()} == set(MEASURES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_escalc_degenerate_matches_metafor(name: str) -> None:
    case = CASES[name]
    es, messages = _run(case)
    yi, vi = _values(case["yi"]), _values(case["vi"])
    np.testing.assert_array_equal(np.isnan(es.yi), np.isnan(yi), err_msg=case["r_call"])
    np.testing.assert_array_equal(np.isnan(es.vi), np.isnan(vi), err_msg=case["r_call"])
    ok = ~np.isnan(yi)
    assert_close(es.yi[ok], yi[ok], "closed", f"yi of {case['r_call']}")
    ok = ~np.isnan(vi)
    assert_close(es.vi[ok], vi[ok], "closed", f"vi of {case['r_call']}")
    # vi = 0 stays 0, not a rounding residue
    np.testing.assert_array_equal(es.vi[vi == 0], 0.0)
    # metafor's own messages (R's "NaNs produced" from log() of a negative mean is R's)
    expected = [w for w in case["warnings"] if w != "NaNs produced"]
    assert messages == expected, case["r_call"]
