"""Escaping of data text and the small Markdown builders (metareview.markdown).

The property tests read escaped text back through pandoc, the same reader the
report goes through (``markdown-raw_html-raw_tex``), and compare it with what was
escaped: any text must come back as itself, whitespace aside, and produce no
markup at all.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import unicodedata
from html.parser import HTMLParser

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from metareview import markdown as md
from metareview.markdown import (
    TABLE_BUDGET,
    Markdown,
    callout,
    changes_note,
    escape,
    escape_keeping_emphasis,
    figure,
    heading,
    keep_together,
    keep_with_next,
    meta_string,
    plain,
    table,
    terminal_line,
)

pypandoc = pytest.importorskip("pypandoc")

READER = "markdown-raw_html-raw_tex"
SENTINEL = "ZqxSentinelParagraphZqx"

HOSTILE = [
    "<script>alert(1)</script>",
    "#set page(width: 1cm)",
    "@x",
    "$x$",
    "Smith *et al.* _2020_",
    "[link](http://example.org)",
    "![img](x.png)",
    "`code` and ```fence```",
    "a | b | c",
    "- leading dash",
    "+ leading plus",
    "1. leading number",
    "2020) leading paren number",
    "(a) example list",
    "# heading?",
    "> quote",
    ": definition",
    "::: {.callout-note}",
    "% title block",
    "back\\slash\\",
    "x -- y --- z ... w",
    "'single' \"double\"",
    "a ~sub~ ^sup^ ~~strike~~",
    "&amp; &#65; &lt;",
    "{{< include other.qmd >}}",
    "[^1] footnote ref ^[inline note]",
    "<!-- comment -->",
    "line one\nline two\n\n- not a list",
    "王小明 (2019)",
    "   spaced   out\t",
]

# Markdown syntax is made of ASCII punctuation and a few multi-character
# patterns; plain st.text() rarely hits them, so mix in strings built from them.
_PIECES = list(" \n\t-+.*_#@$<>[]()|`'\"~^&{}:%!=\\/;,?0123456789aAiIvx") + [
    "<script>",
    "</b>",
    "---",
    "...",
    ". . .",
    "http://",
    "&amp;",
    "1. ",
    "(1) ",
    "[^1]",
    "{{< x >}}",
    "::: ",
    "```",
    "\u00a0",
    "é",
    "中",
    "\u2028",
    "\x00",
]
MARKDOWNISH = st.lists(st.sampled_from(_PIECES), max_size=16).map("".join)
TEXT = st.one_of(MARKDOWNISH, st.text(max_size=40))

PANDOC_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _pandoc(markdown: str, to: str) -> str:
    proc = subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", READER, "-t", to, "--wrap=none"],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def _normal(text: str) -> str:
    """What escape() promises to keep: the characters, with blanks folded.

    Control characters and lone surrogates are dropped (no output can carry
    them), and so are format characters and unassigned code points at the start;
    str.split() folds every Unicode blank, non-breaking space included,
    since pandoc's smart punctuation puts one after abbreviations like "al.".
    """
    kept = "".join(
        ch for ch in text if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    # Format characters (zero-width space, word joiner...) and unassigned code points
    # at the start are dropped.
    while kept.lstrip() and unicodedata.category(kept.lstrip()[0]) in ("Cf", "Cn"):
        kept = kept.lstrip()[1:]
    return " ".join(kept.split())


class _Html(HTMLParser):
    """Text of each <td>, <h2> and <caption>, and every tag used inside them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.headings: list[str] = []
        self.captions: list[str] = []
        self.inner_tags: set[str] = set()
        self._target: list[str] | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        targets = {"td": self.cells, "h2": self.headings, "caption": self.captions}
        if tag in targets:
            self._target = targets[tag]
            self._buffer = []
        elif self._target is not None:
            self.inner_tags.add(tag)

    def handle_endtag(self, tag):
        if tag in ("td", "h2", "caption") and self._target is not None:
            self._target.append("".join(self._buffer))
            self._target = None

    def handle_data(self, data):
        if self._target is not None:
            self._buffer.append(data)


# --- escape: examples -------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_is_one_line_and_reads_back_as_plain_text(text):
    escaped = escape(text)
    assert isinstance(escaped, Markdown)
    assert "\n" not in escaped and "\r" not in escaped
    back = _pandoc(escaped, "plain")
    assert _normal(back) == _normal(text)


def test_escape_keeps_html_and_typst_syntax_as_text():
    escaped = escape("<script>alert(1)</script> #set page(width: 1cm)")
    html = _pandoc(escaped, "html")
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    typ = _pandoc(escaped, "typst")
    # The Typst writer must see a literal "#", which it escapes in turn.
    assert "\\#set page" in typ
    assert "#set" not in typ.replace("\\#set", "")


def test_a_quotes_markdown_emphasis_is_set_as_emphasis_in_html_and_typst():
    # The blog post typed "Both work — but *how* and *for whom* matters.": its asterisks
    # are emphasis, which a verbatim quote keeps, in the HTML and the PDF alike.
    quote = "Bottom line? Both work \u2014 but *how* and *for whom* matters, **never** <b>."
    marked = escape_keeping_emphasis(quote)
    assert isinstance(marked, Markdown) and "\n" not in marked
    html = _pandoc(marked, "html")
    assert "but <em>how</em> and <em>for whom</em> matters, <strong>never</strong> &lt;b&gt;." in html, html
    typ = _pandoc(marked, "typst")
    assert re.search(r"#emph\[how\]|_how_", typ) and re.search(r"#emph\[for whom\]|_for whom_", typ), typ
    assert "*how*" not in _pandoc(marked, "plain").replace("_how_", "")
    # The words read as typed, without the asterisks.
    assert _normal(_pandoc(marked, "plain").replace("_", "").replace("*", "")) == _normal(
        quote.replace("*", ""))


