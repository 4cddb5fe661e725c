"""Markdown for the report: make text from data inert, and build small pieces.

The report (``reports/report.qmd``) is Markdown that both Quarto and plain pandoc
read, then write as HTML and as Typst. Study names, notes and labels come from the
raw tables, and in Markdown almost any punctuation means something: ``*`` starts
emphasis, ``@x`` is a citation, ``$x$`` is maths, ``<script>`` is raw HTML, a line
starting with ``1.`` or ``-`` is a list, ``|`` ends a table cell, ``--`` becomes an
en dash. :func:`escape` backslash-escapes what Pandoc's Markdown reader would
interpret, so the text reaches the HTML and the PDF as the same characters; the
Typst writer then escapes it again for Typst (``#set page(...)`` stays text).

Builders (:func:`table`, :func:`figure`, :func:`callout`, :func:`heading`) escape
the plain strings they are given. Text that is already Markdown, written by the
report's author rather than taken from data, is marked by wrapping it in
:class:`Markdown`; builders insert it unchanged, as ``markupsafe.Markup`` does for
HTML.

Only syntax that Quarto and pandoc read the same way is produced (see
``/work/shared/RENDERING.md``): pipe tables with a caption line
``: Caption {#tbl-x}``, figures alone in a paragraph with ``{#fig-x}``, fenced
callouts.

References: Pandoc User's Guide, "Pandoc's Markdown" (backslash escapes,
extensions ``all_symbols_escapable``, ``smart``, ``pipe_tables``,
``table_captions``, ``fenced_divs``); Quarto documentation, "Cross references"
and "Callout blocks".
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections.abc import Sequence

from metareview.fmt import typeset

__all__ = [
    "Markdown",
    "callout",
    "escape",
    "escape_keeping_emphasis",
    "figure",
    "heading",
    "keep_together",
    "keep_with_next",
    "meta_string",
    "table",
]


class Markdown(str):
    """Text that is already Markdown; the builders insert it without escaping.

    Use it for prose written by the report's author (``Markdown("*k* = 5")``),
    never for text read from data.
    """

    __slots__ = ()


# Characters Pandoc's Markdown (and Quarto) gives a meaning wherever they stand:
# escapes, code, emphasis, links and spans, raw HTML and autolinks, entities,
# maths, citations and cross-references, super/subscript and strike-out,
# headings, table cells and line blocks, attributes and shortcodes, smart quotes.
_ALWAYS = frozenset("\\`*_[]<>&$@^~#|{}\"'")
# Characters that only mean something at the start of a line (lists, definition
# lists, fenced divs, pandoc title blocks, example lists, "!"/"=" for safety).
_LEADING = frozenset("-+:%(=!")
_SPECIAL = re.compile("[" + re.escape("".join(sorted(_ALWAYS))) + r"]|-{2,}|\.{2,}")


def _backslashed(match: re.Match[str]) -> str:
    return "".join("\\" + ch for ch in match.group())


# Whitespace that would end a line (and so a table row, or start a new block):
# folded into one space like any run of blanks.
_BLANKS = re.compile(r"[ \t\n\r\v\f\x1c-\x1f\x85\u2028\u2029]+")
# "1. ", "iv) ", "a." at the start of a line make an ordered list.
_LIST_MARKER = re.compile(r"^[0-9A-Za-z]+[.)](?=\s|$)")

_CALLOUT_KINDS = ("note", "tip", "warning", "important", "caution")
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_PATH = re.compile(r"^[A-Za-z0-9_.-][A-Za-z0-9_./-]*$")
_ALIGN = {"default": "---", "left": ":--", "right": "--:", "center": ":-:"}


def _clean(text: str) -> str:
    """Fold blanks into single spaces and drop characters no output can carry.

    Control characters are invalid in XML/HTML and meaningless in a PDF, and lone
    surrogates cannot be encoded as UTF-8; neither can reach a reader. Format
    characters and unassigned code points at the very start are dropped too.
    """
    text = _BLANKS.sub(" ", text)
    if not text.isprintable():
        text = "".join(
            ch for ch in text if ch == " " or unicodedata.category(ch) not in ("Cc", "Cs")
        )
        # An invisible format character (zero-width space, word joiner, soft hyphen, BOM)
        # or an unassigned code point at the start joins nothing, and pandoc drops a
        # blank after it there (its Unicode tables may be newer than Python's).
        while text.lstrip(" ") and unicodedata.category(text.lstrip(" ")[0]) in ("Cf", "Cn"):
            text = text.lstrip(" ")[1:]
    return text.strip(" ")


def escape(text: str, *, typographic: bool = True) -> Markdown:
    r"""Make ``text`` inert: it renders as the same characters in HTML and PDF.

    Every ASCII character that Pandoc's Markdown or Quarto would interpret is
    backslash-escaped (``\*``, ``\@``, ``\$``, ``\<``, ``\#``, ``\|``, ...), runs
    of ``-`` and ``.`` are escaped so that smart punctuation does not turn them
    into dashes or an ellipsis, and a leading ``-``, ``+``, ``:``, ``(``, ``%`` or
    ordered-list marker (``1.``, ``iv)``) is escaped so the text cannot start a
    block. Line breaks and other blanks become single spaces, so the result is
    safe inside a table cell or a heading, and control characters are dropped.
    Pandoc's Typst and HTML writers then escape the literal characters for their
    own syntax, so ``#set page(width: 1cm)`` and ``<script>`` arrive as text.

    Parameters
    ----------
    text
        Any text from data. A :class:`Markdown` instance is returned unchanged.
    typographic
        Print apostrophes as U+2019 and a hyphen before a number as a minus sign, U+2212
        (:func:`metareview.fmt.typeset`), as the PDF prints them; False keeps
        every character as it is, for text shown verbatim (a raw cell before and after
        an edit).

    Returns
    -------
    Markdown
        One line of Markdown that reads back as ``text`` (blanks folded).

    Notes
    -----
    Backslash escapes of ASCII punctuation follow the Pandoc User's Guide,
    "Backslash escapes" (extension ``all_symbols_escapable``); the text is read
    with ``-raw_html-raw_tex`` as a second line of defence.

    Examples
    --------
    >>> escape("<script>alert(1)</script>")
    '\\<script\\>alert(1)\\</script\\>'
    >>> escape("1. Smith & Jones $5")
    '1\\. Smith \\& Jones \\$5'
    """
    if isinstance(text, Markdown):
        return text
    if not isinstance(text, str):
        raise TypeError(f"escape() expects str, got {type(text).__name__}")
    text = typeset(_clean(text)) if typographic else _clean(text)
    if not text:
        return Markdown("")
    # Each special character, and each character of a run of "-" or ".", gets a
    # backslash (one regex pass: a report of thousands of rows escapes ~100,000 cells).
    escaped = _SPECIAL.sub(_backslashed, text)
    if text[0] in _LEADING and not escaped.startswith("\\"):
        escaped = "\\" + escaped
    marker = _LIST_MARKER.match(escaped)
    if marker:
        end = marker.end() - 1
        escaped = escaped[:end] + "\\" + escaped[end:]
    return Markdown(escaped)


#: A pair of asterisks, single (emphasis) or double (strong emphasis), around text that
#: neither begins nor ends with a blank, as a Markdown writer marks a word: "*how*".
#: The opening one follows no letter, digit or asterisk and the closing one precedes
#: none (CommonMark's flanking rules, simplified), so "p<0.05*" or "2*3*4" mark nothing.
_EMPHASIS = re.compile(r"(?<![\w*\\])(\*{1,2})(?=[^\s*])(.+?)(?<=[^\s*\\])\1(?![\w*])")


def escape_keeping_emphasis(text: str) -> Markdown:
    r"""Like :func:`escape`, but a word or phrase its writer marked as emphasis with
    asterisks (``*how*``, ``**never**``) is set as emphasis rather than printed with its
    asterisks.

    For a verbatim quote of a source written in Markdown (a blog post): its asterisks are
    the writer's emphasis, which the quote keeps, not characters of the sentence. All the
    rest is escaped as :func:`escape` escapes it, the emphasised words too.

    Examples
    --------
    >>> escape_keeping_emphasis("Both work \u2014 but *how* and *for whom* matters.")
    'Both work \u2014 but *how* and *for whom* matters\\.'
    >>> escape_keeping_emphasis("**Never** <b> p<0.05* 2*3*4")
    '**Never** \\<b\\> p\\<0.05\\* 2\\*3\\*4'
    """
    def plain(part: str) -> str:
        # escape() trims the blanks at either end, which here part a word from the
        # emphasis beside it: folded to one space, as escape() folds those within.
        if not part.strip():
            return " " if part else ""
        return (" " if part[0].isspace() else "") + escape(part) + (" " if part[-1].isspace() else "")

    out, last = [], 0
    for m in _EMPHASIS.finditer(text):
        out += [plain(text[last:m.start()]), m[1], escape(m[2]), m[1]]
        last = m.end()
    out.append(plain(text[last:]))
    return Markdown("".join(out).strip(" "))


def _inline(text: str) -> Markdown:
    """Escape plain text; check that author-written Markdown fits on one line."""
    if isinstance(text, Markdown):
        if "\n" in text or "\r" in text:
            raise ValueError(f"Markdown for a table cell or caption must be one line: {text!r}")
        return text
    return escape(text)


def _check_label(label: str, prefix: str) -> str:
    if not label.startswith(prefix + "-") or not _LABEL.match(label):
        raise ValueError(
            f"label {label!r} must start with {prefix + '-'!r} and contain only letters, "
            "digits, '-' and '_' (Quarto cross-reference syntax)"
        )
    return label


#: Width of the text column in characters of table text (about 100 both in the
#: A4 PDF, 16 cm at 0.9 x 11 pt, and in the 48 rem HTML column): the budget
#: that column widths are shared from.
TABLE_BUDGET = 100
# Cell padding (6 pt, 0.6 rem a side), in characters, on top of the content.
_PADDING = 3
# A column no wider than this (padding included) is kept on one line if it fits.
_SHORT = 18
# The width (padding included) up to which a column of text that wraps is given room
# before another gets more: two or three words a line. Wider, the columns of long notes
# beside it lost more lines than the others gained (at 22, the example's tables took 10%
# more lines and its PDF 13 more pages).
_READABLE = 16
# Markdown that takes no room on the page: backslash escapes, emphasis, code.
_MARKUP = re.compile(r"\\(?=[!-/:-@\[-`{-~])|[*`]")
# Where a line may break inside a cell: blanks but a no-break space (U+00A0 joins a
# phrase that reads as one), after "/" or "_" (the PDF template lets identifiers break
# after underscores), after a hyphen that is not a minus sign.
_BREAKS = re.compile(r"[^\S\u00a0]+|(?<=[/_])|(?<=-)(?![0-9])")


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _display_width(text: str) -> int:
    """Characters a reader sees, counting wide (CJK) characters twice."""
    if text.isascii():  # no ASCII character is wide
        return len(text)
    return len(text) + sum(unicodedata.east_asian_width(ch) in "WF" for ch in _NON_ASCII.findall(text))


def _column_layout(columns: Sequence[Sequence[str]], budget: int = TABLE_BUDGET) -> tuple[list[int], bool]:
    """Relative column widths for a pipe table, as a browser's auto layout does, and
    whether every column's longest word fits within the ``budget``.

    Each column gets at least its longest unbreakable word, and a short column
    (a name and year, an interval, a count) its cells' whole width, its header
    wrapping at its words where it is longer than they are ("Raw" over "rows"). A
    column whose text wraps then gets up to :data:`_READABLE` characters, or its
    longest cell where that is less, so that it reads a few words a line; the rest
    of the ``budget`` (characters of table text a line holds, :data:`TABLE_BUDGET`
    by default) goes to the columns whose text still wraps, in proportion to how much
    more their cells hold, on average, than they have, none beyond its longest cell.
    So numbers stay on one line, no column of names or notes is a word a line, and
    the longest text takes the remaining width, in the HTML and in the PDF alike.
    When the longest words alone exceed the budget, the short columns keep their
    width and the columns of text share the rest by how much text they hold, none
    under its longest word.

    Pandoc reads the widths from the dashes under the header when a row is wider
    than its ``--columns`` (72), and scales them to the full text width.

    Returns
    -------
    tuple of (list of int, bool)
        The widths in characters, and ``False`` when the longest words alone exceed
        the budget: the page then scales the columns down, some below their longest
        word.

    References
    ----------
    W3C, CSS 2.1 section 17.5.2.2, "Automatic table layout"; Pandoc User's
    Guide, "Pipe tables".
    """
    minimum, natural, typical, whole = [], [], [], []
    for cells in columns:
        texts = [
            _MARKUP.sub("", cell) if isinstance(cell, Markdown) else _clean(cell) for cell in cells
        ]
        words = [w for t in texts for w in _BREAKS.split(t) if w]
        minimum.append(max([3] + [_display_width(w) for w in words]) + _PADDING)
        natural.append(max([3] + [_display_width(t) for t in texts]) + _PADDING)
        body = [_display_width(t) for t in texts[1:] if t.strip()] or [_display_width(texts[0])]
        typical.append(sum(body) / len(body) + _PADDING)
        # The cells whole and the header's longest word: a header longer than its cells
        # ("n (int. / comp.)" over "158 / 162") wraps rather than break the numbers.
        head = [_display_width(w) for w in _BREAKS.split(texts[0]) if w]
        whole.append(max([3] + head + [_display_width(t) for t in texts[1:]]) + _PADDING)
    # Short columns (a name and year, an interval, a count) are not worth wrapping; their
    # header wraps instead where it is longer than their cells: "Weight %" over "87.2",
    # "Evidence level" over "1b" took the width of their header in every row, which the
    # columns of text beside them needed.
    base = [w if w <= _SHORT else m for w, m in zip(whole, minimum)]
    if sum(base) > budget:
        # Too many columns for every longest word: the short columns (a design, a count)
        # keep their width, and the columns of text share the rest by how much text they
        # hold (their cells' mean width: a row is as tall as its tallest cell, so the
        # column whose cells are long in every row needs the room, not the one with one
        # long cell among "as published"s), so that a column of notes is not one word
        # wide and pages long. None gets less than its
        # longest word: an identifier's pieces and an id cannot break, and would print
        # over the next cell. The widths may then add up to more than the budget; the
        # page scales them all alike, as it did the longest words alone.
        short = [w <= _SHORT for w in whole]
        rest = budget - sum(w for w, s in zip(whole, short) if s)
        weights = [0.0 if s else max(m, t) for m, t, s in zip(minimum, typical, short)]
        if rest <= 0 or not sum(weights):
            return minimum, False
        shares = _shared(rest, weights, natural)
        return [w if s else max(m, round(x)) for m, w, s, x in zip(minimum, whole, short, shares)], False
    # A column of text that wraps gets a few words a line before any gets more: shared by
    # need alone, a column of long notes took all the room and the names and sources
    # beside it were a word a line ("arm-" / "level" / "means"), their rows no shorter.
    # Where the budget cannot give each its few words, each gets the same share of
    # what it lacks.
    readable = [b if w <= _SHORT else max(b, min(w, _READABLE)) for w, b in zip(whole, base)]
    extra = sum(readable) - sum(base)
    if extra > 0:
        spare = budget - sum(base)
        if spare < extra:
            share = spare / extra
            return _rounded_to(budget, [b + (r - b) * share for b, r in zip(base, readable)], base), True
        base = readable
    spare = budget - sum(base)
    slack = [n - b for n, b in zip(natural, base)]
    if spare <= 0 or sum(slack) == 0:
        return base, True
    if sum(slack) <= spare:
        return natural, True
    # What each column's cells need beyond their longest word, on average: shared by
    # the longest cell alone, one long conversion among many "as published"s would take
    # the room from a column long in every row.
    need = [max(t - b, 0.0) if n > b else 0.0 for t, n, b in zip(typical, natural, base)]
    if not sum(need):
        need = [float(x) for x in slack]
    shares = _shared(spare, need, slack)
    # What the columns in need cannot use (each is at its longest cell) goes to those
    # that can still take more, by how much: a column whose cells are short on average
    # but for one long one, raised to its few words, has no need left, and the room
    # was left unused.
    left = [c - x for c, x in zip(slack, shares)]
    if spare - sum(shares) > 0.5 and sum(left) > 0:
        shares = [x + y for x, y in zip(shares, _shared(spare - sum(shares), left, left))]
    return [b + round(x) for b, x in zip(base, shares)], True


# Raw Typst, which HTML output drops: hyphenation in the table cells that follow, on for
# a table narrower than its longest words and off again after it.
_HYPHENATE_ON = "```{=typst}\n#show table: set text(hyphenate: true)\n```"
_HYPHENATE_OFF = "```{=typst}\n#show table: set text(hyphenate: false)\n```"


def _rounded_to(total: int, widths: Sequence[float], floors: Sequence[int]) -> list[int]:
    """``widths`` rounded to whole characters that add up to ``total`` (largest
    remainders first), none under its floor."""
    out = [max(f, math.floor(w)) for w, f in zip(widths, floors)]
    order = sorted(range(len(widths)), key=lambda i: (out[i] - widths[i], i))
    for i in order[: max(total - sum(out), 0)]:
        out[i] += 1
    return out


def _shared(total: float, weights: Sequence[float], caps: Sequence[float]) -> list[float]:
    """``total`` shared in proportion to ``weights``, none above its cap: what a capped
    column cannot use goes to the others (water-filling), so that a column is never
    given more than its text needs while another's wraps."""
    out = [0.0] * len(weights)
    free = [i for i, w in enumerate(weights) if w > 0]
    left = float(total)
    while free:
        mass = sum(weights[i] for i in free)
        over = [i for i in free if left * weights[i] / mass >= caps[i]]
        if not over:
            for i in free:
                out[i] = left * weights[i] / mass
            break
        for i in over:
            out[i] = float(caps[i])
            left -= caps[i]
            free.remove(i)
    return out


def heading(text: str, level: int = 2, *, identifier: str | None = None) -> Markdown:
    """An ATX heading (``## text {#identifier}``), text escaped.

    Parameters
    ----------
    text
        Heading text (plain, or :class:`Markdown`).
    level
        1 to 6.
    identifier
        Optional anchor, e.g. ``"sec-methods"``.
    """
    if not 1 <= level <= 6:
        raise ValueError(f"heading level must be 1 to 6, got {level}")
    attr = ""
    if identifier is not None:
        if not _LABEL.match(identifier):
            raise ValueError(f"invalid heading identifier {identifier!r}")
        attr = f" {{#{identifier}}}"
    return Markdown(f"{'#' * level} {_inline(text)}{attr}\n")


#: Where a caption's next sentence starts: a full stop (not of "et al." or "e.g."), a
#: question or exclamation mark, a space and a capital.
_NEXT_SENTENCE = re.compile(r"(?<!\bal)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)[.?!] [A-Z]")


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    caption: str,
    label: str,
    *,
    align: Sequence[str] | None = None,
    budget: int = TABLE_BUDGET,
) -> Markdown:
    """A pipe table with a caption line ``: caption {#tbl-x}``.

    Cells are strings, already formatted by the caller (fixed decimals keep the
    report byte-stable); plain strings are escaped, :class:`Markdown` ones are
    inserted as they are. The dashes under each header follow the column's
    longest cell (capped, plus room for padding), which is how Pandoc sets
    relative column widths when a table is too wide for one line of source: long
    text then wraps in its own column instead of squeezing the numbers.

    Parameters
    ----------
    headers
        Column headers.
    rows
        One sequence of cells per row, each the length of ``headers``.
    caption
        Caption text; the renderer (or Quarto) puts "Table N: " in front.
    label
        Cross-reference label, ``tbl-...``; cite it as ``@tbl-...``.
    align
        Per column ``"left"``, ``"right"``, ``"center"`` or ``"default"``.
    budget
        Characters of table text one line of the page holds (:data:`TABLE_BUDGET` on
        a portrait A4 page; about 1.5 times that on a landscape one).

    Returns
    -------
    Markdown
        A blank line, the table, its caption line, and a trailing blank line.

    References
    ----------
    Pandoc User's Guide, "Pipe tables" and "Table captions"; Quarto, "Tables".
    """
    ncol = len(headers)
    if ncol == 0:
        raise ValueError("a table needs at least one column")
    if align is None:
        align = ["default"] * ncol
    if len(align) != ncol:
        raise ValueError(f"align has {len(align)} entries for {ncol} columns")
    for a in align:
        if a not in _ALIGN:
            raise ValueError(f"unknown alignment {a!r}; use one of {sorted(_ALIGN)}")
    _check_label(label, "tbl")
    head = [_inline(h) for h in headers]
    body: list[list[str]] = []
    for r, row in enumerate(rows):
        if len(row) != ncol:
            raise ValueError(f"table {label}: row {r + 1} has {len(row)} cells, expected {ncol}")
        cells: list[str] = []
        for c, cell in enumerate(row):
            if not isinstance(cell, str):
                raise TypeError(
                    f"table {label}: row {r + 1}, column {c + 1} is {type(cell).__name__}; "
                    "format numbers to strings first (fixed decimals)"
                )
            cells.append(_inline(cell))
        body.append(cells)
    widths, fits = _column_layout([[h, *(row[c] for row in rows)] for c, h in enumerate(headers)], budget)
    rule = []
    for a, w in zip(align, widths):
        left = ":" if a in ("left", "center") else "-"
        right = ":" if a in ("right", "center") else "-"
        rule.append(left + "-" * (w - 2) + right)

    def line(cells: Sequence[str]) -> str:
        # A cell that is empty still needs its place between the pipes.
        return "| " + " | ".join(cells) + " |"

    caption_md = _inline(caption)
    if not caption_md.strip():
        raise ValueError(f"table {label} needs a caption (Quarto numbers captioned tables only)")
    # A caption of several sentences ends as a sentence does: without its full stop it
    # read as cut off. One sentence goes without, as captions do.
    if _NEXT_SENTENCE.search(caption_md) and not caption_md.rstrip().endswith((".", "?", "!")):
        caption_md = Markdown(caption_md.rstrip() + ".")
    lines = [line(head), line(rule)]
    lines.extend(line(row) for row in body)
    lines.append("")
    lines.append(f": {caption_md} {{#{label}}}")
    if not fits:
        # Too wide for a line even at its longest words: the page scales every column
        # down, some below their longest word, which only hyphenation can then fit (the
        # PDF sets table words whole otherwise: see reports/render/template.typst).
        lines = [_HYPHENATE_ON, "", *lines, "", _HYPHENATE_OFF]
    # The leading blank line: a one-line paragraph, one blank line and a block could
    # be a definition list's term and definition (extension definition_lists, on in
    # Quarto's Markdown too), and pandoc reads a table that follows such a paragraph
    # twice (its allocations double; without the extension they do not). A second
    # blank line rules the definition list out and changes nothing else in the
    # document; a 1,000-analysis report is read with a quarter less work.
    return Markdown("\n" + "\n".join(lines) + "\n")


