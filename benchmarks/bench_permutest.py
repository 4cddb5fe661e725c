"""Timing of ``permutest``: exact permutation tests, whose cost is one refit per permutation.

Prints the median wall time (of ``--repeat`` runs) of exact tests on simulated data:

* without moderators, k = 8, 10 and 12 (256 to 4,096 sign flips), by REML, DL and PM:
  the flips are refitted at once by the batched solver of ``leave1out``
  (:func:`metareview.pool._batch_tau2`);
* with one moderator, k = 6 and 7 (720 and 5,040 orders of the rows of X), by REML and
  DL: each order is one ``rma`` fit, whose REML solver iterates with a QR decomposition
  per step.

Measured on a 2-core AMD EPYC VM shared with other work (load average about 2,
OPENBLAS_NUM_THREADS=1, medians of 3): 2^12 REML sign flips 8 ms (DL 2 ms, PM 7 ms);
720 orders of 6 studies by REML 0.39 s (0.5 ms a fit) and by DL 0.23 s; 5,040 orders
of 7 by REML 8.4 s (1.7 ms a fit: these data need more solver steps) and by DL 3.1 s.
The target, 2^12 REML refits well under a few seconds, is met by two orders of
magnitude; a meta-regression's exact test of 7 studies is the expensive case, a random
test (``iter`` orders) costs iter fits, and ``permci`` costs tens of whole tests.

Usage::

    .venv/bin/python benchmarks/bench_permutest.py [--repeat N]

This is a script, not a test: it never fails on time.
"""

from __future__ import annotations

import os

# one BLAS thread, set before numpy loads OpenBLAS, as bench_engine.py does
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from metareview.permutation import permutest
from metareview.pool import rma


def _median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()}")
    rng = np.random.default_rng(20261202)
    print(f"{'model':<28}{'k':>4}{'perms':>8}{'median s':>12}{'ms/refit':>10}")
    for k in (8, 10, 12):
        y = rng.normal(0.2, 0.3, size=k)
        v = rng.uniform(0.02, 0.3, size=k)
        for method in ("REML", "DL", "PM"):
            res = rma(y, v, method=method)
            t = _median_time(lambda res=res: permutest(res, exact=True), args.repeat)
            n = 2**k
            print(f"{'no moderators, ' + method:<28}{k:>4}{n:>8}{t:>12.4f}{1e3 * t / n:>10.4f}")
    for k in (6, 7):
        y = rng.normal(0.2, 0.3, size=k)
        v = rng.uniform(0.02, 0.3, size=k)
        x = rng.normal(size=k)
        for method in ("REML", "DL"):
            res = rma(y, v, mods=x, method=method)
            pt = permutest(res, exact=True)
            t = _median_time(lambda res=res: permutest(res, exact=True), args.repeat)
            label = "one moderator, " + method
            print(f"{label:<28}{k:>4}{pt.iter:>8}{t:>12.4f}{1e3 * t / pt.iter:>10.4f}")


if __name__ == "__main__":
    main()
