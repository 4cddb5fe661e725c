"""Absolute effects of a binary outcome: risks per 1,000 at an assumed comparator risk.

A risk ratio or an odds ratio says little on its own about how many people it helps:
summary-of-findings tables give it in absolute terms, at an assumed risk in the
comparator group (ACR) [1]_. The corresponding risk with the intervention is

* RR: ``ACR * RR``
* OR: ``ACR * OR / (1 - ACR + ACR * OR)``
* RD: ``ACR + RD``

and the difference per 1,000 people is ``1000 * (risk with the intervention - ACR)``.
Each formula is monotone in the effect, so the confidence bounds map to bounds. A risk
above 1 (a large RR at a high ACR) is capped at 1,000 per 1,000, and said.

The assumed comparator risk is the one observed in the comparator arms: a single trial's,
or, for a pooled analysis, the median of the trials' (the Handbook's "typical" risk; a
review with a better-grounded baseline risk for its population should state it).

Only the standard library is imported here.

References
----------
.. [1] Schünemann HJ, Higgins JPT, Vist GE, et al. (2023). Chapter 14: Completing
   'Summary of findings' tables and grading the certainty of the evidence, section
   14.1.5.1. In: Cochrane Handbook for Systematic Reviews of Interventions, version 6.4.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["AbsoluteEffect", "absolute_effect", "comparator_risk", "corresponding_risk"]


def corresponding_risk(measure: str, effect: float, acr: float) -> float:
    """The risk with the intervention at comparator risk ``acr``, for an effect on its natural
    scale (a ratio for RR and OR, a difference for RD); not capped.

    Raises
    ------
    ValueError
        A measure other than RR, OR and RD, or a comparator risk outside 0 to 1.
    """
    if not 0.0 <= acr <= 1.0:
        raise ValueError(f"comparator risk {acr!r} is not a proportion")
    if measure == "RR":
        return acr * effect
    if measure == "OR":
        return acr * effect / (1.0 - acr + acr * effect)
    if measure == "RD":
        return acr + effect
    raise ValueError(f"absolute effects are for RR, OR and RD, not {measure!r}")


@dataclass(frozen=True)
class AbsoluteEffect:
    """Per 1,000 people: the comparator risk, the risk with the intervention (with its
    interval), and their difference (positive: more people with the event).

    ``capped`` says a bound was cut to 0 or 1,000 per 1,000.
    """

    comparator: float
    intervention: float
    intervention_lb: float
    intervention_ub: float
    difference: float
    difference_lb: float
    difference_ub: float
    capped: bool


def absolute_effect(measure: str, estimate: float, ci_lb: float, ci_ub: float, acr: float) -> AbsoluteEffect:
    """The absolute effect, per 1,000, of an effect on the analysis scale.

    Parameters
    ----------
    measure
        ``RR`` or ``OR`` (``estimate`` and bounds as log ratios, the scale they are
        pooled on) or ``RD``.
    estimate, ci_lb, ci_ub
        The effect and its confidence bounds.
    acr
        Assumed comparator risk, a proportion.
    """
    def risk(value: float) -> float:
        return corresponding_risk(measure, math.exp(value) if measure in ("RR", "OR") else value, acr)

    raw = [risk(estimate), risk(ci_lb), risk(ci_ub)]
    capped = any(r < 0.0 or r > 1.0 for r in raw)
    est, lb, ub = (1000.0 * min(1.0, max(0.0, r)) for r in raw)
    base = 1000.0 * acr
    return AbsoluteEffect(comparator=base, intervention=est, intervention_lb=lb, intervention_ub=ub,
                          difference=est - base, difference_lb=lb - base, difference_ub=ub - base, capped=capped)


def comparator_risk(studies: Sequence[Mapping[str, Any]]) -> float | None:
    """The observed comparator risk: the median over the studies that give the comparator
    arm's events and size (``events2``, ``n2``); ``None`` when none does."""
    risks = [float(s["events2"]) / float(s["n2"]) for s in studies
             if s.get("events2") is not None and s.get("n2")]
    return statistics.median(risks) if risks else None
