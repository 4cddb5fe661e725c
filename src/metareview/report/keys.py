"""The key results a build keeps, which the next build compares against.

:func:`key_results` gathers, by key, what the report states (estimates, intervals,
conclusions, settings, study effects, published results and consistency warnings); the
digests of the studies and of what they share (:func:`study_digests`,
:func:`shared_digests`) and the cells kept of each raw row (:func:`kept_cells`) let
"what changed since the last build" (:mod:`metareview.report.changes`) tell an edited
row, a renamed study and a moved one apart.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from metareview.certainty import DOMAIN_TEXT, describe
from metareview.checks import (
    COUNT,
    GRADE_FLAG,
    count_value,
    placed_warning_keys,
    row_identities,
    stable_warning_key,
    warning_key,
)
from metareview.fmt import f2, in_brackets, ranges
from metareview.fmt import in_sentence as _in_sentence
from metareview.markdown import escape
from metareview.report.base import (
    MEASURE_NAMES,
    ReportContext,
    _external_value,
    _names,
    _overall_risk_of_bias,
    _study_labels,
    certainty_of,
    ci_text,
    excludes_no_effect,
    favours_intervention,
    fingerprints,
    informative_statement,
    judgement_of,
    md_scale,
    md_unit,
    on_log_scale,
    points_digits,
    rating_flags,
    shown,
)


def _study_effect_shown(entry: Mapping[str, Any]) -> float | None:
    """A single study's effect in a key-results entry as the report shows it (a ratio, not
    its log). Builds before ``study_effect_exp`` stored the ratio as ``study_effect``."""
    return entry.get("study_effect_exp", entry.get("study_effect"))


def _effect_fields(a: Mapping[str, Any], name: str, estimate: float, interval: Mapping[str, Any]) -> dict[str, Any]:
    """A key-results entry's effect (``name``: a pooled ``estimate`` or a ``study_effect``)
    with its interval and what they show, on the analysis scale (log ratios for RR and OR,
    where the null is 0), and exponentiated beside them for a ratio."""
    # An estimate exactly at the null (0 on the analysis scale: an RR of 1 from two arms
    # without events) is on neither side: "moved to the side of the comparator" called
    # it a change of direction.
    at_null = estimate == 0.0
    fields: dict[str, Any] = {
        name: estimate, "ci_lb": interval["ci_lb"], "ci_ub": interval["ci_ub"],
        "significant": excludes_no_effect(interval),
        "direction": ("no difference" if at_null else
                      "favours intervention" if favours_intervention(a, estimate) else "favours comparator"),
        # The side by name, for What changed: "now favours Sham" says what "now favours
        # comparator" leaves the reader to look up.
        "favoured": None if at_null else a["intervention_label" if favours_intervention(a, estimate)
                                           else "comparator_label"]}
    if on_log_scale(a):
        fields.update({"scale": "log", f"{name}_exp": shown(a, estimate), "ci_lb_exp": shown(a, interval["ci_lb"]),
                       "ci_ub_exp": shown(a, interval["ci_ub"])})
    return fields


def _points_key(x: Mapping[str, Any]) -> dict[str, str]:
    """An SMD re-expressed in an instrument's points (``re_expressed``) as the report
    prints it (:func:`metareview.report.base.re_expressed_text`): ``points``, "0.7 (−5.6
    to 7.1)", and the comparator ``sd`` it multiplies by."""
    d = points_digits(float(x["sd"]))
    return {"points": f"{f2(x['estimate'], d)} ({ci_text(x['ci_lb'], x['ci_ub'], d)})", "sd": f2(x["sd"], d)}


def _timepoint_key(s: Mapping[str, Any]) -> dict[str, str]:
    """``{"timepoint": "week 12"}``, a study effect's timepoint as its study table prints
    it, or nothing when it has none: an effect that now comes from another timepoint (a
    row of the one before made unusable, another row added nearer the window's target)
    is a change What changed names, whether or not the number moved."""
    # Plain spaces in the history: the no-break space is the tables' layout, not the data.
    text = _timepoint_text(s).removeprefix(", ").replace("\u00a0", " ")
    return {"timepoint": text} if text else {}


