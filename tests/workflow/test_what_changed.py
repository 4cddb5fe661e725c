"""What changed since the last build, as a rebuild of an edited copy of the example says it.

The diff itself is tested on hand-made key results (tests/unit/test_report.py); here the
key results come from the workflow, so that what the tables hold after an edit (every id
cell, the studies' jobs, the warnings' keys) is what the diff is given.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
from pathlib import Path

import metareview_workflow_support as wf  # registered by conftest.py
import pytest

from metareview.markdown import escape

pytestmark = pytest.mark.slow

#: The columns that hold a study's id, in any table.
ID_COLUMNS = ("study_id", "attributed_study_id")


def _records(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _one_line_rows(raw: Path, sid: str) -> bool:
    """Whether every row that names ``sid`` in an id column is one line of its file."""
    for path in raw.glob("*.csv"):
        header, *rows = _records(path)
        columns = [i for i, c in enumerate(header) if c in ID_COLUMNS]

        def names(fields: list[str], header: list[str] = header, columns: list[int] = columns) -> bool:
            return len(fields) == len(header) and any(fields[i] == sid for i in columns)

        lines = path.read_text(encoding="utf-8").splitlines()[1:]
        if sum(map(names, rows)) != sum(names(next(csv.reader([line]), [])) for line in lines):
            return False
    return True


def move_ids(raw: Path, to: dict[str, str]) -> None:
    """Give each study of ``to`` its new id (old id to new id) in every id cell of every
    table, all at once, and change nothing else: lines and their order kept, each edited
    line written as wf.edit_row writes one."""
    for path in sorted(raw.glob("*.csv")):
        header = wf.csv_header(path)
        columns = [i for i, c in enumerate(header) if c in ID_COLUMNS]
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for n, line in enumerate(lines[1:], start=1):
            fields = next(csv.reader([line.rstrip("\r\n")]), [])
            if len(fields) == len(header) and any(fields[i] in to for i in columns):
                for i in columns:
                    fields[i] = to.get(fields[i], fields[i])
                lines[n] = wf.csv_line(fields) + line[len(line.rstrip("\r\n")):]
        path.write_text("".join(lines), encoding="utf-8", newline="")


def swap_ids(raw: Path, a: str, b: str) -> None:
    """Give study ``a``'s rows ``b``'s id and ``b``'s rows ``a``'s (:func:`move_ids`)."""
    move_ids(raw, {a: b, b: a})


def _paths(built: Path) -> tuple[Path, Path]:
    """A built copy's folder of raw tables, and its key results."""
    return built / wf.load_plan(built).config["raw_dir"], built / "results" / "report" / "key_results.json"


def trials_to_move(built: Path, before: dict) -> list[str]:
    """Randomised trials that analyses take (their effects then move between the ids),
    not named in the config (its judgements name studies by id), each of whose rows is
    one line of its table, by id."""
    raw, _ = _paths(built)
    config = (built / "config" / "config.yaml").read_text(encoding="utf-8")
    rcts = {r["study_id"] for r in wf.read_rows(raw / "studies.csv") if r["design"] == "rct"}
    return [s for s in sorted({s for e in before["analyses"].values() for s in e["studies"]} & rcts)
            if s not in config and _one_line_rows(raw, s)]


def test_two_studies_that_swap_ids_read_as_one_line_with_nothing_else_changed(built_copy):
    raw, key_results = _paths(built_copy)
    before = json.loads(key_results.read_text(encoding="utf-8"))
    trials = trials_to_move(built_copy, before)
    assert len(trials) >= 2, "fewer than two trials to swap"
    a, b = trials[:2]
    labels = before["study_labels"]
    assert labels[a] != labels[b]
    rows_before = {path.name: _records(path) for path in raw.glob("*.csv")}
    swap_ids(raw, a, b)
    # Each study's rows, and nothing else, now under the other's id.
    for path in raw.glob("*.csv"):
        header, *was = rows_before[path.name]
        columns = [i for i, c in enumerate(header) if c in ID_COLUMNS]
        assert _records(path)[1:] == [[{a: b, b: a}.get(v, v) if i in columns else v for i, v in enumerate(r)]
                                      for r in was]
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    now = json.loads(key_results.read_text(encoding="utf-8"))
    assert now["study_labels"][a] == labels[b] and now["study_labels"][b] == labels[a]
    assert now["renamed"] == {a: b, b: a}
    # Each analysis takes the same trials, under their ids now.
    for aid, entry in before["analyses"].items():
        assert now["analyses"][aid]["studies"] == sorted({a: b, b: a}.get(s, s) for s in entry["studies"])
    # One line for the two; no study, effect, claim or warning read as changed.
    line = (f"Studies {escape(labels[a])} (id {a} → {b}) and {escape(labels[b])} (id {b} → {a}) swapped ids; their "
            "data are unchanged.")
    assert now["changes"] == [line, "No estimate, interval or conclusion changed."]