@pytest.mark.parametrize("text", ["p<0.05* and p<0.01*", "2*3*4 = 24", "a * b * c", "* a list?", "*", "**",
                                  "*how *", "x*y*", "\\*not\\*"])
def test_asterisks_that_mark_no_emphasis_are_kept_as_typed(text):
    # Not a pair around words (a footnote mark, a product, a spaced asterisk): printed,
    # as escape() prints it.
    marked = escape_keeping_emphasis(text)
    assert marked == escape(text)
    assert _normal(_pandoc(marked, "plain")) == _normal(text)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("- a", "\\-"),
        ("+ a", "\\+"),
        ("1. a", "1\\."),
        ("iv) a", "iv\\)"),
        ("% a", "\\%"),
        (": a", "\\:"),
        ("(1) a", "\\("),
    ],
)
def test_escape_neutralises_block_starts(text, start):
    assert escape(text).startswith(start)


def test_escape_leaves_ordinary_text_readable():
    assert escape("Smith 2020, n = 45") == "Smith 2020, n = 45"
    assert escape("0.31 [0.12, 0.50]") == "0.31 \\[0.12, 0.50\\]"


def test_escape_passes_markdown_through_and_rejects_non_text():
    author_written = Markdown("*k* = 5")
    assert escape(author_written) is author_written
    with pytest.raises(TypeError):
        escape(3.5)  # type: ignore[arg-type]


def test_escape_drops_control_characters_and_folds_blanks():
    assert escape("a\x00b\x07c") == "abc"
    assert escape("  a\n\n b\t\u2028c  ") == "a b c"
    assert escape("\n\t ") == ""
    # A format character at the start joins nothing (pandoc would drop the blank after
    # it); inside the text it stays.
    assert escape("\U0001bca0\r0") == "0" and escape("\u2060 \ufeff z") == "z"
    assert escape("a\u200bb \u2060c") == "a\u200bb \u2060c"


# --- escape: properties through pandoc ------------------------------------------------


@PANDOC_SETTINGS
@given(st.lists(TEXT, min_size=1, max_size=8))
@example(["\U0001bca0\r0"])
@example(["\U0001bca4 0", "\u0378 x"])
def test_any_text_escaped_comes_back_as_plain_text(texts):
    assume(all(SENTINEL not in t for t in texts))
    markdown = f"\n\n{SENTINEL}\n\n".join(escape(t) for t in texts)
    pieces = _pandoc(markdown, "plain").split(SENTINEL)
    # The same characters, apostrophes made typographic (test_escape_matches_its_rules...).
    assert [_normal(p) for p in pieces] == [_normal(md.typeset(md._clean(t))) for t in texts]


@PANDOC_SETTINGS
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=6), TEXT)
def test_any_text_in_tables_and_headings_makes_no_markup(rows, title):
    caption = title if _normal(title) else "untitled"
    document = "\n".join(
        [
            heading(title, 2),
            table(["first", "second"], [list(r) for r in rows], caption, "tbl-x"),
        ]
    )
    parsed = _Html()
    parsed.feed(_pandoc(document, "html"))
    assert parsed.inner_tags == set()
    def typeset(t: str) -> str:  # apostrophes made typographic, as everywhere escape() is used
        return _normal(md.typeset(md._clean(t)))

    assert [_normal(c) for c in parsed.cells] == [typeset(t) for r in rows for t in r]
    assert [_normal(h) for h in parsed.headings] == [typeset(title)]
    assert [_normal(c) for c in parsed.captions] == [typeset(caption)]


# --- builders --------------------------------------------------------------------------


def test_an_apostrophe_within_a_word_prints_as_the_typographic_one():
    assert escape("the review's side, O'Brien") == "the review\u2019s side, O\u2019Brien"
    # Other single quotes stay escaped: no pair is guessed.
    assert escape("'after 1 month', the arms' sizes, Hedges' g") == ("\\'after 1 month\\', the arms\u2019 sizes, "
                                                                      "Hedges\u2019 g")
    # A pair quoting words stays straight, its closing quote too; so does one beside a digit.
    assert escape("'yes' or 'no'") == "\\'yes\\' or \\'no\\'"
    assert escape("1'000 and 5'10") == "1\\'000 and 5\\'10"
    # Verbatim text keeps every character.
    assert escape("O'Brien", typographic=False) == "O\\'Brien"
    assert _pandoc(escape("review's"), "plain").strip() == "review\u2019s"


def test_table_layout_caption_and_alignment():
    md = table(
        ["Study", "yi"],
        [["A | B", "0.10"], ["C", Markdown("*0.20*")]],
        "Effect sizes",
        "tbl-effects",
        align=["left", "right"],
    )
    blank, *lines = md.splitlines()
    assert blank == ""
    assert lines[0] == "| Study | yi |"
    assert lines[1].startswith("| :") and lines[1].endswith(": |")
    assert lines[2] == "| A \\| B | 0.10 |"
    assert lines[3] == "| C | *0.20* |"
    assert lines[-1] == ": Effect sizes {#tbl-effects}"
    ast = _pandoc(md, "native")
    assert '"tbl-effects"' in ast and "AlignLeft" in ast and "AlignRight" in ast


