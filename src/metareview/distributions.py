"""Distribution functions for the meta-analysis engine (normal, t, chi-square, F).

Thin wrappers over the Cephes-based routines in :mod:`scipy.special` (``ndtr``,
``ndtri``, ``stdtr``, ``stdtrit``, ``chdtrc``, ``gammaincinv``, ``gammainccinv``,
``fdtrc``). ``scipy.stats`` is deliberately avoided: importing it costs more than a
second on the project's machines, and every pooled estimate needs a p-value.
``scipy.special`` itself is imported on first use, so importing
:mod:`metareview.pool` costs only numpy.

Conventions follow R (metafor computes its tests with ``pnorm``, ``pt``,
``pchisq``, ``pf``, ``qnorm``, ``qt``, ``qchisq``):

* upper-tail probabilities are computed directly (``sf``/``isf``) rather than as
  ``1 - cdf`` so that p-values as small as 1e-300 keep full relative precision
  (metafor reports e.g. ``QEp = 1.2e-28``);
* ``two_sided_*`` return ``2 * P(X > |x|)``, the two-sided p-value of a Wald test.

All functions accept scalars or numpy arrays and broadcast like numpy ufuncs. Python
floats (and int degrees of freedom) take a shorter path - a fitted model asks for three
or four scalar probabilities, and numpy's array wrapping costs more than the special
function - and the quantiles used as critical values are cached per (p, df): a 95%
interval needs the same few numbers over and over. Both paths call the same
:mod:`scipy.special` routine, so they return the same bits.
"""

from __future__ import annotations

import math
from functools import lru_cache
from types import ModuleType
from typing import Any

import numpy as np

__all__ = [
    "chi2_cdf",
    "chi2_isf",
    "chi2_ppf",
    "chi2_sf",
    "f_sf",
    "norm_cdf",
    "norm_isf",
    "norm_ppf",
    "norm_sf",
    "t_cdf",
    "t_isf",
    "t_ppf",
    "t_sf",
    "two_sided_norm_p",
    "two_sided_t_p",
]

_special: ModuleType | None = None


def _sp() -> ModuleType:
    """Import :mod:`scipy.special` on first use (about 0.6 s on a slow machine)."""
    global _special
    if _special is None:
        import scipy.special

        _special = scipy.special
    return _special


def _scalar(x: Any) -> bool:
    return type(x) is float or type(x) is int


def _out(x: Any) -> Any:
    """Return Python floats for scalar results, arrays otherwise."""
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


# --------------------------------------------------------------------------- normal


def norm_cdf(x: Any) -> Any:
    """Standard normal distribution function, ``pnorm(x)``."""
    return _out(_sp().ndtr(x))


def norm_sf(x: Any) -> Any:
    """Standard normal upper tail, ``pnorm(x, lower.tail=FALSE)`` = ``ndtr(-x)``."""
    return _out(_sp().ndtr(-np.asarray(x, dtype=float)))


def norm_ppf(p: Any) -> Any:
    """Standard normal quantile, ``qnorm(p)``."""
    return _out(_sp().ndtri(p))


def norm_isf(p: Any) -> Any:
    """Upper-tail standard normal quantile, ``qnorm(p, lower.tail=FALSE)`` = ``-ndtri(p)``.

    Using the symmetry instead of ``ndtri(1 - p)`` avoids the rounding of ``1 - p``.
    """
    if _scalar(p):
        return _norm_isf1(float(p))
    return _out(-_sp().ndtri(p))


@lru_cache(maxsize=256)
def _norm_isf1(p: float) -> float:
    return float(-_sp().ndtri(p))


def two_sided_norm_p(z: Any) -> Any:
    """Two-sided p-value of a z statistic, ``2 * pnorm(abs(z), lower.tail=FALSE)``."""
    if _scalar(z):
        return 2.0 * float(_sp().ndtr(-abs(float(z))))
    return _out(2.0 * _sp().ndtr(-np.abs(np.asarray(z, dtype=float))))


# --------------------------------------------------------------------------- Student t


def t_cdf(x: Any, df: Any) -> Any:
    """Student t distribution function, ``pt(x, df)``."""
    return _out(_sp().stdtr(df, x))


def t_sf(x: Any, df: Any) -> Any:
    """Student t upper tail, ``pt(x, df, lower.tail=FALSE)`` = ``stdtr(df, -x)``."""
    return _out(_sp().stdtr(df, -np.asarray(x, dtype=float)))


def t_ppf(p: Any, df: Any) -> Any:
    """Student t quantile, ``qt(p, df)``."""
    return _out(_sp().stdtrit(df, p))


