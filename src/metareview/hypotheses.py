"""Tests of a fitted model's coefficients and likelihood ratio tests of nested models.

:func:`anova` mirrors metafor 3.8-1's ``anova.rma`` for the models :func:`rma` fits, in
its three forms:

- ``anova(res, btt=...)``: the Wald-type test of a set of coefficients (``QM``, or ``F``
  under the t-type tests), :class:`WaldTestResult`;
- ``anova(res, X=...)``: tests of linear combinations of the coefficients, each on its
  own and all together, :class:`LinearCombinationResult`;
- ``anova(full, reduced)``: the likelihood ratio test of two nested models with their
  fit statistics and pseudo R^2, :class:`LRTResult` (``test="Wald"`` tests the
  coefficients the full model adds instead).

Each result is a frozen dataclass with metafor's names, ``to_dict()`` for JSON output and
``summary()`` (also ``str()`` and a notebook's display) for what metafor's ``print``
shows. ``RMAResult.anova`` is the same function as a method.

References
----------
Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. Journal of
Statistical Software 36(3):1-48.
Hartung J, Knapp G (2001). A refined method for the meta-analysis of controlled clinical
trials with binary outcome. Statistics in Medicine 20(24):3875-3889.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np

from metareview import distributions as dist
from metareview.arguments import refuse_text
from metareview.bias import _fcf, _max0, _p_eq, _Printed, _r_number, _ToDict
from metareview.pool import _FIXED

if TYPE_CHECKING:
    from collections.abc import Mapping

    from metareview.pool import RMAResult

__all__ = ["LRTResult", "LinearCombinationResult", "WaldTestResult", "anova"]


def _r_char(x: float) -> str:
    """A number as R's ``as.character`` writes it (15 significant digits, the shorter of
    fixed and scientific notation, fixed on a tie): ``10``, ``0.5``, ``-2``, ``1e+05``."""
    return _r_number(x, significant=15)


def _f_or_qm(QM: float, QMdf: tuple[int, int | None], d: int) -> str:
    """``QM(df = m) = ..., p-val ...`` or, under a t-type test, ``F(df1 = m, df2 = ...)``."""
    m, df2 = QMdf
    stat = f"QM(df = {m})" if df2 is None else f"F(df1 = {m}, df2 = {df2})"
    return f"{stat} = {_fcf(QM, d)}, p-val "


# --------------------------------------------------------------------------- Wald (btt)


@dataclass(frozen=True, eq=False)
class WaldTestResult(_Printed, _ToDict):
    """Wald-type test of a set of coefficients (metafor's ``anova.rma`` of type
    ``"Wald.btt"``).

    ``QM`` is the chi-square statistic on ``QMdf = (m, None)`` degrees of freedom, or
    under the t-type tests (t, knha, adhoc) the F statistic on ``(m, k - p)``; ``QMp`` its
    p-value. ``btt`` holds the 0-based indices of the coefficients tested (``m`` of the
    model's ``p``), ``rhs`` the values they are tested against (0 unless given).
    """

    QM: float
    QMdf: tuple[int, int | None]
    QMp: float
    btt: tuple[int, ...]
    rhs: tuple[float, ...]
    m: int
    k: int
    p: int
    test: str

    @property
    def type(self) -> str:
        """metafor's ``type`` of the result."""
        return "Wald.btt"

    def summary(self, digits: int = 4) -> str:
        """The test as metafor's ``print.anova.rma`` shows it: which coefficients (numbered
        from 1, as metafor numbers them) and QM or F with its p-value."""
        from metareview.pool import _format_btt

        d = int(digits)
        which = f"coefficient{'' if self.m == 1 else 's'} {_format_btt(self.btt)}"
        return "\n".join([
            f"Test of Moderators ({which}):",
            _f_or_qm(self.QM, self.QMdf, d) + _p_eq(self.QMp, d),
        ])


def _rhs(rhs: Any, m: int, what: str) -> np.ndarray:
    """metafor's ``rhs``: 0 for each of the m tests unless given; one number is every
    test's."""
    if rhs is None:
        return np.zeros(m)
    refuse_text(rhs, "rhs")
    try:
        r = np.atleast_1d(np.asarray(rhs, dtype=float)).ravel()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"rhs must be numeric: {exc}") from None
    if r.size == 1:
        r = np.full(m, float(r[0]))
    if r.size != m:
        # metafor: "Length of 'rhs' (2) does not match the number of coefficients tested (1)."
        raise ValueError(f"rhs has {r.size} values for the {m} {what}")
    if not np.all(np.isfinite(r)):
        raise ValueError(f"rhs must be finite, got {r.tolist()}")
    return r


