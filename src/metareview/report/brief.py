"""The summary's key messages: what the evidence supports, in a box a reader can take in
at a glance, before the summary gives each result with its caveats.

A panel member who reads one box must carry away the answer to the review's question (or
that the data give none), where each treatment's trials lie against the other
comparators, how far published reviews agree, what the checked claims came to, and how
thin and ungraded the evidence is. Every point is counted from the results the detail
below prints (:mod:`metareview.report.overview`, :mod:`metareview.report.summary`), in
its words, so that the two cannot disagree; numbers are given only where the question
itself has an estimate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from metareview.certainty import LEVELS, join_and, level_text
from metareview.fmt import f2, in_brackets, join_list, typed
from metareview.fmt import in_sentence as _in_sentence
from metareview.markdown import Markdown, callout, escape
from metareview.report.aside import exact_test_disagrees
from metareview.report.base import (
    ReportContext,
    _names,
    certainty_tag,
    ci_text,
    excludes_no_effect,
    favours_intervention,
    graded_level,
    informative_statement,
    md_scale,
    md_unit,
    pooling_counts,
    risk_of_bias_clause,
    shown,
    within_mid,
)
from metareview.report.flow import TRIAL_GROUPS, study_flow
from metareview.report.information import adverse_events_brief
from metareview.report.overview import (
    ONE_DF,
    TOO_WIDE,
    _effect_in_brief,
    _from_medians,
    _node_label,
    _node_roles,
    _overview_nodes,
    _question_analyses,
    _review_tallies,
    _review_verdict,
    _tally_results,
    _trials_side,
    misread_counts,
    review_counts,
    review_sizes,
    too_wide_to_inform,
)
from metareview.report.summary import (
    _anchored_estimates,
    _claims_source,
    _judged_counts,
    evidence_base_first,
    grading,
    indirect_window_words,
)

__all__ = ["key_messages"]

#: What a result's interval shows, as the detail's lines say it, from the treatment's side.
_SHOWS = {"for": "favours it", "against": "favours the comparator", "neither": "is compatible with no difference",
          # A sparse table whose approximate interval and exact test disagree.
          # The exact test is the more reliable of the two with so few events, and what it
          # finds rests on very few of them: neither side is said.
          # Plain words, not "fragile", which a panel reads as jargon.
          "unsettled": "rests on very few events (its exact test and approximate interval disagree)"}


def key_messages(ctx: ReportContext) -> Markdown:
    """The summary's box: a point per outcome group of the review's question, one per
    treatment of it against the other comparators, one on the claims checked and one on
    the evidence base; "" for a review without an indirect comparison, whose summary is
    already a list of its analyses.

    The reader who reads only the summary's first screen met a page and a half of
    results, caveats and trials set aside before the claims: each is said here in a
    clause, counted as the detail below counts it.
    """
    if not ctx.indirect:
        return Markdown("")
    points = [*_question_points(ctx)]
    for node in _overview_nodes(ctx):
        point = _treatment_point(ctx, node)
        if point:
            points.append(point)
    claims = _claims_point(ctx)
    if claims:
        points.append(claims)
    points.append(_evidence_point(ctx))
    body = "\n".join(f"- {p}" for p in points) + "\n\nEach point is given in detail below, with its caveats."
    return callout("note", "What the evidence supports", Markdown(body))


def _question_points(ctx: ReportContext) -> list[str]:
    """A point per answer to the review's question, outcomes with the same answer in one:
    "**Dry needling against acupuncture** (pain intensity and back-specific disability):
    the data cannot say which is better; ..."."""
    said: dict[tuple[str, str], list[str]] = {}
    windowed = False
    for x in ctx.indirect:
        a, b = (escape(_in_sentence(x[k], _names(ctx))) for k in ("treatment_a_label", "treatment_b_label"))
        # The window, as the section's heading gives it, for an outcome the review
        # analyses in more than one: "(pain, pain and disability)" could not tell which
        # answer was of which.
        window = indirect_window_words(ctx, x)
        windowed = windowed or bool(window)
        outcome = escape(_in_sentence(_outcome_name(ctx, x["outcome"])) + (f", {window}" if window else ""))
        said.setdefault((f"**{a[:1].upper()}{a[1:]} against {b}**", _answer(ctx, x)), []).append(outcome)
    return [f"{head} ({'; '.join(outcomes) if windowed else join_and(outcomes)}): {answer}"
            for (head, answer), outcomes in said.items()]


