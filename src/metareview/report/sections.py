"""The body sections of the evidence report.

Methods, results (with each forest plot's alternative text and the sensitivity
analyses), risk of bias, warnings, uncovered comparisons, excluded studies, indirect
comparisons, published reviews and the narrative evidence, claims, limitations and
provenance, and the raw cells the audit trail quotes (:func:`raw_cells`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from statistics import NormalDist
from typing import Any, cast

from metareview.certainty import describe, join_and
from metareview.checks import GRADE_FLAG
from metareview.fmt import (
    SMD_FROM_T_FLAG,
    description,
    f2,
    fixed,
    in_brackets,
    join_list,
    no_comparator_words,
    notes_in_words,
)
from metareview.fmt import in_sentence as _in_sentence
from metareview.fmt import minus as _minus
from metareview.markdown import (
    Markdown,
    callout,
    escape,
    escape_keeping_emphasis,
    figure,
    keep_with_next,
    table,
)
from metareview.normalise import UNNAMED
from metareview.plots import (
    drawn_externals,
    external_flag,
    external_label,
    funnel_studies,
    has_funnel,
    shows_results,
    source_flags,
    unmatched_levels,
)
from metareview.provenance import GIT_UNREADABLE, NOT_GIT, SHALLOW
from metareview.report.aside import (
    EXCLUDED_SECTION,
    POPULATION_WORDS,
    _aside_reason_holders,
    _exact_flag,
    _listed_items,
    _population_clause,
    _printed_reported_p,
    _reported_p_clause,
    _study_row_ref,
    population_flag,
)
from metareview.report.base import (
    APPENDIX_TABLE_BUDGET,
    EXCLUDES,
    I2_BANDS,
    I2_WORDS_MIN,
    INCLUDES,
    LEVEL_NOT_STATED,
    MEASURE_NAMES,
    UNKNOWN_RANGE,
    ReportContext,
    _as_sentence_after,
    _certainty_clause,
    _config_entry,
    _external_value,
    _label_ranges,
    _measure_in_sentence,
    _mid_amount,
    _names,
    _overall_risk_of_bias,
    _printed_reported_rd,
    _reported_rd_clause,
    _small_study_min,
    _study_labels,
    absolute_text,
    any_judgement,
    assumed_risk,
    asymmetry_favours,
    certainty_of,
    ci_text,
    detail_limit,
    detailed_analyses,
    direction_sentence,
    excludes_no_effect,
    favours_intervention,
    i2_bands,
    in_detail,
    informative_statement,
    md_points,
    md_scale,
    md_unit,
    mid_figure_note,
    mid_markdown,
    misread_refs,
    on_log_scale,
    outcome_mid,
    p_text,
    pooling_counts,
    re_expressed_text,
    reported_p,
    shown,
)
from metareview.report.changes import (
    SETTING_WORDS,
    _either,
    _estimator_text,
    compared_with,
    report_quotes,
)
from metareview.report.flow import (
    GROUP_WORDS,
    own_effect_trials,
    results_missing_reason,
    study_flow,
    trials_without_results,
)
from metareview.report.information import (
    adverse_events_limitation,
    outcomes_sought_text,
    where_read_text,
)
from metareview.report.keys import (
    _external_estimate,
    _external_favours,
    _ix,
    _ref_text,
    _timepoint_text,
    _window_name,
    analysis_names,
    arm_names,
    arm_text,
    consistency_warnings,
    sensitive_to,
    widened_only,
)
from metareview.report.overview import (
    IDENTITY_LOW,
    MISREAD,
    OFF_POPULATION,
    T_TESTS,
    UNCLEAR_CELL,
    WINDOW_EDGE,
    _apart_groups,
    _direct_text,
    _external_in_window,
    _interval_shows,
    _left_out_words,
    _own_effect_text,
    _refs_in_words,
    _secondary_reviews,
    _split_secondary,
    _stated_beside,
    _stated_names,
    _verbatim,
    add_on_statement,
    design_text,
    equal_effects_clause,
    identity_low,
    in_designs,
    mantel_haenszel_clause,
    reviews_and_trials_text,
    unclear_statement,
    words_only_said,
    words_only_trials,
)
from metareview.report.summary import (
    HETEROGENEITY_TERMS,
    _claims_source,
    _has_risk_of_bias,
    _judged_counts,
    _near_miss_treatments,
    _near_miss_trials,
    _near_misses,
    as_sentences,
    indirect_heading,
    indirect_one_df_words,
    indirect_outcome,
    indirect_reason,
    indirect_title,
    scenarios_text,
    section_titles,
)
from metareview.report.tables import (
    _as_typed,
    _compared_arms,
    _fit_text,
    _typed_row,
    arm_size,
    certainty_table,
    results_table,
    uncovered_comparisons,
)
from metareview.report.unassessed import (
    grade_unratable_said,
    missing_results_said,
    not_assessed_meaning,
    not_assessed_said,
    not_assessed_which,
    unblinded_said,
)


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


#: What the methods and the limitations say where no minimal important difference is set.
NO_MID = ("none is applied, so \u201cfavours\u201d says which way an effect goes and that its confidence "
          "interval lies on that side of no difference, not that the difference matters to patients.")


def _mid_methods_text(ctx: ReportContext) -> str:
    """The methods' item on minimal important differences: each outcome's MID with its
    source, how a mean difference is read against it, and that an SMD is not; "" when the
    config sets none, that none is applied, so that "favours" is not read as "matters"."""
    outcomes = ctx.config.get("outcomes") or {}
    set_ = [(v, v["mid"]) for v in outcomes.values() if v.get("type") != "binary" and v.get("mid")]
    if not set_:
        # Said, not left out: a panel reads "favours acupuncture" as a difference worth
        # having unless told that no threshold of importance was applied.
        return f"- **Minimal important difference**: {NO_MID}"
    listed = "; ".join(f"{escape(v['label'])}: {escape(_mid_amount(float(mid['value']), v.get('unit')))} "
                       f"({escape(in_brackets(str(mid['source'])))})" for v, mid in set_)
    # The key is the provenance's Settings line's: the methods say what an MID is.
    return (f"- **Minimal important differences (MIDs)**: {listed}. A mean difference's confidence "
            "interval is read against its outcome's MID, as GRADE judges imprecision (Guyatt et al. 2011): wholly "
            "beyond it, the effect likely matters; wholly within \u00b1MID, any effect is likely too small to matter; "
            "crossing it, the interval cannot tell. An MID on a scale does not carry over to an SMD without a "
            "conversion (by the outcome's SD in the population) that this review does not make, so no SMD is read "
            "against one, and no ratio either.")


#: A sentence of an instrument's notes that gives only which way it scores ("Higher
#: proportion = better."): the analysis's direction line says that of its measure.
_DIRECTION_NOTE = re.compile(r"(?:^|(?<=\.)\s+)(?:Higher|Lower)[^.]*=\s*(?:better|worse)\.?\s*$")


def events_defined(ctx: ReportContext, r: Mapping[str, Any]) -> Markdown:
    """What counted as an event for each trial a binary analysis uses, from the
    instruments.csv row of the instrument its rows use (its label, then its notes), one
    list item per instrument with the trials that used it; "" for an analysis of another
    measure or with no trial.

    "Responders" said nothing of what a response was: Haake 2007's (GERAC) is at least
    33% improvement on three pain items or 12% on a function scale, another trial's may
    be 50% on one. A risk ratio of responders is read only with that definition, which
    may differ between trials. A notes sentence that gives only which way the instrument
    scores is left out: the direction line before it says that of the measure.
    """
    if r["analysis"].get("measure") not in ("RR", "OR", "RD") or not r["studies"]:
        return Markdown("")
    rows = {str(i.get("instrument")): i for i in ctx.raw_tables.get("instruments", [])}
    by_instrument: dict[str, list[str]] = {}
    for s in r["studies"]:
        by_instrument.setdefault(str(s.get("instrument") or ""), []).append(s["label"])
    items = []
    for code, labels in by_instrument.items():
        row = rows.get(code)
        if not code:
            what = "not stated in its rows"
        elif row is None or not row.get("label"):
            what = f"{code}, an instrument instruments.csv does not describe"
        else:
            notes = _DIRECTION_NOTE.sub("", str(row.get("notes") or "")).strip()
            what = str(row["label"]) + (f". {notes}" if notes else "")
        what = description(what)
        items.append(f"- {escape(join_list(labels))}: {escape(what)}{'' if what.endswith('.') else '.'}")
    return Markdown("What counted as an event in each trial, as the table of instruments (instruments.csv) "
                    "describes the instrument of its rows:\n\n" + "\n".join(items) + "\n")


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


#: A pooled result of this many studies or fewer is said to be unable to assess
#: heterogeneity (:func:`_few_studies_heterogeneity`). With 2 or 3 studies Q has 1 or 2
#: degrees of freedom and little power, and τ² rests on as many effects, so its estimate
#: is 0 or nearly anything (Cochrane Handbook 10.10.2: the test has low power with few
#: studies, and I² is very imprecise with few). 3: the example's k = 2 gives I² 0.0% with
#: a Q-profile interval of 0.0% to 99.3%, and a third study narrows it little.
HETEROGENEITY_MAX_FEW = 3


def _few_studies_heterogeneity(p: Mapping[str, Any]) -> str:
    """" With 2 studies, heterogeneity cannot be assessed: τ² = 0 does not show that their
    effects agree." after a pooled result's τ², I² and Q, for k of at most
    :data:`HETEROGENEITY_MAX_FEW`; "" for more studies.

    A τ² estimate of 0 from two trials read as a finding that they agree; with so few
    studies it is what the estimator gives whatever their true effects, and Q cannot
    tell. Where τ² is above 0 the estimate is said to be very imprecise instead.
    """
    k = int(p["k"])
    if k > HETEROGENEITY_MAX_FEW:
        return ""
    if p.get("method") in ("EE", "FE"):
        why = "Q with so few degrees of freedom seldom detects a difference between their effects"
    elif f2(p["tau2"], 3) == f2(0.0, 3):
        why = "τ² = 0 does not show that their effects agree"
    else:
        why = "these estimates of it are very imprecise"
    return f" With {k} studies, heterogeneity cannot be assessed: {why}."


def _i2_words(p: Mapping[str, Any]) -> str:
    """" By the Cochrane Handbook's overlapping bands for I² (10.10.2: ...), 64.1% is
    substantial heterogeneity, and its 95% CI (34.7% to 94.5%) runs from “might not be
    important” to “considerable”." after a pooled result of at least
    :data:`~metareview.report.base.I2_WORDS_MIN` studies (plain text), else "".

    "I² = 64.1%" met a clinician with a number and no word of what it means; the
    Handbook's bands give the words, and its interval how far they can be trusted.
    """
    if p.get("I2") is None or int(p["k"]) < I2_WORDS_MIN:
        return ""
    bands = i2_bands(float(p["I2"]))
    if bands == ["might not be important"]:
        level = "heterogeneity that might not be important"
    elif bands[0] == "might not be important":
        level = "heterogeneity that might not be important, or moderate heterogeneity"
    else:
        level = f"{' or '.join(bands)} heterogeneity"
    guide = "; ".join(f"{lo:g}% to {hi:g}% {name}" for lo, hi, name in I2_BANDS)
    text = f" By the Cochrane Handbook\u2019s overlapping bands for I² (10.10.2: {guide}), {f2(p['I2'], 1)}% is {level}"
    lb, ub = p.get("I2_ci_lb"), p.get("I2_ci_ub")
    if lb is not None and ub is not None and not _empty_q_profile(p) and not p.get("ci_lb_sign") and not p.get(
            "ci_ub_sign"):
        low, high = i2_bands(float(lb))[0], i2_bands(float(ub))[-1]
        interval = f"its {_level_ci(p)} ({f2(lb, 1)}% to {f2(ub, 1)}%)"
        text += (f", and {interval} lies within that band" if low == high == bands[0] == bands[-1] else
                 f", and {interval} runs from \u201c{low}\u201d to \u201c{high}\u201d")
    return text + "."


def _zero_tau2_prediction(p: Mapping[str, Any]) -> str:
    """" The prediction interval equals the confidence interval only because τ² was
    estimated at 0: Q = 6.14 exceeds its 4 degrees of freedom, so the trials' true effects
    may differ more than that estimate says." (plain text), where a random-effects model's
    τ² is estimated at 0 though Q exceeds its degrees of freedom and a prediction interval
    is given; else "".

    Five trials' RR: 95% prediction interval 0.85 to 2.20, the confidence interval's own,
    read as trials that agree; REML put τ² at its bound of 0 from 5 studies whose Q (6.14
    on 4 df) is more than chance alone would give on average.
    """
    if (p.get("method") in ("EE", "FE") or p.get("pi_lb") is None or p.get("tau2") is None
            or float(p["tau2"]) > 0 or float(p["QE"]) <= int(p["k"]) - 1):
        return ""
    return (f" The prediction interval equals the confidence interval only because τ² was estimated at 0: Q = "
            f"{f2(p['QE'])} exceeds its {int(p['k']) - 1} degrees of freedom, so the trials\u2019 true effects may "
            "differ more than that estimate says.")


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
            # The verbatim support of each judgement, which a reader weighing a judgement
            # needs beside it (the caption promised it, and no column held it).
            support = "; ".join(f"{x['domain']}: {x['support']}" for x in judgements if x.get("support"))
            rows.append([doc["study"]["label"], tool, overall[0].replace("_", " ") if overall else "not recorded",
                         domains or "–", support or "–", "; ".join(by) or "not stated"])
    which = not_assessed_which(ctx)
    # What is known of the risk of bias without an assessment: the comparisons whose
    # participants could not be blinded to their treatment, as the summary says beside them.
    known = unblinded_said(ctx)
    unblinded = f" {escape(known)}" if known else ""
    if not rows:
        # The file's name is for an auditor: the provenance's raw columns name it. Said as
        # a limit of the review, with what it means for the results, not as a table left
        # empty (PRISMA 2020 item 18).
        if not which:
            return Markdown("Risk of bias was not assessed: no risk-of-bias judgement is recorded for any study."
                            f"{unblinded}\n")
        meaning = not_assessed_meaning(ctx, every=True)
        return Markdown(f"Risk of bias was not assessed for {escape(which)}: no risk-of-bias judgement is recorded "
                        f"for any study. {escape(meaning[:1].upper() + meaning[1:])}.{unblinded}\n")
    judged = table(["Study", "Tool", "Overall", "Domains", "Support", "Assessed by"], rows,
                   "Risk-of-bias judgements of trials and quality judgements of published reviews, as the team "
                   "recorded them, each with its support (the raw table the provenance names)", "tbl-risk-of-bias")
    # The studies the analyses use that the table does not hold, named: a reader of the
    # table would otherwise take the judged ones for all there are.
    said = not_assessed_said(ctx)
    after = (f"{escape(said[:1].upper() + said[1:])}." if said else "") + unblinded
    return Markdown(f"{judged}\n{after.strip()}\n") if after else judged


def _risk_of_bias_text(ctx: ReportContext) -> str:
    """What the report says of risk of bias and certainty: what was recorded, and what grades results."""
    judged = sum(1 for doc in ctx.normalised if _has_risk_of_bias(doc))
    # Which studies the analyses use without a judgement, and what that means for their
    # results: said as the review's limit, in every case where there are any.
    said = not_assessed_said(ctx)
    unjudged = f" {escape(said[:1].upper() + said[1:])}." if said else ""
    if any_judgement(ctx):
        # The file by what it holds: the provenance's raw columns name risk_of_bias.csv
        # for an auditor.
        recorded = (f"risk-of-bias judgements are recorded for {_judged_counts(ctx)} "
                    "(see @tbl-risk-of-bias)" if judged else
                    "no trial-level risk-of-bias judgements are recorded")
        return (f"{recorded}.{unjudged} The certainty of each analysis's evidence is rated with GRADE (Guyatt et al. 2008; "
                "Cochrane Handbook chapter 14) from the review team's judgements, the risk-of-bias domain "
                "included (the team's judgement of the body of evidence): randomised trials start at high, and each of risk of bias, inconsistency, "
                "indirectness, imprecision and publication bias rates the evidence down one level for a serious "
                "concern, two for a very serious one, down to very low at the lowest. The judgements name the "
                "studies they were made on; a study added to or removed from an analysis leaves them out of "
                "date, as does an edit to a study's data where they record its data fingerprint, and no level is "
                "given until they are made again (see @tbl-certainty)." + _imprecision_text(ctx)
                + _statements_text(ctx))
    if not judged:
        which = not_assessed_which(ctx)
        if which:
            return (f"not assessed for {escape(which)} (no study has a risk-of-bias judgement recorded): "
                    f"{escape(not_assessed_meaning(ctx, every=True))}. Each study's source and identity confidence "
                    "are in the evidence table.")
        return ("not assessed: no study has a risk-of-bias judgement recorded, so the risk of bias of every result "
                "here is unknown and, without it, the certainty of the evidence (GRADE), which starts from risk of "
                "bias, cannot be rated; each study's source and identity confidence are in the evidence table.")
    return (f"judgements are recorded for {_judged_counts(ctx)} (see @tbl-risk-of-bias); "
            "they are not used to weight, exclude or grade results, and no certainty of evidence (GRADE) is given."
            + unjudged)


def _imprecision_text(ctx: ReportContext) -> str:
    """What each judged analysis's interval is shown against for imprecision, as a sentence
    after the methods' account of GRADE: its outcome's minimal important difference where
    one is set (:func:`outcome_mid`, a mean difference's only), named with its source, and
    no difference otherwise; and that the rating is the team's.

    Without a stated target, "imprecision: not serious" could not be checked: the summary of
    findings' "interval excludes no difference" read as a significance test, which GRADE
    does not rate by (Zeng et al. 2021; Hultcrantz et al. 2017).
    """
    judged = [r for r in ctx.analyses if certainty_of(ctx, r).judged]
    if not judged:
        return ""
    mids: dict[str, str] = {}
    for r in judged:
        a = r["analysis"]
        mid = outcome_mid(ctx, a)
        if mid:
            amount = _mid_amount(float(mid["value"]), md_unit(ctx, a))
            mids.setdefault(a["outcome"], f"{_in_sentence(a.get('outcome_label') or a['outcome'])}: {amount}, "
                                          f"from {in_brackets(str(mid['source']))}")
    rest = any(not outcome_mid(ctx, r["analysis"]) for r in judged)
    team = "whether it is precise enough is the review team's rating, not the report's."
    if not mids:
        return (" For imprecision, the summary of findings shows each interval against no difference, as no "
                f"minimal important difference is set for a mean difference judged here; {team}")
    named = escape("; ".join(mids[o] for o in sorted(mids)))
    return (" For imprecision, the summary of findings shows the interval of each mean difference whose outcome "
            f"sets a minimal important difference against it ({named})"
            + (", and every other interval against no difference" if rest else "") + f"; {team}")


def _statements_text(ctx: ReportContext) -> str:
    """How a graded finding is worded (:func:`metareview.report.base.informative_statement`),
    as a sentence after the methods' account of GRADE, or "" where no result has a level."""
    if not any(certainty_of(ctx, r).status == "graded" for r in ctx.analyses):
        return ""
    return (" A graded finding is worded by its level, as GRADE's informative statements word it (Santesso et al. "
            "2020, J Clin Epidemiol 119:126-135): high, \"reduces\"; moderate, \"probably reduces\"; low, \"may "
            "reduce\"; very low, \"the evidence is very uncertain about the effect\". An interval compatible with no "
            "difference is called \"little or no difference\" only where it lies within the outcome's minimal "
            "important difference; otherwise it is described as an ungraded one is, with its level beside it.")


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
             "narrower than the Wald-type one.\n" if m["test"] == "adhoc" else
             "  - Its scale factor is not floored (Knapp & Hartung 2003; metafor's test \"knha\"): where the "
             "studies' results scatter about the pooled estimate less than their variances predict, the factor is "
             "below 1 and the interval narrower than the Wald-type one; each pooled estimate's row of the audit "
             "trail gives its factor.\n" if m["test"] == "knha" else "")
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
    # The Handbook's sections are renumbered between versions: the one whose numbers the
    # report cites is named where it is first cited.
    pi_min += ("; Higgins et al. 2009 and the Cochrane Handbook 10.10.4.3 (version 6.4, 2023, whose section numbers "
               "the report cites throughout) take t on k\u00a0−\u00a02 df instead, a wider interval")
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
        # Counted from sources.csv, not said in the config's words, which go stale.
        *([where_read] if (where_read := where_read_text(ctx)) else []),
        outcomes_sought_text(ctx),
        # The plain statement first, for a reader who wants only that; the details an
        # auditor checks follow, one sub-bullet each, rather than one chain of clauses.
        (f"- **Model**: studies are pooled with a random-effects model, which allows their true effects to differ "
         f"from study to study; intervals are {m['level']:g}%.\n"
         f"  - Between-study variance: τ² by {est}.\n"
         f"  - Confidence interval and test: {test}.\n{floor}{_equal_effects_methods(m)}"
         f"  - Prediction interval: pred ± {pi_crit} · √(SE² + τ²) as in metafor, SE the pooled estimate's as its "
         f"test gives it{pi_min}.\n"
         "  - Intervals for τ² and I²: Q-profile, τ² searched up to 100 or ten times its estimate (metafor's default)"
         + (" or, for a mean difference on a scale wider than 10 points, up to the square of its scale's "
            "range (no between-study SD exceeds the range)" if _wide_mean_difference(cfg) else "")
         + ", a bound beyond that printed as \\> that end.\n"
         "  - I²: from τ² and the typical within-study variance (metafor's definition). With "
         f"{HETEROGENEITY_MAX_FEW} studies or fewer, a pooled result says heterogeneity cannot be assessed: Q has "
         "too few degrees of freedom to detect it and τ² is estimated from too few effects, so τ² = 0 does not show "
         "the effects agree.\n" if not fixed else
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
         f"random-effects model{_sample_size_also(ctx)}) only with {_small_study_min(ctx)} or more studies "
         + ("(the review's threshold): with fewer, such a test cannot tell asymmetry from chance (Sterne et al. 2011)."
            if _small_study_min(ctx) == STERNE_MIN_STUDIES else
            # A stricter threshold is the review's own: Sterne et al. put the least at 10.
            f"(the review's own threshold), more than the {STERNE_MIN_STUDIES} Sterne et al. 2011 advise as the fewest "
            "for such a test to tell asymmetry from chance."
            if _small_study_min(ctx) > STERNE_MIN_STUDIES else
            f"(the review's own threshold), fewer than the {STERNE_MIN_STUDIES} Sterne et al. 2011 advise for such a "
            "test to tell asymmetry from chance: a test on fewer has little power, and its p-value says little.")),
        *([_continuous_effects_text(continuous, bool(eff.get("median_to_mean")),
                                    used=_used_by(ctx, _from_median_effect),
                                    re_expressed=any(r.get("re_expressed") for r in ctx.analyses))]
          if continuous else []),
        *([_binary_effects_text(binary, used=_used_by(ctx, _continuity_corrected),
                                alpha=1 - float(ctx.config["methods"].get("level", 95)) / 100)] if binary else []),
        *([f"- **Common scales**: {outcomes}. {scales_text}"] if continuous else []),
        _mid_methods_text(ctx),
        # The words of a timepoint converted to weeks only where an effect here has one: a
        # review whose sources all give weeks was told of conversions it did not have.
        (f"- **Time windows**: {windows}. Each study contributes the timepoint nearest the target among those with usable "
         "data (earlier on ties)"
         + (", for final values and change scores each before the analysis takes one of the two" if continuous else "")
         + ". A timepoint is placed by the weeks in its raw row"
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
         "an effect from a trial of a narrower, broader or another population, or of one the source does not show "
         "to be this review's (unclear), says so"
         + (", and published meta-analyses of a broader or another population are shown but not counted in the "
            "report's tallies of reviews" if published else "")
         + ". Each trial that contributes to an analysis is described after the evidence table: the population it "
         "enrolled, the number randomised, its arms as the source describes them, and the timepoints used"
         + ("; the population of each published meta-analysis is given beside its results." if published else ".")),
        f"- **Treatment nodes**: {nodes}."
        + (" Comparators the sources do not name are never grouped." if _has_unnamed(ctx) else "")
        + _outside_nodes(ctx),
        f"- **Risk of bias and certainty**: {_risk_of_bias_text(ctx)}",
        # How bias due to missing results was looked for (PRISMA 2020 item 14): the
        # small-study test alone, which these analyses are mostly too small for, was all
        # the methods said of it.
        *([("- **Bias due to missing results**: looked for in the data (no tool such as ROB-ME applied): the "
            "limitations count the trials of the analysed comparisons whose result is given, in the documents read "
            "here, only as a p-value (where nothing else keeps it out) or only in words, or has no rows entered; how "
            "many of those results report a statistically significant difference favouring the intervention or the "
            "comparator, no difference, or no direction; and the analyses with too few studies for the small-study "
            "test; and say which way such missing results could move the estimates." if missing_results_said(ctx)
            else "- **Bias due to missing results**: looked for in the data (no tool such as ROB-ME applied): no "
            "trial of the analysed comparisons gives its result only as a p-value or only in words, or has no "
            "result rows entered, and "
            # With no study effect, "every analysis with one has the studies" held of none.
            + ("every analysis with a study effect has the studies the small-study test needs."
               if any(r["studies"] for r in ctx.analyses) else
               "no analysis has a study effect for the small-study test to be run on."))]
          if ctx.analyses else []),
        "- **Designs**: randomised trials are pooled"
        + ("; published meta-analyses are shown as external evidence and never pooled with trials" if published else "")
        + ("; guidelines and consensus statements are narrative evidence" if narrative else "") + "."
        + " " + escape(UNIT_OF_ANALYSIS) + _design_caveats(ctx),
        *([_indirect_methods(ctx)] if ctx.config.get("indirect") else []),
        _reporting_forms_text(eff, bool(continuous), sd_used=_used_by(ctx, _sd_derived),
                              t_used=(_used_by(ctx, lambda x: SMD_FROM_T_FLAG in (x.get("flags") or []))
                                      if any(a["measure"] == "SMD" for a in ctx.config.get("analyses", []))
                                      else None)),
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


