"""The pipeline refuses a measure it cannot carry to a report, whatever the schema says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from metareview.analysis import MEASURE_LABELS, pool_analysis
from metareview.effects import MEASURES
from metareview.extract import study_effects
from metareview.measures import ANALYSIS_MEASURES, check_measure

SCHEMA = Path(__file__).resolve().parents[2] / "config" / "schemas" / "config.schema.yaml"


def measure_enums(node: object) -> list[list[str]]:
    """Every ``measure: {enum: [...]}`` of the config schema that lists MD: the analyses',
    the indirect comparisons' and a conditional one (continuous measures only)."""
    found: list[list[str]] = []
    if isinstance(node, dict):
        measure = node.get("measure")
        if isinstance(measure, dict) and "MD" in measure.get("enum", []):
            found.append(measure["enum"])
        for value in node.values():
            found.extend(measure_enums(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(measure_enums(value))
    return found


def test_the_schema_offers_exactly_the_measures_the_pipeline_carries():
    # Widening the schema alone (the first thing its error invites) let a ROM through to a
    # report that printed a log ratio of means as a mean difference on sham's side.
    enums = measure_enums(yaml.safe_load(SCHEMA.read_text(encoding="utf-8")))
    assert sorted(map(sorted, enums)) == sorted([["MD", "SMD"], *[sorted(ANALYSIS_MEASURES)] * 2])
    assert set(ANALYSIS_MEASURES) == set(MEASURE_LABELS) and set(ANALYSIS_MEASURES) < set(MEASURES)


@pytest.mark.parametrize("measure", ["ROM", "SMCC", "md", None])
def test_a_measure_the_pipeline_cannot_carry_is_refused_with_its_analysis(measure):
    analysis = {"id": "a_vs_b_pain", "measure": measure}
    with pytest.raises(ValueError, match=f"analysis 'a_vs_b_pain': measure {measure!r} cannot be analysed") as err:
        check_measure(analysis)
    assert "MD, SMD, RR, OR, RD" in str(err.value)
    # Both steps that read the measure refuse it before reading any data.
    with pytest.raises(ValueError, match="cannot be analysed"):
        study_effects({}, [analysis], windows={})
    with pytest.raises(ValueError, match="cannot be analysed"):
        pool_analysis(analysis, [], methods={}, labels={})


@pytest.mark.parametrize("measure", ANALYSIS_MEASURES)
def test_the_pipelines_measures_pass(measure):
    check_measure({"id": "a", "measure": measure})