def _wald_btt(res: RMAResult, btt: Any, rhs: Any) -> WaldTestResult:
    from metareview.pool import _btt_indices, _omnibus

    idx = np.asarray(res.btt, dtype=np.intp) if btt is None else _btt_indices(btt, res.coef_names)
    m = int(idx.size)
    r = _rhs(rhs, m, "coefficients tested")
    b = np.array(res.beta, dtype=float)
    b[idx] -= r
    QM, QMdf, QMp = _omnibus(b, np.asarray(res.vb), res.test != "z", res.k - res.p, idx)
    return WaldTestResult(
        QM=QM, QMdf=QMdf, QMp=QMp, btt=tuple(int(j) for j in idx),
        rhs=tuple(float(x) for x in r), m=m, k=res.k, p=res.p, test=res.test,
    )  # fmt: skip


# --------------------------------------------------------------------------- Wald (X)


def _hypothesis(row: np.ndarray, names: tuple[str, ...], rhs: str, digits: int) -> str:
    """One linear combination as an equation, ``intrcpt + 10*ablat = 0``, from the
    coefficients rounded to ``digits`` decimals, as metafor writes its hypotheses."""
    terms = []
    for c, name in zip(np.round(row, digits), names):
        if c == 0:
            continue
        c = float(c)
        terms.append(name if c == 1 else f"-{name}" if c == -1 else f"{_r_char(c)}*{name}")
    return " + ".join(terms).replace("+ -", "- ") + f" = {rhs}"


