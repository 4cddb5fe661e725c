"""An anchored indirect comparison in the example, made by a trial added to a copy of it.

The example's indirect comparisons are not anchored on any common comparator's own
treatment: a trial of dry needling against sham dry needling, added here to a scratch
copy only, anchors the disability comparison through the node "sham, minimal needling or
placebo TENS", whose acupuncture side (Cherkin 2009, Kwon 2007) used sham acupuncture;
rated low for identity, it is flagged wherever its effect is used.
"""

from __future__ import annotations

import json

import metareview_workflow_support as wf  # registered by conftest.py
import pytest

pytestmark = pytest.mark.slow

TRIAL = "Testfirst2099"
LABEL = "Testfirst et al. (2099)"
INDIRECT = "results/indirect/dry_needling_vs_acupuncture_disability_indirect.json"


def test_an_anchored_comparison_through_two_different_shams_says_what_it_assumes(built_copy):
    config = wf.load_config(built_copy)
    raw = built_copy / config["raw_dir"]
    analysis = next(a for a in config["analyses"] if a["id"] == "dry_needling_vs_sham_disability")
    wf.add_trial(built_copy, TRIAL, LABEL, analysis, means=(8.0, 10.0), sd=4.0)
    wf.edit_row(raw / "arms.csv", {"study_id": TRIAL, "arm_id": "ctl"}, {"treatment": "sham_dry_needling"})
    run = wf.run_snakemake(built_copy, INDIRECT, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    doc = json.loads((built_copy / INDIRECT).read_text(encoding="utf-8"))
    assert doc["status"] == "anchored"
    (x,) = doc["anchored"]
    # Each side's controls by the treatments its trials' control arms received, as
    # arms.csv gives them: the new trial's sham dry needling; Cherkin's simulated
    # acupuncture and Kwon's placebo, both coded sham acupuncture.
    assert x["a_vs_c"]["comparator_treatments"] == [
        {"treatment": "sham_dry_needling", "label": "Sham dry needling", "study_ids": [TRIAL]}]
    assert x["b_vs_c"]["comparator_treatments"] == [
        {"treatment": "sham_acupuncture", "label": "Sham acupuncture", "study_ids": ["Cherkin2009", "Kwon2007"]}]
    assert x["controls_differ"] is True
    # (No-break spaces, which the report sets inside "et al.", as spaces.)
    report = (built_copy / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    # The limitations' line, not the methods' of the same head.
    limitations = next(line for line in report.split("{#sec-limitations}", 1)[1].splitlines()
                       if line.startswith("- **Indirect comparisons**: "))
    assert ("through sham, minimal needling or placebo TENS: the dry needling side\u2019s 1 trial (Testfirst et al., "
            "2099) used sham dry needling, the acupuncture side\u2019s 2 trials (Cherkin et al., 2009; and Kwon et al., "
            "2007) sham acupuncture. The comparison assumes these controls have the same effect; if they do not, its "
            "estimate is biased") in limitations, limitations
    assert ("The controls: on the dry needling side, sham dry needling (Testfirst et al., 2099); on the acupuncture "
            "side, sham acupuncture (Cherkin et al., 2009; and Kwon et al., 2007).") in report


def test_a_primary_trial_whose_identity_is_rated_low_is_flagged_where_its_effect_is_used(built_copy):
    # The made-up trial, a primary report, rated low for identity: it alone carries the
    # dry-needling side of the anchored comparison.
    config = wf.load_config(built_copy)
    raw = built_copy / config["raw_dir"]
    analysis = next(a for a in config["analyses"] if a["id"] == "dry_needling_vs_sham_disability")
    wf.add_trial(built_copy, TRIAL, LABEL, analysis, means=(8.0, 10.0), sd=4.0)
    wf.edit_row(raw / "studies.csv", {"study_id": TRIAL}, {"identity_confidence": "low"})
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    report = (built_copy / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    # Its Results line, the indirect section's side, and the limitations' list.
    assert f"one study only, not pooled: {LABEL} (study identity low), SMD " in report
    assert f", from {LABEL} (study identity low) and pooled estimate of 2 studies" in report
    limitations = next(line for line in report.splitlines()
                       if line.startswith("- **Study effects of studies whose identity is rated low"))
    assert LABEL in limitations and "Kwon et al. (2007)" in limitations