def _outcome_name(ctx: ReportContext, outcome: str) -> str:
    """An outcome as the box names it: its short label (config
    ``outcomes.<code>.short_label``, "Pain"), else its label ("Pain intensity"). Each
    comparator's line names its outcomes again, in a box of at most a few hundred words;
    the detail below gives the labels in full."""
    spec = (ctx.config.get("outcomes") or {}).get(outcome) or {}
    return str(spec.get("short_label") or ctx.labels.get(outcome, outcome))


def _answer(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """What the data say on one outcome of the question: the head-to-head trials' result
    (pooled, or one trial's), else the anchored indirect estimate, else that they cannot
    say, for want of an estimate (the bottom line says why)."""
    ids = [d["analysis"] for d in x["direct"] if d["k"]]
    direct = [r for r in ctx.analyses if r["analysis"]["id"] in ids and _trials_side(ctx, r)]
    if direct:
        return "; ".join(_result_clause(ctx, r) for r in direct) + "."
    if x["status"] == "anchored":
        return f"compared only indirectly, {_anchored_estimates(ctx, x)}"
    linked = [m for m in x.get("other_measures") or [] if m.get("common")]
    if x["status"] == "no_common_comparator" and linked:
        # A comparator shared on another measure: the config's choice of measure, not the
        # trials, leaves the question open, which "no usable estimate" would hide.
        ways = [f"on {m['measure']} both are compared with "
                + join_and(list(dict.fromkeys(_in_sentence(ctx.labels.get(c, c), _names(ctx)) for c in m["common"])))
                for m in linked]
        return escape(f"no head-to-head estimate, and no indirect one on {x['measure']}, the measure set for this "
                      f"comparison; {join_and(ways)}, which could anchor one.")
    # Whatever the reason (no trial, none usable, no third treatment, one trial on both
    # sides), what the data lack is an estimate: the bottom line says why.
    return "the data cannot say which is better, as they give no usable head-to-head or indirect estimate."


def _result_clause(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """One analysis's result in a clause: "SMD −0.44 (95% CI −0.67 to −0.22; one trial,
    Cherkin et al., 2009), favouring acupuncture"; graded, "..., acupuncture probably
    reduces pain intensity compared with usual care (GRADE: moderate certainty)"
    (:func:`metareview.report.base.informative_statement`)."""
    a = r["analysis"]
    if r["status"] == "pooled":
        interval, estimate, who = r["pooled"], r["pooled"]["estimate"], f"pooled, k = {r['pooled']['k']}"
    else:
        interval, estimate = r["studies"][0], r["studies"][0]["yi"]
        who = f"one trial, {in_brackets(r['studies'][0]['label'])}"
    # The team's judgements of its trials, where no GRADE level here says how they weigh;
    # and means estimated from medians, which the summary and the results say of it too.
    who += risk_of_bias_clause(ctx, r)
    medians = sum(1 for s in r["studies"] if _from_medians(s))
    if medians:
        who += ("; means and SDs estimated from medians" if len(r["studies"]) == 1 else
                f"; {medians} of them with means and SDs estimated from medians")
    effect, spread = _effect_in_brief(ctx, a, estimate, interval)
    side = _trials_side(ctx, r)
    level = float(ctx.config["methods"].get("level", 95))
    if r["status"] == "single_study" and exact_test_disagrees(interval, level):
        # As each treatment's point says it: the detail calls such a table very imprecise.
        shows = _SHOWS["unsettled"].replace("rests", "resting", 1)
    elif side == "neither":
        shows = "compatible with no difference"
    else:
        shows = f"favouring {_in_sentence(a['intervention_label' if side == 'for' else 'comparator_label'], _names(ctx))}"
    ee = interval.get("equal_effects") if r["status"] == "pooled" else None
    if side == "neither" and too_wide_to_inform(interval, ctx, a):
        # Two trials that agree can pool to an interval from a large benefit to a large
        # harm: said, with the equal-effects estimate that brackets it from the other side.
        shows += f" but {TOO_WIDE} ({ONE_DF})"
    grade = graded_level(ctx, r)
    if grade:
        # The finding worded by its level where GRADE's statements have words for it, the
        # level beside the usual words where they do not: never a graded result said flatly.
        statement = informative_statement(ctx, r)
        shows = f"{statement} ({certainty_tag(grade)})" if statement else f"{shows}; {certainty_tag(grade)}"
    if ee and ee.get("estimate") is not None:
        favours = ("" if not excludes_no_effect(ee) else ", favouring " + _in_sentence(
            a["intervention_label" if favours_intervention(a, ee["estimate"]) else "comparator_label"], _names(ctx)))
        shows += (f"; an equal-effects model, which assumes one true effect, gives {f2(shown(a, ee['estimate']))} "
                  f"({ee['level']:g}% CI {ci_text(shown(a, ee['ci_lb']), shown(a, ee['ci_ub']))}){favours}")
    return escape(f"{effect} ({spread}; {who}), {shows}")


def _treatment_point(ctx: ReportContext, node: str) -> str:
    """Where one treatment's trials lie against the other comparators, counted as the
    detail's list for it counts them (:func:`metareview.report.overview._treatment_overview`),
    comparators in its order; "" when it has no trial against another comparator. With
    published reviews, a line per comparator under the treatment, its trials' tally and
    then its reviews' (:func:`metareview.report.overview.review_counts`): each comparator
    is named once, in full (its label says what it holds: placebo TENS with sham, active
    conventional therapy with usual care), and where trials and reviews part is read on
    one line.

    A single trial whose approximate interval and exact test disagree "rests on very few
    events" (the tally's "unsettled"), not said to favour either side: the detail gives
    the exact test's finding and the events it rests on. A result the detail
    sets apart (one trial known only from a secondary source) is counted apart.
    """
    given = _question_analyses(ctx, node)
    label = _node_label(ctx, node)
    name = escape(_in_sentence(label, _names(ctx)))
    level = float(ctx.config["methods"].get("level", 95))
    roles = _node_roles(ctx)
    sides: dict[str, list[str]] = {}
    grades: dict[str, list[str | None]] = {}  # each result's GRADE level, as its side
    trials: dict[str, set[str]] = {}
    pooled: dict[str, bool] = {}
    rank: dict[str, int] = {}  # the detail's order: pooled, one study, the rest
    apart = 0
    apart_trials: set[str] = set()
    for r in ctx.analyses:
        a = r["analysis"]
        other = {a["intervention"]: "comparator", a["comparator"]: "intervention"}.get(node)
        if other is None or (a[other], a["outcome"], a["window"]) in given:
            continue
        comp = a["intervention_label"] if other == "intervention" else a["comparator_label"]
        rank.setdefault(comp, 3)
        side = _trials_side(ctx, r)
        if side is None:
            if r["status"] == "pooled" or r["status"] == "single_study":
                apart += 1
                apart_trials.update(s.get("study_id") or s["label"] for s in r["studies"])
            elif r["status"] == "not_poolable":
                rank[comp] = min(rank[comp], 2)
            continue
        if other == "intervention":
            side = {"for": "against", "against": "for"}.get(side, side)
        if r["status"] == "single_study" and exact_test_disagrees(r["studies"][0], level):
            side = "unsettled"
        side, grade = _tally_kind(ctx, r, side, other == "intervention")
        sides.setdefault(comp, []).append(side)
        grades.setdefault(comp, []).append(grade)
        trials.setdefault(comp, set()).update(s.get("study_id") or s["label"] for s in r["studies"])
        pooled[comp] = pooled.get(comp, False) or r["status"] == "pooled"
        rank[comp] = min(rank[comp], 0 if r["status"] == "pooled" else 1)
    head = f"**{name[:1].upper()}{name[1:]}**"
    if not sides:
        # A trial whose result is set apart is counted with it, not among those that give
        # no usable estimate: Liu & Park (2021), counted there, has its effect in the Results.
        n = len(_trials_against_others(ctx, node) - apart_trials)
        if not n and not apart:
            return ""
        if not n:
            return (f"{head}: {'its one result' if apart == 1 else f'its {apart} results'} against other "
                    f"comparators, known only from a secondary source, {'is' if apart == 1 else 'are'} set apart.")
        which = _groups_said(ctx, _trials_against_others(ctx, node) - apart_trials)
        if apart:
            # As briefly as the box allows: the Results name the trial and say why.
            return (f"{head}: against other comparators, {'one trial gives' if n == 1 else f'{n} trials give'} no "
                    f"usable estimate{which}; {apart} secondary-source {'result is' if apart == 1 else 'results are'} "
                    "set apart.")
        none = ("its one trial here against other comparators gives no usable estimate" if n == 1
                else f"none of its {n} trials here against other comparators gives a usable estimate")
        return f"{head}: {none}{which}."
    order = list(rank)
    reviews = review_counts(ctx, node, given)
    misread = misread_counts(ctx, node, given) if reviews else {}
    rated = _rated_by_authors(ctx, node, given) if reviews else {}
    sizes = review_sizes(ctx, node, given) if reviews else {}
    lines: list[tuple[str, str]] = []
    knew = False
    for comp in sorted(sides, key=lambda c: (rank[c], order.index(c))):
        what, one_part = _tallied(sides[comp], grades[comp])
        n = len(trials[comp])
        notes = [] if pooled[comp] else ["one trial" if n == 1 else "one trial each" if n == len(sides[comp])
                                         else f"{n} trials"]
        if roles.get(comp) == {"control"} and "for" in sides[comp]:
            # Said in full once, as the detail says it, and where it says it: beside a
            # result on the treatment's side, which expectation may have put there.
            notes.append("nor could participants be blinded here" if knew else "participants could not be blinded")
            knew = True
        noted = "; ".join(notes)
        if noted and not one_part:
            # Said of the line, not of its last part: "1 of 2 ... (GRADE: moderate
            # certainty) and 1 may favour it (GRADE: low certainty), one trial each
            # (participants could not be blinded)".
            what += f", {notes[0]}" + (f" ({'; '.join(notes[1:])})" if notes[1:] else "")
        elif noted and what.endswith(")"):
            # One pair of brackets: "rests on very few events (... disagree; one trial)".
            what = f"{what[:-1]}; {noted})"
        elif noted:
            what += f" ({noted})"
        lines.append((comp, what))
    # A comparator only published reviews have a tally against: nothing from trials here
    # is counted for it (none usable, or set apart below).
    lines += [(comp, "no trial result counted here") for comp in reviews if comp not in sides]
    if apart:
        # In the words the box gives a treatment's results set apart with no usable trial.
        more = f"{apart} more secondary-source {'result' if apart == 1 else 'results'} set apart"
        lines.append(("", more))
    if not reviews:
        one = "; ".join(f"against {_in_sentence(comp, _names(ctx))}, {what}" if comp else what for comp, what in lines)
        return f"{head}, in these data: {escape(one)}."
    # A line per comparator, its trials here and then its reviews' tally: each comparator
    # named once, and where they differ (trials compatible with no difference, every
    # review on the treatment's side) said side by side.
    nested = []
    checked = False
    for comp, what in lines:
        if comp in reviews:
            # A review's words of no difference against another form of the comparator
            # (Lee 2023 against sham at the same points) qualified a count of sides; its
            # size is in the range, and the detail says what its words find.
            # Results left out of a tally under a warning of a row read from the wrong
            # table, said beside it: a count silent on them read as every published
            # result counted. Why they are suspect is the detail's to say.
            left_out = ""
            if misread.get(comp):
                # "Until checked" once: the detail says against what (each row in its source).
                left_out = (f"{misread[comp]} {'result' if misread[comp] == 1 else 'results'} left out"
                            + ("" if checked else " until checked"))
                checked = True
            # Their sizes, never a count of those whose intervals exclude no difference:
            # "5 of 5 meta-analyses" with every interval on one side was vote counting
            # (Cochrane Handbook 12.2) of reviews that share trials.
            what += f"; {_review_sizes_said(ctx, sizes[comp], rated.get(comp, ''), left_out)}"
        text = f"against {_in_sentence(comp, _names(ctx))}: {what}" if comp else what
        nested.append(f"  - {escape(text[:1].upper() + text[1:])}.")
    return (f"{head}: trials here, then published meta-analyses\u2019 effect sizes (shown apart; reviews share "
            "trials):\n" + "\n".join(nested))


def _review_sizes_said(ctx: ReportContext, sizes: Mapping[str, Any], rated: str = "", left_out: str = "") -> str:
    """The box's words on one comparator's published reviews (:func:`review_sizes`), outcome
    by outcome as the detail gives them: "pain SMD −0.54 to −0.33 (3 of 5 reviews; Lam et
    al., 2013 borderline, p = 0.05; 2 results left out until checked), disability −0.13
    (1)", plain text, each outcome by its short label (config ``outcomes.<code>.short_label``),
    else its label.

    Each scale-free measure's range over the reviews giving it on that outcome, the
    measure named once for a run of outcomes giving it, and a mean difference on the
    analysis's own scale in its points ("MD −1.03 on 0–10"). The first
    outcome's brackets count the comparator's reviews, with how surely their authors rate
    their results (``rated``, first: it bounds the count) and the results left out of the
    count (``left_out``, last); each outcome's brackets count the reviews giving its sizes
    and name the results whose interval is at the edge of no difference, with the p-value.
    One range over pain and disability together ("SMD −0.54 to −0.13") gave disability's
    −0.13 as the low end of a range a reader takes for pain's. The reviews giving only
    mean differences, each on a scale of its own, are the rest of the count; the detail
    gives them."""
    k = sizes["reviews"]
    parts = sizes.get("by_outcome") or []
    notes = [x for x in (rated, left_out) if x]
    if not parts:
        # Without an SMD, a ratio or a mean difference on this scale: no size to give.
        whose = "1 review" if k == 1 else f"{k} reviews"
        return f"{whose} ({'; '.join(['each on a scale of its own', *notes])})"

    said = []
    for i, (x, words) in enumerate(zip(parts, outcome_sizes(ctx, parts))):
        edge = [in_brackets(e["label"]) + " borderline"
                + (f", p {e.get('p_qualifier') or '='} {typed(float(e['p_value']))}" if e.get("p_value") is not None
                   else "") for e in x["touching"]]
        if i == 0:
            whose = "1 review" if k == 1 else f"{k} reviews" if x["of"] == k else f"{x['of']} of {k} reviews"
            inner = [whose, *([rated] if rated else []), *edge, *([left_out] if left_out else [])]
        else:
            inner = [str(x["of"]), *edge]
        said.append(f"{words} ({'; '.join(inner)})")
    return ", ".join(said)


def outcome_sizes(ctx: ReportContext, parts: Sequence[Mapping[str, Any]]) -> list[str]:
    """The sizes of one comparator's reviews on each outcome of ``parts`` (``by_outcome`` of
    :func:`review_sizes`), as the box prints them before their brackets: "pain SMD −0.54
    to −0.33", "disability −0.13", "pain SMD −1.07, MD −1.03 on 0–10". The measure is named
    once for a run of outcomes giving it; a mean difference on the analysis's own scale
    is said on it ("on 0–10", as the box's instruments are named: "0–23"), or in its unit."""

    def span(measure: str, values: Sequence[float]) -> str:
        lo, hi = f2(values[0]), f2(values[-1])
        return " ".join(x for x in (measure, lo if lo == hi else f"{lo} to {hi}") if x)

    out = []
    last = ""
    for i, x in enumerate(parts):
        words: list[str] = []
        for r in x["ranges"]:
            words.append(span("" if i and not words and r["measure"] == last else r["measure"], r["values"]))
            last = r["measure"]
        if x["on_scale"]:
            analysis = {"measure": "MD", "outcome": x["outcome"]}
            scale, unit = md_scale(ctx, analysis), md_unit(ctx, analysis)
            points = f" on {scale.replace(' to ', chr(0x2013))}" if scale else f" {unit}" if unit else ""
            words.append(span("MD", [float(e["estimate"]) for e in x["on_scale"]]) + points)
            last = "MD"
        out.append(f"{_in_sentence(_outcome_name(ctx, x['outcome']))} {', '.join(words)}")
    return out


#: Counts of reviews in words, as the box says "one trial".
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _rated_by_authors(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]]) -> dict[str, str]:
    """By comparator label, how the reviews of the box's tally rate the certainty of
    their own results, where any does: "one rated low certainty by its authors", "one
    rated moderate and one low certainty by their authors". The reviews and results are
    those the detail's tally counts and names with their certainty
    (:func:`metareview.report.overview._external_tallies`,
    :func:`metareview.report.base._rated_certainty`).

    "2 of 2 meta-analyses" beside a trial's result read as two findings as sure as any,
    where one review rated its own low: the box presented it as surer than its authors did.
    """
    results, counted, _, _, alike, _ = _review_tallies(ctx, node, given)
    said = {}
    for comp, reviews in results.items():
        tallied = {sid for sid, sides in reviews.items() if _review_verdict(sides) != "no interval"}
        # Each review's levels over the results the tally counts (those of reviews counted
        # as one with it included), highest first in GRADE's order.
        kept = {other: sid for sid, others in alike[comp].items() for other in others}
        levels: dict[str, set[str]] = {}
        for e in _tally_results(counted[comp], tallied, alike[comp]):
            if e.get("certainty") in LEVELS:
                levels.setdefault(kept.get(e["study_id"], e["study_id"]), set()).add(str(e["certainty"]))
        if not levels:
            continue
        groups = Counter(" and ".join(level_text(x) for x in sorted(xs, key=LEVELS.index, reverse=True))
                         for xs in levels.values())
        # Highest level first, as the detail lists them.
        order = sorted(groups, key=lambda g: -max(LEVELS.index(x.replace(" ", "_")) for x in g.split(" and ")))
        # "rated" once, after the first count: "one rated moderate and one low".
        words = [f"{_NUMBER_WORDS[groups[g]] if groups[g] < len(_NUMBER_WORDS) else groups[g]}"
                 f"{' rated' if i == 0 else ''} {g}" for i, g in enumerate(order)]
        its = "its" if sum(groups.values()) == 1 else "their"
        said[comp] = f"{join_and(words)} certainty by {its} authors"
    return said


