"""The audit trail: every number of the report traced to where it came from.

:func:`audit_rows` traces every study effect and pooled estimate to the raw file, row
and columns it came from, with each conversion applied, and every count, claim,
published review and limitation the report states to what it counts;
:func:`audit_section` and :func:`audit_lead` print them. Two of the template's fields sit
with them: the side of each measure that favours the intervention (:func:`favours_text`)
and the kinds of study the data hold (:func:`study_kinds`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from statistics import NormalDist
from typing import Any

from metareview.absolute import corresponding_risk
from metareview.certainty import join_and
from metareview.checks import (
    CI_ASYMMETRY,
    KEYED_TABLES,
    PERCENT_TOLERANCE,
    SPREAD_TOLERANCE,
    UNBALANCED_ARMS,
    table_row_refs,
    warning_key,
)
from metareview.distributions import fisher_exact_p
from metareview.fmt import f2, fixed, in_brackets, join_list, p_value, ranges, typed
from metareview.fmt import in_sentence as _in_sentence
from metareview.fmt import minus as _minus
from metareview.markdown import Markdown, escape, plain, table
from metareview.report.aside import (
    ASIDE_DIRECTION,
    ASIDE_RESULT,
    _aside_reports,
    _fragility,
    _moved,
    _printed_reported_p,
    _raw_index,
    _raw_row,
    _row_of,
    _smallest_cell,
    _study_row_ref,
    entry_reasons,
    exact_test_disagrees,
)
from metareview.report.base import (
    _POOLING_WORDS,
    APPENDIX_TABLE_BUDGET,
    MEASURE_NAMES,
    ReportContext,
    _absolute,
    _config_entry,
    _in_certainty_table,
    _more_or_fewer,
    _names,
    _printed_reported_rd,
    _study_docs,
    _unbounded,
    assumed_risk,
    certainty_of,
    detailed_analyses,
    in_detail,
    md_scale,
    misread_refs,
    native_md,
    on_log_scale,
    points_digits,
    pooling_counts,
)
from metareview.report.flow import (
    REVIEW_GROUPS,
    analysed_arms,
    analysed_participants,
    designs_counted,
    designs_said,
    study_flow,
    trial_groups,
)
from metareview.report.information import COUNT_ROWS, unsought_audit_rows, where_read_audit_rows
from metareview.report.keys import _ref_text, consistency_warnings
from metareview.report.overview import (
    _REF,
    BY_RESULT,
    _analysable_reviews,
    _analysis_verdicts,
    _apart_count,
    _apart_groups,
    _external_in_window,
    _misread_apart,
    _node_label,
    _overview_nodes,
    _question_analyses,
    _review_tallies,
    _review_verdict,
    _reviews_differing,
    _size_ranges,
    _split_secondary,
    _tally_results,
    _trials_held,
    review_sizes,
    reviews_in_points,
    summary_counts,
    words_only_trials,
)
from metareview.report.sections import (
    _LIMITATION_LISTS,
    MISREAD_LIMITATION,
    PREDICTOR_TEXT,
    READ_ELSEWHERE_LIMITATION,
    SOURCE_APART_LIMITATION,
    _empty_q_profile,
    _has_role,
    _limitation_studies,
    _off_population_reviews,
    arms_in_no_analysed_node,
    candidate_trials,
    excluded_statement_refs,
    indirect_reasons,
    misread_apart_results,
    mixed_nodes,
    rated_count_text,
    raw_cells,
    set_aside_reason_said,
    set_aside_reasons,
    set_aside_said,
    source_apart_reviews,
)
from metareview.report.summary import (
    _claims_source,
    _has_risk_of_bias,
    _near_miss_trials,
    _participants,
    _worded_verdicts,
    analysis_refs,
)
from metareview.report.tables import _as_typed, _typed_cells, _typed_row, randomised_arms
from metareview.report.unassessed import (
    FINDINGS,
    _small_study_min,
    _unit,
    estimate_side,
    full_reports_unread,
    grade_unratable_said,
    missing_by_analysis,
    missing_directions,
    missing_pull,
    missing_results,
    missing_results_said,
    not_assessed_which,
    p_value_alone_refs,
    unblinded_analyses,
    unjudged_used,
    used_studies,
)


def _aside_audit_row(ctx: ReportContext, r: Mapping[str, Any], e: Mapping[str, Any]) -> list[Any] | None:
    """The audit row of what a trial analysis ``r`` set aside reports of its comparison
    (the summary's "Both report a difference favouring dry needling (p < 0.001 and p ≤
    0.001; 40 and 30 participants)", :func:`_aside_direction`), or None when no row of the
    trial says which way it went: its raw rows and cells, and for each row the side, the
    p-value and the participants' count as printed, and any effect the row reports with
    its interval, with why it cannot enter the analysis (:data:`ASIDE_RESULT`). No effect
    size is made of it."""
    doc = _study_docs(ctx).get(e.get("study_id", ""))
    reports = _aside_reports(ctx, r["analysis"], doc) if doc is not None else []
    if not reports:
        return None
    steps = []
    for x in reports:
        side = ("no statistically significant difference" if x["side"] == "none" else f"favours {x['label']}"
                + {True: ", clear of no difference", False: ", not statistically significant",
                   None: ""}[x["clear"]])
        if x["shared"] is not None:
            side = (f"one test of its {join_list(list(x['shared'][0]))} arms together against {x['shared'][1]}, "
                    "not of this comparison: no direction of it taken")
        parts = [side]
        if x["effect"] is not None:
            parts.append("an effect with its interval, not used" + (f": {join_and(list(x['effect']))}"
                                                                    if x["effect"] else ""))
        if x["p"] is not None:
            parts.append(f"p {x['p'][1]} {typed(x['p'][0])}"
                         + (f", read in {x['read_in']}, not in the trial\u2019s own report" if x["read_in"] else ""))
        if x["n"]:
            parts.append(f"participants {x['n_from']} = {x['n']:g}")
        if x["over"]:
            parts.append(f"over follow-up, a group \u00d7 time interaction test, not one timepoint ({x['when']})")
        elif x["when"] is not None:
            parts.append("outside the window: " + (f"week {x['when']:g}" if isinstance(x["when"], float)
                                                   else f"timepoint given in words only ({x['when']})"))
        if x["low"]:
            parts.append("extracted with low confidence")
        steps.append(f"{_ref_text(ctx, x['ref'])}: " + "; ".join(parts))
    refs = [x["ref"] for x in reports]
    # Kong 2020's MD with its interval, labelled "no effect size", met an auditor with
    # an estimate and an interval in the very row.
    quantity = (ASIDE_RESULT if any(x["effect"] is not None for x in reports) else ASIDE_DIRECTION)
    return [r["analysis"]["id"], quantity, e["study_id"], None, None,
            "; ".join(_ref_text(ctx, ref) for ref in refs),
            "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in refs),
            "direction, effect and p-value as reported" if quantity == ASIDE_RESULT else "direction and p-value as reported",
            " | ".join(steps) + " (not used in any estimate)"]


def audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Rows of the audit table: every study effect, pooled estimate and published result, traced to raw rows,
    and the indirect comparisons' numbers, traced to those effects.

    A published meta-analysis' result is printed as the analyses show it (sign turned so
    that negative favours the first-named treatment, a mean difference put on the common
    scale), so its row gives the steps from the cells to that number.
    """
    rows: list[list[Any]] = []
    steps_of = {c["ref"]: c.get("steps", []) for doc in ctx.normalised for c in doc["contrasts"]}
    said = summary_counts(ctx)
    for r in ctx.analyses:
        aid = r["analysis"]["id"]
        for s in r["studies"]:
            where = "; ".join(_ref_text(ctx, ref) for ref in s["refs"])
            cells = "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in s["refs"])
            # Rows the steps name by reference, by file and row number like the others.
            steps = _REF.sub(lambda m: _ref_text(ctx, m.group(0)), " | ".join(
                s["steps"] + _study_ci_steps(r, s) + s["flags"] + _baseline_steps(ctx, s)
                + (_native_steps(s) if r["status"] == "single_study" else [])))
            rows.append([aid, "study effect", s["study_id"], s["yi"], s["vi"], where, cells, s["form"], steps])
            if r["status"] == "single_study":
                rows += _native_md_audit_rows(ctx, r, s)
            if s.get("exact_p") is not None:
                rows.append(_exact_p_audit_row(ctx, r["analysis"], s))
                if r["status"] == "single_study":
                    rows += _fragility_audit_rows(ctx, r["analysis"], s)
            if r["status"] == "single_study":
                own_p = _reported_p_audit_row(ctx, r["analysis"], s)
                if own_p:
                    rows.append(own_p)
        for e in r["excluded"]:
            # Which way it went, as the summary and the analysis's line say it.
            direction = _aside_audit_row(ctx, r, e)
            if direction:
                rows.append(direction)
            # A trial set aside for its value type: the report prints its own effect.
            own = e.get("own_effect")
            if own and own.get("refs"):
                rows.append([aid, "study effect set aside (other value type, not combined)", e["study_id"],
                             own["yi"], own["vi"], "; ".join(_ref_text(ctx, ref) for ref in own["refs"]),
                             "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in own["refs"]),
                             own["form"], _REF.sub(lambda m: _ref_text(ctx, m.group(0)),
                                                   " | ".join(own["steps"] + _study_ci_steps(r, own)))])
        if r["pooled"]:
            p = r["pooled"]
            # "; " as between raw rows: the space lets the list wrap in a table cell (no line
            # breaks after a semicolon followed by a letter), so a long list does not take the
            # column widths from the numbers beside it.
            rows.append([aid, "pooled estimate", "; ".join(x["study_id"] for x in r["studies"]), p["estimate"],
                         p["se"] ** 2 if p["se"] is not None else None,
                         f"results/analyses/{aid}.json", "",
                         f"rma(method={p['method']}, test={p['test']})",
                         f"k = {p['k']}; tau2 = {p['tau2']:.6g}; from the study effects above; "
                         + _weight_steps(r["studies"])
                         + _se_steps(p, r["studies"])
                         + _pooled_test_steps(p, on_log_scale(r["analysis"]))
                         + (f"; on the log scale: {r['analysis']['measure']} = exp(value) = {math.exp(p['estimate']):.4f}"
                            if on_log_scale(r["analysis"]) else "")])
            equal = _equal_effects_audit_row(r)
            if equal:
                rows.append(equal)
            mh = _mantel_haenszel_audit_row(r)
            if mh:
                rows.append(mh)
            # The sensitivity paragraph's numbers: the model refitted without each study.
            for x in p.get("leave1out") or []:
                others = "; ".join(s["study_id"] for s in r["studies"] if s["study_id"] != x["study_id"])
                rows.append([aid, f"leave-one-out estimate without {x['study_id']}", others, x["estimate"],
                             x["se"] ** 2 if x.get("se") is not None else None,
                             f"results/analyses/{aid}.json", "",
                             f"rma(method={p['method']}, test={p['test']})",
                             f"k = {p['k'] - 1}; the pooled model refitted without {x['study_id']}, from the other "
                             f"study effects above; {_ci_steps(x, on_log_scale(r['analysis']))}"
                             + (f"; on the log scale: {r['analysis']['measure']} = exp(value) = {math.exp(x['estimate']):.4f}"
                                if on_log_scale(r["analysis"]) else "")])
            for key in ("regtest", "regtest_sqrtninv"):
                small_study = _regtest_audit_row(r, key)
                if small_study:
                    rows.append(small_study)
        rows.extend(_count_audit_rows(ctx, r, said.get(aid)))
        rows.extend(_trial_count_audit_rows(ctx, r, said.get(aid)))
        rows.extend(_differing_review_audit_rows(ctx, r, said.get(aid)))
        rows.extend(_external_review_audit_rows(ctx, r))
        rows.extend(_not_drawn_audit_rows(ctx, r))
        rows.extend(_apart_audit_rows(ctx, aid, _split_secondary(_external_in_window(r), misread_refs(ctx))[1],
                                      "in the analysis's line of the results, among its published meta-analyses "
                                      "not counted"))
        rows.extend(_re_expressed_audit_rows(ctx, r))
        rows.extend(_reviews_in_points_audit_rows(ctx, r))
        absolute = _absolute_audit_row(ctx, r)
        if absolute:
            rows.append(absolute)
            reported = _reported_rd_audit_row(ctx, r)
            if reported:
                rows.append(reported)
            for sc in _config_entry(ctx, r["analysis"]["id"]).get("risk_scenarios") or []:
                scenario = _absolute_audit_row(ctx, r, sc, f"difference per 1,000 ({sc['label']})",
                                               "risk_scenarios")
                # a row for the analysis's own risk (absolute) means one for any assumed risk
                assert scenario is not None
                rows.append(scenario)
        for e in r.get("external", []):
            ext_steps = steps_of.get(e["ref"], [])
            if e.get("log_scale") and e.get("estimate") is not None:
                ext_steps = [*ext_steps, f"on the log scale: {e['measure']} = exp(value) = {math.exp(e['estimate']):.4f}"]
            published = MEASURE_NAMES.get(e.get("published_measure", e["measure"]), e["measure"])
            # What the analysis's text prints beside it ("which this review reads as another
            # window", "extracted with low confidence"): the summary's counts and ranges of
            # reviews leave out a result outside the window, and the row says which.
            # The notes repeat a step the analysis's text prints beside the number (a mean
            # difference's "rescaled to 0–10 (×0.1)"): listed twice, it reads as a second
            # conversion (×0.01), so each is given once, where it was applied.
            bounds = _published_bounds_step(ctx, e)
            rows.append([aid, "published result", e["study_id"], e["estimate"], None, _ref_text(ctx, e["ref"]),
                         f"{_ref_text(ctx, e['ref'])}: {raw_cells(ctx, e['ref'])}", f"{published} as published",
                         " | ".join(dict.fromkeys([*(ext_steps or ["as published"]), *([bounds] if bounds else []),
                                                   *e.get("notes", [])]))])
    rows.extend(_unanalysed_published_rows(ctx, {e["ref"] for r in ctx.analyses for e in r.get("external", [])}))
    rows.extend(_review_tally_audit_rows(ctx))
    rows.extend(_key_message_size_audit_rows(ctx))
    rows.extend(_indirect_audit_rows(ctx))
    rows.extend(_claim_audit_rows(ctx))
    rows.extend(_claim_count_audit_rows(ctx))
    rows.extend(_claim_review_audit_rows(ctx))
    rows.extend(_limitation_audit_rows(ctx))
    rows.extend(where_read_audit_rows(ctx))
    rows.extend(unsought_audit_rows(ctx))
    rows.extend(_warning_audit_rows(ctx))
    return rows


#: The ``from`` of a consistency warning's audit row begins so; the check's name follows.
CONSISTENCY_CHECK = "consistency check"

#: What each consistency check compares, as a warning's audit row names it
#: (:func:`metareview.checks.consistency_warnings` lists the checks; the repeated results
#: and uncited sources are :func:`metareview.checks.repeated_results`',
#: :func:`metareview.checks.repeated_arm_values`' and :func:`metareview.checks.uncited_sources`', an arm's
#: code against its description :func:`metareview.checks.sham_arms_named_active`', an arm
#: in no node :func:`metareview.checks.arms_in_no_node`').
WARNING_WORDS = {
    "d_disagrees_with_arms": "a reported d against the d of its arms' means and SDs",
    "ci_not_centred": "an interval not centred on its estimate",
    "estimate_outside_ci": "an estimate outside its interval",
    "n_exceeds_total": "arm sizes adding up to more than the total",
    "total_exceeds_randomised": "more participants analysed than randomised",
    "percent_disagrees_with_counts": "a percentage against its events and n",
    "percent_decrease_beyond_all": "a mean decrease of more than 100%",
    "value_not_in_quote": "a value its quote does not print",
    "sign_differs_from_quote": "a value signed otherwise than its quote prints it",
    "mean_quoted_as_spread": "a mean its quote prints as a spread",
    "sd_quoted_as_value": "an SD its quote prints as a value with a spread",
    "sd_quoted_as_se": "an SD its quote calls a standard error",
    "quartiles_quoted_as_range": "a median's range its quote calls quartiles",
    "range_quoted_as_quartiles": "a median's quartiles its quote calls a range",
    "label_year": "a study's label naming another year than its year",
    "values_on_smaller_scale": "values on a smaller scale than the instrument's",
    "repeated_arm_row": "two rows of one arm",
    "unbalanced_arms": "arm sizes far apart",
    "weeks_disagree_with_label": "weeks against the timepoint's words",
    "weeks_missing_for_label": "weeks left out beside the timepoint's words",
    "weeks_unpaired": "weeks no other arm gives",
    "spread_disagrees": "two spreads of one value that disagree",
    "change_sign_differs": "change scores signed differently in two arms",
    "repeated_contrast": "two contrasts of one comparison",
    "n_reason_only_in_notes": "notes saying the source gives no arm size, its n_missing_reason empty",
    "uncited_source": "a source document no row cites",
    "sham_arm_names_active": "a sham or control arm whose description names an active treatment",
    "arm_in_no_node": "an arm with results whose treatment no node of the config includes",
    "lost_character": "a character its file lost to an encoding",
    "spreadsheet_conversion": "a text cell a spreadsheet converted to a date or a number",
    "repeated": "the same estimate and bounds in several studies",
    "repeated_arms": "the same arm-level results in several studies",
}

#: What a check computes from the cells, for a warning's audit row, where the warning's
#: message gives the numbers but not how they were had from the cells.
WARNING_FORMULAS = {
    "ci_not_centred": ("centre = (ci_lb + ci_ub) / 2; asymmetry = |(ci_ub - estimate) - (estimate - ci_lb)| / "
                       f"(ci_ub - ci_lb), on the log scale for a ratio, warned above {CI_ASYMMETRY:.0%} plus what "
                       "rounding of the printed digits explains"),
    "estimate_outside_ci": "estimate against ci_lb and ci_ub, on the log scale for a ratio",
    "d_disagrees_with_arms": ("d = (m1 - m2) / s_p, s_p = sqrt(((n1 - 1) s1^2 + (n2 - 1) s2^2) / (n1 + n2 - 2)) "
                              "(Cohen 1988), times J = 1 - 3 / (4 (n1 + n2) - 9) for an SMD (Hedges 1981), from the "
                              "arm rows; warned when |d reported - d| > 0.1 + 0.1 |d|"),
    "n_exceeds_total": "n1 + n2, or the arm rows' n added, against n_total",
    "total_exceeds_randomised": "n_total against the two arms' n_randomised added",
    "percent_disagrees_with_counts": (f"100 x events / n against percent, warned beyond {PERCENT_TOLERANCE:g} "
                                      f"point{'' if PERCENT_TOLERANCE == 1 else 's'}"),
    "spread_disagrees": ("an arm row's se against sd / sqrt(n); a contrast's se against (ci_ub - ci_lb) / (2 z), "
                         f"warned beyond {SPREAD_TOLERANCE:.0%} plus what rounding of the printed digits explains"),
    "unbalanced_arms": (f"one arm's n against another's at the same outcome, instrument, timepoint and value type, "
                        f"warned above {UNBALANCED_ARMS:g} times"),
}

#: Checks that compare a cell with the row's quote: the quote is among the cells read.
_QUOTE_CHECKS = ("value_not_in_quote", "sign_differs_from_quote", "mean_quoted_as_spread", "sd_quoted_as_value",
                 "sd_quoted_as_se", "quartiles_quoted_as_range", "range_quoted_as_quartiles")


def _warning_cells(ctx: ReportContext, ref: str, columns: Sequence[str] = ()) -> str:
    """"contrasts.csv row 96: estimate = -0.95, ...": a row a warning read, its cells as
    :func:`raw_cells` gives them, with ``columns`` it names that those leave out (a quote,
    a timepoint's words, a change's sign) after them, as typed."""
    cells = raw_cells(ctx, ref)
    found = _typed_row(ctx, ref)
    extra = []
    if found is not None:
        row = found[0]
        said = {part.split(" = ", 1)[0] for part in cells.split(", ")} if cells else set()
        extra = [f"{c} = {row[c]}" for c in columns if c not in said and row.get(c) not in (None, "")]
    return f"{_ref_text(ctx, ref)}: {', '.join(x for x in [cells, *extra] if x)}"


