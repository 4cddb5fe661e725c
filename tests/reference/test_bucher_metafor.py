"""Bucher's indirect comparison against metafor 3.8-1 (``metafor_nma``, block ``bucher``).

Rosiglitazone vs miglitol through placebo (dat.senn2013, raw mean difference of HbA1c):
two pairwise ``rma(yi, vi)`` fits, each combined as d_12 = d_1C - d_2C with
se = sqrt(se_1C^2 + se_2C^2), a two-sided z-test and a 95% normal CI. The fixture holds
FE, REML at metafor's default convergence and REML run to convergence (``REML_tight``);
tolerances from ``metafor_tolerances.py``: ``closed`` for FE, ``tight`` for the exact
REML solver against REML_tight, ``emulated`` for metafor's own algorithm against REML.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from metafor_tolerances import assert_close

from metareview.indirect import bucher
from metareview.pool import METAFOR_DEFAULTS, rma

REF = json.loads(
    (Path(__file__).parent / "metafor_nma" / "dat.senn2013__MD__nma.json").read_text(encoding="utf-8")
)["bucher"]
FITS = {
    "FE": ("FE", None, "closed"),
    "REML_tight": ("REML", None, "tight"),
    "REML": ("REML", METAFOR_DEFAULTS, "emulated"),
}
FIELDS = ("estimate", "se", "zval", "pval", "ci_lb", "ci_ub")


def _pairwise(side: str, key: str) -> Any:
    method, control, _ = FITS[key]
    data = REF[side]
    return rma(data["yi"], data["vi"], method=method, control=control)


@pytest.mark.parametrize("key", list(FITS))
@pytest.mark.parametrize("side", ["pairwise_1_vs_C", "pairwise_2_vs_C"])
def test_pairwise_fits(side: str, key: str) -> None:
    res = _pairwise(side, key)
    ref = REF[side][key]
    assert res.k == ref["k"]
    for field in (*FIELDS, "tau2", "QE", "QEp"):
        assert_close(getattr(res, field), ref[field], FITS[key][2], f"{side}.{key}.{field}")


@pytest.mark.parametrize("key", list(FITS))
def test_indirect(key: str) -> None:
    one, two = _pairwise("pairwise_1_vs_C", key), _pairwise("pairwise_2_vs_C", key)
    ours = bucher(one.estimate, one.se**2, two.estimate, two.se**2)
    ref = REF[f"indirect_{key}"]
    assert REF["pair_directly_compared"] is False
    for field in FIELDS:
        assert_close(ours[field], ref[field], FITS[key][2], f"indirect_{key}.{field}")
