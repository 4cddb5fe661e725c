"""Timing of the meta-analysis engine against plain vectorised numpy.

For each task and number of studies k the script prints the median wall time of the
library call and of a plain numpy implementation of the same estimator written here
(no input validation, no result object), their ratio, and the target:

* REML fit at k = 100,000 in < 5 ms;
* leave-one-out with REML at k = 1,000 in < 100 ms;
* every task within 2x of plain numpy.

Tasks: REML fit, DL fit, leave-one-out (REML and DL), Q-profile CI for tau^2 (on the
REML fit) and trim-and-fill (L0, REML). Each plain implementation computes every output
the library call returns (p-values, CIs, Q and its p-value, I^2, H^2; for leave-one-out
all k fits' values; for the Q-profile the tau, I^2 and H^2 bounds) and is checked against
the library's result before it is timed, so both compute the same thing. Leave-one-out
stops at k = 3,000: its k fits of k - 1 studies are O(k^2) work and memory.

The script sets OPENBLAS_NUM_THREADS=1 (and OMP_NUM_THREADS=1) before numpy is imported
and prints the CPU, the load average and the BLAS thread count first: the machines this
runs on have 2 cores shared with other work, and medians move by 30-50% with the load.

Every target is met on a quiet machine; four cells keep a thin margin and can cross
their target when other work loads the 2 cores (2-core AMD EPYC VM; figures from runs
at load averages 1-5):

* DL fit, k <= 10,000 (1.5-1.8x, up to 2.2x under load; plain 22-40 us): rma()
  validates and copies yi and vi, builds a frozen result with 31 fields and computes
  three p-values/quantiles. That fixed part measures 11-12 us per call (``_check_data``
  about 5 us, the result object and p-values about 5 us, method/control/labels about
  1.5 us) and cannot go without dropping validation or the immutable copy of the data;
  the DL arithmetic itself (five sums in one matrix-vector product and two passes, then
  two sums for the random-effects weights) costs about what the plain version does.
* leave-one-out REML, k = 10 (1.8-2.0x; about 1.0 ms vs 0.55 ms): the k fits are
  solved as one batch, and each of its 5-6 iterations issues about 40 numpy calls on
  10 x 10 arrays (the safeguards that keep metafor's root: bracket, fallback steps,
  per-fit convergence), each costing 1-2 us of call overhead rather than arithmetic;
  plain numpy runs an unsafeguarded iteration with about 20 calls. From k = 100 on the
  library is faster than plain numpy.
* leave-one-out DL, k = 10 (1.5-2.0x; 70-170 us vs 45-85 us): two matrix products and
  about 45 small array operations for ten fits' estimates, SEs, p-values, CIs, Q, I^2
  and H^2, plus the frozen result; at this size each operation is call overhead.
* REML fit, k = 100,000 (3.6-4.5 ms, medians up to 5.3 ms under load; target 5 ms):
  five passes of the solver at 0.4-0.5 ms each, plus copying yi and vi for the
  immutable result, which on this VM costs 0.8-1.4 ms in page faults (fresh 800 kB
  arrays; the plain version copies nothing).

Usage::

    .venv/bin/python benchmarks/bench_engine.py [--quick] [--budget SECONDS]

This is a script, not a test: it never fails on time. The whole run takes about one
minute on a 2-core machine (about 10 s with ``--quick``).
"""

from __future__ import annotations

import os

# One BLAS thread, set before numpy loads OpenBLAS: timings are then stable and the
# library and the plain versions are compared on equal terms (the machine has 2 cores
# and other work running; a multithreaded BLAS only adds noise at these sizes).
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import argparse
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.special as sp

from metareview import bias, diagnostics
from metareview.pool import rma

# ---------------------------------------------------------------------------- plain numpy
# Textbook vectorised implementations: the same estimators and convergence rule as the
# library (exact root: stop when a step changes tau^2 by < 1e-14 relative), none of its
# validation or bookkeeping.

TOL = 1e-14
MAXITER = 1000
Z975 = 1.959963984540054


def _summary(yi: np.ndarray, vi: np.ndarray, tau2: float) -> dict[str, float]:
    """Pooled estimate, Wald test, CI and heterogeneity statistics given tau^2."""
    w = 1.0 / (vi + tau2)
    sw = w.sum()
    mu = (w @ yi) / sw
    se = math.sqrt(1.0 / sw)
    z = mu / se
    w0 = 1.0 / vi
    sw0 = w0.sum()
    mu0 = (w0 @ yi) / sw0
    k = yi.size
    QE = float(w0 @ (yi - mu0) ** 2)
    vt = (k - 1) / (sw0 - (w0 @ w0) / sw0)
    return {
        "estimate": mu,
        "se": se,
        "zval": z,
        "pval": float(2.0 * sp.ndtr(-abs(z))),
        "ci_lb": mu - Z975 * se,
        "ci_ub": mu + Z975 * se,
        "tau2": tau2,
        "QE": QE,
        "QEp": float(sp.chdtrc(k - 1, QE)),
        "I2": 100.0 * tau2 / (vt + tau2),
    }


