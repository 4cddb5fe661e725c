r"""Contrast-based network meta-analysis (NMA) as metafor 3.8-1 fits it with ``rma.mv``.

A *network* is a set of randomised trials each comparing two or more of n treatments, and
joined so that every treatment is linked to every other through the trials (the network
is *connected*). The model is the frequentist, contrast-based NMA of Salanti (2012), as
in the help page of metadat's ``dat.senn2013`` and ``dat.hasselblad1998``:

1. **Contrasts** (:func:`nma_contrasts`, metafor's ``to.wide`` then ``escalc``). Each
   study gets one *baseline arm*: the reference treatment if the study has it, otherwise
   the arm whose treatment comes last in the treatments' order (metafor's rule: the
   treatments are sorted with R's ``sort()``, or taken in the order of a factor's levels,
   the reference moved to the end, and the last one present is used). R sorts numbers
   numerically and text by the locale's collation; here text sorts as R's default ICU
   collation does ("b" < "C" < "D"; under ``LC_ALL=C`` R uses code points, "C" < "D" <
   "b"), and ``treatments=`` gives the order explicitly, as factor levels do. Every
   other arm gives one row ``y_i`` = that arm minus the baseline arm, so a study with a
   arms gives a - 1 rows; rows are ordered by study (sorted the same way) and then by
   the treatments' order. The estimates, their covariance, tau^2, QE, QM and ``ll_ML`` do
   not depend on which arm is the baseline, nor on the order of the rows; ``ll_REML``,
   and with it the REML AIC and BIC, does, by a constant (its :math:`\tfrac12\log|X'X|`
   term) when a multi-arm study lacks the reference.
2. **Within-study covariance** V, block-diagonal by study: ``V_ii = v_i`` and, for two
   rows of one study, the sampling variance of their shared baseline arm (Gleser & Olkin
   2009, eq. 19.11): ``sd^2/n`` for MD, ``1/a + 1/b`` for the log odds ratio,
   ``1/a - 1/n`` for the log risk ratio and ``p(1-p)/n`` for the risk difference, with
   a the events and b the non-events of the baseline arm (after any continuity
   correction).
3. **Design** X: one column per non-reference treatment and no intercept; a row has +1
   in the column of its arm's treatment and -1 in the column of its baseline's. The
   coefficients are the *basic parameters* :math:`d_t` (t vs the reference,
   :math:`d_{ref} = 0`); every other comparison follows by consistency,
   :math:`d_{st} = d_s - d_t`.
4. **Model** (:func:`rma_nma`, metafor's
   ``rma.mv(yi, V, mods = ~ X - 1, random = ~ comp | study, rho = 1/2)``):

   .. math::
       y \sim N(X\beta,\; M), \qquad M = V + \tau^2 R,

   where R has 1 on the diagonal, :math:`\rho = 1/2` between two rows of one study and
   0 elsewhere. A single :math:`\tau^2` is shared by all comparisons (the
   homogeneous-variance assumption, which implies :math:`\rho = 1/2` for contrasts that
   share an arm). With :math:`W = M^{-1}`: :math:`\hat\beta = (X'WX)^{-1}X'Wy`,
   :math:`\operatorname{Var}(\hat\beta) = (X'WX)^{-1}`, z-tests and normal CIs.

The log-likelihoods, with :math:`r = y - X\hat\beta`, k rows and p basic parameters, are

.. math::
    \ell_{ML} &= -\tfrac{k}{2}\log 2\pi - \tfrac12\log|M| - \tfrac12 r'Wr \\
    \ell_{REML} &= -\tfrac{k-p}{2}\log 2\pi + \tfrac12\log|X'X| - \tfrac12\log|M|
        - \tfrac12\log|X'WX| - \tfrac12 r'Wr

(the :math:`\tfrac12\log|X'X|` term is metafor's ``REMLf = TRUE``), and :math:`\tau^2` is
the root of the score, found exactly: bracketed by doubling an upper bound until the
score is negative and solved by Brent's method to full precision (metafor's ``nlminb``
stops where the likelihood is flat to its tolerance: 2.5e-9 relative from the root for
dat.senn2013, 1e-6 for dat.hasselblad1998). Should the score have several roots, the
one in the first bracket found is taken.

.. math::
    U_{REML}(\tau^2) = \tfrac12\left[y'PRPy - \operatorname{tr}(PR)\right], \quad
    P = W - WX(X'WX)^{-1}X'W; \qquad
    U_{ML}(\tau^2) = \tfrac12\left[r'WRWr - \operatorname{tr}(WR)\right],

with :math:`\hat\tau^2 = 0` when :math:`U(0) \le 0`. The test of inconsistency and
heterogeneity is :math:`Q_E = r_0'V^{-1}r_0` with the common-effect residuals
:math:`r_0` (on k - p degrees of freedom, whatever :math:`\tau^2` is), and
:math:`Q_M = \hat\beta'\operatorname{Var}(\hat\beta)^{-1}\hat\beta` tests all p basic
parameters (no intercept, so p degrees of freedom).

The fit also gives the *league table* of all pairwise comparisons, the *P-scores* of
Rücker & Schwarzer (2015) and *node-splitting* of one comparison (Dias et al. 2010), in
two variants; see :meth:`NMAResult.league`, :meth:`NMAResult.pscores` and
:meth:`NMAResult.nodesplit`. Not offered: a general ``rma.mv`` (other random-effects
structures, estimated :math:`\rho`, random inconsistency effects as in Law et al. 2016,
moderators), arm-based models, SMD networks and ranking by SUCRA from resampling.

References
----------
Salanti G (2012). Indirect and mixed-treatment comparison, network, or multiple-treatments
meta-analysis. Res Synth Methods 3:80-97.
Dias S, Welton NJ, Caldwell DM, Ades AE (2010). Checking consistency in mixed treatment
comparison meta-analysis. Stat Med 29:932-944.
Rücker G, Schwarzer G (2015). Ranking treatments in frequentist network meta-analysis
works without resampling methods. BMC Med Res Methodol 15:58.
Gleser LJ, Olkin I (2009). Stochastically dependent effect sizes. In: The handbook of
research synthesis and meta-analysis, 2nd ed., 357-376.
Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. JSS 36(3);
metafor 3.8-1 documentation of ``rma.mv`` and ``to.wide``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from metareview.arguments import alpha_from_level
from metareview.distributions import chi2_sf, norm_cdf, norm_isf, two_sided_norm_p

__all__ = ["NMA_MEASURES", "NMA_METHODS", "NMAContrasts", "NMAResult", "nma_contrasts", "rma_nma"]

FloatArray = NDArray[np.float64]

#: Measures :func:`nma_contrasts` computes (each with its shared-arm covariance).
NMA_MEASURES = ("MD", "OR", "RR", "RD")
#: Estimators of :func:`rma_nma`: REML and ML estimate tau^2; FE, EE and CE (metafor's
#: three names of the common-effect model) fix it at 0.
NMA_METHODS = ("REML", "ML", "FE", "EE", "CE")
_COMMON = ("FE", "EE", "CE")
_BINARY = ("OR", "RR", "RD")
_TO = ("only0", "all", "if0all", "none")


# --------------------------------------------------------------------------- contrasts


# The order of R's sort() for text under ICU's root collation (R's default where it is
# built with ICU, as on Linux, whatever the locale unless it is C or POSIX): checked
# against R 4.2.2 (tests/reference/make_nma_order_fixtures.R). Spaces and punctuation
# come first, in this order, then digits, then letters.
_PUNCTUATION = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
# combining marks (after NFD), in the order ICU ranks them at the secondary level
_MARKS = (0x301, 0x300, 0x306, 0x302, 0x30C, 0x30A, 0x308, 0x30B, 0x303, 0x307, 0x338,
          0x327, 0x328, 0x304, 0x335, 0x309, 0x31B, 0x323, 0x331)  # fmt: skip
# letters that NFD leaves whole but ICU sorts as a base letter with a mark
_STROKED = {"ø": "o\u0338", "Ø": "O\u0338", "ł": "l\u0335", "Ł": "L\u0335", "đ": "d\u0335",
            "Đ": "D\u0335"}  # fmt: skip


def _collation_key(text: str) -> tuple[tuple[Any, ...], ...]:
    """A sort key for text in the order of R's ``sort()`` under ICU's root collation.

    Three levels, as in the Unicode Collation Algorithm: the letters ignoring case and
    accents (punctuation < digits < a-z, so "b" < "C" < "D" and "a_b" < "a1" < "ab"),
    then the accents (none < acute < grave < circumflex < diaeresis ...), then the case
    (lower before upper, from the left), and last the code points. Checked against R for
    ASCII text and Latin letters with the accents of ``_MARKS``; other letters (``æ``,
    ``ß``, Greek ...) sort after z by code point, where R may put them elsewhere.
    """
    import unicodedata

    primary: list[tuple[int, int]] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    decomposed = unicodedata.normalize("NFD", "".join(_STROKED.get(c, c) for c in text))
    for ch in decomposed:
        cp = ord(ch)
        if unicodedata.combining(ch):
            secondary.append(1 + (_MARKS.index(cp) if cp in _MARKS else len(_MARKS) + cp))
            tertiary.append(0)
            continue
        if ch in _PUNCTUATION:
            primary.append((0, _PUNCTUATION.index(ch)))
        elif "0" <= ch <= "9":
            primary.append((1, cp))
        elif ch.isascii() and ch.isalpha():
            primary.append((2, ord(ch.lower())))
        else:
            primary.append((3, ord(ch.lower()[0])))
        secondary.append(0)
        tertiary.append(1 if ch.isupper() else 0)
    return (tuple(primary), tuple(secondary), tuple(tertiary), tuple(map(ord, text)))


def _is_missing(v: object) -> bool:
    """None, NaN, pandas' NA or NaT, or blank text: no label (str() would make one)."""
    if v is None or type(v).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(v, (float, np.floating)):
        return bool(np.isnan(v))
    return isinstance(v, str) and not v.strip()


