"""Rendering the report: the offline path (pandoc + Typst) end to end, and the
Quarto path's plumbing with a stand-in ``quarto`` command.

The sample (``data/sample.qmd``) holds every construct the real report uses: an
SVG and a PNG figure, a pipe table with a caption, callouts with both kinds of
title, cross-references, a footnote, display maths, and study names that are
hostile in Markdown, HTML and Typst (``<script>``, ``#set page(width: 1cm)``,
``@x``, ``$x$``) or need a CJK font.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from metareview.markdown import Markdown, callout, escape, figure, heading, keep_with_next, table
from metareview.render import (
    PANDOC_RTS_OPTIONS,
    SUPPORT_DIR,
    Renderer,
    RenderError,
    RenderInterrupted,
    cjk_font_files,
    contains_cjk,
    detect_renderer,
    font_folders,
    format_arguments,
    matplotlib_font_dir,
    name_footnote_back_links,
    pandoc_commands,
    pandoc_environment,
    pdf_standards,
    publish_report,
    quarto_commands,
    render_report,
)
from metareview.report.base import APPENDIX_TABLE_BUDGET

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("pypandoc")
pytest.importorskip("typst")

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "sample.qmd"
EPOCH = 1_700_000_000
# ISO 216 A4 in PostScript points (1 pt = 1/72 in).
A4 = (210 / 25.4 * 72, 297 / 25.4 * 72)

# The sample report holds a CJK name, which only a CJK font can typeset: without one the
# offline renderer refuses it (it would print empty boxes). .ci/run installs one, and sets
# METAREVIEW_REQUIRE_CJK_FONT=1 so that a font missing there fails instead of skipping.
NO_CJK_FONT = not cjk_font_files() and os.environ.get("METAREVIEW_REQUIRE_CJK_FONT") != "1"
NO_CJK_FONT_REASON = ("no CJK font on this machine (Debian: apt-get install fonts-noto-cjk, as .ci/run does): the "
                      "sample's CJK name cannot be typeset")
needs_cjk_font = pytest.mark.skipif(NO_CJK_FONT, reason=NO_CJK_FONT_REASON)

HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "#set page(width: 1cm)",
    "Smith @x 2020",
    "Cost $x$ per patient",
    "王小明 et al. (2019)",
    "Cluster | randomised trial",
    "Dose 5 mg * 2",
    "1. first -- then _second_",
]


def flat(text: str) -> str:
    """Whitespace folded, non-breaking spaces included (Typst writes "Figure\\xa01")."""
    return " ".join(text.split())


_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class Page(HTMLParser):
    """The text of an HTML page, its elements, links and class texts.

    The text is what a screen reader reads; with ``seen=True``, what a sighted reader
    sees: without the text of "visually-hidden" elements (a callout's kind).
    """

    def __init__(self, html: str, seen: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self._seen = seen
        self.tags: set[str] = set()
        self.links: list[tuple[str, str]] = []
        self.sources: list[str] = []
        self.classes: dict[str, list[str]] = {}  # class -> text of each element with it
        self.elements: list[tuple[str, dict, str]] = []  # (tag, attributes, text), as closed
        self._text: list[str] = []
        self._open: list[tuple[str, dict, int]] = []
        self._skip = 0
        self.feed(html)
        self.close()
        self.text = flat("".join(self._text))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag in ("img", "script", "link", "iframe"):
            self.sources.append(attrs.get("src") or attrs.get("href") or "")
        if tag in ("style", "title", "script") or self._unseen(attrs):
            self._skip += 1
        if tag not in _VOID:
            self._open.append((tag, attrs, len(self._text)))

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if tag in ("style", "title", "script"):
            self._skip -= 1
        while self._open:
            open_tag, attrs, start = self._open.pop()
            if self._unseen(attrs):
                self._skip -= 1
            inner = flat("".join(self._text[start:]))
            self.elements.append((open_tag, attrs, inner))
            for cls in (attrs.get("class") or "").split():
                self.classes.setdefault(cls, []).append(inner)
            if open_tag == "a" and (attrs.get("href") or "").startswith("#"):
                self.links.append((attrs["href"], inner))
            if open_tag == tag:
                break

    def _unseen(self, attrs: dict) -> bool:
        return self._seen and "visually-hidden" in (attrs.get("class") or "").split()

    def handle_data(self, data):
        if not self._skip:
            self._text.append(data)

    def by_id(self, ident: str) -> tuple[str, dict, str]:
        """The one element whose id is ``ident``."""
        found = [element for element in self.elements if element[1].get("id") == ident]
        assert len(found) == 1, (ident, found)
        return found[0]

    def with_role(self, role: str) -> list[tuple[str, dict, str]]:
        """The elements of ``role``, in the order they close (inner before outer)."""
        return [element for element in self.elements if element[1].get("role") == role]


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return flat(" ".join(page.extract_text() for page in reader.pages))


def pdf_fonts(path: Path) -> set[str]:
    return set(pdf_font_programs(path))


def pdf_font_programs(path: Path) -> dict[str, bytes | None]:
    """Each font of the PDF (pages and the SVG figures' form XObjects): its base
    name without the subset tag, and its embedded TrueType program if any."""
    found: dict[str, bytes | None] = {}

    def visit(resources) -> None:
        resources = resources.get_object()
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            program = None
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                program = descriptor.get_object()["/FontFile2"].get_object().get_data()
            found[str(font["/BaseFont"]).split("+")[-1]] = program
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if "/Resources" in xobject:
                visit(xobject["/Resources"])

    for page in pypdf.PdfReader(path).pages:
        visit(page["/Resources"])
    return found


def font_revision(program: bytes) -> float:
    """fontRevision of a TrueType font's head table (OpenType spec, 'head')."""
    (count,) = struct.unpack(">H", program[4:6])
    for index in range(count):
        tag, _checksum, offset, _length = struct.unpack(
            ">4sIII", program[12 + 16 * index : 28 + 16 * index]
        )
        if tag == b"head":
            return struct.unpack(">i", program[offset + 4 : offset + 8])[0] / 65536
    raise ValueError("no head table")


def with_font_revision(program: bytes, revision: float) -> bytes:
    """The same font claiming another version: a stand-in for a system's DejaVu."""
    (count,) = struct.unpack(">H", program[4:6])
    for index in range(count):
        tag, _checksum, offset, _length = struct.unpack(
            ">4sIII", program[12 + 16 * index : 28 + 16 * index]
        )
        if tag == b"head":
            patched = struct.pack(">i", round(revision * 65536))
            return program[: offset + 4] + patched + program[offset + 8 :]
    raise ValueError("no head table")


#: An SVG as matplotlib writes it with svg.fonttype "none": text as text, in DejaVu Sans.
SVG_WITH_TEXT = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="40pt" viewBox="0 0 200 40">
  <text style="font-size: 12px; font-family: 'DejaVu Sans'" x="10" y="25">{text}</text>
</svg>
"""


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return detect_renderer("pandoc")


@pytest.fixture(scope="module")
def rendered(renderer, tmp_path_factory):
    if NO_CJK_FONT:
        pytest.skip(NO_CJK_FONT_REASON)
    out = tmp_path_factory.mktemp("rendered")
    return render_report(SAMPLE, out, renderer=renderer, source_date_epoch=EPOCH)


@pytest.fixture(scope="module")
def page(rendered) -> Page:
    return Page(rendered.html.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pdf(rendered) -> str:
    return pdf_text(rendered.pdf)


def copy_sample(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(DATA, src)
    return src / "sample.qmd"


def write_qmd(folder: Path, body: str, title: str = "Small report") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    qmd = folder / "small.qmd"
    qmd.write_text(f'---\ntitle: "{title}"\n---\n\n{body}\n', encoding="utf-8")
    return qmd


# --- the renderer ----------------------------------------------------------------------


def test_offline_renderer_reports_its_tools(renderer):
    import pypandoc

    assert renderer.name == "pandoc+typst"
    assert renderer.versions["pandoc"] == pypandoc.get_pandoc_version()
    assert renderer.versions["typst"].count(".") == 2
    assert renderer.description == (
        f"pandoc {renderer.versions['pandoc']} + Typst {renderer.versions['typst']} (offline path)"
    )


def test_outputs_are_named_after_the_source_and_nothing_else_is_left(rendered):
    assert rendered.html.name == "sample.html" and rendered.pdf.name == "sample.pdf"
    assert sorted(p.name for p in rendered.html.parent.iterdir()) == [
        "sample.html",
        "sample.pdf",
    ]


# --- HTML ----------------------------------------------------------------------------


def test_html_holds_the_names_as_text_and_no_injected_elements(page):
    for name in HOSTILE_NAMES:
        assert flat(name) in page.text
    # The study called <script> is text: the page has no script (or bold) element.
    assert "script" not in page.tags
    assert "b" not in page.tags
    assert "Names from the data: <b>bold?</b> @x $y$" in page.text


def test_html_numbers_figures_and_tables_and_links_the_references(page):
    assert ("#fig-forest", "Figure 1") in page.links
    assert ("#tbl-studies", "Table 1") in page.links
    assert ("#fig-raster", "Figure 2") in page.links
    # [-@tbl-studies] is the number alone.
    assert ("#tbl-studies", "1") in page.links
    assert "Figure 1: Forest plot of the sample studies with the pooled estimate in red" in (
        page.text
    )
    assert "Figure 2: A raster figure, to check PNG images" in page.text
    assert "Table 1: Included studies, with names taken verbatim from the data" in page.text
    assert "@fig-forest" not in page.text and "@tbl-studies" not in page.text


def test_html_callouts_footnote_and_maths(page):
    # A screen reader reads the kind first, which sighted readers tell by colour and icon.
    assert page.classes["callout-header"] == [
        "Warning: Few studies",
        "Note: Names from the data: <b>bold?</b> @x $y$",
    ]
    assert "callout-warning" in page.classes and "callout-note" in page.classes
    assert "With" in page.classes["footnotes"][0]
    assert "math" in page.tags


def test_html_footnote_back_links_are_named_and_still_show_the_arrow(page, rendered, tmp_path):
    # A screen reader read the back-link as "↩︎" (an arrow, or nothing): its name says
    # where it goes, and the arrow is what a sighted reader sees, as before.
    backs = [(attrs, text) for tag, attrs, text in page.elements if "footnote-back" in attrs.get("class", "")]
    assert [(a["href"], a.get("aria-label"), text) for a, text in backs] == [
        ("#fnref1", "Back to note reference 1", "\u21a9\ufe0e")
    ]
    # Each note's link names its own number, whatever pandoc's line wrapping did.
    html = tmp_path / "notes.html"
    html.write_text(
        pandoc_html("One.[^a] Two.[^b] Three.[^c]\n\n[^a]: A.\n\n[^b]: B.\n\n[^c]: C\n\n    more.\n", tmp_path),
        encoding="utf-8",
    )
    name_footnote_back_links(html)
    notes = Page(html.read_text(encoding="utf-8"))
    named = [(a["href"], a.get("aria-label")) for tag, a, _ in notes.elements if a.get("role") == "doc-backlink"]
    assert named == [(f"#fnref{n}", f"Back to note reference {n}") for n in (1, 2, 3)]
    # The note marks they lead back to carry those numbers.
    assert [text for _, text in notes.links if text in ("1", "2", "3")] == ["1", "2", "3"]
    # A page without notes is left as it is.
    plain = tmp_path / "plain.html"
    plain.write_text("<p>No notes, a <a href=\"#fnref1\">link</a>.</p>", encoding="utf-8")
    name_footnote_back_links(plain)
    assert plain.read_text(encoding="utf-8") == "<p>No notes, a <a href=\"#fnref1\">link</a>.</p>"


def test_html_callouts_are_notes_named_by_their_titles_not_headings(tmp_path):
    html = pandoc_html(
        "## Results {#callout-title}\n\n"
        '::: {.callout-note title="Not pooled"}\nOne study.\n:::\n\n'
        "::: {.callout-important #nte-own}\n## Heading title\n\nBody.\n:::\n\n"
        "::: {.callout-warning}\nNo title.\n:::\n\n"
        '::: {.callout-note title="Not pooled"}\nAgain.\n:::\n\nThe section goes on.\n',
        tmp_path,
    )
    page = Page(html, seen=True)
    # A callout is an aside to its section: a heading would take "The section goes on."
    # under it. Each is a note, named by its visible title; the title given as a
    # heading is no heading any more.
    assert re.findall(r"<h\d", html) == ["<h2"]
    notes = page.with_role("note")
    titles = [page.by_id(attrs["aria-labelledby"]) for _, attrs, _ in notes]
    assert [text for _, _, text in titles] == ["Not pooled", "Heading title", "Warning", "Not pooled"]
    assert all("callout-header" in attrs["class"] for _, attrs, _ in titles)
    assert [attrs["class"].split()[1] for _, attrs, _ in notes] == [
        "callout-note", "callout-important", "callout-warning", "callout-note"]
    # The titles' ids are new: not the heading's (pandoc's auto identifier) nor each other's.
    ids = [attrs["id"] for _, attrs, _ in page.elements if "id" in attrs]
    assert len(ids) == len(set(ids)) == 6
    assert notes[1][1]["id"] == "nte-own"


def test_pdf_callout_titles_stay_out_of_the_outline_as_in_the_html(rendered):
    # The PDF reads a callout's title as its first line of text, as the HTML's note
    # names its box: in neither is it a heading (Typst has no tag for a note).
    reader = pypdf.PdfReader(rendered.pdf)
    pdf = flat(pdf_text(rendered.pdf))
    assert "Few studies" in pdf
    assert "Few studies" not in [flat(item.title) for item in reader.outline if not isinstance(item, list)]


# Titles against each kind: given, as a heading, none, and some that start with a kind's
# name ("Warnings ..." does not: a longer word).
KINDS_BODY = (
    '::: {.callout-note title="Not pooled"}\nOne study.\n:::\n\n'
    "::: {.callout-important}\n## Heading title\n\nBody.\n:::\n\n"
    "::: {.callout-warning}\nNo title.\n:::\n\n"
    '::: {.callout-caution title="Warning: mixed scales"}\nBody.\n:::\n\n'
    '::: {.callout-warning title="warning: low power"}\nBody.\n:::\n\n'
    '::: {.callout-warning title="Warnings in the data"}\nBody.\n:::\n\n'
    '::: {.callout-tip title="Check `yi`"}\nBody.\n:::\n'
)
# What a screen reader is to say: the kind first, unless the title starts with it.
KINDS_READ = ["Note: Not pooled", "Important: Heading title", "Warning", "Caution: Warning: mixed scales",
              "warning: low power", "Warning: Warnings in the data", "Tip: Check yi"]
KINDS_SEEN = ["Not pooled", "Heading title", "Warning", "Warning: mixed scales", "warning: low power",
              "Warnings in the data", "Check yi"]


def test_made_up_ids_avoid_every_identifier_the_document_gives(tmp_path):
    # The filter notes the blocks' identifiers without entering their text, and the
    # spans' where it walks the text: a span in a paragraph or a table cell, and a
    # heading inside a div, all keep their ids, and the callout's title takes the next.
    html = pandoc_html(
        "Text with [a span]{#callout-title} in it.\n\n"
        "| a |\n|---|\n| [cell]{#callout-title-2} |\n\n"
        "::: {#outer}\n## Deep {#callout-title-3}\n:::\n\n"
        '::: {.callout-note title="One"}\nBody.\n:::\n',
        tmp_path,
    )
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert {"callout-title", "callout-title-2", "callout-title-3", "callout-title-4"} <= set(ids)
    assert 'aria-labelledby="callout-title-4"' in html


def test_html_callouts_tell_a_screen_reader_their_kind_and_show_the_title_alone(tmp_path):
    # Sighted readers tell a warning from a note by its colour and icon; a screen reader
    # read each as "note" and its title. The kind is text before the title, hidden from
    # sight (as Quarto's HTML has it), so it names the note and is read with the title.
    html = pandoc_html(KINDS_BODY, tmp_path)
    heard, seen = Page(html), Page(html, seen=True)
    names = [heard.by_id(attrs["aria-labelledby"])[2] for _, attrs, _ in heard.with_role("note")]
    assert names == KINDS_READ
    assert [seen.by_id(attrs["aria-labelledby"])[2] for _, attrs, _ in seen.with_role("note")] == KINDS_SEEN
    hidden = [text for tag, attrs, text in heard.elements if "visually-hidden" in attrs.get("class", "")]
    assert hidden == ["Note:", "Important:", "Caution:", "Warning:", "Tip:"]
    # Hidden from sight only: display: none or visibility: hidden would hide it from a
    # screen reader too, and a box in the header's flex row would move the title.
    rule = css_rule(".visually-hidden")
    assert "position: absolute" in rule and "clip-path: inset(50%)" in rule and "overflow: hidden" in rule
    assert not re.search(r"display:\s*none|visibility:\s*hidden|aria-hidden", rule)


def chromium_measure(chromium: str, html: Path, probe: str, tmp_path: Path,
                     window: tuple[int, int] | None = None) -> Any:
    """What ``probe`` (markup put before ``</body>``: a script that stores JSON in
    ``document.body.dataset.measure``) measured in ``html`` as headless Chromium lays it
    out, with each element's computed accessible role and name available to it; in a
    window of ``window`` (width, height) CSS px if given (500 px wide at least)."""
    import html as html_module
    import json

    page = tmp_path / "probe.html"
    page.write_text(html.read_text(encoding="utf-8").replace("</body>", probe + "</body>"), encoding="utf-8")
    size = [f"--window-size={window[0]},{window[1]}"] if window else []
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
         *size, "--enable-blink-features=ComputedAccessibilityInfo", "--dump-dom", page.as_uri()],
        check=True, capture_output=True, text=True, timeout=300,
    ).stdout
    return json.loads(html_module.unescape(re.search(r'data-measure="([^"]*)"', dom)[1]))


def phone_frame(html: Path, tmp_path: Path, width: int, height: int) -> Path:
    """A page holding ``html`` in a frame as large as a phone's screen (``width`` x
    ``height`` CSS px): headless Chromium's window is 500 px wide at least."""
    import html as html_module

    page = tmp_path / "phone.html"
    page.write_text(
        f'<!DOCTYPE html><html><body style="margin: 0"><iframe style="width: {width}px; height: {height}px; '
        f'border: 0" srcdoc="{html_module.escape(html.read_text(encoding="utf-8"))}"></iframe></body></html>',
        encoding="utf-8")
    return page


def test_chromium_names_each_callout_by_kind_and_title_and_draws_the_title_as_before(
        renderer, tmp_path, chromium):
    out = render_report(write_qmd(tmp_path / "src", KINDS_BODY), tmp_path / "out", renderer=renderer)
    # Chromium's own accessible name of each note (element.computedName); then where each
    # header and the title's text are drawn, with the hidden kind and after removing it.
    probe = (
        "<script>addEventListener('load', () => {"
        "const notes = [...document.querySelectorAll('[role=note]')];"
        "const drawn = () => notes.map(note => { const header = note.querySelector('.callout-header');"
        "  const range = document.createRange(); range.selectNodeContents(header);"
        "  const hidden = header.querySelector('.visually-hidden'); if (hidden) range.setStartAfter(hidden);"
        "  const box = header.getBoundingClientRect(), text = range.getBoundingClientRect();"
        "  return [box.top, box.height, box.width, text.left, text.top, text.width, text.height]; });"
        "const names = notes.map(note => [note.computedRole, note.computedName]);"
        "const shown = drawn();"
        "document.querySelectorAll('.visually-hidden').forEach(span => span.remove());"
        "document.body.dataset.measure = JSON.stringify([names, shown, drawn()]); });</script>"
    )
    names, shown, without = chromium_measure(chromium, out.html, probe, tmp_path)
    assert names == [["note", flat(name)] for name in KINDS_READ]
    assert shown == without


def tagged_texts(path: Path) -> list[str]:
    """The text of each element of a tagged PDF's structure tree that holds text, in
    reading order: what a screen reader reads, without the artifacts."""
    reader = pypdf.PdfReader(path)
    marked: dict[tuple[int, int], str] = {}
    for number, page in enumerate(reader.pages):
        stack: list[int | None] = []

        def before(operator, operands, _cm, _tm, stack=stack):
            if operator == b"BDC":
                properties = operands[1]
                stack.append(properties.get("/MCID") if isinstance(properties, dict) else None)
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(found, _cm, _tm, _font, _size, stack=stack, number=number):
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if found and mcid is not None:
                marked[number, int(mcid)] = marked.get((number, int(mcid)), "") + found

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}
    texts: list[str] = []

    def resolved(node):
        return node.get_object() if isinstance(node, pypdf.generic.IndirectObject) else node

    def is_element(node) -> bool:
        node = resolved(node)
        return isinstance(node, pypdf.generic.DictionaryObject) and "/S" in node

    def visit(node, page=None) -> str:
        # A structure element's kids: marked-content ids (numbers or /MCR dictionaries)
        # on its page, and other elements; an element of text alone is a leaf.
        node = resolved(node)
        if isinstance(node, int):
            return marked.get((page, int(node)), "")
        if not isinstance(node, pypdf.generic.DictionaryObject):
            return ""
        if "/Pg" in node:
            page = pages[node.raw_get("/Pg").idnum]
        if node.get("/Type") == "/MCR":
            return marked.get((page, int(node["/MCID"])), "")
        kids = resolved(node.get("/K", pypdf.generic.ArrayObject()))
        kids = kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]
        own = " ".join(visit(kid, page) for kid in kids)
        if flat(own) and not any(map(is_element, kids)):
            texts.append(flat(own))
        return own

    visit(reader.trailer["/Root"]["/StructTreeRoot"])
    return texts


