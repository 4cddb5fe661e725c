"""The trials set aside: each trial that could not be used in an analysis, and why.

A set-aside trial's own result (the direction it reported, its p-values and where they
were read, an exact test where the data allow one) as the summary and the table of
excluded studies print it, and the raw rows it comes from.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from metareview.certainty import join_and
from metareview.distributions import fisher_fragility
from metareview.fmt import P_ONLY_REASON, f2, holds_comma, join_list, p_value, typed
from metareview.fmt import in_sentence as _in_sentence
from metareview.markdown import Markdown, escape
from metareview.normalise import TRIAL_OWN_KINDS, document_words, same_timepoint, set_aside_effect
from metareview.report.base import (
    ReportContext,
    _memo,
    _names,
    _study_docs,
    excludes_no_effect,
    favours_intervention,
    p_text,
    reported_p,
)
from metareview.report.changes import _full_stop
from metareview.report.keys import _ref_text, arm_text

#: How a study's population relates to the review's (``population_fit`` other than
#: ``matches`` and ``unclear``), as the effects it gives say it.
POPULATION_WORDS = {"narrower": "a narrower population than", "broader": "a broader population than",
                    "different": "another population than"}
#: The flag a study effect carries in its analysis's table of study effects where its
#: trial's population is not the review's (``population_fit`` other than ``matches``),
#: or not known to be (``unclear``: the source says too little, or only a source that
#: cannot be trusted on it does). Not judged (empty) is no flag: the team said nothing.
POPULATION_FLAGS = {"narrower": "population narrower than this review\u2019s",
                    "broader": "population broader than this review\u2019s",
                    "different": "population other than this review\u2019s",
                    "unclear": "population unclear: it may not be this review\u2019s"}
#: The ``population_fit`` values whose effects the report qualifies: another population
#: than the review's, or one not known to be its.
QUALIFIED_POPULATION = frozenset(POPULATION_FLAGS)


def population_flag(s: Mapping[str, Any]) -> list[str]:
    """[:data:`POPULATION_FLAGS`'s flag] for a study effect whose trial's population is not
    known to be the review's, else [].

    The table of study effects flagged a secondary source and an identity rated low beside
    each effect, and said nothing of its population: Kwon et al. (2007), of an unclear
    population, sat in the one pooled analysis unmarked, its population said only in the
    table of trial characteristics.
    """
    fit = s.get("population_fit")
    return [POPULATION_FLAGS[fit]] if fit in POPULATION_FLAGS else []


def _set_aside(*results: Mapping[str, Any], ctx: ReportContext | None = None) -> str:
    """"; trial set aside (see @tbl-excluded): Rajfur et al. (2022)" for analyses without a
    usable study whose candidate trials could not be used, or "". The pointer stands before
    the list, as in the summary's "Set aside (see @tbl-excluded): ...". With ``ctx``, which
    way those trials' own reports went follows as a clause of its own
    (:func:`_aside_direction`), its semicolons escaped so that :func:`as_sentences` keeps
    it one sentence.

    "No usable study" alone reads as no trial at all; a reader (and a team that has
    just entered one) needs to know that trials exist and where their reasons are.
    """
    labels = sorted({label for r in results for label in _aside_labels(r)})
    if not labels:
        return ""
    direction = "" if ctx is None else escape(_aside_direction(ctx, results)).replace(";", "\\;")
    return f"; {_trials_set_aside(tuple(labels))}" + (f"; {direction}" if direction else "")


def _with_article(label: str) -> str:
    """A study label whose name is a common noun's ("Hegu acupuncture trial (presumed Yun
    et al. 2012)") with "the" before it, as a sentence needs; any other as it is."""
    head = re.split(r"[(,]", label, maxsplit=1)[0].strip()
    return f"the {label}" if re.search(r"\b(trial|study)$", head, re.IGNORECASE) else label


def _capitalised(sentence: str) -> str:
    """``sentence`` with its first letter a capital ("the Hegu acupuncture trial ..." opening it)."""
    return sentence[:1].upper() + sentence[1:]


def _first_mention(text: str, labels: Iterable[str]) -> Markdown:
    """``text`` (Markdown) with each label that carries a note after a comma ("Rajfur et
    al. (2024), authors unverified") given whole at its first mention only, and after it
    as its name alone ("Rajfur et al. (2024)"), the comma that closed the note with it.

    One point on two trials set aside said "authors unverified" five times of one trial.
    """
    for label in labels:
        name = label.split(",")[0] if holds_comma(label) else label
        first = text.find(label)
        if name == label or first < 0:
            continue
        head, tail = text[:first + len(label)], text[first + len(label):]
        # Its closing comma at the first mention stays; later ones go with the note.
        if tail.startswith(","):
            head, tail = head + ",", tail[1:]
        text = head + tail.replace(label + ",", name).replace(label, name)
    return Markdown(text)


def _aside_labels(r: Mapping[str, Any]) -> tuple[str, ...]:
    """The trials an analysis could not use (its ``excluded``), by label, sorted."""
    return tuple(sorted({e["label"] for e in r.get("excluded") or []}))


def _with_excluded(results: Sequence[Mapping[str, Any]], labels: Collection[str]) -> list[Mapping[str, Any]]:
    """``results`` with only the trials set aside whose labels are ``labels``: those a
    sentence names, not those another window's analysis uses."""
    return [{**r, "excluded": [e for e in r.get("excluded") or [] if e["label"] in labels]} for r in results]


