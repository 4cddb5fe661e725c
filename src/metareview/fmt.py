"""How the report prints numbers and apostrophes: fixed decimals, a true minus sign,
typographic apostrophes.

Shared by the report and by the texts other steps write for it (the claims' reasons),
so that a number reads the same wherever it is printed: ``−0.51`` with U+2212 MINUS
SIGN, as typeset text uses, not the ASCII hyphen; a value that rounds to zero at the
precision shown prints without a sign.
"""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

__all__ = ["BASELINE_REASON", "IN_TEXT", "TIMEPOINT_KINDS", "UNNAMED_LABEL", "apostrophes", "f2", "fixed", "holds_comma", "in_brackets", "in_sentence", "join_list", "join_reasons", "minus", "p_value", "proper_names",
           "reason_order", "rounds_to_zero", "timepoint_reason", "typed", "typeset", "window_span", "with_each"]

#: Wide enough for any float's digits before the point and a report's after it.
_CONTEXT = decimal.Context(prec=400)


def minus(text: str) -> str:
    """A formatted number with its minus as U+2212; "-0.00" is zero at its precision."""
    if text.startswith("-"):
        stripped = text[1:]
        return stripped if float(stripped) == 0 else "\u2212" + stripped
    return text


def p_value(p: float) -> str:
    """A computed p-value as a journal prints it: ``p = 0.034``, ``p < 0.001``.

    One rule for the report's text and its figures, so that a heterogeneity test's p
    reads the same under a forest plot and in the paragraph beside it.
    """
    return "p < 0.001" if p < 0.001 else f"p = {fixed(p, 3)}"


def typed(x: float) -> str:
    """A raw cell's number with the digits it was typed with, never in exponent notation.

    ``f"{x:g}"`` prints the cell ``0.00001`` as ``1e-05``, a form no source prints and a
    reader comparing the report with the raw table or the paper does not recognise. The
    shortest decimal that reads back as ``x`` (Python's ``repr``) is the typed value for
    any cell of up to 15 significant digits; trailing zeros drop, as with ``g``
    (``30.0`` is ``30``). The minus stays ASCII: :func:`minus` typesets it.
    """
    text = format(decimal.Decimal(repr(float(x))).normalize(), "f")
    return "0" if text in ("-0", "0") else text


def fixed(x: float, digits: int = 2) -> str:
    """``x`` with ``digits`` decimals, rounded as the number it stands for.

    A computed bound that is exactly -2.975 on paper is -2.9749999999999996 in binary,
    and Python's (or C's, or R's) rounding of the binary value prints -2.97, where a
    reader recomputing by hand gets -2.98. So the value is first read to 12 significant
    digits, which drops the binary noise (15-17 digits down) and keeps every digit a
    computation here is good for, and that decimal is rounded with ties to even, Python's
    rule for an exact tie: -1.365 prints -1.36 (a spreadsheet, rounding ties away from
    zero, gives -1.37), 0.125 prints 0.12. Values of 1e10 or more, whose 12 digits would
    not reach the decimals, are printed as they are. An ASCII hyphen for the minus (see
    :func:`minus`).
    """
    if not math.isfinite(x) or abs(x) >= 1e10:
        return f"{x:.{digits}f}"
    value = decimal.Decimal(f"{x:.12g}")
    return f"{value.quantize(decimal.Decimal(1).scaleb(-digits), decimal.ROUND_HALF_EVEN, _CONTEXT):f}"


def rounds_to_zero(x: float, digits: int = 2) -> bool:
    """Whether ``x`` prints as zero with ``digits`` decimals (:func:`fixed`), so that the
    words beside a number agree with it ("the same change", not "0.0 points more")."""
    return float(fixed(x, digits)) == 0


def f2(x: float | None, digits: int = 2) -> str:
    """Fixed-decimal number for the report (an en dash for missing); minus as U+2212."""
    return "\u2013" if x is None else minus(fixed(x, digits))


