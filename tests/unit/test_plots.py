"""Forest plots and the network diagram: files, reproducibility, content and layout."""

from __future__ import annotations

import itertools
import json
import math
import random
import re
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

# DejaVu Sans has no CJK glyphs; matplotlib (network diagram) warns once per glyph and a
# box is drawn in the PNG (the SVG keeps the characters). That is expected here.
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
            "measure_label": "SMD (Hedges\u2019 g)",
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


def has_label(svg: Path, label: str) -> bool:
    """The label is drawn, possibly wrapped onto further lines and followed by a footnote
    mark: "Trial 2 (2001) (a)", "Trial 34" / "(2033) (a)"."""
    drawn = f' {" ".join("".join(t.itertext()) for t in svg_elements(svg, "text", "label"))} '
    return f" {label} " in drawn


def svg_height(svg: Path) -> float:
    return float(ET.parse(svg).getroot().get("height").removesuffix("pt"))


def png_size(png: Path) -> tuple[int, int]:
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def fmt_ci(est: float, lb: float, ub: float) -> str:
    """As the figure prints it: with the minus sign the report's text uses (U+2212)."""
    return f"{est:.2f} ({lb:.2f} to {ub:.2f})".replace("-", "\u2212")


def render(result: dict[str, Any], folder: Path, name: str = "f") -> tuple[Path, Path]:
    svg, png = folder / f"{name}.svg", folder / f"{name}.png"
    plots.forest_plot(result, svg, png)
    return svg, png


def build(result: dict[str, Any]) -> Any:
    """The forest plot's layout (primitives in points), for layout checks."""
    return plots._layout_forest(result)


def items(fig: Any, kind: type, role: str | None = None) -> list[Any]:
    return [i for i in fig.items if isinstance(i, kind) and (role is None or i.role == role)]


