"""Case diagnostics for fitted models: leave-one-out, influence, cumulative meta-analysis
and residuals.

Counterparts of metafor's ``leave1out.rma.uni``, ``influence.rma.uni``,
``cumul.rma.uni``, ``residuals.rma``, ``rstandard.rma.uni`` and ``rstudent.rma.uni``
(Viechtbauer & Cheung 2010, *Res Synth Methods* 1:112-125). Every refit uses the model's
method, test, level and control, as metafor does; ``rstudent`` takes its values from
the deletion fits behind ``influence``.

For models without moderators the k refits are one vectorised computation
(:func:`metareview.pool.fit_batch` with a k x k mask: all-but-one study for
leave-one-out and influence, the lower triangle for the cumulative analysis), so
leave-one-out on 1,000 studies runs no Python loop over studies. For the FE/EE and DL
estimators, whose tau^2 has a closed form, the leave-one-out fits (also behind
``influence``) are two matrix products with no iteration at all
(:func:`_leave1out_closed`). Influence diagnostics of meta-regressions refit the k models
one at a time, and so do all three for a model fitted with ``weights`` or
``weighted=False``, each refit with the weights of its studies, as metafor's; their
influence statistics then take the hat matrix X (X'AX)^-1 X'A and the sandwich
covariance of that model (:func:`metareview.pool.rma`).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from metareview import distributions as dist
from metareview.arguments import alpha_from_level, check_aligned
from metareview.pool import (
    _FIXED,
    _TRP_ILL,
    RMAResult,
    _batch_finish,
    _batch_tau2,
    _control,
    _fcf_columns,
    _freeze,
    _jsonable,
    _refits,
    _Rows,
    _table,
    apply_transf,
    refuse_custom_weights,
    require_model,
    sort_bounds,
)

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from metareview.mh import MHResult, PetoResult


def _tables_fit(res: object) -> TypeIs[MHResult | PetoResult]:
    """Whether ``res`` is a Mantel-Haenszel or Peto fit (:mod:`metareview.mh`), without
    importing that module: a fit of it exists only once it is imported, and the
    workflow's analysis steps, which import this module, never fit one."""
    mh = sys.modules.get("metareview.mh")
    return mh is not None and isinstance(res, (mh.MHResult, mh.PetoResult))

__all__ = [
    "CumulResult",
    "InfluenceResult",
    "Leave1outResult",
    "RstandardResult",
    "RstudentResult",
    "cumul",
    "influence",
    "leave1out",
    "residuals",
    "rstandard",
    "rstudent",
]

_EPS = float(np.finfo(float).eps)


def _to_dict(obj: Any) -> dict[str, Any]:
    return {f.name: _jsonable(getattr(obj, f.name)) for f in fields(obj)}


#: Fields shared by :class:`Leave1outResult` and :class:`CumulResult`, one entry per fit.
_FIT_FIELDS = (
    "estimate",
    "se",
    "zval",
    "df",
    "pval",
    "ci_lb",
    "ci_ub",
    "Q",
    "Qp",
    "tau2",
    "I2",
    "H2",
)


@dataclass(frozen=True, eq=False)
class _SubsetFits:
    """k refits of an intercept-only model on subsets of its studies (common part of
    :class:`Leave1outResult` and :class:`CumulResult`)."""

    slab: Sequence[str]  # the model's StudyLabels, or a tuple of the labels refitted
    test: str
    estimate: np.ndarray
    se: np.ndarray
    zval: np.ndarray
    df: np.ndarray
    pval: np.ndarray
    ci_lb: np.ndarray
    ci_ub: np.ndarray
    Q: np.ndarray
    Qp: np.ndarray
    tau2: np.ndarray
    I2: np.ndarray
    H2: np.ndarray
    #: the model's ``method``: the printed table leaves out tau2 for an FE or EE model,
    #: whose refits all have tau^2 = 0, as metafor's print does
    method: str = field(kw_only=True)
    #: whether ``transf`` was applied to estimate, ci_lb and ci_ub (``se`` is then NaN,
    #: metafor's NA, and left out of the printed table, as metafor's print does)
    transf: bool = field(default=False, kw_only=True)

    #: key order of ``to_dict``
    _keys: ClassVar[tuple[str, ...]] = ("slab", "test", *_FIT_FIELDS, "transf")
    #: header of the p-value column in metafor's print (``pvals`` in ``cumul``'s)
    _pval_header: ClassVar[str] = "pval"

    def __post_init__(self) -> None:
        _freeze(self)

    def to_dict(self) -> dict[str, Any]:
        return {key: _jsonable(getattr(self, key)) for key in self._keys}

    def summary(self, digits: int = 4) -> str:
        """One row per fit, labelled by ``slab``, with metafor's columns (``print`` of
        ``leave1out``/``cumul``): estimate, se, zval (tval), pval (``pvals`` for cumul),
        ci.lb, ci.ub, Q, Qp, tau2 (left out for an FE or EE model, as metafor's print does),
        I2, H2, each with ``digits`` decimals; se is left out after ``transf``."""
        stat = "zval" if self.test == "z" else "tval"
        pairs = [("estimate", self.estimate), ("se", self.se), (stat, self.zval),
                 (self._pval_header, self.pval), ("ci.lb", self.ci_lb),
                 ("ci.ub", self.ci_ub), ("Q", self.Q), ("Qp", self.Qp),
                 ("tau2", self.tau2), ("I2", self.I2), ("H2", self.H2)]  # fmt: skip
        if self.method in _FIXED:
            pairs = [(name, v) for name, v in pairs if name != "tau2"]
        if self.transf:
            pairs = [(name, v) for name, v in pairs if name != "se"]
        cols, values = zip(*pairs)
        # A fit with estimate 0 and se 0 (a study of vi = 0 and yi = 0) has z = 0/0,
        # which R prints as NaN, and so its p-value; a missing one (a refit that
        # failed, a Q not computed) is NA
        fitted = np.isfinite(np.asarray(self.estimate, dtype=float)) & (
            self.transf | np.isfinite(np.asarray(self.se, dtype=float))
        )
        marks = {stat: fitted, self._pval_header: fitted}
        if self.transf:
            # transf of a bound of a fit that worked may be NaN (sqrt of a negative
            # one), which R prints as NaN; a failed refit (no Q, no statistic) is NA
            refit = ~(
                np.isnan(np.asarray(self.zval, dtype=float))
                & np.isnan(np.asarray(self.Q, dtype=float))
            )
            marks.update({"estimate": refit, "ci.lb": refit, "ci.ub": refit})
        undefined = tuple(marks.get(name) for name in cols)
        return _text_table(cols, values, self.slab, int(digits), undefined)

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # IPython/Jupyter display: the table, not the dataclass repr of 13 arrays
        printer.text(self.summary())


def _text_table(
    cols: tuple[str, ...],
    values: tuple[np.ndarray, ...],
    slab: Any,
    digits: int,
    undefined: tuple[np.ndarray | None, ...] | None = None,
) -> str:
    """Columns of numbers (``digits`` decimals, NA for missing, Inf and -Inf as R prints
    them) under their names, one row per study labelled by ``slab``, right-aligned as R
    prints a data frame. ``undefined`` marks, per column (None: none), the rows where a
    nan is R's NaN (0/0), printed as NaN, not a missing value (NA); a column of nothing
    but nan is all NA, as metafor's ``.fcf`` prints it."""
    marks = undefined if undefined is not None else (None,) * len(values)
    # no mark: no NaN in that column (an empty mark; _fcf_columns' None would mark all)
    cells = [
        _fcf_columns([v], digits, [np.zeros(np.size(v), dtype=bool) if mark is None else mark])[0]
        for v, mark in zip(values, marks)
    ]
    rows = [list(r) for r in zip(*cells)]
    return "\n".join(_table(list(cols), rows, [str(s) for s in slab]))


