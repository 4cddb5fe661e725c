"""Best linear unbiased predictions of the studies' true effects and random effects.

:func:`blup` and :func:`ranef` mirror metafor 3.8-1's ``blup.rma.uni`` and
``ranef.rma.uni`` for the models :func:`~metareview.pool.rma` fits: the study-specific
"shrunken" estimates, each study's observed effect pulled towards the model's fitted
value by the share of its variance that is sampling error, and the study's random effect
(the deviation of its true effect from the fitted value), each with its standard error
and prediction interval.

For study i with moderators x_i (the row of the model matrix X), fitted value
x_i'b and shrinkage factor lambda_i = tau2/(tau2 + v_i):

- ``blup``: pred_i = x_i'b + lambda_i (y_i - x_i'b), with
  var_i = lambda_i v_i + (1 - lambda_i)^2 x_i' V x_i;
- ``ranef``: pred_i = lambda_i (y_i - x_i'b), with
  var_i = lambda_i v_i + lambda_i^2 x_i' V x_i;

where V is the covariance matrix of b (``res.vb``, with the Knapp-Hartung factor under
``test="knha"``), so that the variances carry the uncertainty in b. The prediction
interval is pred_i +/- q sqrt(var_i), q the normal quantile under ``test="z"`` and the
t quantile on k - p degrees of freedom under t, knha and adhoc. These are empirical
BLUPs: tau^2 is the estimate, taken as known.

Each result is a frozen dataclass with metafor's names (``pred``, ``se``, ``pi_lb``,
``pi_ub``), ``to_dict()`` for JSON output and ``summary()`` (also ``str()`` and a
notebook's display) for what metafor's ``print`` shows. ``RMAResult.blup`` and
``RMAResult.ranef`` are the same functions as methods.

References
----------
Raudenbush SW, Bryk AS (1985). Empirical Bayes meta-analysis. Journal of Educational
Statistics 10(2):75-98.
Robinson GK (1991). That BLUP is a good thing: the estimation of random effects.
Statistical Science 6(1):15-32.
Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. Journal of
Statistical Software 36(3):1-48 (and metafor's documentation of ``blup`` and ``ranef``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from metareview import distributions as dist
from metareview.arguments import alpha_from_level, level_percent
from metareview.bias import _Printed, _ToDict
from metareview.pool import _FIXED

if TYPE_CHECKING:
    from metareview.pool import RMAResult

__all__ = ["BLUPResult", "RanefResult", "blup", "ranef"]


@dataclass(frozen=True, eq=False)
class _StudyPredictions(_Printed, _ToDict):
    """One prediction per study fitted (common part of :class:`BLUPResult` and
    :class:`RanefResult`, whose docstrings describe the fields)."""

    pred: np.ndarray
    se: np.ndarray | None
    pi_lb: np.ndarray
    pi_ub: np.ndarray
    slab: tuple[str, ...]
    level: float
    pi_df: int | None
    transf: bool
    method: str
    test: str

    def __post_init__(self) -> None:
        for name in ("pred", "se", "pi_lb", "pi_ub"):
            value = getattr(self, name)
            if value is not None:
                value.setflags(write=False)

    @property
    def k(self) -> int:
        """The number of studies (rows)."""
        return int(self.pred.size)

    def summary(self, digits: int = 4) -> str:
        """The table metafor's ``print`` of the result shows: one row per study, labelled
        by ``slab``, with pred, se (left out after ``transf``, as metafor's print leaves
        out its NA), pi.lb and pi.ub with ``digits`` decimals; below it the level of the
        intervals, which metafor's print leaves out."""
        from metareview.pool import _fcf_columns, _table

        d = int(digits)
        cols = [("pred", self.pred), ("se", self.se), ("pi.lb", self.pi_lb), ("pi.ub", self.pi_ub)]
        shown = [(name, v) for name, v in cols if v is not None]
        # metafor's .fcf: a column of only missing values is NA throughout; otherwise
        # an undefined value (a transf's NaN, e.g. sqrt of a negative bound) is NaN
        columns = [col for _, v in shown for col in _fcf_columns([v], d)]
        rows = [list(r) for r in zip(*columns)]
        table = _table([name for name, _ in shown], rows, list(self.slab))
        return "\n".join([*table, "", f"{self.level:g}% prediction intervals"])


@dataclass(frozen=True, eq=False)
class BLUPResult(_StudyPredictions):
    """Best linear unbiased predictions of the studies' true effects (metafor's
    ``blup.rma.uni``): the fitted value plus the study's predicted random effect,
    pred_i = x_i'b + lambda_i (y_i - x_i'b), lambda_i = tau2/(tau2 + v_i). For an
    equal-effects model (tau^2 = 0) these are the fitted values, as in metafor.

    ``pred``, ``se``, ``pi_lb``, ``pi_ub``, one entry per study fitted, and the other
    fields as in :class:`RanefResult`.
    """


