"""What every part of the evidence report builds on.

Holds :class:`ReportContext` (everything the report is built from, all already computed)
and the pieces the changes, the summary, the body sections and the audit trail all use:
the constants (GRADE ratings and levels, a status in words, the width of a landscape
table), p-values and intervals as printed, the minimal important difference (MID) and
its wording, which side an estimate favours, the detail limit, the certainty of the
evidence (GRADE) and the absolute effects it is read with.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from metareview.absolute import absolute_effect, comparator_risk
from metareview.certainty import (
    DOMAINS,
    LEVELS,
    RATINGS,
    Certainty,
    describe,
    fingerprint,
    join_and,
    level_text,
    rate,
)
from metareview.fmt import (
    f2,
    fixed,
    in_brackets,
    join_list,
    p_value,
    proper_names,
    ranges,
    rounds_to_zero,
    typed,
)
from metareview.fmt import in_sentence as _in_sentence
from metareview.fmt import with_each as _with_each
from metareview.markdown import Markdown, escape
from metareview.normalise import same_timepoint

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
    """"no confidence level stated for intervals of Mu et al. (2020) and Yuan et al. (2015)": the
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
    # "Confidence level": beside a review's own GRADE rating ("certainty low as the review
    # rates it"), a bare "no level stated" read as a certainty level missing.
    return f"no confidence level stated for intervals of {escape(join_and(sorted(labels)))}" if labels else ""


def repeated_groups(ctx: ReportContext) -> list[list[tuple[str, str]]]:
    """Results that two or more studies print with the same estimate and bounds
    (:func:`metareview.checks.repeated_results`, a consistency warning), found once per
    context: every review tally of every analysis asks for them."""
    from metareview.checks import repeated_results

    return _memo(ctx, "repeated_results", lambda: repeated_results(ctx.normalised))


def repeated_refs(ctx: ReportContext) -> frozenset[str]:
    """The raw rows (``ref``) of results that another study prints with the same estimate
    and bounds (:func:`repeated_groups`)."""
    return _memo(ctx, "repeated_refs", lambda: frozenset(ref for group in repeated_groups(ctx) for _, ref in group))


def misread_refs(ctx: ReportContext) -> frozenset[str]:
    """The raw rows (``ref``) of results another review prints alike for another
    comparison or outcome (:func:`metareview.claims.misread_refs`, a consistency warning
    of a row read from the wrong table): left out of every tally of reviews, with the
    reason said, until each is checked in its source."""
    from metareview.claims import misread_refs as misread

    return _memo(ctx, "misread_refs", lambda: misread(ctx.normalised))


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
    review rates it; no confidence level stated for some of its intervals; and a result printed alike
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
    # Mu 2020's SMD states 95% where its mean differences state no level; the other
    # reviews' intervals, which the note does not name, say nothing of its own.
    which = "its" if all(e["ci_level"] is None for e in intervals if label(e) in named) else "some of its"
    said = ([f"certainty {' and '.join(map(level_text, levels))} as the review rates it"] if rated else []) + (
        [f"no confidence level stated for {which} intervals"] if unstated else []) + (
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


#: The p-value below which the report reads a small-study test as finding asymmetry: the
#: 10% level Egger et al. (1997) used, as the test has little power.
ASYMMETRY_P = 0.10


def asymmetry_favours(r: Mapping[str, Any], key: str = "regtest") -> str | None:
    """The label of the arm whose effects the less precise studies of a pooled result
    ``r`` show as more favourable, where its small-study test (``pooled.regtest``, or
    with ``key`` ``regtest_sqrtninv`` the test on sample size beside an SE-based test of
    an SMD) found asymmetry (p below :data:`ASYMMETRY_P`); None where it was not run or
    found none.

    The slope's sign on the analysis scale, turned round for the predictors that grow
    with precision (``ni``, ``sqrtni``): the less precise the study, the further its
    effect lies that way.
    """
    reg = (r.get("pooled") or {}).get(key)
    if not reg or reg.get("slope") is None or not reg["pval"] < ASYMMETRY_P:
        return None
    slope = float(reg["slope"]) * (-1 if reg.get("predictor", "sei") in ("ni", "sqrtni") else 1)
    return str(r["analysis"]["intervention_label" if favours_intervention(r["analysis"], slope) else "comparator_label"])


#: The Cochrane Handbook's rough guide to I² (section 10.10.2), whose bands overlap, as
#: (lowest, highest, what heterogeneity in the band may be).
I2_BANDS: tuple[tuple[float, float, str], ...] = (
    (0.0, 40.0, "might not be important"), (30.0, 60.0, "moderate"), (50.0, 90.0, "substantial"),
    (75.0, 100.0, "considerable"))

#: Fewest studies for which the report puts I² in words (:data:`I2_BANDS`): with 2 or 3
#: studies it says that heterogeneity cannot be assessed instead (sections'
#: ``HETEROGENEITY_MAX_FEW``).
I2_WORDS_MIN = 4


def i2_bands(i2: float) -> list[str]:
    """The bands of :data:`I2_BANDS` an I² (in %) falls in, lowest first: one, or two where
    they overlap.

    Examples
    --------
    >>> i2_bands(64.1), i2_bands(55.0), i2_bands(0.0), i2_bands(80.0)
    (['substantial'], ['moderate', 'substantial'], ['might not be important'], ['substantial', 'considerable'])
    """
    return [name for lo, hi, name in I2_BANDS if lo <= float(i2) <= hi]


def substantial_heterogeneity(r: Mapping[str, Any]) -> str:
    """"substantial" or "substantial to considerable" or "considerable" for a pooled
    result of at least :data:`I2_WORDS_MIN` studies whose I² falls in those bands of the
    Cochrane Handbook's guide (:func:`i2_bands`: 50% or more), else ""."""
    p = r.get("pooled") or {}
    if r.get("status") != "pooled" or p.get("I2") is None or int(p.get("k") or 0) < I2_WORDS_MIN:
        return ""
    return " to ".join(x for x in i2_bands(float(p["I2"])) if x in ("substantial", "considerable"))


def sample_size_check(r: Mapping[str, Any]) -> str:
    """What the small-study test on sample size (``pooled.regtest_sqrtninv``, run beside
    an SE-based test of an SMD) adds to the SE-based test's finding, in a clause (plain
    text): ", as does the test on sample size" where both find asymmetry toward the same
    side, ", though the test on sample size, which the size of the effect does not sway,
    does not" where only the SE-based one does; "" otherwise."""
    if not (r.get("pooled") or {}).get("regtest_sqrtninv"):
        return ""
    by_se, by_n = asymmetry_favours(r), asymmetry_favours(r, "regtest_sqrtninv")
    if by_se is None:
        return ""
    if by_n == by_se:
        return ", as does the test on sample size"
    return ", though the test on sample size, which the size of the effect does not sway, does not"


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
    #: The code of each step whose results the report shows, by step, each file's SHA-256
    #: by its path (``results/code/STEP.sha256``): What changed names the steps whose code
    #: changed since the last build. A context without them says nothing of code.
    code: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: The outcome codes the raw tables take (:meth:`metareview.rawdata.RawData.outcome_codes`),
    #: for the methods to say whether any is for adverse events. None: not known.
    outcome_codes: Sequence[str] | None = None
    #: Each analysis's funnel plot (``results/report/figures/<id>.funnel.svg``) relative to
    #: the report, shown beside its test of small-study effects where it draws one
    #: (:func:`metareview.plots.has_funnel`). A context without them shows none.
    funnels: Mapping[str, str] = field(default_factory=dict)
    #: Lookups built once per context (:func:`_memo`); a replaced context starts afresh.
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)


