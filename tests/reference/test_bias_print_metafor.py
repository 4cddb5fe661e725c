"""The printed results of regtest, ranktest, fsn and trimfill, against metafor 3.8-1.

``tests/reference/metafor_print/bias.json`` is written by ``make_bias_print_fixtures.R``:
what metafor's ``print`` writes for each analysis on dat.bcg, dat.hackshaw1998 and a few
small data sets (regtest's models and predictors, ranktest with an undefined tau, fsn
with an infinite N, trimfill on either side with L0 and R0; trimfill's under metafor's
default control, under which it refits whatever the model's). regtest, ranktest and fsn
print line for line as metafor's; trimfill's filled model is a model's print, whose
columns metafor separates by one space where this prints two, so its lines are
compared word by word, as ``test_print_nan_metafor.py`` compares them.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from metareview.bias import fsn, ranktest, regtest, trimfill
from metareview.pool import METAFOR_DEFAULTS, rma

CASES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "metafor_print" / "bias.json").read_text(encoding="utf-8")
)


def _result(case: dict[str, Any]) -> Any:
    args = case["args"]
    if case["what"] == "ranktest":
        return ranktest(case["yi"], case["vi"])
    if case["what"] == "fsn":
        return fsn(case["yi"], case["vi"], alpha=args["alpha"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # metafor's trimfill refits under its default control, whatever the model's
        control = METAFOR_DEFAULTS if case["control"] == "metafor" else None
        res = rma(case["yi"], case["vi"], ni=case["ni"], method=case["method"],
                  test=case["test"], control=control)  # fmt: skip
    if case["what"] == "regtest":
        return regtest(res, model=args["model"], predictor=args["predictor"])
    return trimfill(res, **args)


def _words(lines: list[str]) -> list[list[str]]:
    return [line.split() for line in lines if line.strip()]


@pytest.mark.parametrize("name", [n for n in sorted(CASES) if CASES[n]["what"] != "trimfill"])
def test_tests_and_fail_safe_n_print_line_for_line_as_metafor(name: str) -> None:
    case = CASES[name]
    theirs = [line.rstrip() for line in case["lines"]]
    assert str(_result(case)).splitlines() == theirs, case["r_call"]


@pytest.mark.parametrize("name", [n for n in sorted(CASES) if CASES[n]["what"] == "trimfill"])
def test_trimfill_prints_as_metafor(name: str) -> None:
    case = CASES[name]
    # recorded with show.signif.stars = FALSE (test_resid_metafor.py compares a print
    # with R's default stars)
    ours = _result(case).summary(signif_stars=False).splitlines()
    # the lines before the model (k0 and, for R0, its test) are metafor's to the space
    head = case["lines"][: case["lines"].index("")]
    assert ours[: len(head)] == head, case["r_call"]
    assert _words(ours) == _words(case["lines"]), case["r_call"]


def test_the_fixtures_cover_each_layout() -> None:
    # a test that could pass on an empty or one-sided fixture file says nothing
    text = "\n".join(line for case in CASES.values() for line in case["lines"])
    for phrase in ("p = ", "p < .0001", "df = ", "sei -> 0", "vi -> 0", "ni -> inf",
                   "Kendall's tau = NA", "Fail-safe N: Inf", "left side", "right side",
                   "Test of H0", "tval", "Fixed-Effects Model"):  # fmt: skip
        assert phrase in text, phrase


def test_a_notebook_shows_the_print_and_repr_stays_short() -> None:
    case = CASES["trimfill_hackshaw"]
    tf = _result(case)
    shown: list[str] = []

    class Printer:
        def text(self, s: str) -> None:
            shown.append(s)

    tf._repr_pretty_(Printer(), False)
    assert shown == [str(tf)]
    text = repr(tf)
    assert text.startswith("TrimfillResult(k0=7, ")
    # no augmented data and no nested model: one line of scalars
    assert "yi_aug" not in text and "RMAResult" not in text and "\n" not in text
    assert len(text) < 600
    for res in (regtest(tf.fit), ranktest(tf.fit), fsn(case["yi"], case["vi"])):
        assert repr(res).startswith(type(res).__name__ + "(") and "\n" not in repr(res)
        assert str(res) == res.summary() != repr(res)
