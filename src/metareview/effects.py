"""Effect sizes and sampling variances: a port of metafor's ``escalc`` (3.8-1).

``escalc(measure, ...)`` turns per-study summary data into ``yi`` (the effect size on
the analysis scale) and ``vi`` (its sampling variance), with metafor's argument names,
defaults and conventions, so results agree with R to rounding error:

* ``MD``, ``SMD`` (Hedges' g), ``ROM``: two independent groups, means and SDs;
* ``MC``, ``SMCC``, ``SMCR``, ``SMCRH``: one group measured twice (change scores);
* ``OR``, ``RR``, ``RD``: 2x2 tables, with metafor's ``add``/``to``/``drop00`` handling;
* ``PR``, ``PLO``: single proportions;
* ``ZCOR``: Fisher's r-to-z transformed correlation.

Missing values follow metafor: where R returns ``NA`` this returns ``nan``. R tells two
kinds of missing apart and so does this port. A missing *input* (R's ``NA``) propagates
through the arithmetic and leaves the other quantity alone (a missing mean gives
``yi = nan`` while ``vi`` may still be finite). A ``nan`` *produced* by the arithmetic
(R's ``NaN``, e.g. ``log(0) - log(0)``) makes both ``yi`` and ``vi`` missing, silently
but for the log of a number below 0 (a ROM with one negative mean), which warns as R's
``log`` does ("NaNs produced", :class:`EscalcWarning`); ``+-inf`` makes both missing with
metafor's warning; a negative ``vi`` becomes missing.

References
----------
Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. Journal of
Statistical Software 36(3):1-48. The formulas below follow ``escalc()`` in metafor 3.8-1.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from metareview.arguments import alpha_from_level, check_aligned, refuse_text

__all__ = [
    "ARGS_BY_MEASURE",
    "MEASURES",
    "EffectSizes",
    "EscalcWarning",
    "escalc",
    "hedges_j",
]

FloatArray = NDArray[np.float64]

# Messages are metafor's own, so that a reviewer can look them up in its documentation.
_MSG_CANNOT = (
    "Cannot compute outcomes. Check that all of the required information is specified "
    "via the appropriate arguments."
)
_MSG_INF = "Some 'yi' and/or 'vi' values equal to +-Inf. Recoded to NAs."
_MSG_ZCOR_NI = "Cannot estimate the sampling variance when ni <= 3."
# R's own warning from log() of a negative number, which escalc passes on
_MSG_LOG_NAN = "NaNs produced"

_KNOWN_VTYPES = frozenset({"UB", "LS", "LS2", "HO", "ST", "CS", "AV", "AVHO"})
_TO_OPTIONS = ("all", "only0", "if0all", "none")

# measure -> (metafor's family, arguments that family reads)
_TWO_BY_TWO = frozenset({"ai", "bi", "ci", "di", "n1i", "n2i"})
_TWO_GROUP = frozenset({"m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"})
_CHANGE = frozenset({"m1i", "m2i", "sd1i", "sd2i", "ri", "ni"})
_PROPORTION = frozenset({"xi", "mi", "ni"})
_ARGS_BY_MEASURE: dict[str, frozenset[str]] = {
    "OR": _TWO_BY_TWO,
    "RR": _TWO_BY_TWO,
    "RD": _TWO_BY_TWO,
    "MD": _TWO_GROUP,
    "SMD": _TWO_GROUP | {"di", "ti"},
    "ROM": _TWO_GROUP,
    "MC": _CHANGE,
    "SMCC": _CHANGE,
    "SMCR": _CHANGE,
    "SMCRH": _CHANGE,
    "PR": _PROPORTION,
    "PLO": _PROPORTION,
    "ZCOR": frozenset({"ri", "ni"}),
}
MEASURES: tuple[str, ...] = tuple(_ARGS_BY_MEASURE)
#: The data arguments escalc reads for each measure (metafor's names), read-only.
ARGS_BY_MEASURE: Mapping[str, frozenset[str]] = MappingProxyType(_ARGS_BY_MEASURE)

# vtypes each measure accepts (metafor raises for others); None = vtype ignored.
_VTYPES: dict[str, tuple[tuple[str, ...], str] | None] = {
    "MD": (("UB", "LS", "HO"), "'UB', 'LS', or 'HO'"),
    "SMD": (("UB", "LS", "LS2", "AV"), "'UB', 'LS', 'LS2', or 'AV'"),
    "ROM": (("LS", "HO", "AV", "AVHO"), "'LS', 'HO', 'AV', or 'AVHO'"),
    "RD": (("UB", "LS", "AV"), "'UB', 'LS', or 'AV'"),
    "SMCC": (("LS", "LS2"), "''LS' or 'LS2'"),
    "SMCR": (("LS", "LS2"), "''LS' or 'LS2'"),
    "PR": (("UB", "LS", "AV"), "'UB', 'LS', or 'AV'"),
    "PLO": (("LS", "AV"), "'LS' or 'AV'"),
    "OR": None,
    "RR": None,
    "MC": None,
    "SMCRH": None,
    "ZCOR": None,
}


class EscalcWarning(UserWarning):
    """A warning metafor's ``escalc`` would also give (same message text)."""


