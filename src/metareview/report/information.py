"""What the methods say of the review's information: where its documents were read and
when (:func:`where_read_text`), computed from ``sources.csv``, and the outcomes it sought
(:func:`outcomes_sought_text`), adverse events among them or not.

A review's own account of its sources ("PubMed Central, NCBI Bookshelf, journal pages")
is written once and goes stale as documents are added; the addresses in ``sources.csv``
are what was read. They are counted by the kind of site that serves them, from the
address alone: no source is judged one by one, and a site the lists below do not know is
counted among "other websites", which say what they hold rather than how good it is.

The outcomes sought are the config's; the methods say so, with what was done with
results on other outcomes a source gave anyway, and say plainly when adverse events were
not sought: a review of an invasive treatment that is silent on harms reads as if it
found none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from metareview.fmt import in_sentence, join_list
from metareview.markdown import escape
from metareview.report.base import ReportContext

#: NCBI's sites: PubMed, PubMed Central and the Bookshelf (a host matches itself and any
#: host ending in "." and it).
NCBI_HOSTS = ("ncbi.nlm.nih.gov", "pubmed.gov")

#: Trial registries of the WHO's registry network and ClinicalTrials.gov.
REGISTRY_HOSTS = ("clinicaltrials.gov", "isrctn.com", "trialsearch.who.int", "chictr.org.cn", "anzctr.org.au",
                  "drks.de", "clinicaltrialsregister.eu", "euclinicaltrials.eu", "ctri.nic.in", "jrct.niph.go.jp",
                  "umin.ac.jp", "irct.ir", "irct.behdasht.gov.ir", "cris.nih.go.kr", "ensaiosclinicos.gov.br",
                  "pactr.samrc.ac.za", "rpcec.sld.cu", "slctr.lk", "thaiclinicaltrials.org", "trialregister.nl",
                  "isrctn.org")

#: PEDro, the Physiotherapy Evidence Database.
PEDRO_HOSTS = ("pedro.org.au",)

#: Publishers' and journals' own sites, and the DOI resolver, which leads to them.
PUBLISHER_HOSTS = (
    "doi.org", "bmj.com", "lww.com", "hindawi.com", "jamanetwork.com", "sciencedirect.com", "elsevier.com",
    "thelancet.com", "cell.com", "springer.com", "biomedcentral.com", "springeropen.com", "nature.com", "wiley.com",
    "cochranelibrary.com", "tandfonline.com", "informahealthcare.com", "sagepub.com", "oup.com", "nejm.org",
    "plos.org", "frontiersin.org", "mdpi.com", "karger.com", "thieme-connect.com", "thieme-connect.de",
    "cambridge.org", "degruyter.com", "liebertpub.com", "acpjournals.org", "annals.org", "ahajournals.org",
    "dovepress.com", "iospress.com", "iospress.nl", "spandidos-publications.com", "jstage.jst.go.jp", "scielo.br",
    "scielo.org", "archives-pmr.org", "jpain.org", "jospt.org", "aafp.org", "jabfm.org", "painphysicianjournal.com",
    "journals.physiology.org", "physiotherapyjournal.com", "europeanreview.org", "e-century.us", "medsci.org",
    "cureus.com", "peerj.com", "elifesciences.org", "spine-journal.com", "thespinejournalonline.com",
    "ejpain.org", "painmedicine.org", "jmptonline.org", "archives-pmr.com",
)

#: A journal's own site run on Open Journal Systems, which many journals use: its
#: article pages are at ``/index.php/JOURNAL/article/view/ID``.
OJS_ARTICLE = re.compile(r"/index\.php/[^/]+/article/view/")

#: The kinds of site, in the order the methods give them, each with its words there
#: (after "were read").
SITE_WORDS = (("ncbi", "on NCBI (PubMed, PubMed Central or the Bookshelf)"),
              ("publisher", "on a publisher's or journal's own pages"),
              ("registry", "in a trial registry"),
              ("pedro", "on PEDro"),
              ("other", ("on other websites (any other address, whether a document mirror, a blog, a forum or a "
                         "vendor's page, which the report does not sort further)")),
              ("none", "with no address recorded"))


def _on(host: str, hosts: Sequence[str]) -> bool:
    """Whether ``host`` is one of ``hosts`` or a host under one of them."""
    return any(host == h or host.endswith("." + h) for h in hosts)


def site_kind(url: str | None) -> str:
    """The kind of site a document was read at, from its address alone: one of the keys
    of :data:`SITE_WORDS`.

    >>> site_kind("https://pmc.ncbi.nlm.nih.gov/articles/PMC8095030/")
    'ncbi'
    >>> site_kind("https://www.bmj.com/content/333/7569/623")
    'publisher'
    >>> site_kind("http://jrms.mui.ac.ir/index.php/jrms/article/view/10508")
    'publisher'
    >>> site_kind("https://mdsite.deno.dev/https://doi.org/10.1016/x")
    'other'
    >>> site_kind(None)
    'none'
    """
    if not url or not str(url).strip():
        return "none"
    parts = urlsplit(str(url).strip())
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return "none"
    if _on(host, NCBI_HOSTS):
        return "ncbi"
    if _on(host, REGISTRY_HOSTS):
        return "registry"
    if _on(host, PEDRO_HOSTS):
        return "pedro"
    if _on(host, PUBLISHER_HOSTS) or OJS_ARTICLE.search(parts.path):
        return "publisher"
    return "other"


def sites_read(ctx: ReportContext) -> dict[str, list[Mapping[str, Any]]]:
    """The rows of ``sources.csv`` by the kind of site each was read at
    (:func:`site_kind`), in the order of :data:`SITE_WORDS`, kinds with none left out."""
    rows = ctx.raw_tables.get("sources") or []
    by_kind: dict[str, list[Mapping[str, Any]]] = {kind: [] for kind, _ in SITE_WORDS}
    for row in rows:
        by_kind[site_kind(row.get("url"))].append(row)
    return {kind: xs for kind, xs in by_kind.items() if xs}


def _when_read(rows: Sequence[Mapping[str, Any]]) -> str:
    """What ``sources.csv`` says of when its documents were read: their ``accessed``
    dates' range, for how many, or that none is recorded."""
    dates = sorted(str(r["accessed"]).strip() for r in rows if str(r.get("accessed") or "").strip())
    n = len(rows)
    if not dates:
        return ("The dates the documents were read are not recorded (the `accessed` column of sources.csv is "
                "empty).")
    span = f"on {dates[0]}" if dates[0] == dates[-1] else f"between {dates[0]} and {dates[-1]}"
    if len(dates) == n:
        return f"They were read {span} (the `accessed` column of sources.csv)."
    return (f"The date a document was read is recorded for {len(dates)} of the {n}, {span} (the `accessed` column "
            "of sources.csv); for the others it is not.")