def _rule_widths(md: str) -> list[int]:
    """The widths of the dashes under a table's header (the line after its first row)."""
    lines = md.strip("\n").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("|"))
    return [len(cell.strip()) for cell in lines[header + 1].strip("|").split("|")]


def test_a_table_after_a_one_line_paragraph_cannot_be_read_as_a_definition_list():
    # A one-line paragraph, a single blank line and a block may be a definition list
    # (pandoc reads the table twice to find out); the table's own blank line makes
    # it two, whatever the paragraph.
    paragraph = Markdown("One line of text.\n")
    rows = [["A", "0.10"], ["B", "0.20"]]
    document = paragraph + "\n" + table(["Study", "yi"], rows, "Effects", "tbl-e")
    assert "One line of text.\n\n\n| Study | yi |" in document
    # and it is the same document: a paragraph and a captioned table.
    ast = json.loads(_pandoc(document, "json"))
    assert [block["t"] for block in ast["blocks"]] == ["Para", "Table"]
    without = document.replace("\n\n\n", "\n\n")
    assert json.loads(_pandoc(without, "json")) == ast


def test_table_widths_keep_short_columns_whole_and_give_text_the_rest():
    long_note = "a note that runs on " * 12
    md = table(
        ["Study", "yi", "Note"],
        [["Chen 2022", "-0.91", long_note], ["王小明", "0.12", "short"]],
        "Widths",
        "tbl-widths",
    )
    study, yi, note = _rule_widths(md)
    # Numbers keep their natural width (plus padding), names theirs, and the
    # long note takes what is left of the budget.
    assert yi == len("-0.91") + 3
    assert study == len("Chen 2022") + 3
    assert study + yi + note == TABLE_BUDGET
    # A wide character counts twice.
    (cjk,) = _rule_widths(table(["n"], [["王小明"]], "c", "tbl-c"))
    (ascii_,) = _rule_widths(table(["n"], [["abc"]], "c", "tbl-c"))
    assert cjk - ascii_ == 3


def test_a_long_header_wraps_rather_than_the_short_cells_under_it():
    # The tables of study effects: "n (int. / comp.)" over "158 / 162", beside a long
    # column of flags. The header was taken for the column's text and the numbers broke
    # over two lines ("158 /" and "162"); the header's words wrap instead.
    flags = "intervention arm not included: no value at this timepoint, instrument and value type; " * 3
    md = table(["Study", "SMD", "95% CI", "Weight %", "n (int. / comp.)", "From", "Flags"],
               [["Cherkin et al. (2009)", "0.17", "−0.05 to 0.39", "87.2", "158 / 162",
                 "arm-level means and SDs, week 8", flags]], "Study effects", "tbl-effects")
    widths = _rule_widths(md)
    assert widths[4] >= len("158 / 162") + 3
    assert widths[4] < len("n (int. / comp.)") + 3  # the header wraps: the room goes to the flags
    assert sum(widths) == TABLE_BUDGET


def test_a_short_column_wraps_its_longer_header_and_leaves_the_room_to_the_text():
    # "Weight %" over "87.2", "Raw rows" over "5": the header's width in every row was
    # taken from the columns of text beside them.
    notes = "numbers read in a document other than the trial's own report; " * 4
    rows = [["Cherkin et al. (2009)", "87.2", "5", notes], ["Kwon et al. (2007)", "12.8", "12", notes]]
    study, weight, raw, note = _rule_widths(table(["Study", "Weight %", "Raw rows", "Flags"], rows, "W", "tbl-w"))
    assert weight == len("Weight") + 3 < len("Weight %") + 3
    assert raw == len("rows") + 3 < len("Raw rows") + 3
    assert study + weight + raw + note == TABLE_BUDGET
    # A table whose cells all fit on their lines keeps its headers whole.
    assert _rule_widths(table(["Weight %", "Raw rows"], [["87.2", "5"]], "W", "tbl-w")) == [11, 11]


def test_no_column_of_text_is_left_a_word_a_line_beside_a_long_one():
    # The study effects' case: a source ("arm-level means and SDs, week 8") and a name
    # beside flags ten times as long, and numbers. Shared by need alone, the flags took
    # all the room and the source was a word or two a line.
    flags = "intervention arm not included: no value at this timepoint, instrument and value type; " * 4
    rows = [["Cherkin et al. (2009)", "0.17", "−0.05 to 0.39", "158 / 162", "arm-level means and SDs, week 8", flags],
            ["Kwon et al. (2007)", "0.05", "−0.52 to 0.62", "24 / 23", "arm-level means and SDs, at week 12", flags]]
    widths = _rule_widths(table(["Study", "SMD", "95% CI", "n (int. / comp.)", "From", "Flags"], rows, "E", "tbl-e"))
    study, _, _, _, source, note = widths
    assert min(study, source) >= md._READABLE
    assert note > source  # the longest text still gets the most room
    assert sum(widths) == TABLE_BUDGET
    # Where the budget cannot give each column of text its few words, each gets the same
    # share of what it lacks, and none less than its longest word.
    tight = _rule_widths(table(["Name", "A", "B", "C", "D"], [["Rubinstein2010 x", *(["word " * 9] * 4)]],
                               "T", "tbl-t", budget=60))
    assert sum(tight) == 60
    assert all(w >= len("Rubinstein2010") + 3 for w in tight[:1]) and max(tight[1:]) - min(tight[1:]) <= 1


