"""Cluster-robust tests and confidence intervals of a fitted model's coefficients.

:func:`robust` is metafor 3.8-1's ``robust.rma.uni`` on its default path
(``clubSandwich=FALSE``): when a trial contributes several estimates (two time points,
two arms against one control, several outcomes), the model :func:`~metareview.pool.rma`
fits treats them as independent. The sandwich estimator of the coefficients' covariance
stays consistent when estimates within a cluster are correlated in any way, as long as
the clusters are independent (Hedges, Tipton & Johnson 2010). The result,
:class:`RobustResult`, keeps metafor's names and prints as metafor prints a robust fit.

References
----------
Hedges LV, Tipton E, Johnson MC (2010). Robust variance estimation in meta-regression with
dependent effect size estimates. Research Synthesis Methods 1(1):39-65.
Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. Journal of
Statistical Software 36(3):1-48 (and metafor 3.8-1's documentation of ``robust``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from metareview.arguments import check_aligned
from metareview.bias import _r_number
from metareview.pool import (
    _R_WIDTH,
    _SIGNIF_LEGEND,
    PredictResult,
    RMAResult,
    _fmt,
    _fmt_p,
    _format_btt,
    _jsonable,
    _p_clause,
    _readonly,
    _signif_stars,
    _summary_head,
    _table,
    _wald,
    _width,
    require_model,
)

__all__ = ["RobustResult", "robust"]

#: Why the omnibus test of a robust fit is missing, for the summary's line.
_SINGULAR_SHORT = "the robust var-cov matrix of these coefficients is singular"

#: Below this smallest eigenvalue of the tested coefficients' robust correlation matrix
#: their robust var-cov matrix counts as singular. Exactly singular matrices come out of
#: the sandwich with eigenvalues of about 1e-17 relative to the largest; coefficients
#: on very different scales are no concern, as the correlation matrix is scale-free.
_SINGULAR_TOL = 1e-10

#: metafor's first footnote mark and its label in the legend (``.get.footsym()``).
_FOOT, _FOOT_LABEL = "\u00b9", "1)"


@dataclass(frozen=True, eq=False)
class RobustResult:
    """A fit with cluster-robust inference for its coefficients (metafor's ``robust.rma``).

    Every array has one entry per coefficient (names ``coef_names``), as metafor's
    vectors, also for a model without moderators (then of length 1):

    - ``beta``: the fit's coefficients, unchanged;
    - ``vb``: the cluster-robust covariance (CR1 with ``adjust``, else CR0: ``vbest``);
    - ``se``: its square roots of the diagonal;
    - ``zval`` and ``tval`` (the same): beta/se, t statistics on ``dfs`` = n - p degrees
      of freedom, metafor's ``zval`` (``test`` is "t");
    - ``pval``, ``ci_lb``, ``ci_ub``: their two-sided p-values and t intervals at the
      fit's ``level``.

    ``QM`` is the F statistic of the coefficients ``btt`` (the fit's: all but the intercept)
    on ``QMdf`` = (m, dfs) degrees of freedom, ``QMp`` its p-value; both are NaN where
    that part of ``vb`` is singular (a coefficient estimated from a single cluster), with
    a warning and a line in :meth:`summary` saying so (see :func:`robust`). ``n`` is the
    number of clusters, ``dfs`` (also ``ddf``) = n - p, ``k`` the number of estimates;
    ``clusters`` names the clusters (sorted, as metafor's ``table``), ``tcl`` counts each
    one's estimates, ``cluster`` is each estimate's; ``meat`` is the k x k matrix e e'
    within clusters, 0 across them (e the residuals). The model's own statistics are
    kept as fitted:
    ``tau2``, ``tau``, ``se_tau2``, ``I2``, ``H2``, ``R2``, ``QE``, ``QEp``, ``method``,
    ``level``; ``fit`` is the :class:`~metareview.pool.RMAResult` itself.
    """

    beta: np.ndarray
    se: np.ndarray
    zval: np.ndarray
    tval: np.ndarray
    pval: np.ndarray
    ci_lb: np.ndarray
    ci_ub: np.ndarray
    vb: np.ndarray
    QM: float
    QMdf: tuple[int, int]
    QMp: float
    dfs: int
    n: int
    k: int
    p: int
    clusters: tuple[Any, ...]
    tcl: tuple[int, ...]
    cluster: tuple[Any, ...]
    vbest: str
    adjust: bool
    coef_names: tuple[str, ...]
    btt: tuple[int, ...]
    int_only: bool
    tau2: float
    tau: float
    se_tau2: float | None
    I2: float | None
    H2: float | None
    R2: float | None
    QE: float | None
    QEp: float | None
    method: str
    level: float
    meat: np.ndarray = field(repr=False)
    fit: RMAResult = field(repr=False)
    test: str = "t"

    @property
    def ddf(self) -> int:
        """The t tests' degrees of freedom, n - p (metafor's ``ddf``, also ``dfs``)."""
        return self.dfs

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plain values (None for undefined), keyed by attribute name; without
        ``fit`` (its own ``to_dict()`` has it) and ``meat`` (k x k)."""
        return {
            f.name: _jsonable(getattr(self, f.name))
            for f in fields(self)
            if f.name not in ("fit", "meat")
        }

    def predict(
        self,
        newmods: Any = None,
        pi_type: str = "default",
        level: float | None = None,
        transf: Callable[[float], float] | None = None,
    ) -> PredictResult:
        """Predicted effects with cluster-robust intervals (metafor's ``predict`` of a
        robust fit).

        As :meth:`RMAResult.predict <metareview.pool.RMAResult.predict>`, with the
        robust ``vb`` and t quantiles on ``dfs`` degrees of freedom: se = sqrt(x' vb x),
        CI = pred +/- t_{dfs} se and PI = pred +/- t_{dfs} sqrt(se^2 + tau^2)
        (``pi_type="riley"``: dfs - 1 degrees of freedom for an estimated tau^2).
        """
        return self.fit._predict(newmods, pi_type, level, transf, self.vb, self.dfs, True)

    def summary(
        self,
        digits: int = 4,
        signif_stars: bool = True,
        signif_legend: bool | None = None,
        legend: bool = True,
        width: int | None = _R_WIDTH,
    ) -> str:
        """The robust fit as metafor's ``print`` shows it (``print.rma.uni`` of a
        ``robust.rma`` object), as text.

        The model's heterogeneity block and test for heterogeneity, then the numbers of
        estimates and clusters and the estimates per cluster (min-max with mean and
        median when they differ), the F test of the moderators and the table of
        coefficients with t statistics on ``dfs`` degrees of freedom, the robust columns
        marked "1", and (``legend``) the footnote naming the estimator. ``signif_stars``
        and ``signif_legend`` as :meth:`RMAResult.summary
        <metareview.pool.RMAResult.summary>`; ``width`` is R's ``options("width")``
        (80 by default): the table's columns that do not fit (with long coefficient
        names, the stars) print in a second block below, as R prints them (None: one
        line per row). No line ends in the space R's ``cat`` leaves there.
        """
        d = int(digits)
        cols = _width(width)
        stars = bool(signif_stars)
        signif = stars if signif_legend is None else bool(signif_legend)
        lines = _summary_head(self.fit, d)
        per = (
            str(self.tcl[0])
            if all(c == self.tcl[0] for c in self.tcl)
            else (
                f"{min(self.tcl)}-{max(self.tcl)} (mean: {float(np.mean(self.tcl)):.2f}, "
                f"median: {_r_number(round(float(np.median(self.tcl)), 2), significant=15)})"
            )
        )
        lines += [
            f"Number of estimates:   {self.k}",
            f"Number of clusters:    {self.n}",
            f"Estimates per cluster: {per}",
            "",
        ]
        if self.p > 1:
            m = self.QMdf[0]
            coefs = f"coefficient{'' if m == 1 else 's'} {_format_btt(self.btt)}"
            stat = (
                f"F(df1 = {m}, df2 = {self.dfs}) = {_fmt(self.QM, d)}, {_p_clause(self.QMp, d)}"
                if not math.isnan(self.QM)
                # metafor prints an F of ~1e16 here; say why there is none instead
                else f"F not computed: {_SINGULAR_SHORT}"
            )
            lines += [f"Test of Moderators ({coefs}):{_FOOT}", stat, ""]
        lines += ["Model Results:", ""]
        # metafor marks the robust columns' names and pads their values with a space
        header = [
            "estimate",
            *(name + _FOOT for name in ("se", "tval", "df", "pval", "ci.lb", "ci.ub")),
        ]
        if stars:
            header.append("")
        rows = []
        for j in range(self.p):
            robust_cols = [
                _fmt(self.se[j], d),
                _fmt(self.zval[j], d),
                str(self.dfs),
                _fmt_p(float(self.pval[j]), d),
                _fmt(self.ci_lb[j], d),
                _fmt(self.ci_ub[j], d),
            ]
            row = [_fmt(self.beta[j], d), *(c + " " for c in robust_cols)]
            if stars:
                row.append(_signif_stars(float(self.pval[j])))
            rows.append(row)
        names = None if self.int_only else list(self.coef_names)
        lines += [line.rstrip() for line in _table(header, rows, names, cols)]
        if signif or legend:
            lines += ["", "---"]
        if signif:
            lines.append(_SIGNIF_LEGEND)
        if legend:
            what = (
                "t-test and confidence interval"
                if self.int_only
                else "t/F-tests and confidence intervals"
            )
            first = f"{_FOOT_LABEL} results based on cluster-robust inference (var-cov estimator: "
            lines += [
                *([""] if signif else []),
                f"{first}{self.vbest},",
                f"   approx {what}, df: residual method)",
            ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.summary())


def _singular(v: np.ndarray) -> bool:
    """Whether a robust var-cov matrix is singular: a zero (or undefined) variance, or a
    smallest eigenvalue of its correlation matrix below ``_SINGULAR_TOL``.

    With g_j = X_j' W_j e_j (cluster j's score), the sandwich is vb = c V (sum_j g_j g_j') V
    (V the fit's vb). A coefficient estimated from a single cluster (a dummy that is 1
    there only) has a score of 0 in every cluster: in the others as its column of X is 0
    there, in its own as the fit sets it to 0 (its estimating equation). vb then loses a
    dimension, and so, as a rule, does its block of the tested coefficients, whose
    inverse the F test needs: what comes out is rounding error (metafor's F of ~1e16).
    """
    d = np.diag(v)
    if not np.all(np.isfinite(v)) or np.any(d <= 0.0):
        return True
    s = 1.0 / np.sqrt(d)
    return bool(np.linalg.eigvalsh(v * np.outer(s, s))[0] < _SINGULAR_TOL)


def _missing(x: Any) -> bool:
    """Whether one cluster value is missing: None, a float NaN, or pandas' NA or NaT."""
    if x is None:
        return True
    if isinstance(x, (float, np.floating)):
        return bool(np.isnan(x))
    return type(x).__name__ in ("NAType", "NaTType")


def _cluster_values(res: RMAResult, cluster: Any) -> list[Any]:
    """The cluster of each study fitted: ``cluster`` is given for every study of the data
    given to :func:`~metareview.pool.rma` and ``res.subset`` is applied to it, as metafor
    applies its subset and the removal of missing values."""
    if cluster is None or isinstance(cluster, (str, bytes)) or np.ndim(cluster) == 0:
        raise TypeError(
            f"robust: cluster must give one value per study (an array, list or pandas "
            f"Series, e.g. the trial each estimate comes from), got {cluster!r}"
        )
    values = (
        list(np.asarray(cluster, dtype=object).ravel()) if np.ndim(cluster) > 1 else list(cluster)
    )
    subset = res.subset
    k_all = res.k if subset is None else int(subset.size)
    if len(values) != k_all:
        of = "" if subset is None else f", of which the model's subset fitted {res.k}"
        raise ValueError(
            f"robust: cluster has {len(values)} values for the {k_all} studies of the data "
            f"given to rma{of}: give each study's cluster, in the data's order (metafor: "
            f"\"Length of variable specified via 'cluster' ({len(values)}) does not "
            f'correspond to the size of the original dataset ({k_all}).")'
        )
    # a pandas Series sorted since the fit would give other studies' clusters; checked
    # after the length, which says more plainly what is wrong when that differs too
    check_aligned({"res": res, "cluster": cluster}, "robust")
    kept = range(k_all) if subset is None else np.flatnonzero(subset).tolist()
    missing = [i for i in kept if _missing(values[i])]
    if missing:
        shown = ", ".join(f"cluster[{i}]" for i in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        raise ValueError(
            f"robust: {shown}{more} {'is' if len(missing) == 1 else 'are'} missing (None or "
            f"NaN): every study fitted needs its "
            f"cluster (metafor: \"No missing values allowed in 'cluster' variable.\"); a "
            f"study the model's subset leaves out may have none"
        )
    out = [values[i] for i in kept]
    for i, v in zip(kept, out, strict=True):
        try:
            hash(v)
        except TypeError:
            raise TypeError(
                f"robust: cluster[{i}] is {v!r}, not a label: give one number or string per study"
            ) from None
    return out


def robust(
    res: RMAResult,
    cluster: Any,
    adjust: bool = True,
    clubSandwich: bool = False,  # metafor's name
) -> RobustResult:
    """Cluster-robust tests and confidence intervals of a fit's coefficients (metafor
    3.8-1's ``robust.rma.uni``, default path).

    With X the model matrix, e = y - X b the residuals of the fit and B the p x k "bread"
    that makes b = B y, the sandwich estimator is

        vb = c B (sum_j e_j e_j') B' = c sum_j (B_j e_j)(B_j e_j)'

    over the n clusters j (e_j, B_j: cluster j's residuals and columns of B), with
    B = vb_fit X' W (W = diag(1/(vi + tau^2)), vb_fit the fit's covariance), or
    B = (X'AX)^-1 X'A for a fit with ``weights`` a_i (A = I for ``weighted=False``). c =
    n/(n - p) with ``adjust`` (the CR1 estimator), 1 without (CR0). Each coefficient is
    tested by t = b/se on n - p degrees of freedom with the t interval b +/- t_{n-p} se,
    and the coefficients ``btt`` together by F = b' vb^-1 b / m on (m, n - p): the
    "residual" degrees of freedom of Hedges, Tipton & Johnson (2010) and metafor.

    Parameters
    ----------
    res : RMAResult
        A fit of :func:`~metareview.pool.rma`, any tau^2 estimator (or a given tau^2),
        test, weights or ``weighted=False``; its coefficients and tau^2 are kept.
    cluster : array_like or pandas Series
        The cluster of each study (numbers or strings; e.g. the trial an estimate comes
        from), one per study of the data given to ``rma``: a fit to a ``subset`` takes
        the subset from it, as metafor does with its subset and the studies it drops for
        missing values (which ``rma`` refuses: fit them with ``subset``). A Series must
        have the fit's index (``res.index``) when it has one.
    adjust : bool
        Multiply vb by n/(n - p), metafor's small-sample adjustment (default True).
    clubSandwich : bool
        metafor's ``clubSandwich=TRUE`` hands the fit to the clubSandwich package for the
        bias-reduced linearization estimator (CR2; Bell & McCaffrey 2002; Tipton 2015),
        Satterthwaite degrees of freedom for each coefficient and an approximate
        Hotelling's T^2 test (HTZ) of the moderators (Tipton & Pustejovsky 2015). That
        is not offered here: True is refused.

    Returns
    -------
    RobustResult
        ``print`` shows metafor's layout; ``predict()`` gives robust intervals.

    Warns
    -----
    UserWarning
        The robust vb of the tested coefficients is singular (see Notes): ``QM`` and
        ``QMp`` are NaN.

    Raises
    ------
    ValueError
        As metafor: ``cluster`` has not one value per study of the data, a study fitted
        has no cluster (None or NaN), or there are no more clusters than coefficients
        (one cluster, or n <= p: no degrees of freedom left for the t tests).
    TypeError
        ``res`` is not a fit of ``rma``, ``cluster`` is not one label per study, or
        ``adjust`` is not True or False.

    Notes
    -----
    metafor 3.8-1 takes the fit's covariance as part of the bread, so for a fit with
    ``test="knha"`` (or ``"adhoc"``) the Knapp-Hartung factor s2w enters it and the robust
    vb is s2w^2 times that of the same fit under ``test="z"``; this follows metafor.
    metafor also takes ``adjust="Stata1"`` and ``"Stata2"`` (undocumented), refused here.

    Where a coefficient is estimated from a single cluster (a dummy that is 1 in one
    cluster only), its score is 0 in every cluster and the robust vb of the tested
    coefficients is singular (eigenvalues of ~1e-19). metafor 3.8-1 then prints an F of
    about 1e16 with p < .0001, the inverse of rounding error; here ``QM`` and ``QMp`` are
    NaN, a warning says why, and :meth:`RobustResult.summary` prints "F not computed"
    where the test would be. Each coefficient's t test is kept, as metafor's.

    References
    ----------
    Hedges LV, Tipton E, Johnson MC (2010). Robust variance estimation in meta-regression
    with dependent effect size estimates. Research Synthesis Methods 1(1):39-65.
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. Journal
    of Statistical Software 36(3):1-48.
    Tipton E, Pustejovsky JE (2015). Small-sample adjustments for tests of moderators and
    model fit using robust variance estimation in meta-regression. Journal of Educational
    and Behavioral Statistics 40(6):604-634.
    """
    require_model(res, "robust")
    if clubSandwich:
        raise ValueError(
            "robust: clubSandwich=True (metafor's CR2 estimator with Satterthwaite degrees "
            "of freedom and the HTZ test, from the clubSandwich package) is not offered; "
            "use clubSandwich=False (CR1 with adjust=True, CR0 without)"
        )
    if not isinstance(adjust, (bool, np.bool_)):
        raise TypeError(
            f"robust: adjust must be True (CR1: vb times n/(n - p)) or False (CR0), got {adjust!r}"
        )
    values = _cluster_values(res, cluster)
    groups: dict[Any, list[int]] = {}
    for i, v in enumerate(values):
        groups.setdefault(v, []).append(i)
    n = len(groups)
    p = int(res.p)
    dfs = n - p
    if dfs <= 0:
        raise ValueError(
            f"robust: {n} cluster{'' if n == 1 else 's'} for {p} coefficient"
            f"{'' if p == 1 else 's'}: cluster-robust inference needs more clusters than "
            f'coefficients (its t tests have n - p degrees of freedom); metafor: "Number '
            f'of clusters ({n}) must be larger than the number of fixed effects ({p})."'
        )
    X = np.asarray(res.X, dtype=float)
    y = np.asarray(res.yi, dtype=float)
    beta = np.asarray(res.beta, dtype=float)
    if not res.weighted:
        bread = np.linalg.solve(X.T @ X, X.T)
    elif res.weights_given is not None:
        XA = X.T * np.asarray(res.weights_given, dtype=float)[None, :]
        bread = np.linalg.solve(XA @ X, XA)
    else:
        # metafor's bread: the fit's vb (with s2w under knha/adhoc) times X'W
        w = 1.0 / (np.asarray(res.vi, dtype=float) + res.tau2)
        bread = np.asarray(res.vb, dtype=float) @ (X.T * w[None, :])
    e = y - X @ beta
    try:
        keys = sorted(groups)
    except TypeError:  # labels of mixed types: in the order met
        keys = list(groups)
    idx = [np.array(groups[key], dtype=np.intp) for key in keys]
    U = np.column_stack([bread[:, rows] @ e[rows] for rows in idx])  # p x n
    vb = U @ U.T
    if adjust:
        vb = vb * (n / dfs)
    same = np.zeros((len(values), len(values)), dtype=bool)
    for rows in idx:
        same[np.ix_(rows, rows)] = True
    meat = np.where(same, np.outer(e, e), 0.0)
    btt = np.asarray(res.btt, dtype=np.intp)
    out = _wald(beta, vb, True, dfs, res.level, btt)
    if res.p > 1 and _singular(vb[np.ix_(btt, btt)]):
        out["QM"] = out["QMp"] = math.nan
        warnings.warn(
            f"robust: the robust covariance of the tested coefficients "
            f"({', '.join(res.coef_names[j] for j in btt)}) is singular: a coefficient is "
            f"estimated from a single cluster (e.g. a dummy that is 1 in one cluster only), "
            f"so the omnibus test cannot be computed; QM and QMp are NaN (metafor 3.8-1 "
            f"prints a meaningless F). Each coefficient's t test is kept",
            stacklevel=2,
        )
    stat = _readonly(np.asarray(out["stat"], dtype=float))
    return RobustResult(
        beta=_readonly(beta.copy()),
        se=_readonly(np.asarray(out["se"], dtype=float)),
        zval=stat,
        tval=stat,
        pval=_readonly(np.asarray(out["pval"], dtype=float)),
        ci_lb=_readonly(np.asarray(out["ci_lb"], dtype=float)),
        ci_ub=_readonly(np.asarray(out["ci_ub"], dtype=float)),
        vb=_readonly(vb),
        QM=float(out["QM"]),
        QMdf=(int(btt.size), dfs),
        QMp=float(out["QMp"]),
        dfs=dfs,
        n=n,
        k=int(res.k),
        p=p,
        clusters=tuple(keys),
        tcl=tuple(len(rows) for rows in idx),
        cluster=tuple(values),
        vbest="CR1" if adjust else "CR0",
        adjust=bool(adjust),
        coef_names=tuple(res.coef_names),
        btt=tuple(int(j) for j in btt),
        int_only=bool(res.int_only),
        tau2=float(res.tau2),
        tau=float(res.tau),
        se_tau2=res.se_tau2,
        I2=res.I2,
        H2=res.H2,
        R2=res.R2,
        QE=res.QE,
        QEp=res.QEp,
        method=res.method,
        level=res.level,
        meat=_readonly(meat),
        fit=res,
    )
