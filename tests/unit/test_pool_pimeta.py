"""Randomised differential test against pimeta (an independent Python port of metafor).

pimeta solves PM to the root but stops REML/ML/EB Fisher scoring with metafor's default
threshold, so those are compared with our emulation of metafor's algorithm
(``control=METAFOR_DEFAULTS``); closed-form estimators and PM with the exact solver.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from metareview.pool import METAFOR_DEFAULTS, rma

pimeta_rma = pytest.importorskip("pimeta.rma_uni").rma

CASES = [
    ("FE", None, 1e-10),
    ("DL", None, 1e-10),
    ("HE", None, 1e-10),
    ("HS", None, 1e-10),
    ("SJ", None, 1e-10),
    ("PM", None, 1e-8),
    ("EB", METAFOR_DEFAULTS, 1e-8),
    ("ML", METAFOR_DEFAULTS, 1e-8),
    ("REML", METAFOR_DEFAULTS, 1e-8),
]


def datasets(n: int = 6) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(20240601)
    out = []
    for _ in range(n):
        k = int(rng.integers(3, 40))
        v = rng.uniform(0.005, 1.0, k)
        tau2 = float(rng.choice([0.0, 0.05, 0.5]))
        out.append((rng.normal(rng.normal(0, 1), np.sqrt(v + tau2)), v))
    return out


@pytest.mark.parametrize(("method", "control", "rtol"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("test", ["z", "knha"])
def test_matches_pimeta(method: str, control: dict | None, rtol: float, test: str) -> None:
    for y, v in datasets():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = pimeta_rma(y, v, method=method, test=test)
            ours = rma(y, v, method=method, test=test, control=control)
        pairs = {
            "estimate": float(np.ravel(theirs.b)[0]),
            "se": float(np.ravel(theirs.se)[0]),
            "pval": float(np.ravel(theirs.pval)[0]),
            "ci_lb": float(np.ravel(theirs.ci_lb)[0]),
            "ci_ub": float(np.ravel(theirs.ci_ub)[0]),
            "tau2": float(theirs.tau2),
            "QE": float(theirs.QE),
            "QEp": float(theirs.QEp),
            "I2": float(theirs.I2),
            "H2": float(theirs.H2),
        }
        for key, value in pairs.items():
            assert getattr(ours, key) == pytest.approx(value, rel=rtol, abs=1e-12), (
                method,
                test,
                key,
                y.size,
            )