def figure(
    path: str,
    caption: str,
    label: str,
    *,
    width: str | None = None,
    alt: str | None = None,
) -> Markdown:
    """A figure alone in its paragraph: ``![caption](path){#fig-x width=80% fig-alt="..."}``.

    Parameters
    ----------
    path
        Image path relative to the report's folder, ``/`` separators, letters,
        digits, ``.``, ``_`` and ``-`` only. SVG is the
        best choice for both outputs: vector in the HTML and in Typst's PDF.
    caption
        Caption text; "Figure N: " is put in front when rendered.
    label
        Cross-reference label, ``fig-...``; cite it as ``@fig-...``.
    width
        Optional width such as ``"80%"``.
    alt
        Optional alternative text: what the image shows, for a reader who cannot see
        it (Quarto's ``fig-alt``; the caption is read as well, so it need not repeat
        it). Plain text, kept literal; white space is folded to single spaces.

    References
    ----------
    Pandoc User's Guide, "Extension: implicit_figures"; Quarto, "Figures" (alt text);
    W3C, WCAG 2.2, success criterion 1.1.1 "Non-text content".
    """
    _check_label(label, "fig")
    # Pandoc percent-encodes other characters in a link target (a space becomes
    # %20), so only names that need no encoding are accepted.
    if not _PATH.match(path):
        raise ValueError(
            f"figure path {path!r} must be relative and use only letters, digits, "
            "'.', '_', '-' and '/' separators"
        )
    caption_md = _inline(caption)
    if not caption_md.strip():
        raise ValueError(f"figure {label} needs a caption (Quarto numbers captioned figures only)")
    attrs = [f"#{label}"]
    if width is not None:
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?(%|px|cm|mm|in|pt|em)", width):
            raise ValueError(f"figure width {width!r} must look like '80%' or '12cm'")
        attrs.append(f"width={width}")
    if alt is not None and alt.strip():
        # An attribute value is read literally but for a backslash before a quote or
        # a backslash; no other Markdown applies inside it.
        value = " ".join(alt.split()).replace("\\", "\\\\").replace('"', '\\"')
        attrs.append(f'fig-alt="{value}"')
    return Markdown(f"![{caption_md}]({path}){{{' '.join(attrs)}}}\n")


