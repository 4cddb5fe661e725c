"""What ``quarto render`` makes of the report's source, checked against Quarto's own code.

Quarto cannot be installed where these tests run, so what it does with the report is read
from quarto-cli's source (commit 5d1da59, July 2026: pandoc 3.10 and Typst 0.15.1, as the
offline renderer's engines) and held here to what the offline renderer (pandoc + Typst,
``metareview.render``) makes of the same source. The report rendered is
``results/report/report.qmd``, assembled from ``reports/report.qmd``: outside
``reports/``, so ``reports/_quarto.yml`` does not reach it, and its front matter must say
all Quarto needs. Nothing here has seen Quarto's output; see "Rendering with the real
Quarto CLI" in ``docs/operations.md`` for what was checked and what differs.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
REPORT = ROOT / "reports" / "report.qmd"
QUARTO_YML = ROOT / "reports" / "_quarto.yml"
TEMPLATE_TYPST = ROOT / "reports" / "render" / "template.typst"
QUARTO_DATA = Path(__file__).parent / "data" / "quarto"


def report_front_matter() -> dict:
    """The front matter of ``reports/report.qmd``, each field (``{{ title }}``) filled with
    its name, as the assembled report's is with a value."""
    text = REPORT.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    block = text[4:].split("\n---\n", 1)[0]
    return yaml.safe_load(re.sub(r"\{\{ *(\w+) *\}\}", r"\1", block))


def quarto_metadata(to: str) -> dict:
    """The metadata Quarto's templates see for format ``to``: the front matter's top level
    with ``format: <to>:`` over it (Quarto merges a format's keys into the document's)."""
    front = report_front_matter()
    meta = {key: value for key, value in front.items() if key != "format"}
    meta.update(front["format"][to])
    return meta


def fill_template(template: Path, meta: dict, tmp_path: Path) -> str:
    """``template`` filled in by pandoc's template engine, which Quarto's are, with ``meta``."""
    pypandoc = pytest.importorskip("pypandoc")
    metadata = tmp_path / "meta.yaml"
    metadata.write_text(yaml.safe_dump(meta), encoding="utf-8")
    proc = subprocess.run(
        [pypandoc.get_pandoc_path(), "--from", "markdown", "--to", "typst", "--template", str(template),
         "--metadata-file", str(metadata)],
        input="", capture_output=True, text=True, check=True,
    )
    return proc.stdout


def typst_dict(text: str) -> dict[str, str]:
    """``x: 2.5cm, top: 2.6cm,`` as a dict of the values' source text."""
    pairs = (item.split(":", 1) for item in text.split(",") if item.strip())
    return {key.strip(): value.strip() for key, value in pairs}


def offline_page() -> dict[str, object]:
    """Paper, margins and page numbers of the offline template's pages."""
    text = TEMPLATE_TYPST.read_text(encoding="utf-8")
    margin = re.search(r"^#let page-margin = \((.*)\)$", text, flags=re.MULTILINE)
    paper = re.search(r'^  paper: "\$if\(papersize\)\$\$papersize\$\$else\$(\w+)\$endif\$",$', text,
                      flags=re.MULTILINE)
    numbering = re.search(r'^  numbering: "([^"]*)",$', text, flags=re.MULTILINE)
    assert margin and paper and numbering, "template.typst's #set page changed: read it again here"
    return {"paper": paper[1], "margin": typst_dict(margin[1]), "numbering": numbering[1]}


def test_quarto_sets_the_pages_as_the_offline_template_does(tmp_path):
    # Quarto's page partial gives a PDF US letter pages with 1.25in margins unless the
    # metadata says otherwise (page.typ), numbered "3" (pandoc's Typst writer's default
    # page-numbering); the offline template's are A4, 2.5 cm at the sides, 2.6 cm above
    # and 2.4 cm below, numbered "3 / 12".
    page = fill_template(QUARTO_DATA / "page.typ", quarto_metadata("typst"), tmp_path)
    paper = re.search(r'^  paper: "([^"]*)",$', page, flags=re.MULTILINE)
    margin = re.search(r"^  margin: \((.*)\),$", page, flags=re.MULTILINE)
    numbering = re.search(r"^  numbering: (.*),$", page, flags=re.MULTILINE)
    assert paper and margin and numbering, page
    assert {"paper": paper[1], "margin": typst_dict(margin[1]), "numbering": numbering[1].strip('"')} \
        == offline_page()
    # Quarto reads the margin's keys as Typst's page takes them.
    assert set(typst_dict(margin[1])) <= {"x", "y", "top", "bottom", "left", "right", "inside", "outside", "rest"}


def test_quarto_page_partial_is_read_as_quarto_reads_it(tmp_path):
    # The partial without the front matter's settings gives Quarto's defaults, each of
    # which the test above tells from the offline template's.
    page = fill_template(QUARTO_DATA / "page.typ", {"title": "x"}, tmp_path)
    assert '  paper: "us-letter",' in page
    assert "  margin: (x: 1.25in, y: 1.25in)," in page
    assert '  numbering: "1",' in page


