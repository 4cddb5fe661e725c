"""Which study each value of ``residuals`` belongs to: the lengths and labels its
docstring and docs/statistics.md give, for rma fits and Mantel-Haenszel and Peto fits
whose tables are not all pooled or without a yi."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from metareview.diagnostics import residuals, rstandard, rstudent
from metareview.mh import rma_mh, rma_peto
from metareview.pool import rma

# 9 made-up tables: S7 has a missing count (not pooled), S2 and S4 are double-zero
# (pooled, but escalc's drop00 leaves them without a yi)
AI = [4, 6, 0, 3, 0, 5, 2, np.nan, 7]
BI = [20, 18, 25, 30, 22, 15, 28, 20, 19]
CI = [8, 9, 0, 6, 0, 7, 5, 3, 9]
DI = [16, 15, 25, 27, 22, 13, 25, 17, 17]
SLAB = [f"S{i}" for i in range(9)]


@pytest.mark.parametrize("fit", [rma_mh, rma_peto])
def test_tables_fit_residuals_lengths_and_labels(fit: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # metafor's warnings on the missing and zero cells
        res = fit(ai=AI, bi=BI, ci=CI, di=DI, slab=SLAB)
        response = residuals(res, "response")
        by_type = {t: residuals(res, t) for t in ("pearson", "rstandard", "rstudent")}
        std, stu = rstandard(res), rstudent(res)
    assert len(res.slab) == 9 and (res.k, res.k_yi) == (8, 6)
    # "response": one per table pooled, labelled by res.slab where res.not_na
    assert response.shape == (res.k,)
    pooled = [s for s, kept in zip(res.slab, res.not_na, strict=True) if kept]
    assert pooled == [s for s in SLAB if s != "S7"]
    no_yi = [s for s, e in zip(pooled, response, strict=True) if np.isnan(e)]
    assert no_yi == ["S2", "S4"]
    # the others: one per table with a yi, labelled by rstandard's / rstudent's slab
    with_yi = [s for s, has in zip(res.slab, res.not_na_yivi, strict=True) if has]
    assert list(std.slab) == list(stu.slab) == with_yi == ["S0", "S1", "S3", "S5", "S6", "S8"]
    for t, values in by_type.items():
        assert values.shape == (res.k_yi,), t
    np.testing.assert_array_equal(by_type["pearson"], std.z)
    np.testing.assert_array_equal(by_type["rstandard"], std.z)
    np.testing.assert_array_equal(by_type["rstudent"], stu.z)
    # a study's "response" value, found by its label, is its rstandard resid
    for label, e in zip(std.slab, std.resid, strict=True):
        assert response[pooled.index(label)] == pytest.approx(e, abs=0, rel=1e-15)


def test_rma_residuals_one_per_study_fitted_in_slab_order() -> None:
    yi, vi = [0.1, 0.25, 0.3, 0.45, 0.5], [0.01, 0.02, 0.03, 0.01, 0.02]
    res = rma(yi, vi, subset=[True, True, False, True, True], slab=list("abcde"))
    assert list(res.slab) == ["a", "b", "d", "e"]
    for t in ("response", "pearson", "cholesky", "rstandard", "rstudent"):
        assert residuals(res, t).shape == (len(res.slab),), t
    expected = np.delete(np.asarray(yi), 2) - float(res.beta[0])
    np.testing.assert_allclose(residuals(res), expected, rtol=1e-12)