def test_ids_moved_round_three_studies_read_as_one_line_with_nothing_else_changed(built_copy):
    raw, key_results = _paths(built_copy)
    before = json.loads(key_results.read_text(encoding="utf-8"))
    labels = before["study_labels"]
    # Labels without a comma of their own: the line lists the three with commas. A trial
    # a claim is attributed to first, so that claims.csv's id cell moves with it.
    claimed = {r["attributed_study_id"] for r in wf.read_rows(raw / "claims.csv")}
    trials = sorted((s for s in trials_to_move(built_copy, before) if "," not in labels[s]),
                    key=lambda s: s not in claimed)
    assert len(trials) >= 3, "fewer than three trials to move round"
    a, b, c = sorted(trials[:3])
    move_ids(raw, {a: b, b: c, c: a})
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    now = json.loads(key_results.read_text(encoding="utf-8"))
    assert [now["study_labels"][x] for x in (b, c, a)] == [labels[x] for x in (a, b, c)]
    assert now["renamed"] == {a: b, b: c, c: a}
    # One line for the three, from the first id; no study, effect, claim or warning read
    # as changed.
    line = (f"Studies {escape(labels[a])} (id {a} → {b}), {escape(labels[b])} (id {b} → {c}) and "
            f"{escape(labels[c])} (id {c} → {a}) moved ids; their data are unchanged.")
    assert now["changes"] == [line, "No estimate, interval or conclusion changed."]


def test_a_swap_with_a_label_corrected_reads_as_one_line_that_says_the_label(built_copy):
    raw, key_results = _paths(built_copy)
    before = json.loads(key_results.read_text(encoding="utf-8"))
    labels = before["study_labels"]
    # Two trials whose labels end in their year, one of which gets a letter after it
    # ("Kwon et al. (2007)" → "Kwon et al. (2007a)"), as a second report of a year is told apart.
    trials = [s for s in trials_to_move(built_copy, before) if labels[s].endswith(")")]
    assert len(trials) >= 2, "fewer than two trials to swap"
    a, b = trials[:2]
    swap_ids(raw, a, b)
    corrected = labels[b][:-1] + "a)"
    wf.edit_row(raw / "studies.csv", {"study_id": a}, {"label": corrected})
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    now = json.loads(key_results.read_text(encoding="utf-8"))
    assert now["study_labels"][a] == corrected and now["study_labels"][b] == labels[a]
    assert now["renamed"] == {a: b, b: a}
    line = (f"Studies {escape(labels[a])} (id {a} → {b}) and {escape(labels[b])} (id {b} → {a}) swapped ids; "
            f"{escape(labels[b])} is now labelled {escape(corrected)}; their data are unchanged.")
    assert now["changes"] == [line, "No estimate, interval or conclusion changed."]


