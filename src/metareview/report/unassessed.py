"""What the review could not assess in its own evidence, as the methods, the risk of bias
section and the limitations say it:

- the risk of bias of the studies its results rest on, where ``risk_of_bias.csv`` holds
  no judgement of them (:func:`unjudged_used`, :func:`not_assessed_said`): not a gap in
  the data to pass over but a limit of the review, which leaves the risk of bias of
  those results unknown (PRISMA 2020 items 11 and 18; Page et al. 2021);
- the results missing from its analyses (:func:`missing_results`,
  :func:`missing_results_said`): trials of an analysed comparison whose result is given,
  in the documents read here, only as a p-value or only in words, or not entered at
  all, and the analyses too small for the small-study test. A result reported, or left
  out, for its significance can bias a pooled estimate (Cochrane Handbook chapter 13;
  PRISMA 2020 items 14 and 21): the report counts which way the missing results point
  (:func:`missing_directions`), says which way their absence could move the estimates,
  and claims no bias it cannot see;
- what is known of risk of bias without an assessment (:func:`unblinded_said`): the
  comparisons whose design left participants unable to be blinded to their treatment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from metareview.fmt import P_ONLY_REASON, in_brackets, in_sentence, join_list
from metareview.report.base import (
    ReportContext,
    _memo,
    _names,
    any_judgement,
    asymmetry_favours,
    favours_intervention,
    sample_size_check,
)
from metareview.report.flow import results_missing_reason, study_flow
from metareview.report.overview import words_only_trials
from metareview.report.summary import _has_risk_of_bias

#: The reference the limitations give for bias due to missing results.
MISSING_RESULTS_SOURCE = "Cochrane Handbook chapter 13"


def _named(labels: Iterable[str]) -> str:
    """Studies' labels as the report lists them inside its brackets: "Cherkin et al., 2009;
    Cho et al., 2013" (:func:`~metareview.fmt.in_brackets`)."""
    return "; ".join(in_brackets(label) for label in labels)


def used_studies(ctx: ReportContext) -> list[Mapping[str, Any]]:
    """The studies whose effects an analysis pools or shows (its ``studies``), by label."""
    ids = {s["study_id"] for r in ctx.analyses for s in r["studies"]}
    return sorted((d for d in ctx.normalised if d["study"]["study_id"] in ids), key=lambda d: d["study"]["label"])


def unjudged_used(ctx: ReportContext) -> list[Mapping[str, Any]]:
    """The studies of :func:`used_studies` with no risk-of-bias judgement (none in
    ``risk_of_bias.csv``, or only rows marked ``not_assessed``), by label."""
    return [d for d in used_studies(ctx) if not _has_risk_of_bias(d)]


def _unit(docs: Sequence[Mapping[str, Any]], n: int) -> str:
    """"trial", "trials", or "study", "studies" where one is no trial."""
    trials = all(d["study"]["role"] == "trial" for d in docs)
    return ("trial" if n == 1 else "trials") if trials else ("study" if n == 1 else "studies")


def not_assessed_which(ctx: ReportContext) -> str:
    """The studies the analyses use that no risk-of-bias judgement covers (plain text), or
    "" where there are none: "any of the 7 trials the analyses use", "the trial the
    analyses use", or, where some are judged, "2 of the 7 trials the analyses use (A; B)"."""
    used = used_studies(ctx)
    bare = unjudged_used(ctx)
    if not bare:
        return ""
    n = len(used)
    unit = _unit(used, n)
    if len(bare) == n:
        return (f"the {unit} the analyses use" if n == 1 else
                f"either of the 2 {unit} the analyses use" if n == 2 else f"any of the {n} {unit} the analyses use")
    return f"{len(bare)} of the {n} {unit} the analyses use ({_named(d['study']['label'] for d in bare)})"


def not_assessed_said(ctx: ReportContext) -> str:
    """Plain text, "" where every study the analyses use is judged or none is used:
    "risk of bias was not assessed for any of the 7 trials the analyses use: the risk of
    bias of every result here, pooled or from one study, is therefore unknown, and ...",
    or, where some are judged, "risk of bias was not assessed for 2 of the 7 trials the
    analyses use (A; B): the risk of bias of the results that rest on them is ..."
    (:func:`not_assessed_which`, :func:`not_assessed_meaning`).

    "No risk-of-bias judgement is recorded" read as data missing from a table, not as a
    limit of the review: the reader was not told that the results carry a risk of bias
    no one has judged.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> doc = lambda sid, rob: {"study": {"study_id": sid, "label": sid, "role": "trial"}, "risk_of_bias": rob}
    >>> ctx = NS(analyses=[{"studies": [{"study_id": "A"}, {"study_id": "B"}]}], config={"analyses": []},
    ...          normalised=[doc("A", []), doc("B", [{"judgement": "low"}])], _memo={})
    >>> not_assessed_said(ctx)[:96]
    'risk of bias was not assessed for 1 of the 2 trials the analyses use (A): the risk of bias of th'
    """
    which = not_assessed_which(ctx)
    if not which:
        return ""
    every = len(unjudged_used(ctx)) == len(used_studies(ctx))
    return f"risk of bias was not assessed for {which}: {not_assessed_meaning(ctx, every=every)}"


