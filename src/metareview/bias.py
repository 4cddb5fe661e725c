"""Small-study effects and publication bias: Egger's regression test, Begg's rank
test, trim-and-fill and the fail-safe N.

Each function mirrors the metafor 3.8-1 function of the same name (``regtest``,
``ranktest``, ``trimfill``, ``fsn``) number for number, including its less obvious
choices (documented in each docstring), and returns a frozen dataclass whose fields
carry metafor's names, with ``to_dict()`` for JSON output and ``summary()`` (also
``str()`` and a notebook's display) for the text metafor's ``print`` shows.

``regtest`` and ``trimfill`` refit models and therefore import
:mod:`metareview.pool` on first call; ``ranktest`` and ``fsn`` need only numpy and
:mod:`metareview.distributions` (``scipy.special`` on first use, never ``scipy.stats``).

References
----------
Egger M, Davey Smith G, Schneider M, Minder C (1997). Bias in meta-analysis detected
by a simple, graphical test. BMJ 315:629-634.
Begg CB, Mazumdar M (1994). Operating characteristics of a rank correlation test for
publication bias. Biometrics 50:1088-1101.
Duval S, Tweedie R (2000). Trim and fill: a simple funnel-plot-based method of testing
and adjusting for publication bias in meta-analysis. Biometrics 56:455-463.
Rosenthal R (1979). The file drawer problem and tolerance for null results.
Psychological Bulletin 86:638-641.
Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
Journal of Statistical Software 36(3):1-48.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from metareview import distributions as dist
from metareview.arguments import alpha_from_level, check_aligned, refuse_text

if TYPE_CHECKING:
    from metareview.pool import RMAResult

__all__ = [
    "KENDALL_EXACT_MAX_N",
    "FsnResult",
    "RanktestResult",
    "RegtestResult",
    "TrimfillResult",
    "fsn",
    "ranktest",
    "regtest",
    "trimfill",
]

# R's exact Kendall routine (stats:::pkendall) divides a count by gamma(n + 1),
# which overflows to Inf for n > 170, so cor.test(exact=TRUE) returns NaN there.
# Up to this size we reproduce the exact p-value; beyond it we use the normal
# approximation R would use with exact=FALSE and flag it (exact_pvalue=False).
KENDALL_EXACT_MAX_N = 170


def _jsonable(value: Any) -> Any:
    """Convert numpy scalars/arrays to Python objects and NaN/inf to ``None``."""
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return value if math.isfinite(value) else None
    return value


class _ToDict:
    """Mixin: ``to_dict()`` over the dataclass fields, JSON-ready."""

    _skip: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the results as a JSON-ready dict (NaN and inf become ``None``)."""
        return {
            f.name: _jsonable(getattr(self, f.name))
            for f in fields(self)  # type: ignore[arg-type]
            if f.name not in self._skip
        }


def _fcf(x: float | None, digits: int) -> str:
    """A number with ``digits`` decimals as metafor's ``.fcf`` prints it (NA for a
    missing or undefined one, Inf for an infinite one)."""
    from metareview.pool import _fmt

    return _fmt(x, digits)


def _max0(x: float) -> float:
    """R's ``max(0, x)``: NaN stays NaN (Python's ``max`` would give 0 or NaN by order)."""
    return x if math.isnan(x) else max(0.0, x)


def _p_eq(p: float | None, digits: int) -> str:
    """metafor's ``.pval(p, showeq = TRUE, sep = " ")``: ``= 0.0123``, ``< .0001`` or
    ``= NA``."""
    from metareview.pool import _fmt_p

    text = _fmt_p(p, digits)
    return f"< {text[1:]}" if text.startswith("<") else f"= {text}"


def _r_number(x: float, significant: int = 7) -> str:
    """A number as R's ``cat`` writes it (7 significant digits, the shorter of fixed and
    scientific notation, fixed on a tie): ``0.05``, ``598``, ``1e+05``, ``1e-04``, ``Inf``;
    ``significant=15`` writes it as ``as.character`` does.

    metafor prints the fail-safe N and its target level so, with no fixed decimals.
    """
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    if x == 0:
        return "0"
    mantissa, exp_text = f"{x:.{significant - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    exponent = int(exp_text)
    sig = len(mantissa.replace("-", "").replace(".", ""))
    sci = f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    fixed = f"{x:.{max(0, sig - 1 - exponent)}f}"
    return fixed if len(fixed) <= len(sci) else sci


class _Printed:
    """Mixin: ``str()`` and a notebook's display show :meth:`summary`, metafor's print."""

    def summary(self, digits: int = 4) -> str:  # pragma: no cover - each class has its own
        raise NotImplementedError

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.summary())


