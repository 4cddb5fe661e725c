"""Conversions without a metafor 3.8-1 counterpart, against later metafor's own functions.

``tests/reference/metafor_conv/conv.json`` is written by ``make_conv_fixtures.R``, which
runs ``conv.fivenum()`` and ``conv.wald()`` from metafor 5.1-12 (neither exists in 3.8-1)
on the installed metafor 3.8-1, plus 3.8-1's own ``escalc()`` for a d reported with the
total sample size only. All are closed forms of one study's summary, held to
``elementary`` of ``metafor_tolerances.py`` (relative 1e-12: the same formulas, R's
``qnorm`` against scipy's ``ndtri``).

Where metareview deliberately differs, the comparison is restricted and the difference
asserted: metafor's ``conv.fivenum`` returns NA for n < 5 (no such row here) and by
default drops rows whose skewness test is significant (``test=FALSE`` here; metareview
applies no test), and ``conv.wald`` leaves ``yi`` missing without an estimate, where
``vi_from_ci`` takes the CI midpoint.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import assert_close

from metareview.conversions import (
    mean_sd_from_five_number,
    mean_sd_from_median_iqr,
    mean_sd_from_median_range,
    smd_from_d_total_n,
    vi_from_ci,
)

REF = json.loads((Path(__file__).parent / "metafor_conv" / "conv.json").read_text(encoding="utf-8"))


def close(actual: Any, expected: Any, what: str) -> None:
    assert_close(np.asarray(actual, dtype=float), expected, "elementary", what)


def test_provenance() -> None:
    assert REF["metafor_version"] == "3.8.1" and REF["conv_source_version"] == "5.1-12"


@pytest.mark.parametrize("case", ["median_range", "median_iqr", "five_number"])
def test_conv_fivenum(case: str) -> None:
    x = REF["conv_fivenum"]["input"]
    fn = {
        "median_range": lambda: mean_sd_from_median_range(x["min"], x["median"], x["max"], x["n"]),
        "median_iqr": lambda: mean_sd_from_median_iqr(x["q1"], x["median"], x["q3"], x["n"]),
        "five_number": lambda: mean_sd_from_five_number(x["min"], x["q1"], x["median"], x["q3"], x["max"], x["n"]),
    }[case]
    ours = fn()
    ref = REF["conv_fivenum"][case]
    close(ours.mean, ref["mean"], f"{case}: mean")
    close(ours.sd, ref["sd"], f"{case}: sd")


@pytest.mark.parametrize("key", ["identity_95", "identity_90", "log_95", "log_90"])
def test_conv_wald(key: str) -> None:
    x = REF["conv_wald"]["input"]
    ref = REF["conv_wald"][key]
    res = vi_from_ci(x["ci_lb"], x["ci_ub"], level=ref["level"], transform=ref["transform"], estimate=x["estimate"])
    close(res.yi, ref["yi"], f"{key}: yi")
    close(res.vi, ref["vi"], f"{key}: vi")


def test_conv_wald_fisher_z() -> None:
    ref = REF["conv_wald"]["atanh_95"]
    res = vi_from_ci(ref["ci_lb"], ref["ci_ub"], transform="atanh", estimate=ref["estimate"])
    close(res.yi, ref["yi"], "yi")
    close(res.vi, ref["vi"], "vi")


def test_conv_wald_without_estimate() -> None:
    x = REF["conv_wald"]["input"]
    ref = REF["conv_wald"]["log_95_no_estimate"]
    res = vi_from_ci(x["ci_lb"], x["ci_ub"], transform="log")
    close(res.vi, ref["vi"], "vi")
    # metafor leaves yi missing; metareview takes the midpoint on the log scale
    assert all(v is None for v in ref["yi"])
    close(res.yi, (np.log(x["ci_lb"]) + np.log(x["ci_ub"])) / 2, "yi midpoint")


@pytest.mark.parametrize("vtype", ["LS", "UB", "LS2", "AV"])
def test_smd_from_d_total_n(vtype: str) -> None:
    x = REF["smd_from_d_total_n"]["input"]
    ref = REF["smd_from_d_total_n"][vtype]
    res = smd_from_d_total_n(x["d"], x["ni"], vtype=vtype)
    close(res.effects.yi, ref["yi"], f"{vtype}: yi")
    close(res.effects.vi, ref["vi"], f"{vtype}: vi")
