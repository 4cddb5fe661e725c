"""The report's tables.

The certainty of the evidence (GRADE), the analyses, the evidence by comparison and
outcome, the studies, the characteristics of the trials used and the results, each a
Markdown table (:func:`metareview.markdown.table`) with its cells escaped.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from metareview.certainty import DOMAIN_TEXT, Certainty, describe, join_and, level_text
from metareview.fmt import (
    description,
    f2,
    in_brackets,
    join_list,
    join_reasons,
    typed,
    with_settings,
)
from metareview.fmt import in_sentence as _in_sentence
from metareview.fmt import minus as _minus
from metareview.markdown import Markdown, escape, table
from metareview.normalise import is_cointervention
from metareview.plots import drawn_externals
from metareview.report.aside import _printed_reported_p, _raw_index
from metareview.report.base import (
    APPENDIX_TABLE_BUDGET,
    INCLUDES,
    RATING_TEXT,
    ReportContext,
    _absolute,
    _differences,
    _in_certainty_table,
    _memo,
    _mid_table_note,
    _names,
    _overall_risk_of_bias,
    _per_1000,
    _printed_reported_rd,
    _study_labels,
    any_judgement,
    assumed_risk,
    certainty_of,
    ci_text,
    detail_limit,
    excludes_no_effect,
    favours_intervention,
    fingerprints,
    grade_facts,
    in_detail,
    md_scale,
    md_unit,
    mid_cell,
    participants_text,
    points_cell,
    rating_flags,
    shown,
)
from metareview.report.keys import _ref_text, analysis_names, arm_names
from metareview.report.overview import (
    ONE_DF,
    STUDY_READ_ELSEWHERE,
    TOO_WIDE,
    _left_out_words,
    _sensitive_labels,
    design_text,
    too_wide_to_inform,
    widened_words,
)
from metareview.report.summary import _noted_analysis, analysis_refs


def _domains_cell(c: Certainty, labels: Mapping[str, str], note: str = "",
                  flags: Mapping[str, Sequence[str]] | None = None) -> str:
    """The certainty table's account of the judgements: each domain's rating and reason,
    with the facts that question a rating of not serious (``flags``,
    :func:`rating_flags`) beside it ("imprecision: not serious (but the report finds the
    interval too wide to inform ...)"), after what keeps them from giving a level, if
    anything, and ``note`` after them."""
    flags = flags or {}
    ratings = "; ".join(f"{DOMAIN_TEXT[d]}: {RATING_TEXT[c.downgrades[d]]}"
                        + (f" ({c.reasons[d]})" if d in c.reasons else "")
                        + (f" (but {'; and '.join(flags[d])})" if flags.get(d) else "") for d in c.downgrades)
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


def _sof_effect(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """The summary-of-findings table's effect of an analysis: its estimate and interval as
    the results print them ("SMD −0.44 (−0.67 to −0.22)"; a ratio on its own scale; a mean
    difference in its scale's points or its unit, "MD −0.51 points on the 0 to 10 scale
    (−1.39 to 0.37)", as the table is read on its own), for a binary measure the
    difference per 1,000 the report computes (:func:`absolute_text`'s, at the same
    comparator risk), and then its participants and studies; plain text."""
    a = r["analysis"]
    if r["status"] == "pooled":
        est, lb, ub = r["pooled"]["estimate"], r["pooled"]["ci_lb"], r["pooled"]["ci_ub"]
    elif r["status"] == "single_study":
        s = r["studies"][0]
        est, lb, ub = s["yi"], s["ci_lb"], s["ci_ub"]
    else:
        size = participants_text(r)
        return "not pooled" + (f"; {size}" if size else "") if r["status"] == "not_poolable" else "–"
    scale, unit = md_scale(ctx, a), md_unit(ctx, a)
    # As md_points words it, unescaped: the table escapes its cells.
    points = f" points on the {scale} scale" if scale else f" {unit}" if unit else ""
    text = f"{a['measure']} {f2(shown(a, est))}{points} ({ci_text(shown(a, lb), shown(a, ub))})"
    found = _absolute(r, assumed_risk(ctx, a["id"]))
    if found is not None:
        e = found[0]
        text += f"; {_differences(e)} against {_per_1000(e.comparator)} per 1,000 with the comparator"
    return f"{text}; {participants_text(r)}"


def _studies_note(bare: Sequence[str], total: int) -> str:
    """"its one study", "1 of its 2 studies", "any of its 3 studies": the studies of an
    analysis that ``bare`` names, counted for a sentence ("1 of its 1 study" read wrong)."""
    if total == 1:
        return "its one study"
    return f"any of its {total} studies" if len(bare) == total else f"{len(bare)} of its {total} studies"


def certainty_table(ctx: ReportContext) -> Markdown:
    """The summary of findings: the effect and the GRADE level of every analysis with an
    effect or with judgements, with the reasons.

    A panel works from a summary-of-findings table (Cochrane Handbook 14.1): the effect,
    relative and, for a binary outcome, per 1,000, the participants and studies, and the
    certainty, on one row. With the effects only in the Results and the levels only here,
    it had to put each row together from two places. The effect shares a column with the
    participants, and the studies (with their data codes) share the data column with the
    facts, so that the table keeps five columns on a portrait page.
    """
    names = analysis_names(ctx)
    labels = _study_labels(ctx)
    rows = []
    level = float(ctx.config["methods"].get("level", 95))
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
                            + (f" (data {prints[s['study_id']]})" if codes else "") for s in r["studies"])
        notes = list(c.notes)
        if "risk_of_bias" in c.downgrades:
            # A rating of risk of bias with no judgement in the data to rest on is the
            # team's to defend: said beside it rather than refused (it may rest on a
            # source's judgement not transcribed).
            bare = [in_brackets(labels.get(s["study_id"], s["study_id"])) for s in r["studies"]
                    if _overall_risk_of_bias(ctx, s["study_id"]) is None]
            if bare:
                # Plain text: the table escapes the cell.
                notes.append(f"Risk of bias was rated with no overall risk-of-bias judgement recorded for "
                             f"{_studies_note(bare, len(r['studies']))} ({'; '.join(bare)})")
        facts = grade_facts(ctx, r, size=False)
        data = Markdown(f"{escape(studies)}; {facts}" if studies else facts)
        rows.append([names[r["analysis"]["id"]], _sof_effect(ctx, r), data,
                     level_text(c.level) if c.level else "not rated",
                     _domains_cell(c, labels, ". ".join(notes), rating_flags(ctx, r))])
    which = ("each analysis with an effect" if every else
             "each analysis the team has judged (the GRADE column of @tbl-results gives every level)")
    intro = Markdown(
        f"Summary of findings: the effect and the certainty of the evidence (GRADE) for {which}, from the review "
        "team's judgements: evidence from randomised trials starts "
        "at high and is rated down one level for each domain with a serious concern, two for a very serious one "
        "(risk of bias, inconsistency, indirectness, imprecision, publication bias). Judgements made on studies "
        "other than those an analysis now holds give no level until they are made again. The effect is the "
        "pooled estimate, or the single study's, with, for a binary outcome, its difference per 1,000 at the "
        "comparator risk the Results give. The column of studies and data names the studies and gives "
        "what the judgements draw on that the data can show; it rates nothing.\n")
    if any(rating_flags(ctx, r) for r in ctx.analyses if _in_certainty_table(ctx, r)):
        # The judgement stays the team's: a flag asks for a second look and changes no level.
        intro = Markdown(intro + (
            "\nWhere a domain is rated not serious but the report's own facts point the other way (an interval "
            "too wide to inform or crossing the minimal important difference, most of the weight at high risk of "
            "bias, a study set apart or a comparator not named), the rating is flagged beside it (\"but ...\") and "
            "listed among the consistency warnings (@tbl-warnings). The level is the team's, as rated.\n"))
    if codes:
        intro = Markdown(intro + (
            "\nThe code after each study fingerprints its data in the analysis (effect, variance, group sizes, "
            "risk-of-bias judgements). Recorded with the judgements, it lets the report "
            "tell judgements made on data that has changed since: they too give no level until made again.\n"))
    heading = "### Certainty of the evidence (GRADE) {#sec-certainty}\n\n"
    return Markdown(heading + intro + "\n" + table(
        ["Analysis", f"Effect ({level:g}% CI); participants (studies)", "Studies and data", "GRADE", "Domains"],
        rows, "Summary of findings: effects and certainty of the evidence (GRADE)", "tbl-certainty"))


def analyses_table(ctx: ReportContext) -> Markdown:
    """The table of the analyses the review defines (``config/config.yaml``), one row each.

    It closes the methods and has a section marker of its own (``analyses``), so that the
    template can set it on landscape pages: its columns of names were a word or two
    wide on portrait ones, a row three or four lines high, and the last rows of a long
    list ran onto a page of their own. Each analysis's two treatments are named as its
    title names them ("Acupuncture vs Sham acupuncture"), with the trial designs it takes
    where these are not all: in columns of their own (intervention, comparator, designs
    "all" in most rows) its rows were two lines high, and the table filled its landscape
    page alone; in five columns most rows take a line, and the evidence table's section
    starts below it. Empty for a config that defines no analysis.
    """
    cfg = ctx.config

    def window(name: str) -> str:
        # Its name and weeks: the label in full (with the target) is in the bullet above,
        # and a long one made the column five lines a row.
        w = cfg["windows"].get(name)
        if not w:
            return ctx.labels.get(name, name)
        return f"{str(w['label']).split(' (')[0]} ({w['min_weeks']:g} to {w['max_weeks']:g} weeks)"

    designs = {"head_to_head": " (head-to-head trials only)", "add_on": " (add-on trials only)"}

    def comparison(a: Mapping[str, Any]) -> str:
        return (f"{ctx.labels.get(a['intervention'], a['intervention'])} vs "
                f"{ctx.labels.get(a['comparator'], a['comparator'])}{designs.get(a.get('designs', 'any'), '')}")

    # Identifiers as the text sets them, in code type.
    rows = [[Markdown(f"`{a['id']}`"), comparison(a), ctx.labels.get(a["outcome"], a["outcome"]), window(a["window"]),
             a["measure"] + (f" ({a['events']} events)" if a.get("events") else "")]
            for a in cfg.get("analyses", [])]
    if not rows:
        return Markdown("")
    return table(["Analysis", "Comparison", "Outcome", "Window", "Measure"], rows,
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
    # Those the check read and did not flag are read too: the effect's steps in the audit
    # trail cite them, and "not used" here contradicted the trail (Cherkin 2009's RMDQ at
    # week 0, d = -0.04). Their d is Cohen's, as the check computes it (Austin 2009).
    threshold = ((ctx.config or {}).get("effects") or {}).get("baseline_imbalance_smd")
    baseline_checked = {(ref, r["analysis"]["id"]): (s["label"], s["baseline_read"]["d"])
                        for r in ctx.analyses for s in r["studies"] if s.get("baseline_read")
                        for ref in s["baseline_read"]["refs"]}
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
                elif (ref, n["analysis"]) in baseline_checked:
                    label, d = baseline_checked[ref, n["analysis"]]
                    under = f", under the {threshold:g} that flags a difference" if threshold is not None else ""
                    fate.setdefault(ref, []).append(
                        f"read in {of(n['analysis'])} " + escape(f"for the baseline (week 0) difference of {label}\u2019s "
                                                               f"effect (d = {f2(d)}{under}), not as an effect (see "
                                                               "the audit trail)"))
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
    population, arms and timepoints of each trial used: :func:`trial_characteristics_table`)."""
    rows, _ = _memo(ctx, "study_rows", lambda: _study_rows(ctx))
    # "Results" read as a count of findings; it is the study's rows in the three result
    # tables, baseline rows included (Cherkin 2009: 16 + 7 + 5 = 28), which the caption says.
    return table(["Study", "Design, source", "Identity", "Arms", "Raw rows", "Contribution"], rows,
                 "Studies in the raw tables and what they contributed; raw rows: the study's rows in "
                 "arm_outcomes.csv, contrasts.csv and statements.csv, baseline rows included (every one: see the "
                 "appendix)",
                 # On landscape pages (reports/report.qmd), as the appendices.
                 "tbl-studies", budget=APPENDIX_TABLE_BUDGET)


def trial_characteristics_table(ctx: ReportContext) -> Markdown:
    """The characteristics of each trial that contributes to an analysis (PRISMA 2020
    item 17): the population it enrolled and how that relates to the review's, how many
    it randomised, its arms as the raw data describe them with each arm's size, and the
    timepoints of the results the analyses use; empty when no trial contributes."""
    _, characteristics = _memo(ctx, "study_rows", lambda: _study_rows(ctx))
    if not characteristics:
        return Markdown("")
    # Applicability: a trial of elderly patients only, or of trigger-point pain, answers
    # the review's question only indirectly, and the reader judges that from here; the
    # doses and timepoints say what was compared, and when. Six columns: on the landscape
    # pages of the table of studies (reports/report.qmd), as the appendices: on a portrait
    # page the arms' descriptions ran to a few words a line.
    return table(["Trial", "Population enrolled", "Fit", "Randomised", "Arms as described (n)", "Timepoints used"],
                 characteristics,
                 "Characteristics of each trial that contributes to an analysis: the population it enrolled, as "
                 "the team recorded it from the trial\u2019s source, and how it relates to this review\u2019s "
                 "population (the team\u2019s judgement: where it is not this review\u2019s population, its results "
                 "apply here only indirectly); the number randomised, as the raw tables give it (the study\u2019s "
                 "total, else its arms\u2019 sum, else the total of the result row the analyses use); each arm as the source describes it, with the "
                 "number randomised to it where reported (or analysed, where only that is); and the timepoints of the "
                 "results the analyses use", "tbl-trial-characteristics", budget=APPENDIX_TABLE_BUDGET)


def _count_text(n: Any) -> str:
    """A count typed in a raw cell as the table prints it: "387", "1,162"."""
    return f"{round(float(n)):,}"


def _raw_study_arms(ctx: ReportContext, study_id: str) -> dict[str, Mapping[str, Any]]:
    """A study's rows of arms.csv as read, by arm id ({} where the context has none)."""
    return {str(a.get("arm_id")): a for a in ctx.raw_tables.get("arms", []) if a.get("study_id") == study_id}


def _randomised_text(ctx: ReportContext, doc: Mapping[str, Any]) -> str:
    """How many a trial randomised: studies.csv's ``n_randomised``, else the sum of its
    arms' (arms.csv) where every arm gives one, else the total (``n_total``) of a result
    row the analyses use, said so ("124, the total of its result row"), else "not in the
    raw tables".

    A sum over some of the arms would pass for the trial's total; the arms' own sizes,
    where some are known, are in the arms' cell beside it. A result row's total is what
    the analyses split into arm sizes ("62 + 62 from N = 124"): left out here, the table
    would deny a number the analyses print. It is the total of that result (perhaps
    those analysed), so its cell says where it is from. Not "not reported": a blank
    cell says only that the team entered no number, which the source may yet give (in
    words the notes quote, or as a total the team could not tell randomised from
    analysed).
    """
    study_id = doc["study"]["study_id"]
    row = next((s for s in ctx.raw_tables.get("studies", []) if s.get("study_id") == study_id), {})
    total = row.get("n_randomised") if row.get("n_randomised") is not None else doc["study"].get("n_randomised")
    if total is not None:
        return _count_text(total)
    arms = randomised_arms(ctx, doc)
    if arms:
        return _count_text(sum(n for _, n in arms))
    totals = _result_row_totals(ctx, study_id)
    if len(totals) == 1:
        return f"{_count_text(totals[0])}, the total of its result row"
    if totals:
        return f"{_count_text(totals[0])} to {_count_text(totals[-1])}, the totals of its result rows"
    return "not in the raw tables"


def randomised_arms(ctx: ReportContext, doc: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], float]]:
    """The arms (of ``doc``) and their ``n_randomised`` in arms.csv whose sum the trial
    characteristics' "Randomised" cell gives, where studies.csv gives the trial no
    ``n_randomised`` and every arm gives one; else ``[]``."""
    study_id = doc["study"]["study_id"]
    row = next((s for s in ctx.raw_tables.get("studies", []) if s.get("study_id") == study_id), {})
    if row.get("n_randomised") is not None or doc["study"].get("n_randomised") is not None:
        return []
    raw = _raw_study_arms(ctx, study_id)
    arms = [(a, raw.get(a["arm_id"], {}).get("n_randomised")) for a in doc["arms"]]
    if not arms or any(n is None for _, n in arms):
        return []
    return [(a, float(n)) for a, n in arms if n is not None]