def test_pdf_callouts_tell_a_screen_reader_their_kind_and_show_the_title_alone(renderer, tmp_path):
    import typst

    out = render_report(write_qmd(tmp_path / "src", KINDS_BODY), tmp_path / "out", renderer=renderer)
    # The tagged text (PDF/UA-1) reads the kind with the title, in one element, as the
    # HTML names its note.
    texts = tagged_texts(out.pdf)
    for read in KINDS_READ:
        assert read in texts, (read, texts)
    # The page looks as it did without it: the same pixels with the kind's name left out.
    source = pandoc_typst(KINDS_BODY, tmp_path, "typst", "--standalone",
                          "--template", str(SUPPORT_DIR / "template.typst"))
    assert source.count(", kind-name: \"") == 5
    said, unsaid = tmp_path / "said.typ", tmp_path / "unsaid.typ"
    said.write_text(source, encoding="utf-8")
    unsaid.write_text(re.sub(r', kind-name: "\w+"', "", source), encoding="utf-8")
    said_png, unsaid_png = (typst.compile(str(path), format="png", ppi=150) for path in (said, unsaid))
    assert said_png == unsaid_png


def test_html_figures_scroll_in_a_box_the_keyboard_can_reach_named_by_their_caption(tmp_path):
    svg = tmp_path / "plot.svg"
    svg.write_text(SVG_WITH_TEXT.format(text="Study"), encoding="utf-8")
    page = Page(pandoc_html(
        f"See @fig-plot.\n\n![Forest plot of *two* studies]({svg}){{#fig-plot fig-alt=\"Two studies\"}}\n\n"
        f"![Unlabelled]({svg})\n\n## Figure caption {{#figure-caption}}\n",
        tmp_path,
    ))
    # As a wide table's: the image in a box that takes the focus and is named by the
    # caption, which stays outside it (the region's name, the figure's caption).
    boxes = page.with_role("region")
    assert [attrs.get("class") for _, attrs, _ in boxes] == ["figure-scroll", "figure-scroll"]
    assert all(attrs.get("tabindex") == "0" for _, attrs, _ in boxes)
    names = [page.by_id(attrs["aria-labelledby"]) for _, attrs, _ in boxes]
    assert [text for _, _, text in names] == ["Figure 1: Forest plot of two studies", "Unlabelled"]
    assert [attrs["id"] for _, attrs, _ in names] == ["fig-plot-caption", "figure-caption-2"]
    assert [text for tag, _, text in page.elements if tag == "figcaption"] == [text for _, _, text in names]
    # The image keeps its alternative text and the box holds nothing else.
    assert "Two studies" not in [text for _, _, text in boxes]
    assert "figure-scroll" in page.classes


def test_html_drawings_keep_their_drawn_width_and_scroll_at_320_px(renderer, tmp_path, chromium):
    # WCAG 1.4.10: at 320 CSS px a forest plot fitted to the column had labels under
    # 5 px. A plot drawn 453.543 pt wide (16 cm) is 453.543 * 96 / 72 = 604.72 px.
    src = tmp_path / "src"
    (src / "figures").mkdir(parents=True)
    wide = SVG_WITH_TEXT.format(text="Study").replace('width="200pt"', 'width="453.543pt"').replace(
        'viewBox="0 0 200 40"', 'viewBox="0 0 453.543 40"')
    (src / "figures" / "plot.svg").write_text(wide, encoding="utf-8")
    qmd = write_qmd(src, figure("figures/plot.svg", "A wide plot", "fig-plot", alt="A plot of one study"))
    out = render_report(qmd, tmp_path / "out", renderer=renderer)
    # Headless Chromium keeps its window 500 px wide at least: the body is made 320 px
    # wide instead, which is what the column's width follows (the sheet has no media
    # query on the width), and a script writes what it measured into the page.
    measure = (
        "<style>body { width: 320px; }</style><script>document.body.dataset.measure = JSON.stringify(["
        "document.querySelector('figure img').getBoundingClientRect().width,"
        "document.querySelector('div.figure-scroll').clientWidth,"
        "document.querySelector('div.figure-scroll').scrollWidth,"
        "document.querySelector('main').scrollWidth, document.querySelector('main').clientWidth])</script>"
    )
    image, box, scrolled, main_scroll, main_width = chromium_measure(chromium, out.html, measure, tmp_path)
    assert image == pytest.approx(453.543 * 96 / 72, abs=0.5)
    # The column is 320 px less its padding (1.25rem of 17 px each side): 277.5 px.
    assert box == pytest.approx(320 - 2 * 1.25 * 17, abs=1)
    assert scrolled == pytest.approx(image, abs=1)
    # The box scrolls; the page does not.
    assert main_scroll == main_width
    # On paper the drawing fits the column again (the print rules).
    assert "overflow: visible" in css_rule("div.table-wrapper, div.sourceCode, pre, div.figure-scroll")


def test_html_is_self_contained(page):
    assert page.sources, "expected the two figures"
    for source in page.sources:
        assert source.startswith("data:"), source
    assert "link" not in page.tags


def test_html_embeds_style_and_images_without_pandocs_embed_resources(rendered, tmp_path):
    import base64

    html = rendered.html.read_text(encoding="utf-8")
    # The template includes report.css itself, and the filter writes the images.
    assert "main.content {" in html and "<style" in html
    svg = (DATA / "figures" / "forest.svg").read_bytes()
    png = (DATA / "figures" / "raster.png").read_bytes()
    assert "data:image/svg+xml;base64," + base64.b64encode(svg).decode() in html
    assert "data:image/png;base64," + base64.b64encode(png).decode() in html
    html_command = pandoc_commands("pandoc", SAMPLE, tmp_path / "a.html", tmp_path / "a.typ")[0]
    assert "--embed-resources" not in html_command


def test_an_image_type_the_html_cannot_embed_is_an_error(renderer, tmp_path):
    qmd = write_qmd(tmp_path / "src", "![Scan](figures/scan.tiff){#fig-scan}")
    (qmd.parent / "figures").mkdir()
    (qmd.parent / "figures" / "scan.tiff").write_bytes(b"II*\x00")
    with pytest.raises(RenderError, match=r"image type not supported in the HTML.*scan\.tiff"):
        render_report(qmd, tmp_path / "out", renderer=renderer)


# --- PDF -----------------------------------------------------------------------------


def test_pdf_holds_the_names_as_text(pdf):
    for name in HOSTILE_NAMES:
        assert flat(name) in pdf
    assert "Names from the data: <b>bold?</b> @x $y$" in pdf


def test_pdf_resolves_cross_references_and_numbers_captions(pdf):
    assert "pooled in Figure 1;" in pdf
    assert "are listed in Table 1." in pdf
    assert "a figure is Figure 2," in pdf
    assert "alone of the table is 1." in pdf
    assert "Figure 1: Forest plot of the sample studies" in pdf
    assert "Figure 2: A raster figure" in pdf
    assert "Table 1: Included studies" in pdf
    assert "Few studies" in pdf
    assert "restricted maximum likelihood" in pdf  # the footnote
    assert "@fig" not in pdf and "@tbl" not in pdf


def test_pdf_pages_stay_a4_whatever_the_data_says(rendered):
    pages = pypdf.PdfReader(rendered.pdf).pages
    assert len(pages) >= 1
    for page in pages:
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=0.01)


def test_pdf_embeds_a_cjk_font_for_the_cjk_name(rendered):
    fonts = pdf_fonts(rendered.pdf)
    assert any("CJK" in name for name in fonts), (
        f"no CJK font in {sorted(fonts)}: install Debian fonts-noto-cjk, or the name "
        "王小明 prints as empty boxes"
    )


def test_pdf_metadata_and_creation_date(rendered):
    meta = pypdf.PdfReader(rendered.pdf).metadata
    assert meta.title == "Sample review: rendering test"
    assert meta.author == "Metareview Test Suite"
    assert meta.creation_date == datetime.fromtimestamp(EPOCH, tz=UTC)


@pytest.mark.parametrize(("authors", "expected"), [
    ("[]", []),
    ('["Ann Smith"]', ["Ann Smith"]),
    ('["Ann Smith", "Back Pain Review Group"]', ["Ann Smith", "Back Pain Review Group"]),
])
def test_the_author_list_reaches_the_pdfs_metadata_and_the_htmls(renderer, tmp_path, authors, expected):
    # The report's front matter lists the config's authors, or none: an empty list
    # made the Typst array "(,)", which failed the render.
    qmd = tmp_path / "small.qmd"
    qmd.write_text(f'---\ntitle: "Small report"\nauthor: {authors}\n---\n\nText.\n', encoding="utf-8")
    out = render_report(qmd, tmp_path / "out", renderer=renderer, source_date_epoch=EPOCH)
    meta = pypdf.PdfReader(out.pdf).metadata
    assert meta.author == (", ".join(expected) if expected else None)
    html = out.html.read_text(encoding="utf-8")
    assert re.findall(r'<meta name="author" content="([^"]*)" />', html) == expected
    assert [name in pdf_text(out.pdf) for name in expected] == [True] * len(expected)
    # The title block's label says how many there are, as Quarto's does.
    headings = Page(html).classes.get("title-meta-heading", [])
    assert ("Authors" in headings) == (len(expected) > 1) and ("Author" in headings) == (len(expected) == 1)


# --- determinism ----------------------------------------------------------------------


def test_rendering_twice_is_byte_identical(renderer, rendered, tmp_path):
    again = render_report(SAMPLE, tmp_path, renderer=renderer, source_date_epoch=EPOCH)
    assert again.html.read_bytes() == rendered.html.read_bytes()
    assert again.pdf.read_bytes() == rendered.pdf.read_bytes()


@needs_cjk_font
def test_without_a_date_the_pdf_has_none_and_is_still_reproducible(renderer, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = render_report(SAMPLE, tmp_path / "a", renderer=renderer)
    second = render_report(SAMPLE, tmp_path / "b", renderer=renderer)
    assert first.pdf.read_bytes() == second.pdf.read_bytes()
    assert pypdf.PdfReader(first.pdf).metadata.get("/CreationDate") is None


@needs_cjk_font
def test_source_date_epoch_from_the_environment(renderer, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 86_400))
    out = render_report(SAMPLE, tmp_path, renderer=renderer)
    created = pypdf.PdfReader(out.pdf).metadata.creation_date
    assert created == datetime.fromtimestamp(EPOCH + 86_400, tz=UTC)


@pytest.mark.parametrize(
    ("env", "lc_all"),
    [
        ({}, "C.UTF-8"),  # no locale at all: C, as in most containers
        ({"LC_ALL": "C", "LANG": "en_GB.UTF-8"}, "C.UTF-8"),  # LC_ALL wins over LANG
        ({"LC_ALL": "", "LC_CTYPE": "POSIX", "LANG": "en_GB.UTF-8"}, "C.UTF-8"),  # so does LC_CTYPE
        ({"LANG": "de_DE.ISO-8859-1"}, "C.UTF-8"),
        ({"LANG": "de_DE"}, "C.UTF-8"),  # glibc's de_DE is ISO-8859-1
        ({"LANG": "de_DE.UTF-8"}, None),
        ({"LC_ALL": "C.utf8"}, "C.utf8"),
        ({"LC_CTYPE": "UTF-8", "LANG": "C"}, None),  # macOS's way of saying it
        ({"LANG": "sr_RS.UTF-8@latin"}, None),
    ],
)
def test_pandoc_runs_with_a_utf8_character_type(env, lc_all):
    got = pandoc_environment(dict(env, PATH="/bin"))
    assert got.get("LC_ALL") == lc_all
    assert got["PATH"] == "/bin" and {k: v for k, v in got.items() if k != "LC_ALL"} == dict(
        {k: v for k, v in env.items() if k != "LC_ALL"}, PATH="/bin")


def _has_c_utf8() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import locale; locale.setlocale(locale.LC_ALL, '')"],
                           env=dict(os.environ, LC_ALL="C.UTF-8"), capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _has_c_utf8(), reason="this system has no C.UTF-8 locale")