def test_quarto_keeps_the_headings_at_their_levels_in_the_pdf(tmp_path):
    # Quarto's Typst format moves every heading up a level when the Markdown holds none
    # at level 1 and shift-heading-level-by is not set (format-typst.ts, hasL1Headings):
    # "## Summary" was a level-1 heading in Quarto's PDF, a level-2 one in the offline
    # PDF and in both HTMLs. The report's top headings are at level 2.
    pypandoc = pytest.importorskip("pypandoc")
    text = REPORT.read_text(encoding="utf-8")
    body = text[4:].split("\n---\n", 1)[1]
    proc = subprocess.run(
        [pypandoc.get_pandoc_path(), "--from", "markdown", "--to", "json"], input=body,
        capture_output=True, text=True, check=True,
    )
    levels = {int(m) for m in re.findall(r'"t":"Header","c":\[(\d)', proc.stdout)}
    assert min(levels) == 2
    shift = quarto_metadata("typst").get("shift-heading-level-by")
    assert shift == 0, "Quarto would set the PDF's headings a level higher than the offline renderer"
    # What the key does, with the pandoc both renderers run: a report's heading is
    # written as the offline renderer writes it.
    typst = subprocess.run(
        [pypandoc.get_pandoc_path(), "--from", "markdown", "--to", "typst", f"--shift-heading-level-by={shift}"],
        input="## Summary {#sec-summary}\n", capture_output=True, text=True, check=True,
    ).stdout
    assert typst.strip() == "== Summary\n<sec-summary>"


def test_quarto_prints_the_date_as_the_offline_renderer_does():
    # Quarto formats a document's date (pandoc.ts, resolveAndFormatDate): "iso" unless
    # date-format says otherwise, but its HTML title block asks for "long"
    # (format-html-title.ts), which would print 2023-11-14 as "November 14, 2023". The offline
    # templates print the date as written; "iso" is dayjs's "YYYY-MM-DD" (date.ts).
    from metareview.provenance import build_date

    assert quarto_metadata("html")["date-format"] == "iso"
    assert quarto_metadata("typst")["date-format"] == "iso"
    assert report_front_matter()["date"] == "date"  # the build date, filled in as written
    # 2023-11-14 22:13:20 UTC: the date the report is given is already YYYY-MM-DD.
    assert build_date(1_700_000_000) == "2023-11-14"


def test_the_front_matter_says_all_that_quarto_yml_says():
    # reports/_quarto.yml reaches a .qmd in reports/ only; the report Quarto renders is in
    # results/report/. A setting kept there alone (anchor-sections: false, the A4 page)
    # was lost on the way: each must be in the front matter too, with the same value.
    project = yaml.safe_load(QUARTO_YML.read_text(encoding="utf-8"))
    front = report_front_matter()
    for key, value in project.items():
        if key == "project":
            continue
        if key == "format":
            for to, settings in value.items():
                for name, setting in settings.items():
                    assert front["format"][to].get(name) == setting, f"format: {to}: {name}"
        else:
            assert front.get(key) == value, key
    # The HTML's anchors beside headings, which the offline HTML has not.
    assert quarto_metadata("html")["anchor-sections"] is False


QUARTO_STAND_IN = """\
-- Quarto's global module, as Quarto gives it to a filter (init.lua), in outline.
quarto = {{ version = "1.9.0", log = {{ warning = function(message)
  io.stderr:write("quarto warning: " .. message .. "\\n")
end }} }}
return dofile({path})
"""

CALLOUT_AND_TABLE = """\
::: {.callout-note}
## Few studies

See @tbl-a.
:::

| a |
|---|
| 1 |

: Studies {#tbl-a}
"""


@pytest.mark.parametrize("to", ["typst", "html5"])
def test_the_offline_filter_changes_nothing_under_quarto(tmp_path, to):
    # Quarto does not run reports/render/quarto-compat.lua. Listed in `filters:`, it would
    # run before Quarto's own filters: captions numbered twice, a #callout(kind: ...) that
    # Quarto's template's callout() refuses (definitions.typ). Under Quarto (a global
    # `quarto` module) it leaves the document as pandoc read it, and says why.
    pypandoc = pytest.importorskip("pypandoc")
    from metareview.render import SUPPORT_DIR

    # Nor does the report ask Quarto to run it.
    assert "filters" not in report_front_matter()
    assert "filters" not in yaml.safe_load(QUARTO_YML.read_text(encoding="utf-8"))
    pandoc = pypandoc.get_pandoc_path()
    source = tmp_path / "in.md"
    source.write_text(CALLOUT_AND_TABLE, encoding="utf-8")
    stand_in = tmp_path / "under-quarto.lua"
    stand_in.write_text(QUARTO_STAND_IN.format(path='"' + str(SUPPORT_DIR / "quarto-compat.lua") + '"'),
                        encoding="utf-8")

    def run(*filters: Path) -> subprocess.CompletedProcess[str]:
        args = [a for f in filters for a in ("--lua-filter", str(f))]
        return subprocess.run([pandoc, str(source), "--to", to, *args], capture_output=True, text=True,
                              check=True)

    under_quarto, plain = run(stand_in), run()
    assert under_quarto.stdout == plain.stdout
    assert "quarto warning: quarto-compat.lua is for the offline renderer" in under_quarto.stderr
    # Under plain pandoc the filter does its work: the check above can fail.
    offline = run(SUPPORT_DIR / "quarto-compat.lua").stdout
    assert offline != plain.stdout
    assert ("#callout(kind:" in offline) if to == "typst" else ('role="note"' in offline)