def _result_row_totals(ctx: ReportContext, study_id: str) -> list[float]:
    """The distinct totals (contrasts.csv ``n_total``), smallest first, of a study's
    result rows the analyses use: the cells its effects' arm sizes were split from, and
    the rows its effects cite (:attr:`ReportContext.raw_rows`)."""
    found: set[float] = set()
    for r in ctx.analyses:
        for s in r["studies"]:
            if s.get("study_id") != study_id:
                continue
            for cells in (s.get("sizes") or {}).values():
                found.update(float(c["cell"]) for c in cells
                             if c.get("column") == "n_total" and c.get("cell") is not None)
            for ref in s.get("refs") or ():
                file, number = ctx.raw_rows.get(ref, ("", None))
                index = _raw_index(ctx, "contrasts", number) if file == "contrasts.csv" and number else None
                total = None if index is None else ctx.raw_tables["contrasts"][index].get("n_total")
                if total is not None:
                    found.add(float(total))
    return sorted(found)


def _arms_text(ctx: ReportContext, doc: Mapping[str, Any]) -> str:
    """A trial's arms as arms.csv describes them, each numbered and with its size: "(1)
    Traditional acupuncture, 20 sessions over 12 weeks, + active physiotherapy, n = 40;
    (2) ...". The number randomised to the arm, else the number analysed, said so ("n =
    24 analysed"), else none (the trial's "Randomised" cell says what is not given); an
    arm without a description by its name in the table of studies (:func:`arm_names`).

    Numbered: a description may hold a semicolon of its own ("Acupuncture (...); 12
    sessions"), which would read as the next arm.
    """
    raw = _raw_study_arms(ctx, doc["study"]["study_id"])
    names = arm_names(doc["arms"])
    said = []
    for i, a in enumerate(doc["arms"], 1):
        row = raw.get(a["arm_id"], {})
        what = str(row.get("description") or a.get("description") or names[a["arm_id"]]).strip()
        if row.get("n_randomised") is not None:
            n = f"n = {_count_text(row['n_randomised'])}"
        elif row.get("n_analysed") is not None:
            n = f"n = {_count_text(row['n_analysed'])} analysed"
        elif a.get("n") is not None:
            # A context without arms.csv's rows: the size the effects use, and its column.
            n = f"n = {_count_text(a['n'])}" + (" analysed" if a.get("n_source") == "n_analysed" else "")
        else:
            n = ""
        said.append(f"({i}) {description(what)}" + (f", {n}" if n else ""))
    return "; ".join(said)