def _check_labels(name: str, values: Sequence[object], what: str) -> None:
    missing = [i for i, v in enumerate(values) if _is_missing(v)]
    if missing:
        raise ValueError(
            f"{name} is missing (None, NaN or blank) in arm rows {missing} (0-based); "
            f"expected {what} for every arm"
        )


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(
        v, (bool, np.bool_)
    )


def _sort_key(values: Sequence[Hashable]) -> Callable[[Hashable], Any]:
    """R's ``sort()`` order: numbers (all of them) numerically, else text as ``_collation_key``."""
    if all(_is_number(v) for v in values):
        return lambda v: float(v)  # type: ignore[arg-type]
    return lambda v: _collation_key(str(v))


@dataclass(frozen=True, eq=False)
class NMAContrasts:
    """Contrast-level data of a network (what :func:`nma_contrasts` returns).

    Attributes
    ----------
    measure : str
        The effect measure (one of :data:`NMA_MEASURES`).
    reference : str
        The reference treatment (no column in X).
    treatments : tuple of str
        The reference, then the non-reference treatments in ``X_columns`` order.
    study, treatment1, treatment2 : tuple
        Per row: the study, the treatment of the arm and that of the study's baseline arm
        (``yi`` is treatment1 minus treatment2).
    yi, vi : ndarray, shape (k,)
        Effect sizes and sampling variances (metafor's ``escalc`` of the two arms).
    baseline_arm_variance : ndarray, shape (k,)
        Sampling variance of each row's baseline arm (the covariance of two rows of one
        study).
    V : ndarray, shape (k, k)
        Within-study covariance matrix (block-diagonal by study).
    X : ndarray, shape (k, n - 1)
        Design matrix, columns ``X_columns``.
    """

    measure: str
    reference: str
    treatments: tuple[str, ...]
    study: tuple[Hashable, ...]
    treatment1: tuple[str, ...]
    treatment2: tuple[str, ...]
    yi: FloatArray
    vi: FloatArray
    baseline_arm_variance: FloatArray
    V: FloatArray
    X: FloatArray

    @property
    def k(self) -> int:
        """Number of contrast rows."""
        return len(self.yi)

    @property
    def X_columns(self) -> tuple[str, ...]:
        """Names of the columns of X (the non-reference treatments)."""
        return self.treatments[1:]

    @property
    def studies(self) -> tuple[Hashable, ...]:
        """The studies, in row order, each once."""
        return tuple(dict.fromkeys(self.study))

    def re_corr(self, rho: float = 0.5) -> FloatArray:
        """R: 1 on the diagonal, ``rho`` between two rows of one study, 0 elsewhere."""
        return _re_corr(self.study, rho)

    def pairwise(self, a: str, b: str) -> tuple[tuple[Hashable, ...], FloatArray, FloatArray]:
        """Studies with both an ``a`` and a ``b`` arm, with yi (a minus b) and vi.

        A study whose baseline is a or b gives its row (its sign turned for b minus a);
        in a study with another baseline the two rows are subtracted, with variance
        ``v_1 + v_2 - 2 cov``, which is the escalc of the two arms (the same continuity
        correction applies to every row of a study).

        Raises
        ------
        ValueError
            ``a`` or ``b`` is not a treatment of the network, or they are the same.
        """
        self._check_treatment(a)
        self._check_treatment(b)
        if a == b:
            raise ValueError(f"a comparison needs two different treatments, got {a!r} twice")
        studies: list[Hashable] = []
        yi: list[float] = []
        vi: list[float] = []
        for s in self.studies:
            rows = [i for i, st in enumerate(self.study) if st == s]
            effect = {self.treatment2[rows[0]]: (0.0, -1)}
            effect.update({self.treatment1[i]: (float(self.yi[i]), i) for i in rows})
            if a not in effect or b not in effect:
                continue
            (ya, ia), (yb, ib) = effect[a], effect[b]
            studies.append(s)
            yi.append(ya - yb)
            var = (self.vi[ia] if ia >= 0 else 0.0) + (self.vi[ib] if ib >= 0 else 0.0)
            if ia >= 0 and ib >= 0:
                var -= 2.0 * self.V[ia, ib]
            vi.append(float(var))
        return tuple(studies), np.array(yi, dtype=float), np.array(vi, dtype=float)

    def _check_treatment(self, t: str) -> None:
        if t not in self.treatments:
            raise ValueError(
                f"{t!r} is not a treatment of the network; expected one of {list(self.treatments)}"
            )

    def subset(self, keep: Sequence[bool] | NDArray[np.bool_]) -> NMAContrasts:
        """The rows ``keep`` (whole studies), with the same reference and treatments.

        Raises
        ------
        ValueError
            The rows kept leave a treatment without data or the network disconnected.
        """
        mask = np.asarray(keep, dtype=bool)
        idx = np.flatnonzero(mask)
        t1 = tuple(self.treatment1[i] for i in idx)
        t2 = tuple(self.treatment2[i] for i in idx)
        missing = [t for t in self.treatments if t not in set(t1) | set(t2)]
        if missing:
            raise ValueError(f"without the rows left out, no study has an arm of {missing}")
        _check_connected(self.treatments, list(zip(t1, t2, strict=True)))
        return NMAContrasts(
            measure=self.measure,
            reference=self.reference,
            treatments=self.treatments,
            study=tuple(self.study[i] for i in idx),
            treatment1=t1,
            treatment2=t2,
            yi=_readonly(self.yi[idx]),
            vi=_readonly(self.vi[idx]),
            baseline_arm_variance=_readonly(self.baseline_arm_variance[idx]),
            V=_readonly(self.V[np.ix_(idx, idx)]),
            X=_readonly(self.X[idx]),
        )