@dataclass(frozen=True, eq=False)
class Leave1outResult(_SubsetFits):
    """Leave-one-out fits: entry i is the model without study i (``slab[i]``).

    ``zval`` is the Wald statistic (a t statistic when ``test`` is not ``"z"``, with
    ``df`` = k - 2); ``Q``/``Qp`` are Cochran's Q of the k - 1 studies and its p-value.
    ``tau2`` is 0 for FE/EE models (``method``, the model's), whose printed table
    leaves it out, as metafor's does.
    """


@dataclass(frozen=True, eq=False)
class CumulResult(_SubsetFits):
    """Cumulative fits: entry i pools the first i + 1 studies in ``order``.

    ``order`` holds the 0-based study indices in the order they were added; ``slab``
    follows that order. Other fields as in :class:`Leave1outResult`.
    """

    order: np.ndarray

    _keys: ClassVar[tuple[str, ...]] = ("slab", "order", "test", *_FIT_FIELDS, "transf")
    _pval_header: ClassVar[str] = "pvals"


@dataclass(frozen=True, eq=False)
class InfluenceResult:
    """Case-deletion diagnostics (metafor's ``influence.rma.uni``), one entry per study.

    * ``rstudent``: externally studentised residual (y_i - mu_(-i)) / sqrt(v_i s2w_(-i) +
      var(mu_(-i)) + tau2_(-i) s2w_(-i));
    * ``dffits``: (mu - mu_(-i)) / sqrt(s2w_(-i) h_i (tau2_(-i) + v_i));
    * ``cook_d``: (b - b_(-i))' vb^-1 (b - b_(-i)); ``cov_r``: det vb_(-i) / det vb;
    * ``tau2_del``, ``QE_del``: tau^2 and QE without study i; ``hat``: leverage
      w_i x_i'(X'WX)^-1 x_i; ``weight``: percentage weight;
    * ``dfbs`` (k x p), also ``dfbetas``: (b - b_(-i)) / sqrt(s2w_(-i)
      diag((X'W_(-i)X)^-1)), W_(-i) the full-data weights with tau2_(-i); column j
      belongs to coefficient ``coef_names[j]`` (``"intrcpt"`` and the moderators' names,
      as the columns of metafor's ``$dfbs``);
    * ``is_infl``: metafor's flag |dffits| > 3 sqrt(p/(k-p)), or P(chi2_p <= cook_d) > 0.5,
      or hat > 3p/k, or any |dfbetas| > 1; None (metafor: NA) where no criterion holds
      and one is unknown, as for a study whose deletion leaves a coefficient without
      data (the array then holds objects rather than bools; ``print`` shows a blank, as
      metafor's); ``infl_index``: 0-based indices of flagged studies.
    """

    slab: Sequence[str]  # the model's StudyLabels
    rstudent: np.ndarray
    dffits: np.ndarray
    cook_d: np.ndarray
    cov_r: np.ndarray
    tau2_del: np.ndarray
    QE_del: np.ndarray
    hat: np.ndarray
    weight: np.ndarray
    dfbetas: np.ndarray
    coef_names: tuple[str, ...]
    is_infl: np.ndarray
    infl_index: np.ndarray

    @property
    def dfbs(self) -> np.ndarray:
        """The DFBETAS under metafor's name (``inf$dfbs``), which the table prints too:
        the same read-only array as ``dfbetas``, one column per coefficient."""
        return self.dfbetas

    def summary(self, digits: int = 4) -> str:
        """One row per study with metafor's columns (``print`` of ``influence``):
        rstudent, dffits, cook.d, cov.r, tau2.del, QE.del, hat, weight, dfbs (one column
        per coefficient, ``dfbs.<name>`` with moderators) and inf (``*`` for a study
        flagged as influential)."""
        cols: tuple[str, ...] = (
            "rstudent", "dffits", "cook.d", "cov.r", "tau2.del", "QE.del", "hat", "weight",
        )  # fmt: skip
        values: tuple[np.ndarray, ...] = (self.rstudent, self.dffits, self.cook_d, self.cov_r, self.tau2_del,
                  self.QE_del, self.hat, self.weight)  # fmt: skip
        dfbetas = np.asarray(self.dfbetas, dtype=float).reshape(len(self.slab), -1)
        if dfbetas.shape[1] == 1:
            cols += ("dfbs",)
        else:
            cols += tuple(f"dfbs.{name}" for name in self.coef_names)
        values += tuple(dfbetas.T)
        lines = _text_table(cols, values, self.slab, int(digits)).split("\n")
        # an unknown flag (None) is blank, as metafor prints an NA one
        flags = ["inf"] + ["*" if f else "" for f in self.is_infl]
        return "\n".join(f"{line}  {flag:>3}".rstrip() for line, flag in zip(lines, flags))

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.summary())

    def __post_init__(self) -> None:
        _freeze(self)

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)


def _require_int_only(res: RMAResult, what: str, min_k: int = 2) -> None:
    require_model(res, what)
    if not res.int_only:
        raise ValueError(f"{what} is only defined for models without moderators (as in metafor)")
    if res.k < min_k:
        raise ValueError(f"{what} needs k >= {min_k} studies")


#: Upper bound on the number of (fit, study) cells solved at once: about 32 MB per
#: working array. Larger problems are split into blocks of fits (not a loop over
#: studies: each block is still one vectorised computation).
_BLOCK_CELLS = 1 << 22