def _timepoints_used(ctx: ReportContext, study_id: str) -> str:
    """The timepoints of a trial's results the analyses use, each once, in weeks ("week
    8"), or in the source's words where it gives no weeks ("immediate post-treatment
    (weeks not stated)"): weeks first, in order, then words; "not stated" for none."""
    found: dict[str, tuple[float, str]] = {}
    for r in ctx.analyses:
        for s in r["studies"]:
            if s.get("study_id") != study_id:
                continue
            weeks, label = s.get("timepoint_weeks"), str(s.get("timepoint_label") or "").strip()
            if weeks is not None:
                text = f"week\u00a0{format(float(weeks), 'g')}"
                found.setdefault(text, (float(weeks), text))
            elif label:
                found.setdefault(label, (float("inf"), label))
    return "; ".join(t for _, t in sorted(found.values())) or "not stated"


def _characteristics_row(ctx: ReportContext, doc: Mapping[str, Any]) -> list[str]:
    """A trial's row of :func:`trial_characteristics_table`."""
    study = doc["study"]
    return [study["label"], description(study.get("population") or "not stated"), _fit_text(study),
            _randomised_text(ctx, doc), _arms_text(ctx, doc), _timepoints_used(ctx, study["study_id"])]


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
    """The rows of :func:`study_table` and of :func:`trial_characteristics_table`."""
    fate = _fate(ctx)
    short = analysis_names(ctx)
    excluded_ids = {e["study_id"] for r in ctx.analyses for e in r["excluded"]}
    # A comparison analysed in other windows is one the review analyses.
    uncovered = {label for u in uncovered_comparisons(ctx) if not u.get("window") for label in u["studies"]}
    # Trials read in their own report whose effects here use numbers read in another
    # document: "primary" alone would tell the reader they were read in the trial's report.
    elsewhere = {s["study_id"] for r in ctx.analyses for s in r["studies"] if s.get("read_elsewhere")}
    rows = []
    characteristics: list[list[str]] = []
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
            # What the raw tables hold, which is all the pipeline knows: "reported in the
            # sources read" spoke for the sources of a trial whose results were not yet
            # entered.
            what = "no results entered"
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
            characteristics.append(_characteristics_row(ctx, doc))
    return rows, characteristics