def where_read_text(ctx: ReportContext) -> str:
    """The methods' bullet on where the documents of ``sources.csv`` were read and when,
    or "" for a review with no such table (nothing to count).

    The first count takes the verb ("11 were read on NCBI ..., 10 on a publisher's ...");
    the documents with no address close the sentence.
    """
    rows = ctx.raw_tables.get("sources") or []
    if not rows:
        return ""
    words = dict(SITE_WORDS)
    found = sites_read(ctx)
    n = len(rows)
    counts = [(len(xs), words[kind]) for kind, xs in found.items() if kind != "none"]
    none = len(found.get("none", []))
    if len(counts) == 1 and not none:
        read = f"all {n} were read {counts[0][1]}" if n > 1 else f"it was read {counts[0][1]}"
    else:
        parts = [f"{k} {where}" for k, where in counts]
        if parts:
            k = counts[0][0]
            parts[0] = f"{k} {'was' if k == 1 else 'were'} read {counts[0][1]}"
        read = join_list(parts)
        if none:
            read += (f"; {none} {'has' if none == 1 else 'have'} no address recorded" if parts else
                     "none has an address recorded" if n > 1 else "it has no address recorded")
    return (f"- **Where the documents were read**: of the {n} {'document' if n == 1 else 'documents'} in "
            f"sources.csv, {read}. {_when_read(rows)}")


#: The ``from`` of the audit rows of these counts begins so (the trail's opening names them).
COUNT_ROWS = "count of the rows of"

