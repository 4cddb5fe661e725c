"""Unit tests for metareview.effects: hand computations, edge cases, invariants.

metafor parity on fixtures lives in tests/reference/test_escalc_*.py; here each formula
is recomputed by hand (with the standard library's math, independent of the module's
numpy/scipy code) and the edge cases the pipeline will meet are pinned down.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from metareview.effects import MEASURES, EffectSizes, EscalcWarning, escalc, hedges_j


def j_exact(m: float) -> float:
    return math.gamma(m / 2) / (math.sqrt(m / 2) * math.gamma((m - 1) / 2))


# --- hedges_j -------------------------------------------------------------------------------


def test_hedges_j_closed_forms() -> None:
    # J(2) = Gamma(1) / (1 * Gamma(1/2)) = 1/sqrt(pi); J(3) = Gamma(3/2) / sqrt(3/2)
    assert hedges_j(2) == pytest.approx(1 / math.sqrt(math.pi), rel=1e-14)
    assert hedges_j(3) == pytest.approx(math.sqrt(math.pi) / 2 / math.sqrt(1.5), rel=1e-14)
    for m in (4, 10, 37, 150):
        assert hedges_j(m) == pytest.approx(j_exact(m), rel=1e-13)


def test_hedges_j_undefined_and_shapes() -> None:
    assert math.isnan(hedges_j(1))
    assert math.isnan(hedges_j(0))
    assert math.isnan(hedges_j(-3))
    assert math.isnan(hedges_j(float("nan")))
    out = hedges_j([1, 2, np.nan, 30])
    assert isinstance(out, np.ndarray) and out.shape == (4,)
    assert np.isnan(out[[0, 2]]).all() and np.isfinite(out[[1, 3]]).all()
    assert isinstance(hedges_j(10), float)


def test_hedges_j_large_df_no_overflow_and_approximation() -> None:
    m = np.array([10.0, 100.0, 1e3, 1e4])
    # the classic approximation 1 - 3/(4m - 1) is off by about -1/(32 m^2)
    gap = (hedges_j(m) - (1 - 3 / (4 * m - 1))) * m**2
    assert np.all((gap < -0.025) & (gap > -0.04))
    # no overflow of Gamma; the lgamma difference loses ~1e-16 m relative (as metafor's)
    big = hedges_j(np.array([1e6, 1e8]))
    assert np.all(np.isfinite(big))
    assert abs(big[0] - (1 - 3 / (4e6 - 1))) < 1e-8
    assert abs(big[1] - 1) < 1e-6
    assert np.all(np.diff(hedges_j(np.arange(2.0, 60.0))) > 0)


# --- continuous measures by hand ------------------------------------------------------------


def test_md_hand() -> None:
    es = escalc("MD", m1i=[10.0], sd1i=[2.0], n1i=[20], m2i=[8.5], sd2i=[3.0], n2i=[25])
    assert es.yi[0] == pytest.approx(1.5)
    assert es.vi[0] == pytest.approx(4 / 20 + 9 / 25, rel=1e-15)
    ho = escalc("MD", m1i=[10.0], sd1i=[2.0], n1i=[20], m2i=[8.5], sd2i=[3.0], n2i=[25], vtype="HO")
    sp2 = (19 * 4 + 24 * 9) / 43
    assert ho.vi[0] == pytest.approx(sp2 * (1 / 20 + 1 / 25), rel=1e-14)
    assert ho.details["sd_pooled"][0] == pytest.approx(math.sqrt(sp2), rel=1e-14)


def test_smd_hand_all_vtypes() -> None:
    m1, s1, n1, m2, s2, n2 = 5.2, 1.9, 14, 4.1, 2.3, 11
    m = n1 + n2 - 2
    sp = math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / m)
    d = (m1 - m2) / sp
    j = j_exact(m)
    g = j * d
    expected = {
        "LS": 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2)),
        "UB": 1 / n1 + 1 / n2 + (1 - (m - 2) / (m * j**2)) * g**2,
        "LS2": j**2 * (1 / n1 + 1 / n2 + d**2 / (2 * (n1 + n2))),
        "AV": 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2)),  # one row: the mean g is g
    }
    for vtype, vi in expected.items():
        es = escalc(
            "SMD", m1i=[m1], sd1i=[s1], n1i=[n1], m2i=[m2], sd2i=[s2], n2i=[n2], vtype=vtype
        )
        assert es.yi[0] == pytest.approx(g, rel=1e-13), vtype
        assert es.vi[0] == pytest.approx(vi, rel=1e-13), vtype
    assert es.details["df"][0] == m
    assert es.details["sd_pooled"][0] == pytest.approx(sp, rel=1e-14)
    assert es.source == ("means",)


def test_smd_av_uses_weighted_mean_of_the_call() -> None:
    kw = {
        "m1i": [1.0, 3.0],
        "sd1i": [1.0, 1.0],
        "n1i": [10, 30],
        "m2i": [0.0, 0.0],
        "sd2i": [1.0, 1.0],
        "n2i": [10, 30],
    }
    ls = escalc("SMD", **kw)
    av = escalc("SMD", vtype="AV", **kw)
    gbar = (20 * ls.yi[0] + 60 * ls.yi[1]) / 80
    n = np.array([20.0, 60.0])
    np.testing.assert_allclose(av.vi, 2 / (n / 2) + gbar**2 / (2 * n), rtol=1e-14)


def test_smd_di_ti_precedence() -> None:
    n1, n2 = np.array([10.0, 12.0, 15.0, 20.0]), np.array([10.0, 14.0, 15.0, 18.0])
    es = escalc(
        "SMD",
        m1i=[1.0, 1.0, 1.0, np.nan],
        sd1i=[1.0] * 4,
        m2i=[0.0] * 4,
        sd2i=[1.0] * 4,
        n1i=n1,
        n2i=n2,
        di=[0.5, np.nan, 0.5, np.nan],
        ti=[np.nan, 2.0, 9.0, np.nan],
    )
    assert es.source == ("di", "ti", "di", "missing")
    j = hedges_j(n1 + n2 - 2)
    assert es.yi[0] == pytest.approx(j[0] * 0.5)
    assert es.yi[1] == pytest.approx(j[1] * 2.0 * math.sqrt(1 / 12 + 1 / 14), rel=1e-14)
    assert es.yi[2] == pytest.approx(j[2] * 0.5)  # di beats ti
    assert np.isnan(es.yi[3]) and np.isnan(es.vi[3])
    assert np.isnan(es.details["sd_pooled"][:3]).all()


def test_smd_needs_some_input() -> None:
    with pytest.raises(ValueError, match="Cannot compute outcomes"):
        escalc("SMD", n1i=[10], n2i=[10])
    with pytest.raises(ValueError, match="Missing: n1i, n2i"):
        escalc("SMD", di=[0.3])


def test_change_measures_hand() -> None:
    m1, m2, s1, s2, n, r = 4.2, 5.6, 1.7, 1.5, 30, 0.6
    var_c = s1**2 + s2**2 - 2 * r * s1 * s2
    j = j_exact(n - 1)
    kw = {"m1i": [m1], "m2i": [m2], "sd1i": [s1], "sd2i": [s2], "ni": [n], "ri": [r]}
    mc = escalc("MC", **kw)
    assert mc.yi[0] == pytest.approx(m1 - m2) and mc.vi[0] == pytest.approx(var_c / n)
    smcc = escalc("SMCC", **kw)
    g = j * (m1 - m2) / math.sqrt(var_c)
    assert smcc.yi[0] == pytest.approx(g, rel=1e-13)
    assert smcc.vi[0] == pytest.approx(1 / n + g**2 / (2 * n), rel=1e-13)
    smcr = escalc("SMCR", **kw)
    g = j * (m1 - m2) / s1
    assert smcr.yi[0] == pytest.approx(g, rel=1e-13)
    assert smcr.vi[0] == pytest.approx(2 * (1 - r) / n + g**2 / (2 * n), rel=1e-13)
    smcrh = escalc("SMCRH", **kw)
    assert smcrh.vi[0] == pytest.approx(
        j**2 * (var_c / (s1**2 * (n - 1)) + g**2 / (2 * (n - 1))), rel=1e-13
    )


def test_smcr_does_not_need_sd2i() -> None:
    es = escalc("SMCR", m1i=[4.0], m2i=[5.0], sd1i=[2.0], ni=[20], ri=[0.5])
    assert np.isfinite(es.yi[0]) and np.isfinite(es.vi[0])
    with pytest.raises(ValueError, match="sd2i"):
        escalc("SMCC", m1i=[4.0], m2i=[5.0], sd1i=[2.0], ni=[20], ri=[0.5])


def test_rom_hand() -> None:
    es = escalc("ROM", m1i=[12.0], sd1i=[3.0], n1i=[20], m2i=[10.0], sd2i=[2.5], n2i=[22])
    assert es.yi[0] == pytest.approx(math.log(1.2))
    assert es.vi[0] == pytest.approx(9 / (20 * 144) + 6.25 / (22 * 100), rel=1e-14)


def test_zcor_hand_and_small_n() -> None:
    with pytest.warns(EscalcWarning, match="ni <= 3"):
        es = escalc("ZCOR", ri=[0.5, 0.2], ni=[28, 3])
    assert es.yi[0] == pytest.approx(math.atanh(0.5), rel=1e-14)
    assert es.vi[0] == pytest.approx(1 / 25)
    assert es.yi[1] == pytest.approx(math.atanh(0.2)) and np.isnan(es.vi[1])


# --- 2x2 tables and proportions -------------------------------------------------------------


def test_or_rr_rd_hand_without_zero_cells() -> None:
    a, b, c, d = 12.0, 38.0, 20.0, 30.0
    es = escalc("OR", ai=[a], bi=[b], ci=[c], di=[d])
    assert es.yi[0] == pytest.approx(math.log(a * d / (b * c)), rel=1e-13)
    assert es.vi[0] == pytest.approx(1 / a + 1 / b + 1 / c + 1 / d, rel=1e-14)
    assert not es.add_applied[0]
    rr = escalc("RR", ai=[a], n1i=[a + b], ci=[c], n2i=[c + d])
    assert rr.yi[0] == pytest.approx(math.log((a / 50) / (c / 50)), rel=1e-13)
    assert rr.vi[0] == pytest.approx(1 / a - 1 / 50 + 1 / c - 1 / 50, rel=1e-14)
    rd = escalc("RD", ai=[a], bi=[b], ci=[c], di=[d], vtype="UB")
    assert rd.yi[0] == pytest.approx(0.24 - 0.4)
    assert rd.vi[0] == pytest.approx(0.24 * 0.76 / 49 + 0.4 * 0.6 / 49, rel=1e-14)


def test_zero_cell_continuity_correction_by_hand() -> None:
    # one arm without events: 1/2 is added to all four cells of that table only
    es = escalc("OR", ai=[0, 5], bi=[20, 15], ci=[4, 6], di=[16, 14])
    a, b, c, d = 0.5, 20.5, 4.5, 16.5
    assert es.yi[0] == pytest.approx(math.log(a * d / (b * c)), rel=1e-13)
    assert es.vi[0] == pytest.approx(1 / a + 1 / b + 1 / c + 1 / d, rel=1e-14)
    assert es.add_applied.tolist() == [True, False]
    assert es.yi[1] == pytest.approx(math.log(5 * 14 / (15 * 6)), rel=1e-13)
    # if0all: the other table is corrected too
    es = escalc("OR", ai=[0, 5], bi=[20, 15], ci=[4, 6], di=[16, 14], to="if0all")
    assert es.yi[1] == pytest.approx(math.log(5.5 * 14.5 / (15.5 * 6.5)), rel=1e-13)
    assert es.add_applied.tolist() == [True, True]


def test_zero_cells_without_correction_give_nan_with_warning() -> None:
    with pytest.warns(EscalcWarning, match=r"\+-Inf"):
        es = escalc("OR", ai=[0, 5], bi=[20, 15], ci=[4, 6], di=[16, 14], to="none")
    assert np.isnan(es.yi[0]) and np.isnan(es.vi[0])
    assert np.isfinite(es.yi[1])
    assert es.warnings == ("Some 'yi' and/or 'vi' values equal to +-Inf. Recoded to NAs.",)


def test_a_negative_variance_is_missing_as_in_metafor() -> None:
    # add = -1/2 turns the zero cell into -1/2: p1 = -0.5/1, p2 = 4.5/9, so
    # vi = p1 (1 - p1)/1 + p2 (1 - p2)/9 = -0.75 + 1/36 < 0. metafor 3.8-1,
    # escalc("RD", ai=c(0,3), bi=c(2,7), ci=c(5,4), di=c(5,6), add=-0.5), gives yi = -1
    # and vi = NA; a negative variance must never reach the model.
    es = escalc("RD", ai=[0, 3], bi=[2, 7], ci=[5, 4], di=[5, 6], add=-0.5)
    assert es.yi[0] == pytest.approx(-1.0, rel=1e-14) and np.isnan(es.vi[0])
    assert es.vi[1] == pytest.approx(0.3 * 0.7 / 10 + 0.4 * 0.6 / 10, rel=1e-14)


def test_double_zero_and_drop00() -> None:
    kept = escalc("RR", ai=[0, 3], bi=[10, 7], ci=[0, 4], di=[12, 6])
    assert kept.yi[0] == pytest.approx(math.log((0.5 / 11) / (0.5 / 13)), rel=1e-13)
    dropped = escalc("RR", ai=[0, 3], bi=[10, 7], ci=[0, 4], di=[12, 6], drop00=True)
    assert np.isnan(dropped.yi[0]) and np.isnan(dropped.vi[0])
    assert dropped.dropped.tolist() == [True, False]
    assert dropped.add_applied.tolist() == [False, False]
    assert dropped.ni.tolist() == [22, 20]  # unadjusted total, even when dropped


def test_proportions_hand() -> None:
    pr = escalc("PR", xi=[3, 0], ni=[20, 10])
    assert pr.yi[0] == pytest.approx(0.15) and pr.vi[0] == pytest.approx(0.15 * 0.85 / 20)
    assert pr.yi[1] == pytest.approx(0.5 / 11)  # 1/2 added to events and non-events
    plo = escalc("PLO", xi=[3], mi=[17])
    assert plo.yi[0] == pytest.approx(math.log(3 / 17)) and plo.vi[0] == pytest.approx(
        1 / 3 + 1 / 17
    )


# --- errors name the offending rows ------------------------------------------------------------


def test_negative_sd_names_index() -> None:
    with pytest.raises(ValueError, match=r"standard deviations are negative \(sd2i\).*index 2"):
        escalc(
            "SMD",
            m1i=[1, 2, 3],
            sd1i=[1, 1, 1],
            n1i=[5, 5, 5],
            m2i=[0, 0, 0],
            sd2i=[1, 1, -0.5],
            n2i=[5, 5, 5],
        )
    with pytest.raises(ValueError, match=r"index 0"):
        escalc("MC", m1i=[1], m2i=[0], sd1i=[-1], sd2i=[1], ni=[5], ri=[0.5])


@pytest.mark.parametrize(
    ("measure", "kwargs", "message"),
    [
        (
            "MD",
            {
                "m1i": [1, 1],
                "sd1i": [1, 1],
                "n1i": [5, 0],
                "m2i": [0, 0],
                "sd2i": [1, 1],
                "n2i": [5, 5],
            },
            r"group sizes are <= 0.*index 1",
        ),
        (
            "OR",
            {"ai": [1, -1], "bi": [5, 5], "ci": [2, 2], "di": [5, 5]},
            r"counts are negative.*index 1",
        ),
        (
            "RR",
            {"ai": [6], "n1i": [5], "ci": [2], "n2i": [5]},
            r"larger than the corresponding.*index 0",
        ),
        (
            "OR",
            {"ai": [1], "bi": [5], "n1i": [7], "ci": [2], "di": [5]},
            r"'n1i' values are not equal",
        ),
        (
            "SMCC",
            {"m1i": [1], "m2i": [0], "sd1i": [1], "sd2i": [1], "ni": [5], "ri": [1.2]},
            r"correlations",
        ),
        ("ZCOR", {"ri": [0.1, 0.2], "ni": [10, -2]}, r"sample sizes are <= 0.*index 1"),
        ("PR", {"xi": [3], "ni": [2]}, r"larger than"),
    ],
)
def test_invalid_data(measure: str, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        escalc(measure, **kwargs)


def test_argument_errors() -> None:
    with pytest.raises(ValueError, match="Unknown 'measure'"):
        escalc("HR", ai=[1], bi=[1], ci=[1], di=[1])
    with pytest.raises(ValueError, match="Unknown 'vtype'"):
        escalc("OR", ai=[1], bi=[1], ci=[1], di=[1], vtype="XX")
    with pytest.raises(ValueError, match="Unknown 'to'"):
        escalc("OR", ai=[1], bi=[1], ci=[1], di=[1], to="some")
    with pytest.raises(ValueError, match="same length"):
        escalc("OR", ai=[1, 2], bi=[1], ci=[1, 2], di=[1, 2])
    with pytest.raises(ValueError, match="does not use argument"):
        escalc("MD", m1i=[1], sd1i=[1], n1i=[5], m2i=[0], sd2i=[1], n2i=[5], ai=[3])
    with pytest.raises(ValueError, match="length 1 or k"):
        escalc("SMD", di=[0.1, 0.2, 0.3], n1i=[5] * 3, n2i=[5] * 3, vtype=["LS", "UB"])
    with pytest.raises(ValueError, match="'UB', 'LS', or 'AV'"):
        escalc("RD", ai=[1], bi=[1], ci=[1], di=[1], vtype="LS2")


# --- small samples and missing values ------------------------------------------------------------


def test_n_equal_one() -> None:
    md = escalc("MD", m1i=[3.0], sd1i=[1.0], n1i=[1], m2i=[2.0], sd2i=[1.5], n2i=[4])
    assert md.vi[0] == pytest.approx(1 + 2.25 / 4)
    smd = escalc("SMD", m1i=[3.0], sd1i=[1.0], n1i=[1], m2i=[2.0], sd2i=[1.5], n2i=[1])
    assert np.isnan(smd.yi[0]) and np.isnan(smd.vi[0])  # df = 0
    mc = escalc("MC", m1i=[3.0], m2i=[2.0], sd1i=[1.0], sd2i=[1.2], ni=[1], ri=[0.5])
    assert np.isfinite(mc.vi[0])
    smcc = escalc("SMCC", m1i=[3.0], m2i=[2.0], sd1i=[1.0], sd2i=[1.2], ni=[2], ri=[0.5])
    assert np.isnan(smcc.yi[0]) and np.isnan(smcc.vi[0])  # df = 1


def test_df_at_most_one_is_nan_but_av_variance_survives() -> None:
    # metafor: J is NA (not NaN) for df <= 1, so with vtype AV (no yi in vi) vi stays
    kw = {
        "m1i": [3.0, 3.0],
        "sd1i": [1.0, 1.0],
        "n1i": [1, 10],
        "m2i": [2.0, 2.0],
        "sd2i": [1.0, 1.0],
        "n2i": [2, 10],
    }
    es = escalc("SMD", vtype="AV", **kw)
    assert np.isnan(es.yi[0]) and np.isfinite(es.vi[0])
    assert es.vi[0] == pytest.approx(1 + 1 / 2 + es.yi[1] ** 2 / (2 * 3))


def test_missing_input_versus_produced_nan() -> None:
    # a missing mean leaves vi (which does not use it) alone ...
    md = escalc(
        "MD",
        m1i=[np.nan, 1.0],
        sd1i=[1.0, 1.0],
        n1i=[5, 5],
        m2i=[0.0, 0.0],
        sd2i=[1.0, 1.0],
        n2i=[5, 5],
    )
    assert np.isnan(md.yi[0]) and md.vi[0] == pytest.approx(0.4)
    # ... a nan the arithmetic produces (0/0) removes both, silently
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        smd = escalc("SMD", m1i=[2.0], sd1i=[0.0], n1i=[5], m2i=[2.0], sd2i=[0.0], n2i=[5])
    assert np.isnan(smd.yi[0]) and np.isnan(smd.vi[0])
    # None works as a missing value too
    es = escalc("OR", ai=[None, 3], bi=[5, 5], ci=[2, 2], di=[5, 5])
    assert np.isnan(es.yi[0]) and np.isnan(es.vi[0]) and np.isfinite(es.yi[1])


def test_scalars_broadcast_and_inputs_untouched() -> None:
    ai = np.array([0.0, 4.0])
    es = escalc("OR", ai=ai, bi=10, ci=3, di=np.array([9.0, 8.0]))
    assert es.k == len(es) == 2
    assert ai.tolist() == [0.0, 4.0]  # the continuity correction did not leak back
    with pytest.raises(ValueError):
        es.yi[0] = 1.0  # results are read-only


def test_result_helpers() -> None:
    es = escalc(
        "MD",
        m1i=[1.0, 2.0],
        sd1i=[1.0, 2.0],
        n1i=[10, 10],
        m2i=[0.0, 0.0],
        sd2i=[1.0, 2.0],
        n2i=[10, 10],
    )
    np.testing.assert_allclose(es.sei, np.sqrt(es.vi))
    lb, ub = es.conf_int()
    np.testing.assert_allclose(ub - es.yi, 1.959963984540054 * es.sei, rtol=1e-12)
    lb90, _ = es.conf_int(90)
    np.testing.assert_allclose(es.yi - lb90, 1.6448536269514722 * es.sei, rtol=1e-12)
    # level = 1 is 1 percent, as metafor's .level() reads it (level >= 1: a percentage):
    # summary(escalc("MD", m1i=10, sd1i=2, n1i=20, m2i=9, sd2i=2, n2i=20), level=1)
    one = escalc("MD", m1i=[10.0], sd1i=[2.0], n1i=[20], m2i=[9.0], sd2i=[2.0], n2i=[20])
    lb1, ub1 = one.conf_int(1)
    assert (lb1[0], ub1[0]) == pytest.approx((0.99207313787404616, 1.0079268621259538), rel=1e-13)
    assert es.conf_int(0.95)[0] == pytest.approx(lb)
    assert isinstance(es, EffectSizes) and es.measure == "MD"
    assert set(MEASURES) >= {
        "MD",
        "SMD",
        "SMCC",
        "SMCR",
        "SMCRH",
        "MC",
        "ROM",
        "OR",
        "RR",
        "RD",
        "PR",
        "PLO",
        "ZCOR",
    }


# --- properties -----------------------------------------------------------------------------------

means = st.floats(-1e3, 1e3, allow_nan=False)
sds = st.floats(0.01, 1e2, allow_nan=False)
sizes = st.integers(2, 500)
counts = st.integers(0, 200)


@settings(max_examples=60, deadline=None)
@given(m1=means, s1=sds, n1=sizes, m2=means, s2=sds, n2=sizes)
def test_md_antisymmetric_in_arms(m1, s1, n1, m2, s2, n2) -> None:
    a = escalc("MD", m1i=[m1], sd1i=[s1], n1i=[n1], m2i=[m2], sd2i=[s2], n2i=[n2])
    b = escalc("MD", m1i=[m2], sd1i=[s2], n1i=[n2], m2i=[m1], sd2i=[s1], n2i=[n1])
    assert b.yi[0] == -a.yi[0]
    assert b.vi[0] == pytest.approx(a.vi[0], rel=1e-15)


@settings(max_examples=60, deadline=None)
@given(
    m1=means,
    s1=sds,
    n1=sizes,
    m2=means,
    s2=sds,
    n2=sizes,
    scale=st.floats(1e-3, 1e3),
    shift=means,
    vtype=st.sampled_from(["LS", "UB", "LS2"]),
)
def test_smd_is_scale_and_location_free(m1, s1, n1, m2, s2, n2, scale, shift, vtype) -> None:
    assume(n1 + n2 > 3)
    a = escalc("SMD", m1i=[m1], sd1i=[s1], n1i=[n1], m2i=[m2], sd2i=[s2], n2i=[n2], vtype=vtype)
    b = escalc(
        "SMD",
        m1i=[m1 * scale + shift],
        sd1i=[s1 * scale],
        n1i=[n1],
        m2i=[m2 * scale + shift],
        sd2i=[s2 * scale],
        n2i=[n2],
        vtype=vtype,
    )
    # shifting both means cancels only up to rounding of (m + shift); a mean that scaling
    # pushes below the smallest normal float (1e-313 * 0.004) keeps fewer significant
    # digits, hence the absolute floor far below any mean a trial reports
    atol = 1e-9 * (abs(shift) + abs(m1 * scale) + abs(m2 * scale)) / (min(s1, s2) * scale) + 1e-300
    assert b.yi[0] == pytest.approx(a.yi[0], rel=1e-9, abs=atol)
    assert b.vi[0] == pytest.approx(a.vi[0], rel=1e-8, abs=atol)
    swapped = escalc(
        "SMD", m1i=[m2], sd1i=[s2], n1i=[n2], m2i=[m1], sd2i=[s1], n2i=[n1], vtype=vtype
    )
    assert swapped.yi[0] == pytest.approx(-a.yi[0], rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(a=counts, b=counts, c=counts, d=counts, measure=st.sampled_from(["OR", "RD"]))
def test_binary_swap_groups_negates(a, b, c, d, measure) -> None:
    assume(a + b > 0 and c + d > 0)
    x = escalc(measure, ai=[a], bi=[b], ci=[c], di=[d])
    y = escalc(measure, ai=[c], bi=[d], ci=[a], di=[b])
    np.testing.assert_array_equal(np.isnan(x.yi), np.isnan(y.yi))
    if np.isfinite(x.yi[0]):
        assert y.yi[0] == pytest.approx(-x.yi[0], abs=1e-12)
        assert y.vi[0] == pytest.approx(x.vi[0], rel=1e-12)
        assert x.vi[0] > 0 or (measure == "RD" and x.vi[0] == 0)


@settings(max_examples=60, deadline=None)
@given(x=st.integers(0, 300), n=st.integers(1, 300))
def test_plo_complement_negates(x, n) -> None:
    assume(x <= n)
    p = escalc("PLO", xi=[x], ni=[n])
    q = escalc("PLO", xi=[n - x], ni=[n])
    assert q.yi[0] == pytest.approx(-p.yi[0], abs=1e-12)
    assert q.vi[0] == pytest.approx(p.vi[0], rel=1e-12)
    assert p.add_applied[0] == (x == 0 or x == n)


def test_pandas_nullable_columns_are_missing_values() -> None:
    pd = pytest.importorskip("pandas")
    ai = pd.array([1, None, 3], dtype="Int64")
    es = escalc("OR", ai=ai, n1i=pd.Series([10, 10, 10]), ci=[2, 2, 0], n2i=[10, 12, 10])
    assert np.isnan(es.yi[1]) and np.isnan(es.vi[1])
    assert es.yi[0] == pytest.approx(math.log((1 / 9) / (2 / 8)))
    assert es.add_applied.tolist() == [False, False, True]
    with pytest.raises(ValueError, match=r"^ai is not numeric: it holds text \('a'\)"):
        escalc("OR", ai=["a"], bi=[1], ci=[1], di=[1])


def test_args_by_measure_is_public_and_read_only() -> None:
    from metareview.effects import ARGS_BY_MEASURE

    assert set(ARGS_BY_MEASURE) == set(MEASURES)
    assert ARGS_BY_MEASURE["SMD"] >= {"m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i", "di", "ti"}
    assert "di" in ARGS_BY_MEASURE["OR"] and "ti" not in ARGS_BY_MEASURE["OR"]
    with pytest.raises(TypeError):
        ARGS_BY_MEASURE["XX"] = frozenset()  # type: ignore[index]


# --- inputs a user can get wrong, and the forms of an argument ---------------------------


def test_escalc_argument_errors_name_what_was_expected() -> None:
    # metafor: "The 'measure' argument must be a character string."
    with pytest.raises(TypeError, match="'measure' argument must be a character string"):
        escalc(3, ai=[1])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"must be one-dimensional, got \(1, 2\)"):
        escalc("OR", ai=[[1, 2]], bi=[[1, 2]], ci=[[1, 2]], di=[[1, 2]])


@pytest.mark.parametrize(
    ("measure", "kwargs", "match"),
    [
        ("OR", {"ai": [1], "bi": [9], "ci": [2], "di": [8], "n2i": [11]},
         r"'n2i' values are not equal to 'ci \+ di'.*n2i=11, ci=2, di=8"),
        ("OR", {"ai": [1], "bi": [9], "di": [8]}, r"Missing: ci\."),
        ("PR", {"xi": [3], "mi": [7], "ni": [11]},
         r"'ni' values are not equal to 'xi \+ mi'.*ni=11, xi=3, mi=7"),
        ("PR", {"xi": [3]}, r"Missing: mi\|ni\."),
    ],
)  # fmt: skip
def test_escalc_counts_that_do_not_add_up_or_are_missing(
    measure: str, kwargs: dict, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        escalc(measure, **kwargs)


def test_a_vtype_of_one_entry_holds_for_every_study() -> None:
    """metafor 3.8-1, escalc("SMD", m1i = c(1, 2), m2i = c(0, 1), sd1i = c(1, 1),
    sd2i = c(1, 1), n1i = c(10, 10), n2i = c(10, 10), vtype = "UB"): yi 0.95764642702372005
    and vi 0.22819779030240828 for both studies."""
    es = escalc(
        "SMD", m1i=[1.0, 2.0], m2i=[0.0, 1.0], sd1i=[1.0, 1.0], sd2i=[1.0, 1.0],
        n1i=[10, 10], n2i=[10, 10], vtype=["UB"],
    )  # fmt: skip
    assert es.vtype == ("UB", "UB")
    np.testing.assert_allclose(es.yi, [0.95764642702372005] * 2, rtol=1e-14)
    np.testing.assert_allclose(es.vi, [0.22819779030240828] * 2, rtol=1e-14)


def test_zcor_without_small_samples_warns_nothing() -> None:
    """Fisher's z: yi = atanh(r), vi = 1 / (n - 3), here 1/7 and 1/17."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        es = escalc("ZCOR", ri=[0.3, 0.5], ni=[10, 20])
    np.testing.assert_allclose(es.yi, [math.atanh(0.3), math.atanh(0.5)], rtol=1e-15)
    np.testing.assert_allclose(es.vi, [1 / 7, 1 / 17], rtol=1e-15)


