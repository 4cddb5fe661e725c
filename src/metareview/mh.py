r"""Mantel-Haenszel and Peto pooling of 2x2 tables.

:func:`rma_mh` and :func:`rma_peto` mirror metafor 3.8-1's ``rma.mh`` and ``rma.peto``:
equal-effects pooling of k 2x2 tables that works on the tables' counts rather than on
each study's effect size and its variance, and so keeps studies with few events or
zero cells (where the inverse-variance weights of :func:`~metareview.pool.rma` rest on
a continuity correction) at their weight in the data.

Table i has ``ai`` events and ``bi`` non-events in the first (treated) group of
n1i = ai + bi, ``ci`` and ``di`` in the second of n2i = ci + di, and Ni = n1i + n2i.

- :func:`rma_mh`: the Mantel-Haenszel estimate of a common odds ratio, risk ratio or
  risk difference (Mantel & Haenszel 1959; Greenland & Robins 1985) with the variances
  of Robins, Breslow & Greenland (1986), Greenland & Robins (1985) and Sato, Greenland &
  Robins (1989); for the odds ratio also the Cochran-Mantel-Haenszel test of no
  association and Tarone's (1985) test of heterogeneity.
- :func:`rma_peto`: Peto's one-step estimate of a common log odds ratio (Yusuf et al.
  1985) and its heterogeneity statistic.

:func:`rma_mh` also gives Cochran's Q, I^2 and H^2 of the studies' own effect sizes
(``escalc``'s ``yi`` and ``vi``, with its continuity correction) about the pooled one;
:func:`rma_peto` gives Peto's heterogeneity statistic over the pooled tables,
sum((a_i - E_i)^2 / V_i) - (sum(a_i - E_i))^2 / sum(V_i), with I^2 and H^2 from it, as
metafor does. Each result is a
frozen dataclass with metafor's names, ``to_dict()`` for JSON output and ``summary()``
(also ``str()`` and a notebook's display) for what metafor's ``print`` shows.

References
----------
Mantel N, Haenszel W (1959). Statistical aspects of the analysis of data from
retrospective studies of disease. Journal of the National Cancer Institute
22(4):719-748.
Greenland S, Robins JM (1985). Estimation of a common effect parameter from sparse
follow-up data. Biometrics 41(1):55-68.
Robins J, Breslow N, Greenland S (1986). Estimators of the Mantel-Haenszel variance
consistent in both sparse data and large-strata limiting models. Biometrics
42(2):311-323.
Sato T, Greenland S, Robins JM (1989). On the variance estimator for the Mantel-Haenszel
risk difference. Biometrics 45(4):1323-1324.
Tarone RE (1985). On heterogeneity tests based on efficient scores. Biometrika
72(1):91-95.
Yusuf S, Peto R, Lewis J, Collins R, Sleight P (1985). Beta blockade during and after
myocardial infarction: an overview of the randomized trials. Progress in Cardiovascular
Diseases 27(5):335-371.
Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. Journal of
Statistical Software 36(3):1-48.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from metareview import distributions as dist
from metareview.arguments import alpha_from_level, check_aligned, level_percent, refuse_text
from metareview.bias import _fcf, _max0, _p_eq, _Printed, _ToDict

__all__ = ["MHResult", "PetoResult", "rma_mh", "rma_peto"]

#: The measures :func:`rma_mh` pools.
MH_MEASURES = ("OR", "RR", "RD")

_TO = ("all", "only0", "if0all", "none")
_MSG_NA_TABLES = "Tables with NAs omitted from model fitting."
_MSG_NA_YIVI = "Some yi/vi values are NA."


# --------------------------------------------------------------------------- arguments


def _pair(value: Any, second: Any, name: str) -> tuple[Any, Any]:
    """metafor's one-or-two-valued ``add``, ``to`` and ``drop00``: the first value is
    escalc's (the studies' yi/vi), the second the pooled tables'; one value is escalc's,
    with ``second`` for the tables."""
    if isinstance(value, (str, bool, int, float, np.bool_, np.number)):
        return value, second
    try:
        items = list(value)
    except TypeError:
        raise ValueError(f"{name} must be one value or two, got {value!r}") from None
    if len(items) == 1:
        return items[0], second
    if len(items) != 2:
        # metafor: "Argument 'add' should specify one or two values (see 'help(rma.mh)')."
        raise ValueError(
            f"{name} must be one value or two (the studies' yi/vi, then the pooled tables), "
            f"got {value!r}"
        )
    return items[0], items[1]


def _settings(
    add: Any, to: Any, drop00: Any
) -> tuple[tuple[float, float], tuple[str, str], tuple[bool, bool]]:
    a = _pair(add, 0.0, "add")
    t = _pair(to, "none", "to")
    d = _pair(drop00, False, "drop00")
    try:
        adds = (float(a[0]), float(a[1]))
    except (TypeError, ValueError):
        raise ValueError(f"add must be numbers, got {add!r}") from None
    if not all(math.isfinite(x) for x in adds):
        raise ValueError(f"add must be finite, got {add!r}")
    for rule in t:
        if rule not in _TO:
            raise ValueError(f"Unknown 'to' argument specified: {rule!r}; expected one of {_TO}.")
    for flag in d:
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"drop00 must be True or False (or two of them), got {drop00!r}")
    return adds, (str(t[0]), str(t[1])), (bool(d[0]), bool(d[1]))


def _column(x: Any, name: str) -> np.ndarray | None:
    if x is None:
        return None
    refuse_text(x, name)
    try:
        arr = np.asarray(x.to_numpy() if hasattr(x, "to_numpy") else x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None
    return np.atleast_1d(arr).ravel()


def _tables(
    caller: str, ai: Any, bi: Any, ci: Any, di: Any, n1i: Any, n2i: Any
) -> tuple[dict[str, Any], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """The arguments for escalc and the four cells of each table (bi = n1i - ai and
    di = n2i - ci where only the group sizes are given, as metafor's)."""
    given = {"ai": ai, "bi": bi, "ci": ci, "di": di, "n1i": n1i, "n2i": n2i}
    check_aligned({k: v for k, v in given.items() if v is not None}, caller)
    cols = {k: _column(v, k) for k, v in given.items()}
    if cols["ai"] is None or cols["ci"] is None or (cols["bi"] is None and cols["n1i"] is None) or (
        cols["di"] is None and cols["n2i"] is None
    ):
        raise ValueError(f"{caller} needs ai, bi, ci and di (or ai, ci, n1i and n2i)")
    args = {k: v for k, v in cols.items() if v is not None}
    sizes = {k: v.size for k, v in args.items()}
    if len(set(sizes.values())) != 1:
        raise ValueError(f"{caller}: the columns differ in length: {sizes}")
    a, c = cols["ai"], cols["ci"]
    assert a is not None and c is not None
    b = cols["bi"] if cols["bi"] is not None else cols["n1i"] - a  # type: ignore[operator]
    d = cols["di"] if cols["di"] is not None else cols["n2i"] - c  # type: ignore[operator]
    if cols["bi"] is not None and cols["n1i"] is not None:
        b = np.where(np.isnan(b), cols["n1i"] - a, b)
    if cols["di"] is not None and cols["n2i"] is not None:
        d = np.where(np.isnan(d), cols["n2i"] - c, d)
    # copies: the fit keeps them (``cells``), read-only, apart from the caller's arrays
    return args, (a.copy(), np.array(b, dtype=float), c.copy(), np.array(d, dtype=float))


def _slab(slab: Any, k: int, caller: str) -> tuple[str, ...]:
    if slab is None:
        return tuple(str(i + 1) for i in range(k))
    labels = list(slab.to_numpy() if hasattr(slab, "to_numpy") else slab)
    if len(labels) != k:
        raise ValueError(f"{caller}: slab has {len(labels)} labels for {k} tables")
    if any(lab is None or (isinstance(lab, float) and math.isnan(lab)) for lab in labels):
        raise ValueError(f"{caller}: slab has missing labels")
    return tuple(str(lab) for lab in labels)


def _pooled_cells(
    cells: tuple[np.ndarray, ...], add: float, to: str, drop00: bool, stacklevel: int
) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """The tables pooled: those with a missing count left out (with metafor's warning),
    and double-zero tables too under drop00; then ``add`` added to every cell as ``to``
    says (metafor's second ``add``/``to``, 0 and "none" unless given)."""
    a, b, c, d = cells
    with np.errstate(invalid="ignore"):
        keep = ~(np.isnan(a) | np.isnan(b) | np.isnan(c) | np.isnan(d))
        if drop00:
            keep &= ~(((a == 0) & (c == 0)) | ((b == 0) & (d == 0)))
    if not np.all(keep):
        warnings.warn(_MSG_NA_TABLES, stacklevel=stacklevel)
    kept = [x[keep] for x in cells]
    if not keep.any():
        raise ValueError(
            "Processing terminated since k = 0: no table without missing counts to pool"
        )
    if to == "all":
        rows = np.ones(kept[0].size, dtype=bool)
    elif to in ("only0", "if0all"):
        rows = (kept[0] == 0) | (kept[1] == 0) | (kept[2] == 0) | (kept[3] == 0)
        if to == "if0all":
            rows = np.full(rows.size, bool(rows.any()))
    else:
        rows = np.zeros(kept[0].size, dtype=bool)
    return tuple(np.where(rows, x + add, x) for x in kept), keep


def _studies(
    yi: np.ndarray, vi: np.ndarray, stacklevel: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The studies' yi/vi without the missing ones (with metafor's warning)."""
    ok = ~(np.isnan(yi) | np.isnan(vi))
    if not np.all(ok):
        warnings.warn(_MSG_NA_YIVI, stacklevel=stacklevel)
    return yi[ok], vi[ok], ok


def _chi2_upper(x: float, df: int) -> float:
    """R's ``pchisq(x, df, lower.tail = FALSE)`` also for df = 0 (a point mass at 0:
    1 at x = 0, else 0) and df < 0 (NaN)."""
    if math.isnan(x) or df < 0:
        return math.nan
    if df == 0:
        return 1.0 if x <= 0 else 0.0
    return float(dist.chi2_sf(x, df))


def _i2_h2(QE: float, df: int) -> tuple[float, float]:
    """I^2 = max(0, 100 (Q - df)/Q) and H^2 = Q/df in R's floating point: 0 for Q = 0 <
    df, NaN for 0/0, infinite H^2 for df = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.float64(QE)
        return _max0(float(100.0 * (q - df) / q)), float(q / np.float64(df))