def test_table_widths_never_go_below_the_longest_word_over_the_budget_either():
    # The audit table's case: identifiers whose pieces cannot break, ids, file names, in
    # more columns than the budget holds.
    words = ["acupuncture_vs_sham_pain", "Rubinstein2010", "statements.csv", "−0.7100", "notes " * 30]
    md = table([f"c{i}" for i in range(10)], [words * 2], "Overfull", "tbl-over2")
    widths = _rule_widths(md)
    longest = [len("acupuncture_"), len("Rubinstein2010"), len("statements.csv"), len("−0.7100"), len("notes")] * 2
    assert all(w >= n + 3 for w, n in zip(widths, longest))


def test_table_widths_within_the_budget_never_go_below_the_longest_word():
    words = ["acupuncture_vs_sham_pain", "contrasts.csv"] * 3
    md = table(
        [f"c{i}" for i in range(6)],
        [words, ["x y" * 5] * 6],
        "Overfull",
        "tbl-over",
    )
    widths = _rule_widths(md)
    # An identifier may break after an underscore; a file name may not.
    assert all(w >= len("acupuncture_") + 3 for w in widths[0::2])
    assert all(w >= len("contrasts.csv") + 3 for w in widths[1::2])


def test_a_table_too_wide_for_its_longest_words_keeps_short_columns_and_gives_text_room():
    # The evidence table's case: seven columns whose longest words alone exceed the budget.
    notes = "not used: see the trials that could not be used, below; " * 4
    md = table(
        ["Study", "Design", "Source", "Identity", "Arms", "Results", "Contribution"],
        [["Mahmoudzadeh et al. (2016), musculoskeletal", "crossover RCT", "secondary", "medium",
          "Electroacupuncture, Sham electroacupuncture, Acupuncture + physiotherapy", "12", notes]],
        "Wide",
        "tbl-wide",
    )
    study, design, source, identity, arms, results, contribution = _rule_widths(md)
    # The one-word columns keep their whole width ("secondary" is not hyphenated) ...
    assert (source, identity, results) == (len("secondary") + 3, len("Identity") + 3, len("Results") + 3)
    # ... and the columns of text share the rest by how much they hold: the notes are no
    # longer one word wide, and no column gets under its longest word.
    assert contribution > arms > study
    assert contribution > len("Contribution") + 3 + 5
    assert study >= len("musculoskeletal") + 3 and design >= len("crossover") + 3


def test_only_a_table_too_wide_for_its_longest_words_turns_hyphenation_on_in_the_pdf():
    # 9 columns of a 20-letter word need 9 x 23 characters, over the line's 100: the page
    # scales the columns below the word, which only hyphenation fits.
    long = "Uncharacteristically"
    wide = str(table([long] * 9, [[long] * 9], "Wide", "tbl-wide"))
    on = "```{=typst}\n#show table: set text(hyphenate: true)\n```"
    off = "```{=typst}\n#show table: set text(hyphenate: false)\n```"
    assert wide.index(on) < wide.index("| Unch") < wide.index(": Wide {#tbl-wide}") < wide.index(off)
    # Four fit (4 x 23 = 92): no raw block, the words stay whole.
    assert "hyphenate" not in str(table([long] * 4, [[long] * 4], "Fits", "tbl-fits"))
    # A landscape page's budget holds six.
    assert "hyphenate" not in str(table([long] * 6, [[long] * 6], "Fits", "tbl-fits", budget=150))


def test_a_column_long_in_every_row_gets_more_room_than_one_with_a_single_long_cell():
    # The audit table's case: raw cells long in every row beside steps that are "as
    # published" but once.
    rows = [[(f"contrasts.csv row {i}: measure = SMD, estimate = -0.47, ci_lb = -0.77, ci_ub = -0.17, "
              "sign_convention = arm1_minus_arm2"), "as published"] for i in range(20)]
    rows[0][1] = "reported with a positive value favouring arm1: sign reversed " * 8
    for budget in (TABLE_BUDGET, 150):
        cells, steps = _rule_widths(table(["Raw cells", "Steps"], rows, "Audit", "tbl-a", budget=budget))
        assert cells > 2 * steps
        assert cells + steps == budget
    # Within the budget too, beside short columns that keep their width.
    rows = [["Brinkhaus2006", "-0.51", *row] for row in rows]
    _, _, cells, steps = _rule_widths(table(["Study", "yi", "Raw cells", "Steps"], rows, "Audit", "tbl-a",
                                            budget=150))
    assert cells > 2 * steps


def test_table_rejects_bad_input():
    with pytest.raises(ValueError, match="row 1 has 1 cells"):
        table(["a", "b"], [["only one"]], "c", "tbl-a")
    with pytest.raises(TypeError, match="format numbers"):
        table(["a"], [[0.5]], "c", "tbl-a")  # type: ignore[list-item]
    with pytest.raises(ValueError, match="tbl-"):
        table(["a"], [["x"]], "c", "fig-a")
    with pytest.raises(ValueError, match="alignment"):
        table(["a"], [["x"]], "c", "tbl-a", align=["middle"])
    with pytest.raises(ValueError, match="one line"):
        table(["a"], [[Markdown("two\nlines")]], "c", "tbl-a")
    with pytest.raises(ValueError, match="caption"):
        table(["a"], [["x"]], " \n", "tbl-a")


