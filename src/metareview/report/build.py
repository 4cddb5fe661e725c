"""Fill the report template: :func:`build_report`.

Each marker line (``<!-- metareview:NAME -->``) of ``reports/report.qmd`` is replaced by
its generated section and each field (``{{ name }}``) by its value; a marker or field
the template does not know, or one with a slip in it, fails the build.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from metareview.markdown import Markdown, escape, keep_together, meta_string
from metareview.report.audit import audit_lead, audit_rows, audit_section, favours_text, study_kinds
from metareview.report.base import ReportContext, _names, in_detail
from metareview.report.brief import key_messages
from metareview.report.changes import analyses_renamed_since, changes_section, renamed_since
from metareview.report.declarations import declarations_section
from metareview.report.flow import counts_line, flow_section, trial_group
from metareview.report.keys import key_results
from metareview.report.references import references_section
from metareview.report.sections import (
    claims_section,
    excluded_section,
    external_section,
    indirect_section,
    limitations_section,
    methods_section,
    narrative_section,
    provenance_section,
    results_section,
    risk_of_bias_section,
    uncovered_section,
    warnings_section,
)
from metareview.report.summary import (
    _status_counts,
    abbreviations_section,
    bottom_line,
    indirect_title,
    summary_section,
)
from metareview.report.tables import (
    analyses_table,
    evidence_table,
    study_table,
    trial_characteristics_table,
)

MARKER = re.compile(r"^<!-- metareview:([a-z_]+) -->$", re.MULTILINE)
FIELD = re.compile(r"\{\{ ([a-z_]+) \}\}")
#: What a field with a slip in it looks like: ``{{`` that starts no field (``{{ name }``,
#: ``{{name}}``), or a field that lost its first brace (``{ name }}``). Left in, it would
#: reach the published report as typed.
LOOSE_FIELD = re.compile(r"\{\{[^{}\n]{0,40}\}{0,2}|(?<!\{)\{ [a-z_]+ \}\}")


#: How the provenance ends the source commit of a build whose inputs differ from it.
UNCOMMITTED = " + uncommitted changes"


def build_label(commit: str | None, date_from: str | None = None) -> tuple[str, str]:
    """The title block's label of the report's date, and the note a draft adds to it.

    The label says what the date is, as the provenance's "Dated" line does: a reader
    took a bare "Dated" (and Quarto's "Published") for the date the evidence was read or
    the report sent out, and it is neither. Of a build dated by its source commit
    (``date_from`` "commit", the workflow's default), "Sources last changed": the date of
    the last commit to change the code, configuration or data. Of one dated by
    ``SOURCE_DATE_EPOCH``, "Date set for this build" (not "Build date": it is not the day
    the build ran, as the provenance says); of one dated by the day it ran (outside a git
    checkout), "Build date". One built from uncommitted changes (its source commit ends
    in "+ uncommitted changes") is a draft, which looked like a published version: its label starts "Draft", its date is
    the last commit's, and the note names the commit the changes are to, cut to 7 hex
    digits as ``git log --oneline`` gives it. Without ``date_from`` (a provenance of an
    older build), the date is the commit's where there is one, as there it was.

    >>> build_label("481a7c8e06d5 + uncommitted changes", "commit")
    ('Draft, sources last committed', 'from uncommitted changes to 481a7c8')
    >>> build_label("481a7c8e06d5", "commit")
    ('Sources last changed', '')
    >>> build_label("481a7c8e06d5", "SOURCE_DATE_EPOCH")
    ('Date set for this build', '')
    """
    commit = str(commit or "")
    head = commit.split(" ", 1)[0]
    hashed = re.fullmatch(r"[0-9a-f]{7,40}", head) is not None
    what = ("date set for this build" if date_from == "SOURCE_DATE_EPOCH"
            else "build date" if date_from == "today" or (date_from is None and not hashed)
            else None)
    if not commit.endswith(UNCOMMITTED):
        return (what[0].upper() + what[1:] if what else "Sources last changed"), ""
    label = f"Draft, {what}" if what else "Draft, sources last committed"
    if hashed:
        return label, f"from uncommitted changes to {head[:7]}"
    # No commit yet ("no commit + uncommitted changes"): nothing to name.
    return label, "from uncommitted changes"


def build_report(template: str, ctx: ReportContext) -> tuple[str, list[list[Any]], dict[str, Any]]:
    """Fill the template; return the ``.qmd`` text, the audit rows and the key results."""
    audit = audit_rows(ctx)
    keys = key_results(ctx)
    # Which group of the flow of studies (@tbl-flow) each trial in no analysis is in: the
    # "unused" trials are those set aside, those in words only, those with no result
    # entered and those outside the analysed comparisons, which the list alone mixed.
    keys["unused_trial_groups"] = {sid: trial_group(ctx, sid) for sid in keys["unused_trials"]}
    changes = changes_section(keys, ctx.previous, proper=_names(ctx))
    # Kept beside the key results for the end of the build to print (rules/common.smk),
    # never compared with a later build's.
    keys["changes"] = [line[2:] for line in str(changes).splitlines() if line.startswith("- ")]
    # The studies renamed since the last build, old id to new id, for the same end of the
    # build to tell a warning on a renamed study's row from a new one.
    keys["renamed"] = renamed_since(keys, ctx.previous)
    # And the analyses renamed (their id alone changed in the config), for it to tell a
    # warning on a renamed analysis's GRADE rating from a new one.
    keys["renamed_analyses"] = analyses_renamed_since(keys, ctx.previous)

    def summary() -> Markdown:
        # The key messages in the box, and the bottom line in full after it, where the
        # review has them; else the bottom line is the box.
        brief = key_messages(ctx)
        # One line of counts, studies to participants, where a reader of the summary alone
        # looks for how much evidence there is (PRISMA 2020 for Abstracts).
        counts = f"{escape(counts_line(ctx))} See @tbl-flow.\n"
        detail = (f"{brief}\n{counts}\n{bottom_line(ctx, boxed=False)}\n" if brief
                  else f"{bottom_line(ctx)}\n{counts}")
        return Markdown(detail + ("" if in_detail(ctx) else f"\n{_status_counts(ctx)}\n"))

    sections: dict[str, Callable[[], Any]] = {
        "changes": lambda: changes,
        # The summary is the bottom line; the analysis-by-analysis account opens the
        # results, before each analysis's section.
        # Above the detail limit, the summary counts the analyses the results tabulate.
        "summary": summary,
        "methods": lambda: methods_section(ctx),
        "analyses": lambda: analyses_table(ctx),
        "studies": lambda: study_table(ctx),
        "trial_characteristics": lambda: trial_characteristics_table(ctx),
        "flow": lambda: flow_section(ctx),
        "excluded": lambda: excluded_section(ctx),
        "uncovered": lambda: uncovered_section(ctx),
        "warnings": lambda: warnings_section(ctx),
        "risk_of_bias": lambda: risk_of_bias_section(ctx),
        "evidence": lambda: evidence_table(ctx),
        "results": lambda: Markdown(summary_section(ctx) + "\n" + results_section(ctx)),
        "external": lambda: external_section(ctx),
        "narrative": lambda: narrative_section(ctx),
        "indirect": lambda: indirect_section(ctx),
        "claims": lambda: claims_section(ctx),
        "limitations": lambda: limitations_section(ctx),
        # Filled below, from the whole report's text.
        "abbreviations": lambda: "",
        "declarations": lambda: declarations_section(ctx),
        "provenance": lambda: provenance_section(ctx),
        # Filled below too, from the whole report's text, abbreviations and all.
        "references": lambda: "",
        "audit": lambda: audit_section(ctx, audit),
    }
    review = ctx.config["review"]
    label, draft = build_label(ctx.provenance.get("git_commit"), ctx.provenance.get("date_from"))
    fields = {
        # A draft says so in its title, which both renderers repeat where the title block
        # is not: each PDF page's header, the PDF's and the HTML page's title. A page
        # printed from a draft could not be told from a published version's.
        "title": meta_string(("Draft: " if draft else "") + review["title"]),
        # A YAML list (JSON syntax), empty when the config names nobody: the title block,
        # the HTML's author meta tag and the PDF's Author field say who answers for it.
        "authors": "[" + ", ".join(meta_string(name) for name in review.get("authors", [])) + "]",
        "question": escape(" ".join(review["question"].split())),
        # Optional in the config: without it, "Population: ." was all the report said.
        "population": (f"Population: {escape(review['population'])}." if review.get("population") else
                       "Population: not stated by the review."),
        "date": ctx.provenance["build_date"],
        # The title block's label of that date, and a draft's note (YAML strings).
        "date_label": meta_string(label),
        "draft_note": meta_string(draft),
        "renderer": escape(ctx.provenance["renderer"]),
        "indirect_title": indirect_title(ctx),
        "study_kinds": study_kinds(ctx),
        "audit_lead": audit_lead(ctx, audit),
        # The methods say how the studies were found only when the config does
        # (`review.evidence_base`): without it, pointing there would send the reader to
        # nothing.
        "found_where": " How the studies were found is in the methods." if review.get("evidence_base") else "",
        # The sides of the measures the analyses use, not of every measure the library knows.
        "favours": favours_text([a["measure"] for a in ctx.config.get("analyses", [])],
                                {a.get("events", "beneficial") for a in ctx.config.get("analyses", [])
                                 if a["measure"] in ("RR", "OR", "RD")}),
        # The config's `raw_dir`: a review whose tables are not in data/raw/ is told where
        # its own are (a code span: no Markdown escape).
        "raw_dir": str(ctx.config.get("raw_dir", "data/raw")).rstrip("/").replace("`", "'"),
    }
    for number, line in enumerate(template.splitlines(), 1):
        slip = next((m.group() for m in LOOSE_FIELD.finditer(line) if not FIELD.fullmatch(m.group())), None)
        if slip:
            raise ValueError(f"reports/report.qmd, line {number}: {slip!r} is no field: a field is "
                             "written '{{ name }}', two braces and one space each side")
        unknown = next((m.group(0) for m in FIELD.finditer(line) if m.group(1) not in fields), None)
        if unknown:
            raise KeyError(f"reports/report.qmd, line {number}: unknown field '{unknown}' "
                           f"(the fields: {', '.join(sorted(fields))})")
    used = set()
    filled: dict[str, str] = {}

    def fill_section(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in sections:
            raise KeyError(f"reports/report.qmd: unknown section marker '{name}'")
        used.add(name)
        if name not in filled:
            filled[name] = str(sections[name]()).rstrip("\n")
        return filled[name]

    def fill_field(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in fields:
            raise KeyError(f"reports/report.qmd: unknown field '{{{{ {name} }}}}'")
        return str(fields[name])

    text = FIELD.sub(fill_field, MARKER.sub(fill_section, template))
    # The abbreviations the report prints anywhere, in a section of their own: the
    # library's (SD in the methods, SE in the audit trail) and those the review declares
    # (a table's quoted source text). That section again, given the whole text, and the
    # others as they were.
    if "abbreviations" in filled:
        filled["abbreviations"] = str(abbreviations_section(ctx, text)).rstrip("\n")
        text = FIELD.sub(fill_field, MARKER.sub(fill_section, template))
    # The references: the documents the raw tables cite, and the works for its methods
    # the whole text (the list of abbreviations included, which cites Cohen) cites.
    if "references" in filled:
        filled["references"] = str(references_section(ctx, text)).rstrip("\n")
        text = FIELD.sub(fill_field, MARKER.sub(fill_section, template))
    # "k = 2", "p < 0.001", "et al." kept on one line, in every section and the
    # template's own text alike.
    text = keep_together(text)
    missing = set(sections) - used
    if missing:
        raise KeyError(f"reports/report.qmd: section markers missing: {', '.join(sorted(missing))}")
    return text, audit, keys