def _memo(ctx: ReportContext, key: str, make: Any) -> Any:
    """``make()``, computed once per context: a review of a thousand analyses asks for
    the same lookups (judgements by analysis, studies by id) once per analysis."""
    if key not in ctx._memo:
        ctx._memo[key] = make()
    return ctx._memo[key]


#: The pooling statuses the limitations and the summary count, in their order, each with
#: its words for one analysis and for several.
_POOLING_WORDS = (("pooled", ("pools trials", "pool trials")),
                  ("single_study", ("rests on one study (not pooled)", "rest on one study (not pooled)")),
                  ("not_poolable", ("holds studies that could not be pooled", "hold studies that could not be pooled")),
                  ("no_studies", ("has no usable study", "have no usable study")))


def pooling_counts(ctx: ReportContext) -> str:
    """"of 17 analyses, 1 pools trials, 8 rest on one study (not pooled) and 8 have no
    usable study", or "the review's one analysis rests on ..." (one analysis), or "" (none).

    One text for the limitations' "Pooling" line, its audit row and the summary's opening
    line, so that the counts a reader meets first are those the limitations give.
    """
    statuses = Counter(r["status"] for r in ctx.analyses)
    total = len(ctx.analyses)
    parts = [f"{statuses[k]} {what[statuses[k] != 1]}" for k, what in _POOLING_WORDS if statuses[k]]
    if not parts:
        return ""
    # "Of 1 analyses, 1 rests on ..." misreads a review of one analysis.
    return (f"the review's one analysis {parts[0].split(' ', 1)[1]}" if total == 1
            else f"of {total} analyses, {join_and(parts)}")


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
    """"; certainty of the evidence (GRADE): low (...)" for an analysis with judgements, else "";
    for a graded result that has one, its informative statement (:func:`informative_statement`)
    first: "; acupuncture may reduce pain intensity compared with sham; certainty of the
    evidence (GRADE): low (...)"."""
    c = certainty_of(ctx, r)
    if not c.judged:
        return ""
    statement = informative_statement(ctx, r)
    return (f"; {escape(statement)}" if statement else "") + \
        f"; certainty of the evidence (GRADE): {escape(describe(c, _study_labels(ctx)))}"


def graded_level(ctx: ReportContext, r: Mapping[str, Any]) -> str | None:
    """An analysis's GRADE level (``high`` ... ``very_low``), or None where it has none."""
    if not any_judgement(ctx):
        # Nothing judged, nothing to rate: no study's data fingerprinted to say so.
        return None
    c = certainty_of(ctx, r)
    return c.level if c.status == "graded" else None


def certainty_tag(level: str) -> str:
    """"GRADE: low certainty": a level as a line that gives the estimate tags it."""
    return f"GRADE: {level_text(level)} certainty"


#: GRADE's informative statements (Santesso et al. 2020, J Clin Epidemiol 119:126-135):
#: what each level puts before the verb of a finding; very low has a sentence of its own.
HEDGES = {"high": "", "moderate": "probably ", "low": "may "}


def _hedged(level: str, verb: str) -> str:
    """"reduces", "probably reduces", "may reduce": ``verb`` (third person) at ``level``."""
    if level == "low":
        return "may " + verb.removesuffix("s")
    return HEDGES[level] + verb


def _against_mid(ctx: ReportContext, r: Mapping[str, Any]) -> str | None:
    """Where a pooled or one-study result's interval lies against its outcome's MID
    (:func:`mid_position`), or None where it has none to be read against."""
    mid = outcome_mid(ctx, r["analysis"])
    if not mid or r["status"] not in ("pooled", "single_study"):
        return None
    interval = r["pooled"] if r["status"] == "pooled" else r["studies"][0]
    return mid_position(float(interval["ci_lb"]), float(interval["ci_ub"]), float(mid["value"]))


def within_mid(ctx: ReportContext, r: Mapping[str, Any]) -> bool:
    """Whether a result's interval lies wholly within its outcome's MID: any effect it
    holds too small to matter, whether or not it excludes no difference."""
    return _against_mid(ctx, r) == "within"