#: How a trial's arms and a crossover trial's results enter the analyses, for the methods'
#: designs (checked against metareview.extract, which builds one effect per trial and
#: analysis from the arms of its two nodes, and metareview.indirect, which keeps a
#: multi-arm trial out of an indirect comparison through its shared arm). The raw tables
#: have no period column, so a crossover trial's numbers are taken as entered.
UNIT_OF_ANALYSIS = (
    "Each trial enters an analysis at most once: its arms in each of the two groups compared are combined into "
    "one (events and sizes added; means and SDs pooled, Cochrane Handbook 6.5.2.10). A comparator arm shared by "
    "arms of different groups enters each of their analyses once, never twice in one, and a multi-arm trial is "
    "left out of an indirect comparison through its shared arm (its own comparison is direct evidence). A "
    "crossover trial's results enter as its rows give them, as a parallel-group trial's: the raw tables hold no "
    "period, so first-period data are used only where the row gives them.")


def _equal_effects_methods(m: Mapping[str, Any]) -> str:
    """The methods' sub-bullet on the equal-effects estimate given beside a pooled interval
    on t with 1 degree of freedom (:func:`metareview.analysis.equal_effects_fit`), or ""
    where the test is z (no such interval), the model an equal-effects one already, or
    ``min_studies`` above 2 (no analysis pools two studies)."""
    if m.get("test") not in T_TESTS or m.get("method") in ("EE", "FE") or int(m.get("min_studies", 2)) > 2:
        return ""
    # numpy and scipy: imported only for a t-based model, as the summary's caveat does.
    from metareview.distributions import t_ppf

    crit = float(t_ppf(0.5 + float(m.get("level", 95)) / 200.0, 1))
    return ("  - With 2 studies the interval is on t with 1 degree of freedom (critical value "
            f"{crit:.2f}), too wide to inform whatever the two show: an equal-effects (common-effect) estimate "
            "with its Wald-type interval (metafor's method \"EE\", test \"z\") is given beside it as a sensitivity "
            "analysis, never in its place. It assumes a single true effect, so its interval is too narrow if the "
            "studies' true effects differ (Cochrane Handbook 10.10.4).\n")


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


def _used_by(ctx: ReportContext, test: Callable[[Mapping[str, Any]], bool]) -> str:
    """"used by: Trial A and Trial B" for a method the methods name, the studies whose
    effects here it made, or "used by: none in this review". A method listed without
    it sent an auditor looking for traces of conversions no row needed (no median, no SE
    and no zero cell in the example's data), unable to tell absent from untraced."""
    labels = sorted({s["label"] for r in ctx.analyses for s in r["studies"] if test(s)})
    return f"used by: {escape(join_list(labels))}" if labels else "used by: none in this review"


def _from_median_effect(s: Mapping[str, Any]) -> bool:
    """Whether a study effect uses means and SDs estimated from medians."""
    return str(s.get("form", "")).startswith("arm-level medians")


def _sd_derived(s: Mapping[str, Any]) -> bool:
    """Whether a study effect uses an SD derived from an SE or a CI of a mean (its steps,
    metareview.extract)."""
    return any("SD from SE" in x or "SD = sqrt(n) x (upper - lower)" in x for x in s.get("steps") or [])