def grade_unratable_said(ctx: ReportContext) -> bool:
    """Whether :func:`not_assessed_said` says that the certainty of the evidence (GRADE)
    "cannot be rated for any result": no study the analyses use is judged for risk of
    bias, and the team rates no analysis's certainty. Then a count of the analyses rated
    ("rated for 0 of 9 analyses with an effect") repeats it and is not given."""
    return bool(not_assessed_which(ctx)) and len(unjudged_used(ctx)) == len(used_studies(ctx)) \
        and not any_judgement(ctx)


def not_assessed_meaning(ctx: ReportContext, *, every: bool) -> str:
    """What an unjudged risk of bias means for the results resting on those studies
    (plain text), for all of them (``every``) or some: "the risk of bias of every result
    here, pooled or from one study, is therefore unknown, and without it the certainty of
    the evidence (GRADE), which starts from risk of bias, cannot be rated for any
    result"; where the team rates the certainty of some analyses, that its rating of risk
    of bias rests on no judgement recorded for them, as the certainty table notes beside
    a rating down.

    "A risk of bias that is unknown, neither low nor high" read as RoB 2's "some
    concerns", a judgement, where none was made; and "cannot be rated on its risk-of-bias
    domain" implied that the other domains could be: GRADE starts from risk of bias, and
    with no judgement of it no level of certainty is given at all (Guyatt et al. 2011).
    """
    whose = ("the risk of bias of every result here, pooled or from one study, is" if every else
             "the risk of bias of the results that rest on them is")
    if any_judgement(ctx):
        grade = ("and where the team rates the certainty of the evidence (GRADE), its rating of risk of bias rests on "
                 f"no judgement recorded for {'any study' if every else 'them'}")
    else:
        grade = ("and without it the certainty of the evidence (GRADE), which starts from risk of bias, cannot be "
                 f"rated for {'any result' if every else 'them'}")
    return f"{whose} therefore unknown, {grade}"


def unblinded_analyses(ctx: ReportContext) -> dict[str, list[str]]:
    """The analyses with a study effect whose comparator groups controls alone, by the
    comparator's label, as :func:`unblinded_said` counts them."""
    from metareview.report.overview import _node_roles

    roles = _node_roles(ctx)
    found: dict[str, list[str]] = {}
    for r in ctx.analyses:
        a = r["analysis"]
        if r["studies"] and roles.get(a["comparator_label"]) == {"control"}:
            found.setdefault(a["comparator_label"], []).append(a["id"])
    return found


def unblinded_said(ctx: ReportContext) -> str:
    """What the risk of bias section says of the comparisons whose participants could
    not be blinded to their treatment (plain text), or "" where there are none: "In the
    comparisons against usual care and against no treatment (2 analyses with a study
    effect), participants could not be blinded to their treatment, as the comparator is
    usual care or no treatment: for outcomes participants report themselves,
    such comparisons are at risk of bias in the measurement of the outcome (RoB 2,
    domain 4: Sterne et al. 2019), even before any formal risk-of-bias assessment."

    The comparisons are those of the analyses with a study effect whose comparator
    groups controls alone (``role`` control in ``treatments.csv``: no treatment, a
    waiting list, usual care), as the summary says beside them
    (:func:`~metareview.report.overview._unblinded_note`). "Risk of bias unknown" alone
    left a known bias unsaid. What the design implies, not what a trial reported:
    "participants knew which treatment they had" read as a fact the data recorded.
    """
    found = unblinded_analyses(ctx)
    if not found:
        return ""
    k = sum(len(ids) for ids in found.values())
    against = join_list([f"against {in_sentence(label, _names(ctx))}" for label in found], "and")
    comparators = join_list([in_sentence(label, _names(ctx)) for label in found], "or")
    return (f"In the comparisons {against} ({k} {'analysis' if k == 1 else 'analyses'} with a study effect), "
            f"participants could not be blinded to their treatment, as the comparator is {comparators}: for "
            "outcomes participants report "
            f"themselves, {'this comparison is' if k == 1 and len(found) == 1 else 'such comparisons are'} at risk of "
            "bias in the measurement of the outcome (RoB 2, domain 4: Sterne et al. 2019), even before any formal "
            "risk-of-bias assessment.")


