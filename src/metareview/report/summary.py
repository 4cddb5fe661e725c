"""The report's summary: the bottom line and the summary section.

:func:`bottom_line` says what the evidence supports on the review's main question in two
or three sentences; :func:`summary_section` gives the overviews
(:mod:`metareview.report.overview`), the set-aside trials, the claims checked and the
published reviews in brief, with the abbreviations used and the analyses' titles and
cross-references (:func:`section_titles`, :func:`analysis_refs`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from metareview.certainty import describe, join_and, level_text
from metareview.fmt import description, f2, holds_comma, in_brackets, join_list
from metareview.fmt import in_sentence as _in_sentence
from metareview.fmt import with_each as _with_each
from metareview.markdown import Markdown, callout, escape
from metareview.normalise import UNNAMED
from metareview.report.aside import (
    POPULATION_WORDS,
    _aside_any_effect,
    _aside_direction,
    _aside_labels,
    _population_clause,
    _set_aside,
    _then,
)
from metareview.report.base import (
    EXCLUDES,
    INCLUDES,
    LEVEL_ORDER,
    ReportContext,
    _absolute,
    _absolute_clause,
    _certainty_clause,
    _config_entry,
    _differences,
    _names,
    _per_1000,
    _range_of,
    _review_caveats,
    _study_labels,
    any_judgement,
    certainty_of,
    ci_text,
    detailed_analyses,
    excludes_no_effect,
    favours_intervention,
    in_detail,
    informative_statement,
    md_points,
    mid_markdown,
    misread_refs,
    native_md,
    points_in_brief,
    pooling_counts,
    repeated_refs,
    risk_of_bias_clause,
    shown,
)
from metareview.report.changes import CHANGES_LIMIT, _full_stop
from metareview.report.keys import _ix, _window_name, analysis_names, analysis_title, arm_names
from metareview.report.overview import (
    _NUMBER_WORDS,
    TOO_WIDE,
    _alike_note,
    _alike_refs,
    _analysis_verdicts,
    _direct_parts,
    _external_in_window,
    _few_studies_caveat,
    _interval_shows,
    _left_out_of,
    _narrative_head_to_head,
    _no_direct_effect,
    _overview_nodes,
    _pooled_caveats_in_brief,
    _pooled_study_caveats,
    _published_head_to_head,
    _question_analyses,
    _quoted,
    _result_sides,
    _review_verdict,
    _secondary_reviews,
    _sensitivity_caveat,
    _side_of,
    _single_study_parts,
    _size_ranges,
    _split_secondary,
    _stated_beside,
    _stated_note,
    _statements_on_analyses,
    _sub_points,
    _tally_results,
    _treatment_overview,
    _used_in_other_windows,
    _without_window_only,
    asymmetry_clause,
    equal_effects_clause,
    heterogeneity_clause,
    prediction_clause,
    statement_window,
    touching_text,
)


def bottom_line(ctx: ReportContext, *, boxed: bool = True) -> Markdown:
    """What the evidence supports on the review's main question, in two or three sentences.

    In a box of its own (``boxed``), opening with how much evidence there is, whether it
    is graded and how the studies were found; or as the summary's detail after the key
    messages' box (:func:`metareview.report.brief.key_messages`), whose last point says
    those, and which it follows with only the team's grades and what "in these data"
    means.

    Markdown, so labels from the data are escaped here, once, and the cross-reference to
    the results table stays one. It closes with the abbreviations it uses itself (those
    the review declares, ``report.abbreviations``, included); the report's full list is
    :func:`abbreviations_section`.
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
    # Outcomes the data leave unanswered for the same reasons are said in one sentence:
    # (the pair, the head-to-head clause, its note, the reason) -> (where, outcomes, words).
    unanswered: dict[tuple[str, ...], tuple[int, list[str], str]] = {}
    for x in ctx.indirect:
        starts.add(len(parts))
        a, b = escape(_in_sentence(x["treatment_a_label"], _names(ctx))), escape(_in_sentence(x["treatment_b_label"], _names(ctx)))
        outcome = indirect_outcome(ctx, x)
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
        # What sources state in words of the two, beside a head-to-head estimate (pooled
        # or one trial's) and weighed against it: the one published review of the question
        # dropped out of the summary once trials were pooled, just where the pooled
        # interval was too wide to settle anything.
        by_id = {r["analysis"]["id"]: r for r in ctx.analyses}
        stated = list(dict.fromkeys(str(_stated_beside(ctx, by_id[d["analysis"]])) for d in direct
                                    if d["status"] in ("pooled", "single_study")))
        in_words = (f" In words, without numbers to check here: {'; '.join(t for t in stated if t)} "
                    "(see @tbl-narrative)." if any(stated) else "")
        if pooled_direct and in_words:
            parts.append(in_words.strip())
        if not pooled_direct and x["status"] == "anchored":
            # The estimate itself, not a pointer to it: most readers read only the summary,
            # and this may be the review's one quantitative answer to its question.
            estimates = _anchored_estimates(ctx, x)
            # After sentences on the trials set aside, "it" would read as the last of them.
            beside = "Beside the head-to-head evidence" if direct and aside else "Beside it"
            parts.append((f"{beside}, {a} and {b} are compared indirectly, {estimates}" if direct else
                          f"For {outcome}, the trials here compare {a} and {b} only indirectly, {estimates}"
                          if published else
                          f"For {outcome}, {a} and {b} can only be compared indirectly, {estimates}") + reviews
                         # After the indirect estimate: put between, it would be the "it"
                         # that "Beside it" opens on.
                         + (in_words if direct else ""))
        elif not pooled_direct:
            why, plain = _why_not_anchored(ctx, x, gloss)
            # The term glossed once, where a sentence first prints it: the sentence on
            # outcomes no trial answers gives its reason in plain words instead.
            if why.startswith("there is no common comparator") and (published or direct):
                gloss = ""
            # Beside one trial's estimate, the statements weighed against it (as beside a
            # pooled one), not quoted at length.
            words = in_words or _narrative_head_to_head(ctx, x, quoted, numbers_elsewhere=bool(published or direct),
                                                      brief=not (published or direct))
            if direct:
                parts.append(f"No pooled head-to-head estimate exists, and {why}{reviews}{words}")
            elif published:
                # Published reviews compare the two: the data are not silent, but what they
                # hold cannot be checked against trials here.
                none, note = _no_direct_effect(ctx, x, f"{a} and {b}")
                parts.append(f"For {outcome}, {none}, and {why}{note}{reviews}{words}")
            else:
                none, note = _no_direct_effect(ctx, x, "them")
                key = (a, b, none, note, plain)
                if key in unanswered:
                    at, outcomes, quotes = unanswered[key]
                    # Its quote was given with the first outcome's.
                    if not words.startswith(" The statements in words quoted above"):
                        quotes += words
                    unanswered[key] = (at, [*outcomes, outcome], quotes)
                else:
                    unanswered[key] = (len(parts), [outcome], words)
                    parts.append("")
        # Without pooled head-to-head trials, the closest a trial comes (trigger point
        # needling against acupuncture, say) may be a treatment the nodes leave out: said
        # once, whatever the outcomes. Beside pooled ones it is left to the indirect
        # section: it takes ninety words to say fairly (its arms, its few participants,
        # why a non-significant difference shows no likeness, the team's choice of
        # nodes), which would outweigh the pooled result and the statements on the two
        # themselves, and a trial of another treatment cannot change what trials of these
        # two found; a clause short enough not to do so could not carry those caveats.
        near = "" if pooled_direct else _near_misses(ctx, x, brief=True)
        if near in near_at:
            near_at[near][1].append(outcome)
        elif near:
            near_at[near] = (len(parts), [outcome])
            starts.add(len(parts))
            parts.append(near)
    after_question = len(parts)
    where = f"see [{indirect_title(ctx)}](#sec-indirect)"
    for (first, second, none, note, reason), (at, outcomes, quotes) in unanswered.items():
        parts[at] = (f"For {join_and(outcomes)}, the data cannot say whether {first} is better or worse than {second}: "
                     f"{none}, and {reason}; {where}.{note}{quotes}")
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
        # The interval is the finding here, as for those compatible with no difference
        # below: a reader of the summary alone should not have to look it up.
        parts.append(_pooled_findings(ctx, f"Pooled analyses whose confidence interval {EXCLUDES}", clear,
                                      favouring=True))
    compatible = [r for r in pooled if not excludes_no_effect(r["pooled"])] if not ctx.indirect else []
    if compatible and not in_detail(ctx):
        parts.append(f"Of the {len(pooled)} pooled analyses, {len(compatible)} "
                     f"{'has' if len(compatible) == 1 else 'have'} a confidence interval that {INCLUDES} "
                     "(see @tbl-results).")
    elif compatible:
        # Without an indirect comparison no main question leads the bottom line: the pooled
        # analyses are its findings, and an interval compatible with no difference is one.
        parts.append(_pooled_findings(ctx, f"Pooled analyses whose confidence interval {INCLUDES}", compatible,
                                      favouring=False))
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
    # Nor the published meta-analyses of the same comparisons, which the overview gives a
    # line each: a one-comparison review's bottom line listed a blog post's claims and
    # passed over the review of the same question its team had entered.
    if not ctx.indirect and in_detail(ctx):
        names = analysis_names(ctx)
        reviewed = [(r, _external_sentence(r, proper=_names(ctx), repeated=repeated_refs(ctx), ctx=ctx))
                    for r in ctx.analyses]
        reviewed = [(r, text) for r, text in reviewed if text]
        if reviewed:
            paragraphs.append("[Published meta-analyses](#sec-external) of the same comparisons, shown apart and never "
                              "pooled with the trials (reviews share trials and differ in scope and population):\n\n"
                              + "\n".join(
                                  f"- {escape(names[r['analysis']['id']])}:"
                                  + text.replace(" [Published meta-analyses](#sec-external): ", " ", 1)
                                  for r, text in reviewed))
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
    # First, how much evidence there is and how far it is graded: a panel that reads two
    # lines must not take what follows for a body of pooled, rated evidence. The counts
    # are the limitations' "Pooling" line's, in its words.
    state = grading(ctx)
    if state == "judged":
        graded = _graded_text(ctx)
    elif state == "none":
        graded = ("Risk of bias was not assessed, and no result here is rated for certainty of the evidence "
                  "(GRADE).")
    else:
        graded = (f"Risk of bias is recorded for {_judged_counts(ctx)} but grades no result, and no certainty of "
                  "the evidence (GRADE) is given.")
    counts = pooling_counts(ctx)
    # How the studies were found bounds every "no usable study" and "no trial in these
    # data" below: its first sentence here, with the opening counts, where a panel that
    # reads two lines meets it; said in full in the methods and the limitations.
    first = evidence_base_first(ctx)
    gloss = "in these data” and “no usable study” mean among the studies this review collected"
    if boxed:
        found = f" How the studies were found: {escape(first)} (see the [methods](#sec-methods)); “{gloss}." if first else ""
        paragraphs.insert(0, (f"{counts[:1].upper()}{counts[1:]}. " if counts else "") + graded + found)
    else:
        # After the key messages, whose evidence point gives the counts, whether anything is
        # graded and how the studies were found: said again here, they read as the box
        # twice. What the point leaves out stays: the team's grades, and what bounds "no
        # usable study" below.
        opening = [graded] if state == "judged" else []
        if first:
            opening.append(f"“I{gloss[1:]} (how they were found: see the [methods](#sec-methods)).")
        if opening:
            paragraphs.insert(0, " ".join(opening))
    # The claims checked: a reader who stops at the summary must not carry them away as
    # findings.
    paragraphs.extend(_claims_summary(ctx))
    # Last, the abbreviations the summary itself uses, and only those: a clinician who
    # reads no further than the summary meets "SMD −0.44" and "k = 2" before the methods
    # define them, and a glossary of the whole report's (SD, τ², the review's instrument
    # codes) made the summary longer than its findings. The report's full list has a
    # section of its own (abbreviations_section).
    terms = abbreviations_text("\n\n".join(paragraphs), ctx.config.get("report", {}).get("abbreviations") or {})
    if terms:
        paragraphs.append(f"{terms} The report's full list: [Abbreviations](#sec-abbreviations).")
    body = Markdown("\n\n".join(paragraphs))
    # A note, not "important": the bottom line is the report's answer, and a red box with
    # "!" reads as an alarm (a harm, a retraction). Both render paths style a note.
    return callout("note", "What the evidence supports", body) if boxed else body