def test_a_folder_with_a_non_ascii_name_renders_in_the_c_locale(renderer, tmp_path, monkeypatch):
    # pandoc opened the template by its name encoded in the locale's character set:
    # ASCII in the C locale, where "Überprüfung/" failed ("cannot encode character").
    support = tmp_path / "Überprüfung" / "render"
    shutil.copytree(SUPPORT_DIR, support)
    monkeypatch.setattr("metareview.render.SUPPORT_DIR", support)
    qmd = write_qmd(tmp_path / "Überprüfung" / "report", "Some text, ü.")
    for name in ("LC_CTYPE", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LC_ALL", "C")
    out = render_report(qmd, tmp_path / "Überprüfung" / "out", renderer=renderer, source_date_epoch=EPOCH)
    assert "Some text, ü." in out.html.read_text(encoding="utf-8")
    assert out.pdf.read_bytes().startswith(b"%PDF")


def test_a_users_pandoc_data_folder_is_not_read(renderer, rendered, tmp_path, monkeypatch):
    # pandoc reads translations and defaults from ~/.local/share/pandoc unless told
    # otherwise: a translations file lacking a term it looks up ("Abstract") made it warn,
    # which --fail-if-warnings turns into a failed render.
    data = tmp_path / "home" / ".local" / "share" / "pandoc"
    (data / "translations").mkdir(parents=True)
    (data / "templates").mkdir()
    for lang in ("en", "en-GB", "en-US"):
        (data / "translations" / f"{lang}.yaml").write_text("Figure: Abbildung\nTable: Tabelle\n", encoding="utf-8")
    for fmt in ("html", "html5", "typst"):
        (data / "templates" / f"default.{fmt}").write_text("USER TEMPLATE $body$\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    again = render_report(SAMPLE, tmp_path / "out", renderer=renderer, source_date_epoch=EPOCH)
    assert again.html.read_bytes() == rendered.html.read_bytes()
    assert again.pdf.read_bytes() == rendered.pdf.read_bytes()


# --- failures ------------------------------------------------------------------------


def test_missing_image_fails_with_a_clear_error_and_no_output(renderer, tmp_path):
    qmd = copy_sample(tmp_path)
    (qmd.parent / "figures" / "raster.png").unlink()
    out = tmp_path / "out"
    with pytest.raises(RenderError, match=r"raster\.png"):
        render_report(qmd, out, renderer=renderer, source_date_epoch=EPOCH)
    assert list(out.iterdir()) == []


@needs_cjk_font
def test_a_failed_render_keeps_the_previous_outputs(renderer, tmp_path):
    qmd = copy_sample(tmp_path)
    out = tmp_path / "out"
    good = render_report(qmd, out, renderer=renderer, source_date_epoch=EPOCH)
    before = (good.html.read_bytes(), good.pdf.read_bytes())
    qmd.write_text(qmd.read_text(encoding="utf-8") + "\nSee @fig-gone.\n", encoding="utf-8")
    with pytest.raises(RenderError):
        render_report(qmd, out, renderer=renderer, source_date_epoch=EPOCH)
    assert (good.html.read_bytes(), good.pdf.read_bytes()) == before
    assert sorted(p.name for p in out.iterdir()) == ["sample.html", "sample.pdf"]


def _stand_in(path: Path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


@pytest.mark.skipif(sys.platform == "win32", reason="shell script stand-in, POSIX signals")
@pytest.mark.usefixtures("sigint_delivered")
def test_a_pandoc_stopped_by_ctrl_c_is_reported_as_interrupted_not_as_a_failure(tmp_path):
    # Ctrl-C reaches the whole process group: pandoc dies of SIGINT, with no output.
    pandoc = _stand_in(tmp_path / "pandoc", "kill -INT $$")
    stopped = Renderer(name="pandoc+typst", description="stand-in", executable=pandoc)
    out = tmp_path / "out"
    out.mkdir()
    (out / "sample.html").write_text("previous", encoding="utf-8")
    with pytest.raises(RenderInterrupted) as caught:
        render_report(SAMPLE, out, renderer=stopped)
    message = str(caught.value)
    assert message.startswith("pandoc (") and message.endswith("was interrupted (SIGINT)"), message
    # One error, not the HTML run's with the Typst run's as its context.
    assert caught.value.__context__ is None
    assert sorted(p.name for p in out.iterdir()) == ["sample.html"]
    assert (out / "sample.html").read_text(encoding="utf-8") == "previous"
    # Another signal (a crash, the kernel's OOM killer) is no interruption.
    crashed = Renderer(name="pandoc+typst", description="stand-in",
                       executable=_stand_in(tmp_path / "pandoc-segv", "kill -SEGV $$"))
    with pytest.raises(RenderError, match=r"was killed by SIGSEGV$") as caught:
        render_report(SAMPLE, out, renderer=crashed)
    assert not isinstance(caught.value, RenderInterrupted)


def test_pandoc_gets_its_runtime_options_only_where_it_accepts_them(renderer, tmp_path):
    # The bundled pandoc accepts them: both runs get them, before pandoc's own options.
    assert renderer.pandoc_rts == PANDOC_RTS_OPTIONS == ("+RTS", "-O128m", "-RTS")
    commands = pandoc_commands(renderer.executable, SAMPLE, tmp_path / "a.html", tmp_path / "a.typ",
                               rts=renderer.pandoc_rts)
    assert [command[1:4] for command in commands] == [list(PANDOC_RTS_OPTIONS)] * 2
    assert pandoc_commands("pandoc", SAMPLE, tmp_path / "a.html", tmp_path / "a.typ")[0][1] == str(SAMPLE)
    # A pandoc built without -rtsopts refuses them (as GHC's runtime words it) and is run
    # without them. PYPANDOC_PANDOC makes pypandoc use the stand-in; its cache is cleared
    # before and after.
    import pypandoc

    refusing = _stand_in(tmp_path / "pandoc", textwrap.dedent("""\
        if [ "$1" = "+RTS" ]; then
          echo "pandoc: Most RTS options are disabled. Link with -rtsopts to enable them." >&2
          exit 1
        fi
        echo "pandoc 3.9"
        """))
    pypandoc.clean_pandocpath_cache()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PYPANDOC_PANDOC", refusing)
            plain = detect_renderer("pandoc")
    finally:
        pypandoc.clean_pandocpath_cache()
    assert plain.executable == refusing and plain.versions["pandoc"] == "3.9"
    assert plain.pandoc_rts == ()


def test_publishing_replaces_the_pair_and_leaves_no_temporary_file(tmp_path):
    staged = tmp_path / "staged"
    staged.mkdir()
    (staged / "report.html").write_text("new html", encoding="utf-8")
    (staged / "report.pdf").write_bytes(b"%PDF new")
    dest = tmp_path / "build" / "report"
    # The first time, the folder is made.
    assert publish_report(staged / "report.html", staged / "report.pdf", dest) == (
        dest / "report.html", dest / "report.pdf")
    assert sorted(p.name for p in dest.iterdir()) == ["report.html", "report.pdf"]
    (dest / "report.html").write_text("old html", encoding="utf-8")
    (dest / "report.pdf").write_bytes(b"%PDF old")
    # A copy killed earlier left a temporary file: overwritten, then gone.
    (dest / ".report.pdf.tmp").write_bytes(b"%PDF half")
    publish_report(staged / "report.html", staged / "report.pdf", dest)
    assert sorted(p.name for p in dest.iterdir()) == ["report.html", "report.pdf"]
    assert ((dest / "report.html").read_text(encoding="utf-8"), (dest / "report.pdf").read_bytes()) == (
        "new html", b"%PDF new")
    # The files the report points its readers to, published beside it.
    (staged / "audit.csv").write_text("analysis,quantity\n", encoding="utf-8")
    assert publish_report(staged / "report.html", staged / "report.pdf", dest, staged / "audit.csv") == (
        dest / "report.html", dest / "report.pdf", dest / "audit.csv")
    assert (dest / "audit.csv").read_text(encoding="utf-8") == "analysis,quantity\n"


def test_a_failed_publication_leaves_the_previous_pair(tmp_path):
    staged = tmp_path / "staged"
    staged.mkdir()
    (staged / "report.html").write_text("new html", encoding="utf-8")
    dest = tmp_path / "report"
    dest.mkdir()
    (dest / "report.html").write_text("old html", encoding="utf-8")
    (dest / "report.pdf").write_bytes(b"%PDF old")
    # The PDF cannot be read: the new HTML is not put beside the old PDF.
    with pytest.raises(FileNotFoundError):
        publish_report(staged / "report.html", staged / "report.pdf", dest)
    assert sorted(p.name for p in dest.iterdir()) == ["report.html", "report.pdf"]
    assert ((dest / "report.html").read_text(encoding="utf-8"), (dest / "report.pdf").read_bytes()) == (
        "old html", b"%PDF old")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("See @fig-nowhere.", r"unresolved cross-reference @fig-nowhere"),
        ("Ask @someone.", r"escape text from data"),
        ("As in @sec-methods.", r"write a link instead"),
        ("![Nothing](figures/none.svg){#fig-none}", r"none\.svg"),
        (
            "| a |\n|---|\n| 1 |\n\n: One {#tbl-a}\n\n| b |\n|---|\n| 2 |\n\n: Two {#tbl-a}",
            r"duplicate cross-reference label 'tbl-a'",
        ),
    ],
)
def test_reference_and_resource_errors_stop_the_render(renderer, tmp_path, body, message):
    qmd = write_qmd(tmp_path / "src", body)
    out = tmp_path / "out"
    with pytest.raises(RenderError, match=message):
        render_report(qmd, out, renderer=renderer)
    assert list(out.iterdir()) == []


def test_missing_source_is_an_error(renderer, tmp_path):
    with pytest.raises(RenderError, match="not found"):
        render_report(tmp_path / "absent.qmd", tmp_path / "out", renderer=renderer)


# --- the builders' output through both writers -----------------------------------------

BUILDER_TEXTS = [
    "<script>alert(1)</script>",
    "#set page(width: 1cm)",
    "#let x = 1",
    "@x and $x$",
    "a // b /* c */",
    "x -- y --- z",
    "'q' \"d\"",
    "1. cell",
    "- cell",
    "= cell",
    "/ term: x",
    "+ p",
    "C:\\path\\to",
    "`code`",
    "{{< include x >}}",
    "a ~ b ^c^",
    "<!-- c -->",
    "&amp; &#65;",
    "http://example.org",
    "_u_ *e* **b**",
    "[^1] [link](x)",
    "王小明",
    "a_(b) c_[d] e_.f g_#h",
    "__init__ x_//y",
]


@needs_cjk_font
def test_builders_keep_hostile_text_literal_in_html_and_pdf(renderer, tmp_path):
    src = tmp_path / "src"
    (src / "figures").mkdir(parents=True)
    shutil.copy(DATA / "figures" / "forest.svg", src / "figures" / "forest.svg")
    parts = [heading("Cells", 1), "See @tbl-cells and @fig-one.\n"]
    parts.append(table(["Text"], [[t] for t in BUILDER_TEXTS], "Cells: - @x #y", "tbl-cells"))
    parts.append(figure("figures/forest.svg", "1. caption $z$", "fig-one", width="30%"))
    for t in BUILDER_TEXTS:
        parts.append(escape(t) + "\n")
    parts.append(callout("caution", "- title @x #set text(red)", "= body text"))
    parts.append(callout("tip", Markdown("*Set* by the author"), Markdown("Fine **print**.")))
    qmd = write_qmd(src, "\n".join(parts), title="Builders")
    out = render_report(qmd, tmp_path / "out", renderer=renderer, source_date_epoch=EPOCH)
    html, text = Page(out.html.read_text(encoding="utf-8")), pdf_text(out.pdf)
    for t in BUILDER_TEXTS:
        # Once in the table, once as a paragraph.
        assert html.text.count(t) >= 2, t
        assert text.count(t) >= 2, t
    for expected in [
        "Table 1: Cells: - @x #y",
        "Figure 1: 1. caption $z$",
        "- title @x #set text(red)",
        "= body text",
        "See Table 1 and Figure 1.",
    ]:
        assert expected in html.text
        assert expected in text
    seen = Page(out.html.read_text(encoding="utf-8"), seen=True)
    assert seen.classes["callout-header"] == ["- title @x #set text(red)", "Set by the author"]
    assert html.classes["callout-header"] == ["Caution: - title @x #set text(red)", "Tip: Set by the author"]
    assert "em" in html.tags and "strong" in html.tags  # only where the author wrote them
    assert "script" not in html.tags


def test_front_matter_table_of_contents_and_numbered_sections(renderer, tmp_path):
    body = "# First\n\nText.\n\n## Second\n\nMore text."
    qmd = write_qmd(tmp_path / "src", body)
    text = qmd.read_text(encoding="utf-8").replace(
        "---\n\n",
        "format:\n  html:\n    toc: true\n  typst:\n    toc: true\nnumber-sections: true\n---\n\n",
        1,
    )
    qmd.write_text(text, encoding="utf-8")
    out = render_report(qmd, tmp_path / "out", renderer=renderer)
    source = out.html.read_text(encoding="utf-8")
    html = Page(source)
    assert "nav" in html.tags and "Table of contents" in html.text
    assert "1.1 Second" in html.text
    # The landmark is named by its heading, which a screen reader's list of landmarks reads.
    nav = re.search(r"<nav\b([^>]*)>\s*<details open>\s*<summary><h2 id=\"([^\"]+)\">([^<]+)</h2></summary>", source)
    assert nav and nav[3] == "Table of contents"
    assert f'aria-labelledby="{nav[2]}"' in nav[1]
    pdf = pdf_text(out.pdf)
    assert "Table of contents" in pdf and "1.1 Second" in pdf


def test_html_contents_fold_on_a_narrow_screen_and_stay_beside_the_text_on_a_wide_one(
        renderer, tmp_path, chromium):
    sections = "".join(f"## Section {i}\n\n" + "Text of the section. " * 200 + "\n\n" for i in range(12))
    heads = "| Analysis | " + " | ".join(f"Column {i}" for i in range(6)) + " |\n" + "|---" * 7 + "|\n"
    body = sections + heads + WIDE_ROW * 3 + "\n: The audit trail {#tbl-audit}\n"
    qmd = write_qmd(tmp_path / "src", body)
    qmd.write_text(qmd.read_text(encoding="utf-8").replace("---\n\n", "toc: true\n---\n\n", 1), encoding="utf-8")
    out = render_report(qmd, tmp_path / "out", renderer=renderer)
    source = out.html.read_text(encoding="utf-8")
    # Without the style sheet, the contents are an open list before the text, folded by
    # their heading, and a link back to them follows the text.
    nav = re.search(r'<nav id="TOC"[^>]*>\s*<details open>\s*<summary><h2 id="toc-title">Table of contents</h2>'
                    r"</summary>\s*<ul>(.*?)</ul>\s*</details>\s*</nav>", source, re.DOTALL)
    assert nav and nav[1].count('href="#section-') == 12
    assert source.index("</nav>") < source.index('id="section-0"')
    # The title block and the contents stand before the text's landmark, not in it: a
    # screen reader's way to "main" lands on the first section, not on the contents' links.
    main = source.index('<main class="content" id="content">')
    assert source.index("</header>") < source.index("</nav>") < main < source.index('id="section-0"')
    back = source.index('<p class="to-contents"><a href="#TOC">Contents</a></p>')
    assert source.index('id="tbl-audit"') < back < source.index("</main>")
    # Where the contents and the link back are drawn before and after the page is
    # scrolled to its end, the text column's edges and the listing's.
    probe = (
        "<script>addEventListener('load', () => {"
        "const at = e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; };"
        "const nav = document.querySelector('nav#TOC'), back = document.querySelector('p.to-contents');"
        "const main = document.querySelector('main'), style = getComputedStyle(main);"
        "const column = [main.getBoundingClientRect().left + parseFloat(style.paddingLeft),"
        "  main.getBoundingClientRect().right - parseFloat(style.paddingRight)];"
        "const before = [at(nav), at(back)]; scrollTo(0, document.documentElement.scrollHeight);"
        "document.body.dataset.measure = JSON.stringify([innerWidth, innerHeight, before, [at(nav), at(back)],"
        "  column, at(document.querySelector('div.listing')), document.documentElement.scrollWidth,"
        "  document.documentElement.clientWidth]); });</script>"
    )
    # A wide window: the contents in a sidebar at its left, in view wherever the page
    # is scrolled, beside the text column and the listing, not under them; no link back.
    _width, height, before, after, column, listing, page_width, view_width = chromium_measure(
        chromium, out.html, probe, tmp_path, window=(1440, 900))
    nav, back = after
    assert nav == before[0] and nav[0] == 0 and nav[2] == 0 and nav[3] == pytest.approx(height, abs=1)
    assert nav[1] < column[0] and nav[1] <= listing[0] and listing[1] < view_width
    assert column[1] - column[0] == pytest.approx(48 * 17, abs=1)
    assert back == [0, 0, 0, 0]
    assert page_width == view_width
    # Narrower windows: the contents before the text, scrolled away with it; the link
    # back to them held in the window's bottom right corner.
    for window in ((1280, 900), (500, 900)):
        _width, height, before, after, column, listing, page_width, view_width = chromium_measure(
            chromium, out.html, probe, tmp_path, window=window)
        assert before[0][0] >= column[0] - 1 and after[0][3] < 0
        assert before[1] == after[1] and after[1][1] < view_width and after[1][3] < height and after[1][2] > height / 2
        assert page_width == view_width


@pytest.mark.parametrize("draft", [False, True])
def test_the_title_block_labels_the_build_date_and_says_a_draft_is_one_in_html_and_pdf(
        renderer, tmp_path, draft):
    # The report's front matter (reports/report.qmd) as build_report fills it: the date's
    # label as Quarto reads it, and a draft's note.
    label, note = ("Draft dated", "from uncommitted changes to 0123abc") if draft else ("Dated", "")
    qmd = write_qmd(tmp_path / "src", "Text.")
    qmd.write_text(qmd.read_text(encoding="utf-8").replace(
        "---\n\n", f'date: "2023-11-14"\nlanguage:\n  title-block-published: "{label}"\n'
        f'metareview-draft: "{note}"\n---\n\n', 1), encoding="utf-8")
    out = render_report(qmd, tmp_path / "out", renderer=renderer, source_date_epoch=EPOCH)
    page = Page(out.html.read_text(encoding="utf-8"))
    # Never "Published": the date is a build's.
    assert page.classes["title-meta-heading"] == [label] and "Published" not in page.text
    assert page.classes["date"] == ["2023-11-14"]
    assert page.classes.get("draft-note", []) == ([note] if draft else [])
    assert ("draft" in page.classes) == draft
    first_page = flat(pypdf.PdfReader(out.pdf).pages[0].extract_text())
    assert f"{label} 2023-11-14 {note}".strip() in first_page and "Published" not in first_page
    if draft:
        # Set apart in the HTML as a warning is, the note as written (no capitals).
        assert "#fff8e1" in css_rule(".title-meta-item.draft")
    # Without the keys (a report of another making), the date is still the build's.
    plain = write_qmd(tmp_path / "plain", "Text.")
    plain.write_text(plain.read_text(encoding="utf-8").replace("---\n\n", 'date: "2023-11-14"\n---\n\n', 1),
                     encoding="utf-8")
    out = render_report(plain, tmp_path / "plain-out", renderer=renderer, source_date_epoch=EPOCH)
    assert Page(out.html.read_text(encoding="utf-8")).classes["title-meta-heading"] == ["Dated"]
    assert "Dated 2023-11-14" in flat(pypdf.PdfReader(out.pdf).pages[0].extract_text())


def test_format_arguments_from_quarto_style_front_matter():
    meta = {
        "number-sections": True,
        "format": {"html": {"toc": True}, "typst": {"toc": True, "toc-depth": 2}},
    }
    assert format_arguments(meta, "html") == ["--toc", "--number-sections"]
    assert format_arguments(meta, "typst") == ["--toc", "--toc-depth", "2", "--number-sections"]
    assert format_arguments({"format": {"html": "default"}}, "html") == []
    with pytest.raises(RenderError, match="toc-depth"):
        format_arguments({"toc-depth": "deep"}, "html")


# --- fonts ---------------------------------------------------------------------------


def write_figure_report(folder: Path, label: str = "Pooled estimate", text: str = "") -> Path:
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    (folder / "figures" / "plot.svg").write_text(SVG_WITH_TEXT.format(text=label), encoding="utf-8")
    body = (
        f"A figure with text. {text}\n\n![Labels](figures/plot.svg){{#fig-plot}}\n\nSee @fig-plot."
    )
    return write_qmd(folder, body)


def test_pdf_figures_use_matplotlibs_dejavu_sans_on_this_machine(rendered, tmp_path):
    mpl = (matplotlib_font_dir() / "DejaVuSans.ttf").read_bytes()
    qmd = write_figure_report(tmp_path / "src")
    out = render_report(qmd, tmp_path / "out", renderer=detect_renderer("pandoc"))
    programs = pdf_font_programs(out.pdf)
    assert programs.get("DejaVuSans"), f"the figure's text is not in DejaVu Sans: {programs}"
    # Debian's fonts-dejavu (2.37 on Debian 12/13) differs from matplotlib's copy: the
    # PDF must carry matplotlib's whatever /usr/share/fonts holds.
    assert font_revision(programs["DejaVuSans"]) == font_revision(mpl)


def test_pdf_figures_keep_dejavu_sans_before_the_svgs_fallback_fonts(renderer, tmp_path):
    from metareview.plots import _SVG_FONT_FAMILY

    folder = tmp_path / "src"
    (folder / "figures").mkdir(parents=True)
    (folder / "figures" / "plot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="40pt" viewBox="0 0 200 40">'
        f'<text x="10" y="25" font-family="{_SVG_FONT_FAMILY}" font-size="9">Pooled estimate</text></svg>',
        encoding="utf-8",
    )
    qmd = write_qmd(folder, "Text.\n\n![Labels](figures/plot.svg){#fig-plot}\n")
    fonts = pdf_fonts(render_report(qmd, tmp_path / "out", renderer=renderer).pdf)
    assert "DejaVuSans" in fonts
    assert not any("Verdana" in font or "Vera" in font for font in fonts), fonts


def test_a_system_dejavu_sans_never_replaces_matplotlibs(renderer, tmp_path):
    mpl = (matplotlib_font_dir() / "DejaVuSans.ttf").read_bytes()
    system = tmp_path / "system-fonts" / "truetype" / "dejavu"
    system.mkdir(parents=True)
    (system / "DejaVuSans.ttf").write_bytes(with_font_revision(mpl, 9.5))
    qmd = write_figure_report(tmp_path / "src")
    out = render_report(
        qmd, tmp_path / "out", renderer=renderer, font_dirs=[tmp_path / "system-fonts"]
    )
    revision = font_revision(pdf_font_programs(out.pdf)["DejaVuSans"])
    assert revision == font_revision(mpl) != 9.5


def test_font_folders_hold_matplotlibs_fonts_and_only_cjk_files(tmp_path):
    fake = tmp_path / "fonts"
    for relative in [
        "truetype/dejavu/DejaVuSans.ttf",
        "truetype/liberation/LiberationSerif-Regular.ttf",
        "opentype/noto/NotoSerifCJK-Regular.ttc",
        "opentype/noto/NotoSans-Regular.ttf",
        "SourceHanSansSC-Bold.otf",
        "opentype/noto/README",
    ]:
        (fake / relative).parent.mkdir(parents=True, exist_ok=True)
        (fake / relative).write_bytes(b"")
    assert [p.relative_to(fake).as_posix() for p in cjk_font_files([fake])] == [
        "SourceHanSansSC-Bold.otf",
        "opentype/noto/NotoSerifCJK-Regular.ttc",
    ]
    work = tmp_path / "work"
    work.mkdir()
    assert font_folders(work, cjk=False, font_dirs=[fake]) == [matplotlib_font_dir()]
    mpl, links = font_folders(work, cjk=True, font_dirs=[fake])
    assert mpl == matplotlib_font_dir()
    assert links.parent == work
    targets = sorted(p.resolve().name for p in links.iterdir())
    assert targets == ["NotoSerifCJK-Regular.ttc", "SourceHanSansSC-Bold.otf"]


def test_default_font_folders_take_nothing_from_the_system_but_cjk(tmp_path):
    folders = font_folders(tmp_path, cjk=True)
    assert folders[0] == matplotlib_font_dir()
    for folder in folders[1:]:
        assert folder.parent == tmp_path
        for link in folder.iterdir():
            assert "CJK" in link.name or "SourceHan" in link.name, link
            assert "/truetype/" not in str(link.resolve()), link


def test_contains_cjk():
    assert contains_cjk("Smith et al. (2019), ½ − τ² ≥ 0 “quoted” ü é") is None
    assert contains_cjk("王小明 et al.") == "王"
    assert contains_cjk("ひらがな") == "ひ"
    assert contains_cjk("한국어") == "한"
    assert contains_cjk("full，width") == "，"


def test_cjk_text_without_a_cjk_font_is_an_error(renderer, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RenderError, match="fonts-noto-cjk"):
        render_report(SAMPLE, out, renderer=renderer, font_dirs=[tmp_path / "no-fonts"])
    assert list(out.iterdir()) == []


def test_cjk_text_in_a_figure_alone_needs_a_cjk_font_too(renderer, tmp_path):
    qmd = write_figure_report(tmp_path / "src", label="王小明 2019")
    with pytest.raises(RenderError, match="'王'"):
        render_report(qmd, tmp_path / "out", renderer=renderer, font_dirs=[])


def test_a_report_without_cjk_text_does_not_depend_on_cjk_fonts(renderer, tmp_path):
    qmd = write_figure_report(tmp_path / "src", text="Smith et al. (2019) – ½, τ², ≥.")
    with_cjk = render_report(qmd, tmp_path / "a", renderer=renderer, source_date_epoch=EPOCH)
    without = render_report(
        qmd, tmp_path / "b", renderer=renderer, source_date_epoch=EPOCH, font_dirs=[]
    )
    assert with_cjk.pdf.read_bytes() == without.pdf.read_bytes()
    assert not any("CJK" in name for name in pdf_fonts(without.pdf))


def test_figures_and_tables_are_numbered_in_reading_order_inside_callouts(renderer, tmp_path):
    src = tmp_path / "src"
    (src / "figures").mkdir(parents=True)
    shutil.copy(DATA / "figures" / "forest.svg", src / "figures" / "forest.svg")
    table = "| a |\n|---|\n| 1 |\n\n: {caption} {{#tbl-{label}}}\n"
    body = "\n".join(
        [
            "![First](figures/forest.svg){#fig-a}\n",
            table.format(caption="One", label="one"),
            '::: {.callout-note title="Inside"}',
            "![Second](figures/forest.svg){#fig-b}\n",
            table.format(caption="Two", label="two"),
            ":::\n",
            "![Third](figures/forest.svg){#fig-c}\n",
            "See @fig-c, @fig-b, @tbl-two.",
        ]
    )
    out = render_report(write_qmd(src, body), tmp_path / "out", renderer=renderer)
    html, text = Page(out.html.read_text(encoding="utf-8")).text, pdf_text(out.pdf)
    for document in (html, text):
        for expected in ["Figure 1: First", "Figure 2: Second", "Figure 3: Third"]:
            assert expected in document
        assert "Table 1: One" in document and "Table 2: Two" in document
        assert "See Figure 3, Figure 2, Table 2." in document


def test_a_callout_title_starts_as_written(renderer, tmp_path):
    # The title shares the line of the template's #callout call, where Typst reads the
    # start of its brackets as a line start: "-1.5" there would be set with a minus
    # sign, "= x" would be a heading, "+ x" a numbered list.
    # "2. Methods" would be a numbered list, from a title attribute or a heading alike;
    # "3.5 points" would not.
    titles = ["-1.5 points", "+2 more", "= sign", "/ slash", "Plain *title*", "2. Methods", "3.5 points"]
    body = "\n".join(f'::: {{.callout-note title="{t}"}}\nBody {i}.\n:::\n' for i, t in enumerate(titles))
    body += '\n::: {.callout-note}\n## 4. Results\n\nBody.\n:::\n'
    source = pandoc_typst(body, tmp_path)
    for written in [r"[\-1.5 points]", r"[\+2 more]", r"[\= sign]", r"[\/ slash]",
                    "[Plain #emph[title]]", r"[\2. Methods]", "[3.5 points]", r"[\4. Results]"]:
        assert f'#callout(kind: "note", kind-name: "Note", title: {written})[' in source
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    text = pdf_text(out.pdf)
    for title in ["-1.5 points", "+2 more", "= sign", "/ slash", "Plain title", "2. Methods", "4. Results"]:
        assert title in text
    assert "\u2212" not in text


# --- identifiers in table cells ----------------------------------------------------------


def pandoc_typst(markdown: str, tmp_path: Path, to: str = "typst", *options: str) -> str:
    """The filter's Typst (or ``to``) output for a Markdown snippet, with pandoc's ``options``."""
    import pypandoc

    source = tmp_path / "snippet.md"
    source.write_text(markdown, encoding="utf-8")
    return subprocess.run(
        [
            pypandoc.get_pandoc_path(),
            str(source),
            "--from",
            "markdown-raw_html-raw_tex",
            "--to",
            to,
            "--wrap",
            "none",
            "--lua-filter",
            str(SUPPORT_DIR / "quarto-compat.lua"),
            *options,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pandoc_html(markdown: str, tmp_path: Path) -> str:
    """The filter's HTML output for a Markdown snippet."""
    return pandoc_typst(markdown, tmp_path, to="html5")


def css_rule(selector: str) -> str:
    """The declarations of the rule in report.css whose selector list is ``selector``."""
    import re

    css = (SUPPORT_DIR / "report.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if " ".join(selectors.split()) == selector:
            return " ".join(body.split())
    raise AssertionError(f"report.css has no rule for {selector!r}")


def test_identifiers_in_table_cells_are_boxed_at_each_underscore(tmp_path):
    typ = pandoc_typst(
        "| Analysis | Note |\n|---|---|\n"
        "| acupuncture\\_vs\\_sham | a\\_(b) c\\_[d] e\\_.f |\n"
        "| x\u00a0a\\_b | \\_\\_init\\_\\_ |\n\n"
        ": Caption with snake\\_case {#tbl-ids}\n\nText snake\\_case.\n",
        tmp_path,
    )
    # The pieces of Typst's regex [^_\s]*_ (a non-breaking space is white space to it),
    # and the identifier's last word: a table hyphenates, and "sham" must not become
    # "sh-am" inside an identifier.
    assert "[#box[acupuncture\\_];#box[vs\\_];#box[sham];]" in typ
    # The semicolon ends the call: "(", "[" or ".f" after it stay text.
    assert "#box[a\\_];#box[(b)]; #box[c\\_];#box[\\[d\\]]; #box[e\\_];#box[.f];" in typ
    assert "[x\u00a0#box[a\\_];#box[b];]" in typ or "[x~#box[a\\_];#box[b];]" in typ
    assert "#box[\\_];#box[\\_];#box[init\\_];#box[\\_];" in typ
    # Captions and body text are no table cells.
    assert "snake\\_case" in typ and "#box[snake" not in typ


def test_pdf_a_raw_cells_column_name_keeps_its_equals_sign_on_its_line(renderer, tmp_path):
    # The appendices' raw cells read "ci_lb = -1.39, ci_ub = 0.37, ...": a line broke before
    # an "=", and the next one began "= -1.39", apart from the name it belongs to. A line
    # may break after the sign. The source's text is unchanged (and so is the HTML's).
    pairs = ", ".join(f"{'c' * (1 + i % 7)}\\_{i} = {'−' if i % 2 else ''}{i}.{i % 10}" for i in range(1, 80))
    body = f"| Raw cells | Steps |\n|---|---|\n| {pairs} | as published |\n\n: Cells {{#tbl-cells}}\n"
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    lines = [line.strip() for page in pypdf.PdfReader(out.pdf).pages for line in page.extract_text().splitlines()]
    # The narrow column wraps the cell over many lines, several of them at an "=".
    assert sum(line.endswith("=") for line in lines) >= 3
    assert not [line for line in lines if line.startswith("=")]
    assert "cc_1 = −1.1, ccc_2 = 2.2," in flat(" ".join(lines))
    assert "\u00a0=" not in out.html.read_text(encoding="utf-8")


def test_a_tables_last_row_leaves_the_closing_rule_alone(tmp_path):
    typ = pandoc_typst(
        "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | x\\_y |\n\n: Two rows {#tbl-two}\n\n"
        "| only |\n|---|\n",
        tmp_path,
    )
    # The template's grey line under each row would be painted over the closing rule.
    last = "table.cell(stroke: (bottom: none))"
    assert f"[1], [2],\n    {last}[3], {last}[#box[x\\_];#box[y];]," in typ
    # A table of a header alone: the header is its last row.
    assert f"table.header({last}[only],)" in typ
    assert typ.count(last) == 3


def test_inline_code_is_boxed_at_each_underscore_as_code_pieces(tmp_path):
    typ = pandoc_typst(
        'Run `pool_all(x_y)` and `"q_"\\` and `plain` and `a_b`{.python}.\n\n'
        "| Id |\n|---|\n| `arm_outcomes.csv row 2` |\n",
        tmp_path,
    )
    # One code call per piece of [^_\s]*_ , each boxed but the last: the same
    # breaks the template's regex show rule on inline raw used to allow.
    assert '#box[#mr-code("pool_")];#box[#mr-code("all(x_")];#mr-code("y)");' in typ
    assert '#box[#mr-code("\\"q_")];#mr-code("\\"\\\\");' in typ
    assert '#box[#mr-code("arm_")];#mr-code("outcomes.csv row 2");' in typ
    # Code without an underscore is set the same way; code with a language stays
    # raw, which Typst highlights.
    assert '#mr-code("plain");' in typ and "`plain`" not in typ
    assert '#box[#raw("a_", lang: "python")];#raw("b", lang: "python");' in typ
    template = (SUPPORT_DIR / "template.typst").read_text(encoding="utf-8")
    # No regex show rule over the body: the one there is is the title's, scoped to
    # its one short text run.
    assert template.count("show regex") == 1
    title_lines = template.split("#let title-lines(body) = layout(size => {")[1].split("\n})")[0]
    assert "show regex" in title_lines


def test_template_code_is_set_as_inline_raw(tmp_path):
    """``mr-code`` (the filter's inline code) takes the room inline ``raw`` takes."""
    import re

    import typst

    template = (SUPPORT_DIR / "template.typst").read_text(encoding="utf-8")
    show_raw = re.search(r"^#show raw: set text\(.*\)$", template, flags=re.MULTILINE)
    code = re.search(r"^#let mr-code\(body\) = text\(\n(?:.*\n)*?\)$", template, flags=re.MULTILINE)
    assert show_raw and code, "template.typst lost its raw show rule or mr-code"
    # Typst's assert fails the compile: each sample is measured as raw and as
    # mr-code, in body text and in a table (whose text is smaller).
    check = """
#let same(s) = context {
  let a = measure(raw(s))
  let b = measure(mr-code(s))
  assert(a == b, message: s + ": raw " + repr(a) + ", mr-code " + repr(b))
}
#let samples = ("pool_", "arm_outcomes.csv row 2", "x", "fi ff -- -> 'q'")
#for s in samples { same(s) }
#show table: set text(size: 0.9em)
#table(columns: 1, ..samples.map(same))
"""
    source = tmp_path / "code.typ"
    source.write_text(f"{show_raw.group(0)}\n{code.group(0)}\n{check}", encoding="utf-8")
    assert typst.compile(str(source), format="pdf")
    # The check can fail: a different size is caught.
    source.write_text(
        f"{show_raw.group(0)}\n{code.group(0).replace('0.8em', '0.7em')}\n{check}", encoding="utf-8"
    )
    with pytest.raises(typst.TypstError, match="mr-code"):
        typst.compile(str(source), format="pdf")


# --- PDF tables -------------------------------------------------------------------------


def page_texts(path: Path) -> list[str]:
    return [flat(page.extract_text()) for page in pypdf.PdfReader(path).pages]


def text_baselines(path: Path, page: int = 0) -> dict[str, list[float]]:
    """Each text run of a PDF page and its baselines, in points above the page's foot."""
    found: dict[str, list[float]] = {}

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            found.setdefault(text.strip(), []).append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    pypdf.PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return found


def lowest_text(path: Path) -> float:
    """The lowest baseline of any text in the PDF, in points above its page's foot."""
    pages = range(len(pypdf.PdfReader(path).pages))
    return min(y for page in pages for ys in text_baselines(path, page).values() for y in ys)


def test_pdf_table_rows_stay_whole_unless_taller_than_a_page(renderer, tmp_path):
    words = "pain " * 90
    rows = [f"| {i} | S{i} {words}E{i} |" for i in range(1, 41)]
    # Taller than a page: kept whole it would run off the foot of the page.
    rows.insert(20, f"| giant | GS {'disability ' * 1500}GE |")
    # The first column as wide as "giant" (table cells keep their words whole).
    body = "\n".join(["| Row | Text |", "|-----|--------------------------------------------|", *rows])
    out = render_report(
        write_qmd(tmp_path / "src", body + "\n\n: Rows {#tbl-rows}\n"), tmp_path / "out", renderer=renderer
    )
    pages = page_texts(out.pdf)
    assert len(pages) > 4
    for i in range(1, 41):
        on = [n for n, text in enumerate(pages) if {f"S{i}", f"E{i}"} & set(text.split())]
        assert len(on) == 1, f"row {i} is split across pages {on}"
    start = next(n for n, text in enumerate(pages) if "GS" in text.split())
    end = next(n for n, text in enumerate(pages) if "GE" in text.split())
    assert end > start
    assert lowest_text(out.pdf) > 0


def test_pdf_a_row_taller_than_a_landscape_page_breaks_there_too(renderer, tmp_path):
    # Typst gives a landscape (flipped) page the paper's portrait height: a cell measured
    # against it was kept whole, and ran past the foot of the page (the audit trail's
    # conversion steps, in the appendix).
    rows = [[f"row {i}", f"S{i} {'pain ' * 60}E{i}"] for i in range(1, 4)]
    # About 1.2 landscape text heights and 0.8 of a portrait one: kept whole, it overran.
    rows.insert(1, ["tall", f"TS {'disability ' * 620}TE"])
    body = "```{=typst}\n#set page(flipped: true)\n```\n" + table(["Row", "Text"], rows, "Rows", "tbl-rows", budget=150)
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    reader = pypdf.PdfReader(out.pdf)
    for page in range(1, len(reader.pages)):
        assert float(reader.pages[page].mediabox.width) > float(reader.pages[page].mediabox.height)
        # The text, but for the page number, stays above the foot margin (2.4 cm).
        lows = [min(ys) for text, ys in text_baselines(out.pdf, page).items() if not re.fullmatch(r"\d+ / \d+", text)]
        assert min(lows) > 2.4 / 2.54 * 72 - 12, page


def table_pages(pdf: Path, marks: list[str]) -> tuple[list[str], dict[str, int]]:
    """Each page's text, and the page (from 0) each of ``marks`` is printed on."""
    pages = page_texts(pdf)
    found = {mark: n for n, text in enumerate(pages) for mark in marks if mark in text.split()}
    return pages, found


def assert_table_goes_on_with_its_header(pdf: Path, title: str, caption: str, rows: int) -> None:
    """Rows R1..Rn of a two-column table headed "Row" / "Text" and captioned ``caption``:
    over more than one page, in order, each page's table starting with the header row,
    the caption on the first page only, no text below the foot margin."""
    marks = [f"R{i}" for i in range(1, rows + 1)]
    pages, on = table_pages(pdf, marks)
    assert set(on) == set(marks), "rows missing from the PDF's text"
    assert [on[m] for m in marks] == sorted(on[m] for m in marks)
    spanned = sorted(set(on.values()))
    assert len(spanned) >= 3, spanned
    for n in spanned:
        body = pages[n].removeprefix(title).lstrip() if n else pages[n]
        if n == spanned[0]:
            body = body[body.index(caption) + len(caption):].lstrip()
        else:
            assert caption not in pages[n]
        assert body.startswith("Row Text R"), (n, body[:60])
    # The text, but for the page numbers, stays above the foot margin (2.4 cm).
    for n in spanned:
        lows = [min(ys) for text, ys in text_baselines(pdf, n).items() if not re.fullmatch(r"\d+ / \d+", text)]
        assert min(lows) > 2.4 / 2.54 * 72 - 12, n


def test_pdf_a_table_longer_than_a_page_goes_on_with_its_header_repeated(renderer, tmp_path):
    # A table of three pages: kept in one piece (Typst's default for a figure) its rows
    # past the first page were drawn over each other at the page's foot.
    rows = [[f"R{i}", f"{'pain ' * 12}"] for i in range(1, 91)]
    body = "Text before the table.\n\n" + table(["Row", "Text"], rows, "Long table", "tbl-long")
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    assert_table_goes_on_with_its_header(out.pdf, "Small report", "Table 1: Long table", 90)


def test_pdf_a_tables_caption_starts_a_page_with_its_first_rows(renderer, tmp_path):
    # Thirty-three lines end a few lines above the page's foot: the caption fits there,
    # its table's header and first row do not. Alone, the caption was left at the foot.
    lines = "\n\n".join(f"Line{i} of the text before the table." for i in range(1, 34))
    rows = [[f"R{i}", f"{'pain ' * 40}"] for i in range(1, 4)]
    body = lines + "\n\n" + table(["Row", "Text"], rows, "Caption of the table", "tbl-cap")
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    pages = page_texts(out.pdf)
    caption_page = next(n for n, text in enumerate(pages) if "Caption of the table" in text)
    first_row = next(n for n, text in enumerate(pages) if "R1" in text.split())
    assert caption_page == first_row
    # The text before ends on the page before: the caption did not start where it did.
    assert "Line33" in pages[caption_page - 1].split()


def table_row_groups(pdf: Path) -> list[list[tuple[str, int]]]:
    """Each table of a tagged PDF as its structure tree has it: its kids' tags in order,
    each row group (THead, TBody, TFoot) with its number of rows (TR)."""
    def kids(node) -> list:
        found = node.get("/K")
        found = found.get_object() if found is not None else None
        items = found if isinstance(found, pypdf.generic.ArrayObject) else [found] if found is not None else []
        return [kid.get_object() for kid in items]

    def is_element(node) -> bool:
        return isinstance(node, pypdf.generic.DictionaryObject) and "/S" in node

    tables: list[list[tuple[str, int]]] = []

    def walk(node) -> None:
        if node.get("/S") == "/Table":
            tables.append([(str(kid["/S"]), sum(1 for row in kids(kid) if is_element(row) and row["/S"] == "/TR"))
                           for kid in kids(node) if is_element(kid)])
        for kid in kids(node):
            if is_element(kid):
                walk(kid)

    walk(pypdf.PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"].get_object())
    return tables


def test_pdf_tags_the_last_rows_of_a_table_that_breaks_as_body_rows(renderer, tmp_path):
    # The last two rows of a table were set as its footer, not repeated, which Typst keeps
    # on one page: a table that broke did not end with a row alone on a page. The tagged
    # PDF tagged those rows TFoot, and a screen reader, or an export to HTML or Word, took
    # the last two studies or statements of 11 of the example's tables for footer rows.
    # Tables of 40 to 69 rows of a line each, each on a page of its own: a portrait page
    # holds some 50 such rows under a caption, so each breaks somewhere.
    sizes = range(40, 70)
    tables = [
        table(["Row", "Text"], [[f"T{n}R{i}", "pain"] for i in range(1, n + 1)], f"Rows {n}", f"tbl-rows-{n}")
        for n in sizes
    ]
    # Rows taller than most of a page go on over the pages after, in order.
    long = [[f"L{i}", f"LS{i} {'disability ' * (1500 if i == 7 else 40)}LE{i}"] for i in range(1, 8)]
    tables.append(table(["Row", "Text"], long, "Tall last rows", "tbl-tall"))
    body = "\n\n```{=typst}\n#pagebreak()\n```\n\n".join(tables)
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    pages = [set(text.split()) for text in page_texts(out.pdf)]

    def page_of(mark: str) -> int:
        return next(n for n, words in enumerate(pages) if mark in words)

    broken = [n for n in sizes if page_of(f"T{n}R{n}") > page_of(f"T{n}R1")]
    assert len(broken) > 5, broken
    for n in sizes:
        assert [page_of(f"T{n}R{i}") for i in range(1, n + 1)] == sorted(page_of(f"T{n}R{i}") for i in range(1, n + 1))
    # Each table a caption, its header row and every other row in its body, none a footer.
    assert table_row_groups(out.pdf) == [[("/Caption", 0), ("/THead", 1), ("/TBody", n)] for n in sizes] + [
        [("/Caption", 0), ("/THead", 1), ("/TBody", 7)]]
    # The tall rows are there, whole and in order, and none runs past a page's foot.
    assert [page_of(f"LE{i}") for i in range(1, 8)] == sorted(page_of(f"LE{i}") for i in range(1, 8))
    assert page_of("LS7") < page_of("LE7")
    assert lowest_text(out.pdf) > 0


def text_sizes(path: Path, page: int = 0) -> dict[str, list[float]]:
    """Each text run of a PDF page and the sizes it is set at, in points."""
    found: dict[str, list[float]] = {}

    def visit(text, cm, tm, _font, size):
        if text.strip():
            found.setdefault(text.strip(), []).append(size * tm[3] * cm[3])

    pypdf.PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return found


def test_pdf_sets_the_listing_tables_at_8_4_pt_in_tighter_rows(renderer, tmp_path):
    # The published meta-analyses, the statements and the two appendices are listings,
    # read row by row: at a table's 9.9 pt and 4.5 pt a row the appendices took 61 of the
    # example's 110 pages. Their cells are set at 8.4 pt (the type of a table of more
    # than six columns, never smaller), whatever their columns, in rows 3 pt tighter.
    def rows(mark: str, columns: int) -> list[list[str]]:
        return [[f"{mark}{i}", *(["pain"] * (columns - 1))] for i in range(1, 5)]

    heads = ["Row", "A", "B", "C", "D", "E", "F", "G"]
    # Headers too long for the page's width: the wide table is set in smaller type.
    long = ["Row", *["Uncharacteristically"] * 7]
    body = "\n\n".join([
        table(long, rows("W", 8), "Wide table", "tbl-wide"),
        table(heads, rows("L", 8), "Wide listing", "tbl-audit"),
        table(heads[:3], rows("N", 3), "Narrow table", "tbl-narrow"),
        table(heads[:3], rows("M", 3), "Narrow listing", "tbl-evidence"),
    ])
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    sizes, baselines = text_sizes(out.pdf), text_baselines(out.pdf)

    def size(mark: str) -> float:
        found = {round(s, 2) for i in range(1, 5) for s in sizes[f"{mark}{i}"]}
        assert len(found) == 1, (mark, found)
        return found.pop()

    def pitch(mark: str) -> float:
        ys = [baselines[f"{mark}{i}"][0] for i in range(1, 5)]
        return (ys[0] - ys[-1]) / 3

    # Others as they were: 0.9 of the 11 pt text, 0.85 of that with more than six
    # columns too narrow for their words (see the test below).
    assert size("N") == pytest.approx(9.9, abs=0.01)
    assert size("W") == pytest.approx(8.415, abs=0.01)
    assert size("L") == size("M") == pytest.approx(8.4, abs=0.01)
    # A row of one line: its type's line and 3 pt less inset than the wide table's.
    assert pitch("W") - pitch("L") == pytest.approx(3, abs=0.3)
    assert pitch("N") - pitch("M") > 3


def test_pdf_starts_the_evidence_table_below_a_table_of_seventeen_analyses(renderer, tmp_path):
    # The example's table of analyses (17 rows) filled a landscape page alone: in five
    # columns and the listings' rows, it leaves room for the next section's heading and
    # lead-in on its page.
    comparators = ["Sham, minimal needling or placebo TENS", "Usual care or guideline-based conventional therapy",
                   "No treatment or waiting list", "Other active treatments (head-to-head trials only)"]
    rows = [[Markdown(f"`{t}_vs_{c.split()[0].lower()}_{o.split()[0].lower()}_{i}`"), f"{t.replace('_', ' ')} vs {c}",
             o, "Short term (1 to 12 weeks)", "RR (beneficial events)" if i == 0 else "SMD"]
            for i, (t, c, o) in enumerate(itertools.islice(itertools.cycle(itertools.product(
                ["Acupuncture", "Dry_needling"], comparators, ["Pain intensity", "Back-specific disability"])), 17))]
    analyses = table(["Analysis", "Comparison", "Outcome", "Window", "Measure"], rows,
                     "The analyses this review defines", "tbl-analyses", budget=APPENDIX_TABLE_BUDGET)
    studies = table(["Study", "Design, source", "Arms"], [[f"S{i} et al. (2009)", "RCT, primary", "Acupuncture, Sham"]
                                                          for i in range(40)], "Studies", "tbl-studies")
    body = ("Methods.\n\n```{=typst}\n#set page(flipped: true)\n```\n\n" + analyses
            + "\n## Evidence table\n\n" + "Every study in the raw tables, trials and reviews alike. " * 4 + "\n\n" + studies)
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    pages = [flat(text) for text in page_texts(out.pdf)]
    on = [i for i, text in enumerate(pages) if "Table 1: The analyses this review defines" in text]
    assert on and "Evidence table" in pages[on[0]], pages[on[0]][-300:]


def test_pdf_sets_the_tables_of_studies_and_analyses_in_the_listings_rows(renderer, tmp_path):
    # The table of studies runs over landscape pages: in rows 3 pt shorter, as the
    # listings', its last rows no longer took a page of their own; its type is the text's.
    heads = ["Study", "Design, source", "Identity", "Arms", "Raw rows", "Contribution"]

    def rows(mark: str) -> list[list[str]]:
        return [[f"{mark}{i}", "RCT, primary", "high", "Acupuncture", "5", "narrative evidence only"]
                for i in range(1, 5)]

    body = "\n\nText.\n\n".join([table(heads, rows("T"), "Plain table", "tbl-other"),
                                   table(heads, rows("S"), "Studies", "tbl-studies"),
                                   table(heads, rows("A"), "Analyses", "tbl-analyses"),
                                   table(heads, rows("L"), "Listing", "tbl-audit")])
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    sizes, baselines = text_sizes(out.pdf), text_baselines(out.pdf)

    def pitch(mark: str) -> float:
        ys = [baselines[f"{mark}1"][0], baselines[f"{mark}4"][0]]
        return (ys[0] - ys[-1]) / 3

    def size(mark: str) -> set[float]:
        return {round(s, 2) for i in range(1, 5) for s in sizes[f"{mark}{i}"]}

    assert size("S") == size("T") == {9.9}
    assert pitch("T") - pitch("S") == pytest.approx(3, abs=0.3)
    # The table of analyses, in the listings' type, is set in their rows too: in rows as
    # high as the text's, it filled its landscape page alone.
    assert size("A") == size("L") == {8.4}
    assert pitch("A") == pytest.approx(pitch("L"), abs=0.1)


def test_pdf_sets_tables_alike_in_type_unless_too_narrow_for_their_words(renderer, tmp_path):
    # The study effects of a pooled analysis have a column of weights (seven columns),
    # those of a single study none (six): set at 0.85 of a table's type past six
    # columns, the same table read in two sizes pages apart, though both tables'
    # columns hold their words. Only a table too narrow for its words (hyphenated)
    # gets the smaller type.
    def effects(mark: str, weighted: bool) -> str:
        rows = [[f"{mark}{i} et al. (2009)", "0.17", "\u22120.05 to 0.39", *(["87.2"] if weighted else []),
                 "158 / 162", "arm-level means and SDs, week 8", "known only from a secondary source"]
                for i in range(1, 4)]
        heads = ["Study", "SMD", "95% CI", *(["Weight %"] if weighted else []), "n (int. / comp.)", "From", "Flags"]
        return table(heads, rows, f"Study effects {mark}", f"tbl-{mark.lower()}")

    long = "Uncharacteristically"
    narrow = table(["Row", *[long] * 8], [[f"H{i}", *[long] * 8] for i in range(1, 4)], "Too narrow", "tbl-narrow")
    assert "hyphenate: true" in narrow and "hyphenate" not in effects("P", True)
    # The table of analyses keeps the listings' type, which keeps it on one landscape page.
    analyses = table(["Analysis", *"BCDEFG"], [[f"A{i}", *["pain"] * 6] for i in range(1, 4)],
                     "Analyses", "tbl-analyses")
    body = "\n\nText.\n\n".join([effects("P", True), effects("S", False), narrow, analyses])
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    sizes: dict[str, list[float]] = {}
    for page in range(len(pypdf.PdfReader(out.pdf).pages)):
        for text, found in text_sizes(out.pdf, page).items():
            sizes.setdefault(text.split()[0], []).extend(found)

    def size(mark: str) -> float:
        found = {round(s, 2) for i in range(1, 4) for s in sizes[f"{mark}{i}"]}
        assert len(found) == 1, (mark, found)
        return found.pop()

    assert size("P") == size("S") == pytest.approx(9.9, abs=0.01)
    assert size("H") == pytest.approx(8.415, abs=0.01)
    assert size("A") == pytest.approx(8.4, abs=0.01)


#: Quarto's Typst output for a pipe table with a caption line (``: Long table {#tbl-long}``,
#: ``tbl-cap-location: top``), in outline as Quarto's typst.lua (make_typst_figure) writes
#: it: pandoc's table inside a figure of kind "quarto-float-tbl", the caption on top.
QUARTO_TABLE = """
#figure([
#table(
  columns: (15%, 85%),
  align: (auto,auto,),
  table.header([Row], [Text],),
  table.hline(),
{rows}
)
], caption: figure.caption(
position: top,
[
Long table
]),
kind: "quarto-float-tbl",
supplement: "Table",
)
<tbl-long>
"""


def quarto_table_rules() -> str:
    """The raw Typst block of ``reports/report.qmd`` that sets Quarto's tables."""
    qmd = (Path(__file__).parents[2] / "reports" / "report.qmd").read_text(encoding="utf-8")
    blocks = re.findall(r"^```\{=typst\}\n(.*?)^```$", qmd, flags=re.MULTILINE | re.DOTALL)
    found = [b for b in blocks if "quarto-float-tbl" in b]
    assert len(found) == 1, "reports/report.qmd lost the block that lets Quarto's tables break"
    return found[0]


def test_quarto_pdf_a_table_longer_than_a_page_goes_on_with_its_header_repeated(tmp_path):
    # Quarto's own template leaves a table figure unbreakable; the report's front raw
    # block lets it go on over page breaks, as the offline template does. Checked on
    # Quarto's markup with the Typst that Quarto bundles (Quarto is not needed here).
    import typst

    rows = "\n".join(f"  [R{i}], [{'pain ' * 12}]," for i in range(1, 91))
    page = '#set page(paper: "a4", margin: (x: 2.5cm, y: 2.5cm))\n'
    source = tmp_path / "quarto.typ"
    pdf = tmp_path / "quarto.pdf"
    source.write_text(page + quarto_table_rules() + QUARTO_TABLE.replace("{rows}", rows), encoding="utf-8")
    pdf.write_bytes(typst.compile(str(source), format="pdf"))
    assert_table_goes_on_with_its_header(pdf, "", "Table 1: Long table", 90)
    # Without the block the table stays on one page: the check can fail.
    source.write_text(page + QUARTO_TABLE.replace("{rows}", rows), encoding="utf-8")
    pdf.write_bytes(typst.compile(str(source), format="pdf"))
    assert len(pypdf.PdfReader(pdf).pages) == 1


# --- PDF figures: fitted to the room left on their page -------------------------------

#: Portrait A4's text height: 29.7 cm less the template's 2.6 cm top and 2.4 cm foot margins.
PAGE_TEXT_HEIGHT = (29.7 - 2.6 - 2.4) / 2.54 * 72  # 700.2 pt


def write_tall_figure_report(folder: Path, image_height: float, lines_before: int) -> Path:
    """A report of ``lines_before`` numbered lines of text, then a figure whose SVG is
    ``image_height`` points high, marked by a letter 10 pt below its top edge (Q) and
    another 10 pt above its foot (Z): letters the text and caption do not hold (the
    PDF's text of an SVG comes letter by letter)."""
    (folder / "figures").mkdir(parents=True)
    h = image_height
    (folder / "figures" / "tall.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="{h}pt" viewBox="0 0 200 {h}">'
        f'<rect x="0" y="0" width="200" height="{h}" fill="#dddddd"/>'
        '<text x="10" y="10" font-family="DejaVu Sans" font-size="9">Q</text>'
        f'<text x="10" y="{h - 10}" font-family="DejaVu Sans" font-size="9">Z</text></svg>',
        encoding="utf-8",
    )
    lines = "\n\n".join(f"Line{i} of the text before the figure." for i in range(1, lines_before + 1))
    return write_qmd(folder, f"{lines}\n\n![A tall plot](figures/tall.svg){{#fig-tall}}\n")


def figure_labels(pdf: Path) -> dict[str, tuple[int, float]]:
    """The page (from 0) and baseline (points above the page's foot) of each label."""
    found = {}
    for page in range(len(pypdf.PdfReader(pdf).pages)):
        for text, ys in text_baselines(pdf, page).items():
            for label in ("Q", "Z", "Line1", "Figure"):
                if text == label or text.startswith((label + " ", label + "\xa0")):
                    found.setdefault(label, (page, ys[0]))
    return found


def test_pdf_a_figure_a_little_too_tall_for_the_room_left_is_drawn_smaller_there(renderer, tmp_path):
    # The title block and five lines leave about 570 pt: a figure of 600 pt, with its
    # caption and the spacing above it about 640 pt, moved whole to the next page and
    # left this one four fifths empty. Fitted, its image is drawn at 80% to 97% of its size.
    image = 0.86 * PAGE_TEXT_HEIGHT  # 602 pt
    qmd = write_tall_figure_report(tmp_path / "src", image, lines_before=5)
    out = render_report(qmd, tmp_path / "out", renderer=renderer)
    labels = figure_labels(out.pdf)
    assert labels["Line1"][0] == labels["Q"][0] == labels["Z"][0] == labels["Figure"][0] == 0
    assert len(pypdf.PdfReader(out.pdf).pages) == 1
    # The labels are image_height - 20 pt apart at full size.
    drawn = (labels["Q"][1] - labels["Z"][1]) / (image - 20)
    assert 0.8 <= drawn < 0.97
    # The caption stays inside the text area: its baseline is not below the foot margin
    # (2.4 cm; Typst ends a line's box at its baseline).
    assert labels["Figure"][1] > 2.4 / 2.54 * 72 - 0.5


def test_pdf_a_figure_far_too_tall_for_the_room_left_starts_the_next_page_at_full_size(renderer, tmp_path):
    # Thirty lines leave less than half the page: the figure would have to shrink to
    # well under 80%, its type too small to read. It moves to the next page, as it is.
    image = 0.6 * PAGE_TEXT_HEIGHT  # 420 pt
    qmd = write_tall_figure_report(tmp_path / "src", image, lines_before=30)
    out = render_report(qmd, tmp_path / "out", renderer=renderer)
    labels = figure_labels(out.pdf)
    assert labels["Line1"][0] == 0
    assert labels["Q"][0] == labels["Z"][0] == 1
    assert labels["Q"][1] - labels["Z"][1] == pytest.approx(image - 20, abs=0.5)


def test_pdf_the_text_after_a_figure_that_moves_fills_its_page_before_the_next_heading(renderer, tmp_path):
    # As above, with text after the figure and a section after that: moved whole, the
    # figure left the rest of the first page empty. It floats to the top of the second
    # page and the text after it fills the first; the next heading waits for it.
    image = 0.6 * PAGE_TEXT_HEIGHT
    qmd = write_tall_figure_report(tmp_path / "src", image, lines_before=30)
    after = "\n\n".join(f"After{i} the figure." for i in range(1, 9))
    next_section = heading("Next section", 3) + "\n\nNext text."
    qmd.write_text(qmd.read_text(encoding="utf-8") + "\n" + after + "\n\n" + next_section + "\n", encoding="utf-8")
    out = render_report(qmd, tmp_path / "out", renderer=renderer)
    labels = figure_labels(out.pdf)
    assert labels["Q"][0] == labels["Z"][0] == labels["Figure"][0] == 1
    assert labels["Q"][1] - labels["Z"][1] == pytest.approx(image - 20, abs=0.5)
    first, second = text_baselines(out.pdf, 0), text_baselines(out.pdf, 1)

    def line(found: dict[str, list[float]], start: str) -> float:
        return next(ys[0] for text, ys in found.items() if text.startswith(start))

    assert line(first, "After1 ") and line(first, "After4 ")
    # Set as the lines before it, one paragraph's spacing apart (a marker left where the
    # figure was once joined the two paragraphs around it with no space between).
    pitch = line(first, "Line29 ") - line(first, "Line30 ")
    assert line(first, "Line30 ") - line(first, "After1 ") == pytest.approx(pitch, abs=0.5)
    # The next section begins below the figure, on its page.
    assert line(second, "Next section") < labels["Figure"][1]
    assert not any(text.startswith("Next section") for text in first)


def test_pdf_is_compiled_again_without_floats_when_typsts_passes_do_not_settle(renderer, tmp_path, monkeypatch):
    # Each float moves the pages after it: where many figures float, Typst's five
    # layout passes may end unsettled, which its warnings say (a warning fails the
    # render). The PDF is then compiled again with every figure in the text's flow.
    import typst

    class Unsettled:
        message = "document did not converge within five attempts"
        hints = ("see https://typst.app/help/convergence for help",)

    real = typst.compile_with_warnings
    calls = []

    def compile_with_warnings(*args, **kwargs):
        calls.append(kwargs["sys_inputs"].get("metareview-figure-floats", "yes"))
        data, warnings = real(*args, **kwargs)
        return data, (list(warnings) + [Unsettled()] if calls[-1] == "yes" else warnings)

    monkeypatch.setattr(typst, "compile_with_warnings", compile_with_warnings)
    qmd = write_tall_figure_report(tmp_path / "src", 0.6 * PAGE_TEXT_HEIGHT, lines_before=30)
    qmd.write_text(qmd.read_text(encoding="utf-8") + "\nAfter1 the figure.\n", encoding="utf-8")
    out = render_report(qmd, tmp_path / "out", renderer=renderer)
    assert calls == ["yes", "no"]
    # The second compilation's PDF: the figure moved whole, the text after it below it.
    pages = page_texts(out.pdf)
    assert "After1" not in pages[0].split() and "After1" in pages[1].split()
    # Any other warning still fails the render, as before.
    calls.clear()
    monkeypatch.setattr(typst, "compile_with_warnings", lambda *a, **k: (b"", [Unsettled(), "unknown font"]))
    with pytest.raises(RenderError, match="unknown font"):
        render_report(qmd, tmp_path / "out2", renderer=renderer)


def test_pdf_a_figure_a_little_taller_than_a_page_is_drawn_to_fit_one(renderer, tmp_path):
    # A forest plot of many studies: 1.15 pages high, it ran off the foot of its page.
    # Drawn at figure-min-scale (80%) or more, it fits one page.
    image = 1.15 * PAGE_TEXT_HEIGHT
    qmd = write_tall_figure_report(tmp_path / "src", image, lines_before=30)
    out = render_report(qmd, tmp_path / "out", renderer=renderer)
    labels = figure_labels(out.pdf)
    assert labels["Q"][0] == labels["Z"][0] == labels["Figure"][0] == 1
    assert labels["Figure"][1] > 2.4 / 2.54 * 72 - 0.5
    assert labels["Q"][1] < 29.7 / 2.54 * 72 - 2.6 / 2.54 * 72
    assert (labels["Q"][1] - labels["Z"][1]) / (image - 20) >= 0.8


#: A forest plot's row pitch (metareview.plots: 0.22 in) and its labels' size.
ROW_PITCH = 0.22 * 72
ROW_TEXT = 9


def write_forest_rows_report(folder: Path, rows: int, lines_before: int, alt: str) -> Path:
    """A report of ``lines_before`` lines of text, then a figure drawn as a forest plot is:
    a header, then a row per study, each a line of 9 pt text ("T" and its number) with a
    square beside it, ROW_PITCH apart, a vertical line through all rows, and a note."""
    (folder / "figures").mkdir(parents=True)
    top = 40.0
    height = top + rows * ROW_PITCH + 60
    font = f'font-family="DejaVu Sans" font-size="{ROW_TEXT}"'
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" width="450pt" height="{height:.3f}pt" '
         f'viewBox="0 0 450 {height:.3f}">'),
        f'<rect x="0" y="0" width="450" height="{height:.3f}" fill="#ffffff"/>',
        f'<text x="10" y="20" {font}>study</text>',
        f'<line x1="300" y1="{top}" x2="300" y2="{top + rows * ROW_PITCH:.3f}" stroke="#000000"/>',
    ]
    for i in range(rows):
        baseline = top + (i + 0.5) * ROW_PITCH + 3
        parts.append(f'<text x="10" y="{baseline:.3f}" {font}>T{i + 1}</text>')
        parts.append(f'<rect x="290" y="{baseline - 7:.3f}" width="8" height="8" fill="#000000"/>')
    parts.append(f'<text x="10" y="{height - 20:.3f}" {font}>note</text></svg>')
    (folder / "figures" / "forest.svg").write_text("\n".join(parts), encoding="utf-8")
    lines = "\n\n".join(f"Line{i} of the text before the figure." for i in range(1, lines_before + 1))
    body = figure("figures/forest.svg", "Many studies", "fig-many", alt=alt)
    return write_qmd(folder, f"{lines}\n\n{body}\n\nAfter the figure.\n")


_CLIP = re.compile(
    r"([-\d.]+) ([-\d.]+) m ([-\d.]+) ([-\d.]+) l ([-\d.]+) ([-\d.]+) l ([-\d.]+) ([-\d.]+) l\s+h\s+W\s+n"
)


def clip_extents(pdf: Path, page: int) -> list[tuple[float, float]]:
    """The vertical extent (points above the page's foot) of each rectangle a page clips
    to, as Typst writes them (a closed path of four corners, then W n), in page space."""
    content = pypdf.PdfReader(pdf).pages[page].get_contents().get_data().decode("latin-1")
    extents = []
    for match in _CLIP.finditer(content):
        ys = [float(match.group(i)) for i in (2, 4, 6, 8)]
        extents.append((min(ys), max(ys)))
    return extents


def alt_texts(pdf: Path) -> list[str]:
    """Every /Alt of the tagged PDF's structure tree."""
    found = []

    def visit(node, depth=0):
        node = node.get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            for key, value in node.items():
                if key not in ("/P", "/Parent", "/Pg", "/ParentTree") and depth < 40:
                    visit(value, depth + 1)
        elif isinstance(node, pypdf.generic.ArrayObject):
            for value in node:
                visit(value, depth + 1)

    visit(pypdf.PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.parametrize("floats", ["yes", "no"])
def test_pdf_a_figure_far_taller_than_a_page_keeps_its_size_across_pages_cut_between_rows(
    renderer, tmp_path, monkeypatch, floats
):
    # A forest plot of 120 studies, about 2.9 pages high: fitted to one page it was drawn
    # at a third of its size, its 9 pt labels 3 pt high. Below figure-min-scale it keeps
    # its size and goes on over the pages after, cut between its rows, the caption under
    # its last piece. Floats off (the renderer's second compilation) it does the same.
    import typst

    real = typst.compile_with_warnings

    def compile_with_warnings(*args, **kwargs):
        kwargs["sys_inputs"] = {**kwargs["sys_inputs"], "metareview-figure-floats": floats}
        return real(*args, **kwargs)

    monkeypatch.setattr(typst, "compile_with_warnings", compile_with_warnings)
    rows = 120
    alt = "Forest plot of 120 studies"
    qmd = write_forest_rows_report(tmp_path / "src", rows, lines_before=5, alt=alt)
    out = render_report(qmd, tmp_path / "out", renderer=renderer)
    pages = len(pypdf.PdfReader(out.pdf).pages)
    assert pages >= 3
    seen = []  # (page, baseline) of each row label shown
    for page in range(pages):
        baselines = text_baselines(out.pdf, page).get("T", [])
        if not baselines:
            continue
        # Each page draws the whole plot, clipped to its piece: the one clip inside the
        # page's text area (the SVG's own viewport clip runs past the page).
        pieces = [(lo, hi) for lo, hi in clip_extents(out.pdf, page) if lo >= 2.4 / 2.54 * 72 - 0.5
                  and hi <= (29.7 - 2.6) / 2.54 * 72 + 0.5]
        assert len(pieces) == 1, f"page {page + 1}: clips {clip_extents(out.pdf, page)}"
        lo, hi = pieces[0]
        for y in baselines:
            # No label is cut: each one lies wholly inside or wholly outside the piece.
            glyph = (y - 0.24 * ROW_TEXT, y + 0.76 * ROW_TEXT)
            assert not (glyph[0] < lo < glyph[1] or glyph[0] < hi < glyph[1]), (page + 1, y, lo, hi)
        shown = sorted((y for y in baselines if lo <= y <= hi), reverse=True)
        # At the plot's own size: its rows ROW_PITCH apart.
        assert all(a - b == pytest.approx(ROW_PITCH, abs=0.05) for a, b in itertools.pairwise(shown))
        seen += [(page, y) for y in shown]
    # Every row shown once, on the pages in turn.
    assert len(seen) == rows
    assert len({page for page, _ in seen}) >= 3
    last_page, last_row = seen[-1]
    caption = figure_labels(out.pdf)["Figure"]
    assert caption[0] == last_page and caption[1] < last_row
    assert "After" in page_texts(out.pdf)[last_page].split()
    # Read once: the pieces after the first are artifacts, which carry no alt text.
    assert alt_texts(out.pdf) == [alt]


def test_template_keeps_rows_whole_with_a_measured_way_out():
    template = (SUPPORT_DIR / "template.typst").read_text(encoding="utf-8")
    assert "block(breakable: false, it)" in template
    assert "measure(it, width: size.width).height <= row-room * page-room" in template


def test_pdf_header_cells_bold_labels_and_headings_are_not_hyphenated(renderer, tmp_path):
    long = "Uncharacteristically"
    columns = 9
    # Nine columns of a 20-letter word: too wide for a line, so the table turns
    # hyphenation on for its cells (markdown.table).
    narrow = table([long] * columns, [[long] * columns], "Narrow columns", "tbl-narrow")
    body = (
        f"## Considerations {long.lower()} {long.lower()} {long.lower()} {long.lower()}\n\n"
        + f"{'word ' * 20}**{long} {long} {long}** {'word ' * 20}\n"
        + narrow
    )
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    import re

    text = pypdf.PdfReader(out.pdf).pages[0].extract_text()
    # The body cells, too narrow for the word, are hyphenated (Typst writes a soft
    # hyphen); the header cells, the bold label and the heading are not.
    assert len(re.findall(f"{long[:4]}\\w*[\u00ad-]\\s", text)) == columns
    assert text.count(long) == columns + 3
    assert text.count(long.lower()) == 4
    template = (SUPPORT_DIR / "template.typst").read_text(encoding="utf-8")
    assert "#show heading: set par(justify: false)" in template


def test_pdf_body_text_keeps_its_words_whole(renderer, tmp_path):
    # Justified and hyphenated, a word split at a line's end reached the PDF's text as
    # two pieces with a soft hyphen between ("signif\u00ad" / "icant"): a search of the
    # PDF for the word, or for a study's name, missed it.
    words = " ".join(["characteristically incomprehensible institutionalisation"] * 12)
    out = render_report(write_qmd(tmp_path / "src", f"## Words\n\n{words}\n"), tmp_path / "out",
                        renderer=renderer)
    text = pypdf.PdfReader(out.pdf).pages[0].extract_text()
    assert "\u00ad" not in text, text
    assert text.count("institutionalisation") == 12


def test_pdf_table_words_are_whole_where_the_columns_hold_them(renderer, tmp_path):
    # Ragged cells filled greedily split the word that reached a line's end
    # ("sec-" / "ondary"); a table whose columns are wider than their longest words
    # keeps every word whole, and a table after one too wide for its words does too.
    words = ["secondary", "acupuncture", "conventional", "disability", "intensity", "randomised",
             "participants", "treatment", "comparator", "minimal", "placebo"]
    # Six columns, each at least as wide as "participants": filled greedily, their
    # cells broke words at about fifty line ends.
    cells = [" ".join(words[(i + j) % len(words)] for j in range(9)) for i in range(6)]
    fitting = table(list("ABCDEF"), [cells, cells[::-1]], "Six columns of words", "tbl-words")
    assert "hyphenate" not in fitting
    long = "Uncharacteristically"
    too_wide = table([long] * 9, [[long] * 9], "Nine columns", "tbl-wide")
    body = fitting + "\nText.\n" + too_wide + "\nText.\n" + fitting.replace("tbl-words", "tbl-again")
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    pages = [page.extract_text() for page in pypdf.PdfReader(out.pdf).pages]
    text = "\n".join(pages)
    start, end = text.index("Nine columns"), text.rindex("Six columns of words")
    # Typst writes a soft hyphen (or a hyphen) where it breaks a word.
    assert "\u00ad" not in text[:start] + text[end:]
    assert re.search(f"{long[:4]}\\w*[\u00ad-]\\s", text[start:end])
    # Every word whole: as often as the two tables' cells hold it.
    for word in words:
        assert text.count(word) == 2 * 2 * sum(cell.split().count(word) for cell in cells), word


def test_pdf_links_are_underlined_but_not_the_table_of_contents(renderer, tmp_path):
    qmd = write_qmd(
        tmp_path / "src",
        "## Methods {#sec-m}\n\nSee [the methods](#sec-m) and plain words.\n\n## Results\n\nText.\n",
    )
    qmd.write_text(qmd.read_text(encoding="utf-8").replace("---\n\n", "toc: true\n---\n\n", 1), encoding="utf-8")
    out = render_report(qmd, tmp_path / "out", renderer=renderer)
    # A stroked line ("x y m x y l S") and the colour it is stroked in, on every page.
    strokes = []
    for page in pypdf.PdfReader(out.pdf).pages:
        content = page.get_contents().get_data().decode("latin-1")
        strokes += re.findall(r"([\d.]+ [\d.]+ [\d.]+) SCN[^\n]*? m [^\n]*? l\s*S", content)
    # The link's blue alone stood 2.5:1 against the black text (WCAG 1.4.1 asks 3:1 or
    # another cue): one line under the one link, in its colour (#1f4e8c), and none under
    # the two entries of the table of contents, which are links too.
    assert len(strokes) == 1
    assert [round(float(c) * 255) for c in strokes[0].split()] == [0x1F, 0x4E, 0x8C]


def test_pdf_text_after_the_table_of_contents_starts_after_a_gap(renderer, tmp_path):
    qmd = tmp_path / "src" / "toc.qmd"
    qmd.parent.mkdir()
    qmd.write_text(
        '---\ntitle: "T"\ntoc: true\n---\n\nOpening paragraph.\n\n## Alpha\n\nA.\n\n## Omega\n\nO.\n',
        encoding="utf-8",
    )
    lines = text_baselines(render_report(qmd, tmp_path / "out", renderer=renderer).pdf)
    first_entry, last_entry = lines["Alpha"][0], lines["Omega"][0]
    opening = lines["Opening paragraph."][0]
    # Without a gap the paragraph followed as if it were the next entry.
    assert last_entry - opening >= 2 * (first_entry - last_entry)


def test_pdf_table_of_contents_a_line_too_long_for_the_title_page_stays_on_it(renderer, tmp_path):
    # The example's table of contents was one entry too long for the room under the
    # title: its last entry ("Appendix: audit trail ..... 68") stood alone at the top
    # of page 2. One a few entries too long is set with its lines closer, on page 1;
    # one far longer breaks where it falls, as before.
    def toc_pages(sections: int) -> tuple[int, float]:
        body = "".join(f"## Section {i:02d}\n\nText {i}.\n\n" for i in range(1, sections + 1))
        qmd = write_qmd(tmp_path / f"src{sections}", f"Opening paragraph.\n\n{body}")
        qmd.write_text(qmd.read_text(encoding="utf-8").replace("---\n\n", "toc: true\n---\n\n", 1),
                       encoding="utf-8")
        pdf = render_report(qmd, tmp_path / f"out{sections}", renderer=renderer).pdf
        pages = [page.extract_text() for page in pypdf.PdfReader(pdf).pages]
        first = text_baselines(pdf)
        pitch = (first["Section 01"][0] - first["Section 11"][0]) / 10
        # The page of the last entry: the first page that names the last section.
        return next(i for i, text in enumerate(pages) if f"Section {sections:02d}" in text), pitch

    # 46 sections: 45 entries fit under the title at the usual spacing, this one the next page.
    near, near_pitch = toc_pages(46)
    assert near == 0
    far, far_pitch = toc_pages(60)
    assert far == 1
    # Closer, not much closer: at most a fifth off the usual distance between entries.
    assert far_pitch * 0.8 - 0.01 <= near_pitch < far_pitch


def test_html_figures_give_their_caption_once(rendered, tmp_path):
    import re

    html = rendered.html.read_text(encoding="utf-8")
    # The caption was the image's alt text and aria-label as well as its figcaption.
    images = re.findall(r"<figure[^>]*>\s*<div[^>]*>\s*<img([^>]*)>", html)
    assert len(images) == 2
    for attributes in images:
        assert 'alt=""' in attributes
        assert "aria-label" not in attributes and "role=" not in attributes
    # Quarto's fig-alt is the alt text where given; an image in running text keeps its own.
    shutil.copy(DATA / "figures" / "forest.svg", tmp_path / "forest.svg")
    snippet = pandoc_html(
        f'![Caption]({tmp_path}/forest.svg){{#fig-a fig-alt="A forest plot"}}\n\n'
        f"An ![icon]({tmp_path}/forest.svg).\n",
        tmp_path,
    )
    assert 'alt="A forest plot"' in snippet and "fig-alt" not in snippet
    assert 'alt="icon"' in snippet


# --- HTML tables ------------------------------------------------------------------------


def test_html_tables_scroll_in_their_own_box_under_a_caption_outside_them(tmp_path):
    html = pandoc_html(
        "See @tbl-wide.\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n: Wide *one* {#tbl-wide}\n\n"
        "| c |\n|---|\n| 3 |\n",
        tmp_path,
    )
    # As Quarto writes it: the caption above the table, outside it (a <caption> is as
    # wide as its table, 1,500 px for the audit trail); the label on the outer element,
    # where links land; the table in a box of its own, named by the caption.
    assert '<a href="#tbl-wide">Table\u00a01</a>' in html
    assert html.count('id="tbl-wide"') == 1
    float_start = html.index('<div id="tbl-wide" class="table-float">')
    caption = html.index('<div id="tbl-wide-caption" class="table-caption">')
    # The box scrolls: a keyboard can reach it (tabindex) and a screen reader names the
    # region by the caption.
    scroller = '<div class="table-wrapper" role="region" aria-labelledby="tbl-wide-caption" tabindex="0">'
    wrapper = html.index(scroller, caption)
    table_start = html.index('<table role="table" aria-labelledby="tbl-wide-caption">')
    assert float_start < caption < wrapper < table_start
    assert "Table\u00a01: Wide <em>one</em>" in html[caption:wrapper]
    assert "<caption" not in html
    # A table without a caption is wrapped too. Its box has no caption to be named by,
    # but it may scroll as well: without a tabindex a keyboard could not reach it to
    # scroll it (axe-core's scrollable-region-focusable, WCAG 2.1.1).
    assert html.count('<div class="table-wrapper"') == 2
    assert '<div class="table-wrapper" role="group" aria-label="Table" tabindex="0">' in html
    # The wrapper scrolls; the page does not; the focus on it shows.
    assert "overflow-x: auto" in css_rule("div.table-wrapper, div.sourceCode")
    assert "outline: 2px solid" in css_rule(FOCUS_RULE)
    assert "width: 100%" in css_rule("table")


def test_html_listing_tables_are_the_ones_the_pdf_sets_as_listings(tmp_path):
    # The filter and the Typst template each name the listings (published meta-analyses,
    # statements, appendices): the two lists are one, or a table would be a listing in
    # one format and not in the other.
    lua = (SUPPORT_DIR / "quarto-compat.lua").read_text(encoding="utf-8")
    typst_template = (SUPPORT_DIR / "template.typst").read_text(encoding="utf-8")
    in_lua = re.findall(r'\["(tbl-[a-z-]+)"\] = true', re.search(r"LISTING_TABLES = \{(.*?)\n\}", lua, re.DOTALL)[1])
    in_typst = re.findall(r"<(tbl-[a-z-]+)>", re.search(r"#let listing-tables = \((.*?)\)\n", typst_template, re.DOTALL)[1])
    assert sorted(in_lua) == sorted(in_typst) and len(in_lua) == 6
    body = "".join(
        f"| a | b |\n|---|---|\n| 1 | 2 |\n\n: {label} {{#{label}}}\n\n" for label in ("tbl-audit", "tbl-other")
    )
    html = pandoc_html(body + "| c |\n|---|\n| 3 |\n", tmp_path)
    assert html.count('<div class="table-wrapper listing" role="region" aria-labelledby="tbl-audit-caption"') == 1
    assert html.count('class="table-wrapper listing"') == 1


# A row of a listing, as wide as the audit trail's: its raw cells run long, unbroken.
WIDE_ROW = "| `dry_needling_vs_other_active_disability` | " + " | ".join(
    f"contrasts.csv row {i}: estimate = -0.{i}7, ci_lb = -1.{i}, sign_convention = arm1_minus_arm2"
    for i in range(6)) + " |\n"


def test_chromium_holds_a_long_tables_scrollbar_and_header_in_view_and_widens_listings(
        renderer, tmp_path, chromium):
    heads = "| Analysis | " + " | ".join(f"Column {i}" for i in range(6)) + " |\n" + "|---" * 7 + "|\n"
    body = (heads + WIDE_ROW * 60 + "\n: The audit trail {#tbl-audit}\n\n"
            + heads + WIDE_ROW * 2 + "\n: Another table {#tbl-other}\n")
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    # For each table's box: its left and right edges, its height, whether it scrolls
    # sideways; then, the long box scrolled down inside, where its header row is drawn.
    probe = (
        "<script>addEventListener('load', () => {"
        "const boxes = [...document.querySelectorAll('div.table-wrapper')];"
        "const main = document.querySelector('main'), style = getComputedStyle(main);"
        "const column = [main.getBoundingClientRect().left + parseFloat(style.paddingLeft),"
        "  main.getBoundingClientRect().right - parseFloat(style.paddingRight)];"
        "const sizes = boxes.map(box => { const r = box.getBoundingClientRect();"
        "  return [r.left, r.right, r.height, box.scrollWidth > box.clientWidth]; });"
        "boxes[0].scrollTop = 2000;"
        "const head = boxes[0].querySelector('th').getBoundingClientRect().top - boxes[0].getBoundingClientRect().top;"
        "document.body.dataset.measure = JSON.stringify([innerWidth, innerHeight, column, sizes, head]); });</script>"
    )
    for window in ((1280, 900), (500, 900)):
        width, height, (left, right), (listing, other), head = chromium_measure(
            chromium, out.html, probe, tmp_path, window=window)
        # The long table's box is shorter than the window, so its sideways scrollbar, at
        # the box's foot, is in view whenever the box's top is; scrolled down inside, its
        # header row stays at its top.
        assert listing[2] <= 0.85 * height + 1
        assert head == pytest.approx(0, abs=1)
        # The listing may use the window's width, less a margin, not the column's; the
        # other table keeps the column's.
        assert 0 < listing[0] < left and right < listing[1] < width, (window, listing, left, right)
        assert other[0] == pytest.approx(left, abs=1) and other[1] == pytest.approx(right, abs=1)
        # At 1280 px the listing has room for more than the 816-px column.
        if width >= 1280:
            assert listing[1] - listing[0] > 1.4 * (right - left)


def test_html_tables_laid_out_for_a_landscape_line_take_a_listings_width(tmp_path):
    # The tables of analyses, of studies and of trial characteristics share their columns
    # out of a landscape page's line, as the listings do: in the HTML they get a
    # listing's room, not the column's.
    landscape = ("tbl-analyses", "tbl-studies", "tbl-trial-characteristics")
    body = "".join(
        f"| a | b |\n|---|---|\n| 1 | 2 |\n\n: {label} {{#{label}}}\n\n"
        for label in (*landscape, "tbl-other")
    )
    html = pandoc_html(body, tmp_path)
    for label in landscape:
        assert f'<div class="table-wrapper listing" role="region" aria-labelledby="{label}-caption"' in html
    assert html.count('class="table-wrapper listing"') == len(landscape)


def test_html_body_cells_carry_their_columns_header(tmp_path):
    html = pandoc_html(
        "| Study | 95% CI | *Note* |\n|---|--:|---|\n| Chen | −1 to 2 | x |\n| Cho | 0 to 1 | |\n\n: Named {#tbl-n}\n",
        tmp_path,
    )
    # What the style sheet prints before each cell on a phone: the header as text.
    assert html.count('data-label="Study"') == 2 and html.count('data-label="95% CI"') == 2
    assert html.count('data-label="Note"') == 2
    assert "data-label" not in html.split("<tbody")[0]
    # Each part says what it is, so a browser that drops a block-displayed table's
    # semantics on a phone still reads each cell with its header.
    assert html.count('role="table"') == 1 and re.search(r'<table[^>]* role="table"', html)
    assert html.count('role="rowgroup"') == 2 and '<thead role="rowgroup">' in html
    assert html.count('role="row"') == 3 and html.count('role="columnheader"') == 3
    assert html.count('role="cell"') == 6 and '<td role="cell" data-label="Study">Chen</td>' in html
    # The header's words drawn before a cell are read unless the roles are there.
    assert css_rule("table:has(> thead > tr > th:nth-child(2)) > tbody > tr > td[data-label]::before") == (
        'content: attr(data-label) ": "; font-weight: 600;')
    assert css_rule('table[role="table"]:has(> thead > tr > th:nth-child(2)) > tbody > tr[role="row"] > '
                    'td[role="cell"][data-label]::before') == 'content: attr(data-label) ": " / "";'


# A table of study effects, as wide as the report's.
EFFECT_HEADS = ["Study", "SMD", "95% CI", "Weight %", "n (int. / comp.)", "From", "Flags"]
EFFECT_ROWS = [
    [f"Brinkhaus{i} et al. (2006)", "−0.51", "−1.39 to 0.37", "41.2", "80 / 78",
     "arm-level means and SDs, week 8", ("known only from a secondary source; rated by its raw row as extracted "
                                         "with low confidence")] for i in range(3)
]


def test_chromium_fits_the_table_of_checksums_to_a_phones_screen(renderer, tmp_path, chromium):
    # A SHA-256 digest is one token of 64 characters: kept whole, the provenance's table
    # of checksums was twice as wide as a phone's screen and scrolled in its box.
    digest = "7164755a6bc4fbb82aa11ab09a53d346c9cb3c04d29b750d7246cb0948b27182"
    body = str(table(["Input file", "SHA-256"], [["config/config.yaml", digest], ["data/raw/arms.csv", digest]],
                     "Checksums of the inputs this report was built from", "tbl-checksums"))
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    phone = phone_frame(out.html, tmp_path, 390, 844)
    probe = ("<script>addEventListener('load', () => { const frame = document.querySelector('iframe');"
             "const doc = frame.contentDocument; const t = doc.querySelector('#tbl-checksums table');"
             "const box = t.closest('div.table-wrapper') || t.parentElement;"
             "document.body.dataset.measure = JSON.stringify([box.scrollWidth > box.clientWidth,"
             "  doc.documentElement.scrollWidth > frame.contentWindow.innerWidth,"
             "  [...t.querySelectorAll('tbody td:last-child')].map(td => td.textContent)]); });</script>")
    box_scrolls, page_scrolls, texts = chromium_measure(chromium, phone, probe, tmp_path)
    assert not box_scrolls and not page_scrolls
    # Broken only where drawn: the digest's text (copied, searched) is whole.
    assert texts == [digest, digest]


def test_chromium_sets_a_wide_tables_rows_as_cards_on_a_phone(renderer, tmp_path, chromium):
    # A listing too (its box sized to its content elsewhere), with a long unbroken run.
    listing = [[*row[:-1], row[-1] + "; from results/analyses/acupuncture_vs_sham_disability.effects.csv"]
               for row in EFFECT_ROWS]
    body = (str(table(EFFECT_HEADS, EFFECT_ROWS, "Study effects", "tbl-effects"))
            + "\n" + str(table(["Trial", "Fit"], [["Chen", "matches"]], "Narrow", "tbl-narrow"))
            + "\n" + "| Only |\n|---|\n| Chen |\n\n: One column {#tbl-one}\n\n"
            + "\n" + str(table(EFFECT_HEADS, listing, "Audit trail", "tbl-audit")))
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    # The page in a frame as wide as a phone's screen (390 CSS px; headless Chromium's
    # window is 500 px at least), and in a laptop's window: for each table, how its first
    # body cells are displayed, where the wide table's cells of the first row start
    # and what precedes each; whether its header row shows; whether its box or the page
    # scrolls sideways.
    measure = (
        "const measure = (doc, view) => { const tables = [...doc.querySelectorAll('table')];"
        "  const cells = [...tables[0].querySelectorAll('tbody tr:first-child td')];"
        "  const box = doc.querySelector('div.table-wrapper');"
        "  return [tables.map(t => view.getComputedStyle(t.querySelector('td')).display),"
        "    cells.map(td => Math.round(td.getBoundingClientRect().left)),"
        "    cells.map(td => view.getComputedStyle(td, '::before').content),"
        "    tables[0].querySelector('thead').getBoundingClientRect().height,"
        "    box.scrollWidth > box.clientWidth, doc.documentElement.scrollWidth > view.innerWidth,"
        "    [tables[0], tables[0].querySelector('tbody tr'), tables[0].querySelector('th'), ...cells]"
        "      .map(x => [x.computedRole, x.computedName]),"
        "    [...doc.querySelectorAll('div.table-wrapper')].map(b => [b.getBoundingClientRect().left,"
        "      b.getBoundingClientRect().right, view.innerWidth])]; };"
    )
    phone = phone_frame(out.html, tmp_path, 390, 844)
    probe = ("<script>addEventListener('load', () => {" + measure
             + "const frame = document.querySelector('iframe');"
             "document.body.dataset.measure = JSON.stringify(measure(frame.contentDocument, frame.contentWindow));"
             " });</script>")
    displays, lefts, before, head, box_scrolls, page_scrolls, roles, boxes = chromium_measure(
        chromium, phone, probe, tmp_path)
    # A card a row: the cells one under another, each after its header's words; the
    # header row out of sight (it stays for a screen reader, and each cell is still a
    # cell to one), and nothing to scroll sideways, every box within the screen. A table
    # of two columns is set so too (at 320 px one of three began with its deciding
    # column out of sight); one of a single column stays a table.
    assert displays == ["block", "block", "table-cell", "block"]
    assert all(0 < left < right < width for left, right, width in boxes), boxes
    assert len(set(lefts)) == 1
    # The header's words are drawn, not read (an empty alternative): the cell's name is
    # its text alone, its column's header being read with it already.
    assert before == [f'"{head}: " / ""' for head in EFFECT_HEADS]
    assert head <= 1 and not box_scrolls and not page_scrolls
    assert [role for role, _name in roles] == ["table", "row", "columnheader", *["cell"] * len(EFFECT_HEADS)]
    assert [flat(name) for _role, name in roles[3:]] == [flat(cell) for cell in EFFECT_ROWS[0]]
    # A laptop's window shows it as a table.
    probe = ("<script>addEventListener('load', () => {" + measure
             + "document.body.dataset.measure = JSON.stringify(measure(document, window)); });</script>")
    displays, lefts, before, head, _box, page_scrolls, _roles, _boxes = chromium_measure(
        chromium, out.html, probe, tmp_path, window=(1280, 900))
    assert displays == ["table-cell"] * 4 and len(set(lefts)) == len(EFFECT_HEADS)
    assert before == ["none"] * len(EFFECT_HEADS) and head > 10 and not page_scrolls


def test_chromium_sets_tables_of_two_and_three_columns_as_cards_at_320_px(renderer, tmp_path, chromium):
    # At 320 CSS px the tables of trials left out (Study, Analysis, Why it was not used),
    # of populations (Trial, Population enrolled, Fit) and of claims (Claim, Verdict, Why)
    # were wider than their boxes: their first screen held the first columns only, the
    # one that explains each row out of sight, and the claims' box, held at 85% of the
    # window's height, scrolled both ways inside the scrolling page.
    why = ("no value after baseline for this comparison in the data: its rows are of week 0, measured "
           "before treatment; a result given in words only")
    rows = [[f"Cherkin{i} et al. (2009)", "Acupuncture vs Sham, minimal needling or placebo TENS (pain intensity)",
             why] for i in range(30)]
    body = (str(table(["Study", "Analysis", "Why it was not used"], rows, "Trials left out", "tbl-excluded"))
            + "\n" + str(table(["Study or source", "Warning"], [[r[0], r[2]] for r in rows[:3]], "Warnings",
                                "tbl-warnings")))
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    phone = phone_frame(out.html, tmp_path, 320, 640)
    probe = ("<script>addEventListener('load', () => { const frame = document.querySelector('iframe');"
             "const doc = frame.contentDocument, view = frame.contentWindow;"
             "document.body.dataset.measure = JSON.stringify([[...doc.querySelectorAll('div.table-wrapper')].map(b => ["
             "  b.scrollWidth > b.clientWidth, b.scrollHeight > b.clientHeight,"
             "  view.getComputedStyle(b.querySelector('td')).display,"
             "  Math.round(b.querySelector('td:last-child').getBoundingClientRect().right) <= view.innerWidth]),"
             "  doc.documentElement.scrollWidth > view.innerWidth]); });</script>")
    boxes, page_scrolls = chromium_measure(chromium, phone, probe, tmp_path)
    # Cards, the deciding column's text within the screen; no box scrolls, either way.
    assert boxes == [[False, False, "block", True]] * 2 and not page_scrolls


def test_html_table_headers_read_left_unless_their_column_is_aligned(tmp_path):
    assert "text-align: left" in css_rule("th")
    html = pandoc_html("| a | b |\n|---|--:|\n| 1 | 2 |\n", tmp_path)
    # pandoc's inline style (which wins over the style sheet) only where a column is aligned.
    assert '<th scope="col" role="columnheader">a</th>' in html
    assert '<th style="text-align: right;" scope="col" role="columnheader">b</th>' in html


def test_html_header_cells_name_their_columns(tmp_path):
    html = pandoc_html(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n: Named {#tbl-n}\n\n| c |\n|---|\n| 3 |\n", tmp_path
    )
    # Every header cell, in a captioned table and in one without a caption, says it
    # heads a column, for a screen reader to read each cell with it; body cells stay td.
    assert len(re.findall(r"<th[ >]", html)) == html.count('<th scope="col" role="columnheader">') == 3
    assert len(re.findall(r"<td[ >]", html)) == 3 and "<th" not in html.split("<tbody")[-1]


# The rule that shows the keyboard's focus on each box that may scroll.
FOCUS_RULE = (
    "div.table-wrapper:focus-visible, div.figure-scroll:focus-visible, "
    "span.display-math:focus-visible, pre:focus-visible, div.sourceCode:focus-visible"
)


def test_html_code_blocks_scroll_in_a_box_the_keyboard_can_reach(tmp_path):
    html = pandoc_html("```python\nx = 1\n```\n\n```\nplain\n```\n", tmp_path)
    # pandoc writes a block's attributes on the div around a highlighted block and on
    # the <pre> of a plain one: each is the box that scrolls, and takes the focus.
    assert re.search(r'<div class="sourceCode" id="cb1" tabindex="0"><pre\s', html)
    assert "<pre tabindex=\"0\"><code>plain" in html
    assert "overflow-x: auto" in css_rule("div.table-wrapper, div.sourceCode")
    assert "overflow-x: auto" in css_rule("pre")
    # Inside the div, the <pre> must not scroll by itself: it would be a second,
    # unfocusable box, the one that scrolled (axe-core's scrollable-region-focusable).
    assert "overflow: visible" in css_rule("div.sourceCode > pre")
    assert "outline: 2px solid" in css_rule(FOCUS_RULE)


def test_html_display_maths_scrolls_in_a_box_the_keyboard_can_reach(rendered, tmp_path):
    # MathML, as the renderer asks for.
    html = pandoc_typst("Inline $a^2$ and set apart:\n\n$$\\sum_i w_i y_i$$\n", tmp_path, "html5", "--mathml")
    # A formula wider than the column scrolls; <math> takes no tabindex, so the box that
    # scrolls is a span around it that does (axe-core's scrollable-region-focusable).
    boxes = re.findall(r'<span class="display-math" tabindex="0"><math display="block"', html)
    assert len(boxes) == 1
    # Inline maths stays in its line, in no box.
    assert re.search(r'Inline <math display="inline"', html)
    assert "overflow-x: auto" in css_rule("span.display-math")
    assert "display: block" in css_rule("span.display-math")
    # Scrolling sideways, the box clips up and down too: a sum's sign reaches beyond the
    # <math> box (4 px of 48 at 17 px type in Chromium) and needs room above and below.
    padding = re.search(r"padding: ([\d.]+)em 0", css_rule("span.display-math"))
    assert padding and float(padding[1]) * 17 > 4
    # The sample's display maths, through the whole renderer.
    page = rendered.html.read_text(encoding="utf-8")
    boxed = re.findall(r'<span\s+class="display-math"\s+tabindex="0"><math\s+display="block"', page)
    assert len(boxed) == len(re.findall(r'<math\s+display="block"', page)) > 0


def test_html_inline_code_may_break_after_an_underscore(tmp_path):
    html = pandoc_html(
        "| Analysis | Row |\n|---|---|\n| `dry_needling_vs_sham_pain` | arm_outcomes.csv row 2 |\n"
        "| `a<b_c` | `x_y`{.python} |\n\nProse `keep_going` and plain_text.\n",
        tmp_path,
    )
    # Unbroken, an analysis id made its column as wide as the id and pushed the last
    # columns out of view; <wbr> lets a line break after each underscore, and is hidden
    # from the accessibility tree, where Chromium read it as a space.
    wbr = '<wbr aria-hidden="true">'
    assert f"<code>dry_{wbr}needling_{wbr}vs_{wbr}sham_{wbr}pain</code>" in html
    assert f"<code>a&lt;b_{wbr}c</code>" in html and f"<code>keep_{wbr}going</code>" in html
    assert html.count("<wbr") == html.count(wbr) == 6
    # Highlighted code and plain text are pandoc's own.
    assert "x_<wbr" not in html and "plain_<wbr" not in html and "arm_<wbr" not in html
    page = Page(html)
    assert "dry_needling_vs_sham_pain" in page.text and "a<b_c" in page.text


# Identifiers as the report's tables hold them: each longer than a 320 px column.
LONG_IDS = ("dry_needling_vs_other_active_disability", "acupuncture_vs_no_treatment_disability")
# A path as the appendix gives one, whose pieces between slashes have no underscore.
LONG_PATH = "results/report/figures/ID.forest.svg/results/report/figures/ID.forest.svg"


def test_html_inline_code_of_a_path_may_break_after_a_slash_or_an_extensions_dot(tmp_path):
    html = pandoc_html(
        "See `results/report/figures/ID.forest.svg`, `p < 0.05`, `x/`, `a.b_c` and `a.1`.\n", tmp_path
    )
    wbr = '<wbr aria-hidden="true">'
    # On a phone the appendix's path ran out of its cell, cut inside ".svg"; a line may
    # now break after each slash and each dot before a letter, never inside a number
    # nor after a path's closing slash.
    assert f"<code>results/{wbr}report/{wbr}figures/{wbr}ID.{wbr}forest.{wbr}svg</code>" in html
    assert "<code>p &lt; 0.05</code>" in html and "<code>x/</code>" in html and "<code>a.1</code>" in html
    assert f"<code>a.{wbr}b_{wbr}c</code>" in html
    assert Page(html).text == "See results/report/figures/ID.forest.svg, p < 0.05, x/, a.b_c and a.1."


def test_chromium_scales_a_drawing_up_to_a_wide_column_and_shades_a_box_that_scrolls(
        renderer, tmp_path, chromium):
    src = tmp_path / "src"
    (src / "figures").mkdir(parents=True)
    # Drawn 16 cm wide, as the forest plots are: 453.543 * 96 / 72 = 604.72 px.
    wide = SVG_WITH_TEXT.format(text="Study").replace('width="200pt"', 'width="453.543pt"').replace(
        'viewBox="0 0 200 40"', 'viewBox="0 0 453.543 40"')
    (src / "figures" / "plot.svg").write_text(wide, encoding="utf-8")
    qmd = write_qmd(src, figure("figures/plot.svg", "A wide plot", "fig-plot", alt="A plot of one study"))
    out = render_report(qmd, tmp_path / "out", renderer=renderer)
    probe = (
        "<script>addEventListener('load', () => { const box = document.querySelector('div.figure-scroll'),"
        "image = box.querySelector('img'), style = getComputedStyle(box);"
        "document.body.dataset.measure = JSON.stringify([image.getBoundingClientRect().width,"
        "  image.getBoundingClientRect().height, box.clientWidth, box.scrollWidth > box.clientWidth,"
        "  style.backgroundImage, style.backgroundAttachment, getComputedStyle(image).mixBlendMode]); });</script>"
    )
    drawn = 453.543 * 96 / 72
    # At 1,280 px the column is 48rem of 17 px: the drawing is scaled up to it, its
    # height with it, and nothing scrolls.
    width, height, box, scrolls, *_ = chromium_measure(chromium, out.html, probe, tmp_path, window=(1280, 900))
    assert box == pytest.approx(48 * 17, abs=1) and width == pytest.approx(box, abs=1)
    assert height == pytest.approx(40 * 96 / 72 * width / drawn, abs=1) and not scrolls
    # At 500 px it keeps its drawn size and scrolls; the box's scrolling shadows are
    # drawn behind the content, and the drawing's white is multiplied into them, so the
    # edge the box scrolls towards is shaded.
    width, height, box, scrolls, images, attachments, blend = chromium_measure(
        chromium, out.html, probe, tmp_path, window=(500, 900))
    assert width == pytest.approx(drawn, abs=0.5) and box < width and scrolls
    assert images.count("radial-gradient") == 2 and images.count("linear-gradient") == 2
    assert attachments == "local, local, scroll, scroll" and blend == "multiply"
    # A wide table's box is shaded alike (the same rule).
    assert "no-repeat local" in css_rule("div.table-wrapper, div.figure-scroll")


def test_chromium_reads_and_copies_inline_code_whole_and_wraps_it_at_320_px(renderer, tmp_path, chromium):
    rows = "".join(f"| `{ident}` | `{ident}` |\n" for ident in LONG_IDS)
    body = f"| Analysis | Same |\n|---|---|\n{rows}\nIn prose, `{LONG_IDS[0]}` too, and `{LONG_PATH}`.\n"
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    # At 320 CSS px (the body, as headless Chromium's window is 500 px at least): each
    # cell's accessible name (element.computedName, what a screen reader reads), each
    # code's text as selected for copying, where each code's lines break, and whether
    # the table's box or the page must scroll sideways.
    probe = (
        "<style>body { width: 320px; }</style><script>addEventListener('load', () => {"
        "const codes = [...document.querySelectorAll('code')];"
        "const copied = codes.map(code => { const range = document.createRange();"
        "  range.selectNodeContents(code); getSelection().removeAllRanges(); getSelection().addRange(range);"
        "  return getSelection().toString(); });"
        "const lines = codes.map(code => { const out = ['']; let top = null;"
        "  const walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);"
        "  for (let text = walk.nextNode(); text; text = walk.nextNode()) {"
        "    for (let i = 0; i < text.data.length; i++) { const range = document.createRange();"
        "      range.setStart(text, i); range.setEnd(text, i + 1); const y = range.getClientRects()[0].top;"
        "      if (top !== null && y > top + 2) out.push(''); top = y; out[out.length - 1] += text.data[i]; } }"
        "  return out; });"
        "const box = document.querySelector('div.table-wrapper'), main = document.querySelector('main');"
        "document.body.dataset.measure = JSON.stringify(["
        "  [...document.querySelectorAll('td')].map(cell => cell.computedName), copied, lines,"
        "  [box.scrollWidth, box.clientWidth, main.scrollWidth, main.clientWidth]]); });</script>"
    )
    names, copied, lines, widths = chromium_measure(chromium, out.html, probe, tmp_path)
    # A <wbr> in the accessibility tree made these "dry_ needling_ vs_ ...".
    assert names == [ident for ident in LONG_IDS for _ in range(2)]
    assert copied == [ident for ident in LONG_IDS for _ in range(2)] + [LONG_IDS[0], LONG_PATH]
    # Too long for a line at 320 px, each id wraps, and only after an underscore (a
    # path also after a slash or an extension's dot): the lines joined give it back,
    # and every line but the last ends with one.
    for ident, code_lines in zip(copied, lines, strict=True):
        assert len(code_lines) > 1 and "".join(code_lines) == ident
        assert all(line.endswith(("_", "/", ".")) for line in code_lines[:-1]), code_lines
    assert any(line.endswith("/") for line in lines[-1])
    # Nothing overflows: neither the table in its box nor the page scrolls sideways.
    box_scroll, box_width, main_scroll, main_width = widths
    assert box_scroll == box_width and main_scroll == main_width


def test_a_printed_html_gives_an_outside_links_address_and_no_internal_ones(renderer, tmp_path, chromium):
    browser = chromium
    qmd = write_qmd(
        tmp_path / "src",
        "## Methods {#sec-m}\n\nThe [trial's registration](https://example.org/trial/7) and "
        "[the methods](#sec-m).\n",
    )
    rendered = render_report(qmd, tmp_path / "out", renderer=renderer, source_date_epoch=EPOCH)
    printed = tmp_path / "printed.pdf"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={printed}", rendered.html.as_uri()],
        check=True, capture_output=True, timeout=300,
    )
    text = flat(pdf_text(printed))
    # Paper cannot follow a link out of the document: its address is printed after it.
    # A link inside it ("the methods", "Table 3") reads the same on paper, and "#sec-m"
    # would say nothing.
    assert "registration <https://example.org/trial/7>" in text
    assert "the methods." in text and "#sec-m" not in text


def test_html_tables_in_the_rendered_page_are_wrapped(rendered):
    html = rendered.html.read_text(encoding="utf-8")
    assert html.count("<table") == html.count('<div class="table-wrapper') > 0
    assert "Table 1: Included studies" in Page(html).classes["table-caption"][0]


# --- the Quarto path, with a stand-in quarto -------------------------------------------

FAKE_QUARTO = """#!/bin/sh
# Stand-in for the Quarto CLI: logs its call and writes the requested output.
if [ "$1" = "--version" ]; then echo 1.6.40; exit 0; fi
echo "$PWD|$*" >> "$FAKE_QUARTO_LOG"
to=""; out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --to) to="$2"; shift ;;
    --output) out="$2"; shift ;;
  esac
  shift
done
if [ "$to" = "$FAKE_QUARTO_FAIL" ]; then echo "ERROR: boom in $to" >&2; exit 1; fi
printf '%s %s' "$to" "${SOURCE_DATE_EPOCH:-none}" > "$out"
"""


@pytest.fixture
def fake_quarto(tmp_path, monkeypatch):
    if sys.platform == "win32":
        pytest.skip("shell script stand-in")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "quarto"
    script.write_text(FAKE_QUARTO)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "quarto.log"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_QUARTO_LOG", str(log))
    monkeypatch.setenv("FAKE_QUARTO_FAIL", "")
    return log


def test_quarto_commands():
    html, pdf = quarto_commands("/opt/quarto", Path("/r/report.qmd"), "a.html", "a.pdf")
    assert html[:5] == ["/opt/quarto", "render", "report.qmd", "--to", "html"]
    assert html[html.index("--output") + 1] == "a.html"
    assert "embed-resources:true" in html and "html-math-method:mathml" in html
    assert pdf[:5] == ["/opt/quarto", "render", "report.qmd", "--to", "typst"]
    assert pdf[pdf.index("--output") + 1] == "a.pdf"
    assert "papersize:a4" in pdf


def test_quarto_is_preferred_when_on_path(fake_quarto):
    found = detect_renderer()
    assert (found.name, found.description) == ("quarto", "Quarto 1.6.40")
    assert found.versions == {"quarto": "1.6.40"}
    assert detect_renderer("pandoc").name == "pandoc+typst"


def test_asking_for_quarto_without_it_is_an_error(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(RenderError, match="not on PATH"):
        detect_renderer("quarto")
    assert detect_renderer("auto").name == "pandoc+typst"
    with pytest.raises(ValueError):
        detect_renderer("latex")


def test_quarto_path_runs_in_the_source_folder_and_moves_both_outputs(fake_quarto, tmp_path):
    qmd = copy_sample(tmp_path)
    before = sorted(p.name for p in qmd.parent.iterdir())
    out = render_report(
        qmd, tmp_path / "out", renderer=detect_renderer("quarto"), source_date_epoch=EPOCH
    )
    assert out.html.read_text() == f"html {EPOCH}"
    assert out.pdf.read_text() == f"typst {EPOCH}"
    calls = fake_quarto.read_text().splitlines()
    assert [c.split("|")[0] for c in calls] == [str(qmd.parent)] * 2
    assert [c.split("|")[1].split()[:4] for c in calls] == [
        ["render", "sample.qmd", "--to", "html"],
        ["render", "sample.qmd", "--to", "typst"],
    ]
    assert sorted(p.name for p in qmd.parent.iterdir()) == before
    assert sorted(p.name for p in out.html.parent.iterdir()) == ["sample.html", "sample.pdf"]


def test_quarto_failure_reports_quarto_and_leaves_nothing(fake_quarto, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_QUARTO_FAIL", "typst")
    qmd = copy_sample(tmp_path)
    before = sorted(p.name for p in qmd.parent.iterdir())
    out = tmp_path / "out"
    with pytest.raises(RenderError, match="boom in typst"):
        render_report(qmd, out, renderer=detect_renderer("quarto"))
    assert list(out.iterdir()) == []
    assert sorted(p.name for p in qmd.parent.iterdir()) == before


def test_pdf_title_is_set_in_even_lines_without_splitting_a_compound(renderer, tmp_path):
    title = "Dry needling versus acupuncture for chronic non-specific low back pain"
    out = render_report(write_qmd(tmp_path / "src", "Text.", title=title), tmp_path / "out", renderer=renderer)
    first, second = [line.strip() for line in pypdf.PdfReader(out.pdf).pages[0].extract_text().splitlines()[:2]]
    # Filled greedily the first line ran to the hyphen: "... for chronic non-" (48
    # characters), "specific low back pain" (22). Even lines split it at a space.
    assert f"{first} {second}" == title
    assert not first.endswith("-")
    assert abs(len(first) - len(second)) <= 8, (first, second)
    css = (SUPPORT_DIR / "report.css").read_text(encoding="utf-8")
    assert "text-wrap: balance" in css.split("#title-block-header h1.title")[1].split("}")[0]


def test_pdf_never_leaves_a_heading_alone_at_a_pages_foot(renderer, tmp_path):
    # More and more one-line paragraphs before a heading and its section's text: the
    # heading comes down the first page until it no longer fits there with two lines
    # of its text (Typst's orphan rule), and then it starts the next page with them,
    # although it would fit at this one's foot by itself.
    for lines in range(24, 60):
        filler = "\n\n".join(f"Line{i} of the text before." for i in range(1, lines + 1))
        body = filler + "\n\n" + heading("Section heading", 3) + "\n\nBodyA " + "word " * 300
        out = render_report(write_qmd(tmp_path / str(lines), body), tmp_path / f"out{lines}", renderer=renderer)
        pages = page_texts(out.pdf)
        heading_page = next(n for n, text in enumerate(pages) if "Section heading" in text)
        assert heading_page == next(n for n, text in enumerate(pages) if "BodyA" in text.split()), lines
        if heading_page == 1:
            break
    else:
        pytest.fail("the heading never reached the second page")
    assert f"Line{lines}" in pages[0].split()
    # Room was left below the last line for the heading (a line of 1.05 em, 1.5 em
    # above it): 2.4 cm is the foot margin, 11 pt the type.
    baselines = text_baselines(out.pdf, 0)
    last_line = min(y for text, ys in baselines.items() if text.startswith(f"Line{lines} ") for y in ys)
    assert last_line - 2.4 / 2.54 * 72 > 2.6 * 11


def test_pdf_keeps_a_lead_in_on_the_page_of_the_callout_after_it(renderer, tmp_path):
    # Filler that leaves room at the first page's foot for the heading and the two
    # lead lines but not for the callout: without keep_with_next they stayed there
    # and the callout began the next page.
    filler = "\n\n".join(f"Filler {i} " + "word " * 60 for i in range(8)) + "\n\nTail " + "word " * 91
    lead = keep_with_next(Markdown("Lead line one.\n\nLead line two."))
    body = "\n".join([filler + "\n", heading("Section heading", 3), lead, callout("note", "Callout title", "Body.")])
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    pages = page_texts(out.pdf)

    def on(text: str) -> list[int]:
        return [n for n, page in enumerate(pages) if text in page]

    assert len(pages) == 2 and on("Callout title") == [1]
    assert on("Section heading") == on("Lead line one.") == on("Lead line two.") == [1]
    # In the HTML, the plain div Quarto writes, its text unchanged.
    html = out.html.read_text(encoding="utf-8")
    assert '<div class="keep-with-next">' in html
    assert "Lead line one." in Page(html).text


def test_html_callout_icons_are_not_read_as_text():
    import re

    css = (SUPPORT_DIR / "report.css").read_text(encoding="utf-8")
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL))
    # The icons: a printed link's address (generated text too) is on paper, not read out.
    icons = [(selector.strip(), body) for selector, body in rules
             if re.search(r'content:\s*"[^"]+"', body) and "callout" in selector]
    assert {selector for selector, _ in icons} >= {".callout-header::before"}
    for selector, body in icons:
        # Generated text is read out with the title ("i Not pooled", "! Warning")
        # unless an empty alternative follows it.
        shown = re.findall(r'content:\s*"([^"]+)"\s*;', body)
        assert shown, selector
        for glyph in shown:
            assert f'content: "{glyph}" / "";' in body, selector


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two "#rrggbb" colours: (L1 + 0.05) / (L2 + 0.05), L the
    relative luminance of sRGB (IEC 61966-2-1) channels, 0.2126 R + 0.7152 G + 0.0722 B."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_by_hand():
    # Black on white is 21:1; mid grey #777777 on white is 4.48:1 (luminance 0.1845,
    # 1.05 / 0.2345), just short of the 4.5 that text needs.
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.005)


def test_html_text_and_callout_icons_stand_out_from_their_background():
    css = re.sub(r"/\*.*?\*/", "", (SUPPORT_DIR / "report.css").read_text(encoding="utf-8"), flags=re.DOTALL)
    root = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css_rule(":root")))
    # WCAG 1.4.3: body text, the muted text of captions and footnotes, and links on the
    # page's white, and text on the tinted code background, at 4.5:1 at least.
    for name in ("text", "muted", "link"):
        assert contrast(root[name], "#ffffff") >= 4.5, name
        assert contrast(root[name], root["code-bg"]) >= 4.5, name
    # Each callout's icon glyph ("i", "!") on its coloured disc, and its title (body
    # text) on its tinted bar.
    default_ink = re.search(r"(?<![-\w])color:\s*(?:var\(--callout-ink,\s*)?(#[0-9a-fA-F]{3,6})\b",
                            css_rule(".callout-header::before"))
    assert default_ink
    default_ink = default_ink[1] if len(default_ink[1]) == 7 else "#" + "".join(c * 2 for c in default_ink[1][1:])
    kinds = [(kind, body) for kind, body in re.findall(r"\.callout-(\w+)\s*\{([^}]*)\}", css)
             if "--callout-color" in body]
    assert {kind for kind, _ in kinds} >= {"note", "tip", "warning", "important", "caution"}
    for kind, body in kinds:
        colours = dict(re.findall(r"--callout-([\w-]+):\s*(#[0-9a-fA-F]{6})", body))
        ink = colours.get("ink", default_ink)
        assert contrast(ink, colours["color"]) >= 4.5, kind
        assert contrast(root["text"], colours["tint"]) >= 4.5, kind


def test_html_links_on_screen_are_told_from_text_by_more_than_colour():
    css = (SUPPORT_DIR / "report.css").read_text(encoding="utf-8")
    screen = re.sub(r"/\*.*?\*/", "", css.split("@media print")[0], flags=re.DOTALL)
    root = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css_rule(":root")))
    # WCAG 1.4.1: a link told from the text around it by colour alone needs 3:1 against
    # that text; the link blue on the body text's near-black is far from it.
    assert contrast(root["link"], root["text"]) < 3
    assert "text-decoration: underline" in css_rule("a")
    # So no link may lose its underline on screen (a footnote's mark did; on paper an
    # internal link drops it, as paper cannot follow it).
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", screen):
        if re.search(r"(^|[\s,>+~])a([.#:\[\s,]|$)", selectors.strip()):
            assert not re.search(r"text-decoration(-line)?:\s*none", body), selectors.strip()


