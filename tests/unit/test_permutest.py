"""metareview.permutation.permutest against metafor 3.8-1's permutest.rma.uni.

``tests/reference/metafor_permutest/*.json`` are written by
``tests/reference/make_permutest_fixtures.R`` on subsets of dat.bcg, dat.hackshaw1998
and dat.molloy2014, exact tests only: models without moderators (every tau^2 estimator
under z and knha, weights, weighted=False, a given tau^2, exact=True beyond iter, the
control options alternative, p2defn and stat) and meta-regressions (one and two
moderators, ties in X, btt). Every number is compared to 1e-6 (absolute): the p-values,
the model's statistics, the number of permutations and, in metafor's order, the
permutation distributions QM_perm, zval_perm and beta_perm; and the printout line by
line. The ``rule`` entries check when the test is exact for a given iter.

``tests/reference/metafor_permutest_control/dat.colditz1994__RR.json``
(``make_permutest_control_fixtures.R``) holds a meta-regression whose exact test differs
between metafor's default control (one refit of 360 fails and is dropped) and a tight
one, and the control options of the permci search (cialt, distfac, tol, maxiter).

Random permutations cannot reproduce R's random number stream: they are checked for their
properties (the same draws from the same seed, the observed data first, p-values within
Monte Carlo error of the exact ones).
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixture_cases import case_items, load_cases

import metareview
from metareview.permutation import MAX_PERMUTATIONS, PermutestResult, permutest
from metareview.pool import rma

REF = Path(__file__).resolve().parents[1] / "reference" / "metafor_permutest"
CASES = load_cases(REF)
ATOL = 1e-6


def _fit(d: dict[str, Any], spec: dict[str, Any]) -> Any:
    mods = {name: d["mods"][name] for name in spec["mods"]} or None
    btt = spec.get("btt")
    with warnings.catch_warnings():
        # FE/EE with knha warn in both programs; the fit is what is compared
        warnings.simplefilter("ignore")
        return rma(d["yi"], d["vi"], mods=mods, method=spec["method"], test=spec["test"],
                   subset=spec.get("subset"), intercept=spec.get("intercept", True),
                   weights=d["ni"] if spec.get("weights") == "ni" else None,
                   weighted=spec.get("weighted", True), tau2=spec.get("tau2"), level=spec.get("level", 95),
                   btt=None if btt is None else [int(b) - 1 for b in np.atleast_1d(btt)])  # fmt: skip


def _permci(a: dict[str, Any]) -> Any:
    """metafor's permci as given here: True, False or 0-based coefficients."""
    permci = a.get("permci", [False])
    if permci == [True] or permci == [False]:
        return permci[0]
    return [int(j) - 1 for j in permci]


def _run(d: dict[str, Any], entry: dict[str, Any], **kw: Any) -> PermutestResult:
    a = entry["args"]
    # metafor's control options as metafor's control list (the keyword arguments are
    # checked against it below)
    return permutest(_fit(d, entry["model"]), exact=a["exact"], iter=a["iter"],
                     permci=_permci(a), control=a.get("control") or None, **kw)  # fmt: skip


def _close(ours: Any, ref: Any, what: str) -> None:
    ref_arr = np.array(ref, dtype=float)  # null (NA) -> nan
    np.testing.assert_allclose(np.asarray(ours, dtype=float), ref_arr, rtol=0, atol=ATOL,
                               equal_nan=True, err_msg=what)  # fmt: skip


def _columns(block: dict[str, list[Any]]) -> np.ndarray:
    return np.column_stack([np.array(v, dtype=float) for v in block.values()])


def test_fixtures_cover_every_estimator_and_both_kinds_of_model() -> None:
    assert len(CASES) >= 3
    methods = set()
    for d in CASES.values():
        assert d["metafor_version"] == "3.8.1"
        for key, e in d["cases"].items():
            methods.add((e["model"]["method"], e["model"]["test"]))
            # exact tests only: every distinct permutation was refitted
            assert e["result"]["iter"] == e["result"]["exact_iter"], key
    assert {(m, t) for m in metareview.METHODS for t in ("z", "knha")} <= methods
    keys = [key for d in CASES.values() for key in d["cases"]]
    assert any(key.startswith("mreg_") for key in keys)
    assert any("QM_perm" in e["result"] and e["result"]["iter"] > 1000
               for d in CASES.values() for e in d["cases"].values())  # fmt: skip


