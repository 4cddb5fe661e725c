"""Contrast-based network meta-analysis against metafor 3.8-1 (``metafor_nma``).

Two networks: dat.senn2013 (raw mean differences of HbA1c, 10 treatments, one three-arm
trial; the shared reference file) and dat.hasselblad1998 (log odds ratios with 1/2 added
to every cell, 4 treatments, two three-arm trials; ``make_nma_fixtures.R``). Every block
of each file is compared: the contrasts with V and X, the random-effects fit at
metafor's own tau^2 (``closed``: every statistic given tau^2 is a closed form), the exact
REML root against ``fit_random_exact`` (``tight``) and against metafor's default
optimum (``nlminb``), the common-effect fit, league tables, P-scores, node-splitting in
both variants and the Bucher comparison from the network's pairwise contrasts. A third
file, ``order.json`` (``make_nma_order_fixtures.R``), holds R's order of text labels and
small networks whose baseline arms, and so ``ll_REML``, depend on it. Tolerances from ``metafor_tolerances.py``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import assert_close, for_quantity

from metareview.indirect import bucher
from metareview.network import NMAContrasts, NMAResult, nma_contrasts, rma_nma
from metareview.pool import METAFOR_DEFAULTS, rma

DIR = Path(__file__).parent / "metafor_nma"
FILES = ["dat.senn2013__MD__nma.json", "dat.hasselblad1998__OR__nma.json"]
TESTED = ("estimate", "se", "zval", "pval", "ci_lb", "ci_ub")
FIT_FIELDS = (*TESTED, "vb", "tau2", "tau", "QE", "QEp", "QM", "QMp", "ll_ML", "ll_REML")
STATS = ("AIC_ML", "BIC_ML", "AIC_REML", "BIC_REML")


@cache
def load(name: str) -> dict[str, Any]:
    return json.loads((DIR / name).read_text(encoding="utf-8"))


@cache
def contrasts(name: str) -> NMAContrasts:
    ref = load(name)
    arms = ref["inputs"]["arms"]
    if ref["measure"] == "MD":
        data = {"mi": arms["mi"], "sdi": arms["sdi"], "ni": arms["ni"]}
    else:  # the help page's continuity correction: 1/2 in every cell of every table
        data = {"xi": arms["xi"], "ni": arms["ni"], "add": 0.5, "to": "all"}
    return nma_contrasts(
        arms["study"],
        arms["treatment"],
        measure=ref["measure"],
        reference=ref["inputs"]["reference"],
        **data,
    )


@cache
def fit(name: str, method: str, at_metafor: bool = False) -> NMAResult:
    tau2 = load(name)["fit_random"]["tau2"] if at_metafor else None
    return rma_nma(contrasts(name), method=method, tau2=tau2)


def _ours(res: NMAResult, key: str) -> Any:
    return res.beta if key == "estimate" else getattr(res, key)


def _compare_fit(
    res: NMAResult, ref: dict[str, Any], tol: str, what: str, stats: bool = True
) -> None:
    assert res.k == ref["k"] and res.p == ref["p"]
    assert list(res.coef_names) == ref["coef_names"]
    assert res.QE_df == ref["QE_df"] and res.QM_df == ref["QM_df"]
    for key in FIT_FIELDS:
        assert_close(_ours(res, key), ref[key], for_quantity(tol, key), f"{what}.{key}")
    if stats and "n_par" in ref:
        assert res.n_par == ref["n_par"]
        for key in STATS:
            assert_close(getattr(res, key), ref[key], tol, f"{what}.{key}")


def _matrix(rows: list[list[float | None]]) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


@pytest.mark.parametrize("name", FILES)
def test_contrasts(name: str) -> None:
    ref = load(name)["contrasts"]
    ours = contrasts(name)
    assert ours.k == ref["k"]
    assert list(ours.study) == ref["study"]
    assert list(ours.treatment1) == ref["treatment1"]
    assert list(ours.treatment2) == ref["treatment2"]
    assert list(ours.X_columns) == ref["X_columns"]
    assert list(ours.treatments) == load(name)["inputs"]["treatments"]
    for key in ("yi", "vi", "baseline_arm_variance", "V"):
        assert_close(getattr(ours, key), ref[key], "elementary", f"contrasts.{key}")
    assert np.array_equal(ours.X, np.array(ref["X"], dtype=float))
    assert np.array_equal(ours.re_corr(0.5), np.array(ref["re_corr"], dtype=float))


@pytest.mark.parametrize("name", FILES)
def test_random_effects_fit_at_metafors_tau2(name: str) -> None:
    ref = load(name)["fit_random"]
    res = fit(name, "REML", at_metafor=True)
    assert (ref["rho"], ref["method"], ref["test"]) == (res.rho, res.method, "z")
    # tau^2 given, so not estimated: metafor's parms, and with them AIC and BIC, are
    # those of the estimated fit (below)
    assert res.tau2_fixed and res.n_par == res.p
    _compare_fit(res, ref, "closed", "fit_random", stats=False)


@pytest.mark.parametrize("name", FILES)
def test_exact_reml_root(name: str) -> None:
    ref = load(name)
    res = fit(name, "REML")
    assert not res.tau2_fixed and res.n_par == res.p + 1
    _compare_fit(res, ref["fit_random_exact"], "tight", "fit_random_exact")
    assert_close(
        res.tau2, ref["fit_random"]["tau2_check"]["tau2_exact"], "tight_tau2", "tau2_exact"
    )


@pytest.mark.parametrize("name", FILES)
def test_exact_root_is_where_metafors_optimiser_stops(name: str) -> None:
    ref = load(name)["fit_random"]
    res = fit(name, "REML")
    for key in FIT_FIELDS:
        assert_close(_ours(res, key), ref[key], "nlminb", f"fit_random.{key}")
    assert res.n_par == ref["n_par"]
    for key in STATS:
        assert_close(getattr(res, key), ref[key], "nlminb", f"fit_random.{key}")


@pytest.mark.parametrize("name", FILES)
def test_common_effect_fit(name: str) -> None:
    ref = load(name)["fit_common"]
    res = fit(name, "FE")
    assert res.tau2 == 0.0 and res.n_par == res.p
    _compare_fit(res, ref, "closed", "fit_common")
    # QE is computed from V alone: the same under every tau^2
    assert res.QE == fit(name, "REML").QE


@pytest.mark.parametrize("kind", ["random", "common"])
@pytest.mark.parametrize("name", FILES)
def test_league_table(name: str, kind: str) -> None:
    ref = load(name)[f"league_{kind}"]
    res = fit(name, "REML", at_metafor=True) if kind == "random" else fit(name, "FE")
    league = res.league()
    assert list(league["treatments"]) == ref["treatments"]
    for key in TESTED:
        assert_close(league[key], _matrix(ref[key]), "closed", f"league_{kind}.{key}")
    assert len(league["pairs"]) == len(ref["pairs"])
    for ours, theirs in zip(league["pairs"], ref["pairs"], strict=True):
        assert (ours["treatment1"], ours["treatment2"]) == (
            theirs["treatment1"],
            theirs["treatment2"],
        )
        for key in TESTED:
            assert_close(ours[key], theirs[key], "closed", f"league_{kind}.pairs.{key}")


@pytest.mark.parametrize("kind", ["random", "common"])
@pytest.mark.parametrize("name", FILES)
def test_pscores(name: str, kind: str) -> None:
    ref = load(name)[f"pscores_{kind}"]
    res = fit(name, "REML", at_metafor=True) if kind == "random" else fit(name, "FE")
    smaller = ref["preferred_direction"] == "smaller_is_better"
    ours = res.pscores(smaller_is_better=smaller)
    assert list(ours["treatments"]) == ref["treatments"]
    assert ours["preferred_direction"] == ref["preferred_direction"]
    assert_close(ours["prob_matrix"], _matrix(ref["prob_matrix"]), "closed", "prob_matrix")
    for key in ("larger_is_better", "smaller_is_better"):
        assert_close(ours[key], ref[key], "closed", f"pscores_{kind}.{key}")
    assert_close(ours["pscore"], ref[ref["preferred_direction"]], "closed", "pscore")
    # P-scores of both directions add to 1, and average 1/2 over the treatments
    assert np.allclose(
        ours["larger_is_better"] + ours["smaller_is_better"], 1.0, rtol=0, atol=1e-12
    )
    assert np.mean(ours["pscore"]) == pytest.approx(0.5, abs=1e-12)


def _blocks(ours: dict[str, Any], ref: dict[str, Any], tol: str, what: str) -> None:
    for part in ("direct", "indirect", "difference"):
        for key in TESTED:
            assert_close(ours[part][key], ref[part][key], tol, f"{what}.{part}.{key}")


@pytest.mark.parametrize("name", FILES)
def test_nodesplit_network_estimate(name: str) -> None:
    ref = load(name)["nodesplit"]
    a, b = ref["treatment1"], ref["treatment2"]
    cases = {"REML": (fit(name, "REML", True), "closed"), "REML_exact": (fit(name, "REML"), "tight"),
             "FE": (fit(name, "FE"), "closed")}  # fmt: skip
    for key, (res, tol) in cases.items():
        ours = res.contrast(a, b)
        for field in TESTED:
            assert_close(
                ours[field],
                ref["network_estimate"][key][field],
                tol,
                f"network_estimate.{key}.{field}",
            )


@pytest.mark.parametrize("method", ["REML", "FE"])
@pytest.mark.parametrize("name", FILES)
def test_nodesplit_separate_analyses(name: str, method: str) -> None:
    ref = load(name)["nodesplit"]
    sep = ref["separate_analyses"]
    a, b = ref["treatment1"], ref["treatment2"]
    ours = fit(name, method).nodesplit(a, b, variant="separate")
    assert (ours["treatment1"], ours["treatment2"], ours["variant"]) == (a, b, "separate")
    assert sorted(ours["studies"], key=str) == sorted(sep["direct_studies"], key=str)
    by_study = dict(
        zip(
            ours["studies"],
            zip(ours["direct_fit"].yi, ours["direct_fit"].vi, strict=True),
            strict=True,
        )
    )
    for s, yi, vi in zip(sep["direct_studies"], sep["direct_yi"], sep["direct_vi"], strict=True):
        assert_close(by_study[s], [yi, vi], "elementary", f"direct data of {s}")
    assert ours["indirect_fit"].k == sep["indirect_k_contrasts"]
    assert set(ours["indirect_fit"].contrasts.studies) == set(sep["indirect_studies"])
    tol = "closed" if method == "FE" else "tight"
    _blocks(ours, sep[method], tol, f"separate.{method}")
    assert ours["direct_fit"].k == sep[method]["direct"]["k"]
    for part, res in (("direct", ours["direct_fit"]), ("indirect", ours["indirect_fit"])):
        assert_close(res.tau2, sep[method][part]["tau2"], for_quantity(tol, "tau2"), f"{part}.tau2")


@pytest.mark.parametrize("method", ["REML", "FE"])
@pytest.mark.parametrize("name", FILES)
def test_nodesplit_single_model(name: str, method: str) -> None:
    ref = load(name)["nodesplit"]
    single = ref["single_model"]
    a, b = ref["treatment1"], ref["treatment2"]
    ours = fit(name, method).nodesplit(a, b, variant="single")
    assert np.array_equal(
        ours["nodesplit_column"], np.array(single["nodesplit_column"], dtype=float)
    )
    tol = "closed" if method == "FE" else "tight"
    theirs = single[method]
    res = ours["fit"]
    assert list(res.coef_names) == theirs["coef_names"]
    assert res.QE_df == theirs["QE_df"] == res.k - res.p
    for key in ("estimate", "se", "vb", "tau2", "QE", "QEp", "ll_REML", "ll_ML"):
        assert_close(_ours(res, key), theirs[key], for_quantity(tol, key), f"single.{method}.{key}")
    _blocks(ours, theirs, tol, f"single.{method}")
    # direct = indirect + omega: the inconsistency is their difference
    assert ours["difference"]["estimate"] == pytest.approx(
        ours["direct"]["estimate"] - ours["indirect"]["estimate"], rel=1e-12
    )


BUCHER_FITS = {"FE": ("FE", None, "closed"), "REML_tight": ("REML", None, "tight"),
               "REML": ("REML", METAFOR_DEFAULTS, "emulated")}  # fmt: skip


@pytest.mark.parametrize("key", list(BUCHER_FITS))
@pytest.mark.parametrize("name", FILES)
def test_bucher_from_the_networks_pairwise_contrasts(name: str, key: str) -> None:
    ref = load(name)["bucher"]
    net = contrasts(name)
    method, control, tol = BUCHER_FITS[key]
    sides = []
    for side, treatment in (
        ("pairwise_1_vs_C", ref["treatment1"]),
        ("pairwise_2_vs_C", ref["treatment2"]),
    ):
        studies, yi, vi = net.pairwise(treatment, ref["common_comparator"])
        theirs = ref[side]
        assert sorted(studies, key=str) == sorted(theirs["studies"], key=str)
        order = [studies.index(s) for s in theirs["studies"]]
        assert_close(yi[order], theirs["yi"], "elementary", f"{side}.yi")
        assert_close(vi[order], theirs["vi"], "elementary", f"{side}.vi")
        res = rma(yi[order], vi[order], method=method, control=control)
        for field in (*TESTED, "tau2", "QE", "QEp"):
            assert_close(
                getattr(res, field),
                theirs[key][field],
                for_quantity(tol, field),
                f"{side}.{key}.{field}",
            )
        sides.append(res)
    ours = bucher(sides[0].estimate, sides[0].se ** 2, sides[1].estimate, sides[1].se ** 2)
    for field in TESTED:
        assert_close(ours[field], ref[f"indirect_{key}"][field], tol, f"indirect_{key}.{field}")


def test_hasselblad_bucher_pair_is_flagged_as_directly_compared() -> None:
    ref = load(FILES[1])["bucher"]
    assert ref["pair_directly_compared"] is True and "note" in ref
    studies, _, _ = contrasts(FILES[1]).pairwise(ref["treatment1"], ref["treatment2"])
    assert studies  # the pair has direct evidence, as the note says
    assert load(FILES[0])["bucher"]["pair_directly_compared"] is False
    assert contrasts(FILES[0]).pairwise("rosiglitazone", "miglitol")[0] == ()


def test_ml_fit_beyond_the_shared_schema() -> None:
    # dat.hasselblad1998 only: rma.mv(method = "ML") at its default optimum and at the
    # root of the ML score
    name = FILES[1]
    ref = load(name)
    exact = rma_nma(contrasts(name), method="ML")
    _compare_fit(exact, ref["fit_random_ML_exact"], "tight", "fit_random_ML_exact")
    assert_close(exact.tau2, ref["fit_random_ML"]["tau2_check"]["tau2_exact"], "tight_tau2", "tau2")
    at_metafor = rma_nma(contrasts(name), method="ML", tau2=ref["fit_random_ML"]["tau2"])
    _compare_fit(at_metafor, ref["fit_random_ML"], "closed", "fit_random_ML", stats=False)
    theirs = ref["fit_random_ML"]
    assert exact.n_par == theirs["n_par"]
    for key in (*FIT_FIELDS, *STATS):
        assert_close(_ours(exact, key), theirs[key], "nlminb", f"fit_random_ML.{key}")
    assert exact.AIC == exact.AIC_ML and exact.BIC == exact.BIC_ML


# ------------------------------------------------ the order of treatments and studies
# metafor_nma/order.json (make_nma_order_fixtures.R): R's sort() of some words under ICU's
# root collation and under C, and small networks whose baseline arms depend on the order

ORDER = "order.json"
NETWORKS = ["numeric", "mixed_case", "factor_levels", "mixed_case_C"]
ORDER_STATS = ("QE", "QEp", "ll_REML", "ll_ML", *STATS)


def test_text_sorts_as_r_sorts_it() -> None:
    from metareview.network import _collation_key

    ref = load(ORDER)["collation"]
    assert ref["icu"] != ref["C"]
    assert sorted(ref["words"], key=_collation_key) == ref["icu"]
    assert sorted(ref["words"]) == ref["C"]  # LC_COLLATE=C: code points


def order_network(name: str) -> NMAContrasts:
    ref = load(ORDER)["networks"][name]
    arms = ref["arms"]
    treatment: list[Any] = arms["treatment"]
    kw: dict[str, Any] = {}
    if name == "numeric":  # numbers, as in R's numeric column
        treatment = [int(t) for t in treatment]
    elif name == "factor_levels":  # R's factor levels: the order given
        kw["treatments"] = ref["levels"]
    elif name == "mixed_case_C":  # R under LC_COLLATE=C: code-point order, given
        kw["treatments"] = sorted(set(treatment))
    return nma_contrasts(arms["study"], treatment, mi=arms["mi"], sdi=arms["sdi"],
                         ni=arms["ni"], reference=ref["reference"], **kw)  # fmt: skip


@pytest.mark.parametrize("name", NETWORKS)
def test_baseline_arms_and_fit_statistics_follow_rs_order(name: str) -> None:
    ref = load(ORDER)["networks"][name]
    net = order_network(name)
    rows = list(zip(net.study, net.treatment1, net.treatment2, strict=True))
    theirs = list(zip(ref["study"], ref["treatment1"], ref["treatment2"], strict=True))
    if name == "mixed_case_C":
        # the studies still come in the collation's order (s1, s10, S2 ...), not C's
        # (S2, s1, s10 ...); the rows themselves, and so every number, are the same
        order = [rows.index(r) for r in theirs]
        assert sorted(rows) == sorted(theirs)
    else:
        order = list(range(net.k))
        assert rows == theirs
    assert list(net.treatments) == ref["treatments"]
    assert list(net.X_columns) == ref["X_columns"]
    assert np.array_equal(net.X[order], np.array(ref["X"], dtype=float))
    assert_close(net.yi[order], ref["yi"], "elementary", f"{name}.yi")
    for res, block in ((rma_nma(net, method="FE"), "fit_common"),
                       (rma_nma(net, tau2=0.1), "fit_tau2_fixed")):  # fmt: skip
        theirs_fit = ref[block]
        assert res.n_par == theirs_fit["n_par"] and res.QE_df == theirs_fit["QE_df"]
        assert_close(res.beta, theirs_fit["estimate"], "closed", f"{name}.{block}.estimate")
        for key in ORDER_STATS:
            assert_close(getattr(res, key), theirs_fit[key], "closed", f"{name}.{block}.{key}")


def test_the_baseline_changes_the_reml_likelihood_by_a_constant() -> None:
    # the same data, with s10's baseline D (R's order) or b (code points): the fits agree
    # but 1/2 log|X'X| of ll_REML, and so AIC and BIC (REML), differ
    ours = rma_nma(order_network("mixed_case"), method="FE")
    code_points = rma_nma(order_network("mixed_case_C"), method="FE")
    ref = load(ORDER)["networks"]
    for a, b in (("B", "A"), ("b", "D"), ("C", "b")):
        assert ours.contrast(a, b)["estimate"] == pytest.approx(
            code_points.contrast(a, b)["estimate"], rel=1e-10
        )
    assert ours.QE == pytest.approx(code_points.QE, rel=1e-12)
    assert ours.ll_ML == pytest.approx(code_points.ll_ML, rel=1e-12)
    gap = ref["mixed_case"]["fit_common"]["ll_REML"] - ref["mixed_case_C"]["fit_common"]["ll_REML"]
    assert abs(gap) > 1e-3
    assert ours.ll_REML - code_points.ll_REML == pytest.approx(gap, rel=1e-9)