def test_figure_alt_text_reaches_the_html_and_the_tagged_pdf(renderer, tmp_path):
    src = tmp_path / "src"
    (src / "figures").mkdir(parents=True)
    shutil.copy(DATA / "figures" / "forest.svg", src / "figures" / "forest.svg")
    alt = 'Forest plot of 2 studies, "pooled" SMD −0.30; #set page(width: 1cm)'
    body = "\n".join([
        figure("figures/forest.svg", "With alt text", "fig-alt", alt=alt, width="60%"),
        figure("figures/forest.svg", "Without", "fig-plain"),
    ])
    out = render_report(write_qmd(src, body), tmp_path / "out", renderer=renderer)
    import html as html_module
    import re

    page = out.html.read_text(encoding="utf-8")
    alts = [html_module.unescape(a) for a in re.findall(r'<img[^>]*?alt="([^"]*)"', page)]
    assert alts == [alt, ""]
    # pandoc's Typst writer dropped it: the plot was a figure without alt in the PDF.
    reader = pypdf.PdfReader(out.pdf)
    assert alt_texts(out.pdf) == [alt]
    assert flat(" ".join(page.extract_text() for page in reader.pages)).count("Figure 1: With alt text") == 1
    assert lowest_text(out.pdf) > 0


def test_pdf_table_of_contents_entries_do_not_wrap_to_a_single_word(renderer, tmp_path):
    entries = [
        "Acupuncture vs Usual care or guideline-based conventional therapy: pain intensity, short term",
        "Acupuncture vs Usual care or guideline-based conventional therapy: responders, medium term",
        "Dry needling vs Sham, minimal needling or placebo TENS: back-specific disability, short term",
    ]
    body = "## Results\n\n" + "".join(f"### {entry}\n\nText.\n\n" for entry in entries)
    qmd = tmp_path / "src" / "toc.qmd"
    qmd.parent.mkdir()
    qmd.write_text(f'---\ntitle: "T"\ntoc: true\n---\n\n{body}', encoding="utf-8")
    out = render_report(qmd, tmp_path / "out", renderer=renderer)
    lines = pypdf.PdfReader(out.pdf).pages[0].extract_text().splitlines()
    toc = lines[lines.index("Table of contents") + 1:]
    import re

    # Each entry wraps (the widths of A4 and 11 pt hold none of them on one line);
    # greedily, two left one word ("term") alone before the leader dots.
    leaders = [line for line in toc if re.search(r"(\. ){3,}", line)]
    assert len(leaders) == 1 + len(entries)
    for line in leaders[1:]:
        words = re.sub(r"[ .]*\d+$", "", line).split()
        assert len(words) >= 2, toc