@dataclass(frozen=True, eq=False)
class RanefResult(_StudyPredictions):
    """Best linear unbiased predictions of the random effects (metafor's
    ``ranef.rma.uni``): each study's true effect minus its fitted value,
    pred_i = lambda_i (y_i - x_i'b). An equal-effects (FE/EE) model has no random
    effects: pred, se and both bounds are 0 for every study, as metafor gives them.

    ``pred``, ``se``, ``pi_lb`` and ``pi_ub`` (metafor's ``pred``, ``se``, ``pi.lb``,
    ``pi.ub``), one entry per study in the order fitted and labelled by ``slab`` (the
    model's labels: a ``subset`` keeps those of the studies it fits). ``level`` is the
    level of the prediction intervals in percent, ``pi_df`` the degrees of freedom of
    their t quantile (k - p under t, knha and adhoc; None under z, which takes the
    normal one). ``transf`` is True when a function was applied to ``pred`` and the
    bounds, and ``se`` is then None (metafor's NA). ``method`` and ``test`` are the
    model's.
    """


def _predictions(
    res: RMAResult,
    level: float | None,
    transf: Callable[[float], float] | None,
    random_only: bool,
    caller: str,
) -> dict[str, Any]:
    from metareview.pool import (
        apply_transf,
        check_transf,
        refuse_custom_weights,
        require_model,
        sort_bounds,
    )

    require_model(res, caller)
    # metafor: "Extraction of random effects not available for models with non-standard
    # weights." The formulas take b as the estimate weighted by 1/(v_i + tau^2), whose
    # deviations are the random effects' predictors
    refuse_custom_weights(
        res, f"{caller}: best linear unbiased predictions", "refit the model without weights"
    )
    check_transf(transf)
    # an explicit level is read afresh; without one the model's own level holds, as in
    # predict (see docs/statistics.md for metafor's reading of a stored level)
    alpha = alpha_from_level(res.level if level is None else level)
    ddf = res.k - res.p
    use_t = res.test != "z"
    crit = dist.t_isf(alpha / 2, ddf) if use_t else dist.norm_isf(alpha / 2)
    X = np.asarray(res.X, dtype=float)
    y = np.asarray(res.yi, dtype=float)
    v = np.asarray(res.vi, dtype=float)
    fitted = X @ np.asarray(res.beta, dtype=float)
    xvx = np.einsum("ij,jk,ik->i", X, np.asarray(res.vb, dtype=float), X)
    tau2 = 0.0 if res.method in _FIXED else float(res.tau2)
    with np.errstate(divide="ignore", invalid="ignore"):
        lam = tau2 / (tau2 + v)
    if random_only:
        if res.method in _FIXED:
            # no random effects: metafor gives 0 with se 0 rather than refusing
            pred, vpred = np.zeros(res.k), np.zeros(res.k)
        else:
            pred = lam * (y - fitted)
            vpred = lam * v + lam * lam * xvx
    else:
        pred = fitted + lam * (y - fitted)
        vpred = lam * v + (1.0 - lam) ** 2 * xvx
    se: np.ndarray | None = np.sqrt(vpred)
    pi_lb, pi_ub = pred - crit * se, pred + crit * se
    if transf is not None:
        pred, pi_lb, pi_ub = (apply_transf(transf, a) for a in (pred, pi_lb, pi_ub))
        se = None
        pi_lb, pi_ub = sort_bounds(pi_lb, pi_ub)
    return {
        "pred": pred, "se": se, "pi_lb": pi_lb, "pi_ub": pi_ub,
        "slab": tuple(str(s) for s in res.slab),
        "level": level_percent(res.level if level is None else level),
        "pi_df": ddf if use_t else None,
        "transf": transf is not None, "method": res.method, "test": res.test,
    }  # fmt: skip