def uncovered_comparisons(ctx: ReportContext) -> list[dict[str, Any]]:
    """Comparisons that trials in the data report and no configured analysis defines.

    A pair of treatment nodes and an outcome for which a trial gives values for both
    arms (or a contrast between them), while no analysis of the config compares the two
    nodes on that outcome, in either order and any window: data the review collected and
    does not analyse. Comparisons between two controls (sham, usual care, no treatment:
    no arm of an active treatment) answer no question of the review and are left out, as
    are arms in no node (the methods name them) and arms of one node.

    A comparison the review analyses on that outcome, but in other windows only, is listed
    for each configured window a trial's results on it fall in (``window``): those
    results enter no analysis either, and a trial moved to a later timepoint (week 16,
    with analyses of weeks 1 to 12 only) was otherwise in no list of analyses to add.

    Returns
    -------
    list of dict
        ``intervention`` and ``comparator`` (node codes; the one with an active arm
        first), ``outcome``, ``studies`` (labels) and ``add_on`` (a trial's active arm
        adds the treatment to its comparator's, e.g. acupuncture + exercise vs exercise),
        and, for a comparison analysed in other windows only, ``window``.
    """
    covered = {(frozenset((a["intervention"], a["comparator"])), a["outcome"]) for a in ctx.config.get("analyses", [])}
    in_window = {(frozenset((a["intervention"], a["comparator"])), a["outcome"], a["window"])
                 for a in ctx.config.get("analyses", [])}
    roles = {t["treatment"]: t.get("role") for t in ctx.raw_tables.get("treatments", [])}
    found: dict[tuple[str, ...], dict[str, Any]] = {}
    for doc in ctx.normalised:
        if doc["study"]["role"] != "trial":
            continue
        arms = {a["arm_id"]: a for a in doc["arms"]}
        compared: list[tuple[str, str, str, str | None]] = [(a1, a2, outcome, None)
                                                              for a1, a2, outcome in _compared_arms(doc)]
        compared += list(_compared_arms_in_windows(doc))
        for a1, a2, outcome, window in sorted(compared, key=lambda c: (c[0], c[1], c[2], c[3] or "")):
            x, y = arms[a1], arms[a2]
            if x["node"] is None or y["node"] is None or x["node"] == y["node"]:
                continue
            pair = frozenset((x["node"], y["node"]))
            if (window is None) == ((pair, outcome) in covered) or (pair, outcome, window) in in_window:
                # Without a window: an analysed comparison; in one: an unanalysed comparison,
                # listed without it, or one analysed in that window.
                continue
            active = [roles.get(a["treatment"], "active") == "active" for a in (x, y)]
            if not any(active):
                continue
            if not active[0] or (all(active) and ctx.labels.get(y["node"], "") < ctx.labels.get(x["node"], "")):
                x, y = y, x
            entry = found.setdefault((x["node"], y["node"], outcome, *([window] if window else [])), {
                "intervention": x["node"], "comparator": y["node"], "outcome": outcome, "studies": set(),
                "add_on": False, **({"window": window} if window else {})})
            entry["studies"].add(doc["study"]["label"])
            entry["add_on"] |= is_cointervention(y["treatment"], x.get("cointervention"))
    return [{**e, "studies": sorted(e["studies"])} for _, e in sorted(found.items())]