def missing_results(ctx: ReportContext) -> dict[str, Any]:
    """What the data show of results missing from the analyses (by study id, each list in
    label order, and by analysis id):

    - ``p_only``: the trials an analysis set aside for giving its comparison only as a
      p-value where nothing else keeps the result out (:func:`p_value_alone_refs`: not
      every trial the table of trials set aside lists with that reason), each with the
      analyses;
    - ``words``: the trials whose only result on an analysis's comparison and outcome is
      in words (:func:`~metareview.report.overview.words_only_trials`), each with the
      analyses;
    - ``empty``: the trials of an analysed comparison with no result rows at all (the
      flow of studies' group);
    - ``untested``: the analyses with a study effect and fewer studies than their
      ``small_study_min``, for which no small-study test was run, and ``min``, the fewest
      it needs (the analyses' own, the config's where they differ: the largest).

    A result known only by a p-value or words gives a pooled estimate no weight; which
    way such results point is :func:`missing_directions`'.
    """
    return dict(_memo(ctx, "missing_results", lambda: _missing_results(ctx)))


def p_value_rows(ctx: ReportContext) -> dict[str, Mapping[str, Any]]:
    """The rows of ``contrasts.csv`` that give only a p-value (``measure`` p_only), by ref."""
    return dict(_memo(ctx, "p_value_rows", lambda: {str(c["ref"]): c for d in ctx.normalised
                                                     for c in d.get("contrasts") or [] if c.get("measure") == "p_only"}))


def p_value_alone_refs(ctx: ReportContext, r: Mapping[str, Any], e: Mapping[str, Any]) -> list[str] | None:
    """The rows analysis ``r``'s ``excluded`` entry ``e`` sets aside for giving only a
    p-value where nothing else keeps them out, or None where it sets aside no result for
    that alone: the p-value is not among the reasons that bind (those of ``also`` apply
    to rows an other reason keeps out), or every row giving only a p-value is of a
    timepoint outside the analysis's window. An entry whose rows are not in the
    normalised data is read from its reasons alone (its list empty).

    Mahmoudzadeh 2016, set aside for its add-on design "also" for giving only a p-value,
    was counted among the results missing for lack of numbers: with the numbers it
    would still enter no analysis. The table of trials set aside and the limitations'
    count of reasons list every reason (:func:`~metareview.report.aside.entry_reasons`).

    >>> from types import SimpleNamespace as NS
    >>> c = lambda ref, weeks, windows: {"ref": ref, "measure": "p_only", "timepoint_weeks": weeks, "windows": windows}
    >>> ctx = NS(normalised=[{"contrasts": [c("x#1", 8.0, {"short": 2.0}), c("x#2", 48.0, {})]}], _memo={})
    >>> r = {"analysis": {"window": "short"}}
    >>> e = {"reasons": [{"reason": P_ONLY_REASON}], "refs": ["x#1", "x#2"]}
    >>> p_value_alone_refs(ctx, r, e), p_value_alone_refs(ctx, r, {**e, "refs": ["x#2"]})
    (['x#1'], None)
    >>> p_value_alone_refs(ctx, r, {"reasons": [{"reason": "add-on"}], "also": [P_ONLY_REASON], "refs": ["x#1"]})
    """
    binding = [str(x.get("reason")).strip() for x in e.get("reasons") or []] or [str(e.get("reason") or "").strip()]
    if P_ONLY_REASON not in binding:
        return None
    rows = p_value_rows(ctx)
    refs = [str(ref) for ref in e.get("refs") or [] if str(ref) in rows]
    if not refs:
        return []
    window = r["analysis"].get("window")
    # A timepoint not known is no reason of its own: the row would have entered.
    inside = [ref for ref in refs if rows[ref].get("timepoint_weeks") is None or window is None
              or window in (rows[ref].get("windows") or {})]
    return inside or None


def _missing_results(ctx: ReportContext) -> dict[str, Any]:
    labels = {d["study"]["study_id"]: d["study"]["label"] for d in ctx.normalised}
    p_only: dict[str, list[str]] = {}
    words: dict[str, list[str]] = {}
    for r in ctx.analyses:
        aid = r["analysis"]["id"]
        for e in r.get("excluded") or []:
            if p_value_alone_refs(ctx, r, e) is not None:
                p_only.setdefault(e["study_id"], []).append(aid)
                labels.setdefault(e["study_id"], e.get("label") or e["study_id"])
        for t in words_only_trials(ctx, r):
            words.setdefault(t["study_id"], []).append(aid)
    with_effect = [r for r in ctx.analyses if r["studies"]]
    untested = [r["analysis"]["id"] for r in with_effect if len(r["studies"]) < _small_study_min(ctx, r)]

    def by_label(found: Mapping[str, list[str]]) -> list[dict[str, Any]]:
        return sorted(({"study_id": sid, "label": labels.get(sid, sid), "analyses": aids} for sid, aids in found.items()),
                      key=lambda x: x["label"])

    return {"p_only": by_label(p_only), "words": by_label(words),
            "empty": [{"study_id": sid, "label": labels.get(sid, sid), "analyses": []}
                      for sid in study_flow(ctx)["trials"]["empty"]],
            "untested": untested, "with_effect": [r["analysis"]["id"] for r in with_effect],
            "min": max((_small_study_min(ctx, r) for r in with_effect), default=_small_study_min(ctx, None))}


