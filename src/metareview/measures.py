"""The effect measures the pipeline carries from raw rows to a report.

The library's :func:`metareview.effects.escalc` computes more measures than these (ROM,
the change-score SMDs, proportions, correlations, ...). The pipeline's steps after it are
written for these five alone: the conversions of reported forms, the direction of
benefit, the scale an estimate is printed on (RR and OR on the log scale), the
re-expression of an SMD in an instrument's points and the audit's wording. A measure
outside them would otherwise be taken for a mean difference at every step.

Only the standard library is used: the per-study and per-analysis steps import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The measures an analysis (or an indirect comparison) may name: the config schema's
#: ``measure`` enum, which a test holds to this tuple. metafor's codes.
ANALYSIS_MEASURES = ("MD", "SMD", "RR", "OR", "RD")


def check_measure(analysis: Mapping[str, Any]) -> None:
    """Refuse an analysis whose measure the pipeline cannot carry to a report.

    Parameters
    ----------
    analysis
        One entry of the config's ``analyses`` (``id``, ``measure``).

    Raises
    ------
    ValueError
        For a measure outside :data:`ANALYSIS_MEASURES`, naming the analysis: the config
        check refuses it first, so this guards a config that skipped the check (a widened
        schema, a library caller), which would otherwise print, say, a log ratio of means
        as a mean difference.
    """
    measure = analysis.get("measure")
    if measure not in ANALYSIS_MEASURES:
        raise ValueError(
            f"analysis {analysis.get('id')!r}: measure {measure!r} cannot be analysed by the pipeline "
            f"(expected one of {', '.join(ANALYSIS_MEASURES)}; the library's escalc computes others, "
            "but the pipeline's conversions, direction of benefit and report are written for these)"
        )