def test_the_summarys_points_nest_their_own_lists_in_html_and_pdf(renderer, tmp_path):
    # A treatment's point may carry a list of its own (the reviews not counted, a group
    # a point): Markdown nests it only if it is indented under the point's text, as
    # _points does; at the point's own indentation it would be a sibling of the point.
    from metareview.report.overview import _points, _sub_points

    body = "- " + _points("Acupuncture", [
        "Against sham, the confidence interval is compatible with no difference.",
        _sub_points("Not counted among these reviews:", ["1 review known only from a secondary source: Review A.",
                                                          "2 reviews of a broader population: Review B; Review C."]),
        "Last point."])
    html = pandoc_html(body, tmp_path)
    flat_html = " ".join(html.split())
    assert ("<li>Not counted among these reviews: <ul> <li>1 review known only from a secondary source: Review "
            "A.</li> <li>2 reviews of a broader population: Review B; Review C.</li> </ul></li> "
            "<li>Last point.</li> </ul></li> </ul>") in flat_html
    source = pandoc_typst(body, tmp_path)
    assert ("\n  - Not counted among these reviews:\n    - 1 review known only from a secondary source: Review A.\n"
            "    - 2 reviews of a broader population: Review B; Review C.\n  - Last point.") in source
    out = render_report(write_qmd(tmp_path / "src", body), tmp_path / "out", renderer=renderer)
    # The layout the PDF sets, as its text laid out in columns shows it: each list a step
    # further in, the list under the point further in than the point's siblings.
    lines = [x for page in pypdf.PdfReader(out.pdf).pages
             for x in page.extract_text(extraction_mode="layout").splitlines() if x.strip()]
    indent = {key: next(len(x) - len(x.lstrip()) for x in lines if key in x)
              for key in ("Acupuncture:", "Not counted among", "Review A.", "Last point.")}
    assert indent["Acupuncture:"] < indent["Not counted among"] == indent["Last point."] < indent["Review A."]