def _judged_counts(ctx: ReportContext) -> str:
    """"2 of the 21 trials" (and "1 of the 20 published reviews"), or "all 5 trials": the
    studies with judgements in risk_of_bias.csv, out of those of their kind."""
    def counted(docs: Sequence[Mapping[str, Any]], kind: str) -> str:
        judged = sum(1 for d in docs if _has_risk_of_bias(d))
        return f"all {judged} {kind}" if judged == len(docs) > 1 else f"{judged} of the {len(docs)} {kind}"

    trials = [d for d in ctx.normalised if d["study"]["role"] == "trial"]
    reviews = [d for d in ctx.normalised if d["study"]["role"] == "external"]
    said = [counted(trials, "trials")]
    if any(_has_risk_of_bias(d) for d in reviews):
        said.append(counted(reviews, "published reviews"))
    return " and ".join(said)


def grading(ctx: ReportContext) -> str:
    """How far the review's results are graded: ``judged`` (the team's certainty
    judgements), ``unused`` (risk of bias recorded for some studies, grading no result) or
    ``none``; what the summary's opening and its key messages say first."""
    if any_judgement(ctx):
        return "judged"
    return "unused" if any(_has_risk_of_bias(doc) for doc in ctx.normalised) else "none"


def evidence_base_first(ctx: ReportContext) -> str:
    """The first sentence of how the studies were found (``review.evidence_base``), without
    its full stop, or "": "Not a systematic search"."""
    base = " ".join(str(ctx.config["review"].get("evidence_base") or "").split())
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", base, maxsplit=1)[0].rstrip(".") if base else ""