def test_a_trial_added_with_its_own_source_names_it_in_its_line(built_copy):
    raw, key_results = _paths(built_copy)
    target = wf.trial_analysis(wf.load_config(built_copy))
    wf.add_trial(built_copy, "Kim2030", "Kim et al. (2030)", target, means=(3.0, 4.2))
    # The trial comes from a document of its own, entered with it (its arm values' source
    # left empty: the study's).
    wf.insert_rows(raw / "sources.csv", [{"source_id": "kim2030_report", "kind": "trial_report",
                                          "citation": "Kim J (2030). A trial. J Test 2030;1:1-9."}])
    wf.edit_row(raw / "studies.csv", {"study_id": "Kim2030"}, {"source_id": "kim2030_report"})
    # And two trials from one new report, entered with it.
    for sid, label in (("Lee2030", "Lee et al. (2030)"), ("Park2030", "Park et al. (2030)")):
        wf.add_trial(built_copy, sid, label, target, means=(3.5, 4.0))
    wf.insert_rows(raw / "sources.csv", [{"source_id": "two_trials_2030", "kind": "trial_report",
                                          "citation": "Lee K, Park S (2030). Two trials. J Test 2030;2:1-9."}])
    for sid in ("Lee2030", "Park2030"):
        wf.edit_row(raw / "studies.csv", {"study_id": sid}, {"source_id": "two_trials_2030"})
    rows = {r["source_id"]: n for n, r in enumerate(wf.read_rows(raw / "sources.csv"), start=2)}
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    changes = json.loads(key_results.read_text(encoding="utf-8"))["changes"]
    # With the trial, not as an edit of a table all studies share; the report two trials
    # come from, once, with the two.
    assert changes[0] == (f"Studies added: Kim et al. (2030) (Kim2030), with its source {escape('kim2030_report')} "
                          f"(sources.csv row {rows['kim2030_report']}); and Lee et al. (2030) (Lee2030) and Park et al. "
                          f"(2030) (Park2030), with their source {escape('two_trials_2030')} (sources.csv row "
                          f"{rows['two_trials_2030']}).")
    assert not any(line.startswith("Raw tables changed") for line in changes), changes


def test_a_trial_still_in_no_analysis_says_the_reason_it_lost_and_the_one_it_gained(built_copy):
    raw, key_results = _paths(built_copy)
    before = json.loads(key_results.read_text(encoding="utf-8"))
    # A trial set aside first of all because its arms' n are not reported, with no SD either.
    sid = next(s for s, reasons in sorted(before["unused_reasons"].items())
               if reasons[0].startswith("arm n not reported; ") and not any("SD missing" in r for r in reasons))
    arms = [r for r in wf.read_rows(raw / "arms.csv") if r["study_id"] == sid]
    assert arms and not any(r["n_randomised"] or r["n_analysed"] for r in arms)
    # Its arms' n found in the full report (the reason for their absence cleared with it,
    # as a reason beside a size is refused): the trial stays out, now for its missing SDs.
    for arm in arms:
        wf.edit_row(raw / "arms.csv", {"study_id": sid, "arm_id": arm["arm_id"]},
                    {"n_randomised": "60", "n_missing_reason": ""})
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    now = json.loads(key_results.read_text(encoding="utf-8"))
    assert sid in now["unused_trials"]
    name = escape(f"{before['study_labels'][sid]} ({sid})")
    line = (f"Trial still in no analysis, {name}: why it is set aside no longer reads “arm n not reported;” and now "
            "reads “no SD reported, and the review does not impute missing SDs;”.")
    assert line in now["changes"], now["changes"]
    # In the report as built, after the edited cells that led to it (its source keeps
    # "et al." together with a no-break space).
    source = (built_copy / "results" / "report" / "report.qmd").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert f"- {line}\n" in source
    assert source.index(f"- Raw rows changed, {name}: arms.csv row ") < source.index(f"- {line}\n")


def test_a_change_of_code_alone_names_its_step_and_its_file(built_copy):
    _, key_results = _paths(built_copy)
    before = json.loads(key_results.read_text(encoding="utf-8"))
    # The key results hold the digests of the steps whose results the report shows, as
    # sha256sum gives them of the files themselves.
    assert set(before["code"]) == {"study_effects", "analyse", "compare_indirect", "check_claims", "assemble_report"}
    for files in before["code"].values():
        for name, digest in files.items():
            assert digest == hashlib.sha256((built_copy / name).read_bytes()).hexdigest()
    with (built_copy / "scripts" / "check_claims.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# A comment: the script's bytes change, its behaviour does not.\n")
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    now = json.loads(key_results.read_text(encoding="utf-8"))
    assert now["changes"] == ["Code changed: the step `check_claims` (scripts/check\\_claims.py; `results/code/*.sha256`).",
                              "No estimate, interval or conclusion changed."]