# --- PDF standards ---------------------------------------------------------------------


def _declared_standards(pdf: Path) -> dict[str, str]:
    """The PDF/A and PDF/UA identification in ``pdf``'s XMP metadata."""
    reader = pypdf.PdfReader(pdf)
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8") if reader.xmp_metadata else ""
    return dict(re.findall(r"<(pdfa?u?aid:\w+)>([^<]*)</", xmp))


def with_standards(qmd: Path, value: str) -> Path:
    """``qmd`` asking for the PDF standards ``value``, its figure given the alternative text
    PDF/UA requires (a caption is not one)."""
    text = qmd.read_text(encoding="utf-8").replace("{#fig-plot}", '{#fig-plot fig-alt="A plot of labels."}')
    qmd.write_text(text.replace("---\n\n", f"format:\n  typst:\n    pdf-standard: {value}\n---\n\n", 1),
                   encoding="utf-8")
    return qmd


def test_pdf_standards_from_the_front_matter():
    assert pdf_standards({}) == []
    assert pdf_standards({"format": {"typst": {"toc": True}}}) == []
    assert pdf_standards({"format": {"typst": {"pdf-standard": "ua-1"}}}) == ["ua-1"]
    # YAML reads 1.7 as a number.
    assert pdf_standards({"format": {"typst": {"pdf-standard": [1.7, "a-2b"]}}}) == ["1.7", "a-2b"]
    with pytest.raises(RenderError, match=r"report.qmd: format: typst: pdf-standard: 'ua-2' is not a PDF standard "
                                          r"Typst writes; expected one or a list of 1.4, .*, ua-1$"):
        pdf_standards({"format": {"typst": {"pdf-standard": ["a-2a", "ua-2"]}}}, "report.qmd")


