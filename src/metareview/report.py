"""Assemble the evidence report's Quarto source from the pipeline's results.

The template ``reports/report.qmd`` holds the fixed prose and one marker line per
generated section (``<!-- metareview:NAME -->``); this module fills each marker with
Markdown built from the results, so the ``.qmd`` runs no code: every number it shows was
computed and written to ``results/`` before. Text taken from the raw tables is escaped
(:func:`metareview.markdown.escape`), so a study called ``<script>`` or ``#set page()``
is printed, not run.

It also writes the audit table (every study effect and pooled estimate traced to the raw
file, row and columns it came from, with each conversion applied) and the key results
the next build compares against ("what changed since the last build").
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any, cast

from metareview.absolute import absolute_effect, comparator_risk
from metareview.certainty import (
    DOMAIN_TEXT,
    LEVELS,
    RATINGS,
    STATUSES,
    Certainty,
    describe,
    fingerprint,
    join_and,
    level_text,
    rate,
)
from metareview.checks import COUNT, count_value, renamed_key
from metareview.fmt import (
    description,
    f2,
    fixed,
    holds_comma,
    in_brackets,
    join_list,
    join_reasons,
    notes_in_words,
    p_value,
    proper_names,
    ranges,
    rounds_to_zero,
    typed,
    with_settings,
)
from metareview.fmt import in_sentence as _in_sentence
from metareview.fmt import minus as _minus
from metareview.fmt import with_each as _with_each
from metareview.markdown import (
    Markdown,
    callout,
    escape,
    escape_keeping_emphasis,
    figure,
    keep_together,
    keep_with_next,
    meta_string,
    table,
)
from metareview.normalise import (
    OFF_POPULATION_FITS,
    TRIAL_OWN_KINDS,
    UNNAMED,
    document_words,
    is_cointervention,
    same_timepoint,
    set_aside_effect,
)
from metareview.plots import (
    drawn_externals,
    external_flag,
    shows_results,
    source_flags,
    unmatched_levels,
)

MARKER = re.compile(r"^<!-- metareview:([a-z_]+) -->$", re.MULTILINE)
FIELD = re.compile(r"\{\{ ([a-z_]+) \}\}")
#: What a field with a slip in it looks like: ``{{`` that starts no field (``{{ name }``,
#: ``{{name}}``), or a field that lost its first brace (``{ name }}``). Left in, it would
#: reach the published report as typed.
LOOSE_FIELD = re.compile(r"\{\{[^{}\n]{0,40}\}{0,2}|(?<!\{)\{ [a-z_]+ \}\}")


#: Characters of table text a line of a landscape page holds: the report template sets
#: the table of studies, the appendices, the published meta-analyses and the narrative
#: evidence in landscape (the PDF's text is 24.7 cm wide there against 16 cm), where
#: tables of six to ten columns get room for their long cells.
APPENDIX_TABLE_BUDGET = 150

#: A GRADE domain's rating by the levels it takes off ("serious" for 1).
RATING_TEXT = {down: rating.replace("_", " ") for rating, down in RATINGS.items()}

#: GRADE levels by rank, lowest 0: highest first when sorted by descending rank.
LEVEL_ORDER = {level: rank for rank, level in enumerate(LEVELS)}

# Keyed by str; looked up by a row's status, which may be missing (None).
STATUS_TEXT: dict[str | None, str] = {
    "pooled": "pooled",
    "single_study": "one study: not pooled",
    "no_studies": "no usable study",
    "not_poolable": "not poolable",
}


def p_text(p: float | None) -> Markdown:
    """A p-value as a journal prints it, as Markdown: ``p = 0.034``, ``p < 0.001``.

    The ``<`` is escaped: left bare, pandoc's reader takes it for the start of an
    autolink and searches the rest of the document for its end, once per ``<``, which
    made a 1,000-analysis report take minutes to read instead of seconds.
    """
    if p is None:
        return Markdown("p = –")
    return Markdown(p_value(p).replace("<", "\\<"))


def reported_p(p: float, qualifier: str | None = "=") -> Markdown:
    """A p-value as the source gave it, qualifier included: ``p < 0.001``, ``p = 0.02``.

    Unlike :func:`p_text` (a p-value the pipeline computed), the digits are the
    source's; the ``<`` is escaped for the reason given there.
    """
    return Markdown(f"p {qualifier or '='} {typed(p)}".replace("<", "\\<"))


def _as_sentence_after(text: str) -> str:
    """``text`` (unescaped) as a sentence after another whose full stop the caller adds:
    ". Timepoint given as ...", or "" for none."""
    return f". {escape(text[:1].upper() + text[1:])}" if text else ""


#: A step that opens with an instrument's label, as :mod:`metareview.normalise` words it:
#: "VAS 0-100 rescaled to 0–10 (×0.1)", "HFAQ 0-100: higher is better, so ...".
_LABELLED_STEP = re.compile(r"(?P<label>.+?)(?P<rest> rescaled to \d|: higher is better\b)")


def _label_ranges(note: str) -> str:
    """A published result's note with the instrument's label that opens it written as the
    report writes ranges (:func:`metareview.fmt.ranges`), "VAS 0–100 rescaled to 0–10": the
    label's "0-100" beside the step's "0–10" read as two notations. The rest of the note,
    a timepoint quoted from the source among them, is left as written."""
    m = _LABELLED_STEP.match(note)
    return ranges(m["label"]) + note[m.end("label"):] if m else note


#: The note a published mean difference without a known instrument range is given
#: (:func:`metareview.extract.external_entries`).
UNKNOWN_RANGE = "instrument range unknown: not on the common scale"


def _claim_scale_note(ctx: Any, analysis: Mapping[str, Any], entry: Mapping[str, Any], note: str) -> str:
    """A published result's note, with that of a mean difference whose instrument range
    is unknown (:data:`UNKNOWN_RANGE`) said as the claims table reads the same number, where
    a claimed mean difference on the analysis's outcome cites the result's study
    (claims.csv ``attributed_study_id``): "instrument range not stated, so not placed on the
    common scale here; the claims table reads the claim that cites it as points on the 0 to
    10 scale, as it reads every claimed mean difference".

    The blog's "Cochrane 2023 −2.3" was "not on the common scale" in the results and read
    on the 0 to 10 scale in the claims table: one number, two readings, neither naming the
    other. The range is not stated; the claim check reads a claimed difference on the
    outcome's common scale (claims.csv's codebook), and its note gives why that reading is
    plausible. The row itself stays off the scale: no range, no rescaling.
    """
    if note != UNKNOWN_RANGE or entry.get("measure") != "MD":
        return note
    cited = any(c.get("attributed_study_id") == entry.get("study_id") and c.get("claimed_measure") == "mean_difference"
                and c.get("outcome") == analysis.get("outcome")
                for c in (getattr(ctx, "raw_tables", {}) or {}).get("claims", []))
    scale = md_scale(ctx, {**analysis, "measure": "MD"}) if cited else ""
    if not scale:
        return note
    return ("instrument range not stated, so not placed on the common scale here; the claims table reads the claim "
            f"that cites it as points on the {scale} scale, as it reads every claimed mean difference")


def _measure_in_sentence(analysis: Mapping[str, Any]) -> str:
    """An analysis' measure as a sentence or a bracket names it, after other words:
    "mean difference", "risk ratio", but "SMD (Hedges’ g)" as written
    (:func:`metareview.fmt.in_sentence`). Its label (``measure_label``) is in sentence case
    for the places it starts: a sentence ("Risk ratios above 1 favour ..."), an axis, a
    table cell. "measure: Mean difference" and "(Risk ratio, log scale)" read as names."""
    return _in_sentence(analysis["measure_label"])


def _external_value(e: Mapping[str, Any]) -> str:
    """A published meta-analysis' result in an analysis' external-evidence line: "SMD −0.47
    (95% CI −0.77 to −0.17)", or "(CI −0.77 to −0.17, level not stated)" where the source
    gives no level (``ci_level`` None); without a ``ci_level`` key, the bounds alone.

    The report's own intervals are at the configured level; a review's are at the level it
    chose, and one printed without a level is not known to be a 95% interval.
    """
    if e["measure"] == "p_only":
        return "p-value only" if e.get("p_value") is None else reported_p(e["p_value"], e.get("p_qualifier"))
    # A Cohen's d is entered beside SMDs (``measure``) but is no Hedges' g: named as the
    # source gave it, as the published table and the forest plot name it.
    measure = MEASURE_NAMES.get(e.get("published_measure"), e["measure"])
    text = f"{measure} {f2(e.get('estimate_exp', e['estimate']))}"
    if e.get("ci_lb") is not None:
        bounds = ci_text(e.get("ci_lb_exp", e["ci_lb"]), e.get("ci_ub_exp", e["ci_ub"]))
        if "ci_level" not in e:
            text += f" ({bounds})"
        elif e["ci_level"] is None:
            text += f" (CI {bounds}, {LEVEL_NOT_STATED})"
        else:
            text += f" ({e['ci_level']:g}% CI {bounds})"
    return text


#: What a published interval printed without its confidence level is labelled with.
LEVEL_NOT_STATED = "level not stated"


def _unstated_levels(entries: Sequence[Mapping[str, Any]], bracketed: bool = False) -> str:
    """"no level stated for intervals of Mu et al. (2020) and Yuan et al. (2015)": the
    reviews among ``entries`` (published results) with an interval whose source states no
    confidence level, or ""; ``bracketed`` as for :func:`_rated_certainty`.

    Such an interval is counted in the tallies as printed (reviews almost always give 95%
    intervals, and leaving it out would drop the result over a missing label), but a
    narrower one, a 90% interval say, lies wholly on one side more easily: the tally names
    the reviews it takes on trust.
    """
    labels = {in_brackets(e["label"]) if bracketed else e["label"] for e in entries
              if e["measure"] != "p_only" and e.get("ci_lb") is not None and e.get("ci_ub") is not None
              and "ci_level" in e and e["ci_level"] is None}
    return f"no level stated for intervals of {escape(join_and(sorted(labels)))}" if labels else ""


def repeated_refs(ctx: ReportContext) -> frozenset[str]:
    """The raw rows (``ref``) of results that another study prints with the same estimate
    and bounds (:func:`metareview.checks.repeated_results`, a consistency warning)."""
    from metareview.checks import repeated_results

    return _memo(ctx, "repeated_refs", lambda: frozenset(
        ref for group in repeated_results(ctx.normalised) for _, ref in group))


def _repeated_reviews(entries: Sequence[Mapping[str, Any]], repeated: Collection[str],
                      bracketed: bool = False) -> str:
    """"Yuan et al. (2015) prints a result with the same estimate and bounds as another
    study's, counted here as its own (see @tbl-warnings)": the reviews among ``entries``
    (published results a tally counts) with a result in ``repeated`` (:func:`repeated_refs`),
    or ""; ``bracketed``, for a place inside the report's brackets, "a result printed alike
    by another study, counted as the review's own, for Yuan et al., 2015: see @tbl-warnings".

    A tally of reviews reads as so many independent findings. A result printed alike by
    another study is one review repeating another's, or a row read from the wrong source:
    either way the tally may count one finding twice, which the warnings table alone,
    pages away, did not tell the reader of the tally.
    """
    labels = sorted({in_brackets(e["label"]) if bracketed else e["label"] for e in entries
                     if e.get("ref") in repeated})
    if not labels:
        return ""
    if bracketed:
        # The labels last, after "for", as the certainty's are (_rated_certainty): inside
        # brackets, "A, authors unverified; and B, 2015 each print" could not be told from
        # the notes the semicolons part.
        return escape(f"a result printed alike by another study, counted as the review's own, for "
                      f"{_with_each(labels, 'for')}") + ": see @tbl-warnings"
    one = len(labels) == 1
    return escape(f"{join_list(labels)} {'prints a result' if one else 'each print a result'} with the same estimate "
                  f"and bounds as another study's, counted here as {'its' if one else 'their'} own") + " (see @tbl-warnings)"


def _review_caveats(entries: Sequence[Mapping[str, Any]], repeated: Collection[str],
                    bracketed: bool = True) -> list[str]:
    """The caveats of a tally of published results inside the report's brackets: the
    certainty their reviews give them (:func:`_rated_certainty`), intervals of no stated
    level (:func:`_unstated_levels`) and results printed alike by another study
    (:func:`_repeated_reviews`), each a note of its own, or, where every caveat is of one
    review, one note that names it once: "Mu et al., 2020, Cochrane: certainty low as the
    review rates it; no level stated for some of its intervals; and a result printed alike
    by another study, counted as its own: see @tbl-warnings". Each note naming the same review
    in turn had a reader meet one label three times in one bracket. Not ``bracketed``, for
    sentences of their own: the labels as printed, and the pointer in brackets."""
    def label(e: Mapping[str, Any]) -> str:
        return in_brackets(e["label"]) if bracketed else e["label"]

    rated = {label(e) for e in entries if e.get("certainty")}
    intervals = [e for e in entries if e["measure"] != "p_only" and e.get("ci_lb") is not None
                 and e.get("ci_ub") is not None and "ci_level" in e]
    unstated = {label(e) for e in intervals if e["ci_level"] is None}
    alike = {label(e) for e in entries if e.get("ref") in repeated}
    named = rated | unstated | alike
    if len(named) != 1 or sum(map(bool, (rated, unstated, alike))) < 2:
        return [_rated_certainty(entries, bracketed=bracketed), _unstated_levels(entries, bracketed=bracketed),
                _repeated_reviews(entries, repeated, bracketed=bracketed)]
    levels = sorted({str(e["certainty"]) for e in entries if e.get("certainty")},
                    key=lambda x: -LEVELS.index(x) if x in LEVELS else 1)
    # Mu 2020's SMD states 95% where its mean differences state no level.
    which = "its" if all(e["ci_level"] is None for e in intervals) else "some of its"
    said = ([f"certainty {' and '.join(map(level_text, levels))} as the review rates it"] if rated else []) + (
        [f"no level stated for {which} intervals"] if unstated else []) + (
        ["a result printed alike by another study, counted as its own"] if alike else [])
    pointer = (": see @tbl-warnings" if bracketed else " (see @tbl-warnings)") if alike else ""
    return [escape(f"{next(iter(named))}: {join_and(said)}") + pointer]


def ci_text(lb: float | None, ub: float | None, digits: int = 2) -> str:
    return f"{f2(lb, digits)} to {f2(ub, digits)}"


def md_scale(ctx: ReportContext, analysis: Mapping[str, Any]) -> str:
    """The common scale a mean difference is in, "0 to 10", or "" for any other measure.

    A mean difference is in the points of its outcome's common scale (config ``outcomes``,
    ``scale_min`` to ``scale_max``): "MD −0.51" alone does not say whether half a point
    is much, on a 0 to 10 scale, or next to nothing, on a 0 to 100 one.
    """
    if analysis.get("measure") != "MD":
        return ""
    outcome = (ctx.config.get("outcomes") or {}).get(analysis.get("outcome")) or {}
    if outcome.get("scale_min") is None or outcome.get("scale_max") is None:
        return ""
    return f"{outcome['scale_min']:g} to {outcome['scale_max']:g}"


def md_unit(ctx: ReportContext, analysis: Mapping[str, Any]) -> str:
    """The unit a mean difference is in, "days", or "": an outcome measured in natural
    units (config ``outcomes.<code>.unit``) has no common scale, and its differences are
    said in its unit ("MD −1.20 days")."""
    if analysis.get("measure") != "MD":
        return ""
    outcome = (ctx.config.get("outcomes") or {}).get(analysis.get("outcome")) or {}
    return str(outcome.get("unit") or "")


def md_points(ctx: ReportContext, analysis: Mapping[str, Any]) -> str:
    """" points on the 0 to 10 scale", after a mean difference and its interval, or the
    outcome's unit (" days"); else ""."""
    scale = md_scale(ctx, analysis)
    if scale:
        return f" points on the {scale} scale"
    unit = md_unit(ctx, analysis)
    return f" {escape(unit)}" if unit else ""


def outcome_mid(ctx: ReportContext, analysis: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The minimal important difference (``value``, ``source``) a mean difference of this
    analysis is read against: its outcome's ``mid`` in the config, for an MD only.

    An MID is a difference on the outcome's scale: carried over to an SMD it would need
    the SD of the outcome in the population, a conversion the review does not make, and a
    ratio has no such threshold, so neither is read against one."""
    if analysis.get("measure") != "MD":
        return None
    outcome = (ctx.config.get("outcomes") or {}).get(analysis.get("outcome")) or {}
    return outcome.get("mid") or None


def mid_position(lb: float, ub: float, mid: float) -> str:
    """Where an interval (``lb`` to ``ub``, a mean difference) lies against a minimal
    important difference ``mid``: "beyond", "within" or "crossing".

    GRADE judges imprecision by whether the interval crosses the MID (Guyatt et al. 2011,
    GRADE guidelines 6, J Clin Epidemiol 64:1283-93): beyond when it lies wholly on one
    side of +MID or of −MID (``lb >= mid`` or ``ub <= -mid``; a difference of exactly the
    MID is one that matters), within when it lies wholly inside ``(−mid, mid)``, and
    crossing otherwise (an interval from below −MID to above +MID crosses both).
    """
    if lb >= mid or ub <= -mid:
        return "beyond"
    if -mid < lb and ub < mid:
        return "within"
    return "crossing"


#: Units written in the plural that an amount of exactly 1 takes in the singular ("1 day");
#: any other unit ("kg", "mmHg", "°C", "beats/min") is printed as configured.
PLURAL_UNITS = frozenset({"days", "weeks", "months", "years", "hours", "minutes", "seconds",
                          "points", "steps", "visits", "episodes", "nights", "attacks"})


def _mid_amount(value: float, unit: str | None) -> str:
    """"1.5 points" on a common scale, "2 days" (and "1 day") in an outcome's unit."""
    if not unit:
        return f"{value:g} point{'' if value == 1 else 's'}"
    return f"{value:g} {unit[:-1] if value == 1 and unit.lower() in PLURAL_UNITS else unit}"


def mid_sentence(ctx: ReportContext, analysis: Mapping[str, Any], lb: float, ub: float, *,
                 brief: bool = False, of_study: bool = False) -> str:
    """Whether a mean difference's interval (``lb`` to ``ub``) shows an effect that matters,
    against its outcome's minimal important difference (:func:`mid_position`), naming the
    MID and its source; "" without one. A sentence; with ``brief``, a clause led by a comma
    and without brackets of its own (for a list whose items sit in brackets already); with
    ``of_study``, the sentence speaks of "the study's" interval, as under a table of one
    study's effect, where "the interval" alone could be any the section shows.
    Plain text, escaped by the caller (:func:`mid_markdown`)."""
    mid = outcome_mid(ctx, analysis)
    if not mid:
        return ""
    value = float(mid["value"])
    amount = _mid_amount(value, md_unit(ctx, analysis))
    # The source's own brackets as commas: "(Ostelo et al. (2008), Spine)" nested them.
    source = in_brackets(str(mid["source"]))
    position = mid_position(lb, ub, value)
    if brief:
        return {"beyond": (f", an interval wholly beyond the minimal important difference of {amount} from {source}, "
                           "so the effect likely matters"),
                "within": (f", an interval wholly within \u00b1{amount}, the minimal important difference from "
                           f"{source}, so any effect is likely too small to matter"),
                "crossing": (f", an interval crossing the minimal important difference of {amount} from {source}, "
                             "so it cannot tell whether the effect matters")}[position]
    the = "The study\u2019s" if of_study else "The"
    return {"beyond": (f"{the} whole interval lies beyond the minimal important difference of {amount} ({source}): "
                       "the effect likely matters."),
            "within": (f"{the} whole interval lies within \u00b1{amount}, the minimal important difference ({source}): "
                       "any effect is likely too small to matter."),
            "crossing": (f"{the} interval crosses the minimal important difference of {amount} ({source}): it cannot "
                         "tell whether the effect matters.")}[position]


def mid_cell(ctx: ReportContext, analysis: Mapping[str, Any], lb: float, ub: float) -> str:
    """Where a mean difference's interval (``lb`` to ``ub``) lies against its outcome's
    minimal important difference, as a clause for the results table's finding:
    "interval wholly beyond the MID (1.5 points)", "interval wholly within ±1.5 points
    (the MID)" or "interval crossing the MID (1.5 points)"; "" without one.

    The reading is :func:`mid_position`'s (Guyatt et al. 2011), as :func:`mid_sentence`
    words it; the table's introduction names each MID's source once
    (:func:`_mid_table_note`), not every row. Plain text."""
    mid = outcome_mid(ctx, analysis)
    if not mid:
        return ""
    value = float(mid["value"])
    amount = _mid_amount(value, md_unit(ctx, analysis))
    return {"beyond": f"interval wholly beyond the MID ({amount})",
            "within": f"interval wholly within \u00b1{amount} (the MID)",
            "crossing": f"interval crossing the MID ({amount})"}[mid_position(lb, ub, value)]


def mid_figure_note(ctx: ReportContext, analysis: Mapping[str, Any]) -> str:
    """What the forest plot's dashed lines mark, for its caption and alternative text:
    " Dashed lines at −1.5 and 1.5 points mark the minimal important difference (its
    source)."; "" without an MID (:func:`outcome_mid`: a mean difference's only).

    The plot draws them at ±``mid.value`` (:func:`metareview.plots.forest_plot`) and says
    under itself what they mark; the source is named here, as the plot is redrawn only
    when the value changes (:func:`metareview.plan.plotted_mid`). Plain text."""
    mid = outcome_mid(ctx, analysis)
    if not mid:
        return ""
    value = float(mid["value"])
    return (f" Dashed lines at \u2212{value:g} and {_mid_amount(value, md_unit(ctx, analysis))} mark the minimal "
            f"important difference ({in_brackets(str(mid['source']))}).")


def _mid_table_note(ctx: ReportContext, read: Collection[str]) -> str:
    """The results table's sentence on minimal important differences: that a mean
    difference's finding is read against one, and the MID of each outcome in ``read`` (those
    whose findings the table reads against it) with its source; "" when ``read`` is empty."""
    if not read:
        return ""
    outcomes = ctx.config.get("outcomes") or {}
    listed = "; ".join(f"{escape(outcomes[o]['label'])}: {escape(_mid_amount(float(outcomes[o]['mid']['value']), outcomes[o].get('unit')))} "
                       f"({escape(in_brackets(str(outcomes[o]['mid']['source'])))})"
                       for o in outcomes if o in read)
    return (" A mean difference's finding says where its interval lies against its outcome's minimal important "
            f"difference (MID): {listed}. Wholly beyond it, the effect likely matters; wholly within \u00b1MID, any "
            "effect is likely too small to matter; crossing it, the interval cannot tell.")


def mid_markdown(ctx: ReportContext, analysis: Mapping[str, Any], lb: float, ub: float, *,
                 brief: bool = False, of_study: bool = False) -> Markdown:
    """:func:`mid_sentence` escaped, a sentence with the space before it; "" without an MID."""
    text = mid_sentence(ctx, analysis, lb, ub, brief=brief, of_study=of_study)
    if not text:
        return Markdown("")
    return Markdown(escape(text) if brief else " " + escape(text))


def _mid_methods_text(ctx: ReportContext) -> str:
    """The methods' item on minimal important differences: each outcome's MID with its
    source, how a mean difference is read against it, and that an SMD is not; "" when the
    config sets none (the methods then say nothing of MIDs)."""
    outcomes = ctx.config.get("outcomes") or {}
    set_ = [(v, v["mid"]) for v in outcomes.values() if v.get("type") != "binary" and v.get("mid")]
    if not set_:
        return ""
    listed = "; ".join(f"{escape(v['label'])}: {escape(_mid_amount(float(mid['value']), v.get('unit')))} "
                       f"({escape(in_brackets(str(mid['source'])))})" for v, mid in set_)
    # The key is the provenance's Settings line's: the methods say what an MID is.
    return (f"- **Minimal important differences (MIDs)**: {listed}. A mean difference's confidence "
            "interval is read against its outcome's MID, as GRADE judges imprecision (Guyatt et al. 2011): wholly "
            "beyond it, the effect likely matters; wholly within \u00b1MID, any effect is likely too small to matter; "
            "crossing it, the interval cannot tell. An MID on a scale does not carry over to an SMD without a "
            "conversion (by the outcome's SD in the population) that this review does not make, so no SMD is read "
            "against one, and no ratio either.")


def _value_types_used(r: Mapping[str, Any]) -> str:
    """What the used effects are computed from: " (final values)", or the mix an MD allows.

    The analysis prefers the value type most of its trials offer, and an MD takes a trial
    that has only the other kind (Cochrane Handbook 10.5.2): the studies used say which.
    """
    kinds = Counter(s["value_type"] for s in r["studies"] if s.get("value_type") not in (None, "binary", "unknown"))
    unknown = sum(1 for s in r["studies"] if s.get("value_type") == "unknown")
    if not kinds and not unknown:
        return ""
    names = {"final": "final values", "change": "changes from baseline"}
    if len(kinds) == 1 and not unknown:
        return f" ({names.get(next(iter(kinds)), next(iter(kinds)))})"
    parts = [f"{names.get(kind, kind)}: {n}" for kind, n in sorted(kinds.items())]
    if unknown:
        parts.append(f"value type not reported: {unknown}")
    return f" ({', '.join(parts)})"


def _tau2_interval(p: Mapping[str, Any]) -> str:
    """The Q-profile interval for τ², a bound beyond the search interval marked as metafor does.

    With two or three studies the upper bound often lies beyond the largest τ² searched
    (100, ten times the estimate, or a mean difference's squared scale range): it is then
    that end, "> 100.000", not a number the data gave.
    """
    def bound(value: float | None, sign: str | None) -> str:
        return f"{escape(sign)} {f2(value, 3)}" if sign else f2(value, 3)

    if _empty_q_profile(p):
        return "empty: Q is smaller than expected even with τ² = 0"
    return f"{bound(p.get('tau2_ci_lb'), p.get('ci_lb_sign'))} to {bound(p.get('tau2_ci_ub'), p.get('ci_ub_sign'))}"


def _empty_q_profile(p: Mapping[str, Any]) -> bool:
    """Whether both Q-profile bounds fall below the search interval (metafor marks each "<").

    Q at τ² = 0 is then already below its lower critical value: no τ² ≥ 0 is compatible
    with the data at this level, and "< 0.000 to < 0.000" would read as an interval.
    """
    return p.get("ci_lb_sign") == "<" and p.get("ci_ub_sign") == "<"


def _i2_text(p: Mapping[str, Any]) -> str:
    """I² with its Q-profile interval (from the τ² interval, as metafor's confint).

    I² = 100 τ² / (ṽ + τ²) rises with τ², so a τ² bound at the end of the search interval
    ("> 100.000") gives an I² bound that is that end's I², not the data's: it carries the
    same sign ("> 88.1%"). On a 0-100 scale, where τ² = 100 is a between-study SD of 10
    points, that is the usual case, not a rare one.
    """
    def bound(value: float, sign: str | None) -> str:
        return f"{escape(sign)} {f2(value, 1)}%" if sign else f"{f2(value, 1)}%"

    text = f"I² = {f2(p['I2'], 1)}%"
    lb, ub = p.get("I2_ci_lb"), p.get("I2_ci_ub")
    if lb is None or ub is None or _empty_q_profile(p):
        return text
    return f"{text} ({_level_ci(p)} {bound(lb, p.get('ci_lb_sign'))} to {bound(ub, p.get('ci_ub_sign'))})"


def _level_ci(p: Mapping[str, Any]) -> str:
    """"95% CI": the level of a pooled result's intervals, which the Q-profile interval of
    τ² and I² and the prediction interval share with its confidence interval (metafor's
    ``level``, as ``confint`` and ``predict`` take it from the model).

    The pooled line printed "(95% CI ...)" for the estimate and a bare "(CI ...)" for I²
    beside it: an interval without its level, which a reader cannot take to be 95% when
    the review sets another. "CI" alone where the result carries no level.
    """
    level = p.get("level")
    return "CI" if level is None else f"{float(level):g}% CI"


def _prediction_text(a: Mapping[str, Any], p: Mapping[str, Any]) -> str:
    if p.get("pi_lb") is None or p.get("pi_ub") is None:
        return f"no prediction interval ({escape(p.get('pi_note') or 'not computed')})"
    level = "" if p.get("level") is None else f"{float(p['level']):g}% "
    return f"{level}prediction interval {ci_text(shown(a, p['pi_lb']), shown(a, p['pi_ub']))}"


def on_log_scale(analysis: Mapping[str, Any]) -> bool:
    """Whether an analysis' numbers are logs (risk and odds ratios), shown exponentiated."""
    return analysis.get("scale") == "log"


def shown(analysis: Mapping[str, Any], value: float | None) -> float | None:
    """A number on the analysis scale as the report shows it: exp() of a log ratio."""
    if value is None or not on_log_scale(analysis):
        return value
    return math.exp(value)


def excludes_no_effect(pooled: Mapping[str, Any]) -> bool:
    """Whether a pooled estimate's interval (analysis scale, null 0) lies wholly on one side of no difference."""
    return bool(pooled["ci_lb"] > 0 or pooled["ci_ub"] < 0)


#: How the report says what an interval shows. "Excludes no effect" reads to many as "rules
#: nothing out", the opposite of what it means; these say it without a double negative.
INCLUDES = "is compatible with no difference"
EXCLUDES = "lies wholly on one side of no difference"


def _compatibility(excludes: bool) -> str:
    """"the confidence interval lies wholly on one side of no difference", or is compatible with it."""
    return f"the confidence interval {EXCLUDES if excludes else INCLUDES}"


def _side(entry: Mapping[str, Any], proper: Collection[str] = ()) -> str:
    """" (favours acupuncture)" after an interval that lies wholly on one side; "" otherwise."""
    return f" ({_direction_words(entry, proper=proper)})" if entry.get("significant") and entry.get("direction") else ""


def _direction_words(entry: Mapping[str, Any], proper: Collection[str] = ()) -> str:
    """"favours acupuncture": the side a key-results entry's effect lies on, by the
    treatment's name as the rest of the report gives it mid-sentence; "favours
    intervention" from key results kept before the name was (``favoured``)."""
    return f"favours {escape(_in_sentence(entry['favoured'], proper))}" if entry.get("favoured") else str(entry["direction"])


def favours_intervention(analysis: Mapping[str, Any], estimate: float) -> bool:
    """Whether an estimate (analysis scale) lies on the side that favours the intervention."""
    if analysis.get("favours_intervention_when", "below") == "above":
        return estimate > 0
    return estimate < 0


def direction_sentence(analysis: Mapping[str, Any], proper: Collection[str] = ()) -> str:
    """Which values favour the intervention, e.g. "Risk ratios above 1 favour acupuncture"."""
    above = analysis.get("favours_intervention_when", "below") == "above"
    who = _in_sentence(analysis["intervention_label"], proper)
    if on_log_scale(analysis):
        return (f"{analysis['measure_label']}s {'above' if above else 'below'} 1 favour {who} "
                "(analysed on the log scale, shown exponentiated).")
    if analysis["measure"] == "RD":
        return f"Risk differences {'above' if above else 'below'} 0 favour {who}."
    return f"{'Positive' if above else 'Negative'} values favour {who}."


@dataclass
class ReportContext:
    """Everything the report is built from (all already computed)."""

    config: Mapping[str, Any]
    labels: Mapping[str, str]
    analyses: Sequence[Mapping[str, Any]]
    indirect: Sequence[Mapping[str, Any]]
    claims: Sequence[Mapping[str, Any]]
    effects: Sequence[Mapping[str, Any]]
    normalised: Sequence[Mapping[str, Any]]
    raw_rows: Mapping[str, tuple[str, int]]
    raw_tables: Mapping[str, Sequence[Mapping[str, Any]]]
    provenance: Mapping[str, Any]
    figures: Mapping[str, str]
    previous: Mapping[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)
    #: Spreadsheet row number (header = 1) of each row of :attr:`raw_tables`, by table.
    raw_row_numbers: Mapping[str, Sequence[int]] = field(default_factory=dict)
    #: Each row's number cells as typed (:attr:`metareview.rawdata.Row.text`), by table,
    #: in the order of :attr:`raw_tables`: what the audit trail quotes. A context without
    #: them quotes the parsed values (:func:`typed`).
    raw_texts: Mapping[str, Sequence[Mapping[str, str]]] = field(default_factory=dict)
    #: Each table's header row as read (:attr:`metareview.rawdata.RawData.headers`), for a
    #: consistency warning to give its column's spreadsheet letter. A context without
    #: them names the column alone.
    raw_headers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    #: What to say of a raw-table codebook the schemas have moved on from
    #: (:func:`metareview.rawdata.stale_codebook`), listed among the consistency warnings.
    codebook_note: str | None = None
    #: Lookups built once per context (:func:`_memo`); a replaced context starts afresh.
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)


def _memo(ctx: ReportContext, key: str, make: Any) -> Any:
    """``make()``, computed once per context: a review of a thousand analyses asks for
    the same lookups (judgements by analysis, studies by id) once per analysis."""
    if key not in ctx._memo:
        ctx._memo[key] = make()
    return ctx._memo[key]


#: How many analyses the report shows one by one when ``report.detail_limit`` is not set.
DEFAULT_DETAIL_LIMIT = 40


def _names(ctx: ReportContext) -> frozenset[str]:
    """The labels the review marks as proper names, kept as written mid-sentence
    (:func:`metareview.fmt.proper_names`)."""
    return proper_names(getattr(ctx, "config", {}).get("nodes", {}))


def detail_limit(ctx: ReportContext) -> int:
    """The most analyses the report gives a section each (``report.detail_limit``)."""
    limit = ctx.config.get("report", {}).get("detail_limit")
    return DEFAULT_DETAIL_LIMIT if limit is None else int(limit)


def in_detail(ctx: ReportContext) -> bool:
    """Whether each analysis gets a section of its own (forest plot, study table).

    Above :func:`detail_limit` analyses (a review with many sensitivity analyses, say),
    the report gives one row per analysis in a results table instead, and points to the
    files that hold each analysis's forest plot and study effects: a section per analysis
    would make a report of hundreds of pages that nobody reads, and its rendering would
    take most of the build.
    """
    return len(ctx.analyses) <= detail_limit(ctx)


def detailed_analyses(ctx: ReportContext) -> list[Mapping[str, Any]]:
    """The analyses that get a section of their own, in config order: all of them up to
    :func:`detail_limit`, else those ``report.detailed`` names (the primary ones, say)."""
    if in_detail(ctx):
        return list(ctx.analyses)
    wanted = set(ctx.config.get("report", {}).get("detailed") or [])
    return [r for r in ctx.analyses if r["analysis"]["id"] in wanted]


# --------------------------------------------------------------------------- certainty


def _config_entry(ctx: ReportContext, analysis_id: str) -> Mapping[str, Any]:
    """An analysis's entry in the config, with the keys only the report reads."""
    entries = _memo(ctx, "config_entries", lambda: {a["id"]: a for a in ctx.config.get("analyses", [])})
    return entries.get(analysis_id, {})


def judgement_of(ctx: ReportContext, analysis_id: str) -> Mapping[str, Any] | None:
    """The team's GRADE judgements of an analysis (its ``certainty`` in the config)."""
    return _config_entry(ctx, analysis_id).get("certainty")


def certainty_of(ctx: ReportContext, r: Mapping[str, Any]) -> Certainty:
    """The GRADE level of an analysis's evidence, or why it has none (:func:`rate`)."""
    # Studies with an effect, pooled or not: GRADE rates a body of evidence, which a
    # narrative synthesis of studies that cannot be pooled is too.
    aid = r["analysis"]["id"]
    return _memo(ctx, f"certainty:{aid}", lambda: rate(
        judgement_of(ctx, aid), [s["study_id"] for s in r["studies"]],
        has_evidence=bool(r["studies"]) and r["status"] != "no_studies", fingerprints=fingerprints(ctx, r)))


def _study_docs(ctx: ReportContext) -> dict[str, Mapping[str, Any]]:
    return _memo(ctx, "studies", lambda: {d["study"]["study_id"]: d for d in ctx.normalised})


def fingerprints(ctx: ReportContext, r: Mapping[str, Any]) -> dict[str, str]:
    """The :func:`~metareview.certainty.fingerprint` of each study's data in an analysis
    (once per report: the level, the key results and the certainty table ask for them)."""
    docs = _study_docs(ctx)
    return _memo(ctx, f"fingerprints:{r['analysis']['id']}", lambda: {
        s["study_id"]: fingerprint(s["yi"], s["vi"], s.get("n1"), s.get("n2"),
                                   [(x.get("domain", ""), x.get("judgement", ""))
                                    for x in docs.get(s["study_id"], {}).get("risk_of_bias", [])])
        for s in r["studies"]})


def any_judgement(ctx: ReportContext) -> bool:
    """Whether the config records GRADE judgements for any analysis."""
    return _memo(ctx, "any_judgement", lambda: any(a.get("certainty") for a in ctx.config.get("analyses", [])))


def _study_labels(ctx: ReportContext) -> dict[str, str]:
    return _memo(ctx, "study_labels", lambda: {d["study"]["study_id"]: d["study"]["label"] for d in ctx.normalised})


def _absolute_clause(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    text = absolute_text(r, assumed_risk(ctx, r["analysis"]["id"]), proper=_names(ctx))
    # Whether the trial's own risk difference is printed is decided in one place, which
    # the audit trail and the evidence appendix ask too.
    if text and _printed_reported_rd(ctx, r):
        text += _reported_rd_clause(ctx, r["analysis"], r["studies"][0])
    return f"; in absolute terms, {text}" if text else ""


def _reported_rd_clause(ctx: ReportContext, a: Mapping[str, Any], s: Mapping[str, Any]) -> str:
    """"; the trial's own risk difference, from its own analysis, is 202 more per 1,000 (134
    more to 267 more)" when
    a single trial of a ratio analysis also reports a risk difference for the same two
    treatments, outcome and week, or "".

    The difference per 1,000 above comes from the risk ratio and the trial's comparator
    risk, as a summary-of-findings table derives it, and its interval from the ratio's:
    wider than the trial's own (Haake 2007: 119 to 304 against 134 to 267). A reader
    comparing the report with the trial's abstract needs both.
    """
    found = _reported_rd(ctx, a, s)
    if found is None:
        return ""
    _, est, lb, ub = found
    return escape(f"; the trial's own risk difference, from its own analysis, is {_more_or_fewer(est)} per "
                  f"1,000 ({_more_or_fewer(lb)} to {_more_or_fewer(ub)})")


def _printed_reported_rd(ctx: ReportContext,
                         r: Mapping[str, Any]) -> tuple[Mapping[str, Any], float, float, float] | None:
    """:func:`_reported_rd` of an analysis's only trial when the report prints it (a single
    study with a difference per 1,000, as :func:`_absolute_clause` decides), else None."""
    if r["status"] != "single_study" or not r["studies"] or not absolute_text(r, assumed_risk(ctx, r["analysis"]["id"]), proper=_names(ctx)):
        return None
    return _reported_rd(ctx, r["analysis"], r["studies"][0])


def _reported_rd(ctx: ReportContext, a: Mapping[str, Any],
                 s: Mapping[str, Any]) -> tuple[Mapping[str, Any], float, float, float] | None:
    """The risk difference a single trial of a ratio analysis reports for the same two
    treatments, outcome and week (:func:`_reported_rd_clause`), as its normalised contrast
    and its estimate and bounds per 1,000, signed so that more favours the analysis's
    intervention (``1000 × RD``, turned when the source subtracts the other way); or None."""
    if a.get("measure") not in ("RR", "OR"):
        return None
    pair = (a["intervention"], a["comparator"])
    for c in _study_docs(ctx).get(s["study_id"], {}).get("contrasts", []):
        if (c.get("measure") != "RD" or (c.get("node1"), c.get("node2")) not in (pair, pair[::-1])
                or c.get("outcome") != a["outcome"] or not same_timepoint(c, s)
                or None in (c.get("estimate"), c.get("ci_lb"), c.get("ci_ub"))):
            continue
        sign = 1 if c["node1"] == pair[0] else -1
        lb, ub = sorted(x * sign * 1000 for x in (c["ci_lb"], c["ci_ub"]))
        return c, c["estimate"] * sign * 1000, lb, ub
    return None


def _certainty_clause(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """"; certainty of the evidence (GRADE): low (...)" for an analysis with judgements, else ""."""
    c = certainty_of(ctx, r)
    if not c.judged:
        return ""
    return f"; certainty of the evidence (GRADE): {escape(describe(c, _study_labels(ctx)))}"


def _domains_cell(c: Certainty, labels: Mapping[str, str], note: str = "") -> str:
    """The certainty table's account of the judgements: each domain's rating and reason,
    after what keeps them from giving a level, if anything, and ``note`` after them."""
    ratings = "; ".join(f"{DOMAIN_TEXT[d]}: {RATING_TEXT[c.downgrades[d]]}"
                        + (f" ({c.reasons[d]})" if d in c.reasons else "") for d in c.downgrades)
    if c.status == "not_assessed":
        return "no judgements recorded"
    if c.status == "graded":
        head = ""
    elif c.status == "incomplete":
        head = f"not judged: {join_and([DOMAIN_TEXT[d] for d in c.missing])}"
        ratings = f"Ratings: {ratings}" if ratings else ""
    else:
        # Out of brackets here: each label as written.
        head = describe(c, labels, bracketed=False).removeprefix("not rated (").removesuffix(")")
        if ratings:
            ratings = ("Ratings made then: " if c.status == "out_of_date" else "Ratings: ") + ratings
    text = ". ".join(x for x in (head, ratings, note) if x)
    return text + (f". Assessed by {c.assessed_by}" if c.assessed_by else "")


def certainty_table(ctx: ReportContext) -> Markdown:
    """The GRADE level of every analysis with an effect or with judgements, with the reasons."""
    names = analysis_names(ctx)
    labels = _study_labels(ctx)
    rows = []
    # Every analysis with an effect when each has a section; in the one-table layout the
    # results table already gives every level, and this one the judged analyses only.
    every = in_detail(ctx)
    # Each study's data fingerprint, for the team to record with its judgements, once
    # it records any (a report without GRADE does not print codes its readers need not).
    codes = any_judgement(ctx)
    for r in ctx.analyses:
        c = certainty_of(ctx, r)
        if not _in_certainty_table(ctx, r):
            continue
        prints = fingerprints(ctx, r) if codes else {}
        studies = "; ".join(labels.get(s["study_id"], s["study_id"])
                            + (f" (data {prints[s['study_id']]})" if codes else "") for s in r["studies"]) or "–"
        note = ""
        if "risk_of_bias" in c.downgrades:
            # A rating of risk of bias with no judgement in the data to rest on is the
            # team's to defend: said beside it rather than refused (it may rest on a
            # source's judgement not transcribed).
            bare = [in_brackets(labels.get(s["study_id"], s["study_id"])) for s in r["studies"]
                    if _overall_risk_of_bias(ctx, s["study_id"]) is None]
            if bare:
                # Plain text: the table escapes the cell.
                note = (f"Risk of bias was rated with no overall risk-of-bias judgement recorded for "
                            f"{len(bare)} of its {len(r['studies'])} {'study' if len(r['studies']) == 1 else 'studies'}"
                            f" ({'; '.join(bare)})")
        rows.append([names[r["analysis"]["id"]], studies, grade_facts(ctx, r),
                     level_text(c.level) if c.level else "not rated", _domains_cell(c, labels, note)])
    which = ("each analysis with an effect" if every else
             "each analysis the team has judged (the GRADE column of @tbl-results gives every level)")
    intro = Markdown(
        f"Certainty of the evidence (GRADE) for {which}, from the review team's "
        "judgements: evidence from randomised trials starts "
        "at high and is rated down one level for each domain with a serious concern, two for a very serious one "
        "(risk of bias, inconsistency, indirectness, imprecision, publication bias). Judgements made on studies "
        "other than those an analysis now holds give no level until they are made again. The data column gives "
        "what the judgements draw on that the data can show; it rates nothing.\n")
    if codes:
        intro = Markdown(intro + (
            "\nThe code after each study fingerprints its data in the analysis (effect, variance, group sizes, "
            "risk-of-bias judgements). Recorded with the judgements, it lets the report "
            "tell judgements made on data that has changed since: they too give no level until made again.\n"))
    heading = "### Certainty of the evidence (GRADE) {#sec-certainty}\n\n"
    return Markdown(heading + intro + "\n" + table(
        ["Analysis", "Studies", "Data", "GRADE", "Domains"], rows,
        "Certainty of the evidence (GRADE)", "tbl-certainty"))


def _in_certainty_table(ctx: ReportContext, r: Mapping[str, Any]) -> bool:
    """Whether the GRADE table (:func:`certainty_table`, printed once the team has judged
    any analysis) has a row for ``r``: every analysis with an effect when each has a
    section of its own, the judged ones otherwise."""
    if not any_judgement(ctx):
        return False
    c = certainty_of(ctx, r)
    return bool(c.judged) or (c.status != "no_evidence" and in_detail(ctx))


def _overall_risk_of_bias(ctx: ReportContext, study_id: str) -> str | None:
    """A study's overall risk-of-bias judgement in risk_of_bias.csv (its first tool's), or
    None when it has none (a row judged ``not_assessed`` is none)."""
    judged = [x["judgement"] for x in _study_docs(ctx).get(study_id, {}).get("risk_of_bias", [])
              if x.get("domain") == "overall" and x.get("judgement") != "not_assessed"]
    return judged[0] if judged else None


def grade_facts(ctx: ReportContext, r: Mapping[str, Any]) -> Markdown:
    """What the data show for the GRADE domains of an analysis with an effect.

    Participants and whether the interval excludes no difference (imprecision), I² and
    the prediction interval (inconsistency), the small-study test or why there is none
    (publication bias), and the overall risk-of-bias judgements recorded for its studies.
    Facts only: the ratings stay the review team's (GRADE Handbook, section 5).
    """
    studies = r["studies"]
    if not studies or r["status"] == "no_studies":
        return Markdown("no study effect")
    sizes = [s["n1"] + s["n2"] for s in studies if s.get("n1") is not None and s.get("n2") is not None]
    facts = [f"k = {len(studies)}"]
    facts += [f"{round(sum(sizes)):,} participants" + ("" if len(sizes) == len(studies) else
                                                       f" in {len(sizes)} of {len(studies)} studies")
             if sizes else "participants not reported"]
    p = r["pooled"]
    if r["status"] == "pooled":
        excludes = excludes_no_effect(p)
    elif r["status"] == "single_study":
        excludes = studies[0]["ci_lb"] > 0 or studies[0]["ci_ub"] < 0
    else:
        excludes = None
        facts.append("not pooled")
    if excludes is not None:
        facts.append("interval excludes no difference" if excludes else "interval includes no difference")
    if r["status"] == "pooled":
        facts.append(f"I² = {f2(p['I2'], 1)}%")
        if p.get("pi_lb") is not None and p.get("pi_ub") is not None and excludes and p["pi_lb"] < 0 < p["pi_ub"]:
            facts.append("prediction interval includes no difference")
        rt = p.get("regtest")
        # Markdown: a bare "<" would start an autolink for pandoc (see p_text).
        facts.append(f"small-study test {p_text(rt['pval'])}" if rt else
                     f"no small-study test (k \\< {_small_study_min(ctx)})" if r["k"] < _small_study_min(ctx)
                     else f"no small-study test ({escape(p['regtest_error'])})" if p.get("regtest_error")
                     else "no small-study test")
    rob = Counter((_overall_risk_of_bias(ctx, s["study_id"]) or "not recorded").replace("_", " ") for s in studies)
    # The judgements are names from risk_of_bias.csv's schema (low, some concerns, ...).
    # "low (2), not recorded (1)": a count after its judgement ("1 not recorded" read as a label).
    facts.append("risk of bias (overall): " + ", ".join(f"{escape(j)} ({n})" for j, n in sorted(rob.items())))
    return Markdown("; ".join(facts))


# --------------------------------------------------------------------------- key results


def _study_effect_shown(entry: Mapping[str, Any]) -> float | None:
    """A single study's effect in a key-results entry as the report shows it (a ratio, not
    its log). Builds before ``study_effect_exp`` stored the ratio as ``study_effect``."""
    return entry.get("study_effect_exp", entry.get("study_effect"))


def _effect_fields(a: Mapping[str, Any], name: str, estimate: float, interval: Mapping[str, Any]) -> dict[str, Any]:
    """A key-results entry's effect (``name``: a pooled ``estimate`` or a ``study_effect``)
    with its interval and what they show, on the analysis scale (log ratios for RR and OR,
    where the null is 0), and exponentiated beside them for a ratio."""
    fields: dict[str, Any] = {
        name: estimate, "ci_lb": interval["ci_lb"], "ci_ub": interval["ci_ub"],
        "significant": excludes_no_effect(interval),
        "direction": "favours intervention" if favours_intervention(a, estimate) else "favours comparator",
        # The side by name, for What changed: "now favours Sham" says what "now favours
        # comparator" leaves the reader to look up.
        "favoured": a["intervention_label" if favours_intervention(a, estimate) else "comparator_label"]}
    if on_log_scale(a):
        fields.update({"scale": "log", f"{name}_exp": shown(a, estimate), "ci_lb_exp": shown(a, interval["ci_lb"]),
                       "ci_ub_exp": shown(a, interval["ci_ub"])})
    return fields


def _timepoint_key(s: Mapping[str, Any]) -> dict[str, str]:
    """``{"timepoint": "week 12"}``, a study effect's timepoint as its study table prints
    it, or nothing when it has none: an effect that now comes from another timepoint (a
    row of the one before made unusable, another row added nearer the window's target)
    is a change What changed names, whether or not the number moved."""
    # Plain spaces in the history: the no-break space is the tables' layout, not the data.
    text = _timepoint_text(s).removeprefix(", ").replace("\u00a0", " ")
    return {"timepoint": text} if text else {}


def _timepoint_moved(was: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """["timepoint week 4 → week 12"] when both builds kept a study effect's timepoint and
    it differs, else []: as its effect's move is said beside it ("its effect 0.40 →
    0.37"), without a "now" that the analysis's line may have said already."""
    if was.get("timepoint") and new.get("timepoint") and was["timepoint"] != new["timepoint"]:
        return [f"timepoint {escape(was['timepoint'])} → {escape(new['timepoint'])}"]
    return []


def _form_key(s: Mapping[str, Any]) -> dict[str, str]:
    """``{"form": "arm-level means and SDs"}``, the numbers a study effect comes from as
    its study table prints them, or nothing when it has none recorded: an effect that now
    rests on means and SDs estimated from medians, or on a reported mean difference where
    it came from the arms' means, rests on other numbers and other assumptions, whether
    or not it moved."""
    return {"form": str(s["form"])} if s.get("form") else {}


def _form_moved(was: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """["computed from arm-level medians (mean and SD estimated), where it was from
    arm-level means and SDs"] when both builds recorded a study effect's numbers and they
    differ, else []."""
    if was.get("form") and new.get("form") and was["form"] != new["form"]:
        return [f"computed from {escape(new['form'])}, where it was from {escape(was['form'])}"]
    return []


def _own_effect_key(a: Mapping[str, Any], own: Mapping[str, Any]) -> dict[str, Any]:
    """A set-aside trial's own effect in the key results, as the report prints it (a ratio,
    not its log), with the value type it comes from."""
    return {"value_type": own["value_type"], "effect": shown(a, own["yi"]),
            "ci_lb": shown(a, own["ci_lb"]), "ci_ub": shown(a, own["ci_ub"])}


#: A set-aside trial's value type as the report words it.
_VALUE_KINDS = {"final": "final values", "change": "changes from baseline"}


def _replaced_trial_text(new: str, old: str, old_type: str | None, new_type: str | None) -> str:
    """What changed in an analysis whose one study is now another trial.

    "the effect comes from another trial, Cherkin et al. (2009), in place of Brinkhaus
    et al. (2006), and from another kind of value: final values, where it was changes from
    baseline". The kind is said only when both builds recorded it and it differs (key
    results from before it was kept give the trials alone).
    """
    text = f"the effect comes from another trial, {escape(new)}, in place of {escape(old)}"
    if old_type and new_type and old_type != new_type:
        kinds = {**_VALUE_KINDS, "unknown": "values not reported as final or change"}
        text += (f", and from another kind of value: {escape(kinds.get(new_type, new_type))}, where it was "
                 f"{escape(kinds.get(old_type, old_type))}")
    return text


def _own_effect_changes(before: Mapping[str, Any], now: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """What moved in the own effects of the trials an analysis sets aside for their value
    type ("Meng et al. (2003), set aside, its own effect −0.98 → −0.87"): they are printed
    beside the analysis, not pooled, so a move changes no conclusion. Key results from
    before these were kept give nothing."""
    if "set_aside" not in before:
        return []
    was_all, now_all = before["set_aside"], now.get("set_aside", {})
    notes = []
    for sid in sorted(set(was_all) | set(now_all)):
        was, new = was_all.get(sid), now_all.get(sid)
        who = f"{escape(names.get(sid, sid))}, set aside"
        if was is None:
            notes.append(f"{who}, its own effect given beside it: {f2(new['effect'])} ({_interval(new)})")
        elif new is None and sid in now.get("studies", []) and sid not in before.get("studies", []):
            # Its value type now the analysis's (the trial it was set aside beside removed,
            # say): "no longer given" read as if the trial had left the analysis.
            kind = _VALUE_KINDS.get(was["value_type"], was["value_type"])
            notes.append(f"{escape(names.get(sid, sid))}, no longer set aside, used with its {escape(kind)} "
                         f"(its own effect was {f2(was['effect'])}, {_interval(was)})")
        elif new is None and "excluded" in now and sid not in now["excluded"] and sid not in now.get("studies", []):
            # Out of the analysis altogether (its arm's treatment moved to another node,
            # say): "set aside, its own effect no longer given" read as if it still were.
            notes.append(f"{escape(names.get(sid, sid))}, set aside before, no longer in this analysis (its own "
                         f"effect was {f2(was['effect'])}, {_interval(was)})")
        elif new is None:
            notes.append(f"{who}, its own effect no longer given (was {f2(was['effect'])}, {_interval(was)})")
        else:
            moved = _effect_moves(was, new, "its own effect")
            if moved:
                notes.append(f"{who}, " + ", ".join(moved))
    return notes


def _effect_moves(was: Mapping[str, Any], new: Mapping[str, Any], what: str) -> list[str]:
    """How a study's effect moved as printed ("its effect 0.05 → 0.04", "interval ... → ..."),
    or nothing when both read the same to the digits shown."""
    moved = [f"{what} {f2(was['effect'])} → {f2(new['effect'])}"] if f2(was["effect"]) != f2(new["effect"]) else []
    if _interval(was) != _interval(new):
        moved.append(f"interval {_interval(was)} → {_interval(new)}")
    return moved


#: The most studies of one analysis whose moved effects What changed names one by one.
STUDY_MOVES_LIMIT = 3


def _study_effect_changes(before: Mapping[str, Any], now: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """What moved in the effects of the studies an analysis of two or more holds, as its
    study table prints them ("Kwon et al. (2007), its effect 0.05 → 0.04, interval ..."):
    an edit to one study can leave the pooled estimate the same to two decimals and still
    change the study's row and the forest plot. Studies that came or went are named
    elsewhere; key results from before these were kept give nothing."""
    if "study_effects" not in before:
        return []
    was_all, now_all = before["study_effects"], now.get("study_effects", {})
    notes = []
    for sid in sorted(set(was_all) & set(now_all)):
        was, new = was_all[sid], now_all[sid]
        moved = _effect_moves(was, new, "its effect") + _timepoint_moved(was, new) + _form_moved(was, new)
        if moved:
            notes.append(f"{escape(names.get(sid, sid))}, " + ", ".join(moved))
    if len(notes) > STUDY_MOVES_LIMIT:
        return [f"the effects of {len(notes)} of its studies moved (see its study table)"]
    return notes


def key_results(ctx: ReportContext) -> dict[str, Any]:
    """The numbers and conclusions a later build compares itself with."""
    out: dict[str, Any] = {"studies": sorted(d["study"]["study_id"] for d in ctx.normalised),
                           "study_labels": dict(_study_labels(ctx)),
                           "analysis_names": analysis_names(ctx),
                           # Each analysis as its heading and the appendices name it.
                           "analysis_titles": {r["analysis"]["id"]: analysis_title(r["analysis"])
                                               for r in ctx.analyses
                                               if all(r["analysis"].get(k) for k in ("intervention_label", "comparator_label",
                                                                                     "outcome_label", "window_label"))},
                           "analyses": {}}
    for r in ctx.analyses:
        p = r["pooled"]
        entry: dict[str, Any] = {"status": r["status"], "k": r["k"], "measure": r["analysis"]["measure"],
                                 "studies": sorted(s["study_id"] for s in r["studies"])}
        if p:
            entry.update(_effect_fields(r["analysis"], "estimate", p["estimate"], p))
            if p.get("leave1out") is not None:
                # The studies whose omission alone changes the conclusion (leave-one-out).
                entry["sensitive_to"] = sorted(x["study_id"] for x in sensitive_to(r))
        elif r["studies"]:
            entry.update(estimate=None)
            if len(r["studies"]) == 1:
                # Not pooled: the one study's effect, its interval and what they show, as
                # for a pooled estimate, so that an edit or a changed level shows.
                s = r["studies"][0]
                entry.update(_effect_fields(r["analysis"], "study_effect", s["yi"], s), **_timepoint_key(s),
                             **_form_key(s))
                # The kind of value it comes from: another trial standing in for this one
                # with change scores where it gave final values is news beyond the number.
                entry["study_value_type"] = s.get("value_type")
        # A trial set aside for its value type has its own effect printed beside the
        # analysis (_own_effect_text): an edit that moves it changes the report too.
        entry["set_aside"] = {e["study_id"]: _own_effect_key(r["analysis"], e["own_effect"])
                              for e in r.get("excluded") or [] if e.get("own_effect")}
        # Every study the analysis could take and did not, so that one that left it (its
        # arms now in another node) is told from one still set aside.
        entry["excluded"] = sorted({e["study_id"] for e in r.get("excluded") or []})
        if len(r["studies"]) > 1:
            # Each study's effect as the analysis's study table prints it: an edit to one
            # study's numbers can move it while the pooled estimate stays the same to two
            # decimals.
            entry["study_effects"] = {s["study_id"]: {**_own_effect_key(r["analysis"], {**s, "value_type": s.get("value_type")}),
                                                      **_timepoint_key(s), **_form_key(s)}
                                      for s in r["studies"]}
        # The published reviews the analysis shows: one added or gone is news.
        entry["external"] = sorted({e["study_id"] for e in r.get("external") or []})
        c = certainty_of(ctx, r)
        entry.update(certainty=c.level, certainty_status=c.status)
        if r["studies"]:
            # What a team records with its judgements (the certainty table shows them too).
            entry["fingerprints"] = fingerprints(ctx, r)
        judgement = judgement_of(ctx, r["analysis"]["id"])
        if judgement:
            # So that an edited judgement with the same level still shows, and why a
            # judged analysis has no level. Listing the studies in another order is no
            # edit; recording their fingerprints is.
            judged = judgement.get("studies", [])
            judged = judged if isinstance(judged, Mapping) else sorted(judged)
            entry["certainty_judgements"] = _digest({**judgement, "studies": judged})
            # The ratings and the studies apart as well: a study renamed in the raw tables
            # and in `studies` is the same judgement on the same data, which the changes
            # section tells by comparing the studies under their new ids.
            entry["certainty_ratings"] = _digest({k: v for k, v in judgement.items() if k != "studies"})
            entry["certainty_studies"] = judged
            entry["certainty_text"] = describe(c, _study_labels(ctx))
        out["analyses"][r["analysis"]["id"]] = entry
    # Trials that enter no analysis: a trial just added that enters none moves nothing,
    # and the next build's changes say so rather than leave only "nothing changed".
    used = {s["study_id"] for r in ctx.analyses for s in r["studies"]}
    out["unused_trials"] = sorted(d["study"]["study_id"] for d in ctx.normalised
                                  if d["study"]["role"] == "trial" and d["study"]["study_id"] not in used)
    # Why, where the analyses it could enter set it aside (its weeks left empty, say): each
    # reason once, as the table of trials that could not be used gives it.
    unused = set(out["unused_trials"])
    why: dict[str, list[str]] = {}
    for r in ctx.analyses:
        for x in r.get("excluded") or []:
            if x["study_id"] in unused and x.get("reason") and x["reason"] not in why.get(x["study_id"], []):
                why.setdefault(x["study_id"], []).append(x["reason"])
    out["unused_reasons"] = why
    out["published"] = published_results(ctx)
    out["claims"] = {c["claim_id"]: c["verdict"] for c in ctx.claims}
    # Why each verdict: a new study can change the reason and leave the verdict.
    out["claim_reasons"] = {c["claim_id"]: c["reason"] for c in ctx.claims}
    # And what each claims, for What changed to name it by its words, not its id alone.
    out["claim_texts"] = {c["claim_id"]: c["claim"] for c in ctx.claims if c.get("claim")}
    out["indirect"] = {x["id"]: x["status"] for x in ctx.indirect}
    # What each compares, for What changed to name it by, its id after it.
    out["indirect_titles"] = {x["id"]: _indirect_title(ctx, x) for x in ctx.indirect}
    # What the report says of each: its estimates through each common comparator (as
    # printed: ratios, not their logs), and in words why there is none.
    out["indirect_results"] = {x["id"]: _indirect_key(x) for x in ctx.indirect}
    # The choices the numbers depend on, so that a later build can say which changed.
    settings: dict[str, Any] = {}
    for section in SETTINGS_COMPARED:
        if section in ctx.config:
            settings.update(_flat(section, ctx.config[section]))
    for a in ctx.config.get("analyses", []):
        # GRADE judgements are compared as what they conclude (the analyses' certainty).
        settings.update(_flat(f"analyses.{a['id']}", {k: v for k, v in a.items() if k not in ("id", "certainty")}))
    for x in ctx.config.get("indirect", []):
        # By id, as analyses are: the list's order is no setting.
        settings.update(_flat(f"indirect.{x['id']}", {k: v for k, v in x.items() if k != "id"}))
    out["settings"] = settings
    # Which build these are, for the next one's "What changed" to say what it compares with.
    out["built"] = {"date": ctx.provenance.get("build_date"), "commit": ctx.provenance.get("git_commit")}
    out["study_data"] = study_digests(ctx.raw_tables)
    out["shared_data"] = shared_digests(ctx.raw_tables)
    out["raw_cells"] = kept_cells(ctx.raw_tables, ctx.raw_row_numbers, ctx.raw_texts)
    # Said again at the end of the build (rules/common.smk), the new ones in full.
    out["warnings"] = {key: f"{label}: {text}" for label, text, key in consistency_warnings(ctx)}
    return out


def _indirect_title(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """An indirect comparison by what it compares, as the summary names it: "Indirect
    comparison of dry needling and acupuncture on pain intensity, short term"."""
    names = _names(ctx)
    where = ", ".join(_in_sentence(str(ctx.labels.get(x[k], x[k]))) if k == "outcome"
                      else _window_name({"label": ctx.labels.get(x[k], x[k])}).lower()
                      for k in ("outcome", "window") if x.get(k))
    return (f"Indirect comparison of {_in_sentence(x['treatment_a_label'], names)} and "
            f"{_in_sentence(x['treatment_b_label'], names)}" + (f" on {where}" if where else ""))


def _indirect_key(x: Mapping[str, Any]) -> dict[str, Any]:
    """An indirect comparison in the key results: its measure and level, each anchored
    estimate with its interval on the printed scale, and the words that explain it."""
    log = x.get("scale") == "log"
    return {"measure": x["measure"], "level": x["level"], "detail": x["detail"],
            "estimates": [{"through": a["comparator_label"], "estimate": _ix(a, "estimate", log),
                           "ci_lb": _ix(a, "ci_lb", log), "ci_ub": _ix(a, "ci_ub", log)}
                          for a in x["anchored"]]}


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def shared_digests(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, str]:
    """A digest of each raw table whose rows belong to no one study, by file name.

    Treatments, instruments, sources, claims: a changed range or label there moves the
    effects of every study that uses it, while no study's own rows change.
    """
    return {f"{name}.csv": _digest(rows) for name, rows in sorted(tables.items())
            if rows and not any("study_id" in row for row in rows)}


def study_digests(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, dict[str, str]]:
    """A digest of each study's raw rows in each table with a ``study_id``, by study and file.

    The values only, in file order: a row added, edited or removed changes its study's
    digest for that file, rows of other studies inserted around it do not. Per file, so
    that the next report can say where a study's rows changed (``arm_outcomes.csv``).
    """
    rows: dict[str, dict[str, list[Any]]] = {}
    for name in sorted(tables):
        for row in tables[name]:
            study = row.get("study_id")
            if study is not None:
                rows.setdefault(study, {}).setdefault(f"{name}.csv", []).append(row)
    return {study: {file: _digest(data) for file, data in sorted(files.items())}
            for study, files in sorted(rows.items())}


def kept_cells(tables: Mapping[str, Sequence[Mapping[str, Any]]],
               row_numbers: Mapping[str, Sequence[int]],
               texts: Mapping[str, Sequence[Mapping[str, str]]] | None = None) -> dict[str, Any]:
    """Every raw cell, kept so that the next build can say which cells changed.

    ``{"columns": {file: [column, ...]}, "studies": {study: {file: [[row, value, ...],
    ...]}}, "shared": {file: [[row, value, ...], ...]}}``: each row is its spreadsheet row
    number (header = 1; 0 where unknown) and its values in column order (``None`` for an
    empty cell), grouped by study for the tables with a ``study_id`` (as
    :func:`study_digests`) and by file for the others (as :func:`shared_digests`). The
    columns are every column any row of the table fills, in the file's order
    (:func:`_column_order`): a row holds only the cells that are filled.

    With ``texts`` (each row's number cells as typed, :attr:`metareview.rawdata.Row.text`),
    also ``"typed": {"studies": {study: {file: [{column: text}, ...]}}, "shared": {file:
    [...]}}``, one mapping beside each row of the same group: the number cells whose text
    is not the value as :func:`_value_text` prints it ("4.0", "0.90"), so that the changes
    section quotes them as the CSV has them. The values alone are compared, and a build
    that kept no texts is quoted by its values.
    """
    columns: dict[str, list[str]] = {}
    studies: dict[str, dict[str, list[list[Any]]]] = {}
    shared: dict[str, list[list[Any]]] = {}
    typed_studies: dict[str, dict[str, list[dict[str, str]]]] = {}
    typed_shared: dict[str, list[dict[str, str]]] = {}
    for name in sorted(tables):
        rows = tables[name]
        if not rows:
            continue
        file = f"{name}.csv"
        columns[file] = _column_order(rows)
        numbers = list(row_numbers.get(name, ()))
        row_texts = list((texts or {}).get(name, ()))
        for i, row in enumerate(rows):
            kept = [numbers[i] if i < len(numbers) else 0, *(row.get(c) for c in columns[file])]
            as_typed = {c: t for c, t in (row_texts[i] if i < len(row_texts) else {}).items()
                        if c in row and t != _value_text(row[c])}
            if "study_id" in row:
                studies.setdefault(row["study_id"], {}).setdefault(file, []).append(kept)
                typed_studies.setdefault(row["study_id"], {}).setdefault(file, []).append(as_typed)
            else:
                shared.setdefault(file, []).append(kept)
                typed_shared.setdefault(file, []).append(as_typed)
    out: dict[str, Any] = {"columns": columns, "studies": dict(sorted(studies.items())), "shared": shared}
    if texts is not None:
        out["typed"] = {"studies": dict(sorted(typed_studies.items())), "shared": typed_shared}
    return out


def _column_order(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every column the rows fill, in the file's order.

    Each row holds its filled cells in the header's order; a column first met in a later
    row goes after the column before it in that row.
    """
    order: list[str] = []
    known: set[str] = set()
    for row in rows:
        if known.issuperset(row):  # most rows: nothing new
            continue
        known.update(row)
        previous = None
        for column in row:
            if column not in order:
                order.insert(order.index(previous) + 1 if previous is not None else 0, column)
            previous = column
    return order


def _value_text(value: Any) -> str:
    """A cell's value as text: numbers without a float's ``.0`` or exponent (26, 0.00001)."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isfinite(value):
        import decimal

        text = format(decimal.Decimal(repr(value)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _cell_text(value: Any, start: int = 0, typed: str | None = None) -> str:
    """A raw cell for the changes section: short, quoted if text, and inert as Markdown.

    At most :data:`CELL_TEXT_LIMIT` characters of a text from ``start`` (where two versions
    of a long text begin to differ), with an ellipsis for what is left out. A number as
    ``typed`` in the CSV where it is known ("4.0", not the parsed 4): a reader searches the
    sheet for it.
    """
    if value is None or value == "":
        return "(empty)"
    if not isinstance(value, str):
        return escape(typed if typed is not None else _value_text(value))
    text = " ".join(value.split())
    head = "…" if 0 < start < len(text) else ""
    text = text[start:].lstrip() if head else text
    if len(text) > CELL_TEXT_LIMIT + 10:  # cutting a few characters would save nothing
        cut = text[:CELL_TEXT_LIMIT - 1]
        # At the end of a word, unless that loses more than a quarter of the room.
        space = cut.rfind(" ")
        text = (cut[:space] if space >= CELL_TEXT_LIMIT * 3 // 4 else cut).rstrip() + "…"
    # Verbatim: an edit of a straight apostrophe into a curly one must show.
    return escape(f"“{head}{text}”", typographic=False)


def _cell_change(column: str, old: Any, new: Any, old_typed: str | None = None, new_typed: str | None = None) -> str:
    """One changed cell, "`col` old → new"; two long texts are shown from a word a little
    before where they differ, and a change of white space alone is named as such. A
    number is shown as typed (``old_typed``, ``new_typed``) where that is known."""
    start = 0
    if isinstance(old, str) and isinstance(new, str):
        a, b = " ".join(old.split()), " ".join(new.split())
        if a == b:
            return f"`{column}`: white space changed"
        same = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        if max(len(a), len(b)) > CELL_TEXT_LIMIT and same > CELL_TEXT_LIMIT // 2:
            # The same start for both, and no later than needed to fill the longer one; at
            # the start of a word: the next one if it leaves a few characters before the
            # difference, else its own.
            start = max(0, min(same - CELL_TEXT_LIMIT // 4, max(len(a), len(b)) - CELL_TEXT_LIMIT))
            following = a.find(" ", start - 1, max(same - 4, start)) + 1
            preceding = a.rfind(" ", 0, start) + 1
            # Inside a long word (a URL, a DOI), where it is.
            start = following or (preceding if start - preceding <= CELL_TEXT_LIMIT // 4 else start)
    return f"`{column}` {_cell_text(old, start, old_typed)} → {_cell_text(new, start, new_typed)}"


def _row_label(values: Mapping[str, Any], columns: Sequence[str], typed: Mapping[str, str] | None = None) -> str:
    """A row added or removed, by its first filled cells after the study: " (indiv, pain, VAS, 8)",
    a number as ``typed`` in the CSV where that is known."""
    shown = [(typed or {}).get(c) or _value_text(values[c]) for c in columns
             if c != "study_id" and values.get(c) not in (None, "")][:4]
    shown = [" ".join(t.split()) for t in shown]
    return " (" + escape(", ".join(t if len(t) <= 24 else t[:23] + "…" for t in shown)) + ")" if shown else ""


def _pairs(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]],
           columns: Sequence[str]) -> list[tuple[int, int]]:
    """Which rows of ``old`` became which of ``new``: index pairs, in order.

    An order-keeping alignment that maximises the cells the paired rows share, the
    leading ones breaking ties; two rows are paired only when at least half of the cells
    either fills are equal, else one was removed and the other added. The rows are those
    of one study and file that differ between the builds, so the quadratic table is
    small.
    """
    width = len(columns) + 1

    def shared(a: Mapping[str, Any], b: Mapping[str, Any]) -> int:
        filled = [k for k, c in enumerate(columns) if a.get(c) not in (None, "") or b.get(c) not in (None, "")]
        equal = [k for k in filled if a.get(columns[k]) == b.get(columns[k])]
        if len(equal) * 2 < len(filled):
            return -1
        # More equal cells first; between as many, equal leading cells (the row's
        # identity: arm, outcome, timepoint) before equal values.
        return len(equal) * width * width + sum(width - k for k in equal)

    n, m = len(old), len(new)
    if n * m > 10_000:  # most of a large table rewritten: by position
        return [(i, i) for i in range(min(n, m))]
    common = [[shared(a, b) for b in new] for a in old]
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            paired = common[i][j] + best[i + 1][j + 1] if common[i][j] >= 0 else -1
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    out, i, j = [], 0, 0
    while i < n and j < m:
        if common[i][j] >= 0 and best[i][j] == common[i][j] + best[i + 1][j + 1]:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def row_changes(before: Sequence[Sequence[Any]], before_columns: Sequence[str],
                now: Sequence[Sequence[Any]], now_columns: Sequence[str],
                before_typed: Sequence[Mapping[str, str]] = (), now_typed: Sequence[Mapping[str, str]] = ()) -> list[str]:
    """What changed in one table's rows between two builds, cell by cell.

    Rows are ``[spreadsheet row, value, ...]`` as :func:`kept_cells` keeps them, compared
    on the columns either build kept (a column one build did not keep was empty there).
    A row found unchanged, wherever it is, is not reported, so rows moved down by a row
    inserted above them are not; rows whose order among the unchanged ones changed are
    named once ("rows 10, 12 reordered"). Each of the other rows is paired with the one
    it most resembles (:func:`_pairs`) and named by its row now, with each changed cell
    ("row 18: `sd` 2.1 → 2.3"); the rest were "added" (named by their row now) or
    "removed" (by their row in the previous build), with their first cells. In row
    order. Numbers are quoted as typed where ``before_typed`` and ``now_typed`` (beside
    each row, as :func:`kept_cells` keeps them) say how; they are compared by value.
    """
    columns = [*now_columns, *(c for c in before_columns if c not in set(now_columns))]

    def typed_of(kept: Sequence[Mapping[str, str]], index: int) -> Mapping[str, str]:
        return kept[index] if index < len(kept) else {}


    def values(rows: Sequence[Sequence[Any]], cols: Sequence[str]) -> list[dict[str, Any]]:
        return [{c: row_values.get(c) for c in columns}
                for row_values in (dict(zip(cols, row[1:])) for row in rows)]

    def key(row: Mapping[str, Any]) -> str:
        return json.dumps(row, sort_keys=True, default=str)

    old, new = values(before, before_columns), values(now, now_columns)
    # Unchanged rows, matched by content: the first unused old row with the same cells.
    unused: dict[str, list[int]] = {}
    for i, row in enumerate(old):
        unused.setdefault(key(row), []).append(i)
    same: list[tuple[int, int]] = []
    for j, row in enumerate(new):
        candidates = unused.get(key(row))
        if candidates:
            same.append((candidates.pop(0), j))
    matched_old, matched_new = {i for i, _ in same}, {j for _, j in same}
    old_left = [i for i in range(len(old)) if i not in matched_old]
    new_left = [j for j in range(len(new)) if j not in matched_new]
    pairs = [(old_left[a], new_left[b]) for a, b in _pairs([old[i] for i in old_left],
                                                           [new[j] for j in new_left], columns)]
    out = [(now[j][0], f"row {now[j][0]}: " + ", ".join(
        _cell_change(c, old[i].get(c), new[j].get(c), typed_of(before_typed, i).get(c), typed_of(now_typed, j).get(c))
        for c in columns if old[i].get(c) != new[j].get(c)))
        for i, j in pairs]
    for j in sorted(set(new_left) - {j for _, j in pairs}):
        out.append((now[j][0], f"row {now[j][0]} added{_row_label(new[j], columns, typed_of(now_typed, j))}"))
    for i in sorted(set(old_left) - {i for i, _ in pairs}):
        label = _row_label(old[i], columns, typed_of(before_typed, i))
        out.append((before[i][0], f"row {before[i][0]} of the previous build removed{label}"))
    # Unchanged rows out of their old order: those whose place in the order differs.
    order = [i for i, _ in same]
    shuffled = [now[j][0] for (i, j), k in zip(same, sorted(order)) if i != k]
    if shuffled:
        out.append((shuffled[0], f"rows {', '.join(map(str, shuffled))} reordered"))
    return [text for _, text in sorted(out, key=lambda item: item[0])]


def _file_changes(previous: Mapping[str, Any], current: Mapping[str, Any], rows: str,
                  key: str | None, files: Sequence[str]) -> str:
    """What changed in one study's rows (``key``) or in the shared tables, in each of
    ``files`` ("arm_outcomes.csv row 18: `sd` 2.1 → 2.3; row 19 added (…)"); "" when either
    build kept no cells.

    At most :data:`CELLS_LIMIT` rows are named, but every file is, with its first change
    and a count of the rest; a file changed in no column both builds kept is named alone.
    """
    was, now = previous.get("raw_cells"), current.get("raw_cells")
    if not (isinstance(was, Mapping) and isinstance(now, Mapping)):
        return ""
    before_rows, now_rows = was.get(rows, {}), now.get(rows, {})
    # The number cells as typed, beside the rows; {} from a build that kept none.
    before_typed, now_typed = (build.get("typed", {}).get(rows, {}) for build in (was, now))
    if key is not None:
        before_rows, now_rows = before_rows.get(key, {}), now_rows.get(key, {})
        before_typed, now_typed = before_typed.get(key, {}), now_typed.get(key, {})
    budget = max(CELLS_LIMIT - len(files), 0)
    parts: list[str] = []
    for file in files:
        items = row_changes(before_rows.get(file, []), was.get("columns", {}).get(file, []),
                            now_rows.get(file, []), now.get("columns", {}).get(file, []),
                            before_typed.get(file, []), now_typed.get(file, []))
        if not items:
            parts.append(escape(file))
            continue
        take = 1 + min(budget, len(items) - 1)
        budget -= take - 1
        more = len(items) - take
        parts.append(f"{escape(file)} " + "; ".join(items[:take])
                     + (f"; and {more} more changed {'row' if more == 1 else 'rows'}" if more else ""))
    return "; ".join(parts)


def _citations(cells: Mapping[str, Any]) -> dict[str, set[str | None]]:
    """Who cites each document in a build's kept cells (:func:`kept_cells`): the studies
    whose rows give it as their ``source_id``, and None for a row of a shared table (a
    claim's), as :func:`metareview.checks.uncited_sources` counts a citation."""
    columns = cells.get("columns", {})
    cited: dict[str, set[str | None]] = {}

    def cite(file: str, rows: Sequence[Sequence[Any]], by: str | None) -> None:
        if file == "sources.csv" or "source_id" not in columns.get(file, []):
            return
        at = 1 + columns[file].index("source_id")
        for row in rows:
            if at < len(row) and row[at] not in (None, ""):
                cited.setdefault(row[at], set()).add(by)

    for sid, files in cells.get("studies", {}).items():
        for file, rows in files.items():
            cite(file, rows, sid)
    for file, rows in cells.get("shared", {}).items():
        cite(file, rows, None)
    return cited


def _own_sources(build: Mapping[str, Any], other: Mapping[str, Any], ids: Collection[str],
                 *, added: bool) -> dict[str, list[tuple[int, str]]]:
    """The rows of ``build``'s ``sources.csv`` that came (``added``) or went with studies
    of ``ids``, as ``(row, source_id)`` by study: a document ``other`` does not list, that
    ``build`` cites from rows of studies of ``ids`` and from nothing else, and whose row
    the comparison of the two builds' ``sources.csv`` finds added (or removed) rather
    than edited; a document two such studies cite is listed under each. {} where either
    build kept no cells.

    A new trial is entered with the document it comes from; that row is part of the
    trial's addition, not an edit of a table every study shares, and so it is when two
    trials come from one new report. A document a study already in the review or a claim
    also cites stays an edit of its own."""
    cells, others = build.get("raw_cells"), other.get("raw_cells")
    if not (ids and isinstance(cells, Mapping) and isinstance(others, Mapping)):
        return {}
    columns, other_columns = (c.get("columns", {}).get("sources.csv", []) for c in (cells, others))
    if "source_id" not in columns:
        return {}
    rows = cells.get("shared", {}).get("sources.csv", [])
    other_rows = others.get("shared", {}).get("sources.csv", [])
    at = 1 + columns.index("source_id")
    listed = ({row[1 + other_columns.index("source_id")] for row in other_rows}
              if "source_id" in other_columns else set())
    cited = _citations(cells)
    # What the comparison of the whole table says of each row (named by its row in this build).
    this, that = (rows, columns), (other_rows, other_columns)
    first, then = (that, this) if added else (this, that)
    said = set(row_changes(*first, *then))
    own: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        source = row[at] if at < len(row) else None
        citers = cited.get(source, set())  # type: ignore[arg-type]  # None (no such cell) cites nothing
        if source in (None, "") or source in listed or not citers or not citers <= set(ids):
            continue
        what = f"row {row[0]} added" if added else f"row {row[0]} of the previous build removed"
        if any(item == what or item.startswith(what + " ") for item in said):
            for sid in sorted(c for c in citers if c is not None):
                own.setdefault(sid, []).append((row[0], source))
    return own


def _without_rows(build: Mapping[str, Any], file: str, numbers: Collection[int]) -> dict[str, Any]:
    """``build`` with the rows of the shared table ``file`` numbered ``numbers`` left out
    of its kept cells (with their typed texts beside them)."""
    cells = build["raw_cells"]
    rows = cells.get("shared", {}).get(file, [])
    keep = [i for i, row in enumerate(rows) if row[0] not in numbers]
    shared = {**cells.get("shared", {}), file: [rows[i] for i in keep]}
    out = {**cells, "shared": shared}
    typed = cells.get("typed", {}).get("shared", {}).get(file)
    if typed is not None:
        out["typed"] = {**cells["typed"], "shared": {**cells["typed"]["shared"],
                                                     file: [typed[i] for i in keep if i < len(typed)]}}
    return {**build, "raw_cells": out}


def _with_sources(name: str, sources: Sequence[tuple[int, str]], *, previous: bool, their: bool = False) -> str:
    """A study added or removed with its own documents: "Jones (2020) (J), with its source
    jones2020 (sources.csv row 12)", the row as :func:`row_changes` names it; "with their"
    for studies named together (``their``); as text, which :func:`_listed` escapes."""
    if not sources:
        return name
    where = " of the previous build" if previous else ""
    docs = [f"{source} (sources.csv row {row}{where})" for row, source in sources]
    return f"{name}, with {'their' if their else 'its'} {'source' if len(docs) == 1 else 'sources'} {join_list(docs)}"


def _studies_with_sources(ids: Sequence[str], names: Sequence[str], own: Mapping[str, Sequence[tuple[int, str]]],
                          *, previous: bool) -> list[str]:
    """Studies added or removed, each with its own documents (:func:`_with_sources`), as
    items of one list; studies that share a document named together, where the first of
    them falls: "Kim (2021) (K) and Lee (2022) (L), with their source kim2021 (sources.csv
    row 3)". Two trials entered from one new report, each named with it, repeated the
    document; named apart from both, it read as an edit of a table every study shares."""
    name_of, order = dict(zip(ids, names)), {sid: i for i, sid in enumerate(ids)}

    def docs(group: Sequence[str]) -> set[str]:
        return {source for sid in group for _, source in own.get(sid, [])}

    groups: list[list[str]] = []
    for sid in ids:
        # Joined with every group one of whose documents it cites too.
        joined = [g for g in groups if docs(g) & docs([sid])]
        groups = [g for g in groups if g not in joined] + [sorted([*itertools.chain(*joined), sid], key=order.__getitem__)]
    items = []
    for group in sorted(groups, key=lambda g: order[g[0]]):
        sources = sorted({pair for sid in group for pair in own.get(sid, [])})
        items.append(_with_sources(join_and([name_of[sid] for sid in group]), sources, previous=previous,
                                   their=len(group) > 1))
    return items


def _listed(ids: Sequence[str], *, code: bool = False, conjunction: str | None = None) -> str:
    """Identifiers for the changes section: up to :data:`CHANGES_LIMIT`, then a count.

    Code spans with ``code`` (analysis ids), else escaped text. A bare series ("a, b")
    without ``conjunction``, as a list of files reads; with it, a list in prose ("A, B and
    C", semicolons where an item holds a comma, :func:`~metareview.fmt.join_list`): "now
    with A (its effect ...), B (its effect ...)" read as if the list had been cut short.
    """
    named = [f"`{i}`" if code else escape(i) for i in ids[:CHANGES_LIMIT]]
    if len(ids) > CHANGES_LIMIT:
        return join_list([*named, f"{len(ids) - CHANGES_LIMIT} more"])
    if conjunction and len(named) == 2 and holds_comma(named[1]) and re.search(r"\band\b", named[1]):
        # Studies named together with their document: "B and K, L and M, with their
        # sources ..." read as if B shared them too.
        return f"{named[0]}; {conjunction} {named[1]}"
    return join_list(named, conjunction)


#: The most analyses whose numbers moved (same conclusion), and the most settings, the
#: changes section lists one by one; beyond it, they are counted.
CHANGES_LIMIT = 10

#: The most changed rows the changes section names for one study (or the shared tables),
#: and the most characters of one cell's text it shows.
CELLS_LIMIT = 8
CELL_TEXT_LIMIT = 40

#: Config sections whose every value the changes section compares with the last build's:
#: those the numbers depend on, and those that shape the report (any config edit reruns
#: it, and a reader should learn why it was rebuilt).
SETTINGS_COMPARED = ("methods", "effects", "windows", "outcomes", "nodes", "review", "report")


def _flat(prefix: str, value: Any) -> dict[str, Any]:
    """``{"methods.method": "REML", ...}``: nested mappings flattened to dotted keys."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flat(f"{prefix}.{key}", item))
        return out
    return {prefix: value}


#: Each τ² estimator by its name, as the methods give it, with the code
#: ``methods.method`` takes: What changed says a change of estimator as the methods do.
TAU2_ESTIMATORS = {"REML": "restricted maximum likelihood", "DL": "DerSimonian-Laird", "ML": "maximum likelihood",
                   "PM": "Paule-Mandel", "PMM": "median-unbiased Paule-Mandel", "HE": "Hedges", "SJ": "Sidik-Jonkman",
                   "EB": "empirical Bayes", "HS": "Hunter-Schmidt", "FE": "fixed (equal) effects", "EE": "equal effects"}


def _estimator_text(code: Any) -> str:
    """"restricted maximum likelihood (REML)": an estimator by its name, then its code."""
    return f"{TAU2_ESTIMATORS[code]} ({code})" if code in TAU2_ESTIMATORS else str(code)


#: Settings in the words the methods say them in, by their key in the config: the
#: provenance's line of settings names each by its key after them, and What changed leads
#: with them, the key after, for the team to find ("Setting `methods.min_studies`: 2 → 3"
#: said nothing to a clinician). Keys not here are said by their last part, in words.
SETTING_WORDS = {
    "methods.method": "the estimator of τ², the between-study variance",
    "methods.test": "the confidence interval and test",
    "methods.level": "the confidence level",
    "methods.min_studies": "the pooling threshold",
    "methods.small_study_predictor": "the small-study test's predictor",
    "methods.small_study_min": "the fewest studies for the small-study test",
    "effects.impute_missing_sd": "imputing missing SDs",
    "effects.median_to_mean": "estimating a mean from a median",
    "effects.assume_equal_arms_from_total": "splitting a total N equally between the arms",
    "effects.baseline_imbalance_smd": "the baseline difference that flags final values",
    "review.title": "the review's title",
    "review.question": "the review's question",
    "review.population": "the review's population",
    "review.evidence_base": "the evidence base",
    "review.authors": "the report's authors",
    "report.png_dpi": "the PNG figures' resolution, in dots per inch",
    "report.renderer": "the renderer",
}

#: The unit a setting's number is in, as the methods give it ("at least 2 studies",
#: "intervals are 95%").
_SETTING_UNITS = {"methods.min_studies": " studies", "methods.small_study_min": " studies", "methods.level": "%"}

#: A node's, outcome's, window's or analysis's keys in words, as What changed names them
#: after the entry ("the time window Short term: target week 6 → 8").
_FIELD_WORDS = {"target_weeks": "target week", "min_weeks": "first week", "max_weeks": "last week",
                "terms": "period words", "scale_min": "lowest value of its scale",
                "scale_max": "highest value of its scale", "mid": "minimal important difference",
                "proper_name": "label written as a name", "window": "time window",
                "comparator_risk": "assumed comparator risk", "risk_scenarios": "other risks it names"}


def _field_words(field: str) -> str:
    """A config entry's key in words: "target week" for ``target_weeks``, else the key
    with spaces ("measure", "treatments")."""
    return _FIELD_WORDS.get(field, field.replace("_", " ").replace(".", " "))


def _setting_words(key: str) -> str:
    """A setting outside the config's entries in words (:data:`SETTING_WORDS`); one not
    listed by its section and last part: "the abbreviation TENS" for
    ``report.abbreviations.TENS``, "the report's detail limit" for ``report.detail_limit``."""
    if key in SETTING_WORDS:
        return SETTING_WORDS[key]
    parts = key.split(".")
    if parts[:2] == ["report", "abbreviations"] and len(parts) > 2:
        return f"the abbreviation {'.'.join(parts[2:])}"
    owner = {"review": "the review's", "report": "the report's", "methods": "the methods'",
             "effects": "the effect sizes'"}.get(parts[0], f"{parts[0]}:")
    return f"{owner} {_field_words('.'.join(parts[1:]))}"


def _setting_text(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _list_change(old: Any, new: Any) -> str:
    """"`other_treatments` removed; `x` added" for two lists of codes or numbers that differ
    by members only, or "" (another order, repeats, nested values: shown whole). A node's
    treatments printed as two JSON lists made a reader find the difference, and could not
    break across lines."""
    if not (isinstance(old, list) and isinstance(new, list)):
        return ""
    if not all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in (*old, *new)):
        return ""
    if len(set(map(str, old))) != len(old) or len(set(map(str, new))) != len(new):
        return ""
    gone = [x for x in old if x not in new]
    added = [x for x in new if x not in old]
    if not gone and not added:
        return ""  # the same members in another order: shown whole

    def listed(xs: list[Any]) -> str:
        return join_and([f"`{x}`" for x in xs])
    return "; ".join(part for part in (f"{listed(gone)} removed" if gone else "",
                                       f"{listed(added)} added" if added else "") if part)


def _study_names(ids: Sequence[str], keys: Mapping[str, Any]) -> list[str]:
    """Studies as "label (id)" from a build's key results; the id alone where none is kept."""
    labels = keys.get("study_labels", {})
    return [f"{labels[i]} ({i})" if labels.get(i) and labels[i] != i else i for i in ids]


def _interval(entry: Mapping[str, Any]) -> str:
    return f"{f2(entry.get('ci_lb_exp', entry['ci_lb']))} to {f2(entry.get('ci_ub_exp', entry['ci_ub']))}"


def _certainty_word(entry: Mapping[str, Any]) -> Markdown:
    """A key-results entry's certainty as the changes section prints it: the level, or
    why there is none where judgements exist ("not rated (imprecision not judged)")."""
    if entry.get("certainty_text"):
        return escape(entry["certainty_text"])
    if entry.get("certainty"):
        return Markdown(level_text(entry["certainty"]))
    status = entry.get("certainty_status")
    return Markdown(f"not rated ({STATUSES[status]})" if status in STATUSES else "not rated")


def _certainty_change(before: Mapping[str, Any], now: Mapping[str, Any]) -> str:
    """What the changes section says of an analysis's certainty, or "" when nothing changed.

    A level that changed is a changed conclusion (bold); judgements recorded, removed or
    edited without a change of level are said plainly, with where they leave the analysis.
    """
    old_j, new_j = before.get("certainty_judgements"), now.get("certainty_judgements")
    if before.get("certainty") != now.get("certainty"):
        return f"**certainty changed**: {_certainty_word(before)} → {_certainty_word(now)}"
    parts = ("certainty_ratings", "certainty_studies")
    if (old_j != new_j and all(key in before and key in now for key in parts)
            and all(before[key] == now[key] for key in parts)):
        # The same ratings on the same studies, one of them renamed (``before`` has its
        # new id): the digest of the whole, which holds the old id, differs.
        old_j = new_j
    if old_j != new_j:
        if old_j is None:
            return f"GRADE judgements recorded: {_certainty_word(now)}"
        if new_j is None:
            return "GRADE judgements removed"
        return f"GRADE judgements edited: {_certainty_word(now)}"
    if new_j is not None and "certainty_text" in before and before["certainty_text"] != now.get("certainty_text"):
        # Same judgements, other studies (one added leaves them out of date).
        return f"GRADE: {_certainty_word(now)}"
    return ""


def _direction_note(before: Mapping[str, Any], now: Mapping[str, Any], proper: Collection[str] = ()) -> str:
    """A flipped direction: a changed conclusion when the interval lay wholly on one side
    before and lies wholly on the other now (significance alone did not change)."""
    if now.get("significant") and before.get("significant"):
        return "**conclusion changed**: " + _compatibility(True) + _side(now, proper=proper)
    if not now.get("significant"):
        # Only the point estimate changed sides: the report says "point estimate on the
        # side of", and "favours" would read as the interval's verdict.
        side = escape(_in_sentence(now["favoured"], proper)) if now.get("favoured") else str(now["direction"]).removeprefix("favours ")
        return f"**direction changed**: the point estimate has moved to the side of {side}"
    return f"**direction changed**: {_direction_words(now, proper=proper)}"


def _text_change(old: str, new: str) -> str:
    """Two versions of a long text, "“…old” → “…new”", each from a word a little before
    where they differ (:func:`_cell_change`)."""
    return _cell_change("", old, new).split(" ", 1)[1]


#: The most characters of a changed explanation (an indirect comparison's, a claim's
#: reason) the changes section quotes.
EXPLANATION_LIMIT = 300

#: Where a clause ends: after a semicolon, or a full stop (or ! or ?) before a capital
#: or a quote, so that "et al. (2030)" is not cut.
_CLAUSE_END = re.compile(r"(?<=;)\s+|(?<=[.!?])\s+(?=[A-Z\u201c\"'])")


def _clauses(text: str) -> list[str]:
    """``text`` cut where a clause ends (:data:`_CLAUSE_END`), but not inside brackets: a
    claim's reason gives a trial's interval and whose it is in one bracket, "(MD −0.51,
    95% CI −0.97 to −0.05; Brinkhaus et al., 2006)", and a clause cut at its semicolon
    was quoted with the bracket left open. A bracket never closed keeps nothing together."""
    spans: list[tuple[int, int]] = []
    opened: list[int] = []
    for i, char in enumerate(text):
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            spans.append((opened.pop(), i))
    pieces: list[str] = []
    start = 0
    for end in _CLAUSE_END.finditer(text):
        if not any(a < end.start() < b for a, b in spans):
            pieces.append(text[start:end.start()])
            start = end.end()
    return [*pieces, text[start:]]


def _clause_key(clause: str) -> str:
    """A clause without the semicolon or full stop that ends it (:func:`_clauses`)."""
    return clause.removesuffix(";").removesuffix(".")


def _same_clause(a: str, b: str) -> bool:
    """Whether clause ``b`` is ``a`` edited (a number, a name, a phrase changed) rather than
    another clause: most of the two alike, a :class:`difflib.SequenceMatcher` ratio above a
    half."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() > 0.5


#: The most words a clause may have put in place of others and still read as the same
#: clause edited: a number, a name, a short phrase. More is another statement in the same
#: frame ("... dry needling is compared with nothing in the data" to "... with usual care
#: and sham"), which the words the two share (the analyses, the outcome, the window) made
#: alike enough for :func:`_same_clause`.
CLAUSE_EDIT_WORDS = 3

_WORD_OR_MARK = re.compile(r"\w+(?:[.,'’]\w+)*|[^\w\s]")


def _replaced_clause(a: str, b: str) -> bool:
    """Whether clause ``b``, alike enough to ``a`` to be taken for it edited
    (:func:`_same_clause`), replaces what ``a`` said: somewhere more than
    :data:`CLAUSE_EDIT_WORDS` words of one stand in place of words of the other (words and
    marks aligned by :class:`difflib.SequenceMatcher`; words added or taken out alone,
    a bracket of who reports it, are an edit)."""
    words = [_WORD_OR_MARK.findall(x) for x in (a, b)]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, words[0], words[1], autojunk=False).get_opcodes():
        if tag == "replace" and max(sum(w[0].isalnum() or w[0] == "_" for w in side)
                                    for side in (words[0][i1:i2], words[1][j1:j2])) > CLAUSE_EDIT_WORDS:
            return True
    return False


def _quoted_runs(clauses: Sequence[str], indices: Collection[int]) -> str:
    """The clauses at ``indices``: runs of them apart in the text joined by an ellipsis,
    one that starts after a semicolon beginning with one, and that one alone between two
    runs: "b is two; …d is four", not "b is two; … …d is four", which read as two
    omissions where there is one."""
    runs: list[list[int]] = []
    for i in sorted(indices):
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    quoted = ""
    for run in runs:
        text = " ".join(clauses[i] for i in run)
        if run[0] and clauses[run[0] - 1].endswith(";"):
            quoted += (" …" if quoted else "…") + text
        else:
            quoted += (" … " if quoted else "") + text
    return quoted


def _cut_end(text: str, room: int, keep: int = 0) -> str:
    """``text`` in at most ``room`` characters, cut at the end of a word with an ellipsis,
    and before a bracket the cut would leave open, unless that drops the character at
    ``keep`` or leaves nothing (then the bracket is closed after the ellipsis): a quote
    that opens a bracket and never closes it reads as if the rest of the line were inside
    it."""
    if len(text) <= room:
        return text
    cut = text[:room - 2]  # the ellipsis, and a closing bracket if one is needed
    cut = cut[:cut.rfind(" ")].rstrip() if " " in cut else cut
    opened: list[int] = []
    for i, char in enumerate(cut):
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            opened.pop()
    if not opened:
        return cut + "…"
    before = cut[:opened[0]].rstrip()
    return before + "…" if before and len(before) > keep else cut + "…)"


def _cut_quote(text: str, room: int, changed: int = 0) -> str:
    """``text`` in at most ``room`` characters, with the words from ``changed`` (where it
    first differs from the version it is compared with) in the quote: from its start where
    they fit (:func:`_cut_end`), else from a few words before them, after an ellipsis. A
    reason that now reads otherwise in its numbers gives them late, after the claim and
    the comparison, and a quote cut from the start alone dropped the very numbers that
    changed."""
    if len(text) <= room:
        return text
    # The end of the first word that changed, or of the next where it is a space.
    end = text.find(" ", changed + 1)
    end = len(text) if end < 0 else end
    head = _cut_end(text, room, changed)
    if len(head.rstrip("…)")) >= end:
        return head
    # A third of the room before the change, from the start of a word, and from the
    # bracket that holds it where that fits too, so that none is left closed but not opened.
    start = text.rfind(" ", 0, max(changed - room // 3, 0)) + 1
    if not start:
        return head
    opened: list[int] = []
    for i, char in enumerate(text[:start]):
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            opened.pop()
    if opened and end - opened[-1] < room - 4:
        start = opened[-1]
    # A cut at a run that opens with its own ellipsis (:func:`_quoted_runs`) takes no second.
    rest = _cut_end(text[start:], room - 1, changed - start)
    return rest if rest.startswith("…") else "…" + rest


def _explanation_change(old: str, new: str) -> str:
    """What an explanation in words no longer says and what it says now that it did not
    ("no longer reads “...” and now reads “...”"), or only one of the two where the other
    is empty: the clauses (to a full stop or semicolon outside brackets, :func:`_clauses`)
    that differ, in full, as a reader would want them (a few characters about where two
    versions differ, as for a raw cell, would not say which treatment is now compared
    with what). A clause edited in place (:func:`_same_clause`) is quoted as it reads now,
    and as it read too where more than a short phrase of it was replaced
    (:func:`_replaced_clause`); one replaced by another, or dropped, is quoted as it read: "now reads" alone hid that
    a reason had lost a clause when it gained another. Runs of clauses apart in the text
    are joined by an ellipsis, and one that starts after a semicolon begins with one. The
    quotes take at most :data:`EXPLANATION_LIMIT` characters together, each cut at a word
    about where it first differs from the clause it is paired with (:func:`_cut_quote`),
    the shorter kept whole if it fits in half. Quoted as the report
    prints the text itself (the claims table, the indirect comparison's callout): with its
    typographic apostrophe and minus sign, not the straight ones the text is written with,
    which a raw cell's change keeps to show an edit of one into the other.

    The clauses are aligned in order (:class:`difflib.SequenceMatcher`), not looked up
    anywhere in the other version: a claim's reason speaks of each treatment in turn, in
    the same words where they fare alike, and a clause that came to read as the other
    treatment's part already did ("no usable study") is what changed in this part."""
    before, after = _clauses(" ".join(old.split())), _clauses(" ".join(new.split()))
    # Compared without the mark that ends each clause: a clause that became the last, or
    # stopped being it ("a; b" to "a"), is the same clause, and was quoted as if it read
    # otherwise now.
    keys = [[_clause_key(c) for c in clauses] for clauses in (before, after)]
    if sorted(keys[0]) == sorted(keys[1]):
        # The same clauses: only spaces changed, or their order, or the marks between them.
        if keys[0] != keys[1]:
            return "its clauses are in another order"
        return "white space changed" if before == after else "its punctuation changed"
    gained: set[int] = set()
    lost: set[int] = set()
    pairs: dict[int, int] = {}  # old clause by the new one that edits or replaces it
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, keys[0], keys[1], autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        gained.update(range(j1, j2))
        # Each old clause of a replaced run paired, in order, with the first later new one
        # it is an edit of; the rest were dropped. One whose words were replaced, not
        # edited (:func:`_replaced_clause`), is quoted as it read too: "now reads" alone
        # hid what the comparison's main sentence had said.
        j = j1
        for i in range(i1, i2):
            k = next((k for k in range(j, j2) if _same_clause(before[i], after[k])), None)
            if k is None or _replaced_clause(before[i], after[k]):
                lost.add(i)
            if k is not None:
                pairs[k], j = i, k + 1
    was, now = _quoted_runs(before, lost), _quoted_runs(after, gained)
    # Where each quote first differs from the clause its first clause is paired with, for
    # a cut that keeps it (a clause dropped or added differs from its start).
    first_new = min(gained, default=None)
    first_old = min(lost, default=None)
    now_at = (now.find(after[first_new]) + len(os.path.commonprefix([after[first_new], before[pairs[first_new]]]))
              if first_new in pairs else 0)
    was_at = next((was.find(before[i]) + len(os.path.commonprefix([before[i], after[k]]))
                   for k, i in pairs.items() if i == first_old), 0)
    room = EXPLANATION_LIMIT
    if was and now and len(was) + len(now) > room:
        # The shorter whole where it takes at most half the room, else each half.
        shorter = min(len(was), len(now), room // 2)
        was, now = ((_cut_quote(was, shorter, was_at), _cut_quote(now, room - shorter, now_at))
                    if len(was) <= len(now)
                    else (_cut_quote(was, room - shorter, was_at), _cut_quote(now, shorter, now_at)))
    if was and now:
        return "no longer reads " + escape(f"“{was}”") + " and now reads " + escape(f"“{now}”")
    if now:
        return "now reads " + escape(f"“{_cut_quote(now, room, now_at)}”")
    return "no longer reads " + escape(f"“{_cut_quote(was, room, was_at)}”")


def _unused_reason_changes(current: Mapping[str, Any], previous: Mapping[str, Any]) -> list[str]:
    """Trials in no analysis in both builds whose reasons for being set aside changed, a
    line each: "Trial still in no analysis, Hegu (H): why it is set aside no longer reads
    “arm n not reported;” and now reads “…”" (:func:`_explanation_change`), the reasons
    joined as a new trial's are. An edit that mends one reason and leaves or uncovers
    another (the arms' n entered, a timepoint still outside the window) moves no number,
    and the edited cells alone did not say that the trial is still out, nor why. Reasons
    only reordered or respaced are no change; over :data:`CHANGES_LIMIT` trials (a window
    widened in the config), they are counted. Key results from before the reasons were
    kept give nothing."""
    if not isinstance(previous.get("unused_reasons"), Mapping):
        return []
    was_all, now_all = previous["unused_reasons"], current.get("unused_reasons") or {}
    still = sorted(set(previous.get("unused_trials") or []) & set(current.get("unused_trials") or []))
    lines = []
    for sid in still:
        was, now = ("; ".join(reasons.get(sid) or []) for reasons in (was_all, now_all))
        change = _explanation_change(was, now)
        if change in ("white space changed", "its clauses are in another order", "its punctuation changed"):
            continue
        lines.append(_full_stop(f"Trial still in no analysis, {escape(_study_names([sid], current)[0])}: why it is "
                                f"set aside {change}"))
    if len(lines) > CHANGES_LIMIT:
        return [(f"Trials still in no analysis whose reasons for being set aside changed: {len(lines)} (see the "
                 "table of trials that could not be used).")]
    return lines


def _indirect_estimates(entry: Mapping[str, Any]) -> str:
    """An anchored indirect comparison's estimates as the report prints them: "through
    Sham, SMD −0.25 (95% CI −0.80 to 0.30)"."""
    return "; ".join(f"through {escape(e['through'])}, {entry['measure']} {f2(e['estimate'])} "
                     f"({entry['level']:g}% CI {ci_text(e['ci_lb'], e['ci_ub'])})" for e in entry["estimates"])


#: An indirect comparison's status as "What changed" words it, where its code alone would
#: not say what happened ("shared trial" does not say which trial, or that none is made).
INDIRECT_STATUS_WORDS = {"shared_trial": "a trial of all three on both sides, no comparison made"}


def _status_words(status: str) -> str:
    """An indirect comparison's status for a reader: "no common comparator"."""
    return INDIRECT_STATUS_WORDS.get(status, status.replace("_", " "))


def _indirect_changes(current: Mapping[str, Any], previous: Mapping[str, Any]) -> list[str]:
    """What the changes section says of the indirect comparisons.

    A status that changed is a changed conclusion, given with the estimate it leads to
    (or, gone, the one there was); an estimate that moved is given before and after; a
    comparison still without a common comparator whose explanation changed (a study of one
    of the treatments against a new comparator) is given by the clauses that changed. Key
    results from before the estimates were kept give the status alone.
    """
    lines = []
    titles = {**previous.get("indirect_titles", {}), **current.get("indirect_titles", {})}
    named = {xid: _indirect_name(xid, titles) for xid in {*current.get("indirect", {}), *previous.get("indirect", {})}}
    now_r, was_r = current.get("indirect_results", {}), previous.get("indirect_results", {})
    for xid, status in current.get("indirect", {}).items():
        old_status = previous.get("indirect", {}).get(xid)
        now, was = now_r.get(xid), was_r.get(xid)
        shown = f": {_indirect_estimates(now)}" if now and now["estimates"] else ""
        if old_status is None and "indirect" in previous:
            lines.append(f"New {named[xid][:1].lower()}{named[xid][1:]}: {_status_words(status)}{shown}.")
        elif old_status is not None and old_status != status:
            before = f"; was {_indirect_estimates(was)}" if was and was["estimates"] and not shown else ""
            lines.append(f"{named[xid]}: {_status_words(old_status)} → "
                         f"**{_status_words(status)}**{shown}{before}.")
        elif old_status is not None and now and was:
            if now["estimates"] or was["estimates"]:
                if _indirect_estimates(now) != _indirect_estimates(was):
                    lines.append(f"{named[xid]}: {_indirect_estimates(was)} → {_indirect_estimates(now)}.")
            elif now["detail"] != was["detail"]:
                lines.append(_full_stop(f"{named[xid]}, still {_status_words(status)}: its explanation "
                                        f"{_explanation_change(was['detail'], now['detail'])}"))
    for xid in sorted(set(previous.get("indirect", {})) - set(current.get("indirect", {}))):
        lines.append(f"{named[xid]} removed.")
    return lines


def _indirect_name(xid: str, titles: Mapping[str, str]) -> str:
    """An indirect comparison as What changed names it: by what it compares, its id after
    it ("Indirect comparison of dry needling and acupuncture on pain intensity, short term
    (`dn_vs_acu`)"); by its id alone where the key results give no title."""
    return f"{escape(titles[xid])} (`{xid}`)" if titles.get(xid) else f"Indirect comparison `{xid}`"


#: The columns of a study's rows that hold a study id: a renamed study's rows hold its
#: new id there, and nothing else of them need change.
_ID_COLUMNS = ("study_id", "attributed_study_id")

#: The cells of ``studies.csv``, besides the id, that name a study: correcting a misspelt
#: first author or year changes them and no number.
_NAME_COLUMNS = ("label", "year")

#: The most cells, besides its id, label and year, in which a removed study's rows may
#: differ from an added study's for the two to read as one study renamed and edited, and
#: the largest share of the study's filled cells they may be (one in ten). Two trials
#: differ in their notes, quotes and numbers; a closer match is the same trial.
RENAME_EDITS_LIMIT = 2
RENAME_EDITS_SHARE = 0.1


def _name_cells(build: Mapping[str, Any], sid: str) -> dict[str, Any]:
    """A study's label and year in one build: from its ``studies.csv`` row where the build
    kept its cells, else its label alone (from ``study_labels``)."""
    cells = build.get("raw_cells")
    out: dict[str, Any] = {}
    if isinstance(cells, Mapping):
        rows = (cells.get("studies", {}).get(sid) or {}).get("studies.csv") or []
        if rows:
            values = dict(zip(cells.get("columns", {}).get("studies.csv", []), rows[0][1:], strict=False))
            out = {c: values[c] for c in _NAME_COLUMNS if values.get(c) is not None}
    if "label" not in out and build.get("study_labels", {}).get(sid):
        out["label"] = build["study_labels"][sid]
    return out


def _rows_as_renamed(previous: Mapping[str, Any], current: Mapping[str, Any], old: str,
                     new: str) -> dict[str, list[list[Any]]]:
    """The last build's rows of study ``old`` as they would read had it been named ``new``
    then: ``new`` in its id cells (:data:`_ID_COLUMNS`) that held ``old``, and in
    ``studies.csv`` the label and year (:data:`_NAME_COLUMNS`) it has now. Row numbers kept."""
    cells = previous["raw_cells"]
    names = _name_cells(current, new)
    out = {}
    for file, rows in (cells.get("studies", {}).get(old) or {}).items():
        columns = cells.get("columns", {}).get(file, [])

        def cell(column: str, value: Any, file: str = file) -> Any:
            if column in _ID_COLUMNS and value == old:
                return new
            if file == "studies.csv" and column in _NAME_COLUMNS and column in names:
                return names[column]
            return value

        out[file] = [[row[0], *(cell(c, v) for c, v in zip(columns, row[1:], strict=False))] for row in rows]
    return out


def _row_maps(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows as ``{column: value}`` of their filled cells, row numbers left out."""
    return [{c: v for c, v in zip(columns, row[1:], strict=False) if v is not None} for row in rows]


def _row_keys(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> list[str]:
    """Rows as sorted texts of their filled cells: equal for the same rows in any order."""
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in _row_maps(rows, columns))


#: The most pairs of a removed and an added study whose rows are compared cell by cell
#: for a rename with cells edited: a review whose every id changed (another naming
#: scheme) is matched on whole rows alone, in linear time.
RENAME_PAIRS_LIMIT = 10_000


def _unnamed_rows(build: Mapping[str, Any], sid: str) -> dict[str, list[str]]:
    """A study's rows in one build without what names it, to be compared with another
    study's: by file, each row as the text of its filled cells, sorted, with the id
    cells (:data:`_ID_COLUMNS`) that hold ``sid`` reading a placeholder, and without the
    label and year of ``studies.csv`` (:data:`_NAME_COLUMNS`)."""
    cells = build["raw_cells"]
    out = {}
    for file, rows in (cells.get("studies", {}).get(sid) or {}).items():
        drop = _NAME_COLUMNS if file == "studies.csv" else ()
        out[file] = sorted(json.dumps({c: "\0" if c in _ID_COLUMNS and v == sid else v for c, v in row.items()
                                       if c not in drop}, sort_keys=True, default=str)
                           for row in _row_maps(rows, cells.get("columns", {}).get(file, [])))
    return out


def _cells_apart(was: Mapping[str, Sequence[str]], now: Mapping[str, Sequence[str]], most: int) -> int | None:
    """How many cells differ between two studies' rows (:func:`_unnamed_rows`), row order
    aside; None when a file, or a row, is in one and not the other, or when more than
    ``most`` differ. Rows with the same cells are matched first; the rest (at most
    ``most`` in each file) are paired so as to differ in the fewest cells."""
    if set(was) != set(now) or any(len(was[f]) != len(now[f]) for f in was):
        return None
    apart = 0
    for file in sorted(was):
        left = Counter(was[file])
        rest_new = []
        for row in now[file]:
            if left[row]:
                left[row] -= 1
            else:
                rest_new.append(json.loads(row))
        if len(rest_new) > most:
            return None
        rest_old = [json.loads(row) for row in left.elements()]

        def differ(a: Mapping[str, Any], b: Mapping[str, Any]) -> int:
            return sum(1 for c in set(a) | set(b) if a.get(c) != b.get(c))

        apart += min((sum(differ(a, b) for a, b in zip(order, rest_new, strict=True))
                      for order in itertools.permutations(rest_old)), default=0)
        if apart > most:
            return None
    return apart


def _filled_cells(build: Mapping[str, Any], sid: str) -> int:
    """How many cells a study's rows fill in one build, its id, label and year among them."""
    cells = build["raw_cells"]
    columns = cells.get("columns", {})
    return sum(len(row) for file, rows in (cells.get("studies", {}).get(sid) or {}).items()
               for row in _row_maps(rows, columns.get(file, [])))


def _renamed_studies(previous: Mapping[str, Any], current: Mapping[str, Any], removed: Sequence[str],
                     added: Sequence[str]) -> list[tuple[str, str]]:
    """(old id, new id) for each study removed that a study added is, renamed: its id
    changed in every table, and its label and year may have too.

    A removed and an added study are one study renamed when, one to one (no other study
    removed or added matches either of them as well):

    1. both builds kept their cells, and the added study's rows are the removed one's
       with its new id in the id cells, and its new label and year in ``studies.csv``
       (:func:`_unnamed_rows`), cell for cell, row numbers and order aside: renamed, its
       data unchanged; else
    2. they differ in at most :data:`RENAME_EDITS_LIMIT` other cells, and at most
       :data:`RENAME_EDITS_SHARE` of the study's filled cells, with the same files and
       the same number of rows in each (:func:`_cells_apart`; among at most
       :data:`RENAME_PAIRS_LIMIT` pairs): renamed, and those cells edited; else
    3. their label is the same (all that a build without its cells can tell): its id
       changed, whatever else did.

    Anything looser is a study removed and another added: two trials of one source can
    share design, population and arms, and a rename claimed on such a match would hide a
    trial dropped from the review.
    """
    pairs: list[tuple[str, str]] = []
    removed, added = list(removed), list(added)
    if (removed and added and isinstance(previous.get("raw_cells"), Mapping)
            and isinstance(current.get("raw_cells"), Mapping)):
        was = {sid: _unnamed_rows(previous, sid) for sid in removed}
        now = {sid: _unnamed_rows(current, sid) for sid in added}
        # Whole rows alike: by their text, in one pass.
        by_rows: dict[str, tuple[list[str], list[str]]] = {}
        for side, rows in enumerate((was, now)):
            for sid, files in rows.items():
                by_rows.setdefault(json.dumps(files, sort_keys=True), ([], []))[side].append(sid)
        pairs += [(olds[0], news[0]) for olds, news in by_rows.values() if len(olds) == len(news) == 1]
        removed = [i for i in removed if i not in {o for o, _ in pairs}]
        added = [i for i in added if i not in {n for _, n in pairs}]
        if len(removed) * len(added) <= RENAME_PAIRS_LIMIT:
            filled = {sid: _filled_cells(current, sid) for sid in added}
            close = set()
            for old in removed:
                for new in added:
                    apart = _cells_apart(was[old], now[new], RENAME_EDITS_LIMIT)
                    if apart is not None and apart <= RENAME_EDITS_SHARE * filled[new]:
                        close.add((old, new))
            pairs += [(old, new) for old, new in close if sum(1 for o, _ in close if o == old) == 1
                      and sum(1 for _, n in close if n == new) == 1]
            removed = [i for i in removed if i not in {o for o, _ in pairs}]
            added = [i for i in added if i not in {n for _, n in pairs}]
    now_labels, was_labels = current.get("study_labels", {}), previous.get("study_labels", {})
    for new in added:
        label = now_labels.get(new)
        olds = [i for i in removed if label and was_labels.get(i) == label]
        if len(olds) == 1 and sum(1 for j in added if now_labels.get(j) == label) == 1:
            pairs.append((olds[0], new))
    return sorted(pairs)


def _moved_studies(previous: Mapping[str, Any], current: Mapping[str, Any],
                   kept: Sequence[str]) -> list[tuple[str, str]]:
    """(old id, new id) for each study of both builds whose rows moved to another's id,
    the ids moved round two studies or more: (a, b) and (b, a) for two that swapped ids
    (two trials entered under each other's), (a, b), (b, c) and (c, a) for ids moved round
    three, and so on, each round a cycle of the permutation of ids. Several rounds may
    move at once.

    The rows of study ``a`` went to id ``b`` (a step of a round) when both builds kept
    their cells and:

    1. the rows now under ``b`` are ``a``'s before, ids aside (:func:`_unnamed_rows`), or
       differ from them as little as a renamed study's may (:data:`RENAME_EDITS_LIMIT`,
       :data:`RENAME_EDITS_SHARE`, among at most :data:`RENAME_PAIRS_LIMIT` pairs);
    2. they are nearer ``a``'s rows before than to ``b``'s own before, and nearer them
       than ``a``'s rows now are: two studies alike but for a cell or two, each edited,
       are not taken for a move;
    3. the label and year now under ``b`` are ``a``'s before: the name went with the rows.

    A round is a chain of such steps, one to one (no study's rows went to two ids, nor
    did two studies' rows go to one), that closes on itself: the last study's rows are at
    the first's id by 1 and 2. The last step of a round may miss 3 (its label or year
    corrected with the move), as long as the label it has now was none of the round's
    other studies' before, one study a round at most. Numbers that moved between studies
    whose names stayed with their ids are an edit of each (results entered under the
    wrong trial, corrected), and each trial's effect did change.

    Anything else reads as each study edited, as it was read before.
    """
    if not (isinstance(previous.get("raw_cells"), Mapping) and isinstance(current.get("raw_cells"), Mapping)):
        return []
    # Only a study whose rows changed can have moved; its digests tell where both builds
    # kept them.
    was_d, now_d = previous.get("study_data", {}), current.get("study_data", {})
    maybe = [sid for sid in kept if sid not in was_d or sid not in now_d or was_d[sid] != now_d[sid]]
    was = {sid: _unnamed_rows(previous, sid) for sid in maybe}
    now = {sid: _unnamed_rows(current, sid) for sid in maybe}
    changed = [sid for sid in maybe if was[sid] != now[sid]]
    if len(changed) < 2:
        return []
    filled = {sid: _filled_cells(current, sid) for sid in changed}
    distances: dict[tuple[str, str], float] = {}

    def apart(old: str, new: str) -> float:
        # Cells between ``old``'s rows before and ``new``'s now; beyond the limits, none near.
        if (old, new) not in distances:
            d = _cells_apart(was[old], now[new], RENAME_EDITS_LIMIT)
            distances[old, new] = d if d is not None and d <= RENAME_EDITS_SHARE * filled[new] else math.inf
        return distances[old, new]

    # Whole rows alike by their text, in one pass; nearly alike pair by pair, while few.
    by_rows: dict[str, list[str]] = {}
    for sid in changed:
        by_rows.setdefault(json.dumps(was[sid], sort_keys=True), []).append(sid)
    close = {(old, new) for new in changed for old in by_rows.get(json.dumps(now[new], sort_keys=True), [])
             if old != new}
    if len(changed) * (len(changed) - 1) <= RENAME_PAIRS_LIMIT:
        close |= {(old, new) for old in changed for new in changed if old != new and apart(old, new) < math.inf}
    moves = {(old, new) for old, new in close if apart(old, new) < min(apart(old, old), apart(new, new))}
    names_was = {sid: _name_cells(previous, sid) for sid in changed}
    names_now = {sid: _name_cells(current, sid) for sid in changed}
    named = {(old, new) for old, new in moves if names_now[new].get("label") and names_now[new] == names_was[old]}
    after = {old: [new for o, new in named if o == old] for old in changed}
    before = {new: [old for old, n in named if n == new] for new in changed}
    succ = {old: news[0] for old, news in after.items() if len(news) == 1}
    pred = {new: olds[0] for new, olds in before.items() if len(olds) == 1}
    rounds: list[list[str]] = []
    seen: set[str] = set()
    for start in sorted(changed):
        if start in seen:
            continue
        # Back to the start of its chain (a round has none: back to where it began), then
        # along it.
        first, back = start, {start}
        while first in pred and pred[first] not in back:
            first = pred[first]
            back.add(first)
        chain, on = [first], {first}
        while chain[-1] in succ and succ[chain[-1]] not in on:
            chain.append(succ[chain[-1]])
            on.add(chain[-1])
        seen.update(chain, back)
        last = chain[-1]
        if len(chain) < 2 or any(len(before[s]) > 1 or len(after[s]) > 1 for s in chain):
            continue
        if succ.get(last) == first:
            rounds.append(chain)
            continue
        # The round closes with a name corrected: the last study's rows at the first's id,
        # by the rows alone, and no other study's rows there nor its rows at another's.
        label = names_now[first].get("label")
        if (before[first] or after[last] or (last, first) not in moves or not label
                or any(label == names_was[s].get("label") for s in chain if s != last)
                or [n for o, n in moves if o == last and not before[n]] != [first]
                or [o for o, n in moves if n == first and not after[o]] != [last]):
            continue
        rounds.append(chain)
    return sorted((a, b) for chain in rounds for a, b in zip(chain, chain[1:] + chain[:1], strict=True))


def renamed_since(current: Mapping[str, Any], previous: Mapping[str, Any] | None) -> dict[str, str]:
    """The studies of the last build's key results (``previous``) that this build's
    (``current``) has under another id, old id to new id: renamed
    (:func:`_renamed_studies`), or studies of both builds whose ids moved round among
    them (:func:`_moved_studies`); {} on a first build."""
    if previous is None:
        return {}
    added = sorted(set(current["studies"]) - set(previous.get("studies", [])))
    removed = sorted(set(previous.get("studies", [])) - set(current["studies"]))
    kept = sorted(set(previous.get("studies", [])) & set(current["studies"]))
    return dict(_renamed_studies(previous, current, removed, added)) | dict(_moved_studies(previous, current, kept))


def _as_renamed(previous: Mapping[str, Any], current: Mapping[str, Any],
                pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The last build's key results with each study of ``pairs`` (old id, new id; the same
    id for a study whose label or year alone changed) named as it is now: its id in the
    studies, the analyses, the published results, the trials that enter none (and their
    reasons) and the consistency warnings' keys, its label in the warnings' texts
    (:func:`_warning_renamed`), its rows (:func:`_rows_as_renamed`) and their digests,
    and its id where a shared table's id cells give it (a claim's attributed study), with
    the table's digest this build's where that alone changed it.
    The rest of the changes section then compares like with like: an analysis that held
    the study renamed holds the same study, and its effect is compared with its effect
    before, not listed as one study's gone and another's come.

    A renamed study's digest for a file is this build's where its rows, so renamed, are
    this build's, and one no build gives where they are not; without both builds' cells,
    its digests are left out (the id is among the cells digested) and not compared.
    """
    rename = dict(pairs)
    if not rename:
        return dict(previous)

    def ids(values: Iterable[str]) -> list[str]:
        return sorted(rename.get(x, x) for x in values)

    out = dict(previous)
    out["studies"] = ids(previous.get("studies", []))
    # Under its new id, by the label the last build gave it: what an analysis removed had
    # found is said as the last report said it.
    was_labels = previous.get("study_labels", {})
    out["study_labels"] = {**{sid: v for sid, v in was_labels.items() if sid not in rename},
                           **{new: was_labels[old] for old, new in rename.items() if old in was_labels}}
    if isinstance(previous.get("unused_trials"), list):
        out["unused_trials"] = ids(previous["unused_trials"])
    if isinstance(previous.get("unused_reasons"), Mapping):
        out["unused_reasons"] = {rename.get(sid, sid): v for sid, v in previous["unused_reasons"].items()}
    # The words that name the study: a claim's reason, an indirect comparison's
    # explanation or a certainty's text that now reads another label and nothing else has
    # not changed.
    renamed_labels = {was: now for was, now in ((_name_cells(previous, old).get("label"),
                                                 _name_cells(current, new).get("label")) for old, new in pairs)
                      if was and now and was != now}
    # And as a label reads inside the report's brackets, its own as commas (in_brackets):
    # "only one study (Kwon et al., 2007)" names Kwon et al. (2007) too.
    labels = renamed_labels | {in_brackets(was): in_brackets(now) for was, now in renamed_labels.items()
                               if in_brackets(was) != was and in_brackets(was) not in renamed_labels}

    # All at once, longest first: two labels swapped are not swapped back, and a label
    # within another renamed is not replaced inside it. Built once: it is applied to
    # every analysis's text and every claim's reason.
    pattern = re.compile("|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))) if labels else None

    def relabel(text: Any) -> Any:
        if not isinstance(text, str) or pattern is None:
            return text
        return pattern.sub(lambda m: labels[m.group(0)], text)

    analyses = {}
    for aid, before in previous.get("analyses", {}).items():
        entry = dict(before)
        for key in ("studies", "excluded", "external", "sensitive_to", "certainty_studies"):
            if isinstance(entry.get(key), list):
                entry[key] = ids(entry[key])
        for key in ("study_effects", "set_aside", "fingerprints", "certainty_studies"):
            if isinstance(entry.get(key), Mapping):
                entry[key] = {rename.get(x, x): v for x, v in entry[key].items()}
        if "certainty_text" in entry:
            # An out-of-date judgement's text names its studies by label.
            entry["certainty_text"] = relabel(entry["certainty_text"])
        analyses[aid] = entry
    out["analyses"] = analyses
    if isinstance(previous.get("published"), Mapping):
        out["published"] = {renamed_key(ref, rename): {**v, "study_id": rename.get(v.get("study_id"), v.get("study_id"))}
                            for ref, v in previous["published"].items()}
    if isinstance(previous.get("warnings"), Mapping):
        out["warnings"] = {renamed_key(k, rename): _warning_renamed(v, renamed_labels, relabel)
                           for k, v in previous["warnings"].items()}
    if isinstance(previous.get("claim_reasons"), Mapping):
        out["claim_reasons"] = {cid: relabel(v) for cid, v in previous["claim_reasons"].items()}
    if isinstance(previous.get("indirect_results"), Mapping):
        out["indirect_results"] = {xid: {**v, "detail": relabel(v.get("detail"))} if isinstance(v, Mapping) else v
                                   for xid, v in previous["indirect_results"].items()}
    # A study relabelled keeps its id, and its digests can be compared as they are.
    digests = {sid: v for sid, v in previous.get("study_data", {}).items() if rename.get(sid, sid) == sid}
    cells, now_cells = previous.get("raw_cells"), current.get("raw_cells")
    if isinstance(cells, Mapping) and isinstance(now_cells, Mapping):
        studies = {sid: rows for sid, rows in cells.get("studies", {}).items() if sid not in rename}
        was_typed = cells.get("typed", {}).get("studies", {})
        typed = {sid: v for sid, v in was_typed.items() if sid not in rename}
        for old, new in rename.items():
            studies[new] = _rows_as_renamed(previous, current, old, new)
            typed[new] = was_typed.get(old, {})
            now_rows = now_cells.get("studies", {}).get(new) or {}
            now_digests = current.get("study_data", {}).get(new) or {}
            was_digests = previous.get("study_data", {}).get(old) or {}
            digests[new] = {file: now_digests[file] if file in now_rows and file in now_digests and _row_keys(
                rows, cells.get("columns", {}).get(file, [])) == _row_keys(now_rows[file], now_cells["columns"].get(file, []))
                else f"{was_digests.get(file, '')} as renamed" for file, rows in studies[new].items()}
        # A shared table's id cells (a claim's attributed study) name the study too: one
        # that follows it to its new id is part of the rename, not an edit of the table.
        columns, now_columns = cells.get("columns", {}), now_cells.get("columns", {})
        shared = {file: [[row[0], *(rename.get(v, v) if c in _ID_COLUMNS and isinstance(v, str) else v
                                    for c, v in zip(columns.get(file, []), row[1:], strict=False))] for row in rows]
                  for file, rows in cells.get("shared", {}).items()}
        out["raw_cells"] = {**cells, "studies": studies, "shared": shared}
        if "typed" in cells:
            out["raw_cells"]["typed"] = {**cells["typed"], "studies": typed}
        if isinstance(previous.get("shared_data"), Mapping):
            now_shared, now_t = now_cells.get("shared", {}), current.get("shared_data", {})
            out["shared_data"] = dict(previous["shared_data"])
            for file, rows in shared.items():
                if (rows != cells["shared"][file] and file in now_t and file in now_shared
                        and _row_maps(rows, columns.get(file, [])) == _row_maps(now_shared[file],
                                                                              now_columns.get(file, []))):
                    out["shared_data"][file] = now_t[file]
    if "study_data" in previous:
        out["study_data"] = digests
    return out


def _warning_renamed(text: Any, renamed_labels: Mapping[str, str], relabel: Callable[[Any], Any]) -> Any:
    """A consistency warning of the last build as What changed says it once it is no
    longer raised, its study renamed (``renamed_labels``: the last build's label to this
    build's): under the study's label now, then the one the warning was raised under,
    "Kwon et al. (2008), formerly Kwon et al. (2007): arm_outcomes.csv, row 61 (Kwon2007#1)".
    Under the old label alone it named a study the review no longer lists by that name,
    beside the line that says the study was renamed; the row and its reference stay the
    last build's, which the old label explains. A warning on several studies' rows ("the
    same estimate ... in 2 studies: ...") names each by its label now (``relabel``)."""
    if not isinstance(text, str):
        return text
    for was in sorted(renamed_labels, key=len, reverse=True):
        if text.startswith(f"{was}: "):
            return f"{renamed_labels[was]}, formerly {text}"
    return relabel(text)


def _rename_line(previous: Mapping[str, Any], current: Mapping[str, Any], old: str, new: str, cells: str | None) -> str:
    """What changed in a study's name, in one line: "Study Kwon et al. (2007) is now Kwon
    et al. (2008) (id Kwon2007 → Kwon2008, year 2007 → 2008); its data are unchanged."

    The label, id and year are each said to change only where they did (the id is given
    either way: the raw tables name the study by it). ``cells`` are the cells edited with
    it, as :func:`_file_changes` names them ("" for none, said as data unchanged; None
    where the builds cannot tell, said nothing of).
    """
    was, now = _name_cells(previous, old), _name_cells(current, new)
    was_label, now_label = was.get("label") or old, now.get("label") or new
    parts = [f"id {escape(old)} → {escape(new)}" if old != new else f"id {escape(new)}"]
    if was.get("year") is not None and now.get("year") is not None and was["year"] != now["year"]:
        parts.append(f"year {_cell_text(was['year'])} → {_cell_text(now['year'])}")
    head = (f"Study {escape(was_label)} is now {escape(now_label)}" if was_label != now_label
            else f"Study {escape(now_label)}")
    tail = "; its data are unchanged" if cells == "" else f"; its rows changed: {cells}" if cells else ""
    return _full_stop(f"{head} ({', '.join(parts)}){tail}")


def _moved_line(previous: Mapping[str, Any], current: Mapping[str, Any], ids: Sequence[str],
               cells: Mapping[str, str | None]) -> str:
    """Studies whose ids moved round, in one line: two that swapped ids, "Studies Hunter et
    al. (2012) (id Hunter2012 → Kwon2007) and Kwon et al. (2007) (id Kwon2007 →
    Hunter2012) swapped ids; their data are unchanged.", or three or more, "Studies Bee
    (2003) (id B → C), Cole (2010) (id C → D) and Dunn (2015) (id D → B) moved ids;
    their data are unchanged."

    ``ids`` are the round's ids in the last build, in its order: each study's rows went
    to the next one's id, the last one's to the first's. Each study is named by the label
    the last build gave it and its ids; one whose label or year was corrected with the
    move as :func:`_rename_line` says it, its year in its brackets and its label after
    the round ("; Kwon et al. (2007) is now labelled Kwon et al. (2008)"), a bracket
    beside the brackets and never in one. ``cells`` are, by the last build's id, the cells
    edited with the move, as :func:`_rename_line` takes them. As a line per study, each
    read as relabelled as the next, or edited into it.
    """
    to = dict(zip(ids, [*ids[1:], ids[0]], strict=True))
    was = {sid: _name_cells(previous, sid) for sid in ids}
    now = {sid: _name_cells(current, to[sid]) for sid in ids}
    name = {sid: escape(was[sid].get("label") or sid) for sid in ids}

    def member(sid: str) -> str:
        parts = [f"id {escape(sid)} → {escape(to[sid])}"]
        years = was[sid].get("year"), now[sid].get("year")
        if None not in years and years[0] != years[1]:
            parts.append(f"year {_cell_text(years[0])} → {_cell_text(years[1])}")
        return f"{name[sid]} ({', '.join(parts)})"

    head = f"Studies {join_list([member(sid) for sid in ids])} {'swapped' if len(ids) == 2 else 'moved'} ids"
    head += "".join(f"; {name[sid]} is now labelled {escape(now[sid]['label'])}" for sid in ids
                    if was[sid].get("label") and now[sid].get("label") and was[sid]["label"] != now[sid]["label"])
    if all(cells.get(sid) == "" for sid in ids):
        return f"{head}; their data are unchanged."
    same = [name[sid] for sid in ids if cells.get(sid) == ""]
    tail = f"; the data of {join_list(same)} are unchanged" if same else ""
    tail += "".join(f"; the rows of {name[sid]} changed: {cells[sid]}" for sid in ids if cells.get(sid))
    return _full_stop(head + tail)


def _analysis_finding(entry: Mapping[str, Any], names: Mapping[str, str], proper: Collection[str] = ()) -> str:
    """What an analysis new to the review found, as What changed says it: its pooled
    estimate, its one study's effect, or why it has none ("no usable study"). "New
    analysis" alone left a team to search the report for the result of the question they
    had just added.

    Its studies are counted in words, as the analyses' lines of What changed count them
    ("3 studies pooled, MD −0.20 (...)", "one study, not pooled: Kong (2020), its effect
    ..."): "pooled, k = 3" beside "now 3 studies (was 2 studies)" used the methods'
    letter in one line and words in the next."""
    k = entry.get("k") or 0
    measure = entry.get("measure")
    if entry.get("estimate") is not None and "ci_lb" in entry:
        return (f"{_studies_count(k)} pooled, {measure or 'estimate'} "
                f"{f2(entry.get('estimate_exp', entry['estimate']))} ({_interval(entry)}): "
                + _compatibility(bool(entry.get("significant"))) + _side(entry, proper=proper))
    effect = _study_effect_shown(entry)
    if effect is not None and "ci_lb" in entry:
        who = _listed([names.get(x, x) for x in entry.get("studies") or []], conjunction="and")
        return (_status_and_count(entry) + (f": {who}, its effect" if who else ", study effect")
                + f" {measure + ' ' if measure else ''}{f2(effect)} ({_interval(entry)}): "
                + _compatibility(bool(entry.get("significant"))) + _side(entry, proper=proper))
    return _status_and_count(entry)


def _studies_count(k: Any) -> str:
    """A number of studies in words, as What changed says it: "one study", "3 studies"."""
    return {None: "an unrecorded number of studies", 0: "no study", 1: "one study"}.get(k, f"{k} studies")


def _status_and_count(entry: Mapping[str, Any]) -> str:
    """An analysis's status with its number of studies, as What changed says it: "pooled:
    2 studies", "one study, not pooled", "no usable study", "not poolable: 3 studies".
    The count is left out where the status says it (one study, none) or key results from
    before it was kept give none."""
    status, k = entry.get("status"), entry.get("k")
    if status == "single_study" and k == 1:
        return "one study, not pooled"
    if status == "no_studies" and not k:
        return "no usable study"
    return str(STATUS_TEXT.get(status, status)) + (f": {_studies_count(k)}" if k is not None else "")


def _count_change(before: Mapping[str, Any], now: Mapping[str, Any]) -> str:
    """How an analysis's status and number of studies changed, as What changed says it,
    "now" once: "now pooled: 2 studies (was one study, not pooled)", "now 3 studies (was 2
    studies)"; with the same studies and another status (the pooling threshold raised),
    "now not poolable (was pooled), still 2 studies", not the count twice. "" when
    neither changed."""
    if before.get("status") != now.get("status"):
        k = now.get("k")
        if k is not None and k == before.get("k") and k > 1:
            was_s, now_s = (STATUS_TEXT.get(x.get("status"), str(x.get("status"))) for x in (before, now))
            return f"now {now_s} (was {was_s}), still {_studies_count(k)}"
        return f"now {_status_and_count(now)} (was {_status_and_count(before)})"
    if before.get("k") != now.get("k"):
        return f"now {_studies_count(now.get('k'))} (was {_studies_count(before.get('k'))})"
    return ""


def _published_changes(current: Mapping[str, Any], previous: Mapping[str, Any]) -> list[str]:
    """Published meta-analyses' results that read otherwise in the report, their own rows
    unchanged: an instrument's direction or range edited in ``instruments.csv`` turns or
    rescales a review's mean difference, and the arm it favours with it, which the row
    change in the shared table did not say. A result whose own rows changed is left to
    the cells listed for its study, and key results from before these were kept give
    nothing."""
    if "published" not in previous:
        return []
    was_all, now_all = previous["published"], current.get("published", {})
    before_d, now_d = previous.get("study_data", {}), current.get("study_data", {})
    labels = previous.get("study_labels", {}) | current.get("study_labels", {})
    notes = []
    for ref in sorted(set(was_all) & set(now_all)):
        was, new = was_all[ref], now_all[ref]
        sid = new["study_id"]
        if sid != was["study_id"] or before_d.get(sid) != now_d.get(sid):
            continue
        parts = []
        if was["estimate"] != new["estimate"]:
            parts.append(f"{escape(was['estimate'])} → {escape(new['estimate'])}")
        if was["favours"] != new["favours"]:
            parts.append(f"the arm it favours {escape(was['favours'])} → **{escape(new['favours'])}**")
        if parts:
            notes.append(f"Published result of {escape(labels.get(sid, sid))} ({escape(new['row'])}), as the report "
                         f"reads it: " + "; ".join(parts) + ".")
    if len(notes) > CHANGES_LIMIT:
        return [f"{len(notes)} published results read otherwise (see the published meta-analyses)."]
    return notes


#: The config sections whose entries (by name) What changed says were added or removed whole.
_ENTRY_KINDS = {"nodes": "node", "outcomes": "outcome", "windows": "window"}
#: Each as the methods call it.
_ENTRY_WORDS = {"nodes": "node", "outcomes": "outcome", "windows": "time window"}


def _entries_added_or_removed(before: Mapping[str, Any],
                              now: Mapping[str, Any]) -> list[tuple[tuple[str, str], str, str]]:
    """Nodes, outcomes and windows in one build's settings and not the other's, each with
    what it is in words, its key after them, and its line for What changed: "New node
    Electroacupuncture (`nodes.ea`): treatments `electroacupuncture`", or "Node
    Electroacupuncture (`nodes.ea`) removed". Only for sections both builds compared."""
    def entries(settings: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for key, value in settings.items():
            parts = key.split(".", 2)
            if parts[0] in _ENTRY_KINDS and len(parts) == 3:
                out.setdefault((parts[0], parts[1]), {})[parts[2]] = value
        return out

    was, new = entries(before), entries(now)
    sections = {section for section, _ in was}
    lines = []
    for entry in sorted(set(was) ^ set(new)):
        section, name = entry
        if section not in sections:
            continue
        # By its name, its key after it: "New node Electroacupuncture (`nodes.ea`)".
        words = _entry_words(section, name, now, before)
        subject = f"{escape(words)} (`{section}.{name}`)"
        if entry in new:
            # Its label is its name, said already.
            keys = "; ".join(f"{escape(_field_words(k))} " + (" ".join(f"`{x}`" for x in v) if isinstance(v, list)
                                                                and all(isinstance(x, str) for x in v)
                                                                else escape(_setting_text(v)))
                             for k, v in sorted(new[entry].items()) if k != "label")
            lines.append((entry, subject, f"New {escape(words.removeprefix('the '))} (`{section}.{name}`)"
                          + (f": {keys}." if keys else ".")))
        else:
            lines.append((entry, subject, f"{escape(words[4:5].upper() + words[5:])} (`{section}.{name}`) removed."))
    return lines


def _entry_words(section: str, name: str, *builds: Mapping[str, Any]) -> str:
    """A node, outcome or window of the config by its label, as the methods name it: "the
    node Acupuncture", "the time window Short term" (its weeks left to the methods); by its
    key where no build's settings give a label ("the outcome pain"). ``builds``: the
    settings to take the label from, the first that has it."""
    label = next((b[f"{section}.{name}.label"] for b in builds if b.get(f"{section}.{name}.label")), None)
    if label and section == "windows":
        label = _window_name({"label": label})
    return f"the {_ENTRY_WORDS[section]} {label or name}"


def _setting_change(key: str, old: Any, new: Any) -> str:
    """How a setting changed, as What changed says it after its name: "2 → 3"; a long
    text from where the two differ; a list by its members added or removed; an
    estimator by its name, as the methods give it; true and false as "on" and "off"."""
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > CELL_TEXT_LIMIT:
        # A long text (the question, the evidence base): from where the two differ.
        return _text_change(old, new)
    listed = _list_change(old, new)
    if listed:
        return listed

    def said(value: Any) -> str:
        if key == "methods.method" and value in TAU2_ESTIMATORS:
            return escape(_estimator_text(value))
        if isinstance(value, bool):
            return "on" if value else "off"
        return escape(_setting_text(value)) + (_SETTING_UNITS.get(key, "") if isinstance(value, (int, float)) else "")
    if _SETTING_UNITS.get(key, "").startswith(" ") and isinstance(old, (int, float)):
        # A word after the number, once: "2 → 3 studies".
        return f"{escape(_setting_text(old))} → {said(new)}"
    return f"{said(old)} → {said(new)}"


def _warning_place(text: str) -> str:
    """Where a consistency warning was raised, without what it expected and found: "B:
    contrasts.csv, row 4 (B#2), column 'n_total'" for a warning worded "B: contrasts.csv,
    row 4 (B#2), column 'n_total': expected ..., found ...". A warning not worded so (one
    result printed by several studies) is cut at a word to :data:`CELL_TEXT_LIMIT` × 3
    characters. The row is the last build's: the warning is no longer raised, so the
    tables of this build may number it otherwise."""
    place, sep, _ = text.partition(": expected ")
    if sep:
        return place
    limit = CELL_TEXT_LIMIT * 3
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut[:cut.rfind(" ")].rstrip(" ;:,") if " " in cut else cut) + "…"


def _full_stop(text: str) -> str:
    """``text`` ended with a full stop, unless it ends a sentence already, itself or in the
    quotation it closes with: a changed quote ending "24.8%.”" read "24.8%.”." with one
    more, and a warning asking "... no longer needed?" read "needed?." (Chicago Manual of
    Style, 17th ed., 6.9 and 6.122); nor does a text cut short with an ellipsis, which a
    full stop after it turned into four dots ("row…."), as if the cut ended a sentence. A
    quotation cut short inside its quotation marks keeps the sentence's own ("…forty…”.")."""
    return text if text.endswith("\u2026") or text.rstrip("\u201d\"").endswith(("?", "!", ".")) else text + "."


def changes_section(current: Mapping[str, Any], previous: Mapping[str, Any] | None, proper: Collection[str] = ()) -> Markdown:  # noqa: C901
    """Short diff against the previous build's key results."""
    if previous is None:
        # Said as what is known: no earlier key results, which a first build and a removed
        # history folder leave alike. The file's name is the provenance's, for an auditor.
        return Markdown("There is no earlier build to compare with: this is the report's first build, or the "
                        "record of the last one was removed (see the provenance).\n")
    since = compared_with(previous)
    lines = []
    added = sorted(set(current["studies"]) - set(previous.get("studies", [])))
    removed = sorted(set(previous.get("studies", [])) - set(current["studies"]))
    # A study renamed (its id, label or year corrected) is the same study: "removed" and
    # "added" would tell a team that a trial left the review, and every analysis it
    # enters would list it gone and another come. One line says what it is now, and the
    # rest of the section compares it with itself under its new name.
    renamed = sorted(renamed_since(current, previous).items())
    # Studies whose ids moved round among them (two swapped, or three or more each at
    # the next one's id): one line for each round, from its first id. Each has another's
    # id now, and its label changed under its id with the rest of its rows: not
    # relabelled.
    to = dict(renamed)
    moved = {old for old in to if old in current["studies"]}
    rounds: dict[str, list[str]] = {}  # by its first id, in the order its rows moved
    placed: set[str] = set()
    for first in sorted(moved):
        if first not in placed:
            ids = rounds[first] = [first]
            while to[ids[-1]] != first:
                ids.append(to[ids[-1]])
            placed.update(ids)
    kept = sorted((set(previous.get("studies", [])) & set(current["studies"])) - moved)
    # Its label or year alone changed: the same line, on what both builds kept (a build
    # that kept no cells kept no year).
    relabelled = [(sid, sid) for sid, was, now in ((sid, _name_cells(previous, sid), _name_cells(current, sid))
                                                   for sid in kept)
                  if was.get("label") and now.get("label") and any(was[c] != now[c] for c in set(was) & set(now))]
    original = previous
    previous = _as_renamed(previous, current, [*renamed, *relabelled])
    named: set[str] = set()  # the studies whose edited cells their line names
    edits: dict[str, str | None] = {}  # by the last build's id
    for old_id, new_id in [*renamed, *relabelled]:
        was_d, now_d = previous.get("study_data", {}).get(new_id), current.get("study_data", {}).get(new_id)
        if was_d is None or now_d is None or not isinstance(previous.get("raw_cells"), Mapping):
            edits[old_id] = None  # a build without the cells: nothing to say of them
        else:
            files = sorted(f for f in set(was_d) | set(now_d) if was_d.get(f) != now_d.get(f))
            edits[old_id] = _file_changes(previous, current, "studies", new_id, files) if files else ""
            named.add(new_id)
    for old_id, new_id in sorted([*renamed, *relabelled], key=lambda pair: pair[1]):
        if old_id not in moved:
            lines.append(_rename_line(original, current, old_id, new_id, edits[old_id]))
        elif new_id in rounds:
            # Once, where the round's first id falls.
            lines.append(_moved_line(original, current, rounds[new_id], edits))
    added = [i for i in added if i not in {n for _, n in renamed}]
    removed = [i for i in removed if i not in {o for o, _ in renamed}]
    # Studies by the label the rest of the report uses, with the id the raw tables use.
    # A document entered with a new study, or deleted with one, that no other row cites:
    # said with the study, and left out of the shared tables' edits below.
    own_added = _own_sources(current, previous, added, added=True)
    own_removed = _own_sources(previous, current, removed, added=False)
    if added:
        items = _studies_with_sources(added, _study_names(added, current), own_added, previous=False)
        lines.append(f"Studies added: {_listed(items, conjunction='and')}.")
        idle = [i for i in added if i in set(current.get("unused_trials", []))]
        # Why, where the analyses set it aside: "the evidence table says why" sent a team
        # to a row that read "see the trials that could not be used, below".
        reasons = current.get("unused_reasons") or {}
        for sid in idle:
            if reasons.get(sid):
                lines.append(f"Trial added that enters no analysis: {_listed(_study_names([sid], current))}, "
                             "set aside: " + escape("; ".join(reasons[sid]).rstrip(".")) + ".")
        idle = [sid for sid in idle if not reasons.get(sid)]
        if idle:
            lines.append(f"{'Trial' if len(idle) == 1 else 'Trials'} added that {'enters' if len(idle) == 1 else 'enter'}"
                         f" no analysis: {_listed(_study_names(idle, current), conjunction='and')}; the evidence table says why.")
    if removed:
        items = _studies_with_sources(removed, _study_names(removed, previous), own_removed, previous=True)
        lines.append(f"Studies removed: {_listed(items, conjunction='and')}.")
    if "study_data" in previous:
        before_d, now_d = previous["study_data"], current.get("study_data", {})
        # A study renamed or relabelled has its edited cells in its line above.
        edited = sorted(sid for sid in set(before_d) & set(now_d) if before_d[sid] != now_d[sid] and sid not in named)
        if edited:
            def study_name(sid: str) -> str:
                # By label, with the id and the files where its rows changed ("Bee et al.
                # (2020) (B: arms.csv, contrasts.csv)"); a build that kept one digest per
                # study cannot say which files.
                was, now = before_d[sid], now_d[sid]
                files = (", ".join(f for f in sorted(set(was) | set(now)) if was.get(f) != now.get(f))
                         if isinstance(was, dict) and isinstance(now, dict) else "")
                label = current.get("study_labels", {}).get(sid)
                inner = ": ".join(x for x in (sid if label and label != sid else "", files) if x)
                return f"{label or sid} ({inner})" if inner else (label or sid)

            if len(edited) <= CHANGES_LIMIT and "raw_cells" in previous:
                # Few studies, both builds kept their cells: which cells changed, study by
                # study, so that a reviewer can check the edit against the source.
                for sid in edited:
                    was, now = before_d[sid], now_d[sid]
                    files = sorted(f for f in set(was) | set(now) if was.get(f) != now.get(f))
                    cells = _file_changes(previous, current, "studies", sid, files)
                    lines.append(_full_stop(f"Raw rows changed, {escape(_study_names([sid], current)[0])}: {cells}"))
            else:
                lines.append(f"Studies whose raw rows changed: {_listed([study_name(i) for i in edited], conjunction='and')}.")
    if "shared_data" in previous:
        before_t, now_t = previous["shared_data"], current.get("shared_data", {})
        tables = sorted(t for t in set(before_t) | set(now_t) if before_t.get(t) != now_t.get(t))
        was_b, now_b = previous, current
        if own_added or own_removed:
            was_b = _without_rows(previous, "sources.csv", {row for rows in own_removed.values() for row, _ in rows})
            now_b = _without_rows(current, "sources.csv", {row for rows in own_added.values() for row, _ in rows})
            cells_was, cells_now = was_b["raw_cells"], now_b["raw_cells"]
            if not row_changes(cells_was["shared"].get("sources.csv", []), cells_was["columns"].get("sources.csv", []),
                               cells_now["shared"].get("sources.csv", []), cells_now["columns"].get("sources.csv", [])):
                tables = [t for t in tables if t != "sources.csv"]  # its only edits, said with the studies
        if tables:
            cells_t = _file_changes(was_b, now_b, "shared", None, tables)
            lines.append(_full_stop(f"Raw tables changed: {cells_t or _listed(tables)}"))
    lines.extend(_unused_reason_changes(current, previous))
    if "warnings" in previous:
        # Checks of the raw numbers that a change set off, or settled.
        now_w, was_w = current.get("warnings", {}), previous["warnings"]
        new_w = [text for key, text in now_w.items() if key not in was_w]
        settled = sum(1 for key in was_w if key not in now_w)
        if new_w:
            text = ("; ".join(escape(report_quotes(t)) for t in new_w[:CHANGES_LIMIT])
                    + (f"; and {len(new_w) - CHANGES_LIMIT} more" if len(new_w) > CHANGES_LIMIT else ""))
            # A warning that ends in a question ("... or a document no longer needed?")
            # ends the line: a full stop after it would read "needed?.".
            lines.append(_full_stop(f"New consistency {'warning' if len(new_w) == 1 else 'warnings'} (@tbl-warnings): "
                                    f"{text}"))
        if settled:
            # Where each was, as its new counterpart is given: a bare count leaves a team
            # that fixed one cell unable to tell whether the warning it meant to settle went.
            places = [escape(report_quotes(_warning_place(text))) for key, text in was_w.items() if key not in now_w]
            lines.append(f"Consistency {'warning' if settled == 1 else 'warnings'} of the last build no longer "
                         f"raised: " + "; ".join(places[:CHANGES_LIMIT])
                         + (f"; and {settled - CHANGES_LIMIT} more" if settled > CHANGES_LIMIT else "") + ".")
    n_inputs = len(lines)  # lines about the data; those about the results follow
    # An analysis by its id (the file names under results/) and what it compares, which a
    # clinician reads; key results from before the names were kept give the id alone.
    analysis_labels = {**previous.get("analysis_names", {}), **current.get("analysis_names", {})}
    analysis_titles = {**previous.get("analysis_titles", {}), **current.get("analysis_titles", {})}

    def analysis_name(aid: str) -> str:
        # By its title, then its id, as the appendices name it: "`id` (Acupuncture vs Sham
        # (pain intensity))" put the code first and its brackets one inside another.
        if analysis_titles.get(aid):
            return f"{escape(analysis_titles[aid])} (`{aid}`)"
        return f"`{aid}`" + (f" ({escape(analysis_labels[aid])})" if analysis_labels.get(aid) else "")

    numbers_moved: list[tuple[str, str]] = []  # (analysis, line) where only numbers moved
    for aid, now in current["analyses"].items():
        before = previous.get("analyses", {}).get(aid)
        if before is None:
            lines.append(f"New analysis {analysis_name(aid)}: "
                         f"{_analysis_finding(now, previous.get('study_labels', {}) | current.get('study_labels', {}), proper)}.")
            continue
        notes = []
        # As a reader says it, the status and the count in one: "status one study: not
        # pooled → pooled; studies 1 → 2" read as a build log ("k" is the methods'
        # letter, and the summary defines it as the number pooled, which an analysis of
        # one study or none is not). Said "now" once, here: the studies that came or went
        # follow in the same clause ("now 3 studies (was 2 studies), with Bee et al. (2020)
        # added"), as "now 3 studies (...); now with Bee et al. (2020)" said it twice.
        head = _count_change(before, now)
        # A renamed study is the same one (said above; ``previous`` has its new id).
        held_before = set(before.get("studies") or [])
        if before.get("studies") is not None and held_before != set(now.get("studies", [])):
            # A study in, another out: the same k can hide a different trial.
            names = previous.get("study_labels", {}) | current.get("study_labels", {})
            # A study added to a pooled analysis comes with its own effect, as the study
            # table prints it: the number a team checks against the source it entered.
            effects_now = now.get("study_effects", {})
            came = sorted(set(now.get("studies", [])) - held_before)
            into = [names.get(x, x) + (f" (its effect {f2(effects_now[x]['effect'])}, {_interval(effects_now[x])})"
                                       if x in effects_now else "") for x in came]
            out_of = [names.get(x, x) for x in sorted(held_before - set(now.get("studies", [])))]
            if (len(into) == len(out_of) == 1 and len(now.get("studies", [])) == 1
                    and _study_effect_shown(before) is not None and _study_effect_shown(now) is not None):
                # One trial's effect stood for the analysis, and another's does now: "now
                # with X; without Y" leaves the reader to work out that the effect below is
                # another trial's, perhaps from another kind of value.
                notes += [head] if head else []
                notes.append(_replaced_trial_text(into[0], out_of[0], before.get("study_value_type"),
                                                  now.get("study_value_type")))
            else:
                # A study the analysis now sets aside is still a candidate: "without X"
                # read as if X had left the review.
                gone_ids = sorted(held_before - set(now.get("studies", [])))
                aside_now = set(now.get("excluded") or [])
                left = [names.get(x, x) for x in gone_ids if x not in aside_now]
                aside = [names.get(x, x) for x in gone_ids if x in aside_now]
                # One study added: "added" after its name, before its effect's bracket.
                added_clause = (f"with {escape(names.get(came[0], came[0]))} added" + into[0][len(names.get(came[0], came[0])):]
                         if len(came) == 1 else f"with {_listed(into, conjunction='and')} added" if into else "")
                clauses = [x for x in (
                    added_clause,
                    f"without {_listed(left, conjunction='and')}" if left else "",
                    f"with {_listed(aside, conjunction='and')} set aside (the table of trials that could not be used "
                    "says why)" if aside else "") if x]
                # The same number of studies: said as such, for the clause to hang on.
                if (not head and before.get("k") is not None
                        and before.get("k") == now.get("k") == len(now.get("studies", [])) == len(held_before)):
                    head = f"still {_studies_count(now.get('k'))}"
                # "and" before the last, no semicolons: an effect's bracket holds a comma,
                # and the line's clauses are parted by semicolons.
                said = " and ".join([", ".join(clauses[:-1]), clauses[-1]] if len(clauses) > 1 else clauses)
                notes.append(f"{head}, {said}" if head else said)
        elif head:
            notes.append(head)
        if isinstance(before.get("excluded"), list):
            # A trial the analysis now sets aside that it neither used nor set aside before
            # (a study added whose rows it cannot use, say): with no line, a trial added for
            # this comparison read as if it had never reached it. One set aside for its value
            # type is given with its own effect below (_own_effect_changes).
            names = previous.get("study_labels", {}) | current.get("study_labels", {})
            newly = [x for x in sorted(set(now.get("excluded") or []) - set(before["excluded"]) - held_before)
                     if x not in (now.get("set_aside") or {})]
            if newly:
                notes.append(f"{_listed([names.get(x, x) for x in newly], conjunction='and')} set aside "
                             "(the table of trials that could not be used says why)")
        if "external" in before:
            # Published meta-analyses shown beside the trials (key results from before
            # they were kept have none: not taken for an empty list).
            names = previous.get("study_labels", {}) | current.get("study_labels", {})
            was_ext = set(before["external"])
            into = [names.get(x, x) for x in sorted(set(now.get("external", [])) - was_ext)]
            out_of = [names.get(x, x) for x in sorted(was_ext - set(now.get("external", [])))]
            if into:
                notes.append(f"published results of {_listed(into, conjunction='and')} added")
            if out_of:
                notes.append(f"published results of {_listed(out_of, conjunction='and')} no longer shown")
        moved_only = not notes
        # The studies' own rows after the analysis's estimate, so that "interval a → b"
        # after a study's name is never read as the pooled one.
        names_now = previous.get("study_labels", {}) | current.get("study_labels", {})
        study_notes = _own_effect_changes(before, now, names_now) + _study_effect_changes(before, now, names_now)
        effect_now, effect_before = _study_effect_shown(now), _study_effect_shown(before)
        one_then_pooled = effect_before is not None and before.get("estimate") is None and now.get("estimate") is not None
        pooled_then_one = effect_now is not None and now.get("estimate") is None and before.get("estimate") is not None
        # A second study pooled with the first, or one of two taken out: what the analysis
        # shows changed with the effect that stands for it. Flagged on the number that
        # says it: a note of its own repeated "the confidence interval lies wholly ..."
        # after the estimate that had just said so.
        flipped = ((one_then_pooled or pooled_then_one) and "significant" in before and "significant" in now
                   and before["significant"] != now["significant"])
        flip_said = False
        effect_note = None  # where the note giving the new study effect or estimate is
        if effect_now is not None and effect_before is None and "ci_lb" in now:
            # One study's effect where there was none (or a pooled estimate): what it shows,
            # and whose it is when the clause of studies added has not named it: after a pooled
            # estimate lost a study, "without X; study effect 0.05" left the reader to work
            # out which of the others is left.
            alone = now.get("studies") or []
            whose = (f"of {escape(names_now.get(alone[0], alone[0]))} "
                     if len(alone) == 1 and alone[0] in held_before else "")
            # From nothing to an interval clear of no difference: a conclusion the report
            # did not draw before, flagged as its loss is below.
            changed = ("**conclusion changed**: " if (now.get("significant") and before.get("estimate") is None)
                       or flipped else "")
            flip_said, effect_note = flipped, len(notes)
            notes.append(f"{changed}study effect {whose}{f2(effect_now)} ({_interval(now)}): "
                         + _compatibility(bool(now.get("significant"))) + _side(now, proper=proper))
            moved_only = moved_only and not changed
        gone = not now.get("k") and effect_now is None and now.get("estimate") is None
        if effect_before is not None and before.get("estimate") is None and gone:
            # The analysis's only effect is gone (its one study removed, or now set aside):
            # what the report said of it no longer holds.
            notes.append(f"**conclusion changed**: no study effect (was {f2(effect_before)}"
                         + (f", {_interval(before)}" if "ci_lb" in before else "") + ")")
            moved_only = False
        # A measure set anew (an analysis's SMD made an MD): each number by its own, as two
        # numbers of different units read as one that moved a long way.
        old_m, new_m = before.get("measure"), now.get("measure")
        remeasured = bool(old_m and new_m and old_m != new_m)
        if effect_now is not None and effect_before is not None:
            if remeasured:
                notes.append(f"study effect {old_m} {f2(effect_before)} → {new_m} {f2(effect_now)}")
            elif f2(effect_before) != f2(effect_now):
                notes.append(f"study effect {f2(effect_before)} → {f2(effect_now)}")
            # One study's interval and what it shows, as for a pooled estimate below (key
            # results from before they were kept are not compared).
            if "ci_lb" in before and "ci_lb" in now and _interval(before) != _interval(now):
                notes.append(f"interval {_interval(before)} → {_interval(now)}")
            notes += _timepoint_moved(before, now)
            if before.get("studies") == now.get("studies"):
                # The same trial's effect from other numbers (another trial's is said above).
                notes += _form_moved(before, now)
            if "significant" in before and "significant" in now and now["significant"] != before["significant"]:
                notes.append("**conclusion changed**: " + _compatibility(bool(now["significant"])) + _side(now, proper=proper))
                moved_only = False
            if "direction" in before and "direction" in now and now["direction"] != before["direction"]:
                notes.append(_direction_note(before, now, proper=proper))
                moved_only = False
        # An estimate that appeared or went away (a second study, a study removed).
        if now.get("estimate") is not None and before.get("estimate") is None:
            # What it replaces, where one study's effect stood for the analysis before.
            # By name: with a study added beside it, "one study's effect" leaves the reader
            # to work out which of the analysis's studies it was.
            alone = before.get("studies") or []
            labels = previous.get("study_labels", {}) | current.get("study_labels", {})
            whose = (f"the effect of {escape(labels.get(alone[0], alone[0]))} alone" if len(alone) == 1
                     else "one study's effect")
            # Before what the interval shows: "...: the confidence interval is compatible
            # with no difference (was the effect of A alone, ...)" read as if it had been.
            was_one = (f" in place of {whose} ({f2(effect_before)}, {_interval(before)})"
                       if effect_before is not None and "ci_lb" in before else "")
            # By its measure, as an estimate that moved is ("pooled MD").
            estimate_name = f"pooled {new_m}" if new_m else "estimate"
            changed = ("**conclusion changed**: " if (now.get("significant") and effect_before is None) or flipped
                       else "")
            flip_said, effect_note = flipped, len(notes)
            notes.append(f"{changed}{estimate_name} {f2(now.get('estimate_exp', now['estimate']))} ({_interval(now)})"
                         + was_one + ": " + _compatibility(bool(now.get("significant"))) + _side(now, proper=proper))
            moved_only = moved_only and not changed
        elif before.get("estimate") is not None and now.get("estimate") is None:
            # With no study left, what the report said of the analysis no longer holds;
            # with one or more, their effects are given instead.
            notes.append(("**conclusion changed**: " if gone else "")
                         + f"no pooled estimate (was {old_m + ' ' if old_m else ''}"
                         + f"{f2(before.get('estimate_exp', before['estimate']))}"
                         + (f", {_interval(before)}" if "ci_lb" in before else "") + ")")
            moved_only = moved_only and not gone
        if flipped and not flip_said:
            notes.append("**conclusion changed**: " + _compatibility(bool(now["significant"])) + _side(now, proper=proper))
            moved_only = False
        if ((one_then_pooled or pooled_then_one) and "direction" in before and "direction" in now
                and before["direction"] != now["direction"]):
            # The side turned with it, as between two estimates or two effects of one study:
            # one trial's interval wholly on one side and the pooled one wholly on the other
            # changed no significance, and read as numbers that moved. Wholly on the other
            # side, the note that gives the new number flags it, having said where it lies.
            if now.get("significant") and before.get("significant") and effect_note is not None:
                if not notes[effect_note].startswith("**conclusion changed**"):
                    notes[effect_note] = "**conclusion changed**: " + notes[effect_note]
            else:
                notes.append(_direction_note(before, now, proper=proper))
            moved_only = False
        if now.get("estimate") is not None and before.get("estimate") is not None:
            # A number moved when what the report prints of it changed.
            old_est = f2(before.get("estimate_exp", before["estimate"]))
            new_est = f2(now.get("estimate_exp", now["estimate"]))
            # A sign that flipped shows its estimates, however small the move.
            if old_est != new_est or now.get("direction") != before.get("direction") or remeasured:
                # With its measure ("SMD 0.15 → 0.12"): a bare "estimate" left the reader to
                # find whether the numbers were mean differences, SMDs or ratios.
                measure = now.get("measure") if now.get("measure") == before.get("measure", now.get("measure")) else None
                notes.append(f"pooled {old_m} {old_est} → {new_m} {new_est}" if remeasured
                             else f"{'pooled ' + measure if measure else 'estimate'} {old_est} → {new_est}")
            # An interval can move alone (another CI method, a changed level). Key results
            # from before intervals were kept on the printed scale are not compared.
            if ("ci_lb" in before and ("ci_lb_exp" in before) == ("ci_lb_exp" in now)
                    and _interval(before) != _interval(now)):
                notes.append(f"interval {_interval(before)} → {_interval(now)}")
            if now.get("significant") != before.get("significant"):
                notes.append("**conclusion changed**: " + _compatibility(bool(now["significant"])) + _side(now, proper=proper))
                moved_only = False
            if now.get("direction") != before.get("direction"):
                notes.append(_direction_note(before, now, proper=proper))
                moved_only = False
            if "sensitive_to" in now and "sensitive_to" in before and now["sensitive_to"] != before["sensitive_to"]:
                notes.append("**leave-one-out**: " + (
                    f"the conclusion has become sensitive to leaving out "
                    f"{_either([escape(n) for n in _study_names(now['sensitive_to'], current)])}"
                    if now["sensitive_to"] else "no single study's omission changes the conclusion any longer"))
                moved_only = False
        notes += study_notes
        # Certainty: only where both builds recorded it.
        if "certainty_status" in before and "certainty_status" in now:
            note = _certainty_change(before, now)
            if note:
                notes.append(note)
                moved_only = False
        if notes:
            line = f"{analysis_name(aid)}: " + "; ".join(notes) + "."
            if moved_only:
                numbers_moved.append((aid, line))
            else:
                lines.append(line)
    # The diff stays short: a change of method moves every analysis's numbers, and only
    # the conclusions that changed need a line each.
    if len(numbers_moved) > CHANGES_LIMIT:
        # By what each compares, its id after it, as every analysis's line names it: the
        # ids alone said nothing to a clinician.
        moved_names = [analysis_name(aid) for aid, _ in numbers_moved]
        lines.append(f"Estimates or intervals moved, with the same conclusion, in {len(numbers_moved)} analyses: "
                     + join_list([*moved_names[:CHANGES_LIMIT], f"{len(moved_names) - CHANGES_LIMIT} more"])
                     + " (see the results).")
    else:
        lines.extend(line for _, line in numbers_moved)
    for aid in sorted(set(previous.get("analyses", {})) - set(current["analyses"])):
        # With what it had found: the report no longer says it, and a team that removed
        # the wrong entry, or one whose question still stands, sees what went.
        was_found = _analysis_finding(previous["analyses"][aid], previous.get("study_labels", {}), proper)
        lines.append(f"Analysis {analysis_name(aid)} removed (it had found: {was_found}).")
    lines.extend(_published_changes(current, previous))
    lines.extend(_indirect_changes(current, previous))
    was_reasons, now_reasons = previous.get("claim_reasons", {}), current.get("claim_reasons", {})
    claim_texts = {**previous.get("claim_texts", {}), **current.get("claim_texts", {})}

    def claim_name(cid: str) -> str:
        # By what it claims, as the claims table gives it, then its id for the team:
        # "Claim `both_work`" said nothing to a clinician. Key results from before the
        # words were kept give the id alone.
        text = claim_texts.get(cid)
        if not text:
            return f"Claim `{cid}`"
        # Its own quotation marks made single within the report's double ones.
        text = re.sub(r'"([^"]*)"|\u201c([^\u201d]*)\u201d', lambda m: f"\u2018{m[1] or m[2] or ''}\u2019", text)
        return f"Claim \u201c{escape(text)}\u201d (`{cid}`)"

    for cid, verdict in current.get("claims", {}).items():
        old = previous.get("claims", {}).get(cid)
        if old is None and "claims" in previous:
            # A claim added is a verdict the report did not give: the raw row's line says a
            # row was added, not what the data made of it.
            lines.append(f"{claim_name(cid)} added: **{escape(verdict)}**.")
        elif old is not None and old != verdict:
            # With why, where both builds kept the reasons: a verdict that changed sends a
            # team to the claims table otherwise, to find which clause of the reason did.
            why = (f"; its reason {_explanation_change(was_reasons[cid], now_reasons[cid])}"
                   if cid in was_reasons and cid in now_reasons and was_reasons[cid] != now_reasons[cid] else "")
            lines.append(_full_stop(f"{claim_name(cid)}: {old} → **{verdict}**{why}"))
        elif old is not None and cid in was_reasons and cid in now_reasons and was_reasons[cid] != now_reasons[cid]:
            # The same verdict for another reason (a new study cited, a trial now found).
            lines.append(_full_stop(f"{claim_name(cid)}, still {escape(verdict)}: its reason "
                                    f"{_explanation_change(was_reasons[cid], now_reasons[cid])}"))
    for cid in sorted(set(previous.get("claims", {})) - set(current.get("claims", {}))):
        lines.append(f"{claim_name(cid)} removed (its verdict was {escape(previous['claims'][cid])}).")
    results_changed = len(lines) > n_inputs
    # Settings: only where both builds recorded them, and not for analyses or indirect
    # comparisons added or removed (listed above as such).
    if "settings" in previous:
        added_or_removed = set(previous.get("analyses", {})) ^ set(current["analyses"])
        added_or_removed |= set(previous.get("indirect", {})) ^ set(current.get("indirect", {}))
        before_s, now_s = previous["settings"], current.get("settings", {})
        # A section the previous build did not compare yet is not "changed" from nothing.
        sections_before = {key.split(".")[0] for key in before_s}
        # A node, outcome or window added or removed whole: one line each, not one per key
        # ("nodes.x.label: not set → X", "nodes.x.treatments: not set → [...]").
        whole = _entries_added_or_removed(before_s, now_s)
        setting_lines = [(subject, line) for (_, subject, line) in whole]
        whole_entries = {entry for entry, _, _ in whole}
        # Each setting in words, its key after them (the key once); an entry's keys (a
        # window's label and target week, moved together) in one line, by the entry's name.
        by_entry: dict[tuple[str, str], list[str]] = {}
        for key in sorted(set(before_s) | set(now_s)):
            parts = key.split(".")
            if (parts[0] in ("analyses", "indirect") and parts[1] in added_or_removed) or parts[0] not in sections_before:
                continue
            if tuple(parts[:2]) in whole_entries or before_s.get(key) == now_s.get(key):
                continue
            change = _setting_change(key, before_s.get(key), now_s.get(key))
            if parts[0] in (*_ENTRY_KINDS, "analyses", "indirect") and len(parts) > 2:
                by_entry.setdefault((parts[0], parts[1]), []).append(f"{_field_words('.'.join(parts[2:]))} {change}")
            else:
                words = _setting_words(key)
                setting_lines.append((f"{escape(words)} (`{key}`)",
                                      f"{escape(words[:1].upper() + words[1:])} (`{key}`): {change}."))
        for (section, name), changes in sorted(by_entry.items()):
            # An analysis's or comparison's settings, said as such: its results' line, if
            # any, begins with the same name.
            if section == "analyses":
                subject = analysis_name(name)
                head = f"{subject}, its settings"
            elif section == "indirect":
                head = _indirect_name(name, {**previous.get("indirect_titles", {}), **current.get("indirect_titles", {})})
                subject = head[:1].lower() + head[1:]
                head += ", its settings"
            else:
                words = _entry_words(section, name, now_s, before_s)
                subject = f"{escape(words)} (`{section}.{name}`)"
                head = f"{escape(words[:1].upper() + words[1:])} (`{section}.{name}`)"
            setting_lines.append((subject, f"{head}: {'; '.join(changes)}."))
        if len(setting_lines) > CHANGES_LIMIT:
            # The rest by what they set, each once: "see config/config.yaml" left the team
            # to find which, and a clinician with nothing.
            others = list(dict.fromkeys(subject for subject, _ in setting_lines[CHANGES_LIMIT:]))
            others_named = others[:CHANGES_LIMIT] + ([f"{len(others) - CHANGES_LIMIT} more"]
                                                     if len(others) > CHANGES_LIMIT else [])
            more = len(setting_lines) - CHANGES_LIMIT
            said = f"{more} more {'setting' if more == 1 else 'settings'} changed: {join_list(others_named)}."
            setting_lines = [*setting_lines[:CHANGES_LIMIT], ("", said)]
        # With the data changed, before the results they move: a cause before its effects.
        lines[n_inputs:n_inputs] = [line for _, line in setting_lines]
    # Since which build, where it recorded its date and commit: "the last build" alone
    # left a reader unable to tell which report this one is compared with.
    lead = f"Compared with {since}:\n\n" if since else ""
    if not lines:
        return Markdown(f"No study, estimate, setting or conclusion changed since {since or 'the previous build'}.\n")
    if not results_changed:
        # An edit that moves nothing shown (a baseline row, a quote) says so, rather than
        # leave the reader to look for what it moved.
        lines.append("No estimate, interval or conclusion changed.")
    return Markdown(lead + "\n".join(f"- {line}" for line in lines) + "\n")


def compared_with(previous: Mapping[str, Any] | None) -> str:
    """The build "What changed" compares with, as a sentence names it: "the build of
    2026-11-30 from source commit `481a7c8`", or "" for key results that do not say
    (a first build, or one from before builds recorded it).

    The date is the build's (:func:`metareview.provenance.build_date`: its source
    commit's, or ``SOURCE_DATE_EPOCH``); the commit is cut to its first 7 hex digits, as
    ``git log --oneline`` gives it, with what follows it kept ("+ uncommitted changes").

    >>> compared_with({"built": {"date": "2026-11-30", "commit": "481a7c8e06d5 + uncommitted changes"}})
    'the build of 2026-11-30 from source commit `481a7c8` + uncommitted changes'
    """
    built = (previous or {}).get("built") or {}
    date, commit = built.get("date"), str(built.get("commit") or "")
    if not date:
        return ""
    head, _, rest = commit.partition(" ")
    if re.fullmatch(r"[0-9a-f]{7,40}", head):
        commit = f"`{head[:7]}`" + (f" {rest}" if rest else "")
        return f"the build of {escape(str(date))} from source commit {commit}"
    # Not a git checkout, say: its words, bracketed, as a hash would not read them.
    return f"the build of {escape(str(date))}" + (f" (source commit: {escape(commit)})" if commit else "")


# --------------------------------------------------------------------------- sections


def _ref_text(ctx: ReportContext, ref: str) -> str:
    file, row = ctx.raw_rows.get(ref, (ref, None))
    return f"{file} row {row}" if row else ref


def _refs_in_words(ctx: ReportContext, text: str) -> str:
    """``text`` with each run of row references (", " between them) by file and row number,
    a file named once for its rows listed one after another: "see the notes of
    arm_outcomes.csv rows 61 and 62", not "arm_outcomes.csv row 61, arm_outcomes.csv row
    62" (Kwon et al., 2007, in its study-effects table), as the audit trail lists rows.
    A reference that resolves to no row is left as it is."""
    def run(m: re.Match[str]) -> str:
        groups: list[tuple[str, list[str]]] = []
        for ref in _REF.findall(m[0]):
            file, row = ctx.raw_rows.get(ref, (ref, None))
            if row is None:
                groups.append((ref, []))
            elif groups and groups[-1][0] == file and groups[-1][1]:
                groups[-1][1].append(str(row))
            else:
                groups.append((file, [str(row)]))
        return ", ".join(f"{file} row{'s' if len(rows) > 1 else ''} {join_and(rows)}" if rows else file
                         for file, rows in groups)
    return _REF_RUN.sub(run, text)


def _verbatim(statements: Sequence[Mapping[str, Any]]) -> list[str]:
    """The source's own words for statements, each once: the raw row's ``quote`` (its
    ``statement`` is the extraction's summary, which no quotation mark may present as the
    source's), in their order."""
    out: list[str] = []
    for st in statements:
        text = str(st.get("quote") or "").strip()
        # Set within the report's double quotation marks, the source's own become single
        # ones, as a quotation within a quotation is written.
        text = re.sub(r'"([^"]*)"|\u201c([^\u201d]*)\u201d', lambda m: f"\u2018{m[1] or m[2] or ''}\u2019", text)
        if text and text not in out:
            out.append(text)
    return out


def _quoted(statements: Sequence[Mapping[str, Any]]) -> list[str]:
    """The source's own words for statements, each once, in the report's quotation marks:
    "“no difference”", or "differences “not statistically significant”" for a quote whose
    own quotation marks set the source's words apart from the extraction's around them.

    Set within the report's marks as a quotation within a quotation (:func:`_verbatim`),
    “differences ‘not statistically significant’” was hard to read, and the marks closing
    together said no more than the inner ones alone."""
    out: list[str] = []
    inner = r'"([^"]*)"|\u201c([^\u201d]*)\u201d'
    for st in statements:
        text = str(st.get("quote") or "").strip()
        if not text:
            continue
        said = (re.sub(inner, lambda m: f"\u201c{m[1] or m[2] or ''}\u201d", text) if re.search(inner, text)
                else f"\u201c{text}\u201d")
        if said not in out:
            out.append(said)
    return out


#: Small counts in words, as a sentence writes them ("three arms").
_NUMBER_WORDS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def _source_doubts(study: Mapping[str, Any], statements: Sequence[Mapping[str, Any]],
                   review_population: str = "") -> str:
    """" whose source does not say enough to tell whether its population is this review's
    (adults with chronic non-specific low back pain, ...) and whose statements were
    extracted with low confidence" for the source of statements the bottom line quotes,
    or "".

    The bottom line qualifies a trial it names by its population; a source whose words it
    quotes gets the same doubts, and those of its identity and extraction, so that a
    finding in one direction is not presented with fewer caveats than one in the other.
    ``review_population`` is the review's own (``review.population`` in the config).
    """
    said = []
    # As the other lines word them (SECONDARY, "study identity low").
    identity = study.get("identity_confidence") or "not rated"
    if study.get("source_level") == "secondary":
        said.append(f"{SECONDARY} (study identity {identity})")
    elif identity == "low":
        said.append("whose study identity is rated low")
    fit = study.get("population_fit")
    population = f" (\u201c{description(study['population'])}\u201d)" if study.get("population") else ""
    if fit in POPULATION_WORDS:
        said.append(f"of {POPULATION_WORDS[fit]} this review\u2019s{population}")
    elif fit == "unclear":
        # Unclear fit means the source says too little (the codebook), so its own cell
        # ("LBP (16 RCTs)") told a clinician nothing: what is known is said instead, with
        # the population it is to be set against.
        ours = review_population.strip().rstrip(".")
        ours = f" ({in_brackets(ours[:1].lower() + ours[1:] if ours[1:2].islower() else ours)})" if ours else ""
        said.append(f"whose source does not say enough to tell whether its population is this review\u2019s{ours}")
    if statements and all(st.get("confidence") == "low" for st in statements):
        said.append(("whose statement was" if len(statements) == 1 else "whose statements were")
                    + " extracted with low confidence")
    return (" " + join_and(said)) if said else ""


def _narrative_head_to_head(ctx: ReportContext, x: Mapping[str, Any], quoted_before: set[str] | None = None, *,
                            numbers_elsewhere: bool = False) -> str:
    """The sources whose narrative statements compare an indirect comparison's two treatments.

    Statements carry no numbers to pool, but where they are the only direct comparison
    of the two, the bottom line points to them rather than let "the data cannot say"
    suggest that nothing was ever reported. A statement quoted for an earlier outcome
    (``quoted_before``, which this call extends) is pointed to, not quoted again.
    """
    pair = {x["treatment_a"], x["treatment_b"]}
    seen = set() if quoted_before is None else quoted_before
    said, names = [], []
    any_new = False
    for doc in sorted(ctx.normalised, key=lambda d: d["study"]["label"]):
        stated = [st for st in doc["statements"]
                  if {st.get("node1"), st.get("node2")} == pair and st["outcome"] == x["outcome"]]
        texts = _verbatim(stated)
        if texts:
            # What the source says, in its own words and direction: a reader of the bottom
            # line should not have to look the statements up to learn which way they point.
            design = design_text(doc["study"]["design"]) + _source_doubts(
                doc["study"], stated, str(ctx.config.get("review", {}).get("population") or ""))
            article = "an" if design[:1].lower() in "aeiou" else "a"
            new = [t for t in texts if t not in seen]
            quoted = " ".join(f"“{escape(t)}”" for t in new)
            if new:
                any_new = True
                said.append(f"{escape(doc['study']['label'])}, {article} {escape(design)}, states: {quoted}")
            else:
                # Its design and doubts were given with its quote: the name is enough.
                said.append(escape(doc["study"]["label"]))
            seen.update(texts)
            names.append(escape(in_brackets(doc["study"]["label"])))
    if not said:
        return ""
    if not any_new:
        # All quoted for an earlier outcome, with what the sources are and how far they can
        # be trusted: said once, pointed to here, by name alone.
        return f" The statements in words quoted above ({'; '.join(names)}) speak of it too."
    lead = ("In words, without numbers: " if numbers_elsewhere
            else "The only comparison of the two in the data, as this review defines them, is in words, without "
                 "numbers to pool. ")
    return (f" {lead}" + " ".join(said)
            + " Such statements cannot be checked against numbers here (see @tbl-narrative).")


#: How the bottom line groups one treatment's results: by where the confidence interval
#: lies, or, for a sparse table whose Wald interval and exact test disagree, by the test.
SIDES = ("for", "against", "neither", "exact_for", "exact_against", "exact_neither")


def _node_label(ctx: ReportContext, node: str) -> str:
    """A treatment's label as its analyses give it (as intervention, else as comparator),
    else the config's."""
    return next((r["analysis"]["intervention_label"] for r in ctx.analyses if r["analysis"]["intervention"] == node),
                next((r["analysis"]["comparator_label"] for r in ctx.analyses if r["analysis"]["comparator"] == node),
                     ctx.labels.get(node, node)))


def _treatment_overview(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]] = ()) -> str:
    """Where one treatment's results lie, comparator by comparator: a clinician's first question.

    The analyses with ``node`` as the intervention that have an estimate (pooled, or one
    study's), grouped by what their confidence intervals show: wholly on the treatment's
    side, wholly on the comparator's, or compatible with no difference. Each comparator is
    followed by the outcomes and the studies (or "pooled, k = n"). A single study known
    only from a secondary source is set apart: its numbers cannot be checked. So are the
    comparisons with studies but no estimate: those whose studies could not be pooled
    (fewer than ``methods.min_studies``, or comparators the sources do not name), with
    their studies, and those whose every trial was set aside, with those trials. Analyses
    ``given`` as (comparator, outcome, window), those of the review's question that the
    bottom line gives first, are left out.

    Returned as "Label: first point." when there is one point to make, else as the label
    followed by an indented Markdown list, a point per item (each side's comparators, the
    studies set apart, the published reviews, the statements in words): one paragraph
    holding them all ran to half a page of the summary.
    """
    label = _node_label(ctx, node)
    # (what, who, (effect, interval)) by side and comparator
    groups: dict[str, dict[str, list[tuple[str, str, tuple[str, str]]]]] = {side: {} for side in SIDES}
    # A sparse table's exact p and the side the result leans to, by (side, comparator, what)
    tests: dict[tuple[str, str, str], tuple[float, str]] = {}
    level = float(ctx.config["methods"].get("level", 95))
    unchecked: list[tuple[str, str]] = []  # (study, comparator)
    # The time window goes with each outcome only when the analyses span more than one.
    windows = {r["analysis"]["window"] for r in ctx.analyses if node in (r["analysis"]["intervention"],
                                                                          r["analysis"]["comparator"])}
    # The measure goes with it only where one comparison is analysed on two (nicotine patch
    # against placebo as RR and as OR): "against placebo (abstinence: pooled, k = 4)" and
    # "(abstinence: pooled, k = 3)" on two sides read as a contradiction.
    measures: dict[tuple[Any, ...], set[str]] = {}
    for r in ctx.analyses:
        a = r["analysis"]
        measures.setdefault((frozenset((a["intervention"], a["comparator"])), a["outcome"], a["window"]),
                            set()).add(a["measure"])
    # Comparisons with studies but no estimate: a point each, lest "no analysis has an
    # estimate" read as no trial at all (the trials set aside, by comparator and set).
    unpooled: dict[str, list[str]] = {}
    aside: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    # The analyses behind each, for which way their trials' own reports went.
    aside_results: dict[tuple[str, tuple[str, ...]], list[Mapping[str, Any]]] = {}
    # The trials set aside by an analysis that still has a result, by (side, comparator):
    # (outcome, labels). Without them, a result "pooled, k = 2" read as all the trials.
    left_out: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = {}
    left_out_results: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for r in ctx.analyses:
        a = r["analysis"]
        # The treatment as an analysis's comparator too (usual care against exercise, in a
        # review that compares usual care with sham indirectly): the sides then swap.
        other = {a["intervention"]: "comparator", a["comparator"]: "intervention"}.get(node)
        if other is None or (a[other], a["outcome"], a["window"]) in given:
            continue
        if other == "intervention":
            a = {**a, "comparator_label": a["intervention_label"], "swapped": True}
        when = "" if len(windows) == 1 else f", {_in_sentence(a['window_label'].split('(')[0].strip())}"
        # A result with an estimate names its measure beside its number ("RR 1.95"); the
        # others name it here.
        timed = when
        if len(measures[(frozenset((a["intervention"], a["comparator"])), a["outcome"], a["window"])]) > 1:
            when += f", {a['measure']}"
        if r["status"] == "not_poolable":
            # Why, as the analysis's reason gives it (metareview.analysis.pool_analysis).
            why = ("comparators the sources do not name, not assumed to be one treatment"
                   if UNNAMED in (a["intervention"], a["comparator"])
                   else f"fewer than the {int(ctx.config['methods'].get('min_studies', 2))} pooling needs")
            unpooled.setdefault(a["comparator_label"], []).append(
                f"{_in_sentence(a['outcome_label'])}{when}, {r['k']} studies ({why}): "
                f"{join_and([s['label'] for s in r['studies']])}")
            continue
        if r["status"] not in ("pooled", "single_study"):
            if _aside_labels(r):
                # Said inside brackets after the comparator: the outcome's own as commas.
                aside.setdefault((a["comparator_label"], _aside_labels(r)), []).append(
                    in_brackets(f"{_in_sentence(a['outcome_label'])}{when}"))
                aside_results.setdefault((a["comparator_label"], _aside_labels(r)), []).append(r)
            continue
        if r["status"] == "pooled":
            p, who = r["pooled"], f"pooled, k = {r['pooled']['k']}{_sensitive_in_brief(r)}{_pooled_caveats_in_brief(r)}"
            interval, estimate = p, p["estimate"]
        else:
            s = r["studies"][0]
            if s.get("source_level") == "secondary":
                unchecked.append((s["label"], _in_sentence(a["comparator_label"], _names(ctx))))
                continue
            # "one study": beside "pooled, k = 2", a bare trial name did not say that a
            # whole comparison rests on one trial.
            # In the comparator's brackets: the label's own year set off by commas.
            interval, estimate, who = s, s["yi"], f"one study, {in_brackets(s['label'])}"
            # What the Results say of how far the trial can be trusted, in a clause each
            # (its secondary source sets it apart above, so that is not among them).
            doubts = _study_doubts_in_brief(s)
            if doubts:
                who += f", {join_and([one for one, _ in doubts])}"
        # A sparse table whose Wald interval and exact test disagree: a group of its own,
        # by the test's finding, whose sentence gives both.
        exact = r["status"] == "single_study" and exact_test_disagrees(interval, level)
        shows = float(interval["exact_p"]) < 1 - level / 100 if exact else excludes_no_effect(interval)
        side = ("exact_" if exact else "") + (
            "neither" if not shows else "for" if favours_intervention(a, estimate) != bool(a.get("swapped"))
            else "against")
        if exact:
            # The test's p in a sentence of its own after the result, not in the result's
            # brackets: beside the interval there it read as one method's two numbers.
            toward = (f"on {_in_sentence(label, _names(ctx))}\u2019s side"
                      if favours_intervention(a, estimate) != bool(a.get("swapped")) else "on the comparator\u2019s side")
            tests[(side, a["comparator_label"], f"{_in_sentence(a['outcome_label'])}{timed}")] = (
                float(interval["exact_p"]), toward)
        elif r["status"] == "single_study" and _reported_p_clause(ctx, r["analysis"], interval):
            # Carlsson 2001: a Wald interval on a sparse table that includes no
            # difference, where the trial's own test found one. Said here too.
            who += ", whose own test disagrees with this interval"
        # The estimate and its interval beside each result: where an interval lies says
        # whether there is a difference, not whether it is worth having, which a clinician
        # deciding what to offer asks next.
        effect, spread = _effect_in_brief(ctx, a, estimate, interval)
        if side == "neither" and estimate != 0:
            # Which side the point estimate lies on, as the analysis's line says: among
            # negative differences that favour the treatment, a pooled SMD of 0.15 gave no
            # sign that it leans the comparator's way (Cherkin 2009's standard arm worse
            # than its sham one), though its interval settles nothing.
            leans = favours_intervention(a, estimate) != bool(a.get("swapped"))
            name = _in_sentence(label, _names(ctx))
            # Inside the result's brackets, a label's own as commas (in_brackets), and no
            # possessive after them.
            mine = f"the side of {in_brackets(name)}" if "(" in name else f"{name}\u2019s side"
            spread += f", point estimate on {mine if leans else 'the comparator' + chr(0x2019) + 's side'}"
        groups[side].setdefault(a["comparator_label"], []).append(
            (f"{_in_sentence(a['outcome_label'])}{timed}", who, (effect, spread)))
        if _aside_labels(r):
            left_out.setdefault((side, a["comparator_label"]), []).append(
                (f"{_in_sentence(a['outcome_label'])}{timed}", _aside_labels(r)))
            left_out_results.setdefault((side, a["comparator_label"]), []).append(r)
    published = [*_external_overview(ctx, node, label, given), *_reviews_and_trials(ctx, node, label, given),
                 *[p for p in (_unanalysed_reviews(ctx, node), _statements_overview(ctx, node, given)) if p]]
    # Each comparator's studies as a point of its own under the head (one comparator: one
    # sentence): run into one sentence, lists of studies in brackets inside a list of
    # comparators read as one list inside another.
    without = []
    if unpooled:
        # A label that ends the point with its own full stop ("Smith et al.") takes no second.
        against = [_full_stop(f"{_in_sentence(comp, _names(ctx))}: {'; '.join(items)}") for comp, items in unpooled.items()]
        without.append(escape(f"Not pooled against {against[0]}") if len(against) == 1 else
                       _sub_points("Not pooled:", [escape(f"Against {x}") for x in against]))
    if aside:
        against = [f"{_in_sentence(comp, _names(ctx))} ({join_and(outcomes)}): {join_and(list(labels))}"
                   for (comp, labels), outcomes in aside.items()]
        if len(against) == 1:
            # The pointer before the colon, in the outcomes' bracket, as every other list of
            # trials set aside gives it ("Trial set aside (see @tbl-excluded): ..."): after
            # the list it read "; see" here and ", see" in the results.
            ((comp, labels), outcomes), = aside.items()
            without.append(_first_mention(
                escape(f"Trials set aside against {_in_sentence(comp, _names(ctx))} ({join_and(outcomes)}")
                + "; see @tbl-excluded): " + escape(_full_stop(join_and(list(labels))))
                + _then(_aside_direction(ctx, aside_results[(comp, labels)])), labels))
        else:
            # Which way each set's trials went follows its list: "no effect to show" alone
            # read as no evidence.
            # "So no effect size to show" only where it holds of every trial listed: Kong
            # 2020's and Thomas 2006's rows hold effects with intervals (_aside_effects).
            lead = ("Trials set aside" if _aside_any_effect(ctx, [r for rs in aside_results.values() for r in rs])
                    else "Trials set aside, so no effect size to show")
            without.append(_sub_points(f"{lead} (see @tbl-excluded):",
                                       [_first_mention(escape(_full_stop(f"Against {x}")) + _then(_aside_direction(ctx, rs)),
                                                       labels)
                                        for x, rs, (_, labels) in zip(against, aside_results.values(), aside,
                                                                      strict=True)]))
    if not any(groups.values()):
        # Studies not pooled have effects of their own, which the point on them names.
        text = (f"no analysis has {'a pooled or single-study estimate' if unpooled else 'an estimate'} against any "
                f"{'other ' if given else ''}comparator")
        if unchecked:
            text += (f", apart from {'a study' if len(unchecked) == 1 else 'studies'} known only from a secondary "
                     f"source ({'; '.join(_against(in_brackets(x), in_brackets(c)) for x, c in unchecked)})")
        return _points(escape(label), [escape(text) + ".", *without, *published])
    phrases = {"for": f"the confidence interval lies wholly on {_in_sentence(label, _names(ctx))}'s side",
               "against": "the confidence interval lies wholly on the comparator's side",
               "neither": "the confidence interval is compatible with no difference"}

    said = []
    for side in SIDES:
        if groups[side] and side.startswith("exact_"):
            # A sparse table whose interval and exact test disagree (exact_test_disagrees):
            # the result as any other, then a sentence that names the two as separate
            # methods. In one bracket, "95% CI 0.98 to 14.44, ..., p = 0.026" read as one.
            for comp, items in groups[side].items():
                for what, who, (effect, interval) in items:
                    p, toward = tests[(side, comp, what)]
                    methods = _exact_disagreement(side != "exact_neither", toward, p)
                    said.append(escape(f"against {_in_sentence(comp, _names(ctx))}: {what}, {effect} ({interval}; "
                                       f"{who}). {methods[0].upper()}{methods[1:]}.")
                                + _left_out_sentence(left_out.get((side, comp), []), named=False))
            continue
        if groups[side]:
            phrase = phrases[side]
            several = sum(len(items) for items in groups[side].values()) > 1
            if several:
                # Three results behind "the confidence interval" read as one interval.
                phrase = phrase.replace("the confidence interval", "each confidence interval")
                # What the intervals show, then a point for each comparator: run into one
                # sentence, the comparators' results in brackets with semicolons of their
                # own read as one list inside another.
                said.append(_sub_points(escape(f"{phrase}:"), [
                    escape(f"Against {_in_sentence(comp, _names(ctx))}: "
                           + "; ".join(f"{what}, {effect} ({interval}; {who})"
                                       for what, who, (effect, interval) in items) + ".")
                    + _left_out_sentence(left_out.get((side, comp), []), named=len(items) > 1)
                    + _then(_aside_direction(ctx, left_out_results.get((side, comp), [])))
                    for comp, items in groups[side].items()]))
                continue
            # Labels mid-sentence in lower case, as prose names them ("against usual care").
            # Commas only inside the comparator's brackets: semicolons part its results. The
            # outcome's own brackets as commas too (in_brackets): "(pain (vas): SMD ...)".
            comparators = [_in_sentence(comp, _names(ctx)) + " (" + "; ".join(
                f"{in_brackets(what)}: {effect}, {interval}, {who}" for what, who, (effect, interval) in items)
                + ")" for comp, items in groups[side].items()]
            # A label with a comma ("Sham, minimal needling or placebo TENS") would read as two.
            said.append(escape(f"against {join_list(comparators)}, {phrase}.")
                        + _left_out_sentence([(f"{what} against {_in_sentence(comp, _names(ctx))}", labels)
                                              for comp in groups[side] for what, labels in left_out.get((side, comp), [])],
                                             named=len(groups[side]) > 1)
                        + "".join(_then(_aside_direction(ctx, left_out_results.get((side, comp), [])))
                                  for comp in groups[side]))
    # Who knew their treatment qualifies the results just listed: said next to them, before
    # the study set apart, which it does not concern.
    unblinded = _unblinded_note(ctx, groups, label).strip()
    if unblinded:
        said.append(escape(unblinded))
    if unchecked:
        said.append(escape(f"Set apart as known only from a secondary source: {'; '.join(f'{x} against {c}' for x, c in unchecked)}."))
    return _points(escape(label), [*said, *without, *published])


def _unanalysed_reviews(ctx: ReportContext, node: str) -> str:
    """"Published meta-analyses against a comparator no analysis here has, not counted (see
    @tbl-external): Liu et al. (2018) against other treatments (mixed)." for the published
    results of ``node`` against a treatment that no analysis compares it with (a treatment
    no node includes, or a node with no analysis of the pair), each review once with its
    comparators; or "".

    The summary's list for a treatment gave the published reviews of its analyses and the
    sources that state a finding in words, but not a review of another comparator: of dry
    needling, the two reviews in the data (against a mix of other treatments) went
    unmentioned, while a review's sentence in words on it was named. A reader of the
    summary alone should know they exist, and that they are not counted.
    """
    analysed = {frozenset((r["analysis"]["intervention"], r["analysis"]["comparator"])) for r in ctx.analyses}
    against: dict[str, list[str]] = {}
    for doc in sorted(ctx.normalised, key=lambda d: d["study"]["label"]):
        if doc["study"].get("role") != "external":
            continue
        names = arm_names(doc["arms"])
        for c in doc["contrasts"]:
            if (c.get("node1") == node) == (c.get("node2") == node):
                continue  # neither arm the treatment's, or both (a comparison within it)
            other, other_node = (c["arm2"], c.get("node2")) if c.get("node1") == node else (c["arm1"], c.get("node1"))
            if other_node is not None and frozenset((node, other_node)) in analysed:
                continue
            comp = _in_sentence(names.get(other, other), _names(ctx))
            listed = against.setdefault(doc["study"]["label"], [])
            if comp not in listed:
                listed.append(comp)
    if not against:
        return ""
    reviews = [_against(label, join_list(comps, "or")) for label, comps in against.items()]
    return (escape("Published meta-analyses against a comparator no analysis here has, not counted")
            + " (see @tbl-external): " + escape(_full_stop("; ".join(reviews))))


def _left_out_of(ctx: ReportContext, results: Sequence[Mapping[str, Any]]) -> Markdown:
    """:func:`_left_out_sentence` after the summary's sentence or line of ``results``,
    each named by its analysis's name where there are several, then which way those
    trials' own reports went (:func:`_aside_direction`)."""
    names = analysis_names(ctx)
    return Markdown(_left_out_sentence([(names[r["analysis"]["id"]], _aside_labels(r)) for r in results
                                        if _aside_labels(r)], named=len(results) > 1)
                    + _then(_aside_direction(ctx, results)))


#: Up to this many trials set aside from a result, the summary names them; more, it counts them.
ASIDE_NAMED = 2


def _left_out_sentence(items: Sequence[tuple[str, Sequence[str]]], named: bool) -> Markdown:
    """" Set aside (see @tbl-excluded): 4 trials for pain intensity; Kong et al. (2020) for
    disability." after a comparator's results in the summary: the trials the analyses
    behind them could not use, counted, or named when there are at most
    :data:`ASIDE_NAMED`, by the outcome of each result (``items``, as (outcome, labels))
    when ``named`` (the point gives more than one result), or "" when none was set aside.

    A pooled result or one trial's result says nothing of the trials left out of it; the
    reasons are in the table of excluded trials, which the sentence points to."""
    if not items:
        return Markdown("")
    parts = [(f"{len(labels)} trials" if len(labels) > ASIDE_NAMED else join_list(list(labels)))
             + (f" for {what}" if named else "") for what, labels in items]
    return Markdown(" Set aside (see @tbl-excluded): " + escape(("; " if len(parts) > 1 else "").join(parts)) + ".")


def _effect_in_brief(ctx: ReportContext, a: Mapping[str, Any], estimate: float,
                     interval: Mapping[str, Any]) -> tuple[str, str]:
    """A result as the summary's list of comparators gives it: ("MD −2.17 points on the
    0 to 10 scale", "95% CI −2.98 to −1.36"), or ("RR 1.74", "95% CI 1.43 to 2.11").

    ``estimate`` and ``interval`` (``ci_lb``/``ci_ub``) are on the analysis scale, the
    analysis's intervention against its comparator; an analysis ``swapped`` by
    :func:`_treatment_overview` (the treatment as its comparator) is turned round, a
    difference negated and a ratio inverted (its log negated), so that the number reads
    as the treatment against the comparator the list names.
    """
    lb, ub = interval["ci_lb"], interval["ci_ub"]
    if a.get("swapped"):
        estimate, lb, ub = -estimate, -ub, -lb
    level = float(ctx.config["methods"].get("level", 95))
    return (f"{a['measure']} {f2(shown(a, estimate))}{md_points(ctx, a)}",
            f"{level:g}% CI {ci_text(shown(a, lb), shown(a, ub))}{mid_sentence(ctx, a, lb, ub, brief=True)}")


def _against(study: str, comparator: str) -> str:
    """"Trial C against sham"; "Liu & Park, 2021, against an unnamed control" after a label
    set for brackets (:func:`metareview.fmt.in_brackets`), whose year a comma opened and
    one closes."""
    return f"{study}{', ' if holds_comma(study) else ' '}against {comparator}"


def _points(label: str, points: Sequence[str]) -> str:
    """"Label: point." for one point; else the label and an indented list of the points, each
    starting with a capital (Markdown, nested in the summary's list of treatments)."""
    points = [p.strip() for p in points]
    if len(points) == 1:
        return f"{label}: {points[0]}"
    # A point's own nested list (:func:`_sub_points`) two spaces further in, under the
    # point's text rather than beside it: Markdown nests a list by its indentation.
    return f"{label}:\n" + "\n".join(f"  - {p[:1].upper()}{p[1:]}".replace("\n", "\n  ") for p in points)


def _node_roles(ctx: ReportContext) -> dict[str, set[str | None]]:
    """Each node's label and the roles (``treatments.csv``) of the treatments it groups
    (None for a treatment the table does not list)."""
    role = {t["treatment"]: t.get("role") for t in ctx.raw_tables.get("treatments", [])}
    return {v["label"]: {role.get(t) for t in v["treatments"]} for v in ctx.config.get("nodes", {}).values()}


def _unblinded_note(ctx: ReportContext, groups: Mapping[str, Mapping[str, Any]], label: str) -> str:
    """" Against No treatment ..., participants knew which treatment they had: ..." when
    results on a treatment's side come from comparisons with controls (no treatment,
    waiting list, usual care: ``role`` control), with what the sham comparisons show when
    none of them shows a difference; or "".

    Against a control, participants and assessors of a self-reported outcome know the
    treatment: such a result carries expectation and attention along with the treatment
    itself, and only a sham comparison separates them (Cochrane Handbook 8.4). A reader of
    a list that sets the two side by side needs the difference said. The treatment is
    named by ``label``, whatever the review compares.
    """
    roles = _node_roles(ctx)
    controls = [c for c in groups["for"] if roles.get(c) == {"control"}]
    if not controls:
        return ""
    shams = [c for c in (*groups["neither"], *groups["exact_neither"]) if roles.get(c) == {"sham"}]
    sham_for = any(roles.get(c) == {"sham"} for c in (*groups["for"], *groups["exact_for"]))
    return (f" Against {_with_each([_in_sentence(c, _names(ctx)) for c in controls], 'against')}, participants knew which treatment they had: those results carry "
            f"expectation and attention along with {_in_sentence(label, _names(ctx))} itself, which only a sham comparison separates"
            + (f"; against {_with_each([_in_sentence(c, _names(ctx)) for c in shams], 'against')} no difference is shown." if shams and not sham_for
               else "."))


def unclear_statement(statement: Mapping[str, Any]) -> bool:
    """Whether a statement names a comparator but not how the groups compared
    (``direction`` = ``unclear``): "the dry needling group improved significantly"
    (Martín-Corrales 2020) may be a change within that group, which says nothing of it
    against the other."""
    return statement.get("direction") == "unclear" and bool(statement.get("arm2"))


#: Said after the name of a source whose statements on a comparison all leave open how
#: the groups compared (:func:`unclear_statement`): listed among the statements "on these
#: comparisons" without it, such a source read as a between-group finding.
UNCLEAR_STATED = ", whose statement does not say how the groups compared"


#: Said after such a statement in the narrative table, and explained in its caption.
UNCLEAR_CELL = "How the groups compared is not stated."


def _stating(ctx: ReportContext) -> dict[tuple[frozenset[Any], str], set[tuple[str, bool, bool]]]:
    """Who states what: by pair of nodes and outcome, each source's label, whether the
    statement is of an add-on design (:func:`add_on_statement`) and whether it leaves
    open how the groups compared (:func:`unclear_statement`). Read once, not once per
    analysis."""
    stating: dict[tuple[frozenset[Any], str], set[tuple[str, bool, bool]]] = {}
    for doc in ctx.normalised:
        for x in doc["statements"]:
            stating.setdefault((frozenset((x.get("node1"), x.get("node2"))), x["outcome"]), set()).add(
                (doc["study"]["label"], add_on_statement(doc, x), unclear_statement(x)))
    return stating


def _stated_names(labels: Iterable[tuple[str, bool]]) -> list[str]:
    """The sources of statements on one comparison, in order, from (label, unclear)
    pairs: a source each of whose statements leaves open how the groups compared is named
    with :data:`UNCLEAR_STATED`, one with any statement that says it by its name alone.

    >>> _stated_names([("B (2020)", True), ("A (2018)", False), ("A (2018)", True)])
    ['A (2018)', 'B (2020), whose statement does not say how the groups compared']
    """
    unclear: dict[str, bool] = {}
    for label, open_ in labels:
        unclear[label] = unclear.get(label, True) and open_
    return [label + (UNCLEAR_STATED if open_ else "") for label, open_ in sorted(unclear.items())]


def _statements_overview(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]] = ()) -> str:
    """"Statements in words on these comparisons, not counted (see @tbl-narrative):" and,
    as a nested list (:func:`_sub_points`), a point for each comparator: "Against Sham:
    Kerr et al. (2003) and Lee et al. (2023)."; for the statements comparing ``node`` with
    a comparator of its analyses on their outcome, or "".

    A tally of published reviews whose intervals lie one way says nothing of the sources
    that report, in words, no difference; a reader weighing the tally needs to know they
    exist, though words are not counted.
    """
    stating = _stating(ctx)
    by_comparator: dict[str, set[tuple[str, bool]]] = {}
    for r in ctx.analyses:
        a = r["analysis"]
        other = {a["intervention"]: a["comparator"], a["comparator"]: a["intervention"]}.get(node)
        if other is None or (other, a["outcome"], a["window"]) in given:
            continue
        designs = _config_entry(ctx, a["id"]).get("designs", "any")
        labels = {(label, unclear) for label, add_on, unclear in stating.get((frozenset((node, other)), a["outcome"]), ())
                  if in_designs(add_on, designs)}
        if labels:
            comp = a["comparator_label"] if other == a["comparator"] else a["intervention_label"]
            by_comparator.setdefault(comp, set()).update(labels)
    if not by_comparator:
        return ""
    # A point for each comparator, its sources an ordinary list ("A and B"): run into one
    # sentence, the comparators' lists in brackets and separated by semicolons, the sources
    # with commas of their own ("Kerr et al. (2003), authors unverified") were hard to part.
    said = []
    for comp, stated in by_comparator.items():
        listed = escape(f"Against {_in_sentence(comp, _names(ctx))}: {join_list(_stated_names(stated))}")
        said.append(listed if listed.endswith(".") else f"{listed}.")
    # Not "sources that compare them only in words": a trial may state a finding in words
    # beside the numbers its analysis uses (Cherkin 2009).
    return _sub_points("Statements in words on these comparisons, not counted (see @tbl-narrative):", said)


def _statements_on_analyses(ctx: ReportContext) -> str:
    """"Statements in words on the comparisons analysed, not counted in any estimate (see
    @tbl-narrative):" and a point for each comparison and outcome of the analyses that
    statements speak of: "Acupuncture vs Usual care (pain intensity): Guideline G (2020).";
    or "" when no statement compares the two treatments of an analysis on its outcome.

    The summary of a review without indirect comparisons, as the overview of each
    treatment does for a review with them (:func:`_statements_overview`): a reader of the
    summary alone learns that sources state a finding in words, though words are not
    counted. A statement counts for an analysis as in its section (:func:`_elsewhere`): on
    the analysis's two treatments and outcome, at any timepoint, in the analysis's
    ``designs``. Two analyses of one comparison and outcome (two windows, say) share a
    point: statements are not placed in windows. Above :func:`detail_limit` analyses, one
    sentence counts the comparisons instead of a list as long as the results table.
    """
    stating = _stating(ctx)
    by_comparison: dict[tuple[str, str, str], tuple[str, set[tuple[str, bool]]]] = {}
    for r in ctx.analyses:
        a = r["analysis"]
        designs = _config_entry(ctx, a["id"]).get("designs", "any")
        labels = {(label, unclear) for label, add_on, unclear in stating.get((frozenset((a["intervention"], a["comparator"])),
                                                                             a["outcome"]), ())
                  if in_designs(add_on, designs)}
        if labels:
            # The outcome's own brackets as commas (in_brackets): "(pain (vas))" nested them.
            name = f"{a['intervention_label']} vs {a['comparator_label']} ({in_brackets(_in_sentence(a['outcome_label']))})"
            by_comparison.setdefault((a["intervention"], a["comparator"], a["outcome"]), (name, set()))[1].update(labels)
    if not by_comparison:
        return ""
    if not in_detail(ctx):
        n = len(by_comparison)
        return (f"Statements in words speak of {n} of the comparisons analysed (on their outcomes), not counted in "
                "any estimate (see @tbl-narrative).")
    points = [f"{escape(name)}: {join_list([escape(x) for x in _stated_names(labels)], markdown=True)}"
              for name, labels in by_comparison.values()]
    # A label that ends a point with its own full stop ("... et al.") takes no second one.
    return ("Statements in words on the comparisons analysed, not counted in any estimate (see @tbl-narrative):\n\n"
            + "\n".join(f"- {p}" if p.endswith(".") else f"- {p}." for p in points))


def _question_analyses(ctx: ReportContext, node: str) -> set[tuple[str, str, str]]:
    """(comparator, outcome, window) of the analyses of ``node`` against the other treatment
    of an indirect comparison, on its outcome and window: those the bottom line gives."""
    given = set()
    for x in ctx.indirect:
        pair = (x["treatment_a"], x["treatment_b"])
        if node in pair:
            given.add((pair[1] if node == pair[0] else pair[0], x["outcome"], x["window"]))
    return given


def _review_tallies(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]] = ()) -> tuple[
        dict[str, dict[str, list[str]]], dict[str, list[Mapping[str, Any]]], dict[str, set[str]],
        list[Mapping[str, Any]], dict[str, dict[str, list[str]]], dict[str, dict[str, list[Mapping[str, Any]]]]]:
    """What :func:`_external_overview` tallies for ``node``, by comparator label: each
    review's sides (one per result with an interval), the published results counted, the
    outcomes they are of, the results set apart (:func:`_split_secondary`), the reviews
    counted once with another that prints the same result (:func:`_alike_reviews`: the
    review kept, and those counted with it) and the reviews whose own statements find no
    difference against a comparator of the tally (:func:`_stated_no_difference`). One walk
    for the summary's tallies and their audit rows (:func:`_review_tally_audit_rows`).
    Each result counted carries ``tally_outcome``, its analysis's outcome."""
    # Each result judged by its own analysis's direction (a responder ratio favours the
    # intervention above 1, a pain difference below 0), then each review as a whole.
    results: dict[str, dict[str, list[str]]] = {}
    counted: dict[str, list[Mapping[str, Any]]] = {}
    outcomes: dict[str, set[str]] = {}
    comparators: dict[str, set[str]] = {}
    apart: list[Mapping[str, Any]] = []
    for r in ctx.analyses:
        a = r["analysis"]
        if a["intervention"] != node or (a["comparator"], a["outcome"], a["window"]) in given:
            continue
        reviews = results.setdefault(a["comparator_label"], {})
        identified, secondary = _split_secondary(_external_in_window(r))
        for sid, sides in _result_sides(a, identified).items():
            reviews.setdefault(sid, []).extend(sides)
        counted.setdefault(a["comparator_label"], []).extend({**e, "tally_outcome": a["outcome"]} for e in identified)
        comparators.setdefault(a["comparator_label"], set()).add(a["comparator"])
        if identified:
            outcomes.setdefault(a["comparator_label"], set()).add(a["outcome"])
        apart.extend(secondary)
    alike: dict[str, dict[str, list[str]]] = {}
    stated: dict[str, dict[str, list[Mapping[str, Any]]]] = {}
    for comp, reviews in results.items():
        alike[comp], stated[comp] = _count_once(ctx, node, comparators[comp], outcomes.get(comp, set()), reviews,
                                                counted[comp])
    return results, counted, outcomes, apart, alike, stated


def _count_once(ctx: ReportContext, node: str, comparators: Collection[str], outcomes: Collection[str],
                reviews: dict[str, list[str]], entries: Sequence[Mapping[str, Any]]
                ) -> tuple[dict[str, list[str]], dict[str, list[Mapping[str, Any]]]]:
    """A tally's reviews' sides (``reviews``, by review, changed in place) as independent
    findings: the reviews that print the same result counted as one, the first keeping
    the sides of all (:func:`_alike_reviews`), and a review whose own statements find no
    difference against a comparator of the tally given a side of no difference
    (:func:`_stated_no_difference`). Returns the two, for the words that say so."""
    alike = _alike_reviews(ctx, reviews, entries)
    for kept, others in alike.items():
        for other in others:
            reviews[kept].extend(reviews.pop(other))
    stated = _stated_no_difference(ctx, node, comparators, outcomes, [sid for sid, sides in reviews.items() if sides])
    for sid in stated:
        reviews[sid].append("neither")
    return alike, stated


def _analysis_verdicts(ctx: ReportContext, a: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]
                       ) -> tuple[dict[str, str], dict[str, list[str]], dict[str, list[Mapping[str, Any]]]]:
    """Each review's verdict (:func:`_review_verdict`) on an analysis's published results,
    counted as the summary's tallies count them (:func:`_count_once`), with the reviews
    counted as one and those whose statements find no difference."""
    reviews = _result_sides(a, entries)
    alike, stated = _count_once(ctx, a["intervention"], {a["comparator"]}, {a["outcome"]}, reviews,
                                [{**e, "tally_outcome": a["outcome"]} for e in entries])
    return {sid: _review_verdict(sides) for sid, sides in reviews.items()}, alike, stated


def _alike_reviews(ctx: ReportContext, reviews: Mapping[str, Sequence[str]],
                   entries: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """The reviews of one tally that print a result with the same estimate and bounds as
    another review of the tally (:func:`metareview.checks.repeated_results`), grouped: the
    first review of each group in the tally's order, with the others counted with it.

    Two reviews that print one SMD and interval alike (Yuan 2015 and a 2020 review: SMD
    −0.47, −0.77 to −0.17) give one finding, whether one repeats the other or both pool
    the same trials: counted as two, the tally would read as two independent confirmations
    (Pollock et al., Cochrane Handbook v6, chapter V, on overlap between reviews in an
    overview). Linked reviews are grouped transitively; their results with an interval
    are judged together.
    """
    from metareview.checks import alike_groups

    # Each review's results with an interval, in the tally's order.
    refs: dict[str, list[str]] = {sid: [] for sid in reviews}
    for e in entries:
        if (e["study_id"] in refs and e["measure"] != "p_only" and e.get("ci_lb") is not None
                and e.get("ci_ub") is not None and e.get("ref")):
            refs[e["study_id"]].append(e["ref"])
    return alike_groups(ctx.normalised, refs)


def _stated_no_difference(ctx: ReportContext, node: str, comparators: Collection[str], outcomes: Collection[str],
                          reviews: Collection[str]) -> dict[str, list[Mapping[str, Any]]]:
    """The statements (statements.csv) of each of ``reviews`` that find no difference
    between ``node`` and one of ``comparators`` on one of ``outcomes``, or one favouring
    the comparator: {review: its statements}, for those that make one
    (:func:`metareview.claims.statements_not_for`, which the claims' counts read too)."""
    from metareview.claims import statements_not_for

    docs = _study_docs(ctx)
    out: dict[str, list[Mapping[str, Any]]] = {}
    for sid in reviews:
        found = statements_not_for(docs.get(sid) or {}, node, lambda other: other in comparators, outcomes)
        if found:
            out[sid] = found
    return out


def _stated_note(ctx: ReportContext, node: str, stated: Mapping[str, Sequence[Mapping[str, Any]]], side: str,
                 bracketed: bool = True) -> str:
    """"Lee et al., 2023, NMA states in words no difference against sham acupuncture at the
    same (verum) points as acupuncture (SATV), so is not counted on acupuncture's side" for
    the reviews of :func:`_stated_no_difference`, or ""; the comparator as the review's arm
    describes it (both shams are one node); ``side`` as :func:`_side_of` gives it."""
    docs = _study_docs(ctx)
    said = []
    for sid, statements in stated.items():
        doc = docs[sid]
        arms = {arm["arm_id"]: arm for arm in doc["arms"]}
        label = in_brackets(doc["study"]["label"]) if bracketed else doc["study"]["label"]
        whats = []
        for x in statements:
            arm = arms.get(x["arm2"] if x.get("node1") == node else x["arm1"]) or {}
            against = _in_sentence(arm.get("description") or arm.get("treatment_label") or "", _names(ctx))
            what = "no difference" if x.get("direction") == "no_difference" else "a difference on the comparator's side"
            whats.append(f"{what} against {against}")
        # "Lee et al. (2023), NMA, states": the label's own comma closed, as a subject.
        said.append(f"{label}{',' if not bracketed and holds_comma(label) else ''} states in words "
                    f"{join_and(list(dict.fromkeys(whats)))}")
    if not said:
        return ""
    return escape(f"{join_and(said)}, so {'is' if len(said) == 1 else 'are'} not counted on") + " " + side


def _alike_note(ctx: ReportContext, alike: Mapping[str, Sequence[str]], bracketed: bool = True) -> str:
    """"the same result printed by Acupunct Med 2020 meta-analysis, authors unverified and
    by Yuan et al., 2015, counted as one review" for each group of :func:`_alike_reviews`,
    or ""; not ``bracketed``, "Acupunct Med 2020 meta-analysis (authors unverified) and Yuan
    et al. (2015) print the same result, counted here as one review". The preposition
    before each label (:func:`metareview.fmt.with_each`): labels holding commas, run
    together with "and", read as three reviews."""
    docs = _study_docs(ctx)

    def label(sid: str) -> str:
        return in_brackets(docs[sid]["study"]["label"]) if bracketed else docs[sid]["study"]["label"]

    # Inside brackets, a sentence's own words: "A, authors unverified and Yuan et al., 2015
    # print" could not be told from the notes the semicolons part.
    said = [f"the same result printed by {_with_each([label(kept), *map(label, others)], 'by')}, counted as one review"
            if bracketed else f"{join_and([label(kept), *map(label, others)])} print the same result, counted here as "
            "one review" for kept, others in alike.items()]
    return escape("; ".join(said))


def _external_overview(ctx: ReportContext, node: str, label: str,
                       given: Collection[tuple[str, str, str]] = ()) -> list[str]:
    """The published meta-analyses of one treatment, comparator by comparator: in how many
    reviews every result with an interval lies wholly on its side (the trials here may be
    few where they are many). Each review counts once per comparator, whatever the
    number of its results, outcomes and windows, and reviews printing one result alike
    count as one finding, a review whose own words find no difference not on one side
    (:func:`_count_once`). Markdown points: the tallies, then the reviews not counted (if
    any); none without a review to tally."""
    results, counted, outcomes, apart, alike, stated = _review_tallies(ctx, node, given)
    side = _side_of(_in_sentence(label, _names(ctx)))
    said = []
    for comp, reviews in results.items():
        with_ci = [v for v in map(_review_verdict, reviews.values()) if v != "no interval"]
        if with_ci:
            # How large, beside which side: a tally of sides alone is vote counting.
            tallied = {sid for sid, sides in reviews.items() if _review_verdict(sides) != "no interval"}
            unique = _tally_results(counted[comp], tallied, alike[comp])
            # Printed alike by two reviews counted as one: no longer a caveat of the tally.
            shared = _alike_refs(ctx, counted[comp], alike[comp])
            sizes = _sizes_by_outcome(ctx, unique, outcomes.get(comp, set()))
            # The caveats in sentences after the tally, the sizes alone in its brackets: run
            # in there with them, "no level stated for ...; a result printed alike by another
            # study, counted as the review's own, for A and for B: see ..." could not be read.
            caveats = "".join(f" {_full_stop(c[:1].upper() + c[1:])}" for c in [
                _alike_note(ctx, alike[comp], bracketed=False),
                _stated_note(ctx, node, stated[comp], side, bracketed=False),
                *_review_caveats(unique, repeated_refs(ctx) - shared, bracketed=False)] if c)
            said.append((escape(_in_sentence(comp, _names(ctx))), with_ci.count("for"), len(with_ci),
                         f" ({sizes})" if sizes else "", caveats))
    if not said:
        return []
    head = ("[Published meta-analyses](#sec-external) (shown apart, not pooled with these trials; reviews share "
            "trials and differ in scope and population)")
    if len(said) > 1:
        # A point for each comparator: run into one sentence, each comparator's sizes and
        # ratings in brackets with semicolons of their own, the tallies could not be told
        # apart from the notes between them.
        # "Reviews with confidence intervals that have every interval ..." left a reader to
        # work out that "6 of 6" counts the second among the first.
        tallies = _sub_points(f"{head}: of the reviews with confidence intervals, those with every interval wholly "
                              f"on {side}:",
                              [f"Against {comp}: {k} of {m}{size}.{caveats}" for comp, k, m, size, caveats in said])
        return [tallies, *([_sub_points("Not counted among these reviews:", _secondary_reviews(apart))]
                           if apart else [])]
    (first, n_for, n, size, caveats), = said
    if n == 1:
        counts = (f"against {first}, the one review with confidence intervals {'has' if n_for else 'does not have'} "
                  f"every interval wholly on {side}{size}")
    else:
        counts = (f"against {first}, {n_for} of {n} reviews with confidence intervals "
                  f"{'has' if n_for == 1 else 'have'} every interval wholly on {side}{size}")
    return [f"{head}: {counts}.{caveats}",
            # A point of its own: after the tallies, a list of nine reviews ran on for lines.
            *([_sub_points("Not counted among these reviews:", _secondary_reviews(apart))] if apart else [])]


def _tally_results(entries: Sequence[Mapping[str, Any]], tallied: Collection[str],
                   alike: Mapping[str, Sequence[str]]) -> list[Mapping[str, Any]]:
    """The results of a tally's reviews whose sizes it prints: each once (one result shown
    by two analyses of the comparator is one result), of the reviews ``tallied`` or
    counted with one of them (:func:`_alike_reviews`), without the results a review
    counted with another prints alike: the one finding, given once."""
    kept = {other: sid for sid, others in alike.items() for other in others}
    unique = {(e["study_id"], e.get("ref")): e for e in entries
              if e["study_id"] in tallied or kept.get(e["study_id"]) in tallied}
    # A result of a review counted with another, with the estimate and bounds of one of
    # that review's: the same finding twice.
    def key(e: Mapping[str, Any]) -> tuple[Any, ...]:
        return (e["measure"], e.get("tally_outcome"), e.get("estimate"), e.get("ci_lb"), e.get("ci_ub"))

    own = {(kept.get(e["study_id"], e["study_id"]), key(e)) for e in unique.values() if e["study_id"] not in kept}
    return [e for e in unique.values() if e["study_id"] not in kept or (kept[e["study_id"]], key(e)) not in own]


def _alike_refs(ctx: ReportContext, entries: Sequence[Mapping[str, Any]],
                alike: Mapping[str, Sequence[str]]) -> frozenset[str]:
    """The raw rows (``ref``) of the results by which the reviews of a tally counted as one
    (:func:`_alike_reviews`) print the same result: a caveat no longer, the tally counting
    them once."""
    grouped = {x for sid, others in alike.items() for x in (sid, *others)}
    repeated = repeated_refs(ctx)
    return frozenset(e["ref"] for e in entries if e["study_id"] in grouped and e.get("ref") in repeated)


def _sizes_by_outcome(ctx: ReportContext, entries: Sequence[Mapping[str, Any]], outcomes: Collection[str]) -> str:
    """The sizes of a tally's results (:func:`_external_sizes`), by outcome where it has
    more than one: "on pain intensity, the SMDs of 3 of the 5 range from −0.54 to −0.33; on
    back-specific disability, one of the 5 gives an SMD of −0.13", the 5 being the reviews
    of the whole tally, named as such (after "4 of 5", "them" read as the 4). One range
    across pain and disability (−0.54 to −0.13) gave a disability result as the low end of
    a range a reader takes for pain's."""
    reviews = len({e["study_id"] for e in entries})
    if len(outcomes) < 2:
        return escape("; ".join(size["said"] for size in _size_ranges(entries, reviews=reviews)))
    labels = {r["analysis"]["outcome"]: r["analysis"]["outcome_label"] for r in ctx.analyses}
    said = []
    for outcome in sorted(outcomes, key=lambda o: list(labels).index(o) if o in labels else len(labels)):
        sizes = "; ".join(size["said"] for size in _size_ranges(
            [e for e in entries if e.get("tally_outcome") == outcome], reviews=reviews))
        if sizes:
            said.append(f"on {_in_sentence(labels.get(outcome, outcome))}, {sizes}")
    return escape("; ".join(said))


def _trials_side(ctx: ReportContext, r: Mapping[str, Any]) -> str | None:
    """Where an analysis's own result lies, as the summary's list of comparators places it:
    ``for`` (its interval wholly on the intervention's side), ``against`` or ``neither``;
    a sparse table whose Wald interval and exact test disagree goes by the test. None
    without a result the list gives (no estimate, or one trial known only from a
    secondary source, which the list sets apart)."""
    if r["status"] == "pooled":
        interval, estimate = r["pooled"], r["pooled"]["estimate"]
    elif r["status"] == "single_study" and r["studies"][0].get("source_level") != "secondary":
        interval = r["studies"][0]
        estimate = interval["yi"]
    else:
        return None
    level = float(ctx.config["methods"].get("level", 95))
    exact = r["status"] == "single_study" and exact_test_disagrees(interval, level)
    shows = float(interval["exact_p"]) < 1 - level / 100 if exact else excludes_no_effect(interval)
    return "neither" if not shows else "for" if favours_intervention(r["analysis"], estimate) else "against"


def _trials_participants(r: Mapping[str, Any]) -> float | None:
    """The participants behind an analysis's own result, as the summary's comparison with
    published reviews prints them ("the 2 trials pooled here (367 participants)"): every arm
    size of its studies added, or None where a study lacks one (a part would understate)."""
    if not all(s.get("n1") is not None and s.get("n2") is not None for s in r["studies"]):
        return None
    return sum(float(s["n1"]) + float(s["n2"]) for s in r["studies"])


def _trials_held(r: Mapping[str, Any]) -> int:
    """The trials of an analysis's comparison these data hold, those used and those set
    aside, each once: what a review's pooled trials are set against ("more than the 5
    trials of this comparison in these data")."""
    return len({s.get("study_id") or s["label"] for s in [*r["studies"], *(r.get("excluded") or [])]})


def _held_text(held: int, used: int) -> str:
    """"more than the 5 trials of this comparison in these data, of which only one could be
    used here": the trials of an analysis's comparison these data hold (:func:`_trials_held`),
    as the summary sets a review's pooled trials against them, with those ``used`` where
    fewer.

    Just after "the one trial used here", "the 5 trials of this comparison" read as five
    trials behind the result; they are the candidates, most of them set aside.
    """
    text = ("more than the one trial of this comparison in these data" if held == 1
            else f"more than the {held} trials of this comparison in these data")
    if used < held:
        text += f", of which only {'one' if used == 1 else used} could be used here"
    return text


def _overview_nodes(ctx: ReportContext) -> list[str]:
    """The treatments the summary gives an overview of, comparator by comparator
    (:func:`_treatment_overview`), where each analysis has a section of its own: each of
    an indirect comparison's two."""
    return list(dict.fromkeys(n for x in ctx.indirect for n in (x["treatment_a"], x["treatment_b"])))


def summary_counts(ctx: ReportContext) -> dict[str, dict[str, str]]:
    """The counts of trials and participants the summary's overview of each treatment
    prints for an analysis, by analysis id, as the text words them: ``participants`` ("the 2
    trials pooled here (367 participants)"), ``held`` ("more than the 5 trials of this
    comparison in these data"), ``aside`` ("4 trials", after "Set aside (see Table 4):") and,
    for each side that published reviews differing from its trials take, ``differ_for``,
    ``differ_against`` or ``differ_neither`` ("6 reviews find a difference on acupuncture's
    side").

    The same walk as the text's (:func:`_treatment_overview`, :func:`_reviews_and_trials`),
    so that the audit trail gives a row to each count the summary prints and to no other.
    Whatever the layout: the summary gives the overview only where each analysis has a
    section of its own, but the audit table is the same in either (as a forest plot's
    totals are traced where the plot is not printed).
    """
    out: dict[str, dict[str, str]] = {}
    for node in _overview_nodes(ctx):
        given = _question_analyses(ctx, node)
        for r in ctx.analyses:
            a = r["analysis"]
            other = {a["intervention"]: "comparator", a["comparator"]: "intervention"}.get(node)
            if other is None or (a[other], a["outcome"], a["window"]) in given or _trials_side(ctx, r) is None:
                continue
            labels = _aside_labels(r)
            if len(labels) > ASIDE_NAMED:
                # The count as the reader finds it: the cross-reference before it is a
                # marker ("@tbl-excluded") until rendering gives it its number, and the
                # audit trail, which quotes this, printed the marker.
                out.setdefault(a["id"], {})["aside"] = f"{len(labels)} trials"
        name = _in_sentence(_node_label(ctx, node), _names(ctx))
        own_side = f"the side of {name}" if name.rstrip().endswith(")") else f"{name}\u2019s side"
        for r, _, analysable, verdicts, differ in _reviews_differing(ctx, node, given):
            k = r["pooled"]["k"] if r["status"] == "pooled" else 1
            total = _trials_participants(r)
            said = out.setdefault(r["analysis"]["id"], {})
            for verdict, phrase in _differing_phrases(verdicts, differ, own_side):
                said[f"differ_{verdict}"] = phrase
            if total is not None:
                said["participants"] = (f"the one trial used here ({round(total):,} participants)" if k == 1
                                        else f"the {k} trials pooled here ({round(total):,} participants)")
            pooled_k = [int(e["k_studies"]) for e in analysable if e["study_id"] in differ and e.get("k_studies")]
            held = _trials_held(r)
            if pooled_k and max(pooled_k) > held:
                said["held"] = _held_text(held, k)
    return out


def _analysable_reviews(r: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The published results an analysis's own result is set against in the summary: those
    the tally counts (:func:`_split_secondary`), in its window, on a measure of its kind (a
    difference for MD and SMD, a ratio or risk difference for RR, OR and RD)."""
    binary = r["analysis"]["measure"] in ("RR", "OR", "RD")
    identified, _ = _split_secondary(_external_in_window(r))
    return [e for e in identified if (e["measure"] in ("RR", "OR", "RD")) == binary]


def _reviews_differing(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]] = ()
                       ) -> Iterator[tuple[Mapping[str, Any], str, list[Mapping[str, Any]], dict[str, str], dict[str, str]]]:
    """The analyses of ``node`` on which published reviews and this review's trials differ,
    as :func:`_reviews_and_trials` gives them a point: (analysis result, the side of its own
    result, the reviews' results it is set against, each review's side, the reviews on
    another side than its own). One walk for the text and the audit rows of its counts."""
    for r in ctx.analyses:
        a = r["analysis"]
        if a["intervention"] != node or (a["comparator"], a["outcome"], a["window"]) in given:
            continue
        ours = _trials_side(ctx, r)
        if ours is None:
            continue
        analysable = _analysable_reviews(r)
        # Counted as the tallies count them: reviews printing one result alike are one.
        verdicts = {sid: v for sid, v in _analysis_verdicts(ctx, a, analysable)[0].items() if v != "no interval"}
        differ = {sid: v for sid, v in verdicts.items() if v != ours}
        if differ:
            yield r, ours, analysable, verdicts, differ


def _differing_phrases(verdicts: Mapping[str, str], differ: Mapping[str, str], own_side: str) -> list[tuple[str, str]]:
    """(verdict, phrase) for each side the reviews that differ from the trials here take, as
    :func:`_reviews_and_trials` counts them: "6 reviews find a difference on acupuncture's
    side", "1 of the 2 reviews finds no difference" (``verdicts``: each review's side,
    ``differ``: those of another side than the trials'; ``own_side``: "acupuncture's side")."""
    sides = {"for": f"a difference on {own_side}", "against": "a difference on the comparator\u2019s side",
             "neither": "no difference"}
    out = []
    for verdict in ("for", "against", "neither"):
        n = sum(v == verdict for v in differ.values())
        if n:
            of = f" of the {len(verdicts)}" if len(differ) < len(verdicts) else ""
            # "1 review finds", "1 of the 2 reviews finds", "2 reviews find".
            phrase = (f"{n}{of} {'review' if n == 1 and not of else 'reviews'} "
                      f"{'finds' if n == 1 else 'find'} {sides[verdict]}")
            out.append((verdict, phrase))
    return out


def _reviews_and_trials(ctx: ReportContext, node: str, label: str,
                        given: Collection[tuple[str, str, str]] = ()) -> list[str]:
    """A point for each comparator of ``node`` on which published meta-analyses and this
    review's trials differ: "Against sham, published reviews find a difference that the
    trials used here do not show, though an interval that includes no difference is no
    evidence of none. On pain, 6 reviews find a difference on acupuncture's side and the
    one trial used here has an interval (MD −0.51, 95% CI −1.39 to 0.37 ...) that includes
    no difference; ...", with the reasons the data give; none where they agree or cannot
    be compared. "Published reviews and the trials here differ" only where the trials find
    a difference or their interval misses a review's: an imprecise trial whose interval
    does not exclude the reviews' results does not contradict them.

    Like is compared with like: an analysis's own result (pooled, or its one trial's) with
    the reviews it shows apart on the same two treatments, outcome and window, counted as
    the tally counts them (:func:`_split_secondary`), whose results have a confidence
    interval on a measure of the analysis's kind (a difference for MD and SMD, a ratio or
    risk difference for RR, OR and RD). Each side is read as the tally of reviews
    (:func:`_review_verdict`) and the list of comparators read it: an interval wholly on
    one side of no difference, or not.

    Reasons given, each only where the data hold it: the number of trials (and
    participants) behind this review's result; the trials a review says it pooled
    (``k_studies``), and whether they outnumber the trials of the comparison in these data
    (those used and those set aside), so that the review pooled trials this one does not
    hold; whether the intervals overlap, for the results on the analysis's measure and
    scale (``comparable``: an SMD's interval cannot be set beside an MD's), and whether
    an interval compatible with no difference holds a review's whole, too wide to tell a
    difference of that size from none. An interval that includes no difference is no
    evidence of none (Altman & Bland 1995); why trials and reviews differ beyond this (the
    trials' quality, the shams used) is not in the data, and is not guessed at.
    """
    by_comparator: dict[str, list[str]] = {}
    name = _in_sentence(label, _names(ctx))
    # Each outcome named with its window, and its measure, only where the treatment's
    # analyses have more than one, as the list of comparators names its results.
    mine = [r["analysis"] for r in ctx.analyses if r["analysis"]["intervention"] == node]
    windows = {a["window"] for a in mine}
    measures = Counter((a["comparator"], a["outcome"], a["window"]) for a in mine)
    clash: set[str] = set()
    for r, ours, analysable, verdicts, differ in _reviews_differing(ctx, node, given):
        a = r["analysis"]
        # Plain text, escaped once with the rest (_side_of gives Markdown).
        own_side = f"the side of {name}" if name.rstrip().endswith(")") else f"{name}\u2019s side"
        reviews = [phrase for _, phrase in _differing_phrases(verdicts, differ, own_side)]
        k = r["pooled"]["k"] if r["status"] == "pooled" else 1
        total = _trials_participants(r)
        people = f" ({round(total):,} participants)" if total is not None else ""
        # "Used": the trials set aside are counted against a review's below.
        trials = (f"the one trial used here{people} {'does not' if ours == 'neither' else 'finds one'}" if k == 1
                  else f"the {k} trials pooled here{people} {'do not' if ours == 'neither' else 'find one'}")
        if ours == "neither":
            # "Does not" read as a finding against the reviews: an interval that includes
            # no difference is no evidence of none (Altman & Bland 1995). Its bounds
            # given, a reader sees how wide it is.
            ci = r["pooled"] if r["status"] == "pooled" else r["studies"][0]
            est = ci["estimate"] if r["status"] == "pooled" else ci["yi"]
            scale = md_scale(ctx, a) if a["measure"] == "MD" else ""
            numbers = (f"{a['measure']} {f2(shown(a, est))}, {_level_text({'ci_level': ctx.config['methods'].get('level', 95)})}"
                       f"CI {ci_text(shown(a, ci['ci_lb']), shown(a, ci['ci_ub']))}"
                       + (f" points on the {scale} scale" if scale else ""))
            trials = (f"the one trial used here{people} has an interval ({numbers}) that includes no difference"
                      if k == 1 else
                      f"the {k} trials pooled here{people} have an interval ({numbers}) that includes no difference")
        if ours == "against":
            trials += " on the comparator\u2019s side"
        elif ours == "for" and "against" in differ.values():
            trials += f" on {own_side}"
        what = _in_sentence(a["outcome_label"])
        if len(windows) > 1:
            what += f", {_in_sentence(a['window_label'].split('(')[0].strip())}"
        if measures[(a["comparator"], a["outcome"], a["window"])] > 1:
            what += f", {a['measure']}"
        said = f"On {what}, {join_and(reviews)} and {trials}"
        reasons = []
        # How many trials the reviews say they pooled, against those these data hold.
        entries = [e for e in analysable if e["study_id"] in differ]
        pooled_k = {e["study_id"]: int(e["k_studies"]) for e in entries if e.get("k_studies")}
        if pooled_k:
            most = max(pooled_k.values())
            held = _trials_held(r)
            first = next(e for e in entries if e["study_id"] in pooled_k)
            who, people = ((first["label"], f" ({first['n_participants']:,} participants)"
                            if first.get("n_participants") else "") if len(pooled_k) == 1 else ("the reviews", ""))
            reasons.append(f"{who} pooled {'up to ' if len(pooled_k) > 1 else ''}{most} trials{people}"
                           + (f", {_held_text(held, k)}" if most > held else ""))
        # Intervals side by side only on the analysis's own measure and scale.
        ci = r["pooled"] if r["status"] == "pooled" else r["studies"][0]
        beside = [e for e in entries if e.get("comparable") and e.get("ci_lb") is not None
                  and e.get("ci_ub") is not None]
        if not beside:
            reasons.append("no review's result is on this analysis's measure and scale, so the intervals cannot be "
                           "set side by side")
        elif ours == "neither" and all(ci["ci_lb"] <= e["ci_lb"] and e["ci_ub"] <= ci["ci_ub"] for e in beside):
            # The review named with its numbers, inside the report's brackets.
            one = beside[0]
            # "The review's whole" left its noun to be guessed; an interval whose source
            # states no level says so, as every other published interval here does.
            level = (f"{_level_text(one)}CI {ci_text(shown(a, one['ci_lb']), shown(a, one['ci_ub']))}"
                     if one.get("ci_level") is not None else
                     f"CI {ci_text(shown(a, one['ci_lb']), shown(a, one['ci_ub']))}, {LEVEL_NOT_STATED}")
            whose = (f"the whole of the review\u2019s interval ({in_brackets(one['label'])}: {one['measure']} "
                     f"{f2(shown(a, one['estimate']))}, {level})"
                     if len(beside) == 1 else "the whole of those reviews\u2019 intervals")
            reasons.append(f"{'its' if k == 1 else 'their'} interval holds {whose}: too wide to tell a difference "
                           "of that size from none")
        else:
            overlap = [e["ci_lb"] <= ci["ci_ub"] and ci["ci_lb"] <= e["ci_ub"] for e in beside]
            reasons.append("the intervals overlap" if all(overlap) else "the intervals do not overlap"
                           if not any(overlap) else "only some of the intervals overlap")
        by_comparator.setdefault(a["comparator_label"], []).append(
            f"{said}; {'; '.join(reasons)}." if reasons else f"{said}.")
        # Differ only where the trials here find a difference, or their interval misses
        # a review's; else the reviews find what the trials neither show nor refute.
        if ours != "neither" or any(reason.startswith(("the intervals do not", "only some")) for reason in reasons):
            clash.add(a["comparator_label"])
    return [escape(f"Against {_in_sentence(comp, _names(ctx))}, "
                   + (REVIEWS_DIFFER if comp in clash else REVIEWS_UNSHOWN) + " " + " ".join(items))
            for comp, items in by_comparator.items()]


#: The head of a summary point where published reviews and the trials here find
#: differences on different sides (:func:`_reviews_and_trials`).
REVIEWS_DIFFER = "published reviews and the trials here differ."
#: Its head where the reviews find a difference and the trials' interval includes none
#: without excluding the reviews' results: not a disagreement (Altman & Bland 1995).
REVIEWS_UNSHOWN = ("published reviews find a difference that the trials used here do not show, though an interval "
                   "that includes no difference is no evidence of none.")


def _level_text(e: Mapping[str, Any]) -> str:
    """"95% " before a published result's "CI", or "" where the review states no level."""
    return f"{float(e['ci_level']):g}% " if e.get("ci_level") is not None else ""


def _rated_certainty(entries: Sequence[Mapping[str, Any]], bracketed: bool = False) -> str:
    """"certainty as the review rates it: low for Mu et al. (2020), Cochrane" for published
    results whose review graded them (``certainty``), or ""; ``bracketed``, for a place
    inside the report's brackets, gives the labels as :func:`metareview.fmt.in_brackets`
    does ("low for Mu et al., 2020, Cochrane"). Where a level's labels hold commas, "for"
    comes before each: "low for Mu et al., 2020, Cochrane and for Xu, 2019; moderate for
    Lee, 2021".

    The report grades no result of its own; a tally of reviews that leaves out how their
    authors rated the same evidence would present it as surer than they did.
    """
    levels: dict[str, set[str]] = {}
    for e in entries:
        if e.get("certainty"):
            levels.setdefault(str(e["certainty"]), set()).add(in_brackets(e["label"]) if bracketed else e["label"])
    if not levels:
        return ""
    # Highest first, in GRADE's order (the schema allows only its levels).
    ranked = sorted(levels, key=lambda x: -LEVELS.index(x) if x in LEVELS else 1)
    # "low for": "low, Mu et al. (2020), Cochrane" read as a list of three. Labels that
    # hold commas ("Mu et al., 2020, Cochrane", as in_brackets gives them) take "for"
    # before each (with_each): "low for A, 2020, Cochrane and B, 2019; moderate for C"
    # left the reader to guess where each label ended, and join_list's semicolons could
    # not be told from those between the levels.
    said = "; ".join(f"{level_text(level)} for {_with_each(sorted(levels[level]), 'for')}" for level in ranked)
    # One review rating its results is "the review", not "the reviews".
    rater = "the review rates" if len(set().union(*levels.values())) == 1 else "the reviews rate"
    return f"certainty as {rater} it: {escape(said)}"


#: How a study's population relates to the review's (``population_fit`` other than
#: ``matches`` and ``unclear``), as the effects it gives say it.
POPULATION_WORDS = {"narrower": "a narrower population than", "broader": "a broader population than",
                    "different": "another population than"}

#: Population fits of reviews the summary does not count
#: (:data:`metareview.normalise.OFF_POPULATION_FITS`), with how it names them.
OFF_POPULATION = {fit: f"of {POPULATION_WORDS[fit]} this review\u2019s" for fit in sorted(OFF_POPULATION_FITS)}


def _split_secondary(entries: Sequence[Mapping[str, Any]]) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """Published results the summary counts, and those it names apart: of reviews known
    only from another document (a blog post's "Cochrane Review (2023)", a review cited by
    an overview), as the trials' lines set such trials apart, and of reviews of a broader
    or another population than the review's (:data:`OFF_POPULATION`): back and neck pain
    pooled together says little of low back pain alone."""
    def apart(e: Mapping[str, Any]) -> bool:
        return (e.get("source_level") == "secondary" or bool(e.get("read_elsewhere"))
                or e.get("population_fit") in OFF_POPULATION)

    return [e for e in entries if not apart(e)], [e for e in entries if apart(e)]


SECONDARY = "known only from a secondary source"
#: A trial effect whose numbers were read in a document other than the trial's own
#: report (metareview.extract.read_elsewhere), of one effect and of several.
READ_ELSEWHERE_TRIAL = "numbers read in a document other than the trial\u2019s own report"
READ_ELSEWHERE_TRIALS = "numbers read in documents other than the trials\u2019 own reports"
#: How the flag of an effect at a window's edge begins (metareview.extract.window_edge_flag).
WINDOW_EDGE = "timepoint at the window\u2019s "
#: The same beside "primary" in the evidence table.
STUDY_READ_ELSEWHERE = "effects use numbers read in another document"
READ_ELSEWHERE = "read here only in a document other than the review\u2019s own"


def _secondary_reviews(entries: Sequence[Mapping[str, Any]]) -> list[str]:
    """The results :func:`_split_secondary` sets apart, a sentence for each reason (each
    review once, by the first reason that applies): "2 reviews known only from a secondary
    source: A; B.", "1 result read here only in a document other than the review's own:
    from C. Results read in a review's own report are counted.", "1 review of a broader
    population than this review's: D."

    A sentence each, for the caller to list as points (:func:`_sub_points`): run into one
    sentence, each reason's reviews in brackets, three semicolon lists inside one list
    could not be told apart.
    """
    said = []
    for why, n, group in _apart_groups(entries):
        labels = sorted({e["label"] for e in group})
        if why == READ_ELSEWHERE:
            # A review read in its own report may have one result read only in an
            # overview's table (Lam 2013): that result is apart, not the review, whose
            # own results are counted (a reader took "not counted: Lam" for all of it).
            # The reviews as a list ("A, B and C"), not "A; B; C", and the note a
            # sentence of its own: after a semicolon it read as one more review.
            said.append(f"{_apart_count(why, n)}: from {join_list([escape(x) for x in labels])}. Results read in a "
                        "review\u2019s own report are counted.")
        else:
            listed = escape("; ".join(labels))
            said.append(f"{_apart_count(why, n)}: {listed}" + ("" if listed.endswith(".") else "."))
    return said


def _apart_groups(entries: Sequence[Mapping[str, Any]]) -> list[tuple[str, int, list[Mapping[str, Any]]]]:
    """The results :func:`_split_secondary` sets apart, by reason, as
    :func:`_secondary_reviews` counts them: (reason, count, results), each result once
    (one shown by two analyses, an MD and an SMD one or two windows, is one) under the
    first reason that applies; the count is of reviews (labels), but of results for those
    read only elsewhere (a review may have one result so read and others counted)."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for e in {(e["study_id"], e.get("ref")): e for e in entries}.values():
        why = (SECONDARY if e.get("source_level") == "secondary"
               else READ_ELSEWHERE if e.get("read_elsewhere") else OFF_POPULATION[e["population_fit"]])
        groups.setdefault(why, []).append(e)
    return [(why, len(groups[why]) if why == READ_ELSEWHERE else len({e["label"] for e in groups[why]}), groups[why])
            for why in (SECONDARY, READ_ELSEWHERE, *OFF_POPULATION.values()) if why in groups]


def _apart_count(why: str, n: int) -> str:
    """"3 reviews known only from a secondary source", "1 result read here only in ...": a
    group of :func:`_apart_groups` as the text counts it."""
    unit = "result" if why == READ_ELSEWHERE else "review"
    return f"{n} {unit}{'' if n == 1 else 's'} {why}"


def _sub_points(head: str, points: Sequence[str]) -> str:
    """``head`` and, below it, a Markdown list of ``points`` indented by two spaces: the
    caller's list item takes it as a list nested in its own, whatever the indentation of
    that item (:func:`_points` indents the whole block again)."""
    return head + "".join(f"\n  - {p}" for p in points)


def _published_head_to_head(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """The published meta-analyses that compare an indirect comparison's two treatments head
    to head, from the direct analyses' external evidence: "Zhang et al. (2024), SMD −0.30
    (−0.55 to −0.05), favouring dry needling; ...", or "".

    They answer the review's question more directly than any indirect comparison, so the
    bottom line gives them; results outside the analysis's window, and reviews known only
    from another document, are left to the analysis's section.
    """
    by_id = {r["analysis"]["id"]: r for r in ctx.analyses}
    said = []
    seen: set[str] = set()  # one result shown by two analyses of the pair (an MD and an SMD one)
    for d in x["direct"]:
        r = by_id.get(d["analysis"])
        if r is None:
            continue
        a = r["analysis"]
        identified, _ = _split_secondary(_external_in_window(r))
        for e in identified:
            if e.get("estimate") is None or e["measure"] == "p_only" or e["ref"] in seen:
                continue
            seen.add(e["ref"])
            text = f"{escape(e['label'])}, {escape(_external_value(e))}"
            if e.get("ci_lb") is not None and excludes_no_effect(e):
                text += ", favouring " + escape(_in_sentence(a["intervention_label" if favours_intervention(a, e["estimate"])
                                                  else "comparator_label"], _names(ctx)))
            elif e.get("ci_lb") is not None:
                text += f", {INCLUDES}"
            said.append(text)
    return "; ".join(said)


def _direct_text(ctx: ReportContext, direct: Sequence[Mapping[str, Any]], a: str, b: str) -> Markdown:
    """What the head-to-head analyses of two treatments give: each pooled estimate, or each
    single trial's effect, with what its interval shows (a sentence, "For pain, " before it),
    then the trials they set aside (sentences of their own, :func:`_direct_set_aside`)."""
    return Markdown("".join(_direct_parts(ctx, direct, a, b)))


def _direct_parts(ctx: ReportContext, direct: Sequence[Mapping[str, Any]], a: str,
                  b: str) -> tuple[Markdown, Markdown]:
    """:func:`_direct_text` in two: the sentence, and the sentences on trials set aside
    (" A further trial ..."), or ""."""
    by_id = {r["analysis"]["id"]: r for r in ctx.analyses}
    said, notes = [], []
    for d in direct:
        r = by_id[d["analysis"]]
        an, p = r["analysis"], r["pooled"]
        if d["status"] == "pooled":
            said.append(f"{p['k']} head-to-head trials of {a} and {b} pooled give {escape(an['measure'])} "
                        f"{f2(shown(an, p['estimate']))} ({p['level']:g}% CI "
                        f"{ci_text(shown(an, p['ci_lb']), shown(an, p['ci_ub']))}): {_interval_shows(an, p['estimate'], p, proper=_names(ctx))}"
                        f"{_sensitivity_caveat(r)}{_few_studies_caveat(r)}{_pooled_study_caveats(r)}"
                        f"{_certainty_clause(ctx, r)}")
        elif d["status"] == "single_study":
            said.append(f"one head-to-head trial of {a} and {b}, not pooled: {_single_study_text(ctx, r)}"
                        f"{_certainty_clause(ctx, r)}")
        else:
            fewer = d["k"] < int(ctx.config["methods"].get("min_studies", 2))
            why = (f"fewer than the {ctx.config['methods'].get('min_studies', 2)} studies this review pools" if fewer
                   else escape(r["reason"].rstrip(".")))
            said.append(f"{d['k']} head-to-head trials of {a} and {b}, not pooled ({why})")
        clause, note = _direct_set_aside(ctx, r)
        said[-1] += clause
        if note and note not in notes:
            notes.append(note)
    # What each analysis set aside follows, sentences of their own (_direct_set_aside).
    return Markdown("; ".join(said) + " (see Results)."), Markdown("".join(notes))


#: The timepoint kinds (extract.timepoint_set_aside) of a row that is in no analysis of a
#: window because it belongs to another: its weeks outside the window, or its words read
#: as another window's.
_OTHER_WINDOW_KINDS = ("outside_window", "other_window")


def _used_in_other_windows(ctx: ReportContext, result: Mapping[str, Any], excluded: Mapping[str, Any]) -> tuple[str, str]:
    """("measured at 26 weeks", "used in the medium term analysis") for a trial that
    ``result`` (a head-to-head analysis) left out and an analysis of the same two
    treatments and outcome in another window uses ("pooled in" where every such analysis
    pools it), or ("", "").

    A trial outside one window is often the very trial another window's analysis pools:
    "set aside" alone reads as evidence no analysis counts, and a reader looking for it
    among the set-aside trials would never find its effect.
    """
    an = result["analysis"]
    pair = {an["intervention"], an["comparator"]}
    windows = ctx.config.get("windows", {})
    where: dict[str, set[str]] = {}  # window name -> {"pooled", "used"}, in the order of the analyses
    when: list[str] = []
    for r in ctx.analyses:
        other = r["analysis"]
        if (other["window"] == an["window"] or other["outcome"] != an["outcome"]
                or {other["intervention"], other["comparator"]} != pair):
            continue
        mine = [s for s in r.get("studies") or [] if s["study_id"] == excluded["study_id"]]
        if not mine:
            continue
        name = _in_sentence(_window_name(windows[other["window"]])) if other["window"] in windows else other["window"]
        where.setdefault(name, set()).add("pooled" if r["status"] == "pooled" else "used")
        for s in mine:
            weeks, label = s.get("timepoint_weeks"), s.get("timepoint_label")
            at = f"{float(weeks):g} weeks" if weeks is not None else f"\u2018{label}\u2019" if label else ""
            if at and at not in when:
                when.append(at)
    if not where:
        return "", ""
    verb = "pooled" if all(v == {"pooled"} for v in where.values()) else "used"
    analyses = join_and([f"the {w} analysis" for w in where])
    return escape(f"measured at {join_and(when)}" if when else ""), escape(f"{verb} in {analyses}")


def _only_in_another_window(excluded: Mapping[str, Any]) -> bool:
    """Whether every reason a trial was left out (an entry of an analysis's ``excluded``)
    is a timepoint that belongs to another window.

    Read from the reasons' ``timepoint`` fields (analysis.merge_timepoint_reasons), not
    from their words. An entry without them (written by an older build) is taken as set
    aside for some other reason: the report then lists it with its reason, which is true
    if less tidy.
    """
    reasons = excluded.get("reasons") or []
    return bool(reasons) and not excluded.get("also") and all(
        (r.get("timepoint") or {}).get("kind") in _OTHER_WINDOW_KINDS for r in reasons)


#: Sentence-initial counts in words: "2 further trials" opened a sentence with a numeral.
_COUNT_WORDS = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine", 10: "Ten"}


def _direct_set_aside(ctx: ReportContext, result: Mapping[str, Any]) -> tuple[str, str]:
    """What a head-to-head analysis could not use of the trials of the two: a clause for
    its sentence and sentences to follow it, either "".

    The clause names a trial that only another window's analysis of the two can use,
    which is not set aside: "; a further trial of the two, Demo (2025), measured at 26
    weeks, is used in the medium term analysis instead". The sentences give each trial
    set aside, its label before a colon and what keeps it out after, with its own effect
    where one could be computed: " A further trial of the two was set aside, Ruiz (2025):
    only change values; ...; its own SMD ...: −0.98 (95% CI −1.59 to −0.38)." In the
    clause, bracketed after its label, the reason nested its interval's brackets and the
    label's year in its own ("Ruiz (2025) (only change values; ... (95% CI ...))"), and
    its semicolons ran into the sentence's.

    "One head-to-head trial" where the data hold two reads as all there is: a trial set
    aside for its value type, a missing SD or its window is evidence on the question too,
    and its own effect, where one could be computed, is as much the answer as the used
    trial's.
    """
    out = result.get("excluded") or []
    if not out:
        return "", ""
    level = float(ctx.config["methods"].get("level", 95))
    aside, elsewhere = [], []
    for e in out:
        at, used = _used_in_other_windows(ctx, result, e)
        if used and _only_in_another_window(e):
            elsewhere.append(f"{escape(e['label'])}, {at + ', ' if at else ''}is {used} instead")
        else:
            why = (f"{escape(e['reason'])}{_own_effect_text(result['analysis'], e, level)}"
                   + (f"; {at + ', ' if at else ''}{used}" if used else ""))
            aside.append((escape(e["label"]), why))

    def stop(text: str) -> str:
        # A reason ending with an abbreviation ("et al.") takes no second full stop.
        return text if text.endswith(".") else text + "."

    def count(n: int) -> str:
        return _COUNT_WORDS.get(n, f"In all, {n}")

    clause = notes = ""
    if len(aside) == 1:
        (label, why), = aside
        notes += f" A further trial of the two was set aside, {label}: {stop(why)}"
    elif aside:
        notes += (f" {count(len(aside))} further trials of the two were set aside."
                  + "".join(f" {label}: {stop(why)}" for label, why in aside))
    if aside:
        # Which way they went, by their own reports (a p-value, a side named).
        notes += _then(_aside_direction(ctx, _with_excluded([result], {e["label"] for e in out
                                                                        if escape(e["label"]) in dict(aside)})))
    if len(elsewhere) == 1:
        clause = f"; a further trial of the two, {elsewhere[0]}"
    elif elsewhere:
        notes += (f" {count(len(elsewhere))} further trials of the two belong to other windows."
                  + "".join(f" {stop(x)}" for x in elsewhere))
    return clause, notes


def _side_of(label: str) -> Markdown:
    """"acupuncture’s side": the label escaped, with a typographic apostrophe; "the side
    of sham (minimal)" for a label that ends with a bracket of its own, which "sham
    (minimal)’s side" would hang the possessive on."""
    if label.rstrip().endswith(")"):
        return Markdown(f"the side of {escape(label)}")
    return Markdown(escape(label) + "\u2019s side")


def _no_direct_effect(ctx: ReportContext, x: Mapping[str, Any], them: str) -> tuple[str, str]:
    """"no trial in these data compares {them} head to head with numbers an effect can be
    computed from", or, where a head-to-head analysis set trials aside, that clause and a
    sentence of what keeps each out (" The trial that compares them could not be used,
    Demo et al. (2025): timepoint 4 weeks is outside the window of 13 to 26 weeks; see
    @tbl-excluded."), or, for a trial another window's analysis uses, where it counts ("no
    trial in these data compares them head to head in the short term (Demo et al., 2025,
    measured at 26 weeks, is used in the medium term analysis instead)").

    The clause and the sentence come apart, the sentence to follow the one the clause
    is in: inside the clause's brackets, the label's own year and the reason's brackets
    nested ("(... could not be used: Nowak et al., 2024 (SD missing); see ...)"), and a
    reader lost count of which bracket closed what.

    A trial of the two that the analysis could not use (another time window, a missing SD)
    is not the same as no trial: a review team that has just added one needs to see why it
    does not count, and a reader that the data hold more than the analysis shows. "No
    trial ... with numbers an analysis here can use" would be untrue of a trial that the
    analysis of another window pools.
    """
    results = {r["analysis"]["id"]: r for r in ctx.analyses}
    kept: dict[str, list[str]] = {}
    # Labels with a reason that is no timepoint of another window.
    not_elsewhere: set[str] = set()
    used: dict[str, tuple[str, str]] = {}  # label -> where another window's analysis uses it
    for d in x["direct"]:
        result = results.get(d["analysis"]) or {}
        for e in result.get("excluded", []):
            reasons = kept.setdefault(e["label"], [])
            if e["reason"] not in reasons:
                reasons.append(e["reason"])
            if not _only_in_another_window(e):
                not_elsewhere.add(e["label"])
            if e["label"] not in used and (where := _used_in_other_windows(ctx, result, e))[1]:
                used[e["label"]] = where
    if not kept:
        return f"no trial in these data compares {them} head to head with numbers an effect can be computed from", ""
    elsewhere = {label: used[label] for label in kept if label in used and label not in not_elsewhere}
    aside = {label: reasons for label, reasons in kept.items() if label not in elsewhere}
    # Out of brackets, each label keeps its own and its reason follows a colon.
    which = "; ".join(f"{escape(label)}: {escape('; '.join(reasons))}"
                      + (f"; {used[label][0] + ', ' if used[label][0] else ''}{used[label][1]}" if label in used else "")
                      for label, reasons in sorted(aside.items()))
    # Which way those trials' own reports went: on the review's own question, "could not be
    # used" alone read as no evidence either way.
    direction = _then(_aside_direction(ctx, _with_excluded([results[d["analysis"]] for d in x["direct"]
                                                            if d["analysis"] in results], set(aside))))
    if not elsewhere:
        trials = "The trial that compares" if len(aside) == 1 else f"The {len(aside)} trials that compare"
        return (f"no trial in these data compares {them} head to head with numbers an analysis here can use",
                f" {trials} them could not be used, {which}; see @tbl-excluded.{direction}")
    windows = ctx.config.get("windows", {})
    name = _in_sentence(_window_name(windows[x["window"]])) if x["window"] in windows else x["window"]
    # Every label here stands inside the sentence's brackets (in_brackets).
    said = [f"{escape(in_brackets(label))}, {at + ', ' if at else ''}is {where} instead"
            for label, (at, where) in sorted(elsewhere.items())]
    trials = "A further trial of the two" if len(aside) == 1 else f"{len(aside)} further trials of the two"
    note = f" {trials} could not be used here, {which}; see @tbl-excluded.{direction}" if aside else ""
    return f"no trial in these data compares {them} head to head in the {escape(name)} ({'; '.join(said)})", note


def bottom_line(ctx: ReportContext, printed: str | None = None) -> Markdown:
    """What the evidence supports on the review's main question, in two or three sentences.

    Markdown, so labels from the data are escaped here, once, and the cross-reference to
    the results table stays one. ``printed`` is the whole report's text, in which the
    abbreviations the review declares (``report.abbreviations``) are looked for; without
    it, the summary's own.
    """
    parts: list[str] = []
    quoted: set[str] = set()  # statements quoted once, for the first outcome they speak of
    # A trial against a treatment no node includes, said once: where it reports on more than
    # one outcome, the one sentence names them all, not "this outcome" after the first.
    near_at: dict[str, tuple[int, list[str]]] = {}
    # Where a paragraph starts: one per outcome of the question, its direct, published and
    # indirect evidence together.
    starts: set[int] = set()
    # "Common comparator" is a term of the trade: said in words where the summary first
    # uses it, for the clinician who reads no further.
    gloss = " (a third treatment that trials compared with each of the two, through which they could be compared)"
    for x in ctx.indirect:
        starts.add(len(parts))
        a, b = escape(_in_sentence(x["treatment_a_label"], _names(ctx))), escape(_in_sentence(x["treatment_b_label"], _names(ctx)))
        outcome: str = escape(_in_sentence(ctx.labels.get(x["outcome"], x["outcome"])))
        # An outcome the review analyses in more than one window (abstinence at 6 and at
        # 12 months) is named with this comparison's: "For continuous abstinence, one
        # head-to-head trial" read as all the head-to-head evidence when the other window
        # pooled three more.
        windows = ({r["analysis"]["window"] for r in ctx.analyses if r["analysis"]["outcome"] == x["outcome"]}
                   | {y["window"] for y in ctx.indirect if y["outcome"] == x["outcome"]})
        if len(windows) > 1 and x["window"] in ctx.config.get("windows", {}):
            outcome += f" ({escape(_in_sentence(_window_name(ctx.config['windows'][x['window']])))})"
        direct = [d for d in x["direct"] if d["k"]]
        pooled_direct = [d for d in direct if d["status"] == "pooled"]
        aside = ""
        if direct:
            # Direct evidence first, on whatever measure its analysis uses: it answers the
            # question an indirect comparison only approaches.
            said, aside = _direct_parts(ctx, direct, a, b)
            parts.append(f"For {outcome}, {said}{aside}")
        # Published reviews of the two head to head are given in every case: beside a
        # pooled estimate of trials here they may agree with it or not, and without one they
        # answer the question more directly than an indirect comparison. A pooled direct
        # estimate is the answer an indirect one adds nothing to.
        published = _published_head_to_head(ctx, x)
        reviews = (f" Published meta-analyses compare them directly (shown apart: what they pool cannot be checked "
                   f"against trials here): {published}." if published else "")
        if pooled_direct and reviews:
            parts.append(reviews.strip())
        if not pooled_direct and x["status"] == "anchored":
            # A trial of all three left out of both sides is named, as in the summary's line.
            # Inside "(through ...)": each label's own brackets as commas (in_brackets).
            through = join_list([escape(in_brackets(_in_sentence(c["comparator_label"], _names(ctx)))) + (
                f", without {escape(join_and([in_brackets(t) for t in c['shared']]))}, a trial of all three counted "
                "as direct evidence"
                if c.get("shared") else "") for c in x["anchored"]])
            # After sentences on the trials set aside, "it" would read as the last of them.
            beside = "Beside the head-to-head evidence" if direct and aside else "Beside it"
            parts.append((f"{beside}, {a} and {b} are compared indirectly (through {through}); see the indirect "
                          "comparison." if direct else
                          f"For {outcome}, the trials here compare {a} and {b} only indirectly (through {through}); "
                          "see the indirect comparison." if published else
                          f"For {outcome}, {a} and {b} can only be compared indirectly (through {through}); see the "
                          "indirect comparison.") + reviews)
        elif not pooled_direct:
            # A treatment with no trial against a third one, on any measure, is the plainer
            # reason; one that another measure would anchor is worth saying.
            others = x["other_measures"]
            alone = [t for t, key in ((a, "comparators_a"), (b, "comparators_b"))
                     if not x[key] and not any(o[key] for o in others)]
            anchoring = [escape(o["measure"]) for o in others if o["common"]]
            if x["status"] == "shared_trial":
                shared = join_and([escape(_in_sentence(o["comparator_label"], _names(ctx))) for o in x.get("shared", [])])
                named = sorted({t for o in x.get("shared", []) for t in o["studies"]})
                why = (f"though both are compared with {shared}, {join_and([escape(t) for t in named])} "
                       f"{'compares' if len(named) == 1 else 'compare'} all three within one trial and "
                       f"{'is' if len(named) == 1 else 'are'} on both sides, whose shared arm would count twice; left "
                       "out, it leaves a side without a single other estimate, so no anchored indirect comparison is "
                       "made (see the indirect comparison).")
            elif x["status"] == "no_single_estimate":
                shared = join_and([escape(_in_sentence(u["comparator_label"], _names(ctx))) for u in x.get("unresolved", [])])
                why = (f"though both are compared with {shared}, a side has more than one estimate against it that "
                       "no analysis pooled into one, so no anchored indirect comparison is made (see the indirect "
                       "comparison).")
            elif alone:
                # A treatment the review defines no analysis of against a third one, on this
                # outcome and window: the review's choice, which "no usable trial" would
                # put on the trials.
                ends = {a: x["treatment_a"], b: x["treatment_b"]}
                asked = {n for r in ctx.config["analyses"] if r["outcome"] == x["outcome"]
                         and r["window"] == x["window"]
                         and {r["intervention"], r["comparator"]} != {x["treatment_a"], x["treatment_b"]}
                         for n in (r["intervention"], r["comparator"])}
                unasked = [t for t in alone if ends[t] not in asked]
                untried = [t for t in alone if ends[t] in asked]
                missing: list[str] = []
                if unasked:
                    missing.append(f"the review defines no analysis of {' or of '.join(unasked)} against a third "
                                   "treatment on it")
                if untried:
                    missing.append(f"no usable trial of {' or of '.join(untried)} against a third treatment reports it")
                why = f"{', and '.join(missing)}, so nothing anchors an indirect comparison."
            elif lacking := _unnamed_only(ctx, x):
                # Each treatment compared in a usable trial only with a control its sources
                # do not name: "there is no common comparator" read as if no trial of it
                # against sham existed, where such trials are held but set aside.
                why = f"{_unanchored_reason(ctx, x, lacking)}, so nothing anchors an indirect comparison."
            elif anchoring:
                why = (f"there is no common comparator{gloss} on {escape(x['measure'])} for an anchored indirect "
                       f"comparison (on {' and '.join(anchoring)} both share one, so a comparison defined on "
                       f"{' and '.join(anchoring)} could be anchored; see the indirect comparison).")
            else:
                why = f"there is no common comparator{gloss} for an anchored indirect comparison."
            if why.startswith("there is no common comparator"):
                gloss = ""
            words = _narrative_head_to_head(ctx, x, quoted, numbers_elsewhere=bool(published or direct))
            if direct:
                parts.append(f"No pooled head-to-head estimate exists, and {why}{reviews}{words}")
            elif published:
                # Published reviews compare the two: the data are not silent, but what they
                # hold cannot be checked against trials here.
                none, note = _no_direct_effect(ctx, x, f"{a} and {b}")
                parts.append(f"For {outcome}, {none}, and {why}{note}{reviews}{words}")
            else:
                none, note = _no_direct_effect(ctx, x, "them")
                parts.append(f"For {outcome}, the data cannot say whether {a} is better or worse than {b}: "
                             f"{none}, and {why}{note}{words}")
        # Without pooled head-to-head trials, the closest a trial comes (trigger point
        # needling against acupuncture, say) may be a treatment the nodes leave out: said
        # once, whatever the outcomes.
        near = "" if pooled_direct else _near_misses(ctx, x)
        if near in near_at:
            near_at[near][1].append(outcome)
        elif near:
            near_at[near] = (len(parts), [outcome])
            starts.add(len(parts))
            parts.append(near)
    after_question = len(parts)
    for text, (at, outcomes) in near_at.items():
        if len(outcomes) > 1:
            parts[at] = text.replace(" on this outcome", f" on {join_and(outcomes)}", 1)
    pooled = [r for r in ctx.analyses if r["status"] == "pooled"]
    # The pooled head-to-head estimates are given above, with their certainty.
    direct_ids = {d["analysis"] for x in ctx.indirect for d in x["direct"]}
    clear_all = [r for r in pooled if excludes_no_effect(r["pooled"])]
    clear = [r for r in clear_all if r["analysis"]["id"] not in direct_ids]
    if clear_all and not in_detail(ctx):
        parts.append(f"Of the {len(pooled)} pooled analyses, {len(clear_all)} have a confidence interval that "
                     f"{EXCLUDES} (see @tbl-results).")
    elif clear:
        names = analysis_names(ctx)
        # The interval is the finding here, as for those compatible with no difference
        # below: a reader of the summary alone should not have to look it up.
        parts.append(f"Pooled analyses whose confidence interval {EXCLUDES}: " + "; ".join(
            f"{escape(names[r['analysis']['id']])}, {escape(r['analysis']['measure'])} "
            f"{f2(shown(r['analysis'], r['pooled']['estimate']))} ({r['pooled']['level']:g}% CI "
            f"{ci_text(shown(r['analysis'], r['pooled']['ci_lb']), shown(r['analysis'], r['pooled']['ci_ub']))})"
            f"{md_points(ctx, r['analysis'])}, favouring "
            + escape(_in_sentence(r["analysis"]["intervention_label" if favours_intervention(r["analysis"],
                                                                                         r["pooled"]["estimate"])
                                               else "comparator_label"], _names(ctx)))
            + mid_markdown(ctx, r["analysis"], r["pooled"]["ci_lb"], r["pooled"]["ci_ub"], brief=True)
            # What the treatments' lists say beside a pooled estimate, as they say it.
            + escape(_pooled_caveats_in_brief(r)) + _sensitivity_caveat(r) + _certainty_clause(ctx, r)
            for r in clear) + "." + _left_out_of(ctx, clear))
    compatible = [r for r in pooled if not excludes_no_effect(r["pooled"])] if not ctx.indirect else []
    if compatible and not in_detail(ctx):
        parts.append(f"Of the {len(pooled)} pooled analyses, {len(compatible)} "
                     f"{'has' if len(compatible) == 1 else 'have'} a confidence interval that {INCLUDES} "
                     "(see @tbl-results).")
    elif compatible:
        # Without an indirect comparison no main question leads the bottom line: the pooled
        # analyses are its findings, and an interval compatible with no difference is one.
        names = analysis_names(ctx)
        parts.append(f"Pooled analyses whose confidence interval {INCLUDES}: " + "; ".join(
            f"{escape(names[r['analysis']['id']])}, {escape(r['analysis']['measure'])} "
            f"{f2(shown(r['analysis'], r['pooled']['estimate']))} ({r['pooled']['level']:g}% CI "
            f"{ci_text(shown(r['analysis'], r['pooled']['ci_lb']), shown(r['analysis'], r['pooled']['ci_ub']))})"
            # The scale, as the single trials' lines below give it: "MD −1.07" alone does
            # not say whether of 10 points or of 100.
            + md_points(ctx, r["analysis"])
            + mid_markdown(ctx, r["analysis"], r["pooled"]["ci_lb"], r["pooled"]["ci_ub"], brief=True)
            + escape(_pooled_caveats_in_brief(r)) + _sensitivity_caveat(r)
            + _certainty_clause(ctx, r)
            for r in compatible) + "." + _left_out_of(ctx, compatible))
    # Without an indirect comparison, no overview of each treatment's comparators follows:
    # an analysis resting on one trial would go unsaid in the summary, and a review whose
    # every analysis has one trial would have a bottom line with no finding in it.
    singles = ([r for r in ctx.analyses if r["status"] == "single_study"]
               if not ctx.indirect and in_detail(ctx) else [])
    # Nor would an analysis whose studies could not be pooled (fewer than min_studies, or
    # comparators the sources do not name), or whose every trial was set aside: the
    # summary would pass over comparisons the data do hold trials of.
    unpooled = ([r for r in ctx.analyses if r["status"] == "not_poolable"]
                if not ctx.indirect and in_detail(ctx) else [])
    unusable = ([r for r in ctx.analyses if r["status"] == "no_studies" and _aside_labels(r)]
                if not ctx.indirect and in_detail(ctx) else [])
    if not pooled and not singles and unpooled:
        parts.append("No analysis had enough usable trials to pool: the studies listed below are each shown, "
                     "not pooled.")
    elif not pooled and any(r["studies"] for r in ctx.analyses):
        parts.append("No analysis had enough usable trials to pool: "
                     + ("the effect shown below is that of a single trial, to be judged by its interval and by how "
                        "far its source can be trusted, not a pooled estimate." if len(singles) == 1 else
                        "the effects shown below are those of single trials, each to be judged by its interval and "
                        "by how far its source can be trusted, not pooled estimates.")
                     # Not only single trials' effects are listed below: "those of single trials"
                     # read as all of it.
                     + (f" The analyses whose studies could not be pooled follow {'it' if len(singles) == 1 else 'them'}."
                        if unpooled else ""))
    elif not pooled:
        parts.append("No analysis has a usable study: there is no effect to show.")
    if not parts:
        parts.append("The review defines no indirect comparison.")
    # A paragraph per outcome of the question, and per point after them: run together, pain
    # and disability read as one block of half a page.
    paragraphs: list[str] = []
    for i, part in enumerate(parts):
        if i in starts or i >= after_question or not paragraphs:
            paragraphs.append(part)
        else:
            paragraphs[-1] += " " + part
    if singles:
        names = analysis_names(ctx)
        paragraphs.append(("Resting on one study, not pooled" if pooled else "Study by study") + ":\n\n" + "\n".join(
            f"- {escape(names[r['analysis']['id']])}: {_single_study_parts(ctx, r, doubts=True)[0]}."
            + mid_markdown(ctx, r["analysis"], r["studies"][0]["ci_lb"], r["studies"][0]["ci_ub"])
            + _left_out_of(ctx, [r]) for r in singles))
    if unpooled:
        # Each study's effect is in the analysis's section; here, which studies and why
        # none of them is pooled (the analysis's own reason, as its section gives it).
        names = analysis_names(ctx)
        paragraphs.append("Holding studies that could not be pooled:\n\n" + "\n".join(
            f"- {escape(names[r['analysis']['id']])}: {r['k']} studies "
            # In brackets: each label's own as commas (in_brackets).
            f"({join_list([escape(in_brackets(s['label'])) for s in r['studies']], markdown=True)}), not pooled. "
            f"{escape(r['reason'])}" for r in unpooled))
    if unusable:
        names = analysis_names(ctx)
        no_size = "" if _aside_any_effect(ctx, unusable) else ", so no effect size to show"
        paragraphs.append(f"With trials, every one set aside{no_size} (@tbl-excluded says why):\n\n"
                          + "\n".join(_full_stop(f"- {escape(names[r['analysis']['id']])}: "
                                                  f"{join_list([escape(x) for x in _aside_labels(r)], markdown=True)}")
                                       + _then(_aside_direction(ctx, [r])) for r in unusable))
    # Without an indirect comparison no overview of each treatment lists the statements in
    # words on its comparisons: the sources that say, in words only, that two treatments do
    # or do not differ (a guideline, a trial's abstract) would go unsaid in the summary.
    words = _statements_on_analyses(ctx) if not ctx.indirect else ""
    if words:
        paragraphs.append(words)
    if in_detail(ctx):
        # Each treatment of the main question against the comparators the review has.
        nodes = _overview_nodes(ctx)
        if nodes:
            paragraphs.append("Each treatment against the other comparators, "
                              + ("study by study or pooled" if pooled else "study by study") + ":\n\n"
                              + "\n".join(f"- {_treatment_overview(ctx, n, _question_analyses(ctx, n))}"
                                          for n in nodes))
    # Certainty belongs beside the findings, not only in the methods.
    if any_judgement(ctx):
        closing = _graded_text(ctx)
    elif not any(_has_risk_of_bias(doc) for doc in ctx.normalised):
        closing = "No result here is graded for risk of bias or for certainty of the evidence (GRADE)."
    else:
        closing = ("Risk of bias is recorded for some studies but grades no result, and no certainty of the "
                   "evidence (GRADE) is given.")
    # How the studies were found bounds what "no trial in these data" means: pointed to
    # here, said in full once, in the methods.
    if ctx.config["review"].get("evidence_base"):
        closing += (" “In these data” means among the studies this review collected: how they were found is in the "
                    "[methods](#sec-methods).")
    # The claims checked: a reader who stops at the summary must not carry them away as
    # findings.
    paragraphs.extend(_claims_summary(ctx))
    paragraphs.append(closing)
    # Last, the abbreviations the summary itself uses: a clinician who reads no further
    # than the summary meets "SMD −0.44" and "k = 2" before the methods define them. The
    # review's own (DN, VAS) are in the sources' words the report quotes, in its tables as
    # much as in the summary: looked for in the whole report.
    summary = "\n\n".join(paragraphs)
    terms = abbreviations_text(summary, ctx.config.get("report", {}).get("abbreviations") or {},
                               summary if printed is None else printed)
    if terms:
        paragraphs.append(terms)
    body = Markdown("\n\n".join(paragraphs))
    return callout("important", "What the evidence supports", body)


#: The heterogeneity statistics and the prediction interval in a clinician's words, said
#: once: the summary's list of terms and the results' opening paragraph both give these,
#: and in two wordings they read as two meanings. The formulas are in :func:`pooled_terms`
#: and the methods.
HETEROGENEITY_TERMS: dict[str, str] = {
    "τ²": ("tau-squared, how much the true effects of the studies differ from one another (the variance between "
           "them), beyond what chance alone would give"),
    "I²": "the share of the variation between studies’ results beyond what chance would give",
    "Q": ("Cochran’s Q, a test of whether the studies share one true effect (with few studies it seldom finds a "
          "difference, so a large p does not show them alike)"),
    "prediction interval": ("where the true effect of a new study like these is expected to lie, wider than the "
                            "confidence interval when the studies differ"),
}


# Each abbreviation the report's summary may use, the pattern that finds it (a measure's
# name only where a number or a plural follows, lest a capitalised word match), and what
# it stands for, in the order they are listed. No semicolon in a meaning: they part the
# entries.
ABBREVIATIONS: tuple[tuple[str, str, str], ...] = (
    ("MD", r"(?<![\w-])MD (?=[−\-\d])", "mean difference, in points of the outcome’s common scale"),
    ("SMD", r"(?<![\w-])SMDs?(?![\w-])",
     ("standardised mean difference (Hedges’ g), the difference in standard deviations, which puts trials that "
      "used different instruments on one scale (by a rule of thumb, 0.2 is a small difference, 0.5 a moderate one "
      "and 0.8 a large one: Cohen 1988)")),
    ("RR", r"(?<![\w-])RRs? (?=[−\-\d])",
     "risk ratio, the risk of the event with the treatment over the risk with the comparator"),
    ("OR", r"(?<![\w-])ORs? (?=[−\-\d])", "odds ratio"),
    ("RD", r"(?<![\w-])RDs? (?=[−\-\d])",
     "risk difference, the risk with the treatment minus the risk with the comparator"),
    ("CI", r"(?<![\w-])CI(?![\w-])", "confidence interval"),
    ("k", r"(?<![\w-])k = \d", "the number of studies pooled"),
    # "<" as the Markdown escapes it (p_text): "p \< 0.001".
    ("p", r"(?<![\w-])p \\?[=<>]", "the p-value of a test of no difference"),
    ("IPD", r"(?<![\w-])IPD(?![\w-])",
     "individual participant data (a meta-analysis of each participant’s data, not of the trials’ summaries)"),
    ("NMA", r"(?<![\w-])NMA(?![\w-])", "network meta-analysis"),
    ("TENS", r"(?<![\w-])TENS(?![\w-])", "transcutaneous electrical nerve stimulation"),
    # The methods', the tables' and the audit trail's, which the summary seldom uses: a
    # reader meets them there, after the summary's list, which is the report's one list.
    ("SD", r"(?<![\w-])SDs?(?![\w-])", "standard deviation"),
    ("SE", r"(?<![\w-])SEs?(?![\w-])", "standard error"),
    ("df", r"(?<![\w-])df(?![\w-])", "degrees of freedom"),
    # The heterogeneity statistics and the prediction interval: the methods name them
    # before the results' opening paragraph explains them, and a reader of the summary
    # who looks one up finds it here. In a clinician's words: how far the studies' true
    # effects differ, not the formulas (those are in pooled_terms and the methods).
    ("τ²", r"τ²", HETEROGENEITY_TERMS["τ²"]),
    ("I²", r"(?<![\w-])I²", HETEROGENEITY_TERMS["I²"]),
    ("Q", r"(?<![\w-])Q(?= = \d|-profile)", HETEROGENEITY_TERMS["Q"]),
    ("prediction interval", r"(?<![\w-])prediction intervals?(?![\w-])", HETEROGENEITY_TERMS["prediction interval"]),
)

#: The entries of :data:`ABBREVIATIONS` that are terms rather than abbreviations: with one
#: of them, the list is headed "Abbreviations and terms".
TERMS = frozenset({"prediction interval"})


def declared_pattern(names: Iterable[str]) -> str:
    """The pattern that finds declared abbreviations in the report's text, the one found
    in its group 1: the word, or its plural ("RCTs"), with no letter or digit either side.

    An underscore or a hyphen parts it from what follows, for the instrument codes the
    tables print ("ODI_0_50", Markdown-escaped "ODI\\_0\\_50") name the instrument
    by it. One pattern for all, longer names first, so that the report's text (hundreds
    of kilobytes) is read once, and a name that begins another is not tried before it.
    """
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return rf"(?<![^\W_])({alternatives})s?(?![^\W_])"


def abbreviations_text(text: str, declared: Mapping[str, str] | None = None, printed: str | None = None) -> str:
    """"Abbreviations: MD, mean difference ...; CI, confidence interval." for those of
    :data:`ABBREVIATIONS` that ``text`` uses, then the others of them that ``printed``
    (default: ``text``) uses, then those of ``declared`` that ``printed`` uses, or "" for
    none.

    The summary is read on its own, by readers who may not know a standardised mean
    difference: each abbreviation it uses is spelled out there, once. An SMD's size is
    read by Cohen's rule of thumb (0.2 small, 0.5 moderate, 0.8 large; Cohen J.
    Statistical power analysis for the behavioral sciences, 2nd ed., 1988), as the
    Cochrane Handbook (15.5.3.1) gives it, there being no scale's points to judge it by.

    The summary's list is the report's only one: an abbreviation the methods, a table or
    the audit trail prints (SD, SE, df, a trial's own RD) is defined there too, by the
    library, so that no review has to declare the report's own words.

    ``declared`` holds the review's own abbreviations (``report.abbreviations``: "DN",
    dry needling), which the sources' words the report quotes use; each that the report
    prints is listed after the report's own, in alphabetical order (not the config's,
    which a canonical settings digest does not keep). One of :data:`ABBREVIATIONS` is
    defined once: in the report's sense where ``text`` uses it so, else in the review's
    where it declares it, else in the report's where ``printed`` uses it so.
    """
    where = text if printed is None else printed
    # Those the summary uses first, then those only the rest of the report prints, where
    # a meaning the review declares for the same letters stands (its sources' sense).
    used = [(name, meaning) for name, pattern, meaning in ABBREVIATIONS if re.search(pattern, text)]
    used += [(name, meaning) for name, pattern, meaning in ABBREVIATIONS
             if where is not text and (name, meaning) not in used and name not in (declared or {})
             and re.search(pattern, where)]
    listed = {name for name, _ in used}
    wanted = [name for name in (declared or {}) if name not in listed]
    found = {m[1] for m in re.finditer(declared_pattern(wanted), where)} if wanted else set()
    used += [(name, escape(" ".join(meaning.split()))) for name, meaning in
             sorted((declared or {}).items(), key=lambda item: (item[0].casefold(), item[0]))
             if name in found]
    if not used:
        return ""
    head = "Abbreviations and terms" if TERMS & {name for name, _ in used} else "Abbreviations"
    return f"{head}: {'; '.join(f'{escape(name)}, {meaning}' for name, meaning in used)}."


def _graded_text(ctx: ReportContext) -> str:
    """How many analyses with an effect have a GRADE level, and which judged ones have none."""
    names = analysis_names(ctx)
    rated = [(r, certainty_of(ctx, r)) for r in ctx.analyses]
    with_effect = [(r, c) for r, c in rated if c.status != "no_evidence"]
    graded = Counter(c.level for _, c in with_effect if c.level)
    n = sum(graded.values())
    levels = ", ".join(f"{k} {level_text(level)}" for level, k in sorted(graded.items(), key=lambda kv: -LEVEL_ORDER[kv[0]]))
    total = len(with_effect)
    text = ("Certainty of the evidence (GRADE), from the review team's judgements: "
            + (f"rated for {n} of {total} {'analysis' if total == 1 else 'analyses'} with an effect ({levels})" if n
               else "no analysis with an effect is rated yet"))
    why = {"incomplete": "some domains not judged",
           "out_of_date": "judged on studies, or on data, other than those they now hold"}
    for status, reason in why.items():
        which = [names[r["analysis"]["id"]] for r, c in with_effect if c.status == status]
        if len(which) > CHANGES_LIMIT:
            which = [*which[:CHANGES_LIMIT], f"{len(which) - CHANGES_LIMIT} more"]
        if which:
            text += f"; not rated, {reason}: {escape('; '.join(which))}"
    return text + " (see @tbl-certainty)."


def _status_counts(ctx: ReportContext) -> str:
    status = Counter(r["status"] for r in ctx.analyses)
    pooled = [r for r in ctx.analyses if r["status"] == "pooled"]
    clear = sum(1 for r in pooled if excludes_no_effect(r["pooled"]))
    parts = [f"{status['pooled']} pooled ({clear} with a confidence interval that {EXCLUDES})",
             f"{status['single_study']} with one study only",
             f"{status['not_poolable']} with studies that could not be pooled"]
    unusable = len(ctx.analyses) - status["pooled"] - status["single_study"] - status["not_poolable"]
    parts.append(f"{unusable} with no usable study")
    return f"{len(ctx.analyses)} analyses: " + "; ".join(parts) + " (see @tbl-results)."


def _absolute(r: Mapping[str, Any], assumed: Mapping[str, Any] | None = None) -> Any:
    """``(effect, source, comparator studies, risk)`` of a binary analysis with an effect,
    at the ``assumed`` comparator risk (the analysis's ``comparator_risk`` in the config)
    or else the observed one; ``None`` when there is none."""
    a = r["analysis"]
    if a["measure"] not in ("RR", "OR", "RD") or r["status"] not in ("pooled", "single_study"):
        return None
    counted = [s for s in r["studies"] if s.get("events2") is not None and s.get("n2")]
    acr: float | None
    if assumed:
        acr, source = float(assumed["value"]), f"an assumed comparator risk: {assumed['source']}"
    else:
        acr = comparator_risk(counted)
        if acr is None:
            return None
        source = ("the trial's comparator risk" if len(counted) == 1
                  else f"the median comparator risk of {len(counted)} trials")
    if r["status"] == "pooled":
        p = r["pooled"]
        est, lb, ub = p["estimate"], p["ci_lb"], p["ci_ub"]
    else:
        s = r["studies"][0]
        est, lb, ub = s["yi"], s["ci_lb"], s["ci_ub"]
    return absolute_effect(a["measure"], est, lb, ub, acr), source, counted, acr


def absolute_text(r: Mapping[str, Any], assumed: Mapping[str, Any] | None = None, proper: Collection[str] = ()) -> str:
    """A binary analysis's effect per 1,000 people at the comparator risk, or "".

    "475 per 1,000 (392 to 577) with A against 273 per 1,000 with B (the trial's
    comparator risk): 202 more per 1,000 (119 more to 304 more)" (:mod:`metareview.absolute`).
    The comparator risk is ``assumed`` (``{"value": ..., "source": ...}``, from the config)
    or else the one the trials observed.
    """
    found = _absolute(r, assumed)
    if found is None:
        return ""
    e, source, _, _ = found
    a = r["analysis"]
    per, diff = _per_1000, _more_or_fewer
    return (f"{per(e.intervention)} per 1,000 {_risk_range(e)} with "
            f"{escape(_in_sentence(a['intervention_label'], proper))} against {per(e.comparator)} per 1,000 with "
            f"{escape(_in_sentence(a['comparator_label'], proper))} ({escape(source)}): {diff(e.difference)} per 1,000 "
            f"({diff(e.difference_lb)} to {diff(e.difference_ub)})")


def _risk_range(e: Any) -> str:
    """The interval of the risk with the intervention, "(123 to 1,000, capped: ...)".

    A bound the ratio would put beyond 0 or 1,000 per 1,000 is cut there
    (:func:`metareview.absolute.absolute_effect`), and said beside the bound it cut: after
    the difference's interval, a note in brackets of its own ("(2 fewer to 875 more) (a
    bound capped ...)") left a reader to find which of the numbers before it was cut.
    """
    per = _per_1000
    inner = f"{per(e.intervention_lb)} to {per(e.intervention_ub)}"
    if not e.capped:
        return f"({inner})"
    low, high = e.intervention_lb <= 0.0, e.intervention_ub >= 1000.0
    which = ("both bounds capped" if low and high else "the lower bound capped" if low
             else "the upper bound capped" if high else "a bound capped")
    return f"({inner}, {which}: a risk lies between 0 and 1,000 per 1,000)"


def _per_1000(x: float) -> str:
    """A count per 1,000, rounded: "1,000", "475"."""
    return f"{int(fixed(x, 0)):,}"


def _more_or_fewer(x: float) -> str:
    """A difference per 1,000 as a count: "202 more", "34 fewer"."""
    return f"{_per_1000(abs(x))} {'fewer' if x < 0 and not rounds_to_zero(x, 0) else 'more'}"


def scenarios_text(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """The effect per 1,000 at each of the analysis's ``risk_scenarios``, or "".

    "Low risk (50 per 1,000 with B; Source A): 87 per 1,000 (71 to 105) with A, 37 more
    per 1,000 (21 more to 55 more)", one clause per scenario, as a summary-of-findings
    table gives its low- and high-risk rows (Cochrane Handbook 14.1.5.1).
    """
    out = []
    per, diff = _per_1000, _more_or_fewer
    for sc in _config_entry(ctx, r["analysis"]["id"]).get("risk_scenarios") or []:
        found = _absolute(r, {"value": sc["value"], "source": sc["source"]})
        if found is None:
            return ""
        e = found[0]
        out.append(f"{escape(sc['label'])} ({per(e.comparator)} per 1,000 with "
                   f"{escape(_in_sentence(r['analysis']['comparator_label'], _names(ctx)))}; {escape(sc['source'])}): {per(e.intervention)} per "
                   f"1,000 {_risk_range(e)} with "
                   f"{escape(_in_sentence(r['analysis']['intervention_label'], _names(ctx)))}, {diff(e.difference)} per 1,000 "
                   f"({diff(e.difference_lb)} to {diff(e.difference_ub)})")
    return "; ".join(out)


def assumed_risk(ctx: ReportContext, analysis_id: str) -> Mapping[str, Any] | None:
    """The comparator risk the config assumes for an analysis (``comparator_risk``), if any."""
    return _config_entry(ctx, analysis_id).get("comparator_risk")


def _single_study_text(ctx: ReportContext, result: Mapping[str, Any]) -> Markdown:
    """A single trial's effect as the summary gives it: estimate, interval, what it shows,
    then its caveats (:func:`_single_study_parts`, joined)."""
    effect, caveats = _single_study_parts(ctx, result)
    return Markdown(effect + caveats)


def _single_study_parts(ctx: ReportContext, result: Mapping[str, Any], *,
                        doubts: bool = False) -> tuple[Markdown, Markdown]:
    """A single trial's effect as the summary gives it: estimate, interval, what it shows;
    and its caveats, each led by ``"; "`` (``""`` for none).

    With ``doubts``, for a line that gives the effect without its caveats (the summary's
    list of single trials), the effect names after the trial's label what bears on how far
    it can be trusted, a short clause each (:func:`_study_doubts_in_brief`): "Trial C,
    using a value extracted with low confidence, SMD ...".

    A bare estimate ("RR 3.76") reads as a finding; the interval and whether it excludes
    no effect say how much one trial shows, and a study from a secondary source whose
    identity is uncertain says so.
    """
    a, s = result["analysis"], result["studies"][0]
    level = float(ctx.config["methods"].get("level", 95))
    # A study known only from a secondary source says so first: nothing here can check its
    # numbers against a publication, and its effect and interval are computed here from
    # what that source prints (a Cohen's d, with arm sizes assumed where it gives only a
    # total), so what the interval shows holds only if that number is right.
    secondary = s.get("source_level") == "secondary"
    lead = condition = ""
    if secondary:
        assumed = [f for f in s.get("flags", []) if f.startswith("arm sizes assumed")]
        form = escape(str(s.get("form") or "its numbers").removeprefix("reported "))
        lead = (f"known only from a secondary source (study identity {escape(s['identity_confidence'])}); computed "
                f"here from what it reports ({form}){', with ' + escape('; '.join(assumed)) if assumed else ''}: ")
        condition = escape("if that source's number is right") + ", "
    said = _baseline_text(a, s)
    baseline = f"; {said}" if said else ""
    unsettled = exact_test_disagrees(s, level)
    baseline += (_reported_p_clause(ctx, a, s) + ("" if unsettled else _exact_p_clause(s))
                 + _population_clause([s], single=True))
    if s.get("read_elsewhere"):
        # (Never of a secondary source, whose every number is read elsewhere already.)
        baseline += "; " + escape(f"it uses {READ_ELSEWHERE_TRIAL}")
    if not secondary and s.get("low_confidence"):
        # (A secondary source's numbers are in doubt already, as the lead says.)
        baseline += "; " + escape("a value it uses was extracted with low confidence, as its raw row rates it")
    if _from_medians(s):
        # Flagged wherever the effect is used: the summary is where most readers stop.
        baseline += "; " + escape(f"it uses {MEDIAN_CAVEAT}")
    native = s.get("native_difference")
    points = "" if native is None else (
        f", a difference of {f2(native['difference'], 1)} points on the {escape(ranges(native['instrument']))}")
    if points and s["yi"] != 0 and not rounds_to_zero(native["difference"], 1) and excludes_no_effect(s):
        # The points are a magnitude: whom they favour is said where the interval lies
        # wholly on one side. Otherwise the interval's clause gives the point estimate's
        # side once, after saying it is compatible with no difference: said first, beside
        # the points, it read as a finding.
        points += " in favour of " + escape(_in_sentence(a["intervention_label" if favours_intervention(a, s["yi"])
                                                          else "comparator_label"], _names(ctx)))
    brief = ""
    if doubts:
        # A secondary source's lead says it, and its assumed arm sizes, already; its
        # numbers are in doubt whatever the extraction's confidence, as above.
        doubts_said = [one for one, _ in _study_doubts_in_brief(s) if not secondary or one not in (
            SECONDARY, "using a value extracted with low confidence", "with arm sizes assumed equal")]
        brief = f", {escape(join_and(doubts_said))}" if doubts_said else ""
    return (Markdown(f"{lead}{escape(s['label'])}{brief}, {escape(a['measure'])} {f2(shown(a, s['yi']))} ({level:g}% CI "
                     f"{ci_text(shown(a, s['ci_lb']), shown(a, s['ci_ub']))}){md_points(ctx, a)}{points}; "
                     f"{condition}{_disagreement_text(a, s, level, proper=_names(ctx)) if unsettled else _interval_shows(a, s['yi'], s, proper=_names(ctx))}"),
            Markdown(baseline))


def _interval_shows(analysis: Mapping[str, Any], estimate: float, interval: Mapping[str, Any], proper: Collection[str] = ()) -> Markdown:
    """What an interval (``ci_lb``/``ci_ub``, analysis scale) shows, and whom it favours if it excludes no difference."""
    if not excludes_no_effect(interval):
        # Which side the point estimate is on still tells the reader how to read the sign
        # (a positive SMD favours the comparator), though the interval settles nothing.
        if estimate == 0:
            return Markdown(f"the confidence interval {INCLUDES}")
        leans = analysis["intervention_label" if favours_intervention(analysis, estimate) else "comparator_label"]
        # The label inside the bracket: its own brackets as commas (in_brackets).
        return Markdown(f"the confidence interval {INCLUDES} (point estimate on the side of "
                        f"{escape(in_brackets(_in_sentence(leans, proper)))})")
    who = analysis["intervention_label" if favours_intervention(analysis, estimate) else "comparator_label"]
    return Markdown(f"the whole confidence interval favours {escape(_in_sentence(who, proper))}")


def analysis_names(ctx: ReportContext) -> dict[str, str]:
    """Each analysis by its treatments and outcome, e.g. "Acupuncture vs Usual care (pain intensity)".

    Readers know analyses by what they compare, not by their config ids. Two analyses
    of the same comparison and outcome (other windows or measures, say) add the window,
    then the measure, and as a last resort the id, so each name stays unique.
    """
    def base(a: Mapping[str, Any], *extra: str) -> str:
        # Inside the name's brackets, the outcome's and a full window label's own as commas
        # (in_brackets): "(pain (vas))" nested them.
        inside = [in_brackets(x) for x in (_in_sentence(a['outcome_label']), *extra)]
        return f"{a['intervention_label']} vs {a['comparator_label']} ({', '.join(inside)})"

    def window(a: Mapping[str, Any]) -> str:
        # The window by its name, as the section headings give it ("short term"): its full
        # label, "Short term (1 to 12 weeks, nearest to 12 weeks)", put brackets inside
        # the name's own, which every table and sentence naming the analysis repeated.
        return _in_sentence(a["window_label"].split("(")[0].strip() or a["window_label"])

    analyses = [r["analysis"] for r in ctx.analyses]
    # The name where it tells the window from the others, else the full label (two windows
    # "Short term (1 to 6 weeks)" and "Short term (1 to 12 weeks)"); with the measure after
    # it too, where two analyses of one window differ only in that.
    labels_of: dict[str, set[str]] = {}
    for a in analyses:
        labels_of.setdefault(window(a), set()).add(a["window_label"])

    def when(a: Mapping[str, Any]) -> str:
        return window(a) if len(labels_of[window(a)]) == 1 else _in_sentence(a["window_label"])

    names = {a["id"]: base(a) for a in analyses}
    for extra in (lambda a: [when(a)], lambda a: [when(a), a["measure"]],
                  lambda a: [when(a), a["measure"], a["id"]]):
        counts = Counter(names.values())
        names = {a["id"]: base(a, *extra(a)) if counts[names[a["id"]]] > 1 else names[a["id"]] for a in analyses}
    return names


def analysis_title(analysis: Mapping[str, Any]) -> str:
    """An analysis's title as its Results section heading gives it (plain text, unescaped):
    "Acupuncture vs Sham: pain intensity, short term"."""
    return (f"{analysis['intervention_label']} vs {analysis['comparator_label']}: "
            f"{_in_sentence(analysis['outcome_label'])}, {_in_sentence(analysis['window_label'].split('(')[0].strip())}")


def section_titles(analyses: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each analysis's Results heading (plain text, unescaped): its :func:`analysis_title`,
    told apart from another analysis's of the same title as :func:`analysis_names` tells
    their names apart.

    Two analyses of one comparison, outcome and window on two measures (a risk ratio and
    an odds ratio) had two sections of one heading, and the table of contents listed it
    twice. Such headings add the window's full label where only it differs, then the
    measure ("BCG vaccine vs No vaccine: tuberculosis, follow-up, RR"), then the id.
    ``analyses`` are the results' ``analysis`` entries; the titles are by id.
    """

    def short(a: Mapping[str, Any]) -> str:
        return _in_sentence(a["window_label"].split("(")[0].strip())

    labels_of: dict[str, set[str]] = {}
    for a in analyses:
        labels_of.setdefault(short(a), set()).add(a["window_label"])

    def title(a: Mapping[str, Any], *extra: str) -> str:
        when = short(a) if len(labels_of[short(a)]) == 1 else _in_sentence(a["window_label"])
        return ", ".join((f"{a['intervention_label']} vs {a['comparator_label']}: {_in_sentence(a['outcome_label'])}",
                          when, *extra))

    titles = {a["id"]: analysis_title(a) for a in analyses}
    for extra in (lambda a: [], lambda a: [a["measure"]], lambda a: [a["measure"], a["id"]]):
        counts = Counter(titles.values())
        titles = {a["id"]: title(a, *extra(a)) if counts[titles[a["id"]]] > 1 else titles[a["id"]] for a in analyses}
    return titles


def analysis_refs(ctx: ReportContext) -> dict[str, Markdown]:
    """Each analysis and indirect comparison as the appendices name it: its title, as its
    section heading gives it, then its id in a code span ("Acupuncture vs Sham: pain
    intensity, short term (`acu_vs_sham_pain`)").

    A reader of the printed report knows an analysis by its heading, not by its config id;
    an auditor needs the id too, to find its files (results/analyses/ID.json, the rows of
    results/report/audit.csv).
    """
    refs = {}
    titles = section_titles([r["analysis"] for r in ctx.analyses if all(r["analysis"].get(k) for k in (
        "intervention_label", "comparator_label", "outcome_label", "window_label"))])
    for r in ctx.analyses:
        a = r["analysis"]
        # An analysis without its labels (never one the pipeline writes) keeps its id alone.
        refs[a["id"]] = Markdown(f"{escape(titles[a['id']])} (`{a['id']}`)" if a["id"] in titles else f"`{a['id']}`")
    for x in ctx.indirect:
        refs[x["id"]] = Markdown(f"{escape(indirect_heading(ctx, x))} (`{x['id']}`)")
    return refs


def indirect_heading(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """An indirect comparison's title as its section heading gives it (plain text):
    "Dry needling vs Acupuncture: pain intensity", with the window ("..., short term")
    for an outcome the review analyses in more than one.

    Two comparisons of the same treatments and outcome in two windows otherwise had the
    same heading, and the audit trail named them alike.
    """
    outcome = ctx.labels.get(x.get("outcome", ""), x.get("outcome", ""))
    window = (ctx.config.get("windows") or {}).get(x.get("window", ""))
    # As the summary's bottom line names the outcome: its window only where it has several.
    windows = ({r["analysis"].get("window") for r in ctx.analyses if r["analysis"].get("outcome") == x.get("outcome")}
               | {y.get("window") for y in ctx.indirect if y.get("outcome") == x.get("outcome")})
    what = [_in_sentence(outcome)] if outcome else []
    if what and window and len(windows) > 1:
        what.append(_in_sentence(str(window["label"]).split("(")[0].strip()))
    return f"{x['treatment_a_label']} vs {x['treatment_b_label']}" + (f": {', '.join(what)}" if what else "")


#: The id that closes an analysis's name in an appendix note ("... short term (`acu_vs_sham`)").
_REF_ID = re.compile(r"\(`([a-z][a-z0-9_]*)`\)")


def _noted_analysis(note: str) -> str:
    """The id of the analysis an appendix note (a row's fate) names first."""
    found = _REF_ID.search(note)
    return found.group(1) if found else ""


def _unnamed_only(ctx: ReportContext, x: Mapping[str, Any]) -> list[str]:
    """The ends of an indirect comparison (``treatment_a``, ``treatment_b``) that a usable
    trial compares with no named third treatment on any measure, only with a control its
    sources do not name (:data:`metareview.normalise.UNNAMED`), which cannot be assumed to
    be the same treatment on both sides."""
    out = []
    for end, key in (("treatment_a", "comparators_a"), ("treatment_b", "comparators_b")):
        held = [*x[key], *(c for o in x["other_measures"] for c in o[key])]
        if not [c for c in held if c != UNNAMED]:
            out.append(x[end])
    return out


def _unanchored_reason(ctx: ReportContext, x: Mapping[str, Any], lacking: Sequence[str]) -> str:
    """Why nothing anchors an indirect comparison whose ends ``lacking`` have no usable trial
    against a named third treatment (:func:`_unnamed_only`), as the data show it: "no usable
    trial of dry needling against a named third treatment reports it (its trials against
    sham, minimal needling or placebo TENS are set aside)" where the data hold such trials,
    "no trial of ... " where they hold none, then why an unnamed control anchors nothing.
    The words follow the data: a comparator with trials none of which is usable is not one
    without trials (Cochrane Handbook, chapter 11: an anchored comparison needs a common
    comparator with trial results on both sides)."""
    ends = {x["treatment_a"]: x["treatment_a_label"], x["treatment_b"]: x["treatment_b_label"]}
    said = []
    for node in lacking:
        label = escape(_in_sentence(ends[node], _names(ctx)))
        aside = []
        for r in ctx.analyses:
            a = r["analysis"]
            if (a["outcome"], a["window"]) != (x["outcome"], x["window"]) or node not in (a["intervention"], a["comparator"]):
                continue
            other = a["comparator"] if a["intervention"] == node else a["intervention"]
            if other in ends or other == UNNAMED or not (r.get("studies") or r.get("excluded")):
                continue
            aside.append(in_brackets(_in_sentence(a["comparator_label"] if other == a["comparator"]
                                                  else a["intervention_label"], _names(ctx))))
        aside = list(dict.fromkeys(aside))
        # "against A and against B": labels holding commas, run together, read as more groups.
        said.append(f"no usable trial of {label} against a named third treatment reports it (its trials against "
                    f"{escape(_with_each(aside, 'against'))} are set aside)" if aside else
                    f"no trial of {label} against a named third treatment reports it")
    unnamed = any(UNNAMED in x[key] or any(UNNAMED in o[key] for o in x["other_measures"])
                  for key in ("comparators_a", "comparators_b"))
    # The unnamed controls the trials do have: comparing through them would assume the
    # two sides' controls are one treatment.
    tail = (", and a control the sources leave unnamed cannot be assumed to be one treatment on both sides"
            if unnamed else "")
    return "; ".join(said) + tail


def _claims_summary(ctx: ReportContext) -> list[str]:
    """One Summary paragraph per source of narrative claims: whose claims they are, "no claim
    is supported" when none is (that none can be checked, when none can), and a list of each
    verdict with its claims.

    A reader who stops at the Summary must not carry away the source's claims as findings:
    a bare count ("5 not checkable") names neither the source (a blog post, say) nor what
    it claimed, so the claims are listed with their verdicts, and the absence of any
    supported one is said rather than left to be inferred.
    """
    sources = {s.get("source_id"): s for s in ctx.raw_tables.get("sources", [])}
    by_source: dict[Any, list[Mapping[str, Any]]] = {}
    for c in ctx.claims:
        by_source.setdefault(c.get("source_id"), []).append(c)
    order = {"supported": 0, "not supported": 1}
    lines = []
    for sid, claims in by_source.items():
        s = sources.get(sid)
        who, cited = _claims_source(ctx, sid), ""
        # The reference after the claims, a line of its own: in brackets after "the blog
        # post", a citation of sentences and brackets of its own ("Alex (physical
        # therapist). Dry Needling ...") broke the sentence that says what was checked.
        if s is not None and s.get("citation"):
            cited = "\n\n" + escape(f"The {who.removeprefix('the ')} whose claims these are: "
                                     f"{s['citation'].rstrip('.')}.")
        verdicts: dict[str, list[str]] = {}
        for c in claims:
            verdicts.setdefault(c["verdict"], []).append(escape(f"\u201c{c['claim'].rstrip('.')}\u201d"))
        # A point per verdict, a claim per line under it: six claims in one sentence,
        # separated by semicolons, were hard to tell apart.
        points = [f"- {len(v)} {escape(k)}: {v[0]}" if len(v) == 1
                  else f"- {len(v)} {escape(k)}:\n" + "\n".join(f"  - {claim}" for claim in v)
                  for k, v in sorted(verdicts.items(), key=lambda kv: (order.get(kv[0], 2), kv[0]))]
        # The claims are listed as the team worded them (claims.csv's ``claim``), in
        # quotation marks that set them apart from findings: said to be this review's
        # words, so that no reader takes them for the source's, and pointed to the table
        # that gives the source's own beside them.
        words = any(c.get("quote") for c in claims)
        head = (escape(f"Claims of {who}, as this review words them, checked against the data rather than taken on "
                       "trust") + " (see @tbl-claims" + (escape(f", with {who}\u2019s own words") if words else "")
                + ")")
        # Every claim not checkable: "no claim is supported", the words of the verdict "not
        # supported" (data that do not bear a claim out), read as if the data had been
        # held against each claim and found wanting, when none could be.
        excluded = _claims_a_trial_excludes(ctx, claims)
        if "supported" in verdicts:
            head += ":"
        elif set(verdicts) == {"not checkable from the data"} and excluded:
            # "None can be checked" hid what the data do show: the one trial on a claim
            # excludes it, though one trial settles no claim.
            head += (": no claim can be settled by these data, so none is supported by them. " + " ".join(excluded))
        elif set(verdicts) == {"not checkable from the data"}:
            head += ": no claim can be checked against these data, so none is supported by them."
        else:
            head += ": no claim is supported by these data." + "".join(f" {x}" for x in excluded)
        lines.append(head + "\n\n" + "\n".join(points) + cited)
    return lines


def _claims_a_trial_excludes(ctx: ReportContext, claims: Sequence[Mapping[str, Any]]) -> list[str]:
    """Sentences for each claimed mean difference that the interval of the one trial on
    it excludes (the claim's ``trial_check``, :func:`metareview.claims.check_claim`): "On
    “...”, the data hold one trial, Brinkhaus et al. (2006), whose interval excludes the
    claimed difference of −2.30 points on the 0 to 10 scale (MD −0.51, 95% CI −1.39 to
    0.37); one trial settles no claim here, so the claim stays not checkable from the
    data." Then each published review's mean difference on the same comparison (the
    check's ``reviews``), with whether its interval holds the claimed difference.

    The verdict stays not checkable; what the trial shows is the one finding of the trials
    here on the claim, and the summary must not read as if the data said nothing. "The one
    trial that can test it excludes it", before the claim listed as not checkable, read as
    a contradiction; and the trial alone, beside a published review whose interval holds
    the claim (Yang 2021, MD −2.60, −3.89 to −1.31, against sham), read as a refutation."""
    level = float(ctx.config["methods"].get("level", 95))
    analyses = {r["analysis"]["id"]: r["analysis"] for r in ctx.analyses}
    out: list[str] = []
    for c in claims:
        check = c.get("trial_check")
        if not check or not check.get("excludes"):
            continue
        # A trial check is always of an MD analysis (the claim's measure).
        scale = md_scale(ctx, {**analyses.get(check.get("analysis"), {}), "measure": "MD"})
        unit = f" points on the {scale} scale" if scale else ""
        said = [(f"On \u201c{c['claim'].rstrip('.')}\u201d, the data hold one trial, {check['label']}, whose interval "
                 f"excludes the claimed difference of {f2(check['claimed'])}{unit} (MD {f2(check['estimate'])}, "
                 f"{level:g}% CI {ci_text(check['ci_lb'], check['ci_ub'])}); one trial settles no claim here, so the "
                 "claim stays not checkable from the data.")]
        for x in check.get("reviews") or []:
            on = ("" if x.get("scale_stated") else
                  f", on a scale it does not state (read here as the {scale} scale, as the claim is)" if scale else
                  ", on a scale it does not state")
            x_level = float(x.get("ci_level") or level)
            # In apposition, closed by a comma, the label's own commas ("Lee et al.
            # (2023), NMA") inside it.
            said.append(f"A published review shown apart, {x['label']}, prints MD "
                        f"{f2(x['estimate'])} ({x_level:g}% CI {ci_text(x['ci_lb'], x['ci_ub'])}) on the same "
                        f"comparison{on}, an interval that {'holds' if x['holds'] else 'excludes'} the claimed "
                        "difference.")
        out.append(escape(" ".join(said)))
    return out


def as_sentences(clauses: str) -> Markdown:
    """Clauses given as ``"; a; b (c; d)"`` as sentences: ``" A. B (c; d)."``.

    Parameters
    ----------
    clauses : str
        Markdown clauses, each led by ``"; "``, as the summary's caveat helpers return them.

    Returns
    -------
    Markdown
        Each clause (split at ``"; "`` outside brackets, so a parenthesis or a link keeps
        its own) with its first letter capitalised and a full stop (unless it ends with
        one), each after a space;
        ``""`` for no clauses.

    Notes
    -----
    Backslash-escaped brackets (``\\(``) are text, not grouping, and are not counted.
    """
    pieces, depth, start, i = [], 0, 0, 0
    while i < len(clauses):
        ch = clauses[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif depth == 0 and clauses.startswith("; ", i):
            pieces.append(clauses[start:i])
            start = i + 2
            i += 2
            continue
        i += 1
    pieces.append(clauses[start:])
    sentences = [p.strip() for p in pieces if p.strip()]
    # A clause ending in an abbreviation ("et al.") takes no second full stop.
    return Markdown("".join(f" {p[:1].upper()}{p[1:]}{'' if p.endswith('.') else '.'}" for p in sentences))


def summary_section(ctx: ReportContext) -> Markdown:
    lines = []
    names = analysis_names(ctx)
    # Analyses with nothing to say but "no usable study" share one line, by comparison:
    # a line each pushed the results a reader looks for down the page.
    empty: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for r in detailed_analyses(ctx):
        a = r["analysis"]
        name = names[a["id"]]
        p = r["pooled"]
        certainty = _certainty_clause(ctx, r)
        external = _external_sentence(r, proper=_names(ctx), repeated=repeated_refs(ctx), ctx=ctx)
        if r["status"] == "pooled":
            # The estimate and what its interval shows make the first sentence; each caveat
            # follows as a sentence of its own (one sentence of 150 words was unreadable).
            lines.append(f"{escape(name)}: {a['measure']} {f2(shown(a, p['estimate']))} "
                         f"({p['level']:g}% CI {ci_text(shown(a, p['ci_lb']), shown(a, p['ci_ub']))}; k = {p['k']})"
                         f"{md_points(ctx, a)}; "
                         f"{_interval_shows(a, p['estimate'], p, proper=_names(ctx))}{_sensitivity_caveat(r)}."
                         + mid_markdown(ctx, a, p["ci_lb"], p["ci_ub"])
                         + as_sentences(f"{_few_studies_caveat(r)}"
                                        f"{_pooled_study_caveats(r)}{_population_clause(r['studies'])}"
                                        f"{_absolute_clause(ctx, r)}{_set_aside(r, ctx=ctx)}{certainty}"))
        elif r["status"] == "single_study":
            # The trials it could not use too: "one study only" alone hides a trial set
            # aside for its value type (Meng 2003's change scores beside final values).
            # Its caveats as sentences of their own, as a pooled estimate's are.
            effect, caveats = _single_study_parts(ctx, r)
            lines.append(f"{escape(name)}: one study only, not pooled: {effect}."
                         + mid_markdown(ctx, a, r["studies"][0]["ci_lb"], r["studies"][0]["ci_ub"])
                         + as_sentences(f"{caveats}{_absolute_clause(ctx, r)}{_set_aside(r, ctx=ctx)}{certainty}"))
        elif r["status"] == "not_poolable":
            lines.append(f"{escape(name)}: {r['k']} studies, not pooled ({escape(r['reason'])})."
                         + as_sentences(certainty))
        elif not certainty and not external:
            empty.setdefault((a["intervention_label"], a["comparator_label"]), []).append(r)
            continue
        else:
            # The trials it set aside and its certainty as sentences after the status, as
            # a single study's caveats are.
            lines.append(f"{escape(name)}: no usable study." + as_sentences(f"{_set_aside(r, ctx=ctx)}{certainty}"))
        lines[-1] += external
    if empty:
        groups, any_aside = [], False
        for (i, c), rs in empty.items():
            # Each analysis by what its name adds to the pair (an outcome, and a window
            # where two share it), with the trials it set aside; said once for the group
            # when every analysis set aside the same ones.
            what = [escape(names[r["analysis"]["id"]][len(f"{i} vs {c} ("):-1]) for r in rs]
            asides = [_aside_labels(r) for r in rs]
            any_aside = any_aside or any(asides)
            if len(set(asides)) == 1:
                # "pain intensity and back-specific disability", as prose lists them.
                listed = join_and(what)
                tail = f", setting aside {escape(join_and(list(asides[0])))}" if asides[0] else ""
            else:
                # Which analysis set which trials aside, a sentence each after the list: run
                # into one list, a label with a comma in it ("Rajfur et al. (2024), authors
                # unverified") left no telling which trials went with which analysis.
                listed = join_and(what)
                tail = "".join(f". Set aside for {w}: {escape(join_and(list(x)))}"
                               for w, x in zip(what, asides, strict=True) if x)
            # Which way those trials' own reports went, a sentence after them.
            direction = _aside_direction(ctx, rs)
            if direction:
                tail += f". {escape(direction.removesuffix('.'))}"
            groups.append(f"{escape(f'{i} vs {c}')} ({listed}){tail}")
        # A sentence for each comparison: one line of 70 words, the comparisons and their
        # trials separated by semicolons, was hard to take apart.
        lines.append(" ".join(f"{'No usable study for' if k == 0 else 'Nor for'} {g}." for k, g in enumerate(groups))
                     + (" @tbl-excluded says why each was set aside." if any_aside else ""))
    # An anchored indirect comparison's estimate, beside the analyses it comes from; a
    # comparison that could not be anchored is said in the bottom line, and why in its
    # own section, not a third time here.
    lines.extend(_indirect_summary_line(ctx, x) for x in ctx.indirect if x["status"] == "anchored")
    bullets = "\n".join(f"- {line}" for line in lines) + "\n"
    if not any("](#sec-external)" in line for line in lines):
        return Markdown(bullets)
    # Said once here rather than on every line that gives reviews.
    return Markdown("Analysis by analysis: the trials in these data, then the published meta-analyses of the "
                    "same comparison, which are shown apart and never pooled with the trials (reviews share "
                    "trials and differ in scope and population, so they are not independent evidence).\n\n"
                    + bullets)


def _indirect_summary_line(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """The summary's line on an indirect comparison: an anchored one with its estimate.

    "Through Usual care (Bucher method)" alone sent the reader to the indirect section for
    the one number the line is about; an anchored comparison gives each estimate, its
    interval and what the interval shows, as the lines on the analyses beside it do. The
    side an estimate favours follows the analyses of the same outcome and measure (a
    beneficial event's ratio above 1 favours the first treatment, a mean difference below 0).
    """
    if x["status"] != "anchored":
        return escape(x["finding"])
    log = x.get("scale") == "log"
    same = [r["analysis"] for r in ctx.analyses
            if r["analysis"].get("outcome") == x["outcome"] and r["analysis"].get("measure") == x["measure"]]
    side = {"intervention_label": x["treatment_a_label"], "comparator_label": x["treatment_b_label"],
            "favours_intervention_when": (same[0].get("favours_intervention_when", "below") if same
                                          else "above" if log else "below")}
    outcome = _in_sentence(ctx.labels.get(x["outcome"], x["outcome"]))
    # A trial of all three left out of both sides is named here too: the line is what a
    # reader of the summary takes away, and the estimate is not of every trial against C.
    estimates = "; ".join(
        f"through {escape(_in_sentence(c['comparator_label'], _names(ctx)))}"
        + (f" (without {escape(join_and([in_brackets(t) for t in c['shared']]))}, a trial of all three counted as "
           "direct evidence)"
           if c.get("shared") else "")
        + f", {x['measure']} {f2(_ix(c, 'estimate', log))} "
        f"({x['level']:g}% CI {ci_text(_ix(c, 'ci_lb', log), _ix(c, 'ci_ub', log))}): "
        f"{_interval_shows(side, c['estimate'], c, proper=_names(ctx))}"
        # An indirect MD is read against its outcome's MID as a pooled one is.
        + mid_markdown(ctx, x, c["ci_lb"], c["ci_ub"], brief=True) for c in x["anchored"])
    return (f"Indirect comparison of {escape(_in_sentence(x['treatment_a_label'], _names(ctx)))} and "
            f"{escape(_in_sentence(x['treatment_b_label'], _names(ctx)))} "
            f"({escape(in_brackets(outcome))}), {estimates} (Bucher method; see the [indirect comparison](#sec-indirect)).")


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
            n_from = (f"{_ref_text(ctx, one['ref'])} and {_ref_text(ctx, two['ref'])}: {one['n_source']} "
                      f"{one['n']:g} + {two['n_source']} {two['n']:g}")
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


def _aside_audit_row(ctx: ReportContext, r: Mapping[str, Any], e: Mapping[str, Any]) -> list[Any] | None:
    """The audit row of what a trial analysis ``r`` set aside reports of its comparison
    (the summary's "Both report a difference favouring dry needling (p < 0.001 and p ≤
    0.001; 40 and 30 participants)", :func:`_aside_direction`), or None when no row of the
    trial says which way it went: its raw rows and cells, and for each row the side, the
    p-value and the participants' count as printed, and any effect the row reports with
    its interval, with why it cannot enter the analysis (:data:`ASIDE_RESULT`). No effect
    size is made of it."""
    doc = _study_docs(ctx).get(e.get("study_id", ""))
    reports = _aside_reports(ctx, r["analysis"], doc) if doc is not None else []
    if not reports:
        return None
    steps = []
    for x in reports:
        side = ("no statistically significant difference" if x["side"] == "none" else f"favours {x['label']}"
                + {True: ", clear of no difference", False: ", not statistically significant",
                   None: ""}[x["clear"]])
        if x["shared"] is not None:
            side = (f"one test of its {join_list(list(x['shared'][0]))} arms together against {x['shared'][1]}, "
                    "not of this comparison: no direction of it taken")
        parts = [side]
        if x["effect"] is not None:
            parts.append("an effect with its interval, not used" + (f": {join_and(list(x['effect']))}"
                                                                    if x["effect"] else ""))
        if x["p"] is not None:
            parts.append(f"p {x['p'][1]} {typed(x['p'][0])}"
                         + (f", read in {x['read_in']}, not in the trial\u2019s own report" if x["read_in"] else ""))
        if x["n"]:
            parts.append(f"participants {x['n_from']} = {x['n']:g}")
        if x["over"]:
            parts.append(f"over follow-up, a group \u00d7 time interaction test, not one timepoint ({x['when']})")
        elif x["when"] is not None:
            parts.append("outside the window: " + (f"week {x['when']:g}" if isinstance(x["when"], float)
                                                   else f"timepoint given in words only ({x['when']})"))
        if x["low"]:
            parts.append("extracted with low confidence")
        steps.append(f"{_ref_text(ctx, x['ref'])}: " + "; ".join(parts))
    refs = [x["ref"] for x in reports]
    # Kong 2020's MD with its interval, labelled "no effect size", met an auditor with
    # an estimate and an interval in the very row.
    quantity = (ASIDE_RESULT if any(x["effect"] is not None for x in reports) else ASIDE_DIRECTION)
    return [r["analysis"]["id"], quantity, e["study_id"], None, None,
            "; ".join(_ref_text(ctx, ref) for ref in refs),
            "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in refs),
            "direction, effect and p-value as reported" if quantity == ASIDE_RESULT else "direction and p-value as reported",
            " | ".join(steps) + " (not used in any estimate)"]


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
    ``p_only``, ``own`` (its own effect printed beside the analysis) and ``stated`` (the
    findings its statements in words of the comparison and outcome give: "a difference
    favouring acupuncture", "no difference")."""
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
                                                  "shared": {}, "read_in": {},
                                                  "secondary": doc["study"].get("source_level") == "secondary",
                                                  "undirected": "", "low_n": 0})
            # Meng 2003's own effect from its arms, printed beside the analysis: not a
            # trial of p-values only.
            t["own"] = t["own"] or bool(e.get("own_effect"))
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
                    continue
                t["rows"][x["ref"]] = (x["side"], x["clear"], x["label"], x["p"], x["n"])
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
        said.setdefault(kind, []).append((t["label"], bound, n if not n or not t["n_arms"]
                                          else f"{n:g} participants in {t['n_arms']} arms",
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


def _exact_disagreement(test_finds: bool, toward: str, p: float, smallest: int | None = None) -> str:
    """"this approximate (Wald) interval includes no difference, while a separate method,
    Fisher's exact test, finds one on acupuncture's side (p = 0.026): the two disagree because
    the counts are sparse, and the result is very imprecise", for a sparse table whose Wald
    interval and exact test fall on different sides of no difference (plain text).

    ``test_finds`` whether the test finds a difference (else the interval excludes one);
    ``toward`` where the result leans ("on acupuncture's side", "favouring acupuncture");
    ``smallest`` the table's smallest cell, said where given.

    The interval is metafor's (escalc and rma: Wald, on the log scale), as every effect the
    report prints; the exact test answers another question by another method, so neither
    is said to overrule the other. What sets them apart is the sparse table, in which the
    Wald interval of a ratio is a rough approximation (Agresti 2013, *Categorical Data
    Analysis*, 3rd ed., chapter 3) and Fisher's test is conservative.
    """
    cell = f" (a cell of {smallest})" if smallest is not None else ""
    said = (f"this approximate (Wald) interval includes no difference, while a separate method, Fisher\u2019s exact "
            f"test, finds one {toward} ({p_text(p)})" if test_finds else
            f"this approximate (Wald) interval lies wholly {toward}, while a separate method, Fisher\u2019s exact test, "
            f"finds no difference ({p_text(p)})")
    return f"{said}: the two disagree because the counts are sparse{cell}, and the result is very imprecise"


def _disagreement_text(a: Mapping[str, Any], s: Mapping[str, Any], level: float, proper: Collection[str] = ()) -> Markdown:
    """What a sparse table shows when its exact test and its Wald interval disagree: the
    interval's reading and the test's, as two methods (:func:`_exact_disagreement`)."""
    favoured = a["intervention_label" if favours_intervention(a, s["yi"]) else "comparator_label"]
    return Markdown(escape(_exact_disagreement(float(s["exact_p"]) < 1 - level / 100,
                                               f"favouring {_in_sentence(favoured, proper)}", float(s["exact_p"]),
                                               _smallest_cell(s))))


def _population_clause(studies: Sequence[Mapping[str, Any]], *, single: bool = False, pointer: bool = True) -> str:
    """"; Meng et al. (2003) enrolled a narrower population than this review's (see
    @tbl-trial-populations)" for the studies of an effect whose population is not the
    review's, or "": its result then applies to the review's question only in part."""
    which = [(s["label"], s["population_fit"]) for s in studies if s.get("population_fit") in POPULATION_WORDS]
    if not which:
        return ""
    said = "; ".join(f"{'the trial' if single else escape(label)} enrolled {POPULATION_WORDS[fit]} this "
                     "review\u2019s" for label, fit in which)
    # The table lists the trials that contribute to an analysis; a trial set aside is not in it.
    return f"; {said}" + (" (see @tbl-trial-populations)" if pointer else "")


def _moved(x: float) -> str:
    """A group's change from its baseline, improvement positive: "improved by 4.5"."""
    return f"improved by {f2(x, 1)}" if x >= 0 else f"worsened by {f2(-x, 1)}"


#: What a study effect from medians rests on, as the summary's lines say it.
MEDIAN_CAVEAT = "means and SDs estimated from medians with quartiles or ranges, assuming a roughly normal outcome"


def _from_medians(s: Mapping[str, Any]) -> bool:
    """Whether a study effect's means and SDs were estimated from medians (``form``)."""
    return str(s.get("form", "")).startswith("arm-level medians")


def _pooled_study_caveats(r: Mapping[str, Any]) -> str:
    """What a pooled estimate's studies bring that its reader must weigh, or "".

    In order: studies known only from a secondary source (their identity as rated), values
    their raw rows rate as extracted with low confidence, means and SDs estimated from
    medians, a window set by a timepoint's words alone, and studies whose arms already
    differed at baseline, with their weight: a final-value effect carries that difference,
    and when the heaviest study has it, the pooled estimate does too (Cochrane Handbook
    10.5.2). A single trial's line says the same of its one study (:func:`_single_study_text`).
    """
    a = r["analysis"]
    out = []
    # Studies with the same doubts share one clause: "A and B use values ...". Each doubt
    # as (verb, of one study, of several): "Lee and Park use a value its raw row rates"
    # spoke of one row of one study.
    doubts: dict[tuple[tuple[str, str, str], ...], list[str]] = {}
    for s in r["studies"]:
        said = []
        if s.get("source_level") == "secondary":
            known = f"{SECONDARY} (study identity {s.get('identity_confidence') or 'not rated'})"
            said.append(("be", known, known))
        if s.get("read_elsewhere"):
            # Numbers of a trial read in its own report but taken, for this effect, from
            # another document: as a secondary source's, they cannot be checked against
            # the publication (metareview.extract.read_elsewhere).
            said.append(("use", READ_ELSEWHERE_TRIAL, READ_ELSEWHERE_TRIALS))
        if s.get("low_confidence"):
            said.append(("use", "a value its raw row rates as extracted with low confidence",
                         "values their raw rows rate as extracted with low confidence"))
        if _from_medians(s):
            # A mean and SD estimated from a median assume a roughly normal outcome, often
            # the very thing a median was reported for (Cochrane Handbook 6.5.2.5).
            said.append(("use", MEDIAN_CAVEAT, MEDIAN_CAVEAT))
        if s.get("timepoint_weeks") is None and s.get("timepoint_label"):
            # No weeks: the window's terms placed it (normalise.term_window), as the
            # limitations list; a reader of the pooled line should not have to look.
            said.append(("be", "placed in this window by its timepoint's words alone",
                         "placed in this window by their timepoints' words alone"))
        if said:
            doubts.setdefault(tuple(said), []).append(s["label"])
    for shared, labels in doubts.items():
        one = len(labels) == 1
        verbs = [{"be": "is " if one else "are ", "use": "uses " if one else "use "}[verb] + (single if one else several)
                 for verb, single, several in shared]
        # The labels' list as Markdown: as_sentences would split "A, x; and B" at its "; ".
        out.append(f"{join_list([escape(x) for x in labels], markdown=True)} {escape(join_and(verbs))}")
    for s in r["studies"]:
        baseline = _baseline_text(a, s)
        if baseline:
            # A clause, not an apposition: "in Cherkin, 87% of the weight, the arms ..." read
            # as a list of places.
            weight = f", which carries {f2(s['weight'], 0)}% of the weight," if s.get("weight") is not None else ""
            out.append(f"in {escape(s['label'])}{weight or ','} {baseline}")
    return "".join(f"; {part}" for part in out)


def _baseline_text(a: Mapping[str, Any], s: Mapping[str, Any]) -> str:
    """"the arms already differed at baseline (SMD 0.19, in the same direction as the
    trial's effect), a difference that final values carry; from baseline, the intervention
    group improved by 4.5 and the comparator group by 4.4 points on the RMDQ, 0.1 points
    more in the intervention group" for a study effect whose arms differed at baseline, or "".

    The changes from baseline, and the gap between them, are the comparison the baseline
    difference does not distort (Cochrane Handbook 10.5.2).
    """
    base = s.get("baseline_imbalance")
    if base is None:
        return ""
    # The direction said against what: "in the same direction" alone left a reader to
    # guess whether it meant the effect's, the scale's or the other arm's. Against the
    # effect, it says whether the imbalance could account for some of it.
    side = "in the same direction as" if (base > 0) == (s["yi"] > 0) else "in the opposite direction to"
    effect = escape("the trial's effect")
    text = (f"the arms already differed at baseline ({escape(a['measure'])} {f2(base)}, {side} {effect}), "
            "a difference that final values carry")
    change = s.get("baseline_change")
    if change is not None:
        gap = change["intervention"] - change["comparator"]
        ahead = "intervention" if gap > 0 else "comparator"
        # The verb once when both groups moved the same way: "improved by 4.5 and the
        # comparator group by 4.4", not "improved by 4.5 and ... improved by 4.4".
        first, second = _moved(change["intervention"]), _moved(change["comparator"])
        if first.split(" by ")[0] == second.split(" by ")[0]:
            second = "by " + second.split(" by ", 1)[1]
        # Which arms a side is, where the trial has more than one of its treatment: the
        # figure is for those alone (or for them combined), not for every such arm.
        named = {what: (f" ({escape(join_and([_in_sentence(x) for x in arms]))}"
                        + (", combined)" if len(arms) > 1 else ")")) if arms else ""
                 for what in ("intervention", "comparator") for arms in [change.get(f"{what}_arms")]}
        text += (f"; from baseline, the intervention group{named['intervention']} {first} and the comparator "
                 f"group{named['comparator']} {second} points on the {escape(ranges(change['instrument']))}, "
                 + (f"{f2(abs(gap), 1)} points more in the {ahead} group" if not rounds_to_zero(gap, 1)
                    else "the same change"))
    return text


def _external_in_window(r: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """An analysis's published results at a timepoint in its window, or not stated in
    weeks (a week-6 result is no evidence for a medium-term analysis)."""
    return [e for e in r.get("external") or [] if not e.get("outside_window")]


def _result_sides(a: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Where each review's published results for an analysis lie, by review (study id):
    ``for`` (the interval wholly on the intervention's side), ``against`` (wholly on the
    comparator's) or ``neither``, for each result with a confidence interval."""
    by_review: dict[str, list[str]] = {}
    for e in entries:
        sides = by_review.setdefault(e["study_id"], [])
        if e["measure"] == "p_only" or e.get("ci_lb") is None or e.get("ci_ub") is None:
            continue
        bounds = (e["ci_lb"], e["ci_ub"])
        sides.append("for" if all(favours_intervention(a, x) for x in bounds) else
                     "against" if all(x != 0 and not favours_intervention(a, x) for x in bounds) else "neither")
    return by_review


def _review_verdict(sides: Sequence[str]) -> str:
    """A review's results taken together: ``for`` or ``against`` when all of those with an
    interval lie wholly on that side, ``neither`` otherwise, ``no interval`` without one.

    Reviews, not results: one review gives a result per timepoint, measure or outcome
    (Mu 2020's MD and its SMD are one finding), and counting each would weigh it more.
    """
    return "no interval" if not sides else sides[0] if len(set(sides)) == 1 else "neither"


def _review_sides(a: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each review's verdict (:func:`_review_verdict`) on an analysis's published results."""
    return {sid: _review_verdict(sides) for sid, sides in _result_sides(a, entries).items()}


def _external_sentence(r: Mapping[str, Any], proper: Collection[str] = (),
                       repeated: Collection[str] = frozenset(), ctx: ReportContext | None = None) -> str:
    """What the published meta-analyses an analysis shows apart say, review by review, or
    "" when it shows none, in short sentences: " [Published meta-analyses](#sec-external):
    6 reviews, every result of each with a confidence interval wholly on acupuncture's
    side; the SMDs of 4 of them range from −0.54 to −0.33. Not counted: ...".

    The summary's lines give the trials here; a reader who saw only them would miss a
    body of pooled evidence (often of more trials than the data hold) pointing another
    way. Reviews overlap in the trials they pool and differ in scope, which the line
    before the summary's list says (:func:`summary_section`) rather than add them up as
    independent evidence. With ``ctx``, reviews are counted as the summary's tallies count
    them (:func:`_count_once`), and the line says which were counted as one or are not on
    one side for their own statements.
    """
    a = r["analysis"]
    external, apart = _split_secondary(_external_in_window(r))
    elsewhere = len({e["study_id"] for e in r.get("external") or []}
                    - {e["study_id"] for e in [*external, *apart]})
    head = " [Published meta-analyses](#sec-external): "
    if not external:
        outside = (f"{elsewhere} {'review reports' if elsewhere == 1 else 'reviews report'} it at timepoints "
                   "outside this analysis's window only")
        if not apart:
            return f"{head}{outside}." if elsewhere else ""
        if not elsewhere:
            return _sub_points(f"{head.rstrip(': ')}, none counted:", _secondary_reviews(apart))
        return _sub_points(f"{head}{outside}. Not counted:", _secondary_reviews(apart))
    if ctx is not None:
        verdicts, alike, stated = _analysis_verdicts(ctx, a, external)
        verdicts = _worded_verdicts(a, external, verdicts, alike, stated)
        # Printed alike by two reviews counted as one: no longer a caveat.
        repeated = frozenset(repeated) - _alike_refs(ctx, external, alike)
        counted_once = [note[:1].upper() + note[1:] for note in (
            _alike_note(ctx, alike, bracketed=False),
            _stated_note(ctx, a["intervention"], stated, _side_of(_in_sentence(a["intervention_label"], proper)),
                         bracketed=False)) if note]
        external_sized = _tally_results([{**e, "tally_outcome": a["outcome"]} for e in external],
                                        set(verdicts), alike)
    else:
        verdicts, counted_once, external_sized = _review_sides(a, external), [], external
    sides = Counter(verdicts.values())
    n = sum(sides.values())
    for_side = _side_of(_in_sentence(a["intervention_label"], proper))
    against_side = _side_of(_in_sentence(a["comparator_label"], proper))
    # One clause per verdict ran to a sentence of 90 words with the rest; where every
    # review reads alike (the usual case) the count says it in a few words.
    if len(sides) == 1:
        (kind,) = sides
        each = "" if n == 1 else " of each"
        first = f"{n} {'review' if n == 1 else 'reviews'}, " + {
            "for": f"every result{each} with a confidence interval wholly on {for_side}",
            "against": f"every result{each} with a confidence interval wholly on {against_side}",
            "neither": f"not every result{each} wholly on one side",
            "for in words": f"every result{each} with a confidence interval wholly on {for_side}, but "
                            f"{'its' if n == 1 else 'their'} own words put {'it' if n == 1 else 'them'} on neither side",
            "against in words": f"every result{each} with a confidence interval wholly on {against_side}, but "
                                f"{'its' if n == 1 else 'their'} own words put {'it' if n == 1 else 'them'} on neither "
                                "side",
            "no interval": f"no result{' of any' if n > 1 else ''} with a confidence interval"}[kind]
    else:
        clauses = [f"in {sides[k]}, {what}" for k, what in (
            ("for", f"every result with a confidence interval lies wholly on {for_side}"),
            ("against", f"every result with a confidence interval lies wholly on {against_side}"),
            ("neither", "not every result lies wholly on one side"),
            *((f"{k} in words", f"every result with a confidence interval lies wholly on {side}, but the "
               + ("review\u2019s own words put it" if sides[f"{k} in words"] == 1
                  else "reviews\u2019 own words put them") + " on neither side")
              for k, side in (("for", for_side), ("against", against_side))),
            ("no interval", "no result has a confidence interval")) if sides[k]]
        listed = "; ".join(clauses)
        first = f"{n} reviews. {listed[:1].upper()}{listed[1:]}"
    sizes = _external_sizes(external_sized)
    sentences = [f"{first}; {sizes}" if sizes and len(sides) == 1 else first, *counted_once]
    if sizes and len(sides) > 1:
        sentences.insert(1, sizes[:1].upper() + sizes[1:])
    # A sentence each, or one naming the review once where every caveat is its own.
    # The caveats of the results counted, as the sizes are: a review's result that another
    # counted with it prints alike is that one finding, not a caveat of its own ("no level
    # stated for intervals of Yuan et al. (2015)", whose interval Acupunct Med 2020 prints
    # as 95%, after the two were counted as one).
    sentences += [c[:1].upper() + c[1:] for c in _review_caveats(external_sized, repeated, bracketed=False) if c]
    if elsewhere:
        sentences.append(f"{elsewhere} more {'reports' if elsewhere == 1 else 'report'} it only at timepoints "
                         "outside this analysis's window")
    # A sentence ending in an abbreviation ("et al.") takes no second full stop.
    said = head + " ".join(x if x.endswith(".") else f"{x}." for x in sentences)
    # Last, as a list nested in the analysis's line: the line ends there.
    return _sub_points(f"{said} Not counted:", _secondary_reviews(apart)) if apart else said


def _worded_verdicts(a: Mapping[str, Any], entries: Sequence[Mapping[str, Any]], verdicts: Mapping[str, str],
                     alike: Mapping[str, Sequence[str]], stated: Collection[str]) -> dict[str, str]:
    """``verdicts`` (:func:`_analysis_verdicts`) with each review on neither side for its
    own words alone, its intervals all on one side, as "for in words" or "against in
    words": Lee 2023, "not every result wholly on one side" beside an interval wholly on
    acupuncture's, read as a contradiction. Its intervals' side, for the words that say so."""
    by_interval = _result_sides(a, entries)
    for kept, others in alike.items():
        for other in others:
            by_interval[kept].extend(by_interval.pop(other, []))
    worded = {sid: side for sid in stated if verdicts.get(sid) == "neither"
              for side in [_review_verdict(by_interval.get(sid) or [])] if side in ("for", "against")}
    return {sid: f"{worded[sid]} in words" if sid in worded else v for sid, v in verdicts.items()}


def _external_sizes(entries: Sequence[Mapping[str, Any]]) -> str:
    """How large the published results are, not only which side they lie on: the range
    of their estimates on each scale-free measure (SMD, RR, OR), as the report prints
    them ("their SMDs range from −0.61 to −0.17"). Counting reviews by side alone is
    vote counting; mean differences are left out, their instruments and scales differing.
    """
    return "; ".join(size["said"] for size in _size_ranges(entries))


def _size_ranges(entries: Sequence[Mapping[str, Any]], reviews: int | None = None) -> list[dict[str, Any]]:
    """What :func:`_external_sizes` says of each scale-free measure, for its text and the
    audit rows of its counts and ranges (:func:`_size_audit_rows`): ``measure``, ``plural``,
    ``given`` (the results with an estimate, lowest first), ``of`` (the reviews giving
    one), ``reviews`` (all reviews of ``entries``, or of a tally ``entries`` are one outcome's)
    and ``said`` (the words printed).

    Given ``reviews``, the words name them: "the SMDs of 3 of the 5", not "of 3 of them".
    After a tally's "4 of 5", "them" read as the 4 on the treatment's side, the review the
    tally does not count there (Lee 2023's −0.13 against sham) among them."""
    out = []
    them = "them" if reviews is None else f"the {reviews}"
    reviews = reviews if reviews is not None else len({e["study_id"] for e in entries})

    def value(e: Mapping[str, Any]) -> float:
        return float(e["estimate_exp"] if e.get("log_scale") else e["estimate"])

    for measure, plural in (("SMD", "SMDs"), ("RR", "risk ratios"), ("OR", "odds ratios")):
        given = sorted((e for e in entries if e["measure"] == measure and e.get("estimate") is not None
                        and (not e.get("log_scale") or e.get("estimate_exp") is not None)), key=value)
        values = [value(e) for e in given]
        # "Their SMDs" only when every review gives one: of three reviews, one giving a
        # mean difference, the other two's are "the SMDs of 2 of them".
        of = len({e["study_id"] for e in given})
        subject = (f"{'its' if reviews == 1 else 'their'} {plural}" if of == reviews
                   else f"the {plural} of {'one' if of == 1 else of} of {them}")
        article = "an" if measure[0] in "AEFHILMNORSX" else "a"
        if len(values) == 1:
            # Of two reviews, one giving an SMD: "the one SMD is −1.07" read as if the
            # reviews had one SMD between them, or as "the only one" of something else.
            said = (f"its {measure} is {f2(values[0])}" if reviews == 1
                    else f"one of {them} gives {article} {measure} of {f2(values[0])}")
        elif values and f2(values[0]) == f2(values[-1]) and of == reviews:
            said = f"{subject} are {'both' if len(values) == 2 else 'all'} {f2(values[0])}"
        elif values and f2(values[0]) == f2(values[-1]):
            # Not "the SMDs of 2 of them are both −0.69", which counts the same two twice,
            # nor "2 of them give SMDs of −0.69", which reads as more than one value.
            said = (f"one of {them} gives {article} {measure} of {f2(values[0])}" if of == 1
                    else f"{of} of {them} each give {article} {measure} of {f2(values[0])}")
        elif values:
            said = f"{subject} range from {f2(values[0])} to {f2(values[-1])}"
        else:
            continue
        out.append({"measure": measure, "plural": plural, "given": given, "values": values, "of": of,
                    "reviews": reviews, "said": said})
    return out


def _outside_nodes(ctx: ReportContext) -> str:
    """The treatments in the data that no node includes, with their studies.

    Their arms enter no analysis; a reader who would have grouped one of them with a
    node (trigger-point needling with dry needling, say) sees the choice here.
    """
    studies: dict[str, set[str]] = {}
    for doc in ctx.normalised:
        for arm in doc["arms"]:
            if arm.get("node") is None:
                studies.setdefault(arm.get("treatment_label") or arm["treatment"], set()).add(doc["study"]["label"])
    if not studies:
        return ""
    # Study labels hold commas ("Skelly et al. (2020), AHRQ"): one sentence per treatment,
    # studies separated by semicolons.
    return (" Treatments in the data that no node includes, so that no analysis uses their arms: "
            + " ".join(f"{escape(t)}: {escape('; '.join(sorted(ls)))}." for t, ls in sorted(studies.items())))


def risk_of_bias_section(ctx: ReportContext) -> Markdown:
    """The risk-of-bias judgements of ``risk_of_bias.csv``, one row per study and tool: the
    overall judgement, each domain's, and who judged. The certainty table counts them; a
    reader weighing a trial needs them named."""
    rows = []
    for doc in sorted(ctx.normalised, key=lambda d: d["study"]["label"]):
        by_tool: dict[str, list[Mapping[str, Any]]] = {}
        for x in doc.get("risk_of_bias") or []:
            by_tool.setdefault(x["tool"], []).append(x)
        for tool, judgements in sorted(by_tool.items()):
            overall = [x["judgement"] for x in judgements if x["domain"] == "overall"]
            domains = "; ".join(f"{x['domain']}: {x['judgement'].replace('_', ' ')}" for x in judgements
                                if x["domain"] != "overall")
            by = sorted({x["assessed_by"] for x in judgements if x.get("assessed_by")})
            rows.append([doc["study"]["label"], tool, overall[0].replace("_", " ") if overall else "not recorded",
                         domains or "–", "; ".join(by) or "not stated"])
    if not rows:
        # The file's name is for an auditor: the provenance's raw columns name it.
        return Markdown("No risk-of-bias judgement is recorded for any study.\n")
    return table(["Study", "Tool", "Overall", "Domains", "Assessed by"], rows,
                 "Risk-of-bias judgements of trials and quality judgements of published reviews, as the team "
                 "recorded them, each with its support (the raw table the provenance names)", "tbl-risk-of-bias")


def _has_risk_of_bias(doc: Mapping[str, Any]) -> bool:
    """Whether risk_of_bias.csv judges a study (rows marked ``not_assessed`` do not)."""
    return any(x.get("judgement") != "not_assessed" for x in doc.get("risk_of_bias") or [])


def _judged_counts(ctx: ReportContext) -> str:
    """"2 of the 21 trials" (and "1 of the 20 published reviews"): the studies with
    judgements in risk_of_bias.csv, out of those of their kind."""
    trials = [d for d in ctx.normalised if d["study"]["role"] == "trial"]
    reviews = [d for d in ctx.normalised if d["study"]["role"] == "external"]
    said = [f"{sum(1 for d in trials if _has_risk_of_bias(d))} of the {len(trials)} trials"]
    judged_reviews = sum(1 for d in reviews if _has_risk_of_bias(d))
    if judged_reviews:
        said.append(f"{judged_reviews} of the {len(reviews)} published reviews")
    return " and ".join(said)


def _risk_of_bias_text(ctx: ReportContext) -> str:
    """What the report says of risk of bias and certainty: what was recorded, and what grades results."""
    judged = sum(1 for doc in ctx.normalised if _has_risk_of_bias(doc))
    if any_judgement(ctx):
        # The file by what it holds: the provenance's raw columns name risk_of_bias.csv
        # for an auditor.
        recorded = (f"risk-of-bias judgements are recorded for {_judged_counts(ctx)} "
                    "(see @tbl-risk-of-bias)" if judged else
                    "no trial-level risk-of-bias judgements are recorded")
        return (f"{recorded}. The certainty of each analysis's evidence is rated with GRADE (Guyatt et al. 2008; "
                "Cochrane Handbook chapter 14) from the review team's judgements, the risk-of-bias domain "
                "included (the team's judgement of the body of evidence): randomised trials start at high, and each of risk of bias, inconsistency, "
                "indirectness, imprecision and publication bias rates the evidence down one level for a serious "
                "concern, two for a very serious one, down to very low at the lowest. The judgements name the "
                "studies they were made on; a study added to or removed from an analysis leaves them out of "
                "date, as does an edit to a study's data where they record its data fingerprint, and no level is "
                "given until they are made again (see @tbl-certainty).")
    if not judged:
        return ("not assessed: no study has a risk-of-bias judgement recorded, so no result here is graded for risk of bias "
                "or certainty of evidence (GRADE); each study's source and identity confidence are in the evidence "
                "table.")
    return (f"judgements are recorded for {_judged_counts(ctx)} (see @tbl-risk-of-bias); "
            "they are not used to weight, exclude or grade results, and no certainty of evidence (GRADE) is given.")


def _window_name(window: Mapping[str, Any]) -> str:
    """A time window's label without the weeks it gives in brackets: "Short term"."""
    return str(window["label"]).split(" (")[0].strip()


def methods_section(ctx: ReportContext) -> Markdown:
    cfg = ctx.config
    m = cfg["methods"]
    # The test by its name, a sub-bullet of the model's (see below), and, for "adhoc", the
    # floor in a sentence of its own after it.
    test = {"knha": "Hartung-Knapp-Sidik-Jonkman (t distribution, k\u00a0−\u00a01 df)",
            "z": "Wald-type interval and z-test", "t": "t distribution (k − 1 df)",
            "adhoc": "Hartung-Knapp-Sidik-Jonkman (t distribution, k\u00a0−\u00a01 df)"}[m["test"]]
    # What the floor does, said of the factor itself: the factor compares the
    # results' scatter about the pooled estimate with the scatter their variances
    # predict (s² = Σ wᵢ(yᵢ − μ̂)²/(k − 1), Knapp & Hartung 2003).
    floor = ("  - Its scale factor is floored at 1 (Knapp & Hartung 2003; metafor's test \"adhoc\"): the factor "
             "compares how far the studies' results scatter about the pooled estimate with how far their "
             "variances predict, and below 1 (results closer together than their variances predict) it "
             "would narrow the interval, even below a fixed-effect model's; floored, the interval is never "
             "narrower than the Wald-type one.\n" if m["test"] == "adhoc" else "")
    est = _estimator_text(m["method"])
    fixed = m["method"] in ("FE", "EE")
    outcomes = "; ".join(f"{escape(v['label'])}: binary (participants with the event), no common scale"
                         if v.get("type") == "binary" else
                         f"{escape(v['label'])}: in {escape(v['unit'])}, lower is better" if v.get("unit") else
                         f"{escape(v['label'])}: {v['scale_min']:g} to {v['scale_max']:g}, lower is better"
                         for v in cfg["outcomes"].values())
    # Said only where an outcome is in a unit: a review whose outcomes are all on scales
    # reads nothing of units.
    in_units = [escape(v["label"]) for v in cfg["outcomes"].values() if v.get("unit") and v.get("type") != "binary"]
    one = len(in_units) == 1
    units_text = (f"{join_list(in_units)} {'is' if one else 'are'} measured in {'a unit' if one else 'units'}, not "
                  f"on a scale: {'its' if one else 'their'} mean differences take values only from instruments in the "
                  "same unit, unconverted (multiplied by −1 where higher is better), and the check for values "
                  "entered on a ten-times smaller scale, which rests on a scale's range, does not apply."
                  if in_units else "")
    # "Rescaled" only where an outcome has a scale to rescale onto.
    on_scales = any(v.get("type") != "binary" and not v.get("unit") for v in cfg["outcomes"].values())
    scales_text = " ".join(([] if not on_scales else
                            ["Instruments are rescaled linearly and reflected when higher is better."])
                           + ([units_text] if units_text else []))
    # Each paragraph on effect sizes only where an analysis uses what it describes: Hedges'
    # g, rescaled instruments and change scores read as part of a review of responders.
    measures = {a["measure"] for a in cfg.get("analyses", [])}
    binary = sorted(measures & {"RR", "OR", "RD"})
    continuous = [m for m in ("MD", "SMD") if m in measures]
    # Each window by its name, with its range and target once: the label's own weeks
    # ("Short term (1 to 12 weeks, nearest to 6 weeks)") would say them twice.
    # In the order of time, not of the config's keys (which the resolved config sorts):
    # "Medium term: ...; Short term: ..." read backwards.
    by_time = sorted(cfg["windows"].values(), key=lambda w: (w["min_weeks"], w["max_weeks"]))
    windows = "; ".join(f"{escape(_window_name(w))}: {w['min_weeks']:g} to {w['max_weeks']:g} weeks, nearest to "
                        f"{w['target_weeks']:g} weeks" for w in by_time)
    # Treatments by their labels in treatments.csv: the codes are the config's, not the reader's.
    treatment_label = {t["treatment"]: t.get("label") for t in ctx.raw_tables.get("treatments", [])}
    nodes = "; ".join(f"{escape(v['label'])} ("
                      + ", ".join(escape(treatment_label.get(t) or t.replace("_", " ")) for t in v["treatments"]) + ")"
                      for v in cfg["nodes"].values())
    eff = cfg["effects"]
    # metafor's prediction interval takes the critical value of the test the model uses:
    # a normal quantile under the Wald-type test, t on k − 1 df under the others.
    # No-break spaces: the PDF broke the line inside the quantile's name ("t(k" / "− 1)").
    pi_crit = "z" if m["test"] == "z" else "t(k\u00a0−\u00a01)"
    pi_min = next((f", given from {r['pi_min_studies']} studies (with two, τ² rests on one degree of freedom)"
                   for r in ctx.analyses if r.get("pi_min_studies")), "")
    # metafor's quantile is not the Handbook's: Higgins et al. 2009, and the Cochrane
    # Handbook after them (10.10.4.3), take t on k − 2 df, which widens the interval, most
    # of all with few studies (12.71 against 4.30 with three). Higgins cited beside
    # metafor's t(k − 1) alone, the methods read as if they followed it.
    pi_min += ("; Higgins et al. 2009 and the Cochrane Handbook 10.10.4.3 take t on k\u00a0−\u00a02 df instead, "
               "a wider interval")
    # As the analyses applied it (``leave1out_min``, one more than each refit pools), or, with
    # none pooled, as :func:`metareview.analysis.refit_min_studies` computes it; that module
    # is not imported here, lest the report's code digest take in the pooling code.
    refit_min = next((int(r["pooled"]["leave1out_min"]) - 1 for r in ctx.analyses
                      if (r.get("pooled") or {}).get("leave1out_min")), max(3, int(m["min_studies"])))
    # Published meta-analyses, guidelines and unnamed comparators are each spoken of only in
    # a review that has them, as the measures and event kinds are: another review's
    # methods read of how its published meta-analyses are shown when it has none.
    published, narrative = _has_role(ctx, "external"), _has_role(ctx, "narrative")
    lines = [
        *([f"- **Evidence base**: {escape(cfg['review']['evidence_base'])}"] if cfg["review"].get("evidence_base") else []),
        # The plain statement first, for a reader who wants only that; the details an
        # auditor checks follow, one sub-bullet each, rather than one chain of clauses.
        (f"- **Model**: studies are pooled with a random-effects model, which allows their true effects to differ "
         f"from study to study; intervals are {m['level']:g}%.\n"
         f"  - Between-study variance: τ² by {est}.\n"
         f"  - Confidence interval and test: {test}.\n{floor}"
         f"  - Prediction interval: pred ± {pi_crit} · √(SE² + τ²) as in metafor{pi_min}.\n"
         "  - Intervals for τ² and I²: Q-profile, τ² searched up to 100 or ten times its estimate (metafor's default)"
         + (" or, for a mean difference on a scale wider than 10 points, up to the square of its scale's "
            "range (no between-study SD exceeds the range)" if _wide_mean_difference(cfg) else "")
         + ", a bound beyond that printed as \\> that end.\n"
         "  - I²: from τ² and the typical within-study variance (metafor's definition).\n" if not fixed else
         # An equal-effects model estimates no τ²: "random effects, τ² by equal effects"
         # named a model the review does not fit, and a prediction interval of τ² and a
         # Q-profile interval it never computes (metafor's prediction interval of such a
         # model is its confidence interval).
         f"- **Model**: studies are pooled with an equal-effects model, which takes them to share one true effect; "
         f"intervals are {m['level']:g}%.\n"
         f"  - τ² fixed at 0 (metafor's method \"{m['method']}\"), so a prediction interval is the confidence interval "
         "and τ² has no interval.\n"
         f"  - Confidence interval and test: {test}.\n{floor}")
        + "  - Computed by the `metareview` library, whose every estimator is tested against metafor 3.8-1 reference values.",
        f"- **Pooling threshold**: at least {m['min_studies']} studies; with fewer, each study's own effect is shown and nothing is pooled.",
        # The threshold as the analyses apply it, with the pooling threshold named only where
        # it is the one that applies: "at least 3 studies (and `methods.min_studies`)" left
        # the reader to work out which of the two counts.
        (f"- **Sensitivity**: when each refit still pools at least {refit_min} studies"
         + (", the pooling threshold" if refit_min > 3 else "")
         + ", the model is refitted without each study in turn (leave-one-out, same estimator, test and level; fewer studies leave a "
         "t-based interval so few degrees of freedom that it widens whichever study is left out), and the report "
         "says where a single omission changes a conclusion ("
         + ("in the analysis's section" if in_detail(ctx) else "in the analysis's row of @tbl-results")
         # The refits' file in words: the appendix on every reported result names each
         # analysis's files by its id, so the path need not be spelled here.
         + "); every refit is kept with the analysis's full results, in the file its id names (see the "
         "[appendix on every reported result](#sec-evidence)). "
         f"Small-study effects are tested (Egger-type regression on {_predictor_text(ctx)}, in the same "
         f"random-effects model) only with {_small_study_min(ctx)} or more studies "
         + ("(the review's threshold): with fewer, such a test cannot tell asymmetry from chance (Sterne et al. 2011)."
            if _small_study_min(ctx) == STERNE_MIN_STUDIES else
            # A stricter threshold is the review's own: Sterne et al. put the least at 10.
            f"(the review's own threshold), more than the {STERNE_MIN_STUDIES} Sterne et al. 2011 advise as the fewest "
            "for such a test to tell asymmetry from chance."
            if _small_study_min(ctx) > STERNE_MIN_STUDIES else
            f"(the review's own threshold), fewer than the {STERNE_MIN_STUDIES} Sterne et al. 2011 advise for such a "
            "test to tell asymmetry from chance: a test on fewer has little power, and its p-value says little.")),
        *([_continuous_effects_text(continuous, bool(eff.get("median_to_mean")))] if continuous else []),
        *([_binary_effects_text(binary)] if binary else []),
        *([f"- **Common scales**: {outcomes}. {scales_text}"] if continuous else []),
        *([_mid_methods_text(ctx)] if _mid_methods_text(ctx) else []),
        # The words of a timepoint converted to weeks only where an effect here has one: a
        # review whose sources all give weeks was told of conversions it did not have.
        (f"- **Time windows**: {windows}. Each study contributes the timepoint nearest the target among those with usable "
         "data (earlier on ties). A timepoint is placed by the weeks in its raw row"
         + (" (the extraction gives weeks for some the source states otherwise, such as \"6 months\"; the limitations "
            "list the effects concerned)" if any(_converted_timepoint(s) for r in ctx.analyses for s in r["studies"])
            else "")
         + (", or, given only in words, by the period words each window lists as its terms ("
            + escape("; ".join(f"{_window_name(w)}: " + ", ".join(f"\u201c{t}\u201d" for t in w["terms"])
                               for w in by_time if w.get("terms")))
            + "), after any timepoint in weeks"
            + (", for trials and published meta-analyses alike" if published else "")
            + ". A trial's timepoint in "
            "other words (\"after 1 month\", which may count from the end of treatment rather than from "
            "randomisation) is placed in none"
            if any(w.get("terms") for w in cfg["windows"].values()) else
            # Without terms, "the period words each window lists" would point to words
            # the config does not have.
            ". No window lists period words, so a trial's timepoint given only in words "
            "(\"post treatment\", \"after 1 month\") is placed in none")
         + ", and the row says so"
         + ("; a published meta-analysis's is shown in every window, with the source's words for its timepoint."
            if published
            else ".")
         # Said where an effect has the flag (metareview.extract.window_edge_flag).
         + (" A trial effect whose timepoint's words may lie, by a day or more, on the other side of a window's bound "
            "than the weeks it was entered as (a month is 4 to 4.35 weeks, so 8 weeks and 1 month are 12 to 12.35) "
            "is flagged as at the window's edge." if any(f.startswith(WINDOW_EDGE) for r in ctx.analyses
                                                          for s in r["studies"] for f in s.get("flags", []))
            else "")),
        ("- **Population**: studies are not selected by population. The team records how each study's population "
         "relates to this review's (matches, narrower, broader, different or unclear); "
         "an effect from a trial of a narrower, broader or another population says so"
         + (", and published meta-analyses of a broader or another population are shown but not counted in the "
            "report's tallies of reviews" if published else "")
         + ". The population enrolled by each trial that contributes to an analysis is given after the evidence table"
         + (", and that of each published meta-analysis beside its results." if published else ".")),
        f"- **Treatment nodes**: {nodes}."
        + (" Comparators the sources do not name are never grouped." if _has_unnamed(ctx) else "")
        + _outside_nodes(ctx),
        f"- **Risk of bias and certainty**: {_risk_of_bias_text(ctx)}",
        "- **Designs**: randomised trials are pooled"
        + ("; published meta-analyses are shown as external evidence and never pooled with trials" if published else "")
        + ("; guidelines and consensus statements are narrative evidence" if narrative else "") + "."
        + _design_caveats(ctx),
        *([_indirect_methods(ctx)] if ctx.config.get("indirect") else []),
        _reporting_forms_text(eff, bool(continuous)),
    ]
    return Markdown("\n".join(lines))


#: Trial designs an analysis takes as it takes a parallel-group randomised trial, and what
#: that leaves out: a sentence each, for the methods (:func:`_design_caveats`).
DESIGN_CAVEATS = {
    "cluster_rct": ("Cluster-randomised trials are pooled as if each participant had been randomised: nothing "
                    "here adjusts for clustering, so unless the source's numbers allow for it their intervals are "
                    "too narrow (Cochrane Handbook 23.1)"),
    "crossover_rct": ("Crossover trials are pooled as if parallel-group trials: nothing here allows for the pairing "
                      "of a participant's periods where a result spans both (Cochrane Handbook 23.2)"),
    "quasi_rct": "Quasi-randomised trials are pooled as if randomised, though their allocation was not random",
}


def _design_caveats(ctx: ReportContext) -> str:
    """" Cluster-randomised trials are pooled as if ...: Smith et al. (2001)." for each
    design among :data:`DESIGN_CAVEATS` that a study entering an analysis has, or "".

    The pooling treats every trial as a parallel-group randomised one, and the methods
    said "randomised trials are pooled": of a cluster or crossover trial, true but silent
    on the unit-of-analysis error; of a quasi-randomised one, not true.
    """
    used = {s["study_id"] for r in ctx.analyses for s in r.get("studies") or []}
    by_design: dict[str, list[str]] = {}
    for doc in ctx.normalised:
        study = doc["study"]
        if study["study_id"] in used and study.get("design") in DESIGN_CAVEATS:
            by_design.setdefault(study["design"], []).append(study["label"])
    return "".join(f" {escape(DESIGN_CAVEATS[d])}: {join_list([escape(x) for x in sorted(labels)], markdown=True)}."
                   for d, labels in by_design.items())


def _wide_mean_difference(cfg: Mapping[str, Any]) -> bool:
    """Whether an analysis is a mean difference on a common scale wider than 10 points,
    whose τ² is searched up to the square of the scale's range rather than metafor's 100
    (:func:`metareview.analysis.tau2_ceiling`, not imported here, lest the report's code
    digest take in the pooling code): a review of mean differences on 0 to 10 alone read
    of a search it never makes."""
    outcomes = cfg.get("outcomes", {})
    for a in cfg.get("analyses", []):
        scale = outcomes.get(a["outcome"], {})
        if (a["measure"] == "MD" and scale.get("scale_min") is not None and scale.get("scale_max") is not None
                and float(scale["scale_max"] - scale["scale_min"]) ** 2 > 100.0):
            return True
    return False


def _has_role(ctx: ReportContext, role: str) -> bool:
    """Whether a study in the data has the design ``role`` (``external``: a published
    meta-analysis; ``narrative``: a guideline or consensus statement; as
    :func:`metareview.normalise.design_role` gives it)."""
    return any(doc["study"]["role"] == role for doc in ctx.normalised)


def _has_unnamed(ctx: ReportContext) -> bool:
    """Whether a comparator the source does not name (a treatment of role ``unnamed``,
    the pseudo-node :data:`metareview.normalise.UNNAMED`) is in the data or in an analysis."""
    return (any(arm.get("node") == UNNAMED for doc in ctx.normalised for arm in doc["arms"])
            or any(UNNAMED in (a["intervention"], a["comparator"]) for a in ctx.config.get("analyses", [])))


def _binary_effects_text(measures: Sequence[str]) -> str:
    """The methods' paragraph on binary outcomes, each clause only for a measure among
    ``measures`` (the review's binary ones: "OR", "RD", "RR"): a review of risk ratios
    alone read of odds ratios and risk differences it never computes.

    The absolute effects per 1,000 follow the Cochrane Handbook (Higgins et al., 2023),
    14.1.5.1: RR × risk, OR × risk / (1 − risk + OR × risk), risk + RD.
    """
    ratios = [name for m, name in (("RR", "risk"), ("OR", "odds")) if m in measures]
    rd = "RD" in measures
    ratio_words = " and ".join(ratios).capitalize() + " ratios" if ratios else ""
    # "a, or b": each clause holds commas of its own, so no list of three is read into two.
    zero = ", or ".join([*([("a ratio of 1 with a wide interval and little weight (the Cochrane Handbook, 10.4.4.1, "
                             "would leave it out of a pooled ratio)")] if ratios else []),
                         *(["a risk difference of 0, on which it bears as any trial does"] if rd else [])])
    pooled = (f"{ratio_words} are pooled on the log scale and shown exponentiated (τ² on the log scale)"
              + ("; risk differences as proportions" if rd else "") if ratios
              else "Risk differences are pooled as proportions")
    favour = " and ".join([*([f"{ratio_words.lower()} above 1"] if ratios else []), *(["risk differences above 0"] if rd else [])])
    formulas = [f for m, f in (("RR", "RR × risk"), ("OR", "OR × risk / (1 − risk + OR × risk)"),
                               ("RD", "risk + RD")) if m in measures]
    formulas_text = ", ".join(formulas[:-1]) + (", or " if len(formulas) > 1 else "") + formulas[-1]
    return (
        f"- **Binary outcomes** ({', '.join(measures)}): from arm-level events and group sizes, or from a percentage "
        "of responders and the group size (events = percentage × n / 100 rounded to a whole number, flagged), or "
        "from a reported estimate with its confidence interval (variance from the interval"
        + ((", on the log scale for ratios" if rd else ", on the log scale") if ratios else "") + "); metafor's continuity correction (½ added to "
        "every cell of a 2×2 table with a zero cell); a trial with no events in either arm (or events in every "
        "participant of both) is kept, as metafor's escalc and rma keep it by default (drop00 = FALSE): "
        f"{zero}; arms of one node combined by adding events and sizes (Cochrane Handbook 23.3.4). {pooled}. When "
        f"the events are beneficial (responders, improvement), {favour} favour the intervention; for harmful "
        "events, below. Each is also given per 1,000 people at the comparator risk the trials observed (the "
        "trial's, or the median of the trials'), or at the one the review assumes for the analysis "
        "(with its source), and at any other risks it names (a "
        f"summary-of-findings table's low- and high-risk rows): {formulas_text} (Cochrane Handbook 14.1.5.1). The effect "
        "of an analysis's only trial whose 2×2 table has a cell below 5 also gets Fisher's exact test (two-sided), "
        "its Wald interval being a rough approximation there.")


def _continuous_effects_text(measures: Sequence[str], median_to_mean: bool) -> str:
    """The methods' paragraph on mean differences and SMDs, each sentence only for a
    measure among ``measures`` (the review's continuous ones: "MD", "SMD")."""
    said = []
    if "SMD" in measures:
        # No-break spaces inside the formulas' terms, as in t(k − 1): the PDF broke a line
        # after "Γ((m" and began the next with "− 1)/2))", which reads as minus one.
        said.append("SMD as Hedges' g with the exact small-sample correction J(m) = Γ(m/2) / (√(m/2) "
                    "Γ((m\u00a0−\u00a01)/2)), m = n₁\u00a0+\u00a0n₂\u00a0−\u00a02, and variance 1/n₁ + 1/n₂ + "
                    "g²/(2(n₁\u00a0+\u00a0n₂)); a reported Cohen's d is corrected the same way.")
    if "MD" in measures:
        said.append("Mean differences on the common scales.")
    said.append("For mean differences and SMDs, negative values favour the intervention."
                 if len(measures) > 1 else
                 f"For {'mean differences' if 'MD' in measures else 'SMDs'}, negative values favour the intervention.")
    if median_to_mean:
        said.append("A median with its quartiles or range, given without a mean or SD, gives an estimated mean and SD "
                    "(Luo et al. 2018 for the mean; for the SD, Wan et al. 2014 from the quartiles or the range, Shi et "
                    "al. 2020 from all five numbers), which assume a roughly normal outcome (no test of skewness is "
                    "made); each such effect is flagged.")
    return "- **Effect sizes**: " + " ".join(said)


def _reporting_forms_text(eff: Mapping[str, Any], continuous: bool = True) -> str:
    """The methods' paragraph on the forms of reporting read (``effects`` in the config):
    means, SDs and change scores only for a review with an MD or SMD analysis
    (``continuous``); arm sizes from a total N for any."""
    if not continuous:
        return ("- **Reporting forms**: arm sizes are "
                + ("split equally from a total N where only the total is reported, and flagged."
                   if eff["assume_equal_arms_from_total"] else "never split equally from a total N."))
    return (
        f"- **Reporting forms**: arm-level means and SDs are preferred to a reported contrast at the same timepoint; final values and "
        f"change scores are never mixed within an SMD (each analysis uses the type most studies report; on a tie, final values, "
        f"or change scores when a trial reporting both has final values flagged for a baseline difference, as below; a "
        f"trial with only the other type is set aside, its own SMD given beside); within-group changes are "
        f"never used as between-group effects; arms of the same node in one trial are combined (Cochrane Handbook 6.5.2.10). "
        f"An effect from final values whose arms already differed at baseline (week 0) by a standardised difference of "
        f"{eff['baseline_imbalance_smd']:g} or more (Austin 2009) is flagged: final values carry that difference, change scores do not. "
        f"Arm sizes split equally from a total N: {'allowed and flagged' if eff['assume_equal_arms_from_total'] else 'not allowed'}. "
        f"SDs from an SE or a CI of the mean are derived (Cochrane Handbook 6.5.2.2), and a reported mean "
        f"difference's SE from its interval: the width over 2t, t on n₁\u00a0+\u00a0n₂\u00a0−\u00a02 degrees of freedom while both "
        f"groups are under 100, else (or when an arm size is not reported) over 2z (6.5.2.3); other missing SDs are "
        + ("imputed from the study’s exact p-value for the same contrast, assuming equal SDs, and flagged, as is "
           "the SE of a mean difference reported with only its exact p-value (SE = |MD| / t, a t-test assumed)."
           if eff["impute_missing_sd"] else
           "not imputed, nor is the SE of a mean difference reported with only its exact p-value (such rows are "
           "listed as not poolable).")
    )


def analyses_table(ctx: ReportContext) -> Markdown:
    """The table of the analyses the review defines (``config/config.yaml``), one row each.

    It closes the methods and has a section marker of its own (``analyses``), so that the
    template can set it on landscape pages: its seven columns of names were a word or two
    wide on portrait ones, a row three or four lines high, and the last rows of a long
    list ran onto a page of their own. Empty for a config that defines no analysis.
    """
    cfg = ctx.config

    def window(name: str) -> str:
        # Its name and weeks: the label in full (with the target) is in the bullet above,
        # and a long one made the column five lines a row.
        w = cfg["windows"].get(name)
        if not w:
            return ctx.labels.get(name, name)
        return f"{str(w['label']).split(' (')[0]} ({w['min_weeks']:g} to {w['max_weeks']:g} weeks)"

    # Identifiers as the text sets them, in code type.
    rows = [[Markdown(f"`{a['id']}`"), ctx.labels.get(a["intervention"], a["intervention"]),
             ctx.labels.get(a["comparator"], a["comparator"]), ctx.labels.get(a["outcome"], a["outcome"]), window(a["window"]),
             a["measure"] + (f" ({a['events']} events)" if a.get("events") else ""),
             {"any": "all", "head_to_head": "head to head only", "add_on": "add-on only"}[a.get("designs", "any")]]
            for a in cfg.get("analyses", [])]
    if not rows:
        return Markdown("")
    return table(["Analysis", "Intervention", "Comparator", "Outcome", "Window", "Measure", "Trial designs"], rows,
                 "The analyses this review defines", "tbl-analyses",
                 budget=APPENDIX_TABLE_BUDGET)


def _fate(ctx: ReportContext) -> dict[str, list[str]]:
    """What became of each raw row, across analyses, after pooling: notes that name each
    analysis by its title and id (analysis_refs)."""
    name = analysis_refs(ctx)

    def of(aid: str) -> str:
        return str(name.get(aid) or f"`{aid}`")

    fate: dict[str, list[str]] = {}
    pooled_refs: dict[str, list[str]] = {}
    # Rows set aside for a reason of their own (another timepoint, a missing n): the
    # study's exclusion, whose reason joins those of all its rows, says nothing more of them.
    own_reason = {(ref, n["analysis"]) for doc in ctx.effects for ref, notes in doc.get("rows", {}).items()
                  for n in notes if n["use"] not in ("candidate", "external", "narrative")}
    # Week-0 rows are no effect, but those of an effect flagged for a baseline difference
    # give the number printed beside it (the SMD at week 0): "not used" would leave it with
    # no row to come from.
    baseline_read = {(ref, r["analysis"]["id"]): s["label"] for r in ctx.analyses for s in r["studies"]
                     for ref in s.get("baseline_refs") or ()}
    # The change-score rows each arm's change from baseline is read from (Cherkin 2009's
    # "improved by 4.5"): no effect either (no SD, or another value type), but printed.
    change_read = {(ref, r["analysis"]["id"]): s["label"] for r in ctx.analyses for s in r["studies"]
                   for ref in (s.get("baseline_change") or {}).get("refs") or ()}
    # Each published result as the analysis it is shown beside holds it, and whether its
    # forest plot draws it.
    shown_beside = {(e.get("ref"), r["analysis"]["id"]): (e, any(e is d for d in drawn_externals(r)))
                    for r in ctx.analyses for e in r.get("external") or []}
    for r in ctx.analyses:
        aid = r["analysis"]["id"]
        for s in r["studies"]:
            for ref in s["refs"]:
                what = "pooled in" if r["status"] == "pooled" else "shown (not pooled) in"
                pooled_refs.setdefault(ref, []).append(f"{what} {of(aid)}")
        for e in r["excluded"]:
            # A trial set aside for its value type has its own effect printed beside the
            # analysis (Meng 2003's SMD from changes): "excluded" alone left the audit
            # trail's row of that effect with raw rows said to give nothing.
            own = e.get("own_effect") or {}
            printed = (escape(f"; its own {r['analysis']['measure']} from these rows is printed beside the analysis, "
                              "not combined with the others (see the audit trail)")
                       if own.get("refs") else "")
            for ref in e["refs"]:
                if (ref, aid) not in own_reason:
                    pooled_refs.setdefault(ref, []).append(
                        f"excluded from {of(aid)}: {escape(with_settings(e['reason']))}"
                        + (printed if ref in own.get("refs", ()) else ""))
    for doc in ctx.effects:
        for ref, notes in doc.get("rows", {}).items():
            for n in notes:
                if n["use"] == "candidate":
                    continue  # the pooling step says what happened
                # A further reason is a record (its words and its timepoint's fields); an
                # older build wrote the words alone.
                also = [a if isinstance(a, str) else a["reason"] for a in n.get("also", ())]
                # The team reads here which setting set a row aside (with_settings).
                reason = escape(with_settings(join_reasons([n["reason"]], also)))
                if n["use"] == "external":
                    fate.setdefault(ref, []).append(f"external evidence for {of(n['analysis'])}"
                                                    + _external_drawn(shown_beside.get((ref, n["analysis"]))))
                elif n["use"] == "narrative":
                    fate.setdefault(ref, []).append(f"narrative evidence for {of(n['analysis'])}")
                elif (ref, n["analysis"]) in baseline_read:
                    label = baseline_read[ref, n["analysis"]]
                    fate.setdefault(ref, []).append(
                        f"read in {of(n['analysis'])} " + escape(f"for the baseline (week 0) difference of {label}\u2019s "
                                                               "effect, not as an effect (see the audit trail)"))
                elif (ref, n["analysis"]) in change_read:
                    label = change_read[ref, n["analysis"]]
                    fate.setdefault(ref, []).append(
                        f"read in {of(n['analysis'])} " + escape(f"for the change from baseline printed beside "
                                                               f"{label}\u2019s effect, not as an effect (see the audit "
                                                               "trail)"))
                else:
                    fate.setdefault(ref, []).append(f"not used in {of(n['analysis'])}: {reason}")
    for ref, notes in pooled_refs.items():
        fate.setdefault(ref, []).extend(notes)
    # A trial's own risk difference is not an effect of a ratio analysis, but the report
    # prints it there beside the difference per 1,000 the ratio gives.
    for r in ctx.analyses:
        found = _printed_reported_rd(ctx, r)
        if found is not None:
            fate.setdefault(found[0]["ref"], []).append(
                f"printed in {of(r['analysis']['id'])} " + escape("as the trial's own risk difference, beside the "
                                                                "difference per 1,000 from the ratio (see the audit trail)"))
    # Nor is a trial's own p-value, printed beside an effect whose interval it disagrees
    # with (Carlsson 2001's p < 0.05): "not used" alone would leave it with no row to come from.
    for r in ctx.analyses:
        if r["status"] != "single_study":
            continue
        c = _printed_reported_p(ctx, r["analysis"], r["studies"][0])
        if c is not None and c.get("ref"):
            fate.setdefault(c["ref"], []).append(
                f"printed in {of(r['analysis']['id'])} " + escape("as the trial's own p-value, beside its effect, whose "
                                                                "interval it disagrees with (see the audit trail)"))
    return fate


def _external_drawn(shown: tuple[Mapping[str, Any], bool] | None) -> str:
    """": drawn in its forest plot", or ": not drawn in its forest plot (reported as SMD,
    this analysis uses MD)", for a published result shown beside an analysis; "" when the
    analysis holds no such result.

    "External evidence for" an analysis alone left a reader to take a review's
    intermediate-term result for evidence on the short term, and an auditor unable to
    tell which raw rows the forest plot's hollow markers come from.
    """
    if shown is None:
        return ""
    ext, drawn = shown
    if drawn:
        return ": drawn in its forest plot, not pooled"
    why = ext.get("not_drawn")
    return ": not drawn in its forest plot" + (f" ({escape(why)})" if why else "")


def _unconfigured_outcome_text(outcome: str, *, external: bool = False) -> str:
    """What a result row on an outcome the config does not list lacks, and where it goes.

    The raw schemas allow every outcome code; the config's ``outcomes`` chooses those the
    review analyses, and an analysis (``analyses``) of an outcome needs it there first. A
    published review's result is shown beside such an analysis, not analysed.
    """
    if external:
        return (f"external evidence: its outcome `{outcome}` is not among the review's outcomes (`outcomes` in "
                "config/config.yaml), so no analysis shows it")
    return (f"not used: its outcome `{outcome}` is not among the review's outcomes (to analyse it, add "
            f"`{outcome}` under `outcomes` in config/config.yaml, then an analysis of it under `analyses`)")


def evidence_table(ctx: ReportContext) -> Markdown:
    """Every raw row of results and what the pipeline did with it."""
    fate = _fate(ctx)
    rows = []
    by_study = {d["study"]["study_id"]: d for d in ctx.normalised}
    configured = ctx.config.get("outcomes") or {}
    for table_name in ("arm_outcomes", "contrasts", "statements"):
        counters: dict[str, int] = {}
        for index, raw in enumerate(ctx.raw_tables.get(table_name, [])):
            sid = raw["study_id"]
            counters[sid] = counters.get(sid, 0) + 1
            ref = f"{table_name}.csv:{sid}#{counters[sid]}"
            doc = by_study[sid]
            study = doc["study"]
            what = _row_summary(table_name, raw, _typed_cells(ctx, table_name, index))
            notes = fate.get(ref)
            if not notes:
                outcome = raw.get("outcome")
                if table_name == "statements":
                    notes = ["narrative evidence"]
                elif outcome and outcome not in configured:
                    # No analysis can cover an outcome the config does not define, and
                    # "no configured analysis covers" would send the reader to `analyses`.
                    notes = [_unconfigured_outcome_text(outcome, external=study["role"] == "external")]
                elif study["role"] == "external":
                    notes = ["external evidence: no analysis of this contrast, outcome and window"]
                else:
                    notes = ["not used: no configured analysis covers this contrast, outcome and window"]
            rows.append([
                f"{_ref_text(ctx, ref)}",
                study["label"],
                # A row read only in another document says so over its study's level.
                f"{design_text(study['design'])}, {raw.get('source_level') or study['source_level']}",
                what,
                Markdown("; ".join(sorted(set(notes)))),
            ])
    return table(["Raw row", "Study", "Design, source", "Reported", "What was done with it"], rows,
                  "Every reported result in the raw tables and what the pipeline did with it", "tbl-evidence",
                  budget=APPENDIX_TABLE_BUDGET)


def _fit_text(study: Mapping[str, Any]) -> str:
    """A study's ``population_fit`` as the population tables print it ("broader", "not judged")."""
    return str(study.get("population_fit") or "not judged")


def _outcomes_outside_config(ctx: ReportContext, doc: Mapping[str, Any]) -> list[str]:
    """The outcomes of a study's results, sorted, when none of them is in the config's
    ``outcomes`` (else, or when it has no results, an empty list)."""
    found = {v["outcome"] for v in [*doc["arm_values"], *doc["contrasts"]]}
    configured = set(ctx.config.get("outcomes") or {})
    return sorted(found) if found and not found & configured else []


def study_table(ctx: ReportContext) -> Markdown:
    """One row per study: design, source, arms, and what its rows contributed (the
    population each trial enrolled: :func:`trial_populations_table`)."""
    rows, _ = _memo(ctx, "study_rows", lambda: _study_rows(ctx))
    return table(["Study", "Design, source", "Identity", "Arms", "Results", "Contribution"], rows,
                 "Studies in the raw tables and what they contributed (every reported result: see the appendix)",
                 # On landscape pages (reports/report.qmd), as the appendices.
                 "tbl-studies", budget=APPENDIX_TABLE_BUDGET)


def trial_populations_table(ctx: ReportContext) -> Markdown:
    """The population enrolled by each trial that contributes to an analysis, and how it
    relates to the review's; empty when no trial does."""
    _, populations = _memo(ctx, "study_rows", lambda: _study_rows(ctx))
    if not populations:
        return Markdown("")
    # Applicability: a trial of elderly patients only, or of trigger-point pain, answers
    # the review's question only indirectly, and the reader judges that from here.
    # Three columns: on a portrait page (reports/report.qmd), where the text after it
    # begins. On the landscape pages of the table of studies it took a page of its own,
    # half empty, before the portrait ones.
    return table(["Trial", "Population enrolled", "Fit"], populations,
                 "Population enrolled by each trial that contributes to an analysis, as the team recorded "
                 "it from the trial's source, and how it relates to this review's population (the team's "
                 "judgement): where it is not this review's population, its results apply here only "
                 "indirectly", "tbl-trial-populations")


def _not_analysed_text(ctx: ReportContext, doc: Mapping[str, Any]) -> Markdown:
    """Why no analysis takes a study's results, in a reader's words, for the table of
    studies: "not used: this review counts trigger point acupuncture as none of the
    treatments it compares (see the methods)".

    A study whose results no analysis takes, though its outcomes are the review's and no
    comparison of it is one the review leaves unanalysed (:func:`uncovered_comparisons`),
    compares a treatment no node includes, or two arms of one node, or two controls, or
    reports its comparisons only at times outside the review's windows. The config's
    words for it ("no configured analysis covers") said which setting, not what the
    study lacks; the appendix keeps them, row by row.
    """
    arms = {a["arm_id"]: a for a in doc["arms"]}
    roles = {t["treatment"]: t.get("role") for t in ctx.raw_tables.get("treatments", [])}
    proper = _names(ctx)
    outside: list[str] = []
    within: list[str] = []
    controls = False
    other = False
    for a1, a2, _ in sorted(_compared_arms(doc)):
        pair = [arms[a] for a in (a1, a2) if a in arms]
        if len(pair) < 2:
            continue
        lost = [a for a in pair if a["node"] is None]
        if lost:
            outside += [_in_sentence(a["treatment_label"], proper) for a in lost]
        elif pair[0]["node"] == pair[1]["node"]:
            within.append(_in_sentence(ctx.labels.get(pair[0]["node"], pair[0]["node"]), proper))
        elif not any(roles.get(a["treatment"], "active") == "active" for a in pair):
            controls = True
        else:
            other = True
    parts = []
    if outside:
        names = list(dict.fromkeys(outside))
        parts.append(f"this review counts {join_list(names)} as none of the treatments it compares "
                     "(see the methods)")
    if within:
        parts.append(f"it compares arms this review counts as one treatment ({join_list(list(dict.fromkeys(within)))})")
    if controls:
        parts.append("it compares two controls, which answers none of this review's questions")
    if other or not parts:
        parts.append("this review analyses none of its comparisons on the outcomes and at the times it reports")
    return Markdown("not used: " + escape("; ".join(parts)))


def _source_cell(study: Mapping[str, Any], contrasts: Sequence[Mapping[str, Any]], results: int,
                 read_elsewhere: bool = False) -> str:
    """A study's design and source level as @tbl-studies prints them ("meta-analysis,
    primary"), with how many of its ``results`` were read otherwise than its level says
    ("meta-analysis, primary; 1 of 7 results secondary"), and, for a trial whose effects
    use numbers read in another document (``read_elsewhere``), that it does ("RCT, primary
    (effects use numbers read in another document)").

    A published review's row of ``contrasts.csv`` may be read only in another document
    (an overview's table) though its other rows come from its own report. The study's
    level alone called Xu et al. (2013) primary, when its one number, the result the
    table says it contributed, is read only in an overview: its abstract gives words.
    """
    level = study["source_level"]
    other = [c["source_level"] for c in contrasts if c.get("source_level") and c["source_level"] != level]
    cell = f"{design_text(study['design'])}, {level}" + (f" ({STUDY_READ_ELSEWHERE})" if read_elsewhere else "")
    for each in sorted(set(other)):
        cell += f"; {other.count(each)} of {results} result{'s' if results != 1 else ''} {each}"
    return cell


def _study_rows(ctx: ReportContext) -> tuple[list[list[Any]], list[list[str]]]:
    """The rows of :func:`study_table` and of :func:`trial_populations_table`."""
    fate = _fate(ctx)
    short = analysis_names(ctx)
    excluded_ids = {e["study_id"] for r in ctx.analyses for e in r["excluded"]}
    uncovered = {label for u in uncovered_comparisons(ctx) for label in u["studies"]}
    # Trials read in their own report whose effects here use numbers read in another
    # document: "primary" alone would tell the reader they were read in the trial's report.
    elsewhere = {s["study_id"] for r in ctx.analyses for s in r["studies"] if s.get("read_elsewhere")}
    rows = []
    populations: list[list[str]] = []
    for doc in sorted(ctx.normalised, key=lambda d: (d["study"]["role"] != "trial", d["study"]["label"])):
        study = doc["study"]
        refs = [v["ref"] for v in doc["arm_values"]] + [c["ref"] for c in doc["contrasts"]] + [x["ref"] for x in doc["statements"]]
        used = sorted({_noted_analysis(n) for r in refs for n in fate.get(r, []) if n.startswith(("pooled in", "shown (not pooled) in"))})
        ext = sorted({_noted_analysis(n) for r in refs for n in fate.get(r, []) if n.startswith("external evidence for")})
        if used:
            what = "used in: " + "; ".join(escape(short[a]) for a in used)
        elif ext:
            what = "external evidence for: " + "; ".join(escape(short[a]) for a in ext)
        elif study["role"] == "narrative" or doc["statements"] and not (doc["arm_values"] or doc["contrasts"]):
            what = "narrative evidence only"
        elif not refs:
            what = "no results reported in the sources read"
        elif study["study_id"] in excluded_ids:
            what = "not used: see the trials that could not be used, below"
        elif outside := _outcomes_outside_config(ctx, doc):
            # Every result is on an outcome the review does not analyse. Said as what the
            # study lacks, not which setting: the appendix names the config key.
            what = ("not used: it reports only outcomes this review does not analyse ("
                    + escape(join_list([o.replace("_", " ") for o in outside])) + ")")
        elif study["label"] in uncovered:
            what = "not used: this review analyses none of the comparisons it reports (see @tbl-uncovered)"
        else:
            what = _not_analysed_text(ctx, doc)
        names = arm_names(doc["arms"])
        arms = join_list([names[a["arm_id"]] for a in doc["arms"]], None)
        # Design and source share a column, as in the appendix: seven columns left a
        # one-word column ("secondary") too narrow for its word on a portrait page.
        rows.append([study["label"], _source_cell(study, doc["contrasts"], len(refs), study["study_id"] in elsewhere),
                     study["identity_confidence"], arms, str(len(refs)), Markdown(what)])
        if used and study["role"] == "trial":
            populations.append([study["label"], description(study.get("population") or "not stated"),
                                _fit_text(study)])
    return rows, populations


def consistency_warnings(ctx: ReportContext, *, quotes: tuple[str, str] = ("'", "'")) -> list[tuple[str, str, str]]:
    """``(study label, warning, key)`` for each consistency warning raised on a study's raw
    rows (each also in its study's log), then for each row of ``sources.csv`` no other
    table cites (:func:`metareview.checks.uncited_sources`, under "Source document" and
    its ``source_id``), then for
    each result that two studies print alike (:func:`metareview.checks.repeated_results`)
    and each set of arm-level results two studies give alike
    (:func:`metareview.checks.repeated_arm_values`); plain text, by study, the cell named within ``quotes``
    (:func:`metareview.checks.format_warning`). Last, under "Codebook", the context's
    :attr:`ReportContext.codebook_note`, when the raw tables' codebook is stale.

    ``key`` names the warning by its check, cell and row reference
    (``contrasts.csv:Study#2``: the study's second row of the table), not by spreadsheet
    row nor message: a row added for another study, or a number of the row edited, does
    not make it another warning; a row inserted among the same study's rows above it does.
    Nor does a column moved in the spreadsheet, which changes only the letter the warning
    gives it ("column 'sd' (K)"), nor a build from before warnings gave letters: their
    keys are the same.
    """
    from metareview.checks import (
        format_warning,
        repeated_arm_values,
        repeated_results,
        uncited_sources,
    )

    rows = []
    for doc in sorted(ctx.normalised, key=lambda d: d["study"]["study_id"]):
        for w in doc.get("warnings", []):
            rows.append((doc["study"]["label"],
                         format_warning(w, ctx.raw_rows, quotes=quotes, headers=ctx.raw_headers),
                         f"{w['check']} {w['ref']} {w.get('column')}"))
    # Rows of sources.csv belong to no study: checked here, across all the tables.
    source_rows = {f"sources.csv:{r.get('source_id')}": ("sources.csv", n)
                   for r, n in zip(ctx.raw_tables.get("sources", []), ctx.raw_row_numbers.get("sources", []),
                                   strict=False)}
    for w in uncited_sources(ctx.raw_tables):
        # Named by the document it is about, as a study's warning is by its study: a bare
        # "Sources" named none, in a column of studies, and What changed read "Sources:
        # sources.csv, row 25".
        source_id = w["ref"].partition(":")[2]
        rows.append((f"Source document {source_id}", format_warning(w, source_rows, quotes=quotes, headers=ctx.raw_headers),
                     f"{w['check']} {w['ref']} {w.get('column')}"))
    for group in repeated_results(ctx.normalised):
        where = "; ".join(f"{label} ({_ref_text(ctx, ref)})" for label, ref in group)
        rows.append(("; ".join(label for label, _ in group),
                     (f"the same estimate and confidence bounds in {len(group)} studies: {where}; check that each "
                      "row was read in its own source (one review may also repeat another's result)"),
                     "repeated " + " ".join(ref for _, ref in group)))
    for group in repeated_arm_values(ctx.normalised):
        where = "; ".join(f"{label} ({_ref_text(ctx, ref)})" for label, ref in group)
        rows.append(("; ".join(label for label, _ in group),
                     (f"the same numbers for every arm at one timepoint in {len(group)} studies: {where}; one trial "
                      "entered twice (under two ids, or from two reports of it) counts twice in every analysis it "
                      "enters: keep one, or check that each row was read in its own source"),
                     "repeated_arms " + " ".join(ref for _, ref in group)))
    if ctx.codebook_note:
        # Of the tables' documentation, not of a study: last, under the codebook's name.
        rows.append(("Codebook", ctx.codebook_note, "stale_codebook"))
    return rows


#: A span a warning quotes with straight single quotes, as a terminal prints it: "column
#: 'sd'", "found 'legacy_dn_page' cited by none", "timepoint_label 'after 1 month'". The
#: opening quote follows no letter and the closing one precedes none, so that the
#: apostrophes of "row's" and "Hedges' g" are not taken for quotes.
_STRAIGHT_QUOTED = re.compile(r"(?<![\w\u2019'])'([^'\s](?:[^']*[^'\s])?)'(?!\w)")


def report_quotes(warning: str) -> str:
    """A consistency warning with the spans it quotes in the report's quotes (‘’).

    The terminal and the key results keep the validation messages' straight quotes; the
    report, set with curly ones, prints a warning the same way in its table and in What
    changed.
    """
    return _STRAIGHT_QUOTED.sub("\u2018\\1\u2019", warning)


def warnings_section(ctx: ReportContext) -> Markdown:
    """The consistency warnings (:func:`consistency_warnings`) as a table."""
    warnings = consistency_warnings(ctx, quotes=("\u2018", "\u2019"))
    rows = [[label, report_quotes(text)] for label, text, _ in warnings]
    if not rows:
        return Markdown("No consistency check raised a warning.\n")
    # A source document no table cites is no study, nor is the codebook: the heading names
    # what is there.
    sources = any(key.startswith("uncited_source ") for _, _, key in warnings)
    codebook = any(key == "stale_codebook" for _, _, key in warnings)
    about = {(False, False): "Study", (True, False): "Study or source", (False, True): "Study or file",
             (True, True): "Study, source or file"}[sources, codebook]
    return table([about, "Warning"], rows,
                 "Consistency warnings: numbers in the raw tables that disagree with each other, with their "
                 "timepoint's words or with their quote, and results printed alike by more than one study"
                 + ("; and a codebook the schemas have moved on from" if codebook else ""),
                 "tbl-warnings")


def uncovered_comparisons(ctx: ReportContext) -> list[dict[str, Any]]:
    """Comparisons that trials in the data report and no configured analysis defines.

    A pair of treatment nodes and an outcome for which a trial gives values for both
    arms (or a contrast between them), while no analysis of the config compares the two
    nodes on that outcome, in either order and any window: data the review collected and
    does not analyse. Comparisons between two controls (sham, usual care, no treatment:
    no arm of an active treatment) answer no question of the review and are left out, as
    are arms in no node (the methods name them) and arms of one node.

    Returns
    -------
    list of dict
        ``intervention`` and ``comparator`` (node codes; the one with an active arm
        first), ``outcome``, ``studies`` (labels) and ``add_on`` (a trial's active arm
        adds the treatment to its comparator's, e.g. acupuncture + exercise vs exercise).
    """
    covered = {(frozenset((a["intervention"], a["comparator"])), a["outcome"]) for a in ctx.config.get("analyses", [])}
    roles = {t["treatment"]: t.get("role") for t in ctx.raw_tables.get("treatments", [])}
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for doc in ctx.normalised:
        if doc["study"]["role"] != "trial":
            continue
        arms = {a["arm_id"]: a for a in doc["arms"]}
        for a1, a2, outcome in sorted(_compared_arms(doc)):
            x, y = arms[a1], arms[a2]
            if x["node"] is None or y["node"] is None or x["node"] == y["node"]:
                continue
            if (frozenset((x["node"], y["node"])), outcome) in covered:
                continue
            active = [roles.get(a["treatment"], "active") == "active" for a in (x, y)]
            if not any(active):
                continue
            if not active[0] or (all(active) and ctx.labels.get(y["node"], "") < ctx.labels.get(x["node"], "")):
                x, y = y, x
            entry = found.setdefault((x["node"], y["node"], outcome), {
                "intervention": x["node"], "comparator": y["node"], "outcome": outcome, "studies": set(),
                "add_on": False})
            entry["studies"].add(doc["study"]["label"])
            entry["add_on"] |= is_cointervention(y["treatment"], x.get("cointervention"))
    return [{**e, "studies": sorted(e["studies"])} for _, e in sorted(found.items())]


def _compared_arms(doc: Mapping[str, Any]) -> set[tuple[str, str, str]]:
    """``(arm, arm, outcome)`` for each pair of a normalised trial's arms with results on one
    outcome, or a between-group result: the comparisons the trial made."""
    by_outcome: dict[str, set[str]] = {}
    for v in doc["arm_values"]:
        by_outcome.setdefault(v["outcome"], set()).add(v["arm_id"])
    pairs = {(a1, a2, o) for o, ids in by_outcome.items() for a1 in ids for a2 in ids if a1 < a2}
    return pairs | {(c["arm1"], c["arm2"], c["outcome"]) for c in doc["contrasts"]}


def within_node_comparisons(ctx: ReportContext) -> list[tuple[str, str, list[str]]]:
    """Trials that compare treatments of one node, which no analysis can compare.

    A trial whose arms of different treatment codes (strengthening and stretching, say)
    both fall in one node, with results for both on an outcome: the review counts them as
    one intervention and combines them (Cochrane Handbook 6.5.2.10), so the comparison
    the trial made enters no analysis.

    Returns
    -------
    list of tuple
        ``(study label, node label, treatment labels)``, by study label.
    """
    treatment_label = {t["treatment"]: t.get("label") or t["treatment"] for t in ctx.raw_tables.get("treatments", [])}
    found: dict[tuple[str, str], set[str]] = {}
    for doc in ctx.normalised:
        if doc["study"]["role"] != "trial":
            continue
        arms = {a["arm_id"]: a for a in doc["arms"]}
        for a1, a2 in {(a1, a2) for a1, a2, _ in _compared_arms(doc)}:
            x, y = arms[a1], arms[a2]
            if x["node"] is not None and x["node"] == y["node"] and x["treatment"] != y["treatment"]:
                found.setdefault((doc["study"]["label"], x["node"]), set()).update(
                    treatment_label.get(a["treatment"], a["treatment"]) for a in (x, y))
    return [(label, ctx.labels.get(node, node), sorted(labels)) for (label, node), labels in sorted(found.items())]


def _within_node_text(ctx: ReportContext) -> str:
    """" Treatments of one node are one intervention to this review, ...: Costa et al.
    (2021) (Neck stretching and Strengthening, both exercise therapy)." (a leading space,
    to follow a sentence), or "" when no trial compares treatments of one node."""
    found = within_node_comparisons(ctx)
    if not found:
        return ""
    return (" Treatments of one node are one intervention to this review, combined in its analyses, so no analysis "
            "compares them: " + "; ".join(f"{escape(label)} ({join_and([escape(t) for t in treatments])}, "
                                          f"{'both' if len(treatments) == 2 else 'all'} "
                                          f"{escape(_in_sentence(node, _names(ctx)))})"
                                          for label, node, treatments in found) + ".")


def _uncovered_outcome_cell(ctx: ReportContext, outcome: str) -> str:
    """An outcome as @tbl-uncovered prints it: an outcome the config does not list also
    says so, as an analysis of it needs it under ``outcomes`` before ``analyses``."""
    if outcome in (ctx.config.get("outcomes") or {}):
        return outcome_text(ctx, outcome)
    return Markdown(escape(outcome_text(ctx, outcome)) + f" (`{outcome}` is not among the review's outcomes: "
                    "add it under `outcomes` first)")


def uncovered_section(ctx: ReportContext) -> Markdown:
    """The comparisons no analysis covers (:func:`uncovered_comparisons`), as a table."""
    rows = [[f"{ctx.labels.get(u['intervention'], u['intervention'])} vs "
             f"{ctx.labels.get(u['comparator'], u['comparator'])}"
             + (" (add-on: the intervention added to the comparator's treatment)" if u["add_on"] else ""),
             _uncovered_outcome_cell(ctx, u["outcome"]), "; ".join(u["studies"])] for u in uncovered_comparisons(ctx)]
    within = _within_node_text(ctx)
    if not rows:
        # "Every comparison" would take in a trial's comparison of two treatments of one
        # node (strengthening against stretching), which no analysis can cover.
        return Markdown("Every comparison between two nodes, one of them an active treatment, that a trial in the "
                        f"data reports is covered by an analysis.{within}\n")
    # What the reader is looking at, in words: the table is the team's list of gaps (its
    # cells may name config keys), and the provenance names the key of the analyses.
    intro = ("Trials in the data compare these treatments on these outcomes, but none of the analyses this review "
             f"defines{' (@tbl-analyses)' if ctx.config.get('analyses') else ''} compares them, so these results enter no analysis: whether one belongs in the "
             "review is the review team's choice. Not listed: comparisons "
             "between two controls, between arms of one node, and of treatments no node includes (see the "
             f"methods).{within}\n")
    return Markdown(intro + table(["Comparison", "Outcome", "Trials"], rows,
                                  "Comparisons reported by trials in the data that no analysis covers", "tbl-uncovered"))


def _excluded_reason(ctx: ReportContext, r: Mapping[str, Any], e: Mapping[str, Any]) -> Markdown:
    """Why a trial was set aside from analysis ``r`` (its ``reason``), and, where the
    trial states a result on the analysis's comparison and outcome in words, that it does,
    pointing to @tbl-narrative: "no value after baseline ... of week 0" alone read as if
    Cherkin 2009 had reported no later pain, when its abstract gives the 8-week changes as
    a range across three arms. Statements about one arm alone compare nothing and are
    not pointed to. The reason names no raw file or row: the reader's prose leaves those
    to the narrative table's source column and the audit trail, which carry them."""
    stated = {n["ref"] for n in r.get("narrative", []) if n.get("study_id") == e.get("study_id")}
    doc = next((d for d in ctx.normalised if d["study"]["study_id"] == e.get("study_id")), None)
    refs = [x["ref"] for x in (doc["statements"] if doc else []) if x["ref"] in stated and x.get("arm2")]
    reason = escape(e["reason"])
    if not refs:
        return reason
    return Markdown(f"{reason}; a result given in words only (see @tbl-narrative)")


def excluded_section(ctx: ReportContext) -> Markdown:
    """Trials that could have entered an analysis but did not, with the reason."""
    names = analysis_names(ctx)
    rows = []
    for r in ctx.analyses:
        for e in r["excluded"]:
            rows.append([e["label"], names[r["analysis"]["id"]], _excluded_reason(ctx, r, e)])
    if not rows:
        return Markdown("Every candidate trial entered its analyses.\n")
    return table(["Study", "Analysis", "Why it was not used"], rows,
                 "Trials that could not be used in an analysis, and why", "tbl-excluded")


def _row_summary(table_name: str, raw: Mapping[str, Any], texts: Mapping[str, str] | None = None) -> str:
    """A raw row of results in a line: its arms, outcome, instrument, time and values,
    each number verbatim as it was typed (``texts``, the row's number cells as typed; else
    the parsed value's digits), with the minus sign the rest of the report prints."""
    texts = texts or {}

    def cell(k: str) -> str:
        return _as_typed(raw[k], texts.get(k))

    def g(k: str) -> str:
        return _minus(cell(k))

    # "week 8", as the tables of study effects and the text name a timepoint, not "8 wk".
    tp = f"week\u00a0{cell('timepoint_weeks')}" if raw.get("timepoint_weeks") is not None else (raw.get("timepoint_label") or "time not stated")
    if table_name == "arm_outcomes":
        parts = [f"{raw['arm_id']}: {raw['outcome']} ({raw['instrument']}), {raw['value_type'].replace('_', ' ')}, {tp}"]
        # Every value the row reports: an SD derived from an SE or a CI of the mean, or
        # estimated from a median with its quartiles or range, is read from these.
        vals = [f"{k} {g(k)}" for k in ("n", "mean", "sd", "se") if raw.get(k) is not None]
        if raw.get("ci_lb") is not None or raw.get("ci_ub") is not None:
            level = cell("ci_level") if raw.get("ci_level") is not None else "95"
            vals.append(f"{level}% CI {g('ci_lb') if raw.get('ci_lb') is not None else '?'} to "
                        f"{g('ci_ub') if raw.get('ci_ub') is not None else '?'}")
        vals += [f"{k} {g(k)}" for k in ("median", "q1", "q3", "min", "max", "events", "percent")
                 if raw.get(k) is not None]
        return parts[0] + (": " + ", ".join(vals) if vals else "")
    if table_name == "contrasts":
        val = f"{raw['measure']} {g('estimate')}" if raw.get("estimate") is not None else raw["measure"].replace("_", " ")
        if raw.get("ci_lb") is not None:
            val += f" ({g('ci_lb')} to {g('ci_ub')})"
        if raw.get("p_value") is not None:
            val += f", p {raw.get('p_qualifier') or '='} {cell('p_value')}"
        return f"{raw['arm1']} vs {raw['arm2']}: {raw['outcome']} ({raw['instrument']}), {tp}: {val}"
    return f"{raw['arm1']}: {raw['outcome']}: {raw['statement']}"


def arm_size(n: float | None) -> str:
    """An arm's size as the study tables print it; "n/r" (not reported) when unknown."""
    return "n/r" if n is None else f"{n:g}"


def _finding(r: Mapping[str, Any], proper: Collection[str] = ()) -> str:
    a, p = r["analysis"], r["pooled"]
    if r["status"] == "pooled":
        if excludes_no_effect(p):
            who = a["intervention_label"] if favours_intervention(a, p["estimate"]) else a["comparator_label"]
            finding = f"favours {_in_sentence(who, proper)}"
        else:
            finding = f"confidence interval {INCLUDES}"
        changed = _sensitive_labels(r)
        return finding + (f"; sensitive to leaving out {_left_out_words(changed, len(p.get('leave1out') or []))}"
                          if changed else "")
    if r["status"] == "single_study":
        return "one study: not pooled"
    if r["status"] == "not_poolable":
        return f"not pooled: {r['reason']}"
    return "no usable study"


def results_table(ctx: ReportContext) -> Markdown:
    """The results of every analysis, one row each: the layout above :func:`detail_limit`."""
    level = float(ctx.config["methods"].get("level", 95))
    # A GRADE column once the team has judged any analysis (@tbl-certainty gives why).
    graded = any_judgement(ctx)
    rows = []
    # The outcomes whose MDs the table reads against their MID, for its introduction.
    read: set[str] = set()
    for r in ctx.analyses:
        a, p = r["analysis"], r["pooled"]
        mid = ""
        if r["status"] == "pooled":
            est = f"{f2(shown(a, p['estimate']))} ({ci_text(shown(a, p['ci_lb']), shown(a, p['ci_ub']))})"
            i2 = f"{f2(p['I2'], 1)}%"
            mid = mid_cell(ctx, a, p["ci_lb"], p["ci_ub"])
        elif r["status"] == "single_study":
            s = r["studies"][0]
            est = f"{f2(shown(a, s['yi']))} ({ci_text(shown(a, s['ci_lb']), shown(a, s['ci_ub']))})"
            i2 = "–"
            mid = mid_cell(ctx, a, s["ci_lb"], s["ci_ub"])
        else:
            est, i2 = "–", "–"
        if mid:
            read.add(a["outcome"])
        rows.append([a["id"], f"{a['intervention_label']} vs {a['comparator_label']}",
                     f"{a['outcome_label']}, {_in_sentence(a['window_label'].split('(')[0].strip())}",
                     a["measure"], str(r["k"]), est, i2,
                     _finding(r, proper=_names(ctx)) + (f"; {mid}" if mid else "")])
        if graded:
            c = certainty_of(ctx, r)
            rows[-1].append(level_text(c.level) if c.level else "not rated" if c.judged else "–")
    limit = detail_limit(ctx)
    intro = Markdown(
        # Its files by what they hold: the appendix on every reported result names them
        # by the id in the table's first column, and the provenance the setting's key.
        f"This review has {len(ctx.analyses)} analyses, more than the {limit} the report shows one by one, so "
        "each is one row of @tbl-results: the estimate is the pooled one, or the single study's effect when only "
        "one study was usable. Each analysis's forest plot, study effects and weights, and full results "
        "(heterogeneity, excluded trials) are kept in files named by its id, in the table's first column (see the "
        "[appendix on every reported result](#sec-evidence)); the [audit trail](#sec-audit) traces each of its "
        "numbers to the raw data." + _mid_table_note(ctx, read) + "\n")
    return Markdown(intro + "\n" + table(
        ["Analysis", "Comparison", "Outcome", "Measure", "k", f"Estimate ({level:g}% CI)", "I²", "Finding",
         *(["GRADE"] if graded else [])],
        rows, "Results of every analysis", "tbl-results"))


def forest_alt(analysis: Mapping[str, Any], result: Mapping[str, Any], level: float, mid: str = "") -> str:
    """The forest plot's alternative text: what it draws, for a reader who cannot see it.

    The caption (read as well) names the comparison and the measure; this says how many
    studies the plot draws, the pooled estimate or the single study's effect with its
    ``level``% interval, how many published meta-analyses are drawn with them, and where
    the values are written out. Without it the plot was an image with an empty alt, which
    a screen reader passes over (WCAG 2.2, success criterion 1.1.1, "Non-text content").
    Published intervals the plot marks as not at its level (:func:`metareview.plots.unmatched_levels`)
    are counted, as the plot's footnotes give them; ``mid``, the sentence of
    :func:`mid_figure_note`, says what the plot's dashed lines mark. Plain text:
    :func:`metareview.markdown.figure` keeps it literal.
    """
    a, r = analysis, result
    studies = r["studies"]
    k = len(studies)
    drawn_list = drawn_externals(r)
    drawn = len(drawn_list)
    # A review may give several results in one window (Rubinstein 2010: at <1 and <3
    # months): "4 published meta-analyses" beside a list of three reviews miscounted them.
    n_reviews = len({e.get("study_id") or i for i, e in enumerate(drawn_list)})
    reviews = f"{n_reviews} published meta-analys{'is' if n_reviews == 1 else 'es'}"
    if n_reviews < drawn:
        reviews = f"{drawn} results of {reviews}"
    # The level the plot's own intervals are at, which heads its estimate column.
    plot_level = float(r["pooled"]["level"]) if r["status"] == "pooled" else level
    levels = [
        f"{n} interval{'s' if n > 1 else ''} whose level {'its source does' if n == 1 else 'their sources do'} not state"
        if stated is None else f"{n} interval{'s' if n > 1 else ''} at the {stated:g}% level"
        for stated, n in unmatched_levels(r, plot_level).items()]
    if levels:
        reviews += f" ({join_and(levels)})"
    if r["status"] == "pooled":
        p = r["pooled"]
        what = (f"Forest plot of {k} studies and their pooled estimate, {a['measure']} "
                f"{f2(shown(a, p['estimate']))} ({p['level']:g}% CI {ci_text(shown(a, p['ci_lb']), shown(a, p['ci_ub']))})")
    elif k == 1:
        s = studies[0]
        # Not named: a study's label is data, which an attribute cannot escape (the
        # table of study effects below names it).
        what = (f"Forest plot of one study: {a['measure']} {f2(shown(a, s['yi']))} "
                f"({level:g}% CI {ci_text(shown(a, s['ci_lb']), shown(a, s['ci_ub']))}); no pooled estimate")
    elif k:
        what = f"Forest plot of {k} studies; no pooled estimate"
    else:
        return (f"Forest plot of published meta-analyses only (no usable trial): {reviews}, not pooled.{mid} "
                "The values are written out in the text below.")
    if drawn:
        what += f"; also drawn, not pooled: {reviews}"
    return f"{what}.{mid} The values are written out in the table of study effects below and in the text."


def pooled_terms(table: bool, detail: bool) -> str:
    """What the statistics beside a pooled estimate mean, in words, for a reader who meets
    "τ² = 0.000; I² = 0.0%; Q = 0.15" in the results without the methods' vocabulary; ""
    when neither the results table (``table``, whose column is I²) nor a pooled analysis's
    section (``detail``: τ², I², Q and the prediction interval) gives them.

    Parameters
    ----------
    table
        Whether a results table with an I² column is shown and some analysis is pooled.
    detail
        Whether some analysis shown in a section of its own is pooled.

    Returns
    -------
    str
        A paragraph (ending in a newline), or "".

    Notes
    -----
    τ² is the variance of the true effects between studies; I² = 100 τ² / (ṽ + τ²), ṽ the
    typical within-study variance, the share of the variation in the studies' results that
    τ² accounts for (Higgins & Thompson 2002, as metafor defines it); Q = Σ wᵢ (yᵢ − ȳ)²,
    wᵢ = 1/vᵢ, is Cochran's test (1954) of one true effect shared by all; the prediction
    interval is where the true effect of a new study like these is expected to lie (Higgins,
    Thompson & Spiegelhalter 2009). A Q test of few studies has little power, so a large p
    does not show the studies alike.
    """
    # The summary's list of terms in the same words (HETEROGENEITY_TERMS): two wordings of
    # one statistic read as two meanings.
    terms = HETEROGENEITY_TERMS
    if detail:
        return (f"In a pooled result below, as in the summary's list of terms: τ² is {terms['τ²']}; I² is "
                f"{terms['I²']}; Q is {terms['Q']}; and the prediction interval is {terms['prediction interval']}. "
                "The methods say how τ², its interval, I² and the prediction interval are computed.\n")
    if table:
        return f"I² in the table below is {terms['I²']}, as in the summary's list of terms.\n"
    return ""


def results_section(ctx: ReportContext) -> Markdown:
    in_full = detailed_analyses(ctx)
    out = []
    terms = pooled_terms(not in_detail(ctx) and any(r["status"] == "pooled" for r in ctx.analyses),
                         any(r["status"] == "pooled" for r in in_full))
    if terms:
        out.append(terms)
    if not in_detail(ctx):
        out.append(results_table(ctx))
        if in_full:
            out.append("The analyses the review asks to see whatever their number are shown in full below.\n")
    if any_judgement(ctx):
        out.append(certainty_table(ctx))
    names = analysis_names(ctx)
    titles = section_titles([r["analysis"] for r in ctx.analyses])
    for r in in_full:
        a = r["analysis"]
        aid = a["id"]
        out.append(f"### {escape(titles[aid])} {{#sec-{aid.replace('_', '-')}}}\n")
        # Two short lines: on the page of what follows them, not with the heading alone.
        # No id: the heading names the analysis, and @tbl-analyses and the appendices give
        # its id beside its words, for the files it names.
        out.append(keep_with_next(Markdown(
            f"Measure: {escape(_measure_in_sentence(a))}"
            f"{', in' + md_points(ctx, a) if md_points(ctx, a) else ''}; candidate trials: {r['k'] + len(r['excluded'])}; "
            f"used: {r['k']}" + _value_types_used(r) + ".\n\n" + escape(direction_sentence(a, proper=_names(ctx))))))
        p = r["pooled"]
        log = on_log_scale(a)
        if r["status"] == "pooled":
            out.append(
                f"Pooled {a['measure']} **{f2(shown(a, p['estimate']))}** ({p['level']:g}% CI "
                f"{ci_text(shown(a, p['ci_lb']), shown(a, p['ci_ub']))}; "
                f"{p_text(p['pval'])}); "
                # Which side the estimate lies on, as the results list says it: "Pooled
                # SMD 0.15" left a clinician to work out from the sign that it leans to sham.
                f"{_interval_shows(a, p['estimate'], p, proper=_names(ctx))}; {_prediction_text(a, p)}; "
                + (f"τ² = {f2(p['tau2'], 3)}{' (log scale)' if log else ''} (Q-profile {_level_ci(p)} {_tau2_interval(p)}); "
                   if p.get("method") not in ("EE", "FE") else
                   # An equal-effects model sets τ² to 0 and profiles nothing: "τ² = 0.000
                   # (Q-profile CI – to –)" read as an estimate with an interval missing.
                   "τ² set to 0 (an equal-effects model); ")
                + f"{_i2_text(p)}; Q = {f2(p['QE'])} (df = {p['k'] - 1}, {p_text(p['QEp'])}); k = {p['k']}."
                # Where the reader of this line looks for the pooled MD against the MID,
                # as the summary reads it.
                + mid_markdown(ctx, a, p["ci_lb"], p["ci_ub"]) + "\n")
            out.append(sensitivity_text(r, proper=_names(ctx)) + "\n")
        else:
            out.append(callout("note", "Not pooled", r["reason"]))
            if not r["studies"]:
                out.append(_elsewhere(ctx, r))
            elif r["status"] == "single_study" and _printed_reported_p(ctx, a, r["studies"][0]) is not None:
                # The appendix of raw rows sends the reader of the trial's own p-value here
                # ("printed in <this analysis>"): the overview's line alone did not hold it.
                out.append(as_sentences(_reported_p_clause(ctx, a, r["studies"][0])
                                        .replace("this interval", "its interval below")).strip() + "\n")
        absolute = absolute_text(r, assumed_risk(ctx, aid), proper=_names(ctx))
        if absolute:
            # The trial's own risk difference too, which the appendix of raw rows says is
            # printed here, beside the difference the ratio gives.
            own = _reported_rd_clause(ctx, a, r["studies"][0]) if _printed_reported_rd(ctx, r) else ""
            out.append(f"In absolute terms: {absolute}{own}.\n")
            scenarios = scenarios_text(ctx, r)
            if scenarios:
                out.append(f"At other comparator risks: {scenarios}.\n")
        if _certainty_clause(ctx, r):
            out.append(f"Certainty of the evidence (GRADE): {escape(describe(certainty_of(ctx, r), _study_labels(ctx)))}.\n")
        label = f"fig-{aid.replace('_', '-')}"
        # In brackets already: "SMD (Hedges' g)" is given as "SMD, Hedges' g", not nested;
        # a figure of published meta-analyses alone says "SMD": each review computed its
        # own, not necessarily as Hedges' g.
        measure = re.sub(r"^(.*?) \((.*)\)$", r"\1, \2" if r["studies"] else r"\1", _measure_in_sentence(a))
        what = (f"{a['intervention_label']} vs {a['comparator_label']}: {_in_sentence(a['outcome_label'])} "
                f"({measure}{', log scale' if log else ''}"
                f"{', ' + md_scale(ctx, a) + ' scale' if md_scale(ctx, a) else ''}"
                f"{', ' + escape(md_unit(ctx, a)) if md_unit(ctx, a) else ''})")
        level = float(ctx.config["methods"].get("level", 95))
        if not r["studies"] and shows_results(r):
            # No usable trial, but published meta-analyses on this analysis's scale: the
            # plot draws them, and says so. A plot of neither would be an empty axis.
            out.append(figure(ctx.figures[aid], f"{what}: published meta-analyses only, not pooled; no usable "
                              f"trial. {direction_sentence(a, proper=_names(ctx))}{mid_figure_note(ctx, a)}", label,
                              alt=forest_alt(a, r, level, mid_figure_note(ctx, a))))
        if r["studies"]:
            # The plot draws published meta-analyses beneath the trials: a caption naming
            # the comparison alone said the figure held the trials and nothing else.
            beside = (", with published meta-analyses drawn apart, not pooled with the trials"
                      if drawn_externals(r) else "")
            out.append(figure(ctx.figures[aid], f"{what}{beside}. {direction_sentence(a, proper=_names(ctx))}"
                              f"{mid_figure_note(ctx, a)}", label, alt=forest_alt(a, r, level, mid_figure_note(ctx, a))))
            binary = any(s.get("events1") is not None for s in r["studies"])
            # Nothing pooled, nothing weighted: a column of dashes took the room the
            # study's name and arm sizes wrapped for.
            weighted = any(s["weight"] is not None for s in r["studies"])
            rows = []
            for s in r["studies"]:
                if s.get("events1") is not None and s.get("events2") is not None:
                    sizes = f"{s['events1']:g}/{s['n1']:g} vs {s['events2']:g}/{s['n2']:g}"
                else:
                    sizes = f"{arm_size(s['n1'])} / {arm_size(s['n2'])}"
                rows.append([s["label"], f2(shown(a, s["yi"])), ci_text(shown(a, s["ci_lb"]), shown(a, s["ci_ub"])),
                             *(["–" if s["weight"] is None else fixed(s["weight"], 1)] if weighted else []),
                             sizes, s["form"] + _timepoint_text(s),
                             # A flag's rows whose notes say why, in words (the audit trail
                             # names them); any other row reference by file and row number.
                             _refs_in_words(ctx, "; ".join([*source_flags(s), *map(notes_in_words, s["flags"]),
                                                            *_exact_flag(s)]))
                             or "–"])
            out.append(table(["Study", a["measure"], f"{float(ctx.config['methods'].get('level', 95)):g}% CI",
                              *(["Weight %"] if weighted else []), "Events/n (int. vs comp.)" if binary else "n (int. / comp.)", "From", "Flags"], rows,
                             f"Study effects: {names[aid]}"
                             + ("; n/r: arm size not reported" if any(s["n1"] is None or s["n2"] is None
                                                                      for s in r["studies"]) else ""),
                             f"tbl-{aid.replace('_', '-')}"))
            if r["status"] == "single_study":
                # Under the one row that is the analysis's result, as a pooled MD's line
                # reads it against the MID.
                mid = mid_markdown(ctx, a, r["studies"][0]["ci_lb"], r["studies"][0]["ci_ub"], of_study=True)
                if mid:
                    out.append(f"{mid.lstrip()}\n")
        if r["excluded"]:
            fits = {d["study"]["study_id"]: d["study"].get("population_fit") for d in ctx.normalised}
            # Each trial's reasons after a colon: in brackets after a label with brackets of
            # its own ("Molsberger et al. (presumed 2002) (mean percentage change ...)"), two
            # brackets stood side by side, and a trial's own effect put a third inside them.
            excluded = [
                f"{escape(e['label'])}: {_excluded_reason(ctx, r, e)}"
                f"{_own_effect_text(a, e, float(ctx.config['methods'].get('level', 95)))}"
                # An effect given, from a trial whose population is not the review's.
                + (_population_clause([{"label": e["label"], "population_fit": fits.get(e.get("study_id"))}],
                                      single=True, pointer=False)
                   if e.get("own_effect") else "")
                for e in r["excluded"]]
            # One trial stays in the sentence, its name before the colon its reasons follow.
            out.append(f"Excluded from this analysis, {excluded[0]}.\n" if len(excluded) == 1
                       else _listed_items("Excluded from this analysis", excluded))
        ext = r["external"]
        if ext:
            out.append(_listed_items("External evidence (published meta-analyses, not pooled with the trials)", [
                f"{escape(e['label'])}: {_external_value(e)}"
                + (f", {e['n_participants']:,} participants" if e.get("n_participants") else "")
                + (f", k = {e['k_studies']}" if e.get("k_studies") else "")
                # Marked as its forest plot marks it, where the tallies leave it out. The notes
                # as a sentence after the result: in brackets, they stood beside the
                # interval's ("SMD -0.33 (-0.52 to -0.15) (timepoint given as ...)").
                + _as_sentence_after("; ".join([*(_label_ranges(_claim_scale_note(ctx, a, e, x))
                                                  for x in e.get("notes", [])),
                                                *filter(None, [external_flag(e)])]))
                for e in ext]))
        out.append("")
    return Markdown("\n".join(out))


#: The small-study test's predictor (``methods.small_study_predictor``) in words.
PREDICTOR_TEXT = {
    "sei": "the standard error",
    "vi": "the sampling variance",
    "ni": "the total sample size",
    "ninv": "the inverse of the total sample size",
    "sqrtni": "the square root of the total sample size",
    "sqrtninv": "the inverse square root of the total sample size",
}


def _predictor_text(ctx: ReportContext) -> str:
    return PREDICTOR_TEXT[str(ctx.config["methods"].get("small_study_predictor", "sei"))]


#: The fewest studies Sterne et al. (2011, BMJ 343:d4002) advise for a test of funnel-plot
#: asymmetry (also metareview.analysis.SMALL_STUDY_MIN, the default threshold).
STERNE_MIN_STUDIES = 10


def _small_study_reason(n: int) -> str:
    """Why a test of small-study effects needs ``n`` studies, with its source: Sterne et
    al. (2011) when the review keeps their 10; else the review's own setting, with what
    they advise, so that a lower or higher ``methods.small_study_min`` (5 or 15, say) is
    not put in their mouth."""
    if n == STERNE_MIN_STUDIES:
        return "such a test needs to tell asymmetry from chance (Sterne et al. 2011)"
    return (f"the review sets (its own threshold; Sterne et al. 2011 advise at least {STERNE_MIN_STUDIES} "
            "for such a test to tell asymmetry from chance)")


def _small_study_min(ctx: ReportContext) -> int:
    """The fewest studies for a test of small-study effects: the configured number, else
    the default the analyses applied (metareview.analysis.SMALL_STUDY_MIN, 10)."""
    configured = ctx.config["methods"].get("small_study_min")
    if configured is not None:
        return int(configured)
    return int(next((r["small_study_min"] for r in ctx.analyses if "small_study_min" in r), 10))


def _favoured(a: Mapping[str, Any], estimate: float) -> str:
    """"Acupuncture" or "Sham": the treatment an estimate on the analysis scale favours."""
    return a["intervention_label" if favours_intervention(a, estimate) else "comparator_label"]


def _either(labels: Sequence[str]) -> str:
    """"A", "A or B", "A, B or C"."""
    return join_list(labels, "or")


def _left_out_words(labels: Sequence[str], k: int) -> str:
    """The studies whose omission changes a conclusion, after "sensitive to leaving out":
    "A or B", or "any one of its 4 studies" when every one of the analysis's k studies
    does, which a list of all their names says less plainly (and, in a summary line, at
    the length of the whole list)."""
    return f"any one of its {k} studies" if k > 2 and len(labels) == k else _either(labels)


def sensitive_to(r: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The leave-one-out refits of a pooled analysis that change its conclusion: whether
    the interval lies wholly on one side of no difference, or on which side; [] without
    refits."""
    p = r.get("pooled") or {}
    a = r["analysis"]
    whole = bool(p) and excludes_no_effect(p)
    side = bool(p) and favours_intervention(a, p["estimate"])
    return [x for x in p.get("leave1out") or []
            if excludes_no_effect(x) != whole or (whole and favours_intervention(a, x["estimate"]) != side)]


def _sensitive_labels(r: Mapping[str, Any]) -> list[str]:
    """The labels of the studies whose omission alone changes the analysis' conclusion."""
    labels = {s["study_id"]: s["label"] for s in r["studies"]}
    return [labels[x["study_id"]] for x in sensitive_to(r)]


#: Tests whose interval takes its critical value from a t distribution on k - 1 df.
T_TESTS = frozenset({"knha", "t", "adhoc"})

#: Below this many studies a t-based pooled interval is said to be wide by construction.
FEW_STUDIES = 4


def _study_doubts_in_brief(s: Mapping[str, Any], *, baseline: bool = True) -> list[tuple[str, str]]:
    """What a study effect rests on that bears on how far it can be trusted, as the
    summary's lines say it beside the study: each doubt as (said of one study, said of
    several), e.g. ("using a value extracted with low confidence", "using values extracted
    with low confidence"); [] for none.

    In order: arms that differed at baseline (where ``baseline``), a secondary source,
    values rated as extracted with low confidence, a population other than the review's
    (``population_fit`` narrower, broader or different), means and SDs estimated from
    medians, an SD or SE imputed from a p-value, and arm sizes assumed equal from a total.
    The analysis's line in the Results says each in full (:func:`_pooled_study_caveats`,
    :func:`_single_study_parts`); a reader who stops at the summary must not take such an
    effect for one like the others. No commas inside a doubt: the summary's lists of
    results part their items with commas and semicolons.
    """
    doubts = []
    if baseline and s.get("baseline_imbalance") is not None:
        # "with", not "whose": joined by "and" to the next doubt ("using ..."), a relative
        # clause would not read as one list with it.
        doubts.append(("with arms that differed at baseline", "with arms that differed at baseline"))
    if s.get("source_level") == "secondary":
        doubts.append((SECONDARY, "known only from secondary sources"))
    if s.get("read_elsewhere"):
        doubts.append((f"using {READ_ELSEWHERE_TRIAL}", f"using {READ_ELSEWHERE_TRIALS}"))
    if s.get("low_confidence"):
        doubts.append(("using a value extracted with low confidence", "using values extracted with low confidence"))
    fit = s.get("population_fit")
    if fit in POPULATION_WORDS:
        doubts.append((f"in {POPULATION_WORDS[fit]} this review\u2019s", f"in {POPULATION_WORDS[fit]} this review\u2019s"))
    if _from_medians(s):
        doubts.append(("using means and SDs estimated from medians", "using means and SDs estimated from medians"))
    flags = s.get("flags") or []
    for what in ("SD", "SE"):
        # A t-test assumed where the source gives only a p-value (extract, Cochrane
        # Handbook 6.5.2.3): an estimate, not the trial's own spread.
        if f"{what} imputed from a p-value" in flags:
            doubts.append((f"with an {what} imputed from a p-value", f"with {what}s imputed from p-values"))
    if any(f.startswith("arm sizes assumed") for f in flags):
        doubts.append(("with arm sizes assumed equal", "with arm sizes assumed equal"))
    return doubts


def _pooled_caveats_in_brief(r: Mapping[str, Any]) -> str:
    """What the bottom line says beside "pooled, k = 2": ", an interval wider than any of its
    trials' own, 87% of the weight from Cherkin et al., 2009, with arms that differed at
    baseline, 13% of the weight from Kwon et al., 2007, known only from a secondary source
    and using a value extracted with low confidence" (in brackets:
    :func:`metareview.fmt.in_brackets`), or "". The analysis's line says each in full
    (:func:`_few_studies_caveat`, :func:`_pooled_study_caveats`); a list of results grouped
    by where their intervals lie must not present such an estimate as one like the others.

    Each study's doubts (:func:`_study_doubts_in_brief`) with the share of the weight it
    carries, which says how far they reach into the pooled estimate; studies with the same
    doubts share one clause, by their number ("20% of the weight from 2 studies using
    values extracted with low confidence"): their labels, each with a comma of its own,
    would need semicolons, which part the bottom line's results. A baseline imbalance is
    said only of a study with most of the weight: the pooled estimate carries it only then.
    """
    out = []
    if _few_studies_caveat(r):
        out.append("an interval wider than any of its trials' own")
    studies = r.get("studies") or []
    groups: dict[tuple[tuple[str, str], ...], list[Mapping[str, Any]]] = {}
    for s in studies:
        doubts = _study_doubts_in_brief(s, baseline=(s.get("weight") or 0) >= 50)
        if doubts:
            groups.setdefault(tuple(doubts), []).append(s)
    weighed = all(s.get("weight") is not None for s in studies)
    for shared, group in groups.items():
        one = len(group) == 1
        who = in_brackets(group[0]["label"]) + "," if one else f"{len(group)} studies"
        share = f"{f2(sum(float(s['weight']) for s in group), 0)}% of the weight from " if weighed else ""
        out.append(f"{share}{who} {join_and([d[0] if one else d[1] for d in shared])}")
    # Commas only: the bottom line separates its items with semicolons.
    return "".join(f", {text}" for text in out)


def _few_studies_caveat(r: Mapping[str, Any]) -> str:
    """Why a t-based pooled interval on two or three studies is wider than every one of
    its studies' own: "; with 2 studies the interval takes its width from a t distribution
    on 1 degree of freedom (critical value 12.71, against 1.96 for a single trial's
    interval here), wider than any of its studies' own intervals", or "".

    Said only where the interval is wider than each study's: a reader would otherwise
    take the width for the studies disagreeing. The Hartung-Knapp interval also scales
    with how far the studies scatter, so studies that agree closely can give one narrower
    than theirs, and then nothing is said.
    """
    p = r.get("pooled") or {}
    k, test = p.get("k"), p.get("test")
    if test not in T_TESTS or not k or k >= FEW_STUDIES:
        return ""
    widths = [s["ci_ub"] - s["ci_lb"] for s in r.get("studies") or []
              if s.get("ci_lb") is not None and s.get("ci_ub") is not None]
    if not widths or p["ci_ub"] - p["ci_lb"] <= max(widths):
        return ""
    # numpy and scipy: imported only for such an estimate.
    from metareview.distributions import norm_ppf, t_ppf

    df = int(p.get("df") or k - 1)
    quantile = 0.5 + float(p.get("level", 95)) / 200.0
    return (f"; with {k} studies the interval takes its width from a t distribution on {df} degree"
            f"{'' if df == 1 else 's'} of freedom (critical value {float(t_ppf(quantile, df)):.2f}, against "
            f"{float(norm_ppf(quantile)):.2f} for a single trial's interval here), wider than any of its studies' "
            "own intervals")


def _sensitive_in_brief(r: Mapping[str, Any]) -> str:
    """", sensitive to leaving out Bee, 2020" beside "pooled, k = 5" in the treatments'
    lists, inside their brackets (:func:`metareview.fmt.in_brackets`); "" when no omission
    matters.

    The other lists of the bottom line give :func:`_sensitivity_caveat`, in brackets of its
    own, which would open inside these. Several studies are counted, not named ("any one of
    2 of its studies"): their labels, each with a comma of its own, would need the
    semicolons that part the list's results.
    """
    changed = _sensitive_labels(r)
    if not changed:
        return ""
    k = len((r.get("pooled") or {}).get("leave1out") or [])
    who = (in_brackets(changed[0]) if len(changed) == 1 else
           f"any one of its {k} studies" if len(changed) == k else f"any one of {len(changed)} of its studies")
    return f", sensitive to leaving out {who}"


def _sensitivity_caveat(r: Mapping[str, Any]) -> str:
    """" (sensitive to leaving out Bee 2020)" for a summary line; "" when no omission matters."""
    changed = [escape(label) for label in _sensitive_labels(r)]
    k = len((r.get("pooled") or {}).get("leave1out") or [])
    return f" (sensitive to leaving out {_left_out_words(changed, k)})" if changed else ""


def sensitivity_text(r: Mapping[str, Any], proper: Collection[str] = ()) -> str:
    """What leaving out one study at a time, and the test of small-study effects, show.

    Leave-one-out: the range of the estimates without one study each, and the omissions
    that change whether the interval lies wholly on one side of no difference, or its
    side, each with the side it then favours; below ``leave1out_min`` studies, that it was
    not done and why. Small-study effects: the Egger-type test's statistic, p-value and
    what it suggests, or why it was not done.
    """
    a, p = r["analysis"], r["pooled"]
    names = {s["study_id"]: escape(s["label"]) for s in r["studies"]}
    parts = []
    l1o = p.get("leave1out")
    if l1o:
        def left_out(value: float) -> str:
            # Every study whose omission gives the same printed estimate (ties).
            return _either([names[x["study_id"]] for x in l1o if f2(shown(a, x["estimate"])) == f2(value)])

        # every leave-one-out fit has an estimate, so shown gives a number for each
        low = min(cast(float, shown(a, x["estimate"])) for x in l1o)
        high = max(cast(float, shown(a, x["estimate"])) for x in l1o)
        text = (f"Leaving out one study at a time, the pooled {a['measure']} ranges from {f2(low)}, when "
                f"{left_out(low)} is left out, to {f2(high)}, when {left_out(high)} is")
        whole = excludes_no_effect(p)
        changed = sensitive_to(r)
        if not changed:
            text += ("; without any one of them the confidence interval "
                     + (f"still lies wholly on one side of no difference (favours {escape(_in_sentence(_favoured(a, p['estimate']), proper))})."
                        if whole else "is still compatible with no difference."))
        else:
            text += "; without " + "; without ".join(
                f"{names[x['study_id']]} the interval is {ci_text(shown(a, x['ci_lb']), shown(a, x['ci_ub']))} and "
                + (f"{EXCLUDES} (favours {escape(_in_sentence(_favoured(a, x['estimate']), proper))})" if excludes_no_effect(x) else INCLUDES)
                for x in changed) + (": the conclusion is sensitive to leaving out "
                                     + _left_out_words([names[x["study_id"]] for x in changed], len(l1o)) + ".")
        parts.append(text)
    elif "leave1out_min" in p:
        parts.append(f"Leaving out one study at a time is not done: {p['k']} studies, fewer than the "
                     f"{p['leave1out_min']} for each refit to pool at least {p['leave1out_min'] - 1}.")
    reg = p.get("regtest")
    if reg:
        predictor = reg.get("predictor", "sei")
        stat = (f"t = {f2(reg['tval'])} (df = {reg['df']})" if reg.get("tval") is not None
                else f"z = {f2(reg['zval'])}")
        text = (f"Small-study effects (Egger-type regression test on {PREDICTOR_TEXT[predictor]}): {stat}, "
                f"{p_text(reg['pval'])}")
        if reg["pval"] < 0.10 and reg.get("slope") is not None:
            # The slope's sign on the analysis scale (where "below" may favour either arm),
            # turned round for the predictors that grow with precision (ni, sqrt(ni)): the
            # less precise the study, the further its effect lies that way.
            favoured = _favoured(a, reg["slope"] * (-1 if predictor in ("ni", "sqrtni") else 1))
            text += (f": the less precise studies show effects more favourable to {escape(_in_sentence(favoured, proper))}. Such "
                     "asymmetry has causes other than publication bias (Sterne et al. 2011)")
        else:
            text += ": no sign of asymmetry, which does not rule it out"
        if a["measure"] != "MD" and predictor in ("sei", "vi"):
            text += (f". For an {a['measure']}, the standard error depends on the effect itself, which makes this test "
                     "find asymmetry more often than it should (a sample-size predictor, which the review can "
                     "choose instead, does not)")
        parts.append(text + ".")
    elif p.get("regtest_error"):
        parts.append(f"Small-study effects are not tested: the regression cannot be fitted "
                     f"({escape(p['regtest_error'])}).")
    elif "small_study_min" in r:
        parts.append(f"Small-study effects are not tested: {p['k']} studies, fewer than the "
                     f"{r['small_study_min']} {_small_study_reason(int(r['small_study_min']))}.")
    return " ".join(parts)


def _ix(entry: Mapping[str, Any], key: str, log: bool) -> float | None:
    """``entry[key]``, exponentiated when the comparison is of log ratios."""
    value = entry.get(key)
    if not log or value is None:
        return value
    return entry.get(f"{key}_exp", math.exp(value))


def _naive_direction(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """Which values of an indirect comparison's difference (or ratio) would favour its first treatment.

    The side is that of the direct analyses of the same outcome and measure (lower is
    better on every common scale; more beneficial events are better).
    """
    above = next((r["analysis"].get("favours_intervention_when") == "above" for r in ctx.analyses
                  if r["analysis"]["outcome"] == x["outcome"] and r["analysis"]["measure"] == x["measure"]),
                 x["measure"] in ("RR", "OR", "RD"))
    who = escape(_in_sentence(x["treatment_a_label"], _names(ctx)))
    if x.get("scale") == "log":
        return f"Ratios {'above' if above else 'below'} 1 would favour {who}."
    return f"{'Positive' if above else 'Negative'} differences would favour {who}."


def indirect_section(ctx: ReportContext) -> Markdown:
    """Each indirect comparison the config defines: anchored (Bucher), or why not.

    A review without one (``indirect`` absent or empty, as for a question with one
    intervention and one comparator) gets a sentence saying so, not a heading over nothing.
    """
    if not ctx.indirect:
        # Published reviews named only where the data hold one.
        return Markdown("The review defines no indirect comparison: every result "
                        "above compares its two treatments within trials"
                        + (" or published reviews" if _has_role(ctx, "external") else "") + ".\n")
    out = []
    # Each paragraph on trials against a treatment no node includes, by the heading it was
    # first printed under: Itoh 2004 reports pain and disability alike, and the same
    # paragraph of ninety words stood under both outcomes' headings.
    near_printed: dict[str, str] = {}
    for x in ctx.indirect:
        out.append(f"### {escape(indirect_heading(ctx, x))}\n")
        log = x.get("scale") == "log"

        if x["status"] == "anchored":
            for a in x["anchored"]:
                out.append(f"Through {escape(_in_sentence(a['comparator_label'], _names(ctx)))}: {x['measure']} {f2(_ix(a, 'estimate', log))} "
                           f"({x['level']:g}% CI {ci_text(_ix(a, 'ci_lb', log), _ix(a, 'ci_ub', log))}), from {escape(a['a_vs_c']['what'])} "
                           f"and {escape(a['b_vs_c']['what'])} (Bucher method"
                           + ("; ratio of the two ratios, computed on the log scale" if log else "") + ")."
                           + mid_markdown(ctx, x, a["ci_lb"], a["ci_ub"])
                           # A trial of all three left out of both sides: which, why, and
                           # what each side is without it.
                           + (f" {escape(a['note'])}" if a.get("note") else "") + "\n")
            if x.get("left_out"):
                # A common comparator left out (a trial of all three on both sides, or several
                # unpooled estimates on one) is said beside those used.
                out.append(escape(x["left_out"]) + "\n")
        else:
            # The heading above names the comparison and outcome: the callout gives why.
            title = {"no_single_estimate": "No single estimate per side",
                     "shared_trial": "A trial of all three on both sides"}.get(x["status"], "No common comparator")
            out.append(callout("important", title, x["detail"]))
        if x["unanchored"]:
            # No interval: its width would take the two sides' controls for one treatment,
            # the very assumption in doubt, and lend the number a precision it lacks.
            rows = [[u["a_source"], u["a_comparator"], f2(_ix(u, "a_estimate", log)), u["b_source"], u["b_comparator"],
                     f2(_ix(u, "b_estimate", log)), f2(_ix(u, "estimate", log))]
                    for u in x["unanchored"]]
            out.append(Markdown(
                # A sentence that points to its table: the bare noun phrase read as a fragment.
                f"For illustration only, @tbl-{x['id'].replace('_', '-')} gives the naive "
                f"{'ratio' if log else 'difference'} of the two effects ({escape(_in_sentence(x['treatment_a_label'], _names(ctx)))} "
                f"{'over' if log else 'minus'} {escape(_in_sentence(x['treatment_b_label'], _names(ctx)))}). It is **unanchored**: it assumes that the controls of the two "
                f"sides are the same treatment and breaks randomisation, so it is not evidence that either "
                f"treatment is better; no interval is given, since its width would rest on the same assumption. "
                f"{_naive_direction(ctx, x)}\n"))
            # Each number column names its measure: "Effect" and "0.25" alone left a reader
            # to guess from the callout above whether these are SMDs, points or ratios.
            unit = f" ({x['measure']})" if x.get("measure") else ""
            out.append(table([f"{x['treatment_a_label']}: source", "vs", f"Effect{unit}", f"{x['treatment_b_label']}: source",
                              "vs", f"Effect{unit}", f"{'Naive ratio' if log else 'Naive difference'}{unit}"], rows,
                             "Unanchored naive comparison (not a valid indirect comparison)", f"tbl-{x['id'].replace('_', '-')}"))
        near = _near_misses(ctx, x)
        if near and near in near_printed:
            labels = [doc["study"]["label"] for doc, _, _ in _near_miss_trials(ctx, x)]
            one = len(labels) == 1
            ours = list(dict.fromkeys(_in_sentence(a["treatment_label"], _names(ctx))
                                      for _, mine, _ in _near_miss_trials(ctx, x) for a in mine))
            near = escape(f"{join_list(labels)}, named above under “{near_printed[near]}” for comparing "
                          f"{join_list(_near_miss_treatments(ctx, x))} with {join_list(ours, 'or')}, "
                          f"{'reports' if one else 'report'} on this outcome too, with the same "
                          f"{'finding' if one else 'findings'}, and {'enters' if one else 'enter'} no analysis of it "
                          "either.")
        elif near:
            near_printed[near] = indirect_heading(ctx, x)
        direct = [d for d in x["direct"] if d["k"]]
        # The direct evidence beside the indirect, with its numbers, as the summary gives
        # it: an analysis id and a status left a reader to look up what the trials found.
        ta, tb = (escape(_in_sentence(x[k], _names(ctx))) for k in ("treatment_a_label", "treatment_b_label"))
        out.append(("Direct head-to-head evidence: " + str(_direct_text(ctx, direct, ta, tb))
                    if direct else "No trial in the data compares the two head to head with numbers an effect can be computed from.") + "\n")
        if near:
            out.append(Markdown(near + "\n"))
    return Markdown("\n".join(out))


def _near_miss_trials(ctx: ReportContext, x: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], list[Any], list[Any]]]:
    """The trials :func:`_near_misses` names for the indirect comparison ``x``, by label:
    (study, its arms of either treatment, its arms of a treatment no node includes)."""
    pair = (x["treatment_a"], x["treatment_b"])
    out = []
    for doc in sorted(ctx.normalised, key=lambda d: d["study"]["label"]):
        if doc["study"]["role"] != "trial":
            continue
        if not any(r["outcome"] == x["outcome"] for rows in ("arm_values", "contrasts", "statements")
                   for r in doc[rows]):
            continue
        ours = [a for a in doc["arms"] if a["node"] in pair]
        outside = [a for a in doc["arms"] if a["node"] is None]
        if ours and outside:
            out.append((doc, ours, outside))
    return out


def _near_misses(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """Trials of one of the two treatments against a treatment no node includes.

    Where the two are never compared head to head, the closest a trial comes may be a
    treatment the review's nodes leave out: trigger point acupuncture against standard
    acupuncture (Itoh 2004), say, which some would count as dry needling. Such trials are
    named, with what their arms received, in how many participants and in whom, and what
    they found, so that a clinician can judge them; they enter no analysis unless a node
    takes that treatment in, which the text names as the review team's choice. Other
    trials of the same treatment on the outcome, against any other comparator (Itoh 2006,
    against sham), are named after them: the same choice keeps them out.
    """
    found = []
    unfound = False  # whether a trial named says in words that it found no difference
    for doc, ours, outside in _near_miss_trials(ctx, x):
        names = arm_names(doc["arms"])
        # What the trial says of the outcome in words, where that is all it gives: a
        # reader weighing it needs the finding too, as the summary gives a review's.
        # Statements that set one of those arms against one of ours: in a three-arm
        # trial, trigger points against sham say nothing of them against acupuncture.
        ids, own = {a["arm_id"] for a in outside}, {a["arm_id"] for a in ours}
        between = [st for st in doc["statements"]
                   if st["outcome"] == x["outcome"] and {st.get("arm1"), st.get("arm2")} & ids
                   and {st.get("arm1"), st.get("arm2")} & own]
        stated = _quoted(between)
        # What was compared first, then how many and in whom: "Itoh et al. (2004), in a
        # narrower population than this review's, compared deep needling of trigger points
        # and superficial needling of trigger points with acupuncture (27 participants
        # analysed)" could not be parsed at first reading.
        compared = (f"{doc['study']['label']} compared "
                    f"{_shared_tail([_in_sentence(names[a['arm_id']], _names(ctx)) for a in outside])} with "
                    f"{_shared_tail([_in_sentence(names[a['arm_id']], _names(ctx)) for a in ours])}")
        arms = [*outside, *ours]
        if len(arms) > 2:
            # Three arms or more: "compared deep and superficial needling with acupuncture"
            # said which pairs the trial set against each other, which its words may not
            # (Itoh 2004's "differences not statistically significant" names none).
            compared = (f"{doc['study']['label']} compared {_NUMBER_WORDS.get(len(arms), str(len(arms)))} arms "
                        f"({join_list([_in_sentence(names[a['arm_id']], _names(ctx)) for a in arms])})")
        who = _trial_people(doc["study"], arms)
        found.append((compared, f"{who}{',' if who else ''}"
                      + "".join(f" and reported {st}" for st in stated)))
        unfound = unfound or any(st.get("direction") == "no_difference" for st in between)
    if not found:
        return ""
    a, b = (_in_sentence(x[k], _names(ctx)) for k in ("treatment_a_label", "treatment_b_label"))
    treatments = _near_miss_treatments(ctx, x)
    # " on this outcome" once, where the caller names every outcome the text is said of.
    if len(found) == 1:
        (compared, rest), = found
        said = f"{compared} on this outcome{rest}".rstrip(",") + "."
    else:
        ours = list(dict.fromkeys(_in_sentence(arm["treatment_label"], _names(ctx))
                                  for _, mine, _ in _near_miss_trials(ctx, x) for arm in mine))
        said = (f"{len(found)} trials on this outcome compared {join_list(treatments)} with {join_list(ours, 'or')}: "
                + "; ".join(f"{c}{r}".rstrip(",") for c, r in found) + ".")
    # "Not statistically significant" from 27 participants (Itoh 2004) read, in the
    # summary, as if the trial had shown trigger point needling and acupuncture alike.
    missed = (" A difference not found to be statistically significant does not show the treatments alike: a trial "
              "can miss a real difference, the more easily the fewer its participants." if unfound else "")
    # The choice named as the team's, which it can change: "the review team's choice of
    # what counts as dry needling or acupuncture" after "one of the two" and "neither"
    # left a clinician to work out that trigger point needling was the treatment at issue.
    that = "that trial enters" if len(found) == 1 else "those trials enter"
    choice = (f" This review counts {join_list(treatments)} as neither {a} nor {b}, so {that} no analysis. That is "
              "the review team\u2019s choice (its groups of treatments, listed in the methods), which the team can "
              "change; the data do not decide it.")
    return escape(said + missed + choice + _same_treatment_elsewhere(ctx, x))


def _shared_tail(names: Sequence[str]) -> str:
    """Arms' names as a list, the words all of them end with said once: "deep and
    superficial needling of trigger points" for "deep needling of trigger points" and
    "superficial needling of trigger points"; "sham acupuncture and exercise" as they are."""
    words = [n.split() for n in names]
    tail = 0
    while (len(words) > 1 and all(len(w) > tail + 1 for w in words)
           and len({tuple(w[len(w) - tail - 1:]) for w in words}) == 1):
        tail += 1
    if not tail:
        return join_list(list(names))
    return f"{join_list([' '.join(w[:len(w) - tail]) for w in words])} {' '.join(words[0][len(words[0]) - tail:])}"


def _trial_people(study: Mapping[str, Any], arms: Sequence[Mapping[str, Any]]) -> str:
    """", in 27 participants analysed from a narrower population than this review's
    (elderly, 65–81 y, ...)": how many took part in the arms a trial compared
    (:func:`_participants`) and, where the team judged its population not this review's,
    which it was (``population``, as studies.csv records it), or ""."""
    sizes = _participants(arms).strip(" ()")
    if sizes and len(arms) > 2 and len({a.get("n") for a in arms}) == 1:
        # "27 participants analysed" of three arms read as the size of each comparison
        # the sentence names; each arm's, alike, says how many any two of them had.
        sizes += f" ({arms[0]['n']:g} per arm)"
    fit = POPULATION_WORDS.get(study.get("population_fit") or "")
    population = description(str(study.get("population") or "")).strip()
    if population[1:2].islower():
        population = population[:1].lower() + population[1:]
    whom = (f"{fit} this review\u2019s" + (f" ({in_brackets(population)})" if population else "")) if fit else ""
    if sizes and whom:
        return f", in {sizes} from {whom}"
    return f", in {sizes or whom}" if sizes or whom else ""


def _near_miss_treatments(ctx: ReportContext, x: Mapping[str, Any]) -> list[str]:
    """The treatments no node includes that :func:`_near_misses` names for the indirect
    comparison ``x`` ("trigger point acupuncture"), each once, in the order met."""
    return list(dict.fromkeys(_in_sentence(a["treatment_label"], _names(ctx))
                              for _, _, outside in _near_miss_trials(ctx, x) for a in outside))


def _same_treatment_elsewhere(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """" Another trial of trigger point acupuncture, Itoh et al. (2006), compared it with
    sham acupuncture; the same choice keeps it out of every analysis.", or "": the trials
    on ``x``'s outcome of a treatment :func:`_near_misses` names against any other
    comparator, none of them against either of the two.

    Whether trigger point needling counts as dry needling decides more than the one trial
    against acupuncture: a clinician weighing that choice needs the trials it would also
    bring in (Itoh 2006, trigger point needling against sham).
    """
    named = {id(doc) for doc, _, _ in _near_miss_trials(ctx, x)}
    codes = {a.get("treatment") or a["treatment_label"] for _, _, outside in _near_miss_trials(ctx, x) for a in outside}
    others: dict[str, list[tuple[str, str]]] = {}  # (trial, what it was compared with) by treatment
    for doc in sorted(ctx.normalised, key=lambda d: d["study"]["label"]):
        if id(doc) in named or doc["study"]["role"] != "trial":
            continue
        if not any(r["outcome"] == x["outcome"] for rows in ("arm_values", "contrasts", "statements")
                   for r in doc[rows]):
            continue
        theirs = [a for a in doc["arms"] if a["node"] is None and (a.get("treatment") or a["treatment_label"]) in codes]
        against = [a for a in doc["arms"] if a not in theirs]
        if not theirs or not against:
            continue
        names = arm_names(doc["arms"])
        treatment = _in_sentence(theirs[0]["treatment_label"], _names(ctx))
        others.setdefault(treatment, []).append(
            (doc["study"]["label"], _shared_tail([_in_sentence(names[a["arm_id"]], _names(ctx)) for a in against])))
    said = ""
    for treatment, trials in others.items():
        if len(trials) == 1:
            (label, rest), = trials
            said += (f" Another trial of {treatment}, {label}, compared it with {rest}; the same choice keeps it out of "
                     "every analysis.")
        else:
            said += (f" Other trials of {treatment}, which the same choice keeps out of every analysis: "
                     + "; ".join(f"{label}, against {rest}" for label, rest in trials) + ".")
    return said


def _participants(arms: Sequence[Mapping[str, Any]]) -> str:
    """" (27 participants analysed)": how many took part in the arms a trial compared, by
    the arms' sizes, or "" when an arm's size is not known.

    Analysed where every arm gives its analysed size, randomised where every arm gives its
    randomised one; sizes of the two kinds are not added.
    """
    sizes: list[Any] = [a.get("n") for a in arms]  # numbers once no None is found below
    kinds = {a.get("n_source") for a in arms}
    if not arms or any(n is None for n in sizes) or len(kinds) != 1:
        return ""
    verb = {"n_analysed": "analysed", "n_randomised": "randomised"}.get(next(iter(kinds)) or "")
    if verb is None:
        return ""
    total = sum(sizes)
    return f" ({total:g} participant{'' if total == 1 else 's'} {verb})"


def arm_text(arm: Mapping[str, Any]) -> str:
    """An arm as its treatment's label, with its co-intervention: "Dry needling + exercise"."""
    co = arm.get("cointervention")
    return arm["treatment_label"] + (f" + {co.replace('_', ' ')}" if co not in (None, "none") else "")


def outcome_text(ctx: ReportContext, outcome: str) -> str:
    """An outcome's label where the config has one, else its code in words, capitalised.

    For a table cell: the configured labels are capitalised ("Pain intensity"), and a
    column read "Pain intensity", "quality of life", "other" from row to row.
    """
    label = ctx.labels.get(outcome)
    if label:
        return label
    words = outcome.replace("_", " ")
    return words[:1].upper() + words[1:]


#: Study designs as a reader writes them (the raw tables' codes otherwise, in words).
DESIGN_NAMES = {"rct": "RCT", "crossover_rct": "crossover RCT", "cluster_rct": "cluster RCT",
                "quasi_rct": "quasi-randomised trial", "case_series": "case series", "meta_analysis": "meta-analysis",
                "ipd_meta_analysis": "IPD meta-analysis", "unknown": "not stated"}


def design_text(design: str) -> str:
    """A study design for the report's tables: "RCT", "IPD meta-analysis"."""
    return DESIGN_NAMES.get(design, design.replace("_", " "))


#: Reported measures whose code is not what a reader calls them.
# Looked up by a row's measure, which may be missing (None).
MEASURE_NAMES: dict[str | None, str] = {"cohen_d": "Cohen's d", "p_only": "p-value only"}


def arm_names(arms: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each arm's name in a study: :func:`arm_text`, unless another arm has the same.

    Arms alike in treatment and co-intervention (individualised and standardised
    acupuncture, two kinds of sham) are named by their descriptions' first clause (the
    part before any ";"), where they have descriptions that tell them apart; else by the
    treatment and the arm's id in the raw table, "Pilates (arm pil_low)": two arms named
    alike read as one arm listed twice ("Pilates, Pilates").
    """
    texts = {a["arm_id"]: arm_text(a) for a in arms}
    counts = Counter(texts.values())
    names = dict(texts)
    for text in (t for t, n in counts.items() if n > 1):
        alike = [a for a in arms if texts[a["arm_id"]] == text]
        described = {a["arm_id"]: (a.get("description") or "").split(";")[0].strip() for a in alike}
        if all(described.values()) and len(set(described.values())) == len(alike):
            names.update(described)
        else:
            names.update({a["arm_id"]: f"{text} (arm {a['arm_id']})" for a in alike})
    return names


def _external_favours(ctx: ReportContext, names: Mapping[str, str], c: Mapping[str, Any]) -> str:
    """Which arm a published result favours, read with the source's sign convention.

    The table shows each estimate with the sign its source gives it (Manheimer 2005's
    "SMD 0.54" favours acupuncture, Mu 2020's "MD 9.78" on a higher-is-better scale too),
    so a reader needs the arm it favours spelt out: from the normalised result (arm1
    minus arm2, lower is better: negative favours arm1), the arm whose side the interval
    lies on, "neither" when it includes no difference, the side of the estimate alone when
    no interval is given, and the favoured arm a p-value-only result names. For a ratio,
    which side is better follows whether the outcome's events are beneficial, as the
    review's analyses of that outcome declare it.
    """
    arm1, arm2 = names[c["arm1"]], names[c["arm2"]]
    if c["measure"] == "p_only":
        return {"arm1": f"{arm1} (p-value only)", "arm2": f"{arm2} (p-value only)",
                "neither": "neither"}.get(c.get("favours") or "", "not stated")
    est, lb, ub = c.get("estimate"), c.get("ci_lb"), c.get("ci_ub")
    if est is None:
        return "not stated"
    arm1_side = -1.0
    # A ratio is arm1 over arm2 as reported, and so is a risk difference given as a
    # subtraction; one given as favouring an arm was turned so that negative favours arm1.
    by_events = c["measure"] in ("RR", "OR") or (
        c["measure"] == "RD" and c["reported"].get("sign_convention") in ("arm1_minus_arm2", "arm2_minus_arm1"))
    if by_events:
        events = {a.get("events", "beneficial") for a in ctx.config.get("analyses", []) if a["outcome"] == c["outcome"]
                  and a["measure"] in ("RR", "OR", "RD")}
        if len(events) != 1:
            return "depends on whether the events are beneficial"
        arm1_side = 1.0 if events == {"beneficial"} else -1.0
    if lb is not None and ub is not None:
        if lb <= 0 <= ub:
            return "neither (CI compatible with no difference)"
        return arm1 if (lb > 0) == (arm1_side > 0) else arm2
    if est == 0:
        return "neither"
    return f"{arm1 if (est > 0) == (arm1_side > 0) else arm2} (no interval given)"


def _external_estimate(c: Mapping[str, Any], labelled: bool = False) -> str:
    """A published result as the rest of the report shows it (the analyses' external-evidence lines).

    A difference is normalised: below 0 favours the first-named treatment, and an MD on
    an instrument of known range is on the outcome's common scale. A ratio is shown as a
    ratio. A result whose direction the source leaves open is not used, and says so.
    ``labelled``: the interval with its level as the source states it (:func:`_external_value`).
    """
    if c["measure"] == "p_only":
        return "–"
    if c.get("estimate") is None:
        return "direction not stated: not used" if c["reported"]["estimate"] is not None else "–"
    values = [c["estimate"], c.get("ci_lb"), c.get("ci_ub")]
    if c["measure"] in ("RR", "OR"):  # logs in the normalised result
        values = [None if v is None else math.exp(v) for v in values]
    complete = values[1] is not None and values[2] is not None
    return _external_value({"measure": MEASURE_NAMES.get(c["measure"], c["measure"]), "estimate": values[0],
                            "ci_lb": values[1] if complete else None, "ci_ub": values[2],
                            **({"ci_level": c["reported"].get("ci_level")} if labelled else {})})


def _printed_as_shown(c: Mapping[str, Any]) -> bool:
    """Whether a published result's printed numbers are those the analyses show (no sign
    turned, no rescaling; a ratio compared with the exponential of its logged form)."""
    def alike(printed: float | None, shown: float | None) -> bool:
        if printed is None or shown is None:
            return printed is None and shown is None
        if c["measure"] in ("RR", "OR"):
            shown = math.exp(shown)
        return math.isclose(printed, shown, rel_tol=1e-12, abs_tol=1e-12)

    rep = c["reported"]
    return c.get("estimate") is not None and all(alike(rep[k], c.get(k)) for k in ("estimate", "ci_lb", "ci_ub"))


def _as_printed(*values: float | None) -> list[str]:
    """A published estimate and its bounds with the decimals the source printed them with.

    The raw cells are read as numbers, which drops trailing zeros ("-3.40" becomes -3.4);
    a source prints an estimate and its interval to one precision, so all three get the
    most decimals any of them has: "−10.26 (−17.11 to −3.40)".
    """
    def decimals(x: float) -> int:
        text = f"{x:g}"
        return 0 if "e" in text or "." not in text else len(text.split(".")[1])

    places = max((decimals(v) for v in values if v is not None), default=0)
    return ["–" if v is None else _minus(f"{v:.{places}f}") for v in values]


#: An interval in brackets, with its level's label before it ("95% CI a to b") or its
#: want of one after it ("CI a to b, level not stated").
_INTERVAL = re.compile(r"\(((?:[0-9.]+% )?CI )?([^()\s]+) to ([^()\s,]+)(, [^()]*)?\)")


def unbroken_interval(text: str) -> str:
    """``text`` with each "(a to b)" joined by no-break spaces, for a table cell.

    A narrow column broke "SMD −0.42 (−0.79 to −0.05)" inside its interval, leaving
    "−0.05)" alone on the next line; the cell now breaks before the interval, if at all.
    A label before the bounds or a note after them may break as any text does ("(95% CI"
    on one line, "−0.79 to −0.05)" whole on the next): joined, they made a word wider
    than the column.
    """
    def join(m: re.Match[str]) -> str:
        return f"({m[1] or ''}{m[2]}\u00a0to\u00a0{m[3]}{m[4] or ''})"

    joined = _INTERVAL.sub(join, text)
    # Markdown already escaped ("p \\< 0.001") stays Markdown, or the table escapes it twice.
    return Markdown(joined) if isinstance(text, Markdown) else joined


def published_results(ctx: ReportContext) -> dict[str, dict[str, str]]:
    """Each published meta-analysis' result as the table of published meta-analyses gives
    it (its estimate on the report's scale and the arm it favours), by its raw row's
    reference, for What changed to compare with the next build."""
    out = {}
    for doc in ctx.normalised:
        if doc["study"]["role"] != "external":
            continue
        names = arm_names(doc["arms"])
        for c in doc["contrasts"]:
            out[c["ref"]] = {"study_id": doc["study"]["study_id"], "row": _ref_text(ctx, c["ref"]),
                             "estimate": _external_estimate(c), "favours": _external_favours(ctx, names, c)}
    return out


def external_section(ctx: ReportContext) -> Markdown:
    rows = []
    for doc in ctx.normalised:
        if doc["study"]["role"] != "external":
            continue
        names = arm_names(doc["arms"])
        for c in doc["contrasts"]:
            rep = c["reported"]
            est, lb, ub = _as_printed(rep["estimate"], rep["ci_lb"], rep["ci_ub"])
            val = f"{MEASURE_NAMES.get(c['measure'], c['measure'])} {est}"
            if rep["estimate"] is None and c.get("p_value") is not None:
                val = reported_p(c["p_value"], c.get("p_qualifier"))
            if rep["ci_lb"] is not None:
                val += f" ({lb} to {ub})"
            rows.append([doc["study"]["label"], f"{names[c['arm1']]} vs {names[c['arm2']]}",
                         outcome_text(ctx, c["outcome"]), unbroken_interval(_external_estimate(c, labelled=True)),
                         "same" if _printed_as_shown(c) else unbroken_interval(val),
                         _external_favours(ctx, names, c),
                         "–" if c["k_studies"] is None else str(c["k_studies"]),
                         "–" if c["n_participants"] is None else f"{c['n_participants']:,}",
                         # The file with the row, as the other appendix tables give it: a
                         # bare "12" left a reader to find which raw table it counts in.
                         c.get("certainty") or "–", _ref_text(ctx, c["ref"]).replace(" ", "\u00a0")])
    if not rows:
        return Markdown("No published meta-analysis is in the data.\n")
    # Whom each review pooled: some pool back pain with neck pain or with every
    # musculoskeletal condition, and their estimates speak for this population indirectly.
    populations = [[doc["study"]["label"], description(doc["study"].get("population") or "not stated"),
                    _fit_text(doc["study"])]
                   for doc in ctx.normalised if doc["study"]["role"] == "external" and doc["contrasts"]]
    return Markdown(str(table(["Review", "Comparison", "Outcome", "Estimate (CI)", "As printed", "Favours", "k",
                               "N", "GRADE", "Raw row"], rows,
                 "Published meta-analyses, never pooled with the trials. Estimate: as everywhere in this report, a "
                 "difference below 0 favours the first-named treatment, and a mean difference is on the outcome's "
                 "common scale where the instrument's range is known; its interval at the level the source states, or "
                 f"\u2018{LEVEL_NOT_STATED}\u2019 where the source prints none. As printed: the source's own numbers and sign, "
                 "where they differ. "
                 "GRADE: the certainty the source assigns",
                 "tbl-external", budget=APPENDIX_TABLE_BUDGET))
                    + str(table(["Review", "Population pooled", "Fit"], populations,
                                "Whom each published meta-analysis pooled, as the team recorded it from the review, and how it "
                                "relates to this review's population (the team's judgement): where it is not this "
                                "review's population, its estimates apply here only indirectly, and the summary does "
                                "not count a review of a broader or another population",
                                "tbl-external-populations")))


def _own_effect_text(a: Mapping[str, Any], e: Mapping[str, Any], level: float) -> str:
    """"; its own SMD from changes from baseline: −0.98 (95% CI −1.59 to −0.38)" for a trial
    set aside for its value type, or ""."""
    own = e.get("own_effect")
    if not own:
        return ""
    kind = _VALUE_KINDS.get(own["value_type"], own["value_type"])
    return (f"; its own {escape(a['measure'])} from {escape(kind)}, not combined with the others: "
            f"{f2(shown(a, own['yi']))} ({level:g}% CI {ci_text(shown(a, own['ci_lb']), shown(a, own['ci_ub']))})")


#: A count of weeks in a timepoint's words, either way round: "8 weeks", "six-week", "wk 6".
#: A count is digits or a number in words as the label check reads them
#: (:data:`metareview.checks.COUNT`), not a part of a larger one ("0.8", "thirty-six",
#: "often").
_WEEKS_IN_WORDS = re.compile(rf"(?<![\w.])(?<![a-z]-){COUNT}\s*-?\s*(?:weeks?|wks?|w)\b"
                             rf"|\b(?:weeks?|wks?)\s*{COUNT}(?![\w.])", re.IGNORECASE)


def _timepoint_text(s: Mapping[str, Any]) -> str:
    """", week 12", with the source's own words when they do not give that number:
    ", week 12 (“1-month assessment after the 8-week course”)", or the words alone for a
    timepoint placed by a window's terms. A reader can then check a timepoint converted
    from months, or from a course's length, against the window."""
    weeks = s.get("timepoint_weeks")
    label = (s.get("timepoint_label") or "").strip()
    if weeks is None:
        # In the window by its words alone (the window's terms): the words, for the reader
        # to judge.
        said = "" if "not stated" in label.lower() else " (no weeks given)"
        return f", at \u201c{label}\u201d{said}" if label else ""
    # The words give the same number of weeks: "8 weeks", "8-week", "6 wks", "week 8", and
    # in words as the label check reads them, "six weeks", "twelve-week".
    in_weeks = any(count_value(m.group(1) or m.group(2)) == float(weeks)
                   for m in _WEEKS_IN_WORDS.finditer(label))
    said = "" if not label or in_weeks else f" (“{label}”)"
    # A no-break space: a narrow column broke "week" above "8".
    return f", week\u00a0{format(float(weeks), 'g')}{said}"


def _converted_timepoint(s: Mapping[str, Any]) -> bool:
    """Whether a study effect's week was converted from other words of its source ("6
    months", "1 year", "1 month after the course"), which the report then quotes beside it
    (:func:`_timepoint_text`)."""
    return s.get("timepoint_weeks") is not None and "\u201c" in _timepoint_text(s)


def add_on_statement(doc: Mapping[str, Any], statement: Mapping[str, Any]) -> bool:
    """Whether a statement compares X + C with C alone (an add-on design), in either order
    of its arms: one arm's cointervention is the other arm's treatment, as
    :func:`metareview.extract.study_effects` tells an add-on arm from its comparator."""
    arms = {a["arm_id"]: a for a in doc["arms"]}
    one, other = arms.get(statement.get("arm1")), arms.get(statement.get("arm2"))
    if one is None or other is None:
        return False
    return (is_cointervention(other["treatment"], one.get("cointervention"))
            or is_cointervention(one["treatment"], other.get("cointervention")))


def in_designs(add_on: bool, designs: str) -> bool:
    """Whether a comparison of an add-on design or not belongs to an analysis's ``designs``
    (``any``, ``head_to_head``, ``add_on``), as its numbers would."""
    return designs == "any" or (designs == "add_on") == add_on


def _elsewhere(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """Where else the report speaks of an analysis with no study effect: statements in
    words comparing its two treatments, and an indirect comparison of them."""
    a = r["analysis"]
    pair = {a["intervention"], a["comparator"]}
    designs = _config_entry(ctx, a["id"]).get("designs", "any")
    said = _stated_names({(doc["study"]["label"], unclear_statement(x)) for doc in ctx.normalised
                          for x in doc["statements"]
                          if {x.get("node1"), x.get("node2")} == pair and x["outcome"] == a["outcome"]
                          and in_designs(add_on_statement(doc, x), designs)})
    out = []
    if said:
        design = {"head_to_head": "head to head, as this analysis compares them",
                  "add_on": "in add-on designs, as this analysis takes"}.get(designs, "in any design")
        out.append(f"Statements in words compare the two on this outcome, at any timepoint and {design}, "
                   f"without numbers to pool: {escape(join_list(said))} (see @tbl-narrative).")
    indirect = [x for x in ctx.indirect if {x.get("treatment_a"), x.get("treatment_b")} == pair
                and x.get("outcome") == a["outcome"] and x.get("window", a["window"]) == a["window"]]
    # The link by the section's own heading ("Dry needling versus acupuncture: indirect
    # comparison"): "Indirect comparison" named no heading a reader could find in the
    # table of contents or the PDF's outline.
    where = f"[{indirect_title(ctx)}](#sec-indirect)"
    if any(x.get("status") == "anchored" for x in indirect):
        out.append(f"An indirect comparison of the two is in {where}.")
    elif indirect:
        out.append(f"Why no anchored indirect comparison of the two can be made: see {where}.")
    return (" ".join(out) + "\n") if out else ""


def narrative_section(ctx: ReportContext) -> Markdown:
    rows = []
    marked: set[str] = set()  # the caveats some row carries, which the caption then explains
    for doc in ctx.normalised:
        study = doc["study"]
        names = arm_names(doc["arms"])
        # A statement is about one arm against another (Hu 2018 compares dry needling with
        # acupuncture and with sham in separate statements), or about one arm alone.
        # A source the team could not identify (a blog post's "ASPMR Guideline (2024)") says
        # so beside its evidence level, which would otherwise lend it authority, unless its
        # label says so already ("..., unidentified)").
        unnamed = study.get("identity_confidence") == "low" and "unidentified" not in study["label"]
        caveats = [x for x, applies in (("secondary source", study.get("source_level") == "secondary"),
                                        ("identity not established", unnamed))
                   if applies]
        source = study["label"] + (f" ({'; '.join(caveats)})" if caveats else "")
        if doc["statements"]:
            marked.update(caveats)
        for s in doc["statements"]:
            tr = names.get(s["arm1"]) or arm_text({"treatment_label": s["treatment1_label"],
                                                   "cointervention": s.get("cointervention1")})
            compared = f"{tr} vs {names[s['arm2']]}" if s.get("arm2") in names else f"{tr} (no comparator named)"
            # A statement that names a comparator but not how the groups compared, as the
            # row's direction records it: its comparison column alone read as a finding
            # between the groups (Martín-Corrales 2020: "the dry needling group improved").
            unclear = unclear_statement(s)
            if unclear:
                marked.add("unclear")
            rows.append([source, design_text(study["design"]), compared,
                         outcome_text(ctx, s["outcome"]),
                         # Whole: the column kept "statements.csv row 2" on a line and broke
                         # "statements.csv row" above "22", a row number on its own.
                         s["statement"] + (f" {UNCLEAR_CELL}" if unclear else ""), s.get("evidence_level") or "–",
                         _ref_text(ctx, s["ref"]).replace(" ", "\u00a0")])
    if not rows:
        return Markdown("No narrative statements are in the data.\n")
    # Each caveat explained where a row carries it: a legend of marks no row has sent a
    # reader looking for them.
    legend = [text for caveat, text in (
        ("secondary source", ("A secondary source reports on a study it did not run; its statement cannot be "
                              "checked against the study's own report.")),
        # As studies.csv's codebook and the evidence table define the identity confidence:
        # how sure the team is that the study is the one named. "Could not trace the source
        # to a publication" was untrue of a row with its journal and PMID whose authors
        # are unverified (Kerr et al. 2003).
        ("identity not established", ("Identity not established: the team is not sure that the study is the "
                                      "one named (its identity is rated low in the evidence table).")),
        ("unclear", (f"{UNCLEAR_CELL.removesuffix('.')}: the source gives no result between the groups, and a "
                     "change within a group says nothing of it against the other."))) if caveat in marked]
    head = "Narrative evidence: statements without poolable numbers, with the evidence level the source assigns."
    return table(["Source", "Design", "Comparison", "Outcome", "Statement", "Evidence level", "Raw row"], rows,
                 " ".join([head, *legend]).removesuffix("."),
                 "tbl-narrative", budget=APPENDIX_TABLE_BUDGET)


#: The pooling statuses the limitations count, in their order, each with its words for
#: one analysis and for several.
_POOLING_WORDS = (("pooled", ("pools trials", "pool trials")),
                  ("single_study", ("rests on one study (not pooled)", "rest on one study (not pooled)")),
                  ("not_poolable", ("holds studies that could not be pooled", "hold studies that could not be pooled")),
                  ("no_studies", ("has no usable study", "have no usable study")))


def _pooling_text(ctx: ReportContext) -> str:
    """The limitations' "**Pooling**: of 17 analyses, 1 pools trials, ..." (one text for the
    section and its audit row, :func:`_limitation_audit_rows`)."""
    statuses = Counter(r["status"] for r in ctx.analyses)
    total = len(ctx.analyses)
    parts = [f"{statuses[k]} {what[statuses[k] != 1]}" for k, what in _POOLING_WORDS if statuses[k]]
    # "Of 1 analyses, 1 rests on ..." misreads a review of one analysis.
    text = (f"**Pooling**: the review's one analysis {parts[0].split(' ', 1)[1]}." if total == 1
            else f"**Pooling**: of {total} analyses, {join_and(parts)}.")
    if not statuses["pooled"]:
        text += (" No estimate here pools trials, so none says how consistent the trials are or what a "
                 "prediction interval would be.")
    return text


#: The indirect comparisons' statuses as the limitations word them, for one and for several.
_INDIRECT_WORDS = {
    "anchored": ("is anchored on a common comparator", "are anchored on a common comparator"),
    "no_common_comparator": ("has no common comparator", "have no common comparator"),
    "shared_trial": ("has a common comparator but a trial of all three on both sides (no comparison made)",
                     "have a common comparator but a trial of all three on both sides (no comparison made)"),
    "no_single_estimate": ("has a common comparator but more than one unpooled estimate on a side",
                           "have a common comparator but more than one unpooled estimate on a side")}


def _indirect_words(status: str, n: int) -> str:
    """An indirect comparison's status as the limitations word it ("have no common comparator")."""
    return _INDIRECT_WORDS.get(status, (status.replace("_", " "),) * 2)[n != 1]


def _indirect_kinds_text(ctx: ReportContext) -> str:
    """"of 2, 2 have no common comparator": the indirect comparisons by status."""
    kinds = Counter(x["status"] for x in ctx.indirect)
    return f"of {len(ctx.indirect)}, " + join_and([f"{n} {_indirect_words(status, n)}"
                                                   for status, n in sorted(kinds.items())])


#: The limitations' list of trial effects with numbers read in another document, whose
#: audit row names each document (:func:`_read_in_text`).
READ_ELSEWHERE_LIMITATION = ("with numbers read in a document other than the trial's own report (an overview's figure, "
                             "a third-party transcription), which cannot be checked against the publication")
#: The limitations' lists of studies whose effects have a property: the words after
#: "Study effects", the test of a study effect, and the raw rows that carry the property
#: (the study's row of studies.csv where the property is the study's, else the rows the
#: effect was read from, or those of them rated low), which the audit trail names.
_LIMITATION_LISTS: tuple[tuple[str, Callable[[Mapping[str, Any]], bool],
                               Callable[[Mapping[str, Any]], list[str]]], ...] = (
    ("known only from a secondary source, whose numbers cannot be checked against a publication",
     lambda s: s.get("source_level") == "secondary", lambda s: [_study_row_ref(s["study_id"])]),
    (READ_ELSEWHERE_LIMITATION, lambda s: bool(s.get("read_elsewhere")), lambda s: [x["ref"] for x in s["read_elsewhere"]]),
    ("with arm sizes assumed equal from a total",
     lambda s: any(f.startswith("arm sizes assumed") for f in s.get("flags", [])), lambda s: list(s["refs"])),
    ("using a value its raw row rates as extracted with low confidence",
     lambda s: bool(s.get("low_confidence")), lambda s: list(s["low_confidence"])),
    ("at a week converted from the source's words (months, years, or a time after a course)",
     _converted_timepoint, lambda s: list(s["refs"])),
    ("placed in a window by the words of their timepoint alone (no weeks given; the window's terms)",
     lambda s: s.get("timepoint_weeks") is None and bool(s.get("timepoint_label")), lambda s: list(s["refs"])),
    ("of trials whose population is narrower than, broader than or other than this review's (population_fit)",
     lambda s: s.get("population_fit") in POPULATION_WORDS, lambda s: [_study_row_ref(s["study_id"])]),
    ("from final values whose arms already differed at baseline, a difference the effect carries",
     lambda s: s.get("baseline_imbalance") is not None, lambda s: list(s["refs"])),
    ("from means and SDs estimated from a median with its quartiles or range (assuming a roughly normal outcome)",
     lambda s: str(s.get("form", "")).startswith("arm-level medians"), lambda s: list(s["refs"])),
)


def _limitation_studies(ctx: ReportContext, what: str) -> list[str]:
    """The labels of the studies a limitations list names (:data:`_LIMITATION_LISTS`), sorted."""
    test = next(t for w, t, _ in _LIMITATION_LISTS if w == what)
    return sorted({s["label"] for r in ctx.analyses for s in r["studies"] if test(s)})


def _off_population_reviews(ctx: ReportContext) -> dict[str, list[str]]:
    """The published reviews of a broader or another population than this review's that the
    limitations name, by label, each with its study ids: shown in an analysis's window but
    not counted in the tallies (a secondary source's are set apart for that first)."""
    out: dict[str, list[str]] = {}
    for r in ctx.analyses:
        for e in _external_in_window(r):
            if e.get("population_fit") in OFF_POPULATION and e.get("source_level") != "secondary":
                ids = out.setdefault(e["label"], [])
                if e["study_id"] not in ids:
                    ids.append(e["study_id"])
    return out


def _study_row_ref(study_id: str) -> str:
    """A study's row of studies.csv as a row reference (``studies.csv:Chen2022#1``), as
    :func:`metareview.rawdata.row_ref` names the rows of the study tables: a study has one
    row there, so the audit trail resolves it by its ``study_id`` (:func:`_row_of`)."""
    return f"studies.csv:{study_id}#1"


def limitations_section(ctx: ReportContext) -> Markdown:
    """The limits of this evidence, in one place: what the rest of the report says of them
    analysis by analysis (how the studies were found, how many analyses could be pooled,
    which effects rest on a secondary source, an assumption, an ambiguous value or a
    timepoint converted from words, and what was not assessed)."""
    lines = []
    if ctx.config["review"].get("evidence_base"):
        # Said in full once, in the methods.
        lines.append("**How the studies were found**: see the [methods](#sec-methods); a study the sources did not "
                     "hold is missing here.")
    total = len(ctx.analyses)
    if total:
        lines.append(_pooling_text(ctx))
    for what, _, _ in _LIMITATION_LISTS:
        found = _limitation_studies(ctx, what)
        if found:
            lines.append(f"**Study effects {what}**: {escape('; '.join(found))}.")
    # Reviews the summary does not count for their population: a reader of the
    # limitations should not have to gather them from each analysis's line.
    off = sorted(_off_population_reviews(ctx))
    if off:
        lines.append(f"**Published meta-analyses of a broader or another population than this review's, shown but "
                     f"not counted in the tallies of reviews**: {escape('; '.join(off))}.")
    judged = sum(1 for doc in ctx.normalised if _has_risk_of_bias(doc))
    rated = sum(1 for r in ctx.analyses if certainty_of(ctx, r).status == "graded")
    lines.append("**Risk of bias and certainty**: "
                 + (f"risk of bias recorded for {_judged_counts(ctx)}" if judged else "risk of bias not assessed")
                 + ("; certainty of the evidence (GRADE) " + ("rated" if rated else "not rated")
                    + " for the review's one analysis." if total == 1
                    else f"; certainty of the evidence (GRADE) rated for {rated} of {total} analyses."))
    if ctx.indirect:
        lines.append(f"**Indirect comparisons**: {_indirect_kinds_text(ctx)}.")
    return Markdown("\n".join(f"- {line}" for line in lines) + "\n")


def _verdict_phrases(verdict: str) -> str:
    """A verdict with no-break spaces inside its phrases: "not checkable from the data"
    breaks only between "not checkable" and "from the data", "not supported" not at all."""
    phrases = re.split(r" (?=from )", verdict)
    return " ".join(phrase.replace(" ", "\u00a0") for phrase in phrases)


CLAIM_VERDICTS = (
    "A claim is *supported* when a pooled analysis here shows the claimed direction with a\n"
    "confidence interval wholly on that side of no difference, *not supported* when the\n"
    "relevant pooled analyses do not, and *not checkable from the data* when the data here\n"
    "cannot settle it this way: no pooled analysis of the claimed comparison (single trials\n"
    "are named, with what their intervals show, but settle nothing), or no study reporting the\n"
    "outcome, subgroup or quantity claimed."
)
#: How a claim that names no comparator is judged: said under the claims when one does.
CLAIM_NO_COMPARATOR = "A claim that names no comparator (\"it works\") is judged against shams and controls only."
#: How a claimed mean difference is judged: said under the claims when one is claimed.
CLAIM_MEAN_DIFFERENCE = ("A claimed mean difference is supported when the pooled interval holds it and lies wholly on "
                         "one side of no difference, and not supported when the interval excludes it.")


def _claim_rules(ctx: ReportContext) -> str:
    """The verdicts' definitions (:data:`CLAIM_VERDICTS`), with the rule for a claim that
    names no comparator and the one for a claimed mean difference where a claim of
    ``claims.csv`` is of that kind: a review whose claims all name their comparator, or
    claim no mean difference, read rules that judged none of them. Without the raw claims
    in the context, both rules are said."""
    raw = ctx.raw_tables.get("claims")
    rules = [CLAIM_VERDICTS]
    if raw is None or any(not row.get("comparator") for row in raw):
        rules.append(CLAIM_NO_COMPARATOR)
    if raw is None or any(row.get("claimed_measure") == "mean_difference" for row in raw):
        rules.append(CLAIM_MEAN_DIFFERENCE)
    return " ".join(rules) + "\n"


def _claims_source(ctx: ReportContext, source_id: Any) -> str:
    """"the blog post": the document that made a claim, by its kind in sources.csv ("the
    document" for a kind of ``other``), or "the source" where sources.csv has no row."""
    s = next((x for x in ctx.raw_tables.get("sources", []) if x.get("source_id") == source_id), None)
    if s is None:
        return "the source"
    kind = (s.get("kind") or "other").replace("_", " ")
    return f"the {'document' if kind == 'other' else kind}"


def _claim_cell(ctx: ReportContext, claim: Mapping[str, Any]) -> Markdown:
    """A claim as this review words it (claims.csv's ``claim``), then its source's own
    words (its ``quote``) in quotation marks: "The blog post's words: “Bottom line? Both
    work ...”".

    The team's wording makes a claim checkable (a treatment, an outcome, a number), and
    may sharpen or shift it: "both work" read as "both reduce chronic low back pain", a
    table's "−2.3 (95% CI: −2.8 to −1.9)" as "lowers pain by 2.3 points (1.9 to 2.8)".
    Whether a verdict is fair to the source can be judged only beside its own words, which
    the report otherwise gave nowhere.
    """
    text = escape(claim["claim"])
    quoted = _verbatim([claim])
    if not quoted:
        return Markdown(text)
    who = _claims_source(ctx, claim.get("source_id"))
    # The quote as its source set it: a blog post's "*how*" is the writer's emphasis,
    # printed in italics, not asterisks a reader would take for the sentence's own.
    words = (escape(f"{who[:1].upper()}{who[1:]}\u2019s words:") + " "
             + escape_keeping_emphasis(f"\u201c{quoted[0]}\u201d"))
    return Markdown(f"{text} {words}")


def claims_section(ctx: ReportContext) -> Markdown:
    # The verdicts are defined only above claims to read them on: before "the sources make
    # no claims" the definitions read as if something had been judged.
    if not ctx.claims:
        # Said of the review's records, as risk of bias is: "the sources make no claims"
        # spoke of the trial reports, which a review that checks no source's claims
        # never asked.
        return Markdown("No claim is recorded for checking.\n")
    # A verdict in two lines at most ("not checkable" / "from the data"): broken at any
    # space, its column was given its longest word, a word a line beside the reasons.
    rows = [[_claim_cell(ctx, c), Markdown(f"**{escape(_verdict_phrases(c['verdict']))}**"), c["reason"]]
            for c in ctx.claims]
    return Markdown(_claim_rules(ctx) + "\n" + table(["Claim", "Verdict", "Why"], rows,
                                                   "Narrative claims of the source checked against the data",
                                                   "tbl-claims"))


def provenance_section(ctx: ReportContext) -> Markdown:
    p = ctx.provenance
    rows = [[name, digest] for name, digest in p["checksums"]]
    out = [table(["Input file", "SHA-256"], rows, "Checksums of the inputs this report was built from", "tbl-checksums")]
    sw = "; ".join(f"{escape(k)} {escape(v)}" for k, v in p["software"].items())
    out.append(Markdown(
        f"- **Renderer**: {escape(p['renderer'])}.\n"
        f"- **Software**: {sw}.\n"
        f"- **Source commit** (the last to change the workflow's code, configuration or data): "
        f"`{p['git_commit']}`.\n"
        f"- **Built**: {escape(p['build_date'])} (the source commit's date, or `SOURCE_DATE_EPOCH`: "
        f"rebuilds of the same sources are identical).\n"
        + _compared_with_line(ctx.previous) + _settings_line(ctx) + _raw_columns_line(ctx)))
    return Markdown("\n".join(out))


def _raw_columns_line(ctx: ReportContext) -> str:
    """The provenance's line naming, by their raw table and column, the team's records the
    rest of the report gives in words ("how each study's population relates to this
    review's", "its identity is rated low"): a reader reads what was recorded, and an
    auditor finds here where it was recorded.
    """
    raw_dir = str(ctx.config.get("raw_dir", "data/raw")).rstrip("/").replace("`", "'")
    parts = [("each study's population and how it relates to this review's, `population` and `population_fit` in "
              "studies.csv"),
             ("how sure the team is that a study is the one named (the evidence table's identity), "
              "`identity_confidence` in studies.csv"),
             ("the risk-of-bias and quality judgements, each with its support, risk_of_bias.csv"
              + ("" if any(_has_risk_of_bias(d) for d in ctx.normalised) else " (none recorded)")),
             "the claims checked, claims.csv" + ("" if ctx.claims else " (none recorded)")]
    return f"- **Raw columns** the report gives in words, by their table in `{raw_dir}/`: {'; '.join(parts)}.\n"


def _settings_line(ctx: ReportContext) -> str:
    """The provenance's line naming, by their key in the config, the settings the report
    says in words: the methods, the tables' captions and the summary read as a clinician
    reads them ("the analyses this review defines", "grouped as one in the methods"), and
    an auditor finds each setting here, with its value.
    """
    m = ctx.config["methods"]
    keys = [("methods.min_studies", m.get("min_studies", 2)),
            ("methods.small_study_predictor", m.get("small_study_predictor", "sei")),
            ("methods.small_study_min", _small_study_min(ctx))]
    parts = [f"{SETTING_WORDS[key]}, `{key}` ({escape(str(value))})" for key, value in keys]
    if any(w.get("terms") for w in ctx.config.get("windows", {}).values()):
        parts.append("the period words of each time window, `terms` in its entry under `windows`")
    if any(a.get("comparator_risk") is not None or a.get("risk_scenarios") for a in ctx.config.get("analyses", [])):
        parts.append("an analysis's assumed comparator risk and the other risks it names, `comparator_risk` and "
                     "`risk_scenarios` in its entry under `analyses`")
    if not ctx.config["review"].get("population"):
        parts.append("the question's population, `review.population` (not set)")
    if any(v.get("mid") for v in (ctx.config.get("outcomes") or {}).values()):
        parts.append("each outcome's minimal important difference, `mid` in its entry under `outcomes`")
    if ctx.config.get("analyses"):
        parts.append("the analyses this review defines (@tbl-analyses), each an entry under `analyses` by its id")
    if not in_detail(ctx):
        parts.append(f"the most analyses the report shows one by one, `report.detail_limit` ({detail_limit(ctx)})"
                     + (", and those it shows in full whatever their number, `report.detailed`"
                        if detailed_analyses(ctx) else ""))
    if any_judgement(ctx):
        parts.append("the team's GRADE judgements of an analysis, `certainty` in its entry under `analyses` (each "
                     "study's data code under its `studies`)")
    if ctx.config.get("nodes"):
        parts.append("the methods' treatment nodes and the treatments each groups, `nodes`")
    parts.append("the indirect comparisons, " + ("each an entry under `indirect`" if ctx.config.get("indirect")
                                                 else "`indirect` (none defined)"))
    return f"- **Settings** the report gives in words, by their key in `config/config.yaml`: {'; '.join(parts)}.\n"


def _compared_with_line(previous: Mapping[str, Any] | None) -> str:
    """The provenance's line on the build "What changed" compares with, naming the file
    that holds its key results (``results/history/key_results.json``), for an auditor."""
    record = "`results/history/key_results.json`"
    if previous is None:
        return (f"- **Compared with**: no earlier build; {record}, where a build leaves its key results for the "
                "next to compare with, did not exist (a first build, or the file was removed).\n")
    since = compared_with(previous)
    return (f"- **Compared with**: {since or 'the previous build (its date and commit were not recorded)'}, "
            f"by its key results in {record}.\n")


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


def _typed_cells(ctx: ReportContext, table: str, index: int) -> Mapping[str, str]:
    """The number cells as typed of the ``index``-th row of ``table`` (empty if not known)."""
    texts = ctx.raw_texts.get(table) or ()
    return texts[index] if index < len(texts) else {}


def _as_typed(value: Any, text: str | None) -> str:
    """A raw number cell as quoted: its text as typed ("2.0"), else the parsed value with
    the digits it was typed with (:func:`typed`: "2")."""
    return text if text is not None else typed(value)


#: Text cells of a raw row that change what its numbers mean; they are traced beside them.
_MEANING_CELLS = ("measure", "value_type", "change_sign", "sign_convention", "p_qualifier")

#: Text cells of a raw row that the report prints as they are: a published result's GRADE
#: rating (the published meta-analyses table's "GRADE" column, the summary's "certainty as
#: the reviews rate it: low"), traced to its cell like the numbers beside it.
_PRINTED_CELLS = ("certainty",)


def raw_cells(ctx: ReportContext, ref: str) -> str:
    """The cells of one raw row that numbers are read from, as ``column = value``.

    Every numeric cell the row fills, the text cells that say what they mean
    (:data:`_MEANING_CELLS`) or that the report prints (:data:`_PRINTED_CELLS`), and the
    timepoint's label where no weeks are given (its words
    then place the result in a window), in the file's column order; the conversion steps say which
    of them an effect used. Each cell verbatim, as typed in the CSV ("sd = 2.0", not the
    parsed 2: an auditor looks for the cell as the file and the paper print it).
    """
    file, line = ctx.raw_rows.get(ref, (None, None))
    if file is None or line is None:
        return ""
    table_name = file.removesuffix(".csv")
    index = _raw_index(ctx, table_name, line)
    if index is None:
        return ""
    row, texts = ctx.raw_tables[table_name][index], _typed_cells(ctx, table_name, index)
    cells = []
    for column, value in row.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            cells.append(f"{column} = {_as_typed(value, texts.get(column))}")
        elif column in _MEANING_CELLS + _PRINTED_CELLS and value is not None:
            cells.append(f"{column} = {value}")
        elif column == "timepoint_label" and value and row.get("timepoint_weeks") is None:
            # Without weeks, the label's words are what put the result in its window.
            cells.append(f"{column} = {value}")
    return ", ".join(cells)


#: A row reference in a conversion step: ``arm_outcomes.csv:Cherkin2009#9`` (the study's
#: ninth row in that file), as :func:`metareview.rawdata.resolve_refs` keys them.
_REF = re.compile(r"\b[a-z_]+\.csv:[A-Za-z][A-Za-z0-9_-]*#\d+\b")
#: Row references listed one after another (", " between them), as a flag lists them.
_REF_RUN = re.compile(rf"{_REF.pattern}(?:, {_REF.pattern})*")


def audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Rows of the audit table: every study effect, pooled estimate and published result, traced to raw rows,
    and the indirect comparisons' numbers, traced to those effects.

    A published meta-analysis' result is printed as the analyses show it (sign turned so
    that negative favours the first-named treatment, a mean difference put on the common
    scale), so its row gives the steps from the cells to that number.
    """
    rows: list[list[Any]] = []
    steps_of = {c["ref"]: c.get("steps", []) for doc in ctx.normalised for c in doc["contrasts"]}
    said = summary_counts(ctx)
    for r in ctx.analyses:
        aid = r["analysis"]["id"]
        for s in r["studies"]:
            where = "; ".join(_ref_text(ctx, ref) for ref in s["refs"])
            cells = "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in s["refs"])
            # Rows the steps name by reference, by file and row number like the others.
            steps = _REF.sub(lambda m: _ref_text(ctx, m.group(0)), " | ".join(
                s["steps"] + _study_ci_steps(r, s) + s["flags"] + _baseline_steps(ctx, s)
                + (_native_steps(s) if r["status"] == "single_study" else [])))
            rows.append([aid, "study effect", s["study_id"], s["yi"], s["vi"], where, cells, s["form"], steps])
            if s.get("exact_p") is not None:
                rows.append(_exact_p_audit_row(ctx, r["analysis"], s))
            if r["status"] == "single_study":
                own_p = _reported_p_audit_row(ctx, r["analysis"], s)
                if own_p:
                    rows.append(own_p)
        for e in r["excluded"]:
            # Which way it went, as the summary and the analysis's line say it.
            direction = _aside_audit_row(ctx, r, e)
            if direction:
                rows.append(direction)
            # A trial set aside for its value type: the report prints its own effect.
            own = e.get("own_effect")
            if own and own.get("refs"):
                rows.append([aid, "study effect set aside (other value type, not combined)", e["study_id"],
                             own["yi"], own["vi"], "; ".join(_ref_text(ctx, ref) for ref in own["refs"]),
                             "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in own["refs"]),
                             own["form"], _REF.sub(lambda m: _ref_text(ctx, m.group(0)),
                                                   " | ".join(own["steps"] + _study_ci_steps(r, own)))])
        if r["pooled"]:
            p = r["pooled"]
            # "; " as between raw rows: the space lets the list wrap in a table cell (no line
            # breaks after a semicolon followed by a letter), so a long list does not take the
            # column widths from the numbers beside it.
            rows.append([aid, "pooled estimate", "; ".join(x["study_id"] for x in r["studies"]), p["estimate"],
                         p["se"] ** 2 if p["se"] is not None else None,
                         f"results/analyses/{aid}.json", "",
                         f"rma(method={p['method']}, test={p['test']})",
                         f"k = {p['k']}; tau2 = {p['tau2']:.6g}; from the study effects above; "
                         + _weight_steps(r["studies"])
                         + _se_steps(p, r["studies"])
                         + _pooled_test_steps(p, on_log_scale(r["analysis"]))
                         + (f"; on the log scale: {r['analysis']['measure']} = exp(value) = {math.exp(p['estimate']):.4f}"
                            if on_log_scale(r["analysis"]) else "")])
            # The sensitivity paragraph's numbers: the model refitted without each study.
            for x in p.get("leave1out") or []:
                others = "; ".join(s["study_id"] for s in r["studies"] if s["study_id"] != x["study_id"])
                rows.append([aid, f"leave-one-out estimate without {x['study_id']}", others, x["estimate"],
                             x["se"] ** 2 if x.get("se") is not None else None,
                             f"results/analyses/{aid}.json", "",
                             f"rma(method={p['method']}, test={p['test']})",
                             f"k = {p['k'] - 1}; the pooled model refitted without {x['study_id']}, from the other "
                             f"study effects above; {_ci_steps(x, on_log_scale(r['analysis']))}"
                             + (f"; on the log scale: {r['analysis']['measure']} = exp(value) = {math.exp(x['estimate']):.4f}"
                                if on_log_scale(r["analysis"]) else "")])
            small_study = _regtest_audit_row(r)
            if small_study:
                rows.append(small_study)
        rows.extend(_count_audit_rows(ctx, r, said.get(aid)))
        rows.extend(_trial_count_audit_rows(ctx, r, said.get(aid)))
        rows.extend(_differing_review_audit_rows(ctx, r, said.get(aid)))
        rows.extend(_external_review_audit_rows(ctx, r))
        rows.extend(_apart_audit_rows(ctx, aid, _split_secondary(_external_in_window(r))[1],
                                      "in the analysis's line of the results, among its published meta-analyses "
                                      "not counted"))
        absolute = _absolute_audit_row(ctx, r)
        if absolute:
            rows.append(absolute)
            reported = _reported_rd_audit_row(ctx, r)
            if reported:
                rows.append(reported)
            for sc in _config_entry(ctx, r["analysis"]["id"]).get("risk_scenarios") or []:
                scenario = _absolute_audit_row(ctx, r, sc, f"difference per 1,000 ({sc['label']})",
                                               "risk_scenarios")
                # a row for the analysis's own risk (absolute) means one for any assumed risk
                assert scenario is not None
                rows.append(scenario)
        for e in r.get("external", []):
            ext_steps = steps_of.get(e["ref"], [])
            if e.get("log_scale") and e.get("estimate") is not None:
                ext_steps = [*ext_steps, f"on the log scale: {e['measure']} = exp(value) = {math.exp(e['estimate']):.4f}"]
            published = MEASURE_NAMES.get(e.get("published_measure", e["measure"]), e["measure"])
            # What the analysis's text prints beside it ("which this review reads as another
            # window", "extracted with low confidence"): the summary's counts and ranges of
            # reviews leave out a result outside the window, and the row says which.
            # The notes repeat a step the analysis's text prints beside the number (a mean
            # difference's "rescaled to 0–10 (×0.1)"): listed twice, it reads as a second
            # conversion (×0.01), so each is given once, where it was applied.
            rows.append([aid, "published result", e["study_id"], e["estimate"], None, _ref_text(ctx, e["ref"]),
                         f"{_ref_text(ctx, e['ref'])}: {raw_cells(ctx, e['ref'])}", f"{published} as published",
                         " | ".join(dict.fromkeys([*(ext_steps or ["as published"]), *e.get("notes", [])]))])
    rows.extend(_unanalysed_published_rows(ctx, {e["ref"] for r in ctx.analyses for e in r.get("external", [])}))
    rows.extend(_review_tally_audit_rows(ctx))
    rows.extend(_indirect_audit_rows(ctx))
    rows.extend(_claim_audit_rows(ctx))
    rows.extend(_claim_count_audit_rows(ctx))
    rows.extend(_claim_review_audit_rows(ctx))
    rows.extend(_limitation_audit_rows(ctx))
    return rows


def _study_ci_steps(r: Mapping[str, Any], s: Mapping[str, Any]) -> list[str]:
    """The audit step of the interval printed beside a study effect (the study-effects
    table, the forest plot, the summary): "95% CI = value ± 1.959964 × sqrt(variance) =
    −1.02596 to 0.225962", the normal-based (Wald) interval of the effect and its sampling
    variance, as metafor's ``escalc`` summary gives it, with the ratio's bounds for a log
    ratio ("exp: 0.9813 to 14.4427"). Without it the printed bounds had no step to be
    checked against: a reader had to know the quantile. None when the effect has no
    interval stored."""
    if s.get("ci_lb") is None or s.get("ci_ub") is None:
        return []
    level = float(r.get("level") or 95)
    z = NormalDist().inv_cdf(0.5 + level / 200.0)
    step = (f"{level:g}% CI = value \u00b1 {z:.6f} \u00d7 sqrt(variance) = {_minus(format(s['ci_lb'], '.6g'))} to "
            f"{_minus(format(s['ci_ub'], '.6g'))}")
    if on_log_scale(r["analysis"]):
        step += f" (exp: {math.exp(s['ci_lb']):.4f} to {math.exp(s['ci_ub']):.4f})"
    return [step]


#: The ``from`` of an audit row of a count the report prints as a sum of raw cells.
COUNT_SUM = "sum of the raw cells"


def _addend_cell(ctx: ReportContext, addend: Mapping[str, Any]) -> str:
    """One addend of a summed count as its raw cell: "arm_outcomes.csv row 18: n = 158",
    the cell as typed; a count derived from the cell says how, "contrasts.csv row 3:
    n_total = 124 (half: 62)", "arm_outcomes.csv row 40: percent = 47.6 (events: 184)"."""
    file, line = ctx.raw_rows.get(addend["ref"], (None, None))
    value = addend.get("cell", addend["value"])
    text = None
    if file is not None and line is not None:
        index = _raw_index(ctx, file.removesuffix(".csv"), line)
        if index is not None:
            text = _typed_cells(ctx, file.removesuffix(".csv"), index).get(addend["column"])
    cell = f"{_ref_text(ctx, addend['ref'])}: {addend['column']} = {_as_typed(value, text)}"
    if "cell" not in addend:
        return cell
    derived = "half" if addend["column"] == "n_total" else "events"
    return f"{cell} ({derived}: {addend['value']:g})"


def _count_sum_row(ctx: ReportContext, aid: str, quantity: str, parts: Sequence[tuple[str, Mapping[str, Any]]],
                   printed: str) -> list[Any]:
    """The audit row of a count the report prints as a sum: each addend's study and raw
    cell, the sum written out, and where it is printed. ``parts`` are (study id, addend)."""
    total = sum(float(a["value"]) for _, a in parts)
    cells = "; ".join(_addend_cell(ctx, a) for _, a in parts)
    # "Cherkin2009 158 (arm_outcomes.csv row 18, n) + Kwon2007 24 (...) = 182": each
    # addend by its study and cell, so that a reader adds up what the cells column quotes.
    terms = [f"{sid} {float(a['value']):g} ({_ref_text(ctx, a['ref'])}, {a.get('how') or a['column']})"
             for sid, a in parts]
    steps = f"{' + '.join(terms)} = {total:g}; printed {printed}"
    return [aid, quantity, "; ".join(dict.fromkeys(sid for sid, _ in parts)), total, None,
            "; ".join(dict.fromkeys(_ref_text(ctx, a["ref"]) for _, a in parts)), cells, COUNT_SUM, steps]


def _count_audit_rows(ctx: ReportContext, r: Mapping[str, Any],
                      said: Mapping[str, str] | None = None) -> list[list[Any]]:
    """Audit rows of the participant and event counts the report prints as sums of raw
    cells, each traced addend by addend (the file, row and column of every arm size or
    event count summed):

    - a study side of several arms combined, whose size the study-effects table prints
      (the arms' sizes added, Cochrane Handbook 6.5.2.10 and 23.3.4);
    - a pooled forest plot's totals, each side's arm sizes (and, for a binary outcome, its
      events) over the studies pooled (:func:`metareview.plots.forest_plot`);
    - the participants the GRADE table gives beside k (:func:`grade_facts`): every arm
      size of the studies with both sizes known; the same total is the one the summary
      prints where it weighs published reviews against the analysis's trials ("the 2
      trials pooled here (367 participants)", ``said["participants"]``, from
      :func:`summary_counts`), so one row gives both places.

    A sum with a study whose recorded cells (``sizes``) do not give its arm sizes (a
    results file written before they were recorded) is not traced."""
    aid = r["analysis"]["id"]
    studies = [s for s in r["studies"] if s.get("n1") is not None and s.get("n2") is not None]
    # Traced only where each study's addends give its own sizes: a sum missing one would
    # not add up to the number printed.
    traced = all(math.isclose(sum(float(a["value"]) for a in (s.get("sizes") or {}).get(key) or []), float(s[key]))
                 for s in studies for key in ("n1", "n2"))
    sides = (("n1", "participants", "intervention"), ("n2", "participants", "comparator"),
             ("events1", "events", "intervention"), ("events2", "events", "comparator"))
    rows: list[list[Any]] = []
    for s in studies:
        for key, what, side in sides:
            addends = (s.get("sizes") or {}).get(key) or []
            if len(addends) > 1:
                rows.append(_count_sum_row(ctx, aid, f"{what}, {side} arms of {s['study_id']} (sum)",
                                           [(s["study_id"], a) for a in addends],
                                           f"in the study-effects table, the {side} side of {s['study_id']}'s arms "
                                           "combined"))
    if not studies or not traced:
        return rows
    binary = all(s.get("events1") is not None and s.get("events2") is not None for s in r["studies"])
    if r["status"] == "pooled" and len(studies) == len(r["studies"]):
        totals = {key: sum(float(s[key]) for s in studies) for key, _, _ in (sides if binary else sides[:2])}
        # As the plot prints them (metareview.plots: "182 / 185", "184/387 vs 171/387").
        shown = (f"{totals['events1']:.0f}/{totals['n1']:.0f} vs {totals['events2']:.0f}/{totals['n2']:.0f}"
                 if binary else f"{totals['n1']:.0f} / {totals['n2']:.0f}")
        for key, what, side in sides if binary else sides[:2]:
            parts = [(s["study_id"], a) for s in studies for a in s["sizes"].get(key) or []]
            if parts:
                rows.append(_count_sum_row(ctx, aid, f"{what}, {side} arms (sum)", parts,
                                           f"in the forest plot's pooled row ({shown}), the {side} side"))
    parts = [(s["study_id"], a) for s in studies for key in ("n1", "n2") for a in s["sizes"].get(key) or []]
    total = sum(float(a["value"]) for _, a in parts)
    printed = []
    if _in_certainty_table(ctx, r):
        printed.append(f"{round(total):,} participants in the GRADE table's data column")
    if (said or {}).get("participants"):
        printed.append(f"in the summary, where published reviews are weighed against this review's trials "
                       f"(\u201c{(said or {})['participants']}\u201d)")
    if printed:
        rows.append(_count_sum_row(ctx, aid, "participants (sum)", parts, " and ".join(printed)))
    return rows


#: The ``from`` of an audit row of a count of trials or reviews, which counts the studies whose raw
#: rows an analysis read (each once), not the numbers in them.
COUNT_STUDIES = "count of the studies of the raw rows"


def _row_of(ctx: ReportContext, ref: str) -> tuple[str, int | None]:
    """The (file, spreadsheet row) of a row reference, a study's row of studies.csv
    (:func:`_study_row_ref`) found by its ``study_id``; (the reference, None) if none."""
    if ref in ctx.raw_rows:
        return ctx.raw_rows[ref]
    if ref.startswith("studies.csv:"):
        numbers = ctx.raw_row_numbers.get("studies") or ()
        # A study id is on one row of studies.csv (metareview.rawdata refuses a repeat).
        rows = _memo(ctx, "studies_rows",
                     lambda: {row.get("study_id"): i for i, row in enumerate(ctx.raw_tables.get("studies", []))})
        index = rows.get(ref.removeprefix("studies.csv:").rsplit("#", 1)[0])
        if index is not None:
            return "studies.csv", numbers[index] if index < len(numbers) else index + 2
    return ref, None


def _rows_text(ctx: ReportContext, refs: Sequence[str]) -> str:
    """Raw rows by file, in the order given: "arm_outcomes.csv rows 5, 6 and 7; contrasts.csv
    row 3" (a reference that resolves to no row as it is)."""
    by_file: dict[str, list[str]] = {}
    for ref in refs:
        file, line = _row_of(ctx, ref)
        by_file.setdefault(file, [])
        if line is not None:
            by_file[file].append(str(line))
    return "; ".join(f"{file} row{'s' if len(lines) > 1 else ''} {join_and(sorted(lines, key=int))}" if lines else file
                     for file, lines in by_file.items())


def _trial_count_row(ctx: ReportContext, aid: str, quantity: str, value: int,
                     groups: Sequence[tuple[str, Sequence[Mapping[str, Any]]]], printed: str,
                     total: str | None = None) -> list[Any]:
    """The audit row of a count of trials or reviews: which studies were counted and the raw rows
    that make each one of the count (``groups``: (what they are, the studies, each with its
    ``study_id``, ``refs`` and, for one set aside, ``reason``)), a group's count and the
    total written out, and where it is printed. A count is checked by finding, in the raw
    tables, each study's rows and no other study's. ``total`` replaces the groups added up
    where the count is of one group among others ("6 of the 6 reviews ...")."""
    listed = [x for _, xs in groups for x in xs]
    steps = []
    for what, xs in groups:
        if xs:
            steps.append(f"{what} ({len(xs)}): " + ", ".join(
                f"{x['study_id']} ({_rows_text(ctx, x.get('refs') or []) or 'no raw row'}"
                + (f": {x['reason']}" if x.get("reason") else "") + ")" for x in xs))
    counts = [len(xs) for _, xs in groups if xs]
    total = total or (f"{' + '.join(map(str, counts))} = {value}" if len(counts) > 1 else f"{value}") + (
        " trial" if value == 1 else " trials")
    return [aid, quantity, "; ".join(dict.fromkeys(x["study_id"] for x in listed)), value, None,
            "; ".join(dict.fromkeys(_rows_text(ctx, x.get("refs") or []) for x in listed if x.get("refs"))),
            "; ".join(f"{_rows_text(ctx, x.get('refs') or [])}: study_id = {x['study_id']}"
                      for x in listed if x.get("refs")),
            COUNT_STUDIES, f"{'; '.join(steps)}; {total}; printed {printed}"]


#: What a review's results with an interval show taken together (:func:`_review_verdict`),
#: as a tally's audit row says why a review is not among those counted.
_VERDICT_WORDS = {"against": "every interval wholly on the comparator's side",
                  "neither": "an interval compatible with no difference, or intervals on both sides"}


def _counted_once_reason(ctx: ReportContext, sid: str, alike: Mapping[str, Sequence[str]],
                         stated: Mapping[str, Sequence[Mapping[str, Any]]], refs: Mapping[str, Sequence[str]]) -> str:
    """Why a tally's audit row counts a review as it does (:func:`_count_once`), or "": the
    reviews counted as one with it, each with its rows (named in the reason, not among the
    reviews counted: the count is of one review), and its statements that find no
    difference, with theirs."""
    said = [f"counted as one review with {other} ({_rows_text(ctx, list(refs.get(other) or []))}), "
            "which prints the same result" for other in alike.get(sid, ())]
    if sid in stated:
        said.append("its statements find no difference against a comparator of the tally ("
                    + _rows_text(ctx, [x["ref"] for x in stated[sid]]) + ")")
    return "; ".join(said)


def _review_tally_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the summary's tallies of published reviews (:func:`_external_overview`):
    "Against sham, minimal needling or placebo TENS: 4 of 5", the reviews with confidence
    intervals and those with every interval wholly on the treatment's side. Each row names
    every review tallied with the rows of its results counted, and why one is not among
    those on the treatment's side; no analysis is named, a tally being across the
    comparator's outcomes. A comparator with one review is said in words ("the one review
    ... has"), not counted, and has no row. The same in either layout, as
    :func:`summary_counts` is."""
    rows: list[list[Any]] = []
    for node in _overview_nodes(ctx):
        label = _in_sentence(_node_label(ctx, node), _names(ctx))
        side = f"the side of {label}" if label.rstrip().endswith(")") else f"{label}\u2019s side"
        results, counted, outcomes, apart, alike, stated = _review_tallies(ctx, node, _question_analyses(ctx, node))
        tallied = {comp: verdicts for comp, reviews in results.items()
                   if (verdicts := {sid: v for sid, v in ((sid, _review_verdict(sides)) for sid, sides in reviews.items())
                                    if v != "no interval"})}
        if tallied:
            # Printed under the tallies, and only with them (_external_overview).
            rows.extend(_apart_audit_rows(ctx, "", apart, f"in the summary, under the tallies of reviews of {label}"))
        for comp, verdicts in tallied.items():
            n_for, n = sum(v == "for" for v in verdicts.values()), len(verdicts)
            against = _in_sentence(comp, _names(ctx))
            # The sizes in brackets after the tally, of its reviews' results (one result
            # shown by two analyses is one), also after a tally of one review in words; by
            # outcome where the tally has more than one (_sizes_by_outcome).
            unique = _tally_results(counted[comp], verdicts, alike[comp])
            where = f"in the summary, the tally of reviews of {label} against {against}"
            if len(outcomes.get(comp, ())) > 1:
                for outcome in sorted(outcomes[comp]):
                    rows.extend(_size_audit_rows(ctx, "", [e for e in unique if e.get("tally_outcome") == outcome],
                                                 where, reviews=len({e["study_id"] for e in unique})))
            else:
                rows.extend(_size_audit_rows(ctx, "", unique, where, reviews=len({e["study_id"] for e in unique})))
            if n == 1 and len(tallied) == 1:
                continue
            printed = (f"Against {against}: {n_for} of {n}" if len(tallied) > 1
                       else f"{n_for} of {n} reviews with confidence intervals")
            refs: dict[str, list[str]] = {}
            # The rows of the results with an interval: those a review's verdict is taken from.
            for e in counted[comp]:
                if (e["measure"] != "p_only" and e.get("ci_lb") is not None
                        and e.get("ci_ub") is not None and e["ref"] not in refs.setdefault(e["study_id"], [])):
                    refs[e["study_id"]].append(e["ref"])
            groups = [(f"every interval wholly on {side}",
                       [{"study_id": sid, "refs": refs[sid],
                         "reason": _counted_once_reason(ctx, sid, alike[comp], stated[comp], refs)}
                        for sid, v in verdicts.items() if v == "for"]),
                      ("not", [{"study_id": sid, "refs": refs[sid],
                                "reason": _counted_once_reason(ctx, sid, alike[comp], stated[comp], refs)
                                or _VERDICT_WORDS[v]}
                               for sid, v in verdicts.items() if v != "for"])]
            rows.append(_trial_count_row(ctx, "", f"reviews tallied against {against}, every interval on {side} "
                                         "(count)", n_for, groups, f"in the summary (\u201c{printed}\u201d)",
                                         total=f"{n_for} of the {n} {'review' if n == 1 else 'reviews'} with "
                                               "confidence intervals"))
    return rows


def _apart_audit_rows(ctx: ReportContext, aid: str, apart: Sequence[Mapping[str, Any]], where: str) -> list[list[Any]]:
    """Audit rows of the published results a tally sets apart, not counted (the "Not
    counted:" points of :func:`_secondary_reviews`: "3 reviews of a broader population than
    this review's"), a row for each reason: each review with the rows of its results set
    apart for that reason, and the count as printed (of reviews, or of results read only
    elsewhere). ``where`` says where the points are printed."""
    rows = []
    for why, n, group in _apart_groups(apart):
        refs: dict[str, list[str]] = {}
        for e in group:
            refs.setdefault(e["study_id"], []).append(e["ref"])
        unit = "results" if why == READ_ELSEWHERE else "reviews"
        rows.append(_trial_count_row(ctx, aid, f"{unit} not counted, {why} (count)", n,
                                     [(why, [{"study_id": sid, "refs": rs} for sid, rs in refs.items()])],
                                     f"{where} (\u201c{_apart_count(why, n)}\u201d)",
                                     total=f"{n} {unit[:-1] if n == 1 else unit}"))
    return rows


def _reviews_total(groups: Sequence[tuple[str, Sequence[Any]]], n: int, unit: str = "review") -> str:
    """A count of reviews written out from its groups: "4 + 2 = 6 reviews", "1 review"."""
    counts = [len(xs) for _, xs in groups if xs]
    return (f"{' + '.join(map(str, counts))} = {n}" if len(counts) > 1 else f"{n}") + f" {unit}{'' if n == 1 else 's'}"


def _size_audit_rows(ctx: ReportContext, aid: str, entries: Sequence[Mapping[str, Any]],
                     where: str, reviews: int | None = None) -> list[list[Any]]:
    """Audit rows of the counts and ranges of published results that :func:`_external_sizes`
    prints ("the SMDs of 4 of them range from −0.54 to −0.33", "2 of them give SMDs of
    −0.69", "their SMDs range from −1.07 to −0.47"), one for each measure given by more than
    one result: the reviews giving it, each with the rows of those results, their count, and
    the two results the range spans, the lowest and the highest, each with its review and
    row. A single result ("its SMD is −0.47") is no count: its own row traces it.
    ``where`` says where the words are printed; ``reviews`` as for :func:`_size_ranges`."""
    rows = []
    for size in _size_ranges(entries, reviews=reviews):
        if len(size["values"]) < 2:
            continue
        refs: dict[str, list[str]] = {}
        for e in size["given"]:
            if e["ref"] not in refs.setdefault(e["study_id"], []):
                refs[e["study_id"]].append(e["ref"])
        (low, *_, high), (lowest, *_, highest) = size["given"], size["values"]
        groups = [(f"giving {size['plural']}", [{"study_id": sid, "refs": rs} for sid, rs in refs.items()])]
        rows.append(_trial_count_row(
            ctx, aid, f"reviews giving {size['plural']}, and their range (count)", size["of"], groups,
            f"{where} (\u201c{size['said']}\u201d)",
            total=(f"{_reviews_total(groups, size['of'])}; {size['plural']} range from {f2(lowest)} "
                   f"({low['study_id']}, {_ref_text(ctx, low['ref'])}) to {f2(highest)} ({high['study_id']}, "
                   f"{_ref_text(ctx, high['ref'])})")))
    return rows


def _external_review_audit_rows(ctx: ReportContext, r: Mapping[str, Any]) -> list[list[Any]]:
    """Audit rows of the counts of reviews an analysis's line of the results prints of its
    published meta-analyses (:func:`_external_sentence`):

    - the reviews counted, by what their results show ("6 reviews, every result of each
      with a confidence interval wholly on acupuncture's side"), each with the rows of its
      results in the analysis's window;
    - the reviews reporting the outcome only at timepoints outside the window ("1 more
      reports it only at timepoints outside this analysis's window"), with their rows;
    - the counts and ranges of their results' sizes (:func:`_size_audit_rows`).

    The reviews set apart have rows of their own (:func:`_apart_audit_rows`)."""
    a = r["analysis"]
    external, apart = _split_secondary(_external_in_window(r))
    where = "in the analysis's line of the results, its published meta-analyses"
    rows = []
    if external:
        refs: dict[str, list[str]] = {}
        for e in external:
            if e["ref"] not in refs.setdefault(e["study_id"], []):
                refs[e["study_id"]].append(e["ref"])
        sides, alike, stated = _analysis_verdicts(ctx, a, external)
        # As the line words them (:func:`_external_sentence`): a review its own words put on
        # neither side is not said to have results on neither.
        sides = _worded_verdicts(a, external, sides, alike, stated)
        # Unescaped, as the other rows give a side: the appendix's table escapes its cells.
        names = {"for": _in_sentence(a["intervention_label"], _names(ctx)),
                 "against": _in_sentence(a["comparator_label"], _names(ctx))}
        words = {**{k: "every result with a confidence interval wholly on "
                    + (f"the side of {v}" if v.rstrip().endswith(")") else f"{v}\u2019s side") for k, v in names.items()},
                 **{f"{k} in words": "every result with a confidence interval wholly on "
                    + (f"the side of {v}" if v.rstrip().endswith(")") else f"{v}\u2019s side")
                    + ", but on neither side for its own words" for k, v in names.items()},
                 "neither": "not every result wholly on one side", "no interval": "no result with a confidence interval"}
        groups = [(what, [{"study_id": sid, "refs": refs[sid],
                           "reason": _counted_once_reason(ctx, sid, alike, stated, refs)}
                          for sid, v in sides.items() if v == k])
                  for k, what in words.items()]
        n = len(sides)
        rows.append(_trial_count_row(ctx, a["id"], "reviews counted (count)", n, groups,
                                     f"{where} (\u201c{n} {'review' if n == 1 else 'reviews'}\u201d)",
                                     total=_reviews_total(groups, n)))
    shown = {e["study_id"] for e in [*external, *apart]}
    outside: dict[str, list[str]] = {}
    for e in r.get("external") or []:
        if e["study_id"] not in shown and e["ref"] not in outside.setdefault(e["study_id"], []):
            outside[e["study_id"]].append(e["ref"])
    if outside:
        k = len(outside)
        # As the line words it: "1 more reports it only ..." after reviews counted.
        printed = (f"{k} more {'reports' if k == 1 else 'report'} it only at timepoints" if external
                   else f"{k} {'review reports' if k == 1 else 'reviews report'} it at timepoints")
        groups = [("reporting it only at timepoints outside the window",
                   [{"study_id": sid, "refs": rs} for sid, rs in outside.items()])]
        rows.append(_trial_count_row(ctx, a["id"], "reviews reporting it only outside the window (count)", k, groups,
                                     f"{where} (\u201c{printed} outside this analysis's window\u201d)",
                                     total=_reviews_total(groups, k)))
    if external:
        rows.extend(_size_audit_rows(ctx, a["id"], _tally_results(
            [{**e, "tally_outcome": a["outcome"]} for e in external], set(sides), alike), where))
    return rows


def _differing_review_audit_rows(ctx: ReportContext, r: Mapping[str, Any],
                                 said: Mapping[str, str] | None = None) -> list[list[Any]]:
    """Audit rows of the reviews the summary counts as differing from an analysis's trials
    (:func:`_reviews_and_trials`: "6 reviews find a difference on acupuncture's side and
    the one trial used here has an interval ... that includes no difference"), a row for
    each side so counted
    (``said["differ_for"]``, ... from :func:`summary_counts`): each review with the rows of
    its results that have an interval, and, where not every review with an interval
    differs ("1 of the 2 reviews finds"), those that do not."""
    said = said or {}
    a = r["analysis"]
    analysable = _analysable_reviews(r)
    verdicts = {sid: v for sid, v in _analysis_verdicts(ctx, a, analysable)[0].items() if v != "no interval"}
    refs: dict[str, list[str]] = {}
    for e in analysable:
        if (e["study_id"] in verdicts and e["measure"] != "p_only" and e.get("ci_lb") is not None
                and e.get("ci_ub") is not None and e["ref"] not in refs.setdefault(e["study_id"], [])):
            refs[e["study_id"]].append(e["ref"])
    name = _in_sentence(a["intervention_label"], _names(ctx))
    own_side = f"the side of {name}" if name.rstrip().endswith(")") else f"{name}\u2019s side"
    words = {"for": f"every interval wholly on {own_side}", **_VERDICT_WORDS}
    rows = []
    for verdict in ("for", "against", "neither"):
        phrase = said.get(f"differ_{verdict}")
        if not phrase:
            continue
        these = [sid for sid, v in verdicts.items() if v == verdict]
        others = [sid for sid, v in verdicts.items() if v != verdict]
        # The trials' own side is the reviews' that do not differ: listed only where the
        # phrase counts "of the" reviews with intervals.
        of = " of the " in phrase.split(" find", 1)[0]
        groups = [(words[verdict], [{"study_id": sid, "refs": refs[sid]} for sid in these]),
                  *([("not", [{"study_id": sid, "refs": refs[sid], "reason": words[verdicts[sid]]} for sid in others])]
                    if of else [])]
        total = (f"{len(these)} of the {len(verdicts)} reviews with confidence intervals" if of
                 else f"{len(these)} {'review' if len(these) == 1 else 'reviews'}")
        rows.append(_trial_count_row(ctx, a["id"], f"reviews differing from the trials here, {words[verdict]} "
                                     "(count)", len(these), groups, f"in the summary (\u201c{phrase}\u201d)",
                                     total=total))
    return rows


def _trial_count_audit_rows(ctx: ReportContext, r: Mapping[str, Any],
                            said: Mapping[str, str] | None = None) -> list[list[Any]]:
    """Audit rows of the counts of trials printed for an analysis, each traced to the
    studies counted and their raw rows:

    - its candidate trials, those used and those set aside, which its section opens with
      ("candidate trials: 5; used: 1") and which the summary sets a review's pooled trials
      against ("more than the 5 trials of this comparison in these data",
      ``said["held"]``);
    - the trials it set aside, where the summary counts them rather than naming them
      ("4 trials", after "Set aside (see Table 4):", ``said["aside"]``).

    ``said`` is the analysis's entry of :func:`summary_counts`. None for an analysis
    without a candidate trial: a count of none has no row to name."""
    said = said or {}
    used = [{"study_id": s["study_id"], "refs": s.get("refs") or []} for s in r["studies"]]
    aside = [{"study_id": e["study_id"], "refs": e.get("refs") or [], "reason": e.get("reason")}
             for e in r.get("excluded") or []]
    candidates = r["k"] + len(aside)
    if not candidates:
        return []
    aid = r["analysis"]["id"]
    # The same in either layout, as the rest of the audit table (the results-table layout
    # prints the section of the analyses report.detailed names).
    printed = [f"in the opening of the analysis's section (\u201ccandidate trials: {candidates}; used: {r['k']}\u201d)"]
    if said.get("held"):
        printed.append(f"in the summary (\u201c{said['held']}\u201d)")
    rows = [_trial_count_row(ctx, aid, "candidate trials (count)", candidates,
                             [("used", used), ("set aside", aside)], " and ".join(printed))]
    if said.get("aside"):
        rows.append(_trial_count_row(ctx, aid, "trials set aside (count)", len(_aside_labels(r)),
                                     [("set aside", aside)],
                                     f"in the summary, among the trials set aside (\u201c{said['aside']}\u201d)"))
    return rows


#: The small-study test's predictor as the audit row's steps compute it from a study effect.
PREDICTOR_TERMS = {
    "sei": "sei = sqrt(vi)",
    "vi": "vi",
    "ni": "ni = n1 + n2",
    "ninv": "1/ni, ni = n1 + n2",
    "sqrtni": "sqrt(ni), ni = n1 + n2",
    "sqrtninv": "1/sqrt(ni), ni = n1 + n2",
}


def _regtest_audit_row(r: Mapping[str, Any]) -> list[Any] | None:
    """The audit row of the small-study test a pooled analysis prints (:func:`sensitivity_text`:
    "t = −2.72 (df = 8), p = 0.026"), or None when it has none.

    The test is the slope of the study effects regressed on the predictor in the pooled
    model's random-effects model, with its estimator and test (metafor ``regtest``, model
    ``"rma"``; Egger et al. 1997): the row gives the slope, its SE and the regression's
    residual tau2, so that a reader refits it from the study rows above and checks the
    statistic, slope / SE, and its p. Its value is the statistic; it has no variance.
    """
    p = r["pooled"]
    reg = p.get("regtest")
    if not reg:
        return None
    aid = r["analysis"]["id"]
    predictor = str(reg.get("predictor", "sei"))
    name, stat = ("z", reg["zval"]) if reg.get("tval") is None else ("t", reg["tval"])
    df = "" if name == "z" else f" (df = {reg['df']:g})"
    slope = f"slope {_minus(format(reg['slope'], '.6g'))}"
    if reg.get("slope_se") is not None:
        slope += f" (SE {reg['slope_se']:.6g})"
    tau2 = "" if reg.get("tau2") is None else f", residual tau2 = {reg['tau2']:.6g}"
    steps = (f"k = {p['k']}; from the study effects above, regressed on {PREDICTOR_TEXT[predictor]} "
             f"({PREDICTOR_TERMS[predictor]}) in the random-effects model, with its estimator and test: "
             f"{slope}{tau2}; {name} = slope / SE = {_minus(format(stat, '.6g'))}{df}, p = {reg['pval']:#.4g}; "
             f"printed {name} = {f2(stat)}{df}, {p_value(reg['pval'])}")
    return [aid, f"small-study test (Egger-type regression on {PREDICTOR_TEXT[predictor]})",
            "; ".join(s["study_id"] for s in r["studies"]), stat, None, f"results/analyses/{aid}.json", "",
            f"regtest(rma(method={p.get('method')}, test={p.get('test')}), model=rma, predictor={predictor})",
            steps]


def _baseline_steps(ctx: ReportContext, s: Mapping[str, Any]) -> list[str]:
    """The audit steps of the numbers printed beside an effect whose arms differed at
    baseline (:func:`_baseline_text`): the week-0 rows' cells the baseline difference is
    computed from, and the change-score rows each arm's change from baseline is read from,
    with the changes as printed ("improved by 4.5"). Neither kind of row gives the effect,
    so neither is among its raw rows; without these steps the printed numbers would have
    no cell to be traced to."""
    steps = []
    if s.get("baseline_refs"):
        steps.append("baseline (week 0) rows read: "
                     + "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in s["baseline_refs"]))
    change = s.get("baseline_change")
    if change is not None and change.get("refs"):
        gap = change["intervention"] - change["comparator"]
        steps.append("changes from baseline read from "
                     + "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in change["refs"])
                     + f": each arm's improvement (the change's size, its sign from change_sign), a side's arms "
                     f"weighted by n: intervention {change['intervention']:.6g}, comparator {change['comparator']:.6g} points on the "
                     f"{change['instrument']}, a gap of {abs(gap):.6g}; printed {_moved(change['intervention'])}, "
                     f"{_moved(change['comparator'])}")
    return steps


def _claim_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the claimed differences the claims table prints ("the claimed
    difference of −2.30"): a claim's ``claimed_value``, a mean difference on the outcome's
    common scale (claims.csv's codebook), is tested against an analysis's interval, so the
    number the verdict turns on is traced to its cell like the effect it is tested against.
    """
    rows: list[list[Any]] = []
    verdicts = {c.get("claim_id"): c.get("verdict") for c in ctx.claims}
    numbers = ctx.raw_row_numbers.get("claims") or ()
    for index, raw in enumerate(ctx.raw_tables.get("claims", [])):
        value = raw.get("claimed_value")
        if raw.get("claimed_measure") != "mean_difference" or value is None or raw.get("claim_id") not in verdicts:
            continue
        where = f"claims.csv row {numbers[index]}" if index < len(numbers) else f"claims.csv: {raw['claim_id']}"
        text = _as_typed(value, _typed_cells(ctx, "claims", index).get("claimed_value"))
        rows.append(["", f"claimed difference (claim {raw['claim_id']})", raw.get("attributed_study_id") or "",
                     float(value), None, where,
                     f"{where}: claimed_measure = mean_difference, claimed_value = {text}", "claim as recorded",
                     (f"a mean difference on the outcome's common scale, as claims.csv records it; printed "
                      f"{f2(float(value))} in the claims table, tested against the interval of the analysis the "
                      f"verdict names; verdict: {verdicts[raw['claim_id']]}")])
    return rows


#: The ``from`` of an audit row of a count of claims, which counts the rows of claims.csv.
COUNT_CLAIMS = "count of the claims of the raw rows"


def _claim_count_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the counts of claims the summary prints under each source's claims
    (:func:`_claims_summary`: "6 not checkable from the data"), one for each source and
    verdict: the claims with that verdict, each by its ``claim_id`` and row of claims.csv,
    and their count. The verdict is the review's, not a cell: the claims table gives why."""
    numbers = ctx.raw_row_numbers.get("claims") or ()
    row_of = {raw.get("claim_id"): numbers[i] if i < len(numbers) else i + 2
              for i, raw in enumerate(ctx.raw_tables.get("claims", []))}
    by_source: dict[Any, dict[str, list[str]]] = {}
    for c in ctx.claims:
        by_source.setdefault(c.get("source_id"), {}).setdefault(c["verdict"], []).append(c["claim_id"])
    rows = []
    for source, verdicts in by_source.items():
        who = _claims_source(ctx, source)
        for verdict, ids in verdicts.items():
            where = [f"claims.csv row {row_of[i]}" if i in row_of else "claims.csv" for i in ids]
            k = len(ids)
            listed = sorted(row_of[i] for i in ids if i in row_of)
            # No study id: the column holds studies' ids, and claims are counted by theirs.
            rows.append(["", f"claims of {who}, {verdict} (count)", "", k, None,
                         f"claims.csv row{'s' if len(listed) > 1 else ''} {join_and([str(n) for n in listed])}",
                         "; ".join(f"{w}: claim_id = {i}" for i, w in zip(ids, where)), COUNT_CLAIMS,
                         f"{verdict} ({k}): " + ", ".join(f"{i} ({w})" for i, w in zip(ids, where))
                         + f"; {k} claim{'' if k == 1 else 's'}; printed in the summary, under the claims of {who} "
                         f"(\u201c{k} {verdict}\u201d)"])
    return rows


#: How the claims table words a count of reviews its reason does not count: after others
#: are counted, and where none is.
_CLAIM_APART_WORDS = ("not counted: {n} more {reviews} with an interval",
                      "none counted (see the published meta-analyses; {n} {reviews} with an interval")

#: The starts of the quantities of the count rows printed in either layout (the claims
#: table and the limitations are): the other counts of studies are the sections' and the
#: summary's overview's, which the results-table layout does not print.
_COUNTS_IN_EITHER_LAYOUT = ("reviews counted for claim ", "reviews not counted for claim ", "study effects ",
                            "published meta-analyses of ", "trials with risk-of-bias judgements",
                            "published reviews with risk-of-bias judgements")


def _claim_count_reason(ctx: ReportContext, counted: Mapping[str, Any]) -> str:
    """Why a claim's count of reviews counts one as it does (:func:`metareview.claims.
    check_claim`'s ``published_reviews``), or "": the reviews counted as one with it, each
    with its rows, and its statements finding no difference, with theirs."""
    said = [f"counted as one review with {x['study_id']} ({_rows_text(ctx, x.get('refs') or [])}), which prints the "
            "same result" for x in counted.get("alike") or []]
    if counted.get("stated"):
        said.append("its statements find no difference against a comparator of the claim ("
                    + _rows_text(ctx, counted["stated"]) + ")")
    return "; ".join(said)


def _claim_review_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the counts of published reviews a claim's reason prints
    (:func:`metareview.claims.check_claim`: "of 7 reviews that give a confidence interval,
    6 have every one wholly on acupuncture's side ...; not counted: 3 more reviews with an
    interval"), for each treatment whose reason counts them: the reviews counted, each with
    the rows of its results counted and, for one not on the treatment's side, why; and the
    reviews not counted, each with the rows of its results left out and the reasons. The
    reviews are those the claim's result records (``published_reviews``), not read back
    from its words."""
    rows: list[list[Any]] = []
    for c in ctx.claims:
        for entry in c.get("published_reviews") or []:
            label = _in_sentence(entry["label"], _names(ctx))
            side = f"the side of {label}" if label.rstrip().endswith(")") else f"{label}\u2019s side"
            where = f"in the claims table, the reason for claim {c['claim_id']}"
            counted, apart = entry.get("counted") or [], entry.get("not_counted") or []
            if counted:
                n, wholly = len(counted), sum(1 for x in counted if x["wholly"])
                groups = [(f"every interval wholly on {side}",
                           [{"study_id": x["study_id"], "refs": x["refs"], "reason": _claim_count_reason(ctx, x)}
                            for x in counted if x["wholly"]]),
                          ("not", [{"study_id": x["study_id"], "refs": x["refs"],
                                    "reason": _claim_count_reason(ctx, x)
                                    or f"not every interval counted wholly on {side}"}
                                   for x in counted if not x["wholly"]])]
                said = (f"of {n} {'review that gives' if n == 1 else 'reviews that give'} a confidence interval, "
                        f"{wholly} {'has' if wholly == 1 else 'have'} every one wholly on {side}")
                rows.append(_trial_count_row(
                    ctx, "", f"reviews counted for claim {c['claim_id']} ({label}), every interval on {side} (count)",
                    wholly, groups, f"{where} (\u201c{said}\u201d)",
                    total=f"{wholly} of the {n} {'review' if n == 1 else 'reviews'} that give a confidence interval"))
            if apart:
                n = len(apart)
                said = _CLAIM_APART_WORDS[not counted].format(n=n, reviews="review" if n == 1 else "reviews")
                groups = [("not counted", [{"study_id": x["study_id"], "refs": x["refs"],
                                            "reason": " and ".join(x["reasons"])} for x in apart])]
                rows.append(_trial_count_row(ctx, "", f"reviews not counted for claim {c['claim_id']} ({label}) (count)",
                                             n, groups, f"{where} (\u201c{said}\u201d)",
                                             total=_reviews_total(groups, n)))
    return rows


#: The ``from`` of an audit row of a count of the analyses or indirect comparisons, which
#: counts the entries of the config that define them, not raw rows.
COUNT_CONFIG = "count of the entries of the config"

#: The config file the report names as defining the analyses (its methods and tables do).
CONFIG_FILE = "config/config.yaml"


def _config_count_row(ctx: ReportContext, key: str, quantity: str, value: int,
                      groups: Sequence[tuple[str, Sequence[tuple[str, str]]]], printed: str, total: str) -> list[Any]:
    """The audit row of a count of the analyses or indirect comparisons the config defines
    (``key``: ``analyses``, ``indirect``): each entry counted by its place and ``id`` in the
    config, ``groups`` giving what they are and, for each entry, what puts it there (the
    status its results file records), the groups' counts and the total, and where the count
    is printed. No raw row is counted: the entries are the config's, and the row says so."""
    place = {x.get("id"): i for i, x in enumerate(ctx.config.get(key) or [])}
    listed = [xid for _, xs in groups for xid, _ in xs]
    steps = [f"{what} ({len(xs)}): {_entries_with_why(xs)}" for what, xs in groups if xs]
    return ["", quantity, "", value, None, f"{CONFIG_FILE}: {key}",
            "; ".join(f"{CONFIG_FILE}: {key}[{place[xid]}].id = {xid}" if xid in place else f"{CONFIG_FILE}: {key}"
                      for xid in listed),
            COUNT_CONFIG, f"{'; '.join(steps)}; {total}; printed {printed}"]


def _entries_with_why(entries: Sequence[tuple[str, str]]) -> str:
    """Config entries, each by its id with what puts it in its group ("a (why)"), those
    alike but for their ids together, the reason given once ("a, c (each: results/analyses/
    ID.json: status = single_study)"), in the order each reason first comes: the analyses
    by pooling gave a results file's path after each of 17 analyses, the GRADE ratings
    one of two reasons after each, and each row ran to most of a page.

    Examples
    --------
    >>> _entries_with_why([("a", "a.json: pooled"), ("bb", "bb.json: pooled")])
    'a, bb (each: ID.json: pooled)'
    >>> _entries_with_why([("a", "x"), ("b", "y"), ("c", "x")])
    'a, c (each: x), b (y)'
    >>> _entries_with_why([("a", ""), ("b", "")])
    'a, b'
    """
    alike: dict[str, list[tuple[str, str]]] = {}
    for xid, why in entries:
        # The id where it stands as a word (a file's name), not inside another word.
        alike.setdefault(re.sub(rf"(?<!\w){re.escape(xid)}(?!\w)", "ID", why), []).append((xid, why))
    parts = []
    for why, xs in alike.items():
        if len(xs) == 1:
            xid, own = xs[0]
            parts.append(f"{xid} ({own})" if own else xid)
        else:
            parts.append(", ".join(xid for xid, _ in xs) + (f" (each: {why})" if why else ""))
    return ", ".join(parts)


def _config_entries_shown(cells: str, key: str, n: int) -> str:
    """The raw cells of a count of config entries as the report's table of counts gives
    them: the entries' places in the config, their ids being named in the row's steps
    ("config/config.yaml: analyses [0] to [16], 17 entries, each named by its id under
    Steps"). The cells themselves, one "analyses[6].id = ..." for each entry, stay in
    audit.csv: in the table they made the row of 17 analyses a page tall.

    Examples
    --------
    >>> _config_entries_shown("config/config.yaml: analyses[2].id = b; config/config.yaml: analyses[0].id = a; "
    ...                       "config/config.yaml: analyses[1].id = c; config/config.yaml: analyses[4].id = d",
    ...                       "analyses", 4)
    'config/config.yaml: analyses [0] to [2] and [4], 4 entries, each named by its id under Steps'
    >>> _config_entries_shown("config/config.yaml: indirect[1].id = x; config/config.yaml: indirect[0].id = y",
    ...                       "indirect", 2)
    'config/config.yaml: indirect [0] and [1], 2 entries, each named by its id under Steps'
    """
    places = sorted({int(i) for i in re.findall(rf"\b{re.escape(key)}\[(\d+)\]\.id = ", cells)})
    runs: list[list[int]] = []
    for i in places:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    spans = [span for run in runs
             for span in ([f"[{i}]" for i in run] if len(run) < 3 else [f"[{run[0]}] to [{run[-1]}]"])]
    where = f"{CONFIG_FILE}: {key}" + (f" {join_and(spans)}" if spans else "")
    return (f"{where}, {n} {'entry' if n == 1 else 'entries'}, "
            f"{'named' if n == 1 else 'each named'} by its id under Steps")


#: Why an analysis has no GRADE rating, by its certainty's status (:class:`metareview.certainty.Certainty`).
_UNRATED = {"not_assessed": "no judgements in analyses[].certainty", "incomplete": "judgements incomplete",
            "out_of_date": "judgements out of date", "no_evidence": "no study effect to rate"}


def _limitation_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the counts and lists the limitations print (:func:`limitations_section`):

    - the analyses by pooling ("of 17 analyses, 1 pools trials, ..."), the GRADE ratings
      ("rated for 0 of 17 analyses") and the indirect comparisons by status ("of 2, 2 have
      no common comparator"): entries of the config (:func:`_config_count_row`), each with
      the status its results file records;
    - the trials (and published reviews) with risk-of-bias judgements ("recorded for 2 of
      the 21 trials"): their rows of risk_of_bias.csv, and the others' of studies.csv;
    - each list of studies whose effects have a property ("Study effects known only from a
      secondary source: ...") and of the published reviews of another population: the
      studies named, each with the raw rows that carry the property
      (:data:`_LIMITATION_LISTS`).
    """
    rows: list[list[Any]] = []
    total = len(ctx.analyses)
    where = "in the limitations"
    if total > 1:
        by_status = {status: [(r["analysis"]["id"], f"results/analyses/{r['analysis']['id']}.json: status = {status}")
                              for r in ctx.analyses if r["status"] == status] for status, _ in _POOLING_WORDS}
        groups = [(what[len(by_status[status]) != 1], by_status[status]) for status, what in _POOLING_WORDS]
        counts = [len(xs) for _, xs in groups if xs]
        rows.append(_config_count_row(
            ctx, "analyses", "analyses by pooling (count)", total, groups,
            f"{where} (\u201c{_pooling_text(ctx).removeprefix('**Pooling**: ').split('.', 1)[0]}\u201d)",
            f"{' + '.join(map(str, counts))} = {total} analyses" if len(counts) > 1 else f"{total} analyses"))
        rated = [r["analysis"]["id"] for r in ctx.analyses if certainty_of(ctx, r).status == "graded"]
        groups = [("rated", [(aid, "") for aid in rated]),
                  ("not rated", [(r["analysis"]["id"], _UNRATED.get(status, status.replace("_", " ")))
                                 for r in ctx.analyses
                                 if (status := certainty_of(ctx, r).status) != "graded"])]
        rows.append(_config_count_row(
            ctx, "analyses", "analyses rated for certainty (GRADE) (count)", len(rated), groups,
            f"{where} (\u201ccertainty of the evidence (GRADE) rated for {len(rated)} of {total} analyses\u201d)",
            f"{len(rated)} of the {total} analyses"))
    # Counted by status, which every comparison the pipeline writes has.
    if ctx.indirect and all("status" in x for x in ctx.indirect):
        groups = [(_indirect_words(status, n), [(x["id"], f"results/indirect/{x['id']}.json: status = {status}")
                                                for x in ctx.indirect if x["status"] == status])
                  for status, n in sorted(Counter(x["status"] for x in ctx.indirect).items())]
        n = len(ctx.indirect)
        rows.append(_config_count_row(
            ctx, "indirect", "indirect comparisons by status (count)", n, groups,
            f"{where} (\u201c{_indirect_kinds_text(ctx)}\u201d)",
            (f"{' + '.join(str(len(xs)) for _, xs in groups)} = {n}" if len(groups) > 1 else f"{n}")
            + f" indirect {'comparison' if n == 1 else 'comparisons'}"))
    rows.extend(_judged_audit_rows(ctx))
    for what, _, carried in _LIMITATION_LISTS:
        found = _limitation_studies(ctx, what)
        if not found:
            continue
        test = next(t for w, t, _ in _LIMITATION_LISTS if w == what)
        refs: dict[str, list[str]] = {}
        label: dict[str, str] = {}
        # Where a study's rows were read, when not in its own report: the documents named.
        read_in: dict[str, dict[str, str]] = {}
        for r in ctx.analyses:
            for s in r["studies"]:
                if test(s):
                    own = refs.setdefault(s["study_id"], [])
                    own.extend(ref for ref in carried(s) if ref not in own)
                    label[s["study_id"]] = s["label"]
                    if what == READ_ELSEWHERE_LIMITATION:
                        read_in.setdefault(s["study_id"], {}).update(
                            {x["ref"]: x["source_id"] for x in s.get("read_elsewhere", [])})
        n = len(found)
        # In the order the list names them, by label.
        study_groups = [("named", [{"study_id": sid, "refs": refs[sid],
                                    **({"reason": _read_in_text(ctx, read_in[sid])} if read_in.get(sid) else {})}
                                   for sid in sorted(refs, key=lambda x: label[x])])]
        rows.append(_trial_count_row(ctx, "", f"study effects {what} (count)", n, study_groups,
                                     f"{where}, under \u201cStudy effects {what}\u201d",
                                     total=f"{n} {'study' if n == 1 else 'studies'}"))
    off = _off_population_reviews(ctx)
    if off:
        study_groups = [("of a broader or another population (studies.csv: population_fit)",
                   [{"study_id": sid, "refs": [_study_row_ref(sid)]} for ids in off.values() for sid in ids])]
        rows.append(_trial_count_row(ctx, "", "published meta-analyses of a broader or another population (count)",
                                     len(off), study_groups, f"{where}, under \u201cPublished meta-analyses of a broader or "
                                     "another population than this review\u2019s\u201d",
                                     total=_reviews_total(study_groups, len(off))))
    return rows


def _read_in_text(ctx: ReportContext, read_in: Mapping[str, str]) -> str:
    """"arm_outcomes.csv rows 18 and 19 read in nbk56291_fig8 (evidence report; sources.csv
    row 40)": a study's rows by the document other than its own report they were read
    in (``read_in``, row ref to ``source_id``), each document by its id, its kind and its
    row of sources.csv, where the auditor finds its citation."""
    sources = ctx.raw_tables.get("sources", [])
    numbers = ctx.raw_row_numbers.get("sources") or ()
    parts = []
    for sid in dict.fromkeys(read_in.values()):
        index = next((i for i, x in enumerate(sources) if x.get("source_id") == sid), None)
        where = [] if index is None else [
            str(sources[index].get("kind") or "other").replace("_", " "),
            f"sources.csv row {numbers[index] if index < len(numbers) else index + 2}"]
        parts.append(f"{_rows_text(ctx, [r for r, x in read_in.items() if x == sid])} read in {sid}"
                     + (f" ({'; '.join(where)})" if where else ""))
    return "; ".join(parts)


def _judged_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the counts of studies with risk-of-bias judgements the report prints
    (:func:`_judged_counts`: "recorded for 2 of the 21 trials", and "1 of the 20 published
    reviews" where one is judged): the studies judged, each with its rows of
    risk_of_bias.csv that judge it, and the others, each with its row of studies.csv. None
    where no study is judged ("risk of bias not assessed" counts nothing)."""
    if not any(_has_risk_of_bias(doc) for doc in ctx.normalised):
        return []
    rows = []
    for role, unit in (("trial", "trials"), ("external", "published reviews")):
        docs = [d for d in ctx.normalised if d["study"]["role"] == role]
        judged = [d for d in docs if _has_risk_of_bias(d)]
        if role == "external" and not judged:
            continue  # not printed
        groups = [("judged", [{"study_id": d["study"]["study_id"],
                               "refs": [x["_ref"] for x in d.get("risk_of_bias") or []
                                        if x.get("judgement") != "not_assessed" and x.get("_ref")]} for d in judged]),
                  ("not", [{"study_id": d["study"]["study_id"], "refs": [_study_row_ref(d["study"]["study_id"])],
                            "reason": "no judgement in risk_of_bias.csv"} for d in docs if not _has_risk_of_bias(d)])]
        said = f"{len(judged)} of the {len(docs)} {unit}"
        rows.append(_trial_count_row(ctx, "", f"{unit} with risk-of-bias judgements (count)", len(judged), groups,
                                     f"in the methods and the limitations (\u201crecorded for {said}\u201d)",
                                     total=said))
    return rows


#: The ``from`` of a Fisher's exact p's audit row: the test, as R names it.
EXACT_TEST = "Fisher's exact test, two-sided (R: fisher.test)"


def _native_steps(s: Mapping[str, Any]) -> list[str]:
    """The audit step of the points a single trial's SMD is re-expressed in
    (``native_difference``, :func:`metareview.extract._native_difference`), which the
    summary and the results print beside it ("a difference of 2.6 points on the
    Roland-Morris Disability Questionnaire 0–23"), or none.

    The number is not the SMD times an SD but the difference of the source's own means,
    before any rescaling: the step says so, so that an auditor recomputes it from the
    cells of the row's raw rows (Cherkin 2009: |6.3 - 8.9| = 2.6)."""
    native = s.get("native_difference")
    if native is None:
        return []
    # The words as printed (:func:`metareview.fmt.ranges`: "0–23"), so that an auditor
    # finds them in the report.
    step = (f"printed beside it: a difference of {f2(native['difference'], 1)} points on the "
            f"{ranges(native['instrument'])} "
            f"= |intervention mean - comparator mean| = {native['difference']:.6g}, from the means of the rows above "
            "as typed (a side's arms weighted by n), before any rescaling")
    return [step]


def _exact_p_audit_row(ctx: ReportContext, analysis: Mapping[str, Any], s: Mapping[str, Any]) -> list[Any]:
    """The audit row of the Fisher's exact p a sparse binary study effect prints beside its
    interval (``exact_p``, :func:`metareview.analysis.sparse_exact_p`; the study-effects
    table, the summary and the forest plot's footnotes print it).

    Its raw rows and cells are the study effect's; its steps name the columns the counts
    came from, the 2x2 table of events and non-events (Fisher 1922: the two-sided p sums
    the hypergeometric probabilities, given the margins, of the tables no more likely than
    the observed one), and the p as printed.
    """
    where = "; ".join(_ref_text(ctx, ref) for ref in s["refs"])
    cells = "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in s["refs"])
    read = []
    for ref in s["refs"]:
        file, line = ctx.raw_rows.get(ref, (None, None))
        row = _raw_row(ctx, file.removesuffix(".csv"), line) if file is not None and line is not None else None
        if row is None:
            continue
        # Events as counted, or reconstructed from a percentage; n from the row, or from
        # its arm in arms.csv (the study effect's steps say which).
        columns = [c for c in ("events", "percent") if row.get(c) is not None][:1]
        columns += ["n"] if row.get("n") is not None else ["n of its arm (arms.csv)"]
        read.append(f"{_ref_text(ctx, ref)} ({', '.join(columns)})")
    e1, n1, e2, n2 = (float(s[k]) for k in ("events1", "n1", "events2", "n2"))
    p = float(s["exact_p"])
    steps = (f"the study effect's counts, from {'; '.join(read)}: {analysis['intervention_label']} {e1:g} of "
             f"{n1:g}, {analysis['comparator_label']} {e2:g} of {n2:g}; 2x2 table of events and non-events "
             f"[[{e1:g}, {n1 - e1:g}], [{e2:g}, {n2 - e2:g}]], smallest cell {_smallest_cell(s)} (below 5: the Wald "
             f"interval is an approximation, so the exact test is given beside it); two-sided p = {p:.6g} "
             f"(Fisher 1922), printed {p_value(p)}")
    return [analysis["id"], "Fisher's exact p", s["study_id"], p, None, where, cells, EXACT_TEST, steps]


def _unanalysed_published_rows(ctx: ReportContext, traced: set[str]) -> list[list[Any]]:
    """Audit rows of the published results the published meta-analyses table prints but no
    analysis shows (another comparison, outcome or window), as that table prints them."""
    rows: list[list[Any]] = []
    for doc in ctx.normalised:
        if doc["study"]["role"] != "external":
            continue
        for c in doc["contrasts"]:
            if c["ref"] in traced:
                continue
            # A p-value alone, or a result whose direction the source leaves open, is
            # printed too (as printed): traced with no value.
            steps = list(c.get("steps", []))
            if c["measure"] in ("RR", "OR") and c.get("estimate") is not None:  # logs, as in _external_estimate
                steps.append(f"on the log scale: {c['measure']} = exp(value) = {math.exp(c['estimate']):.4f}")
            rows.append(["", "published result (in no analysis)", doc["study"]["study_id"], c["estimate"], None,
                         _ref_text(ctx, c["ref"]), f"{_ref_text(ctx, c['ref'])}: {raw_cells(ctx, c['ref'])}",
                         f"{MEASURE_NAMES.get(c['measure'], c['measure'])} as published",
                         " | ".join(steps) or "as published"])
    return rows


def _indirect_methods(ctx: ReportContext) -> str:
    """The methods bullet on indirect comparisons: how one is anchored and its interval built.

    Bucher's method keeps randomisation only through a comparator both sides share
    (Bucher et al. 1997); a reader judging an indirect estimate needs to know which
    effects enter it and why its interval is as wide as it is.
    """
    naive = any(x.get("show_unanchored") for x in ctx.config.get("indirect", []))
    z = NormalDist().inv_cdf(0.5 + float(ctx.config["methods"].get("level", 95)) / 200.0)
    return ("- **Indirect comparisons**: two treatments compared with the same named comparator, on the same outcome, "
            "window and measure, are compared with each other by Bucher's method (Bucher et al. 1997): the difference "
            "of the two effects (of their logs, for ratios), its variance the sum of theirs, with a normal-based "
            "interval. Each side is the analysis's pooled estimate, or its single study's effect; a pooled estimate "
            f"enters with the SE its own confidence interval implies (its width over 2 × {fixed(z, 2)}, Cochrane Handbook "
            "6.3.1), so that a Hartung-Knapp interval on few degrees of freedom keeps its width instead of giving an "
            "indirect interval narrower than its own. "
            # Unnamed comparators are spoken of in a review that has them, as in the nodes' bullet.
            + ("Comparators the sources do not name are never a common comparator, and effects"
               if _has_unnamed(ctx) else "Effects")
            + " on different measures are never combined. A trial of both treatments and the "
            "comparator would be on both sides through its one comparator arm, counted twice as if two trials, and "
            "its own comparison of the two, direct evidence already, counted again: it counts as direct evidence "
            "only, and is left out of both sides, each refitted without it with its analysis's estimator, test and "
            "level (or taken as the one trial left); a side with no other trial against that comparator anchors no "
            "comparison through it."
            + (" Where nothing anchors a comparison, the naive difference of the two sides' effects is shown for "
               "illustration only, without an interval, and labelled as unanchored." if naive else ""))


def _variance_source(side: Mapping[str, Any]) -> str:
    """" (from its confidence interval)" for a pooled side whose variance was read back
    from its interval (:func:`metareview.indirect._pooled_variance`), else ""."""
    return " (from its confidence interval)" if side.get("variance_from") == "interval" else ""


def _study_ids(*sides: Sequence[str]) -> str:
    """The ``study_id`` cell of a row computed from several effects: the ids of the studies
    behind them, each once, in order, as a pooled estimate's row lists its studies."""
    return "; ".join(dict.fromkeys(i for ids in sides for i in ids))


def _shared_trial_steps(x: Mapping[str, Any], c: Mapping[str, Any]) -> str:
    """The audit steps of a trial of all three left out of both sides of an anchored
    comparison (:mod:`metareview.indirect`): which trial, why, and how each side was
    made without it, or ""."""
    if not c.get("shared"):
        return ""
    sides = []
    for name, side in ((x["treatment_a_label"], c["a_vs_c"]), (x["treatment_b_label"], c["b_vs_c"])):
        r = side.get("refit")
        how = (f"refitted without it, rma(method={r['method']}, test={r['test']}, level={r['level']:g}) of {r['k']} "
               f"studies: {r['estimate']:.4f} ({r['ci_lb']:.4f} to {r['ci_ub']:.4f}), τ² {r['tau2']:.6g}" if r else
               f"{side['what']}")
        sides.append(f"{name} vs {c['comparator_label']}: {how}")
    ids = "; ".join(c.get("shared_study_ids") or [])
    return (f"; {join_and(list(c['shared']))} ({ids}) left out of both sides: a trial of all three, whose "
            f"{c['comparator_label']} arm would count twice and whose own comparison of {x['treatment_a_label']} and "
            f"{x['treatment_b_label']} is direct evidence; " + "; ".join(sides))


def _indirect_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the indirect comparisons' numbers: each anchored (Bucher) estimate and
    each unanchored naive difference, from the effects of the rows above.

    ``study_id`` holds the ids of the studies behind the two sides, so that a row is found
    by study id like the effects it comes from; the sides' labels, for reading ("pooled
    estimate of 3 studies", "Liu & Park (2021)"), are in ``from`` and ``steps``."""
    rows: list[list[Any]] = []
    for x in ctx.indirect:
        where = f"results/indirect/{x['id']}.json"
        log = x.get("scale") == "log"
        for c in x.get("anchored") or []:
            ac, bc = c["a_vs_c"], c["b_vs_c"]
            rows.append([x["id"], f"anchored indirect estimate through {c['comparator_label']}",
                         _study_ids(ac["study_ids"], bc["study_ids"]), c["estimate"], c["se"] ** 2, where, "",
                         f"Bucher et al. (1997), from {ac['what']} and {bc['what']}",
                         f"{x['treatment_a_label']} vs {c['comparator_label']} ({in_brackets(ac['what'])}): {ac['estimate']:.4f}, "
                         f"variance {ac['variance']:.6g}{_variance_source(ac)}; {x['treatment_b_label']} vs "
                         f"{c['comparator_label']} ({in_brackets(bc['what'])}): {bc['estimate']:.4f}, variance "
                         f"{bc['variance']:.6g}{_variance_source(bc)}; difference "
                         f"{c['estimate']:.4f}, variance {c['se'] ** 2:.6g} (the sum)"
                         + ("; on the log scale" if log else "") + _shared_trial_steps(x, c)])
        for u in x.get("unanchored") or []:
            rows.append([x["id"], "naive difference (unanchored, not evidence)",
                         _study_ids(u["a_study_ids"], u["b_study_ids"]), u["estimate"], None, where, "",
                         f"difference of two study effects, {u['a_source']} minus {u['b_source']}",
                         f"{x['treatment_a_label']} vs {u['a_comparator']} ({in_brackets(u['a_source'])}): "
                         f"{u['a_estimate']:.4f} minus {x['treatment_b_label']} vs {u['b_comparator']} "
                         f"({in_brackets(u['b_source'])}): "
                         f"{u['b_estimate']:.4f} = {u['estimate']:.4f}, as if the two comparators were one treatment"
                         + ("; on the log scale" if log else "")])
        rows.extend(_near_miss_audit_rows(ctx, x))
    return rows


def _near_miss_audit_rows(ctx: ReportContext, x: Mapping[str, Any]) -> list[list[Any]]:
    """Audit rows of the participants printed beside each trial that compared one of an
    indirect comparison's two treatments with a treatment no node includes
    (:func:`_near_misses`: "Itoh et al. (2004) ... compared ... with acupuncture (27
    participants analysed)"): the sizes of the arms it compared added, each arm's
    ``n_analysed`` (or ``n_randomised``) cell, as :func:`_participants` adds them. None
    where it prints no number."""
    rows = []
    for doc, ours, outside in _near_miss_trials(ctx, x):
        arms = [*outside, *ours]
        printed = _participants(arms).strip(" ()")
        if not printed:
            continue
        sid = doc["study"]["study_id"]
        parts = [(sid, {"ref": a["ref"], "column": a["n_source"], "value": a["n"]}) for a in arms]
        rows.append(_count_sum_row(ctx, x["id"], "participants of a trial against a treatment no node includes (sum)",
                                   parts, f"\u201c{printed}\u201d after {doc['study']['label']} in the indirect "
                                   "comparison's section, and in the summary where it names the trial"))
    return rows


def _absolute_audit_row(ctx: ReportContext, r: Mapping[str, Any], assumed: Mapping[str, Any] | None = None,
                        quantity: str = "difference per 1,000", key: str = "comparator_risk") -> list[Any] | None:
    """The audit row of a binary analysis's difference per 1,000 (:func:`absolute_text`):
    the comparator arms it takes its risk from, and each step to the printed numbers.
    ``assumed`` is a risk from the config (``key``, default: the analysis's own)."""
    a = r["analysis"]
    assumed = assumed or assumed_risk(ctx, a["id"])
    found = _absolute(r, assumed)
    if found is None:
        return None
    e, _, counted, acr = found
    formula = {"RR": "risk = comparator risk × RR", "OR": "risk = comparator risk × OR / (1 − comparator risk + "
               "comparator risk × OR)", "RD": "risk = comparator risk + RD"}[a["measure"]]
    risks = ", ".join(f"{s['study_id']} {s['events2']:g}/{s['n2']:g}" for s in counted)
    def g(x: float) -> str:
        return _minus(format(x, ".6g"))

    given = (f"comparator risk = {g(acr)}, assumed in the config ({assumed['source']})" if assumed else
             f"comparator risk = {'median of ' if len(counted) > 1 else ''}{risks} = {g(acr)}")
    steps = (f"{given}; {formula}, at the "
             f"{'pooled' if r['status'] == 'pooled' else 'study'} effect and its CI bounds: {g(e.intervention)} "
             f"({g(e.intervention_lb)} to {g(e.intervention_ub)}) per 1,000; difference {g(e.difference)} "
             f"({g(e.difference_lb)} to {g(e.difference_ub)}) per 1,000" + ("; capped at 0 to 1,000" if e.capped else ""))
    # The cells the comparator risk was read from (events, or a percentage, and n), as the
    # study effect's row gives them: a risk from the config reads no raw row.
    where, cells = ((f"config/config.yaml ({key})", "") if assumed else
                    ("; ".join(_ref_text(ctx, ref) for s in counted for ref in s["refs"]),
                     "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for s in counted for ref in s["refs"])))
    return [a["id"], quantity, "; ".join(s["study_id"] for s in counted), e.difference, None,
            where, cells, "Cochrane Handbook 14.1.5.1", steps]


def _reported_p_audit_row(ctx: ReportContext, analysis: Mapping[str, Any],
                          s: Mapping[str, Any]) -> list[Any] | None:
    """The audit row of the p-value a single trial reports for its own test, which the
    report prints beside the trial's effect where the two disagree at 0.05
    (:func:`_reported_p_clause`: Carlsson 2001's "p < 0.05" beside a Wald interval that
    includes no difference), or None when none is printed: its raw row and cells, and the
    p as printed. Its value is the p-value's cell; a qualifier ("<") is in the steps."""
    c = _printed_reported_p(ctx, analysis, s)
    if c is None:
        return None
    ref = c.get("ref", "")
    p, qualifier = float(c["p_value"]), c.get("p_qualifier") or "="
    # As :func:`reported_p` prints it, without the Markdown escape.
    steps = (f"p_value = {typed(p)}, p_qualifier = {qualifier}: the trial's own test of this comparison, printed "
             f"p {qualifier} {typed(p)} beside the effect, whose interval it disagrees with at 0.05 (not used in "
             "the effect)")
    return [analysis["id"], "trial's own p-value", s["study_id"], p, None, _ref_text(ctx, ref),
            f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}", "p-value as reported", steps]


def _reported_rd_audit_row(ctx: ReportContext, r: Mapping[str, Any]) -> list[Any] | None:
    """The audit row of the risk difference a single trial reports, which the report prints
    beside the difference per 1,000 derived from its ratio (:func:`_reported_rd_clause`):
    its raw row and cells, and the step from the source's proportion to the printed count."""
    found = _printed_reported_rd(ctx, r)
    if found is None:
        return None
    s = r["studies"][0]
    c, est, lb, ub = found
    ref = c.get("ref", "")
    turned = c["node1"] != r["analysis"]["intervention"]
    def g(x: float) -> str:
        return _minus(format(x, ".6g"))

    steps = [*c.get("steps", []),
             f"RD {g(c['estimate'])} ({g(c['ci_lb'])} to {g(c['ci_ub'])}) as a proportion"
             + ("; sign reversed to intervention minus comparator" if turned else "")
             + f"; × 1,000 = {g(est)} ({g(lb)} to {g(ub)}) per 1,000, printed beside the difference per 1,000 "
             "derived from the ratio (not used in it)"]
    return [r["analysis"]["id"], "trial's own risk difference per 1,000", s["study_id"], est, None,
            _ref_text(ctx, ref), f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}", "RD as reported",
            " | ".join(steps)]


def _weight_steps(studies: Sequence[Mapping[str, Any]]) -> str:
    """"weights 1/(vi + tau2), as % of their sum: Cherkin2009 87.1602%, Kwon2007 12.8398%; "
    for a pooled estimate's audit row, or "" when the studies carry none.

    The study-effects table prints each study's weight and the summary "87% of the weight
    from ..."; the row gives them beside tau2 and the effects' variances they come from
    (the random-effects weights, Borenstein et al. 2009, ch. 12), so that an auditor can
    recompute them."""
    weights = [(s["study_id"], s.get("weight")) for s in studies]
    if not weights or any(w is None for _, w in weights):
        return ""
    return "weights 1/(vi + tau2), as % of their sum: " + ", ".join(f"{i} {w:.6g}%" for i, w in weights) + "; "


def _se_steps(p: Mapping[str, Any], studies: Sequence[Mapping[str, Any]]) -> str:
    """How a pooled estimate's standard error comes from its studies' effects, for its
    audit row: "SE = sqrt(max(1, s2) / sum w) = 0.104574, where w = 1/(vi + tau2) and s2 =
    sum w (yi - estimate)^2 / (k - 1) = 0.14847 (Hartung-Knapp's factor, floored at 1:
    test adhoc); ", or "" where the studies do not give it back.

    Hartung-Knapp (Hartung & Knapp 2001; Sidik & Jonkman 2002) scales the variance
    1/sum(w) by s2, and metafor's ``test="adhoc"`` (Knapp & Hartung 2003) keeps s2 at 1 or
    more: an auditor who recomputes with plain Hartung-Knapp where the studies agree better
    than chance would have them gets a narrower interval, and the row said neither which
    nor how much. The z and t tests take 1/sum(w) as it is. The step is given only when
    these numbers give the model's own SE back, so it never states a formula the model did
    not use.
    """
    se, tau2, est, k = p.get("se"), p.get("tau2"), p.get("estimate"), p.get("k")
    if se is None or tau2 is None or est is None or not k or k < 2 or len(studies) != k:
        return ""
    try:
        w = [1.0 / (float(s["vi"]) + tau2) for s in studies]
        y = [float(s["yi"]) for s in studies]
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return ""
    if not all(math.isfinite(x) and x > 0 for x in w):
        return ""
    total = sum(w)
    s2 = sum(wi * (yi - est) ** 2 for wi, yi in zip(w, y)) / (k - 1)
    test = p.get("test")
    if test == "knha":
        formula, factor, said = "sqrt(s2 / sum w)", s2, "Hartung-Knapp's factor"
    elif test == "adhoc":
        formula, factor, said = ("sqrt(max(1, s2) / sum w)", max(1.0, s2),
                                 "Hartung-Knapp's factor, floored at 1: test adhoc")
    else:
        return "" if not math.isclose(math.sqrt(1.0 / total), se, rel_tol=1e-9) else \
            f"SE = sqrt(1 / sum w) = {se:.6g}, where w = 1/(vi + tau2); "
    if not math.isclose(math.sqrt(factor / total), se, rel_tol=1e-9):
        return ""
    return (f"SE = {formula} = {se:.6g}, where w = 1/(vi + tau2) and s2 = sum w (yi - estimate)^2 / (k - 1) "
            f"= {s2:.6g} ({said}); ")


def _ci_steps(x: Mapping[str, Any], log: bool = False) -> str:
    """"CI −0.52 to 0.11" on the analysis scale, for an audit row's steps; for log ratios
    also exponentiated, as the report prints it."""
    text = f"CI {_minus(format(x['ci_lb'], '.6g'))} to {_minus(format(x['ci_ub'], '.6g'))}"
    if log:
        text += f" (exp: {math.exp(x['ci_lb']):.4f} to {math.exp(x['ci_ub']):.4f})"
    return text


def _pooled_test_steps(p: Mapping[str, Any], log: bool = False) -> str:
    """The pooled model's interval, test and heterogeneity as the report prints them, for
    its audit row: "CI −1.18 to 1.48; t = 1.469 (df = 1), p = 0.3805; QE = 0.1485 (df = 1,
    p = 0.7000); I2 = 0%; tau2 CI (Q-profile) 0 to 7.33757; I2 CI 0% to 99.3385%", and the
    prediction interval when there is one. Each is a number of the model's results file, so
    an auditor finds every figure of the pooled line there."""
    parts = [_ci_steps(p, log)]
    # p to 4 significant digits with their trailing zeros: "p = 0.7" would read as exact
    # beside the text's "p = 0.700" for a p of 0.69997.
    if p.get("tval") is not None:
        from metareview.distributions import t_ppf  # scipy: imported only for a t-based model

        # The critical value the interval's width comes from (the text prints it, "critical
        # value 12.71", where it makes the interval wider than the studies' own).
        quantile = 0.5 + float(p.get("level", 95)) / 200.0
        parts.append(f"t = {_minus(format(p['tval'], '.6g'))} (df = {p['df']:g}), p = {p['pval']:#.4g}, "
                     f"critical value t({quantile:g}, df = {p['df']:g}) = {float(t_ppf(quantile, p['df'])):.6g}")
    elif p.get("zval") is not None:
        parts.append(f"z = {_minus(format(p['zval'], '.6g'))}, p = {p['pval']:#.4g}")
    if p.get("QE") is not None:
        parts.append(f"QE = {p['QE']:.6g} (df = {p['k'] - 1}, p = {p['QEp']:#.4g})")
    if p.get("I2") is not None:
        parts.append(f"I2 = {p['I2']:.4g}%")
    # The prediction interval and the Q-profile intervals of tau2 and I2 are printed on the
    # pooled line too; a bound beyond the search interval keeps metafor's "<" or ">".
    if p.get("pi_lb") is not None and p.get("pi_ub") is not None:
        text = f"PI {_minus(format(p['pi_lb'], '.6g'))} to {_minus(format(p['pi_ub'], '.6g'))}"
        if log:
            text += f" (exp: {math.exp(p['pi_lb']):.4f} to {math.exp(p['pi_ub']):.4f})"
        parts.append(text)
    if p.get("tau2_ci_lb") is not None and p.get("tau2_ci_ub") is not None:
        if _empty_q_profile(p):
            parts.append("tau2 CI (Q-profile) empty: Q is smaller than expected even with tau2 = 0")
        else:
            def bound(value: float, sign: str | None, pct: str = "") -> str:
                return f"{sign + ' ' if sign else ''}{_minus(format(value, '.6g'))}{pct}"

            lb_sign, ub_sign = p.get("ci_lb_sign") or None, p.get("ci_ub_sign") or None
            parts.append(f"tau2 CI (Q-profile) {bound(p['tau2_ci_lb'], lb_sign)} to {bound(p['tau2_ci_ub'], ub_sign)}")
            if p.get("I2_ci_lb") is not None and p.get("I2_ci_ub") is not None:
                parts.append(f"I2 CI {bound(p['I2_ci_lb'], lb_sign, '%')} to {bound(p['I2_ci_ub'], ub_sign, '%')}")
    if p.get("tau2_max") is not None:
        parts.append(f"tau2 interval searched up to {p['tau2_max']:g} (metafor: control = list(tau2.max = "
                     f"{p['tau2_max']:g}))")
    return "; ".join(parts)


AUDIT_HEADER = ["analysis", "quantity", "study_id", "value", "variance", "raw_rows", "raw_cells", "from", "steps"]


def audit_section(ctx: ReportContext, rows: Sequence[Sequence[Any]]) -> Markdown:
    detailed = in_detail(ctx)
    # In the results-table layout the report prints the pooled estimates, the effect of
    # the one study of single-study analyses, and every number of the analyses shown in
    # full: those are the rows shown here.
    single = {r["analysis"]["id"] for r in ctx.analyses if r["status"] == "single_study"}
    in_full = {r["analysis"]["id"] for r in detailed_analyses(ctx)}
    # The indirect comparisons are printed in full in either layout.
    indirect = {x["id"] for x in ctx.indirect}
    # Named as the other appendix names them: the CSV keeps the bare id.
    names = analysis_refs(ctx)
    by_id = {r["analysis"]["id"]: r for r in ctx.analyses}
    body: list[list[Any]] = []
    # The counts of trials and reviews in a table of their own, after the numbers: they
    # have neither variance nor method, and among the numbers a third of the rows were
    # counts, between an analysis's estimates.
    counts: list[list[Any]] = []
    shown_aid = counted_aid = None
    for row in rows:
        aid, what, sid, value, var, where, cells, src, steps = row
        # A small-study test is printed with its pooled estimate, wherever that is; the
        # participants the GRADE table gives, in either layout.
        # The claims' counts are the summary's, in either layout.
        # The counts of the claims, the claims table and the limitations, in either layout.
        everywhere = src in (COUNT_CLAIMS, COUNT_CONFIG) or (src == COUNT_STUDIES
                                                            and what.startswith(_COUNTS_IN_EITHER_LAYOUT))
        if (not detailed and what not in ("pooled estimate", "participants (sum)") and not everywhere
                and not what.startswith("small-study test") and aid not in single | in_full | indirect):
            continue
        if not detailed and what.startswith("difference per 1,000") and aid not in in_full:
            continue  # printed only in the sections of the analyses shown in full
        if not detailed and src == COUNT_STUDIES and aid not in in_full and not everywhere:
            continue  # a section's count, and the summary gives no overview in this layout
        if not detailed and what == "participants (sum)" and not _in_certainty_table(ctx, by_id[aid]):
            continue  # the summary's total alone, which this layout does not print
        if not detailed and aid not in in_full:
            # The study effects are not printed in this layout: they are in the CSV.
            steps = steps.replace("from the study effects above", "from its study effects in audit.csv")
        if src in (COUNT_STUDIES, COUNT_CLAIMS, COUNT_CONFIG):
            first = not counts or aid != counted_aid
            counted_aid = aid
            if src == COUNT_CONFIG:
                # The entries' places; their ids are in the steps, their cells in the CSV.
                cells = _config_entries_shown(cells, where.rsplit(": ", 1)[-1], len(cells.split("; ")) if cells else 0)
            counts.append([names.get(aid, aid) if first else Markdown(f"`{aid}`" if aid else ""), what, sid,
                           format(value, "g"), cells or where, steps])
            continue
        # The cells beside their rows: "arm_outcomes.csv row 18: n = 158, mean = 6.3, ...".
        # The title on the first of an analysis's rows, its id on every row: a title
        # repeated on each of its rows made them taller, for a name already given above.
        first = not body or aid != shown_aid
        shown_aid = aid
        named = names.get(aid, aid) if first else Markdown(f"`{aid}`" if aid else "")
        # A count as the report prints it ("182"), not as an effect ("182.0000").
        shown_value = format(value, "g") if src == COUNT_SUM and value is not None else f2(value, 4)
        body.append([named, what, sid, shown_value, f2(var, 5), cells or where, src, steps])
    if not rows:
        return Markdown("No effect was computed.\n")
    note = Markdown("")
    if not detailed:
        n_effects = sum(1 for row in rows if row[1] == "study effect")
        tests = any(str(row[1]).startswith("small-study test") for row in rows)
        note = Markdown(
            "The report shows the analyses as a results table (@tbl-results), not one by one, so this table "
            "traces the numbers the report prints: the pooled estimates"
            + (" and their small-study tests" if tests else "") + ", the effect of the only usable "
            "study of single-study analyses, and the study effects of the analyses shown in full. All "
            f"{n_effects} study effects, each traced to its raw rows, are in `results/report/audit.csv`, "
            "with the same information (and the raw rows in a column of their own).\n\n")
        if not body:
            return Markdown(note + "No analysis was pooled or had a single usable study.\n")
    caption = ("Audit trail: where every number comes from (also in results/report/audit.csv)" if detailed
               else "Audit trail of the numbers the report prints (every study effect is in results/report/audit.csv)")
    numbers = table(["Analysis", "Quantity", "Study", "Value", "Variance", "Raw cells", "From", "Steps"],
                    body, caption, "tbl-audit", budget=APPENDIX_TABLE_BUDGET)
    if not counts:
        return Markdown(note + numbers)
    return Markdown(note + numbers + table(
        ["Analysis", "Quantity", "Studies", "Count", "Raw rows counted", "Steps"], counts,
        "Audit trail of the counts of trials, reviews, claims and analyses the report prints: the studies (or claims) "
        "counted, each with the raw rows that make it one of them, and the analyses counted, each with its entry in the "
        "config (also in results/report/audit.csv)", "tbl-audit-counts",
        budget=APPENDIX_TABLE_BUDGET))


def favours_text(measures: Iterable[str], events: Collection[str] = ("beneficial", "harmful")) -> str:
    """Which side of each of ``measures`` favours the intervention, as the results'
    opening sentence says it: only the measures given (the review's analyses' ones).

    A difference (MD, SMD) below 0 favours the intervention, every common scale being
    lower-is-better; a ratio (RR, OR) above 1 and a risk difference above 0 favour it
    when the events are beneficial, below them when they are harmful.

    Parameters
    ----------
    measures
        The analyses' measures ("MD", "SMD", "RR", "OR", "RD"), repeats allowed.
    events
        The kinds of event the binary analyses count (their ``events``: "beneficial",
        "harmful"); only those are described. A review of responders alone was told which
        side a harmful event favours, of which it has none.

    Returns
    -------
    str
        The clause, without a capital or a full stop, the measures joined by semicolons
        (each holds a comma).

    Examples
    --------
    >>> favours_text(["RR"])
    'for a beneficial event such as response, risk ratios above 1, and for a harmful event, below 1'
    >>> favours_text(["RR"], ["beneficial"])
    'for a beneficial event such as response, risk ratios above 1'
    """
    given = set(measures)
    parts = []
    differences = [name for m, name in (("MD", "mean differences"), ("SMD", "SMDs")) if m in given]
    if differences:
        parts.append(f"for {' and '.join(differences)}, negative values (lower on the outcome's common scale, "
                     "where lower is better)")
    ratios = [name for m, name in (("RR", "risk ratios"), ("OR", "odds ratios")) if m in given]
    above = ([f"{' and '.join(ratios)} above 1"] if ratios else []) + (["risk differences above 0"] if "RD" in given else [])
    kinds = set(events)
    if above and "harmful" not in kinds:
        parts.append(f"for a beneficial event such as response, {' and '.join(above)}")
    elif above and "beneficial" not in kinds:
        parts.append(f"for a harmful event, {' and '.join(above).replace('above', 'below')}")
    elif above:
        # One threshold is named again ("below 1"); two are "them".
        below = "them" if len(above) > 1 else ("1" if ratios else "0")
        parts.append(f"for a beneficial event such as response, {' and '.join(above)}, and for a harmful event, "
                     f"below {below}")
    return "; ".join(parts) or "as each analysis's measure says"


def audit_lead(ctx: ReportContext, rows: Sequence[Sequence[Any]] | None = None) -> str:
    """The audit trail's opening: what its columns hold, each kind of number named only
    where the review has it (ratios, differences per 1,000, published results, indirect
    comparisons), as the methods name only the measures used.

    A review of mean differences alone read of logs of ratios, of counts per 1,000 and of
    indirect comparisons' sides, numbers its trail never holds. The rows that are no
    effect (a p-value, a small-study test's statistic, an unanchored naive difference, a
    claim's claimed difference) are named where the trail has them: without a word, a
    Fisher's exact p read as a value "on the analysis scale" and its empty variance as a
    number left out. ``rows`` are the trail's (:func:`audit_rows`), computed when not given.
    """
    measures = {a["measure"] for a in ctx.config.get("analyses", [])}
    ratios, binary = bool(measures & {"RR", "OR"}), bool(measures & {"RR", "OR", "RD"})
    indirect, published = bool(ctx.indirect), _has_role(ctx, "external")
    rows = audit_rows(ctx) if rows is None else rows
    quantities = {str(row[1]) for row in rows}
    p_values = bool(quantities & {"Fisher's exact p", "trial's own p-value"})
    counts = any(q.endswith("(sum)") for q in quantities)
    claims = any(row[7] == COUNT_CLAIMS for row in rows)
    trials = any(row[7] == COUNT_STUDIES for row in rows)
    entries = any(row[7] == COUNT_CONFIG for row in rows)
    tests = any(q.startswith("small-study test") for q in quantities)
    naive = any(q.startswith("naive difference") for q in quantities)
    claimed = any(q.startswith("claimed difference") for q in quantities)
    directions = any(q.startswith("set-aside trial's reported direction") for q in quantities)
    aside_results = ASIDE_RESULT in quantities
    variances = ["a study effect's sampling variance", "a pooled estimate's squared standard error",
                 *(["an anchored indirect comparison's (the sum of its two sides')"] if indirect else [])]
    none = [*(["published results"] if published else []), *(["differences per 1,000"] if binary else []),
            *(["p-values"] if p_values else []), *(["small-study tests"] if tests else []),
            *(["summed counts"] if counts else []), *(["counts of studies"] if trials else []),
            *(["counts of claims"] if claims else []), *(["counts of analyses"] if entries else []),
            *(["a naive difference"] if naive else []), *(["a claimed difference"] if claimed else []),
            *(["a set-aside trial's direction"] if directions else []),
            *(["a set-aside trial's result"] if aside_results else [])]
    others = [*(["a difference per 1,000 (a count)"] if binary else []),
              *(["a p-value (the p itself)"] if p_values else []),
              *(["a small-study test (its statistic)"] if tests else []),
              *(["a set-aside trial's direction (no value: its side, p-values and participants in the steps)"]
                if directions else []),
              *([("a set-aside trial's result (no value: its side, the effect it reported and why that cannot "
                  "enter the analysis, p-values and participants in the steps)")] if aside_results else []),
              *(["a summed count of participants or events (the sum)"] if counts else []),
              *([("a count of studies (the number of trials or reviews counted, each named with the raw rows "
                  "that make it one of them)")] if trials else []),
              *(["a count of claims (the number of claims counted, each named with its row of claims.csv)"]
                if claims else []),
              *([(f"a count of analyses (the number of analyses{' or indirect comparisons' if indirect else ''} "
                  "counted, each named with its entry in the config, not a raw row)")] if entries else [])]

    def listed(items: Sequence[str]) -> str:
        # Commas only: join_and would take the comma of "1,000" for one inside an item.
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    return (
        "Each number, with the raw rows (numbered as in the appendix above, the header being row 1) and cells it "
        "was read from and every conversion applied to them. The value is on the analysis scale"
        + (" (for a ratio, its log; the ratio itself in the steps)" if ratios else "")
        + (f", but for {listed(others)}" if others else "")
        + "; the variance is " + ", ".join(variances[:-1]) + " or " + variances[-1]
        + (f", and {listed(none)} give none" if none else "") + ". "
        + "Analysis names the analysis" + (" or indirect comparison" if indirect else "")
        + " by its title and id on its first row, by its id on the rows after it (the id names its file in "
        "`results/analyses/`" + (" or `results/indirect/`" if indirect else "") + "), none for a number of "
        + ("neither" if indirect else "no analysis") + ". Study gives study ids, as in `studies.csv`: every study "
        "a number was computed from (a pooled estimate's" + (", each side's of an indirect comparison" if indirect else "")
        + "), none for a number of no study; From names the method"
        + (", or the sides of an indirect comparison by their labels" if indirect else "") + "."
        + _metafor_names_text(rows))


# The names of metafor's results that the audit trail's steps print, for the auditor who
# checks them there, and what the rest of the report calls each.
METAFOR_NAMES: tuple[tuple[str, str], ...] = (
    ("vi", "a study's sampling variance"),
    ("tau2", "τ², the variance of the true effects between the studies"),
    ("QE", "Cochran's Q"),
    ("I2", "I²"),
    ("PI", "the prediction interval"),
)


def _metafor_names_text(rows: Sequence[Sequence[Any]]) -> str:
    """" Steps name numbers as metafor's results do: vi, a study's sampling variance; QE,
    Cochran's Q." for those of :data:`METAFOR_NAMES` the trail's steps print, or "".

    The steps keep metafor's names, which an auditor finds in ``rma``'s results and in
    the results files, but a reader of the rest of the report knows them as τ², I² and Q."""
    steps = "\n".join(str(row[-1]) for row in rows)
    used = [f"{name}, {meaning}" for name, meaning in METAFOR_NAMES if re.search(rf"(?<![\w-]){name}(?![\w-])", steps)]
    return f" Steps name numbers as metafor's results do: {'; '.join(used)}." if used else ""


def study_kinds(ctx: ReportContext) -> str:
    """", trials, published meta-analyses and guidelines alike" after "Every study in the raw
    tables" (the evidence table's opening): the kinds of study the data hold, by design
    role, or "" when they hold one kind only.

    The evidence table lists every study whatever its design; the sentence names the kinds
    a reader will find in it, and no kind the review does not have.
    """
    designs = {doc["study"]["design"] for doc in ctx.normalised}
    roles = {doc["study"]["role"] for doc in ctx.normalised}
    kinds = [kind for kind, present in (("trials", "trial" in roles),
                                        ("published meta-analyses", "external" in roles),
                                        ("guidelines", "guideline" in designs),
                                        ("consensus statements", "consensus" in designs)) if present]
    return f", {join_list(kinds)} alike" if len(kinds) > 1 else ""


def indirect_title(ctx: ReportContext) -> str:
    """The indirect-comparison section's heading: "Dry needling versus acupuncture: indirect
    comparison" for the review's pair, or "Indirect comparisons" for none or several."""
    pairs = list(dict.fromkeys((x["treatment_a_label"], x["treatment_b_label"]) for x in ctx.indirect))
    if len(pairs) != 1:
        return "Indirect comparisons"
    a, b = pairs[0]
    return escape(f"{a} versus {_in_sentence(b, _names(ctx))}: indirect comparison")


def build_report(template: str, ctx: ReportContext) -> tuple[str, list[list[Any]], dict[str, Any]]:
    """Fill the template; return the ``.qmd`` text, the audit rows and the key results."""
    audit = audit_rows(ctx)
    keys = key_results(ctx)
    changes = changes_section(keys, ctx.previous, proper=_names(ctx))
    # Kept beside the key results for the end of the build to print (rules/common.smk),
    # never compared with a later build's.
    keys["changes"] = [line[2:] for line in str(changes).splitlines() if line.startswith("- ")]
    # The studies renamed since the last build, old id to new id, for the same end of the
    # build to tell a warning on a renamed study's row from a new one.
    keys["renamed"] = renamed_since(keys, ctx.previous)

    def summary(printed: str | None) -> Markdown:
        return Markdown(bottom_line(ctx, printed) + ("" if in_detail(ctx) else f"\n{_status_counts(ctx)}\n"))

    sections: dict[str, Callable[[], Any]] = {
        "changes": lambda: changes,
        # The summary is the bottom line; the analysis-by-analysis account opens the
        # results, before each analysis's section.
        # Above the detail limit, the summary counts the analyses the results tabulate.
        "summary": lambda: summary(None),
        "methods": lambda: methods_section(ctx),
        "analyses": lambda: analyses_table(ctx),
        "studies": lambda: study_table(ctx),
        "trial_populations": lambda: trial_populations_table(ctx),
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
        "provenance": lambda: provenance_section(ctx),
        "audit": lambda: audit_section(ctx, audit),
    }
    review = ctx.config["review"]
    fields = {
        "title": meta_string(review["title"]),
        # A YAML list (JSON syntax), empty when the config names nobody: the title block,
        # the HTML's author meta tag and the PDF's Author field say who answers for it.
        "authors": "[" + ", ".join(meta_string(name) for name in review.get("authors", [])) + "]",
        "question": escape(" ".join(review["question"].split())),
        # Optional in the config: without it, "Population: ." was all the report said.
        "population": (f"Population: {escape(review['population'])}." if review.get("population") else
                       "Population: not stated by the review."),
        "date": ctx.provenance["build_date"],
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
    # The abbreviations the report prints anywhere are defined in the summary: the
    # library's (SD in the methods, SE in the audit trail) and those the review declares
    # (a table's quoted source text). The summary again, given the whole text, and the
    # other sections as they were.
    if "summary" in filled:
        filled["summary"] = str(summary(text)).rstrip("\n")
        text = FIELD.sub(fill_field, MARKER.sub(fill_section, template))
    # "k = 2", "p < 0.001", "et al." kept on one line, in every section and the
    # template's own text alike.
    text = keep_together(text)
    missing = set(sections) - used
    if missing:
        raise KeyError(f"reports/report.qmd: section markers missing: {', '.join(sorted(missing))}")
    return text, audit, keys