@dataclass(frozen=True, eq=False)
class LinearCombinationResult(_Printed, _ToDict):
    """Tests of linear combinations of the coefficients (metafor's ``anova.rma`` with
    ``X``, of type ``"Wald.Xb"``).

    For each row x_j of ``X`` (shape (m, p)) the estimate ``Xb`` = x_j' b - rhs_j, its
    ``se`` = sqrt(x_j' V x_j), the statistic ``zval`` = Xb/se (a t statistic on ``df``
    = k - p degrees of freedom under t, knha and adhoc, when ``tval`` holds it too; both
    None under z) and its two-sided ``pval``. The omnibus test of all m combinations:
    ``QM`` = Xb' (X V X')^-1 Xb on ``QMdf`` = (m, None), or F = QM/m on (m, k - p), with
    ``QMp``; NaN (and ``QMdf`` None) when the rows of ``X`` are linearly dependent, where
    metafor leaves them NA.
    """

    Xb: np.ndarray
    se: np.ndarray
    zval: np.ndarray
    tval: np.ndarray | None
    df: int | None
    pval: np.ndarray
    QM: float
    QMdf: tuple[int, int | None] | None
    QMp: float
    X: np.ndarray
    rhs: np.ndarray
    coef_names: tuple[str, ...]
    m: int
    k: int
    p: int
    test: str

    def __post_init__(self) -> None:
        for name in ("Xb", "se", "zval", "pval", "X", "rhs"):
            getattr(self, name).setflags(write=False)

    @property
    def type(self) -> str:
        """metafor's ``type`` of the result."""
        return "Wald.Xb"

    @property
    def estimate(self) -> np.ndarray:
        """``Xb``, under the name metafor's printed table gives it."""
        return self.Xb

    def hypotheses(self, digits: int = 4) -> tuple[str, ...]:
        """Each combination as the equation it tests (metafor's ``hyp``): the entries of
        ``X`` rounded to ``digits`` decimals times the coefficients' names, ``= rhs``."""
        d = int(digits)
        if np.all(self.rhs == 0):
            rhs = ["0"] * self.m
        elif np.unique(self.rhs).size == 1:
            rhs = [_r_char(float(np.round(self.rhs[0], d)))] * self.m
        else:
            rhs = [_fcf(float(x), d) for x in self.rhs]
        return tuple(_hypothesis(self.X[j], self.coef_names, rhs[j], d) for j in range(self.m))

    def summary(self, digits: int = 4) -> str:
        """The tests as metafor's ``print.anova.rma`` shows them: the hypotheses, a table
        of estimate, se, zval (or tval and df) and pval, one row per combination, and the
        omnibus test of all of them when it is defined."""
        from metareview.pool import _fmt_p, _table

        d = int(digits)
        hyp = self.hypotheses(d)
        width = max(len(h) for h in hyp)
        lines = ["Hypothesis:" if self.m == 1 else "Hypotheses:"]
        lines += [f"{j + 1}: {h.rjust(width)}" for j, h in enumerate(hyp)]
        lines += ["", "Results:"]
        use_t = self.df is not None
        header = (
            ["estimate", "se", "tval" if use_t else "zval"] + (["df"] if use_t else []) + ["pval"]
        )
        rows = []
        for j in range(self.m):
            row = [
                _fcf(float(self.Xb[j]), d),
                _fcf(float(self.se[j]), d),
                _fcf(float(self.zval[j]), d),
            ]
            if use_t:
                row.append(str(self.df))
            rows.append([*row, _fmt_p(float(self.pval[j]), d)])
        lines += _table(header, rows, [f"{j + 1}:" for j in range(self.m)])
        if self.QMdf is not None and not math.isnan(self.QM):
            lines += ["", "Test of Hypothesis:" if self.m == 1 else "Omnibus Test of Hypotheses:",
                      _f_or_qm(self.QM, self.QMdf, d) + _p_eq(self.QMp, d)]  # fmt: skip
        return "\n".join(lines)


def _lincomb(res: RMAResult, X: Any, rhs: Any) -> LinearCombinationResult:
    p = res.p
    refuse_text(X, "X")
    try:
        L = np.array(X.to_numpy() if hasattr(X, "to_numpy") else X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"X must be a numeric vector or matrix: {exc}") from None
    if L.ndim <= 1:
        L = L.reshape(1, -1)  # one combination, as metafor reads a vector
    if L.ndim != 2 or L.shape[0] == 0:
        raise ValueError(
            f"X must be a vector or a matrix with one row per combination, got shape {L.shape}"
        )
    # metafor adds the intercept's column to combinations of the moderators alone
    has_int = bool(np.all(np.asarray(res.X)[:, 0] == 1.0))
    if has_int and p > 1 and L.shape[1] == p - 1:
        L = np.column_stack([np.ones(L.shape[0]), L])
    if L.shape[1] != p:
        added = " (or p - 1 without the intercept's)" if has_int and p > 1 else ""
        raise ValueError(
            f"X has {L.shape[1]} columns; the model has p = {p} coefficients "
            f"{list(res.coef_names)}: "
            f"give one column per coefficient{added}, one row per combination"
        )
    if not np.all(np.isfinite(L)):
        raise ValueError("X must be finite")
    m = L.shape[0]
    r = _rhs(rhs, m, "linear combinations")
    vb = np.asarray(res.vb)
    Xb = L @ np.asarray(res.beta) - r
    vXb = L @ vb @ L.T
    se = np.sqrt(np.diag(vXb))
    with np.errstate(divide="ignore", invalid="ignore"):
        zval = Xb / se
    use_t = res.test != "z"
    ddf = res.k - p
    if use_t:
        pval = (np.atleast_1d(np.asarray(dist.two_sided_t_p(zval, ddf), dtype=float)) if ddf > 0
                else np.full(m, np.nan))  # fmt: skip
    else:
        pval = np.atleast_1d(np.asarray(dist.two_sided_norm_p(zval), dtype=float))
    QM, QMp = math.nan, math.nan
    QMdf: tuple[int, int | None] | None = None
    # the omnibus test only for linearly independent combinations (metafor: rankMatrix(X) == m)
    if np.linalg.matrix_rank(L) == m:
        try:
            C = np.linalg.cholesky(vXb)
            z = np.linalg.solve(C, Xb)
            QM = float(z @ z)
        except np.linalg.LinAlgError:
            QM = math.nan
        if use_t:
            QM /= m
            QMdf = (m, ddf)
            QMp = float(dist.f_sf(QM, m, ddf)) if ddf > 0 else math.nan
        else:
            QMdf = (m, None)
            QMp = float(dist.chi2_sf(QM, m))
    return LinearCombinationResult(
        Xb=Xb, se=se, zval=zval, tval=zval.copy() if use_t else None, df=ddf if use_t else None,
        pval=pval, QM=QM, QMdf=QMdf, QMp=QMp, X=L, rhs=r, coef_names=tuple(res.coef_names),
        m=m, k=res.k, p=p, test=res.test,
    )  # fmt: skip