def _leave1out_closed(
    y: np.ndarray, v: np.ndarray, method: str, test: str, level: float
) -> dict[str, np.ndarray]:
    """Leave-one-out fits of the FE/EE and DL models, whose tau^2 has a closed form.

    With keep = 1 - I (row i: every study but i) and w0 = 1/v, every equal-effects
    quantity of the k fits is a column of one product keep @ [w0, w0 yc, w0 yc^2, w0^2]
    (direct sums over the k - 1 studies, not totals minus study i, which would
    cancel when one study dominates); the random-effects sums with w = 1/(v + tau2_(-i))
    are a second product. Formulas as :func:`metareview.pool._batch_tau2` (DerSimonian &
    Laird 1986) and :func:`metareview.pool._batch_finish`; for the data these paths
    accept (k >= 3, all v > 0) the results agree with the batched solver to rounding.
    """
    k = y.size
    k1 = k - 2.0  # degrees of freedom of each fit (k - 1 studies)
    center = float(np.add.reduce(y)) / k  # centred as _Rows centres shared data
    M = np.empty((3, k))  # [1, yc, yc^2]
    M[0] = 1.0
    np.subtract(y, center, out=M[1])
    np.multiply(M[1], M[1], out=M[2])
    w0 = np.divide(1.0, v)
    Z = np.empty((4, k))
    np.multiply(M, w0, out=Z[:3])
    np.multiply(w0, w0, out=Z[3])
    keep = np.ones((k, k))
    keep.flat[:: k + 1] = 0.0
    S1, Sy, Syy, S2 = Z @ keep  # keep is symmetric: row j of the product is fit j
    mu0 = Sy / S1
    Q = np.maximum(Syy - mu0 * Sy, 0.0)
    trP = S1 - S2 / S1
    if method in _FIXED:
        tau2 = np.zeros(k)
        sum_w, mu, RSS = S1, mu0, Q
    else:
        tau2 = np.maximum(0.0, (Q - k1) / trP)
        W = np.add(v, tau2[:, None])  # row i: v_j + tau2_(-i)
        np.divide(keep, W, out=W)
        if test in ("knha", "adhoc"):
            sum_w, sw_y, sw_yy = M @ W.T
            mu = sw_y / sum_w
            RSS = np.maximum(sw_yy - mu * sw_y, 0.0)
        else:  # the residual sum of squares only scales Knapp-Hartung SEs
            sum_w, sw_y = M[:2] @ W.T
            mu = sw_y / sum_w
    estimate = mu + center
    if test in ("knha", "adhoc"):
        s2w = np.where(RSS <= _EPS, 0.0, RSS / k1)
        if test == "adhoc":
            s2w = np.maximum(s2w, 1.0)
        se = np.sqrt(s2w / sum_w)
        with np.errstate(divide="ignore", invalid="ignore"):  # se = 0 when RSS is
            zval = estimate / se
    else:
        s2w = np.ones(k)
        se = np.sqrt(1.0 / sum_w)
        zval = estimate / se
    alpha = alpha_from_level(level)
    if test == "z":
        df = np.full(k, np.nan)
        crit = dist.norm_isf(alpha / 2)
        pval = dist.two_sided_norm_p(zval)
    else:
        df = np.full(k, k1)
        crit = dist.t_isf(alpha / 2, k1)
        pval = dist.two_sided_t_p(zval, k1)
    vt = k1 / trP
    if method in _FIXED:
        with np.errstate(divide="ignore", invalid="ignore"):
            I2 = np.maximum(0.0, 100.0 * (Q - k1) / Q)
        H2 = Q / k1
    else:
        I2 = 100.0 * tau2 / (vt + tau2)
        H2 = tau2 / vt + 1.0
    return {
        "estimate": estimate,
        "se": se,
        "zval": zval,
        "df": df,
        "pval": pval,
        "ci_lb": estimate - crit * se,
        "ci_ub": estimate + crit * se,
        "QE": Q,
        "QEp": dist.chi2_sf(Q, k1),
        "tau2": tau2,
        "I2": I2,
        "H2": H2,
        "s2w": s2w,
        "sum_w": sum_w,
    }


def _fits(res: RMAResult, kind: str, y: np.ndarray, v: np.ndarray) -> dict[str, np.ndarray]:
    """The k subset fits of ``kind`` ("leave1out" or "cumul") as arrays over the fits:
    closed forms for leave-one-out FE/EE/DL (:func:`_leave1out_closed`), else the batched
    solver (:func:`_batch`)."""
    k = y.size
    if (
        kind == "leave1out"
        and res.method in ("FE", "EE", "DL")
        and not res.tau2_fix
        and 3 <= k
        and k * k <= _BLOCK_CELLS
        and bool(np.minimum.reduce(v) > 0.0)
        and not _one_weight_dominates(v)
    ):
        return _leave1out_closed(y, v, res.method, res.test, res.level)
    return _batch(res, kind, y, v)


def _given_tau2(res: RMAResult) -> float | None:
    """The model's tau^2 when it was given rather than estimated, else None: metafor's
    refits pass ``tau2 = ifelse(x$tau2.fix, x$tau2, NA)``, so every refit of such a model
    keeps that value (and estimates nothing)."""
    return float(res.tau2) if res.tau2_fix else None


def _one_weight_dominates(v: np.ndarray) -> bool:
    """Whether tr(P) = W - sum w^2 / W (w = 1/v) has lost its digits to one dominant
    weight, the test of :data:`metareview.pool._TRP_ILL`: the closed forms' power sums are
    then noise, and :func:`_batch` solves such fits from explicit residuals."""
    w = 1.0 / v
    S1 = float(np.sum(w))
    return not S1 - float(w @ w) / S1 > _TRP_ILL * S1