def _small_study_min(ctx: ReportContext, r: Mapping[str, Any] | None) -> int:
    """The fewest studies analysis ``r`` runs the small-study test on: its results' own,
    else the config's ``methods.small_study_min`` (10 by default, Sterne et al. 2011)."""
    if r is not None and r.get("small_study_min") is not None:
        return int(r["small_study_min"])
    return int(ctx.config.get("methods", {}).get("small_study_min", 10))


#: The findings of the results missing from the analyses (:func:`missing_directions`), in
#: the order the limitations count them, each with its words for one trial and several.
FINDINGS = (("intervention", "reports a statistically significant difference favouring the intervention",
             "report a statistically significant difference favouring the intervention"),
            ("comparator", "reports a statistically significant difference favouring the comparator",
             "report a statistically significant difference favouring the comparator"),
            ("null", "reports no difference, or one not statistically significant",
             "report no difference, or one not statistically significant"),
            ("untested", "reports a direction not statistically significant in every result, or with no test",
             "report a direction not statistically significant in every result, or with no test"),
            ("mixed", "reports results that differ in direction", "report results that differ in direction"),
            ("shared", ("reports only a test of several arms together against the comparator, no direction of any "
                        "one arm"),
             ("report only a test of several arms together against the comparator, no direction of any one "
              "arm")),
            ("unsaid", "does not say which way the groups differed", "do not say which way the groups differed"))

#: The findings that say no direction of the intervention against the comparator: those
#: that say how the groups compared, which "most" is taken of, are the others.
UNDIRECTED_FINDINGS = ("shared", "unsaid")


def _finding(sides: Sequence[tuple[str, bool | None]], stated: Sequence[str]) -> str:
    """One missing result's finding (a key of :data:`FINDINGS`) from the side and
    clearness of each row of it (:func:`~metareview.report.aside._reported_side`, "none"
    for a row finding no difference), else from what its statements in words find
    ("no difference", "a difference favouring ...", or neither).

    A side is "statistically significant" only where every row of it is, by its own test
    or interval; a row with no difference, or not significant, is ``null`` with the rest.

    >>> _finding([("intervention", True), ("intervention", True)], [])
    'intervention'
    >>> _finding([("none", None), ("intervention", False)], [])
    'null'
    >>> _finding([("intervention", True), ("intervention", False)], [])
    'untested'
    >>> _finding([], ["no difference"]), _finding([], ["a difference favouring X"]), _finding([], [])
    ('null', 'untested', 'unsaid')
    """
    if sides:
        favoured = {side for side, _ in sides if side != "none"}
        if len(favoured) > 1:
            return "mixed"
        if favoured and all(clear is True for _, clear in sides):
            return favoured.pop()
        if all(side == "none" or clear is False for side, clear in sides):
            return "null"
        return "untested"
    if stated and all(x == "no difference" for x in stated):
        return "null"
    favoured_words = {x for x in stated if x.startswith("a difference favouring ")}
    if favoured_words and all(x in favoured_words for x in stated):
        return "untested" if len(favoured_words) == 1 else "mixed"
    return "unsaid"


def missing_directions(ctx: ReportContext) -> dict[str, list[dict[str, Any]]]:
    """Which way the results missing from the analyses went (:func:`missing_results`'
    ``p_only`` and ``words`` trials; those with no result rows say nothing), by finding
    (a key of :data:`FINDINGS`), each trial once with its ``study_id``, ``label``,
    ``refs`` (the rows read), ``analyses`` and ``intervention`` (the labels of its
    analyses' interventions), in label order.

    A trial given only as a p-value is read as the summary reads the trials set aside
    (:func:`~metareview.report.aside._aside_trials`): its rows of each analysis it is
    missing from, else its one test of several arms together (Cherkin 2009's needling
    arms against usual care, p < 0.001: ``shared``, no direction of any one arm, as the
    summary reads it), else its statements in words; one known only by words, by what
    its statements find
    (:func:`~metareview.report.overview.words_only_trials`).

    Which way they point says which way their absence could move the estimates: results
    are more often left out when they are not statistically significant (Cochrane
    Handbook chapter 13), but where most of those missing here are significant and
    favour the intervention, leaving them out would pull toward no difference.
    """
    return dict(_memo(ctx, "missing_directions", lambda: _missing_directions(ctx)))


def _sides_named(by_id: Mapping[str, Mapping[str, Any]], aids: Sequence[str]) -> dict[str, list[str]]:
    """The labels of the interventions and of the comparators of analyses ``aids``, each
    once: what "favouring the intervention" names."""
    return {side: list(dict.fromkeys(by_id[aid]["analysis"][f"{side}_label"] for aid in aids))
            for side in ("intervention", "comparator")}


