"""A review that is not the example, started as the README's "Starting another review"
says: a copy of the repository with the study tables emptied, the new review's treatment
and instrument codes added, its outcome codes added to the raw schemas, and a config of
its own. Its trials are two of metafor's datasets, read as trials of BCG vaccine against
no vaccine: dat.bcg's 2x2 tables (tuberculosis, risk ratios) and dat.normand1999's means
(days in hospital, mean differences), so that its pooled results can be compared with
metafor's own (tests/reference/metafor/), and its report read for anything of the
example's. Beside them, trials in the reporting forms the example never uses, each pooled
against R (tests/reference/metafor_new_review/, make_new_review_fixtures.R): 2x2 tables with
zero cells, of isoniazid against no vaccine, which with BCG's trials anchor an indirect
comparison of the two through no vaccine (Bucher); and days off work reported as medians
with quartiles or ranges, or as means with an SE or a CI instead of an SD.
"""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path
from statistics import NormalDist

import metareview_workflow_support as wf  # registered by conftest.py
import pytest
import yaml

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "tests" / "reference" / "metafor"
NEW_REFERENCE = REPO / "tests" / "reference" / "metafor_new_review"
STUDY_TABLES = ("studies", "arms", "arm_outcomes", "contrasts", "statements", "claims", "risk_of_bias", "sources")
OUTCOME_SCHEMAS = ("instruments", "arm_outcomes", "contrasts", "statements", "claims")
# Analyses of k >= 3 fitted in R to convergence, with their prediction intervals, Q-profile
# intervals and leave-one-out refits.
FITTED = {"bcg_vs_none_tb": "bcg_RR", "isoniazid_vs_none_tb": "zero_cells_RR",
          "isoniazid_vs_none_tb_or": "zero_cells_OR", "isoniazid_vs_none_tb_rd": "zero_cells_RD",
          "bcg_vs_none_work": "converted_MD"}
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
        "isoniazid": {"label": "Isoniazid", "treatments": ["isoniazid"]},
    },
    "outcomes": {
        "tuberculosis": {"label": "Tuberculosis", "type": "binary"},
        # Measured in days, not on a scale: no range, and its mean differences in days;
        # with a minimal important difference, which the example sets for no outcome.
        "hospital_days": {"label": "Days in hospital", "unit": "days",
                          "mid": {"value": 10, "source": "A threshold assumed for this test review"}},
        "days_off_work": {"label": "Days off work", "unit": "days"},
    },
    "windows": {"follow_up": {"label": "Follow-up", "target_weeks": 52, "min_weeks": 0, "max_weeks": 520}},
    "analyses": [
        {"id": "bcg_vs_none_tb", "intervention": "bcg", "comparator": "none", "outcome": "tuberculosis",
         "window": "follow_up", "measure": "RR", "events": "harmful"},
        {"id": "bcg_vs_none_tb_or", "intervention": "bcg", "comparator": "none", "outcome": "tuberculosis",
         "window": "follow_up", "measure": "OR", "events": "harmful"},
        {"id": "bcg_vs_none_days", "intervention": "bcg", "comparator": "none", "outcome": "hospital_days",
         "window": "follow_up", "measure": "MD"},
        {"id": "isoniazid_vs_none_tb", "intervention": "isoniazid", "comparator": "none", "outcome": "tuberculosis",
         "window": "follow_up", "measure": "RR", "events": "harmful"},
        {"id": "isoniazid_vs_none_tb_or", "intervention": "isoniazid", "comparator": "none",
         "outcome": "tuberculosis", "window": "follow_up", "measure": "OR", "events": "harmful"},
        {"id": "isoniazid_vs_none_tb_rd", "intervention": "isoniazid", "comparator": "none",
         "outcome": "tuberculosis", "window": "follow_up", "measure": "RD", "events": "harmful"},
        {"id": "bcg_vs_none_work", "intervention": "bcg", "comparator": "none", "outcome": "days_off_work",
         "window": "follow_up", "measure": "MD"},
    ],
    "indirect": [
        {"id": "bcg_vs_isoniazid_tb_indirect", "treatment_a": "bcg", "treatment_b": "isoniazid",
         "outcome": "tuberculosis", "window": "follow_up", "measure": "RR"},
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
                                     "hospital_days, days_off_work]"), encoding="utf-8")
    # 2. The review's definition.
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(CONFIG, sort_keys=False), encoding="utf-8")
    # 3. Its codes, documents, studies, arms and results.
    _append(raw / "treatments.csv", [
        {"treatment": "bcg_vaccine", "label": "BCG vaccine", "role": "active"},
        {"treatment": "no_vaccine", "label": "No vaccine", "role": "control"},
        {"treatment": "isoniazid", "label": "Isoniazid", "role": "active"},
    ])
    _append(raw / "instruments.csv", [
        {"instrument": "tb_cases", "label": "Tuberculosis cases", "outcome": "tuberculosis", "lower_is_better": "true"},
        # A bound no stay reaches, 0 to 365, kept beside the unit: the stays of several trials
        # lie in its bottom tenth, which on a scale would read as values on a smaller one.
        {"instrument": "days", "label": "Days in hospital", "outcome": "hospital_days", "scale_min": 0,
         "scale_max": 365, "unit": "days", "lower_is_better": "true"},
        {"instrument": "work_days", "label": "Days off work in the year", "outcome": "days_off_work", "scale_min": 0,
         "scale_max": 365, "unit": "days", "lower_is_better": "true"},
    ])
    _append(raw / "sources.csv", [
        {"source_id": "colditz1994", "kind": "systematic_review", "citation": "Colditz et al. (1994)"},
        {"source_id": "normand1999", "kind": "other", "citation": "Normand (1999)"},
        {"source_id": "constructed", "kind": "other", "citation": "Trials constructed for this test review"},
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
    # 2x2 tables with zero cells, one with no event in either arm and one with every
    # participant an event.
    zero = json.loads((NEW_REFERENCE / "zero_cells_RR.json").read_text(encoding="utf-8"))["input"]
    for i, label in enumerate(zero["study"]):
        sid = _study_id("INH", label)
        events = {"inh": zero["ai"][i], "ctl": zero["ci"][i]}
        sizes = {"inh": zero["ai"][i] + zero["bi"][i], "ctl": zero["ci"][i] + zero["di"][i]}
        quote = f"{events['inh']} of {sizes['inh']} given isoniazid and {events['ctl']} of {sizes['ctl']} untreated"
        studies.append({"study_id": sid, "label": f"Trial {label}", "design": "rct", "source_level": "primary",
                        "source_id": "constructed", "identity_confidence": "high"})
        for arm, code in (("inh", "isoniazid"), ("ctl", "no_vaccine")):
            arms.append({"study_id": sid, "arm_id": arm, "treatment": code, "n_randomised": sizes[arm]})
            results.append({"study_id": sid, "arm_id": arm, "outcome": "tuberculosis", "instrument": "tb_cases",
                            "timepoint_weeks": 52, "value_type": "events", "n": sizes[arm],
                            "events": events[arm], "quote": quote, "confidence": "high"})
    # Days off work as medians with quartiles, ranges or five numbers, or as means with an
    # SE or a CI of the mean, each cell as the fixture gives it (empty: not reported).
    work = json.loads((NEW_REFERENCE / "converted_MD.json").read_text(encoding="utf-8"))["input"]
    cells = ("n", "mean", "sd", "se", "ci_lb", "ci_ub", "ci_level", "median", "q1", "q3", "min", "max")
    for i, label in enumerate(work["study"]):
        sid, arm = _study_id("WRK", label), work["arm"][i]
        if arm == "vac":
            studies.append({"study_id": sid, "label": label, "design": "rct", "source_level": "primary",
                            "source_id": "constructed", "identity_confidence": "high"})
        arms.append({"study_id": sid, "arm_id": arm, "treatment": "bcg_vaccine" if arm == "vac" else "no_vaccine",
                     "n_randomised": work["n"][i]})
        reported = {c: work[c][i] for c in cells if work[c][i] is not None}
        results.append({"study_id": sid, "arm_id": arm, "outcome": "days_off_work", "instrument": "work_days",
                        "timepoint_weeks": 52, "value_type": "final", **reported,
                        "quote": ", ".join(f"{c} {v:g}" for c, v in reported.items()), "confidence": "high"})
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
    # Nothing of the example's treatments, condition, seed source or its conversions.
    # The summary's caveat on trials against an unblinded control names a sham as what would
    # separate expectation from the treatment's effect: a word of any review's, not the example's.
    text = report.lower().replace("which only a sham comparison separates", "")
    for word in ("needling", "acupuncture", "back pain", "sham", "blog", "seed", "the post", "6 months"):
        assert word not in text, word
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
    # (The analyses' headings, with their anchors: the indirect comparison's has none.)
    headings = [line.split(" {#")[0] for line in report.splitlines()
                if line.startswith("### BCG vaccine vs") and " {#sec-" in line]
    assert headings == ["### BCG vaccine vs No vaccine: tuberculosis, follow-up, RR",
                        "### BCG vaccine vs No vaccine: tuberculosis, follow-up, OR",
                        "### BCG vaccine vs No vaccine: days in hospital, follow-up",
                        "### BCG vaccine vs No vaccine: days off work, follow-up"], headings


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
    # Days off work, the other MD, has no MID.
    [line] = [x for x in report.splitlines() if x.startswith("Pooled MD ") and "minimal important" in x]
    assert (". The interval crosses the minimal important difference of 10 days (A threshold assumed for this test "
            "review): it cannot tell whether the effect matters.") in line, line
    assert "Dashed lines at \u221210 and 10 days mark the minimal important difference" in report
    figures = new_review / "results" / "report" / "figures"
    assert len(re.findall(r'<line [^>]*class="mid"/>', (figures / "bcg_vs_none_days.forest.svg").read_text())) == 2
    for other in ("bcg_vs_none_tb", "bcg_vs_none_work"):
        assert 'class="mid"' not in (figures / f"{other}.forest.svg").read_text(), other
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


# --------------------------------------------------------------------------- reporting forms
# The trials whose numbers the example's data never give in their form: each analysis is
# checked against R's fit of the same trials (make_new_review_fixtures.R).


def _fixture(name: str) -> dict:
    return json.loads((NEW_REFERENCE / f"{name}.json").read_text(encoding="utf-8"))


def _analysis(root: Path, analysis: str) -> dict:
    return json.loads((root / "results" / "analyses" / f"{analysis}.json").read_text(encoding="utf-8"))


def _fixture_ids(analysis: str) -> list[str]:
    """The study ids of an analysis's trials, in the order of its fixture's rows."""
    if analysis == "bcg_vs_none_tb":
        slab = json.loads((REFERENCE / "dat.bcg__RR.json").read_text(encoding="utf-8"))["slab"]
        return [_study_id("BCG", label) for label in slab]
    if analysis.startswith("isoniazid_vs_none_tb"):
        return [_study_id("INH", label) for label in _fixture("zero_cells_RR")["input"]["study"]]
    return [_study_id("WRK", label) for label in _fixture("converted_MD")["slab"]]


def _close(ours: float, theirs: float, what: str) -> None:
    assert ours == pytest.approx(theirs, rel=1e-6, abs=1e-6), what


@pytest.mark.parametrize("analysis", sorted(FITTED))
def test_a_new_review_s_analyses_of_three_or_more_trials_give_metafor_s_intervals_and_refits(
        new_review: Path, analysis: str) -> None:
    pooled = _analysis(new_review, analysis)["pooled"]
    model = _fixture(FITTED[analysis])["model"]
    assert pooled["k"] == model["k"] >= 3 and (pooled["method"], pooled["test"]) == ("REML", "z")
    for key in ("estimate", "se", "ci_lb", "ci_ub", "tau2", "I2", "QE", "pi_lb", "pi_ub"):
        _close(pooled[key], model[key], key)
    # The Q-profile intervals of tau^2, I^2 and H^2 (metafor's confint).
    for ours, theirs in (("tau2_ci_lb", "tau2_lb"), ("tau2_ci_ub", "tau2_ub"), ("I2_ci_lb", "I2_lb"),
                         ("I2_ci_ub", "I2_ub"), ("H2_ci_lb", "H2_lb"), ("H2_ci_ub", "H2_ub")):
        _close(pooled[ours], model["confint"][theirs], ours)
    # Each study left out in turn (metafor's leave1out), matched by study.
    refits = {r["study_id"]: r for r in pooled["leave1out"]}
    ids = _fixture_ids(analysis)
    assert sorted(refits) == sorted(ids)
    for key in ("estimate", "se", "ci_lb", "ci_ub", "pval"):
        for i, sid in enumerate(ids):
            _close(refits[sid][key], model["leave1out"][key][i], f"{sid} {key}")


@pytest.mark.parametrize("analysis", ["isoniazid_vs_none_tb", "isoniazid_vs_none_tb_or", "isoniazid_vs_none_tb_rd"])
def test_a_new_review_s_zero_cells_are_corrected_as_metafor_corrects_them(new_review: Path, analysis: str) -> None:
    fixture = _fixture(FITTED[analysis])
    studies = {s["study_id"]: s for s in _analysis(new_review, analysis)["studies"]}
    ids = _fixture_ids("isoniazid_vs_none_tb")
    # Every table is kept, the one without events and the one of events alone too (drop00 = FALSE).
    assert sorted(studies) == sorted(ids)
    assert any(fixture["any_zero_cell"]) and not all(fixture["any_zero_cell"])
    for i, sid in enumerate(ids):
        _close(studies[sid]["yi"], fixture["yi"][i], f"{sid} yi")
        _close(studies[sid]["vi"], fixture["vi"][i], f"{sid} vi")
        corrected = any(f.startswith("zero cell: 1/2 added") for f in studies[sid]["flags"])
        assert corrected == fixture["any_zero_cell"][i], sid
        # A table of events alone weighs much as a risk ratio (its log's variance nears 0),
        # unlike one without events: its flag says so.
        every = fixture["input"]["bi"][i] == fixture["input"]["di"][i] == 0
        flag = "events in every participant of both arms" + (": a risk ratio near 1 with a narrow"
                                                             if analysis == "isoniazid_vs_none_tb" else "")
        assert any(f.startswith(flag) for f in studies[sid]["flags"]) == every, sid
        # Each table with a cell below 5 has Fisher's exact test beside its Wald interval.
        cells = [fixture["input"][c][i] for c in ("ai", "bi", "ci", "di")]
        assert (studies[sid].get("exact_p") is not None) == (min(cells) < 5), sid
    assert any(fixture["input"]["bi"][i] == fixture["input"]["di"][i] == 0 for i in range(len(ids)))


def _converted_arm(row: dict) -> tuple[float, float]:
    """An arm's mean and SD as the library's conversion functions give them from its
    reported numbers."""
    from metareview.conversions import mean_sd_from_quantiles, sd_from_ci_mean, sd_from_se

    if row["median"] is not None:
        converted = mean_sd_from_quantiles(row, row["n"])
        assert converted is not None, row
        return converted[0], converted[1]
    if row["se"] is not None:
        return row["mean"], float(sd_from_se([row["se"]], [row["n"]])[0])
    if row["ci_lb"] is not None:
        est = sd_from_ci_mean([row["ci_lb"]], [row["ci_ub"]], [row["n"]], level=row["ci_level"] or 95.0)
        return row["mean"], float(est.sd[0])
    return row["mean"], row["sd"]


def test_a_new_review_s_medians_ses_and_cis_become_means_and_sds_as_the_library_converts_them(
        new_review: Path) -> None:
    fixture = _fixture("converted_MD")
    data = fixture["input"]
    rows = [{c: data[c][i] for c in data} for i in range(len(data["study"]))]
    arms: dict[str, dict[str, tuple[float, float, float]]] = {}
    for i, row in enumerate(rows):
        mean, sd = _converted_arm(row)
        # The library's conversions and the published formulas, written out in R, agree.
        assert (mean, sd) == pytest.approx((fixture["arms"]["mean"][i], fixture["arms"]["sd"][i]), rel=1e-12), row
        arms.setdefault(_study_id("WRK", row["study"]), {})[row["arm"]] = (mean, sd, row["n"])
    forms = {_study_id("WRK", s): set() for s in data["study"]}
    for row, form in zip(rows, fixture["arms"]["form"]):
        forms[_study_id("WRK", row["study"])].add(form)
    assert {f for fs in forms.values() for f in fs} == {
        "five-number summary", "median and quartiles", "median and range", "SE of the mean", "CI of the mean",
        "mean and SD"}
    studies = {s["study_id"]: s for s in _analysis(new_review, "bcg_vs_none_work")["studies"]}
    assert sorted(studies) == sorted(arms)
    for i, sid in enumerate(_fixture_ids("bcg_vs_none_work")):
        (m1, sd1, n1), (m2, sd2, n2) = arms[sid]["vac"], arms[sid]["ctl"]
        study = studies[sid]
        assert study["yi"] == pytest.approx(m1 - m2, rel=1e-9), sid
        assert study["vi"] == pytest.approx(sd1**2 / n1 + sd2**2 / n2, rel=1e-9), sid
        _close(study["yi"], fixture["yi"][i], f"{sid} yi")
        _close(study["vi"], fixture["vi"][i], f"{sid} vi")
        from_median = bool(forms[sid] & {"five-number summary", "median and quartiles", "median and range"})
        assert study["form"].startswith("arm-level medians") == from_median, sid
        assert any(f.startswith("mean and SD estimated from a median") for f in study["flags"]) == from_median, sid
        derived = bool(forms[sid] & {"SE of the mean", "CI of the mean"})
        assert any("SD from SE" in x or "SD = sqrt(n) x (upper - lower)" in x for x in study["steps"]) == derived, sid


def test_a_new_review_s_indirect_comparison_is_bucher_s_on_its_two_sides(new_review: Path) -> None:
    result = json.loads((new_review / "results" / "indirect" / "bcg_vs_isoniazid_tb_indirect.json").read_text())
    assert result["status"] == "anchored"
    [entry] = result["anchored"]
    assert entry["comparator"] == "none"
    assert sorted(entry["a_vs_c"]["study_ids"]) == sorted(_fixture_ids("bcg_vs_none_tb"))
    assert sorted(entry["b_vs_c"]["study_ids"]) == sorted(_fixture_ids("isoniazid_vs_none_tb"))
    # Bucher et al. (1997) on R's two pooled log risk ratios: their difference, with the sum
    # of their variances.
    bcg, isoniazid = _fixture("bcg_RR")["model"], _fixture("zero_cells_RR")["model"]
    estimate = bcg["estimate"] - isoniazid["estimate"]
    se = math.hypot(bcg["se"], isoniazid["se"])
    z = NormalDist().inv_cdf(0.975)
    for key, value in (("estimate", estimate), ("se", se), ("ci_lb", estimate - z * se),
                       ("ci_ub", estimate + z * se), ("estimate_exp", math.exp(estimate))):
        _close(entry[key], value, key)
    report = (new_review / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "The review defines no indirect comparison" not in report
    assert "Indirect comparison of BCG vaccine and isoniazid" in report


def _used_by(report: str, before: str) -> set[str]:
    """The studies a methods clause "... used by: A, B and C" names, after ``before``."""
    [names] = re.findall(re.escape(before) + r"used by: ([^)]*)\)", report)
    return set(re.split(r", | and ", names))


def test_a_new_review_s_methods_name_the_studies_each_conversion_made(new_review: Path) -> None:
    report = (new_review / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "used by: none in this review" not in report
    work = _fixture("converted_MD")
    forms: dict[str, set[str]] = {}
    for study, form in zip(work["input"]["study"], work["arms"]["form"]):
        forms.setdefault(study, set()).add(form)
    zero = _fixture("zero_cells_RR")["input"]
    assert _used_by(report, "each such effect is flagged (") == {
        s for s, f in forms.items() if f & {"five-number summary", "median and quartiles", "median and range"}}
    assert _used_by(report, "Cochrane Handbook 6.5.2.2; ") == {
        s for s, f in forms.items() if f & {"SE of the mean", "CI of the mean"}}
    assert _used_by(report, "with a zero cell; ") == {
        f"Trial {s}" for s, z in zip(zero["study"], _fixture("zero_cells_RR")["any_zero_cell"]) if z}
