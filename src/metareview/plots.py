"""Forest plots and a network diagram, byte-identical from run to run.

A forest plot here follows the layout readers of Cochrane reviews expect (Higgins et al.,
*Cochrane Handbook* v6.4, 2023, section 10.2.1; Lewis & Clarke 2001, BMJ 322:1479): study
labels on the left, one row per study with a square whose **area** is proportional to its
weight and a whisker for its confidence interval, a vertical line of no effect at 0, the
pooled estimate as a diamond spanning its confidence interval, the prediction interval
under it (IntHout et al. 2016, BMJ Open 6:e010247), and the numbers on the right. Which
side favours the intervention comes from the result (``analysis.favours_intervention_when``):
the left for mean differences and SMDs (lower is better on every common scale), the right
for risk ratios, odds ratios and risk differences of beneficial events such as
responders. Risk and odds ratios (``analysis.scale == "log"``) are drawn on a log axis:
positions are the log ratios the analysis pooled, tick labels and the numbers on the
right are the ratios themselves, and the line of no effect is at 1 (Cochrane Handbook
v6.4, section 10.2.1; metafor's ``forest(..., atransf = exp)``).

Reproducibility and thread safety decide how matplotlib is used:

* The workflow draws figures from worker threads inside the Snakemake process, so only
  the object-oriented API is used (:class:`matplotlib.figure.Figure`, never
  ``matplotlib.pyplot``, whose figure registry is global). ``rcParams`` is global too, and
  :func:`matplotlib.rc_context` changes it for the whole process, so every drawing and
  saving happens under one module-level lock.
* Inside the lock, ``rcParams`` are reset to matplotlib's defaults before the project's
  settings are applied: a ``matplotlibrc`` in the working directory or the user's
  configuration would otherwise change the bytes of every figure.
* SVG keeps text as text (``svg.fonttype = "none"``: searchable, small, and the labels
  can be checked by tests), with a fixed ``svg.hashsalt`` so that clip-path and marker
  ids do not change, and without the date and creator metadata. PNG is written without
  the "Software" entry (it names the matplotlib version). The only font is DejaVu Sans,
  which ships with matplotlib, so the layout does not depend on the fonts installed on a
  machine; characters it lacks (CJK, for instance) are drawn as boxes in the PNG (with a
  warning from matplotlib) and appear as themselves in the SVG.
* Labels come from data files, so all text is drawn with ``parse_math=False``: a label
  such as ``$x$`` is shown literally instead of being read as mathtext.
* Both files are written to temporary files in their target folder and moved into place
  with :func:`os.replace` only after both are complete, so a failure leaves no partial
  or mismatched figure behind.

Importing this module imports matplotlib (about half a second); other modules of the
package must not import it at module level.
"""

from __future__ import annotations

import io
import math
import os
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

__all__ = ["forest_plot", "network_plot"]

# ---------------------------------------------------------------------------------------
# Rendering context: one lock, matplotlib defaults, pinned output settings
# ---------------------------------------------------------------------------------------

#: Serialises every use of ``rcParams`` and the renderers (see the module docstring).
_RENDER_LOCK = threading.Lock()

#: rcParams that are not style (backend selection, GUI and server settings); the same
#: keys :func:`matplotlib.style.use` leaves alone when it resets to the defaults.
_NOT_STYLE = frozenset(
    {
        "backend",
        "backend_fallback",
        "interactive",
        "toolbar",
        "timezone",
        "figure.max_open_warning",
        "figure.raise_window",
        "savefig.directory",
        "tk.window_focus",
        "docstring.hardcopy",
        "date.epoch",
        "webagg.port",
        "webagg.address",
        "webagg.port_retries",
        "webagg.open_in_browser",
    }
)

_FONT_FAMILY = "DejaVu Sans"

#: Settings applied on top of matplotlib's defaults for every figure.
_PINNED_RC: dict[str, Any] = {
    "font.family": [_FONT_FAMILY],
    "font.size": 9.0,
    "svg.fonttype": "none",
    "svg.hashsalt": "metareview",
    # Plain hyphen-minus everywhere, so that numbers in the figure read (and search) the
    # same as in the tables and the report.
    "axes.unicode_minus": False,
    # TeX would make the figures depend on a TeX installation.
    "text.usetex": False,
    "text.hinting": "default",
    "text.antialiased": True,
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "savefig.transparent": False,
    "savefig.bbox": None,
    "savefig.pad_inches": 0.0,
    "figure.facecolor": "white",
}

_SVG_METADATA: dict[str, Any] = {"Date": None, "Creator": None}
_PNG_METADATA: dict[str, Any] = {"Software": None}


def _rc_settings() -> dict[Any, Any]:
    """Matplotlib's default style plus the project's pinned settings."""
    # dict.items, not RcParams.items: reading deprecated keys through RcParams warns.
    settings: dict[Any, Any] = {
        k: v for k, v in dict.items(matplotlib.rcParamsDefault) if k not in _NOT_STYLE
    }
    settings.update(_PINNED_RC)
    return settings


@contextmanager
def _render_context() -> Iterator[None]:
    """Hold the render lock and apply the reproducible rcParams for its duration."""
    with _RENDER_LOCK, matplotlib.rc_context(rc=_rc_settings()):
        yield


def _png_from_svg(svg: bytes, dpi: int) -> bytes:
    """Rasterise the SVG with Typst's renderer (resvg), using matplotlib's own fonts.

    Agg draws text glyph by glyph and takes most of a second per forest plot on a small
    machine; Typst renders the same SVG in a few milliseconds. Only the fonts shipped with
    matplotlib are visible to it, so the pixels do not depend on the fonts a machine has.
    """
    import tempfile

    import typst

    font_dir = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    with tempfile.TemporaryDirectory(prefix="metareview-png-") as tmp:
        root = Path(tmp)
        (root / "figure.svg").write_bytes(svg)
        (root / "figure.typ").write_text(
            '#set page(width: auto, height: auto, margin: 0pt)\n#image("figure.svg")\n', encoding="utf-8")
        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(font_dir)])
        return typst.compile(str(root / "figure.typ"), root=str(root), font_paths=fonts, format="png", ppi=float(dpi))