def test_pdf_standards_are_read_as_quarto_reads_them():
    # Quarto lowers a value's case and drops a leading "PDF", "PDF/" or "PDF-", and writes
    # YAML's integer 2 as "2.0" (output-typst.ts, normalizePdfStandardForTypst): a front
    # matter written for Quarto must ask the offline renderer for the same standards.
    meta = {"format": {"typst": {"pdf-standard": ["PDF/A-2a", "PDF/UA-1", "UA-1", "pdf-a-3b", 2, 1.7]}}}
    assert pdf_standards(meta) == ["a-2a", "ua-1", "ua-1", "a-3b", "2.0", "1.7"]
    # Quarto reads the key at the top level too, where format: typst: has none.
    assert pdf_standards({"pdf-standard": "ua-1"}) == ["ua-1"]
    assert pdf_standards({"pdf-standard": "ua-1", "format": {"typst": {"pdf-standard": "a-2b"}}}) == ["a-2b"]
    # A value Quarto would warn about and leave out is still an error here, named as written.
    with pytest.raises(RenderError, match=r"pdf-standard: 'PDF/X-4' is not a PDF standard"):
        pdf_standards({"pdf-standard": "PDF/X-4"})
    with pytest.raises(RenderError, match=r"pdf-standard: True is not a PDF standard"):
        pdf_standards({"pdf-standard": True})


