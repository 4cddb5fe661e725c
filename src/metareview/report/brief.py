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
from collections.abc import Mapping, Sequence
from typing import Any

from metareview.certainty import join_and
from metareview.fmt import f2, in_brackets
from metareview.fmt import in_sentence as _in_sentence
from metareview.markdown import Markdown, callout, escape
from metareview.report.aside import exact_test_disagrees
from metareview.report.base import (
    ReportContext,
    _names,
    any_judgement,
    ci_text,
    excludes_no_effect,
    favours_intervention,
    pooling_counts,
    shown,
)
from metareview.report.overview import (
    ONE_DF,
    TOO_WIDE,
    _effect_in_brief,
    _node_label,
    _node_roles,
    _overview_nodes,
    _question_analyses,
    _trials_side,
    review_counts,
    too_wide_to_inform,
)
from metareview.report.summary import _anchored_estimates, _claims_source

__all__ = ["key_messages"]

#: What a result's interval shows, as the detail's lines say it, from the treatment's side.
_SHOWS = {"for": "favours it", "against": "favours the comparator", "neither": "is compatible with no difference"}


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
    for x in ctx.indirect:
        a, b = (escape(_in_sentence(x[k], _names(ctx))) for k in ("treatment_a_label", "treatment_b_label"))
        outcome = escape(_in_sentence(ctx.labels.get(x["outcome"], x["outcome"])))
        said.setdefault((f"**{a[:1].upper()}{a[1:]} against {b}**", _answer(ctx, x)), []).append(outcome)
    return [f"{head} ({join_and(outcomes)}): {answer}" for (head, answer), outcomes in said.items()]


