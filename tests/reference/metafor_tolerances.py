"""Shared helpers for the comparisons with metafor: fixture loading and THE tolerance table.

The fixtures in ``tests/reference/metafor/`` are copies of the metafor 3.8-1 reference
files (see the README there for provenance); their values are never edited.

Tolerance table
---------------
Every comparison against a metafor number in ``tests/`` uses one of the entries of ``TOL``
below (through :func:`assert_close`), chosen by *how* the number was produced, never by
how well we happen to match it. A value passes when ``|ours - R| <= atol + rtol * |R|``.
Values metafor reports as exactly 0 (e.g. tau^2 at the boundary) must be exactly 0 here
unless the entry has an absolute part. The project requires relative 1e-10 for closed
forms and 1e-8 for iterative estimators against ``models_tight``; the entries looser than
that compare against metafor's *default* convergence, and say why.

``elementary``
    Closed forms with no step that amplifies rounding (no far-tail p-values, no
    differences of nearly equal numbers, no DFBETAS near 0): effect sizes and
    conversions of one study (the median/IQR, range, five-number and CI conversions of
    ``metafor_conv``; escalc's yi and vi of a 2x2 table), the DL tau^2, vt, se(tau^2)
    and Q of a few studies (where metafor's k x k products cost only a few bits), and a
    bound that is a fixed multiple of such a value. Both programs then agree to the last
    few bits (R's ``qnorm`` against scipy's ``ndtri`` to ~1e-15; worst seen 7e-15), so
    relative 1e-12, no absolute part, still leaves a factor of 100; checks meant to
    catch lost digits (a dominant study's leverage) need this entry, not ``closed``.
``closed``
    Quantities metafor computes in closed form (FE/EE, DL, HE, HS, SJ; every statistic
    given a tau^2 value: estimate, SE, tests, CIs, PIs, Q, I^2, H^2, vt, log-likelihoods,
    weights; escalc's yi and vi; ranktest, fsn and regtest with ``model="lm"``). Same
    formulas, only the order of floating-point summation differs (metafor uses k x k
    matrix products), which costs ~1e-15 relative; 1e-10 leaves room for the
    amplification in subtractions such as Q - (k - 1) and in the far tails of p-values
    (QEp ~ 1e-47 is still relative 1e-13 here). No absolute part: every exact 0 of
    metafor's is an exact 0 here, except in the deletion diagnostics below. This holds
    while max(vi)/min(vi) stays below 1e7, where both programs warn: beyond, metafor's
    k x k products lose digits (at 1e8, ``metafor_edge/tolerance_probes.json``: DL
    tau^2 2.4e-11, I^2 8.9e-11, H^2 and QE 1.8e-10 from the exact rational values, which
    metareview gives to 1e-15; see docs/statistics.md).
``tight``
    Our exact solver against metafor refitted to convergence (``models_tight``, the
    ``metafor_bias``, ``metafor_regtest`` and ``metafor_options`` fixtures): threshold =
    1e-12 on the change in tau^2 (Fisher scoring converges linearly, so its iterate is
    within ~1e-11 of the root) and uniroot tol = 1e-12. Relative 1e-8 is the project's
    requirement (worst seen 9e-10: a trim-and-fill CI bound); no absolute part.
``closed_deletion``, ``tight_deletion``, ``closed_cook``, ``tight_cook``
    The deletion diagnostics DFFITS, DFBETAS and rstudent (``*_deletion``) and Cook's
    distance (``*_cook``) under ``closed`` and ``tight``. Each is built from a difference
    b - b(-i) (rstudent from y_i - b(-i)) that both programs compute with a rounding of
    a few eps |b|, i.e. a few eps |z| in units of se(b) (z = b/se(b)). When deleting a
    study barely moves the estimate, that difference is itself tiny and keeps only
    log10(|b - b(-i)| / (eps |b|)) digits in either program: for a study at the centre
    of symmetric data (``metafor_edge/tolerance_probes.json``, y_i = 0.3 + delta), DFFITS
    differ by 8.7e-9 relative at delta = 1e-7 (2.5e-7) and Cook's distance by 1.7e-8
    (6.4e-14), 2e-6 at delta = 1e-9; at delta = 0 metafor reports rounding noise (Cook's
    distance 8.5e-30, DFFITS 2.9e-15) where the exact value, and metareview's, is 0. The
    absolute error stays at 1.4e-15 to 2.9e-15 (z = 3.4 to 4): ``*_deletion`` add an
    absolute 1e-13 (a few eps |z| for |z| up to ~100) to the relative entry. Cook's
    distance D is the square, so its error is about 2 sqrt(D) delta_b with delta_b that
    absolute part; 2 sqrt(D) delta_b <= rtol D + delta_b^2 / rtol, so ``*_cook`` add
    delta_b^2 / rtol: 1e-16 under ``closed`` and 1e-18 under ``tight`` (measured excess
    over the relative part: 4.7e-20 and 5.7e-23).
``tight_tau2``
    tau^2 itself (and tau2_del, and tau^2's Q-profile bounds) under ``tight``. Both of
    metafor's tolerances there are *absolute*: Fisher scoring approaches tau^2 = 0 only
    step by step and stops at about 1e-12 instead of 0 (seen: 6.1e-13 in leave-one-out,
    cumulative and ML fits of dat.raudenbush1985), and uniroot locates a bound such as the
    Q-profile upper bound 3e-5 of dat.hine1989 to 1e-12 absolute. Relative 1e-8 plus
    absolute 1e-12.
``tight_I2``
    I^2 (in percent) of the same fits: the stopping point tau^2 ~ 1e-12 above gives I^2 =
    100 tau^2/(tau^2 + vt) of up to 7e-10 percent in the leave-one-out and cumulative fits
    of dat.hackshaw1998 and dat.lee2004 (2.4e-9 seen in dat.raudenbush1985). Otherwise as
    ``tight``, with an absolute 1e-8 percentage points. That absolute part is tau^2's
    1e-12 carried through dI^2/dtau^2 = 100 vt/(tau^2 + vt)^2 <= 100/vt, so it holds for
    vt >= 0.01, as in every fixture compared under it (smallest 0.026 with tau^2 > 0;
    dat.hine1989's vt = 1.1e-3 has tau^2 = 0 in both programs). For smaller sampling
    variances it is 100 * 1e-12 / vt (:func:`tight_i2_atol`): nearly equal effects with
    vi of 1e-4 (vt = 1.4e-4) give leave-one-out I^2 of 1.8e-7 percent in metafor where
    the exact value, metareview's, is 0.
``emulated``
    Our implementation with ``control=METAFOR_DEFAULTS`` (metafor's own algorithm: Fisher
    scoring stopped at |change| < 1e-5, R's Brent ``uniroot`` with tol 2^-13) against
    fixtures produced with metafor's default settings (``models``, ``models_knha``,
    ``metareg``, ``subgroup``, ``leave1out``, ``influence``, ``cumul``, ``bias``), and with
    ``TIGHT_EMULATION`` against ``models_tight``. Both run the same iteration, so the
    stopping iterate agrees to summation-order noise; the iterate's error relative to
    the root (up to ~1e-5 absolute) is inherited identically, and differences of 1e-15
    per step are amplified at most by the conditioning of tiny tau^2 values (the worst
    case seen is 5e-11 relative on a cumulative fit with tau^2 ~ 5e-7; a stopping point
    tau^2 = 2.5e-6 next to a study of vi = 0 differs by 3e-15 absolute, 1.4e-9
    relative). Relative 1e-9, absolute 1e-12.
``loose_reml``, ``loose``, ``loose_tau2``, ``loose_bound``
    Our exact solver against fixtures produced with metafor's default convergence. These
    only confirm that the exact root is where metafor's rough one says; the formulas are
    pinned by ``emulated`` and the root by ``tight``, so the looser numbers are about
    metafor's stopping rule, not ours. metafor stops Fisher scoring (REML, ML, EB) when
    tau^2 changes by < 1e-5 and uniroot (PM, PMM) within 2^-13 = 1.2e-4 *absolute* in
    tau^2.

    ``loose_reml`` is for REML fits alone (the ``bias`` block's regtest and
    trimfill): the 1e-5 threshold leaves tau^2 up to 4.1e-4 relative from the root
    (the regtest fit of dat.raudenbush1985, tau^2 = 0.013), and less in the derived
    statistics (a CI bound 2.6e-4, a p-value 2.4e-4); relative 1e-3, absolute 1e-12.

    ``loose`` covers every estimator (``models``): PM's uniroot stops up to 1.7e-3
    relative from the root for dat.hackshaw1998 (tau^2 = 0.0129 vs metafor's
    0.01290), which propagates to 2.4e-3 in its p-value and 1.4e-3 in I^2; for the ML
    fit of dat.raudenbush1985 a confidence bound near zero moves by 2.3e-4 relative. The
    requested 1e-4 therefore cannot hold for every quantity: metafor's *own* default
    output is not that close to its root. ``loose`` uses rtol 5e-3 (twice the worst
    case observed over the nine files) and ``loose_tau2`` adds the uniroot tolerance as
    absolute part for tau^2 and its Q-profile bounds. Interval bounds that lie near zero
    (dat.hackshaw1998 PM: PI lower bound -0.0302 vs -0.0304, moved by the 2.2e-5 shift
    in tau^2) are relative-ill-conditioned; ``loose_bound`` adds an absolute 5e-4, about
    1e-3 of the interval widths in these data. Derived bounds (tau, I^2, H^2)
    are checked as transforms of the tau^2 bound instead, because sqrt() turns an
    absolute 1e-4 error at tau^2 ~ 3e-5 into a 40% error.

``nlminb``
    Our exact REML root for a network meta-analysis (``metareview.network``) against
    ``rma.mv``'s default optimum (``metafor_nma``: ``fit_random``). ``nlminb`` stops
    where the likelihood is flat to its relative tolerance, not at the root of the score:
    tau^2 2.5e-9 relative from the root for dat.senn2013 and 1.03e-6 for
    dat.hasselblad1998, which carries to 4.1e-6 in a p-value and 1.1e-6 in a CI bound
    there. Relative 1e-5 (about twice the worst seen), absolute 1e-12. The statistics
    given metafor's tau^2 are compared under ``closed``, and the root itself under
    ``tight`` against ``fit_random_exact``, so this entry only confirms that the two
    optima are the same one.

Numbers metafor only *printed* (quoted in a test from R's console output, e.g. a
``sprintf("%.12g")`` or the 4 decimals of ``print(res)``) are compared with
:func:`assert_printed`: the entry of the comparison plus half a unit in the last digit
shown, since the printed number is the exact one rounded.

Integers and labels (k, df, k0, side, filled, ties) are compared exactly, not here.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

FIXTURE_DIR = Path(__file__).parent / "metafor"
FIXTURE_FILES = sorted(p.name for p in FIXTURE_DIR.glob("*.json"))

#: name -> (rtol, atol); see the module docstring for the justification of each entry.
TOL: dict[str, tuple[float, float]] = {
    "elementary": (1e-12, 0.0),
    "closed": (1e-10, 0.0),
    "tight": (1e-8, 0.0),
    "tight_tau2": (1e-8, 1e-12),
    "tight_I2": (1e-8, 1e-8),
    "closed_deletion": (1e-10, 1e-13),
    "tight_deletion": (1e-8, 1e-13),
    "closed_cook": (1e-10, 1e-16),
    "tight_cook": (1e-8, 1e-18),
    "emulated": (1e-9, 1e-12),
    "loose_reml": (1e-3, 1e-12),
    "loose": (5e-3, 1e-12),
    "loose_tau2": (5e-3, 2.0**-13),
    "loose_bound": (5e-3, 5e-4),
    "nlminb": (1e-5, 1e-12),
}

#: metafor's fit with threshold = 1e-12, uniroot tol = 1e-12, maxiter = 10000
#: (``models_tight.control``), reproduced with the emulation mode.
TIGHT_EMULATION: dict[str, Any] = {"threshold": 1e-12, "uniroot_tol": 1e-12, "maxiter": 10000}

CLOSED_FORM_METHODS = ("FE", "EE", "DL", "HE", "HS", "SJ")

#: Quantities whose ``tight`` comparison takes ``tight_tau2``: tau^2, its deleted-study
#: values and its Q-profile bounds (under any of the fixtures' names for them).
_TAU2_KEYS = ("tau2", "tau2_del", "tau2_lb", "tau2_ub", "tau2_ci_lb", "tau2_ci_ub")


#: Deletion diagnostics built from a difference b - b(-i) (or y_i - b(-i)), and Cook's
#: distance, its square: under ``closed`` and ``tight`` they take the ``*_deletion`` and
#: ``*_cook`` entries (see the module docstring).
_DELETION_KEYS = ("dffits", "dfbetas", "rstudent")
_COOK_KEYS = ("cook_d",)


def for_quantity(tol: str, key: str) -> str:
    """The entry of ``TOL`` for quantity ``key`` in a comparison at ``tol``.

    ``tight`` becomes ``tight_tau2`` for tau^2 and its bounds and ``tight_I2`` for I^2,
    the quantities that metafor's absolute stopping rules leave ~1e-12 from an exact 0;
    ``closed`` and ``tight`` become ``*_deletion`` for DFFITS, DFBETAS and rstudent and
    ``*_cook`` for Cook's distance, which lose digits when a deletion barely moves the
    estimate (see the module docstring); every other tolerance and quantity is
    unchanged. ``key`` may carry a prefix (``"confint.tau2_lb"``, ``"leave1out.I2"``,
    ``"dfbetas.intrcpt"``).
    """
    parts = key.split(".")
    name = parts[-1]
    if tol in ("closed", "tight"):
        if any(p in _DELETION_KEYS for p in parts):
            return f"{tol}_deletion"
        if name in _COOK_KEYS:
            return f"{tol}_cook"
    if tol == "tight":
        if name in _TAU2_KEYS:
            return "tight_tau2"
        if name == "I2":
            return "tight_I2"
    return tol


def tight_i2_atol(vt: float) -> float:
    """The absolute part, in percentage points, of a ``tight`` I^2 comparison at vt.

    tau^2's absolute 1e-12 (``tight_tau2``) carried through dI^2/dtau^2 <= 100/vt, and at
    least ``tight_I2``'s 1e-8 (which it equals at vt = 0.01).
    """
    return max(TOL["tight_I2"][1], 100.0 * TOL["tight_tau2"][1] / vt)


@cache
def load_fixture(name: str) -> dict[str, Any]:
    with open(FIXTURE_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


def _as_float_array(x: Any) -> np.ndarray:
    if x is None:
        return np.array(np.nan)
    return np.array(
        [np.nan if e is None else e for e in x] if isinstance(x, list) else x, dtype=float
    )


def assert_close(ours: Any, ref: Any, tol: str, what: str) -> None:
    """Assert ``ours`` matches metafor's ``ref`` within ``TOL[tol]``.

    ``None`` (metafor's NA/NULL) must correspond to None/NaN here and vice versa.
    """
    rtol, atol = TOL[tol]
    a = _as_float_array(ours)
    b = _as_float_array(ref)
    assert a.shape == b.shape, f"{what}: shape {a.shape} != metafor's {b.shape}"
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    assert np.array_equal(nan_a, nan_b), (
        f"{what}: undefined entries differ: ours {ours!r}, metafor {ref!r}"
    )
    ok = nan_b | (np.abs(a - b) <= atol + rtol * np.abs(b))
    if not np.all(ok):
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(nan_b, 0.0, np.abs(a - b) / np.abs(b))
        raise AssertionError(
            f"{what}: ours {ours!r} vs metafor {ref!r} (max rel. diff {np.nanmax(rel):.3g}, "
            f"tolerance {tol}: rtol={rtol:g}, atol={atol:g})"
        )


def half_unit(shown: str) -> float:
    """Half a unit in the last digit of a number as printed (``"0.4894"`` -> 5e-5,
    ``"1.25e-07"`` -> 5e-10)."""
    mantissa, _, exponent = shown.strip().lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 0.5 * 10.0 ** (int(exponent or 0) - decimals)


def assert_printed(ours: float, shown: str, tol: str, what: str) -> None:
    """Assert ``ours`` matches a number metafor printed (``shown``, as R printed it).

    The printed value is the true one rounded to the digits shown, so the comparison
    allows half a unit in its last digit on top of ``TOL[tol]`` (the class of the
    comparison had metafor printed every digit).
    """
    rtol, atol = TOL[tol]
    ref = float(shown)
    slack = atol + rtol * abs(ref) + half_unit(shown)
    if not abs(float(ours) - ref) <= slack:
        raise AssertionError(
            f"{what}: ours {ours!r} vs metafor's printed {shown} (difference "
            f"{abs(float(ours) - ref):.3g}, allowed {slack:.3g}: tolerance {tol} plus half a "
            "unit in the last printed digit)"
        )


def is_missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))