def callout(kind: str, title: str, body: str) -> Markdown:
    """A Quarto callout block; the pandoc path draws it with the same look.

    The title goes in a heading as the callout's first element (Quarto's second
    documented form), so it can hold escaped text of any kind, which an
    attribute value ``title="..."`` could not.

    Parameters
    ----------
    kind
        ``"note"``, ``"tip"``, ``"warning"``, ``"important"`` or ``"caution"``.
    title
        Title text (plain, or :class:`Markdown`).
    body
        Body text: plain text is escaped into one paragraph; :class:`Markdown`
        may hold several paragraphs, lists and so on.

    References
    ----------
    Quarto documentation, "Callout Blocks".
    """
    if kind not in _CALLOUT_KINDS:
        raise ValueError(f"callout kind {kind!r}; use one of {_CALLOUT_KINDS}")
    text = body if isinstance(body, Markdown) else escape(body)
    # The fence must be longer than any fence inside the body to enclose it.
    inner = [len(m.group(0)) for m in re.finditer(r"(?m)^:{3,}", text)]
    fence = ":" * max([3] + [n + 1 for n in inner])
    return Markdown(
        f"{fence} {{.callout-{kind}}}\n## {_inline(title)}\n\n{text.strip()}\n{fence}\n"
    )


NBSP = "\u00a0"