def _compared_arms_in_windows(doc: Mapping[str, Any]) -> set[tuple[str, str, str, str]]:
    """``(arm, arm, outcome, window)`` for each pair of a normalised trial's arms with
    results on one outcome in one configured window (the rows' ``windows``), or a
    between-group result in it."""
    by_place: dict[tuple[str, str], set[str]] = {}
    for v in doc["arm_values"]:
        for window in v.get("windows") or {}:
            by_place.setdefault((v["outcome"], window), set()).add(v["arm_id"])
    pairs = {(a1, a2, o, w) for (o, w), ids in by_place.items() for a1 in ids for a2 in ids if a1 < a2}
    return pairs | {(c["arm1"], c["arm2"], c["outcome"], w) for c in doc["contrasts"] for w in c.get("windows") or {}}


def _compared_arms(doc: Mapping[str, Any]) -> set[tuple[str, str, str]]:
    """``(arm, arm, outcome)`` for each pair of a normalised trial's arms with results on one
    outcome, or a between-group result: the comparisons the trial made."""
    by_outcome: dict[str, set[str]] = {}
    for v in doc["arm_values"]:
        by_outcome.setdefault(v["outcome"], set()).add(v["arm_id"])
    pairs = {(a1, a2, o) for o, ids in by_outcome.items() for a1 in ids for a2 in ids if a1 < a2}
    return pairs | {(c["arm1"], c["arm2"], c["outcome"]) for c in doc["contrasts"]}


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