def text_boxes(fig: Any) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every text with its extent ``(x0, y0, x1, y1)`` in points, y downwards."""
    return [(t.text, t.box()) for t in items(fig, plots._Text)]


def svg_elements(svg: Path, tag: str, cls: str) -> list[ET.Element]:
    root = ET.parse(svg).getroot()
    return [e for e in root.iter(f"{SVG_NS}{tag}") if e.get("class") == cls]


# -- files and sizes -------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 3, 40])
def test_writes_svg_and_png_for_1_3_and_40_studies(tmp_path: Path, k: int) -> None:
    result = make_result(k, external=[EXTERNAL_DRAWN, EXTERNAL_NO_CI])
    svg, png = render(result, tmp_path)
    texts = svg_texts(svg)
    for study in result["studies"]:
        assert has_label(svg, study["label"])
        assert fmt_ci(study["yi"], study["ci_lb"], study["ci_ub"]) in texts
    width, height = png_size(png)
    assert width > 500 and height > 300
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.png", "f.svg"]  # no temp files


def test_height_grows_with_the_number_of_studies(tmp_path: Path) -> None:
    # Names short enough never to wrap.
    short = [f"T{i}" for i in range(40)]
    heights = [svg_height(render(make_result(k, labels=short), tmp_path, f"k{k}")[0]) for k in (2, 3, 10, 40)]
    assert heights == sorted(heights) and len(set(heights)) == 4
    # Rows have a fixed height, so 30 more studies add 30 rows' worth of height.
    # (sizes are written with three decimals)
    assert heights[3] - heights[2] == pytest.approx(30 * plots._ROW_IN * 72, abs=2e-3)


def test_png_resolution_follows_dpi(tmp_path: Path) -> None:
    result = make_result(3)
    plots.forest_plot(result, tmp_path / "a.svg", tmp_path / "a.png", dpi=100)
    plots.forest_plot(result, tmp_path / "b.svg", tmp_path / "b.png", dpi=200)
    (w1, h1), (w2, h2) = png_size(tmp_path / "a.png"), png_size(tmp_path / "b.png")
    assert w2 == pytest.approx(2 * w1, abs=1) and h2 == pytest.approx(2 * h1, abs=1)


def test_the_png_copy_is_optional_and_the_same_made_later_from_the_svg(tmp_path: Path) -> None:
    result = make_result(3)
    alone = tmp_path / "alone"
    plots.forest_plot(result, alone / "f.svg")
    assert sorted(p.name for p in alone.iterdir()) == ["f.svg"]
    svg, png = render(result, tmp_path)
    assert (alone / "f.svg").read_bytes() == svg.read_bytes()
    # What `make figures` does: the same pixels as a PNG drawn with the SVG.
    plots.png_from_svg(alone / "f.svg", alone / "copy" / "f.png")
    assert (alone / "copy" / "f.png").read_bytes() == png.read_bytes()
    plots.png_from_svg(alone / "f.svg", alone / "f300.png", dpi=300)
    (w1, h1), (w2, h2) = png_size(png), png_size(alone / "f300.png")
    assert w2 == pytest.approx(2 * w1, abs=1) and h2 == pytest.approx(2 * h1, abs=1)


def test_png_from_svg_names_a_missing_or_unreadable_svg(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="missing.svg"):
        plots.png_from_svg(tmp_path / "missing.svg", tmp_path / "f.png")
    broken = tmp_path / "broken.forest.svg"
    broken.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10pt"', encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.forest\.svg: not an SVG image"):
        plots.png_from_svg(broken, tmp_path / "f.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.forest.svg"]


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

# Importing the module and drawing a forest plot must not load matplotlib (a second to
# import) or numpy: the workflow draws hundreds of plots from the Snakemake process.
IMPORT_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import metareview.plots
    heavy = ("matplotlib", "numpy", "scipy", "pandas")
    def loaded():
        return sorted(m for m in sys.modules if m.split(".")[0] in heavy)
    assert not loaded(), loaded()
    folder = Path(sys.argv[1])
    metareview.plots.forest_plot(json.loads((folder / "result.json").read_text()),
                                 folder / "f.svg", folder / "f.png")
    assert not loaded(), loaded()
    assert (folder / "f.png").stat().st_size > 0
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


def test_importing_and_drawing_forest_plots_does_not_load_matplotlib(tmp_path: Path) -> None:
    result = make_result(3, external=[EXTERNAL_DRAWN])
    (tmp_path / "result.json").write_text(json.dumps(result))
    proc = subprocess.run(
        [sys.executable, "-c", IMPORT_SCRIPT, str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr


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
    plots.network_plot(EDGES, tmp_path / "n.svg", tmp_path / "n.png")  # drawn by matplotlib
    assert dict(matplotlib.rcParams) == before


# -- content ---------------------------------------------------------------------------


def test_svg_holds_labels_pooled_numbers_model_and_directions(tmp_path: Path) -> None:
    result = make_result(6)
    svg, _ = render(result, tmp_path)
    texts = svg_texts(svg)
    joined = "\n".join(texts)
    p = result["pooled"]
    assert fmt_ci(p["estimate"], p["ci_lb"], p["ci_ub"]) in texts
    assert f"({p['pi_lb']:.2f} to {p['pi_ub']:.2f})".replace("-", "\u2212") in texts
    assert f"I\u00b2 = {p['I2']:.1f}%" in joined
    assert f"\u03c4\u00b2 = {p['tau2']:.3f}" in joined
    assert f"Q = {p['QE']:.2f}" in joined and "Hartung-Knapp" in joined
    for s in result["studies"]:
        assert f"{s['weight']:.1f}%" in texts
        assert f"{s['n1']} / {s['n2']}" in texts
    assert "Favours Acupuncture" in joined and "Favours Sham or minimal needling" in joined
    assert "SMD (Hedges\u2019 g)" in texts
    assert "(a) arm sizes assumed equal" in texts
    assert any(t.endswith(" (a)") for t in texts)
    # Columns are aligned by their anchors, not by measured widths, so they stay aligned
    # in a viewer that substitutes another font.
    for cls, anchor in (("estimate", "end"), ("n", "end"), ("weight", "end"), ("label", None)):
        elements = svg_elements(svg, "text", cls)
        assert len(elements) >= 6 and len({e.get("x") for e in elements}) == 1, cls
        assert {e.get("text-anchor") for e in elements} == {anchor}, cls
    assert {e.get("text-anchor") for e in svg_elements(svg, "text", "tick_label")} == {"middle"}
    root = ET.parse(svg).getroot()
    width, height = root.get("width"), root.get("height")
    assert width.endswith("pt") and height.endswith("pt")
    assert root.get("viewBox") == f"0 0 {width[:-2]} {height[:-2]}"
    # DejaVu Sans first (the text is measured in it, and Typst has it), a sans-serif after.
    families = {e.get("font-family") for e in root.iter(f"{SVG_NS}text")}
    assert len(families) == 1
    names = [name.strip().strip("'\"") for name in families.pop().split(",")]
    assert names[0] == "DejaVu Sans" and names[-1] == "sans-serif"


def test_the_arm_size_column_is_named_as_in_the_report_tables(tmp_path: Path) -> None:
    # The table of study effects under each figure heads the same numbers
    # "n (int. / comp.)"; an "I / C" above them in the figure read as another quantity.
    svg, _ = render(make_result(3), tmp_path)
    headers = [e.text for e in svg_elements(svg, "text", "header")]
    assert "n (int. / comp.)" in headers
    assert "n (I / C)" not in svg_texts(svg)


def _header_boxes(fig: Any) -> dict[str, tuple[float, float, float, float]]:
    return {t.text: t.box() for t in items(fig, plots._Text, "header")}


def test_the_arm_size_header_reaches_over_the_label_column_not_into_the_plot() -> None:
    # "n (int. / comp.)" is wider than "158 / 162": the column stays as wide as its
    # numbers and the header reaches left, over the label column's empty header row.
    result = make_result(2, labels=["Cherkin et al. (2009)", "Kwon et al. (2007)"])
    fig = build(result)
    boxes = _header_boxes(fig)
    n_box, study_box = boxes["n (int. / comp.)"], boxes["Study"]
    numbers = [t.box() for t in items(fig, plots._Text, "n")]
    assert n_box[2] - n_box[0] > max(b[2] - b[0] for b in numbers)
    assert n_box[0] > study_box[2]  # clear of "Study"
    assert n_box[2] < fig.axis.x0  # and of the plot area


def test_an_arm_size_header_too_wide_for_the_label_column_takes_two_lines() -> None:
    # One-letter trial names leave no room over the label column for
    # "Events/n (int. vs comp.)": the quantity goes over the arms' order, clear of "Study".
    result = make_result(2, labels=["A", "B"])
    for s, (e1, e2) in zip(result["studies"], [(3, 1), (5, 2)], strict=True):
        s.update(events1=e1, events2=e2)
    fig = build(result)
    boxes = _header_boxes(fig)
    assert "Events/n (int. vs comp.)" not in boxes
    top, bottom, study = boxes["Events/n"], boxes["int. vs comp."], boxes["Study"]
    assert top[3] <= bottom[1] + 0.01  # one line over the other
    assert bottom[0] > study[2] and bottom[1] == pytest.approx(study[1])  # on the row of "Study"
    assert max(top[2], bottom[2]) < fig.axis.x0
    # The rows start below the taller header.
    first_row = min(t.box()[1] for t in items(fig, plots._Text, "label"))
    assert first_row > bottom[3]


def test_two_studies_without_a_prediction_interval_say_why(tmp_path: Path) -> None:
    result = make_result(2)
    result["pooled"] = {**result["pooled"], "pi_lb": None, "pi_ub": None, "pi_note": "it needs at least 3 studies",
                        "test": "adhoc"}
    svg, _ = render(result, tmp_path)
    joined = " ".join(svg_texts(svg))  # the model line wraps
    assert "prediction interval" not in joined.replace("no prediction interval: it needs at least 3 studies", "")
    assert "Hartung-Knapp CI (floored)" in joined and "no prediction interval: it needs at least 3 studies" in joined


def test_hostile_labels_are_shown_literally(tmp_path: Path) -> None:
    controls = "Null\x00 bell\x07 escape\x1b lone\ud800 surrogate\ufffe"
    labels = [*HOSTILE_LABELS, "A & B ]]> C", controls, "Two\nlines\tand a tab"]
    result = make_result(6, labels=labels)
    result["analysis"]["measure_label"] = "Mean difference in $ (cost)"
    result["analysis"]["comparator_label"] = "Sham & <b>co</b>"
    svg, png = render(result, tmp_path)
    raw = svg.read_text(encoding="utf-8")
    texts = svg_texts(svg)
    assert "<script" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "<b>" not in raw and "]]>" not in raw and "A &amp; B ]]&gt; C" in raw
    assert has_label(svg, "$x$ and $y^2$ trial")  # not typeset as mathtext
    # Wrapped, as a name too long for the label column is: its footnote mark on a line
    # of its own.
    lines = [t.text for t in items(build(result), plots._Text, "label")]
    assert "<script>alert(1)</script> (a)" in " ".join(lines)
    assert has_label(svg, "A & B ]]> C")
    # characters XML 1.0 forbids are dropped; line breaks and tabs become spaces
    assert "Null bell escape lone surrogate" in " ".join(t.text for t in items(build(result), plots._Text, "label"))
    assert not any(ch in raw for ch in "\x00\x07\x1b\ufffe")
    assert has_label(svg, "Two lines and a tab")
    assert any(t.startswith(CJK_LABEL) for t in texts)
    assert "Mean difference in $ (cost)" in texts
    assert "Acupuncture vs Sham & <b>co</b>" in texts
    assert png_size(png)[0] > 0


def test_long_labels_are_shortened_and_nothing_leaves_the_figure() -> None:
    long_label = "A very long study label " * 12
    result = make_result(40, labels=[long_label], external=[EXTERNAL_DRAWN, EXTERNAL_NO_CI])
    result["analysis"]["comparator_label"] = "A comparator with a rather long name " * 3
    fig = build(result)
    boxes = text_boxes(fig)
    # Wrapped onto at most _LABEL_LINES lines, the last cut with an ellipsis.
    labels = [t.text for t in items(fig, plots._Text, "label")]
    shortened = labels[: plots._LABEL_LINES]
    assert long_label.startswith(" ".join(shortened)[:-1])
    assert shortened[-1].endswith("\u2026") and labels[plots._LABEL_LINES].startswith("Trial 2")
    assert fig.width <= plots._TARGET_IN * 72 + 0.01
    for text, (x0, y0, x1, y1) in boxes:
        assert 0 <= x0 and x1 <= fig.width, text
        assert 0 <= y0 and y1 <= fig.height, text
    for item in items(fig, plots._Line) + items(fig, plots._Rect):
        xs = (item.x1, item.x2) if isinstance(item, plots._Line) else (item.x, item.x + item.w)
        assert 0 <= min(xs) and max(xs) <= fig.width


@pytest.mark.parametrize("k", [0, 1, 3, 40])
def test_no_two_texts_overlap(k: int) -> None:
    result = make_result(
        k, labels=HOSTILE_LABELS, external=[EXTERNAL_DRAWN, EXTERNAL_NO_CI, EXTERNAL_OTHER_SCALE]
    )
    boxes = text_boxes(build(result))
    assert len(boxes) > 10
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1 :]:
            overlap_w = min(a[2], b[2]) - max(a[0], b[0])
            overlap_h = min(a[3], b[3]) - max(a[1], b[1])
            # half a point of slack: ascenders and descenders of adjacent rows may touch
            assert overlap_w <= 0.5 or overlap_h <= 0.5, (ta, tb)


def test_diamond_spans_the_pooled_ci_and_square_area_follows_weight(tmp_path: Path) -> None:
    result = make_result(8)
    fig = build(result)
    axis = fig.axis
    (diamond,) = items(fig, plots._Polygon, "diamond")
    xs = [axis.value(x) for x, _ in diamond.points]
    p = result["pooled"]
    assert min(xs) == pytest.approx(p["ci_lb"]) and max(xs) == pytest.approx(p["ci_ub"])
    assert sorted(xs)[1:3] == pytest.approx([p["estimate"]] * 2)  # top and bottom tips
    squares = items(fig, plots._Rect, "square")
    assert len(squares) == 8 and all(sq.w == sq.h for sq in squares)
    areas = [sq.w * sq.h for sq in squares]
    weights = [s["weight"] for s in result["studies"]]
    heaviest = max(range(len(weights)), key=weights.__getitem__)
    for sq, area, w, study in zip(squares, areas, weights, result["studies"], strict=True):
        assert axis.value(sq.x + sq.w / 2) == pytest.approx(study["yi"])  # centred on yi
        if sq.w > plots._SQUARE_MIN:  # light studies are drawn at the minimum size
            assert area / areas[heaviest] == pytest.approx(w / weights[heaviest], rel=1e-9)
    assert max(areas) == pytest.approx(plots._SQUARE_MAX**2)
    # Every study's whisker and the prediction interval lie inside the axis limits.
    lo, hi = axis.lo, axis.hi
    ticks = list(axis.ticks)
    assert (ticks[0], ticks[-1]) == (lo, hi)  # the axis ends on labelled ticks
    assert ticks[0] < 0 < ticks[-1]
    assert lo < min(s["ci_lb"] for s in result["studies"]) and lo < p["pi_lb"]
    assert hi > max(s["ci_ub"] for s in result["studies"]) and hi > max(p["pi_ub"], 0)
    whiskers = items(fig, plots._Line, "whisker")
    assert [(axis.value(w.x1), axis.value(w.x2)) for w in whiskers] == [
        pytest.approx((s["ci_lb"], s["ci_ub"])) for s in result["studies"]
    ]
    (null,) = items(fig, plots._Line, "null")
    assert axis.value(null.x1) == pytest.approx(0.0) and null.x1 == null.x2

    # The SVG holds the same shapes (coordinates rounded to 0.001 pt).
    svg, _ = render(result, tmp_path)
    (poly,) = svg_elements(svg, "polygon", "diamond")
    points = [tuple(map(float, pt.split(","))) for pt in poly.get("points").split()]
    assert points == [pytest.approx(pt, abs=1e-3) for pt in diamond.points]
    rects = svg_elements(svg, "rect", "square")
    assert [float(r.get("width")) for r in rects] == pytest.approx(
        [sq.w for sq in squares], abs=1e-3
    )


def test_nice_ticks_match_matplotlib_max_n_locator() -> None:
    """The linear axis keeps the ticks matplotlib chose for it (MaxNLocator)."""
    from matplotlib.ticker import MaxNLocator

    rng = random.Random(7)
    for _ in range(2000):
        scale = 10 ** rng.uniform(-4, 4)
        values = [rng.uniform(-1, 1) * scale for _ in range(rng.randint(1, 6))]
        finite = values + [0.0]
        lo, hi = min(finite), max(finite)
        if hi - lo < 1e-9:
            lo, hi = lo - 1.0, hi + 1.0
        pad = 0.04 * (hi - lo)
        expected = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(lo - pad, hi + pad)
        assert plots._nice_ticks(values) == [float(t) for t in expected], values


def test_tick_labels_use_the_decimals_of_the_step() -> None:
    # With the minus sign (U+2212) the report's text uses.
    assert plots._tick_labels([-2.0, -1.5, -1.0, -0.5, 0.0, 0.5]) == [
        "\u22122.0", "\u22121.5", "\u22121.0", "\u22120.5", "0.0", "0.5"
    ]
    assert plots._tick_labels([-4.0, -2.0, 0.0, 2.0]) == ["\u22124", "\u22122", "0", "2"]
    assert plots._tick_labels([-0.5, -0.25, 0.0, 0.25]) == ["\u22120.50", "\u22120.25", "0.00", "0.25"]
    tiny = plots._tick_labels(plots._nice_ticks([-3e-8, 2e-8]))
    assert len(set(tiny)) == len(tiny)  # still told apart


def test_text_widths_come_from_the_dejavu_font_files() -> None:
    """Widths agree with FreeType's (matplotlib's) layout of the same font: never narrower,
    and 3% wider where no kerning pair applies."""
    import matplotlib
    from matplotlib.ft2font import FT2Font, LoadFlags

    m = plots._Measure()
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for file, font in (
        ("DejaVuSans.ttf", {}),
        ("DejaVuSans-Bold.ttf", {"weight": "bold"}),
        ("DejaVuSans-Oblique.ttf", {"style": "italic"}),
    ):
        ft = FT2Font(str(folder / file))
        for text, size in (("-0.99 [-1.69, -0.28]", 9.0), ("Random-effects model", 8.0),
                           ("Favours Sham \u2192 \u00e9\u00df\u20ac\u00b2", 10.5)):
            ft.set_size(size, 72)
            ft.set_text(text, 0.0, flags=LoadFlags.NO_HINTING)
            freetype = ft.get_width_height()[0] / 64
            ours = m.width(text, size, **font)
            assert freetype <= ours <= 1.06 * freetype, (file, text)
        ft.set_size(9.0, 72)
        ft.set_text("-0.99 [-1.69, -0.28]", 0.0, flags=LoadFlags.NO_HINTING)
        assert m.width("-0.99 [-1.69, -0.28]", 9.0, **font) == pytest.approx(
            1.03 * ft.get_width_height()[0] / 64, rel=2e-3
        )
    # Characters the font lacks: wide (CJK) ones take an em; forbidden ones nothing.
    assert m.width("\u674e\u660e", 10.0) == pytest.approx(2 * 10.0 * 1.03)
    assert m.width("a\x00\x07b", 10.0) == pytest.approx(m.width("ab", 10.0))
    assert m.width("ab\ncdef", 10.0) == pytest.approx(m.width("cdef", 10.0))  # widest line


def test_unpooled_squares_have_equal_size() -> None:
    result = make_result(3, status="single_study")
    squares = items(build(result), plots._Rect, "square")
    assert len(squares) == 3 and len({(sq.w, sq.h) for sq in squares}) == 1


@pytest.mark.parametrize("k, status", [(0, "no_studies"), (1, "single_study")])
def test_without_pooling_the_reason_replaces_the_diamond(
    tmp_path: Path, k: int, status: str
) -> None:
    result = make_result(k, status=status)
    svg, png = render(result, tmp_path)
    texts = svg_texts(svg)
    # The plot gives the gist of the reason (the report prints it in full beside it).
    short = {"no_studies": "no study with an effect that can be computed.", "single_study": "only one study."}[status]
    assert "No pooled estimate: " + short in texts
    assert not any(t.startswith("Random-effects") for t in texts)
    assert not any("prediction interval" in t for t in texts)
    assert all(has_label(svg, s["label"]) for s in result["studies"])
    fig = build(result)
    assert not items(fig, plots._Polygon, "diamond") and not svg_elements(svg, "polygon", "diamond")
    assert not items(fig, plots._Line, "prediction")
    assert {t.anchor for t in items(fig, plots._Text, "reason")} == {"start"}
    assert png_size(png)[1] > 0


def test_external_evidence_drawn_hollow_or_listed_as_text(tmp_path: Path) -> None:
    result = make_result(4, external=[EXTERNAL_DRAWN, EXTERNAL_NO_CI, EXTERNAL_OTHER_SCALE])
    svg, _ = render(result, tmp_path)
    texts = svg_texts(svg)
    joined = "\n".join(texts)
    assert "External evidence \u2014 not pooled" in texts
    assert fmt_ci(-0.45, -0.6, -0.3) in texts
    # The two not drawn (no interval; another scale) are counted, not listed: the report's
    # text lists them, and a footer repeating it made a plot taller than a page.
    assert ("Not drawn: 2 published meta-analysis results: 1 not on this analysis\u2019s scale and 1 without a "
            "confidence interval (listed in the text).") in " ".join(texts)
    assert "Cochrane Review" not in joined and "Smith" not in joined
    # External evidence never changes the pooled numbers shown.
    p = result["pooled"]
    assert fmt_ci(p["estimate"], p["ci_lb"], p["ci_ub"]) in texts

    fig = build(result)
    (hollow,) = items(fig, plots._Polygon, "external_marker")
    assert hollow.fill == "#ffffff" and hollow.stroke == plots._EXTERNAL_COLOUR
    xs = [fig.axis.value(x) for x, _ in hollow.points]
    assert (min(xs) + max(xs)) / 2 == pytest.approx(-0.45)
    (whisker,) = items(fig, plots._Line, "external_whisker")
    assert whisker.dash  # dashed: not a study
    assert (fig.axis.value(whisker.x1), fig.axis.value(whisker.x2)) == pytest.approx((-0.6, -0.3))
    (marker,) = svg_elements(svg, "polygon", "external_marker")
    assert marker.get("fill") == "#ffffff"


def test_a_long_published_review_name_is_wrapped_not_cut() -> None:
    # A reader looks a drawn review up in the references by its name: "Furlan et al.
    # (2005), Cochra…" could not be found there.
    name = "Furlan et al. (2005), Cochrane Back Review Group, updated search of 2012"
    drawn = EXTERNAL_DRAWN | {"label": name, "k_studies": 3, "n_participants": 173}
    fig = build(make_result(2, external=[drawn, EXTERNAL_NO_CI]))
    labels = [t.text for t in items(fig, plots._Text, "label")]
    assert not any("\u2026" in t for t in labels)
    first = next(i for i, t in enumerate(labels) if t.startswith("Furlan"))
    assert len(labels) > first + 1 and name.startswith(labels[first])
    wrapped = " ".join(labels[first : first + 3])
    assert name in wrapped and "(k = 3, n = 173)" in labels[first : first + 3][-1]
    # The detail is never split across two lines.
    assert not any(t.endswith("n =") or t == "173)" for t in labels)
    (marker,) = items(fig, plots._Polygon, "external_marker")
    label_y = next(t.y for t in items(fig, plots._Text, "label") if t.text == labels[first])
    assert min(y for _, y in marker.points) < label_y  # drawn on the name's first line
    lowest = max(t.y for t in items(fig, plots._Text, "label") if t.text in labels[first:])
    assert max(y for _, y in marker.points) < lowest


def test_a_drawn_review_s_result_against_one_of_its_arms_names_that_arm() -> None:
    # Lee 2023's SMD against sham at non-indicated points, drawn as "Lee et al. (2023), NMA"
    # beside reviews against sham: read as the same comparison as theirs.
    lee = EXTERNAL_DRAWN | {"label": "Lee et al. (2023), NMA",
                            "comparator_arm": "Sham acupuncture at non-indicated points (SATS)"}
    labels = [t.text for t in items(build(make_result(2, external=[lee])), plots._Text, "label")]
    first = next(i for i, t in enumerate(labels) if t.startswith("Lee et al."))
    assert "Lee et al. (2023), NMA, vs Sham acupuncture at non-indicated points (SATS)" in " ".join(
        labels[first : first + 4])
    labels = [t.text for t in items(build(make_result(2, external=[EXTERNAL_DRAWN])), plots._Text, "label")]
    assert not any(" vs " in t for t in labels if "Vickers" in t)


def test_one_published_result_not_drawn_is_counted_in_the_singular() -> None:
    texts = [t.text for t in items(build(make_result(2, external=[EXTERNAL_NO_CI])), plots._Text)]
    assert any(t.startswith("Not drawn: 1 published meta-analysis result without") for t in texts), texts
    assert not any("results" in t for t in texts if t.startswith("Not drawn"))


def test_each_reason_a_published_result_is_not_drawn_for_has_its_count() -> None:
    # Acupunct Med 2020's row 77: an SMD beside an MD analysis and from another time
    # window; "not on this analysis's scale or without a confidence interval" for all 13
    # said nothing of the window, nor which of the two reasons held for how many.
    later = EXTERNAL_OTHER_SCALE | {"outside_window": True}
    assert plots.not_drawn_note([EXTERNAL_OTHER_SCALE] * 12 + [later]) == (
        "Not drawn: 13 published meta-analysis results not on this analysis\u2019s scale, 1 of them also from "
        "another time window")
    assert plots.not_drawn_note([EXTERNAL_OTHER_SCALE, EXTERNAL_NO_CI, EXTERNAL_NO_CI]) == (
        "Not drawn: 3 published meta-analysis results: 1 not on this analysis\u2019s scale and 2 without a confidence "
        "interval")
    assert plots.not_drawn_note([later]) == (
        "Not drawn: 1 published meta-analysis result not on this analysis\u2019s scale, also from another time window")
    assert plots.not_drawn_note([later, later]).endswith("scale, all also from another time window")
    assert plots.not_drawn_note([]) == ""
    # Under the plot, with the pointer to the text's list.
    texts = " ".join(t.text for t in items(build(make_result(2, external=[EXTERNAL_OTHER_SCALE, later])), plots._Text))
    assert ("Not drawn: 2 published meta-analysis results not on this analysis\u2019s scale, 1 of them also from "
            "another time window (listed in the text).") in texts, texts


def test_the_notes_under_a_plot_are_as_large_as_its_rows_text() -> None:
    # At 8 points in a 16-cm drawing the notes were 14 px high in the HTML at a laptop's
    # width, beside 17-px text: the smallest text of the plot, and read in full.
    result = make_result(3, external=[EXTERNAL_NO_CI])
    result["studies"][0]["flags"] = ["known only from a secondary source"]
    fig = build(result)
    notes, rows = items(fig, plots._Text, "footer"), items(fig, plots._Text, "label")
    assert len(notes) >= 2 and rows
    assert {t.size for t in notes} == {max(t.size for t in rows)}
    # Their lines are spaced for their size: none overlaps the next.
    tops = sorted(t.y for t in notes)
    assert min(b - a for a, b in itertools.pairwise(tops)) >= 1.2 * notes[0].size
    # Nor do they run past the foot of the drawing.
    assert max(tops) < fig.height


def test_a_drawn_review_the_summary_does_not_count_is_marked_as_in_the_text() -> None:
    # The text gives Yuan 2016 (musculoskeletal pain) as "not counted, 1 review of a
    # broader population than this review's"; the plot drew it beside the others unmarked.
    broad = EXTERNAL_DRAWN | {"study_id": "Yuan2016", "label": "Yuan et al. (2016)", "population_fit": "broader"}
    second = EXTERNAL_DRAWN | {"study_id": "Rub2010", "label": "Rubinstein (2010)", "source_level": "secondary",
                               "population_fit": "broader"}
    counted = EXTERNAL_DRAWN | {"population_fit": "matches", "source_level": "primary"}
    result = make_result(2, external=[counted, broad, second])
    # The footnotes whole: one may wrap onto more lines than one.
    footer: list[str] = []
    for line in (t.text for t in items(build(result), plots._Text, "footer")):
        if footer and not re.match(r"\([a-z]\) |[\u2020\u2021\u00a7\u00b6]|Dashed lines|Not drawn:", line):
            footer[-1] += " " + line
        else:
            footer.append(line)
    # One footnote per reason, after the studies' own, by the first reason that applies
    # (a secondary source before the population).
    notes = {t[4:]: t[1] for t in footer if re.match(r"\([a-z]\) ", t)}
    broader = "a review of a broader population than this review\u2019s: shown, not counted with the other reviews"
    secondary = "known only from a secondary source: shown, not counted with the other reviews"
    assert set(notes) >= {broader, secondary}
    assert notes[broader] > max(notes[f] for f in notes if f not in (broader, secondary))
    labels = [t.text for t in items(build(result), plots._Text, "label")]
    # The mark ends the row's last line, after the review's details.
    assert labels[labels.index("Yuan et al. (2016)") + 1].endswith(f"n = 20,827) ({notes[broader]})")
    assert labels[labels.index("Rubinstein (2010)") + 1].endswith(f"n = 20,827) ({notes[secondary]})")
    vickers = next(i for i, t in enumerate(labels) if t.startswith("Vickers"))
    assert next(t for t in labels[vickers:] if "(k = 39" in t).endswith("n = 20,827)")
    assert plots.external_flag(counted) is None
    assert plots.external_flag(EXTERNAL_DRAWN | {"population_fit": "different"}) == (
        "a review of another population than this review\u2019s: shown, not counted with the other reviews")
    assert plots.external_flag(EXTERNAL_DRAWN | {"read_elsewhere": True}).startswith(
        "read here only in a document other than the review\u2019s own")


def test_a_trial_known_only_from_a_secondary_source_is_marked_as_such_a_review_is() -> None:
    # Acupuncture vs sham, disability: Rubinstein et al. (2010) was marked "known only from
    # a secondary source", Kwon et al. (2007), a trial read only in a review's table, drawn
    # above it with no such mark, though the summary and limitations name it.
    secondary = EXTERNAL_DRAWN | {"study_id": "Rub2010", "label": "Rubinstein (2010)", "source_level": "secondary"}
    result = make_result(2, external=[secondary])
    result["studies"][0]["source_level"] = "secondary"
    result["studies"][1]["source_level"] = "primary"
    texts = [t.text for t in items(build(result), plots._Text)]
    notes = {t[4:]: t[1] for t in texts if re.match(r"\([a-z]\) ", t)}
    assert notes.get("known only from a secondary source") == "a", notes
    labels = [t.text for t in items(build(result), plots._Text, "label")]
    first, second = (s["label"] for s in result["studies"])
    assert any(t.startswith(first) and t.endswith("(a)") for t in labels), labels
    assert not any(t.startswith(second) and t.endswith("(a)") for t in labels), labels
    assert plots.source_flags({"source_level": "primary"}) == [] == plots.source_flags({})


def test_a_study_whose_identity_is_rated_low_is_marked_whatever_its_source() -> None:
    # The text flags a study whose identity the team rates low wherever it gives its
    # effect ("Trial C (study identity low)"); the plot drew it unmarked, a primary
    # report's and a secondary source's alike. Marked with a footnote of its own: a
    # secondary source whose identity is rated low carries both marks.
    result = make_result(3)
    first, second, third = result["studies"]
    first.update(source_level="primary", identity_confidence="low", flags=[])
    second.update(source_level="secondary", identity_confidence="low", flags=[])
    third.update(source_level="secondary", identity_confidence="high", flags=[])
    texts = [t.text for t in items(build(result), plots._Text)]
    notes = {t[4:]: t[1] for t in texts if re.match(r"\([a-z]\) ", t)}
    low, secondary = notes.get(plots.IDENTITY_LOW), notes.get(plots.SECONDARY_TRIAL)
    assert low and secondary and low != secondary, notes
    labels = [t.text for t in items(build(result), plots._Text, "label")]

    def marks(study: dict[str, Any]) -> str:
        return next(t for t in labels if t.startswith(study["label"])).removeprefix(study["label"])

    assert marks(first) == f" ({low})"
    assert marks(second) == f" ({secondary},{low})"
    assert marks(third) == f" ({secondary})"
    assert plots.source_flags({"source_level": "primary", "identity_confidence": "medium"}) == []
    # In the words the report's text flags it with.
    from metareview.report.overview import IDENTITY_LOW

    assert plots.IDENTITY_LOW == IDENTITY_LOW

def test_a_flag_names_its_row_in_words_not_by_the_internal_key() -> None:
    result = make_result(2)
    result["studies"][0]["flags"] = [(
        "rated by its raw row as extracted with low confidence: see the notes of contrasts.csv:Chen2022#1, "
        "arm_outcomes.csv:Cherkin2009#11, arm_outcomes.csv:Cherkin2009#22")]
    texts = " ".join(t.text for t in items(build(result), plots._Text))
    assert "#" not in texts and "Chen2022#" not in texts, texts
    # A reader's figure says where the reason is in words; the audit trail names the rows.
    assert ".csv" not in texts, texts
    # The footnote's lines, read on (it may wrap).
    notes = " ".join(t.text for t in items(build(result), plots._Text, "footer"))
    assert re.search(r"(^| )\(a\) rated by its raw row as extracted with low confidence; the notes of its "
                     "raw rows, which the audit", notes), notes
    # Two studies rated alike share one footnote.
    result["studies"][1]["flags"] = [("rated by its raw row as extracted with low confidence: see the notes of "
                                      "contrasts.csv:B#1, contrasts.csv:B#2")]
    labels = [t.text for t in items(build(result), plots._Text, "label")]
    assert sum(t.endswith("(a)") for t in labels) == 2, labels
    assert plots.readable_refs(result["studies"][0]["flags"][0]).endswith(
        "see the notes of the 1st Chen2022 row of contrasts.csv, the 11th and 22nd Cherkin2009 rows of "
        "arm_outcomes.csv")
    # One study's rows named once (Kwon 2007's two arms), however many; another study's
    # or another file's row after them named apart.
    assert plots.readable_refs("see arm_outcomes.csv:Kwon2007#1, arm_outcomes.csv:Kwon2007#2, "
                               "arm_outcomes.csv:Kwon2007#3, contrasts.csv:Kwon2007#1; and arm_outcomes.csv:A#21") == (
        "see the 1st, 2nd and 3rd Kwon2007 rows of arm_outcomes.csv, the 1st Kwon2007 row of contrasts.csv; "
        "and the 21st A row of arm_outcomes.csv")


def test_a_sparse_tables_footnote_gives_the_exact_test_the_report_goes_by() -> None:
    # The flag calls the interval an approximation; the report reads the trial by Fisher's
    # exact test instead, so the figure's footnotes give that p beside it.
    result = make_result(1, status="single_study")
    study = result["studies"][0]
    study["flags"] = ["sparse 2\u00d72 table (a cell below 5: 16/34 vs 2/16): the interval is an approximation"]
    study["exact_p"] = 0.02634
    texts = " ".join(t.text for t in items(build(result), plots._Text))
    assert "the interval is an approximation" in texts
    assert "Fisher\u2019s exact test (two-sided): p = 0.026" in texts, texts
    # Without an exact test, no such footnote.
    del study["exact_p"]
    assert "Fisher" not in " ".join(t.text for t in items(build(result), plots._Text))


@pytest.mark.parametrize("status", ["pooled", "single_study"])
@pytest.mark.parametrize("label", ["A (2001)", "A trial with a long name, reported twice (2001)"])
def test_the_plot_area_narrows_to_keep_the_figure_within_the_text_width(
        status: str, label: str, monkeypatch: pytest.MonkeyPatch) -> None:
    result = make_result(3 if status == "pooled" else 1, status=status, labels=[label] * 3)
    result["reason"] = ("Only one study: a pooled estimate, heterogeneity and a prediction interval need at least "
                        "two studies, and the study's own effect is shown instead of them.")
    fitted = build(result)
    target = plots._TARGET_IN * 72
    monkeypatch.setattr(plots, "_TARGET_IN", 100.0)
    full = build(result)
    # The figure is never wider than the text (its text would print smaller): the plot
    # area gives up width first, down to its least, then the labels wrap.
    assert fitted.width == pytest.approx(min(full.width, target))
    plot_w = fitted.axis.x1 - fitted.axis.x0
    assert plot_w >= plots._PLOT_MIN_IN * 72 - 0.01
    def labels(fig: Any) -> list[str]:
        return [t.text for t in items(fig, plots._Text, "label")]

    if labels(fitted) == labels(full):  # no label wrapped further
        assert (full.axis.x1 - full.axis.x0) - plot_w == pytest.approx(full.width - fitted.width)
    # Nothing runs past the figure, the reason's line (in its short form) neither.
    assert all(0 <= x0 and x1 <= fitted.width for _, (x0, _, x1, _) in text_boxes(fitted))
    lines = [t.text for t in items(fitted, plots._Text, "reason")]
    assert lines == (["No pooled estimate: only one study."] if status == "single_study" else [])


def test_a_long_review_name_wraps_before_the_figure_grows_past_the_text_width() -> None:
    # Rubinstein et al. (2010) (k = 3, n = 1,044) beside short trial names: in a figure
    # already wider than the text, the name wraps (it may run on over the empty n column)
    # instead of widening the label column.
    long = {**EXTERNAL_DRAWN, "study_id": "R", "label": "Rubinstein et al. (2010), a review of many names",
            "k_studies": 3, "n_participants": 1044}
    result = make_result(2, labels=["Cherkin et al. (2009)", "Kwon et al. (2007)"], external=[long])
    fig = build(result)
    assert fig.width <= plots._TARGET_IN * 72 + 0.01
    side = plots._SIDE_IN * 72
    column = [(t, box) for t, box in text_boxes(fig) if t and abs(box[0] - side) < 0.01]
    texts = [t for t, _ in column]
    first = next(i for i, t in enumerate(texts) if t.startswith("Rubinstein"))
    last = next(i for i, t in enumerate(texts) if "(k = 3, n = 1,044)" in t)
    review = [box[2] for _, box in column[first : last + 1]]
    assert len(review) >= 2 and max(review) <= fig.axis.x0 - plots._GAP_IN * 72 + 0.01
    # Trial names are whole: nothing is cut to fit.
    assert "Cherkin et al. (2009)" in texts and not any(t.endswith("\u2026") for t in texts)


@pytest.mark.parametrize("k", [1, 2, 12])
@pytest.mark.parametrize("scale", [1, 3])
def test_a_figure_with_long_names_stays_within_the_text_width(k: int, scale: int) -> None:
    # Every column at its widest: events/n, weights, long trial and review names, the
    # pooled model's label ("Random-effects model (k = 12)").
    names = [f"{name} et al. ({2000 + i}), a multicentre trial in primary care" * scale
             for i, name in enumerate(["Cherkin", "Haake", "Brinkhaus", "Witt"] * 3)]
    review = {**EXTERNAL_DRAWN, "study_id": "R", "k_studies": 31, "n_participants": 4876,
              "label": "Yuan et al. (2016), musculoskeletal pain, a review of reviews" * scale}
    result = make_result(k, labels=names, external=[review, EXTERNAL_NO_CI])
    for study in result["studies"]:
        study.update(n1=1234, n2=1235)
    fig = build(result)
    assert fig.width <= plots._TARGET_IN * 72 + 0.01
    assert fig.axis.x1 - fig.axis.x0 >= plots._PLOT_FLOOR_IN * 72 - 0.01
    assert all(0 <= x0 and x1 <= fig.width for _, (x0, _, x1, _) in text_boxes(fig))
    # The labels stay clear of the n column's numbers and of the plot area.
    n_left = min(box[0] for t, box in text_boxes(fig) if t.startswith("1234 /"))
    # (The heading, alone on its row, may run across.)
    labels = [box for t, box in text_boxes(fig) if abs(box[0] - plots._SIDE_IN * 72) < 0.01 and t in
              {x.text for x in items(fig, plots._Text, "label")} and not t.startswith("External evidence")]
    rows_with_n = {round(box[1], 1) for t, box in text_boxes(fig) if t.startswith("1234 /")}
    assert all(box[2] <= n_left for box in labels if round(box[1], 1) in rows_with_n)
    assert all(box[2] <= fig.axis.x0 for box in labels)


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


def test_a_single_study_plot_gives_the_analysis_s_confidence_level(tmp_path: Path) -> None:
    result = {**make_result(1), "level": 90.0}
    plots.forest_plot(result, tmp_path / "one.svg")
    texts = svg_texts(tmp_path / "one.svg")
    assert any("(90% CI)" in t for t in texts) and not any("95% CI" in t for t in texts)
    # A result written before the level was kept: 95%, as before.
    del result["level"]
    plots.forest_plot(result, tmp_path / "old.svg")
    assert any("(95% CI)" in t for t in svg_texts(tmp_path / "old.svg"))


def test_intervals_in_the_plot_are_written_as_in_the_text(tmp_path: Path) -> None:
    # The text and tables write "−0.51 (95% CI −1.39 to 0.37)"; the plot wrote
    # "−0.51 [−1.39, 0.37]" beside them. One study with yi = −0.5, vi = 0.04: the
    # interval is −0.5 ± 1.96 × 0.2 = −0.89 to −0.11. The prediction interval uses
    # the same form.
    result = make_result(2, external=[EXTERNAL_DRAWN, {**EXTERNAL_DRAWN, "study_id": "X", "comparable": False,
                                                       "label": "Listed review"}])
    study = result["studies"][0]
    study.update(yi=-0.5, vi=0.04, ci_lb=-0.5 - Z95 * 0.2, ci_ub=-0.5 + Z95 * 0.2)
    result["pooled"].update(pi_lb=-1.234, pi_ub=0.5)
    plots.forest_plot(result, tmp_path / "ci.svg")
    texts = svg_texts(tmp_path / "ci.svg")
    joined = " ".join(texts)
    assert "\u22120.50 (\u22120.89 to \u22120.11)" in texts
    assert "(\u22121.23 to 0.50)" in texts
    assert "SMD (95% CI)" in joined
    assert not re.search(r"\[[^\]]*\d, [^\]]*\]", joined)


def test_a_mean_difference_s_axis_names_its_common_scale() -> None:
    # "Mean difference" alone: half a point is much on 0 to 10, little on 0 to 100.
    result = make_result(2)
    result["analysis"].update(measure="MD", measure_label="Mean difference", common_scale="0 to 10")
    assert build(result).axis.label == "Mean difference (0 to 10 scale)"
    del result["analysis"]["common_scale"]
    assert build(result).axis.label == "Mean difference"
    # An outcome in a unit has no scale: its axis names the unit.
    result["analysis"]["unit"] = "days"
    assert build(result).axis.label == "Mean difference (days)"
    assert build(make_result(2)).axis.label == "SMD (Hedges\u2019 g)"


def test_participants_in_the_plot_are_written_as_in_the_text(tmp_path: Path) -> None:
    # 20,827, as the report's text prints it, not 20827.
    drawn = {**EXTERNAL_DRAWN, "n_participants": 20827}
    listed = {**EXTERNAL_NO_CI, "n_participants": 1872, "comparable": True}
    plots.forest_plot(make_result(3, external=[drawn, listed]), tmp_path / "n.svg")
    texts = " ".join(svg_texts(tmp_path / "n.svg"))
    assert "n = 20,827" in texts and "20827" not in texts


@pytest.mark.parametrize("text, typeset", [
    ("-0.51 [-1.39, 0.37]", "\u22120.51 [\u22121.39, 0.37]"),
    ("around -2.17; (x=-3)", "around \u22122.17; (x=\u22123)"),
    # Ranges, identifiers and exponents keep their hyphens.
    ("VAS 0-100, 10%-20%, x-1, 1e-05, 2024-05-01", "VAS 0-100, 10%-20%, x-1, 1e-05, 2024-05-01"),
    # Apostrophes as in the report's text: within a word, and a plural's.
    ("Cohen's d, the arms' means, 'quoted'", "Cohen\u2019s d, the arms\u2019 means, 'quoted'"),
])
def test_figure_text_is_typeset_as_the_report_s(text: str, typeset: str) -> None:
    assert plots.typeset(text) == typeset


def test_a_reason_in_the_plot_area_keeps_clear_of_the_axis() -> None:
    result = make_result(1, status="single_study")
    result["reason"] = ("Only one study: a pooled estimate, heterogeneity and a prediction interval need at least "
                        "two studies, and the study's own effect is shown instead of them.")
    fig = build(result)
    [axis] = items(fig, plots._Line, "axis")
    bottoms = [t.box()[3] for t in items(fig, plots._Text, "reason")]
    assert bottoms and axis.y1 - max(bottoms) >= plots._ROW_IN * 72 / 4


@pytest.mark.parametrize("status, reason, lines", [
    # The report's long reason for one study: the plot gives its gist, on one line.
    ("single_study", "Only 1 study: nothing to pool; the study's own effect is shown.",
     ["No pooled estimate: only one study."]),
    # A reason without a short form is given whole, across the figure: two lines (not the
    # seven it took wrapped into the plot area).
    ("not_poolable", ("The sources do not name these comparators, so they cannot be assumed to be the same "
                      "treatment: the studies are shown, not pooled."), None),
])
def test_a_reason_is_short_and_runs_across_the_figure(status: str, reason: str, lines: list[str] | None) -> None:
    result = make_result(1 if status == "single_study" else 2, status=status)
    result["reason"] = reason
    fig = build(result)
    drawn = items(fig, plots._Text, "reason")
    if lines is not None:
        assert [t.text for t in drawn] == lines
    else:
        assert 1 <= len(drawn) <= 2
        assert " ".join(t.text for t in drawn) == plots.typeset(
            "No pooled estimate: the sources do not name these comparators, so they cannot be assumed to be the "
            "same treatment: the studies are shown, not pooled.")
    # Every line starts at the label column and may run past the plot area, within the figure.
    x_label = plots._SIDE_IN * 72
    assert all(t.x == pytest.approx(x_label) and t.anchor == "start" and t.box()[2] <= fig.width - x_label
               for t in drawn)
    assert any(t.box()[2] > fig.axis.x1 for t in drawn) or lines is not None


def test_tick_labels_on_a_narrow_axis_do_not_touch(monkeypatch: pytest.MonkeyPatch) -> None:
    # The plot area at its narrowest, an axis of 2-decimal ticks (-1.25 ... 0.25).
    monkeypatch.setattr(plots, "_TARGET_IN", 1.0)
    result = make_result(3, labels=["A trial with a long name, reported twice (2001)"] * 3, seed=7)
    for s, (yi, lb, ub) in zip(result["studies"], [(-1.2, -1.3, -0.6), (-0.4, -0.8, 0.1), (0.1, -0.2, 0.2)],
                               strict=True):
        s.update(yi=yi, ci_lb=lb, ci_ub=ub)
    fig = build(result)
    labels = sorted((box for t, box in text_boxes(fig) if t in fig.axis.tick_labels), key=lambda b: b[0])
    assert len(labels) == len(fig.axis.tick_labels) >= 3
    assert all(a[2] + plots._TICK_LABEL_GAP / 2 <= b[0] for a, b in itertools.pairwise(labels))


def test_a_studys_weight_is_rounded_as_the_report_rounds_numbers(tmp_path: Path) -> None:
    # Weights of 12.65% and 87.35%: ties at one decimal, which the report's study table
    # prints 12.6 and 87.4 (metareview.fmt.fixed, ties to even on the decimal); Python's
    # rounding of the binary values gave 12.7 and 87.3 in the figure.
    result = make_result(2)
    result["studies"][0]["weight"], result["studies"][1]["weight"] = 12.65, 87.35
    texts = svg_texts(render(result, tmp_path)[0])
    assert "12.6%" in texts and "87.4%" in texts
    assert "12.7%" not in texts and "87.3%" not in texts


def test_the_model_line_prints_heterogeneity_as_the_report_text_does() -> None:
    # Acupuncture vs sham, disability (k = 2): the text reads "τ² = 0.000", "I² = 0.0%",
    # "Q = 0.15 (df = 1, p = 0.700)"; the figure read "tau² = 0", "I² = 0%", "p = 0.70".
    # τ by its letter, as the text names it, not spelt out.
    pooled = {"method": "REML", "test": "adhoc", "k": 2, "tau2": 0.0, "I2": 0.0, "QE": 0.1496, "QEp": 0.6990}
    line = plots._model_line(pooled)
    assert "\u03c4\u00b2 = 0.000" in line and "I\u00b2 = 0.0%" in line and "tau" not in line
    assert "Q = 0.15 (df = 1, p = 0.699)" in line
    # Three decimals below 0.01 too, and the same floor as the text.
    assert "p = 0.004" in plots._model_line({**pooled, "QEp": 0.0044})
    assert "p < 0.001" in plots._model_line({**pooled, "QEp": 0.0004})
    # Q rounded as the text rounds it (fixed: ties to even on the decimal): a Q of 0.165
    # is "Q = 0.16" there, where Python's rounding of the binary 0.16500000000000001 gave 0.17.
    assert "Q = 0.16 (" in plots._model_line({**pooled, "QE": 0.165})


def _risk_ratio_result() -> dict[str, Any]:
    """Three trials' risk ratios of responders, as a review with events in both arms has
    them: the events/n column is wide, which leaves the plot area and the names narrow."""
    trials = [("Adams et al. (2015)", 22, 40, 12, 40), ("Baker et al. (2017)", 30, 55, 19, 55),
              ("Fischer et al. (2021)", 21, 45, 13, 45)]
    studies = []
    for label, e1, n1, e2, n2 in trials:
        # log RR and its variance by hand: ln((e1/n1) / (e2/n2)), 1/e1 - 1/n1 + 1/e2 - 1/n2.
        yi, vi = math.log((e1 / n1) / (e2 / n2)), 1 / e1 - 1 / n1 + 1 / e2 - 1 / n2
        studies.append({"study_id": label.split()[0], "label": label, "yi": yi, "vi": vi,
                        "ci_lb": yi - Z95 * math.sqrt(vi), "ci_ub": yi + Z95 * math.sqrt(vi), "weight": 100 / 3,
                        "n1": n1, "n2": n2, "events1": e1, "events2": e2, "flags": []})
    analysis = {"id": "pil_vs_uc_responders", "measure": "RR", "intervention_label": "Pilates",
                "comparator_label": "Usual care", "outcome_label": "Responders", "window_label": "Short term",
                "measure_label": "Risk ratio", "favours_intervention_when": "above", "scale": "log",
                "events": "beneficial"}
    pooled = {"estimate": 0.505, "ci_lb": -0.134, "ci_ub": 1.144, "pi_lb": -0.134, "pi_ub": 1.144, "tau2": 0.0,
              "I2": 0.0, "QE": 0.18, "QEp": 0.91, "k": 3, "method": "REML", "test": "adhoc", "level": 95.0}
    return {"analysis": analysis, "status": "pooled", "k": 3, "studies": studies, "external": [], "pooled": pooled}


def test_a_narrow_ratio_axis_takes_ticks_whose_labels_do_not_touch() -> None:
    fig = build(_risk_ratio_result())
    ticks = sorted((t.box() for t in items(fig, plots._Text, "tick_label")), key=lambda b: b[0])
    assert len(ticks) >= 4
    # The finer set (0.8, 1, 1.25, 1.5, 2, ...) set "1.25" on "1.5" here.
    gaps = [b[0] - a[2] for a, b in itertools.pairwise(ticks)]
    assert min(gaps) >= plots._TICK_LABEL_GAP - 0.01, gaps
    # Without a plot area to fit, the finest set that gives 4 to 8 ticks is still chosen.
    values = [s[k] for s in _risk_ratio_result()["studies"] for k in ("ci_lb", "ci_ub")]
    assert [t for _, t in plots._ratio_ticks(values)] == ["0.8", "1", "1.25", "1.5", "2", "2.5", "3", "4"]


def test_a_label_wraps_between_words_never_inside_one() -> None:
    fig = build(_risk_ratio_result())
    lines = [t.text for t in items(fig, plots._Text, "label")]
    # "Random-effects model (k = 3)" once read "Random-effect" over "s model (k = 3)".
    words = {w for label in ("Random effects", "95% prediction interval", "Adams et al. (2015)",
                             "Baker et al. (2017)", "Fischer et al. (2021)") for w in label.split()}
    assert {w for line in lines for w in line.split()} <= words, lines


# -- binary analyses: the events column ----------------------------------------------------

#: Per trial (events, size) in the intervention arm, then in the comparator arm.
MANY_LARGE_COUNTS = [(1234, 5678, 12, 15000), (45, 120, 30, 118), (7, 9876, 3, 9901)] * 10
FEW_LARGE_COUNTS = [(1234, 5678, 987, 5702), (2345, 6789, 2101, 6811), (1500, 4000, 1450, 4100)]


def _binary_result(counts: list[tuple[int, int, int, int]], measure: str = "RR") -> dict[str, Any]:
    """A binary analysis of trials with these counts, each effect by hand: log risk ratio
    ln((e1/n1) / (e2/n2)), variance 1/e1 - 1/n1 + 1/e2 - 1/n2; log odds ratio
    ln(e1 (n2 - e2) / ((n1 - e1) e2)), variance 1/e1 + 1/(n1 - e1) + 1/e2 + 1/(n2 - e2);
    risk difference e1/n1 - e2/n2, variance p1 (1 - p1)/n1 + p2 (1 - p2)/n2."""
    studies = []
    for i, (e1, n1, e2, n2) in enumerate(counts):
        p1, p2 = e1 / n1, e2 / n2
        yi, vi = {
            "RR": (math.log(p1 / p2), 1 / e1 - 1 / n1 + 1 / e2 - 1 / n2),
            "OR": (math.log(e1 * (n2 - e2) / ((n1 - e1) * e2)), 1 / e1 + 1 / (n1 - e1) + 1 / e2 + 1 / (n2 - e2)),
            "RD": (p1 - p2, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2),
        }[measure]
        studies.append({"study_id": f"T{i + 1}", "label": f"Trial {i + 1} ({2000 + i})", "yi": yi, "vi": vi,
                        "ci_lb": yi - Z95 * math.sqrt(vi), "ci_ub": yi + Z95 * math.sqrt(vi), "weight": None,
                        "n1": n1, "n2": n2, "events1": e1, "events2": e2, "flags": []})
    total = sum(1 / s["vi"] for s in studies)
    for s in studies:
        s["weight"] = 100 / s["vi"] / total
    result = _risk_ratio_result()
    result["analysis"].update(measure=measure, measure_label={"RR": "Risk ratio", "OR": "Odds ratio",
                                                              "RD": "Risk difference"}[measure],
                              scale="" if measure == "RD" else "log")
    # The alt text's numbers by hand (as in the report's tests): exp(0.4) = 1.49,
    # exp(-0.1) = 0.90, exp(0.9) = 2.46.
    result["pooled"].update(estimate=0.4, ci_lb=-0.1, ci_ub=0.9, pi_lb=-0.3, pi_ub=1.1, k=len(counts))
    return {**result, "k": len(counts), "studies": studies}


@pytest.mark.parametrize("measure", ["RR", "OR", "RD"])
@pytest.mark.parametrize("counts", [MANY_LARGE_COUNTS, FEW_LARGE_COUNTS], ids=["30 trials", "3 trials"])
def test_a_binary_analysis_with_large_counts_fits_the_text_width(
    counts: list[tuple[int, int, int, int]], measure: str
) -> None:
    # "12860/156740 vs 450/250190" on the totals row made the figure 60 points wider than
    # the text: printed smaller, or cut.
    fig = build(_binary_result(counts, measure))
    assert fig.width <= plots._TARGET_IN * 72 + 0.01
    assert fig.axis.x1 - fig.axis.x0 >= plots._PLOT_FLOOR_IN * 72 - 0.01
    # At the same type size as every other plot's.
    assert {t.size for t in items(fig, plots._Text, "n")} == {plots._FONT}
    boxes = text_boxes(fig)
    assert all(0 <= x0 and x1 <= fig.width for _, (x0, _, x1, _) in boxes)
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1 :]:
            assert min(a[2], b[2]) - max(a[0], b[0]) <= 0.5 or min(a[3], b[3]) - max(a[1], b[1]) <= 0.5, (ta, tb)


@pytest.mark.parametrize("counts", [MANY_LARGE_COUNTS, FEW_LARGE_COUNTS], ids=["30 trials", "3 trials"])
def test_stacked_events_keep_every_count_the_intervention_over_the_comparator(
    counts: list[tuple[int, int, int, int]], tmp_path: Path
) -> None:
    result = _binary_result(counts)
    svg, _ = render(result, tmp_path)
    cells = [("".join(e.itertext()), float(e.get("x")), float(e.get("y"))) for e in svg_elements(svg, "text", "n")]
    totals = tuple(sum(c[j] for c in counts) for j in range(4))
    expected = [(f"{e1}/{n1}", f"{e2}/{n2}") for e1, n1, e2, n2 in [*counts, totals]]
    # Each arm on a line of its own, the comparator's right under the intervention's,
    # both right-aligned on the column's edge; the studies in order, then the totals.
    assert [(a[0], b[0]) for a, b in zip(cells[::2], cells[1::2], strict=True)] == expected
    row_h = plots._ROW_IN * 72
    assert all(b[2] - a[2] == pytest.approx(row_h, abs=0.01) for a, b in zip(cells[::2], cells[1::2], strict=True))
    assert len({x for _, x, _ in cells}) == 1
    assert {e.get("text-anchor") for e in svg_elements(svg, "text", "n")} == {"end"}
    # A study's square is on its first line, with its name, estimate and weight.
    squares = svg_elements(svg, "rect", "square")
    centres = [float(r.get("y")) + float(r.get("height")) / 2 for r in squares]
    firsts = [y for _, _, y in cells[:-2:2]]
    assert len(centres) == len(counts)
    assert all(abs(c - (y - plots._FONT * (plots._ASCENT_EM - plots._DESCENT_EM) / 2)) < 1.0
               for c, y in zip(centres, firsts, strict=True))
    # The header says which arm is on top.
    headers = [t.text for t in items(build(result), plots._Text, "header")]
    assert "Events/n" in headers and "int. above comp." in headers


def test_a_binary_plot_that_fits_keeps_both_arms_on_one_line() -> None:
    # Stacking takes a line more per study: only a figure otherwise wider than the text
    # takes it.
    fig = build(_risk_ratio_result())
    assert [t.text for t in items(fig, plots._Text, "n")] == [
        "22/40 vs 12/40", "30/55 vs 19/55", "21/45 vs 13/45", "73/140 vs 44/140"]
    assert "int. above comp." not in {t.text for t in items(fig, plots._Text, "header")}


@pytest.mark.parametrize("measure", ["RR", "RD"])
def test_a_stacked_binary_plot_keeps_its_alt_text(measure: str) -> None:
    from metareview.report import forest_alt

    result = _binary_result(MANY_LARGE_COUNTS, measure)
    said = "1.49 (95% CI 0.90 to 2.46)" if measure == "RR" else "0.40 (95% CI \u22120.10 to 0.90)"
    assert forest_alt(result["analysis"], result, 95) == (
        f"Forest plot of 30 studies (20 intervals wholly on pilates\u2019s side and 10 compatible with no difference) "
        f"and their pooled estimate, {measure} {said}, interval compatible with no difference. The values are written "
        "out in the table of study effects below and in the text.")


@pytest.mark.parametrize("favours", ["below", "above"])
def test_a_long_favours_label_wraps_within_its_side_aligned_to_the_outside(favours: str) -> None:
    # Lower is better: the comparator's label is the right one; for responders (beneficial
    # events, a ratio with a wide events column) it is the left one.
    result = make_result(1) if favours == "below" else _risk_ratio_result()
    result["analysis"]["comparator_label"] = "Usual care or guideline-based conventional therapy"
    fig = build(result)
    x_zero = fig.axis.x(0.0)
    lines = items(fig, plots._Text, "favours")
    left = [t for t in lines if t.box()[2] <= x_zero]
    right = [t for t in lines if t.box()[0] >= x_zero]
    # Every line keeps to its side of the line of no effect: none crosses it.
    assert len(left) + len(right) == len(lines)
    long_side, arrow = (right, "\u2192") if favours == "below" else (left, "\u2190")
    long_lines = [t.text for t in long_side]
    assert len(long_lines) >= 2, long_lines
    assert " ".join(" ".join(long_lines).replace(arrow, "").split()) == (
        "Favours Usual care or guideline-based conventional therapy")
    # Aligned toward the outside, where its arrow points: the lines of the comparator's
    # label end together on the right (or start together on the left), so that its last
    # word is not left on its own next to the line of no effect, under the axis's middle.
    edges = [t.box()[2] if favours == "below" else t.box()[0] for t in long_side]
    assert max(edges) - min(edges) < 0.01, long_lines
    assert (long_lines[-1] if favours == "below" else long_lines[0]).count(arrow) == 1
    # Lines of even length: no word stranded on a line of its own (the arrow aside).
    assert all(len(line.replace(arrow, "").split()) >= 2 for line in long_lines), long_lines


def test_a_label_keeps_a_bracketed_phrase_on_one_line() -> None:
    m = plots._Measure()
    label = "Acupunct Med 2020 meta-analysis (authors unverified)"
    # Room for everything up to "(authors" but not for the whole label: greedy wrapping
    # broke the phrase, leaving "unverified)" alone on the second line.
    room = m.width("Acupunct Med 2020 meta-analysis (authors", plots._FONT) + 1
    row = plots._Row("external", label=label)
    assert plots._label_lines(row, room, m) == ["Acupunct Med 2020 meta-analysis", "(authors unverified)"]
    # With footnote marks after it, which join the last line.
    row = plots._Row("external", label=label, text=" (a)")
    assert plots._label_lines(row, room, m) == ["Acupunct Med 2020 meta-analysis", "(authors unverified) (a)"]
    # A phrase wider than a line is still broken at its spaces, never cut inside a word.
    room = m.width("unverified)", plots._FONT) + 1
    assert plots._label_lines(plots._Row("external", label=label), room, m)[-2:] == ["(authors", "unverified)"]


def test_a_published_review_keeps_its_name_whole_and_its_details_on_a_line_of_their_own() -> None:
    m = plots._Measure()
    # Too narrow for the name and the details on one line, wide enough for either alone.
    room = m.width("Rubinstein et al. (2010) (k = 1,", plots._FONT) + 1
    row = plots._Row("external", label="Rubinstein et al. (2010)", text=" (k = 1, n = 745) (d)")
    # Not "Rubinstein et al." / "(2010) (k = 1, n = 745) (d)", which parted the name from its year.
    assert plots._label_lines(row, room, m) == ["Rubinstein et al. (2010)", "(k = 1, n = 745) (d)"]
    # Footnote marks alone still take the name's last word with them rather than stand alone.
    room = m.width("Trial 34 (2033)", plots._FONT) + 1
    row = plots._Row("study", label="Trial 34 (2033)", text=" (a)")
    assert plots._label_lines(row, room, m) == ["Trial 34", "(2033) (a)"]


# -- published intervals at another level, or of a level not stated ----------------------


def _estimates_and_footer(fig: Any) -> tuple[list[str], list[str]]:
    """Each row's interval with the mark after it, and the lines under the plot."""
    marks = {t.y: t.text for t in items(fig, plots._Text, "level_mark")}
    return ([t.text + marks.get(t.y, "") for t in items(fig, plots._Text, "estimate")],
            [t.text for t in items(fig, plots._Text, "footer")])