def _heterogeneity(
    yi: np.ndarray, vi: np.ndarray, beta: float
) -> tuple[float, float, float, float]:
    """Cochran's Q of the studies' yi about the pooled estimate with weights 1/vi, its
    p-value on k.yi - 1 df, I^2 = max(0, 100 (Q - (k.yi - 1))/Q) and H^2 = Q/(k.yi - 1);
    with fewer than two studies 0, 1, 0 and 1, as metafor."""
    k = yi.size
    if k <= 1:
        return 0.0, 1.0, 0.0, 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        QE = _max0(float(np.sum(1.0 / vi * (yi - beta) ** 2)))
    return (QE, _chi2_upper(QE, k - 1), *_i2_h2(QE, k - 1))


def _wald(beta: float, se: float, level: float) -> tuple[float, float, float, float]:
    if math.isnan(beta) or math.isnan(se):
        return math.nan, math.nan, math.nan, math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        zval = float(np.float64(beta) / se)
    crit = float(dist.norm_isf(alpha_from_level(level) / 2))
    return zval, float(dist.two_sided_norm_p(zval)), beta - crit * se, beta + crit * se


# --------------------------------------------------------------------------- printing


def _p_add0(p: float, digits: int) -> str:
    """metafor's ``.pval(p, showeq = TRUE, sep = " ", add0 = TRUE)``: ``< 0.0001``."""
    text = _p_eq(p, digits)
    return text.replace("< .", "< 0.")