@dataclass(frozen=True, eq=False)
class EffectSizes:
    """Effect sizes ``yi`` and sampling variances ``vi``, one entry per row of the input.

    Attributes
    ----------
    yi, vi
        Effect size on the analysis scale and its sampling variance (``nan`` where metafor
        gives ``NA``). Read-only arrays.
    measure
        metafor's measure code (``"SMD"``, ``"OR"``, ...).
    ni
        Unadjusted total sample size per row (metafor's ``attr(yi, "ni")``).
    vtype
        The variance type used for each row (as given; measures without variance types
        ignore it, as metafor does).
    add_applied
        2x2 tables and proportions: ``True`` where a non-zero ``add`` was added to the
        cells of that row (continuity correction). ``None`` for other measures.
    dropped
        2x2 tables: ``True`` where ``drop00=True`` set the row to missing. ``None`` otherwise.
    source
        ``SMD`` only: what each row was computed from, ``"means"``, ``"di"``, ``"ti"`` or
        ``"missing"`` (metafor's precedence: ``di``, then ``ti``, then means/SDs).
    warnings
        The warnings raised while computing (metafor's messages), in order.
    details
        Intermediate quantities, by measure: ``df``, ``correction_factor`` (J),
        ``d_uncorrected`` and ``sd_pooled`` (SMD; ``sd_pooled`` is ``nan`` for rows from
        ``di``/``ti``), ``sd_change`` (SMCC), ``sd_pooled`` (MD/ROM with ``vtype="HO"``),
        the cells actually used ``ai``, ``bi``, ``ci``, ``di`` (2x2) or ``xi``, ``mi``
        (proportions) after ``drop00`` and ``add``/``to``.
    index
        The pandas index of the data, when ``escalc`` was given pandas Series (which
        must share it); None otherwise. :func:`~metareview.pool.rma` keeps it and
        refuses pandas moderators, labels, sample sizes or subsets with another index.
    """

    yi: FloatArray
    vi: FloatArray
    measure: str
    ni: FloatArray
    vtype: tuple[str, ...]
    add_applied: NDArray[np.bool_] | None = None
    dropped: NDArray[np.bool_] | None = None
    source: tuple[str, ...] | None = None
    warnings: tuple[str, ...] = ()
    details: Mapping[str, FloatArray] = field(default_factory=dict)
    index: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for name in ("yi", "vi", "ni", "add_applied", "dropped"):
            value = getattr(self, name)
            if value is not None:
                value.setflags(write=False)
        for value in self.details.values():
            value.setflags(write=False)
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))

    @property
    def k(self) -> int:
        """Number of rows."""
        return int(self.yi.shape[0])

    def __len__(self) -> int:
        return self.k

    def __array__(self, dtype: Any = None, copy: Any = None) -> NDArray[Any]:
        # with __getitem__ and __len__, numpy would read an EffectSizes as a sequence of
        # rows and stop on es[0]; given where an array is expected, say which one
        raise TypeError(
            "escalc's EffectSizes is not an array: pass its fields (es.yi, es.vi, es.ni), "
            "or the EffectSizes alone where a function takes it (rma(es), subgroups(es, groups=g))"
        )

    def __iter__(self) -> Any:
        raise TypeError("escalc's EffectSizes is not iterable: iterate over es.yi or es.vi")

    def __getitem__(self, rows: Any) -> EffectSizes:
        """The rows ``rows`` selects, as an ``EffectSizes`` with every per-row field
        subset (``yi``, ``vi``, ``ni``, ``vtype``, ``add_applied``, ``dropped``,
        ``source``, ``details`` and the pandas ``index``); ``measure`` and ``warnings``
        are kept.

        ``rows`` is a boolean mask of length k (a pandas Series must share the data's
        index), 0-based integer positions, each once, or a slice: ``es[np.isfinite(es.yi)]``.
        Negative positions are refused rather than read either way (they count from
        the end in Python and exclude in R), as :func:`~metareview.pool.rma`'s
        ``subset`` refuses them.
        """
        k = self.k
        if isinstance(rows, slice):
            idx = np.arange(k)[rows]
        else:
            if isinstance(rows, str) or np.ndim(rows) != 1:
                raise TypeError(
                    "EffectSizes takes a boolean mask of length k, 0-based integer positions "
                    f"or a slice, got {type(rows).__name__}; use es.yi[i] for one value"
                )
            check_aligned({"es": self, "rows": rows}, "EffectSizes[rows]")
            sel = np.asarray(rows)
            if sel.dtype == bool:
                if sel.size != k:
                    raise ValueError(f"a boolean mask of {sel.size} values for k = {k} rows")
                idx = np.flatnonzero(sel)
            elif sel.size == 0 or np.issubdtype(sel.dtype, np.integer):
                idx = sel.astype(np.int64)
                if idx.size and idx.min() < 0:
                    raise ValueError(
                        "negative positions are not read (Python counts them from the end, "
                        "R excludes them); give the 0-based positions to keep, or a boolean mask"
                    )
                if idx.size and idx.max() >= k:
                    raise ValueError(f"position {int(idx.max())} is beyond the k = {k} rows")
                if np.unique(idx).size < idx.size:
                    raise ValueError(
                        "a position is given more than once; give each 0-based position once, "
                        "or a boolean mask (a 0/1 mask cast to integers reads as positions 0 and 1)"
                    )
            else:
                raise TypeError(
                    "rows must be a boolean mask or integer positions, "
                    f"got values of type {sel.dtype}"
                )

        def take(value: Any) -> Any:
            if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[0] == k:
                return value[idx].copy()
            return value

        return EffectSizes(
            yi=take(self.yi),
            vi=take(self.vi),
            measure=self.measure,
            ni=take(self.ni),
            vtype=tuple(self.vtype[i] for i in idx.tolist()),
            add_applied=take(self.add_applied),
            dropped=take(self.dropped),
            source=None if self.source is None else tuple(self.source[i] for i in idx.tolist()),
            warnings=self.warnings,
            details={name: take(value) for name, value in self.details.items()},
            index=None if self.index is None else self.index[idx],
        )

    @property
    def sei(self) -> FloatArray:
        """Standard errors ``sqrt(vi)``."""
        return np.sqrt(self.vi)

    def conf_int(self, level: float = 95.0) -> tuple[FloatArray, FloatArray]:
        """Per-row Wald confidence limits ``yi -/+ z_{1-alpha/2} sqrt(vi)``.

        As metafor's ``summary.escalc``; ``level`` in percent, or as metafor reads it
        (0.95 and 0.05 also a 95% interval; :func:`metareview.arguments.alpha_from_level`).
        """
        from scipy.special import ndtri

        alpha = alpha_from_level(level)
        crit = -ndtri(alpha / 2.0)
        half = crit * self.sei
        return self.yi - half, self.yi + half

    def summary(self, digits: int = 4) -> str:
        """``yi`` and ``vi`` per row (numbered from 1, as R does), ``NA`` where missing,
        as metafor prints an escalc object's ``yi`` and ``vi`` columns; ``str()`` and a
        notebook's display show this."""
        d = int(digits)
        cells = [["", "yi", "vi"]] + [
            [str(i + 1), *("NA" if not np.isfinite(x) else f"{x:.{d}f}" for x in (y, v))]
            for i, (y, v) in enumerate(zip(self.yi.tolist(), self.vi.tolist()))
        ]
        widths = [max(len(row[j]) for row in cells) for j in range(3)]
        lines = [f"measure: {self.measure}"]
        lines += [
            "  ".join([row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:], widths[1:]))])
            for row in cells
        ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # IPython/Jupyter display: the table, not the dataclass repr with its details
        printer.text(self.summary())


