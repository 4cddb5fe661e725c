"""Unit tests for metareview.conversions.

metafor 3.8-1 has no conv.fivenum, conv.wald or conv.delta (they arrived in later
versions; see tests/reference/metafor_conversions/metafor_features.json); a later
metafor's conv.fivenum and conv.wald are compared with in
tests/reference/test_conversions_metafor.py. Here the median/IQR/range and CI conversions
are checked against hand computations that use only the standard library (statistics.NormalDist for
the normal quantile, independent of scipy), against tabulated values from the papers
(Wan et al. 2014, Table 1; the Cochrane Handbook's worked numbers), and by simulation
from a normal distribution. t_from_p, d_from_t and the SMD helpers are also compared with
metafor in tests/reference/test_escalc_conversions.py.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metareview.conversions import (
    combine_arm_changes,
    d_from_t,
    mean_sd_from_five_number,
    mean_sd_from_median_iqr,
    mean_sd_from_median_range,
    mean_sd_from_quantiles,
    ri_from_sd_change,
    sd_change,
    sd_from_ci_mean,
    sd_from_se,
    smd_from_d,
    smd_from_d_total_n,
    smd_from_t,
    t_from_p,
    vi_from_ci,
)
from metareview.effects import escalc, hedges_j

PHI_INV = NormalDist().inv_cdf


# --- t, p, d ------------------------------------------------------------------------------------


def test_t_from_p_table_values() -> None:
    # t tables: qt(0.975, 10) = 2.228139, qt(0.95, 10) = 1.812461; large df -> 1.959964
    assert t_from_p(0.05, 10)[0] == pytest.approx(2.228138851986, rel=1e-11)
    assert t_from_p(0.05, 10, two_sided=False)[0] == pytest.approx(1.812461122811676, rel=1e-11)
    assert t_from_p(0.05, 1e9)[0] == pytest.approx(PHI_INV(0.975), rel=1e-8)
    assert t_from_p(1.0, 20)[0] == pytest.approx(0.0, abs=1e-12)


def test_t_from_p_round_trip_and_tiny_p() -> None:
    from scipy.special import stdtr

    p = np.array([0.9, 0.2, 0.049, 1e-4, 1e-12, 1e-40])
    df = np.array([5, 18, 40, 100, 60, 200.0])
    t = t_from_p(p, df)
    np.testing.assert_allclose(2 * stdtr(df, -t), p, rtol=1e-8)
    assert np.all(np.diff(t) > 0)


def test_t_from_p_invalid_is_nan() -> None:
    out = t_from_p([0.0, -0.1, 1.5, 0.05, np.nan], [10, 10, 10, 0, 10])
    assert np.isnan(out).all()


def test_d_from_t_and_smd_from_t_hand() -> None:
    d = d_from_t([2.5, -1.0], [20, 8], [25, 12])
    assert d[0] == pytest.approx(2.5 * math.sqrt(1 / 20 + 1 / 25))
    assert d[1] == pytest.approx(-math.sqrt(1 / 8 + 1 / 12))
    es = smd_from_t([2.5], [20], [25])
    assert es.yi[0] == pytest.approx(hedges_j(43) * d[0], rel=1e-14)
    assert es.source == ("ti",)


def test_smd_from_d_applies_correction() -> None:
    es = smd_from_d([0.6], [15], [17], vtype="LS")
    g = hedges_j(30) * 0.6
    assert es.yi[0] == pytest.approx(g, rel=1e-14)
    assert es.vi[0] == pytest.approx(1 / 15 + 1 / 17 + g**2 / 64, rel=1e-14)


def test_smd_from_d_total_n_assumes_equal_arms() -> None:
    res = smd_from_d_total_n([0.5, -0.2], [40, 25])
    assert res.n1i.tolist() == [20.0, 12.5] and res.n2i.tolist() == [20.0, 12.5]
    assert "assumed equal" in res.assumption
    g = hedges_j(np.array([38.0, 23.0])) * np.array([0.5, -0.2])
    np.testing.assert_allclose(res.effects.yi, g, rtol=1e-14)
    np.testing.assert_allclose(
        res.effects.vi, 4 / np.array([40, 25]) + g**2 / (2 * np.array([40, 25]))
    )
    # equal arms give the smallest variance for a fixed total
    unequal = smd_from_d([0.5], [10], [30])
    assert unequal.vi[0] > res.effects.vi[0]
    with pytest.raises(ValueError, match="index 1"):
        smd_from_d_total_n([0.5, 0.1], [10, 0])


# --- SE and CI ----------------------------------------------------------------------------------


def test_sd_from_se() -> None:
    np.testing.assert_allclose(sd_from_se([2.0, 0.5], [25, 100]), [10.0, 5.0])
    with pytest.raises(ValueError, match=r"se must be >= 0.*index 1"):
        sd_from_se([1.0, -0.1], [10, 10])


def test_sd_from_ci_mean_handbook_numbers() -> None:
    # Cochrane Handbook 6.5.2.2: n = 25 -> t(24) = 2.0639, divisor 4.128; large n -> 3.92
    small = sd_from_ci_mean([10.0], [14.128], [25])
    assert small.quantile[0] == pytest.approx(2.0639, abs=5e-5)
    assert small.sd[0] == pytest.approx(5 * 4.128 / (2 * 2.063898561628026), rel=1e-12)
    large = sd_from_ci_mean([10.0], [13.92], [400])
    assert large.quantile[0] == pytest.approx(PHI_INV(0.975), rel=1e-12)
    assert large.sd[0] == pytest.approx(20 * 3.92 / (2 * PHI_INV(0.975)), rel=1e-12)
    assert "t quantile" in small.method and "Cochrane" in small.method
    z = sd_from_ci_mean([10.0], [14.128], [25], dist="z")
    assert z.sd[0] > small.sd[0]
    ninety = sd_from_ci_mean([10.0], [13.29], [400], level=90)
    assert ninety.quantile[0] == pytest.approx(PHI_INV(0.95), rel=1e-12)


def test_sd_from_ci_mean_errors() -> None:
    with pytest.raises(ValueError, match="index 0"):
        sd_from_ci_mean([5.0], [4.0], [10])
    with pytest.raises(ValueError, match="n must be >= 2"):
        sd_from_ci_mean([1.0], [2.0], [1])


def test_vi_from_ci_identity_and_log() -> None:
    z = PHI_INV(0.975)
    md = vi_from_ci([1.0], [5.0])
    assert md.yi[0] == pytest.approx(3.0) and md.sei[0] == pytest.approx(2 / z, rel=1e-12)
    assert md.vi[0] == pytest.approx((2 / z) ** 2, rel=1e-12) and np.isnan(md.asymmetry[0])
    ratio = vi_from_ci([1.0], [4.0], transform="log", estimate=[2.0])
    assert ratio.yi[0] == pytest.approx(math.log(2.0))
    assert ratio.sei[0] == pytest.approx(math.log(4.0) / (2 * z), rel=1e-12)
    assert ratio.asymmetry[0] == pytest.approx(0.0, abs=1e-12)  # symmetric on the log scale
    off = vi_from_ci([1.0], [4.0], transform="log", estimate=[2.5])
    assert off.asymmetry[0] == pytest.approx(abs(math.log(2.5) - math.log(2.0)) / math.log(2.0))
    assert off.yi[0] == pytest.approx(math.log(2.5))
    assert "log scale" in off.method and off.method.endswith("(Cochrane Handbook 6.3.2)")
    assert md.method.endswith("(Cochrane Handbook 6.3.1)")
    r = vi_from_ci([0.1], [0.5], transform="atanh")
    assert r.sei[0] == pytest.approx((math.atanh(0.5) - math.atanh(0.1)) / (2 * z))
    ninety = vi_from_ci([1.0], [5.0], level=90)
    assert ninety.sei[0] == pytest.approx(2 / PHI_INV(0.95), rel=1e-12)
    assert vi_from_ci([1.0], [5.0], level=0.9).sei[0] == pytest.approx(ninety.sei[0])


def test_vi_from_ci_errors_name_rows() -> None:
    with pytest.raises(ValueError, match=r"ci_ub must be >= ci_lb.*index 1"):
        vi_from_ci([1.0, 3.0], [2.0, 2.0])
    with pytest.raises(ValueError, match="must be > 0"):
        vi_from_ci([0.0], [2.0], transform="log")
    with pytest.raises(ValueError, match="outside its CI"):
        vi_from_ci([1.0], [2.0], estimate=[3.0])
    with pytest.raises(ValueError, match="transform"):
        vi_from_ci([1.0], [2.0], transform="logit")


# --- median / quartiles / range -----------------------------------------------------------------


def xi_hand(n: float) -> float:
    return 2 * PHI_INV((n - 0.375) / (n + 0.25))


def eta_hand(n: float) -> float:
    return 2 * PHI_INV((0.75 * n - 0.125) / (n + 0.25))


def test_median_iqr_hand() -> None:
    q1, m, q3, n = 12.0, 15.0, 21.0, 40
    est = mean_sd_from_median_iqr([q1], [m], [q3], [n])
    w = 0.7 + 0.39 / n
    assert est.mean[0] == pytest.approx(w * (q1 + q3) / 2 + (1 - w) * m, rel=1e-14)
    assert est.sd[0] == pytest.approx((q3 - q1) / eta_hand(n), rel=1e-12)
    assert est.method == "median/IQR to mean/SD, Luo 2018 (mean), Wan 2014 (SD)"
    _mean, _sd, method = est  # unpacks as (mean, sd, method)
    assert method.startswith("median/IQR")


def test_median_range_hand() -> None:
    a, m, b, n = 2.0, 9.0, 30.0, 25
    est = mean_sd_from_median_range([a], [m], [b], [n])
    w = 4 / (4 + n**0.75)
    assert est.mean[0] == pytest.approx(w * (a + b) / 2 + (1 - w) * m, rel=1e-14)
    assert est.sd[0] == pytest.approx((b - a) / xi_hand(n), rel=1e-12)
    assert "Luo 2018" in est.method and "Wan 2014" in est.method


def test_five_number_hand() -> None:
    a, q1, m, q3, b, n = 1.0, 6.0, 9.0, 14.0, 27.0, 60
    est = mean_sd_from_five_number([a], [q1], [m], [q3], [b], [n])
    w1 = 2.2 / (2.2 + n**0.75)
    w2 = 0.7 - 0.72 / n**0.55
    assert est.mean[0] == pytest.approx(
        w1 * (a + b) / 2 + w2 * (q1 + q3) / 2 + (1 - w1 - w2) * m, rel=1e-14
    )
    w = 1 / (1 + 0.07 * n**0.6)
    assert est.sd[0] == pytest.approx(
        w * (b - a) / xi_hand(n) + (1 - w) * (q3 - q1) / eta_hand(n), rel=1e-12
    )
    assert "Shi 2020" in est.method


def test_wan_divisors_against_published_values() -> None:
    # Wan et al. 2014, Table 1: expected range of n standard normal values (exact); the
    # closed form xi(n) used for the SD approximates it to within 1.5% from n = 5 on
    table = {5: 2.326, 10: 3.078, 20: 3.735, 30: 4.086, 40: 4.322, 50: 4.498}
    est = mean_sd_from_median_range(np.zeros(6), np.full(6, 0.5), np.ones(6), list(table))
    np.testing.assert_allclose(1 / est.sd, list(table.values()), rtol=0.015)
    # large n: IQR / SD -> 2 Phi^-1(0.75) = 1.349 (the handbook's "IQR / 1.35")
    big = mean_sd_from_median_iqr([0.0], [0.5], [1.0], [1e7])
    assert 1 / big.sd[0] == pytest.approx(1.349, abs=5e-4)


def test_estimators_recover_normal_parameters_by_simulation() -> None:
    rng = np.random.default_rng(20240611)
    n, reps, mu, sigma = 41, 4000, 50.0, 8.0  # n = 4Q + 1: quartiles are order statistics
    x = np.sort(rng.normal(mu, sigma, size=(reps, n)), axis=1)
    a, q1, m, q3, b = (x[:, i] for i in (0, 10, 20, 30, 40))
    nn = np.full(reps, n)
    for est in (
        mean_sd_from_median_iqr(q1, m, q3, nn),
        mean_sd_from_median_range(a, m, b, nn),
        mean_sd_from_five_number(a, q1, m, q3, b, nn),
    ):
        assert est.mean.mean() == pytest.approx(mu, abs=0.05 * sigma), est.method
        assert est.sd.mean() == pytest.approx(sigma, rel=0.03), est.method
    # the five-number SD uses more information than the IQR alone: smaller spread
    assert (
        mean_sd_from_five_number(a, q1, m, q3, b, nn).sd.std()
        < mean_sd_from_median_iqr(q1, m, q3, nn).sd.std()
    )


def test_mean_sd_from_quantiles_picks_the_fullest_summary_a_row_gives() -> None:
    # n = 30, median 40, quartiles 30-52, range 10-90: all five numbers are used
    # (Luo 2018 eq. 15 for the mean, Shi 2020 eq. 10 for the SD), not the IQR alone.
    n = 30
    row = {"median": 40.0, "q1": 30.0, "q3": 52.0, "min": 10.0, "max": 90.0}
    w1, w2 = 2.2 / (2.2 + n**0.75), 0.7 - 0.72 / n**0.55
    w = 1 / (1 + 0.07 * n**0.6)
    mean, sd, how = mean_sd_from_quantiles(row, n)
    assert mean == pytest.approx(w1 * 50 + w2 * 41 + (1 - w1 - w2) * 40, rel=1e-14)
    assert sd == pytest.approx(w * 80 / xi_hand(n) + (1 - w) * 22 / eta_hand(n), rel=1e-12)
    assert "Shi 2020" in how
    # without the range: the quartiles (Luo 2018 eq. 11, Wan 2014 eq. 16)
    wq = 0.7 + 0.39 / n
    mean, sd, how = mean_sd_from_quantiles({**row, "min": None}, n)
    assert (mean, sd) == pytest.approx((wq * 41 + (1 - wq) * 40, 22 / eta_hand(n)), rel=1e-12)
    # without the quartiles: the range (Luo 2018 eq. 7, Wan 2014 eq. 9)
    wr = 4 / (4 + n**0.75)
    mean, sd, how = mean_sd_from_quantiles({**row, "q3": None}, n)
    assert (mean, sd) == pytest.approx((wr * 50 + (1 - wr) * 40, 80 / xi_hand(n)), rel=1e-12)
    # nothing to estimate from: no spread, no median, no n, or fewer than 2 people
    assert mean_sd_from_quantiles({"median": 40.0, "q1": 30.0}, n) is None
    assert mean_sd_from_quantiles({**row, "median": None}, n) is None
    assert mean_sd_from_quantiles(row, None) is None
    assert mean_sd_from_quantiles(row, 1) is None
    assert mean_sd_from_quantiles({"median": 0.0, "q1": 0.0, "q3": 0.0}, n) is None


def test_median_conversions_validate() -> None:
    with pytest.raises(ValueError, match=r"q1 must be <= median.*index 1"):
        mean_sd_from_median_iqr([1.0, 5.0], [2.0, 4.0], [3.0, 6.0], [20, 20])
    with pytest.raises(ValueError, match="n must be >= 2"):
        mean_sd_from_median_range([1.0], [2.0], [3.0], [1])
    with pytest.raises(ValueError, match="same length"):
        mean_sd_from_median_range([1.0, 2.0], [2.0, 3.0, 4.0], [3.0], [10])


# --- change scores ------------------------------------------------------------------------------


def test_sd_change_handbook_example() -> None:
    # Cochrane Handbook (5.1) 16.4.6.4: SDs 2.38 and 2.21 with r = 0.68
    sd = sd_change([2.38], [2.21], [0.68])[0]
    assert sd == pytest.approx(math.sqrt(2.38**2 + 2.21**2 - 2 * 0.68 * 2.38 * 2.21))
    assert sd == pytest.approx(1.84, abs=0.005)
    assert sd_change([2.0], [2.0], [1.0])[0] == 0.0
    assert sd_change([3.0], [4.0], [0.0])[0] == pytest.approx(5.0)
    with pytest.raises(ValueError, match=r"sd_post must be >= 0.*index 0"):
        sd_change([1.0], [-1.0], [0.5])
    with pytest.raises(ValueError, match="ri must lie"):
        sd_change([1.0], [1.0], [1.5])
    assert np.isnan(sd_change([1.0], [np.nan], [0.5])[0])


@settings(max_examples=60, deadline=None)
@given(s0=st.floats(0.1, 100), s1=st.floats(0.1, 100), r=st.floats(-1, 1))
def test_ri_from_sd_change_inverts_sd_change(s0, s1, r) -> None:
    back = ri_from_sd_change([s0], [s1], sd_change([s0], [s1], [r]))[0]
    assert back == pytest.approx(r, abs=1e-9 * (s0 / s1 + s1 / s0))


def test_combine_arm_changes() -> None:
    kw_t = {"m1i": [4.0], "m2i": [6.0], "sd1i": [2.0], "ni": [30], "ri": [0.5]}
    kw_c = {"m1i": [5.5], "m2i": [6.0], "sd1i": [2.1], "ni": [28], "ri": [0.6]}
    t, c = escalc("SMCR", **kw_t), escalc("SMCR", **kw_c)
    diff = combine_arm_changes(t, c)
    assert diff.yi[0] == pytest.approx(t.yi[0] - c.yi[0])
    assert diff.vi[0] == pytest.approx(t.vi[0] + c.vi[0])
    assert diff.ni[0] == 58 and diff.measure == "SMCR_diff"
    with pytest.raises(ValueError, match="different measures"):
        combine_arm_changes(
            t, escalc("MC", m1i=[1.0], m2i=[0.0], sd1i=[1.0], sd2i=[1.0], ni=[5], ri=[0.5])
        )


def test_combine_arm_changes_refuses_arms_of_different_studies() -> None:
    t = escalc("SMCR", m1i=[4.0, 3.0], m2i=[6.0, 5.0], sd1i=[2.0, 2.0], ni=[30, 20], ri=[0.5, 0.5])
    c = escalc("SMCR", m1i=[5.5], m2i=[6.0], sd1i=[2.1], ni=[28], ri=[0.6])
    with pytest.raises(ValueError, match="arms have different lengths: 2 vs 1"):
        combine_arm_changes(t, c)


def test_conversions_read_pandas_nullable_columns_and_refuse_text() -> None:
    """A nullable pandas column's <NA> is a missing value (nan), the others convert:
    SD = SE sqrt(n) = 2 sqrt(4) = 4."""
    pd = pytest.importorskip("pandas")
    sd = sd_from_se(pd.Series([2.0, None], dtype="Float64"), [4, 9])
    assert sd[0] == 4.0 and math.isnan(sd[1])
    with pytest.raises(ValueError, match=r"^se is not numeric: it holds text \('a'\)"):
        sd_from_se(["a"], [4])
    # numbers as text, which float() would parse, are refused alike, naming the argument
    with pytest.raises(ValueError, match=r"^n is not numeric: it holds text \('4'\)"):
        sd_from_se([2.0, 3.0], pd.Series(["4", "9"], dtype=object))
    with pytest.raises(ValueError, match=r"^ci_ub is not numeric: it holds text \('1.5'\)"):
        vi_from_ci([0.5, 0.8], ["1.5", "1.1"])


def test_sd_from_ci_mean_refuses_an_unknown_distribution() -> None:
    with pytest.raises(ValueError, match="dist must be 'auto', 't' or 'z', got 'normal'"):
        sd_from_ci_mean([1.0], [3.0], [20], dist="normal")  # type: ignore[arg-type]


def test_vi_from_ci_refuses_series_with_different_indexes() -> None:
    pd = pytest.importorskip("pandas")
    lb = pd.Series([0.5, 0.8, 0.6], index=[10, 11, 12])
    ub = pd.Series([1.5, 1.1, 2.0], index=[12, 10, 11])
    with pytest.raises(ValueError, match="vi_from_ci: ci_lb and ci_ub have different indexes"):
        vi_from_ci(lb, ub, transform="log")
    with pytest.raises(ValueError, match="vi_from_ci: ci_lb and estimate"):
        vi_from_ci(lb, ub.set_axis(lb.index), transform="log", estimate=pd.Series([0.9, 1.0, 1.1]))
    same = vi_from_ci(lb, ub.set_axis(lb.index), transform="log")
    assert same.sei[0] == pytest.approx(math.log(3.0) / (2 * PHI_INV(0.975)), rel=1e-12)