# --------------------------------------------------------------------------- LRT


@dataclass(frozen=True, eq=False)
class LRTResult(_Printed, _ToDict):
    """Likelihood ratio test of two nested models (metafor's ``anova.rma`` of two models,
    type ``"LRT"``).

    ``fit_stats_f`` and ``fit_stats_r`` are the full and the reduced model's ``ll``,
    ``dev``, ``AIC``, ``BIC`` and ``AICc`` (:meth:`RMAResult.fitstats`) under REML when the
    full model was fitted by REML, else under ML; ``parms_f`` and ``parms_r`` their
    numbers of parameters (p, plus 1 for an estimated tau^2). ``LRT`` = dev_r - dev_f
    (0 when negative) on parms_f - parms_r degrees of freedom with p-value ``pval``;
    ``QE_f``, ``QE_r``, ``tau2_f``, ``tau2_r`` the models' residual heterogeneity tests
    and tau^2; ``R2`` the pseudo R^2 (%), the proportional reduction in tau^2,
    100 max(0, (tau2_r - tau2_f)/tau2_r) (0 when tau2_r = 0), or for equal-effects models
    in the residual variance s^2 of the weighted regressions. ``method`` is the full
    model's (``"ML"`` after ``refit=True``), ``refit`` whether both were refitted by ML.
    """

    fit_stats_f: Mapping[str, float]
    fit_stats_r: Mapping[str, float]
    parms_f: int
    parms_r: int
    LRT: float
    pval: float
    QE_f: float | None
    QE_r: float | None
    tau2_f: float
    tau2_r: float
    R2: float
    method: str
    refit: bool

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["fit_stats_f"] = dict(self.fit_stats_f)
        out["fit_stats_r"] = dict(self.fit_stats_r)
        return out

    @property
    def type(self) -> str:
        """metafor's ``type`` of the result."""
        return "LRT"

    @property
    def df(self) -> int:
        """The degrees of freedom of the test, parms_f - parms_r."""
        return self.parms_f - self.parms_r

    def summary(self, digits: int = 4) -> str:
        """The comparison as metafor's ``print.anova.rma`` shows it: one row per model
        (df is the number of parameters) with AIC, BIC, AICc, logLik, QE and tau^2 (left
        out for equal-effects models), the LRT, its p-value and R^2 on the reduced
        model's row. metafor wraps the table at the console's width; this does not."""
        from metareview.pool import _fmt_p, _table

        d = int(digits)
        header = ["df", "AIC", "BIC", "AICc", "logLik", "LRT", "pval", "QE", "tau^2", "R^2"]
        rows = []
        for name, fs, parms, qe, tau2 in (
            ("f", self.fit_stats_f, self.parms_f, self.QE_f, self.tau2_f),
            ("r", self.fit_stats_r, self.parms_r, self.QE_r, self.tau2_r),
        ):
            reduced = name == "r"
            rows.append([
                str(parms), _fcf(fs["AIC"], d), _fcf(fs["BIC"], d), _fcf(fs["AICc"], d),
                _fcf(fs["ll"], d),
                _fcf(self.LRT, d) if reduced else "", _fmt_p(self.pval, d) if reduced else "",
                _fcf(qe, d), _fcf(tau2, d), f"{_fcf(self.R2, d)}%" if reduced else "",
            ])  # fmt: skip
        if self.method in _FIXED or math.isnan(self.tau2_f) or math.isnan(self.tau2_r):
            j = header.index("tau^2")
            header.pop(j)
            for row in rows:
                row.pop(j)
        # the full model's empty cells would leave trailing blanks
        return "\n".join(line.rstrip() for line in _table(header, rows, ["Full", "Reduced"]))


