"""Random- and equal-effects models for meta-analysis: metafor's ``rma.uni`` in numpy.

The public entry point is :func:`rma`, which mirrors R's ``metafor::rma()`` (Viechtbauer
2010, *J Stat Softw* 36(3)) for the normal-normal model

    y_i = x_i' beta + u_i + e_i,   u_i ~ N(0, tau^2),   e_i ~ N(0, v_i),

with every heterogeneity estimator metafor offers for ``rma.uni`` (except ``GENQ``, which
needs user weights): ``FE``/``EE`` (tau^2 = 0), ``DL`` (DerSimonian & Laird 1986),
``HE`` (Hedges 1983), ``HS`` (Hunter & Schmidt 2004), ``SJ`` (Sidik & Jonkman 2005),
``PM`` (Paule & Mandel 1982), ``PMM`` (median-unbiased PM; Viechtbauer 2021),
``EB`` (Morris 1983; equal to PM at convergence), ``ML`` and ``REML`` (Viechtbauer 2005).
Tests: ``z`` (Wald), ``t``, ``knha`` (Hartung & Knapp 2001; Sidik & Jonkman 2002) and
``adhoc`` (Knapp-Hartung with the scale factor truncated below at 1; Knapp & Hartung 2003).

Numerical design
----------------
* metafor stops Fisher scoring when tau^2 changes by less than 1e-5 and runs ``uniroot``
  with tolerance 1.2e-4; here every iterative estimator is solved to the exact root
  (relative tolerance ``control["tol"]``, default 1e-14): REML/ML by Newton's method on
  score(tau^2) (tau^2 + c)^2, which is nearly linear (see :func:`_batch_reml`), falling
  back to Newton on the score or to Fisher scoring where that is not an ascent step, and
  safeguarded by a bracket on the sign of the score; PM/PMM/EB by Newton's
  method on the generalised Q statistic, which is convex and decreasing in tau^2, so that
  Newton iterates approach the root monotonically from the left and cannot overshoot.
* metafor's path is kept where it decides *which* root is reported: REML/ML start at
  ``max(0, HE)``, are kept >= 0, and the final ``ll0check`` compares the log-likelihood at
  the converged value with the one at tau^2 = 0.
* ``control=METAFOR_DEFAULTS`` switches to metafor's own stopping rules (Fisher scoring
  stopped when tau^2 changes by < 1e-5; R's Brent ``uniroot`` with tolerance 2^-13) and
  so reproduces metafor's default output, early stopping included, to ~1e-13.
* The intercept-only model (the common case, and the one behind ``leave1out``,
  ``influence`` and ``cumul``) never forms a k x k matrix: the score, information and
  Newton step need only the weighted power sums sum(w^a y^j), a = 1..3, j = 0..2, which
  are computed for many fits at once as one matrix product per power
  (:func:`fit_batch`). Meta-regression works with the k x p matrix sqrt(W) X and its thin
  QR decomposition; the traces of the residual-maker matrix P are O(k p^2) expressions.

Speed
-----
A single fit without moderators costs little arithmetic, so its fixed cost is what
``benchmarks/bench_engine.py`` measures against plain numpy:

* :func:`rma` without moderators runs the same solver in Python floats
  (:func:`_single_tau2`): per evaluation, w, w^2, w^3 are written into reused buffers and
  all nine power sums come from one small matrix product (three matrix-vector products
  for large k); no per-iteration dicts, masks or ``np.errstate`` contexts.
* Input validation is one dot product and one minimum; messages naming the offending
  study are built only when a check fails.
* Result attributes that cost a pass over the studies or several small arrays
  (``weights``, ``ll_ML``/``ll_REML``, ``X``, the coefficient arrays, ``QM``) are
  ``cached_property``s of the frozen result, computed on first access.
* Work arrays for large k are reused between calls of a thread (:func:`_scratch`): on
  the project's machines a fresh 800 kB array costs more in page faults than a pass of
  arithmetic over it.
* Q-profile bounds, trim and fill and leave-one-out use private paths on the validated
  arrays (:func:`_q_profile`, :func:`_single_tau2`, :func:`_reg1_fit`) instead of
  re-entering :func:`rma`; ``tests/unit/test_pool_fast.py`` checks each against the
  general code.

References
----------
Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators in the
random-effects model. *J Educ Behav Stat* 30(3):261-293.
Viechtbauer W (2007). Confidence intervals for the amount of heterogeneity in
meta-analysis. *Stat Med* 26(1):37-52 (Q-profile method).
Higgins JPT, Thompson SG (2002). Quantifying heterogeneity in a meta-analysis.
*Stat Med* 21(11):1539-1558 (I^2, H^2).
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import re
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import Any, Literal, cast, overload

import numpy as np

from metareview import distributions as dist
from metareview.arguments import alpha_from_level, check_aligned, level_percent, refuse_text

__all__ = [
    "DEFAULT_CONTROL",
    "METAFOR_DEFAULTS",
    "METHODS",
    "TESTS",
    "BatchFit",
    "ConfintResult",
    "PredictResult",
    "RMAResult",
    "StudyLabels",
    "SubgroupResult",
    "estimate_tau2",
    "fit_batch",
    "q_profile_ci",
    "rma",
    "subgroups",
]

#: Heterogeneity estimators accepted by :func:`rma` (metafor's codes).
METHODS: tuple[str, ...] = ("FE", "EE", "DL", "REML", "ML", "PM", "PMM", "HE", "SJ", "EB", "HS")
#: Inference for the fixed effects: normal, t, Knapp-Hartung, Knapp-Hartung truncated at 1.
TESTS: tuple[str, ...] = ("z", "t", "knha", "adhoc")

_FIXED = ("FE", "EE")
_EPS = float(np.finfo(float).eps)
_LOG_2PI = math.log(2.0 * math.pi)

#: Defaults for ``control``.
#:
#: * ``tol``: relative tolerance on tau^2 for the iterative estimators and the Q-profile
#:   bounds (iterations stop once a step changes tau^2 by less than ``tol * tau^2``);
#: * ``maxiter``: iteration cap. Past it the exact solvers raise ``RuntimeError``, as
#:   metafor's Fisher scoring stops; under ``uniroot_tol`` PM and PMM fit the model at
#:   the last iterate with R's warning "_NOT_ converged in N iterations", as metafor's
#:   uniroot does (the exact solver's iterations are not uniroot's, so it still raises);
#: * ``ll0check``: metafor's check that sets tau^2 = 0 when the (RE)ML log-likelihood is
#:   larger there than at the Fisher scoring solution;
#: * ``tau2_init``: starting value for ML/REML/EB (metafor: ``max(0, HE)``);
#: * ``threshold``: ``None`` (default) solves ML/REML/EB exactly; a number reproduces
#:   metafor's own algorithm instead - plain Fisher scoring from ``max(0, HE)`` with step
#:   halving, stopped when tau^2 changes by less than ``threshold`` (metafor: 1e-5);
#: * ``uniroot_tol``: ``None`` (default) solves PM/PMM and the Q-profile bounds exactly; a
#:   number reproduces metafor's ``uniroot`` calls (R's Brent ``zeroin`` with this
#:   absolute tolerance on the search intervals metafor uses; metafor: 2^-13);
#: * ``tau2_max``: ``None`` (default) searches the Q-profile bounds of tau^2 on metafor's
#:   default interval, up to ``max(100, 10 tau2)`` (and PM/PMM under ``uniroot_tol`` up to
#:   ``max(100, 10 mad(yi)^2)``); a number is the end of both searches instead, higher or
#:   lower, as metafor's ``control = list(tau2.max = ...)``. A mean difference on a 0-100
#:   scale has tau^2 in squared points, where 100 is a between-study SD of only 10 points.
#:
#: :data:`METAFOR_DEFAULTS` sets ``threshold`` and ``uniroot_tol`` (and ``maxiter``) to
#: metafor's defaults, which reproduces metafor's default output (to ~1e-13) rather than
#: the exact root.
DEFAULT_CONTROL: dict[str, Any] = {
    "tol": 1e-14,
    "maxiter": 1000,
    "ll0check": True,
    "tau2_init": None,
    "threshold": None,
    "uniroot_tol": None,
    "tau2_max": None,
}

#: ``control`` reproducing metafor 3.8's default convergence criteria
#: (``threshold = 1e-5``, ``tol = .Machine$double.eps^0.25``, ``maxiter = 100``).
METAFOR_DEFAULTS: dict[str, Any] = {"threshold": 1e-5, "uniroot_tol": 2.0**-13, "maxiter": 100}


#: True inside :func:`_refits`: the fits a function makes on its own (leave-one-out,
#: cumulative, influence and trim-and-fill refits, R^2's model without moderators) keep
#: their warnings to themselves, as metafor wraps them in ``suppressWarnings()``. A
#: context variable rather than ``warnings.catch_warnings`` because the pipeline runs
#: jobs in threads, and the warnings filter is one for the whole process.
_QUIET: contextvars.ContextVar[bool] = contextvars.ContextVar("metareview_quiet", default=False)


@contextlib.contextmanager
def _refits() -> Iterator[None]:
    """Silence the model-fitting warnings of :mod:`metareview.pool` in this block.

    For functions that refit a model the caller has already fitted (and been warned
    about): the caller sees a warning such as the extreme variance ratio once, from
    :func:`rma`, not once per refit. Errors still propagate.
    """
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


def _warn(message: str, stacklevel: int) -> None:
    """``warnings.warn(message)`` unless inside :func:`_refits`; ``stacklevel`` counts from
    the caller, as for ``warnings.warn``."""
    if not _QUIET.get():
        warnings.warn(message, stacklevel=stacklevel + 1)


class _InfiniteWeightError(ValueError):
    """A study of vi = 0 in a fit whose tau^2 is 0: its weight 1/(vi + tau^2) is infinite.

    Raised deep in the solvers, which know neither the study's label nor why tau^2 is 0;
    :func:`rma` replaces it with :func:`_infinite_weight_message`.
    """


#: Why tau^2 is 0, by estimator, for :func:`_infinite_weight_message`.
_WHY_TAU2_ZERO = {
    "FE": "an equal-effects (FE) model has tau^2 = 0",
    "EE": "an equal-effects (EE) model has tau^2 = 0",
    "REML": (
        "the restricted log-likelihood keeps rising as tau^2 falls towards 0 (it has no "
        "maximum at a positive tau^2; metafor stops wherever its iteration does, or fails)"
    ),
    "ML": (
        "the log-likelihood keeps rising as tau^2 falls towards 0 (it has no maximum at a "
        "positive tau^2; metafor stops wherever its iteration does, or fails)"
    ),
    # not an estimator: the key of a model fitted with tau2 given (metafor's tau2.fix)
    "fixed": "tau^2 was given as 0 (rma's tau2 argument)",
}


def _infinite_weight_message(v: np.ndarray, method: str, labels: Sequence[str]) -> str:
    """The error for a fit that gives a study of vi = 0 an infinite weight.

    Names the studies (by label), says why tau^2 is 0 for this estimator and what to do.
    Starts like metafor's own error ("Division by zero when computing the inverse
    variance weights") so that both read alike.
    """
    zero = np.flatnonzero(v == 0.0)
    names = ", ".join(repr(labels[int(i)]) for i in zero[:5]) + (", ..." if zero.size > 5 else "")
    which, whose = (
        (f"study {names} has", "that study's weight")
        if zero.size == 1
        else (f"studies {names} have", "their weights")
    )
    why = _WHY_TAU2_ZERO.get(method, f"the {method} estimate of tau^2 is 0")
    return (
        f"division by zero computing the inverse-variance weights: {which} sampling "
        f"variance vi = 0, and {why}; at tau^2 = 0 {whose} 1/(vi + tau^2) is infinite. "
        "Give each such study its sampling variance (vi > 0, e.g. the squared standard "
        "error its source reports) or leave it out of the analysis"
    )


def _control(control: Mapping[str, Any] | None) -> dict[str, Any]:
    con = dict(DEFAULT_CONTROL)
    if control:
        unknown = sorted(set(control) - set(con))
        if unknown:
            # metafor's names with "." (tau2.max, tau2.init) are written with "_" here
            renamed = [str(n).replace(".", "_") for n in unknown if str(n).replace(".", "_") in con]
            hint = f" (metafor's names are written with '_' here: {renamed})" if renamed else ""
            raise ValueError(f"unknown control option(s) {unknown}{hint}; known: {sorted(con)}")
        con.update(control)
    # the plain values the solvers read (they call float() and int() on them): an option
    # given as a Fraction or Decimal stayed so in the fit's control, where to_dict()
    # passed it on and json.dumps refused it
    con["tol"] = float(con["tol"])
    con["maxiter"] = int(con["maxiter"])
    con["ll0check"] = bool(con["ll0check"])
    for key in ("tau2_init", "threshold", "uniroot_tol", "tau2_max"):
        if con[key] is not None:
            con[key] = float(con[key])
    if not (0.0 < float(con["tol"]) < 1.0):
        raise ValueError(f"control['tol'] must lie in (0, 1), got {con['tol']!r}")
    if int(con["maxiter"]) < 1:
        raise ValueError(f"control['maxiter'] must be >= 1, got {con['maxiter']!r}")
    return con


# =========================================================================== input checks


# a factor given as its levels' names: what to do instead
_FACTOR_HINT = (
    "with pandas.to_numeric(column) for numbers read as text, or, for a factor, as 0/1 "
    "dummy columns: pandas.get_dummies(x, drop_first=True, dtype=float)"
)


def _as_vector(x: Any, name: str, hint: str = "e.g. pandas.to_numeric(column)") -> np.ndarray:
    refuse_text(x, name, hint)
    try:
        arr = np.array(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr


def require_model(res: Any, caller: str) -> None:
    """Refuse anything but a model fitted by :func:`rma` (an :class:`RMAResult`) as the
    first argument of the methods on fits, with a message saying what was passed and
    what to pass instead.

    metafor's ``regtest(yi, vi)`` and ``ranktest(yi, vi)`` take raw vectors; here they
    take the fit, and a list passed where the fit belongs would otherwise fail deep
    inside with "'list' object has no attribute 'yi'". A Mantel-Haenszel or Peto fit
    (:func:`metareview.rma_mh`, :func:`metareview.rma_peto`) and escalc's effect sizes
    have ``yi`` and ``vi`` too, but not the model these methods need (coefficients,
    tau^2, weights), so they are refused here rather than failing later with an
    AttributeError; see docs/statistics.md for what metafor gives for an ``rma.mh`` fit.
    (``forest``, ``funnel``, ``baujat``, ``rstandard``, ``rstudent`` and ``residuals``
    take these fits, as metafor does, and call this only for anything else.)
    """
    if isinstance(res, RMAResult):
        return
    name = type(res).__name__
    fit = {"MHResult": "rma_mh", "PetoResult": "rma_peto"}.get(name)
    if fit is not None:
        raise TypeError(
            f"{caller} takes a model fitted by rma() (an RMAResult), got {fit}'s result ({name}); "
            f"fit the same studies with rma(escalc(...)) and pass that: {caller}(rma(es))"
        )
    if name == "EffectSizes":
        raise TypeError(
            f"{caller} takes a model fitted by rma() (an RMAResult), got escalc's effect sizes "
            f"(EffectSizes); fit them first: {caller}(rma(es))"
        )
    raise TypeError(
        f"{caller} expects a model fitted by rma() (an RMAResult), got "
        f"{name}; fit one first: {caller}(rma(yi, vi))"
    )


def sort_bounds(lb: Any, ub: Any) -> tuple[np.ndarray, np.ndarray]:
    """Each pair of interval bounds in increasing order, as metafor's ``.psort`` puts
    them after ``transf`` (a decreasing function swaps them). A pair with a missing
    bound (NaN, e.g. the square root of a negative bound) is left as it is, as
    ``.psort`` skips it: the finite bound is not copied into the missing one."""
    lo, hi = np.asarray(lb, dtype=float), np.asarray(ub, dtype=float)
    swap = lo > hi  # False when either is NaN
    return np.where(swap, hi, lo), np.where(swap, lo, hi)


def refuse_custom_weights(res: RMAResult, what: str, instead: str) -> None:
    """Refuse ``what`` (e.g. "blup: best linear unbiased predictions") for a model fitted
    with given ``weights`` or ``weighted=False``, as metafor refuses it ("... not
    available for models with non-standard weights"): it rests on the coefficients
    estimated with the weights 1/(vi + tau^2). ``instead`` says what to do."""
    if res.custom_weights:
        how = "given weights" if res.weights_given is not None else "weighted=False"
        raise ValueError(
            f"{what} need the coefficients estimated with the model's weights 1/(vi + tau^2), "
            f"and it was fitted with {how} (metafor refuses them too); {instead}"
        )


def check_transf(transf: Any) -> None:
    """Refuse a ``transf`` that is not a function (None, no transformation, passes)."""
    if transf is not None and not callable(transf):
        raise TypeError(f"transf must be a function of one number, not {type(transf).__name__}")


def apply_transf(transf: Callable[[float], float], a: Any) -> np.ndarray:
    """metafor's ``transf`` applied to each value of ``a`` (any shape) one at a time, as
    its ``sapply``: a function of one number (``math.exp``) works as a vectorised one
    (``np.exp``). A missing value (NaN, e.g. a failed refit) stays NaN without calling
    ``transf``, as R's functions return NA for NA; put the bounds in order afterwards with
    :func:`sort_bounds`."""
    check_transf(transf)
    x = np.asarray(a, dtype=float)
    out = [math.nan if math.isnan(v) else float(transf(v)) for v in x.ravel().tolist()]
    return np.asarray(out, dtype=float).reshape(x.shape)


#: How a caller of :func:`rma` leaves out a study with a missing value, as metafor's
#: ``subset`` (or its dropping of the study) would.
_RMA_ROUTE = "e.g. with rma(..., subset=...)"


def _check_yi_vi(yi: Any, vi: Any, route: str = _RMA_ROUTE) -> tuple[np.ndarray, np.ndarray]:
    """Validate effect sizes and sampling variances; return float copies. ``route``
    ends the message on a missing value: how the caller's own function leaves the study
    out."""
    y, v, _ = _check_data(yi, vi, route)
    return y, v


def _check_data(yi: Any, vi: Any, route: str = _RMA_ROUTE) -> tuple[np.ndarray, np.ndarray, float]:
    """:func:`_check_yi_vi`, also returning min(vi).

    The checks are one dot product and a minimum: a NaN or infinity in either array
    makes y'v NaN or infinite (inf * 0 is NaN), and NaN propagates through the minimum.
    This runs on every fit, so the messages naming the offending studies are only built
    once a check has failed.
    """
    y = _as_vector(yi, "yi")
    v = _as_vector(vi, "vi")
    if y.shape != v.shape:
        raise ValueError(f"yi and vi differ in length ({y.size} vs {v.size})")
    if y.size < 1:
        raise ValueError("no studies: k = 0 (a model needs at least one study)")
    vmin = float(np.minimum.reduce(v))
    if not (vmin >= 0.0 and math.isfinite(float(np.dot(y, v)))):
        _explain_bad_data(y, v, route)  # raises, unless y'v merely overflowed
    return y, v, vmin


#: The same for the functions of arrays that have no ``subset`` (estimate_tau2, q_profile_ci).
_ARRAY_ROUTE = (
    "e.g. by passing yi[keep] and vi[keep] (and the rows keep selects of X), "
    "keep = numpy.isfinite(yi) & numpy.isfinite(vi)"
)
_SUBGROUPS_ROUTE = "e.g. with subgroups(..., subset=...)"


def _explain_bad_data(y: np.ndarray, v: np.ndarray, route: str = _RMA_ROUTE) -> None:
    """Raise the error naming the first non-finite or negative value, if there is one;
    ``route`` says how the caller leaves such a study out."""
    for name, arr in (("yi", y), ("vi", v)):
        bad = np.flatnonzero(~np.isfinite(arr))
        if bad.size:
            i = int(bad[0])
            raise ValueError(
                f"{name}[{i}] is {float(arr[i])!r}: effect sizes and sampling variances must be "
                f"finite ({bad.size} non-finite value(s), indices {bad[:10].tolist()}); where "
                f"metafor drops such a study, leave it out here, {route}"
            )
    neg = np.flatnonzero(v < 0)
    if neg.size:
        i = int(neg[0])
        raise ValueError(
            f"vi[{i}] = {float(v[i])!r} is negative: sampling variances must be >= 0 "
            f"({neg.size} negative value(s), indices {neg[:10].tolist()})"
        )


def _check_method_test(method: str, test: str, level: float) -> tuple[str, str, float]:
    m = str(method).upper()
    if m not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {list(METHODS)}")
    t = str(test).lower()
    if t not in TESTS:
        raise ValueError(f"unknown test {test!r}; choose one of {list(TESTS)}")
    alpha_from_level(level)  # refuses a level metafor would not read as an interval
    return m, t, float(level)


def _design(mods: Any, intercept: bool, k: int) -> tuple[np.ndarray, tuple[str, ...], bool]:
    """Model matrix (k x p), coefficient names, and whether an intercept is included.

    ``mods`` is not None: :func:`_rma_impl` handles a model without moderators (which,
    as in metafor, always gets an intercept).
    """
    frame = hasattr(mods, "columns") and not isinstance(mods, Mapping)
    if frame or isinstance(mods, Mapping):
        if frame:
            # a pandas DataFrame: its column names name the coefficients, as in metafor
            # (by position, so that repeated names stay separate columns)
            names = [str(c) for c in mods.columns]
            cols = [
                _as_vector(mods.iloc[:, j], f"mods[{n!r}]", _FACTOR_HINT)
                for j, n in enumerate(names)
            ]
        else:
            names = [str(n) for n in mods]
            cols = [_as_vector(mods[n], f"mods[{n!r}]", _FACTOR_HINT) for n in mods]
        for n, c in zip(names, cols):
            if c.size != k:
                raise ValueError(f"moderator {n!r} has length {c.size}, expected k = {k}")
        M = np.column_stack(cols) if cols else np.empty((k, 0))
    else:
        refuse_text(mods, "mods", _FACTOR_HINT)
        try:
            M = np.array(mods, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"mods must be numeric ({exc}); code a factor as 0/1 dummy columns, e.g. "
                "pandas.get_dummies(x, drop_first=True, dtype=float)"
            ) from None
        if M.ndim == 1:
            M = M.reshape(-1, 1)
            names = ["mods"]
        elif M.ndim == 2:
            # an R matrix without column names: its columns are named "", so metafor's
            # coefficients are "" for one column and ".1", ".2", ... for several
            names = [""] * M.shape[1]
        else:
            raise ValueError(f"mods must be 1-D or 2-D, got shape {M.shape}")
        if M.shape[0] != k:
            raise ValueError(f"mods has {M.shape[0]} rows, expected k = {k}")
    bad = np.argwhere(~np.isfinite(M))
    if bad.size:
        i, j = (int(b) for b in bad[0])
        raise ValueError(f"moderator {names[j]!r} is not finite for study {i}: {M[i, j]!r}")
    if intercept:
        X = np.column_stack([np.ones(k), M])
        coef = _make_unique(["intrcpt", *names])
    else:
        if M.shape[1] == 0:
            raise ValueError("a model without intercept needs at least one moderator")
        X = M
        coef = _make_unique(names)
    # metafor first drops redundant columns with a warning (by R's lm rule) and then
    # refuses what is still rank-deficient (eigenvalues of X'X <= 1e-7); a dropped
    # coefficient is easy to miss in a report, so here the model is refused outright
    ev = np.linalg.eigvalsh(X.T @ X)
    if ev.min() <= 1e-7:
        if np.linalg.matrix_rank(X) < X.shape[1]:
            raise ValueError(
                "model matrix is not of full rank (a moderator is constant or a linear "
                "combination of the others); drop the redundant moderator"
            )
        # not redundant, only so far from the intercept's scale (a year or a date as a
        # day count, 30001..30007) that X'X is numerically singular, as metafor judges it
        raise ValueError(
            "model matrix is not of full rank by the rule metafor applies (an eigenvalue "
            "of X'X is <= 1e-7), though no moderator is redundant: one is nearly collinear "
            "with the others or far from their scale; centre or rescale it (e.g. "
            "x - mean(x)) and fit again"
        )
    int_incl = bool(intercept) or bool(np.any(np.all(X == 1.0, axis=0)))
    return X, coef, int_incl


def _make_unique(names: Sequence[str]) -> tuple[str, ...]:
    """Coefficient names made unique as metafor makes them (its ``.make.unique``).

    Every name that occurs more than once gets the suffixes ``.1``, ``.2``, ... in order
    of occurrence; a name that occurs once is kept. So unnamed matrix columns (named "")
    become ``.1``, ``.2``, ... and a lone unnamed column stays "". (metafor leaves the
    coefficients of an unnamed matrix without an intercept unnamed altogether; here they
    are named by the same rule, as every coefficient needs a name.)

    The names are taken in turn in order of first occurrence, each against the names as
    renamed so far, as metafor's loop does: a column ``intrcpt.1`` beside one named
    ``intrcpt`` meets the intercept renamed ``intrcpt.1``, and both become
    ``intrcpt.1.1`` and ``intrcpt.1.2``. A name that occurs once at its turn is kept even
    if a later renaming repeats it (``x.1``, ``x``, ``x`` give ``x.1``, ``x.1``, ``x.2``
    in both programs).
    """
    out = [str(n) for n in names]
    for name in dict.fromkeys(out):  # R's unique(x), taken before any renaming
        where = [i for i, n in enumerate(out) if n == name]
        if len(where) > 1:
            for j, i in enumerate(where, start=1):
                out[i] = f"{name}.{j}"
    return tuple(out)


# =========================================================================== WLS helper


#: 1 - h below which a row's leverage is recomputed and its terms of the traces kept
#: apart (see :class:`_WLS`): from there on the differences of large terms lose three or
#: more digits (all of them when one vi is 1e16 times below the others'). Rows like this
#: are at most about p, so the extra fits cost at most p times the fit itself.
_HIGH_LEVERAGE = 1e-3


def _one_minus_leverage(SX: np.ndarray, j: int) -> float:
    """1 - h_j of row j of the weighted design ``SX`` = W^(1/2) X, from the other rows:
    h_j = a / (1 + a) with a = s_j' (S_(-j)' S_(-j))^-1 s_j (Sherman & Morrison 1950,
    Ann Math Stat 21:124-127, for the inverse of S'S = S_(-j)' S_(-j) + s_j s_j'), so
    1 - h_j = 1 / (1 + a) without cancellation; 0 when the other rows do not span
    the design (row j is then alone in a direction of X, and its leverage is 1)."""
    rest = np.delete(SX, j, axis=0)
    # numpy's stubs type every mode's result as QRResult; mode "r" returns R alone
    R = cast(np.ndarray, np.linalg.qr(rest, mode="r"))
    d = np.abs(np.diag(R))
    if d.size < SX.shape[1] or not np.all(d > 1e-13 * np.linalg.norm(rest, axis=0)):
        return 0.0
    z = np.linalg.solve(R.T, SX[j])
    return 1.0 / (1.0 + float(z @ z))


class _WLS:
    """Weighted least squares y ~ X with weights w, and traces of P = W - W X (X'WX)^-1 X' W.

    With S = W^(1/2) and the thin QR decomposition S X = Q R, P = S (I - Q Q') S, so for
    diagonal matrices D1, D2 and d'_j = w_j d_j:

        tr(P D)       = sum_j w_j d_j (1 - h_j),          h_j = ||Q_j||^2 (leverages)
        tr(P D1 P D2) = sum d'1 d'2 (1 - 2 h) + tr(Q'D'1 Q Q'D'2 Q)
        u' P u        = ||S u||^2 - ||Q' S u||^2

    which are O(k p^2): no k x k matrix is formed.

    When one weight dominates (a study whose vi is many orders of magnitude below the
    others'), its leverage h_j is 1 to within rounding, and 1 - h_j, hence w_j (1 - h_j)
    and the traces above, lose their digits (at 1e10, tr(PP) came out negative). For
    such rows (1 - h_j < :data:`_HIGH_LEVERAGE`) 1 - h_j is taken
    from the fit without study j instead, 1 / (1 + w_j x_j' (X_(-j)' W_(-j) X_(-j))^-1 x_j)
    (Sherman-Morrison), and tr(P D1 P D2) keeps their terms apart (see :meth:`tr2`).
    """

    def __init__(self, y: np.ndarray, w: np.ndarray, X: np.ndarray) -> None:
        if not np.all(np.isfinite(w)):
            raise _InfiniteWeightError(
                "division by zero computing the inverse-variance weights: a study has "
                "vi = 0 and tau^2 = 0"
            )
        self.w = w
        sw = np.sqrt(w)
        self.sw = sw
        Q, R = np.linalg.qr(X * sw[:, None])
        self.Q = Q
        self.R = R
        Rinv = np.linalg.inv(R)
        self.vb = Rinv @ Rinv.T  # (X'WX)^-1
        self.beta = Rinv @ (Q.T @ (sw * y))
        self.resid = y - X @ self.beta
        self.RSS = float(np.sum(w * self.resid**2))
        self.h = np.einsum("ij,ij->i", Q, Q)
        self.logdet_XWX = float(2.0 * np.sum(np.log(np.abs(np.diag(R)))))
        omh = 1.0 - self.h
        #: rows of leverage 1 to within rounding (see the class docstring)
        self.high = np.flatnonzero(omh < _HIGH_LEVERAGE)
        for j in self.high:
            omh[j] = _one_minus_leverage(X * sw[:, None], int(j))
        self.omh = omh

    def tr1(self, d: np.ndarray) -> float:
        """tr(P diag(d)) = sum w d (1 - h)."""
        return float(np.sum(self.w * d * self.omh))

    def tr2(self, d1: np.ndarray, d2: np.ndarray) -> float:
        """tr(P diag(d1) P diag(d2)) = sum_ij P_ij^2 d1_j d2_i.

        With a = w d1, b = w d2: the diagonal P_ii = w_i (1 - h_i) gives
        sum a b (1 - h)^2, the off-diagonal P_ij = -sqrt(w_i w_j) q_i'q_j gives
        sum_{i != j} a_j b_i (q_i'q_j)^2 = sum(A * B) - sum a b h^2 over the rows of
        ordinary leverage (A = Q' diag(a) Q), plus the pairs with a high-leverage row
        one at a time: the differences of huge terms are never formed.
        """
        a = self.w * d1
        b = self.w * d2
        Q = self.Q
        diag = float(np.sum(a * b * self.omh * self.omh))
        hi = self.high
        if hi.size == 0:
            A = (Q * a[:, None]).T @ Q
            B = (Q * b[:, None]).T @ Q
            return diag + float(np.sum(A * B.T) - np.sum(a * b * self.h * self.h))
        lo = np.ones(a.size, dtype=bool)
        lo[hi] = False
        QL, aL, bL, hL = Q[lo], a[lo], b[lo], self.h[lo]
        A = (QL * aL[:, None]).T @ QL
        B = (QL * bL[:, None]).T @ QL
        off = float(np.sum(A * B.T) - np.sum(aL * bL * hL * hL))
        for n, j in enumerate(hi):
            qj = Q[j]
            off += float(a[j] * (qj @ B @ qj) + b[j] * (qj @ A @ qj))
            for i in hi[n + 1 :]:
                off += float((a[j] * b[i] + a[i] * b[j]) * (Q[i] @ qj) ** 2)
        return diag + off

    def uPu(self, u: np.ndarray) -> float:
        z = self.sw * u
        qz = self.Q.T @ z
        return float(z @ z - qz @ qz)


# =========================================================================== tau^2, general X


@dataclass(frozen=True)
class _Tau2:
    tau2: float
    se_tau2: float | None
    iterations: int = 0


def _score_reml(fit: _WLS, ml: bool) -> tuple[float, float, float, float]:
    """Score, Hessian, expected information of the (restricted) log-likelihood in tau^2,
    and the magnitude of the terms whose difference is the score (for a noise floor)."""
    w = fit.w
    Py = w * fit.resid
    yPPy = float(Py @ Py)
    uPu = fit.uPu(Py)
    if ml:
        trP = float(np.sum(w))
        info = float(np.sum(w * w)) / 2.0
    else:
        trP = fit.tr1(np.ones_like(w))
        info = fit.tr2(np.ones_like(w), np.ones_like(w)) / 2.0
    score = (yPPy - trP) / 2.0
    hess = info - uPu
    return score, hess, info, (yPPy + abs(trP)) / 2.0


def _loglik(y: np.ndarray, v: np.ndarray, X: np.ndarray, tau2: float, reml: bool) -> float:
    k, p = X.shape
    fit = _WLS(y, 1.0 / (v + tau2), X)
    if reml:
        _, R0 = np.linalg.qr(X)
        logdet_XX = float(2.0 * np.sum(np.log(np.abs(np.diag(R0)))))
        return (
            -0.5 * (k - p) * _LOG_2PI
            + 0.5 * logdet_XX
            - 0.5 * float(np.sum(np.log(v + tau2)))
            - 0.5 * fit.logdet_XWX
            - 0.5 * fit.RSS
        )
    return -0.5 * k * _LOG_2PI - 0.5 * float(np.sum(np.log(v + tau2))) - 0.5 * fit.RSS


def _maximise_ll(
    stats: Any, t: float, ml: bool, con: dict[str, Any], floor: float, score0: Any
) -> tuple[float, int]:
    """The local maximum of the (RE)ML log-likelihood in tau^2 >= 0 that metafor's
    Fisher scoring reaches from ``t``, to ``con["tol"]``.

    ``stats(t)`` gives (score, hessian, expected information, scale of the score's
    terms); ``score0()`` the score at tau^2 = 0 (None where it does not exist).

    The likelihood can have a maximum at the boundary 0 and another inside (it happens
    with outlying studies, in meta-regressions more often). metafor's Fisher scoring
    (steps score/information, halved to stay >= 0, stopped once tau^2 changes by < 1e-5)
    runs first and picks the maximum; a Newton step from far off could jump over it.
    Newton's method then refines, within a bracket [lo, hi] with a positive score at
    ``lo`` and a negative one at ``hi``; a step that would leave it is replaced by the
    midpoint. Below the lowest point with a negative score, with no positive score seen,
    the score at 0 decides: positive, and the maximum lies inside (bisect from 0);
    otherwise the search halves towards 0 and stops at 0 once within ``floor`` of it.
    """
    for _ in range(int(METAFOR_DEFAULTS["maxiter"])):
        score, _hess, info, _scale = stats(t)
        adj = score / info
        while t + adj < 0.0:
            adj /= 2.0
        new = t + adj
        change = abs(new - t)
        t = new
        if change <= METAFOR_DEFAULTS["threshold"]:
            break
    tol = float(con["tol"])
    lo: float | None = None  # largest point seen with a positive score
    hi = math.inf  # smallest point seen with a negative score
    s0: float | None = None
    for it in range(1, int(con["maxiter"]) + 1):
        score, hess, info, scale = stats(t)
        if score == 0.0 or (t > 0.0 and abs(score) <= 8 * _EPS * scale):
            return t, it
        if t == 0.0 and score < 0.0:
            return 0.0, it
        if score > 0.0:
            lo = t if lo is None else max(lo, t)
        else:
            hi = min(hi, t)
        new = t + (score / -hess if hess < 0.0 else score / info)
        if lo is None and new <= 0.0:
            # towards the boundary with no positive score seen: is there one at 0?
            if s0 is None:
                at0 = score0()
                s0 = -1.0 if at0 is None else at0
            if s0 > 0.0:
                lo, new = 0.0, 0.5 * hi
            elif hi <= floor:
                return 0.0, it
            else:
                new = 0.5 * hi
        elif not ((lo if lo is not None else 0.0) < new < hi):
            low = lo if lo is not None else 0.0
            new = 0.5 * (low + hi) if math.isfinite(hi) else 2.0 * max(low, t)
        if abs(new - t) <= tol * max(abs(new), abs(t)):
            return new, it
        t = new
    raise RuntimeError(
        f"{'ML' if ml else 'REML'} estimation of tau^2 did not converge in "
        f"{con['maxiter']} iterations"
    )


def _solve_ml_general(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, ml: bool, start: float, con: dict[str, Any]
) -> tuple[float, int]:
    """Maximise the (RE)ML log-likelihood over tau^2 >= 0 (see :func:`_maximise_ll`)."""

    def stats(t: float) -> tuple[float, float, float, float]:
        # At t = 0 a study of vi = 0 has an infinite weight: the fit stops with an error
        # that names it (_infinite_weight_message), not numpy's "divide by zero" beside it.
        with np.errstate(divide="ignore", invalid="ignore"):
            return _score_reml(_WLS(y, 1.0 / (v + t), X), ml)

    def score0() -> float | None:
        return _score_reml(_WLS(y, 1.0 / v, X), ml)[0] if bool(np.all(v > 0)) else None

    floor = 8 * _EPS * max(float(np.max(v)), 1.0)  # within rounding of tau^2 = 0
    return _maximise_ll(stats, max(0.0, start), ml, con, floor, score0)


def _solve_q_general(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, target: float, start: float, con: dict[str, Any]
) -> tuple[float, int]:
    """Root of the generalised Q statistic Q(tau^2) = target (Q is convex and decreasing).

    Assumes Q(0) >= target. Newton from the right of the root lands left of it (the tangent
    lies below a convex function); from the left it increases monotonically to the root,
    so no bracketing is needed and the convergence is quadratic.
    """
    tol = float(con["tol"])
    t = max(0.0, start)
    for it in range(1, int(con["maxiter"]) + 1):
        fit = _WLS(y, 1.0 / (v + t), X)
        f = fit.RSS - target
        Py = fit.w * fit.resid
        slope = -float(Py @ Py)  # dQ/dtau2 = -y'PPy
        # stop at the root, or once Q - target is rounding noise (small roots cannot be
        # located to a relative tol when Q itself is only known to ~eps * Q)
        if f == 0.0 or slope == 0.0 or abs(f) <= 8 * _EPS * max(fit.RSS, target):
            return t, it
        new = max(0.0, t - f / slope)
        if _q_newton_done(f, new, t, tol):
            return new, it
        t = new
    raise RuntimeError(f"Q-statistic root search did not converge in {con['maxiter']} iterations")


def _q_newton_done(f: float, new: float, t: float, tol: float) -> bool:
    """Whether the Newton step t -> new of a root search of Q(tau^2) = target ends it.

    It does when the step is below ``tol`` relative, or when it is below
    0.1 sqrt(tol) from the left of the root (f > 0): the convergence is quadratic, so
    the error left after it is below tol, as :func:`_batch_q_root` stops. The second
    rule also ends searches whose Q carries more rounding than the 8 eps Q the callers
    allow: with vi of 1e-6 and yi of 0.7, y - X b keeps only ~13 digits, Q - target
    is ~1e-14 Q at the root, and the steps cycled between two points 3e-14 apart.
    """
    size, scale = abs(new - t), max(new, t)
    return size <= tol * scale or (f > 0.0 and new > 0.0 and size <= 0.1 * math.sqrt(tol) * scale)


#: Starting points of :func:`_solve_q_zero_vi` and its batched form, relative to the
#: mean sampling variance: 1e-6 and 1e-9. Not smaller: with weights of 1e12 / mean(vi)
#: the batched Q (a difference of power sums) is rounding noise of the order of Q itself.
_ZERO_VI_STARTS = 2


def _solve_q_zero_vi(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, target: float, con: dict[str, Any]
) -> tuple[float, int]:
    """Root of Q(tau^2) = target when a study has vi = 0 (the EB estimator).

    metafor's EB iteration (Morris 1983) runs with such data, and its fixed point
    solves y'P(tau^2)y = k - p like the Paule-Mandel estimator; only Q(0) does not
    exist (that study's weight 1/(vi + tau^2) is infinite). Q is convex and decreasing
    on tau^2 > 0, so Newton's method from any point left of the root converges to it;
    the start is the first of 1e-6 and 1e-9 times the mean vi (the variance of y when
    every vi is 0: Q is then RSS/tau^2) where Q >= target. If
    there is none the estimate is 0 (or a root below 1e-9 mean(vi), 0 to rounding) and
    the weights are infinite: ``ValueError``, as metafor stops with "Division by zero
    when computing the inverse variance weights" (which it also does where the root is
    positive: its iteration starts at max(0, HE), and at 0 the weights are infinite).
    """
    scale = float(np.mean(v))
    if scale == 0.0 and y.size > 1:
        scale = float(np.var(y, ddof=1))
    t = 1e-6 * scale
    for _ in range(_ZERO_VI_STARTS):
        if t > 0.0 and _q_at(y, v, X, t) >= target:
            return _solve_q_general(y, v, X, target, t, con)
        t *= 1e-3
    raise _InfiniteWeightError(
        "division by zero computing the inverse-variance weights: a study has vi = 0 "
        "and tau^2 = 0"
    )


def _zeroin(
    f: Any,
    ax: float,
    bx: float,
    fa: float,
    fb: float,
    tol: float,
    maxiter: int,
    unconverged: str = "raise",
) -> float:
    """Brent's root finder exactly as R's ``uniroot`` runs it (``R_zeroin2``).

    Used only to reproduce metafor's default output (``control["uniroot_tol"]``): the
    returned point is wherever Brent's method stops with absolute tolerance ``tol``, not
    the exact root. Brent R (1973), *Algorithms for Minimization without Derivatives*, ch. 4.

    After ``maxiter`` steps without meeting ``tol`` it raises ``RuntimeError``, or, with
    ``unconverged="warn"``, does what R's ``uniroot`` does: returns the last iterate with
    the warning "_NOT_ converged in <maxiter> iteration(s)" (metafor's PM and PMM pass
    it on, their tau^2 that iterate).
    """
    a, b = ax, bx
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    for _ in range(maxiter + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2.0 * _EPS * abs(b) + tol / 2.0
        new_step = (c - b) / 2.0
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:
                q = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0.0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2.0) and p < abs(prev_step * q / 2.0):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0.0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    if unconverged == "warn":
        # R's uniroot: ngettext(maxiter, "... %d iteration", "... %d iterations")
        _warn(f"_NOT_ converged in {maxiter} iteration{'' if maxiter == 1 else 's'}", 5)
        return b
    raise RuntimeError(f"uniroot (Brent) did not converge in {maxiter} iterations")


def _mad(y: np.ndarray) -> float:
    """R's ``mad``: 1.4826 * median(|y - median(y)|)."""
    return 1.4826 * float(np.median(np.abs(y - np.median(y))))


def _metafor_pm_root(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, target: float, con: dict[str, Any]
) -> float:
    """metafor's PM/PMM search: ``uniroot`` on [0, max(100, 10 mad(yi)^2)] (Q(0) >= target),
    or on [0, ``control["tau2_max"]``] when that is given, as metafor's ``tau2.max``.

    Within ``control["maxiter"]`` steps, or else, as in metafor (whose ``try`` around
    ``uniroot`` lets its warning through), the last iterate with R's warning
    "_NOT_ converged in <maxiter> iteration(s)"."""
    tau2_max = float(con["tau2_max"]) if con.get("tau2_max") is not None else max(100.0, 10.0 * _mad(y) ** 2)
    f_hi = _q_at(y, v, X, tau2_max) - target
    if f_hi > 0:
        raise ValueError(
            "Q(tau2_max) is above its target: metafor stops here ('Value of tau2.max too "
            "low'); use the default control (exact root) instead"
        )
    f_lo = _q_at(y, v, X, 0.0) - target
    return _zeroin(
        lambda t: _q_at(y, v, X, t) - target,
        0.0,
        tau2_max,
        f_lo,
        f_hi,
        float(con["uniroot_tol"]),
        int(con["maxiter"]),
        unconverged="warn",
    )


def _metafor_fisher_general(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str, start: float, con: dict[str, Any]
) -> float:
    """metafor's Fisher scoring for ML/REML/EB with its stopping rule (``threshold``)."""
    k, p = X.shape
    threshold = float(con["threshold"])
    t = start
    change = threshold + 1.0
    it = 0
    while change > threshold:
        it += 1
        old = t
        fit = _WLS(y, 1.0 / (v + t), X)
        Py = fit.w * fit.resid
        yPPy = float(Py @ Py)
        if method == "ML":
            adj = (yPPy - float(np.sum(fit.w))) / float(np.sum(fit.w**2))
        elif method == "REML":
            ones = np.ones(k)
            adj = (yPPy - fit.tr1(ones)) / fit.tr2(ones, ones)
        else:  # EB
            adj = (fit.RSS * k / (k - p) - k) / float(np.sum(fit.w))
        while t + adj < 0.0:
            adj /= 2.0
        t = t + adj
        change = abs(old - t)
        if it > int(con["maxiter"]):
            raise RuntimeError("Fisher scoring algorithm did not converge")
    return t


def _q_at(y: np.ndarray, v: np.ndarray, X: np.ndarray, tau2: float) -> float:
    return _WLS(y, 1.0 / (v + tau2), X).RSS


def _tau2_general(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str, con: dict[str, Any]
) -> _Tau2:
    """tau^2 and its standard error for a (meta-regression) model with design X.

    Formulas follow metafor's ``rma.uni`` (see the module docstring for the traces).
    """
    k, p = X.shape
    allvipos = bool(np.all(v > 0))
    if method in _FIXED:
        return _Tau2(0.0, None)
    if k == 1:
        return _Tau2(0.0, None)
    ones = np.ones(k)
    if method in ("DL", "HS", "PM", "PMM") and not allvipos:
        raise ValueError(f"the {method} estimator needs all sampling variances vi > 0")
    ymc = y - y.mean()  # metafor centres yi for numerical stability

    if method == "DL":
        fit = _WLS(ymc, 1.0 / v, X)
        trP = fit.tr1(ones)
        t = max(0.0, (fit.RSS - (k - p)) / trP)
        se = math.sqrt((2 * (k - p) + 4 * t * trP + 2 * t * t * fit.tr2(ones, ones)) / trP**2)
        return _Tau2(t, se)
    if method == "HS":
        fit = _WLS(ymc, 1.0 / v, X)
        sw = float(np.sum(fit.w))
        t = max(0.0, (fit.RSS - k) / sw)
        trP = fit.tr1(ones)
        se = math.sqrt((2 * (k - p) + 4 * t * trP + 2 * t * t * fit.tr2(ones, ones)) / sw**2)
        return _Tau2(t, se)
    if method in ("HE", "ML", "REML"):
        fit0 = _WLS(ymc, ones, X)  # ordinary least squares
        trPV = fit0.tr1(v)
        he = (fit0.RSS - trPV) / (k - p)
        if method == "HE":
            t = max(0.0, he)
            se = math.sqrt((2 * fit0.tr2(v, v) + 4 * t * trPV + 2 * t * t * (k - p)) / (k - p) ** 2)
            return _Tau2(t, se)
        start = max(0.0, he) if con["tau2_init"] is None else float(con["tau2_init"])
        ml = method == "ML"
        if con["threshold"] is not None:
            t, iters = _metafor_fisher_general(ymc, v, X, method, start, con), 0
            # metafor: ll0 - ll > tol and tau2 > threshold
            ll_tol = float(con["uniroot_tol"] if con["uniroot_tol"] is not None else 2.0**-13)
            ll_floor = float(con["threshold"])
        else:
            t, iters = _solve_ml_general(ymc, v, X, ml, start, con)
            ll_tol, ll_floor = 0.0, 0.0
        if (
            t > ll_floor
            and con["ll0check"]
            and allvipos
            and _loglik(ymc, v, X, 0.0, not ml) - _loglik(ymc, v, X, t, not ml) > ll_tol
        ):
            _warn(
                "the log-likelihood is larger at tau^2 = 0 than at the Fisher scoring "
                "solution (a local maximum); setting tau^2 = 0 as metafor does",
                stacklevel=4,
            )
            t = 0.0
        # A study of vi = 0 at tau^2 = 0 has an infinite weight: the likelihood rises
        # towards a limit it never reaches (metafor's iteration stops at some tau^2 > 0
        # that depends on its threshold), so _WLS refuses the fit.
        with np.errstate(divide="ignore"):
            fit = _WLS(ymc, 1.0 / (v + t), X)
        if ml:
            se = math.sqrt(2.0 / float(np.sum(fit.w**2)))
        else:
            se = math.sqrt(2.0 / fit.tr2(ones, ones))
        return _Tau2(t, se, iters)
    if method == "SJ":
        t0 = float(np.sum(ymc**2)) / k
        fit = _WLS(ymc, 1.0 / (v + t0), X)
        t = max(0.0, t0 * fit.RSS / (k - p))
        se = math.sqrt(
            t0**2
            / (k - p) ** 2
            * (2 * fit.tr2(v, v) + 4 * t * fit.tr2(v, ones) + 2 * t * t * fit.tr2(ones, ones))
        )
        return _Tau2(t, se)
    if method in ("PM", "PMM", "EB"):
        target = float(k - p) if method != "PMM" else float(dist.chi2_ppf(0.5, k - p))
        if method == "EB" and con["threshold"] is None and not allvipos:
            t, iters = _solve_q_zero_vi(ymc, v, X, target, con)
            w = 1.0 / (v + t)
            se = math.sqrt(2.0 * k * k / (k - p) / float(np.sum(w)) ** 2)
            return _Tau2(t, se, iters)
        if method == "EB" and con["threshold"] is not None:
            he_fit = _WLS(ymc, ones, X)
            he = (he_fit.RSS - he_fit.tr1(v)) / (k - p)
            start = max(0.0, he) if con["tau2_init"] is None else float(con["tau2_init"])
            t, iters = _metafor_fisher_general(ymc, v, X, method, start, con), 0
            w = 1.0 / (v + t)
            se = math.sqrt(2.0 * k * k / (k - p) / float(np.sum(w)) ** 2)
            return _Tau2(t, se, iters)
        fit0 = _WLS(ymc, 1.0 / v, X)
        if fit0.RSS < target:
            t, iters = 0.0, 0
        elif method != "EB" and con["uniroot_tol"] is not None:
            t, iters = _metafor_pm_root(ymc, v, X, target, con), 0
        else:
            trP = fit0.tr1(ones)
            start = max(0.0, (fit0.RSS - (k - p)) / trP)
            t, iters = _solve_q_general(ymc, v, X, target, start, con)
        w = 1.0 / (v + t)
        se = math.sqrt(2.0 * k * k / (k - p) / float(np.sum(w)) ** 2)
        return _Tau2(t, se, iters)
    raise AssertionError(method)  # pragma: no cover


def estimate_tau2(
    yi: Any,
    vi: Any,
    method: str = "REML",
    X: Any = None,
    *,
    control: Mapping[str, Any] | None = None,
) -> tuple[float, float | None]:
    """Estimate the between-study variance tau^2 and its standard error.

    Parameters
    ----------
    yi, vi : array_like, shape (k,)
        Effect sizes and sampling variances.
    method : str
        One of :data:`METHODS`. ``FE``/``EE`` return ``(0.0, None)``.
    X : array_like, shape (k, p), optional
        Full model matrix (include the column of ones yourself). ``None`` is the
        intercept-only model, solved by the O(k) path of :func:`fit_batch`.
    control : mapping, optional
        See :data:`DEFAULT_CONTROL`.

    Returns
    -------
    tau2, se_tau2 : float, float or None
        Estimates with metafor's conventions, e.g. DL =
        max(0, (Q - (k - p)) / tr(P)) with P built from w_i = 1/v_i (DerSimonian & Laird
        1986); REML maximises
        -1/2 [sum log(v_i + tau^2) + log|X'WX| + y'P y] (Viechtbauer 2005).
    """
    y, v = _check_yi_vi(yi, vi, _ARRAY_ROUTE)
    m = str(method).upper()
    if m not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {list(METHODS)}")
    con = _control(control)
    if X is None:
        core = _batch_tau2(_Rows(y, v, None), m, con)
        se = float(core["se_tau2"][0])
        return float(core["tau2"][0]), (None if m in _FIXED or not math.isfinite(se) else se)
    Xa = np.array(X, dtype=float)
    if Xa.ndim == 1:
        Xa = Xa.reshape(-1, 1)
    if Xa.shape[0] != y.size:
        raise ValueError(f"X has {Xa.shape[0]} rows, expected k = {y.size}")
    _check_params(y.size, Xa.shape[1], m, True)
    res = _tau2_general(y, v, Xa, m, con)
    return res.tau2, res.se_tau2


def _check_tau2(tau2: Any, method: str, stacklevel: int = 4) -> float | None:
    """The fixed tau^2 given to :func:`rma` as a float, or None (estimate it).

    An FE/EE model has no tau^2 to fix: metafor ignores the value silently, here with a
    warning, since a reader of the call would take it as used.
    """
    if tau2 is None:
        return None
    try:
        t = float(tau2)
    except (TypeError, ValueError):
        raise ValueError(f"tau2 must be one number, got {tau2!r}") from None
    if not math.isfinite(t) or t < 0.0:
        raise ValueError(
            f"tau2 must be a finite value >= 0, got {t!r} (a fixed tau^2 is a variance)"
        )
    if method in _FIXED:
        _warn(f"tau2 = {t!r} ignored: an {method} model has no tau^2", stacklevel=stacklevel)
        return None
    return t


def _check_params(
    k: int, p: int, method: str, int_only_k1_ok: bool, tau2_fixed: bool = False
) -> None:
    if int_only_k1_ok and p == 1 and k == 1:
        return
    # a fixed tau^2 is no parameter to estimate: as many coefficients as studies will
    # do, as for FE/EE (metafor's check on p + 1 > k is skipped for a numeric tau2)
    if method in _FIXED or tau2_fixed:
        if p > k:
            raise ValueError(f"{p} coefficients cannot be estimated from k = {k} studies")
    elif p + 1 > k:
        raise ValueError(
            f"the {method} random-effects model estimates {p} coefficient(s) and tau^2 "
            f"but there are only k = {k} studies; use method='FE' or more studies"
        )


# =========================================================================== one regressor


def _reg1_sums(G: np.ndarray, N: np.ndarray, v: np.ndarray, t: float) -> list:
    """Rows a = 1, 2, 3 of sum w^a [1, x, x^2, y, x y, y^2], w = 1/(v + t) (in G)."""
    w = G[0]
    np.add(v, t, out=w)
    np.divide(1.0, w, out=w)
    np.multiply(w, w, out=G[1])
    np.multiply(G[1], w, out=G[2])
    return (G[:3] @ N.T).tolist()


def _reg1_stats(S: list, ml: bool) -> tuple[float, float, float, float, float, float]:
    """(score, hess, info, noise scale, RSS, slope) of the (RE)ML log-likelihood for the
    model y = b0 + b1 x with weights w = 1/(v + tau^2), from the power sums of
    :func:`_reg1_sums` (Viechtbauer 2005, with A_a = X'W^aX, b_a = X'W^a y):

        beta = A_1^-1 b_1,  RSS = y'W y - b_1'beta,
        y'PPy = c_2 - 2 beta'b_2 + beta'A_2 beta,
        u'Pu = (c_3 - 2 beta'b_3 + beta'A_3 beta) - d'A_1^-1 d,  d = b_2 - A_2 beta,
        tr(P) = sum w - tr(A_1^-1 A_2),
        tr(PP) = sum w^2 - 2 tr(A_1^-1 A_3) + tr((A_1^-1 A_2)^2).

    2 x 2 algebra in floats: one matrix product per evaluation instead of a QR
    decomposition, which is what makes trim-and-fill's choice of side cheap.
    """
    (s0, s1, s2, sy, sxy, syy) = S[0]
    det = s0 * s2 - s1 * s1
    i00, i01, i11 = s2 / det, -s1 / det, s0 / det  # A_1^-1
    b0 = i00 * sy + i01 * sxy
    b1 = i01 * sy + i11 * sxy
    rss = syy - (b0 * sy + b1 * sxy)
    (q0, q1, q2, qy, qxy, qyy) = S[1]
    yPPy = qyy - 2 * (b0 * qy + b1 * qxy) + (b0 * b0 * q0 + 2 * b0 * b1 * q1 + b1 * b1 * q2)
    # B = A_1^-1 A_2
    B00, B01 = i00 * q0 + i01 * q1, i00 * q1 + i01 * q2
    B10, B11 = i01 * q0 + i11 * q1, i01 * q1 + i11 * q2
    (r0, r1, r2, ry, rxy, ryy) = S[2]
    d0 = qy - (q0 * b0 + q1 * b1)
    d1 = qxy - (q1 * b0 + q2 * b1)
    w3rr = ryy - 2 * (b0 * ry + b1 * rxy) + (b0 * b0 * r0 + 2 * b0 * b1 * r1 + b1 * b1 * r2)
    uPu = w3rr - (d0 * (i00 * d0 + i01 * d1) + d1 * (i01 * d0 + i11 * d1))
    if ml:
        trP, info = s0, q0 / 2.0
    else:
        trP = s0 - (B00 + B11)
        trA3 = (i00 * r0 + i01 * r1) + (i01 * r1 + i11 * r2)
        trBB = B00 * B00 + 2 * B01 * B10 + B11 * B11
        info = (q0 - 2 * trA3 + trBB) / 2.0
    score = (yPPy - trP) / 2.0
    return score, info - uPu, info, (yPPy + abs(trP)) / 2.0, rss, b1


def _reg1_fit(
    yi: np.ndarray, vi: np.ndarray, xi: np.ndarray, method: str, con: dict[str, Any]
) -> tuple[float, float]:
    """(tau^2, slope) of ``rma(yi, vi, mods=xi, method=method)`` on validated arrays.

    ML and REML (exact solver) run :func:`_maximise_ll` from the same start, with the
    same ll0check, on the sums of :func:`_reg1_stats`; y and x are centred first (which leaves
    tau^2 and the slope unchanged) so the normal equations stay well conditioned. Other
    estimators and metafor's stopping rules go through :func:`_tau2_general`.

    Raises ``ValueError`` where :func:`rma` would: a random-effects model needs more
    studies than its two coefficients (with k = 2 the residual df k - p are 0).
    """
    k = yi.size
    _check_params(k, 2, method, False)
    X = None
    # one vi 1e7 or more times below the others' (metafor's warning): the sums below
    # cancel (tau^2 0 for 0.0099 at 1e10, a division by zero at 1e18); the general
    # path keeps such a study's terms apart
    if (
        method not in ("ML", "REML")
        or con["threshold"] is not None
        or k < 3
        or 0.0 < float(np.min(vi)) * 1e7 <= float(np.max(vi))
    ):
        X = np.column_stack([np.ones(k), xi])
        tau2 = _tau2_general(yi, vi, X, method, con).tau2
        w = 1.0 / (vi + tau2)
        return tau2, float(_WLS(yi, w, X).beta[1])
    ml = method == "ML"
    work = _scratch(9, k)
    N, G = work[:6], work[6:]
    N[0] = 1.0
    np.subtract(xi, float(np.add.reduce(xi)) / k, out=N[1])
    np.multiply(N[1], N[1], out=N[2])
    np.subtract(yi, float(np.add.reduce(yi)) / k, out=N[3])
    np.multiply(N[1], N[3], out=N[4])
    np.multiply(N[3], N[3], out=N[5])
    # Hedges' start from ordinary least squares: he = (RSS - tr(P V)) / (k - 2)
    ols = (N[:6] @ N[:3].T).tolist()  # sum [1, x, x^2] * [1, x, x^2, y, xy, y^2] columns
    vs = (N[:3] @ vi).tolist()
    s0, s1, s2 = ols[0][0], ols[0][1], ols[1][1]
    sy, sxy, syy = ols[3][0], ols[3][1], float(N[3] @ N[3])
    det = s0 * s2 - s1 * s1
    i00, i01, i11 = s2 / det, -s1 / det, s0 / det
    rss0 = syy - ((i00 * sy + i01 * sxy) * sy + (i01 * sy + i11 * sxy) * sxy)
    trPV = vs[0] - (i00 * vs[0] + 2 * i01 * vs[1] + i11 * vs[2])
    he = (rss0 - trPV) / (k - 2)
    t = max(0.0, he) if con["tau2_init"] is None else max(0.0, float(con["tau2_init"]))

    def stats(tt: float) -> tuple[float, float, float, float]:
        return _reg1_stats(_reg1_sums(G, N, vi, tt), ml)[:4]

    def score0() -> float | None:
        return stats(0.0)[0] if bool(np.minimum.reduce(vi) > 0.0) else None

    floor = 8 * _EPS * max(float(np.max(vi)), 1.0)
    t = _maximise_ll(stats, t, ml, con, floor, score0)[0]
    if t > 0.0 and con["ll0check"] and bool(np.minimum.reduce(vi) > 0.0):
        # the log-likelihood terms that depend on tau^2 (see _loglik)
        def ll(tt: float) -> float:
            S = _reg1_sums(G, N, vi, tt)
            rss = _reg1_stats(S, ml)[4]
            out = -0.5 * float(np.add.reduce(np.log(vi + tt))) - 0.5 * rss
            if not ml:  # log|X'WX| (centring x leaves the determinant unchanged)
                out -= 0.5 * math.log(S[0][0] * S[0][2] - S[0][1] * S[0][1])
            return out

        if ll(0.0) - ll(t) > 0.0:
            _warn(
                "the log-likelihood is larger at tau^2 = 0 than at the Fisher scoring "
                "solution (a local maximum); setting tau^2 = 0 as metafor does",
                stacklevel=4,
            )
            t = 0.0
    slope = _reg1_stats(_reg1_sums(G, N, vi, t), ml)[5]
    return t, slope


# =========================================================================== batched intercept-only solver


#: Size (fits x studies) up to which :meth:`_Rows.power_sums` takes one stacked matrix
#: product rather than one matrix-vector product per power and column.
_SMALL_BATCH = 1 << 14


class _Rows:
    """Weighted power sums for intercept-only fits, vectorised over fits (rows).

    ``y`` and ``v`` are shared 1-D arrays of length k (then every fit uses a subset of the
    same studies, chosen by ``mask``) or 2-D arrays (n, k) with one data set per row.
    ``mask`` (n, k) selects the studies of each fit; ``None`` means all studies.

    For weights w = mask / (v + tau^2) the sums S[a, j] = sum_i w_i^a yc_i^j
    (a = 1, 2, 3; j = 0, 1, 2) are obtained as one matrix product per power when the data
    are shared (``W^a @ [1, yc, yc^2]``), so an iteration over n fits of k studies costs
    four element-wise passes over an (n, k) array plus three BLAS calls.
    yc = y - c with c the unweighted mean of each fit's studies when data are per row, and
    of all k studies when they are shared (the centring only serves numerical accuracy,
    like metafor's ``Ymc``).
    """

    def __init__(self, y: np.ndarray, v: np.ndarray, mask: np.ndarray | None) -> None:
        self.shared = y.ndim == 1
        if mask is not None:
            mask = np.asarray(mask, dtype=bool)
            if mask.ndim != 2:
                raise ValueError(f"mask must be 2-D (fits x studies), got shape {mask.shape}")
        if self.shared:
            k = y.size
            n = 1 if mask is None else mask.shape[0]
        else:
            n, k = y.shape
            if mask is not None and mask.shape[0] != n:
                raise ValueError(f"mask has {mask.shape[0]} rows but the data have {n}")
        if mask is not None and mask.shape[1] != k:
            raise ValueError(f"mask has {mask.shape[1]} columns, expected k = {k}")
        self.n, self.k = n, k
        self.mask = mask
        self.mf = None if mask is None else mask.astype(float)
        self.kk = np.full(n, float(k)) if mask is None else mask.sum(axis=1).astype(float)
        self.v = v
        self.zero_v = bool(v.min() == 0.0) if v.size else False  # v >= 0 is validated
        if self.shared:
            self.center = float(np.mean(y))
            yc = y - self.center
            # rows [1, yc, yc^2]: each power sum is then one matrix-vector product
            # (BLAS gemv), which is much faster than a skinny (n, k) @ (k, 3) product
            self.M = np.empty((3, k))
            self.M[0] = 1.0
            self.M[1] = yc
            np.multiply(yc, yc, out=self.M[2])
            self.yc = yc
        else:
            if mask is None:
                c = y.mean(axis=1)
            else:
                with np.errstate(invalid="ignore", divide="ignore"):
                    c = np.where(self.kk > 0, (y * self.mf).sum(axis=1) / self.kk, 0.0)
            self.center = c
            self.yc = y - c[:, None]
            self.yc2 = self.yc * self.yc

    # -- helpers --------------------------------------------------------------------
    def _sub(self, a: Any, rows: np.ndarray | None) -> Any:
        if rows is None or a is None:
            return a
        return a[rows]

    def row_sum(self, X: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
        """sum over studies of X (n_rows, k) times the mask."""
        mf = self._sub(self.mf, rows)
        if mf is None:
            return X.sum(axis=1)
        return np.einsum("ij,ij->i", X, mf)

    def weights(
        self, t: np.ndarray, rows: np.ndarray | None = None, out: np.ndarray | None = None
    ) -> np.ndarray:
        """w = mask / (v + t) as an (n_rows, k) array (t has one entry per row), written
        into ``out`` if given (an iterating solver reuses one buffer: fresh arrays of
        several MB cost page faults on every iteration)."""
        v = self.v if self.shared else self._sub(self.v, rows)
        D = np.add(v, t[:, None], out=out)
        mf = self._sub(self.mf, rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            if mf is None:
                np.divide(1.0, D, out=D)  # numpy's reciprocal ufunc is not vectorised
            else:
                np.divide(mf, D, out=D)
                # an excluded study with v + t = 0 gives 0/0; it has weight 0
                if self.zero_v:
                    D[mf == 0] = 0.0
        return D

    def power_sums(
        self,
        W: np.ndarray,
        rows: np.ndarray | None,
        powers: int = 3,
        work: np.ndarray | None = None,
    ) -> np.ndarray:
        """S[r, a-1, j] = sum_i w_ri^a yc_ri^j for a = 1..powers, j = 0..2 (``work``: a
        buffer shaped like W for the higher powers)."""
        m = W.shape[0]
        if self.shared and m * W.shape[1] <= _SMALL_BATCH:
            # small problems: per-call overhead dominates, so stack the powers of W and
            # take every sum in one matrix product (the gemv loop below makes 3 powers x
            # 3 calls, which only pays off once the arrays are large)
            P = np.empty((powers, m, W.shape[1]))
            P[0] = W
            if powers >= 2:
                np.multiply(W, W, out=P[1])
                if powers >= 3:
                    np.multiply(P[1], W, out=P[2])
            return (P @ self.M.T).transpose(1, 0, 2)
        S = np.empty((m, powers, 3))
        Wa = W
        for a in range(powers):
            if a == 1:
                Wa = np.multiply(W, W, out=work)
            elif a == 2:
                np.multiply(Wa, W, out=Wa)
            if self.shared:
                if m == 1:
                    S[0, a, :] = self.M @ Wa[0]
                else:
                    for j in range(3):
                        S[:, a, j] = Wa @ self.M[j]
            else:
                yc = self._sub(self.yc, rows)
                yc2 = self._sub(self.yc2, rows)
                S[:, a, 0] = Wa.sum(axis=1)
                S[:, a, 1] = np.einsum("ij,ij->i", Wa, yc)
                S[:, a, 2] = np.einsum("ij,ij->i", Wa, yc2)
        return S

    def sum_log(self, t: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """sum_i mask_i log(v_i + t) per row."""
        v = self.v if self.shared else self._sub(self.v, rows)
        if self.shared and self.mf is None and np.all(t == t[0]):
            return np.full(t.shape, float(np.sum(np.log(v + t[0]))))
        with np.errstate(divide="ignore"):
            L = np.log(v + t[:, None]) if not self.shared else np.log(np.add(v, t[:, None]))
        mf = self._sub(self.mf, rows)
        if mf is None:
            return L.sum(axis=1)
        L[mf == 0] = 0.0
        return L.sum(axis=1)

    def vmoments(self, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(sum v, sum v^2) per row."""
        if self.shared:
            if self.mf is None:
                return np.full(self.n, self.v.sum()), np.full(self.n, (self.v**2).sum())
            mf = self._sub(self.mf, rows)
            return mf @ self.v, mf @ (self.v**2)
        v = self._sub(self.v, rows)
        return self.row_sum(v, rows), self.row_sum(v * v, rows)

    def ymoments(self) -> tuple[np.ndarray, np.ndarray]:
        """(sum yc, sum yc^2) per row (unweighted)."""
        if self.shared:
            if self.mf is None:
                return np.full(self.n, self.M[1].sum()), np.full(self.n, self.M[2].sum())
            return self.mf @ self.M[1], self.mf @ self.M[2]
        return self.row_sum(self.yc, None), self.row_sum(self.yc2, None)


def _stats_from_sums(S: np.ndarray) -> dict[str, np.ndarray]:
    """Quantities of the intercept-only model from power sums (see :class:`_Rows`).

    With mu = sum(w y)/sum(w) and r = y - mu:
    Q = sum w r^2, A2 = sum w^2 r^2 = y'PPy, u'Pu = sum w^3 r^2 - (sum w^2 r)^2 / sum w,
    tr(P) = S1 - S2/S1, tr(PP) = S2 - 2 S3/S1 + (S2/S1)^2.
    """
    S1, Sy, Syy = S[:, 0, 0], S[:, 0, 1], S[:, 0, 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = Sy / S1
        Q = np.maximum(Syy - mu * Sy, 0.0)
        out = {"S1": S1, "mu": mu, "Q": Q, "Syy": Syy}
        if S.shape[1] >= 2:
            S2, S2y, S2yy = S[:, 1, 0], S[:, 1, 1], S[:, 1, 2]
            out["S2"] = S2
            out["A2"] = np.maximum(S2yy - 2 * mu * S2y + mu * mu * S2, 0.0)
            out["trP"] = S1 - S2 / S1
        if S.shape[1] >= 3:
            S3, S3y, S3yy = S[:, 2, 0], S[:, 2, 1], S[:, 2, 2]
            B2 = S2y - mu * S2
            A3 = S3yy - 2 * mu * S3y + mu * mu * S3
            out["S3"] = S3
            out["uPu"] = A3 - B2 * B2 / S1
            out["trPP"] = S2 - 2 * S3 / S1 + (S2 / S1) ** 2
    return out


def _batch_reml(
    rows: _Rows,
    start: np.ndarray,
    active: np.ndarray,
    ml: bool,
    con: dict[str, Any],
    c: np.ndarray | None = None,
) -> np.ndarray:
    """Vectorised safeguarded maximisation of the (RE)ML log-likelihood over tau^2 >= 0.

    Newton's method is applied to g(t) = score(t) (t + c)^2 rather than to the score
    itself: with equal sampling variances v_i = c the REML score is proportional to
    (SS - (k - 1)(c + t)) / (c + t)^2, so g is linear and Newton's method lands on the root
    in one step; with unequal variances (c = harmonic mean of the v_i) g stays nearly
    linear and two or three steps suffice instead of six or more. g has the sign of the
    score, so the bracket [lo, hi] on the sign of the score stays valid; where g is not
    decreasing the step falls back to Newton on the score and, where the log-likelihood
    is not concave, to Fisher scoring (metafor's algorithm).
    """
    tol = float(con["tol"])
    t = np.where(active, np.maximum(start, 0.0), 0.0)
    cc = np.zeros(rows.n) if c is None else np.where(np.isfinite(c), c, 0.0)
    lo = np.full(rows.n, -np.inf)  # largest tau^2 seen with a positive score
    hi = np.full(rows.n, np.inf)  # smallest tau^2 seen with a negative score
    todo = active.copy()
    qtol = 0.1 * math.sqrt(tol)
    # large batches: two (fits x studies) buffers for all iterations
    big = rows.n * rows.k > _SMALL_BATCH
    wbuf = np.empty((rows.n, rows.k)) if big else None
    abuf = np.empty((rows.n, rows.k)) if big else None
    # one errstate for the whole loop (entering one costs as much as a small array op)
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(int(con["maxiter"])):
            idx = np.flatnonzero(todo)
            if idx.size == 0:
                break
            sel = None if idx.size == rows.n else idx
            tt = t[idx]
            # while every fit is still iterating, work on the arrays themselves
            lo_i, hi_i, cc_i = (lo, hi, cc) if sel is None else (lo[idx], hi[idx], cc[idx])
            m = idx.size
            W = rows.weights(tt, sel, None if wbuf is None else wbuf[:m])
            S = rows.power_sums(W, sel, 3, None if abuf is None else abuf[:m])
            # the quantities of _stats_from_sums that the step needs, without its dict
            S1, Sy = S[:, 0, 0], S[:, 0, 1]
            S2, S2y = S[:, 1, 0], S[:, 1, 1]
            S3 = S[:, 2, 0]
            mu = Sy / S1
            A2 = np.maximum(S[:, 1, 2] - 2 * mu * S2y + mu * mu * S2, 0.0)
            B2 = S2y - mu * S2
            uPu = (S[:, 2, 2] - 2 * mu * S[:, 2, 1] + mu * mu * S3) - B2 * B2 / S1
            if ml:
                base = S1
                info = S2 / 2.0
            else:
                base = S1 - S2 / S1  # tr(P)
                info = (S2 - 2 * S3 / S1 + (S2 / S1) ** 2) / 2.0  # tr(PP) / 2
            score = (A2 - base) / 2.0
            hess = info - uPu
            # stationary point (up to rounding noise in the score), or the maximum at 0
            noise = np.abs(score) <= 8 * _EPS * (A2 + base)
            done = (score == 0.0) | ((tt == 0.0) & (score < 0.0)) | (noise & (tt > 0.0))
            l = np.where(score > 0.0, np.maximum(lo_i, tt), lo_i)
            h = np.where(score < 0.0, np.minimum(hi_i, tt), hi_i)
            if sel is None:
                lo, hi = l, h
            else:
                lo[idx], hi[idx] = l, h
            gslope = hess + 2.0 * score / (tt + cc_i)
            quad = gslope < 0.0
            concave = hess < 0.0
            # Newton on g, else Newton on the score, else Fisher scoring
            step = score / np.where(quad, -gslope, np.where(concave, -hess, info))
            new = np.maximum(tt + step, 0.0)
            outside = ~((l < new) & (new < h))
            mid = np.where(np.isfinite(h), 0.5 * (np.maximum(l, 0.0) + h), 2.0 * np.maximum(l, tt))
            new = np.where(outside, mid, new)
            # Newton converges quadratically: once a Newton step is below sqrt(tol)
            # relative, the error after taking it is ~ step^2, below tol; no further
            # evaluation needed
            newton = (quad | concave) & ~outside & (new > 0.0)
            # size <= tol * scale, or <= qtol * scale (qtol > tol) after a Newton step
            conv = np.abs(new - tt) <= np.where(newton, qtol, tol) * np.maximum(new, tt)
            t[idx] = np.where(done, np.where((score == 0.0) | (tt > 0.0), tt, 0.0), new)
            todo[idx[done | conv]] = False
    if np.any(todo):
        raise RuntimeError(
            f"{'ML' if ml else 'REML'} estimation of tau^2 did not converge in "
            f"{con['maxiter']} iterations for {int(todo.sum())} fit(s)"
        )
    return t


def _batch_q_root(
    rows: _Rows, start: np.ndarray, active: np.ndarray, target: np.ndarray, con: dict[str, Any]
) -> np.ndarray:
    """Vectorised Newton solution of Q(tau^2) = target (Q convex, decreasing; Q(0) >= target)."""
    tol = float(con["tol"])
    t = np.where(active, np.maximum(start, 0.0), 0.0)
    todo = active.copy()
    for _ in range(int(con["maxiter"])):
        idx = np.flatnonzero(todo)
        if idx.size == 0:
            break
        sel = None if idx.size == rows.n else idx
        tt = t[idx]
        st = _stats_from_sums(rows.power_sums(rows.weights(tt, sel), sel, 2))
        f = st["Q"] - target[idx]
        slope = -st["A2"]
        noise = np.abs(f) <= 8 * _EPS * np.maximum(st["Q"], target[idx])
        with np.errstate(divide="ignore", invalid="ignore"):
            new = np.maximum(tt - f / slope, 0.0)
        size = np.abs(new - tt)
        scale = np.maximum(new, tt)
        # quadratic convergence: a step below sqrt(tol) leaves an error below tol
        stop = (
            (f == 0.0)
            | (slope == 0.0)
            | noise
            | (size <= tol * scale)
            | ((f > 0.0) & (new > 0.0) & (size <= 0.1 * math.sqrt(tol) * scale))
        )
        t[idx] = np.where((f == 0.0) | (slope == 0.0) | noise, tt, new)
        todo[idx[stop]] = False
    if np.any(todo):
        raise RuntimeError(
            f"Q-statistic root search did not converge in {con['maxiter']} iterations"
        )
    return t


def _batch_fisher_metafor(
    rows: _Rows, start: np.ndarray, active: np.ndarray, method: str, con: dict[str, Any]
) -> np.ndarray:
    """metafor's Fisher scoring (ML/REML/EB) with its ``threshold`` stopping rule, vectorised."""
    threshold = float(con["threshold"])
    t = np.where(active, start, 0.0)
    todo = active.copy()
    it = 0
    while np.any(todo):
        it += 1
        if it > int(con["maxiter"]):
            raise RuntimeError("Fisher scoring algorithm did not converge")
        idx = np.flatnonzero(todo)
        sel = None if idx.size == rows.n else idx
        tt = t[idx]
        st = _stats_from_sums(rows.power_sums(rows.weights(tt, sel), sel, 3))
        kk = rows.kk[idx]
        with np.errstate(divide="ignore", invalid="ignore"):
            if method == "ML":
                adj = (st["A2"] - st["S1"]) / st["S2"]
            elif method == "REML":
                adj = (st["A2"] - st["trP"]) / st["trPP"]
            else:  # EB
                adj = (st["Q"] * kk / (kk - 1.0) - kk) / st["S1"]
        adj = np.where(np.isnan(adj), 0.0, adj)
        neg = tt + adj < 0.0
        while np.any(neg):  # step halving keeps tau^2 >= 0 (ends at -0.0 when tt == 0)
            adj = np.where(neg, adj / 2.0, adj)
            neg = tt + adj < 0.0
        new = tt + adj
        t[idx] = new
        todo[idx[~(np.abs(tt - new) > threshold)]] = False
    return t


def _batch_se_tau2_fixed(
    rows: _Rows, fe: dict[str, np.ndarray], st: dict[str, np.ndarray], method: str, t: float
) -> np.ndarray:
    """se(tau^2) at a given tau^2 ``t`` for every row: :func:`_se_tau2_fixed`'s formulas
    for an intercept-only model (p = 1), from the power sums at w = 1/v (``fe``) and at
    w = 1/(v + t) (``st``, three powers). NaN for fits of fewer than two studies, where
    metafor reports none.

    * REML: sqrt(2 / tr(PP)), ML: sqrt(2 / sum w^2), PM, PMM, EB:
      sqrt(2 k^2 / (k - 1)) / sum w, with w = 1/(v + t);
    * DL: sqrt(2 (k - 1) + 4 t tr(P) + 2 t^2 tr(PP)) / tr(P) and HS the same over
      sum w, with w = 1/v;
    * HE: sqrt(2 tr(PVPV) + 4 t tr(PV) + 2 t^2 (k - 1)) / (k - 1), P = I - 11'/k;
    * SJ: t0/(k - 1) sqrt(2 tr(PVPV) + 4 t tr(PVP) + 2 t^2 tr(PP)), P at the starting
      value t0 = sum (y - ybar)^2 / k.

    References
    ----------
    Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators in the
    random-effects model. Journal of Educational and Behavioral Statistics 30(3):261-293.
    """
    kk = rows.kk
    k1 = kk - 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        if method in ("DL", "HS"):
            var = 2 * k1 + 4 * t * fe["trP"] + 2 * t * t * fe["trPP"]
            se = np.sqrt(var) / (fe["trP"] if method == "DL" else fe["S1"])
        elif method == "HE":
            sv, svv = rows.vmoments()
            trPV = sv * k1 / kk
            trPVPV = svv * (1 - 2 / kk) + (sv / kk) ** 2
            se = np.sqrt(2 * trPVPV + 4 * t * trPV + 2 * t * t * k1) / k1
        elif method == "SJ":
            sy, syy = rows.ymoments()
            t0 = (syy - sy * sy / kk) / kk
            W = rows.weights(np.where(kk >= 2, t0, 0.0))
            s0 = _stats_from_sums(rows.power_sums(W, None, 3))
            Wv = W * rows.v
            WWv = Wv * W
            s_w2v, s_w3v = WWv.sum(axis=1), (WWv * W).sum(axis=1)
            s_w2v2, s_w3v2 = (Wv * Wv).sum(axis=1), (WWv * Wv).sum(axis=1)
            S1, S2 = s0["S1"], s0["S2"]
            tr_vv = s_w2v2 - 2 * s_w3v2 / S1 + (s_w2v / S1) ** 2
            tr_v1 = s_w2v - 2 * s_w3v / S1 + (s_w2v / S1) * (S2 / S1)
            se = t0 / k1 * np.sqrt(2 * tr_vv + 4 * t * tr_v1 + 2 * t * t * s0["trPP"])
        elif method == "ML":
            se = np.sqrt(2.0 / st["S2"])
        elif method == "REML":
            se = np.sqrt(2.0 / st["trPP"])
        else:  # PM, PMM, EB
            se = np.sqrt(2.0 * kk * kk / k1) / st["S1"]
    return np.where(kk >= 2, se, np.nan)


def _batch_tau2(
    rows: _Rows,
    method: str,
    con: dict[str, Any],
    tau2_fix: float | None = None,
    se_fixed: bool = False,
) -> dict[str, Any]:
    """tau^2, its SE and the FE (w = 1/v) quantities for every row (intercept-only).

    ``tau2_fix``: every fit at that tau^2, k = 1 fits included (metafor's refits of a
    model with ``tau2.fix`` pass the value on); its SE, the estimator's formula at the
    value (:func:`_batch_se_tau2_fixed`), only with ``se_fixed`` (else NaN: the case
    diagnostics report none).
    """
    n = rows.n
    kk = rows.kk
    k1 = kk - 1.0
    W0 = rows.weights(np.zeros(n))
    # a study of vi = 0 has an infinite weight: its row's equal-effects sums are NaN
    # (inf * 0) and are not used (no Q, I^2 or H^2 without all vi > 0, as in metafor)
    with np.errstate(invalid="ignore"):
        fe = _stats_from_sums(rows.power_sums(W0, None, 3))
    allvipos = _rows_allvipos(rows)
    multi = kk >= 2  # k = 1 (and k = 0) fits keep tau^2 = 0, as in metafor
    # Fits whose weights one study dominates (tr(P) lost to cancellation, see
    # _single_stats_stable): their equal-effects Q, tr(P) and tr(PP) from explicit
    # residuals, and tau^2 one fit at a time below; the vectorised solvers leave them
    # out (their sums at small tau^2 are noise).
    with np.errstate(invalid="ignore"):
        ill = multi & allvipos & ~(fe["trP"] > _TRP_ILL * fe["S1"])
    for r in np.flatnonzero(ill):
        yr, vr = _row_data(rows, r)
        st0 = _single_stats_stable(yr - yr.mean(), vr, 0.0)
        fe["Q"][r], fe["trP"][r], fe["trPP"][r] = st0[2], st0[5], st0[7]
    _fix_cancelled_q(rows, fe, np.zeros(n), multi & allvipos & ~ill)
    # fits whose power sums at tau^2 = 0 are noise, whichever solver runs below
    ill0 = ill
    if not (method in _ILL_SCALAR and con["threshold"] is None and con["uniroot_tol"] is None):
        ill = np.zeros(n, dtype=bool)
    solve = multi & ~ill
    tau2 = np.zeros(n)
    se = np.full(n, np.nan)
    final: tuple[np.ndarray, dict[str, np.ndarray]] | None = None
    if method in _FIXED:
        return {"tau2": tau2, "se_tau2": se, "fe": fe, "allvipos": allvipos, "final": (W0, fe)}
    if method in ("DL", "HS", "PM", "PMM") and not np.all(allvipos | ~multi):
        raise ValueError(f"the {method} estimator needs all sampling variances vi > 0")
    if tau2_fix is not None:
        tau2 = np.full(n, float(tau2_fix))
        with np.errstate(divide="ignore", invalid="ignore"):
            W = rows.weights(tau2)
            final = (W, _stats_from_sums(rows.power_sums(W, None, 3 if se_fixed else 1)))
            if se_fixed:
                se = _batch_se_tau2_fixed(rows, fe, final[1], method, float(tau2_fix))
        return {"tau2": tau2, "se_tau2": se, "fe": fe, "allvipos": allvipos, "final": final}
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "DL":
            tau2 = np.maximum(0.0, (fe["Q"] - k1) / fe["trP"])
            se = np.sqrt(
                (2 * k1 + 4 * tau2 * fe["trP"] + 2 * tau2**2 * fe["trPP"]) / fe["trP"] ** 2
            )
        elif method == "HS":
            tau2 = np.maximum(0.0, (fe["Q"] - kk) / fe["S1"])
            se = np.sqrt((2 * k1 + 4 * tau2 * fe["trP"] + 2 * tau2**2 * fe["trPP"]) / fe["S1"] ** 2)
        elif method in ("HE", "ML", "REML", "SJ"):
            sy, syy = rows.ymoments()
            ss = syy - sy * sy / kk  # sum (y - ybar)^2
            if method == "SJ":
                t0 = ss / kk
                W = rows.weights(np.where(multi, t0, 0.0))
                st = _stats_from_sums(rows.power_sums(W, None, 3))
                tau2 = np.maximum(0.0, t0 * st["Q"] / k1)
                # traces with D = diag(v): tr(PVPV) = tr2(v, v), tr(PVP) = tr2(v, 1)
                # (W already carries the mask, so plain row sums are sums over each fit)
                Wv = W * rows.v
                WWv = Wv * W
                s_w2v = WWv.sum(axis=1)
                s_w3v = (WWv * W).sum(axis=1)
                s_w2v2 = (Wv * Wv).sum(axis=1)
                s_w3v2 = (WWv * Wv).sum(axis=1)
                S1, S2 = st["S1"], st["S2"]
                tr_vv = s_w2v2 - 2 * s_w3v2 / S1 + (s_w2v / S1) ** 2
                tr_v1 = s_w2v - 2 * s_w3v / S1 + (s_w2v / S1) * (S2 / S1)
                se = np.sqrt(
                    t0**2 / k1**2 * (2 * tr_vv + 4 * tau2 * tr_v1 + 2 * tau2**2 * st["trPP"])
                )
            else:
                sv, svv = rows.vmoments()
                he = (ss - sv * k1 / kk) / k1  # var(y) - mean(v)
                if method == "HE":
                    tau2 = np.maximum(0.0, he)
                    # P = I - 11'/k: tr(PV) = (1 - 1/k) sum v, tr(PVPV) = (1 - 2/k) sum v^2 + (sum v / k)^2
                    trPV = sv * k1 / kk
                    trPVPV = svv * (1 - 2 / kk) + (sv / kk) ** 2
                    se = np.sqrt((2 * trPVPV + 4 * tau2 * trPV + 2 * tau2**2 * k1) / k1**2)
                else:
                    ml = method == "ML"
                    if con["tau2_init"] is None:
                        start = np.maximum(he, 0.0)
                    else:
                        start = np.full(n, float(con["tau2_init"]))
                    if con["threshold"] is not None:
                        tau2 = _batch_fisher_metafor(
                            rows, np.where(multi, start, 0.0), multi, method, con
                        )
                        ll_tol = float(
                            con["uniroot_tol"] if con["uniroot_tol"] is not None else 2.0**-13
                        )
                        ll_floor = float(con["threshold"])
                    else:
                        tau2 = _batch_reml(
                            rows, np.where(solve, start, 0.0), solve, ml, con, c=kk / fe["S1"]
                        )
                        ll_tol, ll_floor = 0.0, 0.0
                    # one evaluation at the solution serves the ll0check bound, the
                    # SE of tau^2 and (via the returned sums) the final model fit
                    W_fin = rows.weights(tau2)
                    st_fin = _stats_from_sums(rows.power_sums(W_fin, None, 3))
                    chk = solve & allvipos & (tau2 > ll_floor)
                    if con["ll0check"] and np.any(chk):
                        idx = np.flatnonzero(chk)
                        # Cheap sufficient conditions first: lower bounds of
                        # ll(t) - ll(0) = (Q(0) - Q(t))/2 - sum log(1 + t w0_i)/2 [- REML
                        # term]. By concavity of log, sum log(1 + t w0_i) <=
                        # k log(1 + t sum(w0)/k) (free); where that is not enough,
                        # log(1 + x) <= x / sqrt(1 + x) (one pass); the exact
                        # log-likelihoods (a logarithm per study) only where both fail.
                        gain0 = 0.5 * (fe["Q"][idx] - st_fin["Q"][idx])
                        if not ml:
                            gain0 -= 0.5 * np.log(st_fin["S1"][idx] / fe["S1"][idx])
                        kki = kk[idx]
                        gain = gain0 - 0.5 * kki * np.log1p(tau2[idx] * fe["S1"][idx] / kki)
                        need = ~(gain > ll_tol)
                        if np.any(need):
                            i2 = idx[need]
                            w0 = 1.0 / (rows.v if rows.shared else rows.v[i2])
                            with np.errstate(invalid="ignore"):
                                R = (W_fin if i2.size == n else W_fin[i2]) * w0
                            if rows.zero_v:  # excluded studies with v = 0: 0 * inf
                                R[~np.isfinite(R)] = 0.0
                            np.sqrt(R, out=R)
                            gain[need] = gain0[need] - 0.5 * tau2[i2] * R.sum(axis=1)
                            del R
                        drop = np.zeros(idx.size, dtype=bool)
                        unsure = ~(gain > ll_tol)
                        if np.any(unsure):
                            j = idx[unsure]
                            sj = None if j.size == n else j
                            ll_t = _batch_ll(rows, tau2[j], sj, not ml)
                            ll_0 = _batch_ll(rows, np.zeros(j.size), sj, not ml)
                            for pos in np.flatnonzero(ill0[j]):
                                # one weight dominates: the power sums of _batch_ll cancel
                                # at 0 (a ratio of 1e17 made ll(0) look the larger and
                                # dropped a good solution); metafor's ll at 0 from the
                                # equal-effects Q of explicit residuals, as _single_tau2
                                ri = int(j[pos])
                                ll_0[pos] = _ll_at_0(_row_data(rows, ri)[1], float(fe["Q"][ri]), not ml)
                            drop[unsure] = ll_0 - ll_t > ll_tol
                        if np.any(drop):
                            _warn(
                                "the log-likelihood is larger at tau^2 = 0 than at the "
                                "Fisher scoring solution (a local maximum); setting "
                                "tau^2 = 0 as metafor does",
                                stacklevel=4,
                            )
                            tau2[idx[drop]] = 0.0
                            W_fin = rows.weights(tau2)
                            st_fin = _stats_from_sums(rows.power_sums(W_fin, None, 3))
                    final = (W_fin, st_fin)
                    se = np.sqrt(2.0 / (st_fin["S2"] if ml else st_fin["trPP"]))
        else:  # PM, PMM or EB: FE/EE returned above, the others are the branches before
            if method == "PMM":
                target = np.where(multi, dist.chi2_ppf(0.5, np.maximum(k1, 1.0)), 0.0)
            else:
                target = k1.copy()
            need = solve & (fe["Q"] >= target)
            start = np.maximum(0.0, (fe["Q"] - k1) / fe["trP"])
            if method == "EB" and con["threshold"] is not None:
                sy, syy = rows.ymoments()
                sv, _ = rows.vmoments()
                he = ((syy - sy * sy / kk) - sv * k1 / kk) / k1
                init = (
                    np.maximum(he, 0.0)
                    if con["tau2_init"] is None
                    else np.full(n, float(con["tau2_init"]))
                )
                tau2 = _batch_fisher_metafor(rows, np.where(multi, init, 0.0), multi, method, con)
            elif method != "EB" and con["uniroot_tol"] is not None:
                # reproducing R's uniroot is a scalar algorithm: one fit at a time
                tau2 = np.zeros(n)
                for r in np.flatnonzero(need):
                    sel = rows.mask[r] if rows.mask is not None else slice(None)
                    yr = (rows.yc if rows.shared else rows.yc[r])[sel]
                    vr = (rows.v if rows.shared else rows.v[r])[sel]
                    tau2[r] = _metafor_pm_root(
                        yr - yr.mean(), vr, np.ones((yr.size, 1)), float(np.asarray(target)[r]), con
                    )
            else:
                zero = multi & ~allvipos  # EB only: the others refused such fits above
                if np.any(zero):
                    # start left of the root as _solve_q_zero_vi does; a fit with no
                    # such start keeps tau^2 = 0 (infinite weights: _batch_finish)
                    sv, _ = rows.vmoments()
                    sy, syy = rows.ymoments()
                    # every vi = 0: Q(tau^2) = RSS/tau^2, scaled by the variance of y
                    var_y = (syy - sy * sy / kk) / np.maximum(k1, 1.0)
                    t0 = 1e-6 * np.where(sv > 0.0, sv / kk, var_y)
                    found = np.zeros(n, dtype=bool)
                    for _ in range(_ZERO_VI_STARTS):
                        look = zero & ~found
                        if not np.any(look):
                            break
                        W = rows.weights(np.where(look, t0, 1.0))
                        q = _stats_from_sums(rows.power_sums(W, None, 1))["Q"]
                        found |= look & (q >= target)
                        t0 = np.where(look & ~found, t0 * 1e-3, t0)
                    start = np.where(zero, t0, start)
                    need = np.where(zero, found, need)
                tau2 = _batch_q_root(
                    rows, np.where(need, start, 0.0), need, np.asarray(target, float), con
                )
            st = _stats_from_sums(rows.power_sums(rows.weights(tau2), None, 1))
            se = np.sqrt(2.0 * kk**2 / k1 / st["S1"] ** 2)
    if np.any(ill):
        tau2 = np.array(tau2, dtype=float)
        se = np.array(se, dtype=float)
        for r in np.flatnonzero(ill):
            yr, vr = _row_data(rows, r)
            if method in ("PM", "EB"):
                fit = _single_q_root_ill(yr, vr, con)
            else:
                fit = _single_tau2(yr, vr, True, method, con)
            tau2[r] = fit.tau2
            se[r] = math.nan if fit.se_tau2 is None else fit.se_tau2
        final = None
    if not np.all(multi):
        tau2 = np.where(multi, tau2, 0.0)
        final = None
    se = np.where(multi, se, np.nan)
    if final is None:
        if np.all(tau2 == 0.0):
            final = (W0, fe)
        else:
            W = rows.weights(tau2)
            final = (W, _stats_from_sums(rows.power_sums(W, None, 1)))
    return {"tau2": tau2, "se_tau2": se, "fe": fe, "allvipos": allvipos, "final": final}


#: Above this ratio of sum w yc^2 to Q = sum w yc^2 - (sum w yc)^2 / sum w, the power-sum
#: Q has lost more than four of its digits (about 1e-12 relative left).
_Q_CANCEL = 1e4


def _fix_cancelled_q(
    rows: _Rows, st: dict[str, np.ndarray], t: np.ndarray, sel: np.ndarray
) -> None:
    """Recompute ``st["Q"]`` (weights 1/(v + t)) from explicit residuals in the fits of
    ``sel`` where the power sums cancelled.

    The sums are centred on one value for all the fits of shared data (the mean of all
    k studies), so a fit whose studies lie close together far from it, such as the first
    fits of :func:`~metareview.diagnostics.cumul`, subtracts two nearly equal numbers:
    yi = 0.65164556 and 0.65158543 gave Q = 2.95648055e-8 for 2.95648053e-8. Here each
    such fit is centred on its own mean and Q = sum w (y - mu)^2, as metafor's residuals
    are (studies with equal yi then give Q = 0 exactly, as in metafor).
    """
    with np.errstate(invalid="ignore"):
        cancelled = sel & (st["Q"] * _Q_CANCEL < st["Syy"])
    for r in np.flatnonzero(cancelled):
        yr, vr = _row_data(rows, r)
        z = yr - yr.mean()
        w = 1.0 / (vr + t[r])
        e = z - float(w @ z) / float(np.sum(w))
        st["Q"][r] = float((w * e) @ e)


def _row_data(rows: _Rows, r: int | np.integer) -> tuple[np.ndarray, np.ndarray]:
    """(y centred, v) of the studies in fit ``r``."""
    sel = rows.mask[r] if rows.mask is not None else slice(None)
    yr = (rows.yc if rows.shared else rows.yc[r])[sel]
    vr = (rows.v if rows.shared else rows.v[r])[sel]
    return yr, vr


def _rows_allvipos(rows: _Rows) -> np.ndarray:
    if not rows.zero_v:
        return np.ones(rows.n, dtype=bool)
    pos = rows.v > 0
    if rows.shared:
        if rows.mask is None:  # as mf is, there being no mask to convert
            return np.full(rows.n, bool(np.all(pos)))
        return ~np.any(rows.mask & ~pos[None, :], axis=1)
    if rows.mask is None:
        return np.all(pos, axis=1)
    return ~np.any(rows.mask & ~pos, axis=1)


def _ll_at_0(v: np.ndarray, Q: float, reml: bool) -> float:
    """(Restricted) log-likelihood at tau^2 = 0 of an intercept-only fit from its
    equal-effects ``Q`` (metafor's ``fit.stats``): -k/2 log(2 pi) - sum log(v)/2 - Q/2,
    REML: -(k - 1)/2 log(2 pi) + log(k)/2 - sum log(v)/2 - log(sum 1/v)/2 - Q/2."""
    k = v.size
    ll = -0.5 * float(np.sum(np.log(v))) - 0.5 * Q
    if reml:
        return ll - 0.5 * (k - 1) * _LOG_2PI + 0.5 * math.log(k) - 0.5 * math.log(float(np.sum(1.0 / v)))
    return ll - 0.5 * k * _LOG_2PI


def _batch_ll(rows: _Rows, t: np.ndarray, sel: np.ndarray | None, reml: bool) -> np.ndarray:
    """(Restricted) log-likelihood per row at tau^2 = t (metafor's ``fit.stats``)."""
    kk = rows.kk if sel is None else rows.kk[sel]
    st = _stats_from_sums(rows.power_sums(rows.weights(t, sel), sel, 1))
    slog = rows.sum_log(t, sel)
    if reml:
        return (
            -0.5 * (kk - 1) * _LOG_2PI
            + 0.5 * np.log(kk)
            - 0.5 * slog
            - 0.5 * np.log(st["S1"])
            - 0.5 * st["Q"]
        )
    return -0.5 * kk * _LOG_2PI - 0.5 * slog - 0.5 * st["Q"]


# =========================================================================== one intercept-only fit
#
# rma() without moderators is the common call (and the inner loop of trim-and-fill and the
# Q-profile search), so it gets a scalar path: the power sums of one fit are three BLAS
# products into Python floats, the solver's bookkeeping is plain float arithmetic, and no
# (1, k) arrays, dicts or np.errstate contexts are built per iteration. It runs the same
# algorithms as _batch_tau2 / _batch_reml (same start, steps, safeguards, stopping rules and
# ll0check) and is checked against them in tests/unit/test_pool_fast.py. Anything unusual
# (k = 1, a zero sampling variance, estimators other than FE/EE/DL/ML/REML, metafor's own
# stopping rules) falls back to the batched solver with n = 1.


_SCRATCH = threading.local()
#: Largest scratch array (elements) kept between calls: 6 rows of 250,000 studies, 12 MB.
_SCRATCH_MAX = 1_500_000
#: Below this size a fresh array is cheaper than the thread-local lookup.
_SCRATCH_MIN = 1 << 15


def _scratch(rows: int, k: int) -> np.ndarray:
    """A (rows, k) work array, reused by later calls in the same thread.

    Fresh arrays of a few hundred kB are handed out by the C library as new pages, and
    touching them costs page faults; for a single fit at k = 100,000 that took longer
    than the arithmetic (6-7 ms instead of about 1 ms). The contents are garbage; callers
    must not keep references beyond their own call (results never hold scratch memory).
    """
    n = rows * k
    if n < _SCRATCH_MIN or n > _SCRATCH_MAX:
        return np.empty((rows, k))  # small arrays come from the allocator's free lists
    buf = getattr(_SCRATCH, "buf", None)
    if buf is None or buf.size < n:
        buf = np.empty(max(n, 4096))
        _SCRATCH.buf = buf
    return buf[:n].reshape(rows, k)


class _Single:
    """Data of one intercept-only fit: y centred at its mean (as :class:`_Rows`), the rows
    M = [1, yc, yc^2] and a work array G whose rows receive w, w^2, w^3, so that all power
    sums sum w^a yc^j are one matrix product G M' (small k), or a sum and a
    matrix-vector product with [yc, yc^2] per power (large k, where reading a row of
    ones would cost a quarter of each product)."""

    __slots__ = ("G", "M", "center", "k", "small", "v", "y")

    def __init__(self, y: np.ndarray, v: np.ndarray) -> None:
        k = y.size
        self.y, self.v, self.k = y, v, k
        self.small = k <= 4096
        self.center = float(np.add.reduce(y)) / k
        work = _scratch(6, k)
        M = work[:3]
        if self.small:
            M[0] = 1.0
        np.subtract(y, self.center, out=M[1])
        np.multiply(M[1], M[1], out=M[2])
        self.M = M
        self.G = work[3:]

    def sums(self, t: float) -> list[list[float]]:
        """[[sum w^a, sum w^a yc, sum w^a yc^2] for a = 1, 2, 3] with w = 1/(v + t);
        afterwards ``G[0]`` holds w. No temporaries of length k."""
        G = self.G
        # 1/x as a division: numpy's reciprocal ufunc has no SIMD loop (2x slower)
        w = self.weights(t)
        np.multiply(w, w, out=G[1])
        np.multiply(G[1], w, out=G[2])
        if self.small:
            # one small matrix product (fewest calls: per-call overhead dominates)
            return (G @ self.M.T).tolist()
        # OpenBLAS runs a (3, k) x (k, 3) product with large k 2-3x slower than three
        # matrix-vector products
        return [self.first(G[a]) for a in range(3)]

    def first(self, w: np.ndarray, n: int = 3) -> list[float]:
        """[sum w, sum w yc, sum w yc^2][:n] for any weights w."""
        if self.small:
            return (self.M[:n] @ w).tolist()
        return [float(np.add.reduce(w)), *(self.M[1:n] @ w).tolist()]

    def weights(self, t: float) -> np.ndarray:
        """w = 1/(v + t) in ``G[0]``."""
        w = self.G[0]
        if t == 0.0:
            return np.divide(1.0, self.v, out=w)
        np.add(self.v, t, out=w)
        return np.divide(1.0, w, out=w)

    def final(self, t: float) -> tuple[float, float, float, float, float]:
        """(S1, mu, Q, S2, tr(PP)) at the solution: the SE of tau^2 needs only sum w^2
        and sum w^3, not the six other sums of the second and third powers (two passes
        over the data instead of two matrix-vector products). ``G[0]`` then holds w."""
        G = self.G
        w = self.weights(t)
        S1, Sy, Syy = self.first(w)
        np.multiply(w, w, out=G[1])
        S2 = float(np.add.reduce(G[1]))
        S3 = float(G[1] @ w)
        mu = Sy / S1
        return S1, mu, max(Syy - mu * Sy, 0.0), S2, S2 - 2 * S3 / S1 + (S2 / S1) ** 2


def _single_stats(S: list[list[float]]) -> tuple[float, ...]:
    """(S1, mu, Q, S2, A2, trP, uPu, trPP) from :meth:`_Single.sums` (see
    :func:`_stats_from_sums` for the formulas)."""
    S1, Sy, Syy = S[0]
    mu = Sy / S1
    Q = max(Syy - mu * Sy, 0.0)
    S2, S2y, S2yy = S[1]
    A2 = max(S2yy - 2 * mu * S2y + mu * mu * S2, 0.0)
    trP = S1 - S2 / S1
    S3, S3y, S3yy = S[2]
    B2 = S2y - mu * S2
    uPu = (S3yy - 2 * mu * S3y + mu * mu * S3) - B2 * B2 / S1
    trPP = S2 - 2 * S3 / S1 + (S2 / S1) ** 2
    return S1, mu, Q, S2, A2, trP, uPu, trPP


def _single_reml(
    d: _Single,
    start: float,
    ml: bool,
    c: float,
    con: dict[str, Any],
    at0: tuple[float, ...] | None = None,
) -> float:
    """:func:`_batch_reml` for one fit, in floats (same steps and stopping rule);
    ``at0``: :func:`_single_stats` at tau^2 = 0, if known (saves an evaluation)."""
    tol = float(con["tol"])
    qtol = 0.1 * math.sqrt(tol)
    t = max(start, 0.0)
    cc = c if math.isfinite(c) else 0.0
    lo, hi = -math.inf, math.inf
    for _ in range(int(con["maxiter"])):
        if t == 0.0 and at0 is not None:
            S1, _mu, _Q, S2, A2, trP, uPu, trPP = at0
        else:
            S1, _mu, _Q, S2, A2, trP, uPu, trPP = _single_stats(d.sums(t))
            if not trP > _TRP_ILL * S1:  # one weight dominates: the sums cancel
                S1, _mu, _Q, S2, A2, trP, uPu, trPP = _single_stats_stable(d.M[1], d.v, t)
        if ml:
            score, info, scale = (A2 - S1) / 2.0, S2 / 2.0, A2 + S1
        else:
            score, info, scale = (A2 - trP) / 2.0, trPP / 2.0, A2 + trP
        hess = info - uPu
        if score > 0.0:
            lo = max(lo, t)
        elif score < 0.0:
            hi = min(hi, t)
        # stationary point (up to rounding noise in the score), or the maximum at 0
        if score == 0.0 or (t > 0.0 and abs(score) <= 8 * _EPS * scale):
            return t
        if t == 0.0 and score < 0.0:
            return 0.0
        gslope = hess + 2.0 * score / (t + cc) if t + cc != 0.0 else math.nan
        quad = gslope < 0.0
        if quad:
            step = score / -gslope
        elif hess < 0.0:
            step = score / -hess
        else:
            step = score / info
        new = max(t + step, 0.0)
        outside = not (lo < new < hi)
        if outside:
            new = 0.5 * (max(lo, 0.0) + hi) if math.isfinite(hi) else 2.0 * max(lo, t)
        newton = (quad or hess < 0.0) and not outside and new > 0.0
        size = abs(new - t)
        scale_t = max(new, t)
        t = new
        # Newton converges quadratically: a step below sqrt(tol) leaves an error below tol
        if size <= tol * scale_t or (newton and size <= qtol * scale_t):
            return t
    raise RuntimeError(
        f"{'ML' if ml else 'REML'} estimation of tau^2 did not converge in "
        f"{con['maxiter']} iterations for 1 fit(s)"
    )


def _single_stats_stable(yc: np.ndarray, v: np.ndarray, t: float) -> tuple[float, ...]:
    """:func:`_single_stats` at tau^2 = t from explicit residuals, for weights
    w = 1/(v + t) of which one dominates the rest.

    With one vi ~1e-20 and t = 0, w_top/sum(w) is 1 - 1e-18: every power-sum formula
    subtracts two numbers equal to 16 digits, so Q, A2 = y'PPy, tr(P) and tr(PP) came
    out as rounding noise, the REML score (A2 - tr(P))/2 at 0 with them, and the
    solvers stopped at tau^2 = 0 where the likelihood rises steeply. Here every sum
    has terms of one sign:

    * x_i - xbar (xbar = sum w x / W) directly, but for the heaviest study
      x_top - xbar = sum_{j != top} w_j (x_top - x_j) / W;
    * Q = sum w e^2 and A2 = sum (w e)^2 with e = y - mu;
    * tr(P) = sum_i w_i r_i / W with r_i = W - w_i (the others' sum for the top study);
    * tr(PP) = sum_i (w_i r_i / W)^2 + sum_i w_i^2 (S2 - w_i^2) / W^2 (P_ii = w_i r_i / W,
      P_ij = -w_i w_j / W), S2 - w_top^2 again summed over the others;
    * u'Pu = sum w (a - abar)^2 with a = w e (= sum w^3 e^2 - (sum w^2 e)^2 / W).

    ``yc`` is y centred as :class:`_Single` centres it, and ``mu`` is returned on that
    scale.
    """
    w = 1.0 / (v + t)
    k = w.size
    top = int(np.argmax(w))
    others = np.arange(k) != top
    w_o = w[others]
    S1 = float(np.sum(w))

    def centred(x: np.ndarray) -> tuple[float, np.ndarray]:
        m = float(w @ x) / S1
        c = x - m
        c[top] = float(w_o @ (x[top] - x[others])) / S1
        return m, c

    mu, e = centred(yc)
    a = w * e
    Q = float(a @ e)
    A2 = float(a @ a)
    w2 = w * w
    S2 = float(np.sum(w2))
    r = S1 - w
    r[top] = float(np.sum(w_o))
    trP = float(w @ r) / S1
    q = S2 - w2
    q[top] = float(np.sum(w2[others]))
    d = w * r / S1
    trPP = float(d @ d) + float(w2 @ q) / (S1 * S1)
    _, ac = centred(a)
    uPu = float(w @ (ac * ac))
    return S1, mu, Q, S2, A2, trP, uPu, trPP


class _SingleFit:
    """Result of :func:`_single_tau2`: tau^2, its SE, the equal-effects Q and tr(P), and the
    final weights w = 1/(v + tau^2) (``None``: not kept, see :meth:`weights`) with their
    sum and the weighted mean."""

    __slots__ = ("QE", "mu", "se_tau2", "sum_w", "tau2", "trP_fe", "w")

    def __init__(
        self,
        tau2: float,
        se_tau2: float | None,
        QE: float,
        trP_fe: float,
        w: np.ndarray | None,
        sum_w: float,
        mu: float,
    ) -> None:
        self.tau2, self.se_tau2, self.QE, self.trP_fe = tau2, se_tau2, QE, trP_fe
        self.w, self.sum_w, self.mu = w, sum_w, mu

    def weights(self, v: np.ndarray) -> np.ndarray:
        """w = 1/(v + tau^2), recomputed when the solver worked in scratch memory."""
        if self.w is None:
            return np.divide(1.0, v + self.tau2)
        return self.w


#: Below this share of sum(w), tr(P) = sum(w) - sum(w^2)/sum(w) from the power sums has
#: lost more than about 12 of its 16 digits (one study's weight 1/vi dominates all the
#: others', vi ratios of 1e4 and more): :func:`_fe_stable` recomputes Q and tr(P).
_TRP_ILL = 1e-4

#: Estimators whose batched fits dominated by one weight :func:`_batch_tau2` hands to the
#: scalar solvers with explicit residuals (:func:`_single_stats_stable`).
_ILL_SCALAR = frozenset({"DL", "ML", "REML", "PM", "EB"})


def _fe_stable(y: np.ndarray, v: np.ndarray) -> tuple[float, float]:
    """Equal-effects Q and tr(P) (w = 1/v > 0) without cancellation.

    Q = sum w (y - mu)^2 from explicit residuals (all terms >= 0), and
    tr(P) = sum_i w_i (W - w_i)/W with W - w_i summed over the other studies for the
    heaviest study, the only one for which W - w_i cancels. The power sums of the fast
    paths lose all digits when one vi is ~1e-16 of the others' (tr(P) came out 0, and
    vt = (k - 1)/tr(P) divided by it).
    """
    w = 1.0 / v
    W = float(np.sum(w))
    mu = float(np.sum(w * y)) / W
    Q = float(np.sum(w * (y - mu) ** 2))
    rest = W - w
    top = int(np.argmax(w))
    rest[top] = float(np.sum(np.delete(w, top)))
    return Q, float(np.sum(w * rest)) / W


def _single_tau2(
    y: np.ndarray, v: np.ndarray, allvipos: bool, method: str, con: dict[str, Any]
) -> _SingleFit:
    """tau^2 and the final weights of one intercept-only fit on validated arrays
    (v >= 0, finite; ``allvipos``: all v > 0); the scalar path where it applies, else
    :func:`_batch_tau2`."""
    k = y.size
    fast = (
        allvipos
        and k >= 2
        and method in ("FE", "EE", "DL", "ML", "REML")
        and con["threshold"] is None
    )
    if not fast:
        return _single_via_batch(y, v, method, con)
    d = _Single(y, v)
    k1 = k - 1.0
    start = 0.0
    if method in ("ML", "REML"):  # metafor starts at max(0, HE)
        sy, syy = float(np.add.reduce(d.M[1])), float(np.add.reduce(d.M[2]))
        he = ((syy - sy * sy / k) - float(np.add.reduce(v)) * k1 / k) / k1
        start = max(he, 0.0) if con["tau2_init"] is None else float(con["tau2_init"])
    at0: tuple[float, ...] | None = None
    if method in ("ML", "REML") and start == 0.0:
        # the solver's first step is at 0: take all nine sums once for both
        at0 = _single_stats(d.sums(0.0))
        S1, mu0, Q, _S2, _A2, trP, _uPu, trPP = at0
    else:
        # the equal-effects fit needs only five sums (the DL SE needs sum w^3)
        S1, mu0, Q, S2, trPP = d.final(0.0)
        trP = S1 - S2 / S1
    ill = not trP > _TRP_ILL * S1
    if ill:
        # one weight dominates (see _single_stats_stable): Q, tr(P) and tr(PP) for the DL
        # estimate and its SE, and the REML/ML score at 0, from explicit residuals
        at_0 = _single_stats_stable(d.M[1], v, 0.0)
        S1, mu0, Q, _S2, _A2, trP, _uPu, trPP = at_0
        if at0 is not None:
            at0 = at_0
    if method in _FIXED:
        return _SingleFit(0.0, None, Q, trP, None, S1, mu0 + d.center)
    if method == "DL":
        tau2 = max(0.0, (Q - k1) / trP)
        se = math.sqrt((2 * k1 + 4 * tau2 * trP + 2 * tau2 * tau2 * trPP) / trP**2)
        if tau2 == 0.0:
            return _SingleFit(0.0, se, Q, trP, None, S1, mu0 + d.center)
        S1f, Syf = d.first(d.weights(tau2), 2)
        return _SingleFit(tau2, se, Q, trP, None, S1f, Syf / S1f + d.center)
    ml = method == "ML"
    tau2 = _single_reml(d, start, ml, k / S1, con, at0)
    fin = d.final(tau2)
    if con["ll0check"] and tau2 > 0.0:
        # cheap sufficient conditions first (see _batch_tau2): lower bounds of
        # ll(t) - ll(0) from Jensen's inequality (free), then from
        # log(1 + x) <= x / sqrt(1 + x) (one pass)
        gain0 = 0.5 * (Q - fin[2])
        if not ml:
            gain0 -= 0.5 * math.log(fin[0] / S1)
        gain = gain0 - 0.5 * k * math.log1p(tau2 * S1 / k)
        if not gain > 0.0:
            R = d.G[1]  # free once the sums are taken; G[0] holds w = 1/(v + tau2)
            np.divide(d.G[0], v, out=R)  # w / v = w w0
            np.sqrt(R, out=R)
            gain = gain0 - 0.5 * tau2 * float(np.add.reduce(R))
        if not gain > 0.0:
            rows = _Rows(y, v, None)
            ll_t = float(_batch_ll(rows, np.array([tau2]), None, not ml)[0])
            if ill:
                # the power sums of _batch_ll cancel at 0 here: metafor's fit.stats
                # with the equal-effects Q and sum(1/v) from explicit residuals
                ll_0 = -0.5 * float(np.sum(np.log(v))) - 0.5 * Q
                if ml:
                    ll_0 -= 0.5 * k * _LOG_2PI
                else:
                    ll_0 += -0.5 * k1 * _LOG_2PI + 0.5 * math.log(k) - 0.5 * math.log(S1)
            else:
                ll_0 = float(_batch_ll(rows, np.zeros(1), None, not ml)[0])
            if ll_0 - ll_t > 0.0:
                _warn(
                    "the log-likelihood is larger at tau^2 = 0 than at the Fisher scoring "
                    "solution (a local maximum); setting tau^2 = 0 as metafor does",
                    stacklevel=4,
                )
                tau2 = 0.0
                fin = d.final(tau2)
    trPP_fin = fin[4]
    if not ml and not fin[0] - fin[3] / fin[0] > _TRP_ILL * fin[0]:
        # one weight still dominates at the solution (tau^2 at or near 0): tr(PP) from
        # the power sums is a difference of equal numbers, noise that can be negative
        trPP_fin = _single_stats_stable(d.M[1], v, tau2)[7]
    se = math.sqrt(2.0 / (fin[3] if ml else trPP_fin))
    return _SingleFit(tau2, se, Q, trP, None, fin[0], fin[1] + d.center)


def _single_fixed(
    y: np.ndarray, v: np.ndarray, allvipos: bool, method: str, tau2: float
) -> _SingleFit:
    """The intercept-only fit at a given tau^2 (metafor's ``tau2.fix``): weights
    w = 1/(v + tau2), the weighted mean, and the equal-effects Q and tr(P) of the
    heterogeneity statistics, from explicit residuals (:func:`_fe_stable`)."""
    k = y.size
    se = _se_tau2_fixed(y, v, np.ones((k, 1)), method, tau2, allvipos)
    with np.errstate(divide="ignore"):
        w = 1.0 / (v + tau2)
    if not np.all(np.isfinite(w)):
        raise _InfiniteWeightError(
            "division by zero computing the inverse-variance weights: a study has vi = 0 "
            "and tau^2 = 0"
        )
    sum_w = float(np.sum(w))
    mu = float(w @ y) / sum_w
    QE, trP = _fe_stable(y, v) if allvipos and k > 1 else (math.nan, math.nan)
    return _SingleFit(tau2, se, QE, trP, w, sum_w, mu)


def _se_tau2_fixed(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str, tau2: float, allvipos: bool
) -> float | None:
    """se(tau^2) that metafor's ``rma.uni`` reports for a given tau^2 (``tau2.fix``).

    metafor runs the estimator's code with the estimate replaced by the given value, so
    the standard error is the method's own formula at that value (P = W - WX(X'WX)^-1X'W):

    * REML: sqrt(2 / tr(PP)), ML: sqrt(2 / sum w^2), PM, PMM, EB:
      sqrt(2 k^2 / ((k - p) (sum w)^2)), with w = 1/(v + tau2);
    * DL: sqrt(2 (k - p) + 4 tau2 tr(P) + 2 tau2^2 tr(PP)) / tr(P) and HS the same over
      sum w, with w = 1/v;
    * HE: sqrt(2 tr(PVPV) + 4 tau2 tr(PV) + 2 tau2^2 (k - p)) / (k - p), P = I - X(X'X)^-1X';
    * SJ: t0/(k - p) sqrt(2 tr(PVPV) + 4 tau2 tr(PVP) + 2 tau2^2 tr(PP)), P at the
      starting value t0 = sum (y - ybar)^2 / k.

    None for FE/EE, for k = 1 (metafor's "k1" method computes none) and for k = p, where
    no residual degree of freedom is left: P = 0, and metafor's value is one over its
    rounding noise (6e9 for three studies of dat.bcg). The estimators that need all vi > 0
    refuse other data with a fixed tau^2 too, as in metafor. The traces come from
    :class:`_WLS` (QR, no k x k matrix), as those of the estimates.

    References
    ----------
    Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators in the
    random-effects model. Journal of Educational and Behavioral Statistics 30(3):261-293.
    """
    k, p = X.shape
    if method in ("DL", "HS", "PM", "PMM") and not allvipos and k > 1:
        raise ValueError(f"the {method} estimator needs all sampling variances vi > 0")
    if method in _FIXED or k == 1 or k == p:
        return None
    if tau2 == 0.0 and not allvipos and method not in ("HE", "SJ"):
        # HE's and SJ's formulas take no weight 1/(vi + tau^2); the others do, and
        # metafor's iteration for them stops on the infinite one
        raise _InfiniteWeightError(
            "division by zero computing the inverse-variance weights: a study has vi = 0 "
            "and tau^2 = 0"
        )

    ones = np.ones(k)
    ymc = y - y.mean()  # y only shapes the fits' residuals, which no formula here reads
    df = float(k - p)
    if method in ("DL", "HS"):
        fit = _WLS(ymc, 1.0 / v, X)
        trP = fit.tr1(ones)
        var = 2.0 * df + 4.0 * tau2 * trP + 2.0 * tau2 * tau2 * fit.tr2(ones, ones)
        return math.sqrt(var) / (trP if method == "DL" else float(np.sum(fit.w)))
    if method == "HE":
        fit = _WLS(ymc, ones, X)
        var = 2.0 * fit.tr2(v, v) + 4.0 * tau2 * fit.tr1(v) + 2.0 * tau2 * tau2 * df
        return math.sqrt(var) / df
    if method == "SJ":
        t0 = float(ymc @ ymc) / k
        fit = _WLS(ymc, 1.0 / (v + t0), X)
        var = (
            2.0 * fit.tr2(v, v)
            + 4.0 * tau2 * fit.tr2(v, ones)
            + 2.0 * tau2 * tau2 * fit.tr2(ones, ones)
        )
        return t0 / df * math.sqrt(var)
    w = 1.0 / (v + tau2)
    if method == "ML":
        return math.sqrt(2.0 / float(w @ w))
    if method == "REML":
        return math.sqrt(2.0 / _WLS(ymc, w, X).tr2(ones, ones))
    # PM, PMM, EB
    return math.sqrt(2.0 * k * k / df) / float(np.sum(w))


def _single_q_root_ill(y: np.ndarray, v: np.ndarray, con: dict[str, Any]) -> _SingleFit:
    """The PM/EB estimate (Paule & Mandel 1982: the root of Q(tau^2) = k - 1) of one fit
    whose weights 1/vi are dominated by one study (:func:`_batch_tau2` finds such fits;
    :func:`_batch_q_root` solves the others).

    Q(t) = sum w (y - mu_w)^2 with w = 1/(v + t) is convex and decreasing with
    dQ/dt = -A2 = -sum w^2 (y - mu_w)^2; Newton steps t <- max(0, t + (Q - (k - 1))/A2)
    from the DL estimate, as :func:`_batch_q_root`, but with Q and A2 from
    :func:`_single_stats_stable`: the power sums cancel to noise near t = 0 when one
    vi is ~1e-16 of the others', and the search then stopped at 0 or never converged.
    """
    d = _Single(y, v)
    k = y.size
    k1 = k - 1.0
    S1, mu0, Q, _S2, _A2, trP, _uPu, _trPP = _single_stats_stable(d.M[1], v, 0.0)
    tau2 = 0.0
    if Q >= k1:
        tol = float(con["tol"])
        t = max(0.0, (Q - k1) / trP)
        for _ in range(int(con["maxiter"])):
            _, _, Qt, _, A2, _, _, _ = _single_stats_stable(d.M[1], v, t)
            f = Qt - k1
            if f == 0.0 or A2 == 0.0 or abs(f) <= 8 * _EPS * max(Qt, k1):
                break
            new = max(0.0, t + f / A2)
            size, scale = abs(new - t), max(new, t)
            t = new
            if size <= tol * scale or (f > 0.0 and new > 0.0 and size <= 0.1 * math.sqrt(tol) * scale):
                break
        else:
            raise RuntimeError(
                f"Q-statistic root search did not converge in {con['maxiter']} iterations"
            )
        tau2 = t
    if tau2 == 0.0:
        sum_w, mu = S1, mu0 + d.center
    else:
        sum_w, Sy = d.first(d.weights(tau2), 2)
        mu = Sy / sum_w + d.center
    # the SE of _batch_tau2 for PM and EB
    se = math.sqrt(2.0 * k * k / k1) / sum_w
    return _SingleFit(tau2, se, Q, trP, None, sum_w, mu)


def _single_via_batch(y: np.ndarray, v: np.ndarray, method: str, con: dict[str, Any]) -> _SingleFit:
    core = _batch_tau2(_Rows(y, v, None), method, con)
    tau2 = float(core["tau2"][0])
    se_val = float(core["se_tau2"][0])
    se = None if (method in _FIXED or not math.isfinite(se_val)) else se_val
    fe = core["fe"]
    w = core["final"][0][0]
    if not np.all(np.isfinite(w)):
        raise _InfiniteWeightError(
            "division by zero computing the inverse-variance weights: a study has vi = 0 "
            "and tau^2 = 0"
        )
    sum_w = float(np.sum(w))
    mu = float(np.sum(w * y)) / sum_w
    Q, trP = float(fe["Q"][0]), float(fe["trP"][0])
    if y.size > 1 and not trP > _TRP_ILL * float(fe["S1"][0]) and np.all(v > 0.0):
        Q, trP = _fe_stable(y, v)
    return _SingleFit(tau2, se, Q, trP, w, sum_w, mu)


@dataclass(frozen=True, eq=False)
class BatchFit:
    """Many intercept-only models fitted at once; every field is an array with one entry per fit.

    Produced by :func:`fit_batch`. Field names follow :class:`RMAResult`; ``k`` is the
    number of studies in each fit. ``zval`` holds the Wald statistic under every test
    (it is a t statistic under ``t``/``knha``/``adhoc``; ``df`` is then k - 1, else NaN).
    Fits with k = 1 use the z-test as metafor does; fits with k = 0 are NaN.
    """

    method: str
    test: str
    level: float
    k: np.ndarray
    estimate: np.ndarray
    se: np.ndarray
    zval: np.ndarray
    df: np.ndarray
    pval: np.ndarray
    ci_lb: np.ndarray
    ci_ub: np.ndarray
    pi_lb: np.ndarray
    pi_ub: np.ndarray
    tau2: np.ndarray
    se_tau2: np.ndarray
    I2: np.ndarray
    H2: np.ndarray
    QE: np.ndarray
    QEp: np.ndarray
    vt: np.ndarray
    s2w: np.ndarray
    sum_w: np.ndarray
    ll_ML: np.ndarray | None
    ll_REML: np.ndarray | None

    def __post_init__(self) -> None:
        for f in fields(self):
            val = getattr(self, f.name)
            if isinstance(val, np.ndarray):
                val.setflags(write=False)


def fit_batch(
    yi: Any,
    vi: Any,
    mask: Any = None,
    *,
    method: str = "REML",
    test: str = "z",
    level: float = 95.0,
    control: Mapping[str, Any] | None = None,
    loglik: bool = False,
    tau2: float | None = None,
    weights: Any = None,
) -> BatchFit:
    """Fit many intercept-only random-effects models in one vectorised computation.

    Each row of ``mask`` (n fits x k studies, boolean) selects the studies of one fit from
    the shared ``yi``/``vi`` (length k); alternatively ``yi``/``vi`` may be (n, k) arrays
    with one data set per row (``mask`` then optionally drops entries). The results equal
    ``rma(yi[mask[r]], vi[mask[r]], method=..., test=..., tau2=...)`` row by row, but no Python loop
    runs over fits or studies: each iteration of the tau^2 solver evaluates the power
    sums sum_i w_i^a y_i^j (a = 1..3, j = 0..2) of all active fits with element-wise
    operations on an (n, k) array and one matrix product per power, and fits that have
    converged drop out of the iteration. Memory is a few (n, k) float arrays.

    Used by :func:`metareview.diagnostics.leave1out` (mask = all but one study),
    :func:`metareview.diagnostics.cumul` (mask = lower triangle) and
    :func:`metareview.diagnostics.influence`.

    Parameters
    ----------
    yi, vi : array_like, shape (k,) or (n, k)
    mask : array_like of bool, shape (n, k), optional
    method, test, level, control
        As in :func:`rma`.
    loglik : bool
        Also compute ``ll_ML`` and ``ll_REML`` (one logarithm per element).
    tau2 : float, optional
        A given tau^2 (>= 0) for every fit, as ``rma(..., tau2=...)`` (metafor's
        ``tau2.fix``): nothing is estimated, the weights are 1/(vi + tau2), I^2 and H^2
        follow from the value, and ``se_tau2`` is the estimator's formula at it (NaN for
        a fit of one study). An FE/EE fit ignores it with a warning, as :func:`rma`.
    weights : None
        Refused: the batch is built on sums of the inverse-variance weights
        1/(vi + tau^2) over each fit's studies, and given weights would change every one
        of them (the estimate, its variance sum a^2 (v + tau^2) / (sum a)^2 and the
        tau^2 estimators alike). Fit such models one at a time with
        ``rma(yi[m], vi[m], weights=w[m])``, as :func:`metareview.diagnostics.leave1out`
        does for a weighted model.

    Returns
    -------
    BatchFit

    Raises
    ------
    ValueError
        ``weights`` given; a ``tau2`` that is not a finite number >= 0; data as for
        :func:`rma`.
    """
    if weights is not None:
        raise ValueError(
            "fit_batch takes no weights: its sums are of the weights 1/(vi + tau^2); fit "
            "each subset with rma(yi[m], vi[m], weights=w[m]) instead"
        )
    method, test, level = _check_method_test(method, test, level)
    tau2_fix = _check_tau2(tau2, method, stacklevel=3)
    con = _control(control)
    y = np.asarray(yi, dtype=float)
    v = np.asarray(vi, dtype=float)
    if y.shape != v.shape or y.ndim not in (1, 2):
        raise ValueError(
            f"yi and vi must have the same 1-D or 2-D shape, got {y.shape} and {v.shape}"
        )
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(v))):
        raise ValueError("yi and vi must be finite")
    if np.any(v < 0):
        raise ValueError("sampling variances vi must be >= 0")
    rows = _Rows(y, v, mask)
    core = _batch_tau2(rows, method, con, tau2_fix, se_fixed=True)
    return _batch_finish(rows, core, method, test, level, loglik)


def _batch_finish(
    rows: _Rows,
    core: dict[str, Any],
    method: str,
    test: str,
    level: float,
    loglik: bool,
    failed: str = "raise",
) -> BatchFit:
    """Every model quantity of the batched fits from their tau^2 (:func:`_batch_tau2`).

    A fit whose weights are infinite (a study with vi = 0 and tau^2 = 0) cannot be
    computed: ``failed="raise"`` raises ``ValueError`` (as metafor's ``rma`` stops), and
    ``failed="nan"`` leaves that fit's row undefined (NaN), as metafor's ``leave1out``
    and ``cumul`` record a refit that fails as NA and go on with the others.
    """
    n = rows.n
    kk = rows.kk
    tau2 = core["tau2"]
    fe = core["fe"]
    _, st = core["final"]
    broken = ~np.isfinite(st["S1"]) & (kk >= 1)
    if np.any(broken) and failed == "raise":
        raise _InfiniteWeightError(
            "division by zero computing the inverse-variance weights: a study has vi = 0 "
            "and tau^2 = 0"
        )
    S1 = st["S1"]
    center = rows.center
    if st is not fe:  # fe's Q is exact already (_batch_tau2)
        _fix_cancelled_q(rows, st, tau2, (kk >= 2) & np.isfinite(S1))
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = st["mu"] + center
        RSS = st["Q"]
        k1 = kk - 1.0
        s2w = np.ones(n)
        if test in ("knha", "adhoc"):
            s2w = np.where(RSS <= _EPS, 0.0, RSS / k1)
            if test == "adhoc":
                s2w = np.maximum(s2w, 1.0)
        multi = kk > 1
        # regular: every fit has two or more studies, all with v > 0 (the usual case,
        # where the masks below change nothing and are skipped)
        allvipos = core["allvipos"]
        regular = bool(np.all(multi)) and bool(np.all(allvipos))
        if not regular:
            s2w = np.where(multi, s2w, 1.0)
        se = np.sqrt(s2w / S1)
        zval = estimate / se
        alpha = alpha_from_level(level)
        crit_z = dist.norm_isf(alpha / 2)
        if test == "z":
            df = np.full(n, np.nan)
            crit = crit_z
            pval = dist.two_sided_norm_p(zval)
        else:  # t quantiles, except for k = 1 fits (z-test, as metafor)
            use_t = multi
            df = np.where(use_t, k1, np.nan)
            crit = np.where(use_t, dist.t_isf(alpha / 2, np.where(use_t, k1, 1.0)), crit_z)
            pval = np.where(
                use_t,
                dist.two_sided_t_p(zval, np.where(use_t, k1, 1.0)),
                dist.two_sided_norm_p(zval),
            )
        ci_lb = estimate - crit * se
        ci_ub = estimate + crit * se
        pi_half = crit * np.sqrt(se**2 + tau2)
        if method in _FIXED:
            pi_lb = np.full(n, np.nan)
            pi_ub = np.full(n, np.nan)
        else:
            pi_lb = estimate - pi_half
            pi_ub = estimate + pi_half
        QE = fe["Q"]
        QEp = dist.chi2_sf(QE, np.maximum(k1, 1.0))
        vt = k1 / fe["trP"]
        if method in _FIXED:
            I2 = np.maximum(0.0, 100.0 * (QE - k1) / QE)
            H2 = QE / k1
        else:
            I2 = 100.0 * tau2 / (vt + tau2)
            H2 = tau2 / vt + 1.0
        if not regular:  # k = 1 fits: Q = 0, I2 = 0, H2 = 1; any v = 0: undefined
            QE = np.where(allvipos, np.where(multi, QE, 0.0), np.nan)
            QEp = np.where(allvipos, np.where(multi, QEp, 1.0), np.nan)
            vt = np.where(allvipos, np.where(multi, vt, 0.0), np.nan)
            I2 = np.where(allvipos, np.where(multi, I2, 0.0), np.nan)
            H2 = np.where(allvipos, np.where(multi, H2, 1.0), np.nan)
        ll_ML = ll_REML = None
        if loglik:
            slog = rows.sum_log(tau2)
            ll_ML = -0.5 * kk * _LOG_2PI - 0.5 * slog - 0.5 * RSS
            ll_REML = (
                -0.5 * k1 * _LOG_2PI + 0.5 * np.log(kk) - 0.5 * slog - 0.5 * np.log(S1) - 0.5 * RSS
            )
    empty = (kk < 1) | broken
    out = {
        "estimate": estimate,
        "se": se,
        "zval": zval,
        "df": df,
        "pval": pval,
        "ci_lb": ci_lb,
        "ci_ub": ci_ub,
        "pi_lb": pi_lb,
        "pi_ub": pi_ub,
        "tau2": tau2.copy(),
        "se_tau2": core["se_tau2"],
        "I2": I2,
        "H2": H2,
        "QE": QE,
        "QEp": QEp,
        "vt": vt,
        "s2w": s2w,
        "sum_w": S1,
    }
    if np.any(empty):
        for key, val in out.items():
            val = np.asarray(val, dtype=float).copy()
            val[empty] = np.nan
            out[key] = val
    return BatchFit(
        method=method,
        test=test,
        level=level,
        k=kk.astype(int),
        ll_ML=ll_ML,
        ll_REML=ll_REML,
        **{key: np.asarray(val, dtype=float) for key, val in out.items()},
    )


# =========================================================================== results


def _jsonable(x: Any) -> Any:
    """Plain Python values for JSON: floats (None for NaN/inf), ints, lists, strings."""
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, np.ndarray):
        return [_jsonable(e) for e in x.tolist()]
    if isinstance(x, (list, tuple, StudyLabels)):
        return [_jsonable(e) for e in x]
    if isinstance(x, Mapping):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (np.bool_,)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        f = float(x)
        return f if math.isfinite(f) else None
    return x


class StudyLabels(Sequence):
    """Study labels; the default "1".."k" (metafor's) is generated only when read.

    Behaves as an immutable sequence of str and compares equal to a tuple/list with the
    same labels. Building 100,000 label strings costs more than fitting the model, so the
    default is kept symbolic.
    """

    __slots__ = ("_k", "_labels")

    def __init__(self, k: int, labels: Sequence[Any] | None = None) -> None:
        self._k = int(k)
        self._labels = None if labels is None else tuple(str(s) for s in labels)
        if self._labels is not None and len(self._labels) != self._k:
            raise ValueError(f"slab has {len(self._labels)} labels, expected k = {self._k}")

    def __len__(self) -> int:
        return self._k

    def __getitem__(self, i: Any) -> Any:
        if self._labels is not None:
            return self._labels[i]
        if isinstance(i, slice):
            return tuple(str(j + 1) for j in range(self._k)[i])
        idx = range(self._k)[i]
        return str(idx + 1)

    def __iter__(self) -> Any:
        if self._labels is not None:
            return iter(self._labels)
        return (str(j + 1) for j in range(self._k))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StudyLabels):
            return tuple(self) == tuple(other)
        if isinstance(other, (tuple, list)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        if self._labels is None:
            return f"StudyLabels(1..{self._k})"
        return f"StudyLabels({self._labels!r})"


def _freeze(obj: Any) -> None:
    """Make the array attributes of a (frozen dataclass) result read-only."""
    for val in obj.__dict__.values():  # cheaper than dataclasses.fields() + getattr
        if isinstance(val, np.ndarray):
            val.setflags(write=False)


@dataclass(frozen=True, eq=False)
class FixedConfint:
    """The fixed effects' part of metafor's ``confint(res, fixed=TRUE)``: each
    coefficient's estimate and Wald confidence interval, b -/+ q se(b) (q the normal or,
    under t, knha and adhoc, the t(k - p) quantile), transformed by ``transf`` when one
    was given (``transf`` True; the bounds then in increasing order, as metafor's)."""

    coef_names: tuple[str, ...]
    estimate: np.ndarray
    ci_lb: np.ndarray
    ci_ub: np.ndarray
    level: float
    transf: bool = False

    def __post_init__(self) -> None:
        _freeze(self)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}

    def summary(self, digits: int = 4) -> str:
        """The table metafor's ``print.confint.rma`` shows: estimate, ci.lb and ci.ub per
        coefficient, with ``digits`` decimals. As its ``.fcf``, the estimates and the
        bounds (together) are NA throughout when all are missing, and otherwise an
        undefined one (a ``transf``'s NaN) is NaN."""
        d = int(digits)
        est, lb, ub = *_fcf_columns([self.estimate], d), *_fcf_columns([self.ci_lb, self.ci_ub], d)
        rows = [list(r) for r in zip(est, lb, ub)]
        return "\n".join(_table(["estimate", "ci.lb", "ci.ub"], rows, list(self.coef_names)))

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.summary())


@dataclass(frozen=True)
class ConfintResult:
    """Q-profile confidence interval for tau^2 and the derived tau, I^2 and H^2.

    ``lb_sign``/``ub_sign`` are ``"<"`` or ``">"`` when a bound lies outside metafor's
    search interval [``tau2_min``, ``tau2_max``] (the reported bound is then the interval
    end), else ``""``; ``ci_null`` is True when the whole interval is {0}. ``fixed`` is
    the fixed effects' part (:class:`FixedConfint`) when ``confint(fixed=True)`` asked
    for it, else None.
    """

    level: float
    tau2: float
    tau2_ci_lb: float
    tau2_ci_ub: float
    tau: float
    tau_ci_lb: float
    tau_ci_ub: float
    I2: float
    I2_ci_lb: float
    I2_ci_ub: float
    H2: float
    H2_ci_lb: float
    H2_ci_ub: float
    lb_sign: str
    ub_sign: str
    ci_null: bool
    tau2_min: float
    tau2_max: float
    fixed: FixedConfint | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: _jsonable(getattr(self, f.name)) for f in fields(self) if f.name != "fixed"}
        if self.fixed is not None:
            out["fixed"] = self.fixed.to_dict()
        return out

    def summary(self, digits: int = 4) -> str:
        """The interval as metafor's ``print.confint.rma`` shows it: estimate, ci.lb and
        ci.ub of tau^2, tau, I^2 (%) and H^2; a bound beyond the search interval is
        marked ``<`` or ``>``."""
        d = int(digits)

        def bound(x: float, sign: str) -> str:
            return f"{sign}{x:.{d}f}"

        rows = [
            [f"{est:.{d}f}", bound(lb, self.lb_sign), bound(ub, self.ub_sign)]
            for est, lb, ub in (
                (self.tau2, self.tau2_ci_lb, self.tau2_ci_ub),
                (self.tau, self.tau_ci_lb, self.tau_ci_ub),
                (self.I2, self.I2_ci_lb, self.I2_ci_ub),
                (self.H2, self.H2_ci_lb, self.H2_ci_ub),
            )
        ]
        random = _table(["estimate", "ci.lb", "ci.ub"], rows, ["tau^2", "tau", "I^2(%)", "H^2"])
        # metafor prints the fixed effects first, a blank line between the two tables
        fixed = [] if self.fixed is None else [self.fixed.summary(d), ""]
        return "\n".join([*fixed, *random])

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.summary())


@dataclass(frozen=True, eq=False)
class PredictResult:
    """Predicted (average) effect with confidence and prediction intervals (``predict.rma``).

    Scalars for an intercept-only model, arrays (one entry per row of ``newmods`` or per
    study) for a meta-regression. ``pi_lb``/``pi_ub`` are None for FE/EE models;
    ``pi_df`` is the t degrees of freedom of the prediction interval (None: normal);
    ``level`` is the level of both intervals in percent (90.0 for ``predict(level=90)``,
    ``level=0.9`` or ``level=0.1``; the model's when not given). metafor's ``predict.rma``
    keeps no level, so a 90% interval would read as the model's 95% one wherever the
    result travels on its own: ``to_dict`` and :meth:`summary` carry it.
    """

    pred: Any
    se: Any
    ci_lb: Any
    ci_ub: Any
    pi_lb: Any
    pi_ub: Any
    pi_df: int | None
    pi_type: str
    level: float
    #: The studies' labels, one per row, for the fitted values of a meta-regression
    #: (predict() without newmods), as metafor labels its rows; None otherwise.
    slab: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        _freeze(self)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}

    def summary(self, digits: int = 4) -> str:
        """metafor's ``print.list.rma`` table (pred, se, ci.lb, ci.ub, pi.lb, pi.ub; one
        row per prediction: a meta-regression's fitted values by study label, new
        moderator values numbered from 1) and below it the
        level of the intervals, which metafor's print leaves out.

        ``se`` is left out after ``transf`` (metafor's is NA), ``pi.lb``/``pi.ub`` for an
        FE/EE model (None).
        """
        d = int(digits)
        cols = [("pred", self.pred), ("se", self.se), ("ci.lb", self.ci_lb),
                ("ci.ub", self.ci_ub), ("pi.lb", self.pi_lb), ("pi.ub", self.pi_ub)]  # fmt: skip
        cols = [(name, np.atleast_1d(np.asarray(v, dtype=float))) for name, v in cols if v is not None]
        n = cols[0][1].size
        rows = [[_fmt(float(v[i]), d) for _, v in cols] for i in range(n)]
        names = (None if np.ndim(self.pred) == 0 else list(self.slab) if self.slab is not None
                 else [str(i + 1) for i in range(n)])
        table = _table([name for name, _ in cols], rows, names)
        what = "confidence and prediction intervals" if self.pi_lb is not None else "confidence intervals"
        return "\n".join([*table, "", f"{self.level:g}% {what}"])

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.summary())


#: Attribute names of :class:`RMAResult` in the order of :meth:`RMAResult.to_dict`.
_RESULT_KEYS: tuple[str, ...] = (
    "estimate", "se", "zval", "tval", "df", "pval", "ci_lb", "ci_ub", "pi_lb", "pi_ub",
    "tau2", "tau", "se_tau2", "I2", "H2", "QE", "QEp", "k", "p", "method", "test", "level",
    "vt", "s2w", "weights", "ll_ML", "ll_REML", "yi", "vi", "slab", "coef_names", "beta",
    "se_beta", "zval_beta", "tval_beta", "pval_beta", "ci_lb_beta", "ci_ub_beta", "vb", "QM",
    "QMdf", "QMp", "R2", "X", "int_only", "control", "ni", "subset",
)  # fmt: skip


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


#: R's default ``options("width")``: the console width metafor's tables wrap at.
_R_WIDTH = 80


@dataclass(frozen=True, eq=False)
class RMAResult:
    """A fitted meta-analytic model, with metafor's names (immutable; arrays are read-only).

    Pooled estimate (the first coefficient: the intercept, i.e. the average effect, in a
    model without moderators): ``estimate``, ``se``, ``zval`` (the test statistic under
    every test, as metafor's ``res$zval``: a t statistic on ``df`` degrees of freedom
    under t, knha and adhoc, where ``tval`` holds it too; ``tval`` and ``df`` are None
    under z, so read ``test`` or ``df``, not ``zval``, to tell the two apart),
    ``pval``, ``ci_lb``, ``ci_ub``; prediction interval ``pi_lb``/``pi_ub``
    (intercept-only random-effects models; None for FE/EE and for meta-regressions,
    see :meth:`predict`).

    Heterogeneity: ``tau2``, ``tau``, ``se_tau2`` (None for FE/EE and k = 1), ``I2`` (%),
    ``H2``, ``QE``, ``QEp`` (Cochran's Q with weights 1/vi and its chi-square(k - p)
    p-value), ``vt`` (metafor's typical within-study variance, (k - p)/tr(P) with
    w = 1/vi; I2 = 100 tau2/(tau2 + vt) and H2 = (tau2 + vt)/vt for every random-effects
    estimator, the Q-based versions for FE/EE), ``s2w`` (Knapp-Hartung scale factor; 1
    under z and t).

    All coefficients (length p, names ``coef_names``): ``beta``, ``se_beta``,
    ``zval_beta`` (under every test; ``tval_beta`` the same under a t-test, else None),
    ``pval_beta``, ``ci_lb_beta``, ``ci_ub_beta``, ``vb`` (covariance matrix, including
    the Knapp-Hartung scaling). Omnibus test of the
    moderators (of the intercept when there are none; of the coefficients ``btt``, 0-based
    indices, when :func:`rma` was given them): ``QM`` (chi-square, or F under
    t/knha/adhoc), ``QMdf`` ((m, None) or (m, k - p)), ``QMp``; ``R2`` (% of tau^2
    accounted for by the moderators; None without moderators or without an intercept,
    NaN where metafor's is NaN or NA: an equal-effects model with no residual degrees of
    freedom, or a model without moderators that does not converge).

    Also: ``k``, ``p``, ``method``, ``test``, ``level``, ``weights`` (percent, 100 w_i /
    sum w with w_i = 1/(vi + tau2)), ``ll_ML``, ``ll_REML`` (metafor's ``fit.stats``),
    the data ``yi``, ``vi``, ``slab``, the model matrix ``X`` and ``control``; ``ni``,
    the studies' total sample sizes when known (metafor's ``res$ni``: from ``escalc`` or
    the ``ni`` argument of :func:`rma`, else None), which :meth:`regtest` reads;
    ``subset``, the studies of the data given that were fitted (a boolean mask, None
    when all were); ``index``, the pandas index of that data (None without one);
    ``weights_given`` and ``weighted``, metafor's ``weights`` and ``weighted`` as given
    to :func:`rma` (None and True unless given), with which ``weights`` is
    100 a_i / sum a (100/k each when not ``weighted``);
    ``tau2_fix``, True when tau^2 was given (``rma(..., tau2=...)``) rather than
    estimated (metafor's ``tau2.fix``).

    For a model without moderators, ``weights``, ``ll_ML``/``ll_REML``, ``X``, the
    coefficient arrays and ``QM`` are computed on first access (and then kept): they
    cost a logarithm per study or several small arrays, more than the fit itself for
    small k, and most callers read only the pooled estimate.
    """

    estimate: float
    se: float
    zval: float
    tval: float | None
    df: int | None
    pval: float
    ci_lb: float
    ci_ub: float
    pi_lb: float | None
    pi_ub: float | None
    tau2: float
    tau: float
    se_tau2: float | None
    I2: float | None
    H2: float | None
    QE: float | None
    QEp: float | None
    k: int
    p: int
    method: str
    test: str
    level: float
    vt: float | None
    s2w: float
    yi: np.ndarray
    vi: np.ndarray
    slab: StudyLabels
    coef_names: tuple[str, ...]
    R2: float | None
    int_only: bool
    control: Mapping[str, Any] = field(default_factory=dict)
    ni: np.ndarray | None = None
    subset: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.yi.setflags(write=False)
        self.vi.setflags(write=False)
        for name in ("ni", "subset"):
            value = getattr(self, name)
            if value is not None:
                value.setflags(write=False)

    @property
    def index(self) -> Any:
        """The pandas index of the data given to :func:`rma` (``yi``, ``vi``, or escalc's
        ``EffectSizes``), all studies whether or not a ``subset`` was fitted; None when
        the data had none. :meth:`cumul` and :meth:`regtest` refuse a pandas ``order``
        or ``ni`` with another, as :func:`rma` refuses such arguments itself."""
        return self.__dict__.get("_index")

    @property
    def slab_null(self) -> bool:
        """Whether ``slab`` holds the default labels, the studies' row numbers, because no
        ``slab`` was given to :func:`rma` (metafor's ``slab.null``); :meth:`trimfill`'s
        filled model then names the studies "Study 1", "Study 2", ... as metafor's does."""
        if "_slab_null" in self.__dict__:
            return True
        return isinstance(self.slab, StudyLabels) and self.slab._labels is None

    # ---------------------------------------------------------------- lazy attributes
    # Each is a cached_property: computed from the fit state (``_fit``, a _SingleFit)
    # on first access. Meta-regressions store all of them at construction (in the
    # instance dict, which a cached_property reads first), so nothing is computed later.

    @cached_property
    def _state(self) -> _SingleFit:
        """The fit state set by :func:`_rma_single`, or rebuilt from the public fields
        (e.g. after ``dataclasses.replace``, which runs the plain constructor)."""
        if "_fit" in self.__dict__:
            return self.__dict__["_fit"]
        w = np.divide(1.0, self.vi + self.tau2)
        return _SingleFit(self.tau2, self.se_tau2, 0.0, 0.0, w, float(np.sum(w)), self.estimate)

    @cached_property
    def _RSS(self) -> float:
        f = self._state
        resid = self.yi - f.mu
        return float(np.sum(self._w * resid * resid))

    @cached_property
    def _w(self) -> np.ndarray:
        return self._state.weights(self.vi)

    @cached_property
    def _loglik(self) -> tuple[float, float]:
        f = self._state
        k, p = self.k, self.p
        slog = -float(np.sum(np.log(self._w)))  # sum log(v + tau2) with w = 1/(v + tau2)
        rss = self._RSS
        ll_ML = -0.5 * k * _LOG_2PI - 0.5 * slog - 0.5 * rss
        # fit.stats' REML with log|X'X| = log k and log|X'WX| = log sum w
        ll_REML = (
            -0.5 * (k - p) * _LOG_2PI
            + 0.5 * math.log(k)
            - 0.5 * slog
            - 0.5 * math.log(f.sum_w)
            - 0.5 * rss
        )
        return ll_ML, ll_REML

    @cached_property
    def _wald_out(self) -> dict[str, Any]:
        f = self._state
        beta = _readonly(np.array([f.mu]))
        vb = _readonly(self.s2w * np.array([[1.0 / f.sum_w]]))
        out = _wald(beta, vb, self.test != "z", self.k - self.p, self.level, np.arange(1))
        for key in ("se", "stat", "pval", "ci_lb", "ci_ub"):
            _readonly(out[key])
        out["beta"], out["vb"] = beta, vb
        return out

    @cached_property
    def tau2_fix(self) -> bool:
        """Whether tau^2 was given rather than estimated (metafor's ``tau2.fix``).

        Kept beside the fields, not among them: a fit of :func:`rma` with ``tau2`` sets
        it, and :meth:`to_dict` carries it only then, so that the records of estimated
        models keep their keys.
        """
        return False

    @cached_property
    def weights(self) -> np.ndarray:
        f = self._state
        return _readonly(self._w * (100.0 / f.sum_w))

    @cached_property
    def ll_ML(self) -> float:
        return self._loglik[0]

    @cached_property
    def ll_REML(self) -> float:
        return self._loglik[1]

    @cached_property
    def X(self) -> np.ndarray:
        return _readonly(np.ones((self.k, 1)))

    @cached_property
    def beta(self) -> np.ndarray:
        return self._wald_out["beta"]

    @cached_property
    def se_beta(self) -> np.ndarray:
        return self._wald_out["se"]

    @cached_property
    def zval_beta(self) -> np.ndarray:
        return self._wald_out["stat"]

    @cached_property
    def tval_beta(self) -> np.ndarray | None:
        return self._wald_out["stat"] if self.test != "z" else None

    @cached_property
    def pval_beta(self) -> np.ndarray:
        return self._wald_out["pval"]

    @cached_property
    def ci_lb_beta(self) -> np.ndarray:
        return self._wald_out["ci_lb"]

    @cached_property
    def ci_ub_beta(self) -> np.ndarray:
        return self._wald_out["ci_ub"]

    @cached_property
    def vb(self) -> np.ndarray:
        return self._wald_out["vb"]

    @cached_property
    def btt(self) -> tuple[int, ...]:
        """0-based indices of the coefficients the omnibus test ``QM`` covers."""
        return (0,)

    @cached_property
    def QM(self) -> float:
        return self._wald_out["QM"]

    @cached_property
    def QMdf(self) -> tuple[int, int | None]:
        return self._wald_out["QMdf"]

    @cached_property
    def QMp(self) -> float:
        return self._wald_out["QMp"]

    # ---------------------------------------------------------------- convenience
    @property
    def allvipos(self) -> bool:
        return bool(np.all(self.vi > 0))

    # weighted and weights_given are set by _refit_fixed_effects in the instance dict, not
    # dataclass fields: the fields, and so to_dict() and the JSON of every model fitted
    # without them, stay as they were
    @property
    def weighted(self) -> bool:
        """metafor's ``weighted``: False when the coefficients were fitted by ordinary
        least squares."""
        return bool(self.__dict__.get("_weighted", True))

    @property
    def weights_given(self) -> np.ndarray | None:
        """metafor's ``weights`` as given to :func:`rma` (read-only), or None."""
        return self.__dict__.get("_weights_given")

    @property
    def custom_weights(self) -> bool:
        """Whether the fixed effects were fitted with weights other than 1/(vi + tau^2):
        given ``weights`` or ``weighted=False``."""
        return self.weights_given is not None or not self.weighted

    def to_dict(self, confint: bool = False) -> dict[str, Any]:
        """JSON-ready plain values (None for undefined), keyed by attribute name.

        With ``confint=True`` the Q-profile bounds are added as ``tau2_ci_lb``,
        ``tau2_ci_ub``, ``tau_ci_lb``, ``tau_ci_ub``, ``I2_ci_lb``, ``I2_ci_ub``,
        ``H2_ci_lb``, ``H2_ci_ub`` (None where not defined: FE/EE models, k = 1), with
        ``ci_lb_sign`` and ``ci_ub_sign``: ``"<"`` or ``">"`` where a bound lies beyond
        the search interval and is only its end (metafor prints ``>100.0000``), else
        ``""``. A bound given without its sign would read as an estimate.
        """
        out = {key: _jsonable(getattr(self, key)) for key in _RESULT_KEYS}
        if self.custom_weights:
            # only then: the output of every model fitted without them stays as it was
            out.update(weighted=self.weighted, weights_given=_jsonable(self.weights_given))
        if self.tau2_fix:
            out["tau2_fix"] = True
        if self.__dict__.get("_btt_given"):
            # a saved QM names the coefficients it tests when they are not the default
            out["btt"] = list(self.btt)
        if confint:
            keys = (
                "tau2_ci_lb",
                "tau2_ci_ub",
                "tau_ci_lb",
                "tau_ci_ub",
                "I2_ci_lb",
                "I2_ci_ub",
                "H2_ci_lb",
                "H2_ci_ub",
            )
            if self.method in _FIXED or self.k < 2 or not self.allvipos or self.tau2_fix:
                out.update({key: None for key in keys})
                out.update(ci_lb_sign="", ci_ub_sign="")
            else:
                ci = self.confint()
                out.update({key: _jsonable(getattr(ci, key)) for key in keys})
                out.update(ci_lb_sign=ci.lb_sign, ci_ub_sign=ci.ub_sign)
        return out

    # ---------------------------------------------------------------- methods
    @overload
    def confint(
        self,
        level: float | None = None,
        control: Mapping[str, Any] | None = None,
        *,
        fixed: bool = False,
        random: Literal[True] = True,
        transf: Callable[[float], float] | None = None,
    ) -> ConfintResult: ...

    @overload
    def confint(
        self,
        level: float | None = None,
        control: Mapping[str, Any] | None = None,
        *,
        fixed: bool = False,
        random: Literal[False],
        transf: Callable[[float], float] | None = None,
    ) -> FixedConfint: ...

    def confint(
        self,
        level: float | None = None,
        control: Mapping[str, Any] | None = None,
        *,
        fixed: bool = False,
        random: bool = True,
        transf: Callable[[float], float] | None = None,
    ) -> ConfintResult | FixedConfint:
        """Q-profile confidence interval for tau^2, tau, I^2 and H^2 (Viechtbauer 2007).

        The bounds solve Q(tau^2) = chi2_{k-p; 1-alpha/2} (lower) and chi2_{k-p; alpha/2}
        (upper), where Q(tau^2) = y'P(tau^2)y is the generalised Q statistic, within
        metafor's search interval [0, max(100, 10 tau2)] (or ``control["tau2_max"]``); I^2
        and H^2 bounds are the same monotone transforms of the tau^2 bounds as the estimates (via ``vt``).

        Parameters
        ----------
        level : float, optional
            Confidence level in percent; default the model's.
        control : mapping, optional
            Solver options (:data:`DEFAULT_CONTROL`); default the model's.
        fixed, random : bool
            As metafor's: ``fixed=True`` adds the fixed effects' Wald intervals
            (``res.fixed``, a :class:`FixedConfint`), ``random=False`` leaves out the
            interval for tau^2 and returns the :class:`FixedConfint` alone (the only
            choice for an FE/EE model or a given tau^2, as in metafor).
        transf : callable, optional
            As metafor's ``transf``: applied to the fixed effects' estimates and bounds
            (the bounds put back in increasing order), so it needs ``fixed=True``;
            metafor ignores it otherwise, here that is refused. tau^2 is never
            transformed.

        Returns
        -------
        ConfintResult or FixedConfint
            ``print`` shows metafor's table(s).

        References
        ----------
        Viechtbauer W (2007). Confidence intervals for the amount of heterogeneity in
        meta-analysis. Statistics in Medicine 26(1):37-52.
        """
        if not fixed and not random:
            raise ValueError(
                "confint needs fixed=True, random=True or both (metafor: 'At least one ...')"
            )
        if transf is not None and not fixed:
            # metafor 3.8-1 applies transf to the fixed effects only, and silently does
            # nothing without them: a tau^2 interval would be read as transformed
            raise ValueError(
                "transf applies to the fixed effects' intervals only: pass fixed=True "
                "(and random=False for them alone), as metafor's confint"
            )
        check_transf(transf)
        lev = self.level if level is None else _check_method_test("REML", "z", level)[2]
        fixed_part = self._fixed_confint(lev, transf) if fixed else None
        if not random:
            return cast(FixedConfint, fixed_part)
        if self.method in _FIXED:
            raise ValueError(
                "an FE/EE model has no random-effects component to profile "
                "(confint(fixed=True, random=False) gives the coefficients' intervals)"
            )
        if self.tau2_fix:
            # metafor: "Model does not contain an estimated random-effects component."
            raise ValueError(
                "tau^2 was given (rma's tau2), not estimated: it has no confidence interval"
            )
        if self.k == 1:
            raise ValueError("no confidence interval for tau^2 with k = 1")
        if not self.allvipos:
            raise ValueError("Q-profile CI needs all sampling variances vi > 0")
        ctl = control if control is not None else self.control
        con = _control({key: val for key, val in (ctl or {}).items() if key in DEFAULT_CONTROL})
        # yi and vi were validated by rma(): straight to the solver
        out = _q_profile(
            self.yi,
            self.vi,
            None if self.int_only else self.X,
            self.tau2,
            float(self.vt),  # type: ignore[arg-type]
            float(self.I2),  # type: ignore[arg-type]
            float(self.H2),  # type: ignore[arg-type]
            lev,
            con,
        )
        return out if fixed_part is None else replace(out, fixed=fixed_part)

    def _fixed_confint(self, level: float, transf: Callable[[float], float] | None) -> FixedConfint:
        """The fixed effects' part of :meth:`confint` (metafor's ``fixed=TRUE``)."""
        alpha = alpha_from_level(level)
        use_t = self.test != "z"
        crit = float(dist.t_isf(alpha / 2, self.k - self.p) if use_t else dist.norm_isf(alpha / 2))
        b = np.asarray(self.beta, dtype=float)
        se = np.asarray(self.se_beta, dtype=float)
        est, lb, ub = b, b - crit * se, b + crit * se
        if transf is not None:
            est, lb, ub = (
                apply_transf(transf, est),
                apply_transf(transf, lb),
                apply_transf(transf, ub),
            )
        lb, ub = sort_bounds(lb, ub)
        return FixedConfint(
            coef_names=tuple(self.coef_names),
            estimate=est,
            ci_lb=lb,
            ci_ub=ub,
            level=level_percent(level),
            transf=transf is not None,
        )

    def fitstats(self) -> dict[str, dict[str, float]]:
        """Log-likelihood, deviance and information criteria (metafor's ``fit.stats``).

        For each of ``"ML"`` and ``"REML"``: ``ll``, ``dev``, ``AIC``, ``BIC`` and ``AICc``
        with q = p + 1 parameters (p for FE/EE models and a given tau^2):
        AIC = -2 ll + 2 q; BIC = -2 ll + q log(n); AICc = -2 ll + 2 q m/(m - q - 1) with
        m = max(n, q + 2); n = k for ML and k - p for REML (log 0 = -inf, so a model
        with as many coefficients as studies has REML BIC = -inf, as in metafor). The
        ML deviance is -2 (ll - ll_sat) with the saturated model's ll_sat =
        sum log phi(0; vi) when all vi > 0 (-2 ll otherwise, 0 for k <= p); the REML
        deviance is -2 ll.
        Compare REML criteria only between models with the same fixed effects.

        Returns
        -------
        dict
            ``{"ML": {...}, "REML": {...}}``.

        References
        ----------
        Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
        Journal of Statistical Software 36(3):1-48.
        """
        k, p = self.k, self.p
        # a given tau^2 is not a parameter of the model (metafor's parms)
        q = p + (0 if self.method in _FIXED or self.tau2_fix else 1)
        out: dict[str, dict[str, float]] = {}
        for kind, ll, n in (("ML", self.ll_ML, k), ("REML", self.ll_REML, k - p)):
            if kind == "REML":
                dev = -2.0 * ll
            elif k <= p:
                dev = 0.0
            elif self.allvipos:
                ll_sat = float(np.sum(-0.5 * (_LOG_2PI + np.log(self.vi))))
                dev = -2.0 * (ll - ll_sat)
            else:
                dev = -2.0 * ll
            m = max(n, q + 2)
            # R's log(0) = -Inf: a saturated model (k = p) has n = 0 REML observations
            # and metafor reports its REML BIC as -Inf, not as undefined
            log_n = math.log(n) if n > 0 else -math.inf
            out[kind] = {
                "ll": ll,
                "dev": dev,
                "AIC": -2.0 * ll + 2.0 * q,
                "BIC": -2.0 * ll + q * log_n,
                "AICc": -2.0 * ll + 2.0 * q * m / (m - q - 1),
            }
        return out

    def summary(
        self,
        digits: int = 4,
        signif_stars: bool = True,
        signif_legend: bool | None = None,
        width: int | None = _R_WIDTH,
    ) -> str:
        """The fit as metafor's ``print.rma.uni`` shows it, as text.

        Heterogeneity (tau^2 with its SE, tau, I^2, H^2, R^2 for a meta-regression), the
        test for (residual) heterogeneity, the omnibus test of the moderators and the
        table of coefficients; numbers with ``digits`` decimals, p-values below
        10^-digits as ``<.0001``. ``str(res)`` and a notebook's display of a fit show
        this text with the defaults; ``repr`` keeps every field.

        Parameters
        ----------
        digits : int
            Decimals of the numbers printed.
        signif_stars : bool
            Mark each coefficient's p-value as metafor does under R's default
            ``options(show.signif.stars = TRUE)``: ``***`` for p <= 0.001, ``**`` for
            p <= 0.01, ``*`` for p <= 0.05, ``.`` for p <= 0.1, a blank otherwise (R's
            ``symnum`` on the unrounded p-value; nothing for a missing one). False
            prints the table as metafor does with ``show.signif.stars = FALSE``.
        signif_legend : bool, optional
            Whether to end with metafor's legend of the stars, "Signif. codes: ...";
            default ``signif_stars``, as metafor's ``signif.legend``.
        width : int or None
            The console width R prints at (``options("width")``, 80 by default): the
            columns of the table of coefficients that do not fit (with long coefficient
            names, often the stars) print in a second block below, as R prints them.
            None keeps every row on one line.
        """
        legend = bool(signif_stars) if signif_legend is None else bool(signif_legend)
        return _summary_text(
            self, int(digits), bool(signif_stars), legend, _width(width)
        )

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # IPython/Jupyter display: the summary, not 46 fields of the dataclass repr
        printer.text(self.summary())

    def _newmods_by_name(self, newmods: Any) -> np.ndarray | None:
        """``newmods`` that name their moderators (a DataFrame's columns, a Series'
        index of names, a dict's keys) as a matrix whose columns are in the model's
        order; None for ``newmods`` given by position.

        metafor matches named ``newmods`` to the coefficients by name: read by position,
        columns in another order than the fit's (or ``get_dummies`` levels listed
        otherwise) silently gave the prediction for other moderator values. As in
        metafor, a model fitted from an array without names reads them by position; a
        name must be a moderator's in full (metafor also takes one it abbreviates).

        Raises
        ------
        ValueError
            A name is not one of the model's moderators, is given twice, or one of the
            model's moderators is not given.
        """
        wanted = list(self.coef_names[int(self._has_intercept):])
        if all(re.fullmatch(r"(\.\d+)?", n) for n in wanted):
            # Fitted from an array without names ("", or ".1", ".2", ...): metafor too
            # reads newmods by position.
            return None
        if isinstance(newmods, Mapping):
            for n in newmods:
                refuse_text(newmods[n], f"newmods[{n!r}]")
            names = [str(n) for n in newmods]
            cols = [np.atleast_1d(np.asarray(newmods[n], dtype=float)).ravel() for n in newmods]
            if len({c.size for c in cols}) > 1:
                raise ValueError("newmods gives its moderators different numbers of values")
            M = np.column_stack(cols) if cols else np.empty((1, 0))
        elif hasattr(newmods, "columns") and hasattr(newmods, "to_numpy"):
            names = [str(c) for c in newmods.columns]
            refuse_text(newmods.to_numpy(), "newmods")
            M = np.asarray(newmods.to_numpy(dtype=float), dtype=float).reshape(-1, len(names))
        elif (hasattr(newmods, "index") and hasattr(newmods, "to_numpy") and len(newmods.index)
              and all(isinstance(i, str) for i in newmods.index)):
            names = [str(i) for i in newmods.index]
            refuse_text(newmods.to_numpy(), "newmods")
            M = np.asarray(newmods.to_numpy(dtype=float), dtype=float).reshape(1, -1)
        else:
            return None
        twice = sorted({n for n in names if names.count(n) > 1})
        unknown = [n for n in names if n not in wanted]
        missing = [n for n in wanted if n not in names]
        if twice or unknown or missing:
            said = [f"names {twice} twice" if twice else "",
                    f"names {unknown}, not among them" if unknown else "",
                    f"lacks {missing}" if missing else ""]
            raise ValueError(f"newmods is matched to the model's moderators {wanted} by name, as metafor does; "
                             f"it {' and '.join(x for x in said if x)}")
        return M[:, [names.index(n) for n in wanted]]

    def predict(
        self,
        newmods: Any = None,
        pi_type: str = "default",
        level: float | None = None,
        transf: Callable[[float], float] | None = None,
    ) -> PredictResult:
        """Predicted effect with CI and prediction interval (metafor's ``predict.rma``).

        CI = pred +/- q se and PI = pred +/- q sqrt(se^2 + tau2), q = q_{1 - alpha/2} the
        normal quantile under ``test="z"`` and the t(k - p) quantile otherwise, alpha
        from ``level``; ``pi_type="riley"`` uses t(k - p - 1) (Riley et al. 2011; t(k - p)
        when tau^2 was given, not estimated), ``"t"`` uses t(k - p) also under the z-test.

        Parameters
        ----------
        newmods : array_like, DataFrame, Series or dict, optional
            Moderator values (without the intercept column) for a meta-regression: one
            row per prediction, one column per moderator (a 1-D array is one row, or
            one value per prediction for a single moderator); default: the fitted
            values of the k studies. Values that name their moderators (a DataFrame's
            columns, a Series indexed by name, a dict's keys) are matched to the
            model's by name, as metafor matches them, and must name each once; an
            array is read by position.
        pi_type : {"default", "riley", "t"}
        level : float, optional
            Level of both intervals, read as :func:`rma` reads it (90, 0.9 and 0.1 all
            a 90% interval); default the model's. Only the quantile q changes: pred, se
            and the t degrees of freedom are the model's.
        transf : callable, optional
            A function applied to each of pred and the bounds of both intervals, as
            metafor's ``transf`` (``math.exp`` or ``np.exp`` for a ratio from its log):
            pred = f(pred), [f(ci_lb), f(ci_ub)] put in increasing order (metafor's
            ``.psort``: a decreasing f swaps them), the prediction interval alike. The
            intervals are those of the untransformed scale carried over; ``se`` is None,
            as metafor's is NA, since a standard error does not carry over.

        Returns
        -------
        PredictResult

        References
        ----------
        Riley RD, Higgins JPT, Deeks JJ (2011). Interpretation of random effects
        meta-analyses. BMJ 342:d549.
        """
        return self._predict(
            newmods, pi_type, level, transf, self.vb, self.k - self.p, self.test != "z"
        )

    def _predict(
        self,
        newmods: Any,
        pi_type: str,
        level: float | None,
        transf: Callable[[float], float] | None,
        vb: np.ndarray,
        ddf: int,
        use_t: bool,
    ) -> PredictResult:
        """:meth:`predict` with the coefficients' covariance ``vb``, the t degrees of
        freedom ``ddf`` and the choice of t (``use_t``) or normal quantiles given: the
        model's own, or a cluster-robust fit's (:func:`metareview.sandwich.robust`, whose
        predictions metafor's ``predict.rma`` makes with its ``vb`` and ``ddf``)."""
        if pi_type not in ("default", "riley", "t"):
            raise ValueError(f"unknown pi_type {pi_type!r}; choose 'default', 'riley' or 't'")
        # an explicit level is read afresh, as metafor's predict(level=) reads it; without
        # one the model's own level holds (see docs/statistics.md for metafor's reading)
        alpha = alpha_from_level(self.level if level is None else level)
        if newmods is None:
            Xn = self.X[:1] if self.int_only else self.X
        else:
            n_mods = self.p - int(self._has_intercept)
            if self.int_only:
                raise ValueError("the model has no moderators: call predict() without newmods")
            try:
                M = self._newmods_by_name(newmods)
                if M is None:
                    refuse_text(newmods, "newmods")
                    M = np.array(newmods, dtype=float)
            except (TypeError, ValueError) as exc:
                if "newmods" in str(exc):
                    raise
                raise ValueError(f"newmods must be numeric ({exc})") from None
            if M.ndim <= 1:
                M = M.reshape(-1, 1) if n_mods == 1 else M.reshape(1, -1)
            if M.ndim != 2 or M.shape[1] != n_mods:
                names = [n for n in self.coef_names if n != "intrcpt"]
                got = M.shape[1] if M.ndim == 2 else M.shape
                added = " (the intercept is added)" if self._has_intercept else ""
                raise ValueError(
                    f"newmods gives {got} value(s) per row; the model has {n_mods} "
                    f"moderator(s) {names}{added}"
                )
            Xn = np.column_stack([np.ones(M.shape[0]), M]) if self._has_intercept else M
        pred = Xn @ self.beta
        vpred = np.einsum("ij,jk,ik->i", Xn, vb, Xn)
        se = np.sqrt(np.maximum(vpred, 0.0))
        if not use_t:
            crit = dist.norm_isf(alpha / 2)
        else:
            crit = dist.t_isf(alpha / 2, ddf)
        ci_lb, ci_ub = pred - crit * se, pred + crit * se
        pi_df: int | None = ddf if use_t else None
        pcrit = crit
        if pi_type in ("riley", "t"):
            # Riley's df take off tau^2 only where it was estimated: a given tau^2 is not
            # a parameter of the model (metafor's parms, as in fitstats)
            parms = self.p + (0 if self.method in _FIXED or self.tau2_fix else 1)
            pi_df = max(1, ddf - parms + self.p) if pi_type == "riley" else max(1, ddf)
            pcrit = dist.t_isf(alpha / 2, pi_df)
        if self.method in _FIXED:
            pi_lb = pi_ub = None
        else:
            half = pcrit * np.sqrt(vpred + self.tau2)
            pi_lb, pi_ub = pred - half, pred + half
        se_out: Any = se
        if transf is not None:
            pred, ci_lb, ci_ub = (
                apply_transf(transf, pred),
                apply_transf(transf, ci_lb),
                apply_transf(transf, ci_ub),
            )
            ci_lb, ci_ub = sort_bounds(ci_lb, ci_ub)
            if pi_lb is not None and pi_ub is not None:  # both or neither
                pi_lb, pi_ub = apply_transf(transf, pi_lb), apply_transf(transf, pi_ub)
                pi_lb, pi_ub = sort_bounds(pi_lb, pi_ub)
            se_out = None
        scalar = self.int_only and newmods is None

        def pick(a: Any) -> Any:
            if a is None:
                return None
            return float(a[0]) if scalar else np.asarray(a, dtype=float)

        return PredictResult(
            pred=pick(pred),
            se=pick(se_out),
            ci_lb=pick(ci_lb),
            ci_ub=pick(ci_ub),
            pi_lb=pick(pi_lb),
            pi_ub=pick(pi_ub),
            pi_df=pi_df,
            pi_type=pi_type,
            level=level_percent(self.level if level is None else level),
            # the fitted values are the studies', labelled as metafor labels them
            slab=tuple(str(s) for s in self.slab) if newmods is None and not scalar else None,
        )

    @property
    def _has_intercept(self) -> bool:
        return bool(self.coef_names) and self.coef_names[0] == "intrcpt"

    def leave1out(self, transf: Callable[[float], float] | None = None) -> Any:
        """Leave-one-out fits (see :func:`metareview.diagnostics.leave1out`); ``transf``
        as metafor's (estimates and CI bounds transformed, se NA)."""
        from metareview import diagnostics

        return diagnostics.leave1out(self, transf=transf)

    def influence(self) -> Any:
        """Case-deletion diagnostics (see :func:`metareview.diagnostics.influence`)."""
        from metareview import diagnostics

        return diagnostics.influence(self)

    def residuals(self, type: str = "response") -> np.ndarray:
        """The residuals, one per study (:func:`metareview.diagnostics.residuals`,
        metafor's ``residuals.rma``): ``type`` "response" (y_i - x_i'b), "pearson",
        "cholesky", "rstandard" or "rstudent"."""
        from metareview import diagnostics

        return diagnostics.residuals(self, type=type)

    def rstandard(self, type: str = "marginal") -> Any:
        """Internally standardised residuals, resid, se and z per study
        (:func:`metareview.diagnostics.rstandard`, metafor's ``rstandard.rma.uni``)."""
        from metareview import diagnostics

        return diagnostics.rstandard(self, type=type)

    def rstudent(self) -> Any:
        """Externally standardised (deleted) residuals, resid, se and z per study
        (:func:`metareview.diagnostics.rstudent`, metafor's ``rstudent.rma.uni``)."""
        from metareview import diagnostics

        return diagnostics.rstudent(self)

    def cumul(
        self,
        order: Any = None,
        decreasing: bool = False,
        transf: Callable[[float], float] | None = None,
    ) -> Any:
        """Cumulative meta-analysis (see :func:`metareview.diagnostics.cumul`); ``order``
        is a variable to sort the studies by (e.g. year), as in metafor; ``transf`` as
        metafor's (estimates and CI bounds transformed, se NA)."""
        from metareview import diagnostics

        return diagnostics.cumul(self, order=order, decreasing=decreasing, transf=transf)

    def regtest(
        self,
        model: Literal["rma", "lm"] = "rma",
        predictor: Literal["sei", "vi", "ni", "ninv", "sqrtni", "sqrtninv"] = "sei",
        ni: Any = None,
    ) -> Any:
        """Egger-type regression test (delegates to :func:`metareview.bias.regtest`).

        ``ni``, the studies' total sample sizes, is what the predictors ``ni``, ``ninv``,
        ``sqrtni`` and ``sqrtninv`` are made of; by default those the model keeps
        (``self.ni``, from ``escalc``), as metafor's ``regtest`` reads ``res$ni``.
        """
        from metareview import bias

        return bias.regtest(self, model=model, predictor=predictor, ni=ni)

    def ranktest(self, exact: bool = True) -> Any:
        """Begg & Mazumdar rank correlation test (:func:`metareview.bias.ranktest`);
        ``exact=False`` asks for the normal approximation even without ties."""
        from metareview import bias

        return bias.ranktest(self, exact=exact)

    def trimfill(
        self, side: Literal["left", "right"] | None = None, estimator: Literal["L0", "R0", "Q0"] = "L0"
    ) -> Any:
        """Trim-and-fill (:func:`metareview.bias.trimfill`)."""
        from metareview import bias

        return bias.trimfill(self, side=side, estimator=estimator)

    def fsn(self) -> Any:
        """Rosenthal's fail-safe N (:func:`metareview.bias.fsn`) of the studies the model
        fits: a convenience, as metafor 3.8-1's ``fsn`` takes only data.

        Raises
        ------
        ValueError
            The model has moderators: the fail-safe N reads yi and vi alone, so it would
            leave them out without a word.
        """
        from metareview import bias

        if not self.int_only:
            raise ValueError("fsn: the fail-safe N reads only yi and vi, and this model has moderators, which it "
                             "would leave out; call fsn(res.yi, res.vi) to compute it from the studies alone")
        return bias.fsn(self.yi, self.vi)

    def anova(
        self,
        res2: RMAResult | None = None,
        *,
        btt: Any = None,
        X: Any = None,
        rhs: Any = None,
        test: Literal["LRT", "Wald"] | None = None,
        refit: bool = False,
    ) -> Any:
        """Wald-type tests of the coefficients (``btt``), of linear combinations of them
        (``X``), or the likelihood ratio test against a nested model ``res2``
        (:func:`metareview.hypotheses.anova`, metafor's ``anova.rma``)."""
        from metareview import hypotheses

        return hypotheses.anova(  # type: ignore[call-overload]
            self, res2, btt=btt, X=X, rhs=rhs, test=test, refit=refit
        )

    def blup(
        self, level: float | None = None, transf: Callable[[float], float] | None = None
    ) -> Any:
        """Best linear unbiased predictions of the studies' true effects, the shrunken
        estimates x_i'b + lambda_i (y_i - x_i'b) (:func:`metareview.blups.blup`, metafor's
        ``blup.rma.uni``)."""
        from metareview import blups

        return blups.blup(self, level=level, transf=transf)

    def ranef(
        self, level: float | None = None, transf: Callable[[float], float] | None = None
    ) -> Any:
        """Best linear unbiased predictions of the random effects, lambda_i (y_i - x_i'b)
        (:func:`metareview.blups.ranef`, metafor's ``ranef.rma.uni``)."""
        from metareview import blups

        return blups.ranef(self, level=level, transf=transf)


# =========================================================================== Q-profile CI


def _fmt_p(p: float | None, digits: int) -> str:
    """metafor's ``.pval``: below 10^-digits as ``<.0001``, else with ``digits`` decimals."""
    if p is None or not math.isfinite(p):
        return "NA"
    if p < 10.0**-digits:
        return "<." + "0" * (digits - 1) + "1"
    return f"{p:.{digits}f}"


def _fmt(x: float | None, digits: int) -> str:
    """A number with ``digits`` decimals as R prints it: ``Inf``/``-Inf`` for an infinite
    one (the z of a fit with se = 0, e.g. one step of ``cumul`` on a study of vi = 0),
    ``NA`` for a missing one (None or nan, where R would print NA or NaN)."""
    if x is None or math.isnan(x):
        return "NA"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    return f"{x:.{digits}f}"


def _fcf_columns(
    columns: Sequence[Any], digits: int, undefined: Sequence[Any] | None = None
) -> list[list[str]]:
    """Columns printed together as metafor's ``.fcf`` prints them: NA throughout when
    every value in them is missing (nan); otherwise each with ``digits`` decimals (as
    :func:`_fmt`), a nan printed NaN (R's 0/0 or a ``transf``'s NaN) where ``undefined``
    marks it, per column (None: every nan of that column), else NA."""
    values = [np.asarray(c, dtype=float).ravel() for c in columns]
    if all(np.all(np.isnan(v)) for v in values):
        return [["NA"] * v.size for v in values]
    marks = undefined if undefined is not None else (None,) * len(values)
    return [
        [
            "NaN" if math.isnan(x) and (mark is None or mark[i]) else _fmt(x, digits)
            for i, x in enumerate(v.tolist())
        ]
        for v, mark in zip(values, marks, strict=True)
    ]


def _table(
    header: list[str],
    rows: list[list[str]],
    names: list[str] | None,
    width: int | None = None,
) -> list[str]:
    """Right-aligned columns two spaces apart (row names left-aligned), as R prints a
    data frame with ``print.gap = 2`` (metafor's tables).

    With ``width`` (R's ``options("width")``, :data:`_R_WIDTH` for metafor's default),
    the columns that do not fit print in further blocks below, each with the row names,
    as R's ``print.default`` of a matrix wraps them: a block takes its first column and
    then each next one while the row names' width r plus the block's columns, each
    counted with its gap of 2, stays below ``width``, that is while
    r + sum(w_j + 2) < width (R's ``printMatrix``; with no row names r = 0).
    """
    cols = [header, *rows]
    widths = [max(len(r[j]) for r in cols) for j in range(len(header))]
    name_w = max((len(n) for n in names), default=0) if names else 0
    blocks = [list(range(len(header)))]
    if width is not None and header:
        blocks, used = [[0]], name_w + widths[0] + 2
        for j in range(1, len(header)):
            if used + widths[j] + 2 < width:
                blocks[-1].append(j)
                used += widths[j] + 2
            else:
                blocks.append([j])
                used = name_w + widths[j] + 2
    out = []
    for block in blocks:
        for i, r in enumerate(cols):
            lead = (
                ""
                if not names
                else (" " * name_w if i == 0 else names[i - 1].ljust(name_w)) + "  "
            )
            out.append(lead + "  ".join(r[j].rjust(widths[j]) for j in block))
    return out


def _p_clause(p: float | None, digits: int) -> str:
    """``p-val = 0.0012`` or ``p-val < .0001``, as metafor's test lines read."""
    text = _fmt_p(p, digits)
    return f"p-val < {text[1:]}" if text.startswith("<") else f"p-val = {text}"


def _labelled(pairs: list[tuple[str, str]]) -> list[str]:
    width = max(len(label) for label, _ in pairs) + 1
    return [f"{(label + ':').ljust(width)} {value}" for label, value in pairs]


#: metafor's legend of the significance stars, as R 4.2 prints ``symnum``'s legend in a
#: UTF-8 session (its quotes are ``sQuote``'s; "Signif. codes: " and the legend are
#: two arguments of one ``cat``, hence the two spaces)
_SIGNIF_LEGEND = (
    "Signif. codes:  0 \u2018***\u2019 0.001 \u2018**\u2019 0.01 \u2018*\u2019 0.05 "
    "\u2018.\u2019 0.1 \u2018 \u2019 1"
)


def _signif_stars(p: float | None) -> str:
    """metafor's significance mark of a p-value: R's ``symnum(p, cutpoints = c(0, 0.001,
    0.01, 0.05, 0.1, 1), symbols = c("***", "**", "*", ".", " "), na = FALSE)``, whose
    intervals are closed on the right and include 0: ``***`` for p <= 0.001, ``**`` for
    p <= 0.01, ``*`` for p <= 0.05, ``.`` for p <= 0.1, ``" "`` up to 1, and ``""`` for a
    missing p-value (None or nan), which ``na = FALSE`` leaves invisible."""
    if p is None or not 0.0 <= p <= 1.0:  # nan fails both comparisons
        return ""
    for cut, mark in ((0.001, "***"), (0.01, "**"), (0.05, "*"), (0.1, ".")):
        if p <= cut:
            return mark
    return " "


def _summary_head(res: RMAResult, digits: int) -> list[str]:
    """The lines of :meth:`RMAResult.summary` above the omnibus test and the table of
    coefficients: the title, the heterogeneity statistics and the test for (residual)
    heterogeneity, each block followed by a blank line. A cluster-robust fit
    (:mod:`metareview.sandwich`) prints them as the model's, as metafor does."""
    fixed = res.method in _FIXED
    mixed = not res.int_only
    if fixed:
        # metafor 3.8-1 names an equal-effects model by its method only without
        # moderators: with them every FE/EE fit is a "Fixed-Effects with Moderators Model"
        if mixed:
            title = "Fixed-Effects with Moderators Model"
        else:
            title = f"{'Fixed' if res.method == 'FE' else 'Equal'}-Effects Model"
        lines = [f"{title} (k = {res.k})", ""]
    else:
        title = "Mixed-Effects Model" if mixed else "Random-Effects Model"
        how = "user-specified tau^2 value" if res.tau2_fix else f"tau^2 estimator: {res.method}"
        lines = [f"{title} (k = {res.k}; {how})", ""]
    which = "residual" if mixed else "total"
    pairs: list[tuple[str, str]] = []
    if not fixed:
        se = "" if res.se_tau2 is None else f" (SE = {_fmt(res.se_tau2, digits)})"
        # metafor prints a tau^2 within 10 machine epsilons of 0, and its tau, with no
        # decimals ("0", not "0.0000"): an estimate at the boundary, not a small one
        zero = abs(res.tau2) <= 10 * _EPS
        tau2 = _fmt(res.tau2, 0 if zero else digits) + se
        pairs.append((f"tau^2 (estimated amount of {which} heterogeneity)", tau2))
        tau = _fmt(res.tau, 0 if res.tau2 <= 10 * _EPS else digits)
        pairs.append(("tau (square root of estimated tau^2 value)", tau))
    if res.I2 is not None:
        unacc = "unaccounted" if mixed else "total"
        pairs.append((f"I^2 ({which} heterogeneity / {unacc} variability)", f"{res.I2:.2f}%"))
        pairs.append((f"H^2 ({unacc} variability / sampling variability)", f"{res.H2:.2f}"))
    if res.R2 is not None:
        # metafor prints an undefined R^2 (NaN, NA) as "NA%" and leaves out only a
        # missing one (NULL: no moderators, no intercept)
        pairs.append(("R^2 (amount of heterogeneity accounted for)", f"{_fmt(res.R2, 2)}%"))
    if pairs:
        lines += [*_labelled(pairs), ""]
    if res.QE is not None:
        lines.append(f"Test for {'Residual ' if mixed else ''}Heterogeneity:")
        q = "QE" if mixed else "Q"
        lines += [
            f"{q}(df = {res.k - res.p}) = {_fmt(res.QE, digits)}, {_p_clause(res.QEp, digits)}",
            "",
        ]
    return lines


def _width(width: Any) -> int | None:
    """A summary's ``width`` checked: None, or a whole number R would take as
    ``options(width = )`` (10 to 10000)."""
    if width is None:
        return None
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or not (
        10 <= width <= 10000
    ):
        raise ValueError(
            f"width must be None or a whole number of columns from 10 to 10000, as R's "
            f"options(width), got {width!r}"
        )
    return int(width)


def _summary_text(
    res: RMAResult,
    digits: int,
    stars: bool = True,
    legend: bool = True,
    width: int | None = _R_WIDTH,
) -> str:
    """Text of :meth:`RMAResult.summary` (metafor 3.8's ``print.rma.uni`` layout): with
    ``stars`` a last, unnamed column of :func:`_signif_stars`, with ``legend`` the lines
    "---" and :data:`_SIGNIF_LEGEND` after a blank line, as metafor prints them; the
    table wrapped at ``width`` as R wraps it (see :func:`_table`)."""
    mixed = not res.int_only
    lines = _summary_head(res, digits)
    use_t = res.test != "z"
    # metafor prints the omnibus test only of more than one coefficient (for one, a model
    # without intercept and one moderator, it is the coefficient's own test in the
    # table) and only when it is defined
    if mixed and res.p > 1 and not math.isnan(res.QM):
        m = res.QMdf[0]
        coefs = f"coefficient{'' if m == 1 else 's'} {_format_btt(res.btt)}"
        stat = f"F(df1 = {m}, df2 = {res.QMdf[1]})" if use_t else f"QM(df = {m})"
        stat += f" = {_fmt(res.QM, digits)}, {_p_clause(res.QMp, digits)}"
        lines += [f"Test of Moderators ({coefs}):", stat, ""]
    lines += ["Model Results:", ""]
    header = ["estimate", "se", "tval" if use_t else "zval"]
    if use_t:
        header.append("df")
    header += ["pval", "ci.lb", "ci.ub"]
    if stars:
        header.append("")  # metafor names the column of stars ""
    statv = res.zval_beta  # the statistic of every test, as metafor's res$zval
    rows = []
    for j in range(res.p):
        row = [_fmt(res.beta[j], digits), _fmt(res.se_beta[j], digits), _fmt(statv[j], digits)]
        if use_t:
            row.append(str(res.k - res.p))
        row += [
            _fmt_p(float(res.pval_beta[j]), digits),
            _fmt(res.ci_lb_beta[j], digits),
            _fmt(res.ci_ub_beta[j], digits),
        ]
        if stars:
            row.append(_signif_stars(float(res.pval_beta[j])))
        rows.append(row)
    # a blank mark (p > 0.1) pads the line as R's does: the padding is dropped, as the
    # library drops the space R's cat leaves at the end of every line
    lines += [
        line.rstrip()
        for line in _table(header, rows, list(res.coef_names) if mixed else None, width)
    ]
    if legend:
        lines += ["", "---", _SIGNIF_LEGEND]
    return "\n".join(lines)


def _q_single(
    y: np.ndarray, v: np.ndarray, t: float, w: np.ndarray, r: np.ndarray
) -> tuple[float, float]:
    """Q(t) = sum w (y - mu_w)^2 of the intercept-only model, w = 1/(v + t), and
    y'PPy = sum w^2 (y - mu_w)^2 (= -dQ/dt), with explicit residuals (as :class:`_WLS`),
    in the work buffers ``w`` and ``r``."""
    np.add(v, t, out=w)
    np.divide(1.0, w, out=w)
    mu = float(w @ y) / float(np.add.reduce(w))
    np.subtract(y, mu, out=r)
    np.multiply(w, r, out=w)  # w r = P y
    return float(w @ r), float(w @ w)


def _solve_q_single(
    y: np.ndarray, v: np.ndarray, target: float, start: float, con: dict[str, Any], work: np.ndarray
) -> float:
    """:func:`_solve_q_general` for the intercept-only model (same steps and stopping rule)."""
    tol = float(con["tol"])
    t = max(0.0, start)
    for _ in range(int(con["maxiter"])):
        Q, A2 = _q_single(y, v, t, work[0], work[1])
        f = Q - target
        if f == 0.0 or A2 == 0.0 or abs(f) <= 8 * _EPS * max(Q, target):
            return t
        new = max(0.0, t + f / A2)  # Newton: slope dQ/dt = -y'PPy
        if _q_newton_done(f, new, t, tol):
            return new
        t = new
    raise RuntimeError(f"Q-statistic root search did not converge in {con['maxiter']} iterations")


def q_profile_ci(
    yi: Any,
    vi: Any,
    *,
    X: Any = None,
    tau2: float,
    vt: float,
    I2: float,
    H2: float,
    level: float = 95.0,
    control: Mapping[str, Any] | None = None,
) -> ConfintResult:
    """Q-profile confidence interval for tau^2 (Viechtbauer 2007), as ``confint.rma.uni``.

    Search interval [tau2_min, tau2_max] = [min(0, tau2), max(100, 10 tau2)], or up to
    ``control["tau2_max"]`` when that is given (higher or lower: metafor's ``confint``
    takes a model's ``tau2.max`` as the interval's end); a bound that falls outside it is reported as the interval end with ``lb_sign``/``ub_sign``. The
    roots of Q(tau^2) = chi-square quantile are found to the relative tolerance
    ``control["tol"]`` (Q is convex and decreasing: monotone Newton iterations).
    """
    y, v = _check_yi_vi(yi, vi, _ARRAY_ROUTE)
    Xa = None if X is None else np.asarray(X, dtype=float)
    con = _control({key: val for key, val in (control or {}).items() if key in DEFAULT_CONTROL})
    return _q_profile(y, v, Xa, tau2, vt, I2, H2, level, con)


def _q_profile(
    y: np.ndarray,
    v: np.ndarray,
    X: np.ndarray | None,
    tau2: float,
    vt: float,
    I2: float,
    H2: float,
    level: float,
    con: dict[str, Any],
) -> ConfintResult:
    """:func:`q_profile_ci` on validated arrays; ``X=None`` is the intercept-only model,
    whose Q(tau^2) is a few dot products (no QR decomposition per evaluation)."""
    k = y.size
    if X is None:
        p = 1
        work = _scratch(2, k)

        def q_at(t: float) -> float:
            return _q_single(y, v, t, work[0], work[1])[0]

        def newton(target: float, start: float) -> float:
            return _solve_q_single(y, v, target, start, con, work)

    else:
        p = X.shape[1]

        def q_at(t: float) -> float:
            return _q_at(y, v, X, t)

        def newton(target: float, start: float) -> float:
            return _solve_q_general(y, v, X, target, start, con)[0]

    def root(target: float) -> float:
        if con["uniroot_tol"] is None:
            return newton(target, tau2_min)
        # metafor's confint() runs uniroot with maxiter = 1000
        return _zeroin(
            lambda t: q_at(t) - target,
            tau2_min,
            tau2_max,
            Q_min - target,
            Q_max - target,
            float(con["uniroot_tol"]),
            1000,
        )

    alpha = alpha_from_level(level)
    df = k - p
    crit_u = float(dist.chi2_isf(alpha / 2, df))
    crit_l = float(dist.chi2_ppf(alpha / 2, df))
    tau2_min = min(0.0, tau2)
    # metafor's confint.rma.uni: the model's tau2.max when one was given, else its default.
    given = con.get("tau2_max")
    tau2_max = float(given) if given is not None else max(100.0, 10.0 * tau2, 10.0 * tau2_min)
    Q_max = q_at(tau2_max)
    Q_min = q_at(tau2_min)
    lb = ub = math.nan
    lb_sign = ub_sign = ""
    ci_null = False
    # upper bound
    if Q_min < crit_l:
        lb = ub = tau2_min
        lb_sign = ub_sign = "<"
        ci_null = tau2_min <= 0
    elif Q_max > crit_l:
        ub, ub_sign = tau2_max, ">"
    else:
        ub = root(crit_l)
    # lower bound
    if Q_max > crit_u:
        lb = ub = tau2_max
        lb_sign = ub_sign = ">"
    elif Q_min < crit_u:
        lb = tau2_min  # the search starts at tau2_min <= 0: a bound there is exact, unsigned
    else:
        lb = root(crit_u)

    def i2(t: float) -> float:
        return 100.0 * t / (vt + t)

    def h2(t: float) -> float:
        return t / vt + 1.0

    return ConfintResult(
        level=level,
        tau2=tau2,
        tau2_ci_lb=lb,
        tau2_ci_ub=ub,
        tau=math.sqrt(tau2) if tau2 >= 0 else math.nan,
        tau_ci_lb=math.sqrt(lb) if lb >= 0 else math.nan,
        tau_ci_ub=math.sqrt(ub) if ub >= 0 else math.nan,
        I2=I2,
        I2_ci_lb=i2(lb),
        I2_ci_ub=i2(ub),
        H2=H2,
        H2_ci_lb=h2(lb),
        H2_ci_ub=h2(ub),
        lb_sign=lb_sign,
        ub_sign=ub_sign,
        ci_null=ci_null,
        tau2_min=tau2_min,
        tau2_max=tau2_max,
    )


# =========================================================================== rma


def _wald(
    beta: np.ndarray, vb: np.ndarray, use_t: bool, df: int, level: float, btt: np.ndarray
) -> dict[str, Any]:
    se = np.sqrt(np.diag(vb))
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = beta / se
    alpha = alpha_from_level(level)
    if use_t:
        pval = dist.two_sided_t_p(stat, df) if df > 0 else np.full(beta.size, np.nan)
        crit = dist.t_isf(alpha / 2, df) if df > 0 else math.nan
    else:
        pval = dist.two_sided_norm_p(stat)
        crit = dist.norm_isf(alpha / 2)
    pval = np.atleast_1d(np.asarray(pval, dtype=float))
    QM, QMdf, QMp = _omnibus(beta, vb, use_t, df, btt)
    return {
        "se": se,
        "stat": stat,
        "pval": pval,
        "ci_lb": beta - crit * se,
        "ci_ub": beta + crit * se,
        "QM": QM,
        "QMdf": QMdf,
        "QMp": QMp,
    }


def _omnibus(
    beta: np.ndarray, vb: np.ndarray, use_t: bool, df: int, btt: np.ndarray
) -> tuple[float, tuple[int, int | None], float]:
    """The omnibus Wald test of the coefficients ``btt`` (metafor's ``QM``).

    QM = b' V^-1 b with b = beta[btt] and V = vb[btt, btt], referred to chi^2(m) with
    m = len(btt); under the t-type tests (t, knha, adhoc) F = QM/m, referred to
    F(m, k - p) (Hartung & Knapp 2001). NaN when V is not positive definite, where
    metafor's ``chol`` fails and it reports NA.

    References
    ----------
    Hartung J, Knapp G (2001). A refined method for the meta-analysis of controlled
    clinical trials with binary outcome. Statistics in Medicine 20(24):3875-3889.
    """
    b = beta[btt]
    try:
        L = np.linalg.cholesky(vb[np.ix_(btt, btt)])
        z = np.linalg.solve(L, b)
        QM = float(z @ z)
    except np.linalg.LinAlgError:
        QM = math.nan
    m = btt.size
    if use_t:
        QM = QM / m
        QMdf: tuple[int, int | None] = (m, df)
        QMp = float(dist.f_sf(QM, m, df)) if df > 0 else math.nan
    else:
        QMdf = (m, None)
        QMp = float(dist.chi2_sf(QM, m))
    return QM, QMdf, QMp


def _btt_indices(btt: Any, coef_names: Sequence[str]) -> np.ndarray:
    """The coefficients ``btt`` selects, as sorted 0-based indices (metafor's ``.set.btt``).

    A string is a regular expression searched for in each coefficient name, as metafor
    3.8-1 reads a character ``btt`` (``grep(btt, colnames(X))``); a sequence of strings
    names coefficients exactly; integers are 0-based indices, as everywhere in Python.
    Repeated indices count once, as metafor sorts and drops them. Negative indices are
    refused rather than read either way (they count from the end in Python and exclude
    in R), and so are indices beyond the p coefficients, which metafor drops silently:
    a test of fewer coefficients than asked for is easy to miss.
    """
    names = list(coef_names)
    p = len(names)
    if isinstance(btt, str):
        try:
            pattern = re.compile(btt)
        except re.error as exc:
            raise ValueError(f"btt {btt!r} is not a regular expression ({exc})") from None
        idx = [j for j, name in enumerate(names) if pattern.search(name)]
        if not idx:
            raise ValueError(f"btt {btt!r} matches none of the coefficients {names}")
        return np.array(idx, dtype=np.intp)
    items: list[Any] = list(np.ravel(np.asarray(btt, dtype=object))) if not np.isscalar(btt) else [btt]
    if not items:
        raise ValueError(f"btt selects no coefficient; give indices or names of {names}")
    if all(isinstance(i, str) for i in items):
        unknown = [i for i in items if i not in names]
        if unknown:
            raise ValueError(f"btt names {unknown}, not among the coefficients {names}")
        repeated = sorted({i for i in items if names.count(i) > 1})
        if repeated:
            # metafor's renaming can leave a name twice (columns x.1, x, x); the first
            # would be taken for both without a word
            raise ValueError(
                f"btt names {repeated}, which name more than one of the coefficients "
                f"{names}; give 0-based indices"
            )
        return np.array(sorted({names.index(i) for i in items}), dtype=np.intp)
    integral = (int, np.integer)
    if not all(isinstance(i, integral) and not isinstance(i, (bool, np.bool_)) for i in items):
        raise ValueError(
            f"btt must be 0-based integer indices, coefficient names or one regular "
            f"expression, got {btt!r}"
        )
    idx = sorted({int(i) for i in items})
    if idx[0] < 0:
        raise ValueError(
            "btt holds negative indices; give the 0-based indices of the coefficients to "
            "test (R's negative indices, which exclude, are not read)"
        )
    if idx[-1] >= p:
        raise ValueError(f"btt holds index {idx[-1]}, beyond the p = {p} coefficients {names}")
    return np.array(idx, dtype=np.intp)


def _format_btt(btt: Sequence[int]) -> str:
    """1-based coefficient numbers as metafor prints them (``.format.btt``): runs of
    consecutive numbers as ``first:last``, joined by commas (``"1,3"``, ``"2:4"``)."""
    nums = [int(j) + 1 for j in btt]
    parts: list[str] = []
    start = 0
    for i in range(1, len(nums) + 1):
        if i == len(nums) or nums[i] != nums[i - 1] + 1:
            run = nums[start:i]
            parts.append(str(run[0]) if len(run) == 1 else f"{run[0]}:{run[-1]}")
            start = i
    return ",".join(parts)


def _all_equal(y: np.ndarray) -> bool:
    """Whether every yi is the same number: metafor's ``identical(var(yi), 0)``.

    R's ``var`` refines the mean with a second pass, so equal values give exactly 0;
    ``np.var`` can leave a residue (1.2e-32 for three yi of 0.7, whose sum/3 is not 0.7),
    from which ``lm`` fits noise and an R^2 of anything from 0 to 100%.
    """
    return bool(np.all(y == y[0]))


def _weighted_adj_r2(y: np.ndarray, X: np.ndarray, w: np.ndarray) -> float:
    """Adjusted R^2 of a weighted least-squares fit (R's ``summary.lm(...)$adj.r.squared``)."""
    n, p = X.shape
    fit = _WLS(y, w, X)
    fitted = y - fit.resid
    m = float(np.sum(w * fitted) / np.sum(w))
    mss = float(np.sum(w * (fitted - m) ** 2))
    rss = fit.RSS
    r2 = mss / (mss + rss)
    return 1.0 - (1.0 - r2) * ((n - 1) / (n - p))


def rma(
    yi: Any,
    vi: Any = None,
    *,
    method: str = "REML",
    test: str = "z",
    level: float = 95.0,
    mods: Any = None,
    intercept: bool = True,
    slab: Sequence[Any] | None = None,
    control: Mapping[str, Any] | None = None,
    ni: Any = None,
    subset: Any = None,
    btt: Any = None,
    weights: Any = None,
    weighted: bool = True,
    sei: Any = None,
    tau2: float | None = None,
) -> RMAResult:
    """Fit an equal-, random- or mixed-effects meta-analytic model (metafor's ``rma.uni``).

    Parameters
    ----------
    yi, vi : array_like, shape (k,)
        Observed effect sizes and their sampling variances (finite, vi >= 0). As in
        metafor, ``rma(es)`` with the :class:`~metareview.effects.EffectSizes` of
        ``escalc`` and no ``vi`` fits its ``yi`` and ``vi`` and keeps its total sample
        sizes ``ni`` (metafor's ``attr(yi, "ni")``).
    method : str
        tau^2 estimator, one of :data:`METHODS` (default ``"REML"``).
    test : str
        ``"z"`` (default), ``"t"``, ``"knha"`` (Hartung & Knapp 2001: se =
        sqrt(s2w / sum w) with s2w = sum w_i (y_i - mu)^2 / (k - p), t(k - p) quantiles;
        s2w is *not* truncated at 1) or ``"adhoc"`` (s2w truncated below at 1).
    level : float
        Confidence level in percent (default 95); read as metafor reads it, 0.95 and
        0.05 also ask for a 95% interval (:func:`metareview.arguments.alpha_from_level`).
    mods : array_like, shape (k,) or (k, m), mapping name -> array, or DataFrame, optional
        Numeric moderators (a factor as 0/1 dummy columns); an intercept column is added
        when ``intercept`` is True. A mapping's keys and a DataFrame's columns name the
        coefficients; as in metafor, a 1-D array is named ``mods``, the columns of a 2-D
        array (an R matrix without column names) ``.1``, ``.2``, ... (one column: ""),
        and repeated names get the suffixes ``.1``, ``.2``, ...
    intercept : bool
    slab : sequence of str, optional
        Study labels (default ``"1"``..``"k"``, as metafor); repeated labels get the
        suffixes ``.1``, ``.2``, ... (``"Lee 2004.1"``), as metafor makes them unique.
    control : mapping, optional
        Solver options, see :data:`DEFAULT_CONTROL`.
    ni : array_like, shape (k,), optional
        The studies' total sample sizes, kept as ``res.ni`` for the sample-size
        predictors of :meth:`RMAResult.regtest`; given, they take the place of those of
        an ``EffectSizes`` (as in metafor). They do not enter the fit.
    subset : array_like, optional
        The studies to fit, as metafor's ``subset``: a boolean mask of length k or
        0-based indices, each given once (kept in the data's order; metafor's negative
        indices, which exclude, are refused, and so is a pandas ``Index``, whose labels
        are not positions: pass a mask such as ``(df.x == "a").to_numpy()``). ``yi``, ``vi``, ``mods``, ``slab`` and ``ni`` are given for
        all k studies and subset alike; default labels stay those of the full data
        (``"2"``, ``"5"``, ...), as metafor's.
    btt : int, sequence of int or str, str, optional
        The coefficients the omnibus test ``QM`` covers (metafor's ``btt``): 0-based
        indices into ``coef_names`` (``btt=[0, 2]`` is metafor's ``btt=c(1,3)``), exact
        coefficient names (``["ablat"]``), or one string, a regular expression searched
        for in each name, as metafor 3.8-1 reads a character ``btt`` (``"year"``).
        Default: every coefficient but the intercept (the intercept alone without
        moderators). QM = b' V^-1 b over those coefficients, chi^2(m), or F = QM/m on
        (m, k - p) df under t, knha and adhoc (Hartung & Knapp 2001); ``res.btt`` keeps
        the indices. Nothing else in the fit depends on it.
    weights : array_like, shape (k,), or float, optional
        Weights a_i >= 0 (finite; one number is every study's) for the fixed effects in
        place of 1/(vi + tau^2), as metafor's ``weights``: beta = (X'AX)^-1 X'A y with
        A = diag(a), and vb = s2w (X'AX)^-1 X'A M A X (X'AX)^-1 with M = diag(vi + tau^2),
        the sandwich form, since 1/a_i is not the variance of y_i. tau^2, its SE, QE, I^2,
        H^2 and the Knapp-Hartung s2w are those of the fit without weights (no estimator
        offered here reads them); the log-likelihoods take the residuals of the weighted
        fit. ``res.weights`` reports 100 a_i / sum a. Given for all studies, as ``yi``.
        As unweighted (below), a study of vi = 0 at tau^2 = 0 is fitted, as in metafor.
    weighted : bool
        False fits the fixed effects by ordinary least squares (A = I above, ``weights``
        then kept but not used), as metafor's ``weighted=FALSE``; default True. As in
        metafor, such a fit needs no weight 1/(vi + tau^2): a study of vi = 0 at
        tau^2 = 0 (FE/EE, or an HE or SJ tau^2 of 0) is fitted, with the log-likelihoods
        NaN, unless ``test`` is ``"knha"``/``"adhoc"``, whose s2w takes those weights.
    sei : array_like, shape (k,), optional
        Standard errors in place of ``vi``: vi = sei^2 (metafor's ``sei``). Give one of
        the two; metafor 3.8-1 fits ``vi`` and ignores ``sei`` when both are given, here
        that is refused, since the two can disagree.
    tau2 : float, optional
        A fixed value of tau^2 (>= 0) in place of an estimate, as metafor's ``tau2``:
        for a sensitivity analysis with a tau^2 taken from elsewhere. Nothing is
        estimated; the weights are w_i = 1/(v_i + tau2), I^2 and H^2 follow from the
        given value, ``tau2_fix`` is True and the model counts no variance parameter
        (``fitstats``). ``se_tau2`` is the ``method``'s standard-error formula at the
        given value, as metafor reports it. With moderators it is the residual
        heterogeneity, and a model may then have as many coefficients as studies. An
        FE/EE model ignores it (with a warning; metafor ignores it silently). A negative
        value is refused: metafor replaces it by 0 or stops, depending on the estimator
        and the data (and its Fisher scoring can loop without end).

    Returns
    -------
    RMAResult

    Notes
    -----
    Weights w_i = 1/(v_i + tau^2); beta = (X'WX)^-1 X'W y; vb = s2w (X'WX)^-1.
    I^2 = 100 tau^2/(tau^2 + vt), H^2 = (tau^2 + vt)/vt with
    vt = (k - p)/tr(P), w = 1/v (Higgins & Thompson 2002 with metafor's typical within-study
    variance); for FE/EE I^2 = max(0, 100 (QE - (k - p))/QE), H^2 = QE/(k - p).
    With k = 1 tau^2 is 0 (unless given) and the test is the z-test (as in metafor).

    With a fixed tau^2 the standard errors of tau^2 are metafor's formulas at that value:
    REML sqrt(2/tr(PP)), ML sqrt(2/sum w^2), PM/PMM/EB sqrt(2 k^2/((k - p) (sum w)^2))
    with w = 1/(v + tau2); DL, HS, HE and SJ their method-of-moments variances with
    tau2 in place of the estimate (Viechtbauer 2005; Viechtbauer 2010, ``rma.uni``).

    References
    ----------
    Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators in the
    random-effects model. Journal of Educational and Behavioral Statistics 30(3):261-293.
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
    Journal of Statistical Software 36(3):1-48.

    With ``weights`` or ``weighted=False`` the covariance is the sandwich form above, as
    in metafor (Viechtbauer 2010; for unweighted estimation and its variance, Laird &
    Mosteller 1990; Hedges & Olkin 1985, ch. 9).

    pandas Series (and a DataFrame of moderators) are used by position, like arrays; they
    must share one index, and that of escalc's ``EffectSizes`` when it kept one
    (``es.index``), else ``ValueError`` (pandas would pair them by label). The data's
    index is kept as ``res.index``.
    """
    if sei is not None:
        if vi is not None or (hasattr(yi, "yi") and hasattr(yi, "vi")):
            # metafor fits vi and drops sei without a word; two sources of the same
            # variances that may disagree are better refused than one silently chosen
            raise TypeError(
                "rma got both sampling variances (vi, or the EffectSizes of escalc) and "
                "standard errors (sei): give one of them"
            )
        check_aligned({"yi": yi, "sei": sei}, "rma")
        se_arr = _as_vector(sei, "sei")
        if np.any(se_arr < 0):
            # metafor squares whatever it is given; a negative standard error is a
            # data error (a sign copied from the effect), not a variance
            bad = np.flatnonzero(se_arr < 0)
            raise ValueError(
                f"sei must be >= 0: negative standard errors in {bad.size} studies "
                f"(indices {bad[:10].tolist()})"
            )
        vi = se_arr * se_arr
        if hasattr(sei, "index") and not hasattr(sei, "columns"):
            # keep the index so that check_aligned below still pairs mods, slab, ni
            vi = type(sei)(vi, index=sei.index)
    if vi is not None and hasattr(yi, "yi") and hasattr(yi, "vi"):
        # metafor's rma(yi, vi, data=es) reads columns; rma(es, v) here would fail on
        # float(es) with a message that names neither argument
        raise TypeError(
            "rma got escalc's EffectSizes and vi: pass the EffectSizes alone, rma(es), "
            "which fits its yi and vi, or the two arrays, rma(es.yi, es.vi)"
        )
    if vi is not None and _one_value(vi) and np.size(yi) > 1:
        # one variance (or standard error) for every study, recycled as metafor recycles
        # a vi of length one: a common precision, as in a simulation
        vi = np.full(np.size(yi), float(_as_vector(vi, "vi" if sei is None else "sei")[0]))
    if vi is None:
        if not (hasattr(yi, "yi") and hasattr(yi, "vi")):
            raise TypeError(
                "rma needs the sampling variances vi (or, as its only data argument, the "
                "EffectSizes returned by escalc)"
            )
        if ni is None:
            ni = getattr(yi, "ni", None)
        es, yi, vi = yi, yi.yi, yi.vi
    else:
        es = None
    # escalc's EffectSizes carries the index of the pandas data it was made from
    check_aligned(
        {"es": es, "yi": yi, "vi": vi, "mods": mods, "slab": slab, "ni": ni, "subset": subset},
        "rma",
    )
    check_aligned({"es": es, "yi": yi, "weights": weights}, "rma")
    index = _data_index(es, yi, vi)
    slab_null = slab is None  # before subset, which sets the default labels itself
    n = _sample_sizes(ni, np.size(yi))
    keep = None if subset is None else _subset_mask(subset, np.size(yi))
    a = _given_weights(weights, np.size(yi), keep)
    if keep is not None:
        _check_kept(yi, vi, keep)
        yi, vi, mods, slab, n = _apply_subset(keep, yi, vi, mods, slab, n)
        if a is not None:
            a = a[keep]
    if slab is not None:
        # metafor makes repeated labels unique (.make.unique: "Lee 2004.1", "Lee
        # 2004.2"), after subsetting, so that each row of a diagnostic names one study
        slab = [str(s) for s in slab]
        if len(set(slab)) < len(slab):
            slab = list(_make_unique(slab))
    res = _rma_impl(
        yi,
        vi,
        method=method,
        test=test,
        level=level,
        mods=mods,
        intercept=intercept,
        slab=slab,
        control=control,
        skip_r2=False,
        weights=a,
        weighted=weighted,
        tau2=tau2,
    )
    if n is not None:
        # kept, not fitted: set on the frozen result once the fit has succeeded
        res.__dict__["ni"] = _readonly(n)
    if keep is not None:
        res.__dict__["subset"] = _readonly(keep)
    if index is not None:
        # kept by reference (pandas indexes are immutable), not a field: to_dict and the
        # results written from a fit stay as they are
        res.__dict__["_index"] = index
    if slab_null:
        res.__dict__["_slab_null"] = True
    if btt is not None:
        _set_btt(res, btt)
    return res


def _categories(groups: Any) -> list[Any] | None:
    """The categories of a pandas ``Categorical`` or of a Series of that dtype, in their
    order, or None for anything else."""
    cat = getattr(groups, "cat", None) if hasattr(groups, "dtype") else None
    categories = getattr(cat if cat is not None else groups, "categories", None)
    if categories is None or not hasattr(categories, "tolist"):
        return None
    return list(categories.tolist())


def _data_index(*values: Any) -> Any:
    """The pandas index of the first of ``values`` that has one (an EffectSizes made from
    pandas Series, or a Series), or None."""
    for value in values:
        index = getattr(value, "index", None)
        if hasattr(index, "equals") and getattr(value, "ndim", 1) == 1:
            return index
    return None


def _check_kept(yi: Any, vi: Any, keep: np.ndarray, route: str = _RMA_ROUTE) -> None:
    """Refuse a missing, infinite or negative value among the studies ``subset`` keeps,
    naming its place in the data as given: checked after subsetting, ``yi[2]`` was the
    third study fitted, not the third given. The studies left out are not checked (as
    metafor's ``subset`` leaves them out before anything)."""
    y, v = _as_vector(yi, "yi"), _as_vector(vi, "vi")
    if y.shape != v.shape or y.shape != keep.shape:
        return  # said by the fit's own checks
    with np.errstate(invalid="ignore"):
        if np.all(np.isfinite(y[keep])) and np.all(np.isfinite(v[keep])) and np.all(v[keep] >= 0):
            return
    # the studies left out given harmless values, so that only a kept one is named
    _explain_bad_data(np.where(keep, y, 0.0), np.where(keep, v, 1.0), route)


def _one_value(x: Any) -> bool:
    """Whether ``x`` is one number (or a sequence of one); False for a ragged sequence,
    which the conversion of the argument then refuses by name."""
    try:
        return bool(np.size(x) == 1)
    except (TypeError, ValueError):
        return False


def _set_btt(res: RMAResult, btt: Any) -> None:
    """Replace the fitted model's omnibus test by the test of the coefficients ``btt``.

    Only QM, its df and p-value depend on ``btt``; they are recomputed from the fit's
    ``beta`` and ``vb`` after fitting, so that the fit itself is untouched.
    """
    idx = _btt_indices(btt, res.coef_names)
    if tuple(int(j) for j in idx) == res.btt:
        return
    use_t = res.test != "z"
    QM, QMdf, QMp = _omnibus(res.beta, res.vb, use_t, res.k - res.p, idx)
    # _btt_given: to_dict records the coefficients tested only for a model given them
    res.__dict__.update(btt=tuple(int(j) for j in idx), QM=QM, QMdf=QMdf, QMp=QMp, _btt_given=True)


def _given_weights(weights: Any, k: int, keep: np.ndarray | None = None) -> np.ndarray | None:
    """metafor's ``weights`` as a float copy of length k (one number: every study's),
    or None; negative, infinite and missing weights are refused, as metafor refuses the
    first two (it drops a study whose weight is missing, which is refused here as a
    missing ``yi`` is). Only the studies ``keep`` (``subset``) selects are checked, as
    metafor subsets the weights before it checks them, and a refusal names their indices
    in the data as given."""
    if weights is None:
        return None
    a = _as_vector(weights, "weights")
    if a.size == 1:
        a = np.full(k, float(a[0]))
    if a.size != k:
        raise ValueError(f"weights has {a.size} values for k = {k} studies")
    kept = np.ones(k, dtype=bool) if keep is None else keep
    bad = np.flatnonzero(np.isnan(a) & kept)
    if bad.size:
        raise ValueError(f"weights is missing for the studies at indices {bad[:10].tolist()}")
    bad = np.flatnonzero(np.isinf(a) & kept)
    if bad.size:
        raise ValueError(f"weights is infinite for the studies at indices {bad[:10].tolist()}")
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero((a < 0) & kept)
    if bad.size:
        raise ValueError(f"weights is negative for the studies at indices {bad[:10].tolist()}")
    return a.copy()


def _subset_mask(subset: Any, k: int) -> np.ndarray:
    """metafor's ``subset`` (``.chksubset``) as a boolean mask of length k.

    A boolean mask must have length k; indices are 0-based, as everywhere in Python, and
    select in the data's order (metafor turns its indices into a mask too). Negative
    indices are refused rather than read either way: they count from the end in Python
    and exclude in R. A pandas ``Index`` (``df.index[df.x > 0]``) holds labels, which
    would be read as positions, and an index given twice is most likely a 0/1 mask cast
    to integers (it would select the first two studies); both are refused.
    """
    pd = sys.modules.get("pandas")  # a pandas Index can exist only once pandas is imported
    if pd is not None and isinstance(subset, pd.Index):
        raise ValueError(
            "subset is a pandas Index, whose labels would be read as 0-based positions; "
            'pass a boolean mask of length k instead, e.g. (df.setting == "x").to_numpy()'
        )
    s = np.asarray(subset)
    if s.ndim != 1:
        raise ValueError(f"subset must be one-dimensional, got shape {s.shape}")
    if s.dtype == bool:
        if s.size != k:
            raise ValueError(f"subset is a mask of {s.size} values for k = {k} studies")
        mask = s.copy()
    elif s.size == 0 or np.issubdtype(s.dtype, np.integer):
        idx = s.astype(np.int64)
        if idx.size and idx.min() < 0:
            raise ValueError(
                "subset holds negative indices; give the 0-based indices of the studies to "
                "keep, or a boolean mask (R's negative indices, which exclude, are not read)"
            )
        if idx.size and idx.max() >= k:
            raise ValueError(f"subset holds index {int(idx.max())}, beyond the k = {k} studies")
        values, counts = np.unique(idx, return_counts=True)
        if np.any(counts > 1):
            raise ValueError(
                f"subset holds index {int(values[counts > 1][0])} more than once; give each "
                "study's 0-based index once, or a boolean mask (a 0/1 mask cast to integers "
                "reads as the indices 0 and 1: pass it as bool)"
            )
        mask = np.zeros(k, dtype=bool)
        mask[idx] = True
    else:
        raise ValueError(
            f"subset must be a boolean mask or integer indices, got values of type {s.dtype}"
        )
    if not mask.any():
        raise ValueError("subset selects no studies: k = 0 (a model needs at least one study)")
    return mask


def _apply_subset(
    keep: np.ndarray, yi: Any, vi: Any, mods: Any, slab: Any, n: np.ndarray | None
) -> tuple[Any, ...]:
    """The studies ``keep`` selects from every per-study argument, each first checked to
    have one entry per study of the full data (else indexing would misalign them)."""
    k = keep.size

    def rows(x: Any, name: str) -> np.ndarray:
        arr = np.asarray(x)
        length = arr.shape[0] if arr.ndim else 1
        if length != k:
            raise ValueError(f"{name} has {length} values for the k = {k} studies subset selects from")
        return arr[keep]

    yi, vi = rows(yi, "yi"), rows(vi, "vi")
    if mods is not None:
        if hasattr(mods, "columns") and not isinstance(mods, Mapping):
            if len(mods) != k:
                raise ValueError(f"mods has {len(mods)} rows for the k = {k} studies subset selects from")
            mods = mods.iloc[keep]
        elif isinstance(mods, Mapping):
            mods = {name: rows(col, f"mods[{name!r}]") for name, col in mods.items()}
        else:
            mods = rows(mods, "mods")
    # metafor's default labels are the row numbers of the full data, subset alike
    labels = [str(i + 1) for i in range(k)] if slab is None else list(slab)
    slab = rows(np.array(labels, dtype=object), "slab").tolist()
    return yi, vi, mods, slab, (None if n is None else n[keep])


def _sample_sizes(ni: Any, k: int) -> np.ndarray | None:
    """The total sample sizes ``ni`` as a float copy of length k, or None.

    metafor silently drops an ``ni`` of another length (it "cannot be trusted"); here
    that is refused, since a regression test would otherwise stop later with no sign of
    why. Missing values (nan) are kept: only the sample-size predictors need them.
    """
    if ni is None:
        return None
    n = _as_vector(ni, "ni")
    if n.size != k:
        raise ValueError(f"ni has {n.size} values for k = {k} studies")
    return n.copy()


def _rma_impl(
    yi: Any,
    vi: Any,
    *,
    method: str,
    test: str,
    level: float,
    mods: Any,
    intercept: bool,
    slab: Sequence[Any] | None,
    control: Mapping[str, Any] | None,
    skip_r2: bool,
    weights: np.ndarray | None = None,
    weighted: bool = True,
    tau2: float | None = None,
) -> RMAResult:
    """:func:`rma` with the option to skip R^2 (one more fit), as metafor's ``skipr2``
    for the refits of the case diagnostics; ``weights`` validated by
    :func:`_given_weights`."""
    method, test, level = _check_method_test(method, test, level)
    tau2_fix = _check_tau2(tau2, method)
    y, v, vmin = _check_data(yi, vi)
    k = y.size
    if vmin == 0.0 and np.any(v):
        # metafor's "There are outcomes with non-positive sampling variances", given when
        # some but not all vi are 0 (all 0 is data without sampling error, said nothing
        # about): such a study has infinite weight wherever tau^2 is 0, so several
        # estimators refuse it and Q, I^2 and H^2 are not computed
        zero = np.flatnonzero(v == 0.0)
        _warn(
            f"non-positive sampling variances: vi = 0 in {zero.size} of {k} studies "
            f"(indices {zero[:10].tolist()})",
            stacklevel=3,
        )
    if vmin > 0.0 and float(np.maximum.reduce(v)) >= 1e7 * vmin:
        # metafor's warning (max(vi)/min(vi) >= 1/evtol): the weights then differ by
        # more than 7 orders of magnitude and sums over them lose as many digits
        _warn(
            "ratio of largest to smallest sampling variance extremely large "
            f"({float(np.maximum.reduce(v)) / vmin:.3g}); results may not be stable",
            stacklevel=3,
        )
    con = _control(control)
    labels = StudyLabels(k, slab)
    if mods is None:
        if not intercept:
            _warn("a model needs an intercept or moderators; intercept added", stacklevel=3)
        X: np.ndarray | None = None
        coef_names: tuple[str, ...] = ("intrcpt",)
        int_incl, p, int_only = True, 1, True
    else:
        X, coef_names, int_incl = _design(mods, intercept, k)
        p = X.shape[1]
        int_only = p == 1 and bool(np.all(X[:, 0] == 1.0))
    _check_params(k, p, method, int_only, tau2_fix is not None)
    if k == 1 and test != "z":
        _warn("k = 1: using test='z' (as metafor does)", stacklevel=3)
        test = "z"
    if method in _FIXED and test in ("knha", "adhoc"):
        _warn(f"the Knapp-Hartung method is not meant for {method} models", stacklevel=3)
    # given weights or none: the coefficients are refitted with A = diag(a) or A = I, and
    # the inverse-variance fit below serves only for tau^2, QE and s2w
    refit = weights is not None or not weighted
    try:
        if int_only:
            try:
                res = _rma_single(
                    y, v, vmin > 0.0, method, test, level, con, labels, coef_names, X,
                    tau2_fix,
                )
            except _InfiniteWeightError:
                if not refit:
                    raise
                # a fit with given weights or none needs no inverse-variance weight, so
                # metafor fits a study of vi = 0 at tau^2 = 0: the general path carries
                # that case
                res = _rma_general(
                    y, v, method, test, level, con, labels, coef_names,
                    np.ones((k, 1)) if X is None else X, True, True, tau2_fix,
                    weighted=False, int_only=True,
                )
        else:
            assert X is not None
            res = _rma_general(
                y, v, method, test, level, con, labels, coef_names, X, int_incl, skip_r2,
                tau2_fix, weighted=not refit,
            )
        if tau2_fix is not None:
            res.__dict__["tau2_fix"] = True
        if not refit:
            return res
        out = _refit_fixed_effects(res, weights, weighted, int_incl, skip_r2)
        if tau2_fix is not None:
            # dataclasses.replace in the refit builds a new result without it
            out.__dict__["tau2_fix"] = True
        return out
    except _InfiniteWeightError as exc:
        why = method if tau2_fix is None else "fixed"
        raise ValueError(_infinite_weight_message(v, why, labels)) from exc


def _refit_fixed_effects(
    res: RMAResult, given: np.ndarray | None, weighted: bool, int_incl: bool, skip_r2: bool
) -> RMAResult:
    """The model ``res`` with its fixed effects refitted with the weights a_i (``given``)
    or, when not ``weighted``, by ordinary least squares (a_i = 1), as metafor's
    ``rma.uni(weights=, weighted=)``.

    With A = diag(a) and M = diag(vi + tau^2):

        beta = (X'AX)^-1 X'A y,    vb = s2w (X'AX)^-1 X'A M A X (X'AX)^-1

    the sandwich covariance of a linear estimator whose weights are not the inverse
    variances (Hedges & Olkin 1985, ch. 9; Laird & Mosteller 1990). tau^2 and its SE,
    QE, I^2, H^2 and s2w are kept from ``res``: in metafor 3.8-1 none of these estimators
    reads the weights, and Knapp and Hartung's s2w is still the residual sum of squares
    of the inverse-variance fit over k - p. The log-likelihoods keep their determinant
    terms and take the residual sum of squares sum (y_i - x_i'beta)^2 / (vi + tau^2) of
    the new beta, as metafor's ``fit.stats``. The result keeps ``weighted`` and the
    ``weights_given``; ``res.weights`` is 100 a_i / sum a.
    """
    y = np.asarray(res.yi)
    v = np.asarray(res.vi)
    X = np.asarray(res.X)
    k, p = X.shape
    tau2 = res.tau2
    a = given if (weighted and given is not None) else np.ones(k)
    with np.errstate(divide="ignore"):
        w = 1.0 / (v + tau2)
    # a study of vi = 0 at tau^2 = 0: its weight 1/(vi + tau^2) is infinite, but beta and
    # vb take only the a_i and vi + tau^2 (metafor fits it, given weights or none)
    infinite = not np.all(np.isfinite(w))
    sa = np.sqrt(a)
    Q, R = np.linalg.qr(X * sa[:, None])
    rdiag = np.abs(np.diag(R))
    if rdiag.min() <= 1e-12 * max(rdiag.max(), 1e-300):
        # metafor's solve() of X'AX fails: zero weights leave a coefficient with no data
        raise ValueError(
            "the weights leave X'AX singular (too many zero weights for the coefficients): "
            "no weighted least-squares estimate exists"
        )
    B = np.linalg.solve(R, Q.T * sa[None, :])  # (X'AX)^-1 X'A, p x k
    beta = B @ y
    vb = res.s2w * ((B * (v + tau2)[None, :]) @ B.T)
    vb = 0.5 * (vb + vb.T)
    use_t = res.test != "z"
    ddf = k - p
    btt = np.arange(1, p) if (int_incl and p > 1) else np.arange(p)
    wald = _wald(beta, vb, use_t, ddf, res.level, btt)
    if infinite:
        # a study with vi = 0 at tau^2 = 0: the coefficients and their sandwich
        # covariance are finite, the likelihood of that study is not
        # (log 0 and a residual over 0): NaN, as metafor's fit.stats
        RSS_f = ll_ML = ll_REML = math.nan
    else:
        resid = y - X @ beta
        RSS_f = float(np.sum(w * resid * resid))
        # the determinant terms of the log-likelihoods do not depend on beta
        ll_ML = res.ll_ML - 0.5 * (RSS_f - res._RSS)
        ll_REML = res.ll_REML - 0.5 * (RSS_f - res._RSS)
    se = wald["se"]
    stat = wald["stat"]
    pi_lb = pi_ub = None
    if res.int_only and res.method not in _FIXED:
        alpha = alpha_from_level(res.level)
        crit = float(dist.t_isf(alpha / 2, ddf) if use_t else dist.norm_isf(alpha / 2))
        half = crit * math.sqrt(float(se[0]) ** 2 + tau2)
        pi_lb, pi_ub = float(beta[0]) - half, float(beta[0]) + half
    R2 = res.R2
    if res.method in _FIXED and R2 is not None:
        # metafor's R^2 of an equal-effects meta-regression: the adjusted R^2 of lm() with
        # the same weights, which leaves out the studies of weight 0 (R's lm.wfit)
        pos = a > 0
        if _all_equal(y):
            R2 = 0.0
        elif int(pos.sum()) > p:
            R2 = max(0.0, 100.0 * _weighted_adj_r2(y[pos], X[pos], a[pos]))
        else:  # no residual degrees of freedom among them: metafor's NaN, as in rma
            R2 = math.nan
    out = replace(
        res,
        estimate=float(beta[0]),
        se=float(se[0]),
        zval=float(stat[0]),
        tval=float(stat[0]) if use_t else None,
        pval=float(wald["pval"][0]),
        ci_lb=float(wald["ci_lb"][0]),
        ci_ub=float(wald["ci_ub"][0]),
        pi_lb=pi_lb,
        pi_ub=pi_ub,
        R2=R2,
    )
    # the refit is a new result: every lazily computed attribute is stored afresh, btt
    # with them (without it a meta-regression's would read as the intercept-only default)
    _store_known(
        out, a * (100.0 / np.sum(a)), ll_ML, ll_REML, X.copy(), beta, vb, wald, use_t, btt, RSS_f,
        _weighted=weighted, _weights_given=None if given is None else given.copy(),
    )
    return out


def _rma_single(
    y: np.ndarray,
    v: np.ndarray,
    allvipos: bool,
    method: str,
    test: str,
    level: float,
    con: dict[str, Any],
    labels: StudyLabels,
    coef_names: tuple[str, ...],
    X: np.ndarray | None,
    tau2_fix: float | None = None,
) -> RMAResult:
    """The model without moderators on validated input: closed forms in floats, no QR and
    no k x 1 matrices; the per-study extras of the result are computed on first access."""
    k = y.size
    if tau2_fix is None:
        fit = _single_tau2(y, v, allvipos, method, con)
    else:
        fit = _single_fixed(y, v, allvipos, method, tau2_fix)
    tau2, mu, sum_w = fit.tau2, fit.mu, fit.sum_w
    ddf = k - 1
    use_t = test != "z"
    s2w = 1.0
    RSS: float | None = None
    if test in ("knha", "adhoc"):
        # explicit residuals (not the power sums) for the last digits of RSS
        resid = y - mu
        RSS = float(np.sum(fit.weights(v) * resid * resid))
        s2w = 0.0 if RSS <= _EPS else RSS / ddf
        if test == "adhoc":
            s2w = max(s2w, 1.0)
    se = math.sqrt(s2w * (1.0 / sum_w))
    if se != 0.0:
        stat = mu / se
    else:  # numpy's x / 0 (Knapp-Hartung with a zero residual sum of squares)
        stat = math.copysign(math.inf, mu) if mu != 0.0 else math.nan
    alpha = alpha_from_level(level)
    if use_t:
        pval = float(dist.two_sided_t_p(stat, ddf))
        crit = float(dist.t_isf(alpha / 2, ddf))
    else:
        pval = float(dist.two_sided_norm_p(stat))
        crit = float(dist.norm_isf(alpha / 2))

    # heterogeneity statistics (always with FE weights 1/vi)
    QE: float | None
    QEp: float | None
    I2: float | None
    H2: float | None
    vt: float | None
    if allvipos:
        if k > 1:
            QE = max(0.0, fit.QE)
            QEp = float(dist.chi2_sf(QE, ddf))
            vt = ddf / fit.trP_fe
            if method in _FIXED:
                I2 = max(0.0, 100.0 * (QE - ddf) / QE) if QE > 0 else 0.0
                H2 = QE / ddf
            else:
                I2 = 100.0 * tau2 / (vt + tau2)
                H2 = tau2 / vt + 1.0
        else:
            QE, QEp, I2, H2, vt = 0.0, 1.0, 0.0, 1.0, 0.0
    else:
        # metafor leaves them NA either way but says so only when some vi are positive:
        # vi all 0 is data without sampling error, where no Q-test is expected
        if np.any(v):
            _warn(
                "Q-test, I^2 and H^2 are not computed when some sampling variances are 0",
                stacklevel=4,
            )
        QE = QEp = I2 = H2 = vt = None

    pi_lb = pi_ub = None
    if method not in _FIXED:
        half = crit * math.sqrt(se * se + tau2)
        pi_lb, pi_ub = mu - half, mu + half

    # the dataclass __init__ sets 31 frozen fields one object.__setattr__ at a time, a
    # sixth of the whole fit for small k: fill the instance dict directly instead
    res = object.__new__(RMAResult)
    state = res.__dict__
    state.update(
        estimate=mu,
        se=se,
        zval=stat,
        tval=stat if use_t else None,
        df=ddf if use_t else None,
        pval=pval,
        ci_lb=mu - crit * se,
        ci_ub=mu + crit * se,
        pi_lb=pi_lb,
        pi_ub=pi_ub,
        tau2=tau2,
        tau=math.sqrt(tau2),
        se_tau2=fit.se_tau2,
        I2=I2,
        H2=H2,
        QE=QE,
        QEp=QEp,
        k=k,
        p=1,
        method=method,
        test=test,
        level=level,
        vt=vt,
        s2w=s2w,
        yi=y,
        vi=v,
        slab=labels,
        coef_names=coef_names,
        R2=None,
        int_only=True,
        control=con,
        ni=None,
        subset=None,
    )
    res.__post_init__()
    state["_fit"] = fit
    if RSS is not None:
        state["_RSS"] = RSS
    if X is not None:
        state["X"] = _readonly(X)
    return res


def _rma_general(
    y: np.ndarray,
    v: np.ndarray,
    method: str,
    test: str,
    level: float,
    con: dict[str, Any],
    labels: StudyLabels,
    coef_names: tuple[str, ...],
    X: np.ndarray,
    int_incl: bool,
    skip_r2: bool,
    tau2_fix: float | None = None,
    *,
    weighted: bool = True,
    int_only: bool = False,
) -> RMAResult:
    """Meta-regression: tau^2 by :func:`_tau2_general` (or as given), then weighted least
    squares by QR.

    Not ``weighted`` (the caller refits the fixed effects by ordinary least squares or
    with given weights), a study of vi = 0 at tau^2 = 0 is no error, as in metafor: the
    unweighted fit stands in for the inverse-variance fit, which does not exist, and the
    log-likelihoods are NaN. Knapp and Hartung's s2w needs that fit, so ``test="knha"``/``"adhoc"`` is
    still refused (metafor: "Division by zero"). ``int_only`` marks the model without
    moderators that :func:`_rma_single` could not fit that way."""
    k, p = X.shape
    allvipos = bool(v.min() > 0)
    if tau2_fix is None:
        tres = _tau2_general(y, v, X, method, con)
    else:
        tres = _Tau2(tau2_fix, _se_tau2_fixed(y, v, X, method, tau2_fix, allvipos))
    tau2 = tres.tau2
    se_tau2 = tres.se_tau2
    if allvipos and k > p:
        fit_fe = _WLS(y - y.mean(), 1.0 / v, X)
        QE_val, trP_fe = fit_fe.RSS, fit_fe.tr1(np.ones(k))
    else:
        QE_val, trP_fe = math.nan, math.nan

    with np.errstate(divide="ignore"):
        w = 1.0 / (v + tau2)
    infinite = not np.all(np.isfinite(w))
    if infinite and (weighted or test in ("knha", "adhoc")):
        raise _InfiniteWeightError(
            "division by zero computing the inverse-variance weights: a study has vi = 0 "
            "and tau^2 = 0"
        )
    if infinite:
        w = np.ones(k)  # ordinary least squares, the fit the caller keeps
    fit = _WLS(y, w, X)
    beta = fit.beta
    RSS_f = fit.RSS
    vb_unscaled = fit.vb
    logdet_XWX = fit.logdet_XWX
    _, R0 = np.linalg.qr(X)
    logdet_XX = float(2.0 * np.sum(np.log(np.abs(np.diag(R0)))))
    s2w = 1.0
    if test in ("knha", "adhoc"):
        if RSS_f <= _EPS:
            s2w = 0.0
        else:  # an FE model may have k = p: no residual df, s2w = RSS/0 (metafor: Inf)
            s2w = RSS_f / (k - p) if k > p else math.inf
        if test == "adhoc":
            s2w = max(s2w, 1.0)
    vb = s2w * vb_unscaled
    use_t = test != "z"
    ddf = k - p
    btt = np.arange(1, p) if (int_incl and p > 1) else np.arange(p)
    wald = _wald(beta, vb, use_t, ddf, level, btt)

    # heterogeneity statistics (always with FE weights 1/vi); None where metafor has NA
    QE: float | None
    QEp: float | None
    vt: float | None
    I2: float | None
    H2: float | None
    if allvipos:
        if k > p:
            QE = max(0.0, QE_val)
            QEp = float(dist.chi2_sf(QE, k - p))
            vt = (k - p) / trP_fe
            if method in _FIXED:
                I2 = max(0.0, 100.0 * (QE - (k - p)) / QE) if QE > 0 else 0.0
                H2 = QE / (k - p)
            else:
                I2 = 100.0 * tau2 / (vt + tau2)
                H2 = tau2 / vt + 1.0
        else:
            QE, QEp, I2, H2, vt = 0.0, 1.0, 0.0, 1.0, 0.0
    else:
        # metafor leaves them NA either way but says so only when some vi are positive:
        # vi all 0 is data without sampling error, where no Q-test is expected
        if np.any(v):
            _warn(
                "Q-test, I^2 and H^2 are not computed when some sampling variances are 0",
                stacklevel=4,
            )
        QE = QEp = I2 = H2 = vt = None

    # fit statistics (metafor's fit.stats, REML with the log|X'X| term)
    slog = -float(np.sum(np.log(w)))  # sum log(v + tau2) with w = 1/(v + tau2)
    ll_ML = -0.5 * k * _LOG_2PI - 0.5 * slog - 0.5 * RSS_f
    ll_REML = (
        -0.5 * (k - p) * _LOG_2PI + 0.5 * logdet_XX - 0.5 * slog - 0.5 * logdet_XWX - 0.5 * RSS_f
    )
    if infinite:
        RSS_f = ll_ML = ll_REML = math.nan

    R2: float | None = None
    if int_incl and not skip_r2:
        if method in _FIXED:
            if _all_equal(y):
                R2 = 0.0
            elif k > p:
                # refitted, it is replaced by lm()'s adjusted R^2 with the weights a_i
                R2 = max(0.0, 100.0 * _weighted_adj_r2(y, X, w if infinite else 1.0 / v))
            else:
                # as many coefficients as studies leave the adjusted R^2 no residual
                # degrees of freedom, (k - 1)/(k - p) is infinite: metafor's NaN, which
                # its print shows as "NA%" (None would drop the line)
                R2 = math.nan
        else:
            # metafor fits this model inside suppressWarnings(): the caller has just
            # been warned about these data by this very fit
            try:
                with _refits():
                    # metafor passes weighted on: refitted (given weights or none), a study
                    # of vi = 0 at tau^2 = 0 leaves the model without moderators fitted
                    # rather than refused; its tau^2 reads no weights
                    tau2_RE = rma(
                        y, v, method=method, test=test, level=level, control=con, weighted=weighted
                    ).tau2
            except RuntimeError:
                # metafor fits it inside try(): a model without moderators that does not
                # converge (e.g. under a small control maxiter) leaves R^2 NA, not the fit
                R2 = math.nan
            else:
                R2 = 0.0 if tau2_RE == 0 else max(0.0, 100.0 * (tau2_RE - tau2) / tau2_RE)

    se = wald["se"]
    stat = wald["stat"]
    res = RMAResult(
        estimate=float(beta[0]),
        se=float(se[0]),
        zval=float(stat[0]),
        tval=float(stat[0]) if use_t else None,
        df=ddf if use_t else None,
        pval=float(wald["pval"][0]),
        ci_lb=float(wald["ci_lb"][0]),
        ci_ub=float(wald["ci_ub"][0]),
        pi_lb=None,
        pi_ub=None,
        tau2=tau2,
        tau=math.sqrt(tau2),
        se_tau2=se_tau2,
        I2=I2,
        H2=H2,
        QE=QE,
        QEp=QEp,
        k=k,
        p=p,
        method=method,
        test=test,
        level=level,
        vt=vt,
        s2w=s2w,
        yi=y,
        vi=v,
        slab=labels,
        coef_names=coef_names,
        R2=R2,
        int_only=int_only,
        control=con,
    )
    _store_known(res, w * (100.0 / np.sum(w)), ll_ML, ll_REML, X, beta.copy(), vb, wald, use_t, btt, RSS_f)
    return res


def _store_known(
    res: RMAResult,
    weights: np.ndarray,
    ll_ML: float,
    ll_REML: float,
    X: np.ndarray,
    beta: np.ndarray,
    vb: np.ndarray,
    wald: Mapping[str, Any],
    use_t: bool,
    btt: np.ndarray,
    RSS: float,
    **extra: Any,
) -> None:
    """Store a meta-regression's lazily computed attributes, all known once it is fitted
    (a cached_property reads the instance dict first): the weights in percent, the
    log-likelihoods, X, the coefficients' Wald table (:func:`_wald`), the omnibus test
    of ``btt`` and the residual sum of squares; ``extra`` entries as given. Arrays are
    made read-only, as the result's others."""
    stat = wald["stat"]
    known = {
        **extra,
        "weights": weights,
        "ll_ML": ll_ML,
        "ll_REML": ll_REML,
        "X": X,
        "beta": beta,
        "se_beta": wald["se"],
        "zval_beta": stat,
        "tval_beta": stat if use_t else None,
        "pval_beta": wald["pval"],
        "ci_lb_beta": wald["ci_lb"],
        "ci_ub_beta": wald["ci_ub"],
        "vb": vb,
        "QM": wald["QM"],
        "QMdf": wald["QMdf"],
        "QMp": wald["QMp"],
        "btt": tuple(int(j) for j in btt),
        "_RSS": RSS,
    }
    for key, val in known.items():
        if isinstance(val, np.ndarray):
            _readonly(val)
        res.__dict__[key] = val


# =========================================================================== subgroups


@dataclass(frozen=True, eq=False)
class SubgroupResult:
    """Subgroup analysis: one model per level and the test for subgroup differences.

    ``fits`` maps each level (sorted) to its own ``rma`` fit; ``model`` is the
    mixed-effects model with the grouping factor as moderator (treatment coding, first
    level as reference, one common tau^2), whose omnibus test ``QM`` (``QMdf``, ``QMp``)
    is the test of subgroup differences.
    """

    levels: tuple[Any, ...]
    fits: Mapping[Any, RMAResult]
    model: RMAResult
    QM: float
    QMdf: tuple[int, int | None]
    QMp: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "levels": _jsonable(list(self.levels)),
            "fits": {str(lev): fit.to_dict() for lev, fit in self.fits.items()},
            "model": self.model.to_dict(),
            "QM": _jsonable(self.QM),
            "QMdf": _jsonable(self.QMdf),
            "QMp": _jsonable(self.QMp),
        }

    def summary(self, digits: int = 4) -> str:
        """One row per subgroup (k, estimate, se, ci.lb, ci.ub, tau2, I2) and the test
        for subgroup differences, with ``digits`` decimals."""
        d = int(digits)
        header = ["k", "estimate", "se", "ci.lb", "ci.ub", "tau2", "I2"]
        rows = [
            [str(f.k), *(_fmt(x, d) for x in (f.estimate, f.se, f.ci_lb, f.ci_ub, f.tau2)),
             "NA" if f.I2 is None else f"{f.I2:.2f}%"]
            for f in self.fits.values()
        ]  # fmt: skip
        m, ddf = self.QMdf
        stat = f"F(df1 = {m}, df2 = {ddf})" if ddf is not None else f"QM(df = {m})"
        return "\n".join(
            [
                *_table(header, rows, [str(lev) for lev in self.levels]),
                "",
                "Test for Subgroup Differences (mixed-effects model, common tau^2):",
                f"{stat} = {_fmt(self.QM, d)}, {_p_clause(self.QMp, d)}",
            ]
        )

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.summary())