def plain_dl(yi: np.ndarray, vi: np.ndarray) -> dict[str, float]:
    """DerSimonian & Laird (1986): tau2 = max(0, (Q - (k-1)) / (sum w - sum w^2/sum w))."""
    w = 1.0 / vi
    sw = w.sum()
    mu = (w @ yi) / sw
    Q = w @ (yi - mu) ** 2
    tau2 = max(0.0, (Q - (yi.size - 1)) / (sw - (w @ w) / sw))
    return _summary(yi, vi, tau2)


def _reml_tau2(yi: np.ndarray, vi: np.ndarray) -> float:
    """REML from max(0, HE) (Viechtbauer 2005) by Newton's method where the
    log-likelihood is concave and Fisher scoring elsewhere (plain Fisher scoring, as in
    metafor, can take dozens of oscillating steps for small k), kept >= 0 (a step below 0
    stops at 0, where the maximum then lies), with metafor's check of the
    log-likelihood at tau2 = 0."""
    he = float(np.var(yi, ddof=1) - vi.mean())
    t = max(0.0, he)
    for _ in range(MAXITER):
        w = 1.0 / (vi + t)
        sw = w.sum()
        w2 = w * w
        sw2 = w2.sum()
        r = yi - (w @ yi) / sw
        trP = sw - sw2 / sw
        trPP = sw2 - 2.0 * (w2 @ w) / sw + (sw2 / sw) ** 2
        wr = w * r  # P y
        score2 = wr @ wr - trP  # twice the REML score
        # Newton where the log-likelihood is concave (observed information
        # y'PPPy - tr(PP)/2 > 0), Fisher scoring (expected information tr(PP)/2) elsewhere
        info2 = 2.0 * ((w * wr) @ wr - (w @ wr) ** 2 / sw) - trPP
        new = max(0.0, t + score2 / (info2 if info2 > 0 else trPP))  # maximum may sit at 0
        if abs(new - t) <= TOL * new or new == t:
            t = new
            break
        t = new
    if t > 0.0:  # ll0check: the REML log-likelihood at 0 against the solution

        def ll(tt: float) -> float:
            w = 1.0 / (vi + tt)
            sw = w.sum()
            r = yi - (w @ yi) / sw
            return -0.5 * (np.log(vi + tt).sum() + math.log(sw) + w @ (r * r))

        if ll(0.0) > ll(t):
            t = 0.0
    return t


def plain_reml(yi: np.ndarray, vi: np.ndarray) -> dict[str, float]:
    return _summary(yi, vi, _reml_tau2(yi, vi))


