"""The report's references: the documents read, the works cited for the methods."""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_report import TEMPLATE, context

from metareview.fmt import typeset
from metareview.markdown import escape, plain
from metareview.report import build_report
from metareview.report.references import (
    METHODS_REFERENCES,
    author_year_citations,
    cited_sources,
    data_text,
    identifier_links,
    methods_references,
    references_section,
    uncited_in_list,
    web_address,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "metareview"


def _section(text: str) -> str:
    """The References section of a built report's text."""
    start = text.index("## References {#sec-references}")
    return text[start:text.index("\n## ", start + 1)]


def _without_references(text: str) -> str:
    start = text.index("## References {#sec-references}")
    return text[:start] + text[text.index("\n## ", start + 1):]


# --- addresses and identifiers ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "file:///etc/passwd", "ftp://x.org/a",
                                 "data:text/html,<b>x</b>", "//example.org/a", "example.org/a", "/a/b", "https://",
                                 "http://exa mple.org\n/a", "https://exa mple.org/", "mailto:a@b.org", "", None])
def test_only_an_http_or_https_address_with_a_host_becomes_a_link(url: Any) -> None:
    assert web_address(url) is None


def test_an_address_is_percent_encoded_so_no_character_of_it_ends_the_link() -> None:
    assert web_address("https://example.org/a") == "https://example.org/a"
    got = web_address('http://x.org/a b(1)<script>"q"`\\|{x}%zz%2F?k=v&w=1#f')
    assert got == "http://x.org/a%20b%281%29%3Cscript%3E%22q%22%60%5C%7C%7Bx%7D%25zz%2F?k=v&w=1#f"
    # Not a character the autolink's or Markdown's syntax reads is left.
    assert not set(got) & set(" <>()[]\"'`\\|{}*_")
    # A non-ASCII path as its UTF-8 bytes.
    assert web_address("https://例え.jp/ü") == "https://%E4%BE%8B%E3%81%88.jp/%C3%BC"


def test_each_identifier_is_a_link_to_its_resolver_and_any_other_is_escaped_text() -> None:
    links = identifier_links("doi:10.1016/S0304-3959(01)00444-4; PMID 16505266; PMC8095030; NBK56291; "
                             "https://doi.org/10.1000/a; ECAM 2015:328196; [x](javascript:alert(1))")
    assert links == [
        "[doi:10.1016/S0304-3959(01)00444-4](https://doi.org/10.1016/S0304-3959%2801%2900444-4)",
        "[PMID 16505266](https://pubmed.ncbi.nlm.nih.gov/16505266/)",
        "[PMC8095030](https://pmc.ncbi.nlm.nih.gov/articles/PMC8095030/)",
        "[NBK56291](https://www.ncbi.nlm.nih.gov/books/NBK56291/)",
        "[doi:10.1000/a](https://doi.org/10.1000/a)",
        "ECAM 2015:328196",
        "\\[x\\](javascript:alert(1))",
    ]
    # A DOI with a character that would end the link is no DOI; it stays text.
    assert identifier_links("doi:10.1/a b") == [escape("doi:10.1/a b", typographic=False)]
    assert identifier_links(None) == identifier_links("") == identifier_links(" ; ") == []


def test_a_doi_with_a_semicolon_stays_whole_and_every_written_form_of_a_doi_is_linked() -> None:
    # A SICI DOI, as older Wiley journals' are, has a ";" of its own: only a ";" before a
    # space or another identifier separates two.
    sici = "10.1002/(SICI)1097-0258(19980615)17:11<1237::AID-SIM805>3.0.CO;2-E"
    address = "https://doi.org/10.1002/%28SICI%291097-0258%2819980615%2917%3A11%3C1237%3A%3AAID-SIM805%3E3.0.CO%3B2-E"
    links = identifier_links(f"doi:{sici}; PMID 9670526")
    assert links == [f"[{escape('doi:' + sici, typographic=False)}]({address})",
                     "[PMID 9670526](https://pubmed.ncbi.nlm.nih.gov/9670526/)"]
    assert identifier_links(f"{sici};PMID 9670526") == links
    # "DOI 10.x", the www. resolver, and a sentence's full stop after the DOI.
    for form in ("DOI 10.1000/ab", "doi: 10.1000/ab.", "https://www.doi.org/10.1000/ab", "http://dx.doi.org/10.1000/ab"):
        assert identifier_links(form) == ["[doi:10.1000/ab](https://doi.org/10.1000/ab)"], form


