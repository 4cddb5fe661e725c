"""rma_mh's and rma_peto's arguments and results beyond the comparisons with metafor
(tests/reference/test_mh_metafor.py): the estimates of a single table, what they refuse,
and the results' immutability and JSON form."""

from __future__ import annotations

import dataclasses
import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import metareview
from metareview import escalc
from metareview.mh import MHResult, PetoResult, rma_mh, rma_peto

# dat.nielweise2007's first five trials (metadat): infections with and without a coated catheter
AI = [0, 1, 2, 0, 5]
N1I = [116, 44, 208, 130, 151]
CI = [3, 3, 9, 7, 6]
N2I = [117, 35, 195, 136, 157]


def test_the_package_exports_both() -> None:
    assert metareview.rma_mh is rma_mh and metareview.rma_peto is rma_peto
    assert {"rma_mh", "rma_peto", "MHResult", "PetoResult"} <= set(metareview.__all__)


@pytest.mark.parametrize("measure", ["OR", "RR", "RD"])
def test_one_table_without_zero_cells_gives_its_own_estimate(measure: str) -> None:
    # with one table the MH estimate is the table's own, and its variance the usual one
    res = rma_mh(ai=[12], n1i=[80], ci=[20], n2i=[75], measure=measure)
    es = escalc(measure, ai=[12], n1i=[80], ci=[20], n2i=[75])
    assert res.beta == pytest.approx(float(es.yi[0]), rel=1e-13)
    if measure != "RD":  # the Sato variance is not the table's binomial one
        assert res.se**2 == pytest.approx(float(es.vi[0]), rel=1e-12)
    assert (res.k, res.k_yi, res.QE, res.QEp, res.I2, res.H2) == (1, 1, 0.0, 1.0, 0.0, 1.0)


def test_the_interval_is_beta_plus_minus_the_normal_quantile() -> None:
    from scipy import stats

    for fit in (rma_mh, rma_peto):
        res = fit(ai=AI, n1i=N1I, ci=CI, n2i=N2I, level=90)
        q = stats.norm.isf(0.05)
        assert res.ci_ub - res.beta == pytest.approx(q * res.se, rel=1e-12)
        assert res.beta - res.ci_lb == pytest.approx(q * res.se, rel=1e-12)
        assert res.zval == pytest.approx(res.beta / res.se, rel=1e-14) and res.level == 90


def test_peto_estimate_is_observed_minus_expected_over_the_variance() -> None:
    res = rma_peto(ai=AI, n1i=N1I, ci=CI, n2i=N2I)
    a, n1, c, n2 = (np.array(x, dtype=float) for x in (AI, N1I, CI, N2I))
    N, m1 = n1 + n2, a + c
    E = m1 * n1 / N
    V = m1 * (N - m1) * n1 * n2 / (N**2 * (N - 1))
    assert res.beta == pytest.approx(np.sum(a - E) / np.sum(V), rel=1e-12)
    assert res.se == pytest.approx(np.sum(V) ** -0.5, rel=1e-12)
    assert res.measure == "PETO" and res.tau2 == 0 and res.method == "FE" and res.b == res.beta


def test_an_undefined_estimate_is_nan_and_prints_as_na() -> None:
    res = rma_mh(ai=[0, 0], n1i=[50, 40], ci=[2, 5], n2i=[50, 40], measure="RR")
    assert math.isnan(res.beta) and math.isnan(res.ci_lb) and res.k_pos is None
    assert "NA" in res.summary() and res.to_dict()["beta"] is None
    # the risk difference is defined where the ratios are not
    assert rma_mh(ai=[0, 0], n1i=[50, 40], ci=[2, 5], n2i=[50, 40], measure="RD").beta < 0