def _save_figure(fig: Figure, svg_path: Path, png_path: Path, dpi: int) -> None:
    """Write ``fig`` as SVG and PNG atomically (both or neither are replaced).

    The PNG is rasterised from the SVG (see :func:`_png_from_svg`), so the two always show
    the same figure.
    """
    from metareview.io import remove_stale_temporaries

    targets = [(Path(svg_path), "svg", None), (Path(png_path), "png", dpi)]
    for path, _, _ in targets:
        remove_stale_temporaries(path)
    FigureCanvasAgg(fig)
    written: list[tuple[Path, Path]] = []
    svg_bytes = b""
    try:
        for path, fmt, fmt_dpi in targets:
            path.parent.mkdir(parents=True, exist_ok=True)
            # A unique name in the target folder (so os.replace is a rename on one file
            # system), opened with open() rather than mkstemp so that the file gets the
            # usual permissions (0o666 minus the umask) instead of 0o600.
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
            with open(tmp, "xb") as fh:
                written.append((tmp, path))
                if fmt == "svg":
                    buf = io.BytesIO()
                    _savefig(fig, buf, "svg", None)
                    svg_bytes = buf.getvalue()
                    fh.write(svg_bytes)
                else:
                    fh.write(_png_from_svg(svg_bytes, int(fmt_dpi)))
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in written:
            os.replace(tmp, path)
        written.clear()
    finally:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)


def _savefig(fig: Figure, fh: IO[bytes], fmt: str, dpi: int | None) -> None:
    if fmt == "svg":
        fig.savefig(fh, format="svg", metadata=_SVG_METADATA)
    else:
        fig.savefig(fh, format="png", dpi=dpi, metadata=_PNG_METADATA)


# ---------------------------------------------------------------------------------------
# Text measurement, wrapping and formatting
# ---------------------------------------------------------------------------------------


class _Measure:
    """Width of text in points, as Agg lays it out with the pinned font.

    Measured at 720 dpi and scaled back, because Agg rounds advances to whole pixels.
    """

    _DPI = 720.0

    def __init__(self) -> None:
        self._renderer = RendererAgg(1, 1, self._DPI)
        self._props: dict[tuple[float, str, Any], FontProperties] = {}
        self._advances: dict[tuple[float, str, Any], dict[str, float]] = {}

    def width(self, text: str, size: float, weight: str = "normal", style: Any = "normal") -> float:
        if not text:
            return 0.0
        key = (size, weight, style)
        prop = self._props.get(key)
        if prop is None:
            prop = FontProperties(family=_FONT_FAMILY, size=size, weight=weight, style=style)
            self._props[key] = prop
        # Sum of cached per-character advances: shaping a whole string through FreeType
        # costs milliseconds, and layout measures hundreds of candidate strings per plot.
        # Kerning is ignored, so the sum is padded slightly; it only decides wrapping and
        # column widths, never where glyphs are drawn.
        advances = self._advances.setdefault(key, {})
        widest = 0.0
        for line in text.split("\n"):
            w = 0.0
            for ch in line:
                a = advances.get(ch)
                if a is None:
                    a = self._renderer.get_text_width_height_descent(ch, prop, ismath=False)[0]
                    if ch == " ":  # a lone space measures as zero width
                        a = self._renderer.get_text_width_height_descent("x x", prop, ismath=False)[0] - 2 * (
                            advances.get("x") or self._renderer.get_text_width_height_descent("x", prop, ismath=False)[0])
                    advances[ch] = a
                w += a
            widest = max(widest, w * 1.03)
        return widest * 72.0 / self._DPI

    def truncate(self, text: str, max_pt: float, size: float, **font: str) -> str:
        """``text`` shortened with an ellipsis so that it fits in ``max_pt`` points."""
        if self.width(text, size, **font) <= max_pt:
            return text
        lo, hi = 0, len(text)
        while lo < hi:  # longest prefix that fits with the ellipsis
            mid = (lo + hi + 1) // 2
            if self.width(text[:mid].rstrip() + "\u2026", size, **font) <= max_pt:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip() + "\u2026"

    def wrap(self, text: str, max_pt: float, size: float, **font: str) -> list[str]:
        """Greedy word wrap to ``max_pt`` points; words too long for a line are split."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current = ""
            for word in paragraph.split():
                candidate = f"{current} {word}" if current else word
                if self.width(candidate, size, **font) <= max_pt:
                    current = candidate
                    continue
                if current:
                    lines.append(current)
                current = word
                while self.width(current, size, **font) > max_pt and len(current) > 1:
                    cut = self._fit_chars(current, max_pt, size, **font)
                    lines.append(current[:cut])
                    current = current[cut:]
            lines.append(current)
        return lines

    def _fit_chars(self, word: str, max_pt: float, size: float, **font: str) -> int:
        lo, hi = 1, len(word)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.width(word[:mid], size, **font) <= max_pt:
                lo = mid
            else:
                hi = mid - 1
        return lo


def _num(value: Any) -> float | None:
    """A finite float, or None for null, NaN and infinite values."""
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _fmt(x: float | None, digits: int = 2) -> str:
    if x is None:
        return "NA"
    text = f"{x:.{digits}f}"
    # "-0.00" reads as a (tiny) negative effect; a rounded zero has no sign.
    return text[1:] if text.startswith("-") and float(text) == 0.0 else text


def _exp(x: float | None, log: bool) -> float | None:
    """The value shown for a position on the axis: exp() on a log (ratio) axis."""
    if x is None or not log:
        return x
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _fmt_ci(est: float | None, lb: float | None, ub: float | None, log: bool = False) -> str:
    est, lb, ub = _exp(est, log), _exp(lb, log), _exp(ub, log)
    return f"{_fmt(est)} [{_fmt(lb)}, {_fmt(ub)}]"


def _fmt_p(p: float) -> str:
    if p < 0.001:
        return "p < 0.001"
    if p < 0.01:
        return f"p = {p:.3f}"
    return f"p = {p:.2f}"


def _fmt_sig(x: float) -> str:
    return "0" if x == 0 else f"{x:.3g}"


_CI_METHOD = {
    "knha": "Hartung-Knapp CI",
    "z": "normal (Wald) CI",
    "t": "t-distribution CI",
}
_COMMON_EFFECT_METHODS = {"EE", "FE", "CE"}


def _model_line(pooled: Mapping[str, Any], log: bool = False) -> str:
    """Footer describing the model, e.g. ``REML, Hartung-Knapp CI; tau² = 0.04; ...``."""
    method = str(pooled.get("method") or "")
    test = str(pooled.get("test") or "")
    ci = _CI_METHOD.get(test, f"{test} CI" if test else "")
    parts = [", ".join(p for p in (method, ci) if p)]
    k = pooled.get("k")
    if k is not None:
        parts.append(f"k = {int(k)}")
    tau2 = _num(pooled.get("tau2"))
    if tau2 is not None and method not in _COMMON_EFFECT_METHODS:
        parts.append(f"tau\u00b2 = {_fmt_sig(tau2)}" + (" (log scale)" if log else ""))
    i2 = _num(pooled.get("I2"))
    if i2 is not None:
        parts.append(f"I\u00b2 = {i2:.0f}%")
    qe = _num(pooled.get("QE"))
    if qe is not None:
        extras = []
        if k is not None and int(k) > 1:
            extras.append(f"df = {int(k) - 1}")
        qep = _num(pooled.get("QEp"))
        if qep is not None:
            extras.append(_fmt_p(qep))
        parts.append(f"Q = {qe:.2f}" + (f" ({', '.join(extras)})" if extras else ""))
    return "; ".join(p for p in parts if p)


# ---------------------------------------------------------------------------------------
# Forest plot
# ---------------------------------------------------------------------------------------

# Sizes in points (1/72 inch) unless named *_IN.
_FONT = 9.0
_SMALL = 8.0
_TITLE = 10.5
_ROW_IN = 0.22
_MARGIN_IN = 0.2
_GAP_IN = 0.18
_PLOT_IN = 3.2
_LABEL_MIN_IN = 1.2
_LABEL_MAX_IN = 3.0
_LINE_FONT_IN = _FONT * 1.35 / 72
_LINE_SMALL_IN = _SMALL * 1.35 / 72
_LINE_TITLE_IN = _TITLE * 1.35 / 72
# Side of the square of the heaviest study, and the smallest side drawn: area is
# proportional to weight, the minimum keeps light studies visible.
_SQUARE_MAX = 0.62 * _ROW_IN * 72
_SQUARE_MIN = 3.0
_SQUARE_EQUAL = 6.5
_INK = "#1a1a1a"
_STUDY_COLOUR = "#2a4d7f"
_EXTERNAL_COLOUR = "#a0471b"
_RULE_COLOUR = "#9a9a9a"


@dataclass
class _Row:
    """One line of the plotted block; ``y`` is its index from the top."""

    kind: str  # study | pooled | pi | reason | heading | external | gap
    label: str = ""
    n_text: str = ""
    est_text: str = ""
    weight_text: str = ""
    est: float | None = None
    lb: float | None = None
    ub: float | None = None
    size: float = _SQUARE_EQUAL  # side of the study's square, points
    text: str = ""  # footnote marks or details after the label; the reason on reason rows
    label_font: dict[str, str] = field(default_factory=dict)


def _analysis_labels(analysis: Mapping[str, Any]) -> dict[str, str]:
    def pick(key: str) -> str:
        return str(analysis.get(f"{key}_label") or analysis.get(key) or key)

    return {k: pick(k) for k in ("intervention", "comparator", "outcome", "window")} | {
        "measure": str(analysis.get("measure") or ""),
        "measure_label": str(analysis.get("measure_label") or analysis.get("measure") or ""),
        "scale": "log" if analysis.get("scale") == "log" else "linear",
        "favours": "above" if analysis.get("favours_intervention_when") == "above" else "below",
    }


def _flag_letters(studies: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Footnote letters for the flags, in order of first appearance."""
    letters: dict[str, str] = {}
    for study in studies:
        for flag in study.get("flags") or []:
            flag = str(flag)
            if flag not in letters:
                letters[flag] = _letter(len(letters))
    return letters