# ---------------------------------------------------------------------------------------
# Small-sample correction


def hedges_j(df: ArrayLike) -> FloatArray | float:
    """Exact small-sample correction factor J(df) for standardized mean differences.

    ``J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2))``, evaluated on the log scale as
    ``exp(lgamma(m/2) - log(sqrt(m/2)) - lgamma((m-1)/2))`` (metafor's ``.cmicalc``, which
    avoids overflow of Gamma for large m); ``nan`` for ``m <= 1`` or missing ``m``.
    ``yi = J(m) d`` is Hedges' g, unbiased for the population SMD. The approximation
    ``1 - 3/(4m - 1)`` is not used. The difference of two large lgamma values costs about
    ``1e-16 m`` relative precision (3e-10 at m = 10^6), the same as in metafor.

    Parameters
    ----------
    df
        Degrees of freedom m (``n1i + n2i - 2`` for SMD, ``ni - 1`` for change scores).

    Returns
    -------
    float or ndarray
        J, the same shape as ``df``.

    References
    ----------
    Hedges LV (1981). Distribution theory for Glass's estimator of effect size and related
    estimators. Journal of Educational Statistics 6(2):107-128, eq. 6e.
    """
    from scipy.special import gammaln

    m = np.asarray(df, dtype=float)
    valid = m > 1  # nan compares False, so missing df stays missing
    safe = np.where(valid, m, 2.0)
    j = np.exp(gammaln(safe / 2.0) - np.log(np.sqrt(safe / 2.0)) - gammaln((safe - 1.0) / 2.0))
    j = np.where(valid, j, np.nan)
    if j.ndim == 0:
        return float(j)
    return j


# ---------------------------------------------------------------------------------------
# escalc