def _heterogeneity_lines(I2: float, H2: float, QE: float, QEp: float, df: int, d: int) -> list[str]:
    lines = []
    if not math.isnan(I2):
        lines.append(f"I^2 (total heterogeneity / total variability):  {_fcf(I2, 2)}%")
    if not math.isnan(H2):
        lines.append(f"H^2 (total variability / sampling variability): {_fcf(H2, 2)}")
    if not math.isnan(QE):
        lines += [
            "",
            "Test for Heterogeneity:",
            f"Q(df = {df}) = {_fcf(QE, d)}, p-val {_p_eq(QEp, d)}",
        ]
    if lines:
        lines.append("")
    return lines


def _model_lines(beta: float, se: float, zval: float, pval: float, lb: float, ub: float,
                 measure: str, ratio: bool, d: int) -> list[str]:  # fmt: skip
    from metareview.pool import _fmt_p, _table

    row = [_fcf(beta, d), _fcf(se, d), _fcf(zval, d), _fmt_p(pval, d), _fcf(lb, d), _fcf(ub, d)]
    header = ["estimate", "se", "zval", "pval", "ci.lb", "ci.ub"]
    if not ratio:
        return ["Model Results:", "", *_table(header, [row], None)]
    exp_row = [_fcf(math.exp(x) if not math.isnan(x) else x, d) for x in (beta, lb, ub)]
    return [
        "Model Results (log scale):", "", *_table(header, [row], None), "",
        f"Model Results ({measure} scale):", "",
        *_table(["estimate", "ci.lb", "ci.ub"], [exp_row], None),
    ]  # fmt: skip


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, eq=False)
class _Pooled(_Printed, _ToDict):
    """Fields common to :class:`MHResult` and :class:`PetoResult`."""

    beta: float
    se: float
    zval: float
    pval: float
    ci_lb: float
    ci_ub: float
    QE: float
    QEp: float
    I2: float
    H2: float
    k: int
    k_yi: int
    k_pos: int | None
    yi: np.ndarray
    vi: np.ndarray
    not_na: np.ndarray
    not_na_yivi: np.ndarray
    slab: tuple[str, ...]
    level: float
    add: tuple[float, float]
    to: tuple[str, str]
    drop00: tuple[bool, bool]
    digits: int
    #: the four cells (ai, bi, ci, di) of every table given, missing ones and all, as
    #: metafor keeps them (its ``outdat.f``): what the leave-one-out refits of
    #: ``rstudent`` and ``baujat`` pool again; not part of :meth:`to_dict`
    cells: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] = field(kw_only=True, repr=False)

    _skip = ("cells",)

    def __post_init__(self) -> None:
        for name in ("yi", "vi", "not_na", "not_na_yivi"):
            getattr(self, name).setflags(write=False)
        for cell in self.cells:
            cell.setflags(write=False)

    @property
    def b(self) -> float:
        """``beta``, under metafor's other name for it."""
        return self.beta

    @property
    def estimate(self) -> float:
        """``beta``: the pooled estimate (log scale for odds and risk ratios)."""
        return self.beta

    @property
    def tau2(self) -> float:
        """0: an equal-effects model, as metafor's ``tau2``."""
        return 0.0

    @property
    def method(self) -> str:
        """``"FE"``, metafor's ``method`` of these fits."""
        return "FE"


