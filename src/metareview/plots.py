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

How a forest plot is made, and why:

* **Layout, then output.** :func:`_layout_forest` turns a result into a list of drawing
  primitives in points (:class:`_Text`, :class:`_Line`, :class:`_Rect`,
  :class:`_Polygon`) and the axis that maps effect sizes to points (:class:`_Axis`);
  :func:`_svg_bytes` writes them as SVG by hand. matplotlib's Figure machinery took
  0.2-0.7 s per plot (plus a second to import) and held the GIL, so the plots of a
  review, drawn in threads of the Snakemake process, ran one after another; the layout
  and the SVG now take a few milliseconds and import nothing beyond the standard
  library.
* **Text is measured from the font file.** Advance widths of DejaVu Sans (regular, bold,
  oblique) are read from the TrueType files that ship with matplotlib (``cmap``,
  ``hmtx``, ``hhea`` and ``head`` tables, :class:`_FontMetrics`) without importing
  matplotlib; kerning is ignored and widths are padded by 3%. Characters the font lacks
  are given a fallback width (1 em for wide East Asian characters). Widths only decide
  wrapping, truncation and column widths: text is placed by its anchor
  (``text-anchor`` start, middle or end), so right-aligned and centred columns stay
  aligned in a viewer that substitutes another font.
* **Text stays text** (searchable, small, checkable by tests), in DejaVu Sans. Labels come
  from data files, so they are written literally and inertly: XML-escaped, characters
  XML 1.0 forbids (control characters, lone surrogates) dropped, line breaks and tabs
  in single-line labels turned into spaces. Nothing is read as markup or mathtext
  (``$x$`` is shown as typed).
* **The PNG is rasterised from the SVG** by Typst's renderer with matplotlib's font folder
  as its only fonts (:func:`_png_from_svg`), so the PNG, the SVG and the PDF report show
  the same figure with the same font whatever fonts a machine has. Characters the font
  lacks (CJK, for instance) keep their code points in the SVG and are drawn as boxes in
  the PNG. Rasterising is most of a plot's cost (15-100 ms at 150 dpi, growing with
  the figure's area in pixels), so the workflow makes PNG copies only on request
  (:func:`png_from_svg`, ``make figures``).
* **Byte-identical output.** Coordinates are written with a fixed number of decimals, no
  dates or software versions are written, and nothing depends on global state (the
  font caches only ever hold the same values), so runs, processes and threads give the
  same bytes without a lock; Typst releases the GIL while it rasterises, so plots drawn
  in threads run in parallel.
* Both files are written to temporary files in their target folder and moved into place
  with :func:`os.replace` only after both are complete, so a failure leaves no partial
  or mismatched figure behind.

The network diagram (:func:`network_plot`, not used by the workflow) is still drawn with
matplotlib's object-oriented API under a lock with pinned ``rcParams``; matplotlib is
imported only when it is called, so importing this module stays cheap.
"""

from __future__ import annotations

import math
import os
import re
import struct
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from metareview.fmt import fixed, minus, notes_in_words, p_value, typeset

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

__all__ = ["drawn_externals", "external_label", "forest_plot", "funnel_plot", "funnel_studies", "has_funnel",
           "network_plot", "png_from_svg", "shows_results", "unmatched_levels"]

_FONT_FAMILY = "DejaVu Sans"
#: The SVG's font list: DejaVu Sans, which the text was measured in and which Typst
#: is given (matplotlib's files), then Bitstream Vera Sans (DejaVu's origin, the same
#: widths) and generic sans-serif, so that a browser without DejaVu sets a sans-serif
#: and not its default serif.
_SVG_FONT_FAMILY = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif"

# ---------------------------------------------------------------------------------------
# Fonts: advance widths read from matplotlib's DejaVu Sans files
# ---------------------------------------------------------------------------------------

#: Font file per (weight, style); the forest plot uses regular, bold and oblique.
_FONT_FILES = {
    ("normal", "normal"): "DejaVuSans.ttf",
    ("bold", "normal"): "DejaVuSans-Bold.ttf",
    ("normal", "italic"): "DejaVuSans-Oblique.ttf",
    ("bold", "italic"): "DejaVuSans-BoldOblique.ttf",
}

#: Vertical metrics in em that place text as matplotlib did: the top of a line is 0.76 em
#: above its baseline (the height of "l") and its bottom 0.24 em below it, so a line
#: centred on ``y`` has its baseline at ``y + 0.26 em``.
_ASCENT_EM = 0.76
_DESCENT_EM = 0.24
#: Kerning is ignored, so measured widths are padded slightly.
_WIDTH_PAD = 1.03


@lru_cache(maxsize=1)
def _font_dir() -> Path:
    """matplotlib's folder of TrueType fonts, found without importing matplotlib."""
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "matplotlib is not installed: the plots use the DejaVu Sans fonts it ships "
            "(install the project's dependencies)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