def _p_only_finding(ctx: ReportContext, by_id: Mapping[str, Mapping[str, Any]], sid: str,
                    aids: Sequence[str]) -> tuple[str, list[str]] | None:
    """The finding (a key of :data:`FINDINGS`) and the rows read of trial ``sid``'s
    results given only as a p-value in analyses ``aids``, or None where those analyses
    set none of its rows aside, as :func:`missing_directions` reads them."""
    from metareview.report.aside import _aside_trials

    # Each analysis with this trial's entry alone: the others it sets aside are not
    # what is counted here.
    rs = [{**by_id[aid], "excluded": [e for e in by_id[aid].get("excluded") or [] if e["study_id"] == sid]}
          for aid in aids]
    t = _aside_trials(ctx, rs).get(sid)
    if t is None:
        return None
    sides = [(side, clear) for side, clear, *_ in t["rows"].values()]
    # The rows read: those that give a side, else its test of several arms together,
    # else its p-value rows that give none (Cho 2013's).
    p_rows = p_value_rows(ctx)
    refs = list(t["rows"]) or list(t["shared_sides"]) or [
        ref for e in (e for r in rs for e in r["excluded"]) for ref in e.get("refs") or [] if ref in p_rows]
    # A trial whose only result is one test of several arms together (Cherkin 2009's
    # needling arms against usual care) gives no direction of any one arm, as the
    # summary and the results read it; its statements in words carry that test's
    # words, so are no direction either. Counted among those favouring the
    # intervention, it made the limitations' "5 of 8" disagree with the summary's 4.
    key = "shared" if not sides and t["shared_sides"] else _finding(sides, t["stated"])
    return key, list(dict.fromkeys(refs))


def _missing_directions(ctx: ReportContext) -> dict[str, list[dict[str, Any]]]:
    by_id = {r["analysis"]["id"]: r for r in ctx.analyses}
    found = missing_results(ctx)
    out: dict[str, list[dict[str, Any]]] = {key: [] for key, _, _ in FINDINGS}
    seen: set[str] = set()
    for x in found["p_only"]:
        sid = x["study_id"]
        got = _p_only_finding(ctx, by_id, sid, x["analyses"])
        if got is None:
            continue
        key, refs = got
        out[key].append({"study_id": sid, "label": x["label"], "refs": refs,
                         "analyses": x["analyses"], **_sides_named(by_id, x["analyses"])})
        seen.add(sid)
    words: dict[str, dict[str, Any]] = {}
    for r in ctx.analyses:
        for t in words_only_trials(ctx, r):
            if t["study_id"] in seen:
                continue
            one = words.setdefault(t["study_id"], {"study_id": t["study_id"], "label": t["label"], "refs": [],
                                                   "analyses": [], "stated": []})
            one["refs"] += [ref for ref in t.get("refs") or [] if ref not in one["refs"]]
            one["analyses"].append(r["analysis"]["id"])
            one["stated"] += [x for x in t["stated"] if x not in one["stated"]]
    for one in words.values():
        stated = one.pop("stated")
        out[_finding([], stated)].append({**one, "shared": False, **_sides_named(by_id, one["analyses"])})
    return {key: sorted(xs, key=lambda x: x["label"]) for key, xs in out.items()}


def estimate_side(r: Mapping[str, Any]) -> str | None:
    """The side analysis ``r``'s estimate lies on, by its point: "intervention" or
    "comparator", its pooled estimate's, else its one study's effect; None where it has
    neither (several studies not pooled, or none) or the point is no difference."""
    pooled = r.get("pooled") or {}
    studies = r.get("studies") or []
    est = pooled.get("estimate") if pooled.get("estimate") is not None else (
        studies[0].get("yi") if len(studies) == 1 else None)
    if est is None or float(est) == 0:
        return None
    return "intervention" if favours_intervention(r["analysis"], float(est)) else "comparator"


def missing_by_analysis(ctx: ReportContext) -> dict[str, list[dict[str, Any]]]:
    """The missing results (:func:`missing_results`' ``p_only`` and ``words``) that bear
    on each analysis with a study effect, by analysis id in the results' order, each
    trial once with its ``study_id``, ``label``, ``refs`` and its ``finding`` (a key of
    :data:`FINDINGS`) read from its rows of that analysis alone, in label order;
    analyses none bears on are left out.

    Only an analysis with an estimate can be pulled by a result left out of it: a
    trial's results read over all its analyses (Molsberger 2002's against sham and
    against usual care, the second with no estimate at all) said "may pull the review's
    estimates toward no difference" of analyses with nothing to pull.
    """
    return dict(_memo(ctx, "missing_by_analysis", lambda: _missing_by_analysis(ctx)))


def _missing_by_analysis(ctx: ReportContext) -> dict[str, list[dict[str, Any]]]:
    by_id = {r["analysis"]["id"]: r for r in ctx.analyses}
    found = missing_results(ctx)
    out: dict[str, list[dict[str, Any]]] = {}
    for r in ctx.analyses:
        if not r["studies"]:
            continue
        aid = r["analysis"]["id"]
        xs: dict[str, dict[str, Any]] = {}
        for x in found["p_only"]:
            if aid in x["analyses"] and (got := _p_only_finding(ctx, by_id, x["study_id"], [aid])) is not None:
                xs[x["study_id"]] = {"study_id": x["study_id"], "label": x["label"], "refs": got[1],
                                     "finding": got[0]}
        for t in words_only_trials(ctx, r):
            xs.setdefault(t["study_id"], {"study_id": t["study_id"], "label": t["label"],
                                          "refs": list(t.get("refs") or []), "finding": _finding([], t["stated"])})
        if xs:
            out[aid] = sorted(xs.values(), key=lambda x: x["label"])
    return out