def test_a_mark_hangs_after_the_interval_so_the_numbers_stay_aligned() -> None:
    marked = EXTERNAL_DRAWN | {"study_id": "Mu2020", "label": "Mu (2020)", "ci_level": None}
    fig = build(make_result(3, external=[EXTERNAL_DRAWN | {"ci_level": 95.0}, marked]))
    estimates = items(fig, plots._Text, "estimate")
    (mark,) = items(fig, plots._Text, "level_mark")
    # Every interval ends at one x, the marked one too; its mark starts there.
    assert {(t.x, t.anchor) for t in estimates} == {(mark.x, "end")}
    assert mark.anchor == "start" and mark.text == "\u2020"
    # The header ends at the column's edge, past the numbers by the mark's width.
    (header,) = [t for t in items(fig, plots._Text, "header") if t.text.startswith("SMD")]
    assert header.anchor == "end" and header.x == pytest.approx(mark.x + mark.width)


def test_a_published_interval_of_unstated_level_is_marked_not_passed_off_as_95() -> None:
    # Mu et al. (2020) print "-1.03 (-1.71 to -0.34)" with no level: under "MD (95% CI)"
    # unmarked it read as a 95% interval.
    unstated = EXTERNAL_DRAWN | {"study_id": "Mu2020", "label": "Mu (2020)", "ci_level": None}
    stated = EXTERNAL_DRAWN | {"study_id": "Lee2023", "label": "Lee (2023)", "estimate": -0.13, "ci_lb": -0.25,
                               "ci_ub": -0.02, "ci_level": 95.0}
    fig = build(make_result(3, external=[stated, unstated]))
    estimates, footer = _estimates_and_footer(fig)
    assert "SMD (95% CI)" in [t.text for t in items(fig, plots._Text, "header")]
    assert fmt_ci(-0.45, -0.6, -0.3) + "\u2020" in estimates
    # A review that states the plot's own level keeps its interval as it was.
    assert fmt_ci(-0.13, -0.25, -0.02) in estimates
    assert sum("\u2020" in t for t in estimates) == 1
    assert footer.count("\u2020 level not stated by the source") == 1
    # The mark's note comes after the footnotes of letters, one line.
    assert footer.index("\u2020 level not stated by the source") > max(
        i for i, t in enumerate(footer) if re.match(r"\([a-z]\) ", t))


