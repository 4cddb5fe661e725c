"""The report's list of references: :func:`references_section`.

Two lists. The documents the evidence was read in: each row of ``sources.csv`` that a
row of another table cites (a study's, a result's, a statement's, a claim's or a
judgement's ``source_id``), with its full citation, its DOI, PMID or other identifier
as a link and the address it was read at. And the works the report's own text cites for
its methods (:data:`METHODS_REFERENCES`, a fixed list kept here), each listed only where
the report cites it.

Every text taken from ``sources.csv`` is untrusted: it is escaped
(:func:`metareview.markdown.escape`), and an address becomes a link only when it is an
``http`` or ``https`` one (:func:`web_address`), percent-encoded so that no character
of it can end the link.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from metareview.markdown import Markdown, escape, heading, plain
from metareview.report.base import ReportContext


@dataclass(frozen=True)
class MethodReference:
    """A work the report's own text cites for a method.

    Attributes
    ----------
    citation
        The full reference, plain text: authors, year, title, journal, volume, pages.
    doi
        Its DOI (``10.xxxx/...``), or None for a work without one.
    cited_as
        The author-year forms the report's text cites it by ("Sterne et al. 2011",
        "Luo 2018"): the first author's surname and the year are what
        :func:`author_year_citations` matches.
    named_as
        Names of a method the report gives without an author and year, which this work
        describes ("Hartung-Knapp-Sidik-Jonkman"): the report cites the work wherever it
        names the method.
    url
        Where to read it, for a work without a DOI (the Cochrane Handbook's online
        version).
    """

    citation: str
    doi: str | None
    cited_as: tuple[str, ...] = ()
    named_as: tuple[str, ...] = ()
    url: str | None = None


#: The works the report's text can cite for its methods, in the order of their first
#: authors' surnames and years, each with the in-text forms (and method names) that cite
#: it. A citation added to the report's text needs its entry here:
#: tests/unit/test_references.py fails on an author-year citation of the library's text
#: that no entry has.
METHODS_REFERENCES: tuple[MethodReference, ...] = (
    MethodReference(
        "Austin PC (2009). Balance diagnostics for comparing the distribution of baseline covariates between "
        "treatment groups in propensity-score matched samples. Statistics in Medicine 28(25):3083-3107.",
        "10.1002/sim.3697", ("Austin 2009",)),
    MethodReference(
        "Bucher HC, Guyatt GH, Griffith LE, Walter SD (1997). The results of direct and indirect treatment "
        "comparisons in meta-analysis of randomized controlled trials. Journal of Clinical Epidemiology "
        "50(6):683-691.",
        "10.1016/S0895-4356(97)00049-8", ("Bucher et al. 1997",), ("Bucher's method",)),
    MethodReference(
        "Cohen J (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd edition. Hillsdale, NJ: "
        "Lawrence Erlbaum Associates.",
        "10.4324/9780203771587", ("Cohen 1988",)),
    MethodReference(
        "Egger M, Davey Smith G, Schneider M, Minder C (1997). Bias in meta-analysis detected by a simple, "
        "graphical test. BMJ 315(7109):629-634.",
        "10.1136/bmj.315.7109.629", ("Egger et al. 1997",), ("Egger-type regression",)),
    MethodReference(
        "Fisher RA (1922). On the interpretation of χ² from contingency tables, and the calculation of P. "
        "Journal of the Royal Statistical Society 85(1):87-94.",
        "10.2307/2340521", ("Fisher 1922",), ("Fisher's exact test",)),
    MethodReference(
        "Guyatt GH, Oxman AD, Vist GE, Kunz R, Falck-Ytter Y, Alonso-Coello P, Schünemann HJ (2008). GRADE: an "
        "emerging consensus on rating quality of evidence and strength of recommendations. BMJ "
        "336(7650):924-926.",
        "10.1136/bmj.39489.470347.AD", ("Guyatt et al. 2008",)),
    MethodReference(
        "Guyatt GH, Oxman AD, Kunz R, Brozek J, Alonso-Coello P, Rind D, et al. (2011). GRADE guidelines 6. "
        "Rating the quality of evidence: imprecision. Journal of Clinical Epidemiology 64(12):1283-1293.",
        "10.1016/j.jclinepi.2011.01.012", ("Guyatt et al. 2011",)),
    MethodReference(
        "Hartung J, Knapp G (2001). A refined method for the meta-analysis of controlled clinical trials with "
        "binary outcome. Statistics in Medicine 20(24):3875-3889.",
        "10.1002/sim.1009", ("Hartung & Knapp 2001",), ("Hartung-Knapp",)),
    MethodReference(
        "Hedges LV (1981). Distribution theory for Glass's estimator of effect size and related estimators. "
        "Journal of Educational Statistics 6(2):107-128.",
        "10.3102/10769986006002107", ("Hedges 1981",), ("Hedges' g",)),
    MethodReference(
        "Higgins JPT, Thompson SG (2002). Quantifying heterogeneity in a meta-analysis. Statistics in Medicine "
        "21(11):1539-1558.",
        "10.1002/sim.1186", ("Higgins & Thompson 2002",), ("I²",)),
    MethodReference(
        "Higgins JPT, Thompson SG, Spiegelhalter DJ (2009). A re-evaluation of random-effects meta-analysis. "
        "Journal of the Royal Statistical Society: Series A 172(1):137-159.",
        "10.1111/j.1467-985X.2008.00552.x", ("Higgins et al. 2009",)),
    # The report cites its sections ("Cochrane Handbook 10.10.4"), not its editors and
    # year. Version 6.4 online has no DOI of its own: its address instead.
    MethodReference(
        "Higgins JPT, Thomas J, Chandler J, Cumpston M, Li T, Page MJ, Welch VA (editors) (2023). Cochrane "
        "Handbook for Systematic Reviews of Interventions, version 6.4 (updated August 2023). Cochrane.",
        None, ("Higgins et al. 2023",), ("Cochrane Handbook",), "https://training.cochrane.org/handbook/archive/v6.4"),
    MethodReference(
        "Knapp G, Hartung J (2003). Improved tests for a random effects meta-regression with a single covariate. "
        "Statistics in Medicine 22(17):2693-2710.",
        "10.1002/sim.1482", ("Knapp & Hartung 2003",)),
    MethodReference(
        "Luo D, Wan X, Liu J, Tong T (2018). Optimally estimating the sample mean from the sample size, median, "
        "mid-range, and/or mid-quartile range. Statistical Methods in Medical Research 27(6):1785-1805.",
        "10.1177/0962280216669183", ("Luo et al. 2018", "Luo 2018")),
    MethodReference(
        "Salanti G (2012). Indirect and mixed-treatment comparison, network, or multiple-treatments "
        "meta-analysis: many names, many benefits, many concerns for the next generation evidence synthesis "
        "tool. Research Synthesis Methods 3(2):80-97.",
        "10.1002/jrsm.1037", ("Salanti 2012",)),
    MethodReference(
        "Santesso N, Glenton C, Dahm P, Garner P, Akl EA, Alper B, et al. (2020). GRADE guidelines 26: "
        "informative statements to communicate the findings of systematic reviews of interventions. Journal of "
        "Clinical Epidemiology 119:126-135.",
        "10.1016/j.jclinepi.2019.10.014", ("Santesso et al. 2020",)),
    MethodReference(
        "Shi J, Luo D, Weng H, Zeng X-T, Lin L, Chu H, Tong T (2020). Optimally estimating the sample standard "
        "deviation from the five-number summary. Research Synthesis Methods 11(5):641-654.",
        "10.1002/jrsm.1429", ("Shi et al. 2020", "Shi 2020")),
    MethodReference(
        "Sidik K, Jonkman JN (2002). A simple confidence interval for meta-analysis. Statistics in Medicine "
        "21(21):3153-3159.",
        "10.1002/sim.1262", ("Sidik & Jonkman 2002",), ("Sidik-Jonkman",)),
    MethodReference(
        "Sterne JAC, Sutton AJ, Ioannidis JPA, Terrin N, Jones DR, Lau J, et al. (2011). Recommendations for "
        "examining and interpreting funnel plot asymmetry in meta-analyses of randomised controlled trials. BMJ "
        "343:d4002.",
        "10.1136/bmj.d4002", ("Sterne et al. 2011",)),
    MethodReference(
        "Sterne JAC, Savovi\u0107 J, Page MJ, Elbers RG, Blencowe NS, Boutron I, et al. (2019). RoB 2: a revised "
        "tool for assessing risk of bias in randomised trials. BMJ 366:l4898.",
        "10.1136/bmj.l4898", ("Sterne et al. 2019",)),
    MethodReference(
        "Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators in the random-effects "
        "model. Journal of Educational and Behavioral Statistics 30(3):261-293.",
        "10.3102/10769986030003261", ("Viechtbauer 2005",), ("restricted maximum likelihood",)),
    MethodReference(
        "Viechtbauer W (2007). Confidence intervals for the amount of heterogeneity in meta-analysis. "
        "Statistics in Medicine 26(1):37-52.",
        "10.1002/sim.2514", ("Viechtbauer 2007",), ("Q-profile",)),
    MethodReference(
        "Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. Journal of Statistical "
        "Software 36(3):1-48.",
        "10.18637/jss.v036.i03", ("Viechtbauer 2010",), ("metafor",)),
    MethodReference(
        "Walsh M, Srinathan SK, McAuley DF, Mrkobrada M, Levine O, Ribic C, et al. (2014). The statistical "
        "significance of randomized controlled trial results is frequently fragile: a case for a Fragility Index. "
        "Journal of Clinical Epidemiology 67(6):622-628.",
        "10.1016/j.jclinepi.2013.10.019", ("Walsh et al. 2014",)),
    MethodReference(
        "Wan X, Wang W, Liu J, Tong T (2014). Estimating the sample mean and standard deviation from the sample "
        "size, median, range and/or interquartile range. BMC Medical Research Methodology 14:135.",
        "10.1186/1471-2288-14-135", ("Wan et al. 2014", "Wan 2014")),
)

#: An author-year citation as the report's prose gives one: a surname (a capital, then
#: letters, hyphens or apostrophes), optionally "& Surname", "and Surname" or "et al.",
#: then the year, in brackets or after a comma or not: "Sterne et al. 2011", "Knapp &
#: Hartung 2003", "Brinkhaus et al. (2006)", "Kwon et al., 2007". Groups: the first
#: surname, the year.
AUTHOR_YEAR = re.compile(
    r"(?<![\w-])([A-Z][^\W\d_]*(?:[-'’][A-Z]?[^\W\d_]+)*)"
    r"(?:,? (?:&|and) [A-Z][^\W\d_]*(?:[-'’][A-Z]?[^\W\d_]+)*| et al\.)?,? \(?((?:19|20)\d\d)(?![\d])")


def _prose(text: str) -> str:
    """``text`` as it reads: no Markdown escapes or marks, no-break spaces as spaces."""
    return plain(text).replace("\u00a0", " ").replace("\u2019", "'")


def author_year_citations(text: str) -> list[tuple[str, str]]:
    """Each author-year citation of ``text`` (Markdown or plain) as (first surname,
    year), in the order they occur, repeats kept.

    >>> author_year_citations("(Knapp & Hartung 2003; Sterne et al.\\u00a02011)")
    [('Knapp', '2003'), ('Sterne', '2011')]
    """
    return [(m.group(1), m.group(2)) for m in AUTHOR_YEAR.finditer(_prose(text))]


def _keys(ref: MethodReference) -> set[tuple[str, str]]:
    return {key for form in ref.cited_as for key in author_year_citations(form)}


def _strings(value: Any) -> list[str]:
    """Every string a config's nested mappings and lists hold."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def data_text(ctx: ReportContext) -> list[str]:
    """Every cell of the raw tables, every study label and every string of the config
    (an MID's source, the evidence base): the text the report prints from the review's
    data, as opposed to its own."""
    cells = [str(v) for rows in ctx.raw_tables.values() for row in rows for v in row.values() if v is not None]
    return cells + [str(doc["study"]["label"]) for doc in ctx.normalised] + _strings(ctx.config)