#: Quarto's Typst for a pipe table with a caption line, in outline as floatreftarget.lua
#: and pandoc's writer give it: a figure of kind "quarto-float-tbl" (Typst centres a
#: figure's body), the table with Quarto's inset and strokes (typst-template.typ), a
#: column with no alignment of its own "auto", a right-aligned one "right".
QUARTO_TABLE = """
#set table(inset: 6pt, stroke: none)
#figure([
#table(
  columns: (20%, 50%, 30%),
  align: (auto,auto,right,),
  table.header([Text], [Name], [Value],),
  table.hline(),
  [{words}], [Leftmost], [9.99],
)
], caption: figure.caption(position: top, [Widths]), kind: "quarto-float-tbl", supplement: "Table")
"""

#: The page and paragraphs of Quarto's article (page.typ, typst-template.typ): justified.
QUARTO_PAGE = '#set page(paper: "a4", margin: (x: 2.5cm, y: 2.5cm))\n#set par(justify: true)\n'


def first_raw_typst_block() -> str:
    text = REPORT.read_text(encoding="utf-8")
    return re.search(r"^```\{=typst\}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)[1]


def compile_quarto_table(tmp_path: Path, rules: str) -> tuple[dict[str, float], str]:
    """Each word's left edge (pt) and the text of a PDF of QUARTO_TABLE after ``rules``."""
    typst = pytest.importorskip("typst")
    pypdf = pytest.importorskip("pypdf")
    words = "characteristically incomprehensible institutionalisation responsibilities"
    source = tmp_path / "quarto.typ"
    source.write_text(QUARTO_PAGE + rules + QUARTO_TABLE.replace("{words}", words), encoding="utf-8")
    pdf = tmp_path / "quarto.pdf"
    pdf.write_bytes(typst.compile(str(source), format="pdf"))
    page = pypdf.PdfReader(pdf).pages[0]
    left: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            left.setdefault(text.strip(), tm[4] * cm[0] + cm[4])

    text = page.extract_text(visitor_text=visit)
    return left, text


def test_quarto_table_cells_are_set_as_the_offline_renderer_sets_them(tmp_path):
    # The offline template sets table cells ragged, words whole, and a column with no
    # alignment of its own to the left. Quarto's cells took the article's justified,
    # hyphenated paragraphs and, in a figure, which centres its body, were centred.
    margin = 2.5 / 2.54 * 72
    width = (21.0 - 5.0) / 2.54 * 72
    left, text = compile_quarto_table(tmp_path, first_raw_typst_block())
    # "Leftmost" starts at its column's left edge, past the cell's inset (6 pt)...
    assert left["Leftmost"] == pytest.approx(margin + 0.2 * width + 6, abs=1)
    # ...a right-aligned column keeps its alignment...
    assert left["9.99"] > margin + 0.9 * width
    # ...and no word of the narrow column is split with a hyphen (Typst writes a soft one).
    assert not re.search(r"\w[-\u00ad]\s", text), text
    # Without the report's rules, Quarto's cells were centred and hyphenated: the checks
    # above can fail.
    left, text = compile_quarto_table(tmp_path, "")
    assert left["Leftmost"] > margin + 0.2 * width + 30
    assert re.search(r"\w[-\u00ad]\s", text), text


def compile_quarto_paragraph(tmp_path: Path, rules: str, words: str) -> str:
    """The text of a PDF of one paragraph of ``words`` on Quarto's page after ``rules``."""
    typst = pytest.importorskip("typst")
    pypdf = pytest.importorskip("pypdf")
    source = tmp_path / "paragraph.typ"
    source.write_text(QUARTO_PAGE + rules + "\n" + words + "\n", encoding="utf-8")
    return pypdf.PdfReader(io.BytesIO(typst.compile(str(source), format="pdf"))).pages[0].extract_text()


def test_quarto_body_text_keeps_its_words_whole_as_the_offline_renderer_does(tmp_path):
    # A word hyphenated at a line's end reaches the PDF's text in two pieces with a soft
    # hyphen between, which a search of the PDF misses: the report's raw Typst block sets
    # Quarto's justified paragraphs ragged and unhyphenated, as the offline template does.
    words = " ".join(["characteristically incomprehensible institutionalisation"] * 12)
    text = compile_quarto_paragraph(tmp_path, first_raw_typst_block(), words)
    assert "\u00ad" not in text and text.count("institutionalisation") == 12, text
    # Without the report's rules Quarto's paragraphs hyphenate: the check above can fail.
    assert "\u00ad" in compile_quarto_paragraph(tmp_path, "", words)