def test_double_zero_tables_count_in_k_but_not_in_k_yi() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = rma_mh(ai=[3, 0, 5], n1i=[50, 40, 100], ci=[6, 0, 9], n2i=[50, 38, 100], slab=["a", "b", "c"])
    assert (res.k, res.k_yi, res.k_pos) == (3, 2, 2)
    assert res.not_na_yivi.tolist() == [True, False, True] and res.slab == ("a", "b", "c")
    assert [str(w.message) for w in caught] == ["Some yi/vi values are NA."]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        left_out = rma_mh(ai=[3, 0, 5], n1i=[50, 40, 100], ci=[6, 0, 9], n2i=[50, 38, 100], drop00=(True, True))
    assert [str(w.message) for w in caught] == ["Tables with NAs omitted from model fitting.",
                                                "Some yi/vi values are NA."]  # fmt: skip
    assert left_out.k == 2 and left_out.not_na.tolist() == [True, False, True]
    assert left_out.beta == pytest.approx(res.beta, rel=1e-14)  # nothing to add to the OR


def test_results_are_frozen_and_json_ready() -> None:
    for res in (rma_mh(ai=AI, n1i=N1I, ci=CI, n2i=N2I), rma_peto(ai=AI, n1i=N1I, ci=CI, n2i=N2I)):
        assert isinstance(res, (MHResult, PetoResult))
        with pytest.raises(dataclasses.FrozenInstanceError):
            res.beta = 0.0  # type: ignore[misc]
        with pytest.raises(ValueError):
            res.yi[0] = 0.0
        d = json.loads(json.dumps(res.to_dict()))
        assert d["k"] == 5 and d["add"] == [0.5, 0.0] and d["to"] == ["only0", "none"]
        assert str(res) == res.summary() and "Equal-Effects Model (k = 5)" in str(res)


def test_cmh_is_the_mh_statistic_under_its_printed_name() -> None:
    res = rma_mh(ai=AI, n1i=N1I, ci=CI, n2i=N2I, correct=False)
    assert (res.CMH, res.CMHp) == (res.MH, res.MHp)
    assert res.MH > rma_mh(ai=AI, n1i=N1I, ci=CI, n2i=N2I).MH  # the correction shrinks it


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"measure": "SMD"}, ValueError, "OR, RR, RD"),
        ({"measure": "IRR"}, ValueError, "OR, RR, RD"),
        ({"to": "some"}, ValueError, "Unknown 'to'"),
        ({"to": ("only0", "never")}, ValueError, "Unknown 'to'"),
        ({"add": (0.5, 0.5, 0.5)}, ValueError, "one value or two"),
        ({"add": "half"}, ValueError, "add must be numbers"),
        ({"drop00": "yes"}, TypeError, "drop00 must be True or False"),
        ({"slab": ["a", "b"]}, ValueError, "2 labels for 5 tables"),
        ({"level": 0}, ValueError, "level"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        rma_mh(ai=AI, n1i=N1I, ci=CI, n2i=N2I, **kwargs)


def test_bad_data_are_refused() -> None:
    with pytest.raises(ValueError, match="needs ai, bi, ci and di"):
        rma_mh(ai=AI, ci=CI, n2i=N2I)
    with pytest.raises(ValueError, match="differ in length"):
        rma_peto(ai=AI[:4], n1i=N1I, ci=CI, n2i=N2I)
    with pytest.raises(ValueError, match="not numeric"):
        rma_mh(ai=[str(x) for x in AI], n1i=N1I, ci=CI, n2i=N2I)
    with pytest.raises(ValueError, match="larger than the corresponding group sizes"):
        rma_mh(ai=[200, 1], n1i=[100, 50], ci=[3, 4], n2i=[100, 50])
    with pytest.raises(ValueError, match="different indexes"):
        rma_mh(ai=pd.Series(AI), n1i=pd.Series(N1I, index=range(1, 6)), ci=CI, n2i=N2I)
    with pytest.raises(ValueError, match="never occurred"):
        rma_peto(ai=[0, 0], n1i=[30, 40], ci=[0, 0], n2i=[30, 40], drop00=False)