def _pooled_findings(ctx: ReportContext, head: str, results: Sequence[Mapping[str, Any]], *,
                     favouring: bool) -> str:
    """"Head: A, SMD −0.44 (95% CI −0.67 to −0.22), favouring acupuncture; B, ...." and the
    trials they set aside (:func:`_left_out_of`): the bottom line's list of pooled
    analyses, each with its estimate and interval, the scale ("MD −1.07" alone does not
    say whether of 10 points or of 100), whom it favours where ``favouring`` (an interval
    wholly on one side), how it compares with a minimal important difference, and the
    caveats the treatments' lists give beside a pooled estimate, as they say them. One
    form for the intervals that exclude no difference and those that include it, so that
    the two lists cannot drift apart."""
    names = analysis_names(ctx)

    def one(r: Mapping[str, Any]) -> str:
        a, p = r["analysis"], r["pooled"]
        said = (f"{escape(names[a['id']])}, {escape(a['measure'])} {f2(shown(a, p['estimate']))} ({p['level']:g}% CI "
                f"{ci_text(shown(a, p['ci_lb']), shown(a, p['ci_ub']))}){md_points(ctx, a)}")
        if favouring:
            said += ", favouring " + escape(_in_sentence(
                a["intervention_label" if favours_intervention(a, p["estimate"]) else "comparator_label"], _names(ctx)))
        return (said + mid_markdown(ctx, a, p["ci_lb"], p["ci_ub"], brief=True) + escape(_pooled_caveats_in_brief(r))
                + _sensitivity_caveat(r) + heterogeneity_clause(r) + prediction_clause(r)
                + asymmetry_clause(r, _names(ctx))
                + risk_of_bias_clause(ctx, r)
                + _certainty_clause(ctx, r))

    return f"{head}: " + "; ".join(one(r) for r in results) + "." + _left_out_of(ctx, results)


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
    # reader finds them in the report's own list of abbreviations.
    ("SD", r"(?<![\w-])SDs?(?![\w-])", "standard deviation"),
    ("SE", r"(?<![\w-])SEs?(?![\w-])", "standard error"),
    ("df", r"(?<![\w-])df(?![\w-])", "degrees of freedom"),
    # The heterogeneity statistics and the prediction interval: the methods name them
    # before the results' opening paragraph explains them, and a reader who looks one up
    # finds it in the report's list. In a clinician's words: how far the studies' true
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

    The summary lists only its own (``printed`` left out); the report's list, in a section
    of its own (:func:`abbreviations_section`), is given the whole report as ``printed``:
    an abbreviation the methods, a table or the audit trail prints (SD, SE, df, a trial's
    own RD) is defined there too, by the library, so that no review has to declare the
    report's own words.

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


def abbreviations_section(ctx: ReportContext, printed: str) -> Markdown:
    """The report's list of abbreviations: each of :data:`ABBREVIATIONS` and of those the
    review declares (``report.abbreviations``) that ``printed``, the whole report, uses.

    Its own section, not the summary's close: the summary lists only what it uses, and a
    reader of the methods or the audit trail who meets "SD" or "τ²" finds it here.
    """
    terms = abbreviations_text(printed, ctx.config.get("report", {}).get("abbreviations") or {})
    return Markdown(terms or "The report uses no abbreviation.")


def _graded_text(ctx: ReportContext) -> str:
    """How many analyses with an effect have a GRADE level, and which have none: those the
    team has not judged, and the judged ones whose judgements give none. Left out, the
    unjudged ones were implied only by the arithmetic ("rated for 6 of 9", one named), and
    a panel had to find the others in the table."""
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
           "out_of_date": "judged on studies, or on data, other than those they now hold",
           "not_assessed": "no judgements recorded"}
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


