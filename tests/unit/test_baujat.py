"""baujat (metareview.figures) against metafor 3.8-1's baujat.rma, and what it draws.

``tests/reference/metafor_baujat/*.json`` are written by
``tests/reference/make_baujat_fixtures.R``: the data frame baujat returns (x, y, ids,
slab) and the axis labels it writes, for dat.bcg (log risk ratios) without moderators by
REML, DL, ML, FE and EE, under Knapp-Hartung, with a given tau^2, weights and a subset,
and with the moderator ablat (REML, FE) or a dummy for one study (whose refit without it
leaves y NA); for dat.hackshaw1998 (REML, DL, FE, year); and for rma.mh (OR, RR, RD) and
rma.peto fits of dat.bcg, dat.yusuf1985 table 6 and dat.collins1985a (double-zero tables
without yi: x NA; tables of missing counts left out). Every number is compared under
the tolerance table's ``*_deletion`` entries (y is a squared difference b_(-i) - b, x a
squared residual), ``closed`` for the closed-form estimators and ``tight`` for ML and
REML; the plot is read back from its matplotlib artists (Agg backend).
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
from metafor_tolerances import CLOSED_FORM_METHODS, assert_close

import metareview
from metareview import figures
from metareview.figures import BaujatPlot, baujat
from metareview.mh import MHResult, PetoResult, rma_mh, rma_peto
from metareview.pool import RMAResult, rma

matplotlib.use("Agg")
import matplotlib.pyplot as plt

DIR = Path(__file__).parents[1] / "reference" / "metafor_baujat"
MODELS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(DIR.glob("dat.*.json"))}
TABLES = json.loads((DIR / "tables.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def _fit(d: dict[str, Any], spec: dict[str, Any]) -> RMAResult:
    mods = {name: np.array(d["mods"][name], dtype=float) for name in spec["mods"]} or None
    return rma(d["yi"], d["vi"], mods=mods, method=spec["method"], test=spec["test"],
               slab=d["slab"], subset=spec.get("subset"),
               weights=d["ni"] if spec.get("weights") == "ni" else None,
               tau2=spec.get("tau2"))  # fmt: skip


def _tol(spec: dict[str, Any]) -> str:
    closed = spec["method"] in CLOSED_FORM_METHODS or "tau2" in spec
    return "closed_deletion" if closed else "tight_deletion"


def _table_fit(case: dict[str, Any]) -> MHResult | PetoResult:
    t = TABLES["tables"][case["dataset"]]
    cells = {k: [math.nan if v is None else v for v in t[k]] for k in ("ai", "n1i", "ci", "n2i")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # metafor's warnings of these data, not compared here
        if case["fit"] == "peto":
            return rma_peto(**cells, slab=t["slab"])
        return rma_mh(**cells, measure=case["measure"], slab=t["slab"])


def _check(bp: BaujatPlot, ref: dict[str, Any], tol: str, what: str) -> None:
    assert_close(bp.x, ref["x"], tol, f"{what}: x")
    assert_close(bp.y, ref["y"], tol, f"{what}: y")
    assert bp.ids.tolist() == ref["ids"], f"{what}: ids"
    assert list(bp.slab) == ref["slab"], f"{what}: slab"
    assert (bp.xlab, bp.ylab) == (ref["xlab"], ref["ylab"]), f"{what}: labels"
    assert (bp.ax.get_xlabel(), bp.ax.get_ylabel()) == (ref["xlab"], ref["ylab"])
    # what is drawn: each study with both values, as its number at (x, y)
    drawn = np.isfinite(bp.x) & np.isfinite(bp.y)
    assert [t.get_text() for t in bp.texts] == [str(i) for i in bp.ids[drawn]]
    assert [t.get_text() for t in bp.ax.texts] == [t.get_text() for t in bp.texts]
    np.testing.assert_array_equal([t.get_position() for t in bp.texts],
                                  np.column_stack([bp.x[drawn], bp.y[drawn]]))  # fmt: skip
    # the axes hold every point drawn
    (x0, x1), (y0, y1) = bp.ax.get_xlim(), bp.ax.get_ylim()
    assert np.all((x0 < bp.x[drawn]) & (bp.x[drawn] < x1))
    assert np.all((y0 < bp.y[drawn]) & (bp.y[drawn] < y1))


def test_the_fixtures_cover_what_metafor_offers() -> None:
    specs = [e["model"] for d in MODELS.values() for e in d["entries"].values()]
    assert {s["method"] for s in specs} >= {"REML", "DL", "ML", "FE", "EE"}
    assert any(s["mods"] for s in specs) and any("subset" in s for s in specs)
    assert any(None in e["y"] for d in MODELS.values() for e in d["entries"].values())
    cases = TABLES["cases"].values()
    assert {c["measure"] for c in cases} == {"OR", "RR", "RD", "PETO"}
    assert any(None in c["x"] for c in cases)  # double-zero tables: no yi


@pytest.mark.parametrize(("case", "key"), [(c, k) for c, d in MODELS.items() for k in d["entries"]])
def test_baujat_of_a_model_matches_metafor(case: str, key: str) -> None:
    d = MODELS[case]
    e = d["entries"][key]
    res = _fit(d, e["model"])
    bp = baujat(res)
    _check(bp, e, _tol(e["model"]), f"{case} {key}")


@pytest.mark.parametrize("case", list(TABLES["cases"]))
def test_baujat_of_a_mantel_haenszel_or_peto_fit_matches_metafor(case: str) -> None:
    c = TABLES["cases"][case]
    res = _table_fit(c)
    assert_close(res.beta, c["beta"], "closed", f"{case}: beta")
    _check(baujat(res), c, "closed_deletion", case)


def test_an_equal_effects_models_x_sums_to_q() -> None:
    d = MODELS["dat.bcg__RR"]
    res = rma(d["yi"], d["vi"], method="EE")
    assert float(np.sum(baujat(res).x)) == pytest.approx(res.QE, rel=1e-12)


def test_labels_and_axes_can_be_given() -> None:
    d = MODELS["dat.bcg__RR"]
    res = rma(d["yi"], d["vi"], slab=d["slab"])
    fig, ax = plt.subplots()
    bp = baujat(res, symbol="slab", ax=ax, xlab="Q contribution", ylab="Influence", grid=False)
    assert bp.ax is ax and bp.fig is fig
    assert [t.get_text() for t in bp.texts] == d["slab"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Q contribution", "Influence")
    assert not any(line.get_visible() for line in ax.get_xgridlines())


def test_baujat_refuses_one_study_an_unknown_symbol_and_other_objects() -> None:
    with pytest.raises(ValueError, match="k >= 2"):
        baujat(rma([0.1], [0.2]))
    with pytest.raises(ValueError, match="k >= 2"):
        baujat(rma_mh(ai=[3], n1i=[20], ci=[5], n2i=[20]))
    with pytest.raises(ValueError, match="symbol"):
        baujat(rma([0.1, 0.3], [0.2, 0.1]), symbol="dots")
    with pytest.raises(TypeError):
        baujat([0.1, 0.2])  # type: ignore[arg-type]


def test_the_package_exports_baujat_lazily() -> None:
    assert metareview.baujat is baujat and "baujat" in metareview.__all__
    assert baujat.__doc__ and "Baujat" in baujat.__doc__ and figures.__doc__
    assert "baujat" in (figures.__doc__ or "")
