"""What the review could not assess in its own evidence, as the methods, the risk of bias
section and the limitations say it:

- the risk of bias of the studies its results rest on, where ``risk_of_bias.csv`` holds
  no judgement of them (:func:`unjudged_used`, :func:`not_assessed_said`): not a gap in
  the data to pass over but a limit of the review, which leaves the risk of bias of
  those results unknown (PRISMA 2020 items 11 and 18; Page et al. 2021).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from metareview.fmt import in_brackets
from metareview.report.base import ReportContext, any_judgement
from metareview.report.summary import _has_risk_of_bias


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
