"""Three arguments against metafor 3.8-1: ``rma(btt=)``, ``ranktest(exact=)`` and
``predict(level=)``, ``predict(transf=)``.

Reference: ``metafor_arguments/*.json``, written by ``make_argument_fixtures.R`` on
dat.bcg (log risk ratios) and the hand-made data of ``metafor_bias``. metafor's ``btt``
is 1-based; ours is 0-based (``btt=[0, 2]`` is metafor's ``btt=c(1,3)``). REML is
compared under ``tight`` (metafor run to convergence), FE and ranktest under ``closed``
(tests/reference/metafor_tolerances.py).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from metafor_tolerances import assert_close

from metareview import rma
from metareview.bias import ranktest
from metareview.pool import _format_btt

# FE with Knapp-Hartung is among metafor's fits (it warns too)
pytestmark = pytest.mark.filterwarnings(
    "ignore:the Knapp-Hartung method is not meant for FE models"
)

HERE = Path(__file__).parent / "metafor_arguments"


def _load(name: str) -> dict[str, Any]:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


BTT = _load("btt.json")
BTT_INTRCPT = _load("btt_intrcpt.json")
RANK = _load("ranktest.json")
PRED = _load("predict.json")
TRANSF = _load("transf.json")
CONTROL = {"threshold": 1e-12, "maxiter": 10000}


def _tol(method: str) -> str:
    return "closed" if method == "FE" else "tight"


def _btt_fit(method: str, test: str, btt: Any) -> Any:
    d = BTT["data"]
    mods = {"ablat": np.array(d["ablat"]), "year": np.array(d["year"])}
    control = None if method == "FE" else CONTROL
    return rma(d["yi"], d["vi"], method=method, test=test, mods=mods, control=control, btt=btt)


def _as_ours(name: str) -> Any:
    """metafor's btt (a 1-based subset, or a regular expression) in our reading."""
    if name in ("ablat", "year"):
        return name
    if ":" in name:
        lo, hi = (int(x) for x in name.split(":"))
        return list(range(lo - 1, hi))
    return [int(x) - 1 for x in name.split(",")]


BTT_CASES = [(fit, name) for fit, blk in sorted(BTT["fits"].items()) for name in blk["btt"]]


@pytest.mark.parametrize(("fit", "name"), BTT_CASES, ids=[f"{f}-{n}" for f, n in BTT_CASES])
def test_the_omnibus_test_of_each_btt_is_metafors(fit: str, name: str) -> None:
    blk = BTT["fits"][fit]
    ref = blk["btt"][name]
    res = _btt_fit(blk["method"], blk["test"], _as_ours(name))
    assert res.btt == tuple(j - 1 for j in ref["btt"])
    assert res.QMdf == tuple(ref["QMdf"])
    assert_close(res.QM, ref["QM"], _tol(blk["method"]), f"{fit} btt={name} QM")
    assert_close(res.QMp, ref["QMp"], _tol(blk["method"]), f"{fit} btt={name} QMp")
    # print.rma.uni's heading of the test names the coefficients 1-based, as metafor
    assert ref["heading"] in res.summary().splitlines()


@pytest.mark.parametrize("fit", sorted(BTT["fits"]))
def test_names_select_as_their_indices_and_the_rest_of_the_fit_is_untouched(fit: str) -> None:
    blk = BTT["fits"][fit]
    default = _btt_fit(blk["method"], blk["test"], None)
    by_name = _btt_fit(blk["method"], blk["test"], ["intrcpt", "year"])
    ref = blk["btt"]["1,3"]
    assert by_name.btt == (0, 2)
    assert_close(by_name.QM, ref["QM"], _tol(blk["method"]), f"{fit} QM by name")
    # the default is metafor's: every coefficient but the intercept
    assert default.btt == (1, 2)
    assert_close(default.QM, blk["btt"]["2,3"]["QM"], _tol(blk["method"]), f"{fit} default QM")
    for key in ("beta", "se_beta", "pval_beta", "ci_lb_beta", "ci_ub_beta", "vb"):
        np.testing.assert_array_equal(getattr(by_name, key), getattr(default, key))
    assert by_name.tau2 == default.tau2 and by_name.QE == default.QE and by_name.R2 == default.R2