# A statistic's symbol, its relation and its value read as one: "k = 2", "p < 0.001"
# ("\\<" in Markdown), "I² = 0%", "τ² = 0.12", "n = 45", "df = 1". The symbol
# stands alone (not "step = 2"), perhaps in emphasis ("*p* = 0.03").
_STATISTIC = re.compile(
    r"(?<![\w\\])(\*?(?:[knNpQ]|df|I²|τ²)\*?) (=|\\[<>]|[≤≥≈]) (?=\S)"
)
_ET_AL = re.compile(r"(?<![\w\\])et al\.")
# An interval's or a range's numbers, and a number and its unit, read as one. A line
# broke inside "95% | CI", between "−1.28 to | −0.91" and "0 | to 10 scale", and after
# "8 | weeks". "95% CI" is bound to the interval's first number; "to" to the second
# (an interval of decimals may still break before "to", which a narrow column needs);
# a short range of whole numbers ("0 to 10", "1 to 12") is bound whole. A number is
# a run of digits, perhaps with decimals, after a minus sign (U+2212, or "-"), and not
# the end of a word ("Cochrane2023 to").
_NUMBER = r"[−-]?\d+(?:\.\d+)?"
_CI = re.compile(rf"(?<![\w.])(\d+(?:\.\d+)?%) CI(?: (?={_NUMBER}\b))?")
_WHOLE_RANGE = re.compile(r"(?<![\w.,−-])(\d{1,3}) to (?=\d{1,3}(?!\d)(?![.,]\d))")
_RANGE = re.compile(rf"(?<![\w.])({_NUMBER}) to (?={_NUMBER}\b)")
_UNIT = re.compile(
    r"(?<![\w.,−-])([−-]?\d+(?:[.,]\d+)*%?) "
    r"(?=(?:weeks?|months?|days?|years?|hours?|minutes?|sessions?|participants?|patients?"
    r"|people|points?|trials?|studies|study|reviews?|analyses|analysis|rows?|mm|cm)\b)"
)
# What is left as it is: fenced blocks (code, raw Typst), inline code (a backtick run
# closed by a run of the same length), maths, and YAML front matter.
_KEEP_AS_IS = re.compile(
    r"\A---\n.*?\n(?:---|\.\.\.)\n"
    r"|^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[`~]*[ \t]*$"
    r"|(?<![\\`])(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)*?(?<!`)(?P=ticks)(?!`)"
    r"|(?<!\\)\$\$.*?\$\$|(?<![\\$])\$(?=\S)[^$\n]*?(?<=\S)\$",
    re.DOTALL | re.MULTILINE,
)