# --- the documents read ----------------------------------------------------------------------------


def _with_sources(ctx: Any, sources: list[dict[str, Any]], studies: list[dict[str, Any]],
                  claims: list[dict[str, Any]] | None = None) -> Any:
    tables = {**ctx.raw_tables, "sources": sources, "studies": studies, "claims": claims or []}
    return dataclasses.replace(ctx, raw_tables=tables,
                               raw_row_numbers={**ctx.raw_row_numbers, "sources": list(range(2, len(sources) + 2))})


def _documents(section: str) -> list[str]:
    """The entries of the list of documents, as plain text."""
    part = section.split("### Methods", 1)[0]
    return [plain(line[2:]) for line in part.splitlines() if line.startswith("- ")]


def test_each_document_a_row_cites_is_listed_under_its_studies_names_escaped_and_linked() -> None:
    ctx = context()
    # The fixture's studies, by id: A, B, C, G, M.
    studies = [{"study_id": s, "label": doc["study"]["label"], "source_id": f"{s.lower()}_own"}
               for s, doc in ((d["study"]["study_id"], d) for d in ctx.normalised)]
    labels = {s["study_id"]: s["label"] for s in studies}
    sources = [{"source_id": f"{s['study_id'].lower()}_own", "kind": "abstract",
                "citation": f"Author {s['study_id']} (2001). Title *{s['study_id']}* <b>", "url": "https://x.org/a",
                "doi_or_pmid": "PMID 1"} for s in studies]
    sources.append({"source_id": "hostile", "kind": "other", "citation": "<script>alert(1)</script> #set page()",
                    "url": "javascript:alert(1)", "doi_or_pmid": "doi:10.1000/x"})
    sources.append({"source_id": "unused", "kind": "other", "citation": "Nobody", "url": "", "doi_or_pmid": ""})
    sources.append({"source_id": "post", "kind": "blog_post", "citation": "A blog post.", "url": None,
                    "doi_or_pmid": None})
    tables = dict(ctx.raw_tables)
    # One of A's results read in the hostile document.
    tables["arm_outcomes"] = [{**r, "source_id": "hostile"} if r["study_id"] == "A" else r
                              for r in tables["arm_outcomes"]]
    ctx = dataclasses.replace(ctx, raw_tables=tables)
    ctx = _with_sources(ctx, sources, studies, claims=[{"claim_id": "c", "source_id": "post"}])
    section = str(references_section(ctx, ""))
    entries = _documents(section)
    # Every cited document once; the one no row cites is not listed, but named.
    assert len(entries) == len(studies) + 2
    assert "(unused," not in section and "Not listed: unused, which no row cites" in section
    # Sorted by the studies' names; A's own report before the document some of its rows
    # were read in.
    leads = [e.split(": ", 1)[0] for e in entries]
    firsts = [x.split("; ")[0] for x in leads]
    assert firsts == sorted(firsts, key=str.casefold)
    first_a = leads.index(labels["A"])
    assert entries[first_a].endswith("(a_own, sources.csv row 2)")
    assert entries[first_a + 1].startswith(f"{labels['A']}: <script>alert(1)</script> #set page().")
    # Text from data is escaped: nothing of it is markup.
    assert "<script>" not in section.replace("\\<script\\>", "") and "\\#set page()" in section
    assert "Title \\*A\\* \\<b\\>" in section
    # The javascript: address is printed, never linked; the DOI is.
    assert "](javascript" not in section and "<javascript" not in section
    assert "Recorded address, not a web address: javascript:alert(1)." in plain(section)
    assert "[doi:10.1000/x](https://doi.org/10.1000/x)" in section
    assert "Read at [https://x.org/a](https://x.org/a){.uri}." in section
    # No bare "<" reaches pandoc, which would scan the rest of the report for an
    # autolink's end.
    assert not re.search(r"(?<!\\)<", section)
    # A document only claims cite is listed under them.
    assert any(e.startswith("The claims checked against the data: A blog post. (post, sources.csv row") for e in entries)