def _aside_any_effect(ctx: ReportContext, results: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a trial ``results`` set aside reports an effect of its analysis's comparison
    with its interval (:func:`metareview.normalise.set_aside_effect`), or has its own
    effect printed beside the analysis: a list of them is then not one "so no effect size
    to show"."""
    docs = _study_docs(ctx)
    return any(e.get("own_effect") or any(set_aside_effect(c, r["analysis"]) is not None
                                          for c in (docs.get(e.get("study_id", "")) or {}).get("contrasts", []))
               for r in results for e in r.get("excluded") or [])


def _then(sentence: str) -> Markdown:
    """A plain-text sentence (or "") after another, escaped: " Both report ..."."""
    return Markdown(f" {escape(sentence)}" if sentence else "")


def _reported_side(ctx: ReportContext, a: Mapping[str, Any], c: Mapping[str, Any]) -> tuple[str, bool | None] | None:
    """Which arm of analysis ``a`` one reported contrast ``c`` (normalised) favours, and
    whether its own test or interval tells the difference from chance: ("comparator",
    True), ("none", None) for a source that reports no difference, or None when the row is
    not of the analysis's two nodes and outcome, or does not say which way it goes.

    The side is that of a p-value-only row's named arm (``favours``), else of the oriented
    estimate (arm1 minus arm2, lower better: negative favours arm1; a ratio or a risk
    difference given as a subtraction by whether the outcome's events are beneficial, as
    :func:`_external_favours` reads it). Clear: the interval excludes no difference, else
    the reported p is below 1 minus the review's level (0.05 at 95%); None when the row
    gives neither.
    """
    if {c.get("node1"), c.get("node2")} != {a["intervention"], a["comparator"]} or c.get("outcome") != a["outcome"]:
        return None
    first, second = (("intervention", "comparator") if c["node1"] == a["intervention"]
                     else ("comparator", "intervention"))
    # At the review's own level, as its intervals are read.
    alpha = 1 - float(ctx.config["methods"].get("level", 95)) / 100
    p, qualifier = c.get("p_value"), c.get("p_qualifier") or "="
    by_p = None if p is None else qualifier != ">" and (float(p) < alpha or (qualifier == "<" and float(p) <= alpha))
    if c["measure"] == "p_only" or (c.get("reported") or {}).get("sign_convention") == "no_difference":
        side = {"arm1": first, "arm2": second, "neither": "none"}.get(c.get("favours") or "")
        if side is None and (c.get("reported") or {}).get("sign_convention") == "no_difference":
            side = "none"
        return None if side is None else (side, None if side == "none" else by_p)
    est = c.get("estimate")
    if est is None:
        return None  # a sign the source leaves open: its direction is not known
    arm1_side = -1.0
    if c["measure"] in ("RR", "OR") or (
            c["measure"] == "RD" and (c.get("reported") or {}).get("sign_convention") in ("arm1_minus_arm2",
                                                                                         "arm2_minus_arm1")):
        events = {x.get("events", "beneficial") for x in ctx.config.get("analyses", [])
                  if x["outcome"] == c["outcome"] and x["measure"] in ("RR", "OR", "RD")}
        if len(events) != 1:
            return None
        arm1_side = 1.0 if events == {"beneficial"} else -1.0
    if est == 0:
        return "none", None
    lb, ub = c.get("ci_lb"), c.get("ci_ub")
    clear = by_p if lb is None or ub is None else not lb <= 0 <= ub
    se = c.get("se")
    if clear is None and se and c["measure"] in ("MD", "SMD", "cohen_d"):
        # A difference with its SE has an interval: Tanaka's MD -1.5 (SE 1.2) was said to
        # come "with no p-value or interval". A normal interval at the review's level, as
        # a study's is drawn (ratios' SEs, on the log scale, are not read here).
        from statistics import NormalDist

        clear = abs(float(est)) > NormalDist().inv_cdf(1 - alpha / 2) * float(se)
    return (first if (est > 0) == (arm1_side > 0) else second), clear


def _aside_reports(ctx: ReportContext, a: Mapping[str, Any], doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What each contrast of a set-aside trial (``doc``, normalised) reports of analysis
    ``a``'s comparison, for :func:`_aside_direction` and its audit row
    (:func:`_aside_audit_row`): one dict per row that says which way it went, with its
    ``ref``, ``side`` and ``clear`` (:func:`_reported_side`), the favoured arm's ``label``,
    ``p`` (value, qualifier), ``n`` (the participants compared) and ``n_from`` (the cells
    that count comes from), ``when`` (None inside the analysis's window, else its weeks or
    its words), ``low`` (rated as extracted with low confidence), ``effect`` (why an
    effect the row reports with its interval cannot enter the analysis, None for a row
    with none: :func:`metareview.normalise.set_aside_effect`) and ``p_only``."""
    arms = {x["arm_id"]: x for x in doc["arms"]}
    kinds = {x["source_id"]: x.get("kind") for x in doc.get("sources") or []}
    found = []
    for c in doc["contrasts"]:
        side = _reported_side(ctx, a, c)
        if side is None:
            continue
        # The favoured arm as the source's arm where the other arm lacks its
        # co-intervention: an add-on's ("electroacupuncture + usual care" against
        # usual care) is not the treatment alone.
        mine, other = ((c["arm1"], c["arm2"]) if (side[0] == "intervention") == (c["node1"] == a["intervention"])
                       else (c["arm2"], c["arm1"]))
        addon = (arms[mine].get("cointervention") or "none") != (arms[other].get("cointervention") or "none")
        label = (arm_text(arms[mine]) if addon and arms[mine].get("cointervention") not in (None, "none")
                 else a[f"{side[0]}_label"] if side[0] != "none" else "")
        one, two = arms[c["arm1"]], arms[c["arm2"]]
        if c.get("n1") and c.get("n2"):
            n, n_from = c["n1"] + c["n2"], f"n1 + n2 = {c['n1']:g} + {c['n2']:g}"
        elif c.get("n_total"):
            n, n_from = c["n_total"], f"n_total = {c['n_total']:g}"
        elif one["n"] and two["n"]:
            n = one["n"] + two["n"]
            # Each addend with its own row: "row 21 and row 22: n_analysed 24 + n_analysed
            # 23" read as row 22 holding 24.
            n_from = (f"{_ref_text(ctx, one['ref'])} {one['n_source']} {one['n']:g} + "
                      f"{_ref_text(ctx, two['ref'])} {two['n_source']} {two['n']:g}")
        elif doc["study"].get("n_randomised"):
            # The Hegu trial: 187 in three arms, each arm's own not given (studies.csv).
            n = doc["study"]["n_randomised"]
            file, row = _row_of(ctx, _study_row_ref(doc["study"]["study_id"]))
            n_from = f"{file} row {row}: " if row else f"{file}: "
            n_from += f"n_randomised {n:g}, all {len(doc['arms'])} arms"
        else:
            n, n_from = None, None
        shared = _shared_test(ctx, doc, c)
        if shared is not None:
            pooled = [arms[x] for x in shared[0]]
            every = (*pooled, arms[shared[1]])
            n, n_from = ((sum(x["n"] for x in every),
                          " + ".join(f"{_ref_text(ctx, x['ref'])} {x['n_source']} {x['n']:g}" for x in every))
                         if all(x["n"] for x in every) else (None, None))
        found.append({
            # One test of several arms of different treatments together against one arm
            # (Cherkin 2009: "P < .001" for its three needling groups, simulated
            # acupuncture among them, against usual care), entered once per arm: the arms
            # pooled, the arm they were tested against and their participants. Not a test
            # of this row's two treatments, so it says no direction of them.
            "shared": None if shared is None else (
                tuple(dict.fromkeys(_in_sentence(arm_text(x), _names(ctx)) for x in pooled)),
                _in_sentence(arm_text(arms[shared[1]]), _names(ctx)), len(pooled) + 1),
            # The document its p-value was read in where that is not the trial's own
            # report (Rajfur 2024's pain p = 0.001, seen only in an extraction sheet):
            # "reports" alone gave it as the trial's.
            "read_in": (None if not c.get("source_id") or kinds.get(c["source_id"], "other") in TRIAL_OWN_KINDS
                        else document_words(kinds.get(c["source_id"]))),
            "ref": c["ref"], "side": side[0], "clear": side[1], "label": _in_sentence(label, _names(ctx)),
            # An add-on arm favoured (the label its arm's): "comparator" where what it adds
            # to is the other arm's treatment (Meng 2003's electroacupuncture + usual care
            # against usual care), "other" where not; the summary's tally counts it with
            # its treatment's, saying it is an add-on (:func:`_aside_tally`).
            "addon": (None if not addon or side[0] == "none" or arms[mine].get("cointervention") in (None, "none")
                      else "comparator" if arms[mine].get("cointervention") == arms[other].get("treatment")
                      else "other"),
            "p": None if c.get("p_value") is None else (float(c["p_value"]), c.get("p_qualifier") or "="),
            "n": n, "n_from": n_from,
            # A whole study's count, not the two arms compared: said with its arms.
            "n_arms": len(doc["arms"]) if n_from and n_from.endswith(" arms") else None,
            # A timepoint outside the analysis's window is said: a trial set aside for
            # its timepoint (Thomas 2006 at 52 weeks) is not evidence of the short term,
            # nor is one whose words place it in no window ("3 months follow-up").
            "when": (None if a["window"] in (c.get("windows") or {})
                     else float(c["timepoint_weeks"]) if c.get("timepoint_weeks") is not None
                     else str(c.get("timepoint_label") or "") or None),
            # As every effect from such a row is flagged: the summary's p-values are
            # numbers a reader takes as read in the source.
            "low": c.get("confidence") == "low",
            # An effect with its interval that cannot enter the analysis, and why
            # (normalise.set_aside_effect); a p-value alone is no effect size.
            "effect": set_aside_effect(c, a), "p_only": c["measure"] == "p_only",
            # Its timepoint, inside the window or not, to go with its p-value when a
            # trial's several are given; a test over all follow-up has none.
            "timepoint": (float(c["timepoint_weeks"]) if c.get("timepoint_weeks") is not None
                          else str(c.get("timepoint_label") or "") or None),
            "over": _over_follow_up(c),
        })
    return found


#: What a set-aside trial's statement in words says when it names no side and no lack of
#: a difference (Martin-Corrales 2020, Cherkin 2009 against sham on pain).
UNDIRECTED_STATEMENT = "a result that does not say how the groups compared"


def _shared_test(ctx: ReportContext, doc: Mapping[str, Any], c: Mapping[str, Any]) -> tuple[list[str], str] | None:
    """The arms whose one test contrast ``c`` (normalised, of study ``doc``) is, and the
    arm they were tested against, when that test pools arms of different treatments:
    (["indiv", "std", "sim"], "uc") for Cherkin 2009's one "P < .001" for its three needling
    groups, simulated acupuncture among them, against usual care; else None.

    The test is read from the raw rows: p-value-only rows of one study, outcome,
    instrument and timepoint with the same p-value, the same arm on one side and the same
    source location and quote, entered once per arm on the other side. Where those arms
    are of one treatment (the Hegu trial's two acupuncture arms) the test is still one of
    that treatment against the arm.
    """
    if c.get("measure") != "p_only" or c.get("p_value") is None:
        return None

    def raw(x: Mapping[str, Any]) -> tuple[Any, ...] | None:
        file, line = ctx.raw_rows.get(x["ref"], (None, None))
        row = None if file is None or line is None else _raw_row(ctx, file.removesuffix(".csv"), line)
        return None if not row or not row.get("quote") else (row.get("location"), row.get("quote"))

    key = ("measure", "outcome", "instrument", "timepoint_weeks", "timepoint_label", "p_value", "p_qualifier",
           "favours")
    source = raw(c)
    if source is None:
        return None
    for kept, pooled in (("arm2", "arm1"), ("arm1", "arm2")):
        alike = [x for x in doc["contrasts"] if x[kept] == c[kept] and all(x.get(k) == c.get(k) for k in key)
                 and raw(x) == source]
        nodes = {x["node1" if pooled == "arm1" else "node2"] for x in alike}
        if len(alike) > 1 and len(nodes) > 1:
            return list(dict.fromkeys(x[pooled] for x in alike)), c[kept]
    return None


def _over_follow_up(c: Mapping[str, Any]) -> bool:
    """Whether a contrast row's p-value is of a group x time interaction over follow-up,
    as its ``timepoint_label`` words it (Griswold 2019: "group x time interaction over
    follow-up (discharge at 3 weeks)"), not of a comparison at one timepoint."""
    return c.get("timepoint_weeks") is None and bool(re.search(r"\binteraction\b", str(c.get("timepoint_label") or ""),
                                                               re.IGNORECASE))


#: The audit trail's quantity for a set-aside trial's report: a side and p-values only, or
#: also an effect with its interval that cannot enter the analysis.
ASIDE_DIRECTION = "set-aside trial's reported direction (no effect size)"
ASIDE_RESULT = "set-aside trial's reported result (not used as an effect)"


def _p_bound(ps: Sequence[tuple[float, str]], upper: bool) -> str:
    """The reported p-values of one trial's results as one: the value itself when they are
    one ("p < 0.001"), else the largest as a bound ("p ≤ 0.04") when ``upper`` (every result
    on one side is at least that sure), or the smallest ("p ≥ 0.26")."""
    if len(set(ps)) == 1:
        p, q = ps[0]
        return f"p {q} {typed(p)}"
    if upper:
        p = max(x for x, _ in ps)
        strict = all(q == "<" for x, q in ps if x == p)
        return f"p {'<' if strict else '≤'} {typed(p)}"
    p = min(x for x, _ in ps)
    strict = all(q == ">" for x, q in ps if x == p)
    return f"p {'>' if strict else '≥'} {typed(p)}"


#: Up to this many p-values of one trial, each is given with its timepoint; more, the
#: least sure of them stands as a bound for all ("each of 5 p-values ≤ 0.04").
ASIDE_P_LISTED = 3


def _p_list(ps: Sequence[tuple[tuple[float, str], float | str | None]], upper: bool, timed: bool = True) -> str:
    """A trial's reported p-values (``((p, qualifier), timepoint)``, weeks or words, or
    "over" for a test over follow-up) as the summary gives them: "p = 0.06"; "p = 0.001
    at week 6 and p = 0.007 at week 9" for up to :data:`ASIDE_P_LISTED` (with no
    timepoint where they share one); "p < 0.001 in each of 4 results" when they are
    alike; else the least sure as a bound, "each of 5 p-values ≤ 0.04" (the largest
    when ``upper``, every result on one side being at least that sure, else the
    smallest, :func:`_p_bound`).

    One "p ≤ 0.007" for Meng 2003's p = 0.001 at week 6 and p = 0.007 at week 9 read as
    one test."""
    values = [p for p, _ in ps]
    times = [w for _, w in ps]

    def at(w: float | str | None) -> str:
        if isinstance(w, float):
            return f" at week {w:g}"
        return f" at \u2018{w}\u2019" if w and w.strip().lower() not in _UNSTATED else " at a timepoint not stated"

    if len(ps) == 1:
        return _p_bound(values, upper)
    if len(set(values)) == 1:
        if timed and None not in times and "over" not in times:
            # The Hegu trial's "each p < 0.001" hid that one of its three was at week 48:
            # alike p-values are given with their timepoints, as unlike ones are.
            when = sorted({w for w in times if isinstance(w, float)}) + list(dict.fromkeys(
                w for w in times if isinstance(w, str)))
            return f"each {_p_bound(values, upper)}" + " and".join(at(w) for w in when)
        return f"{_p_bound(values, upper)} in each of {len(ps)} results"
    if len(ps) > ASIDE_P_LISTED:
        return f"each of {len(ps)} p-values{_p_bound(values, upper)[1:]}"
    dated = len(set(times)) == len(times) and None not in times and "over" not in times

    return join_list([f"p {q} {typed(p)}" + (at(w) if dated else "") for (p, q), w in ps])


def _read_in_note(ps: Sequence[tuple[tuple[float, str], float | str | None, str | None]]) -> str:
    """Where a set-aside trial's p-values (``((p, qualifier), timepoint, document)``, the
    document in words where it is not the trial's own report) were read, when any was
    read elsewhere, or "": "read in an extraction sheet, not in the trial's own report"
    for one; "both ..." or "all ..." for every one; "the second ..." for one of two, and
    "that at week 8 ..." for one of three at their own timepoints (Molsberger 2002's
    "p = 0.02 at week 4 and p = 0.0001 at '3 months follow-up', the second read in ...",
    which named its timepoint twice); else "1 of the 3 ...".

    Rajfur 2024's pain p = 0.001 was seen only in an extraction sheet; "reports" alone
    gave it as the trial's.
    """
    read = [(w, doc) for _, w, doc in ps if doc]
    if not read:
        return ""
    where = f"read in {join_list(list(dict.fromkeys(doc for _, doc in read)))}, not in the trial\u2019s own report"
    if len(ps) == 1:
        return where
    if len(read) == len(ps):
        return f"{'both' if len(ps) == 2 else 'all'} {where}"
    if len(ps) == 2 and len(read) == 1:
        return f"the {'first' if ps[0][2] else 'second'} {where}"
    times = [w for _, w, _ in ps]
    if len(read) == 1 and times.count(read[0][0]) == 1 and read[0][0] not in (None, "over"):
        w = read[0][0]
        return (f"that at week {w:g} " if isinstance(w, float) else f"that at \u2018{w}\u2019 ") + where
    return f"{len(read)} of the {len(ps)} {where}"


#: Timepoint labels that say no timepoint (as metareview.extract reads them).
_UNSTATED = frozenset({"not stated", "not reported", "unknown", "unclear", "n/r", "nr", "not specified"})

#: What a set-aside trial whose rows find no difference found ("Griswold et al. (2019)
#: found no statistically significant difference").
NOT_FOUND = "no statistically significant difference"


def _aside_direction(ctx: ReportContext, results: Sequence[Mapping[str, Any]]) -> str:
    """Which way the reported differences of the trials ``results`` set aside went, and how
    sure, as plain text to be escaped, or "" when no row of theirs says.

    A trial set aside has no effect size to pool, but its own report may still say which
    way its comparison went: a contrast with only a p-value, a side named without a
    subtraction, an estimate outside the window or off the common scale. Listed as "set
    aside" alone, trials that all point one way read as no evidence; the Cochrane Handbook
    (section 12.2.2) recommends summarising the direction of effect where results cannot
    be pooled, with the uncertainty each study reports.

    Parameters
    ----------
    ctx
        The report's context: the trials' normalised contrasts and their populations.
    results
        The analyses whose ``excluded`` trials are described; each trial's contrasts of an
        analysis's two nodes and outcome (either way round, any timepoint) are read with
        :func:`_reported_side`.

    Returns
    -------
    str
        Trials grouped by what their rows show: "Both report a difference favouring dry
        needling (p < 0.001 and p ≤ 0.001; 40 and 30 participants)." One trial's several
        p-values are given as one, the largest as a bound when its results all favour one
        side (the least sure of them), the smallest when none finds a difference; the
        participants are those of the arms compared. The timepoint follows the direction
        when every row lies outside the analysis's window: its weeks, or that it is given
        in words the review places in no window. Then a sentence naming the trials whose
        ``population_fit`` is not the review's, and one naming those with a row extracted
        with low confidence, as every trial effect is flagged.

    Notes
    -----
    Nothing is added up across trials: no effect size is made of a p-value and no count
    of "significant" trials is given, either of which would read as a pooled result (vote
    counting, Cochrane Handbook 12.2.2). A trial whose rows do not say which way they
    went is not said to go any way.
    """
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for r in results:
        groups.setdefault((r["analysis"]["outcome"], r["analysis"]["window"]), []).append(r)
    # Each outcome's trials said of that outcome's rows alone: "Set aside: 4 trials for
    # pain intensity; Kong et al. (2020) for back-specific disability" was followed by
    # Kong's p = 0.06, which is of pain intensity; of disability it states in words only.
    several = len(groups) > 1
    windows = len({w for _, w in groups}) > 1
    sentences = []
    for rs in groups.values():
        a = rs[0]["analysis"]
        trials = _aside_trials(ctx, rs)
        parts = _aside_parts(ctx, rs, trials, named=several)
        lead = ""
        if several:
            when = f", {_in_sentence(a['window_label'].split('(')[0].strip())}" if windows else ""
            lead = f"For {_in_sentence(a['outcome_label'], _names(ctx))}{when}, "
        sentences += [lead + "; ".join(parts) if parts else "", _aside_effects(trials.values())]
    trials = _aside_trials(ctx, results)
    fits: dict[str, list[str]] = {}
    for t in sorted(trials.values(), key=lambda t: t["label"]):
        if t["fit"] in POPULATION_WORDS:
            fits.setdefault(t["fit"], []).append(_with_article(t["label"]))
    said_fits = [f"{join_list(labels)} enrolled {POPULATION_WORDS[fit]} this review\u2019s" for fit, labels in fits.items()]
    # As a trial effect is flagged (Kwon 2007's): Kong 2020 and Molsberger 2002, read in
    # a news summary and a research summary page, were not, when set aside.
    second = [_with_article(t["label"]) for t in sorted(trials.values(), key=lambda t: t["label"]) if t["secondary"]]
    said_second = (f"{join_list(second)}{',' if holds_comma(second[-1]) else ''} "
                   f"{'is' if len(second) == 1 else 'are'} known only from a secondary source" if second else "")
    # "A value of" a trial every value of which is rated low understated it (the Hegu
    # trial's five, Molsberger's three): how many of its values is said.
    low = [t for t in sorted(trials.values(), key=lambda t: t["label"]) if t["low_n"] and t["rows"]]
    whose = []
    for t in low:
        k, n = t["low_n"], len(t["rows"])
        whose.append(("the value" if n == 1 else "every value" if k == n else "a value" if k == 1
                      else f"{k} of the {n} values") + f" of {_with_article(t['label'])}")
    if low and holds_comma(low[-1]["label"]):
        whose[-1] += ","
    one = len(low) == 1 and (len(low[0]["rows"]) == 1 or low[0]["low_n"] in (1, len(low[0]["rows"])))
    said_low = (f"{join_list(whose)} {'was' if one else 'were'} extracted with low confidence, as "
                + ("its raw row rates it" if sum(t["low_n"] for t in low) == 1 else "the raw rows rate them")
                if low else "")
    return " ".join(_capitalised(_full_stop(x)) for x in (*sentences, said_second, "; ".join(said_fits), said_low) if x)


def _aside_trials(ctx: ReportContext, results: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The trials ``results`` set aside, by study id, with what their rows of the
    analyses' comparisons report (:func:`_aside_reports`), for :func:`_aside_direction`:
    ``rows`` by raw row, ``weeks``, ``low``, ``fit``, ``effects`` and ``why``,
    ``p_only``, ``own`` (its own effect printed beside the analysis), ``own_sides``
    (which way each such effect goes: :func:`_own_side`), ``stated`` (the
    findings its statements in words of the comparison and outcome give: "a difference
    favouring acupuncture", "no difference"), ``shared`` (its tests of several arms
    together) and ``shared_sides`` (their rows' side and clearness, by raw row)."""
    docs = _study_docs(ctx)
    trials: dict[str, dict[str, Any]] = {}
    for r in results:
        a = r["analysis"]
        for e in r.get("excluded") or []:
            doc = docs.get(e.get("study_id", ""))
            if doc is None:
                continue
            t = trials.setdefault(e["study_id"], {"label": e["label"], "rows": {}, "weeks": [], "low": False,
                                                  "fit": doc["study"].get("population_fit"), "effects": 0,
                                                  "why": [], "p_only": True, "own": False, "stated": [],
                                                  "timepoints": {}, "over": False, "n_arms": None,
                                                  "shared": {}, "shared_sides": {}, "read_in": {},
                                                  "secondary": doc["study"].get("source_level") == "secondary",
                                                  "identity_low": doc["study"].get("identity_confidence") == "low",
                                                  "undirected": "", "low_n": 0, "addon": {}, "own_sides": []})
            # Meng 2003's own effect from its arms, printed beside the analysis: not a
            # trial of p-values only.
            t["own"] = t["own"] or bool(e.get("own_effect"))
            if e.get("own_effect"):
                t["own_sides"].append(_own_side(ctx, a, e["own_effect"]))
            for x in doc.get("statements") or []:
                if (x.get("outcome") != a["outcome"]
                        or {x.get("node1"), x.get("node2")} != {a["intervention"], a["comparator"]}):
                    continue
                node = {"favours_arm1": x.get("node1"), "favours_arm2": x.get("node2")}.get(x.get("direction") or "")
                what = (f"a difference favouring {_in_sentence(a['intervention_label' if node == a['intervention'] else 'comparator_label'], _names(ctx))}"
                        if node else "no difference" if x.get("direction") == "no_difference"
                        else UNDIRECTED_STATEMENT)
                if what not in t["stated"]:
                    t["stated"].append(what)
            # Cho 2013: "a significant difference ... between the 2 groups (P < 0.05)",
            # which group it favours not said (sign_convention unclear); listed among 4
            # trials set aside, it was then not described.
            alpha = 1 - float(ctx.config["methods"].get("level", 95)) / 100
            for c in doc["contrasts"]:
                if (c.get("measure") == "p_only" and c.get("p_value") is not None and c.get("outcome") == a["outcome"]
                        and {c.get("node1"), c.get("node2")} == {a["intervention"], a["comparator"]}
                        and _reported_side(ctx, a, c) is None):
                    q = c.get("p_qualifier") or "="
                    t["undirected"] = t["undirected"] or (
                        "a statistically significant difference" if q != ">" and float(c["p_value"]) <= alpha
                        and (q == "<" or float(c["p_value"]) < alpha) else "a p-value")
            for x in _aside_reports(ctx, a, doc):
                if x["ref"] in t["rows"]:
                    continue
                if x["shared"] is not None:
                    t["shared"][x["shared"]] = (x["p"], x["n"])
                    # Which way the test of several arms together went, by its rows: the
                    # limitations' count of missing results reads it (Cherkin 2009's
                    # needling arms against usual care, p < 0.001).
                    t["shared_sides"][x["ref"]] = (x["side"], x["clear"])
                    continue
                t["rows"][x["ref"]] = (x["side"], x["clear"], x["label"], x["p"], x["n"])
                if x.get("addon"):
                    t["addon"][x["label"]] = (x["side"], x["addon"])
                t["n_arms"] = t["n_arms"] or x["n_arms"]
                t["timepoints"][x["ref"]] = "over" if x["over"] else x["timepoint"]
                t["read_in"][x["ref"]] = x["read_in"]
                t["weeks"].append(x["when"])
                t["over"] = t["over"] or x["over"]
                t["low"] = t["low"] or x["low"]
                t["low_n"] += x["low"]
                t["p_only"] = t["p_only"] and x["p_only"]
                if x["effect"] is not None:
                    t["effects"] += 1
                    t["why"] += [w for w in x["effect"] if w not in t["why"]]
    return trials


def _own_side(ctx: ReportContext, a: Mapping[str, Any], own: Mapping[str, Any]) -> tuple[str, bool, str]:
    """Which way a set-aside trial's own effect (its ``own_effect``: an SMD of the value
    type the analysis does not use, :func:`metareview.analysis.pool_analysis`) goes, for
    :func:`_aside_tally`: (the favoured arm's label in a sentence, or "" at exactly no
    difference; whether its interval lies wholly on one side of no difference; the value
    type it is of, in words: "changes from baseline")."""
    yi = float(own["yi"])
    side = ("" if yi == 0 else _in_sentence(a["intervention_label" if favours_intervention(a, yi)
                                             else "comparator_label"], _names(ctx)))
    clear = not float(own["ci_lb"]) <= 0 <= float(own["ci_ub"])
    return side, clear, OWN_KINDS.get(own.get("value_type") or "", str(own.get("value_type") or ""))


#: A set-aside trial's own effect's value type in words (:func:`_own_side`), as the
#: Results print it beside the analysis.
OWN_KINDS = {"final": "final values", "change": "changes from baseline"}


def _aside_parts(ctx: ReportContext, results: Sequence[Mapping[str, Any]], trials: Mapping[str, Mapping[str, Any]],
                 named: bool) -> list[str]:
    """The clauses of :func:`_aside_direction` for one outcome's ``results`` and their
    ``trials`` (:func:`_aside_trials`): trials grouped by what their rows show ("Both
    report a difference favouring dry needling (...)"), then each trial whose rows of the
    outcome say nothing but that states a result in words. With ``named``, every group
    names its trials, not "It" or "Both": a sentence of several outcomes' would not say
    which list it means."""
    said: dict[str, list[tuple[str, tuple[str, str] | None, float | str | None, str]]] = {}

    def plist(ps: Sequence[tuple[tuple[float, str], float | str | None]], upper: bool,
              when: str) -> tuple[str, str] | None:
        # A trial's p-values said alone, and among other trials' (no timepoints of alike
        # ones); a timepoint said before them is not said again.
        return (_p_list(ps, upper=upper, timed=not when), _p_list(ps, upper=upper, timed=False)) if ps else None

    # In the order the list before names them (:func:`_aside_labels`).
    for t in sorted(trials.values(), key=lambda t: t["label"]):
        rows = list(t["rows"].values())
        if not rows:
            continue
        favoured = {label for side, _, label, _, _ in rows if side != "none"}
        clear = [c for side, c, *_ in rows if side != "none"]
        ps = [(p, t["timepoints"][ref]) for ref, (side, c, _, p, _) in t["rows"].items() if p is not None]
        n = max((x for *_, x in rows if x), default=None)
        # Rows of one trial with sizes of their own (Thomas 2006: 213 at week 52, 182 at
        # week 104) are each given, in the order of their timepoints: the largest alone
        # belonged to one result, not always the one the words single out.
        sizes = list(dict.fromkeys(x for *_, x in rows if x))
        when = ""
        if t["weeks"] and all(w is not None for w in t["weeks"]):
            # Weeks as numbers; timepoints in words by what they are (the table of trials
            # set aside quotes them): four quoted phrases, one of them "not stated", were
            # read as a list of results. A group x time interaction (Griswold 2019) is of
            # no timepoint: said as what it is.
            over = [ref for ref, w in t["timepoints"].items() if w == "over"]
            kept = [w for ref, w in zip(t["rows"], t["weeks"], strict=True) if ref not in over]
            weeks = sorted({w for w in kept if isinstance(w, float)})
            # A label that states no timepoint (Rajfur 2024's pain, "not stated") is not
            # one given in words.
            labels = {w for w in kept if isinstance(w, str)}
            unstated = {w for w in labels if w.strip().lower() in _UNSTATED}
            words = len(labels - unstated)
            at = (([join_list([f"{w:g}" for w in weeks]) + " weeks"] if weeks else [])
                  # One such timepoint quoted, as where its p-value is listed with others
                  # (Molsberger 2002's "3 months follow-up" was said two ways in two
                  # bullets).
                  + ([f"\u2018{next(iter(labels - unstated))}\u2019, a timepoint in words placed in no time window"
                      if words == 1 else "timepoints given in words only, placed in no time window"] if words else [])
                  + (["a timepoint not stated"] if unstated else []))
            when = ((" at " + " and at ".join(at) if at else "") + (" and" if at and over else "")
                    + (" over follow-up, in a group \u00d7 time interaction test" if over else ""))
        if not favoured:
            # "Reports no difference" said more than a test that found none can: the
            # report holds that a difference not found to be statistically significant
            # does not show the treatments alike.
            kind, bound = f"{NOT_FOUND}{when}", plist(ps, False, when)
        elif len(favoured) > 1 or len(clear) < len(rows):
            kind, bound = f"results that differ in direction{when}", None
        else:
            kind = f"a difference favouring {favoured.pop()}{when}"
            bound = None
            if all(c is True for c in clear):
                bound = plist(ps, True, when)
            elif all(c is False for c in clear):
                # Not ", not statistically significant": after a comma it read as a second
                # finding, not as what is said of the difference.
                kind += " that was not statistically significant"
                bound = plist(ps, False, when)
            elif all(c is None for c in clear):
                kind += ", with no p-value or interval"
            else:
                kind += f", statistically significant in {sum(c is True for c in clear)} of its {len(clear)} results"
        # The whole study's count where the arms compared have none: "187 participants
        # in 3 arms", not read as the two arms'.
        size: float | str | None = (f"{join_list([f'{x:g}' for x in sizes])} participants"
                                    if len(sizes) > 1 and not t["n_arms"]
                                    else n if not n or not t["n_arms"] else f"{n:g} participants in {t['n_arms']} arms")
        said.setdefault(kind, []).append((t["label"], bound, size,
                                          _read_in_note([(p, t["timepoints"][ref], t["read_in"][ref])
                                                         for ref, (_, _, _, p, _) in t["rows"].items()
                                                         if p is not None])))
    listed = {e["label"] for r in results for e in r.get("excluded") or []}
    parts = []
    for kind, members in said.items():
        # The list just before names them: "It", "Both", "All 3" where the group is all of it.
        everyone = len(members) == len(listed) and not named
        who = ({1: "It", 2: "Both"}.get(len(members), f"All {len(members)}") if everyone
               else join_list([_with_article(m[0]) for m in members]))
        # "Griswold et al. (2019), authors unverified, reports": the label's own comma closed.
        who += "," if len(members) == 1 and holds_comma(who) and not everyone else ""
        facts = []
        # A trial's alike p-values with their timepoints ("each p < 0.001 at week 8 and
        # at week 48"); several trials' said once, "each p < 0.001", as before.
        bounds = [b[0] if len(members) == 1 else b[1] for _, b, _, _ in members if b]
        notes = [(label, note) for label, _, _, note in members if note]
        if len(bounds) == len(members):
            # "p < 0.001 and p < 0.001" said once, as several tests: "each".
            one = {b.split(" in each of ")[0] for b in bounds}
            several = len(bounds) > 1 or " in each of " in bounds[0]
            alike = len(one) == 1 and several and bounds[0].startswith("p ")
            facts.append(f"each {one.pop()}" if alike else join_list(bounds))
            if len(members) == 1 and notes:
                facts[-1] += f", {notes[0][1]}"
        if notes and not (len(members) == 1 and len(bounds) == 1):
            facts.append(join_list([f"of {label}: {note}" for label, note in notes]))
        if all(n for _, _, n, _ in members) and any(isinstance(n, str) for _, _, n, _ in members):
            facts.append(join_list([n if isinstance(n, str) else f"{n:g} participant{'' if n == 1 else 's'}"
                                    for _, _, n, _ in members]))
        elif all(n for _, _, n, _ in members):
            sizes = [f"{n:g}" for _, _, n, _ in members if n]
            facts.append(f"{join_list(sizes)} participant{'' if sizes == ['1'] else 's'}")
        verb = "found" if kind.startswith(NOT_FOUND) else "reports" if len(members) == 1 else "report"
        parts.append(f"{who} {verb} {kind}" + (f" ({'; '.join(facts)})" if facts else ""))
    for t in sorted(trials.values(), key=lambda t: t["label"]):
        if not t["rows"] and t["shared"]:
            # Cherkin 2009 against usual care: "favouring acupuncture (p < 0.001; 319
            # participants)" made its needling groups' one test, sham among them, a test
            # of acupuncture; its statements in words carry that test's words.
            who = _with_article(t["label"]) + ("," if holds_comma(t["label"]) else "")
            for (pooled, against, k), (p, n) in t["shared"].items():
                test = "a test" if p is None else f"one {_p_bound([p], upper=True)}"
                size = f" ({n:g} participants in {k} arms)" if n else ""
                parts.append(f"{who} reports {test} for its {join_list(list(pooled))} arms together against "
                             f"{against}, not a test of any one of them against it{size}")
        elif not t["rows"] and t["undirected"] and not t["stated"]:
            who = _with_article(t["label"]) + ("," if holds_comma(t["label"]) else "")
            parts.append(f"{who} reports {t['undirected']} without saying which group it favours")
        elif not t["rows"] and t["stated"]:
            # Kong 2020 on disability: "RMDQ was reduced more with electroacupuncture than
            # with sham", no number, no p-value (statements.csv).
            who = _with_article(t["label"]) + ("," if holds_comma(t["label"]) else "")
            if t["stated"] == [UNDIRECTED_STATEMENT]:
                # Cherkin 2009 against sham on pain: "states ... a result that does not
                # say how the groups compared" named a result it then said was none.
                parts.append(f"{who} gives a result in words only, with no p-value or interval, and its words do not "
                             "say how the groups compared")
            else:
                parts.append(f"{who} states in words only, with no p-value or interval, {join_list(t['stated'])}")
    return parts


def _aside_effects(trials: Iterable[Mapping[str, Any]]) -> str:
    """"Kong et al. (2020) reported an effect with its confidence interval that cannot
    enter the analysis (its instrument off the common scale); Molsberger et al. (presumed
    2002) gave p-values only, no effect size", for the trials of :func:`_aside_direction`
    (its ``trials``), or "" when none reported an effect with its interval.

    A list of trials set aside "so no effect size to show" told a reader there was
    nothing to see of Kong 2020 and Thomas 2006, whose rows hold effects with intervals,
    set aside for their scale and their timepoints; the trials with only p-values are
    still said to have no effect size.
    """
    shown = sorted((t for t in trials if t["rows"]), key=lambda t: t["label"])
    if not any(t["effects"] for t in shown):
        return ""
    by_why: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for t in shown:
        if t["effects"]:
            by_why.setdefault(tuple(t["why"]), []).append(t)
    parts = []
    for why, ts in by_why.items():
        one = sum(t["effects"] for t in ts) == 1
        parts.append(f"{join_list([_with_article(t['label']) for t in ts])} reported "
                     + ("an effect with its confidence interval" if one
                        else "effects with their confidence intervals")
                     + " that cannot enter the analysis" + (f" ({join_and(list(why))})" if why else ""))
    only_p = [t for t in shown if not t["effects"] and t["p_only"] and not t["own"]]
    if only_p:
        several = len(only_p) > 1 or len(only_p[0]["rows"]) > 1
        parts.append(f"{join_list([_with_article(t['label']) for t in only_p])} gave "
                     f"{'p-values' if several else 'a p-value'} only, no effect size")
    return _capitalised("; ".join(parts))


def _listed_items(lead: str, items: Sequence[str]) -> str:
    """``lead: item.`` for one item; for more, ``lead:`` over a list of them, an item a
    line. Joined by semicolons, the published reviews beside one analysis, each with its
    notes in brackets, ran to a paragraph of 250 words in which a reader could not find
    where one review ended."""
    if len(items) == 1:
        return f"{lead}: {items[0]}.\n"
    return f"{lead}:\n\n" + "".join(f"- {item}.\n" for item in items)


def _trials_set_aside(labels: Sequence[str]) -> str:
    """"trials set aside (see @tbl-excluded): A and B", as Markdown whose list
    :func:`as_sentences` keeps in one clause ("A, authors unverified\\; and B")."""
    return (f"{'trial' if len(labels) == 1 else 'trials'} set aside (see @tbl-excluded): "
            f"{join_list([escape(x) for x in labels], markdown=True)}")


def _reported_p_clause(ctx: ReportContext, a: Mapping[str, Any], s: Mapping[str, Any]) -> str:
    """"; the trial reports p < 0.05 for this comparison (its own test, which this interval
    does not reproduce)" when the study also reports a p-value for the same two treatments,
    outcome and week and the p-value and the interval disagree at 0.05, or "".

    A Wald interval from a sparse table can include no difference where the trial's own
    test (an exact or a chi-squared one) found one, as Carlsson 2001's does: a reader
    needs both. Where the two agree, the p-value adds nothing and is left to the tables.
    """
    c = _printed_reported_p(ctx, a, s)
    if c is None:
        return ""
    return (f"; the trial reports {reported_p(float(c['p_value']), c.get('p_qualifier') or '=')} for this "
            "comparison (its own test, which this interval does not reproduce)")


def _printed_reported_p(ctx: ReportContext, a: Mapping[str, Any], s: Mapping[str, Any]) -> dict[str, Any] | None:
    """The normalised contrast whose p-value :func:`_reported_p_clause` prints beside a
    single trial's effect, or None: the study's first row with a p-value for the same two
    treatments, outcome and week, not among the effect's own rows, whose p-value and the
    effect's interval disagree at 0.05. One rule for the text and its audit row
    (:func:`_reported_p_audit_row`), so that every p printed is traced."""
    pair = {a["intervention"], a["comparator"]}
    found = [c for c in _study_docs(ctx).get(s["study_id"], {}).get("contrasts", [])
             if {c.get("node1"), c.get("node2")} == pair and c.get("outcome") == a["outcome"]
             and same_timepoint(c, s) and c.get("p_value") is not None
             and c.get("ref") not in s.get("refs", [])]
    if not found:
        return None
    c = found[0]
    p, qualifier = float(c["p_value"]), c.get("p_qualifier") or "="
    below = p < 0.05 or (qualifier in ("<", "<=") and p <= 0.05)
    above = p >= 0.05 and qualifier in ("=", ">", ">=")
    if not ((below and not excludes_no_effect(s)) or (above and excludes_no_effect(s))):
        return None
    return dict(c)


def _exact_p_clause(s: Mapping[str, Any]) -> str:
    """"; with counts this sparse (a cell of 2), Fisher's exact test gives p = 0.026" for
    a single trial's binary effect whose 2x2 table has a small cell (``exact_p``, see
    :func:`metareview.analysis.sparse_exact_p`), or "": its Wald interval is then a rough
    approximation, and the exact test is what the trial's own report most likely used."""
    if s.get("exact_p") is None:
        return ""
    smallest = _smallest_cell(s)
    return (f"; with counts this sparse (a cell of {smallest}), Fisher\u2019s exact test gives "
            f"{p_text(float(s['exact_p']))}")


def _exact_flag(s: Mapping[str, Any]) -> list[str]:
    """["Fisher's exact test (two-sided): p = 0.026"] beside the flag that calls a sparse
    table's interval an approximation, in the study-effects table; [] without ``exact_p``.

    The methods promise the exact test for such a table and the summary gives it; the
    analysis's own section, where a reader checks the trial, gives it too.
    """
    return [] if s.get("exact_p") is None else [f"Fisher\u2019s exact test (two-sided): {p_value(float(s['exact_p']))}"]


def _smallest_cell(s: Mapping[str, Any]) -> int:
    """The smallest cell of a binary study effect's 2x2 table (events and non-events)."""
    e1, n1, e2, n2 = (float(s[k]) for k in ("events1", "n1", "events2", "n2"))
    return round(min(e1, n1 - e1, e2, n2 - e2))


def exact_test_disagrees(s: Mapping[str, Any], level: float) -> bool:
    """Whether a sparse table's exact test and its Wald interval disagree at ``level``.

    With a cell below 5 (``exact_p``, :func:`metareview.analysis.sparse_exact_p`) the Wald
    interval of a ratio is a rough approximation, known to fail in such tables; when
    Fisher's exact test and that interval fall on different sides of no difference
    (Carlsson 2001: p = 0.026 beside an RR interval from 0.98), the report says both, as
    two methods that disagree (:func:`_exact_disagreement`).
    """
    if s.get("exact_p") is None:
        return False
    return (float(s["exact_p"]) < 1 - level / 100) != excludes_no_effect(s)


def _exact_disagreement(test_finds: bool, toward: str, p: float, smallest: int | None = None,
                        fragile: str = "") -> str:
    """"Fisher's exact test finds a difference on acupuncture's side (p = 0.026), which this
    approximate (Wald) interval, unreliable with counts this sparse, does not; that finding
    rests on very few events: one more event among those given sham ... would remove it
    (p = 0.068)", for a sparse table whose Wald interval and exact test fall on different
    sides of no difference (plain text).

    ``test_finds`` whether the test finds a difference (else the interval excludes one);
    ``toward`` where the result leans ("on acupuncture's side", "favouring acupuncture");
    ``smallest`` the table's smallest cell, said where given; ``fragile`` the events that
    would undo the test's finding (:func:`_fragility_text`), said where given.

    The interval is metafor's (escalc and rma: Wald, on the log scale), as every effect the
    report prints. With a cell this small it is the less reliable of the two: the Wald
    interval of a ratio is a rough approximation in a sparse table (Agresti 2013,
    *Categorical Data Analysis*, 3rd ed., chapter 3), where the exact test needs no
    approximation. What limits the test's finding is how few events it rests on, which
    the fragility says (Walsh et al. 2014).
    """
    cell = f" (a cell of {smallest})" if smallest is not None else ""
    if test_finds:
        said = (f"Fisher\u2019s exact test finds a difference {toward} ({p_text(p)}), which this approximate (Wald) "
                f"interval, unreliable with counts this sparse{cell}, does not")
        return f"{said}; that finding rests on very few events" + (f": {fragile}" if fragile else "")
    return (f"this approximate (Wald) interval lies wholly {toward}, but it is unreliable with counts this sparse{cell}, "
            f"and Fisher\u2019s exact test finds no difference ({p_text(p)}): the result is very imprecise")


def _fragility(s: Mapping[str, Any], level: float) -> tuple[int, int, float] | None:
    """The events that would undo a sparse table's exact finding, ``(arm, k, p)``
    (:func:`metareview.distributions.fisher_fragility` at the report's level), or None."""
    if s.get("exact_p") is None or any(s.get(k) is None for k in ("events1", "n1", "events2", "n2")):
        return None
    e1, n1, e2, n2 = (round(float(s[k])) for k in ("events1", "n1", "events2", "n2"))
    return fisher_fragility(e1, n1, e2, n2, 1 - level / 100)


def _fragility_text(a: Mapping[str, Any], s: Mapping[str, Any], level: float, proper: Collection[str] = ()) -> str:
    """"one more event among those given sham (3 of 16 rather than 2) would remove it
    (p = 0.068)": the fewest events toward no difference, in one arm, that take Fisher's
    exact p to the report's level or above (:func:`_fragility`); "" without one.

    Arm 1 of a study effect is the analysis's intervention, arm 2 its comparator.
    """
    found = _fragility(s, level)
    if found is None:
        return ""
    arm, k, p = found
    label = a["intervention_label" if arm == 1 else "comparator_label"]
    events, n = round(float(s[f"events{arm}"])), round(float(s[f"n{arm}"]))
    added = 1 if (arm == 1) == (float(s["events1"]) * float(s["n2"]) < float(s["events2"]) * float(s["n1"])) else -1
    count = "one" if k == 1 else str(k)
    more = f"{count} {'more' if added > 0 else 'fewer'} {'event' if k == 1 else 'events'}"
    return (f"{more} among those given {_in_sentence(label, proper)} ({events + added * k} of {n} rather than "
            f"{events}) would remove it ({p_text(p)})")


def _disagreement_text(a: Mapping[str, Any], s: Mapping[str, Any], level: float, proper: Collection[str] = ()) -> Markdown:
    """What a sparse table shows when its exact test and its Wald interval disagree: the
    test's finding, the interval as the less reliable method here, and the events the
    finding rests on (:func:`_exact_disagreement`)."""
    favoured = a["intervention_label" if favours_intervention(a, s["yi"]) else "comparator_label"]
    return Markdown(escape(_exact_disagreement(float(s["exact_p"]) < 1 - level / 100,
                                               f"favouring {_in_sentence(favoured, proper)}", float(s["exact_p"]),
                                               _smallest_cell(s), _fragility_text(a, s, level, proper))))


def population_said(who: str, fit: str) -> str:
    """What a study's ``population_fit`` (one of :data:`QUALIFIED_POPULATION`) says of
    ``who`` as a clause: "Meng et al. (2003) enrolled a narrower population than this
    review's", "whether Kwon et al. (2007) enrolled this review's population is unclear"."""
    if fit == "unclear":
        return f"whether {who} enrolled this review\u2019s population is unclear"
    return f"{who} enrolled {POPULATION_WORDS[fit]} this review\u2019s"


def _population_clause(studies: Sequence[Mapping[str, Any]], *, single: bool = False, pointer: bool = True) -> str:
    """"; Meng et al. (2003) enrolled a narrower population than this review's (see
    @tbl-trial-characteristics)" for the studies of an effect whose population is not the
    review's, or "": its result then applies to the review's question only in part. A
    study whose population is unclear says so: "; whether Kwon et al. (2007) enrolled this
    review's population is unclear" (the source says too little, or cannot be trusted on
    it), as the table of study effects flags it (:func:`population_flag`)."""
    which = [(s["label"], s["population_fit"]) for s in studies if s.get("population_fit") in QUALIFIED_POPULATION]
    if not which:
        return ""
    said = "; ".join(population_said("the trial" if single else escape(label), fit) for label, fit in which)
    # The table lists the trials that contribute to an analysis; a trial set aside is not in it.
    return f"; {said}" + (" (see @tbl-trial-characteristics)" if pointer else "")


def _moved(x: float) -> str:
    """A group's change from its baseline, improvement positive: "improved by 4.5"."""
    return f"improved by {f2(x, 1)}" if x >= 0 else f"worsened by {f2(-x, 1)}"


def _study_row_ref(study_id: str) -> str:
    """A study's row of studies.csv as a row reference (``studies.csv:Chen2022#1``), as
    :func:`metareview.rawdata.row_ref` names the rows of the study tables: a study has one
    row there, so the audit trail resolves it by its ``study_id`` (:func:`_row_of`)."""
    return f"studies.csv:{study_id}#1"


def _raw_index(ctx: ReportContext, table: str, number: int) -> int | None:
    """The index in :attr:`ReportContext.raw_tables` of ``table``'s spreadsheet row
    ``number`` (header = 1), or None.

    The reader skips blank lines but counts them, as a spreadsheet shows them: after one,
    the row numbered n is not the (n - 2)th row read, so the row is found by its number
    (:attr:`ReportContext.raw_row_numbers`). A context without those numbers has rows
    with no gaps.
    """
    rows = ctx.raw_tables.get(table, [])
    numbers = ctx.raw_row_numbers.get(table)
    if numbers:
        index = _memo(ctx, f"raw_row_index:{table}", lambda: {n: i for i, n in enumerate(numbers)}).get(number)
    else:
        index = number - 2
    return index if index is not None and 0 <= index < len(rows) else None


def _raw_row(ctx: ReportContext, table: str, number: int) -> Mapping[str, Any] | None:
    """The row of ``table`` at spreadsheet row ``number`` (header = 1), or None (:func:`_raw_index`)."""
    index = _raw_index(ctx, table, number)
    return None if index is None else ctx.raw_tables[table][index]


def _row_of(ctx: ReportContext, ref: str) -> tuple[str, int | None]:
    """The (file, spreadsheet row) of a row reference, a study's row of studies.csv
    (:func:`_study_row_ref`) found by its ``study_id``; (the reference, None) if none."""
    if ref in ctx.raw_rows:
        return ctx.raw_rows[ref]
    # A study's row of studies.csv by its ``study_id`` (one row each: metareview.rawdata
    # refuses a repeat), a document's row of sources.csv by its ``source_id``.
    for table, key in (("studies", "study_id"), ("sources", "source_id")):
        if not ref.startswith(f"{table}.csv:"):
            continue
        numbers = ctx.raw_row_numbers.get(table) or ()
        rows = _memo(ctx, f"{table}_rows",
                     lambda table=table, key=key: {row.get(key): i
                                                   for i, row in enumerate(ctx.raw_tables.get(table, []))})
        index = rows.get(ref.removeprefix(f"{table}.csv:").rsplit("#", 1)[0])
        if index is not None:
            return f"{table}.csv", numbers[index] if index < len(numbers) else index + 2
    return ref, None


#: How the summary's tally (:func:`_aside_tally`) counts trials whose reports give no side.
UNSAID = "do not say which way the groups differed"

#: Where the summary's count of trials set aside points for their details: the section
#: of the report that lists each trial and why it was set aside (``reports/report.qmd``).
EXCLUDED_SECTION = ("Trials that could not be used", "sec-excluded")


def entry_reasons(e: Mapping[str, Any]) -> list[str]:
    """Every reason an analysis's ``excluded`` entry gives, as the table of trials set
    aside lists them: those that bind (its ``reasons``; its ``reason`` where it has none),
    then the further ones its ``also`` lists, each once, stripped.

    A count of a reason that read the binding ones alone left out Mahmoudzadeh 2016, set
    aside for its add-on design "also" for giving only a p-value: the table listed 8
    trials with that reason, the limitations counted 7.

    >>> entry_reasons({"reason": "x; also, y", "reasons": [{"reason": "x"}], "also": [{"reason": "y"}, "z"]})
    ['x', 'y', 'z']
    >>> entry_reasons({"reason": "x"})
    ['x']
    """
    binding = [x.get("reason") for x in e.get("reasons") or []] or [e.get("reason")]
    further = [x if isinstance(x, str) else x.get("reason") for x in e.get("also") or []]
    return list(dict.fromkeys(str(x).strip() for x in (*binding, *further) if x))


def _aside_reason_holders(results: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[str]]]:
    """The reasons the trials ``results`` set aside for, as the table of excluded trials
    words them, each with the labels of the trials set aside for it, sorted: the reason
    most of them share first, of reasons shared alike the first met (the analyses' order).

    A trial's reasons are all those its entries give, the further ones its ``also`` lists
    among them (:func:`entry_reasons`), as the table of trials set aside lists them. Each
    trial counts once per reason, whatever the number of analyses that set it aside for it.

    Examples
    --------
    >>> _aside_reason_holders([{"excluded": [{"label": "A", "reason": "x"}, {"label": "B", "reason": "y"}]},
    ...                        {"excluded": [{"label": "A", "reason": "y"}]}])
    [('y', ['A', 'B']), ('x', ['A'])]
    """
    by_trial: dict[str, set[str]] = {}
    for r in results:
        for e in r.get("excluded") or []:
            by_trial.setdefault(e["label"], set()).update(entry_reasons(e))
    holders: dict[str, list[str]] = {}
    for label in sorted(by_trial):
        for reason in by_trial[label]:
            holders.setdefault(reason, []).append(label)
    order = [x for r in results for e in r.get("excluded") or [] for x in entry_reasons(e)]
    ranked = sorted(holders, key=lambda x: (-len(holders[x]), order.index(x) if x in order else len(order)))
    return [(reason, holders[reason]) for reason in ranked]


def _aside_reason(results: Sequence[Mapping[str, Any]]) -> tuple[str, int] | None:
    """The reason the most trials ``results`` set aside share, as the table of excluded
    trials words it, with how many share it: ("only a p-value reported: no effect size or
    variance", 4); None when no two trials share one (a lone trial's own reason excepted).

    Each trial counts once per reason, whatever the number of analyses that set it aside
    for it; of reasons shared alike, the first met (the analyses' order) is taken
    (:func:`_aside_reason_holders`)."""
    ranked = _aside_reason_holders(results)
    trials = {e["label"] for r in results for e in r.get("excluded") or []}
    if not ranked or (len(ranked[0][1]) < 2 and len(trials) > 1):
        return None
    return ranked[0][0], len(ranked[0][1])


def _aside_tally(ctx: ReportContext, results: Sequence[Mapping[str, Any]]) -> list[str]:
    """Which way the trials ``results`` set aside went, each trial counted once over all
    the analyses' outcomes, as clauses of plain text: ["2 report a difference favouring
    dry needling", "Griswold et al. (2019) found no statistically significant
    difference"].

    A trial goes with the arm its rows and its statements in words favour
    (:func:`_aside_trials`), named as the rows name it ("dry needling + physiotherapy" for
    an add-on arm); with none when every row of it finds no difference; with "differ in
    direction" when they favour both; with those that report only one test of several
    arms together; and among those that "do not say which way" when nothing it reports
    gives a side (a p-value with no side, words that say no side). Groups are in order
    of size, of groups alike in size those giving no side last; a group of one trial
    names it (its label's note after a comma left to the details) where there are other
    groups. A group favouring one arm says which of its trials are not statistically
    significant in every result, and how (:func:`_unsure_note`), lest a direction read as
    a finding.

    Directions are counted, never significant results, and no effect is made of them:
    the Cochrane Handbook (section 12.2.2) allows a count of directions where effects
    cannot be pooled, and warns against counting "significant" trials (vote counting).
    """
    # Each trial with how sure its results are (_sureness).
    groups: dict[str, list[tuple[str, tuple[str, str]]]] = {}
    # The groups of trials known by their own SMD alone (_own_side).
    own_keys: set[str] = set()
    trials = _aside_trials(ctx, results)
    listed = sorted({e["label"] for r in results for e in r.get("excluded") or []})
    found = {t["label"] for t in trials.values()}
    for t in sorted(trials.values(), key=lambda t: t["label"]):
        rows = list(t["rows"].values())
        favoured = {label for side, _, label, _, _ in rows if side != "none"}
        favoured |= {x.removeprefix("a difference favouring ") for x in t["stated"]
                     if x.startswith("a difference favouring ")}
        # In the order _aside_parts reads a trial: its rows, else one test of several
        # arms together (Cherkin 2009 against usual care, whose words carry that test's
        # finding, so are no direction of one arm), else its words.
        if not rows and t["shared"]:
            key = "report only a test of several arms together"
        elif not rows and t["own_sides"]:
            # Berg 2011: change scores only, beside an SMD of final values. Its own SMD
            # from its arms says which way it went; "do not say which way the groups
            # differed" denied the number the Results print beside the analysis.
            sides = {side for side, _, _ in t["own_sides"]}
            kinds = join_and(sorted({kind for _, _, kind in t["own_sides"]}))
            key = (f"have an SMD of their own from {kinds} "
                   + (f"favouring {sides.pop()}" if len(sides) == 1 and "" not in sides
                      else "at no difference" if sides == {""} else "that differ in direction"))
            rows = [(side or "none", clear, side, None, None) for side, clear, _ in t["own_sides"]]
            own_keys.add(key)
        elif not rows and t["undirected"] and not t["stated"]:
            key = UNSAID
        elif len(favoured) > 1:
            key = "report results that differ in direction"
        elif favoured:
            key = f"report a difference favouring {favoured.pop()}"
        elif rows:
            key = f"found {NOT_FOUND}"
        elif "no difference" in t["stated"]:
            key = "state no difference, in words only"
        else:
            key = UNSAID
        groups.setdefault(key, []).append((t["label"], _sureness(rows)))
    for label in listed:
        if label not in found:
            groups.setdefault(UNSAID, []).append((label, ("words", "")))
    added = _merge_addons(ctx, results, trials, groups)
    # Larger groups first; of groups alike in size, those that say a direction first.
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0] == UNSAID))
    said = []
    for key, members in ranked:
        one = len(members) == 1
        if one and len(ranked) > 1:
            label = members[0][0]
            who = label.split(",")[0] if holds_comma(label) else label
            verb = key.replace("report ", "reports ", 1).replace("do not ", "does not ", 1).replace(
                "state ", "states ", 1).replace("have an SMD of their own", "has an SMD of its own", 1)
            text = f"{_with_article(who)} {verb}"
        else:
            count = ("it" if one else str(len(members)) if len(ranked) > 1
                     else "both" if len(members) == 2 else f"all {len(members)}")
            text = f"{count} {key.replace('report ', 'reports ', 1) if one else key}"
            if key == UNSAID and not one and len(ranked) == 1:
                # "Both do not say" read as a slip for "neither says".
                text = ("neither says" if len(members) == 2 else f"none of the {len(members)} says") + \
                    " which way the groups differed"
            if one:
                text = text.replace("do not ", "does not ", 1).replace("state ", "states ", 1).replace(
                    "have an SMD of their own", "has an SMD of its own", 1)
        note = (_unsure_note([sure for _, sure in members])
                if key.startswith("report a difference") or key in own_keys else "")
        if key in own_keys:
            # Why a number that says which way the trial went is not pooled: an SMD divides
            # by an SD, and the SD of changes is not that of final values, so the two are
            # not on one scale (Cochrane Handbook 10.5.2).
            note = (f"{note}; " if note else "") + (
                f"set aside because an SMD does not pool {'changes from baseline with final values' if 'changes' in key else 'final values with changes from baseline'}"
                ": Cochrane Handbook 10.5.2")
        if key in added:
            # The significance first: after "2 of them with acupuncture added to ...", a
            # "1 of them" read as one of those two.
            note = (f"{note}; " if note else "") + added[key]
        if note:
            text += f" ({note})"
        said.append(text)
    return said


def _merge_addons(ctx: ReportContext, results: Sequence[Mapping[str, Any]], trials: Mapping[str, Mapping[str, Any]],
                  groups: dict[str, list[tuple[str, tuple[str, str]]]]) -> dict[str, str]:
    """Merge, in :func:`_aside_tally`'s ``groups``, the trials favouring an add-on arm of
    a side's treatment ("electroacupuncture + usual care") with those favouring that
    treatment alone, where that makes one group of several: "4 report a difference
    favouring an acupuncture arm". Returns each merged group's note naming its add-on
    arms: "2 of them with acupuncture added to the comparator's care: electroacupuncture
    + usual care in Meng et al. (2003), acupuncture + conventional therapy in Molsberger
    et al. (presumed 2002)".

    Counted by arm, "2 report a difference favouring acupuncture" beside two trials named
    alone, each favouring an acupuncture arm with usual care added, read as 2 of 5 trials
    favouring acupuncture where 4 did. The add-on is said, as an arm that adds
    acupuncture to the comparator's care does not test acupuncture against that care.
    """
    if not results:
        return {}
    prefix = "report a difference favouring "
    by_label = {t["label"]: t for t in trials.values()}
    notes: dict[str, str] = {}
    for side in ("intervention", "comparator"):
        name = _in_sentence(results[0]["analysis"][f"{side}_label"], _names(ctx))
        arms: dict[str, tuple[str, str]] = {}
        for key, members in groups.items():
            favoured = key.removeprefix(prefix)
            for label, _ in members if key.startswith(prefix) and favoured != name else ():
                where = by_label.get(label, {}).get("addon", {}).get(favoured)
                if where is not None and where[0] == side:
                    arms[label] = (favoured, where[1])
        keys = [k for k in groups if k == prefix + name or (k.startswith(prefix) and k.removeprefix(prefix) in {
            arm for arm, _ in arms.values()})]
        if len(keys) < 2 or not arms:
            continue
        merged = f"{prefix}{'an' if name[:1].lower() in 'aeiou' else 'a'} {name} arm"
        groups[merged] = [m for k in keys for m in groups.pop(k)]
        onto = ("the comparator\u2019s care" if all(kind == "comparator" for _, kind in arms.values())
                else "another treatment")
        notes[merged] = (f"{len(arms)} of them with {name} added to {onto}: "
                         + join_list([f"{arm} in {_with_article(label.split(',')[0] if holds_comma(label) else label)}"
                                      for label, (arm, _) in sorted(arms.items())]))
    return notes


def _sureness(rows: Sequence[tuple[Any, ...]]) -> tuple[str, str]:
    """How sure the results a set-aside trial reports are (``rows``, :func:`_aside_trials`'
    ``(side, clear, label, p, n)``), for :func:`_unsure_note`, as (kind, detail):
    ("", "") when each gives a side and is statistically significant; ("words", "") for
    none (a finding stated in words only); ("some", "1 of its 2") when only some are;
    ("none", "p = 0.06", its p-values as one, or "") when each is not, by its own test or
    interval; ("untested", "") when some give neither."""
    if not rows:
        return "words", ""
    clear = [c if side != "none" else False for side, c, *_ in rows]
    k = sum(c is True for c in clear)
    if k == len(rows):
        return "", ""
    if k:
        return "some", f"{k} of its {len(rows)}"
    if all(c is False for c in clear):
        ps = [p for *_, p, _ in rows if p is not None]
        return "none", _p_bound(ps, upper=False) if ps and len(ps) == len(rows) else ""
    return "untested", ""


def _unsure_note(sures: Sequence[tuple[str, str]]) -> str:
    """What a group of set-aside trials favouring one arm says of those among them whose
    results are not all statistically significant (each trial's :func:`_sureness`), or
    "": "1 of them not statistically significant, p = 0.06"; "1 of them statistically
    significant in only 1 of its 2 results"; "2 of them stated in words only"; "1 of them
    with no test of significance reported" (no p-value or interval); for a group
    of one trial the same with no count ("not statistically significant, p = 0.06").

    "(1 of them not shown statistically significant in every result)" after "2 report a
    difference favouring acupuncture" read as a contradiction, and did not say whether the
    trial's results were tested and found wanting (Kong 2020, p = 0.06), significant in
    some only (Thomas 2006, at week 104, not at week 52) or never tested.
    """
    lead_of_one = len(sures) == 1
    kinds: dict[str, list[str]] = {}
    for kind, detail in sures:
        if kind:
            kinds.setdefault(kind, []).append(detail)
    said = []
    for kind, details in kinds.items():
        k = len(details)
        lead = "" if lead_of_one else f"{k} of them "
        if kind == "some":
            said.append(f"{lead}statistically significant in only "
                        + (f"{details[0]} results" if k == 1 else "some of their results"))
        elif kind == "none":
            # One trial's p-value, the finding it stands for ("p = 0.06"); of several, none,
            # lest the summary list the p-values the Results give.
            said.append(f"{lead}not statistically significant" + (f", {details[0]}" if k == 1 and details[0] else ""))
        elif kind == "words":
            said.append(f"{lead}stated in words only")
        else:
            said.append(f"{lead}with no test of significance reported")
    return "; ".join(said)


def _aside_count(ctx: ReportContext, results: Sequence[Mapping[str, Any]], *, reason: bool = False,
                 lead: str = "", partly: Mapping[str, tuple[Sequence[str], Sequence[str]]] | None = None) -> Markdown:
    """The summary's one clause on the trials ``results`` set aside, or "": " 4 trials set
    aside (see [Trials that could not be used](#sec-excluded)): 2 report a difference
    favouring dry needling; ...; 3 of them with doubts about their source or population."

    ``partly`` gives, by label, the trials set aside from some outcomes of the comparator
    but used for another, with (the outcomes they are set aside from, those they are used
    for): the count is then of trials "set aside from at least one outcome", and each
    such trial is named with them ("Cherkin et al. (2009) from pain intensity only, as it
    is used for back-specific disability"). "4 trials set aside", one of them the trial
    the line above gives 87% of a pooled result's weight, read as a contradiction.

    How many (distinct trials over all the analyses), with ``reason`` the reason most of
    them share (:func:`_aside_reason`: for a comparison with no usable study, why there
    is none), which way they went (:func:`_aside_tally`), and how many of them carry a
    doubt of source (known only from a secondary source, its study identity rated low, a
    value read in a document other than the trial's own report or extracted with low
    confidence) or of population; the
    section named holds each trial's p-values, timepoints and doubts
    (:func:`_aside_direction`, in the Results' opening list).

    The summary gave each trial set aside its p-values, timepoints and provenance, word
    for word as the Results do: a third of its words were on trials that contribute no
    number, and read as its findings. A reader of the summary needs that they exist, how
    many and which way they point.
    """
    labels = sorted({e["label"] for r in results for e in r.get("excluded") or []})
    if not labels:
        return Markdown("")
    n = len(labels)
    name, anchor = EXCLUDED_SECTION
    said = _aside_tally(ctx, results)
    # A study identity rated low is a doubt of source (the Limitations count it so), on
    # a trial of primary rows at medium confidence too.
    doubts = sum(bool(t["secondary"] or t["identity_low"] or t["low"] or any(t["read_in"].values())
                      or t["fit"] in POPULATION_WORDS)
                 for t in _aside_trials(ctx, results).values())
    if doubts:
        said.append("it has doubts about its source or population" if n == 1 else
                    f"{('both' if n == 2 else 'all ' + str(n)) + ' have' if doubts == n else str(doubts) + ' of them ' + ('has' if doubts == 1 else 'have')}"
                    f" doubts about {'its' if doubts == 1 else 'their'} source or population")
    # ``lead`` ("against usual care") says whose trials they are, where a sentence gives
    # several comparators' results.
    # Only the trials set aside here: as the Limitations count them, "set aside from at
    # least one analysis".
    partly = {label: x for label, x in (partly or {}).items() if label in labels}
    some = " from at least one outcome" if partly and n > 1 else ""
    which = join_and([f"{label} from {join_and(list(out))} only, as it is used for {join_and(list(used))}"
                      for label, (out, used) in sorted(partly.items())])
    text = (f" {escape(_capitalised(lead) + ',') + ' ' if lead else ''}{n} {'trial' if n == 1 else 'trials'} set aside"
            f"{some} (see [{escape(name)}](#{anchor}))" + (f", {escape(which)}" if which else "")
            + (f": {escape('; '.join(said))}." if said else "."))
    shared = _aside_reason(results) if reason else None
    if shared:
        text += " " + escape(_reason_sentence(*shared, n))
    return Markdown(text)


#: Reasons of the table of trials set aside (:mod:`metareview.extract`) as what the trials
#: did, (one, several): "Why, for both: only a p-value reported: no effect size or
#: variance" read as a form's fields, not a sentence.
REASON_VERBS = {P_ONLY_REASON:
                ("reports only a p-value, with no effect size or variance",
                 "report only a p-value, with no effect size or variance")}


def _reason_sentence(why: str, k: int, n: int) -> str:
    """The reason ``k`` of ``n`` trials set aside share (:func:`_aside_reason`) as a plain
    sentence: "Both report only a p-value, with no effect size or variance.", "3 of them
    report ...", or, for a reason with no verb of its own, "All 4 were set aside for the
    same reason: ..." (plain text)."""
    # Two or more share it, or the one trial has it (_aside_reason): never "1 of them".
    who = "It" if n == 1 else "Both" if k == n == 2 else f"All {n}" if k == n else f"{k} of them"
    if why in REASON_VERBS:
        return f"{who} {REASON_VERBS[why][n > 1]}."
    # One colon: a reason's own ("standardised effect reported: cannot be expressed as MD")
    # goes in brackets after the one that opens it.
    head, _, tail = why.partition(": ")
    return _full_stop(f"{who} {'was' if n == 1 else 'were'} set aside for {'this' if n == 1 else 'the same'} "
                      f"reason: {head}" + (f" ({tail})" if tail else ""))
