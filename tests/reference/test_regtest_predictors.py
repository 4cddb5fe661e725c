"""metareview.bias.regtest with every predictor, against metafor 3.8-1.

``tests/reference/metafor_regtest/*.json`` are written by ``make_regtest_fixtures.R``:
metafor's ``regtest`` with the predictors sei, vi, ni, ninv, sqrtni and sqrtninv, both
models ("rma", "lm"), on FE, DL, REML (z, Knapp-Hartung, adhoc) and PM fits run to
convergence, for published datasets with the total sample sizes escalc records, one of
them fitted to a subset of its studies (``rma(..., subset=...)``, ``*__subset.json``).
Tolerances from ``metafor_tolerances.py``: ``closed`` for closed forms (FE, DL and every
"lm" test), ``tight`` for the iterative fits (both sides solve to about 1e-12); df exact.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from metafor_tolerances import assert_close

from metareview import bias
from metareview.effects import escalc
from metareview.pool import rma

HERE = Path(__file__).parent
CASES = sorted((HERE / "metafor_regtest").glob("*.json"))


def _tests() -> list[tuple[Path, int]]:
    out = []
    for path in CASES:
        n = len(json.loads(path.read_text(encoding="utf-8"))["tests"])
        out.extend((path, i) for i in range(n))
    return out


def _id(item: tuple[Path, int]) -> str:
    path, i = item
    t = json.loads(path.read_text(encoding="utf-8"))["tests"][i]
    r = t["result"]
    return f"{path.stem}-{t['method']}_{t['test']}-{r['model']}-{r['predictor']}"


TESTS = _tests()


def test_every_predictor_model_and_fit_is_covered() -> None:
    assert len(CASES) >= 4
    for path in CASES:
        d = json.loads(path.read_text(encoding="utf-8"))
        seen = {(t["method"], t["test"], t["result"]["model"], t["result"]["predictor"]) for t in d["tests"]}
        assert {p for *_, p in seen} == {"sei", "vi", "ni", "ninv", "sqrtni", "sqrtninv"}
        assert len(seen) == len(d["tests"]) == 6 * 2 * 6
        assert d["metafor_version"] == "3.8.1"


@pytest.mark.parametrize("item", TESTS, ids=[_id(x) for x in TESTS])
def test_regtest_matches_metafor(item: tuple[Path, int]) -> None:
    path, i = item
    d: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    t = d["tests"][i]
    ref = t["result"]
    fit = rma(d["yi"], d["vi"], method=t["method"], test=t["test"], subset=d.get("subset"))
    # ni of the data given to rma, subset alike, as metafor's regtest takes it
    res = bias.regtest(fit, model=ref["model"], predictor=ref["predictor"], ni=d["ni"])
    _assert_matches(res, t)


@pytest.mark.parametrize("item", TESTS, ids=[_id(x) for x in TESTS])
def test_the_results_method_takes_the_sample_sizes_too(item: tuple[Path, int]) -> None:
    # docs/statistics.md shows the test as res.regtest(); the sample-size predictors need
    # ni there as in the function (metafor's regtest reads them from escalc's data).
    path, i = item
    d: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    t = d["tests"][i]
    fit = rma(d["yi"], d["vi"], method=t["method"], test=t["test"], subset=d.get("subset"))
    _assert_matches(fit.regtest(model=t["result"]["model"], predictor=t["result"]["predictor"], ni=d["ni"]), t)


def _assert_matches(res: Any, t: dict[str, Any]) -> None:
    ref = t["result"]
    assert (res.model, res.predictor) == (ref["model"], ref["predictor"])
    assert res.df == ref["df"]
    closed = ref["model"] == "lm" or t["method"] in ("FE", "DL")
    tol = "closed" if closed else "tight"
    # zval holds the statistic under every test, as metafor's; tval (with df) only a t
    # statistic, for Knapp-Hartung and "lm".
    assert (ref["df"] is not None) == (res.tval is not None)
    assert res.tval is None or res.tval == res.zval
    stat = res.zval
    values = {"stat": stat, "pval": res.pval, "slope": res.slope, "slope_se": res.slope_se, "est": res.est,
              "ci_lb": res.ci_lb, "ci_ub": res.ci_ub, "tau2": res.tau2 if ref["model"] == "rma" else None}
    for key, actual in values.items():
        expected = ref[key]
        if expected is None:
            assert actual is None, f"{key}: metafor gives none, got {actual}"
            continue
        assert_close(float(actual), expected, tol, key)


def _escalc_from_source(case: str) -> Any:
    """The fixture's escalc call replayed on the dataset's columns (from the given
    reference set in ``metafor/``): ``escalc("RR", ai = tpos, ...)`` becomes
    ``escalc("RR", ai=input["tpos"], ...)``."""
    dataset_measure = "__".join(case.split("__")[:2])  # dat.bcg__RR__subset: dat.bcg__RR
    given = json.loads((HERE / "metafor" / f"{dataset_measure}.json").read_text(encoding="utf-8"))
    call = given["escalc_call"]
    measure = re.search(r'measure="(\w+)"', call).group(1)
    args = {arg: given["input"][column] for arg, column in re.findall(r"(\w+)=(\w+)", call)
            if arg not in ("measure", "data")}
    return escalc(measure, **args)


@pytest.mark.parametrize("item", TESTS, ids=[_id(x) for x in TESTS])
def test_a_fit_to_escalc_keeps_the_sample_sizes_the_predictors_need(item: tuple[Path, int]) -> None:
    # metafor's escalc stores ni as an attribute of yi, rma keeps it (res$ni) and
    # regtest(res, predictor = "ni") reads it: the fixtures were made that way, with no
    # ni passed, and so is this fit
    path, i = item
    d: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    t = d["tests"][i]
    es = _escalc_from_source(path.stem)
    assert es.ni.tolist() == d["ni"]
    fit = rma(es, method=t["method"], test=t["test"], subset=d.get("subset"))
    assert fit.ni is not None
    if "fit" in t:
        # the subset's studies, their sample sizes and labels (the full data's row
        # numbers), and the subset model itself
        tol = "closed" if t["method"] in ("FE", "DL") else "tight"
        assert fit.ni.tolist() == t["fit"]["ni"] and list(fit.slab) == t["fit"]["slab"]
        for key in ("estimate", "se", "tau2"):
            assert_close(getattr(fit, key), t["fit"][key], tol, key)
    else:
        assert fit.ni.tolist() == d["ni"]
    _assert_matches(fit.regtest(model=t["result"]["model"], predictor=t["result"]["predictor"]), t)
    _assert_matches(bias.regtest(fit, model=t["result"]["model"], predictor=t["result"]["predictor"]), t)


def test_ni_given_to_rma_is_kept_and_takes_the_place_of_escalcs() -> None:
    d = json.loads((HERE / "metafor_regtest" / "dat.bcg__RR.json").read_text(encoding="utf-8"))
    es = _escalc_from_source("dat.bcg__RR")
    assert rma(d["yi"], d["vi"]).ni is None
    assert rma(d["yi"], d["vi"], ni=d["ni"]).ni.tolist() == d["ni"]
    doubled = [2 * n for n in d["ni"]]
    assert rma(es, ni=doubled).ni.tolist() == doubled
    with pytest.raises(ValueError, match="ni has 12 values for k = 13"):
        rma(es, ni=d["ni"][:-1])


def test_a_sample_size_predictor_without_sample_sizes_says_where_to_get_them() -> None:
    d = json.loads((HERE / "metafor_regtest" / "dat.bcg__RR.json").read_text(encoding="utf-8"))
    fit = rma(d["yi"], d["vi"])
    with pytest.raises(ValueError, match=r"rma\(escalc\(\.\.\.\)\)"):
        fit.regtest(predictor="ninv")
    ni = list(d["ni"])
    ni[3] = float("nan")
    with pytest.raises(ValueError, match="ni is nan for study 3"):
        rma(d["yi"], d["vi"], ni=ni).regtest(predictor="ni")


def test_a_subset_given_as_indices_or_a_mask_fits_the_same_studies() -> None:
    d = json.loads((HERE / "metafor_regtest" / "dat.bcg__RR__subset.json").read_text(encoding="utf-8"))
    es = _escalc_from_source("dat.bcg__RR")
    mask = rma(es, subset=d["subset"])
    indices = rma(es, subset=[i for i, kept in enumerate(d["subset"]) if kept])
    assert indices.subset.tolist() == mask.subset.tolist() == d["subset"]
    assert (indices.estimate, indices.tau2, list(indices.slab)) == (mask.estimate, mask.tau2, list(mask.slab))
    assert indices.ni.tolist() == mask.ni.tolist()
    assert rma(es).subset is None


def test_a_subset_that_cannot_be_read_one_way_only_is_refused() -> None:
    es = _escalc_from_source("dat.bcg__RR")
    with pytest.raises(ValueError, match="R's negative indices"):
        rma(es, subset=[-1])
    with pytest.raises(ValueError, match="mask of 12 values for k = 13"):
        rma(es, subset=[True] * 12)
    with pytest.raises(ValueError, match="index 13, beyond the k = 13"):
        rma(es, subset=[0, 13])
    with pytest.raises(ValueError, match="selects no studies"):
        rma(es, subset=[False] * 13)
    with pytest.raises(ValueError, match=r"mods has 12 values for the k = 13"):
        rma(es, mods=list(range(12)), subset=[0, 1, 2])
    # a model fitted to a subset takes ni for the data it was given, as metafor's regtest
    fit = rma(es, subset=range(7))
    with pytest.raises(ValueError, match="subset of 7 of 13 studies, so give ni for all 13"):
        fit.regtest(predictor="ni", ni=es.ni[:7])


FILLED = [(path, i) for path in sorted((HERE / "metafor_regtest" / "filled").glob("*.json"))
          for i in range(len(json.loads(path.read_text(encoding="utf-8"))["fits"]))]


@pytest.mark.parametrize("item", FILLED, ids=[f"{p.stem}-{i}" for p, i in FILLED])
def test_trim_and_fills_model_gives_a_filled_study_the_sample_size_it_mirrors(item: tuple[Path, int]) -> None:
    # metafor's filled model keeps ni (ni.fill), so regtest(trimfill(res), predictor =
    # "ni") works there: the same from the fit of escalc's result here
    path, i = item
    d: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    f = d["fits"][i]
    tf = rma(_escalc_from_source(path.stem), method=f["method"]).trimfill(side=f["side"])
    assert tf.k0 == f["k0"] > 0
    assert tf.fit.ni is not None and tf.fit.ni.tolist() == f["ni"]
    assert_close(tf.estimate, f["estimate"], "closed" if f["method"] == "FE" else "tight", "estimate")
    assert len(f["regtest"]) == 12
    for ref in f["regtest"]:
        _assert_matches(tf.fit.regtest(model=ref["model"], predictor=ref["predictor"]),
                        {"method": f["method"], "result": ref})
