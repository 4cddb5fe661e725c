"""Turn one normalised study into at most one effect size per analysis.

An *analysis* is a contrast between two nodes (intervention vs comparator) on one
outcome, in one time window, with one effect measure (MD on the outcome's common scale,
or SMD). For each analysis a study can contribute to, this module

1. finds the study's arms in each node (one trial, one row per analysis: arms of the same
   node are combined, never counted twice);
2. collects every reported form that could give the measure in the window: arm-level
   means and SDs (final values or change scores) and reported between-group results (a
   mean difference with its CI, a Cohen's d with arm or total N);
3. picks the timepoint nearest the window's target among those with usable data (ties go
   to the earlier timepoint), preferring arm-level data to a reported contrast at the
   same timepoint (arm-level data show their own arithmetic);
4. computes ``yi``/``vi`` with :func:`metareview.effects.escalc`, recording each
   conversion and assumption.

Final values and change scores are kept apart (``options`` by value type): the pooling
step decides which one an analysis uses, since SMDs of final values and of change scores
must never be mixed. Every raw row the analysis looked at gets a reason when it is not
used.

Binary analyses (RR, OR, RD) take arm-level events, percentages of responders (events
reconstructed as ``round(percent x n / 100)``, flagged) or a reported RR/OR/RD with its
CI; see :func:`binary_candidates`.

Sign convention: ``yi`` is intervention vs comparator. For MD and SMD ``yi < 0`` favours the
intervention (lower is better on every scale). For RR and OR ``yi`` is the log ratio and
for RD a difference of proportions; when the counted events are beneficial (responders)
``yi > 0`` favours the intervention (see :func:`favours_intervention_when`).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from metareview.checks import interval_off_centre, timepoint_label_weeks, window_edge
from metareview.fmt import (
    NARROWER_BY_T,
    NO_EQUAL_SPLIT,
    NO_MEDIAN_TO_MEAN,
    NO_SD_IMPUTATION,
    NO_SE_IMPUTATION,
    P_ONLY_REASON,
    SMD_FROM_T_FLAG,
    WARNED_FLAG,
    fixed,
    join_list,
    timepoint_reason,
    window_span,
)
from metareview.measures import check_measure
from metareview.normalise import (
    TRIAL_OWN_KINDS,
    UNNAMED,
    UNNAMED_FLAG,
    document_words,
    is_cointervention,
    label_words,
    rescale_step,
    same_timepoint,
    timepoint_key,
)

#: Reported forms that can give a mean difference or SMD.
CONTINUOUS_MEASURES = ("MD", "SMD", "cohen_d")
#: Binary measures (metafor's codes); RR and OR are analysed on the log scale.
BINARY_MEASURES = ("RR", "OR", "RD")
RATIO_MEASURES = ("RR", "OR")
BINARY_MEASURE_NAMES = {"RR": "risk ratio", "OR": "odds ratio", "RD": "risk difference"}
#: ``options`` key of binary effects (final values and change scores do not apply).
BINARY_VALUE_TYPE = "binary"
#: A 2x2 table with a cell (events or non-events in an arm) below this is flagged as
#: sparse: 5, the usual floor for the normal approximation to a count.
SPARSE_CELL = 5


def combine_groups(n: Sequence[float], mean: Sequence[float], sd: Sequence[float]) -> tuple[float, float, float]:
    """Combine arms into one group (Cochrane Handbook 6.5.2.10, Table 6.5.a).

    .. math::
        N = N_1 + N_2,\\quad M = (N_1 M_1 + N_2 M_2)/N,\\quad
        SD = \\sqrt{\\frac{(N_1-1)SD_1^2 + (N_2-1)SD_2^2 + \\frac{N_1 N_2}{N}(M_1-M_2)^2}{N-1}}

    applied pairwise for more than two arms.
    """
    n_c, m_c, s_c = float(n[0]), float(mean[0]), float(sd[0])
    for n2, m2, s2 in zip(n[1:], mean[1:], sd[1:], strict=True):
        total = n_c + n2
        m_new = (n_c * m_c + n2 * m2) / total
        var = ((n_c - 1) * s_c**2 + (n2 - 1) * s2**2 + n_c * n2 / total * (m_c - m2) ** 2) / (total - 1)
        n_c, m_c, s_c = total, m_new, math.sqrt(var)
    return n_c, m_c, s_c


def baseline_difference(values: Sequence[Mapping[str, Any]], ids1: Sequence[str], ids2: Sequence[str],
                        instrument: str) -> dict[str, Any] | None:
    """How far two groups of arms differed at baseline (week 0) on one instrument.

    A between-group difference of final values carries over any difference the groups
    had before treatment; a change score removes it (Cochrane Handbook 10.5.2). Each
    side's arms are combined as for the effect itself (:func:`combine_groups`), then

    .. math::
        MD_0 = \\bar x_{1,0} - \\bar x_{2,0},\\qquad
        d_0 = MD_0 \\Big/ \\sqrt{\\frac{(n_1-1)SD_1^2 + (n_2-1)SD_2^2}{n_1+n_2-2}}

    on the outcome's common scale and direction (the rows are normalised as the
    outcome's are). ``d_0`` of 0.1 or more in absolute value is the usual mark of a
    meaningful imbalance (Austin PC. Stat Med 2009;28:3083-107).

    Parameters
    ----------
    values
        Normalised arm-level rows of the study (``arm_id``, ``timepoint_weeks``,
        ``value_type``, ``instrument``, ``n``, ``mean``, ``sd``, ``ref``).
    ids1, ids2
        Arms of the intervention and of the comparator that the effect uses.
    instrument
        The effect's instrument: baselines on another one are not comparable.

    Returns
    -------
    dict or None
        ``md`` (common scale), ``smd`` (``d_0``) and ``refs`` of the baseline rows; None
        unless every arm has exactly one baseline row with n, mean and SD.
    """
    groups = []
    refs: list[str] = []
    for ids in (ids1, ids2):
        arms = []
        for arm_id in ids:
            rows = [v for v in values if v["arm_id"] == arm_id and v["timepoint_weeks"] == 0
                    and v["value_type"] == "final" and v["instrument"] == instrument]
            if len(rows) != 1 or any(rows[0].get(k) is None for k in ("n", "mean", "sd")):
                return None
            arms.append(rows[0])
            refs.append(rows[0]["ref"])
        groups.append(combine_groups([float(a["n"]) for a in arms], [float(a["mean"]) for a in arms],
                                     [float(a["sd"]) for a in arms]))
    (n1, m1, s1), (n2, m2, s2) = groups
    if n1 + n2 <= 2:
        return None
    sd_pooled = math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2))
    if sd_pooled == 0:
        return None
    return {"md": m1 - m2, "smd": (m1 - m2) / sd_pooled, "refs": refs}


def changes_from_baseline(values: Sequence[Mapping[str, Any]], ids1: Sequence[str], ids2: Sequence[str],
                          instrument: str, when: tuple[float | None, str]) -> dict[str, Any] | None:
    """Each side's mean improvement from baseline, in the instrument's own points.

    From the change-score rows of the same instrument and timepoint (an SD is not
    needed: nothing is pooled from them), each side's arms weighted by n. The size is the
    source's own number; its sign is read from the normalised row, on which a negative
    change is an improvement whatever the instrument's direction or the source's sign
    convention, so a positive result is an improvement.

    Returns
    -------
    dict or None
        ``intervention`` and ``comparator`` (points), ``instrument`` (its label) and
        ``refs`` (the change rows read, which the audit trail quotes), or None unless
        every arm has exactly one such row with n and mean.
    """
    sides = []
    refs: list[str] = []
    label = None
    for ids in (ids1, ids2):
        total = weighted = 0.0
        for arm_id in ids:
            rows = [v for v in values if v["arm_id"] == arm_id and v["value_type"] == "change"
                    and v["instrument"] == instrument and timepoint_key(v) == when]
            if len(rows) != 1:
                return None
            v = rows[0]
            raw = v.get("raw", {})
            if raw.get("mean") is None or v.get("n") is None or v.get("mean") is None:
                return None
            improvement = abs(float(raw["mean"])) * (1.0 if float(v["mean"]) < 0 else -1.0)
            total += float(v["n"])
            weighted += float(v["n"]) * improvement
            label = v.get("instrument_label") or instrument
            refs.append(v["ref"])
        sides.append(weighted / total)
    return {"intervention": sides[0], "comparator": sides[1], "instrument": label, "refs": refs}


def _instrument_sd(v: Mapping[str, Any], sd: float, sd_from: str) -> dict[str, Any] | None:
    """An arm's SD as an effect used it, in the instrument's own units, with where it came
    from, or None when it is not the arm's own (imputed from a p-value, which assumes
    the arms' SDs equal) or its size or scale is unknown.

    ``sd`` is on the scale of the normalised value (the common scale where the row was
    rescaled); a raw SD cell is taken as typed, any other SD divided by the value's
    ``scale_factor``.

    Returns
    -------
    dict or None
        ``ref`` (the raw row), ``arm_id``, ``n``, ``sd`` and ``from``: ``sd`` (the row's
        SD cell), ``se`` (SE x sqrt(n)), ``ci`` (from the interval of the mean) or
        ``median`` (estimated from a median with its quartiles or range).
    """
    if sd_from == "imputed" or v.get("n") is None:
        return None
    raw_sd = (v.get("raw") or {}).get("sd")
    if sd_from == "sd" and raw_sd is not None:
        own = float(raw_sd)
    elif "scale_factor" not in v and v.get("rescaled"):
        # A normalised file written before it said its factor: the units are unknown.
        return None
    else:
        factor = v.get("scale_factor")
        own = sd / abs(float(factor)) if factor else sd
    return {"ref": v["ref"], "arm_id": v["arm_id"], "n": float(v["n"]), "sd": own, "from": sd_from}


def _native_difference(group: Sequence[Mapping[str, Any]], ids1: Sequence[str],
                       ids2: Sequence[str]) -> dict[str, Any] | None:
    """The size of an arm-level SMD's difference in its own instrument's points.

    An SMD tells a clinician little by itself; the same difference in the points of the
    instrument the trial used does (Cochrane Handbook 15.5.3.2 re-expresses an SMD in a
    familiar instrument's units). From the source's own means, before any rescaling,
    each side's arms combined as a weighted mean:

    .. math:: |\\bar x_1 - \\bar x_2|,\\quad \\bar x_j = \\sum_i n_i \\bar x_i / \\sum_i n_i

    The magnitude only: which side it favours is the SMD's sign. None when a mean was
    derived (from a median, say) or the rows count change in opposite directions.

    Where each side is one arm whose row gives its SD, the trial's own mean difference in
    the instrument's points, as metafor's ``escalc(measure = "MD")`` computes it from the
    same cells (intervention minus comparator, before any rescaling or reflection):
    ``md`` = x̄₁ − x̄₂ and ``md_vi`` = sd₁²/n₁ + sd₂²/n₂. A summary that gives a single
    trial's SMD in points then gives the trial's own difference and its interval, not the
    SMD times an SD.

    Returns
    -------
    dict or None
        ``difference`` (points, >= 0) and ``instrument`` (its label); ``md`` and
        ``md_vi`` where each side is one arm with an SD.
    """
    rows = {v["arm_id"]: v for v in group}
    if len({v.get("change_sign") for v in group}) > 1 or len({v.get("instrument_label") for v in group}) != 1:
        return None
    means = []
    sides = []
    for ids in (ids1, ids2):
        raw = [rows[a].get("raw", {}) for a in ids]
        if any(r.get("mean") is None or r.get("n") is None for r in raw):
            return None
        n = sum(float(r["n"]) for r in raw)
        means.append(sum(float(r["n"]) * float(r["mean"]) for r in raw) / n)
        sides.append(raw)
    native: dict[str, Any] = {"difference": abs(means[0] - means[1]),
                              "instrument": group[0].get("instrument_label") or group[0]["instrument"]}
    one, two = sides
    if len(one) == 1 and len(two) == 1 and one[0].get("sd") is not None and two[0].get("sd") is not None:
        from metareview.effects import escalc

        es = escalc("MD", m1i=[float(one[0]["mean"])], sd1i=[float(one[0]["sd"])], n1i=[float(one[0]["n"])],
                    m2i=[float(two[0]["mean"])], sd2i=[float(two[0]["sd"])], n2i=[float(two[0]["n"])])
        md, md_vi = float(es.yi[0]), float(es.vi[0])
        if math.isfinite(md) and math.isfinite(md_vi) and md_vi > 0:
            native.update(md=md, md_vi=md_vi)
    return native


def _z(level: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + level / 200.0)


def _effect_from_arms(measure: str, g1: Mapping[str, Any], g2: Mapping[str, Any]) -> tuple[float, float, list[str]]:
    from metareview.effects import escalc, hedges_j

    es = escalc(measure, m1i=[g1["mean"]], sd1i=[g1["sd"]], n1i=[g1["n"]],
                m2i=[g2["mean"]], sd2i=[g2["sd"]], n2i=[g2["n"]])
    yi, vi = float(es.yi[0]), float(es.vi[0])
    if measure == "SMD":
        m = g1["n"] + g2["n"] - 2
        steps = [f"Hedges' g from means and SDs: d = {yi / float(hedges_j(m)):.4f}, J = {float(hedges_j(m)):.4f} (df = {m:g}); vi = 1/n1 + 1/n2 + g^2/(2(n1+n2))"]
    else:
        steps = ["MD from means: vi = sd1^2/n1 + sd2^2/n2"]
    return yi, vi, steps


class _Candidate(dict):
    """A usable effect for one analysis from one form at one timepoint."""


def _n_addend(v: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The cell an arm value's size was read from, as an addend of a sum of arm sizes:
    ``[{"ref", "column", "value"}]`` (its row's n, or its arm's in arms.csv), or none when
    the normalised value does not say (a file written before it did)."""
    cell = v.get("n_cell")
    return [] if not cell or v.get("n") is None else [{"ref": cell[0], "column": cell[1], "value": float(v["n"])}]


def _contrast_sizes(c: Mapping[str, Any], sign: int, split: bool) -> dict[str, list[dict[str, Any]]]:
    """The cells a reported contrast's arm sizes come from, oriented as its effect: columns
    n1 and n2 (swapped when the contrast was reported the other way round), or half of
    n_total each when the sizes were split equally (``split``), or none for a size unknown.
    """
    columns = ("n1", "n2") if sign > 0 else ("n2", "n1")
    out: dict[str, list[dict[str, Any]]] = {}
    for key, column in zip(("n1", "n2"), columns, strict=True):
        if split:
            out[key] = [{"ref": c["ref"], "column": "n_total", "cell": float(c["n_total"]),
                         "value": float(c["n_total"]) / 2.0, "how": "half of n_total (arm sizes assumed equal)"}]
        elif c.get(column) is not None:
            out[key] = [{"ref": c["ref"], "column": column, "value": float(c[column])}]
    return out


#: The flag of an effect, and the note of a published result, that uses a value its raw
#: row rates ``low`` (data/raw/README.md: "ambiguous"; the row's notes say why, a
#: third-party transcription, say). The report's summary says it of an effect
#: (from the option's ``low_confidence`` rows).
#: Worded without brackets: it stands inside the brackets of a study's notes ("(rated by
#: its raw row as extracted with low confidence; timepoint ...)"), where "(its raw row's
#: rating)" nested one pair in another.
LOW_CONFIDENCE = "rated by its raw row as extracted with low confidence"



def window_edge_flag(edge: Mapping[str, Any]) -> str:
    """The flag of an effect at a window's edge (:func:`metareview.checks.window_edge`).

    >>> window_edge_flag({"side": "upper", "bound": 12.0, "low": 12.0, "high": 12.35, "weeks": 12.0})
    'timepoint at the window’s upper edge: its words give 12 to 12.35 weeks (a month 4 to 4.35 weeks), entered as week 12, in a window ending at week 12'
    """
    def g(x: float) -> str:
        return f"{round(float(x), 2):g}"

    ends = "ending" if edge["side"] == "upper" else "starting"
    return (f"timepoint at the window\u2019s {edge['side']} edge: its words give {g(edge['low'])} to "
            f"{g(edge['high'])} weeks (a month 4 to 4.35 weeks), entered as week {g(edge['weeks'])}, in a window "
            f"{ends} at week {g(edge['bound'])}")


def arm_treatments(normalised: Mapping[str, Any], refs: Sequence[str], i_ids: Collection[str],
                   c_ids: Collection[str]) -> dict[str, list[dict[str, str]]]:
    """The raw treatments (treatments.csv codes and labels) of the arms an effect was read
    from, by side: ``{"intervention": [{"treatment", "label"}], "comparator": [...]}``.

    A node groups treatments ("sham, minimal needling or placebo TENS"): an indirect
    comparison through it is valid only if the two sides' controls are the same treatment
    (transitivity; Salanti 2012, Cochrane Handbook chapter 11), which the node alone does
    not say. The arms are those of the effect's rows (``refs``): an arm value's arm, or a
    contrast's two arms.
    """
    arms = {a["arm_id"]: a for a in normalised["arms"]}
    by_ref = {v["ref"]: [v["arm_id"]] for v in normalised["arm_values"]}
    by_ref.update({c["ref"]: [c.get("arm1"), c.get("arm2")] for c in normalised["contrasts"]})
    used = {a for ref in refs for a in by_ref.get(ref, []) if a in arms}
    return {side: [{"treatment": code, "label": label} for code, label in sorted(
                {(arms[a]["treatment"], arms[a].get("treatment_label") or arms[a]["treatment"])
                 for a in used if a in ids})]
            for side, ids in (("intervention", i_ids), ("comparator", c_ids))}


def read_elsewhere(normalised: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The rows of a trial whose numbers were read in a document other than its own report.

    A row's ``source_id`` names the document it was read in when that is not the study's
    own (data/raw/README.md). A trial read in its own report (``source_level``
    ``primary``) may still take a number from elsewhere: an arm read off an evidence
    report's forest plot, another from a third-party transcription of the trial's table
    (Cherkin 2009). Such a number cannot be checked against the trial's publication, as a
    secondary source's cannot, and its effect says so.

    Parameters
    ----------
    normalised
        Output of :func:`metareview.normalise.normalise_study`.

    Returns
    -------
    dict
        For each such row's ref, ``source_id`` and ``kind`` of its document. Empty for a
        study that is not a trial, for one known only from a secondary source (its
        ``source_level`` says so already, of every row), and for rows that cite another
        of the trial's own reports (:data:`TRIAL_OWN_KINDS`: its full text beside its
        abstract).
    """
    study = normalised["study"]
    if study.get("role") != "trial" or study.get("source_level") == "secondary":
        return {}
    kinds = {x["source_id"]: x.get("kind") or "other" for x in normalised.get("sources", [])}
    out = {}
    for v in [*normalised["arm_values"], *normalised["contrasts"]]:
        sid = v.get("source_id")
        if sid and sid != study.get("source_id") and kinds.get(sid, "other") not in TRIAL_OWN_KINDS:
            out[v["ref"]] = {"source_id": sid, "kind": kinds.get(sid, "other")}
    return out


def read_elsewhere_flag(refs: Sequence[str], elsewhere: Mapping[str, Mapping[str, str]]) -> str | None:
    """The flag of an effect from ``refs`` some of which were read in another document
    (:func:`read_elsewhere`), or None when none was.

    >>> read_elsewhere_flag(["a#1", "a#2"], {"a#1": {"source_id": "fig8", "kind": "evidence_report"},
    ...                                      "a#2": {"source_id": "tab2", "kind": "secondary_summary"}})
    'numbers read in documents other than the trial’s own report (an evidence report; a secondary summary)'
    >>> read_elsewhere_flag(["a#1", "a#2"], {"a#2": {"source_id": "fig8", "kind": "evidence_report"}})
    'some numbers read in a document other than the trial’s own report (an evidence report)'
    """
    read = [r for r in refs if r in elsewhere]
    if not read:
        return None
    docs = list(dict.fromkeys(elsewhere[r]["source_id"] for r in read))
    kinds = [document_words(next(elsewhere[r]["kind"] for r in read if elsewhere[r]["source_id"] == d))
             for d in docs]
    some = "" if len(read) == len(refs) else "some "
    where = "a document" if len(docs) == 1 else "documents"
    return f"{some}numbers read in {where} other than the trial\u2019s own report ({'; '.join(kinds)})"


def study_effects(normalised: Mapping[str, Any], analyses: Sequence[Mapping[str, Any]], *,
                  windows: Mapping[str, Mapping[str, Any]],
                  assume_equal_arms_from_total: bool = True,
                  impute_missing_sd: bool = False,
                  baseline_imbalance_smd: float = 0.1) -> dict[str, Any]:
    """Effect sizes of one study for every analysis it can contribute to.

    Parameters
    ----------
    normalised
        Output of :func:`metareview.normalise.normalise_study`.
    analyses
        The ``analyses`` section of the config (id, intervention, comparator, outcome,
        window, measure).
    windows
        The ``windows`` section of the config.
    assume_equal_arms_from_total
        Allow a contrast reported with only a total N to be split equally between arms
        (flagged as an assumption).
    impute_missing_sd
        When an arm-level mean has no SD, SE or CI, impute a common SD from the study's
        exact two-sided p-value for the same contrast, and give a reported mean difference
        without a CI or SE the SE its exact p-value implies (both flagged wherever used).
        An SD from an SE or from a CI of the mean is a conversion, not an imputation, and
        is always done.
    baseline_imbalance_smd
        Flag an effect from final values whose arms already differed at baseline by at
        least this standardised difference (:func:`baseline_difference`; 0.1 is the usual
        mark of a meaningful imbalance, Austin 2009).

    Returns
    -------
    dict
        ``study_id``, ``label``, ``role``, ``analyses`` (per analysis id: ``options`` by
        value type, ``external`` evidence, ``narrative`` statements, ``considered`` row
        reasons) and ``rows`` (for each raw row ref, what became of it per analysis).
    """
    for analysis in analyses:
        check_measure(analysis)
    study = normalised["study"]
    role = study["role"]
    arms = {a["arm_id"]: a for a in normalised["arms"]}
    out: dict[str, Any] = {"study_id": study["study_id"], "label": study["label"], "role": role,
                           "design": study["design"], "source_level": study["source_level"],
                           "identity_confidence": study["identity_confidence"],
                           "population_fit": study.get("population_fit"), "analyses": {}}
    row_notes: dict[str, list[dict[str, str]]] = {}
    low_confidence = {v["ref"] for v in [*normalised["arm_values"], *normalised["contrasts"]]
                      if v.get("confidence") == "low"}
    elsewhere = read_elsewhere(normalised)
    # The timepoint as the source words it ("6 months", "1 month after the 8-week
    # course"), which the report gives beside the weeks it was entered as.
    timepoint_labels = {v["ref"]: v.get("timepoint_label") for v in [*normalised["arm_values"],
                                                                      *normalised["contrasts"]]}

    def note(ref: str, analysis: str, use: str, reason: str | None = None,
             also: Sequence[Mapping[str, Any]] = (), timepoint: Mapping[str, Any] | None = None,
             partner: str | None = None) -> None:
        # A reason of the row's timepoint is kept as its record's fields, with its words
        # written from them: the steps after this one compare the fields, never the words.
        entry: dict[str, Any] = {"analysis": analysis, "use": use,
                                 "reason": timepoint_reason(timepoint) if timepoint else reason}
        if timepoint:
            entry["timepoint"] = dict(timepoint)
        if partner:
            # A complete row kept out by its other arm's row: that row's reason, by which
            # the trial's reason gives the fact once (metareview.analysis.drop_partner_reasons).
            entry["partner"] = partner
        if also:
            entry["also"] = [dict(a) for a in also]
        row_notes.setdefault(ref, []).append(entry)

    for analysis in analyses:
        aid = analysis["id"]
        i_node, c_node = analysis["intervention"], analysis["comparator"]
        outcome, window, measure = analysis["outcome"], analysis["window"], analysis["measure"]
        i_arms = [a for a in arms.values() if a["node"] == i_node]
        c_arms = [a for a in arms.values() if a["node"] == c_node]
        if not i_arms or not c_arms:
            continue
        # Add-on designs (X + C vs C) estimate X on top of C, not X against C: an analysis
        # may keep them ("any", the default), exclude them ("head_to_head") or keep only
        # them ("add_on").
        add_on = [a for a in i_arms if a.get("cointervention") not in (None, "none")
                  and any(is_cointervention(c["treatment"], a["cointervention"]) for c in c_arms)]
        mode = analysis.get("designs", "any")
        dropped = add_on if mode == "head_to_head" else [a for a in i_arms if a not in add_on] if mode == "add_on" else []
        if dropped:
            # "add-on design: X + C vs C", as the flag of a kept one reads: the report prints
            # the reason in brackets, where "(add-on design (X + C vs C); ...)" read as a slip.
            why = ("add-on design: " + ", ".join(f"{a['treatment_label']} + {a['cointervention'].replace('_', ' ')}" for a in dropped)
                   + f" vs {c_arms[0]['treatment_label']}; this analysis compares treatments head to head"
                   if mode == "head_to_head" else "not an add-on design; this analysis takes add-on designs only")
            gone = {a["arm_id"] for a in dropped}
            # What else would keep each row out were its design eligible (no SDs, say):
            # a team that learns only of the design might go looking for data it would
            # still be unable to use.
            eligible = study_effects(normalised, [{**analysis, "designs": "any"}], windows=windows,
                                     assume_equal_arms_from_total=assume_equal_arms_from_total,
                                     impute_missing_sd=impute_missing_sd,
                                     baseline_imbalance_smd=baseline_imbalance_smd)["rows"]

            # Each as a reason record, its timepoint's fields with it, once.
            others = {ref: list({n["reason"]: {k: n[k] for k in ("reason", "timepoint") if k in n}
                                 for n in notes if n["analysis"] == aid and n["use"] == "excluded"}.values())
                      for ref, notes in eligible.items()}
            for row in normalised["arm_values"]:
                if row["arm_id"] in gone and row["outcome"] == outcome:
                    note(row["ref"], aid, "excluded", why, others.get(row["ref"], []))
            comparator_ids = {a["arm_id"] for a in c_arms}
            for row in normalised["contrasts"]:
                # Only a contrast of a dropped arm with a comparator arm: one with another arm
                # of the intervention's node (X + C vs X alone) was never this analysis's.
                pair = {row["arm1"], row["arm2"]}
                if pair & gone and (pair - gone) & comparator_ids and row["outcome"] == outcome:
                    note(row["ref"], aid, "excluded", why, others.get(row["ref"], []))
            i_arms = [a for a in i_arms if a not in dropped]
            if not i_arms:
                out["analyses"][aid] = {"options": {}, "external": [], "narrative": [], "flags": []}
                continue
        i_ids = {a["arm_id"] for a in i_arms}
        c_ids = {a["arm_id"] for a in c_arms}
        result: dict[str, Any] = {"options": {}, "external": [], "narrative": [], "flags": []}
        if i_node == UNNAMED or c_node == UNNAMED:
            result["flags"].append(UNNAMED_FLAG)
        cointerventions = {a["cointervention"] for a in i_arms + c_arms if a.get("cointervention") not in (None, "none")}
        for arm in i_arms:
            if arm.get("cointervention") not in (None, "none") and arm["cointervention"] == arms_treatment_node(c_arms, arm["cointervention"]):
                result["flags"].append(f"add-on design: {arm['treatment_label']} + {arm['cointervention'].replace('_', ' ')} vs {arm['cointervention'].replace('_', ' ')}")
        if cointerventions:
            result["cointerventions"] = sorted(cointerventions)

        # --- statements (narrative) ------------------------------------------------
        for s in normalised["statements"]:
            if s["outcome"] == outcome and s["arm1"] in i_ids and (s["arm2"] is None or s["arm2"] in c_ids):
                result["narrative"].append(s["ref"])

        def relevant_values(v: Mapping[str, Any]) -> bool:
            return v["outcome"] == outcome and v["arm_id"] in (i_ids | c_ids)

        def relevant_contrast(c: Mapping[str, Any]) -> int:
            if c["outcome"] != outcome:
                return 0
            if c["arm1"] in i_ids and c["arm2"] in c_ids:
                return 1
            if c["arm1"] in c_ids and c["arm2"] in i_ids:
                return -1
            return 0

        contrasts = [(c, relevant_contrast(c)) for c in normalised["contrasts"]]
        contrasts = [(c, s) for c, s in contrasts if s]
        values = [v for v in normalised["arm_values"] if relevant_values(v)]

        if role == "external":
            for c, sign in contrasts:
                result["external"].append({**_external_entry(c, sign, measure, window, windows[window]),
                                           **_external_arms(arms, c, sign, c_ids)})
                note(c["ref"], aid, "external", "published pooled result: shown as external evidence, never pooled with trials")
            for v in values:
                note(v["ref"], aid, "excluded", "arm-level value from a review: not used")
            if result["external"]:
                out["analyses"][aid] = result
            continue
        if role == "narrative":
            for c, _ in contrasts:
                note(c["ref"], aid, "narrative", "guideline or consensus: narrative evidence only")
            for v in values:
                note(v["ref"], aid, "narrative", "guideline or consensus: narrative evidence only")
            if result["narrative"]:
                out["analyses"][aid] = result
            continue
        if role == "ineligible":
            # The design in words ("case series"), not its code in quotation marks: the
            # tables of trials set aside are read by clinicians.
            why = f"its design ({study['design'].replace('_', ' ')}) is not one this review pools"
            for c, _ in contrasts:
                note(c["ref"], aid, "excluded", why)
            for v in values:
                note(v["ref"], aid, "excluded", why)
            if contrasts or values:
                out["analyses"][aid] = result
            continue

        candidates: list[_Candidate] = []
        if measure in BINARY_MEASURES:
            # Events, percentages of responders and reported RR/OR/RD are read by their
            # own functions; the continuous blocks below are then left nothing to read.
            candidates += binary_candidates(values, contrasts, analysis, windows[window], i_ids, c_ids,
                                            assume_equal_arms_from_total=assume_equal_arms_from_total,
                                            note=lambda ref, use, reason=None, timepoint=None, aid=aid: note(
                                                ref, aid, use, reason, timepoint=timepoint))
            values, contrasts = [], []
        # --- arm-level data ----------------------------------------------------------
        for v in values:
            if v["value_type"] == "within_group_change":
                note(v["ref"], aid, "excluded", "within-group change of one arm: not a between-group effect")
            elif v["value_type"] in ("events", "percent_responders"):
                note(v["ref"], aid, "excluded", "binary result: this analysis is of a continuous outcome")
            elif v["value_type"] == "percent_change":
                note(v["ref"], aid, "excluded", "mean percentage change from baseline cannot be converted to a mean difference or SMD")
            elif v["timepoint_weeks"] == 0:
                note(v["ref"], aid, "excluded", timepoint={"kind": "baseline"})
            elif window not in v["windows"]:
                note(v["ref"], aid, "excluded", timepoint=timepoint_set_aside(v, windows[window], window))
        usable_vals = [v for v in values if v["value_type"] in ("final", "change") and window in v["windows"]
                       and v["timepoint_weeks"] != 0]
        # A timepoint in words only (weeks None, placed by the window's terms) after those
        # in weeks.
        keys = sorted({(timepoint_key(v), v["instrument"], v["value_type"]) for v in usable_vals}, key=_in_time_order)
        for when, instrument, value_type in keys:
            weeks = when[0]
            group = [v for v in usable_vals
                     if (timepoint_key(v), v["instrument"], v["value_type"]) == (when, instrument, value_type)]
            g_i = [v for v in group if v["arm_id"] in i_ids]
            g_c = [v for v in group if v["arm_id"] in c_ids]
            refs = [v["ref"] for v in group]
            if not g_i or not g_c:
                for v in group:
                    note(v["ref"], aid, "excluded", "no value for the other arm at the same timepoint and instrument")
                continue
            problem = None
            arm_ids = [v["arm_id"] for v in group]
            repeated = sorted({a for a in arm_ids if arm_ids.count(a) > 1})
            if repeated:
                # Two rows for one arm would be combined as if they were two groups of
                # participants, counting the same people twice.
                problem = (f"more than one value for arm {', '.join(repeated)} at this timepoint, instrument and "
                           "value type: which one to use is ambiguous")
            imputed_sd: dict[str, tuple[float, str]] = {}
            culprit = None  # the row whose value is missing, when one row's is
            for v in ([] if problem else g_i + g_c):
                culprit = v["ref"]
                if _row_problem(v, impute_missing_sd):
                    problem = _row_problem(v, impute_missing_sd)
                elif v["sd"] is None and v.get("se") is None and v.get("ci_lb") is None:
                    # (Imputation is on: _row_problem names a missing SD when it is off.)
                    found = _sd_from_p_value(normalised["contrasts"], g_i, g_c, weeks, instrument)
                    if found is None:
                        problem = "SD missing, and no exact p-value to impute it from"
                    else:
                        imputed_sd.update({x["ref"]: found for x in g_i + g_c if x["sd"] is None})
                if problem:
                    break
            if problem is None:
                culprit = None
            if problem is None and measure == "MD" and not all(v["rescaled"] for v in group):
                problem = next((v["unit_problem"] for v in group if v.get("unit_problem")),
                               "instrument range unknown: cannot express as MD on the common scale")
            if problem:
                for v in group:
                    # Each row says what it lacks itself; a complete row whose other arm's row
                    # lacks a value says that, since a team checking it would find nothing amiss.
                    own = _row_problem(v, impute_missing_sd)
                    partner = culprit is not None and not problem.startswith("SD missing,")
                    if partner and not own:
                        note(v["ref"], aid, "excluded", f"the other arm's row at this timepoint is not usable "
                             f"({problem})", partner=problem)
                    else:
                        note(v["ref"], aid, "excluded", own if partner else problem)
                continue
            steps: list[str] = []
            flags: list[str] = []
            for v in group:
                steps += [f"{v['ref']}: {s}" for s in v["steps"]]
            if any(v.get("from_median") for v in group):
                flags.append("mean and SD estimated from a median with its quartiles or range (assumes a roughly "
                             "normal outcome)")
            prepared = []
            # Each comparator arm's SD in the instrument's own units, where it is known
            # (read, or derived from an SE, an interval or a median), for re-expressing
            # an SMD in that instrument's points (metareview.reexpress).
            comparator_sds: list[dict[str, Any]] = []
            for v in g_i + g_c:
                sd = v["sd"]
                sd_from = "median" if v.get("from_median") else "sd"
                # The SE or CI was rescaled with the mean (its rescale step, as for a
                # contrast's): the SD derived from it is on the common scale, not in the raw
                # cells' units, and the step says so.
                scale = " on the common scale" if rescale_step(v) else ""
                if sd is None and v.get("se") is not None:
                    sd_from = "se"
                    sd = v["se"] * math.sqrt(v["n"])
                    steps.append(f"{v['ref']}: SD from SE, n = {v['n']}: SD = SE x sqrt(n) = {sd:.4g}{scale}")
                elif sd is None and v.get("ci_lb") is not None:
                    sd_from = "ci"
                    from metareview.conversions import sd_from_ci_mean

                    est = sd_from_ci_mean([v["ci_lb"]], [v["ci_ub"]], [v["n"]], level=float(v["ci_level"]))
                    sd = float(est.sd[0])
                    # The formula with the quantile it took, as a mean difference's SE step
                    # gives its own: the rule alone left a reader to find t(n - 1) to check it.
                    steps.append(f"{v['ref']}: {est.method}, n = {v['n']}: SD = sqrt(n) x (upper - lower)/"
                                 f"(2 x {float(est.quantile[0]):.6f}) = {sd:.4g}{scale}")
                elif sd is None:
                    sd_from = "imputed"
                    sd, how = imputed_sd[v["ref"]]
                    steps.append(f"{v['ref']}: {how}")
                    flags.append("SD imputed from a p-value")
                if v["arm_id"] in c_ids:
                    arm_sd = _instrument_sd(v, float(sd), sd_from)
                    if arm_sd is not None:
                        comparator_sds.append(arm_sd)
                prepared.append({"arm_id": v["arm_id"], "n": float(v["n"]), "mean": float(v["mean"]), "sd": float(sd),
                                 "cells": _n_addend(v)})
            p_i = [p for p in prepared if p["arm_id"] in i_ids]
            p_c = [p for p in prepared if p["arm_id"] in c_ids]

            def merged(ps: list[dict[str, Any]], what: str) -> dict[str, Any]:
                if len(ps) == 1:
                    return ps[0]
                n, m, s = combine_groups([p["n"] for p in ps], [p["mean"] for p in ps], [p["sd"] for p in ps])
                steps.append(f"{what} arms {', '.join(p['arm_id'] for p in ps)} combined into one group "
                             f"(Cochrane Handbook 6.5.2.10): n = {n:g}, mean = {m:.4g}, SD = {s:.4g}")
                flags.append(f"{len(ps)} {what} arms combined")
                return {"n": n, "mean": m, "sd": s, "cells": [c for p in ps for c in p["cells"]]}

            # An arm of the node with no value here is left out, and the effect then speaks
            # for the other arms only: a reader needs to know (Cochrane Handbook 6.5.2.10
            # combines all of them where it can).
            for what, ids, ps in (("intervention", i_ids, p_i), ("comparator", c_ids, p_c)):
                left_out = sorted(a for a in ids if a not in {p["arm_id"] for p in ps})
                if left_out:
                    named = ", ".join(f"\u2018{_arm_name(arms[a])}\u2019" for a in left_out)
                    flags.append(f"{what} arm{'s' if len(left_out) > 1 else ''} {named} not included: "
                                 "no value at this timepoint, instrument and value type")
            g1, g2 = merged(p_i, "intervention"), merged(p_c, "comparator")
            yi, vi, s = _effect_from_arms(measure, g1, g2)
            if not (math.isfinite(yi) and math.isfinite(vi) and vi > 0):
                # Two arms without spread (SDs of 0): no variance, so no weight to give.
                for r in refs:
                    note(r, aid, "excluded", f"{measure} not estimable: the arms' SDs give no variance")
                continue
            steps += s
            native = _native_difference(group, [p["arm_id"] for p in p_i], [p["arm_id"] for p in p_c]) \
                if measure == "SMD" else None
            baseline = None
            base = None
            if native is not None and native.get("md") is not None and value_type == "final":
                # The arms' changes from baseline, where the source gives them: printed beside
                # the difference in final means, as the baseline check prints them, so that a
                # reader sees both comparisons the trial allows.
                moved = changes_from_baseline(values, [p["arm_id"] for p in p_i], [p["arm_id"] for p in p_c],
                                              instrument, when)
                if moved is not None:
                    native["change"] = {k: moved[k] for k in ("intervention", "comparator", "refs")}
            if value_type == "final":
                base = baseline_difference(values, [p["arm_id"] for p in p_i], [p["arm_id"] for p in p_c], instrument)
                if base is not None:
                    shown_base = base["smd"] if measure == "SMD" else base["md"]
                    # The MD is on the common scale: said when that is not the raw cells'
                    # units (RMDQ 10.8 vs 9.8 is an MD of 1 point, 4.348 on 0-100).
                    scale = (" on the common scale" if any(rescale_step(v) for v in values if v["ref"] in base["refs"])
                             else "")
                    steps.append(f"{', '.join(base['refs'])}: baseline (week 0) difference between the groups: "
                                 f"MD = {base['md']:.4g}{scale}, d = {base['smd']:.4f}")
                    if abs(base["smd"]) >= baseline_imbalance_smd:
                        baseline = {"yi": shown_base, "smd": base["smd"], "refs": base["refs"]}
                        # What the change scores say, where the source gives them, even
                        # without SDs: the comparison a final value cannot make.
                        change = changes_from_baseline(values, [p["arm_id"] for p in p_i],
                                                       [p["arm_id"] for p in p_c], instrument, when)
                        if change is not None:
                            # A side of more than one arm of its node (individualised and
                            # standardised acupuncture) names the arms its change is of,
                            # whether one of them or all combined: "the intervention group"
                            # alone read as the trial's every arm of the treatment.
                            for what, ids, ps in (("intervention", i_ids, p_i), ("comparator", c_ids, p_c)):
                                if len(ids) > 1:
                                    change[f"{what}_arms"] = [_arm_names([arms[i] for i in ids])[p["arm_id"]]
                                                              for p in ps]
                            baseline["change"] = change
                        # Rounded as the summary prints it (fixed: ties to even on the
                        # decimal), so that the flag and the sentence give one number.
                        # An SMD analysis's is Cohen's d (no small-sample correction), not
                        # the Hedges' g its effects are: named so.
                        size = f"d = {fixed(shown_base)}" if measure == "SMD" else f"{measure} {fixed(shown_base)}"
                        flags.append(f"arms differed at baseline ({size} at week 0): a "
                                     "final-value effect carries the difference, a change score less of it")
            candidates.append(_Candidate(
                yi=yi, vi=vi, n1=g1["n"], n2=g2["n"], value_type=value_type, timepoint_weeks=weeks,
                distance=v_distance(weeks, windows[window]),
                form=("arm-level medians (mean and SD estimated)" if any(v.get("from_median") for v in group)
                      else "arm-level means and SDs"),
                instrument=instrument, refs=refs, steps=steps, flags=flags, priority=0,
                sizes={"n1": g1["cells"], "n2": g2["cells"]},
                **({"baseline": baseline} if baseline else {}), **({"native": native} if native else {}),
                **({"comparator_sd": {"instrument_label": group[0].get("instrument_label") or instrument,
                                      "arms": comparator_sds}} if measure == "SMD" and comparator_sds else {}),
                # The week-0 rows read for the check, whether or not it flagged them: the
                # evidence appendix lists them as read, as the effect's steps do.
                **({"baseline_read": {"refs": list(base["refs"]), "d": base["smd"]}} if base is not None else {})))

        # --- reported contrasts ---------------------------------------------------------
        for c, sign in contrasts:
            if c["timepoint_weeks"] == 0:
                note(c["ref"], aid, "excluded", timepoint={"kind": "baseline"})
                continue
            # What no window could mend comes before the window: a p-value alone is the
            # reason an interaction test over all follow-up is not used (Griswold 2019).
            if c["measure"] == "p_only":
                note(c["ref"], aid, "excluded", P_ONLY_REASON)
                continue
            if c["measure"] not in CONTINUOUS_MEASURES:
                note(c["ref"], aid, "excluded", f"{c['measure']} is a binary measure; this analysis is continuous")
                continue
            if window not in c["windows"]:
                note(c["ref"], aid, "excluded", timepoint=timepoint_set_aside(c, windows[window], window))
                continue
            if c["estimate"] is None:
                note(c["ref"], aid, "excluded", c["steps"][-1] if c["steps"] else "no estimate")
                continue
            cand, why = _effect_from_contrast(c, sign, measure, assume_equal_arms_from_total, impute_missing_sd)
            if cand is None:
                if any(k["priority"] == 0 and k["timepoint_weeks"] == c["timepoint_weeks"]
                       and k["value_type"] == c["value_type"] and k["instrument"] == c["instrument"]
                       for k in candidates):
                    # Usable or not, the row would give way to the arms' own means and SDs
                    # (as it does in a mean-difference analysis): its reason alone read as
                    # the study's result lost for want of SDs.
                    why += "; the same result is available as arm-level data"
                note(c["ref"], aid, "excluded", why)
                continue
            cand["distance"] = v_distance(c["timepoint_weeks"], windows[window])
            candidates.append(cand)

        # --- choose, per value type ----------------------------------------------------
        by_type: dict[str, list[_Candidate]] = {}
        for cand in candidates:
            by_type.setdefault(cand["value_type"], []).append(cand)
        for value_type, cands in sorted(by_type.items()):
            # Nearest timepoint to the window target; earlier on ties; arm-level data first;
            # then the largest sample (one row per trial per analysis).
            cands.sort(key=lambda c: (c["distance"], c["timepoint_weeks"], c["priority"],
                                      -((c["n1"] or 0.0) + (c["n2"] or 0.0))))
            best = cands[0]
            result["options"][value_type] = {k: v for k, v in best.items() if k not in ("priority", "distance", "pair")}
            low = [r for r in best["refs"] if r in low_confidence]
            # Where its numbers were read, when not in the trial's own report, said before
            # how confidently they were read: the rows' notes of the one explain the other.
            elsewhere_flag = read_elsewhere_flag(best["refs"], elsewhere)
            if elsewhere_flag:
                result["options"][value_type]["flags"] = [*best["flags"], elsewhere_flag]
                # Each row with its document, for the audit trail to name the documents.
                result["options"][value_type]["read_elsewhere"] = [{"ref": r, **elsewhere[r]}
                                                                   for r in best["refs"] if r in elsewhere]
            if low:
                # The rows, whose notes say why (a third-party transcription, say).
                result["options"][value_type]["flags"] = [*result["options"][value_type]["flags"],
                                                          f"{LOW_CONFIDENCE}: see the notes of " + ", ".join(low)]
                result["options"][value_type]["low_confidence"] = low
            result["options"][value_type]["timepoint_label"] = timepoint_labels.get(best["refs"][0])
            # Which treatments of each node its arms received: an indirect comparison
            # names its two sides' controls by them (metareview.indirect).
            result["options"][value_type]["arm_treatments"] = arm_treatments(normalised, best["refs"], i_ids, c_ids)
            edge = window_edge(timepoint_labels.get(best["refs"][0]), best["timepoint_weeks"], windows[window])
            if edge:
                # Placed in the window by the week it was entered as, which its words put
                # on either side of the window's bound (Carlsson 2001: 8 weeks and 1 month).
                result["options"][value_type]["flags"] = [*result["options"][value_type]["flags"],
                                                          window_edge_flag(edge)]
            # Which timepoint, and why: an auditor recomputing the number from the rows
            # needs to know why this row and not another of the trial's in the window.
            chosen = timepoint_step(cands, timepoint_labels, windows[window])
            if chosen:
                result["options"][value_type]["steps"] = [chosen, *best["steps"]]
            pairs_aside: list[str] = []
            for other in cands[1:]:
                if other["timepoint_weeks"] is None and best["timepoint_weeks"] is not None:
                    reason = "a timepoint given in weeks is preferred to one given in words only"
                elif other["timepoint_weeks"] != best["timepoint_weeks"]:
                    reason = ("another timepoint is nearer the window target" if other["distance"] > best["distance"]
                              else "another timepoint is as near the window target and earlier (ties go to the earlier)")
                elif other["timepoint_weeks"] is None and (label_words(timepoint_labels.get(other["refs"][0]))
                                                           != label_words(timepoint_labels.get(best["refs"][0]))):
                    # Two timepoints in words, both without weeks: not another arm pair, as
                    # the rules below took them for (the arms are the same).
                    reason = ("another timepoint, also given in words only, is used: words give no distance to the "
                              "window target (one row per trial per analysis)")
                elif best["priority"] < other["priority"]:
                    reason = "the same result is available as arm-level data"
                elif other["instrument"] != best["instrument"]:
                    reason = (f"another instrument ({best['instrument']}) at the same timepoint is used "
                              "(one row per trial per analysis)")
                elif best.get("pair") is not None and other.get("pair") == best.get("pair"):
                    # Two rows of one arm pair (an ITT and a per-protocol result, or a row
                    # pasted and edited): the sort above took the one of more participants,
                    # else the first; the consistency warnings name the pair.
                    reason = ("another row of the same arm pair, instrument and timepoint is used (one row per "
                              "trial per analysis: the one of more participants, else the first in the table)")
                else:
                    reason = "another arm pair of the same trial is used (one row per trial per analysis)"
                    pairs_aside += [r for r in other["refs"] if r not in best["refs"] and r not in pairs_aside]
                for r in other["refs"]:
                    if r not in best["refs"]:
                        note(r, aid, "superseded", reason)
            if pairs_aside:
                # Two contrasts against one shared arm (manual and electroacupuncture, each
                # against the same sham) cannot be combined as arm-level data can: one is used,
                # so that the shared arm counts once. The study's line says which were not.
                opt = result["options"][value_type]
                opt["flags"] = [*opt["flags"], "another arm pair of this trial set aside (" + ", ".join(pairs_aside)
                                + "): one comparison per trial per analysis, so that an arm the pairs share counts "
                                "once; arm-level means and SDs would let the arms be combined"]
        for value_type, opt in result["options"].items():
            for r in opt["refs"]:
                note(r, aid, "candidate", f"{value_type} values")
        if result["options"] or row_notes_for(row_notes, aid):
            out["analyses"][aid] = result

    # An effect whose raw rows a consistency check warns about says so (the warnings are
    # the study job's, :func:`metareview.checks.consistency_warnings`): the summary, the
    # study table and the plot gave it as firm, and only the warnings table said its rows
    # disagree, though quartiles typed as a range had made its interval a third as wide.
    warned = {ref for w in normalised.get("warnings") or () for ref in (w.get("ref"), *(w.get("related") or ())) if ref}
    for entry in out["analyses"].values() if warned else ():
        for opt in entry["options"].values():
            if warned & set(opt["refs"]) and WARNED_FLAG not in opt["flags"]:
                opt["flags"] = [*opt["flags"], WARNED_FLAG]
    out["rows"] = {ref: notes for ref, notes in sorted(row_notes.items())}
    return out


def timepoint_step(cands: Sequence[Mapping[str, Any]], labels: Mapping[str, str | None],
                   window: Mapping[str, Any]) -> str | None:
    """The audit step that says which timepoint an effect was taken at and why, or None
    when there was nothing to choose.

    The rule is :func:`study_effects`'s ("choose, per value type"): the timepoint nearest
    the window's target ``t``, by ``|weeks - t|``; the earlier of two as near; a timepoint
    in weeks before one given in words only, whose distance is unknown. A timepoint in
    words only is in the window by the window's ``terms``
    (:func:`metareview.normalise.term_window`), which the step names when it is the one
    taken: the rows' cells show no week to check the placing by.

    Parameters
    ----------
    cands
        The candidate effects of one value type, the chosen first, as sorted there: each
        with ``timepoint_weeks`` (None for words only), ``refs``, ``priority`` (0 for
        arm-level data) and ``n1``, ``n2``.
    labels
        The source's words for each row's timepoint, by row reference.
    window
        The analysis's window: ``target_weeks``, ``terms`` and ``min_weeks``,
        ``max_weeks``.

    Returns
    -------
    str or None
        "timepoint: week 8, the nearest to the window's target (week 6) of weeks 4, 8 and
        26"; None for one timepoint in weeks, however many rows or forms give it.

    Examples
    --------
    >>> short = {"min_weeks": 1, "max_weeks": 12, "target_weeks": 6, "terms": ["immediate"]}
    >>> timepoint_step([{"timepoint_weeks": 4.0, "refs": ["a"]}, {"timepoint_weeks": 8.0, "refs": ["b"]}],
    ...                {}, short)
    "timepoint: week 4, as near the window's target (week 6) as week 8 and earlier: ties go to the earlier"
    >>> timepoint_step([{"timepoint_weeks": None, "refs": ["a"]}], {"a": "immediate post-treatment"}, short)
    "timepoint ‘immediate post-treatment’ placed in the window of 1 to 12 weeks by its words, no week given: it uses the window's term ‘immediate’"
    """
    def label_of(c: Mapping[str, Any]) -> str:
        return str(labels.get(c["refs"][0]) or "")

    best = cands[0]
    weeks = sorted({float(c["timepoint_weeks"]) for c in cands if c["timepoint_weeks"] is not None})
    # A timepoint in words is one by its words, as the rows are grouped (timepoint_key).
    words = list({label_words(label_of(c)): label_of(c) for c in cands if c["timepoint_weeks"] is None}.values())
    quoted = [f"\u2018{w}\u2019" for w in words]
    if best["timepoint_weeks"] is not None:
        if len(weeks) + len(words) < 2:
            return None
        b, target = float(best["timepoint_weeks"]), float(window["target_weeks"])
        listed = join_list([f"{w:g}" for w in weeks])
        tied = [w for w in weeks if w != b and abs(w - target) == abs(b - target)]
        if tied:
            step = (f"timepoint: week {b:g}, " + (f"of weeks {listed} " if len(weeks) > 2 else "")
                    + f"as near the window's target (week {target:g}) as week {tied[0]:g} and earlier: ties go to "
                    "the earlier")
        elif len(weeks) > 1:
            step = f"timepoint: week {b:g}, the nearest to the window's target (week {target:g}) of weeks {listed}"
        else:
            step = f"timepoint: week {b:g}, the only one given in weeks"
        if words:
            step += (f"; a timepoint in weeks is preferred to {join_list(quoted)}, given in words only: its distance "
                     "to the target is unknown")
        return step
    # Words only, every candidate (a timepoint in weeks would have come first).
    # By its weeks, as the reasons name a window: a study's job is not given the labels.
    span = window_span(window)
    where = f"the window{span}" if span else "this analysis's window"
    text = f" {label_words(label_of(best))} "
    terms = [f"\u2018{t}\u2019" for t in window.get("terms") or () if f" {label_words(t)} " in text]
    step = (f"timepoint {quoted[0]} placed in {where} by its words, no week given: it uses the window's "
            f"term{'s' if len(terms) > 1 else ''} {join_list(terms)}")
    if len(words) > 1:
        # Words give no distance to the target: the rule's next keys decided.
        other = next(c for c in cands if label_words(label_of(c)) != label_words(label_of(best)))
        size_best, size_other = ((c["n1"] or 0.0) + (c["n2"] or 0.0) for c in (best, other))
        why = ("arm-level data are preferred to a reported result" if best["priority"] < other["priority"]
               else f"the larger sample is taken, n = {size_best:g} to {size_other:g}" if size_best > size_other
               else "of one form and sample size, the first is taken")
        step += (f"; {join_list(quoted[1:])}, also in this window by {'their' if len(words) > 2 else 'its'} words, "
                 f"{'are' if len(words) > 2 else 'is'} no nearer the target: {why}")
    return step


#: Why an effect is not computed when an arm's size is missing: the source does not give
#: it, as the raw row's ``n_missing_reason`` records (``n_unreported``,
#: :func:`metareview.normalise.n_not_reported`), or no number was entered, which the
#: source may yet give (as the table of trials says of a total N "not in the raw tables").
N_NOT_REPORTED = "arm n not reported"
N_NOT_ENTERED = "arm n not in the raw tables"


def n_missing_reason(*rows: Mapping[str, Any]) -> str:
    """:data:`N_NOT_REPORTED` when one of ``rows`` (normalised arm rows or contrasts) records
    the source as not reporting the arm sizes, else :data:`N_NOT_ENTERED`.

    >>> n_missing_reason({"n": None})
    'arm n not in the raw tables'
    >>> n_missing_reason({"n": None, "n_unreported": True})
    'arm n not reported'
    """
    return N_NOT_REPORTED if any(r.get("n_unreported") for r in rows) else N_NOT_ENTERED


def _row_problem(v: Mapping[str, Any], impute_missing_sd: bool) -> str | None:
    """What one arm-level row lacks for an effect of means and SDs, or None: its mean (a
    median without what estimates one), its n, or its SD (with no SE or CI of the mean to
    derive it from, and the review imputing none; imputing from a p-value concerns both arms)."""
    if v["mean"] is None:
        # What the median lacks after a colon, not in brackets: the reason is given inside
        # brackets already ("Label (reason)", "not usable (reason)").
        return ("mean missing" if v.get("median") is None
                else f"mean missing: {v['median_note']}" if v.get("median_note")
                else f"mean missing: a median only, and {NO_MEDIAN_TO_MEAN}")
    if v["n"] is None:
        return n_missing_reason(v)
    if v["sd"] is None and v.get("se") is None and v.get("ci_lb") is None and not impute_missing_sd:
        return f"no SD reported, and {NO_SD_IMPUTATION}"
    return None


def _sd_from_p_value(contrasts: Sequence[Mapping[str, Any]], g_i: Sequence[Mapping[str, Any]],
                     g_c: Sequence[Mapping[str, Any]], weeks: float | None,
                     instrument: str) -> tuple[float, str] | None:
    """A common SD for two arms from an exact two-sided p-value of their difference.

    With t = the 1 - p/2 quantile of t(n1 + n2 - 2), the SE of the difference is
    |m1 - m2| / t and, assuming equal SDs, SD = SE / sqrt(1/n1 + 1/n2) (Cochrane Handbook
    6.5.2.3). Only single-arm-pair contrasts with ``p_qualifier`` '=' qualify: a bound such
    as p < 0.001 gives no SD.
    """
    if len(g_i) != 1 or len(g_c) != 1:
        return None
    a, b = g_i[0], g_c[0]
    for c in contrasts:
        if ({c["arm1"], c["arm2"]} == {a["arm_id"], b["arm_id"]} and same_timepoint(c, a)
                and c["instrument"] == instrument and c.get("p_value") is not None and c.get("p_qualifier", "=") == "="
                and 0 < c["p_value"] < 1 and a["mean"] != b["mean"]):
            from metareview.conversions import t_from_p

            n1, n2 = float(a["n"]), float(b["n"])
            t = float(t_from_p([c["p_value"]], [n1 + n2 - 2])[0])
            se = abs(a["mean"] - b["mean"]) / abs(t)
            sd = se / math.sqrt(1 / n1 + 1 / n2)
            return sd, (f"SD imputed from p = {c['p_value']:g} ({c['ref']}): t = {abs(t):.4f} on {n1 + n2 - 2:g} df, "
                        f"SD = |m1 - m2| / t / sqrt(1/n1 + 1/n2) = {sd:.4g}, equal SDs assumed (Cochrane Handbook 6.5.2.3)")
    return None


def row_notes_for(row_notes: Mapping[str, list[dict[str, str]]], aid: str) -> bool:
    return any(n["analysis"] == aid for notes in row_notes.values() for n in notes)


def arms_treatment_node(c_arms: Sequence[Mapping[str, Any]], cointervention: str) -> str | None:
    """The cointervention code when a comparator arm receives exactly that treatment."""
    for arm in c_arms:
        if is_cointervention(arm["treatment"], cointervention):
            return cointervention
    return None


def _arm_name(arm: Mapping[str, Any]) -> str:
    """An arm as a reader knows it: its description's first clause, else its treatment's label."""
    described = (arm.get("description") or "").split(";")[0].strip()
    return described or arm.get("treatment_label") or arm["arm_id"]


def _arm_names(side: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each arm of ``side`` by :func:`_arm_name`, with its id where two share a name (two
    arms of one treatment without descriptions): "Acupuncture, arm acu_b"."""
    names = {a["arm_id"]: _arm_name(a) for a in side}
    shared = {n for n in names.values() if list(names.values()).count(n) > 1}
    return {i: f"{n}, arm {i}" if n in shared else n for i, n in names.items()}


def _md_se_from_p(c: Mapping[str, Any], md: float, n1: float | None, n2: float | None,
                  impute: bool) -> tuple[float | None, str]:
    """The SE of a reported mean difference from its exact two-sided p-value, or why not.

    With t the 1 - p/2 quantile of t(n1 + n2 - 2), SE = |MD| / t (Cochrane Handbook
    6.5.2.3). It assumes the p-value came from a t-test of the two means (not a
    nonparametric or adjusted test), so, like an SD imputed from a p-value, it is done only
    when the config's ``effects.impute_missing_sd`` is on, and flagged. A bound (p < 0.05)
    gives no SE: entered at its bound it would overstate the precision.

    Returns
    -------
    tuple
        ``(se, step)`` with the step that says how it was derived, or ``(None, reason)``
        with the reason the row is not poolable.
    """
    from metareview.conversions import t_from_p

    lacking = "mean difference without CI or SE: variance unknown"
    p = c.get("p_value")
    if p is None:
        return None, lacking
    if (c.get("p_qualifier") or "=") != "=":
        return None, f"{lacking} (p {c['p_qualifier']} {p:g} is a bound, which gives no SE)"
    if not impute:
        return None, f"{lacking}, and {NO_SE_IMPUTATION}"
    if n1 is None or n2 is None:
        return None, f"{lacking} (an SE from its p-value needs both arm sizes: {n_missing_reason(c)})"
    if md == 0 or p >= 1:
        return None, f"{lacking} (a difference of 0 or p = 1 gives no SE)"
    df = n1 + n2 - 2
    t = float(t_from_p([p], [df])[0])
    se = abs(md) / t
    return se, (f"SE imputed from p = {p:g}: t = {t:.4f} on {df:g} df, SE = |MD| / t = {se:.4g}, a t-test assumed "
                "(Cochrane Handbook 6.5.2.3)")


def _in_time_order(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """Sort key of ``(timepoint_key(row), ...)`` groups: timepoints in weeks first, in
    order, then those in words only (weeks None), by their words."""
    (weeks, words), *rest = key
    return (weeks is None, weeks or 0.0, words, *rest)


def v_distance(weeks: float | None, window: Mapping[str, Any]) -> float:
    return math.inf if weeks is None else abs(float(weeks) - float(window["target_weeks"]))


def _size(n: float | None) -> float | None:
    return None if n is None else float(n)


def _md_ci_quantile(level: float, n1: float | None, n2: float | None) -> tuple[float, str]:
    """:func:`metareview.normalise.md_ci_quantile`, and the words a step gives it.

    The words say why the quantile is t or z: the methods give t while both groups are
    under 100, and a reader of a trial whose arm sizes are not reported (Brinkhaus 2006)
    could not otherwise tell which rule its 1.959964 follows.
    """
    from metareview.normalise import md_ci_quantile

    q, df = md_ci_quantile(level, n1, n2)
    if df is not None:
        return q, f", t on {df:g} df as both groups are under 100 (Cochrane Handbook 6.5.2.3)"
    if n1 is None or n2 is None:
        return q, ", z as the arm sizes are not reported (Cochrane Handbook 6.5.2.3)"
    if max(n1, n2) >= 100:
        return q, ", z as a group has 100 or more (Cochrane Handbook 6.5.2.3)"
    return q, ""


def _reported_interval_flag(est: float, lb: float, ub: float, se: float, level: float,
                            q: float | None = None, off_centre: bool = False) -> str | None:
    """A flag when a source's interval is not the symmetric one its SE gives.

    The variance of a reported difference comes from its interval's width (Cochrane
    Handbook 6.5.2.3), and the interval shown is then symmetric around the estimate, as
    metafor shows it. A source's interval that is not (rounding, or a skewed method)
    differs slightly from it at the precision shown, and a reader checking the source
    needs to see why. ``q`` is the quantile the SE was taken with (z by default).

    It is said to be off centre only when ``off_centre``: where the consistency check
    warns of it (:func:`metareview.checks.interval_off_centre`). Brinkhaus 2006's bounds,
    0.78 and 0.83 from its estimate, were called "not symmetric" though the check, which
    allows for rounding, does not warn: the flag read as a problem in the data.

    ``q`` above the normal quantile is a t quantile (a mean difference of small groups,
    :func:`_md_ci_quantile`): the SE is the source's, but the interval shown is drawn
    with z, as metafor draws every study's, so it is narrower than the source's and
    may leave out a no-difference its source includes. That is said in the flag's own
    words: compared with the t-based bounds, a small trial's -2.00 to 0.02 shown as
    -1.97 to -0.01 went unflagged.

    The report reads the source's bounds back from every form
    (:func:`metareview.fmt.rebuilt_interval`): keep their start as it is.
    """
    z = _z(level)
    by_t = q is not None and q - z > 1e-9
    # Compared and printed as the report prints numbers (:func:`metareview.fmt.fixed`),
    # not by Python's rounding of the binary value: a computed bound of -2.015 that is
    # -2.0149999999999997 in binary prints -2.02 in the study table, as the source's
    # -2.02 does, and the flag must not say the two differ.
    if not off_centre and all(fixed(a) == fixed(b)
                              for a, b in zip((est - z * se, est + z * se), (lb, ub), strict=True)):
        return None
    if off_centre:
        return (f"the source's {level:g}% CI, on this scale, is {fixed(lb)} to {fixed(ub)}, not centred on "
                f"{fixed(est)}: only its width (the SE) is used")
    if by_t:
        return (f"the source's {level:g}% CI, on this scale, is {fixed(lb)} to {fixed(ub)}; {NARROWER_BY_T} "
                f"(its SE from the source's width with t, the interval drawn with z)")
    return (f"the source's {level:g}% CI, on this scale, is {fixed(lb)} to {fixed(ub)}; the one shown is rebuilt "
            f"around {fixed(est)} from its width (the SE)")


def _off_centre(c: Mapping[str, Any], log: bool = False) -> bool:
    """Whether the consistency check warns that a contrast's interval, as the source
    printed it, is not centred on its estimate (:func:`metareview.checks.interval_off_centre`):
    the same rule, on the same numbers, for the flag the effect carries."""
    reported = c.get("reported") or {}
    est, lb, ub = (reported.get(k, c.get(k)) for k in ("estimate", "ci_lb", "ci_ub"))
    if est is None or lb is None or ub is None:
        return False
    return interval_off_centre(float(est), float(lb), float(ub), log=log)


def _effect_from_contrast(c: Mapping[str, Any], sign: int, measure: str,
                          assume_equal: bool, impute_missing_sd: bool = False) -> tuple[_Candidate | None, str]:
    """yi/vi from a reported between-group result, oriented intervention minus comparator.

    A mean difference given with neither a CI nor an SE takes its variance from an exact
    two-sided p-value only when ``impute_missing_sd`` is on (:func:`_md_se_from_p`): the
    same assumption, a t-test, as an SD imputed from a p-value for arm-level means.
    """
    from metareview.effects import escalc, hedges_j

    steps = list(c["steps"])
    flags: list[str] = []
    est, lb, ub = c["estimate"], c["ci_lb"], c["ci_ub"]
    if sign < 0:
        est, lb, ub = -est, (None if ub is None else -ub), (None if lb is None else -lb)
        steps.append("contrast reported comparator vs intervention: sign reversed")
    n1, n2 = (c["n1"], c["n2"]) if sign > 0 else (c["n2"], c["n1"])
    split = (n1 is None or n2 is None) and c["n_total"] is not None and assume_equal
    if split:
        n1 = n2 = c["n_total"] / 2.0
        flags.append(f"arm sizes assumed equal ({n1:g} + {n2:g} from N = {c['n_total']})")
        steps.append(f"arm sizes not reported: N = {c['n_total']} split equally (assumption)")
    base = {"value_type": c["value_type"], "timepoint_weeks": c["timepoint_weeks"], "instrument": c["instrument"],
            "refs": [c["ref"]], "priority": 1, "pair": tuple(sorted((c["arm1"], c["arm2"]))),
            "sizes": _contrast_sizes(c, sign, split)}
    if c["measure"] == "MD":
        if measure != "MD":
            return _smd_from_md(c, float(est), lb, ub, n1, n2, steps, flags, base)
        if not c["rescaled"]:
            return None, c.get("unit_problem") or "instrument range unknown: cannot express as MD on the common scale"
        if lb is not None:
            q, rule = _md_ci_quantile(c["ci_level"], n1, n2)
            se = (ub - lb) / (2 * q)
            # The CI was rescaled with the estimate (``rescale_step``, set for a factor other
            # than 1): the SE is in the common scale's units, not the raw cells', and the
            # step says so (as for an SD, above).
            scale = " on the common scale" if c.get("rescale_step") else ""
            steps.append(f"variance from the {c['ci_level']:g}% CI: SE = (upper - lower)/(2 x {q:.6f}) = {se:.4g}"
                         f"{scale}{rule}")
            if flag := _reported_interval_flag(est, lb, ub, se, c["ci_level"], q, off_centre=_off_centre(c)):
                flags.append(flag)
            vi = se**2
        elif c["se"] is not None:
            vi = float(c["se"]) ** 2
            steps.append("variance from the reported SE")
        else:
            se_p, why = _md_se_from_p(c, float(est), n1, n2, impute_missing_sd)
            if se_p is None:
                return None, why
            vi = se_p**2
            steps.append(why)
            flags.append("SE imputed from a p-value")
        # An arm size the source does not give stays unknown (None), never 0.
        return _Candidate(yi=float(est), vi=float(vi), n1=_size(n1), n2=_size(n2), form="reported mean difference",
                          steps=steps, flags=flags, **base), ""
    # SMD or Cohen's d
    if measure != "SMD":
        return None, "standardised effect reported: cannot be expressed as MD on the common scale"
    if n1 is None or n2 is None:
        return None, n_missing_reason(c) + ("" if c["n_total"] is None else f" (only the total: {NO_EQUAL_SPLIT})")
    if c["measure"] == "cohen_d":
        es = escalc("SMD", di=[est], n1i=[n1], n2i=[n2])
        j = float(hedges_j(n1 + n2 - 2))
        steps.append(f"Hedges' g from Cohen's d = {est:g}: J = {j:.4f} (df = {n1 + n2 - 2:g}); vi = 1/n1 + 1/n2 + g^2/(2(n1+n2))")
        return _Candidate(yi=float(es.yi[0]), vi=float(es.vi[0]), n1=n1, n2=n2, form="reported Cohen's d",
                          steps=steps, flags=flags, **base), ""
    # Reported SMD (already corrected): variance from its CI if given, else the LS formula.
    if lb is not None:
        z = _z(c["ci_level"])
        se = (ub - lb) / (2 * z)
        steps.append(f"variance from the {c['ci_level']:g}% CI: SE = (upper - lower)/(2 x {z:.6f}) = {se:.4g}")
        if flag := _reported_interval_flag(est, lb, ub, se, c["ci_level"], off_centre=_off_centre(c)):
            flags.append(flag)
        vi = se**2
    elif c["se"] is not None:
        vi = float(c["se"]) ** 2
        steps.append("variance from the reported SE")
    else:
        vi = 1 / n1 + 1 / n2 + est**2 / (2 * (n1 + n2))
        steps.append("variance of the reported SMD: 1/n1 + 1/n2 + g^2/(2(n1+n2))")
    return _Candidate(yi=float(est), vi=float(vi), n1=n1, n2=n2, form="reported SMD", steps=steps, flags=flags, **base), ""


def _smd_from_md(c: Mapping[str, Any], est: float, lb: float | None, ub: float | None, n1: float | None,
                 n2: float | None, steps: list[str], flags: list[str],
                 base: Mapping[str, Any]) -> tuple[_Candidate | None, str]:
    """An SMD analysis's effect from a reported mean difference with its SE (or the
    interval that gives it) and the arm sizes: through its t statistic.

    .. math::

        t = \\mathrm{MD} / \\mathrm{SE}, \\quad d = t \\sqrt{1/n_1 + 1/n_2}, \\quad g = J(n_1 + n_2 - 2)\\, d,

    with the variance of Hedges' g, as metafor's ``escalc(measure = "SMD", ti = ...)``
    computes it (:func:`metareview.effects.escalc`). The SE is read from the interval as
    for a mean difference (t while both groups are under 100, Cochrane Handbook 6.5.2.3).
    t needs no common scale, so an instrument of unknown range is standardised too. The
    pooled SD it implies is that of an unadjusted two-sample t-test; an SE from an
    analysis adjusted for baseline gives a larger d, so the effect is flagged.

    References
    ----------
    Higgins JPT et al. (eds), Cochrane Handbook, version 6.4, section 6.5.2.3.
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
    *J Stat Softw* 36(3).
    """
    from metareview.effects import escalc

    if n1 is None or n2 is None:
        return None, ("mean difference reported without SDs or arm sizes: cannot be standardised"
                      + ("" if c["n_total"] is None else f" (only the total: {NO_EQUAL_SPLIT})"))
    if lb is not None and ub is not None:
        q, rule = _md_ci_quantile(c["ci_level"], n1, n2)
        se = (ub - lb) / (2 * q)
        said = f"SE = (upper - lower)/(2 x {q:.6f}) = {se:.4g}{rule}"
    elif c["se"] is not None:
        # Rescaled with the estimate, the SE is no longer the source's number: said so (t is
        # the same on any scale).
        se = float(c["se"])
        said = f"SE = {se:.4g}" + (" on the common scale" if c.get("rescale_step") else ", as reported")
    else:
        return None, "mean difference reported without SDs, an SE or an interval: cannot be standardised"
    if not se > 0:
        return None, "mean difference reported with an SE of 0: cannot be standardised"
    t = est / se
    es = escalc("SMD", ti=[t], n1i=[n1], n2i=[n2])
    scale = " on the common scale" if c.get("rescale_step") else ""
    steps.append(f"SMD from the reported mean difference {est:g}{scale}: {said}; t = MD / SE = {t:.4f} (the same on "
                 "any scale); "
                 f"d = t x sqrt(1/n1 + 1/n2); Hedges' g and its variance as escalc(SMD, ti) (Cochrane Handbook 6.5.2.3)")
    flags.append(SMD_FROM_T_FLAG)
    return _Candidate(yi=float(es.yi[0]), vi=float(es.vi[0]), n1=_size(n1), n2=_size(n2),
                      form="reported mean difference (standardised through t)", steps=steps, flags=flags,
                      **base), ""


def _external_arms(arms: Mapping[str, Mapping[str, Any]], c: Mapping[str, Any], sign: int,
                   c_ids: Collection[str]) -> dict[str, Any]:
    """``comparator_arm``, the arm a published result is against, named (:func:`_arm_names`),
    where the review has more than one arm in the analysis's comparator node, or {}
    (:func:`metareview.plots.external_label` labels the result by it).

    A network meta-analysis with two shams in the comparator node (Lee 2023: at
    non-indicated points and at the same points as acupuncture) gives its result against
    one of them; named by the review alone, the result read as against sham as the other
    reviews' are. As a trial's change from baseline names the arms of a side of several
    (``*_arms``)."""
    if len(c_ids) < 2:
        return {}
    return {"comparator_arm": _arm_names([arms[i] for i in sorted(c_ids)])[c["arm2"] if sign > 0 else c["arm1"]]}


def _external_entry(c: Mapping[str, Any], sign: int, measure: str, window: str,
                    bounds: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A published result as an analysis shows it. One whose timepoint is in neither weeks
    nor any window's terms (:func:`metareview.normalise.term_window`) is shown in every
    window, as "not stated in weeks"."""
    est, lb, ub = c["estimate"], c["ci_lb"], c["ci_ub"]
    if est is not None and sign < 0:
        est, lb, ub = -est, (None if ub is None else -ub), (None if lb is None else -lb)
    reported_measure = {"cohen_d": "SMD"}.get(c["measure"], c["measure"])
    as_reported = "Cohen's d" if c["measure"] == "cohen_d" else reported_measure
    comparable = reported_measure == measure and (measure != "MD" or c["rescaled"])
    # Why the forest plot cannot draw it beside the trials, in the words of its notes.
    not_drawn = []
    if reported_measure != measure:
        not_drawn.append("only a p-value reported" if c["measure"] == "p_only"
                         else f"reported as {as_reported}, this analysis uses {measure}")
    elif measure == "MD" and not c["rescaled"]:
        not_drawn.append(c.get("unit_problem") or "instrument range unknown: not on the common scale")
    notes = []
    if c.get("confidence") == "low":
        notes.append(LOW_CONFIDENCE)
    if c["measure"] == "cohen_d" and reported_measure == measure:
        # An SMD analysis: Cohen's d is its measure, uncorrected. Under another measure
        # the note below says what was reported, as it does for an SMD.
        notes.append("reported as Cohen's d")
    if est is None and c["measure"] != "p_only":
        notes.append("direction of the estimate unknown")
        not_drawn.append("direction of the estimate unknown")
        comparable = False
    term = c.get("term_window")
    elsewhere = c["timepoint_weeks"] is None and term is not None and term != window
    if elsewhere:
        # "Intermediate term" is no evidence for a short-term analysis, weeks or not.
        why = timepoint_reason(timepoint_set_aside(c, bounds, window))
        notes.append(why)
        not_drawn.append(why)
        comparable = False
    elif c["timepoint_weeks"] is None and term == window:
        notes.append(f"timepoint given as \u2018{c['timepoint_label']}\u2019, which this review reads as this window")
    elif c["timepoint_weeks"] is None:
        # The source's words quoted, as those of a window's term are: in brackets, they
        # stood in brackets inside the brackets the report gives a result's notes in.
        label = c["timepoint_label"]
        if label and any(ch.isdigit() for ch in label):
            # "Not stated in weeks, given as '<6 weeks'" contradicted itself: a label
            # with a number is a span ("<6 weeks", ">1 month"), not one week to place.
            notes.append(f"timepoint given as \u2018{label}\u2019, a span rather than one week: shown in every "
                         "window")
        else:
            notes.append(f"timepoint not stated in weeks, given as \u2018{label}\u2019"
                         if label and label.strip().lower() not in _UNSTATED_TIMEPOINTS else "timepoint not stated")
    elif window not in c["windows"]:
        why = timepoint_reason(timepoint_set_aside(c, bounds, window))
        notes.append(why)
        not_drawn.append(why)
        comparable = False
    if c["measure"] == "MD":
        # The line shows the MD on the analysis' common scale: say when that is not the
        # source's number, and when the source's number is on a scale of its own.
        if not c["rescaled"]:
            notes.append(c.get("unit_problem") or "instrument range unknown: not on the common scale")
        elif c.get("rescale_step"):
            notes.append(c["rescale_step"])
    if c["measure"] == "p_only":
        # A p-value is no effect size: saying it was "reported as p_only" would read as a code.
        notes.append("only a p-value reported: no effect size to compare")
    elif reported_measure != measure:
        # One note in one wording for any measure ("reported as Cohen's d, this analysis
        # uses MD", as for an SMD), the words of `not_drawn` too.
        notes.append(f"reported as {as_reported}, this analysis uses {measure}")
    return {"ref": c["ref"], "measure": reported_measure, "published_measure": c["measure"],
            "log_scale": reported_measure in RATIO_MEASURES,
            "estimate": est, "ci_lb": lb, "ci_ub": ub,
            # As the source states it, None when it does not: the report labels the interval
            # "95% CI" only where the review said so.
            "ci_level": (c.get("reported") or {}).get("ci_level"),
            "p_value": c.get("p_value"), "p_qualifier": c.get("p_qualifier") or "=",
            "k_studies": c["k_studies"], "n_participants": c["n_participants"], "i2": c["i2"],
            "certainty": c["certainty"], "comparable": comparable, "not_drawn": "; ".join(not_drawn) or None,
            "outside_window": elsewhere or (c["timepoint_weeks"] is not None and window not in c["windows"]),
            "timepoint_weeks": c["timepoint_weeks"],
            "instrument_label": c["instrument_label"], "notes": notes,
            # A result read only in another document (an overview's table), though the
            # review's other rows come from its own report.
            **({"read_elsewhere": True} if c.get("source_level") == "secondary" else {})}


# --------------------------------------------------------------------------- binary outcomes


def timepoint_set_aside(row: Mapping[str, Any], window: Mapping[str, Any] | None = None,
                        name: str | None = None) -> dict[str, Any]:
    """Why a row's timepoint puts it in no window of the analysis, as a record.

    The record's fields, not a sentence, are what is kept in a row's note (``timepoint``)
    and compared later (:func:`metareview.analysis.merge_timepoint_reasons` says a
    trial's timepoints once; the report tells a trial that another window's analysis
    uses); :func:`metareview.fmt.timepoint_reason` writes its words.

    A timepoint given only in words ("6-month follow-up") is not converted to weeks: the
    row says so, quoting the words, rather than "not reported". The analysis's
    ``window`` (its config entry) and its ``name``, when given, are recorded with the
    timepoint: "outside the window" alone leaves a reader to look up which one.

    Parameters
    ----------
    row
        A normalised arm-level row or contrast (``timepoint_weeks``, ``timepoint_label``,
        ``term_window``).
    window, name
        The analysis's window: its config entry (``min_weeks``, ``max_weeks``) and name.

    Returns
    -------
    dict
        ``kind`` and its fields, as :func:`metareview.fmt.timepoint_reason` lists them.
        A row of week 0 is the callers' to record first, as ``{"kind": "baseline"}``:
        here its weeks are outside the window like any others.

    Examples
    --------
    >>> timepoint_set_aside({"timepoint_weeks": 52.0}, {"min_weeks": 1, "max_weeks": 12}, "short_term")
    {'kind': 'outside_window', 'weeks': [52.0], 'window': 'short_term', 'min_weeks': 1.0, 'max_weeks': 12.0}

    A timepoint that falls between two windows (the row's ``between``,
    :func:`metareview.normalise.window_gap`) records them, so that its reason says it is
    in neither.
    """
    weeks, label = row.get("timepoint_weeks"), row.get("timepoint_label")
    if weeks is not None:
        bounds = window or {}
        return {"kind": "outside_window", "weeks": [float(weeks)], "window": name,
                **{k: None if bounds.get(k) is None else float(bounds[k]) for k in ("min_weeks", "max_weeks")},
                **({"between": [dict(w) for w in row["between"]]} if row.get("between") else {})}
    if row.get("term_window"):
        return {"kind": "other_window", "labels": [label], "window": row["term_window"]}
    # A label that itself says the time is unknown ("not stated") is no timepoint in words.
    if label and label.strip().lower() not in _UNSTATED_TIMEPOINTS:
        # A label that is a duration and nothing else ("week 4", "6 months") is most likely
        # a timepoint_weeks cell left empty (the words say what to enter). One with more
        # words ("two-month follow-up", "after 1 month") may count from the end of
        # treatment, and is left without weeks on purpose.
        named = timepoint_label_weeks(label)
        bare = named is not None and label.lower().replace(named[0].lower(), "").strip(" ,.:") in ("", "at")
        return {"kind": "words_only", "labels": [label], "named": named[0] if bare and named else None}
    return {"kind": "not_reported"}


def outside_window_reason(row: Mapping[str, Any], window: Mapping[str, Any] | None = None) -> str:
    """Why a row's timepoint puts it in no window of the analysis, in words: those of
    :func:`metareview.fmt.timepoint_reason` for :func:`timepoint_set_aside`'s record."""
    return timepoint_reason(timepoint_set_aside(row, window))


#: Timepoint labels that say the source gives no time at all.
_UNSTATED_TIMEPOINTS = frozenset({"not stated", "not reported", "unknown", "unclear", "n/r", "nr", "not specified"})


def favours_intervention_when(analysis: Mapping[str, Any]) -> str:
    """Side of the null on which an analysis' effect favours the intervention.

    ``"below"`` for MD and SMD (every common scale is lower-is-better) and for binary
    measures of harmful events; ``"above"`` for RR, OR and RD of beneficial events
    (responders: more of them with the intervention gives RR > 1, log RR > 0, RD > 0).
    """
    if analysis["measure"] in BINARY_MEASURES and analysis.get("events", "beneficial") == "beneficial":
        return "above"
    return "below"


def events_from_percent(percent: float, n: float) -> int:
    """Number of participants with the event from a percentage of ``n``.

    :math:`e = \\lfloor p n / 100 + 1/2 \\rfloor`: rounded half up (Python's ``round``
    rounds halves to even, which is not how a reader checks it by hand). The count is a
    reconstruction, exact only if the percentage was not rounded more coarsely than 1/n.
    The product is taken in decimal, on the numbers as printed: in binary 64.6 x 250 / 100
    is 161.49999999999997, which would round a printed half (161.5) down.
    """
    exact = Decimal(repr(float(percent))) * Decimal(repr(float(n))) / 100
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))


def _binary_from_arms(measure: str, e1: float, n1: float, e2: float, n2: float) -> tuple[float, float, list[str], list[str]]:
    """``yi``/``vi`` of a 2x2 table with metafor's default continuity correction.

    ``escalc(measure, ai=e1, n1i=n1, ci=e2, n2i=n2)`` (metafor 3.8-1 defaults ``add = 1/2``,
    ``to = "only0"``: 1/2 is added to all four cells of a table with a zero cell). RR:
    :math:`y = \\ln\\frac{a/n_1}{c/n_2}`, :math:`v = 1/a - 1/n_1 + 1/c - 1/n_2`; OR:
    :math:`y = \\ln\\frac{a d}{b c}`, :math:`v = 1/a + 1/b + 1/c + 1/d`; RD:
    :math:`y = a/n_1 - c/n_2`, :math:`v = p_1(1-p_1)/n_1 + p_2(1-p_2)/n_2`
    (Borenstein et al. 2009, *Introduction to Meta-Analysis*, ch. 5).
    """
    from metareview.effects import escalc

    es = escalc(measure, ai=[e1], n1i=[n1], ci=[e2], n2i=[n2])
    yi, vi = float(es.yi[0]), float(es.vi[0])
    flags: list[str] = []
    a, b, c, d = (float(es.details[k][0]) for k in ("ai", "bi", "ci", "di"))
    n1c, n2c = a + b, c + d
    steps: list[str] = []
    if es.add_applied is not None and bool(es.add_applied[0]):
        flags.append("zero cell: 1/2 added to each cell of the 2×2 table (metafor's continuity correction)")
        steps.append(f"a zero cell in {e1:g}/{n1:g} vs {e2:g}/{n2:g}: 1/2 added to each cell (metafor's default "
                     f"add = 1/2, to = \"only0\"): a = {a:g}, b = {b:g}, c = {c:g}, d = {d:g}")
    zero_cell = bool(flags)
    if e1 == 0 and e2 == 0:
        flags.append("no events in either arm")
    elif e1 == n1 and e2 == n2:
        # Kept as metafor keeps it (drop00 = FALSE), but not the mirror of a table without
        # events for a risk ratio: the variance of its log, 1/a - 1/n1 + 1/c - 1/n2, nears 0
        # when every participant has the event, so the trial weighs as much as any, where a
        # table without events weighs little. A reader of its weight needs to know why.
        flags.append("events in every participant of both arms"
                     + (": a risk ratio near 1 with a narrow interval and much weight, as the variance of its log "
                        "(1/a - 1/n1 + 1/c - 1/n2) nears 0" if measure == "RR" else ""))
    elif not zero_cell and min(e1, n1 - e1, e2, n2 - e2) < SPARSE_CELL:
        # The normal approximation behind the interval (and the inverse-variance weight)
        # is poor with so few events; the interval is shown as metafor computes it, and
        # said to be approximate (Cochrane Handbook 10.4.4.2).
        flags.append(f"sparse 2×2 table (a cell below {SPARSE_CELL}: {e1:g}/{n1:g} vs {e2:g}/{n2:g}): the "
                     "interval is an approximation")
    if measure == "RR":
        steps.append(f"log RR = ln(({a:g}/{n1c:g}) / ({c:g}/{n2c:g})) = {yi:.4f} (RR = {math.exp(yi):.4f}); "
                     f"vi = 1/a - 1/n1 + 1/c - 1/n2 = {vi:.6g}")
    elif measure == "OR":
        steps.append(f"log OR = ln(({a:g} x {d:g}) / ({b:g} x {c:g})) = {yi:.4f} (OR = {math.exp(yi):.4f}); "
                     f"vi = 1/a + 1/b + 1/c + 1/d = {vi:.6g}")
    else:
        steps.append(f"RD = {a:g}/{n1c:g} - {c:g}/{n2c:g} = {yi:.4f}; vi = p1(1 - p1)/n1 + p2(1 - p2)/n2 = {vi:.6g}")
    return yi, vi, steps, flags


def _binary_arm_candidates(values: Sequence[Mapping[str, Any]], analysis: Mapping[str, Any],
                           window: Mapping[str, Any], i_ids: set[str], c_ids: set[str],
                           note: Any) -> list[_Candidate]:
    """Candidates from arm-level events (or percentages of responders) of one study.

    One candidate per timepoint and instrument; arms of the same node are combined by
    adding their events and their sizes (Cochrane Handbook 23.3.4). A percentage without
    a count gives ``events = round(percent x n / 100)``, flagged.
    """
    name, measure = analysis["window"], analysis["measure"]
    usable = []
    for v in values:
        if v["value_type"] not in ("events", "percent_responders"):
            note(v["ref"], "excluded", f"continuous result ({v['value_type'].replace('_', ' ')}): "
                 "this analysis is of a binary outcome")
        elif v["timepoint_weeks"] == 0:
            note(v["ref"], "excluded", timepoint={"kind": "baseline"})
        elif name not in v["windows"]:
            note(v["ref"], "excluded", timepoint=timepoint_set_aside(v, window, name))
        else:
            usable.append(v)
    candidates = []
    for when, instrument in sorted({(timepoint_key(v), v["instrument"]) for v in usable}, key=_in_time_order):
        weeks = when[0]
        group = [v for v in usable if (timepoint_key(v), v["instrument"]) == (when, instrument)]
        g_i = [v for v in group if v["arm_id"] in i_ids]
        g_c = [v for v in group if v["arm_id"] in c_ids]
        refs = [v["ref"] for v in group]
        problem = None
        if not g_i or not g_c:
            problem = "no value for the other arm at the same timepoint and instrument"
        arm_ids = [v["arm_id"] for v in group]
        repeated = sorted({a for a in arm_ids if arm_ids.count(a) > 1})
        if problem is None and repeated:
            # Two rows for one arm would be added up as two groups of participants.
            problem = (f"more than one value for arm {', '.join(repeated)} at this timepoint and instrument: "
                       "which one to use is ambiguous")
        steps: list[str] = []
        flags: list[str] = []
        counts: dict[str, tuple[float, float]] = {}
        # Each arm's cells, for the audit trail's sums of events and of arm sizes.
        cells: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for v in [] if problem else g_i + g_c:
            n = v["n"]
            if n is None:
                problem = n_missing_reason(v)
            elif v.get("events") is not None:
                counts[v["arm_id"]] = (float(v["events"]), float(n))
                cells[v["arm_id"]] = {"n": _n_addend(v), "events": [{"ref": v["ref"], "column": "events",
                                                                     "value": float(v["events"])}]}
                steps.append(f"{v['ref']}: {v['events']:g} events of {n:g}")
            elif v.get("percent") is not None:
                e = events_from_percent(v["percent"], n)
                counts[v["arm_id"]] = (float(e), float(n))
                cells[v["arm_id"]] = {"n": _n_addend(v), "events": [
                    {"ref": v["ref"], "column": "percent", "cell": float(v["percent"]), "value": float(e),
                     "how": f"round(percent x n / 100) = round({float(v['percent']) * float(n) / 100:.3f})"}]}
                flags.append(f"events reconstructed from a percentage: {v['percent']:g}% of {n:g} = {e}")
                steps.append(f"{v['ref']}: events = round({v['percent']:g}% x {n:g} / 100) = "
                             f"round({float(v['percent']) * float(n) / 100:.3f}) = {e} (reconstructed, flagged)")
            else:
                problem = "neither the number of events nor a percentage reported"
            if problem is None and not 0 <= counts[v["arm_id"]][0] <= counts[v["arm_id"]][1]:
                problem = f"events ({counts[v['arm_id']][0]:g}) outside 0 to n ({n:g})"
            if problem:
                break
        if problem:
            for r in refs:
                note(r, "excluded", problem)
            continue
        for v in group:
            steps += [f"{v['ref']}: {s}" for s in v["steps"]]
        merged = []
        for arms, what in ((g_i, "intervention"), (g_c, "comparator")):
            events = sum(counts[v["arm_id"]][0] for v in arms)
            n = sum(counts[v["arm_id"]][1] for v in arms)
            if len(arms) > 1:
                steps.append(f"{what} arms {', '.join(v['arm_id'] for v in arms)} combined into one group "
                             f"(Cochrane Handbook 23.3.4): events and sizes added, {events:g}/{n:g}")
                flags.append(f"{len(arms)} {what} arms combined")
            merged.append((events, n))
        (e1, n1), (e2, n2) = merged
        yi, vi, s, f = _binary_from_arms(measure, e1, n1, e2, n2)
        if not (math.isfinite(yi) and math.isfinite(vi)):
            for r in refs:
                note(r, "excluded", f"{measure} not estimable from {e1:g}/{n1:g} vs {e2:g}/{n2:g}")
            continue
        reconstructed = any(v.get("events") is None for v in group)
        candidates.append(_Candidate(
            yi=yi, vi=vi, n1=n1, n2=n2, events1=e1, events2=e2, value_type=BINARY_VALUE_TYPE,
            timepoint_weeks=weeks, distance=v_distance(weeks, window),
            sizes={key: [c for v in arms for c in cells[v["arm_id"]][what]]
                   for key, what, arms in (("n1", "n", g_i), ("n2", "n", g_c), ("events1", "events", g_i),
                                           ("events2", "events", g_c))},
            form="arm-level percentages of responders" if reconstructed else "arm-level events",
            instrument=instrument, refs=refs, steps=steps + s, flags=flags + f, priority=0))
    return candidates


def _binary_contrast_candidate(c: Mapping[str, Any], sign: int, analysis: Mapping[str, Any],
                               assume_equal: bool) -> tuple[_Candidate | None, str]:
    """A reported RR, OR or RD with its CI, oriented intervention vs comparator.

    Ratios are taken on the log scale and their variance from the CI there,
    :math:`SE = (\\ln u - \\ln l) / (2 z)`; an RD (a proportion) from its CI directly
    (Cochrane Handbook 6.5.2.2 and 6.3.2 for ratios). The reported measure must be the
    analysis' measure: an RD cannot become an RR without each arm's risk.
    """
    measure = analysis["measure"]
    reported = c["reported"]
    est, lb, ub = reported["estimate"], reported["ci_lb"], reported["ci_ub"]
    conv = reported["sign_convention"]
    if c["measure"] != measure:
        # Said without claiming the arms' risks are missing: where the study gives them,
        # the analysis uses its arm-level events instead.
        return None, (f"{c['measure']} reported; this analysis uses {measure}, and a reported {c['measure']} is not "
                      f"converted to an {measure} (only the arms' own events or percentages give one)")
    if est is None:
        return None, "no estimate"
    steps: list[str] = []
    flags: list[str] = []
    y_lb: float | None  # None: an RD reported without its interval
    y_ub: float | None
    if measure in RATIO_MEASURES:
        if conv != "ratio_arm1_over_arm2":
            return None, f"sign convention '{conv}' does not say which arm is the numerator of the {measure}"
        if est <= 0 or (lb is not None and lb <= 0):
            return None, f"a {measure} and its bounds must be positive"
        if lb is None:
            return None, (f"{measure} without a confidence interval: the variance is unknown (an SE printed beside a "
                          "ratio may be on either scale)")
        y, y_lb, y_ub = math.log(est), math.log(lb), math.log(ub)
        steps.append(f"{measure} = {est:g} ({lb:g} to {ub:g}) taken on the log scale: "
                     f"ln {measure} = {y:.4f} ({y_lb:.4f} to {y_ub:.4f})")
    else:  # RD, a difference of proportions: arm1 minus arm2 once oriented
        good = analysis.get("events", "beneficial") == "beneficial"
        if conv in ("arm1_minus_arm2", "arm2_minus_arm1", "positive_favours_arm1", "positive_favours_arm2"):
            # For beneficial events a positive arm1 - arm2 favours arm1; for harmful ones arm2.
            flip = conv in ("arm2_minus_arm1", "positive_favours_arm2" if good else "positive_favours_arm1")
        elif conv in ("favours_arm1", "favours_arm2") and est != 0:
            # Only the favoured arm is stated: it has more events if they are beneficial.
            want_positive = (conv == "favours_arm1") == good
            flip = (est > 0) != want_positive
        else:
            return None, f"sign convention '{conv}' does not say which arm a positive RD favours"
        if est < -1 or est > 1:
            return None, f"RD {est:g} is outside -1 to 1: expected a proportion, not a percentage"
        y, y_lb, y_ub = est, lb, ub
        if flip:
            y, y_lb, y_ub = -y, (None if ub is None else -ub), (None if lb is None else -lb)
            steps.append(f"RD reported as '{conv}': sign reversed to arm1 minus arm2")
    if sign < 0:
        y, y_lb, y_ub = -y, (None if y_ub is None else -y_ub), (None if y_lb is None else -y_lb)
        steps.append("contrast reported comparator vs intervention: "
                     + ("ratio inverted (log negated)" if measure in RATIO_MEASURES else "sign reversed"))
    if y_lb is not None:
        assert y_ub is not None  # the raw tables give both bounds or neither (rawdata checks)
        z = _z(c["ci_level"])
        se = (y_ub - y_lb) / (2 * z)
        mid = (y_lb + y_ub) / 2
        # The consistency check's rule, on the numbers as printed (:func:`_off_centre`).
        if _off_centre(c, log=measure in RATIO_MEASURES):
            flags.append(f"CI not centred on the estimate{' on the log scale' if measure in RATIO_MEASURES else ''} "
                         f"(midpoint {mid:.3g} vs estimate {y:.3g})")
        steps.append(f"variance from the {c['ci_level']:g}% CI{' on the log scale' if measure in RATIO_MEASURES else ''}: "
                     f"SE = (upper - lower)/(2 x {z:.6f}) = {se:.4g}")
        vi = se**2
    elif c.get("se") is not None:
        vi = float(c["se"]) ** 2
        steps.append("variance from the reported SE")
    else:
        return None, "RD without CI or SE: variance unknown"
    if not vi > 0:
        return None, "confidence interval of zero width: variance unknown"
    n1, n2 = (c["n1"], c["n2"]) if sign > 0 else (c["n2"], c["n1"])
    split = (n1 is None or n2 is None) and c["n_total"] is not None and assume_equal
    if split:
        n1 = n2 = c["n_total"] / 2.0
        flags.append(f"arm sizes assumed equal ({n1:g} + {n2:g} from N = {c['n_total']})")
    return _Candidate(yi=float(y), vi=float(vi), n1=_size(n1), n2=_size(n2), events1=None, events2=None,
                      value_type=BINARY_VALUE_TYPE, timepoint_weeks=c["timepoint_weeks"], instrument=c["instrument"],
                      form=f"reported {BINARY_MEASURE_NAMES[measure]}", refs=[c["ref"]], steps=steps, flags=flags,
                      priority=1, sizes=_contrast_sizes(c, sign, split)), ""


def binary_candidates(values: Sequence[Mapping[str, Any]], contrasts: Sequence[tuple[Mapping[str, Any], int]],
                      analysis: Mapping[str, Any], window: Mapping[str, Any], i_ids: set[str], c_ids: set[str], *,
                      assume_equal_arms_from_total: bool, note: Any) -> list[_Candidate]:
    """Every usable binary effect of one trial for one RR, OR or RD analysis.

    Parameters
    ----------
    values, contrasts
        The study's arm-level rows and ``(contrast, orientation)`` pairs on the analysis'
        outcome for its arms (orientation 1: arm1 is the intervention, -1: reversed).
    analysis
        The config entry (``measure`` RR/OR/RD, ``window``, ``events``).
    window
        The analysis' window (``target_weeks`` decides the timepoint).
    i_ids, c_ids
        Arm ids of the intervention and comparator nodes.
    note
        ``note(ref, use, reason)``, or ``note(ref, use, timepoint=record)`` for a reason
        of the row's timepoint (:func:`timepoint_set_aside`): records why a row is not used.

    Returns
    -------
    list
        Candidates with ``yi`` on the analysis scale (log RR, log OR, or RD as a
        proportion), oriented intervention vs comparator; ``value_type`` is ``"binary"``.
        Arm-level counts come first at the same timepoint (``priority`` 0).
    """
    name = analysis["window"]
    candidates = _binary_arm_candidates(values, analysis, window, i_ids, c_ids, note)
    for c, sign in contrasts:
        if c["timepoint_weeks"] == 0:
            note(c["ref"], "excluded", timepoint={"kind": "baseline"})
        elif c["measure"] == "p_only":
            note(c["ref"], "excluded", P_ONLY_REASON)
        elif c["measure"] not in BINARY_MEASURES:
            note(c["ref"], "excluded", f"{c['measure']} is a continuous measure; this analysis is of a binary outcome")
        elif name not in c["windows"]:
            note(c["ref"], "excluded", timepoint=timepoint_set_aside(c, window, name))
        else:
            cand, why = _binary_contrast_candidate(c, sign, analysis, assume_equal_arms_from_total)
            if cand is None:
                note(c["ref"], "excluded", why)
                continue
            cand["distance"] = v_distance(c["timepoint_weeks"], window)
            candidates.append(cand)
    return candidates