def _groups_said(ctx: ReportContext, trials: Collection[str]) -> str:
    """" (4 set aside, 2 in words only)": the groups of the flow of studies (@tbl-flow)
    the ``trials`` fall in, as briefly as the box allows, or "".

    "6 trials give no usable estimate" above lines that listed 2 and 2 trials set aside
    counted trials the lines did not: the count says which groups it sums."""
    groups = study_flow(ctx)["trials"]
    said = [f"{n} {_BRIEF_GROUPS[key]}" for key, _, _ in TRIAL_GROUPS
            if (n := sum(1 for sid in groups[key] if sid in trials))]
    return f" ({', '.join(said)})" if said else ""


#: The groups of the flow of studies (:data:`~metareview.report.flow.TRIAL_GROUPS`) in
#: the box's words, shorter than the flow table's.
_BRIEF_GROUPS = {"used": "used", "aside": "set aside", "words": "in words only", "empty": "with no result entered",
                 "others": "not taken up", "outside": "outside the analysed comparisons"}


def _trials_against_others(ctx: ReportContext, node: str) -> set[str]:
    """The trials in these data with an arm of ``node`` and one of a treatment other than
    those the question compares it with: those the analyses use or set aside, and those
    with statements in words only or no result entered."""
    partners = {x["treatment_b"] if x["treatment_a"] == node else x["treatment_a"]
                for x in ctx.indirect if node in (x["treatment_a"], x["treatment_b"])}
    found = set()
    for doc in ctx.normalised:
        nodes = {arm.get("node") for arm in doc["arms"]}
        if doc["study"].get("role") == "trial" and node in nodes and nodes - {node, None} - partners:
            found.add(doc["study"]["study_id"])
    return found