#: The class of a fenced div whose paragraphs stay on the page of what follows them.
KEEP_WITH_NEXT = "keep-with-next"


def keep_with_next(body: str) -> Markdown:
    """``body`` in a fenced div that the PDF keeps on one page with the block after it.

    A section's short lead-in (which analysis, which direction favours whom) was left
    with its heading at the foot of a page, its substance (a callout, a paragraph) on
    the next. Typst holds a heading to what follows it, but not paragraphs; the
    report's Lua filter sets this div as a sticky block (Typst's "keep with next").
    Quarto, and pandoc's HTML, read it as a plain ``<div class="keep-with-next">``
    (the style sheet asks a printer not to break after it), so the text is the same
    in every output.

    Parameters
    ----------
    body
        The lead-in: plain text is escaped into one paragraph; :class:`Markdown` may
        hold several paragraphs. Keep it to a few lines: when the block after it does
        not start on this page, the whole lead-in moves to the next one with it.

    References
    ----------
    Pandoc User's Guide, "Extension: fenced_divs"; Typst reference, ``block.sticky``.
    """
    text = body if isinstance(body, Markdown) else escape(body)
    inner = [len(m.group(0)) for m in re.finditer(r"(?m)^:{3,}", text)]
    fence = ":" * max([3] + [n + 1 for n in inner])
    return Markdown(f"{fence} {{.{KEEP_WITH_NEXT}}}\n{text.strip()}\n{fence}\n")

