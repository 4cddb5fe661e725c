"""How the studies flowed through the review: the documents read, the studies by design,
and what became of each trial and each published review (:func:`study_flow`), as the
evidence table's flow table gives it (:func:`flow_section`) and the summary's line of
counts (:func:`counts_line`).

Every count of trials elsewhere in the report is of one of these groups or a sum of
them: the candidate trials of the analyses are those used or set aside for their
numbers, and the trials that give no usable estimate are those set aside, those with a
result in words only and those with no result entered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from metareview.certainty import join_and
from metareview.fmt import join_list
from metareview.markdown import Markdown, escape, table
from metareview.report.aside import EXCLUDED_SECTION
from metareview.report.base import ReportContext, _memo
from metareview.report.overview import DESIGN_NAMES, design_text, words_only_trials

#: The groups of trials, in the flow table's order: (key, what the group is, where its
#: members are listed). Each trial is in one group, the first that fits it. The trials
#: with no result rows are named in the section of trials that could not be used, not in
#: its table: a review with nothing set aside has no table there, and a cross-reference
#: to it stopped the render.
TRIAL_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("used", "used in an analysis", "@tbl-trial-characteristics and each analysis's section of the Results"),
    ("aside", "set aside for their numbers (no usable effect size)", "@tbl-excluded"),
    ("words", "result reported in words only", "@tbl-narrative and each analysis's section of the Results"),
    ("empty", "no result rows entered", f"named under [{EXCLUDED_SECTION[0]}](#{EXCLUDED_SECTION[1]})"),
    ("others", "results no analysis takes up", "named here"),
    ("outside", "outside the analysed comparisons", "named here"),
)

#: The groups of published reviews, likewise.
REVIEW_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("external", "external evidence of an analysis", "@tbl-external and each analysis's section of the Results"),
    ("unanalysed", "results only of comparisons no analysis covers", "@tbl-external"),
    ("words", "statements in words only", "@tbl-narrative"),
    ("empty", "no result entered", "named here"),
)

#: The trial groups that give no usable estimate, in the order counts name them.
NO_ESTIMATE = ("aside", "words", "empty", "others")

#: How a count names a group of trials in running text ("4 set aside for their numbers").
GROUP_WORDS = {"used": "used in an analysis", "aside": "set aside for their numbers",
               "words": "with a result in words only", "empty": "with no result rows entered",
               "others": "with results no analysis takes up",
               "outside": "outside the analysed comparisons"}


#: A value type as the flow table names it where a trial's own effect is of the other.
_SCORE_WORDS = {"change": "change scores", "final": "final values"}


def own_effect_trials(ctx: ReportContext) -> dict[str, list[str]]:
    """The trials set aside from an analysis with an effect of their own that it cannot
    pool (an ``own_effect``: change scores beside an SMD of final values, or final values
    beside one of change scores), by study id, each with why in words: ["change scores in
    an SMD of final values"]."""
    out: dict[str, list[str]] = {}
    for r in ctx.analyses:
        for e in r.get("excluded") or []:
            own = e.get("own_effect")
            if own:
                mine, theirs = own.get("value_type"), r.get("value_type")
                why = (f"{_SCORE_WORDS.get(str(mine), str(mine))} in an {r['analysis']['measure']} of "
                       f"{_SCORE_WORDS.get(str(theirs), str(theirs))}")
                if why not in out.setdefault(e["study_id"], []):
                    out[e["study_id"]].append(why)
    return out


def trial_groups(ctx: ReportContext) -> tuple[tuple[str, str, str], ...]:
    """:data:`TRIAL_GROUPS` with the trials set aside named as they are here: "set aside
    for their numbers (no usable effect size)" of a trial with an effect of its own that
    its analysis cannot pool (:func:`own_effect_trials`) was untrue, as the Results print
    that effect beside the analysis. Where all are such trials: "set aside: an effect that
    cannot be pooled with the analysis's (change scores in an SMD of final values)";
    where some are, both said, each with how many; where none is, as before."""
    ids = study_flow(ctx)["trials"]["aside"]
    own = own_effect_trials(ctx)
    mine = [sid for sid in ids if sid in own]
    if not mine:
        return TRIAL_GROUPS
    why = join_and(list(dict.fromkeys(w for sid in mine for w in own[sid])))
    what = (f"set aside: an effect that cannot be pooled with the analysis’s ({why})" if len(mine) == len(ids)
            else f"set aside for their numbers ({len(ids) - len(mine)} with no usable effect size; {len(mine)} with an "
                 f"effect that cannot be pooled with the analysis’s: {why})")
    return tuple((key, what if key == "aside" else words, where) for key, words, where in TRIAL_GROUPS)


def trials_without_results(ctx: ReportContext) -> list[tuple[str, str, list[str]]]:
    """The trials with arms of two nodes some analysis compares and no result row (arm
    values, contrasts or statements), each as its study id, its label and those
    comparisons in words ("Acupuncture vs Sham"), by label."""
    pairs = {frozenset((a["intervention"], a["comparator"])): (a["intervention"], a["comparator"])
             for a in ctx.config.get("analyses", [])}
    found = []
    for doc in sorted(ctx.normalised, key=lambda d: d["study"]["label"]):
        if doc["study"]["role"] != "trial" or doc["arm_values"] or doc["contrasts"] or doc["statements"]:
            continue
        nodes = {arm.get("node") for arm in doc["arms"]} - {None}
        compared = [f"{ctx.labels.get(i, i)} vs {ctx.labels.get(c, c)}" for key, (i, c) in pairs.items()
                    if key <= nodes]
        if compared:
            found.append((doc["study"]["study_id"], doc["study"]["label"], sorted(set(compared))))
    return found


def results_missing_reason(ctx: ReportContext, study_id: str) -> str:
    """Why the study ``study_id`` has no result rows, as the team words it in
    ``results_missing_reason`` in studies.csv (plain text, stripped, without a closing
    full stop), or "" where it gives none: what the report prints after the study's name
    wherever it names it for having none."""
    reason = next((str(d["study"].get("results_missing_reason") or "").strip() for d in ctx.normalised
                   if d["study"]["study_id"] == study_id), "")
    return reason.rstrip(".")


def study_flow(ctx: ReportContext) -> dict[str, Any]:
    """Where every study went: ``documents`` (rows of the sources table, or None where the
    context holds none), ``designs`` (study ids by design, in the evidence table's
    order), ``trials`` and ``reviews`` (study ids by group of :data:`TRIAL_GROUPS` and
    :data:`REVIEW_GROUPS`, each sorted by label) and ``others`` (the ids of the studies
    neither a trial nor a published review: guidelines, studies of unstated design).

    A trial is used where an analysis pools it or shows its effect (one known only from
    a secondary source, set apart, too); set aside where an analysis lists it with its
    reason and none uses it; in words only where an analysis's comparison holds it with
    statements alone on its outcome (:func:`~metareview.report.overview.words_only_trials`);
    with no result rows where it has arms of an analysed comparison and no row at all;
    outside where no analysis compares two of its arms' nodes. A published review is
    external evidence where an analysis shows a result of it.
    """
    return dict(_memo(ctx, "study_flow", lambda: _study_flow(ctx)))


def _study_flow(ctx: ReportContext) -> dict[str, Any]:
    docs = sorted(ctx.normalised, key=lambda d: d["study"]["label"])
    used = {s.get("study_id") for r in ctx.analyses for s in r["studies"]}
    aside = {e.get("study_id") for r in ctx.analyses for e in r.get("excluded") or []}
    words = {t["study_id"] for r in ctx.analyses for t in words_only_trials(ctx, r)}
    empty = {sid for sid, _, _ in trials_without_results(ctx)}
    external = {e.get("study_id") for r in ctx.analyses for e in r.get("external") or []}
    pairs = {frozenset((a["intervention"], a["comparator"])) for a in ctx.config.get("analyses", [])}
    designs: dict[str, list[str]] = {}
    trials: dict[str, list[str]] = {key: [] for key, _, _ in TRIAL_GROUPS}
    reviews: dict[str, list[str]] = {key: [] for key, _, _ in REVIEW_GROUPS}
    others: list[str] = []
    for doc in docs:
        study = doc["study"]
        sid = study["study_id"]
        designs.setdefault(study["design"], []).append(sid)
        if study["role"] == "trial":
            nodes = {arm.get("node") for arm in doc["arms"]} - {None}
            analysed = any(pair <= nodes for pair in pairs)
            group = ("used" if sid in used else "aside" if sid in aside else "words" if sid in words
                     else "empty" if sid in empty else "others" if analysed else "outside")
            trials[group].append(sid)
        elif study["role"] == "external":
            numbers = bool(doc["contrasts"] or doc["arm_values"])
            group = ("external" if sid in external else "unanalysed" if numbers
                     else "words" if doc["statements"] else "empty")
            reviews[group].append(sid)
        else:
            others.append(sid)
    sources = ctx.raw_tables.get("sources")
    return {"documents": len(sources) if sources is not None else None, "designs": designs,
            "trials": trials, "reviews": reviews, "others": others}


def trial_group(ctx: ReportContext, study_id: str) -> str | None:
    """The key of the group of :data:`TRIAL_GROUPS` a trial is in, or None for a study
    that is not a trial."""
    return next((key for key, ids in study_flow(ctx)["trials"].items() if study_id in ids), None)


def _labels(ctx: ReportContext, ids: Sequence[str]) -> str:
    """The studies ``ids`` by their labels, "A, B and C"."""
    labels = {d["study"]["study_id"]: d["study"]["label"] for d in ctx.normalised}
    return join_list([labels.get(i, i) for i in ids])


def designs_said(ctx: ReportContext) -> list[str]:
    """The studies by design as the summary counts them, largest first: ["27 trials (26
    RCTs and 1 crossover RCT)", "21 published meta-analyses (2 of them IPD)", "1
    guideline", "1 study of unstated design"]."""
    return [f"{n} {words}" for n, words in _designs(ctx)]


def _designs(ctx: ReportContext) -> list[tuple[int, str]]:
    """The studies by design, largest first, each as its count and the words after it:
    (27, "trials (26 RCTs and 1 crossover RCT)"), as the flow table gives them."""
    return [(n, words) for n, words, _ in designs_counted(ctx)]


def designs_counted(ctx: ReportContext) -> list[tuple[int, str, list[tuple[str, list[str]]]]]:
    """The studies by design as :func:`designs_said` counts them, largest first, each as
    its count, the words after it and the studies counted, by the ``design`` of
    studies.csv they have: (27, "trials (26 RCTs and 1 crossover RCT)", [("rct",
    [ids]), ("crossover_rct", [id])]). What the audit traces each count to."""
    flow = study_flow(ctx)
    designs: Mapping[str, Sequence[str]] = flow["designs"]
    roles = {d["study"]["study_id"]: d["study"]["role"] for d in ctx.normalised}
    trial = sum(len(flow["trials"][k]) for k, _, _ in TRIAL_GROUPS)
    review = sum(len(flow["reviews"][k]) for k, _, _ in REVIEW_GROUPS)
    out: list[tuple[int, str, list[tuple[str, list[str]]]]] = []

    def of_role(role: str) -> dict[str, list[str]]:
        return {d: xs for d, ids in designs.items() if (xs := [i for i in ids if roles[i] == role])}

    if trial:
        kinds = of_role("trial")
        detail = (" (" + join_list([f"{len(ids)} {_design_words(d, len(ids))}" for d, ids in kinds.items()]) + ")"
                  if len(kinds) > 1 else "")
        out.append((trial, f"{'trial' if trial == 1 else 'trials'}{detail}", list(kinds.items())))
    if review:
        kinds = of_role("external")
        ipd = sum(len(ids) for d, ids in kinds.items() if d.startswith("ipd"))
        out.append((review, f"published {'meta-analysis' if review == 1 else 'meta-analyses'}"
                    + (f" ({ipd} of them IPD)" if ipd and review > 1 else " (IPD)" if ipd else ""),
                    list(kinds.items())))
    rest: dict[str, list[str]] = {}
    for sid in flow["others"]:
        design = next(d for d, ids in designs.items() if sid in ids)
        rest.setdefault(design, []).append(sid)
    for design, ids in rest.items():
        out.append((len(ids), _design_words(design, len(ids)), [(design, ids)]))
    return sorted(out, key=lambda x: -x[0])


def _design_words(design: str, n: int) -> str:
    """A design counted: "RCTs", "crossover RCT", "studies of unstated design"."""
    if design == "unknown":
        return "study of unstated design" if n == 1 else "studies of unstated design"
    words = design_text(design) if design in DESIGN_NAMES else design.replace("_", " ")
    return words if n == 1 else words + "s"


def flow_section(ctx: ReportContext) -> Markdown:
    """The flow of studies through the review as a table: documents read, studies by
    design, then each trial and each published review in one group (:func:`study_flow`),
    each group with where its members are listed. One account that the report's other
    counts of trials are parts of."""
    flow = study_flow(ctx)
    n_studies = len(ctx.normalised)
    rows: list[list[Any]] = []
    if flow["documents"] is not None:
        rows.append(["Documents read", str(flow["documents"]),
                     Markdown("[Documents the evidence was read in](#sec-references-sources)")])
    rows.append(["Studies", str(n_studies), Markdown("@tbl-studies")])
    for n, words in _designs(ctx):
        rows.append([escape(f"\u2003{words}"), str(n), ""])
    for title, groups, found in (("Trials", trial_groups(ctx), flow["trials"]),
                                 ("Published meta-analyses", REVIEW_GROUPS, flow["reviews"])):
        total = sum(len(ids) for ids in found.values())
        if not total:
            continue
        rows.append([title, str(total), ""])
        for key, what, where in groups:
            ids = found[key]
            if ids:
                listed = escape(_labels(ctx, ids)) if where == "named here" else Markdown(where)
                rows.append([escape(f"\u2003{what}"), str(len(ids)), listed])
    if flow["others"]:
        # A guideline, a study of unstated design: no analysis takes them; what they
        # state is in the narrative table, where they state anything.
        stating = {d["study"]["study_id"] for d in ctx.normalised if d["statements"]}
        stated = all(sid in stating for sid in flow["others"])
        rows.append(["Other studies (neither a trial nor a published review), in no analysis"
                     + (": statements in words only" if stated else ""), str(len(flow["others"])),
                     Markdown(("@tbl-narrative: " if stated else "") + escape(_labels(ctx, flow["others"])))])
    candidates = len(flow["trials"]["used"]) + len(flow["trials"]["aside"])
    # A trial set aside with an effect of its own gives an estimate, one no analysis pools.
    estimate = ("no estimate an analysis pools" if any(sid in own_effect_trials(ctx) for sid in flow["trials"]["aside"])
                else "no usable estimate")
    lead = (f"Each study in one group, each trial and each published review in the first group that fits it. The "
            f"analyses' {candidates} candidate trials are those used or set aside for their numbers; the trials that "
            f"give {estimate} are those set aside, those with a result in words only and those with no "
            "result entered.\n")
    return Markdown(lead + table(["Stage or group", "Number", "Listed in"], rows,
                                 "How the studies flowed through the review: documents, studies by design, and what "
                                 "became of each trial and published review", "tbl-flow"))


def analysed_arms(ctx: ReportContext) -> tuple[dict[str, dict[tuple[str, ...], dict[str, Any]]], list[str]]:
    """The arms the analyses use, by trial id and arm (the sorted treatments of its side
    of the comparison), each with its size ``n``, the analysis it is taken from
    (``analysis``) and the raw cells that size adds up (``sizes``, the study effect's
    addends: ``[]`` where its results file records none); and the ids of the trials
    whose arm sizes are not reported.

    Each arm once, at the largest size any analysis gives it (the first analysis of
    that size): a trial's acupuncture arm compared with sham in one analysis and with
    usual care in another is one group of people."""
    arms: dict[str, dict[tuple[str, ...], dict[str, Any]]] = {}
    unknown: set[str] = set()
    for r in ctx.analyses:
        for s in r["studies"]:
            sid = s.get("study_id") or s["label"]
            sides = s.get("arm_treatments") or {}
            for side, nkey in (("intervention", "n1"), ("comparator", "n2")):
                n = s.get(nkey)
                if n is None:
                    unknown.add(sid)
                    continue
                key = (side,) if not sides.get(side) else tuple(sorted(t["treatment"] for t in sides[side]))
                held = arms.setdefault(sid, {})
                if key not in held or float(n) > held[key]["n"]:
                    held[key] = {"n": float(n), "analysis": r["analysis"]["id"],
                                 "sizes": list((s.get("sizes") or {}).get(nkey) or [])}
    return arms, sorted(unknown)


def analysed_participants(ctx: ReportContext) -> tuple[int, list[str], list[str]]:
    """The participants in the arms the analyses use (:func:`analysed_arms`): their
    total, the ids of the trials counted and of those whose arm sizes are not reported
    (in no total)."""
    arms, unknown = analysed_arms(ctx)
    counted = sorted(sid for sid in arms if sid not in unknown)
    total = sum(x["n"] for sid in counted for x in arms[sid].values())
    return round(total), counted, unknown


def counts_line(ctx: ReportContext) -> str:
    """The summary's one line of counts (plain text): "Studies: 50, read in 52
    documents: 27 trials (26 RCTs and 1 crossover RCT), 21 published meta-analyses (2 of
    them IPD), 1 guideline and 1 study of unstated design. In the analyses: 7 trials,
    with 1,960 participants in the arms analysed of 6 of them, each arm counted once;
    arm sizes not reported for Brinkhaus et al. (2006)."

    The summary counted analyses and never studies or participants, which a reader of
    the summary alone (PRISMA 2020 for Abstracts) needs to weigh the evidence by. The
    participants are those of the analyses' study sizes (:func:`analysed_participants`),
    not those randomised."""
    flow = study_flow(ctx)
    used = flow["trials"]["used"]
    read = (f", read in {flow['documents']} {'document' if flow['documents'] == 1 else 'documents'}"
            if flow["documents"] is not None else "")
    head = f"Studies: {len(ctx.normalised)}{read}: {join_list(designs_said(ctx))}."
    if not used:
        return f"{head} No trial is in the analyses."
    total, counted, unknown = analysed_participants(ctx)
    trials = f"In the analyses: {len(used)} {'trial' if len(used) == 1 else 'trials'}"
    if not counted:
        return f"{head} {trials}, none with its arm sizes reported."
    of = f" of {len(counted)} of them" if unknown else ""
    missing = f"; arm sizes not reported for {_labels(ctx, unknown)}" if unknown else ""
    return f"{head} {trials}, with {total:,} participants in the arms analysed{of}, each arm counted once{missing}."
