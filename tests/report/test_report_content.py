"""What the built report says: the same facts in the HTML and in the PDF.

Uses the session's shared cold build of a scratch copy (tests/workflow/conftest.py) and
reads the results it wrote (``results/analyses``, ``results/indirect``,
``results/claims``), so the expectations follow the data as it grows. Numbers are
expected exactly as :mod:`metareview.report` prints them (two decimals, U+2212 minus).

A second build on a copy of the built tree adds what the seed data lacks: a study label
written to break HTML, Typst and Markdown (set on one of the seed post's studies), and
two small made-up trials so that at least one analysis is pooled, with a negative
estimate.
"""

from __future__ import annotations

import csv
import html as html_module
import importlib.util
import itertools
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from metareview.fmt import in_brackets
from metareview.provenance import renderer_description
from metareview.render import front_matter
from metareview.report import ci_text, f2

pypdf = pytest.importorskip("pypdf")


def _support():
    """tests/workflow/conftest.py as a module of its own: its helpers and shared build."""
    name = "metareview_workflow_support"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).parents[1] / "workflow" / "conftest.py"
        )
        sys.modules[name] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[name]


wf = _support()
# The session's shared cold build (built once, whichever test directory asks first).
built_repo = wf.built_repo

pytestmark = pytest.mark.slow

# The blog post the example review started from (sources.csv).
SEED_SOURCE = "seed_post"
SEED_POST_STUDIES = [
    "Chen et al. (2022)",
    "Liu & Park (2021)",
    "Cochrane review cited by the blog post (2023, unidentified)",
    "ASPMR Guideline cited by the blog post (2024, unidentified)",
]
HOSTILE_LABEL = "<script>alert(1)</script> #set page(width: 1cm) $x$ @fig-x"


def flat(text: str) -> str:
    """Whitespace folded to single spaces; str.split() also splits on no-break spaces."""
    return " ".join(text.split())


def loose(text: str) -> str:
    """Text with no whitespace and no hyphens, for matching PDF text.

    Typst hyphenates words at line ends in table cells ("check- able" in the extracted
    text), and a line may break after a hyphen a word already had ("real- world"):
    dropping hyphens and spaces on both sides matches either way. U+2212, the minus sign
    of the report's numbers, is kept.
    """
    return re.sub(r"[\s\-\u00ad]+", "", text)


class _Page(HTMLParser):
    """Visible text of an HTML page, its script elements and its resource references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.scripts: list[str] = []
        self.resources: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and (name == "src" or (tag == "link" and name == "href")):
                self.resources.append((tag, name, value))
        if tag in ("script", "style"):
            self._in = tag
            if tag == "script":
                self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in is None:
            self.parts.append(data)


def _table_headers(qmd: str) -> list[str]:
    """The header row of each pipe table in the report's source, as text ("Claim Verdict
    Why"), longest first; markup characters and escapes dropped."""
    lines = qmd.splitlines()
    out = set()
    for line, below in itertools.pairwise(lines):
        if line.startswith("|") and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", below.strip()):
            cells = [re.sub(r"\\(.)", r"\1", c).replace("*", "").strip() for c in line.strip("|").split("|")]
            out.add(flat(" ".join(cells)))
    return sorted(out, key=len, reverse=True)


# The page number at the foot of each page ("2 / 66"), last in its extracted text.
_FOOTER = re.compile(r"\s*\d+ / \d+$")


class Report:
    """The two rendered outputs of one build, as text."""

    def __init__(self, root: Path) -> None:
        out = root / "build" / "report"
        self.root = root
        self.html_source = (out / "report.html").read_text(encoding="utf-8")
        page = _Page()
        page.feed(self.html_source)
        page.close()
        self.html = flat(" ".join(page.parts))
        self.scripts = page.scripts
        self.resources = page.resources
        reader = pypdf.PdfReader(out / "report.pdf")
        self.pdf_pages = [flat(p.extract_text() or "") for p in reader.pages]
        # The running text without the page furniture: a sentence that goes on over a
        # page break is one sentence, not "... Dry 2 / 66 <title> needling ...".
        qmd = root / "results" / "report" / "report.qmd"
        title = flat(front_matter(qmd)["title"])
        # A table that goes on over a page break repeats its header row there, inside the
        # row that was split: the headers of the report's tables, as Typst sets them.
        headers = _table_headers(qmd.read_text(encoding="utf-8"))

        def body(i: int, page: str) -> str:
            page = _FOOTER.sub("", page if i == 0 else page.removeprefix(title)).lstrip()
            repeated = next((h for h in headers if page.startswith(h + " ")), None)
            return page.removeprefix(repeated) if repeated else page

        bodies = [body(i, page) for i, page in enumerate(self.pdf_pages)]
        self.pdf_pages_loose = [loose(b) for b in bodies]
        self.pdf = flat(" ".join(bodies))
        self.pdf_loose = loose(self.pdf)
        self.page_sizes = [tuple(round(float(v), 2) for v in p.mediabox) for p in reader.pages]

    def _split_over_pages(self, needle: str) -> bool:
        """Whether a table cell's text goes on over a page break: its start ends one page's
        text of that cell, its end starts the next page's. The text extracted from a
        table row is cell by cell, so the other cells of the row come between."""
        for page, following in itertools.pairwise(self.pdf_pages_loose):
            for k in range(1, len(needle)):
                if needle[k:] in following[: len(needle)] and needle[:k] in page:
                    return True
        return False

    def missing(self, needles: list[str]) -> list[str]:
        """Needles absent from either output, each tagged with where it is missing."""
        out = []
        for needle in dict.fromkeys(flat(n) for n in needles):
            where = [
                name
                for name, found in (
                    ("html", needle in self.html),
                    ("pdf", loose(needle) in self.pdf_loose or self._split_over_pages(loose(needle))),
                )
                if not found
            ]
            if where:
                out.append(f"{'+'.join(where)}: {needle!r}")
        return out

    def results(self, stage: str) -> list[dict]:
        folder = self.root / "results" / stage
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def number_needles(analyses: list[dict]) -> tuple[list[str], list[str]]:
    """What the report must print for every study effect and pooled estimate."""
    studies, pooled = [], []
    for r in analyses:
        # Ratio measures are pooled on the log scale and printed exponentiated.
        for s in r["studies"]:
            studies += [s["label"], f2(s.get("yi_exp", s["yi"])),
                        ci_text(s.get("ci_lb_exp", s["ci_lb"]), s.get("ci_ub_exp", s["ci_ub"]))]
        p = r["pooled"]
        if r["status"] == "pooled":
            pooled.append(
                f"{f2(p.get('estimate_exp', p['estimate']))} ({p['level']:g}% CI "
                f"{ci_text(p.get('ci_lb_exp', p['ci_lb']), p.get('ci_ub_exp', p['ci_ub']))}"
            )
    return studies, pooled


# A summed count's addend as the audit trail quotes its raw cell: "arm_outcomes.csv row
# 18: n = 158", or a count derived from the cell, "contrasts.csv row 3: n_total = 124
# (half: 62)".
_ADDEND = re.compile(r"(?P<file>[a-z_]+\.csv) row (?P<row>\d+): (?P<column>\w+) = (?P<cell>[^;(]+?)"
                     r"(?: \((?:half|events): (?P<value>[\d.]+)\))?(?:; |$)")