def apostrophes(text: str) -> str:
    """``text`` with its apostrophes as U+2019, the typographic one.

    An apostrophe between two letters (review's, O'Brien), or after a word ending in "s"
    and before a space and a letter (Hedges' g, the arms' means) while no single quote
    is open before it: left straight (and, in the report's Markdown, escaped), it would
    print straight beside the curly ones of the report's own words; U+2019 means nothing
    to Markdown or Typst. Any other single quote (one of a pair quoting words, one beside
    a digit) stays straight.
    """
    if "'" not in text:
        return text
    chars = list(text)
    open_quotes = 0
    for i, ch in enumerate(chars):
        if ch != "'":
            continue
        before = chars[i - 1] if i else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        plural = (before == "s" and after == " " and i + 2 < len(chars) and chars[i + 2].isalpha()
                  and open_quotes % 2 == 0)
        if (before.isalpha() and after.isalpha()) or plural:
            chars[i] = "\u2019"
        else:
            open_quotes += 1
    return "".join(chars)


#: A minus sign typed as a hyphen: before a digit, at the start or after a blank or an
#: opening bracket, "=", ",", ";", ":" or "/" ("-0.51", "[-1.39", "around -2.17"; not
#: the ranges "0-100", "10%-20%" and "18 -65", nor "x-1", "GAD-7" or "1e-05").
HYPHEN_MINUS = re.compile(r"(?:(?<=^)|(?<=[\s(\[=,;:/]))(?<![\d%] )-(?=\d)")


def typeset(text: str) -> str:
    """``text`` with the minus sign (U+2212) and the apostrophes (U+2019, :func:`apostrophes`)
    the report prints: in the HTML as in the PDF (Typst sets a hyphen before a digit as a
    minus itself) and in the figures."""
    return apostrophes(HYPHEN_MINUS.sub("\u2212", text))


#: A range typed with a hyphen between two numbers ("0-100", "0.5-1.5"), standing apart
#: from the words about it: not an id ("VAS_0_100"), a code ("SF-36", "GAD-7"), an exponent
#: ("1e-05"), a minus ("-1-2", "x -1") or a run of numbers ("1-2-3").
_HYPHEN_RANGE = re.compile(r"(?<![\w.\-\u2212])(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)(?![\w.\-])")


def ranges(text: str) -> str:
    """``text`` with its ranges of numbers written with an en dash, as the report writes its
    own ("rescaled to 0\u201310"): an instrument's label as the raw table types it,
    "Visual analogue scale 0-100 mm", as "Visual analogue scale 0\u2013100 mm". Applied where
    a label is printed, not to the raw table, whose cells the audit quotes as typed."""
    return _HYPHEN_RANGE.sub("\\1\u2013\\2", text)


#: Signs a raw cell types in ASCII ("LBP >=6 months", "mean 50 +/- 15"), as the report
#: prints them: the report writes its own with these characters ("\u2265 12 weeks").
_ASCII_SIGNS = (("+/-", "\u00b1"), (">=", "\u2265"), ("<=", "\u2264"))


def description(text: str) -> str:
    """A description typed in a raw cell (a study's population) as the report prints it:
    its ranges with an en dash (:func:`ranges`) and its ASCII signs as the signs they stand
    for, "Elderly (65-81 y), LBP >=6 months, mean 50 +/- 15" as "Elderly (65\u201381 y), LBP
    \u22656 months, mean 50 \u00b1 15". A reader met "\u2265" in one table row and ">=" in
    the next; the raw table keeps its cells as typed."""
    for ascii_sign, sign in _ASCII_SIGNS:
        text = text.replace(ascii_sign, sign)
    return ranges(text)


#: The label of the comparator group a source leaves unnamed (``normalise.UNNAMED``), the
#: one node label the review does not write (:func:`metareview.plan.labels_of`).
UNNAMED_LABEL = "Control not named by the source"

#: Labels that are not names but descriptions, as a sentence words them: a bare "against
#: control not named by the source" lacked its article. "An unnamed control" reads in
#: every place a label stands ("favours", "compared with", "an unnamed control's side").
IN_TEXT = {UNNAMED_LABEL: "an unnamed control"}


def in_sentence(label: str, names: Collection[str] = ()) -> str:
    """A label inside a sentence: "Acupuncture" as "acupuncture", but "TENS", "PENS alone"
    and "McKenzie method" as written, and any label in ``names``; the unnamed control as
    "an unnamed control" (:data:`IN_TEXT`).

    Only a first word in plain sentence case is lowered: a capital after its first letter
    marks an acronym ("TENS") or a name spelt with one ("McKenzie"), and lowering its
    first letter would misspell it ("mcKenzie"). A name in sentence case ("Pilates",
    "Alexander technique") cannot be told from a common word, so the review says which of
    its labels are names: ``names``, the labels of the nodes it marks ``proper_name``
    (:func:`proper_names`), which are kept as written.
    """
    if label in IN_TEXT:
        return IN_TEXT[label]
    if label in names:
        return label
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[1].islower() and not any(c.isupper() for c in first[1:]):
        return label[:1].lower() + label[1:]
    return label


