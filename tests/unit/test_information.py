"""Where the review's documents were read, and when (metareview.report.information),
as the methods count it from sources.csv."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_report import CONFIG, context

from metareview.rawdata import read_raw
from metareview.report import (
    audit_lead,
    audit_rows,
    limitations_section,
    methods_section,
    site_kind,
    sites_read,
    where_read_text,
)

ROOT = Path(__file__).resolve().parents[2]


def _with_sources(*rows: dict[str, Any]):
    ctx = context()
    sources = [{"source_id": f"s{i}", "kind": "abstract", "citation": "c", **row} for i, row in enumerate(rows, 1)]
    return dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "sources": sources},
                               raw_row_numbers={**ctx.raw_row_numbers, "sources": list(range(2, len(rows) + 2))})


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://pubmed.ncbi.nlm.nih.gov/14600536/", "ncbi"),
        ("https://www.pubmed.gov/33580803/", "ncbi"),
        ("http://www.ncbi.nlm.nih.gov/books/NBK56291/", "ncbi"),
        ("https://clinicaltrials.gov/study/NCT00000000", "registry"),
        ("https://search.pedro.org.au/search-results/record-detail/61020", "pedro"),
        ("https://aim.bmj.com/content/24/1/5", "publisher"),
        ("https://doi.org/10.1001/archinte.167.17.1892", "publisher"),
        # A journal's own site on Open Journal Systems, whatever its host.
        ("http://jrms.mui.ac.ir/index.php/jrms/article/view/10508", "publisher"),
        # A publisher's or NCBI's address inside a mirror's is the mirror's.
        ("https://mdsite.deno.dev/https://pubmed.ncbi.nlm.nih.gov/23336503", "other"),
        ("https://notncbi.nlm.nih.gov.example.com/x", "other"),
        ("https://fakebmj.com/content", "other"),
        ("http://47.251.13.51:8081/17893311", "other"),
        ("http://physiotherapysenica.blogspot.com/2015/06/a.html", "other"),
        ("", "none"),
        (None, "none"),
    ],
)
def test_a_document_s_site_is_told_from_its_address_alone(url: str | None, kind: str) -> None:
    assert site_kind(url) == kind


def test_the_methods_count_where_the_documents_were_read_and_say_no_dates_are_recorded() -> None:
    ctx = _with_sources({"url": "https://pubmed.ncbi.nlm.nih.gov/1/"}, {"url": "https://pmc.ncbi.nlm.nih.gov/a"},
                        {"url": "https://www.bmj.com/x"}, {"url": "https://a.blogspot.com/x"}, {"url": None})
    line = where_read_text(ctx)
    assert line == ("- **Where the documents were read**: of the 5 documents in sources.csv, 2 were read on NCBI "
                    "(PubMed, PubMed Central or the Bookshelf), 1 on a publisher's or journal's own pages and 1 on "
                    "other websites (any other address, whether a document mirror, a blog, a forum or a vendor's "
                    "page, which the report does not sort further); 1 has no address recorded. The dates the "
                    "documents were read are not recorded (the `accessed` column of sources.csv is empty).")
    # In the methods, after the evidence base, the config's words no longer naming sites.
    methods = str(methods_section(ctx))
    assert line in methods.splitlines()
    assert "- **Where the documents were read**" not in str(methods_section(context()))


def test_the_dates_read_are_given_as_their_range_or_for_how_many_have_one() -> None:
    ctx = _with_sources({"url": "https://www.bmj.com/x", "accessed": "2024-03-02"},
                        {"url": "https://www.bmj.com/y", "accessed": "2023-11-30"})
    assert where_read_text(ctx).endswith("of the 2 documents in sources.csv, all 2 were read on a publisher's or "
                                         "journal's own pages. They were read between 2023-11-30 and 2024-03-02 "
                                         "(the `accessed` column of sources.csv).")
    ctx = _with_sources({"url": "https://www.bmj.com/x", "accessed": "2024-03-02"}, {"url": "https://a.b/y"},
                        {"url": None, "accessed": "2024-03-02"})
    assert where_read_text(ctx).endswith(
        "1 was read on a publisher's or journal's own pages and 1 on other websites (any other address, whether a "
        "document mirror, a blog, a forum or a vendor's page, which the report does not sort further); 1 has no "
        "address recorded. The date a document was read is recorded for 2 of the 3, on 2024-03-02 (the `accessed` "
        "column of sources.csv); for the others it is not.")


def test_the_counts_are_traced_in_the_audit_trail() -> None:
    ctx = _with_sources({"url": "https://pubmed.ncbi.nlm.nih.gov/1/"}, {"url": "https://www.bmj.com/x"},
                        {"url": "https://a.blogspot.com/x"}, {"url": "https://b.blogspot.com/x"})
    row = next(r for r in audit_rows(ctx) if r[1] == "documents by where they were read (count)")
    assert row[3] == 4 and row[5] == "sources.csv rows 2 to 5"
    assert row[8].startswith("NCBI (1): s1 (row 2); publisher or journal (1): s2 (row 3); other website (2): s3 "
                             "(row 4), s4 (row 5); 1 + 1 + 2 = 4 documents; accessed given in 0 of the 4 rows")
    # No address in the steps: a host is one long word, which widened the trail past its page.
    assert "blogspot" not in row[8]
    # The trail's opening names the kind, and what its value is.
    lead = audit_lead(ctx)
    assert "counts of documents by where they were read, and of results on outcomes not sought" in lead
    assert "a count of rows (the number of documents or results counted, each named by its raw row)" in lead
    assert "counts of documents" not in audit_lead(context())
    assert not [r for r in audit_rows(context()) if r[1] == "documents by where they were read (count)"]


def test_the_example_s_documents_are_counted_as_its_addresses_give_them() -> None:
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    raw = read_raw(ROOT / config["raw_dir"], ROOT / config["schema_dir"])
    sources = [dict(r.values) for r in raw.tables["sources"]]
    ctx = dataclasses.replace(context(), raw_tables={"sources": sources})
    counts = {kind: len(xs) for kind, xs in sites_read(ctx).items()}
    assert counts == {"ncbi": 11, "publisher": 10, "pedro": 1, "other": 27, "none": 3}
    assert "The dates the documents were read are not recorded" in where_read_text(ctx)
    # The evidence base no longer names sites the documents were mostly not read at.
    base = config["review"]["evidence_base"]
    assert not [name for name in ("PubMed", "Bookshelf", "Cochrane", "journal pages") if name in base]


# --- outcomes sought, adverse events ------------------------------------------------------------------

CODES = ["pain", "disability", "responder", "global_improvement", "sleep", "quality_of_life", "other"]


def _sought(ctx) -> str:
    return next(line for line in str(methods_section(ctx)).splitlines() if line.startswith("- **Outcomes sought**"))


def _harms_line(ctx) -> list[str]:
    return [line for line in str(limitations_section(ctx)).splitlines() if line.startswith("- **Adverse events**")]


def test_the_methods_list_the_outcomes_sought_and_say_adverse_events_were_not_extracted() -> None:
    ctx = dataclasses.replace(context(), outcome_codes=CODES)
    assert _sought(ctx) == ("- **Outcomes sought**: pain, the review's outcome; no other outcome was sought. Adverse "
                            "events (harms) were not extracted: the raw tables have no outcome code for them.")
    assert _harms_line(ctx) == [("- **Adverse events**: not extracted (the raw tables have no outcome code for them), "
                                 "so the report says nothing of the treatments' harms.")]
    # The outcome codes not known (a context of another making): not claimed of the tables.
    unknown = context()
    assert _sought(unknown).endswith("no other outcome was sought. Adverse events (harms) were not sought.")
    assert _harms_line(unknown) == [("- **Adverse events**: not sought, so the report says nothing of the "
                                     "treatments' harms.")]


def test_a_review_that_seeks_adverse_events_is_not_told_it_did_not() -> None:
    outcomes = {**CONFIG["outcomes"], "adverse_events": {"label": "Serious adverse events", "type": "binary"}}
    ctx = dataclasses.replace(context(outcomes=outcomes), outcome_codes=[*CODES, "adverse_events"])
    assert _sought(ctx) == ("- **Outcomes sought**: pain and serious adverse events, the review's outcomes; no other "
                            "outcome was sought.")
    assert _harms_line(ctx) == []
    # A code for them in the raw tables that the review does not analyse: said so, not "not extracted".
    ctx = dataclasses.replace(context(), outcome_codes=[*CODES, "adverse_events"])
    assert _sought(ctx).endswith("Adverse events (outcome code `adverse_events`) are not among them, and no analysis "
                                 "takes them in.")
    assert _harms_line(ctx) == [("- **Adverse events**: no outcome of the review's is for them, so no analysis takes "
                                 "them in: the report says nothing of the treatments' harms.")]


def test_results_on_outcomes_not_sought_are_counted_and_traced() -> None:
    ctx = context()
    extra = [{"study_id": "G", "arm1": "d", "outcome": "quality_of_life", "statement": "s", "quote": "q",
              "confidence": "low"},
             {"study_id": "G", "arm1": "d", "outcome": "other", "statement": "s", "quote": "q", "confidence": "low"},
             {"study_id": "A", "arm1": "i", "outcome": "quality_of_life", "statement": "s", "quote": "q",
              "confidence": "low"}]
    tables = {**ctx.raw_tables, "statements": [*ctx.raw_tables["statements"], *extra]}
    n = len(ctx.raw_tables["statements"])
    refs = {**ctx.raw_rows, "statements.csv:G#2": ("statements.csv", n + 2),
            "statements.csv:G#3": ("statements.csv", n + 3), "statements.csv:A#1": ("statements.csv", n + 4)}
    ctx = dataclasses.replace(ctx, raw_tables=tables, raw_rows=refs, outcome_codes=CODES)
    assert _sought(ctx).endswith(
        "Results on other outcomes were entered only where a source gave them beside these (quality of life, 2 rows; "
        "other outcomes, 1 row), and enter no analysis; the [appendix on every reported result](#sec-evidence) "
        "lists them.")
    rows = [r for r in audit_rows(ctx) if r[1].startswith("result rows on ")]
    assert [(r[1], r[2], r[3], r[5]) for r in rows] == [
        ("result rows on quality of life, an outcome the review does not define (count)", "G; A", 2,
         f"statements.csv row {n + 2}; statements.csv row {n + 4}"),
        ("result rows on other outcomes, an outcome the review does not define (count)", "G", 1,
         f"statements.csv row {n + 3}")]
    # None: no such sentence, no such row.
    assert "Results on other outcomes" not in _sought(context())
    assert not [r for r in audit_rows(context()) if r[1].startswith("result rows on ")]


def test_the_report_assembles_with_the_raw_tables_outcome_codes() -> None:
    # The workflow passes them (scripts/assemble_report.py), from the schemas it read the tables with.
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    raw = read_raw(ROOT / config["raw_dir"], ROOT / config["schema_dir"])
    assert raw.outcome_codes() == CODES
    assert "outcome_codes=raw.outcome_codes()" in (ROOT / "scripts" / "assemble_report.py").read_text(encoding="utf-8")
