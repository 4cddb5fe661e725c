"""Pool one analysis: choose each study's effect, fit the random-effects model, say why not.

The statistics come from :func:`metareview.pool.rma` (metafor's ``rma.uni``) and nothing
else. This module decides *what* is pooled:

* only trials are pooled; published meta-analyses are carried along as external evidence;
* SMDs of final values and of change scores are never mixed: the analysis uses the value
  type most studies report (final values on ties, change scores when a study offering
  both has final values that differed at baseline) and lists the others as excluded; a
  reported between-group d whose value type the source does not state is accepted and
  flagged;
* mean differences may combine final values and change scores (Cochrane Handbook
  10.5.2), flagged;
* comparators the sources do not name are never assumed to be the same treatment, so such
  analyses show their studies but pool nothing;
* fewer studies than ``min_studies``: the studies are shown, no pooled number is made;
* risk and odds ratios are pooled on the log scale (Borenstein et al. 2009,
  *Introduction to Meta-Analysis*, ch. 5); results carry the log-scale numbers (``yi``,
  ``estimate``, ...) and, for display, their exponentials (``yi_exp``, ``estimate_exp``,
  ``ci_lb_exp``, ...);
* an SMD with a result (pooled, or one study's) is also given in the points of each
  instrument its studies used, where a comparator arm's SD of it is known
  (``re_expressed``, :func:`metareview.reexpress.re_expressed`).

Each result states which side of the null favours the intervention
(``analysis.favours_intervention_when``: ``"below"`` for MD and SMD, whose common scales
are lower-is-better; ``"above"`` for RR, OR and RD of beneficial events such as
responders) and the scale its numbers are on (``analysis.scale``: ``"log"`` for RR and
OR, else ``"linear"``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from metareview.distributions import fisher_exact_p
from metareview.fmt import join_reasons, reason_order, timepoint_reason
from metareview.measures import check_measure
from metareview.normalise import UNNAMED
from metareview.reexpress import re_expressed

#: A 2x2 table with a cell below this count is sparse: its Wald interval on the log
#: scale is a poor approximation, and Fisher's exact test is given beside it.
SPARSE_CELL = 5


def sparse_exact_p(entry: Mapping[str, Any]) -> float | None:
    """Fisher's exact two-sided p for a study's counts (``events1`` of ``n1`` against
    ``events2`` of ``n2``) when a cell of the table is below :data:`SPARSE_CELL`, else
    None (counts unknown, or not sparse).

    metafor's interval for a log risk or odds ratio is a Wald one, which with a cell of
    2 can include no difference where an exact test does not (Carlsson 2001: 16 of 34
    against 2 of 16, RR 3.76, 0.98 to 14.44, Fisher's p = 0.026); the reader gets both.
    """
    e1, n1, e2, n2 = (entry.get(k) for k in ("events1", "n1", "events2", "n2"))
    if e1 is None or n1 is None or e2 is None or n2 is None:
        return None
    cells = [round(float(x)) for x in (e1, float(n1) - float(e1), e2, float(n2) - float(e2))]
    if min(cells) < 0 or min(cells) >= SPARSE_CELL:
        return None
    return fisher_exact_p(*cells)

MEASURE_LABELS = {"SMD": "SMD (Hedges\u2019 g)", "MD": "Mean difference", "RR": "Risk ratio", "OR": "Odds ratio",
                  "RD": "Risk difference"}
# The same codes as metareview.extract (not imported: the pooling rule's code inputs do not
# list extract, so a change there must not be able to change a pooled result unseen).
BINARY_MEASURES = ("RR", "OR", "RD")
RATIO_MEASURES = ("RR", "OR")
#: ``options`` key under which metareview.extract stores binary effects.
BINARY_VALUE_TYPE = "binary"


def _ci(yi: float, vi: float, level: float) -> tuple[float, float]:
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + level / 200.0)
    se = vi**0.5
    return yi - z * se, yi + z * se


def favours_intervention_when(analysis: Mapping[str, Any]) -> str:
    """``"above"`` or ``"below"``: the side of the null where effects favour the intervention.

    MD and SMD are on lower-is-better scales (``"below"``). RR, OR and RD compare the
    proportions of participants with the event, intervention vs comparator: for
    beneficial events (``events: beneficial``, e.g. responders) a value above the null
    favours the intervention, for harmful ones below.
    """
    if analysis["measure"] in BINARY_MEASURES and analysis.get("events", "beneficial") == "beneficial":
        return "above"
    return "below"


def exp_fields(values: Mapping[str, Any], keys: Sequence[str]) -> dict[str, float | None]:
    """``{key + "_exp": exp(value)}`` for display of log-scale numbers (None stays None)."""
    return {f"{k}_exp": None if values.get(k) is None else math.exp(values[k]) for k in keys}


def choose_value_type(options: Sequence[Mapping[str, Any]], measure: str) -> str | None:
    """Value type an analysis uses: the one most studies offer; on a tie, final values,
    unless a study that offers both has final values whose arms already differed at
    baseline (its ``final`` option carries ``baseline``), then change scores.

    Final values carry a baseline difference into the effect, and change scores less of
    it while baseline and follow-up are well correlated (Cochrane Handbook 10.5.2: with
    baseline imbalance, change from baseline is the less biased of the two; a result
    adjusted for baseline is better than either); where the counts leave the choice
    open, that decides it.
    Binary measures have one kind of value (``"binary"``), or none.
    """
    if measure in BINARY_MEASURES:
        return BINARY_VALUE_TYPE if any(BINARY_VALUE_TYPE in o for o in options) else None
    n_final = sum(1 for o in options if "final" in o)
    n_change = sum(1 for o in options if "change" in o)
    if n_final == 0 and n_change == 0:
        return None
    if n_final == n_change and any("change" in o and "baseline" in o.get("final", {}) for o in options):
        return "change"
    return "final" if n_final >= n_change else "change"


#: Timepoint kinds whose rows differ only in their timepoint, said once for a trial's
#: rows: its weeks outside one window, or its words, when those name nothing to enter
#: (a label that is a duration alone keeps its own reason, which says what to enter).
_MERGED_KINDS = ("outside_window", "words_only")


def reason_record(reason: str | Mapping[str, Any]) -> dict[str, Any]:
    """A row's reason as a record, ``reason`` (its words) and, for a reason of its
    timepoint, ``timepoint`` (the fields :func:`metareview.fmt.timepoint_reason` writes
    the words from).

    A row note's ``also`` written by an older build holds the words alone: the record
    then has no ``timepoint``, and is never merged with another.

    Examples
    --------
    >>> reason_record("arm n not reported")
    {'reason': 'arm n not reported'}
    """
    if isinstance(reason, str):
        return {"reason": reason}
    return {k: reason[k] for k in ("reason", "timepoint", "partner") if k in reason}


def _reason_key(reason: Mapping[str, Any]) -> tuple[str, str]:
    """What makes two reason records the same: their words and their timepoint's fields."""
    return reason["reason"], json.dumps(reason.get("timepoint"), sort_keys=True)


def _is_baseline(reason: Mapping[str, Any]) -> bool:
    """Whether a reason record is that of a row measured at week 0."""
    return (reason.get("timepoint") or {}).get("kind") == "baseline"


def drop_partner_reasons(reasons: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Reason records without those of a complete row whose other arm's row is the cause
    (``partner``, that row's reason), where that reason is given too.

    A trial whose control arm's median lacks its quartiles read "mean missing (...); the
    other arm's row at this timepoint is not usable (mean missing (...))", the one fact
    twice: the trial's reason needs it once.

    Examples
    --------
    >>> drop_partner_reasons([{"reason": "arm n not reported"},
    ...                       {"reason": "the other arm's row ... (arm n not reported)",
    ...                        "partner": "arm n not reported"}])
    [{'reason': 'arm n not reported'}]
    """
    said = {r["reason"] for r in reasons}
    return [r for r in reasons if r.get("partner") not in said]


def merge_timepoint_reasons(reasons: Sequence[str | Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Reasons with those that differ only in their timepoint said once, for all of them.

    Thomas et al. (2006), set aside for rows at 52 and 104 weeks, read "timepoint 52 weeks
    is outside the window of 1 to 12 weeks; timepoint 104 weeks is outside the window of 1
    to 12 weeks"; said once, "timepoints 52 and 104 weeks are outside the window of 1 to 12
    weeks". Which reasons merge is read from their ``timepoint`` fields (same kind, same
    window), never from their words. The merged reason takes the place of the first it
    replaces; the others keep their order.

    Parameters
    ----------
    reasons
        Reason records (:func:`reason_record`), in the order they are to be read.

    Returns
    -------
    list of dict
        Records; a merged one's ``timepoint`` lists every row's ``weeks`` (or
        ``labels``), and its ``reason`` is written from them.

    Examples
    --------
    >>> window = {"kind": "outside_window", "window": "short_term", "min_weeks": None, "max_weeks": None}
    >>> [r["reason"] for r in merge_timepoint_reasons([
    ...     "arm n not reported",
    ...     {"reason": "-", "timepoint": {**window, "weeks": [52.0]}},
    ...     {"reason": "-", "timepoint": {**window, "weeks": [104.0]}}])]
    ['arm n not reported', 'timepoints 52 and 104 weeks are outside the window']
    """
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    for r in map(reason_record, reasons):
        tp = r.get("timepoint") or {}
        if tp.get("kind") not in _MERGED_KINDS or tp.get("named"):
            out.append(r)
            continue
        # What the merged reason says besides the timepoints: for weeks, the window, and
        # the two windows a timepoint between windows falls between (one after the last
        # window is not said to be in that gap).
        key = (tp["kind"], *((tp.get("window"), tp.get("min_weeks"), tp.get("max_weeks"),
                              tuple(w["window"] for w in tp.get("between") or ()))
                             if tp["kind"] == "outside_window" else ()))
        field = "weeks" if tp["kind"] == "outside_window" else "labels"
        if key in groups:
            groups[key][field].extend(tp[field])
        else:
            groups[key] = {**tp, field: list(tp[field])}
            out.append({"timepoint": groups[key]})
    return [{"reason": timepoint_reason(r["timepoint"]), "timepoint": r["timepoint"]} if "reason" not in r else r
            for r in out]


def pool_analysis(analysis: Mapping[str, Any], studies: Sequence[Mapping[str, Any]], *,
                  methods: Mapping[str, Any], labels: Mapping[str, str],
                  scale: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Pool one analysis from the per-study effect documents.

    Parameters
    ----------
    analysis
        One entry of the config's ``analyses``.
    studies
        Per-study documents from :func:`metareview.extract.study_effects` (any order;
        studies without an entry for this analysis are ignored).
    methods
        The config's ``methods``: ``method``, ``test``, ``level``, ``min_studies``.
    labels
        Display labels of nodes, outcomes and windows.
    scale
        The outcome's entry in the config's ``outcomes`` (``scale_min``, ``scale_max``):
        for a mean difference, the Q-profile interval of τ² is searched up to the squared
        range of that scale (:func:`tau2_ceiling`); an outcome in a ``unit`` has no range,
        and its mean differences are in that unit.

    Returns
    -------
    dict
        JSON-ready result: ``analysis``, ``status`` (``pooled``, ``single_study``,
        ``no_studies``, ``not_poolable``), ``reason``, ``studies`` (with ``yi``, ``vi``,
        CI, ``weight``), ``excluded``, ``external``, ``narrative``, ``pooled`` (the
        model's numbers, or None) and, for an SMD, ``re_expressed`` (its result in each
        instrument's points; empty when there is none).
    """
    aid = analysis["id"]
    level = float(methods.get("level", 95))
    measure = analysis["measure"]
    check_measure(analysis)
    entries = sorted((s for s in studies if aid in s["analyses"]), key=lambda s: s["study_id"])
    trials = [s for s in entries if s["role"] == "trial"]
    options = [s["analyses"][aid]["options"] for s in trials if s["analyses"][aid]["options"]]
    value_type = choose_value_type(options, measure)

    included: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    for s in trials:
        opts = s["analyses"][aid]["options"]
        chosen = None
        flags = list(s["analyses"][aid].get("flags", []))
        if value_type and value_type in opts:
            chosen = opts[value_type]
        elif "unknown" in opts:
            chosen = opts["unknown"]
            flags.append("value type (final or change) not reported")
        elif measure == "MD" and opts:
            other = min(opts)
            chosen = opts[other]
            flags.append(f"{other} values mixed with {value_type} values (allowed for MD, Cochrane Handbook 10.5.2)")
        if chosen is None:
            if not opts:
                # Candidate trial with no usable form: say why, from its rows' reasons.
                notes = [n for ns in s.get("rows", {}).values() for n in ns
                         if n["analysis"] == aid and n["use"] in ("excluded", "superseded")]
                # A baseline row's reason last: it never explains why the later rows fail.
                # The others in the order of their numbers, so a trial's timepoints read in
                # time (52 weeks, then 104), not in character order ("104" before "52").
                # Each reason once, as its record: whether it is a baseline row's, and
                # which merge, is read from its timepoint's fields.
                records = {_reason_key(n): reason_record(n) for n in notes}
                reasons = sorted(records.values(), key=lambda r: (_is_baseline(r), reason_order(r["reason"])))
                if reasons and all(_is_baseline(r) for r in reasons):
                    # "Baseline: not an effect" alone reads as a rule that cost a result;
                    # the binding fact is that the data hold nothing later (Cherkin 2009's
                    # pain at 8 weeks is given only as a range over groups).
                    # Without brackets of its own: the report prints the reason in brackets
                    # after the trial's label, and a bracket inside one read as a slip.
                    reasons = [{"reason": "no value after baseline for this comparison in the data: its rows are of "
                                          "week 0, measured before treatment"}]
                reasons = merge_timepoint_reasons(drop_partner_reasons(reasons))
                # What would still keep the rows out were their design eligible:
                # "R; also, A; B", as the audit appendix writes a row's note.
                said = {r["reason"] for r in reasons}
                further = {_reason_key(a): a for a in map(reason_record, (a for n in notes for a in n.get("also", ())))
                           if a["reason"] not in said}
                # Sorted apart: inside the call, the checker types the records as the str
                # reasons merge_timepoint_reasons also takes.
                ordered = sorted(further.values(), key=lambda r: reason_order(r["reason"]))
                also = merge_timepoint_reasons(ordered)
                refs = sorted(ref for ref, notes in s.get("rows", {}).items()
                              if any(n["analysis"] == aid for n in notes))
                reasons = reasons or [{"reason": "no result for this outcome"}]
                excluded.append({"study_id": s["study_id"], "label": s["label"],
                                 "reason": join_reasons([r["reason"] for r in reasons], [a["reason"] for a in also]),
                                 "reasons": reasons, **({"also": also} if also else {}), "refs": refs})
            elif opts:
                have = ", ".join(sorted(opts))
                why = f"only {have} values; this SMD analysis uses {value_type} values"
                entry = {"study_id": s["study_id"], "label": s["label"], "reason": why, "reasons": [{"reason": why}],
                         "refs": sorted({r for o in opts.values() for r in o["refs"]})}
                if len(opts) == 1:
                    # Its own effect, shown apart (never pooled with the other kind): a
                    # usable number set aside should not vanish from the report.
                    (own_type, own), = opts.items()
                    own_lb, own_ub = _ci(own["yi"], own["vi"], level)
                    entry["own_effect"] = {"value_type": own_type, "yi": own["yi"], "vi": own["vi"],
                                           "ci_lb": own_lb, "ci_ub": own_ub, "form": own["form"],
                                           "steps": list(own["steps"]), "refs": list(own["refs"])}
                excluded.append(entry)
            continue
        ci_lb, ci_ub = _ci(chosen["yi"], chosen["vi"], level)
        entry = {
            "study_id": s["study_id"], "label": s["label"], "yi": chosen["yi"], "vi": chosen["vi"],
            "ci_lb": ci_lb, "ci_ub": ci_ub, "n1": chosen["n1"], "n2": chosen["n2"],
            "value_type": chosen["value_type"], "timepoint_weeks": chosen["timepoint_weeks"],
            "timepoint_label": chosen.get("timepoint_label"), "form": chosen["form"], "instrument": chosen["instrument"],
            "low_confidence": list(chosen.get("low_confidence") or []),
            # Its rows read in a document other than the trial's own report, each with it.
            **({"read_elsewhere": [dict(x) for x in chosen["read_elsewhere"]]} if chosen.get("read_elsewhere") else {}),
            "source_level": s["source_level"], "identity_confidence": s["identity_confidence"],
            "population_fit": s.get("population_fit"),
            # The raw treatments of its arms, by side (metareview.extract.arm_treatments).
            **({"arm_treatments": chosen["arm_treatments"]} if chosen.get("arm_treatments") else {}),
            "flags": flags + list(chosen["flags"]), "steps": list(chosen["steps"]), "refs": list(chosen["refs"]),
            "weight": None,
        }
        if chosen.get("sizes"):
            # The cells each arm size (and event count) was read from: the audit trail
            # traces the sums the report prints (a forest plot's totals) to them.
            entry["sizes"] = chosen["sizes"]
        if chosen.get("native"):
            # The SMD's size in the trial's own instrument's points, for the summary.
            entry["native_difference"] = chosen["native"]
        if chosen.get("comparator_sd"):
            # Its comparator arms' SDs in the instrument's units: the analysis's SMD is
            # re-expressed in that instrument's points with them (re_expressed below).
            entry["comparator_sd"] = chosen["comparator_sd"]
        if chosen.get("baseline_read"):
            # The week-0 rows the baseline check read, flagged or not, and its d.
            entry["baseline_read"] = dict(chosen["baseline_read"])
        if chosen.get("baseline"):
            # Arms that differed at baseline: the summary says so beside the effect.
            entry["baseline_imbalance"] = chosen["baseline"]["yi"]
            # The week-0 rows it was read from, which the evidence appendix then lists as
            # read for this effect rather than as unused.
            entry["baseline_refs"] = list(chosen["baseline"].get("refs") or [])
            if chosen["baseline"].get("change"):
                entry["baseline_change"] = chosen["baseline"]["change"]
        if measure in BINARY_MEASURES:
            entry.update(events1=chosen.get("events1"), events2=chosen.get("events2"))
            exact = sparse_exact_p(entry)
            if exact is not None:
                entry["exact_p"] = exact
        if measure in RATIO_MEASURES:
            entry.update(exp_fields(entry, ("yi", "ci_lb", "ci_ub")))
        included.append(entry)

    external = []
    narrative = []
    for s in entries:
        entry = s["analyses"][aid]
        for e in entry.get("external", []):
            # Where the review is known from: one read only in another document (a blog
            # post's citation) is set apart from the counts the summary gives.
            ext = {"study_id": s["study_id"], "label": s["label"], "source_level": s.get("source_level"),
                   "identity_confidence": s.get("identity_confidence"), "population_fit": s.get("population_fit"),
                   **e}
            if e.get("log_scale"):
                ext.update(exp_fields(ext, ("estimate", "ci_lb", "ci_ub")))
            external.append(ext)
        for ref in entry.get("narrative", []):
            narrative.append({"study_id": s["study_id"], "label": s["label"], "ref": ref})

    k = len(included)
    min_k = int(methods.get("min_studies", 2))
    unnamed = UNNAMED in (analysis["intervention"], analysis["comparator"])
    pooled = None
    if k == 0:
        status, reason = "no_studies", "No trial reports this comparison with numbers an effect can be computed from: nothing to pool."
    elif unnamed and k >= 2:
        status, reason = "not_poolable", ("The sources do not name these comparators, so they cannot be assumed "
                                          "to be the same treatment: the studies are shown, not pooled.")
    elif k < min_k:
        status = "single_study" if k == 1 else "not_poolable"
        # No count of studies heterogeneity would need: the methods say it cannot be
        # assessed with 3 or fewer, and "need at least 2" beside that contradicted them.
        reason = "Only 1 study: nothing to pool; the study's own effect is shown." if k == 1 else (
                  f"Only {k} studies (fewer than {min_k}): nothing pooled.")
    else:
        status, reason = "pooled", ""
        pooled = _fit(included, methods, tau2_ceiling(analysis, scale), measure=analysis.get("measure"))
        if k < PI_MIN_STUDIES:
            # metafor computes one from two studies (t with 1 df); it is left out, not shown.
            pooled["pi_lb"] = pooled["pi_ub"] = None
            pooled["pi_note"] = f"it needs at least {PI_MIN_STUDIES} studies"
        for study, w in zip(included, pooled.pop("weights")):
            study["weight"] = w
        mh = mantel_haenszel_fit(included, measure, float(methods.get("level", 95)))
        if mh is not None:
            pooled["mantel_haenszel"] = mh
        if measure in RATIO_MEASURES:
            pooled.update(exp_fields(pooled, ("estimate", "ci_lb", "ci_ub", "pi_lb", "pi_ub")))
            for key in ("equal_effects", "mantel_haenszel"):
                if pooled.get(key):
                    pooled[key].update(exp_fields(pooled[key], ("estimate", "ci_lb", "ci_ub")))

    points = None
    if measure == "SMD":
        # The pooled SMD, or the single study's, in each of its instruments' points
        # (Cochrane Handbook 15.5.3.2); none where nothing is pooled or shown as the result.
        result = pooled if pooled is not None else included[0] if status == "single_study" else None
        points = [] if result is None else re_expressed(
            included, *(result["estimate" if pooled is not None else "yi"], result["ci_lb"], result["ci_ub"]))

    return {
        "analysis": {
            **{k_: analysis[k_] for k_ in ("id", "intervention", "comparator", "outcome", "window", "measure")},
            "intervention_label": labels.get(analysis["intervention"], analysis["intervention"]),
            "comparator_label": labels.get(analysis["comparator"], analysis["comparator"]),
            "outcome_label": labels.get(analysis["outcome"], analysis["outcome"]),
            "window_label": labels.get(analysis["window"], analysis["window"]),
            "measure_label": MEASURE_LABELS.get(measure, measure),
            "favours_intervention_when": favours_intervention_when(analysis),
            "scale": "log" if measure in RATIO_MEASURES else "linear",
            **({"events": analysis.get("events", "beneficial")} if measure in BINARY_MEASURES else {}),
            **_common_scale(measure, scale),
        },
        "status": status,
        "reason": reason,
        # The level of every interval here, the studies' too (a forest plot of one study
        # has no pooled estimate to take it from).
        "level": level,
        "small_study_min": int(methods.get("small_study_min", SMALL_STUDY_MIN)),
        "pi_min_studies": PI_MIN_STUDIES,
        "value_type": value_type,
        "k": k,
        "studies": included,
        "excluded": excluded,
        "external": external,
        "narrative": narrative,
        "pooled": pooled,
        **({"re_expressed": points} if points is not None else {}),
    }


def _common_scale(measure: str, scale: Mapping[str, Any] | None) -> dict[str, str]:
    """``{"common_scale": "0 to 10"}`` for a mean difference on a scale of known range,
    else ``{}``: the forest plot's axis says which points a mean difference is in (a
    difference of 0.5 is much on 0 to 10, little on 0 to 100). An outcome in natural units
    (``unit``) gives ``{"unit": "days"}`` instead: its differences are in that unit."""
    if measure == "MD" and scale and scale.get("unit"):
        return {"unit": str(scale["unit"])}
    if measure != "MD" or not scale or scale.get("scale_min") is None or scale.get("scale_max") is None:
        return {}
    return {"common_scale": f"{scale['scale_min']:g} to {scale['scale_max']:g}"}


def tau2_ceiling(analysis: Mapping[str, Any], scale: Mapping[str, Any] | None) -> float | None:
    """How far the Q-profile interval of τ² is searched for a mean difference: (max − min)²
    of the outcome's common scale when that exceeds 100, else None (metafor's default,
    ``max(100, 10 τ²)``).

    metafor stops at τ² = 100 and prints the bound as "> 100", a ceiling made for SMDs and
    log ratios, where τ = 10 is absurdly large. A mean difference is in the scale's points:
    on 0 to 100, τ² = 100 is a between-study SD of 10 points, well inside what a few trials
    leave possible, so the ceiling hid the bound in every small analysis. No between-study
    SD can exceed the scale's whole range, so (max − min)² bounds any τ² the data could
    give. The ceiling is passed as metafor's ``control = list(tau2.max = ...)``, which
    replaces the default interval's end rather than raising it: a scale of 10 points or
    less (the example's 0 to 10 pain scale) keeps metafor's default, which ``tau2.max =
    100`` would shorten whenever 10 τ² exceeds 100.
    """
    if analysis.get("measure") != "MD" or not scale:
        return None
    lo, hi = scale.get("scale_min"), scale.get("scale_max")
    if lo is None or hi is None:
        return None
    ceiling = float(hi - lo) ** 2
    return ceiling if ceiling > 100.0 else None


def _fit(included: Sequence[Mapping[str, Any]], methods: Mapping[str, Any],
         tau2_max: float | None = None, measure: str | None = None) -> dict[str, Any]:
    from metareview.pool import rma

    yi = [s["yi"] for s in included]
    vi = [s["vi"] for s in included]
    res = rma(yi, vi, method=methods.get("method", "REML"), test=methods.get("test", "knha"),
              level=float(methods.get("level", 95)), control=None if tau2_max is None else {"tau2_max": tau2_max})
    d = res.to_dict(confint=True)
    keep = ("estimate", "se", "zval", "tval", "df", "pval", "ci_lb", "ci_ub", "pi_lb", "pi_ub", "tau2", "tau",
            "se_tau2", "I2", "H2", "QE", "QEp", "k", "method", "test", "level", "tau2_ci_lb", "tau2_ci_ub",
            "I2_ci_lb", "I2_ci_ub", "H2_ci_lb", "H2_ci_ub", "ci_lb_sign", "ci_ub_sign")
    out = {key: d.get(key) for key in keep}
    # The end of the τ² interval's search when not metafor's default (null): what an
    # auditor passes to metafor as control = list(tau2.max = ...) to get the same bounds.
    out["tau2_max"] = tau2_max
    out["weights"] = [float(w) for w in res.weights]
    out.update(_sensitivity(res, included, methods, measure))
    equal = equal_effects_fit(yi, vi, res)
    if equal is not None:
        out["equal_effects"] = equal
    return out


#: The most degrees of freedom of a t-based pooled interval (Hartung-Knapp, ``knha`` or
#: ``adhoc``, or ``t``) beside which an equal-effects estimate is given. With two studies
#: the interval takes t on 1 df, whose 97.5% quantile (12.71) is 6.5 times the normal one
#: (1.96): the method, not the data, makes it wide, and two trials that agree can pool to
#: an interval that informs nothing (Cochrane Handbook 10.10.4). Not 2 df: there the
#: quantile (4.30) is 2.2 times the normal one, not 6.5, τ² rests on two degrees of
#: freedom, and the prediction interval (given from 3 studies) says how far true effects
#: may spread; a common-effect line would set an interval too narrow wherever the studies
#: differ beside one that the data, more than the method, make wide.
EQUAL_EFFECTS_MAX_DF = 1

#: The tests whose pooled interval takes t on k − 1 df (metafor's names).
T_TESTS = ("t", "knha", "adhoc")


def equal_effects_fit(yi: Sequence[float], vi: Sequence[float], res: Any) -> dict[str, Any] | None:
    """The equal-effects (common-effect) estimate beside a random-effects model whose
    interval is on t with at most :data:`EQUAL_EFFECTS_MAX_DF` df, else None.

    metafor's ``rma(yi, vi, method="EE", test="z", level=level)``, by the same library
    code as every other fit: ``method`` ("EE"), ``test`` ("z"), ``level``, ``estimate``,
    ``se``, ``zval``, ``pval``, ``ci_lb``, ``ci_ub`` (a Wald-type interval on the normal
    quantile), ``QE`` and ``QEp``. It assumes one true effect shared by the studies, so
    its interval is too narrow where they differ; the report gives it as a sensitivity
    analysis beside the random-effects estimate, never in its place. Not given where the
    model is an equal-effects one already, or its test is z.

    Examples
    --------
    >>> from metareview.pool import rma
    >>> res = rma([0.42, 0.11], [0.05, 0.02], method="REML", test="adhoc")
    >>> ee = equal_effects_fit([0.42, 0.11], [0.05, 0.02], res)
    >>> round(ee["estimate"], 4), round(ee["ci_lb"], 4), round(ee["ci_ub"], 4)
    (0.1986, -0.0357, 0.4328)
    """
    from metareview.pool import rma

    if (res.method in ("EE", "FE") or res.test not in T_TESTS or res.df is None
            or not 0 < res.df <= EQUAL_EFFECTS_MAX_DF):
        return None
    ee = rma(yi, vi, method="EE", test="z", level=res.level).to_dict()
    return {key: ee.get(key) for key in ("method", "test", "level", "estimate", "se", "zval", "pval", "ci_lb",
                                          "ci_ub", "QE", "QEp")}


#: The binary measures a Mantel-Haenszel estimate is given for (metafor's ``rma.mh``).
MH_MEASURES = ("RR", "OR", "RD")


def mantel_haenszel_fit(included: Sequence[Mapping[str, Any]], measure: str,
                        level: float = 95.0) -> dict[str, Any] | None:
    """The Mantel-Haenszel estimate of a binary analysis with a zero-event arm, else None.

    A study with no events in an arm enters the random-effects model only after 1/2 is
    added to each cell of its table (metafor's ``escalc`` default), which moves its
    effect (10/40 vs 0/41 gives RR 21.5, its interval to 355) and so the pooled one. The
    Mantel-Haenszel estimator pools the tables' counts as they are, with no continuity
    correction (Mantel & Haenszel 1959; Greenland & Robins 1985; Cochrane Handbook
    10.4.4.2, where it is the method named for sparse data): metafor's
    ``rma.mh(ai, bi, ci, di, measure = measure)``, whose estimate and Wald interval at
    ``level`` use no correction (:func:`metareview.mh.rma_mh`). It is a common-effect
    model with a normal-based interval, so it differs from the random-effects result by
    its model as well as by the zero cell; the report gives it as a sensitivity analysis
    where the two disagree on whether the interval includes no difference.

    Returns
    -------
    dict or None
        ``method`` ("MH"), ``measure``, ``level``, ``estimate``, ``se``, ``zval``,
        ``pval``, ``ci_lb``, ``ci_ub`` (log ratios for RR and OR), ``k`` and
        ``zero_arm`` (the ids of the studies with a zero-event arm); None unless the
        measure is RR, OR or RD, every study has its counts, and one has an arm with no
        events.
    """
    if measure not in MH_MEASURES or not included:
        return None
    counts = [tuple(s.get(k) for k in ("events1", "n1", "events2", "n2")) for s in included]
    if any(c is None for row in counts for c in row):
        return None
    zero = [s["study_id"] for s, (e1, _, e2, _) in zip(included, counts) if e1 == 0 or e2 == 0]
    if not zero:
        return None
    import warnings

    from metareview.mh import rma_mh

    e1, n1, e2, n2 = (list(map(float, col)) for col in zip(*counts))
    with warnings.catch_warnings():
        # The studies' own effects without a correction (for Q and I², not given) are
        # NA for a zero cell: metafor's warning, not this estimate's.
        warnings.simplefilter("ignore")
        res = rma_mh(ai=e1, ci=e2, n1i=n1, n2i=n2, measure=measure, add=0.0, to="none", level=level)
    if not all(math.isfinite(float(x)) for x in (res.beta, res.se, res.ci_lb, res.ci_ub)):
        return None
    return {"method": "MH", "measure": measure, "level": float(level), "estimate": float(res.beta),
            "se": float(res.se), "zval": float(res.zval), "pval": float(res.pval), "ci_lb": float(res.ci_lb),
            "ci_ub": float(res.ci_ub), "k": int(res.k), "zero_arm": zero}


#: Fewest studies for a prediction interval. With two, τ² rests on one degree of freedom and
#: the interval says nothing about the spread of true effects (Higgins, Thompson &
#: Spiegelhalter 2009, J R Stat Soc A 172:137-159, whose interval needs k ≥ 3; IntHout et al.
#: 2016, BMJ Open 6:e010247). The analysis JSON then has ``pi_lb``/``pi_ub`` null and a
#: ``pi_note`` saying why.
PI_MIN_STUDIES = 3

#: Fewest studies for a test of small-study effects (Sterne et al. 2011, BMJ 343:d4002:
#: with fewer than 10, such a test cannot tell chance from asymmetry). ``methods.small_study_min``.
SMALL_STUDY_MIN = 10

#: Fewest studies each leave-one-out refit must pool, whatever the pooling threshold:
#: with two, a t-based interval has one degree of freedom and widens roughly threefold
#: whatever the study left out.
REFIT_MIN_STUDIES = 3


def refit_min_studies(methods: Mapping[str, Any]) -> int:
    """Fewest studies each leave-one-out refit must pool: :data:`REFIT_MIN_STUDIES`, or
    the pooling threshold ``methods.min_studies`` (default 2) where that is more, since a
    refit below it would pool what the analysis itself would not.

    Examples
    --------
    >>> refit_min_studies({"min_studies": 2}), refit_min_studies({"min_studies": 5})
    (3, 5)
    """
    return max(REFIT_MIN_STUDIES, int(methods.get("min_studies", 2)))


def _sensitivity(res: Any, included: Sequence[Mapping[str, Any]], methods: Mapping[str, Any],
                 measure: str | None = None) -> dict[str, Any]:
    """Leave-one-out fits and the small-study test of a pooled model, where k allows them.

    * ``leave1out``, when each refit pools at least :func:`refit_min_studies`
      studies (with two, a t-based interval has one degree of freedom and widens
      roughly threefold whatever the study left out): the model refitted without each
      study in turn, with the same estimator, test and level (metafor ``leave1out``;
      Viechtbauer & Cheung 2010): ``study_id``, ``estimate``, ``se``, ``ci_lb``,
      ``ci_ub``, ``pval`` per omitted study, in the studies' order. Otherwise None, and
      ``leave1out_min`` says how many studies it needs.
    * ``regtest`` (k >= ``methods.small_study_min``, default 10): the Egger-type
      regression test in the same random-effects model (metafor ``regtest``, model
      ``"rma"``; Egger et al. 1997; Sterne et al. 2011), with the predictor
      ``methods.small_study_predictor`` (default ``sei``, the standard error; the
      sample-size predictors ``ni``, ``ninv``, ``sqrtni``, ``sqrtninv`` take each study's
      n1 + n2; a sample-size predictor, unlike the standard error of an SMD or a log
      ratio, does not depend on the effect itself: Peters et al. 2006, JAMA 295:676-680;
      Pustejovsky & Rodgers 2019, Res Synth Methods 10:57-71): the predictor, the
      statistic, its df under a t test, the p-value, the predictor's slope and its SE,
      and the regression's residual tau2. With fewer studies it is None (the analysis'
      ``small_study_min`` says how many it needs); when the regression cannot be fitted
      (a predictor equal for every study, a sample size not reported, a model not of
      full rank), ``regtest_error`` says why.
    * ``regtest_sqrtninv``, beside an SE-based test (predictor ``sei`` or ``vi``) of an
      SMD (``measure``): the same test with the predictor 1/sqrt(n1 + n2) (metafor
      ``regtest(..., predictor = "sqrtninv")``), in the same fields. The SE of Hedges' g
      grows with g itself, which makes the SE-based test find asymmetry more often than
      it should; the sample size does not (Pustejovsky & Rodgers 2019), and the report
      gives both. None where a trial's sample sizes are not reported or the regression
      cannot be fitted.
    """
    refit_min = refit_min_studies(methods)
    out: dict[str, Any] = {"leave1out": None, "leave1out_min": refit_min + 1, "regtest": None}
    k = len(included)
    if k - 1 >= refit_min:
        l1o = res.leave1out()
        out["leave1out"] = [
            {"study_id": s["study_id"], "estimate": float(e), "se": float(se), "ci_lb": float(lb),
             "ci_ub": float(ub), "pval": float(pv)}
            for s, e, se, lb, ub, pv in zip(included, l1o.estimate, l1o.se, l1o.ci_lb, l1o.ci_ub, l1o.pval)]
    if k >= int(methods.get("small_study_min", SMALL_STUDY_MIN)):
        from metareview.bias import SAMPLE_SIZE_PREDICTORS, regtest

        predictor = str(methods.get("small_study_predictor", "sei"))
        ni = None
        if predictor in SAMPLE_SIZE_PREDICTORS:
            unknown = [s["label"] for s in included if s.get("n1") is None or s.get("n2") is None]
            if unknown:
                out["regtest_error"] = f"the sample sizes of {', '.join(unknown)} are not reported"
                return out
            ni = [float(s["n1"]) + float(s["n2"]) for s in included]
        try:
            # The config schema allows only regtest's predictors (small_study_predictor's enum).
            rt = regtest(res, model="rma", predictor=predictor, ni=ni)  # type: ignore[arg-type]
        except ValueError as exc:
            # Said, not a failed build: equal predictors (every study with the same standard
            # error, say) leave nothing to regress on; otherwise metafor's full-rank check
            # fails too (1/n of trials of thousands lies so close to 0 that the design
            # matrix looks singular: 1/sqrt(n) does not).
            values = ni if ni is not None else [float(v) for v in res.vi]
            if len(set(values)) == 1:
                out["regtest_error"] = f"the predictor ({predictor}) is the same for every study"
            elif "full rank" in str(exc):
                out["regtest_error"] = (f"with the predictor ({predictor}) the model is not of full rank"
                                        + ("; 1/n of trials this large lies too close to 0, which 1/sqrt(n) "
                                           "(sqrtninv) avoids" if predictor == "ninv" else ""))
            else:
                out["regtest_error"] = f"{predictor}: {exc}"
        else:
            out["regtest"] = _regtest_entry(rt, predictor)
            if measure == "SMD" and predictor in ("sei", "vi"):
                out["regtest_sqrtninv"] = _sample_size_regtest(res, included)
    return out


def _regtest_entry(rt: Any, predictor: str) -> dict[str, Any]:
    """A small-study test (:class:`metareview.bias.RegtestResult`) as the analysis JSON
    keeps it: the slope's SE and the regression's residual tau2 too, with which the audit
    row lets a reader refit the regression and check the statistic (slope / SE)."""
    return {"model": "rma", "predictor": predictor, "zval": rt.zval, "tval": rt.tval, "df": rt.df,
            "pval": float(rt.pval), "slope": float(rt.slope), "slope_se": float(rt.slope_se),
            "tau2": None if rt.tau2 is None else float(rt.tau2)}


def _sample_size_regtest(res: Any, included: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The small-study test of an SMD's model ``res`` on 1/sqrt(n1 + n2) (metafor
    ``regtest(res, predictor = "sqrtninv")``), as :func:`_regtest_entry`, or None where a
    study's arm sizes are not reported or the regression cannot be fitted (equal sizes).

    Beside the SE-based test, which the report hedges for an SMD: the SE of Hedges' g,
    sqrt(1/n1 + 1/n2 + g^2 / (2 (n1 + n2))), depends on g, so a large effect sits with a
    large SE whatever was published (Pustejovsky & Rodgers 2019, Res Synth Methods
    10:57-71); 1/sqrt(n) does not.
    """
    from metareview.bias import regtest

    if any(s.get("n1") is None or s.get("n2") is None for s in included):
        return None
    try:
        rt = regtest(res, model="rma", predictor="sqrtninv", ni=[float(s["n1"]) + float(s["n2"]) for s in included])
    except ValueError:
        return None
    return _regtest_entry(rt, "sqrtninv")