def test_a_published_interval_at_another_stated_level_is_labelled_with_it() -> None:
    ninety = EXTERNAL_DRAWN | {"study_id": "A", "label": "A (2019)", "ci_level": 90.0}
    ninety_nine = EXTERNAL_DRAWN | {"study_id": "B", "label": "B (2020)", "estimate": -0.2, "ci_lb": -0.5,
                                    "ci_ub": 0.1, "ci_level": 99}
    unstated = EXTERNAL_DRAWN | {"study_id": "C", "label": "C (2021)", "estimate": -0.3, "ci_lb": -0.4,
                                 "ci_ub": -0.2, "ci_level": None}
    # Drawn in this order; the marks go by kind, not by row: not stated, then the levels
    # from the lowest.
    result = make_result(2, external=[ninety_nine, ninety, unstated])
    assert plots.unmatched_levels(result) == {None: 1, 90.0: 1, 99.0: 1}
    assert list(plots.unmatched_levels(result)) == [None, 90.0, 99.0]
    estimates, footer = _estimates_and_footer(build(result))
    assert fmt_ci(-0.3, -0.4, -0.2) + "\u2020" in estimates
    assert fmt_ci(-0.45, -0.6, -0.3) + "\u2021" in estimates
    assert fmt_ci(-0.2, -0.5, 0.1) + "\u00a7" in estimates
    assert footer[-3:] == ["\u2020 level not stated by the source", "\u2021 90% CI, as stated by the source",
                           "\u00a7 99% CI, as stated by the source"]
    # Under a plot of 90% intervals, a review's 90% interval is the column's; a 95% one is not.
    result = make_result(2, external=[ninety, EXTERNAL_DRAWN | {"ci_level": 95}])
    result["pooled"]["level"] = 90
    estimates, footer = _estimates_and_footer(build(result))
    assert "SMD (90% CI)" in [t.text for t in items(build(result), plots._Text, "header")]
    assert [t[-1] for t in estimates[-2:]] == [")", "\u2020"]
    assert footer[-1] == "\u2020 95% CI, as stated by the source"
    assert plots.unmatched_levels(result) == {95.0: 1}