#: A graded result's finding in a tally, worded by its level as GRADE's informative
#: statements word it (Santesso et al. 2020): for one result, and for several.
_GRADED_SHOWS = {
    "for": {"high": ("favours it", "favour it"), "moderate": ("probably favours it", "probably favour it"),
            "low": ("may favour it", "may favour it")},
    "against": {"high": ("favours the comparator", "favour the comparator"),
                "moderate": ("probably favours the comparator", "probably favour the comparator"),
                "low": ("may favour the comparator", "may favour the comparator")},
    # An interval the report judges narrow enough to inform (within the MID).
    "little": {"high": ("shows little or no difference", "show little or no difference"),
               "moderate": ("probably shows little or no difference", "probably show little or no difference"),
               "low": ("may show little or no difference", "may show little or no difference")},
}
_VERY_UNCERTAIN = ("leaves the evidence very uncertain", "leave the evidence very uncertain")

#: The order of a tally's parts: where the results lie, then their levels, ungraded first.
_TALLY_SIDES = ("neither", "little", "for", "against", "unsettled", "uncertain")
_TALLY_GRADES: tuple[str | None, ...] = (None, "high", "moderate", "low", "very_low")


def _tally_kind(ctx: ReportContext, r: Mapping[str, Any], side: str, swapped: bool) -> tuple[str, str | None]:
    """A result's place in a tally: its side (``little`` where the informative statement
    of a graded interval within the MID says little or no difference, even one on a
    side: a trivial effect does not favour either; ``uncertain`` at very low certainty)
    and its level."""
    grade = graded_level(ctx, r)
    if grade == "very_low":
        return "uncertain", grade
    if grade and side != "unsettled" and within_mid(ctx, r) and informative_statement(ctx, r, swapped=swapped):
        return "little", grade
    return side, grade