def informative_statement(ctx: ReportContext, r: Mapping[str, Any], *, swapped: bool = False) -> str:
    """A graded result's finding worded by its level, as GRADE's informative statements
    word it (Santesso et al. 2020), or "" (plain text).

    High: "acupuncture reduces pain intensity compared with sham"; moderate: "... probably
    reduces ..."; low: "... may reduce ..."; very low: "the evidence is very uncertain
    about the effect of acupuncture on pain intensity compared with sham". A binary
    outcome is its rate ("... increases the rate of responders ..."): the label names
    who had the event ("Responders") or the event ("Global improvement"), and a verb
    put straight before it read wrong for the first.

    The outcome's minimal important difference (:func:`mid_position`) is read first, as
    GRADE reads the verb by whether the effect matters, not by whether the interval
    excludes no difference: an interval wholly within it is "little or no difference",
    whether or not it excludes 0; one that crosses it has no statement. "Reduces" or
    "increases" only for an interval that excludes no difference and lies beyond the
    MID, or has none to read against.

    "" too for a result with no level, one whose interval is compatible with no
    difference and not known to be within the MID (the report says what it says of it,
    "too wide to inform" included), a sparse table whose approximate interval and exact
    test disagree, and a result the report sets apart or qualifies (a study known only
    from a secondary source, or one whose identity is rated low: the Results word its
    number conditionally, and a flat finding beside that read as settled): for these the
    line gives its usual words and the level beside them. ``swapped`` words it from the
    comparator's side.
    """
    level = graded_level(ctx, r)
    if level is None or r["status"] not in ("pooled", "single_study"):
        return ""
    # Imported here: overview reads this module.
    from metareview.report.overview import identity_low, set_apart
    if any(set_apart(s) or identity_low(s) for s in r.get("studies") or []):
        return ""
    a = r["analysis"]
    interval = r["pooled"] if r["status"] == "pooled" else r["studies"][0]
    estimate = float(interval["estimate"] if r["status"] == "pooled" else interval["yi"])
    names = _names(ctx)
    first, second = ("comparator_label", "intervention_label") if swapped else ("intervention_label", "comparator_label")
    who, other = _in_sentence(a[first], names), _in_sentence(a[second], names)
    outcome = _in_sentence(a.get("outcome_label") or a["outcome"])
    if a.get("measure") in ("RR", "OR", "RD"):
        outcome = f"the rate of {outcome}"
    if level == "very_low":
        return f"the evidence is very uncertain about the effect of {who} on {outcome} compared with {other}"
    # Imported here: aside reads this module.
    from metareview.report.aside import exact_test_disagrees
    if r["status"] == "single_study" and exact_test_disagrees(interval, float(ctx.config["methods"].get("level", 95))):
        return ""
    where = _against_mid(ctx, r)
    if where == "within":
        return f"{who} {_hedged(level, 'results')} in little or no difference in {outcome} compared with {other}"
    if where == "crossing" or not excludes_no_effect(interval):
        return ""
    verb = "increases" if (estimate > 0) != swapped else "reduces"
    return f"{who} {_hedged(level, verb)} {outcome} compared with {other}"