def scenarios_text(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """The effect per 1,000 at each of the analysis's ``risk_scenarios``, or "".

    "Low risk (50 per 1,000 with B; Source A): 87 per 1,000 (71 to 105) with A, 37 more
    per 1,000 (21 more to 55 more)", one clause per scenario, as a summary-of-findings
    table gives its low- and high-risk rows (Cochrane Handbook 14.1.5.1).
    """
    out = []
    per = _per_1000
    for sc in _config_entry(ctx, r["analysis"]["id"]).get("risk_scenarios") or []:
        found = _absolute(r, {"value": sc["value"], "source": sc["source"]})
        if found is None:
            return ""
        e = found[0]
        out.append(f"{escape(sc['label'])} ({per(e.comparator)} per 1,000 with "
                   f"{escape(_in_sentence(r['analysis']['comparator_label'], _names(ctx)))}; {escape(sc['source'])}): {per(e.intervention)} per "
                   f"1,000 {_range_of(r, e)} with "
                   f"{escape(_in_sentence(r['analysis']['intervention_label'], _names(ctx)))}, {_differences(e, rounded=True)}")
    return "; ".join(out)


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


def indirect_title(ctx: ReportContext) -> str:
    """The indirect-comparison section's heading: "Dry needling versus acupuncture: indirect
    comparison" for the review's pair, or "Indirect comparisons" for none or several."""
    pairs = list(dict.fromkeys((x["treatment_a_label"], x["treatment_b_label"]) for x in ctx.indirect))
    if len(pairs) != 1:
        return "Indirect comparisons"
    a, b = pairs[0]
    return escape(f"{a} versus {_in_sentence(b, _names(ctx))}: indirect comparison")


def indirect_heading(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """An indirect comparison's title as its section heading gives it (plain text):
    "Dry needling vs Acupuncture: pain intensity", with the window ("..., short term")
    for an outcome the review analyses in more than one.

    Two comparisons of the same treatments and outcome in two windows otherwise had the
    same heading, and the audit trail named them alike.
    """
    outcome = ctx.labels.get(x.get("outcome", ""), x.get("outcome", ""))
    what = [_in_sentence(outcome)] if outcome else []
    window = indirect_window_words(ctx, x)
    if what and window:
        what.append(window)
    return f"{x['treatment_a_label']} vs {x['treatment_b_label']}" + (f": {', '.join(what)}" if what else "")


def indirect_window_words(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """An indirect comparison's window in words ("short term"), where its outcome is
    analysed in more than one window (as the summary's bottom line names the outcome);
    "" otherwise."""
    window = (ctx.config.get("windows") or {}).get(x.get("window", ""))
    windows = ({r["analysis"].get("window") for r in ctx.analyses if r["analysis"].get("outcome") == x.get("outcome")}
               | {y.get("window") for y in ctx.indirect if y.get("outcome") == x.get("outcome")})
    if not window or len(windows) < 2:
        return ""
    return _in_sentence(str(window["label"]).split("(")[0].strip())


#: The id that closes an analysis's name in an appendix note ("... short term (`acu_vs_sham`)").
_REF_ID = re.compile(r"\(`([a-z][a-z0-9_]*)`\)")


def _noted_analysis(note: str) -> str:
    """The id of the analysis an appendix note (a row's fate) names first."""
    found = _REF_ID.search(note)
    return found.group(1) if found else ""


def _no_third(ctx: ReportContext, x: Mapping[str, Any], unasked: Sequence[str], untried: Sequence[str]) -> str:
    """"no usable trial of dry needling against a named third treatment exists to compare
    them through (its trials against sham are set aside)": why an indirect comparison fails
    for treatments with no usable trial against a third one (``untried``, nodes) or none
    the review analyses (``unasked``, labels, escaped), as one plain clause, the review's
    choice said apart from the data's. Trials held but set aside are said to be, lest "no
    usable trial" read as no trial; why they could not be used is the results' to say.
    """
    ends = {x["treatment_a"]: x["treatment_a_label"], x["treatment_b"]: x["treatment_b_label"]}
    said = []
    if unasked:
        said.append(f"the review defines no analysis of {' or of '.join(unasked)} against a third treatment to "
                    "compare them through")
    for node in untried:
        held = _held_against(ctx, x, node)
        said.append(f"no usable trial of {escape(_in_sentence(ends[node], _names(ctx)))} against a named third "
                    "treatment exists to compare them through"
                    + (f" (its trials against {escape(_with_each(held, 'against'))} are set aside)" if held else ""))
    return ", and ".join(said)


def indirect_outcome(ctx: ReportContext, x: Mapping[str, Any], *, inside: bool = False) -> str:
    """An indirect comparison's outcome as the summary names it (Markdown): "pain
    intensity", with its window, "continuous abstinence (6 months)", for an outcome the
    review analyses in more than one; ``inside`` the report's own brackets, with no
    brackets of its own (:func:`metareview.fmt.in_brackets`): "pain, VAS, 6 months"."""
    outcome: str = escape(_in_sentence(ctx.labels.get(x["outcome"], x["outcome"])))
    if inside:
        outcome = escape(in_brackets(_in_sentence(ctx.labels.get(x["outcome"], x["outcome"]))))
    # An outcome the review analyses in more than one window (abstinence at 6 and at
    # 12 months) is named with this comparison's: "For continuous abstinence, one
    # head-to-head trial" read as all the head-to-head evidence when the other window
    # pooled three more.
    windows = ({r["analysis"]["window"] for r in ctx.analyses if r["analysis"]["outcome"] == x["outcome"]}
               | {y["window"] for y in ctx.indirect if y["outcome"] == x["outcome"]})
    if len(windows) > 1 and x["window"] in ctx.config.get("windows", {}):
        window = _in_sentence(_window_name(ctx.config["windows"][x["window"]]))
        outcome += f", {escape(in_brackets(window))}" if inside else f" ({escape(window)})"
    return outcome


def _why_not_anchored(ctx: ReportContext, x: Mapping[str, Any], gloss: str = "") -> tuple[str, str]:
    """Why no anchored indirect comparison of ``x``'s two treatments is made, as the summary
    gives it (Markdown, escaped): (the sentence's clause, "there is no common comparator
    (``gloss``) for an anchored indirect comparison.", and the same reason as one plain
    clause, "no usable trial of dry needling against a named third treatment exists to
    compare them through (its trials against sham are set aside)"). One wording for the
    summary and the limitations (:func:`indirect_reason`)."""
    a, b = escape(_in_sentence(x["treatment_a_label"], _names(ctx))), escape(_in_sentence(x["treatment_b_label"], _names(ctx)))
    # A treatment with no trial against a third one, on any measure, is the plainer
    # reason; one that another measure would anchor is worth saying.
    others = x["other_measures"]
    alone = [t for t, key in ((a, "comparators_a"), (b, "comparators_b"))
             if not x[key] and not any(o[key] for o in others)]
    anchoring = [escape(o["measure"]) for o in others if o["common"]]
    # The reason in one plain clause, for the summary's sentence on outcomes no trial
    # answers: why an indirect comparison fails is the indirect section's to say.
    plain = "there is no third treatment that trials compared with each of them, through which to compare them"
    if x["status"] == "shared_trial":
        shared = join_and([escape(_in_sentence(o["comparator_label"], _names(ctx))) for o in x.get("shared", [])])
        named = sorted({t for o in x.get("shared", []) for t in o["studies"]})
        plain = (f"no indirect comparison can be made, as {join_and([escape(t) for t in named])} "
                 f"{'compares' if len(named) == 1 else 'compare'} all three and would count on both sides")
        why = (f"though both are compared with {shared}, {join_and([escape(t) for t in named])} "
               f"{'compares' if len(named) == 1 else 'compare'} all three within one trial and "
               f"{'is' if len(named) == 1 else 'are'} on both sides, whose shared arm would count twice; left "
               "out, it leaves a side without a single other estimate, so no anchored indirect comparison is "
               "made (see the indirect comparison).")
    elif x["status"] == "no_single_estimate":
        plain = ("no indirect comparison can be made, as a side has more than one estimate that no "
                 "analysis pooled")
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
        plain = _no_third(ctx, x, unasked, [ends[t] for t in untried])
    elif lacking := _unnamed_only(ctx, x):
        # Each treatment compared in a usable trial only with a control its sources
        # do not name: "there is no common comparator" read as if no trial of it
        # against sham existed, where such trials are held but set aside.
        why = f"{_unanchored_reason(ctx, x, lacking)}, so nothing anchors an indirect comparison."
        plain = _no_third(ctx, x, [], lacking)
    elif anchoring:
        plain = (f"no third treatment links them on {escape(x['measure'])} (one does on "
                 f"{' and '.join(anchoring)})")
        why = (f"there is no common comparator{gloss} on {escape(x['measure'])} for an anchored indirect "
               f"comparison (on {' and '.join(anchoring)} both share one, so a comparison defined on "
               f"{' and '.join(anchoring)} could be anchored; see the indirect comparison).")
    else:
        why = f"there is no common comparator{gloss} for an anchored indirect comparison."
    return why, plain


def indirect_reason(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """Why an indirect comparison that is not anchored cannot be made, in the summary's
    plain clause (:func:`_why_not_anchored`, Markdown): "no indirect comparison can be made,
    as ..." where the clause says so, else "no indirect comparison can be made, as " before
    it. The limitations give each comparison its reason in these words: "of 2, 2 have no
    common comparator" read as if no trial of either against sham existed, where the
    trials of one are held but set aside."""
    plain = _why_not_anchored(ctx, x)[1]
    lead = "no indirect comparison can be made, as "
    return plain if plain.startswith(lead) else lead + plain


def _anchored_estimates(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """"through sham (one trial of dry needling and 2 of acupuncture, each against it), SMD
    −0.52 (95% CI −1.03 to −0.02): the whole confidence interval favours dry needling. It
    assumes that sham was the same treatment in the trials of both; see ..." for an
    anchored indirect comparison, each common comparator's estimate so.

    The estimate, its interval, the side it favours (the words the analyses' lines use),
    what it rests on and what it assumes (Bucher et al. 1997: the common comparator's
    effect is the same in both sets of trials), for a reader of the summary alone.
    """
    log = x.get("scale") == "log"
    side = _indirect_sides(ctx, x)
    # Inside the bracket on what it rests on: each label's own brackets as commas.
    a, b = (escape(in_brackets(_in_sentence(x[k], _names(ctx)))) for k in ("treatment_a_label", "treatment_b_label"))

    def trials(n: int) -> str:
        return "one trial" if n == 1 else f"{n} trials"

    said, names = [], []
    for c in x["anchored"]:
        name = escape(_in_sentence(c["comparator_label"], _names(ctx)))
        names.append(name)
        n_a, n_b = (len(c.get(k, {}).get("study_ids") or []) for k in ("a_vs_c", "b_vs_c"))
        rests = f" ({trials(n_a)} of {a} and {trials(n_b)} of {b}, each against it)" if n_a and n_b else ""
        # A trial of all three left out of both sides is named, as in the results' line.
        without = (f", without {escape(join_and([in_brackets(t) for t in c['shared']]))}, a trial of all three "
                   "counted as direct evidence" if c.get("shared") else "")
        said.append(f"through {name}{rests}{without}, {x['measure']} {f2(_ix(c, 'estimate', log))} "
                    f"({x['level']:g}% CI {ci_text(_ix(c, 'ci_lb', log), _ix(c, 'ci_ub', log))}): "
                    f"{_interval_shows(side, c['estimate'], c, proper=_names(ctx))}"
                    + indirect_one_df_words(ctx, x, c)
                    + mid_markdown(ctx, x, c["ci_lb"], c["ci_ub"], brief=True))
    same_on_both = (f"{names[0]} was the same treatment in the trials of both" if len(names) == 1
                    else "each of " + join_and(names) + " was the same treatment in the trials of both")
    # "; see": the section's title may hold a label's brackets, which inside "(see ...)" nest.
    return f"{'; '.join(said)}. It assumes that {same_on_both}; see [{indirect_title(ctx)}](#sec-indirect)."


def indirect_one_df_words(ctx: ReportContext, x: Mapping[str, Any], c: Mapping[str, Any]) -> str:
    """What an anchored estimate ``c`` of the indirect comparison ``x`` owes to a side
    pooled on t with 1 degree of freedom, and the estimate from that side's equal-effects
    fit (``c["equal_effects"]``, :func:`metareview.indirect._equal_effects_side`): " but
    too wide to inform (the acupuncture side pools 2 studies, on t with 1 degree of
    freedom); as a sensitivity analysis, the acupuncture side's equal-effects estimate,
    which assumes one true effect, gives SMD −0.03 (95% CI −0.74 to 0.68)"; "" without one.

    A Bucher interval takes each side's width; with t(1) on one side it spans a large
    benefit to a large harm whatever the trials show, and "compatible with no difference"
    alone read as the two treatments being alike. The pooled analysis has the same
    sensitivity line, said as one, never in the result's place.
    """
    ee = c.get("equal_effects")
    if not ee:
        return ""
    log = x.get("scale") == "log"
    side = _indirect_sides(ctx, x)
    pooled = [_in_sentence(x[{"a_vs_c": "treatment_a_label", "b_vs_c": "treatment_b_label"}[k]], _names(ctx))
              for k in ee.get("sides") or []]
    one = len(pooled) == 1
    said = "" if excludes_no_effect(c) else (
        f"but {TOO_WIDE} ({f'the {pooled[0]} side pools' if one else 'both sides pool'} 2 studies, on t with 1 "
        "degree of freedom)")
    favours = ""
    if excludes_no_effect(ee):
        who = side["intervention_label" if favours_intervention(side, ee["estimate"]) else "comparator_label"]
        favours = f", favouring {_in_sentence(who, _names(ctx))}"
    whose = f"the {pooled[0]} side\u2019s equal-effects estimate, which assumes" if one else (
        "the two sides\u2019 equal-effects estimates, which assume")
    # escape() trims the text's ends: the space that parts it from what it follows is added
    return (" " if said else "") + escape(
        f"{said}; as a sensitivity analysis, {whose} one true effect, give{'s' if one else ''} {x['measure']} "
        f"{f2(_ix(ee, 'estimate', log))} ({x['level']:g}% CI {ci_text(_ix(ee, 'ci_lb', log), _ix(ee, 'ci_ub', log))})"
        f"{favours}")


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


def _held_against(ctx: ReportContext, x: Mapping[str, Any], node: str) -> list[str]:
    """The named third treatments (labels, for inside brackets) that ``node``'s analyses on
    ``x``'s outcome and window hold trials against, none of them usable where ``node`` has
    no usable trial against a named third treatment: "sham" in "(its trials against sham
    are set aside)"."""
    ends = {x["treatment_a"], x["treatment_b"]}
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
    return list(dict.fromkeys(aside))


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
        aside = _held_against(ctx, x, node)
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


def _broad_first(ctx: ReportContext, claims: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Claims with the broadest first, the rest in the source's order: a claim of a direction
    alone that names no comparator, co-intervention or subgroup ("both work"), as
    claims.csv codes it. The claim a reader of the source most acts on is that one; listed
    fifth, after a claim about sleep, it read as a detail."""
    rows = {r.get("claim_id"): r for r in ctx.raw_tables.get("claims", [])}

    def broad(c: Mapping[str, Any]) -> bool:
        r = rows.get(c.get("claim_id")) or {}
        return (bool(r) and not any(r.get(k) for k in ("comparator", "cointervention", "subgroup"))
                and r.get("claimed_measure") in (None, "", "direction_only"))

    return sorted(claims, key=lambda c: not broad(c))


def _claims_summary(ctx: ReportContext) -> list[str]:
    """One Summary paragraph per source of narrative claims: whose claims they are, "no claim
    is supported" when none is (that none can be checked, when none can), and a list of each
    verdict with its claims, the broadest first (:func:`_broad_first`), each with its reason
    in one clause (the claim's ``short_reason``, :func:`metareview.claims.check_claim`; none
    for results made before it), the full reason being in the claims table.

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
        for c in _broad_first(ctx, claims):
            # The claim's reason beside it: a bare list of six claims said what was checked
            # but not why none could be settled.
            # A full stop after each, as every other list of the summary has.
            why = f": {c['short_reason']}" if c.get("short_reason") else ""
            verdicts.setdefault(c["verdict"], []).append(escape(f"\u201c{c['claim'].rstrip('.')}\u201d{why}."))
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
        # What a single trial shows of a claimed mean difference is said once, in the
        # claim's line below (its ``short_reason``), beside its verdict and with the scale
        # it is read on: a sentence here as well said it twice, and without the caveat
        # that the claim names no scale where it names none.
        if "supported" in verdicts:
            head += ":"
        elif set(verdicts) == {"not checkable from the data"}:
            # "Settled", not "checked": a pooled interval too imprecise to show a claim
            # leaves it not checkable though it was held against the data, and "none can
            # be checked" hid what the data do show, as where the one trial on a claim is
            # given for reference, though one trial cannot check it.
            head += ": no claim can be settled by these data, so none is supported by them."
        else:
            head += ": no claim is supported by these data."
        lines.append(head + "\n\n" + "\n".join(points) + cited)
    return lines


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


def _points_clause(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """"; In the instrument's points, about −2.7 (...) on the ..., an approximation." for
    :func:`as_sentences`, after an SMD's caveats, which are the estimate's and its
    interval's, and before its certainty, which ends the line
    (:func:`metareview.report.base.points_in_brief`); else "".

    A single trial's line gives the difference between its own means first ("a
    difference of 2.6 points", :func:`metareview.report.overview._single_study_parts`):
    the points here then say how they differ from it, or a reader finds one effect
    given two ways (2.6 and −2.7) in one paragraph."""
    native = r["studies"][0].get("native_difference") if r["status"] == "single_study" and r["studies"] else None
    if native is not None and native_md(r["studies"][0], float(r.get("level", 95))) is not None:
        # The line gives the difference in the trial's means with its interval already
        # (overview._single_study_parts): said again here, it was the same number twice.
        return ""
    points = points_in_brief(ctx, r, beside=None if native is None else float(native["difference"]))
    return f"; {escape(points)}" if points else ""


def _set_aside_here(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """:func:`_set_aside` of the trials ``r`` could not use, then, apart, those it left out
    only because their results are of another window, whose analysis uses them
    (:func:`metareview.report.overview._without_window_only`): "; Bauer (2018), measured at 8
    weeks, is pooled in the short term analysis", or "".

    Listed among the trials set aside, with which way their results went, a trial pooled
    in the short term analysis was counted again beside the medium term one: a review of
    two windows read as if most of its trials had been set aside.
    """
    kept = _without_window_only(ctx, r)
    elsewhere = {e["label"]: _used_in_other_windows(ctx, r, e) for e in r.get("excluded") or []
                 if e not in kept["excluded"]}
    text = _set_aside(kept, ctx=ctx)
    # By the analysis that uses them, one clause each: "A, B and C, not measured in this
    # window, are pooled in the short term analysis" (``when`` and ``where`` come escaped).
    by_where: dict[str, list[tuple[str, str]]] = {}
    for label, (when, where) in sorted(elsewhere.items()):
        by_where.setdefault(where, []).append((label, when))
    for where, trials in by_where.items():
        if len(trials) == 1:
            (label, when), = trials
            text += f"; {escape(label)}{', ' + when if when else ''}, is {where}"
        else:
            text += f"; {join_list([escape(label) for label, _ in trials])}, not measured in this window, are {where}"
    return text


def _graded_lead(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """"acupuncture may reduce pain intensity compared with sham. Certainty of the evidence
    (GRADE): low (rated down for ...). " to open a graded result's line in the Results
    overview, ahead of its estimate and interval, which support it; "" for a result with
    no informative statement (:func:`informative_statement`: ungraded, set apart, or an
    interval that informs nothing), whose line gives its level last, as before.

    After the interval's own words ("the whole confidence interval favours acupuncture"),
    the statement read as a second finding, and the flat one came first at every level.
    """
    statement = informative_statement(ctx, r)
    if not statement:
        return ""
    return (f"{escape(statement)}. Certainty of the evidence (GRADE): "
            f"{escape(describe(certainty_of(ctx, r), _study_labels(ctx)))}. ")


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
        # A graded finding leads, worded by its level; the estimate follows as its support,
        # and the level is not said again at the end.
        lead = _graded_lead(ctx, r) if r["status"] in ("pooled", "single_study") else ""
        if lead:
            certainty = ""
        external = _external_sentence(r, proper=_names(ctx), repeated=repeated_refs(ctx), ctx=ctx)
        if r["status"] == "pooled":
            # The estimate and what its interval shows make the first sentence; each caveat
            # follows as a sentence of its own (one sentence of 150 words was unreadable).
            lines.append(f"{escape(name)}: {lead}{a['measure']} {f2(shown(a, p['estimate']))} "
                         f"({p['level']:g}% CI {ci_text(shown(a, p['ci_lb']), shown(a, p['ci_ub']))}; k = {p['k']})"
                         f"{md_points(ctx, a)}; "
                         f"{_interval_shows(a, p['estimate'], p, proper=_names(ctx), explained=bool(_few_studies_caveat(r)), ctx=ctx)}"
                         f"{_sensitivity_caveat(r)}{heterogeneity_clause(r)}{prediction_clause(r)}"
                         f"{asymmetry_clause(r, _names(ctx))}."
                         + mid_markdown(ctx, a, p["ci_lb"], p["ci_ub"])
                         + as_sentences(f"{_few_studies_caveat(r)}{equal_effects_clause(r, proper=_names(ctx))}"
                                        f"{_pooled_study_caveats(r)}{_population_clause(r['studies'])}"
                                        f"{_absolute_clause(ctx, r)}{_set_aside_here(ctx, r)}{_points_clause(ctx, r)}"
                                        f"{risk_of_bias_clause(ctx, r)}{certainty}"))
        elif r["status"] == "single_study":
            # The trials it could not use too: "one study only" alone hides a trial set
            # aside for its value type (Meng 2003's change scores beside final values).
            # Its caveats as sentences of their own, as a pooled estimate's are.
            effect, caveats = _single_study_parts(ctx, r)
            lines.append(f"{escape(name)}: {lead}{'O' if lead else 'o'}ne study only, not pooled: {effect}."
                         + mid_markdown(ctx, a, r["studies"][0]["ci_lb"], r["studies"][0]["ci_ub"])
                         + as_sentences(f"{caveats}{_absolute_clause(ctx, r)}{_set_aside_here(ctx, r)}"
                                        f"{_points_clause(ctx, r)}{risk_of_bias_clause(ctx, r)}{certainty}"))
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


def _indirect_sides(ctx: ReportContext, x: Mapping[str, Any]) -> dict[str, str]:
    """An indirect comparison as an analysis for :func:`metareview.report.base.favours_intervention`:
    its two treatments as intervention and comparator, and the side that favours the
    first as the analyses of the same outcome and measure have it (a beneficial event's
    ratio above 1, a mean difference below 0; for none, by the scale)."""
    same = [r["analysis"] for r in ctx.analyses
            if r["analysis"].get("outcome") == x["outcome"] and r["analysis"].get("measure") == x["measure"]]
    return {"intervention_label": x["treatment_a_label"], "comparator_label": x["treatment_b_label"],
            "favours_intervention_when": (same[0].get("favours_intervention_when", "below") if same
                                          else "above" if x.get("scale") == "log" else "below")}


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
    side = _indirect_sides(ctx, x)
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
        + indirect_one_df_words(ctx, x, c)
        # An indirect MD is read against its outcome's MID as a pooled one is.
        + mid_markdown(ctx, x, c["ci_lb"], c["ci_ub"], brief=True) for c in x["anchored"])
    return (f"Indirect comparison of {escape(_in_sentence(x['treatment_a_label'], _names(ctx)))} and "
            f"{escape(_in_sentence(x['treatment_b_label'], _names(ctx)))} "
            f"({escape(in_brackets(outcome))}), {estimates} (Bucher method; see the [indirect comparison](#sec-indirect)).")


def _review_sides(a: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each review's verdict (:func:`_review_verdict`) on an analysis's published results."""
    return {sid: _review_verdict(sides) for sid, sides in _result_sides(a, entries).items()}


def _external_sentence(r: Mapping[str, Any], proper: Collection[str] = (),
                       repeated: Collection[str] = frozenset(), ctx: ReportContext | None = None) -> str:
    """What the published meta-analyses an analysis shows apart say, review by review, or
    "" when it shows none, in short sentences: " [Published meta-analyses](#sec-external):
    5 reviews, which share trials; the SMDs of 3 of them range from −0.54 to −0.33. Lam et
    al. (2013) is at the edge of no difference (MD −16.76, 95% CI −33.33 to −0.19, p =
    0.05). Not counted: ...": how large the reviews' results are and which reach no
    difference, never how many lie wholly on one side (vote counting, Cochrane Handbook
    12.2, of reviews that share trials)."

    The summary's lines give the trials here; a reader who saw only them would miss a
    body of pooled evidence (often of more trials than the data hold) pointing another
    way. Reviews overlap in the trials they pool and differ in scope, which the line
    before the summary's list says (:func:`summary_section`) rather than add them up as
    independent evidence. With ``ctx``, reviews are counted as the summary's tallies count
    them (:func:`_count_once`), and the line says which were counted as one or are not on
    one side for their own statements.
    """
    a = r["analysis"]
    external, apart = _split_secondary(_external_in_window(r), misread_refs(ctx) if ctx is not None else frozenset())
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
    # How many reviews and how large their results, never how many lie on a side: a
    # count of reviews by significance is vote counting (Cochrane Handbook 12.2), and
    # reviews share trials. The results at or across no difference are named instead.
    bare = sides["no interval"]
    first = f"{n} {'review' if n == 1 else 'reviews'}" + (", which share trials" if n > 1 else "")
    if bare == n:
        first += f", no result{' of any' if n > 1 else ''} with a confidence interval"
    elif bare:
        first += f" ({bare} with no result with a confidence interval)"
    sizes = _external_sizes(external_sized)
    # The reviews whose results with an interval are all mean differences: no range, each
    # on its instrument's scale, but said, so that the sizes are not read as every review's.
    with_ci = [e for e in external_sized
               if e["measure"] != "p_only" and e.get("ci_lb") is not None and e.get("ci_ub") is not None]
    scaled = {e["study_id"] for x in _size_ranges(with_ci) for e in x["given"]}
    md_only = [e for e in with_ci if e["study_id"] not in scaled]
    # A mean difference on this analysis's own scale is a size to give, in its points.
    on_scale = [e for e in md_only if e.get("comparable") and e["measure"] == "MD"]
    own_scale = len({e["study_id"] for e in md_only} - {e["study_id"] for e in on_scale})
    said_md = [f"{escape(e['label'])}{',' if holds_comma(e['label']) else ''} gives an MD of {f2(e['estimate'])} points"
               for e in on_scale]
    if own_scale:
        said_md.append(f"{'its result is' if n == 1 else 'each gives'} a mean difference on a scale of its own"
                       if not sizes and not on_scale else
                       f"{'1 other gives' if own_scale == 1 else f'{own_scale} others give'} only mean differences "
                       f"on {'a scale of its own' if own_scale == 1 else 'scales of their own'}")
    if said_md:
        sizes = "; ".join([sizes, *said_md] if sizes else said_md)
    level = float(ctx.config["methods"].get("level", 95)) if ctx is not None else 95.0
    edge = escape(touching_text(external_sized, level))
    sentences = [f"{first}; {sizes}" if sizes else first, *([edge] if edge else []), *counted_once]
    # A sentence each, or one naming the review once where every caveat is its own.
    # The caveats of the results counted, as the sizes are: a review's result that another
    # counted with it prints alike is that one finding, not a caveat of its own ("no confidence level
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
                     alike: Mapping[str, Sequence[str]],
                     stated: Mapping[str, Sequence[Mapping[str, Any]]] | Collection[str]) -> dict[str, str]:
    """``verdicts`` (:func:`_analysis_verdicts`) with each review on neither side for its
    own words alone, its intervals all on one side, as "for in words" or "against in
    words": Lee 2023, "not every result wholly on one side" beside an interval wholly on
    acupuncture's, read as a contradiction. Its intervals' side, for the words that say so."""
    by_interval = _result_sides(a, entries)
    for kept, others in alike.items():
        for other in others:
            by_interval[kept].extend(by_interval.pop(other, []))
    # Words on another arm of the node than the intervals' leave the review on its side.
    disagreeing = ([sid for sid, xs in stated.items() if not all(x.get("other_arm") for x in xs)]
                   if isinstance(stated, Mapping) else list(stated))
    worded = {sid: side for sid in disagreeing if verdicts.get(sid) == "neither"
              for side in [_review_verdict(by_interval.get(sid) or [])] if side in ("for", "against")}
    return {sid: f"{worded[sid]} in words" if sid in worded else v for sid, v in verdicts.items()}


def _external_sizes(entries: Sequence[Mapping[str, Any]]) -> str:
    """How large the published results are, not only which side they lie on: the range
    of their estimates on each scale-free measure (SMD, RR, OR), as the report prints
    them ("their SMDs range from −0.61 to −0.17"). Counting reviews by side alone is
    vote counting; mean differences are left out, their instruments and scales differing.
    """
    return "; ".join(size["said"] for size in _size_ranges(entries))


def _has_risk_of_bias(doc: Mapping[str, Any]) -> bool:
    """Whether risk_of_bias.csv judges a study (rows marked ``not_assessed`` do not)."""
    return any(x.get("judgement") != "not_assessed" for x in doc.get("risk_of_bias") or [])


def _near_miss_trials(ctx: ReportContext, x: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], list[Any], list[Any]]]:
    """The trials :func:`_near_misses` names for the indirect comparison ``x``, by label:
    (study, its arms of either treatment, its arms of a treatment no node includes)."""
    pair = (x["treatment_a"], x["treatment_b"])
    out = []
    for doc in sorted(ctx.normalised, key=lambda d: d["study"]["label"]):
        if doc["study"]["role"] != "trial":
            continue
        if not any(_of_comparison(ctx, x, r, rows) for rows in ("arm_values", "contrasts", "statements")
                   for r in doc[rows]):
            continue
        ours = [a for a in doc["arms"] if a["node"] in pair]
        outside = [a for a in doc["arms"] if a["node"] is None]
        if ours and outside:
            out.append((doc, ours, outside))
    return out


def _of_comparison(ctx: ReportContext, x: Mapping[str, Any], row: Mapping[str, Any], table: str) -> bool:
    """Whether a normalised trial's row (of ``arm_values``, ``contrasts`` or
    ``statements``) is of the indirect comparison ``x``'s outcome and window.

    A result by the windows its timepoint falls in; a statement by its timepoint's words
    (:func:`metareview.report.overview.statement_window`), one of no stated time counting
    for any window. By outcome alone, a trial measured at the end of treatment was said to
    report on the outcome in a long-term window the review added.
    """
    if row["outcome"] != x["outcome"]:
        return False
    window = x.get("window")
    if window is None:
        return True
    if table != "statements":
        return window in (row.get("windows") or {})
    placed = statement_window(row.get("timepoint_label"), ctx.config.get("windows") or {})
    return placed is None or placed == window


def _near_misses(ctx: ReportContext, x: Mapping[str, Any], brief: bool = False) -> str:
    """Trials of one of the two treatments against a treatment no node includes.

    Where the two are never compared head to head, the closest a trial comes may be a
    treatment the review's nodes leave out: trigger point acupuncture against standard
    acupuncture (Itoh 2004), say, which some would count as dry needling. Such trials are
    named, with what their arms received, in how many participants and in whom, and what
    they found, so that a clinician can judge them; they enter no analysis unless a node
    takes that treatment in, which the text names as the review team's choice. Other
    trials of the same treatment on the outcome, against any other comparator (Itoh 2006,
    against sham), are named after them: the same choice keeps them out.

    ``brief`` (the summary's): the trials against one of the two in at most two sentences,
    what they found and the team's choice in one clause each; the others, and the reasons
    at length, are the indirect section's.
    """
    found = []
    unfound = []  # the trials named that say in words that they found no difference
    for doc, ours, outside in _near_miss_trials(ctx, x):
        names = arm_names(doc["arms"])
        # What the trial says of the outcome in words, where that is all it gives: a
        # reader weighing it needs the finding too, as the summary gives a review's.
        # Statements that set one of those arms against one of ours: in a three-arm
        # trial, trigger points against sham say nothing of them against acupuncture.
        ids, own = {a["arm_id"] for a in outside}, {a["arm_id"] for a in ours}
        between = [st for st in doc["statements"]
                   if _of_comparison(ctx, x, st, "statements") and {st.get("arm1"), st.get("arm2")} & ids
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
        # Each trial's words say only what its own rows say: the caution on a difference
        # not found significant is the trial's that said so, by its own size ("in so few
        # participants" closed a list and read as said of a trial of 93 with numbers).
        said_none = any(st.get("direction") == "no_difference" for st in between)
        # Its size was given just before: "in a trial this size" points back to it.
        caution = (", which" + (" in a trial this size" if _participants(arms) else "")
                   + " does not show the treatments alike" if said_none and brief else "")
        found.append((compared, f"{who}{',' if who else ''}"
                      + "".join(f" and reported {st}" for st in stated)
                      + caution))
        if said_none:
            unfound.append(doc["study"]["label"])
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
    # The trials that said so named where not every trial named did.
    whose = f", as {join_list(unfound)} reported," if unfound and len(unfound) < len(found) else ""
    missed = (f" A difference not found to be statistically significant{whose} does not show the treatments alike: a "
              "trial can miss a real difference, the more easily the fewer its participants." if unfound else "")
    # The choice named as the team's, which it can change: "the review team's choice of
    # what counts as dry needling or acupuncture" after "one of the two" and "neither"
    # left a clinician to work out that trigger point needling was the treatment at issue.
    if brief:
        return (escape(said.removesuffix(".") + f". This review counts {join_list(treatments)} as neither "
                       f"{a} nor {b}, the review team\u2019s choice, which it can change (see the")
                + " [methods](#sec-methods)).")
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


def _claims_source(ctx: ReportContext, source_id: Any) -> str:
    """"the blog post": the document that made a claim, by its kind in sources.csv ("the
    document" for a kind of ``other``), or "the source" where sources.csv has no row."""
    s = next((x for x in ctx.raw_tables.get("sources", []) if x.get("source_id") == source_id), None)
    if s is None:
        return "the source"
    kind = (s.get("kind") or "other").replace("_", " ")
    return f"the {'document' if kind == 'other' else kind}"