def test_btt_the_default_selects_gives_the_same_result_byte_for_byte() -> None:
    d = BTT["data"]
    a = rma(d["yi"], d["vi"], mods=np.array(d["ablat"]), control=CONTROL)
    b = rma(d["yi"], d["vi"], mods=np.array(d["ablat"]), control=CONTROL, btt=1)
    assert a.to_dict() == b.to_dict() and a.summary() == b.summary()
    # without moderators the intercept is the only coefficient to test
    c = rma(d["yi"], d["vi"], btt="intrcpt")
    assert c.btt == (0,) and c.QM == rma(d["yi"], d["vi"]).QM


@pytest.mark.parametrize("columns", sorted(BTT_INTRCPT["renamed"]))
def test_repeated_coefficient_names_are_made_unique_as_metafor_makes_them(columns: str) -> None:
    # A column named intrcpt, or named as a renamed coefficient will be: metafor renames in
    # turn, once per name of the original list, so some names gain two suffixes and one
    # set keeps a repeat (x.1, x, x give x.1, x.1, x.2).
    ref = BTT_INTRCPT["renamed"][columns]
    d = BTT["data"]
    year = np.array(d["year"])
    frame = pd.DataFrame(np.column_stack([d["ablat"], year, year**2]), columns=ref["columns"])
    assert list(rma(d["yi"], d["vi"], mods=frame, method="FE").coef_names) == ref["coef_names"]
    for name in {n for n in ref["coef_names"] if ref["coef_names"].count(n) > 1}:
        # a name left twice would test the first of the two only, without a word
        with pytest.raises(ValueError, match="name more than one of the coefficients"):
            rma(d["yi"], d["vi"], mods=frame, method="FE", btt=[name])


@pytest.mark.parametrize("fit", sorted(BTT_INTRCPT["fits"]))
def test_btt_with_a_moderator_named_intrcpt_is_metafors(fit: str) -> None:
    # metafor names the intercept intrcpt.1 and the column intrcpt.2, and reads
    # btt = "intrcpt" as a regular expression found in both names
    blk = BTT_INTRCPT["fits"][fit]
    d = BTT_INTRCPT["data"]
    mods = {"intrcpt": np.array(d["intrcpt"]), "year": np.array(d["year"])}
    control = None if blk["method"] == "FE" else CONTROL
    ours = {"intrcpt": "intrcpt", "intrcpt.1": ["intrcpt.1"], "intrcpt.2": ["intrcpt.2"], "1": 0, "2": 1}
    assert set(ours) == set(blk["btt"])
    for theirs, btt in ours.items():
        res = rma(d["yi"], d["vi"], method=blk["method"], test=blk["test"], mods=mods,
                  control=control, btt=btt)  # fmt: skip
        want = blk["btt"][theirs]
        assert list(res.coef_names) == BTT_INTRCPT["coef_names"]
        assert [j + 1 for j in res.btt] == want["btt"], theirs
        assert_close(res.QM, want["QM"], _tol(blk["method"]), f"{fit} {theirs} QM")
        assert_close(res.QMp, want["QMp"], _tol(blk["method"]), f"{fit} {theirs} QMp")
        assert list(res.QMdf) == want["QMdf"], theirs


def test_a_saved_model_names_the_coefficients_its_qm_tests_when_not_the_default() -> None:
    # Its QM is that of the intercept and ablat: saved without btt, it would read as the
    # default test of ablat alone. The default saves no btt (the output stays as it was).
    d = BTT["data"]
    res = rma(d["yi"], d["vi"], mods=np.array(d["ablat"]), control=CONTROL, btt=[0, 1])
    saved = res.to_dict()
    assert saved["btt"] == [0, 1] and saved["QMdf"][0] == 2
    assert "btt" not in rma(d["yi"], d["vi"], mods=np.array(d["ablat"]), control=CONTROL).to_dict()