def printed_sums(root: Path) -> list[tuple[str, str, float]]:
    """(analysis id or "", quantity, count) of each count the built report prints as a sum
    of arm sizes or events: a pooled forest plot's totals ("182 / 185", "22/110 vs 13/85"
    on its pooled row) and the GRADE table's participants beside k ("k = 2; 367 participants")."""
    out: list[tuple[str, str, float]] = []
    for svg in sorted((root / "results" / "report" / "figures").glob("*.forest.svg")):
        aid = svg.name.removesuffix(".forest.svg")
        texts = re.findall(r'<text [^>]*\sy="([^"]+)"[^>]*class="(label|n)">([^<]*)</text>',
                           svg.read_text(encoding="utf-8"))
        model = {y for y, kind, t in texts if kind == "label" and t.startswith(("Random-effects", "Common-effect"))}
        for y, kind, t in texts:
            if kind != "n" or y not in model:
                continue
            if m := re.fullmatch(r"(\d+) / (\d+)", t):
                out += [(aid, "participants, intervention arms (sum)", float(m[1])),
                        (aid, "participants, comparator arms (sum)", float(m[2]))]
            elif m := re.fullmatch(r"(\d+)/(\d+) vs (\d+)/(\d+)", t):
                out += [(aid, "events, intervention arms (sum)", float(m[1])),
                        (aid, "participants, intervention arms (sum)", float(m[2])),
                        (aid, "events, comparator arms (sum)", float(m[3])),
                        (aid, "participants, comparator arms (sum)", float(m[4]))]
            else:
                raise AssertionError(f"{svg.name}: pooled row's counts {t!r} not in a form this test reads")
    qmd = (root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    out += [("", "participants (sum)", float(n.replace(",", "")))
            for n in re.findall(r"k = \d+; ([\d,]+) participants", qmd)]
    # Published meta-analyses', where published reviews are weighed against the trials here ("the 2
    # trials pooled here (367 participants)").
    out += [("", "participants (sum)", float(n.replace(",", "")))
            for n in re.findall(r"(?:trial used|trials pooled) here \(([\d,]+) participants\)", " ".join(qmd.split()))]
    # Beside a trial against a treatment no node includes ("Itoh et al. (2004) compared ...
    # with acupuncture on ..., in 27 participants analysed"): its arms' sizes added.
    out += [("", "participants of a trial against a treatment no node includes (sum)", float(n))
            for n in re.findall(r"(?:\(|\bin )(\d+) participants? (?:analysed|randomised)\b", " ".join(qmd.split()))]
    return out


def untraced_sums(root: Path) -> list[str]:
    """Each printed sum (:func:`printed_sums`) without an audit row whose addends, read
    back from the raw files' cells it names, add up to it."""
    config = wf.load_config(root)
    audit = wf.read_rows(root / "results" / "report" / "audit.csv")
    raw: dict[str, list[list[str]]] = {}
    problems = []
    for aid, quantity, count in printed_sums(root):
        rows = [r for r in audit if r["quantity"] == quantity and (not aid or r["analysis"] == aid)
                and float(r["value"]) == count]
        if not rows:
            problems.append(f"{aid} {quantity} {count:g}: no audit row")
            continue
        row = rows[0]
        addends = list(_ADDEND.finditer(row["raw_cells"]))
        if not addends or "".join(m[0] for m in addends) != row["raw_cells"]:
            problems.append(f"{aid} {quantity}: raw cells not read as addends: {row['raw_cells']!r}")
            continue
        total = 0.0
        for m in addends:
            if m["file"] not in raw:
                with (root / config["raw_dir"] / m["file"]).open(encoding="utf-8", newline="") as fh:
                    raw[m["file"]] = list(csv.reader(fh))
            header, records = raw[m["file"]][0], raw[m["file"]]
            cell = records[int(m["row"]) - 1][header.index(m["column"])]
            if cell.strip() != m["cell"]:
                problems.append(f"{aid} {quantity}: {m[0]!r}, but the file's cell is {cell!r}")
            total += float(m["value"] or m["cell"])
        if total != count:
            problems.append(f"{aid} {quantity}: the addends add up to {total:g}, not {count:g}")
    return problems


# A count of trials's raw rows as the audit trail names them: "arm_outcomes.csv rows 26
# and 27; contrasts.csv row 18: study_id = Kong2020".
_COUNTED = re.compile(r"(?P<rows>(?:[a-z_]+\.csv rows? [\d, and]+?(?:; )?)+): study_id = (?P<study>[^;]+)(?:; |$)")


def printed_trial_counts(root: Path) -> list[tuple[str, str, int, int | None]]:
    """(analysis id or "", the start of its quantity, count, studies its row names) of each
    count of trials or reviews the built report prints: a section's "candidate trials: 5;
    used: 1" and, in Published meta-analyses, "these data have 11 trials of this
    comparison", "4 trials set aside (see [Trials that could not be used](#sec-excluded))" (or "set aside from at
    least one outcome (see ...") and a tally of published reviews
    ("Against sham, ...: 6 of 6", whose row names all 6 reviews tallied) and the reviews not
    counted ("3 reviews known only from a secondary source"). A count of none ("candidate
    trials: 0") names no row, and has none."""
    qmd = " ".join((root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").split())
    # A section names its analysis by its heading, whose anchor is its id's.
    ids = {a["id"].replace("_", "-"): a["id"] for a in wf.load_config(root)["analyses"]}
    out = [(ids[anchor], "candidate trials (count)", int(n), int(n))
           for anchor, n in re.findall(r"\{#sec-([\w-]+)\} ::: \{\.keep-with-next\} Measure: [^{]*?; candidate trials: "
                                       r"(\d+);", qmd) if int(n)]
    out += [("", "trials of this comparison in these data (count)", int(n), int(n))
            for n in re.findall(r"(?:more than the|these data have) (\d+) trials of this comparison", qmd)]
    out += [("", "trials set aside (count)", int(n), int(n))
            for n in re.findall(r"(\d+) trials? set aside (?:from at least one outcome )?\(see \[Trials that could not "
                                r"be used\]", qmd)]
    summary = qmd.split("{#sec-summary}", 1)[1].split("{#sec-question}", 1)[0]
    # Each comparator's reviews, a line under its point: "- Against sham, ...: - ... -
    # [Published meta-analyses](#sec-external) (...): 5 reviews with confidence intervals",
    # never reaching into the next comparator's point. No count of reviews by side.
    out += [("", f"reviews with confidence intervals against {comp}, sizes given", int(n), int(n))
            for comp, n in re.findall(r"- Against ([^:]+?)(?: \(participants[^)]*\))?: (?:(?!- Against ).)*?"
                                      r"- \[Published meta-analyses\]\(#sec-external\)(?: \([^)]*\))?: "
                                      r"(\d+) reviews with confidence intervals", summary)]
    # Where reviews and the trials here differ: "On pain intensity, short term, 5 reviews
    # with confidence intervals, which share trials: ...", all the reviews set beside the
    # trials, their sizes given.
    out += [("", "reviews set beside the trials here, with confidence intervals (count)", int(n), int(n))
            for n in re.findall(r"(?:- |\. )On [^;:]*?, (\d+) reviews? with (?:a )?confidence intervals?", summary)]
    # The reviews and results not counted, under the summary's tallies and in each
    # analysis's line of the results ("3 reviews of a broader population than this
    # review's: ..."): a count of results read elsewhere may name fewer reviews.
    # Read as words: the report keeps a count with its noun on one line ("3\u00a0reviews").
    raw = (root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    lines = (raw.split("{#sec-summary}", 1)[1].split("{#sec-question}", 1)[0]
             + raw.split("{#sec-results}", 1)[1].split("\n### ", 1)[0])
    out += [("", f"{unit}s not counted, {why} (count)", int(n), None if unit == "result" else int(n))
            for n, unit, why in re.findall(r"^\s*- (\d+) (review|result)s? ([^:]+): ", lines, flags=re.MULTILINE)]
    # Each analysis's line of the results: the reviews counted ("[Published
    # meta-analyses](#sec-external): 5 reviews, which share trials; ..."), those reporting
    # it only outside its window, and (there and in the summary's tallies) how many give
    # an SMD, a risk ratio or an odds ratio ("the SMDs of 4 of them range from ...").
    flat = " ".join(lines.split())
    out += [("", "reviews counted (count)", int(n), int(n))
            for n in re.findall(r"\[Published meta-analyses\]\(#sec-external\): (\d+) reviews?[,.;]", flat)]
    out += [("", "reviews reporting it only outside the window (count)", int(n), int(n))
            for n in re.findall(r"(\d+) (?:more reports?|reviews? reports?) it (?:only )?at timepoints outside", flat)]
    out += [("", f"reviews giving {plural}, and their range (count)", int(n), int(n))
            for plural, n in re.findall(r"the (SMDs|risk ratios|odds ratios) of (\d+) of (?:them|the \d+) range", flat)]
    out += [("", f"reviews giving {plural}, and their range (count)", int(n), int(n))
            for n, plural in re.findall(r"(\d+) of (?:them|the \d+) each give an? (SMD|RR|OR) of", flat)
            for plural in [{"SMD": "SMDs", "RR": "risk ratios", "OR": "odds ratios"}[plural]]]
    return out


def printed_ranges(root: Path) -> list[tuple[str, str, str]]:
    """(measure's plural, lowest, highest) of each range of published results the summary's
    tallies and the analyses' lines of the results print ("their SMDs range from −1.07 to
    −0.47", "the SMDs of 4 of them range from −0.54 to −0.33")."""
    raw = (root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    lines = " ".join((raw.split("{#sec-summary}", 1)[1].split("{#sec-question}", 1)[0]
                      + raw.split("{#sec-results}", 1)[1].split("\n### ", 1)[0]).split())
    return re.findall(r"(SMDs|risk ratios|odds ratios)(?: of \d+ of (?:them|the \d+))? range from ([\u2212-]?[\d.]*\d) to ([\u2212-]?[\d.]*\d)", lines)


def untraced_ranges(root: Path) -> list[str]:
    """Each printed range (:func:`printed_ranges`) without a count row of the reviews giving
    the measure that names its two ends, each with the review and the raw row whose
    ``study_id`` is that review's."""
    config = wf.load_config(root)
    audit = wf.read_rows(root / "results" / "report" / "audit.csv")
    with (root / config["raw_dir"] / "contrasts.csv").open(encoding="utf-8", newline="") as fh:
        contrasts = list(csv.reader(fh))
    problems = []
    for plural, low, high in printed_ranges(root):
        ends = re.compile(rf"{plural} range from {re.escape(low)} \((\w+), contrasts\.csv row (\d+)\) to "
                          rf"{re.escape(high)} \((\w+), contrasts\.csv row (\d+)\)")
        found = [m for r in audit if r["quantity"] == f"reviews giving {plural}, and their range (count)"
                 and (m := ends.search(r["steps"]))]
        if not found:
            problems.append(f"{plural} from {low} to {high}: no audit row names its ends")
            continue
        for study, row in (found[0].group(1, 2), found[0].group(3, 4)):
            cell = contrasts[int(row) - 1][contrasts[0].index("study_id")]
            if cell != study:
                problems.append(f"{plural} from {low} to {high}: contrasts.csv row {row} is {cell!r}'s, not {study!r}'s")
    return problems


# A claim counted as the audit trail names it: "claims.csv row 2: claim_id = sleep_63pct".
_CLAIM = re.compile(r"claims\.csv row (?P<row>\d+): claim_id = (?P<claim>[^;]+)(?:; |$)")


def untraced_claim_counts(root: Path) -> list[str]:
    """Each count of claims the summary prints under a source's claims ("- 6 not checkable
    from the data:") without an audit row naming as many claims, each by a row of
    claims.csv whose ``claim_id`` it is."""
    config = wf.load_config(root)
    audit = wf.read_rows(root / "results" / "report" / "audit.csv")
    with (root / config["raw_dir"] / "claims.csv").open(encoding="utf-8", newline="") as fh:
        claims = list(csv.reader(fh))
    qmd = (root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    summary = qmd.split("{#sec-summary}", 1)[1].split("{#sec-question}", 1)[0]
    printed = re.findall(r"^- (\d+) (supported|not supported|not checkable from the data):", summary, flags=re.MULTILINE)
    problems = [] if printed else ["no count of claims in the summary: nothing to check"]
    for n, verdict in printed:
        rows = [r for r in audit if r["quantity"].endswith(f", {verdict} (count)") and r["quantity"].startswith("claims of")
                and int(r["value"]) == int(n)]
        if not rows:
            problems.append(f"{n} {verdict}: no audit row")
            continue
        named = list(_CLAIM.finditer(rows[0]["raw_cells"]))
        if "".join(m[0] for m in named) != rows[0]["raw_cells"] or len(named) != int(n):
            problems.append(f"{n} {verdict}: raw cells do not name {n} claims: {rows[0]['raw_cells']!r}")
        for m in named:
            cell = claims[int(m["row"]) - 1][claims[0].index("claim_id")]
            if cell != m["claim"]:
                problems.append(f"{n} {verdict}: claims.csv row {m['row']} is {cell!r}, not {m['claim']!r}")
    return problems


def untraced_trial_counts(root: Path) -> list[str]:
    """Each printed count of trials (:func:`printed_trial_counts`) without an audit row
    whose raw rows, read back from the raw files, are each its study's, and whose studies
    are as many as the count."""
    config = wf.load_config(root)
    audit = wf.read_rows(root / "results" / "report" / "audit.csv")
    raw: dict[str, list[list[str]]] = {}
    problems = []
    for aid, quantity, count, named in printed_trial_counts(root):
        rows = [r for r in audit if r["quantity"].startswith(quantity) and (not aid or r["analysis"] == aid)
                and int(r["value"]) == count]
        if not rows:
            problems.append(f"{aid} {quantity} {count}: no audit row")
            continue
        row = rows[0]
        counted = list(_COUNTED.finditer(row["raw_cells"]))
        if not counted or "".join(m[0] for m in counted) != row["raw_cells"]:
            problems.append(f"{aid} {quantity}: raw cells not read as counted rows: {row['raw_cells']!r}")
            continue
        for m in counted:
            for part in m["rows"].split("; "):
                file, numbers = re.fullmatch(r"([a-z_]+\.csv) rows? (.+)", part).groups()
                if file not in raw:
                    with (root / config["raw_dir"] / file).open(encoding="utf-8", newline="") as fh:
                        raw[file] = list(csv.reader(fh))
                header = raw[file][0]
                for n in re.findall(r"\d+", numbers):
                    cell = raw[file][int(n) - 1][header.index("study_id")]
                    if cell != m["study"]:
                        problems.append(f"{aid} {quantity}: {file} row {n} is {cell!r}'s, not {m['study']!r}'s")
        if named is not None and len({m["study"] for m in counted}) != named:
            problems.append(f"{aid} {quantity}: {len(counted)} studies named, not {named}")
    return problems


def _raw_csv(root: Path, file: str, cache: dict[str, list[list[str]]]) -> list[list[str]]:
    """A raw file's rows as read (header first), read once per check."""
    if file not in cache:
        config = wf.load_config(root)
        with (root / config["raw_dir"] / file).open(encoding="utf-8", newline="") as fh:
            cache[file] = list(csv.reader(fh))
    return cache[file]


def _counted_rows(root: Path, row: dict[str, str], cache: dict[str, list[list[str]]]) -> tuple[dict[str, list[dict[str, str]]], list[str]]:
    """The raw rows an audit count row names (``raw_cells``: "contrasts.csv rows 81 and 82:
    study_id = Manheimer2005; ..."), read back from the raw files: each study's rows as
    dicts of their cells, and the problems found (a cell not read as counted rows, a row
    not its study's)."""
    counted = list(_COUNTED.finditer(row["raw_cells"]))
    if not counted or "".join(m[0] for m in counted) != row["raw_cells"]:
        return {}, [f"{row['quantity']}: raw cells not read as counted rows: {row['raw_cells']!r}"]
    out: dict[str, list[dict[str, str]]] = {}
    problems = []
    for m in counted:
        for part in m["rows"].split("; "):
            file, numbers = re.fullmatch(r"([a-z_]+\.csv) rows? (.+)", part).groups()
            records = _raw_csv(root, file, cache)
            for n in re.findall(r"\d+", numbers):
                cells = dict(zip(records[0], records[int(n) - 1], strict=False))
                if cells.get("study_id") != m["study"]:
                    problems.append(f"{row['quantity']}: {file} row {n} is {cells.get('study_id')!r}'s, not {m['study']!r}'s")
                out.setdefault(m["study"], []).append({**cells, "_file": file})
    return out, problems


def _group_counts(steps: str) -> dict[str, int]:
    """The groups an audit count row's steps give, with their counts: "not counted (3): ..."."""
    return {what: int(n) for what, n in re.findall(r"(?:^|; )([^;:]+?) \((\d+)\): ", steps)}


def untraced_claim_review_counts(root: Path) -> list[str]:
    """Each count of published reviews the claims table prints ("of 7 reviews that give a
    confidence interval, 6 have every one wholly on acupuncture's side", "not counted: 3
    more reviews with an interval") without an audit row that names as many reviews, each
    by rows of the published meta-analyses' file (contrasts.csv) that are its own and give
    an interval, the reviews on the treatment's side as many as printed."""
    qmd = (root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    # The claims table: its header row to its caption.
    end = qmd.index("{#tbl-claims}")
    claims = " ".join(qmd[qmd.rindex("| Claim", 0, end):end].split())
    audit = wf.read_rows(root / "results" / "report" / "audit.csv")
    cache: dict[str, list[list[str]]] = {}
    printed = [(int(n), int(k), label) for n, k, label in re.findall(
        r"of (\d+) reviews? that gives? a confidence interval, (\d+) ha(?:s|ve) every one wholly on (.+?)\u2019s side", claims)]
    apart = [int(more or none) for more, none in re.findall(
        r"(?:not counted: (\d+) more|none counted \(see the published meta-analyses; (\d+)) reviews? with an interval",
        claims)]
    problems = [] if printed and apart else ["no count of published reviews in the claims table: nothing to check"]
    for n, k, label in printed:
        rows = [r for r in audit if r["quantity"].startswith("reviews counted for claim ")
                and r["quantity"].endswith(f"every interval on {label}\u2019s side (count)") and int(r["value"]) == k
                and f"\u201cof {n} review" in r["steps"] and f"{k} of the {n} review" in r["steps"]]
        if not rows:
            problems.append(f"of {n}, {k} on {label}'s side: no audit row")
            continue
        studies, found = _counted_rows(root, rows[0], cache)
        problems += found
        if len(studies) != n:
            problems.append(f"of {n}, {k} on {label}'s side: {len(studies)} reviews named")
        if _group_counts(rows[0]["steps"]).get(f"every interval wholly on {label}\u2019s side", 0) != k:
            problems.append(f"of {n}, {k} on {label}'s side: the steps count {rows[0]['steps']!r}")
        problems += [f"{sid}: a row counted without an interval" for sid, cells in studies.items() for c in cells
                     if c["_file"] != "contrasts.csv" or not c.get("ci_lb") or not c.get("ci_ub")]
        problems += _off_outcome(root, rows[0], studies, cache)
    for n in apart:
        rows = [r for r in audit if r["quantity"].startswith("reviews not counted for claim ") and int(r["value"]) == n]
        if not rows:
            problems.append(f"{n} reviews not counted: no audit row")
            continue
        studies, found = _counted_rows(root, rows[0], cache)
        problems += found
        if len(studies) != n or _group_counts(rows[0]["steps"]).get("not counted") != n:
            problems.append(f"{n} reviews not counted: {len(studies)} named: {rows[0]['steps']!r}")
        problems += _off_outcome(root, rows[0], studies, cache)
    return problems


def _off_outcome(root: Path, row: dict[str, str], studies: dict[str, list[dict[str, str]]],
                 cache: dict[str, list[list[str]]]) -> list[str]:
    """The rows a claim's count names that are not on the claim's outcome (claims.csv's
    ``outcome``, unless "other"): a review's result on another outcome is none of the count."""
    claim = re.match(r"reviews (?:not )?counted for claim (\S+) ", row["quantity"])[1]
    records = _raw_csv(root, "claims.csv", cache)
    outcome = next(dict(zip(records[0], r, strict=False))["outcome"] for r in records[1:]
                   if r and r[records[0].index("claim_id")] == claim)
    if outcome == "other":
        return []
    return [f"claim {claim}: {sid}'s row is on {c['outcome']}, not {outcome}" for sid, cells in studies.items()
            for c in cells if c.get("outcome") != outcome]


#: The limitations' words for each pooling status, as the results files record it.
_POOLING = {"pool": "pooled", "rest": "single_study", "hold": "not_poolable", "have no usable": "no_studies",
            "has no usable": "no_studies"}


def _config_entries(root: Path, row: dict[str, str], key: str) -> tuple[list[str], list[str]]:
    """The entries of the config an audit count row names ("config/config.yaml:
    analyses[0].id = acupuncture_vs_sham_pain; ..."), each read back from the config, and
    the problems found."""
    config = wf.load_config(root)
    named = re.findall(rf"config/config\.yaml: {key}\[(\d+)\]\.id = (\w+)(?:; |$)", row["raw_cells"])
    problems = [] if named and "; ".join(f"config/config.yaml: {key}[{i}].id = {x}" for i, x in named) == row["raw_cells"] \
        else [f"{row['quantity']}: raw cells not read as config entries: {row['raw_cells']!r}"]
    for i, x in named:
        entries = config.get(key) or []
        if int(i) >= len(entries) or entries[int(i)]["id"] != x:
            problems.append(f"{row['quantity']}: {key}[{i}] is not {x!r}")
    return [x for _, x in named], problems


def untraced_limitation_counts(root: Path) -> list[str]:
    """Each count and list of studies the limitations print without an audit row that
    gives it: the analyses by pooling ("of 17 analyses, 1 pools trials, ...") and the
    indirect comparisons by the reason printed, each entry read back from the config and
    its status from its results file, recounted; the GRADE ratings ("rated for 0 of 9 analyses with an effect");
    and each list of studies ("Study effects known only from a secondary source: ...",
    the published reviews of another population), its studies' rows read back from the
    raw files, their labels those printed, and the property read from the rows that
    carry it where a cell holds it."""
    # Read as words: the report keeps a count with its noun on one line ("17\u00a0analyses").
    raw = (root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    lines = [line for line in raw.splitlines() if line.startswith("- **")]
    limitations = raw.split("{#sec-limitations}", 1)[-1].split("\n## ", 1)[0].splitlines()
    audit = {r["quantity"]: r for r in wf.read_rows(root / "results" / "report" / "audit.csv")}
    cache: dict[str, list[list[str]]] = {}
    problems = []
    pooling = next((m for line in lines if (m := re.fullmatch(r"- \*\*Pooling\*\*: of (\d+) analyses, (.+?)\..*", line))),
                   None)
    if pooling is None:
        problems.append("no pooling line in the limitations: nothing to check")
    else:
        row = audit.get("analyses by pooling (count)")
        if row is None or int(row["value"]) != int(pooling[1]) or pooling[2] not in row["steps"]:
            problems.append(f"of {pooling[1]} analyses: no audit row")
        else:
            ids, found = _config_entries(root, row, "analyses")
            problems += found
            statuses = Counter(json.loads((root / "results" / "analyses" / f"{x}.json").read_text(encoding="utf-8"))["status"]
                               for x in ids)
            said = Counter({next(v for k, v in _POOLING.items() if what.startswith(k)): int(n)
                            for n, what in re.findall(r"(\d+) ([a-z ]+)", pooling[2])})
            if len(ids) != int(pooling[1]) or statuses != said:
                problems.append(f"of {pooling[1]} analyses: the config's entries recount as {dict(statuses)}")
    for line in lines:
        if m := re.search(r"rated for (\d+) of (\d+) analyses", line):
            row = audit.get("analyses rated for certainty (GRADE) (count)")
            if row is None or int(row["value"]) != int(m[1]):
                problems.append(f"rated for {m[1]} of {m[2]}: no audit row")
                continue
            ids, found = _config_entries(root, row, "analyses")
            groups = _group_counts(row["steps"])
            config = {a["id"]: a for a in wf.load_config(root)["analyses"]}
            rated = re.search(r"(?:^|; )rated \(\d+\): ([^;]+)", row["steps"])
            problems += found + [f"{x}: rated without certainty judgements in the config" for x in
                                 (rated[1].split(", ") if rated else []) if not config[x].get("certainty")]
            if len(ids) != int(m[2]) or groups.get("rated", 0) != int(m[1]) or sum(groups.values()) != int(m[2]):
                problems.append(f"rated for {m[1]} of {m[2]}: the row names {len(ids)}: {row['steps']!r}")
        # The limitations' line, not the methods' of the same head.
        if line.startswith(head := "- **Indirect comparisons**: ") and line in limitations:
            # Each comparison's reason as printed, out of its Markdown, is a group of the
            # row's, its entries' statuses those their results files record.
            said = re.sub(r"\\(.)", r"\1", line[len(head):])
            row = audit.get("indirect comparisons by reason (count)")
            if row is None:
                problems.append("indirect comparisons: no audit row")
                continue
            ids, found = _config_entries(root, row, "indirect")
            problems += found
            groups = re.findall(r"(?:^|; )(.*?) \((\d+)\): ", row["steps"])
            problems += [f"indirect comparisons: {what!r} not printed" for what, _ in groups if f"{what}." not in said]
            if not groups or sum(int(n) for _, n in groups) != len(ids) or len(ids) != int(row["value"]):
                problems.append(f"indirect comparisons: the row's groups count {groups!r}, its entries {len(ids)}")
            for x in ids:
                status = json.loads((root / "results" / "indirect" / f"{x}.json").read_text(encoding="utf-8"))["status"]
                if (m := re.search(rf"\b{x}\b[^;]*?status = (\w+)", row["steps"])) is None or m[1] != status:
                    problems.append(f"indirect comparisons: {x} is {status} in its results file")
    # The lists of studies, and the cells that carry the property where one cell does.
    carried = {"known only from a secondary source": ("source_level", {"secondary"}),
               "using a value its raw row rates as extracted with low confidence": ("confidence", {"low"}),
               "placed in a window by the words of their timepoint alone": ("timepoint_weeks", {""}),
               "of trials whose population is narrower": ("population_fit", {"narrower", "broader", "different"}),
               "Published meta-analyses of a broader": ("population_fit", {"broader", "different"})}
    labels = {r[0]: r[1] for r in _raw_csv(root, "studies.csv", cache)[1:]}
    listed = [(f"study effects {what} (count)", what, names) for line in lines
              if (m := re.fullmatch(r"- \*\*Study effects (.+?)\*\*: (.+)\.", line)) for what, names in [m.groups()]]
    listed += [("published meta-analyses of a broader or another population (count)", line, line.split("**: ", 1)[1][:-1])
               for line in lines if line.startswith("- **Published meta-analyses of a broader")]
    if not listed:
        problems.append("no list of studies in the limitations: nothing to check")
    for quantity, what, names in listed:
        # As the labels are typed: the report's escapes and no-break spaces ("et al.") undone.
        printed = names.replace("\\", "").replace("\u00a0", " ").split("; ")
        row = audit.get(quantity)
        if row is None or int(row["value"]) != len(printed):
            problems.append(f"{quantity}: no audit row of {len(printed)}")
            continue
        studies, found = _counted_rows(root, row, cache)
        problems += found
        if sorted(labels.get(sid, sid) for sid in studies) != sorted(printed):
            problems.append(f"{quantity}: the rows are {sorted(labels.get(sid, sid) for sid in studies)}'s, not "
                            f"{printed}'s")
        column, values = next((v for k, v in carried.items() if k in what), (None, None))
        if column:
            problems += [f"{quantity}: {sid}'s row has {column} = {c.get(column)!r}" for sid, cells in studies.items()
                         for c in cells if c.get(column, "").strip() not in values]
    return problems


# Where a consistency warning points in the report's table: "contrasts.csv, row 59
# (Yu2023#2), column ‘ci_lb’", "sources.csv, row 25 (legacy_dn_page), column ‘source_id’",
# or, for a result printed alike, each study's "(contrasts.csv row 76)".
_WARNED_ROW = re.compile(r"([a-z_]+\.csv),? row (\d+)")
_WARNED_COLUMN = re.compile(r"column \u2018([a-z_0-9\\]+)\u2019")


def untraced_warnings(root: Path) -> list[str]:
    """Each row of the report's table of consistency warnings without an audit row that
    names the raw rows it points to and quotes the cell it names as the raw file has it;
    and audit rows of warnings the table does not print."""
    qmd = (root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    audit = [r for r in wf.read_rows(root / "results" / "report" / "audit.csv")
             if r["from"].startswith("consistency check ")]
    head, _, _ = qmd.partition("{#tbl-warnings}")
    table = head[head.rindex("| Warning |"):].splitlines()[2:]
    # (label, warning); the codebook's, which reads no raw row, has no audit row.
    cells = [line.strip("| ").split(" | ", 1) for line in table if line.startswith("| ")]
    rows = [text for label, text in cells if label != "Codebook"]
    cache: dict[str, list[list[str]]] = {}
    problems = [] if rows else ["no consistency warning in the report: nothing to check"]
    for text in rows:
        places = [f"{file} row {n}" for file, n in _WARNED_ROW.findall(text)]
        found = [r for r in audit if places and all(p in r["raw_rows"].split("; ") for p in places)]
        if not found:
            problems.append(f"no audit row names {places}: {text[:80]!r}")
            continue
        column = _WARNED_COLUMN.search(text)
        if column:
            file, n = _WARNED_ROW.search(text).groups()
            name = column[1].replace("\\", "")
            header, *records = _raw_csv(root, file, cache)
            cell = records[int(n) - 2][header.index(name)].strip()
            if f"{file} row {n}: " not in found[0]["raw_cells"] or (cell and f"{name} = {cell}" not in found[0]["raw_cells"]):
                problems.append(f"{file} row {n}, {name} = {cell!r}: not among the audit row's cells "
                                f"{found[0]['raw_cells']!r}")
    if len(audit) != len(rows):
        problems.append(f"{len(audit)} audit rows of warnings for {len(rows)} warnings printed")
    return problems


@pytest.fixture(scope="module")
def report(built_repo) -> Report:
    return Report(built_repo.root)


# --------------------------------------------------------------------------- shared build


def test_every_study_in_an_analysis_is_named_with_its_effect_in_both_outputs(report):
    analyses = report.results("analyses")
    assert analyses, "no analysis results"
    studies, pooled = number_needles(analyses)
    assert studies, "no analysis has a study: nothing to check"
    assert report.missing(studies + pooled) == []


def test_pooled_estimates_use_the_reports_number_format(report):
    _, pooled = number_needles(report.results("analyses"))
    if not pooled:
        pytest.skip(
            "no analysis is pooled in the current data (the augmented build below checks pooling)"
        )
    assert report.missing(pooled) == []


def test_every_summed_count_the_report_prints_is_traced_to_raw_cells_that_add_up_to_it(report):
    sums = printed_sums(report.root)
    assert sums, "no summed count in the report: nothing to check"
    assert untraced_sums(report.root) == []


def test_every_count_of_trials_or_reviews_the_report_prints_is_traced_to_the_raw_rows_counted(report):
    counts = printed_trial_counts(report.root)
    # The example's sections each open with their candidates; Published meta-analyses sets
    # a review's 7 trials of acupuncture against sham (pain) beside the 11 trials of that
    # comparison in these data: the 5 candidates, Kerr 2003 (a statement only) and 5 with
    # no pain result entered (Leibing 2002 and Sator-Katzenschlager 2004 have no rows).
    assert ("acupuncture_vs_sham_pain", "candidate trials (count)", 5, 5) in counts
    assert ("", "trials of this comparison in these data (count)", 11, 11) in counts
    # Against sham, 5 reviews with intervals: Acupunct Med 2020 and Yuan 2015 print one
    # result alike (contrasts.csv rows 76 and 73), and Mu 2020 the same numbers for usual
    # care and disability (row 69), a warning of a row read from the wrong table: the three
    # rows are left out, not counted as one review, and said so (2 results against sham, 1
    # against usual care). Acupunct Med 2020 is counted by its other result (row 75), Yuan
    # 2015 not at all. Every interval of each lies on acupuncture's side, Lee 2023's too:
    # its words of no difference are against sham at the same points (statements.csv rows
    # 29 and 30), its intervals against sham at other points. 5 reviews, their sizes given,
    # no count of those on a side (vote counting).
    assert ("", "reviews with confidence intervals against sham, minimal needling or placebo TENS, sizes given", 5,
            5) in counts
    assert ("", "reviews set beside the trials here, with confidence intervals (count)", 5, 5) in counts
    assert not [c for c in counts if c[1].startswith(("reviews tallied against", "reviews differing"))]
    misread = "results not counted, printed alike by a review of another comparison or outcome (count)"
    assert ("", misread, 2, None) in counts and ("", misread, 1, None) in counts
    # The reviews not counted are counted in each analysis's line of the Results (against
    # no treatment, disability: Furlan 2005 and Rubinstein 2010); the summary points to
    # the section that lists them and counts none.
    assert ("", "reviews not counted, known only from a secondary source (count)", 2, 2) in counts
    assert ("", "reviews not counted, known only from a secondary source (count)", 3, 3) not in counts
    # Acupuncture against sham (pain): "5 reviews, which share trials; the SMDs of 3 of them range from
    # −0.54 to −0.33" (Yuan 2015's −0.47 given once, with Acupunct Med 2020's), and
    # against no treatment "2 of the 4 each give an SMD of −0.69".
    assert ("", "reviews counted (count)", 5, 5) in counts
    assert ("", "reviews giving SMDs, and their range (count)", 3, 3) in counts
    assert ("", "reviews giving SMDs, and their range (count)", 2, 2) in counts
    assert untraced_trial_counts(report.root) == []


def test_the_example_names_the_sham_lee_2023_s_results_are_against(report):
    # Lee 2023's numbers are against sham at non-indicated points (SATS), its words against
    # sham at the same points: its row in the forest plot and under the study effects names
    # the sham, as the table of published meta-analyses does.
    lee = "Lee et al. (2023), NMA, vs Sham acupuncture at non-indicated points (SATS)"
    assert f"{lee}: SMD −0.13 (95% CI −0.25 to −0.02)" in report.html
    svg = (report.root / "results" / "report" / "figures" / "acupuncture_vs_sham_disability.forest.svg").read_text(
        encoding="utf-8")
    assert "Lee et al. (2023), NMA, vs Sham" in svg
    # A review with one sham is named as before.
    assert "Yuan et al. (2015): SMD" in report.html


def test_the_example_counts_no_review_behind_a_wrong_table_warning(report):
    # Acupunct Med 2020 and Yuan 2015 print one result, and Mu 2020 the same numbers for
    # another comparison: not counted as one review, nor counted, and said so beside the tally.
    assert "counted here as one review" not in report.html and "counted as one review" not in report.html
    assert ("2 results printed alike by a review of another comparison or outcome (a row read from the wrong "
            "table?), from Acupunct Med 2020 meta-analysis (authors unverified) and Yuan et al. (2015), are left out "
            "until each row is checked in its source") in report.html
    audit = (report.root / "results" / "report" / "audit.csv").read_text(encoding="utf-8")
    assert "counted as one review with" not in audit and "()" not in audit


def test_every_range_of_published_results_the_report_prints_is_traced_to_its_two_ends(report):
    ranges = printed_ranges(report.root)
    assert ("SMDs", "−0.54", "−0.33") in ranges
    # No range across outcomes: against sham, Lee 2023's disability SMD of −0.13 at the end
    # of pain's range, and against usual care pain's −1.07 with disability's −0.47.
    assert ("SMDs", "−0.54", "−0.13") not in ranges and ("SMDs", "−1.07", "−0.47") not in ranges
    assert untraced_ranges(report.root) == []


def test_every_consistency_warning_the_report_prints_is_traced_to_the_cells_it_names(report):
    assert untraced_warnings(report.root) == []


def test_every_count_of_claims_the_summary_prints_is_traced_to_the_claims_rows(report):
    assert untraced_claim_counts(report.root) == []


def test_every_count_of_published_reviews_in_the_claims_table_is_traced_to_the_rows_counted(report):
    assert untraced_claim_review_counts(report.root) == []


def test_every_count_and_list_of_studies_in_the_limitations_is_traced_to_the_config_or_raw_rows(report):
    assert untraced_limitation_counts(report.root) == []


def test_the_limitations_name_the_nodes_of_different_treatments_and_the_reviews_left_out_for_their_source(report):
    # The sham node's trials used here received sham acupuncture (Cherkin 2009, Kwon 2007,
    # both coded so in arms.csv), minimal acupuncture (Brinkhaus 2006, Haake 2007) and
    # placebo TENS (Carlsson 2001); its one pooled analysis pools the first two only.
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    limitations = qmd.split("{#sec-limitations}", 1)[1].split("\n## ", 1)[0]
    groups = next(x for x in limitations.splitlines() if x.startswith("- **Groups of treatments**: "))
    assert ("Different treatments in one node: in sham, minimal needling or placebo TENS, the trials used here "
            "received sham acupuncture (Cherkin et al., 2009; and Kwon et al., 2007), minimal acupuncture (Brinkhaus "
            "et al., 2006; and Haake et al., 2007) and placebo TENS (Carlsson \\& Sjölund, 2001); in usual care or "
            "guideline-based conventional therapy, the trials used here received usual care (Cherkin et al., 2009) "
            "and guideline-based conventional therapy (Haake et al., 2007). No pooled analysis pools trials of "
            "different treatments of one node") in groups
    # Xu 2013's one result, read in an overview's table, and the blog post's Cochrane
    # review are left out of the tallies as much as the reviews of another population.
    apart = next(x for x in limitations.splitlines() if x.startswith("- **Published meta-analyses known only"))
    assert ("3 reviews known only from a secondary source: Cochrane review cited by the blog post (2023, "
            "unidentified); Furlan et al. (2005), Cochrane; Rubinstein et al. (2010). 3 results read here only in a "
            "document other than the review\u2019s own: from Lam et al. (2013), Manheimer et al. (2005) and Xu et al. "
            "(2013).") in apart
    audit = {(r["analysis"], r["quantity"]): r for r in wf.read_rows(report.root / "results" / "report" / "audit.csv")}
    assert audit[("", "reviews not counted, known only from a secondary source (count)")]["value"] == "3"
    # Each trial by its arm's row of arms.csv, read back: the treatments the row names.
    row = audit[("", "trials used here in node sham, by the treatment their arms received (count)")]
    studies, problems = _counted_rows(report.root, row, {})
    assert problems == [] and int(row["value"]) == 5
    assert {sid: {cells["treatment"] for cells in rows} for sid, rows in studies.items()} == {
        "Cherkin2009": {"sham_acupuncture"}, "Kwon2007": {"sham_acupuncture"}, "Brinkhaus2006": {"minimal_acupuncture"},
        "Haake2007": {"minimal_acupuncture"}, "Carlsson2001": {"placebo_tens"}}


def test_the_limitations_give_each_indirect_comparison_its_reason_in_the_summarys_words(report):
    # Both treatments have trials against sham; dry needling's are set aside (Rajfur 2022
    # and 2024 report only p-values). "Of 2, 2 have no common comparator" read as if it
    # had none: the limitations now say what the summary says, for both outcomes at once.
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    limitations = qmd.split("{#sec-limitations}", 1)[1].split("\n## ", 1)[0]
    line = next(x for x in limitations.splitlines() if x.startswith("- **Indirect comparisons**: "))
    reason = ("no usable trial of dry needling against a named third treatment exists to compare them through (its "
              "trials against sham, minimal needling or placebo TENS and against other active treatments are set "
              "aside)")
    assert line == ("- **Indirect comparisons**: Dry needling versus acupuncture (pain intensity and back-specific "
                    f"disability): no indirect comparison can be made, as {reason}.")
    summary = " ".join(qmd.split("{#sec-summary}", 1)[1].split("{#sec-question}", 1)[0].split())
    assert f"and {reason}; see [" in summary


def test_the_limitations_count_the_trials_set_aside_and_their_commonest_reasons(report):
    # Recounted from the analyses' results files, each candidate trial once: the example's
    # 17 candidates, 11 set aside from an analysis, 10 of them from all they could enter
    # (Cherkin 2009 is used for disability), so 7 enter one.
    results = [json.loads(p.read_text(encoding="utf-8")) for p in (report.root / "results" / "analyses").glob("*.json")]
    used = {s["study_id"] for r in results for s in r["studies"]}
    aside = {e["study_id"] for r in results for e in r["excluded"]}
    n, k, unused = len(used | aside), len(aside), len(aside - used)
    p_only = "only a p-value reported: no effect size or variance"
    # Every trial whose reasons include it, those after "also" too (Mahmoudzadeh 2016's),
    # as the table of trials set aside lists them.
    p_trials = {e["study_id"] for r in results for e in r["excluded"]
                if p_only in [x["reason"] for x in [*(e.get("reasons") or [e]), *(e.get("also") or [])]]}
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    lines = {line.split("**")[1]: line for line in qmd.splitlines() if line.startswith("- **")}
    # The table's rows with the reason, each trial once: the count the limitations give.
    table = qmd.split("{#sec-excluded}", 1)[1].split("{#tbl-excluded}", 1)[0]
    listed = {line.split(" | ", 1)[0].removeprefix("| ").strip() for line in table.splitlines()
              if line.startswith("| ") and p_only in line}
    assert len(listed) == len(p_trials), listed
    assert lines["Trials set aside"].startswith(
        f"- **Trials set aside**: of the {n} candidate trials of the analyses, {k} were set aside from at least one "
        f"analysis, {unused} of them from every analysis they could enter, so {n - unused} enter an analysis (see "
        "[Trials that could not be used](#sec-excluded)). The commonest reasons: "
        f"\u201c{p_only}\u201d ({len(p_trials)} trials); ")
    # Then what the candidates are, against every trial in the data (@tbl-flow): the 17
    # left out the trials of the same comparisons known in words only or never entered.
    trials = len({r["study_id"] for r in wf.read_rows(report.root / "data" / "raw" / "studies.csv")
                  if r["design"] in ("rct", "crossover_rct")})
    assert lines["Trials set aside"].endswith(
        " The candidates are the trials with numbers on an analysis's comparison and outcome: of the "
        f"{trials} trials in the data, 3 have a result in words only, 2 have no result rows entered and 5 are outside "
        "the analysed comparisons (see @tbl-flow).")
    # The reason in the words of the table of trials set aside.
    assert f"| {p_only} |" in qmd.split("{#sec-excluded}", 1)[1].split("{#tbl-excluded}", 1)[0]
    audit = {r["quantity"]: r for r in wf.read_rows(report.root / "results" / "report" / "audit.csv")}
    cache: dict[str, list[list[str]]] = {}
    row = audit["candidate trials set aside, over all analyses (count)"]
    studies, problems = _counted_rows(report.root, row, cache)
    assert problems == [] and set(studies) == used | aside and int(row["value"]) == k
    assert _group_counts(row["steps"]) == {"set aside from every analysis it could enter": unused,
                                          "set aside from an analysis, used in another": k - unused,
                                          "used, set aside from none": n - k}
    row = audit[f"candidate trials set aside for the reason \u201c{p_only}\u201d (count)"]
    studies, problems = _counted_rows(report.root, row, cache)
    assert problems == [] and set(studies) == p_trials and int(row["value"]) == len(p_trials)


def test_the_report_says_risk_of_bias_was_not_assessed_and_what_that_means(report):
    # Risk of bias: not assessed for the trials the analyses use, said as a limit with
    # what it means, in the methods, its section and the limitations.
    results = [json.loads(p.read_text(encoding="utf-8")) for p in (report.root / "results" / "analyses").glob("*.json")]
    used = {s["study_id"] for r in results for s in r["studies"]}
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    which = f"any of the {len(used)} trials the analyses use"
    # Unknown because not assessed (not "neither low nor high", which read as "some
    # concerns"), and so no GRADE level at all.
    meaning = ("is therefore unknown, and without it the certainty of the evidence (GRADE), which starts from risk of "
               "bias, cannot be rated for any result")
    assert "neither low nor high" not in qmd
    section = qmd.split("### Risk of bias\n", 1)[1].split("\n### ", 1)[0]
    assert section.strip().startswith(f"Risk of bias was not assessed for {which}: ") and meaning in section
    # The comparisons against controls alone (treatments.csv's role), with a study effect:
    # participants could not be blinded, a risk of bias in measuring what they report.
    roles: dict[str, set[str]] = {}
    config = wf.load_config(report.root)
    role = {r["treatment"]: r["role"] for r in wf.read_rows(report.root / "data" / "raw" / "treatments.csv")}
    for node in config["nodes"].values():
        roles[node["label"]] = {role.get(t) for t in node["treatments"]}
    controls = {r["analysis"]["comparator_label"] for r in results
                if r["studies"] and roles.get(r["analysis"]["comparator_label"]) == {"control"}}
    assert controls, "no comparison against a control with a study effect"
    knew = section.split("In the comparisons ", 1)[1].split("participants could not be blinded to their treatment", 1)
    assert len(knew) == 2 and all(f"against {label[:1].lower()}{label[1:]}" in knew[0] for label in controls), knew
    assert ("for outcomes participants report themselves, such comparisons are at risk of bias in the measurement of "
            "the outcome (RoB 2, domain 4") in knew[1]
    methods = qmd.split("{#sec-methods}", 1)[1].split("\n## ", 1)[0]
    assert f"- **Risk of bias and certainty**: not assessed for {which} " in methods and meaning in methods
    limitations = qmd.split("{#sec-limitations}", 1)[1].split("\n## ", 1)[0]
    risk = next(x for x in limitations.splitlines() if x.startswith("- **Risk of bias and certainty**"))
    assert f"risk of bias was not assessed for {which}: the risk of bias of every result here" in risk
    assert meaning in risk
    # Nothing judged: "cannot be rated for any result", with no count of analyses rated
    # after it to say it again.
    assert risk.endswith("cannot be rated for any result."), risk
    assert "rated for 0 of" not in risk
    row = {r["quantity"]: r for r in wf.read_rows(report.root / "results" / "report" / "audit.csv")}[
        "trials used in an analysis with no risk-of-bias judgement (count)"]
    studies, problems = _counted_rows(report.root, row, {})
    assert problems == [] and set(studies) == used and int(row["value"]) == len(used)


def test_the_limitations_count_the_results_missing_from_the_analyses(report):
    # Bias due to missing results: each count recounted from the audit of counts, whose
    # rows name the raw rows of each trial counted.
    results = [json.loads(p.read_text(encoding="utf-8")) for p in (report.root / "results" / "analyses").glob("*.json")]
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    methods = qmd.split("{#sec-methods}", 1)[1].split("\n## ", 1)[0]
    assert "- **Bias due to missing results**: looked for in the data (no tool such as ROB-ME applied)" in methods
    limitations = qmd.split("{#sec-limitations}", 1)[1].split("\n## ", 1)[0]
    audit = {r["quantity"]: r for r in wf.read_rows(report.root / "results" / "report" / "audit.csv")}
    cache: dict[str, list[list[str]]] = {}
    missing = next(x for x in limitations.splitlines() if x.startswith("- **Bias due to missing results**: "))
    p_only = "only a p-value reported: no effect size or variance"
    # Counted: the trials set aside for the p-value alone, not those the table lists with
    # it beside a reason that would keep them out anyway (Mahmoudzadeh 2016's add-on
    # design), which the count of reasons under Trials set aside keeps.
    p_trials = {e["study_id"] for r in results for e in r["excluded"]
                if p_only in [x["reason"] for x in e.get("reasons") or [e]]}
    listed = {e["study_id"] for r in results for e in r["excluded"]
              if p_only in [x["reason"] for x in [*(e.get("reasons") or [e]), *(e.get("also") or [])]]}
    assert "Mahmoudzadeh2016" in listed - p_trials
    row = audit["trials giving an analysed comparison's result only as a p-value (count)"]
    studies, problems = _counted_rows(report.root, row, cache)
    assert problems == [] and set(studies) == p_trials == set(row["study_id"].split("; "))
    assert all(x["measure"] == "p_only" for xs in studies.values() for x in xs)
    # What the documents read here give, not the trials' own reporting.
    assert missing.startswith(f"- **Bias due to missing results**: {len(p_trials)} trials\u2019 results on an "
                              "analysed comparison that nothing else keeps out of its analysis are given, in the "
                              "documents read here, only as a p-value"), missing
    reasons = next(x for x in limitations.splitlines() if x.startswith("- **Trials set aside**: "))
    assert f"\u201c{p_only}\u201d ({len(listed)} trials)" in reasons, reasons
    assert "not necessarily in the trials\u2019 own reporting: a trial\u2019s full report may hold the numbers" \
        in missing
    flow = audit["trials, by what became of them (count)"]["steps"]
    for quantity, said, group in (
            ("trials giving an analysed comparison's result only in words (count)", "trials only in words",
             "result reported in words only"),
            ("trials of the analysed comparisons with no result rows (count)",
             "trials of the analysed comparisons have no result rows entered",
             "no result rows entered")):
        row = audit[quantity]
        studies, problems = _counted_rows(report.root, row, cache)
        assert problems == [] and len(studies) == int(row["value"]) == _group_counts(flow)[group]
        assert f" {row['value']} {said} (" in missing
    untested = [r for r in results if r["studies"] and len(r["studies"]) < r["small_study_min"]]
    assert (f"was not run for any of the {len(untested)} analyses with a study effect: each has fewer than the "
            f"{untested[0]['small_study_min']} studies the test needs.") in missing
    assert int(audit["analyses with a study effect and no small-study test (count)"]["value"]) == len(untested)
    # Which way the missing results point, each count traced, and what that could mean.
    counts = {}
    for key, what in (("for", "report a statistically significant difference favouring the intervention"),
                      ("null", "report no difference, or one not statistically significant"),
                      ("unsaid", "do not say which way the groups differed")):
        row = audit[f"trials whose missing results {what} (count)"]
        studies, problems = _counted_rows(report.root, row, cache)
        assert problems == [] and len(studies) == int(row["value"])
        counts[key] = int(row["value"])
        assert f" {row['value']} {what}" in missing, (what, missing)
    # Which way their absence could move an estimate: said only of the analyses that have
    # one, each with the trials missing from it, each count traced; no pull drawn from the
    # tally, whose trials mostly bear on analyses with no estimate at all.
    assert "toward no difference" not in missing and "most of those" not in missing, missing
    with_effect = {r["analysis"]["id"] for r in results if r["studies"]}
    row = audit["analyses with a study effect that missing results bear on (count)"]
    assert (f"Here, {row['value']} of the {len(with_effect)} analyses with a study effect lack one or more such "
            "results.") in missing, missing
    per = [r for r in wf.read_rows(report.root / "results" / "report" / "audit.csv")
           if r["quantity"] == "trials whose missing results bear on the analysis's estimate (count)"]
    assert len(per) == int(row["value"]) and {r["analysis"] for r in per} <= with_effect, per
    names = {d["study_id"]: d["label"] for d in wf.read_rows(report.root / "data" / "raw" / "studies.csv")}
    for r in per:
        studies, problems = _counted_rows(report.root, r, cache)
        assert problems == [] and len(studies) == int(r["value"]), (r, problems)
        said = missing.split("Missing from ", 1)[1].split("For the rest", 1)[0]
        for sid in r["study_id"].split("; "):
            assert in_brackets(names[sid]) in said, (sid, said)
    # Molsberger 2002 bears on acupuncture against sham (one trial's effect) and on the
    # comparison against usual care, which has none; the trials with no result rows and
    # those never found give no direction at all.
    assert "have no estimate to move" in missing
    # "For the rest" names no trial just named as missing from an analysis with an
    # estimate (Molsberger 2002, Hegu): named twice, they read as more trials.
    rest = missing.split("For the rest", 1)[1].split(":", 1)[0]
    for r in per:
        for sid in r["study_id"].split("; "):
            assert in_brackets(names[sid]) not in rest, (sid, rest)
    assert missing.endswith("Whether missing results biased any estimate cannot be told.") or (
        "Whether missing results biased any estimate cannot be told. " in missing), missing
    assert "for the results given only in words too" not in missing
    assert "which way the review\u2019s estimates could be biased cannot be judged" in missing
    assert "more often reported so" not in missing
    # Why Leibing 2002 and Sator-Katzenschlager 2004 have no result rows: studies.csv's
    # reason, after each name.
    reasons = {r["label"]: r["results_missing_reason"] for r in wf.read_rows(report.root / "data" / "raw" / "studies.csv")
               if r.get("results_missing_reason")}
    assert set(reasons) == {"Leibing et al. (2002)", "Sator-Katzenschlager et al. (2004)"}
    excluded = flat(qmd.split("{#tbl-excluded}", 1)[1].split("\n### ", 1)[0])
    for label, reason in reasons.items():
        assert f"{label} (Acupuncture vs Sham, minimal needling or placebo TENS; no results entered: {reason})" \
            in excluded, excluded


def test_the_limitations_name_the_treatments_in_no_analysed_node_as_the_teams_choice(report):
    # Trigger point acupuncture, which no node includes: Itoh 2004 (against acupuncture,
    # which the summary names as the team's choice) and Itoh 2006 (against sham).
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    lines = {line.split("**")[1]: line for line in qmd.splitlines() if line.startswith("- **")}
    # Then the nodes whose trials received different treatments, and the team's choice once.
    assert lines["Groups of treatments"].startswith(
        "- **Groups of treatments**: arms in no node an analysis compares: trigger point acupuncture (Itoh et al., "
        "2004; and Itoh et al., 2006), which this review counts as neither dry needling nor acupuncture. Different ")
    assert lines["Groups of treatments"].endswith(
        "same effect. Which treatments each node groups is the review team\u2019s choice (see the "
        "[methods](#sec-methods)), which the data do not decide: a different grouping could change which trials the "
        "analyses count.")
    assert ("This review counts trigger point acupuncture as neither dry needling nor acupuncture, the review "
            "team\u2019s choice") in " ".join(qmd.split("{#sec-summary}", 1)[1].split("{#sec-question}", 1)[0].split())
    audit = {r["quantity"]: r for r in wf.read_rows(report.root / "results" / "report" / "audit.csv")}
    row = audit["trials with arms in no node an analysis compares (count)"]
    studies, problems = _counted_rows(report.root, row, {})
    grouped = {t for node in wf.load_config(report.root)["nodes"].values() for t in node["treatments"]}
    assert problems == [] and set(studies) == {"Itoh2004", "Itoh2006"} and int(row["value"]) == 2
    assert {cells["treatment"] for rows in studies.values() for cells in rows} == {"trigger_point_acupuncture"}
    assert "trigger_point_acupuncture" not in grouped


def test_the_counts_of_config_entries_name_each_entry_once_and_share_a_page(report):
    # The analyses by pooling gave each of 17 analyses three times (its cell of the config,
    # its results file, its id), its row a page of the PDF: the table of counts gives the
    # entries' places in the config and each id once, the cells stay in audit.csv.
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    cells_of = [[cell.strip().replace("\\", "") for cell in line.strip().strip("|").split(" | ")]
                for line in qmd.splitlines() if line.startswith("| \u2013 | ")]
    rows = {cells[1]: cells for cells in cells_of}
    ids = [a["id"] for a in wf.load_config(report.root)["analyses"]]
    cells, steps = rows["analyses by pooling (count)"][4:6]
    assert cells == (f"config/config.yaml: analyses [0] to [{len(ids) - 1}], {len(ids)} entries, "
                     "each named by its id under Steps")
    # No GRADE count: nothing is judged, and the limitations print none to trace.
    assert "analyses rated for certainty (GRADE) (count)" not in rows
    cells, steps = rows["analyses by pooling (count)"][4:6]
    # Once, but in the path of its results file where it is the only one of its kind.
    assert all(len(re.findall(rf"(?<![\w/]){aid}(?!\w)", steps)) == 1 for aid in ids), steps
    assert steps.count("results/analyses/") <= steps.count(";"), steps
    audit = {r["quantity"]: r for r in wf.read_rows(report.root / "results" / "report" / "audit.csv")}
    assert audit["analyses by pooling (count)"]["raw_cells"].count(".id = ") == len(ids)

    # The counts of config entries are each a part of a page, where the first took a page:
    # on one page, or two running on, wherever the page breaks fall; the first's page
    # holds another count too.
    def pages_of(quantity: str) -> list[int]:
        return [n for n, page in enumerate(report.pdf_pages) if loose(quantity) in loose(page)]

    [first] = pages_of("analyses by pooling (count)")
    others = pages_of("indirect comparisons by reason (count)")
    assert len(others) == 1 and set(others) <= {first, first + 1}
    assert loose(report.pdf_pages[first]).count(loose("(count)")) >= 2


def test_indirect_comparison_findings_are_stated_in_both_outputs(report):
    indirect = report.results("indirect")
    assert indirect, "no indirect comparison results"
    # The explanation in the comparison's section; the summary's bottom line says it briefly.
    assert report.missing([x["detail"] for x in indirect]) == []


def test_each_claim_and_its_verdict_are_in_both_outputs(report):
    claims = json.loads(
        (report.root / "results" / "claims" / "claims.json").read_text(encoding="utf-8")
    )
    assert claims
    needles = [c["claim"] for c in claims] + [c["verdict"] for c in claims]
    assert report.missing(needles) == []
    # The verdict sits in the claim's own row, not just somewhere in the report.
    for c in claims:
        at = report.html.index(flat(c["claim"]))
        assert flat(c["verdict"]) in report.html[at : at + len(c["claim"]) + 200], c["claim_id"]


def test_the_report_says_how_it_was_rendered(report):
    config = wf.load_config(report.root)
    wanted = config["report"].get("renderer", "auto")
    name = "quarto" if wanted in ("auto", "quarto") and shutil.which("quarto") else "pandoc"
    assert report.missing([f"Rendered with {renderer_description(name)}."]) == []


def test_the_seed_posts_studies_are_named_in_both_outputs(report):
    config = wf.load_config(report.root)
    rows = wf.read_rows(report.root / config["raw_dir"] / "studies.csv")
    seed = [r["label"] for r in rows if r["source_id"] == SEED_SOURCE]
    assert set(SEED_POST_STUDIES) <= set(seed)
    assert report.missing(SEED_POST_STUDIES + seed) == []


def test_statements_in_words_are_given_for_what_they_say_in_both_outputs(report):
    config = wf.load_config(report.root)
    rows = list(enumerate(wf.read_rows(report.root / config["raw_dir"] / "statements.csv"), start=2))
    # Martín-Corrales 2020's "the dry needling group improved significantly in pain" may be
    # a change within that group: where the summary and its analysis's section name it
    # among the statements on dry needling against sham, they say it compares nothing.
    (_, martin), = [(i, r) for i, r in rows if r["study_id"] == "MartinCorrales2020"]
    assert martin["direction"] == "unclear"
    caveat = "Martín-Corrales et al. (2020), whose statement does not say how the groups compared"
    assert report.missing([caveat, f"{martin['statement']} How the groups compared is not stated."]) == []
    # In the summary's line on dry needling against sham and in its analysis's section, as
    # a trial whose result is in words only; the statements of the comparison named there
    # leave it to that line rather than name it twice.
    assert report.html.count(flat(caveat)) == 2
    # Cherkin 2009's pain at 8 weeks, given only as a range over its three needling arms:
    # its rows in the table of trials set aside point to the statements, which the
    # narrative table prints with their raw rows, rather than say the trial has nothing
    # after baseline. The pointer says so in words: the reader's prose names no raw file.
    assert report.missing(["a result given in words only (see Table"]) == []
    assert "a result given in words only: statements.csv" not in report.html
    for comparator in ("sim", "uc"):
        stated = [(i, r) for i, r in rows
                  if r["study_id"] == "Cherkin2009" and r["outcome"] == "pain" and r["arm2"] == comparator]
        assert len(stated) == 2, comparator
        assert all("1.6 to 1.9 points" in r["quote"] for _, r in stated)
        assert report.missing([*(r["statement"] for _, r in stated),
                               *(f"statements.csv row {i}" for i, _ in stated)]) == []


def test_the_study_table_says_xu_2013s_number_is_read_in_another_document_in_both_outputs(report):
    # Xu 2013's abstract gives its results in words only (statements.csv, its own report,
    # so the study is primary); its one number, an SMD, is read in the Liu 2015 overview's
    # table (contrasts.csv, source_level secondary). The study table says so.
    config = wf.load_config(report.root)
    raw = report.root / config["raw_dir"]
    (study,) = [r for r in wf.read_rows(raw / "studies.csv") if r["study_id"] == "Xu2013"]
    assert study["source_level"] == "primary"
    rows = {name: [r for r in wf.read_rows(raw / f"{name}.csv") if r["study_id"] == "Xu2013"]
            for name in ("arm_outcomes", "contrasts", "statements")}
    assert [r["source_level"] for r in rows["contrasts"]] == ["secondary"]
    total = sum(len(v) for v in rows.values())
    assert report.missing([f"Xu et al. (2013) meta-analysis, primary; 1 of {total} results secondary"]) == []


def test_the_summary_says_which_way_the_trials_it_set_aside_went_in_both_outputs(report):
    # Dry needling against sham: the only trials here, Rajfur 2022 and 2024, are set aside
    # (p-values only), but both report a difference favouring dry needling (contrasts.csv
    # row 42, p < 0.001, 20 + 20 in arms.csv; rows 49 to 52, p < 0.001 and p = 0.001,
    # 15 + 15), and Rajfur 2022's discopathy is not this review's population. Against
    # other treatments, Griswold 2019 found no difference (rows 46 to 48: p = 0.26, 0.57
    # and 0.69; 30 + 35). Listed as "set aside" alone, they read as no evidence. Rajfur
    # 2024's rows ("after treatment", "after 1 month", "after 3 months", "not stated") and
    # Griswold's ("group x time interaction over follow-up") are of no time window, and
    # both Rajfur p-values for pain are read in an extraction sheet only (confidence low).
    assert report.missing([
        # Each outcome's p-values in its own sentence: pain, row 42 and row 52; disability,
        # rows 49 to 51.
        # Both pain p-values were read in the extraction sheet only (rows 42 and 52,
        # source_id extraction_sheet, a sources.csv kind not the trial's own report), and
        # row 52's timepoint is "not stated", not one given in words.
        # Said in the Results' opening list (the summary counts them, below), where a
        # label's note is given at each mention.
        ("For pain intensity, Rajfur et al. (2022) reports a difference favouring dry needling (p < 0.001, read in an "
         "extraction sheet, not in the trial’s own report; 40 participants); Rajfur et al. (2024), authors "
         "unverified, reports a difference favouring dry needling at a timepoint not stated (p = 0.001, read in an "
         "extraction sheet, not in the trial’s own report; 30 participants). For back-specific "
         "disability, Rajfur et al. (2024), authors unverified, reports a difference favouring dry needling at "
         "timepoints given in words only, placed in no time window (each p < 0.001; 30 participants). Rajfur et al. "
         "(2022) enrolled another population than this review’s. The value of Rajfur et al. (2022) and a value of "
         "Rajfur et al. (2024), authors unverified, were extracted with low confidence, as the raw rows rate them."),
        # The summary: how many, which way (rows 42 and 49 to 52 all favour dry needling;
        # Griswold's none), and that they carry doubts, the details left to the Results.
        # The reason they share in a plain sentence, not as a form's fields.
        ("both report a difference favouring dry needling; both have doubts about their source or population. Both "
         "report only a p-value, with no effect size or variance."),
        ("Griswold et al. (2019) found no statistically significant difference; Mahmoudzadeh et al. (2016) reports a "
         "difference favouring dry needling + physiotherapy;"),
        # A group x time interaction over follow-up, which found no difference: not "reports
        # no difference at a timepoint".
        ("For back-specific disability, Griswold et al. (2019), authors unverified, found no statistically "
         "significant difference over follow-up, in a group × time interaction test (p = 0.26 and p = 0.57; 65 "
         "participants)"),
        # The Hegu trial's 187 patients in three arms (studies.csv), no arm's own count.
        # Of its pain rows (31 and 32) both p-values were read in the extraction sheet.
        ("The Hegu acupuncture trial (presumed Yun et al. 2012) reports a difference favouring acupuncture (each p < "
         "0.001 at week 8, both read in an extraction sheet, not in the trial’s own report; 187 participants in 3 "
         "arms)"),
        # Meng 2003's two tests (contrasts.csv rows 19 and 20), each with its week: one
        # "p ≤ 0.007" read as one test.
        ("Meng et al. (2003) reports a difference favouring electroacupuncture + usual care (p = 0.001 at week 6 and "
         "p = 0.007 at week 9; 47 participants)"),
    ]) == []
    # Each count and p-value traced: Rajfur 2022's 40 from its arms' rows, read back here.
    audit = wf.read_rows(report.root / "results" / "report" / "audit.csv")
    (row,) = [r for r in audit if r["study_id"] == "Rajfur2022" and r["analysis"] == "dry_needling_vs_sham_pain"
              and r["quantity"] == "set-aside trial's reported direction (no effect size)"]
    m = re.search(r"participants arms\.csv row (\d+) n_randomised (\d+) \+ arms\.csv row (\d+) n_randomised "
                  r"(\d+) = 40;", row["steps"])
    assert m, row["steps"]
    arms = wf.read_rows(report.root / "data" / "raw" / "arms.csv")
    assert [arms[int(m[1]) - 2]["n_randomised"], arms[int(m[3]) - 2]["n_randomised"]] == [m[2], m[4]] == ["20", "20"]
    assert "p_value = 0.001, p_qualifier = <" in row["raw_cells"]
    assert "p < 0.001, read in an extraction sheet, not in the trial’s own report" in row["steps"]
    assert "timepoint given in words only, placed in no time window (p = 0.001" not in report.html


def test_a_set_aside_trial_s_p_value_is_said_of_its_own_outcome(report):
    # The summary's sham line: "Set aside: 4 trials for pain intensity, short term; Kong et
    # al. (2020) for back-specific disability, short term. Kong et al. (2020) reports ...
    # (p = 0.06; 121 participants)": p = 0.06 is of PROMIS pain intensity (contrasts.csv
    # row 18); of disability Kong states in words only that RMDQ fell more with
    # electroacupuncture (statements.csv row 4, direction favours_arm1).
    assert report.missing([
        # The Results' line on each analysis (the summary counts the trials set aside).
        ("Molsberger et al. (presumed 2002). Kong et al. (2020) reports a difference favouring acupuncture that was "
         "not statistically significant (p = 0.06; 121 participants)"),
        ("Kong et al. (2020). Kong et al. (2020) states in words only, with no p-value or interval, a difference "
         "favouring acupuncture."),
    ]) == []
    assert "for back-specific disability, short term. Kong et al. (2020) reports" not in report.html
    # Cherkin 2009 against sham on pain: words that name no side (statements.csv rows 32 and
    # 33, direction unclear) are not said as a result "stated".
    assert report.missing([
        ("Cherkin et al. (2009) gives a result in words only, with no p-value or interval, and its words do not "
         "say how the groups compared"),
    ]) == []
    assert "states in words only, with no p-value or interval, a result that does not say" not in report.html


def test_the_summary_s_counts_of_reviews_and_trials_say_what_they_count(report):
    # Lee 2023's intervals are against sham at non-indicated points (SATS), all on
    # acupuncture's side; its words find no difference against sham at the same points
    # (SATV), another arm (statements.csv rows 29 and 30). Its sizes are its intervals',
    # its words said beside them; the reviews' sizes given, never a count of their sides.
    assert report.missing([
        # That they share trials is said once, before the first comparator's reviews.
        ("reviews share trials and differ in scope and population): 5 reviews with confidence intervals (5 on pain "
         "intensity, 1 on back-specific disability): on pain intensity, the SMDs of 3 of the 5 range from −0.54 to −0.33; on back-specific disability, "
         "one of the 5 gives an SMD of −0.13. Lam et al. (2013) is at the edge of no difference (MD −16.76, 95% CI "
         "−33.33 to −0.19, p = 0.05)."),
        ("Lee et al. (2023), NMA, states in words no difference against sham acupuncture at the same (verum) points "
         "as acupuncture (SATV); the sizes given are of its intervals, against sham acupuncture at non-indicated "
         "points (SATS)."),
        # Against no treatment, 4 reviews over pain and disability, 3 on each, as the Results.
        "4 reviews with confidence intervals (3 on each outcome), which share trials: on pain intensity, 2 of the 4",
        # Every trial of acupuncture against sham counts, those with no pain result entered too,
        # each group counted: the 4 set aside are the summary's 4, Kerr 2003 (words only) the 11th.
        ("Manheimer et al. (2005) pooled 7 trials; these data have 11 trials of this comparison: 1 used here, 4 set "
         "aside, 1 with a result in words only and 5 with no result on pain intensity entered"),
        # Liu & Park 2021's estimate, against an unnamed control, is set apart, not denied.
        ("The only estimate against another comparator is that of a study known only from a secondary source, set "
         "apart below."),
        # Cherkin 2009, pooled on disability against sham and the only result against usual
        # care, is set aside from pain alone: said, not counted as if set aside from all.
        "4 trials set aside from at least one outcome (see",
        ("Cherkin et al. (2009) from pain intensity only, as it is used for back-specific disability: 2 report a "
         "difference favouring acupuncture (1 of them not statistically significant, p = 0.06)"),
        "5 trials set aside from at least one outcome (see",
        # Against usual care, Meng 2003 and Molsberger 2002 favour acupuncture added to usual
        # care or conventional therapy: counted with the two favouring acupuncture alone.
        ("Cherkin et al. (2009) from pain intensity only, as it is used for back-specific disability: 4 report a "
         "difference favouring an acupuncture arm (1 of them statistically significant in only 1 of its 2 results; "
         "2 of them with acupuncture added to the comparator\u2019s care"),
    ]) == []
    for gone in ("4 of 5 reviews", "so is not counted on acupuncture", "more than the 5 trials of this comparison",
                 "against any other comparator.", "6 have every one wholly", "over both outcomes",
                 "not shown statistically significant", "these data hold", "5 of 5 reviews", "4 of 4 reviews",
                 "2 of 2 reviews", "every result of each"):
        assert gone not in report.html, gone
    # No count of reviews finding a difference (vote counting, Cochrane Handbook 12.2).
    assert not re.search(r"\d+ (?:of the \d+ )?reviews? finds? (?:a|no) difference", " ".join(report.html.split()))
    assert "of 7 reviews that give a confidence interval, 7 have every one wholly on acupuncture" in " ".join(
        report.html.split())


def test_one_test_of_several_arms_together_is_not_said_of_one_of_them(report):
    # Cherkin 2009's abstract gives one "P < .001" for its three needling groups,
    # simulated acupuncture among them, against usual care (contrasts.csv rows 13, 15 and
    # 17, one quote entered per arm). Read as acupuncture against usual care it became
    # "favouring acupuncture (p < 0.001; 319 participants)", indiv 157 + uc 161 plus one:
    # the test is of all four arms, 157 + 158 + 162 + 161 = 638 randomised (arms.csv).
    assert report.missing([
        ("Cherkin et al. (2009) reports one p < 0.001 for its acupuncture and sham acupuncture arms together "
         "against usual care, not a test of any one of them against it (638 participants in 4 arms)"),
    ]) == []
    assert "319 participants" not in report.html
    # Up to a colon too: "Cherkin et al. (2009) from pain intensity only, ...: 2 report a
    # difference" heads the tally that then counts it apart.
    assert not re.search(r"Cherkin et al\. \(2009\)[^.;:]* report a difference favouring acupuncture", report.html)
    audit = wf.read_rows(report.root / "results" / "report" / "audit.csv")
    (row,) = [r for r in audit if r["study_id"] == "Cherkin2009" and r["analysis"] == "acupuncture_vs_usual_care_pain"
              and r["quantity"].startswith("set-aside trial")]
    assert "no direction of it taken" in row["steps"] and "= 638" in row["steps"]


def test_a_set_aside_trial_s_timepoints_and_secondary_source_are_said_as_for_other_trials(report):
    # The Hegu trial's disability rows (contrasts.csv rows 28 to 30): p < 0.001 at weeks 8
    # and 48, given as "each p < 0.001" with no timepoint. Molsberger's one "3 months
    # follow-up" (rows 24 and 25) was quoted in the sham bullet and "a timepoint given in
    # words only" in the usual-care one. Kong 2020 and Molsberger are known only from a
    # news summary and a research summary page (studies.csv source_level secondary), as
    # Kwon 2007 is, which the summary says of Kwon alone.
    assert report.missing([
        "reports a difference favouring acupuncture (each p < 0.001 at week 8 and at week 48, 1 of the 3 read in",
        ("Molsberger et al. (presumed 2002) reports a difference favouring acupuncture + conventional therapy at "
         "‘3 months follow-up’, a timepoint in words placed in no time window (p = 0.0001"),
        "p = 0.0001 at ‘3 months follow-up’",
        "Kong et al. (2020) and Molsberger et al. (presumed 2002) are known only from a secondary source.",
        "Molsberger et al. (presumed 2002) is known only from a secondary source.",
    ]) == []
    assert "timepoint given in words only, placed in no time window (p = 0.0001" not in report.html


#: The most words of the example's key messages (its box's Markdown, title included): a
#: box read in half a minute. It had 301 when each comparator was named twice in a
#: treatment's point and the evidence point was said again below the box; the results
#: of reviews left out under a wrong-table warning, said beside their tallies, add 18; the
#: certainty Mu et al. (2020) gives its own result, said beside its tally, 7; and dry
#: needling's result set apart, counted apart from its trials with no usable estimate, 3;
#: and the groups of the flow of studies that count sums ("4 set aside, 2 in words only"), 7;
#: and, in the evidence point, that adverse events were not extracted and which trials'
#: results fall after the last window (Thomas 2006, the Hegu trial), which the Methods and
#: Limitations said and the box did not, 53. The reviews' sizes outcome by outcome (one
#: range over pain and disability gave disability's SMD as pain's low end) were paid for
#: by the outcomes' short labels, "reviews" for "meta-analyses", "until checked" said once
#: and a secondary-source result set apart in the dry needling point's words: 345. Mu
#: 2020's mean difference on the 0 to 10 scale beside the SMD against usual care, 4: 349.
KEY_MESSAGES_WORDS = 350


def test_the_key_messages_stay_short_with_each_caveat_beside_its_result(report):
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    summary = qmd.split("{#sec-summary}", 1)[1].split("{#sec-question}", 1)[0]
    box = summary[summary.index("## What the evidence supports"):]
    box = box[:box.index("\n:::\n")]
    assert len(re.findall(r"\w+", box)) <= KEY_MESSAGES_WORDS, box
    # Shorter by saying less: each caveat still on the line of the result it qualifies.
    lines = box.splitlines()
    point = {x.split(":")[0].strip(" -"): x for x in lines if x.startswith("  - Against ")}
    assert set(point) == {"Against sham, minimal needling or placebo TENS",
                          "Against usual care or guideline-based conventional therapy",
                          "Against no treatment or waiting list"}
    # Carlsson 2001's sparse table; then the reviews' sizes, not a count of their sides
    # (vote counting, Cochrane Handbook 12.2), each number traced in the audit.
    audit = [r for r in wf.read_rows(report.root / "results" / "report" / "audit.csv")
             if "in the key messages" in r["steps"]]
    sham = point["Against sham, minimal needling or placebo TENS"]
    assert ("3 of 4 results are compatible with no difference and 1 rests on very few events (its exact test and "
            "approximate interval disagree); pain SMD ") in sham, sham
    for comp, line in point.items():
        against = comp.removeprefix("Against ")
        assert " reviews" in line and " of 5 meta-analyses have" not in line and "wholly" not in line, line
        (k,) = [int(r["value"]) for r in audit
                if r["quantity"] == f"reviews with confidence intervals against {against}, whose sizes are given (count)"]
        # Outcome by outcome, each range traced to its ends: against sham, pain's SMDs and
        # disability's apart, not one range from pain's lowest to disability's −0.13.
        sizes = [r for r in audit if r["quantity"].startswith(f"reviews against {against} giving ")]
        assert sizes, line
        for size in sizes:
            quoted = re.search(r"printed in the key messages, [^(]*\(\u201c(.*)\u201d\)$", size["steps"]).group(1)
            assert quoted in line, (quoted, line)
            if ", and their range (count)" in size["quantity"]:
                low, high = re.search(r" from (\S+) \(.*?\) to (\S+) \(", size["steps"]).groups()
                assert (low if low == high else f"{low} to {high}") in quoted, (quoted, size["steps"])
        assert f"of {k} reviews" in line or f"({k} reviews" in line, (k, line)
    # Lam 2013 against sham: MD −16.76, −33.33 to −0.19, p = 0.05, named as at the edge of no difference.
    (lam,) = [r for r in audit if r["quantity"].startswith("reviews' results against sham")]
    assert lam["study_id"] == "Lam2013" and "Lam et al., 2013 borderline, p = 0.05" in sham, sham
    assert "2 results left out until checked" in sham
    # Against sham, pain's SMDs and disability's apart: −0.13 is disability's alone.
    assert "pain SMD \u22120.54 to \u22120.33 (3 of 5 reviews;" in sham and ", disability \u22120.13 (1)." in sham, sham
    # Mu et al. (2020), Cochrane, rates its own result low: said beside the sizes that include it.
    usual = point["Against usual care or guideline-based conventional therapy"]
    assert "one rated low certainty by its authors" in usual
    # Its mean difference, on the analysis's 0 to 10 scale, beside the other review's SMD;
    # the results left out said "until checked" once in the box.
    assert "pain SMD \u22121.07, MD \u22121.03 on 0\u201310 (2 reviews;" in usual and usual.endswith("1 result left out)."), usual
    assert box.count("until checked") == 1
    assert "its one result favours it (one trial; nor could participants be blinded here); pain SMD" in point[
        "Against no treatment or waiting list"]
    # Chen 2022, against an unnamed control.
    assert "  - 1 more secondary-source result set apart." in lines
    assert "published meta-analyses\u2019 effect sizes (shown apart; reviews share trials):" in box
    # The evidence point once in the summary: the detail after the box does not repeat it.
    assert summary.count("8 rest on one study (not pooled)") == 1
    assert summary.count("risk of bias not assessed") == 1 and "graded for risk of bias" not in summary


def test_the_summary_gives_each_comparison_of_a_treatment_in_one_place(report):
    # Grouped by what the intervals show, "against sham" was said in five places of
    # acupuncture's list, and Haake 2007 (GERAC) split across two of its points. Each
    # comparator is now one point per treatment, every line of it nested under it.
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    summary = qmd.replace("\u00a0", " ").split("## Question")[0]
    overview = summary.split("Each treatment against the other comparators", 1)[1].split("\n\n")[1]
    treatments = {block.split(":", 1)[0].removeprefix("- "): block for block in re.split(r"\n(?=- )", overview)}
    assert list(treatments) == ["Dry needling", "Acupuncture"], overview
    for name, block in treatments.items():
        lines = block.splitlines()[1:]
        heads = [x.removeprefix("  - ").split(":")[0].split(" (")[0] for x in lines if x.startswith("  - Against ")]
        assert len(heads) == len(set(heads)) >= 2, (name, heads)
        # Every line is a comparator's point, a line nested in one, or the one pointer to
        # what is not counted.
        assert all(x.startswith(("  - Against ", "    - ", "  - No analysis", "  - The only", "  - Not counted"))
                   for x in lines), block
        assert sum(x.startswith("  - Not counted here:") for x in lines) == 1
    acupuncture = treatments["Acupuncture"]
    assert acupuncture.count("Against sham, minimal needling or placebo TENS") == 1
    # Haake 2007's two results, each under the comparator it is against.
    points = re.split(r"\n(?=  - )", acupuncture)
    haake = [p.split(":")[0].strip(" -") for p in points if "Haake et al., 2007" in p]
    assert haake == ["Against sham, minimal needling or placebo TENS",
                     ("Against usual care or guideline-based conventional therapy (participants could not be "
                      "blinded")], haake
    # Pooled first, then single studies, then none.
    order = [x.removeprefix("  - ").split(":")[0].split(" (")[0] for x in points if x.startswith("  - Against ")]
    assert order[0] == "Against sham, minimal needling or placebo TENS" and order[-1] == "Against an unnamed control"


def test_the_summary_gives_each_smd_in_its_instruments_points(report):
    # An SMD read as a size only on an instrument a clinician knows: each pooled or single
    # study SMD with a comparator SD is given in points on its result's line of the
    # summary, as the analysis JSON has it (two results in the example, on disability).
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    summary = " ".join(qmd.replace("\u00a0", " ").split("## Question")[0].split()).replace("\\", "")
    found = 0
    for path in sorted((report.root / "results" / "analyses").glob("*.json")):
        r = json.loads(path.read_text(encoding="utf-8"))
        if not r.get("re_expressed") or r["status"] not in ("pooled", "single_study"):
            continue
        native = r["studies"][0].get("native_difference") or {} if r["status"] == "single_study" else {}
        if native.get("md") is not None:
            # One trial with its own means and SDs: its own mean difference, not the SMD
            # times an SD (test_a_single_trials_own_mean_difference_is_given_in_points).
            found += 1
            continue
        for x in r["re_expressed"]:
            # (The example's SDs are all 1 or more: one decimal, as the report prints them.)
            shown = f"about {f2(x['estimate'], 1)} (95% CI {ci_text(x['ci_lb'], x['ci_ub'], 1)}) on the "
            assert shown in summary, (path.name, shown)
            found += 1
    assert found >= 2
    assert summary.count("points, ") >= 2 and "an approximation." in summary


def test_a_single_trials_own_mean_difference_is_given_in_points(report):
    # Cherkin 2009 against usual care on disability, SMD -0.44: its arms' means and SDs
    # (6.3, SD 5.7, n 158; 8.9, SD 6.0, n 161) on the RMDQ 0-23 give the difference in its
    # final means, -2.6 (metafor escalc MD: vi 0.4292354, 95% CI -3.884 to -1.316),
    # calculated here from means read in two secondary documents, not published by the
    # trial. The summary, the results and the section give it, once each, in place of the
    # SMD times the usual care arm's SD (about -2.7), which is not printed.
    r = json.loads((report.root / "results" / "analyses" / "acupuncture_vs_usual_care_disability.json")
                   .read_text(encoding="utf-8"))
    (s,) = r["studies"]
    (x,) = r["re_expressed"]
    native = s["native_difference"]
    assert native["md"] == pytest.approx(-2.6) and native["md_vi"] == pytest.approx(0.4292353959, rel=1e-9)
    z = 1.959963984540054
    lb, ub = native["md"] - z * native["md_vi"] ** 0.5, native["md"] + z * native["md_vi"] ** 0.5
    own = (f"the difference in final means, calculated here: {f2(native['md'], 1)} points (95% CI "
           f"{ci_text(lb, ub, 1)}) on the Roland-Morris Disability Questionnaire 0\u201323")
    # Beside it, the arms' changes from baseline, which the trial's change rows give.
    where = ("(means read in documents other than the trial\u2019s report); from baseline, the intervention group "
             f"improved by {f2(native['change']['intervention'], 1)} and the comparator group by "
             f"{f2(native['change']['comparator'], 1)} points")
    assert report.missing([
        f"In the instrument\u2019s points, {own} {where}.",
        # (Inside the line, the typesetting binds the last number to its unit.)
        f"{own} in favour of acupuncture {where.removesuffix(' points')}\u00a0points",
        f"In its instrument\u2019s points, {own} {where}.",
    ]) == []
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    # Once per place: the results line gave it twice.
    line = next(x for x in qmd.splitlines() if x.startswith("- Acupuncture vs Usual care") and "(back-specific" in x)
    assert line.count("calculated here") == 1
    assert f"about {f2(x['estimate'], 1)} points (95% CI {ci_text(x['ci_lb'], x['ci_ub'], 1)})" not in qmd
    assert "own mean difference" not in qmd.split("## Appendix")[0]
    # The changes come from rows that give no effect: the audit row quotes their cells.
    (row,) = [r for r in wf.read_rows(report.root / "results" / "report" / "audit.csv")
              if r["quantity"].startswith("difference in a single trial's means, calculated here")]
    assert "changes from baseline read from arm_outcomes.csv row" in row["steps"], row["steps"]
    assert row["steps"].endswith(f"printed improved by {f2(native['change']['intervention'], 1)}, "
                                 f"improved by {f2(native['change']['comparator'], 1)}"), row["steps"]


def test_the_summary_counts_trials_favouring_an_add_on_acupuncture_arm_with_acupunctures(report):
    # Against usual care, 4 of the 5 trials set aside favour an acupuncture arm, 2 of
    # them acupuncture added to the comparator's care (arms.csv: Meng 2003's acu_uc,
    # electroacupuncture + usual care; Molsberger 2002's acu_cot, + conventional therapy).
    assert report.missing([
        # The significance first: after the two add-on trials, "1 of them" read as one of those.
        ("4 report a difference favouring an acupuncture arm (1 of them statistically significant in only 1 of its 2 "
         "results; 2 of them with acupuncture added to the comparator\u2019s care: electroacupuncture + usual care "
         "in Meng et al. (2003) and acupuncture + conventional therapy in Molsberger et al. (presumed 2002))"),
    ]) == []
    # (Against sham, "2 report a difference favouring acupuncture" stands: no add-on arm.)
    assert "disability: 2 report a difference favouring acupuncture (1 of them statistically" not in report.html


def test_the_summary_box_says_harms_and_results_after_the_last_window_are_not_covered(report):
    # The Methods and Limitations said adverse events were not extracted; the table of
    # trials set aside, that Thomas 2006 (weeks 52 and 104) and the Hegu trial (week 48)
    # were outside the window. The box says both, the last window's end from the config.
    import yaml

    config = yaml.safe_load((report.root / "config" / "config.yaml").read_text(encoding="utf-8"))
    last = f"{max(float(w['max_weeks']) for w in config['windows'].values()):g}"
    assert report.missing([
        ("how the studies were found: not a systematic search; adverse events (harms) not extracted; 1 trial reports "
         f"results only after the last window ends (week {last}) and enters no analysis (Thomas et al., 2006, at 52 "
         f"and 104 weeks); 1 more trial\u2019s results after week {last} are set aside too (Hegu acupuncture trial, "
         "presumed Yun et al. 2012, at 48 weeks)."),
        "Adverse events (harms) were not extracted",
    ]) == []


def test_the_responders_and_global_improvement_sections_say_what_counted_as_an_event(report):
    # Haake 2007's responder (>=33% pain or >=12% function) and Carlsson 2001's observer
    # rating, as instruments.csv gives them (label, then notes, the sign typed as >=).
    with open(report.root / "data" / "raw" / "instruments.csv", encoding="utf-8", newline="") as f:
        rows = {r["instrument"]: r for r in csv.DictReader(f)}
    gerac, observer = rows["GERAC_responder"], rows["observer_global_improved"]
    assert report.missing([
        ("What counted as an event in each trial, as the table of instruments (instruments.csv) describes the "
         "instrument of its rows:"),
        "Haake et al. (2007): " + gerac["label"].replace(">=", "\u2265"),
        observer["label"],
        "Binary: patient rated improved (yes/no) by an independent observer (Carlsson 2001).",
    ]) == []
    assert report.html.count("Response = \u226533% improvement on 3 pain items") == 2


def test_a_trial_without_a_total_randomised_gives_its_result_rows_in_the_table_of_characteristics(report):
    # Chen 2022 and Liu & Park 2021: no n_randomised (studies.csv) nor arm sizes
    # (arms.csv); the analyses split their result row's n_total (contrasts.csv).
    with open(report.root / "data" / "raw" / "contrasts.csv", encoding="utf-8", newline="") as f:
        totals = {r["study_id"]: r["n_total"] for r in csv.DictReader(f) if r["study_id"] in ("Chen2022", "LiuPark2021")}
    assert report.missing([f"{float(totals['Chen2022']):g}, the total of its result row",
                           f"{float(totals['LiuPark2021']):g}, the total of its result row"]) == []


def test_a_point_on_trials_set_aside_reads_as_sentences_of_each_trial(report):
    # Rajfur 2024's "authors unverified" five times in one point (studies.csv label);
    # "Hegu acupuncture trial ..." opening sentences with no article; Cho 2013 among "4
    # trials" set aside against sham but not described (contrasts.csv rows 34 and 35:
    # P < 0.05, which group not said); "a value of" trials every value of which is rated
    # low (Mahmoudzadeh's 4 rows, the Hegu trial's 3 on disability).
    summary = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").split("## Question")[0]
    # Dry needling's point against sham: its outcomes, then its trials set aside.
    dn = summary.split("\n- Dry needling:\n", 1)[1].split("\n- ", 1)[0]
    point = dn.split("  - Against sham, minimal needling or placebo TENS:\n", 1)[1].split("\n  - ", 1)[0]
    assert point.replace("\u00a0", " ").startswith(
        "    - Pain intensity and back-specific disability: no usable study.\n    - 2 trials set aside"), dn
    # The summary counts the trials set aside and names none of them; the Results say each.
    assert point.count("authors unverified") == 0 and "2 trials set aside" in flat(point), point
    assert report.missing([
        ("Cho et al. (2013) reports a statistically significant difference without saying which group it favours."),
        "Every value of Mahmoudzadeh et al. (2016) was extracted with low confidence, as the raw rows rate them.",
        "Every value of the Hegu acupuncture trial (presumed Yun et al. 2012) was extracted with low confidence",
        ". The Hegu acupuncture trial (presumed Yun et al. 2012) reports a difference favouring acupuncture",
    ]) == []
    assert not re.search(r"(^|\. )Hegu acupuncture trial", summary, re.MULTILINE)
    assert "A value of Mahmoudzadeh" not in report.html


def test_the_audit_labels_a_set_aside_trial_s_reported_effect_as_one(report):
    # Kong 2020's row held "estimate = -2.09, ci_lb = -4.27, ci_ub = 0.09" under the label
    # "set-aside trial's reported direction (no effect size)"; Thomas 2006's its MDs at 52
    # and 104 weeks.
    audit = wf.read_rows(report.root / "results" / "report" / "audit.csv")
    rows = {r["study_id"]: r for r in audit if r["quantity"].startswith("set-aside trial")
            and r["analysis"] in ("acupuncture_vs_sham_pain", "acupuncture_vs_usual_care_pain")}
    assert {k: rows[k]["quantity"] for k in ("Kong2020", "Thomas2006", "Molsberger2002")} == {
        "Kong2020": "set-aside trial's reported result (not used as an effect)",
        "Thomas2006": "set-aside trial's reported result (not used as an effect)",
        "Molsberger2002": "set-aside trial's reported direction (no effect size)"}
    assert "an effect with its interval, not used: its instrument off the common scale" in rows["Kong2020"]["steps"]
    assert rows["Thomas2006"]["steps"].count("an effect with its interval, not used: outside the time window") == 2
    # Each addend of a participants' count beside its own row: "arms.csv row 21 and
    # arms.csv row 22: n_analysed 24 + n_analysed 23" read as row 22 holding 24.
    import re

    summed = [r["steps"] for r in audit if r["quantity"].startswith("set-aside trial") and " + " in r["steps"]]
    assert summed and not any(re.search(r"row \d+ and \S+ row \d+: \w+ \d+ \+", x) for x in summed), summed
    addend = re.compile(r"participants ((?:\S+ row \d+ \w+ \d+(?: \+ )?)+) = (\d+)")
    sums = [m for x in summed for m in addend.finditer(x)]
    assert sums and all(sum(int(t.rsplit(" ", 1)[1]) for t in m[1].split(" + ")) == int(m[2]) for m in sums), sums


def _config_strings(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _config_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _config_strings(v)]
    return []


def test_the_references_list_each_document_a_row_cites_with_its_links_in_both_outputs(report):
    # The record's reference list: each document of sources.csv that a row of another
    # table cites, by its id and row, its DOI a link in the HTML; one no row cites is
    # named as not listed; the methods' works the text cites, with their DOIs.
    from urllib.parse import quote

    from metareview.fmt import typeset
    from metareview.report.references import methods_references, uncited_in_list

    raw = report.root / "data" / "raw"
    sources = wf.read_rows(raw / "sources.csv")
    tables = {f.stem: wf.read_rows(f) for f in sorted(raw.glob("*.csv")) if f.name != "sources.csv"}
    cited = {r.get("source_id") for rows in tables.values() for r in rows}
    listed = [r for r in sources if r["source_id"] in cited]
    assert listed and len(listed) < len(sources), "the example has a document no row cites"
    assert report.missing([f"({r['source_id']}, sources.csv row " for r in listed]) == []
    assert report.missing([f"Not listed: {r['source_id']}, which no row cites" for r in sources
                           if r["source_id"] not in cited]) == []
    source = report.html_source
    refs = source[source.index('id="sec-references"'):source.index('id="sec-evidence"')]
    for r in listed:
        for doi in re.findall(r"(?i)doi:\s*(10\.\d{4,9}/[^\s;]+)", r["doi_or_pmid"]):
            assert f'href="https://doi.org/{quote(doi, safe="/")}"' in refs, doi
        for pmid in re.findall(r"PMID (\d+)", r["doi_or_pmid"]):
            assert f'href="https://pubmed.ncbi.nlm.nih.gov/{pmid}/"' in refs, pmid
    # No link but to a web address.
    assert not re.findall(r'href="(?!https?://|#)', refs)
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    body = qmd[:qmd.index("## References {#sec-references}")] + qmd[qmd.index("## Appendix: every reported"):]
    # The review's own text (raw cells, the config's strings: an MID's source) may cite.
    config = wf.load_config(report.root)
    data = [v for rows in [*tables.values(), sources] for r in rows for v in r.values() if v]
    data += [json.dumps(config, ensure_ascii=False), *_config_strings(config)]
    assert uncited_in_list(body, data) == []
    # Only the report's own text cites a method, not a study's label or a quote.
    cited_methods = methods_references(body, data)
    # The methods' own: the floored scale factor, the small-study test, Bucher's method.
    firsts = {r.citation.split(" (")[0] for r in cited_methods}
    assert {"Knapp G, Hartung J", "Bucher HC, Guyatt GH, Griffith LE, Walter SD"} <= firsts
    assert any(x.startswith("Sterne JAC") for x in firsts)
    assert report.missing([typeset(r.citation) for r in cited_methods]) == []
    assert report.missing([f"doi:{r.doi}" for r in cited_methods if r.doi]) == []


def test_the_abbreviations_quoted_sources_use_are_defined_in_both_outputs(report):
    # Hu 2018's words, quoted in the summary: "... suggested that DN was more effective
    # than acupuncture ...". The summary defines DN, as the example's config declares it.
    config = wf.load_config(report.root)
    assert config["report"]["abbreviations"]["DN"] == "dry needling"
    assert report.missing(["that DN was more effective than acupuncture", "; DN, dry needling;"]) == []
    abbreviations = report.html[report.html.index("Abbreviations and terms: "):]
    # Each declared one the report prints, and only those: a table's instrument (ODI in
    # "ODI_0_100") as much as a quote's words.
    printed = report.html.replace(abbreviations.split(". ", 1)[0], "")
    for name, meaning in config["report"]["abbreviations"].items():
        used = re.search(rf"(?<![^\W_]){re.escape(name)}s?(?![^\W_])", printed) is not None
        assert (f"{name}, {meaning}" in abbreviations) == used, name
    assert "ODI, Oswestry Disability Index" in abbreviations


def test_the_report_lists_the_heterogeneity_terms_the_methods_use_in_its_abbreviations(report):
    # The methods print "τ² by restricted maximum likelihood" and "Q-profile interval for
    # τ² and I²", a pooled section "I² = 0.0%; Q = 0.15": the report's list, in a section
    # of its own after the limitations, says what each means, in both outputs; the
    # summary's list gives only what the summary prints.
    glossary = report.html[report.html.index("Abbreviations and terms: "):].split(". ", 1)[0]
    for term in ("τ², tau-squared", "I², the share of the variation between studies’ results",
                 "Q, Cochran’s Q", "prediction interval, where the true effect of a new study"):
        assert term in glossary, term
    source = report.html_source
    assert source.index('id="sec-limitations"') < source.index("Abbreviations and terms: ") < source.index(
        'id="sec-provenance"')
    summary = source[source.index("What the evidence supports"):source.index('id="sec-question"')]
    assert "tau-squared" not in summary and 'href="#sec-abbreviations"' in summary
    assert 'href="#sec-abbreviations"' in source[source.index('<nav id="TOC"'):source.index("</nav>")]
    assert report.missing(["I², the share of the variation between studies’ results beyond what chance would give",
                           "prediction interval, where the true effect of a new study like these is expected to lie"]) == []


def test_the_blog_posts_emphasis_is_set_in_italics_in_both_outputs(report):
    # The post typed "Both work — but *how* and *for whom* matters.": claims.csv keeps
    # its asterisks, verbatim, and the report sets them as the writer meant, in italics,
    # not as characters of the quote.
    with (report.root / "data" / "raw" / "claims.csv").open(encoding="utf-8", newline="") as fh:
        quote = next(r["quote"] for r in csv.DictReader(fh) if r["claim_id"] == "both_work")
    assert "*how* and *for whom*" in quote
    assert re.search(r"but\s+<em>how</em>\s+and\s+<em>for whom</em>\s+matters", report.html_source)
    assert "*how*" not in report.html and "*how*" not in report.pdf
    assert report.missing(["Both work — but how and for whom matters."]) == []
    reader = pypdf.PdfReader(report.root / "build" / "report" / "report.pdf")
    fonts: dict[str, set[str]] = {}
    for page in reader.pages:
        if "for whom" in (page.extract_text() or ""):
            page.extract_text(visitor_text=lambda text, cm, tm, font, size: fonts.setdefault(
                text.strip(), set()).add(str((font or {}).get("/BaseFont", ""))))
    assert fonts.get("how") and all("Italic" in f for f in fonts["how"]), fonts.get("how")
    assert fonts.get("for whom") and all("Italic" in f for f in fonts["for whom"]), fonts.get("for whom")


# The parts of the report that start on a page of their own in the PDF (raw Typst page
# breaks in reports/report.qmd): the HTML has no pages and shows nothing of them. The
# landscape pages after the methods start with the table of analyses, and the evidence
# table follows it on its page (see the test below).
PAGE_STARTS = ["Results", "Appendix: every reported result", "Appendix: audit trail"]


def test_the_long_parts_start_a_page_in_the_pdf_and_leave_no_trace_in_the_html(report):
    # A page's text starts with the running header (the title) where the template has one.
    title = flat(front_matter(report.root / "results" / "report" / "report.qmd")["title"])
    tops = [page.removeprefix(title).lstrip() for page in report.pdf_pages]
    for heading in PAGE_STARTS:
        assert any(top.startswith(heading) for top in tops), f"no page starts with {heading!r}"
        assert heading in report.html
    assert any(top.startswith("Table 1: The analyses this review defines") for top in tops)
    assert "pagebreak" not in report.html_source


def test_every_forest_plot_fits_the_pdfs_text_width(report):
    # Typst scales a figure wider than the text down, its 9-point labels with it.
    template = (report.root / "reports" / "render" / "template.typst").read_text(encoding="utf-8")
    margin_cm = float(re.search(r"page-margin = \(x: ([0-9.]+)cm", template).group(1))
    text_width = (21.0 - 2 * margin_cm) / 2.54 * 72
    figures = sorted((report.root / "results" / "report" / "figures").glob("*.forest.svg"))
    assert figures
    widths = {svg.name: float(re.search(r'<svg [^>]*\bwidth="([0-9.]+)pt"', svg.read_text(encoding="utf-8"))[1])
              for svg in figures}
    assert all(width <= text_width + 1e-3 for width in widths.values()), widths


def test_no_table_is_wider_than_its_pages_line(report):
    # Pandoc scales a pipe table's dashes to the text width: a table whose columns add
    # up to more than a line holds is shrunk as a whole, and its one-word columns end
    # up narrower than their words ("sec-" / "ondary" in the table of studies). The
    # report's raw Typst blocks turn pages to landscape and back; a table follows them.
    from metareview.markdown import TABLE_BUDGET
    from metareview.report import APPENDIX_TABLE_BUDGET

    lines = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").splitlines()
    budget, over = TABLE_BUDGET, []
    for line, below in itertools.pairwise(lines):
        flip = re.match(r"#set page\(flipped: (true|false)\)", line)
        if flip:
            budget = APPENDIX_TABLE_BUDGET if flip[1] == "true" else TABLE_BUDGET
        elif line.startswith("|") and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", below.strip()):
            widths = [len(cell.strip()) for cell in below.strip().strip("|").split("|")]
            # Rounding the shares may add a character a column.
            if sum(widths) > budget + len(widths):
                over.append((line[:60], sum(widths), budget))
    assert over == []
    assert not re.search(r"sec-\s+ondary", report.pdf)


def test_no_text_runs_past_a_pages_foot_margin(report):
    # A table cell taller than the room left on a page was kept whole and ran over the
    # page number (a landscape page of the audit trail).
    template = (report.root / "reports" / "render" / "template.typst").read_text(encoding="utf-8")
    foot_cm = float(re.search(r"page-margin = \(.*bottom: ([0-9.]+)cm", template).group(1))
    reader = pypdf.PdfReader(report.root / "build" / "report" / "report.pdf")
    low = []
    for number, page in enumerate(reader.pages, start=1):
        baselines: list[float] = []

        def visit(text, cm, tm, _font, _size, baselines=baselines):
            # The page number, centred in the foot margin, is the only text there.
            if text.strip() and not re.fullmatch(r"\d+ / \d+", text.strip()):
                baselines.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

        page.extract_text(visitor_text=visit)
        # A descender may reach a little into the margin; a line of text may not.
        if baselines and min(baselines) < foot_cm / 2.54 * 72 - 6:
            low.append((number, round(min(baselines))))
    assert low == []


def _landscape(page) -> bool:
    return float(page.mediabox.width) > float(page.mediabox.height)


def test_no_page_is_left_mostly_empty_but_where_the_template_starts_a_page(report):
    # A forest plot a line too tall for the room left below its analysis's text moved to
    # the next page and left this one less than a third full. A page may end early only
    # where the template starts a new one: before a change of orientation, before a long
    # part that starts a page of its own (PAGE_STARTS), and at the end.
    template = (report.root / "reports" / "render" / "template.typst").read_text(encoding="utf-8")
    top_cm = float(re.search(r"page-margin = \(.*top: ([0-9.]+)cm", template).group(1))
    foot_cm = float(re.search(r"page-margin = \(.*bottom: ([0-9.]+)cm", template).group(1))
    title = flat(front_matter(report.root / "results" / "report" / "report.qmd")["title"])
    tops = [page.removeprefix(title).lstrip() for page in report.pdf_pages]
    pages = pypdf.PdfReader(report.root / "build" / "report" / "report.pdf").pages
    sparse = []
    for number, (page, following) in enumerate(itertools.pairwise(pages), start=1):
        if _landscape(page) != _landscape(following) or tops[number].startswith(tuple(PAGE_STARTS)):
            continue
        baselines: list[float] = []

        def visit(text, cm, tm, _font, _size, baselines=baselines):
            if text.strip() and not re.fullmatch(r"\d+ / \d+", text.strip()):
                baselines.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

        page.extract_text(visitor_text=visit)
        height = float(page.mediabox.height)
        # The share of the text area's height above the lowest line of text.
        filled = (height - top_cm / 2.54 * 72 - min(baselines)) / (height - (top_cm + foot_cm) / 2.54 * 72)
        if filled < 0.4:
            sparse.append((number, round(filled, 2)))
    assert sparse == []


def test_the_listing_tables_the_template_sets_compactly_are_the_reports_and_stay_readable(report):
    # The template sets the listings (published meta-analyses, statements, appendices)
    # in smaller type and tighter rows, naming them by their labels: a label renamed in
    # the report would leave its table as any other, with no error.
    template = (report.root / "reports" / "render" / "template.typst").read_text(encoding="utf-8")
    listed = re.search(r"#let listing-tables = \((.*?)\)\n", template, flags=re.DOTALL)
    labels = re.findall(r"<(tbl-[a-z-]+)>", listed.group(1))
    assert {"tbl-audit", "tbl-audit-counts", "tbl-evidence"} <= set(labels)
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    assert [label for label in labels if "{#" + label + "}" not in qmd] == []
    # No text of the landscape pages, where the listings are, under 8 pt (but code, whose
    # monospaced letters are larger for their size).
    small = set()
    for number, page in enumerate(pypdf.PdfReader(report.root / "build" / "report" / "report.pdf").pages, start=1):
        if not _landscape(page):
            continue

        def visit(text, cm, tm, font, size, number=number):
            if text.strip() and "Mono" not in str((font or {}).get("/BaseFont", "")) and size * tm[3] * cm[3] < 7.995:
                small.add((number, text.strip()[:20], round(size * tm[3] * cm[3], 2)))

        page.extract_text(visitor_text=visit)
    assert sorted(small)[:5] == []


def test_the_table_of_analyses_is_set_whole_on_a_landscape_page(report):
    # Its seven columns on a portrait page made rows four lines high, and its last two
    # rows filled a page of their own before the landscape table of studies; in seven
    # columns on a landscape page it filled that page alone.
    pages = pypdf.PdfReader(report.root / "build" / "report" / "report.pdf").pages
    title = flat(front_matter(report.root / "results" / "report" / "report.qmd")["title"])
    on = [n for n, text in enumerate(report.pdf_pages) if "The analyses this review defines" in text]
    assert len(on) == 1
    assert _landscape(pages[on[0]])
    # Its rows end on that page, which it opens, and the evidence table's section starts
    # below them.
    page = report.pdf_pages[on[0]]
    assert page.removeprefix(title).lstrip().startswith("Table 1: The analyses this review defines")
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    rows = qmd.split("| Analysis | Comparison |")[1].split("{#tbl-analyses}")[0]
    ids = re.findall(r"^\| `([a-z0-9_]+)` \|", rows, flags=re.MULTILINE)
    assert len(ids) > 10 and ids[-1] in page.replace(" ", "")
    assert page.index("Evidence table") > page.index("The analyses this review defines")


def test_the_html_is_self_contained(report):
    assert 'src="http' not in report.html_source
    assert '<link href="http' not in report.html_source
    external = [r for r in report.resources if not r[2].startswith(("data:", "#"))]
    assert external == [], "resources the page would fetch or read from disk"
    assert "url(http" not in report.html_source


class _Structure(HTMLParser):
    """What a reader's software finds in a page: its headings, ids, links, images,
    tables and the elements that name them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.headings: list[tuple[int, str]] = []  # (level, text)
        self.ids: list[str] = []
        self.texts: dict[str, str] = {}  # id -> text inside the element
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.images: list[dict[str, str | None]] = []
        self.figcaptions: list[str] = []
        self.tables: list[dict[str, str | None]] = []
        self.regions: list[dict[str, str | None]] = []
        self.notes: list[dict[str, str | None]] = []
        self.header_cells: list[dict[str, str | None]] = []
        self._open: list[list] = []  # [tag, id, text] of elements whose text is collected

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "img":
            self.images.append(a)
        elif tag == "table":
            self.tables.append(a)
        elif tag == "div" and a.get("role") == "region":
            self.regions.append(a)
        elif tag == "div" and a.get("role") == "note":
            self.notes.append(a)
        elif tag == "th":
            self.header_cells.append(a)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "a", "figcaption") or (tag in ("div", "span") and a.get("id")):
            self._open.append([tag, a.get("id"), "", a.get("href")])

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                name, ident, text, href = self._open.pop(i)
                text = flat(text)
                if name[0] == "h" and name[1:].isdigit():
                    self.headings.append((int(name[1]), text))
                elif name == "a" and href is not None:
                    self.links.append((href, text))
                elif name == "figcaption":
                    self.figcaptions.append(text)
                if ident:
                    self.texts[ident] = text
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element[2] += data


@pytest.fixture(scope="module")
def structure(report) -> _Structure:
    parsed = _Structure()
    parsed.feed(report.html_source)
    parsed.close()
    return parsed


def test_the_html_names_its_language_and_its_headings_skip_no_level(report, structure):
    lang = front_matter(report.root / "results" / "report" / "report.qmd")["lang"]
    assert structure.lang == lang
    levels = [level for level, _ in structure.headings]
    # One title (h1), then sections (h2) and their parts (h3): a screen reader's list of
    # headings is the document's outline, and a jump from h2 to h4 would hide a level.
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), structure.headings
    assert all(text for _, text in structure.headings)


def test_every_table_in_the_html_is_named_and_its_header_cells_name_their_columns(structure):
    assert len(structure.tables) > 10
    for table in structure.tables:
        # The caption stands outside the table (it scrolls on its own): the table is
        # named by it through aria-labelledby, which must point at a caption with text.
        label = table.get("aria-labelledby")
        assert label and structure.texts.get(label, "").startswith("Table"), table
    assert structure.header_cells
    assert all(cell.get("scope") == "col" for cell in structure.header_cells)
    # Each sits in a box that scrolls when the table is wider than the column: one a
    # keyboard can reach and scroll, named by the same caption.
    boxes = [r for r in structure.regions if "table-wrapper" in (r.get("class") or "").split()]
    assert [(r.get("aria-labelledby"), r.get("tabindex")) for r in boxes] == [
        (t.get("aria-labelledby"), "0") for t in structure.tables
    ]


def test_every_internal_link_in_the_html_lands_and_every_id_is_unique(structure):
    duplicates = sorted({i for i in structure.ids if structure.ids.count(i) > 1})
    assert duplicates == []
    internal = [href for href, _ in structure.links if href.startswith("#")]
    # The table of contents links every section; cross-references link tables.
    assert len(internal) >= len(structure.headings) - 2
    assert sorted({h for h in internal if h[1:] not in structure.ids}) == []
    # A link's words say where it goes: no "here", no bare number, no empty link.
    vague = [text for _, text in structure.links if len(text) < 4 or text.lower() in ("here", "link", "this")]
    assert vague == []


def test_every_figure_in_the_html_says_what_it_shows(structure):
    assert structure.images and len(structure.images) == len(structure.figcaptions)
    for image, caption in zip(structure.images, structure.figcaptions):
        alt = flat(image.get("alt") or "")
        # What the plot draws (its studies, the pooled estimate or why there is none),
        # not "figure" and not the caption said twice.
        assert alt.startswith("Forest plot of ") and len(alt) > 40, alt
        assert alt not in caption


def test_every_figure_in_the_html_scrolls_in_a_box_named_by_its_caption(structure):
    # At 320 CSS px a forest plot keeps its drawn width and scrolls in its box, as a wide
    # table does: a box the keyboard reaches, named by the figure's caption.
    boxes = [r for r in structure.regions if r.get("class") == "figure-scroll"]
    assert len(boxes) == len(structure.images) == len(structure.figcaptions)
    assert [r.get("tabindex") for r in boxes] == ["0"] * len(boxes)
    assert [structure.texts.get(r.get("aria-labelledby")) for r in boxes] == structure.figcaptions
    assert all(caption.startswith("Figure ") for caption in structure.figcaptions)


def test_every_callout_in_the_html_is_a_note_named_by_its_title(report, structure):
    # A callout's title names its box (a note) and is no heading: "Not pooled" would be
    # listed among the sections once for each analysis.
    # The source gives each callout's title as its first line, a heading.
    source = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    callouts = re.findall(r"^::: \{\.callout-(\w+)\}\n## (.+)$", source, flags=re.MULTILINE)
    titles = [flat(title) for _, title in callouts]
    assert len(titles) == source.count("::: {.callout-") > 0
    # The name says the kind first ("Important: No common comparator"), which sighted
    # readers see in the box's colour and icon; the report's titles do not say it.
    assert not [t for (kind, t) in callouts if t.lower().startswith(kind)]
    names = [structure.texts.get(note.get("aria-labelledby") or "", "") for note in structure.notes]
    assert names == [f"{kind.capitalize()}: {title}" for (kind, _), title in zip(callouts, titles, strict=True)]
    assert "Note: Not pooled" in names
    # The PDF's text says it too (out of sight: its tagged text is what a screen reader reads).
    assert flat(" ".join(report.pdf_pages)).count("Note: Not pooled") == names.count("Note: Not pooled")
    assert not {text for _, text in structure.headings} & set(titles)


def test_the_pdf_is_written_as_pdf_a_and_pdf_ua(report):
    # The template asks for PDF/A-2a (archival) and PDF/UA-1 (accessible): Typst refuses to
    # write a PDF that breaks either (a figure without alternative text, say), so the
    # declaration in the PDF's metadata is a check passed, not a claim.
    reader = pypdf.PdfReader(report.root / "build" / "report" / "report.pdf")
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    assert dict(re.findall(r"<(pdfa?u?aid:\w+)>([^<]*)</", xmp)) == {
        "pdfaid:part": "2", "pdfaid:conformance": "A", "pdfuaid:part": "1"}


def test_neither_output_holds_a_path_of_the_machine_that_built_it(report):
    # A report is shared: the folder it was built in (a user's home, a scratch folder)
    # is nobody else's business and means nothing on another machine.
    reader = pypdf.PdfReader(report.root / "build" / "report" / "report.pdf")
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8") if reader.xmp_metadata else ""
    places = {
        "html": report.html_source,
        "pdf text": " ".join(report.pdf_pages),
        "pdf metadata": " ".join(str(v) for v in (reader.metadata or {}).values()) + xmp,
    }
    root = str(report.root)
    for name, text in places.items():
        assert root not in text, name
        assert re.findall(r"(?<![\w.])/(?:home|tmp|work|Users|root|var)/\S+", text) == [], name


def test_the_pdfs_outline_follows_the_htmls_headings_and_its_links_land(report, structure):
    reader = pypdf.PdfReader(report.root / "build" / "report" / "report.pdf")
    assert reader.trailer["/Root"]["/Lang"] == structure.lang
    assert reader.metadata.title == flat(front_matter(report.root / "results" / "report" / "report.qmd")["title"])

    def entries(outline, depth=2):
        for item in outline:
            if isinstance(item, list):
                yield from entries(item, depth + 1)
            else:
                yield depth, flat(item.title)

    # The bookmarks are the sections and their parts, as the HTML's h2 and h3 (less the
    # HTML's table of contents' own heading), in order and at their levels.
    html = [(level, text) for level, text in structure.headings if level > 1 and text != "Table of contents"]
    assert list(entries(reader.outline)) == html
    names = set(reader.named_destinations)
    links = out = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A")
            # A link out of the report (the References' DOIs and addresses) goes to a web
            # address, never to a file or a script.
            uri = action.get_object().get("/URI") if action is not None else None
            if uri is not None:
                assert re.match(r"https?://[^\s]+$", str(uri)), uri
                out += 1
                continue
            target = action.get_object().get("/D") if action is not None else annot.get("/Dest")
            assert target is not None, annot
            if isinstance(target, str):
                assert target in names, target
            links += 1
    assert links >= len(html) and out


def test_the_pdfs_tags_hold_the_htmls_headings_tables_and_figure_texts(report, structure):
    # The tagged PDF is what a screen reader reads: the same headings at the same levels,
    # each table with its header cells, each figure with its alternative text.
    reader = pypdf.PdfReader(report.root / "build" / "report" / "report.pdf")
    tags: dict[str, int] = {}
    alts: list[str] = []

    def walk(node, depth: int = 0) -> None:
        node = node.get_object()
        if not isinstance(node, pypdf.generic.DictionaryObject) or depth > 60:
            return
        tag = node.get("/S")
        if tag is not None:
            tags[str(tag)] = tags.get(str(tag), 0) + 1
            if tag == "/Figure" and "/Alt" in node:
                alts.append(flat(str(node["/Alt"])))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids] if kids is not None else []:
            walk(kid, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    levels = [level for level, text in structure.headings if text != "Table of contents"]
    for level in set(levels):
        assert tags.get(f"/H{level}") == levels.count(level), level
    assert tags.get("/Table") == len(structure.tables)
    assert tags.get("/TH") == len(structure.header_cells)
    # Every row but a table's header row is a body row, as in the HTML (no <tfoot>): the
    # last two rows of 11 tables were tagged TFoot, footer rows to a screen reader.
    assert "/TFoot" not in tags
    assert alts == [flat(image["alt"]) for image in structure.images]


def test_the_forest_plots_text_is_text_in_the_pdf(report):
    # Typst draws the SVGs' labels as text (in matplotlib's DejaVu Sans), not as outlines:
    # a reader can select, search and copy a study's estimate from a plot, and a screen
    # reader reaches it. Each plot's subtitle, axis label and "Favours" labels (text the
    # report prints nowhere else) are in the PDF's text.
    folder = report.root / "results" / "report"
    shown = re.findall(r"\]\((figures/[^)\s]+\.svg)\)", (folder / "report.qmd").read_text(encoding="utf-8"))
    figures = [folder / name for name in dict.fromkeys(shown)]
    pdf_text = loose(unicodedata.normalize("NFKC", report.pdf))
    missing = []
    for svg in figures:
        source = svg.read_text(encoding="utf-8")
        texts = [html_module.unescape(t) for t in re.findall(
            r'<text [^>]*class="(?:subtitle|axis_label|favours)"[^>]*>([^<]*)</text>', source)]
        missing += [f"{svg.name}: {t}" for t in texts if loose(t) not in pdf_text]
    assert len(figures) > 5 and missing == []


def test_the_pdf_embeds_every_font_it_uses(report):
    reader = pypdf.PdfReader(report.root / "build" / "report" / "report.pdf")
    fonts: dict[str, bool] = {}

    def visit(resources, depth: int = 0) -> None:
        # A page's fonts, and those of the forms it draws (the figures' text).
        if resources is None or depth > 8:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts") or [font]:
                descendant = descendant.get_object()
                descriptor = descendant.get("/FontDescriptor")
                fonts[str(descendant.get("/BaseFont"))] = descriptor is not None and any(
                    key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
        for xobject in (resources.get("/XObject") or {}).values():
            visit(xobject.get_object().get("/Resources"), depth + 1)

    for page in reader.pages:
        visit(page.get("/Resources"))
    # The figures' DejaVu Sans and the text's Libertinus Serif at least, each embedded.
    assert any("DejaVuSans" in name for name in fonts) and any("Libertinus" in name for name in fonts)
    assert all(fonts.values()), fonts


class _Cells(HTMLParser):
    """The text of every table cell (th and td) of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self._cell: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(self._cell)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell += data


@pytest.fixture(scope="module")
def printed(report, tmp_path_factory, chromium) -> pypdf.PdfReader:
    """The built HTML as a browser prints it (its print style sheet), as a PDF."""
    browser = chromium
    out = tmp_path_factory.mktemp("printed") / "printed.pdf"
    html = report.root / "build" / "report" / "report.html"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={out.parent / 'profile'}", f"--print-to-pdf={out}", html.as_uri()],
        check=True, capture_output=True, timeout=300,
    )
    return pypdf.PdfReader(out)


def test_printing_the_html_loses_no_table_text(report, printed):
    # On screen a wide table scrolls in its wrapper; printed, the wrapper clipped it at
    # the paper's edge, and the last columns of the appendices (what was done with each
    # raw row, the conversion steps) were cut off mid-word: a thousand words were
    # missing from the printout. Every word of every cell must be on paper, whole or
    # broken over lines (the browser may break a long token where its column ends).
    cells = _Cells()
    cells.feed(report.html_source)
    words = {w for cell in cells.cells for w in cell.split()}
    assert len(words) > 100
    printed_text = loose(unicodedata.normalize("NFKC", "".join(p.extract_text() or "" for p in printed.pages)))
    missing = sorted(w for w in words if loose(unicodedata.normalize("NFKC", w)) not in printed_text)
    assert missing == []


def test_printing_the_html_turns_the_pages_the_pdf_turns(report, printed):
    # The tables the PDF sets on landscape pages go on landscape paper when the HTML is
    # printed, for the same reason (their columns were a word wide on portrait paper);
    # the forest plots and the text around them stay on portrait pages.
    def caption(label: str) -> str:
        match = re.search(rf'<div id="{label}-caption" class="table-caption">(.*?)</div>', report.html_source, re.DOTALL)
        return loose(re.sub(r"<[^>]+>", "", match.group(1)))

    pages = [(loose(unicodedata.normalize("NFKC", p.extract_text() or "")),
              float(p.mediabox.width) > float(p.mediabox.height)) for p in printed.pages]
    for label in ("tbl-analyses", "tbl-studies", "tbl-external", "tbl-evidence", "tbl-audit"):
        on = [wide for text, wide in pages if caption(label) in text]
        assert on == [True], label
    figure = loose(flat(re.sub(r"<[^>]+>", "", re.search(r"<figcaption>(.*?)</figcaption>", report.html_source, re.DOTALL)[1])))
    assert [wide for text, wide in pages if figure in text] == [False]
    assert not pages[0][1]


# --------------------------------------------------------------------------- augmented build


@pytest.fixture(scope="module")
def augmented(built_repo, report, tmp_path_factory) -> tuple[Report, dict]:
    """The built tree with a hostile seed-study label and three made-up trials, rebuilt."""
    root = wf.copy_built(built_repo.root, tmp_path_factory.mktemp("augmented") / "repo")
    config = wf.load_config(root)
    raw = root / config["raw_dir"]
    seed = {
        r["study_id"]
        for r in wf.read_rows(raw / "studies.csv")
        if r["source_id"] == SEED_SOURCE
    }
    shown = [
        s["study_id"]
        for r in report.results("analyses")
        for s in r["studies"]
        if s["study_id"] in seed
    ]
    assert shown, "no seed-post study appears in an analysis"
    old = wf.edit_row(raw / "studies.csv", {"study_id": shown[0]}, {"label": HOSTILE_LABEL})
    target = wf.trial_analysis(config)
    wf.add_trial(root, "Zzsynthetic2030a", "Synthetic trial A (2030)", target, means=(3.0, 4.2))
    wf.add_trial(root, "Zzsynthetic2030b", "Synthetic trial B (2030)", target, means=(3.4, 4.0))
    wf.add_trial(root, "Zzsynthetic2030c", "Synthetic trial C (2030)", target, means=(3.1, 4.1))
    run = wf.run_snakemake(root)
    assert run.returncode == 0, run.output[-6000:]
    return Report(root), {"study_id": shown[0], "old_label": old["label"], "analysis": target["id"]}


def test_a_hostile_label_is_printed_as_text_in_both_outputs(augmented):
    rebuilt, _ = augmented
    assert rebuilt.missing([HOSTILE_LABEL]) == []


def test_a_hostile_label_adds_no_script_to_the_html(augmented, report):
    rebuilt, _ = augmented
    assert not any("alert(1)" in s for s in rebuilt.scripts)
    assert len(rebuilt.scripts) == len(report.scripts)
    assert "<script>alert(1)" not in rebuilt.html_source


def test_a_hostile_label_leaves_the_pdf_page_size_alone(augmented, report):
    rebuilt, _ = augmented
    # A4 portrait, the table of studies in landscape, portrait again, the published
    # meta-analyses and statements in words in landscape, then portrait again, and the
    # appendices in landscape (the template's own settings); the same in a build whose
    # labels hold "#set page(...)".
    portrait = report.page_sizes[0]
    landscape = (*portrait[:2], portrait[3], portrait[2])  # mediabox: x0, y0, x1, y1
    for pdf in (report, rebuilt):
        runs = [size for i, size in enumerate(pdf.page_sizes) if i == 0 or pdf.page_sizes[i - 1] != size]
        assert runs == [portrait, landscape, portrait, landscape, portrait, landscape]


def test_a_pooled_estimate_is_printed_as_the_report_formats_it(augmented):
    rebuilt, change = augmented
    analyses = rebuilt.results("analyses")
    result = next(r for r in analyses if r["analysis"]["id"] == change["analysis"])
    assert result["status"] == "pooled"
    p = result["pooled"]
    assert p["estimate"] < 0, "the made-up trials favour the intervention"
    studies, pooled = number_needles(analyses)
    assert rebuilt.missing(studies + pooled) == []
    text = f"{f2(p['estimate'])} ({p['level']:g}% CI {ci_text(p['ci_lb'], p['ci_ub'])}"
    assert text.startswith("\u2212")
    # Never a hyphen-minus in place of U+2212.
    assert text.replace("\u2212", "-") not in rebuilt.html + rebuilt.pdf


def test_the_sums_of_an_added_pooled_analysis_are_traced_too(augmented):
    rebuilt, change = augmented
    result = next(r for r in rebuilt.results("analyses") if r["analysis"]["id"] == change["analysis"])
    # Its plot prints totals only where every pooled study gives both arm sizes.
    known = all(s["n1"] is not None and s["n2"] is not None for s in result["studies"])
    printed = {a for a, q, _ in printed_sums(rebuilt.root) if q.startswith("participants,")}
    assert (change["analysis"] in printed) == known
    assert untraced_sums(rebuilt.root) == []


def test_a_pooled_analysis_of_four_says_what_leaving_one_out_shows(augmented):
    rebuilt, change = augmented
    result = next(r for r in rebuilt.results("analyses") if r["analysis"]["id"] == change["analysis"])
    p = result["pooled"]
    assert p["k"] == len(p["leave1out"]) >= 4 and p["regtest"] is None
    low = min(x["estimate"] for x in p["leave1out"])
    high = max(x["estimate"] for x in p["leave1out"])
    html = " ".join(rebuilt.html.split())
    assert f"Leaving out one study at a time, the pooled MD ranges from {f2(low)}, when " in html
    assert f", to {f2(high)}, when " in html
    assert "Small-study effects are not tested:" in " ".join(rebuilt.pdf.split())


def test_no_apostrophe_or_closing_quote_after_a_bracket_prints_as_an_opening_quote(report):
    # pandoc writes U+2019 as "'" for Typst to curl, and Typst guessed an opening quote
    # after ")": "(discharge at 3 weeks)‘," in the PDF for "...weeks)’," in the Markdown.
    assert ")\u2019" in report.pdf
    assert ")\u2018" not in report.pdf and "]\u2018" not in report.pdf


def test_no_treatment_is_named_with_a_capital_mid_sentence(report):
    # "favours Acupuncture" beside "favours acupuncture": a label inside a sentence reads
    # in lower case throughout the text, an acronym as written ("placebo TENS").
    from metareview.fmt import in_sentence

    labels = [n["label"] for n in wf.load_config(report.root)["nodes"].values()]
    capitalised = [x for x in labels if in_sentence(x) != x]
    assert capitalised, "no label starts with a capital: nothing to check"
    lead_ins = ["favours", "favour", "favouring", "in favour of", "on the side of", "lies wholly on",
                "favourable to", "per 1,000 with", "compared with", "through"]
    found = [
        f"{where}: {lead} {label}"
        for where, text in (("html", report.html), ("pdf", report.pdf))
        for lead in lead_ins
        for label in capitalised
        if re.search(rf"\b{re.escape(lead)} {re.escape(label)}\b", text)
    ]
    assert found == []
    # The lower-case form is there: the check above looked at text that names treatments.
    assert any(f"favours {in_sentence(x)}" in report.html for x in capitalised)


def test_the_blogs_cochrane_md_is_read_one_way_and_the_trial_excluding_it_is_in_the_summary_once(report):
    # The blog's "Cochrane 2023 −2.3": read on the 0 to 10 scale in the claims table, as
    # claims.csv's note argues (a d of 0.71 beside it implies an SD of about 3.2), and "not
    # on the common scale" in the results, neither naming the other; the summary then said
    # no claim could be checked, hiding that Brinkhaus 2006's interval (MD −0.51, −1.39 to
    # 0.37, contrasts.csv row 6 on 0-100 mm) excludes the claimed −2.30.
    qmd = " ".join((report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").split())
    summary = qmd.split("{#sec-summary}", 1)[1].split("{#sec-question}", 1)[0]
    # Said once, in the claim's line under its verdict, with the caveat that the claim
    # names no scale (claims.csv's note: "The post names no scale; read as 0 to 10"); a
    # sentence before the list said it again, without the caveat.
    # One trial's interval against a pooled claim: given for reference, not said to exclude it.
    assert ("2.8)\u201d: the cited evidence cannot be verified; one trial cannot check the claimed \u22122.30 points, "
            "read on the 0 to 10 scale, which the claim does not name; the one usable trial\u2019s interval (Brinkhaus "
            "et al., 2006: MD \u22120.51, 95% CI \u22121.39 to 0.37) is given for reference.") in summary
    claims_part = summary.split("Claims of", 1)[1]
    assert claims_part.count("Brinkhaus") == 1 and claims_part.count("\u22120.51") == 1
    assert "no claim can be settled by these data, so none is supported by them. - 6 not checkable" in summary
    # Yang 2021 (contrasts.csv row 104) prints MD -2.60 (-3.89 to -1.31) on a scale it does
    # not state, and the results hold it off the common scale: the summary does not read
    # it on the claim's 0 to 10 scale, which the claims table never did either.
    assert "Yang et al. (2021), prints" not in summary
    assert "Yang" not in summary.split("Claims of", 1)[1]
    # Each claim with its reason in one clause, the broadest ("both work") first; the
    # full reason stays in the claims table.
    assert ("- 6 not checkable from the data: - \u201cBoth dry needling and acupuncture reduce chronic low back "
            "pain\u201d: on pain intensity, for acupuncture, a single trial favours it against no treatment or waiting "
            "list and is compatible with no difference against sham, minimal needling or placebo TENS; for dry "
            "needling, no usable trial against a named sham or control (Liu \\& Park, 2021, against a control its "
            "source does not name, cannot show whether dry needling works). - "
            "\u201c63% of patients") in summary
    assert ("\u201cAcupuncture responders were 2.3 times more likely when baseline GAD-7 was 10 or more\u201d: no "
            "study in the data reports this subgroup, and the cited evidence is not identified.") in summary
    assert "Lam et al. (2013), prints" not in summary
    assert "no claim can be checked" not in summary
    assert ("Cochrane review cited by the blog post (2023, unidentified): MD \u22122.30 (95% CI \u22122.80 to \u22121.90), "
            "1,872 participants. Rated by its raw row as extracted with low confidence; instrument range not stated, so "
            "not placed on the common scale here; the claims table reads the claim that cites it as points on the 0 to "
            "10 scale") in qmd
    assert ("The claimed \u22122.30 is read as points on the 0 to 10 scale, as every claimed mean difference is, "
            "though the cited source does not name its scale (so the Results give its number as printed, not on "
            "that scale): only one usable trial here gives a mean difference of the two") in qmd


def test_the_both_work_claim_names_the_same_kinds_of_evidence_for_each_treatment(report):
    # Its reason named acupuncture's trials and reviews, and of dry needling only "no usable
    # study", leaving out the Rajfur trials against sham (set aside), Hu 2018's statements
    # and the two reviews against other treatments.
    claims = json.loads((report.root / "results" / "claims" / "claims.json").read_text(encoding="utf-8"))
    reason = next(c["reason"] for c in claims if c["claim_id"] == "both_work")
    acupuncture, dry_needling = reason.split(". Dry needling: ")
    for part in (acupuncture, dry_needling):
        for kind in ("; trials set aside", "; statements in words, which settle no claim here: ",
                     ("; published meta-analyses against a comparator no analysis here has, which cannot check the "
                      "claim: ")):
            assert kind in part, (kind, part)
    assert "Rajfur et al. (2022) and Rajfur et al. (2024)" in dry_needling
    assert "Hu et al. (2018) and Mart\u00edn-Corrales et al. (2020)" in dry_needling
    assert "Liu et al. (2018) against other treatments (mixed)" in dry_needling
    assert "Skelly et al. (2020), AHRQ, against mixed control comparators" in acupuncture
    # Kong 2020 (contrasts.csv: MD -2.09, 95% CI -4.27 to 0.09 on the PROMIS T-score) and
    # Thomas 2006 (MD 5.6 and 8.0 with intervals at 12 and 24 months) reported effects: not
    # among the trials with no effect size to show.
    assert ("; trials set aside with no effect size to show: Cherkin et al. (2009), Cho et al. (2013), Hegu "
            "acupuncture trial (presumed Yun et al. 2012) and Molsberger et al. (presumed 2002); trials set aside "
            "though they reported an effect with its interval, which cannot enter the analysis: Kong et al. (2020) "
            "(its instrument off the common scale) and Thomas et al. (2006) (outside the time window) (see the table "
            "of trials set aside)") in acupuncture, acupuncture
    assert "; trials set aside, so no effect size to show: Rajfur et al. (2022) and Rajfur et al. (2024)" in dry_needling


def test_the_reviews_against_sham_are_not_said_to_differ_from_an_imprecise_trial(report):
    # Brinkhaus 2006, MD -0.51 (-1.39 to 0.37) on 0 to 10 (contrasts.csv row 6, 0-100 mm),
    # the one trial used against sham, beside reviews of SMDs from -0.54 to -0.33: an
    # interval that includes no difference does not contradict them. Re-expressed with
    # the trial's minimal acupuncture arm SD (31.0 mm, arm_outcomes.csv row 5: 3.1 points),
    # the SMDs are about -1.7 to -1.0 points, their intervals overlapping the trial's.
    qmd = " ".join((report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").split())
    summary = qmd.split("{#sec-summary}", 1)[1].split("{#sec-question}", 1)[0]
    assert "published reviews and the trials here differ" not in summary
    # The summary in short: the reviews' sizes, the trial's, each outcome's reasons (on pain,
    # SMDs beside an MD, in its points with the trial's comparator SD; on disability, a pooled interval
    # too wide to tell; Manheimer 2005's 7 trials are no more than the 11 of the comparison
    # in these data, so not a reason), and where the rest is. Lee 2023's intervals, wholly on
    # acupuncture's side, count among the 5; on disability it is the one review.
    # A line under the comparator's point, after its results and published reviews.
    sham = summary.index("- Against sham, minimal needling or placebo TENS: - Pain intensity, short term: MD")
    assert sham < summary.index("- On pain intensity, short term, 5 reviews") < summary.index("- Against usual care", sham)
    # The reviews' sizes beside the trial's, never a count of reviews finding a difference
    # (vote counting, Cochrane Handbook 12.2); Lam 2013 named at the edge of no difference.
    assert ("- On pain intensity, short term, 5 reviews with confidence intervals, which share trials: the SMDs of 3 "
            "of the 5 range from \u22120.54 to \u22120.33, and Lam et al. (2013) is at the edge of no difference (MD "
            "\u221216.76, 95% CI \u221233.33 to \u22120.19, p = 0.05); the one trial used here (MD \u22120.51, 95% CI "
            "\u22121.39 to 0.37 points on the 0 to 10 scale) is compatible with both a difference of that size and "
            "none, not evidence of no difference; in this analysis\u2019s points, with the SD of the changes, 3.1 "
            "points, in the minimal acupuncture arm of Brinkhaus et al. (2006), the reviews\u2019 SMDs are about \u22121.7 to "
            "\u22121.0 points (their intervals within \u22122.3 to \u22120.5), a rough conversion (an SD of changes "
            "from one arm of one trial, where Cochrane Handbook 15.5.3.2 uses an SD of the measure itself). On "
            "back-specific disability, short term, 1 review with a confidence interval: its SMD is \u22120.13; the 2 "
            "trials pooled here (SMD 0.15, 95% CI \u22121.18 to 1.48) are compatible with both a difference of that "
            "size and none, not evidence of no difference; they can differ because the interval here is too "
            "wide to tell the review\u2019s difference from none (see [Published meta-analyses](#sec-external)).") in summary
    assert not re.search(r"\d+ (?:of the \d+ )?reviews? finds? (?:a|no) difference", summary)
    # Each outcome its own reasons: on disability Lee et al. (2023)'s SMD is on the
    # analysis's scale, inside the pooled interval; a different scale is no reason to differ.
    assert "can differ because no review" not in summary
    assert "pooled more trials than these data have" not in summary
    assert "\u22121.39 to 0.37 points on the 0 to 10 scale) that includes no difference" not in summary
    # In full in Published meta-analyses, which the summary links to.
    external = qmd.split("{#sec-external}", 1)[1].split("{#sec-narrative}", 1)[0]
    assert ("Against sham, minimal needling or placebo TENS, published reviews find a difference that the trials used "
            "here do not show, though an interval that includes no difference is no evidence of none. On pain "
            "intensity, short term, 5 reviews with confidence intervals, which share trials: the SMDs of 3 of the 5 "
            "range from \u22120.54 to \u22120.33, and Lam et al. (2013) is at the edge of no difference (MD "
            "\u221216.76, 95% CI \u221233.33 to \u22120.19, p = 0.05); the one trial used here has an interval (MD "
            "\u22120.51, 95% CI \u22121.39 to 0.37 points on the 0 to 10 scale) that includes no difference;") in external
    assert not re.search(r"\d+ (?:of the \d+ )?reviews? finds? (?:a|no) difference", external)
    # The reviews' SMDs in the trial's points, each with its interval, and the source of
    # the SD; the reviews with no SMD to re-express are counted, not set beside it.
    # A rough conversion, said so: an SD of changes from one arm of one trial, where the
    # Handbook re-expresses with one of the measure itself; no overlap of intervals said
    # as a comparison, overlap being no test.
    assert ("no review\u2019s result is on this analysis\u2019s measure and scale, but roughly re-expressed in its "
            "points with the SD of the changes, 3.1 points, in the minimal acupuncture arm of Brinkhaus et al. (2006) "
            "(Cochrane Handbook 15.5.3.2 re-expresses with a typical SD of the measure itself; this is the SD of the "
            "changes from baseline in one arm of one trial, and each review standardised by its own trials\u2019 "
            "SDs)") in external
    assert ("Manheimer et al., 2005: SMD \u22120.54, 95% CI \u22120.73 to \u22120.35, about \u22121.7 points, "
            "\u22122.3 to \u22121.1); the other 2 reviews have no SMD with an interval to re-express, and no result "
            "on this analysis\u2019s scale.") in external
    assert "overlap the one here" not in summary
    assert "so the intervals cannot be set side by side." not in external
    assert "cannot be compared in size" not in summary
    # The audit trail traces each re-expressed SMD to the review's row and the arm's.
    audit = (report.root / "results" / "report" / "audit.csv").read_text(encoding="utf-8")
    (row,) = [x for x in audit.splitlines() if x.startswith(
        "acupuncture_vs_sham_pain,published SMD in this analysis's points,Manheimer2005,")]
    assert "31 (its sd cell) x 0.1 = 3.1 on the common scale" in row and "\u22121.674 (\u22122.263 to \u22121.085)" in row


def test_the_flow_of_studies_agrees_with_the_raw_tables(report):
    # One account of where the studies went, counted from the raw tables as a reader
    # would: documents, studies by design, and trials used or not, which the summary's
    # line of counts and the Limitations' candidates are parts of.
    config = wf.load_config(report.root)
    raw = report.root / config["raw_dir"]
    studies = wf.read_rows(raw / "studies.csv")
    sources = wf.read_rows(raw / "sources.csv")
    trials = {r["study_id"] for r in studies if r["design"] in ("rct", "crossover_rct")}
    reviews = {r["study_id"] for r in studies if r["design"] in ("meta_analysis", "ipd_meta_analysis")}
    used = {s["study_id"] for r in report.results("analyses") for s in r["studies"]}
    aside = {e["study_id"] for r in report.results("analyses") for e in r["excluded"]} - used
    stated = {r["study_id"] for r in wf.read_rows(raw / "statements.csv")}
    qmd = " ".join((report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8").split())
    flow = qmd.split("{#sec-flow}", 1)[1].split("{#tbl-flow}", 1)[0]
    assert f"| Documents read | {len(sources)} |" in flow
    assert f"| Studies | {len(studies)} |" in flow
    assert f"| Trials | {len(trials)} |" in flow
    assert f"| Published meta-analyses | {len(reviews)} |" in flow
    assert f"| used in an analysis | {len(used & trials)} |" in flow
    # Meng 2003, set aside for its change scores, has an SMD of its own, printed beside
    # its analysis: not a trial with no usable effect size, and the row says so.
    own = {e["study_id"] for r in report.results("analyses") for e in r["excluded"] if e.get("own_effect")} - used
    assert own == {"Meng2003"}
    assert (f"| set aside for their numbers ({len(aside) - len(own)} with no usable effect size; {len(own)} with an "
            f"effect that cannot be pooled with the analysis\u2019s: change scores in an SMD of final values) | "
            f"{len(aside)} |") in flow
    assert "the trials that give no estimate an analysis pools are those set aside" in qmd
    # Kerr 2003, Martín-Corrales 2020 and Pérez-Palomares 2010: of the analyses'
    # comparisons, known from their words alone.
    words = {"ClinJPain2003", "MartinCorrales2020", "PerezPalomares2010"}
    assert words <= stated and not words & (used | aside)
    assert f"| result reported in words only | {len(words)} |" in flow
    # The five groups hold every trial.
    groups = [int(n) for n in re.findall(r"\| (?:used in an analysis|set aside for their numbers \([^)]*"
                                         r"no usable effect size[^)]*\)|result reported in words only|no result rows entered|results no analysis "
                                         r"takes up|outside the analysed comparisons) "
                                         r"\| (\d+) \|", flow)]
    assert sum(groups) == len(trials), groups
    # The summary's count line and the key results say the same.
    keys = json.loads((report.root / "results" / "report" / "key_results.json").read_text(encoding="utf-8"))
    assert sorted(keys["unused_trial_groups"]) == sorted(trials - used)
    assert {g for g in keys["unused_trial_groups"].values()} <= {"aside", "words", "empty", "others", "outside"}


def test_the_summary_counts_studies_and_the_participants_of_the_analyses(report):
    # One line of counts in the summary, from the raw tables and the analyses' study
    # sizes: each arm once, a trial without arm sizes named.
    config = wf.load_config(report.root)
    raw = report.root / config["raw_dir"]
    studies = wf.read_rows(raw / "studies.csv")
    designs = Counter(r["design"] for r in studies)
    trials = designs["rct"] + designs["crossover_rct"]
    reviews = designs["meta_analysis"] + designs["ipd_meta_analysis"]
    analyses = report.results("analyses")
    arms: dict[tuple, float] = {}
    unknown = set()
    for r in analyses:
        for s in r["studies"]:
            for side, n in (("intervention", s["n1"]), ("comparator", s["n2"])):
                if n is None:
                    unknown.add(s["label"])
                    continue
                key = (s["study_id"], tuple(sorted(t["treatment"] for t in s["arm_treatments"][side])))
                arms[key] = max(arms.get(key, 0), n)
    total = round(sum(n for (sid, _), n in arms.items()
                      if not any(s["study_id"] == sid and s["label"] in unknown for r in analyses for s in r["studies"])))
    used = {s["study_id"] for r in analyses for s in r["studies"]}
    line = (f"Studies: {len(studies)}, read in {len(wf.read_rows(raw / 'sources.csv'))} documents: {trials} trials "
            f"({designs['rct']} RCTs and {designs['crossover_rct']} crossover RCT), {reviews} published meta-analyses "
            f"({designs['ipd_meta_analysis']} of them IPD), {designs['guideline']} guideline and {designs['unknown']} "
            f"study of unstated design. In the analyses: {len(used)} trials, with {total:,} participants")
    assert report.missing([line]) == []


def test_an_external_list_says_once_that_its_smds_are_not_the_analysis_measure(report):
    # "reported as SMD, this analysis uses MD" ended every row of an MD analysis's list
    # of published reviews: said once, above the list, and on no row of it.
    qmd = (report.root / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    head = ("External evidence (published meta-analyses, not pooled with the trials; this analysis uses MD, and the "
            "SMDs below are as the reviews report them):")
    assert head in qmd
    for block in qmd.split(head)[1:]:
        items = block.split("\n\n", 2)[1]
        assert items.startswith("- ") and "reported as SMD, this analysis uses MD" not in items, items