def _as_arrays(
    yi: Any, vi: Any, why: str, zero_vi: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Float copies of the data of ``ranktest`` and ``fsn``, whose statistics divide by
    every vi; errors name the offending studies as :func:`metareview.pool.rma` does, and
    a vi <= 0 (a vi < 0 with ``zero_vi``, for a caller that reads vi = 0 itself) is
    refused saying ``why`` (the caller's use of vi)."""
    arrays = []
    for name, value in (("yi", yi), ("vi", vi)):
        refuse_text(value, name)
        try:
            arrays.append(np.asarray(value, dtype=float).ravel())
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be numeric: {exc}") from None
    yi, vi = arrays
    if yi.shape != vi.shape:
        raise ValueError(f"yi and vi differ in length ({yi.size} vs {vi.size})")
    for name, arr in (("yi", yi), ("vi", vi)):
        bad = np.flatnonzero(~np.isfinite(arr))
        if bad.size:
            i = int(bad[0])
            raise ValueError(
                f"{name}[{i}] is {float(arr[i])!r}: effect sizes and sampling variances must "
                f"be finite (remove missing studies first; indices {bad[:10].tolist()})"
            )
    bad = np.flatnonzero(vi < 0 if zero_vi else vi <= 0)
    if bad.size:
        which = "vi = 0" if np.all(vi[bad] == 0) else ("vi < 0" if zero_vi else "vi <= 0")
        raise ValueError(
            f"{why}: {which} in {bad.size} of {vi.size} studies (indices {bad[:10].tolist()})"
        )
    return yi, vi


def _t_wald(
    beta: np.ndarray, se: np.ndarray, df: int, level: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """t statistics with ``df`` degrees of freedom, two-sided p-values and the CI
    multiplier, as R's ``lm`` summary gives them for ``regtest(model = "lm")``."""
    stat = beta / se
    alpha = alpha_from_level(level)
    pval = np.asarray(dist.two_sided_t_p(stat, df))
    crit = float(dist.t_isf(alpha / 2.0, df))
    return stat, pval, crit


# --------------------------------------------------------------------------- regtest


@dataclass(frozen=True)
class RegtestResult(_Printed, _ToDict):
    """Egger-type regression test for funnel-plot asymmetry (metafor ``regtest``).

    ``zval`` holds the test statistic, z or t, as metafor's ``zval`` does; ``tval``
    holds it too under a t-test and is ``None`` under z, as is ``df``. ``est``/``ci_lb``/``ci_ub`` are the
    intercept (the limit estimate as the predictor goes to 0) and its CI; ``slope`` and
    ``slope_se`` the predictor's coefficient; ``tau2`` the residual heterogeneity of
    the ``model="rma"`` fit (``None`` for ``model="lm"``).
    """

    model: str
    predictor: str
    method: str | None
    test: str
    zval: float
    tval: float | None
    df: int | None
    pval: float
    est: float | None
    ci_lb: float | None
    ci_ub: float | None
    slope: float
    slope_se: float
    tau2: float | None
    level: float
    k: int

    def summary(self, digits: int = 4) -> str:
        """The test as metafor's ``print.regtest`` shows it: the model, the predictor,
        the test of its coefficient (z, or t with its df) and, where there is one, the
        limit estimate with its CI; numbers with ``digits`` decimals, p-values below
        10^-digits as ``< .0001``. ``str(rt)`` and a notebook's display show this text."""
        d = int(digits)
        if self.model == "lm":
            model = "weighted regression with multiplicative dispersion"
        else:
            effects = "fixed" if self.method in ("FE", "EE", "CE") else "mixed"
            model = f"{effects}-effects meta-regression model"
        if self.df is None:
            test = f"z = {_fcf(self.zval, d)}, p {_p_eq(self.pval, d)}"
        else:
            test = f"t = {_fcf(self.zval, d)}, df = {self.df}, p {_p_eq(self.pval, d)}"
        lines = [
            "Regression Test for Funnel Plot Asymmetry",
            "",
            f"Model:     {model}",
            f"Predictor: {_PREDICTOR_NAMES[self.predictor]}",
            "",
            f"Test for Funnel Plot Asymmetry: {test}",
        ]
        if self.est is not None:
            limit = {"sei": "sei -> 0", "vi": "vi -> 0"}.get(self.predictor, "ni -> inf")
            lines.append(
                f"{f'Limit Estimate (as {limit}):':<32}b = {_fcf(self.est, d)} "
                f"(CI: {_fcf(self.ci_lb, d)}, {_fcf(self.ci_ub, d)})"
            )
        return "\n".join(lines)


#: How metafor's ``print.regtest`` names each predictor.
_PREDICTOR_NAMES = {
    "sei": "standard error",
    "vi": "sampling variance",
    "ni": "sample size",
    "ninv": "inverse of the sample size",
    "sqrtni": "square root sample size",
    "sqrtninv": "inverse of the square root sample size",
}


def _design(res: RMAResult) -> np.ndarray:
    """The model's design matrix (intercept column for intercept-only fits, the only
    ones rma leaves without ``X``)."""
    X = getattr(res, "X", None)
    if X is None:
        return np.ones((int(res.k), 1))
    return np.asarray(X, dtype=float).reshape(int(res.k), -1)


#: R's ``lm`` tolerance for a column that adds nothing to the ones before it
#: (``lm.fit(tol = 1e-7)``, LINPACK ``dqrdc2``).
_LM_QR_TOL = 1e-7


def _aliased(X: np.ndarray) -> bool:
    """Whether R's ``lm(yi ~ X - 1)`` would leave a coefficient undefined (NA).

    metafor's ``regtest`` fits that model first and stops when any coefficient is NA.
    R's QR (``dqrdc2``) sets aside a column whose part orthogonal to the columns before
    it has a norm below ``1e-7`` times its own norm. Without pivoting, the first such
    column in order is found the same way: ``|R_jj|`` is the norm of that orthogonal
    part. An exact rank test (``numpy.linalg.matrix_rank``) instead accepts a predictor
    that differs from a constant only by rounding (sampling variances equal to 1e-13
    relative), and the fit then returns coefficients of order 1e12.
    """
    norms = np.sqrt(np.einsum("ij,ij->j", X, X))
    r = np.abs(np.diag(np.linalg.qr(X, mode="r")))
    return bool(np.any(r < _LM_QR_TOL * norms))


#: A weighted residual sum of squares below this multiple of sum(w yi^2) (residuals below
#: 1e-13 of the data, a few hundred units in their last place) is rounding noise: the
#: regression fits exactly. R's ``summary.lm`` warns of an "essentially perfect fit" at
#: 1e-30 of the fitted values' size, but its QR happens to leave exact zeros where numpy's
#: leaves a few units in the last place (all yi = 0.9: residuals 2e-16 to 6e-16).
_PERFECT_FIT = 1e-26


#: The predictors of :func:`regtest` that are total sample sizes (they need ``ni``).
SAMPLE_SIZE_PREDICTORS = ("ni", "ninv", "sqrtni", "sqrtninv")


def regtest(
    res: RMAResult,
    model: Literal["rma", "lm"] = "rma",
    predictor: Literal["sei", "vi", "ni", "ninv", "sqrtni", "sqrtninv"] = "sei",
    ni: Any = None,
) -> RegtestResult:
    """Regression test for funnel-plot asymmetry (Egger et al. 1997; metafor ``regtest``).

    The model's design matrix ``X`` is extended by a predictor of precision, by default
    the standard error ``sei = sqrt(vi)``, and the coefficient of that predictor is
    tested:

    * ``model="rma"`` (metafor's default): the meta-regression
      ``yi = X b + b_s sei_i + u_i + e_i`` is fitted with the original model's
      tau^2 estimator, test (z, t or Knapp-Hartung) and level, and the Wald test of
      ``b_s`` is reported; ``tau2`` is the residual heterogeneity.
    * ``model="lm"``: the classic Egger test, weighted least squares
      ``yi = X b + b_s sei_i + e_i`` with weights ``1/vi`` and a multiplicative
      dispersion ``s2 = sum w_i r_i^2 / (k - p - 1)``; t-test with ``k - p - 1`` df.

    When the model has no moderators and the predictor vanishes for infinitely
    precise studies (``sei``, ``vi``, ``ninv``, ``sqrtninv``), the intercept ``est``
    is the limit estimate, with a CI at the model's level (t quantile for
    ``model="lm"``).

    Parameters
    ----------
    res
        A fitted model from :func:`metareview.pool.rma`.
    model
        ``"rma"`` or ``"lm"``.
    predictor
        ``"sei"``, ``"vi"``, ``"ni"``, ``"ninv"``, ``"sqrtni"`` or ``"sqrtninv"``;
        the sample-size predictors need ``ni``.
    ni
        Total sample sizes, for the sample-size predictors, one per study of the model
        (of the data given to :func:`~metareview.pool.rma` when it fitted a ``subset``,
        as in metafor). By default the model's own ``res.ni`` (kept by
        ``rma(escalc(...))``), as metafor's ``regtest`` reads ``res$ni``. A pandas
        Series must have the fit's index (``res.index``) when it has one.

    Returns
    -------
    RegtestResult

    Raises
    ------
    ValueError
        No more studies than coefficients; the predictor collinear with the model's
        design by R's ``lm`` rule (e.g. all vi equal); ``model="lm"`` fitting the data
        exactly (e.g. all yi equal), where its t statistic would be 0/0; an ``ni``
        given as text (metafor: "not numeric"); ``model="lm"`` with a study of vi = 0, whose weight 1/vi is infinite (metafor's
        ``lm`` stops: "NA/NaN/Inf in 'x'").
    """
    from metareview.pool import require_model

    require_model(res, "regtest")
    # the fit keeps its data's pandas index: a shuffled ni would pair other studies' sizes
    check_aligned({"res": res, "ni": ni}, "regtest")
    if ni is not None:
        refuse_text(ni, "ni")  # float() would parse "20"; metafor stops: "not numeric"
    yi = np.asarray(res.yi, dtype=float).ravel()
    vi = np.asarray(res.vi, dtype=float).ravel()
    k = yi.size
    X = _design(res)
    p = X.shape[1]
    if predictor in ("sei", "vi"):
        col = np.sqrt(vi) if predictor == "sei" else vi
    elif predictor in SAMPLE_SIZE_PREDICTORS:
        subset = getattr(res, "subset", None)
        if ni is None:
            ni = getattr(res, "ni", None)
        elif subset is not None:
            # as metafor: given for the data the model was fitted to a subset of
            n = np.asarray(ni, dtype=float).ravel()
            if n.size != subset.size:
                raise ValueError(
                    f"ni has {n.size} values; the model was fitted to a subset of {k} of "
                    f"{subset.size} studies, so give ni for all {subset.size} (as for rma), "
                    "or leave it out to use the model's own (res.ni)"
                )
            ni = n[subset]
        if ni is None:
            raise ValueError(
                f"predictor={predictor!r} needs the studies' total sample sizes: fit the "
                "model to escalc's result, rma(escalc(...)), which keeps them, or give "
                "them, rma(yi, vi, ni=...) or regtest(res, ..., ni=...)"
            )
        n = np.asarray(ni, dtype=float).ravel()
        if n.size != k:
            raise ValueError(f"ni has {n.size} values for {k} studies")
        bad = np.flatnonzero(~(np.isfinite(n) & (n > 0)))
        if bad.size:
            raise ValueError(
                f"predictor={predictor!r} needs a positive sample size for every study; "
                f"ni is {float(n[bad[0]])!r} for study {int(bad[0])} (indices {bad[:10].tolist()})"
            )
        col = {"ni": n, "ninv": 1 / n, "sqrtni": np.sqrt(n), "sqrtninv": 1 / np.sqrt(n)}[predictor]
    else:
        raise ValueError(f"unknown predictor {predictor!r}")
    Xs = np.column_stack([X, col])
    if k <= Xs.shape[1]:
        raise ValueError(
            f"regtest needs more studies than coefficients: k = {k}, "
            f"{Xs.shape[1]} coefficients with the predictor"
        )
    if _aliased(Xs):
        # metafor stops here too: e.g. all vi equal makes sei collinear with the intercept
        raise ValueError(
            "model matrix no longer of full rank after adding the predictor (all "
            f"{predictor} equal?); cannot fit the regression test"
        )
    level = float(res.level)
    has_limit = (
        p == 1 and predictor in ("sei", "vi", "ninv", "sqrtninv") and bool(np.all(X[:, 0] == 1.0))
    )

    if model == "rma":
        from metareview.pool import rma

        test = str(res.test)
        # metafor refits rma.uni(yi, vi, mods = cbind(X, sei), intercept = FALSE) with the
        # model's method, test, level, control, weights and weighted, and its tau^2 when
        # that was given
        fit = rma(
            yi, vi, method=str(res.method), test=test, level=level, mods=Xs,
            intercept=False, control=getattr(res, "control", None) or None,
            weights=getattr(res, "weights_given", None),
            weighted=getattr(res, "weighted", True),
            tau2=float(res.tau2) if getattr(res, "tau2_fix", False) else None,
        )  # fmt: skip
        beta = np.asarray(fit.beta, dtype=float).ravel()
        se = np.asarray(fit.se_beta, dtype=float).ravel()
        test = str(fit.test)
        # a fit has df exactly when its test is not "z" (RMAResult)
        assert test == "z" or fit.df is not None
        df = None if test == "z" or fit.df is None else int(fit.df)
        stat = np.asarray(fit.zval_beta, dtype=float)
        pval = np.asarray(fit.pval_beta, dtype=float)
        crit = float("nan")
        tau2 = float(fit.tau2)
        method: str | None = str(fit.method)
    elif model == "lm":
        test = "t"
        zero = np.flatnonzero(vi <= 0)
        if zero.size:
            # the weight 1/vi of such a study is infinite and the least-squares fit
            # undefined (metafor's lm stops: "NA/NaN/Inf in 'x'"), where numpy would
            # return NaN with its division warnings
            which = "vi = 0" if np.all(vi[zero] == 0) else "vi <= 0"
            raise ValueError(
                f"regtest(model='lm') weights each study by 1/vi: {which} in {zero.size} of "
                f"{k} studies (indices {zero[:10].tolist()})"
            )
        w = 1.0 / vi
        sw = np.sqrt(w)
        # WLS via QR of the row-scaled design: better conditioned than normal equations
        q, r = np.linalg.qr(Xs * sw[:, None])
        beta = np.linalg.solve(r, q.T @ (yi * sw))
        resid = yi - Xs @ beta
        df = int(k - Xs.shape[1])
        rss = float(np.sum(w * resid**2))
        s2 = rss / df
        if rss <= _PERFECT_FIT * float(np.sum(w * yi**2)):
            # the residuals are rounding noise (all yi equal, say): the statistic would be
            # noise over noise (metafor: NaN or any number, with R's warning "essentially
            # perfect fit: summary may be unreliable")
            raise ValueError(
                "regtest(model='lm'): the regression fits the data exactly (are all yi "
                "equal?), so the residual variance is 0 up to rounding and the test "
                "statistic is undefined"
            )
        rinv = np.linalg.inv(r)
        se = np.sqrt(np.sum(rinv**2, axis=1) * s2)
        stat, pval, crit = _t_wald(beta, se, df, level)
        tau2 = None
        method = None
    else:
        raise ValueError(f"model must be 'rma' or 'lm', not {model!r}")

    est = ci_lb = ci_ub = None
    if has_limit:
        est = float(beta[0])
        if model == "rma":
            ci_lb = float(np.asarray(fit.ci_lb_beta)[0])
            ci_ub = float(np.asarray(fit.ci_ub_beta)[0])
        else:
            ci_lb = float(beta[0] - crit * se[0])
            ci_ub = float(beta[0] + crit * se[0])
    stat_p = float(stat[p])
    return RegtestResult(
        model=model,
        predictor=predictor,
        method=method,
        test=test,
        zval=stat_p,
        tval=None if test == "z" else stat_p,
        df=df,
        pval=float(pval[p]),
        est=est,
        ci_lb=ci_lb,
        ci_ub=ci_ub,
        slope=float(beta[p]),
        slope_se=float(se[p]),
        tau2=tau2,
        level=level,
        k=k,
    )


# --------------------------------------------------------------------------- ranktest


@dataclass(frozen=True)
class RanktestResult(_Printed, _ToDict):
    """Begg & Mazumdar rank correlation test (metafor ``ranktest``).

    ``tau`` is Kendall's tau-b between the standardised deviates and ``vi``; ``pval``
    the two-sided p-value, exact (``exact_pvalue=True``) unless there are ties,
    ``k > KENDALL_EXACT_MAX_N`` or ``exact=False`` was asked for, in which case it is
    R's normal approximation. Both are NaN (``None`` in ``to_dict``) where metafor's
    are: ``vi`` or the deviates constant (as two studies with a tie), and ``pval``
    with ``exact=False`` and two studies.
    ``S`` is the Kendall score (concordant minus discordant pairs).
    """

    tau: float
    pval: float
    ties: bool
    exact_pvalue: bool
    S: int
    k: int

    def summary(self, digits: int = 4) -> str:
        """The test as metafor's ``print.ranktest`` shows it: Kendall's tau and its
        p-value, NA where undefined. ``str(rt)`` and a notebook's display show this."""
        d = int(digits)
        return "\n".join([
            "Rank Correlation Test for Funnel Plot Asymmetry",
            "",
            f"Kendall's tau = {_fcf(self.tau, d)}, p {_p_eq(self.pval, d)}",
        ])  # fmt: skip


def _count_inversions(r: np.ndarray) -> int:
    """Number of pairs ``i < j`` with ``r[i] > r[j]`` for integers in ``[0, n)``.

    Bottom-up merge sort without a Python loop over elements: at each of the
    ``log2(n)`` levels every element of a right run counts, by one ``searchsorted``
    over all left runs at once, the elements of its left run that exceed it. Runs are
    kept disjoint by offsetting values by ``run_index * n``. O(n log^2 n).
    """
    n = r.size
    a = r.astype(np.int64)
    idx = np.arange(n, dtype=np.int64)
    total = 0
    width = 1
    while width < n:
        block = idx // (2 * width)
        is_right = (idx // width) % 2 == 1
        keys = block * n + a
        left = keys[~is_right]
        right_keys = keys[is_right]
        right_block = block[is_right]
        # a block that has a right run has a full left run of `width` elements,
        # starting at position block*width among the concatenated left runs
        n_le = np.searchsorted(left, right_keys, side="right") - right_block * width
        total += int(np.sum(width - n_le))
        a = np.sort(keys) - block * n  # block ids are unchanged by sorting within blocks
        width *= 2
    return total


def _tie_groups(x: np.ndarray) -> np.ndarray:
    """Sizes of groups of equal values with at least two members (R's
    ``table(x[duplicated(x)]) + 1``)."""
    _, counts = np.unique(x, return_counts=True)
    return counts[counts > 1].astype(np.int64)


def _kendall_score(x: np.ndarray, y: np.ndarray) -> tuple[int, int, int]:
    """Kendall score ``S = n_concordant - n_discordant`` and the numbers of pairs tied
    in ``x`` and in ``y`` (Knight 1966: sort, then count inversions)."""
    n = x.size
    order = np.lexsort((y, x))  # by x, ties in x broken by y: those pairs are no inversions
    xs, ys = x[order], y[order]
    _, y_rank = np.unique(ys, return_inverse=True)
    n0 = n * (n - 1) // 2
    tx = _tie_groups(xs)
    ty = _tie_groups(ys)
    n1 = int(np.sum(tx * (tx - 1) // 2))
    n2 = int(np.sum(ty * (ty - 1) // 2))
    # pairs tied in both x and y
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = (xs[1:] != xs[:-1]) | (ys[1:] != ys[:-1])
    sizes = np.diff(np.flatnonzero(np.append(new_group, True)))
    n3 = int(np.sum(sizes * (sizes - 1) // 2))
    discordant = _count_inversions(y_rank.ravel())
    s = n0 - n1 - n2 + n3 - 2 * discordant
    return s, n1, n2


def _kendall_lower_tail(q: int, n: int) -> float:
    """``P(T <= q)`` for the number ``T`` of concordant pairs among ``n`` untied
    observations under independence (R's ``stats:::pkendall``).

    T has the distribution of the number of inversions of a random permutation
    (Mahonian numbers): adding the m-th element adds an independent uniform
    0..m-1 inversions. The recursion is carried in probabilities, normalised at each
    step, so nothing overflows (R's count/n! does for n > 170); only the first q + 1
    entries are kept, and sums of positive terms keep tail probabilities accurate.
    """
    if q < 0:
        return 0.0
    probs = np.ones(1)
    for m in range(2, n + 1):
        probs = np.convolve(probs, np.full(m, 1.0 / m))[: q + 1]
    return float(min(1.0, np.sum(probs)))


def ranktest(
    res: Any = None, vi: Any = None, *, yi: Any = None, exact: bool = True
) -> RanktestResult:
    """Rank correlation test for funnel-plot asymmetry (Begg & Mazumdar 1994;
    metafor ``ranktest``).

    The standardised deviates from the equal-effects estimate (metafor centres on it
    whatever model was fitted)

    ``yi* = (yi - theta_FE) / sqrt(vi - 1/sum(1/vi))``, ``theta_FE = sum(wi yi)/sum(wi)``,
    ``wi = 1/vi``,

    are correlated with ``vi`` by Kendall's tau-b. As in R's
    ``cor.test(method="kendall", exact=TRUE)``, which metafor 3.8-1 asks for by default
    whatever k, the p-value is exact (the permutation distribution of the number of
    concordant pairs) unless there are ties; with ties, or with ``exact=False``, it
    uses the normal approximation z = S / sqrt(var S) to the Kendall score S with the
    tie-corrected variance (Kendall 1970)

    ``var S = (n(n-1)(2n+5) - sum_t t(t-1)(2t+5) - sum_u u(u-1)(2u+5)) / 18``
    ``+ sum_t t(t-1) sum_u u(u-1) / (2n(n-1))``
    ``+ sum_t t(t-1)(t-2) sum_u u(u-1)(u-2) / (9n(n-1)(n-2))``

    (t, u the sizes of the tie groups of the two variables), without continuity
    correction, as R. Above ``KENDALL_EXACT_MAX_N`` studies, where R's exact routine
    overflows and returns NaN, the normal approximation is used as well.

    Parameters
    ----------
    res
        A fitted model (only its ``yi`` and ``vi`` are used), or the effect sizes
        ``yi`` followed by ``vi``, as metafor's ``ranktest(yi, vi)``.
    vi
        Sampling variances, with the effect sizes given first (or as ``yi``).
    yi
        Effect sizes, by name: ``ranktest(yi=..., vi=...)``.
    exact
        Ask for the exact p-value (default True, as metafor's ``ranktest(...,
        exact=TRUE)``); it is given when there are no ties and k <= 170
        (``exact_pvalue`` says whether it was). False: the normal approximation
        always, as ``cor.test(..., exact=FALSE)``; R's own default for ``cor.test``
        (exact for n < 50) is not metafor's and is not offered. With two studies
        the approximation's variance is undefined (R computes a 0/0 term), and
        ``pval`` is NaN, as metafor's.

    Returns
    -------
    RanktestResult

    References
    ----------
    Begg CB, Mazumdar M (1994). Operating characteristics of a rank correlation test
    for publication bias. Biometrics 50(4):1088-1101.
    Kendall MG (1970). Rank Correlation Methods, 4th ed. London: Griffin.
    """
    if not isinstance(exact, (bool, np.bool_)):
        # R's cor.test(exact=NULL) decides by n; metafor never passes NULL, and a
        # truthy non-bool (a string, 0/1) would choose silently
        raise TypeError(f"exact must be True or False, got {exact!r}")
    fitted = hasattr(res, "yi") and hasattr(res, "vi")
    if fitted:
        if vi is not None or yi is not None:
            raise TypeError(
                "ranktest got a fitted model and yi or vi: pass the model alone, "
                "ranktest(res), or the data alone, ranktest(yi, vi)"
            )
        yi, vi = res.yi, res.vi
    elif res is not None:
        # metafor's ranktest(yi, vi): the first argument is the effect sizes
        if yi is not None:
            raise TypeError("ranktest got yi twice: by position and by name")
        if vi is None:
            raise TypeError(
                f"ranktest expects a model fitted by rma() (an RMAResult) or yi and vi, got "
                f"{type(res).__name__} alone; pass ranktest(yi, vi) or ranktest(rma(yi, vi))"
            )
        yi = res
    if yi is None or vi is None:
        raise ValueError("ranktest needs a fitted model or yi and vi")
    check_aligned({"yi": yi, "vi": vi}, "ranktest")
    # metafor's ranktest stops too ("not enough finite observations")
    yi, vi = _as_arrays(yi, vi, "ranktest weights each study by 1/vi")
    n = yi.size
    if n < 2:
        raise ValueError(f"ranktest needs at least 2 studies, got k = {n}")
    wi = 1.0 / vi
    theta = np.sum(wi * yi) / np.sum(wi)
    vi_star = vi - 1.0 / np.sum(wi)
    yi_star = (yi - theta) / np.sqrt(vi_star)

    s, n1, n2 = _kendall_score(yi_star, vi)
    n0 = n * (n - 1) // 2
    if n1 == n0 or n2 == n0:
        # one variable constant: R's cor() gives NA
        return RanktestResult(np.nan, np.nan, True, False, s, n)
    tau = s / math.sqrt((n0 - n1) * (n0 - n2))
    ties = n1 > 0 or n2 > 0

    if exact and not ties and n <= KENDALL_EXACT_MAX_N:
        concordant = (s + n0) // 2
        # two-sided as R: double the smaller tail, using the symmetry of T about n0/2
        # to compute the upper tail directly rather than as 1 - cdf
        tail_q = concordant if 2 * concordant <= n0 else n0 - concordant
        pval = min(1.0, 2.0 * _kendall_lower_tail(tail_q, n))
        return RanktestResult(float(tau), float(pval), False, True, s, n)

    if n == 2:
        # only exact=False gets here (two studies with a tie have a constant variable,
        # handled above). R's cor.test computes the triple-tie term of var S,
        # sum t(t-1)(t-2) sum u(u-1)(u-2) / (9n(n-1)(n-2)), as 0/0 = NaN for n = 2, so
        # metafor's ranktest(exact=FALSE) reports p = NaN; dropping the term would give
        # a p-value (0.3173) that metafor does not
        return RanktestResult(float(tau), math.nan, ties, False, s, n)
    tx, ty = _tie_groups(yi_star), _tie_groups(vi)
    v0 = n * (n - 1) * (2 * n + 5)
    vt = float(np.sum(tx * (tx - 1) * (2 * tx + 5)))
    vu = float(np.sum(ty * (ty - 1) * (2 * ty + 5)))
    v1 = float(np.sum(tx * (tx - 1))) * float(np.sum(ty * (ty - 1)))
    v2 = float(np.sum(tx * (tx - 1) * (tx - 2))) * float(np.sum(ty * (ty - 1) * (ty - 2)))
    var_s = (v0 - vt - vu) / 18 + v1 / (2 * n * (n - 1)) + v2 / (9 * n * (n - 1) * (n - 2))
    z = s / math.sqrt(var_s)
    pval = float(dist.two_sided_norm_p(z))
    return RanktestResult(float(tau), pval, ties, False, s, n)


# --------------------------------------------------------------------------- trimfill


@dataclass(frozen=True, eq=False, repr=False)
class TrimfillResult(_Printed, _ToDict):
    """Trim-and-fill analysis (metafor ``trimfill``).

    ``k0`` imputed studies (estimated SE ``se_k0``) on ``side``; the remaining fields
    describe the model refitted to the ``k_total = k + k0`` studies in ``yi_aug``,
    ``vi_aug`` (observed studies first, in their original order, then the imputed
    ones; ``filled`` flags the latter). When ``k0 = 0`` they are the input model's
    own numbers, as in metafor. ``fit`` is that model (not part of ``to_dict``); when
    the input model keeps sample sizes (``res.ni``), ``fit.ni`` gives each filled study
    the sample size of the study it mirrors, as metafor's filled model does.
    ``I2``, ``H2``, ``QE`` and ``QEp`` are None when a study has vi = 0, where the
    model does not define them (metafor: NA). ``zval`` is that model's test statistic
    under every test and ``tval`` the same under a t-test (None under z), as on
    :class:`~metareview.pool.RMAResult`. ``beta`` is metafor's name for the pooled
    estimate (its ``trimfill`` returns a model, whose ``beta`` is a 1 x 1 matrix): a
    one-element read-only array as :attr:`RMAResult.beta`, ``beta[0] == estimate``.
    """

    k0: int
    se_k0: float
    side: str
    estimator: str
    input_method: str
    k: int
    k_total: int
    method: str
    test: str
    level: float
    estimate: float
    se: float
    zval: float
    tval: float | None
    df: float | None
    pval: float
    ci_lb: float
    ci_ub: float
    tau2: float
    I2: float | None
    H2: float | None
    QE: float | None
    QEp: float | None
    yi_aug: np.ndarray
    vi_aug: np.ndarray
    filled: np.ndarray
    yi_imputed: np.ndarray
    vi_imputed: np.ndarray
    iterations: int
    fit: Any

    _skip = ("fit",)

    @property
    def beta(self) -> np.ndarray:
        """The pooled estimate under metafor's name (``res$beta``), as an array of one."""
        return self.fit.beta

    @property
    def p_k0(self) -> float | None:
        """For ``estimator="R0"``, the one-sided p-value of the test of no missing studies
        on ``side`` (metafor's ``p.k0``): 0.5^(k0 + 1), the chance of a run of k0 + 1
        extreme ranks under symmetry; None for L0 and Q0, which give none."""
        return 0.5 ** (self.k0 + 1) if self.estimator == "R0" else None

    def summary(
        self, digits: int = 4, signif_stars: bool = True, signif_legend: bool | None = None
    ) -> str:
        """The analysis as metafor's ``print`` of a ``trimfill`` result shows it: the
        estimated number of missing studies on ``side`` with its SE (and for R0 the test
        that none are missing), then the filled model as :meth:`RMAResult.summary`
        prints it, with its significance stars and their legend as there
        (``signif_stars``, ``signif_legend``). ``str(tf)`` and a notebook's display show
        this text."""
        d = int(digits)
        se = _fcf(self.se_k0, d)
        lines = [
            f"Estimated number of missing studies on the {self.side} side: {self.k0} (SE = {se})"
        ]
        if self.p_k0 is not None:
            # metafor pads the p-value by the width of k0, to stand under the line above
            pad = " " * len(str(self.k0))
            lines.append(
                f"Test of H0: no missing studies on the {self.side} side:     {pad}"
                f"p-val {_p_eq(self.p_k0, d)}"
            )
        fit = self.fit.summary(d, signif_stars=signif_stars, signif_legend=signif_legend)
        return "\n".join([*lines, "", fit])

    def __repr__(self) -> str:
        # the dataclass repr would spell out the augmented data and the whole refitted
        # model on one line; the scalars say what was found, the arrays are attributes
        shown = [
            f"{f.name}={getattr(self, f.name)!r}"
            for f in fields(self)
            if not isinstance(getattr(self, f.name), np.ndarray) and f.name != "fit"
        ]
        return f"TrimfillResult({', '.join(shown)})"


def _float_or_none(x: Any) -> float | None:
    """``float(x)``, keeping None (a quantity the model leaves undefined)."""
    return None if x is None else float(x)


def _round_half_even(x: float) -> int:
    """R's ``round(x)``: IEC 60559 round half to even (Python's ``round`` agrees)."""
    return round(x)


def trimfill(
    res: RMAResult,
    side: Literal["left", "right"] | None = None,
    estimator: Literal["L0", "R0", "Q0"] = "L0",
    maxiter: int = 100,
) -> TrimfillResult:
    """Trim and fill (Duval & Tweedie 2000), as metafor's ``trimfill.rma.uni``.

    1. Side: unless given, ``"right"`` if the slope of
       ``rma(yi, vi, mods=sqrt(vi), method=<model's method>)`` is negative, else
       ``"left"`` (the side where studies are presumed missing); ``ValueError`` when
       all vi are equal to R's ``lm`` tolerance (1e-7), where the slope is undefined
       and metafor stops. For ``"right"`` the data are mirrored (``yi -> -yi``) so the
       algorithm always trims the right tail.
    2. Sort by ``yi`` and iterate from ``k0 = 0``: fit the model's method to the
       ``k - k0`` smallest studies (estimate ``beta``); rank ``|yi - beta|`` over all
       ``k`` studies (ties: first occurrence first), ``Sr`` = sum of the ranks of
       positive deviations (a deviation of exactly 0, the study left alone when
       ``k0 = k - 1`` or every study when all yi are equal, is on neither side; in
       metafor it is rounding noise of either sign, see docs/statistics.md), and

       * L0: ``k0 = (4 Sr - k(k+1)) / (2k - 1)``,
         ``se_k0 = 4 sqrt(var Sr) / (2k - 1)`` with
         ``var Sr = (k(k+1)(2k+1) + 10k0^3 + 27k0^2 + 17k0 - 18k k0^2 - 18k k0
         + 6k^2 k0) / 24`` evaluated at the unrounded k0;
       * R0: ``k0 = k - r* - 1`` with ``r*`` the largest rank of a negative deviation,
         ``se_k0 = sqrt(2 max(0, k0) + 2)``;
       * Q0: ``k0 = k - 1/2 - sqrt(2k^2 - 4Sr + 1/4)``,
         ``se_k0 = 2 sqrt(var Sr) / sqrt((k - 1/2)^2 - k0(2k - k0 - 1))``;

       then ``k0 = max(0, round(k0))`` with R's round half to even; stop when k0 no
       longer changes.
    3. If ``k0 > 0``, impute ``2 beta - yi`` (with the same ``vi``) for the ``k0`` most
       extreme studies and refit the model's method to the augmented data with a
       z-test at the model's level. If ``k0 = 0`` the input model is returned as is.

    Every fit uses the model's method and solver ``control`` (metafor's trimfill uses
    the default control, whose Fisher scoring stops at a change < 1e-5 in tau^2; with
    the exact solver the numbers agree with metafor run to convergence). metafor refits
    at its default 95% level whatever the input model's level; here the input model's
    level is kept (identical results at the default level).

    Parameters
    ----------
    res
        A fitted intercept-only model from :func:`metareview.pool.rma`.
    side
        ``"left"``, ``"right"`` or ``None`` (choose as in step 1).
    estimator
        ``"L0"`` (default), ``"R0"`` or ``"Q0"``.
    maxiter
        Maximum number of iterations.

    Returns
    -------
    TrimfillResult
    """
    from metareview import pool

    pool.require_model(res, "trimfill")
    if int(getattr(res, "p", 1)) != 1:
        raise ValueError("trim and fill only applies to models without moderators")
    if estimator not in ("L0", "R0", "Q0"):
        raise ValueError(f"estimator must be 'L0', 'R0' or 'Q0', not {estimator!r}")
    # validated once here; every refit below works on these arrays through the engine's
    # private fast paths (no re-validation, no result objects until the final fit)
    yi_obs, vi_obs, vmin = pool._check_data(
        np.asarray(res.yi, dtype=float).ravel(), np.asarray(res.vi, dtype=float).ravel()
    )
    k = yi_obs.size
    if k < 2:
        raise ValueError(f"trim and fill needs at least 2 studies, got k = {k}")
    method = str(res.method).upper()
    control = getattr(res, "control", None) or None
    con = pool._control(control)
    allvipos = vmin > 0.0
    # a model fitted with weights or weighted=False: every fit below passes them on, as
    # metafor's trimfill passes weights and weighted to each rma.uni
    weighted = bool(getattr(res, "weighted", True))
    given = getattr(res, "weights_given", None)
    custom = given is not None or not weighted

    def custom_fit(y: np.ndarray, v: np.ndarray, a: Any, **kwargs: Any) -> Any:
        return pool.rma(
            y, v, method=method, control=control, weights=a, weighted=weighted, **kwargs
        )

    if side is None:
        if _aliased(np.column_stack([np.ones(k), np.sqrt(vi_obs)])):
            # metafor drops sqrt(vi) as a redundant predictor and then stops on the
            # missing slope; its sign would here be rounding noise
            raise ValueError(
                "trim and fill cannot choose the side: the sampling variances are all equal "
                "(to 1e-7), so rma(yi, vi, mods=sqrt(vi)) has no slope; give side='left' "
                "or side='right'"
            )
        # slope of rma(yi, vi, mods=sqrt(vi), method=method); like each fit below, it
        # stays quiet as in metafor (suppressWarnings): the warnings about these data
        # were the model's own, once
        try:
            with pool._refits():
                if custom:
                    slope = float(custom_fit(yi_obs, vi_obs, given, mods=np.sqrt(vi_obs)).beta[1])
                else:
                    slope = pool._reg1_fit(yi_obs, vi_obs, np.sqrt(vi_obs), method, con)[1]
        except ValueError as exc:
            # k = 2 with a random-effects method: the regression has no residual df
            raise ValueError(
                f"trim and fill cannot choose the side with k = {k}: it is the sign of the "
                f"slope of rma(yi, vi, mods=sqrt(vi), method={method!r}), which cannot be "
                f"fitted ({exc}); give side='left' or side='right'"
            ) from None
        side = "right" if slope < 0 else "left"
    elif side not in ("left", "right"):
        raise ValueError(f"side must be 'left', 'right' or None, not {side!r}")

    flip = -1.0 if side == "right" else 1.0
    yf = flip * yi_obs
    order = np.argsort(yf, kind="stable")  # R's sort(index.return=TRUE) is stable
    ys, vs = yf[order], vi_obs[order]
    as_ = None if given is None else np.asarray(given, dtype=float)[order]

    k0, k0_prev, iteration = 0, -1, 0
    se_k0 = math.nan
    beta = math.nan
    yc = ys
    while k0 != k0_prev:
        k0_prev = k0
        iteration += 1
        if iteration > maxiter:
            raise RuntimeError(f"trim and fill did not converge in {maxiter} iterations")
        # the pooled estimate of the k - k0 smallest studies (weights 1/(vi + tau^2))
        with pool._refits():
            if custom:
                a_t = None if as_ is None else as_[: k - k0]
                beta = custom_fit(ys[: k - k0], vs[: k - k0], a_t).estimate
            else:
                beta = pool._single_tau2(ys[: k - k0], vs[: k - k0], allvipos, method, con).mu
        yc = ys - beta
        ranks = np.empty(k, dtype=np.int64)
        ranks[np.argsort(np.abs(yc), kind="stable")] = np.arange(1, k + 1)
        signed = np.sign(yc) * ranks
        if estimator == "R0":
            neg = -signed[signed < 0]
            k0_raw = float(k - (neg.max() if neg.size else -np.inf) - 1)
            se_k0 = math.sqrt(2.0 * max(0.0, k0_raw) + 2.0)
        else:
            sr = float(np.sum(signed[signed > 0]))
            if estimator == "L0":
                k0_raw = (4.0 * sr - k * (k + 1)) / (2.0 * k - 1.0)
            else:
                disc = 2.0 * k**2 - 4.0 * sr + 0.25
                if disc < 0:  # metafor fails here too (NaN in its loop condition)
                    raise RuntimeError(
                        f"trim and fill (Q0) is undefined for these data: 2k^2 - 4 Sr + 1/4 "
                        f"= {disc:g} < 0 (k = {k}, Sr = {sr:g}); use estimator='L0' or 'R0'"
                    )
                k0_raw = k - 0.5 - math.sqrt(disc)
            var_sr = (
                k * (k + 1) * (2 * k + 1)
                + 10 * k0_raw**3
                + 27 * k0_raw**2
                + 17 * k0_raw
                - 18 * k * k0_raw**2
                - 18 * k * k0_raw
                + 6 * k**2 * k0_raw
            ) / 24.0
            if estimator == "L0":
                se_k0 = 4.0 * math.sqrt(var_sr) / (2.0 * k - 1.0) if var_sr >= 0 else math.nan
            else:
                denom = (k - 0.5) ** 2 - k0_raw * (2 * k - k0_raw - 1)
                # R gives NaN for a negative radicand; max(0, NaN) is then NaN as well
                se_k0 = (
                    2.0 * math.sqrt(var_sr) / math.sqrt(denom)
                    if var_sr >= 0 and denom > 0
                    else math.nan
                )
        if math.isinf(k0_raw):  # R0 with no negative deviation: R's max() is -Inf
            raise RuntimeError("trim and fill (R0): no study on the trimmed side")
        k0 = max(0, _round_half_even(k0_raw))
        if k0 >= k:  # only possible for k = 2; R fails fitting an empty model here
            raise RuntimeError(f"trim and fill would trim all {k} studies (k0 = {k0})")
        se_k0 = se_k0 if math.isnan(se_k0) else max(0.0, se_k0)

    if k0 > 0:
        # mirror the k0 most extreme studies about beta, then undo the flip
        yi_imp = flip * (2.0 * beta - ys[k - k0 :])
        vi_imp = vs[k - k0 :].copy()
        yi_aug = np.concatenate([yi_obs, yi_imp])
        vi_aug = np.concatenate([vi_obs, vi_imp])
        # a filled study has the sample size of the study it mirrors, as in metafor's
        # refit (ni.fill), so that the filled model's regtest can use ni as well
        ni_obs = getattr(res, "ni", None)
        ni_aug = None if ni_obs is None else np.concatenate([ni_obs, ni_obs[order][k - k0 :]])
        # a filled study has the weight of the study it mirrors (metafor's wi.fill)
        a_aug = None if as_ is None else np.concatenate([np.asarray(given), as_[k - k0 :]])
        # the studies by their labels, the filled ones "Filled 1", "Filled 2", ... as in
        # metafor's refit, which names studies without labels "Study 1", "Study 2", ...
        # after their row numbers (the default labels)
        observed = [f"Study {s}" if getattr(res, "slab_null", False) else str(s) for s in res.slab]
        slab_aug = [*observed, *(f"Filled {i + 1}" for i in range(k0))]
        with pool._refits():
            fit = pool.rma(
                yi_aug, vi_aug, method=method, test="z", level=float(res.level),
                control=control, ni=ni_aug, weights=a_aug, weighted=weighted, slab=slab_aug,
            )  # fmt: skip
    else:
        yi_imp = np.empty(0)
        vi_imp = np.empty(0)
        yi_aug, vi_aug = yi_obs.copy(), vi_obs.copy()
        fit = res
    filled = np.concatenate([np.zeros(k, dtype=bool), np.ones(k0, dtype=bool)])
    ftest = str(fit.test)
    # a fit has df exactly when its test is not "z" (RMAResult)
    assert ftest == "z" or fit.df is not None
    stat = float(fit.zval)
    return TrimfillResult(
        k0=int(k0),
        se_k0=float(se_k0),
        side=side,
        estimator=estimator,
        input_method=method,
        k=k,
        k_total=k + int(k0),
        method=str(fit.method),
        test=ftest,
        level=float(fit.level),
        estimate=float(fit.estimate),
        se=float(fit.se),
        zval=stat,
        tval=None if ftest == "z" else stat,
        df=None if ftest == "z" or fit.df is None else float(fit.df),
        pval=float(fit.pval),
        ci_lb=float(fit.ci_lb),
        ci_ub=float(fit.ci_ub),
        tau2=float(fit.tau2),
        I2=_float_or_none(fit.I2),
        H2=_float_or_none(fit.H2),
        QE=_float_or_none(fit.QE),
        QEp=_float_or_none(fit.QEp),
        yi_aug=yi_aug,
        vi_aug=vi_aug,
        filled=filled,
        yi_imputed=yi_imp,
        vi_imputed=vi_imp,
        iterations=iteration,
        fit=fit,
    )


# --------------------------------------------------------------------------- fsn


@dataclass(frozen=True)
class FsnResult(_Printed, _ToDict):
    """Rosenthal's fail-safe N (metafor ``fsn``): ``fsnum`` as metafor reports it
    (rounded up; ``math.inf`` from a study of vi = 0), ``fsnum_raw`` unrounded, the
    Stouffer statistic ``z_stouffer`` and its one-sided p-value ``pval``."""

    type: str
    alpha: float
    fsnum: int | float
    fsnum_raw: float
    z_stouffer: float
    pval: float
    k: int

    def summary(self, digits: int = 4) -> str:
        """The fail-safe N as metafor's ``print.fsn`` shows it: the observed and target
        significance levels and N (``Inf`` when infinite). ``str(f)`` and a notebook's
        display show this text."""
        from metareview.pool import _fmt_p

        return "\n".join([
            f"Fail-safe N Calculation Using the {self.type} Approach",
            "",
            f"Observed Significance Level: {_fmt_p(self.pval, int(digits))}",
            f"Target Significance Level:   {_r_number(self.alpha)}",
            "",
            f"Fail-safe N: {_r_number(float(self.fsnum))}",
        ])  # fmt: skip


def fsn(yi: Any, vi: Any = None, alpha: float = 0.05) -> FsnResult:
    """Rosenthal's (1979) fail-safe N: how many null studies would have to be added
    for the combined (Stouffer) test to lose one-sided significance at ``alpha``.

    ``Z_S = |sum(yi / sqrt(vi))| / sqrt(k)``, ``pval = 1 - Phi(Z_S)``,
    ``N = max(0, k (Z_S / z_{1-alpha})^2 - k)``.

    metafor reports ``N`` rounded up (``ceiling``) unless it lies within
    ``sqrt(machine epsilon)`` of an integer, then rounded to it; ``fsnum_raw`` keeps
    the unrounded value.

    A study of vi = 0 and yi != 0 has an infinite z = yi / sqrt(vi). When every such z
    has one sign, the sum is infinite, and so, as in metafor (which warns of nothing
    here), are ``z_stouffer``, ``fsnum_raw`` and ``fsnum`` (``math.inf``), with
    ``pval = 0``. When the sum is undefined (a study of vi = 0 and yi = 0, whose z is
    0/0, or infinite z of both signs) metafor stops ("missing value where TRUE/FALSE
    needed"), and so does this, naming the studies.

    Parameters
    ----------
    yi, vi
        Effect sizes and sampling variances (vi >= 0). As metafor 3.8-1's ``fsn``, which
        has no method for a fitted model, it takes data only: a fit (or escalc's
        ``EffectSizes``) is refused, naming ``res.fsn()`` (``fsn(es.yi, es.vi)``).
    alpha
        One-sided significance level (default 0.05).

    Returns
    -------
    FsnResult

    Raises
    ------
    TypeError
        A fitted model or an ``EffectSizes`` in place of yi, or no vi.
    ValueError
        For a vi < 0 (metafor's ``sqrt`` gives NaN, and it stops), or a sum of the z
        that is undefined, as above.

    References
    ----------
    Rosenthal R (1979). The file drawer problem and tolerance for null results.
    Psychological Bulletin 86:638-641.
    """
    if hasattr(yi, "yi") and hasattr(yi, "vi"):
        # metafor's fsn(res) stops on "Must specify 'vi' or 'sei' argument"
        fitted = hasattr(yi, "beta")
        raise TypeError(
            "fsn takes the data, fsn(yi, vi), as metafor 3.8-1's fsn, not "
            + (
                "a fitted model: use res.fsn(), or fsn(res.yi, res.vi)"
                if fitted
                else "escalc's EffectSizes: pass fsn(es.yi, es.vi)"
            )
        )
    if vi is None:
        raise TypeError("fsn needs the sampling variances vi: fsn(yi, vi)")
    check_aligned({"yi": yi, "vi": vi}, "fsn")
    yi, vi = _as_arrays(
        yi, vi, "fsn takes sqrt(vi), NaN below 0 (metafor warns and stops)", zero_vi=True
    )
    k = yi.size
    if k < 1:
        raise ValueError("fsn needs at least one study")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha!r}")
    zero = vi == 0
    if zero.any():
        # each such z is +-inf, or 0/0 where yi = 0: the sum is infinite or undefined
        nan = np.flatnonzero(zero & (yi == 0))
        if nan.size:
            raise ValueError(
                f"fsn sums yi / sqrt(vi), which is 0/0 where yi = 0 and vi = 0: "
                f"{nan.size} of {k} studies (indices {nan[:10].tolist()}); metafor stops "
                "there too"
            )
        signs = np.sign(yi[zero])
        if signs.min() != signs.max():
            both = np.flatnonzero(zero)
            raise ValueError(
                f"fsn sums yi / sqrt(vi), which is +inf and -inf for studies of vi = 0 "
                f"with effects of both signs (indices {both[:10].tolist()}): the sum is "
                "undefined; metafor stops there too"
            )
        inf = math.inf
        return FsnResult("Rosenthal", float(alpha), inf, inf, inf, 0.0, k)
    z = abs(float(np.sum(yi / np.sqrt(vi)))) / math.sqrt(k)
    pval = float(dist.norm_sf(z))
    # qnorm(alpha, lower.tail=FALSE), without rounding 1 - alpha
    z_alpha = float(dist.norm_isf(alpha))
    raw = max(0.0, k * (z / z_alpha) ** 2 - k)
    if abs(raw - round(raw)) >= math.sqrt(np.finfo(float).eps):
        fsnum = math.ceil(raw)
    else:
        fsnum = round(raw)
    return FsnResult("Rosenthal", float(alpha), int(fsnum), float(raw), z, pval, k)
