"""An SMD re-expressed in the points of a familiar instrument.

A standardised mean difference is in standard deviations, which tell a clinician little.
Multiplied by a standard deviation representative of an instrument, it becomes a
difference in that instrument's points, with its confidence interval alike [1]_:

.. math:: \\text{points} = \\text{SMD} \\times SD, \\qquad
          \\text{CI}_{\\text{points}} = (\\text{lower} \\times SD,\\ \\text{upper} \\times SD)

The SD taken is the pooled SD of the comparator arms that used the instrument in the
analysis's trials, each arm weighted by its degrees of freedom (n − 1):

.. math:: SD = \\sqrt{\\frac{\\sum_i (n_i - 1)\\, SD_i^2}{\\sum_i (n_i - 1)}}

The comparator arms, not all arms: the intervention may change the spread of its own arm,
and the comparator's is the spread of the people a clinician would otherwise see. The
result is an approximation: an instrument's SD differs between trials and populations,
and the SMD of each trial was standardised by its own.

Only the standard library is imported here.

References
----------
.. [1] Schünemann HJ, Vist GE, Higgins JPT, et al. (2023). Chapter 15: Interpreting results
   and drawing conclusions, section 15.5.3.2, Re-expressing SMDs using a familiar
   instrument. In: Cochrane Handbook for Systematic Reviews of Interventions, version 6.4.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["comparator_sd", "pooled_sd", "re_express", "re_expressed"]


def pooled_sd(n: Sequence[float], sd: Sequence[float]) -> float:
    """The pooled SD of groups, each weighted by its degrees of freedom.

    .. math:: SD = \\sqrt{\\sum_i (n_i - 1)\\, SD_i^2 \\big/ \\sum_i (n_i - 1)}

    Parameters
    ----------
    n, sd
        Each group's size and SD, in the same order.

    Returns
    -------
    float
        The pooled SD; one group's own SD for one group.

    Raises
    ------
    ValueError
        No group, sizes and SDs of different lengths, a negative SD, or no degrees of
        freedom (every group of one or fewer).

    Examples
    --------
    >>> round(pooled_sd([11, 21], [3.0, 4.0]), 4)  # sqrt((10 x 9 + 20 x 16) / 30)
    3.6968
    """
    if not n or len(n) != len(sd):
        raise ValueError("pooled_sd needs one SD for each group size, and at least one group")
    if any(s < 0 for s in sd):
        raise ValueError("an SD cannot be negative")
    df = [float(x) - 1.0 for x in n]
    if any(d < 0 for d in df) or sum(df) <= 0:
        raise ValueError("the groups have no degrees of freedom (n - 1) to weight their variances by")
    return math.sqrt(sum(d * float(s) ** 2 for d, s in zip(df, sd)) / sum(df))


def re_express(estimate: float, ci_lb: float, ci_ub: float, sd: float) -> tuple[float, float, float]:
    """An SMD and its confidence bounds in an instrument's points: each times ``sd``.

    Cochrane Handbook 15.5.3.2. The sign is the SMD's: on this review's lower-is-better
    scales, negative favours the intervention in points as in SDs.

    Examples
    --------
    >>> re_express(-0.5, -0.75, -0.25, 4.0)
    (-2.0, -3.0, -1.0)
    """
    if not sd >= 0:
        raise ValueError(f"an SD of {sd!r} cannot re-express an SMD")
    return estimate * sd, ci_lb * sd, ci_ub * sd


def re_expressed(studies: Sequence[Mapping[str, Any]], estimate: float, ci_lb: float,
                 ci_ub: float) -> list[dict[str, Any]]:
    """An analysis's SMD in the points of each instrument its studies used, where a
    comparator arm's SD of that instrument is known.

    Parameters
    ----------
    studies
        The study effects the SMD was computed from (an analysis's ``studies``): each
        with its ``study_id``, ``instrument`` and, where its comparator arms' SDs are
        known, ``comparator_sd`` (``instrument_label`` and ``arms``, each with ``ref``,
        ``arm_id``, ``n``, ``sd`` in the instrument's units and ``from``, as
        :mod:`metareview.extract` records them). A study without it adds nothing (its
        effect came from a t statistic or a reported SMD, say).
    estimate, ci_lb, ci_ub
        The SMD (pooled, or the single study's) and its confidence bounds.

    Returns
    -------
    list of dict
        One per instrument with a known SD, in the order the studies first use it:
        ``instrument`` (its code), ``instrument_label``, ``sd`` (:func:`pooled_sd` of the
        comparator arms), ``studies`` (their ids), ``arms`` (each arm's ``study_id``,
        ``ref``, ``arm_id``, ``n``, ``sd`` and ``from``), and ``estimate``, ``ci_lb``,
        ``ci_ub`` in points (:func:`re_express`).

    Examples
    --------
    >>> arm = {"ref": "arm_outcomes.csv:A#2", "arm_id": "c", "n": 21.0, "sd": 4.0, "from": "sd"}
    >>> [x["estimate"] for x in re_expressed(
    ...     [{"study_id": "A", "instrument": "RMDQ_0_24",
    ...       "comparator_sd": {"instrument_label": "RMDQ 0-24", "arms": [arm]}}], -0.5, -0.9, -0.1)]
    [-2.0]
    """
    by_instrument: dict[str, dict[str, Any]] = {}
    for s in studies:
        known = s.get("comparator_sd")
        arms = [a for a in (known or {}).get("arms", ()) if a.get("n") is not None and a.get("sd") is not None]
        if not known or not arms:
            continue
        entry = by_instrument.setdefault(s["instrument"], {
            "instrument": s["instrument"], "instrument_label": known.get("instrument_label") or s["instrument"],
            "studies": [], "arms": []})
        entry["studies"].append(s["study_id"])
        entry["arms"] += [{"study_id": s["study_id"], **a} for a in arms]
    out = []
    for entry in by_instrument.values():
        arms = [a for a in entry["arms"] if float(a["n"]) > 1]
        if not arms:
            continue  # arms of one: no degrees of freedom to weight a variance by
        sd = pooled_sd([float(a["n"]) for a in arms], [float(a["sd"]) for a in arms])
        est, lb, ub = re_express(estimate, ci_lb, ci_ub, sd)
        out.append({**entry, "studies": sorted({a["study_id"] for a in arms}, key=entry["studies"].index),
                    "arms": arms, "sd": sd, "estimate": est, "ci_lb": lb, "ci_ub": ub})
    return out


def comparator_sd(studies: Sequence[Mapping[str, Any]], normalised: Sequence[Mapping[str, Any]], comparator: str,
                  outcome: str) -> dict[str, Any] | None:
    """The SD of a mean-difference analysis's comparator arms on its common scale, to
    re-express a published SMD in the analysis's points (Cochrane Handbook 15.5.3.2), or
    None where none is known.

    An MD's study effect may come from a reported difference with its interval, without
    the arms' SDs; the study's arm rows may still give them. Each comparator arm is taken
    from the normalised arm rows (already on the common scale, as extraction reads them)
    of a study the analysis uses, at the study effect's instrument, value type and
    timepoint, in the comparator's node.

    Parameters
    ----------
    studies
        The analysis's study effects (``study_id``, ``instrument``, ``value_type``,
        ``timepoint_weeks``).
    normalised
        The normalised study records (``study``, ``arms``, ``arm_values``).
    comparator, outcome
        The analysis's comparator node and outcome.

    Returns
    -------
    dict or None
        ``sd`` and ``arms`` (each ``study_id``, ``ref``, ``arm_id``, ``arm_label``, ``n``,
        ``sd`` on the common scale, ``value_type`` (``final`` or ``change``: an SD of
        changes is usually smaller than one of final values, so the report says which),
        and ``raw_sd`` and ``scale_factor``: the SD cell as typed and its factor to the
        common scale, each None where the row has none). One arm gives its own SD,
        whether or not its size is known; several arms give :func:`pooled_sd`, and None
        where any arm's size is unknown (nothing to weight them by). None too where no
        arm has an SD above 0: an SD of 0 would re-express every SMD as no difference.

    Examples
    --------
    >>> rec = {"study": {"study_id": "A"}, "arms": [{"arm_id": "c", "treatment_label": "Sham"}],
    ...        "arm_values": [{"ref": "arm_outcomes.csv:A#2", "arm_id": "c", "node": "sham", "outcome": "pain",
    ...                        "instrument": "VAS", "value_type": "change", "timepoint_weeks": 8.0,
    ...                        "n": None, "sd": 3.1}]}
    >>> comparator_sd([{"study_id": "A", "instrument": "VAS", "value_type": "change", "timepoint_weeks": 8.0}],
    ...               [rec], "sham", "pain")["sd"]
    3.1
    """
    records = {rec["study"]["study_id"]: rec for rec in normalised}
    arms: list[dict[str, Any]] = []
    for s in studies:
        rec = records.get(s["study_id"])
        if rec is None:
            continue
        labels = {a["arm_id"]: a.get("treatment_label") or a["arm_id"] for a in rec.get("arms", ())}
        for v in rec.get("arm_values", ()):
            if (v.get("node") == comparator and v.get("outcome") == outcome and v.get("sd") is not None
                    and v.get("instrument") == s.get("instrument") and v.get("value_type") == s.get("value_type")
                    and v.get("timepoint_weeks") == s.get("timepoint_weeks") and float(v["sd"]) > 0):
                arms.append({"study_id": s["study_id"], "ref": v["ref"], "arm_id": v["arm_id"],
                             "arm_label": labels.get(v["arm_id"], v["arm_id"]),
                             "n": None if v.get("n") is None else float(v["n"]), "sd": float(v["sd"]),
                             "value_type": v.get("value_type"),
                             # The SD as typed and the factor to the common scale, for
                             # the audit trail to show the one becoming the other.
                             "raw_sd": (v.get("raw") or {}).get("sd"), "scale_factor": v.get("scale_factor")})
    if not arms:
        return None
    if len(arms) == 1:
        return {"sd": arms[0]["sd"], "arms": arms}
    if any(a["n"] is None or a["n"] <= 1 for a in arms):
        return None  # sizes unknown: no weights to pool the arms' variances by
    return {"sd": pooled_sd([a["n"] for a in arms], [a["sd"] for a in arms]), "arms": arms}