def test_figure_is_alone_in_its_paragraph_with_label_and_width():
    md = figure("figures/forest_plot-1.svg", "Forest *plot*", "fig-forest", width="80%")
    assert md == "![Forest \\*plot\\*](figures/forest_plot-1.svg){#fig-forest width=80%}\n"
    ast = _pandoc(md, "native")
    assert "Figure" in ast and '"fig-forest"' in ast and '"figures/forest_plot-1.svg"' in ast
    for bad in ["/abs/x.svg", "a<b.svg", "a\\b.svg", "with space.svg", "a(1).svg", ""]:
        with pytest.raises(ValueError):
            figure(bad, "c", "fig-x")
    with pytest.raises(ValueError):
        figure("x.svg", "c", "tbl-x")
    with pytest.raises(ValueError):
        figure("x.svg", "c", "fig-x", width="80 percent")
    with pytest.raises(ValueError, match="caption"):
        figure("x.svg", "", "fig-x")


def test_figure_alt_text_is_a_literal_attribute():
    alt = 'Plot of "A" & B\\C *not emphasis* @x $y$\n  folded'
    md = figure("figures/f.svg", "Caption", "fig-f", alt=alt)
    assert md.endswith('{#fig-f fig-alt="Plot of \\"A\\" & B\\\\C *not emphasis* @x $y$ folded"}\n')
    doc = json.loads(_pandoc(md, "json"))
    image = doc["blocks"][0]["c"][2][0]["c"][0]["c"]
    # Read back as written, one space for the line break; no Markdown inside it.
    assert dict(image[0][2])["fig-alt"] == 'Plot of "A" & B\\C *not emphasis* @x $y$ folded'
    assert "fig-alt" not in figure("figures/f.svg", "Caption", "fig-f", alt="  ")


def test_callout_title_is_a_heading_and_fences_enclose_the_body():
    body = Markdown("Outer text.\n\n::: {.inner}\nInner.\n:::\n")
    md = callout("warning", "Few studies: @x", body)
    assert md.startswith(":::: {.callout-warning}\n## Few studies: \\@x\n")
    assert md.rstrip().endswith("::::")
    ast = _pandoc(md, "native")
    assert '"callout-warning"' in ast and '"inner"' in ast and "Cite" not in ast
    plain = callout("note", "Note", "1. not a list *nor emphasis*")
    assert "Emph" not in _pandoc(plain, "native")
    with pytest.raises(ValueError):
        callout("danger", "t", "b")


def test_a_no_break_space_joins_a_phrase_that_its_column_keeps_whole():
    rows = [["not\u00a0checkable from\u00a0the\u00a0data", "word " * 200]] * 3
    rule = table(["Verdict", "Why"], rows, "Verdicts", "tbl-v").strip().splitlines()[1]
    # "not checkable" (13) and padding (3) at least: with the no-break space read as a
    # break, the column got "checkable" (9 + 3) and a little of what was spare.
    assert len(rule.split("|")[1].strip()) >= 13 + 3


def test_keep_with_next_is_a_div_that_escapes_plain_text_and_encloses_inner_fences():
    md = keep_with_next("Lead for @x *not emphasis*")
    assert md == ":::: {.keep-with-next}\nLead for \\@x \\*not emphasis\\*\n::::\n".replace("::::", ":::")
    ast = _pandoc(md, "native")
    assert '"keep-with-next"' in ast and "Cite" not in ast and "Emph" not in ast
    nested = keep_with_next(Markdown("One.\n\n::: {.inner}\nTwo.\n:::"))
    assert nested.startswith(":::: {.keep-with-next}\n") and nested.rstrip().endswith("::::")
    assert '"inner"' in _pandoc(nested, "native")


def test_heading_and_meta_string():
    assert heading("Results for <b>", 2, identifier="sec-results") == (
        "## Results for \\<b\\> {#sec-results}\n"
    )
    with pytest.raises(ValueError):
        heading("x", 7)
    title = 'Review of "A & B" @x: 50% #1'
    loaded = yaml.safe_load(f"title: {meta_string(title)}")["title"]
    assert loaded == escape(title)
    meta_doc = f"---\ntitle: {meta_string(title)}\n---\n\nBody.\n"
    standalone = subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", READER, "-t", "html", "--standalone"],
        input=meta_doc,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    shown = re.search(r'<h1 class="title">(.*?)</h1>', standalone, re.DOTALL)
    assert shown is not None
    assert html.unescape(shown.group(1)) == title


