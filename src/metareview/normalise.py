"""Put one study's reported results on the review's common scales and directions.

Every value keeps the raw row it came from (``ref``) and the list of steps applied to it,
so that the report's audit table can show, for any number, where it came from and what
was done to it.

Conventions on every common scale (see ``config/config.yaml``, ``outcomes``):

* lower is better (less pain, less disability); instruments where higher is better are
  reflected;
* change scores are signed as *follow-up minus baseline*, so an improvement is negative;
* between-group contrasts are oriented *arm1 minus arm2*: a negative value favours arm1.

Only the standard library is used: this runs once per study.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

#: Kinds of document (sources.csv ``kind``) that are a trial's own report: its
#: publication, its abstract, its registry entry. A number a trial's row cites from a
#: document of another kind (an evidence report's forest plot, a third-party
#: transcription) was read in another document, as a published review's result with
#: ``source_level`` secondary is.
TRIAL_OWN_KINDS = frozenset({"trial_report", "abstract", "trial_registry"})
#: Each other kind in words, as a flag names the document it was read in.
_KIND_WORDS = {"blog_post": "a blog post", "systematic_review": "a systematic review",
               "guideline_document": "a guideline document", "evidence_report": "an evidence report",
               "secondary_summary": "a secondary summary", "extraction_sheet": "an extraction sheet",
               "other": "another document"}


def document_words(kind: str | None) -> str:
    """A sources.csv ``kind`` in words, as a flag names the document a number was read in.

    >>> document_words("extraction_sheet")
    'an extraction sheet'
    """
    return _KIND_WORDS.get(kind or "other", "another document")


#: Designs whose results may be pooled with each other.
TRIAL_DESIGNS = frozenset({"rct", "crossover_rct", "cluster_rct", "quasi_rct"})

#: Treatment codes a comparator arm may have when it receives an arm's cointervention
#: alone (an add-on design, X + C vs C): the cointervention's own code, and for ``other``
#: (unspecified other therapies) the code of other treatments (mixed) as well.
COINTERVENTION_TREATMENTS = {"other": ("other", "other_treatments")}


#: ``population_fit`` values (``studies.csv``) of a population that is not the review's
#: and holds others (back and neck pain) or is another condition: a published review of
#: one speaks for the review's population only indirectly, and the tallies of reviews
#: (the report's summary, the claims' reasons) leave it out.
OFF_POPULATION_FITS = frozenset({"broader", "different"})


#: Roles in ``treatments.csv`` of treatments that serve as controls.
CONTROL_ROLES = frozenset({"sham", "control"})


def control_nodes(nodes: Mapping[str, Mapping[str, Any]], roles: Mapping[str, str]) -> list[str]:
    """The nodes whose treatments are all controls (shams, usual care, no treatment).

    A node that mixes active treatments with controls (other active treatments beside
    "other treatments (mixed)") is not one: a treatment not better than it may still work.
    A claim that names no comparator is checked against these (:mod:`metareview.claims`).

    Parameters
    ----------
    nodes
        The config's ``nodes``: each with its ``treatments`` codes.
    roles
        Each treatment code's ``role`` in ``treatments.csv``.

    Returns
    -------
    list of str
        The control nodes, sorted.
    """
    return sorted(node for node, spec in nodes.items()
                  if spec["treatments"] and all(roles.get(t) in CONTROL_ROLES for t in spec["treatments"]))


def is_cointervention(treatment: str, cointervention: str | None) -> bool:
    """Whether a comparator arm's ``treatment`` is ``cointervention`` given alone."""
    if cointervention in (None, "none"):
        return False
    return treatment in COINTERVENTION_TREATMENTS.get(cointervention, (cointervention,))
#: Designs whose results are shown as external evidence, never pooled with trials.
EXTERNAL_DESIGNS = frozenset({"meta_analysis", "ipd_meta_analysis"})
#: Designs that only contribute statements to the narrative evidence table.
NARRATIVE_DESIGNS = frozenset({"guideline", "consensus"})

#: Pseudo-node of comparators the source does not name.
UNNAMED = "unnamed_control"

#: The flag of an effect against :data:`UNNAMED`. "Comparator not named by the source"
#: read as if the source mentioned one; a source such as the seed post gives one arm and
#: an "effect size (Cohen's d)" without saying against what, and the team reads it as a
#: between-group difference (the raw row's notes say so): the flag says both.
UNNAMED_FLAG = ("the source names no comparator: its result is read as a between-group difference against a "
                "control it does not mention (see the raw row's notes)")