def _timepoint_moved(was: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """["timepoint week 4 → week 12"] when both builds kept a study effect's timepoint and
    it differs, else []: as its effect's move is said beside it ("its effect 0.40 →
    0.37"), without a "now" that the analysis's line may have said already."""
    if was.get("timepoint") and new.get("timepoint") and was["timepoint"] != new["timepoint"]:
        return [f"timepoint {escape(was['timepoint'])} → {escape(new['timepoint'])}"]
    return []


def _form_key(s: Mapping[str, Any]) -> dict[str, str]:
    """``{"form": "arm-level means and SDs"}``, the numbers a study effect comes from as
    its study table prints them, or nothing when it has none recorded: an effect that now
    rests on means and SDs estimated from medians, or on a reported mean difference where
    it came from the arms' means, rests on other numbers and other assumptions, whether
    or not it moved."""
    return {"form": str(s["form"])} if s.get("form") else {}


def _form_moved(was: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """["computed from arm-level medians (mean and SD estimated), where it was from
    arm-level means and SDs"] when both builds recorded a study effect's numbers and they
    differ, else []."""
    if was.get("form") and new.get("form") and was["form"] != new["form"]:
        return [f"computed from {escape(new['form'])}, where it was from {escape(was['form'])}"]
    return []


def _own_effect_key(a: Mapping[str, Any], own: Mapping[str, Any]) -> dict[str, Any]:
    """A set-aside trial's own effect in the key results, as the report prints it (a ratio,
    not its log), with the value type it comes from."""
    return {"value_type": own["value_type"], "effect": shown(a, own["yi"]),
            "ci_lb": shown(a, own["ci_lb"]), "ci_ub": shown(a, own["ci_ub"])}


#: A set-aside trial's value type as the report words it.
_VALUE_KINDS = {"final": "final values", "change": "changes from baseline"}


def _replaced_trial_text(new: str, old: str, old_type: str | None, new_type: str | None) -> str:
    """What changed in an analysis whose one study is now another trial.

    "the effect comes from another trial, Cherkin et al. (2009), in place of Brinkhaus
    et al. (2006), and from another kind of value: final values, where it was changes from
    baseline". The kind is said only when both builds recorded it and it differs (key
    results from before it was kept give the trials alone).
    """
    text = f"the effect comes from another trial, {escape(new)}, in place of {escape(old)}"
    if old_type and new_type and old_type != new_type:
        kinds = {**_VALUE_KINDS, "unknown": "values not reported as final or change"}
        text += (f", and from another kind of value: {escape(kinds.get(new_type, new_type))}, where it was "
                 f"{escape(kinds.get(old_type, old_type))}")
    return text


def _own_effect_changes(before: Mapping[str, Any], now: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """What moved in the own effects of the trials an analysis sets aside for their value
    type ("Meng et al. (2003), set aside, its own effect −0.98 → −0.87"): they are printed
    beside the analysis, not pooled, so a move changes no conclusion. Key results from
    before these were kept give nothing."""
    if "set_aside" not in before:
        return []
    was_all, now_all = before["set_aside"], now.get("set_aside", {})
    notes = []
    for sid in sorted(set(was_all) | set(now_all)):
        was, new = was_all.get(sid), now_all.get(sid)
        who = f"{escape(names.get(sid, sid))}, set aside"
        if was is None:
            notes.append(f"{who}, its own effect given beside it: {f2(new['effect'])} ({_interval(new)})")
        elif new is None and sid in now.get("studies", []) and sid not in before.get("studies", []):
            # Its value type now the analysis's (the trial it was set aside beside removed,
            # say): "no longer given" read as if the trial had left the analysis.
            kind = _VALUE_KINDS.get(was["value_type"], was["value_type"])
            notes.append(f"{escape(names.get(sid, sid))}, no longer set aside, used with its {escape(kind)} "
                         f"(its own effect was {f2(was['effect'])}, {_interval(was)})")
        elif new is None and "excluded" in now and sid not in now["excluded"] and sid not in now.get("studies", []):
            # Out of the analysis altogether (its arm's treatment moved to another node,
            # say): "set aside, its own effect no longer given" read as if it still were.
            notes.append(f"{escape(names.get(sid, sid))}, set aside before, no longer in this analysis (its own "
                         f"effect was {f2(was['effect'])}, {_interval(was)})")
        elif new is None:
            notes.append(f"{who}, its own effect no longer given (was {f2(was['effect'])}, {_interval(was)})")
        else:
            moved = _effect_moves(was, new, f"its own effect {_same_measure(before, now)}".rstrip(),
                                  units_words(now) if _same_measure(before, now) else "")
            if moved:
                notes.append(f"{who}, " + ", ".join(moved))
    return notes


def _baseline_flag_key(s: Mapping[str, Any]) -> dict[str, Any]:
    """A study effect's baseline-imbalance flag in the key results: ``flagged`` (its final
    values come from arms whose week-0 values already differed by a standardised
    difference of at least ``effects.baseline_imbalance_smd``,
    :func:`metareview.extract.study_effects`) and ``d``, the week-0 Cohen's d the check
    read, or None where it read none (change scores, no week-0 row)."""
    read = s.get("baseline_read") or {}
    return {"flagged": s.get("baseline_imbalance") is not None,
            "d": float(read["d"]) if read.get("d") is not None else None}


#: The setting whose value flags a study effect's baseline difference.
BASELINE_THRESHOLD = "effects.baseline_imbalance_smd"


def _d_pair(was: float, now: float) -> tuple[str, str]:
    """Two week-0 d's with the fewest decimals (2 to 4) that tell them apart: 0.0996 and
    0.1004 both read 0.10 to two, which hid why one was flagged and the other not."""
    if was == now:
        return f2(was), f2(now)
    for digits in (2, 3, 4):
        if f2(was, digits) != f2(now, digits):
            break
    return f2(was, digits), f2(now, digits)


def _baseline_flag_changes(before: Mapping[str, Any], now: Mapping[str, Any], names: Mapping[str, str],
                           threshold: tuple[Any, Any] = (None, None)) -> list[str]:
    """Each study of an analysis whose effect is flagged for a baseline difference now and
    was not in the last build, or the other way round, with why where the key results
    tell: "Kwon et al. (2007), now flagged for arms that differed at baseline (week-0 d =
    0.15, threshold 0.1), as its week-0 values changed (d was 0.05)". The flag puts a
    caveat beside the effect (the summary's "a difference the effect carries"), which came
    or went with no line before.

    ``threshold``: ``effects.baseline_imbalance_smd`` in the last build's settings and in
    this one's (None where not recorded). Studies that came or went are named elsewhere;
    key results from before the flags were kept give nothing: whether the flag changed is
    not known, and is not said to have.
    """
    if not isinstance(before.get("baseline_flags"), Mapping) or not isinstance(now.get("baseline_flags"), Mapping):
        return []
    was_all, now_all = before["baseline_flags"], now["baseline_flags"]
    t_was, t_now = threshold
    notes = []
    for sid in sorted(set(was_all) & set(now_all)):
        was, new = was_all[sid], now_all[sid]
        if bool(was.get("flagged")) == bool(new.get("flagged")):
            continue
        d_was, d_now = was.get("d"), new.get("d")
        said = []
        if d_now is not None:
            said.append(f"week-0 d = {f2(d_now) if d_was is None else _d_pair(d_was, d_now)[1]}")
        if t_now is not None:
            said.append(f"threshold {t_now:g}" if isinstance(t_now, (int, float)) else f"threshold {escape(str(t_now))}")
        why = []
        if d_was is not None and d_now is not None and d_was != d_now:
            why.append(f"its week-0 values changed (d was {_d_pair(d_was, d_now)[0]})")
        elif d_was is None and d_now is not None:
            why.append("its week-0 values are read now (none were before)")
        elif d_was is not None and d_now is None:
            why.append(f"no week-0 values are compared now (d was {f2(d_was)})")
        if t_was is not None and t_now is not None and t_was != t_now:
            why.append(f"the threshold changed (`{BASELINE_THRESHOLD}` was {t_was:g})"
                       if isinstance(t_was, (int, float)) else f"the threshold changed (`{BASELINE_THRESHOLD}`)")
        state = "now flagged" if new.get("flagged") else "no longer flagged"
        notes.append(f"{escape(names.get(sid, sid))}, {state} for arms that differed at baseline"
                     + (f" ({', '.join(said)})" if said else "") + (f", as {' and '.join(why)}" if why else ""))
    return notes


def measure_words(entry: Mapping[str, Any]) -> str:
    """"SMD " before a number of an analysis's key-results entry: the measure it is in, as
    the report prints it beside every effect ("" where key results from before the measure
    was kept give none). A study effect without it read as any other: an MD on 0 to 10
    beside an SMD."""
    return f"{entry['measure']} " if entry.get("measure") else ""


def units_words(entry: Mapping[str, Any]) -> str:
    """" points on the 0 to 10 scale" (or the outcome's unit, " days") after a mean
    difference of an analysis's key-results entry and its interval, as the report prints
    it (:func:`metareview.report.base.md_points`); "" for another measure or where the
    key results kept no units."""
    return f" {escape(entry['units'])}" if entry.get("measure") == "MD" and entry.get("units") else ""


def _same_measure(before: Mapping[str, Any], now: Mapping[str, Any]) -> str:
    """:func:`measure_words` of an analysis whose two builds' key results give the same
    measure; "" where they differ or the earlier kept none (its numbers may be another's)."""
    return measure_words(now) if before.get("measure") == now.get("measure") else ""


def _effect_moves(was: Mapping[str, Any], new: Mapping[str, Any], what: str, units: str = "") -> list[str]:
    """How a study's effect moved as printed ("its effect SMD 0.05 → 0.04", "interval ...
    → ..."), ``units`` after the new number (" points on the 0 to 10 scale"), or nothing
    when both read the same to the digits shown."""
    moved = ([f"{what} {f2(was['effect'])} → {f2(new['effect'])}{units}"]
             if f2(was["effect"]) != f2(new["effect"]) else [])
    if _interval(was) != _interval(new):
        moved.append(f"interval {_interval(was)} → {_interval(new)}")
    return moved


#: The most studies of one analysis whose moved effects What changed names one by one.
STUDY_MOVES_LIMIT = 3


def _study_effect_changes(before: Mapping[str, Any], now: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """What moved in the effects of the studies an analysis of two or more holds, as its
    study table prints them, with the measure ("Kwon et al. (2007), its effect SMD 0.05 →
    0.04, interval ..."; an MD's units after it, :func:`units_words`):
    an edit to one study can leave the pooled estimate the same to two decimals and still
    change the study's row and the forest plot. Studies that came or went are named
    elsewhere; key results from before these were kept give nothing."""
    if "study_effects" not in before:
        return []
    was_all, now_all = before["study_effects"], now.get("study_effects", {})
    notes = []
    for sid in sorted(set(was_all) & set(now_all)):
        was, new = was_all[sid], now_all[sid]
        moved = (_effect_moves(was, new, f"its effect {_same_measure(before, now)}".rstrip(),
                               units_words(now) if _same_measure(before, now) else "")
                 + _timepoint_moved(was, new) + _form_moved(was, new))
        if moved:
            notes.append(f"{escape(names.get(sid, sid))}, " + ", ".join(moved))
    if len(notes) > STUDY_MOVES_LIMIT:
        return [f"the effects of {len(notes)} of its studies moved (see its study table)"]
    return notes


def key_results(ctx: ReportContext) -> dict[str, Any]:
    """The numbers and conclusions a later build compares itself with."""
    out: dict[str, Any] = {"studies": sorted(d["study"]["study_id"] for d in ctx.normalised),
                           "study_labels": dict(_study_labels(ctx)),
                           # Whose identity the team rates low: What changed flags their
                           # effects as the report does ("(study identity low)").
                           "identity_low": sorted(d["study"]["study_id"] for d in ctx.normalised
                                                  if d["study"].get("identity_confidence") == "low"),
                           "analysis_names": analysis_names(ctx),
                           # Each analysis as its heading and the appendices name it.
                           "analysis_titles": {r["analysis"]["id"]: analysis_title(r["analysis"])
                                               for r in ctx.analyses
                                               if all(r["analysis"].get(k) for k in ("intervention_label", "comparator_label",
                                                                                     "outcome_label", "window_label"))},
                           "analyses": {}}
    for r in ctx.analyses:
        p = r["pooled"]
        entry: dict[str, Any] = {"status": r["status"], "k": r["k"], "measure": r["analysis"]["measure"],
                                 "studies": sorted(s["study_id"] for s in r["studies"])}
        # What an MD's numbers are in ("points on the 0 to 10 scale"), for What changed to
        # say beside them, as the report does.
        scale = md_scale(ctx, r["analysis"])
        units = f"points on the {scale} scale" if scale else md_unit(ctx, r["analysis"])
        if units:
            entry["units"] = units
        if p:
            entry.update(_effect_fields(r["analysis"], "estimate", p["estimate"], p))
            # The test and its df, for What changed to say when an interval widened because
            # one trial's normal interval became a 2-study one on t with 1 df.
            entry.update(test=p.get("test"), df=p.get("df"))
            if p.get("equal_effects"):
                # The estimate printed beside such an interval, and what it shows: whether
                # a conclusion that changed with the method still holds without it.
                entry["equal_effects"] = _effect_fields(r["analysis"], "estimate", p["equal_effects"]["estimate"],
                                                        p["equal_effects"])
            if p.get("leave1out") is not None:
                # The studies whose omission alone changes the conclusion (leave-one-out),
                # and those of them whose omission only widens the interval, which the
                # report does not count among the studies the result rests on.
                changed = sensitive_to(r)
                entry["sensitive_to"] = sorted(x["study_id"] for x in changed)
                entry["widened_by"] = sorted(x["study_id"] for x in changed if widened_only(r, x))
        elif r["studies"]:
            entry.update(estimate=None)
            if len(r["studies"]) == 1:
                # Not pooled: the one study's effect, its interval and what they show, as
                # for a pooled estimate, so that an edit or a changed level shows.
                s = r["studies"][0]
                entry.update(_effect_fields(r["analysis"], "study_effect", s["yi"], s), **_timepoint_key(s),
                             **_form_key(s))
                # The kind of value it comes from: another trial standing in for this one
                # with change scores where it gave final values is news beyond the number.
                entry["study_value_type"] = s.get("value_type")
        if r["status"] in ("pooled", "single_study") and r.get("re_expressed"):
            # The SMD in each instrument's points as the report prints it, with the SD it
            # takes: an edited comparator SD moves those points and nothing else.
            entry["re_expressed"] = {ranges(x["instrument_label"]): _points_key(x) for x in r["re_expressed"]}
        # A trial set aside for its value type has its own effect printed beside the
        # analysis (_own_effect_text): an edit that moves it changes the report too.
        entry["set_aside"] = {e["study_id"]: _own_effect_key(r["analysis"], e["own_effect"])
                              for e in r.get("excluded") or [] if e.get("own_effect")}
        # Every study the analysis could take and did not, so that one that left it (its
        # arms now in another node) is told from one still set aside.
        entry["excluded"] = sorted({e["study_id"] for e in r.get("excluded") or []})
        # Why, as the table of trials that could not be used gives it ("timepoint 16 weeks
        # is outside the window of 1 to 12 weeks"): What changed says it beside a trial the
        # analysis has set aside since the last build, which "the table says why" made a
        # reader look up.
        entry["excluded_reasons"] = {e["study_id"]: e["reason"] for e in r.get("excluded") or [] if e.get("reason")}
        if len(r["studies"]) > 1:
            # Each study's effect as the analysis's study table prints it: an edit to one
            # study's numbers can move it while the pooled estimate stays the same to two
            # decimals.
            entry["study_effects"] = {s["study_id"]: {**_own_effect_key(r["analysis"], {**s, "value_type": s.get("value_type")}),
                                                      **_timepoint_key(s), **_form_key(s)}
                                      for s in r["studies"]}
        # Whether each study's effect is flagged for arms that differed at baseline, and
        # the week-0 d the check read (None where it read none): the flag puts a caveat
        # beside the effect in the summary, and What changed says when it came or went
        # and why (the d moved, or the threshold did).
        entry["baseline_flags"] = {s["study_id"]: _baseline_flag_key(s) for s in r["studies"]}
        # The published reviews the analysis shows: one added or gone is news.
        entry["external"] = sorted({e["study_id"] for e in r.get("external") or []})
        c = certainty_of(ctx, r)
        entry.update(certainty=c.level, certainty_status=c.status)
        if r["studies"]:
            # What a team records with its judgements (the certainty table shows them too).
            entry["fingerprints"] = fingerprints(ctx, r)
        judgement = judgement_of(ctx, r["analysis"]["id"])
        if judgement:
            # So that an edited judgement with the same level still shows, and why a
            # judged analysis has no level. Listing the studies in another order is no
            # edit; recording their fingerprints is.
            judged = judgement.get("studies", [])
            judged = judged if isinstance(judged, Mapping) else sorted(judged)
            entry["certainty_judgements"] = _digest({**judgement, "studies": judged})
            # The ratings and the studies apart as well: a study renamed in the raw tables
            # and in `studies` is the same judgement on the same data, which the changes
            # section tells by comparing the studies under their new ids.
            entry["certainty_ratings"] = _digest({k: v for k, v in judgement.items() if k != "studies"})
            entry["certainty_studies"] = judged
            entry["certainty_text"] = describe(c, _study_labels(ctx))
            # The finding as the report words it at this level, for the changes section.
            entry["certainty_statement"] = informative_statement(ctx, r)
        out["analyses"][r["analysis"]["id"]] = entry
    # Trials that enter no analysis: a trial just added that enters none moves nothing,
    # and the next build's changes say so rather than leave only "nothing changed".
    used = {s["study_id"] for r in ctx.analyses for s in r["studies"]}
    out["unused_trials"] = sorted(d["study"]["study_id"] for d in ctx.normalised
                                  if d["study"]["role"] == "trial" and d["study"]["study_id"] not in used)
    # Why, where the analyses it could enter set it aside (its weeks left empty, say): each
    # reason once, as the table of trials that could not be used gives it.
    unused = set(out["unused_trials"])
    why: dict[str, list[str]] = {}
    for r in ctx.analyses:
        for x in r.get("excluded") or []:
            if x["study_id"] in unused and x.get("reason") and x["reason"] not in why.get(x["study_id"], []):
                why.setdefault(x["study_id"], []).append(x["reason"])
    out["unused_reasons"] = why
    out["published"] = published_results(ctx)
    # What the comparison of published reviews with the trials says of each comparator
    # ("differ", or a difference the trials do not show): a published result's flipped
    # bound can make such a statement appear, which no number of the analyses shows.
    from metareview.report.overview import reviews_and_trials_heads  # overview imports this module

    out["reviews_and_trials"] = reviews_and_trials_heads(ctx)
    out["claims"] = {c["claim_id"]: c["verdict"] for c in ctx.claims}
    # Why each verdict: a new study can change the reason and leave the verdict.
    out["claim_reasons"] = {c["claim_id"]: c["reason"] for c in ctx.claims}
    # And what each claims, for What changed to name it by its words, not its id alone.
    out["claim_texts"] = {c["claim_id"]: c["claim"] for c in ctx.claims if c.get("claim")}
    out["indirect"] = {x["id"]: x["status"] for x in ctx.indirect}
    # What each compares, for What changed to name it by, its id after it.
    out["indirect_titles"] = {x["id"]: _indirect_title(ctx, x) for x in ctx.indirect}
    # What the report says of each: its estimates through each common comparator (as
    # printed: ratios, not their logs), and in words why there is none.
    out["indirect_results"] = {x["id"]: _indirect_key(ctx, x) for x in ctx.indirect}
    # The choices the numbers depend on, so that a later build can say which changed.
    out["settings"] = config_settings(ctx.config)
    # Which build these are, for the next one's "What changed" to say what it compares with.
    if ctx.code:
        # A build from other code can print the same numbers: What changed says which
        # steps' code changed, lest "nothing changed" be read as "the same code".
        out["code"] = {step: dict(files) for step, files in sorted(ctx.code.items())}
    out["built"] = {"date": ctx.provenance.get("build_date"), "commit": ctx.provenance.get("git_commit")}
    # Each study's overall risk-of-bias judgement, where recorded: What changed says one
    # recorded for a study added, and one that changed, beside the estimates it enters.
    out["risk_of_bias"] = {sid: judged for sid in sorted(d["study"]["study_id"] for d in ctx.normalised)
                           if (judged := _overall_risk_of_bias(ctx, sid))}
    out["study_data"] = study_digests(ctx.raw_tables)
    out["shared_data"] = shared_digests(ctx.raw_tables)
    out["raw_cells"] = kept_cells(ctx.raw_tables, ctx.raw_row_numbers, ctx.raw_texts)
    # Said again at the end of the build (rules/common.smk), the new ones in full; each
    # by what its rows are, not where they stand, so that rows re-sorted raise none anew.
    identities = row_identities(ctx.raw_tables)
    out["warnings"] = {stable_warning_key(key, identities): f"{label}: {text}"
                       for label, text, key in consistency_warnings(ctx)}
    return out


def _indirect_title(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """An indirect comparison by what it compares, as the summary names it: "Indirect
    comparison of dry needling and acupuncture on pain intensity, short term"."""
    names = _names(ctx)
    where = ", ".join(_in_sentence(str(ctx.labels.get(x[k], x[k]))) if k == "outcome"
                      else _window_name({"label": ctx.labels.get(x[k], x[k])}).lower()
                      for k in ("outcome", "window") if x.get(k))
    return (f"Indirect comparison of {_in_sentence(x['treatment_a_label'], names)} and "
            f"{_in_sentence(x['treatment_b_label'], names)}" + (f" on {where}" if where else ""))


def _indirect_key(ctx: ReportContext, x: Mapping[str, Any]) -> dict[str, Any]:
    """An indirect comparison in the key results: its measure and level, the two
    treatments, each anchored estimate with its interval on the printed scale, and the
    words that explain it, with the other measures on which the two share a common
    comparator (``common_on``).

    Each estimate also keeps what its interval shows (``significant``: it lies wholly on
    one side of no difference), the treatment whose side its point estimate lies on
    (``favoured``; None at no difference) and each side's source (``sides``,
    :func:`_indirect_side_key`): What changed flags an interval that came to exclude no
    difference, or a side that changed, as it does an analysis's, and says when a side
    pooled before and one trial now (or the other way) is what moved the interval.
    """
    log = x.get("scale") == "log"
    side = indirect_sides(ctx, x)
    estimates = []
    for a in x["anchored"]:
        favoured = None if a["estimate"] == 0 else side[
            "intervention_label" if favours_intervention(side, a["estimate"]) else "comparator_label"]
        estimates.append({"through": a["comparator_label"], "estimate": _ix(a, "estimate", log),
                          "ci_lb": _ix(a, "ci_lb", log), "ci_ub": _ix(a, "ci_ub", log),
                          "significant": excludes_no_effect(a), "favoured": favoured,
                          "sides": {"a": _indirect_side_key(ctx, a["a_vs_c"], a["comparator"], x["treatment_a"]),
                                    "b": _indirect_side_key(ctx, a["b_vs_c"], a["comparator"], x["treatment_b"])}})
    return {"measure": x["measure"], "level": x["level"], "detail": x["detail"],
            "treatment_a_label": x["treatment_a_label"], "treatment_b_label": x["treatment_b_label"],
            # The other measures whose analyses share a common comparator: What changed's
            # status words say so, as the explanation after them does.
            "common_on": [m["measure"] for m in x.get("other_measures") or [] if m.get("common")],
            "estimates": estimates}


def indirect_sides(ctx: ReportContext, x: Mapping[str, Any]) -> dict[str, Any]:
    """An indirect comparison read as an analysis of its first treatment against its
    second: their labels, and the side of no difference that favours the first, as the
    analyses of the same outcome and measure have it (lower is better on every common
    scale; a ratio of beneficial events above 1), as the summary reads it."""
    same = [r["analysis"] for r in ctx.analyses
            if r["analysis"].get("outcome") == x["outcome"] and r["analysis"].get("measure") == x["measure"]]
    return {"intervention_label": x["treatment_a_label"], "comparator_label": x["treatment_b_label"],
            "favours_intervention_when": (same[0].get("favours_intervention_when", "below") if same
                                          else "above" if x.get("scale") == "log" else "below")}


def _indirect_side_key(ctx: ReportContext, side: Mapping[str, Any], comparator: str, treatment: str) -> dict[str, Any]:
    """One side of an anchored comparison in the key results: how many studies it comes
    from (``k``) and, pooled, the test its interval came from (``test``: ``z``, ``t``,
    ``knha`` or ``adhoc``), whose width Bucher's variance keeps
    (:func:`metareview.indirect._pooled_variance`): a side of two studies under
    Hartung-Knapp has an interval on t with 1 df, 12.71 against a single trial's 1.96.

    The test is the refit's where the side was refitted without a trial of all three,
    else that of the analysis that pooled the same studies of the same two treatments,
    else ``methods.test``."""
    ids = sorted(side.get("study_ids") or [])
    out: dict[str, Any] = {"k": len(ids)}
    if len(ids) < 2:
        return out
    if side.get("refit"):
        out["test"] = side["refit"].get("test")
        return out
    pooled = next((r["pooled"] for r in ctx.analyses
                   if r.get("pooled") and {r["analysis"]["intervention"], r["analysis"]["comparator"]} == {treatment, comparator}
                   and sorted(s.get("study_id", s.get("label")) for s in r["studies"]) == ids), None)
    out["test"] = (pooled or {}).get("test") or (ctx.config.get("methods") or {}).get("test")
    return out


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def shared_digests(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, str]:
    """A digest of each raw table whose rows belong to no one study, by file name.

    Treatments, instruments, sources, claims: a changed range or label there moves the
    effects of every study that uses it, while no study's own rows change.
    """
    return {f"{name}.csv": _digest(rows) for name, rows in sorted(tables.items())
            if rows and not any("study_id" in row for row in rows)}


def study_digests(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, dict[str, str]]:
    """A digest of each study's raw rows in each table with a ``study_id``, by study and file.

    The values only, in file order: a row added, edited or removed changes its study's
    digest for that file, rows of other studies inserted around it do not. Per file, so
    that the next report can say where a study's rows changed (``arm_outcomes.csv``).
    """
    rows: dict[str, dict[str, list[Any]]] = {}
    for name in sorted(tables):
        for row in tables[name]:
            study = row.get("study_id")
            if study is not None:
                rows.setdefault(study, {}).setdefault(f"{name}.csv", []).append(row)
    return {study: {file: _digest(data) for file, data in sorted(files.items())}
            for study, files in sorted(rows.items())}


def kept_tables(cells: Any) -> dict[str, list[dict[str, Any]]] | None:
    """The study tables' rows a build kept (:func:`kept_cells`), each as ``{column:
    value}``, a study's rows in their order in the file; None for a build that kept none.

    Studies follow one another, not as the file mixed them: a row's place among its
    study's rows, all that :func:`metareview.checks.row_identities` reads, is kept.
    """
    if not isinstance(cells, Mapping) or not isinstance(cells.get("studies"), Mapping):
        return None
    columns = cells.get("columns") or {}
    tables: dict[str, list[dict[str, Any]]] = {}
    for sid, files in cells["studies"].items():
        # A build's own file, read as it is: what is not shaped as kept_cells keeps is
        # left out, rather than stop the build that compares with it.
        for file, rows in (files.items() if isinstance(files, Mapping) else ()):
            table = tables.setdefault(str(file).removesuffix(".csv"), [])
            table.extend({**dict(zip(columns.get(file, []), row[1:], strict=False)), "study_id": sid}
                         for row in rows if isinstance(row, list))
    return tables


def comparable_warnings(build: Mapping[str, Any]) -> dict[str, Any] | None:
    """A build's key results' ``warnings`` keyed as this build keys them (by what each
    row is, :func:`metareview.checks.stable_warning_key`); None when they cannot be.

    A build from before keyed a warning by its row's place among its study's rows
    (``contrasts.csv:Furlan2005#2``): its own rows, kept in its key results
    (:func:`kept_tables`), say which row that was. A build that kept no rows cannot say:
    matched by place, a row re-sorted since would read as a warning settled and another
    raised, which neither is. A reference to a row the build did not keep is left as it
    is.
    """
    warnings = build.get("warnings")
    if not isinstance(warnings, Mapping):
        return None
    if not placed_warning_keys(warnings):
        return dict(warnings)
    tables = kept_tables(build.get("raw_cells"))
    if tables is None:
        return None
    identities = row_identities(tables)
    return {stable_warning_key(key, identities): text for key, text in warnings.items()}


def recorded_results(keys: Mapping[str, Any] | None) -> dict[str, Any]:
    """A build's key results without the build that recorded them (``built``: its date
    and source commit), or {} for none: what two builds are compared by.

    A build from the same sources committed, or from a template edited, names another
    build and changes no result: its report has nothing new to announce, though the
    next report is compared with it by name.

    >>> recorded_results({"analyses": {"a": 1}, "built": {"date": "2026-11-30", "commit": "481a7c8"}})
    {'analyses': {'a': 1}}
    >>> recorded_results(None)
    {}
    """
    return {k: v for k, v in (keys or {}).items() if k != "built"}


def compared_warnings(previous: Mapping[str, Any],
                      current: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The ``warnings`` of two builds' key results, keyed alike so that a key in both is
    one warning (:func:`comparable_warnings`); None when they cannot be compared.

    Where either build raised none there is nothing to match: every warning of the other
    is new, or settled. Two builds that both keyed theirs by place and kept no rows are
    compared as they are, alike; one of them alone so keyed cannot be compared with the
    other, and nothing is said of which warning is new.
    """
    was, now = previous.get("warnings"), current.get("warnings") or {}
    if not isinstance(was, Mapping) or not isinstance(now, Mapping):
        return None
    if not was or not now:
        return dict(was), dict(now)
    was_keyed, now_keyed = comparable_warnings(previous), comparable_warnings(current)
    if was_keyed is not None and now_keyed is not None:
        return was_keyed, now_keyed
    if was_keyed is None and now_keyed is None:
        return dict(was), dict(now)
    return None


def kept_cells(tables: Mapping[str, Sequence[Mapping[str, Any]]],
               row_numbers: Mapping[str, Sequence[int]],
               texts: Mapping[str, Sequence[Mapping[str, str]]] | None = None) -> dict[str, Any]:
    """Every raw cell, kept so that the next build can say which cells changed.

    ``{"columns": {file: [column, ...]}, "studies": {study: {file: [[row, value, ...],
    ...]}}, "shared": {file: [[row, value, ...], ...]}}``: each row is its spreadsheet row
    number (header = 1; 0 where unknown) and its values in column order (``None`` for an
    empty cell), grouped by study for the tables with a ``study_id`` (as
    :func:`study_digests`) and by file for the others (as :func:`shared_digests`). The
    columns are every column any row of the table fills, in the file's order
    (:func:`_column_order`): a row holds only the cells that are filled.

    With ``texts`` (each row's number cells as typed, :attr:`metareview.rawdata.Row.text`),
    also ``"typed": {"studies": {study: {file: [{column: text}, ...]}}, "shared": {file:
    [...]}}``, one mapping beside each row of the same group: the number cells whose text
    is not the value as :func:`_value_text` prints it ("4.0", "0.90"), so that the changes
    section quotes them as the CSV has them. The values alone are compared, and a build
    that kept no texts is quoted by its values.
    """
    columns: dict[str, list[str]] = {}
    studies: dict[str, dict[str, list[list[Any]]]] = {}
    shared: dict[str, list[list[Any]]] = {}
    typed_studies: dict[str, dict[str, list[dict[str, str]]]] = {}
    typed_shared: dict[str, list[dict[str, str]]] = {}
    for name in sorted(tables):
        rows = tables[name]
        if not rows:
            continue
        file = f"{name}.csv"
        columns[file] = _column_order(rows)
        numbers = list(row_numbers.get(name, ()))
        row_texts = list((texts or {}).get(name, ()))
        for i, row in enumerate(rows):
            kept = [numbers[i] if i < len(numbers) else 0, *(row.get(c) for c in columns[file])]
            as_typed = {c: t for c, t in (row_texts[i] if i < len(row_texts) else {}).items()
                        if c in row and t != _value_text(row[c])}
            if "study_id" in row:
                studies.setdefault(row["study_id"], {}).setdefault(file, []).append(kept)
                typed_studies.setdefault(row["study_id"], {}).setdefault(file, []).append(as_typed)
            else:
                shared.setdefault(file, []).append(kept)
                typed_shared.setdefault(file, []).append(as_typed)
    out: dict[str, Any] = {"columns": columns, "studies": dict(sorted(studies.items())), "shared": shared}
    if texts is not None:
        out["typed"] = {"studies": dict(sorted(typed_studies.items())), "shared": typed_shared}
    return out


def _column_order(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every column the rows fill, in the file's order.

    Each row holds its filled cells in the header's order; a column first met in a later
    row goes after the column before it in that row.
    """
    order: list[str] = []
    known: set[str] = set()
    for row in rows:
        if known.issuperset(row):  # most rows: nothing new
            continue
        known.update(row)
        previous = None
        for column in row:
            if column not in order:
                order.insert(order.index(previous) + 1 if previous is not None else 0, column)
            previous = column
    return order


def _value_text(value: Any) -> str:
    """A cell's value as text: numbers without a float's ``.0`` or exponent (26, 0.00001)."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isfinite(value):
        import decimal

        text = format(decimal.Decimal(repr(value)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


#: Config sections whose every value the changes section compares with the last build's:
#: those the numbers depend on, and those that shape the report (any config edit reruns
#: it, and a reader should learn why it was rebuilt).
SETTINGS_COMPARED = ("methods", "effects", "windows", "outcomes", "nodes", "review", "report")


def config_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The config's choices the numbers depend on, by dotted key (``"methods.test"``,
    ``"analyses.<id>.measure"``), as the key results keep them for the next build's What
    changed (and the dry run) to say which changed: the sections of
    :data:`SETTINGS_COMPARED`, and each analysis and indirect comparison by its id (the
    list's order is no setting), an analysis's GRADE judgements aside (compared as the
    certainty they conclude)."""
    settings: dict[str, Any] = {}
    for section in SETTINGS_COMPARED:
        if section in config:
            settings.update(_flat(section, config[section]))
    for a in config.get("analyses", []):
        settings.update(_flat(f"analyses.{a['id']}", {k: v for k, v in a.items() if k not in ("id", "certainty")}))
    for x in config.get("indirect", []):
        settings.update(_flat(f"indirect.{x['id']}", {k: v for k, v in x.items() if k != "id"}))
    return settings


def setting_change(key: str, was: Any, now: Any, width: int = 40) -> str:
    """A setting of :func:`config_settings` that changed, as the dry run says it: a list
    by what left it and what joined it, and any other value as before and after, each
    given in JSON, cut to about ``width`` characters around where the two differ.

    Both sides cut at the same ``width`` characters from their start showed no difference
    at all where the change was further on (a code moved out of a node's list of five, a
    window's label with its target changed).

    >>> setting_change("methods.test", "adhoc", "knha")
    'methods.test "adhoc" → "knha"'
    >>> setting_change("nodes.sham.treatments", ["sham", "minimal", "placebo_tens"], ["sham", "minimal"])
    'nodes.sham.treatments "placebo_tens" removed'
    >>> setting_change("nodes.sham.treatments", ["sham", "minimal"], ["minimal", "sham"])
    'nodes.sham.treatments: the same entries, in another order or repeated otherwise'
    >>> setting_change("windows.short_term.label", "Short term (1 to 12 weeks, nearest to 6 weeks)",
    ...                "Short term (1 to 12 weeks, nearest to 8 weeks)")
    'windows.short_term.label "…weeks, nearest to 6 weeks)" → "…weeks, nearest to 8 weeks)"'
    >>> setting_change("methods.small_study_min", None, 10)
    'methods.small_study_min not set → 10'
    """
    def text(x: Any) -> str:
        return "not set" if x is None else json.dumps(x, ensure_ascii=False)

    def cut(x: str, start: int = 0) -> str:
        # From ``start`` (a few characters before the first difference), marked as cut.
        shown = x[start:start + width - 1] + "…" if len(x) - start > width else x[start:]
        return f'"…{shown}' if start and x.startswith('"') else ("…" + shown if start else shown)

    if isinstance(was, list) and isinstance(now, list):
        gone = [x for x in was if x not in now]
        came = [x for x in now if x not in was]
        if not gone and not came:
            return f"{key}: the same entries, in another order or repeated otherwise"
        return f"{key} " + "; ".join([f"{cut(text(x))} removed" for x in gone] + [f"{cut(text(x))} added" for x in came])
    before, after = text(was), text(now)
    if len(before) <= width and len(after) <= width:
        return f"{key} {before} → {after}"
    same = 0
    while same < min(len(before), len(after)) and before[same] == after[same]:
        same += 1
    # The difference within the first part shown, with some of what precedes it from the
    # start of a word: "…2 weeks, nearest to 6" would read as a label of 2 weeks.
    start = max(0, same - width // 2)
    if start:
        space = before.find(" ", start, same)
        start = space + 1 if space >= 0 else start
    return f"{key} {cut(before, start)} → {cut(after, start)}"


def _flat(prefix: str, value: Any) -> dict[str, Any]:
    """``{"methods.method": "REML", ...}``: nested mappings flattened to dotted keys."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flat(f"{prefix}.{key}", item))
        return out
    return {prefix: value}


def _interval(entry: Mapping[str, Any]) -> str:
    return f"{f2(entry.get('ci_lb_exp', entry['ci_lb']))} to {f2(entry.get('ci_ub_exp', entry['ci_ub']))}"


def _ref_text(ctx: ReportContext, ref: str) -> str:
    file, row = ctx.raw_rows.get(ref, (ref, None))
    return f"{file} row {row}" if row else ref


def analysis_names(ctx: ReportContext) -> dict[str, str]:
    """Each analysis by its treatments and outcome, e.g. "Acupuncture vs Usual care (pain intensity)".

    Readers know analyses by what they compare, not by their config ids. Two analyses
    of the same comparison and outcome (other windows or measures, say) add the window,
    then the measure, and as a last resort the id, so each name stays unique.
    """
    def base(a: Mapping[str, Any], *extra: str) -> str:
        # Inside the name's brackets, the outcome's and a full window label's own as commas
        # (in_brackets): "(pain (vas))" nested them.
        inside = [in_brackets(x) for x in (_in_sentence(a['outcome_label']), *extra)]
        return f"{a['intervention_label']} vs {a['comparator_label']} ({', '.join(inside)})"

    def window(a: Mapping[str, Any]) -> str:
        # The window by its name, as the section headings give it ("short term"): its full
        # label, "Short term (1 to 12 weeks, nearest to 12 weeks)", put brackets inside
        # the name's own, which every table and sentence naming the analysis repeated.
        return _in_sentence(a["window_label"].split("(")[0].strip() or a["window_label"])

    analyses = [r["analysis"] for r in ctx.analyses]
    # The name where it tells the window from the others, else the full label (two windows
    # "Short term (1 to 6 weeks)" and "Short term (1 to 12 weeks)"); with the measure after
    # it too, where two analyses of one window differ only in that.
    labels_of: dict[str, set[str]] = {}
    for a in analyses:
        labels_of.setdefault(window(a), set()).add(a["window_label"])

    def when(a: Mapping[str, Any]) -> str:
        return window(a) if len(labels_of[window(a)]) == 1 else _in_sentence(a["window_label"])

    names = {a["id"]: base(a) for a in analyses}
    for extra in (lambda a: [when(a)], lambda a: [when(a), a["measure"]],
                  lambda a: [when(a), a["measure"], a["id"]]):
        counts = Counter(names.values())
        names = {a["id"]: base(a, *extra(a)) if counts[names[a["id"]]] > 1 else names[a["id"]] for a in analyses}
    return names


def analysis_title(analysis: Mapping[str, Any]) -> str:
    """An analysis's title as its Results section heading gives it (plain text, unescaped):
    "Acupuncture vs Sham: pain intensity, short term"."""
    return (f"{analysis['intervention_label']} vs {analysis['comparator_label']}: "
            f"{_in_sentence(analysis['outcome_label'])}, {_in_sentence(analysis['window_label'].split('(')[0].strip())}")


def _window_name(window: Mapping[str, Any]) -> str:
    """A time window's label without the weeks it gives in brackets: "Short term"."""
    return str(window["label"]).split(" (")[0].strip()


def consistency_warnings(ctx: ReportContext, *, quotes: tuple[str, str] = ("'", "'")) -> list[tuple[str, str, str]]:
    """``(study label, warning, key)`` for each consistency warning raised on a study's raw
    rows (each also in its study's log), then for each arm coded as a sham or control whose
    description names an active treatment (:func:`metareview.checks.sham_arms_named_active`,
    under its study), then for each arm with results whose treatment no node includes
    (:func:`metareview.checks.arms_in_no_node`, under its study), then for each cell of any table that lost a character to an encoding
    (:func:`metareview.checks.lost_characters`) or that a spreadsheet converted
    (:func:`metareview.checks.spreadsheet_conversions`), under its study or what its row is,
    :func:`metareview.checks.warning_subject`), then for each row of ``sources.csv`` no other
    table cites (:func:`metareview.checks.uncited_sources`, under "Source document" and
    its ``source_id``), then for
    each result that two studies print alike (:func:`metareview.checks.repeated_results`)
    and each set of arm-level results two studies give alike
    (:func:`metareview.checks.repeated_arm_values`); plain text, by study, the cell named within ``quotes``
    (:func:`metareview.checks.format_warning`); then each GRADE rating of not serious that
    the report's own facts question (:func:`grade_flag_warnings`, under its analysis). Last,
    under "Codebook", the context's
    :attr:`ReportContext.codebook_note`, when the raw tables' codebook is stale.

    ``key`` names the warning by its check, cell and row reference
    (``contrasts.csv:Study#2``: the study's second row of the table), not by spreadsheet
    row nor message: the audit trail finds the rows by it. The key results keep it with
    each row named by what the row is (:func:`metareview.checks.stable_warning_key`), so
    that neither a row added, edited or moved elsewhere, nor the study's rows re-sorted,
    makes it another warning. Nor does a column moved in the spreadsheet, which changes
    only the letter the warning gives it ("column 'sd' (K)"), nor a build from before
    warnings gave letters: their keys are the same.
    """
    from metareview.checks import (
        arms_in_no_node,
        format_warning,
        lost_characters,
        repeated_arm_values,
        repeated_results,
        sham_arms_named_active,
        spreadsheet_conversions,
        uncited_sources,
        warning_subject,
    )
    from metareview.claims import repeated_across_comparisons

    rows = []
    for doc in sorted(ctx.normalised, key=lambda d: d["study"]["study_id"]):
        for w in doc.get("warnings", []):
            rows.append((doc["study"]["label"],
                         format_warning(w, ctx.raw_rows, quotes=quotes, headers=ctx.raw_headers),
                         warning_key(w)))
    # An arm's code against its description needs every active treatment's label, which a
    # study's job does not see: checked here, across the tables, under the arm's study.
    labels = {str(s.get("study_id")): str(s.get("label") or s.get("study_id"))
              for s in ctx.raw_tables.get("studies", [])}
    labels.update({doc["study"]["study_id"]: doc["study"]["label"] for doc in ctx.normalised})
    # So is a character an encoding lost, in a cell of any table: under the row's study,
    # or what the row is ("Source document ...", "Claim ...").
    # So is an arm with results whose treatment no node of the config includes.
    for w in [*sham_arms_named_active(ctx.raw_tables), *arms_in_no_node(ctx.raw_tables, ctx.config.get("nodes")),
              *lost_characters(ctx.raw_tables), *spreadsheet_conversions(ctx.raw_tables)]:
        rows.append((warning_subject(w["ref"], labels),
                     format_warning(w, ctx.raw_rows, quotes=quotes, headers=ctx.raw_headers),
                     warning_key(w)))
    # Rows of sources.csv belong to no study: checked here, across all the tables.
    source_rows = {f"sources.csv:{r.get('source_id')}": ("sources.csv", n)
                   for r, n in zip(ctx.raw_tables.get("sources", []), ctx.raw_row_numbers.get("sources", []),
                                   strict=False)}
    for w in uncited_sources(ctx.raw_tables):
        # Named by the document it is about, as a study's warning is by its study: a bare
        # "Sources" named none, in a column of studies, and What changed read "Sources:
        # sources.csv, row 25".
        source_id = w["ref"].partition(":")[2]
        rows.append((f"Source document {source_id}", format_warning(w, source_rows, quotes=quotes, headers=ctx.raw_headers),
                     warning_key(w)))
    # Alike numbers of different comparisons or outcomes (a usual-care disability result
    # beside two sham pain results) are unlikely to be one review repeating another's: a
    # row read from the wrong table is likelier, and the warning says so. The same test
    # keeps those rows out of the tallies of reviews (metareview.claims.misread_refs).
    misread = [sorted(ref for _, ref in group) for group in repeated_across_comparisons(ctx.normalised)]
    for group in repeated_results(ctx.normalised):
        where = "; ".join(f"{label} ({_ref_text(ctx, ref)})" for label, ref in group)
        apart = sorted(ref for _, ref in group) in misread
        rows.append(("; ".join(label for label, _ in group),
                     (f"the same estimate and confidence bounds in {len(group)} studies: {where}; "
                      + ("they are results of different comparisons or outcomes, which one review repeating "
                         "another's would not explain: check each row in its own source (a row read from the wrong "
                         "table?); until then, no tally of reviews counts them"
                         if apart else
                         "check that each row was read in its own source (one review may also repeat another's "
                         "result)")),
                     "repeated " + " ".join(ref for _, ref in group)))
    for group in repeated_arm_values(ctx.normalised):
        where = "; ".join(f"{label} ({_ref_text(ctx, ref)})" for label, ref in group)
        rows.append(("; ".join(label for label, _ in group),
                     (f"the same numbers for every arm at one timepoint in {len(group)} studies: {where}; one trial "
                      "entered twice (under two ids, or from two reports of it) counts twice in every analysis it "
                      "enters: keep one, or check that each row was read in its own source"),
                     "repeated_arms " + " ".join(ref for _, ref in group)))
    rows.extend(grade_flag_warnings(ctx))
    if ctx.codebook_note:
        # Of the tables' documentation, not of a study: last, under the codebook's name.
        rows.append(("Codebook", ctx.codebook_note, "stale_codebook"))
    return rows


def grade_flag_warnings(ctx: ReportContext) -> list[tuple[str, str, str]]:
    """``(analysis name, warning, key)`` for each domain a team rates not serious while the
    report's own facts point the other way (:func:`metareview.report.base.rating_flags`),
    by analysis in the config's order: "imprecision rated not serious (GRADE), but the
    report finds the interval too wide to inform (...): the rating is the team's to confirm
    or revise".

    Listed with the checks of the raw numbers, as they are of the same kind: the report
    holds two things that cannot both be right, and only the team can say which. Printed
    beside the rating only, in a table far from the summary, it was easy to miss.
    """
    names = analysis_names(ctx)
    rows = []
    for r in ctx.analyses:
        aid = r["analysis"]["id"]
        for domain, facts in rating_flags(ctx, r).items():
            text = (f"{DOMAIN_TEXT[domain]} rated not serious (GRADE), but {'; and '.join(facts)}: the rating is "
                    "the team\u2019s to confirm or revise")
            rows.append((names[aid], text, f"{GRADE_FLAG} {aid} {domain}"))
    return rows


def sensitive_to(r: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The leave-one-out refits of a pooled analysis that change its conclusion: whether
    the interval lies wholly on one side of no difference, or on which side; [] without
    refits."""
    p = r.get("pooled") or {}
    a = r["analysis"]
    whole = bool(p) and excludes_no_effect(p)
    side = bool(p) and favours_intervention(a, p["estimate"])
    return [x for x in p.get("leave1out") or []
            if excludes_no_effect(x) != whole or (whole and favours_intervention(a, x["estimate"]) != side)]


def widened_only(r: Mapping[str, Any], x: Mapping[str, Any]) -> bool:
    """Whether a leave-one-out refit ``x`` of :func:`sensitive_to` changes the conclusion
    only through its width: the pooled interval lies on one side of no difference, the
    refit's does not, yet its estimate lies on the same side at least as far from it.

    Such a refit loses a study, not an influence: fewer studies widen the interval (on t,
    fewer degrees of freedom too), and the study left out was nearer no difference than
    the rest. Named as "sensitive to leaving out" it, it read as one of the trials the
    result rests on.
    """
    p = r.get("pooled") or {}
    a = r["analysis"]
    return (bool(p) and excludes_no_effect(p) and not excludes_no_effect(x)
            and favours_intervention(a, x["estimate"]) == favours_intervention(a, p["estimate"])
            and abs(x["estimate"]) >= abs(p["estimate"]))


def _ix(entry: Mapping[str, Any], key: str, log: bool) -> float | None:
    """``entry[key]``, exponentiated when the comparison is of log ratios."""
    value = entry.get(key)
    if not log or value is None:
        return value
    return entry.get(f"{key}_exp", math.exp(value))


def arm_text(arm: Mapping[str, Any]) -> str:
    """An arm as its treatment's label, with its co-intervention: "Dry needling + exercise"."""
    co = arm.get("cointervention")
    return arm["treatment_label"] + (f" + {co.replace('_', ' ')}" if co not in (None, "none") else "")


def arm_names(arms: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each arm's name in a study: :func:`arm_text`, unless another arm has the same.

    Arms alike in treatment and co-intervention (individualised and standardised
    acupuncture, two kinds of sham) are named by their descriptions' first clause (the
    part before any ";"), where they have descriptions that tell them apart; else by the
    treatment and the arm's id in the raw table, "Pilates (arm pil_low)": two arms named
    alike read as one arm listed twice ("Pilates, Pilates").
    """
    texts = {a["arm_id"]: arm_text(a) for a in arms}
    counts = Counter(texts.values())
    names = dict(texts)
    for text in (t for t, n in counts.items() if n > 1):
        alike = [a for a in arms if texts[a["arm_id"]] == text]
        described = {a["arm_id"]: (a.get("description") or "").split(";")[0].strip() for a in alike}
        if all(described.values()) and len(set(described.values())) == len(alike):
            names.update(described)
        else:
            names.update({a["arm_id"]: f"{text} (arm {a['arm_id']})" for a in alike})
    return names


def _external_favours(ctx: ReportContext, names: Mapping[str, str], c: Mapping[str, Any]) -> str:
    """Which arm a published result favours, read with the source's sign convention.

    The table shows each estimate with the sign its source gives it (Manheimer 2005's
    "SMD 0.54" favours acupuncture, Mu 2020's "MD 9.78" on a higher-is-better scale too),
    so a reader needs the arm it favours spelt out: from the normalised result (arm1
    minus arm2, lower is better: negative favours arm1), the arm whose side the interval
    lies on, "neither" when it includes no difference, the side of the estimate alone when
    no interval is given, and the favoured arm a p-value-only result names. For a ratio,
    which side is better follows whether the outcome's events are beneficial, as the
    review's analyses of that outcome declare it.
    """
    arm1, arm2 = names[c["arm1"]], names[c["arm2"]]
    if c["measure"] == "p_only":
        return {"arm1": f"{arm1} (p-value only)", "arm2": f"{arm2} (p-value only)",
                "neither": "neither"}.get(c.get("favours") or "", "not stated")
    est, lb, ub = c.get("estimate"), c.get("ci_lb"), c.get("ci_ub")
    if est is None:
        return "not stated"
    arm1_side = -1.0
    # A ratio is arm1 over arm2 as reported, and so is a risk difference given as a
    # subtraction; one given as favouring an arm was turned so that negative favours arm1.
    by_events = c["measure"] in ("RR", "OR") or (
        c["measure"] == "RD" and c["reported"].get("sign_convention") in ("arm1_minus_arm2", "arm2_minus_arm1"))
    if by_events:
        events = {a.get("events", "beneficial") for a in ctx.config.get("analyses", []) if a["outcome"] == c["outcome"]
                  and a["measure"] in ("RR", "OR", "RD")}
        if len(events) != 1:
            return "depends on whether the events are beneficial"
        arm1_side = 1.0 if events == {"beneficial"} else -1.0
    if lb is not None and ub is not None:
        if lb <= 0 <= ub:
            return "neither (CI compatible with no difference)"
        return arm1 if (lb > 0) == (arm1_side > 0) else arm2
    if est == 0:
        return "neither"
    return f"{arm1 if (est > 0) == (arm1_side > 0) else arm2} (no interval given)"


def _external_estimate(c: Mapping[str, Any], labelled: bool = False) -> str:
    """A published result as the rest of the report shows it (the analyses' external-evidence lines).

    A difference is normalised: below 0 favours the first-named treatment, and an MD on
    an instrument of known range is on the outcome's common scale. A ratio is shown as a
    ratio. A result whose direction the source leaves open is not used, and says so.
    ``labelled``: the interval with its level as the source states it (:func:`_external_value`).
    """
    if c["measure"] == "p_only":
        return "–"
    if c.get("estimate") is None:
        return "direction not stated: not used" if c["reported"]["estimate"] is not None else "–"
    values = [c["estimate"], c.get("ci_lb"), c.get("ci_ub")]
    if c["measure"] in ("RR", "OR"):  # logs in the normalised result
        values = [None if v is None else math.exp(v) for v in values]
    complete = values[1] is not None and values[2] is not None
    return _external_value({"measure": MEASURE_NAMES.get(c["measure"], c["measure"]), "estimate": values[0],
                            "ci_lb": values[1] if complete else None, "ci_ub": values[2],
                            **({"ci_level": c["reported"].get("ci_level")} if labelled else {})})


def published_results(ctx: ReportContext) -> dict[str, dict[str, str]]:
    """Each published meta-analysis' result as the table of published meta-analyses gives
    it (its estimate on the report's scale and the arm it favours), by its raw row's
    reference, for What changed to compare with the next build."""
    out = {}
    for doc in ctx.normalised:
        if doc["study"]["role"] != "external":
            continue
        names = arm_names(doc["arms"])
        for c in doc["contrasts"]:
            out[c["ref"]] = {"study_id": doc["study"]["study_id"], "row": _ref_text(ctx, c["ref"]),
                             "estimate": _external_estimate(c), "favours": _external_favours(ctx, names, c)}
    return out


#: A count of weeks in a timepoint's words, either way round: "8 weeks", "six-week", "wk 6".
#: A count is digits or a number in words as the label check reads them
#: (:data:`metareview.checks.COUNT`), not a part of a larger one ("0.8", "thirty-six",
#: "often").
_WEEKS_IN_WORDS = re.compile(rf"(?<![\w.])(?<![a-z]-){COUNT}\s*-?\s*(?:weeks?|wks?|w)\b"
                             rf"|\b(?:weeks?|wks?)\s*{COUNT}(?![\w.])", re.IGNORECASE)


def _timepoint_text(s: Mapping[str, Any]) -> str:
    """", week 12", with the source's own words when they do not give that number:
    ", week 12 (“1-month assessment after the 8-week course”)", or the words alone for a
    timepoint placed by a window's terms. A reader can then check a timepoint converted
    from months, or from a course's length, against the window."""
    weeks = s.get("timepoint_weeks")
    label = (s.get("timepoint_label") or "").strip()
    if weeks is None:
        # In the window by its words alone (the window's terms): the words, for the reader
        # to judge.
        said = "" if "not stated" in label.lower() else " (no weeks given)"
        return f", at \u201c{label}\u201d{said}" if label else ""
    # The words give the same number of weeks: "8 weeks", "8-week", "6 wks", "week 8", and
    # in words as the label check reads them, "six weeks", "twelve-week".
    in_weeks = any(count_value(m.group(1) or m.group(2)) == float(weeks)
                   for m in _WEEKS_IN_WORDS.finditer(label))
    said = "" if not label or in_weeks else f" (“{label}”)"
    # A no-break space: a narrow column broke "week" above "8".
    return f", week\u00a0{format(float(weeks), 'g')}{said}"