def risk_of_bias_clause(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """"; overall risk of bias: some concerns" beside an estimate whose studies have
    judgements recorded (:func:`risk_of_bias_counts`), where it has no GRADE level that
    says how they weigh; else "". Every caller prints the level on the same line
    (:func:`_certainty_clause`, :func:`certainty_tag`): a line with no level keeps the note.

    Recorded but said only in the risk-of-bias table, a judgement never reached the line
    that gives the estimate: one unblinded trial rated at some concerns read as a finding,
    and a judgement changed to high changed nothing a reader saw. A result judged but not
    rated (a domain not judged, judgements out of date) has no level to say it.
    """
    counts = risk_of_bias_counts(ctx, r.get("studies") or [])
    return f"; {counts}" if counts and graded_level(ctx, r) is None else ""


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


def grade_facts(ctx: ReportContext, r: Mapping[str, Any], *, size: bool = True) -> Markdown:
    """What the data show for the GRADE domains of an analysis with an effect.

    Participants, events for a binary outcome, whether the interval excludes no
    difference, and where it lies against the outcome's MID where one is set
    (:func:`mid_cell`), for imprecision; I² with its degrees of freedom and the prediction interval,
    or why there is none (inconsistency); the small-study test or why there is none, and
    an evidence base that was no systematic search (publication bias); the overall
    risk-of-bias judgements recorded for its studies, with the share of the weight at high
    risk; and what sets a study apart (known only from a secondary source, identity rated
    low) or leaves the comparator unnamed (indirectness, risk of bias). Facts only: the
    ratings stay the review team's (GRADE Handbook, section 5); :func:`rating_flags` says
    where these facts question a rating. Without ``size``, no k and no participants: for
    a table that gives them in a column of their own (:func:`participants_text`).
    """
    studies = r["studies"]
    if not studies or r["status"] == "no_studies":
        return Markdown("no study effect")
    sizes = [s["n1"] + s["n2"] for s in studies if s.get("n1") is not None and s.get("n2") is not None]
    facts = []
    if size:
        facts.append(f"k = {len(studies)}")
        facts += [f"{round(sum(sizes)):,} participants" + ("" if len(sizes) == len(studies) else
                                                           f" in {len(sizes)} of {len(studies)} studies")
                  if sizes else "participants not reported"]
    events = _events_fact(r)
    if events:
        facts.append(events)
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
        # Where the outcome sets an MID, the interval against it too: GRADE rates imprecision
        # against a threshold of importance, which no difference alone is not (the Methods
        # say which each analysis is shown against).
        interval = p if r["status"] == "pooled" else studies[0]
        against = mid_cell(ctx, r["analysis"], float(interval["ci_lb"]), float(interval["ci_ub"]))
        if against:
            facts.append(escape(against))
    if r["status"] == "pooled":
        # I² from few studies is itself very uncertain: its degrees of freedom say how few.
        df = r["k"] - 1
        facts.append(f"I² = {f2(p['I2'], 1)}% on {df} df")
        if p.get("pi_lb") is None or p.get("pi_ub") is None:
            pi_min = int(r.get("pi_min_studies") or 3)
            if r["k"] < pi_min:
                facts.append(f"no prediction interval (k \\< {pi_min})")
        elif excludes and p["pi_lb"] < 0 < p["pi_ub"]:
            facts.append("prediction interval includes no difference")
        rt = p.get("regtest")
        # Markdown: a bare "<" would start an autolink for pandoc (see p_text).
        facts.append(f"small-study test {p_text(rt['pval'])}" if rt else
                     f"no small-study test (k \\< {_small_study_min(ctx)})" if r["k"] < _small_study_min(ctx)
                     else f"no small-study test ({escape(p['regtest_error'])})" if p.get("regtest_error")
                     else "no small-study test")
    if not_systematic_search(ctx):
        facts.append(NOT_SYSTEMATIC)
    facts.append(risk_of_bias_counts(ctx, studies, always=True))
    share = high_risk_weight(ctx, r)
    if share and r["status"] == "pooled":
        # Counts alone hid that one trial at high risk carried most of the weight.
        facts.append(f"{share:.0f}% of the weight at high risk of bias")
    facts += [escape(x) for x in set_apart_caveats(r)]
    return Markdown("; ".join(facts))


#: The publication-bias fact of an evidence base that was no systematic search.
NOT_SYSTEMATIC = "no systematic search"


def not_systematic_search(ctx: ReportContext) -> bool:
    """Whether the review says its studies were not found by a systematic search
    (``review.systematic_search: false``): a publication-bias rating is then read against
    it, since studies missed by such a search are not missed at random. Unset says
    nothing either way."""
    return ctx.config["review"].get("systematic_search") is False


def _events_fact(r: Mapping[str, Any]) -> str:
    """"23 events", "23 events in 1 of 2 studies" or "events not reported" for a binary
    analysis (RR, OR, RD), else "". The information a ratio carries grows with its events,
    not its participants: 50 participants with 2 events in one arm inform little."""
    if r["analysis"].get("measure") not in ("RR", "OR", "RD"):
        return ""
    studies = r["studies"]
    counted = [s["events1"] + s["events2"] for s in studies
               if s.get("events1") is not None and s.get("events2") is not None]
    if not counted:
        return "events not reported"
    total = f"{round(sum(counted)):,} event{'' if round(sum(counted)) == 1 else 's'}"
    return total if len(counted) == len(studies) else f"{total} in {len(counted)} of {len(studies)} studies"


def high_risk_weight(ctx: ReportContext, r: Mapping[str, Any]) -> float | None:
    """The percentage of an analysis's weight from studies whose overall risk of bias is
    judged high (risk_of_bias.csv): a single study's is all of it. None where no study has
    an overall judgement recorded, or no weights (not pooled)."""
    studies = r["studies"]
    if r["status"] == "single_study":
        weights = [100.0]
    elif r["status"] == "pooled":
        weights = [s.get("weight") for s in studies]
    else:
        return None
    judged = [_overall_risk_of_bias(ctx, s["study_id"]) for s in studies]
    if not any(judged) or any(w is None for w in weights):
        return None
    total = sum(float(w) for w in weights if w is not None)
    if total <= 0:
        return None
    return 100 * sum(float(w) for w, j in zip(weights, judged, strict=True) if w is not None and j == "high") / total


def _unverifiable_studies(r: Mapping[str, Any]) -> list[tuple[str, bool, bool]]:
    """An analysis's studies the Results set apart or qualify, as ``(label, secondary,
    identity_low)``: known only from a secondary source, study identity rated low."""
    # Imported here: overview reads this module.
    from metareview.report.overview import identity_low, set_apart
    return [(s["label"], set_apart(s), identity_low(s)) for s in r["studies"] if set_apart(s) or identity_low(s)]


def _comparator_unnamed(a: Mapping[str, Any]) -> bool:
    """Whether an analysis is against a control its sources leave unnamed."""
    from metareview.normalise import UNNAMED
    return UNNAMED in (a.get("intervention"), a.get("comparator"))


def _population_qualified(r: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """An analysis's studies whose population is not known to be the review's: those
    whose row of the table of study effects carries a population's flag
    (:func:`metareview.report.aside.population_flag`)."""
    # Imported here: aside reads this module.
    from metareview.report.aside import population_flag
    return [s for s in r["studies"] if population_flag(s)]


def set_apart_caveats(r: Mapping[str, Any]) -> list[str]:
    """What the Results say of an analysis's studies that they set apart or qualify, as
    GRADE facts (plain text): "Liu & Park (2021) known only from a secondary source",
    "Trial C: study identity low", "Kwon et al. (2007): population unclear: it may not be
    this review's" (indirectness: a population not known to be the review's), and
    "comparator not named by the source" where the analysis is against a control its
    sources leave unnamed."""
    from metareview.report.overview import IDENTITY_LOW, SECONDARY
    out = [f"{label}: {', '.join(x for x, holds in ((SECONDARY, secondary), (IDENTITY_LOW, low)) if holds)}"
           for label, secondary, low in _unverifiable_studies(r)]
    from metareview.report.aside import population_flag
    out += [f"{s['label']}: {population_flag(s)[0]}" for s in _population_qualified(r)]
    if _comparator_unnamed(r["analysis"]):
        out.append("comparator not named by the source")
    return out


def rating_flags(ctx: ReportContext, r: Mapping[str, Any]) -> dict[str, list[str]]:
    """The domains the team rates not serious while the report's own facts point the
    other way, each with those facts as a clause after "but" (plain text), in
    :data:`~metareview.certainty.DOMAINS` order; {} where nothing is flagged.

    - imprecision: an interval the report calls too wide to inform (:func:`too_wide_to_inform`),
      or one that crosses the outcome's MID (:func:`mid_position`);
    - risk of bias: most of the weight from studies at high risk (:func:`high_risk_weight`),
      or a study known only from a secondary source or whose identity is rated low, whose
      numbers the report cannot check;
    - indirectness: a comparator the sources do not name, which may not be the question's,
      or a study whose population is not the review's or not known to be it.

    Only for judgements made on the studies and data the analysis now holds (graded, or
    some domains not yet judged): older ones give no level and are said to be out of
    date. A flag refuses nothing and changes no level: GRADE's ratings are judgements,
    and the team may have reasons the data cannot show. It asks them to look again.
    """
    c = certainty_of(ctx, r)
    if c.status not in ("graded", "incomplete") or r["status"] not in ("pooled", "single_study", "not_poolable"):
        return {}
    rated = {d for d, down in c.downgrades.items() if down == 0}
    a = r["analysis"]
    flags: dict[str, list[str]] = {}
    if "risk_of_bias" in rated:
        share = high_risk_weight(ctx, r)
        if share is not None and share > 50:
            flags.setdefault("risk_of_bias", []).append(
                "its one study is at high risk of bias" if r["status"] == "single_study" else
                f"{share:.0f}% of the weight is from studies at high risk of bias")
        for label, secondary, low in _unverifiable_studies(r):
            said = [x for x, holds in (("is known only from a secondary source", secondary),
                                       ("has its study identity rated low", low)) if holds]
            flags.setdefault("risk_of_bias", []).append(f"{label} {' and '.join(said)}")
    if "indirectness" in rated:
        if _comparator_unnamed(a):
            flags.setdefault("indirectness", []).append("the source does not name the comparator")
        # A trial of another population than the review's, or of one not known to be its,
        # answers the question only indirectly (Guyatt et al. 2011, GRADE guidelines 8:
        # indirectness, J Clin Epidemiol 64:1303-1310).
        from metareview.report.aside import population_said
        for s in _population_qualified(r):
            flags.setdefault("indirectness", []).append(population_said(s["label"], s["population_fit"]))
    if "imprecision" in rated and r["status"] in ("pooled", "single_study"):
        # Imported here: overview reads this module.
        from metareview.report.overview import TOO_WIDE, too_wide_to_inform
        mid = outcome_mid(ctx, a)
        if r["status"] == "pooled" and too_wide_to_inform(r["pooled"], ctx, a):
            flags.setdefault("imprecision", []).append(f"the report finds the interval {TOO_WIDE}, on t with 1 degree of freedom")
        elif mid and _against_mid(ctx, r) == "crossing":
            amount = _mid_amount(float(mid["value"]), md_unit(ctx, a))
            flags.setdefault("imprecision", []).append(
                f"the interval crosses the minimal important difference of {amount}")
    return {d: flags[d] for d in DOMAINS if d in flags}


def participants_text(r: Mapping[str, Any]) -> str:
    """An analysis's participants and studies as a summary-of-findings table gives them:
    "367 participants (2 studies)", "124 participants in 1 of 2 studies", "participants
    not reported (1 study)"; "" for an analysis with no study effect. The participants
    are those :func:`grade_facts` counts (both arm sizes known)."""
    studies = r["studies"]
    if not studies or r["status"] == "no_studies":
        return ""
    k = len(studies)
    sizes = [s["n1"] + s["n2"] for s in studies if s.get("n1") is not None and s.get("n2") is not None]
    counted = f"{k} {'study' if k == 1 else 'studies'}"
    if not sizes:
        return f"participants not reported ({counted})"
    if len(sizes) < k:
        return f"{round(sum(sizes)):,} participants in {len(sizes)} of {counted}"
    return f"{round(sum(sizes)):,} participants ({counted})"


def risk_of_bias_counts(ctx: ReportContext, studies: Sequence[Mapping[str, Any]], *, always: bool = False) -> str:
    """The overall risk-of-bias judgements of ``studies`` (risk_of_bias.csv), counted:
    "overall risk of bias: high (1), some concerns (2)", "overall risk of bias: some
    concerns" for one study; "" where none is recorded, unless ``always`` ("risk of bias
    (overall): not recorded (2)", as the GRADE facts give it). Markdown."""
    judged = [_overall_risk_of_bias(ctx, s["study_id"]) for s in studies]
    if not always and not any(judged):
        return ""
    rob = Counter((j or "not recorded").replace("_", " ") for j in judged)
    # The judgements are names from risk_of_bias.csv's schema (low, some concerns, ...).
    # "low (2), not recorded (1)": a count after its judgement ("1 not recorded" read as a label).
    # Beside an estimate, often within its brackets: no brackets of its own.
    head = "risk of bias (overall)" if always else "overall risk of bias"
    if len(studies) == 1 and not always:
        return f"{head}: {escape(next(iter(rob)))}"
    return f"{head}: " + ", ".join(f"{escape(j)} ({n})" for j, n in sorted(rob.items()))


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
        if acr is None or (a["measure"] in ("RR", "OR") and acr in (0.0, 1.0)):
            # A ratio applied to an observed risk of 0 (or 1) gives no difference whatever
            # its size: 7/20 against 0/20 read "0 more per 1,000 (0 more to 0 more)".
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
        return _no_absolute_effect(r, assumed)
    e, source, _, _ = found
    a = r["analysis"]
    per = _per_1000
    return (f"{per(e.intervention)} per 1,000 {_range_of(r, e)} with "
            f"{escape(_in_sentence(a['intervention_label'], proper))} against {per(e.comparator)} per 1,000 with "
            f"{escape(_in_sentence(a['comparator_label'], proper))} ({escape(source)}): {_differences(e, rounded=True)}")


def points_digits(sd: float) -> int:
    """Decimals of an SMD re-expressed in an instrument's points (:func:`re_expressed_text`)
    and of the SD it took: one, as a trial's own difference in points is printed, and more
    for an SD below 1 (an index from 0 to 1), whose points one decimal would round away.

    >>> points_digits(4.9), points_digits(0.25), points_digits(0.04)
    (1, 2, 3)
    """
    return 1 if sd <= 0 or sd >= 1 else max(1, 1 - math.floor(math.log10(sd)))


def _higher_is_better(ctx: ReportContext, instrument: str) -> bool:
    """Whether instruments.csv says higher is better on ``instrument`` (its scores were
    reflected onto the outcome's lower-is-better scale)."""
    row = next((i for i in ctx.raw_tables.get("instruments", []) if i.get("instrument") == instrument), None)
    return row is not None and str(row.get("lower_is_better")).lower() in ("false", "0", "no")


def re_expressed_text(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """An SMD analysis's pooled (or single study's) SMD in the points of each instrument
    its trials used (``re_expressed``, :func:`metareview.reexpress.re_expressed`), as one
    sentence, or "" where no comparator arm's SD of an instrument is known.

    "Re-expressed in an instrument's points (Cochrane Handbook 15.5.3.2), the pooled SMD is
    about 0.8 points (95% CI −5.8 to 7.3) on the Roland-Morris Disability Questionnaire
    0–23, taking the comparator arm's SD of 4.9 from Cherkin et al. (2009); an
    approximation, as the instrument's SD differs between trials." The points keep the
    SMD's sign, so negative favours the intervention as the section's first line says.
    """
    points = r.get("re_expressed") or []
    if not points or r["status"] not in ("pooled", "single_study"):
        return ""
    pooled = r["status"] == "pooled"
    labels = {s["study_id"]: s["label"] for s in r["studies"]}
    level = float(r.get("level", 95))
    parts = []
    for x in points:
        d = points_digits(float(x["sd"]))
        # One arm's SD is its own; several arms' (of one trial or more) are pooled.
        sd = (f"{'the' if pooled else 'its'} comparator arm's SD of {f2(x['sd'], d)}" if len(x["arms"]) == 1
              else f"{'the' if pooled else 'its'} comparator arms' pooled SD of {f2(x['sd'], d)}")
        if pooled:
            sd += f" from {join_list([labels.get(i, i) for i in x['studies']])}"
        reflected = (" (its scores reflected, as higher is better on it)"
                     if _higher_is_better(ctx, x["instrument"]) else "")
        parts.append(f"about {f2(x['estimate'], d)} points ({level:g}% CI {ci_text(x['ci_lb'], x['ci_ub'], d)}) on "
                     f"the {ranges(x['instrument_label'])}{reflected}, taking {sd}")
    whose = "an instrument's" if len(points) == 1 and pooled else "its instrument's" if len(points) == 1 else (
        "its instruments'")
    caveat = ((("the instrument's" if len(points) == 1 else "an instrument's") + " SD differs between trials")
              if pooled else "the SMD is standardised by both arms' SD, not the comparator's alone")
    what = "pooled" if pooled else "trial's"
    # A single trial whose means give the difference directly: that difference alone, as
    # the summary gives it. The SMD times an SD beside it (−2.7 against −2.6) read as one
    # effect given twice, and only approximates it.
    own = "" if pooled else native_md_text(r["studies"][0], level)
    if own:
        return escape(f"In its instrument's points, {own}.")
    return escape(f"Re-expressed in {whose} points (Cochrane Handbook 15.5.3.2), the {what} SMD is "
                  f"{join_list(parts)}; an approximation, as {caveat}.")


def _points_phrases(ctx: ReportContext, r: Mapping[str, Any], *, swapped: bool = False,
                    level: float | None = None) -> list[str]:
    """Each instrument's re-expression of an SMD (``re_expressed``) as the summary and the
    results table give it: "about −2.7 (95% CI −4.0 to −1.3) on the Roland-Morris
    Disability Questionnaire 0–23" with ``level``, "about −2.7 points (−4.0 to −1.3) on
    ..." without; [] where it has none. ``swapped``: the analysis turned round, the
    points' signs and bounds with it."""
    points = r.get("re_expressed") or []
    if not points or r["status"] not in ("pooled", "single_study"):
        return []
    out = []
    for x in points:
        d = points_digits(float(x["sd"]))
        est, lb, ub = float(x["estimate"]), float(x["ci_lb"]), float(x["ci_ub"])
        if swapped:
            est, lb, ub = -est, -ub, -lb
        interval = ci_text(lb, ub, d) if level is None else f"{level:g}% CI {ci_text(lb, ub, d)}"
        reflected = (" (its scores reflected, as higher is better on it)"
                     if _higher_is_better(ctx, x["instrument"]) else "")
        out.append(f"about {f2(est, d)}{' points' if level is None else ''} ({interval}) on the "
                   f"{ranges(x['instrument_label'])}{reflected}")
    return out


def native_md(s: Mapping[str, Any], level: float = 95.0, swapped: bool = False) -> tuple[float, float, float] | None:
    """A single trial's own mean difference in its instrument's points, with its Wald
    interval at ``level``: ``(md, ci_lb, ci_ub)`` from ``native_difference``'s ``md`` and
    ``md_vi`` (metafor's escalc MD from the SMD's own rows,
    :func:`metareview.extract._native_difference`), turned round where ``swapped``; None
    without them, or where the difference's sign is not the SMD's (an instrument reflected
    onto the common scale, on which "−2.6" would read the wrong way).

    Cherkin 2009 against usual care: 6.3 − 8.9 = −2.6, vi = 5.7²/158 + 6.0²/161, 95% CI
    −3.9 to −1.3.
    """
    from metareview.distributions import norm_ppf

    native = s.get("native_difference") or {}
    if native.get("md") is None or native.get("md_vi") is None:
        return None
    md, se = float(native["md"]), math.sqrt(float(native["md_vi"]))
    if md != 0 and float(s["yi"]) != 0 and (md > 0) != (float(s["yi"]) > 0):
        return None
    z = norm_ppf(0.5 + level / 200.0)
    est, lb, ub = md, md - z * se, md + z * se
    return (-est, -ub, -lb) if swapped else (est, lb, ub)


def native_md_where(s: Mapping[str, Any]) -> str:
    """" (means read in documents other than the trial's report)" where a single trial's
    means (:func:`native_md_text`) were read outside its report, or ""."""
    if not s.get("read_elsewhere"):
        return ""
    several = len({x.get("source_id") for x in s["read_elsewhere"]}) > 1
    return f" (means read in {'documents' if several else 'a document'} other than the trial\u2019s report)"


def native_md_text(s: Mapping[str, Any], level: float = 95.0, swapped: bool = False, *,
                   where: bool = True) -> str:
    """"the difference in final means, calculated here: −2.6 points (95% CI −3.9 to −1.3)
    on the Roland-Morris Disability Questionnaire 0–23 (means read in documents other than
    the trial's report)" (:func:`native_md`), or "". Without ``where``, the last
    bracket and the changes from baseline are left for the caller to place
    (:func:`native_md_where`, :func:`native_change_text`).

    Calculated here from the arms' means and SDs, not published by the trial: "the
    trial's own mean difference" read as the trial's reported result. Where the means
    were read in another document than the trial's report, it says so beside them.
    """
    found = native_md(s, level, swapped)
    if found is None:
        return ""
    est, lb, ub = found
    means = "mean changes" if s.get("value_type") == "change" else "final means"
    return (f"the difference in {means}, calculated here: {f2(est, 1)} points ({level:g}% CI "
            f"{ci_text(lb, ub, 1)}) on the {ranges(s['native_difference']['instrument'])}"
            + (native_md_where(s) if where else "") + (native_change_text(s, swapped) if where else ""))


def native_change_text(s: Mapping[str, Any], swapped: bool = False) -> str:
    """"; from baseline, the intervention group improved by 4.5 and the comparator group
    by 2.1 points" where the trial's change rows give each side's change (``change`` of
    ``native_difference``, :func:`metareview.extract.changes_from_baseline`), or ""."""
    change = (s.get("native_difference") or {}).get("change")
    if not change:
        return ""
    first, second = (change["comparator"], change["intervention"]) if swapped else (
        change["intervention"], change["comparator"])

    def moved(x: float) -> str:
        return f"improved by {f2(x, 1)}" if x >= 0 else f"worsened by {f2(-x, 1)}"
    one, two = moved(first), moved(second)
    if one.split(" by ")[0] == two.split(" by ")[0]:
        two = "by " + two.split(" by ", 1)[1]
    groups = ("comparator", "intervention") if swapped else ("intervention", "comparator")
    return f"; from baseline, the {groups[0]} group {one} and the {groups[1]} group {two} points"


def points_in_brief(ctx: ReportContext, r: Mapping[str, Any], swapped: bool = False,
                    beside: float | None = None) -> str:
    """The summary's sentence for an SMD in its instruments' points (the section's
    :func:`re_expressed_text`, without where the SD came from), or "".

    "In the instrument's points, about −2.7 (95% CI −4.0 to −1.3) on the Roland-Morris
    Disability Questionnaire 0–23, an approximation." A clinician reads a difference in
    standard deviations as a size only on an instrument he knows. ``swapped``: the
    analysis turned round, as the summary's list of comparators reads it.

    ``beside``: the difference between a single trial's own means (``native_difference``)
    that the same paragraph prints ("a difference of 2.6 points"). The two differ (the
    SMD is divided by both arms' SD and multiplied back by the comparator's alone), so
    the sentence says which is which: "..., an approximation (the SMD times the
    comparator arm's SD of 6.0, not the 2.6 points between the arms' means)".
    """
    # One trial whose arms' means and SDs are on one instrument: its own mean difference
    # in that instrument's points, with its interval (escalc MD from the same rows), not
    # the SMD times an SD, which only approximates it.
    if r.get("status") == "single_study" and r.get("studies"):
        own = native_md_text(r["studies"][0], float(r.get("level", 95)), swapped)
        if own:
            return f"In the instrument\u2019s points, {own}."
    parts = _points_phrases(ctx, r, swapped=swapped, level=float(r.get("level", 95)))
    if not parts:
        return ""
    whose = "the instrument\u2019s" if len(parts) == 1 else "its instruments\u2019"
    how = ""
    if beside is not None and len(parts) == 1:
        x = r["re_expressed"][0]
        arm = "comparator arm\u2019s SD" if len(x["arms"]) == 1 else "comparator arms\u2019 pooled SD"
        how = (f" (the SMD times the {arm} of {f2(x['sd'], points_digits(float(x['sd'])))}, not the "
               f"{f2(beside, 1)} points between the arms\u2019 means)")
    return f"In {whose} points, {join_list(parts)}, an approximation{how}."


def points_cell(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """An SMD in its instruments' points as the one-row results table's finding adds it
    (:func:`points_in_brief`, briefer): "about −2.7 points (−4.0 to −1.3) on the
    Roland-Morris Disability Questionnaire 0–23", or "" where it has none."""
    parts = _points_phrases(ctx, r)
    return join_list(parts) if parts else ""


def _no_absolute_effect(r: Mapping[str, Any], assumed: Mapping[str, Any] | None = None) -> str:
    """Why a ratio analysis with an effect gives none per 1,000, when the reason is its
    observed comparator risk of 0 or 1 (:func:`_absolute`), else "".

    The ratio times a risk of 0 is 0 whatever the ratio: a trial with 7/20 against 0/20
    would read "0 more per 1,000 (0 more to 0 more)". Said rather than left out, with
    the setting that gives a risk to apply the ratio to.
    """
    a = r["analysis"]
    if assumed or a["measure"] not in ("RR", "OR") or r["status"] not in ("pooled", "single_study"):
        return ""
    counted = [s for s in r["studies"] if s.get("events2") is not None and s.get("n2")]
    acr = comparator_risk(counted)
    if acr not in (0.0, 1.0):
        return ""
    what = "no participant" if acr == 0.0 else "every participant"
    if len(counted) == 1:
        s = counted[0]
        observed = (f"{what} in the comparator arm had the event ({int(s['events2'])} of "
                    f"{int(s['n2'])})")
    else:
        observed = f"the median comparator risk of {len(counted)} trials is {acr:g}"
    return escape(f"none can be derived: {observed}, and a ratio applied to a risk of {acr:g} gives no difference "
                  f"whatever its size (the analysis's comparator_risk in the config sets a risk to apply it to)")


def _unbounded(e: Any) -> tuple[bool, bool]:
    """Whether the lower and the upper bound of the risk with the intervention were capped
    (:func:`metareview.absolute.absolute_effect`): the effect's limit applied to the
    comparator risk gives a risk below 0 or above 1,000 per 1,000."""
    return (bool(e.capped) and e.intervention_lb <= 0.0, bool(e.capped) and e.intervention_ub >= 1000.0)


def _risk_range(e: Any, why: str = "") -> str:
    """The interval of the risk with the intervention, "(408 to 554)", or, where a bound
    is capped, "(at least 123; no upper limit can be given: 14.44 × 125 exceeds 1,000)".

    A bound the ratio would put beyond 0 or 1,000 per 1,000 is cut there by
    :func:`metareview.absolute.absolute_effect`; printed as 1,000 it read as a number the
    data give (Carlsson 2001: "123 to 1,000"), where what the data say is only that the
    effect's interval, applied to this comparator risk, reaches past any possible risk.
    No such bound is given; ``why`` says why in numbers (:func:`_capped_why`), else in
    words. The audit trail keeps the formula's.
    """
    per = _per_1000
    low, high = _unbounded(e)
    if not (low or high):
        return f"({per(e.intervention_lb)} to {per(e.intervention_ub)})"
    which = "limits" if low and high else "lower limit" if low else "upper limit"
    reason = why or (f"the effect\u2019s {which}, applied to this comparator risk, "
                     f"{'fall' if low and high else 'falls'} outside 0 to 1,000 per 1,000")
    if low and high:
        return f"(no lower or upper limit can be given: {reason})"
    if high:
        return f"(at least {per(e.intervention_lb)}; no upper limit can be given: {reason})"
    return f"(at most {per(e.intervention_ub)}; no lower limit can be given: {reason})"


def _range_of(r: Mapping[str, Any], e: Any) -> str:
    """:func:`_risk_range` of ``r``'s absolute effect ``e``, saying in numbers why a risk
    ratio's capped upper bound is not given: "14.44 × 125 exceeds 1,000" (the ratio's
    upper limit times the comparator risk per 1,000); in words for any other cap."""
    low, high = _unbounded(e)
    if r["analysis"]["measure"] != "RR" or low or not high:
        return _risk_range(e)
    ub = r["pooled"]["ci_ub"] if r["status"] == "pooled" else r["studies"][0]["ci_ub"]
    return _risk_range(e, f"{f2(math.exp(ub))} \u00d7 {_per_1000(e.comparator)} exceeds 1,000")


def _per_1000(x: float) -> str:
    """A count per 1,000, rounded: "1,000", "475"."""
    return f"{int(fixed(x, 0)):,}"


def _differences(e: Any, rounded: bool = False) -> str:
    """The difference per 1,000 with its interval, "34 more per 1,000 (34 fewer to 112 more)",
    each the unrounded risk with the intervention less the unrounded comparator risk, then
    rounded; a capped bound (:func:`_unbounded`) is one that cannot be given.

    As a GRADE summary-of-findings table computes it (GRADEpro: the risk with the
    intervention is the comparator risk times the ratio, the difference taken before
    rounding): Haake 2007's 475.4 against 441.6 per 1,000 is 34 more, as the trial's own
    risk difference (34) says, though the rounded risks printed beside it differ by 33.
    The audit trail gives both subtractions. With ``rounded`` (the risks are printed
    beside it), a difference other than theirs as rounded says ", from unrounded risks".
    """
    low, high = _unbounded(e)

    def diff(x: float) -> str:
        return _more_or_fewer(x - e.comparator)
    if low or high:
        # As the risk's interval says it: the bound that can be given, and no other.
        bound = (f"from {diff(e.intervention_lb)}; no upper limit can be given" if high and not low else
                 f"up to {diff(e.intervention_ub)}; no lower limit can be given" if low and not high else
                 "no lower or upper limit can be given")
        return f"{diff(e.intervention)} per 1,000 ({bound})"
    lower, upper = diff(e.intervention_lb), diff(e.intervention_ub)
    # Printed beside both risks, a difference that is not theirs as rounded (475 − 442 is
    # 33, not 34) says where it comes from, or a reader takes it for a slip.
    unrounded = (rounded and int(fixed(e.intervention, 0)) - int(fixed(e.comparator, 0))
                 != int(fixed(e.intervention - e.comparator, 0)))
    return f"{diff(e.intervention)} per 1,000{', from unrounded risks' if unrounded else ''} ({lower} to {upper})"


def _more_or_fewer(x: float) -> str:
    """A difference per 1,000 as a count: "202 more", "34 fewer"."""
    return f"{_per_1000(abs(x))} {'fewer' if x < 0 and not rounds_to_zero(x, 0) else 'more'}"


def assumed_risk(ctx: ReportContext, analysis_id: str) -> Mapping[str, Any] | None:
    """The comparator risk the config assumes for an analysis (``comparator_risk``), if any."""
    return _config_entry(ctx, analysis_id).get("comparator_risk")


def _small_study_min(ctx: ReportContext) -> int:
    """The fewest studies for a test of small-study effects: the configured number, else
    the default the analyses applied (metareview.analysis.SMALL_STUDY_MIN, 10)."""
    configured = ctx.config["methods"].get("small_study_min")
    if configured is not None:
        return int(configured)
    return int(next((r["small_study_min"] for r in ctx.analyses if "small_study_min" in r), 10))


#: Reported measures whose code is not what a reader calls them.
# Looked up by a row's measure, which may be missing (None).
MEASURE_NAMES: dict[str | None, str] = {"cohen_d": "Cohen's d", "p_only": "p-value only"}