def test_the_documents_sort_by_name_with_accents_and_case_aside_the_same_on_every_run() -> None:
    ctx = context()
    names = ["Zeta (2001)", "élan et al. (2002)", "Perez (2003)", "Pérez (2004)", "de Vries (2005)", "Alpha (2006)"]
    studies = [{"study_id": f"S{i}", "label": name, "source_id": f"s{i}"} for i, name in enumerate(names)]
    sources = [{"source_id": f"s{i}", "citation": f"Cited {i}."} for i in range(len(names))]
    ctx = dataclasses.replace(ctx, normalised=[])
    ctx = _with_sources(ctx, sources, studies)
    got = [e.split(": ", 1)[0] for e in _documents(str(references_section(ctx, "")))]
    assert got == ["Alpha (2006)", "de Vries (2005)", "élan et al. (2002)", "Perez (2003)", "Pérez (2004)", "Zeta (2001)"]
    # The raw tables in another order, their rows too: the same section, byte for byte.
    shuffled = dataclasses.replace(ctx, raw_tables={k: list(reversed(v)) if k != "sources" else v
                                                    for k, v in reversed(list(ctx.raw_tables.items()))})
    assert str(references_section(shuffled, "")) == str(references_section(ctx, ""))
    assert [r["source_id"] for r, *_ in cited_sources(ctx)] == ["s5", "s4", "s1", "s2", "s3", "s0"]


def test_a_context_without_sources_says_so() -> None:
    section = str(references_section(context(), ""))
    assert "No row of the raw tables cites a document of sources.csv." in section


# --- the works cited for the methods ---------------------------------------------------------------


def _first_author_and_year(ref: Any) -> tuple[str, str]:
    m = re.match(r"([^\W\d_][^,(]*?) [A-Z]+[, ].*?\((?:editors\) \()?(\d{4})\)", ref.citation)
    assert m, ref.citation
    return m.group(1), m.group(2)


def test_each_method_reference_is_complete_and_the_list_in_author_order() -> None:
    keys = [_first_author_and_year(ref) for ref in METHODS_REFERENCES]
    assert keys == sorted(keys), "METHODS_REFERENCES out of author-year order"
    for ref, (surname, year) in zip(METHODS_REFERENCES, keys, strict=True):
        assert ref.doi or ref.url, ref.citation
        if ref.doi:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", ref.doi), ref.doi
        # Each in-text form names the first author and the year of the reference.
        assert ref.cited_as or ref.named_as, ref.citation
        for form in ref.cited_as:
            assert author_year_citations(form) == [(surname, year)], (form, ref.citation)
    # No two entries share an in-text form.
    forms = [key for ref in METHODS_REFERENCES for key in {author_year_citations(f)[0] for f in ref.cited_as}]
    assert len(forms) == len(set(forms))


def test_author_year_citations_are_found_in_every_form_the_report_prints() -> None:
    text = ("(Knapp \\& Hartung 2003; metafor) Sterne et al.\u00a02011, Brinkhaus et al. (2006), Kwon et al., "
            "2007, Carlsson & Sjölund (2001), Bucher et al. (1997, O’Brien 1999, version 6.4, 2023; Cochrane "
            "Handbook 10.10.4; 12 participants in 2020")
    assert author_year_citations(text) == [("Knapp", "2003"), ("Sterne", "2011"), ("Brinkhaus", "2006"),
                                           ("Kwon", "2007"), ("Carlsson", "2001"), ("Bucher", "1997"),
                                           ("O'Brien", "1999")]


def test_a_method_is_listed_where_the_text_cites_it_by_author_or_by_name() -> None:
    cited = methods_references("pooled (Knapp & Hartung 2003) with the Hartung-Knapp-Sidik-Jonkman test, "
                               "Cochrane Handbook 6.5.2.3")
    assert [r.citation.split(" (")[0] for r in cited] == [
        "Hartung J, Knapp G", "Higgins JPT, Thomas J, Chandler J, Cumpston M, Li T, Page MJ, Welch VA",
        "Knapp G, Hartung J", "Sidik K, Jonkman JN"]
    assert methods_references("No citation here, 2011.") == []


def test_an_author_and_year_only_the_data_gives_cites_no_method() -> None:
    # A trial by Shi et al. in 2020, a quote citing Cohen: no citation of the methods'
    # Shi et al. 2020 or Cohen 1988, which the report's own text does not make.
    data = ["Shi et al. (2020)", "as Cohen 1988 put it, it's a rule-of-thumb", "Nobody 2031"]
    text = ("In Shi et al.\u00a0(2020) the effect was small; a quote: \u201cas Cohen 1988 put it, it\u2019s a rule\u2013of\u2013thumb\u201d. SMD (Hedges\u2019 g).")
    assert [r.cited_as for r in methods_references(text, data)] == [("Hedges 1981",)]
    # Without the data, each reads as the citation it looks like.
    assert [r.cited_as[0] for r in methods_references(text)] == ["Cohen 1988", "Hedges 1981", "Shi et al. 2020"]
    # The report's own citation beside the data's still cites.
    assert [r.cited_as[0] for r in methods_references(text + " Estimated (Shi et al. 2020).", data)] == [
        "Hedges 1981", "Shi et al. 2020"]