def _same_study(study: Sequence[Hashable]) -> NDArray[np.bool_]:
    """k x k: whether rows i and j belong to one study."""
    codes: dict[Hashable, int] = {}
    idx = np.array([codes.setdefault(s, len(codes)) for s in study])
    return np.equal.outer(idx, idx)


def _re_corr(study: Sequence[Hashable], rho: float) -> FloatArray:
    """R: 1 on the diagonal, ``rho`` between two rows of one study, 0 elsewhere."""
    out = np.where(_same_study(study), rho, 0.0)
    np.fill_diagonal(out, 1.0)
    return out


def _readonly(a: ArrayLike) -> FloatArray:
    out = np.array(a, dtype=float)
    out.setflags(write=False)
    return out


def _check_connected(treatments: Sequence[str], edges: Sequence[tuple[str, str]]) -> None:
    """Raise ValueError naming the parts when the treatments are not all linked."""
    parent = {t: t for t in treatments}

    def find(t: str) -> str:
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    for a, b in edges:
        parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for t in treatments:
        groups.setdefault(find(t), []).append(t)
    if len(groups) > 1:
        parts = "; ".join(", ".join(g) for g in groups.values())
        raise ValueError(
            f"the network is not connected: no chain of trials links these groups of treatments: {parts}"
        )


def _column(name: str, values: ArrayLike | None, k: int) -> FloatArray:
    if values is None:
        raise ValueError(f"{name} is required for this measure")
    arr = np.asarray(values, dtype=float)
    if arr.shape != (k,):
        raise ValueError(f"{name} has shape {arr.shape}; expected one value per arm ({k})")
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        raise ValueError(f"{name} is missing or not finite in arm rows {bad.tolist()} (0-based)")
    return arr