#: A missing result's finding as the limitations give it beside its trial, by key of
#: :data:`FINDINGS` ("intervention" and "comparator" take the treatment's name).
_FINDING_SHORT = {"intervention": "a statistically significant difference favouring {intervention}",
                  "comparator": "a statistically significant difference favouring {comparator}",
                  "null": "no difference, or one not statistically significant",
                  "untested": "a direction not statistically significant in every result, or with no test",
                  "mixed": "results that differ in direction",
                  "shared": "only a test of several arms together",
                  "unsaid": "which way not said"}


def missing_pull(r: Mapping[str, Any], findings: Sequence[str]) -> str:
    """Which way the missing results of ``findings`` could move analysis ``r``'s
    estimate (:func:`estimate_side`): "stay" where each is a statistically significant
    difference on the side the estimate already lies on (a weighted mean of effects on
    one side stays on it, larger or smaller by sizes not reported), "intervention" or
    "comparator" where each is one on the other side, and "" where they point different
    ways, not significantly, or nowhere: no direction can be said."""
    sides = set(findings)
    if len(sides) != 1 or not sides <= {"intervention", "comparator"}:
        return ""
    side, at = sides.pop(), estimate_side(r)
    if at is None:
        return ""
    return "stay" if side == at else side


def missing_direction_said(ctx: ReportContext) -> str:
    """Which way the results missing from the analyses point and what that could mean
    for the estimates (plain text), or "" where none is missing: "Of the 10 trials whose
    results are given only as a p-value or in words, 4 report a statistically
    significant difference favouring the intervention, acupuncture or dry needling (A;
    B; ...); ...; 1 reports only a test of several arms together against the comparator, no
    direction of any one arm (C); ... . Results are more often given without numbers, or
    left out, when they are not statistically significant (...), but a result left out
    can move only an estimate it would have entered. Here, of the 9 analyses with a study
    effect, 2 lack one or more such results. Missing from ... (:func:`_pulls_said`). For the rest, ...: for these,
    which way the review's estimates could be biased cannot be judged. Whether missing
    results biased any estimate cannot be told."

    The tally says which way the missing results point; which way their absence could
    move an estimate is said only of the analyses that have one, each from the results
    missing from it. "Most of those that say how the groups compared (4 of 7) report a
    statistically significant difference favouring the intervention: leaving them out may
    pull the review's estimates toward no difference" was drawn from trials of which
    several bear only on analyses with no estimate, beside others never seen at all,
    which could point either way. A trial that reports only a test of several arms
    together says no direction of any one arm.
    """
    groups = missing_directions(ctx)
    n = sum(len(xs) for xs in groups.values())
    if not n:
        return ""
    found = missing_results(ctx)
    parts = []
    for key, one, several in FINDINGS:
        xs = groups[key]
        if not xs:
            continue
        what = one if len(xs) == 1 and n > 1 else several if n > 1 else one
        if key in ("intervention", "comparator"):
            side = "intervention" if key == "intervention" else "comparator"
            named = list(dict.fromkeys(in_sentence(label, _names(ctx)) for x in xs for label in x[side]))
            what += f", {join_list(named, 'or')}"
        parts.append(f"{'' if n == 1 else f'{len(xs)} '}{what} ({_named(x['label'] for x in xs)})")
    given = join_list([what for key, what in (("p_only", "as a p-value"), ("words", "in words")) if found[key]], "or")
    if n == 1:
        counted = f"That trial {parts[0]}."
    else:
        listed = parts[0] if len(parts) == 1 else "; ".join(parts[:-1]) + "; and " + parts[-1]
        counted = f"Of the {n} trials whose results are given only {given}, {listed}."
    general = ("Results are more often given without numbers, or left out, when they are not statistically "
               f"significant ({MISSING_RESULTS_SOURCE}), but a result left out can move only an estimate it would "
               "have entered")
    return f"{counted} {general}{_pulls_said(ctx)} Whether missing results biased any estimate cannot be told."