def test_a_level_of_a_published_result_not_drawn_gets_no_mark() -> None:
    # Counted under the plot, not drawn: no interval in the column to mark.
    result = make_result(2, external=[EXTERNAL_OTHER_SCALE | {"ci_level": None}, EXTERNAL_DRAWN | {"ci_level": 95}])
    assert plots.unmatched_levels(result) == {}
    assert not any("\u2020" in t.text for t in items(build(result), plots._Text))


def test_a_plot_whose_published_intervals_are_at_its_level_is_unchanged(tmp_path: Path) -> None:
    # Only plots with a marked interval change: a review stating the plot's level, or a
    # result written before levels were recorded (no ci_level at all), draws as before.
    old = make_result(3, external=[EXTERNAL_DRAWN, EXTERNAL_NO_CI])
    new = make_result(3, external=[EXTERNAL_DRAWN | {"ci_level": 95.0}, EXTERNAL_NO_CI | {"ci_level": None}])
    plots.forest_plot(old, tmp_path / "old.svg")
    plots.forest_plot(new, tmp_path / "new.svg")
    assert (tmp_path / "old.svg").read_bytes() == (tmp_path / "new.svg").read_bytes()
    marked = make_result(3, external=[EXTERNAL_DRAWN | {"ci_level": None}, EXTERNAL_NO_CI])
    plots.forest_plot(marked, tmp_path / "a.svg")
    plots.forest_plot(marked, tmp_path / "b.svg")
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert (tmp_path / "a.svg").read_bytes() != (tmp_path / "old.svg").read_bytes()