@dataclass(frozen=True, eq=False)
class MHResult(_Pooled):
    r"""A Mantel-Haenszel fit (metafor's ``rma.mh``).

    ``beta`` is the pooled log odds ratio, log risk ratio (``measure`` "OR", "RR") or
    risk difference ("RD"), with ``se``, ``zval``, two-sided ``pval`` and the Wald
    interval ``ci_lb``, ``ci_ub`` at ``level`` percent (NaN, metafor's NA, where the
    estimate is undefined). ``QE`` (on ``k_yi`` - 1 df), ``QEp``, ``I2`` and ``H2`` come
    from the studies' escalc'd ``yi`` and ``vi``. ``k`` tables were pooled (``not_na``
    marks them among those given, labelled ``slab``), ``k_yi`` studies had a ``yi``
    (``not_na_yivi``). For the odds ratio: ``CO``/``COp`` Cochran's and ``MH``/``MHp``
    the Cochran-Mantel-Haenszel test of no association (``CMH``), with continuity
    correction when ``correct``; ``BD``/``BDp`` the Breslow-Day and ``TA``/``TAp``
    Tarone's test of heterogeneity on ``k_pos`` - 1 df, ``k_pos`` the tables that enter
    them. For RR and RD these are NaN and ``k_pos`` None, as metafor's NA.
    """

    measure: str
    correct: bool
    MH: float
    MHp: float
    CO: float
    COp: float
    BD: float
    BDp: float
    TA: float
    TAp: float

    @property
    def CMH(self) -> float:
        """``MH``: the Cochran-Mantel-Haenszel statistic, as metafor prints it."""
        return self.MH

    @property
    def CMHp(self) -> float:
        """``MHp``: the p-value of the Cochran-Mantel-Haenszel test."""
        return self.MHp

    def summary(self, digits: int | None = None) -> str:
        """The fit as metafor's ``print.rma.mh`` shows it: I^2, H^2, the Q test, the
        estimate (on the log and the ratio scale for OR and RR) and, for OR, the
        Cochran-Mantel-Haenszel and Tarone tests."""
        d = int(self.digits if digits is None else digits)
        lines = [f"Equal-Effects Model (k = {self.k})", ""]
        lines += _heterogeneity_lines(self.I2, self.H2, self.QE, self.QEp, max(self.k_yi - 1, 0), d)
        ratio = self.measure in ("OR", "RR")
        lines += _model_lines(self.beta, self.se, self.zval, self.pval, self.ci_lb, self.ci_ub,
                              self.measure, ratio, d)  # fmt: skip
        if self.measure == "OR":
            mh = None if math.isnan(self.MH) else _fcf(self.MH, d)
            ta = None if math.isnan(self.TA) else _fcf(self.TA, d)
            # metafor formats the two statistics together, so a printed one is padded to
            # the other's width, a missing one's being that of "NA"
            width = max(len(mh or "NA"), len(ta or "NA"))
            k_pos = self.k_pos or 0
            lines.append("")
            if mh is None:
                lines.append(
                    "Cochran-Mantel-Haenszel Test:    test value not computable for these data"
                )
            else:
                pad = " " * (len(str(k_pos)) - 1)
                lines.append(f"Cochran-Mantel-Haenszel Test:    CMH = {mh.rjust(width)}, "
                             f"df = 1,{pad} p-val {_p_add0(self.MHp, d)}")  # fmt: skip
            if ta is None:
                lines.append(
                    "Tarone's Test for Heterogeneity: test value not computable for these data"
                )
            else:
                lines.append(f"Tarone's Test for Heterogeneity: X^2 = {ta.rjust(width)}, "
                             f"df = {k_pos - 1}, p-val {_p_add0(self.TAp, d)}")  # fmt: skip
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class PetoResult(_Pooled):
    r"""A fit by Peto's method (metafor's ``rma.peto``).

    ``beta`` is Peto's pooled log odds ratio, with ``se``, ``zval``, two-sided ``pval``
    and the Wald interval ``ci_lb``, ``ci_ub`` at ``level`` percent. ``QE`` is Peto's
    heterogeneity statistic over the ``k_pos`` tables of positive variance V_i, with
    ``QEp`` on ``k_yi`` - 1 df (metafor's, which prints k_pos - 1), ``I2`` and ``H2``.
    ``k`` tables were pooled (``not_na``), ``k_yi`` studies had a Peto ``yi``
    (``not_na_yivi``), ``yi`` = (a_i - E_i)/V_i and ``vi`` = 1/V_i with escalc's
    continuity correction.
    """

    @property
    def measure(self) -> str:
        """``"PETO"``, metafor's ``measure`` of these fits."""
        return "PETO"

    def summary(self, digits: int | None = None) -> str:
        """The fit as metafor's ``print.rma.peto`` shows it: I^2, H^2, the Q test and the
        estimate on the log and the odds ratio scale."""
        d = int(self.digits if digits is None else digits)
        lines = [f"Equal-Effects Model (k = {self.k})", ""]
        lines += _heterogeneity_lines(self.I2, self.H2, self.QE, self.QEp, (self.k_pos or 0) - 1, d)
        lines += _model_lines(
            self.beta, self.se, self.zval, self.pval, self.ci_lb, self.ci_ub, "OR", True, d
        )
        return "\n".join(lines)


# --------------------------------------------------------------------------- fits