def _pulls_said(ctx: ReportContext) -> str:
    """The limitations' words, after "a result left out can move only an estimate it
    would have entered", on each analysis with a study effect that missing results bear
    on (:func:`missing_by_analysis`): its estimate's side, the trials missing from it
    each with its finding, and which way they could move it (:func:`missing_pull`); then
    that for the rest (results missing from analyses with no study effect, trials with
    no result rows, results never found) no direction can be judged."""
    from metareview.report.keys import analysis_names

    by_id = {r["analysis"]["id"]: r for r in ctx.analyses}
    pulled = missing_by_analysis(ctx)
    found = missing_results(ctx)
    names, proper = analysis_names(ctx), _names(ctx)
    with_effect = found["with_effect"]
    clauses = []
    for aid, xs in pulled.items():
        r = by_id[aid]
        a = r["analysis"]
        label = {side: in_sentence(a[f"{side}_label"], proper) for side in ("intervention", "comparator")}
        at = estimate_side(r)
        whose = f", whose point estimate favours {label[at]}," if at else ""
        lacks = join_list([f"of {in_brackets(x['label'])} ({_FINDING_SHORT[x['finding']].format(**label)})"
                           for x in xs], "and")
        one = len(xs) == 1
        pull = missing_pull(r, [x["finding"] for x in xs])
        said = (f"with {'it' if one else 'them'} the estimate would still favour {label[at or 'intervention']}, "
                f"larger or smaller by {'an effect size' if one else 'effect sizes'} not reported" if pull == "stay"
                else f"{'it' if one else 'they'} would move the estimate toward favouring {label[pull]}" if pull
                else f"which way {'it' if one else 'they'} would move the estimate cannot be told")
        clauses.append(f"Missing from {names[aid]}{whose} {'is the result' if one else 'are the results'} "
                       f"{lacks}: {said}.")
    k = len(with_effect)
    if clauses:
        of = ("the review's one analysis with a study effect lacks" if k == 1 else
              f"{len(clauses)} of the {k} analyses with a study effect lack{'s' if len(clauses) == 1 else ''}")
        said = f". Here, {of} one or more such results. " + " ".join(clauses)
    else:
        said = (". None of them bears on an analysis with a study effect." if with_effect else
                ". No analysis here has a study effect for them to move.")
    # The rest: results of analyses with no estimate, and trials with no result at all.
    rest = [x["label"] for key in ("p_only", "words") for x in found[key]
            if any(not by_id[aid]["studies"] for aid in x["analyses"])]
    # A trial just named as missing from an analysis with an estimate is not named again:
    # listed twice, it read as two trials, or as a second finding of the same one.
    named_above = {x["label"] for xs in pulled.values() for x in xs}
    new = sorted(set(rest) - named_above)
    also = ("other results of the trials just named" if set(rest) & named_above else "")
    listed = "; ".join([_named(new)] if new else []) + ("; and " if new and also else "") + also
    empty = [x["label"] for x in found["empty"]]
    parts = []
    if rest:
        parts.append(f"the results missing from the analyses with no usable trial ({listed}) have no "
                     "estimate to move")
    parts.append(("of the trial with no result rows" if len(empty) == 1 else
                  f"of the {len(empty)} trials with no result rows" if empty else "")
                 + (f" ({_named(empty)})" if empty else "")
                 + (", as of " if empty else "of ") + "any trial whose results were never published or never found, "
                 "not even the direction is known")
    rest_said = " For the rest, " + "; and ".join(parts) + (
        ": for these, which way the review's estimates could be biased cannot be judged.")
    return said + rest_said


def full_reports_unread(ctx: ReportContext) -> tuple[list[str], list[str]]:
    """The ids of the trials given only as a p-value or in words (:func:`missing_results`)
    and of those of them none of whose sources (``sources.csv``) is of kind
    ``trial_report``: what :func:`_full_reports_read` counts."""
    found = missing_results(ctx)
    ids = list(dict.fromkeys(x["study_id"] for key in ("p_only", "words") for x in found[key]))
    docs = {d["study"]["study_id"]: d for d in ctx.normalised}
    unread = [sid for sid in ids if not any(x.get("kind") == "trial_report"
                                            for x in (docs.get(sid) or {}).get("sources") or [])]
    return ids, unread


def _full_reports_read(ctx: ReportContext) -> str:
    """" (for 10 of these 11 trials no full report was read here)" after the limitations'
    word that a trial's full report may hold the numbers its documents lack: the trials
    given only as a p-value or in words none of whose sources (``sources.csv``) is of kind
    ``trial_report``; "" where every one has one read."""
    ids, unread = full_reports_unread(ctx)
    if not unread:
        return ""
    n = len(ids)
    return (" (for this trial no full report was read here)" if n == 1 else
            f" (for none of these {n} trials was a full report read here)" if len(unread) == n else
            f" (for {len(unread)} of these {n} trials no full report was read here)")


