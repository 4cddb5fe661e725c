"""Unit tests of metareview.network: input errors, invariances and reductions.

The numbers themselves are compared with metafor in
``tests/reference/test_nma_metafor.py``; here: what the functions refuse and why, and
properties any correct NMA has (no dependence on the reference or the order of the
arms, a two-treatment network is a pairwise meta-analysis, the covariance of two
contrasts is what makes their difference the escalc of the two arms).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import metareview
from metareview.effects import escalc
from metareview.network import nma_contrasts, rma_nma
from metareview.pool import rma

# A small MD network: A, B, C, D with one three-arm trial (s3) and a loop A-B-C.
MD_ARMS: dict[str, list[Any]] = {
    "study": ["s1", "s1", "s2", "s2", "s3", "s3", "s3", "s4", "s4", "s5", "s5", "s6", "s6"],
    "treatment": ["A", "B", "A", "C", "A", "B", "C", "B", "D", "A", "B", "C", "D"],
    "mi": [1.0, 0.4, 1.1, 0.2, 0.9, 0.5, 0.1, 0.6, 0.0, 2.0, 0.0, 0.4, 0.1],
    "sdi": [1.0, 1.1, 0.9, 1.2, 1.0, 1.0, 1.1, 0.8, 0.9, 1.2, 1.0, 1.0, 1.1],
    "ni": [50, 48, 40, 42, 30, 31, 29, 60, 61, 35, 36, 45, 44],
}
BIN_ARMS: dict[str, list[Any]] = {
    "study": [1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
    "treatment": ["P", "X", "Y", "P", "X", "P", "Y", "X", "Y", "P", "X"],
    "xi": [10, 20, 15, 8, 14, 12, 19, 11, 13, 9, 16],
    "ni": [100, 98, 101, 80, 82, 90, 88, 70, 72, 60, 61],
}


def md(**kw: Any) -> Any:
    arms = {**MD_ARMS, **kw.pop("arms", {})}
    return nma_contrasts(
        arms["study"],
        arms["treatment"],
        measure="MD",
        mi=arms["mi"],
        sdi=arms["sdi"],
        ni=arms["ni"],
        **kw,
    )


# ------------------------------------------------------------------ input errors


def test_disconnected_network_is_refused_naming_the_parts() -> None:
    arms = {
        "study": ["a", "a", "b", "b"],
        "treatment": ["A", "B", "C", "D"],
        "mi": [1.0, 0.0, 1.0, 0.0],
        "sdi": [1.0] * 4,
        "ni": [10] * 4,
    }
    with pytest.raises(ValueError, match=r"not connected.*A, B; C, D"):
        md(arms=arms)


def test_a_named_treatment_without_arms_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\['E'\] has no arm"):
        md(treatments=["A", "B", "C", "D", "E"])
    with pytest.raises(ValueError, match=r"arms of treatment \['D'\]"):
        md(treatments=["A", "B", "C"])


def test_a_study_with_one_arm_is_refused() -> None:
    arms = {k: [*v, v[0]] for k, v in MD_ARMS.items()}
    arms["study"][-1] = "lonely"
    with pytest.raises(ValueError, match=r"study 'lonely' has one arm \('A'\)"):
        md(arms=arms)


def test_two_arms_of_one_treatment_in_a_study_are_refused() -> None:
    arms = {k: list(v) for k, v in MD_ARMS.items()}
    arms["treatment"][1] = "A"
    with pytest.raises(ValueError, match="study 's1' has two arms of one treatment"):
        md(arms=arms)


def test_unknown_reference_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"reference 'Z' is not a treatment.*\['A', 'B', 'C', 'D'\]"
    ):
        md(reference="Z")


@pytest.mark.parametrize("column, value", [("sdi", 0.0), ("ni", 0), ("sdi", -1.0)])
def test_non_positive_arm_variances_are_refused(column: str, value: float) -> None:
    arms = {k: list(v) for k, v in MD_ARMS.items()}
    arms[column][3] = value
    with pytest.raises(ValueError, match=r"arm rows \[3\].*must be positive"):
        md(arms=arms)


def test_missing_arm_data_is_refused() -> None:
    arms = {k: list(v) for k, v in MD_ARMS.items()}
    arms["mi"][2] = None
    with pytest.raises(ValueError, match=r"mi is missing or not finite in arm rows \[2\]"):
        md(arms=arms)


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, " "])
@pytest.mark.parametrize("column", ["study", "treatment"])
def test_a_missing_study_or_treatment_is_refused(column: str, missing: Any) -> None:
    # not a node or study called 'None' or 'nan'
    arms = {k: list(v) for k, v in MD_ARMS.items()}
    arms[column][5] = missing
    with pytest.raises(
        ValueError,
        match=rf"{column} is missing \(None, NaN or blank\) in arm rows \[5\] \(0-based\)",
    ):
        md(arms=arms)


def test_arm_statistics_the_measure_does_not_use_are_refused() -> None:
    with pytest.raises(ValueError, match=r"measure 'MD' takes mi, sdi and ni per arm, not xi"):
        md(xi=[1] * len(MD_ARMS["study"]))
    b = BIN_ARMS
    for measure in ("OR", "RR", "RD"):
        with pytest.raises(
            ValueError, match=rf"measure '{measure}' takes xi and ni.*not mi or sdi"
        ):
            nma_contrasts(b["study"], b["treatment"], measure=measure, xi=b["xi"], ni=b["ni"],
                          mi=b["xi"], sdi=b["ni"])  # fmt: skip
        with pytest.raises(ValueError, match=r"not sdi; means and SDs need measure 'MD'"):
            nma_contrasts(b["study"], b["treatment"], measure=measure, xi=b["xi"], ni=b["ni"],
                          sdi=b["ni"])  # fmt: skip


def test_zero_cells_without_correction_are_refused() -> None:
    arms = {**BIN_ARMS, "xi": [0, *BIN_ARMS["xi"][1:]]}
    with pytest.raises(ValueError, match="not positive and finite.*continuity correction"):
        nma_contrasts(
            arms["study"], arms["treatment"], measure="OR", xi=arms["xi"], ni=arms["ni"], to="none"
        )


def test_events_above_arm_size_are_refused() -> None:
    arms = {**BIN_ARMS, "xi": [101, *BIN_ARMS["xi"][1:]]}
    with pytest.raises(ValueError, match=r"arm rows \[0\].*0 <= xi <= ni"):
        nma_contrasts(arms["study"], arms["treatment"], measure="OR", xi=arms["xi"], ni=arms["ni"])


def test_unsupported_measure_and_unequal_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="measure must be one of"):
        nma_contrasts(["a", "a"], ["A", "B"], measure="SMD")
    with pytest.raises(ValueError, match="one per arm"):
        nma_contrasts(["a", "a"], ["A"], measure="MD")


def test_rma_nma_refuses_bad_arguments() -> None:
    net = md()
    with pytest.raises(ValueError, match="method must be one of"):
        rma_nma(net, method="DL")
    with pytest.raises(ValueError, match="tau2 must be"):
        rma_nma(net, tau2=-0.1)
    for common in ("FE", "EE", "CE"):  # not ignored: the fit would not be what was asked
        with pytest.raises(ValueError, match=rf"tau2 = 0.1 was given with method '{common}'"):
            rma_nma(net, method=common, tau2=0.1)
    with pytest.raises(ValueError, match="come from the NMAContrasts"):
        rma_nma(net, V=net.V)
    V = np.array(net.V)
    V[0, 1] += 0.01
    with pytest.raises(ValueError, match=r"V is not symmetric: V\[0, 1\] = .* but V\[1, 0\]"):
        rma_nma(net.yi, V, net.X)
    with pytest.raises(ValueError, match=r"V must be a 7 x 7 matrix.*got shape \(7, 6\)"):
        rma_nma(net.yi, net.V[:, :-1], net.X)
    with pytest.raises(ValueError, match="full column rank"):
        rma_nma(net.yi, net.V, np.column_stack([net.X, net.X[:, 0]]))
    V = np.array(net.V)
    V[2, 2] = 0.0
    with pytest.raises(ValueError, match="non-positive variances"):
        rma_nma(net.yi, V, net.X)


def test_v_asymmetric_within_rs_tolerance_is_accepted_and_symmetrised() -> None:
    # metafor's rma.mv takes V when R's isSymmetric does: a mean relative difference of
    # V and V' up to 100 * eps (2.2e-14); V built by arithmetic can miss exact symmetry
    net = md()
    exact = rma_nma(net.yi, net.V, net.X, study=net.study)
    i, j = [r for r, s in enumerate(net.study) if s == "s3"]  # two rows of one trial
    for rel, accepted in ((1e-16, True), (1e-14, True), (1e-13, False)):
        V = np.array(net.V)
        V[i, j] *= 1.0 + rel
        if not accepted:
            with pytest.raises(
                ValueError,
                match=r"mean relative difference [0-9.e-]+, above R's isSymmetric tolerance 2.22e-14",
            ):
                rma_nma(net.yi, V, net.X, study=net.study)
            continue
        res = rma_nma(net.yi, V, net.X, study=net.study)
        np.testing.assert_allclose(res.beta, exact.beta, rtol=1e-12)
        assert res.tau2 == pytest.approx(exact.tau2, rel=1e-10)


def test_league_needs_the_network() -> None:
    net = md()
    res = rma_nma(net.yi, net.V, net.X, study=net.study)
    with pytest.raises(ValueError, match="basic parameters"):
        res.league()


def test_nodesplit_refusals() -> None:
    res = rma_nma(md())
    with pytest.raises(ValueError, match="variant must be"):
        res.nodesplit("A", "B", variant="both")
    with pytest.raises(ValueError, match="'Z' is not a treatment"):
        res.nodesplit("A", "Z")
    with pytest.raises(ValueError, match="no study compares 'A' and 'D'"):
        res.nodesplit("A", "D")
    with pytest.raises(ValueError, match=r"\['s3'\].*more than two arms"):
        res.nodesplit("A", "C")
    # without s6 (C-D), B-D is D's only link to A, B and C: nothing indirect is left
    bd = rma_nma(md(arms={k: v[:-2] for k, v in MD_ARMS.items()}))
    with pytest.raises(ValueError, match=r"no indirect evidence.*\['D'\]"):
        bd.nodesplit("B", "D")
    with pytest.raises(ValueError, match="no indirect evidence.*not connected"):
        bd.nodesplit("B", "D", variant="single")


# ------------------------------------------------------------------ invariances


def test_baseline_rule_and_row_order() -> None:
    net = md(reference="D")
    # s1 (A, B): no reference, so the last treatment in sorted order, B, is the baseline
    assert net.study[:1] == ("s1",) and (net.treatment1[0], net.treatment2[0]) == ("A", "B")
    # s3 (A, B, C): baseline C, rows A then B, covariance = C's arm variance
    rows = [i for i, s in enumerate(net.study) if s == "s3"]
    assert [net.treatment1[i] for i in rows] == ["A", "B"]
    assert {net.treatment2[i] for i in rows} == {"C"}
    assert net.V[rows[0], rows[1]] == pytest.approx(1.1**2 / 29, rel=1e-15)
    assert net.treatments == ("D", "A", "B", "C") and net.X_columns == ("A", "B", "C")


def test_results_do_not_depend_on_the_reference_or_the_arm_order() -> None:
    one = rma_nma(md(reference="A")).league()
    other_net = md(reference="C")
    two = rma_nma(other_net).league()
    order = [two["treatments"].index(t) for t in one["treatments"]]
    for key in ("estimate", "se", "pval"):
        np.testing.assert_allclose(two[key][np.ix_(order, order)], one[key], rtol=1e-9)
    perm = np.random.default_rng(1).permutation(len(MD_ARMS["study"]))
    shuffled = {k: [v[i] for i in perm] for k, v in MD_ARMS.items()}
    three = rma_nma(md(arms=shuffled, reference="A")).league()
    np.testing.assert_allclose(three["estimate"], one["estimate"], rtol=1e-12)


def test_two_treatments_in_two_arm_trials_is_a_pairwise_meta_analysis() -> None:
    arms = {k: v[:4] + v[9:11] for k, v in MD_ARMS.items()}  # s1, s2 (A-C), s5
    arms["treatment"] = ["A", "B", "A", "B", "A", "B"]
    net = md(arms=arms, reference="B")
    for method in ("REML", "ML", "FE"):
        nma = rma_nma(net, method=method)
        pw = rma(net.yi, net.vi, method=method)
        assert nma.beta[0] == pytest.approx(pw.estimate, rel=1e-9)
        assert nma.se[0] == pytest.approx(pw.se, rel=1e-8)
        assert nma.tau2 == pytest.approx(pw.tau2, rel=1e-8, abs=1e-14)
        assert nma.QE == pytest.approx(pw.QE, rel=1e-12)


@pytest.mark.parametrize("measure", ["OR", "RR", "RD"])
def test_shared_arm_covariance_makes_differences_the_escalc_of_two_arms(measure: str) -> None:
    net = nma_contrasts(BIN_ARMS["study"], BIN_ARMS["treatment"], measure=measure, xi=BIN_ARMS["xi"],
                        ni=BIN_ARMS["ni"], reference="P")  # fmt: skip
    studies, yi, vi = net.pairwise("X", "Y")
    assert studies == (1, 4)
    es = escalc(
        measure, ai=[20], n1i=[98], ci=[15], n2i=[101]
    )  # study 1: X vs Y, both non-baseline
    assert yi[0] == pytest.approx(float(es.yi[0]), rel=1e-12)
    assert vi[0] == pytest.approx(float(es.vi[0]), rel=1e-12)


def test_only0_corrects_every_row_of_a_study_with_a_zero_cell() -> None:
    xi = list(BIN_ARMS["xi"])
    xi[2] = 0  # study 1, arm Y: a zero cell in a three-arm trial
    net = nma_contrasts(BIN_ARMS["study"], BIN_ARMS["treatment"], measure="OR", xi=xi, ni=BIN_ARMS["ni"],
                        reference="P")  # fmt: skip
    rows = [i for i, s in enumerate(net.study) if s == 1]
    # both rows, and their covariance, use P's corrected counts
    assert net.V[rows[0], rows[1]] == pytest.approx(1 / 10.5 + 1 / 90.5, rel=1e-15)
    es = escalc("OR", ai=[20], n1i=[98], ci=[10], n2i=[100], to="all")
    assert net.yi[rows[0]] == pytest.approx(float(es.yi[0]), rel=1e-12)
    other = [i for i, s in enumerate(net.study) if s == 2]
    es2 = escalc("OR", ai=[14], n1i=[82], ci=[8], n2i=[80], to="none")
    assert net.yi[other[0]] == pytest.approx(float(es2.yi[0]), rel=1e-15)


def test_tau2_is_a_root_of_the_score_or_zero() -> None:
    from metareview.network import _score

    net = md()
    R = net.re_corr(0.5)
    for method in ("REML", "ML"):
        res = rma_nma(net, method=method)
        assert res.tau2 > 0
        scale = abs(_score(net.yi, net.V, net.X, R, 0.0, method))
        assert abs(_score(net.yi, net.V, net.X, R, res.tau2, method)) <= 1e-10 * scale
        ll = "ll_ML" if method == "ML" else "ll_REML"
        for t in (0.9 * res.tau2, 1.1 * res.tau2):
            assert getattr(rma_nma(net, method=method, tau2=t), ll) < getattr(res, ll)
    # identical effects in every trial: the score at 0 is negative and tau2 is 0
    flat = {**MD_ARMS, "mi": [0.0] * len(MD_ARMS["mi"])}
    assert rma_nma(md(arms=flat)).tau2 == 0.0


def test_raw_interface_matches_the_contrasts_interface() -> None:
    net = md()
    a = rma_nma(net)
    b = rma_nma(net.yi, net.V, net.X, study=net.study, coef_names=net.X_columns)
    np.testing.assert_array_equal(a.beta, b.beta)
    assert a.tau2 == b.tau2 and b.coef_names == a.coef_names


def test_fit_statistics_and_level() -> None:
    net = md()
    res = rma_nma(net, level=90)
    crit = 1.6448536269514722
    np.testing.assert_allclose(res.ci_ub - res.beta, crit * res.se, rtol=1e-12)
    assert res.AIC == res.AIC_REML == -2 * res.ll_REML + 2 * (res.p + 1)
    assert res.BIC_REML == pytest.approx(-2 * res.ll_REML + (res.p + 1) * math.log(res.k - res.p))
    ml = rma_nma(net, method="ML")
    assert ml.AIC == ml.AIC_ML and ml.BIC == ml.BIC_ML
    # a tau^2 given is not estimated: metafor's parms count p only
    fixed = rma_nma(net, tau2=0.05)
    assert fixed.tau2_fixed and fixed.n_par == fixed.p and fixed.tau2 == 0.05


def test_a_tree_network_has_no_residual_degrees_of_freedom() -> None:
    arms = {k: v[:4] for k, v in MD_ARMS.items()}  # s1: A-B, s2: A-C
    # metafor's rma.mv: QE = 0 and QEp = 1 without residual degrees of freedom, and
    # fitstats' BIC (REML) has log(k - p) = -Inf (R 4.2.2, metafor 3.8-1, on a tree of
    # three two-arm trials: QE 0, QEp 1, BIC -Inf for REML, ML, FE and a fixed tau2)
    for method, tau2 in (("REML", None), ("ML", None), ("FE", None), ("REML", 0.3)):
        res = rma_nma(md(arms=arms), method=method, tau2=tau2)
        assert (res.k, res.p, res.QE_df) == (2, 2, 0)
        assert res.tau2 == (tau2 or 0.0)
        assert (res.QE, res.QEp) == (0.0, 1.0)
        assert res.BIC_REML == -math.inf and math.isfinite(res.BIC_ML)
        assert res.BIC == (res.BIC_ML if method == "ML" else -math.inf)


@pytest.mark.parametrize("name", ["EE", "CE"])
def test_metafors_other_names_of_the_common_effect_model(name: str) -> None:
    net = md()
    fe, other = rma_nma(net, method="FE"), rma_nma(net, method=name)
    assert other.method == name and other.tau2 == 0.0 and other.n_par == other.p
    np.testing.assert_array_equal(other.beta, fe.beta)
    assert (other.AIC, other.BIC) == (fe.AIC_REML, fe.BIC_REML)
    assert "Common-Effect" in other.summary()
    split = rma_nma(md(), method=name).nodesplit("B", "D")  # direct: a pairwise rma
    assert split["direct_fit"].tau2 == 0.0 and split["indirect_fit"].method == name
    single = rma_nma(md(), method=name).nodesplit("B", "D", variant="single")
    assert single["fit"].tau2 == 0.0


def test_to_dict_is_json_of_the_fit() -> None:
    import json

    net = md()
    res = rma_nma(net)
    out = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    for key in ("method", "k", "p", "tau2", "rho", "tau2_fixed", "QE", "QE_df", "QEp", "QM",
                "ll_ML", "ll_REML", "n_par", "tau", "AIC", "BIC", "AIC_REML", "BIC_ML"):  # fmt: skip
        assert out[key] == getattr(res, key), key
    assert out["coef_names"] == list(res.coef_names) == ["B", "C", "D"]
    for key in ("beta", "se", "pval", "ci_lb", "ci_ub", "vb"):
        np.testing.assert_array_equal(np.array(out[key]), getattr(res, key))
    c = out["contrasts"]
    assert (c["measure"], c["reference"], c["treatments"]) == ("MD", "A", ["A", "B", "C", "D"])
    assert c["study"] == list(net.study) and c["treatment2"] == list(net.treatment2)
    np.testing.assert_array_equal(np.array(c["V"]), net.V)
    np.testing.assert_array_equal(np.array(c["X"]), net.X)
    # without the network, and with numbers JSON has no value for (BIC of a tree: -Inf)
    assert rma_nma(net.yi, net.V, net.X).to_dict()["contrasts"] is None
    tree = rma_nma(md(arms={k: v[:4] for k, v in MD_ARMS.items()})).to_dict()
    assert tree["BIC_REML"] is None and tree["QEp"] == 1.0
    json.dumps(tree, allow_nan=False)


def test_summary_names_the_model_and_the_coefficients() -> None:
    text = rma_nma(md()).summary()
    assert "method: REML" in text and "QE(df = 4)" in text and "QM(df = 3)" in text
    for name in ("B", "C", "D"):
        assert any(line.startswith(name + " ") for line in text.splitlines())
    assert "'A'" in text
    assert "Common-Effect" in str(rma_nma(md(), method="FE"))


def test_package_exports_the_network_functions() -> None:
    assert metareview.rma_nma is rma_nma and metareview.nma_contrasts is nma_contrasts
    assert {"rma_nma", "nma_contrasts", "NMAResult", "NMAContrasts"} <= set(metareview.__all__)
