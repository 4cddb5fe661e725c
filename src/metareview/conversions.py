"""Conversions from the forms studies report results in to what ``escalc`` needs.

Each function is vectorised over studies (array-likes in, numpy arrays out) and states
its formula and source. Functions that rest on an assumption (equal arm sizes, normality
of the outcome, a symmetric CI) say so in their result, so the pipeline can report it.

* d / t / p: :func:`smd_from_d`, :func:`smd_from_d_total_n`, :func:`smd_from_t`,
  :func:`d_from_t`, :func:`t_from_p`.
* SE / CI: :func:`sd_from_se`, :func:`sd_from_ci_mean`, :func:`vi_from_ci`.
* median, quartiles, range: :func:`mean_sd_from_median_iqr`,
  :func:`mean_sd_from_median_range`, :func:`mean_sd_from_five_number`.
* change scores: :func:`sd_change`, :func:`ri_from_sd_change`, :func:`combine_arm_changes`.

metafor 3.8-1 has no ``conv.fivenum``, ``conv.wald`` or ``conv.delta`` (they arrived in
later versions). The median/IQR/range and CI conversions are checked against the
published formulas and hand computations, and against ``conv.fivenum`` and ``conv.wald``
of a later metafor run on top of 3.8-1 (``tests/reference/make_conv_fixtures.R``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from metareview.arguments import alpha_from_level, check_aligned, refuse_text
from metareview.effects import EffectSizes, escalc, hedges_j

__all__ = [
    "CIConversion",
    "MeanSDEstimate",
    "SDEstimate",
    "SMDFromTotalN",
    "combine_arm_changes",
    "d_from_t",
    "hedges_j",
    "mean_sd_from_five_number",
    "mean_sd_from_median_iqr",
    "mean_sd_from_median_range",
    "mean_sd_from_quantiles",
    "ri_from_sd_change",
    "sd_change",
    "sd_from_ci_mean",
    "sd_from_se",
    "smd_from_d",
    "smd_from_d_total_n",
    "smd_from_t",
    "t_from_p",
    "vi_from_ci",
]

FloatArray = NDArray[np.float64]


def _arr(x: ArrayLike, name: str) -> FloatArray:
    refuse_text(x, name)  # float() parses "2.5": a column read as text passes unseen
    try:
        to_numpy = getattr(x, "to_numpy", None)  # pandas nullable columns hold <NA>
        if to_numpy is not None:
            x = to_numpy(dtype=float, na_value=np.nan)
        return np.atleast_1d(np.asarray(x, dtype=float))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric ({exc}).") from None


def _broadcast(**arrays: ArrayLike) -> list[FloatArray]:
    values = {name: _arr(v, name) for name, v in arrays.items()}
    try:
        out = np.broadcast_arrays(*values.values())
    except ValueError:
        shapes = ", ".join(f"{n}={v.shape[0]}" for n, v in values.items())
        raise ValueError(f"inputs are not all of the same length ({shapes}).") from None
    return [np.array(a, dtype=float) for a in out]


def _fail_rows(mask: NDArray[np.bool_], message: str, **columns: FloatArray) -> None:
    if not np.any(mask):
        return
    idx = np.flatnonzero(mask)
    shown = idx[:10]
    parts = []
    for i in shown:
        values = ", ".join(f"{name}={col[i]:g}" for name, col in columns.items())
        parts.append(f"index {i} ({values})")
    more = f" and {idx.size - shown.size} more" if idx.size > shown.size else ""
    raise ValueError(f"{message} Rows: {'; '.join(parts)}{more}.")


def _check_nonnegative(**arrays: FloatArray) -> None:
    for name, arr in arrays.items():
        with np.errstate(invalid="ignore"):
            _fail_rows(
                arr < 0, f"{name} must be >= 0 (a standard deviation or error).", **{name: arr}
            )


# ---------------------------------------------------------------------------------------
# d, t and p


def smd_from_d(d: ArrayLike, n1i: ArrayLike, n2i: ArrayLike, *, vtype: str = "LS") -> EffectSizes:
    """Hedges' g and its variance from a reported Cohen's d and the two arm sizes.

    This is metafor's ``escalc("SMD", di=d, n1i=, n2i=)``: the reported d is taken as
    *uncorrected*, ``yi = J(n1i + n2i - 2) d`` and ``vi`` by ``vtype`` (see
    :func:`metareview.effects.escalc`). If a study reports an already corrected g,
    pass ``g / J`` or enter it as ``yi``/``vi`` directly.

    References
    ----------
    Hedges LV (1981). J Educ Stat 6(2):107-128. Borenstein M et al. (2009). Introduction
    to Meta-Analysis, ch. 4.
    """
    return escalc("SMD", di=d, n1i=n1i, n2i=n2i, vtype=vtype)


@dataclass(frozen=True, eq=False)
class SMDFromTotalN:
    """Result of :func:`smd_from_d_total_n`: the effect sizes and the arm sizes assumed."""

    effects: EffectSizes
    n1i: FloatArray
    n2i: FloatArray
    assumption: str


def smd_from_d_total_n(d: ArrayLike, ni: ArrayLike, *, vtype: str = "LS") -> SMDFromTotalN:
    """Hedges' g from a reported Cohen's d when only the total sample size is known.

    **Assumption**: equal arms, ``n1i = n2i = ni/2`` (not rounded, so an odd total gives
    half-integer arm sizes). With ``ni`` fixed, equal arms minimise ``1/n1i + 1/n2i``, so
    the variance is the smallest one consistent with the total; unequal allocation would
    make it larger. The degrees of freedom ``ni - 2`` are right either way. The result
    carries the assumed arm sizes and a sentence stating the assumption.

    Formula: ``yi = J(ni - 2) d``; ``vi`` as :func:`smd_from_d` with ``n1i = n2i = ni/2``
    (e.g. ``LS``: ``4/ni + yi^2/(2 ni)``).
    """
    (d_arr, n_arr) = _broadcast(d=d, ni=ni)
    with np.errstate(invalid="ignore"):
        _fail_rows(n_arr <= 0, "ni must be > 0.", ni=n_arr)
    half = n_arr / 2.0
    effects = escalc("SMD", di=d_arr, n1i=half, n2i=half, vtype=vtype)
    return SMDFromTotalN(
        effects=effects,
        n1i=half,
        n2i=half.copy(),
        assumption="arm sizes not reported: assumed equal, n1i = n2i = N/2",
    )


def d_from_t(ti: ArrayLike, n1i: ArrayLike, n2i: ArrayLike) -> FloatArray:
    """Cohen's d (uncorrected) from an independent-samples t statistic.

    ``d = t sqrt(1/n1i + 1/n2i)`` - exact for the pooled-variance t test, whose
    statistic is ``t = (m1 - m2) / (sp sqrt(1/n1 + 1/n2))``. This is the conversion
    metafor applies to ``escalc(ti=)``; the sign of ``t`` gives the direction.

    References
    ----------
    Borenstein M et al. (2009). Introduction to Meta-Analysis, eq. 7.2 (rearranged).
    """
    t, n1, n2 = _broadcast(ti=ti, n1i=n1i, n2i=n2i)
    with np.errstate(divide="ignore", invalid="ignore"):
        return t * np.sqrt(1 / n1 + 1 / n2)


def smd_from_t(ti: ArrayLike, n1i: ArrayLike, n2i: ArrayLike, *, vtype: str = "LS") -> EffectSizes:
    """Hedges' g from an independent-samples t statistic (metafor's ``escalc(ti=)``).

    ``d = ti sqrt(1/n1i + 1/n2i)`` (:func:`d_from_t`), then ``yi = J(n1i + n2i - 2) d``.
    """
    return escalc("SMD", ti=ti, n1i=n1i, n2i=n2i, vtype=vtype)


def t_from_p(p: ArrayLike, df: ArrayLike, two_sided: bool = True) -> FloatArray:
    """The (positive) t statistic that gives p-value ``p`` with ``df`` degrees of freedom.

    Two-sided: ``t = qt(p/2, df, lower.tail=FALSE)``; one-sided: ``qt(p, df,
    lower.tail=FALSE)``. Evaluated as ``-stdtrit(df, p/2)`` so that tiny p-values keep
    full precision (no ``1 - p/2``). Where scipy's inversion breaks down (a tail below
    1e-100, where it returns half of the quantile or -inf for some df, or a quantile above
    1e150, where it stops near 4.7e153), t comes from
    :func:`~metareview.distributions.t_isf_log` with log(p/2) = log p - log 2, which
    solves the tail equation in logarithms. There the result agrees with the root of
    R's own log tail, ``pt(t, df, lower.tail=FALSE, log.p=TRUE) = log p``, to 6e-14 (p
    from 1e-101 to 5e-324 with df 1 to 1e6, and df 0.1 to 0.8 from p = 1e-3); it is
    ``inf`` only where the quantile exceeds the largest float (df = 1 below p = 1e-308).
    R's ``qt`` is itself less accurate out there: 7.6e-9 relative at df = 3, 9.2e-6 at
    df = 2.5 below p = 1e-250, 1e-2 at df = 1.5 below 1e-200, 5e-5 at df = 100 for
    p = 5e-324, and ``Inf`` where the quantile is a finite double (df = 2 at p = 1e-310,
    df < 1 from p = 1e-20, and a two-sided p = 5e-324, whose half rounds to 0 in R).

    The sign (direction of the effect) is the caller's: a p-value does not carry it. For
    ``df = n1i + n2i - 2`` this feeds :func:`smd_from_t`. A p reported as an inequality
    (``p < 0.05``) should be entered at its bound, which understates the effect (Cochrane
    Handbook 6.5.2.3).

    Returns ``nan`` where ``p`` is outside (0, 1] or ``df <= 0``.
    """
    from scipy.special import stdtrit

    from metareview.distributions import t_isf_log

    p_arr, df_arr = _broadcast(p=p, df=df)
    tail = p_arr / 2.0 if two_sided else p_arr
    with np.errstate(invalid="ignore"):
        valid = (p_arr > 0) & (p_arr <= 1) & (df_arr > 0)
        t = -stdtrit(np.where(valid, df_arr, 1.0), np.where(valid, tail, 0.5))
    # log p - log 2 rather than log(p/2): p/2 underflows to 0 for p = 5e-324
    far = valid & ~((tail >= 1e-100) & (t < 1e150))
    if np.any(far):
        with np.errstate(divide="ignore"):
            log_tail = np.log(p_arr[far]) - (math.log(2.0) if two_sided else 0.0)
        t[far] = t_isf_log(log_tail, df_arr[far])
    return np.where(valid, t, np.nan)


# ---------------------------------------------------------------------------------------
# standard errors and confidence intervals


def sd_from_se(se: ArrayLike, n: ArrayLike) -> FloatArray:
    """SD of a group from the standard error of its mean: ``SD = SE sqrt(n)``.

    References
    ----------
    Higgins JPT et al. (eds), Cochrane Handbook for Systematic Reviews of Interventions,
    version 6.4, section 6.5.2.2.
    """
    se_arr, n_arr = _broadcast(se=se, n=n)
    _check_nonnegative(se=se_arr)
    with np.errstate(invalid="ignore"):
        _fail_rows(n_arr <= 0, "n must be > 0.", n=n_arr)
    return se_arr * np.sqrt(n_arr)


@dataclass(frozen=True, eq=False)
class SDEstimate:
    """An estimated SD per row with the critical value used and a method label."""

    sd: FloatArray
    quantile: FloatArray
    method: str


def sd_from_ci_mean(
    ci_lb: ArrayLike,
    ci_ub: ArrayLike,
    n: ArrayLike,
    level: float = 95.0,
    dist: Literal["auto", "t", "z"] = "auto",
    large_n: float = 100,
) -> SDEstimate:
    """SD of a group from a confidence interval for its mean.

    ``SD = sqrt(n) (ci_ub - ci_lb) / (2 q)`` with ``q`` the ``1 - alpha/2`` quantile of
    the t distribution with ``n - 1`` degrees of freedom (``dist="t"``) or of the
    standard normal (``"z"``, the handbook's 3.92 = 2 x 1.96 for 95%). ``"auto"`` uses t
    for ``n < large_n`` and z from ``large_n`` on: the Cochrane Handbook (6.5.2.2) asks for
    t below about 60 per group, z above 100, either in between; software computes CIs of
    means with t, so t is kept up to 100. Assumes the CI is symmetric about the mean.

    Returns
    -------
    SDEstimate
        ``sd``, the ``quantile`` q used per row, and a ``method`` label.
    """
    from scipy.special import ndtri, stdtrit

    if dist not in ("auto", "t", "z"):
        raise ValueError(f"dist must be 'auto', 't' or 'z', got {dist!r}.")
    lb, ub, n_arr = _broadcast(ci_lb=ci_lb, ci_ub=ci_ub, n=n)
    with np.errstate(invalid="ignore"):
        _fail_rows(ub < lb, "ci_ub must be >= ci_lb.", ci_lb=lb, ci_ub=ub)
        _fail_rows(n_arr < 2, "n must be >= 2 to derive an SD from a CI.", n=n_arr)
    alpha = alpha_from_level(level)
    z = -ndtri(alpha / 2.0)
    with np.errstate(invalid="ignore"):
        t = -stdtrit(np.where(n_arr >= 2, n_arr - 1, 1.0), alpha / 2.0)
    if dist == "z":
        q = np.full_like(n_arr, z)
        rule = "normal quantile"
    elif dist == "t":
        q = np.where(np.isnan(n_arr), np.nan, t)
        rule = "t quantile, n-1 df"
    else:
        q = np.where(np.isnan(n_arr), np.nan, np.where(n_arr < large_n, t, z))
        rule = f"t quantile (n-1 df) for n < {large_n:g}, normal quantile otherwise"
    sd = np.sqrt(n_arr) * (ub - lb) / (2.0 * q)
    pct = 100.0 * (1.0 - alpha)
    return SDEstimate(
        sd=sd,
        quantile=q,
        method=f"SD from {pct:g}% CI of a mean, {rule} (Cochrane Handbook 6.5.2.2)",
    )


@dataclass(frozen=True, eq=False)
class CIConversion:
    """Result of :func:`vi_from_ci`.

    ``yi``, ``vi``, ``sei`` are on the analysis scale. ``asymmetry`` is
    ``|yi - midpoint| / half-width`` on that scale (0 = the estimate sits in the middle
    of the CI, 1 = on a limit); ``nan`` when no estimate was given.
    """

    yi: FloatArray
    vi: FloatArray
    sei: FloatArray
    asymmetry: FloatArray
    method: str


_TRANSFORMS: dict[str | None, tuple[Callable[[Any], Any], str]] = {
    None: (lambda x: x, "identity"),
    "identity": (lambda x: x, "identity"),
    "log": (np.log, "log"),
    "atanh": (np.arctanh, "atanh (Fisher z)"),
}


def vi_from_ci(
    ci_lb: ArrayLike,
    ci_ub: ArrayLike,
    level: float = 95.0,
    transform: Literal["log", "atanh", "identity"] | None = None,
    estimate: ArrayLike | None = None,
) -> CIConversion:
    """Effect size and sampling variance from a reported estimate and confidence interval.

    The interval is taken as a Wald interval, symmetric on the analysis scale:
    ``sei = (f(ci_ub) - f(ci_lb)) / (2 z_{1-alpha/2})``, ``vi = sei^2`` with ``f`` the
    transformation to that scale: ``"log"`` for ratio measures (OR, RR, HR, ROM reported
    as ratios), ``"atanh"`` for correlations, ``None``/``"identity"`` otherwise. ``yi`` is
    ``f(estimate)`` when the estimate is given, else the CI midpoint on the analysis
    scale. Reported intervals are rounded and not always Wald intervals, so the estimate
    is rarely exactly central; ``asymmetry = |f(estimate) - mid| / half-width`` measures
    how far off it is, for the caller to report or flag.

    The arguments are paired by position; pandas Series among them must share one
    index, else ``ValueError`` (pandas would pair them by label), as in ``rma``.

    References
    ----------
    Higgins JPT et al. (eds), Cochrane Handbook, version 6.4, sections 6.3.1 (CI to SE)
    and 6.3.2 (ratio measures on the log scale).
    """
    if transform not in _TRANSFORMS:
        raise ValueError(
            f"transform must be one of {sorted(map(str, _TRANSFORMS))}, got {transform!r}."
        )
    check_aligned({"ci_lb": ci_lb, "ci_ub": ci_ub, "estimate": estimate}, "vi_from_ci")
    f, label = _TRANSFORMS[transform]
    if estimate is None:
        lb, ub = _broadcast(ci_lb=ci_lb, ci_ub=ci_ub)
        est = np.full_like(lb, np.nan)
    else:
        lb, ub, est = _broadcast(ci_lb=ci_lb, ci_ub=ci_ub, estimate=estimate)
    with np.errstate(invalid="ignore"):
        _fail_rows(ub < lb, "ci_ub must be >= ci_lb.", ci_lb=lb, ci_ub=ub)
        if transform == "log":
            _fail_rows(
                (lb <= 0) | (ub <= 0) | (est <= 0),
                "ratio estimates and CI limits must be > 0 for transform='log'.",
                ci_lb=lb,
                ci_ub=ub,
                estimate=est,
            )
        if transform == "atanh":
            _fail_rows(
                (np.abs(lb) >= 1) | (np.abs(ub) >= 1) | (np.abs(est) >= 1),
                "correlations must lie in (-1, 1) for transform='atanh'.",
                ci_lb=lb,
                ci_ub=ub,
                estimate=est,
            )
    if estimate is not None:
        with np.errstate(invalid="ignore"):
            _fail_rows(
                (est < lb) | (est > ub),
                "estimate lies outside its CI.",
                estimate=est,
                ci_lb=lb,
                ci_ub=ub,
            )

    from scipy.special import ndtri

    alpha = alpha_from_level(level)
    z = -ndtri(alpha / 2.0)
    flb, fub = f(lb), f(ub)
    mid = (flb + fub) / 2.0
    half = (fub - flb) / 2.0
    sei = half / z
    fest = f(est)
    yi = np.where(np.isnan(est), mid, fest)
    with np.errstate(divide="ignore", invalid="ignore"):
        asym = np.where(half > 0, np.abs(fest - mid) / half, np.where(fest == mid, 0.0, np.nan))
    pct = 100.0 * (1.0 - alpha)
    # the Handbook's 6.3.1 is the interval of a difference, 6.3.2 a ratio's on the log scale
    section = "6.3.2" if transform == "log" else "6.3.1"
    return CIConversion(
        yi=yi,
        vi=sei**2,
        sei=sei,
        asymmetry=asym,
        method=f"SE from {pct:g}% CI, symmetric on the {label} scale (Cochrane Handbook {section})",
    )


# ---------------------------------------------------------------------------------------
# median, quartiles and range to mean and SD


@dataclass(frozen=True, eq=False)
class MeanSDEstimate:
    """Estimated mean and SD per row with a short label naming the methods."""

    mean: FloatArray
    sd: FloatArray
    method: str

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter((self.mean, self.sd, self.method))


def _xi(n: FloatArray) -> FloatArray:
    """Wan et al. (2014) ``xi(n) = 2 Phi^-1((n - 0.375)/(n + 0.25))`` (expected range / SD)."""
    from scipy.special import ndtri

    return 2.0 * ndtri((n - 0.375) / (n + 0.25))


def _eta(n: FloatArray) -> FloatArray:
    """Wan et al. (2014) ``eta(n) = 2 Phi^-1((0.75 n - 0.125)/(n + 0.25))`` (IQR / SD)."""
    from scipy.special import ndtri

    return 2.0 * ndtri((0.75 * n - 0.125) / (n + 0.25))


def _check_order(n: FloatArray, **ordered: FloatArray) -> None:
    names = list(ordered)
    cols = list(ordered.values())
    with np.errstate(invalid="ignore"):
        for (a, x), (b, y) in zip(zip(names, cols), zip(names[1:], cols[1:])):
            _fail_rows(x > y, f"{a} must be <= {b}.", **ordered)
        # below n = 2 the Wan et al. divisors are 0 (a single value has no spread)
        _fail_rows(n < 2, "n must be >= 2.", n=n)


def mean_sd_from_median_iqr(
    q1: ArrayLike, median: ArrayLike, q3: ArrayLike, n: ArrayLike
) -> MeanSDEstimate:
    """Mean and SD from the median, first and third quartiles and sample size.

    * mean, Luo et al. (2018), eq. 11 (scenario S2):
      ``mean = w (q1 + q3)/2 + (1 - w) median``, ``w = 0.7 + 0.39/n``.
    * SD, Wan et al. (2014), eq. 16: ``SD = (q3 - q1) / eta(n)``,
      ``eta(n) = 2 Phi^-1((0.75 n - 0.125)/(n + 0.25))``.

    Both assume a normally distributed outcome; a median and IQR are often reported
    because the data are skewed, in which case these are rough. No skewness test is
    applied.

    References
    ----------
    Luo D, Wan X, Liu J, Tong T (2018). Optimally estimating the sample mean from the
    sample size, median, mid-range, and/or mid-quartile range. Stat Methods Med Res
    27(6):1785-1805.
    Wan X, Wang W, Liu J, Tong T (2014). Estimating the sample mean and standard deviation
    from the sample size, median, range and/or interquartile range. BMC Med Res Methodol
    14:135.
    """
    a1, m, a3, n_arr = _broadcast(q1=q1, median=median, q3=q3, n=n)
    _check_order(n_arr, q1=a1, median=m, q3=a3)
    w = 0.7 + 0.39 / n_arr
    mean = w * (a1 + a3) / 2.0 + (1.0 - w) * m
    sd = (a3 - a1) / _eta(n_arr)
    return MeanSDEstimate(mean, sd, "median/IQR to mean/SD, Luo 2018 (mean), Wan 2014 (SD)")


def mean_sd_from_median_range(
    minimum: ArrayLike, median: ArrayLike, maximum: ArrayLike, n: ArrayLike
) -> MeanSDEstimate:
    """Mean and SD from the median, minimum, maximum and sample size.

    * mean, Luo et al. (2018), eq. 7 (scenario S1):
      ``mean = w (min + max)/2 + (1 - w) median``, ``w = 4 / (4 + n^0.75)``.
    * SD, Wan et al. (2014), eq. 9: ``SD = (max - min) / xi(n)``,
      ``xi(n) = 2 Phi^-1((n - 0.375)/(n + 0.25))``.

    Assumes normality (the range is sensitive to outliers and skew). References as
    :func:`mean_sd_from_median_iqr`.
    """
    a, m, b, n_arr = _broadcast(minimum=minimum, median=median, maximum=maximum, n=n)
    _check_order(n_arr, minimum=a, median=m, maximum=b)
    w = 4.0 / (4.0 + n_arr**0.75)
    mean = w * (a + b) / 2.0 + (1.0 - w) * m
    sd = (b - a) / _xi(n_arr)
    return MeanSDEstimate(mean, sd, "median/range to mean/SD, Luo 2018 (mean), Wan 2014 (SD)")


def mean_sd_from_five_number(
    minimum: ArrayLike,
    q1: ArrayLike,
    median: ArrayLike,
    q3: ArrayLike,
    maximum: ArrayLike,
    n: ArrayLike,
) -> MeanSDEstimate:
    """Mean and SD from the five-number summary (min, q1, median, q3, max) and n.

    * mean, Luo et al. (2018), eq. 15 (scenario S3):
      ``mean = w1 (min + max)/2 + w2 (q1 + q3)/2 + (1 - w1 - w2) median`` with
      ``w1 = 2.2 / (2.2 + n^0.75)``, ``w2 = 0.7 - 0.72 / n^0.55``.
    * SD, Shi et al. (2020), eq. 10:
      ``SD = w (max - min)/xi(n) + (1 - w) (q3 - q1)/eta(n)``, ``w = 1/(1 + 0.07 n^0.6)``,
      with Wan et al.'s ``xi`` and ``eta`` (see :func:`mean_sd_from_median_iqr`).

    Assumes normality. No skewness test is applied.

    References
    ----------
    Luo et al. (2018), as :func:`mean_sd_from_median_iqr`.
    Shi J, Luo D, Weng H, Zeng X-T, Lin L, Chu H, Tong T (2020). Optimally estimating the
    sample standard deviation from the five-number summary. Res Synth Methods
    11(5):641-654.
    """
    a, a1, m, a3, b, n_arr = _broadcast(
        minimum=minimum, q1=q1, median=median, q3=q3, maximum=maximum, n=n
    )
    _check_order(n_arr, minimum=a, q1=a1, median=m, q3=a3, maximum=b)
    w1 = 2.2 / (2.2 + n_arr**0.75)
    w2 = 0.7 - 0.72 / n_arr**0.55
    mean = w1 * (a + b) / 2.0 + w2 * (a1 + a3) / 2.0 + (1.0 - w1 - w2) * m
    w = 1.0 / (1.0 + 0.07 * n_arr**0.6)
    sd = w * (b - a) / _xi(n_arr) + (1.0 - w) * (a3 - a1) / _eta(n_arr)
    return MeanSDEstimate(
        mean, sd, "five-number summary to mean/SD, Luo 2018 (mean), Shi 2020 (SD)"
    )


def mean_sd_from_quantiles(row: Mapping[str, Any], n: float | None) -> tuple[float, float, str] | None:
    """The mean and SD a row's median and quartiles or range imply, with how, or None.

    The five-number summary when the row gives it (Luo et al. 2018 for the mean, Shi et al.
    2020 for the SD), else the median with the quartiles, else with the range (Luo et al.
    2018; Wan et al. 2014), from the functions above. Each assumes a roughly
    normal outcome; a median is often reported because the data are skewed (Cochrane
    Handbook 6.5.2.5), which is why the conversion is the review's choice
    (``effects.median_to_mean``) and flagged wherever used. None without a median, without
    quartiles or range, with quartiles or a range of zero width (no spread to estimate an SD
    from), or with fewer than 2 participants.
    """
    median = row.get("median")
    if median is None or n is None or n < 2:
        return None
    q1, q3, lo, hi = (row.get(k) for k in ("q1", "q3", "min", "max"))
    if q1 is not None and q3 is not None and lo is not None and hi is not None:
        est = mean_sd_from_five_number([lo], [q1], [median], [q3], [hi], [n])
    elif q1 is not None and q3 is not None:
        est = mean_sd_from_median_iqr([q1], [median], [q3], [n])
    elif lo is not None and hi is not None:
        est = mean_sd_from_median_range([lo], [median], [hi], [n])
    else:
        return None
    mean, sd = float(est.mean[0]), float(est.sd[0])
    # Quartiles or a range of zero width ("0 (0-0)", common for skewed outcomes) say
    # nothing of the spread: an SD of 0 would give the study unbounded weight.
    if not (math.isfinite(mean) and math.isfinite(sd)) or sd <= 0:
        return None
    return mean, sd, est.method


# ---------------------------------------------------------------------------------------
# change scores


def sd_change(sd_pre: ArrayLike, sd_post: ArrayLike, ri: ArrayLike) -> FloatArray:
    """SD of the change from baseline given baseline and final SDs and their correlation.

    ``SD_change = sqrt(sd_pre^2 + sd_post^2 - 2 ri sd_pre sd_post)`` (variance of a
    difference). ``ri`` is usually imputed from other studies; vary it in a sensitivity
    analysis.

    References
    ----------
    Cochrane Handbook, version 6.4, section 6.5.2.8. Follmann D, Elliott P, Suh I,
    Cutler J (1992). Variance imputation for overviews of clinical trials with continuous
    response. J Clin Epidemiol 45(7):769-773.
    """
    s0, s1, r = _broadcast(sd_pre=sd_pre, sd_post=sd_post, ri=ri)
    _check_nonnegative(sd_pre=s0, sd_post=s1)
    with np.errstate(invalid="ignore"):
        _fail_rows(np.abs(r) > 1, "ri must lie in [-1, 1].", ri=r)
        # rounding can push a variance of ~0 slightly below zero
        var = np.maximum(s0**2 + s1**2 - 2.0 * r * s0 * s1, 0.0)
    return np.where(_anynan(s0, s1, r), np.nan, np.sqrt(var))


def ri_from_sd_change(sd_pre: ArrayLike, sd_post: ArrayLike, sd_chg: ArrayLike) -> FloatArray:
    """Pre/post correlation implied by baseline, final and change SDs.

    ``ri = (sd_pre^2 + sd_post^2 - sd_change^2) / (2 sd_pre sd_post)`` (Cochrane Handbook
    6.5.2.8), the inverse of :func:`sd_change`. Values outside [-1, 1] mean the three SDs
    are inconsistent and are returned as they are, for the caller to flag.
    """
    s0, s1, sc = _broadcast(sd_pre=sd_pre, sd_post=sd_post, sd_change=sd_chg)
    _check_nonnegative(sd_pre=s0, sd_post=s1, sd_change=sc)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (s0**2 + s1**2 - sc**2) / (2.0 * s0 * s1)


def _anynan(*arrays: FloatArray) -> NDArray[np.bool_]:
    out = np.zeros(arrays[0].shape, dtype=bool)
    for a in arrays:
        out |= np.isnan(a)
    return out


def combine_arm_changes(treatment: EffectSizes, control: EffectSizes) -> EffectSizes:
    """Between-arm difference of within-arm standardized mean changes.

    ``yi = yi_t - yi_c``, ``vi = vi_t + vi_c`` (independent arms), for two
    ``escalc("SMCR", ...)`` (or ``SMCC``, ``MC``) results of the same studies: the
    controlled pre/post design of Becker (1988) and Morris (2008), which standardizes
    each arm by its own pre-test SD.

    References
    ----------
    Becker BJ (1988). Synthesizing standardized mean-change measures. Br J Math Stat
    Psychol 41:257-278. Morris SB (2008). Estimating effect sizes from pretest-posttest-
    control group designs. Organ Res Methods 11(2):364-386.
    """
    if treatment.measure != control.measure:
        raise ValueError(
            f"arms use different measures: {treatment.measure!r} vs {control.measure!r}."
        )
    if treatment.k != control.k:
        raise ValueError(f"arms have different lengths: {treatment.k} vs {control.k}.")
    return EffectSizes(
        yi=treatment.yi - control.yi,
        vi=treatment.vi + control.vi,
        measure=f"{treatment.measure}_diff",
        ni=treatment.ni + control.ni,
        vtype=tuple(t if t == c else f"{t}/{c}" for t, c in zip(treatment.vtype, control.vtype)),
        warnings=treatment.warnings + control.warnings,
    )