def _batch(res: RMAResult, kind: str, y: np.ndarray, v: np.ndarray) -> dict[str, np.ndarray]:
    """Solve the k subset fits of ``kind`` ("leave1out" or "cumul") in blocks of rows.

    Returns the :class:`BatchFit` fields as arrays over all k fits.
    """
    con = _control(res.control)
    k = y.size
    step = max(1, _BLOCK_CELLS // max(k, 1))
    keys = (
        "estimate",
        "se",
        "zval",
        "df",
        "pval",
        "ci_lb",
        "ci_ub",
        "QE",
        "QEp",
        "tau2",
        "I2",
        "H2",
        "s2w",
        "sum_w",
    )

    def block(r: np.ndarray) -> dict[str, np.ndarray]:
        if kind == "leave1out":
            mask = np.ones((r.size, k), dtype=bool)
            mask[np.arange(r.size), r] = False
        else:  # cumul: fit r pools studies 0..r
            mask = np.arange(k)[None, :] <= r[:, None]
        rows = _Rows(y, v, mask)
        try:
            # refits of the caller's model stay quiet, as in metafor (suppressWarnings)
            with _refits():
                core = _batch_tau2(rows, res.method, con, _given_tau2(res))
        except (RuntimeError, ValueError):
            # a tau^2 that does not converge within the model's maxiter, or a PM/PMM root
            # beyond uniroot's interval (both under metafor's own stopping rules), fails
            # its whole block: fit the rows one by one, and leave the failing ones NaN,
            # as metafor records the refit as NA
            if r.size > 1:
                singles = [block(r[i : i + 1]) for i in range(r.size)]
                return {key: np.concatenate([b[key] for b in singles]) for key in keys}
            return {key: np.full(1, np.nan) for key in keys}
        # a refit that cannot be computed (a study with vi = 0 left with tau^2 = 0) is a
        # row of NaN, as metafor records it as NA and goes on with the other fits
        bf = _batch_finish(rows, core, res.method, res.test, res.level, loglik=False, failed="nan")
        return {key: np.asarray(getattr(bf, key)) for key in keys}

    parts = [block(np.arange(start, min(k, start + step))) for start in range(0, k, step)]
    if len(parts) == 1:
        return parts[0]
    return {key: np.concatenate([part[key] for part in parts]) for key in keys}


def _refit(
    res: RMAResult,
    keep: np.ndarray,
    y: np.ndarray,
    v: np.ndarray,
    given: np.ndarray | None,
    mods: np.ndarray | None,
    method: str | None = None,
) -> RMAResult:
    """The model ``res`` refitted to the studies ``keep`` of ``y``, ``v``, the weights
    ``given`` and ``mods`` (a model matrix, intercept included), with its test, level,
    control, ``weighted`` and given tau^2 and its method (or ``method``: metafor's
    ``update(res, method = ...)``), quietly as metafor's ``suppressWarnings`` refits."""
    from metareview.pool import _rma_impl

    with _refits():
        return _rma_impl(
            y[keep],
            v[keep],
            method=res.method if method is None else method,
            test=res.test,
            level=res.level,
            mods=None if mods is None else mods[keep],
            intercept=mods is None,
            slab=None,
            control=res.control,
            skip_r2=True,
            weights=None if given is None else given[keep],
            weighted=res.weighted,
            tau2=_given_tau2(res),
        )


def _looped(res: RMAResult, kind: str, order: np.ndarray) -> dict[str, np.ndarray]:
    """The k subset fits of ``kind`` ("leave1out" or "cumul", the studies in ``order``)
    one model at a time, for a model fitted with ``weights`` or ``weighted=False``, whose
    refits the batched solver, built on the weights 1/(vi + tau^2), cannot give.

    Each refit passes the studies' given weights on, as metafor's ``leave1out`` and
    ``cumul`` pass ``weights.f``; one that fails is a row of NaN (metafor: NA).
    """
    y = np.asarray(res.yi)[order]
    v = np.asarray(res.vi)[order]
    given = None if res.weights_given is None else np.asarray(res.weights_given)[order]
    k = y.size
    # the fields leave1out and cumul report (_FIT_FIELDS): influence refits a weighted
    # model in _deletion_fits, which reads each refit's s2w itself
    names = ("estimate", "se", "zval", "df", "pval", "ci_lb", "ci_ub", "QE", "QEp", "tau2",
             "I2", "H2")  # fmt: skip
    out = {key: np.full(k, np.nan) for key in names}
    for i in range(k):
        keep = np.arange(k) != i if kind == "leave1out" else np.arange(k) <= i
        try:
            fit = _refit(res, keep, y, v, given, None)
        except (ValueError, RuntimeError):
            continue
        for key, val in (("estimate", fit.estimate), ("se", fit.se), ("zval", fit.zval),
                         ("df", fit.df), ("pval", fit.pval), ("ci_lb", fit.ci_lb),
                         ("ci_ub", fit.ci_ub), ("QE", fit.QE), ("QEp", fit.QEp),
                         ("tau2", fit.tau2), ("I2", fit.I2), ("H2", fit.H2)):  # fmt: skip
            out[key][i] = np.nan if val is None else val
    return out


def _list_fields(
    bf: dict[str, np.ndarray], transf: Callable[[float], float] | None = None
) -> dict[str, Any]:
    """The fits' fields; with ``transf``, metafor's ``transf``: estimate and the CI
    bounds transformed one value at a time (as its ``sapply``), the bounds put in
    increasing order (``.psort``: a decreasing function swaps them), se NA (NaN), as a
    standard error does not carry over; zval, pval and the rest as fitted."""
    names = {"Q": "QE", "Qp": "QEp"}
    out: dict[str, Any] = {key: bf[names.get(key, key)] for key in _FIT_FIELDS}
    if transf is None:
        return out
    # a failed refit (NaN) stays missing, as metafor's NA does
    lb, ub = sort_bounds(apply_transf(transf, out["ci_lb"]), apply_transf(transf, out["ci_ub"]))
    out.update(
        estimate=apply_transf(transf, out["estimate"]),
        se=np.full(np.shape(out["se"]), math.nan),
        ci_lb=lb,
        ci_ub=ub,
        transf=True,
    )
    return out


def leave1out(res: RMAResult, transf: Callable[[float], float] | None = None) -> Leave1outResult:
    """Refit the model k times, each time leaving out one study (metafor's ``leave1out``).

    Fit i is ``rma(yi[-i], vi[-i])`` with the model's method, test, level and control:
    estimate mu_(-i) = sum_{j != i} w_j y_j / sum_{j != i} w_j with
    w_j = 1/(v_j + tau2_(-i)), its Wald test and CI, Cochran's Q of the k - 1 studies,
    tau2_(-i), I^2 and H^2 (Viechtbauer & Cheung 2010). All k fits are solved together
    by :func:`metareview.pool.fit_batch` with the mask ``~eye(k)``: O(k^2) work per
    iteration in a few array passes, no loop over studies.

    Parameters
    ----------
    res : RMAResult
        A fitted model without moderators, k >= 2.
    transf : callable, optional
        As metafor's ``transf`` (``math.exp`` for a ratio from its log): applied to each
        estimate and CI bound, the bounds put back in increasing order; ``se`` is then
        NaN (metafor's NA) and left out of the printed table; zval, pval, Q, tau2, I2
        and H2 are the fits'.

    Returns
    -------
    Leave1outResult
        One entry per left-out study; ``print`` shows metafor's table. A fit that fails
        (tau^2 not converging within the model's ``maxiter``, a PM/PMM root beyond
        metafor's search interval under its stopping rules) is NaN, as metafor records
        it NA and goes on with the others.

    Raises
    ------
    TypeError
        ``res`` is not a fitted model.
    ValueError
        The model has moderators, or k = 1.

    References
    ----------
    Viechtbauer W, Cheung MW-L (2010). Outlier and influence diagnostics for
    meta-analysis. Research Synthesis Methods 1(2):112-125.
    """
    _require_int_only(res, "leave1out")
    if res.custom_weights:
        bf = _looped(res, "leave1out", np.arange(res.k))
    else:
        bf = _fits(res, "leave1out", np.asarray(res.yi), np.asarray(res.vi))
    return Leave1outResult(
        slab=res.slab, test=res.test, method=res.method, **_list_fields(bf, transf)
    )


def cumul(
    res: RMAResult,
    order: Any = None,
    decreasing: bool = False,
    transf: Callable[[float], float] | None = None,
) -> CumulResult:
    """Cumulative meta-analysis: fit i pools the first i + 1 studies (metafor's ``cumul``).

    Fit i is the model's method, test and level on the first i + 1 studies in the order
    ``order`` gives: mu_i = sum_{j <= i} w_j y_j / sum_{j <= i} w_j with
    w_j = 1/(v_j + tau2_i), as Lau et al. (1992) proposed to show how the evidence
    accumulated.

    Parameters
    ----------
    res : RMAResult
        A fitted model without moderators. With k = 1 the one fit is the model's own
        (Q = 0, p = 1), as metafor returns it.
    order : array_like, optional
        As metafor's ``order``: one value per study (e.g. the publication year) by which
        the studies are sorted, ascending, ties in the data's order (R's ``order()``); for
        a model fitted to a ``subset``, one per study of the data given to ``rma``. A
        pandas Series must have the fit's index (``res.index``) when it has one.
        Default: the data order. Note that it is a sort key, not the indices of the
        studies in the order wanted: those are ``numpy.argsort`` of the key.
    decreasing : bool
        Sort by ``order`` descending instead (ties still in the data's order), as
        metafor's ``decreasing``.
    transf : callable, optional
        As for :func:`leave1out` (metafor's ``transf``).

    Returns
    -------
    CumulResult
        One entry per step; ``order`` holds the 0-based indices of the studies in the
        order added; ``print`` shows metafor's table.

    References
    ----------
    Lau J, Antman EM, Jimenez-Silva J, et al. (1992). Cumulative meta-analysis of
    therapeutic trials for myocardial infarction. NEJM 327(4):248-254.
    """
    # One study is a cumulative meta-analysis of one step (metafor returns it), not an
    # error: a review's first trial has its row too.
    _require_int_only(res, "cumul", min_k=1)
    # a pandas order sorted or shuffled since the fit would sort other studies' values
    check_aligned({"res": res, "order": order}, "cumul")
    k = res.k
    idx = np.arange(k) if order is None else _sort_order(res, order, decreasing)
    if res.custom_weights:
        bf = _looped(res, "cumul", idx)
    else:
        bf = _batch(res, "cumul", np.asarray(res.yi)[idx], np.asarray(res.vi)[idx])
    return CumulResult(
        slab=tuple(res.slab[i] for i in idx),
        test=res.test,
        order=idx,
        method=res.method,
        **_list_fields(bf, transf),
    )


def _sort_order(res: RMAResult, order: Any, decreasing: bool) -> np.ndarray:
    """The study indices that sort ``order`` (metafor's ``order(order, decreasing)``).

    metafor 3.x reads ``order`` as a variable to sort by (metafor 2 read the indices
    themselves). A stable sort keeps tied studies in the data's order, as R's does,
    descending too.
    """
    key = list(order)
    subset = getattr(res, "subset", None)
    k_all = res.k if subset is None else int(subset.size)
    if len(key) != k_all:
        raise ValueError(
            f"order has {len(key)} values for the {k_all} studies of the data"
            + ("" if subset is None else f" the model's subset of {res.k} was taken from")
            + ": give one sort value per study (e.g. its year), as metafor's order"
        )
    kept = [True] * len(key) if subset is None else subset.tolist()
    # named as the library names a study everywhere: order[i], i the 0-based index in
    # the order given (the data's, before any subset), as yi[i] and groups[i] are
    missing = [
        i for i, (x, on) in enumerate(zip(key, kept))
        if on and (x is None or (isinstance(x, float) and math.isnan(x)))
    ]  # fmt: skip
    if missing:
        raise ValueError(
            f"order[{missing[0]}] is missing ({key[missing[0]]!r}): every study fitted needs "
            f"a sort value (0-based indices {missing[:10]})"
        )
    if subset is not None:
        key = [x for x, on in zip(key, kept) if on]
    try:
        idx = sorted(range(len(key)), key=key.__getitem__, reverse=bool(decreasing))
    except TypeError as exc:
        raise ValueError(f"order must hold values that sort against each other: {exc}") from None
    return np.asarray(idx, dtype=np.intp)


def _flags(
    res: RMAResult, dffits: np.ndarray, cook_d: np.ndarray, hat: np.ndarray, dfbetas: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """metafor's ``is.infl``, the "or" of its four criteria in R's logic with NA: a
    criterion whose statistic is NaN (metafor: NA, as for a study whose deletion leaves a
    coefficient without data) is unknown, and the flag is True where any criterion holds,
    else None (NA) where any is unknown, else False.

    Returns the flags (a bool array, or an object array of True, False and None when
    some are unknown) and the mask of the True ones.
    """
    k, p = res.k, res.p
    dfbetas = np.asarray(dfbetas, dtype=float).reshape(k, -1)
    cook_p = np.asarray(dist.chi2_cdf(cook_d, p), dtype=float)
    # k = p: R's 3 * sqrt(p / 0) is Inf, which no |dffits| exceeds
    cut = 3.0 * math.sqrt(p / (k - p)) if k > p else math.inf
    with np.errstate(invalid="ignore"):
        holds = (
            (np.abs(dffits) > cut)
            | (cook_p > 0.5)
            | (hat > 3.0 * p / k)
            | np.any(np.abs(dfbetas) > 1.0, axis=1)
        )
    unknown = ~holds & (
        np.isnan(dffits) | np.isnan(cook_p) | np.isnan(hat) | np.isnan(dfbetas).any(axis=1)
    )
    if not unknown.any():
        return holds, holds
    flags = holds.astype(object)
    flags[unknown] = None
    return flags, holds


def _deletion_fits(res: RMAResult, loop: bool) -> tuple[np.ndarray, ...]:
    """Refits without each study: tau2, QE, s2w, beta (k x p), vb (k x p x p), and
    diag((X'W_(-i)X)^-1) of the full design with tau2_(-i) plugged in (k x p).

    ``loop=False`` (models without moderators or given weights: :func:`influence` asks for
    it only then) solves the k refits as one batch; ``loop=True`` refits one model at a
    time (any design).
    """
    y = np.asarray(res.yi)
    v = np.asarray(res.vi)
    k, p = res.k, res.p
    X = np.asarray(res.X)
    if not loop:
        bf = _fits(res, "leave1out", y, v)
        tau2_del = bf["tau2"]
        s2w_del = bf["s2w"]
        vb_del = (s2w_del / bf["sum_w"])[:, None, None]
        # sum over all k studies of 1/(v_j + tau2_(-i)), in blocks of fits
        full = _Rows(y, v, None)
        step = max(1, _BLOCK_CELLS // k)
        sum_w_full = np.concatenate(
            [full.weights(tau2_del[i : i + step]).sum(axis=1) for i in range(0, k, step)]
        )
        vb_full_del = (1.0 / sum_w_full)[:, None]
        return tau2_del, bf["QE"], s2w_del, bf["estimate"][:, None], vb_del, vb_full_del

    given = res.weights_given
    B = _hat_factor(res) if res.custom_weights else None
    tau2_del = np.full(k, np.nan)
    QE_del = np.full(k, np.nan)
    s2w_del = np.full(k, np.nan)
    beta_del = np.full((k, p), np.nan)
    vb_del = np.full((k, p, p), np.nan)
    vb_full_del = np.full((k, p), np.nan)
    for i in range(k):
        keep = np.arange(k) != i
        try:
            # metafor refits inside suppressWarnings(): the warnings about these data
            # were the model's own, once
            fit = _refit(res, keep, y, v, given, X)
        except (ValueError, RuntimeError):
            continue  # e.g. a coefficient not estimable without study i (metafor: NA)
        tau2_del[i] = fit.tau2
        QE_del[i] = np.nan if fit.QE is None else fit.QE
        s2w_del[i] = fit.s2w
        beta_del[i] = fit.beta
        vb_del[i] = fit.vb
        if B is not None:
            # metafor's vb.del: the sandwich of the full design with tau2_(-i)
            vb_full_del[i] = np.einsum("ij,j,ij->i", B, v + fit.tau2, B)
        else:
            wd = 1.0 / (v + fit.tau2)
            vb_full_del[i] = np.diag(np.linalg.inv(X.T @ (X * wd[:, None])))
    return tau2_del, QE_del, s2w_del, beta_del, vb_del, vb_full_del


def _hat_factor(res: RMAResult) -> np.ndarray:
    """B = (X'AX)^-1 X'A (p x k) of a model fitted with weights a_i (a_i = 1 when not
    ``weighted``): beta = B y and the hat matrix is H = X B."""
    X = np.asarray(res.X)
    given = res.weights_given
    a = np.asarray(given) if (res.weighted and given is not None) else np.ones(res.k)
    XtA = X.T * a[None, :]
    return np.linalg.solve(XtA @ X, XtA)


def influence(res: RMAResult) -> InfluenceResult:
    """Case-deletion influence diagnostics (metafor's ``influence.rma.uni``).

    Follows Viechtbauer & Cheung (2010): each study is deleted in turn and the model is
    refitted with the same method and test; statistics compare the deleted fit with the
    full fit (see :class:`InfluenceResult` for the formulas). For models without
    moderators the k deletions are solved in one vectorised batch.

    Parameters
    ----------
    res : RMAResult
        A fitted model (with or without moderators), k >= 2.

    Returns
    -------
    InfluenceResult
        One entry per study; ``print`` shows metafor's table with its ``*`` flags.

    References
    ----------
    Viechtbauer W, Cheung MW-L (2010). Outlier and influence diagnostics for
    meta-analysis. Research Synthesis Methods 1(2):112-125.
    """
    parts = _influence_parts(res, "influence")
    return InfluenceResult(
        slab=res.slab,
        coef_names=tuple(res.coef_names),
        **{name: parts[name] for name in _INFLUENCE_FIELDS},
    )


#: the fields of :class:`InfluenceResult` that :func:`_influence_parts` computes
_INFLUENCE_FIELDS = (
    "rstudent", "dffits", "cook_d", "cov_r", "tau2_del", "QE_del", "hat", "weight", "dfbetas",
    "is_infl", "infl_index",
)  # fmt: skip


def _influence_parts(res: RMAResult, caller: str) -> dict[str, np.ndarray]:
    """The arrays of :func:`influence`, and the parts of the externally studentised
    residuals behind its ``rstudent``: ``resid`` (y_i - x_i'b_(-i)) and ``seresid``, its
    standard error, which :func:`rstudent` returns as metafor's ``rstudent.rma.uni``
    does (its ``influence(measure = "rstudent")``)."""
    require_model(res, caller)
    if res.k == 1:
        raise ValueError(f"{caller} needs k >= 2 studies")
    y = np.asarray(res.yi)
    v = np.asarray(res.vi)
    X = np.asarray(res.X)
    beta = np.asarray(res.beta)
    vb = np.asarray(res.vb)
    weight = np.asarray(res.weights)
    if res.custom_weights:
        # metafor's hatvalues() of such a model: the diagonal of H = X (X'AX)^-1 X'A
        H = X @ _hat_factor(res)
        hat = np.diag(H).copy()
        hat[hat > 1.0 - 10.0 * _EPS] = 1.0
    else:
        w_full = 1.0 / (v + res.tau2)
        # hat values use the unscaled (X'WX)^-1 as metafor's hatvalues()
        XtWX_inv = np.linalg.inv(X.T @ (X * w_full[:, None]))
        hat = w_full * np.einsum("ij,jk,ik->i", X, XtWX_inv, X)

    tau2_del, QE_del, s2w_del, beta_del, vb_del, vb_full_del = _deletion_fits(
        res, loop=not res.int_only or res.custom_weights
    )
    if res.custom_weights:
        # var of the fitted value x_i'beta with tau2_(-i): (H diag(v + tau2_(-i)) H')_ii,
        # where the inverse-variance fit has h_i (tau2_(-i) + v_i)
        fitted_var = np.einsum("ij,ij,j->i", H, H, v) + tau2_del * np.einsum("ij,ij->i", H, H)
    else:
        fitted_var = hat * (tau2_del + v)

    delpred = np.einsum("ij,ij->i", X, beta_del)
    vdelpred = np.einsum("ij,ijk,ik->i", X, vb_del, X)
    pred_full = X @ beta
    with np.errstate(invalid="ignore", divide="ignore"):
        dffits = (pred_full - delpred) / np.sqrt(s2w_del * fitted_var)
        dfb = beta[None, :] - beta_del
        dfbetas = dfb / np.sqrt(s2w_del[:, None] * vb_full_del)
        svb = np.linalg.inv(vb)
        cook_d = np.einsum("ij,jk,ik->i", dfb, svb, dfb)
        cov_r = np.linalg.det(vb_del) / np.linalg.det(vb)
        resid = y - delpred
        resid[np.abs(resid) < 100 * _EPS] = 0.0
        seresid = np.sqrt(v * s2w_del + vdelpred + tau2_del * s2w_del)
        rstudent = resid / seresid
    is_infl, flagged = _flags(res, dffits, cook_d, hat, dfbetas)
    return {
        "rstudent": rstudent, "dffits": dffits, "cook_d": cook_d, "cov_r": cov_r,
        "tau2_del": tau2_del, "QE_del": QE_del, "hat": hat, "weight": weight,
        "dfbetas": dfbetas, "is_infl": is_infl, "infl_index": np.flatnonzero(flagged),
        "resid": resid, "seresid": seresid,
    }  # fmt: skip


# ==================================================================== residuals


@dataclass(frozen=True, eq=False)
class _StudyResiduals:
    """Standardised residuals, one per study fitted (common part of
    :class:`RstandardResult` and :class:`RstudentResult`)."""

    resid: np.ndarray
    se: np.ndarray
    z: np.ndarray
    slab: Sequence[str]  # the model's StudyLabels

    def __post_init__(self) -> None:
        _freeze(self)

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)

    def summary(self, digits: int = 4) -> str:
        """One row per study, labelled by ``slab``, with metafor's columns (``print`` of
        ``rstandard`` and ``rstudent``): resid, se and z, with ``digits`` decimals."""
        z, resid, se = (np.asarray(a, dtype=float) for a in (self.z, self.resid, self.se))
        # z = 0/0 (a residual and its se both 0: h_ii = 1) is R's NaN, not a missing value
        zero_by_zero = np.isnan(z) & (resid == 0) & (se == 0)
        return _text_table(
            ("resid", "se", "z"),
            (self.resid, self.se, self.z),
            self.slab,
            int(digits),
            (None, None, zero_by_zero),
        )

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.summary())


@dataclass(frozen=True, eq=False)
class RstandardResult(_StudyResiduals):
    """Internally standardised residuals (metafor's ``rstandard.rma.uni``), one entry
    per study fitted, labelled by ``slab`` (the model's labels).

    ``resid`` is the residual, ``se`` its standard error and ``z`` = resid/se; ``type``
    says which residual: ``"marginal"`` (y_i - x_i'b, with the se from the hat matrix
    of the fitted model) or ``"conditional"`` (y_i minus the study's BLUP). See
    :func:`rstandard` for the formulas.
    """

    type: str = field(default="marginal", kw_only=True)


@dataclass(frozen=True, eq=False)
class RstudentResult(_StudyResiduals):
    """Externally standardised (studentised deleted) residuals (metafor's
    ``rstudent.rma.uni``), one entry per study fitted, labelled by ``slab``.

    ``resid`` is y_i - x_i'b_(-i), the study's deviation from the model fitted without
    it, ``se`` its standard error and ``z`` = resid/se, the values of
    ``influence(res).rstudent``. See :func:`rstudent` for the formulas.
    """


#: the types of :func:`residuals`, metafor's
RESIDUAL_TYPES = ("response", "rstandard", "rstudent", "pearson", "cholesky")


def _hat_matrix(res: RMAResult) -> np.ndarray:
    """The k x k hat matrix of the fitted model, H = X (X'WX)^-1 X'W with W the model's
    weights (1/(v_i + tau^2), or those given, or 1 when not ``weighted``), as metafor's
    ``hatvalues(res, type = "matrix")``: the fitted values are H y."""
    X = np.asarray(res.X, dtype=float)
    if res.custom_weights:
        return X @ _hat_factor(res)
    w = 1.0 / (np.asarray(res.vi, dtype=float) + res.tau2)
    XtW = X.T * w[None, :]
    return X @ np.linalg.solve(XtW @ X, XtW)


def _raw_residuals(res: RMAResult) -> np.ndarray:
    """y_i - x_i'b, with metafor's rounding of a residual below 100 machine epsilons in
    size to 0 (a study on the fitted value leaves a residue of rounding, not a residual)."""
    e = np.asarray(res.yi, dtype=float) - np.asarray(res.X, dtype=float) @ np.asarray(
        res.beta, dtype=float
    )
    e[np.abs(e) < 100 * _EPS] = 0.0
    return e


def _pooled_rstandard(res: MHResult | PetoResult, type: str) -> RstandardResult:
    """metafor's ``rstandard.rma.mh`` and ``rstandard.rma.peto``: e_i = y_i - b, the
    study's escalc'd effect (with the fit's first ``add``/``to``) minus the pooled
    estimate, with se_i = sqrt(v_i) (no hat matrix: the pooling weights are not 1/v_i),
    for the studies with a yi."""
    if type != "marginal":
        # metafor's rstandard.rma.mh has no type: its residuals are y_i - b only
        raise ValueError(
            f'rstandard: a Mantel-Haenszel or Peto fit has only type="marginal", not {type!r}'
        )
    e = np.asarray(res.yi, dtype=float) - float(res.beta)
    e[np.abs(e) < 100 * _EPS] = 0.0
    se = np.sqrt(np.asarray(res.vi, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = e / se
    slab = tuple(s for s, keep in zip(res.slab, res.not_na_yivi, strict=True) if keep)
    return RstandardResult(resid=e, se=se, z=z, slab=slab, type=type)


def _pooled_rstudent(res: MHResult | PetoResult) -> RstudentResult:
    """metafor's ``rstudent.rma.mh`` and ``rstudent.rma.peto``: e_i = y_i - b_(-i), the
    study's escalc'd effect minus the estimate of the fit refitted without its table
    (:func:`metareview.mh._deletion_fits`), with se_i = sqrt(v_i + se_(-i)^2), for the
    studies with a yi; nan where the table was not pooled or its refit stops."""
    # a fit of these exists, so metareview.mh is imported already
    from metareview.mh import _deletion_fits

    beta_del, var_del = _deletion_fits(res)
    has_yi = np.asarray(res.not_na_yivi, dtype=bool)
    e = np.asarray(res.yi, dtype=float) - beta_del[has_yi]
    e[np.abs(e) < 100 * _EPS] = 0.0
    se = np.sqrt(np.asarray(res.vi, dtype=float) + var_del[has_yi])
    with np.errstate(divide="ignore", invalid="ignore"):
        z = e / se
    slab = tuple(s for s, keep in zip(res.slab, has_yi, strict=True) if keep)
    return RstudentResult(resid=e, se=se, z=z, slab=slab)


def _pooled_residuals(res: MHResult | PetoResult, type: str) -> np.ndarray:
    """metafor's ``residuals.rma`` of an ``rma.mh`` or ``rma.peto`` fit: ``"response"``
    y_i - b for each table pooled (``not_na``; nan where a pooled table has no yi);
    ``"pearson"`` and ``"rstandard"`` the z of :func:`rstandard`, ``"rstudent"`` that
    of :func:`rstudent`; ``"cholesky"`` is refused, as metafor refuses it."""
    if type in ("pearson", "rstandard"):
        # metafor: "pearson" is taken as "rstandard" for these fits
        return np.array(_pooled_rstandard(res, "marginal").z)
    if type == "rstudent":
        return np.array(_pooled_rstudent(res).z)
    if type != "response":
        raise ValueError(
            f"residuals: type={type!r} is not offered for a Mantel-Haenszel or Peto fit; "
            "use 'response', 'pearson', 'rstandard' or 'rstudent'"
        )
    full = np.full(len(res.slab), np.nan)
    e = np.asarray(res.yi, dtype=float) - float(res.beta)
    e[np.abs(e) < 100 * _EPS] = 0.0
    full[np.asarray(res.not_na_yivi, dtype=bool)] = e
    return full[np.asarray(res.not_na, dtype=bool)]


def rstandard(res: RMAResult | MHResult | PetoResult, type: str = "marginal") -> RstandardResult:
    """Internally standardised residuals of a fitted model (metafor's ``rstandard.rma.uni``).

    With the model matrix X, the hat matrix of the fitted model
    H = X (X'WX)^-1 X'W (W the model's weights: 1/(v_i + tau^2), or the ``weights``
    given, or the identity when not ``weighted``) and the marginal variances
    M = diag(v_i + tau^2):

    - ``type="marginal"`` (the default): e_i = y_i - x_i'b, the residual of the fitted
      value, with var(e) = (I - H) M (I - H)', so se_i = sqrt([(I - H) M (I - H)']_ii);
    - ``type="conditional"``: e_i = y_i - (lambda_i y_i + (1 - lambda_i) x_i'b), y_i minus
      the study's BLUP (lambda_i = tau^2/(v_i + tau^2)), with
      se_i = sqrt(v_i^2/(v_i + tau^2) (1 - h_ii)).

    z_i = e_i/se_i is approximately standard normal when the model is right, so a
    |z_i| above 2 or 3 marks a study as a possible outlier (Viechtbauer & Cheung 2010).
    Residuals below 100 machine epsilons in size are 0, as in metafor.

    For a Mantel-Haenszel or Peto fit (metafor's ``rstandard.rma.mh`` and
    ``rstandard.rma.peto``): e_i = y_i - b, the study's escalc'd effect (with the fit's
    first ``add``/``to``) minus the pooled estimate, and se_i = sqrt(v_i), for the
    studies with a yi (``type="marginal"`` only).

    Parameters
    ----------
    res : RMAResult, MHResult or PetoResult
        A fitted model, with or without moderators, or a Mantel-Haenszel or Peto fit
        (:func:`metareview.rma_mh`, :func:`metareview.rma_peto`).
    type : {"marginal", "conditional"}
        Which residual, as metafor's ``type``.

    Returns
    -------
    RstandardResult
        ``resid``, ``se`` and ``z``, one entry per study fitted, labelled by ``slab``;
        ``print`` shows metafor's table. Where se_i = 0 (a study with h_ii = 1), z_i is
        nan, as metafor's NaN, and printed as NaN (as NA when the whole column is nan, as
        metafor's ``.fcf`` prints it).

    Raises
    ------
    TypeError
        ``res`` is not a fitted model.
    ValueError
        An unknown ``type``, or ``type="conditional"`` for a model fitted with ``weights``
        or ``weighted=False`` (metafor refuses it too: the BLUPs take the weights
        1/(v_i + tau^2)).

    References
    ----------
    Viechtbauer W, Cheung MW-L (2010). Outlier and influence diagnostics for
    meta-analysis. Research Synthesis Methods 1(2):112-125.
    """
    if _tables_fit(res):
        return _pooled_rstandard(res, type)
    require_model(res, "rstandard")
    if type not in ("marginal", "conditional"):
        raise ValueError(f'rstandard: type must be "marginal" or "conditional", not {type!r}')
    if type == "conditional":
        # y_i minus its BLUP: refused where blup is
        refuse_custom_weights(res, "rstandard: conditional residuals", "use type='marginal'")
    H = _hat_matrix(res)
    v = np.asarray(res.vi, dtype=float)
    tau2 = float(res.tau2)
    if type == "marginal":
        e = _raw_residuals(res)
        ImH = np.eye(res.k) - H
        # diag((I - H) M (I - H)') with M diagonal: sum_j (I - H)_ij^2 m_j
        se = np.sqrt(np.einsum("ij,ij,j->i", ImH, ImH, v + tau2))
    else:
        y = np.asarray(res.yi, dtype=float)
        fitted = np.asarray(res.X, dtype=float) @ np.asarray(res.beta, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            lam = tau2 / (tau2 + v)
            e = y - (lam * y + (1.0 - lam) * fitted)
            se = np.sqrt(v * v / (v + tau2) * (1.0 - np.diag(H)))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = e / se
    return RstandardResult(resid=e, se=se, z=z, slab=res.slab, type=type)


def rstudent(res: RMAResult | MHResult | PetoResult) -> RstudentResult:
    """Externally standardised (studentised deleted) residuals (metafor's
    ``rstudent.rma.uni``).

    Study i is left out and the model refitted with the same method and test, giving
    b_(-i), its covariance V_(-i), tau^2_(-i) and (Knapp-Hartung) s^2_(-i) (1 under
    other tests); then

        e_i  = y_i - x_i'b_(-i)
        se_i = sqrt(s^2_(-i) (v_i + tau^2_(-i)) + x_i' V_(-i) x_i)

    and z_i = e_i/se_i, the deleted residual in units of its standard error, which
    follows a standard normal distribution approximately when study i fits the model of
    the others (Viechtbauer & Cheung 2010). These are the values behind
    :func:`influence`'s ``rstudent``, computed by the same code (the k refits solved in
    one batch for a model without moderators). A refit that fails leaves nan, as metafor
    leaves NA.

    For a Mantel-Haenszel or Peto fit (metafor's ``rstudent.rma.mh`` and
    ``rstudent.rma.peto``) the tables are pooled again without table i, with the fit's
    measure and continuity settings, giving b_(-i) and its standard error se_(-i); then
    e_i = y_i - b_(-i) and se_i = sqrt(v_i + se_(-i)^2), y_i and v_i the study's escalc'd
    effect and variance (with the fit's first ``add``/``to``), for the studies with a yi.
    Where table i was not pooled (a missing count; a double-zero table under the second
    ``drop00``) or the refit stops (no table left; Peto's method without events), e_i,
    se_i and z_i are nan, as metafor's NA.

    Parameters
    ----------
    res : RMAResult, MHResult or PetoResult
        A fitted model, with or without moderators, k >= 2, or a Mantel-Haenszel or Peto
        fit (:func:`metareview.rma_mh`, :func:`metareview.rma_peto`).

    Returns
    -------
    RstudentResult
        ``resid``, ``se`` and ``z``, one entry per study fitted (of a Mantel-Haenszel or
        Peto fit: per study with a yi), labelled by ``slab``; ``print`` shows metafor's
        table.

    Raises
    ------
    TypeError
        ``res`` is not a fitted model.
    ValueError
        k = 1 (of a model of :func:`metareview.rma`).

    References
    ----------
    Viechtbauer W, Cheung MW-L (2010). Outlier and influence diagnostics for
    meta-analysis. Research Synthesis Methods 1(2):112-125.
    """
    if _tables_fit(res):
        return _pooled_rstudent(res)
    parts = _influence_parts(res, "rstudent")
    return RstudentResult(
        resid=parts["resid"], se=parts["seresid"], z=parts["rstudent"], slab=res.slab
    )


def residuals(res: RMAResult | MHResult | PetoResult, type: str = "response") -> np.ndarray:
    """The residuals of a fitted model, one per study fitted (metafor's ``residuals.rma``).

    - ``"response"`` (the default): e_i = y_i - x_i'b, the observed effect minus its
      fitted value;
    - ``"pearson"``: e_i / sqrt(v_i + tau^2), the residual in units of the marginal
      standard deviation of y_i;
    - ``"cholesky"``: L e with L'L = M^-1, M = diag(v_i + tau^2) the marginal covariance;
      with independent studies M is diagonal and these are the Pearson residuals;
    - ``"rstandard"``: the z of :func:`rstandard`, e_i / sqrt([(I - H) M (I - H)']_ii)
      with H the hat matrix of the fitted model;
    - ``"rstudent"``: the z of :func:`rstudent`, (y_i - x_i'b_(-i)) over its standard
      error, from the fit without study i.

    Residuals below 100 machine epsilons in size are 0, as in metafor (Viechtbauer &
    Cheung 2010).

    For a Mantel-Haenszel or Peto fit, as metafor: ``"response"`` is y_i - b for each
    table pooled (nan where a pooled table has no yi), ``"pearson"`` the z of
    :func:`rstandard` ((y_i - b)/sqrt(v_i)) as is ``"rstandard"``, ``"rstudent"`` the z
    of :func:`rstudent`; ``"cholesky"`` is not offered. These arrays are shorter than
    ``res.slab`` where a table was not pooled or has no yi, and not all of one length
    (see Returns).

    Parameters
    ----------
    res : RMAResult, MHResult or PetoResult
        A fitted model, or a Mantel-Haenszel or Peto fit.
    type : {"response", "rstandard", "rstudent", "pearson", "cholesky"}
        Which residuals, as metafor's ``type``.

    Returns
    -------
    numpy.ndarray
        A plain array, without labels (metafor's vector is named by them); which study
        each value belongs to depends on the fit and the type:

        - a fit of :func:`~metareview.pool.rma`, every type: one value per study
          fitted (``res.k``; a ``subset`` leaves the others out), in the order of
          ``res.slab``, which labels them;
        - a Mantel-Haenszel or Peto fit, ``"response"``: one value per table pooled
          (``res.k``), nan for a pooled table without a yi (e.g. a double-zero table,
          which escalc's ``drop00`` leaves without one). Its labels are those of ``res.slab`` (every table
          given) where ``res.not_na`` is True:
          ``[s for s, kept in zip(res.slab, res.not_na) if kept]``;
        - a Mantel-Haenszel or Peto fit, ``"pearson"``, ``"rstandard"`` and
          ``"rstudent"``: one value per table with a yi (``res.k_yi``,
          ``res.not_na_yivi``), whether pooled or not (nan for ``"rstudent"`` of a
          table not pooled). Their labels are ``rstandard(res).slab`` and
          ``rstudent(res).slab``, whose ``z`` these values are.

        For example, of 9 tables given, one with a missing count and two double-zero
        tables, an ``rma_mh`` fit gives 8 "response" values (two nan) and 6
        "pearson" or "rstudent" values. To keep the labels, use :func:`rstandard` or
        :func:`rstudent` (``resid``, ``se``, ``z`` and ``slab``).

    Raises
    ------
    TypeError
        ``res`` is not a fitted model.
    ValueError
        An unknown ``type``; ``"rstudent"`` with k = 1.

    References
    ----------
    Viechtbauer W, Cheung MW-L (2010). Outlier and influence diagnostics for
    meta-analysis. Research Synthesis Methods 1(2):112-125.
    """
    if not _tables_fit(res):
        require_model(res, "residuals")
    if type not in RESIDUAL_TYPES:
        raise ValueError(
            f"residuals: type must be one of {', '.join(map(repr, RESIDUAL_TYPES))}, not {type!r}"
        )
    if _tables_fit(res):
        return _pooled_residuals(res, type)
    if type == "rstandard":
        return np.array(rstandard(res).z)
    if type == "rstudent":
        return np.array(rstudent(res).z)
    e = _raw_residuals(res)
    if type == "response":
        return e
    # pearson, and cholesky: chol(M^-1) of a diagonal M is diag(1/sqrt(v_i + tau^2))
    return e / np.sqrt(np.asarray(res.vi, dtype=float) + float(res.tau2))