def test_a_dry_run_reads_a_study_renamed_as_the_build_will_and_keeps_its_warnings(built_copy):
    # A study given a new id in every table: the jobs alone read as one study removed and
    # another added, and its consistency warning as new. The dry run says the rename as
    # What changed will, and names no warning the last build raised under the old id.
    raw, keys = _paths(built_copy)
    # The study a warning's row belongs to, the row named by place or by what it is.
    warned = sorted({m.group(1) for k in json.loads(keys.read_text(encoding="utf-8"))["warnings"]
                     if k.startswith(("ci_not_centred ", "value_not_in_quote "))
                     and (m := re.search(r"\.csv:([A-Za-z0-9_-]+)[#(]", k))})
    assert warned, "no study with a warning of its own rows in the example"
    old = warned[0]
    new = old + "x"
    for path in raw.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        if re.search(rf"\b{old}\b", text):
            path.write_text(re.sub(rf"\b{old}\b", new, text), encoding="utf-8")
    dry = wf.run_snakemake(built_copy, "-n")
    assert dry.returncode == 0, dry.output
    assert (f"Would read 1 study as renamed since the last build, not removed and added: {old} as {new}"
            in dry.output), dry.output
    assert "Would raise" not in dry.output, dry.output
    run = wf.run_snakemake(built_copy)
    assert run.returncode == 0, run.output
    assert json.loads(keys.read_text(encoding="utf-8"))["renamed"] == {old: new}


def test_a_dry_run_names_a_new_warning_on_the_rows_and_the_build_raises_the_same(built_copy):
    # A sham arm described as the active treatment: a dry run names it before the build
    # writes an estimate on it, and the build's key results then hold it under the same
    # key, so that the next dry run does not name it again.
    raw, keys = _paths(built_copy)
    arms = wf.read_rows(raw / "arms.csv")
    arm = next(a for a in arms if a["treatment"] == "sham_acupuncture" and a["description"])
    wf.edit_row(raw / "arms.csv", {"study_id": arm["study_id"], "arm_id": arm["arm_id"]},
                {"description": "Acupuncture at traditional points"})
    row = 2 + next(i for i, a in enumerate(arms) if a is arm)
    dry = wf.run_snakemake(built_copy, "-n")
    assert dry.returncode == 0, dry.output
    told = re.search(r"Would raise 1 new consistency warning on the raw rows[^\n]*:\n  - ([^\n]*)", dry.output)
    assert told is not None, dry.output
    assert f": arms.csv, row {row} ({arm['study_id']}#" in told.group(1), told.group(1)
    assert "column 'treatment' (C)" in told.group(1) and "Acupuncture at traditional points" in told.group(1)
    run = wf.run_snakemake(built_copy)
    assert run.returncode == 0, run.output
    # Word for word as the build's key results (and its end) give it.
    assert told.group(1) in json.loads(keys.read_text(encoding="utf-8"))["warnings"].values()
    again = wf.run_snakemake(built_copy, "-n")
    assert again.returncode == 0 and "Would raise" not in again.output, again.output


def test_a_dry_run_names_the_settings_a_config_edit_changed(built_copy):
    # After a config edit the analyses' jobs give only "Params have changed since last
    # execution": the dry run names the settings, by the keys What changed compares.
    config = built_copy / "config" / "config.yaml"
    text = config.read_text(encoding="utf-8")
    assert "\n  test: adhoc\n" in text
    config.write_text(text.replace("\n  test: adhoc\n", "\n  test: knha\n", 1), encoding="utf-8")
    dry = wf.run_snakemake(built_copy, "-n")
    assert dry.returncode == 0, dry.output
    assert ('Would read 1 setting of the config changed since the last build: methods.test "adhoc" → "knha" (What '
            "changed says them in words)") in dry.output, dry.output
    # A code moved out of a node: said by what left the list, not by both lists cut at
    # the same 40 characters.
    assert ", placebo_tens]" in text
    config.write_text(text.replace(", placebo_tens]", "]", 1), encoding="utf-8")
    dry = wf.run_snakemake(built_copy, "-n")
    assert dry.returncode == 0, dry.output
    assert 'nodes.sham.treatments "placebo_tens" removed' in dry.output, dry.output
    # Only the order changed: said so, not as two lists that read alike.
    config.write_text(text.replace("[sham_acupuncture, minimal_acupuncture,", "[minimal_acupuncture, sham_acupuncture,",
                                   1), encoding="utf-8")
    dry = wf.run_snakemake(built_copy, "-n")
    assert "nodes.sham.treatments: the same entries, in another order or repeated otherwise" in dry.output, dry.output
    # Unchanged, nothing is said.
    config.write_text(text, encoding="utf-8")
    assert "setting of the config" not in wf.run_snakemake(built_copy, "-n").output