def _join_statistics(text: str) -> str:
    text = _STATISTIC.sub(lambda m: f"{m.group(1)}{NBSP}{m.group(2)}{NBSP}", text)
    text = _CI.sub(lambda m: f"{m.group(1)}{NBSP}CI" + (NBSP if m.group(0).endswith(" ") else ""), text)
    text = _WHOLE_RANGE.sub(rf"\1{NBSP}to{NBSP}", text)
    text = _RANGE.sub(rf"\1 to{NBSP}", text)
    text = _UNIT.sub(rf"\1{NBSP}", text)
    return _ET_AL.sub(f"et{NBSP}al.", text)


def keep_together(text: str) -> Markdown:
    r"""``text`` with non-breaking spaces where a line break would split what is read as one.

    A line broke between a statistic's parts ("k | = 2", "p | < 0.001"), inside
    "et | al.", inside an interval ("95% | CI", "−1.28 to | −0.91") or a range
    ("0 | to 10 scale") and between a number and its unit ("8 | weeks"). Joined by
    U+00A0, which pandoc writes as a non-breaking space in the HTML and as ``~`` in
    Typst, are: a statistic's symbol, its relation and its value ("k = 2", "n = 45",
    "df = 1", "p < 0.001", "I² = 0%", "τ² = 0.12", emphasised or not); "et al."; "95% CI"
    and the interval's first number; "to" and the number after it; the whole of a short
    range of whole numbers ("0 to 10", "1 to 12"); a number and a unit after it (weeks,
    months, participants, points, trials, studies, ...). An interval of decimals may
    still break before "to", which a narrow table column needs. Inline code, fenced
    blocks (code and raw Typst), maths and the YAML front matter are left as they are.
    For a whole report, once, where it is assembled.

    Examples
    --------
    >>> keep_together("pooled, k = 2; p \\< 0.001 (Yuan et al. 2016), `k = 2`")
    'pooled, k\xa0=\xa02; p\xa0\\<\xa00.001 (Yuan et\xa0al. 2016), `k = 2`'
    >>> keep_together("MD −0.51 (95% CI −1.39 to 0.37) points on the 0 to 10 scale")
    'MD −0.51 (95%\xa0CI\xa0−1.39 to\xa00.37) points on the 0\xa0to\xa010 scale'
    """
    out = []
    start = 0
    for match in _KEEP_AS_IS.finditer(text):
        out.append(_join_statistics(text[start : match.start()]))
        out.append(match.group(0))
        start = match.end()
    out.append(_join_statistics(text[start:]))
    return Markdown("".join(out))