def escalc(
    measure: str,
    *,
    m1i: ArrayLike | None = None,
    sd1i: ArrayLike | None = None,
    n1i: ArrayLike | None = None,
    m2i: ArrayLike | None = None,
    sd2i: ArrayLike | None = None,
    n2i: ArrayLike | None = None,
    ai: ArrayLike | None = None,
    bi: ArrayLike | None = None,
    ci: ArrayLike | None = None,
    di: ArrayLike | None = None,
    ti: ArrayLike | None = None,
    ri: ArrayLike | None = None,
    ni: ArrayLike | None = None,
    xi: ArrayLike | None = None,
    mi: ArrayLike | None = None,
    add: float = 0.5,
    to: str = "only0",
    drop00: bool = False,
    vtype: str | Sequence[str] = "LS",
) -> EffectSizes:
    r"""Compute effect sizes and sampling variances as metafor's ``escalc`` (3.8-1).

    Inputs are array-likes of equal length k (``None`` entries and ``nan`` are missing
    values, as R's ``NA``); scalars broadcast. Arguments a measure does not read raise
    ``ValueError`` (metafor silently ignores them; here a misplaced column is more likely
    a mistake). ``di`` is a 2x2 cell for ``OR``/``RR``/``RD`` and Cohen's d for ``SMD``,
    as in metafor.

    Measures and formulas (``J`` is :func:`hedges_j`):

    ``MD``
        ``yi = m1i - m2i``; ``vi = sd1i^2/n1i + sd2i^2/n2i`` (vtype ``LS``/``UB``) or
        ``sp^2 (1/n1i + 1/n2i)`` with the pooled SD ``sp`` (``HO``).
    ``SMD`` (Hedges' g; Hedges 1981)
        ``d = (m1i - m2i)/sp``, ``sp^2 = ((n1i-1) sd1i^2 + (n2i-1) sd2i^2)/m``,
        ``m = n1i + n2i - 2``, ``yi = J(m) d``. ``vi``: ``LS`` ``1/n1i + 1/n2i +
        yi^2/(2(n1i+n2i))``; ``UB`` ``1/n1i + 1/n2i + (1 - (m-2)/(m J^2)) yi^2``;
        ``LS2`` ``J^2 (1/n1i + 1/n2i + d^2/(2(n1i+n2i)))`` (Borenstein et al. 2009,
        eq. 4.24); ``AV`` as ``LS`` with the (n1i+n2i)-weighted mean of all ``yi`` of
        the call in place of ``yi``. A reported ``di`` is an *uncorrected* d (metafor sets
        ``m1i=di, m2i=0, sd1i=sd2i=1``), so ``yi = J(m) di``; a reported ``ti`` becomes
        ``d = ti sqrt(1/n1i + 1/n2i)``. Per row ``di`` beats ``ti``, either beats means.
    ``ROM`` (log ratio of means; Hedges, Gurevitch & Curtis 1999)
        ``yi = log(m1i/m2i)``; ``LS`` ``sd1i^2/(n1i m1i^2) + sd2i^2/(n2i m2i^2)``; ``HO``
        the same with the pooled SD; ``AV`` with the n-weighted mean CV of each group;
        ``AVHO`` with the n-weighted mean CV of both groups.
    ``MC``
        ``yi = m1i - m2i``, ``vi = (sd1i^2 + sd2i^2 - 2 ri sd1i sd2i)/ni``.
    ``SMCC`` (change-score standardization; Gibbons et al. 1993)
        ``d = (m1i - m2i)/sd_c``, ``sd_c^2 = sd1i^2 + sd2i^2 - 2 ri sd1i sd2i``,
        ``yi = J(ni-1) d``; ``LS`` ``1/ni + yi^2/(2 ni)``; ``LS2`` ``J^2 (1/ni +
        d^2/(2 ni))``.
    ``SMCR`` (raw-score standardization by ``sd1i``; Becker 1988)
        ``d = (m1i - m2i)/sd1i``, ``yi = J(ni-1) d``; ``LS`` ``2(1-ri)/ni +
        yi^2/(2 ni)``; ``LS2`` ``J^2 (2(1-ri)/ni + d^2/(2 ni))``. ``sd2i`` is not used.
    ``SMCRH`` (raw-score standardization, heteroscedastic; Bonett 2008)
        ``yi = J(ni-1)(m1i - m2i)/sd1i``, ``vi = J^2 (sd_c^2/(sd1i^2 (ni-1)) +
        yi^2/(2(ni-1)))`` with the corrected ``yi``; vtype ignored.
    ``OR``, ``RR``, ``RD`` (2x2 table: ``ai``/``bi`` events/non-events in group 1,
    ``ci``/``di`` in group 2; or ``n1i``/``n2i`` in place of ``bi``/``di``)
        ``p1 = ai/n1i``, ``p2 = ci/n2i``. OR: ``yi = logit(p1) - logit(p2)``,
        ``vi = 1/ai + 1/bi + 1/ci + 1/di``. RR: ``yi = log(p1) - log(p2)``,
        ``vi = 1/ai - 1/n1i + 1/ci - 1/n2i``. RD: ``yi = p1 - p2``, ``LS``
        ``p1(1-p1)/n1i + p2(1-p2)/n2i``, ``UB`` with ``n - 1``, ``AV`` with the n-weighted
        mean proportions of the call. Continuity correction: ``drop00=True`` first sets
        tables with ``ai=ci=0`` or ``bi=di=0`` to missing; then ``to="only0"`` adds
        ``add`` to all four cells of tables with any zero cell, ``"if0all"`` to all
        tables if any has a zero cell, ``"all"`` to all tables, ``"none"`` to none. The
        corrected counts are used for ``yi`` and ``vi``.
    ``PR``, ``PLO`` (``xi`` events, ``mi`` non-events or ``ni`` total)
        ``p = xi/ni``. PR: ``yi = p``, ``LS`` ``p(1-p)/ni``, ``UB`` ``p(1-p)/(ni-1)``,
        ``AV`` with the n-weighted mean p. PLO: ``yi = logit(p)``, ``LS`` ``1/xi + 1/mi``,
        ``AV`` ``1/(pbar ni) + 1/((1-pbar) ni)``. ``add``/``to`` apply to ``xi`` and
        ``mi`` when ``xi = 0`` or ``mi = 0``, as for 2x2 tables.
    ``ZCOR`` (Fisher 1921)
        ``yi = atanh(ri)``, ``vi = 1/(ni - 3)``; ``vi`` is missing (with a warning) for
        ``ni <= 3``.

    Parameters
    ----------
    measure
        One of :data:`MEASURES`.
    m1i, sd1i, n1i, m2i, sd2i, n2i, ai, bi, ci, di, ti, ri, ni, xi, mi
        Per-row data, named as in metafor (see above).
    add, to, drop00
        Continuity correction for 2x2 tables and proportions (metafor's defaults).
    vtype
        Variance type, one string or one per row.

    Returns
    -------
    EffectSizes

    Raises
    ------
    TypeError
        ``measure`` is not a string.
    ValueError
        Unknown measure/vtype/to, missing required arguments, unequal lengths, or invalid
        data (negative SDs or counts, group sizes <= 0, |ri| > 1, events > group size,
        ``n1i != ai + bi``); data errors name the offending row indices (0-based).
        pandas arguments with different indexes (values are paired by position).
        Numbers given as text (``["12.5"]``, a pandas column read as strings), which
        metafor refuses as "not numeric", naming the argument.

    Warns
    -----
    EscalcWarning
        metafor's warnings: ``+-Inf`` recoded to missing; ZCOR with ``ni <= 3``; and R's
        "NaNs produced" from the log of a negative number, which metafor's escalc
        passes on (a ROM with one negative mean: ``log(m1i/m2i)`` is NaN, and yi and vi
        are missing).

    References
    ----------
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. JSS 36(3).
    Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). Introduction to
    Meta-Analysis. Wiley.
    """
    if not isinstance(measure, str):
        raise TypeError("The 'measure' argument must be a character string.")
    if measure not in _ARGS_BY_MEASURE:
        raise ValueError(
            f"Unknown 'measure' specified: {measure!r}; supported: {', '.join(MEASURES)}."
        )
    if to not in _TO_OPTIONS:
        raise ValueError(f"Unknown 'to' argument specified: {to!r}; expected one of {_TO_OPTIONS}.")

    given = {
        "m1i": m1i,
        "sd1i": sd1i,
        "n1i": n1i,
        "m2i": m2i,
        "sd2i": sd2i,
        "n2i": n2i,
        "ai": ai,
        "bi": bi,
        "ci": ci,
        "di": di,
        "ti": ti,
        "ri": ri,
        "ni": ni,
        "xi": xi,
        "mi": mi,
    }
    supplied = {name for name, value in given.items() if value is not None}
    unused = sorted(supplied - _ARGS_BY_MEASURE[measure])
    if unused:
        raise ValueError(
            f"escalc(measure={measure!r}) does not use argument(s) {', '.join(unused)}; "
            f"it reads {', '.join(sorted(_ARGS_BY_MEASURE[measure]))}."
        )
    check_aligned({name: given[name] for name in given if name in supplied}, "escalc")
    arrays = _as_arrays({name: given[name] for name in supplied})
    k = _common_length(arrays)
    vtypes = _expand_vtype(vtype, k)
    _check_vtype_for_measure(measure, vtypes)
    ctx = _Context(measure=measure, k=k, vtypes=vtypes)

    # a value near the float limits (1e200) overflows on the way; the infinite yi or vi
    # it leaves is recoded to NaN with metafor's own warning, so numpy's is only noise
    # (dispatched here, not in a helper: the measures' warnings name escalc's caller)
    with np.errstate(over="ignore"):
        if measure in ("OR", "RR", "RD"):
            out = _two_by_two(ctx, arrays, add=add, to=to, drop00=drop00)
        elif measure in ("MD", "ROM"):
            out = _two_group_raw(ctx, arrays)
        elif measure == "SMD":
            out = _smd(ctx, arrays)
        elif measure in ("MC", "SMCC", "SMCR", "SMCRH"):
            out = _change(ctx, arrays)
        elif measure in ("PR", "PLO"):
            out = _proportion(ctx, arrays, add=add, to=to)
        else:
            out = _zcor(ctx, arrays)
    series: list[Any] = [v for v in given.values() if _is_series(v)]
    if series:
        # kept so that rma(es, mods=...) and the like can refuse data in another order
        object.__setattr__(out, "index", series[0].index)
    return out


def _is_series(value: Any) -> bool:
    """Whether ``value`` is one-dimensional with a pandas-style index (a Series)."""
    return hasattr(getattr(value, "index", None), "equals") and getattr(value, "ndim", 0) == 1


# ---------------------------------------------------------------------------------------
# input handling


@dataclass
class _Context:
    measure: str
    k: int
    vtypes: tuple[str, ...]
    warnings: list[str] = field(default_factory=list)