def _finding(r: Mapping[str, Any], proper: Collection[str] = (), ctx: ReportContext | None = None) -> str:
    a, p = r["analysis"], r["pooled"]
    if r["status"] == "pooled":
        if excludes_no_effect(p):
            who = a["intervention_label"] if favours_intervention(a, p["estimate"]) else a["comparator_label"]
            finding = f"favours {_in_sentence(who, proper)}"
        else:
            # On t with 1 df, as the analysis's line says it: too wide to inform.
            finding = f"confidence interval {INCLUDES}" + (f" but {TOO_WIDE} ({ONE_DF})"
                                                          if too_wide_to_inform(p, ctx, a) else "")
        changed = _sensitive_labels(r)
        widened = widened_words(r, markdown=False)
        return finding + (f"; sensitive to leaving out {_left_out_words(changed, len(p.get('leave1out') or []))}"
                          if changed else "") + (f"; {widened}" if widened else "")
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
    points_said = False
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
        # An SMD also in its instruments' points, a size a clinician can weigh.
        points = points_cell(ctx, r)
        if points:
            points_said = True
        rows.append([a["id"], f"{a['intervention_label']} vs {a['comparator_label']}",
                     f"{a['outcome_label']}, {_in_sentence(a['window_label'].split('(')[0].strip())}",
                     a["measure"], str(r["k"]), est, i2,
                     _finding(r, proper=_names(ctx), ctx=ctx) + (f"; {points}" if points else "")
                     + (f"; {mid}" if mid else "")])
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
        "numbers to the raw data." + _mid_table_note(ctx, read)
        + (" An SMD's finding gives it in its instruments' points too, multiplied by the comparator arms' pooled SD "
           "of each instrument (Cochrane Handbook 15.5.3.2): an approximation, as an instrument's SD differs "
           "between trials." if points_said else "") + "\n")
    return Markdown(intro + "\n" + table(
        ["Analysis", "Comparison", "Outcome", "Measure", "k", f"Estimate ({level:g}% CI)", "I²", "Finding",
         *(["GRADE"] if graded else [])],
        rows, "Results of every analysis", "tbl-results"))


def _typed_cells(ctx: ReportContext, table: str, index: int) -> Mapping[str, str]:
    """The number cells as typed of the ``index``-th row of ``table`` (empty if not known)."""
    texts = ctx.raw_texts.get(table) or ()
    return texts[index] if index < len(texts) else {}


def _typed_row(ctx: ReportContext, ref: str) -> tuple[Mapping[str, Any], Mapping[str, str]] | None:
    """The raw row ``ref`` names and its number cells as typed, or None where it names no
    row the build read (the audit quotes both: the parsed value and the cell as typed)."""
    file, line = ctx.raw_rows.get(ref, (None, None))
    if file is None or line is None:
        return None
    table = file.removesuffix(".csv")
    index = _raw_index(ctx, table, line)
    return None if index is None else (ctx.raw_tables[table][index], _typed_cells(ctx, table, index))


def _as_typed(value: Any, text: str | None) -> str:
    """A raw number cell as quoted: its text as typed ("2.0"), else the parsed value with
    the digits it was typed with (:func:`typed`: "2")."""
    return text if text is not None else typed(value)