def _mh_or(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray,
           correct: bool) -> dict[str, Any]:  # fmt: skip
    n1, n2 = a + b, c + d
    N = n1 + n2
    with np.errstate(divide="ignore", invalid="ignore"):
        P = a / N + d / N
        Q = b / N + c / N
        Ri = (a / N) * d
        Si = (b / N) * c
        R, S = float(np.sum(Ri)), float(np.sum(Si))
        out: dict[str, Any] = {}
        if R == 0 or S == 0:
            psi = beta = se = math.nan
        else:
            psi = R / S
            beta = math.log(psi) if psi > 0 else math.nan
            se = math.sqrt(0.5 * (float(np.sum(P * Ri)) / R**2
                                  + float(np.sum(P * Si + Q * Ri)) / (R * S)
                                  + float(np.sum(Q * Si)) / S**2))  # fmt: skip
        out.update(beta=beta, se=se)
        xt, yt = a + c, b + d
        cc = 0.5 if correct else 0.0
        if float(np.sum(xt)) == 0 or float(np.sum(yt)) == 0:
            out.update(CO=math.nan, COp=math.nan, MH=math.nan, MHp=math.nan)
        else:
            dev = (abs(float(np.sum(a - (n1 / N) * xt))) - cc) ** 2
            CO = dev / float(np.sum((n1 / N) * (n2 / N) * (xt * (yt / N))))
            MH = dev / float(np.sum((n1 / N) * (n2 / N) * (xt * (yt / (N - 1)))))
            out.update(CO=CO, COp=float(dist.chi2_sf(CO, 1)), MH=MH, MHp=float(dist.chi2_sf(MH, 1)))
        if math.isnan(beta):
            out.update(BD=math.nan, BDp=math.nan, TA=math.nan, TAp=math.nan, k_pos=0)
            return out
        # the expected count of the first cell at the common odds ratio psi, the root in
        # (0, min(n1, xt)) of the quadratic N11 (n2 - xt + N11) = psi (n1 - N11)(xt - N11)
        if psi == 1:
            N11 = (n1 / N) * xt
        else:
            A = psi * (n1 + xt) + (n2 - xt)
            B = np.sqrt(A**2 - 4 * n1 * xt * psi * (psi - 1))
            N11 = (A - B) / (2 * (psi - 1))
        pos = (N11 > 0) & (xt > 0) & (yt > 0)
        k_pos = int(np.sum(pos))
        N11 = N11[pos]
        N12 = n1[pos] - N11
        N21 = xt[pos] - N11
        N22 = N11 - n1[pos] - xt[pos] + N[pos]
        inv = 1 / N11 + 1 / N12 + 1 / N21 + 1 / N22  # 1/variance of the first cell
        dev_i = a[pos] - N11
        BD = _max0(float(np.sum(dev_i**2 / inv**-1)))
        TA = _max0(BD - float(np.sum(dev_i)) ** 2 / float(np.sum(inv**-1)))
    if k_pos > 1:
        BDp, TAp = float(dist.chi2_sf(BD, k_pos - 1)), float(dist.chi2_sf(TA, k_pos - 1))
    else:
        BDp = TAp = math.nan
    out.update(BD=BD, BDp=BDp, TA=TA, TAp=TAp, k_pos=k_pos)
    return out