def test_notebooks_display_the_effect_size_table() -> None:
    class Printer:
        out = ""

        def text(self, s: str) -> None:
            self.out += s

    es = escalc("ZCOR", ri=[0.3], ni=[10])
    p = Printer()
    es._repr_pretty_(p, False)
    assert p.out == es.summary() == str(es)


# --------------------------------------------------------------------------- rows


def _two_by_two() -> EffectSizes:
    return escalc(
        "OR", ai=[0, 5, 3, 8, 2], n1i=[20, 30, 25, 40, 15], ci=[2, 7, 0, 6, 4],
        n2i=[20, 30, 25, 40, 15], vtype=["LS", "LS", "LS", "LS", "LS"],
    )  # fmt: skip


def test_rows_of_effect_sizes_subset_every_per_row_field() -> None:
    es = _two_by_two()
    mask = np.array([True, False, True, False, True])
    for rows in (mask, [0, 2, 4], np.array([0, 2, 4]), slice(0, 5, 2)):
        sub = es[rows]
        assert isinstance(sub, EffectSizes) and sub.k == 3 and sub.measure == "OR"
        for name in ("yi", "vi", "ni", "add_applied"):
            np.testing.assert_array_equal(getattr(sub, name), getattr(es, name)[mask])
        for name, value in es.details.items():
            np.testing.assert_array_equal(sub.details[name], value[mask])
        assert sub.vtype == ("LS",) * 3 and sub.warnings == es.warnings
        assert not sub.yi.flags.writeable