#: The characters the report may print in place of one of a data string's: the
#: apostrophe and the minus it typesets (:func:`metareview.fmt.typeset`), the en dash of
#: a range, any blank.
_VARIANTS = {"'": "['\u2019]", "\u2019": "['\u2019]", "-": "[-\u2212\u2013]"}


def _as_printed(value: str) -> str:
    """A pattern matching ``value`` as the report's prose (:func:`_prose`) reads it."""
    return "".join("\\s+" if ch.isspace() else _VARIANTS.get(ch, re.escape(ch)) for ch in " ".join(value.split()))


def _without_data(prose: str, data: Iterable[str]) -> str:
    """``prose`` without the places where it prints a string of ``data`` that cites an
    author and year: a study's label ("Shi et al. (2020)"), a quote citing "Cohen 1988".

    One pass over the prose with every value as an alternative, the longest first, so
    that a label is taken whole before a shorter value within it: a pass per value read
    a review of a thousand analyses' prose some 150 times."""
    citing = sorted({" ".join(_prose(v).split()) for v in data if author_year_citations(v)}, key=len, reverse=True)
    if not citing:
        return prose
    return re.compile("|".join(f"(?:{_as_printed(v)})" for v in citing), re.IGNORECASE).sub(" | ", prose)


def methods_references(text: str, data: Iterable[str] = ()) -> list[MethodReference]:
    """The entries of :data:`METHODS_REFERENCES` that ``text`` cites, by author and year
    or by the name of the method, in the list's order.

    An author and year only ``data`` gives (the raw tables' text, :func:`data_text`) cite
    nothing: a trial by Shi et al. in 2020 is no citation of Shi et al. 2020, whose
    methods the report does not use. (A label written exactly as the report's own
    citation would hide that citation too.)
    """
    prose = _without_data(_prose(text), data)
    cited = set(author_year_citations(prose))
    return [ref for ref in METHODS_REFERENCES
            if _keys(ref) & cited or any(name in prose for name in ref.named_as)]