def _log(ctx: _Context, x: FloatArray) -> FloatArray:
    """``np.log(x)``, warning as R's ``log`` does ("NaNs produced", once per call) where
    an argument is below 0: a ROM with one negative mean, say, whose yi metafor's escalc
    then gives as NA (nan here) with that warning. A missing argument (R's NA, nan here)
    gives nan without it, as in R."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if np.any(x < 0):
            ctx.warnings.append(_MSG_LOG_NAN)
        return np.log(x)


def _as_arrays(values: Mapping[str, Any]) -> dict[str, FloatArray]:
    out = {}
    for name, value in values.items():
        # float() parses "12.5", so a column read as text would give effect sizes
        # without a word where metafor stops ("not numeric")
        refuse_text(value, name)
        try:
            # pandas nullable columns (Int64 with <NA>) refuse a plain float conversion
            to_numpy = getattr(value, "to_numpy", None)
            if to_numpy is not None:
                arr = np.asarray(to_numpy(dtype=float, na_value=np.nan), dtype=float)
            else:
                arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"escalc: argument {name!r} must be numeric ({exc}).") from None
        if arr.ndim > 1:
            raise ValueError(f"escalc: argument {name!r} must be one-dimensional, got {arr.shape}.")
        out[name] = arr
    return out


def _common_length(arrays: dict[str, FloatArray]) -> int:
    lengths = {name: arr.shape[0] for name, arr in arrays.items() if arr.ndim == 1}
    distinct = set(lengths.values())
    if len(distinct) > 1:
        detail = ", ".join(f"{name}={n}" for name, n in sorted(lengths.items()))
        raise ValueError(f"Supplied data vectors are not all of the same length ({detail}).")
    k = distinct.pop() if distinct else 1
    for name, arr in arrays.items():
        if arr.ndim == 0:
            arrays[name] = np.full(k, float(arr))
        else:
            # copy: the caller's arrays are never modified
            arrays[name] = arr.astype(float, copy=True)
    return k


def _expand_vtype(vtype: str | Sequence[str], k: int) -> tuple[str, ...]:
    if isinstance(vtype, str):
        values: tuple[str, ...] = (vtype,) * k
    else:
        values = tuple(str(v) for v in vtype)
        if len(values) == 1:
            values = values * k
        elif len(values) != k:
            raise ValueError(f"'vtype' must have length 1 or k = {k}, got {len(values)}.")
    unknown = sorted(set(values) - _KNOWN_VTYPES)
    if unknown:
        raise ValueError(f"Unknown 'vtype' argument specified: {unknown}.")
    return values


def _check_vtype_for_measure(measure: str, vtypes: tuple[str, ...]) -> None:
    if measure == "ZCOR" and "UB" in vtypes:
        raise ValueError("Use of vtype='UB' only permitted when measure='UCOR'.")
    rule = _VTYPES[measure]
    if rule is None:
        return
    allowed, text = rule
    if not set(vtypes) <= set(allowed):
        raise ValueError(f"For this outcome measure, 'vtype' must be either {text}.")


def _require(arrays: Mapping[str, FloatArray], *names: str) -> None:
    missing = [name for name in names if name not in arrays]
    if missing:
        raise ValueError(f"{_MSG_CANNOT} Missing: {', '.join(missing)}.")


def _fail_rows(mask: NDArray[np.bool_], message: str, **columns: FloatArray) -> None:
    """Raise ValueError naming the rows where ``mask`` holds (nan-safe: pass a bool mask)."""
    if not np.any(mask):
        return
    idx = np.flatnonzero(mask)
    shown = idx[:10]
    parts = []
    for i in shown:
        values = ", ".join(f"{name}={col[i]:g}" for name, col in columns.items())
        parts.append(f"index {i} ({values})" if values else f"index {i}")
    more = f" and {idx.size - shown.size} more" if idx.size > shown.size else ""
    raise ValueError(f"{message} Rows: {'; '.join(parts)}{more}.")


def _isna(*arrays: FloatArray) -> NDArray[np.bool_]:
    out = np.zeros(arrays[0].shape, dtype=bool)
    for arr in arrays:
        out |= np.isnan(arr)
    return out


def _wmean(x: FloatArray, w: FloatArray) -> float:
    """metafor's ``.wmean(x, w, na.rm=TRUE)``: pairs with a missing x or w are dropped."""
    keep = ~(np.isnan(x) | np.isnan(w))
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.sum(x[keep] * w[keep]) / np.sum(w[keep]))


def _by_vtype(vtypes: tuple[str, ...], k: int, formulas: Mapping[str, Any]) -> FloatArray:
    """Assemble vi row by row from per-vtype formulas (each evaluated lazily, once)."""
    vt = np.asarray(vtypes, dtype=object) if k else np.empty(0, dtype=object)
    vi = np.full(k, np.nan)
    for name, formula in formulas.items():
        rows = vt == name
        if np.any(rows):
            vi[rows] = np.broadcast_to(formula(), (k,))[rows]
    return vi


def _finalize(
    ctx: _Context,
    yi: FloatArray,
    vi: FloatArray,
    *,
    yi_na: NDArray[np.bool_],
    vi_na: NDArray[np.bool_],
    ni: FloatArray,
    **extra: Any,
) -> EffectSizes:
    """Apply metafor's end-of-escalc clean-up and package the result.

    ``yi_na`` / ``vi_na`` flag entries that are missing because an input was missing (R's
    NA, which propagates without touching the other quantity). Any other nan is one the
    arithmetic produced (R's NaN); metafor then sets both yi and vi to NA.
    """
    yi = np.array(yi, dtype=float)
    vi = np.array(vi, dtype=float)
    is_inf = np.isinf(yi) | np.isinf(vi)
    if np.any(is_inf):
        ctx.warnings.append(_MSG_INF)
        yi[is_inf] = np.nan
        vi[is_inf] = np.nan
    produced_nan = (np.isnan(yi) & ~yi_na) | (np.isnan(vi) & ~vi_na)
    yi[produced_nan] = np.nan
    vi[produced_nan] = np.nan
    with np.errstate(invalid="ignore"):
        vi[vi < 0] = np.nan
    for message in ctx.warnings:
        # stacklevel 4: _finalize <- measure helper <- escalc <- caller
        warnings.warn(message, EscalcWarning, stacklevel=4)
    return EffectSizes(
        yi=yi,
        vi=vi,
        measure=ctx.measure,
        ni=np.array(ni, dtype=float),
        vtype=ctx.vtypes,
        warnings=tuple(ctx.warnings),
        **extra,
    )