def _escaped_char_by_char(text: str) -> str:
    """The escaping rules of :func:`escape`, applied one character at a time (the spec)."""
    text = md._clean(text)
    # A hyphen before a number, at the start or after a blank, an opening bracket, "=",
    # ",", ";", ":" or "/", is a minus sign (U+2212), as the PDF prints it.
    text = "".join("\u2212" if ch == "-" and text[i + 1: i + 2].isdecimal()
                   and (i == 0 or text[i - 1].isspace() or text[i - 1] in "([=,;:/")
                   and not (text[i - 1: i] == " " and i >= 2 and (text[i - 2].isdecimal() or text[i - 2] == "%"))
                   else ch for i, ch in enumerate(text))
    out = []
    quotes = 0  # single quotes left straight so far: one open makes the next a closing one
    for i, ch in enumerate(text):
        before, after = text[i - 1: i], text[i + 1: i + 2]
        if ch == "'" and ((before.isalpha() and after.isalpha())
                          or (before == "s" and after == " " and text[i + 2: i + 3].isalpha() and quotes % 2 == 0)):
            out.append("\u2019")  # an apostrophe: within a word, or a plural's
            continue
        quotes += ch == "'"
        run = ch in "-." and ((i > 0 and text[i - 1] == ch) or (i + 1 < len(text) and text[i + 1] == ch))
        out.append("\\" + ch if ch in md._ALWAYS or run or (i == 0 and ch in md._LEADING) else ch)
    escaped = "".join(out)
    marker = md._LIST_MARKER.match(escaped)
    if marker:
        escaped = escaped[: marker.end() - 1] + "\\" + escaped[marker.end() - 1 :]
    return escaped


@given(st.text(alphabet=st.sampled_from(list("-.+:(!#*<a1 \u2212\u6f22's=/")), max_size=20) | st.text(max_size=20))
def test_escape_matches_its_rules_character_by_character(text):
    assert md.escape(text) == _escaped_char_by_char(text)


@given(st.text(max_size=30))
def test_display_width_counts_wide_characters_twice(text):
    assert md._display_width(text) == sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_no_column_gets_more_than_its_text_needs_while_another_wraps():
    # Twenty cells of seven words (38 characters with padding) beside one long cell among
    # short ones: the first needs no more than its 38; the rest goes to the long one.
    rows = [["word " * 7, "x"] for _ in range(19)] + [["word " * 7, "y" * 5 + " words" * 32]]
    first, second = _rule_widths(table(["A", "B"], rows, "Caps", "tbl-caps"))
    assert first <= len("word " * 7) + 3 + 1
    assert first + second == TABLE_BUDGET


def test_plain_text_for_the_terminal() -> None:
    line = ("`a_b` (Acupuncture vs Sham \\(pain\\)): **conclusion changed**: now the confidence interval lies wholly on "
            "one side \\<3 (@tbl-warnings)")
    assert plain(line) == ("a_b (Acupuncture vs Sham (pain)): conclusion changed: now the confidence interval lies "
                           "wholly on one side <3 (the report's table warnings)")


def test_plain_text_keeps_escaped_characters_as_they_were() -> None:
    for text in ("email a@tbl-b.org", "a literal **x** and `y`", "back\\slash"):
        assert plain(escape(text)) == text


def test_the_end_of_a_build_prints_the_first_changes() -> None:
    assert changes_note([]) == ""
    lines = [f"change {i}" for i in range(8)] + ["x" * 300]
    note = changes_note(lines, limit=6, width=50).splitlines()
    assert note[0] == "What changed since the last build (the report's first section):"
    assert note[1:7] == [f"  - change {i}" for i in range(6)] and note[7] == "  ... and 3 more"
    # Warnings are the next note's, in full.
    assert changes_note(["New consistency warning (@tbl-warnings): x",
                         "Consistency warning of the last build no longer raised: A: arms.csv, row 3, column 'n'.",
                         "Consistency warnings of the last build no longer raised: A: x; B: y."]) == ""
    long = changes_note(["y" * 300], width=50).splitlines()[1]
    assert long == "  - " + "y" * 49 + "\u2026"


