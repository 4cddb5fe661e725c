"""escalc on degenerate summary data against metafor 3.8-1.

``metafor_escalc_edge/cases.json`` (written by ``make_escalc_edge_fixtures.R``) holds,
for every measure and vtype, metafor's yi, vi and warnings on standard deviations of 0,
arms or samples of one, means of 0 (ROM), zero cells under each continuity rule,
proportions of 0 and 1, correlations of +-1 and ZCOR with ni <= 3. Where metafor gives
numbers (vi = 0 among them) escalc gives the same; where it gives NA, escalc gives nan,
with the same warnings (R's "NaNs produced" from the log of a negative mean among them).
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
    # metafor's own messages, and R's "NaNs produced" from log() of a negative mean,
    # which escalc passes on, in metafor's order
    assert messages == case["warnings"], case["r_call"]
    assert list(es.warnings) == case["warnings"], case["r_call"]


# metafor 3.8-1 with a negative continuity correction, which makes a cell negative: R's
# log() warns once per call whose argument is below 0 (RR takes log(p1) - log(p2), OR
# log(p1/(1-p1)) - log(p2/(1-p2)), PLO log(p/(1-p)), ROM log(m1i/m2i)), before escalc's
# own "+-Inf" message; every case prints yi NA, NA and vi NA for the first row.
#   escalc("RR", ai=c(0,5), bi=c(5,5), ci=c(0,4), di=c(4,4), add=-2, to="all")
#     "NaNs produced" twice, then the +-Inf message; row 2: yi 0.0000, vi 0.4167
#   escalc("OR", <the same>)  "NaNs produced" once (p2 = -2/0: its log(NaN) is silent);
#     row 2: yi 0.0000, vi 1.6667
#   escalc("PLO", xi=c(0,5), mi=c(5,5), add=-2, to="all")  "NaNs produced" once; row 2:
#     yi 0.0000, vi 0.6667
_INF = "Some 'yi' and/or 'vi' values equal to +-Inf. Recoded to NAs."
NEGATIVE_CELLS = {
    "RR": ({"ai": [0, 5], "bi": [5, 5], "ci": [0, 4], "di": [4, 4]},
           ["NaNs produced", "NaNs produced", _INF], "0.4167"),
    "OR": ({"ai": [0, 5], "bi": [5, 5], "ci": [0, 4], "di": [4, 4]}, ["NaNs produced"], "1.6667"),
    "PLO": ({"xi": [0, 5], "mi": [5, 5]}, ["NaNs produced"], "0.6667"),
}  # fmt: skip


@pytest.mark.parametrize("measure", sorted(NEGATIVE_CELLS))
def test_log_of_a_negative_number_warns_as_r(measure: str) -> None:
    from metafor_tolerances import assert_printed

    args, expected, vi_shown = NEGATIVE_CELLS[measure]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        es = escalc(measure, **args, add=-2, to="all")
    assert [str(w.message) for w in caught if issubclass(w.category, EscalcWarning)] == expected
    assert np.isnan(es.yi[0]) and np.isnan(es.vi[0])
    assert es.yi[1] == 0.0
    assert_printed(es.vi[1], vi_shown, "closed", f"{measure} vi")


def test_a_missing_mean_gives_nan_without_the_warning() -> None:
    # R: log(NA) is NA, silently; only a number below 0 makes log() warn
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        es = escalc("ROM", m1i=[None, 4], sd1i=[1, 1], n1i=[10, 10], m2i=[3, 3],
                    sd2i=[1, 1], n2i=[10, 10])  # fmt: skip
    assert np.isnan(es.yi[0]) and not caught