def _warning_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the consistency warnings' numbers (the report's table of consistency
    warnings, :func:`metareview.report.keys.consistency_warnings`), one for each warning
    about raw rows, in the table's order: the rows the check read, their cells (with the
    quote, where the check reads it), and in the steps how the check computes from them
    (:data:`WARNING_FORMULAS`), then the warning as the table prints it, the cell it points
    to with its spreadsheet column and the numbers computed ("found it centred on −1.875:
    ... an asymmetry of 34% of its width").

    The warnings printed an interval's centre, an SE implied by an interval, a d
    recomputed from arms, and no row traced any of them to the cells it came from. No
    number is taken from a warning into an estimate; the value and variance are empty.
    The codebook's warning reads no raw row and prints no number: it has no row.
    """
    quotes = ("\u2018", "\u2019")
    where = "in the table of consistency warnings"
    raised = {warning_key(w): (doc["study"]["study_id"], w)
              for doc in ctx.normalised for w in doc.get("warnings", [])}
    sources, numbers = ctx.raw_tables.get("sources", []), ctx.raw_row_numbers.get("sources") or ()
    line = {r.get("source_id"): numbers[i] if i < len(numbers) else i + 2 for i, r in enumerate(sources)}
    rows: list[list[Any]] = []
    by_ref: dict[str, Mapping[str, Any]] | None = None  # each raw row by its reference, when needed
    # The table's own words, so that the row and the table say the same.
    for label, text, key in consistency_warnings(ctx, quotes=quotes):
        check, _, rest = key.partition(" ")
        printed = f"{text}; printed {where}, under {label}"
        if key in raised:
            sid, w = raised[key]
            refs = [w["ref"], *[r for r in w.get("related") or () if r != w["ref"]]]
            columns = [c for c in (w.get("column"), *(["quote"] if check in _QUOTE_CHECKS else []),
                                   *(["label"] if check == "label_year" else [])) if c]
            cells = "; ".join(_warning_cells(ctx, r, columns) for r in refs)
            how = [WARNING_FORMULAS[check]] if check in WARNING_FORMULAS else []
        elif check == "sham_arm_names_active":
            ref = rest.rsplit(" ", 1)[0]
            sid, refs = _study_of_ref(ref), [ref]
            cells = _warning_cells(ctx, ref, ("treatment", "description"))
            how = [("the description read for the label of each treatment whose role in treatments.csv is active "
                    "(and its code with spaces), as whole words, none denied ('no', 'non-', 'without'), and for "
                    "words of a sham; the arm's treatment's role and label from treatments.csv")]
        elif check == "arm_in_no_node":
            ref = rest.rsplit(" ", 1)[0]
            sid, refs = _study_of_ref(ref), [ref]
            cells = _warning_cells(ctx, ref, ("arm_id", "treatment"))
            how = [(f"the arm's treatment looked for in every node's treatments ({CONFIG_FILE}: nodes.*.treatments), "
                    "and the arm's study_id and arm_id in arm_outcomes.csv")]
        elif check == "uncited_source":
            source_id = rest.partition(":")[2].rsplit(" ", 1)[0]
            sid, refs = "", []
            row = f"sources.csv row {line[source_id]}" if source_id in line else "sources.csv"
            cells = f"{row}: source_id = {source_id}"
            cited = ", ".join(sorted(f"{t}.csv" for t, rs in ctx.raw_tables.items() if t != "sources" and rs))
            how = [(f"source_id = {source_id} looked for in the source_id column of every other table ({cited}): "
                    "cited by no row")]
        elif check in ("lost_character", "spreadsheet_conversion"):
            ref, _, column = rest.rpartition(" ")
            refs = [ref]
            sid = "" if ref.partition(".csv:")[0] in KEYED_TABLES else _study_of_ref(ref)
            if by_ref is None:
                by_ref = dict(table_row_refs(ctx.raw_tables))  # once, for every such warning
            value = (by_ref.get(ref) or {}).get(column, "")
            cells = f"{_ref_text(ctx, ref)}: {column} = {value}"
            how = [("the cell read for a replacement character (U+FFFD), two question marks or more, a question "
                    "mark before a digit or between two letters (not in a web address)") if check == "lost_character"
                   else "the cell read for the form a spreadsheet gives a date or a number in scientific notation"]
        elif check in ("repeated", "repeated_arms"):
            group = rest.split()
            refs = group if check == "repeated" else [r for ref in group for r in _alike_arm_rows(ctx, ref)]
            sid = "; ".join(_study_of_ref(ref) for ref in group)
            # With what each row compares: alike numbers of different comparisons or
            # outcomes are the finding, and the numbers alone hid it.
            cells = "; ".join(_warning_cells(ctx, r, ("arm1", "arm2", "outcome") if check == "repeated" else ())
                              for r in refs)
            how = ["compared across studies: " + (
                "measure, estimate, ci_lb and ci_ub, to 6 decimals" if check == "repeated" else
                "every arm's numbers at one outcome, instrument, timepoint and value type (n, means, SDs, medians, "
                "quartiles, events, percentages, as typed)")]
        else:
            continue  # the codebook's: no raw row, no number
        rows.append(["", f"consistency warning: {WARNING_WORDS.get(check, check.replace('_', ' '))}", sid, None, None,
                     "; ".join(_ref_text(ctx, r) for r in refs) or cells.split(": ", 1)[0], cells,
                     f"{CONSISTENCY_CHECK} {check} (its numbers enter no estimate; the rows it read are used as typed)", "; ".join([*how, printed])])
    return rows


def _study_of_ref(ref: str) -> str:
    """The study id of a row reference (``contrasts.csv:Yu2023#2`` is Yu2023's)."""
    return ref.partition(":")[2].rpartition("#")[0]


def _alike_arm_rows(ctx: ReportContext, ref: str) -> list[str]:
    """The arm rows a set of arm-level results alike across studies is made of
    (:func:`metareview.checks.repeated_arm_values` names its first): the study's rows at
    the first's outcome, instrument, timepoint and value type."""
    for doc in ctx.normalised:
        values = doc.get("arm_values", [])
        first = next((v for v in values if v.get("ref") == ref), None)
        if first is None:
            continue
        # As the check groups them: by the timepoint's words only where no weeks are given.
        keys = ("outcome", "instrument", "timepoint_weeks", "value_type",
                *(("timepoint_label",) if first.get("timepoint_weeks") is None else ()))
        return [v["ref"] for v in values if all(v.get(k) == first.get(k) for k in keys) and v.get("ref")]
    return [ref]


def _published_bounds_step(ctx: ReportContext, e: Mapping[str, Any]) -> str:
    """The audit step of a published result's interval as the report prints it, where a
    conversion moved it from the raw cells: "95% CI: ci_lb = -12.0, ci_ub = -4.4 → -17.1429
    to -6.28571 (the conversion applied to each bound)", with "its ends swapped" where the
    conversion reverses the sign (a lower bound of -0.73 from an upper one of 0.73). "" when
    the bounds print as typed, or either is missing.

    The steps named the conversion and gave the converted estimate only: the printed
    bounds (Furlan 2012's −17.14 to −6.29) were in no audit row, and for a reversal the
    auditor had to know that the bounds change ends too.
    """
    lb, ub, est = e.get("ci_lb"), e.get("ci_ub"), e.get("estimate")
    found = _typed_row(ctx, e.get("ref") or "")
    if lb is None or ub is None or found is None:
        return ""
    row, texts = found
    raw_lb, raw_ub, raw_est = row.get("ci_lb"), row.get("ci_ub"), row.get("estimate")
    if not isinstance(raw_lb, (int, float)) or not isinstance(raw_ub, (int, float)):
        return ""
    # Bounds on the log scale are printed as ratios.
    shown_lb, shown_ub = (math.exp(lb), math.exp(ub)) if e.get("log_scale") else (lb, ub)
    shown_est = math.exp(est) if e.get("log_scale") and est is not None else est
    if math.isclose(shown_lb, raw_lb, rel_tol=1e-9, abs_tol=1e-12) and math.isclose(
            shown_ub, raw_ub, rel_tol=1e-9, abs_tol=1e-12):
        return ""
    swapped = (isinstance(raw_est, (int, float)) and shown_est is not None and raw_est != 0 and shown_est != 0
               and (raw_est > 0) != (shown_est > 0) and not e.get("log_scale"))
    return (f"{e.get('ci_level') or 95:g}% CI: ci_lb = {_as_typed(raw_lb, texts.get('ci_lb'))}, ci_ub = "
            f"{_as_typed(raw_ub, texts.get('ci_ub'))} \u2192 {shown_lb:.6g} to {shown_ub:.6g} (the conversion "
            "applied to each bound" + ("; its ends swapped, as the sign reverses" if swapped else "") + ")")


def _study_ci_steps(r: Mapping[str, Any], s: Mapping[str, Any]) -> list[str]:
    """The audit step of the interval printed beside a study effect (the study-effects
    table, the forest plot, the summary): "95% CI = value ± 1.959964 × sqrt(variance) =
    −1.02596 to 0.225962", the normal-based (Wald) interval of the effect and its sampling
    variance, as metafor's ``escalc`` summary gives it, with the ratio's bounds for a log
    ratio ("exp: 0.9813 to 14.4427"). Without it the printed bounds had no step to be
    checked against: a reader had to know the quantile. None when the effect has no
    interval stored."""
    if s.get("ci_lb") is None or s.get("ci_ub") is None:
        return []
    level = float(r.get("level") or 95)
    z = NormalDist().inv_cdf(0.5 + level / 200.0)
    step = (f"{level:g}% CI = value \u00b1 {z:.6f} \u00d7 sqrt(variance) = {_minus(format(s['ci_lb'], '.6g'))} to "
            f"{_minus(format(s['ci_ub'], '.6g'))}")
    if on_log_scale(r["analysis"]):
        step += f" (exp: {math.exp(s['ci_lb']):.4f} to {math.exp(s['ci_ub']):.4f})"
    return [step]


#: The ``from`` of an audit row of a count the report prints as a sum of raw cells.
COUNT_SUM = "sum of the raw cells"


def _addend_cell(ctx: ReportContext, addend: Mapping[str, Any]) -> str:
    """One addend of a summed count as its raw cell: "arm_outcomes.csv row 18: n = 158",
    the cell as typed; a count derived from the cell says how, "contrasts.csv row 3:
    n_total = 124 (half: 62)", "arm_outcomes.csv row 40: percent = 47.6 (events: 184)"."""
    file, line = ctx.raw_rows.get(addend["ref"], (None, None))
    value = addend.get("cell", addend["value"])
    text = None
    if file is not None and line is not None:
        index = _raw_index(ctx, file.removesuffix(".csv"), line)
        if index is not None:
            text = _typed_cells(ctx, file.removesuffix(".csv"), index).get(addend["column"])
    cell = f"{_ref_text(ctx, addend['ref'])}: {addend['column']} = {_as_typed(value, text)}"
    if "cell" not in addend:
        return cell
    derived = "half" if addend["column"] == "n_total" else "events"
    return f"{cell} ({derived}: {addend['value']:g})"


def _count_sum_row(ctx: ReportContext, aid: str, quantity: str, parts: Sequence[tuple[str, Mapping[str, Any]]],
                   printed: str) -> list[Any]:
    """The audit row of a count the report prints as a sum: each addend's study and raw
    cell, the sum written out, and where it is printed. ``parts`` are (study id, addend)."""
    total = float(sum(float(a["value"]) for _, a in parts))
    cells = "; ".join(_addend_cell(ctx, a) for _, a in parts)
    # "Cherkin2009 158 (arm_outcomes.csv row 18, n) + Kwon2007 24 (...) = 182": each
    # addend by its study and cell, so that a reader adds up what the cells column quotes.
    terms = [f"{sid} {float(a['value']):g} ({_ref_text(ctx, a['ref'])}, {a.get('how') or a['column']})"
             for sid, a in parts]
    # The total with its thousands separator, as the report prints it ("1,162").
    shown = f"{int(total):,}" if total.is_integer() else f"{total:,g}"
    steps = f"{' + '.join(terms)} = {shown}; printed {printed}"
    return [aid, quantity, "; ".join(dict.fromkeys(sid for sid, _ in parts)), total, None,
            "; ".join(dict.fromkeys(_ref_text(ctx, a["ref"]) for _, a in parts)), cells, COUNT_SUM, steps]


def _count_audit_rows(ctx: ReportContext, r: Mapping[str, Any],
                      said: Mapping[str, str] | None = None) -> list[list[Any]]:
    """Audit rows of the participant and event counts the report prints as sums of raw
    cells, each traced addend by addend (the file, row and column of every arm size or
    event count summed):

    - a study side of several arms combined, whose size the study-effects table prints
      (the arms' sizes added, Cochrane Handbook 6.5.2.10 and 23.3.4);
    - a pooled forest plot's totals, each side's arm sizes (and, for a binary outcome, its
      events) over the studies pooled (:func:`metareview.plots.forest_plot`);
    - the participants the summary-of-findings table gives (:func:`participants_text`): every arm
      size of the studies with both sizes known; the same total is the one *Published
      meta-analyses* prints where it weighs published reviews against the analysis's
      trials ("the 2 trials pooled here (367 participants)", ``said["participants"]``, from
      :func:`summary_counts`), so one row gives both places.

    A sum with a study whose recorded cells (``sizes``) do not give its arm sizes (a
    results file written before they were recorded) is not traced."""
    aid = r["analysis"]["id"]
    studies = [s for s in r["studies"] if s.get("n1") is not None and s.get("n2") is not None]
    # Traced only where each study's addends give its own sizes: a sum missing one would
    # not add up to the number printed.
    traced = all(math.isclose(sum(float(a["value"]) for a in (s.get("sizes") or {}).get(key) or []), float(s[key]))
                 for s in studies for key in ("n1", "n2"))
    sides = (("n1", "participants", "intervention"), ("n2", "participants", "comparator"),
             ("events1", "events", "intervention"), ("events2", "events", "comparator"))
    rows: list[list[Any]] = []
    for s in studies:
        for key, what, side in sides:
            addends = (s.get("sizes") or {}).get(key) or []
            if len(addends) > 1:
                rows.append(_count_sum_row(ctx, aid, f"{what}, {side} arms of {s['study_id']} (sum)",
                                           [(s["study_id"], a) for a in addends],
                                           f"in the study-effects table, the {side} side of {s['study_id']}'s arms "
                                           "combined"))
    if not studies or not traced:
        return rows
    binary = all(s.get("events1") is not None and s.get("events2") is not None for s in r["studies"])
    if r["status"] == "pooled" and len(studies) == len(r["studies"]):
        totals = {key: sum(float(s[key]) for s in studies) for key, _, _ in (sides if binary else sides[:2])}
        # As the plot prints them (metareview.plots: "182 / 185", "184/387 vs 171/387").
        shown = (f"{totals['events1']:.0f}/{totals['n1']:.0f} vs {totals['events2']:.0f}/{totals['n2']:.0f}"
                 if binary else f"{totals['n1']:.0f} / {totals['n2']:.0f}")
        for key, what, side in sides if binary else sides[:2]:
            parts = [(s["study_id"], a) for s in studies for a in s["sizes"].get(key) or []]
            if parts:
                rows.append(_count_sum_row(ctx, aid, f"{what}, {side} arms (sum)", parts,
                                           f"in the forest plot's pooled row ({shown}), the {side} side"))
    parts = [(s["study_id"], a) for s in studies for key in ("n1", "n2") for a in s["sizes"].get(key) or []]
    total = float(sum(float(a["value"]) for _, a in parts))
    printed = []
    if _in_certainty_table(ctx, r):
        printed.append(f"{round(total):,} participants in the summary-of-findings (GRADE) table's effect column")
    if (said or {}).get("participants"):
        printed.append(f"in Published meta-analyses, where published reviews are weighed against this review's trials "
                       f"(\u201c{(said or {})['participants']}\u201d)")
    if printed:
        rows.append(_count_sum_row(ctx, aid, "participants (sum)", parts, " and ".join(printed)))
    return rows


#: The ``from`` of an audit row of a count of trials or reviews, which counts the studies whose raw
#: rows an analysis read (each once), not the numbers in them.
COUNT_STUDIES = "count of the studies of the raw rows"


def _rows_text(ctx: ReportContext, refs: Sequence[str]) -> str:
    """Raw rows by file, in the order given: "arm_outcomes.csv rows 5, 6 and 7; contrasts.csv
    row 3" (a reference that resolves to no row as it is)."""
    by_file: dict[str, list[str]] = {}
    for ref in refs:
        file, line = _row_of(ctx, ref)
        by_file.setdefault(file, [])
        if line is not None:
            by_file[file].append(str(line))
    return "; ".join(f"{file} row{'s' if len(lines) > 1 else ''} {join_and(sorted(lines, key=int))}" if lines else file
                     for file, lines in by_file.items())


def _trial_count_row(ctx: ReportContext, aid: str, quantity: str, value: int,
                     groups: Sequence[tuple[str, Sequence[Mapping[str, Any]]]], printed: str,
                     total: str | None = None) -> list[Any]:
    """The audit row of a count of trials or reviews: which studies were counted and the raw rows
    that make each one of the count (``groups``: (what they are, the studies, each with its
    ``study_id``, ``refs`` and, for one set aside, ``reason``)), a group's count and the
    total written out, and where it is printed. A count is checked by finding, in the raw
    tables, each study's rows and no other study's. ``total`` replaces the groups added up
    where the count is of one group among others ("6 of the 6 reviews ...")."""
    listed = [x for _, xs in groups for x in xs]

    def why(refs: Sequence[str], reason: str | None) -> str:
        return (_rows_text(ctx, refs) or "no raw row") + (f": {reason}" if reason else "")

    steps = []
    for what, xs in groups:
        if xs:
            # A count over several analyses names, for each trial, the analysis each of
            # its rows and reasons comes from (``by_analysis``: (id, refs, reason)).
            steps.append(f"{what} ({len(xs)}): " + ", ".join(
                f"{x['study_id']} ("
                + ("; ".join(f"in {aid}, {why(refs, reason)}" for aid, refs, reason in x["by_analysis"])
                   if x.get("by_analysis") else why(x.get("refs") or [], x.get("reason")))
                + ")" for x in xs))
    counts = [len(xs) for _, xs in groups if xs]
    total = total or (f"{' + '.join(map(str, counts))} = {value}" if len(counts) > 1 else f"{value}") + (
        " trial" if value == 1 else " trials")
    return [aid, quantity, "; ".join(dict.fromkeys(x["study_id"] for x in listed)), value, None,
            "; ".join(dict.fromkeys(_rows_text(ctx, x.get("refs") or []) for x in listed if x.get("refs"))),
            "; ".join(f"{_rows_text(ctx, x.get('refs') or [])}: study_id = {x['study_id']}"
                      for x in listed if x.get("refs")),
            COUNT_STUDIES, f"{'; '.join(steps)}; {total}; printed {printed}"]


def _rows_of(ctx: ReportContext, sid: str, refs: Sequence[str]) -> str:
    """" (contrasts.csv row 73)": the rows of a review counted as one with another, in
    brackets after its id, or "". A review counted with another may hold no row of the
    count's own (its result is counted under the other's, or a claim's count kept none
    of its rows): its rows in any analysis, lest the brackets be empty, as "counted as
    one review with Yuan2015 ()" once printed."""
    found = list(refs) or list(dict.fromkeys(
        e["ref"] for r in ctx.analyses for e in r.get("external") or [] if e.get("study_id") == sid and e.get("ref")))
    text = _rows_text(ctx, found)
    return f" ({text})" if text else ""


def _counted_once_reason(ctx: ReportContext, sid: str, alike: Mapping[str, Sequence[str]],
                         stated: Mapping[str, Sequence[Mapping[str, Any]]], refs: Mapping[str, Sequence[str]]) -> str:
    """Why a tally's audit row counts a review as it does (:func:`_count_once`), or "": the
    reviews counted as one with it, each with its rows (named in the reason, not among the
    reviews counted: the count is of one review), and its statements that find no
    difference, with theirs."""
    said = [f"counted as one review with {other}{_rows_of(ctx, other, refs.get(other) or [])}, which prints the "
            "same result" for other in alike.get(sid, ())]
    disagreeing = [x["ref"] for x in stated.get(sid, ()) if not x.get("other_arm")]
    if disagreeing:
        said.append("its statements find no difference against the comparator of its own intervals, as far as its "
                    "rows tell (" + _rows_text(ctx, disagreeing) + ")")
    other = [x["ref"] for x in stated.get(sid, ()) if x.get("other_arm")]
    if other:
        said.append("its statements find no difference against another arm of the comparator than its intervals\u2019 ("
                    + _rows_text(ctx, other) + "), said beside them; its intervals counted as they lie")
    return "; ".join(said)


def _review_tally_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the summary's lines on published reviews (:func:`_external_overview`,
    :func:`_external_tallies`): "5 reviews with confidence intervals ..., which share
    trials: on pain intensity, the SMDs of 3 of the 5 range from ...", the reviews with
    confidence intervals whose sizes are given, and each range. Each row names every
    review with the rows of its results; no analysis is named, a line being across the
    comparator's outcomes. A comparator with one review is said in words ("the one review
    with confidence intervals"), not counted, and has no count row. No row counts the
    reviews by the side their intervals lie on, as the summary no longer does (vote
    counting, Cochrane Handbook 12.2). The same in either layout, as
    :func:`summary_counts` is."""
    rows: list[list[Any]] = []
    for node in _overview_nodes(ctx):
        label = _in_sentence(_node_label(ctx, node), _names(ctx))
        results, counted, outcomes, apart, alike, stated = _review_tallies(ctx, node, _question_analyses(ctx, node))
        misread = _misread_apart(apart)
        tallied = {comp: verdicts for comp, reviews in results.items()
                   if (verdicts := {sid: v for sid, v in ((sid, _review_verdict(sides)) for sid, sides in reviews.items())
                                    if v != "no interval"})}
        # The reviews not counted are no longer counted in the summary, which points to
        # the section listing them (_not_counted_pointer): their rows are the Results'.
        for comp, verdicts in tallied.items():
            n = len(verdicts)
            against = _in_sentence(comp, _names(ctx))
            # The sizes in brackets after the tally, of its reviews' results (one result
            # shown by two analyses is one), also after a tally of one review in words; by
            # outcome where the tally has more than one (_sizes_by_outcome).
            unique = _tally_results(counted[comp], verdicts, alike[comp])
            where = f"in the summary, the tally of reviews of {label} against {against}"
            if len(outcomes.get(comp, ())) > 1:
                for outcome in sorted(outcomes[comp]):
                    rows.extend(_size_audit_rows(ctx, "", [e for e in unique if e.get("tally_outcome") == outcome],
                                                 where, reviews=len({e["study_id"] for e in unique})))
            else:
                rows.extend(_size_audit_rows(ctx, "", unique, where, reviews=len({e["study_id"] for e in unique})))
            if n == 1:
                continue
            # The reviews whose sizes are given, however their intervals lie: no count of
            # those wholly on one side is printed (vote counting, Cochrane Handbook 12.2).
            refs: dict[str, list[str]] = {}
            # The rows of the results with an interval: those whose sizes are given.
            for e in counted[comp]:
                if (e["measure"] != "p_only" and e.get("ci_lb") is not None
                        and e.get("ci_ub") is not None and e["ref"] not in refs.setdefault(e["study_id"], [])):
                    refs[e["study_id"]].append(e["ref"])
            groups = [("with a confidence interval",
                       [{"study_id": sid, "refs": refs[sid],
                         "reason": _counted_once_reason(ctx, sid, alike[comp], stated[comp], refs)}
                        for sid in verdicts])]
            rows.append(_trial_count_row(ctx, "", f"reviews with confidence intervals against {against}, sizes given "
                                         "(count)", n, groups,
                                         f"{where} (\u201c{n} reviews with confidence intervals\u201d)",
                                         total=f"{n} reviews with confidence intervals"))
        # The results a tally leaves out as printed alike for another comparison or
        # outcome, which the summary says beside it (_misread_note): each with its rows.
        for comp in tallied:
            rows.extend(_apart_audit_rows(ctx, "", misread.get(comp, []),
                                          f"in the summary, beside the tally of reviews of {label} against "
                                          f"{_in_sentence(comp, _names(ctx))}"))
    return rows


def _key_message_size_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the key messages' effect sizes of published reviews
    (:func:`~metareview.report.overview.review_sizes`), for each comparator whose line
    gives them: the reviews with confidence intervals the sizes are of ("3 of 5
    meta-analyses": the 5), each scale-free measure's reviews and range (the 3, from the
    lowest result to the highest, each with its review and row), and the results named
    as at the edge of no difference, each with its bounds and p-value."""
    from metareview.report.brief import _treatment_point, outcome_sizes

    rows: list[list[Any]] = []
    for node in _overview_nodes(ctx):
        given = _question_analyses(ctx, node)
        point = _treatment_point(ctx, node)
        if "effect sizes" not in point:
            continue
        results, counted, _, _, alike, _ = _review_tallies(ctx, node, given)
        for comp, sizes in review_sizes(ctx, node, given).items():
            against = _in_sentence(comp, _names(ctx))
            where = f"in the key messages, against {against}"
            tallied = {sid for sid, sides in results[comp].items() if _review_verdict(sides) != "no interval"}
            refs: dict[str, list[str]] = {}
            for e in _tally_results(counted[comp], tallied, alike[comp]):
                if e["measure"] != "p_only" and e.get("ci_lb") is not None and e.get("ci_ub") is not None:
                    refs.setdefault(e["study_id"], []).append(e["ref"])
            k = sizes["reviews"]
            rows.append(_trial_count_row(
                ctx, "", f"reviews with confidence intervals against {against}, whose sizes are given (count)", k,
                [("with a confidence interval", [{"study_id": sid, "refs": rs} for sid, rs in refs.items()])],
                where, total=_reviews_total([("", list(refs))], k)))
            # Outcome by outcome, as the box gives them: each measure's reviews and range
            # (the SMDs, and the mean differences on the analysis's own scale), and where an
            # outcome's count in brackets is of reviews giving either, that count.
            kept = {other: sid for sid, others in alike[comp].items() for other in others}
            for i, (part, words) in enumerate(zip(sizes["by_outcome"], outcome_sizes(ctx, sizes["by_outcome"]))):
                outcome = _in_sentence(part["label"])
                said = f"{where}, on {outcome} (\u201c{words}"
                measures = [(size["plural"], size["given"], size["values"], size["of"]) for size in part["ranges"]]
                if part["on_scale"]:
                    scale = md_scale(ctx, {"measure": "MD", "outcome": part["outcome"]})
                    measures.append((f"MDs on the {scale} scale" if scale else "MDs in its unit",
                                     part["on_scale"], [float(e["estimate"]) for e in part["on_scale"]],
                                     len({kept.get(e["study_id"], e["study_id"]) for e in part["on_scale"]})))
                # The count in brackets after the sizes, as printed: "(3 of 5 reviews", "(1".
                count = (str(part["of"]) if i else "1 review" if k == 1 else f"{k} reviews" if part["of"] == k
                         else f"{part['of']} of {k} reviews")
                groups = []
                for plural, given, values, of in measures:
                    by: dict[str, list[str]] = {}
                    reasons: dict[str, list[str]] = {}
                    for e in given:
                        by.setdefault(e["study_id"], []).append(e["ref"])
                        # A mean difference rescaled to the common scale: the step that put it there.
                        reasons.setdefault(e["study_id"], []).extend(
                            x for x in e.get("notes") or [] if "rescaled" in x)
                    low, high = given[0], given[-1]
                    lowest, highest = values[0], values[-1]
                    studies = [{"study_id": sid, "refs": rs, **({"reason": "; ".join(reasons[sid])}
                                                                   if reasons[sid] else {})} for sid, rs in by.items()]
                    groups.append((f"giving {plural}", studies))
                    rows.append(_trial_count_row(
                        ctx, "", f"reviews against {against} giving {plural} on {outcome}, and their range (count)",
                        of, [(f"giving {plural}", studies)],
                        f"{said}{'' if len(measures) > 1 else f' ({count}'}\u201d)",
                        total=(f"{of} of the {k} reviews; {plural} from {f2(lowest)} ({low['study_id']}, "
                               f"{_ref_text(ctx, low['ref'])}) to {f2(highest)} ({high['study_id']}, "
                               f"{_ref_text(ctx, high['ref'])})")))
                if len(measures) > 1:
                    # "(2 reviews" of one giving an SMD and one an MD: the reviews giving either.
                    rows.append(_trial_count_row(
                        ctx, "", f"reviews against {against} giving sizes on {outcome} (count)", part["of"], groups,
                        f"{said} ({count}\u201d)", total=f"{part['of']} {'review' if part['of'] == 1 else 'reviews'} giving either"))
            if sizes["touching"]:
                entries = [{"study_id": e["study_id"], "refs": [e["ref"]],
                            "reason": f"{e['measure']} {f2(e['estimate'])}, {f2(e['ci_lb'])} to {f2(e['ci_ub'])}"
                                      + (f", p {e.get('p_qualifier') or '='} {e['p_value']}"
                                         if e.get("p_value") is not None else "")}
                           for e in sizes["touching"]]
                rows.append(_trial_count_row(
                    ctx, "", f"reviews' results against {against} at the edge of no difference (count)",
                    len(entries), [("a bound at no difference, or p at least alpha", entries)],
                    f"{where} (\u201cborderline\u201d)", total=f"{len(entries)} {'result' if len(entries) == 1 else 'results'}"))
    return rows


def _apart_audit_rows(ctx: ReportContext, aid: str, apart: Sequence[Mapping[str, Any]], where: str) -> list[list[Any]]:
    """Audit rows of the published results a tally sets apart, not counted (the "Not
    counted:" points of :func:`_secondary_reviews`: "3 reviews of a broader population than
    this review's"), a row for each reason: each review with the rows of its results set
    apart for that reason, and the count as printed (of reviews, or of results read only
    elsewhere). ``where`` says where the points are printed."""
    rows = []
    for why, n, group in _apart_groups(apart):
        refs: dict[str, list[str]] = {}
        for e in group:
            refs.setdefault(e["study_id"], []).append(e["ref"])
        unit = "results" if why in BY_RESULT else "reviews"
        rows.append(_trial_count_row(ctx, aid, f"{unit} not counted, {why} (count)", n,
                                     [(why, [{"study_id": sid, "refs": rs} for sid, rs in refs.items()])],
                                     f"{where} (\u201c{_apart_count(why, n)}\u201d)",
                                     total=f"{n} {unit[:-1] if n == 1 else unit}"))
    return rows


def _reviews_total(groups: Sequence[tuple[str, Sequence[Any]]], n: int, unit: str = "review") -> str:
    """A count of reviews written out from its groups: "4 + 2 = 6 reviews", "1 review"."""
    counts = [len(xs) for _, xs in groups if xs]
    return (f"{' + '.join(map(str, counts))} = {n}" if len(counts) > 1 else f"{n}") + f" {unit}{'' if n == 1 else 's'}"


def _size_audit_rows(ctx: ReportContext, aid: str, entries: Sequence[Mapping[str, Any]],
                     where: str, reviews: int | None = None) -> list[list[Any]]:
    """Audit rows of the counts and ranges of published results that :func:`_external_sizes`
    prints ("the SMDs of 4 of them range from −0.54 to −0.33", "2 of them give SMDs of
    −0.69", "their SMDs range from −1.07 to −0.47"), one for each measure given by more than
    one result: the reviews giving it, each with the rows of those results, their count, and
    the two results the range spans, the lowest and the highest, each with its review and
    row. A single result ("its SMD is −0.47") is no count: its own row traces it.
    ``where`` says where the words are printed; ``reviews`` as for :func:`_size_ranges`."""
    rows = []
    for size in _size_ranges(entries, reviews=reviews):
        if len(size["values"]) < 2:
            continue
        refs: dict[str, list[str]] = {}
        for e in size["given"]:
            if e["ref"] not in refs.setdefault(e["study_id"], []):
                refs[e["study_id"]].append(e["ref"])
        (low, *_, high), (lowest, *_, highest) = size["given"], size["values"]
        groups = [(f"giving {size['plural']}", [{"study_id": sid, "refs": rs} for sid, rs in refs.items()])]
        rows.append(_trial_count_row(
            ctx, aid, f"reviews giving {size['plural']}, and their range (count)", size["of"], groups,
            f"{where} (\u201c{size['said']}\u201d)",
            total=(f"{_reviews_total(groups, size['of'])}; {size['plural']} range from {f2(lowest)} "
                   f"({low['study_id']}, {_ref_text(ctx, low['ref'])}) to {f2(highest)} ({high['study_id']}, "
                   f"{_ref_text(ctx, high['ref'])})")))
    return rows


def _external_review_audit_rows(ctx: ReportContext, r: Mapping[str, Any]) -> list[list[Any]]:
    """Audit rows of the counts of reviews an analysis's line of the results prints of its
    published meta-analyses (:func:`_external_sentence`):

    - the reviews counted ("5 reviews, which share trials"), by whether they give a
      confidence interval, never by the side their intervals lie on (vote counting,
      Cochrane Handbook 12.2), each with the rows of its results in the analysis's window;
    - the reviews reporting the outcome only at timepoints outside the window ("1 more
      reports it only at timepoints outside this analysis's window"), with their rows;
    - the counts and ranges of their results' sizes (:func:`_size_audit_rows`).

    The reviews set apart have rows of their own (:func:`_apart_audit_rows`)."""
    a = r["analysis"]
    external, apart = _split_secondary(_external_in_window(r), misread_refs(ctx))
    where = "in the analysis's line of the results, its published meta-analyses"
    rows = []
    if external:
        refs: dict[str, list[str]] = {}
        for e in external:
            if e["ref"] not in refs.setdefault(e["study_id"], []):
                refs[e["study_id"]].append(e["ref"])
        sides, alike, stated = _analysis_verdicts(ctx, a, external)
        # As the line words them (:func:`_external_sentence`): a review its own words put on
        # neither side is not said to have results on neither.
        sides = _worded_verdicts(a, external, sides, alike, stated)
        # As the line counts them: all together, those without an interval apart; never
        # by the side their intervals lie on (vote counting, Cochrane Handbook 12.2).
        words = {"with a confidence interval": lambda v: v != "no interval",
                 "no result with a confidence interval": lambda v: v == "no interval"}
        groups = [(what, [{"study_id": sid, "refs": refs[sid],
                           "reason": _counted_once_reason(ctx, sid, alike, stated, refs)}
                          for sid, v in sides.items() if test(v)])
                  for what, test in words.items()]
        n = len(sides)
        rows.append(_trial_count_row(ctx, a["id"], "reviews counted (count)", n, groups,
                                     f"{where} (\u201c{n} {'review' if n == 1 else 'reviews'}\u201d)",
                                     total=_reviews_total(groups, n)))
    shown = {e["study_id"] for e in [*external, *apart]}
    outside: dict[str, list[str]] = {}
    for e in r.get("external") or []:
        if e["study_id"] not in shown and e["ref"] not in outside.setdefault(e["study_id"], []):
            outside[e["study_id"]].append(e["ref"])
    if outside:
        k = len(outside)
        # As the line words it: "1 more reports it only ..." after reviews counted.
        printed = (f"{k} more {'reports' if k == 1 else 'report'} it only at timepoints" if external
                   else f"{k} {'review reports' if k == 1 else 'reviews report'} it at timepoints")
        groups = [("reporting it only at timepoints outside the window",
                   [{"study_id": sid, "refs": rs} for sid, rs in outside.items()])]
        rows.append(_trial_count_row(ctx, a["id"], "reviews reporting it only outside the window (count)", k, groups,
                                     f"{where} (\u201c{printed} outside this analysis's window\u201d)",
                                     total=_reviews_total(groups, k)))
    if external:
        rows.extend(_size_audit_rows(ctx, a["id"], _tally_results(
            [{**e, "tally_outcome": a["outcome"]} for e in external], set(sides), alike), where))
    return rows


def _not_drawn_audit_rows(ctx: ReportContext, r: Mapping[str, Any]) -> list[list[Any]]:
    """The audit row of the count under an analysis's forest plot of the published results
    it does not draw ("Not drawn: 13 published meta-analysis results not on this
    analysis's scale, 1 of them also from another time window",
    :func:`metareview.plots.not_drawn_note`), or none: each result with its raw
    row, grouped by why it is not drawn (``not_drawn``, as the report's text lists it). The
    count had no row, and an auditor counted the 13 by hand."""
    from metareview.plots import drawn_externals, not_drawn_note

    shown = {id(e) for e in drawn_externals(r)}
    listed = [e for e in r.get("external") or [] if id(e) not in shown]
    if not listed:
        return []
    by_why: dict[str, list[dict[str, Any]]] = {}
    for e in listed:
        why = e.get("not_drawn") or "not on this analysis's scale or without a confidence interval"
        by_why.setdefault(str(why), []).append({"study_id": e["study_id"], "refs": [e["ref"]] if e.get("ref") else []})
    n = len(listed)
    said = not_drawn_note(listed)
    row = _trial_count_row(ctx, r["analysis"]["id"], "published results not drawn in the forest plot (count)", n,
                           sorted(by_why.items()), f"under the analysis's forest plot (\u201c{said}\u201d)",
                           total=f"{n} published {'result' if n == 1 else 'results'}")
    # A count of results, each its own raw row, not of studies.
    row[7] = "count of the raw rows"
    return [row]


def _differing_review_audit_rows(ctx: ReportContext, r: Mapping[str, Any],
                                 said: Mapping[str, str] | None = None) -> list[list[Any]]:
    """Audit rows of the reviews the summary sets beside an analysis's trials where the two
    differ (:func:`_reviews_and_trials`: "5 reviews with confidence intervals, which share
    trials: the SMDs of 3 of the 5 range from −0.54 to −0.33, ...; the one trial used here
    (...) is compatible with both a difference of that size and none"), as
    ``said["compared"]`` (:func:`summary_counts`) prints them: one row counting every
    review with an interval, whatever side it lies on, each with the rows of those results
    and the reason the tally's row gives (:func:`_review_tally_audit_rows`), and a row for
    each range of their sizes (:func:`_size_audit_rows`). No row counts them by side: the
    summary no longer does (vote counting, Cochrane Handbook 12.2)."""
    said = said or {}
    a = r["analysis"]
    analysable = _analysable_reviews(ctx, r)
    sides, alike, stated = _analysis_verdicts(ctx, a, analysable)
    verdicts = {sid: v for sid, v in sides.items() if v != "no interval"}
    refs: dict[str, list[str]] = {}
    for e in analysable:
        if (e["study_id"] in verdicts and e["measure"] != "p_only" and e.get("ci_lb") is not None
                and e.get("ci_ub") is not None and e["ref"] not in refs.setdefault(e["study_id"], [])):
            refs[e["study_id"]].append(e["ref"])
    phrase = said.get("compared")
    if not phrase:
        return []
    # One count of the reviews set beside the trials, whatever side their intervals lie
    # on: a count by side would be vote counting (Cochrane Handbook 12.2). Their sizes
    # have rows of their own (:func:`_size_audit_rows`).
    groups = [("with a confidence interval", [{"study_id": sid, "refs": refs[sid],
                                               "reason": _counted_once_reason(ctx, sid, alike, stated, refs)}
                                              for sid in verdicts])]
    n = len(verdicts)
    where = f"in the summary (\u201c{phrase}\u201d)"
    rows = [_trial_count_row(ctx, a["id"], "reviews set beside the trials here, with confidence intervals (count)", n,
                             groups, where, total=f"{n} {'review' if n == 1 else 'reviews'}")]
    compared = [e for e in _tally_results([{**e, "tally_outcome": a["outcome"]} for e in analysable], set(verdicts),
                                          alike)
                if e["measure"] != "p_only" and e.get("ci_lb") is not None and e.get("ci_ub") is not None]
    rows.extend(_size_audit_rows(ctx, a["id"], compared, "in the summary, beside the trials here", reviews=n))
    return rows


def _aside_entry(ctx: ReportContext, r: Mapping[str, Any], e: Mapping[str, Any],
                 reason: str | None = None) -> dict[str, Any]:
    """A trial analysis ``r`` set aside as a count of trials lists it: its rows, and its
    statements in words of the comparison and outcome, which the table of trials set
    aside cites ("a result given in words only": Cherkin 2009's, Kong 2020's), with its
    reason (``e``'s own unless ``reason``)."""
    words = [ref for ref in excluded_statement_refs(ctx, r, e) if ref not in (e.get("refs") or [])]
    reason = reason if reason is not None else e.get("reason")
    if words:
        reason = f"{reason}; a result given in words only" if reason else "a result given in words only"
    return {"study_id": e["study_id"], "refs": [*(e.get("refs") or []), *words], "reason": reason}


def _trial_count_audit_rows(ctx: ReportContext, r: Mapping[str, Any],
                            said: Mapping[str, str] | None = None) -> list[list[Any]]:
    """Audit rows of the counts of trials printed for an analysis, each traced to the
    studies counted and their raw rows:

    - its candidate trials, those used and those set aside, which its section opens with
      ("candidate trials: 5; used: 1");
    - every trial of its comparison in these data (:func:`metareview.report.overview.
      _trials_held`), which *Published meta-analyses* sets a review's pooled trials against
      ("these data have 11 trials of this comparison", ``said["held"]``);
    - the trials it set aside, where the summary counts them rather than naming them
      ("4 trials set aside", counted once over a comparator's analyses, ``said["aside"]``).

    ``said`` is the analysis's entry of :func:`summary_counts`. None for an analysis
    without a candidate trial: a count of none has no row to name."""
    said = said or {}
    used = [{"study_id": s["study_id"], "refs": s.get("refs") or []} for s in r["studies"]]
    aside = [_aside_entry(ctx, r, e) for e in r.get("excluded") or []]
    candidates = r["k"] + len(aside)
    if not candidates:
        return []
    aid = r["analysis"]["id"]
    # The same in either layout, as the rest of the audit table (the results-table layout
    # prints the section of the analyses report.detailed names).
    printed = f"in the opening of the analysis's section (\u201ccandidate trials: {candidates}; used: {r['k']}\u201d)"
    rows = [_trial_count_row(ctx, aid, "candidate trials (count)", candidates,
                             [("used", used), ("set aside", aside)], printed)]
    if said.get("held"):
        # Every trial of the comparison, those with no result on the outcome entered too:
        # more than the candidates (_trials_held).
        comparison = _trials_held(ctx, r)
        rows.append(_trial_count_row(
            ctx, aid, "trials of this comparison in these data (count)", sum(len(xs) for xs in comparison.values()),
            [("used", comparison["used"]), ("set aside", comparison["aside"]),
             ("a result on the outcome in words only", comparison["words"]),
             ("with rows on the outcome, neither used nor set aside", comparison["others"]),
             ("no result on the outcome entered", comparison["empty"])],
            f"in Published meta-analyses (\u201c{said['held']}\u201d)"))
    if said.get("aside"):
        # The summary counts a comparator's trials set aside once over its analyses
        # (summary_counts' ``aside_from``), each trial once.
        ids = str(said.get("aside_from") or aid).split()
        group = [x for x in ctx.analyses if x["analysis"]["id"] in ids] or [r]
        every: dict[str, dict[str, Any]] = {}
        for x in group:
            for e in x.get("excluded") or []:
                # A trial set aside by two of the analyses (Kong 2020, for pain and for
                # disability): counted once, with the rows and reasons of both. Over
                # several analyses each is named with its analysis: Meng 2003's
                # disability rows, listed under the pain analysis's id, read as pain's.
                one = every.setdefault(e["label"], {"study_id": e.get("study_id"), "refs": [], "by_analysis": []})
                entry = _aside_entry(ctx, x, e, "; ".join(entry_reasons(e)) or None)
                one["refs"] += [ref for ref in entry["refs"] if ref not in one["refs"]]
                one["by_analysis"].append((x["analysis"]["id"], entry["refs"], entry["reason"]))
        if len(group) == 1:
            for one in every.values():
                ((_, _, reason),) = one.pop("by_analysis")
                one["reason"] = reason
        over = ("" if len(group) == 1 else
                f", counted once over {join_and([x['analysis']['id'] for x in group])}")
        rows.append(_trial_count_row(ctx, aid, "trials set aside (count)", len(every),
                                     [("set aside", list(every.values()))],
                                     f"in the summary, among the trials set aside (\u201c{said['aside']}\u201d)"
                                     + over))
    return rows


#: The small-study test's predictor as the audit row's steps compute it from a study effect.
PREDICTOR_TERMS = {
    "sei": "sei = sqrt(vi)",
    "vi": "vi",
    "ni": "ni = n1 + n2",
    "ninv": "1/ni, ni = n1 + n2",
    "sqrtni": "sqrt(ni), ni = n1 + n2",
    "sqrtninv": "1/sqrt(ni), ni = n1 + n2",
}


def _regtest_audit_row(r: Mapping[str, Any], key: str = "regtest") -> list[Any] | None:
    """The audit row of the small-study test a pooled analysis prints (:func:`sensitivity_text`:
    "t = −2.72 (df = 8), p = 0.026"), or None when it has none; with ``key``
    ``regtest_sqrtninv``, that of the test on sample size printed beside an SE-based test
    of an SMD.

    The test is the slope of the study effects regressed on the predictor in the pooled
    model's random-effects model, with its estimator and test (metafor ``regtest``, model
    ``"rma"``; Egger et al. 1997): the row gives the slope, its SE and the regression's
    residual tau2, so that a reader refits it from the study rows above and checks the
    statistic, slope / SE, and its p. Its value is the statistic; it has no variance.
    """
    p = r["pooled"]
    reg = p.get(key)
    if not reg:
        return None
    aid = r["analysis"]["id"]
    predictor = str(reg.get("predictor", "sei"))
    name, stat = ("z", reg["zval"]) if reg.get("tval") is None else ("t", reg["tval"])
    df = "" if name == "z" else f" (df = {reg['df']:g})"
    slope = f"slope {_minus(format(reg['slope'], '.6g'))}"
    if reg.get("slope_se") is not None:
        slope += f" (SE {reg['slope_se']:.6g})"
    tau2 = "" if reg.get("tau2") is None else f", residual tau2 = {reg['tau2']:.6g}"
    steps = (f"k = {p['k']}; from the study effects above, regressed on {PREDICTOR_TEXT[predictor]} "
             f"({PREDICTOR_TERMS[predictor]}) in the random-effects model, with its estimator and test: "
             f"{slope}{tau2}; {name} = slope / SE = {_minus(format(stat, '.6g'))}{df}, p = {reg['pval']:#.4g}; "
             f"printed {name} = {f2(stat)}{df}, {p_value(reg['pval'])}")
    return [aid, f"small-study test (Egger-type regression on {PREDICTOR_TEXT[predictor]})",
            "; ".join(s["study_id"] for s in r["studies"]), stat, None, f"results/analyses/{aid}.json", "",
            f"regtest(rma(method={p.get('method')}, test={p.get('test')}), model=rma, predictor={predictor})",
            steps]


def _baseline_steps(ctx: ReportContext, s: Mapping[str, Any]) -> list[str]:
    """The audit steps of the numbers printed beside an effect whose arms differed at
    baseline (:func:`_baseline_text`): the week-0 rows' cells the baseline difference is
    computed from, and the change-score rows each arm's change from baseline is read from,
    with the changes as printed ("improved by 4.5"). Neither kind of row gives the effect,
    so neither is among its raw rows; without these steps the printed numbers would have
    no cell to be traced to."""
    steps = []
    if s.get("baseline_refs"):
        steps.append("baseline (week 0) rows read: "
                     + "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in s["baseline_refs"]))
    change = s.get("baseline_change")
    if change is not None and change.get("refs"):
        gap = change["intervention"] - change["comparator"]
        steps.append("changes from baseline read from "
                     + "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in change["refs"])
                     + f": each arm's improvement (the change's size, its sign from change_sign), a side's arms "
                     f"weighted by n: intervention {change['intervention']:.6g}, comparator {change['comparator']:.6g} points on the "
                     f"{change['instrument']}, a gap of {abs(gap):.6g}; printed {_moved(change['intervention'])}, "
                     f"{_moved(change['comparator'])}")
    return steps


def _claim_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the claimed differences the claims table prints ("the claimed
    difference of −2.30"): a claim's ``claimed_value``, a mean difference on the outcome's
    common scale (claims.csv's codebook), is tested against an analysis's interval, so the
    number the verdict turns on is traced to its cell like the effect it is tested against.
    """
    rows: list[list[Any]] = []
    verdicts = {c.get("claim_id"): c.get("verdict") for c in ctx.claims}
    tested = {c.get("claim_id"): c.get("tested_analysis") for c in ctx.claims}
    numbers = ctx.raw_row_numbers.get("claims") or ()
    for index, raw in enumerate(ctx.raw_tables.get("claims", [])):
        value = raw.get("claimed_value")
        if raw.get("claimed_measure") != "mean_difference" or value is None or raw.get("claim_id") not in verdicts:
            continue
        where = f"claims.csv row {numbers[index]}" if index < len(numbers) else f"claims.csv: {raw['claim_id']}"
        text = _as_typed(value, _typed_cells(ctx, "claims", index).get("claimed_value"))
        rows.append(["", f"claimed difference (claim {raw['claim_id']})", raw.get("attributed_study_id") or "",
                     float(value), None, where,
                     f"{where}: claimed_measure = mean_difference, claimed_value = {text}", "claim as recorded",
                     (f"a mean difference on the outcome's common scale, as claims.csv records it; printed "
                      f"{f2(float(value))} in the claims table, tested against "
                      f"{_tested_analysis(ctx, tested.get(raw['claim_id']))}; verdict: {verdicts[raw['claim_id']]}")])
    return rows


def _tested_analysis(ctx: ReportContext, aid: str | None) -> str:
    """"the interval of acupuncture_vs_sham_pain (its one trial: Brinkhaus2006,
    contrasts.csv row 6)": the analysis a claimed difference was tested against, by its
    id, with the studies and raw rows of its interval, which the claim's verdict names
    only in words. Claims results from before the analysis was recorded give the words."""
    r = next((r for r in ctx.analyses if r["analysis"]["id"] == aid), None) if aid else None
    if r is None or not r["studies"]:
        return "the interval of the analysis the verdict names"
    studies = r["studies"] if r["status"] == "pooled" else r["studies"][:1]
    whose = "its one trial" if len(studies) == 1 else f"pooled from {len(studies)} studies"
    parts = "; ".join(f"{st['study_id']}, {_rows_text(ctx, list(st.get('refs') or []))}" for st in studies)
    return f"the interval of {aid} ({whose}: {parts})"


#: The ``from`` of an audit row of a count of claims, which counts the rows of claims.csv.
COUNT_CLAIMS = "count of the claims of the raw rows"


def _claim_count_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the counts of claims the summary prints under each source's claims
    (:func:`_claims_summary`: "6 not checkable from the data"), one for each source and
    verdict: the claims with that verdict, each by its ``claim_id`` and row of claims.csv,
    and their count. The verdict is the review's, not a cell: the claims table gives why."""
    numbers = ctx.raw_row_numbers.get("claims") or ()
    row_of = {raw.get("claim_id"): numbers[i] if i < len(numbers) else i + 2
              for i, raw in enumerate(ctx.raw_tables.get("claims", []))}
    by_source: dict[Any, dict[str, list[str]]] = {}
    for c in ctx.claims:
        by_source.setdefault(c.get("source_id"), {}).setdefault(c["verdict"], []).append(c["claim_id"])
    rows = []
    for source, verdicts in by_source.items():
        who = _claims_source(ctx, source)
        for verdict, ids in verdicts.items():
            where = [f"claims.csv row {row_of[i]}" if i in row_of else "claims.csv" for i in ids]
            k = len(ids)
            listed = sorted(row_of[i] for i in ids if i in row_of)
            # No study id: the column holds studies' ids, and claims are counted by theirs.
            rows.append(["", f"claims of {who}, {verdict} (count)", "", k, None,
                         f"claims.csv row{'s' if len(listed) > 1 else ''} {join_and([str(n) for n in listed])}",
                         "; ".join(f"{w}: claim_id = {i}" for i, w in zip(ids, where)), COUNT_CLAIMS,
                         f"{verdict} ({k}): " + ", ".join(f"{i} ({w})" for i, w in zip(ids, where))
                         + f"; {k} claim{'' if k == 1 else 's'}; printed in the summary, under the claims of {who} "
                         f"(\u201c{k} {verdict}\u201d)"])
    rows += _claim_cited_audit_rows(ctx, row_of)
    return rows


#: What came of a claim's cited evidence (``cited``, :func:`metareview.claims.cited_evidence`),
#: in the summary's words (:func:`~metareview.report.brief._citations`), in its order.
_CITED_WORDS = (("unverified", "evidence that cannot be verified"), ("not identified", "evidence not identified"),
                ("none", "no evidence"))


def _claim_cited_audit_rows(ctx: ReportContext, row_of: Mapping[Any, int]) -> list[list[Any]]:
    """Audit rows of the summary's counts of what the claims cite ("2 cite evidence that
    cannot be verified, 3 evidence not identified and 1 none"), one per source and kind:
    each claim by its row of claims.csv with the cells that decide it (``attributed_to``,
    ``attributed_study_id``, and the cited study's ``identity_confidence`` in studies.csv
    with whether it is known only from the claim's own source), none where no claim's
    evidence is left unverified (the summary then says nothing)."""
    docs = {d["study"]["study_id"]: d for d in ctx.normalised}
    raw = {c.get("claim_id"): c for c in ctx.raw_tables.get("claims", [])}
    by_source: dict[Any, list[Mapping[str, Any]]] = {}
    for c in ctx.claims:
        by_source.setdefault(c.get("source_id"), []).append(c)
    rows = []
    for source, claims in by_source.items():
        if not any(c.get("cited") in dict(_CITED_WORDS) for c in claims):
            continue
        who = _claims_source(ctx, source)
        for key, what in _CITED_WORDS:
            ids = [c["claim_id"] for c in claims if c.get("cited") == key]
            if not ids:
                continue
            refs: list[str] = []
            parts = []
            for i in ids:
                cells = raw.get(i) or {}
                where = f"claims.csv row {row_of[i]}" if i in row_of else "claims.csv"
                cited = str(cells.get("attributed_study_id") or "")
                why = (f"attributed_to = {cells.get('attributed_to') or '(empty)'}, attributed_study_id = "
                       f"{cited or '(empty)'}")
                if key == "unverified" and cited in docs:
                    file, line = _row_of(ctx, _study_row_ref(cited))
                    study = docs[cited]["study"]
                    why += (f"; {file} row {line}: identity_confidence = {study.get('identity_confidence')}, "
                            f"source_id = {study.get('source_id')}, the claim's own source")
                    refs.append(_study_row_ref(cited))
                parts.append((i, where, why))
            k = len(ids)
            listed = sorted(row_of[i] for i in ids if i in row_of)
            rows.append(["", f"claims of {who}, citing {what} (count)", "", k, None,
                         f"claims.csv row{'s' if len(listed) > 1 else ''} {join_and([str(n) for n in listed])}"
                         + (f"; {_rows_text(ctx, refs)}" if refs else ""),
                         "; ".join(f"{w}: claim_id = {i}" for i, w, _ in parts), COUNT_CLAIMS,
                         f"cited = {key} ({k}): " + ", ".join(f"{i} ({w}: {why})" for i, w, why in parts)
                         + f"; {k} claim{'' if k == 1 else 's'}; printed in the summary, under the claims of {who}"])
    return rows


#: How the claims table words a count of reviews its reason does not count: after others
#: are counted, and where none is.
_CLAIM_APART_WORDS = ("not counted: {n} more {reviews} with an interval",
                      "none counted (see the published meta-analyses; {n} {reviews} with an interval")

#: The starts of the quantities of the count rows printed in either layout (the claims
#: table and the limitations are): the other counts of studies are the sections' and the
#: summary's overview's, which the results-table layout does not print.
_COUNTS_IN_EITHER_LAYOUT = ("reviews counted for claim ", "reviews not counted for claim ", "study effects ",
                            "published meta-analyses of ", "trials with risk-of-bias judgements",
                            "published reviews with risk-of-bias judgements", "candidate trials set aside",
                            "trials with arms in no node ", "trials used in an analysis with no risk-of-bias",
                            "studies used in an analysis with no risk-of-bias",
                            "trials giving an analysed comparison's result ",
                            "trials of the analysed comparisons with no result rows",
                            "trials given only as a p-value or in words with no full report")


def _claim_count_reason(ctx: ReportContext, counted: Mapping[str, Any]) -> str:
    """Why a claim's count of reviews counts one as it does (:func:`metareview.claims.
    check_claim`'s ``published_reviews``), or "": the reviews counted as one with it, each
    with its rows, and its statements finding no difference, with theirs."""
    said = [f"counted as one review with {x['study_id']}{_rows_of(ctx, x['study_id'], x.get('refs') or [])}, which "
            "prints the same result" for x in counted.get("alike") or []]
    if counted.get("disagreeing"):
        said.append("its statements find no difference against the comparator of its own intervals, as far as its "
                    "rows tell (" + _rows_text(ctx, counted["disagreeing"]) + ")")
    other = [ref for ref in counted.get("stated") or [] if ref not in (counted.get("disagreeing") or [])]
    if other:
        said.append("its statements find no difference against another arm of the comparator than its intervals\u2019 ("
                    + _rows_text(ctx, other) + "), said beside them; its intervals counted as they lie")
    return "; ".join(said)


def _claim_review_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the counts of published reviews a claim's reason prints
    (:func:`metareview.claims.check_claim`: "of 7 reviews that give a confidence interval,
    6 have every one wholly on acupuncture's side ...; not counted: 3 more reviews with an
    interval"), for each treatment whose reason counts them: the reviews counted, each with
    the rows of its results counted and, for one not on the treatment's side, why; and the
    reviews not counted, each with the rows of its results left out and the reasons. The
    reviews are those the claim's result records (``published_reviews``), not read back
    from its words."""
    rows: list[list[Any]] = []
    for c in ctx.claims:
        for entry in c.get("published_reviews") or []:
            label = _in_sentence(entry["label"], _names(ctx))
            side = f"the side of {label}" if label.rstrip().endswith(")") else f"{label}\u2019s side"
            where = f"in the claims table, the reason for claim {c['claim_id']}"
            counted, apart = entry.get("counted") or [], entry.get("not_counted") or []
            if counted:
                n, wholly = len(counted), sum(1 for x in counted if x["wholly"])
                groups = [(f"every interval wholly on {side}",
                           [{"study_id": x["study_id"], "refs": x["refs"], "reason": _claim_count_reason(ctx, x)}
                            for x in counted if x["wholly"]]),
                          ("not", [{"study_id": x["study_id"], "refs": x["refs"],
                                    "reason": _claim_count_reason(ctx, x)
                                    or f"not every interval counted wholly on {side}"}
                                   for x in counted if not x["wholly"]])]
                said = (f"of {n} {'review that gives' if n == 1 else 'reviews that give'} a confidence interval, "
                        f"{wholly} {'has' if wholly == 1 else 'have'} every one wholly on {side}")
                rows.append(_trial_count_row(
                    ctx, "", f"reviews counted for claim {c['claim_id']} ({label}), every interval on {side} (count)",
                    wholly, groups, f"{where} (\u201c{said}\u201d)",
                    total=f"{wholly} of the {n} {'review' if n == 1 else 'reviews'} that give a confidence interval"))
            if apart:
                n = len(apart)
                said = _CLAIM_APART_WORDS[not counted].format(n=n, reviews="review" if n == 1 else "reviews")
                groups = [("not counted", [{"study_id": x["study_id"], "refs": x["refs"],
                                            "reason": " and ".join(x["reasons"])} for x in apart])]
                rows.append(_trial_count_row(ctx, "", f"reviews not counted for claim {c['claim_id']} ({label}) (count)",
                                             n, groups, f"{where} (\u201c{said}\u201d)",
                                             total=_reviews_total(groups, n)))
    return rows


#: The ``from`` of an audit row of a count of the analyses or indirect comparisons, which
#: counts the entries of the config that define them, not raw rows.
COUNT_CONFIG = "count of the entries of the config"

#: The config file the report names as defining the analyses (its methods and tables do).
CONFIG_FILE = "config/config.yaml"


def _config_count_row(ctx: ReportContext, key: str, quantity: str, value: int,
                      groups: Sequence[tuple[str, Sequence[tuple[str, str]]]], printed: str, total: str) -> list[Any]:
    """The audit row of a count of the analyses or indirect comparisons the config defines
    (``key``: ``analyses``, ``indirect``): each entry counted by its place and ``id`` in the
    config, ``groups`` giving what they are and, for each entry, what puts it there (the
    status its results file records), the groups' counts and the total, and where the count
    is printed. No raw row is counted: the entries are the config's, and the row says so."""
    place = {x.get("id"): i for i, x in enumerate(ctx.config.get(key) or [])}
    listed = [xid for _, xs in groups for xid, _ in xs]
    steps = [f"{what} ({len(xs)}): {_entries_with_why(xs)}" for what, xs in groups if xs]
    return ["", quantity, "", value, None, f"{CONFIG_FILE}: {key}",
            "; ".join(f"{CONFIG_FILE}: {key}[{place[xid]}].id = {xid}" if xid in place else f"{CONFIG_FILE}: {key}"
                      for xid in listed),
            COUNT_CONFIG, f"{'; '.join(steps)}; {total}; printed {printed}"]


def _entries_with_why(entries: Sequence[tuple[str, str]]) -> str:
    """Config entries, each by its id with what puts it in its group ("a (why)"), those
    alike but for their ids together, the reason given once ("a, c (each: results/analyses/
    ID.json: status = single_study)"), in the order each reason first comes: the analyses
    by pooling gave a results file's path after each of 17 analyses, the GRADE ratings
    one of two reasons after each, and each row ran to most of a page.

    Examples
    --------
    >>> _entries_with_why([("a", "a.json: pooled"), ("bb", "bb.json: pooled")])
    'a, bb (each: ID.json: pooled)'
    >>> _entries_with_why([("a", "x"), ("b", "y"), ("c", "x")])
    'a, c (each: x), b (y)'
    >>> _entries_with_why([("a", ""), ("b", "")])
    'a, b'
    """
    alike: dict[str, list[tuple[str, str]]] = {}
    for xid, why in entries:
        # The id where it stands as a word (a file's name), not inside another word.
        alike.setdefault(re.sub(rf"(?<!\w){re.escape(xid)}(?!\w)", "ID", why), []).append((xid, why))
    parts = []
    for why, xs in alike.items():
        if len(xs) == 1:
            xid, own = xs[0]
            parts.append(f"{xid} ({own})" if own else xid)
        else:
            parts.append(", ".join(xid for xid, _ in xs) + (f" (each: {why})" if why else ""))
    return ", ".join(parts)


def _config_entries_shown(cells: str, key: str, n: int) -> str:
    """The raw cells of a count of config entries as the report's table of counts gives
    them: the entries' places in the config, their ids being named in the row's steps
    ("config/config.yaml: analyses [0] to [16], 17 entries, each named by its id under
    Steps"). The cells themselves, one "analyses[6].id = ..." for each entry, stay in
    audit.csv: in the table they made the row of 17 analyses a page tall.

    Examples
    --------
    >>> _config_entries_shown("config/config.yaml: analyses[2].id = b; config/config.yaml: analyses[0].id = a; "
    ...                       "config/config.yaml: analyses[1].id = c; config/config.yaml: analyses[4].id = d",
    ...                       "analyses", 4)
    'config/config.yaml: analyses [0] to [2] and [4], 4 entries, each named by its id under Steps'
    >>> _config_entries_shown("config/config.yaml: indirect[1].id = x; config/config.yaml: indirect[0].id = y",
    ...                       "indirect", 2)
    'config/config.yaml: indirect [0] and [1], 2 entries, each named by its id under Steps'
    """
    places = sorted({int(i) for i in re.findall(rf"\b{re.escape(key)}\[(\d+)\]\.id = ", cells)})
    runs: list[list[int]] = []
    for i in places:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    spans = [span for run in runs
             for span in ([f"[{i}]" for i in run] if len(run) < 3 else [f"[{run[0]}] to [{run[-1]}]"])]
    where = f"{CONFIG_FILE}: {key}" + (f" {join_and(spans)}" if spans else "")
    return (f"{where}, {n} {'entry' if n == 1 else 'entries'}, "
            f"{'named' if n == 1 else 'each named'} by its id under Steps")


#: Why an analysis has no GRADE rating, by its certainty's status (:class:`metareview.certainty.Certainty`).
_UNRATED = {"not_assessed": "no judgements in analyses[].certainty", "incomplete": "judgements incomplete",
            "out_of_date": "judgements out of date", "no_evidence": "no study effect to rate"}


def _limitation_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the counts and lists the limitations print (:func:`limitations_section`):

    - the analyses by pooling ("of 17 analyses, 1 pools trials, ..."), the GRADE ratings
      ("rated for 0 of 17 analyses") and the indirect comparisons by the reason the
      limitations give (:func:`indirect_reasons`: "Dry needling versus acupuncture (pain
      intensity): no indirect comparison can be made, as ..."): entries of the config
      (:func:`_config_count_row`), each with the status its results file records;
    - the trials (and published reviews) with risk-of-bias judgements ("recorded for 2 of
      the 21 trials"): their rows of risk_of_bias.csv, and the others' of studies.csv;
    - each list of studies whose effects have a property ("Study effects known only from a
      secondary source: ...") and of the published reviews of another population: the
      studies named, each with the raw rows that carry the property
      (:data:`_LIMITATION_LISTS`).
    """
    rows: list[list[Any]] = []
    total = len(ctx.analyses)
    where = "in the limitations"
    if total > 1:
        by_status = {status: [(r["analysis"]["id"], f"results/analyses/{r['analysis']['id']}.json: status = {status}")
                              for r in ctx.analyses if r["status"] == status] for status, _ in _POOLING_WORDS}
        groups = [(what[len(by_status[status]) != 1], by_status[status]) for status, what in _POOLING_WORDS]
        counts = [len(xs) for _, xs in groups if xs]
        # The summary opens with the same counts, in the same words.
        rows.append(_config_count_row(
            ctx, "analyses", "analyses by pooling (count)", total, groups,
            f"in the summary and the limitations (\u201c{pooling_counts(ctx)}\u201d)",
            f"{' + '.join(map(str, counts))} = {total} analyses" if len(counts) > 1 else f"{total} analyses"))
        rated = [r["analysis"]["id"] for r in ctx.analyses if certainty_of(ctx, r).status == "graded"]
        # Of the analyses with an effect, as the limitations count them (rated_count_text):
        # those with none have nothing to rate, so are not among the unrated.
        counted = [r for r in ctx.analyses if certainty_of(ctx, r).status != "no_evidence"]
        groups = [("rated", [(aid, "") for aid in rated]),
                  ("not rated", [(r["analysis"]["id"], _UNRATED.get(status, status.replace("_", " ")))
                                 for r in counted
                                 if (status := certainty_of(ctx, r).status) != "graded"])]
        # None where the limitations give no count: GRADE "cannot be rated for any result".
        if not grade_unratable_said(ctx):
            rows.append(_config_count_row(
                ctx, "analyses", "analyses rated for certainty (GRADE) (count)", len(rated), groups,
                f"{where} (\u201ccertainty of the evidence (GRADE) {rated_count_text(ctx)}\u201d)",
                f"{len(rated)} of the {len(counted)} analyses with an effect"))
    # By the reason the limitations give, each with the status its results file records,
    # which every comparison the pipeline writes has.
    if ctx.indirect and all("status" in x for x in ctx.indirect):
        # The words as printed, out of their Markdown: audit.csv is read as text.
        groups = [(plain(text), [(x["id"], f"results/indirect/{x['id']}.json: status = {x['status']}") for x in xs])
                  for text, xs in indirect_reasons(ctx)]
        n = len(ctx.indirect)
        rows.append(_config_count_row(
            ctx, "indirect", "indirect comparisons by reason (count)", n, groups,
            f"{where}, under \u201cIndirect comparisons\u201d",
            (f"{' + '.join(str(len(xs)) for _, xs in groups)} = {n}" if len(groups) > 1 else f"{n}")
            + f" indirect {'comparison' if n == 1 else 'comparisons'}"))
    rows.extend(_judged_audit_rows(ctx))
    rows.extend(_unblinded_audit_rows(ctx))
    rows.extend(_unassessed_audit_rows(ctx))
    rows.extend(_missing_results_audit_rows(ctx))
    for what, _, carried in _LIMITATION_LISTS:
        found = _limitation_studies(ctx, what)
        if not found:
            continue
        test = next(t for w, t, _ in _LIMITATION_LISTS if w == what)
        refs: dict[str, list[str]] = {}
        label: dict[str, str] = {}
        # Where a study's rows were read, when not in its own report: the documents named.
        read_in: dict[str, dict[str, str]] = {}
        for r in ctx.analyses:
            for s in r["studies"]:
                if test(s):
                    own = refs.setdefault(s["study_id"], [])
                    own.extend(ref for ref in carried(s) if ref not in own)
                    label[s["study_id"]] = s["label"]
                    if what == READ_ELSEWHERE_LIMITATION:
                        read_in.setdefault(s["study_id"], {}).update(
                            {x["ref"]: x["source_id"] for x in s.get("read_elsewhere", [])})
        n = len(found)
        # In the order the list names them, by label.
        study_groups = [("named", [{"study_id": sid, "refs": refs[sid],
                                    **({"reason": _read_in_text(ctx, read_in[sid])} if read_in.get(sid) else {})}
                                   for sid in sorted(refs, key=lambda x: label[x])])]
        rows.append(_trial_count_row(ctx, "", f"study effects {what} (count)", n, study_groups,
                                     f"{where}, under \u201cStudy effects {what}\u201d",
                                     total=f"{n} {'study' if n == 1 else 'studies'}"))
    off = _off_population_reviews(ctx)
    if off:
        study_groups = [("of a broader or another population (studies.csv: population_fit)",
                   [{"study_id": sid, "refs": [_study_row_ref(sid)]} for ids in off.values() for sid in ids])]
        rows.append(_trial_count_row(ctx, "", "published meta-analyses of a broader or another population (count)",
                                     len(off), study_groups, f"{where}, under \u201cPublished meta-analyses of a broader or "
                                     "another population than this review\u2019s\u201d",
                                     total=_reviews_total(study_groups, len(off))))
    # Those left out for where they were read, a row for each reason as the item gives it.
    rows.extend(_apart_audit_rows(ctx, "", source_apart_reviews(ctx),
                                  f"{where}, under \u201c{SOURCE_APART_LIMITATION}\u201d"))
    rows.extend(_apart_audit_rows(ctx, "", misread_apart_results(ctx), f"{where}, under \u201c{MISREAD_LIMITATION}\u201d"))
    rows.extend(_set_aside_audit_rows(ctx))
    rows.extend(_flow_audit_rows(ctx))
    rows.extend(_node_choice_audit_rows(ctx))
    rows.extend(_mixed_nodes_audit_rows(ctx))
    return rows


def _flow_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """The audit row of the flow table's trials (@tbl-flow): each trial in its group, with
    its raw rows (its arms' where it has no result row), so that the groups add up to the
    trials in the data; none where there is no trial."""
    flow = study_flow(ctx)
    docs = {d["study"]["study_id"]: d for d in ctx.normalised}

    def entry(sid: str) -> dict[str, Any]:
        doc = docs[sid]
        refs = [str(x["ref"]) for kind in ("arm_values", "contrasts", "statements") for x in doc.get(kind) or []
                if x.get("ref")] or [str(arm["ref"]) for arm in doc["arms"] if arm.get("ref")]
        # A review with no result and no arm: its row of studies.csv.
        return {"study_id": sid, "refs": refs or [_study_row_ref(sid)]}

    rows = _design_audit_rows(ctx)
    groups = [(what, [entry(sid) for sid in flow["trials"][key]]) for key, what, _ in trial_groups(ctx)]
    n = sum(len(xs) for _, xs in groups)
    if n:
        rows.append(_trial_count_row(ctx, "", "trials, by what became of them (count)", n, groups,
                                     "in the flow of studies, in the evidence table"))
    # The published reviews likewise (the flow table's "external evidence of an
    # analysis", "results only of comparisons no analysis covers", ...).
    groups = [(what, [entry(sid) for sid in flow["reviews"][key]]) for key, what, _ in REVIEW_GROUPS]
    k = sum(len(xs) for _, xs in groups)
    if k:
        counts = [len(xs) for _, xs in groups if xs]
        rows.append(_trial_count_row(
            ctx, "", "published meta-analyses, by what became of them (count)", k, groups,
            "in the flow of studies, in the evidence table",
            (f"{' + '.join(map(str, counts))} = {k}" if len(counts) > 1 else f"{k}")
            + f" published {'meta-analysis' if k == 1 else 'meta-analyses'}"))
    rows.extend(_analysed_participants_audit_rows(ctx))
    rows.extend(_randomised_audit_rows(ctx))
    return rows


def _randomised_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the trial characteristics' "Randomised" numbers that are sums of
    the arms' ``n_randomised`` in arms.csv (:func:`~metareview.report.tables.
    randomised_arms`: Cherkin 2009's 638), one per trial the table lists."""
    docs = {d["study"]["study_id"]: d for d in ctx.normalised}
    rows = []
    for sid in study_flow(ctx)["trials"]["used"]:
        arms = randomised_arms(ctx, docs[sid])
        if len(arms) > 1 and all(a.get("ref") for a, _ in arms):
            parts = [(sid, {"ref": a["ref"], "column": "n_randomised", "value": n}) for a, n in arms]
            rows.append(_count_sum_row(ctx, "", f"participants randomised, arms of {sid} (sum)", parts,
                                       f"in the trial characteristics' \u201cRandomised\u201d column, "
                                       f"{docs[sid]['study']['label']}'s row"))
    return rows


def _design_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """The audit row of the studies by design the summary's line of counts and the flow
    table give ("Studies: 50 ...: 27 trials (26 RCTs and 1 crossover RCT), 21 published
    meta-analyses (2 of them IPD), 1 guideline and 1 study of unstated design"): each
    study with its row of studies.csv, grouped by the count it is in and its ``design``
    there, then each count and their total."""
    counted = designs_counted(ctx)
    if not counted:
        return []
    # "trials, design rct (26): ...": the count's noun, then the design cell it is of.
    groups = [(f"{words.split(' (')[0]}, design {design}",
               [{"study_id": sid, "refs": [_study_row_ref(sid)]} for sid in ids])
              for _, words, parts in counted for design, ids in parts]
    n = sum(x for x, _, _ in counted)
    total = "; ".join(f"{x} {words}" + (f" = {' + '.join(str(len(ids)) for _, ids in parts)}" if len(parts) > 1
                                        else "") for x, words, parts in counted)
    total += f"; {' + '.join(str(x) for x, _, _ in counted)} = {n} {'study' if n == 1 else 'studies'}"
    return [_trial_count_row(ctx, "", "studies by design (count)", n, groups,
                             f"in the summary's line of counts (\u201c{join_list(designs_said(ctx))}\u201d) and in "
                             "the flow of studies, in the evidence table", total)]


def _analysed_participants_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """The audit row of the participants the summary's line of counts gives ("with 1,960
    participants in the arms analysed of 6 of them", :func:`~metareview.report.flow.
    analysed_participants`): each arm once, at the largest size an analysis gives it,
    with the raw cells that size adds up, summed by trial, then the trials' sums added.
    None where a counted arm's recorded cells do not give its size (a results file
    written before they were recorded): the sum would not add up to the number printed."""
    total, counted, unknown = analysed_participants(ctx)
    if not counted:
        return []
    arms, _ = analysed_arms(ctx)
    parts: list[tuple[str, Mapping[str, Any]]] = []
    by_trial = []
    for sid in counted:
        held = arms[sid].values()
        if not all(x["sizes"] and math.isclose(sum(float(a["value"]) for a in x["sizes"]), x["n"]) for x in held):
            return []
        addends = [a for x in held for a in x["sizes"]]
        parts += [(sid, a) for a in addends]
        terms = [f"{_ref_text(ctx, a['ref'])} {a.get('how') or a['column']} {float(a['value']):g}" for a in addends]
        n = sum(x["n"] for x in held)
        by_trial.append((sid, n, f"{sid} {' + '.join(terms)} = {n:,.0f}" if len(terms) > 1
                         else f"{sid} {terms[0]}"))
    unsaid = (f"; not counted, arm sizes not reported: {', '.join(unknown)}" if unknown else "")
    steps = ("each arm once, at the largest size an analysis gives it: "
             + "; ".join(text for _, _, text in by_trial)
             + f"; {' + '.join(f'{n:,.0f}' for _, n, _ in by_trial)} = {total:,}{unsaid}; printed in the summary's "
             f"line of counts (\u201cwith {total:,} participants in the arms analysed\u201d)")
    return [["", "participants in the arms analysed (sum)", "; ".join(counted), total, None,
             "; ".join(dict.fromkeys(_ref_text(ctx, a["ref"]) for _, a in parts)),
             "; ".join(_addend_cell(ctx, a) for _, a in parts), COUNT_SUM, steps]]


def _set_aside_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the limitations' count of trials set aside (:func:`set_aside_said`:
    "of the 17 candidate trials of the analyses, 11 were set aside ...") and of each reason
    they name with its count (:func:`set_aside_reasons`), or none where no trial was set
    aside.

    The count names every candidate trial with the rows the analyses read of it and the
    analyses that set it aside or used it, so that the candidates, those set aside and
    those that enter an analysis all add up; a reason's, each trial set aside for it with
    the rows of the analyses that set it aside for it.
    """
    trials = candidate_trials(ctx)
    said = set_aside_said(ctx)
    if not said:
        return []
    where = "in the limitations, under \u201cTrials set aside\u201d"

    def entry(sid: str, t: Mapping[str, Any]) -> dict[str, Any]:
        why = [f"set aside from {', '.join(t['aside'])}" if t["aside"] else "",
               f"used in {', '.join(t['used'])}" if t["used"] else ""]
        return {"study_id": sid, "refs": t["refs"], "reason": "; ".join(x for x in why if x)}

    groups = [("set aside from every analysis it could enter",
               [entry(sid, t) for sid, t in trials.items() if t["aside"] and not t["used"]]),
              ("set aside from an analysis, used in another",
               [entry(sid, t) for sid, t in trials.items() if t["aside"] and t["used"]]),
              ("used, set aside from none", [entry(sid, t) for sid, t in trials.items() if not t["aside"]])]
    (_, unused), (_, partly), (_, used) = groups
    n, k = len(trials), len(unused) + len(partly)
    total = (f"{len(unused)} + {len(partly)} = {k} set aside of the {n} candidate trials ({k} + {len(used)} = {n}); "
             f"{n} \u2212 {len(unused)} = {n - len(unused)} enter an analysis")
    rows = [_trial_count_row(ctx, "", "candidate trials set aside, over all analyses (count)", k, groups,
                             f"{where} (\u201c{said}\u201d)", total=total)]
    for why, labels in set_aside_reasons(ctx):
        holders: dict[str, dict[str, Any]] = {}
        for r in ctx.analyses:
            for e in r.get("excluded") or []:
                if e["label"] not in labels or why not in entry_reasons(e):
                    continue
                one = holders.setdefault(e["study_id"], {"study_id": e["study_id"], "refs": [], "aside": []})
                one["refs"] += [ref for ref in e.get("refs") or [] if ref not in one["refs"]]
                one["aside"].append(r["analysis"]["id"])
        counted = [{**x, "reason": f"set aside for it from {', '.join(x['aside'])}"} for x in holders.values()]
        rows.append(_trial_count_row(ctx, "", f"candidate trials set aside for the reason \u201c{why}\u201d (count)",
                                     len(counted), [("set aside for it", counted)],
                                     f"{where}, among the commonest reasons: {set_aside_reason_said(why, labels)}"))
    return rows


def _node_choice_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """The audit row of the trials the limitations name for their arms in no node an
    analysis compares (:func:`arms_in_no_analysed_node`: "trigger point acupuncture (Itoh
    et al., 2004; and Itoh et al., 2006), which this review counts as neither dry needling
    nor acupuncture"), or none: each trial with its rows of arms.csv, by treatment, and the
    config keys that leave the treatment out (no node's ``treatments`` holds it, or its node
    is in no entry of ``analyses``) and the indirect comparisons that name it beside their
    two treatments."""
    found = arms_in_no_analysed_node(ctx)
    if not found:
        return []
    place = {x.get("id"): i for i, x in enumerate(ctx.config.get("indirect") or [])}
    groups = []
    for code, entry in found.items():
        if entry["node"] is None:
            why = f"in no node ({CONFIG_FILE}: no nodes.*.treatments lists it)"
        else:
            why = f"in node {entry['node']} ({CONFIG_FILE}: nodes.{entry['node']}.treatments), which no entry of analyses compares"
        # Where the summary and the indirect section name a trial of it beside one of two
        # treatments, saying the review counts it as neither.
        why += "".join(f", counted as neither {a} nor {b} where "
                       + join_and([f"indirect[{place[i]}] ({i})" if i in place else i for i in ids])
                       + f" {'names' if len(ids) == 1 else 'name'} its trials"
                       for a, b, ids in entry["neither"])
        groups.append((f"arms of {code}, {why}",
                       [{"study_id": sid, "refs": t["refs"]} for sid, t in entry["trials"].items()]))
    n = len({sid for entry in found.values() for sid in entry["trials"]})
    return [_trial_count_row(ctx, "", "trials with arms in no node an analysis compares (count)", n, groups,
                             "in the limitations, under \u201cGroups of treatments\u201d",
                             total=f"{n} {'trial' if n == 1 else 'trials'}")]


def _mixed_nodes_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """An audit row for each node the limitations name for the different treatments its
    trials used here received (:func:`mixed_nodes`: "in sham, minimal needling or placebo
    TENS, the trials used here received sham acupuncture (Cherkin et al., 2009; and Kwon
    et al., 2007), ..."), or none: its trials by treatment, each with its arms' rows of
    arms.csv, the config key that puts the treatment in the node, and the pooled analyses
    that pool trials of more than one of them."""
    rows = []
    for node, entry in mixed_nodes(ctx).items():
        pooled = {a["id"] for a, _ in entry["pooled"]}

        def used_in(ids: Sequence[str], pooled: Collection[str] = pooled) -> str:
            return "used in " + ", ".join(f"{aid} (pooled with trials of another of the node's treatments)"
                                          if aid in pooled else aid for aid in ids)

        groups = [(f"arms of {code} in node {node} ({CONFIG_FILE}: nodes.{node}.treatments)",
                   [{"study_id": sid, "refs": t["refs"], "reason": used_in(t["analyses"])}
                    for sid, t in used["trials"].items()])
                  for code, used in entry["used"].items()]
        n = len({sid for used in entry["used"].values() for sid in used["trials"]})
        rows.append(_trial_count_row(ctx, "", f"trials used here in node {node}, by the treatment their arms received "
                                     "(count)", n, groups, "in the limitations, under \u201cGroups of treatments\u201d",
                                     total=f"{n} {'trial' if n == 1 else 'trials'}"))
    return rows


def _read_in_text(ctx: ReportContext, read_in: Mapping[str, str]) -> str:
    """"arm_outcomes.csv rows 18 and 19 read in nbk56291_fig8 (evidence report; sources.csv
    row 40, cited in the References)": a study's rows by the document other than its own
    report they were read in (``read_in``, row ref to ``source_id``), each document by its
    id, its kind and its row of sources.csv, where the auditor finds its citation, as the
    report's References list does (a document its rows cite is always listed there)."""
    sources = ctx.raw_tables.get("sources", [])
    numbers = ctx.raw_row_numbers.get("sources") or ()
    parts = []
    for sid in dict.fromkeys(read_in.values()):
        index = next((i for i, x in enumerate(sources) if x.get("source_id") == sid), None)
        where = [] if index is None else [
            str(sources[index].get("kind") or "other").replace("_", " "),
            f"sources.csv row {numbers[index] if index < len(numbers) else index + 2}, cited in the References"]
        parts.append(f"{_rows_text(ctx, [r for r, x in read_in.items() if x == sid])} read in {sid}"
                     + (f" ({'; '.join(where)})" if where else ""))
    return "; ".join(parts)


def _unblinded_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """The audit row of the risk of bias section's count of the analyses whose
    participants could not be blinded to their treatment ("against usual care ... (3 analyses with a study
    effect)", :func:`~metareview.report.unassessed.unblinded_said`): each analysis with a
    study effect whose comparator groups controls alone, by comparator, with its study
    effects and the treatments of its comparator's node with their role."""
    found = unblinded_analyses(ctx)
    if not found:
        return []
    by_id = {r["analysis"]["id"]: r for r in ctx.analyses}
    nodes = ctx.config.get("nodes") or {}
    roles = {t.get("treatment"): t.get("role") for t in ctx.raw_tables.get("treatments", [])}

    def why(aid: str) -> str:
        r = by_id[aid]
        k = len(r["studies"])
        treatments = (nodes.get(r["analysis"]["comparator"]) or {}).get("treatments") or []
        return (f"results/analyses/{aid}.json: {k} study {'effect' if k == 1 else 'effects'}; comparator "
                f"{r['analysis']['comparator']}: " + ", ".join(f"{t} role {roles.get(t)}" for t in treatments)
                + " (treatments.csv)")

    groups = [(f"against {label}", [(aid, why(aid)) for aid in ids]) for label, ids in found.items()]
    k = sum(len(ids) for ids in found.values())
    return [_config_count_row(
        ctx, "analyses", "analyses with a study effect whose participants could not be blinded (count)", k, groups,
        f"in the risk of bias section (\u201c({k} {'analysis' if k == 1 else 'analyses'} with a study effect)\u201d)",
        (f"{' + '.join(str(len(ids)) for ids in found.values())} = {k}" if len(found) > 1 else f"{k}")
        + f" {'analysis' if k == 1 else 'analyses'}")]


def _judged_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the counts of studies with risk-of-bias judgements the report prints
    (:func:`_judged_counts`: "recorded for 2 of the 21 trials", and "1 of the 20 published
    reviews" where one is judged): the studies judged, each with its rows of
    risk_of_bias.csv that judge it, and the others, each with its row of studies.csv. None
    where no study is judged ("risk of bias not assessed" counts nothing)."""
    if not any(_has_risk_of_bias(doc) for doc in ctx.normalised):
        return []
    rows = []
    for role, unit in (("trial", "trials"), ("external", "published reviews")):
        docs = [d for d in ctx.normalised if d["study"]["role"] == role]
        judged = [d for d in docs if _has_risk_of_bias(d)]
        if role == "external" and not judged:
            continue  # not printed
        groups = [("judged", [{"study_id": d["study"]["study_id"],
                               "refs": [x["_ref"] for x in d.get("risk_of_bias") or []
                                        if x.get("judgement") != "not_assessed" and x.get("_ref")]} for d in judged]),
                  ("not", [{"study_id": d["study"]["study_id"], "refs": [_study_row_ref(d["study"]["study_id"])],
                            "reason": "no judgement in risk_of_bias.csv"} for d in docs if not _has_risk_of_bias(d)])]
        said = f"{len(judged)} of the {len(docs)} {unit}"
        rows.append(_trial_count_row(ctx, "", f"{unit} with risk-of-bias judgements (count)", len(judged), groups,
                                     f"in the methods and the limitations (\u201crecorded for {said}\u201d)",
                                     total=said))
    return rows


def _unassessed_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """The audit row of the count of studies the analyses use with no risk-of-bias
    judgement (:func:`~metareview.report.unassessed.not_assessed_which`: "not assessed for
    any of the 7 trials the analyses use"), or none where every one is judged: those
    without, each with its row of studies.csv, and those with, each with its rows of
    risk_of_bias.csv, adding up to the studies the analyses use."""
    which = not_assessed_which(ctx)
    if not which:
        return []
    used = used_studies(ctx)
    bare = {d["study"]["study_id"] for d in unjudged_used(ctx)}
    groups = [("no judgement", [{"study_id": d["study"]["study_id"], "refs": [_study_row_ref(d["study"]["study_id"])],
                                 "reason": "no judgement in risk_of_bias.csv"}
                                for d in used if d["study"]["study_id"] in bare]),
              ("judged", [{"study_id": d["study"]["study_id"],
                           "refs": [x["_ref"] for x in d.get("risk_of_bias") or []
                                    if x.get("judgement") != "not_assessed" and x.get("_ref")]}
                          for d in used if d["study"]["study_id"] not in bare])]
    unit = _unit(used, 2)  # "trials" or "studies": the quantity names them in the plural
    return [_trial_count_row(ctx, "", f"{unit} used in an analysis with no risk-of-bias judgement (count)", len(bare),
                             groups, "in the methods, the risk of bias section and the limitations (\u201cnot "
                             f"assessed for {which}\u201d)", total=f"{len(bare)} of the {len(used)} {unit}")]


def _missing_results_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the counts the limitations give under "Bias due to missing results"
    (:func:`~metareview.report.unassessed.missing_results_said`), or none where it is not
    printed: the trials giving an analysed comparison's result only as a p-value (each
    with the rows the analyses set aside for it) or only in words (each with its
    statements), those with no result rows (each with its rows of arms.csv and, where the
    team says why, of studies.csv), and the analyses the small-study test was not run
    for (each with its number of studies and the fewest the test needs)."""
    if not missing_results_said(ctx):
        return []
    found = missing_results(ctx)
    where = "in the limitations, under \u201cBias due to missing results\u201d"
    docs = {d["study"]["study_id"]: d for d in ctx.normalised}
    # A trial's rows that give only a p-value and that nothing else keeps out, of those its
    # analysis set aside: its other rows (one arm's means, a timepoint outside the
    # window) are not what is counted.
    refs_of: dict[tuple[str, str], list[str]] = {}
    for r in ctx.analyses:
        for e in r.get("excluded") or []:
            refs_of.setdefault((r["analysis"]["id"], e["study_id"]), []).extend(p_value_alone_refs(ctx, r, e) or [])
    words_refs = {(r["analysis"]["id"], x["study_id"]): list(x.get("refs") or [])
                  for r in ctx.analyses for x in words_only_trials(ctx, r)}
    rows: list[list[Any]] = []
    for key, quantity, what, refs in (
            ("p_only", "trials giving an analysed comparison's result only as a p-value (count)",
             "set aside for it", refs_of),
            ("words", "trials giving an analysed comparison's result only in words (count)",
             "only in words", words_refs)):
        xs = found[key]
        if not xs:
            continue
        entries = [{"study_id": x["study_id"],
                    "refs": list(dict.fromkeys(ref for aid in x["analyses"] for ref in refs.get((aid, x["study_id"]), []))),
                    "reason": f"{what} in {', '.join(x['analyses'])}"} for x in xs]
        rows.append(_trial_count_row(ctx, "", quantity, len(xs), [(what, entries)], where))
    empty = found["empty"]
    if empty:
        entries = []
        for x in empty:
            doc = docs[x["study_id"]]
            reason = doc["study"].get("results_missing_reason")
            entries.append({"study_id": x["study_id"],
                            "refs": [str(arm["ref"]) for arm in doc["arms"] if arm.get("ref")]
                            + ([_study_row_ref(x["study_id"])] if reason else []),
                            "reason": "no row in arm_outcomes.csv, contrasts.csv or statements.csv"
                            + (f"; results_missing_reason: {reason}" if reason else "")})
        rows.append(_trial_count_row(ctx, "", "trials of the analysed comparisons with no result rows (count)",
                                     len(empty), [("no result rows", entries)], where))
    rows += _full_report_audit_rows(ctx, where)
    rows += _missing_direction_audit_rows(ctx, where)
    untested = found["untested"]
    if untested:
        by_id = {r["analysis"]["id"]: r for r in ctx.analyses}
        k, n = len(untested), len(found["with_effect"])
        def why(aid: str) -> str:
            k_studies = len(by_id[aid]["studies"])
            return (f"results/analyses/{aid}.json: {k_studies} {'study' if k_studies == 1 else 'studies'}, "
                    f"small_study_min = {_small_study_min(ctx, by_id[aid])}")

        groups = [("too few studies", [(aid, why(aid)) for aid in untested])]
        rows.append(_config_count_row(ctx, "analyses", "analyses with a study effect and no small-study test (count)",
                                      k, groups, where, f"{k} of the {n} analyses with a study effect"))
    return rows


def source_ref(source: Mapping[str, Any]) -> str:
    """A document's row of sources.csv as a row reference (``sources.csv:cho2013_abstract#1``),
    resolved by its ``source_id`` as a study's by its id (:func:`_study_row_ref`)."""
    return f"sources.csv:{source['source_id']}#1"


def _full_report_audit_rows(ctx: ReportContext, where: str) -> list[list[Any]]:
    """The audit row of the limitations' "(for 9 of these 10 trials no full report was
    read here)" (:func:`~metareview.report.unassessed.full_reports_unread`): each trial
    given only as a p-value or in words with its documents' rows of sources.csv and
    their ``kind``, those with one of kind ``trial_report`` apart."""
    ids, unread = full_reports_unread(ctx)
    if not unread:
        return []
    docs = {d["study"]["study_id"]: d for d in ctx.normalised}

    def entry(sid: str) -> dict[str, Any]:
        sources = (docs.get(sid) or {}).get("sources") or []
        return {"study_id": sid, "refs": [source_ref(x) for x in sources],
                "reason": "kind " + ", ".join(f"{x.get('kind')} ({x['source_id']})" for x in sources)
                if sources else "no document in sources.csv"}

    read = [sid for sid in ids if sid not in unread]
    groups = [("no document of kind trial_report", [entry(sid) for sid in unread]),
              ("a document of kind trial_report", [entry(sid) for sid in read])]
    n = len(ids)
    said = ("for this trial no full report was read here" if n == 1 else
            f"for none of these {n} trials was a full report read here" if len(unread) == n else
            f"for {len(unread)} of these {n} trials no full report was read here")
    row = _trial_count_row(ctx, "", "trials given only as a p-value or in words with no full report read (count)",
                           len(unread), groups, f"{where} (\u201c{said}\u201d)",
                           total=f"{len(unread)} of the {n} trials")
    # The cells read are the documents' own (sources.csv has no study_id column).
    row[6] = "; ".join(f"{sid}: " + ", ".join(f"{_rows_text(ctx, [source_ref(x)])}: source_id = {x['source_id']}, "
                                              f"kind = {x.get('kind')}"
                                              for x in (docs.get(sid) or {}).get("sources") or [])
                       for sid in [*unread, *read] if (docs.get(sid) or {}).get("sources"))
    return [row]


def _missing_direction_audit_rows(ctx: ReportContext, where: str) -> list[list[Any]]:
    """Audit rows of the limitations' counts of which way the results missing from the
    analyses point (:func:`~metareview.report.unassessed.missing_directions`): one per
    finding with any trial, each trial with the rows read of it (those that give its side,
    else its test of several arms together, else its p-value rows or statements) and
    the analyses it is missing from, and the count of those that say how the groups
    compared, which "most" is taken of."""
    groups = missing_directions(ctx)
    n = sum(len(xs) for xs in groups.values())
    if not n:
        return []
    rows: list[list[Any]] = []
    for key, _, several in FINDINGS:
        xs = groups[key]
        if not xs:
            continue
        # What the rows give, without the verb the limitations put before it.
        what = several.removeprefix("report ") if several.startswith("report ") else "no side given"
        entries = [{"study_id": x["study_id"], "refs": x["refs"],
                    "reason": f"{what}, missing from {', '.join(x['analyses'])}"} for x in xs]
        rows.append(_trial_count_row(ctx, "", f"trials whose missing results {several} (count)", len(xs),
                                     [(what, entries)], where, total=f"{len(xs)} of the {n} trials"))
    # Which way their absence could move an estimate is said only of the analyses with
    # one: each such analysis with the trials missing from it, and how many there are.
    pulled = missing_by_analysis(ctx)
    by_id = {r["analysis"]["id"]: r for r in ctx.analyses}
    with_effect = missing_results(ctx)["with_effect"]
    if pulled:
        k = len(with_effect)
        def why(aid: str, xs: Sequence[Mapping[str, Any]]) -> str:
            k_studies = len(by_id[aid]["studies"])
            return (f"results/analyses/{aid}.json: {k_studies} {'study' if k_studies == 1 else 'studies'}; "
                    f"missing: {', '.join(x['study_id'] for x in xs)}")

        rows.append(_config_count_row(
            ctx, "analyses", "analyses with a study effect that missing results bear on (count)", len(pulled),
            [("a result missing", [(aid, why(aid, xs)) for aid, xs in pulled.items()])],
            f"{where} (\u201cHere, {len(pulled)} of the {k} analyses with a study effect\u201d)",
            f"{len(pulled)} of the {k} analyses with a study effect"))
        for aid, xs in pulled.items():
            pull = missing_pull(by_id[aid], [x["finding"] for x in xs])
            entries = [{"study_id": x["study_id"], "refs": x["refs"], "reason": f"finding {x['finding']}"}
                       for x in xs]
            moves = {"stay": "the same side", "": "cannot be told"}.get(pull, pull)
            what = f"estimate's side {estimate_side(by_id[aid]) or 'none'}; which way they could move it: {moves}"
            rows.append(_trial_count_row(
                ctx, aid, "trials whose missing results bear on the analysis's estimate (count)", len(xs),
                [(what, entries)],
                f"{where} (\u201cMissing from\u201d the analysis)"))
    return rows


#: The ``from`` of a Fisher's exact p's audit row: the test, and what computes it. "(R:
#: fisher.test)" read as if R had run, which no build does (the provenance lists no R):
#: the library computes it as fisher.test does, which its tests check against R.
EXACT_TEST = ("Fisher's exact test, two-sided (computed by metareview.distributions.fisher_exact_p as R's "
              "fisher.test computes it; R is not run)")


def _native_steps(s: Mapping[str, Any]) -> list[str]:
    """The audit step of the points a single trial's SMD is re-expressed in
    (``native_difference``, :func:`metareview.extract._native_difference`), which the
    summary and the results print beside it ("a difference of 2.6 points on the
    Roland-Morris Disability Questionnaire 0–23"), or none.

    The number is not the SMD times an SD but the difference of the source's own means,
    before any rescaling: the step says so, so that an auditor recomputes it from the
    cells of the row's raw rows (Cherkin 2009: |6.3 - 8.9| = 2.6)."""
    native = s.get("native_difference")
    if native is None:
        return []
    # The words as printed (:func:`metareview.fmt.ranges`: "0–23"), so that an auditor
    # finds them in the report.
    step = (f"printed beside it: a difference of {f2(native['difference'], 1)} points on the "
            f"{ranges(native['instrument'])} "
            f"= |intervention mean - comparator mean| = {native['difference']:.6g}, from the means of the rows above "
            "as typed (a side's arms weighted by n), before any rescaling")
    return [step]


#: The quantity of a single SMD trial's own mean difference in its instrument's points.
NATIVE_MD_QUANTITY = "difference in a single trial's means, calculated here, in an instrument's points"


def _native_md_audit_rows(ctx: ReportContext, r: Mapping[str, Any], s: Mapping[str, Any]) -> list[list[Any]]:
    """The audit row of a single SMD trial's own mean difference in its instrument's
    points, which the summary, the results list and the section print
    (:func:`metareview.report.base.native_md`: "−2.6 (95% CI −3.9 to −1.3) on the
    Roland-Morris Disability Questionnaire 0–23"), or none where none is printed.

    Its steps give the cells (as the study effect's rows hold them, before any
    rescaling), metafor's escalc MD (yi = m1 − m2, vi = sd1²/n1 + sd2²/n2), the Wald
    interval and the numbers as printed.
    """
    level = float(r.get("level", 95))
    found = native_md(s, level)
    if found is None:
        return []
    est, lb, ub = found
    native = s["native_difference"]
    where = "; ".join(_ref_text(ctx, ref) for ref in s["refs"])
    cells = "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in s["refs"])
    z = (ub - est) / math.sqrt(float(native["md_vi"]))
    steps = (f"escalc MD from the study effect's rows as typed (before any rescaling): yi = m1 − m2 = "
             f"{_minus(format(est, '.6g'))}; vi = sd1^2/n1 + sd2^2/n2 = {float(native['md_vi']):.6g}; {level:g}% CI = "
             f"yi ± {z:.6f} × sqrt(vi) = {_minus(format(lb, '.6g'))} to {_minus(format(ub, '.6g'))}; printed as "
             f"{f2(est, 1)} ({level:g}% CI {f2(lb, 1)} to {f2(ub, 1)}) on the {ranges(native['instrument'])}, in place "
             "of the SMD times an SD where the trial is the analysis's one")
    change = native.get("change")
    if change and change.get("refs"):
        # The changes from baseline printed beside it come from rows that give no effect,
        # so they are quoted here, or nothing would trace them.
        steps += ("; changes from baseline read from "
                  + "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in change["refs"])
                  + f": each side's improvement, its arms weighted by n: intervention {change['intervention']:.6g}, "
                  f"comparator {change['comparator']:.6g} points; printed {_moved(change['intervention'])}, "
                  f"{_moved(change['comparator'])}")
    return [[r["analysis"]["id"], f"{NATIVE_MD_QUANTITY} ({native['instrument']})", s["study_id"], est,
             float(native["md_vi"]), where, cells, "metafor escalc(measure = \"MD\")", steps]]


def _exact_p_audit_row(ctx: ReportContext, analysis: Mapping[str, Any], s: Mapping[str, Any]) -> list[Any]:
    """The audit row of the Fisher's exact p a sparse binary study effect prints beside its
    interval (``exact_p``, :func:`metareview.analysis.sparse_exact_p`; the study-effects
    table, the summary and the forest plot's footnotes print it).

    Its raw rows and cells are the study effect's; its steps name the columns the counts
    came from, the 2x2 table of events and non-events (Fisher 1922: the two-sided p sums
    the hypergeometric probabilities, given the margins, of the tables no more likely than
    the observed one), and the p as printed.
    """
    where = "; ".join(_ref_text(ctx, ref) for ref in s["refs"])
    cells = "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in s["refs"])
    read = []
    for ref in s["refs"]:
        file, line = ctx.raw_rows.get(ref, (None, None))
        row = _raw_row(ctx, file.removesuffix(".csv"), line) if file is not None and line is not None else None
        if row is None:
            continue
        # Events as counted, or reconstructed from a percentage; n from the row, or from
        # its arm in arms.csv (the study effect's steps say which).
        columns = [c for c in ("events", "percent") if row.get(c) is not None][:1]
        columns += ["n"] if row.get("n") is not None else ["n of its arm (arms.csv)"]
        read.append(f"{_ref_text(ctx, ref)} ({', '.join(columns)})")
    e1, n1, e2, n2 = (float(s[k]) for k in ("events1", "n1", "events2", "n2"))
    p = float(s["exact_p"])
    steps = (f"the study effect's counts, from {'; '.join(read)}: {analysis['intervention_label']} {e1:g} of "
             f"{n1:g}, {analysis['comparator_label']} {e2:g} of {n2:g}; 2x2 table of events and non-events "
             f"[[{e1:g}, {n1 - e1:g}], [{e2:g}, {n2 - e2:g}]], smallest cell {_smallest_cell(s)} (below 5: the Wald "
             f"interval is an approximation, so the exact test is given beside it); two-sided p = {p:.6g} "
             f"(Fisher 1922), printed {p_value(p)}")
    return [analysis["id"], "Fisher's exact p", s["study_id"], p, None, where, cells, EXACT_TEST, steps]


def _fragility_audit_rows(ctx: ReportContext, analysis: Mapping[str, Any], s: Mapping[str, Any]) -> list[list[Any]]:
    """The audit row of the events a single trial's exact finding rests on, as the summary
    and the results print them where the test and the Wald interval disagree ("one more
    event among those given sham ... (3 of 16 rather than 2) would remove it (p = 0.068)",
    :func:`metareview.report.aside._fragility_text`), or none where they print none.

    Its steps give the observed table, each table tried, one event at a time toward no
    difference, with its p, and the one printed (Walsh et al. 2014).
    """
    level = float(ctx.config["methods"].get("level", 95))
    found = _fragility(s, level) if exact_test_disagrees(s, level) else None
    if found is None:
        return []
    arm, k, p = found
    e1, n1, e2, n2 = (round(float(s[key])) for key in ("events1", "n1", "events2", "n2"))
    label = analysis["intervention_label" if arm == 1 else "comparator_label"]
    step = 1 if (arm == 1) == (e1 * n2 < e2 * n1) else -1
    tried = []
    for i in range(1, k + 1):
        x, y = (e1 + step * i, e2) if arm == 1 else (e1, e2 + step * i)
        tried.append(f"{x} of {n1} vs {y} of {n2}: p = {fisher_exact_p(x, n1 - x, y, n2 - y):.6g}")
    alpha = 1 - level / 100
    steps = (f"observed {e1} of {n1} ({analysis['intervention_label']}) vs {e2} of {n2} "
             f"({analysis['comparator_label']}), p = {float(s['exact_p']):.6g} < {alpha:g}; an event "
             f"{'more in the arm with the lower risk' if step > 0 else 'fewer in the arm with the higher risk'} "
             f"({label}) at a time, the move of the two that first reaches p >= {alpha:g} (on a tie, the event "
             f"added; Walsh et al. 2014): {'; '.join(tried)}; {k} {'event' if k == 1 else 'events'}, printed "
             f"{p_value(p)}")
    where = "; ".join(_ref_text(ctx, ref) for ref in s["refs"])
    cells = "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in s["refs"])
    return [[analysis["id"], "Fisher's exact p, events that undo it", s["study_id"], p, None, where, cells,
             EXACT_TEST, steps]]


def _unanalysed_published_rows(ctx: ReportContext, traced: set[str]) -> list[list[Any]]:
    """Audit rows of the published results the published meta-analyses table prints but no
    analysis shows (another comparison, outcome or window), as that table prints them."""
    rows: list[list[Any]] = []
    for doc in ctx.normalised:
        if doc["study"]["role"] != "external":
            continue
        for c in doc["contrasts"]:
            if c["ref"] in traced:
                continue
            # A p-value alone, or a result whose direction the source leaves open, is
            # printed too (as printed): traced with no value.
            steps = list(c.get("steps", []))
            if c["measure"] in ("RR", "OR") and c.get("estimate") is not None:  # logs, as in _external_estimate
                steps.append(f"on the log scale: {c['measure']} = exp(value) = {math.exp(c['estimate']):.4f}")
            rows.append(["", "published result (in no analysis)", doc["study"]["study_id"], c["estimate"], None,
                         _ref_text(ctx, c["ref"]), f"{_ref_text(ctx, c['ref'])}: {raw_cells(ctx, c['ref'])}",
                         f"{MEASURE_NAMES.get(c['measure'], c['measure'])} as published",
                         " | ".join(steps) or "as published"])
    return rows


def _variance_source(side: Mapping[str, Any]) -> str:
    """" (from its confidence interval)" for a pooled side whose variance was read back
    from its interval (:func:`metareview.indirect._pooled_variance`), else ""."""
    return " (from its confidence interval)" if side.get("variance_from") == "interval" else ""


def _study_ids(*sides: Sequence[str]) -> str:
    """The ``study_id`` cell of a row computed from several effects: the ids of the studies
    behind them, each once, in order, as a pooled estimate's row lists its studies."""
    return "; ".join(dict.fromkeys(i for ids in sides for i in ids))


def _shared_trial_steps(x: Mapping[str, Any], c: Mapping[str, Any]) -> str:
    """The audit steps of a trial of all three left out of both sides of an anchored
    comparison (:mod:`metareview.indirect`): which trial, why, and how each side was
    made without it, or ""."""
    if not c.get("shared"):
        return ""
    sides = []
    for name, side in ((x["treatment_a_label"], c["a_vs_c"]), (x["treatment_b_label"], c["b_vs_c"])):
        r = side.get("refit")
        how = (f"refitted without it, rma(method={r['method']}, test={r['test']}, level={r['level']:g}) of {r['k']} "
               f"studies: {r['estimate']:.4f} ({r['ci_lb']:.4f} to {r['ci_ub']:.4f}), τ² {r['tau2']:.6g}" if r else
               f"{side['what']}")
        sides.append(f"{name} vs {c['comparator_label']}: {how}")
    ids = "; ".join(c.get("shared_study_ids") or [])
    return (f"; {join_and(list(c['shared']))} ({ids}) left out of both sides: a trial of all three, whose "
            f"{c['comparator_label']} arm would count twice and whose own comparison of {x['treatment_a_label']} and "
            f"{x['treatment_b_label']} is direct evidence; " + "; ".join(sides))


def _indirect_audit_rows(ctx: ReportContext) -> list[list[Any]]:
    """Audit rows of the indirect comparisons' numbers: each anchored (Bucher) estimate and
    each unanchored naive difference, from the effects of the rows above.

    ``study_id`` holds the ids of the studies behind the two sides, so that a row is found
    by study id like the effects it comes from; the sides' labels, for reading ("pooled
    estimate of 3 studies", "Liu & Park (2021)"), are in ``from`` and ``steps``."""
    rows: list[list[Any]] = []
    for x in ctx.indirect:
        where = f"results/indirect/{x['id']}.json"
        log = x.get("scale") == "log"
        for c in x.get("anchored") or []:
            ac, bc = c["a_vs_c"], c["b_vs_c"]
            rows.append([x["id"], f"anchored indirect estimate through {c['comparator_label']}",
                         _study_ids(ac["study_ids"], bc["study_ids"]), c["estimate"], c["se"] ** 2, where, "",
                         f"Bucher et al. (1997), from {ac['what']} and {bc['what']}",
                         f"{x['treatment_a_label']} vs {c['comparator_label']} ({in_brackets(ac['what'])}): {ac['estimate']:.4f}, "
                         f"variance {ac['variance']:.6g}{_variance_source(ac)}; {x['treatment_b_label']} vs "
                         f"{c['comparator_label']} ({in_brackets(bc['what'])}): {bc['estimate']:.4f}, variance "
                         f"{bc['variance']:.6g}{_variance_source(bc)}; difference "
                         f"{c['estimate']:.4f}, variance {c['se'] ** 2:.6g} (the sum)"
                         + ("; on the log scale" if log else "") + _shared_trial_steps(x, c)])
            ee = c.get("equal_effects")
            if ee:
                # The sensitivity estimate given beside it where a side pools 2 studies on
                # t(1): that side's equal-effects estimate and variance in its place.
                parts = []
                for key, name in (("a_vs_c", x["treatment_a_label"]), ("b_vs_c", x["treatment_b_label"])):
                    side = ee[key]
                    how = (f"the equal-effects estimate of {'its refit' if c[key].get('refit') else 'its analysis'}, "
                           "rma(method=EE, test=z)"
                           if key in ee.get("sides", []) else f"{in_brackets(c[key]['what'])}, as above")
                    parts.append(f"{name} vs {c['comparator_label']} ({how}): {side['estimate']:.4f}, "
                                 f"variance {side['variance']:.6g}")
                rows.append([x["id"], (f"anchored indirect estimate through {c['comparator_label']}, from the "
                                       "equal-effects estimate of a side pooled on t(1) (sensitivity analysis)"),
                             _study_ids(ac["study_ids"], bc["study_ids"]), ee["estimate"], ee["se"] ** 2, where, "",
                             "Bucher et al. (1997), a pooled side's equal-effects estimate in its place",
                             "; ".join(parts) + (f"; difference {ee['estimate']:.4f}, variance {ee['se'] ** 2:.6g} "
                                                 "(the sum)") + ("; on the log scale" if log else "")])
            rows.extend(_different_controls_rows(x, c, where))
        for u in x.get("unanchored") or []:
            rows.append([x["id"], "naive difference (unanchored, not evidence)",
                         _study_ids(u["a_study_ids"], u["b_study_ids"]), u["estimate"], None, where, "",
                         f"difference of two study effects, {u['a_source']} minus {u['b_source']}",
                         f"{x['treatment_a_label']} vs {u['a_comparator']} ({in_brackets(u['a_source'])}): "
                         f"{u['a_estimate']:.4f} minus {x['treatment_b_label']} vs {u['b_comparator']} "
                         f"({in_brackets(u['b_source'])}): "
                         f"{u['b_estimate']:.4f} = {u['estimate']:.4f}, as if the two comparators were one treatment"
                         + ("; on the log scale" if log else "")])
        rows.extend(_near_miss_audit_rows(ctx, x))
        if x.get("status") and x["status"] != "anchored":
            rows.append(_indirect_status_row(ctx, x, where))
    return rows


def _indirect_status_row(ctx: ReportContext, x: Mapping[str, Any], where: str) -> list[Any]:
    """The audit row of an indirect comparison that anchored nothing ("no common
    comparator"): each treatment's comparators with a usable effect in the analyses of the
    comparison's outcome, window and measure, with the studies and raw rows of those
    effects, from which the status follows.

    The status answers the review's question, and it was traced only to the config and
    its results file: an auditor had to work out from the analyses which trials put which
    comparator on each side. The analyses on other measures (``other_measures``), which
    the section describes in a sentence of their own, are traced after them.
    """
    ids: list[str] = []
    refs: list[str] = []

    def sides_on(measure: str) -> list[str]:
        sides = []
        for key in ("treatment_a", "treatment_b"):
            node, found = x[key], []
            for r in ctx.analyses:
                a = r["analysis"]
                if ((a["outcome"], a["window"], a["measure"]) != (x["outcome"], x["window"], measure)
                        or node not in (a["intervention"], a["comparator"]) or not r["studies"]):
                    continue
                other = a["comparator_label"] if a["intervention"] == node else a["intervention_label"]
                studies = [f"{st['study_id']}, {_rows_text(ctx, list(st.get('refs') or []))}" for st in r["studies"]]
                found.append(f"{other} ({a['id']}: {'; '.join(studies)})")
                ids.extend(st["study_id"] for st in r["studies"])
                refs.extend(dict.fromkeys(ref for st in r["studies"] for ref in st.get("refs") or []))
            sides.append(f"{x[key + '_label']} against: {'; '.join(found) if found else 'none'}")
        return sides

    sides = sides_on(x["measure"])
    # The section's sentence on each other measure's analyses ("In the MD analyses, which
    # are not combined with SMD ones, ... acupuncture is compared with no treatment ...")
    # rests on their trials' rows too: traced as the comparison's own measure is.
    others = [f"; in the {m['measure']} analyses, not combined with {x['measure']} ones: "
              + " | ".join(sides_on(m["measure"])) for m in x.get("other_measures") or []]
    status = str(x["status"]).replace("_", " ")
    return [x["id"], f"indirect comparison status: {status}", "; ".join(dict.fromkeys(ids)), None, None,
            _rows_text(ctx, list(dict.fromkeys(refs))) or where, "",
            f"{where}: status = {x['status']}",
            (f"comparators with a usable effect in the {x['measure']} analyses of {x['outcome']}, {x['window']}: "
             + " | ".join(sides) + "".join(others)
             + "; a comparator the sources do not name is never a common one; status: " + status)]


def _different_controls_rows(x: Mapping[str, Any], c: Mapping[str, Any], where: str) -> list[list[Any]]:
    """Audit rows of the trials the limitations count on each side of an anchored
    comparison whose two sides' controls differ ("the dry needling side's 1 trial ... used
    sham dry needling"): each side's trials, by id, with the control each gave (its
    ``comparator_treatments``, read from the arms' treatment codes), or none."""
    if not c.get("controls_differ"):
        return []
    rows: list[list[Any]] = []
    for label, key in (("treatment_a_label", "a_vs_c"), ("treatment_b_label", "b_vs_c")):
        side = c[key]
        controls = "; ".join(f"{t['label']} ({', '.join(t['study_ids'])})" for t in side["comparator_treatments"])
        quantity = (f"trials of the {x[label]} side through {c['comparator_label']}, whose controls differ from the "
                    "other side's (count)")
        steps = (f"{x[label]} vs {c['comparator_label']} ({in_brackets(side['what'])}); controls, by the treatment of "
                 f"their arms in arms.csv: {controls}")
        rows.append([x["id"], quantity, "; ".join(side["study_ids"]), len(side["study_ids"]), None, where, "",
                     "count of the studies of the side's estimate", steps])
    return rows


def _near_miss_audit_rows(ctx: ReportContext, x: Mapping[str, Any]) -> list[list[Any]]:
    """Audit rows of the participants printed beside each trial that compared one of an
    indirect comparison's two treatments with a treatment no node includes
    (:func:`_near_misses`: "Itoh et al. (2004) ... compared ... with acupuncture (27
    participants analysed)"): the sizes of the arms it compared added, each arm's
    ``n_analysed`` (or ``n_randomised``) cell, as :func:`_participants` adds them. None
    where it prints no number."""
    rows = []
    for doc, ours, outside in _near_miss_trials(ctx, x):
        arms = [*outside, *ours]
        printed = _participants(arms).strip(" ()")
        if not printed:
            continue
        sid = doc["study"]["study_id"]
        parts = [(sid, {"ref": a["ref"], "column": a["n_source"], "value": a["n"]}) for a in arms]
        rows.append(_count_sum_row(ctx, x["id"], "participants of a trial against a treatment no node includes (sum)",
                                   parts, f"\u201c{printed}\u201d after {doc['study']['label']} in the indirect "
                                   "comparison's section, and in the summary where it names the trial"))
    return rows


def _uncapped(a: Mapping[str, Any], r: Mapping[str, Any], acr: float, g: Callable[[float], str]) -> str:
    """"; capped at 0 to 1,000 (uncapped: 1805 per 1,000 at the upper bound)": the risks a
    formula gives beyond a proportion, which the cap hid from a reader recomputing them
    (Carlsson 2001's 875 more per 1,000 is the cap's, not the formula's 1,680)."""
    p = r["pooled"] if r["status"] == "pooled" else r["studies"][0]
    said = []
    for name, key in (("the estimate", "estimate" if r["status"] == "pooled" else "yi"),
                      ("the lower bound", "ci_lb"), ("the upper bound", "ci_ub")):
        value = p.get(key)
        if value is None:
            continue
        risk = corresponding_risk(a["measure"], math.exp(value) if a["measure"] in ("RR", "OR") else value, acr)
        if not 0.0 <= risk <= 1.0:
            said.append(f"{g(1000 * risk)} per 1,000 at {name}")
    return "; capped at 0 to 1,000" + (f" (uncapped: {', '.join(said)})" if said else "")


def _absolute_audit_row(ctx: ReportContext, r: Mapping[str, Any], assumed: Mapping[str, Any] | None = None,
                        quantity: str = "difference per 1,000", key: str = "comparator_risk") -> list[Any] | None:
    """The audit row of a binary analysis's difference per 1,000 (:func:`absolute_text`):
    the comparator arms it takes its risk from, and each step to the printed numbers.
    ``assumed`` is a risk from the config (``key``, default: the analysis's own)."""
    a = r["analysis"]
    assumed = assumed or assumed_risk(ctx, a["id"])
    found = _absolute(r, assumed)
    if found is None:
        return None
    e, _, counted, acr = found
    formula = {"RR": "risk = comparator risk × RR", "OR": "risk = comparator risk × OR / (1 − comparator risk + "
               "comparator risk × OR)", "RD": "risk = comparator risk + RD"}[a["measure"]]
    risks = ", ".join(f"{s['study_id']} {s['events2']:g}/{s['n2']:g}" for s in counted)
    def g(x: float) -> str:
        return _minus(format(x, ".6g"))

    given = (f"comparator risk = {g(acr)}, assumed in the config ({assumed['source']})" if assumed else
             f"comparator risk = {'median of ' if len(counted) > 1 else ''}{risks} = {g(acr)}")
    steps = (f"{given}; {formula}, at the "
             f"{'pooled' if r['status'] == 'pooled' else 'study'} effect and its CI bounds: {g(e.intervention)} "
             f"({g(e.intervention_lb)} to {g(e.intervention_ub)}) per 1,000; difference {g(e.difference)} "
             f"({g(e.difference_lb)} to {g(e.difference_ub)}) per 1,000" + (_uncapped(a, r, acr, g) if e.capped else "")
             + f"; {_rounded_differences(e)}")
    # The cells the comparator risk was read from (events, or a percentage, and n), as the
    # study effect's row gives them: a risk from the config reads no raw row.
    where, cells = ((f"config/config.yaml ({key})", "") if assumed else
                    ("; ".join(_ref_text(ctx, ref) for s in counted for ref in s["refs"]),
                     "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for s in counted for ref in s["refs"])))
    return [a["id"], quantity, "; ".join(s["study_id"] for s in counted), e.difference, None,
            where, cells, "Cochrane Handbook 14.1.5.1", steps]


#: The quantity of an SMD re-expressed in an instrument's points begins so; the
#: instrument's label follows in brackets.
RE_EXPRESSED_QUANTITY = "SMD in an instrument's points"

#: Where a comparator arm's SD in the instrument's units came from (``from`` of
#: :func:`metareview.extract._instrument_sd`), for the audit row's steps.
_SD_FROM = {"sd": "its sd cell", "se": "SD = se x sqrt(n), from its se cell",
            "ci": "from its interval of the mean (ci_lb, ci_ub), as the study effect's steps derive it",
            "median": "estimated from its median with its quartiles or range, as the study effect's steps say"}


def _re_expressed_audit_rows(ctx: ReportContext, r: Mapping[str, Any]) -> list[list[Any]]:
    """The audit rows of an SMD analysis's effect in each instrument's points
    (``re_expressed``, :func:`metareview.reexpress.re_expressed`), which the analysis's
    section prints (:func:`metareview.report.base.re_expressed_text`), or none.

    Each gives the comparator arms its SD is pooled from, each with its raw row, n and SD
    (and the cell that SD came from), the pooled SD's sum, and the multiplication of the
    SMD and its bounds, with the numbers as printed. Its value is the estimate in points;
    it has no variance.
    """
    if r["status"] not in ("pooled", "single_study"):
        return []
    pooled = r["status"] == "pooled"
    if pooled:
        p = r["pooled"]
        smd, lb, ub = p["estimate"], p["ci_lb"], p["ci_ub"]
    else:
        smd, lb, ub = (r["studies"][0][k] for k in ("yi", "ci_lb", "ci_ub"))
    types = {s["study_id"]: s.get("value_type") for s in r["studies"]}
    rows = []
    for x in r.get("re_expressed") or []:
        d = points_digits(float(x["sd"]))

        def g(v: float) -> str:
            return _minus(format(v, ".6g"))
        arms = "; ".join(f"{a['study_id']} arm {a['arm_id']} ({_ref_text(ctx, a['ref'])}, {types.get(a['study_id'])} "
                         f"values): n = {g(a['n'])}, SD = {g(a['sd'])} ({_SD_FROM.get(a['from'], a['from'])})"
                         for a in x["arms"])
        sums = " + ".join(f"({g(a['n'])} - 1) x {g(a['sd'])}^2" for a in x["arms"])
        dfs = " + ".join(f"({g(a['n'])} - 1)" for a in x["arms"])
        if len(x["arms"]) > 1:
            sums, dfs = f"({sums})", f"({dfs})"
        steps = (f"comparator arms with the {ranges(x['instrument_label'])}: {arms}; "
                 f"pooled SD = sqrt({sums} / {dfs}) = {g(x['sd'])}; "
                 f"{'pooled' if pooled else 'study'} SMD {g(smd)} ({r.get('level', 95):g}% CI {g(lb)} to {g(ub)}) "
                 f"x {g(x['sd'])} = {g(x['estimate'])} ({g(x['ci_lb'])} to {g(x['ci_ub'])}) points; printed as "
                 f"{f2(x['estimate'], d)} ({f2(x['ci_lb'], d)} to {f2(x['ci_ub'], d)}), SD {f2(x['sd'], d)}")
        refs = [a["ref"] for a in x["arms"]]
        rows.append([r["analysis"]["id"], f"{RE_EXPRESSED_QUANTITY} ({ranges(x['instrument_label'])})",
                     "; ".join(x["studies"]), x["estimate"], None,
                     "; ".join(_ref_text(ctx, ref) for ref in refs),
                     "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in refs),
                     "Cochrane Handbook 15.5.3.2", steps])
    return rows


#: The audit trail's quantity of a published SMD re-expressed in a mean-difference
#: analysis's points (:func:`_reviews_in_points_audit_rows`).
REVIEW_POINTS_QUANTITY = "published SMD in this analysis's points"


def _reviews_in_points_audit_rows(ctx: ReportContext, r: Mapping[str, Any]) -> list[list[Any]]:
    """The audit rows of the published SMDs that *Published meta-analyses* sets beside a
    mean-difference analysis in its points (:func:`metareview.report.overview.reviews_in_points`),
    one per review's result, or none.

    Each gives the comparator arm rows its SD is taken from (each with its raw row, n and
    SD on the common scale), the pooled SD's sum where there are several, and the
    multiplication of the SMD and its bounds, with the numbers as printed. Its value is
    the estimate in points; it has no variance.
    """
    a = r["analysis"]
    node = a["intervention"]
    for x, _, analysable, _, differ in _reviews_differing(ctx, node, _question_analyses(ctx, node)):
        if x is not r:
            continue
        entries = [e for e in analysable if e["study_id"] in differ]
        if any(e.get("comparable") and e.get("ci_lb") is not None and e.get("ci_ub") is not None for e in entries):
            return []  # set beside on the analysis's own scale: nothing re-expressed
        found = reviews_in_points(ctx, r, entries)
        if found is None:
            return []
        known, points = found
        sd = float(known["sd"])
        d = points_digits(sd)

        def g(v: float) -> str:
            return _minus(format(v, ".6g"))
        def on_scale(y: Mapping[str, Any]) -> str:
            # The sd cell times its factor, where the row was rescaled to the common scale.
            if y.get("raw_sd") is not None and y.get("scale_factor") not in (None, 1):
                return f"{g(float(y['raw_sd']))} (its sd cell) x {g(abs(float(y['scale_factor'])))} = {g(y['sd'])}"
            return g(y["sd"])
        arms = "; ".join(f"{y['study_id']} arm {y['arm_id']} ({_ref_text(ctx, y['ref'])}): n = "
                         f"{'not reported' if y['n'] is None else g(y['n'])}, SD = {on_scale(y)} on the common scale"
                         for y in known["arms"])
        if len(known["arms"]) == 1:
            how = f"the one comparator arm's SD, its own: {arms}"
        else:
            sums = " + ".join(f"({g(y['n'])} - 1) x {g(y['sd'])}^2" for y in known["arms"])
            dfs = " + ".join(f"({g(y['n'])} - 1)" for y in known["arms"])
            how = f"comparator arms: {arms}; pooled SD = sqrt(({sums}) / ({dfs})) = {g(sd)}"
        refs = [y["ref"] for y in known["arms"]]
        rows = []
        for e, est, lb, ub in points:
            steps = (f"{how}; published SMD {g(e['estimate'])} ({g(e['ci_lb'])} to {g(e['ci_ub'])}) x {g(sd)} = "
                     f"{g(est)} ({g(lb)} to {g(ub)}) points; printed as {f2(est, d)} ({f2(lb, d)} to {f2(ub, d)}), "
                     f"SD {f2(sd, d)}; an approximation")
            rows.append([a["id"], REVIEW_POINTS_QUANTITY, e["study_id"], est, None,
                         "; ".join(_ref_text(ctx, ref) for ref in [e["ref"], *refs]),
                         "; ".join(f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}" for ref in [e["ref"], *refs]),
                         "Cochrane Handbook 15.5.3.2", steps])
        return rows
    return []


def _rounded_differences(e: Any) -> str:
    """"printed as the unrounded difference, rounded: 33.786 → 34 (−33.8 → 34 fewer to
    112.4 → 112 more); the rounded risks printed beside it differ by 475 − 442 = 33": how the
    printed difference per 1,000 comes from the row's numbers
    (:func:`metareview.report.base._differences`, as GRADEpro computes it), and, where
    they part, the subtraction a reader of the printed risks makes."""
    low, high = _unbounded(e)

    def one(x: float) -> str:
        return f"{_minus(format(x - e.comparator, '.6g'))} \u2192 {_more_or_fewer(x - e.comparator)}"
    bounds = (f"{'the lower bound not printed (capped)' if low else one(e.intervention_lb)}"
              f"{'; ' if low or high else ' to '}"
              f"{'the upper bound not printed (capped)' if high else one(e.intervention_ub)}")
    said = f"printed as the unrounded difference, rounded: {one(e.intervention)} ({bounds})"
    base, risk = int(fixed(e.comparator, 0)), int(fixed(e.intervention, 0))
    if abs(risk - base) != int(fixed(abs(e.intervention - e.comparator), 0)):
        said += (f"; the rounded risks printed beside it differ by {risk} \u2212 {base} = {_minus(str(risk - base))}, "
                 "as rounding each apart leaves them")
    return said


def _reported_p_audit_row(ctx: ReportContext, analysis: Mapping[str, Any],
                          s: Mapping[str, Any]) -> list[Any] | None:
    """The audit row of the p-value a single trial reports for its own test, which the
    report prints beside the trial's effect where the two disagree at 0.05
    (:func:`_reported_p_clause`: Carlsson 2001's "p < 0.05" beside a Wald interval that
    includes no difference), or None when none is printed: its raw row and cells, and the
    p as printed. Its value is the p-value's cell; a qualifier ("<") is in the steps."""
    c = _printed_reported_p(ctx, analysis, s)
    if c is None:
        return None
    ref = c.get("ref", "")
    p, qualifier = float(c["p_value"]), c.get("p_qualifier") or "="
    # As :func:`reported_p` prints it, without the Markdown escape.
    steps = (f"p_value = {typed(p)}, p_qualifier = {qualifier}: the trial's own test of this comparison, printed "
             f"p {qualifier} {typed(p)} beside the effect, whose interval it disagrees with at 0.05 (not used in "
             "the effect)")
    return [analysis["id"], "trial's own p-value", s["study_id"], p, None, _ref_text(ctx, ref),
            f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}", "p-value as reported", steps]


def _reported_rd_audit_row(ctx: ReportContext, r: Mapping[str, Any]) -> list[Any] | None:
    """The audit row of the risk difference a single trial reports, which the report prints
    beside the difference per 1,000 derived from its ratio (:func:`_reported_rd_clause`):
    its raw row and cells, and the step from the source's proportion to the printed count."""
    found = _printed_reported_rd(ctx, r)
    if found is None:
        return None
    s = r["studies"][0]
    c, est, lb, ub = found
    ref = c.get("ref", "")
    turned = c["node1"] != r["analysis"]["intervention"]
    def g(x: float) -> str:
        return _minus(format(x, ".6g"))

    steps = [*c.get("steps", []),
             f"RD {g(c['estimate'])} ({g(c['ci_lb'])} to {g(c['ci_ub'])}) as a proportion"
             + ("; sign reversed to intervention minus comparator" if turned else "")
             + f"; × 1,000 = {g(est)} ({g(lb)} to {g(ub)}) per 1,000, printed beside the difference per 1,000 "
             "derived from the ratio (not used in it)"]
    return [r["analysis"]["id"], "trial's own risk difference per 1,000", s["study_id"], est, None,
            _ref_text(ctx, ref), f"{_ref_text(ctx, ref)}: {raw_cells(ctx, ref)}", "RD as reported",
            " | ".join(steps)]


#: The quantity of the audit row of the equal-effects estimate given beside a pooled
#: interval on t with 1 degree of freedom.
EQUAL_EFFECTS_QUANTITY = "equal-effects estimate (sensitivity analysis)"


def _equal_effects_audit_row(r: Mapping[str, Any]) -> list[Any] | None:
    """The audit row of the equal-effects (common-effect) estimate printed beside a pooled
    interval on t with 1 df (:func:`metareview.analysis.equal_effects_fit`), or None where
    the analysis has none: its value and variance (SE²), and steps that give each study's
    weight 1/vi as a share of their sum, the SE sqrt(1 / sum w), the Wald-type interval
    with its normal critical value, z and p, so that an auditor recomputes it by hand or
    with metafor's ``rma(yi, vi, method="EE")``."""
    p = r.get("pooled") or {}
    ee = p.get("equal_effects")
    if not ee or ee.get("estimate") is None:
        return None
    aid, studies = r["analysis"]["id"], r["studies"]
    log = on_log_scale(r["analysis"])
    try:
        w = [1.0 / float(s["vi"]) for s in studies]
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        w = []
    weights = ("weights 1/vi (tau2 fixed at 0), as % of their sum: "
               + ", ".join(f"{s['study_id']} {100.0 * wi / sum(w):.6g}%" for s, wi in zip(studies, w)) + "; "
               if w and all(math.isfinite(x) and x > 0 for x in w) else "")
    from metareview.distributions import norm_ppf  # scipy: imported only where there is such a row

    quantile = 0.5 + float(ee.get("level", 95)) / 200.0
    return [aid, EQUAL_EFFECTS_QUANTITY, "; ".join(s["study_id"] for s in studies), ee["estimate"],
            ee["se"] ** 2 if ee.get("se") is not None else None, f"results/analyses/{aid}.json", "",
            f"rma(method={ee['method']}, test={ee['test']})",
            f"k = {p['k']}; beside the pooled estimate's interval on t with 1 df; from the study effects above; "
            + weights
            + f"estimate = sum w yi / sum w; SE = sqrt(1 / sum w) = {ee['se']:.6g}; {_ci_steps(ee, log)}; "
            f"z = {_minus(format(ee['zval'], '.6g'))}, p = {ee['pval']:#.4g}, critical value "
            f"z({quantile:g}) = {float(norm_ppf(quantile)):.6g}"
            + (f"; on the log scale: {r['analysis']['measure']} = exp(value) = {math.exp(ee['estimate']):.4f}"
               if log else "")]


#: The audit quantity of the Mantel-Haenszel estimate printed beside a pooled interval.
MANTEL_HAENSZEL_QUANTITY = "Mantel-Haenszel estimate (sensitivity analysis)"


def _mantel_haenszel_audit_row(r: Mapping[str, Any]) -> list[Any] | None:
    """The audit row of the Mantel-Haenszel estimate the results print beside a pooled
    interval (:func:`metareview.report.overview.mantel_haenszel_clause`), or None where
    they print none: its value and variance (SE²), the tables it pools as counted, and
    the call that gives it with metafor's ``rma.mh``."""
    from metareview.report.overview import mantel_haenszel_clause

    p = r.get("pooled") or {}
    mh = p.get("mantel_haenszel")
    if not mh or not str(mantel_haenszel_clause(r)):
        return None
    aid, studies = r["analysis"]["id"], r["studies"]
    log = on_log_scale(r["analysis"])
    tables = ", ".join(f"{s['study_id']} {s['events1']:g}/{s['n1']:g} vs {s['events2']:g}/{s['n2']:g}"
                       for s in studies)
    return [aid, MANTEL_HAENSZEL_QUANTITY, "; ".join(s["study_id"] for s in studies), mh["estimate"],
            mh["se"] ** 2, f"results/analyses/{aid}.json", "",
            f"rma.mh(ai=ai, n1i=n1i, ci=ci, n2i=n2i, measure={mh['measure']})",
            f"k = {mh['k']}; the 2x2 tables as counted, no continuity correction ({', '.join(mh['zero_arm'])} "
            f"with a zero-event arm): {tables}; SE = {mh['se']:.6g}; {_ci_steps(mh, log)}; "
            f"z = {_minus(format(mh['zval'], '.6g'))}, p = {mh['pval']:#.4g}"
            + (f"; on the log scale: {r['analysis']['measure']} = exp(value) = {math.exp(mh['estimate']):.4f}"
               if log else "")]


def _weight_steps(studies: Sequence[Mapping[str, Any]]) -> str:
    """"weights 1/(vi + tau2), as % of their sum: Cherkin2009 87.1602%, Kwon2007 12.8398%; "
    for a pooled estimate's audit row, or "" when the studies carry none.

    The study-effects table prints each study's weight and the summary "87% of the weight
    from ..."; the row gives them beside tau2 and the effects' variances they come from
    (the random-effects weights, Borenstein et al. 2009, ch. 12), so that an auditor can
    recompute them."""
    weights = [(s["study_id"], s.get("weight")) for s in studies]
    if not weights or any(w is None for _, w in weights):
        return ""
    return "weights 1/(vi + tau2), as % of their sum: " + ", ".join(f"{i} {w:.6g}%" for i, w in weights) + "; "


def _se_steps(p: Mapping[str, Any], studies: Sequence[Mapping[str, Any]]) -> str:
    """How a pooled estimate's standard error comes from its studies' effects, for its
    audit row: "SE = sqrt(max(1, s2) / sum w) = 0.104574, where w = 1/(vi + tau2) and s2 =
    sum w (yi - estimate)^2 / (k - 1) = 0.14847 (Hartung-Knapp's factor, floored at 1:
    test adhoc); ", or "" where the studies do not give it back.

    Hartung-Knapp (Hartung & Knapp 2001; Sidik & Jonkman 2002) scales the variance
    1/sum(w) by s2, and metafor's ``test="adhoc"`` (Knapp & Hartung 2003) keeps s2 at 1 or
    more: an auditor who recomputes with plain Hartung-Knapp where the studies agree better
    than chance would have them gets a narrower interval, and the row said neither which
    nor how much. The z and t tests take 1/sum(w) as it is. The step is given only when
    these numbers give the model's own SE back, so it never states a formula the model did
    not use.
    """
    se, tau2, est, k = p.get("se"), p.get("tau2"), p.get("estimate"), p.get("k")
    if se is None or tau2 is None or est is None or not k or k < 2 or len(studies) != k:
        return ""
    try:
        w = [1.0 / (float(s["vi"]) + tau2) for s in studies]
        y = [float(s["yi"]) for s in studies]
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return ""
    if not all(math.isfinite(x) and x > 0 for x in w):
        return ""
    total = sum(w)
    s2 = sum(wi * (yi - est) ** 2 for wi, yi in zip(w, y)) / (k - 1)
    test = p.get("test")
    if test == "knha":
        formula, factor, said = "sqrt(s2 / sum w)", s2, "Hartung-Knapp's factor"
    elif test == "adhoc":
        formula, factor, said = ("sqrt(max(1, s2) / sum w)", max(1.0, s2),
                                 "Hartung-Knapp's factor, floored at 1: test adhoc")
    else:
        return "" if not math.isclose(math.sqrt(1.0 / total), se, rel_tol=1e-9) else \
            f"SE = sqrt(1 / sum w) = {se:.6g}, where w = 1/(vi + tau2); "
    if not math.isclose(math.sqrt(factor / total), se, rel_tol=1e-9):
        return ""
    return (f"SE = {formula} = {se:.6g}, where w = 1/(vi + tau2) and s2 = sum w (yi - estimate)^2 / (k - 1) "
            f"= {s2:.6g} ({said}); ")


def _ci_steps(x: Mapping[str, Any], log: bool = False) -> str:
    """"CI −0.52 to 0.11" on the analysis scale, for an audit row's steps; for log ratios
    also exponentiated, as the report prints it."""
    text = f"CI {_minus(format(x['ci_lb'], '.6g'))} to {_minus(format(x['ci_ub'], '.6g'))}"
    if log:
        text += f" (exp: {math.exp(x['ci_lb']):.4f} to {math.exp(x['ci_ub']):.4f})"
    return text


def _pooled_test_steps(p: Mapping[str, Any], log: bool = False) -> str:
    """The pooled model's interval, test and heterogeneity as the report prints them, for
    its audit row: "CI −1.18 to 1.48; t = 1.469 (df = 1), p = 0.3805; QE = 0.1485 (df = 1,
    p = 0.7000); I2 = 0%; tau2 CI (Q-profile) 0 to 7.33757; I2 CI 0% to 99.3385%", and the
    prediction interval when there is one. Each is a number of the model's results file, so
    an auditor finds every figure of the pooled line there."""
    parts = [_ci_steps(p, log)]
    # p to 4 significant digits with their trailing zeros: "p = 0.7" would read as exact
    # beside the text's "p = 0.700" for a p of 0.69997.
    if p.get("tval") is not None:
        from metareview.distributions import t_ppf  # scipy: imported only for a t-based model

        # The critical value the interval's width comes from (the text prints it, "critical
        # value 12.71", where it makes the interval wider than the studies' own).
        quantile = 0.5 + float(p.get("level", 95)) / 200.0
        parts.append(f"t = {_minus(format(p['tval'], '.6g'))} (df = {p['df']:g}), p = {p['pval']:#.4g}, "
                     f"critical value t({quantile:g}, df = {p['df']:g}) = {float(t_ppf(quantile, p['df'])):.6g}")
    elif p.get("zval") is not None:
        parts.append(f"z = {_minus(format(p['zval'], '.6g'))}, p = {p['pval']:#.4g}")
    if p.get("QE") is not None:
        parts.append(f"QE = {p['QE']:.6g} (df = {p['k'] - 1}, p = {p['QEp']:#.4g})")
    if p.get("I2") is not None:
        parts.append(f"I2 = {p['I2']:.4g}%")
    # The prediction interval and the Q-profile intervals of tau2 and I2 are printed on the
    # pooled line too; a bound beyond the search interval keeps metafor's "<" or ">".
    if p.get("pi_lb") is not None and p.get("pi_ub") is not None:
        text = f"PI {_minus(format(p['pi_lb'], '.6g'))} to {_minus(format(p['pi_ub'], '.6g'))}"
        if log:
            text += f" (exp: {math.exp(p['pi_lb']):.4f} to {math.exp(p['pi_ub']):.4f})"
        parts.append(text)
    if p.get("tau2_ci_lb") is not None and p.get("tau2_ci_ub") is not None:
        if _empty_q_profile(p):
            parts.append("tau2 CI (Q-profile) empty: Q is smaller than expected even with tau2 = 0")
        else:
            def bound(value: float, sign: str | None, pct: str = "") -> str:
                return f"{sign + ' ' if sign else ''}{_minus(format(value, '.6g'))}{pct}"

            lb_sign, ub_sign = p.get("ci_lb_sign") or None, p.get("ci_ub_sign") or None
            parts.append(f"tau2 CI (Q-profile) {bound(p['tau2_ci_lb'], lb_sign)} to {bound(p['tau2_ci_ub'], ub_sign)}")
            if p.get("I2_ci_lb") is not None and p.get("I2_ci_ub") is not None:
                parts.append(f"I2 CI {bound(p['I2_ci_lb'], lb_sign, '%')} to {bound(p['I2_ci_ub'], ub_sign, '%')}")
    if p.get("tau2_max") is not None:
        parts.append(f"tau2 interval searched up to {p['tau2_max']:g} (metafor: control = list(tau2.max = "
                     f"{p['tau2_max']:g}))")
    return "; ".join(parts)


AUDIT_HEADER = ["analysis", "quantity", "study_id", "value", "variance", "raw_rows", "raw_cells", "from", "steps"]


#: The columns of results/report/study_effects.csv: those of each analysis's
#: ``results/analyses/{analysis}.effects.csv`` (rule analyse), after the analysis's id,
#: and ``raw_rows``, the spreadsheet rows the ``refs`` name, in the same order.
STUDY_EFFECTS_HEADER = ["analysis", "study_id", "label", "yi", "vi", "ci_lb", "ci_ub", "weight", "n1", "n2",
                        "value_type", "timepoint_weeks", "refs", "raw_rows"]


def study_effects_rows(ctx: ReportContext) -> list[list[Any]]:
    """Every analysis's study effects, as their ``.effects.csv`` gives them, with the raw
    rows in the report's words ("arm_outcomes.csv row 18; arm_outcomes.csv row 19").

    ``refs`` name a row as a study's n-th in its file (``arm_outcomes.csv:Cherkin2009#9``,
    :func:`metareview.rawdata.row_ref`), so that a study's and an analysis's jobs do not
    depend on other studies' rows: a row inserted above would renumber every row below
    it and rerun analyses it has no part in. The report's step reads every raw table
    anyway, so it gives the spreadsheet row the report and the audit trail name, which an
    auditor going from a results table to the raw cell would otherwise count by hand.
    """
    rows = []
    for r in ctx.analyses:
        for s in r["studies"]:
            where = []
            for ref in s["refs"]:
                file, line = ctx.raw_rows.get(ref, (None, None))
                where.append(f"{file} row {line}" if line else ref)
            rows.append([r["analysis"]["id"], s["study_id"], s["label"], s["yi"], s["vi"], s["ci_lb"], s["ci_ub"],
                         s["weight"], s["n1"], s["n2"], s["value_type"], s["timepoint_weeks"], ";".join(s["refs"]),
                         "; ".join(where)])
    return rows


#: A file of the build or the review in a cell's text: "results/indirect/ID.json".
_PATH = re.compile(r"(?<![\w/])((?:results|data|config)/[\w./-]*\w)")


def _paths_as_code(text: Any, *, verbatim: bool = False) -> Any:
    """``text`` with each file path in it as inline code (Markdown), else as it is.

    A path is one word of 70 characters or more (results/indirect/..._indirect.json),
    which the HTML cannot break as text: it pushed the audit trail's last columns, the
    steps, out of view. As code it breaks after each '/' and '_', as ids do.

    ``verbatim`` keeps every character as typed (a raw cell's hyphen-minus, not the
    report's minus sign): a cell copied from the appendix is searched for in the CSV.
    """
    if not isinstance(text, str):
        return text
    if not _PATH.search(text):
        return escape(text, typographic=False) if verbatim else text
    parts = _PATH.split(text)
    return Markdown("".join(f"`{part}`" if i % 2 else escape(part, typographic=not verbatim)
                            for i, part in enumerate(parts)))


def audit_section(ctx: ReportContext, rows: Sequence[Sequence[Any]]) -> Markdown:
    detailed = in_detail(ctx)
    # In the results-table layout the report prints the pooled estimates, the effect of
    # the one study of single-study analyses, and every number of the analyses shown in
    # full: those are the rows shown here.
    single = {r["analysis"]["id"] for r in ctx.analyses if r["status"] == "single_study"}
    in_full = {r["analysis"]["id"] for r in detailed_analyses(ctx)}
    # The indirect comparisons are printed in full in either layout.
    indirect = {x["id"] for x in ctx.indirect}
    # Named as the other appendix names them: the CSV keeps the bare id.
    names = analysis_refs(ctx)
    by_id = {r["analysis"]["id"]: r for r in ctx.analyses}

    def analysis_cell(aid: str, first: bool) -> Any:
        # A number of no analysis (a count of the summary, the claims or the
        # limitations) gets a dash, as an empty cell does elsewhere: left blank under a
        # row naming an analysis, it read as "same as above".
        if not aid:
            return "\u2013"
        return names.get(aid, aid) if first else Markdown(f"`{aid}`")

    body: list[list[Any]] = []
    # The counts of trials and reviews in a table of their own, after the numbers: they
    # have neither variance nor method, and among the numbers a third of the rows were
    # counts, between an analysis's estimates.
    counts: list[list[Any]] = []
    shown_aid = counted_aid = None
    for row in rows:
        aid, what, sid, value, var, where, cells, src, steps = row
        # A small-study test is printed with its pooled estimate, wherever that is; the
        # participants the GRADE table gives, in either layout.
        # The claims' counts are the summary's, in either layout.
        # The counts of the claims, the claims table and the limitations, in either layout.
        # And the consistency warnings' numbers, whose table either layout prints.
        everywhere = src in (COUNT_CLAIMS, COUNT_CONFIG) or (src == COUNT_STUDIES
                                                            and what.startswith(_COUNTS_IN_EITHER_LAYOUT)) or (
            str(src).startswith(CONSISTENCY_CHECK))
        if (not detailed and what not in ("pooled estimate", "participants (sum)") and not everywhere
                and not what.startswith("small-study test") and aid not in single | in_full | indirect):
            continue
        if not detailed and what.startswith("difference per 1,000") and aid not in in_full:
            continue  # printed only in the sections of the analyses shown in full
        if not detailed and src == COUNT_STUDIES and aid not in in_full and not everywhere:
            continue  # a section's count, and the summary gives no overview in this layout
        if not detailed and what == "participants (sum)" and not _in_certainty_table(ctx, by_id[aid]):
            continue  # the summary's total alone, which this layout does not print
        if not detailed and aid not in in_full:
            # The study effects are not printed in this layout: they are in the CSV.
            steps = steps.replace("from the study effects above", "from its study effects in audit.csv")
        if src in (COUNT_STUDIES, COUNT_CLAIMS, COUNT_CONFIG):
            first = not counts or aid != counted_aid
            counted_aid = aid
            if src == COUNT_CONFIG:
                # The entries' places; their ids are in the steps, their cells in the CSV.
                cells = _config_entries_shown(cells, where.rsplit(": ", 1)[-1], len(cells.split("; ")) if cells else 0)
            counts.append([analysis_cell(aid, first), what, sid,
                           format(value, "g"), escape(cells or where, typographic=False), steps])
            continue
        # The cells beside their rows: "arm_outcomes.csv row 18: n = 158, mean = 6.3, ...".
        # The title on the first of an analysis's rows, its id on every row: a title
        # repeated on each of its rows made them taller, for a name already given above.
        first = not body or aid != shown_aid
        shown_aid = aid
        named = analysis_cell(aid, first)
        # A count as the report prints it ("182", "13"), not as an effect ("182.0000"):
        # the sums of arm sizes and every other row of a count (of the results a forest
        # plot does not draw, of documents, of result rows).
        counted = src == COUNT_SUM or str(what).endswith(("(count)", "(sum)"))
        shown_value = format(value, "g") if counted and value is not None else f2(value, 4)
        body.append([named, what, sid, shown_value, f2(var, 5), _paths_as_code(cells or where, verbatim=True), _paths_as_code(src),
                     _paths_as_code(steps)])
    if not rows:
        return Markdown("No effect was computed.\n")
    note = Markdown("")
    if not detailed:
        n_effects = sum(1 for row in rows if row[1] == "study effect")
        tests = any(str(row[1]).startswith("small-study test") for row in rows)
        note = Markdown(
            "The report shows the analyses as a results table (@tbl-results), not one by one, so this table "
            "traces the numbers the report prints: the pooled estimates"
            + (" and their small-study tests" if tests else "") + ", the effect of the only usable "
            "study of single-study analyses"
            + (", the study effects of the analyses shown in full and the consistency warnings' numbers"
               if any(str(row[7]).startswith(CONSISTENCY_CHECK) for row in rows)
               else ", and the study effects of the analyses shown in full") + ". All "
            f"{n_effects} study effects, each traced to its raw rows, are in `audit.csv`, published beside this "
            "report, with the same information (and the raw rows in a column of their own).\n\n")
        if not body:
            return Markdown(note + "No analysis was pooled or had a single usable study.\n")
    # Of the numbers it traces, not "every number": the opening says which it does not.
    caption = ("Audit trail: where each number the report computes or counts comes from (also in audit.csv, "
               "published beside this report)" if detailed
               else "Audit trail of the numbers the report prints (every study effect is in audit.csv, published "
                    "beside this report)")
    numbers = table(["Analysis", "Quantity", "Study", "Value", "Variance", "Raw cells", "From", "Steps"],
                    body, caption, "tbl-audit", budget=APPENDIX_TABLE_BUDGET)
    if not counts:
        return Markdown(note + numbers)
    return Markdown(note + numbers + table(
        ["Analysis", "Quantity", "Studies", "Count", "Raw rows counted", "Steps"], counts,
        "Audit trail of the counts of trials, reviews, claims and analyses the report prints: the studies (or claims) "
        "counted, each with the raw rows that make it one of them, and the analyses counted, each with its entry in the "
        "config (also in audit.csv, published beside this report)", "tbl-audit-counts",
        budget=APPENDIX_TABLE_BUDGET))


def favours_text(measures: Iterable[str], events: Collection[str] = ("beneficial", "harmful")) -> str:
    """Which side of each of ``measures`` favours the intervention, as the results'
    opening sentence says it: only the measures given (the review's analyses' ones).

    A difference (MD, SMD) below 0 favours the intervention, every common scale being
    lower-is-better; a ratio (RR, OR) above 1 and a risk difference above 0 favour it
    when the events are beneficial, below them when they are harmful.

    Parameters
    ----------
    measures
        The analyses' measures ("MD", "SMD", "RR", "OR", "RD"), repeats allowed.
    events
        The kinds of event the binary analyses count (their ``events``: "beneficial",
        "harmful"); only those are described. A review of responders alone was told which
        side a harmful event favours, of which it has none.

    Returns
    -------
    str
        The clause, without a capital or a full stop, the measures joined by semicolons
        (each holds a comma).

    Examples
    --------
    >>> favours_text(["RR"])
    'for a beneficial event such as response, risk ratios above 1, and for a harmful event, below 1'
    >>> favours_text(["RR"], ["beneficial"])
    'for a beneficial event such as response, risk ratios above 1'
    """
    given = set(measures)
    parts = []
    differences = [name for m, name in (("MD", "mean differences"), ("SMD", "SMDs")) if m in given]
    if differences:
        parts.append(f"for {' and '.join(differences)}, negative values (lower on the outcome's common scale, "
                     "where lower is better)")
    ratios = [name for m, name in (("RR", "risk ratios"), ("OR", "odds ratios")) if m in given]
    above = ([f"{' and '.join(ratios)} above 1"] if ratios else []) + (["risk differences above 0"] if "RD" in given else [])
    kinds = set(events)
    if above and "harmful" not in kinds:
        parts.append(f"for a beneficial event such as response, {' and '.join(above)}")
    elif above and "beneficial" not in kinds:
        parts.append(f"for a harmful event, {' and '.join(above).replace('above', 'below')}")
    elif above:
        # One threshold is named again ("below 1"); two are "them".
        below = "them" if len(above) > 1 else ("1" if ratios else "0")
        parts.append(f"for a beneficial event such as response, {' and '.join(above)}, and for a harmful event, "
                     f"below {below}")
    return "; ".join(parts) or "as each analysis's measure says"


def not_traced(ctx: ReportContext) -> str:
    """What the audit trail does not trace, which its opening says after what it does:
    the numbers the report copies from one raw cell (named beside them, or by their
    study), the evidence table's counts of raw rows, the key messages' tallies (made of
    results and trials traced one by one), words quoted with their numbers, the config's
    settings and the last build's numbers. A published review's k and N are
    named only where the review has published reviews."""
    copied = [*(["a published review's k and N"] if _has_role(ctx, "external") else []),
              "the weeks of a trial set aside"]
    return ("Not traced here: numbers the report copies from a single raw cell and prints beside its raw row or its "
            f"study ({' and '.join(copied)}), the evidence table's count of each study's raw rows, the key "
            "messages' tallies of a treatment's results and trials (each result has its rows under its analysis, "
            "and the Results list the trials), numbers within quoted words (a source's quote, a claim, a statement), the settings of the config (the confidence "
            "level, the windows' weeks, the thresholds), the provenance's checksums, versions and dates, and the "
            "last build's numbers, which What changed sets beside this build's.")


#: The kinds of number the audit trail's rows hold, in the order its opening names them:
#: each a name and a test on a row's quantity and ``from``.
_TRAIL_KINDS: tuple[tuple[str, Callable[[str, str], bool]], ...] = (
    ("study effects", lambda q, f: q == "study effect"),
    ("what trials set aside report (their own effects, directions and p-values)",
     lambda q, f: q.startswith(("study effect set aside", "set-aside trial's"))),
    ("pooled estimates with their intervals, tests and heterogeneity", lambda q, f: q == "pooled estimate"),
    ("equal-effects estimates beside intervals on t with 1 df", lambda q, f: q == EQUAL_EFFECTS_QUANTITY),
    ("Mantel-Haenszel estimates beside analyses with a zero-event arm",
     lambda q, f: q == MANTEL_HAENSZEL_QUANTITY),
    ("leave-one-out estimates", lambda q, f: q.startswith("leave-one-out estimate")),
    ("small-study tests", lambda q, f: q.startswith("small-study test")),
    ("p-values beside study effects", lambda q, f: q.startswith("Fisher's exact p") or q == "trial's own p-value"),
    ("differences per 1,000", lambda q, f: "difference per 1,000" in q),
    ("SMDs in an instrument's points", lambda q, f: q.startswith(RE_EXPRESSED_QUANTITY)),
    ("differences in single trials' means, calculated here, in an instrument's points",
     lambda q, f: q.startswith(NATIVE_MD_QUANTITY)),
    ("published SMDs in a mean-difference analysis's points", lambda q, f: q == REVIEW_POINTS_QUANTITY),
    # Not the count of those a forest plot does not draw, which begins alike.
    ("published results", lambda q, f: q.startswith("published result") and not f.startswith("count of the")),
    ("indirect comparisons", lambda q, f: q.startswith(("anchored indirect estimate", "naive difference"))),
    ("claimed differences", lambda q, f: q.startswith("claimed difference")),
    ("summed counts of participants and events", lambda q, f: f == COUNT_SUM),
    ("counts of claims", lambda q, f: f == COUNT_CLAIMS),
    ("counts of analyses", lambda q, f: f == COUNT_CONFIG),
    ("counts of documents by where they were read, and of results on outcomes not sought",
     lambda q, f: f.startswith(COUNT_ROWS)),
    ("counts of trials, reviews and results", lambda q, f: f.startswith("count of the")),
    ("the numbers of the consistency warnings", lambda q, f: f.startswith(CONSISTENCY_CHECK)),
)


def trail_kind(row: Sequence[Any]) -> str:
    """The kind of number an audit row traces (:data:`_TRAIL_KINDS`), as the trail's
    opening names it; a row of no kind there is named by its quantity, so that the
    opening never leaves out a number the rows trace."""
    quantity, source = str(row[1]), str(row[7])
    return next((name for name, test in _TRAIL_KINDS if test(quantity, source)), re.sub(r" \(.*", "", quantity))


def trail_kinds(rows: Sequence[Sequence[Any]]) -> list[str]:
    """The kinds of number the audit rows trace (:func:`trail_kind`), each once, in the
    order of :data:`_TRAIL_KINDS`, then any other in the rows' order."""
    found = list(dict.fromkeys(trail_kind(row) for row in rows))
    named = [name for name, _ in _TRAIL_KINDS]
    return [k for k in named if k in found] + [k for k in found if k not in named]


def audit_lead(ctx: ReportContext, rows: Sequence[Sequence[Any]] | None = None) -> str:
    """The audit trail's opening: what its columns hold, each kind of number named only
    where the review has it (ratios, differences per 1,000, published results, indirect
    comparisons), as the methods name only the measures used.

    A review of mean differences alone read of logs of ratios, of counts per 1,000 and of
    indirect comparisons' sides, numbers its trail never holds. The rows that are no
    effect (a p-value, a small-study test's statistic, an unanchored naive difference, a
    claim's claimed difference) are named where the trail has them: without a word, a
    Fisher's exact p read as a value "on the analysis scale" and its empty variance as a
    number left out. ``rows`` are the trail's (:func:`audit_rows`), computed when not given.
    """
    measures = {a["measure"] for a in ctx.config.get("analyses", [])}
    ratios, binary = bool(measures & {"RR", "OR"}), bool(measures & {"RR", "OR", "RD"})
    indirect, published = bool(ctx.indirect), _has_role(ctx, "external")
    rows = audit_rows(ctx) if rows is None else rows
    quantities = {str(row[1]) for row in rows}
    p_values = any(q.startswith("Fisher's exact p") or q == "trial's own p-value" for q in quantities)
    counts = any(q.endswith("(sum)") for q in quantities)
    claims = any(row[7] == COUNT_CLAIMS for row in rows)
    trials = any(row[7] == COUNT_STUDIES for row in rows)
    entries = any(row[7] == COUNT_CONFIG for row in rows)
    raw_counts = any(str(row[7]).startswith(COUNT_ROWS) for row in rows)
    tests = any(q.startswith("small-study test") for q in quantities)
    naive = any(q.startswith("naive difference") for q in quantities)
    claimed = any(q.startswith("claimed difference") for q in quantities)
    directions = any(q.startswith("set-aside trial's reported direction") for q in quantities)
    aside_results = ASIDE_RESULT in quantities
    points = any(q.startswith(RE_EXPRESSED_QUANTITY) or q == REVIEW_POINTS_QUANTITY for q in quantities)
    # The equal-effects estimate beside a two-study interval has one too (sqrt(1/sum w)).
    pooled_se = ("a pooled or equal-effects estimate's squared standard error" if EQUAL_EFFECTS_QUANTITY in quantities
                 else "a pooled estimate's squared standard error")
    if MANTEL_HAENSZEL_QUANTITY in quantities:
        pooled_se = pooled_se.replace(" estimate's", " or Mantel-Haenszel estimate's")
    variances = ["a study effect's sampling variance", pooled_se,
                 *(["an anchored indirect comparison's (the sum of its two sides')"] if indirect else [])]
    none = [*(["published results"] if published else []), *(["differences per 1,000"] if binary else []),
            *(["SMDs in an instrument's points"] if points else []),
            *(["p-values"] if p_values else []), *(["small-study tests"] if tests else []),
            *(["summed counts"] if counts else []), *(["counts of studies"] if trials else []),
            *(["counts of claims"] if claims else []), *(["counts of analyses"] if entries else []),
            *(["counts of rows"] if raw_counts else []),
            *(["a naive difference"] if naive else []), *(["a claimed difference"] if claimed else []),
            *(["a set-aside trial's direction"] if directions else []),
            *(["a set-aside trial's result"] if aside_results else [])]
    warnings = any(str(row[7]).startswith(CONSISTENCY_CHECK) for row in rows)
    if warnings:
        none.append("consistency warnings")
    others = [*(["a difference per 1,000 (a count)"] if binary else []),
              *(["an SMD in an instrument's points (the points)"] if points else []),
              *(["a p-value (the p itself)"] if p_values else []),
              *(["a small-study test (its statistic)"] if tests else []),
              *(["a set-aside trial's direction (no value: its side, p-values and participants in the steps)"]
                if directions else []),
              *([("a set-aside trial's result (no value: its side, the effect it reported and why that cannot "
                  "enter the analysis, p-values and participants in the steps)")] if aside_results else []),
              *(["a summed count of participants or events (the sum)"] if counts else []),
              *([("a count of studies (the number of trials or reviews counted, each named with the raw rows "
                  "that make it one of them)")] if trials else []),
              *(["a count of claims (the number of claims counted, each named with its row of claims.csv)"]
                if claims else []),
              *([(f"a count of analyses (the number of analyses{' or indirect comparisons' if indirect else ''} "
                  "counted, each named with its entry in the config, not a raw row)")] if entries else []),
              *(["a count of rows (the number of documents or results counted, each named by its raw row)"]
                if raw_counts else []),
              *([("a consistency warning (no value: the cells it compares, and in the steps how the check "
                  "computes from them and the warning as printed)")] if warnings else [])]

    def listed(items: Sequence[str]) -> str:
        # Commas only: join_and would take the comma of "1,000" for one inside an item.
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    kinds = trail_kinds(rows)
    return (
        # Semicolons between the kinds: several hold a comma of their own.
        "The rows trace the numbers the report computes or counts"
        + (f": {kinds[0]}" if len(kinds) == 1 else f": {'; '.join(kinds[:-1])}; and {kinds[-1]}" if kinds else "")
        + ". Each is traced to the raw rows (numbered as in the appendix above, the header being row 1) and cells "
        "it was read from, or to the study effects or entries of the config it was computed from, with every "
        f"conversion applied to them. {not_traced(ctx)} The value is on the analysis scale"
        + (" (for a ratio, its log; the ratio itself in the steps)" if ratios else "")
        + (f", but for {listed(others)}" if others else "")
        + "; the variance is " + ", ".join(variances[:-1]) + " or " + variances[-1]
        + (f", and {listed(none)} give none" if none else "") + ". "
        + "Analysis names the analysis" + (" or indirect comparison" if indirect else "")
        + " by its title and id on its first row, by its id on the rows after it (the id names its file in "
        "`results/analyses/`" + (" or `results/indirect/`" if indirect else "") + "), a dash for a number of "
        + ("neither" if indirect else "no analysis") + ". Study gives study ids, as in `studies.csv`: every study "
        "a number was computed from (a pooled estimate's" + (", each side's of an indirect comparison" if indirect else "")
        + "), none for a number of no study; From names the method"
        + (", or the sides of an indirect comparison by their labels" if indirect else "") + "."
        + _metafor_names_text(rows))


# The names of metafor's results that the audit trail's steps print, for the auditor who
# checks them there, and what the rest of the report calls each.
METAFOR_NAMES: tuple[tuple[str, str], ...] = (
    ("vi", "a study's sampling variance"),
    ("tau2", "τ², the variance of the true effects between the studies"),
    ("QE", "Cochran's Q"),
    ("I2", "I²"),
    ("PI", "the prediction interval"),
)


def _metafor_names_text(rows: Sequence[Sequence[Any]]) -> str:
    """" Steps name numbers as metafor's results do: vi, a study's sampling variance; QE,
    Cochran's Q." for those of :data:`METAFOR_NAMES` the trail's steps print, or "".

    The steps keep metafor's names, which an auditor finds in ``rma``'s results and in
    the results files, but a reader of the rest of the report knows them as τ², I² and Q."""
    steps = "\n".join(str(row[-1]) for row in rows)
    used = [f"{name}, {meaning}" for name, meaning in METAFOR_NAMES if re.search(rf"(?<![\w-]){name}(?![\w-])", steps)]
    return f" Steps name numbers as metafor's results do: {'; '.join(used)}." if used else ""


def study_kinds(ctx: ReportContext) -> str:
    """", trials, published meta-analyses and guidelines alike" after "Every study in the raw
    tables" (the evidence table's opening): the kinds of study the data hold, by design
    role, or "" when they hold one kind only.

    The evidence table lists every study whatever its design; the sentence names the kinds
    a reader will find in it, and no kind the review does not have.
    """
    designs = {doc["study"]["design"] for doc in ctx.normalised}
    roles = {doc["study"]["role"] for doc in ctx.normalised}
    kinds = [kind for kind, present in (("trials", "trial" in roles),
                                        ("published meta-analyses", "external" in roles),
                                        ("guidelines", "guideline" in designs),
                                        ("consensus statements", "consensus" in designs)) if present]
    return f", {join_list(kinds)} alike" if len(kinds) > 1 else ""