def _parms(res: RMAResult) -> int:
    """metafor's ``parms``: the coefficients and, when estimated, tau^2."""
    return int(res.p) + (0 if res.method in _FIXED or res.tau2_fix else 1)


def _lm_sigma2(res: RMAResult) -> float:
    """sigma^2 of R's ``lm(yi ~ X)`` with the model's weights (1/vi, the given weights, or
    none when not ``weighted``), as metafor fits it for the R^2 of equal-effects models:
    the weighted residual sum of squares over n - rank, where lm adds an intercept column
    to X (aliased when X has one) and leaves out studies of weight 0."""
    y = np.asarray(res.yi, dtype=float)
    if not res.weighted:
        w = np.ones(y.size)
    elif res.weights_given is not None:
        w = np.asarray(res.weights_given, dtype=float)
    else:
        with np.errstate(divide="ignore"):
            w = 1.0 / np.asarray(res.vi, dtype=float)
    if not np.all(np.isfinite(w)):
        return math.nan
    keep = w > 0
    Z = np.column_stack([np.ones(y.size), np.asarray(res.X, dtype=float)])[keep]
    sw = np.sqrt(w[keep])
    A = Z * sw[:, None]
    b = y[keep] * sw
    coef, _, rank, _ = np.linalg.lstsq(A, b, rcond=None)
    dfres = int(keep.sum()) - int(rank)
    if dfres <= 0:
        return math.nan
    resid = b - A @ coef
    return float(resid @ resid) / dfres


def _pseudo_r2(full: RMAResult, reduced: RMAResult) -> float:
    if full.method in _FIXED:
        s2_f, s2_r = _lm_sigma2(full), _lm_sigma2(reduced)
        with np.errstate(divide="ignore", invalid="ignore"):
            return 100.0 * _max0(float(np.float64(s2_r - s2_f) / np.float64(s2_r)))
    if reduced.tau2 == 0.0:
        return 0.0
    return 100.0 * _max0((reduced.tau2 - full.tau2) / reduced.tau2)


def _same_X(a: RMAResult, b: RMAResult) -> bool:
    """metafor's ``identical(model.f$X, model.r$X)``: the same columns, names included."""
    Xa, Xb = np.asarray(a.X), np.asarray(b.X)
    return (
        Xa.shape == Xb.shape
        and bool(np.array_equal(Xa, Xb))
        and tuple(a.coef_names) == tuple(b.coef_names)
    )


def _refit_ml(res: RMAResult, which: str) -> RMAResult:
    """The model refitted by ML with everything else kept (metafor's
    ``update(model, method = "ML")``)."""
    from metareview.diagnostics import _refit

    given = None if res.weights_given is None else np.asarray(res.weights_given)
    try:
        # quietly, as the caller was warned of the data when fitting the model
        return _refit(
            res, np.ones(res.k, dtype=bool), np.asarray(res.yi), np.asarray(res.vi), given,
            None if res.int_only else np.asarray(res.X), method="ML",
        )  # fmt: skip
    except (ValueError, RuntimeError) as exc:
        raise ValueError(
            f"anova: refitting the {which} model with ML estimation failed ({exc})"
        ) from exc