#: Each kind of site as the audit trail names it (:func:`where_read_audit_rows`).
_SITE_SHORT = {"ncbi": "NCBI", "publisher": "publisher or journal", "registry": "trial registry", "pedro": "PEDro",
               "other": "other website", "none": "no address"}


def where_read_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """The audit row of the methods' counts of where the documents were read
    (:func:`where_read_text`): each row of ``sources.csv`` by its id and row number,
    grouped by the kind of site its ``url`` is on (:func:`site_kind`), the groups added up, and how many rows
    give an ``accessed`` date; none for a review without the table."""
    rows = ctx.raw_tables.get("sources") or []
    if not rows:
        return []
    numbers = ctx.raw_row_numbers.get("sources") or ()
    groups: dict[str, list[str]] = {kind: [] for kind, _ in SITE_WORDS}
    # By id and row, not by host: a host is one long word, which widened the trail's
    # column of steps past its page.
    for i, row in enumerate(rows):
        groups[site_kind(row.get("url"))].append(
            f"{row.get('source_id')} (row {numbers[i] if i < len(numbers) else i + 2})")
    found = [(kind, xs) for kind, xs in groups.items() if xs]
    steps = [f"{_SITE_SHORT[kind]} ({len(xs)}): {', '.join(xs)}" for kind, xs in found]
    n = len(rows)
    total = " + ".join(str(len(xs)) for _, xs in found) + f" = {n} documents" if len(found) > 1 else f"{n} documents"
    dated = sum(1 for r in rows if str(r.get("accessed") or "").strip())
    first, last = (numbers[0], numbers[-1]) if len(numbers) == n else (2, n + 1)
    return [["", "documents by where they were read (count)", "", n, None,
             f"sources.csv rows {first} to {last}" if n > 1 else f"sources.csv row {first}",
             "sources.csv: url, accessed", f"{COUNT_ROWS} sources.csv by the host of their url",
             (f"{'; '.join(steps)}; {total}; accessed given in {dated} of the {n} rows; printed in the methods, "
              "under \u201cWhere the documents were read\u201d")]]


#: The tables whose rows hold results, each on an outcome (as :data:`metareview.plan.OUTCOME_TABLES`).
RESULT_TABLES = ("arm_outcomes", "contrasts", "statements")

#: Words of an outcome's code or label that name adverse events (harms).
HARMS = re.compile(r"adverse|harm|side[ _-]?effect|safety|complication|toxicit", re.IGNORECASE)


def _outcome_words(code: str) -> str:
    """An outcome code the config does not label, in words: "quality of life", and
    "other outcomes" for the raw tables' catch-all code ``other``."""
    return "other outcomes" if code == "other" else code.replace("_", " ")


def _harms_sought(ctx: ReportContext) -> list[str]:
    """The review's outcomes (config ``outcomes``) whose code or label names adverse events."""
    return [code for code, spec in (ctx.config.get("outcomes") or {}).items()
            if HARMS.search(code) or HARMS.search(str(spec.get("label") or ""))]


def _harm_codes(ctx: ReportContext) -> list[str]:
    """The raw tables' outcome codes that name adverse events, of those they take (none
    where they are not known)."""
    return [code for code in ctx.outcome_codes or [] if HARMS.search(code)]


def unsought_rows(ctx: ReportContext) -> dict[str, list[str]]:
    """Result rows on an outcome the review does not define, by outcome code (in the
    order first met), each as its raw reference (``contrasts.csv:S1#2``)."""
    configured = set(ctx.config.get("outcomes") or {})
    found: dict[str, list[str]] = {}
    for table in RESULT_TABLES:
        counters: dict[str, int] = {}
        for row in ctx.raw_tables.get(table) or []:
            sid = str(row.get("study_id"))
            counters[sid] = counters.get(sid, 0) + 1
            code = row.get("outcome")
            if code and code not in configured:
                found.setdefault(str(code), []).append(f"{table}.csv:{sid}#{counters[sid]}")
    return found


