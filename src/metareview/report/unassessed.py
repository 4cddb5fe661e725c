"""What the review could not assess in its own evidence, as the methods, the risk of bias
section and the limitations say it:

- the risk of bias of the studies its results rest on, where ``risk_of_bias.csv`` holds
  no judgement of them (:func:`unjudged_used`, :func:`not_assessed_said`): not a gap in
  the data to pass over but a limit of the review, which leaves the risk of bias of
  those results unknown (PRISMA 2020 items 11 and 18; Page et al. 2021);
- the results missing from its analyses (:func:`missing_results`,
  :func:`missing_results_said`): trials of an analysed comparison whose result is given
  only as a p-value or only in words, or not entered at all, and the analyses too small
  for the small-study test. A result reported, or left out, for its significance can
  bias a pooled estimate (Cochrane Handbook chapter 13; PRISMA 2020 items 14 and 21):
  the report counts what the data show and claims no bias it cannot see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from metareview.fmt import P_ONLY_REASON, in_brackets
from metareview.report.base import ReportContext, _memo, any_judgement
from metareview.report.flow import study_flow
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
    "risk of bias was not assessed for any of the 7 trials the analyses use: every result
    here ... carries a risk of bias that is unknown ...", or, where some are judged,
    "risk of bias was not assessed for 2 of the 7 trials the analyses use (A; B): the
    results that rest on them carry ..." (:func:`not_assessed_which`,
    :func:`not_assessed_meaning`).

    "No risk-of-bias judgement is recorded" read as data missing from a table, not as a
    limit of the review: the reader was not told that the results carry a risk of bias
    no one has judged.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> doc = lambda sid, rob: {"study": {"study_id": sid, "label": sid, "role": "trial"}, "risk_of_bias": rob}
    >>> ctx = NS(analyses=[{"studies": [{"study_id": "A"}, {"study_id": "B"}]}], config={"analyses": []},
    ...          normalised=[doc("A", []), doc("B", [{"judgement": "low"}])], _memo={})
    >>> not_assessed_said(ctx)[:89]
    'risk of bias was not assessed for 1 of the 2 trials the analyses use (A): the results tha'
    """
    which = not_assessed_which(ctx)
    if not which:
        return ""
    every = len(unjudged_used(ctx)) == len(used_studies(ctx))
    return f"risk of bias was not assessed for {which}: {not_assessed_meaning(ctx, every=every)}"


def not_assessed_meaning(ctx: ReportContext, *, every: bool) -> str:
    """What an unjudged risk of bias means for the results resting on those studies
    (plain text), for all of them (``every``) or some: unknown, not low; and for GRADE,
    whose first domain is risk of bias, either that it cannot be rated there (no analysis
    is graded) or that the team's rating of it rests on no judgement recorded for them,
    as the certainty table notes beside a rating down."""
    whose = ("every result here, pooled or from one study, carries" if every else
             "the results that rest on them carry")
    if any_judgement(ctx):
        grade = ("and where the team rates the certainty of the evidence (GRADE), its rating of risk of bias rests on "
                 f"no judgement recorded for {'any study' if every else 'them'}")
    else:
        grade = ("and the certainty of the evidence (GRADE) cannot be rated on its risk-of-bias domain for "
                 f"{'any result' if every else 'them'}")
    return f"{whose} a risk of bias that is unknown, neither low nor high, {grade}"


def missing_results(ctx: ReportContext) -> dict[str, Any]:
    """What the data show of results missing from the analyses (by study id, each list in
    label order, and by analysis id):

    - ``p_only``: the trials an analysis set aside for giving its comparison only as a
      p-value (:data:`~metareview.fmt.P_ONLY_REASON` among the reasons that bind, as the
      limitations count reasons), each with the analyses;
    - ``words``: the trials whose only result on an analysis's comparison and outcome is
      in words (:func:`~metareview.report.overview.words_only_trials`), each with the
      analyses;
    - ``empty``: the trials of an analysed comparison with no result rows at all (the
      flow of studies' group);
    - ``untested``: the analyses with a study effect and fewer studies than their
      ``small_study_min``, for which no small-study test was run, and ``min``, the fewest
      it needs (the analyses' own, the config's where they differ: the largest).

    Results known only by their significance ("not statistically significant", p > 0.05)
    are those most likely to be missing for it, and give a pooled estimate no weight.
    """
    return dict(_memo(ctx, "missing_results", lambda: _missing_results(ctx)))


def _missing_results(ctx: ReportContext) -> dict[str, Any]:
    labels = {d["study"]["study_id"]: d["study"]["label"] for d in ctx.normalised}
    p_only: dict[str, list[str]] = {}
    words: dict[str, list[str]] = {}
    for r in ctx.analyses:
        aid = r["analysis"]["id"]
        for e in r.get("excluded") or []:
            binding = [x.get("reason") for x in e.get("reasons") or []] or [e.get("reason")]
            if P_ONLY_REASON in (str(x).strip() for x in binding if x):
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


def missing_results_said(ctx: ReportContext) -> str:
    """The limitations' words on bias due to missing results (plain text), or "" where
    the analyses lack nothing the data show and every analysis with a study effect was
    tested for small-study effects: how many trials of the analysed comparisons give a
    result only as a p-value, only in words or not at all, each named, and for how many
    analyses the small-study test was not run (last); between them, that such missing
    results can bias the estimates, and that the data cannot tell whether they did."""
    found = missing_results(ctx)
    parts: list[str] = []
    for key, what in (("p_only", "only as a p-value, with no effect size"), ("words", "only in words")):
        xs = found[key]
        if xs:
            parts.append(f"{len(xs)} {'gives' if len(xs) == 1 else 'give'} {'one' if parts else 'a result'} {what} "
                         f"({_named(x['label'] for x in xs)})")
    empty = found["empty"]
    if empty:
        parts.append(f"{len(empty)} {'has' if len(empty) == 1 else 'have'} no result rows entered "
                     f"({_named(x['label'] for x in empty)})")
    untested, with_effect, least = found["untested"], found["with_effect"], found["min"]
    k = len(untested)
    test = ("" if not untested else
            "The small-study test, which can point to such bias, was not run for "
            + ("the review's one analysis with a study effect" if len(with_effect) == 1 else
               f"any of the {k} analyses with a study effect" if k == len(with_effect) else
               f"{k} of the {len(with_effect)} analyses with a study effect")
            + f": {'it has' if k == 1 else 'each has'} fewer than the {least} studies the test needs.")
    if not parts and not test:
        return ""
    counted = ""
    if parts:
        listed = parts[0] if len(parts) == 1 else "; ".join(parts[:-1]) + "; and " + parts[-1]
        counted = f"of the trials of the analysed comparisons, {listed}."
    why = ("A result given only as a p-value or in words, or not entered, cannot enter an analysis, and results are "
           "more often reported so, or left out, when they are not statistically significant: results missing in "
           f"these ways can bias the review's estimates ({MISSING_RESULTS_SOURCE}). Whether they did here cannot be "
           "told from these data.")
    # What can be said of bias before the test that could show it, which reads as one
    # more thing missing.
    return " ".join(x for x in (counted, why, test) if x)
