"""Forest plots and the network diagram: files, reproducibility, content and layout."""

from __future__ import annotations

import json
import math
import random
import struct
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from metareview import plots

# DejaVu Sans has no CJK glyphs; matplotlib warns once per glyph and draws a box in the
# PNG (the SVG keeps the characters). That is expected here.
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")

SVG_NS = "{http://www.w3.org/2000/svg}"
Z95 = 1.959963984540054

CJK_LABEL = "李明 et al. (2020)"
HOSTILE_LABELS = ["$x$ and $y^2$ trial", "<script>alert(1)</script>", CJK_LABEL]


def make_result(
    k: int,
    *,
    status: str | None = None,
    labels: list[str] | None = None,
    external: list[dict[str, Any]] | None = None,
    seed: int = 1,
) -> dict[str, Any]:
    """An analysis result shaped like results/analyses/<id>.json, with random studies."""
    rng = random.Random(seed)
    status = status or ("pooled" if k >= 2 else "single_study" if k == 1 else "no_studies")
    studies = []
    for i in range(k):
        yi, vi = rng.uniform(-1.2, 0.4), rng.uniform(0.01, 0.15)
        half = Z95 * math.sqrt(vi)
        studies.append(
            {
                "study_id": f"Trial{i + 1}",
                "label": labels[i] if labels and i < len(labels) else f"Trial {i + 1} ({2000 + i})",
                "yi": yi,
                "vi": vi,
                "ci_lb": yi - half,
                "ci_ub": yi + half,
                "weight": None,
                "n1": rng.randint(10, 200),
                "n2": rng.randint(10, 200),
                "flags": ["arm sizes assumed equal"] if i % 4 == 1 else [],
            }
        )
    pooled = None
    if status == "pooled":
        w = [1 / s["vi"] for s in studies]
        for s, wi in zip(studies, w, strict=True):
            s["weight"] = 100 * wi / sum(w)
        est = sum(wi * s["yi"] for wi, s in zip(w, studies, strict=True)) / sum(w)
        se = math.sqrt(1 / sum(w))
        pooled = {
            "estimate": est,
            "ci_lb": est - Z95 * se,
            "ci_ub": est + Z95 * se,
            "pi_lb": est - 2.5 * se - 0.3,
            "pi_ub": est + 2.5 * se + 0.3,
            "tau2": rng.uniform(0, 0.2),
            "I2": rng.uniform(0, 90),
            "QE": rng.uniform(1, 30),
            "QEp": rng.uniform(0, 1),
            "k": k,
            "method": "REML",
            "test": "knha",
            "level": 95,
        }
    return {
        "analysis": {
            "id": "acupuncture_vs_sham_pain",
            "intervention": "acupuncture",
            "comparator": "sham",
            "intervention_label": "Acupuncture",
            "comparator_label": "Sham or minimal needling",
            "outcome": "pain",
            "outcome_label": "Pain intensity",
            "window": "short_term",
            "window_label": "Short term (up to 3 months)",
            "measure": "SMD",
            "measure_label": "SMD (Hedges' g)",
        },
        "status": status,
        "reason": "" if status == "pooled" else f"{k} eligible studies: nothing to pool.",
        "studies": studies,
        "external": external or [],
        "pooled": pooled,
    }


EXTERNAL_DRAWN = {
    "study_id": "Vickers2018",
    "label": "Vickers IPD meta-analysis (2018)",
    "estimate": -0.45,
    "ci_lb": -0.6,
    "ci_ub": -0.3,
    "k_studies": 39,
    "n_participants": 20827,
    "measure": "SMD",
    "comparable": True,
    "note": "individual patient data",
}
EXTERNAL_NO_CI = {
    "study_id": "Cochrane2023",
    "label": "Cochrane Review (2023)",
    "estimate": -0.71,
    "ci_lb": None,
    "ci_ub": None,
    "k_studies": None,
    "n_participants": 1872,
    "measure": "SMD",
    "comparable": True,
    "note": "published meta-analysis; not pooled with trials",
}
EXTERNAL_OTHER_SCALE = {
    "study_id": "Smith2020",
    "label": "Smith (2020)",
    "estimate": -12.0,
    "ci_lb": -20.0,
    "ci_ub": -4.0,
    "k_studies": 8,
    "n_participants": None,
    "measure": "MD",
    "comparable": False,
    "note": "",
}


