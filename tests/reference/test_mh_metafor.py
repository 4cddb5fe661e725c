"""metareview.rma_mh and rma_peto against metafor 3.8-1's rma.mh and rma.peto.

``tests/reference/metafor_mh/*.json`` are written by ``make_mh_fixtures.R``: on dat.bcg,
dat.nielweise2007 (sparse), dat.yusuf1985's tables 6 and 9 (sparse, double-zero tables,
missing counts) and made-up tables (double zeros, no events in one arm, one informative
table, no events at all),

- ``mh``: ``rma.mh`` with OR, RR and RD, ``correct`` TRUE and FALSE, level 95 and 90,
  and the continuity and ``drop00`` choices of escalc's yi/vi and of the pooled tables;
- ``peto``: ``rma.peto`` at level 95 and 90 and with the same choices;

each with metafor's warnings, its printed output, or its error. Every statistic is a
closed form: tolerance ``closed`` (1e-10 relative); counts exact. The printed lines are
compared exactly, but for trailing blanks and the blank lines metafor prints around them.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixture_cases import case_items, load_cases
from metafor_tolerances import assert_close

from metareview.mh import MHResult, PetoResult, rma_mh, rma_peto

HERE = Path(__file__).parent
CASES = load_cases(HERE / "metafor_mh")

STATS = ("beta", "se", "zval", "pval", "ci_lb", "ci_ub", "QE", "QEp", "I2", "H2", "tau2")
OR_STATS = ("MH", "MHp", "CO", "COp", "BD", "BDp", "TA", "TAp")
MESSAGES = {
    "Tables with NAs omitted from model fitting.": "Tables with NAs omitted",
    "Some yi/vi values are NA.": "Some yi/vi values are NA",
    "Some 'yi' and/or 'vi' values equal to +-Inf. Recoded to NAs.": r"\+-Inf",
}


def _kwargs(e: dict[str, Any]) -> dict[str, Any]:
    return {key: e[key] for key in ("measure", "correct", "level", "add", "to", "drop00") if key in e}


def _cells(d: dict[str, Any]) -> dict[str, Any]:
    return {name: [np.nan if x is None else x for x in d[name]] for name in ("ai", "bi", "ci", "di")}


def _lines(text: list[str]) -> list[str]:
    lines = [line.rstrip() for line in text]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _check(ours: MHResult | PetoResult, ref: dict[str, Any], what: str) -> None:
    for key in STATS:
        value = getattr(ours, key)
        if ref[key] is None and np.isinf(value):
            continue  # the fixtures write Inf as null too; the printed output tells them apart
        assert_close(value, ref[key], "closed", f"{what} {key}")
    assert_close(ours.yi, ref["yi"], "closed", f"{what} yi")
    assert_close(ours.vi, ref["vi"], "closed", f"{what} vi")
    assert (ours.k, ours.k_yi, ours.k_pos) == (ref["k"], ref["k_yi"], ref["k_pos"]), what


def _run(fit: Any, d: dict[str, Any], e: dict[str, Any]) -> tuple[Any, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = fit(**_cells(d), **_kwargs(e))
    return res, [str(w.message) for w in caught]


def _warned(said: list[str], expected: list[str], what: str) -> None:
    # R's own "NaNs produced" (pchisq on -1 df, Peto's Q with no study yi) is not repeated
    expected = [w for w in expected if w != "NaNs produced"]
    assert len(said) == len(expected), f"{what}: warnings {said}, metafor's {expected}"
    for ours, theirs in zip(said, expected):
        assert re.search(MESSAGES[theirs], ours), f"{what}: {ours!r} for {theirs!r}"


def test_every_measure_and_edge_is_covered() -> None:
    assert len(CASES) >= 6
    entries = [e for d in CASES.values() for e in d["mh"].values()]
    assert {e["measure"] for e in entries} == {"OR", "RR", "RD"}
    assert {e["correct"] for e in entries if "correct" in e} == {True, False}
    results = [e["result"] for e in entries if "result" in e]
    # undefined estimates, double-zero tables and missing counts all occur
    assert any(r["beta"] is None for r in results)
    assert any(r["k"] > r["k_yi"] for r in results)
    assert any(e["warnings"] for e in entries)
    assert any("error" in e for d in CASES.values() for e in d["peto"].values())
    assert any("error" in e for e in entries)
    for d in CASES.values():
        assert d["metafor_version"] == "3.8.1"


@pytest.mark.parametrize("item", case_items(CASES, "mh"), ids=lambda x: f"{x[0]}-{x[1]}")
def test_mantel_haenszel_matches_metafor(item: tuple[str, str]) -> None:
    d = CASES[item[0]]
    e = d["mh"][item[1]]
    if "error" in e:
        assert e["error"] == "Processing terminated since k = 0."
        with pytest.raises(ValueError, match="k = 0"):
            _run(rma_mh, d, e)
        return
    ours, said = _run(rma_mh, d, e)
    ref = e["result"]
    _check(ours, ref, item[1])
    for key in OR_STATS:
        if e["measure"] == "OR":
            assert_close(getattr(ours, key), ref[key], "closed", f"{item[1]} {key}")
        else:
            assert np.isnan(getattr(ours, key)), f"{item[1]} {key}"
    _warned(said, e["warnings"], item[1])
    assert ours.summary().splitlines() == _lines(e["printed"])
    json.dumps(ours.to_dict())


@pytest.mark.parametrize("item", case_items(CASES, "peto"), ids=lambda x: f"{x[0]}-{x[1]}")
def test_peto_matches_metafor(item: tuple[str, str]) -> None:
    d = CASES[item[0]]
    e = d["peto"][item[1]]
    if "error" in e:
        match = "k = 0" if e["error"].startswith("Processing terminated") else "never occurred in any of the tables"
        with pytest.raises(ValueError, match=match):
            _run(rma_peto, d, e)
        return
    ours, said = _run(rma_peto, d, e)
    _check(ours, e["result"], item[1])
    _warned(said, e["warnings"], item[1])
    assert ours.summary().splitlines() == _lines(e["printed"])
    json.dumps(ours.to_dict())


def test_group_sizes_stand_for_the_non_events() -> None:
    d = CASES["dat.nielweise2007"]
    a, b, c, dd = (np.asarray(d[x], dtype=float) for x in ("ai", "bi", "ci", "di"))
    for measure in ("OR", "RR", "RD"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cells = rma_mh(a, b, c, dd, measure=measure)
            sizes = rma_mh(ai=a, ci=c, n1i=a + b, n2i=c + dd, measure=measure)
        assert cells.to_dict() == sizes.to_dict()