# ---------------------------------------------------------------------------------------
# 2x2 tables: OR, RR, RD


def _apply_continuity(
    cells: list[FloatArray], add: float, to: str
) -> tuple[list[FloatArray], NDArray[np.bool_]]:
    """Add ``add`` to every cell of the rows metafor's ``to`` rule selects."""
    k = cells[0].shape[0]
    if to == "all":
        rows = np.ones(k, dtype=bool)
    elif to in ("only0", "if0all"):
        has_zero = np.zeros(k, dtype=bool)
        for cell in cells:
            has_zero |= cell == 0  # nan == 0 is False, as metafor's id0[is.na(id0)] <- FALSE
        rows = has_zero if to == "only0" else np.full(k, bool(np.any(has_zero)))
    else:
        rows = np.zeros(k, dtype=bool)
    adjusted = [np.where(rows, cell + add, cell) for cell in cells]
    missing = _isna(*cells)
    applied = rows & ~missing & (add != 0)
    return adjusted, applied


def _two_by_two(
    ctx: _Context, arrays: dict[str, FloatArray], *, add: float, to: str, drop00: bool
) -> EffectSizes:
    n1i, n2i = arrays.get("n1i"), arrays.get("n2i")
    ai, bi, ci, di = (arrays.get(name) for name in ("ai", "bi", "ci", "di"))
    if n1i is not None and ai is not None and bi is not None:
        _fail_rows(
            ~np.isnan(n1i) & ~np.isnan(ai + bi) & (n1i != ai + bi),
            "One or more 'n1i' values are not equal to 'ai + bi'.",
            n1i=n1i,
            ai=ai,
            bi=bi,
        )
    if n2i is not None and ci is not None and di is not None:
        _fail_rows(
            ~np.isnan(n2i) & ~np.isnan(ci + di) & (n2i != ci + di),
            "One or more 'n2i' values are not equal to 'ci + di'.",
            n2i=n2i,
            ci=ci,
            di=di,
        )
    # metafor's replmiss(): a missing bi/di is filled from the group size
    if n1i is not None and ai is not None:
        bi = n1i - ai if bi is None else np.where(np.isnan(bi), n1i - ai, bi)
    if n2i is not None and ci is not None:
        di = n2i - ci if di is None else np.where(np.isnan(di), n2i - ci, di)
    if ai is None or bi is None or ci is None or di is None:
        _require(
            {},
            *[n for n, v in zip(("ai", "bi|n1i", "ci", "di|n2i"), (ai, bi, ci, di)) if v is None],
        )
    assert ai is not None and bi is not None and ci is not None and di is not None

    n1 = ai + bi
    n2 = ci + di
    with np.errstate(invalid="ignore"):
        _fail_rows(
            (ai > n1) | (ci > n2),
            "One or more event counts are larger than the corresponding group sizes.",
            ai=ai,
            n1i=n1,
            ci=ci,
            n2i=n2,
        )
        _fail_rows(
            (ai < 0) | (bi < 0) | (ci < 0) | (di < 0),
            "One or more counts are negative.",
            ai=ai,
            bi=bi,
            ci=ci,
            di=di,
        )
    ni_u = ai + bi + ci + di

    dropped = np.zeros(ctx.k, dtype=bool)
    if drop00:
        dropped = ((ai == 0) & (ci == 0)) | ((bi == 0) & (di == 0))
        ai, bi, ci, di = (np.where(dropped, np.nan, cell) for cell in (ai, bi, ci, di))

    (ai, bi, ci, di), applied = _apply_continuity([ai, bi, ci, di], add, to)
    cells_na = _isna(ai, bi, ci, di)
    n1 = ai + bi
    n2 = ci + di

    with np.errstate(divide="ignore", invalid="ignore"):
        p1 = ai / n1
        p2 = ci / n2
        if ctx.measure == "RR":
            yi = _log(ctx, p1) - _log(ctx, p2)
            vi = 1 / ai - 1 / n1 + 1 / ci - 1 / n2
        elif ctx.measure == "OR":
            yi = _log(ctx, p1 / (1 - p1)) - _log(ctx, p2 / (1 - p2))
            vi = 1 / ai + 1 / bi + 1 / ci + 1 / di
        else:  # RD
            yi = p1 - p2
            vi = _by_vtype(
                ctx.vtypes,
                ctx.k,
                {
                    "UB": lambda: p1 * (1 - p1) / (n1 - 1) + p2 * (1 - p2) / (n2 - 1),
                    "LS": lambda: p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2,
                    "AV": lambda: _rd_av(p1, p2, n1, n2),
                },
            )

    details = {"ai": ai, "bi": bi, "ci": ci, "di": di}
    return _finalize(
        ctx,
        yi,
        vi,
        yi_na=cells_na,
        vi_na=cells_na,
        ni=ni_u,
        add_applied=applied,
        dropped=dropped,
        details=details,
    )


def _rd_av(p1: FloatArray, p2: FloatArray, n1: FloatArray, n2: FloatArray) -> FloatArray:
    pbar1 = _wmean(p1, n1)
    pbar2 = _wmean(p2, n2)
    return pbar1 * (1 - pbar1) / n1 + pbar2 * (1 - pbar2) / n2


# ---------------------------------------------------------------------------------------
# two independent groups: MD, ROM, SMD


def _check_two_group(arrays: Mapping[str, FloatArray]) -> None:
    sd1i, sd2i, n1i, n2i = (arrays[n] for n in ("sd1i", "sd2i", "n1i", "n2i"))
    with np.errstate(invalid="ignore"):
        _fail_rows(sd1i < 0, "One or more standard deviations are negative (sd1i).", sd1i=sd1i)
        _fail_rows(sd2i < 0, "One or more standard deviations are negative (sd2i).", sd2i=sd2i)
        _fail_rows((n1i <= 0) | (n2i <= 0), "One or more group sizes are <= 0.", n1i=n1i, n2i=n2i)


def _pooled_sd(
    sd1i: FloatArray, sd2i: FloatArray, n1i: FloatArray, n2i: FloatArray, df: FloatArray
) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(((n1i - 1) * sd1i**2 + (n2i - 1) * sd2i**2) / df)