def _grades_tag(grades: Sequence[str | None]) -> str:
    """"GRADE: low certainty" for results of one level, "not graded" for none graded,
    "GRADE certainty: 1 high, 1 moderate; 1 not graded" for a mix."""
    if len(set(grades)) == 1:
        return certainty_tag(grades[0]) if grades[0] else "not graded"
    counts = [f"{grades.count(g)} {level_text(g)}" for g in _TALLY_GRADES if g and g in grades]
    ungraded = grades.count(None)
    return "GRADE certainty: " + ", ".join(counts) + (f"; {ungraded} not graded" if ungraded else "")


def _tallied(sides: Sequence[str], grades: Sequence[str | None] | None = None) -> tuple[str, bool]:
    """"both results favour it", "3 of 4 results are compatible with no difference and 1
    rests on very few events (...)": where one comparator's results lie.

    With ``grades`` (a level or None per result) where any result is graded, each part is
    tagged with its results' levels ("(GRADE: low certainty)", "(not graded)"): a level
    said of the line would read as every result's. A side whose words GRADE's informative
    statements give by level (favouring one side, little or no difference) is worded by
    its level, one part per level: "its one result may favour it (GRADE: low certainty)";
    at very low certainty, "leaves the evidence very uncertain".

    With whether the words are one part: a note said of the whole line goes inside the
    bracket of one part, and would be read as the last part's alone in that of several.
    """
    levels = list(grades) if grades is not None else [None] * len(sides)
    tagged = any(levels)
    n = len(sides)
    # Parts: (side, level), the level None for a side worded alike at every level.
    groups: dict[tuple[str, str | None], list[str | None]] = {}
    for side, grade in zip(sides, levels, strict=True):
        key = (side, grade if grade and side in (*_GRADED_SHOWS, "uncertain") else None)
        groups.setdefault(key, []).append(grade)

    def shows(key: tuple[str, str | None], many: bool) -> str:
        side, grade = key
        if side == "uncertain":
            words = _VERY_UNCERTAIN[many]
        elif grade is not None:
            words = _GRADED_SHOWS[side][grade][many]
        else:
            words = _SHOWS[side] if not many else _plural(_SHOWS[side])
        if not tagged:
            return words
        # One pair of brackets: "rests on very few events (...; not graded)".
        tag = _grades_tag(groups[key])
        return f"{words[:-1]}; {tag})" if words.endswith(")") else f"{words} ({tag})"

    if len(groups) == 1:
        key = next(iter(groups))
        if n == 1:
            return f"its one result {shows(key, False)}", True
        return f"{'both' if n == 2 else 'all ' + str(n)} results {shows(key, True)}", True
    parts: list[str] = []
    for side in _TALLY_SIDES:
        for grade in _TALLY_GRADES:
            if (side, grade) in groups:
                k = len(groups[(side, grade)])
                words = shows((side, grade), k > 1)
                parts.append(f"{k} of {n} results {words}" if not parts else f"{k} {words}")
    return join_and(parts), len(parts) == 1