def _continuity_corrected(s: Mapping[str, Any]) -> bool:
    """Whether a study effect's 2×2 table had ½ added to each cell (its flag)."""
    return any(str(f).startswith("zero cell: 1/2 added") for f in s.get("flags") or [])


def _binary_effects_text(measures: Sequence[str], used: str = "", alpha: float = 0.05) -> str:
    """The methods' paragraph on binary outcomes, each clause only for a measure among
    ``measures`` (the review's binary ones: "OR", "RD", "RR"): a review of risk ratios
    alone read of odds ratios and risk differences it never computes. ``alpha`` is the
    threshold of the exact test whose finding's fragility the report gives (1 - level).

    The absolute effects per 1,000 follow the Cochrane Handbook (Higgins et al., 2023),
    14.1.5.1: RR × risk, OR × risk / (1 − risk + OR × risk), risk + RD.
    """
    ratios = [name for m, name in (("RR", "risk"), ("OR", "odds")) if m in measures]
    rd = "RD" in measures
    ratio_words = " and ".join(ratios).capitalize() + " ratios" if ratios else ""
    # "a, or b": each clause holds commas of its own, so no list of three is read into two.
    # Near 1, not 1: with ½ added to each cell a risk ratio is (n₂ + 1)/(n₁ + 1), 0.49
    # for 0/34 against 0/16, so such a trial still pulls a pooled ratio a little.
    zero = ", or ".join([*([("a ratio near 1 (exactly 1 only with arms of equal size) with a wide interval and little "
                             "weight (the Cochrane Handbook, 10.4.4.1, would leave it out of a pooled ratio)")]
                           if ratios else []),
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
        f"every cell of a 2×2 table with a zero cell{'; ' + used if used else ''}); a trial with no events in either arm (or events in every "
        "participant of both) is kept, as metafor's escalc and rma keep it by default (drop00 = FALSE): "
        f"{zero}"
        # The variance of a log risk ratio, 1/a − 1/n₁ + 1/c − 1/n₂, nears 0 when every
        # participant has the event: such a trial is no ratio "with little weight".
        + ("; but a risk ratio of a trial with events in every participant of both arms lies near 1 with a narrow "
           "interval and much weight, the variance of its log (1/a − 1/n₁ + 1/c − 1/n₂) nearing 0, and is flagged"
           if "RR" in measures else "")
        + f"; arms of one node combined by adding events and sizes (Cochrane Handbook 23.3.4). {pooled}. When "
        f"the events are beneficial (responders, improvement), {favour} favour the intervention; for harmful "
        "events, below. Each is also given per 1,000 people at the comparator risk the trials observed (the "
        "trial's, or the median of the trials'), or at the one the review assumes for the analysis "
        "(with its source), and at any other risks it names (a "
        f"summary-of-findings table's low- and high-risk rows): {formulas_text} (Cochrane Handbook 14.1.5.1), the "
        # As GRADEpro computes it: Haake 2007's 475.4 against 441.6 per 1,000 is 34 more,
        # though the rounded risks printed beside it differ by 33.
        "difference taken before rounding, as in a GRADE summary-of-findings table; a bound that would fall "
        "below 0 or above 1,000 per 1,000 is not given. The effect "
        # Of every such trial, pooled or alone (metareview.analysis.sparse_exact_p): the
        # study effects of a pooled analysis give it beside each, which "an analysis's
        # only trial" left unexplained.
        "of each trial whose 2×2 table has a cell below 5 also gets Fisher's exact test (two-sided), beside it in "
        "its analysis's study effects, its Wald interval being a rough approximation there. Where an analysis's "
        "one trial's exact test finds a difference that its interval does not, the report says how few events "
        "that finding rests on: the fewest events, moved toward no difference in one arm, that take its p to "
        f"{alpha:g} or above (Walsh et al. 2014).")


def _continuous_effects_text(measures: Sequence[str], median_to_mean: bool, used: str = "",
                             re_expressed: bool = False) -> str:
    """The methods' paragraph on mean differences and SMDs, each sentence only for a
    measure among ``measures`` (the review's continuous ones: "MD", "SMD"), and, where an
    SMD is re-expressed in an instrument's points (``re_expressed``), a line on how."""
    said = []
    if "SMD" in measures:
        # No-break spaces inside the formulas' terms, as in t(k − 1): the PDF broke a line
        # after "Γ((m" and began the next with "− 1)/2))", which reads as minus one.
        said.append("SMD as Hedges' g with the exact small-sample correction J(m) = Γ(m/2) / (√(m/2) "
                    "Γ((m\u00a0−\u00a01)/2)), m = n₁\u00a0+\u00a0n₂\u00a0−\u00a02, and variance 1/n₁ + 1/n₂ + "
                    "g²/(2(n₁\u00a0+\u00a0n₂)); a reported Cohen's d is corrected the same way, and a reported SMD "
                    "is taken as corrected already, its variance from its interval or else from that formula.")
    if "MD" in measures:
        said.append("Mean differences on the common scales.")
    said.append("For mean differences and SMDs, negative values favour the intervention."
                 if len(measures) > 1 else
                 f"For {'mean differences' if 'MD' in measures else 'SMDs'}, negative values favour the intervention.")
    if median_to_mean:
        said.append("A median with its quartiles or range, given without a mean or SD, gives an estimated mean and SD "
                    "(Luo et al. 2018 for the mean; for the SD, Wan et al. 2014 from the quartiles or the range, Shi et "
                    "al. 2020 from all five numbers), which assume a roughly normal outcome (no test of skewness is "
                    f"made); each such effect is flagged{f' ({used})' if used else ''}.")
    # (metareview.reexpress.)
    points = ("\n  - In an instrument's points: an SMD and its interval are multiplied by the pooled SD of the "
              "comparator arms of its trials that used the instrument, √(Σ(nᵢ\u00a0−\u00a01) SDᵢ² / "
              "Σ(nᵢ\u00a0−\u00a01)), on the final values or change scores the SMD was computed from (Cochrane "
              "Handbook 15.5.3.2)."
              if re_expressed and "SMD" in measures else "")
    return "- **Effect sizes**: " + " ".join(said) + points



def _imbalance_source(threshold: float) -> str:
    """Where the baseline-imbalance threshold comes from: Austin's convention at 0.1, the
    review team's own choice at any other value (a citation of Austin beside 0.2 would
    lend it an authority it does not have)."""
    if abs(float(threshold) - 0.1) < 1e-12:
        return "a convention of observational studies, Austin 2009"
    return "the review team\u2019s threshold; the convention of observational studies is 0.1, Austin 2009"

def _reporting_forms_text(eff: Mapping[str, Any], continuous: bool = True, sd_used: str = "",
                          t_used: str | None = None) -> str:
    """The methods' paragraph on the forms of reporting read (``effects`` in the config):
    means, SDs and change scores only for a review with an MD or SMD analysis
    (``continuous``); arm sizes from a total N for any. ``sd_used`` and ``t_used``: the
    studies whose effects an SD from an SE or CI, and an SMD through a mean difference's
    t statistic, made (:func:`_used_by`); ``t_used`` None for a review with no SMD
    analysis, whose methods do not speak of one: its mean differences may mix final
    values and change scores (Cochrane Handbook 10.5.2), and the methods say so rather
    than how an SMD keeps them apart, which a review of mean differences alone read
    with "SMD" in its list of abbreviations."""
    if not continuous:
        return ("- **Reporting forms**: arm sizes are "
                + ("split equally from a total N where only the total is reported, and flagged."
                   if eff["assume_equal_arms_from_total"] else "never split equally from a total N."))
    chosen = ("each analysis uses the type most studies report; on a tie, final values, or change scores when a trial "
              "reporting both has final values flagged for a baseline difference, as below")
    value_types = (
        f"final values and change scores are never mixed within an SMD ({chosen}; a trial with only the other type is "
        "set aside, its own SMD given beside; a reported SMD or d whose source does not say which type it is enters "
        "with either, flagged)" if t_used is not None else
        f"final values and change scores may be mixed within a mean difference, as the Cochrane Handbook (10.5.2) "
        f"allows ({chosen}; "
        "a trial with only the other type enters with it, flagged, as does a reported difference whose source does "
        "not say which type it is)")
    return (
        f"- **Reporting forms**: arm-level means and SDs are preferred to a reported contrast at the same timepoint; "
        f"{value_types}; within-group changes are "
        f"never used as between-group effects; arms of the same node in one trial are combined (Cochrane Handbook 6.5.2.10). "
        f"An effect from final values whose arms already differed at baseline (week 0) by a standardised difference "
        f"(Cohen\u2019s d{'' if t_used is None else ', without the small-sample correction of Hedges’ g'}) of "
        f"{eff['baseline_imbalance_smd']:g} or more ({_imbalance_source(eff['baseline_imbalance_smd'])}; in small trials chance "
        f"alone often reaches it, so the flag marks a difference, not a bias) is flagged: final values carry that difference, "
        f"change scores less of it while baseline and follow-up are well correlated (the Cochrane Handbook, 10.5.2, "
        f"prefers a result adjusted for baseline where a trial reports one). "
        f"Arm sizes split equally from a total N: {'allowed and flagged' if eff['assume_equal_arms_from_total'] else 'not allowed'}. "
        f"SDs from an SE or a CI of the mean are derived (Cochrane Handbook 6.5.2.2{'; ' + sd_used if sd_used else ''}), and a reported mean "
        f"difference's SE from its interval: the width over 2t, t on n₁\u00a0+\u00a0n₂\u00a0−\u00a02 degrees of freedom while both "
        f"groups are under 100, else (or when the arm sizes are unknown: neither reported nor split from a total) over "
        f"2z (6.5.2.3), the interval shown then drawn with z, as metafor draws a study's, and flagged where that "
        f"makes it narrower than the source's. "
        + ("" if t_used is None else
           "A reported mean difference with that SE (or its interval) and the arm sizes enters an SMD analysis through "
           "its t statistic: d = (MD / SE) √(1/n₁\u00a0+\u00a01/n₂), then Hedges' correction, as metafor's escalc "
           f"computes it from t (6.5.2.3{'; ' + t_used if t_used else ''}), flagged, as it assumes the SE of an "
           "unadjusted comparison. ")
        + "Other missing SDs are "
        + ("imputed from the study’s exact p-value for the same contrast, assuming equal SDs, and flagged, as is "
           "the SE of a mean difference reported with only its exact p-value (SE = |MD| / t, a t-test assumed)."
           if eff["impute_missing_sd"] else
           "not imputed, nor is the SE of a mean difference reported with only its exact p-value (such rows are "
           "listed as not poolable).")
    )


def _risk_of_bias_flag(ctx: ReportContext, study: Mapping[str, Any]) -> list[str]:
    """["overall risk of bias: high"] for a study the team judged (risk_of_bias.csv), else []:
    the study-effects table gave each trial's effect with no word of it."""
    judged = _overall_risk_of_bias(ctx, study["study_id"])
    return [f"overall risk of bias: {judged.replace('_', ' ')}"] if judged else []


def warnings_section(ctx: ReportContext) -> Markdown:
    """The consistency warnings (:func:`consistency_warnings`) as a table."""
    warnings = consistency_warnings(ctx, quotes=("\u2018", "\u2019"))
    rows = [[label, report_quotes(text)] for label, text, _ in warnings]
    if not rows:
        return Markdown("No consistency check raised a warning.\n")
    # A source document no table cites is no study, nor is the codebook: the heading names
    # what is there.
    def about(key: str) -> str:
        if key.startswith("uncited_source "):
            return "source"
        if key == "stale_codebook":
            return "file"
        if key.startswith(f"{GRADE_FLAG} "):
            return "analysis"
        table = key.partition(" ")[2].partition(".csv:")[0]
        return {"sources": "source", "treatments": "treatment", "instruments": "instrument",
                "claims": "claim"}.get(table, "Study")

    # What the rows are about, in the heading: "Study or source", "Study, claim or file".
    found = {about(key) for _, _, key in warnings}
    subjects = ["Study", *sorted(found - {"Study", "file"}), *(["file"] if "file" in found else [])]
    # Not a number: the caption says what else the table holds, as for the codebook.
    coded = any(key.startswith("sham_arm_names_active ") for _, _, key in warnings)
    unplaced = any(key.startswith("arm_in_no_node ") for _, _, key in warnings)
    lost = any(key.startswith(("lost_character ", "spreadsheet_conversion ")) for _, _, key in warnings)
    graded = "analysis" in found
    return table([join_list(subjects, "or"), "Warning"], rows,
                 "Consistency warnings: numbers in the raw tables that disagree with each other, with their "
                 "timepoint's words or with their quote, and results printed alike by more than one study"
                 + ("; arms coded as a sham or control that their description names as an active treatment"
                    if coded else "")
                 + ("; arms with results whose treatment no node of the config includes" if unplaced else "")
                 + ("; text cells an encoding or a spreadsheet changed" if lost else "")
                 + ("; GRADE ratings of not serious that the report's own facts question" if graded else "")
                 + ("; and a codebook the schemas have moved on from" if "file" in subjects else ""),
                 "tbl-warnings")


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


def _window_words(ctx: ReportContext, window: str) -> str:
    """A configured window as a sentence names it: "medium term (13 to 26 weeks, nearest
    to 26 weeks)", its label mid-sentence, or its code where it has none."""
    label = ((ctx.config.get("windows") or {}).get(window) or {}).get("label")
    return _in_sentence(str(label)) if label else window.replace("_", " ")


def uncovered_section(ctx: ReportContext) -> Markdown:
    """The comparisons no analysis covers (:func:`uncovered_comparisons`), as a table; a
    comparison analysed in other windows only, with the window its results fall in."""
    uncovered = uncovered_comparisons(ctx)
    rows = [[f"{ctx.labels.get(u['intervention'], u['intervention'])} vs "
             f"{ctx.labels.get(u['comparator'], u['comparator'])}"
             + (" (add-on: the intervention added to the comparator's treatment)" if u["add_on"] else ""),
             Markdown(str(_uncovered_outcome_cell(ctx, u["outcome"])) if not u.get("window") else
                      escape(f"{outcome_text(ctx, u['outcome'])}, {_window_words(ctx, u['window'])}: no analysis of "
                             "this comparison in this window")),
             "; ".join(u["studies"])] for u in uncovered]
    within = _within_node_text(ctx)
    if not rows:
        # "Every comparison" would take in a trial's comparison of two treatments of one
        # node (strengthening against stretching), which no analysis can cover.
        # Nor the arms of a treatment in no node, which a team adding such a treatment
        # (a waiting list to a review of two active ones) looked for here in vain.
        outside = (" Arms of treatments no node includes enter no analysis and are not counted here (the "
                   "[methods](#sec-methods) list them)." if _outside_nodes(ctx) else "")
        return Markdown("Every comparison between two nodes, one of them an active treatment, that a trial in the "
                        f"data reports is covered by an analysis.{outside}{within}\n")
    # What the reader is looking at, in words: the table is the team's list of gaps (its
    # cells may name config keys), and the provenance names the key of the analyses.
    timed = any(u.get("window") for u in uncovered)
    intro = ("Trials in the data compare these treatments on these outcomes, but none of the analyses this review "
             f"defines{' (@tbl-analyses)' if ctx.config.get('analyses') else ''} compares them"
             + (" (or, where the outcome names a time window, none compares them in that window)" if timed else "")
             + ", so these results enter no analysis: whether one belongs in the "
             "review is the review team's choice. Not listed: comparisons "
             "between two controls, between arms of one node, and of treatments no node includes (see the "
             f"methods).{within}\n")
    return Markdown(intro + table(["Comparison", "Outcome", "Trials"], rows,
                                  "Comparisons reported by trials in the data that no analysis covers", "tbl-uncovered"))


def excluded_statement_refs(ctx: ReportContext, r: Mapping[str, Any], e: Mapping[str, Any]) -> list[str]:
    """The statements in words (their raw refs) by which the trial ``e`` analysis ``r``
    set aside states a result on the analysis's comparison and outcome: those of its
    narrative entries that compare two arms (a statement about one arm alone compares
    nothing). What the table of trials set aside points to with "a result given in words
    only", and what the audit's counts of its trials name with the trial's other rows."""
    stated = {n["ref"] for n in r.get("narrative", []) if n.get("study_id") == e.get("study_id")}
    doc = next((d for d in ctx.normalised if d["study"]["study_id"] == e.get("study_id")), None)
    return [x["ref"] for x in (doc["statements"] if doc else []) if x["ref"] in stated and x.get("arm2")]


def _excluded_reason(ctx: ReportContext, r: Mapping[str, Any], e: Mapping[str, Any]) -> Markdown:
    """Why a trial was set aside from analysis ``r`` (its ``reason``), and, where the
    trial states a result on the analysis's comparison and outcome in words, that it does,
    pointing to @tbl-narrative: "no value after baseline ... of week 0" alone read as if
    Cherkin 2009 had reported no later pain, when its abstract gives the 8-week changes as
    a range across three arms. Statements about one arm alone compare nothing and are
    not pointed to. The reason names no raw file or row: the reader's prose leaves those
    to the narrative table's source column and the audit trail, which carry them."""
    refs = excluded_statement_refs(ctx, r, e)
    # Another window that would take the result, pointing to the table that lists it.
    window = _unanalysed_window_text(ctx, r, e)
    reason = Markdown(f"{escape(e['reason'] + window)} (see @tbl-uncovered)") if window else escape(e["reason"])
    if not refs:
        return reason
    return Markdown(f"{reason}; a result given in words only (see @tbl-narrative)")


def _unanalysed_window_text(ctx: ReportContext, r: Mapping[str, Any], e: Mapping[str, Any]) -> str:
    """"; week 16 is in the medium term (13 to 26 weeks), in which no analysis of this
    comparison is defined" for a trial set aside for a timepoint
    outside its analysis's window that lies in another configured window no analysis of
    the same comparison and outcome covers, or "" (plain text).

    "Outside the window" alone left the result in no list of analyses to add: the team
    reads here which window would take it, and @tbl-uncovered lists it with that window.
    """
    a = r["analysis"]
    pair = {a["intervention"], a["comparator"]}
    analysed = {x["window"] for x in ctx.config.get("analyses", [])
                if {x["intervention"], x["comparator"]} == pair and x["outcome"] == a["outcome"]}
    said = []
    for reason in e.get("reasons") or []:
        timepoint = reason.get("timepoint") or {}
        if timepoint.get("kind") != "outside_window":
            continue
        for weeks in timepoint.get("weeks") or []:
            for name, w in (ctx.config.get("windows") or {}).items():
                if name not in analysed and float(w["min_weeks"]) <= float(weeks) <= float(w["max_weeks"]):
                    said.append(f"week {float(weeks):g} is in the {_window_words(ctx, name)}, in which no analysis "
                                "of this comparison is defined")
    return f"; {join_and(list(dict.fromkeys(said)))}" if said else ""


def _missing_reason(ctx: ReportContext, study_id: str) -> str:
    """"; no results entered: the results part of the abstract is truncated ..." after a
    trial with no result rows, from its ``results_missing_reason`` in studies.csv (escaped
    Markdown), or "" where the team gave none.

    "No result rows in the raw tables" alone left the reader to guess whether the trial
    reported nothing, its report could not be read, or its rows were still to be entered:
    each means something different for the results missing from the analyses. Read by
    study id: two studies may share a label.
    """
    reason = results_missing_reason(ctx, study_id)
    # Inside the list's brackets: its own brackets set off by commas, as a label's are.
    return f"; no results entered: {escape(in_brackets(reason))}" if reason else ""


def excluded_section(ctx: ReportContext) -> Markdown:
    """Trials that could have entered an analysis but did not, with the reason."""
    names = analysis_names(ctx)
    rows = []
    for r in ctx.analyses:
        for e in r["excluded"]:
            rows.append([e["label"], names[r["analysis"]["id"]], _excluded_reason(ctx, r, e)])
    empty = trials_without_results(ctx)
    # Trials of the analyses' comparisons with no result rows at all enter no analysis's
    # list of trials set aside (each analysis lists the rows it could not use), and a team
    # mid-extraction, or a reader accounting for every included trial, found them only
    # as "no results entered" in the evidence table.
    unfilled = ("" if not empty else
                f" {'This trial' if len(empty) == 1 else 'These trials'} of the analyses' comparisons "
                f"{'has' if len(empty) == 1 else 'have'} no result rows in the raw tables, so "
                f"{'it enters' if len(empty) == 1 else 'they enter'} no analysis: "
                + "; ".join(f"{escape(label)} ({escape(join_and(pairs))}{_missing_reason(ctx, sid)})"
                            for sid, label, pairs in empty) + ".\n")
    if not rows:
        return Markdown(("Every candidate trial with results entered its analyses."
                         if empty else "Every candidate trial entered its analyses.") + (unfilled or "\n"))
    return Markdown(str(table(["Study", "Analysis", "Why it was not used"], rows,
                              "Trials that could not be used in an analysis, and why", "tbl-excluded"))
                    + (f"\n{unfilled.lstrip()}" if unfilled else ""))


def _interval_side(analysis: Mapping[str, Any], estimate: float, lb: float, ub: float) -> str:
    """Where an interval (analysis scale, no difference at 0) lies: "for" the
    intervention, "against" it (the comparator's side) or "neither" (it includes 0)."""
    if not (lb > 0 or ub < 0):
        return "neither"
    return "for" if favours_intervention(analysis, estimate) else "against"


def _side_words(analysis: Mapping[str, Any], side: str, proper: Collection[str] = ()) -> str:
    """An interval's side in the words of the report's results: "wholly on acupuncture's
    side", "wholly on the comparator's side", "compatible with no difference"."""
    if side == "neither":
        return "compatible with no difference"
    if side == "against":
        return "wholly on the comparator\u2019s side"
    name = _in_sentence(analysis["intervention_label"], proper) if analysis.get("intervention_label") else ""
    if not name or "<" in name:
        # A label is data, and an attribute (fig-alt) cannot escape it: a bare "<" there
        # would reach pandoc's reader, which scans on from it for an autolink's end.
        return "wholly on the first-named treatment\u2019s side"
    # "the side of Furlan et al. (2005)", not "(2005)'s side", as the audit appendix says it.
    return f"wholly on the side of {name}" if name.rstrip().endswith(")") else f"wholly on {name}\u2019s side"


def _drawn_sides(analysis: Mapping[str, Any], drawn: Sequence[Mapping[str, Any]], proper: Collection[str]) -> str:
    """Where the drawn published intervals lie, as the plot shows them beside the line of
    no difference: "every interval wholly on acupuncture's side", "its interval compatible
    with no difference", or a count of each ("3 intervals wholly on acupuncture's side and
    1 compatible with no difference")."""
    counts = Counter(_interval_side(analysis, float(e["estimate"]), float(e["ci_lb"]), float(e["ci_ub"]))
                     for e in drawn)
    if len(counts) == 1:
        side = next(iter(counts))
        return f"{'its' if len(drawn) == 1 else 'every'} interval {_side_words(analysis, side, proper)}"
    parts = [f"{counts[side]}{' interval' + ('s' if counts[side] > 1 else '') if i == 0 else ''} "
             f"{_side_words(analysis, side, proper)}"
             for i, side in enumerate(side for side in ("for", "neither", "against") if counts[side])]
    return join_and(parts)


def forest_alt(analysis: Mapping[str, Any], result: Mapping[str, Any], level: float, mid: str = "",
               proper: Collection[str] = ()) -> str:
    """The forest plot's alternative text: what it draws, for a reader who cannot see it.

    The caption (read as well) names the comparison and the measure; this says how many
    studies the plot draws and where their intervals lie, the pooled estimate or the single
    study's effect with its ``level``% interval and where that interval lies ("compatible
    with no difference", "wholly on acupuncture's side"), how many published meta-analyses are drawn with them
    and where their intervals lie, and where the values are written out: what a sighted
    reader sees at a glance against the plot's line of no difference, in the words the
    results use. Without it the plot was an image with an empty alt, which
    a screen reader passes over (WCAG 2.2, success criterion 1.1.1, "Non-text content").
    Published intervals the plot marks as not at its level (:func:`metareview.plots.unmatched_levels`)
    are counted, as the plot's footnotes give them; ``mid``, the sentence of
    :func:`mid_figure_note`, says what the plot's dashed lines mark; ``proper``, the labels
    kept as written mid-sentence (:func:`metareview.fmt.in_sentence`). Plain text:
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
    # Where the drawn reviews' intervals lie, which the plot shows beside the trials'.
    sides = _drawn_sides(a, drawn_list, proper) if drawn else ""
    # And where the trials' own lie, each a line the reader sees above the diamond: the
    # pooled interval alone did not say that every trial's own held no difference too.
    with_ci = [{"estimate": s["yi"], "ci_lb": s["ci_lb"], "ci_ub": s["ci_ub"]} for s in studies
               if all(s.get(x) is not None for x in ("yi", "ci_lb", "ci_ub"))]
    trials = f"{k} studies" + (f" ({_drawn_sides(a, with_ci, proper)})" if k > 1 and len(with_ci) == k else "")
    if r["status"] == "pooled":
        p = r["pooled"]
        what = (f"Forest plot of {trials} and their pooled estimate, {a['measure']} "
                f"{f2(shown(a, p['estimate']))} ({p['level']:g}% CI {ci_text(shown(a, p['ci_lb']), shown(a, p['ci_ub']))}), "
                f"interval {_side_words(a, _interval_side(a, p['estimate'], p['ci_lb'], p['ci_ub']), proper)}")
    elif k == 1:
        s = studies[0]
        # Not named: a study's label is data, which an attribute cannot escape (the
        # table of study effects below names it).
        what = (f"Forest plot of one study: {a['measure']} {f2(shown(a, s['yi']))} "
                f"({level:g}% CI {ci_text(shown(a, s['ci_lb']), shown(a, s['ci_ub']))}), interval "
                f"{_side_words(a, _interval_side(a, s['yi'], s['ci_lb'], s['ci_ub']), proper)}; no pooled estimate")
    elif k:
        what = f"Forest plot of {trials}; no pooled estimate"
    else:
        return (f"Forest plot of published meta-analyses only (no usable trial): {reviews}, not pooled; {sides}.{mid} "
                "The values are written out in the text below.")
    if drawn:
        # A colon, not a comma: "4 published meta-analyses, 2 intervals wholly on ..., 1
        # ..." read as a list of four things drawn.
        what += f"; also drawn, not pooled: {reviews}: {sides}"
    return f"{what}.{mid} The values are written out in the table of study effects below and in the text."


def funnel_alt(analysis: Mapping[str, Any], result: Mapping[str, Any], proper: Collection[str] = ()) -> str:
    """The funnel plot's alternative text: what a sighted reader sees in it.

    How many studies it draws against what, the pooled estimate it is centred on, how
    many lie outside the region where the analysis's level of them would lie without
    heterogeneity or small-study effects (:math:`|y_i - \\hat\\mu| > z_{1-\\alpha/2}
    \\sqrt{v_i}`), and on which side of the estimate the less precise half lie: the
    asymmetry the test beside it measures. Plain text (see :func:`forest_alt`).
    """
    a, p = analysis, result["pooled"]
    studies = funnel_studies(result)
    k = len(studies)
    level = float(p.get("level") or 95.0)
    z = NormalDist().inv_cdf(0.5 + level / 200.0)
    centre = float(p["estimate"])
    outside = sum(1 for _, yi, se in studies if abs(yi - centre) > z * se)
    # The less precise half (the lower half of the plot), by standard error.
    low = sorted(studies, key=lambda s: -s[2])[: k // 2]
    favouring = sum(1 for _, yi, _ in low if yi != centre and favours_intervention(a, yi - centre))
    side = escape(_in_sentence(a["intervention_label"], proper))
    scale = ", log scale" if a.get("scale") == "log" else ""
    return (f"Funnel plot of the {k} pooled studies: each study's {a['measure']}{scale} (horizontal axis) against its "
            f"standard error (vertical axis, 0 at the top, the most precise studies highest), around the pooled "
            f"estimate, {f2(shown(a, centre))} (dashed line). {outside} of the {k} "
            f"{'lies' if outside == 1 else 'lie'} outside the region where {level:g}% of studies would lie without "
            f"heterogeneity or small-study effects. Of the {len(low)} least precise studies, {favouring} "
            f"{'lies' if favouring == 1 else 'lie'} on the side of the pooled estimate more favourable to {side}.")


def funnel_figure(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """The funnel plot of a pooled analysis with a test of small-study effects, with its
    caption and alternative text (:func:`funnel_alt`)."""
    a = r["analysis"]
    aid = a["id"]
    log = a.get("scale") == "log"
    what = (f"{a['intervention_label']} vs {a['comparator_label']}: {_in_sentence(a['outcome_label'])} "
            f"({a['measure']}{', log scale' if log else ''})")
    return figure(ctx.funnels[aid],
                  f"Funnel plot: {what}. Asymmetry can come from small-study effects, of which publication bias is "
                  "one cause among others (Sterne et al. 2011); the test beside it weighs it against chance.",
                  f"fig-{aid.replace('_', '-')}-funnel", alt=funnel_alt(a, r, _names(ctx)))


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
        return (f"In a pooled result below, as in the [list of abbreviations](#sec-abbreviations): τ² is {terms['τ²']}; I² is "
                f"{terms['I²']}; Q is {terms['Q']}; and the prediction interval is {terms['prediction interval']}. "
                "The methods say how τ², its interval, I² and the prediction interval are computed.\n")
    if table:
        return f"I² in the table below is {terms['I²']}, as in the [list of abbreviations](#sec-abbreviations).\n"
    return ""


def _misread_flag(ctx: ReportContext, e: Mapping[str, Any]) -> str:
    """The flag of a published result another review prints alike for another comparison
    or outcome (:func:`metareview.report.base.misread_refs`), which the tallies leave out
    as they leave out those :func:`metareview.plots.external_flag` marks, or "": "printed
    alike by a review of another comparison or outcome (a row read from the wrong table?):
    shown, not counted with the other reviews"."""
    if e.get("ref") not in misread_refs(ctx):
        return ""
    return f"{MISREAD} (a row read from the wrong table?): shown, not counted with the other reviews"


def _misread_drawn(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """" Drawn but not counted with the other reviews, as printed alike by a review of
    another comparison or outcome (...): Mu et al. (2020), Cochrane, SMD −0.47 (95% CI
    −0.77 to −0.17).", for a forest plot's caption, or "". The plot is drawn from its
    analysis alone, which cannot see that a review of another comparison prints the same
    numbers: its footnotes mark the reviews the tallies leave out for their source or
    population, and the caption these."""
    drawn = [e for e in drawn_externals(r) if not external_flag(e) and _misread_flag(ctx, e)]
    if not drawn:
        return ""
    # Plain text, as the caption it ends (figure escapes it): no cross-reference.
    said = join_list([f"{external_label(e)}, {_external_value(e)}" for e in drawn])
    return (f" Drawn but not counted with the other reviews, as {MISREAD} (a row read from the wrong table? see the "
            f"consistency warnings): {said}.")


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
        words = words_only_trials(ctx, r)
        # Two short lines: on the page of what follows them, not with the heading alone.
        # No id: the heading names the analysis, and @tbl-analyses and the appendices give
        # its id beside its words, for the files it names.
        out.append(keep_with_next(Markdown(
            f"Measure: {escape(_measure_in_sentence(a))}"
            f"{', in' + md_points(ctx, a) if md_points(ctx, a) else ''}; candidate trials: {r['k'] + len(r['excluded'])}; "
            f"used: {r['k']}" + _value_types_used(r)
            # The trials of the comparison known from their words alone, counted apart from
            # the candidates, which have numbers (as the flow of studies counts them).
            + (f"; trials with a result in words only: {len(words)}" if words else "")
            + ".\n\n" + escape(direction_sentence(a, proper=_names(ctx))))))
        # What an event was, before the estimate of how often it happened.
        events = events_defined(ctx, r)
        if events:
            out.append(events)
        p = r["pooled"]
        log = on_log_scale(a)
        if r["status"] == "pooled":
            out.append(
                f"Pooled {a['measure']} **{f2(shown(a, p['estimate']))}** ({p['level']:g}% CI "
                f"{ci_text(shown(a, p['ci_lb']), shown(a, p['ci_ub']))}; "
                f"{p_text(p['pval'])}); "
                # Which side the estimate lies on, as the results list says it: "Pooled
                # SMD 0.15" left a clinician to work out from the sign that it leans to sham.
                f"{_interval_shows(a, p['estimate'], p, proper=_names(ctx), ctx=ctx)}; {_prediction_text(a, p)}; "
                + (f"τ² = {f2(p['tau2'], 3)}{' (log scale)' if log else ''} (Q-profile {_level_ci(p)} {_tau2_interval(p)}); "
                   if p.get("method") not in ("EE", "FE") else
                   # An equal-effects model sets τ² to 0 and profiles nothing: "τ² = 0.000
                   # (Q-profile CI – to –)" read as an estimate with an interval missing.
                   "τ² set to 0 (an equal-effects model); ")
                + f"{_i2_text(p)}; Q = {f2(p['QE'])} (df = {p['k'] - 1}, {p_text(p['QEp'])}); k = {p['k']}."
                # Where the reader of this line looks for the pooled MD against the MID,
                # as the summary reads it.
                + mid_markdown(ctx, a, p["ci_lb"], p["ci_ub"])
                # After the MID's reading of the interval, which "The interval ..." begins:
                # after this sentence it read as the heterogeneity's.
                + _few_studies_heterogeneity(p)
                # Escaped apart from their leading space, which escape does not keep.
                + "".join(f" {escape(x.strip())}" for x in (_i2_words(p), _zero_tau2_prediction(p)) if x)
                # Beside an interval on t with 1 df, the equal-effects one, as a sentence of
                # its own: the reader weighs the two, not the wide one alone.
                + as_sentences(equal_effects_clause(r, proper=_names(ctx)))
                # Where a zero-event arm's continuity correction may decide the interval.
                + as_sentences(mantel_haenszel_clause(r, proper=_names(ctx))) + "\n")
            # The SMD in its instruments' points, where a reader who stops at the pooled
            # line looks for what the SDs mean.
            if re_expressed_text(ctx, r):
                out.append(re_expressed_text(ctx, r) + "\n")
            out.append(sensitivity_text(r, proper=_names(ctx)) + "\n")
            if aid in ctx.funnels and has_funnel(r):
                # Beside the test it shows: the reader who meets "t = -4.84, p < 0.001"
                # sees which studies the asymmetry is in.
                out.append(funnel_figure(ctx, r))
        else:
            out.append(callout("note", "Not pooled", r["reason"]))
            if not r["studies"]:
                out.append(_elsewhere(ctx, r))
            elif r["status"] == "single_study" and _printed_reported_p(ctx, a, r["studies"][0]) is not None:
                # The appendix of raw rows sends the reader of the trial's own p-value here
                # ("printed in <this analysis>"): the overview's line alone did not hold it.
                out.append(as_sentences(_reported_p_clause(ctx, a, r["studies"][0])
                                        .replace("this interval", "its interval below")).strip() + "\n")
            if re_expressed_text(ctx, r):
                # The one trial's SMD in its instrument's points, as a pooled SMD's is.
                out.append(re_expressed_text(ctx, r) + "\n")
        # Beside a head-to-head estimate of the question, what sources state in words of
        # the two, as the bottom line gives it.
        stated = _stated_beside_estimate(ctx, r)
        if stated:
            out.append(stated)
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
            # The finding worded by its level first, where GRADE's statements have words for it.
            statement = informative_statement(ctx, r)
            said = f"{statement[:1].upper()}{statement[1:]}. " if statement else ""
            out.append(escape(f"{said}Certainty of the evidence (GRADE): "
                              f"{describe(certainty_of(ctx, r), _study_labels(ctx))}") + ".\n")
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
                              f"trial. {direction_sentence(a, proper=_names(ctx))}{mid_figure_note(ctx, a)}"
                              f"{_misread_drawn(ctx, r)}", label,
                              alt=forest_alt(a, r, level, mid_figure_note(ctx, a), _names(ctx))))
        if r["studies"]:
            # The plot draws published meta-analyses beneath the trials: a caption naming
            # the comparison alone said the figure held the trials and nothing else.
            beside = (", with published meta-analyses drawn apart, not pooled with the trials"
                      if drawn_externals(r) else "")
            out.append(figure(ctx.figures[aid], f"{what}{beside}. {direction_sentence(a, proper=_names(ctx))}"
                              f"{mid_figure_note(ctx, a)}{_misread_drawn(ctx, r)}", label,
                              alt=forest_alt(a, r, level, mid_figure_note(ctx, a), _names(ctx))))
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
                             _refs_in_words(ctx, "; ".join([*source_flags(s), *population_flag(s),
                                                            *_risk_of_bias_flag(ctx, s),
                                                            *map(notes_in_words, s["flags"]), *_exact_flag(s)]))
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
        if words:
            out.append(_words_only_text(words))
        ext = r["external"]
        if ext:
            # "reported as SMD, this analysis uses MD" on several rows: said once, above
            # the list, not on every row (a Cohen's d keeps its own note).
            smd_note = f"reported as SMD, this analysis uses {a['measure']}"
            shared = [smd_note] if sum(smd_note in e.get("notes", []) for e in ext) > 1 else []
            head = "External evidence (published meta-analyses, not pooled with the trials" + (
                f"; this analysis uses {escape(a['measure'])}, and the SMDs below are as the reviews report them)"
                if shared else ")")
            out.append(_listed_items(head, [
                f"{escape(external_label(e))}: {_external_value(e)}"
                + (f", {e['n_participants']:,} participants" if e.get("n_participants") else "")
                + (f", k = {e['k_studies']}" if e.get("k_studies") else "")
                # Marked as its forest plot marks it, where the tallies leave it out. The notes
                # as a sentence after the result: in brackets, they stood beside the
                # interval's ("SMD -0.33 (-0.52 to -0.15) (timepoint given as ...)").
                + _as_sentence_after("; ".join([*(_label_ranges(_claim_scale_note(ctx, a, e, x))
                                                  for x in e.get("notes", []) if x not in shared),
                                                *filter(None, [external_flag(e) or _misread_flag(ctx, e)])]))
                # Last, after the flag it points from.
                + (" (see @tbl-warnings)" if not external_flag(e) and _misread_flag(ctx, e) else "")
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


def _sample_size_also(ctx: ReportContext) -> str:
    """"; for an SMD, whose standard error depends on the effect, also on the inverse
    square root of the total sample size, which does not" where the review tests on the
    standard error (or variance) and has an SMD analysis, as
    :func:`metareview.analysis._sensitivity` then runs both; else ""."""
    predictor = str(ctx.config["methods"].get("small_study_predictor", "sei"))
    if predictor not in ("sei", "vi") or not any(a.get("measure") == "SMD" for a in ctx.config.get("analyses", [])):
        return ""
    return (f"; for an SMD, whose {'standard error' if predictor == 'sei' else 'sampling variance'} depends on the "
            f"effect, also on {PREDICTOR_TEXT['sqrtninv']}, which does not")


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


def _favoured(a: Mapping[str, Any], estimate: float) -> str:
    """"Acupuncture" or "Sham": the treatment an estimate on the analysis scale favours."""
    return a["intervention_label" if favours_intervention(a, estimate) else "comparator_label"]


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
            # A refit that crosses no difference only by its width (the study left out was
            # nearer no difference than the rest) is said to be so, not counted among
            # the studies the conclusion rests on.
            widened = [x for x in changed if widened_only(r, x)]
            rests = [x for x in changed if not widened_only(r, x)]
            text += "; without " + "; without ".join(
                f"{names[x['study_id']]} the interval is {ci_text(shown(a, x['ci_lb']), shown(a, x['ci_ub']))} and "
                + (f"{EXCLUDES} (favours {escape(_in_sentence(_favoured(a, x['estimate']), proper))})" if excludes_no_effect(x) else INCLUDES)
                + (f", though the estimate, {f2(shown(a, x['estimate']))}, lies further from no difference"
                   if x in widened else "")
                for x in changed)
            ends = []
            if rests:
                ends.append("the conclusion is sensitive to leaving out "
                            + _left_out_words([names[x["study_id"]] for x in rests], len(l1o)))
            if widened:
                ends.append("without " + _either([names[x["study_id"]] for x in widened])
                            + " the interval crosses no difference though the estimate moves away from it: "
                            + ("that study adds" if len(widened) == 1 else "each of them adds")
                            + " precision, not direction")
            text += ": " + "; ".join(ends) + "."
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
        favoured = asymmetry_favours(r)
        if favoured is not None:
            text += (f": the less precise studies show effects more favourable to {escape(_in_sentence(favoured, proper))}. Such "
                     "asymmetry has causes other than publication bias (Sterne et al. 2011)")
        else:
            text += ": no sign of asymmetry, which does not rule it out"
        by_n = p.get("regtest_sqrtninv")
        if by_n and predictor in ("sei", "vi"):
            # The check the hedge below names, run: the same test on 1/sqrt(n), which the
            # effect does not sway (analysis._sample_size_regtest).
            n_stat = (f"t = {f2(by_n['tval'])} (df = {by_n['df']})" if by_n.get("tval") is not None
                      else f"z = {f2(by_n['zval'])}")
            n_favoured = asymmetry_favours(r, "regtest_sqrtninv")
            text += (f". For an {a['measure']}, the standard error depends on the effect itself, which makes this test "
                     f"find asymmetry more often than it should; on {PREDICTOR_TEXT['sqrtninv']}, which does not, the "
                     f"same test gives {n_stat}, {p_text(by_n['pval'])}: "
                     + ("no sign of asymmetry, which does not rule it out" if n_favoured is None else
                        f"{'it too finds' if n_favoured == favoured else 'it finds'} the less precise studies' effects "
                        f"more favourable to {escape(_in_sentence(n_favoured, proper))}"))
        elif a["measure"] != "MD" and predictor in ("sei", "vi"):
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


#: What an anchored comparison whose two sides' controls differ assumes, as the indirect
#: section and the limitations say it: Bucher's method is unbiased only if the common
#: comparator is the same treatment on both sides (transitivity: Salanti 2012, Res Synth
#: Methods 3:80-97; Cochrane Handbook, chapter 11), and a node may group several.
TRANSITIVITY = ("The comparison assumes these controls have the same effect; if they do not, its estimate is biased "
                "(the assumption of transitivity: Salanti 2012; Cochrane Handbook, chapter 11).")


def _trial_labels(ctx: ReportContext) -> dict[str, str]:
    """The studies' labels by study id, from the analyses that use them."""
    return {s["study_id"]: s["label"] for r in ctx.analyses for s in r["studies"] if s.get("study_id")}


def _side_what(ctx: ReportContext, side: Mapping[str, Any]) -> str:
    """A side of an anchored comparison as the section names its source ("Trial C", "pooled
    estimate of 2 studies"), with the flag of its trials whose identity is rated low
    (:data:`IDENTITY_LOW`), whatever their source: "Trial C (study identity low)",
    "pooled estimate of 2 studies (of them, Trial A: study identity low)" (plain text)."""
    studies = {s["study_id"]: s for r in ctx.analyses for s in r["studies"] if s.get("study_id")}
    low = [studies[i]["label"] for i in side["study_ids"] if i in studies and identity_low(studies[i])]
    if not low:
        return side["what"]
    if len(side["study_ids"]) == 1:
        return f"{side['what']} ({IDENTITY_LOW})"
    return f"{side['what']} (of them, {join_list([in_brackets(x) for x in low])}: {IDENTITY_LOW})"


def _side_controls(ctx: ReportContext, side: Mapping[str, Any], *, trials: bool = True) -> str:
    """"sham dry needling (TEST et al., 2099)": the raw treatments of the controls of one
    side of an anchored comparison (its ``comparator_treatments``, metareview.indirect),
    each with its trials where ``trials``, or "" where the side does not record them."""
    controls = side.get("comparator_treatments") or []
    labels = _trial_labels(ctx)
    return join_list([_in_sentence(t["label"]) + (f" ({join_list([in_brackets(labels.get(i, i)) for i in t['study_ids']])})"
                                                  if trials else "") for t in controls])


def _indirect_one_df_text(ctx: ReportContext, x: Mapping[str, Any], anchored: Mapping[str, Any]) -> str:
    """The sentences on an anchored estimate one of whose sides is pooled on t with 1
    degree of freedom (:func:`metareview.report.summary.indirect_one_df_words`): what its
    interval owes to that side, and the estimate from the side's equal-effects fit, as a
    sensitivity analysis; "" without such a side."""
    words = indirect_one_df_words(ctx, x, anchored)
    if not words:
        return ""
    if excludes_no_effect(anchored):
        return f" {words.removeprefix('; ')[:1].upper()}{words.removeprefix('; ')[1:]}."
    # numpy and scipy: imported only for such an estimate, as the pooled caveat does.
    from metareview.distributions import norm_ppf, t_ppf

    q = 0.5 + float(x.get("level", 95)) / 200.0
    ratio = float(t_ppf(q, 1)) / float(norm_ppf(q))
    return (f" The confidence interval {INCLUDES}{words}. Bucher\u2019s interval takes each side\u2019s width, and one "
            f"on t with 1 degree of freedom is {ratio:.1f} times as wide as a normal interval of the same standard "
            "error; the equal-effects interval is too narrow if the pooled trials\u2019 true effects differ: a "
            "sensitivity analysis, never the result.")


def controls_text(ctx: ReportContext, x: Mapping[str, Any], anchored: Mapping[str, Any]) -> str:
    """"The controls: on the dry needling side, sham dry needling (TEST et al., 2099); on
    the acupuncture side, sham acupuncture (Cherkin et al., 2009). The comparison assumes
    ..." (:data:`TRANSITIVITY`) for an anchored comparison whose sides record their
    controls' treatments, or "" (plain text).

    The node through which it is anchored may group several treatments ("sham, minimal
    needling or placebo TENS"): a reader judging the comparison needs the controls each
    side's trials used, and, where they differ, what the comparison then assumes.
    """
    if "controls_differ" not in anchored:
        return ""
    names = _names(ctx)
    sides = [(_in_sentence(x[label], names), _side_controls(ctx, anchored[key]))
             for label, key in (("treatment_a_label", "a_vs_c"), ("treatment_b_label", "b_vs_c"))]
    if not anchored["controls_differ"]:
        return f"Both sides' trials used the same control, {_side_controls(ctx, anchored['a_vs_c'], trials=False)}."
    return "The controls: " + "; ".join(f"on the {who} side, {what}" for who, what in sides) + ". " + TRANSITIVITY


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
                           f"({x['level']:g}% CI {ci_text(_ix(a, 'ci_lb', log), _ix(a, 'ci_ub', log))}), from {escape(_side_what(ctx, a['a_vs_c']))} "
                           f"and {escape(_side_what(ctx, a['b_vs_c']))} (Bucher method"
                           + ("; ratio of the two ratios, computed on the log scale" if log else "") + ")."
                           + mid_markdown(ctx, x, a["ci_lb"], a["ci_ub"])
                           # The controls each side's trials used, and what the comparison
                           # assumes of them where they differ.
                           + (f" {escape(controls_text(ctx, x, a))}" if "controls_differ" in a else "")
                           # A trial of all three left out of both sides: which, why, and
                           # what each side is without it.
                           + (f" {escape(a['note'])}" if a.get("note") else "")
                           # A side pooled on t(1): what the width owes to it, and the
                           # estimate from its equal-effects fit.
                           + _indirect_one_df_text(ctx, x, a) + "\n")
            if x.get("left_out"):
                # A common comparator left out (a trial of all three on both sides, or several
                # unpooled estimates on one) is said beside those used.
                out.append(escape(x["left_out"]) + "\n")
        direct = [d for d in x["direct"] if d["k"]]
        # The direct evidence beside the indirect, with its numbers, as the summary gives
        # it: an analysis id and a status left a reader to look up what the trials found.
        ta, tb = (escape(_in_sentence(x[k], _names(ctx))) for k in ("treatment_a_label", "treatment_b_label"))
        head_to_head = Markdown(("Direct head-to-head evidence: " + str(_direct_text(ctx, direct, ta, tb))
                                 if direct else "No trial in the data compares the two head to head with numbers "
                                                "an effect can be computed from.") + "\n")
        if x["status"] != "anchored":
            # The heading above names the comparison and outcome: the callout gives why.
            # "No common comparator" above an explanation that says the analyses on another
            # measure share one contradicted it: said with the measure (no_comparator_words).
            title = {"no_single_estimate": "No single estimate per side",
                     "shared_trial": "A trial of all three on both sides"}.get(x["status"], None)
            if title is None:
                words = no_comparator_words(x["measure"], x.get("other_measures") or [])
                title = words[:1].upper() + words[1:]
            if direct:
                # With head-to-head trials, the direct evidence first and the missing
                # indirect comparison a note after it: an "Important: No common comparator"
                # box opening the subsection read as "nothing is known" above the trials
                # that compare the two.
                out.append(head_to_head)
                out.append(callout("note", f"{title}: no indirect comparison beside the direct evidence",
                                   Markdown("The head-to-head evidence above compares the two directly; this says "
                                            "only why no indirect comparison is added to it. "
                                            + str(escape(x["detail"])))))
            else:
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
        if x["status"] == "anchored" or not direct:
            out.append(head_to_head)
        if near:
            out.append(Markdown(near + "\n"))
    return Markdown("\n".join(out))


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


def _misread_rows_note(ctx: ReportContext) -> str:
    """The rows of the table of published meta-analyses that no tally of reviews counts,
    as printed alike by a review of another comparison or outcome
    (:func:`metareview.claims.repeated_across_comparisons`), each with its raw row, a
    paragraph before the table; "" for none. The table shows every result as printed: a
    reader setting its rows beside the tallies would otherwise find rows they leave out
    with no reason given."""
    from metareview.claims import repeated_across_comparisons

    external = {doc["study"]["study_id"] for doc in ctx.normalised if doc["study"]["role"] == "external"}
    contrasts = {c["ref"]: doc["study"]["study_id"] for doc in ctx.normalised for c in doc["contrasts"]}
    groups = [[f"{label}, {_ref_text(ctx, ref)}" for label, ref in group if contrasts.get(ref) in external]
              for group in repeated_across_comparisons(ctx.normalised)]
    said = [join_list(group) for group in groups if group]
    if not said:
        return ""
    # A paragraph of its own, after the list before it.
    return ("\n" + escape("Rows of the table below print the same estimate and bounds for different comparisons or "
                          "outcomes (a row read from the wrong table?") + " see @tbl-warnings"
            + escape(f"), and no tally of reviews counts them until each is checked in its source: {'; '.join(said)}.")
            + "\n\n")


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
    # Where the reviews and the trials used here differ, in full: the summary says it in
    # short and links here.
    differ = reviews_and_trials_text(ctx)
    misread = _misread_rows_note(ctx)
    return Markdown(differ + ("\n" if differ else "") + misread
                    + str(table(["Review", "Comparison", "Outcome", "Estimate (CI)", "As printed", "Favours", "k",
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


def _converted_timepoint(s: Mapping[str, Any]) -> bool:
    """Whether a study effect's week was converted from other words of its source ("6
    months", "1 year", "1 month after the course"), which the report then quotes beside it
    (:func:`_timepoint_text`)."""
    return s.get("timepoint_weeks") is not None and "\u201c" in _timepoint_text(s)


def _statements_design(designs: str) -> str:
    """How far statements count for an analysis of ``designs``, as its section says it."""
    return {"head_to_head": "head to head, as this analysis compares them",
            "add_on": "in add-on designs, as this analysis takes"}.get(designs, "in any design")


def _stated_beside_estimate(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """The statements in words on the two treatments of a head-to-head analysis of an
    indirect comparison's question, weighed against its estimate (:func:`_stated_beside`),
    as the bottom line gives them beside it; "" for any other analysis, or none stated.

    Only the question's: elsewhere the overview of each treatment lists the statements on
    its comparisons apart from their estimates, and an analysis's section with a study
    effect names none, so the two places agree.

    A trial of the comparison whose result is in words only is left to the section's line
    of such trials (:func:`_words_only_text`): beside one head-to-head trial's effect it
    was named here and again there.
    """
    a = r["analysis"]
    if a["id"] not in {d["analysis"] for x in ctx.indirect for d in x["direct"]}:
        return ""
    stated = _stated_beside(ctx, r, leave_out={t["study_id"] for t in words_only_trials(ctx, r)})
    if not stated:
        return ""
    design = _statements_design(_config_entry(ctx, a["id"]).get("designs", "any"))
    return (f"Statements in words compare the two on this outcome, at any timepoint and {design}, without numbers "
            f"to pool: {stated} (see @tbl-narrative).\n")


def _words_only_text(trials: Sequence[Mapping[str, Any]]) -> str:
    """"Trial of this comparison with a result given in words only, not a candidate as it
    gives no numbers (see @tbl-narrative): Kerr et al. (2003), authors unverified, states
    no difference." for the trials :func:`words_only_trials` finds of an analysis, each
    with what its words find (:func:`words_only_said`), beside the trials it excluded."""
    one = len(trials) == 1
    said = "; ".join(escape(words_only_said(t)) for t in trials)
    return (f"{'Trial' if one else 'Trials'} of this comparison with a result given in words only, "
            f"{'not a candidate as it gives' if one else 'not candidates as they give'} no numbers "
            f"(see @tbl-narrative): {said}.\n")


def _elsewhere(ctx: ReportContext, r: Mapping[str, Any]) -> str:
    """Where else the report speaks of an analysis with no study effect: statements in
    words comparing its two treatments, and an indirect comparison of them.

    A trial of the comparison whose result is in words only is left to the section's line
    of such trials (:func:`_words_only_text`), which names it with what it finds."""
    a = r["analysis"]
    pair = {a["intervention"], a["comparator"]}
    designs = _config_entry(ctx, a["id"]).get("designs", "any")
    named = {t["study_id"] for t in words_only_trials(ctx, r)}
    said = _stated_names({(doc["study"]["label"], unclear_statement(x)) for doc in ctx.normalised
                          for x in doc["statements"]
                          if {x.get("node1"), x.get("node2")} == pair and x["outcome"] == a["outcome"]
                          and in_designs(add_on_statement(doc, x), designs)
                          and doc["study"]["study_id"] not in named})
    out = []
    if said:
        design = _statements_design(designs)
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
                     "change within one group says nothing about how it compares with the other group."))) if caveat in marked]
    head = "Narrative evidence: statements without poolable numbers, with the evidence level the source assigns."
    return table(["Source", "Design", "Comparison", "Outcome", "Statement", "Evidence level", "Raw row"], rows,
                 " ".join([head, *legend]).removesuffix("."),
                 "tbl-narrative", budget=APPENDIX_TABLE_BUDGET)


def _pooling_text(ctx: ReportContext) -> str:
    """The limitations' "**Pooling**: of 17 analyses, 1 pools trials, ..." (one text for the
    section and its audit row, :func:`_limitation_audit_rows`)."""
    statuses = Counter(r["status"] for r in ctx.analyses)
    text = f"**Pooling**: {pooling_counts(ctx) or 'the review defines no analysis'}."
    if not statuses["pooled"]:
        text += (" No estimate here pools trials, so none says how consistent the trials are or what a "
                 "prediction interval would be.")
    return text


def indirect_reasons(ctx: ReportContext) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Each indirect comparison as the limitations give it, with why it cannot be made in
    the summary's words (:func:`metareview.report.summary.indirect_reason`), or the
    comparators an anchored one goes through; those of one pair and reason together, their
    outcomes named as the summary names them: ("Dry needling versus acupuncture (pain
    intensity and back-specific disability): no indirect comparison can be made, as no
    usable trial of dry needling against a named third treatment exists to compare them
    through (its trials against sham are set aside)", the comparisons), Markdown.

    "Of 2, 2 have no common comparator" read as if neither treatment had a trial against
    sham, where the trials of one are held but set aside: the reason is the data's, and
    the summary already says it.
    """
    names = _names(ctx)
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for x in ctx.indirect:
        pair = escape(f"{x['treatment_a_label']} versus {_in_sentence(x['treatment_b_label'], names)}")
        through = [_in_sentence(c["comparator_label"], names) for c in x.get("anchored") or []]
        reason = (escape(f"compared indirectly, through {join_and(through)}") if x["status"] == "anchored" and through
                  else indirect_reason(ctx, x))
        groups.setdefault((pair, reason), []).append(x)
    # The outcomes inside the item's brackets, with none of their own.
    return [(f"{pair} ({join_and(list(dict.fromkeys(indirect_outcome(ctx, x, inside=True) for x in xs)))}): {reason}",
             xs) for (pair, reason), xs in groups.items()]


def _different_controls_text(ctx: ReportContext) -> str:
    """"Dry needling vs Acupuncture: back-specific disability, through sham, ...: the dry
    needling side's 1 trial (TEST et al., 2099) used sham dry needling, the acupuncture
    side's 1 trial (Cherkin et al., 2009) sham acupuncture. The comparison assumes ..." for
    each anchored comparison whose two sides' controls differ, or "" (plain text).

    A count of anchored comparisons is no limitation; that one rests on two different
    controls having the same effect is (:data:`TRANSITIVITY`).
    """
    labels, names = _trial_labels(ctx), _names(ctx)
    said = []
    for x in ctx.indirect:
        for a in x.get("anchored") or []:
            if not a.get("controls_differ"):
                continue
            sides: list[str] = []
            for label, key in (("treatment_a_label", "a_vs_c"), ("treatment_b_label", "b_vs_c")):
                ids = a[key]["study_ids"]
                trials = f"{len(ids)} {'trial' if len(ids) == 1 else 'trials'}"
                sides.append(f"the {_in_sentence(x[label], names)} side's {trials} "
                             f"({join_list([in_brackets(labels.get(i, i)) for i in ids])})"
                             f" {'used ' if not sides else ''}{_side_controls(ctx, a[key], trials=False)}")
            said.append(f"{indirect_heading(ctx, x)}, through {_in_sentence(a['comparator_label'], names)}: "
                        f"{', '.join(sides)}.")
    return " ".join([*said, TRANSITIVITY]) if said else ""


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
    # Whatever the source: a primary report the team could not trace is as doubtful.
    ("of studies whose identity is rated low (the team is not sure the study is the one named)",
     identity_low, lambda s: [_study_row_ref(s["study_id"])]),
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
    # Not known to be the review's: the source says too little, or cannot be trusted on it.
    ("of trials whose population is unclear, which may not be this review's (population_fit)",
     lambda s: s.get("population_fit") == "unclear", lambda s: [_study_row_ref(s["study_id"])]),
    ("from final values whose arms already differed at baseline, a difference the effect carries",
     lambda s: s.get("baseline_imbalance") is not None, lambda s: list(s["refs"])),
    ("from means and SDs estimated from a median with its quartiles or range (assuming a roughly normal outcome)",
     lambda s: str(s.get("form", "")).startswith("arm-level medians"), lambda s: list(s["refs"])),
    # An SE of an analysis adjusted for baseline is smaller than an unadjusted one's, so
    # the d it gives is larger: as much an assumption as a normal outcome's median.
    ("standardised from a mean difference's t statistic (assuming the SE of an unadjusted comparison)",
     lambda s: SMD_FROM_T_FLAG in (s.get("flags") or []), lambda s: list(s["refs"])),
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


def candidate_trials(ctx: ReportContext) -> dict[str, dict[str, Any]]:
    """Each candidate trial of the analyses, by study id, in the analyses' order: those an
    analysis used (its ``studies``) and those it set aside (its ``excluded``, which
    :func:`excluded_section` lists), each with its ``label``, the analyses that ``used``
    it and those that set it ``aside``, and the raw rows the analyses read of it
    (``refs``), each once.

    A trial set aside by one analysis may be used by another (Cherkin 2009: set aside for
    pain, used for disability): it still gives the analyses a number, which a count of
    trials set aside alone would hide.
    """
    out: dict[str, dict[str, Any]] = {}
    for r in ctx.analyses:
        aid = r["analysis"]["id"]
        for key, entries in (("used", r["studies"]), ("aside", r.get("excluded") or [])):
            for e in entries:
                trial = out.setdefault(e["study_id"], {"label": e["label"], "used": [], "aside": [], "refs": []})
                trial[key].append(aid)
                trial["refs"] += [ref for ref in e.get("refs") or [] if ref not in trial["refs"]]
    return out


#: How many of the reasons trials were set aside for the limitations name, each shared
#: by two trials at least: the rest are the table of trials set aside's.
SET_ASIDE_REASONS_SHOWN = 3


def set_aside_reasons(ctx: ReportContext) -> list[tuple[str, list[str]]]:
    """The reasons the limitations name for the trials set aside, each with the labels of
    the trials set aside for it: those at least two trials share, commonest first, at most
    :data:`SET_ASIDE_REASONS_SHOWN` (:func:`metareview.report.aside._aside_reason_holders`,
    as the summary's reason shared is chosen)."""
    shared = [(why, labels) for why, labels in _aside_reason_holders(ctx.analyses) if len(labels) > 1]
    return shared[:SET_ASIDE_REASONS_SHOWN]


def set_aside_said(ctx: ReportContext) -> str:
    """How many candidate trials of the analyses were set aside, as the limitations say it
    (plain text), or "" where none was: "of the 17 candidate trials of the analyses, 11
    were set aside from at least one analysis, 10 of them from every analysis they could
    enter, so 7 enter an analysis" (:func:`candidate_trials`)."""
    trials = candidate_trials(ctx)
    aside = [t for t in trials.values() if t["aside"]]
    if not aside:
        return ""
    n, k = len(trials), len(aside)
    unused = sum(1 for t in aside if not t["used"])
    used = n - unused
    enter = "none enters an analysis" if not used else f"{used} {'enters' if used == 1 else 'enter'} an analysis"
    head = f"of the {n} candidate trials of the analyses, {k} {'was' if k == 1 else 'were'} set aside from "
    if unused == k:
        return f"{head}every analysis {'it' if k == 1 else 'they'} could enter, so {enter}"
    if not unused:
        return f"{head}an analysis but used in another, so all {n} enter an analysis"
    return (f"{head}at least one analysis, {unused} of them from every analysis {'it' if unused == 1 else 'they'} "
            f"could enter, so {enter}")


def set_aside_reason_said(why: str, labels: Sequence[str]) -> str:
    """A reason the limitations name for trials set aside, with how many: "“only a p-value
    reported: no effect size or variance” (7 trials)" (plain text), in the table's words."""
    return f"\u201c{why}\u201d ({len(labels)} {'trial' if len(labels) == 1 else 'trials'})"


def _set_aside_text(ctx: ReportContext) -> str:
    """The limitations' words on the trials set aside, or "" where none was (Markdown):
    how many (:func:`set_aside_said`), where they are listed, and the reasons most of them
    share (:func:`set_aside_reasons`).

    The Results list each trial set aside and the summary counts them comparator by
    comparator; neither said how much of the evidence collected gives no number at all.
    """
    said = set_aside_said(ctx)
    if not said:
        return ""
    name, anchor = EXCLUDED_SECTION
    reasons = set_aside_reasons(ctx)
    common = ("" if not reasons else f"The commonest reason{'s' if len(reasons) > 1 else ''}: "
              + "; ".join(set_aside_reason_said(why, labels) for why, labels in reasons) + ".")
    # What the candidates are, after the reasons: the count and its reasons read as one.
    return (f"{escape(said)} (see [{escape(name)}](#{anchor}))." + (f" {escape(common)}" if common else "")
            + (f" {escape(own)}" if (own := _own_effects_said(ctx)) else "") + _candidates_defined(ctx))


def _own_effects_said(ctx: ReportContext) -> str:
    """"All 4 have an effect of their own that cannot be pooled with their analysis's
    (change scores in an SMD of final values), printed beside it." for the limitations'
    trials set aside, of those among them with such an effect
    (:func:`~metareview.report.flow.own_effect_trials`), or "" (plain text).

    Counted among trials set aside "for their numbers", they read as trials that give no
    number, where each has one the Results print.
    """
    own = own_effect_trials(ctx)
    aside = [sid for sid, t in candidate_trials(ctx).items() if t["aside"]]
    mine = [sid for sid in aside if sid in own]
    if not mine:
        return ""
    k, n = len(mine), len(aside)
    # "Of the 11", not "1 of them" after the reasons, read as one of the trials of the
    # last reason named.
    who = ("It has" if n == 1 else "Both have" if k == n == 2 else f"All {n} have" if k == n
           else f"Of the {n}, {k} {'has' if k == 1 else 'have'}")
    one = k == 1
    why = join_and(list(dict.fromkeys(w for sid in mine for w in own[sid])))
    return (f"{who} an effect of {'its' if one else 'their'} own that cannot be pooled with "
            f"{'its' if one else 'their'} analysis’s ({why}), printed beside it.")


def _candidates_defined(ctx: ReportContext) -> str:
    """" The candidates are the trials with numbers on an analysis's comparison and
    outcome: of the 27 trials in the data, 3 have a result in words only, 2 have no
    result rows entered and 5 are outside the analysed comparisons (see @tbl-flow)."
    after the limitations' count of candidate trials, or "" where there are no others.

    "Of the 17 candidate trials" left out the trials of the same comparisons known from
    their words alone or never entered, which the flow of studies counts: the reader
    could not tell the 17 from the trials the data hold."""
    trials = study_flow(ctx)["trials"]
    verbs = {True: ("is", "has"), False: ("are", "have")}
    more = [f"{len(trials[key])} {verbs[len(trials[key]) == 1][key != 'outside']} "
            f"{GROUP_WORDS[key].removeprefix('with ')}" for key in ("words", "empty", "others", "outside") if trials[key]]
    if not more:
        return ""
    n = sum(len(ids) for ids in trials.values())
    return (" The candidates are the trials with numbers on an analysis's comparison and outcome: of the "
            f"{n} trials in the data, {escape(join_and(more))} (see @tbl-flow).")


def source_apart_reviews(ctx: ReportContext) -> list[Mapping[str, Any]]:
    """The published results in an analysis's window that the tallies of reviews leave out
    for where they were read (:func:`metareview.report.overview._split_secondary`): of
    reviews known only from a secondary source (a blog post's "Cochrane Review (2023)",
    a review cited by an overview), or read here only in a document other than the
    review's own (an overview's table), each once, whichever analyses show it. The
    limitations named only those of another population, as if no other were left out."""
    out: dict[tuple[str, Any], Mapping[str, Any]] = {}
    for r in ctx.analyses:
        for e in _split_secondary(_external_in_window(r), misread_refs(ctx))[1]:
            if e.get("source_level") == "secondary" or e.get("read_elsewhere"):
                out.setdefault((e["study_id"], e.get("ref")), e)
    return list(out.values())


def misread_apart_results(ctx: ReportContext) -> list[Mapping[str, Any]]:
    """The published results in an analysis's window that the tallies of reviews leave out
    as printed alike by a review of another comparison or outcome (:data:`MISREAD`, as
    :func:`metareview.report.overview._apart_groups` gives the reason), each once,
    whichever analyses show it: a number a consistency warning doubts, which a reader of
    the limitations should not have to gather from each analysis's line."""
    out: dict[tuple[str, Any], Mapping[str, Any]] = {}
    for r in ctx.analyses:
        apart = _split_secondary(_external_in_window(r), misread_refs(ctx))[1]
        for why, _, group in _apart_groups(apart):
            if why == MISREAD:
                for e in group:
                    out.setdefault((e["study_id"], e.get("ref")), e)
    return list(out.values())


#: The head of the limitations' item on the results :func:`misread_apart_results` finds.
MISREAD_LIMITATION = ("Published results printed alike by a review of another comparison or outcome, shown but not "
                      "counted in the tallies of reviews")

#: The head of the limitations' item on the reviews :func:`source_apart_reviews` finds.
SOURCE_APART_LIMITATION = ("Published meta-analyses known only from a secondary source or read here only in another "
                           "document, shown but not counted in the tallies of reviews")


def arms_in_no_analysed_node(ctx: ReportContext) -> dict[str, dict[str, Any]]:
    """The treatments of trials' arms in no node an analysis compares, by treatment code:
    each with its ``label`` (as a sentence gives it), its ``node`` (None where no node
    includes it), the ``trials`` with such arms (by study id: ``label`` and the arms' raw
    rows, ``refs``), and ``neither``: the pairs of treatments the indirect comparisons
    name it beside, the summary saying the review counts it as neither
    (:func:`metareview.report.summary._near_miss_trials`), each as (first, second, ids).

    Arms of a control the sources do not name are in no node of the config, but no
    grouping put them there: they are not listed.
    """
    analysed = {n for a in ctx.config.get("analyses") or [] for n in (a["intervention"], a["comparator"])}
    nodes = ctx.config.get("nodes") or {}
    out: dict[str, dict[str, Any]] = {}
    for doc in sorted(ctx.normalised, key=lambda d: d["study"]["label"]):
        if doc["study"]["role"] != "trial":
            continue
        for arm in doc["arms"]:
            node = arm.get("node")
            if node in analysed or (node is not None and node not in nodes):
                continue
            code = arm.get("treatment") or arm["treatment_label"]
            entry = out.setdefault(code, {"label": _in_sentence(arm.get("treatment_label") or code, _names(ctx)),
                                          "node": node, "trials": {}, "neither": []})
            trial = entry["trials"].setdefault(doc["study"]["study_id"], {"label": doc["study"]["label"], "refs": []})
            if arm.get("ref") and arm["ref"] not in trial["refs"]:
                trial["refs"].append(arm["ref"])
    for x in ctx.indirect:
        pair = tuple(_in_sentence(x[k], _names(ctx)) for k in ("treatment_a_label", "treatment_b_label"))
        for _, _, outside in _near_miss_trials(ctx, x):
            for arm in outside:
                named = out.get(arm.get("treatment") or arm["treatment_label"])
                if named is None:
                    continue
                said = next((p for p in named["neither"] if p[:2] == pair), None)
                if said is None:
                    named["neither"].append((*pair, [x["id"]]))
                elif x["id"] not in said[2]:
                    said[2].append(x["id"])
    return out


def mixed_nodes(ctx: ReportContext) -> dict[str, dict[str, Any]]:
    """The nodes of the config whose trials used in the analyses received more than one of
    the treatments the node groups, by node: its ``label``, ``used``: each treatment its
    trials received, by code in the node's order, with its ``label`` and ``trials`` (by
    study id: ``label``, ``refs``, the arms' rows of arms.csv, and the ids of the
    ``analyses`` that use it), and ``pooled``: the
    pooled analyses whose trials' arms of the node received more than one treatment, each
    as (analysis, its trials' labels by treatment code, in the node's order).

    Read from the config's ``nodes`` and each study's arms by side (``arm_treatments``,
    :func:`metareview.extract.arm_treatments`): a node that groups a non-penetrating sham,
    minimal needling and mock TENS is one comparator to every analysis and tally, which
    assumes they have one effect; a pooled analysis whose trials received different ones
    assumes it in its estimate.
    """
    nodes = ctx.config.get("nodes") or {}
    labels = {t["treatment"]: t.get("label") for t in ctx.raw_tables.get("treatments", [])}
    docs = {d["study"]["study_id"]: d for d in ctx.normalised}
    out: dict[str, dict[str, Any]] = {}
    for r in ctx.analyses:
        a = r["analysis"]
        for side in ("intervention", "comparator"):
            node = a[side]
            order = list((nodes.get(node) or {}).get("treatments") or [])
            if len(order) < 2:
                continue
            entry = out.setdefault(node, {"label": nodes[node].get("label", node), "used": {}, "pooled": []})
            codes: dict[str, list[str]] = {}  # this analysis's trials by treatment
            for s in r["studies"]:
                for arm in (s.get("arm_treatments") or {}).get(side) or []:
                    code = arm["treatment"]
                    if s["label"] not in codes.setdefault(code, []):
                        codes[code].append(s["label"])
                    used = entry["used"].setdefault(code, {"label": labels.get(code) or arm.get("label") or code,
                                                           "trials": {}})
                    trial = used["trials"].setdefault(s["study_id"], {"label": s["label"], "refs": [], "analyses": []})
                    if a["id"] not in trial["analyses"]:
                        trial["analyses"].append(a["id"])
                    doc = docs.get(s["study_id"]) or {"arms": []}
                    trial["refs"] += [x["ref"] for x in doc["arms"] if x.get("node") == node
                                      and x.get("treatment") == code and x.get("ref") and x["ref"] not in trial["refs"]]
            if r["status"] == "pooled" and len(codes) > 1:
                entry["pooled"].append((a, dict(sorted(codes.items(), key=lambda kv: _rank(order, kv[0])))))
    for node, entry in out.items():
        order = list(nodes[node]["treatments"])
        entry["used"] = dict(sorted(entry["used"].items(), key=lambda kv: _rank(order, kv[0])))
    return {node: entry for node, entry in out.items() if len(entry["used"]) > 1}


def _rank(order: Sequence[str], code: str) -> int:
    """Where a treatment comes in its node's list (``order``), one outside it last."""
    return order.index(code) if code in order else len(order)


def _mixed_nodes_text(ctx: ReportContext) -> str:
    """The limitations' words on the nodes whose trials used here received different
    treatments (:func:`mixed_nodes`), or "" (plain text): "different treatments in one node:
    in sham, the trials used here received sham acupuncture (A and B) and minimal
    acupuncture (C). No pooled analysis pools trials of different treatments of one node,
    but the report gives each node's results together, as of one treatment, which assumes
    its treatments have the same effect." A pooled analysis that pools them is named, with
    the treatments it assumes one."""
    found = mixed_nodes(ctx)
    if not found:
        return ""
    names = _names(ctx)

    nodes = [f"in {_in_sentence(entry['label'], names)}, the trials used here received "
             + join_and([f"{_in_sentence(u['label'], names)} "
                         f"({join_list([in_brackets(t['label']) for t in u['trials'].values()])})"
                         for u in entry["used"].values()])
             for entry in found.values()]
    # Named as the limitations name an indirect comparison: the outcome in brackets, where
    # the heading's colon would run into the list's.
    pooled = [f"{a['intervention_label']} versus {_in_sentence(a['comparator_label'], names)} "
              f"({in_brackets(_in_sentence(a['outcome_label']))}, "
              f"{in_brackets(_in_sentence(a['window_label'].split('(')[0].strip()))}) "
              "pools trials of "
              + join_and([f"{_in_sentence(entry['used'][code]['label'], names)} "
                          f"({join_list([in_brackets(t) for t in trials])})" for code, trials in codes.items()])
              + f", and so assumes them one {'comparator' if a['comparator'] == node else 'treatment'} with one effect"
              for node, entry in found.items() for a, codes in entry["pooled"]]
    # Each analysis here may rest on trials of one of them, but the summary and the results
    # give a node's together, as against one treatment.
    same = ("the report gives each node\u2019s results together, as of one treatment, which assumes its treatments "
            "have the same effect.")
    return (f"different treatments in one node: {'; '.join(nodes)}. "
            + (f"{'. '.join(pooled)}. {same[:1].upper()}{same[1:]}" if pooled else
               f"No pooled analysis pools trials of different treatments of one node, but {same}"))


def _node_choice_text(ctx: ReportContext) -> str:
    """The limitations' words on the treatments of trials' arms in no node an analysis
    compares (:func:`arms_in_no_analysed_node`), or "" (Markdown): "arms in no node an
    analysis compares: trigger point acupuncture (Itoh et al., 2004; and Itoh et al.,
    2006), which this review counts as neither dry needling nor acupuncture. Which
    treatments each node groups is the review team's choice ...".

    The grouping is the team's, as the summary says where it names such a trial beside
    two treatments it compares: a clinician who would count trigger point needling as
    dry needling reads here that the analyses would then count other trials. So is a node
    whose trials used here received different treatments (:func:`_mixed_nodes_text`),
    said after them: read as one treatment, they are assumed to have one effect.
    """
    found = arms_in_no_analysed_node(ctx)
    mixed = _mixed_nodes_text(ctx)
    if not found and not mixed:
        return ""
    names = ctx.config.get("nodes") or {}
    parts = []
    for entry in found.values():
        trials = join_list([in_brackets(t["label"]) for t in entry["trials"].values()])
        if entry["neither"]:
            why = "which this review counts as " + join_and([f"neither {a} nor {b}" for a, b, _ in entry["neither"]])
        elif entry["node"] is None:
            why = "which no node includes"
        else:
            label = names[entry["node"]].get("label", entry["node"])
            why = f"grouped in {_in_sentence(label, _names(ctx))}, which no analysis compares"
        parts.append(f"{entry['label']} ({trials}), {why}")
    said = [f"arms in no node an analysis compares: {'; '.join(parts)}."] if parts else []
    if mixed:
        # A sentence of its own after the first part, which opens the item.
        said.append(f"{mixed[:1].upper()}{mixed[1:]}" if said else mixed)
    # The team's choice said once, after both: a node of several treatments is as much its
    # choice as a treatment left out of every node.
    return (escape(f"{' '.join(said)} Which treatments each node groups is the review team\u2019s choice (see the")
            + " [methods](#sec-methods)), "
            + escape("which the data do not decide: a different grouping could change which trials the analyses "
                     "count."))


def rated_count_text(ctx: ReportContext) -> str:
    """How many analyses have a GRADE level, as the limitations count them: "rated for 6
    of 9 analyses with an effect; the other 8 have no study effect to rate", of the
    analyses with an effect as the summary counts them
    (:func:`metareview.report.summary._graded_text`), before the team has judged any too
    ("rated for 0 of 9 ..."). "Rated for 6 of 17" beside the summary's "6 of 9" counted
    analyses with nothing to rate as unrated, and "rated for 0 of 17 analyses" counted
    the 8 with no study among those GRADE could rate."""
    total = len(ctx.analyses)
    statuses = [certainty_of(ctx, r).status for r in ctx.analyses]
    rated = statuses.count("graded")
    none = statuses.count("no_evidence")
    with_effect = total - none
    if not with_effect:
        return f"not rated, as none of the {total} analyses has a study effect to rate"
    text = f"rated for {rated} of {with_effect} {'analysis' if with_effect == 1 else 'analyses'} with an effect"
    return text + ("; the other one has no study effect to rate" if none == 1 else
                   f"; the other {none} have no study effect to rate" if none else "")


def limitations_section(ctx: ReportContext) -> Markdown:
    """The limits of this evidence, in one place: what the rest of the report says of them
    analysis by analysis (how the studies were found, how many analyses could be pooled,
    how many candidate trials were set aside and why, which effects rest on a secondary
    source, an assumption, an ambiguous value or a timepoint converted from words, which
    treatments no node an analysis compares holds, and what was not assessed)."""
    lines = []
    if ctx.config["review"].get("evidence_base"):
        # Said in full once, in the methods.
        # Whatever the evidence base (a blog post's table, a database search): a study not
        # found by it is missing. Said in full here too: the panel writes its certainty
        # statement from this section, and "see the methods" hid its largest limit.
        base = " ".join(str(ctx.config["review"]["evidence_base"]).split())
        # An evidence base that says so itself (the example's) is not told again.
        tail = "" if "missing" in base.lower() else " A study not found that way is missing here."
        lines.append(f"**How the studies were found**: {escape(base.rstrip('.'))}.{tail} See the "
                     "[methods](#sec-methods).")
    total = len(ctx.analyses)
    if total:
        lines.append(_pooling_text(ctx))
    aside = _set_aside_text(ctx)
    if aside:
        lines.append(f"**Trials set aside**: {aside}")
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
    # Reviews the summary does not count for where they were read, as it says under each
    # treatment ("Not counted here: ... known only from a secondary source, read only in
    # a document other than the review's own"), each by its sentence there.
    apart = source_apart_reviews(ctx)
    if apart:
        lines.append(f"**{SOURCE_APART_LIMITATION}**: {' '.join(_secondary_reviews(apart))}")
    misread = misread_apart_results(ctx)
    if misread:
        lines.append(f"**{MISREAD_LIMITATION}**: {' '.join(_secondary_reviews(misread))}")
    grouped = _node_choice_text(ctx)
    if grouped:
        lines.append(f"**Groups of treatments**: {grouped}")
    judged = sum(1 for doc in ctx.normalised if _has_risk_of_bias(doc))
    rated = sum(1 for r in ctx.analyses if certainty_of(ctx, r).status == "graded")
    # The studies the analyses use without a judgement, and what it means for their
    # results: "risk of bias not assessed" alone did not say the results carry a risk no
    # one has judged.
    unjudged = not_assessed_said(ctx)
    lines.append("**Risk of bias and certainty**: "
                 + (f"risk of bias recorded for {_judged_counts(ctx)}" if judged else
                    "" if unjudged else "risk of bias not assessed")
                 + ("; " if judged and unjudged else "") + escape(unjudged)
                 # After "cannot be rated for any result", "rated for 0 of 9" says it again.
                 + ("." if grade_unratable_said(ctx) else
                    "; certainty of the evidence (GRADE) " + ("rated" if rated else "not rated")
                    + " for the review's one analysis." if total == 1
                    else f"; certainty of the evidence (GRADE) {rated_count_text(ctx)}."))
    # Results missing from the analyses for their significance, or not entered, and the
    # analyses too small for the small-study test (PRISMA 2020 item 21): the small-study
    # test alone said nothing of the trials known only by a p-value or by words.
    missing = missing_results_said(ctx)
    if missing:
        lines.append(f"**Bias due to missing results**: {escape(missing)}")
    # Said where the review sought none: silence on harms reads as none found.
    harms = adverse_events_limitation(ctx)
    if harms:
        lines.append(harms)
    if ctx.indirect:
        # Where a comparison's sides used different controls, what it assumes of them.
        different = _different_controls_text(ctx)
        lines.append("**Indirect comparisons**: " + " ".join(f"{text}." for text, _ in indirect_reasons(ctx))
                     + (f" {escape(different)}" if different else ""))
    return Markdown("\n".join(f"- {line}" for line in lines) + "\n")


def _verdict_phrases(verdict: str) -> str:
    """A verdict with no-break spaces inside its phrases: "not checkable from the data"
    breaks only between "not checkable" and "from the data", "not supported" not at all."""
    phrases = re.split(r" (?=from )", verdict)
    return " ".join(phrase.replace(" ", "\u00a0") for phrase in phrases)


CLAIM_VERDICTS = (
    "A claim is *supported* when a pooled analysis here shows the claimed direction with a\n"
    "confidence interval wholly on that side of no difference, *not supported* when the\n"
    "relevant pooled analyses count against it (none shows it, and one has its interval\n"
    "wholly on the other side), and *not checkable from the data* when the data here cannot\n"
    "settle it: pooled intervals that hold both the claimed effect and no difference (too\n"
    "imprecise to show the claim, not evidence against it), no pooled analysis of the claimed\n"
    "comparison (single trials are named, with what their intervals show, but settle\n"
    "nothing), or no study reporting the outcome, subgroup or quantity claimed."
)
#: How a claim that names no comparator is judged: said under the claims when one does.
CLAIM_NO_COMPARATOR = "A claim that names no comparator (\"it works\") is judged against shams and controls only."
#: How a claimed mean difference is judged: said under the claims when one is claimed.
CLAIM_MEAN_DIFFERENCE = ("A claimed mean difference is supported when the pooled interval holds it and lies wholly on "
                         "one side of no difference, not supported when the interval excludes it, and not checkable "
                         "when the interval holds both it and no difference.")


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
        f"- **Source commit** (the last to change the workflow's code, pinned dependencies, configuration or data): "
        f"`{p['git_commit']}`.\n"
        + _dated_line(p)
        + _compared_with_line(ctx.previous) + _settings_line(ctx) + _raw_columns_line(ctx)))
    return Markdown("\n".join(out))


def _dated_line(p: Mapping[str, Any]) -> str:
    """The provenance's line on the report's date: what the date is, not when the build
    ran. "Built: 2026-12-01" read as the day of the build, while it is the source commit's
    (so that rebuilds are identical), and a later commit (HEAD) changing only the tests
    or docs leaves it, and the commit cited, as they were: said, so that a reader holding
    the report and a checkout at another commit can tell the two apart."""
    date = escape(p["build_date"])
    commit = str(p.get("git_commit") or "")
    if p.get("date_from") == "SOURCE_DATE_EPOCH":
        return (f"- **Dated**: {date}, set by `SOURCE_DATE_EPOCH`, not the source commit’s date nor the day the "
                "build ran: rebuilds with the same setting are identical.\n")
    if commit == GIT_UNREADABLE:
        return (f"- **Dated**: {date}, the day the build ran: git could not read this checkout (the build's output "
                "says why) and `SOURCE_DATE_EPOCH` was not set, so a rebuild on another day differs.\n")
    if p.get("date_from") == "today" or commit == NOT_GIT or not commit:
        return (f"- **Dated**: {date}, the day the build ran: outside a git checkout and without "
                "`SOURCE_DATE_EPOCH`, a rebuild on another day differs.\n")
    short = commit.split()[0][:7]
    if SHALLOW in commit:
        what = "the oldest commit of this shallow clone (a full clone may cite an older one and its date)"
    else:
        what = ("the last to change code, pinned dependencies, configuration or data"
                + ("; this build holds uncommitted changes to them" if "uncommitted" in commit
                   else "; any later commit changes none of them"))
    return (f"- **Dated**: {date}, the date of source commit `{escape(short)}`, {what}. It is not the day the "
            "build ran: rebuilds of the same sources are identical.\n")


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
    found = _typed_row(ctx, ref)
    if found is None:
        return ""
    row, texts = found
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
            f"enters with the SE its own confidence interval implies (its width over 2 × {fixed(z, 2)}, as the Cochrane "
            "Handbook, 6.3.1, obtains a study's SE from its interval; a choice of this review, not the Handbook's "
            "advice for a pooled estimate), so that a Hartung-Knapp interval on few degrees of freedom keeps its "
            "width instead of giving an indirect interval narrower than its own. "
            # As the pooled analyses have it (their methods' sub-bullet): only where one can.
            + ("Where a side pools 2 studies, on t with 1 degree of freedom, the comparison is also given from that "
               "side's equal-effects estimate, as a sensitivity analysis, never in its place. "
               if _equal_effects_methods(ctx.config["methods"]) else "")
            # Unnamed comparators are spoken of in a review that has them, as in the nodes' bullet.
            + ("Comparators the sources do not name are never a common comparator, and effects"
               if _has_unnamed(ctx) else "Effects")
            + " on different measures are never combined. A trial of both treatments and the "
            "comparator would be on both sides through its one comparator arm, counted twice as if two trials, and "
            "its own comparison of the two, direct evidence already, counted again: it counts as direct evidence "
            "only, and is left out of both sides, each refitted without it with its analysis's estimator, test and "
            "level (or taken as the one trial left); a side with no other trial against that comparator anchors no "
            "comparison through it. A node may group several treatments: the controls each side's trials gave are "
            "named, and where the two sides' differ the comparison assumes they have the same effect (transitivity, "
            "Salanti 2012)."
            + (" Where nothing anchors a comparison, the naive difference of the two sides' effects is shown for "
               "illustration only, without an interval, and labelled as unanchored." if naive else ""))
