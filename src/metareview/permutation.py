"""Permutation tests of a fitted model's coefficients, as metafor 3.8-1's ``permutest``.

:func:`permutest` refits the model of :func:`metareview.pool.rma` to permuted data and
refers its test statistics to their permutation distribution rather than to the normal,
t, chi-square or F distribution, which few studies may not justify (Follmann & Proschan
1999; Higgins & Thompson 2004; Viechtbauer et al. 2015).

- A model without moderators: under the null hypothesis mu = 0 each yi is as likely to
  have either sign, so the permutations are the 2^k sign flips of the yi.
- A meta-regression: under the null hypothesis that the moderators are unrelated to the
  outcomes, any assignment of the rows of the model matrix X to the studies is as likely,
  so the permutations are the distinct orders of the rows of X (k! divided by the
  factorial of the number of each set of identical rows).

The test is exact, every permutation refitted once, when ``exact=True`` or when there are
no more permutations than ``iter``; otherwise ``iter`` random permutations are drawn,
the first replaced by the observed data, as metafor does. The p-value of each coefficient
is the proportion of permuted statistics at least as extreme as the observed one,
|z_perm| >= |z_obs| - comptol (metafor's comptol = sqrt(machine epsilon), so that the
observed data and their ties count whatever the rounding), and that of the omnibus test
QM_perm >= QM - comptol.

Random permutations are drawn with numpy (``seed`` or ``rng``), so their p-values differ
from metafor's, which draws from R's random number stream, by Monte Carlo error: a
p-value near P from N permutations has a standard error of about sqrt(P (1 - P) / N).

``permci`` gives permutation-based confidence intervals, as metafor's: each bound is
where the one-sided permutation p-value of the model refitted to yi - b0 x_j crosses
alpha/2, found by R's uniroot (Brent's method), with metafor's control options of that
search (``tol``, ``maxiter``, ``distfac``, ``cialt``).

Every refit uses the model's own control, so an exact test agrees with metafor's only
under the same stopping rules: fit with ``control=METAFOR_DEFAULTS`` to reproduce
metafor's default output, where a refit its defaults leave unconverged is dropped from
the proportions (one such refit can move a permci bound a long way).

References
----------
Follmann DA, Proschan MA (1999). Valid inference in random effects meta-analysis.
Biometrics 55(3):732-737.
Higgins JPT, Thompson SG (2004). Controlling the risk of spurious findings from
meta-regression. Statistics in Medicine 23(11):1663-1682.
Viechtbauer W, Lopez-Lopez JA, Sanchez-Meca J, Marin-Martinez F (2015). A comparison of
procedures to test for moderators in mixed-effects meta-regression models. Psychological
Methods 20(3):360-374.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from metareview.arguments import alpha_from_level
from metareview.bias import _fcf, _p_eq, _Printed, _r_number, _ToDict
from metareview.pool import (
    _SIGNIF_LEGEND,
    _batch_finish,
    _batch_tau2,
    _control,
    _fmt_p,
    _format_btt,
    _omnibus,
    _refits,
    _rma_impl,
    _Rows,
    _signif_stars,
    _table,
    require_model,
)

if TYPE_CHECKING:
    from metareview.pool import RMAResult

__all__ = ["PermutestResult", "permutest"]

#: metafor's ``comptol``: a permuted statistic counts as at least as extreme as the
#: observed one when it is larger than the observed one less this tolerance
COMPTOL = float(np.finfo(float).eps) ** 0.5

#: The most permutations one test refits: an exact test of more (2^k sign flips for
#: k > 24) would take hours and several GB; draw random permutations instead.
MAX_PERMUTATIONS = 1 << 24

#: Cells (fits x studies) of one block of the batched sign-flip refits.
_BLOCK_CELLS = 1 << 22

#: metafor's footnote marks: the first beside what permutation testing gave, the second
#: before the footnote itself
_FOOT = ("\u00b9", "1)")

#: Rounds of new draws for random permutations whose refit fails (metafor draws again
#: until it has ``iter`` successful refits, without a limit).
_MAX_REDRAWS = 100


@dataclass(frozen=True, eq=False)
class PermutestResult(_Printed, _ToDict):
    """A permutation test of a fitted model (metafor's ``permutest.rma.uni`` result).

    Per coefficient (length p, names ``coef_names``): ``pval``, the permutation p-value;
    ``beta``, ``se`` and ``zval`` (the statistic of the model's test: a t statistic under
    t, knha and adhoc, when ``tval`` holds it too), the model's own; ``ci_lb`` and
    ``ci_ub``, the model's Wald-type interval, or with ``permci`` the permutation-based
    one (NaN for a coefficient not asked for, or a bound the search could not find, as
    metafor's NA). Omnibus test of the
    coefficients ``btt`` (0-based; ``m`` of them): ``QM`` (chi-square, or F under the
    t-type tests) on ``QMdf`` and its permutation p-value ``QMp``.

    ``exact`` says whether every permutation was refitted (``iter`` = ``exact_iter`` of
    them) or ``iter`` random ones; ``exact_iter`` is the number of distinct permutations
    (2^k sign flips without moderators). The permutation distributions: ``QM_perm``
    (length iter), ``zval_perm`` and ``beta_perm`` (iter x p), in metafor's order of the
    permutations for an exact test (NaN where a refit failed, which the p-values leave
    out, as metafor's ``na.rm = TRUE``); for random permutations the first row is the
    observed data's. ``alternative``, ``p2defn``, ``stat`` and ``comptol`` (the tolerance
    of the comparisons) are metafor's control options of the same names. ``to_dict``
    leaves the distributions out.
    """

    pval: np.ndarray
    QM: float
    QMdf: tuple[int, int | None]
    QMp: float
    beta: np.ndarray
    se: np.ndarray
    zval: np.ndarray
    tval: np.ndarray | None
    df: int | None
    ci_lb: np.ndarray
    ci_ub: np.ndarray
    coef_names: tuple[str, ...]
    btt: tuple[int, ...]
    m: int
    k: int
    p: int
    test: str
    int_only: bool
    exact: bool
    iter: int
    exact_iter: float
    alternative: str
    p2defn: str
    stat: str
    comptol: float
    QM_perm: np.ndarray
    zval_perm: np.ndarray
    beta_perm: np.ndarray
    permci: bool = False

    _skip = ("QM_perm", "zval_perm", "beta_perm")

    def __post_init__(self) -> None:
        for name in ("pval", "beta", "se", "zval", "ci_lb", "ci_ub", "QM_perm", "zval_perm",
                     "beta_perm"):  # fmt: skip
            getattr(self, name).setflags(write=False)

    def summary(self, digits: int = 4, stars: bool = True, legend: bool = True) -> str:
        """The test as metafor's ``print.permutest.rma.uni`` shows it: the omnibus test
        of a meta-regression, the model's coefficients with their permutation p-values
        (marked with a footnote), the legend of the significance stars and the footnote.
        """
        d = int(digits)
        use_t = self.test != "z"
        lines: list[str] = []
        if not self.int_only:
            which = f"coefficient{'' if self.m == 1 else 's'} {_format_btt(self.btt)}"
            m, df2 = self.QMdf
            stat = f"QM(df = {m})" if df2 is None else f"F(df1 = {m}, df2 = {df2})"
            lines += [
                f"Test of Moderators ({which}):{_FOOT[0]}",
                f"{stat} = {_fcf(self.QM, d)}, p-val {_p_eq(self.QMp, d)}",
                "",
            ]
        lines += ["Model Results:", ""]
        header = ["estimate", "se", "tval" if use_t else "zval"]
        if use_t:
            header.append("df")
        ci_mark = _FOOT[0] if self.permci else ""
        header += [f"pval{_FOOT[0]}", f"ci.lb{ci_mark}", f"ci.ub{ci_mark}"]
        if stars:
            header.append("")
        rows = []
        for j in range(self.p):
            row = [_fcf(float(self.beta[j]), d), _fcf(float(self.se[j]), d),
                   _fcf(float(self.zval[j]), d)]  # fmt: skip
            if use_t:
                row.append(str(self.df))
            # metafor pads each value of a marked column with a space (.addfootsym)
            pad = " " if self.permci else ""
            row += [_fmt_p(float(self.pval[j]), d) + " ", _fcf(float(self.ci_lb[j]), d) + pad,
                    _fcf(float(self.ci_ub[j]), d) + pad]  # fmt: skip
            if stars:
                row.append(_signif_stars(float(self.pval[j])))
            rows.append(row)
        names = None if self.int_only else list(self.coef_names)
        lines += [line.rstrip() for line in _table(header, rows, names)]
        if stars or legend:
            lines += ["", "---"]
        if stars:
            lines.append(_SIGNIF_LEGEND)
        if legend:
            s = "" if self.int_only else "s"
            ci = " and CI bounds" if self.permci else ""
            lines += ["", f"{_FOOT[1]} p-value{s}{ci} based on permutation testing"]
        return "\n".join(lines)


# --------------------------------------------------------------------------- permutations


def _sign_flips(k: int, start: int, stop: int) -> np.ndarray:
    """Rows ``start``..``stop - 1`` of metafor's sign matrix, R's ``expand.grid`` of k
    copies of c(1, -1): the first column alternates fastest, row 0 keeps every sign."""
    i = np.arange(start, stop, dtype=np.int64)[:, None]
    bits = (i >> np.arange(k, dtype=np.int64)) & 1
    return 1.0 - 2.0 * bits


def _rows_of(a: np.ndarray) -> Callable[[int, int], np.ndarray]:
    """Rows start..stop - 1 of the drawn sign flips ``a``, as :func:`_batched_flips` asks."""

    def rows(start: int, stop: int) -> np.ndarray:
        return a[start:stop]

    return rows


def _sorted_design(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows of X in metafor's order (R's ``order`` over the columns, first column
    first; ties keep their order) and, per sorted row, the 0-based position of the first
    row identical to it (metafor's ``X.indices`` less one)."""
    order = np.lexsort(X.T[::-1])
    Xs = X[order]
    first = np.zeros(Xs.shape[0], dtype=np.intp)
    for i in range(1, Xs.shape[0]):
        first[i] = first[i - 1] if np.array_equal(Xs[i], Xs[i - 1]) else i
    return Xs, first


def _count_orders(first: np.ndarray) -> float:
    """metafor's number of distinct orders of the rows: k! / prod(n_g!) over the sets of
    identical rows, computed as it does, (n_max + 1) ... k over the product of the other
    sets' factorials (infinite when it overflows a double)."""
    k = first.size
    _, counts = np.unique(first, return_counts=True)
    big = int(np.argmax(counts))
    top = int(counts[big])
    # R's (top + 1):k, which counts down when top + 1 > k (all rows identical)
    seq = range(top + 1, k + 1) if top + 1 <= k else range(top + 1, k - 1, -1)
    num = math.prod(seq)
    den = math.prod(math.factorial(int(c)) for j, c in enumerate(counts) if j != big)
    try:
        return float(num // den)
    except OverflowError:
        return math.inf


def _multiset_orders(first: np.ndarray) -> np.ndarray:
    """Every distinct order of the multiset ``first`` in lexicographic order, one per
    row: the order metafor's ``.genuperms`` lists them in (Knuth's Algorithm L, next
    permutation)."""
    a = sorted(int(x) for x in first)
    n = len(a)
    out = [a.copy()]
    while True:
        j = n - 2
        while j >= 0 and a[j] >= a[j + 1]:
            j -= 1
        if j < 0:
            break
        m = n - 1
        while a[j] >= a[m]:
            m -= 1
        a[j], a[m] = a[m], a[j]
        a[j + 1 :] = a[j + 1 :][::-1]
        out.append(a.copy())
    return np.array(out, dtype=np.intp).reshape(len(out), n)


# --------------------------------------------------------------------------- refits


def _refit_one(
    res: RMAResult, y: np.ndarray, X: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, float]:
    """beta, the test statistics and QM of the model ``res`` refitted to ``y`` (and the
    model matrix ``X``, intercept included, for a meta-regression), with its method,
    test, weights, given tau^2 and control, as metafor's refits (``skipr2 = TRUE``)."""
    with _refits():
        fit = _rma_impl(
            y, np.asarray(res.vi), method=res.method, test=res.test, level=res.level,
            mods=X, intercept=X is None, slab=None, control=res.control, skip_r2=True,
            weights=None if res.weights_given is None else np.asarray(res.weights_given),
            weighted=res.weighted, tau2=float(res.tau2) if res.tau2_fix else None,
        )  # fmt: skip
    beta = np.asarray(fit.beta, dtype=float)
    if X is None:
        return beta, np.asarray(fit.zval_beta, dtype=float), float(fit.QM)
    btt = np.asarray(res.btt, dtype=np.intp)
    QM, _, _ = _omnibus(beta, np.asarray(fit.vb), res.test != "z", res.k - res.p, btt)
    return beta, np.asarray(fit.zval_beta, dtype=float), QM


def _loop(
    res: RMAResult, ys: np.ndarray | None, Xs: list[np.ndarray] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Refit the model to each row of ``ys`` (sign-flipped yi) or each model matrix of
    ``Xs``, one at a time; a refit that fails is a row of NaN, as metafor records NA."""
    n = len(ys) if ys is not None else len(Xs or [])
    p = res.p
    beta = np.full((n, p), np.nan)
    zval = np.full((n, p), np.nan)
    QM = np.full(n, np.nan)
    y0 = np.asarray(res.yi, dtype=float)
    for i in range(n):
        try:
            if ys is not None:
                b, z, q = _refit_one(res, ys[i], None)
            else:
                assert Xs is not None
                b, z, q = _refit_one(res, y0, Xs[i])
        except (ValueError, RuntimeError, np.linalg.LinAlgError):
            continue
        beta[i], zval[i], QM[i] = b, z, q
    return beta, zval, QM


def _batched_flips(
    res: RMAResult, signs: Callable[[int, int], np.ndarray], n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The model without moderators refitted to the sign flips ``signs(start, stop)``
    (rows start..stop - 1 of n) at once, with the library's vectorised solver
    (:func:`metareview.pool._batch_tau2`), in blocks of rows; a block whose tau^2 solver
    fails is refitted row by row."""
    y = np.asarray(res.yi, dtype=float)
    k = y.size
    step = max(1, _BLOCK_CELLS // max(k, 1))
    if res.custom_weights:
        # the batched sums are built on the weights 1/(vi + tau^2): one fit at a time
        parts = [_loop(res, signs(s, min(n, s + step)) * y, None) for s in range(0, n, step)]
        return tuple(np.concatenate([part[j] for part in parts]) for j in range(3))  # type: ignore[return-value]
    v = np.asarray(res.vi, dtype=float)
    con = _control(res.control)
    tau2 = float(res.tau2) if res.tau2_fix else None
    est = np.full(n, np.nan)
    zval = np.full(n, np.nan)
    for start in range(0, n, step):
        block = signs(start, min(n, start + step)) * y
        try:
            with _refits():
                rows = _Rows(block, np.broadcast_to(v, block.shape), None)
                core = _batch_tau2(rows, res.method, con, tau2)
                bf = _batch_finish(rows, core, res.method, res.test, res.level, loglik=False,
                                   failed="nan")  # fmt: skip
        except (RuntimeError, ValueError):
            b, z, _ = _loop(res, block, None)
            est[start : start + len(block)] = b[:, 0]
            zval[start : start + len(block)] = z[:, 0]
            continue
        est[start : start + len(block)] = bf.estimate
        zval[start : start + len(block)] = bf.zval
    # QM of one coefficient: z^2, or F = t^2 under the t-type tests
    return est[:, None], zval[:, None], zval * zval


# --------------------------------------------------------------------------- p-values


def _prop(hits: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """R's ``mean(hits, na.rm = TRUE)`` down the rows, ``valid`` marking the non-NA ones."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (hits & valid).sum(axis=0) / valid.sum(axis=0)


def _pvalues(
    obs: np.ndarray, perm: np.ndarray, alternative: str, p2defn: str, comptol: float
) -> np.ndarray:
    """metafor's permutation p-values of each column of ``perm`` (iter x p) against the
    observed ``obs`` (p): two-sided by |perm| >= |obs| - comptol ("abs") or as twice the
    proportion on the side of the permutation median that obs lies on ("px2"), or one
    of the one-sided proportions; capped at 1."""
    valid = ~np.isnan(perm)
    with np.errstate(invalid="ignore"):
        if alternative == "less":
            out = _prop(perm <= obs + comptol, valid)
        elif alternative == "greater":
            out = _prop(perm >= obs - comptol, valid)
        elif p2defn == "abs":
            out = _prop(np.abs(perm) >= np.abs(obs) - comptol, valid)
        else:
            upper = obs > np.nanmedian(perm, axis=0)
            out = 2.0 * np.where(upper, _prop(perm >= obs - comptol, valid),
                                 _prop(perm <= obs + comptol, valid))  # fmt: skip
    return np.minimum(out, 1.0)


def _choice(value: str, name: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")
    return value


def _distributions(
    res: RMAResult,
    is_exact: bool,
    n: int,
    gen: np.random.Generator | None,
    Xs: np.ndarray,
    first: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """beta, the test statistics and QM of the model ``res`` refitted to each of its n
    permutations: every one (``is_exact``) in metafor's order, or n drawn from ``gen``
    with the first replaced by the observed data, as metafor does. ``Xs`` and ``first``
    are the sorted model matrix and its sets of identical rows (:func:`_sorted_design`).
    """
    k = res.k
    if res.int_only:
        if is_exact:
            return _batched_flips(res, lambda a, b: _sign_flips(k, a, b), n)
        assert gen is not None
        drawn = 1.0 - 2.0 * gen.integers(0, 2, size=(n, k))
        beta_p, zval_p, QM_p = _batched_flips(res, _rows_of(drawn), n)
        # metafor draws again until every one of the iter refits succeeds
        for _ in range(_MAX_REDRAWS):
            bad = np.flatnonzero(np.isnan(QM_p))
            if bad.size == 0:
                break
            new = 1.0 - 2.0 * gen.integers(0, 2, size=(bad.size, k))
            beta_p[bad], zval_p[bad], QM_p[bad] = _batched_flips(res, _rows_of(new), bad.size)
    else:
        if is_exact:
            return _loop(res, None, [Xs[o] for o in _multiset_orders(first)])
        assert gen is not None
        orders = [gen.permutation(k) for _ in range(n)]
        beta_p, zval_p, QM_p = _loop(res, None, [Xs[o] for o in orders])
        for _ in range(_MAX_REDRAWS):
            bad = np.flatnonzero(np.isnan(QM_p))
            if bad.size == 0:
                break
            redo = _loop(res, None, [Xs[gen.permutation(k)] for _ in bad])
            beta_p[bad], zval_p[bad], QM_p[bad] = redo
    if np.any(np.isnan(QM_p)):
        raise RuntimeError(
            f"{int(np.isnan(QM_p).sum())} of {n} random permutations could not be "
            f"refitted after {_MAX_REDRAWS} rounds of new draws"
        )
    beta_p[0] = np.asarray(res.beta, dtype=float)
    zval_p[0] = np.asarray(res.zval_beta, dtype=float)
    QM_p[0] = float(res.QM)
    return beta_p, zval_p, QM_p


# --------------------------------------------------------------------------- permci


#: metafor's ``control`` of ``permutest`` and its defaults: ``comptol`` (see
#: :data:`COMPTOL`); ``alternative``, ``p2defn`` and ``stat``, how the p-values are
#: computed; and the search for permutation-based CI bounds: uniroot's ``tol`` and
#: ``maxiter``, ``distfac`` (how far beyond the model's CI bound the search starts, in
#: units of the bound's distance from the estimate), ``cialt`` (one-sided p-values at
#: alpha/2, or two-sided ones at alpha) and ``extendInt`` (only "no": R's widening of the
#: search interval is not implemented).
PERMUTEST_CONTROL: dict[str, Any] = {
    "comptol": COMPTOL,
    "tol": float(np.finfo(float).eps) ** 0.25,
    "maxiter": 100,
    "alternative": "two.sided",
    "p2defn": "abs",
    "stat": "test",
    "cialt": "one.sided",
    "distfac": 1.0,
    "extendInt": "no",
}


def _permci_bound(
    res: RMAResult,
    j: int,
    upper: bool,
    is_exact: bool,
    n: int,
    gen: np.random.Generator | None,
    Xs: np.ndarray,
    first: np.ndarray,
    con: dict[str, Any],
) -> float:
    """One bound of metafor's permutation-based CI of coefficient j (``.permci``): the
    value b0 at which the one-sided permutation p-value of the model refitted to
    yi - b0 x_j crosses alpha/2 ("greater" for the lower bound, "less" for the upper;
    with ``cialt`` "two.sided" the two-sided p-value crosses alpha), found by R's uniroot
    (``con``'s tol and maxiter) between the model's bound, pushed out by ``distfac``
    times its distance from the estimate, and the estimate. NaN where metafor's is NA:
    the p-values at the ends of the interval on the same side of the target, or a refit
    that fails."""
    from metareview.pool import _zeroin

    X = np.asarray(res.X, dtype=float)
    y = np.asarray(res.yi, dtype=float)
    if con["cialt"] == "two.sided":
        alternative, target = "two.sided", alpha_from_level(res.level)
    else:
        alternative = "less" if upper else "greater"
        target = alpha_from_level(res.level) / 2.0
    p2defn, stat, comptol = con["p2defn"], con["stat"], con["comptol"]

    def f(val: float) -> float:
        with _refits():
            fit = _rma_impl(
                y - val * X[:, j], np.asarray(res.vi), method=res.method, test=res.test,
                level=res.level, mods=X, intercept=False, slab=None, control=res.control,
                skip_r2=True,
                weights=None if res.weights_given is None else np.asarray(res.weights_given),
                weighted=res.weighted, tau2=float(res.tau2) if res.tau2_fix else None,
            )  # fmt: skip
        beta_p, zval_p, _ = _distributions(fit, is_exact, n, gen, Xs, first)
        if stat == "test":
            obs, perm = np.asarray(fit.zval_beta, dtype=float), zval_p
        else:
            obs, perm = np.asarray(fit.beta, dtype=float), beta_p
        pval = float(_pvalues(obs, perm, alternative, p2defn, comptol)[j])
        diff = pval - target
        # metafor weighs a p-value below the target ten times: the search then steps
        # back towards the estimate faster
        return diff * 10.0 if diff < 0 else diff

    b = float(res.beta[j])
    if upper:
        ub = float(res.ci_ub_beta[j])
        lo, hi = b, ub + con["distfac"] * (ub - b)
    else:
        lb = float(res.ci_lb_beta[j])
        lo, hi = lb - con["distfac"] * (b - lb), b
    try:
        f_lo = f(lo)
        f_hi = f(hi)
        if math.isnan(f_lo) or math.isnan(f_hi) or f_lo * f_hi > 0:
            return math.nan  # R's uniroot stops; metafor's try() leaves the bound NA
        return _zeroin(f, lo, hi, f_lo, f_hi, con["tol"], con["maxiter"], unconverged="warn")
    except (ValueError, RuntimeError, np.linalg.LinAlgError):
        return math.nan


def _permci_coefs(permci: Any, p: int) -> list[int]:
    """The 0-based coefficients whose permutation-based CI ``permci`` asks for: all for
    True, none for False, or the indices given (metafor's numeric ``permci``, 1-based
    there), each once, in increasing order. Whole numbers given as floats (1.0) are
    taken, as metafor rounds them; 1.5 is refused rather than rounded."""
    if isinstance(permci, (bool, np.bool_)):
        return list(range(p)) if permci else []
    if permci is None:
        return []
    what = (
        "permci must be True, False or indices of coefficients counted from 0 (0 is the "
        "first, the intercept of a model with one; metafor's permci counts from 1, so its "
        "permci = 2 is permci=[1] here)"
    )
    try:
        idx = np.atleast_1d(np.asarray(permci))
    except (TypeError, ValueError):
        raise ValueError(f"{what}, got {permci!r}") from None
    if idx.ndim != 1 or idx.size == 0 or idx.dtype.kind not in "iuf":
        raise ValueError(f"{what}, got {permci!r}")
    if idx.dtype.kind == "f":
        if not np.all(np.isfinite(idx)) or np.any(idx != np.round(idx)):
            raise ValueError(f"{what}, got {permci!r}")
        idx = idx.astype(np.int64)
    if np.any(idx < 0) or np.any(idx >= p):
        raise ValueError(
            f"permci names coefficients {idx.tolist()}; the model has p = {p}, whose indices "
            f"here count from 0 (0 to {p - 1}; metafor's permci counts from 1)"
        )
    return sorted({int(j) for j in idx})


def _iterations(iter: Any) -> int:
    """``iter`` checked: a whole number >= 2 (an int, or a float such as 1e4 holding
    one); text, True/False and fractions are refused, where metafor would round them or
    fail later."""
    ok = isinstance(iter, (int, np.integer, float, np.floating)) and not isinstance(
        iter, (bool, np.bool_)
    )
    if not ok or not math.isfinite(iter) or float(iter) != round(float(iter)):
        raise ValueError(f"iter must be a whole number of permutations (>= 2), got {iter!r}")
    if iter < 2:
        raise ValueError(f"iter must be >= 2, got {iter!r}")
    return int(iter)


def _perm_control(control: Any, given: dict[str, Any]) -> dict[str, Any]:
    """metafor's ``control`` of ``permutest`` (:data:`PERMUTEST_CONTROL`) with the
    options ``control`` and the keyword arguments ``given`` (those not None) set, each
    checked. An option given both ways is refused, as is an unknown one."""
    if control is not None and not hasattr(control, "keys"):
        raise TypeError(f"control must be a dict of options, got {control!r}")
    con = dict(PERMUTEST_CONTROL)
    options = dict(control or {})
    unknown = sorted(str(name) for name in set(options) - set(con))
    if unknown:
        raise ValueError(
            f"unknown permutest control option(s) {unknown}; known: {sorted(con)} (the "
            "model's own solver options go to rma(control=...))"
        )
    for name, value in given.items():
        if value is None:
            continue
        if name in options:
            raise ValueError(f"{name} given both as an argument and in control: give it once")
        options[name] = value
    con.update(options)
    for name, allowed in (("alternative", ("two.sided", "less", "greater")),
                          ("p2defn", ("abs", "px2")), ("stat", ("test", "coef")),
                          ("cialt", ("one.sided", "two.sided"))):  # fmt: skip
        _choice(con[name], name, allowed)
    if con["extendInt"] != "no":
        raise ValueError(
            f"control['extendInt'] = {con['extendInt']!r} is not supported: the search for "
            "permci bounds stays within metafor's starting interval (R's widening of it is "
            "not implemented); widen that interval with control['distfac'] instead"
        )
    for name, low, closed in (("comptol", 0.0, True), ("tol", 0.0, False),
                              ("distfac", 0.0, True)):  # fmt: skip
        value = con[name]
        number = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
            value, (bool, np.bool_)
        )
        if not (number and math.isfinite(value) and (value >= low if closed else value > low)):
            bound = ">= 0" if closed else "> 0"
            raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
        con[name] = float(value)
    maxiter = con["maxiter"]
    if (isinstance(maxiter, (bool, np.bool_)) or not isinstance(maxiter, (int, np.integer))
            or maxiter < 1):  # fmt: skip
        raise ValueError(f"control['maxiter'] must be a whole number >= 1, got {maxiter!r}")
    con["maxiter"] = int(maxiter)
    return con


# --------------------------------------------------------------------------- permutest


def permutest(
    res: RMAResult,
    exact: bool = False,
    iter: int = 1000,
    *,
    permci: bool | Sequence[int] = False,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
    alternative: str | None = None,
    p2defn: str | None = None,
    stat: str | None = None,
    comptol: float | None = None,
    control: Mapping[str, Any] | None = None,
    tol: None = None,
) -> PermutestResult:
    """Permutation tests of the coefficients and of the omnibus test of a fitted model
    (metafor's ``permutest.rma.uni``).

    Without moderators the model is refitted to the yi with their signs flipped (2^k
    flips); with moderators to the yi with the rows of X permuted (k! / prod n_g!
    distinct orders, n_g the numbers of identical rows), each with the model's method,
    test, weights, given tau^2 and control (Follmann & Proschan 1999; Higgins & Thompson
    2004). The p-value of coefficient j is the proportion of permutations with
    |z_j,perm| >= |z_j| - comptol (the t statistic under t, knha and adhoc), that of
    the omnibus test the proportion with QM_perm >= QM - comptol (Viechtbauer et al.
    2015).

    The refits use the model's ``control``, and a refit that fails is left out of the
    proportions, as metafor's. Exact tests therefore agree with metafor's only under
    the same stopping rules: fit the model with ``control=METAFOR_DEFAULTS`` to
    reproduce metafor's default output, or give metafor a tight control. Under the
    library's default control a REML or PM refit that metafor's default stopping
    rules (at most 100 iterations) leave unconverged, and drop, converges here; one
    such refit can move a p-value and, more, a ``permci`` bound (dat.colditz1994,
    studies 1 to 6, ablat: metafor's intercept ci.lb -0.1229 drops 1 of 360 refits;
    -0.5653 here with all of them, and with metafor's tight control).

    Parameters
    ----------
    res : RMAResult
        A model fitted by :func:`metareview.pool.rma`.
    exact : bool
        Refit every permutation. The test is also exact when there are no more than
        ``iter`` distinct permutations, as in metafor. Only True or False.
    iter : int
        Number of random permutations otherwise: a whole number, at least 2 (metafor
        rounds a fraction; here it is refused). The first is the observed data, as in
        metafor.
    permci : bool or sequence of int
        Permutation-based confidence intervals, of every coefficient (True) or of those
        given by index, counted from 0 (0 is the first coefficient; metafor's numeric
        ``permci`` counts from 1, so its ``permci = 2`` is ``permci=[1]`` here): for each
        bound, the value b0 at which the one-sided permutation p-value of the model
        refitted to yi - b0 x_j crosses alpha/2, found by R's uniroot (Brent's method,
        control ``tol`` and ``maxiter``) between the model's bound pushed out by
        ``distfac`` times its distance from the estimate and the estimate, as metafor's
        ``.permci``. Each step is a whole permutation test. Refused with a warning, as
        metafor, below 1/alpha permutations (2/alpha with ``cialt="two.sided"``).
    seed, rng
        The random permutations' source: a seed for ``numpy.random.default_rng`` or a
        ``numpy.random.Generator`` (not both). Their p-values differ from metafor's,
        drawn from R's random number stream, by Monte Carlo error, about
        sqrt(P (1 - P) / iter) for a p-value near P. An exact test draws nothing.
    alternative : {"two.sided", "less", "greater"}
        metafor's control option (default "two.sided"), also accepted in ``control``.
    p2defn : {"abs", "px2"}
        Two-sided p-value from |statistic| ("abs", default) or as twice the one-sided
        one on the observed side of the permutation median ("px2"); also in ``control``.
    stat : {"test", "coef"}
        Compare the test statistics (default) or the coefficients themselves; also in
        ``control``.
    comptol : float
        metafor's ``comptol`` (default sqrt(machine epsilon)): a permuted statistic
        within comptol of the observed one counts as at least as extreme; also in
        ``control``.
    control : dict
        metafor's ``control`` of ``permutest``, with its names (:data:`PERMUTEST_CONTROL`):
        ``comptol``, ``alternative``, ``p2defn``, ``stat`` (each also an argument: give
        it once), and the search for ``permci`` bounds: ``tol`` (uniroot's tolerance,
        default eps^(1/4)), ``maxiter`` (uniroot's steps, default 100), ``distfac``
        (default 1), ``cialt`` ("one.sided", default, or "two.sided": the two-sided
        p-value crosses alpha). ``extendInt`` takes only "no". The model's own solver
        options go to ``rma(control=...)``, whose control the refits use.
    tol : None
        Refused: metafor's ``permutest(tol = )`` is its ``comptol`` while its
        ``control$tol`` is the ``permci`` search tolerance; give ``comptol=`` or
        ``control={"tol": ...}``. metafor's ``progbar`` is not an argument either:
        nothing here prints while it runs.

    Returns
    -------
    PermutestResult

    Raises
    ------
    ValueError
        ``iter`` not a whole number of at least 2; ``permci`` naming no coefficient of
        the model; an unknown or invalid option, or one given both as an argument and
        in ``control``; ``extendInt`` other than "no"; an exact test of more than
        :data:`MAX_PERMUTATIONS` permutations (metafor: "Too many iterations required
        for an exact permutation test" only when the count overflows).
    RuntimeError
        Random permutations whose refits still fail after 100 rounds of new draws.
    TypeError
        Not an :class:`~metareview.pool.RMAResult`; ``exact`` not True or False; both
        ``seed`` and ``rng``; ``tol`` given; ``control`` not a dict.

    References
    ----------
    Follmann DA, Proschan MA (1999). Valid inference in random effects meta-analysis.
    Biometrics 55(3):732-737.
    Higgins JPT, Thompson SG (2004). Controlling the risk of spurious findings from
    meta-regression. Statistics in Medicine 23(11):1663-1682.
    Viechtbauer W, Lopez-Lopez JA, Sanchez-Meca J, Marin-Martinez F (2015). A comparison
    of procedures to test for moderators in mixed-effects meta-regression models.
    Psychological Methods 20(3):360-374.
    """
    require_model(res, "permutest")
    if tol is not None:
        # one name, two meanings in metafor: neither is taken silently
        raise TypeError(
            "permutest takes no tol: metafor's permutest(tol = ) is its comptol, the "
            "tolerance of the comparisons (comptol= here), while its control$tol is the "
            "tolerance of the permci search (control={'tol': ...} here)"
        )
    if not isinstance(exact, (bool, np.bool_)):
        # a truthy string ("FALSE") or number would run an exact test silently
        raise TypeError(f"exact must be True or False, got {exact!r}")
    coefs = _permci_coefs(permci, res.p)
    if seed is not None and rng is not None:
        raise TypeError("give seed or rng, not both")
    con = _perm_control(control, {"alternative": alternative, "p2defn": p2defn,
                                  "stat": stat, "comptol": comptol})  # fmt: skip
    alternative, p2defn, stat = con["alternative"], con["p2defn"], con["stat"]
    comptol = con["comptol"]
    n_iter = _iterations(iter)
    k = res.k
    X = np.asarray(res.X, dtype=float)
    if res.int_only:
        exact_iter = float(2**k) if k < 1024 else math.inf
        Xs, first = X, np.zeros(k, dtype=np.intp)
    else:
        Xs, first = _sorted_design(X)
        exact_iter = _count_orders(first)
    is_exact = bool(exact) or exact_iter <= n_iter
    n = exact_iter if is_exact else float(n_iter)
    if math.isinf(n):
        raise ValueError("too many iterations required for an exact permutation test")
    if n > MAX_PERMUTATIONS:
        raise ValueError(
            f"an exact test needs {n:.0f} refits, more than {MAX_PERMUTATIONS}: use "
            f"exact=False with iter random permutations"
        )
    n = int(n)
    gen = None if is_exact else (rng if rng is not None else np.random.default_rng(seed))
    beta = np.asarray(res.beta, dtype=float)
    zval = np.asarray(res.zval_beta, dtype=float)
    QM = float(res.QM)
    beta_p, zval_p, QM_p = _distributions(res, is_exact, n, gen, Xs, first)
    if stat == "test":
        pval = _pvalues(zval, zval_p, alternative, p2defn, comptol)
    else:
        pval = _pvalues(beta, beta_p, alternative, p2defn, comptol)
    valid = ~np.isnan(QM_p)
    with np.errstate(invalid="ignore"):
        QMp = float(_prop((QM_p >= QM - comptol)[:, None], valid[:, None])[0])
    ci_lb = np.asarray(res.ci_lb_beta, dtype=float).copy()
    ci_ub = np.asarray(res.ci_ub_beta, dtype=float).copy()
    alpha = alpha_from_level(res.level)
    if coefs and 1.0 / n > alpha / (1.0 if con["cialt"] == "one.sided" else 2.0):
        # metafor's check: with fewer than 1/alpha permutations the p-values are too
        # coarse for the search (it warns and leaves the model's intervals)
        warnings.warn(
            f"cannot obtain a {_r_number(100 * (1 - alpha))}% permutation-based CI: the number "
            f"of permutations ({n}) is too low",
            stacklevel=2,
        )
        coefs = []
    if coefs:
        ci_lb = np.full(res.p, np.nan)
        ci_ub = np.full(res.p, np.nan)
        for j in coefs:
            ci_lb[j] = _permci_bound(res, j, False, is_exact, n, gen, Xs, first, con)
            ci_ub[j] = _permci_bound(res, j, True, is_exact, n, gen, Xs, first, con)
    use_t = res.test != "z"
    return PermutestResult(
        pval=pval, QM=QM, QMdf=tuple(res.QMdf), QMp=QMp, beta=beta.copy(),  # type: ignore[arg-type]
        se=np.asarray(res.se_beta, dtype=float).copy(), zval=zval.copy(),
        tval=zval.copy() if use_t else None, df=res.k - res.p if use_t else None,
        ci_lb=ci_lb, ci_ub=ci_ub, permci=bool(coefs),
        coef_names=tuple(res.coef_names), btt=tuple(res.btt), m=len(res.btt), k=k, p=res.p,
        test=res.test, int_only=bool(res.int_only), exact=is_exact, iter=n,
        exact_iter=exact_iter, alternative=alternative, p2defn=p2defn, stat=stat,
        comptol=comptol, QM_perm=QM_p, zval_perm=zval_p, beta_perm=beta_p,
    )  # fmt: skip