def meta_string(text: str) -> str:
    """A YAML double-quoted scalar holding ``escape(text)``, for front matter.

    Pandoc reads metadata strings as Markdown, so a title taken from data needs
    the same escaping as body text; JSON string syntax is valid YAML.
    """
    return json.dumps(str(escape(text)), ensure_ascii=False)


_PLAIN = re.compile(r"\\(.)|\*\*(.+?)\*\*|`([^`]*)`|@tbl-([\w-]+)")


def plain(text: str) -> str:
    """Markdown of this module's making as a terminal shows it: no backslash escapes,
    emphasis or code marks, and ``@tbl-x`` references named as the report's tables. One
    pass, so that an escaped character stays the character it was (``a\\@tbl-b`` is
    "a@tbl-b", not a reference)."""
    def one(m: re.Match[str]) -> str:
        escaped, strong, code, table_ref = m.groups()
        if escaped is not None:
            return escaped
        if strong is not None:
            return plain(strong)
        if code is not None:
            return code
        return f"the report's table {table_ref}"

    return _PLAIN.sub(one, text)


#: A line of What changed that opens with what it is about by its title and its id:
#: "Acupuncture vs Sham: pain, short term (`acu_vs_sham`): ...", "New analysis ... (`b`):
#: ...", "Indirect comparison of ... (`x`), still ...: ...", "Claim “...” (`c`): ...". The
#: words before a title that say what the id is are kept with it.
_NAMED_LINE = re.compile(r"^(?P<lead>New (?:analysis )?|Claim )?[^`]*? \(`(?P<id>[^`]+)`\)(?=[:,])")


#: A number with its interval, as What changed gives an effect that is new ("0.17 (−0.05 to
#: 0.39)") or gone ("was SMD 0.15, −1.18 to 1.48").
_NUMBER_AND_INTERVAL = re.compile(r"\d\.\d+ to [\u2212-]?\d")