#: A bracketed part of a label, after a space: "Furlan et al. (2005)". Brackets that
#: follow a word directly ("alert(1)", a formula) are not a citation's and are left alone.
_OWN_BRACKETS = re.compile(r"(?<=\S)\s+\(([^()]*)\)")


def in_brackets(label: str) -> str:
    """A study's label as it reads inside the report's own brackets: its own bracketed
    parts set off by commas instead, as a parenthetical citation gives the year ("Furlan
    et al., 2005", APA Publication Manual, 7th ed., 8.11).

    A label carries brackets of its own ("Furlan et al. (2005), Cochrane", "Cochrane
    review cited by the blog post (2023, unidentified)"); inside the report's brackets they
    nested, "(Cochrane review cited by the blog post (2023, unidentified); Furlan et al.
    (2005), Cochrane)", and a reader lost count of which bracket closed what. Every place
    that puts a label inside brackets goes through this, a treatment's or an outcome's
    ("Sham (minimal)", "Pain (VAS)") as much as a study's; a label outside them (a
    heading, a table's cell, a forest plot) keeps its brackets. A comma follows the part
    when more of the label follows it, unless a punctuation mark does already.

    Examples
    --------
    >>> in_brackets("Sham (minimal)")
    'Sham, minimal'
    >>> in_brackets("Furlan et al. (2005), Cochrane")
    'Furlan et al., 2005, Cochrane'
    >>> in_brackets("Cochrane review cited by the blog post (2023, unidentified)")
    'Cochrane review cited by the blog post, 2023, unidentified'
    >>> in_brackets("Hegu acupuncture trial (presumed Yun et al. 2012) pilot")
    'Hegu acupuncture trial, presumed Yun et al. 2012, pilot'
    >>> in_brackets("Furlan et al. (2005) (Cochrane)")
    'Furlan et al., 2005, Cochrane'
    >>> in_brackets("Review M"), in_brackets("f(x) review")
    ('Review M', 'f(x) review')
    """
    def comma(m: re.Match[str]) -> str:
        rest = label[m.end():]
        before = ", "
        # None before another bracketed part, which brings its own: "X (a) (b)" read
        # "X, a,, b".
        after = ("" if not rest or rest[0] in ",;:.)" or _OWN_BRACKETS.match(label, m.end())
                 else "," if rest[0].isspace() else ", ")
        return f"{before}{m.group(1).strip()}{after}"

    return _OWN_BRACKETS.sub(comma, label)


def proper_names(nodes: Mapping[str, Mapping[str, Any]]) -> frozenset[str]:
    """The labels of the nodes (the config's ``nodes``) marked ``proper_name: true``: those
    :func:`in_sentence` keeps as written mid-sentence ("Pilates", "Alexander technique")."""
    return frozenset(str(n["label"]) for n in nodes.values() if isinstance(n, Mapping) and n.get("proper_name"))


def with_each(labels: list[str], preposition: str = "with") -> str:
    """Labels after a preposition ("compared with", "against"), in prose: "a, b and c".

    Where a label holds a comma of its own (:func:`holds_comma`, as :func:`join_list`
    decides) or an "or" or "and" ("sham, minimal needling or placebo TENS", "no treatment
    or waiting list"), the preposition is said again before each label after the first:
    "no treatment or waiting list and with sham, minimal needling or placebo TENS". Bare,
    "against no treatment or waiting list and usual care or guideline-based therapy" can
    be read as three groups or as one of three alternatives. Not :func:`join_list`'s
    semicolons: "compared with no treatment or waiting list; and sham, ..." breaks the
    sentence where the repeated preposition carries it on.

    Parameters
    ----------
    labels
        The labels, in order, as printed.
    preposition
        The word said before the first label by the sentence, and repeated here before
        each later one where needed.

    Examples
    --------
    >>> with_each(["a", "b", "c"])
    'a, b and c'
    >>> with_each(["no treatment or waiting list", "usual care"], "against")
    'no treatment or waiting list and against usual care'
    """
    if len(labels) <= 1:
        return "".join(labels)
    if any(holds_comma(x) or _CONJUNCTION.search(x) for x in labels):
        return f", {preposition} ".join(labels[:-1]) + f" and {preposition} " + labels[-1]
    return ", ".join(labels[:-1]) + " and " + labels[-1]