def _plural(verb: str) -> str:
    """A verb of :data:`_SHOWS` for several results."""
    if verb == _SHOWS["unsettled"]:
        return "rest on very few events (their exact tests and approximate intervals disagree)"
    return verb.replace("favours", "favour", 1) if verb.startswith("favours") else verb.replace("is ", "are ", 1)


def _claims_point(ctx: ReportContext) -> str:
    """How the claims checked came out, by source, in the verdicts' words: "**Claims checked
    against the data**: of the blog post's 6 claims, none can be settled by these data, so
    none is supported by them", or "..., 1 is supported by these data (1 supported, 2 not
    supported, 3 not checkable from the data)"."""
    by_source: dict[Any, list[Mapping[str, Any]]] = {}
    for c in ctx.claims:
        by_source.setdefault(c.get("source_id"), []).append(c)
    said = []
    for sid, claims in by_source.items():
        n, supported = len(claims), sum(c["verdict"] == "supported" for c in claims)
        who = _claims_source(ctx, sid).removeprefix("the ")
        of = f"of the {who}\u2019s {n} claims" if n > 1 else f"the {who}\u2019s one claim"
        verdicts = Counter(c["verdict"] for c in claims)
        if set(verdicts) == {"not checkable from the data"}:
            # The summary's words below: "not checkable" is a claim the data cannot
            # settle, whether no analysis bears on it or its interval is too imprecise.
            said.append((f"none {of} can be settled by these data, so none is supported by them" if n > 1
                         else f"{of} cannot be settled by these data, so is not supported by them")
                        + _citations(claims))
            continue
        tally = ", ".join(f"{k} {v}" for v, k in sorted(verdicts.items(), key=lambda vk: _VERDICTS.get(vk[0], 3)))
        if n == 1:
            said.append(f"{of} is {'' if supported else 'not '}supported by these data")
        else:
            said.append(f"{of}, {'none is' if not supported else str(supported) + (' is' if supported == 1 else ' are')}"
                        f" supported by these data ({tally}){_citations(claims)}")
    if not said:
        return ""
    return f"**Claims checked**: {'; '.join(escape(s) for s in said)}."