def _compare(res: RMAResult, res2: Any, test: str, refit: bool) -> LRTResult | WaldTestResult:
    from metareview.pool import RMAResult, _warn

    if not isinstance(res2, RMAResult):
        raise TypeError(
            f"anova compares two models fitted by rma(); the second is a {type(res2).__name__}"
        )
    if test not in ("LRT", "Wald"):
        raise ValueError(f"anova: test must be 'LRT' or 'Wald' for two models, got {test!r}")
    full, reduced = res, res2
    parms_f, parms_r = _parms(full), _parms(reduced)
    if parms_f == parms_r:
        raise ValueError(
            f"anova: the two models have the same number of parameters ({parms_f}), so neither is "
            "nested in the other and there is nothing to test (metafor: \"LRT not meaningful\")"
        )
    if parms_f < parms_r:
        full, reduced, parms_f, parms_r = reduced, full, parms_r, parms_f
    if not (np.array_equal(np.asarray(full.yi), np.asarray(reduced.yi))
            and np.array_equal(np.asarray(full.vi), np.asarray(reduced.vi))):  # fmt: skip
        raise ValueError(
            f"anova: the two models were fitted to different data (k = {full.k} and {reduced.k}; "
            "yi or vi differ): nested models must be fitted to the same studies"
        )
    if test == "Wald" and full.method != reduced.method:
        raise ValueError(
            f"anova: test='Wald' needs both models fitted by the same method, got {full.method} "
            f"(full) and {reduced.method} (reduced)"
        )
    if full.method in _FIXED and reduced.method not in _FIXED:
        raise ValueError(
            f"anova: the full model ({parms_f} parameters) is an equal-effects ({full.method}) "
            "model "
            f"and the reduced one ({parms_r}) a random-effects ({reduced.method}) model: the "
            "reduced model is not nested in the full one"
        )
    if {full.method, reduced.method} == {"ML", "REML"}:
        raise ValueError(
            f"anova: the full model was fitted by {full.method} and the reduced one by "
            f"{reduced.method}: their likelihoods cannot be compared; fit both by ML (or both by "
            "REML when they have the same moderators)"
        )
    if test == "Wald":
        names_f, names_r = list(full.coef_names), list(reduced.coef_names)
        extra = [n for n in names_r if n not in names_f]
        if extra:
            raise ValueError(
                f"anova: the reduced model has coefficients {extra} that the full model "
                f"{names_f} lacks: it is not nested in it"
            )
        added = [j for j, n in enumerate(names_f) if n not in names_r]
        if not added:
            raise ValueError(
                "anova: the full and the reduced model appear to contain the same moderators"
            )
        return _wald_btt(full, added, None)
    if full.method not in (*_FIXED, "ML", "REML") or reduced.method not in (*_FIXED, "ML", "REML"):
        _warn(
            f"likelihood ratio tests should be based on ML or REML estimation (the models were "
            f"fitted by {full.method} and {reduced.method})",
            stacklevel=3,
        )
    refitted = False
    if full.method == "REML" and not _same_X(full, reduced):
        if refit:
            refitted = True
            full, reduced = _refit_ml(full, "full"), _refit_ml(reduced, "reduced")
            parms_f, parms_r = _parms(full), _parms(reduced)
        else:
            _warn(
                "REML comparisons are not meaningful for models with different fixed effects "
                "(use refit=True to refit both models by ML)",
                stacklevel=3,
            )
    kind = "REML" if full.method == "REML" else "ML"
    fs_f, fs_r = full.fitstats()[kind], reduced.fitstats()[kind]
    LRT = fs_r["dev"] - fs_f["dev"]
    if LRT < 0:
        LRT = 0.0
    return LRTResult(
        fit_stats_f=MappingProxyType(dict(fs_f)), fit_stats_r=MappingProxyType(dict(fs_r)),
        parms_f=parms_f, parms_r=parms_r, LRT=LRT, pval=float(dist.chi2_sf(LRT, parms_f - parms_r)),
        QE_f=full.QE, QE_r=reduced.QE, tau2_f=float(full.tau2), tau2_r=float(reduced.tau2),
        R2=_pseudo_r2(full, reduced), method=full.method, refit=refitted,
    )  # fmt: skip