def test_the_end_of_a_build_leads_with_the_change_and_never_cuts_it() -> None:
    # The line cut at its width lost what the print is for: "...; conclusion changed: the
    # confidence interval lies wholly on one side of no difference (…", which side cut.
    line = ("Dry needling vs Sham, minimal needling or placebo TENS: pain intensity, short term "
            "(`dry_needling_vs_sham_pain`): study effect \u22120.85 \u2192 \u22120.60; interval \u22121.70 to 0.00 "
            "\u2192 \u22121.60 to \u22120.10; **conclusion changed**: the confidence interval lies wholly on one side "
            "of no difference (favours dry needling).")
    led = ("conclusion changed: the confidence interval lies wholly on one side of no difference (favours dry "
           "needling); study effect \u22120.85 \u2192 \u22120.60; interval \u22121.70 to 0.00 \u2192 \u22121.60 to "
           "\u22120.10.")
    # Where it fits, the name in full; the change first.
    assert terminal_line(line, 400) == ("Dry needling vs Sham, minimal needling or placebo TENS: pain intensity, short "
                                        "term (dry_needling_vs_sham_pain): " + led)
    # Where it does not, the name shortened to its id, not the change cut.
    assert terminal_line(line, 200) == "dry_needling_vs_sham_pain: " + led
    # Nor the new number when even the id leaves no room: only the clauses that are
    # neither flagged nor numbers are cut, at a word.
    indirect = ("Indirect comparison of dry needling and acupuncture on pain intensity, short term "
                "(`dn_vs_acu_pain`): through Sham, minimal needling or placebo TENS, MD \u22120.34 (95% CI "
                "\u22121.57 to 0.89) \u2192 \u22120.85 (95% CI \u22121.60 to \u22120.10); **conclusion changed**: "
                "the confidence interval lies wholly on one side of no difference (favours dry needling); the interval "
                "is narrower because the acupuncture side is now one trial (normal interval) instead of a 2-study "
                "Hartung-Knapp estimate (t, 1 df).")
    assert terminal_line(indirect, 200) == (
        "dn_vs_acu_pain: conclusion changed: the confidence interval lies wholly on one side of no difference (favours "
        "dry needling); through Sham, minimal needling or placebo TENS, MD \u22120.34 (95% CI \u22121.57 to 0.89) "
        "\u2192 \u22120.85 (95% CI \u22121.60 to \u22120.10); \u2026")
    # With more room, as much of the cause as fits, to the end of a word.
    kept = terminal_line(indirect, 200).removesuffix("; \u2026")
    cause = ("the interval is narrower because the acupuncture side is now one trial (normal interval) instead of a "
             "2-study Hartung-Knapp estimate (t, 1 df)")
    cut = terminal_line(indirect, 330)
    assert len(cut) <= 330 and cut.startswith(kept + "; ") and cut.endswith("\u2026"), cut
    shown = cut.removeprefix(kept + "; ").removesuffix("\u2026")
    assert len(shown) > 40 and cause.startswith(shown) and cause[len(shown)] == " ", cut
    # A new effect with its interval is a number too, and kept; what else fits is cut at a word.
    fewer = ("Acupuncture vs Sham: back-specific disability, short term (`acu_vs_sham_disability`): now one study, not "
             "pooled (was pooled: 2 studies), without Kwon et al. (2007); study effect of Cherkin et al. (2009) 0.17 "
             "(\u22120.05 to 0.39): the confidence interval is compatible with no difference; no pooled estimate (was "
             "SMD 0.15, \u22121.18 to 1.48).")
    numbers = ("; study effect of Cherkin et al. (2009) 0.17 (\u22120.05 to 0.39): the confidence interval is "
               "compatible with no difference; no pooled estimate (was SMD 0.15, \u22121.18 to 1.48).")
    cut = terminal_line(fewer, 230)
    assert len(cut) <= 230 and cut.startswith("acu_vs_sham_disability: now one study, not pooled") and cut.endswith(
        "\u2026" + numbers), cut
    # No room for any of it: left out, an ellipsis after what is kept.
    assert terminal_line(fewer, 160) == "acu_vs_sham_disability: " + numbers[2:-1] + "; \u2026"
    # No room for any clause at all: an ellipsis for them.
    assert terminal_line("Studies added: A, B; C, D.", 10) == "Studies added: \u2026"
    # A claim keeps the word that says what its id is.
    claim = ("Claim \u201cA 2023 Cochrane review found that acupuncture lowers pain by 2.3 points more than sham.\u201d "
             "(`cochrane_acu_vs_sham`): supported \u2192 **not checkable from the data**.")
    assert terminal_line(claim, 80) == (
        "Claim cochrane_acu_vs_sham: supported \u2192 not checkable from the data.")
    # A quotation is not cut within: the reason quoted may hold ellipses of its own, and
    # "…against usual…" read as garbled text. The words before it are kept.
    quoted = ("Claim \u201cBoth work.\u201d (`both_work`): still not checkable from the data; its reason now reads "
              "\u201cAcupuncture: no pooled analysis \u2026(Brinkhaus et al., 2006; Okafor et al., 2024); \u2026against "
              "usual care, one trial favours it\u201d.")
    cut = terminal_line(quoted, 120)
    assert cut == "Claim both_work: still not checkable from the data; its reason now reads \u2026", cut
    assert terminal_line(quoted, 400) == plain(quoted.replace("(`both_work`)", "(both_work)")), terminal_line(quoted, 400)
    # A quotation opening the clause leaves nothing of it but the ellipsis.
    opening = "Claim `c`: \u201c" + "word " * 40 + "\u201d; \u201cother\u201d."
    assert terminal_line(opening, 60) == "Claim `c`: \u2026".replace("`", ""), terminal_line(opening, 60)
    # A line with no clauses after a name is cut at a word, as before.
    listed = terminal_line("Studies added: " + "Kim et al. (2030), " * 20, 60)
    assert len(listed) <= 60 and listed.startswith("Studies added: Kim et al. (2030), Kim") and listed.endswith(
        "Kim\u2026"), listed


@pytest.mark.parametrize(
    ("caption", "written"),
    [
        # Several sentences end with a full stop; one goes without, as captions do.
        ("Published reviews. Estimate: as printed", "Published reviews. Estimate: as printed."),
        ("Published reviews. Estimate: as printed.", "Published reviews. Estimate: as printed."),
        ("Is it? Yes", "Is it? Yes."),
        ("Study effects of acupuncture vs sham", "Study effects of acupuncture vs sham"),
        # An abbreviation's full stop starts no sentence.
        ("Trials of Yuan et al. From 2016", "Trials of Yuan et al. From 2016"),
        ("Effects, e.g. Pain, vs. Sham", "Effects, e.g. Pain, vs. Sham"),
    ],
)
def test_a_table_caption_of_several_sentences_ends_with_a_full_stop(caption, written):
    assert str(table(["a"], [["1"]], caption, "tbl-x")).endswith(f"\n: {escape(written)} {{#tbl-x}}\n")


# --- keep_together -------------------------------------------------------------------------