def blup(
    res: RMAResult, level: float | None = None, transf: Callable[[float], float] | None = None
) -> BLUPResult:
    """Best linear unbiased predictions of the studies' true effects (metafor's
    ``blup.rma.uni``): the study-specific shrunken estimates.

    For study i with moderators x_i and shrinkage factor lambda_i = tau2/(tau2 + v_i):

        pred_i = x_i'b + lambda_i (y_i - x_i'b)
        var_i  = lambda_i v_i + (1 - lambda_i)^2 x_i' V x_i

    with V = ``res.vb`` (the second term carries the uncertainty in b) and the
    prediction interval pred_i +/- q sqrt(var_i), q the normal quantile under
    ``test="z"`` and the t(k - p) quantile under t, knha and adhoc (Raudenbush & Bryk
    1985; Robinson 1991). These are empirical BLUPs: tau^2 is the estimate, taken as
    known. With tau^2 = 0 (an equal-effects model, or an estimate at the boundary)
    pred_i is the fitted value x_i'b with the standard error of :meth:`RMAResult.predict`,
    as in metafor. One row per study fitted (a ``subset`` leaves the others out, as
    metafor's default ``na.action`` leaves out studies with missing values).

    Parameters
    ----------
    res : RMAResult
        A model fitted by :func:`rma` with the standard weights 1/(vi + tau^2).
    level : float, optional
        Level of the prediction intervals, read as :func:`rma` reads it (90, 0.9 and 0.1
        all a 90% interval); default the model's.
    transf : callable, optional
        A function applied to pred and both bounds, one value at a time, as metafor's
        ``transf`` (``math.exp`` for ratios from their logarithms); the bounds are put
        in increasing order (a decreasing function swaps them) and ``se`` is None, as
        metafor's is NA, since a standard error does not carry over. metafor's
        ``targs`` is not offered: a function carries its own (``lambda x: ...``).

    Returns
    -------
    BLUPResult

    Raises
    ------
    ValueError
        A model fitted with ``weights`` or ``weighted=False``, as metafor refuses it
        ("not available for models with non-standard weights").
    TypeError
        ``res`` is not a fitted model, or ``transf`` is not callable.

    References
    ----------
    Raudenbush SW, Bryk AS (1985). Empirical Bayes meta-analysis. Journal of Educational
    Statistics 10(2):75-98.
    Robinson GK (1991). That BLUP is a good thing: the estimation of random effects.
    Statistical Science 6(1):15-32.
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. Journal
    of Statistical Software 36(3):1-48 (and metafor's documentation of ``blup``).

    Examples
    --------
    >>> import math
    >>> from metareview import escalc, rma
    >>> # dat.bcg (Colditz et al. 1994): BCG vaccine trials, log risk ratios
    >>> es = escalc("RR", ai=[4, 6, 3, 62, 33, 180, 8, 505, 29, 17, 186, 5, 27],
    ...             bi=[119, 300, 228, 13536, 5036, 1361, 2537, 87886, 7470, 1699, 50448,
    ...                 2493, 16886],
    ...             ci=[11, 29, 11, 248, 47, 372, 10, 499, 45, 65, 141, 3, 29],
    ...             di=[128, 274, 209, 12619, 5761, 1079, 619, 87892, 7232, 1600, 27197,
    ...                 2338, 17825])
    >>> b = blup(rma(es), transf=math.exp)  # the true risk ratios, shrunken
    >>> for line in b.summary().splitlines()[:3]:
    ...     print(line)
          pred   pi.lb   pi.ub
    1   0.4492  0.2012  1.0032
    2   0.2860  0.1431  0.5716
    """
    return BLUPResult(**_predictions(res, level, transf, random_only=False, caller="blup"))


def ranef(
    res: RMAResult, level: float | None = None, transf: Callable[[float], float] | None = None
) -> RanefResult:
    """Best linear unbiased predictions of the random effects (metafor's
    ``ranef.rma.uni``): how far each study's true effect lies from the model's fitted
    value.

    For study i with moderators x_i and shrinkage factor lambda_i = tau2/(tau2 + v_i):

        pred_i = lambda_i (y_i - x_i'b)
        var_i  = lambda_i v_i + lambda_i^2 x_i' V x_i

    with V = ``res.vb``, metafor's variance, and the prediction interval
    pred_i +/- q sqrt(var_i), q as in :func:`blup` (Raudenbush & Bryk 1985; Robinson
    1991). ``blup`` is the fitted value plus this prediction. An equal-effects (FE/EE)
    model has no random effects: every pred, se and bound is 0, as metafor gives them
    (it does not refuse).

    Parameters
    ----------
    res : RMAResult
        A model fitted by :func:`rma` with the standard weights 1/(vi + tau^2).
    level : float, optional
        Level of the prediction intervals, read as :func:`rma` reads it; default the
        model's.
    transf : callable, optional
        A function applied to pred and both bounds as in :func:`blup`; metafor's
        ``ranef`` applies it too (``math.exp`` gives the ratio of a study's true risk
        ratio to its fitted one).

    Returns
    -------
    RanefResult

    Raises
    ------
    ValueError
        A model fitted with ``weights`` or ``weighted=False``, as metafor refuses it.
    TypeError
        ``res`` is not a fitted model, or ``transf`` is not callable.

    References
    ----------
    Raudenbush SW, Bryk AS (1985). Empirical Bayes meta-analysis. Journal of Educational
    Statistics 10(2):75-98.
    Robinson GK (1991). That BLUP is a good thing: the estimation of random effects.
    Statistical Science 6(1):15-32.
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. Journal
    of Statistical Software 36(3):1-48 (and metafor's documentation of ``ranef``).
    """
    return RanefResult(**_predictions(res, level, transf, random_only=True, caller="ranef"))