def _citations(claims: Sequence[Mapping[str, Any]]) -> str:
    """"; 2 cite evidence that cannot be verified, 3 evidence not identified and 1 none":
    what came of the claims' cited evidence (``cited``, :mod:`metareview.claims`), where
    any is not verified; "" for claims checked before the field was recorded."""
    cited = Counter(c.get("cited") for c in claims)
    words = [("unverified", "evidence that cannot be verified"), ("not identified", "evidence not identified"),
             ("none", "none")]
    kinds = [(cited[key], what) for key, what in words if cited[key]]
    if not kinds:
        return ""
    # The verb with the first count only: "2 cite evidence ..., 3 evidence ... and 1 none".
    n, what = kinds[0]
    parts = [f"{n} {'cites' if n == 1 else 'cite'} {'no evidence' if what == 'none' else what}"]
    parts += [f"{k} {w}" for k, w in kinds[1:]]
    return "; " + join_and(parts)


#: The verdicts in the order the summary lists them.
_VERDICTS = {"supported": 0, "not supported": 1, "not checkable from the data": 2}


def _evidence_point(ctx: ReportContext) -> str:
    """How much evidence there is, how far it is graded and how it was found."""
    counts = pooling_counts(ctx)
    # As the bottom line's opening says it (summary.bottom_line).
    graded = {"judged": "certainty graded from the review team's judgements (see below)",
              "none": "risk of bias not assessed and certainty of the evidence (GRADE) not rated",
              "unused": f"risk of bias recorded for {_judged_counts(ctx)} but grading no result; no certainty of the "
                        "evidence (GRADE)"}[grading(ctx)]
    first = evidence_base_first(ctx)
    # "Not a systematic search" runs on after a semicolon: its capital, not an acronym's, lowered.
    if first[:2].istitle():
        first = first[:1].lower() + first[1:]
    found = f"; how the studies were found: {first}" if first else ""
    # What no analysis here covers, which the Methods and Limitations say and a reader
    # who stops at this box would otherwise take for nothing found: harms, and results
    # later than any window.
    harms = adverse_events_brief(ctx)
    late = after_last_window(ctx)
    more = "".join(f"; {x}" for x in (harms, late) if x)
    return "**Evidence**: " + escape(f"{counts}; {graded}{found}{more}.")


