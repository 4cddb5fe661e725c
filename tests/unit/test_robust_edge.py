"""metareview.sandwich.robust where metafor 3.8-1's print misleads or its errors could be
clearer: a singular robust vb, tables wider than R's 80 columns, and a cluster Series of
the wrong length or index.

``tests/reference/metafor_robust_edge/*.json`` are written by
``tests/reference/make_robust_edge_fixtures.R``: dat.kalaian1996's first 20 estimates
with a dummy for each of two studies (clustered by study), and dat.ishak2007 in long
format (mods factor(time), clustered by study) printed at R's default width of 80.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import assert_close

from metareview.pool import rma
from metareview.sandwich import robust

REF = Path(__file__).resolve().parents[1] / "reference" / "metafor_robust_edge"


def _load(name: str) -> dict[str, Any]:
    return json.loads((REF / f"{name}.json").read_text(encoding="utf-8"))


def _lines(lines: list[str]) -> list[str]:
    """R's lines without the space ``cat`` leaves at their ends, and without the blank
    lines R's ``print`` starts and ends with."""
    out = [line.rstrip() for line in lines]
    while out and not out[-1]:
        out.pop()
    return out[1:] if out and not out[0] else out


# --- a singular robust vb -------------------------------------------------------------


@pytest.fixture(scope="module")
def kalaian() -> dict[str, Any]:
    return _load("kalaian_singular")


def _kalaian_fit(d: dict[str, Any]) -> Any:
    return rma(d["yi"], d["vi"], mods={k: np.asarray(v) for k, v in d["mods"].items()})


def test_singular_vb_gives_nan_and_warns(kalaian: dict[str, Any]) -> None:
    with pytest.warns(UserWarning, match=r"robust covariance of the tested coefficients "
                      r"\(d1, d2, hrs\) is singular: a coefficient is estimated from a "
                      r"single cluster.*omnibus test cannot be computed"):  # fmt: skip
        ours = robust(_kalaian_fit(kalaian), kalaian["study"])
    assert math.isnan(ours.QM) and math.isnan(ours.QMp)
    # metafor's number is the inverse of rounding error: ~1e16, on a vb with two
    # eigenvalues ~1e-19
    assert kalaian["QM"] > 1e12 and kalaian["QMp"] < 1e-4
    assert min(abs(v) for v in kalaian["eigen_vb"]) < 1e-15
    assert list(ours.QMdf) == kalaian["QMdf"] and ours.dfs == kalaian["dfs"]
    # everything else is metafor's
    assert_close(ours.beta, kalaian["beta"], "tight", "beta")
    assert_close(ours.se, kalaian["se"], "tight", "se")
    assert_close(np.asarray(ours.vb).ravel(), kalaian["vb"], "tight", "vb")


def test_singular_vb_summary_says_so(kalaian: dict[str, Any]) -> None:
    with pytest.warns(UserWarning):
        ours = robust(_kalaian_fit(kalaian), kalaian["study"]).summary().splitlines()
    theirs = _lines(kalaian["printed"])
    at = theirs.index("Test of Moderators (coefficients 2:4):\u00b9")
    assert theirs[at + 1].startswith("F(df1 = 3, df2 = 12) = 1")
    assert ours[at] == theirs[at]
    assert ours[at + 1] == (
        "F not computed: the robust var-cov matrix of these coefficients is singular"
    )
    # the rest as metafor prints it
    assert ours[:at] + ours[at + 2 :] == theirs[:at] + theirs[at + 2 :]


def test_nonsingular_vb_does_not_warn(kalaian: dict[str, Any]) -> None:
    # the same data without the dummies: every coefficient has several clusters
    res = rma(kalaian["yi"], kalaian["vi"], mods={"hrs": np.asarray(kalaian["mods"]["hrs"])})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = robust(res, kalaian["study"])
    assert math.isfinite(ours.QM) and "F(df1 = 1" in ours.summary()


# --- tables wrapped at R's width of 80 ------------------------------------------------


@pytest.fixture(scope="module")
def ishak() -> dict[str, Any]:
    return _load("ishak_time")


def _ishak_fit(d: dict[str, Any], kind: str) -> Any:
    time = np.asarray(d["time"])
    mods: dict[str, Any] = {f"factor(time){k}": (time == k).astype(float) for k in (2, 3, 4)}
    if kind == "rma_long_name":
        mods["mean_disease_duration_years"] = np.asarray(d["mdur"])
    weights = 1.0 / np.asarray(d["vi"]) if kind == "robust_weights" else None
    res = rma(d["yi"], d["vi"], mods=mods, weights=weights)
    return robust(res, d["study"]) if kind.startswith("robust") else res