def _outside(text: str, sep: str) -> list[int]:
    """Where ``sep`` occurs in ``text`` outside brackets and curly quotation marks: a
    study's effect "(0.30, −0.10 to 0.70)" and a quoted explanation hold commas and
    semicolons of their own."""
    depth, at = 0, []
    for i, char in enumerate(text):
        if char in "(\u201c":
            depth += 1
        elif char in ")\u201d" and depth:
            depth -= 1
        elif not depth and text.startswith(sep, i):
            at.append(i)
    return at


def _cut_words(text: str, room: int) -> str:
    """``text`` in at most ``room`` characters, cut at a word with an ellipsis."""
    if len(text) <= room:
        return text
    cut = text[:room - 1]
    return (cut[:cut.rfind(" ")] if " " in cut else cut).rstrip(" ;,:") + "\u2026"


def _before_open_quote(cut: str) -> str:
    """``cut`` (a clause cut with an ellipsis, :func:`_cut_words`) or, where the cut falls
    within a quotation, the words before that quotation with the ellipsis; "" if the
    quotation opens the clause."""
    opened = [i for i, c in enumerate(cut) if c == "\u201c"]
    closed = cut.count("\u201d")
    if len(opened) <= closed:
        return cut
    start = opened[closed]
    return cut[:start].rstrip(" ;,:") + " \u2026" if cut[:start].strip() else ""


def terminal_line(line: str, width: int = 240) -> str:
    """One item of "What changed" as the end of a build prints it: plain text
    (:func:`plain`) that leads with the change and never cuts it.

    The item's clauses (parted by semicolons outside brackets and quotations, after its
    first colon) are reordered so that those the report flags in bold (a conclusion, a
    direction, a certainty, a status or a verdict changed) come first. Where the line is
    longer than ``width``, the name is shortened to its id ("`acu_vs_sham`" for
    "Acupuncture vs Sham: pain, short term (`acu_vs_sham`)"), then the clauses that are
    neither flagged nor give a number ("a → b", an effect with its interval) are cut, at a
    word, with an ellipsis, and those after the cut left out: the line cut at ``width`` lost the very conclusion, or the new value,
    that the print is for, while the title that took the room is in the report.
    """
    text = line.removesuffix(".")
    stop = "." if line.endswith(".") else ""
    named = _NAMED_LINE.match(text)
    full, short = (text[:named.end()], (named["lead"] or "") + f"`{named['id']}`") if named else ("", "")
    rest = text[len(full):]
    colon = _outside(rest, ": ")
    if not colon:
        said_all = plain(line)
        return said_all if len(said_all) <= width else _cut_words(said_all, width)
    head, body = rest[:colon[0] + 2], rest[colon[0] + 2:]
    cuts = [0, *(i + 2 for i in _outside(body, "; ")), len(body) + 2]
    clauses = [body[a:b - 2] for a, b in itertools.pairwise(cuts)]
    flagged = [c for c in clauses if "**" in c]
    clauses = flagged + [c for c in clauses if "**" not in c]

    def said(name: str, shown: list[str]) -> str:
        return plain(name + head) + "; ".join(shown) + stop

    whole = [plain(c) for c in clauses]
    for name in (full, short):
        if len(said(name, whole)) <= width:
            return said(name, whole)
    kept = ["**" in c or "\u2192" in c or bool(_NUMBER_AND_INTERVAL.search(c)) for c in clauses]
    room = width - len(said(short, [w for w, k in zip(whole, kept) if k]))
    shown = []
    for w, k in zip(whole, kept):
        if k:
            shown.append(w)
        elif room > len(w) + 2:
            shown.append(w)
            room -= len(w) + 2
        elif room > 20:
            # The rest of the room, to the end of a word; nothing of the clauses after it.
            # Not within a quotation: a quoted reason already holds the report's own
            # ellipses ("…against usual…"), and one more read as garbled text.
            cut = _before_open_quote(_cut_words(w, room - 2))
            if cut:
                shown.append(cut)
            room = 0
        else:
            room = 0
    if len(shown) < len(whole) and not (shown and shown[-1].endswith("\u2026")):
        shown.append("\u2026")
    # No full stop after an ellipsis, which it would make four dots.
    return said(short, shown).removesuffix(stop) if shown[-1].endswith("\u2026") else said(short, shown)


def changes_note(lines: Sequence[str], *, limit: int = 6, width: int = 240) -> str:
    """What the end of a build prints of the report's "What changed" section ("" when
    nothing changed): its first ``limit`` items, each as :func:`terminal_line` prints it
    in about ``width`` characters, leading with a changed conclusion and never cutting it
    nor a new number, so that it is seen where the build is run. The items on consistency
    warnings are left to the note that follows it
    (:func:`metareview.checks.warnings_note`), which gives them in full."""
    lines = [line for line in lines if not line.startswith(("New consistency warning", "Consistency warning"))]
    if not lines:
        return ""
    out = ["What changed since the last build (the report's first section):"]
    for line in lines[:limit]:
        out.append(f"  - {terminal_line(line, width)}")
    if len(lines) > limit:
        out.append(f"  ... and {len(lines) - limit} more")
    return "\n".join(out)