def outcomes_sought_text(ctx: ReportContext) -> str:
    """The methods' bullet on the outcomes the review sought (its config's ``outcomes``),
    that no other was sought, what was done with results on others a source gave anyway,
    and whether adverse events were sought: none of the review's outcomes names them,
    and the raw tables' outcome codes hold none for them, in the example."""
    outcomes = ctx.config.get("outcomes") or {}
    labels = [escape(in_sentence(str(spec.get("label") or code))) for code, spec in outcomes.items()]
    text = (f"- **Outcomes sought**: {join_list(labels)}, the review's "
            f"{'outcome' if len(labels) == 1 else 'outcomes'}; no other outcome was sought.")
    if not _harms_sought(ctx):
        codes = _harm_codes(ctx)
        if codes:
            text += (f" Adverse events (outcome code {join_list([f'`{c}`' for c in codes])}) are not among them, "
                     "and no analysis takes them in.")
        elif ctx.outcome_codes is not None:
            text += " Adverse events (harms) were not extracted: the raw tables have no outcome code for them."
        else:
            text += " Adverse events (harms) were not sought."
    other = unsought_rows(ctx)
    if other:
        counts = [f"{_outcome_words(code)}, {len(refs)} {'row' if len(refs) == 1 else 'rows'}"
                  for code, refs in other.items()]
        text += (f" Results on other outcomes were entered only where a source gave them beside these ("
                 f"{escape('; '.join(counts))}), and enter no analysis; the [appendix on every reported result]"
                 "(#sec-evidence) lists them.")
    return text


def _harms_status(ctx: ReportContext) -> str:
    """Whether the review took adverse events in, as the methods, the limitations and the
    summary say it: "sought" (one of its outcomes is for them), "not analysed" (the raw
    tables have a code for them, no outcome of the review's), "not extracted" (the raw
    tables have no code for them) or "not sought" (the raw tables' codes not known)."""
    if _harms_sought(ctx):
        return "sought"
    if _harm_codes(ctx):
        return "not analysed"
    return "not extracted" if ctx.outcome_codes is not None else "not sought"


def adverse_events_limitation(ctx: ReportContext) -> str:
    """The limitations' line on adverse events where the review did not seek them
    (:func:`outcomes_sought_text`), or "" where one of its outcomes is for them."""
    return {"sought": "",
            "not analysed": ("**Adverse events**: no outcome of the review's is for them, so no analysis takes them "
                             "in: the report says nothing of the treatments' harms."),
            "not extracted": ("**Adverse events**: not extracted (the raw tables have no outcome code for them), so "
                              "the report says nothing of the treatments' harms."),
            "not sought": "**Adverse events**: not sought, so the report says nothing of the treatments' harms.",
            }[_harms_status(ctx)]


def adverse_events_brief(ctx: ReportContext) -> str:
    """The summary's words on adverse events, as the limitations decide them
    (:func:`adverse_events_limitation`): "adverse events (harms) not extracted", "...
    not analysed" or "... not sought"; "" where one of the review's outcomes is for them.
    A reader who stops at the summary box must not take silence on harms for none."""
    status = _harms_status(ctx)
    return "" if status == "sought" else f"adverse events (harms) {status}"


def _row_name(ctx: ReportContext, ref: str) -> str:
    """A raw reference by file and spreadsheet row ("contrasts.csv row 64"), or as it is."""
    where = ctx.raw_rows.get(ref)
    return f"{where[0]} row {where[1]}" if where else ref


def unsought_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """The audit rows of the methods' counts of result rows on outcomes the review does
    not define (:func:`outcomes_sought_text`), one per outcome code: each row by file and
    row number, with its study."""
    out = []
    for code, refs in unsought_rows(ctx).items():
        names = [_row_name(ctx, ref) for ref in refs]
        studies = list(dict.fromkeys(ref.split(":", 1)[1].rsplit("#", 1)[0] for ref in refs))
        out.append(["", f"result rows on {_outcome_words(code)}, an outcome the review does not define (count)",
                    "; ".join(studies), len(refs), None, "; ".join(names),
                    "; ".join(f"{name}: outcome = {code}" for name in names),
                    f"{COUNT_ROWS} the result tables by outcome",
                    (f"{len(refs)} {'row' if len(refs) == 1 else 'rows'} with outcome = {code}, not under `outcomes` "
                     "in config/config.yaml; printed in the methods, under \u201cOutcomes sought\u201d")])
    return out