def uncited_in_list(text: str, data: Iterable[str] = ()) -> list[str]:
    """The author-year citations of ``text`` that neither have an entry in
    :data:`METHODS_REFERENCES` nor come from ``data`` (the raw tables' own text: a
    study's label, a quote), as "Surname year", sorted: what a citation added to the
    report's text without its entry leaves."""
    known = {key for ref in METHODS_REFERENCES for key in _keys(ref)}
    known |= {key for value in data for key in author_year_citations(value)}
    return sorted({f"{name} {year}" for name, year in author_year_citations(text) if (name, year) not in known})


def _fold(text: str) -> str:
    """A sort key that puts "Pérez" with "Perez" and "de la" with "De la": accents and
    letter case aside, by code point (no locale's collation), so the order is the same
    on every machine."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


#: The characters a link's address keeps as they are; any other is percent-encoded, so
#: that no bracket, space or quote of the data can end the link or its Markdown.
_URL_SAFE = "/:?#@!$&+,;=%-._~"


def web_address(url: Any) -> str | None:
    """``url`` as a link's address, or None when it is no ``http`` or ``https`` address
    with a host: a ``javascript:`` or ``file:`` one, a relative path, text.

    Characters other than letters, digits and ``/:?#@!$&+,;=-._~`` are percent-encoded
    (a ``%`` that starts no escape too), so the address is one Markdown token.

    >>> web_address("https://example.org/a b(1)")
    'https://example.org/a%20b%281%29'
    >>> web_address("javascript:alert(1)") is None
    True
    """
    text = str(url or "").strip()
    if not text or any(ch.isspace() and ch != " " or unicodedata.category(ch) == "Cc" for ch in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    # A host has no space: "https://exa mple.org/" is a typing error, not the host
    # "exa%20mple.org" the encoding below would make of it.
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in parts.netloc:
        return None
    encoded = quote(text, safe=_URL_SAFE)
    return re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", encoded)


#: Identifiers of ``doi_or_pmid`` with their address: DOI, PMID, PMCID, NCBI Bookshelf.
#: A DOI's final "." is the sentence's, not the DOI's (none registered ends in one).
_IDENTIFIERS = (
    (re.compile(r"(?i)^(?:doi:?\s*|https?://(?:www\.|dx\.)?doi\.org/)?(10\.\d{4,9}/\S*?[^\s.])\.?$"),
     lambda m: (f"doi:{m.group(1)}", "https://doi.org/" + quote(m.group(1), safe="/"))),
    (re.compile(r"(?i)^PMID:?\s*(\d{1,9})$"),
     lambda m: (f"PMID {m.group(1)}", f"https://pubmed.ncbi.nlm.nih.gov/{m.group(1)}/")),
    (re.compile(r"(?i)^(PMC\d{1,9})$"),
     lambda m: (m.group(1).upper(), f"https://pmc.ncbi.nlm.nih.gov/articles/{m.group(1).upper()}/")),
    (re.compile(r"^(NBK\d{1,9})$"),
     lambda m: (m.group(1), f"https://www.ncbi.nlm.nih.gov/books/{m.group(1)}/")),
)


#: Where one identifier of ``doi_or_pmid`` ends and the next begins: a ";" followed by a
#: space, or by an identifier's prefix. Not every ";": a SICI DOI, as older Wiley
#: journals' are, has one inside it ("10.1002/(SICI)1097-0258(...)3.0.CO;2-E").
_NEXT_IDENTIFIER = re.compile(r"(?i);(?:\s+|(?=doi\b|https?://|pmid|pmc\d|nbk\d|10\.\d))")


def identifier_links(value: Any) -> list[Markdown]:
    """``doi_or_pmid`` as Markdown, each identifier (separated by ``"; "``) a link where it
    is a DOI, a PMID, a PMCID or an NCBI Bookshelf id, else its text, escaped.

    >>> identifier_links("doi:10.1000/x(1); PMID 123; ECAM 2015")
    ['[doi:10.1000/x(1)](https://doi.org/10.1000/x%281%29)', '[PMID 123](https://pubmed.ncbi.nlm.nih.gov/123/)', 'ECAM 2015']
    """
    out = []
    for part in _NEXT_IDENTIFIER.split(str(value or "")):
        token = part.strip()
        if not token:
            continue
        for pattern, link in _IDENTIFIERS:
            m = pattern.match(token)
            if m:
                text, address = link(m)
                out.append(Markdown(f"[{escape(text, typographic=False)}]({address})"))
                break
        else:
            out.append(escape(token, typographic=False))
    return out


def address_link(url: Any) -> Markdown | None:
    """``url`` as a link whose text is the address as recorded (escaped), so that the
    printed PDF gives it in full; None when it is no web address (:func:`web_address`).

    Not an autolink (``<https://...>``): the report lets no bare ``<`` reach pandoc. The
    class ``uri`` is what pandoc gives an autolink, which the HTML's print style does not
    follow with its address a second time.

    >>> address_link("https://example.org/a_(b)")
    '[https://example.org/a\\\\_(b)](https://example.org/a_%28b%29){.uri}'
    """
    address = web_address(url)
    if address is None:
        return None
    return Markdown(f"[{escape(str(url).strip(), typographic=False)}]({address}){{.uri}}")


def _with_stop(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def cited_sources(ctx: ReportContext) -> list[tuple[Mapping[str, Any], int, list[str], bool]]:
    """Each row of ``sources.csv`` a row of another table cites, as (row, its spreadsheet
    row number, the labels of the studies whose rows cite it, whether claims cite it),
    sorted as :func:`references_section` lists them."""
    sources = ctx.raw_tables.get("sources", [])
    numbers = ctx.raw_row_numbers.get("sources") or ()
    labels = {str(s.get("study_id")): str(s.get("label") or s.get("study_id"))
              for s in ctx.raw_tables.get("studies", [])}
    labels.update({doc["study"]["study_id"]: doc["study"]["label"] for doc in ctx.normalised})
    studies: dict[str, set[str]] = {}
    claims: set[str] = set()
    # Every table but sources.csv, in name order: which rows cite a document does not
    # depend on the order the tables were read in.
    for table in sorted(t for t in ctx.raw_tables if t != "sources"):
        for row in ctx.raw_tables[table]:
            sid = row.get("source_id")
            if not sid:
                continue
            study = row.get("study_id")
            if study:
                studies.setdefault(str(sid), set()).add(labels.get(str(study), str(study)))
            elif table == "claims":
                claims.add(str(sid))
            else:
                studies.setdefault(str(sid), set())
    out = []
    for i, row in enumerate(sources):
        sid = str(row.get("source_id") or "")
        if sid not in studies and sid not in claims:
            continue
        names = sorted(studies.get(sid, ()), key=lambda x: (_fold(x), x))
        out.append((row, numbers[i] if i < len(numbers) else i + 2, names, sid in claims))

    # Under one name, the study's own document (its studies.csv source_id) before those
    # some of its rows were read in.
    own = {(str(s.get("source_id")), labels.get(str(s.get("study_id")), "")) for s in ctx.raw_tables.get("studies", [])}

    def key(entry: tuple[Mapping[str, Any], int, list[str], bool]) -> tuple[str, str, bool, str]:
        row, _, names, claimed = entry
        sid = str(row.get("source_id") or "")
        first = names[0] if names else _lead(names, claimed, sid)
        return (_fold(first), first, (sid, first) not in own, sid)

    return sorted(out, key=key)


def _lead(names: Sequence[str], claims: bool, source_id: str) -> str:
    """What a document's entry is listed under (plain text): the names of the studies
    read in it, then the claims where claims cite it; a document neither names, its id."""
    parts = [*names, *(["the claims checked against the data"] if claims else [])]
    if not parts:
        return source_id
    lead = "; ".join(parts)
    return lead[0].upper() + lead[1:] if not names else lead


def _source_entry(row: Mapping[str, Any], number: int, names: Sequence[str], claims: bool) -> str:
    lead = escape(_lead(names, claims, str(row.get("source_id") or "")))
    citation = str(row.get("citation") or "").strip()
    parts = [f"**{lead}**: " + (escape(_with_stop(citation)) if citation else "no citation recorded.")]
    ids = identifier_links(row.get("doi_or_pmid"))
    if ids:
        parts.append("; ".join(ids) + ".")
    url = str(row.get("url") or "").strip()
    if url:
        link = address_link(url)
        # An address of another scheme is printed, never linked.
        parts.append(f"Read at {link}." if link else
                     f"Recorded address, not a web address: {escape(url, typographic=False)}.")
    parts.append(f"({escape(str(row.get('source_id') or ''))}, sources.csv row {number})")
    return "- " + " ".join(parts)


def _method_entry(ref: MethodReference) -> str:
    parts: list[str] = [escape(ref.citation)]
    if ref.doi:
        parts.append(f"[{escape('doi:' + ref.doi, typographic=False)}](https://doi.org/{quote(ref.doi, safe='/')}).")
    if ref.url:
        parts.append(f"{address_link(ref.url)}.")
    return "- " + " ".join(parts)


def references_section(ctx: ReportContext, printed: str) -> Markdown:
    """The report's references: the documents its evidence was read in, then the works
    ``printed`` (the whole report's text) cites for its methods.

    The documents are sorted by the name the report gives the studies read in each (the
    first, where one document served several), letter case and accents aside, so that a
    reader who meets "Kerr et al. (2003)" finds its abstract under K whatever its
    citation begins with; the methods by their first authors and years.
    """
    sources = cited_sources(ctx)
    out = [heading("Documents the evidence was read in", 3, identifier="sec-references-sources").rstrip("\n"), ""]
    if sources:
        out += [("Each document a study, result, statement or claim of the raw tables was read in, with its full "
                 "citation as the review team recorded it, its DOI, PMID or other identifier, the address where it "
                 "was read, and its id and row in sources.csv, by which the audit trail names it. Each is listed "
                 "under the names the report gives the studies read in it, in alphabetical order of the first "
                 "(a study's own report before the other documents it was read in)."), ""]
        out += [_source_entry(*entry) for entry in sources]
    else:
        out.append("No row of the raw tables cites a document of sources.csv.")
    listed = {str(row.get("source_id")) for row, *_ in sources}
    uncited = [str(r.get("source_id")) for r in ctx.raw_tables.get("sources", [])
               if r.get("source_id") and str(r.get("source_id")) not in listed]
    if uncited:
        out += ["", (f"Not listed: {escape(', '.join(uncited))}, which no row cites (see the consistency "
                     "warnings).")]
    methods = methods_references(printed, data_text(ctx))
    out += ["", heading("Methods", 3, identifier="sec-references-methods").rstrip("\n"), ""]
    if methods:
        out += ["The works the report cites for its methods, by their first authors.", ""]
        out += [_method_entry(ref) for ref in methods]
    else:
        out.append("The report cites no work for its methods.")
    return Markdown("\n".join(out) + "\n")