class _FontMetrics:
    """Horizontal advances of one TrueType font, from its ``cmap`` and ``hmtx`` tables.

    Only what width measurement needs is parsed (Apple/Microsoft TrueType reference,
    tables ``head``, ``hhea``, ``hmtx`` and ``cmap`` formats 4 and 12). Characters are
    looked up lazily and cached; the cache only ever holds the value any thread would
    compute, so it needs no lock.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        n_tables = struct.unpack_from(">H", data, 4)[0]
        tables: dict[bytes, int] = {}
        for i in range(n_tables):
            tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            tables[tag] = offset
        self.units_per_em = struct.unpack_from(">H", data, tables[b"head"] + 18)[0]
        n_hmetrics = struct.unpack_from(">H", data, tables[b"hhea"] + 34)[0]
        # longHorMetric records: (advanceWidth uint16, lsb int16); only advances matter.
        self._advances = struct.unpack_from(f">{2 * n_hmetrics}H", data, tables[b"hmtx"])[0::2]
        self._cache: dict[str, float] = {}
        self._lookup = self._cmap(tables[b"cmap"])

    def _cmap(self, cmap: int) -> Any:
        data = self._data
        n = struct.unpack_from(">H", data, cmap + 2)[0]
        subtables: dict[tuple[int, int], int] = {}
        for i in range(n):
            platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
            subtables[(platform, encoding)] = cmap + offset
        for key in ((3, 10), (0, 4), (0, 6)):  # full Unicode (format 12) first
            at = subtables.get(key)
            if at is not None and struct.unpack_from(">H", data, at)[0] == 12:
                return self._format12(at)
        for key in ((3, 1), (0, 3), (0, 1), (0, 0)):
            at = subtables.get(key)
            if at is not None and struct.unpack_from(">H", data, at)[0] == 4:
                return self._format4(at)
        raise ValueError("font has no Unicode cmap subtable of format 4 or 12")

    def _format4(self, at: int) -> Any:
        data = self._data
        seg2 = struct.unpack_from(">H", data, at + 6)[0]
        n = seg2 // 2
        ends = struct.unpack_from(f">{n}H", data, at + 14)
        starts = struct.unpack_from(f">{n}H", data, at + 16 + seg2)
        deltas = struct.unpack_from(f">{n}h", data, at + 16 + 2 * seg2)
        range_at = at + 16 + 3 * seg2
        range_offsets = struct.unpack_from(f">{n}H", data, range_at)

        def glyph(cp: int) -> int:
            i = bisect_left(ends, cp)
            if i == n or starts[i] > cp:
                return 0
            if range_offsets[i] == 0:
                return (cp + deltas[i]) & 0xFFFF
            addr = range_at + 2 * i + range_offsets[i] + 2 * (cp - starts[i])
            g = struct.unpack_from(">H", data, addr)[0]
            return (g + deltas[i]) & 0xFFFF if g else 0

        return glyph

    def _format12(self, at: int) -> Any:
        n = struct.unpack_from(">I", self._data, at + 12)[0]
        groups = struct.unpack_from(f">{3 * n}I", self._data, at + 16)
        starts, ends, first = groups[0::3], groups[1::3], groups[2::3]

        def glyph(cp: int) -> int:
            i = bisect_left(ends, cp)
            if i == n or starts[i] > cp:
                return 0
            return first[i] + cp - starts[i]

        return glyph

    def advance(self, ch: str) -> float:
        """Advance width of one character in em."""
        a = self._cache.get(ch)
        if a is None:
            a = self._advance(ch)
            self._cache[ch] = a
        return a

    def _advance(self, ch: str) -> float:
        if ch in "\t\r\n":
            ch = " "  # written as spaces (see _clean)
        elif _FORBIDDEN_XML.match(ch):
            return 0.0  # dropped from the output
        g = self._lookup(ord(ch))
        if g == 0:
            # Not in the font: the renderer substitutes a box or another font's glyph.
            return 1.0 if _wide(ch) else 0.6
        adv = self._advances[min(g, len(self._advances) - 1)]
        return adv / self.units_per_em


@cache
def _font_metrics(weight: str, style: str) -> _FontMetrics:
    weight = "bold" if weight == "bold" else "normal"
    style = "italic" if style in ("italic", "oblique") else "normal"
    return _FontMetrics((_font_dir() / _FONT_FILES[(weight, style)]).read_bytes())


# ---------------------------------------------------------------------------------------
# Text measurement, cleaning, wrapping and formatting
# ---------------------------------------------------------------------------------------

#: Characters XML 1.0 does not allow (section 2.2): most C0 controls, lone surrogates,
#: U+FFFE and U+FFFF. They cannot be written into an SVG at all.
_FORBIDDEN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    """``text`` as one line that XML can hold: forbidden characters dropped, line breaks
    and tabs turned into spaces and runs of spaces collapsed (as an SVG viewer would)."""
    return " ".join(_FORBIDDEN_XML.sub("", text).split())


#: A bracketed phrase and what sticks to its end ("(2016),"), or else a word.
_PHRASE = re.compile(r"\([^()]*\)\S*|\S+")


def _wide(ch: str) -> bool:
    """Whether ``ch`` is a wide East Asian character (Unicode UAX #11: W or F)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


#: Punctuation a line does not start with ("、", "。", a closing bracket), after UAX #14's
#: classes CL, CP, EX and IS; categories Pe and Pf are added where they are used.
_NO_LINE_START = frozenset(",.:;!?\u3001\u3002\uff0c\uff0e\uff1a\uff1b\uff01\uff1f\u30fb")


def _may_break(before: str, after: str) -> bool:
    """Whether a line may break between two characters of a word: beside a wide (CJK)
    character, as Chinese and Japanese are written without spaces and break before or
    after any ideograph (Unicode UAX #14, class ID), but not after an opening bracket nor
    before closing punctuation, which would stand alone at a line's end or start."""
    if not (_wide(before) or _wide(after)):
        return False
    return (unicodedata.category(before) not in ("Ps", "Pi")
            and unicodedata.category(after) not in ("Pe", "Pf") and after not in _NO_LINE_START)


def _unbreakable(word: str) -> list[str]:
    """``word`` cut where a line may break (:func:`_may_break`): the parts a line cannot
    break, so that "王小明等人的多中心试验" counts as ten narrow parts, not one word as wide
    as ten ideographs."""
    cuts = [i for i in range(1, len(word)) if _may_break(word[i - 1], word[i])]
    return [word[a:b] for a, b in zip([0, *cuts], [*cuts, len(word)], strict=True)]


class _Measure:
    """Width of text in points, from DejaVu Sans advance widths (see :class:`_FontMetrics`).

    Widths are the sum of the characters' advances, padded by 3% because kerning is
    ignored; they only decide wrapping and column widths, never where glyphs are drawn.
    """

    def width(self, text: str, size: float, weight: str = "normal", style: str = "normal") -> float:
        if not text:
            return 0.0
        advance = _font_metrics(weight, style).advance
        widest = max(sum(advance(ch) for ch in line) for line in text.split("\n"))
        return widest * size * _WIDTH_PAD

    def truncate(self, text: str, max_pt: float, size: float, **font: str) -> str:
        """``text`` (typeset, :func:`metareview.fmt.typeset`) shortened with an ellipsis so that it fits
        in ``max_pt`` points."""
        text = typeset(text)
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
        """Greedy word wrap to ``max_pt`` points of ``text`` typeset (:func:`metareview.fmt.typeset`);
        words too long for a line are split."""
        lines: list[str] = []
        for paragraph in typeset(_FORBIDDEN_XML.sub("", text)).split("\n"):
            lines += self._fill(paragraph.split(), max_pt, size, **font)
        return lines

    def _fill(self, units: list[str], max_pt: float, size: float, **font: str) -> list[str]:
        """``units`` (words, or phrases kept whole) greedily to lines of ``max_pt`` points; a
        unit too wide for a line is split into characters."""
        lines: list[str] = []
        current = ""
        for unit in units:
            candidate = f"{current} {unit}" if current else unit
            if self.width(candidate, size, **font) <= max_pt:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = unit
            while self.width(current, size, **font) > max_pt and len(current) > 1:
                cut = self._fit_chars(current, max_pt, size, **font)
                # At the last place a line may break (:func:`_may_break`), after a hyphen or
                # before an opening bracket, if there is one: "（2019）" stays whole rather
                # than parting "20" from "19", "Study-" / "Group" reads as a word's hyphen,
                # "<script>alert(1)" / "</script>" as two tags.
                cut = next((i for i in range(cut, 0, -1) if current[i - 1] == "-" or current[i] in "(<[{"
                            or _may_break(current[i - 1], current[i])), cut)
                lines.append(current[:cut])
                current = current[cut:]
        lines.append(current)
        return lines

    def wrap_phrases(self, text: str, max_pt: float, size: float, **font: str) -> list[str]:
        """:meth:`wrap`, but a bracketed phrase ("(authors unverified)", "(k = 3, n = 451)")
        that fits on a line is moved to the next line whole rather than broken, which left
        "unverified)" alone under its name; a phrase wider than a line breaks at its spaces."""
        lines: list[str] = []
        for paragraph in typeset(_FORBIDDEN_XML.sub("", text)).split("\n"):
            # Units: a bracketed phrase with what sticks to its end ("(2016),"), or a word.
            units: list[str] = []
            for unit in _PHRASE.findall(paragraph):
                unit = " ".join(unit.split())
                fits = self.width(unit, size, **font) <= max_pt
                units.extend([unit] if fits else unit.split())
            lines += self._fill(units, max_pt, size, **font)
        return lines

    def wrap_evenly(self, text: str, max_pt: float, size: float, **font: str) -> list[str]:
        """:meth:`wrap` into as few lines as the greedy wrap to ``max_pt`` takes, but at the
        least width that keeps that many lines, so that the last line is not one stranded
        word ("Favours Usual care or" / "guideline-based conventional" / "therapy")."""
        lines = self.wrap(text, max_pt, size, **font)
        if len(lines) < 2:
            return lines
        lo, hi = 0.0, max_pt
        # Bisection to a hundredth of a point: deterministic, and a few dozen wraps at most.
        while hi - lo > 0.01:
            mid = (lo + hi) / 2
            if len(self.wrap(text, mid, size, **font)) <= len(lines):
                hi = mid
            else:
                lo = mid
        return self.wrap(text, hi, size, **font)

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
    # The report's minus sign; "-0.00" reads as a (tiny) negative effect, so a rounded
    # zero has no sign.
    return "NA" if x is None else minus(fixed(x, digits))


def _exp(x: float | None, log: bool) -> float | None:
    """The value shown for a position on the axis: exp() on a log (ratio) axis."""
    if x is None or not log:
        return x
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _interval(lb: float | None, ub: float | None) -> str:
    """An interval as the report's text and tables write it, "(−1.39 to 0.37)": a
    reader who meets "[−1.39, 0.37]" in a figure and "−1.39 to 0.37" in the text
    below it is left to wonder whether the two are the same kind of interval."""
    return f"({_fmt(lb)} to {_fmt(ub)})"


def _fmt_ci(est: float | None, lb: float | None, ub: float | None, log: bool = False) -> str:
    est, lb, ub = _exp(est, log), _exp(lb, log), _exp(ub, log)
    return f"{_fmt(est)} {_interval(lb, ub)}"


_CI_METHOD = {
    "knha": "Hartung-Knapp CI",
    "adhoc": "Hartung-Knapp CI (floored)",
    "z": "normal (Wald) CI",
    "t": "t-distribution CI",
}
_COMMON_EFFECT_METHODS = {"EE", "FE", "CE"}


def _model_line(pooled: Mapping[str, Any], log: bool = False) -> str:
    """Footer describing the model, e.g. ``REML, Hartung-Knapp CI; τ² = 0.040; ...``."""
    method = str(pooled.get("method") or "")
    test = str(pooled.get("test") or "")
    ci = _CI_METHOD.get(test, f"{test} CI" if test else "")
    parts = [", ".join(p for p in (method, ci) if p)]
    k = pooled.get("k")
    if k is not None:
        parts.append(f"k = {int(k)}")
    tau2 = _num(pooled.get("tau2"))
    # τ², I² and Q's p with the decimals the report's text gives them: one number, printed
    # one way, under the figure and in the paragraph beside it.
    if tau2 is not None and method not in _COMMON_EFFECT_METHODS:
        parts.append(f"\u03c4\u00b2 = {fixed(tau2, 3)}" + (" (log scale)" if log else ""))
    i2 = _num(pooled.get("I2"))
    if i2 is not None:
        parts.append(f"I\u00b2 = {fixed(i2, 1)}%")
    qe = _num(pooled.get("QE"))
    if qe is not None:
        extras = []
        if k is not None and int(k) > 1:
            extras.append(f"df = {int(k) - 1}")
        qep = _num(pooled.get("QEp"))
        if qep is not None:
            extras.append(p_value(qep))
        parts.append(f"Q = {fixed(qe, 2)}" + (f" ({', '.join(extras)})" if extras else ""))
    if pooled.get("pi_note") and pooled.get("pi_lb") is None:
        parts.append(f"no prediction interval: {pooled['pi_note']}")
    return "; ".join(p for p in parts if p)


# ---------------------------------------------------------------------------------------
# Forest plot
# ---------------------------------------------------------------------------------------

# Sizes in points (1/72 inch) unless named *_IN.
_FONT = 9.0
_SMALL = 8.0
_TITLE = 10.5
# The notes under the plot (pooling model, flags, marks, what is not drawn), at the
# size of the rows' text: at 8 points they were 14 px high in the HTML at a laptop's
# width (the drawing scaled to the 816-px column), beside 17-px text, and the smallest
# text a reader of the plot had to read in full.
_NOTE = _FONT
_ROW_IN = 0.22
_MARGIN_IN = 0.2  # above and below
_SIDE_IN = 0.05  # left and right: the figure is as wide as the text, and aligned with it
_GAP_IN = 0.1  # between columns
_PLOT_IN = 3.2
# A figure wider than _TARGET_IN, the report's text width (A4, 2.5 cm margins), is
# scaled down to fit, its 9-point text printed at 7 or 8 points. To stay within it, a
# name longer than _LABEL_TYPICAL_IN wraps rather than leave the plot area less than
# _PLOT_SHARE_IN; the plot area narrows, down to _PLOT_MIN_IN; then a binary analysis'
# events column sets each arm on a line of its own; then the labels wrap, published
# reviews' at the widest other label first, then every label, down to _LABEL_MIN_IN;
# then the plot area narrows again, down to _PLOT_FLOOR_IN; then the events column is
# stacked if it is not yet, and the fitting starts again.
# 1.4 rather than 1.6 since intervals are written "(a to b)" as in the text, about
# 9 points wider than "[a, b]", and names of typical length keep a line of their own.
_PLOT_MIN_IN = 1.4
#: ...and when the labels are at their least too, down to this.
_PLOT_FLOOR_IN = 1.2
#: The plot area's width that published reviews' names wrap for, when the other labels
#: are narrower: they keep at least the rest of the text width.
_PLOT_SHARE_IN = 2.2
#: Points the events column must narrow by, its arms stacked, to be stacked before the
#: labels wrap.
_STACK_GAIN = 18.0
#: The least room between two tick labels of the axis (points).
_TICK_LABEL_GAP = 6.0
_TARGET_IN = 160 / 25.4  # A4's 21 cm less the PDF's two 2.5 cm margins (453.54 points)
_LABEL_MIN_IN = 1.1
#: A trial's name of typical length and its marks ("Moreau et al. (2021) (a)", 111 points)
#: and the pooled row's label ("Random-effects model", 118 points bold) keep a line of
#: their own while the plot area keeps :data:`_PLOT_MIN_IN`; a longer name wraps rather than
#: take the plot area below :data:`_PLOT_SHARE_IN`.
_LABEL_TYPICAL_IN = 1.7
_LABEL_MAX_IN = 3.0
#: A trial's name wraps onto at most this many lines; the rest is cut with an ellipsis.
_LABEL_LINES = 3
_LINE_FONT_IN = _FONT * 1.35 / 72
_LINE_NOTE_IN = _NOTE * 1.35 / 72
_LINE_TITLE_IN = _TITLE * 1.35 / 72
# Side of the square of the heaviest study, and the smallest side drawn: area is
# proportional to weight, the minimum keeps light studies visible.
_SQUARE_MAX = 0.62 * _ROW_IN * 72
_SQUARE_MIN = 3.0
_SQUARE_EQUAL = 6.5
_EXTERNAL_MARKER = 6.5  # side of the hollow diamond's square (before turning it by 45°)
# Axis: tick marks, the gap to their labels and to the axis label (matplotlib's defaults),
# and the room under the axis before the "Favours" lines.
_TICK_LENGTH = 3.5
_TICK_PAD = 3.5
_XLABEL_PAD = 4.0
_AXIS_ZONE = _TICK_LENGTH + _TICK_PAD + _SMALL * 1.2 + _XLABEL_PAD + _FONT * 1.2 + 3
_FAV_LINE = _SMALL * 1.35
_INK = "#1a1a1a"
_STUDY_COLOUR = "#2a4d7f"
_EXTERNAL_COLOUR = "#a0471b"
_RULE_COLOUR = "#9a9a9a"
# The minimal important difference's lines: lighter than the line of no effect, their
# dashes longer than those of that line over published reviews, and over 4.5:1 on white.
_MID_COLOUR = "#6e6e6e"


@dataclass
class _Row:
    """One line of the plotted block, drawn at its index from the top."""

    kind: str  # study | pooled | pi | reason | heading | external | continuation | gap
    label: str = ""
    n_text: str = ""
    # The comparator's events/n when the events column is stacked (the intervention's in
    # n_text): drawn on the line under the row's, the first of its continuation rows.
    n_below: str = ""
    est_text: str = ""
    # A mark after the interval (a published level other than the column's), hung to the
    # right of the column's numbers so that they stay aligned.
    est_mark: str = ""
    weight_text: str = ""
    est: float | None = None
    lb: float | None = None
    ub: float | None = None
    size: float = _SQUARE_EQUAL  # side of the study's square, points
    text: str = ""  # footnote marks or details after the label
    label_font: dict[str, str] = field(default_factory=dict)


def _analysis_labels(analysis: Mapping[str, Any]) -> dict[str, str]:
    def pick(key: str) -> str:
        return _clean(str(analysis.get(f"{key}_label") or analysis.get(key) or key))

    return {k: pick(k) for k in ("intervention", "comparator", "outcome", "window")} | {
        "measure": _clean(str(analysis.get("measure") or "")),
        "measure_label": _clean(
            str(analysis.get("measure_label") or analysis.get("measure") or "")
        ),
        "scale": "log" if analysis.get("scale") == "log" else "linear",
        "favours": "above" if analysis.get("favours_intervention_when") == "above" else "below",
        # A mean difference's common scale ("0 to 10"), or "".
        "common_scale": _clean(str(analysis.get("common_scale") or "")),
        # Or the unit of a mean difference in natural units ("days"), or "".
        "unit": _clean(str(analysis.get("unit") or "")),
    }


#: A trial read only in another document (a review's table, a blog post's): the flag its
#: row of a forest plot and of the study-effects table carries.
SECONDARY_TRIAL = "known only from a secondary source"


#: A study whose identity the team rates low (studies.csv's ``identity_confidence``): the
#: flag its row of a forest plot and of the study-effects table carries, in the words the
#: report's text gives it (:data:`metareview.report.overview.IDENTITY_LOW`).
IDENTITY_LOW = "study identity low"


def source_flags(study: Mapping[str, Any]) -> list[str]:
    """[:data:`SECONDARY_TRIAL`] for a trial known only from a secondary source, and
    [:data:`IDENTITY_LOW`] for a study whose identity is rated low, whatever its source;
    else [].

    The plot marked a published review known only from a secondary source and left a
    trial known the same way (Kwon et al., 2007, drawn beside Rubinstein et al., 2010)
    unmarked, as did the study-effects table, though the summary and the limitations
    name it: a reader of the figure or the table took its numbers for a publication's.
    So too a study whose identity is rated low, which the text flags beside its effect
    wherever it gives it ("Trial C (study identity low)") and the figure did not: two
    flags, as the limitations list the study under each.
    """
    return ([SECONDARY_TRIAL] if study.get("source_level") == "secondary" else []) + (
        [IDENTITY_LOW] if study.get("identity_confidence") == "low" else [])


def _study_flags(study: Mapping[str, Any]) -> list[str]:
    """A study's flags as its footnotes give them: whether it is known only from a
    secondary source and whether its identity is rated low (:func:`source_flags`), then
    its effect's, a sparse 2×2 table's calling its interval an approximation followed by
    the exact test, a separate method given beside it (``exact_p``), as the
    study-effects table beside the figure gives them."""
    # The rows behind a flag in words: the audit trail names them (one footnote then
    # serves every study whose rows are rated alike).
    flags = [*source_flags(study), *(notes_in_words(str(f)) for f in study.get("flags") or [])]
    if study.get("exact_p") is not None:
        flags.append(f"Fisher\u2019s exact test (two-sided): {p_value(float(study['exact_p']))}")
    return flags


def _flag_letters(studies: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Footnote letters for the flags, in order of first appearance."""
    letters: dict[str, str] = {}
    for study in studies:
        for flag in _study_flags(study):
            if flag not in letters:
                letters[flag] = _letter(len(letters))
    return letters


#: A row reference in a flag: ``contrasts.csv:Chen2022#1``, the study's first row in
#: that file (see :func:`metareview.rawdata.resolve_refs`).
_REF = re.compile(r"\b([a-z_]+\.csv):([A-Za-z][A-Za-z0-9_-]*)#(\d+)\b")
#: Row references listed one after another (", " between them).
_REF_RUN = re.compile(rf"{_REF.pattern}(?:, {_REF.pattern})*")


def readable_refs(text: str) -> str:
    """``text`` with each row reference in words: "the 1st Chen2022 row of contrasts.csv".

    A figure knows a row by its place among its study's rows (the figure's job reads only
    its studies' rows, so that a row added to another study does not redraw it), not by
    its spreadsheet row number, which the report's tables give; in words, the reference
    can be followed in the spreadsheet without knowing the key's syntax.
    """
    def ordinal(n: int) -> str:
        return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"

    def words(run: re.Match[str]) -> str:
        # Rows of one study in one file, listed one after another, named once: "the 1st and
        # 2nd Kwon2007 rows of arm_outcomes.csv", not the study and file twice.
        groups: list[tuple[str, str, list[int]]] = []
        for file, study, n in _REF.findall(run[0]):
            if groups and groups[-1][:2] == (file, study):
                groups[-1][2].append(int(n))
            else:
                groups.append((file, study, [int(n)]))
        said = []
        for file, study, ns in groups:
            numbers = [ordinal(n) for n in ns]
            listed = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
            said.append(f"the {listed} {study} {'row' if len(ns) == 1 else 'rows'} of {file}")
        return ", ".join(said)
    return _REF_RUN.sub(words, text)


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


def _arm_events_text(e: Any, n: Any) -> str:
    """One arm's events over its size, e.g. ``184/387``."""
    return f"{float(e):.0f}/{float(n):.0f}"


def _events_text(e1: Any, n1: Any, e2: Any, n2: Any) -> str:
    """Events over group size in each arm, e.g. ``184/387 vs 171/387``, as the report's
    tables of study effects print them."""
    return f"{_arm_events_text(e1, n1)} vs {_arm_events_text(e2, n2)}"


def _events_cells(e1: Any, n1: Any, e2: Any, n2: Any, stacked: bool) -> tuple[str, str]:
    """The events column's text on a row's line and on the line under it: both arms on
    one line (``184/387 vs 171/387``), or, ``stacked``, the intervention's arm over the
    comparator's (``184/387`` over ``171/387``)."""
    if stacked:
        return _arm_events_text(e1, n1), _arm_events_text(e2, n2)
    return _events_text(e1, n1, e2, n2), ""


def _has_events(study: Mapping[str, Any]) -> bool:
    return all(_num(study.get(k)) is not None for k in ("events1", "n1", "events2", "n2"))


#: Why the report's summary does not count a published review it shows, as the text of
#: each analysis says ("not counted, 1 review of a broader population than this
#: review's"), by the first reason that applies: the plot marks the review the same way.
_NOT_COUNTED = (
    (lambda e: e.get("source_level") == "secondary", "known only from a secondary source"),
    (lambda e: bool(e.get("read_elsewhere")), "read here only in a document other than the review\u2019s own"),
    (lambda e: e.get("population_fit") == "broader", "a review of a broader population than this review\u2019s"),
    (lambda e: e.get("population_fit") == "different", "a review of another population than this review\u2019s"),
)


def external_flag(ext: Mapping[str, Any]) -> str | None:
    """The footnote a drawn published review gets when the report's tallies of reviews do
    not count it (known only from a secondary source, read only in another document, or of a broader
    or another population than the review's), or ``None``.

    The text sets such reviews apart ("not counted"); a plot that drew them beside the
    others unmarked would let a reader count them again.
    """
    for applies, why in _NOT_COUNTED:
        if applies(ext):
            return f"{why}: shown, not counted with the other reviews"
    return None


def external_label(ext: Mapping[str, Any]) -> str:
    """A published result's label, with the arm it is against where the review has more
    than one arm in the analysis's comparator node (``comparator_arm``,
    :func:`metareview.extract.study_effects`): "Lee et al. (2023), NMA, vs Sham acupuncture
    at non-indicated points (SATS)"; else the review's label alone.

    An analysis of acupuncture against sham holds a network meta-analysis's result against
    sham at non-indicated points, the review's other sham (at the same points) being one
    the same node holds too: labelled by the review alone, its row read as the comparison
    of the other reviews' rows, which the report's text and its table of published
    meta-analyses say it is not.

    >>> external_label({"label": "Lee (2023)", "comparator_arm": "Sham (SATS)"})
    'Lee (2023), vs Sham (SATS)'
    >>> external_label({"label": "Yuan (2015)"})
    'Yuan (2015)'
    """
    label = str(ext.get("label") or ext.get("study_id") or "")
    return f"{label}, vs {ext['comparator_arm']}" if ext.get("comparator_arm") else label


def _drawable_external(ext: Mapping[str, Any]) -> bool:
    return (
        bool(ext.get("comparable"))
        and _num(ext.get("estimate")) is not None
        and _num(ext.get("ci_lb")) is not None
        and _num(ext.get("ci_ub")) is not None
    )


def not_drawn_note(listed: Sequence[Mapping[str, Any]]) -> str:
    """The count under a forest plot of the published results it does not draw, each
    reason with its own count: "Not drawn: 13 published meta-analysis results not on this
    analysis's scale, 1 of them also from another time window", or "Not drawn: 2 published
    meta-analysis results: 1 not on this analysis's scale and 1 without a confidence
    interval"; "" for none. A result is not drawn for its scale (``comparable`` false) or,
    on it, for a missing estimate or bound; one from another time window (``outside_window``)
    is said as such beside that reason, the report's text listing each with all its
    reasons. "Not on this analysis's scale or without a confidence interval" for all
    left a result left out for its window counted as if for its scale alone."""
    n = len(listed)
    if not n:
        return ""
    scale = sum(1 for e in listed if not e.get("comparable"))
    reasons = [(scale, "not on this analysis\u2019s scale"), (n - scale, "without a confidence interval")]
    reasons = [(k, why) for k, why in reasons if k]
    head = f"Not drawn: {n} published meta-analysis {'result' if n == 1 else 'results'}"
    text = (f"{head} {reasons[0][1]}" if len(reasons) == 1
            else f"{head}: " + " and ".join(f"{k} {why}" for k, why in reasons))
    window = sum(1 for e in listed if e.get("outside_window"))
    if window:
        text += (f", {'also' if n == 1 else f'{window} of them also'} from another time window" if window < n or n == 1
                 else ", all also from another time window")
    return text


def drawn_externals(result: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The published meta-analyses the forest plot of ``result`` draws (hollow markers):
    those on the analysis' scale with an estimate and both interval bounds. The others
    are counted under the plot, and listed in the report's text."""
    return [e for e in result.get("external") or [] if _drawable_external(e)]


def _plot_level(result: Mapping[str, Any]) -> float:
    """The confidence level of the plot's own intervals, which its estimate column names."""
    pooled = result.get("pooled") if result.get("status") == "pooled" else None
    return _num((pooled or {}).get("level")) or _num(result.get("level")) or 95.0


def _stated_level(ext: Mapping[str, Any]) -> float | None:
    """A published interval's level as its source states it; None when it states none."""
    return _num(ext.get("ci_level"))


def _unmatched(ext: Mapping[str, Any], level: float) -> bool:
    """Whether a published interval is not known to be at ``level``: its source states
    another level, or none. A result without a ``ci_level`` entry at all (written before
    the raw tables recorded levels) is taken as at ``level``, as the report's text takes it."""
    if "ci_level" not in ext:
        return False
    stated = _stated_level(ext)
    return stated is None or abs(stated - level) > 1e-9


def unmatched_levels(result: Mapping[str, Any], level: float | None = None) -> dict[float | None, int]:
    """The drawn published intervals (:func:`drawn_externals`) that are not at ``level``
    (default: the level of the plot's own intervals): how many at each level their
    sources state, ``None`` for those whose source states none.

    Parameters
    ----------
    result : Mapping
        One analysis result (see :func:`forest_plot`); each published result's
        ``ci_level`` is the level its source states, None when it states none. A result
        without the key is taken as at ``level``.
    level : float, optional
        Confidence level in percent that the plot's own intervals are at.

    Returns
    -------
    dict
        Stated level (None: not stated) -> number of drawn intervals, ordered as the
        forest plot's marks are given (:data:`_LEVEL_MARKS`): not stated first, then the
        stated levels from the lowest.

    Notes
    -----
    The estimate column is headed with one level ("MD (95% CI)"). A :math:`100(1-\\alpha)\\%`
    interval spans :math:`2 z_{1-\\alpha/2}` standard errors: 3.29 for 90% against 3.92 for
    95% (Higgins et al., *Cochrane Handbook* v6.4, 2023, section 6.5.2.2). A review's 90%
    interval printed under that header unmarked would look about a sixth narrower than a
    95% interval of the same estimate, and one of unstated level may be.
    """
    level = _plot_level(result) if level is None else level
    counts: dict[float | None, int] = {}
    for ext in drawn_externals(result):
        if _unmatched(ext, level):
            key = _stated_level(ext)
            counts[key] = counts.get(key, 0) + 1
    order = sorted(counts, key=lambda k: (k is not None, k or 0.0))
    return {k: counts[k] for k in order}


#: Marks for published intervals not at the plot's level, in the order of
#: :func:`unmatched_levels` (the usual sequence of footnote symbols, doubled past five).
#: Symbols, not letters: letters already mark the studies' and reviews' footnotes.
_LEVEL_MARKS = ("\u2020", "\u2021", "\u00a7", "\u00b6", "\u2016")


def _level_mark(i: int) -> str:
    return _LEVEL_MARKS[i % len(_LEVEL_MARKS)] * (i // len(_LEVEL_MARKS) + 1)


def _level_note(stated: float | None) -> str:
    """The footnote of a mark: what the marked intervals' level is."""
    return "level not stated by the source" if stated is None else f"{stated:g}% CI, as stated by the source"


def short_reason(result: Mapping[str, Any]) -> str:
    """Why nothing is pooled, as the forest plot says it: a few words after "No pooled
    estimate: ", e.g. "only one study.".

    The report prints the analysis' full ``reason`` beside the plot; the plot repeats only
    its gist, so that it still stands alone without the paragraph running to eight lines.
    An analysis whose status has no short form (comparators the sources do not name, too
    few studies for a larger ``min_studies``) gives its full reason.
    """
    status = str(result.get("status") or "")
    short = {
        "single_study": "only one study.",
        "no_studies": "no study with an effect that can be computed.",
    }.get(status)
    if short is not None:
        return short
    reason = str(result.get("reason") or "").strip() or "nothing to pool."
    # "The sources ..." continues the sentence; an acronym ("SMD ...") keeps its capitals.
    return reason[:1].lower() + reason[1:] if reason[1:2].islower() else reason


def shows_results(result: Mapping[str, Any]) -> bool:
    """Whether the forest plot of ``result`` draws any result: a study's, or a published
    meta-analysis' estimate and interval on the analysis' scale. Without either it holds
    an empty axis, and the report leaves it out."""
    return bool(result.get("studies")) or bool(drawn_externals(result))


#: Candidate tick steps within a decade, and the largest number of intervals wanted.
_TICK_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
_TICK_BINS = 5


def _nice_ticks(values: Sequence[float], bins: int | None = None) -> list[float]:
    """Round ticks whose ends include every value and the line of no effect.

    The axis limits are the first and last tick, so the axis ends on a labelled tick.
    The ticks are those of matplotlib's ``MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5,
    10])`` (the axis the figures always had): the smallest step of the form
    :math:`s \\cdot 10^e`, :math:`s \\in \\{1, 2, 2.5, 5, 10\\}`, that covers the range in
    at most five intervals, from the multiple of the step at or below the smallest value
    to the one at or above the largest. ``bins`` (default five) sets fewer intervals for
    a narrow axis.
    """
    bins = bins or _TICK_BINS
    finite = [v for v in values if v is not None and math.isfinite(v)] + [0.0]
    lo, hi = min(finite), max(finite)
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0, hi + 1.0
    # A little room on both sides, so that no whisker ends on (and the line of no effect
    # never sits on) the edge of the axis.
    pad = 0.04 * (hi - lo)
    lo, hi = lo - pad, hi + pad
    # 0 lies in [lo, hi], so matplotlib's offset (for ranges far from 0) is always 0 here.
    scale = 10 ** (math.log10((hi - lo) / bins) // 1)
    # The staircase of steps over three decades, in matplotlib's floating-point order.
    steps = [0.1 * s * scale for s in _TICK_STEPS[:-1]] + [s * scale for s in _TICK_STEPS]
    steps.append(10 * _TICK_STEPS[1] * scale)
    raw_step = (hi - lo) / bins
    istep = next((i for i, s in enumerate(steps) if s >= raw_step), len(steps) - 1)
    ticks: list[float] = []
    for step in steps[istep::-1]:
        best_lo = (lo // step) * step
        low = _multiples_at_or_below(lo - best_lo, step)
        high = _multiples_at_or_above(hi - best_lo, step)
        ticks = [(low + j) * step + best_lo for j in range(int(high - low) + 1)]
        if sum(1 for t in ticks if lo <= t <= hi) >= 2:
            break
    return ticks


def _multiples_at_or_below(x: float, step: float) -> float:
    """Largest n with n * step <= x, allowing for rounding (matplotlib's _Edge_integer)."""
    d, m = divmod(x, step)
    return d + 1 if abs(m / step - 1) < 1e-10 else d


def _multiples_at_or_above(x: float, step: float) -> float:
    """Smallest n with n * step >= x, allowing for rounding."""
    d, m = divmod(x, step)
    return d if abs(m / step) < 1e-10 else d + 1


#: holds the reciprocal pairs a log axis reads naturally (0.5 and 2, 0.2 and 5, ...).
_RATIO_MANTISSAS: tuple[tuple[float, ...], ...] = (
    (1.0,),
    (1.0, 2.0, 5.0),
    (1.0, 1.5, 2.0, 3.0, 5.0, 7.0),
    (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0),
)


def _labels_fit(m: _Measure, plot_w: float) -> Callable[[Sequence[tuple[float, str]]], bool]:
    """Whether a ratio axis's tick labels, measured by ``m`` and each centred on its tick
    across ``plot_w`` points, keep :data:`_TICK_LABEL_GAP` apart from their neighbours
    (for :func:`_ratio_ticks`)."""
    def fits(ticks: Sequence[tuple[float, str]]) -> bool:
        span = (ticks[-1][0] - ticks[0][0]) or 1.0
        half = [m.width(typeset(text), _SMALL) / 2 for _, text in ticks]
        return all((b[0] - a[0]) / span * plot_w >= ha + hb + _TICK_LABEL_GAP
                   for a, b, ha, hb in zip(ticks, ticks[1:], half, half[1:]))

    return fits


def _ratio_ticks(values: Sequence[float],
                 fits: Callable[[Sequence[tuple[float, str]]], bool] | None = None) -> list[tuple[float, str]]:
    """Ticks of a log (ratio) axis: ``(position = ln ratio, label = ratio)`` pairs.

    ``values`` are log ratios. The ticks run from the largest round ratio at or below the
    smallest value (and 1, the line of no effect) to the smallest one at or above the
    largest, as with :func:`_nice_ticks`. Of the candidate sets of round ratios (powers
    of ten; 1-2-5; 1-1.5-2-3-5-7; finer), the one giving 4 to 8 ticks over the shortest
    axis is used, so that the data fill the axis; when none gives 4 to 8, the set with
    the count nearest 4. ``fits`` (optional) tells whether a set's labels fit the plot
    area without touching: the finer sets crowd round 1 ("1 1.25 1.5" on a narrow area),
    so only the sets that fit are candidates, while any does.
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
    if fits is not None:
        options = [t for t in options if fits([(math.log(r), f"{r:g}") for r in t])] or options
    fitting = [t for t in options if 4 <= len(t) <= 8]
    if fitting:
        chosen = min(fitting, key=lambda t: math.log(t[-1]) - math.log(t[0]))
    else:
        chosen = min(options, key=lambda t: abs(len(t) - 4))
    return [(math.log(r), f"{r:g}") for r in chosen]


def forest_plot(
    result: Mapping[str, Any], svg_path: Path, png_path: Path | None = None, *, dpi: int = 150,
    mid: float | None = None,
) -> None:
    """Draw the forest plot of one analysis result as SVG and, if asked, PNG.

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
    svg_path : Path
        Output file; written atomically, parent folders created.
    png_path : Path, optional
        A PNG copy rasterised from the SVG (see :func:`png_from_svg`), written together
        with the SVG: both files are replaced, or neither.
    dpi : int
        Resolution of the PNG.
    mid : float, optional
        The minimal important difference a mean difference is read against (config
        ``outcomes.<code>.mid``), on the analysis's scale: dashed lines at −``mid`` and
        +``mid`` over the plotted rows, the axis widened to hold both, and a line under
        the plot saying what they mark. Not drawn on a log axis (an MID is a difference,
        not a ratio); the caller passes it for a mean difference only.

    Notes
    -----
    Squares have an area proportional to the study's weight :math:`w_i` (percent), i.e. side
    :math:`s_i = s_{max}\\sqrt{w_i / \\max_j w_j}`, bounded below so that light studies stay
    visible (Lewis & Clarke 2001, BMJ 322:1479); all squares have the same size when nothing
    is pooled. The diamond spans the pooled confidence interval and the line under it the
    fit's prediction interval, ``pi_lb`` to ``pi_ub`` as computed upstream: metafor's
    :math:`\\hat\\mu \\pm t_{k-1}\\sqrt{\\hat\\tau^2 + SE(\\hat\\mu)^2}` (the normal
    quantile in place of :math:`t_{k-1}` under a z test), narrower than the :math:`t_{k-2}`
    of Higgins, Thompson & Spiegelhalter (2009) and the Cochrane Handbook (10.10.4.3;
    IntHout et al. 2016). The "Favours" labels follow ``analysis.favours_intervention_when``
    (``"below"``, the default: lower values favour the intervention; ``"above"``: higher
    values do). With ``analysis.scale == "log"`` (risk and odds ratios) every number in
    ``result`` is a log ratio: the axis is drawn as a log axis labelled in ratios
    (:func:`_ratio_ticks`), the line of no effect is at 1 and the numbers on the right are
    exponentiated. A whisker far wider than the others, whose bound would stretch the axis
    well past everything else (a trial with a zero-event arm), does not set the axis: it
    runs to the axis's end as an arrow and the numbers on the right give it in full
    (:func:`_axis_values`; metafor's ``alim``). Without a pooled estimate, a line across the figure says why in a few
    words (:func:`short_reason`); the report gives the full reason beside the plot. External
    evidence is drawn with hollow markers in a separate block when it is on the analysis'
    scale (``comparable``) and both confidence bounds are known, marked with a footnote when
    the report's summary does not count it (:func:`external_flag`), and otherwise only
    counted under the plot (the report's text lists it); it never contributes to the pooled
    estimate. A published interval not known to be at the level the estimate column names
    (its source states another level, or none) is marked after the interval (†, ‡, ...) and
    the mark explained under the plot (:func:`unmatched_levels`). A binary analysis gives
    each arm's events over its size (``184/387 vs 171/387``, as the report's tables do);
    where that column would leave the figure wider than the text at its least, each arm
    takes a line of its own, the intervention's over the comparator's, and the header says
    so ("int. above comp."). With an MID, an interval wholly beyond a dashed line, wholly
    between them or across one reads as GRADE judges imprecision (Guyatt et al. 2011, J Clin
    Epidemiol 64:1283-93), the lines drawn as metafor's users draw them (``forest(res,
    refline = c(0, -mid, mid))``, or ``abline(v = ..., lty = "dashed")``).
    """
    svg = _svg_bytes(_layout_forest(result, mid))
    files = [(Path(svg_path), svg)]
    if png_path is not None:
        files.append((Path(png_path), _png_from_svg(svg, dpi)))
    _write_files(files)


@dataclass
class _ForestRows:
    """The rows of a forest plot's plotted block and what the layout needs to know."""

    rows: list[_Row]
    main_rows: int  # studies, pooled and prediction rows (under the line of no effect)
    ext_first: int | None  # first row of drawn external evidence
    flags: dict[str, str]  # flag text -> footnote letter
    listed_ext: list[Mapping[str, Any]]  # external evidence not drawn (counted in the footer)
    show_n: bool
    show_weight: bool
    show_events: bool = False  # the n column gives events/n per arm (binary analyses)
    #: each arm's events/n on a line of its own, the intervention's over the comparator's
    stack_events: bool = False
    #: stated level (None: not stated) -> mark, for published intervals not at the plot's level
    level_marks: dict[float | None, str] = field(default_factory=dict)


def _forest_rows(
    result: Mapping[str, Any], pooled: Mapping[str, Any] | None, level_text: str, m: _Measure,
    stack_events: bool = False,
) -> _ForestRows:
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
    stack_events = stack_events and show_events

    rows: list[_Row] = []
    for study, weight in zip(studies, weights, strict=True):
        marks = [flags[f] for f in _study_flags(study)]
        est, lb, ub = _num(study.get("yi")), _num(study.get("ci_lb")), _num(study.get("ci_ub"))
        if max_weight is None:
            size = _SQUARE_EQUAL
        else:
            size = max(_SQUARE_MIN, _SQUARE_MAX * math.sqrt(max(weight or 0.0, 0.0) / max_weight))
        n_text, n_below = (
            _events_cells(study["events1"], study["n1"], study["events2"], study["n2"], stack_events)
            if show_events
            else (_n_text(study.get("n1"), study.get("n2")), "")
        )
        rows.append(
            _Row(
                "study",
                label=_clean(str(study.get("label") or study.get("study_id") or "")),
                text=f" ({','.join(sorted(set(marks), key=marks.index))})" if marks else "",
                n_text=n_text,
                n_below=n_below,
                est_text=_fmt_ci(est, lb, ub, log) if est is not None else "not estimable",
                weight_text=f"{fixed(weight, 1)}%" if weight is not None else "",
                est=est,
                lb=lb,
                ub=ub,
                size=size,
            )
        )
    main_rows = len(rows)
    if pooled is not None:
        method = str(pooled.get("method") or "")
        model = "Common effect" if method in _COMMON_EFFECT_METHODS else "Random effects"
        n_total = n_total_below = ""
        if show_n and all(
            _num(s.get("n1")) is not None and _num(s.get("n2")) is not None for s in studies
        ):
            n_total = _n_text(
                sum(float(s["n1"]) for s in studies), sum(float(s["n2"]) for s in studies)
            )
        if show_events:

            def total(k: str) -> float:
                return sum(float(s[k]) for s in studies)

            n_total, n_total_below = _events_cells(
                total("events1"), total("n1"), total("events2"), total("n2"), stack_events
            )
        est, lb, ub = (_num(pooled.get(k_)) for k_ in ("estimate", "ci_lb", "ci_ub"))
        rows.append(
            _Row(
                "pooled",
                # "Random effects", as a row's label names a pooled estimate ("Total",
                # "Overall"), k and the model's details on the line under the plot: bold,
                # "Random-effects model (k = 11)" was the widest label of a figure, and
                # wrapped ("Random-effects" / "model (k = 11)") or took the plot's room.
                label=model,
                n_text=n_total,
                n_below=n_total_below,
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
                    est_text=_interval(_exp(pi_lb, log), _exp(pi_ub, log)),
                    lb=pi_lb,
                    ub=pi_ub,
                    label_font={"style": "italic"},
                )
            )
        main_rows = len(rows)
    else:
        rows.append(_Row("reason", label=f"No pooled estimate: {short_reason(result)}",
                         label_font={"style": "italic"}))

    drawn_ext = [e for e in externals if _drawable_external(e)]
    listed_ext = [e for e in externals if not _drawable_external(e)]
    ext_first = None
    level = _plot_level(result)
    level_marks = {k: _level_mark(i) for i, k in enumerate(unmatched_levels(result, level))}
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
            why = external_flag(ext)
            if why is not None and why not in flags:
                flags[why] = _letter(len(flags))
            est, lb, ub = (_num(ext.get(k_)) for k_ in ("estimate", "ci_lb", "ci_ub"))
            k_st, n_part = _num(ext.get("k_studies")), _num(ext.get("n_participants"))
            detail = ", ".join(
                x
                for x in (
                    f"k = {k_st:.0f}" if k_st is not None else "",
                    # Thousands separated, as the report's text prints them (20,827).
                    f"n = {n_part:,.0f}" if n_part is not None else "",
                )
                if x
            )
            rows.append(
                _Row(
                    "external",
                    label=_clean(external_label(ext)),
                    text=(f" ({detail})" if detail else "") + (f" ({flags[why]})" if why is not None else ""),
                    est_text=_fmt_ci(est, lb, ub, log),
                    # The mark right after the interval it qualifies.
                    est_mark=level_marks[_stated_level(ext)] if _unmatched(ext, level) else "",
                    est=est,
                    lb=lb,
                    ub=ub,
                )
            )
    return _ForestRows(
        rows, main_rows, ext_first, flags, listed_ext, show_n, show_weight, show_events,
        stack_events, level_marks,
    )


# ---------------------------------------------------------------------------------------
# Drawing primitives (points from the top left) and the forest layout
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Text:
    """One line of text; ``y`` is its baseline, ``width`` its measured width (points)."""

    x: float
    y: float
    text: str
    size: float
    width: float
    anchor: str = "start"  # start | middle | end
    weight: str = "normal"
    style: str = "normal"
    colour: str = "#1a1a1a"
    role: str = "text"

    def box(self) -> tuple[float, float, float, float]:
        """``(x0, y0, x1, y1)``: the line's extent, from ascender to descender."""
        x0 = self.x - {"start": 0.0, "middle": 0.5, "end": 1.0}[self.anchor] * self.width
        return (
            x0,
            self.y - _ASCENT_EM * self.size,
            x0 + self.width,
            self.y + _DESCENT_EM * self.size,
        )


@dataclass(frozen=True, slots=True)
class _Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float
    dash: tuple[float, ...] = ()
    role: str = "line"


@dataclass(frozen=True, slots=True)
class _Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    role: str = "rect"


@dataclass(frozen=True, slots=True)
class _Polygon:
    points: tuple[tuple[float, float], ...]
    fill: str
    stroke: str
    stroke_width: float
    role: str = "polygon"


@dataclass(frozen=True, slots=True)
class _Axis:
    """The effect axis: data ``lo``..``hi`` drawn from ``x0`` to ``x1`` points."""

    x0: float
    x1: float
    lo: float
    hi: float
    ticks: tuple[float, ...]
    tick_labels: tuple[str, ...]
    label: str
    log: bool

    def x(self, value: float) -> float:
        return self.x0 + (self.x1 - self.x0) * (value - self.lo) / (self.hi - self.lo)

    def value(self, x_pt: float) -> float:
        return self.lo + (self.hi - self.lo) * (x_pt - self.x0) / (self.x1 - self.x0)


@dataclass(frozen=True, slots=True)
class _Circle:
    cx: float
    cy: float
    r: float
    fill: str
    stroke: str
    stroke_width: float
    role: str = "circle"


_Item = _Text | _Line | _Rect | _Polygon | _Circle


@dataclass(frozen=True, slots=True)
class _Figure:
    width: float  # points
    height: float
    items: tuple[_Item, ...]
    axis: _Axis


def _headers(labels: Mapping[str, Any], level_text: str, show_events: bool,
             stack_events: bool = False) -> tuple[str, str, str]:
    """The headers of the estimate, n and weight columns; the n column's as the report's
    tables of study effects name it, so that the figure and the table below it read alike
    (in the figure it is set on two lines: see :func:`_n_header_lines`), or, with the
    arms' events stacked, saying which arm is on top."""
    if show_events:
        n_header = f"Events/n (int. {'above' if stack_events else 'vs'} comp.)"
    else:
        n_header = "n (int. / comp.)"
    return f"{labels['measure'] or 'Estimate'} ({level_text} CI)", n_header, "Weight"


def _n_header_lines(header: str, room: float, m: _Measure) -> list[str]:
    """The n column's header in ``room`` points: on one line if it fits, else the
    quantity over the arms' order ("Events/n" over "int. vs comp.", the line break
    standing for the brackets).

    The header may reach left over the label column, which holds only "Study" on the
    header row: named as in the tables of study effects ("n (int. / comp.)"), it is
    wider than the numbers under it, and a column as wide would take the width from
    the plot area."""
    if m.width(header, _FONT, weight="bold") <= room:
        return [header]
    head, sep, tail = header.partition(" (")
    return [head, tail.removesuffix(")")] if sep else [header]


#: Footnote marks alone, as a trial's label ends with them: "(a)", "(a,b)".
_MARKS = re.compile(r"\([a-z,]+\)")


def _label_lines(row: _Row, label_max: float, m: _Measure, max_lines: int | None = None) -> list[str]:
    """The lines of a row's label (and its marks or details, ``row.text``) within
    ``label_max`` points: the label wrapped at spaces, the text kept whole, on the last
    line if it fits there, else on a line of its own; at most ``max_lines`` lines, the
    last cut with an ellipsis."""
    font = row.label_font
    detail = row.text.strip()
    whole = row.label + row.text
    if m.width(whole, _FONT, **font) <= label_max:
        return [typeset(whole)]
    lines = m.wrap_phrases(row.label, label_max, _FONT, **font) or [""]
    if detail:
        head, _, tail = lines[-1].rpartition(" ")
        if m.width(lines[-1] + row.text, _FONT, **font) <= label_max:
            lines[-1] += typeset(row.text)
        elif head and _MARKS.fullmatch(detail) and m.width(tail + row.text, _FONT, **font) <= label_max:
            # "Trial 34" / "(2033) (a)", not "Trial 34 (2033)" / "(a)". Details stand on
            # a line of their own: "Rubinstein et al. (2010)" / "(k = 1, n = 745) (d)", not
            # "Rubinstein et al." / "(2010) (k = 1, n = 745) (d)", which parted name and year.
            lines[-1:] = [head, tail + typeset(row.text)]
        else:
            lines.append(typeset(detail))
    if max_lines is not None and len(lines) > max_lines:
        # The marks (footnote letters) stay: they say which notes a trial has.
        suffix = typeset(row.text) if detail else ""
        rest = " ".join(lines[max_lines - 1:])
        if suffix and rest.endswith(suffix):
            rest = rest[: -len(suffix)]
        lines = lines[: max_lines - 1] + [
            m.truncate(rest, label_max - m.width(suffix, _FONT, **font), _FONT, **font) + suffix
        ]
    return lines


def _n_width(content: _ForestRows, labels: Mapping[str, Any], level_text: str, m: _Measure) -> float:
    """Width of the n column (points): its header and every row's numbers."""
    # The header's quantity ("n", "Events/n"); the rest of it may reach over the label
    # column (see _n_header_lines and _column_widths).
    n_header = _headers(labels, level_text, content.show_events, content.stack_events)[1].partition(" (")[0]
    return max([m.width(n_header, _FONT, weight="bold")]
               + [m.width(text, _FONT) for r in content.rows for text in (r.n_text, r.n_below)])


#: Rows with nothing in the n column, whose label may run on over it.
_WIDE_LABELS = ("pi", "external")


def _column_widths(content: _ForestRows, labels: Mapping[str, Any], level_text: str, m: _Measure,
                   label_max: float = _LABEL_MAX_IN * 72) -> tuple[list[_Row], int, int | None, float, float, float,
                                                                   float]:
    """The rows with their labels fitted within ``label_max`` points, wrapped onto
    continuation rows (trials' names at most :data:`_LABEL_LINES` lines, published reviews'
    in full), the number of rows drawn over the line of no effect and the first external
    row (both counted again), and the widths of the label, estimate, n and weight
    columns (points). The labels of the prediction interval and of published reviews,
    which have nothing in the n column, may run on over it rather than wrap or widen the
    label column; a heading (nothing else on its row) may run across the figure."""
    est_header, n_header, w_header = _headers(labels, level_text, content.show_events, content.stack_events)
    n_w = _n_width(content, labels, level_text, m)
    over_n = n_w + _GAP_IN * 72 if content.show_n else 0.0
    lines: dict[int, list[str]] = {}
    for index, row in enumerate(content.rows):
        if row.kind in ("study", "pooled"):
            lines[index] = _label_lines(row, label_max, m, _LABEL_LINES if row.kind == "study" else None)
        elif row.kind in _WIDE_LABELS:
            lines[index] = _label_lines(row, label_max + over_n, m)
        elif row.kind == "heading":
            lines[index] = _label_lines(row, (_TARGET_IN - 2 * _SIDE_IN) * 72, m)

    def widest(kinds: Sequence[str]) -> float:
        return max([m.width(line, _FONT, **content.rows[i].label_font)
                    for i, ls in lines.items() if content.rows[i].kind in kinds for line in ls], default=0.0)

    label_w = min(label_max, max(
        [_LABEL_MIN_IN * 72, m.width("Study", _FONT, weight="bold"), widest(("study", "pooled")),
         widest(_WIDE_LABELS) - over_n]
    ))
    laid: list[_Row] = []
    main_rows, ext_first = content.main_rows, content.ext_first
    for index, row in enumerate(content.rows):
        # A reason runs across the figure: it is wrapped once the figure's width is known.
        if row.kind in ("gap", "reason"):
            laid.append(row)
            continue
        row_lines = lines.get(index) or [row.label]
        if row.n_below and len(row_lines) < 2:
            # The comparator's events/n take the line under the row's, which a label on
            # two lines already gives.
            row_lines = [*row_lines, ""]
        row.label, row.text = row_lines[0], ""
        laid.append(row)
        # A label's further lines follow its row; the rows after it move down.
        laid.extend(_Row("continuation", label=line, label_font=row.label_font,
                         n_text=row.n_below if j == 0 else "")
                    for j, line in enumerate(row_lines[1:]))
        added = len(row_lines) - 1
        if index < content.main_rows:
            main_rows += added
        if ext_first is not None and content.ext_first is not None and index < content.ext_first:
            ext_first += added
    mark_w = _mark_width(laid, m)
    est_w = max(
        [m.width(est_header, _FONT, weight="bold")]
        + [
            m.width(r.est_text, _FONT) + mark_w
            for r in laid
        ]
    )
    w_w = max(
        [m.width(w_header, _FONT, weight="bold")]
        + [
            m.width(r.weight_text, _FONT)
            for r in laid
        ]
    )
    if content.show_n:
        # The n header's last line reaches left at most to "Study" (and a gap): a column
        # too narrow for that is widened.
        lines_n = _n_header_lines(n_header, _n_header_room(label_w, n_w, m), m)
        n_w += max(0.0, m.width(lines_n[-1], _FONT, weight="bold") - _n_header_room(label_w, n_w, m))
    return laid, main_rows, ext_first, label_w, est_w, n_w, w_w


def _mark_width(rows: Sequence[_Row], m: _Measure) -> float:
    """Points the widest interval mark takes after the numbers (0 without marks)."""
    return max((m.width(r.est_mark, _FONT) for r in rows if r.est_mark), default=0.0)


def _n_header_room(label_w: float, n_w: float, m: _Measure) -> float:
    """Points the n column's header may take, right-aligned on the column: the column
    and the label column beside it (the two gaps cancel), but for the "Study" header."""
    return n_w + label_w - m.width("Study", _FONT, weight="bold")


def _layout_forest(result: Mapping[str, Any], mid: float | None = None) -> _Figure:
    """The forest plot of ``result`` as drawing primitives (see :func:`forest_plot`)."""
    m = _Measure()
    labels = _analysis_labels(result.get("analysis") or {})
    # An MID is a difference on the analysis's scale; a ratio's axis has none to draw.
    mid = float(mid) if mid and labels["scale"] != "log" else None
    if not result.get("studies"):
        # Published meta-analyses only: their SMDs are as each review computed them, not
        # necessarily Hedges' g, so the axis names the measure without the trials' estimator.
        labels["measure_label"] = re.sub(r" \(.*\)$", "", labels["measure_label"])
    pooled = result.get("pooled") if result.get("status") == "pooled" else None
    level_text = f"{_plot_level(result):g}%"
    label_max = _LABEL_MAX_IN * 72
    gap, side, target = _GAP_IN * 72, _SIDE_IN * 72, _TARGET_IN * 72
    stack_events, tries = False, 6
    while tries:
        tries -= 1
        content = _forest_rows(result, pooled, level_text, m, stack_events)
        flags, listed_ext = content.flags, content.listed_ext
        show_n, show_weight = content.show_n, content.show_weight
        # The widest label that is not a published review's (the prediction interval's
        # may run on over the n column), and the column header, which cannot wrap;
        # measured before _column_widths fits them.
        over_n = _n_width(content, labels, level_text, m) + gap if show_n else 0.0
        own = max([m.width(r.label + r.text, _FONT, **r.label_font) - (over_n if r.kind in _WIDE_LABELS else 0.0)
                   for r in content.rows if r.kind in ("study", "pooled", "pi")] + [_LABEL_MIN_IN * 72])
        # Nor narrower than a label's widest word, which a line could only split by
        # misspelling it ("Random-effect" over "s model"); CJK breaks between ideographs.
        least = max([m.width("Study", _FONT, weight="bold")]
                    + [m.width(part, _FONT, **r.label_font) for r in content.rows if r.kind in ("study", "pooled", "pi")
                       for word in typeset(r.label).split() for part in _unbreakable(word)])
        rows, main_rows, ext_first, label_w, est_w, n_w, w_w = _column_widths(
            content, labels, level_text, m, label_max)
        # The label column and the plot area share what the text width leaves; the plot
        # area takes what it can within its bounds.
        room = target - (2 * side + gap + (n_w + gap if show_n else 0.0) + gap + est_w
                         + (gap + w_w if show_weight else 0.0))
        typical = max(_LABEL_TYPICAL_IN * 72, room - _PLOT_SHARE_IN * 72, least)
        if label_w > typical + 0.5 and label_max > typical + 0.5:
            # A name longer than is typical wraps rather than take the plot area's room:
            # "Carlsson & Sjölund (2001) (a,b,c)" on one line left the plot area 107
            # points of the text's 454.
            label_max = typical
            continue
        if (content.show_events and not stack_events
                and min(own, _LABEL_TYPICAL_IN * 72) + _PLOT_MIN_IN * 72 > room + 0.5
                and over_n - _n_width(_forest_rows(result, pooled, level_text, m, True), labels, level_text, m)
                - gap >= _STACK_GAIN):
            # A binary analysis' events column ("102/335 vs 67/333") would have the
            # names wrap ("Nolan et al." / "(2022) (c,d)") beside a plot area at its
            # least: each arm's events/n takes a line of its own first (see below),
            # the comparator's on the line a name of two lines would take anyway.
            stack_events, label_max, tries = True, _LABEL_MAX_IN * 72, 6
            continue
        plot_w = min(_PLOT_IN * 72, max(_PLOT_MIN_IN * 72, room - label_w))
        # A word wider than the label column can be beside the plot area at its floor
        # ("<script>alert(1)</script>", a name typed without spaces) is split: kept whole,
        # it widened the figure past the text, which printed all of it smaller.
        least = min(least, max(_LABEL_MIN_IN * 72, room - _PLOT_FLOOR_IN * 72))
        # Still wider than the text: published reviews' names wrap at the widest other
        # label (or to leave the plot area _PLOT_SHARE_IN), and then, if need be, every
        # label wraps to leave the plot area its least width (a figure wider than the
        # text is printed smaller, its labels with it).
        narrower = max(_LABEL_MIN_IN * 72, least,
                       min(max(own, room - _PLOT_SHARE_IN * 72), room - _PLOT_MIN_IN * 72))
        if label_w + plot_w > room + 0.5 and narrower < min(label_max, label_w) - 0.5:
            label_max = narrower
            continue
        # The labels at their least: the plot area gives up more, down to _PLOT_FLOOR_IN.
        plot_w = min(plot_w, max(_PLOT_FLOOR_IN * 72, room - label_w))
        if label_w + plot_w > room + 0.5 and content.show_events and not stack_events:
            # Still wider than the text, by a binary analysis' events column: with many
            # studies or four-digit counts the totals row alone ("19185/86970 vs
            # 630/226770") took a third of the text width. Each arm's events/n then
            # takes a line of its own, the comparator's on the line a wrapped name takes
            # anyway, and the layout starts again with the column at half its width.
            # Separate events and total columns per arm, as metafor's forest() (ilab)
            # and RevMan set them, gain only the separators' width on one line.
            stack_events, label_max, tries = True, _LABEL_MAX_IN * 72, 6
            continue
        break
    x = side
    x_label = x
    x += label_w + gap
    x_n_right = None
    if show_n:
        x += n_w
        x_n_right = x
        x += gap
    x_plot = x
    x += plot_w + gap
    x += est_w
    x_est_right = x
    x_w_right = None
    if show_weight:
        x += gap + w_w
        x_w_right = x
    width_pt = x + side
    text_w = width_pt - 2 * side
    # Why nothing is pooled, in its short form, across the figure's width from the label
    # column: wrapped into the plot area alone it took six to eight narrow lines.
    laid_rows: list[_Row] = []
    for index, row in enumerate(rows):
        if row.kind != "reason":
            laid_rows.append(row)
            continue
        lines = m.wrap(row.label, text_w, _FONT, **row.label_font)
        laid_rows.extend(_Row("reason", label=line, label_font=row.label_font) for line in lines)
        if ext_first is not None and index < ext_first:
            ext_first += len(lines) - 1
    rows = laid_rows

    # -- the axis ----------------------------------------------------------------------
    drawn = _axis_values(rows)
    if mid is not None and drawn:
        # Both lines on the axis: an interval read against one the axis cut off could
        # not be told wholly within the MID from crossing it.
        drawn += [-mid, mid]
    log = labels["scale"] == "log"
    if log:
        # Positions stay the log ratios the analysis pooled; only the labels are ratios.
        ratio_ticks = _ratio_ticks(drawn, _labels_fit(m, plot_w))
        xticks = [t for t, _ in ratio_ticks]
        xtick_labels = [text for _, text in ratio_ticks]
    else:
        xticks = _nice_ticks(drawn)
        # The shortest decimals that tell the ticks apart, as matplotlib's axis labelled them.
        xtick_labels = _tick_labels(xticks)
        # A narrow plot area takes fewer intervals rather than labels that touch.
        for bins in range(_TICK_BINS - 1, 1, -1):
            room = plot_w / max(len(xticks) - 1, 1)
            if all(m.width(typeset(t), _SMALL) + _TICK_LABEL_GAP <= room for t in xtick_labels):
                break
            xticks = _nice_ticks(drawn, bins)
            xtick_labels = _tick_labels(xticks)
    axis = _Axis(
        x_plot,
        x_plot + plot_w,
        xticks[0],
        xticks[-1],
        tuple(xticks),
        tuple(xtick_labels),
        labels["measure_label"] + (" (log scale)" if log else f" ({labels['common_scale']} scale)"
                                   if labels["common_scale"] else f" ({labels['unit']})" if labels["unit"] else ""),
        log,
    )
    x_zero = axis.x(0.0)
    # Whiskers that run past the axis (drawn as arrows, see _axis_values).
    clipped = any(r.kind in _CLIPPED_KINDS and r.lb is not None and r.ub is not None
                  and (axis.x(r.lb) < axis.x0 - _CLIP_TOLERANCE or axis.x(r.ub) > axis.x1 + _CLIP_TOLERANCE)
                  for r in rows)

    # -- text blocks above and below the rows ----------------------------------------
    title = f"{labels['intervention']} vs {labels['comparator']}"
    subtitle = f"{labels['outcome']} \u2014 {labels['window']}"
    title_lines = m.wrap(title, text_w, _TITLE, weight="bold")
    subtitle_lines = m.wrap(subtitle, text_w, _FONT)
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
    fav_left = m.wrap_evenly(f"Favours {left}", max(x_zero - 4 - side, 72.0) - arrow_w, _SMALL)
    fav_left[0] = "\u2190 " + fav_left[0]
    fav_right = m.wrap_evenly(
        f"Favours {right}", max(width_pt - side - x_zero - 4, 72.0) - arrow_w, _SMALL
    )
    fav_right[-1] += " \u2192"

    footer: list[tuple[str, str]] = []  # (line, font weight)
    if pooled is not None:
        footer += [(line, "normal") for line in m.wrap(_model_line(pooled, log), text_w, _NOTE)]
    for flag, letter in flags.items():
        footer += [(line, "normal") for line in m.wrap(f"({letter}) {readable_refs(flag)}", text_w, _NOTE)]
    for stated, mark in content.level_marks.items():
        footer += [(line, "normal") for line in m.wrap(f"{mark} {_level_note(stated)}", text_w, _NOTE)]
    if mid is not None and drawn:
        # Which difference the lines mark; its source is in the report's caption, which
        # (unlike the plot) reruns alone when only the source is edited.
        footer += [(line, "normal") for line in m.wrap(
            f"Dashed lines at \u2212{mid:g} and {mid:g}: the minimal important difference.", text_w, _NOTE)]
    if clipped:
        footer += [(line, "normal") for line in m.wrap(
            "Arrows: intervals running past the axis; the numbers on the right give them in full.", text_w, _NOTE)]
    if listed_ext:
        # Counted, not listed: the report's text lists every published result with why it
        # is not drawn, and a footer repeating it made the first plot taller than a page.
        footer += [(line, "normal") for line in m.wrap(
            f"{not_drawn_note(listed_ext)} (listed in the text).", text_w, _NOTE)]

    # -- vertical layout (points from the top) -----------------------------------------
    row_h = _ROW_IN * 72
    top = _MARGIN_IN * 72
    y_title = top
    top += (len(title_lines) * _LINE_TITLE_IN + len(subtitle_lines) * _LINE_FONT_IN + 0.12) * 72
    # The n column's header takes two lines; the other headers sit on its last one.
    n_header_lines = _n_header_lines(_headers(labels, level_text, content.show_events, content.stack_events)[1],
                                     _n_header_room(label_w, n_w, m), m) if show_n else []
    top += max(len(n_header_lines) - 1, 0) * _LINE_FONT_IN * 72
    y_header = top + row_h / 2
    top += row_h
    y_rows = top
    n_rows = max(len(rows), 1)
    top += n_rows * row_h
    if rows and rows[-1].kind == "reason":
        # A reason on the last row ends just above the axis: a little air.
        top += row_h / 3
    y_axis = top
    # tick marks and labels, the axis label, then the "Favours" lines
    y_ticks_top = y_axis + _TICK_LENGTH + _TICK_PAD
    y_xlabel_top = y_ticks_top + _SMALL * (_ASCENT_EM + _DESCENT_EM) + _XLABEL_PAD
    y_fav = y_axis + _AXIS_ZONE
    top += _AXIS_ZONE + max(len(fav_left), len(fav_right)) * _FAV_LINE + 0.1 * 72
    y_footer = top
    top += len(footer) * _LINE_NOTE_IN * 72
    height_pt = top + _MARGIN_IN * 72

    def row_y(i: float) -> float:
        return y_rows + (i + 0.5) * row_h

    # -- primitives, drawn in this order -----------------------------------------------
    items: list[_Item] = []
    text_items: list[_Text] = []

    def put(
        x_pt: float,
        y_centre: float,
        text: str,
        anchor: str = "start",
        *,
        size: float = _FONT,
        weight: str = "normal",
        style: str = "normal",
        colour: str = _INK,
        role: str = "text",
    ) -> None:
        """Text whose line is centred on ``y_centre``."""
        put_top(
            x_pt,
            y_centre - (_ASCENT_EM + _DESCENT_EM) * size / 2,
            text,
            anchor,
            size=size,
            weight=weight,
            style=style,
            colour=colour,
            role=role,
        )

    def put_top(
        x_pt: float,
        y_top: float,
        text: str,
        anchor: str = "start",
        *,
        size: float = _FONT,
        weight: str = "normal",
        style: str = "normal",
        colour: str = _INK,
        role: str = "text",
    ) -> None:
        """Text whose line starts at ``y_top``."""
        text = _clean(text)
        if text:
            w = m.width(text, size, weight=weight, style=style)
            text_items.append(
                _Text(
                    x_pt,
                    y_top + _ASCENT_EM * size,
                    text,
                    size,
                    w,
                    anchor,
                    weight,
                    style,
                    colour,
                    role,
                )
            )

    rule_x0, rule_x1 = side, width_pt - side
    items.append(_Line(rule_x0, y_rows, rule_x1, y_rows, _RULE_COLOUR, 0.6, role="rule"))

    # line of no effect over the studies and pooled rows, and again for external evidence
    if main_rows:
        items.append(
            _Line(x_zero, y_rows, x_zero, row_y(main_rows - 1) + row_h / 2, _INK, 0.7, role="null")
        )
    if ext_first is not None:
        items.append(
            _Line(
                x_zero,
                row_y(ext_first - 1) + row_h / 2,
                x_zero,
                row_y(len(rows) - 1) + row_h / 2,
                _INK,
                0.7,
                (2.1, 1.4),
                role="null",
            )
        )

    # the minimal important difference, over the same rows as the line of no effect but
    # under every mark: a dashed line over a square or a diamond cut it in two
    if mid is not None and drawn:
        spans = []
        if main_rows:
            spans.append((y_rows, row_y(main_rows - 1) + row_h / 2))
        if ext_first is not None:
            spans.append((row_y(ext_first - 1) + row_h / 2, row_y(len(rows) - 1) + row_h / 2))
        for y0, y1 in spans:
            for value in (-mid, mid):
                items.insert(0, _Line(axis.x(value), y0, axis.x(value), y1, _MID_COLOUR, 0.7, (4.0, 2.5), role="mid"))

    # the axis: baseline, ticks, tick labels, label
    items.append(_Line(axis.x0, y_axis, axis.x1, y_axis, "#000000", 0.8, role="axis"))
    for tick, tick_label in zip(axis.ticks, axis.tick_labels, strict=True):
        tx = axis.x(tick)
        items.append(_Line(tx, y_axis, tx, y_axis + _TICK_LENGTH, "#000000", 0.8, role="tick"))
        put_top(
            tx, y_ticks_top, tick_label, "middle", size=_SMALL, colour="#000000", role="tick_label"
        )
    put_top(
        (axis.x0 + axis.x1) / 2,
        y_xlabel_top,
        axis.label,
        "middle",
        colour="#000000",
        role="axis_label",
    )

    # title, subtitle and column headers
    y = y_title
    for line in title_lines:
        put_top(x_label, y, line, size=_TITLE, weight="bold", role="title")
        y += _LINE_TITLE_IN * 72
    for line in subtitle_lines:
        put_top(x_label, y, line, colour="#444444", role="subtitle")
        y += _LINE_FONT_IN * 72
    est_header, _, w_header = _headers(labels, level_text, content.show_events, content.stack_events)
    headers = [(x_label, "Study", "start"), (x_est_right, est_header, "end")]
    if x_n_right is not None:
        for up, line in enumerate(reversed(n_header_lines)):
            put(x_n_right, y_header - up * _LINE_FONT_IN * 72, line, "end", weight="bold", role="header")
    if x_w_right is not None:
        headers.append((x_w_right, w_header, "end"))
    for hx, text, anchor in headers:
        put(hx, y_header, text, anchor, weight="bold", role="header")

    squares: list[_Rect] = []
    markers: list[_Item] = []
    mark_w = _mark_width(rows, m)
    for i, row in enumerate(rows):
        yc = row_y(i)
        reason = row.kind == "reason"
        put(
            x_label,
            yc,
            row.label,
            weight=row.label_font.get("weight", "normal"),
            style=row.label_font.get("style", "normal"),
            colour="#444444" if reason else _INK,
            role="reason" if reason else "label",
        )
        # The pooled row's numbers in the rows' weight, as metafor's forest() sets them (its
        # label is bold): bold, "−0.40 (−0.66 to −0.14)" set the estimate column 18 points
        # wider than any study's numbers, a gap before the column on every other row.
        bold = "normal"
        if x_n_right is not None:
            put(x_n_right, yc, row.n_text, "end", role="n")
        put(x_est_right - mark_w, yc, row.est_text, "end", weight=bold, role="estimate")
        if row.est_mark:
            put(x_est_right - mark_w, yc, row.est_mark, "start", role="level_mark")
        if x_w_right is not None:
            put(x_w_right, yc, row.weight_text, "end", weight=bold, role="weight")
        # The interval's ends on the axis, or None for a row without one; a whisker
        # running past the axis ends at it with an arrow (see _axis_values).
        ci_x = (axis.x(row.lb), axis.x(row.ub)) if row.lb is not None and row.ub is not None else None
        if ci_x is not None and row.kind in _CLIPPED_KINDS:
            colour = _INK if row.kind == "study" else _EXTERNAL_COLOUR
            for end, edge, outward in ((ci_x[0], axis.x0, -1.0), (ci_x[1], axis.x1, 1.0)):
                if (end - edge) * outward > _CLIP_TOLERANCE:
                    markers.append(_arrow(edge, yc, outward, colour))
            ci_x = (max(ci_x[0], axis.x0), min(ci_x[1], axis.x1))
        if row.kind == "study":
            if ci_x is not None:
                items.append(
                    _Line(ci_x[0], yc, ci_x[1], yc, _INK, 0.9, role="whisker")
                )
            if row.est is not None:
                # Squares go over every whisker, as matplotlib's z-order had them.
                cx, half = axis.x(row.est), row.size / 2
                squares.append(
                    _Rect(cx - half, yc - half, row.size, row.size, _STUDY_COLOUR, role="square")
                )
        elif row.kind == "pooled" and row.est is not None and ci_x is not None:
            dy = 0.36 * row_h
            cx = axis.x(row.est)
            markers.append(
                _Polygon(
                    ((ci_x[0], yc), (cx, yc - dy), (ci_x[1], yc), (cx, yc + dy)),
                    _INK,
                    _INK,
                    0.6,
                    role="diamond",
                )
            )
        elif row.kind == "pi" and ci_x is not None:
            x0, x1, dy = ci_x[0], ci_x[1], 0.2 * row_h
            items.append(_Line(x0, yc, x1, yc, _INK, 1.4, role="prediction"))
            items.append(_Line(x0, yc - dy, x0, yc + dy, _INK, 1.4, role="prediction"))
            items.append(_Line(x1, yc - dy, x1, yc + dy, _INK, 1.4, role="prediction"))
        elif row.kind == "gap":
            items.append(_Line(rule_x0, yc, rule_x1, yc, _RULE_COLOUR, 0.6, role="rule"))
        elif row.kind == "external" and row.est is not None and ci_x is not None:
            items.append(
                _Line(
                    ci_x[0],
                    yc,
                    ci_x[1],
                    yc,
                    _EXTERNAL_COLOUR,
                    0.9,
                    (3.6, 1.8),
                    role="external_whisker",
                )
            )
            # matplotlib's "D" marker: a square of side 6.5 pt turned by 45 degrees.
            cx, r = axis.x(row.est), _EXTERNAL_MARKER * math.sqrt(0.5)
            markers.append(
                _Polygon(
                    ((cx - r, yc), (cx, yc - r), (cx + r, yc), (cx, yc + r)),
                    "#ffffff",
                    _EXTERNAL_COLOUR,
                    1.2,
                    role="external_marker",
                )
            )
    items += squares
    items += markers

    # Each label starts at the line of no effect and reads away from it. One that wraps
    # is a block beside that line whose lines align on the outside, where its arrow
    # points: aligned on the null line, its short last line ("therapy \u2192") sat alone
    # under the middle of the axis, as if it belonged to neither label.
    fav_left_w = max(m.width(line, _SMALL) for line in fav_left)
    fav_right_w = max(m.width(line, _SMALL) for line in fav_right)
    left_x, left_anchor = (x_zero - 4, "end") if len(fav_left) == 1 else (x_zero - 4 - fav_left_w, "start")
    right_x, right_anchor = (x_zero + 4, "start") if len(fav_right) == 1 else (x_zero + 4 + fav_right_w, "end")
    for j, line in enumerate(fav_left):
        put_top(
            left_x,
            y_fav + j * _FAV_LINE,
            line,
            left_anchor,
            size=_SMALL,
            colour="#333333",
            role="favours",
        )
    for j, line in enumerate(fav_right):
        put_top(
            right_x,
            y_fav + j * _FAV_LINE,
            line,
            right_anchor,
            size=_SMALL,
            colour="#333333",
            role="favours",
        )
    y = y_footer
    for line, weight in footer:
        put_top(x_label, y, line, size=_NOTE, weight=weight, role="footer")
        y += _LINE_NOTE_IN * 72
    return _Figure(width_pt, height_pt, (*items, *text_items), axis)


#: An interval more than this many times as wide as the median of the other drawn
#: intervals does not set the axis's range: it runs past the axis as an arrow.
_WIDE_INTERVAL = 3.0
#: ...and whose bound lies further past the range of everything else (and 0) than this
#: share of that range.
_WIDE_REACH = 0.5
#: Rows whose interval is a whisker, which may run past the axis as an arrow; the
#: diamond (the pooled interval) and the prediction interval always set the axis.
_CLIPPED_KINDS = ("study", "external")


def _axis_values(rows: Sequence[_Row]) -> list[float]:
    """The values the effect axis must hold: every estimate, the pooled interval and the
    prediction interval, and the bounds of every whisker but a very wide one.

    An interval more than :data:`_WIDE_INTERVAL` times as wide as the median width of
    the other trials' intervals (on the analysis's scale, log ratios on a log axis; a
    published review's against the trials', or against the other reviews' without a
    trial; a lone trial's never), and whose bound lies further than half the range of
    everything else (and 0) past that range, leaves the axis to the rest: a trial with a zero-event arm
    (10/40 vs 0/41, RR 21.5, 1.30 to 355) stretched a ratio axis from 0.1 to 1000, and
    the other trials and the diamond sat in a few millimetres around 1. Such an interval
    is drawn to the axis's end with an arrow, its numbers given in full on the right,
    as metafor's ``forest(..., alim = )`` draws intervals beyond its axis limits
    (Viechtbauer 2010, J Stat Softw 36(3)). Its estimate still sets the axis, so that
    every square is drawn.
    """
    # Every whisker with its width.
    whiskers = [(r, r.ub - r.lb) for r in rows if r.kind in _CLIPPED_KINDS and r.lb is not None and r.ub is not None]
    values: list[float] = []
    wide: list[_Row] = []
    for row in rows:
        if row.est is not None:
            values.append(row.est)
        if row.lb is None or row.ub is None:
            continue
        if row.kind in _CLIPPED_KINDS:
            # Measured against the trials' intervals (a lone trial among published
            # reviews' narrow intervals is the analysis's evidence, drawn whole), or the
            # published ones' where no other trial has one.
            others = ([w for r, w in whiskers if r.kind == "study" and r is not row]
                      or [w for r, w in whiskers if r is not row and row.kind != "study"])
            if others and row.ub - row.lb > _WIDE_INTERVAL * _median(others):
                wide.append(row)
                continue
        values += [row.lb, row.ub]
    # A wide interval's bound near the others' range is drawn whole all the same: cut, it
    # would save the axis little and hide where the interval ends.
    lo, hi = min([*values, 0.0]), max([*values, 0.0])
    reach = _WIDE_REACH * (hi - lo)
    for row in wide:
        values += [b for b in (row.lb, row.ub) if b is not None and lo - reach <= b <= hi + reach]
    return values


#: Points a whisker's end may lie past the axis's end (rounding) before it is an arrow.
_CLIP_TOLERANCE = 0.01
#: The arrowhead at the end of a whisker cut by the axis: length and half-height (points).
_ARROW_LENGTH = 5.0
_ARROW_HALF = 2.6


def _arrow(x_edge: float, y: float, outward: float, colour: str) -> _Polygon:
    """An arrowhead whose tip is at ``x_edge`` (the axis's end), pointing left
    (``outward`` -1) or right (+1): the whisker goes on past the axis."""
    back = x_edge - outward * _ARROW_LENGTH
    return _Polygon(((x_edge, y), (back, y - _ARROW_HALF), (back, y + _ARROW_HALF)), colour, colour, 0.6,
                    role="arrow")


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _tick_labels(ticks: Sequence[float]) -> list[str]:
    """Tick labels with as many decimals as the step needs ("-1.0, -0.5, 0.0" or "-2, 0, 2"),
    as matplotlib's axis labelled them."""
    scale = max((abs(t) for t in ticks), default=1.0) or 1.0
    decimals = next(
        (d for d in range(7) if all(abs(float(f"{t:.{d}f}") - t) < 1e-9 * scale for t in ticks)),
        None,
    )
    if decimals is None:  # steps below 1e-6: significant digits instead of decimals
        return [typeset(f"{t:.3g}") for t in ticks]
    return [_fmt(t, decimals) for t in ticks]


# ---------------------------------------------------------------------------------------
# Funnel plot
# ---------------------------------------------------------------------------------------

_FUNNEL_W_IN = 4.6
_FUNNEL_PLOT_H_IN = 2.6
_FUNNEL_POINT = 2.6  # radius of a study's point (points)
_REGION_FILL = "#eef1f5"


def has_funnel(result: Mapping[str, Any]) -> bool:
    """Whether ``result`` gets a funnel plot: a pooled analysis of as many studies as its
    test of small-study effects needs (``small_study_min``, the test run, or said why
    not), each with an effect and a positive variance."""
    pooled = result.get("pooled") if result.get("status") == "pooled" else None
    minimum = _num(result.get("small_study_min"))
    if pooled is None or minimum is None:
        return False
    studies = funnel_studies(result)
    return len(studies) >= minimum and _num(pooled.get("estimate")) is not None


def funnel_studies(result: Mapping[str, Any]) -> list[tuple[str, float, float]]:
    """The pooled studies a funnel plot draws: ``(label, yi, sei)``, on the analysis's
    scale (log ratios for ratios), those without an effect or a positive variance left
    out."""
    out = []
    for study in result.get("studies") or []:
        yi, vi = _num(study.get("yi")), _num(study.get("vi"))
        if yi is not None and vi is not None and vi > 0 and study.get("weight") is not None:
            out.append((_clean(str(study.get("label") or study.get("study_id") or "")), yi, math.sqrt(vi)))
    return out


def _z(level: float) -> float:
    """The normal quantile of a two-sided ``level`` percent interval (1.96 for 95)."""
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + level / 200.0)


def funnel_plot(result: Mapping[str, Any], svg_path: Path) -> None:
    """Draw the funnel plot of one pooled analysis as SVG, written atomically; for an
    analysis that gets none (:func:`has_funnel`), a line saying why.

    Parameters
    ----------
    result : Mapping
        One analysis result as written to ``results/analyses/<id>.json`` (see
        :func:`forest_plot`), with ``small_study_min``.
    svg_path : Path
        Output file; parent folders created.

    Notes
    -----
    As metafor's ``funnel(res)`` draws a fitted model (:func:`metareview.figures.funnel`,
    without matplotlib: the workflow's job draws it beside the forest plot in a few
    milliseconds): each pooled study's effect :math:`y_i` (the log ratio on a ratio's
    axis, labelled in ratios) against its standard error :math:`\\sqrt{v_i}`, the axis
    inverted (0 at the top), a vertical line at the pooled estimate :math:`\\hat\\mu` and the
    pseudo-confidence region :math:`\\hat\\mu \\pm z_{1-\\alpha/2}\\sqrt{v}` at the analysis's
    level, within which about :math:`1-\\alpha` of the studies would lie without
    heterogeneity or small-study effects (Sterne & Egger 2001, J Clin Epidemiol
    54:1046-55; Sterne et al. 2011, BMJ 343:d4002). The line of no effect is drawn too,
    solid, as on the forest plot.

    The workflow's job writes the file for every analysis (its output is declared), and
    the report shows it beside the test of small-study effects only where there is one;
    the line in the others (a file of a few hundred bytes) says why there is none.
    """
    figure = _layout_funnel(result) if has_funnel(result) else _no_funnel(result)
    _write_files([(Path(svg_path), _svg_bytes(figure))])


def _no_funnel(result: Mapping[str, Any]) -> _Figure:
    """A figure of one line: why the analysis gets no funnel plot."""
    m = _Measure()
    k, minimum = len(funnel_studies(result)), _num(result.get("small_study_min"))
    if result.get("status") != "pooled":
        why = "nothing is pooled"
    elif minimum is not None:
        why = f"{k} {'study' if k == 1 else 'studies'}, fewer than the {minimum:g} a test of small-study effects needs"
    else:
        why = "the analysis gives no number of studies for a test of small-study effects"
    text = f"No funnel plot: {why}."
    size = _FONT
    width = m.width(text, size, style="italic") + 2 * _SIDE_IN * 72
    y = _MARGIN_IN * 72
    line = _Text(_SIDE_IN * 72, y + _ASCENT_EM * size, text, size, m.width(text, size, style="italic"), style="italic",
                 colour="#444444", role="reason")
    axis = _Axis(0.0, 1.0, 0.0, 1.0, (), (), "", False)
    return _Figure(width, y + size * 1.35 + _MARGIN_IN * 72, (line,), axis)


def _layout_funnel(result: Mapping[str, Any]) -> _Figure:
    m = _Measure()
    labels = _analysis_labels(result.get("analysis") or {})
    log = labels["scale"] == "log"
    pooled = result["pooled"]
    centre = float(pooled["estimate"])
    level = _plot_level(result)
    z = _z(level)
    studies = funnel_studies(result)
    se_max = max(se for _, _, se in studies)
    # The region reaches 10% below the least precise study, as metafor draws it.
    y_values = _nice_ticks([se_max * 1.1])
    y_ticks = [t for t in y_values if t >= -1e-12]
    y_hi = y_ticks[-1]
    bottom_half = z * y_hi
    x_values = [y for _, y, _ in studies] + [centre - bottom_half, centre + bottom_half]

    side = _SIDE_IN * 72
    width_pt = _FUNNEL_W_IN * 72
    y_labels = _tick_labels(y_ticks)
    y_label_w = max(m.width(t, _SMALL) for t in y_labels)
    x0 = side + y_label_w + _TICK_PAD + _TICK_LENGTH
    x1 = width_pt - side - 6.0
    plot_w = x1 - x0
    if log:
        ratio_ticks = _ratio_ticks(x_values, _labels_fit(m, plot_w))
        xticks, xtick_labels = [t for t, _ in ratio_ticks], [text for _, text in ratio_ticks]
    else:
        xticks = _nice_ticks(x_values)
        xtick_labels = _tick_labels(xticks)
    axis_label = labels["measure_label"] + (" (log scale)" if log else f" ({labels['common_scale']} scale)"
                                            if labels["common_scale"] else f" ({labels['unit']})"
                                            if labels["unit"] else "")
    axis = _Axis(x0, x1, xticks[0], xticks[-1], tuple(xticks), tuple(xtick_labels), axis_label, log)

    top = _MARGIN_IN * 72
    y_title = top
    top += _SMALL * 1.35 + 4
    plot_top = top
    plot_h = _FUNNEL_PLOT_H_IN * 72
    plot_bottom = plot_top + plot_h

    def y_at(se: float) -> float:
        return plot_top + plot_h * se / y_hi

    y_ticks_top = plot_bottom + _TICK_LENGTH + _TICK_PAD
    y_xlabel_top = y_ticks_top + _SMALL * (_ASCENT_EM + _DESCENT_EM) + _XLABEL_PAD
    y_footer = y_xlabel_top + _FONT * 1.35 + 6
    footer = m.wrap(f"Shaded: where {level:g}% of studies would lie around the pooled estimate (dashed line) "
                    "without heterogeneity or small-study effects; solid line: no effect.", width_pt - 2 * side, _NOTE)
    height_pt = y_footer + len(footer) * _LINE_NOTE_IN * 72 + _MARGIN_IN * 72

    items: list[_Item] = []
    texts: list[_Text] = []

    def put_top(x: float, y_top: float, text: str, anchor: str = "start", *, size: float = _SMALL,
                role: str = "text", colour: str = "#000000") -> None:
        text = _clean(text)
        texts.append(_Text(x, y_top + _ASCENT_EM * size, text, size, m.width(text, size), anchor,
                           colour=colour, role=role))

    # The region: a triangle from the estimate at SE 0 to the bottom of the axis, cut to
    # the plot area (its sides may leave it on a narrow axis).
    apex = (axis.x(centre), plot_top)
    left, right = axis.x(centre - bottom_half), axis.x(centre + bottom_half)
    items.append(_Polygon((apex, (max(left, x0), plot_bottom), (min(right, x1), plot_bottom)), _REGION_FILL,
                          _REGION_FILL, 0.0, role="region"))
    for edge in (left, right):
        items.append(_Line(apex[0], apex[1], edge, plot_bottom, _RULE_COLOUR, 0.8, (2.0, 2.0), role="region_edge"))
    items.append(_Line(apex[0], plot_top, apex[0], plot_bottom, _INK, 0.8, (4.0, 2.5), role="estimate"))
    if axis.lo <= 0.0 <= axis.hi:
        items.append(_Line(axis.x(0.0), plot_top, axis.x(0.0), plot_bottom, _INK, 0.7, role="null"))
    # Axes: the effect below, the standard error on the left (0 at the top).
    items.append(_Line(x0, plot_bottom, x1, plot_bottom, "#000000", 0.8, role="axis"))
    items.append(_Line(x0, plot_top, x0, plot_bottom, "#000000", 0.8, role="axis"))
    for tick, text in zip(axis.ticks, axis.tick_labels, strict=True):
        tx = axis.x(tick)
        items.append(_Line(tx, plot_bottom, tx, plot_bottom + _TICK_LENGTH, "#000000", 0.8, role="tick"))
        put_top(tx, y_ticks_top, text, "middle", role="tick_label")
    for tick, text in zip(y_ticks, y_labels, strict=True):
        ty = y_at(tick)
        items.append(_Line(x0 - _TICK_LENGTH, ty, x0, ty, "#000000", 0.8, role="tick"))
        put_top(x0 - _TICK_LENGTH - _TICK_PAD, ty - (_ASCENT_EM + _DESCENT_EM) * _SMALL / 2, text, "end",
                role="tick_label")
    put_top(side, y_title, "Standard error", role="axis_label", size=_FONT)
    put_top((x0 + x1) / 2, y_xlabel_top, axis.label, "middle", role="axis_label", size=_FONT)
    # The studies: clipped to the axis they always lie on (it holds every effect).
    for _, yi, se in studies:
        items.append(_Circle(axis.x(yi), y_at(se), _FUNNEL_POINT, _STUDY_COLOUR, "#ffffff", 0.6, role="study"))
    y = y_footer
    for line in footer:
        put_top(side, y, line, size=_NOTE, role="footer", colour=_INK)
        y += _LINE_NOTE_IN * 72
    return _Figure(width_pt, height_pt, (*items, *texts), axis)


# ---------------------------------------------------------------------------------------
# SVG writer
# ---------------------------------------------------------------------------------------

_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _n(x: float) -> str:
    """A coordinate with a fixed number of decimals (stable bytes), never ``-0.000``."""
    text = f"{x:.3f}"
    return "0.000" if text == "-0.000" else text


def _svg_bytes(fig: _Figure) -> bytes:
    """The figure as a standalone SVG document (units: points), UTF-8 encoded."""
    w, h = _n(fig.width), _n(fig.height)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}pt" '
            f'height="{h}pt" viewBox="0 0 {w} {h}">\n'
        ),
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>\n',
    ]
    for item in fig.items:
        if isinstance(item, _Text):
            attrs = [
                f'x="{_n(item.x)}" y="{_n(item.y)}" font-family="{_SVG_FONT_FAMILY}"',
                f'font-size="{item.size:g}"',
            ]
            if item.weight == "bold":
                attrs.append('font-weight="bold"')
            if item.style != "normal":
                attrs.append('font-style="italic"')
            if item.anchor != "start":
                attrs.append(f'text-anchor="{item.anchor}"')
            attrs.append(f'fill="{item.colour}" class="{item.role}"')
            text = _FORBIDDEN_XML.sub("", item.text).translate(_XML_ESCAPES)
            out.append(f"<text {' '.join(attrs)}>{text}</text>\n")
        elif isinstance(item, _Line):
            dash = f' stroke-dasharray="{",".join(_n(d) for d in item.dash)}"' if item.dash else ""
            out.append(
                f'<line x1="{_n(item.x1)}" y1="{_n(item.y1)}" x2="{_n(item.x2)}" y2="{_n(item.y2)}" '
                f'stroke="{item.colour}" stroke-width="{item.width:g}"{dash} class="{item.role}"/>\n'
            )
        elif isinstance(item, _Rect):
            out.append(
                f'<rect x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.w)}" '
                f'height="{_n(item.h)}" fill="{item.fill}" class="{item.role}"/>\n'
            )
        elif isinstance(item, _Circle):
            out.append(
                f'<circle cx="{_n(item.cx)}" cy="{_n(item.cy)}" r="{_n(item.r)}" fill="{item.fill}" '
                f'stroke="{item.stroke}" stroke-width="{item.stroke_width:g}" class="{item.role}"/>\n'
            )
        else:
            points = " ".join(f"{_n(px)},{_n(py)}" for px, py in item.points)
            out.append(
                f'<polygon points="{points}" fill="{item.fill}" stroke="{item.stroke}" '
                f'stroke-width="{item.stroke_width:g}" stroke-linejoin="round" class="{item.role}"/>\n'
            )
    out.append("</svg>\n")
    return "".join(out).encode("utf-8")


# ---------------------------------------------------------------------------------------
# PNG and files
# ---------------------------------------------------------------------------------------

#: A Typst document holding only the SVG passed in as ``sys.inputs.svg``: the source is
#: constant, so no label can ever be read as Typst markup.
_TYPST_PAGE = (
    b"#set page(width: auto, height: auto, margin: 0pt)\n"
    b'#image(bytes(sys.inputs.svg), format: "svg")\n'
)


@lru_cache(maxsize=1)
def _typst_fonts() -> Any:
    """matplotlib's fonts for Typst, loaded once per process (about 15 ms)."""
    import typst

    return typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(_font_dir())]
    )


