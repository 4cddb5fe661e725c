"""funnel and forest (metareview.figures) against metafor 3.8-1's funnel.rma and
forest.rma on dat.bcg (tests/reference/make_funnel_fixtures.R).

funnel: the data frame metafor's funnel returns (x, y, slab) for every yaxis, with and
without the moderator ablat (whose x and y are rstandard's residuals and their standard
errors), under REML, FE, DL and Knapp-Hartung, and at level 90. forest: the studies'
confidence intervals, the diamond's vertices and the prediction interval as drawn, read
from the matplotlib artists, against metafor's (summary.escalc and predict), also after
transf = exp. Mantel-Haenszel and Peto fits of dat.bcg and dat.nielweise2007
(tests/reference/make_mh_plots_fixtures.R): funnel's points and forest's intervals,
diamond and annotations, drawn from the studies' escalc'd yi and vi, and their
rstandard and residuals.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
from metafor_tolerances import CLOSED_FORM_METHODS, assert_close

from metareview.diagnostics import residuals, rstandard
from metareview.figures import forest, funnel
from metareview.mh import MHResult, PetoResult, rma_mh, rma_peto
from metareview.pool import RMAResult, rma

matplotlib.use("Agg")

HERE = Path(__file__).parent
D = json.loads((HERE / "metafor_funnel" / "dat.bcg__RR.json").read_text(encoding="utf-8"))
CASES = D["cases"]


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def _fit(c: dict[str, Any]) -> RMAResult:
    return rma(D["yi"], D["vi"], mods={"ablat": D["ablat"]} if c["mods"] else None,
               method=c["method"], test=c["test"], level=c["level"], slab=D["slab"])  # fmt: skip


def _tol(c: dict[str, Any]) -> str:
    return "closed" if c["method"] in CLOSED_FORM_METHODS else "tight"


def test_the_fixture_covers_models_with_and_without_moderators() -> None:
    assert {bool(c["mods"]) for c in CASES.values()} == {False, True}
    assert {c["method"] for c in CASES.values()} == {"REML", "FE", "DL"}
    assert all(set(c["funnel"]) == {"sei", "vi", "seinv", "vinv"} for c in CASES.values())


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("yaxis", ["sei", "vi", "seinv", "vinv"])
def test_funnel_plots_metafors_points(case: str, yaxis: str) -> None:
    c = CASES[case]
    ref = c["funnel"][yaxis]
    fp = funnel(_fit(c), yaxis=yaxis)
    assert_close(fp.x, ref["x"], _tol(c), f"{case} {yaxis}: x")
    assert_close(fp.y, ref["y"], _tol(c), f"{case} {yaxis}: y")
    assert list(fp.slab) == ref["slab"]
    assert_close(fp.refline, c["refline"], _tol(c), f"{case}: refline")
    # the points drawn are those returned
    (points,) = fp.ax.collections[-1:]
    np.testing.assert_array_equal(points.get_offsets(), np.column_stack([fp.x, fp.y]))


@pytest.mark.parametrize("case", [k for k, c in CASES.items() if "forest" in c])
@pytest.mark.parametrize("exp", [False, True])
def test_forest_draws_metafors_intervals(case: str, exp: bool) -> None:
    c = CASES[case]
    F = c["forest"]
    fo = forest(_fit(c), transf=np.exp if exp else None, refline=1.0 if exp else 0.0, addpred=True)
    t = np.exp if exp else (lambda a: np.asarray(a, dtype=float))
    pre = "exp_" if exp else ""
    # the drawn segments: one per study, first study on top, at metafor's bounds
    segments = fo.ci_lines.get_segments()
    assert len(segments) == len(F["yi"])
    lb = np.array([s[0][0] for s in segments])
    ub = np.array([s[1][0] for s in segments])
    rows = np.array([s[0][1] for s in segments])
    assert_close(lb, t(F["ci_lb"]), "closed", f"{case}: ci_lb")
    assert_close(ub, t(F["ci_ub"]), "closed", f"{case}: ci_ub")
    assert list(rows) == list(range(len(rows), 0, -1))
    # the diamond's vertices: (ci_lb, -1), (estimate, above), (ci_ub, -1), (estimate, below)
    xy = fo.diamond_patch.get_xy()[:4]
    assert_close(xy[:, 0], [F[pre + "ci_lb_model"], F[pre + "estimate"], F[pre + "ci_ub_model"],
                            F[pre + "estimate"]], _tol(c), f"{case}: diamond")  # fmt: skip
    assert xy[0, 1] == xy[2, 1] == -1.0 and xy[1, 1] > -1.0 > xy[3, 1]
    if F["pi_lb"] is None:
        assert fo.pi_line is None and fo.pi is None
    else:
        assert_close(fo.pi_line.get_xdata(), [F[pre + "pi_lb"], F[pre + "pi_ub"]], _tol(c),
                     f"{case}: prediction interval")  # fmt: skip
    # the annotation of the model, as metafor's annotate = TRUE writes it (2 decimals)
    est, lo, hi = (F[pre + k] for k in ("estimate", "ci_lb_model", "ci_ub_model"))
    assert fo.annotations[-1] == f"{est:.2f} [{lo:.2f}, {hi:.2f}]"
    texts = [x.get_text() for x in fo.ax.texts]
    assert texts == list(fo.annotations)


def test_forest_draws_no_prediction_interval_unless_asked_as_metafor() -> None:
    # forest.rma's default addpred (metafor 3.8-1: FALSE)
    assert D["forest_addpred_default"] is False
    fo = forest(_fit(CASES["REML_z_none_95"]))
    assert fo.pi is None and fo.pi_line is None


@pytest.mark.parametrize("case", list(D["forest_annotations"]))
@pytest.mark.parametrize("exp", [False, True])
def test_forest_annotations_are_metafors_strings(case: str, exp: bool) -> None:
    # forest.rma's text, padded per column to the widest entry (formatC(width =)):
    # " 0.45 [-0.98,  1.88]" beside "-0.34 [-0.56, -0.12]"
    ref = D["forest_annotations"][case]["exp" if exp else "default"]
    fo = forest(_fit(CASES[case]), transf=np.exp if exp else None)
    by_label = dict(zip(fo.slab, fo.annotations[:-1], strict=True))
    assert [by_label[label] for label in ref["slab"]] == ref["text"][:-1]
    assert fo.annotations[-1] == ref["text"][-1]


# Mantel-Haenszel and Peto fits (tests/reference/make_mh_plots_fixtures.R): metafor draws
# the studies' escalc'd yi.f/vi.f (the study without yi left out) about the pooled estimate
MH = json.loads((HERE / "metafor_funnel" / "mh_peto.json").read_text(encoding="utf-8"))["cases"]


def _fit_mh(c: dict[str, Any]) -> MHResult | PetoResult:
    cells = {n: c[n] for n in ("ai", "bi", "ci", "di", "n1i", "n2i") if c.get(n) is not None}
    with warnings.catch_warnings():
        # dat.nielweise2007's double-zero table: "Some yi/vi values are NA", as metafor
        warnings.simplefilter("ignore", UserWarning)
        if c["fit"] == "mh":
            return rma_mh(**cells, measure=c["measure"], level=c["level"], slab=c["slab"])
        return rma_peto(**cells, level=c["level"], slab=c["slab"])


def test_the_mh_fixture_covers_both_fits_and_a_study_without_yi() -> None:
    assert {(c["fit"], c["measure"]) for c in MH.values()} == {
        ("mh", "OR"), ("mh", "RR"), ("peto", "OR")}  # fmt: skip
    # dat.nielweise2007's double-zero table has no yi: one study fewer is drawn
    assert any(len(c["funnel"]["sei"]["x"]) < len(c["slab"]) for c in MH.values())


@pytest.mark.parametrize("case", list(MH))
@pytest.mark.parametrize("yaxis", ["sei", "vi", "seinv", "vinv"])
def test_funnel_of_mh_and_peto_fits_plots_metafors_points(case: str, yaxis: str) -> None:
    c = MH[case]
    ref = c["funnel"][yaxis]
    fp = funnel(_fit_mh(c), yaxis=yaxis)
    assert_close(fp.x, ref["x"], "closed", f"{case} {yaxis}: x")
    assert_close(fp.y, ref["y"], "closed", f"{case} {yaxis}: y")
    assert list(fp.slab) == ref["slab"]
    assert_close(fp.refline, c["refline"], "closed", f"{case}: refline")
    (points,) = fp.ax.collections[-1:]
    np.testing.assert_array_equal(points.get_offsets(), np.column_stack([fp.x, fp.y]))


@pytest.mark.parametrize("case", list(MH))
@pytest.mark.parametrize("exp", [False, True])
def test_forest_of_mh_and_peto_fits_draws_metafors_intervals(case: str, exp: bool) -> None:
    c = MH[case]
    F = c["forest"]
    fo = forest(_fit_mh(c), transf=np.exp if exp else None, refline=1.0 if exp else 0.0,
                addpred=True)  # fmt: skip
    t = np.exp if exp else (lambda a: np.asarray(a, dtype=float))
    pre = "exp_" if exp else ""
    segments = fo.ci_lines.get_segments()
    assert len(segments) == len(F["yi"])
    assert_close([s[0][0] for s in segments], t(F["ci_lb"]), "closed", f"{case}: ci_lb")
    assert_close([s[1][0] for s in segments], t(F["ci_ub"]), "closed", f"{case}: ci_ub")
    assert_close(fo.yi, t(F["yi"]), "closed", f"{case}: yi")
    xy = fo.diamond_patch.get_xy()[:4]
    assert_close(xy[:, 0], [F[pre + "ci_lb_model"], F[pre + "estimate"], F[pre + "ci_ub_model"],
                            F[pre + "estimate"]], "closed", f"{case}: diamond")  # fmt: skip
    # an equal-effects fit: no prediction interval even when asked, as metafor
    assert fo.pi is None and fo.pi_line is None
    assert fo.ax.get_yticklabels()[-1].get_text() == "FE Model"


@pytest.mark.parametrize("case", list(MH))
@pytest.mark.parametrize("exp", [False, True])
def test_forest_of_mh_and_peto_fits_writes_metafors_annotations(case: str, exp: bool) -> None:
    ref = MH[case]["annotations"]["exp" if exp else "default"]
    fo = forest(_fit_mh(MH[case]), transf=np.exp if exp else None)
    by_label = dict(zip(fo.slab, fo.annotations[:-1], strict=True))
    assert sorted(by_label) == sorted(ref["slab"])
    assert [by_label[label] for label in ref["slab"]] == ref["text"][:-1]
    assert fo.annotations[-1] == ref["text"][-1]


def test_funnel_and_forest_still_refuse_what_is_not_a_fit() -> None:
    c = MH["dat.bcg_mh_OR_95"]
    for f in (funnel, forest):
        with pytest.raises(TypeError, match=r"(takes|expects) a model fitted by rma\(\)"):
            f({"yi": c["forest"]["yi"]})  # type: ignore[arg-type]


RESID = json.loads((HERE / "metafor_funnel" / "mh_peto.json").read_text(encoding="utf-8"))[
    "residuals"
]


@pytest.mark.parametrize("case", list(MH))
def test_rstandard_and_residuals_of_mh_and_peto_fits_are_metafors(case: str) -> None:
    ref = RESID[case]
    res = _fit_mh(MH[case])
    rs = rstandard(res)
    for name in ("resid", "se", "z"):
        assert_close(getattr(rs, name), ref["rstandard"][name], "closed", f"{case}: {name}")
    assert list(rs.slab) == ref["rstandard"]["slab"]
    # "response": one per table pooled, NA (nan) for dat.nielweise2007's table without yi
    response = np.array([np.nan if v is None else v for v in ref["response"]], dtype=float)
    assert_close(residuals(res), response, "closed", f"{case}: response")
    # "pearson" is metafor's "rstandard" for these fits
    assert_close(residuals(res, type="pearson"), ref["pearson"], "closed", f"{case}: pearson")
    assert_close(residuals(res, type="rstandard"), ref["pearson"], "closed", f"{case}: z")
    # metafor refuses Cholesky residuals of these fits; so does metareview
    assert "not available" in ref["cholesky_error"]
    with pytest.raises(ValueError, match="not offered for a Mantel-Haenszel or Peto fit"):
        residuals(res, type="cholesky")
    with pytest.raises(ValueError, match='only type="marginal"'):
        rstandard(res, type="conditional")