def after_last_window(ctx: ReportContext) -> str:
    """The trials set aside for results later than the last time window ends (config
    ``windows``, the largest ``max_weeks``) and used in no analysis, as the summary's
    Evidence line says them, or "": "1 trial reports results only after the last window
    ends (week 26) and enters no analysis (Thomas et al., 2006, at 52 and 104 weeks); 1
    more trial's results after week 26 are set aside too (Hegu acupuncture trial, presumed
    Yun et al. 2012, at 48 weeks)".

    First those set aside for that alone, in every analysis that sets them aside; then
    those set aside for other reasons too. The windows say what the review asks (short
    and medium term): that no window takes long-term results is the review's choice, and
    the reader of the summary needs it beside the trials it leaves out, whose results
    the Results give: "outside the window" in the table of trials set aside does not say
    that no window covers them.
    """
    ends = [float(w["max_weeks"]) for w in (ctx.config.get("windows") or {}).values()
            if w.get("max_weeks") is not None]
    if not ends:
        return ""
    last = max(ends)
    used = {s.get("study_id") for r in ctx.analyses for s in r["studies"]}
    late: dict[str, tuple[str, set[float], bool]] = {}
    for r in ctx.analyses:
        for e in r.get("excluded") or []:
            if e.get("study_id") in used:
                continue
            beyond: set[float] = set()
            other = False
            for x in e.get("reasons") or [{"reason": e.get("reason")}]:
                timepoint = x.get("timepoint") or {}
                weeks = [float(w) for w in timepoint.get("weeks") or []] if timepoint.get("kind") == "outside_window" else []
                if weeks and all(w > last for w in weeks):
                    beyond.update(weeks)
                else:
                    other = True
            label, seen, alone = late.get(e["study_id"], (e["label"], set(), True))
            late[e["study_id"]] = (label, seen | beyond, alone and not other)

    def named(trials: list[tuple[str, set[float], bool]]) -> str:
        return "; ".join(f"{in_brackets(label)}, at {join_list([f'{w:g}' for w in sorted(weeks)])} weeks"
                         for label, weeks, _ in sorted(trials))

    only = [t for t in late.values() if t[1] and t[2]]
    more = [t for t in late.values() if t[1] and not t[2]]
    end = f"the last window ends (week {last:g})"
    parts = []
    if only:
        n = len(only)
        parts.append(f"{n} trial{'' if n == 1 else 's'} report{'s' if n == 1 else ''} results only after {end} and "
                     f"enter{'s' if n == 1 else ''} no analysis ({named(only)})")
    if more:
        m = len(more)
        trials = "trial\u2019s" if m == 1 else "trials\u2019"
        whose = f"{m} more {trials}" if only else f"{m} {trials}"
        parts.append(f"{whose} results after {f'week {last:g}' if only else end} are set aside{' too' if only else ''} "
                     f"({named(more)})")
    return "; ".join(parts)