@pytest.mark.parametrize("k", [0, 1, 3])
def test_marked_intervals_stay_within_the_figure_and_touch_nothing(k: int) -> None:
    drawn = [EXTERNAL_DRAWN | {"study_id": f"R{i}", "label": f"Review {i} (2020)", "ci_level": level}
             for i, level in enumerate([None, 90, 99, 80, 85, 75])]
    fig = build(make_result(k, labels=HOSTILE_LABELS, external=drawn))
    estimates, footer = _estimates_and_footer(fig)
    # Not stated, then 75, 80, 85, 90 and 99%: past five kinds the symbols double.
    assert [t.removeprefix(fmt_ci(-0.45, -0.6, -0.3)) for t in estimates[-6:]] == [
        "\u2020", "\u2016", "\u2020\u2020", "\u00a7", "\u00b6", "\u2021"]
    assert footer[-6:] == ["\u2020 level not stated by the source"] + [
        f"{mark} {level}% CI, as stated by the source"
        for mark, level in zip(["\u2021", "\u00a7", "\u00b6", "\u2016", "\u2020\u2020"], [75, 80, 85, 90, 99], strict=True)]
    boxes = text_boxes(fig)
    for i, (ta, a) in enumerate(boxes):
        assert 0 <= a[0] and a[2] <= fig.width, ta
        for tb, b in boxes[i + 1:]:
            assert min(a[2], b[2]) - max(a[0], b[0]) <= 0.5 or min(a[3], b[3]) - max(a[1], b[1]) <= 0.5, (ta, tb)
    # The wider column is taken from the plot area, not added to the figure's width.
    assert build(make_result(k, external=drawn)).width <= plots._TARGET_IN * 72 + 1e-6