def test_a_study_labelled_with_a_methods_authors_name_and_year_adds_no_method() -> None:
    ctx = context()
    docs = [{**doc, "study": {**doc["study"], "label": "Shi et al. (2020)"}} if i == 0 else doc
            for i, doc in enumerate(ctx.normalised)]
    ctx = dataclasses.replace(ctx, normalised=docs)
    text = build_report(TEMPLATE, ctx)[0]
    assert "Shi et al. (2020)" in plain(_without_references(text)).replace("\u00a0", " ")
    assert "Shi J, Luo D" not in _section(text)
    assert "Shi et al." not in plain(_section(text)).split("### Methods", 1)[1]


def _library_strings() -> list[tuple[str, int, str]]:
    """Every string constant of the library that is no docstring, as (file, line, text):
    what the report's text can be made of."""
    out = []
    # The list's own full citations aside: those are the entries.
    for path in sorted(p for p in SRC.rglob("*.py") if p.name != "references.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(node.value) for node in ast.walk(tree)
                if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
        out += [(path.name, node.lineno, node.value) for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs]
    return out


def test_every_author_year_citation_of_the_librarys_text_has_a_reference() -> None:
    # Any code path, not only those a report below takes: a citation added to a sentence
    # without its entry in METHODS_REFERENCES fails here.
    missing = [f"{name}:{line}: {cite}" for name, line, text in _library_strings()
               for cite in uncited_in_list(text)]
    assert missing == []


def test_the_check_of_the_librarys_text_finds_a_citation_without_a_reference() -> None:
    assert uncited_in_list("as shown (Nobody et al. 2031; Sterne et al. 2011)") == ["Nobody 2031"]
    assert uncited_in_list("Nobody et al. (2031) says", ["Nobody et al. (2031)"]) == []


def test_every_author_year_citation_of_a_built_report_is_a_reference_or_its_datas() -> None:
    ctx = context()
    text = build_report(TEMPLATE, ctx)[0]
    body = _without_references(text)
    assert uncited_in_list(body, data_text(ctx)) == []
    # The section lists what the text cites, and only that.
    section = _section(text)
    cited = methods_references(body)
    printed = plain(section).replace("\u00a0", " ")
    assert cited and all(typeset(ref.citation) in printed for ref in cited)
    assert sum(line.startswith("- ") for line in section.split("### Methods", 1)[1].splitlines()) == len(cited)


def test_a_citation_added_to_the_reports_text_without_a_reference_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    from metareview.report import build as build_module

    real = build_module.methods_section
    monkeypatch.setattr(build_module, "methods_section", lambda ctx: f"{real(ctx)}\n- New (Nobody et al. 2031).\n")
    ctx = context()
    text = build_report(TEMPLATE, ctx)[0]
    assert uncited_in_list(_without_references(text), data_text(ctx)) == ["Nobody 2031"]


#: The section as a second interpreter builds it, and that interpreter's hash of a string.
_BUILD_ELSEWHERE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from test_report import TEMPLATE, context
from metareview.report import build_report
print(json.dumps([hash("metareview"), build_report(TEMPLATE, context())[0]]))
"""


def test_the_references_are_the_same_on_every_build() -> None:
    # The second build in another interpreter, with another hash seed: an order taken
    # from a set of strings differs between the two, not between two builds of one.
    first = _section(build_report(TEMPLATE, context())[0])
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": os.pathsep.join([str(SRC.parent), *sys.path])}
    out = subprocess.run([sys.executable, "-c", _BUILD_ELSEWHERE, str(Path(__file__).parent)], env=env,
                         capture_output=True, text=True, check=True).stdout
    their_hash, text = json.loads(out.splitlines()[-1])
    assert their_hash != hash("metareview"), "the second build had the same hash seed"
    assert _section(text) == first
    assert first.index("### Documents the evidence was read in") < first.index("### Methods")
