"""A trial whose result lies in a configured window no analysis of its comparison covers.

A made-up trial of dry needling against sham, added to a scratch copy of the example
only, reports pain at week 16: outside the dry needling vs sham analysis's window (1 to
12 weeks) and inside the review's medium term (13 to 26 weeks), in which the config
defines no such analysis.
"""

from __future__ import annotations

import metareview_workflow_support as wf  # registered by conftest.py
import pytest

pytestmark = pytest.mark.slow

TRIAL = "Testfirst2098"
LABEL = "Testfirst et al. (2098)"


def test_a_result_in_a_window_no_analysis_covers_is_listed_with_the_window(built_copy):
    config = wf.load_config(built_copy)
    raw = built_copy / config["raw_dir"]
    analysis = next(a for a in config["analyses"] if a["id"] == "dry_needling_vs_sham_pain")
    wf.add_trial(built_copy, TRIAL, LABEL, analysis, means=(3.0, 4.0))
    for arm in ("int", "ctl"):
        wf.edit_row(raw / "arm_outcomes.csv", {"study_id": TRIAL, "arm_id": arm},
                    {"timepoint_weeks": "16", "timepoint_label": "week 16"})
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    report = (built_copy / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    medium = wf.load_config(built_copy)["windows"]["medium_term"]["label"]
    window = medium[:1].lower() + medium[1:]
    # The table of trials set aside names the window that would take the result...
    assert (f"| timepoint 16 weeks is outside the window of 1 to 12 weeks; week 16 is in the {window}, in which no "
            "analysis of this comparison is defined (see @tbl-uncovered) |") in report
    # ... and the table of comparisons no analysis covers lists it with that window.
    (row,) = [line for line in report.splitlines() if line.startswith("| Dry needling vs Sham") and LABEL in line]
    assert f"| Pain intensity, {window}: no analysis of this comparison in this window |" in row, row