def plain_leave1out(yi: np.ndarray, vi: np.ndarray, method: str) -> dict[str, np.ndarray]:
    """k fits, each without one study, as one (k, k) masked computation; returns what
    :class:`Leave1outResult` holds: estimate, se, zval, pval, CI, Q, Qp, tau2, I2, H2."""
    k = yi.size
    keep = ~np.eye(k, dtype=bool)
    n = k - 1
    W0 = keep / vi  # zero weight for the left-out study
    sw0 = W0.sum(1)
    mu0 = (W0 @ yi) / sw0
    Q = (W0 * (yi[None, :] - mu0[:, None]) ** 2).sum(1)
    trP = sw0 - (W0 * W0).sum(1) / sw0
    if method == "DL":
        t = np.maximum(0.0, (Q - (n - 1)) / trP)
    else:
        ym = (keep @ yi) / n
        he = ((keep * (yi[None, :] - ym[:, None]) ** 2).sum(1) / (n - 1)) - (keep @ vi) / n
        t = np.maximum(0.0, he)
        active = np.ones(k, dtype=bool)
        for _ in range(MAXITER):
            ta = t[active]
            Wa = keep[active] / (vi[None, :] + ta[:, None])
            sw = Wa.sum(1)
            W2 = Wa * Wa
            sw2 = W2.sum(1)
            mu = (Wa @ yi) / sw
            WR = Wa * (yi[None, :] - mu[:, None])  # P y, one row per fit
            trPa = sw - sw2 / sw
            trPP = sw2 - 2.0 * (W2 * Wa).sum(1) / sw + (sw2 / sw) ** 2
            score2 = (WR * WR).sum(1) - trPa
            info2 = 2.0 * ((Wa * WR * WR).sum(1) - (Wa * WR).sum(1) ** 2 / sw) - trPP
            new = np.maximum(0.0, ta + score2 / np.where(info2 > 0, info2, trPP))
            done = (np.abs(new - ta) <= TOL * new) | (new == ta)
            t[active] = new
            idx = np.flatnonzero(active)
            active[idx[done]] = False
            if not active.any():
                break

        def ll(tt: np.ndarray) -> np.ndarray:  # REML log-likelihood per fit, as above
            W = keep / (vi[None, :] + tt[:, None])
            sw = W.sum(1)
            mu = (W @ yi) / sw
            logs = (keep * np.log(vi[None, :] + tt[:, None])).sum(1)
            return -0.5 * (logs + np.log(sw) + (W * (yi[None, :] - mu[:, None]) ** 2).sum(1))

        t = np.where((t > 0) & (ll(np.zeros(k)) > ll(t)), 0.0, t)
    W = keep / (vi[None, :] + t[:, None])
    sw = W.sum(1)
    mu = (W @ yi) / sw
    se = np.sqrt(1.0 / sw)
    z = mu / se
    vt = (n - 1) / trP
    return {
        "estimate": mu,
        "se": se,
        "zval": z,
        "pval": 2.0 * sp.ndtr(-np.abs(z)),
        "ci_lb": mu - Z975 * se,
        "ci_ub": mu + Z975 * se,
        "Q": Q,
        "Qp": sp.chdtrc(n - 1, Q),
        "tau2": t,
        "I2": 100.0 * t / (vt + t),
        "H2": t / vt + 1.0,
    }