NB = "\u00a0"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("pooled, k = 2; tau", f"pooled, k{NB}={NB}2; tau"),
        ("p \\< 0.001 and p = 0.03", f"p{NB}\\<{NB}0.001 and p{NB}={NB}0.03"),
        ("(n = 45, N = 90)", f"(n{NB}={NB}45, N{NB}={NB}90)"),
        ("I² = 0%; τ² = 0.12", f"I²{NB}={NB}0%; τ²{NB}={NB}0.12"),
        ("Q = 1.2 (df = 1, *p* = 0.27)", f"Q{NB}={NB}1.2 (df{NB}={NB}1, *p*{NB}={NB}0.27)"),
        ("p ≤ 0.05, p \\> 0.1", f"p{NB}≤{NB}0.05, p{NB}\\>{NB}0.1"),
        ("Yuan et al. (2016)", f"Yuan et{NB}al. (2016)"),
        # Not a statistic's symbol: part of a word, or an escaped character.
        ("step = 2, n\\_arms = 2, Het al. x", "step = 2, n\\_arms = 2, Het al. x"),
    ],
)
def test_keep_together_joins_statistics_and_et_al(text, kept):
    assert keep_together(text) == kept


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # An interval: "95% CI" with its first number, "to" with its second; it may
        # still break before "to".
        ("SMD −0.42 (95% CI −0.79 to −0.05)", f"SMD −0.42 (95%{NB}CI{NB}−0.79 to{NB}−0.05)"),
        ("(Q-profile 95% CI 0.000 to 7.338)", f"(Q-profile 95%{NB}CI{NB}0.000 to{NB}7.338)"),
        ("90% CI -1 to -0.5", f"90%{NB}CI{NB}-1 to{NB}-0.5"),
        # A column's header: "95% CI" alone.
        ("| MD | 95% CI | n |", f"| MD | 95%{NB}CI | n |"),
        # A short range of whole numbers, whole; a number with its unit.
        ("on the 0 to 10 scale, 1 to 12 weeks", f"on the 0{NB}to{NB}10 scale, 1{NB}to{NB}12{NB}weeks"),
        ("after 1 month, so 8 weeks, 1,872 participants, −2.30 points",
         f"after 1{NB}month, so 8{NB}weeks, 1,872{NB}participants, −2.30{NB}points"),
        ("4 trials and 5 studies in 3 reviews", f"4{NB}trials and 5{NB}studies in 3{NB}reviews"),
        # Not a range or a unit: a number ending a word or a version, a word after the unit's.
        ("Cochrane2023 to 5, v1.2 to 3, 10 or more, 2 weekly, 3 studied",
         "Cochrane2023 to 5, v1.2 to 3, 10 or more, 2 weekly, 3 studied"),
        # A range that is not of short whole numbers binds "to" to its second number only.
        ("0 to 10.5; −3 to 5; 10 to 1000", f"0 to{NB}10.5; −3 to{NB}5; 10 to{NB}1000"),
    ],
)
def test_keep_together_joins_intervals_ranges_and_units(text, kept):
    assert keep_together(text) == kept


def test_keep_together_leaves_code_maths_raw_blocks_and_front_matter_alone():
    text = (
        "---\ntitle: Yuan et al.\n---\n\n"
        "Run `k = 2` or ``a ` p = 1`` but k = 2.\n\n"
        "```{=typst}\n// k = 2\n```\n\n"
        "~~~\nn = 3\n~~~\n\n"
        "$k = 2$ and $$p = 1$$, escaped \\`k = 2\\`.\n"
    )
    assert keep_together(text) == text.replace("but k = 2", f"but k{NB}={NB}2").replace(
        "\\`k = 2\\`", f"\\`k{NB}={NB}2\\`"
    )


def test_kept_statistics_stay_unbroken_in_html_and_typst():
    kept = keep_together("A result: k = 2, p \\< 0.001, Yuan et al. (2016), `n = 3`.")
    html_out = _pandoc(kept, "html")
    assert f"k{NB}={NB}2" in html_out and f"p{NB}&lt;{NB}0.001" in html_out and f"et{NB}al." in html_out
    assert "<code>n = 3</code>" in html_out
    typst_out = _pandoc(kept, "typst")
    assert "k~=~2" in typst_out and "p~\\<~0.001" in typst_out and "et~al." in typst_out


def test_kept_intervals_and_units_stay_valid_markdown_in_html_typst_and_a_table():
    # In a sentence, a table's header and cell, and a caption: the same text in both
    # outputs, only its spaces non-breaking, and the table still a table of 2 columns.
    kept = keep_together(
        "MD −0.51 (95% CI −1.39 to 0.37) points on the 0 to 10 scale, after 8 weeks.\n\n"
        "| Study | 95% CI |\n|---|---|\n| 1 to 12 weeks | −1.28 to −0.91 |\n\n"
        ": Results on the 0 to 10 scale (95% CI) {#tbl-x}\n"
    )
    html_out = _pandoc(kept, "html")
    assert f"(95%{NB}CI{NB}−1.39 to{NB}0.37) points on the 0{NB}to{NB}10 scale, after 8{NB}weeks." in html_out
    assert f"<th>95%{NB}CI</th>" in html_out and f"<td>1{NB}to{NB}12{NB}weeks</td>" in html_out
    assert f"<td>−1.28 to{NB}−0.91</td>" in html_out and html_out.count("<td>") == 2
    assert f"Results on the 0{NB}to{NB}10 scale (95%{NB}CI)" in html_out
    typst_out = _pandoc(kept, "typst")
    assert "(95%~CI~−1.39 to~0.37) points on the 0~to~10 scale, after 8~weeks." in typst_out
    assert "[1~to~12~weeks]" in typst_out and "[−1.28 to~−0.91]" in typst_out and "columns: 2" in typst_out