# -- the figure's width, whatever the labels ----------------------------------------------

#: Published results at the plot's level and at five others, each marked after its interval.
_MARKED_REVIEWS = [EXTERNAL_DRAWN | {"study_id": f"R{i}", "label": f"Review {i} (2020)", "ci_level": level}
                   for i, level in enumerate([None, 95, 90, 99, 80, 85])]
_LABEL_SETS = {
    "hostile": HOSTILE_LABELS,
    "cjk": [CJK_LABEL, "王小明、张伟与刘洋等人的多中心随机对照试验（2019）", "鍼灸治療群" * 6],
    "long words": ["Pneumonoultramicroscopicsilicovolcanoconiosis-Study-Group-(2019)", "A" * 60,
                   "<script>alert(1)</script><script>alert(2)</script>"],
    "many short": [f"T{i}" for i in range(40)],
}


@pytest.mark.parametrize("k", [1, 2, 3, 12, 40])
@pytest.mark.parametrize("external", ["none", "published", "marked"])
@pytest.mark.parametrize("label_set", list(_LABEL_SETS))
def test_a_figure_is_never_wider_than_the_text_whatever_its_labels(label_set: str, external: str, k: int) -> None:
    # Hostile labels with three studies came out 6 pt wider than the text: the label
    # column kept "<script>alert(1)</script>" whole, wider than the text width left it.
    drawn = {"none": [], "published": [EXTERNAL_DRAWN, EXTERNAL_NO_CI, EXTERNAL_OTHER_SCALE],
             "marked": _MARKED_REVIEWS}[external]
    fig = build(make_result(k, labels=_LABEL_SETS[label_set], external=drawn))
    # A4's 210 mm less two margins of 25 mm, in points.
    assert fig.width <= (210 - 2 * 25) / 25.4 * 72 + 0.01
    assert fig.axis.x1 - fig.axis.x0 >= plots._PLOT_FLOOR_IN * 72 - 0.01
    boxes = text_boxes(fig)
    assert all(0 <= x0 and x1 <= fig.width + 0.01 for _, (x0, _, x1, _) in boxes)
    # The trials' names keep to the label column, clear of the plot area.
    assert all(t.box()[2] <= fig.axis.x0 for t in items(fig, plots._Text, "label")
               if not t.text.startswith("External evidence"))
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1:]:
            assert min(a[2], b[2]) - max(a[0], b[0]) <= 0.5 or min(a[3], b[3]) - max(a[1], b[1]) <= 0.5, (ta, tb)


def test_a_word_wider_than_the_label_column_can_be_is_split_not_kept_whole() -> None:
    word = "<script>alert(1)</script><script>alert(2)</script>"
    fig = build(make_result(3, labels=[HOSTILE_LABELS[0], word, HOSTILE_LABELS[2]]))
    lines = [t.text for t in items(fig, plots._Text, "label")]
    first = next(i for i, line in enumerate(lines) if line.startswith("<script>"))
    last = next(i for i, line in enumerate(lines) if line.endswith("(a)"))
    # Split inside the word (nowhere else to break it), before a bracket rather than
    # anywhere ("<script>alert(1)</script" / "> (a)"), its footnote mark kept after it.
    assert last > first and "".join(lines[first:last + 1]) == word + " (a)"
    assert all(line.startswith("<") for line in lines[first + 1:last + 1])
    # Words that fit are still never split: only the script is.
    assert "Random effects" in lines and "$x$ and $y^2$ trial" in lines


# -- wrapping text without spaces ---------------------------------------------------------


def test_cjk_counts_as_many_words_and_breaks_between_ideographs() -> None:
    # A line may break beside any ideograph (Unicode UAX #14, class ID), but not after an
    # opening bracket nor before a closing one or "、".
    assert plots._unbreakable("李明") == ["李", "明"]
    assert plots._unbreakable("张伟、刘洋（2019）") == ["张", "伟、", "刘", "洋", "（2019）"]
    assert plots._unbreakable("Trial-2019") == ["Trial-2019"]
    assert plots._unbreakable("x李y") == ["x", "李", "y"]
    m = plots._Measure()
    label = "王小明、张伟与刘洋等人的多中心随机对照试验（2019）"
    # Eleven wide characters at 1 em each, padded by 3%, per line (DejaVu Sans has no CJK
    # glyphs: they are counted at 1 em). The second line had room for "（" too, which would
    # have ended it and left "2019）" to start the third.
    room = 11 * plots._FONT * 1.03 + 0.5
    lines = m.wrap(label, room, plots._FONT)
    assert "".join(lines) == label
    assert lines == ["王小明、张伟与刘洋等人", "的多中心随机对照试验", "（2019）"]
    assert all(m.width(line, plots._FONT) <= room for line in lines)
    # A Latin word split for want of room breaks after its hyphen where it can.
    assert m.wrap("Study-Group-2019", m.width("Study-Group", plots._FONT), plots._FONT) == ["Study-", "Group-2019"]


def test_a_minimal_important_difference_is_drawn_as_dashed_lines_under_the_marks(tmp_path: Path) -> None:
    # As metafor's users mark it (forest(res, refline = c(0, -mid, mid))): a dashed line at
    # -MID and at +MID over the trials and over the published reviews drawn apart, the
    # axis wide enough to hold both, and a line under the plot saying what they mark.
    result = make_result(3, external=[EXTERNAL_DRAWN])
    result["analysis"].update(measure="MD", measure_label="Mean difference", common_scale="0 to 10")
    for s in result["studies"]:  # every whisker within -1.3 to 0.5: the axis's own range
        s["ci_lb"], s["ci_ub"] = max(s["ci_lb"], -1.3), min(s["ci_ub"], 0.5)
    plain = build(result)
    assert not items(plain, plots._Line, "mid") and plain.axis.hi < 1.5
    fig = plots._layout_forest(result, 1.5)
    lines = items(fig, plots._Line, "mid")
    # Two blocks (trials, published reviews) and two lines each.
    assert len(lines) == 4 and all(line.dash and line.x1 == line.x2 for line in lines)
    assert sorted(round(fig.axis.value(line.x1), 9) for line in lines) == [-1.5, -1.5, 1.5, 1.5]
    assert fig.axis.lo <= -1.5 and fig.axis.hi >= 1.5
    # Beneath the squares and the hollow diamond: drawn first.
    first_mark = min(fig.items.index(i) for i in items(fig, plots._Rect, "square")
                     + items(fig, plots._Polygon, "external_marker"))
    assert max(fig.items.index(line) for line in lines) < first_mark
    footer = " ".join(t.text for t in items(fig, plots._Text, "footer"))
    assert "Dashed lines at \u22121.5 and 1.5: the minimal important difference." in footer
    svg = tmp_path / "mid.svg"
    plots.forest_plot(result, svg, mid=1.5)
    assert len(svg_elements(svg, "line", "mid")) == 4
    # No MID, no lines: the figure is the one drawn without the argument.
    plots.forest_plot(result, tmp_path / "a.svg")
    plots.forest_plot(result, tmp_path / "b.svg", mid=None)
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert not svg_elements(tmp_path / "a.svg", "line", "mid")


def test_a_ratio_s_log_axis_draws_no_minimal_important_difference() -> None:
    # An MID is a difference on the outcome's scale, not a ratio.
    result = make_result(3)
    result["analysis"].update(measure="RR", measure_label="Risk ratio", scale="log")
    assert plots._layout_forest(result, 1.5) == build(result)


def test_forest_plot_documents_the_prediction_interval_it_draws() -> None:
    """The line drawn is the fit's pi_lb to pi_ub: metafor's t on k - 1 df (rma below),
    not Higgins et al.'s k - 2, which the docstring once gave."""
    from scipy import stats

    from metareview import rma

    yi, vi = [0.1, 0.5, -0.2, 0.4, 0.9], [0.02, 0.05, 0.03, 0.04, 0.06]
    res = rma(yi, vi, method="REML", test="knha")
    crit = float(stats.t.ppf(0.975, res.k - 1))
    half = crit * math.sqrt(res.tau2 + res.se**2)
    assert res.pi_lb == pytest.approx(res.estimate - half, rel=1e-12)
    assert res.pi_ub == pytest.approx(res.estimate + half, rel=1e-12)
    doc = " ".join((plots.forest_plot.__doc__ or "").split())
    assert "``pi_lb`` to ``pi_ub``" in doc and "metafor's :math:`\\hat\\mu \\pm t_{k-1}" in doc
    # And the line drawn runs from the fit's pi_lb to its pi_ub, on the plot's axis.
    result = make_result(5)
    result["pooled"].update(estimate=res.estimate, ci_lb=res.ci_lb, ci_ub=res.ci_ub, pi_lb=res.pi_lb,
                            pi_ub=res.pi_ub)
    fig = build(result)
    (line,) = [x for x in items(fig, plots._Line, "prediction") if x.y1 == x.y2]
    assert fig.axis.value(line.x1) == pytest.approx(res.pi_lb, abs=1e-9)
    assert fig.axis.value(line.x2) == pytest.approx(res.pi_ub, abs=1e-9)