def _letter(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _n_text(n1: Any, n2: Any) -> str:
    a, b = _num(n1), _num(n2)
    if a is None and b is None:
        return ""
    return f"{'?' if a is None else f'{a:.0f}'} / {'?' if b is None else f'{b:.0f}'}"


def _events_text(e1: Any, n1: Any, e2: Any, n2: Any) -> str:
    """Events over group size in each arm, e.g. ``184/387, 171/387``."""
    return f"{float(e1):.0f}/{float(n1):.0f}, {float(e2):.0f}/{float(n2):.0f}"


def _has_events(study: Mapping[str, Any]) -> bool:
    return all(_num(study.get(k)) is not None for k in ("events1", "n1", "events2", "n2"))


def _external_summary(ext: Mapping[str, Any], measure: str) -> str:
    """One line for external evidence that is listed rather than drawn."""
    bits: list[str] = []
    est, lb, ub = _num(ext.get("estimate")), _num(ext.get("ci_lb")), _num(ext.get("ci_ub"))
    ext_measure = str(ext.get("measure") or measure or "")
    log = bool(ext.get("log_scale"))
    est, lb, ub = _exp(est, log), _exp(lb, log), _exp(ub, log)
    if est is not None:
        value = f"{ext_measure} {_fmt(est)}".strip()
        if lb is not None and ub is not None:
            value += f" [{_fmt(lb)}, {_fmt(ub)}]"
        bits.append(value)
    k = _num(ext.get("k_studies"))
    if k is not None:
        bits.append(f"{k:.0f} studies")
    n = _num(ext.get("n_participants"))
    if n is not None:
        bits.append(f"{n:.0f} participants")
    if not ext.get("comparable"):
        bits.append("not drawn: not on this analysis' scale")
    elif lb is None or ub is None:
        bits.append("not drawn: confidence interval not reported")
    note = str(ext.get("note") or "").strip()
    if note:
        bits.append(note)
    return f"{ext.get('label') or ext.get('study_id') or 'External'}: " + "; ".join(bits)


def _drawable_external(ext: Mapping[str, Any]) -> bool:
    return (
        bool(ext.get("comparable"))
        and _num(ext.get("estimate")) is not None
        and _num(ext.get("ci_lb")) is not None
        and _num(ext.get("ci_ub")) is not None
    )


def _nice_ticks(values: Sequence[float]) -> list[float]:
    """Round ticks whose ends include every value and the line of no effect.

    The axis limits are the first and last tick, so the axis ends on a labelled tick.
    """
    finite = [v for v in values if v is not None and math.isfinite(v)] + [0.0]
    lo, hi = min(finite), max(finite)
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0, hi + 1.0
    # A little room on both sides, so that no whisker ends on (and the line of no effect
    # never sits on) the edge of the axis.
    pad = 0.04 * (hi - lo)
    lo, hi = lo - pad, hi + pad
    ticks = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
    return [float(t) for t in ticks]


#: Mantissas of the candidate ratio ticks (times powers of ten), coarse to fine. Each set
#: holds the reciprocal pairs a log axis reads naturally (0.5 and 2, 0.2 and 5, ...).
_RATIO_MANTISSAS: tuple[tuple[float, ...], ...] = (
    (1.0,),
    (1.0, 2.0, 5.0),
    (1.0, 1.5, 2.0, 3.0, 5.0, 7.0),
    (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0),
)


def _ratio_ticks(values: Sequence[float]) -> list[tuple[float, str]]:
    """Ticks of a log (ratio) axis: ``(position = ln ratio, label = ratio)`` pairs.

    ``values`` are log ratios. The ticks run from the largest round ratio at or below the
    smallest value (and 1, the line of no effect) to the smallest one at or above the
    largest, as with :func:`_nice_ticks`. Of the candidate sets of round ratios (powers
    of ten; 1-2-5; 1-1.5-2-3-5-7; finer), the one giving 4 to 8 ticks over the shortest
    axis is used, so that the data fill the axis; when none gives 4 to 8, the set with
    the count nearest 4.
    """
    finite = [v for v in values if v is not None and math.isfinite(v)] + [0.0]
    lo, hi = min(finite), max(finite)
    if hi - lo < 1e-9:
        lo, hi = lo - math.log(2.0), hi + math.log(2.0)
    pad = 0.04 * (hi - lo)
    lo, hi = lo - pad, hi + pad
    ln10 = math.log(10.0)
    options = []
    for mantissas in _RATIO_MANTISSAS:
        decades = range(math.floor(lo / ln10) - 1, math.ceil(hi / ln10) + 2)
        ratios = sorted({float(f"{m * 10.0**e:.12g}") for e in decades for m in mantissas})
        below = [r for r in ratios if math.log(r) <= lo]
        above = [r for r in ratios if math.log(r) >= hi]
        ticks = [r for r in ratios if below[-1] <= r <= above[0]]
        options.append(ticks)
    fitting = [t for t in options if 4 <= len(t) <= 8]
    if fitting:
        chosen = min(fitting, key=lambda t: math.log(t[-1]) - math.log(t[0]))
    else:
        chosen = min(options, key=lambda t: abs(len(t) - 4))
    return [(math.log(r), f"{r:g}") for r in chosen]


def forest_plot(
    result: Mapping[str, Any], svg_path: Path, png_path: Path, *, dpi: int = 150
) -> None:
    """Draw the forest plot of one analysis result as SVG and PNG.

    Parameters
    ----------
    result : Mapping
        One analysis result as written to ``results/analyses/<id>.json``: ``analysis``
        (ids and labels), ``status`` (``"pooled"``, ``"single_study"`` or
        ``"no_studies"``), ``reason``, ``studies`` (``yi``, ``vi``, ``ci_lb``, ``ci_ub``,
        ``weight`` in percent, ``n1``, ``n2``, ``flags``), ``external`` (published
        meta-analyses, never pooled) and ``pooled`` (``estimate``, ``ci_lb``, ``ci_ub``,
        ``pi_lb``, ``pi_ub``, ``tau2``, ``I2``, ``QE``, ``QEp``, ``k``, ``method``,
        ``test``, ``level``) or None.
    svg_path, png_path : Path
        Output files; written atomically, parent folders created.
    dpi : int
        Resolution of the PNG.

    Notes
    -----
    Squares have an area proportional to the study's weight :math:`w_i` (percent), i.e.
    side :math:`s_i = s_{max}\\sqrt{w_i / \\max_j w_j}`, bounded below so that light studies
    stay visible (Lewis & Clarke 2001, BMJ 322:1479); all squares have the same size when
    nothing is pooled. The diamond spans the pooled confidence interval and the line
    under it the prediction interval :math:`\\hat\\mu \\pm t_{k-2}\\sqrt{\\hat\\tau^2 +
    SE(\\hat\\mu)^2}` as computed upstream (Higgins, Thompson & Spiegelhalter 2009; IntHout
    et al. 2016). The "Favours" labels follow ``analysis.favours_intervention_when``
    (``"below"``, the default: lower values favour the intervention; ``"above"``: higher
    values do). With ``analysis.scale == "log"`` (risk and odds ratios) every number in
    ``result`` is a log ratio: the axis is drawn as a log axis labelled in ratios
    (:func:`_ratio_ticks`), the line of no effect is at 1 and the numbers on the right are
    exponentiated.
    External evidence is drawn with hollow markers in a separate block when it is on the
    analysis' scale (``comparable``) and both confidence bounds are known, and listed
    as text otherwise; it never contributes to the pooled estimate.
    """
    with _render_context():
        fig = _build_forest(result)
        _save_figure(fig, svg_path, png_path, dpi)


@dataclass
class _ForestRows:
    """The rows of a forest plot's plotted block and what the layout needs to know."""

    rows: list[_Row]
    main_rows: int  # studies, pooled and prediction rows (under the line of no effect)
    ext_first: int | None  # first row of drawn external evidence
    flags: dict[str, str]  # flag text -> footnote letter
    listed_ext: list[Mapping[str, Any]]  # external evidence listed as text
    show_n: bool
    show_weight: bool
    show_events: bool = False  # the n column gives events/n per arm (binary analyses)


def _forest_rows(
    result: Mapping[str, Any], pooled: Mapping[str, Any] | None, level_text: str, m: _Measure
) -> _ForestRows:
    status = str(result.get("status") or "")
    studies = list(result.get("studies") or [])
    externals = list(result.get("external") or [])
    log = _analysis_labels(result.get("analysis") or {})["scale"] == "log"

    flags = _flag_letters(studies)
    # Squares of equal size unless something was pooled (weights are meaningless then).
    weights = [_num(s.get("weight")) if pooled is not None else None for s in studies]
    max_weight = max((w for w in weights if w is not None and w > 0), default=None)
    show_weight = any(w is not None for w in weights)
    show_n = any(_n_text(s.get("n1"), s.get("n2")) for s in studies)
    # Binary analyses whose every study has counts show events/n, as Cochrane plots do.
    show_events = bool(studies) and all(_has_events(s) for s in studies)

    rows: list[_Row] = []
    for study, weight in zip(studies, weights, strict=True):
        marks = [flags[str(f)] for f in (study.get("flags") or [])]
        est, lb, ub = _num(study.get("yi")), _num(study.get("ci_lb")), _num(study.get("ci_ub"))
        if max_weight is None:
            size = _SQUARE_EQUAL
        else:
            size = max(_SQUARE_MIN, _SQUARE_MAX * math.sqrt(max(weight or 0.0, 0.0) / max_weight))
        rows.append(
            _Row(
                "study",
                label=str(study.get("label") or study.get("study_id") or ""),
                text=f" ({','.join(sorted(set(marks), key=marks.index))})" if marks else "",
                n_text=_events_text(*(study[k] for k in ("events1", "n1", "events2", "n2")))
                if show_events
                else _n_text(study.get("n1"), study.get("n2")),
                est_text=_fmt_ci(est, lb, ub, log) if est is not None else "not estimable",
                weight_text=f"{weight:.1f}%" if weight is not None else "",
                est=est,
                lb=lb,
                ub=ub,
                size=size,
            )
        )
    main_rows = len(rows)
    if pooled is not None:
        method = str(pooled.get("method") or "")
        model = "Common-effect" if method in _COMMON_EFFECT_METHODS else "Random-effects"
        k = pooled.get("k")
        n_total = ""
        if show_n and all(
            _num(s.get("n1")) is not None and _num(s.get("n2")) is not None for s in studies
        ):
            n_total = _n_text(
                sum(float(s["n1"]) for s in studies), sum(float(s["n2"]) for s in studies)
            )
        if show_events:
            n_total = _events_text(
                *(sum(float(s[k]) for s in studies) for k in ("events1", "n1", "events2", "n2"))
            )
        est, lb, ub = (_num(pooled.get(k_)) for k_ in ("estimate", "ci_lb", "ci_ub"))
        rows.append(
            _Row(
                "pooled",
                label=f"{model} model" + (f" (k = {int(k)})" if k is not None else ""),
                n_text=n_total,
                est_text=_fmt_ci(est, lb, ub, log),
                weight_text="100.0%" if show_weight else "",
                est=est,
                lb=lb,
                ub=ub,
                label_font={"weight": "bold"},
            )
        )
        pi_lb, pi_ub = _num(pooled.get("pi_lb")), _num(pooled.get("pi_ub"))
        if pi_lb is not None and pi_ub is not None:
            rows.append(
                _Row(
                    "pi",
                    label=f"{level_text} prediction interval",
                    est_text=f"[{_fmt(_exp(pi_lb, log))}, {_fmt(_exp(pi_ub, log))}]",
                    lb=pi_lb,
                    ub=pi_ub,
                    label_font={"style": "italic"},
                )
            )
        main_rows = len(rows)
    else:
        reason = str(result.get("reason") or "").strip() or {
            "single_study": "Only one study: no pooled estimate.",
            "no_studies": "No studies for this comparison.",
        }.get(status, "No pooled estimate.")
        reason_lines = m.wrap(reason, _PLOT_IN * 72 - 8, _FONT, style="italic")
        for i, line in enumerate(reason_lines):
            rows.append(
                _Row(
                    "reason",
                    label="No pooled estimate" if i == 0 else "",
                    text=line,
                    label_font={"style": "italic"},
                )
            )

    drawn_ext = [e for e in externals if _drawable_external(e)]
    listed_ext = [e for e in externals if not _drawable_external(e)]
    ext_first = None
    if drawn_ext:
        rows.append(_Row("gap"))
        rows.append(
            _Row(
                "heading",
                label="External evidence \u2014 not pooled",
                label_font={"weight": "bold"},
            )
        )
        ext_first = len(rows)
        for ext in drawn_ext:
            est, lb, ub = (_num(ext.get(k_)) for k_ in ("estimate", "ci_lb", "ci_ub"))
            k_st, n_part = _num(ext.get("k_studies")), _num(ext.get("n_participants"))
            detail = ", ".join(
                x
                for x in (
                    f"k = {k_st:.0f}" if k_st is not None else "",
                    f"n = {n_part:.0f}" if n_part is not None else "",
                )
                if x
            )
            rows.append(
                _Row(
                    "external",
                    label=str(ext.get("label") or ext.get("study_id") or ""),
                    text=f" ({detail})" if detail else "",
                    est_text=_fmt_ci(est, lb, ub, log),
                    est=est,
                    lb=lb,
                    ub=ub,
                )
            )
    return _ForestRows(
        rows, main_rows, ext_first, flags, listed_ext, show_n, show_weight, show_events
    )


def _build_forest(result: Mapping[str, Any]) -> Figure:
    m = _Measure()
    labels = _analysis_labels(result.get("analysis") or {})
    pooled = result.get("pooled") if result.get("status") == "pooled" else None
    level = _num((pooled or {}).get("level")) or 95.0
    level_text = f"{level:g}%"
    content = _forest_rows(result, pooled, level_text, m)
    rows, main_rows, ext_first = content.rows, content.main_rows, content.ext_first
    flags, listed_ext = content.flags, content.listed_ext
    show_n, show_weight = content.show_n, content.show_weight

    # -- horizontal layout (points) ----------------------------------------------------
    label_max = _LABEL_MAX_IN * 72
    for row in rows:
        if row.kind in ("study", "external"):
            suffix_w = m.width(row.text, _FONT)
            row.label = m.truncate(row.label, label_max - suffix_w, _FONT) + row.text
        elif row.kind != "reason":
            row.label = m.truncate(row.label, label_max, _FONT, **row.label_font)
    label_w = max(
        [_LABEL_MIN_IN * 72, m.width("Study", _FONT, weight="bold")]
        + [m.width(r.label, _FONT, **r.label_font) for r in rows]
    )
    label_w = min(label_w, label_max)
    est_header = f"{labels['measure'] or 'Estimate'} [{level_text} CI]"
    est_w = max(
        [m.width(est_header, _FONT, weight="bold")] + [m.width(r.est_text, _FONT) for r in rows]
    )
    n_header = "Events/n (I, C)" if content.show_events else "n (I / C)"
    n_w = max([m.width(n_header, _FONT, weight="bold")] + [m.width(r.n_text, _FONT) for r in rows])
    w_header = "Weight"
    w_w = max(
        [m.width(w_header, _FONT, weight="bold")] + [m.width(r.weight_text, _FONT) for r in rows]
    )
    gap = _GAP_IN * 72

    x = _MARGIN_IN * 72
    x_label = x
    x += label_w + gap
    x_n_right = None
    if show_n:
        x += n_w
        x_n_right = x
        x += gap
    x_plot = x
    plot_w = _PLOT_IN * 72
    x += plot_w + gap
    x += est_w
    x_est_right = x
    x_w_right = None
    if show_weight:
        x += gap + w_w
        x_w_right = x
    width_pt = x + _MARGIN_IN * 72
    text_w = width_pt - 2 * _MARGIN_IN * 72

    # -- vertical layout (inches from the top) -----------------------------------------
    title = f"{labels['intervention']} vs {labels['comparator']}"
    subtitle = f"{labels['outcome']} \u2014 {labels['window']}"
    title_lines = m.wrap(title, text_w, _TITLE, weight="bold")
    subtitle_lines = m.wrap(subtitle, text_w, _FONT)

    drawn = [v for r in rows for v in (r.est, r.lb, r.ub) if v is not None]
    log = labels["scale"] == "log"
    if log:
        # Positions stay the log ratios the analysis pooled; only the labels are ratios.
        ratio_ticks = _ratio_ticks(drawn)
        xticks = [t for t, _ in ratio_ticks]
        xtick_labels: list[str] | None = [text for _, text in ratio_ticks]
    else:
        xticks, xtick_labels = _nice_ticks(drawn), None
    xlim = (xticks[0], xticks[-1])
    x_zero_pt = x_plot + plot_w * (0.0 - xlim[0]) / (xlim[1] - xlim[0])
    # Wrapped without the arrows, which are then attached so that they are never left
    # alone on a line.
    arrow_w = m.width("\u2190 ", _SMALL)
    # Below the null (left) favours the intervention on lower-is-better scales; for
    # beneficial events (responders) the intervention's side is the right.
    left, right = (
        (labels["comparator"], labels["intervention"])
        if labels["favours"] == "above"
        else (labels["intervention"], labels["comparator"])
    )
    fav_left = m.wrap(
        f"Favours {left}",
        max(x_zero_pt - 4 - _MARGIN_IN * 72, 72.0) - arrow_w,
        _SMALL,
    )
    fav_left[0] = "\u2190 " + fav_left[0]
    fav_right = m.wrap(
        f"Favours {right}",
        max(width_pt - _MARGIN_IN * 72 - x_zero_pt - 4, 72.0) - arrow_w,
        _SMALL,
    )
    fav_right[-1] += " \u2192"

    footer: list[tuple[str, str]] = []  # (line, font weight)
    if pooled is not None:
        footer += [(line, "normal") for line in m.wrap(_model_line(pooled, log), text_w, _SMALL)]
    for flag, letter in flags.items():
        footer += [(line, "normal") for line in m.wrap(f"({letter}) {flag}", text_w, _SMALL)]
    if listed_ext:
        heading = (
            "External evidence \u2014 not pooled"
            if ext_first is None
            else "External evidence not drawn"
        )
        footer.append((heading, "bold"))
        for ext in listed_ext:
            footer += [
                (line, "normal")
                for line in m.wrap(_external_summary(ext, labels["measure"]), text_w, _SMALL)
            ]

    top = _MARGIN_IN
    y_title = top
    top += len(title_lines) * _LINE_TITLE_IN + len(subtitle_lines) * _LINE_FONT_IN + 0.12
    y_header = top + _ROW_IN / 2
    top += _ROW_IN
    y_axes_top = top
    n_rows = max(len(rows), 1)
    top += n_rows * _ROW_IN
    y_axes_bottom = top
    # tick marks and labels, x label, then the "Favours" lines
    axis_zone = (3.5 + 3.5 + _SMALL * 1.2 + 4 + _FONT * 1.2 + 3) / 72
    fav_off_pt = axis_zone * 72
    top += axis_zone + max(len(fav_left), len(fav_right)) * _LINE_SMALL_IN + 0.1
    y_footer = top
    top += len(footer) * _LINE_SMALL_IN
    height_in = top + _MARGIN_IN
    width_in = width_pt / 72

    # -- drawing ---------------------------------------------------------------------
    fig = Figure(figsize=(width_in, height_in))

    def fx(pt: float) -> float:
        return pt / width_pt

    def fy(inch_from_top: float) -> float:
        return 1.0 - inch_from_top / height_in

    ax = fig.add_axes(
        (fx(x_plot), fy(y_axes_bottom), fx(plot_w), (y_axes_bottom - y_axes_top) / height_in)
    )
    ax.set_xlim(*xlim)
    ax.set_ylim(n_rows - 0.5, -0.5)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_yticks([])
    ax.set_xticks(xticks)
    if xtick_labels is not None:
        ax.set_xticklabels(xtick_labels)
    ax.tick_params(axis="x", labelsize=_SMALL, direction="out", length=3.5)
    ax.set_xlabel(
        labels["measure_label"] + (" (log scale)" if log else ""),
        fontsize=_FONT,
        labelpad=4,
        parse_math=False,
    )
    ax.patch.set_visible(False)

    row_tf = blended_transform_factory(fig.transFigure, ax.transData)
    plot_x_tf = blended_transform_factory(ax.transAxes, ax.transData)

    def put(x_pt: float, y: float, text: str, ha: str = "left", **kw: Any) -> None:
        if text:
            ax.text(
                fx(x_pt),
                y,
                text,
                transform=row_tf,
                ha=ha,
                va="center",
                fontsize=kw.pop("fontsize", _FONT),
                parse_math=False,
                clip_on=False,
                color=kw.pop("color", _INK),
                **kw,
            )

    # title, subtitle and column headers
    y = y_title
    for line in title_lines:
        fig.text(
            fx(x_label),
            fy(y),
            line,
            ha="left",
            va="top",
            fontsize=_TITLE,
            weight="bold",
            parse_math=False,
            color=_INK,
        )
        y += _LINE_TITLE_IN
    for line in subtitle_lines:
        fig.text(
            fx(x_label),
            fy(y),
            line,
            ha="left",
            va="top",
            fontsize=_FONT,
            parse_math=False,
            color="#444444",
        )
        y += _LINE_FONT_IN
    headers = [(x_label, "Study", "left"), (x_est_right, est_header, "right")]
    if x_n_right is not None:
        headers.append((x_n_right, n_header, "right"))
    if x_w_right is not None:
        headers.append((x_w_right, w_header, "right"))
    for hx, text, ha in headers:
        fig.text(
            fx(hx),
            fy(y_header),
            text,
            ha=ha,
            va="center",
            fontsize=_FONT,
            weight="bold",
            parse_math=False,
            color=_INK,
        )
    rule_x = (fx(_MARGIN_IN * 72), fx(width_pt - _MARGIN_IN * 72))
    fig.add_artist(
        Line2D(
            rule_x,
            (fy(y_axes_top),) * 2,
            transform=fig.transFigure,
            color=_RULE_COLOUR,
            linewidth=0.6,
        )
    )

    # line of no effect over the studies and pooled rows, and again for external evidence
    if main_rows:
        ax.vlines(0.0, -0.5, main_rows - 0.5, color=_INK, linewidth=0.7, zorder=1)
    if ext_first is not None:
        ax.vlines(
            0.0,
            ext_first - 0.5,
            len(rows) - 0.5,
            color=_INK,
            linewidth=0.7,
            linestyles=(0, (3, 2)),
            zorder=1,
        )

    study_x, study_y, study_s = [], [], []
    for i, row in enumerate(rows):
        put(x_label, i, row.label, **row.label_font)
        if x_n_right is not None:
            put(x_n_right, i, row.n_text, ha="right")
        put(
            x_est_right,
            i,
            row.est_text,
            ha="right",
            **({"weight": "bold"} if row.kind == "pooled" else {}),
        )
        if x_w_right is not None:
            put(
                x_w_right,
                i,
                row.weight_text,
                ha="right",
                **({"weight": "bold"} if row.kind == "pooled" else {}),
            )
        if row.kind == "study":
            if row.lb is not None and row.ub is not None:
                ax.hlines(i, row.lb, row.ub, color=_INK, linewidth=0.9, zorder=2)
            if row.est is not None:
                study_x.append(row.est)
                study_y.append(i)
                study_s.append(row.size**2)
        elif (
            row.kind == "pooled"
            and row.est is not None
            and row.lb is not None
            and row.ub is not None
        ):
            ax.add_patch(
                Polygon(
                    [(row.lb, i), (row.est, i - 0.36), (row.ub, i), (row.est, i + 0.36)],
                    closed=True,
                    facecolor=_INK,
                    edgecolor=_INK,
                    linewidth=0.6,
                    zorder=3,
                )
            )
        elif row.kind == "pi" and row.lb is not None and row.ub is not None:
            ax.hlines(i, row.lb, row.ub, color=_INK, linewidth=1.4, zorder=2)
            ax.vlines([row.lb, row.ub], i - 0.2, i + 0.2, color=_INK, linewidth=1.4, zorder=2)
        elif row.kind == "reason":
            ax.text(
                0.5,
                i,
                row.text,
                transform=plot_x_tf,
                ha="center",
                va="center",
                fontsize=_FONT,
                style="italic",
                color="#444444",
                parse_math=False,
            )
        elif row.kind == "gap":
            y_rule = fy(y_axes_top + (i + 0.5) * _ROW_IN)
            fig.add_artist(
                Line2D(
                    rule_x,
                    (y_rule,) * 2,
                    transform=fig.transFigure,
                    color=_RULE_COLOUR,
                    linewidth=0.6,
                )
            )
        elif (
            row.kind == "external"
            and row.est is not None
            and row.lb is not None
            and row.ub is not None
        ):
            ax.hlines(
                i,
                row.lb,
                row.ub,
                color=_EXTERNAL_COLOUR,
                linewidth=0.9,
                linestyles=(0, (4, 2)),
                zorder=2,
            )
            ax.plot(
                [row.est],
                [i],
                marker="D",
                markersize=6.5,
                markerfacecolor="white",
                markeredgecolor=_EXTERNAL_COLOUR,
                markeredgewidth=1.2,
                linestyle="none",
                zorder=3,
            )
    if study_x:
        ax.scatter(
            study_x,
            study_y,
            s=study_s,
            marker="s",
            color=_STUDY_COLOUR,
            edgecolors="none",
            zorder=3,
        )

    fav_tf = blended_transform_factory(ax.transData, ax.transAxes)
    ax.annotate(
        "\n".join(fav_left),
        xy=(0.0, 0.0),
        xycoords=fav_tf,
        xytext=(-4, -fav_off_pt),
        textcoords="offset points",
        ha="right",
        va="top",
        multialignment="right",
        fontsize=_SMALL,
        color="#333333",
        parse_math=False,
        annotation_clip=False,
    )
    ax.annotate(
        "\n".join(fav_right),
        xy=(0.0, 0.0),
        xycoords=fav_tf,
        xytext=(4, -fav_off_pt),
        textcoords="offset points",
        ha="left",
        va="top",
        multialignment="left",
        fontsize=_SMALL,
        color="#333333",
        parse_math=False,
        annotation_clip=False,
    )

    y = y_footer
    for line, weight in footer:
        fig.text(
            fx(x_label),
            fy(y),
            line,
            ha="left",
            va="top",
            fontsize=_SMALL,
            parse_math=False,
            color=_INK,
            weight=weight,
        )
        y += _LINE_SMALL_IN
    return fig


# ---------------------------------------------------------------------------------------
# Network diagram
# ---------------------------------------------------------------------------------------


def network_plot(edges: Sequence[Mapping[str, Any]], svg_path: Path, png_path: Path) -> None:
    """Draw the network of direct comparisons as SVG and PNG.

    Parameters
    ----------
    edges : sequence of Mapping
        One entry per pair of treatments compared head to head: ``a``, ``a_label``,
        ``b``, ``b_label`` and ``k``, the number of studies making that comparison. A
        pair may appear once (in either order).
    svg_path, png_path : Path
        Output files; written atomically, parent folders created.

    Notes
    -----
    Treatments are placed on a circle in the order of their ids (so the picture does not
    depend on the order of ``edges``); each line's width grows with :math:`\\sqrt{k}` and
    its label gives :math:`k`, the usual network graph of a review (Chaimani et al. 2013,
    PLoS ONE 8:e76654).

    Raises
    ------
    ValueError
        If a pair of treatments appears more than once, a treatment is compared with
        itself, or ``k`` is not a non-negative whole number.
    """
    nodes, pairs = _network_graph(edges)
    with _render_context():
        fig = _build_network(nodes, pairs)
        _save_figure(fig, svg_path, png_path, 150)


def _network_graph(
    edges: Sequence[Mapping[str, Any]],
) -> tuple[dict[str, str], list[tuple[str, str, int]]]:
    nodes: dict[str, str] = {}
    seen: dict[frozenset[str], int] = {}
    pairs: list[tuple[str, str, int]] = []
    for i, edge in enumerate(edges):
        a, b = str(edge.get("a") or ""), str(edge.get("b") or "")
        if not a or not b:
            raise ValueError(f"network edge {i}: 'a' and 'b' are required, found {dict(edge)!r}")
        if a == b:
            raise ValueError(f"network edge {i}: treatment {a!r} is compared with itself")
        key = frozenset((a, b))
        if key in seen:
            raise ValueError(
                f"network edges {seen[key]} and {i}: the pair {a!r} / {b!r} appears twice; "
                "give each pair of treatments once with the number of studies comparing them"
            )
        seen[key] = i
        k = edge.get("k")
        if isinstance(k, bool) or not isinstance(k, int | float) or k < 0 or int(k) != k:
            raise ValueError(
                f"network edge {i} ({a} / {b}): k must be a whole number >= 0, found {k!r}"
            )
        for node, label in ((a, edge.get("a_label")), (b, edge.get("b_label"))):
            nodes.setdefault(node, str(label or node))
        pairs.append((min(a, b), max(a, b), int(k)))
    return dict(sorted(nodes.items())), sorted(pairs)


def _build_network(nodes: dict[str, str], pairs: list[tuple[str, str, int]]) -> Figure:
    m = _Measure()
    ids = list(nodes)
    n = len(ids)
    # Nodes on the unit circle, starting at the top (at the left for two) and going
    # clockwise; data units are the same on both axes.
    start = math.pi if n == 2 else math.pi / 2
    pos = {
        node: (math.cos(start - 2 * math.pi * j / n), math.sin(start - 2 * math.pi * j / n))
        if n > 1
        else (0.0, 0.0)
        for j, node in enumerate(ids)
    }
    width_in = 6.0
    half_x = 2.2  # room for labels left and right of the circle
    in_per_unit = width_in / (2 * half_x)
    ys = [y for _, y in pos.values()] or [0.0]
    pad = 0.7 if n > 2 else 0.4  # labels above and below the top and bottom nodes
    y_lo, y_hi = min(ys) - pad, max(ys) + pad
    caption_in = 0.4
    height_in = (y_hi - y_lo) * in_per_unit + caption_in
    fig = Figure(figsize=(width_in, height_in))
    ax = fig.add_axes((0.0, caption_in / height_in, 1.0, 1.0 - caption_in / height_in))
    ax.set_axis_off()
    ax.set_xlim(-half_x, half_x)
    ax.set_ylim(y_lo, y_hi)

    if not nodes:
        ax.text(
            0,
            0,
            "No comparisons",
            ha="center",
            va="center",
            fontsize=_FONT,
            style="italic",
            parse_math=False,
        )

    label_spots: list[tuple[float, float]] = []
    for a, b, k in pairs:
        (xa, ya), (xb, yb) = pos[a], pos[b]
        ax.plot(
            [xa, xb],
            [ya, yb],
            color=_STUDY_COLOUR,
            linewidth=1.0 + 1.6 * math.sqrt(k),
            solid_capstyle="round",
            zorder=1,
            alpha=0.85,
        )
        # Label at the midpoint unless another label is already there (crossing diagonals).
        for frac in (0.5, 0.35, 0.65, 0.25, 0.75):
            spot = (xa + frac * (xb - xa), ya + frac * (yb - ya))
            if all(math.hypot(spot[0] - s[0], spot[1] - s[1]) > 0.2 for s in label_spots):
                break
        label_spots.append(spot)
        ax.text(
            *spot,
            f"{k}",
            ha="center",
            va="center",
            fontsize=_SMALL,
            color=_INK,
            parse_math=False,
            zorder=4,
            bbox={
                "boxstyle": "round,pad=0.2",
                "facecolor": "white",
                "edgecolor": _RULE_COLOUR,
                "linewidth": 0.5,
            },
        )

    if ids:
        xs, ys_ = zip(*(pos[i] for i in ids), strict=True)
        ax.scatter(xs, ys_, s=260, color="white", edgecolors=_INK, linewidths=1.2, zorder=3)
    for node in ids:
        x, y = pos[node]
        r = 1.17
        lx, ly = (x * r, y * r) if n > 1 else (0.0, -0.2)
        ha = "center" if abs(x) < 0.3 or n == 1 else ("left" if x > 0 else "right")
        va = "center" if abs(y) < 0.3 and n > 1 else ("bottom" if y > 0 else "top")
        # Wrap to the room between the label's anchor and the edge of the figure.
        if ha == "center":
            room_in = 2 * (half_x - abs(lx)) * in_per_unit
        else:
            room_in = (half_x - abs(lx)) * in_per_unit
        text = "\n".join(m.wrap(nodes[node], min(room_in, 1.8) * 72 - 6, _FONT))
        ax.text(
            lx,
            ly,
            text,
            ha=ha,
            va=va,
            multialignment=ha if ha != "center" else "center",
            fontsize=_FONT,
            color=_INK,
            parse_math=False,
            zorder=4,
        )

    fig.text(
        0.03,
        0.5 * caption_in / height_in,
        "Line width and numbers: studies comparing the two treatments directly.",
        ha="left",
        va="center",
        fontsize=_SMALL,
        color="#444444",
        parse_math=False,
    )
    return fig