def _two_group_raw(ctx: _Context, arrays: dict[str, FloatArray]) -> EffectSizes:
    _require(arrays, "m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i")
    m1i, sd1i, n1i, m2i, sd2i, n2i = (
        arrays[n] for n in ("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i")
    )
    _check_two_group(arrays)
    ni = n1i + n2i
    sdpi = _pooled_sd(sd1i, sd2i, n1i, n2i, ni - 2)
    details: dict[str, FloatArray] = {}
    if "HO" in ctx.vtypes:
        details["sd_pooled"] = sdpi

    with np.errstate(divide="ignore", invalid="ignore"):
        if ctx.measure == "MD":
            yi = m1i - m2i
            yi_na = _isna(m1i, m2i)
            vi = _by_vtype(
                ctx.vtypes,
                ctx.k,
                {
                    "UB": lambda: sd1i**2 / n1i + sd2i**2 / n2i,
                    "LS": lambda: sd1i**2 / n1i + sd2i**2 / n2i,
                    "HO": lambda: sdpi**2 * (1 / n1i + 1 / n2i),
                },
            )
            vi_na = _isna(sd1i, sd2i, n1i, n2i)
        else:  # ROM
            yi = _log(ctx, m1i / m2i)
            yi_na = _isna(m1i, m2i)
            cv1 = sd1i / m1i
            cv2 = sd2i / m2i

            def avho() -> FloatArray:
                keep = ~_isna(n1i, n2i, cv1, cv2)
                pooled = (np.sum(n1i[keep] * cv1[keep]) + np.sum(n2i[keep] * cv2[keep])) / np.sum(
                    (n1i + n2i)[keep]
                )
                return pooled**2 * (1 / n1i + 1 / n2i)

            vi = _by_vtype(
                ctx.vtypes,
                ctx.k,
                {
                    "LS": lambda: sd1i**2 / (n1i * m1i**2) + sd2i**2 / (n2i * m2i**2),
                    "HO": lambda: sdpi**2 / (n1i * m1i**2) + sdpi**2 / (n2i * m2i**2),
                    "AV": lambda: _wmean(cv1, n1i) ** 2 / n1i + _wmean(cv2, n2i) ** 2 / n2i,
                    "AVHO": avho,
                },
            )
            vt = np.asarray(ctx.vtypes, dtype=object)
            uses_means = (vt == "LS") | (vt == "HO")
            vi_na = _isna(n1i, n2i) | (uses_means & _isna(m1i, m2i, sd1i, sd2i))
    return _finalize(ctx, yi, vi, yi_na=yi_na, vi_na=vi_na, ni=ni, details=details)