def test_fixtures_cover_permutation_cis_found_and_not() -> None:
    entries = [e for d in CASES.values() for e in d["cases"].values() if e["result"]["permci"]]
    found = [e for e in entries if any(x is not None for x in e["result"]["ci_lb"])]
    assert any(e["model"]["mods"] for e in found)  # a meta-regression's bound
    assert any(not e["model"]["mods"] for e in found)
    assert any(all(x is None for x in e["result"]["ci_lb"]) for e in entries)  # NA bounds
    assert any(e["warnings"] for d in CASES.values() for e in d["cases"].values())


@pytest.mark.parametrize("item", case_items(CASES, "cases"), ids=lambda x: f"{x[0]}-{x[1]}")
def test_exact_test_matches_metafor(item: tuple[str, str]) -> None:
    case, key = item
    d = CASES[case]
    entry = d["cases"][key]
    ref = entry["result"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pt = _run(d, entry)
    said = [str(w.message) for w in caught]
    assert len(said) == len(entry["warnings"]), (said, entry["warnings"])
    for ours, theirs in zip(said, entry["warnings"]):
        # "Cannot obtain 95% permutation-based CI; number of permutations (16) too low."
        assert theirs.startswith("Cannot obtain") and ours.startswith("cannot obtain")
        assert theirs.split()[2] == ours.split()[3]  # the level
    assert pt.exact
    assert pt.iter == ref["iter"] and pt.exact_iter == ref["exact_iter"]
    _close(pt.pval, ref["pval"], "pval")
    _close(pt.QMp, ref["QMp"], "QMp")
    for name in ("beta", "se", "zval", "ci_lb", "ci_ub", "QM"):
        _close(getattr(pt, name), ref[name], name)
    m, df2 = pt.QMdf
    assert [m, df2] == ref["QMdf"]
    assert [j + 1 for j in pt.btt] == ref["btt"]
    assert (pt.p2defn, pt.stat, pt.permci) == (ref["p2defn"], ref["stat"], ref["permci"])
    if not ref["permci"]:
        # metafor's search for CI bounds leaves the alternative of its last step ("less")
        # in the result; here it stays the one the p-values were computed with
        assert pt.alternative == ref["alternative"]
    if "QM_perm" in ref:
        _close(pt.QM_perm, ref["QM_perm"], "QM_perm")
        _close(pt.zval_perm, _columns(ref["zval_perm"]), "zval_perm")
        _close(pt.beta_perm, _columns(ref["beta_perm"]), "beta_perm")
        assert list(ref["zval_perm"]) == list(pt.coef_names)
    printed = [line.rstrip() for line in entry["printed"]]
    while printed and not printed[0]:
        printed.pop(0)
    while printed and not printed[-1]:
        printed.pop()
    assert pt.summary().split("\n") == printed
    assert str(pt) == pt.summary()


@pytest.mark.parametrize("item", case_items(CASES, "rule"), ids=lambda x: f"{x[0]}-{x[1]}")
def test_when_the_test_is_exact_matches_metafor(item: tuple[str, str]) -> None:
    case, key = item
    d = CASES[case]
    entry = d["rule"][key]
    pt = _run(d, entry, seed=1)
    assert pt.exact_iter == entry["exact_iter"]
    assert pt.iter == entry["iter"]
    assert pt.exact == (entry["args"]["exact"] or entry["exact_iter"] <= entry["args"]["iter"])


# --------------------------------------------------------------------------- random


def _bcg(k: int, mods: bool = False, **kw: Any) -> Any:
    d = CASES["dat.bcg__RR"]
    sub = np.arange(len(d["yi"])) < k
    m = {"ablat": d["mods"]["ablat"]} if mods else None
    return rma(d["yi"], d["vi"], mods=m, subset=sub, **kw)


def test_random_permutations_are_reproducible_from_a_seed() -> None:
    res = _bcg(13)
    a = permutest(res, iter=300, seed=7)
    b = permutest(res, iter=300, seed=7)
    c = permutest(res, iter=300, rng=np.random.default_rng(7))
    assert not a.exact and a.iter == 300 and a.exact_iter == 2**13
    np.testing.assert_array_equal(a.zval_perm, b.zval_perm)
    np.testing.assert_array_equal(a.zval_perm, c.zval_perm)
    assert a.pval[0] == b.pval[0] and a.QMp == b.QMp
    other = permutest(res, iter=300, seed=8)
    assert not np.array_equal(a.zval_perm, other.zval_perm)


def test_random_permutations_start_with_the_observed_data() -> None:
    for res in (_bcg(13), _bcg(8, mods=True, method="DL")):
        pt = permutest(res, iter=40, seed=3)
        assert not pt.exact
        np.testing.assert_array_equal(pt.zval_perm[0], np.asarray(res.zval_beta))
        np.testing.assert_array_equal(pt.beta_perm[0], np.asarray(res.beta))
        assert pt.QM_perm[0] == res.QM
        # the observed statistic counts itself: no p-value below 1/iter
        assert np.all(pt.pval >= 1 / 40) and pt.QMp >= 1 / 40


@pytest.mark.parametrize("test", ["z", "knha"])
def test_random_sign_flips_approach_the_exact_p_value(test: str) -> None:
    # simulated studies with an effect the test neither misses nor finds certain
    rng = np.random.default_rng(14)
    k = 14
    res = rma(rng.normal(0.15, 0.3, size=k), rng.uniform(0.02, 0.2, size=k), test=test)
    exact = permutest(res, exact=True)
    n = 10_000
    approx = permutest(res, iter=n, seed=20261202)
    assert exact.exact and exact.iter == 2**k and not approx.exact and approx.iter == n
    p = float(exact.pval[0])
    assert 0.01 < p < 0.5
    sd = math.sqrt(p * (1 - p) / n)
    assert abs(float(approx.pval[0]) - p) < 4 * sd
    assert abs(approx.QMp - exact.QMp) < 4 * sd


def test_random_row_orders_approach_the_exact_p_value() -> None:
    res = _bcg(7, mods=True, method="DL")
    exact = permutest(res, exact=True)
    # 7! / 2!: two of the seven trials share a latitude
    assert exact.exact and exact.iter == exact.exact_iter == 2520
    n = 2000
    approx = permutest(res, iter=n, seed=11)
    assert not approx.exact and approx.iter == n
    for j in range(res.p):
        p = float(exact.pval[j])
        assert abs(float(approx.pval[j]) - p) < 4 * math.sqrt(p * (1 - p) / n) + 1 / n
    p = exact.QMp
    assert abs(approx.QMp - p) < 4 * math.sqrt(p * (1 - p) / n) + 1 / n


def test_random_permutations_of_a_weighted_model_are_reproducible() -> None:
    d = CASES["dat.bcg__RR"]
    res = _bcg(13, weights=d["ni"])
    a = permutest(res, iter=50, seed=5)
    b = permutest(res, iter=50, seed=5)
    np.testing.assert_array_equal(a.zval_perm, b.zval_perm)
    assert not np.any(np.isnan(a.zval_perm))


def test_random_permutation_cis_are_reproducible_and_hold_the_estimate() -> None:
    res = _bcg(13)
    a = permutest(res, iter=400, seed=9, permci=True)
    b = permutest(res, iter=400, seed=9, permci=[0])
    assert a.permci and b.permci and not a.exact
    np.testing.assert_array_equal(a.ci_lb, b.ci_lb)
    np.testing.assert_array_equal(a.ci_ub, b.ci_ub)
    assert a.ci_lb[0] < res.estimate < a.ci_ub[0]
    assert "CI bounds based on permutation testing" in a.summary()


# --------------------------------------------------------------------------- the rest


def test_result_to_dict_is_json_and_leaves_the_distributions_out() -> None:
    pt = permutest(_bcg(6, mods=True))
    out = pt.to_dict()
    json.dumps(out)
    assert "zval_perm" not in out and "QM_perm" not in out
    assert out["exact"] is True and out["iter"] == 360 and len(out["pval"]) == 2
    with pytest.raises(ValueError):
        pt.pval[0] = 0.5  # read-only


def test_summary_without_stars_or_legend() -> None:
    pt = permutest(_bcg(8))
    text = pt.summary(stars=False, legend=False)
    assert "Signif. codes" not in text and "1) p-value" not in text and "---" not in text
    assert "pval\u00b9" in pt.summary(digits=2)


def test_lazy_export() -> None:
    assert metareview.permutest is permutest
    assert "permutest" in dir(metareview)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"permci": [1]}, "permci names coefficients"),
        ({"permci": "all"}, "permci must be"),
        ({"permci": [1.5]}, "counted from 0"),
        ({"permci": [0, 1]}, r"indices here count from 0 \(0 to 0; metafor's permci counts from 1"),
        ({"iter": 1}, "iter must be >= 2"),
        ({"iter": "many"}, "iter must be a whole number"),
        ({"iter": "100"}, "iter must be a whole number"),
        ({"iter": 100.5}, "iter must be a whole number"),
        ({"iter": True}, "iter must be a whole number"),
        ({"iter": math.inf}, "iter must be a whole number"),
        ({"alternative": "both"}, "alternative"),
        ({"p2defn": "x"}, "p2defn"),
        ({"stat": "beta"}, "stat"),
        ({"comptol": -1.0}, "comptol must be a finite number >= 0"),
        ({"control": {"comptol": "1e-8"}}, "comptol must be a finite number"),
        ({"control": {"tol": 0}}, "tol must be a finite number > 0"),
        ({"control": {"maxiter": 2.5}}, "maxiter"),
        ({"control": {"distfac": -1}}, "distfac"),
        ({"control": {"cialt": "both"}}, "cialt"),
        ({"control": {"alternative": "both"}}, "alternative"),
        ({"control": {"extendInt": "yes"}}, "extendInt.*distfac"),
        ({"control": {"threshold": 1e-8}}, r"unknown permutest control.*threshold.*rma\(control"),
        ({"control": {"stat": "coef"}, "stat": "coef"}, "stat given both"),
        ({"control": {"comptol": 0.0}, "comptol": 0.0}, "comptol given both"),
    ],
)
def test_bad_arguments_are_refused(kw: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        permutest(_bcg(6), **kw)


@pytest.mark.parametrize("exact", ["FALSE", "TRUE", 0, 1, None])
def test_exact_must_be_true_or_false(exact: Any) -> None:
    # "FALSE" is truthy: it ran an exact test
    with pytest.raises(TypeError, match="exact must be True or False"):
        permutest(_bcg(6), exact=exact)


def test_tol_is_refused_naming_both_of_metafors_meanings() -> None:
    # metafor's permutest(tol = ) is comptol, its control$tol the permci search's
    with pytest.raises(TypeError, match=r"comptol=.*control=\{'tol'"):
        permutest(_bcg(6), tol=1e-10)  # type: ignore[arg-type]


def test_progbar_is_no_argument() -> None:
    with pytest.raises(TypeError, match="progbar"):
        permutest(_bcg(6), progbar=False)  # type: ignore[call-arg]


def test_whole_numbers_as_floats_are_taken_for_iter_and_permci() -> None:
    res = _bcg(8)
    a = permutest(res, iter=50.0, seed=1, permci=[0.0])
    b = permutest(res, iter=50, seed=1, permci=[0])
    assert a.iter == b.iter == 50 and not a.exact
    np.testing.assert_array_equal(a.pval, b.pval)
    np.testing.assert_array_equal(a.ci_lb, b.ci_lb)


def test_options_as_arguments_or_in_control_agree() -> None:
    res = _bcg(6, mods=True)
    opts = {"alternative": "less", "p2defn": "abs", "stat": "coef", "comptol": 1e-6}
    a = permutest(res, **opts)  # type: ignore[arg-type]
    b = permutest(res, control=opts)
    np.testing.assert_array_equal(a.pval, b.pval)
    assert a.QMp == b.QMp
    assert (b.alternative, b.stat, b.comptol) == ("less", "coef", 1e-6)
    assert b.to_dict()["comptol"] == 1e-6


def test_comptol_decides_ties_with_the_observed_statistic() -> None:
    # the observed data are one of the permutations: with comptol = 0 rounding may
    # leave it out, with a large one every permutation counts
    res = _bcg(6, mods=True)
    wide = permutest(res, comptol=1e6)
    assert np.all(wide.pval == 1.0) and wide.QMp == 1.0
    assert np.all(permutest(res).pval < 1.0)


def test_seed_and_rng_together_are_refused() -> None:
    with pytest.raises(TypeError, match="seed or rng"):
        permutest(_bcg(13), iter=10, seed=1, rng=np.random.default_rng(1))


def test_anything_but_a_fit_is_refused() -> None:
    with pytest.raises(TypeError, match="rma"):
        permutest({"yi": [1, 2]})  # type: ignore[arg-type]


def test_too_many_exact_permutations_are_refused() -> None:
    rng = np.random.default_rng(0)
    k = int(math.log2(MAX_PERMUTATIONS)) + 1
    res = rma(rng.normal(size=k), rng.uniform(0.1, 0.2, size=k), method="DL")
    with pytest.raises(ValueError, match="exact=False"):
        permutest(res, exact=True)
    assert not permutest(res, iter=10, seed=0).exact


# --------------------------------------------------------------------------- control

CONTROL_REF = json.loads(
    (REF.parent / "metafor_permutest_control" / "dat.colditz1994__RR.json").read_text(
        encoding="utf-8"
    )
)


def _colditz(control: Any) -> PermutestResult:
    d = CONTROL_REF
    res = rma(d["yi"], d["vi"], mods={"ablat": d["ablat"]}, method="REML", control=control)
    return permutest(res, exact=True, permci=[0])


def _agrees(pt: PermutestResult, ref: dict[str, Any]) -> None:
    assert pt.iter == ref["iter"]
    assert int(np.isnan(pt.QM_perm).sum()) == ref["failed"]
    for name in ("pval", "QMp", "ci_lb", "ci_ub"):
        _close(getattr(pt, name), ref[name], name)


def test_metafor_defaults_reproduce_metafors_dropped_refit() -> None:
    # under metafor's default control one of the 360 refits stops unconverged and is
    # left out of the proportions; control=METAFOR_DEFAULTS does the same
    ref = CONTROL_REF["tests"]["default"]
    assert ref["model_control"] == {} and ref["failed"] == 1
    _agrees(_colditz(metareview.METAFOR_DEFAULTS), ref)


def test_the_default_control_refits_all_as_metafor_with_a_tight_control() -> None:
    tight = CONTROL_REF["tests"]["tight"]
    assert tight["failed"] == 0
    pt = _colditz(None)
    _agrees(pt, tight)
    # and so differs from metafor's default output, the permci bound by a lot: what the
    # docs say about exact tests agreeing only under the same control
    default = CONTROL_REF["tests"]["default"]
    assert abs(pt.ci_lb[0] - default["ci_lb"][0]) > 0.1
    assert abs(pt.pval[1] - default["pval"][1]) > 1e-3


@pytest.mark.parametrize("key", sorted(CONTROL_REF["search"]))
def test_permci_search_options_match_metafor(key: str) -> None:
    d = CONTROL_REF["search_model"]
    entry = CONTROL_REF["search"][key]
    res = rma(d["yi"], d["vi"], method=d["method"],
              control={"threshold": 1e-12, "tol": 1e-12, "maxiter": 10000})  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pt = permutest(res, exact=True, permci=True, control=entry["control"])
    # uniroot's "_NOT_ converged in 3 iterations" under maxiter = 3, once per bound
    assert [str(w.message) for w in caught] == entry["warnings"]
    assert pt.iter == entry["iter"] and pt.permci
    for name in ("pval", "ci_lb", "ci_ub"):
        _close(getattr(pt, name), entry[name], f"{key} {name}")