def _png_from_svg(svg: bytes, dpi: int) -> bytes:
    """Rasterise the SVG with Typst's renderer (resvg), using matplotlib's own fonts.

    Only the fonts shipped with matplotlib are visible to it, so the pixels do not depend
    on the fonts a machine has. Typst releases the GIL while it renders.
    """
    import typst

    return typst.compile(
        _TYPST_PAGE,
        font_paths=_typst_fonts(),
        format="png",
        ppi=float(dpi),
        sys_inputs={"svg": svg.decode("utf-8")},
    )


def png_from_svg(svg_path: Path, png_path: Path, *, dpi: int = 150) -> None:
    """Rasterise an SVG figure of this module to a PNG file, written atomically.

    The workflow draws forest plots as SVG only (the report embeds them) and makes PNG
    copies on request (``make figures``): rasterising took about three quarters of an
    analysis job's time, spent on PNGs the report does not read.

    Parameters
    ----------
    svg_path : Path
        An SVG written by :func:`forest_plot` or :func:`network_plot`.
    png_path : Path
        Output file; parent folders created.
    dpi : int
        Resolution: the SVG's size in points times ``dpi / 72`` pixels.

    Raises
    ------
    ValueError
        If the file is not an SVG Typst can read (the message names the file); nothing
        is written.
    """
    import typst

    svg = Path(svg_path).read_bytes()
    try:
        png = _png_from_svg(svg, dpi)
    except typst.TypstError as exc:
        raise ValueError(f"{svg_path}: not an SVG image that can be rasterised: {exc}") from None
    _write_files([(Path(png_path), png)])