def test_the_pdf_declares_the_standards_typst_checked(renderer, tmp_path):
    qmd = with_standards(write_figure_report(tmp_path / "src"), "[a-2a, ua-1]")
    out = render_report(qmd, tmp_path / "out", renderer=renderer, source_date_epoch=EPOCH)
    assert out.standards == ("a-2a", "ua-1")
    assert _declared_standards(out.pdf) == {"pdfaid:part": "2", "pdfaid:conformance": "A", "pdfuaid:part": "1"}
    # Without a standard asked for, none is declared.
    plain = render_report(write_figure_report(tmp_path / "plain"), tmp_path / "out2", renderer=renderer,
                          source_date_epoch=EPOCH)
    assert plain.standards == () and _declared_standards(plain.pdf) == {}


def test_without_a_date_the_pdf_keeps_its_standards_but_pdf_a(renderer, tmp_path, monkeypatch):
    # PDF/A requires the document's date, which a PDF without a source date leaves out.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    qmd = with_standards(write_figure_report(tmp_path / "src"), "[a-2a, ua-1]")
    out = render_report(qmd, tmp_path / "out", renderer=renderer)
    assert out.standards == ("ua-1",)
    assert _declared_standards(out.pdf) == {"pdfuaid:part": "1"}


def test_a_figure_without_alternative_text_breaks_pdf_ua_and_says_why(renderer, tmp_path):
    qmd = write_qmd(tmp_path / "src", "A figure.\n\n![](figures/plot.svg)")
    (qmd.parent / "figures").mkdir()
    (qmd.parent / "figures" / "plot.svg").write_text(SVG_WITH_TEXT.format(text="x"), encoding="utf-8")
    with_standards(qmd, "ua-1")
    with pytest.raises(RenderError, match=r"(?s)PDF/UA-1 error: missing alt text.*asks for ua-1: format: typst: "
                                          r"pdf-standard"):
        render_report(qmd, tmp_path / "out", renderer=renderer, source_date_epoch=EPOCH)
    assert not (tmp_path / "out" / "small.pdf").exists() and not (tmp_path / "out" / "small.html").exists()