def plain_qprofile(yi: np.ndarray, vi: np.ndarray, tau2: float) -> dict[str, float]:
    """Q-profile CI (Viechtbauer 2007): Q(t) = sum w (y - mu_w)^2, w = 1/(v + t), equals
    the chi-square(k-1) 0.975 / 0.025 quantiles. Q is decreasing and convex in t, so
    Newton's method from the left converges monotonically; both bounds at once. Returns
    the bounds for tau^2, tau, I^2 and H^2, as :class:`ConfintResult`."""
    k = yi.size
    targets = np.array([sp.chdtri(k - 1, 0.025), sp.chdtri(k - 1, 0.975)])  # lower, upper
    tmax = max(100.0, 10.0 * tau2)

    def q_and_slope(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        W = 1.0 / (vi[None, :] + t[:, None])
        mu = (W @ yi) / W.sum(1)
        R2 = (yi[None, :] - mu[:, None]) ** 2
        return (W * R2).sum(1), -(W * W * R2).sum(1)

    t = np.zeros(2)
    q, dq = q_and_slope(t)
    below = q < targets  # Q(0) already below the target: the bound is 0
    qmax, _ = q_and_slope(np.array([tmax, tmax]))
    above = qmax > targets  # still above at the end of the search interval
    active = ~(below | above)
    for _ in range(MAXITER):
        if not active.any():
            break
        new = np.where(active, t - (q - targets) / dq, t)
        conv = np.abs(new - t) <= TOL * np.maximum(new, 1e-300)
        t = new
        active &= ~conv
        q, dq = q_and_slope(t)
    t = np.where(below, 0.0, np.where(above, tmax, t))
    w0 = 1.0 / vi
    sw0 = w0.sum()
    vt = (k - 1) / (sw0 - (w0 @ w0) / sw0)
    lb, ub = float(t[0]), float(t[1])
    return {
        "tau2_ci_lb": lb,
        "tau2_ci_ub": ub,
        "tau_ci_lb": math.sqrt(lb),
        "tau_ci_ub": math.sqrt(ub),
        "I2_ci_lb": 100.0 * lb / (vt + lb),
        "I2_ci_ub": 100.0 * ub / (vt + ub),
        "H2_ci_lb": lb / vt + 1.0,
        "H2_ci_ub": ub / vt + 1.0,
    }


def _reml_slope_on_sei(yi: np.ndarray, vi: np.ndarray) -> float:
    """Slope of the REML meta-regression of yi on sqrt(vi) (the iteration of
    :func:`_reml_tau2` with the traces of the p = 2 projection)."""
    k = yi.size
    X = np.column_stack([np.ones(k), np.sqrt(vi)])
    XtX_inv = np.linalg.inv(X.T @ X)
    r_ols = yi - X @ (XtX_inv @ (X.T @ yi))
    t = max(
        0.0, (r_ols @ r_ols - (vi.sum() - np.trace(XtX_inv @ (X.T @ (X * vi[:, None]))))) / (k - 2)
    )
    for _ in range(MAXITER):
        w = 1.0 / (vi + t)
        A_inv = np.linalg.inv(X.T @ (X * w[:, None]))
        b = A_inv @ (X.T @ (w * yi))
        Pr = w * (yi - X @ b)
        B = A_inv @ (X.T @ (X * (w * w)[:, None]))
        trP = w.sum() - np.trace(B)
        trPP = (w @ w) - 2.0 * np.trace(A_inv @ (X.T @ (X * (w**3)[:, None]))) + np.trace(B @ B)
        PPr = w * Pr - w * (X @ (A_inv @ (X.T @ (w * Pr))))
        info2 = 2.0 * (Pr @ PPr) - trPP  # Newton where concave, as above
        new = max(0.0, t + (Pr @ Pr - trP) / (info2 if info2 > 0 else trPP))
        done = abs(new - t) <= TOL * new or new == t
        t = new
        if done:
            break
    w = 1.0 / (vi + t)
    return float(np.linalg.solve(X.T @ (X * w[:, None]), X.T @ (w * yi))[1])


def plain_trimfill(yi: np.ndarray, vi: np.ndarray) -> tuple[int, dict[str, float]]:
    """Duval & Tweedie (2000) L0 with REML, metafor's iteration; returns k0 and the
    summary of the REML fit to the filled data."""
    k = yi.size
    flip = -1.0 if _reml_slope_on_sei(yi, vi) < 0 else 1.0
    y = flip * yi
    order = np.argsort(y, kind="stable")
    ys, vs = y[order], vi[order]
    k0, prev = 0, -1
    beta = 0.0
    while k0 != prev:
        prev = k0
        t = _reml_tau2(ys[: k - k0], vs[: k - k0])
        w = 1.0 / (vs[: k - k0] + t)
        beta = (w @ ys[: k - k0]) / w.sum()
        yc = ys - beta
        ranks = np.empty(k)
        ranks[np.argsort(np.abs(yc), kind="stable")] = np.arange(1, k + 1)
        sr = ranks[yc > 0].sum()
        k0 = max(0, round((4.0 * sr - k * (k + 1)) / (2.0 * k - 1.0)))
    if k0 == 0:
        return 0, plain_reml(yi, vi)
    ya = np.concatenate([yi, flip * (2.0 * beta - ys[k - k0 :])])
    va = np.concatenate([vi, vs[k - k0 :]])
    return k0, plain_reml(ya, va)


# ---------------------------------------------------------------------------- harness


def data(k: int, seed: int = 20240611) -> tuple[np.ndarray, np.ndarray]:
    """k studies with heterogeneity (tau2 = 0.04) and a mild small-study effect."""
    rng = np.random.default_rng(seed + k)
    vi = rng.uniform(0.005, 0.25, k)
    yi = rng.normal(0.3 + 0.5 * np.sqrt(vi), np.sqrt(vi + 0.04))
    return yi, vi


def median_time(fn: Callable[[], Any], budget: float) -> float:
    """Median wall time of ``fn`` in seconds over as many runs as fit in ``budget``
    (at least 5, at most 200), after one warm-up call."""
    t0 = time.perf_counter()
    fn()
    first = time.perf_counter() - t0
    n = int(min(200, max(5, budget / max(first, 1e-7))))
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _rel(a: Any, b: Any) -> float:
    """Largest relative difference (absolute where the reference is 0)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.where(b == 0.0, 1.0, np.abs(b))))


_FIT_KEYS = ("estimate", "se", "zval", "pval", "ci_lb", "ci_ub", "tau2", "QE", "QEp", "I2")


def check(task: str, k: int, yi: np.ndarray, vi: np.ndarray) -> float:
    """Largest relative difference between the library and the plain implementation,
    over every output the plain version computes."""
    if task in ("REML fit", "DL fit"):
        method = task.split()[0]
        lib = rma(yi, vi, method=method)
        ref = plain_reml(yi, vi) if method == "REML" else plain_dl(yi, vi)
        return max(_rel(getattr(lib, key), ref[key]) for key in _FIT_KEYS)
    if task.startswith("leave1out"):
        method = task.split()[-1]
        l1o = diagnostics.leave1out(rma(yi, vi, method=method))
        ref = plain_leave1out(yi, vi, method)
        return max(_rel(getattr(l1o, key), val) for key, val in ref.items())
    if task == "Q-profile CI":
        res = rma(yi, vi, method="REML")
        ci = res.confint()
        ref = plain_qprofile(yi, vi, res.tau2)
        return max(_rel(getattr(ci, key), val) for key, val in ref.items())
    if task == "trimfill":
        tf = bias.trimfill(rma(yi, vi, method="REML"))
        k0, ref = plain_trimfill(yi, vi)
        if k0 != tf.k0:
            return math.inf
        return max(_rel(getattr(tf, key), ref[key]) for key in _FIT_KEYS)
    raise ValueError(task)


def runners(
    task: str, yi: np.ndarray, vi: np.ndarray
) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """(library call, plain numpy call) for one task and data set."""
    if task == "REML fit":
        return (lambda: rma(yi, vi, method="REML")), (lambda: plain_reml(yi, vi))
    if task == "DL fit":
        return (lambda: rma(yi, vi, method="DL")), (lambda: plain_dl(yi, vi))
    if task.startswith("leave1out"):
        method = task.split()[-1]
        res = rma(yi, vi, method=method)
        return (lambda: diagnostics.leave1out(res)), (lambda: plain_leave1out(yi, vi, method))
    if task == "Q-profile CI":
        res = rma(yi, vi, method="REML")
        return (lambda: res.confint()), (lambda: plain_qprofile(yi, vi, res.tau2))
    if task == "trimfill":
        res = rma(yi, vi, method="REML")
        return (lambda: bias.trimfill(res)), (lambda: plain_trimfill(yi, vi))
    raise ValueError(task)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


TARGETS: dict[tuple[str, int], float] = {("REML fit", 100_000): 5e-3, ("leave1out REML", 1000): 0.1}
RATIO_TARGET = 2.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="k up to 1,000 only")
    parser.add_argument(
        "--budget",
        type=float,
        default=0.25,
        help="seconds of repeated runs per cell (default 0.25)",
    )
    args = parser.parse_args(argv)

    ks_fit = [10, 100, 1000, 10_000, 100_000]
    ks_l1o = [10, 100, 1000, 3000]
    if args.quick:
        ks_fit = [k for k in ks_fit if k <= 1000]
        ks_l1o = [k for k in ks_l1o if k <= 1000]
    plan = [
        ("REML fit", ks_fit),
        ("DL fit", ks_fit),
        ("leave1out REML", ks_l1o),
        ("leave1out DL", ks_l1o),
        ("Q-profile CI", ks_fit),
        ("trimfill", ks_fit),
    ]
    print(
        f"metareview engine benchmark - Python {platform.python_version()}, numpy {np.__version__},"
        f" {platform.machine()}, {len(os.sched_getaffinity(0))} CPU(s)"
    )
    print(
        f"machine: {_cpu_model()}, load average {os.getloadavg()[0]:.1f}; BLAS threads: "
        f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']} (set by this script)"
    )
    print("median wall time per call; ratio = library / plain numpy; check = max relative")
    print("difference between the two results (both solve to the exact root)\n")
    header = f"{'task':<16}{'k':>9}{'library':>12}{'numpy':>12}{'ratio':>8}{'check':>10}  target"
    print(header)
    print("-" * (len(header) + 24))
    missed = []
    start = time.perf_counter()
    for task, ks in plan:
        for k in ks:
            yi, vi = data(k)
            diff = check(task, k, yi, vi)
            lib_fn, np_fn = runners(task, yi, vi)
            t_lib = median_time(lib_fn, args.budget)
            t_np = median_time(np_fn, args.budget)
            ratio = t_lib / t_np
            notes = []
            abs_target = TARGETS.get((task, k))
            if abs_target is not None:
                ok = t_lib < abs_target
                notes.append(f"< {abs_target * 1e3:g} ms {'ok' if ok else 'MISSED'}")
                if not ok:
                    missed.append(f"{task} k={k}: {t_lib * 1e3:.2f} ms >= {abs_target * 1e3:g} ms")
            ok_ratio = ratio <= RATIO_TARGET
            notes.append(f"<= {RATIO_TARGET:g}x {'ok' if ok_ratio else 'MISSED'}")
            if not ok_ratio:
                missed.append(f"{task} k={k}: {ratio:.2f}x plain numpy")
            print(
                f"{task:<16}{k:>9,}{t_lib * 1e3:>10.3f}ms{t_np * 1e3:>10.3f}ms{ratio:>7.2f}x"
                f"{diff:>10.1e}  {'; '.join(notes)}",
                flush=True,
            )
        print()
    print(f"total {time.perf_counter() - start:.0f} s")
    if missed:
        print("\ntargets missed:")
        for line in missed:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