@pytest.mark.parametrize(
    ("btt", "shown"),
    [((0, 2, 3), "1,3:4"), ((0, 1, 2, 4), "1:3,5"), ((1, 3, 5), "2,4,6"), ((0, 1, 3, 4), "1:2,4:5"),
     ((2,), "3")],
)  # fmt: skip
def test_coefficients_are_named_as_metafor_prints_them(btt: tuple[int, ...], shown: str) -> None:
    # metafor:::.format.btt(c(1, 3, 4)) and so on, 1-based, from R
    assert _format_btt(btt) == shown


@pytest.mark.parametrize(
    ("btt", "message"),
    [
        ([-1], "negative indices"),
        ([3], "beyond the p = 3 coefficients"),
        ([], "selects no coefficient"),
        ("^slope$", "matches none of the coefficients"),
        (["ablat", "lat"], r"names \['lat'\], not among"),
        ([1.0], "0-based integer indices"),
        ([True], "0-based integer indices"),
        ("(", "not a regular expression"),
    ],
)
def test_a_btt_that_selects_no_coefficient_is_refused(btt: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _btt_fit("FE", "z", btt)


def test_a_btt_beyond_an_intercept_only_model_is_refused() -> None:
    d = BTT["data"]
    with pytest.raises(ValueError, match="beyond the p = 1 coefficients"):
        rma(d["yi"], d["vi"], btt=[1])


def test_the_omnibus_test_by_hand() -> None:
    # FE, btt = c(1, 3) in metafor: QM = b' V^-1 b over the intercept and year, formed
    # here with numpy's explicit inverse rather than the library's Cholesky solve
    res = _btt_fit("FE", "z", [0, 2])
    b = res.beta[[0, 2]]
    V = res.vb[np.ix_([0, 2], [0, 2])]
    assert res.QM == pytest.approx(float(b @ np.linalg.inv(V) @ b), rel=1e-12)
    kh = _btt_fit("FE", "knha", [0, 2])
    b, V = kh.beta[[0, 2]], kh.vb[np.ix_([0, 2], [0, 2])]
    assert kh.QM == pytest.approx(float(b @ np.linalg.inv(V) @ b) / 2, rel=1e-12)


@pytest.mark.parametrize("case", sorted(RANK["cases"]))
@pytest.mark.parametrize("exact", [True, False])
def test_ranktest_exact_and_approximate_are_metafors(case: str, exact: bool) -> None:
    ref = RANK["cases"][case]
    want = ref["exact_true" if exact else "exact_false"]
    res = ranktest(yi=ref["yi"], vi=ref["vi"], exact=exact)
    assert res.ties is ref["ties"]
    assert res.exact_pvalue is (exact and not ref["ties"] and ref["k"] <= 170)
    assert_close(res.tau, want["tau"], "closed", f"{case} tau")
    if want["pval"] is None:
        # R's exact routine overflows above n = 170 (NaN); ours uses the approximation
        assert ref["k"] > 170
        assert_close(res.pval, ref["exact_false"]["pval"], "closed", f"{case} pval")
    else:
        assert_close(res.pval, want["pval"], "closed", f"{case} pval")


def test_ranktest_of_a_model_passes_exact_on() -> None:
    ref = RANK["cases"]["dat_bcg"]
    res = rma(ref["yi"], ref["vi"])
    assert_close(res.ranktest(exact=False).pval, ref["exact_false"]["pval"], "closed", "pval")
    assert res.ranktest().pval == ranktest(res).pval
    with pytest.raises(TypeError, match="exact must be True or False"):
        ranktest(res, exact="no")  # type: ignore[arg-type]


def test_ranktest_k3_by_hand() -> None:
    # three studies ranked alike: one of the 3! orders has all pairs concordant, so
    # the exact two-sided p is 2/6; the approximation is 2 (1 - Phi(3 / sqrt(3 * 2 * 11 /
    # 18))) = 0.1171850871981381 (R: 2 * pnorm(3 / sqrt(11 / 3), lower.tail = FALSE))
    ref = RANK["cases"]["synthetic_k3"]
    assert ranktest(yi=ref["yi"], vi=ref["vi"]).pval == pytest.approx(1 / 3, rel=1e-12)
    assert ranktest(yi=ref["yi"], vi=ref["vi"], exact=False).pval == pytest.approx(
        0.1171850871981381, rel=1e-12
    )


PRED_CASES = [(c, lev) for c, blk in sorted(PRED["cases"].items()) for lev in blk["predict"]]


@pytest.mark.parametrize(("case", "which"), PRED_CASES, ids=[f"{c}-{w}" for c, w in PRED_CASES])
def test_predict_at_another_level_is_metafors(case: str, which: str) -> None:
    blk = PRED["cases"][case]
    ref = blk["predict"][which]
    d = PRED["data"]
    mods = None if blk["mods"] is None else np.array(d["ablat"])
    control = None if blk["method"] == "FE" else CONTROL
    res = rma(
        d["yi"],
        d["vi"],
        method=blk["method"],
        test=blk["test"],
        level=blk["model_level"],
        mods=mods,
        control=control,
    )
    pr = res.predict(newmods=blk["newmods"], pi_type=ref["pi_type"], level=ref["level"])
    tol = _tol(blk["method"])
    for key in ("pred", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub"):
        ours = getattr(pr, key)
        assert_close(
            None if ours is None else np.ravel(ours), ref[key], tol, f"{case} {which} {key}"
        )
    # The level metafor was given (90, 99, or 0.9 read as 90%), in percent: the result says
    # which intervals it holds, where metafor's keeps no level and the model's was another.
    percent = ref["level"] if ref["level"] >= 1 else 100 * ref["level"]
    assert pr.level == pytest.approx(percent, abs=1e-12)
    assert pr.to_dict()["level"] == pr.level
    intervals = "confidence intervals" if blk["method"] == "FE" else "confidence and prediction intervals"
    assert pr.summary().splitlines()[-1] == f"{percent:g}% {intervals}"


def test_predict_without_a_level_keeps_the_models() -> None:
    d = PRED["data"]
    res = rma(d["yi"], d["vi"], level=90, control=CONTROL)
    at_90 = rma(d["yi"], d["vi"], control=CONTROL).predict(level=90)
    assert res.predict().to_dict() == at_90.to_dict()
    assert res.predict(level=0.9).to_dict() == at_90.to_dict()
    assert at_90.level == 90.0 and res.predict().level == 90.0
    # a model's own level given as alpha is reported as the percentage it stands for
    assert rma(d["yi"], d["vi"], level=0.2, control=CONTROL).predict().level == 80.0
    with pytest.raises(ValueError, match="level must be a percentage"):
        res.predict(level=100)


def test_predict_summary_is_metafors_table_rounded() -> None:
    # metafor 3.8-1: print(predict(res, level = 90)) for the REML fit of the fixture data
    #     pred     se   ci.lb   ci.ub   pi.lb  pi.ub
    #  -0.7145 0.1798 -1.0102 -0.4188 -1.6815 0.2524
    d = PRED["data"]
    text = rma(d["yi"], d["vi"], control=CONTROL).predict(level=90).summary()
    header, values, blank, level = text.splitlines()
    assert header.split() == ["pred", "se", "ci.lb", "ci.ub", "pi.lb", "pi.ub"]
    assert values.split() == ["-0.7145", "0.1798", "-1.0102", "-0.4188", "-1.6815", "0.2524"]
    assert (blank, level) == ("", "90% confidence and prediction intervals")


TRANSF_CASES = [(c, t) for c, blk in sorted(TRANSF["cases"].items()) for t in blk["predict"]]
#: The functions metafor was given, by the fixture's names: exp, and a decreasing one whose
#: bounds come out swapped unless put back in order.
TRANSF_FUNCTIONS = {"exp": math.exp, "negate": lambda x: -x}


@pytest.mark.parametrize(("case", "which"), TRANSF_CASES, ids=[f"{c}-{w}" for c, w in TRANSF_CASES])
def test_predict_with_a_transformation_is_metafors(case: str, which: str) -> None:
    blk = TRANSF["cases"][case]
    ref = blk["predict"][which]
    d = TRANSF["data"]
    mods = None if blk["mods"] is None else np.array(d["ablat"])
    control = None if blk["method"] == "FE" else CONTROL
    res = rma(d["yi"], d["vi"], method=blk["method"], test=blk["test"], mods=mods, control=control)
    pr = res.predict(newmods=blk["newmods"], pi_type=ref["pi_type"], transf=TRANSF_FUNCTIONS[ref["transf"]])
    for key in ("pred", "ci_lb", "ci_ub", "pi_lb", "pi_ub"):
        ours = getattr(pr, key)
        assert_close(None if ours is None else np.ravel(ours), ref[key], _tol(blk["method"]), f"{case} {which} {key}")
    # metafor's se is NA once transformed: no standard error carries over.
    assert pr.se is None and all(v is None for v in ref["se"])


def test_predict_transf_takes_numpy_functions_and_refuses_what_is_not_one() -> None:
    d = TRANSF["data"]
    res = rma(d["yi"], d["vi"], mods=np.array(d["ablat"]), control=CONTROL)
    assert res.predict(transf=np.exp).to_dict() == res.predict(transf=math.exp).to_dict()
    with pytest.raises(TypeError, match="transf must be a function"):
        res.predict(transf="exp")  # type: ignore[arg-type]


def test_btt_of_a_weighted_meta_regression_is_metafors() -> None:
    # rma(yi, vi, mods = ~ ablat + I(year - 1960), weights = 1:13, btt = 1,
    #     control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)) in metafor
    # 3.8-1 (dat.bcg, log RR): QM 0.92051219692706809, QMp 0.33734052201519876, QMdf 1, NA.
    # The weighted refit is a new result: it tested the two moderators whatever btt said,
    # and its summary named "coefficients 1".
    d = BTT["data"]
    mods = np.column_stack([d["ablat"], d["year"]])
    res = rma(d["yi"], d["vi"], mods=mods, weights=np.arange(1, 14), btt=[0], control=CONTROL)
    assert res.btt == (0,) and res.QMdf == (1, None)
    assert res.QM == pytest.approx(0.92051219692706809, rel=1e-8)
    assert res.QMp == pytest.approx(0.33734052201519876, rel=1e-8)
    default = rma(d["yi"], d["vi"], mods=mods, weights=np.arange(1, 14), control=CONTROL)
    assert default.btt == (1, 2) and "Test of Moderators (coefficients 2:3):" in default.summary()


@pytest.mark.parametrize(
    ("ours", "name"),
    [([2, 0, 0], "1,3"), ([2, 1], "2,3"), (["year", "intrcpt"], "1,3"), ("lat", "ablat")],
)
def test_btt_is_read_as_metafor_sorts_and_searches_it(ours: Any, name: str) -> None:
    """metafor's .set.btt sorts btt and drops repeats (btt=c(3,1,1) tests 1 and 3), and
    reads a string with grep(), which finds "lat" inside "ablat"."""
    blk = BTT["fits"]["REML_z"]
    ref = blk["btt"][name]
    res = _btt_fit(blk["method"], blk["test"], ours)
    assert res.btt == tuple(j - 1 for j in ref["btt"])
    assert res.QMdf == tuple(ref["QMdf"])
    assert_close(res.QM, ref["QM"], _tol(blk["method"]), f"btt={ours!r} QM")