def test_rows_of_effect_sizes_keep_the_pandas_index_and_check_it() -> None:
    pd = pytest.importorskip("pandas")
    idx = [10, 11, 12, 13, 14]
    es = escalc("OR", ai=pd.Series([1, 5, 3, 8, 2], index=idx), n1i=pd.Series([20] * 5, index=idx),
                ci=pd.Series([2, 7, 1, 6, 4], index=idx), n2i=pd.Series([20] * 5, index=idx))
    sub = es[pd.Series([True, True, False, False, True], index=idx)]
    assert list(sub.index) == [10, 11, 14]
    with pytest.raises(ValueError, match="different indexes"):
        es[pd.Series([True, True, False, False, True])]


@pytest.mark.parametrize(
    ("rows", "error", "message"),
    [
        (1, TypeError, "es.yi"),
        ([True, False], ValueError, "2 values for k = 5"),
        ([-1], ValueError, "negative"),
        ([5], ValueError, "beyond"),
        ([0, 0], ValueError, "more than once"),
        (["a"], TypeError, "boolean mask or integer"),
    ],
)
def test_rows_of_effect_sizes_refuse_what_they_cannot_read(rows, error, message) -> None:
    with pytest.raises(error, match=message):
        _two_by_two()[rows]


def test_effect_sizes_are_not_read_as_an_array() -> None:
    # a sequence to numpy since it has rows: given where an array belongs, it says so
    with pytest.raises(TypeError, match="not an array"):
        np.asarray(_two_by_two())
    with pytest.raises(TypeError, match="not iterable"):
        list(_two_by_two())