@pytest.mark.parametrize("kind", ["rma", "robust", "robust_weights", "rma_long_name"])
def test_summary_wraps_as_r_at_width_80(ishak: dict[str, Any], kind: str) -> None:
    ours = _ishak_fit(ishak, kind)
    theirs = _lines(ishak[kind]["printed"])
    assert ours.summary().splitlines() == theirs
    assert str(ours).splitlines() == theirs
    # the robust tables and the long name's put their last columns in a second block,
    # which repeats the row names
    blocks = sum(1 for line in theirs if line.startswith("intrcpt "))
    assert blocks == (1 if kind == "rma" else 2)


def test_summary_width_none_keeps_one_line_per_row(ishak: dict[str, Any]) -> None:
    rob = _ishak_fit(ishak, "robust")
    lines = rob.summary(width=None).splitlines()
    at = next(i for i, line in enumerate(lines) if line.split()[:1] == ["estimate"])
    rows = lines[at + 1 : at + 1 + rob.p]
    assert [row.split()[0] for row in rows] == list(rob.coef_names)
    assert rows[0].endswith("***") and lines[at + 1 + rob.p] == ""
    # and a width wide enough for the table is the same
    assert rob.summary(width=200) == rob.summary(width=None)


@pytest.mark.parametrize("width", [0, 9, 80.0, True, "80"])
def test_summary_width_refused(ishak: dict[str, Any], width: Any) -> None:
    with pytest.raises(ValueError, match="width must be None or a whole number"):
        _ishak_fit(ishak, "rma").summary(width=width)


def test_table_wraps_at_r_rule() -> None:
    """R's printMatrix: a column joins the block while the row names' width plus the
    block's columns, each with its gap of 2, stays below the width."""
    from metareview.pool import _table

    header, rows, names = ["aaaa", "bbbb"], [["1.00", "2.00"]], ["n"]
    # the line "n  aaaa  bbbb" is 13 characters: one block at 14, two at 13
    assert _table(header, rows, names, 14) == ["   aaaa  bbbb", "n  1.00  2.00"]
    assert _table(header, rows, names, 13) == ["   aaaa", "n  1.00", "   bbbb", "n  2.00"]
    # the first column of a block prints however narrow the width
    assert len(_table(header, rows, names, 1)) == 4
    assert _table(header, rows, names) == _table(header, rows, names, None)


# --- a cluster Series of the wrong length or index -------------------------------------


def _named_fit(k: int = 12) -> Any:
    pd = pytest.importorskip("pandas")
    labels = [f"study {i}" for i in range(k)]
    rng = np.random.default_rng(7)
    yi = pd.Series(rng.normal(0.3, 0.2, k), index=labels)
    return rma(yi, pd.Series(rng.uniform(0.01, 0.05, k), index=labels))


def test_cluster_series_of_wrong_length_says_so_before_its_index() -> None:
    pd = pytest.importorskip("pandas")
    res = _named_fit()
    for cluster in (pd.Series(np.arange(6)), pd.Series(np.arange(6), index=res.index[:6])):
        with pytest.raises(ValueError, match=r"^robust: cluster has 6 values for the 12 studies"):
            robust(res, cluster)


def test_cluster_series_with_default_index_beside_named_studies() -> None:
    pd = pytest.importorskip("pandas")
    res = _named_fit()
    cluster = pd.Series(np.arange(12) // 2)  # index 0..11, the fit's is the study names
    with pytest.raises(ValueError, match="different indexes") as info:
        robust(res, cluster)
    message = str(info.value)
    # reindexing would give every study a missing cluster: not suggested
    assert ".reindex(" not in message and cluster.reindex(res.index).isna().all()
    assert "labels that res's index lacks ([0, 1, 2, ...])" in message
    assert "cluster.to_numpy()" in message and "cluster.set_axis(res.index)" in message
    # and what it suggests works: the same as the plain array
    expected = robust(res, cluster.to_numpy())
    for fixed in (cluster.to_numpy(), cluster.set_axis(res.index)):
        assert np.array_equal(robust(res, fixed).vb, expected.vb)


def test_cluster_series_in_another_order_is_told_to_reindex() -> None:
    res = _named_fit()
    pd = pytest.importorskip("pandas")
    cluster = pd.Series(np.arange(12) // 3, index=res.index).iloc[::-1]
    with pytest.raises(ValueError, match=r"so align them first \(e\.g\. cluster\.reindex"):
        robust(res, cluster)
    assert np.array_equal(
        robust(res, cluster.reindex(res.index)).vb, robust(res, np.arange(12) // 3).vb
    )


def test_cluster_series_with_a_label_twice() -> None:
    pd = pytest.importorskip("pandas")
    res = _named_fit()
    cluster = pd.Series(np.arange(12), index=[*res.index[:-1], res.index[0]])
    with pytest.raises(ValueError, match=r"cluster's labels are among res's but are not each"):
        robust(res, cluster)