# --------------------------------------------------------------------------- anova


@overload
def anova(
    res: RMAResult, res2: None = None, *, btt: Any = None, rhs: Any = None
) -> WaldTestResult: ...


@overload
def anova(
    res: RMAResult, res2: None = None, *, X: Any, rhs: Any = None
) -> LinearCombinationResult: ...


@overload
def anova(
    res: RMAResult, res2: RMAResult, *, test: Literal["LRT"] | None = None, refit: bool = False
) -> LRTResult: ...


@overload
def anova(res: RMAResult, res2: RMAResult, *, test: Literal["Wald"]) -> WaldTestResult: ...


def anova(
    res: RMAResult,
    res2: RMAResult | None = None,
    *,
    btt: Any = None,
    X: Any = None,
    rhs: Any = None,
    test: str | None = None,
    refit: bool = False,
) -> WaldTestResult | LinearCombinationResult | LRTResult:
    """Wald-type tests of a model's coefficients, or a likelihood ratio test of two
    nested models (metafor's ``anova.rma``).

    With one model:

    - ``btt`` (default: the coefficients the model's ``QM`` tests, ``res.btt``): the Wald
      test of H0: beta_j = rhs_j for j in btt. QM = (b - r)' V^-1 (b - r) with b and V the
      estimates and covariance matrix of those m coefficients, on chi^2(m); under t,
      knha and adhoc F = QM/m on F(m, k - p) (Hartung & Knapp 2001).
    - ``X``: the linear combinations x_j' beta (one per row of X, shape (m, p), or
      (m, p - 1) without the intercept's column, which is added; a vector is one
      combination): each estimate x_j' b - rhs_j with se = sqrt(x_j' V x_j), z (or t on
      k - p df) and p-value, and the omnibus test
      QM = (Xb - r)' (X V X')^-1 (Xb - r) on chi^2(m) (F = QM/m on (m, k - p)), when the
      rows are linearly independent.

    With two models (either order: the one with more parameters is the full model),
    ``test="LRT"``: LRT = -2 (ll_r - ll_f), as the difference of the deviances, on
    parms_f - parms_r df (parameters: p plus an estimated tau^2), with REML
    log-likelihoods when the full model was fitted by REML, else ML ones; also AIC, BIC,
    AICc, QE, tau^2 and the pseudo R^2 = 100 max(0, (tau2_r - tau2_f)/tau2_r).
    ``test="Wald"`` is the Wald test of the coefficients the full model adds (by name).

    Parameters
    ----------
    res : RMAResult
        A model fitted by :func:`rma`.
    res2 : RMAResult, optional
        A second model, nested in ``res`` or ``res`` in it, fitted to the same data.
    btt : int, sequence of int or str, or str, optional
        The coefficients to test, read as :func:`rma`'s ``btt`` (0-based indices, exact
        names or one regular expression).
    X : array_like, shape (p,) or (m, p) or (m, p - 1), optional
        Coefficients of the linear combinations to test (metafor's ``X``, ``L`` in older
        versions); a DataFrame is read by position.
    rhs : float or array_like, optional
        The values the coefficients (``btt``) or combinations (``X``) are tested against;
        one number is every test's. Default 0.
    test : {"LRT", "Wald"}, optional
        The comparison of two models; default ``"LRT"``. Only with a second model:
        metafor ignores it with one, where it means nothing (a one-model test is a Wald
        test, of ``btt`` or ``X``).
    refit : bool
        Refit both models by ML before a likelihood ratio test of REML fits whose fixed
        effects differ (metafor's ``refit``); without it such a comparison warns, as in
        metafor, since the REML likelihoods of models with different fixed effects are
        not comparable. A model fitted with a given ``tau2`` keeps it in the refit, as
        metafor's ``update(model, method = "ML")`` does: the test then compares the ML
        likelihoods at that tau^2. Only with a second model.

    Returns
    -------
    WaldTestResult, LinearCombinationResult or LRTResult

    Raises
    ------
    ValueError
        What metafor refuses: two models with the same number of parameters, fitted to
        different data (yi or vi), one by ML and one by REML, an equal-effects full model
        with a random-effects reduced one, ``test="Wald"`` across methods or with nothing
        to test; ``X`` with another number of columns. Also a ``test`` other than
        ``"LRT"`` or ``"Wald"``, with one model too (where metafor ignores it).
    TypeError
        Arguments that do not go together, which metafor ignores without a word:
        ``btt``, ``X`` or ``rhs`` with a second model, ``btt`` with ``X``, and ``test``
        or ``refit=True`` with one model; also a second model that is not an
        :class:`RMAResult`.

    Warns
    -----
    UserWarning
        As metafor: a likelihood ratio test of models fitted by neither ML nor REML (nor
        FE/EE), and of REML fits with different fixed effects without ``refit``.

    References
    ----------
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. Journal
    of Statistical Software 36(3):1-48 (and metafor's documentation of ``anova.rma``).
    Hartung J, Knapp G (2001). A refined method for the meta-analysis of controlled
    clinical trials with binary outcome. Statistics in Medicine 20(24):3875-3889.

    Examples
    --------
    >>> from metareview import escalc, rma
    >>> # dat.bcg (Colditz et al. 1994): BCG vaccine trials and their absolute latitude
    >>> es = escalc("RR", ai=[4, 6, 3, 62, 33, 180, 8, 505, 29, 17, 186, 5, 27],
    ...             bi=[119, 300, 228, 13536, 5036, 1361, 2537, 87886, 7470, 1699, 50448,
    ...                 2493, 16886],
    ...             ci=[11, 29, 11, 248, 47, 372, 10, 499, 45, 65, 141, 3, 29],
    ...             di=[128, 274, 209, 12619, 5761, 1079, 619, 87892, 7232, 1600, 27197,
    ...                 2338, 17825])
    >>> ablat = [44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33]
    >>> full = rma(es, mods={"ablat": ablat}, method="ML")
    >>> print(anova(full, btt="ablat"))
    Test of Moderators (coefficient 2):
    QM(df = 1) = 28.9156, p-val < .0001
    >>> lrt = anova(full, rma(es, method="ML"))
    >>> round(lrt.LRT, 4), lrt.df, round(lrt.R2, 2)
    (9.9588, 1, 87.73)
    """
    from metareview.pool import require_model

    require_model(res, "anova")
    if test is not None and test not in ("LRT", "Wald"):
        # metafor's match.arg refuses it with two models; with one it is not read, but a
        # misspelt value is refused all the same
        raise ValueError(f"anova: test must be 'LRT' or 'Wald', got {test!r}")
    if res2 is not None:
        if btt is not None or X is not None or rhs is not None:
            # metafor ignores them when given a second model
            raise TypeError(
                "anova: btt, X and rhs test one model; give them without a second model"
            )
        return _compare(res, res2, "LRT" if test is None else test, refit)
    if refit:
        raise TypeError("anova: refit applies to the comparison of two models")
    if test is not None:
        # metafor ignores test with one model: refused, as refit, so that
        # anova(res, test="LRT") is not read as a likelihood ratio test
        raise TypeError(
            f"anova: test={test!r} chooses how two models are compared; with one model, anova "
            "gives the Wald test of btt or X: anova(full, reduced, test=...) compares two"
        )
    if X is not None:
        if btt is not None:
            # metafor tests X and ignores btt without a word
            raise TypeError("anova: give btt (coefficients) or X (linear combinations), not both")
        return _lincomb(res, X, rhs)
    return _wald_btt(res, btt, rhs)