def _answer(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """What the data say on one outcome of the question: the head-to-head trials' result
    (pooled, or one trial's), else the anchored indirect estimate, else that they cannot
    say, and why in a clause."""
    ids = [d["analysis"] for d in x["direct"] if d["k"]]
    direct = [r for r in ctx.analyses if r["analysis"]["id"] in ids and _trials_side(ctx, r)]
    if direct:
        return "; ".join(_result_clause(ctx, r) for r in direct) + "."
    if x["status"] == "anchored":
        return f"compared only indirectly, {_anchored_estimates(ctx, x)}"
    return ("the data cannot say which is better, as no usable trial compares them head to head and none links "
            "them through a third treatment.")


def _result_clause(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """One analysis's result in a clause: "SMD −0.44 (95% CI −0.67 to −0.22; one trial,
    Cherkin et al., 2009), favouring acupuncture"."""
    a = r["analysis"]
    if r["status"] == "pooled":
        interval, estimate, who = r["pooled"], r["pooled"]["estimate"], f"pooled, k = {r['pooled']['k']}"
    else:
        interval, estimate = r["studies"][0], r["studies"][0]["yi"]
        who = f"one trial, {in_brackets(r['studies'][0]['label'])}"
    effect, spread = _effect_in_brief(ctx, a, estimate, interval)
    side = _trials_side(ctx, r)
    shows = ("compatible with no difference" if side == "neither" else
             f"favouring {_in_sentence(a['intervention_label' if side == 'for' else 'comparator_label'], _names(ctx))}")
    ee = interval.get("equal_effects") if r["status"] == "pooled" else None
    if side == "neither" and too_wide_to_inform(interval, ctx, a):
        # Two trials that agree can pool to an interval from a large benefit to a large
        # harm: said, with the equal-effects estimate that brackets it from the other side.
        shows += f" but {TOO_WIDE} ({ONE_DF})"
    if ee and ee.get("estimate") is not None:
        favours = ("" if not excludes_no_effect(ee) else ", favouring " + _in_sentence(
            a["intervention_label" if favours_intervention(a, ee["estimate"]) else "comparator_label"], _names(ctx)))
        shows += (f"; an equal-effects model, which assumes one true effect, gives {f2(shown(a, ee['estimate']))} "
                  f"({ee['level']:g}% CI {ci_text(shown(a, ee['ci_lb']), shown(a, ee['ci_ub']))}){favours}")
    return escape(f"{effect} ({spread}; {who}), {shows}")


def _treatment_point(ctx: ReportContext, node: str) -> str:
    """Where one treatment's trials lie against the other comparators, counted as the
    detail's list for it counts them (:func:`metareview.report.overview._treatment_overview`),
    with the published reviews' tallies after them; "" when it has no other comparator."""
    given = _question_analyses(ctx, node)
    label = _node_label(ctx, node)
    name = escape(_in_sentence(label, _names(ctx)))
    level = float(ctx.config["methods"].get("level", 95))
    roles = _node_roles(ctx)
    sides: dict[str, list[str]] = {}
    exact: dict[str, int] = {}
    pooled: dict[str, bool] = {}
    held: set[str] = set()
    for r in ctx.analyses:
        a = r["analysis"]
        other = {a["intervention"]: "comparator", a["comparator"]: "intervention"}.get(node)
        if other is None or (a[other], a["outcome"], a["window"]) in given:
            continue
        held |= {s.get("study_id") or s["label"] for s in [*r["studies"], *(r.get("excluded") or [])]}
        side = _trials_side(ctx, r)
        if side is None:
            continue
        comp = a["intervention_label"] if other == "intervention" else a["comparator_label"]
        if other == "intervention":
            side = {"for": "against", "against": "for"}.get(side, side)
        sides.setdefault(comp, []).append(side)
        pooled[comp] = pooled.get(comp, False) or r["status"] == "pooled"
        if r["status"] == "single_study" and exact_test_disagrees(r["studies"][0], level):
            exact[comp] = exact.get(comp, 0) + 1
    if not sides:
        if not held:
            return ""
        return (f"**{name[:1].upper()}{name[1:]}**: no usable trial against any other comparator in these data "
                f"({_trials(len(held))} held, each set aside or set apart).")
    # The comparators with a pooled result first, then in the order the analyses name them,
    # as the detail lists them.
    order = sorted(sides, key=lambda c: (not pooled[c], list(sides).index(c)))
    clauses = []
    knew = False
    for comp in order:
        held_sides = sides[comp]
        what = _tally(held_sides, exact.get(comp, 0))
        notes = [] if pooled[comp] else ["single trials" if len(held_sides) > 1 else "a single trial"]
        if roles.get(comp) == {"control"}:
            # Said in full once, as the detail says it.
            notes.append("participants knew which treatment they had" + (" here too" if knew else ""))
            knew = True
        clauses.append(escape(f"against {_in_sentence(comp, _names(ctx))}, {what}"
                              + (f" ({'; '.join(notes)})" if notes else "")))
    text = f"**{name[:1].upper()}{name[1:]}**, in these data: {'; '.join(clauses)}."
    reviews = review_counts(ctx, node, given)
    if reviews:
        # By comparator, with no verb to agree: "1 of 1 ... have" read wrong.
        tallies = [f"{n_for} of {n} against {_in_sentence(comp, _names(ctx))}"
                   for comp, (n_for, n) in reviews.items()]
        text += " " + escape(f"Published meta-analyses with confidence intervals, shown apart, with every interval "
                             f"on {_in_sentence(label, _names(ctx))}\u2019s side: {'; '.join(tallies)}.")
    return text


def _tally(sides: Sequence[str], exact: int) -> str:
    """"both results favour it", "3 of 4 results are compatible with no difference, 1
    favours it (by an exact test only)": where one comparator's results lie."""
    n = len(sides)
    if len(set(sides)) == 1:
        verb = _SHOWS[sides[0]]
        if n == 1:
            return f"its one result {verb}"
        plural = verb.replace("favours", "favour").replace("is compatible", "are compatible")
        return f"{'both' if n == 2 else 'all ' + str(n)} results {plural}"
    parts = []
    for side in ("neither", "for", "against"):
        k = sides.count(side)
        if not k:
            continue
        verb = _SHOWS[side] if k == 1 else _SHOWS[side].replace("favours", "favour").replace("is compat", "are compat")
        parts.append(f"{k} {verb}" + (" (by an exact test only)" if side == "for" and exact else ""))
    return f"of {n} results, {join_and(parts)}"


def _trials(n: int) -> str:
    return "one trial" if n == 1 else f"{n} trials"


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
            said.append(f"{of}, none can be settled by these data, so none is supported by them" if n > 1
                        else f"{of} cannot be settled by these data, so is not supported by them")
            continue
        tally = ", ".join(f"{k} {v}" for v, k in sorted(verdicts.items(), key=lambda vk: _VERDICTS.get(vk[0], 3)))
        if n == 1:
            said.append(f"{of} is {'' if supported else 'not '}supported by these data")
        else:
            said.append(f"{of}, {'none is' if not supported else str(supported) + (' is' if supported == 1 else ' are')}"
                        f" supported by these data ({tally})")
    if not said:
        return ""
    return f"**Claims checked against the data**: {'; '.join(escape(s) for s in said)} (see below)."


#: The verdicts in the order the summary lists them.
_VERDICTS = {"supported": 0, "not supported": 1, "not checkable from the data": 2}


def _evidence_point(ctx: ReportContext) -> str:
    """How much evidence there is, how far it is graded and how it was found."""
    counts = pooling_counts(ctx)
    graded = ("certainty graded from the review team's judgements (see below)" if any_judgement(ctx)
              else "no result graded for certainty (GRADE)")
    base = " ".join(str(ctx.config["review"].get("evidence_base") or "").split())
    first = base.split(". ")[0].strip().rstrip(".")
    # "Not a systematic search" runs on after a semicolon: its capital, not an acronym's, lowered.
    if first[:2].istitle():
        first = first[:1].lower() + first[1:]
    found = f"; how the studies were found: {first}" if base else ""
    return "**Evidence**: " + escape(f"{counts}; {graded}{found}.")