def _with_zero_event_arm(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` with one more trial, 10/40 vs 0/41, its log risk ratio and variance after
    adding 1/2 to each cell (metafor's continuity correction): ln((10.5/41) / (0.5/42)),
    1/10.5 - 1/41 + 1/0.5 - 1/42; RR 21.5 (1.30 to 355)."""
    yi = math.log((10.5 / 41) / (0.5 / 42))
    vi = 1 / 10.5 - 1 / 41 + 1 / 0.5 - 1 / 42
    result["studies"].append({"study_id": "Cruz2012", "label": "Cruz et al. (2012)", "yi": yi, "vi": vi,
                              "ci_lb": yi - Z95 * math.sqrt(vi), "ci_ub": yi + Z95 * math.sqrt(vi), "weight": 0.9,
                              "n1": 40, "n2": 41, "events1": 10, "events2": 0, "flags": []})
    return result


def test_a_very_wide_interval_runs_past_the_axis_as_an_arrow() -> None:
    # Cruz 2012's RR of 21.5 (1.30 to 355) stretched the axis from 0.1 to 1000, and the
    # other trials and the diamond sat in a few millimetres around 1.
    result = _with_zero_event_arm(_binary_result([(18, 60, 12, 60), (20, 55, 14, 54), (45, 150, 38, 148),
                                                  (9, 30, 3, 30)]))
    fig = build(result)
    cruz = result["studies"][-1]
    # The axis holds every estimate and the pooled interval, not Cruz's upper bound.
    values = [s["yi"] for s in result["studies"]] + [result["pooled"]["ci_lb"], result["pooled"]["ci_ub"]]
    assert fig.axis.lo <= min(values) and max(values) <= fig.axis.hi
    assert fig.axis.hi < cruz["ci_ub"] and math.exp(fig.axis.hi) < 101
    # Cruz's whisker ends at the axis's end under an arrow pointing on; the others are whole.
    whiskers = sorted(items(fig, plots._Line, "whisker"), key=lambda w: w.y1)
    arrows = items(fig, plots._Polygon, "arrow")
    assert len(arrows) == 1 and max(p[0] for p in arrows[0].points) == pytest.approx(fig.axis.x1)
    assert arrows[0].points[0][1] == pytest.approx(whiskers[-1].y1)
    assert whiskers[-1].x2 == pytest.approx(fig.axis.x1)
    assert whiskers[-1].x1 == pytest.approx(fig.axis.x(cruz["ci_lb"]))
    for whisker, study in zip(whiskers[:-1], result["studies"][:-1], strict=True):
        assert (whisker.x1, whisker.x2) == pytest.approx((fig.axis.x(study["ci_lb"]), fig.axis.x(study["ci_ub"])))
    # The numbers keep the whole interval, and a note says what the arrow means.
    texts = [t.text for t in items(fig, plots._Text)]
    assert "21.51 (1.30 to 355.25)" in texts
    assert any(t.startswith("Arrows: intervals running past the axis") for t in texts)


def test_a_very_wide_interval_on_a_linear_axis_runs_past_it_too() -> None:
    result = make_result(6)
    wide = result["studies"][2]
    wide["ci_lb"], wide["ci_ub"] = wide["yi"] - 12.0, wide["yi"] + 12.0
    fig = build(result)
    assert fig.axis.hi - fig.axis.lo < 6
    # One arrow at each end, its tip on the axis's end, pointing away from the axis.
    tips = sorted(a.points[0][0] for a in items(fig, plots._Polygon, "arrow"))
    assert tips == pytest.approx([fig.axis.x0, fig.axis.x1])
    for arrow in items(fig, plots._Polygon, "arrow"):
        tip, back = arrow.points[0][0], arrow.points[1][0]
        assert abs(tip - fig.axis.x0) < abs(back - fig.axis.x0) if tip < fig.axis.x1 - 1 else back < tip


@pytest.mark.parametrize("k", [1, 2, 12])
def test_intervals_of_like_widths_set_the_axis_whole(k: int) -> None:
    # A wide interval that is not an outlier among the others (a small trial among small
    # trials) is drawn whole, as before: no arrow, no note.
    result = make_result(k, external=[EXTERNAL_DRAWN])
    fig = build(result)
    assert not items(fig, plots._Polygon, "arrow")
    bounds = [v for s in result["studies"] for v in (s["ci_lb"], s["ci_ub"])]
    assert fig.axis.lo <= min(bounds) and max(bounds) <= fig.axis.hi
    assert not any(t.text.startswith("Arrows:") for t in items(fig, plots._Text))


def test_a_wide_interval_ending_near_the_others_is_drawn_whole() -> None:
    # A published review's interval three and a half times as wide as the lone trial's,
    # ending a little past the others: cut at the axis, it would save little and hide
    # where it ends.
    trial = make_result(1)
    trial["studies"][0].update(yi=-0.44, ci_lb=-0.67, ci_ub=-0.22)
    review = EXTERNAL_DRAWN | {"study_id": "Lam", "label": "Lam (2013)", "estimate": -0.87, "ci_lb": -1.61,
                               "ci_ub": -0.14}
    fig = build(trial | {"external": [EXTERNAL_DRAWN | {"ci_lb": -1.27, "ci_ub": -0.63}, review]})
    assert not items(fig, plots._Polygon, "arrow")
    assert fig.axis.lo <= -1.61


def _many_trials(k: int) -> dict[str, Any]:
    """k trials named as reviews name them ("Moreau et al. (2021)"), one flagged."""
    names = ["Abel", "Cruz", "Egan", "Fink", "Gomez", "Iversen", "Jung", "Lund", "Moreau", "Quinn", "Rossi"]
    result = make_result(k, labels=[f"{names[i % len(names)]} et al. ({2010 + i})" for i in range(k)])
    for i, study in enumerate(result["studies"]):
        study["flags"] = ["arm sizes assumed equal"] if i == 8 else []
    return result


def _label_lines(fig: Any) -> list[str]:
    return [t.text for t in items(fig, plots._Text, "label")]


@pytest.mark.parametrize("k", [2, 5, 11, 40])
def test_names_of_typical_length_keep_a_line_beside_a_plot_area_of_its_width(k: int) -> None:
    # "Moreau et al. / (2021) (a)" and "Random-effects / model (k = 5)" wrapped beside a
    # plot area a fifth of the figure's width, a gap before the estimate column.
    result = _many_trials(k)
    fig = build(result)
    lines = _label_lines(fig)
    for study in result["studies"]:
        assert any(line.startswith(study["label"]) for line in lines), lines
    assert "Random effects" in lines and "95% prediction interval" in lines
    assert len(lines) == k + 2
    assert fig.width <= plots._TARGET_IN * 72 + 0.01
    assert fig.axis.x1 - fig.axis.x0 >= plots._PLOT_MIN_IN * 72 - 0.01
    # The pooled numbers set in the rows' weight: the estimate column is as wide as the
    # studies' numbers and header need.
    estimates = items(fig, plots._Text, "estimate")
    assert {t.weight for t in estimates} == {"normal"}


def test_a_binary_analysis_stacks_its_events_before_its_names_wrap() -> None:
    # Events/n "102/335 vs 67/333" took the room of the names: "Nolan et al." /
    # "(2022) (c,d)". Each arm's events on a line of its own leave the names whole.
    counts = [(18, 60, 12, 60), (20, 55, 14, 54), (45, 150, 38, 148), (9, 30, 3, 30)]
    result = _with_zero_event_arm(_binary_result(counts))
    names = ["Abel et al. (2010)", "Fink et al. (2014)", "Iversen et al. (2017)", "Nolan et al. (2022)",
             "Cruz et al. (2012)"]
    for study, name in zip(result["studies"], names, strict=True):
        study["label"] = name
    result["studies"][3]["flags"] = ["sparse 2\u00d72 table (a cell below 5: 9/30 vs 3/30): the interval is an approximation"]
    result["studies"][3]["exact_p"] = 0.104
    fig = build(result)
    lines = [line for line in _label_lines(fig) if line]
    assert lines[:5] == [*names[:3], "Nolan et al. (2022) (a,b)", "Cruz et al. (2012)"]
    assert "int. above comp." in {t.text for t in items(fig, plots._Text, "header")}
    assert fig.axis.x1 - fig.axis.x0 >= plots._PLOT_MIN_IN * 72 - 0.01


def test_a_name_longer_than_is_typical_wraps_rather_than_narrow_the_plot_area() -> None:
    # "Carlsson & Sjölund (2001) (a,b,c)" on one line left the plot area 107 points.
    result = make_result(1, labels=["Carlsson & Sj\u00f6lund (2001) with a longer name"])
    fig = build(result)
    assert len(_label_lines(fig)) >= 2
    assert fig.axis.x1 - fig.axis.x0 >= plots._PLOT_SHARE_IN * 72 - 0.01


# -- funnel plots -----------------------------------------------------------------------


def _funnel_result(k: int = 12, log: bool = False) -> dict[str, Any]:
    result = make_result(k, seed=3)
    result["small_study_min"] = 10
    if log:
        result["analysis"].update(measure="RR", measure_label="Risk ratio", scale="log",
                                  favours_intervention_when="above")
    return result


def _funnel_svg(result: dict[str, Any], tmp_path: Path) -> str:
    plots.funnel_plot(result, tmp_path / "f.funnel.svg")
    return (tmp_path / "f.funnel.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("log", [False, True])
def test_a_funnel_plot_draws_each_study_against_its_standard_error(log: bool, tmp_path: Path) -> None:
    # As metafor's funnel(res): y_i against sqrt(v_i), 0 at the top, around the pooled
    # estimate with the region estimate +- 1.96 sqrt(v) (figures.funnel draws the same).
    result = _funnel_result(log=log)
    fig = plots._layout_funnel(result)
    points = items(fig, plots._Circle, "study")
    assert len(points) == len(result["studies"])
    axis, top = fig.axis, min(line.y1 for line in items(fig, plots._Line, "estimate"))
    bottom = max(line.y2 for line in items(fig, plots._Line, "estimate"))
    se = [math.sqrt(s["vi"]) for s in result["studies"]]
    # The axis's foot is a round standard error at or past 1.1 times the largest.
    y_hi = (bottom - top) / (points[0].cy - top) * se[0]
    assert y_hi >= 1.1 * max(se) - 1e-9
    for point, study, s in zip(points, result["studies"], se, strict=True):
        assert point.cx == pytest.approx(axis.x(study["yi"]))
        assert point.cy == pytest.approx(top + (bottom - top) * s / y_hi)
    # The region: its apex at the estimate at SE 0, its edges at estimate +- z * SE.
    est = result["pooled"]["estimate"]
    (region,) = items(fig, plots._Polygon, "region")
    assert region.points[0] == pytest.approx((axis.x(est), top))
    edges = sorted(items(fig, plots._Line, "region_edge"), key=lambda e: e.x2)
    assert [e.x2 for e in edges] == pytest.approx([axis.x(est - Z95 * y_hi), axis.x(est + Z95 * y_hi)], abs=1e-6)
    # Every study and the region's foot on the axis; labels in ratios on a ratio's axis.
    assert axis.lo <= est - Z95 * y_hi and est + Z95 * y_hi <= axis.hi
    labels = [t.text for t in items(fig, plots._Text, "tick_label")]
    assert "1" in labels if log else "0" in labels or "0.0" in labels
    texts = [t.text for t in items(fig, plots._Text)]
    assert "Standard error" in texts and ("Risk ratio (log scale)" if log else "SMD (Hedges\u2019 g)") in texts
    svg = _funnel_svg(result, tmp_path)
    assert svg.count('class="study"') == len(result["studies"])
    assert svg == _funnel_svg(result, tmp_path)  # the same bytes every time


def test_an_analysis_without_the_small_study_test_gets_a_line_not_a_funnel(tmp_path: Path) -> None:
    # The job's output is declared for every analysis; only where the test runs is a
    # funnel drawn, and the report shows only that one.
    for result, why in ((_funnel_result(9), "9 studies, fewer than the 10 a test of small-study effects needs"),
                        (make_result(1) | {"small_study_min": 10}, "nothing is pooled")):
        assert not plots.has_funnel(result)
        svg = _funnel_svg(result, tmp_path)
        assert f"No funnel plot: {why}." in svg and 'class="study"' not in svg
    assert plots.has_funnel(_funnel_result(10))
    # A study without an effect or a positive variance is not drawn, nor counted.
    result = _funnel_result(10)
    result["studies"][0]["vi"] = 0.0
    assert not plots.has_funnel(result) and len(plots.funnel_studies(result)) == 9


def test_drawing_a_funnel_plot_does_not_load_matplotlib(tmp_path: Path) -> None:
    (tmp_path / "result.json").write_text(json.dumps(_funnel_result()))
    script = IMPORT_SCRIPT.replace('metareview.plots.forest_plot(json.loads((folder / "result.json").read_text()),\n'
                                   '                             folder / "f.svg", folder / "f.png")',
                                   'metareview.plots.funnel_plot(json.loads((folder / "result.json").read_text()),\n'
                                   '                             folder / "f.svg")\n'
                                   'metareview.plots.png_from_svg(folder / "f.svg", folder / "f.png")')
    assert "funnel_plot" in script
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
