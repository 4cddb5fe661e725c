"""Rosenthal's fail-safe N on data with a study of vi = 0 (or below 0), against
metafor 3.8-1.

``tests/reference/metafor_fsn/vi0.json`` is written by ``make_fsn_fixtures.R``. Such a
study's z = yi / sqrt(vi) is infinite: where every infinite z has one sign metafor's
``fsn`` gives N = Inf with p = 0 and no warning, and where the sum of the z is NaN (a
study of yi = 0 and vi = 0, infinite z of both signs, or a vi < 0) it stops. For
example, ``fsn(yi = c(0.2, 0.5, 0.3), vi = c(0.01, 0, 0.04))`` prints "Fail-safe N: Inf".
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import pytest
from metafor_tolerances import assert_close

from metareview import bias

CASES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "metafor_fsn" / "vi0.json").read_text(encoding="utf-8")
)

# what the refusal names, for each case metafor stops at
REFUSED = {
    "both_signs": r"\+inf and -inf for studies of vi = 0 .*\(indices \[0, 1\]\)",
    "zero_effect": r"0/0 where yi = 0 and vi = 0: 1 of 3 studies \(indices \[1\]\)",
    "negative_vi": r"vi < 0 in 1 of 3 studies \(indices \[1\]\)",
}


def test_the_fixture_holds_both_outcomes() -> None:
    assert sum("error" in d for d in CASES.values()) == len(REFUSED) == 3
    assert sum(bool(d.get("fsnum_inf")) for d in CASES.values()) == 7


@pytest.mark.parametrize("case", sorted(CASES))
def test_fsn_with_a_study_of_vi_zero(case: str) -> None:
    d = CASES[case]
    if "error" in d:
        # metafor: "missing value where TRUE/FALSE needed" (its NaN sum)
        with pytest.raises(ValueError, match=REFUSED[case]):
            bias.fsn(d["yi"], d["vi"], alpha=d["alpha"])
        return
    assert d["fsnum_inf"] and d["fsnum"] is None and d["printed_n"] == "Inf"
    with warnings.catch_warnings():
        # metafor warns of nothing here, and numpy's division must not either
        warnings.simplefilter("error")
        res = bias.fsn(d["yi"], d["vi"], alpha=d["alpha"])
    assert d["warnings"] == []
    assert res.fsnum == math.inf and res.fsnum_raw == math.inf and res.z_stouffer == math.inf
    assert_close(res.pval, d["pval"], "closed", f"{case}: pval")
    assert res.pval == 0.0
    assert res.k == len(d["yi"]) and res.alpha == d["alpha"]
    # JSON has no Inf: to_dict writes it as null, as every non-finite number
    out = res.to_dict()
    assert out["fsnum"] is None and out["pval"] == 0.0