def nma_contrasts(
    study: Sequence[Hashable],
    treatment: Sequence[str],
    *,
    measure: str = "MD",
    reference: str | None = None,
    treatments: Sequence[str] | None = None,
    mi: ArrayLike | None = None,
    sdi: ArrayLike | None = None,
    ni: ArrayLike | None = None,
    xi: ArrayLike | None = None,
    add: float = 0.5,
    to: str = "only0",
) -> NMAContrasts:
    r"""Turn arm-level data into the contrasts, V and X of a contrast-based NMA.

    Follows metafor's ``to.wide(ref = reference)`` and ``escalc`` (see the module
    docstring for the baseline-arm rule). Per row, with arm 1 the treatment and arm 2 the
    study's baseline arm:

    ``MD``
        ``yi = mi_1 - mi_2``, ``vi = sdi_1^2/ni_1 + sdi_2^2/ni_2``; baseline arm
        variance ``sdi_2^2/ni_2``.
    ``OR``, ``RR``, ``RD`` (``xi`` events of ``ni``)
        escalc's log odds ratio, log risk ratio or risk difference of the two arms;
        baseline arm variance ``1/a + 1/b``, ``1/a - 1/n`` or ``p(1-p)/n`` of the baseline
        arm (a events, b = n - a, p = a/n).

    Continuity correction (binary measures): ``add`` is added to each cell as escalc's
    ``to`` says, but *per study*: with ``to="only0"`` all rows of a study with a zero
    cell in any arm are corrected, so that the shared baseline arm has one variance (for
    two-arm studies this is escalc's rule; metafor's row-wise rule could correct a
    multi-arm study's baseline arm in one row and not in another). ``to="all"`` (the
    metadat help page of ``dat.hasselblad1998``) corrects every study, ``"if0all"``
    every study if any has a zero cell, ``"none"`` none.

    Parameters
    ----------
    study, treatment
        Per arm: the study (any hashable) and the treatment (labels are ``str()`` of
        the values). Both sort as R's ``sort()`` does: numbers (when all are numbers)
        numerically, text as R's default ICU collation (module docstring).
    measure
        One of :data:`NMA_MEASURES`.
    reference
        The reference treatment (default: the first of ``treatments``, or else the first
        treatment in sorted order).
    treatments
        Optional order of the treatments, as R's factor levels: X's columns and the
        league table (reference first, then the rest as given) and the baseline arm of
        a study without the reference (the last of its treatments in this order).
        Default sorted; ``sorted(labels)`` gives metafor's order under ``LC_ALL=C``.
    mi, sdi, ni
        Arm means, SDs and sizes (MD; xi is refused).
    xi, ni
        Arm events and sizes (OR, RR, RD; mi and sdi are refused).
    add, to
        Continuity correction (binary measures), as above.

    Returns
    -------
    NMAContrasts

    Raises
    ------
    ValueError
        Unknown measure, an arm statistic the measure does not use, unknown reference,
        a study or treatment missing (None, NaN, blank), a treatment in ``treatments``
        with no arm (or an arm's treatment not in it), a study with one arm or two arms
        of one treatment, a disconnected network, missing or invalid arm data, or a
        contrast with a sampling variance that is not positive and finite.
    """
    from metareview.effects import EscalcWarning, escalc

    if measure not in NMA_MEASURES:
        raise ValueError(
            f"measure must be one of {NMA_MEASURES} for a network meta-analysis, got {measure!r}"
        )
    if to not in _TO:
        raise ValueError(f"to must be one of {_TO}, got {to!r}")
    # an arm statistic the measure does not use is refused, not ignored: it says the
    # measure or the columns are not what the caller meant
    if measure == "MD":
        uses, other = "mi, sdi and ni", {"xi": xi}
        hint = "events need measure 'OR', 'RR' or 'RD'"
    else:
        uses, other = "xi and ni", {"mi": mi, "sdi": sdi}
        hint = "means and SDs need measure 'MD'"
    unused = [name for name, values in other.items() if values is not None]
    if unused:
        raise ValueError(
            f"measure {measure!r} takes {uses} per arm, not {' or '.join(unused)}; {hint}"
        )
    study = list(study)
    raw_treatment = list(treatment)
    treatment = [str(t) for t in raw_treatment]
    n_arms = len(study)
    if len(treatment) != n_arms:
        raise ValueError(
            f"study has {n_arms} entries and treatment {len(treatment)}; expected one per arm"
        )
    if n_arms == 0:
        raise ValueError("no arms given")
    _check_labels("study", study, "the study the arm belongs to")
    _check_labels("treatment", raw_treatment, "the label of the arm's treatment")
    # R's sort() of the treatments (to.wide's levels): numbers numerically, text as R
    # collates it
    if all(_is_number(t) for t in raw_treatment):
        value = {str(t): float(t) for t in raw_treatment}
        present = sorted(set(treatment), key=lambda t: (value[t], t))
    else:
        present = sorted(set(treatment), key=_collation_key)
    if treatments is not None:
        order = [str(t) for t in treatments]
        unused = [t for t in order if t not in present]
        if unused:
            raise ValueError(
                f"treatment {unused} has no arm in the data; every treatment named needs at least one arm"
            )
        unnamed = [t for t in present if t not in order]
        if unnamed:
            raise ValueError(f"arms of treatment {unnamed}, which is not in treatments={order}")
        if len(set(order)) != len(order):
            raise ValueError(f"treatments names a treatment twice: {order}")
    else:
        order = present
    reference = order[0] if reference is None else str(reference)
    if reference not in present:
        raise ValueError(
            f"reference {reference!r} is not a treatment of the data; expected one of {present}"
        )
    levels = [*[t for t in order if t != reference], reference]
    order = [reference, *levels[:-1]]

    arms_of: dict[Hashable, list[int]] = {}
    for i, s in enumerate(study):
        arms_of.setdefault(s, []).append(i)
    for s, rows in arms_of.items():
        if len(rows) < 2:
            raise ValueError(
                f"study {s!r} has one arm ({treatment[rows[0]]!r}); every study needs at least two arms"
            )
        ts = [treatment[i] for i in rows]
        if len(set(ts)) != len(ts):
            raise ValueError(
                f"study {s!r} has two arms of one treatment ({ts}); expected one arm per treatment"
            )

    # metafor's baseline (to.wide): the levels (sorted, or as R's factor levels, the order
    # given), the reference moved to the end, and the last level present in the study
    rank = {t: i for i, t in enumerate(levels)}
    arm_rows: list[tuple[int, int]] = []
    row_study: list[Hashable] = []
    key = _sort_key(list(arms_of))
    for s in sorted(arms_of, key=key):
        rows = arms_of[s]
        base = max(rows, key=lambda i: rank[treatment[i]])
        for i in sorted((r for r in rows if r != base), key=lambda r: rank[treatment[r]]):
            arm_rows.append((i, base))
            row_study.append(s)
    _check_connected(order, [(treatment[a], treatment[b]) for a, b in arm_rows])

    one = np.array([a for a, _ in arm_rows])
    two = np.array([b for _, b in arm_rows])
    k = len(arm_rows)
    if measure == "MD":
        m = _column("mi", mi, n_arms)
        sd = _column("sdi", sdi, n_arms)
        n = _column("ni", ni, n_arms)
        bad = np.flatnonzero((sd <= 0) | (n <= 0))
        if bad.size:
            raise ValueError(
                f"arm rows {bad.tolist()} (0-based) have sdi <= 0 or ni <= 0; the arm variance sdi^2/ni must be positive"
            )
        es = escalc(
            "MD", m1i=m[one], sd1i=sd[one], n1i=n[one], m2i=m[two], sd2i=sd[two], n2i=n[two]
        )
        yi, vi = np.asarray(es.yi, dtype=float), np.asarray(es.vi, dtype=float)
        base_var = sd[two] ** 2 / n[two]
    else:
        x = _column("xi", xi, n_arms)
        n = _column("ni", ni, n_arms)
        bad = np.flatnonzero((n <= 0) | (x < 0) | (x > n))
        if bad.size:
            raise ValueError(
                f"arm rows {bad.tolist()} (0-based): expected 0 <= xi <= ni and ni > 0"
            )
        zero = (x == 0) | (x == n)
        study_zero = {s: bool(np.any(zero[arms_of[s]])) for s in arms_of}
        if to == "all" or (to == "if0all" and any(study_zero.values())):
            corrected = np.ones(k, dtype=bool)
        elif to == "only0":
            corrected = np.array([study_zero[s] for s in row_study], dtype=bool)
        else:
            corrected = np.zeros(k, dtype=bool)
        yi, vi = np.empty(k), np.empty(k)
        for flag in (False, True):
            sel = corrected == flag
            if sel.any():
                # escalc's warning that an infinite vi became missing is replaced by the
                # error below, which names the contrasts and the remedy
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", EscalcWarning)
                    es = escalc(
                        measure,
                        ai=x[one[sel]],
                        n1i=n[one[sel]],
                        ci=x[two[sel]],
                        n2i=n[two[sel]],
                        add=add,
                        to="all" if flag else "none",
                    )
                yi[sel], vi[sel] = es.yi, es.vi
        c = np.where(corrected, add, 0.0)
        a2, n2 = x[two] + c, n[two] + 2.0 * c
        with np.errstate(divide="ignore", invalid="ignore"):
            if measure == "OR":
                base_var = 1.0 / a2 + 1.0 / (n2 - a2)
            elif measure == "RR":
                base_var = 1.0 / a2 - 1.0 / n2
            else:
                p2 = a2 / n2
                base_var = p2 * (1.0 - p2) / n2
    bad = np.flatnonzero(~(np.isfinite(vi) & (vi > 0) & np.isfinite(base_var) & (base_var > 0)))
    if bad.size:
        which = ", ".join(
            f"{row_study[i]!r} ({treatment[one[i]]} vs {treatment[two[i]]})" for i in bad
        )
        hint = (
            " (zero cells: use a continuity correction, add > 0 and to != 'none')"
            if measure in _BINARY
            else ""
        )
        raise ValueError(
            f"the contrasts of {which} have a sampling variance that is not positive and finite{hint}"
        )

    # the rows of one study are adjacent and share one baseline arm
    V = np.where(_same_study(row_study), base_var[:, None], 0.0)
    np.fill_diagonal(V, vi)
    col = {t: j for j, t in enumerate(order[1:])}
    X = np.zeros((k, len(order) - 1))
    for r, (a, b) in enumerate(arm_rows):
        if treatment[a] in col:
            X[r, col[treatment[a]]] = 1.0
        if treatment[b] in col:
            X[r, col[treatment[b]]] = -1.0
    return NMAContrasts(
        measure=measure,
        reference=reference,
        treatments=tuple(order),
        study=tuple(row_study),
        treatment1=tuple(treatment[a] for a, _ in arm_rows),
        treatment2=tuple(treatment[b] for _, b in arm_rows),
        yi=_readonly(yi),
        vi=_readonly(vi),
        baseline_arm_variance=_readonly(base_var),
        V=_readonly(V),
        X=_readonly(X),
    )


# --------------------------------------------------------------------------- fitting


@dataclass(frozen=True)
class _Core:
    beta: FloatArray
    vb: FloatArray
    tau2: float
    ll_ML: float
    ll_REML: float


def _gls(
    y: FloatArray, M: FloatArray, X: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, float, float]:
    """beta, vb, W and the two log-likelihood pieces (log|M|, r'Wr) of a GLS fit."""
    import scipy.linalg as sl

    try:
        chol = sl.cho_factor(M, lower=True)
    except np.linalg.LinAlgError as exc:
        raise ValueError("the marginal covariance V + tau2 R is not positive definite") from exc
    W = sl.cho_solve(chol, np.eye(len(y)))
    W = (W + W.T) / 2.0
    xtwx = X.T @ W @ X
    try:
        vb = np.linalg.inv(xtwx)
    except np.linalg.LinAlgError as exc:
        raise ValueError(
            "X'WX is singular: the design does not identify every coefficient"
        ) from exc
    vb = (vb + vb.T) / 2.0
    beta = vb @ (X.T @ W @ y)
    r = y - X @ beta
    logdet = 2.0 * float(np.sum(np.log(np.diag(chol[0]))))
    return beta, vb, W, logdet, float(r @ W @ r)