def _mh_rr(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> tuple[float, float]:
    n1, n2 = a + b, c + d
    N = n1 + n2
    with np.errstate(divide="ignore", invalid="ignore"):
        R = float(np.sum(a * (n2 / N)))
        S = float(np.sum(c * (n1 / N)))
        if float(np.sum(a)) == 0 or float(np.sum(c)) == 0:
            return math.nan, math.nan
        var = float(np.sum((n1 / N) * (n2 / N) * (a + c) - (a / N) * c)) / (R * S)
    return math.log(R / S), math.sqrt(var) if var >= 0 else math.nan


def _mh_rd(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> tuple[float, float]:
    n1, n2 = a + b, c + d
    N = n1 + n2
    with np.errstate(divide="ignore", invalid="ignore"):
        W = float(np.sum(n1 * (n2 / N)))
        beta = float(np.sum(a * (n2 / N) - c * (n1 / N))) / W
        var = (beta * float(np.sum(c * (n1 / N) ** 2 - a * (n2 / N) ** 2
                                   + (n1 / N) * (n2 / N) * (n2 - n1) / 2))
               + float(np.sum(a * (n2 - c) / N + c * (n1 - a) / N)) / 2) / W**2  # fmt: skip
    return beta, math.sqrt(var) if var >= 0 else math.nan


def rma_mh(
    ai: Any = None,
    bi: Any = None,
    ci: Any = None,
    di: Any = None,
    *,
    n1i: Any = None,
    n2i: Any = None,
    measure: str = "OR",
    add: float | Sequence[float] = 0.5,
    to: str | Sequence[str] = "only0",
    drop00: bool | Sequence[bool] = True,
    correct: bool = True,
    level: float = 95,
    digits: int = 4,
    slab: Any = None,
) -> MHResult:
    r"""Pool 2x2 tables by the Mantel-Haenszel method, as metafor 3.8-1's ``rma.mh``.

    With N_i = n1i + n2i the table's size, the estimates are

    .. math::

        \hat\psi_{OR} = \frac{\sum_i a_i d_i / N_i}{\sum_i b_i c_i / N_i}, \quad
        \hat\psi_{RR} = \frac{\sum_i a_i n_{2i} / N_i}{\sum_i c_i n_{1i} / N_i}, \quad
        \hat\delta_{RD} = \frac{\sum_i (a_i n_{2i} - c_i n_{1i}) / N_i}
                               {\sum_i n_{1i} n_{2i} / N_i}

    (Mantel & Haenszel 1959; Greenland & Robins 1985); ``beta`` is log psi for OR and
    RR. Variances: for log OR the Robins-Breslow-Greenland (1986) estimator, with
    R_i = a_i d_i/N_i, S_i = b_i c_i/N_i, P_i = (a_i + d_i)/N_i, Q_i = (b_i + c_i)/N_i,

    .. math::

        \operatorname{Var} = \frac12 \left( \frac{\sum P_i R_i}{R^2}
            + \frac{\sum (P_i S_i + Q_i R_i)}{R S} + \frac{\sum Q_i S_i}{S^2} \right);

    for log RR Greenland & Robins' (1985)
    sum(n1i n2i (a_i + c_i)/N_i^2 - a_i c_i/N_i)/(R S) with R, S the sums of the
    estimate's numerator and denominator; for RD the Sato-Greenland-Robins (1989)
    estimator [delta sum(c_i (n1i/N_i)^2 - a_i (n2i/N_i)^2 + n1i n2i (n2i - n1i)/(2 N_i^2))
    + sum(a_i (n2i - c_i) + c_i (n1i - a_i))/(2 N_i)] / (sum n1i n2i/N_i)^2. The interval
    is beta +/- z_{1-alpha/2} se.

    For OR also: the Cochran-Mantel-Haenszel test of psi = 1,
    CMH = (|sum(a_i - n1i m1i/N_i)| - c)^2 / sum(n1i n2i m1i m2i / (N_i^2 (N_i - 1)))
    on 1 df, with m1i = a_i + c_i, m2i = b_i + d_i and c = 1/2 when ``correct`` (else
    0), and Cochran's CO the same with N_i in place of N_i - 1; the Breslow-Day
    statistic BD = sum((a_i - A_i)^2 / V_i) with A_i the first cell expected at the
    common odds ratio (the root of a quadratic) and 1/V_i = 1/A_i + 1/B_i + 1/C_i +
    1/D_i over the k_pos tables with 0 < A_i and events of both kinds, and Tarone's
    (1985) correction of it, TA = BD - (sum(a_i - A_i))^2 / sum V_i, on k_pos - 1 df.

    Cochran's Q, I^2 and H^2 are those of the studies' own estimates: ``escalc(measure,
    ..., add=add[0], to=to[0], drop00=drop00[0])``'s yi with weights 1/vi, about beta.

    Parameters
    ----------
    ai, bi, ci, di
        The cells of the tables: events and non-events of the first group, then of the
        second (array-likes of one length; NaN or None missing).
    n1i, n2i
        Group sizes, in place of ``bi`` and ``di`` (bi = n1i - ai, di = n2i - ci).
    measure
        ``"OR"`` (default), ``"RR"`` or ``"RD"``. metafor's IRR and IRD (counts over
        person-time) are not offered.
    add, to, drop00
        One value or two. The first is escalc's, for the studies' yi and vi that Q, I^2
        and H^2 are computed from (defaults 1/2, ``"only0"``, True: 1/2 added to every
        cell of a table with a zero cell, and tables without events, or without
        non-events, in both groups left out). The second is for the tables pooled
        (defaults 0, ``"none"``, False: the counts as they are; True leaves double-zero
        tables out of the pooling too). As metafor's.
    correct
        Continuity correction of the Cochran-Mantel-Haenszel test (default True).
    level
        Confidence level, read as metafor reads it (95, 0.95 and 0.05 are 95%).
    digits
        Decimals of :meth:`MHResult.summary` (default 4).
    slab
        Labels of the tables (default "1", "2", ...).

    Returns
    -------
    MHResult

    Raises
    ------
    ValueError
        Unknown measure or ``to``, cells missing or of unequal length, counts given as
        text, or data escalc refuses (negative counts, more events than the group
        size); no table left to pool ("k = 0").

    Warns
    -----
    UserWarning
        metafor's "Tables with NAs omitted from model fitting." and "Some yi/vi values
        are NA.", and escalc's warnings.

    Notes
    -----
    Where the estimate is undefined (OR: sum a_i d_i/N_i or sum b_i c_i/N_i is 0; RR:
    no events in one group in any table) beta, se, the interval, Q, I^2, H^2 and (OR)
    the Breslow-Day and Tarone tests are NaN and k_pos 0; the CMH test needs events and
    non-events somewhere. Double-zero tables add nothing to the OR and RR estimates but
    do weigh in the RD's denominator unless ``drop00=(True, True)``.

    References
    ----------
    Mantel N, Haenszel W (1959). JNCI 22(4):719-748. Greenland S, Robins JM (1985).
    Biometrics 41(1):55-68. Robins J, Breslow N, Greenland S (1986). Biometrics
    42(2):311-323. Sato T, Greenland S, Robins JM (1989). Biometrics 45(4):1323-1324.
    Tarone RE (1985). Biometrika 72(1):91-95. Breslow NE, Day NE (1980). Statistical
    Methods in Cancer Research, vol. 1. IARC.

    Examples
    --------
    >>> res = rma_mh(ai=[4, 6, 3], n1i=[123, 306, 231], ci=[11, 29, 11], n2i=[139, 303, 220])
    >>> round(res.beta, 4), res.k
    (-1.4135, 3)
    """
    from metareview.effects import escalc

    if measure not in MH_MEASURES:
        raise ValueError(
            "Mantel-Haenszel method can only be used with measures "
            f"{', '.join(MH_MEASURES)}, got {measure!r}"
        )
    adds, tos, drops = _settings(add, to, drop00)
    args, cells = _tables("rma_mh", ai, bi, ci, di, n1i, n2i)
    labels = _slab(slab, cells[0].size, "rma_mh")
    es = escalc(measure, **args, add=adds[0], to=tos[0], drop00=drops[0])
    (a, b, c, d), not_na = _pooled_cells(cells, adds[1], tos[1], drops[1], stacklevel=3)
    yi, vi, not_na_yivi = _studies(np.asarray(es.yi), np.asarray(es.vi), stacklevel=3)
    stats: dict[str, Any] = dict.fromkeys(
        ("MH", "MHp", "CO", "COp", "BD", "BDp", "TA", "TAp"), math.nan
    )
    k_pos: int | None = None
    if measure == "OR":
        out = _mh_or(a, b, c, d, bool(correct))
        beta, se = out.pop("beta"), out.pop("se")
        k_pos = out.pop("k_pos")
        stats.update(out)
    elif measure == "RR":
        beta, se = _mh_rr(a, b, c, d)
    else:
        beta, se = _mh_rd(a, b, c, d)
    zval, pval, lb, ub = _wald(beta, se, level)
    QE, QEp, I2, H2 = _heterogeneity(yi, vi, beta)
    return MHResult(
        beta=beta, se=se, zval=zval, pval=pval, ci_lb=lb, ci_ub=ub, QE=QE, QEp=QEp, I2=I2, H2=H2,
        k=int(a.size), k_yi=int(yi.size), k_pos=k_pos, yi=yi, vi=vi, not_na=not_na,
        not_na_yivi=not_na_yivi, slab=labels, level=level_percent(level), add=adds, to=tos,
        drop00=drops, digits=int(digits), measure=measure, correct=bool(correct),
        cells=cells, **stats,
    )  # fmt: skip


def _peto_e_v(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each table's expected first cell E_i = (a_i + c_i) n1i/Ni and its hypergeometric
    variance V_i = (a_i + c_i)(b_i + d_i)(n1i/Ni)(n2i/Ni)/(Ni - 1) under no effect (Yusuf
    et al. 1985), in metafor's order of operations; NaN or infinite where Ni <= 1."""
    n1, n2 = a + b, c + d
    N = n1 + n2
    with np.errstate(divide="ignore", invalid="ignore"):
        xt, yt = a + c, b + d
        return xt * n1 / N, xt * yt * (n1 / N) * (n2 / N) / (N - 1)


def _peto_yi_vi(es: Any, stacklevel: int) -> tuple[np.ndarray, np.ndarray]:
    """escalc's Peto log odds ratios from the tables it corrected: yi = (a_i - E_i)/V_i,
    vi = 1/V_i, an infinite value (V_i = 0) set missing with escalc's warning."""
    from metareview.effects import _MSG_INF, EscalcWarning

    a, b, c, d = (np.asarray(es.details[x], dtype=float) for x in ("ai", "bi", "ci", "di"))
    E, V = _peto_e_v(a, b, c, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        yi = (a - E) / V
        vi = 1 / V
    inf = np.isinf(yi) | np.isinf(vi)
    if inf.any():
        warnings.warn(_MSG_INF, EscalcWarning, stacklevel=stacklevel)
    bad = inf | np.isnan(yi) | np.isnan(vi)
    yi[bad] = np.nan
    vi[bad] = np.nan
    return yi, vi


def rma_peto(
    ai: Any = None,
    bi: Any = None,
    ci: Any = None,
    di: Any = None,
    *,
    n1i: Any = None,
    n2i: Any = None,
    add: float | Sequence[float] = 0.5,
    to: str | Sequence[str] = "only0",
    drop00: bool | Sequence[bool] = True,
    level: float = 95,
    digits: int = 4,
    slab: Any = None,
) -> PetoResult:
    r"""Pool 2x2 tables by Peto's one-step method, as metafor 3.8-1's ``rma.peto``.

    With m1i = a_i + c_i events and m2i = b_i + d_i non-events in table i of size
    N_i = n1i + n2i, the expected first cell and its hypergeometric variance under no
    effect are E_i = m1i n1i / N_i and V_i = m1i m2i n1i n2i / (N_i^2 (N_i - 1)). Peto's
    log odds ratio (Yusuf et al. 1985) and its standard error are

    .. math::

        \hat\beta = \frac{\sum_i (a_i - E_i)}{\sum_i V_i}, \qquad
        SE = \Big(\sum_i V_i\Big)^{-1/2},

    with the interval beta +/- z_{1-alpha/2} SE, and its heterogeneity statistic

    .. math::

        Q = \sum_{V_i > 0} \frac{(a_i - E_i)^2}{V_i}
            - \frac{\left(\sum_i (a_i - E_i)\right)^2}{\sum_i V_i}

    over the k_pos tables with V_i > 0; QEp, I^2 and H^2 take k_yi - 1 df, k_yi the
    studies with a Peto ``yi`` = (a_i - E_i)/V_i (``vi`` = 1/V_i) from the tables with
    escalc's continuity correction (``add[0]``, ``to[0]``, ``drop00[0]``), as metafor's.

    Parameters
    ----------
    ai, bi, ci, di, n1i, n2i, add, to, drop00, level, digits, slab
        As :func:`rma_mh`.

    Returns
    -------
    PetoResult

    Raises
    ------
    ValueError
        As :func:`rma_mh`; and when no table has both events and non-events (all V_i
        = 0), where metafor stops: "One of the two outcomes never occurred in any of
        the tables. Peto's method cannot be used."

    Warns
    -----
    UserWarning
        As :func:`rma_mh`.

    References
    ----------
    Yusuf S, Peto R, Lewis J, Collins R, Sleight P (1985). Progress in Cardiovascular
    Diseases 27(5):335-371.

    Examples
    --------
    >>> res = rma_peto(ai=[4, 6, 3], n1i=[123, 306, 231], ci=[11, 29, 11], n2i=[139, 303, 220])
    >>> round(res.beta, 4), round(res.se, 4)
    (-1.2373, 0.2566)
    """
    from metareview.effects import EscalcWarning, escalc

    adds, tos, drops = _settings(add, to, drop00)
    args, cells = _tables("rma_peto", ai, bi, ci, di, n1i, n2i)
    labels = _slab(slab, cells[0].size, "rma_peto")
    with warnings.catch_warnings():
        # the odds ratios' own warnings (an infinite log odds ratio at a zero cell) are not
        # the Peto estimates'; only the corrected tables are used
        warnings.simplefilter("ignore", EscalcWarning)
        es = escalc("OR", **args, add=adds[0], to=tos[0], drop00=drops[0])
    yi_all, vi_all = _peto_yi_vi(es, stacklevel=3)
    (a, b, c, d), not_na = _pooled_cells(cells, adds[1], tos[1], drops[1], stacklevel=3)
    yi, vi, not_na_yivi = _studies(yi_all, vi_all, stacklevel=3)
    E, V = _peto_e_v(a, b, c, d)
    sumV = float(np.sum(V))
    if sumV == 0:
        raise ValueError(
            "One of the two outcomes never occurred in any of the tables. "
            "Peto's method cannot be used."
        )
    O_E = a - E
    beta = float(np.sum(O_E)) / sumV
    se = math.sqrt(1 / sumV)
    zval, pval, lb, ub = _wald(beta, se, level)
    pos = V > 0
    k_pos = int(np.sum(pos))
    QE = _max0(
        float(np.sum(O_E[pos] ** 2 / V[pos])) - float(np.sum(O_E)) ** 2 / float(np.sum(V[pos]))
    )
    k_yi = int(yi.size)
    if k_pos > 1:
        # metafor takes k_yi - 1 df here, which is 0 or -1 when at most one study has a
        # yi (the others double-zero tables kept for pooling): kept, as metafor's
        QEp = _chi2_upper(QE, k_yi - 1)
        I2, H2 = _i2_h2(QE, k_yi - 1)
    else:
        QEp, I2, H2 = 1.0, 0.0, 1.0
    return PetoResult(
        beta=beta, se=se, zval=zval, pval=pval, ci_lb=lb, ci_ub=ub, QE=QE, QEp=QEp, I2=I2, H2=H2,
        k=int(a.size), k_yi=k_yi, k_pos=k_pos, yi=yi, vi=vi, not_na=not_na, not_na_yivi=not_na_yivi,
        slab=labels, level=level_percent(level), add=adds, to=tos, drop00=drops, digits=int(digits),
        cells=cells,
    )  # fmt: skip


# --------------------------------------------------------------------------- deletion


def _deletion_fits(res: MHResult | PetoResult) -> tuple[np.ndarray, np.ndarray]:
    """The fit refitted without each table in turn, as metafor's ``rstudent.rma.mh``,
    ``rstudent.rma.peto`` and ``baujat`` refit it (``subset = -i``): the estimate
    b_(-i) and its variance se_(-i)^2, one entry per table given (``len(res.slab)``).

    Each refit pools the other tables with the fit's measure, ``add``, ``to``,
    ``drop00``, ``correct`` and ``level``. A table the fit did not pool (``not_na``
    False), and a refit that stops (no table left to pool; Peto's method without
    events or without non-events), leave nan, as metafor's NA. The refits' warnings
    are dropped, as metafor's ``suppressWarnings``: they were the fit's own, once.
    """
    a, b, c, d = res.cells
    n = a.size
    beta = np.full(n, np.nan)
    var = np.full(n, np.nan)
    settings: dict[str, Any] = {"add": res.add, "to": res.to, "drop00": res.drop00,
                                "level": res.level}  # fmt: skip
    if isinstance(res, MHResult):
        settings.update(measure=res.measure, correct=res.correct)
    fit = rma_mh if isinstance(res, MHResult) else rma_peto
    for i in np.flatnonzero(res.not_na):
        keep = np.arange(n) != i
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = fit(ai=a[keep], bi=b[keep], ci=c[keep], di=d[keep], **settings)
        except ValueError:
            continue
        beta[i], var[i] = out.beta, out.se**2
    return beta, var