#: A conjunction inside a label ("no treatment or waiting list"): beside the list's own
#: "and", it leaves the reader to guess which words group.
_CONJUNCTION = re.compile(r"\b(?:or|and)\b")


#: Brackets and quotation marks whose commas cannot be taken for a list's: "usual care
#: (pain: pooled, k = 2)" and "of a narrower population (“adults, 18 to 65”)"
#: are one item each.
_OPENING, _CLOSING = "([{\u201c", ")]}\u201d"


def holds_comma(item: str) -> bool:
    """Whether ``item`` has a comma outside brackets and double quotation marks, one a
    reader of an inline list could take for the list's own ("Rajfur et al. (2024), authors
    unverified"). A backslash-escaped character (Markdown) is text and is skipped."""
    depth, escaped = 0, False
    for ch in item:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth = max(depth - 1, 0)
        elif ch == "," and depth == 0:
            return True
    return False


def join_list(items: Sequence[str], conjunction: str | None = "and", *, markdown: bool = False) -> str:
    """Items as an inline list: "a", "a and b", "a, b and c".

    Where any item holds a comma of its own (:func:`holds_comma`), the items are separated
    by semicolons, with the conjunction after the last: "Griswold et al. (2019), authors
    unverified; and Mahmoudzadeh et al. (2016)" (Chicago Manual of Style, 17th ed., 6.60).
    With commas alone, that list read as three trials, the second "authors unverified and
    Mahmoudzadeh et al. (2016)".

    Parameters
    ----------
    items
        The items, in order, as they are to be printed.
    conjunction
        The word before the last item ("and", "or"); None for a bare series, as a table
        cell lists ("a, b, c", or "a; b, c; d").
    markdown
        The items are Markdown: semicolons are written ``\\;`` (a backslash escape,
        printed as ";"), so that :func:`metareview.report.as_sentences`, which makes each
        clause after "; " a sentence of its own, keeps the list in one.

    Examples
    --------
    >>> join_list(["a", "b", "c"], "or")
    'a, b or c'
    >>> join_list(["Kerr et al. (2003), authors unverified", "Xu et al. (2013)"])
    'Kerr et al. (2003), authors unverified; and Xu et al. (2013)'
    >>> join_list(["Xu et al. (2013)", "Kerr et al. (2003), authors unverified"])
    'Xu et al. (2013) and Kerr et al. (2003), authors unverified'
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    # Of two items, a comma in the second comes after the conjunction and cannot be taken
    # for the list's: "Rajfur et al. (2022) and Rajfur et al. (2024), authors unverified"
    # (a semicolon there, "(2022); and Rajfur", read as a list of three cut short).
    commas = items[:-1] if len(items) == 2 and conjunction else items
    if not any(holds_comma(x) for x in commas):
        sep, last = ", ", (f" {conjunction} " if conjunction else ", ")
    else:
        semicolon = "\\; " if markdown else "; "
        sep, last = semicolon, semicolon + (f"{conjunction} " if conjunction else "")
    return sep.join(items[:-1]) + last + items[-1]


_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")


def reason_order(reason: str) -> tuple[Any, ...]:
    """Sort key that puts reasons in the order of the numbers they hold.

    A trial's rows set aside at 52 and 104 weeks read "timepoint 52 weeks ...; timepoint
    104 weeks ...", in time, not in the character order that puts "104" before "52": the
    numbers in a reason are compared as numbers, the text between them as text (a
    "natural" sort).

    Examples
    --------
    >>> sorted(["timepoint 104 weeks is late", "timepoint 52 weeks is late"], key=reason_order)
    ['timepoint 52 weeks is late', 'timepoint 104 weeks is late']
    """
    parts = _NUMBER.split(reason)
    # Text at even positions, numbers at odd: a tuple of (text, number) pairs compares
    # two reasons of the same wording by their numbers.
    return tuple((parts[i], float(parts[i + 1]) if i + 1 < len(parts) else -1.0) for i in range(0, len(parts), 2))


def join_reasons(reasons: Sequence[str], also: Sequence[str] = ()) -> str:
    """Why something is set aside, as one phrase: the reasons, then once "also," and the
    reasons that would still apply were the first ones lifted.

    "R; also, A; also, B" repeated the connective before each further reason; "also" once
    says the same, as a list reads: "R; also, A; B".

    Parameters
    ----------
    reasons
        The reasons that bind, in the order they are to be read.
    also
        Further reasons (an excluded design's rows that also lack an SD), in order.

    Examples
    --------
    >>> join_reasons(["add-on design"], ["SD missing", "only a p-value reported"])
    'add-on design; also, SD missing; only a p-value reported'
    >>> join_reasons([], ["SD missing"])
    'SD missing'
    """
    if not reasons:
        return "; ".join(also)
    return "; ".join(reasons) + ("; also, " + "; ".join(also) if also else "")


#: Why a row measured at week 0 never gives an effect, whatever the window.
BASELINE_REASON = "baseline (week 0): measured before treatment, not an effect of it"

#: The kinds of timepoint record (:func:`timepoint_reason`): why a row's timepoint keeps
#: it out of an analysis.
TIMEPOINT_KINDS = ("baseline", "outside_window", "other_window", "words_only", "not_reported")


def window_span(window: Mapping[str, Any] | None) -> str:
    """" of 13 to 26 weeks": a window's weeks, for a reason that names it, or "".

    Not in brackets: the reason is printed in brackets after a trial's name ("Thomas et
    al. (2006) (timepoints 52 and 104 weeks are outside the window of 1 to 12 weeks)"),
    where "(1 to 12 weeks))" closed two pairs at once.

    Examples
    --------
    >>> window_span({"min_weeks": 1, "max_weeks": 12})
    ' of 1 to 12 weeks'
    >>> window_span({"min_weeks": None, "max_weeks": 12})
    ''
    """
    if not window or window.get("min_weeks") is None or window.get("max_weeks") is None:
        return ""
    return f" of {float(window['min_weeks']):g} to {float(window['max_weeks']):g} weeks"


def timepoint_reason(timepoint: Mapping[str, Any]) -> str:
    """The words for a timepoint record: why one row, or several rows of a trial, are in
    no analysis of a window.

    The one place these reasons are written. The records are what the steps keep and
    compare (:func:`metareview.extract.timepoint_set_aside` makes one per row,
    :func:`metareview.analysis.merge_timepoint_reasons` merges a trial's): matching the
    sentences instead would break silently on a change of wording.

    Parameters
    ----------
    timepoint
        ``kind`` (one of :data:`TIMEPOINT_KINDS`) and its fields:

        ``baseline``
            none: the row is of week 0.
        ``outside_window``
            ``weeks`` (a list: one row's timepoint, or a trial's several), and the
            window's ``window`` (its name), ``min_weeks`` and ``max_weeks`` (None when
            the config gives none); for timepoints between two windows, in neither,
            ``between``: those windows (:func:`metareview.normalise.window_gap`).
        ``other_window``
            ``labels`` (the source's words for the timepoint) and ``window``: the window
            those words are read as (:func:`metareview.normalise.term_window`).
        ``words_only``
            ``labels``, and ``named``: the duration a label names when it is that and
            nothing else ("week 4"), most likely weeks left out of ``timepoint_weeks``,
            else None.
        ``not_reported``
            none.

    Examples
    --------
    >>> timepoint_reason({"kind": "outside_window", "weeks": [52.0, 104.0], "window": "short_term",
    ...                   "min_weeks": 1, "max_weeks": 12})
    'timepoints 52 and 104 weeks are outside the window of 1 to 12 weeks'
    >>> timepoint_reason({"kind": "words_only", "labels": ["after 1 month"], "named": None})
    'timepoint given only as ‘after 1 month’, not in weeks: placed in no window (fill in timepoint_weeks, or add the words to windows.<w>.terms in the config)'
    >>> timepoint_reason({"kind": "outside_window", "weeks": [12.6], "window": "short_term", "min_weeks": 1,
    ...                   "max_weeks": 12, "between": [{"window": "short_term", "min_weeks": 1, "max_weeks": 12},
    ...                                                {"window": "medium_term", "min_weeks": 13, "max_weeks": 26}]})
    'timepoint 12.6 weeks falls between the windows of 1 to 12 and 13 to 26 weeks: placed in no window (widen one in the config to take it in)'
    """
    kind = timepoint["kind"]
    if kind == "baseline":
        return BASELINE_REASON
    if kind == "not_reported":
        return "timepoint not reported"
    if kind == "outside_window":
        weeks = [f"{float(w):g}" for w in timepoint["weeks"]]
        if timepoint.get("between"):
            # Weeks are not rounded: windows of 1 to 12 and 13 to 26 weeks leave day 88
            # (12.6 weeks) to neither. "Outside the window of 1 to 12 weeks" alone read as
            # if it belonged to the next one. By their weeks: a study's job has no labels.
            earlier, later = (f"{float(w['min_weeks']):g} to {float(w['max_weeks']):g}" for w in timepoint["between"])
            said = (f"timepoint {weeks[0]} weeks falls" if len(weeks) == 1
                    else f"timepoints {join_list(weeks)} weeks fall")
            # What to do about it, briefly: the team reading the reason can widen a window.
            return (f"{said} between the windows of {earlier} and {later} weeks: placed in no window (widen one "
                    "in the config to take it in)")
        if len(weeks) == 1:
            return f"timepoint {weeks[0]} weeks is outside the window{window_span(timepoint)}"
        return f"timepoints {join_list(weeks)} weeks are outside the window{window_span(timepoint)}"
    if kind not in ("other_window", "words_only"):
        raise ValueError(f"unknown timepoint kind {kind!r}: expected one of {', '.join(TIMEPOINT_KINDS)}")
    quoted = join_list([f"\u2018{label}\u2019" for label in timepoint["labels"]])
    several = "timepoints" if len(timepoint["labels"]) > 1 else "timepoint"
    if kind == "other_window":
        return f"{several} given as {quoted}, which this review reads as another window"
    # Words only. A label that is a duration and nothing else ("week 4", "6 months") is
    # most likely a timepoint_weeks cell left empty: say what to enter, but do not guess it.
    named = timepoint.get("named")
    # Else what would place it: its weeks, or its words made a window's terms.
    hint = (f" (the label names {named}: if that counts from randomisation, enter the weeks in "
            "timepoint_weeks)" if named else
            " (fill in timepoint_weeks, or add the words to windows.<w>.terms in the config)")
    return f"{several} given only as {quoted}, not in weeks: placed in no window{hint}"


# Why a row is set aside where the review's settings decide it, in a reader's words: the
# tables of trials set aside are read by clinicians, to whom "imputation off in config"
# says nothing. Each is the setting's off state; the appendix of every reported result
# names the setting after it (with_settings), for the team that would change it. Here,
# not in metareview.extract, for the report step to import without the effects' code.
NO_SD_IMPUTATION = "the review does not impute missing SDs"
NO_SE_IMPUTATION = "the review does not impute an SE from an exact p-value"
NO_MEDIAN_TO_MEAN = "the review does not estimate a mean from a median"
NO_EQUAL_SPLIT = "the review does not split a total equally between the arms"
SETTINGS: tuple[tuple[str, str], ...] = (
    (NO_SD_IMPUTATION, "effects.impute_missing_sd"),
    (NO_SE_IMPUTATION, "effects.impute_missing_sd"),
    (NO_MEDIAN_TO_MEAN, "effects.median_to_mean"),
    (NO_EQUAL_SPLIT, "effects.assume_equal_arms_from_total"),
)


#: A flag's pointer to the raw rows whose notes say why it was raised (:mod:`metareview.extract`
#: writes "...: see the notes of arm_outcomes.csv:Kwon2007#1, arm_outcomes.csv:Kwon2007#2").
_NOTES_OF = re.compile(r": see the notes of ([a-z_]+\.csv:[A-Za-z][A-Za-z0-9_-]*#\d+"
                       r"(?:, [a-z_]+\.csv:[A-Za-z][A-Za-z0-9_-]*#\d+)*)$")


def notes_in_words(flag: str) -> str:
    """``flag`` with its pointer to raw rows' notes said in words, for a reader's table or
    figure: the file and row numbers are the audit trail's, which traces every study
    effect to its rows (and keeps the flag as written).

    >>> notes_in_words("rated by its raw row as extracted with low confidence: see the notes of "
    ...                "arm_outcomes.csv:Kwon2007#1, arm_outcomes.csv:Kwon2007#2")
    'rated by its raw row as extracted with low confidence; the notes of its raw rows, which the audit trail names, say why'
    >>> notes_in_words("arm sizes assumed equal")
    'arm sizes assumed equal'
    """
    m = _NOTES_OF.search(flag)
    if m is None:
        return flag
    rows = "row" if ", " not in m[1] else "rows"
    return f"{flag[:m.start()]}; the notes of its raw {rows}, which the audit trail names, say why"


#: The words of :func:`metareview.extract._reported_interval_flag` for an interval drawn
#: with z from an SE the source's width gave with t: narrower than the source's, which
#: :func:`metareview.report.overview.rebuilt_note` must not call rebuilt "from the width".
NARROWER_BY_T = "the one shown is narrower"

#: Why a trial's row that reports only a p-value is set aside from an analysis
#: (:mod:`metareview.extract`): the report counts the trials set aside for it among the
#: results missing from the analyses (:mod:`metareview.report.unassessed`).
P_ONLY_REASON = "only a p-value reported: no effect size or variance"

#: The flag of an SMD made from a reported mean difference's t statistic
#: (:func:`metareview.extract._smd_from_md`), which the methods' "used by" reads.
SMD_FROM_T_FLAG = "SMD from the mean difference's t statistic (MD / SE), as if from an unadjusted t-test"

#: The flag of an effect whose raw rows a consistency check warns about
#: (:func:`metareview.extract.study_effects`).
WARNED_FLAG = "a consistency warning concerns its raw rows (see the table of consistency warnings)"

#: The start every form of :func:`metareview.extract._reported_interval_flag` shares, with
#: the source's bounds as the flag prints them: read back by :func:`rebuilt_interval`.
_SOURCE_INTERVAL = re.compile(r"the source's [0-9.]+% CI, on this scale, is (\S+) to (\S+)[;,] ")


def rebuilt_interval(flags: Iterable[str]) -> tuple[float, float] | None:
    """The source's own interval, on the analysis scale, of an effect whose interval shown
    was rebuilt around its estimate from the source's width; ``None`` for any other.

    Read from the effect's flag (:func:`metareview.extract._reported_interval_flag`), so
    that wherever the rebuilt interval is printed (the summary, the Results) it can say
    so, from the same flag the study table shows: a reader checking Brinkhaus 2006 against
    its abstract finds -3.00 to -1.39 there, not the -2.98 to -1.36 shown (the variance
    comes from the interval's width: Cochrane Handbook 6.5.2.3).

    >>> rebuilt_interval(["the source's 95% CI, on this scale, is -3.00 to -1.39; the one shown "
    ...                   "is rebuilt around -2.17 from its width (the SE)"])
    (-3.0, -1.39)
    >>> rebuilt_interval(["arm sizes assumed equal (62 + 62 from N = 124)"]) is None
    True
    """
    for flag in flags:
        if m := _SOURCE_INTERVAL.match(str(flag)):
            return float(m[1]), float(m[2])
    return None


def with_settings(reason: str) -> str:
    """``reason`` with the config key named after each of its phrases that a setting
    decides: "no SD reported, and the review does not impute missing SDs
    (effects.impute_missing_sd: false)".

    >>> with_settings("mean missing: a median only, and the review does not estimate a mean from a median")
    'mean missing: a median only, and the review does not estimate a mean from a median (effects.median_to_mean: false)'
    """
    for phrase, key in SETTINGS:
        # Inside a bracket already, the key joins it rather than opening a second.
        def joined(m: re.Match[str], p: str = phrase, k: str = key) -> str:
            return f"{p}; {k}: false)" if m[1] else f"{p} ({k}: false)"

        reason = re.sub(re.escape(phrase) + r"(\)?)", joined, reason)
    return reason


def no_comparator_words(measure: str, other_measures: Sequence[Mapping[str, Any]]) -> str:
    """An indirect comparison's status ``no_common_comparator`` in words: "no common
    comparator", or, where the analyses on another measure share one (``other_measures``,
    as :func:`metareview.indirect.indirect_comparison` gives them), "no common comparator
    on SMD (one exists on MD)". The explanation that follows such a status says a comparison on the other
    measure would be anchored; "no common comparator" alone before it contradicted it,
    and a reader who stopped there missed that the config's choice of measure, not the
    trials, left the question without an answer."""
    on = [m["measure"] for m in other_measures if m.get("common")]
    return f"no common comparator on {measure} (one exists on {join_list(on)})" if on else "no common comparator"