def _core(y: FloatArray, V: FloatArray, X: FloatArray, R: FloatArray, tau2: float) -> _Core:
    k, p = X.shape
    beta, vb, _, logdet, rwr = _gls(y, V + tau2 * R, X)
    ll_ml = -k / 2.0 * math.log(2.0 * math.pi) - 0.5 * logdet - 0.5 * rwr
    _, ld_xtx = np.linalg.slogdet(X.T @ X)
    _, ld_xtwx = np.linalg.slogdet(np.linalg.inv(vb))
    ll_reml = (
        -(k - p) / 2.0 * math.log(2.0 * math.pi)
        + 0.5 * ld_xtx
        - 0.5 * logdet
        - 0.5 * ld_xtwx
        - 0.5 * rwr
    )
    return _Core(beta=beta, vb=vb, tau2=tau2, ll_ML=float(ll_ml), ll_REML=float(ll_reml))


def _score(
    y: FloatArray, V: FloatArray, X: FloatArray, R: FloatArray, tau2: float, method: str
) -> float:
    """The REML or ML score for tau^2 (module docstring)."""
    beta, vb, W, _, _ = _gls(y, V + tau2 * R, X)
    wr = W @ (y - X @ beta)
    tr = float(np.sum(W * R))  # tr(WR), both symmetric
    if method == "REML":
        wx = W @ X
        tr -= float(np.trace(vb @ (wx.T @ R @ wx)))
    return 0.5 * (float(wr @ R @ wr) - tr)


def _solve_tau2(y: FloatArray, V: FloatArray, X: FloatArray, R: FloatArray, method: str) -> float:
    """Root of the score (0 when U(0) <= 0): the first sign change found by doubling."""
    from scipy.optimize import brentq

    def u(t: float) -> float:
        return _score(y, V, X, R, t, method)

    if u(0.0) <= 0.0:
        return 0.0
    hi = max(float(np.var(y)), float(np.mean(np.diag(V))), 1e-8)
    lo = 0.0
    for _ in range(200):
        if u(hi) < 0.0:
            break
        lo, hi = hi, 2.0 * hi
    else:  # pragma: no cover - the score falls below 0 for any finite data
        raise ValueError("could not bracket the root of the tau2 score")
    return float(brentq(u, lo, hi, xtol=1e-300, rtol=4.0 * np.finfo(float).eps, maxiter=1000))


def _test_block(est: float, var: float, level: float) -> dict[str, float]:
    se = math.sqrt(var)
    crit = norm_isf(alpha_from_level(level) / 2.0)
    z = est / se
    return {
        "estimate": est,
        "se": se,
        "zval": z,
        "pval": two_sided_norm_p(z),
        "ci_lb": est - crit * se,
        "ci_ub": est + crit * se,
    }