def missing_results_said(ctx: ReportContext) -> str:
    """The limitations' words on bias due to missing results (plain text), or "" where
    the analyses lack nothing the data show and every analysis with a study effect was
    tested for small-study effects: how many trials of the analysed comparisons have a
    result given, in the documents read here, only as a p-value, only in words or not at
    all, each named (one with no result rows with the team's reason, where it gives one:
    :func:`~metareview.report.flow.results_missing_reason`), and that the trials' full reports may hold the numbers; which way
    those results point and what that could mean for the estimates
    (:func:`missing_direction_said`); and for how many analyses the small-study test was
    not run (last).

    "7 give a result only as a p-value" read as the trials' own reporting, where the gap
    is often in the documents read here (abstracts, extraction sheets, stored excerpts):
    Cherkin 2009's full report gives its pain results in numbers.
    """
    found = missing_results(ctx)
    parts: list[str] = []
    for key, what in (("p_only", "only as a p-value, with no effect size"), ("words", "only in words")):
        xs = found[key]
        if xs:
            who = f"{len(xs)} {'trial' if len(xs) == 1 else 'trials'}"
            # Only the results nothing else keeps out are counted here, where the count of
            # reasons under Trials set aside counts every trial listing the p-value.
            which = " that nothing else keeps out of its analysis" if key == "p_only" else ""
            whose = "\u2019s" if len(xs) == 1 else "\u2019"
            parts.append(f"{who}{whose} results on an analysed comparison{which} "
                         f"are given, in the documents read here, {what}" if not parts else
                         f"those of {who} {what}")
            parts[-1] += f" ({_named(x['label'] for x in xs)})"
    empty = found["empty"]
    if empty:
        # Each with why, where the team says it, as the list of trials set aside gives it.
        named = "; ".join(in_brackets(x["label"]) + (f": {in_brackets(why)}" if (why := results_missing_reason(
            ctx, x["study_id"])) else "") for x in empty)
        parts.append(f"{len(empty)} {'trial' if len(empty) == 1 else 'trials'} of the analysed comparisons "
                     f"{'has' if len(empty) == 1 else 'have'} no result rows entered ({named})")
    untested, with_effect, least = found["untested"], found["with_effect"], found["min"]
    k = len(untested)
    test = ("" if not untested else
            f"The small-study test, which can point to {'such bias' if parts else 'bias due to missing results'}, "
            "was not run for "
            + ("the review's one analysis with a study effect" if len(with_effect) == 1 else
               "either of the 2 analyses with a study effect" if k == len(with_effect) == 2 else
               f"any of the {k} analyses with a study effect" if k == len(with_effect) else
               f"{k} of the {len(with_effect)} analyses with a study effect")
            + f": {'it has' if k == 1 else 'each has'} fewer than the {least} studies the test needs.")
    ran = _small_study_found(ctx)
    if ran:
        ran = (f"Where it ran, it {ran}" if test else
               f"The small-study test, which can point to {'such bias' if parts else 'bias due to missing results'}, "
               f"{ran}")
    if not parts and not test and not ran:
        return ""
    counted = ""
    if parts:
        listed = parts[0] if len(parts) == 1 else "; ".join(parts[:-1]) + "; and " + parts[-1]
        given = [what for key, what in (("p_only", "as a p-value"), ("words", "in words")) if found[key]]
        counted = (f"{listed}. A result given only {' or '.join(given)} cannot enter an analysis" if given else
                   f"{listed}. A result not entered cannot enter an analysis")
        counted += (", nor can one not entered" if given and empty else "") + "."
        if given:
            # A gap in what was read here, not necessarily in the trials' reporting.
            counted += (" These are gaps in the documents read here, not necessarily in the trials' own reporting: "
                        "a trial's full report may hold the numbers" + _full_reports_read(ctx)
                        + ".")
    direction = missing_direction_said(ctx) if parts else ""
    why = (f"Results missing from the analyses can bias the review's estimates ({MISSING_RESULTS_SOURCE})."
           if counted and not direction else "")
    # What can be said of bias before the test that could show it, which reads as one
    # more thing missing.
    return " ".join(x for x in (counted, why, direction, test, ran) if x)


def _small_study_found(ctx: ReportContext) -> str:
    """What the small-study test found where it ran, for the limitations (plain text,
    after "it"), or "": "found asymmetry for Acupuncture vs Sham acupuncture
    (back-specific disability), the less precise trials more favourable to acupuncture,
    a reason for caution: that pooled estimate may be too favourable to acupuncture, and
    results missing for their size or direction are one cause it may have (Sterne et al.
    2011)"; then the analyses where it found none.

    "Not run for 2 of the 3 analyses" said nothing of the third, whose test found
    asymmetry (p < 0.001): the one result of the test was in the analysis's section only.
    """
    from metareview.report.keys import analysis_names

    names = analysis_names(ctx)
    found, clean = [], []
    for r in ctx.analyses:
        if not (r.get("pooled") or {}).get("regtest"):
            continue
        favoured = asymmetry_favours(r)
        if favoured is None:
            clean.append(names[r["analysis"]["id"]])
            continue
        who = in_sentence(favoured, _names(ctx))
        found.append(f"found asymmetry for {names[r['analysis']['id']]}, the less precise trials more favourable to "
                     f"{who}{sample_size_check(r)}, a reason for caution: that pooled estimate may be too favourable to "
                     f"{who}, and results "
                     "missing for their size or direction are one cause it may have (Sterne et al. 2011)")
    if clean:
        found.append(f"found no sign of asymmetry for {join_list(clean)}, which does not rule it out")
    return ("; it ".join(found) + ".") if found else ""
