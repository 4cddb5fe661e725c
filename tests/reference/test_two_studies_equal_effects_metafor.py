"""The equal-effects estimate given beside a two-study pooled interval on t with 1 df,
against metafor 3.8-1.

``tests/reference/metafor_equal_effects/k2.json`` is written by
``make_equal_effects_fixtures.R``: five pairs of studies (hand-made ones that agree, that
lie on either side of zero with tau^2 > 0, and of very unequal precision; the first two
studies of dat.normand1999 as SMDs and of dat.bcg as log risk ratios), each fitted with
``rma(yi, vi, method = "EE")`` and with REML and ``test = "adhoc"`` (the example
review's model) at 95% and 90%. metafor's FE and EE are the same model, and FE with
k = 2 is in the options fixtures (``synthetic_k2``); these fit EE itself, and check that
:func:`metareview.analysis.equal_effects_fit` gives metafor's EE numbers beside the
random-effects model the review pools with.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from metafor_tolerances import assert_close

from metareview.analysis import equal_effects_fit
from metareview.pool import rma

HERE = Path(__file__).parent / "metafor_equal_effects"


@cache
def load() -> dict[str, Any]:
    with open(HERE / "k2.json", encoding="utf-8") as fh:
        return json.load(fh)


CASES = [pytest.param(name, level, id=f"{name}-{level}") for name in sorted(load()["fits"]) for level in (95, 90)]


def test_the_fixtures_are_metafors_and_cover_both_levels() -> None:
    d = load()
    assert d["metafor_version"] == "3.8.1" and len(d["fits"]) == 5
    for block in d["fits"].values():
        assert len(block["yi"]) == len(block["vi"]) == 2
        assert {"EE_95", "EE_90", "REML_adhoc_95", "REML_adhoc_90"} <= set(block)
    # Trials on either side of zero: tau^2 > 0, so the random-effects estimate is not the
    # equal-effects one there (the others have tau^2 = 0 and the same estimate).
    assert d["fits"]["either_side"]["REML_adhoc_95"]["tau2"] > 0


@pytest.mark.parametrize(("name", "level"), CASES)
def test_ee_with_two_studies(name: str, level: int) -> None:
    block = load()["fits"][name]
    ref = block[f"EE_{level}"]
    res = rma(block["yi"], block["vi"], method="EE", level=level)
    assert (res.method, res.test, res.k, res.df) == ("EE", "z", 2, None)
    ours = {"estimate": res.beta[0], "se": res.se_beta[0], "zval": res.zval_beta[0], "pval": res.pval_beta[0],
            "ci_lb": res.ci_lb_beta[0], "ci_ub": res.ci_ub_beta[0], "QE": res.QE, "QEp": res.QEp, "I2": res.I2,
            "H2": res.H2, "weights_pct": res.weights}
    for key, theirs in ref.items():
        if key in ours:
            assert_close(ours[key], theirs, "closed", f"{name}:EE_{level}.{key}")


@pytest.mark.parametrize(("name", "level"), CASES)
def test_the_analysis_gives_metafors_ee_beside_its_hartung_knapp_fit(name: str, level: int) -> None:
    block = load()["fits"][name]
    ref, ref_re = block[f"EE_{level}"], block[f"REML_adhoc_{level}"]
    res = rma(block["yi"], block["vi"], method="REML", test="adhoc", level=level)
    # The random-effects interval it stands beside is metafor's, on t with 1 df.
    assert res.df == ref_re["df"] == 1
    assert_close(res.ci_lb, ref_re["ci_lb"], "tight", f"{name}: REML adhoc ci_lb")
    assert_close(res.ci_ub, ref_re["ci_ub"], "tight", f"{name}: REML adhoc ci_ub")
    ee = equal_effects_fit(block["yi"], block["vi"], res)
    assert ee is not None and (ee["method"], ee["test"], ee["level"]) == ("EE", "z", float(level))
    for key in ("estimate", "se", "zval", "pval", "ci_lb", "ci_ub", "QE", "QEp"):
        assert_close(ee[key], ref[key], "closed", f"{name}: equal_effects_fit {key}")
    # Always narrower than the Hartung-Knapp interval on 1 df (same or larger SE, 12.71
    # against 1.96 at 95%).
    assert ee["ci_ub"] - ee["ci_lb"] < ref_re["ci_ub"] - ref_re["ci_lb"]
