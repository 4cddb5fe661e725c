"""A review that is not the example, started as the README's "Starting another review"
says: a copy of the repository with the study tables emptied, the new review's treatment
and instrument codes added, its outcome codes added to the raw schemas, and a config of
its own. Its trials are two of metafor's datasets, read as trials of BCG vaccine against
no vaccine: dat.bcg's 2x2 tables (tuberculosis, risk ratios) and dat.normand1999's means
(days in hospital, mean differences), so that its pooled results can be compared with
metafor's own (tests/reference/metafor/), and its report read for anything of the
example's.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import metareview_workflow_support as wf  # registered by conftest.py
import pytest
import yaml

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "tests" / "reference" / "metafor"
STUDY_TABLES = ("studies", "arms", "arm_outcomes", "contrasts", "statements", "claims", "risk_of_bias", "sources")
OUTCOME_SCHEMAS = ("instruments", "arm_outcomes", "contrasts", "statements", "claims")
ANALYSES = {"bcg_vs_none_tb": "dat.bcg__RR", "bcg_vs_none_tb_or": "dat.bcg__OR",
            "bcg_vs_none_days": "dat.normand1999__MD"}

CONFIG = {
    "review": {
        "title": "BCG vaccine versus no vaccine",
        "question": "Does BCG vaccination reduce tuberculosis and days in hospital compared with no vaccination?",
        "population": "Children and adults",
        "evidence_base": "The trials of two published datasets, taken as they were printed.",
    },
    "raw_dir": "data/raw",
    "schema_dir": "config/schemas/raw",
    "nodes": {
        "bcg": {"label": "BCG vaccine", "treatments": ["bcg_vaccine"]},
        "none": {"label": "No vaccine", "treatments": ["no_vaccine"]},
    },
    "outcomes": {
        "tuberculosis": {"label": "Tuberculosis", "type": "binary"},
        # Measured in days, not on a scale: no range, and its mean differences in days;
        # with a minimal important difference, which the example sets for no outcome.
        "hospital_days": {"label": "Days in hospital", "unit": "days",
                          "mid": {"value": 10, "source": "A threshold assumed for this test review"}},
    },
    "windows": {"follow_up": {"label": "Follow-up", "target_weeks": 52, "min_weeks": 0, "max_weeks": 520}},
    "analyses": [
        {"id": "bcg_vs_none_tb", "intervention": "bcg", "comparator": "none", "outcome": "tuberculosis",
         "window": "follow_up", "measure": "RR", "events": "harmful"},
        {"id": "bcg_vs_none_tb_or", "intervention": "bcg", "comparator": "none", "outcome": "tuberculosis",
         "window": "follow_up", "measure": "OR", "events": "harmful"},
        {"id": "bcg_vs_none_days", "intervention": "bcg", "comparator": "none", "outcome": "hospital_days",
         "window": "follow_up", "measure": "MD"},
    ],
    # metafor's rma() defaults, which the reference fixtures were fitted with.
    "methods": {"method": "REML", "test": "z", "level": 95, "min_studies": 2, "small_study_min": 10,
                "small_study_predictor": "sei"},
    "effects": {"assume_equal_arms_from_total": True, "impute_missing_sd": False, "baseline_imbalance_smd": 0.1,
                "median_to_mean": True},
    "report": {"renderer": "auto", "detail_limit": 40, "detailed": [], "png_dpi": 150},
}


def _append(path: Path, rows: list[dict[str, object]]) -> None:
    header = wf.csv_header(path)
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=header, lineterminator="\n").writerows(rows)


def _study_id(prefix: str, label: str) -> str:
    return prefix + re.sub(r"[^A-Za-z0-9]", "", label)


def _enter_review(root: Path) -> None:
    raw = root / "data" / "raw"
    # 1. The study tables emptied, their header rows kept.
    for table in STUDY_TABLES:
        (raw / f"{table}.csv").write_text(",".join(wf.csv_header(raw / f"{table}.csv")) + "\n", encoding="utf-8")
    # The outcome codes of another domain, in every raw schema's `outcome` list.
    for table in OUTCOME_SCHEMAS:
        path = root / "config" / "schemas" / "raw" / f"{table}.schema.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.count("quality_of_life, other]") == 1, table
        path.write_text(text.replace("quality_of_life, other]", "quality_of_life, other, tuberculosis, "
                                     "hospital_days]"), encoding="utf-8")
    # 2. The review's definition.
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(CONFIG, sort_keys=False), encoding="utf-8")
    # 3. Its codes, documents, studies, arms and results.
    _append(raw / "treatments.csv", [
        {"treatment": "bcg_vaccine", "label": "BCG vaccine", "role": "active"},
        {"treatment": "no_vaccine", "label": "No vaccine", "role": "control"},
    ])
    _append(raw / "instruments.csv", [
        {"instrument": "tb_cases", "label": "Tuberculosis cases", "outcome": "tuberculosis", "lower_is_better": "true"},
        # A bound no stay reaches, 0 to 365, kept beside the unit: the stays of several trials
        # lie in its bottom tenth, which on a scale would read as values on a smaller one.
        {"instrument": "days", "label": "Days in hospital", "outcome": "hospital_days", "scale_min": 0,
         "scale_max": 365, "unit": "days", "lower_is_better": "true"},
    ])
    _append(raw / "sources.csv", [
        {"source_id": "colditz1994", "kind": "systematic_review", "citation": "Colditz et al. (1994)"},
        {"source_id": "normand1999", "kind": "other", "citation": "Normand (1999)"},
    ])
    studies, arms, results = [], [], []
    bcg = json.loads((REFERENCE / "dat.bcg__RR.json").read_text(encoding="utf-8"))
    for i, label in enumerate(bcg["slab"]):
        sid = _study_id("BCG", label)
        counts = {k: bcg["input"][k][i] for k in ("tpos", "tneg", "cpos", "cneg")}
        arm_sizes = {"vac": counts["tpos"] + counts["tneg"], "ctl": counts["cpos"] + counts["cneg"]}
        events = {"vac": counts["tpos"], "ctl": counts["cpos"]}
        quote = (f"{events['vac']} of {arm_sizes['vac']} vaccinated and {events['ctl']} of {arm_sizes['ctl']} "
                 "unvaccinated")
        studies.append({"study_id": sid, "label": label, "design": "rct", "source_level": "secondary",
                        "source_id": "colditz1994", "identity_confidence": "high"})
        for arm, code in (("vac", "bcg_vaccine"), ("ctl", "no_vaccine")):
            arms.append({"study_id": sid, "arm_id": arm, "treatment": code, "n_randomised": arm_sizes[arm]})
            results.append({"study_id": sid, "arm_id": arm, "outcome": "tuberculosis", "instrument": "tb_cases",
                            "timepoint_weeks": 52, "value_type": "events", "n": arm_sizes[arm],
                            "events": events[arm], "quote": quote, "confidence": "high"})
    normand = json.loads((REFERENCE / "dat.normand1999__MD.json").read_text(encoding="utf-8"))
    data = normand["input"]
    for i, label in enumerate(normand["slab"]):
        sid = _study_id("LOS", label)
        quote = (f"{data['m1i'][i]} ({data['sd1i'][i]}), n = {data['n1i'][i]}; "
                 f"{data['m2i'][i]} ({data['sd2i'][i]}), n = {data['n2i'][i]}")
        studies.append({"study_id": sid, "label": label, "design": "rct", "source_level": "secondary",
                        "source_id": "normand1999", "identity_confidence": "medium"})
        for arm, code, k in (("vac", "bcg_vaccine", "1"), ("ctl", "no_vaccine", "2")):
            arms.append({"study_id": sid, "arm_id": arm, "treatment": code, "n_randomised": data[f"n{k}i"][i]})
            results.append({"study_id": sid, "arm_id": arm, "outcome": "hospital_days", "instrument": "days",
                            "timepoint_weeks": 52, "value_type": "final", "n": data[f"n{k}i"][i],
                            "mean": data[f"m{k}i"][i], "sd": data[f"sd{k}i"][i], "quote": quote,
                            "confidence": "high"})
    _append(raw / "studies.csv", studies)
    _append(raw / "arms.csv", arms)
    _append(raw / "arm_outcomes.csv", results)


@pytest.fixture(scope="module")
def new_review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = wf.copy_repo(tmp_path_factory.mktemp("new-review") / "repo")
    _enter_review(root)
    run = wf.run_snakemake(root, "--cores", "1")
    assert run.returncode == 0, run.output[-6000:]
    return root


@pytest.mark.parametrize("analysis", sorted(ANALYSES))
def test_a_new_review_pools_its_trials_as_metafor_does(new_review: Path, analysis: str) -> None:
    pooled = json.loads((new_review / "results" / "analyses" / f"{analysis}.json").read_text())["pooled"]
    # rma(yi, vi, method = "REML") with tight convergence, metafor 3.8-1.
    reference = json.loads((REFERENCE / f"{ANALYSES[analysis]}.json").read_text())["models_tight"]["REML"]
    assert (pooled["k"], pooled["method"], pooled["test"]) == (reference["k"], "REML", "z")
    for key in ("estimate", "se", "ci_lb", "ci_ub", "tau2", "I2", "QE"):
        assert pooled[key] == pytest.approx(reference[key], rel=1e-6, abs=1e-6), key
    for key in ("pi_lb", "pi_ub"):
        assert pooled[key] == pytest.approx(reference["predict"][key], rel=1e-6, abs=1e-6), key


def test_a_new_review_s_report_speaks_of_it_alone(new_review: Path) -> None:
    # No-break spaces (which keep a number with its unit) read as spaces.
    report = (new_review / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert report.count("BCG vaccine versus no vaccine") >= 1
    assert "The review defines no indirect comparison" in report
    # Nothing of the example's treatments, condition, seed source or its conversions.
    for word in ("needling", "acupuncture", "back pain", "sham", "blog", "seed", "the post", "6 months"):
        assert word not in report.lower(), word
    assert (new_review / "build" / "report" / "report.html").stat().st_size > 0


def test_a_new_review_that_kept_the_example_s_codebook_is_told_to_write_its_own(new_review: Path) -> None:
    # Its outcome codes went into the schemas and the codebook was not written again: the
    # codebook lists codes its tables may not use, and the report's warnings say so.
    # No-break spaces (which keep a number with its unit) read as spaces.
    report = (new_review / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert ("| Codebook | the codebook data/raw/README.md is not what the schemas in config/schemas/raw/ give"
            in report)
    assert "metareview codebook \\-\\-out data/raw/README.md" in report


def test_a_new_review_s_analyses_of_one_title_have_headings_of_their_own(new_review: Path) -> None:
    # Tuberculosis as a risk ratio and as an odds ratio: one comparison, outcome and window.
    # No-break spaces (which keep a number with its unit) read as spaces.
    report = (new_review / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    headings = [line.split(" {#")[0] for line in report.splitlines() if line.startswith("### BCG vaccine vs")]
    assert headings == ["### BCG vaccine vs No vaccine: tuberculosis, follow-up, RR",
                        "### BCG vaccine vs No vaccine: tuberculosis, follow-up, OR",
                        "### BCG vaccine vs No vaccine: days in hospital, follow-up"], headings


def test_a_new_review_s_outcome_in_days_is_reported_in_days(new_review: Path) -> None:
    # No-break spaces (which keep a number with its unit) read as spaces.
    report = (new_review / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    # metafor's pooled MD of dat.normand1999 (REML), in days, as the results and summary print it.
    reference = json.loads((REFERENCE / "dat.normand1999__MD.json").read_text())["models_tight"]["REML"]
    estimate = f"{reference['estimate']:.2f}".replace("-", "\u2212")
    assert re.search(rf"MD {estimate} \(95% CI [^)]*\) days", report), estimate
    assert "{#sec-bcg-vs-none-days}\n\n::: {.keep-with-next}\nMeasure: mean difference, in days;" in report
    assert "Days in hospital: in days, lower is better" in report and "rescaled linearly" not in report
    assert "points on the" not in report and not re.search(r"values on a [\d.]+ to [\d.]+ scale\?", report)
    analysis = json.loads((new_review / "results" / "analyses" / "bcg_vs_none_days.json").read_text())["analysis"]
    assert analysis["unit"] == "days" and "common_scale" not in analysis


def test_a_new_review_s_mid_is_read_in_the_section_and_drawn_in_the_plot(new_review: Path, tmp_path: Path) -> None:
    # metafor's pooled MD of dat.normand1999 (REML), -15.11 days (95% CI -32.64 to 2.43),
    # crosses an MID of 10 days; the ratios are read against none.
    # No-break spaces (which keep a number with its unit) read as spaces.
    report = (new_review / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    reference = json.loads((REFERENCE / "dat.normand1999__MD.json").read_text())["models_tight"]["REML"]
    assert reference["ci_lb"] < -10 < reference["ci_ub"]
    [line] = [x for x in report.splitlines() if x.startswith("Pooled MD ")]
    assert line.endswith(". The interval crosses the minimal important difference of 10 days (A threshold assumed "
                         "for this test review): it cannot tell whether the effect matters."), line
    assert "Dashed lines at \u221210 and 10 days mark the minimal important difference" in report
    figures = new_review / "results" / "report" / "figures"
    assert len(re.findall(r'<line [^>]*class="mid"/>', (figures / "bcg_vs_none_days.forest.svg").read_text())) == 2
    assert 'class="mid"' not in (figures / "bcg_vs_none_tb.forest.svg").read_text()
    # The plot draws the MID's value, not its source: a new source reruns the report alone,
    # a new value the MD's analysis too, and no study and no ratio's analysis either way.
    root = wf.copy_built(new_review, tmp_path / "repo")
    config_path = root / "config" / "config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["outcomes"]["hospital_days"]["mid"]["source"] = "Another source"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    planned = wf.planned_jobs(root)
    assert wf.job("assemble_report") in planned
    assert not {j for j in planned if j.rule in ("analyse", "study_effects")}, planned
    config["outcomes"]["hospital_days"]["mid"]["value"] = 5
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    planned = wf.planned_jobs(root)
    assert wf.job("assemble_report") in planned
    assert {j for j in planned if j.rule in ("analyse", "study_effects")} == {
        wf.job("analyse", analysis="bcg_vs_none_days")}, planned