def _smd(ctx: _Context, arrays: dict[str, FloatArray]) -> EffectSizes:
    _require(arrays, "n1i", "n2i")
    n1i, n2i = arrays["n1i"], arrays["n2i"]
    nan = np.full(ctx.k, np.nan)
    d_rep = arrays.get("di", nan)
    t_rep = arrays.get("ti", nan)
    has_means = all(name in arrays for name in ("m1i", "sd1i", "m2i", "sd2i"))
    if not has_means and "di" not in arrays and "ti" not in arrays:
        _require(arrays, "m1i", "sd1i", "m2i", "sd2i")

    # metafor: di <- replmiss(di, ti * sqrt(1/n1i + 1/n2i)); then rows with a d use
    # m1i = d, m2i = 0, sd1i = sd2i = 1, so the d is treated as *uncorrected*.
    with np.errstate(divide="ignore", invalid="ignore"):
        d_given = np.where(np.isnan(d_rep), t_rep * np.sqrt(1 / n1i + 1 / n2i), d_rep)
    from_d = ~np.isnan(d_given)
    m1i = np.where(from_d, d_given, arrays.get("m1i", nan))
    m2i = np.where(from_d, 0.0, arrays.get("m2i", nan))
    sd1i = np.where(from_d, 1.0, arrays.get("sd1i", nan))
    sd2i = np.where(from_d, 1.0, arrays.get("sd2i", nan))
    effective = {"m1i": m1i, "m2i": m2i, "sd1i": sd1i, "sd2i": sd2i, "n1i": n1i, "n2i": n2i}
    _check_two_group(effective)

    source = np.where(
        ~np.isnan(d_rep),
        "di",
        np.where(~np.isnan(t_rep), "ti", np.where(_isna(m1i, m2i, sd1i, sd2i), "missing", "means")),
    )
    ni = n1i + n2i
    mi = ni - 2
    sdpi = _pooled_sd(sd1i, sd2i, n1i, n2i, mi)
    cmi = np.asarray(hedges_j(mi), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = (m1i - m2i) / sdpi
        yi = cmi * d
        # J is NA (not NaN) in R when df <= 1, so those rows count as missing, not produced
        yi_na = _isna(m1i, m2i, sd1i, sd2i, n1i, n2i) | np.isnan(cmi)
        ybar = _wmean(np.where(yi_na, np.nan, yi), ni)
        vi = _by_vtype(
            ctx.vtypes,
            ctx.k,
            {
                "UB": lambda: 1 / n1i + 1 / n2i + (1 - (mi - 2) / (mi * cmi**2)) * yi**2,
                "LS": lambda: 1 / n1i + 1 / n2i + yi**2 / (2 * ni),
                "AV": lambda: 1 / n1i + 1 / n2i + ybar**2 / (2 * ni),
                "LS2": lambda: cmi**2 * (1 / n1i + 1 / n2i + d**2 / (2 * ni)),
            },
        )
    vt = np.asarray(ctx.vtypes, dtype=object)
    vi_na = _isna(n1i, n2i) | ((vt != "AV") & yi_na)
    details = {
        "df": mi,
        "correction_factor": cmi,
        "d_uncorrected": d,
        "sd_pooled": np.where(source == "means", sdpi, np.nan),
    }
    return _finalize(
        ctx,
        yi,
        vi,
        yi_na=yi_na,
        vi_na=vi_na,
        ni=ni,
        source=tuple(str(s) for s in source),
        details=details,
    )


# ---------------------------------------------------------------------------------------
# one group, two time points: MC, SMCC, SMCR, SMCRH


def _change(ctx: _Context, arrays: dict[str, FloatArray]) -> EffectSizes:
    needs_sd2 = ctx.measure != "SMCR"  # SMCR standardizes by sd1i and never reads sd2i
    required = (
        ("m1i", "m2i", "sd1i", "sd2i", "ni", "ri")
        if needs_sd2
        else ("m1i", "m2i", "sd1i", "ni", "ri")
    )
    _require(arrays, *required)
    m1i, m2i, sd1i, ni, ri = (arrays[n] for n in ("m1i", "m2i", "sd1i", "ni", "ri"))
    sd2i = arrays.get("sd2i", np.full(ctx.k, np.nan))
    with np.errstate(invalid="ignore"):
        _fail_rows(sd1i < 0, "One or more standard deviations are negative (sd1i).", sd1i=sd1i)
        if needs_sd2:
            _fail_rows(sd2i < 0, "One or more standard deviations are negative (sd2i).", sd2i=sd2i)
        _fail_rows(np.abs(ri) > 1, "One or more correlations are > 1 or < -1.", ri=ri)
        _fail_rows(ni <= 0, "One or more sample sizes are <= 0.", ni=ni)

    mi = ni - 1
    details: dict[str, FloatArray] = {"df": mi}
    with np.errstate(divide="ignore", invalid="ignore"):
        var_change = sd1i**2 + sd2i**2 - 2 * ri * sd1i * sd2i
        if ctx.measure == "MC":
            yi = m1i - m2i
            vi = var_change / ni
            yi_na = _isna(m1i, m2i)
            vi_na = _isna(sd1i, sd2i, ri, ni)
        elif ctx.measure == "SMCC":
            cmi = np.asarray(hedges_j(mi), dtype=float)
            sddi = np.sqrt(var_change)
            d = (m1i - m2i) / sddi
            yi = cmi * d
            vi = _by_vtype(
                ctx.vtypes,
                ctx.k,
                {
                    "LS": lambda: 1 / ni + yi**2 / (2 * ni),
                    "LS2": lambda: cmi**2 * (1 / ni + d**2 / (2 * ni)),
                },
            )
            yi_na = _isna(m1i, m2i, sd1i, sd2i, ri, ni) | np.isnan(cmi)
            vi_na = yi_na
            details.update(correction_factor=cmi, d_uncorrected=d, sd_change=sddi)
        elif ctx.measure == "SMCR":
            cmi = np.asarray(hedges_j(mi), dtype=float)
            d = (m1i - m2i) / sd1i
            yi = cmi * d
            vi = _by_vtype(
                ctx.vtypes,
                ctx.k,
                {
                    "LS": lambda: 2 * (1 - ri) / ni + yi**2 / (2 * ni),
                    "LS2": lambda: cmi**2 * (2 * (1 - ri) / ni + d**2 / (2 * ni)),
                },
            )
            yi_na = _isna(m1i, m2i, sd1i, ni) | np.isnan(cmi)
            vi_na = yi_na | np.isnan(ri)
            details.update(correction_factor=cmi, d_uncorrected=d)
        else:  # SMCRH
            cmi = np.asarray(hedges_j(mi), dtype=float)
            yi = cmi * (m1i - m2i) / sd1i
            vi = cmi**2 * (var_change / (sd1i**2 * (ni - 1)) + yi**2 / (2 * (ni - 1)))
            yi_na = _isna(m1i, m2i, sd1i, ni) | np.isnan(cmi)
            vi_na = yi_na | _isna(sd2i, ri)
            details.update(correction_factor=cmi)
    return _finalize(ctx, yi, vi, yi_na=yi_na, vi_na=vi_na, ni=ni, details=details)


# ---------------------------------------------------------------------------------------
# single proportions: PR, PLO


def _proportion(
    ctx: _Context, arrays: dict[str, FloatArray], *, add: float, to: str
) -> EffectSizes:
    xi, mi, ni = arrays.get("xi"), arrays.get("mi"), arrays.get("ni")
    if ni is not None and xi is not None and mi is not None:
        _fail_rows(
            ~np.isnan(ni) & ~np.isnan(xi + mi) & (ni != xi + mi),
            "One or more 'ni' values are not equal to 'xi + mi'.",
            ni=ni,
            xi=xi,
            mi=mi,
        )
    if ni is not None and xi is not None:
        mi = ni - xi if mi is None else np.where(np.isnan(mi), ni - xi, mi)
    if xi is None or mi is None:
        _require({}, *[n for n, v in (("xi", xi), ("mi|ni", mi)) if v is None])
    assert xi is not None and mi is not None
    n = xi + mi
    with np.errstate(invalid="ignore"):
        _fail_rows(
            xi > n,
            "One or more event counts are larger than the corresponding group sizes.",
            xi=xi,
            ni=n,
        )
        _fail_rows((xi < 0) | (mi < 0), "One or more counts are negative.", xi=xi, mi=mi)
        _fail_rows(n <= 0, "One or more group sizes are <= 0.", ni=n)
    ni_u = n
    (xi, mi), applied = _apply_continuity([xi, mi], add, to)
    n = xi + mi
    na = _isna(xi, mi)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = xi / n
        pbar = _wmean(p, n)
        if ctx.measure == "PR":
            yi = p
            vi = _by_vtype(
                ctx.vtypes,
                ctx.k,
                {
                    "UB": lambda: p * (1 - p) / (n - 1),
                    "LS": lambda: p * (1 - p) / n,
                    "AV": lambda: pbar * (1 - pbar) / n,
                },
            )
        else:  # PLO
            yi = _log(ctx, p / (1 - p))
            vi = _by_vtype(
                ctx.vtypes,
                ctx.k,
                {
                    "LS": lambda: 1 / xi + 1 / mi,
                    "AV": lambda: 1 / (pbar * n) + 1 / ((1 - pbar) * n),
                },
            )
    return _finalize(
        ctx, yi, vi, yi_na=na, vi_na=na, ni=ni_u, add_applied=applied, details={"xi": xi, "mi": mi}
    )


# ---------------------------------------------------------------------------------------
# correlations: ZCOR


def _zcor(ctx: _Context, arrays: dict[str, FloatArray]) -> EffectSizes:
    _require(arrays, "ri", "ni")
    ri, ni = arrays["ri"], arrays["ni"]
    with np.errstate(invalid="ignore"):
        _fail_rows(np.abs(ri) > 1, "One or more correlations are > 1 or < -1.", ri=ri)
        _fail_rows(ni <= 0, "One or more sample sizes are <= 0.", ni=ni)
        small = ni <= 3
    if np.any(small):
        ctx.warnings.append(_MSG_ZCOR_NI)
    with np.errstate(divide="ignore", invalid="ignore"):
        yi = 0.5 * np.log((1 + ri) / (1 - ri))
        vi = np.where(small, np.nan, 1 / (ni - 3))
    return _finalize(ctx, yi, vi, yi_na=np.isnan(ri), vi_na=np.isnan(ni) | small, ni=ni)