def sort_rows(path: Path, column: str, *, number: bool = False) -> None:
    """Sort a table's rows by ``column`` (a number's value with ``number``; empty cells
    last), its header first and every cell as it was: a sheet sorted in a spreadsheet."""
    header, *rows = _records(path)
    at = header.index(column)

    def by(row: list[str]) -> tuple[bool, float | str]:
        return row[at] == "", (float(row[at]) if number and row[at] else row[at])

    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *sorted(rows, key=by)])


def test_tables_sorted_otherwise_read_as_rows_reordered_and_raise_no_warning_anew(built_copy):
    # A data manager sorts four sheets and edits no cell. The numbers stay, but warnings
    # were keyed by their row's place among its study's rows: the dry run and the build
    # raised old warnings as new, and What changed listed 25 studies as edited. The last
    # build's keys are the old form here (a build from before), to be read by its rows.
    from metareview.checks import placed_warning_keys, row_identities
    from metareview.report.keys import kept_tables

    raw, keys = _paths(built_copy)
    before = json.loads(keys.read_text(encoding="utf-8"))
    assert before["warnings"] and not placed_warning_keys(before["warnings"])
    places = {identity: ref for ref, identity in row_identities(kept_tables(before["raw_cells"])).items()}

    def placed(key: str) -> str:
        for identity in sorted(places, key=len, reverse=True):  # "...)#2" before "...)"
            key = key.replace(identity, places[identity])
        return key

    by_place = {placed(key): text for key, text in before["warnings"].items()}
    assert placed_warning_keys(by_place) and len(by_place) == len(before["warnings"])
    for path in (keys, built_copy / "results" / "history" / "key_results.json"):
        build = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps({**build, "warnings": by_place}), encoding="utf-8")
    sort_rows(raw / "arm_outcomes.csv", "instrument")
    sort_rows(raw / "arms.csv", "treatment")
    sort_rows(raw / "contrasts.csv", "estimate", number=True)
    sort_rows(raw / "studies.csv", "year", number=True)
    dry = wf.run_snakemake(built_copy, "-n")
    assert dry.returncode == 0 and "Would raise" not in dry.output, dry.output
    run = wf.run_snakemake(built_copy)
    assert run.returncode == 0, run.output
    now = json.loads(keys.read_text(encoding="utf-8"))
    # The same warnings under the same keys, though some of their rows moved.
    assert now["warnings"].keys() == before["warnings"].keys()
    assert now["study_data"] != before["study_data"]
    count = len(before["warnings"])
    assert f"{count} consistency warnings on the raw numbers, none new since the last build: see" in run.output
    assert "no longer raised" not in run.output
    # One line for the studies whose rows moved; nothing else of the data, nor of the numbers.
    assert [line.split(":")[0] for line in now["changes"]] == ["Rows reordered, no cell changed",
                                                              "No estimate, interval or conclusion changed."]
    assert now["analyses"] == before["analyses"] and now["claims"] == before["claims"]

    def published(build: dict) -> list[str]:
        # Each published result as the report reads it; its row is another now.
        return sorted(json.dumps({k: v for k, v in e.items() if k != "row"}, sort_keys=True)
                      for e in build["published"].values())

    assert published(now) == published(before)


