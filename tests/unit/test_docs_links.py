"""The README and docs/ link to files and headings that exist, and so does every citation of a section.

The documentation is split between README.md and docs/*.md, and code, config comments and
error messages cite sections by name ('README, "Starting another review"'). A heading
renamed or moved to another file would leave those pointing nowhere without failing a build.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: Where a section may be cited from: code, rules, configuration and the report's template.
CITING = ["src", "scripts", "rules", "config", "reports", "tools", "benchmarks", "docs"]


def _headings(path: Path) -> list[str]:
    """The headings of a Markdown file, outside fenced code blocks."""
    out, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and (m := re.match(r"#{1,6}\s+(.*\S)", line)):
            out.append(m.group(1))
    return out


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation but ``-`` and ``_`` dropped,
    spaces turned into hyphens ("Reading the report and "What changed"" ->
    ``reading-the-report-and-what-changed``)."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_the_anchor_follows_githubs_rule() -> None:
    # Worked by hand from GitHub's rule, not from the function.
    assert _anchor('Reading the report and "What changed"') == "reading-the-report-and-what-changed"
    assert _anchor("Certainty of the evidence (GRADE)") == "certainty-of-the-evidence-grade"
    assert _anchor("`make audit`") == "make-audit"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_reaches_a_file_and_heading(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a URL, not a file of the repository
        path, _, fragment = target.partition("#")
        dest = (doc.parent / path).resolve() if path else doc
        if not dest.exists():
            broken.append(f"{target}: no such file")
        elif fragment and fragment not in {_anchor(h) for h in _headings(dest)}:
            broken.append(f"{target}: no such heading")
    assert not broken, f"{doc.relative_to(ROOT)}: " + "; ".join(broken)


def _citations() -> list[tuple[str, str, str]]:
    """Each ``README, "Section"`` or ``docs/<file>.md, "Section"`` cited in the repository,
    as (where, document, section)."""
    found = []
    pattern = re.compile(r'\b(README|docs/[\w-]+\.md), "([^"]+)"')
    for top in CITING:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix not in {".py", ".smk", ".yaml", ".qmd", ".lua", ".md", ".js"}:
                continue
            text = " ".join(path.read_text(encoding="utf-8").replace("#", " ").split())
            for doc, section in pattern.findall(text):
                found.append((str(path.relative_to(ROOT)), doc, section))
    return found


def test_citations_are_found() -> None:
    # The message on outcome codes and the config's comment on GRADE cite sections;
    # without them the test below would pass on nothing.
    where = {w for w, _, _ in _citations()}
    assert "src/metareview/plan.py" in where
    assert "config/config.yaml" in where
    # The accessibility check's script, run by hand, cites how to install what it needs.
    assert "tools/axe_check.js" in where


@pytest.mark.parametrize("where, doc, section", _citations())
def test_every_cited_section_exists(where: str, doc: str, section: str) -> None:
    path = ROOT / ("README.md" if doc == "README" else doc)
    assert path.exists(), f"{where} cites {doc}, which does not exist"
    assert section in _headings(path), f'{where} cites {doc}, "{section}", which has no such heading'


def test_the_readmes_timings_are_those_of_the_benchmark_table() -> None:
    # The README quotes the cold, no-op and 1,000-analysis timings of docs/performance.md's
    # table; a benchmark recorded there alone would leave the README quoting an older run.
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    section = readme.split("### Performance", 1)[1].split("##", 1)[0]
    quoted = re.search(r"cold build of the example \(render included\) took ([\d.]+) s, a no-op "
                       r"`make report` ([\d.]+) s .* 1,000 analyses ([\d.]+) s", section)
    assert quoted, "the README's Performance section no longer quotes the three timings"
    rows = {}
    for line in (ROOT / "docs" / "performance.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[1].endswith(" s"):
            rows[cells[0]] = cells[1]
    assert rows["example, cold (render included)"] == f"{quoted[1]} s"
    assert rows["example, no-op: `make report` / plain `snakemake`"].split(" / ")[0] == f"{quoted[2]} s"
    assert rows["generated review of 1,000 analyses, cold"] == f"{quoted[3]} s"


def test_the_pipeline_docs_draw_every_rule_that_writes_outputs() -> None:
    # docs/pipeline.md's diagram is where a reader looks up what writes a file under
    # results/ or build/; a rule added to the workflow but not to the diagram writes files
    # no document accounts for. `all` and `figures` only name targets.
    rules = set()
    for path in [ROOT / "Snakefile", *sorted((ROOT / "rules").glob("*.smk"))]:
        rules |= set(re.findall(r"^rule (\w+):", path.read_text(encoding="utf-8"), re.MULTILINE))
    assert {"study_effects", "analyse", "code_digest"} <= rules
    text = (ROOT / "docs" / "pipeline.md").read_text(encoding="utf-8")
    diagram = text.split("## The rules and their outputs", 1)[1].split("```")[1]
    drawn = set(re.findall(r"[├└]─ (\w+)", diagram))
    assert drawn == rules - {"all", "figures"}


def test_every_docs_page_is_linked_from_the_readme() -> None:
    # The README gives the common path and sends each edge-case rule to a page of docs/;
    # a page it does not link is one a reader starting from the README never finds.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {target.partition("#")[0] for target in re.findall(r"\]\(([^)\s]+)\)", readme)}
    pages = {f"docs/{path.name}" for path in (ROOT / "docs").glob("*.md")}
    assert {"docs/pipeline.md", "docs/editing-studies.md"} <= pages
    assert not pages - linked, f"README.md links none of {sorted(pages - linked)}"


def _paragraphs(text: str) -> list[str]:
    """The paragraphs and list items of a Markdown text, outside code blocks and tables,
    each as one line of words."""
    out: list[str] = []
    current: list[str] = []
    fenced = False
    for line in text.splitlines():
        stripped = line.strip()
        starts_item = re.match(r"([-*]|\d+\.)\s", stripped)
        if stripped.startswith(("```", "#", "|")) or fenced or not stripped or starts_item:
            if current:
                out.append(" ".join(current))
            current = [stripped] if starts_item and not fenced else []
            if stripped.startswith("```"):
                fenced = not fenced
            continue
        current.append(stripped)
    if current:
        out.append(" ".join(current))
    return out


def test_paragraphs_are_counted_one_by_one() -> None:
    # Worked by hand: two paragraphs, a list of two items, a table and a code block.
    text = "One two\nthree.\n\nFour.\n\n- five six\n  seven\n- eight\n\n| a | b |\n\n```\nnine ten\n```\n"
    assert [len(p.split()) for p in _paragraphs(text)] == [3, 1, 4, 2]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_has_a_paragraph_a_reader_cannot_get_through(doc: Path) -> None:
    # The README is read by a team adding a study and an auditor rerunning the build, as a
    # guide: a paragraph or list item of more than about 120 words is a specification,
    # whose rules belong in docs/ with a link from the README. The pages of docs/ are
    # looked up one rule or one number at a time, so there too a paragraph that long
    # hides the one a reader came for: it is a lead sentence and a list, or a heading.
    long = [p[:80] for p in _paragraphs(doc.read_text(encoding="utf-8")) if len(p.split()) > 120]
    where = doc.relative_to(ROOT)
    assert not long, f"{where} paragraphs of more than 120 words: " + "; ".join(long)


def test_the_way_to_reproduce_a_circulated_report_names_the_files_the_build_uses() -> None:
    # A fresh clone's report differs from a circulated one in "What changed" until it is
    # given the previous build's key results: the docs say where to put them and which
    # file of the circulated build holds them. Both paths must be the ones the workflow
    # reads and writes, or the documented route silently builds another report.
    guide = (ROOT / "docs" / "auditing.md").read_text(encoding="utf-8")
    section = guide.split("### Reproducing a circulated report", 1)[1].split("\n## ", 1)[0]
    # A subsection of "Rebuilding from raw data", before the guide's next section.
    assert guide.index("## Rebuilding from raw data") < guide.index("### Reproducing a circulated report") < \
        guide.index("## Reproducible builds")
    history = re.search(r'^HISTORY = Path\("([^"]+)"\)', (ROOT / "scripts" / "assemble_report.py").read_text(
        encoding="utf-8"), flags=re.MULTILINE)
    assert history and f"results/report/previous_key_results.json> {history.group(1)}" in section
    assert 'previous="results/report/previous_key_results.json"' in (ROOT / "rules" / "report.smk").read_text(
        encoding="utf-8")
    assert "#reproducing-a-circulated-report" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_defining_another_review_names_every_statement_the_example_makes_of_itself() -> None:
    # The README's step "Define the review" listed the title, question, population,
    # evidence base and authors alone: a new review kept the example's registration,
    # protocol and search, which its report printed as its own ("Registration: Not
    # registered"), and the example's abbreviations.
    import yaml

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    step = readme.split("## Starting another review", 1)[1].split("2. **Define the review**", 1)[1]
    step = " ".join(step.split("\n3. ", 1)[0].split())
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    keys = [*config["review"], *(f"report.{k}" for k in ("abbreviations",) if config["report"].get(k))]
    missing = [k for k in keys if f"`{k}`" not in step and k.replace("_", " ") not in step]
    assert keys and missing == [], missing
