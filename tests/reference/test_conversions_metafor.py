"""Conversions without a metafor 3.8-1 counterpart, against later metafor's own functions.

``tests/reference/metafor_conv/conv.json`` is written by ``make_conv_fixtures.R``, which
runs ``conv.fivenum()`` and ``conv.wald()`` from metafor 5.1-12 (neither exists in 3.8-1)
on the installed metafor 3.8-1, plus 3.8-1's own ``escalc()`` for a d reported with the
total sample size only, and R's ``qt``/``qnorm`` for the conversions of an SE, CI or
p-value, with arms combined by the Cochrane Handbook's formula. All are closed forms of one study's summary, held to
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
    sd_from_ci_mean,
    smd_from_d_total_n,
    t_from_p,
    vi_from_ci,
)
from metareview.extract import _md_se_from_p, combine_groups
from metareview.normalise import md_ci_quantile

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


def test_t_from_p_against_qt() -> None:
    # Far tails (p down to 1e-150, where the two programs' inversions differ most) are
    # held to ``closed``, not ``elementary``.
    ref = REF["t_from_p"]
    assert_close(t_from_p(ref["p"], ref["df"]), ref["two_sided"], "closed", "two-sided t")
    # p = 1 one-sided is the median of nothing: qt(1, df, lower.tail=FALSE) is -Inf, which
    # t_from_p returns as it is (no SE can come from it).
    one = t_from_p(ref["p"], ref["df"], two_sided=False)
    assert ref["one_sided"][0] is None and one[0] == -np.inf
    assert_close(one[1:], ref["one_sided"][1:], "closed", "one-sided t")


TAIL = json.loads((Path(__file__).parent / "metafor_conv" / "t_tail.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("side", ["one_sided", "two_sided"])
def test_t_from_p_in_the_far_tail(side: str) -> None:
    # p from 1e-101 down to 5e-324 (df 1 to 1e6), and df < 1 from p = 1e-3: scipy's
    # stdtrit returned half of the quantile (df = 3 from p = 1e-162), a wrong number or
    # -inf (df = 5 to 10 at 1e-300) and a cap near 4.7e153 (df < 1). The reference is the
    # root of R's own log tail, pt(t, df, lower.tail = FALSE, log.p = TRUE) = log p (log p
    # - log 2 two-sided), not R's qt, which is itself off out there (7.6e-9 at df = 3,
    # 1e-2 at df = 1.5, Inf for df = 2 at p = 1e-310); both roots are the same closed-form
    # tail solved to rounding, so ``closed``. A null root is Inf (the quantile exceeds
    # the largest double), which must be inf here too, never nan.
    ref = TAIL[side]
    ours = t_from_p(TAIL["p"], TAIL["df"], two_sided=side == "two_sided")
    root = np.array([np.inf if r is None else r for r in ref["root"]])
    infinite = np.isinf(root)
    assert np.array_equal(np.isinf(ours), infinite) and not np.isnan(ours).any()
    assert_close(ours[~infinite], root[~infinite].tolist(), "closed", f"{side} t far in the tail")
    # where R's qt is within 1e-6 of its root (the bound the library promises against R),
    # it is within 1e-6 of ours as well
    qt = np.array([np.nan if r is None else r for r in ref["qt"]])
    with np.errstate(invalid="ignore"):
        r_exact = np.abs(qt - root) <= 1e-6 * np.abs(root)
    assert r_exact.sum() > len(root) // 2
    np.testing.assert_allclose(ours[r_exact], qt[r_exact], rtol=1e-6)


@pytest.mark.parametrize("dist", ["t", "z", "auto"])
def test_sd_from_ci_mean_against_qt(dist: str) -> None:
    ref = REF["sd_from_ci_mean"]
    sd = [
        sd_from_ci_mean([lb], [ub], [n], level=lev, dist=dist).sd[0]  # type: ignore[arg-type]
        for lb, ub, n, lev in zip(ref["ci_lb"], ref["ci_ub"], ref["n"], ref["level"])
    ]
    close(sd, ref[f"sd_{dist}"], f"SD from a CI, dist={dist}")


def test_md_ci_quantile_against_qt() -> None:
    ref = REF["md_ci_quantile"]
    got = [md_ci_quantile(lev, n1, n2) for n1, n2, lev in zip(ref["n1"], ref["n2"], ref["level"])]
    close([q for q, _ in got], ref["q"], "quantile")
    assert [df is not None for _, df in got] == ref["t"]


def test_md_se_from_p_against_qt() -> None:
    ref = REF["md_se_from_p"]
    se = [
        _md_se_from_p({"p_value": p, "p_qualifier": "="}, md, n1, n2, True)[0]
        for md, p, n1, n2 in zip(ref["md"], ref["p"], ref["n1"], ref["n2"])
    ]
    close(se, ref["se"], "SE of an MD from its p-value")


@pytest.mark.parametrize("case", ["two", "three_equal", "three", "four_large_mean"])
def test_combine_groups_against_total_sum_of_squares(case: str) -> None:
    ref = REF["combine_groups"][case]
    n, m, sd = combine_groups(ref["n"], ref["mean"], ref["sd"])
    assert n == ref["N"]
    # ``closed``, not ``elementary``: with means of 1e6 a few units apart, m_i - M is a
    # difference of nearly equal numbers (both programs' SDs differ by 1.4e-12 there).
    assert_close([m, sd], [ref["M"], ref["SD"]], "closed", f"{case}: combined mean and SD")