def test_an_analysis_renamed_and_a_baseline_flag_switched_off_read_as_such(built_copy):
    # The id of the analysis holding an effect flagged for a baseline difference corrected
    # in the config, and the threshold raised above that difference: one analysis renamed,
    # not one removed and one added, and the flag said to go with the setting that did it.
    _, keys = _paths(built_copy)
    before = json.loads(keys.read_text(encoding="utf-8"))
    flags = [(aid, sid, flag["d"]) for aid, e in before["analyses"].items()
             for sid, flag in (e.get("baseline_flags") or {}).items() if flag["flagged"]]
    assert flags, "no effect flagged for a baseline difference in the example"
    aid, sid, _ = flags[0]
    above = math.ceil(max(abs(f[2]) for f in flags) * 100 + 1) / 100
    config = built_copy / "config" / "config.yaml"
    text = config.read_text(encoding="utf-8")
    threshold = re.search(r"\n  baseline_imbalance_smd: (\S+)\n", text)
    assert threshold is not None and f"\n  - id: {aid}\n" in text
    config.write_text(text.replace(f"\n  - id: {aid}\n", f"\n  - id: {aid}_v2\n", 1)
                      .replace(threshold.group(0), f"\n  baseline_imbalance_smd: {above}\n", 1), encoding="utf-8")
    run = wf.run_snakemake(built_copy)
    assert run.returncode == 0, run.output
    changes = json.loads(keys.read_text(encoding="utf-8"))["changes"]
    assert any(f"renamed from `{aid}` to `{aid}_v2`, the same definition and studies" in line
               for line in changes), changes
    assert not any(line.startswith(("New analysis", "Analysis ")) for line in changes), changes
    label = escape(before["study_labels"].get(sid, sid))
    assert any(f"{label}, no longer flagged for arms that differed at baseline" in line
               and f"as the threshold changed (`effects.baseline_imbalance_smd` was {threshold.group(1)})" in line
               for line in changes), changes


def test_a_published_bound_typed_without_its_minus_is_warned_about_and_its_conclusion_said(built_copy):
    # A review's upper bound "-0.02" typed as 0.02: the quote check, by magnitude, passed
    # it; the published table's "Favours" went to neither and What changed said only the
    # cell, then "No estimate, interval or conclusion changed".
    raw, key_results = _paths(built_copy)
    rows = wf.read_rows(raw / "contrasts.csv")
    index, row = next((i, r) for i, r in enumerate(rows) if r["ci_ub"] == "-0.02" and "\u22120.02" in r["quote"]
                      and r["sign_convention"] == "arm1_minus_arm2")
    before = json.loads(key_results.read_text(encoding="utf-8"))
    ref = next(k for k, v in before["published"].items() if v["row"] == f"contrasts.csv row {index + 2}")
    assert not before["published"][ref]["favours"].startswith("neither"), before["published"][ref]
    wf.edit_row(raw / "contrasts.csv", {"study_id": row["study_id"], "estimate": row["estimate"], "ci_ub": "-0.02"},
                {"ci_ub": "0.02"})
    run = wf.run_snakemake(built_copy, "results/report/report.qmd")
    assert run.returncode == 0, run.output
    now = json.loads(key_results.read_text(encoding="utf-8"))
    # Warned about, by file, row and column, both signs named.
    assert any(f"contrasts.csv, row {index + 2}" in text and "column 'ci_ub'" in text
               and "sign differs from the quote (quote: \u22120.02, cell: 0.02)" in text
               for text in now["warnings"].values()), now["warnings"]
    assert now["published"][ref]["favours"].startswith("neither"), now["published"][ref]
    line = next((x for x in now["changes"] if x.startswith("Published result of")), None)
    assert line is not None and f"(contrasts.csv row {index + 2}), as the report reads it after its cells changed:" in line
    assert (f"**conclusion changed**: the arm it favours {escape(before['published'][ref]['favours'])} \u2192 "
            f"**{escape(now['published'][ref]['favours'])}**") in line, line
    assert "No estimate, interval or conclusion changed." not in now["changes"]
    # The summary's sentence on the reviews of that outcome against the trials went with
    # it (the reviews' tally, "5 of 5" to "4 of 5", no longer a difference on one side):
    # listed, as is any statement of the comparison that appeared or changed.
    was, new = before["reviews_and_trials"], now["reviews_and_trials"]
    assert was != new, was
    for key in sorted(set(was) | set(new)):
        if was.get(key) != new.get(key):
            assert any(x.startswith(f"Published reviews and the trials used here, {escape(key)}: ")
                       for x in now["changes"]), (key, now["changes"])