def design_role(design: str, poolable_designs: frozenset[str] | None = None) -> str:
    """Role a study's design gives its numbers: ``trial``, ``external``, ``narrative`` or ``ineligible``."""
    pool = TRIAL_DESIGNS if poolable_designs is None else poolable_designs
    if design in EXTERNAL_DESIGNS:
        return "external"
    if design in NARRATIVE_DESIGNS:
        return "narrative"
    if design in pool:
        return "trial"
    return "ineligible"


def node_map(nodes: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Map each raw treatment code to the node (config ``nodes``) that groups it."""
    out: dict[str, str] = {}
    for node, spec in nodes.items():
        for code in spec.get("treatments", []):
            out[code] = node
    return out


def in_window(weeks: float | None, window: Mapping[str, Any]) -> bool:
    """Whether a timepoint (weeks) falls in a configured window (bounds inclusive)."""
    if weeks is None:
        return False
    return float(window["min_weeks"]) <= weeks <= float(window["max_weeks"])


#: The ``n_missing_reason`` of a raw row (``arms.csv``, ``arm_outcomes.csv``,
#: ``contrasts.csv``) that records its blank size as one the source does not give, not one
#: the team has yet to enter (``not_extracted``, or an empty cell).
N_MISSING_NOT_REPORTED = "not_reported"


def n_not_reported(*rows: Mapping[str, Any] | None) -> bool:
    """Whether any of ``rows`` (raw rows, or None) records the source as not giving the
    arm sizes, by its ``n_missing_reason`` (:data:`N_MISSING_NOT_REPORTED`). Notes are not read:
    free text decides nothing.

    >>> n_not_reported({"n": None, "n_missing_reason": "not_reported"})
    True
    >>> n_not_reported({"n": None, "n_missing_reason": "not_extracted"}, None)
    False
    """
    return any(r is not None and r.get("n_missing_reason") == N_MISSING_NOT_REPORTED for r in rows)


def window_gap(weeks: float | None, windows: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]] | None:
    """The two windows a timepoint falls between, in none of them, or None.

    Weeks are not rounded (a timepoint in days is ``days / 7``), so windows written in
    whole weeks, 1 to 12 and 13 to 26, leave the weeks after 12 and before 13 to neither:
    day 88 is 12.57 weeks. Such a timepoint is set aside like one after the last window,
    and "outside the window of 1 to 12 weeks" alone does not say that no window takes
    it. The windows are the nearest one ending before ``weeks`` and the nearest one
    starting after it: ``max_weeks < weeks < min_weeks``.

    Parameters
    ----------
    weeks
        The timepoint, in weeks since randomisation (None: given in words only).
    windows
        The config's ``windows``: ``min_weeks`` and ``max_weeks`` of each. A study's job
        has them without their labels (:func:`metareview.plan.study_sections`), so the
        windows are given by their weeks.

    Returns
    -------
    list of dict or None
        The earlier window, then the later one, each as ``window`` (its name),
        ``min_weeks`` and ``max_weeks``; None for a timepoint in a window, before the
        first, after the last, or without weeks.

    Examples
    --------
    >>> windows = {"short": {"min_weeks": 1, "max_weeks": 12}, "medium": {"min_weeks": 13, "max_weeks": 26}}
    >>> [w["window"] for w in window_gap(88 / 7, windows)]
    ['short', 'medium']
    >>> window_gap(12.0, windows) is None and window_gap(30.0, windows) is None
    True
    """
    if weeks is None or any(in_window(weeks, w) for w in windows.values()):
        return None
    before = [(float(w["max_weeks"]), name) for name, w in windows.items() if float(w["max_weeks"]) < weeks]
    after = [(float(w["min_weeks"]), name) for name, w in windows.items() if float(w["min_weeks"]) > weeks]
    if not before or not after:
        return None
    return [{"window": name, "min_weeks": float(windows[name]["min_weeks"]), "max_weeks": float(windows[name]["max_weeks"])}
            for name in (max(before)[1], min(after)[1])]


def _fmt(x: float) -> str:
    return f"{x:.6g}"


class RescaleStep(str):
    """A step that put a value on the common scale (:func:`_rescale_step`), known by its type.

    Code that asks whether a value was rescaled (to say that an SD derived from its SE is
    on the common scale, say) asks :func:`rescale_step` of the value, never the steps'
    words, which a reworded step would silently stop matching. A ``str``: the normalised
    JSON holds its text as before, and a document read back from that JSON has plain
    strings only, so these questions are asked of the documents :func:`normalise_study`
    returns, as the study's job does.
    """

    __slots__ = ()


def _rescale_step(instrument: Mapping[str, Any], common: Mapping[str, Any], factor: float) -> RescaleStep:
    """The step that puts an instrument on the common scale, as the report prints it: a
    range with an en dash and a multiplication sign ("rescaled to 0–10 (×0.1)"); the
    instrument's label is the raw table's, as typed there."""
    return RescaleStep(f"{instrument['label']} rescaled to {common['scale_min']:g}\u2013{common['scale_max']:g} "
                       f"(\u00d7{_fmt(factor)})")


def rescale_step(value: Mapping[str, Any]) -> str | None:
    """The step that put a normalised value on the common scale, or None.

    A contrast keeps it as ``rescale_step`` (an MD rescaled by a factor other than 1); an
    arm value has it among its ``steps`` (:class:`RescaleStep`): a change or final value
    rescaled by a factor other than 1, or final values moved onto a scale that starts
    elsewhere.
    """
    if value.get("rescale_step"):
        return str(value["rescale_step"])
    return next((str(x) for x in value.get("steps", ()) if isinstance(x, RescaleStep)), None)


def in_units(instrument: Mapping[str, Any], common: Mapping[str, Any] | None) -> bool:
    """Whether the instrument or the outcome is measured in natural units (``unit`` in
    instruments.csv, ``outcomes.<code>.unit`` in the config), so that ranges do not apply."""
    return bool(instrument.get("unit") or (common or {}).get("unit"))


def unit_problem(instrument: Mapping[str, Any], common: Mapping[str, Any] | None) -> str | None:
    """Why an instrument's values cannot enter a mean difference of the outcome because of
    its unit, or None (the same unit on both, or a unit on neither).

    Values in a unit are never converted: days cannot be turned into points on a rating
    scale, and kilograms into pounds only by a factor no table records. So a mean
    difference in a unit takes values in that unit alone.
    """
    if common is None or not in_units(instrument, common):
        return None
    mine, theirs = instrument.get("unit") or None, common.get("unit") or None
    if mine == theirs:
        return None
    if theirs is None:
        return (f"instrument in {mine}, the outcome on a rating scale: values in a unit are not rescaled, so no MD on "
                "the common scale")
    if mine is None:
        return f"instrument on a rating scale, the outcome in {theirs}: a scale is not converted to a unit, so no MD"
    return f"instrument in {mine}, the outcome in {theirs}: units are not converted, so no MD"


def rescale_factor(instrument: Mapping[str, Any], common: Mapping[str, Any] | None) -> float | None:
    """Factor taking a difference on the instrument's scale to the common scale, or None.

    ``(common_max - common_min) / (scale_max - scale_min)``; None when either range is
    unknown (then only scale-free measures such as the SMD can use the value). In natural
    units (:func:`in_units`) no range is used: 1 when the instrument's unit is the
    outcome's, None otherwise (:func:`unit_problem` says why).
    """
    if common is not None and in_units(instrument, common):
        return 1.0 if unit_problem(instrument, common) is None else None
    if common is None or instrument.get("scale_min") is None or instrument.get("scale_max") is None:
        return None
    return (float(common["scale_max"]) - float(common["scale_min"])) / (
        float(instrument["scale_max"]) - float(instrument["scale_min"])
    )


def normalise_arm_value(row: Mapping[str, Any], instrument: Mapping[str, Any],
                        common: Mapping[str, Any] | None) -> dict[str, Any]:
    """One arm-level row on the common scale (see module docstring for conventions).

    Returns a dict with ``mean``, ``sd``, ``se``, ``ci_lb``, ``ci_ub`` (common scale when
    the instrument's range is known, else in instrument units but already in the
    lower-is-better direction), ``rescaled`` (bool), ``scale_factor`` (what ``sd`` and
    ``se`` were multiplied by, and an interval's width with them; None when they stay in
    the instrument's units) and ``steps`` (text; the step that puts the values on the
    common scale is a :class:`RescaleStep`, which :func:`rescale_step` finds).
    """
    steps: list[str] = []
    lower_better = bool(instrument["lower_is_better"])
    factor = rescale_factor(instrument, common)
    vt = row["value_type"]
    out: dict[str, Any] = {"rescaled": factor is not None}
    units = in_units(instrument, common)
    if unit_problem(instrument, common):
        out["unit_problem"] = unit_problem(instrument, common)

    def signed_change(v: float | None) -> float | None:
        if v is None:
            return None
        return -v if row.get("change_sign") == "decrease_positive" else v

    def spread(v: float | None) -> float | None:
        return None if v is None else (v * factor if factor is not None else v)

    if vt in ("change", "within_group_change", "percent_change"):
        mean = signed_change(row.get("mean"))
        lb, ub = signed_change(row.get("ci_lb")), signed_change(row.get("ci_ub"))
        if lb is not None and ub is not None and lb > ub:
            lb, ub = ub, lb
        if row.get("change_sign") == "decrease_positive":
            steps.append("change reported with a decrease as positive: sign reversed to follow-up minus baseline")
        if not lower_better:
            mean = None if mean is None else -mean
            lb, ub = (None if ub is None else -ub), (None if lb is None else -lb)
            steps.append(f"{instrument['label']}: higher is better, so the change is reflected (multiplied by -1)")
        if vt != "percent_change" and factor is not None and factor != 1.0:
            assert common is not None  # rescale_factor gives a factor only with a common scale
            mean, lb, ub = spread(mean), spread(lb), spread(ub)
            steps.append(_rescale_step(instrument, common, factor))
        elif vt == "percent_change":
            out["rescaled"] = False
        out.update(mean=mean, ci_lb=lb, ci_ub=ub)
    else:  # final values and binary rows
        mean = row.get("mean")
        lb, ub = row.get("ci_lb"), row.get("ci_ub")
        if vt == "final" and mean is not None:
            # A value in a unit stays where it is (0 days is 0 days): only a scale's range
            # says where a score lies on the common scale.
            if factor is not None and not units:
                assert common is not None  # rescale_factor gives a factor only with a common scale
                lo, hi = float(instrument["scale_min"]), float(instrument["scale_max"])
                cmin = float(common["scale_min"])

                def place(v: float | None) -> float | None:
                    if v is None:
                        return None
                    return cmin + ((v - lo) if lower_better else (hi - v)) * factor

                mean, lb, ub = place(mean), place(lb), place(ub)
                if not lower_better:
                    lb, ub = ub, lb
                    steps.append(f"{instrument['label']}: higher is better, so scores are reflected onto the common scale")
                if factor != 1.0 or lo != cmin:
                    steps.append(_rescale_step(instrument, common, factor))
            elif not lower_better:
                # No range (or a unit): reflect by sign only; differences stay valid, levels do not.
                mean, lb, ub = -mean, (None if ub is None else -ub), (None if lb is None else -lb)
                steps.append(f"{instrument['label']}: higher is better, so values are multiplied by -1")
        out.update(mean=mean, ci_lb=lb, ci_ub=ub)
    out["sd"] = spread(row.get("sd")) if vt != "percent_change" else row.get("sd")
    out["se"] = spread(row.get("se")) if vt != "percent_change" else row.get("se")
    # The way back to the instrument's own units, for an SD derived on the common scale
    # (from an SE, an interval or a median): an SMD is re-expressed in those units.
    out["scale_factor"] = factor if vt != "percent_change" else None
    out["steps"] = steps
    return out


def orient_contrast(row: Mapping[str, Any], instrument: Mapping[str, Any],
                    common: Mapping[str, Any] | None) -> dict[str, Any]:
    """A reported between-group result as *arm1 minus arm2, lower is better*.

    Mean differences (and their SE) are also put on the common scale when the
    instrument's range is known. Ratios (RR, OR) are returned on the log scale, in the
    direction reported. How a difference is oriented follows ``sign_convention``:

    * ``arm1_minus_arm2``: as reported, reflected (x -1) when higher is better on the
      instrument (not for RD, a difference of event proportions);
    * ``arm2_minus_arm1``: negated, then reflected as above;
    * ``positive_favours_arm1``: negated; ``positive_favours_arm2``: as reported;
    * ``favours_arm1`` / ``favours_arm2`` (the source names the favoured arm but no
      subtraction): the sign is set so that the favoured arm's side is negative
      (``favours_arm1``: ``-|x|``), the interval negated with it;
    * ``no_difference``, ``unclear``, ``ratio_arm1_over_arm2`` with a difference: the
      direction is unknown, so ``estimate``, ``ci_lb`` and ``ci_ub`` are None (the number
      cannot be used, and the step says why).

    Returns ``estimate``, ``ci_lb``, ``ci_ub``, ``se``, ``favours``
    (``arm1``/``arm2``/``neither``/``unclear`` for p-only rows), ``rescaled``,
    ``rescale_step`` (an MD put on the common scale by a factor other than 1: the step
    that says so) and ``steps``.
    """
    measure = row["measure"]
    conv = row["sign_convention"]
    lower_better = bool(instrument["lower_is_better"])
    est, lb, ub = row.get("estimate"), row.get("ci_lb"), row.get("ci_ub")
    se = row.get("se")
    steps: list[str] = []
    out: dict[str, Any] = {"rescaled": False, "se": se}
    if measure == "p_only":
        favours = {"favours_arm1": "arm1", "favours_arm2": "arm2", "positive_favours_arm1": "arm1",
                   "positive_favours_arm2": "arm2", "no_difference": "neither"}.get(conv, "unclear")
        out.update(estimate=None, ci_lb=None, ci_ub=None, favours=favours, steps=steps)
        return out
    if measure in ("RR", "OR"):
        # A blank estimate (the schema allows one) stays blank, as an MD's does.
        out.update(estimate=None if est is None else math.log(est), ci_lb=None if lb is None else math.log(lb),
                   ci_ub=None if ub is None else math.log(ub), favours=None,
                   steps=[f"{measure} taken on the log scale"])
        return out

    def negate() -> None:
        nonlocal est, lb, ub
        est, lb, ub = (None if est is None else -est), (None if ub is None else -ub), (None if lb is None else -lb)

    if conv == "arm2_minus_arm1":
        negate()
        steps.append("reported as arm2 minus arm1: sign reversed")
    elif conv == "positive_favours_arm1":
        negate()
        steps.append("reported with a positive value favouring arm1: sign reversed so that negative favours arm1")
    elif conv in ("favours_arm1", "favours_arm2") and est is not None:
        # Only the favoured arm is stated: its side of zero fixes the sign.
        if (conv == "favours_arm1" and est > 0) or (conv == "favours_arm2" and est < 0):
            negate()
        steps.append(f"no subtraction stated; the source says the result favours {conv.removeprefix('favours_')}: "
                     "sign set so that negative favours arm1")
    elif conv in ("no_difference", "unclear", "ratio_arm1_over_arm2"):
        why = (f"sign convention '{conv}' does not say which arm a positive {measure} favours: "
               "direction unknown, the number is not used")
        out.update(estimate=None, ci_lb=None, ci_ub=None, se=None, favours=None, steps=[*steps, why])
        return out
    if conv in ("arm1_minus_arm2", "arm2_minus_arm1") and not lower_better and measure != "RD":
        negate()
        steps.append(f"{instrument['label']}: higher is better, so the difference is reflected")
    if measure == "MD":
        factor = rescale_factor(instrument, common)
        if unit_problem(instrument, common):
            out["unit_problem"] = unit_problem(instrument, common)
        if factor is not None:
            assert common is not None  # rescale_factor gives a factor only with a common scale
            est, lb, ub, se = (None if v is None else v * factor for v in (est, lb, ub, se))
            out["rescaled"] = True
            if factor != 1.0:
                # Kept apart too: a published MD shown on the common scale says so.
                out["rescale_step"] = _rescale_step(instrument, common, factor)
                steps.append(out["rescale_step"])
    out.update(estimate=est, ci_lb=lb, ci_ub=ub, se=se, favours=None, steps=steps)
    return out


def md_ci_quantile(
    level: float, n1: float | None, n2: float | None, large_n: float = 100
) -> tuple[float, float | None]:
    """The quantile a reported mean difference's confidence interval was built with.

    A mean difference's interval is ``MD -/+ q SE``, so ``SE = (ci_ub - ci_lb) / (2 q)``.
    For large groups ``q`` is the normal quantile (3.92 = 2 x 1.96 for 95%); for small
    ones the interval should have come from t with ``n1 + n2 - 2`` degrees of freedom,
    and the width is divided by ``2 t`` instead (Cochrane Handbook 6.5.2.3: t below about
    60 per group). As for a mean's interval (:func:`metareview.conversions.sd_from_ci_mean`,
    whose ``large_n`` this shares), t is kept while both groups are under ``large_n``:
    software computes the intervals of t-tests and linear models with t. Dividing a
    t-based width by ``2 z`` would overstate the SE, and understate the study's weight.
    Without both group sizes their size is unknown, and z is used.

    Returns
    -------
    tuple
        ``(q, df)``: the quantile, and the t distribution's degrees of freedom (``None``
        when ``q`` is the normal quantile).

    References
    ----------
    Higgins JPT et al. (eds), Cochrane Handbook, version 6.4, section 6.5.2.3.
    """
    alpha = 1.0 - level / 100.0
    if n1 is None or n2 is None or not (n1 < large_n and n2 < large_n) or n1 + n2 <= 2:
        from statistics import NormalDist

        return NormalDist().inv_cdf(1.0 - alpha / 2.0), None
    # scipy.special, not metareview.distributions: every step that reads raw values
    # imports this module, and a change to the model code's distributions must not
    # rerun them (rules/common.smk lists each step's library modules).
    from scipy.special import stdtrit

    df = float(n1 + n2 - 2)
    return float(-stdtrit(df, alpha / 2.0)), df


def label_words(text: Any) -> str:
    """``text`` as words for matching: lower case, runs of anything but letters, digits
    and "<", ">" as one space ("Short-term" and "short term" alike)."""
    return " ".join(re.sub(r"[^a-z0-9<>]+", " ", str(text or "").lower()).split())


def timepoint_key(row: Mapping[str, Any]) -> tuple[float | None, str]:
    """What makes two rows of one study the same timepoint: their weeks, or, for rows
    without weeks (placed by a window's terms), the words of their label, case, spacing
    and punctuation aside."""
    weeks = row.get("timepoint_weeks")
    if weeks is not None:
        return float(weeks), ""
    return None, label_words(row.get("timepoint_label"))


def same_timepoint(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two rows (or a row and an effect) report the same timepoint: the same weeks,
    or, both without weeks, the same words (:func:`timepoint_key`); two rows without
    weeks or words are not known to be the same."""
    key = timepoint_key(a)
    return key == timepoint_key(b) and (key[0] is not None or bool(key[1]))


def set_aside_effect(c: Mapping[str, Any], analysis: Mapping[str, Any]) -> tuple[str, ...] | None:
    """Why a contrast row ``c`` (normalised) that reports an effect of ``analysis``'s
    comparison, an estimate with both bounds of its interval, cannot enter the analysis:
    ("outside the time window",), ("its instrument off the common scale",), both, or ()
    when neither says it; None when the row is of another comparison, outcome or holds no
    such effect (a p-value alone, a side named without a number).

    A trial set aside is not always one without an effect size: Kong 2020's MD on the
    PROMIS T-score (an instrument with no range on the common scale) and Thomas 2006's at
    12 and 24 months (outside a short-term window) come with their intervals. Said to have
    "no effect size to show", they read as trials with nothing but a p-value.
    """
    if ({c.get("node1"), c.get("node2")} != {analysis["intervention"], analysis["comparator"]}
            or c.get("outcome") != analysis["outcome"] or c.get("measure") == "p_only"
            or None in (c.get("estimate"), c.get("ci_lb"), c.get("ci_ub"))):
        return None
    why = []
    if analysis.get("window") not in (c.get("windows") or {}):
        why.append("outside the time window")
    measure = {"cohen_d": "SMD"}.get(c["measure"], c["measure"])
    if measure != analysis["measure"]:
        why.append(f"reported as {measure}, the analysis uses {analysis['measure']}")
    elif measure == "MD" and not c.get("rescaled"):
        why.append("its instrument off the common scale")
    return tuple(why)


def term_window(label: str | None, windows: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The window whose ``terms`` a timepoint label uses ("intermediate term",
    "post-intervention"), or None when it uses none, or those of two windows.

    A published review often gives its timepoints only as its own periods, and a trial
    sometimes only as "immediately after treatment". The team lists in the config, for
    each window, the period words it reads as that window (``windows.<id>.terms``); words
    are matched whole, case and hyphens aside ("short-term" is "short term").
    """
    if not label:
        return None
    text = f" {label_words(label)} "
    found = {name for name, w in windows.items()
             for term in w.get("terms") or ()
             if f" {label_words(term)} " in text}
    return found.pop() if len(found) == 1 else None


#: Value types whose median, quartiles and range may stand in for a missing mean and SD.
MEDIAN_VALUE_TYPES = ("final", "change")


def _median_note(row: Mapping[str, Any], n: float | None) -> str:
    """Why a row's median gave no mean and SD, of the reasons
    :func:`metareview.conversions.mean_sd_from_quantiles` has: the one that applies, so
    that the team knows which cell to look for rather than reading a list of three.

    Without brackets: the report gives it inside a trial's "Label (reason)", where
    "(mean missing (a median without its quartiles (q1 and q3) ...))" nested three deep."""
    if n is None:
        return ("a median without n, in the row or as the arm's n_analysed or n_randomised, gives no estimate of "
                "the mean and SD")
    if n < 2:
        return "a median of fewer than 2 participants gives no estimate of the SD"
    if None in (row.get("q1"), row.get("q3")) and None in (row.get("min"), row.get("max")):
        return "a median without its quartiles q1 and q3 or its range min and max gives no estimate of the mean and SD"
    return "a median whose quartiles or range have zero width gives no estimate of the SD"


#: How a row's median gives a mean and SD: ``(row, n) -> (mean, sd, how) | None``
#: (:func:`metareview.conversions.mean_sd_from_quantiles`).
MedianConversion = Callable[[Mapping[str, Any], float | None], tuple[float, float, str] | None]


def normalise_study(bundle: Mapping[str, Any], *, nodes: Mapping[str, Mapping[str, Any]],
                    outcomes: Mapping[str, Mapping[str, Any]],
                    windows: Mapping[str, Mapping[str, Any]],
                    median_to_mean: MedianConversion | None = None) -> dict[str, Any]:
    """Normalise one study bundle (see :func:`metareview.rawdata.study_bundle`).

    Parameters
    ----------
    bundle
        The study's raw rows.
    nodes, outcomes, windows
        The ``nodes``, ``outcomes`` and ``windows`` sections of the review config.
    median_to_mean
        Given when ``effects.median_to_mean`` is on (the caller passes
        :func:`metareview.conversions.mean_sd_from_quantiles`, which this module does not
        import: the steps that read normalised rows do not depend on the conversions): a
        row with a median (and quartiles or range) but no mean or SD gets the mean and SD
        they imply, before it is put on the common scale; its steps say so and it
        carries ``from_median``.

    Returns
    -------
    dict
        ``study`` (with its design ``role``), ``arms`` (with ``node`` and the arm size
        used), ``arm_values``, ``contrasts`` and ``statements``, each value row carrying
        ``ref``, the windows it falls in and the ``steps`` applied.
    """
    study = dict(bundle["study"])
    study["role"] = design_role(study["design"])
    code_to_node = node_map(nodes)
    roles = {t["treatment"]: t["role"] for t in bundle["treatments"]}
    labels = {t["treatment"]: t["label"] for t in bundle["treatments"]}
    instruments = {i["instrument"]: i for i in bundle["instruments"]}

    arms = {}
    for arm in bundle["arms"]:
        code = arm["treatment"]
        # None: a treatment no node of the review maps (the study's arm is left out).
        node: str | None
        if roles.get(code) == "unnamed":
            node = UNNAMED
        else:
            node = code_to_node.get(code)
        n = arm.get("n_analysed") or arm.get("n_randomised")
        arms[arm["arm_id"]] = {
            "arm_id": arm["arm_id"], "treatment": code, "treatment_label": labels.get(code, code),
            "node": node, "cointervention": arm.get("cointervention"),
            "description": arm.get("description"), "n": n,
            "n_source": "n_analysed" if arm.get("n_analysed") else ("n_randomised" if n else None),
            "ref": arm["_ref"],
        }

    def placed(row: Mapping[str, Any]) -> dict[str, Any]:
        # The windows of a row's timepoint; one in words only is in the window whose terms
        # it uses (``term_window``), at no known distance from the target, so that a
        # timepoint with weeks is preferred to it.
        weeks = row.get("timepoint_weeks")
        if weeks is None:
            term = term_window(row.get("timepoint_label"), windows)
            return {"windows": {} if term is None else {term: None}, "term_window": term}
        # A timepoint between two windows says which (window_gap): set aside, it is in
        # neither, not just outside the analysis's own.
        gap = window_gap(weeks, windows)
        return {"windows": {name: abs(weeks - float(w["target_weeks"])) for name, w in windows.items()
                            if in_window(weeks, w)}, "term_window": None, **({"between": gap} if gap else {})}

    # Each arm's raw row, whose n_missing_reason its value rows without an n take.
    arm_rows = {arm["arm_id"]: arm for arm in bundle["arms"]}
    arm_values = []
    for row in bundle["arm_outcomes"]:
        inst = instruments[row["instrument"]]
        common = outcomes.get(row["outcome"])
        converted = None
        if (median_to_mean is not None and row.get("mean") is None and row.get("sd") is None
                and row["value_type"] in MEDIAN_VALUE_TYPES):
            converted = median_to_mean(row, row.get("n") or arms[row["arm_id"]]["n"])
        if converted is not None:
            mean, sd, how = converted
            n_used = row.get("n") or arms[row["arm_id"]]["n"]
            norm = normalise_arm_value({**row, "mean": mean, "sd": sd}, inst, common)
            step = (f"{how}, n = {n_used:g}: mean = {mean:.4g}, SD = {sd:.4g} (in the instrument's units; assumes "
                    "a roughly normal outcome)")
            norm["steps"] = [step, *norm["steps"]]
            norm["from_median"] = True
        else:
            norm = normalise_arm_value(row, inst, common)
            if median_to_mean is not None and row.get("median") is not None and row.get("mean") is None:
                # Why the conversion the review asked for gave nothing, for the row's reason.
                norm["median_note"] = (_median_note(row, row.get("n") or arms[row["arm_id"]]["n"])
                                       if row.get("sd") is None else
                                       "a median with an SD but no mean: the mean is not estimated from a median alone")
        arm_values.append({
            "ref": row["_ref"], "arm_id": row["arm_id"], "node": arms[row["arm_id"]]["node"],
            "outcome": row["outcome"], "instrument": row["instrument"],
            "instrument_label": inst["label"], "timepoint_weeks": row.get("timepoint_weeks"),
            "timepoint_label": row.get("timepoint_label"), **placed(row),
            "value_type": row["value_type"], "n": row.get("n"),
            "n_from_arm": row.get("n") is None and arms[row["arm_id"]]["n"] is not None,
            # The cell the arm size is read from, [raw row, column]: its own row's n, else
            # its arm's in arms.csv; the audit trail traces sums of arm sizes to it.
            "n_cell": ([row["_ref"], "n"] if row.get("n") is not None else
                       [arms[row["arm_id"]]["ref"], arms[row["arm_id"]]["n_source"]]
                       if arms[row["arm_id"]]["n"] is not None else None),
            "events": row.get("events"), "percent": row.get("percent"),
            "median": row.get("median"), "q1": row.get("q1"), "q3": row.get("q3"),
            "min": row.get("min"), "max": row.get("max"), "confidence": row.get("confidence"),
            # The document the number was read in, when not the study's own: an effect from
            # it says where its numbers were read (metareview.extract.read_elsewhere).
            **({"source_id": row["source_id"]} if row.get("source_id") else {}),
            "raw": {k: row.get(k) for k in ("mean", "sd", "se", "ci_lb", "ci_ub", "ci_level", "n", "median", "q1", "q3",
                                            "min", "max") if row.get(k) is not None},
            "ci_level": row.get("ci_level") or 95.0,
            **norm,
        })
        if arm_values[-1]["n"] is None and n_not_reported(row, arm_rows.get(row["arm_id"])):
            # An empty n the source does not give, as the row's or its arm's n_missing_reason
            # records: its reason says "not reported", where an empty cell alone says only
            # that none was entered.
            arm_values[-1]["n_unreported"] = True
        if arm_values[-1]["n"] is None and arms[row["arm_id"]]["n"] is not None:
            arm_values[-1]["n"] = arms[row["arm_id"]]["n"]
            arm_values[-1]["steps"] = arm_values[-1]["steps"] + [
                # The arm's own row, so the audit trail can name it ("arms.csv row 57").
                f"n = {arms[row['arm_id']]['n']} taken from {arms[row['arm_id']]['ref']}, "
                f"column {arms[row['arm_id']]['n_source']}"]

    contrasts = []
    for row in bundle["contrasts"]:
        inst = instruments[row["instrument"]]
        common = outcomes.get(row["outcome"])
        oriented = orient_contrast(row, inst, common)
        contrasts.append({
            "ref": row["_ref"], "arm1": row["arm1"], "arm2": row["arm2"],
            "node1": arms[row["arm1"]]["node"], "node2": arms[row["arm2"]]["node"],
            "outcome": row["outcome"], "instrument": row["instrument"], "instrument_label": inst["label"],
            "timepoint_weeks": row.get("timepoint_weeks"), "timepoint_label": row.get("timepoint_label"),
            **placed(row), "value_type": row.get("value_type") or "unknown",
            "measure": row["measure"], "ci_level": row.get("ci_level") or 95.0,
            "p_value": row.get("p_value"), "p_qualifier": row.get("p_qualifier") or "=",
            "n1": row.get("n1"), "n2": row.get("n2"), "n_total": row.get("n_total"),
            **({"n_unreported": True} if (row.get("n1") is None or row.get("n2") is None)
               and n_not_reported(row) else {}),
            "k_studies": row.get("k_studies"), "n_participants": row.get("n_participants"),
            "i2": row.get("i2"), "certainty": row.get("certainty"), "confidence": row.get("confidence"),
            "source_level": row.get("source_level"),
            **({"source_id": row["source_id"]} if row.get("source_id") else {}),
            # The level as the source states it, None when it does not: ``ci_level`` above is
            # the level the variance is derived at (95 when unstated), which a label must not
            # pass off as the source's.
            "reported": {k: row.get(k) for k in ("estimate", "ci_lb", "ci_ub", "ci_level", "sign_convention")},
            **oriented,
        })

    statements = []
    for row in bundle["statements"]:
        statements.append({
            "ref": row["_ref"], "arm1": row["arm1"], "arm2": row.get("arm2"),
            "node1": arms[row["arm1"]]["node"], "node2": arms[row["arm2"]]["node"] if row.get("arm2") else None,
            "treatment1_label": arms[row["arm1"]]["treatment_label"],
            "cointervention1": arms[row["arm1"]]["cointervention"],
            "outcome": row["outcome"], "timepoint_label": row.get("timepoint_label"),
            "statement": row["statement"], "direction": row.get("direction"),
            "evidence_level": row.get("evidence_level") or study.get("evidence_level"),
            "quote": row["quote"], "confidence": row["confidence"],
        })

    return {
        "study": study,
        "arms": list(arms.values()),
        "arm_values": arm_values,
        "contrasts": contrasts,
        "statements": statements,
        "risk_of_bias": list(bundle.get("risk_of_bias", [])),
        "sources": list(bundle.get("sources", [])),
    }
