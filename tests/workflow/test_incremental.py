"""Incremental rebuilds: after a change, Snakemake must plan exactly the jobs it affects.

Each test copies the session's built tree (``.snakemake/`` metadata included), makes one
change a user would make, and compares the jobs ``snakemake --dry-run`` plans, rule and
wildcards, with the jobs the change should reach. The expected set is not a hard-coded
count: it is the downstream closure, in a model of the intended job graph built from the
workflow's own plan (:func:`metareview.plan.make_plan`), of the jobs whose own inputs or
params the change touches. The model states the intended granularity (a study's jobs see
only that study; an analysis only its candidate studies; a figure only its analysis), so
a rule that depends on more than it should shows up as extra planned jobs.

Snakemake has no early cutoff: a job that reruns reruns everything downstream of it in
the same invocation, whatever its output turns out to be. The closure models exactly that.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import metareview_workflow_support as wf  # registered by conftest.py
import pytest

job = wf.job

pytestmark = pytest.mark.slow

NEW_STUDY = "Zztesttrial2030"


# --------------------------------------------------------------------------- the model


def upstream_jobs(plan) -> dict:
    """Each job of the intended graph and the jobs whose outputs it reads."""
    study = {s: job("study_effects", study=s) for s in plan.studies}
    analyse = {a: job("analyse", analysis=a) for a in plan.analyses}
    indirect = {x: job("compare_indirect", indirect=x) for x in plan.indirect}
    claims, assemble, render = job("check_claims"), job("assemble_report"), job("render_report")
    publish = job("publish_report")
    # Each step's rule reads the digest of its code (script and library modules), one
    # job per step that has jobs.
    steps = {"study_effects": study, "analyse": analyse, "compare_indirect": indirect}
    code = {step: job("code_digest", step=step) for step, jobs in steps.items() if jobs}
    code |= {j.rule: job("code_digest", step=j.rule) for j in (claims, assemble, render, publish)}
    graph = {c: set() for c in code.values()}
    for s in plan.studies:
        graph[study[s]] = {code["study_effects"]}
    for a in plan.analyses:
        graph[analyse[a]] = {study[s] for s in plan.candidates[a]} | {code["analyse"]}
    for x in plan.indirect:
        graph[indirect[x]] = {analyse[a] for a in plan.indirect_inputs[x]} | {code["compare_indirect"]}
    graph[claims] = set(study.values()) | set(analyse.values()) | {code["check_claims"]}
    graph[assemble] = ({claims} | set(study.values()) | set(analyse.values()) | set(indirect.values())
                       | {code["assemble_report"]})
    graph[render] = {assemble} | set(analyse.values()) | {code["render_report"]}
    # The report in build/report/ is copied from the rendered one, with the key results it shows.
    graph[publish] = {render, assemble, code["publish_report"]}
    graph[job("all")] = {publish}
    return graph


def downstream_closure(graph: dict, seeds: set) -> set:
    """``seeds`` and every job that reads, directly or not, from one of them."""
    unknown = seeds - set(graph)
    assert not unknown, f"seed jobs not in the model: {sorted(map(str, unknown))}"
    reached = set(seeds)
    grew = True
    while grew:
        grew = False
        for j, ups in graph.items():
            if j not in reached and ups & reached:
                reached.add(j)
                grew = True
    return reached


def assert_plan(actual: set, expected: set) -> None:
    extra = sorted(map(str, actual - expected))
    missing = sorted(map(str, expected - actual))
    assert not extra and not missing, (
        f"planned but not expected ({len(extra)}): {extra}\nexpected but not planned ({len(missing)}): {missing}"
    )


def changed_bundles(before, after) -> set[str]:
    return {s for s in after.studies if before.bundles.get(s) != after.bundles[s]}


# --------------------------------------------------------------------------- tests


def test_no_change_plans_no_job(built_copy):
    assert wf.planned_jobs(built_copy) == set()


def test_a_csv_beside_the_tables_plans_no_job_and_is_named(built_copy):
    # Rows typed into a file of another name are in no table: nothing reruns for it, and
    # every start says so.
    (built_copy / "data" / "raw" / "new_trials.csv").write_text("study_id,design\nNew2026,RCT\n")
    assert wf.planned_jobs(built_copy) == set()
    run = wf.run_snakemake(built_copy, "--dry-run")
    assert "Note: data/raw/new_trials.csv: not one of the raw tables" in run.output


def test_touching_every_raw_file_plans_no_job(built_copy):
    raw = sorted((built_copy / "data" / "raw").glob("*.csv"))
    assert raw
    before = wf.digests(built_copy / "data" / "raw")
    latest = max(p.stat().st_mtime for p in built_copy.rglob("*") if p.is_file())
    for path in raw:
        # Later than every output, as `touch` or a fresh checkout would leave them.
        os.utime(path, (latest + 60, latest + 60))
    assert wf.digests(built_copy / "data" / "raw") == before
    assert wf.planned_jobs(built_copy) == set()


def test_a_new_study_reruns_its_jobs_the_analyses_it_enters_and_the_report(built_copy):
    before = wf.load_plan(built_copy)
    target = wf.trial_analysis(wf.load_config(built_copy))
    wf.add_trial(built_copy, NEW_STUDY, "Test trial et al. (2030)", target, means=(3.0, 4.2))
    after = wf.load_plan(built_copy)
    # The change is what it claims to be: one more study, no other study's rows touched,
    # and an effect the library can compute for the target analysis.
    assert set(after.studies) - set(before.studies) == {NEW_STUDY}
    assert changed_bundles(before, after) == {NEW_STUDY}
    assert target["id"] in wf.usable_analyses(built_copy, NEW_STUDY)
    entered = {a for a in after.analyses if NEW_STUDY in after.candidates[a]}
    assert target["id"] in entered
    assert all(after.candidates[a] == before.candidates[a] for a in set(after.analyses) - entered)

    graph = upstream_jobs(after)
    expected = downstream_closure(
        graph, {job("study_effects", study=NEW_STUDY), job("assemble_report")}
    )
    assert {job("check_claims"), job("render_report")} <= expected
    assert {job("analyse", analysis=a) for a in entered} <= expected
    assert_plan(wf.planned_jobs(built_copy), expected)


def _study_to_edit(root: Path, plan) -> tuple[str, dict[str, str]]:
    """A study that contributes an effect to an analysis, and one of its arm values."""
    in_analyses = sorted({s for a in plan.analyses for s in plan.candidates[a]})
    rows = wf.read_rows(root / plan.config["raw_dir"] / "arm_outcomes.csv")
    for study in in_analyses:
        row = next(
            (
                r
                for r in rows
                if r["study_id"] == study and r["mean"] and "\n" not in "".join(r.values())
            ),
            None,
        )
        if row is not None:
            return study, row
    pytest.fail("no study with an arm mean is a candidate for any analysis")


def test_editing_one_study_reruns_its_jobs_its_analyses_and_the_report(built_copy):
    before = wf.load_plan(built_copy)
    study, row = _study_to_edit(built_copy, before)
    raw = built_copy / before.config["raw_dir"] / "arm_outcomes.csv"
    # A corrected transcription: the arm mean read again from the source.
    wf.edit_row(
        raw,
        {
            k: row[k]
            for k in (
                "study_id",
                "arm_id",
                "outcome",
                "instrument",
                "timepoint_weeks",
                "value_type",
                "mean",
            )
        },
        {"mean": f"{float(row['mean']) + 0.5:g}"},
    )
    after = wf.load_plan(built_copy)
    assert changed_bundles(before, after) == {study}
    assert after.candidates == before.candidates

    graph = upstream_jobs(after)
    expected = downstream_closure(
        graph, {job("study_effects", study=study), job("assemble_report")}
    )
    untouched = {job("study_effects", study=s) for s in after.studies if s != study}
    assert not expected & untouched
    assert_plan(wf.planned_jobs(built_copy), expected)


def test_a_methods_change_reruns_pooling_and_what_follows_not_the_per_study_jobs(built_copy):
    config = built_copy / "config" / "config.yaml"
    text = config.read_text(encoding="utf-8")
    current = wf.load_config(built_copy)["methods"]["test"]
    new = "z" if current != "z" else "knha"
    edited, count = re.subn(r"(?m)^(\s+test:\s*)\S+", rf"\g<1>{new}", text, count=1)
    assert count == 1
    config.write_text(edited, encoding="utf-8")
    assert wf.load_config(built_copy)["methods"]["test"] == new

    plan = wf.load_plan(built_copy)
    graph = upstream_jobs(plan)
    pooling = {job("analyse", analysis=a) for a in plan.analyses}
    # assemble_report states the methods, so it reads them too.
    expected = downstream_closure(graph, pooling | {job("assemble_report")})
    assert not any(j.rule == "study_effects" for j in expected)
    assert_plan(wf.planned_jobs(built_copy), expected)


def test_relabelling_a_node_reruns_its_analyses_and_the_report_not_the_studies(built_copy):
    # A label names a node in the text; no study job reads it. With every label in the
    # study jobs' settings and the analyses', relabelling sham reran all 50 studies and all
    # 17 analyses of the example.
    config = built_copy / "config" / "config.yaml"
    cfg = wf.load_config(built_copy)
    node = next(n for n, spec in cfg["nodes"].items() if any(a["comparator"] == n for a in cfg["analyses"]))
    old = cfg["nodes"][node]["label"]
    text = config.read_text(encoding="utf-8")
    assert text.count(f'label: "{old}"') == 1
    config.write_text(text.replace(f'label: "{old}"', 'label: "Relabelled control"'), encoding="utf-8")

    plan = wf.load_plan(built_copy)
    graph = upstream_jobs(plan)
    its_analyses = {job("analyse", analysis=a["id"]) for a in cfg["analyses"] if node in (a["intervention"], a["comparator"])}
    assert its_analyses and len(its_analyses) < len(plan.analyses)
    # assemble_report names every node in the methods, so it reads the labels too.
    expected = downstream_closure(graph, its_analyses | {job("assemble_report")})
    assert not any(j.rule == "study_effects" for j in expected)
    assert_plan(wf.planned_jobs(built_copy), expected)


def test_the_report_layout_keys_rerun_only_the_report_and_reach_its_source(built_copy):
    config = built_copy / "config" / "config.yaml"
    plan = wf.load_plan(built_copy)
    primary = plan.analyses[0]
    text = config.read_text(encoding="utf-8")
    edited, n_limit = re.subn(r"(?m)^(  detail_limit:\s*)\S+", r"\g<1>3", text, count=1)
    edited, n_detailed = re.subn(r"(?m)^(  detailed:\s*)\S.*$", rf"\g<1>[{primary}]", edited, count=1)
    assert n_limit == n_detailed == 1
    config.write_text(edited, encoding="utf-8")
    report = wf.load_config(built_copy)["report"]
    assert (report["detail_limit"], report["detailed"]) == (3, [primary])
    graph = upstream_jobs(wf.load_plan(built_copy))
    assert_plan(wf.planned_jobs(built_copy), downstream_closure(graph, {job("assemble_report")}))
    # The keys reach the report's source: one results table, one section in full.
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    qmd = (built_copy / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    results = qmd[qmd.index("## Results {#sec-results}"):qmd.index("## Published meta-analyses")]
    assert "{#tbl-results}" in results
    assert results.count("\n### ") == 1 and f"{{#sec-{primary.replace('_', '-')}}}" in results


def test_a_declared_abbreviation_reruns_only_the_report_which_defines_it(built_copy):
    config = built_copy / "config" / "config.yaml"
    edited, n = re.subn(r"(?m)^(    DN:\s*)\S.*$", r"\g<1>dry needling of myofascial trigger points",
                        config.read_text(encoding="utf-8"), count=1)
    assert n == 1
    config.write_text(edited, encoding="utf-8")
    assert wf.load_config(built_copy)["report"]["abbreviations"]["DN"] == "dry needling of myofascial trigger points"
    graph = upstream_jobs(wf.load_plan(built_copy))
    assert_plan(wf.planned_jobs(built_copy), downstream_closure(graph, {job("assemble_report")}))
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    qmd = (built_copy / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    assert "; DN, dry needling of myofascial trigger points;" in qmd


def test_a_schema_edit_reruns_the_report_which_reads_the_tables_through_it(built_copy):
    # The build plan reads the tables through the schemas at every start (a study whose
    # cells read differently reruns its own jobs); the report reads them again, so an
    # edit reruns it even when no study's cells changed, as this description's does.
    schema = built_copy / "config" / "schemas" / "raw" / "arms.schema.yaml"
    text = schema.read_text(encoding="utf-8")
    edited = text.replace("description: Study the arm belongs to", "description: The study the arm belongs to")
    assert edited != text
    schema.write_text(edited, encoding="utf-8")
    graph = upstream_jobs(wf.load_plan(built_copy))
    assert_plan(wf.planned_jobs(built_copy), downstream_closure(graph, {job("assemble_report")}))


def test_editing_an_indirect_comparison_reruns_it_and_the_report_which_lists_the_setting(built_copy):
    config = built_copy / "config" / "config.yaml"
    plan = wf.load_plan(built_copy)
    first = plan.config["indirect"][0]
    assert first["measure"] == "SMD"
    text = config.read_text(encoding="utf-8")
    block = re.search(rf"(?m)^(\s*)- id: {re.escape(first['id'])}\n(?:\1  .*\n)*", text)
    assert block is not None
    edited, n = re.subn(r"(?m)^(\s+measure:\s*)SMD$", r"\g<1>MD", block.group(0), count=1)
    assert n == 1
    config.write_text(text[:block.start()] + edited + text[block.end():], encoding="utf-8")
    after = wf.load_plan(built_copy)
    assert after.indirect_spec(first["id"])["measure"] == "MD"
    graph = upstream_jobs(after)
    expected = downstream_closure(graph, {job("compare_indirect", indirect=first["id"]), job("assemble_report")})
    assert_plan(wf.planned_jobs(built_copy), expected)
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    qmd = (built_copy / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    # By what it compares, its id after it.
    line = next((x for x in qmd.splitlines() if f"(`{first['id']}`), its settings:" in x), "")
    assert line.startswith("- Indirect comparison of ") and line.endswith(
        f"(`{first['id']}`), its settings: measure SMD → MD."), qmd


def test_editing_one_analysis_reruns_only_that_analysis_and_the_studies_it_can_take(built_copy):
    config = built_copy / "config" / "config.yaml"
    plan = wf.load_plan(built_copy)
    # An analysis with candidate studies, and studies outside it (else the test proves nothing).
    target = next(a for a in plan.config["analyses"]
                  if plan.candidates[a["id"]] and set(plan.studies) - set(plan.candidates[a["id"]]))
    text = config.read_text(encoding="utf-8")
    # Its add-on-design setting, added or flipped: a key only this analysis reads.
    block = re.search(rf"(?m)^(\s*)- id: {re.escape(target['id'])}\n(?:\1  .*\n)*", text)
    assert block is not None
    new = "add_on" if target.get("designs") == "head_to_head" else "head_to_head"
    body = re.sub(r"(?m)^\s+designs:.*\n", "", block.group(0))
    edited = text[:block.start()] + body + f"{block.group(1)}  designs: {new}\n" + text[block.end():]
    config.write_text(edited, encoding="utf-8")
    after = wf.load_plan(built_copy)
    assert after.analysis(target["id"])["designs"] == new
    assert [a for a in after.config["analyses"] if a["id"] != target["id"]] == [
        a for a in plan.config["analyses"] if a["id"] != target["id"]]

    graph = upstream_jobs(after)
    seeds = {job("study_effects", study=s) for s in after.candidates[target["id"]]}
    seeds |= {job("analyse", analysis=target["id"]), job("assemble_report")}
    expected = downstream_closure(graph, seeds)
    assert not {job("study_effects", study=s) for s in set(after.studies) - set(after.candidates[target["id"]])} & expected
    assert_plan(wf.planned_jobs(built_copy), expected)


def _record_judgements(config: Path, target: str, studies: str, ratings: dict[str, str]) -> None:
    """Write GRADE judgements (``studies`` as YAML, a rating per domain) under an analysis."""
    text = config.read_text(encoding="utf-8")
    block = re.search(rf"(?m)^(\s*)- id: {re.escape(target)}\n(?:\1  .*\n)*", text)
    assert block is not None
    pad = block.group(1) + "  "
    judgements = f"{pad}certainty:\n{pad}  studies: {studies}\n" + "".join(
        f"{pad}  {domain}: {rating}\n" for domain, rating in ratings.items())
    config.write_text(text[:block.end()] + judgements + text[block.end():], encoding="utf-8")


NOT_SERIOUS = "{rating: not_serious}"


def test_grade_judgements_rerun_only_the_report_and_give_the_level(built_copy):
    config = built_copy / "config" / "config.yaml"
    plan = wf.load_plan(built_copy)
    # An analysis with an effect to rate: one that used a study.
    key_results = built_copy / "results" / "report" / "key_results.json"
    analyses = json.loads(key_results.read_text(encoding="utf-8"))["analyses"]
    target = next(aid for aid, e in analyses.items() if e["studies"] and e["status"] in ("pooled", "single_study"))
    studies = analyses[target]["studies"]
    _record_judgements(config, target, f"[{', '.join(studies)}]", {
        **{d: NOT_SERIOUS for d in ("risk_of_bias", "inconsistency", "indirectness", "publication_bias")},
        "imprecision": "{rating: serious, reason: one trial of a few hundred participants}"})
    assert wf.load_plan(built_copy).analysis(target) == plan.analysis(target)
    graph = upstream_jobs(plan)
    assert_plan(wf.planned_jobs(built_copy), downstream_closure(graph, {job("assemble_report")}))
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    keys = json.loads(key_results.read_text(encoding="utf-8"))["analyses"][target]
    assert (keys["certainty"], keys["certainty_status"]) == ("moderate", "graded")
    qmd = (built_copy / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    assert "{#tbl-certainty}" in qmd and "moderate (rated down for imprecision)" in qmd
    # What changed names the analysis by its title, then its id.
    assert (f"(`{target}`): **certainty changed**: not rated (no GRADE judgements recorded) → moderate (rated down "
            "for imprecision).") in qmd


def test_judgements_recorded_with_fingerprints_go_out_of_date_when_the_data_change(built_copy):
    plan = wf.load_plan(built_copy)
    key_results = built_copy / "results" / "report" / "key_results.json"
    analyses = json.loads(key_results.read_text(encoding="utf-8"))["analyses"]
    # An analysis with an effect, and an arm mean it takes (refs: arm_outcomes.csv:<study>#<n>).
    arm_rows = wf.read_rows(built_copy / plan.config["raw_dir"] / "arm_outcomes.csv")
    found = None
    for aid, e in analyses.items():
        if e["status"] not in ("pooled", "single_study"):
            continue
        result = json.loads((built_copy / "results" / "analyses" / f"{aid}.json").read_text(encoding="utf-8"))
        for s in result["studies"]:
            for ref in s["refs"]:
                m = re.fullmatch(r"arm_outcomes\.csv:(.+)#(\d+)", ref)
                rows = [r for r in arm_rows if m and r["study_id"] == m.group(1)]
                if m and rows[int(m.group(2)) - 1]["mean"]:
                    found = found or (aid, s["study_id"], rows[int(m.group(2)) - 1])
    assert found is not None, "no analysis takes an arm mean"
    target, study, row = found
    codes = analyses[target]["fingerprints"]
    assert sorted(codes) == analyses[target]["studies"]
    config = built_copy / "config" / "config.yaml"
    _record_judgements(config, target, "{" + ", ".join(f"{s}: {c}" for s, c in codes.items()) + "}",
                       {d: NOT_SERIOUS for d in ("risk_of_bias", "inconsistency", "indirectness", "imprecision",
                                                 "publication_bias")})
    qmd = built_copy / "results" / "report" / "report.qmd"
    # A complete build: the next one's "What changed" compares with this one.
    run = wf.run_snakemake(built_copy)
    assert run.returncode == 0, run.output
    keys = json.loads(key_results.read_text(encoding="utf-8"))["analyses"][target]
    assert (keys["certainty"], keys["certainty_status"]) == ("high", "graded")
    # The arm mean read again from the source: the judgements were made on other data.
    wf.edit_row(built_copy / plan.config["raw_dir"] / "arm_outcomes.csv",
                {k: row[k] for k in ("study_id", "arm_id", "outcome", "instrument", "timepoint_weeks",
                                     "value_type", "mean")},
                {"mean": f"{float(row['mean']) + 0.5:g}"})
    run = wf.run_snakemake(built_copy, str(qmd.relative_to(built_copy)))
    assert run.returncode == 0, run.output
    keys = json.loads(key_results.read_text(encoding="utf-8"))["analyses"][target]
    assert (keys["certainty"], keys["certainty_status"]) == (None, "out_of_date")
    assert keys["fingerprints"][study] != codes[study]
    assert {s: c for s, c in keys["fingerprints"].items() if s != study} == {
        s: c for s, c in codes.items() if s != study}
    assert re.search(rf"\(`{target}`\): .*\*\*certainty changed\*\*: high → not rated \(the data of .+ do not match "
                     r"the fingerprint recorded with the judgements: their data changed, or the code was mistyped\)\.",
                     qmd.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("module", "rules"),
    [
        # The forest plots (drawn by each analysis's job), and the report that shows them
        # (it embeds a plot only when the plot draws a result, plots.shows_results).
        ("plots", {"analyse", "assemble_report"}),
        # The report's assembly: any module of its package (the top one, one in the
        # middle, the bottom one that all the others import).
        ("report/build", {"assemble_report"}),
        ("report/summary", {"assemble_report"}),
        ("report/base", {"assemble_report"}),
        # Only assemble_report reads raw tables through it while running. The per-study
        # jobs receive their rows already parsed at parse time with the current rawdata
        # code, and their digest is a param: a change in how rows are parsed reaches them
        # (and only the studies whose rows come out differently) through that param.
        ("rawdata", {"assemble_report"}),
        # Derives SDs from CIs and p-values while computing each study's effects.
        ("conversions", {"study_effects"}),
        # How numbers and apostrophes print: in the report, in the claims' reasons it
        # shows, in the forest plots (drawn by each analysis's job), and in the consistency
        # warnings on a study's raw cells (each study's job), and how the indirect
        # comparisons name their comparators mid-sentence.
        ("fmt", {"study_effects", "analyse", "compare_indirect", "check_claims", "assemble_report"}),
    ],
)
def test_a_library_change_reruns_only_the_rules_that_import_it(built_copy, module, rules):
    path = built_copy / "src" / "metareview" / f"{module}.py"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n# A comment: the module's bytes change, its behaviour does not.\n")
    plan = wf.load_plan(built_copy)
    graph = upstream_jobs(plan)
    # The digest of each step's code changes, and with it every job of the step.
    expected = downstream_closure(graph, {job("code_digest", step=r) for r in rules})
    assert {j.rule for j in expected} >= rules
    assert_plan(wf.planned_jobs(built_copy), expected)


def test_png_figures_are_made_on_request_and_rerun_only_for_their_resolution(built_copy):
    plan = wf.load_plan(built_copy)
    pngs = {job("forest_png", analysis=a) for a in plan.analyses}
    # `make report` makes none: the report embeds the SVGs.
    assert not list((built_copy / "results" / "report" / "figures").glob("*.png"))
    assert_plan(wf.planned_jobs(built_copy, "figures"), pngs | {job("code_digest", step="forest_png"), job("figures")})
    run = wf.run_snakemake(built_copy, "figures")
    assert run.returncode == 0, run.output
    for a in plan.analyses:
        png = built_copy / "results" / "report" / "figures" / f"{a}.forest.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
    # The PNGs are no input of the report, and nothing is left to make.
    assert wf.planned_jobs(built_copy) == set()
    assert wf.planned_jobs(built_copy, "all", "figures") == set()
    # One deleted is made again by a plain build.
    figures = sorted((built_copy / "results" / "report" / "figures").glob("*.png"))
    figures[0].unlink()
    deleted = figures[0].name.removesuffix(".forest.png")
    assert_plan(wf.planned_jobs(built_copy), {job("forest_png", analysis=deleted), job("all")})
    # Their resolution is read by their jobs, and by the report, whose provenance lists
    # the config file's SHA-256 and whose "What changed" lists the edited setting.
    config = built_copy / "config" / "config.yaml"
    edited, n = re.subn(r"(?m)^(  png_dpi:\s*)\S+", r"\g<1>100", config.read_text(encoding="utf-8"), count=1)
    assert n == 1
    config.write_text(edited, encoding="utf-8")
    report = downstream_closure(upstream_jobs(plan), {job("assemble_report")})
    assert_plan(wf.planned_jobs(built_copy, "all", "figures"), pngs | {job("figures")} | report)
    # Once made, they are kept in step by every build, not left showing superseded numbers.
    assert_plan(wf.planned_jobs(built_copy), pngs | report)
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    qmd = (built_copy / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    assert "- The PNG figures’ resolution, in dots per inch (`report.png_dpi`): 150 → 100.\n" in qmd
    report = downstream_closure(upstream_jobs(plan), {job("render_report")})  # what is left of the report
    # All deleted, they are no longer made.
    for png in figures[1:]:
        png.unlink()
    assert_plan(wf.planned_jobs(built_copy), report)
    # Their code's digest, left behind, is kept in step; deleted, it is not made again.
    digest = built_copy / "results" / "code" / "forest_png.sha256"
    with (built_copy / "scripts" / "forest_png.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# A comment: the script's bytes change.\n")
    assert_plan(wf.planned_jobs(built_copy), report | {job("code_digest", step="forest_png")})
    digest.unlink()
    assert_plan(wf.planned_jobs(built_copy), report)


def test_a_deleted_output_is_made_again_with_what_depends_on_it(built_copy):
    plan = wf.load_plan(built_copy)
    graph = upstream_jobs(plan)
    first, second = plan.analyses[:2]
    study = plan.studies[0]
    # Files nothing reads, and files read by jobs whose own outputs are still there:
    # Snakemake would remake neither had rule all not named them.
    for rel in (f"results/analyses/{first}.effects.csv", f"results/report/figures/{second}.forest.svg",
                f"results/normalised/{study}.json", "results/report/audit.csv"):
        (built_copy / rel).unlink()
    seeds = {job("analyse", analysis=first), job("analyse", analysis=second), job("study_effects", study=study),
             job("assemble_report")}
    assert_plan(wf.planned_jobs(built_copy), downstream_closure(graph, seeds))


def test_touching_the_library_plans_no_job(built_copy):
    latest = max(p.stat().st_mtime for p in built_copy.rglob("*") if p.is_file())
    for path in [*(built_copy / "src" / "metareview").rglob("*.py"), *(built_copy / "scripts").glob("*.py")]:
        os.utime(path, (latest + 60, latest + 60))
    assert wf.planned_jobs(built_copy) == set()


def test_outputs_of_an_analysis_taken_out_of_the_config_are_removed(built_copy):
    plan = wf.load_plan(built_copy)
    gone = next(a for a in plan.analyses
                if (built_copy / "results" / "report" / "figures" / f"{a}.forest.svg").exists())
    files = [built_copy / f for f in (f"results/analyses/{gone}.json", f"results/analyses/{gone}.effects.csv",
                                      f"results/report/figures/{gone}.forest.svg", f"logs/analyse/{gone}.log")]
    assert all(f.exists() for f in files)
    kept = sorted(p for p in (built_copy / "results").rglob("*") if p.is_file() and gone not in p.name)
    config = built_copy / "config" / "config.yaml"
    text = config.read_text(encoding="utf-8")
    block = re.search(rf"(?m)^(\s*)- id: {re.escape(gone)}\n(?:\1  .*\n)*", text)
    assert block is not None
    # Indirect comparisons name analyses by treatments, not ids: they stand without it.
    config.write_text(text[:block.start()] + text[block.end():], encoding="utf-8")
    # A dry run, with the report's jobs to plan, removes nothing, and says what the build
    # would remove.
    dry = wf.run_snakemake(built_copy, "-n")
    assert dry.returncode == 0 and "assemble_report" in dry.output, dry.output
    assert all(f.exists() for f in files)
    told = re.search(r"Would remove (\d+) outputs of studies, analyses or comparisons the review no longer "
                     r"has: (.*)", dry.output)
    assert told is not None, dry.output
    assert told.group(1) == "4" and all(f.relative_to(built_copy).as_posix() in told.group(2) for f in files)
    run = wf.run_snakemake(built_copy)
    assert run.returncode == 0, run.output
    assert not any(f.exists() for f in files)
    assert "Removed 4 outputs of studies, analyses or comparisons the review no longer has: " in run.output
    # Everything else is still there (the report and its history rewritten, not removed).
    assert all(p.exists() for p in kept)


def test_another_version_of_a_package_the_results_depend_on_reruns_the_steps(built_copy):
    # As if the build had been made with another numpy: the params Snakemake recorded
    # for the digest of the analyses' code name other versions.
    import base64

    plan = wf.load_plan(built_copy)
    meta = built_copy / ".snakemake" / "metadata" / base64.b64encode(b"results/code/analyse.sha256").decode()
    record = json.loads(meta.read_text(encoding="utf-8"))
    assert any("numpy-" in p for p in record["params"]), record["params"]
    record["params"] = [repr("numpy-1.0.0 scipy-1.0.0")]
    meta.write_text(json.dumps(record), encoding="utf-8")
    graph = upstream_jobs(plan)
    assert_plan(wf.planned_jobs(built_copy), downstream_closure(graph, {job("code_digest", step="analyse")}))


def test_a_refused_edit_says_the_report_on_disk_is_the_last_builds(built_copy):
    # A negative SD: validation stops the build, and the report in build/report/ is not
    # of the data as they now are.
    import csv

    arm_outcomes = built_copy / "data" / "raw" / "arm_outcomes.csv"
    with arm_outcomes.open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    row = next(r for r in rows if r[header.index("sd")])
    row[header.index("sd")] = "-1"
    with arm_outcomes.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])
    run = wf.run_snakemake(built_copy)
    assert run.returncode != 0
    assert run.stderr.rstrip().endswith("The report in build/report/ is still the last complete build's, not "
                                        "one made from this run's inputs."), run.stderr[-2000:]