def svg_texts(svg: Path) -> list[str]:
    root = ET.parse(svg).getroot()  # also proves the SVG is well-formed XML
    return ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]


def has_label(texts: list[str], label: str) -> bool:
    """The label is drawn, possibly followed by a footnote mark: "Trial 2 (2001) (a)"."""
    return any(t == label or t.startswith(label + " (") for t in texts)


def svg_height(svg: Path) -> float:
    return float(ET.parse(svg).getroot().get("height").removesuffix("pt"))


def png_size(png: Path) -> tuple[int, int]:
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def fmt_ci(est: float, lb: float, ub: float) -> str:
    return f"{est:.2f} [{lb:.2f}, {ub:.2f}]"


def render(result: dict[str, Any], folder: Path, name: str = "f") -> tuple[Path, Path]:
    svg, png = folder / f"{name}.svg", folder / f"{name}.png"
    plots.forest_plot(result, svg, png)
    return svg, png


def build(result: dict[str, Any]) -> Any:
    """The forest figure itself, for layout checks."""
    with plots._render_context():
        return plots._build_forest(result)


def text_boxes(fig: Any) -> list[tuple[str, Any]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    with plots._render_context():
        canvas.draw()
        renderer = canvas.get_renderer()
        boxes = []
        for text in fig.findobj(lambda a: a.__class__.__name__ in ("Text", "Annotation")):
            if text.get_visible() and text.get_text():
                boxes.append((text.get_text(), text.get_window_extent(renderer)))
        return boxes


# -- files and sizes -------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 3, 40])
def test_writes_svg_and_png_for_1_3_and_40_studies(tmp_path: Path, k: int) -> None:
    result = make_result(k, external=[EXTERNAL_DRAWN, EXTERNAL_NO_CI])
    svg, png = render(result, tmp_path)
    texts = svg_texts(svg)
    for study in result["studies"]:
        assert has_label(texts, study["label"])
        assert fmt_ci(study["yi"], study["ci_lb"], study["ci_ub"]) in texts
    width, height = png_size(png)
    assert width > 500 and height > 300
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.png", "f.svg"]  # no temp files


def test_height_grows_with_the_number_of_studies(tmp_path: Path) -> None:
    heights = [svg_height(render(make_result(k), tmp_path, f"k{k}")[0]) for k in (2, 3, 10, 40)]
    assert heights == sorted(heights) and len(set(heights)) == 4
    # Rows have a fixed height, so 30 more studies add 30 rows' worth of height.
    assert heights[3] - heights[2] == pytest.approx(30 * plots._ROW_IN * 72, rel=1e-6)


def test_png_resolution_follows_dpi(tmp_path: Path) -> None:
    result = make_result(3)
    plots.forest_plot(result, tmp_path / "a.svg", tmp_path / "a.png", dpi=100)
    plots.forest_plot(result, tmp_path / "b.svg", tmp_path / "b.png", dpi=200)
    (w1, h1), (w2, h2) = png_size(tmp_path / "a.png"), png_size(tmp_path / "b.png")
    assert w2 == pytest.approx(2 * w1, abs=1) and h2 == pytest.approx(2 * h1, abs=1)


# -- reproducibility -------------------------------------------------------------------

SUBPROCESS_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from metareview.plots import forest_plot, network_plot
    folder = Path(sys.argv[1])
    forest_plot(json.loads((folder / "result.json").read_text()),
                folder / "sub.svg", folder / "sub.png")
    network_plot(json.loads((folder / "edges.json").read_text()),
                 folder / "subnet.svg", folder / "subnet.png")
    assert "matplotlib.pyplot" not in sys.modules, "pyplot was imported"
    """
)

EDGES = [
    {
        "a": "acupuncture",
        "a_label": "Acupuncture",
        "b": "sham",
        "b_label": "Sham or minimal needling",
        "k": 12,
    },
    {
        "a": "acupuncture",
        "a_label": "Acupuncture",
        "b": "usual_care",
        "b_label": "Usual care",
        "k": 5,
    },
    {
        "a": "sham",
        "a_label": "Sham or minimal needling",
        "b": "usual_care",
        "b_label": "Usual care",
        "k": 1,
    },
    {
        "a": "exercise",
        "a_label": "Exercise therapy",
        "b": "acupuncture",
        "b_label": "Acupuncture",
        "k": 2,
    },
]


def test_identical_bytes_across_runs_and_processes(tmp_path: Path) -> None:
    result = make_result(5, labels=HOSTILE_LABELS, external=[EXTERNAL_DRAWN, EXTERNAL_NO_CI])
    (tmp_path / "result.json").write_text(json.dumps(result))
    (tmp_path / "edges.json").write_text(json.dumps(EDGES))
    svg1, png1 = render(result, tmp_path, "one")
    svg2, png2 = render(result, tmp_path, "two")
    plots.network_plot(EDGES, tmp_path / "net.svg", tmp_path / "net.png")

    # The other process runs in a folder whose matplotlibrc changes fonts, line widths and
    # SVG text handling: the figures must not depend on local matplotlib configuration.
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    (workdir / "matplotlibrc").write_text(
        "font.size: 20\nlines.linewidth: 5\nsvg.fonttype: path\nfont.family: serif\n"
        "svg.hashsalt: other\naxes.unicode_minus: True\naxes.linewidth: 3\n"
        "axes.edgecolor: red\nxtick.color: red\nxtick.major.size: 9\ntext.color: green\n"
    )
    subprocess.run(
        [sys.executable, "-c", SUBPROCESS_SCRIPT, str(tmp_path)],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    assert svg1.read_bytes() == svg2.read_bytes() == (tmp_path / "sub.svg").read_bytes()
    assert png1.read_bytes() == png2.read_bytes() == (tmp_path / "sub.png").read_bytes()
    assert (tmp_path / "net.svg").read_bytes() == (tmp_path / "subnet.svg").read_bytes()
    assert (tmp_path / "net.png").read_bytes() == (tmp_path / "subnet.png").read_bytes()


def test_no_timestamps_or_software_version_in_the_files(tmp_path: Path) -> None:
    import matplotlib

    svg, png = render(make_result(3), tmp_path)
    svg_text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in svg_text and "Created with" not in svg_text
    assert matplotlib.__version__.encode() not in png.read_bytes()
    assert b"Software" not in png.read_bytes()


def test_concurrent_threads_give_the_same_bytes_as_serial_runs(tmp_path: Path) -> None:
    results = [make_result(k, seed=k, external=[EXTERNAL_DRAWN]) for k in (0, 1, 3, 6)]
    serial = tmp_path / "serial"
    threaded = tmp_path / "threaded"
    for i, r in enumerate(results):
        render(r, serial, str(i))
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda ir: render(ir[1], threaded, str(ir[0])), enumerate(results)))
    for i in range(len(results)):
        for ext in ("svg", "png"):
            assert (serial / f"{i}.{ext}").read_bytes() == (threaded / f"{i}.{ext}").read_bytes()


def test_global_rcparams_are_left_as_they_were(tmp_path: Path) -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    render(make_result(3), tmp_path)
    assert dict(matplotlib.rcParams) == before


# -- content ---------------------------------------------------------------------------


def test_svg_holds_labels_pooled_numbers_model_and_directions(tmp_path: Path) -> None:
    result = make_result(6)
    svg, _ = render(result, tmp_path)
    texts = svg_texts(svg)
    joined = "\n".join(texts)
    p = result["pooled"]
    assert fmt_ci(p["estimate"], p["ci_lb"], p["ci_ub"]) in texts
    assert f"[{p['pi_lb']:.2f}, {p['pi_ub']:.2f}]" in texts
    assert f"I\u00b2 = {p['I2']:.0f}%" in joined
    assert f"tau\u00b2 = {p['tau2']:.3g}" in joined
    assert f"Q = {p['QE']:.2f}" in joined and "Hartung-Knapp" in joined
    for s in result["studies"]:
        assert f"{s['weight']:.1f}%" in texts
        assert f"{s['n1']} / {s['n2']}" in texts
    assert "Favours Acupuncture" in joined and "Favours Sham or minimal needling" in joined
    assert "SMD (Hedges' g)" in texts
    assert "(a) arm sizes assumed equal" in texts
    assert any(t.endswith(" (a)") for t in texts)


def test_hostile_labels_are_shown_literally(tmp_path: Path) -> None:
    result = make_result(3, labels=HOSTILE_LABELS)
    result["analysis"]["measure_label"] = "Mean difference in $ (cost)"
    svg, png = render(result, tmp_path)
    raw = svg.read_text(encoding="utf-8")
    texts = svg_texts(svg)
    assert "<script" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert has_label(texts, "$x$ and $y^2$ trial")  # not typeset as mathtext
    assert has_label(texts, "<script>alert(1)</script>")
    assert any(t.startswith(CJK_LABEL) for t in texts)
    assert "Mean difference in $ (cost)" in texts
    assert png_size(png)[0] > 0


def test_long_labels_are_shortened_and_nothing_leaves_the_figure() -> None:
    long_label = "A very long study label " * 12
    result = make_result(40, labels=[long_label], external=[EXTERNAL_DRAWN, EXTERNAL_NO_CI])
    result["analysis"]["comparator_label"] = "A comparator with a rather long name " * 3
    fig = build(result)
    boxes = text_boxes(fig)
    shortened = [t for t, _ in boxes if t.startswith("A very long study label")]
    assert len(shortened) == 1 and "\u2026" in shortened[0]
    assert len(shortened[0]) < len(long_label)
    fig_box = fig.bbox
    for text, box in boxes:
        assert box.x0 >= fig_box.x0 - 0.5 and box.x1 <= fig_box.x1 + 0.5, text
        assert box.y0 >= fig_box.y0 - 0.5 and box.y1 <= fig_box.y1 + 0.5, text


@pytest.mark.parametrize("k", [0, 1, 3, 40])
def test_no_two_texts_overlap(k: int) -> None:
    result = make_result(
        k, labels=HOSTILE_LABELS, external=[EXTERNAL_DRAWN, EXTERNAL_NO_CI, EXTERNAL_OTHER_SCALE]
    )
    boxes = text_boxes(build(result))
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1 :]:
            overlap_w = min(a.x1, b.x1) - max(a.x0, b.x0)
            overlap_h = min(a.y1, b.y1) - max(a.y0, b.y0)
            # a pixel of slack: ascenders and descenders of adjacent rows may touch
            assert overlap_w <= 1 or overlap_h <= 1, (ta, tb)


def test_diamond_spans_the_pooled_ci_and_square_area_follows_weight() -> None:
    from matplotlib.collections import PathCollection
    from matplotlib.patches import Polygon

    result = make_result(8)
    fig = build(result)
    ax = fig.axes[0]
    diamonds = [p for p in ax.patches if isinstance(p, Polygon)]
    assert len(diamonds) == 1
    xs = diamonds[0].get_xy()[:, 0]
    p = result["pooled"]
    assert xs.min() == pytest.approx(p["ci_lb"]) and xs.max() == pytest.approx(p["ci_ub"])
    (squares,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    areas = squares.get_sizes()
    weights = [s["weight"] for s in result["studies"]]
    heaviest = max(range(len(weights)), key=weights.__getitem__)
    for area, w in zip(areas, weights, strict=True):
        side = math.sqrt(area)
        if side > plots._SQUARE_MIN:  # light studies are drawn at the minimum size
            assert area / areas[heaviest] == pytest.approx(w / weights[heaviest], rel=1e-9)
    # Every study's whisker and the prediction interval lie inside the axis limits.
    lo, hi = ax.get_xlim()
    ticks = list(ax.get_xticks())
    assert (ticks[0], ticks[-1]) == (lo, hi)  # the axis ends on labelled ticks
    assert ticks[0] < 0 < ticks[-1]
    assert lo < min(s["ci_lb"] for s in result["studies"]) and lo < p["pi_lb"]
    assert hi > max(s["ci_ub"] for s in result["studies"]) and hi > max(p["pi_ub"], 0)


def test_unpooled_squares_have_equal_size() -> None:
    from matplotlib.collections import PathCollection

    result = make_result(3, status="single_study")
    fig = build(result)
    (squares,) = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    assert len(set(squares.get_sizes())) == 1 and len(squares.get_offsets()) == 3


@pytest.mark.parametrize("k, status", [(0, "no_studies"), (1, "single_study")])
def test_without_pooling_the_reason_replaces_the_diamond(
    tmp_path: Path, k: int, status: str
) -> None:
    from matplotlib.patches import Polygon

    result = make_result(k, status=status)
    svg, png = render(result, tmp_path)
    texts = svg_texts(svg)
    assert result["reason"] in " ".join(texts)
    assert "No pooled estimate" in texts
    assert not any(t.startswith("Random-effects") for t in texts)
    assert not any("prediction interval" in t for t in texts)
    assert all(has_label(texts, s["label"]) for s in result["studies"])
    fig = build(result)
    assert not [p for p in fig.axes[0].patches if isinstance(p, Polygon)]
    assert png_size(png)[1] > 0


def test_external_evidence_drawn_hollow_or_listed_as_text(tmp_path: Path) -> None:
    result = make_result(4, external=[EXTERNAL_DRAWN, EXTERNAL_NO_CI, EXTERNAL_OTHER_SCALE])
    svg, _ = render(result, tmp_path)
    texts = svg_texts(svg)
    joined = "\n".join(texts)
    assert "External evidence \u2014 not pooled" in texts
    assert fmt_ci(-0.45, -0.6, -0.3) in texts
    assert "Cochrane Review (2023): SMD -0.71" in joined
    assert "confidence interval not reported" in joined
    assert "Smith (2020): MD -12.00 [-20.00, -4.00]" in joined and "not on this" in joined
    # External evidence never changes the pooled numbers shown.
    p = result["pooled"]
    assert fmt_ci(p["estimate"], p["ci_lb"], p["ci_ub"]) in texts

    fig = build(result)
    hollow = [ln for ln in fig.axes[0].lines if ln.get_marker() == "D"]
    assert len(hollow) == 1 and hollow[0].get_markerfacecolor() == "white"
    assert list(hollow[0].get_xdata()) == [-0.45]


def test_failed_write_keeps_the_previous_files(tmp_path: Path) -> None:
    svg = tmp_path / "f.svg"
    svg.write_text("previous")
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("")
    with pytest.raises(OSError):
        plots.forest_plot(make_result(3), svg, blocker / "f.png")
    assert svg.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.svg", "not_a_folder"]


# -- network diagram -------------------------------------------------------------------


def test_network_plot_labels_counts_and_order_independence(tmp_path: Path) -> None:
    plots.network_plot(EDGES, tmp_path / "a.svg", tmp_path / "a.png")
    swapped = [
        {"a": e["b"], "a_label": e["b_label"], "b": e["a"], "b_label": e["a_label"], "k": e["k"]}
        for e in reversed(EDGES)
    ]
    plots.network_plot(swapped, tmp_path / "b.svg", tmp_path / "b.png")
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    joined = "\n".join(svg_texts(tmp_path / "a.svg"))
    for edge in EDGES:
        assert str(edge["k"]) in joined.split("\n")
    for label in ("Acupuncture", "Usual care", "Exercise therapy"):
        assert label in joined
    assert "Sham or minimal" in joined


@pytest.mark.parametrize(
    "edges, message",
    [
        ([*EDGES, {"a": "sham", "b": "acupuncture", "k": 1}], "appears twice"),
        ([{"a": "sham", "b": "sham", "k": 1}], "compared with itself"),
        ([{"a": "sham", "b": "usual_care", "k": 1.5}], "whole number"),
        ([{"a": "sham", "b": "usual_care", "k": -1}], "whole number"),
    ],
)
def test_network_plot_rejects_bad_edges(
    tmp_path: Path, edges: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        plots.network_plot(edges, tmp_path / "n.svg", tmp_path / "n.png")
    assert not list(tmp_path.iterdir())


def test_network_plot_without_edges(tmp_path: Path) -> None:
    plots.network_plot([], tmp_path / "n.svg", tmp_path / "n.png")
    assert "No comparisons" in svg_texts(tmp_path / "n.svg")


def test_files_get_the_usual_permissions(tmp_path: Path) -> None:
    import os

    old = os.umask(0o022)
    try:
        svg, png = render(make_result(2), tmp_path)
    finally:
        os.umask(old)
    assert svg.stat().st_mode & 0o777 == 0o644
    assert png.stat().st_mode & 0o777 == 0o644