def _write_files(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every ``(path, data)`` atomically: all files are replaced, or none is.

    Each file is written to a temporary file in its target folder (so that
    :func:`os.replace` is a rename on one file system) and flushed to disk; only when all
    are complete are they moved into place.
    """
    from metareview.io import temporary_path

    written: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = temporary_path(path)
            with open(tmp, "wb") as fh:
                written.append((tmp, path))
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in written:
            os.replace(tmp, path)
        written.clear()
    finally:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------
# Network diagram (matplotlib, imported only here)
# ---------------------------------------------------------------------------------------

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

#: Settings applied on top of matplotlib's defaults for every network figure.
_PINNED_RC: dict[RcKeyType, Any] = {
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


@lru_cache(maxsize=1)
def _render_lock() -> Any:
    """Serialises every use of matplotlib's global ``rcParams`` and its renderers."""
    import threading

    return threading.Lock()


@contextmanager
def _render_context() -> Iterator[None]:
    """Hold the render lock and apply matplotlib's defaults plus the pinned settings.

    The workflow may draw from threads, and :func:`matplotlib.rc_context` changes
    ``rcParams`` for the whole process; resetting to the defaults first keeps a
    ``matplotlibrc`` in the working directory or the user's configuration out of the
    figure.
    """
    import matplotlib

    # dict.items, not RcParams.items: reading deprecated keys through RcParams warns.
    settings = {k: v for k, v in dict.items(matplotlib.rcParamsDefault) if k not in _NOT_STYLE}
    settings.update(_PINNED_RC)
    with _render_lock(), matplotlib.rc_context(rc=settings):
        yield


def _figure_svg(fig: Figure) -> bytes:
    """A matplotlib figure as SVG, text kept as text, without date or creator."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


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
        svg = _figure_svg(_build_network(nodes, pairs))
    _write_files([(Path(svg_path), svg), (Path(png_path), _png_from_svg(svg, 150))])


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
    from matplotlib.figure import Figure

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