def _is_missing(x: Any) -> bool:
    """None, NaN, and pandas' NA and NaT (named by type: the library never imports
    pandas)."""
    if x is None:
        return True
    if isinstance(x, (float, np.floating)):
        return math.isnan(x)
    return type(x).__name__ in ("NAType", "NaTType")


def subgroups(
    yi: Any,
    vi: Any = None,
    groups: Sequence[Any] | None = None,
    *,
    method: str = "REML",
    test: str = "z",
    level: float = 95.0,
    control: Mapping[str, Any] | None = None,
    variable: str = "groups",
    tau2: float | None = None,
    weights: Any = None,
    weighted: bool = True,
    subset: Any = None,
    slab: Sequence[Any] | None = None,
) -> SubgroupResult:
    """Separate fits per subgroup and the mixed-effects test of subgroup differences.

    Equivalent to metafor's ``rma(yi, vi, subset = g == level)`` per level and
    ``rma(yi, vi, mods = ~ factor(g))`` (Borenstein et al. 2009, ch. 19-21, "mixed-effects
    model with a common tau^2"), each given ``tau2``, ``weights`` and ``weighted`` when
    they are given, as metafor's ``subset`` takes the weights of the studies it keeps;
    with ``subset=s``, ``rma(yi, vi, subset = s & g == level)`` and
    ``rma(yi, vi, mods = ~ factor(g), subset = s)``.
    ``variable`` only names the coefficients (``factor(<variable>)<level>``, as R does).

    The test of subgroup differences is the omnibus Wald test of the G - 1 dummy
    coefficients b of the mixed-effects model, QM = b' vb^-1 b ~ chi2(G - 1) (under
    ``test="z"``; F(G - 1, k - G) = QM/(G - 1) under t, knha and adhoc).

    Parameters
    ----------
    yi, vi : array_like, shape (k,)
        Effect sizes and sampling variances, as for :func:`rma`; or, as ``rma(es)``,
        escalc's ``EffectSizes`` alone (``subgroups(es, groups=g)``), whose sample sizes
        every fit then keeps (``ni``) and whose pandas index ``groups`` must share.
    groups : sequence, length k
        Each study's subgroup (no missing values). The levels are sorted by code
        point, the first being the mixed-effects model's reference (R's ``factor()``
        sorts by the locale's collation, which may differ for labels of mixed case);
        a pandas ``Categorical`` (or a Series of that dtype) keeps its categories'
        order instead, as ``factor()`` keeps a factor's levels (those of no study are
        dropped).
    method, test, level, control
        As for :func:`rma`, used for every fit.
    variable : str
        Name of the grouping variable in the coefficient names.
    tau2 : float, optional
        A given tau^2 (>= 0), as ``rma(..., tau2=...)``: every subgroup's fit and the
        mixed-effects model use it and estimate none (the common tau^2 is then the
        given one). An FE/EE analysis ignores it with one warning.
    weights : array_like, shape (k,), optional
        Each study's weight, as ``rma(..., weights=...)``; each subgroup's fit takes its
        studies' weights, and the mixed-effects model all of them.
    weighted : bool
        False fits every model's coefficients by ordinary least squares, as
        ``rma(..., weighted=False)`` (metafor's ``weighted=FALSE``; ``weights`` are then
        not used): the subgroup estimates are unweighted means, and the test of
        subgroup differences takes the unweighted mixed-effects model's sandwich
        covariance. tau^2 is estimated as with weights; default True.
    subset : array_like, optional
        The studies analysed, as ``rma(..., subset=...)``: a boolean mask of length k or
        0-based indices. The others are left out before anything, so a missing ``yi``,
        ``vi``, group or weight there is not read; a missing value among the studies
        kept is refused naming its index in the data as given. The fits see only the
        studies kept, labelled as in the data given (see ``slab``).
    slab : sequence of str, length k, optional
        Study labels, as ``rma(..., slab=...)``; default the studies' 1-based row
        numbers in the data given. Each subgroup's fit and the mixed-effects model keep
        the labels of their studies, as metafor's ``rma(..., subset=)`` keeps the row
        numbers, so the rows of a subgroup's ``leave1out``, ``blup`` or ``rstudent``
        name the studies they are (repeated labels made unique within each fit).

    Returns
    -------
    SubgroupResult

    Raises
    ------
    ValueError
        Fewer than two groups, a study without a group, ``groups`` or ``weights`` of
        another length, pandas inputs with different indexes, or a fit that cannot be
        computed (the message names the subgroup), such as one whose weights are all 0.

    References
    ----------
    Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). Introduction to
    Meta-Analysis, ch. 19. Wiley.
    """
    if groups is None:
        raise TypeError("subgroups needs groups, each study's subgroup: subgroups(yi, vi, groups)")
    es, n = None, None
    if hasattr(yi, "yi") and hasattr(yi, "vi"):
        if vi is not None:
            raise TypeError(
                "subgroups got escalc's EffectSizes and vi: pass the EffectSizes alone, "
                "subgroups(es, groups=g), or the two arrays, subgroups(es.yi, es.vi, g)"
            )
        es, n = yi, getattr(yi, "ni", None)
        yi, vi = yi.yi, yi.vi
    elif vi is None:
        raise TypeError(
            "subgroups needs the sampling variances vi (or, as its only data argument, "
            "the EffectSizes returned by escalc): subgroups(yi, vi, groups)"
        )
    check_aligned(
        {
            "es": es,
            "yi": yi,
            "vi": vi,
            "groups": groups,
            "weights": weights,
            "subset": subset,
            "slab": slab,
        },
        "subgroups",
    )
    keep = None
    if subset is not None:
        y_all, v_all = _as_vector(yi, "yi"), _as_vector(vi, "vi")
        if y_all.shape != v_all.shape:
            raise ValueError(f"yi and vi differ in length ({y_all.size} vs {v_all.size})")
        keep = _subset_mask(subset, y_all.size)
        # a missing value among the studies kept, named by its index in the data given
        _check_kept(y_all, v_all, keep, _SUBGROUPS_ROUTE)
        yi, vi = y_all[keep], v_all[keep]
        n = None if n is None else np.asarray(n, dtype=float)[keep]
    k_given = np.size(yi) if keep is None else keep.size
    y, v = _check_yi_vi(yi, vi, _SUBGROUPS_ROUTE)
    # checked once here: an FE/EE analysis warns once, not once per fit
    method, test, level = _check_method_test(method, test, level)
    tau2_fix = _check_tau2(tau2, method, stacklevel=3)
    w = _given_weights(weights, k_given, keep)
    g = np.asarray(list(groups), dtype=object)
    if g.size != k_given:
        raise ValueError(f"groups has {g.size} entries, expected k = {k_given}")
    kept = range(k_given) if keep is None else np.flatnonzero(keep).tolist()
    missing = [i for i in kept if _is_missing(g[i])]
    if missing:
        # NaN != NaN: a missing group would otherwise become levels of no studies each
        raise ValueError(
            f"groups[{missing[0]}] is missing ({g[missing[0]]!r}): every study needs a "
            f"subgroup; give it a level or leave it out, {_SUBGROUPS_ROUTE} "
            f"(indices {missing[:10]})"
        )
    # metafor's rma(subset=) keeps the labels of the full data: default the row numbers
    labels = np.array(
        [str(i + 1) for i in range(k_given)] if slab is None else [str(s) for s in slab],
        dtype=object,
    )
    if labels.size != k_given:
        raise ValueError(f"slab has {labels.size} labels, expected k = {k_given}")
    if keep is not None:
        g = g[keep]
        w = None if w is None else w[keep]
        labels = labels[keep]
    categories = _categories(groups)
    if categories is not None:
        # R's factor(): a factor's own level order, levels of no study dropped
        present = set(g.tolist())
        levels = tuple(c for c in categories if c in present)
    else:
        levels = tuple(sorted(set(g.tolist()), key=lambda x: (str(type(x)), x)))
    if len(levels) < 2:
        raise ValueError("subgroup analysis needs at least two groups")
    fits = {}
    for lev in levels:
        sel = np.array([gi == lev for gi in g])
        try:
            fits[lev] = rma(
                y[sel], v[sel], method=method, test=test, level=level, control=control,
                tau2=tau2_fix, weights=None if w is None else w[sel], weighted=weighted,
                ni=None if n is None else n[sel], slab=labels[sel].tolist(),
            )  # fmt: skip
        except ValueError as exc:
            raise ValueError(f"subgroup {lev!r} ({int(sel.sum())} studies): {exc}") from None
    dummies = {
        f"factor({variable}){lev}": np.array([1.0 if gi == lev else 0.0 for gi in g])
        for lev in levels[1:]
    }
    model = rma(
        y, v, method=method, test=test, level=level, mods=dummies, control=control,
        tau2=tau2_fix, weights=w, weighted=weighted, ni=n, slab=labels.tolist(),
    )  # fmt: skip
    return SubgroupResult(
        levels=levels, fits=fits, model=model, QM=model.QM, QMdf=model.QMdf, QMp=model.QMp
    )