@dataclass(frozen=True, eq=False)
class NMAResult:
    """A fitted contrast-based NMA, with metafor's names (arrays in ``coef_names`` order).

    Coefficients (the basic parameters, each treatment vs the reference): ``beta``,
    ``se``, ``zval``, ``pval``, ``ci_lb``, ``ci_ub`` and ``vb``. Heterogeneity:
    ``tau2`` (shared by all comparisons), ``rho`` and ``tau``. Tests: ``QE``, ``QE_df``
    (= k - p), ``QEp`` (from V only: the same for every tau^2; with k = p, QE = 0 and
    QEp = 1, as in metafor), ``QM``, ``QM_df`` (= p), ``QMp``. Fit: ``ll_ML``,
    ``ll_REML``, ``n_par`` (p + 1 with tau^2 estimated; p for a common-effect model and
    for a tau^2 fixed by the caller, as metafor's ``parms``), ``AIC_ML``, ``BIC_ML``,
    ``AIC_REML``, ``BIC_REML`` (-Inf with k = p: log(k - p) = log 0, as in R) and
    ``AIC``/``BIC`` of the likelihood the method maximises (REML for a common-effect
    model, as metafor labels a model without random effects). ``contrasts`` holds the data when the fit came from
    :func:`nma_contrasts` (needed by :meth:`league`, :meth:`pscores` and
    :meth:`nodesplit`).
    """

    method: str
    level: float
    k: int
    p: int
    coef_names: tuple[str, ...]
    beta: FloatArray
    se: FloatArray
    zval: FloatArray
    pval: FloatArray
    ci_lb: FloatArray
    ci_ub: FloatArray
    vb: FloatArray
    tau2: float
    rho: float
    tau2_fixed: bool
    QE: float
    QE_df: int
    QEp: float
    QM: float
    QM_df: int
    QMp: float
    ll_ML: float
    ll_REML: float
    n_par: int
    contrasts: NMAContrasts | None = field(default=None, repr=False)

    @property
    def tau(self) -> float:
        return math.sqrt(self.tau2)

    @property
    def AIC_ML(self) -> float:
        return -2.0 * self.ll_ML + 2.0 * self.n_par

    @property
    def AIC_REML(self) -> float:
        return -2.0 * self.ll_REML + 2.0 * self.n_par

    @property
    def BIC_ML(self) -> float:
        return -2.0 * self.ll_ML + self.n_par * math.log(self.k)

    @property
    def BIC_REML(self) -> float:
        # no residual degrees of freedom: log(0) = -Inf, as in R (metafor's fitstats)
        log_n = math.log(self.k - self.p) if self.k > self.p else -math.inf
        return -2.0 * self.ll_REML + self.n_par * log_n

    @property
    def AIC(self) -> float:
        return self.AIC_ML if self.method == "ML" else self.AIC_REML

    @property
    def BIC(self) -> float:
        return self.BIC_ML if self.method == "ML" else self.BIC_REML

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plain values keyed by attribute name, as ``RMAResult.to_dict``
        (None for an undefined number: NaN, and the -Inf of ``BIC_REML`` with k = p).

        The fields of the fit (``method`` to ``n_par``), ``tau``, ``AIC_ML``, ``BIC_ML``,
        ``AIC_REML``, ``BIC_REML``, ``AIC`` and ``BIC``; and ``contrasts``: for a fit of
        :func:`nma_contrasts` its ``measure``, ``reference``, ``treatments``, ``study``,
        ``treatment1``, ``treatment2``, ``yi``, ``vi``, ``baseline_arm_variance``, ``V``
        and ``X`` (matrices as lists of rows), else None.
        """
        from dataclasses import fields

        from metareview.pool import _jsonable

        out = {
            f.name: _jsonable(getattr(self, f.name)) for f in fields(self) if f.name != "contrasts"
        }
        for key in ("tau", "AIC_ML", "BIC_ML", "AIC_REML", "BIC_REML", "AIC", "BIC"):
            out[key] = _jsonable(getattr(self, key))
        net = self.contrasts
        out["contrasts"] = (
            None if net is None else {f.name: _jsonable(getattr(net, f.name)) for f in fields(net)}
        )
        return out

    # ------------------------------------------------------------ derived quantities

    def _network(self) -> NMAContrasts:
        if self.contrasts is None or tuple(self.coef_names) != self.contrasts.X_columns:
            raise ValueError(
                "this needs a fit of rma_nma(nma_contrasts(...)) whose coefficients are the basic parameters"
            )
        return self.contrasts

    def _padded(self) -> tuple[tuple[str, ...], FloatArray, FloatArray]:
        net = self._network()
        d = np.concatenate([[0.0], self.beta])
        vb = np.zeros((self.p + 1, self.p + 1))
        vb[1:, 1:] = self.vb
        return net.treatments, d, vb

    def contrast(self, a: str, b: str) -> dict[str, float]:
        """The network estimate of ``a`` minus ``b`` (``d_a - d_b``), its SE, z, p and CI."""
        names, d, vb = self._padded()
        self._network()._check_treatment(a)
        self._network()._check_treatment(b)
        i, j = names.index(a), names.index(b)
        return _test_block(
            float(d[i] - d[j]), float(vb[i, i] + vb[j, j] - 2.0 * vb[i, j]), self.level
        )

    def league(self) -> dict[str, Any]:
        r"""The league table of all pairwise comparisons.

        Entry ``[i][j]`` is treatment i vs treatment j (order ``treatments``, reference
        first): :math:`\hat d_i - \hat d_j` with
        :math:`se = \sqrt{v_{ii} + v_{jj} - 2v_{ij}}` (vb padded with 0 for the
        reference), z-test and normal CI at the fit's level; the diagonal is NaN.

        Returns
        -------
        dict
            ``treatments``; n x n arrays ``estimate``, ``se``, ``zval``, ``pval``,
            ``ci_lb``, ``ci_ub``; and ``pairs``, one record per i < j (``treatment1``,
            ``treatment2`` and the same six numbers).
        """
        names, d, vb = self._padded()
        n = len(names)
        out = {
            f: np.full((n, n), np.nan) for f in ("estimate", "se", "zval", "pval", "ci_lb", "ci_ub")
        }
        pairs: list[dict[str, Any]] = []
        for i in range(n):
            for j in range(n):
                if i == j:
                    continue
                block = _test_block(
                    float(d[i] - d[j]), float(vb[i, i] + vb[j, j] - 2.0 * vb[i, j]), self.level
                )
                for f, v in block.items():
                    out[f][i, j] = v
                if i < j:
                    pairs.append({"treatment1": names[i], "treatment2": names[j], **block})
        return {"treatments": names, **out, "pairs": pairs}

    def pscores(self, smaller_is_better: bool) -> dict[str, Any]:
        r"""P-scores (Rücker & Schwarzer 2015), the frequentist analogue of SUCRA.

        With :math:`P_{ij} = \Phi((\hat d_i - \hat d_j)/se_{ij})`, the certainty that i
        is larger than j (``prob_matrix``, diagonal NaN), and n treatments:

        .. math::
            P_i^{larger} = \frac{1}{n-1}\sum_{j \ne i} P_{ij}, \qquad
            P_i^{smaller} = \frac{1}{n-1}\sum_{j \ne i} \Phi((\hat d_j - \hat d_i)/se_{ij}).

        Parameters
        ----------
        smaller_is_better
            Whether a smaller effect is better for patients (e.g. HbA1c, an odds ratio
            of a harm); chooses ``pscore``.

        Returns
        -------
        dict
            ``treatments``, ``prob_matrix``, ``larger_is_better``, ``smaller_is_better``,
            ``pscore`` (the preferred one) and ``preferred_direction``.
        """
        names, d, vb = self._padded()
        n = len(names)
        prob = np.full((n, n), np.nan)
        lower = np.full((n, n), np.nan)
        for i in range(n):
            for j in range(n):
                if i != j:
                    se = math.sqrt(vb[i, i] + vb[j, j] - 2.0 * vb[i, j])
                    prob[i, j] = norm_cdf((d[i] - d[j]) / se)
                    lower[i, j] = norm_cdf((d[j] - d[i]) / se)
        larger = np.nansum(prob, axis=1) / (n - 1)
        smaller = np.nansum(lower, axis=1) / (n - 1)
        direction = "smaller_is_better" if smaller_is_better else "larger_is_better"
        return {
            "treatments": names,
            "prob_matrix": prob,
            "larger_is_better": larger,
            "smaller_is_better": smaller,
            "pscore": smaller if smaller_is_better else larger,
            "preferred_direction": direction,
        }

    def nodesplit(self, a: str, b: str, variant: str = "separate") -> dict[str, Any]:
        """Split the evidence on ``a`` vs ``b`` into direct and indirect (Dias et al. 2010).

        Every study with both an ``a`` and a ``b`` arm must be a two-arm study (in a
        multi-arm study the split is not unique), and the network must stay connected
        without them. The fit's method (REML, ML or a common-effect one) is used
        throughout; a tau^2 fixed by the caller is not carried over.

        ``variant="separate"``
            *direct*: a pairwise meta-analysis (:func:`metareview.pool.rma`) of the a-b
            studies; *indirect*: this NMA refitted to all other studies, with its own
            tau^2, giving :math:`d_a - d_b`.
        ``variant="single"``
            One NMA with an extra column (+1 on rows of a minus b, -1 on rows of b minus
            a, 0 elsewhere) whose coefficient is the inconsistency
            :math:`\\omega` = direct - indirect; *indirect* is :math:`d_a - d_b` from the
            basic parameters and *direct* = indirect + :math:`\\omega`, both with SEs from
            the full vb; tau^2 is shared. ``QE_df`` = k - p - 1.

        In both, ``difference`` = direct - indirect with its z-test (separate:
        :math:`se = \\sqrt{se_{dir}^2 + se_{ind}^2}`; single: the SE of
        :math:`\\omega`).

        Returns
        -------
        dict
            ``treatment1``, ``treatment2``, ``variant``, ``method``, ``studies`` (the a-b
            studies), ``direct``, ``indirect``, ``difference`` (each ``estimate``,
            ``se``, ``zval``, ``pval``, ``ci_lb``, ``ci_ub``); ``direct_fit``
            (RMAResult) and ``indirect_fit`` (NMAResult) for "separate", ``fit``
            (NMAResult with the coefficient ``"nodesplit"``) and ``nodesplit_column``
            for "single".

        Raises
        ------
        ValueError
            Unknown variant or treatment; no study compares a and b directly; one is a
            multi-arm study; or the other studies do not connect the network.
        """
        from metareview.pool import rma

        net = self._network()
        if variant not in ("separate", "single"):
            raise ValueError(f"variant must be 'separate' or 'single', got {variant!r}")
        studies, yi, vi = net.pairwise(a, b)
        if not studies:
            raise ValueError(
                f"no study compares {a!r} and {b!r} directly: there is nothing to split"
            )
        multi = [s for s in studies if net.study.count(s) > 1]
        if multi:
            raise ValueError(
                f"studies {multi} with both {a!r} and {b!r} have more than two arms; "
                "node-splitting here expects the comparison only in two-arm studies"
            )
        in_split = np.array([s in studies for s in net.study], dtype=bool)
        out: dict[str, Any] = {
            "treatment1": a,
            "treatment2": b,
            "variant": variant,
            "method": self.method,
            "studies": studies,
        }
        if variant == "separate":
            try:
                rest = net.subset(~in_split)
            except ValueError as exc:
                raise ValueError(
                    f"without the studies of {a} vs {b} there is no indirect evidence: {exc}"
                ) from exc
            # metareview's rma knows the common-effect model as FE or EE, not CE
            pairwise_method = "EE" if self.method == "CE" else self.method
            direct_fit = rma(yi, vi, method=pairwise_method, level=self.level)
            indirect_fit = rma_nma(rest, method=self.method, rho=self.rho, level=self.level)
            direct = _test_block(float(direct_fit.estimate), float(direct_fit.se) ** 2, self.level)
            indirect = indirect_fit.contrast(a, b)
            diff = _test_block(
                direct["estimate"] - indirect["estimate"],
                direct["se"] ** 2 + indirect["se"] ** 2,
                self.level,
            )
            out.update(direct=direct, indirect=indirect, difference=diff)
            out.update(direct_fit=direct_fit, indirect_fit=indirect_fit)
            return out
        column = np.zeros(net.k)
        for i in np.flatnonzero(in_split):
            column[i] = 1.0 if (net.treatment1[i], net.treatment2[i]) == (a, b) else -1.0
        X = np.column_stack([net.X, column])
        try:
            _check_connected(
                net.treatments,
                [
                    (t1, t2)
                    for t1, t2, s in zip(net.treatment1, net.treatment2, in_split, strict=True)
                    if not s
                ],
            )
        except ValueError as exc:
            raise ValueError(
                f"without the studies of {a} vs {b} there is no indirect evidence: {exc}"
            ) from exc
        fit = _fit(
            net.yi,
            net.V,
            X,
            net.re_corr(self.rho),
            method=self.method,
            rho=self.rho,
            level=self.level,
            coef_names=(*net.X_columns, "nodesplit"),
            contrasts=net,
            tau2=None,
        )
        names = net.treatments
        c_ind = np.zeros(self.p + 1)
        for t, sign in ((a, 1.0), (b, -1.0)):
            if t != net.reference:
                c_ind[names.index(t) - 1] += sign
        c_dir = c_ind.copy()
        c_dir[-1] = 1.0
        indirect = _test_block(float(c_ind @ fit.beta), float(c_ind @ fit.vb @ c_ind), self.level)
        direct = _test_block(float(c_dir @ fit.beta), float(c_dir @ fit.vb @ c_dir), self.level)
        diff = _test_block(float(fit.beta[-1]), float(fit.vb[-1, -1]), self.level)
        out.update(
            direct=direct, indirect=indirect, difference=diff, fit=fit, nodesplit_column=column
        )
        return out

    def summary(self, digits: int = 4) -> str:
        """The fit as text, in the spirit of metafor's ``print.rma.mv``.

        Differences from metafor: no table of variance components by level (one tau^2
        with its rho instead), no significance stars, p-values below 1e-4 as
        ``<.0001`` and the fit statistics in one row without the AICc.
        """
        d = int(digits)

        def f(x: float) -> str:
            return f"{x:.{d}f}"

        def pv(x: float) -> str:
            return "<.0001" if x < 1e-4 else f"{x:.4f}"

        kind = "Common-Effect" if self.method in _COMMON else "Multivariate Meta-Analysis"
        lines = [f"{kind} Model (k = {self.k}; method: {self.method})", ""]
        lines.append(
            f"  logLik: {f(self.ll_ML if self.method == 'ML' else self.ll_REML)}   "
            f"AIC: {f(self.AIC)}   BIC: {f(self.BIC)}"
        )
        lines.append("")
        if self.method not in _COMMON:
            how = "fixed" if self.tau2_fixed else "estimated"
            lines.append(
                f"tau^2 (shared by all comparisons, {how}): {f(self.tau2)} (tau = {f(self.tau)}); rho = {self.rho:g}"
            )
            lines.append("")
        lines.append(
            f"Test for Residual Heterogeneity and Inconsistency:\nQE(df = {self.QE_df}) = {f(self.QE)}, p-val = {pv(self.QEp)}"
        )
        lines.append("")
        lines.append(
            f"Test of Moderators (coefficients 1:{self.p}):\nQM(df = {self.QM_df}) = {f(self.QM)}, p-val = {pv(self.QMp)}"
        )
        lines.append("")
        lines.append(
            "Model Results (basic parameters vs the reference"
            + (f" {self.contrasts.reference!r}" if self.contrasts is not None else "")
            + "):"
        )
        lines.append("")
        width = max(len(n) for n in self.coef_names)
        head = ["estimate", "se", "zval", "pval", "ci.lb", "ci.ub"]
        rows = [
            [f(b), f(s), f"{z:.{d}f}", pv(p), f(lo), f(hi)]
            for b, s, z, p, lo, hi in zip(
                self.beta, self.se, self.zval, self.pval, self.ci_lb, self.ci_ub, strict=True
            )
        ]
        cw = [max(len(h), *(len(r[c]) for r in rows)) for c, h in enumerate(head)]
        lines.append(
            " " * width + "  " + "  ".join(h.rjust(w) for h, w in zip(head, cw, strict=True))
        )
        for name, r in zip(self.coef_names, rows, strict=True):
            lines.append(
                name.ljust(width) + "  " + "  ".join(v.rjust(w) for v, w in zip(r, cw, strict=True))
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _fit(
    y: FloatArray,
    V: FloatArray,
    X: FloatArray,
    R: FloatArray,
    *,
    method: str,
    rho: float,
    level: float,
    coef_names: Sequence[str],
    contrasts: NMAContrasts | None,
    tau2: float | None,
) -> NMAResult:
    k, p = X.shape
    if method in _COMMON:
        t2 = 0.0
    elif tau2 is not None:
        t2 = float(tau2)
    else:
        t2 = _solve_tau2(y, V, X, R, method)
    core = _core(y, V, X, R, t2)
    se = np.sqrt(np.diag(core.vb))
    z = core.beta / se
    crit = norm_isf(alpha_from_level(level) / 2.0)
    *_, qe = _gls(y, V, X)
    if k > p:
        qep = float(chi2_sf(qe, k - p))
    else:  # metafor's rma.mv: no residual degrees of freedom, QE = 0 and QEp = 1
        qe, qep = 0.0, 1.0
    qm = float(core.beta @ np.linalg.solve(core.vb, core.beta))
    return NMAResult(
        method=method,
        level=level,
        k=k,
        p=p,
        coef_names=tuple(coef_names),
        beta=_readonly(core.beta),
        se=_readonly(se),
        zval=_readonly(z),
        pval=_readonly(two_sided_norm_p(z)),
        ci_lb=_readonly(core.beta - crit * se),
        ci_ub=_readonly(core.beta + crit * se),
        vb=_readonly(core.vb),
        tau2=t2,
        rho=rho,
        tau2_fixed=tau2 is not None and method not in _COMMON,
        QE=qe,
        QE_df=k - p,
        QEp=qep,
        QM=qm,
        QM_df=p,
        QMp=float(chi2_sf(qm, p)),
        ll_ML=core.ll_ML,
        ll_REML=core.ll_REML,
        # metafor's parms count the estimated parameters only: a fixed tau2 is not one
        n_par=p if method in _COMMON or tau2 is not None else p + 1,
        contrasts=contrasts,
    )


def _all_equal(target: FloatArray, current: FloatArray, tolerance: float) -> tuple[bool, float]:
    """R's ``all.equal.numeric`` (countEQ = FALSE): the mean relative difference over the
    entries that differ, ``sum|t - c| / sum|t|`` (absolute if ``mean|t|`` is not above
    the tolerance), and whether it is at most ``tolerance``."""
    t, c = target.ravel(), current.ravel()
    differ = t != c
    if not differ.any():
        return True, 0.0
    t, c = t[differ], c[differ]
    n = t.size
    scale = float(np.sum(np.abs(t)) / n)
    if not (math.isfinite(scale) and scale > tolerance):
        scale = 1.0
    xy = float(np.sum(np.abs(t - c) / (n * scale)))
    return xy <= tolerance, xy


#: R's ``isSymmetric.matrix`` default tolerance (100 * .Machine$double.eps), which
#: metafor's ``rma.mv`` applies to V
_SYMMETRY_TOL = 100.0 * float(np.finfo(float).eps)


def _check_symmetric(V: FloatArray) -> None:
    """Refuse V as metafor's ``rma.mv`` does (``isSymmetric(V)``), saying where it fails.

    ``isSymmetric.matrix``: rows 1, 2, n-1 and n against the matching columns at
    ``8 * tol``, then V against V' at ``tol``, each by ``all.equal``'s mean relative
    difference.
    """
    n = V.shape[0]
    checks = [
        (V[i, :], V[:, i], 8.0 * _SYMMETRY_TOL)
        for i in dict.fromkeys((0, 1, n - 2, n - 1))
        if 0 <= i < n
    ]
    checks.append((V, V.T, _SYMMETRY_TOL))
    for target, current, tol in checks:
        ok, xy = _all_equal(target, current, tol)
        if not ok:
            i, j = np.unravel_index(int(np.argmax(np.abs(V - V.T))), V.shape)
            raise ValueError(
                f"V is not symmetric: V[{i}, {j}] = {float(V[i, j])!r} but V[{j}, {i}] = {float(V[j, i])!r} "
                f"(0-based; mean relative difference {xy:.3g}, above R's isSymmetric "
                f"tolerance {tol:.3g} that metafor's rma.mv applies)"
            )


def rma_nma(
    data: NMAContrasts | ArrayLike,
    V: ArrayLike | None = None,
    X: ArrayLike | None = None,
    *,
    study: Sequence[Hashable] | None = None,
    coef_names: Sequence[str] | None = None,
    method: str = "REML",
    rho: float = 0.5,
    tau2: float | None = None,
    level: float = 95.0,
) -> NMAResult:
    """Fit the contrast-based NMA (metafor's ``rma.mv(yi, V, mods = ~ X - 1,
    random = ~ comp | study, rho = 1/2)``); model and formulas in the module docstring.

    Parameters
    ----------
    data
        The :class:`NMAContrasts` of :func:`nma_contrasts` (then V, X and study come from
        it), or the effect sizes yi (length k).
    V, X
        With yi: the k x k within-study covariance and the k x p design (no intercept).
    study
        With yi: the study of each row (rows of one study correlate ``rho`` in R);
        default every row its own study.
    coef_names
        With yi: names of X's columns (default ``X1``...).
    method
        ``"REML"`` (default), ``"ML"``, or the common-effect model (tau^2 = 0, M = V)
        under any of metafor's names for it, ``"FE"``, ``"EE"`` or ``"CE"`` (kept as
        ``method`` of the result, as metafor keeps it).
    rho
        Correlation of the random effects of two rows of one study (default 1/2, fixed).
    tau2
        Fix tau^2 at this value instead of estimating it (metafor's ``tau2=``); not with
        a common-effect method, which has no tau^2.
    level
        Confidence level (percent; 0.95 and 0.05 also ask for 95%).

    Returns
    -------
    NMAResult

    Raises
    ------
    ValueError
        Unknown method; V not a k x k matrix of finite numbers, not symmetric within
        metafor's tolerance (R's ``isSymmetric``: a mean relative difference of V and
        V' up to 100 machine epsilons, after which V is replaced by (V + V')/2) or
        without positive variances (or V + tau2 R not positive definite); X not k x p
        of full column rank (so k >= p; with k = p, a tree-shaped network, QE has 0
        degrees of freedom and, as in metafor, QE = 0, QEp = 1 and BIC_REML = -Inf);
        lengths that disagree; a negative tau2, a tau2 with a common-effect method, or
        rho outside [-1, 1].
    """
    if method not in NMA_METHODS:
        raise ValueError(f"method must be one of {NMA_METHODS}, got {method!r}")
    if tau2 is not None and not (math.isfinite(tau2) and tau2 >= 0):
        raise ValueError(f"tau2 must be a finite number >= 0, got {tau2!r}")
    if tau2 is not None and method in _COMMON:
        # metafor's rma.mv drops a tau2 it has no random effect for without a word
        raise ValueError(
            f"tau2 = {tau2!r} was given with method {method!r}, but a common-effect model has "
            "no tau^2: leave tau2 out, or fix it in a random-effects fit (method 'REML' or 'ML')"
        )
    if not (-1.0 <= rho <= 1.0):
        raise ValueError(f"rho must be in [-1, 1], got {rho!r}")
    alpha_from_level(level)
    if isinstance(data, NMAContrasts):
        if V is not None or X is not None or study is not None or coef_names is not None:
            raise ValueError(
                "V, X, study and coef_names come from the NMAContrasts; do not pass them too"
            )
        return _fit(
            np.asarray(data.yi, dtype=float),
            np.asarray(data.V, dtype=float),
            np.asarray(data.X, dtype=float),
            data.re_corr(rho),
            method=method,
            rho=rho,
            level=level,
            coef_names=data.X_columns,
            contrasts=data,
            tau2=tau2,
        )
    y = np.asarray(data, dtype=float)
    if y.ndim != 1 or y.size == 0 or not np.all(np.isfinite(y)):
        raise ValueError("yi must be a non-empty vector of finite numbers")
    k = y.size
    if V is None or X is None:
        raise ValueError("with yi, V (k x k) and X (k x p) are required")
    Vm = np.asarray(V, dtype=float)
    Xm = np.asarray(X, dtype=float)
    if Xm.ndim == 1:
        Xm = Xm[:, None]
    if Vm.shape != (k, k):
        raise ValueError(f"V must be a {k} x {k} matrix (one row per yi), got shape {Vm.shape}")
    bad_v = np.argwhere(~np.isfinite(Vm))
    if bad_v.size:
        raise ValueError(
            f"V must hold finite numbers; it does not at (row, column) {[tuple(map(int, ij)) for ij in bad_v[:5]]} (0-based)"
        )
    _check_symmetric(Vm)
    # within isSymmetric's tolerance: the mean of V and V' (rounding apart, either one)
    Vm = (Vm + Vm.T) / 2.0
    if np.any(np.diag(Vm) <= 0):
        raise ValueError(
            f"V has non-positive variances on its diagonal at rows {np.flatnonzero(np.diag(Vm) <= 0).tolist()}"
        )
    if Xm.shape[0] != k or not np.all(np.isfinite(Xm)):
        raise ValueError(f"X must have {k} rows of finite numbers, got shape {Xm.shape}")
    if np.linalg.matrix_rank(Xm) < Xm.shape[1]:
        raise ValueError(
            "X is not of full column rank: the network does not identify every basic parameter"
        )
    names = (
        tuple(coef_names)
        if coef_names is not None
        else tuple(f"X{j + 1}" for j in range(Xm.shape[1]))
    )
    if len(names) != Xm.shape[1]:
        raise ValueError(f"coef_names has {len(names)} names for {Xm.shape[1]} columns of X")
    groups = list(study) if study is not None else list(range(k))
    if len(groups) != k:
        raise ValueError(f"study has {len(groups)} entries; expected one per row ({k})")
    R = _re_corr(groups, rho)
    return _fit(
        y,
        Vm,
        Xm,
        R,
        method=method,
        rho=rho,
        level=level,
        coef_names=names,
        contrasts=None,
        tau2=tau2,
    )