def t_isf(p: Any, df: Any) -> Any:
    """Upper-tail t quantile, ``qt(p, df, lower.tail=FALSE)`` = ``-stdtrit(df, p)``."""
    if _scalar(p) and _scalar(df):
        return _t_isf1(float(p), float(df))
    return _out(-_sp().stdtrit(df, p))


@lru_cache(maxsize=256)
def _t_isf1(p: float, df: float) -> float:
    return float(-_sp().stdtrit(df, p))


def two_sided_t_p(t: Any, df: Any) -> Any:
    """Two-sided p-value of a t statistic, ``2 * pt(abs(t), df, lower.tail=FALSE)``."""
    if _scalar(t) and _scalar(df):
        return 2.0 * float(_sp().stdtr(float(df), -abs(float(t))))
    return _out(2.0 * _sp().stdtr(df, -np.abs(np.asarray(t, dtype=float))))


# --------------------------------------------------------------------------- chi-square


def chi2_cdf(x: Any, df: Any) -> Any:
    """Chi-square distribution function, ``pchisq(x, df)``."""
    return _out(_sp().chdtr(df, x))


def chi2_sf(x: Any, df: Any) -> Any:
    """Chi-square upper tail, ``pchisq(x, df, lower.tail=FALSE)``."""
    if _scalar(x) and _scalar(df):
        return float(_sp().chdtrc(float(df), float(x)))
    return _out(_sp().chdtrc(df, x))


def chi2_ppf(p: Any, df: Any) -> Any:
    """Chi-square quantile, ``qchisq(p, df)`` = ``2 * P^{-1}(df/2, p)``.

    Computed from the inverse regularised lower incomplete gamma function so that
    small lower-tail probabilities (the 2.5% point used by the Q-profile upper
    bound) are not rounded through ``1 - p``.
    """
    if _scalar(p) and _scalar(df):
        return _chi2_ppf1(float(p), float(df))
    df = np.asarray(df, dtype=float)
    return _out(2.0 * _sp().gammaincinv(df / 2.0, p))


@lru_cache(maxsize=256)
def _chi2_ppf1(p: float, df: float) -> float:
    return float(2.0 * _sp().gammaincinv(df / 2.0, p))


def chi2_isf(p: Any, df: Any) -> Any:
    """Upper-tail chi-square quantile, ``qchisq(p, df, lower.tail=FALSE)``."""
    if _scalar(p) and _scalar(df):
        return _chi2_isf1(float(p), float(df))
    df = np.asarray(df, dtype=float)
    return _out(2.0 * _sp().gammainccinv(df / 2.0, p))


@lru_cache(maxsize=256)
def _chi2_isf1(p: float, df: float) -> float:
    return float(2.0 * _sp().gammainccinv(df / 2.0, p))


# --------------------------------------------------------------------------- F


def f_sf(x: Any, dfn: Any, dfd: Any) -> Any:
    """F distribution upper tail, ``pf(x, dfn, dfd, lower.tail=FALSE)``."""
    return _out(_sp().fdtrc(dfn, dfd, x))


def fisher_exact_p(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test of the 2x2 table ``[[a, b], [c, d]]``.

    Given the margins, the count ``x`` of the first cell is hypergeometric:
    ``P(x) = C(a + b, x) C(c + d, a + c - x) / C(n, a + c)``. The p-value sums ``P(x)``
    over every table no more probable than the one observed, ``P(x) <= P(a) (1 + 1e-7)``,
    as R's ``fisher.test`` computes it: the log-probabilities of the support (from
    ``lgamma``), scaled by their largest, relative tolerance 1e-7 for ties, and the sum
    over the support as the denominator.

    References
    ----------
    Fisher RA. On the interpretation of chi-squared from contingency tables, and the
    calculation of P. J R Stat Soc 1922;85(1):87-94.
    Agresti A. Categorical Data Analysis, 3rd ed. Wiley; 2013. Section 3.5.
    """
    if min(a, b, c, d) < 0:
        raise ValueError(f"counts must be 0 or more, found {(a, b, c, d)}")
    row1, row2, col1 = a + b, c + d, a + c
    lo, hi = max(0, col1 - row2), min(row1, col1)

    def log_choose(n: int, k: int) -> float:
        return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)

    logs = [log_choose(row1, x) + log_choose(row2, col1 - x) for x in range(lo, hi + 1)]
    top = max(logs)
    weights = [math.exp(v - top) for v in logs]
    observed = weights[a - lo] * (1 + 1e-7)
    return min(1.0, sum(w for w in weights if w <= observed) / sum(weights))
