"""metareview.sandwich.robust against metafor 3.8-1's robust.rma.uni (default path), and its refusals.

``tests/reference/metafor_robust/*.json`` are written by
``tests/reference/make_robust_fixtures.R``: on dat.konstantopoulos2011 (clustered by
district), dat.assink2016 and dat.bornmann2007 (by study) and dat.berkey1998 (by trial),
intercept-only and meta-regression fits by several tau^2 estimators and EE, each with
``adjust=TRUE`` (CR1) and ``FALSE`` (CR0); fits under knha, adhoc and t, to a subset,
with missing values (fitted here by ``subset``, as metafor leaves them out), with
weights, unweighted and at a given tau^2; each estimate its own cluster; text clusters.
Each entry has the robust fit (every number compared), its printout (word by word) and
its predictions (fitted values, new moderator values and Riley's interval); ``checks``
hold the cluster variables metafor refuses, with its message, and two it accepts.

Tolerances from ``metafor_tolerances.py``: ``closed`` for the closed-form estimators and
a given tau^2, ``tight`` for the iterative ones (fitted to convergence in both programs);
degrees of freedom, counts and names exact.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixture_cases import case_items, counterpart, load_cases
from metafor_tolerances import CLOSED_FORM_METHODS, TOL, assert_close, for_quantity

import metareview
from metareview.pool import rma
from metareview.sandwich import RobustResult, robust

REF = Path(__file__).resolve().parents[1] / "reference" / "metafor_robust"
CASES = load_cases(REF)

#: metafor's errors, and the words that say the same here.
MESSAGES = {
    "Length of variable specified via 'cluster'": r"cluster has \d+ values for the \d+ studies",
    "Number of clusters": r"needs more clusters than coefficients",
    "No missing values allowed in 'cluster' variable.": r"missing \(None or NaN\)",
}


def _fit(d: dict[str, Any], spec: dict[str, Any]) -> Any:
    """The model of ``spec`` (fixture_models.R's), metafor's missing values (1-based
    ``na_yi``, ``na_mods``) left out by ``subset``, as metafor leaves them out."""
    yi = np.array(d["yi"], dtype=float)
    yi[[j - 1 for j in spec.get("na_yi") or []]] = np.nan
    mods = {name: np.array(d["mods"][name], dtype=float) for name in spec["mods"]} or None
    for name in mods or {}:
        mods[name][[j - 1 for j in spec.get("na_mods") or []]] = np.nan
    subset = spec.get("subset")
    if spec.get("na_yi") or spec.get("na_mods"):
        subset = np.isfinite(yi) & np.all(
            [np.isfinite(m) for m in (mods or {}).values()] or [True], axis=0
        )
        yi = np.nan_to_num(yi)
        mods = {name: np.nan_to_num(m) for name, m in (mods or {}).items()} or None
    control = None if spec["method"] in CLOSED_FORM_METHODS else d["control"]
    return rma(yi, d["vi"], mods=mods, method=spec["method"], test=spec["test"], subset=subset,
               intercept=spec.get("intercept", True), control=control,
               weights=d["ni"] if spec.get("weights") == "ni" else None,
               weighted=spec.get("weighted", True), tau2=spec.get("tau2"))  # fmt: skip


def _tol(spec: dict[str, Any]) -> str:
    closed = spec["method"] in CLOSED_FORM_METHODS or spec.get("tau2") is not None
    return "closed" if closed else "tight"


def _words(lines: list[str]) -> list[list[str]]:
    return [line.split() for line in lines if line.strip()]


def _check_predict(
    ours: Any, ref: dict[str, Any], tol: str, what: str, X: np.ndarray, vb: np.ndarray
) -> None:
    """Predictions at the rows of ``X`` against metafor's.

    A prediction whose robust variance x'vb x cancels to 0 (a combination that a cluster's
    estimates pin down: in dat.assink2016 the fitted values of the covert estimates, all of
    one study, have se 7e-10 here and 4e-9 in metafor) is known in either program only to
    the rounding of the terms that cancel, a few eps of |x|'|vb||x|. Its se is compared
    as a variance with that absolute part (1e-13 |x|'|vb||x|, ~500 eps), and the interval
    bounds with the quantile times its square root; otherwise the entry ``tol`` holds.
    """
    v_atol = 1e-13 * np.einsum("ij,jk,ik->i", np.abs(X), np.abs(vb), np.abs(X))
    rtol = TOL[tol][0]
    for key in ("pred", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub"):
        value = getattr(ours, key)
        if ref[key] is None:
            assert value is None, f"{what} {key}"
            continue
        got, theirs = np.atleast_1d(value), np.asarray(ref[key], dtype=float)
        if key == "pred":
            assert_close(got, theirs, tol, f"{what} {key}")
        elif key == "se":
            bad = np.abs(got**2 - theirs**2) > rtol * theirs**2 + v_atol
            assert not bad.any(), f"{what} se: {got[bad]} vs metafor {theirs[bad]}"
        else:
            # the bounds: pred +/- q se, q at most the t quantile on 1 df (12.7 at 95%)
            bad = np.abs(got - theirs) > rtol * np.abs(theirs) + 13 * np.sqrt(v_atol)
            assert not bad.any(), f"{what} {key}: {got[bad]} vs metafor {theirs[bad]}"


def _rows(ours: RobustResult, newmods: np.ndarray | None) -> np.ndarray:
    """The model-matrix rows predict() predicts at: the fit's, or newmods with the
    intercept's column."""
    if newmods is None:
        return np.ones((1, 1)) if ours.int_only else np.asarray(ours.fit.X)
    if ours.coef_names[0] != "intrcpt":
        return newmods
    return np.column_stack([np.ones(newmods.shape[0]), newmods])


def _check(ours: RobustResult, e: dict[str, Any], what: str) -> None:
    ref = e["result"]
    tol = _tol(e["model"])
    for key in ("beta", "se", "zval", "pval", "ci_lb", "ci_ub"):
        assert_close(getattr(ours, key), ref[key], tol, f"{what} {key}")
    assert_close(ours.tval, ref["zval"], tol, f"{what} tval")
    assert_close(np.ravel(ours.vb), ref["vb"], tol, f"{what} vb")  # by rows, as written
    if ref.get("meat") is not None:
        assert_close(np.ravel(ours.meat), ref["meat"], tol, f"{what} meat")
    assert_close(ours.QM, ref["QM"], tol, f"{what} QM")
    assert_close(ours.QMp, ref["QMp"], tol, f"{what} QMp")
    assert_close(ours.tau2, ref["tau2"], for_quantity(tol, "tau2"), f"{what} tau2")
    assert list(ours.QMdf) == ref["QMdf"], what
    assert (ours.dfs, ours.ddf, ours.n, ours.k, ours.p) == (
        ref["dfs"],
        ref["dfs"],
        ref["n"],
        ref["k"],
        ref["p"],
    )
    # metafor's table() sorts text by the locale's collation: the counts, not their order
    assert sorted(ours.tcl) == sorted(ref["tcl"]) and sum(ours.tcl) == ours.k, what
    assert (ours.vbest, ours.test) == (ref["vbest"], ref["test"]), what
    assert [j + 1 for j in ours.btt] == ref["btt"], what
    assert list(ours.coef_names) == ref["coef_names"], what
    # the fixtures print at width 200: no table wraps there
    assert _words(ours.summary(width=200).splitlines()) == _words(e["printed"]), what
    vb = np.asarray(ours.vb)
    _check_predict(ours.predict(), e["predict"], tol, f"{what} predict", _rows(ours, None), vb)
    if "newmods" in e:
        new = np.reshape(e["newmods"], (-1, e["newmods_ncol"]))
        X = _rows(ours, new)
        _check_predict(ours.predict(newmods=new), e["predict_new"], tol, f"{what} newmods", X, vb)
        _check_predict(ours.predict(newmods=new, pi_type="riley"), e["predict_riley"], tol,
                       f"{what} riley", X, vb)  # fmt: skip


def test_every_dataset_and_form_is_covered() -> None:
    assert set(CASES) >= {
        "dat.konstantopoulos2011",
        "dat.assink2016",
        "dat.bornmann2007",
        "dat.berkey1998",
    }
    entries = [e for d in CASES.values() for e in d["entries"].values()]
    for d in CASES.values():
        assert d["metafor_version"] == "3.8.1" and "robust(" in d["call"]
        models = [e["model"] for e in d["entries"].values()]
        assert any(not m["mods"] for m in models) and any(m["mods"] for m in models)
        assert {e["adjust"] for e in d["entries"].values()} == {True, False}
    models = [e["model"] for e in entries]
    assert {"knha", "adhoc", "t"} <= {m["test"] for m in models}
    assert any("subset" in m for m in models) and any(
        "na_yi" in m or "na_mods" in m for m in models
    )
    assert any(m.get("weights") for m in models) and any(m.get("weighted") is False for m in models)
    assert len({m["method"] for m in models}) >= 10
    errors = {
        e["error"].split(" (")[0]
        for d in CASES.values()
        for e in d["checks"].values()
        if "error" in e
    }
    assert len(errors) == 3


@pytest.mark.parametrize("item", case_items(CASES, "entries"), ids=lambda x: f"{x[0]}-{x[1]}")
def test_robust_fit_matches_metafor(item: tuple[str, str]) -> None:
    d = CASES[item[0]]
    e = d["entries"][item[1]]
    res = _fit(d, e["model"])
    ours = robust(res, d["clusters"][e["cluster"]], adjust=e["adjust"])
    _check(ours, e, item[1])


@pytest.mark.parametrize("item", case_items(CASES, "checks"), ids=lambda x: f"{x[0]}-{x[1]}")
def test_what_metafor_refuses_is_refused(item: tuple[str, str]) -> None:
    d = CASES[item[0]]
    e = d["checks"][item[1]]
    res = _fit(d, e["model"])
    cluster = d["clusters"][e["cluster"]]
    if "error" in e:
        with pytest.raises(ValueError, match=counterpart(MESSAGES, e["error"])):
            robust(res, cluster, adjust=e["adjust"])
        return
    _check(robust(res, cluster, adjust=e["adjust"]), e, item[1])


def _konstantopoulos() -> tuple[Any, list[Any]]:
    d = CASES["dat.konstantopoulos2011"]
    return rma(d["yi"], d["vi"], method="DL"), list(d["clusters"]["district"])


def test_missing_clusters_are_named_and_nan_counts_as_missing() -> None:
    res, cl = _konstantopoulos()
    for missing in (None, math.nan, np.float64("nan")):
        bad = list(cl)
        bad[7] = missing
        with pytest.raises(ValueError, match=r"cluster\[7\] is missing"):
            robust(res, bad)
    with pytest.raises(ValueError, match=r"cluster\[2\], cluster\[7\] are missing"):
        robust(
            res, np.where(np.isin(np.arange(len(cl)), [2, 7]), np.nan, np.array(cl, dtype=float))
        )


def test_a_cluster_of_the_wrong_length_says_what_length_was_expected() -> None:
    res, cl = _konstantopoulos()
    with pytest.raises(ValueError, match=rf"{len(cl) + 1} values for the {len(cl)} studies"):
        robust(res, [*cl, 1])
    sub = rma(res.yi, res.vi, method="DL", subset=np.arange(len(cl)) > 3)
    # the subset's clusters are not enough: metafor too wants the data's length
    with pytest.raises(ValueError, match=rf"of which the model's subset fitted {len(cl) - 4}"):
        robust(sub, cl[4:])
    for bad in ("district", 3, None):
        with pytest.raises(TypeError, match="one value per study"):
            robust(res, bad)


def test_too_few_clusters_are_refused_with_their_number() -> None:
    res, cl = _konstantopoulos()
    with pytest.raises(ValueError, match=r"1 cluster for 1 coefficient"):
        robust(res, ["a"] * len(cl))
    mods = rma(res.yi, res.vi, mods={"x": np.arange(len(cl), dtype=float)}, method="DL")
    with pytest.raises(ValueError, match=r"2 clusters for 2 coefficients"):
        robust(mods, [i % 2 for i in range(len(cl))])
    assert robust(mods, [i % 3 for i in range(len(cl))]).dfs == 1


def test_club_sandwich_other_adjustments_and_other_fits_are_refused() -> None:
    res, cl = _konstantopoulos()
    with pytest.raises(ValueError, match="clubSandwich=True .* not offered"):
        robust(res, cl, clubSandwich=True)
    with pytest.raises(TypeError, match="adjust must be True"):
        robust(res, cl, adjust="Stata1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="rma"):
        robust(list(res.yi), cl)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not a label"):
        robust(res, [{c} for c in cl])


def test_cluster_labels_of_any_kind_and_a_pandas_series() -> None:
    pd = pytest.importorskip("pandas")
    res, cl = _konstantopoulos()
    ref = robust(res, cl)
    for other in (np.array(cl), [f"d{c}" for c in cl], pd.Series(cl), pd.Categorical(cl)):
        got = robust(res, other)
        assert_close(got.vb.ravel(), ref.vb.ravel(), "elementary", "vb")
        assert got.tcl == ref.tcl or sorted(got.tcl) == sorted(ref.tcl)
    fit = rma(
        pd.Series(res.yi, index=range(10, 10 + len(cl))),
        pd.Series(res.vi, index=range(10, 10 + len(cl))),
    )
    with pytest.raises(ValueError, match="different indexes"):
        robust(fit, pd.Series(cl))


def test_each_estimate_its_own_cluster_is_the_sandwich_of_independent_estimates() -> None:
    # one estimate per cluster: CR0 is the heteroscedasticity-consistent sandwich
    # (X'WX)^-1 X'W diag(e^2) W X (X'WX)^-1, computed here from its definition
    res, _ = _konstantopoulos()
    X, w = np.ones((res.k, 1)), 1 / (res.vi + res.tau2)
    e = res.yi - res.beta[0]
    B = np.linalg.inv(X.T @ (w[:, None] * X)) @ (X.T * w)
    expected = B @ np.diag(e**2) @ B.T
    got = robust(res, list(range(res.k)), adjust=False)
    assert_close(got.vb.ravel(), expected.ravel(), "closed", "vb")
    assert got.n == res.k and got.tcl == (1,) * res.k and got.vbest == "CR0"
    assert_close(
        robust(res, list(range(res.k))).vb.ravel(),
        expected.ravel() * res.k / (res.k - 1),
        "closed",
        "vb",
    )


def test_the_result_is_frozen_and_exported() -> None:
    res, cl = _konstantopoulos()
    out = metareview.robust(res, cl)
    assert isinstance(out, metareview.RobustResult)
    with pytest.raises(AttributeError):
        out.QM = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        out.se[0] = 0.0
    d = out.to_dict()
    assert "fit" not in d and "meat" not in d and d["vbest"] == "CR1"
    json.dumps(d)
    assert str(out) == out.summary()
    assert "Signif. codes" not in out.summary(signif_stars=False)
    assert out.summary(legend=False).splitlines()[-1].startswith("Signif. codes")


def test_the_documented_example_gives_metafors_numbers() -> None:
    # docs/statistics.md, "Cluster-robust inference": dat.berkey1998 with the outcome as
    # moderator, clustered by trial; metafor's is the fixture's REML_mods_adj
    text = (Path(__file__).resolve().parents[2] / "docs" / "statistics.md").read_text(
        encoding="utf-8"
    )
    section = text.split("### Cluster-robust inference\n", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code
    names: dict[str, Any] = {}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(code[1], "<example>", "exec"), names)  # noqa: S102 - the docs' own code
    d = CASES["dat.berkey1998"]
    e = d["entries"]["REML_mods_adj"]
    assert_close(names["yi"], d["yi"], "elementary", "yi")
    assert_close(names["vi"], d["vi"], "elementary", "vi")
    _check(names["rob"], e, "docs example")
    assert _words(out.getvalue().splitlines()) == _words(e["printed"])
