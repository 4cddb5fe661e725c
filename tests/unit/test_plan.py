"""Unit tests for metareview.plan: candidates per analysis, per-study bundles, config checks.

A tiny set of raw tables is written to a temporary folder (the cells given are the required
ones and those the plan reads; every other documented column is added empty, as a header
must name them all), validated against the project's real raw-table schemas.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import metareview.plan as plan_module
from metareview.normalise import UNNAMED
from metareview.plan import (
    STALE_REPORT_NOTE,
    ConfigError,
    KeyLines,
    Plan,
    check_config,
    check_config_file,
    check_config_files,
    check_config_schema,
    coerce_config_strings,
    config_key_lines,
    labels_of,
    make_plan,
    outcome_settings,
    stop_message,
    unanalysed_indirect,
    with_raw_problems,
)
from metareview.rawdata import RawDataError, read_raw, study_bundle, study_bundles

ROOT = Path(__file__).resolve().parents[2]

TABLES = {
    "sources": ["source_id,kind,citation", "src,other,A source"],
    "treatments": ["treatment,label,role", "acupuncture,Acupuncture,active", "electroacupuncture,EA,active",
                   "dry_needling,Dry needling,active", "sham_acupuncture,Sham,sham", "massage,Massage,active",
                   "unnamed_control,Control,unnamed"],
    "instruments": ["instrument,label,outcome,scale_min,scale_max,lower_is_better", "VAS,VAS 0-10,pain,0,10,true"],
    "studies": ["study_id,label,design,source_level,source_id,identity_confidence",
                "S1,Study 1,rct,primary,src,high", "S0,Review 0,meta_analysis,secondary,src,medium",
                "S3,Study 3,rct,primary,src,high", "S2,Study 2,rct,primary,src,low", "S4,Study 4,rct,primary,src,high"],
    "arms": ["study_id,arm_id,treatment", "S1,a,acupuncture", "S1,s,sham_acupuncture",
             "S0,a,electroacupuncture", "S0,s,sham_acupuncture",
             "S3,a,acupuncture", "S3,d,dry_needling", "S3,s,sham_acupuncture",
             "S2,d,dry_needling", "S2,c,unnamed_control",
             "S4,a,acupuncture", "S4,m,massage"],
    "arm_outcomes": ["study_id,arm_id,outcome,instrument,timepoint_weeks,value_type,n,mean,sd,quote,confidence",
                     "S1,a,pain,VAS,6,final,30,3.0,2.0,q,high", "S1,s,pain,VAS,6,final,30,4.0,2.0,q,high",
                     "S2,d,pain,VAS,6,final,20,3.0,2.0,q,high",
                     "S3,a,pain,VAS,6,final,30,3.0,2.0,q,high", "S3,d,pain,VAS,6,final,30,3.5,2.0,q,high",
                     "S3,s,pain,VAS,6,final,30,4.0,2.0,q,high"],
    "contrasts": ["study_id,arm1,arm2,outcome,instrument,measure,estimate,sign_convention,quote,confidence",
                  "S0,a,s,pain,VAS,SMD,-0.5,arm1_minus_arm2,q,high"],
    "statements": ["study_id,arm1,outcome,statement,quote,confidence",
                   "S1,a,disability,Less disability with acupuncture,q,high"],
    "claims": ["claim_id,source_id,claim,quote,outcome,treatment"],
    "risk_of_bias": ["study_id,tool,domain,judgement"],
}


def config() -> dict[str, Any]:
    def a(aid: str, i: str, c: str, outcome: str = "pain") -> dict[str, Any]:
        return {"id": aid, "intervention": i, "comparator": c, "outcome": outcome, "window": "short", "measure": "SMD"}

    return {
        "review": {"title": "T", "question": "Q"},
        "raw_dir": "raw", "schema_dir": "schemas",
        "nodes": {"acu": {"label": "Acupuncture", "treatments": ["acupuncture", "electroacupuncture"]},
                  "dn": {"label": "Dry needling", "treatments": ["dry_needling"]},
                  "sham": {"label": "Sham", "treatments": ["sham_acupuncture"]}},
        "outcomes": {"pain": {"label": "Pain", "scale_min": 0, "scale_max": 10},
                     "disability": {"label": "Disability", "scale_min": 0, "scale_max": 100}},
        "windows": {"short": {"label": "Short", "target_weeks": 6, "min_weeks": 1, "max_weeks": 12}},
        "analyses": [a("acu_vs_sham", "acu", "sham"), a("dn_vs_sham", "dn", "sham"),
                     a("acu_vs_unnamed", "acu", UNNAMED), a("dn_vs_unnamed", "dn", UNNAMED),
                     a("dn_vs_acu", "dn", "acu"), a("acu_vs_sham_disability", "acu", "sham", "disability")],
        "indirect": [{"id": "dn_vs_acu_indirect", "treatment_a": "dn", "treatment_b": "acu", "outcome": "pain",
                      "window": "short", "measure": "SMD"}],
        "methods": {"method": "REML", "test": "knha", "level": 95, "min_studies": 2},
        "effects": {"assume_equal_arms_from_total": True, "impute_missing_sd": False, "baseline_imbalance_smd": 0.1},
        "report": {"renderer": "pandoc"},
    }


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    (tmp_path / "raw").mkdir()
    shutil.copytree(ROOT / "config" / "schemas" / "raw", tmp_path / "schemas")
    for table, lines in TABLES.items():
        (tmp_path / "raw" / f"{table}.csv").write_text("\n".join(_full_header(table, lines)) + "\n", encoding="utf-8")
    return tmp_path


def _full_header(table: str, lines: list[str]) -> list[str]:
    """``lines`` with the table's other documented columns appended, their cells empty."""
    schema = yaml.safe_load((ROOT / "config" / "schemas" / "raw" / f"{table}.schema.yaml").read_text(encoding="utf-8"))
    given = lines[0].split(",")
    rest = [c for c in schema["properties"] if c not in given]
    return [",".join([*given, *rest])] + [line + "," * len(rest) for line in lines[1:]]


# --- the plan ---------------------------------------------------------------------------------------


def test_candidates_per_analysis(root: Path) -> None:
    plan = make_plan(config(), root)
    assert plan.studies == ["S0", "S1", "S2", "S3", "S4"]
    assert plan.candidates == {
        "acu_vs_sham": ["S0", "S1", "S3"],  # a meta-analysis is a candidate too (external evidence)
        "dn_vs_sham": ["S3"],
        "acu_vs_unnamed": [],  # S2's unnamed control is compared with dry needling only
        "dn_vs_unnamed": ["S2"],
        "dn_vs_acu": ["S3"],
        # Only the studies reporting the outcome, in numbers or in words: an edit to a trial
        # of pain alone reruns no analysis of disability.
        "acu_vs_sham_disability": ["S1"],
    }
    assert plan.analyses == [a["id"] for a in config()["analyses"]]
    assert plan.analysis("dn_vs_acu")["comparator"] == "acu"


def test_indirect_inputs_are_the_analyses_touching_a_or_b_on_its_outcome(root: Path) -> None:
    cfg = config()
    # On another measure: read too (the finding describes it), though never combined.
    cfg["analyses"][0]["measure"] = "MD"
    plan = make_plan(cfg, root)
    assert plan.indirect == ["dn_vs_acu_indirect"]
    assert plan.indirect_inputs == {"dn_vs_acu_indirect": ["acu_vs_sham", "dn_vs_sham", "acu_vs_unnamed",
                                                          "dn_vs_unnamed", "dn_vs_acu"]}
    assert plan.indirect_spec("dn_vs_acu_indirect")["treatment_a"] == "dn"


def test_the_plan_tells_a_deleted_source_from_a_new_one_by_the_last_build(root: Path) -> None:
    # The last published build's key results (results/history/key_results.json) had the
    # one source every study cites, in row 2; sources.csv now lists another document.
    sources = root / "raw" / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8").replace("\nsrc,", "\nother,"), encoding="utf-8")
    with pytest.raises(RawDataError) as info:
        make_plan(config(), root)
    # No last build: a new document or one deleted, both said.
    assert all(p.message.endswith("found 'src' (a new document goes in sources.csv first, before the rows that "
                                  "name it; a deleted one goes back, unless the rows citing it are changed or "
                                  "deleted)") for p in info.value.problems)
    history = root / "results" / "history" / "key_results.json"
    history.parent.mkdir(parents=True)
    history.write_text(json.dumps({"raw_cells": {"columns": {"sources.csv": ["source_id", "kind", "citation"]},
                                                 "studies": {}, "shared": {"sources.csv": [[2, "src", "other", "A"]]}}}),
                       encoding="utf-8")
    with pytest.raises(RawDataError) as info:
        make_plan(config(), root)
    # Five studies cite it: each of their rows says it was deleted, and the four others.
    assert [p.row for p in info.value.problems] == [2, 3, 4, 5, 6]
    assert info.value.problems[0].message.endswith(
        "found 'src', which was in sources.csv (row 2 in the last build) and is still cited by this row and 4 others "
        "(studies.csv rows 3, 4, 5 and 6): put it back, or change or delete the rows that cite it")


def test_node_of_and_labels(root: Path) -> None:
    plan = make_plan(config(), root)
    assert plan.node_of == {"acupuncture": "acu", "electroacupuncture": "acu", "dry_needling": "dn",
                            "sham_acupuncture": "sham"}
    assert plan.labels[UNNAMED] == "Control not named by the source"
    assert plan.labels["acu"] == "Acupuncture" and plan.labels["pain"] == "Pain" and plan.labels["short"] == "Short"
    assert labels_of(config()) == plan.labels


def test_bundle_holds_only_its_study(root: Path) -> None:
    plan = make_plan(config(), root)
    s1 = json.loads(plan.bundles["S1"])
    assert s1["study"]["study_id"] == "S1"
    assert {a["arm_id"] for a in s1["arms"]} == {"a", "s"}
    assert {r["study_id"] for r in s1["arm_outcomes"]} == {"S1"}
    assert {t["treatment"] for t in s1["treatments"]} == {"acupuncture", "sham_acupuncture"}
    assert [r["_ref"] for r in s1["arm_outcomes"]] == ["arm_outcomes.csv:S1#1", "arm_outcomes.csv:S1#2"]


def test_bundles_of_all_studies_equal_each_study_bundle(root: Path) -> None:
    # The plan builds every bundle in one pass; a job's bundle must be what the one-study
    # function gives, key for key and row for row.
    data = read_raw(root / "raw", root / "schemas")
    every = study_bundles(data)
    assert list(every) == ["S1", "S0", "S3", "S2", "S4"]  # studies.csv order
    for study, bundle in every.items():
        assert bundle == study_bundle(data, study)
    assert study_bundles(data, ["S3"]) == {"S3": every["S3"]}
    with pytest.raises(KeyError, match="S9"):
        study_bundles(data, ["S9"])


def test_editing_one_study_changes_only_its_bundle(root: Path) -> None:
    before = make_plan(config(), root).bundles
    path = root / "raw" / "arm_outcomes.csv"
    # a new row for S2 placed above S1's rows, and S2's existing value edited
    lines = path.read_text(encoding="utf-8").splitlines()
    pad = "," * (lines[0].count(",") - 10)
    lines = [lines[0], "S2,c,pain,VAS,6,final,20,4.5,2.0,q,high" + pad] + [
        line.replace("S2,d,pain,VAS,6,final,20,3.0", "S2,d,pain,VAS,6,final,20,3.1") for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    after = make_plan(config(), root).bundles
    assert after["S2"] != before["S2"]
    assert {s for s in before if after[s] == before[s]} == {"S0", "S1", "S3", "S4"}


def test_bad_raw_data_stops_the_plan(root: Path) -> None:
    from metareview.rawdata import RawDataError

    path = root / "raw" / "arms.csv"
    text = path.read_text(encoding="utf-8")
    pad = "," * (text.splitlines()[0].count(",") - 2)  # the other cells empty, however many
    path.write_text(text + f"S9,x,acupuncture{pad}\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="S9"):
        make_plan(config(), root)


# --- config cross-checks ----------------------------------------------------------------------------------


def problems_of(cfg: dict[str, Any], root: Path) -> list[str]:
    raw = read_raw(root / "raw", root / "schemas")
    with pytest.raises(ConfigError) as exc:
        check_config(cfg, raw)
    text = str(exc.value)
    # Any of the run's config sources may hold the value: a --configfile variant's windows, say.
    assert text.startswith("config/config.yaml (with any --config or --configfile overrides):\n")
    return [line.removeprefix("  - ") for line in text.splitlines()[1:]]


def test_a_cross_check_problem_names_the_line_of_the_key_it_is_about(root: Path) -> None:
    # "analyses[1] (dn_vs_sham): intervention 'dry_needlin' is not a node" named the entry,
    # not where in the file it stands; the schema's problems give the line.
    cfg = config()
    cfg["analyses"][1]["intervention"] = "dry_needlin"
    cfg["nodes"]["dn"]["treatments"] = ["dry_needle"]
    text = yaml.safe_dump(cfg, sort_keys=False)
    path = root / "config.yaml"
    path.write_text(text, encoding="utf-8")
    lines = config_key_lines([path], cfg)
    raw = read_raw(root / "raw", root / "schemas")
    with pytest.raises(ConfigError) as exc:
        check_config(cfg, raw, lines)
    said = [line.removeprefix("  - ") for line in str(exc.value).splitlines()[1:]]
    # By hand: the line of the entry's key the problem names; a node's, where the problem
    # names no key of it.
    intervention = _line_of(text, "  intervention: dry_needlin")
    dn = _line_of(text, "  dn:")
    assert f"analyses[1] (dn_vs_sham, {path.as_posix()} line {intervention}): intervention 'dry_needlin' is " \
        "not a node" in "\n".join(said)
    assert any(x.startswith(f"nodes.dn ({path.as_posix()} line {dn}): treatment code 'dry_needle'") for x in said)
    # Without lines, as before.
    with pytest.raises(ConfigError) as exc:
        check_config(cfg, raw)
    assert "  - analyses[1] (dn_vs_sham): intervention 'dry_needlin'" in str(exc.value)


SCHEMA = ROOT / "config" / "schemas" / "config.schema.yaml"


def test_the_schema_reads_the_same_with_libyaml_as_with_the_pure_python_loader() -> None:
    from metareview.plan import _schema

    read = _schema(str(SCHEMA))
    assert read == yaml.load(SCHEMA.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    assert read["type"] == "object" and "analyses" in read["properties"]


def test_the_review_config_satisfies_its_schema() -> None:
    check_config_schema(yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8")), SCHEMA)


def test_the_review_s_window_labels_state_their_ranges() -> None:
    # "Short term (up to 12 weeks, ...)" read as from week 0 where the range starts at week 1:
    # a label that gives weeks gives min_weeks to max_weeks and target_weeks.
    import re

    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    for name, w in cfg["windows"].items():
        weeks = re.search(r"\((\d+) to (\d+) weeks, nearest to (\d+) weeks\)", w["label"])
        assert weeks, (name, w["label"])
        assert tuple(float(x) for x in weeks.groups()) == (w["min_weeks"], w["max_weeks"], w["target_weeks"]), name


def test_schema_violations_are_listed_by_key_with_what_was_expected() -> None:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["report"]["png_dpi"] = 10
    cfg["report"]["detail_limit"] = "abc"
    cfg["methods"]["level"] = 150
    cfg["analyses"][1]["measure"] = "Hedges g"
    first_ratio = next(i for i, a in enumerate(cfg["analyses"]) if a["measure"] == "RR")
    del cfg["analyses"][first_ratio]["events"]
    cfg["analyses"][0]["events"] = "harmful"
    cfg["outcomes"]["responder"]["scale_min"] = 0
    del cfg["windows"]
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA, label="config/schemas/config.schema.yaml")
    lines = str(exc.value).splitlines()
    assert lines[0] == ("config/config.yaml (with any --config or --configfile overrides): "
                        "not as config/schemas/config.schema.yaml expects:")
    ids = [a["id"] for a in cfg["analyses"]]
    assert lines[1:] == [
        ("  - (top level): 'windows' is a required property (a mapping of entries, each with label, target_weeks, "
         "min_weeks and max_weeks)"),
        f"  - analyses[0] ({ids[0]}): 'events' not allowed here (events apply to RR, OR and RD only)",
        f"  - analyses[1] ({ids[1]}).measure: expected one of MD, SMD, RR, OR, RD, found 'Hedges g'",
        (f"  - analyses[{first_ratio}] ({ids[first_ratio]}): 'events' is a required property "
         "(RR, OR and RD need events, beneficial or harmful)"),
        "  - methods.level: expected less than 100, found 150 (a percentage, such as 95, not a proportion such as 0.95)",
        "  - outcomes.responder: 'scale_min' not allowed here (a binary outcome has no common scale)",
        "  - report.detail_limit: expected a whole number, found 'abc'",
        "  - report.png_dpi: expected at least 36, found 10",
    ]


def test_a_yes_where_a_number_belongs_is_echoed_as_yaml_reads_it() -> None:
    # "baseline_imbalance_smd: yes" was refused as "found true": the value the team typed
    # was not recognisable in it.
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["effects"]["baseline_imbalance_smd"] = yaml.safe_load("yes")
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA, label="config/schemas/config.schema.yaml")
    assert "effects.baseline_imbalance_smd: expected a number, found true (as YAML reads yes/no, on/off, true/false)" in (
        str(exc.value))


def test_a_declared_abbreviation_the_report_cannot_print_is_refused_by_its_key() -> None:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    # NO, unquoted, is YAML's false; "L B P" no abbreviation; a semicolon would part the
    # entries of the summary's list; a number is no meaning.
    cfg["report"]["abbreviations"] = yaml.safe_load(
        '{DN: dry needling, NO: nitric oxide, "L B P": low back pain, VAS: "visual; analogue", RMDQ: 3, ODI: " "}')
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA, label="config/schemas/config.schema.yaml")
    name = ("an abbreviation as printed, a letter first, then letters, digits, '&', '/' or '-', at most 20 "
            "characters; one that YAML reads as true or false, such as NO, is quoted")
    meaning = "what it stands for, not blank and with no semicolon, which parts the entries"
    lines = str(exc.value).splitlines()[1:]
    assert lines[:2] == [(f"  - report.abbreviations: expected text, found false (as YAML reads yes/no, on/off, "
                          f"true/false) ({name})"),
                         f"  - report.abbreviations: 'L B P' does not match '^[A-Za-z][A-Za-z0-9&/-]{{0,19}}$' ({name})"]
    assert [line.split(":", 1)[0] for line in lines[2:]] == [
        "  - report.abbreviations.ODI", "  - report.abbreviations.RMDQ", "  - report.abbreviations.VAS"]
    assert all(line.endswith(f"({meaning})") for line in lines[2:]) and "DN" not in str(exc.value)
    # Quoted, or with a hyphen, they pass.
    cfg["report"]["abbreviations"] = {"DN": "dry needling", "NO": "nitric oxide", "SF-36": "Short Form 36"}
    check_config_schema(cfg, SCHEMA, label="config/schemas/config.schema.yaml")


def test_a_name_the_id_pattern_refuses_is_told_the_pattern_in_words() -> None:
    # The message was the regex alone: "'Acupuncture-vs-sham' does not match
    # '^[a-z][a-z0-9_]{0,79}$'".
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["analyses"][0]["id"] = "Acupuncture-vs-sham"
    cfg["nodes"]["Dry needling"] = cfg["nodes"].pop("dry_needling")
    with pytest.raises(ConfigError) as info:
        check_config_schema(cfg, SCHEMA)
    words = "(lower-case letters, digits and _, starting with a letter, at most 80 characters)"
    assert f".id: 'Acupuncture-vs-sham' does not match '^[a-z][a-z0-9_]{{0,79}}$' {words}" in str(info.value)
    assert f"  - nodes: 'Dry needling' does not match '^[a-z][a-z0-9_]{{0,79}}$' {words}" in str(info.value)


def test_a_ratio_measure_on_a_continuous_outcome_is_named_as_the_slip_at_once() -> None:
    # RR typed for pain: the schema asked for the events a risk ratio needs, and only once
    # they were added did the cross-check say that pain has none. A ratio without events
    # on a binary outcome still asks for them.
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    pain = next(i for i, a in enumerate(cfg["analyses"]) if a["outcome"] == "pain")
    cfg["analyses"][pain]["measure"] = "RR"
    ratio = next(i for i, a in enumerate(cfg["analyses"]) if a["measure"] == "RR" and "events" in a)
    del cfg["analyses"][ratio]["events"]
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA)
    ids = [a["id"] for a in cfg["analyses"]]
    said = {
        pain: (f"  - analyses[{pain}] ({ids[pain]}): measure RR is for binary outcomes, but outcome 'pain' is "
               "continuous (MD or SMD)"),
        ratio: (f"  - analyses[{ratio}] ({ids[ratio]}): 'events' is a required property (RR, OR and RD need "
                "events, beneficial or harmful)"),
    }
    assert str(exc.value).splitlines()[1:] == [said[i] for i in sorted(said)]


def test_a_ratio_measure_whose_outcome_is_no_name_is_told_not_raised() -> None:
    # An outcome written as a list ("outcome: [pain]") on a risk ratio without events: the
    # check of the measure against the outcome looked the list up as a key and raised
    # TypeError, where the schema says what is wrong.
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    pain = next(i for i, a in enumerate(cfg["analyses"]) if a["outcome"] == "pain")
    cfg["analyses"][pain].update(measure="RR", outcome=["pain"])
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA)
    assert f"analyses[{pain}]" in str(exc.value) and "'events' is a required property" in str(exc.value)


def test_a_value_of_the_wrong_kind_is_said_as_yaml_writes_it() -> None:
    # jsonschema's own words are Python's: "None is not of type 'object'", a date as
    # "datetime.date(2024, 1, 1)", and a list or mapping of the wrong type dumped whole
    # (an `analyses:` written as a mapping printed every analysis on one line).
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["windows"] = None
    cfg["analyses"] = {a["id"]: a for a in cfg["analyses"][:3]}
    cfg["review"]["title"] = yaml.safe_load("2024-01-01")
    cfg["report"]["renderer"] = "Pandoc"
    cfg["nodes"]["sham"]["treatments"] = "sham_acupuncture"
    cfg["nodes"]["acupuncture"]["treatments"] = []
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA)
    assert str(exc.value).splitlines()[1:] == [
        "  - analyses: expected a list, found a mapping of 3 key(s)",
        "  - nodes.acupuncture.treatments: expected at least 1 item(s), found an empty list",
        "  - nodes.sham.treatments: expected a list, found 'sham_acupuncture'",
        "  - report.renderer: expected one of auto, quarto, pandoc, found 'Pandoc'; did you mean 'pandoc'?",
        ("  - review.title: expected text, found the date 2024-01-01 (YAML reads an unquoted date as one: quote it "
         "to make it text)"),
        "  - windows: expected a mapping of keys, found no value (are its entries indented under it?)",
    ]


def test_a_node_may_be_marked_a_proper_name_with_true_or_false_only() -> None:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    first, second = list(cfg["nodes"])[:2]
    cfg["nodes"][first]["proper_name"] = True
    check_config_schema(cfg, SCHEMA)
    cfg["nodes"][second]["proper_name"] = "yes"
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA)
    assert str(exc.value).splitlines()[1:] == [f"  - nodes.{second}.proper_name: expected true or false, found 'yes'"]


def test_a_misspelt_key_is_one_problem_with_the_key_meant() -> None:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["methods"]["min_studys"] = cfg["methods"].pop("min_studies")
    cfg["methods"]["level"] = 0.95
    cfg["methods"]["colour"] = "red"
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA)
    # Not also "'min_studies' is a required property": the key is there, misspelt.
    assert str(exc.value).splitlines()[1:] == [
        ("  - methods.colour: unknown key; expected one of method, test, level, min_studies, small_study_min, "
         "small_study_predictor"),
        "  - methods.level: expected more than 50, found 0.95 (a percentage, such as 95, not a proportion such as 0.95)",
        "  - methods.min_studys: unknown key; did you mean 'min_studies'?",
    ]



def test_a_misspelt_measure_is_one_problem_not_a_ratio_without_events() -> None:
    # "measur: MD" on a pain analysis also read "measure None is for binary outcomes, but
    # outcome 'pain' is continuous": the schema's "RR, OR and RD need events" held for a
    # measure that is absent. Misspelt on a ratio that has its events, it also read
    # "events apply to RR, OR and RD only". The misspelt key is the one slip either way.
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    pain = next(i for i, a in enumerate(cfg["analyses"]) if a["measure"] == "MD")
    ratio = next(i for i, a in enumerate(cfg["analyses"]) if a["measure"] == "RR" and "events" in a)
    for i in (pain, ratio):
        cfg["analyses"][i]["measur"] = cfg["analyses"][i].pop("measure")
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA)
    ids = [a["id"] for a in cfg["analyses"]]
    assert str(exc.value).splitlines()[1:] == [
        f"  - analyses[{i}] ({ids[i]}).measur: unknown key; did you mean 'measure'?" for i in sorted((pain, ratio))]
    # Left out altogether, it is named as the required key it is.
    del cfg["analyses"][pain]["measur"], cfg["analyses"][ratio]["measur"]
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA)
    assert str(exc.value).splitlines()[1:] == [
        f"  - analyses[{i}] ({ids[i]}): 'measure' is a required property" for i in sorted((pain, ratio))]

def _line_of(text: str, prefix: str) -> int:
    """The 1-based line of ``text`` starting with ``prefix``: the one line that does."""
    [line] = [i for i, typed in enumerate(text.splitlines(), start=1) if typed.startswith(prefix)]
    return line


def _config_copy(tmp_path: Path, edit: Callable[[str], str] = lambda text: text) -> tuple[str, Path, Any]:
    """The example's config, ``edit``-ed, written to ``tmp_path``: its text, its path and
    its YAML as read."""
    text = edit((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return text, path, yaml.safe_load(text)


def test_a_config_problem_names_the_line_its_key_was_typed_on(tmp_path: Path) -> None:
    # "methods.min_studies: expected a whole number, found 'two'" named the key, not where
    # in a 400-line file it stands; the raw tables' problems name their row.
    text, path, cfg = _config_copy(tmp_path, lambda t: t.replace("  min_studies: 2 ", "  min_studies: two ", 1)
                                   .replace("    measure: MD\n", "    measur: MD\n", 1))
    lines = config_key_lines([path], cfg)
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA, lines=lines)
    first = cfg["analyses"][0]["id"]
    assert str(exc.value).splitlines()[1:] == [
        (f"  - analyses[0] ({first}).measur ({path.as_posix()} line {_line_of(text, '    measur: MD')}): unknown key; "
         "did you mean 'measure'?"),
        (f"  - methods.min_studies ({path.as_posix()} line {_line_of(text, '  min_studies: two')}): expected a whole "
         "number, found 'two'"),
    ]
    # A list item is placed at its first key; a key missing, at the mapping it is missing from.
    assert lines[("analyses", 0)] == f"{path.as_posix()} line {_line_of(text, f'  - id: {first}')}"
    text = text.replace("    measur: MD\n", "", 1)
    path.write_text(text, encoding="utf-8")
    cfg = yaml.safe_load(text)
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA, lines=config_key_lines([path], cfg))
    assert f"analyses[0] ({first}, {path.as_posix()} line {_line_of(text, f'  - id: {first}')}): 'measure' is a " \
        "required property" in str(exc.value)


def test_a_config_value_given_on_the_command_line_is_given_no_file_s_line(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # --config 'methods={..., min_studies: two}' replaces the file's value: the file's line
    # holds 2, and naming it would send the reader to a value that is not the one refused.
    text, path, cfg = _config_copy(tmp_path)
    cfg["methods"]["min_studies"] = "two"
    lines = config_key_lines([path], cfg)
    assert ("methods", "min_studies") not in lines and ("methods", "level") in lines
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA, lines=lines)
    assert str(exc.value).splitlines()[1:] == ["  - methods.min_studies: expected a whole number, found 'two'"]
    # A file given with --configfile over the workflow's own, as Snakemake merges them: a
    # key is placed in the later file that gives it, the others where they were typed.
    # Snakemake passes that file's absolute path: it is named from the build's folder.
    monkeypatch.chdir(tmp_path)
    later = tmp_path / "variant.yaml"
    later.write_text("methods:\n  method: DL\n  min_studies: two\n", encoding="utf-8")
    merged = yaml.safe_load(text)
    merged["methods"].update(yaml.safe_load(later.read_text(encoding="utf-8"))["methods"])
    lines = config_key_lines([path, later], merged)
    assert lines[("methods", "min_studies")] == "variant.yaml line 3"
    assert lines[("methods", "method")] == "variant.yaml line 2"
    assert lines[("methods", "level")] == f"config.yaml line {_line_of(text, '  level:')}"
    assert ("methods",) not in lines  # a mapping of both files is in neither as it is


def test_key_lines_are_placed_only_when_asked_and_as_the_config_was_read(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Every start of the workflow makes one; only a config with a problem reads it.
    text, path, cfg = _config_copy(tmp_path)
    calls = []
    real = plan_module.config_key_lines
    monkeypatch.setattr(plan_module, "config_key_lines", lambda *a: calls.append(a) or real(*a))
    lines = KeyLines([path], cfg)
    assert calls == []
    # The schema's defaults, filled in after it is made, do not unplace a mapping the
    # file gives as it was read.
    first = cfg["analyses"][0]
    first["a_default_filled_in"] = True
    item = f"  - id: {first['id']}"
    assert lines[("analyses", 0)] == f"{path.as_posix()} line {_line_of(text, item)}"
    assert dict(lines) == real([path], yaml.safe_load(text))
    assert len(calls) == 1  # placed once


def test_a_config_missing_sections_says_what_each_holds_whatever_else_is_misspelt() -> None:
    # A config written from scratch, without the example's methods, effects and report,
    # its windows misspelt: the misspelt key is one slip, and the sections missing are
    # each named with the keys to write under them.
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    for section in ("methods", "effects", "report", "analyses"):
        del cfg[section]
    cfg["windowz"] = cfg.pop("windows")
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA)
    assert str(exc.value).splitlines()[1:] == [
        ("  - (top level): 'analyses' is a required property (a list of entries, each with id, intervention, "
         "comparator, outcome, window and measure)"),
        "  - (top level): 'methods' is a required property (a mapping with method, test, level and min_studies)",
        ("  - (top level): 'effects' is a required property (a mapping with assume_equal_arms_from_total, "
         "impute_missing_sd and baseline_imbalance_smd)"),
        ("  - (top level): 'report' is a required property (a mapping whose keys all have defaults, so `report: {}` "
         "takes them)"),
        "  - windowz: unknown key; did you mean 'windows'?",
    ]


def test_an_outcome_code_outside_the_list_says_where_the_list_is(root: Path) -> None:
    # A second review's "neck_disability": the message names the list the code is not in
    # (the raw schemas' of this review's schema_dir), the code meant, and where a code of
    # another domain is added, not only the codes it allows.
    cfg = config()
    cfg["outcomes"]["neck_disability"] = cfg["outcomes"].pop("disability")
    cfg["analyses"] = cfg["analyses"][:5]
    check_config_schema(cfg, SCHEMA)  # any lower-case code passes the config's own schema
    with pytest.raises(ConfigError) as exc:
        make_plan(cfg, root)
    assert str(exc.value).splitlines()[1:] == [(
        "  - outcomes.neck_disability: the code 'neck_disability' is not an outcome code of the raw tables "
        "(expected one of disability, global_improvement, other, pain, quality_of_life, responder, sleep); "
        "did you mean 'disability'? The codes are the `outcome` list of schemas/instruments.schema.yaml: an "
        "outcome's label, not a new code, names it as the review does (neck disability is `disability`), and a "
        "code of another domain is added to that list and to the other raw schemas' `outcome` lists (README, "
        '"Starting another review").')]


def test_a_new_outcome_code_goes_into_the_review_s_own_schemas_only(root: Path) -> None:
    # A review of another domain adds "depression" to the outcome lists of its schema_dir:
    # the config, checked against the repository's config schema, takes it as it is.
    for table in ("instruments", "arm_outcomes", "contrasts", "statements", "claims"):
        path = root / "schemas" / f"{table}.schema.yaml"
        text = path.read_text(encoding="utf-8")
        assert "quality_of_life, other]" in text
        path.write_text(text.replace("quality_of_life, other]", "quality_of_life, other, depression]"),
                        encoding="utf-8")
    cfg = config()
    cfg["outcomes"]["depression"] = {"label": "Depression", "scale_min": 0, "scale_max": 63}
    cfg["analyses"].append({**cfg["analyses"][0], "id": "acu_vs_sham_depression", "outcome": "depression"})
    check_config_schema(cfg, SCHEMA)
    assert "acu_vs_sham_depression" in make_plan(cfg, root).analyses
    # Without the code in the review's schemas, the same config is refused.
    shutil.copy(ROOT / "config" / "schemas" / "raw" / "instruments.schema.yaml", root / "schemas")
    with pytest.raises(ConfigError, match=r"outcomes\.depression: the code 'depression' is not an outcome code"):
        make_plan(cfg, root)


def test_grade_judgements_are_checked_by_the_schema() -> None:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    ids = [a["id"] for a in cfg["analyses"]]
    cfg["analyses"][0]["certainty"] = {"studies": ["Brinkhaus2006"], "imprecision": {"rating": "serious"},
                                       "risk_of_bias": {"rating": "high"}, "large_effect": {"rating": "serious"}}
    cfg["analyses"][1]["certainty"] = {"inconsistency": {"rating": "not_serious"},
                                       "indirectness": {"rating": "serious", "reason": "  "}, "imprecision": {}}
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA)
    assert str(exc.value).splitlines()[1:] == [
        (f"  - analyses[0] ({ids[0]}).certainty.imprecision: 'reason' is a required property (a domain rated "
         "down needs its reason)"),
        (f"  - analyses[0] ({ids[0]}).certainty.large_effect: unknown key; expected one of studies, assessed_by, "
         "risk_of_bias, inconsistency, indirectness, imprecision, publication_bias"),
        (f"  - analyses[0] ({ids[0]}).certainty.risk_of_bias.rating: expected one of not_serious, serious, "
         "very_serious, found 'high'"),
        f"  - analyses[1] ({ids[1]}).certainty: 'studies' is a required property",
        f"  - analyses[1] ({ids[1]}).certainty.imprecision: 'rating' is a required property",
        f"  - analyses[1] ({ids[1]}).certainty.indirectness.reason: '  ' does not match '\\\\S' (a reason, not blank)",
    ]
    cfg["analyses"][0]["certainty"] = {"studies": ["Brinkhaus2006"], "assessed_by": "Review team",
                                       "imprecision": {"rating": "serious", "reason": "one trial"}}
    del cfg["analyses"][1]["certainty"]
    check_config_schema(cfg, SCHEMA)
    # Studies with their data fingerprints: the one that is not 8 hex digits is named.
    cfg["analyses"][0]["certainty"]["studies"] = {"Brinkhaus2006": "gfee058d"}
    check_config_schema(cfg, SCHEMA)
    for studies, problem in [
        ({"Brinkhaus2006": "GFEE058D"}, (".studies.Brinkhaus2006: 'GFEE058D' does not match '^[g-v][0-9a-f]{7}$' "
                                         "(the data fingerprint the certainty table gives (a letter g-v, 7 hex "
                                         "digits))")),
        # YAML reads an unquoted 12345678 as a number: codes never look like one.
        ({"Brinkhaus2006": 12345678}, (".studies.Brinkhaus2006: expected text, found 12345678 (the data "
                                       "fingerprint the certainty table gives (a letter g-v, 7 hex digits))")),
        ({"Brinkhaus2006": None}, (".studies.Brinkhaus2006: expected text, found no value (the data fingerprint "
                                   "the certainty table gives (a letter g-v, 7 hex digits))")),
        ("Brinkhaus2006", (".studies: 'Brinkhaus2006' is not valid under any of the given schemas (a list of study "
                           "ids, or each id with its data fingerprint (a letter g-v, 7 hex digits))")),
        ([], ".studies: expected at least 1 item(s), found an empty list"),
    ]:
        cfg["analyses"][0]["certainty"]["studies"] = studies
        with pytest.raises(ConfigError) as exc:
            check_config_schema(cfg, SCHEMA)
        assert str(exc.value).splitlines()[1:] == [f"  - analyses[0] ({ids[0]}).certainty{problem}"]


def test_valid_config_passes(root: Path) -> None:
    check_config(config(), read_raw(root / "raw", root / "schemas"))


def test_node_problems(root: Path) -> None:
    cfg = config()
    cfg["nodes"]["acu"]["treatments"].append("cupping")
    cfg["nodes"]["sham"]["treatments"].append("unnamed_control")
    cfg["nodes"]["dn"]["treatments"].append("acupuncture")
    assert problems_of(cfg, root) == [
        "nodes.acu: treatment code 'cupping' is not in treatments.csv",
        "nodes.dn: treatment code 'acupuncture' is already in node 'acu'",
        "nodes.sham: 'unnamed_control' is a comparator the source does not name; it cannot be grouped",
    ]


def test_a_misspelt_code_or_study_in_the_config_is_offered_the_name_meant(root: Path) -> None:
    cfg = config()
    cfg["nodes"]["acu"]["treatments"].append("electro_acupuncture")
    cfg["analyses"][0]["certainty"] = {"studies": ["s1"]}
    assert problems_of(cfg, root) == [
        "nodes.acu: treatment code 'electro_acupuncture' is not in treatments.csv; did you mean 'electroacupuncture' (EA, active)?",
        ("analyses[0] (acu_vs_sham): certainty.studies: 's1' is not a study_id of studies.csv (a study taken out "
         "of the review is taken out of certainty.studies too, and the judgements made again); did you mean 'S1'?"),
    ]


def test_a_grade_judgement_on_a_study_the_analysis_cannot_hold_is_refused(root: Path) -> None:
    # S2 (dry needling against an unnamed control) has no arm of acupuncture or sham: a
    # judgement on it read, in What changed, as a study that had left the analysis.
    cfg = config()
    cfg["analyses"][0]["certainty"] = {"studies": ["S1", "S2"]}
    assert problems_of(cfg, root) == [
        ("analyses[0] (acu_vs_sham): certainty.studies: 'S2' cannot enter this analysis: it has no arm in each of "
         "'acu' and 'sham' reporting 'pain' (expected the studies the GRADE judgement was made on, among those the "
         "analysis can take in: S0, S1, S3)")]
    # S1 reports disability only in words: still a candidate, its statement's outcome.
    cfg = config()
    cfg["analyses"][5]["certainty"] = {"studies": ["S1"]}
    check_config(cfg, read_raw(root / "raw", root / "schemas"))


def test_a_grade_judgement_is_checked_against_the_rows_that_read_when_none_left_out_bears_on_it(root: Path) -> None:
    # A row refused elsewhere no longer hides the slip: S1's refused result cannot put S2
    # in the analysis. S2's own refused row, or any treatment's, might, and defers it.
    def config_lines(cfg: dict[str, Any]) -> list[str]:
        with pytest.raises(RawDataError) as info:
            make_plan(cfg, root)
        return [line for line in str(info.value).splitlines() if line.startswith("  - analyses")]

    cfg = config()
    cfg["analyses"][0]["certainty"] = {"studies": ["S1", "S2"]}
    _edit_raw(root, "arm_outcomes", "S1,a,pain,VAS,6,final,30,", "S1,a,pain,VAS,6,final,thirty,")
    assert [line.split(":")[1] for line in config_lines(cfg)] == [" certainty.studies"]
    assert "'S2' cannot enter this analysis" in config_lines(cfg)[0]
    _edit_raw(root, "arm_outcomes", "S2,d,pain,VAS,6,final,20,", "S2,d,pain,VAS,6,final,twenty,")
    assert config_lines(cfg) == []
    _edit_raw(root, "arm_outcomes", "S2,d,pain,VAS,6,final,twenty,", "S2,d,pain,VAS,6,final,20,")
    _edit_raw(root, "treatments", "massage,Massage,active", "massage,Massage,activ")
    assert config_lines(cfg) == []


def _edit_raw(root: Path, table: str, old: str, new: str) -> None:
    path = root / "raw" / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_config_is_checked_against_the_rows_that_read_when_others_do_not(root: Path) -> None:
    # A mistyped cell and a mistyped config key: one run names both, so a team does not
    # fix the row, run again, and only then learn of the key.
    _edit_raw(root, "arm_outcomes", "S1,a,pain,VAS,6,final,30,", "S1,a,pain,VAS,6,final,thirty,")
    cfg = config()
    cfg["nodes"]["acu"]["treatments"].append("cupping")
    with pytest.raises(RawDataError) as info:
        make_plan(cfg, root)
    text = str(info.value)
    assert len(info.value.problems) == 1 and info.value.problems[0].column == "n"
    assert ("\nAlso in config/config.yaml (with any --config or --configfile overrides):\n"
            "  - nodes.acu: treatment code 'cupping' is not in treatments.csv\n") in text
    assert text.endswith("Nothing was built. Fix the raw tables and the config, and run again.")
    # Without the config's slip, the raw tables' problem alone, as before.
    with pytest.raises(RawDataError) as info:
        make_plan(config(), root)
    assert "Also in" not in str(info.value)
    assert str(info.value).endswith("Nothing was built. Fix the raw tables and run again.")


def test_a_config_the_schema_refuses_is_said_with_the_raw_tables_problems(root: Path) -> None:
    # The schema's check runs before the tables are read: a mistyped key and a mistyped
    # cell were said in two runs. Both now, the tables' first, as make_plan says them.
    _edit_raw(root, "arm_outcomes", "S1,a,pain,VAS,6,final,30,", "S1,a,pain,VAS,6,final,thirty,")
    cfg = config()
    cfg["methods"]["levle"] = 90
    with pytest.raises(ConfigError) as info:
        check_config_schema(cfg, ROOT / "config" / "schemas" / "config.schema.yaml")
    text = with_raw_problems(cfg, root, info.value)
    assert text.startswith("1 problem(s) in the raw data:\n  - raw/arm_outcomes.csv, row 2, column 'n'")
    assert f"\nAlso in {info.value}\n" in text and "levle" in text
    assert text.endswith("Nothing was built. Fix the raw tables and the config, and run again.")
    # Tables that read and a config that cross-checks, or folders the config does not name
    # as text: the schema's problems alone.
    _edit_raw(root, "arm_outcomes", "S1,a,pain,VAS,6,final,thirty,", "S1,a,pain,VAS,6,final,30,")
    assert with_raw_problems(cfg, root, info.value) == str(info.value)
    assert with_raw_problems({**cfg, "raw_dir": 3}, root, info.value) == str(info.value)
    # A folder that is not there is named after them, as make_plan names it.
    assert with_raw_problems({**cfg, "raw_dir": "nowhere"}, root, info.value) == (
        f"{info.value}\nconfig/config.yaml (with any --config or --configfile overrides):\n"
        "  - raw_dir: expected the folder of the raw tables, found nothing at 'nowhere'")


def _schema_refusal(cfg: dict[str, Any]) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        check_config_schema(cfg, SCHEMA)
    return info.value


def test_the_cross_checks_are_made_in_the_run_that_the_schema_refuses_the_config(root: Path) -> None:
    # A misspelt key, a level as a percentage string and an outcome one letter off: the
    # schema's check named the first two, and the third waited for the next run.
    cfg = config()
    cfg["analyses"][0]["comparater"] = cfg["analyses"][0].pop("comparator")
    cfg["methods"]["level"] = "95%"
    cfg["analyses"][5]["outcome"] = "disabilty"
    path = root / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    lines = config_key_lines([path], cfg)
    error = _schema_refusal(cfg)
    assert "disabilty" not in str(error)
    text = with_raw_problems(cfg, root, error, lines)
    schema_part, cross = text.split("\nconfig/config.yaml (with any --config or --configfile overrides):\n")
    assert schema_part == str(error) and "comparater" in schema_part and "'95%'" in schema_part
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "disabilty" in t)
    assert cross == (f"  - analyses[5] (acu_vs_sham_disability, {path.as_posix()} line {line}): outcome 'disabilty' is "
                     "not in outcomes (expected one of disability, pain); did you mean 'disability'?")
    # The same problem the next run names, once the schema's are mended.
    cfg["analyses"][0]["comparator"] = cfg["analyses"][0].pop("comparater")
    cfg["methods"]["level"] = 95
    with pytest.raises(ConfigError) as info:
        check_config(cfg, read_raw(root / "raw", root / "schemas"), lines)
    assert str(info.value).endswith(cross)


def test_a_cross_check_that_reads_a_key_the_schema_refused_waits_for_it(root: Path) -> None:
    cfg = config()
    # The comparator misspelt: whether it is the intervention's node is not known.
    cfg["analyses"][1].update(intervention="sham", comparater="sham")
    del cfg["analyses"][1]["comparator"]
    # The outcome's type misspelt: RR on it is not "for binary outcomes, but pain is continuous".
    cfg["outcomes"]["responder"] = {"label": "Responders", "typ": "binary"}
    cfg["analyses"].append({"id": "acu_vs_sham_responders", "intervention": "acu", "comparator": "sham",
                            "outcome": "responder", "window": "short", "measure": "RR", "events": "beneficial"})
    # Weeks as words: no comparison of them, and no traceback for comparing text with numbers.
    cfg["windows"]["short"]["max_weeks"] = "twelve"
    cfg["windows"]["long"] = {"label": "Long", "target_weeks": 26, "min_weeks": 10, "max_weeks": 52}
    # A node that is not a mapping, another not a node at all, and a study not in the review.
    cfg["nodes"]["sham"] = "sham_acupuncture"
    cfg["analyses"][4]["comparator"] = "acupunture"
    cfg["analyses"][0]["certainty"] = {"studies": ["S9"]}
    error = _schema_refusal(cfg)
    text = with_raw_problems(cfg, root, error)
    cross = text[len(str(error)):]
    assert "same node" not in cross and "continuous" not in cross and "share" not in cross
    assert "min_weeks <= target_weeks" not in cross
    # The checks that read none of them are made.
    assert "analyses[4] (dn_vs_acu): comparator 'acupunture' is not a node" in cross
    assert "analyses[0] (acu_vs_sham): certainty.studies: 'S9' is not a study_id of studies.csv" in cross
    # With the schema's problems mended, the ones that waited are made too.
    cfg["analyses"][1]["comparator"] = cfg["analyses"][1].pop("comparater")
    # (a continuous outcome, once the misspelt key is gone: the check then holds)
    cfg["outcomes"]["responder"] = {"label": "Responders", "scale_min": 0, "scale_max": 1}
    cfg["windows"]["short"]["max_weeks"] = 12
    cfg["nodes"]["sham"] = {"label": "Sham", "treatments": ["sham_acupuncture"]}
    check_config_schema(cfg, SCHEMA)
    with pytest.raises(ConfigError) as info:
        check_config(cfg, read_raw(root / "raw", root / "schemas"))
    assert "same node" in str(info.value) and "share weeks 10 to 12" in str(info.value)
    assert "outcome 'responder' is continuous" in str(info.value)


def test_a_config_key_naming_a_refused_row_is_not_faulted(root: Path) -> None:
    # massage's row is refused for its role, S4's for its design: the config naming them
    # may name them right, and is held to them once the rows read.
    _edit_raw(root, "treatments", "massage,Massage,active", "massage,Massage,activ")
    _edit_raw(root, "studies", "S4,Study 4,rct,", "S4,Study 4,rtc,")
    cfg = config()
    cfg["nodes"]["other"] = {"label": "Massage", "treatments": ["massage"]}
    cfg["analyses"][0]["certainty"] = {"studies": ["S4", "S9"]}
    with pytest.raises(RawDataError) as info:
        make_plan(cfg, root)
    assert [p.column for p in info.value.problems] == ["role", "design"]
    config_lines = [line for line in str(info.value).splitlines() if line.startswith(("  - analyses", "  - nodes"))]
    assert config_lines == [
        ("  - analyses[0] (acu_vs_sham): certainty.studies: 'S9' is not a study_id of studies.csv (a study taken "
         "out of the review is taken out of certainty.studies too, and the judgements made again)")]


def test_node_may_not_take_the_unnamed_name(root: Path) -> None:
    cfg = config()
    cfg["nodes"][UNNAMED] = {"label": "Controls", "treatments": ["massage"]}
    assert problems_of(cfg, root) == [
        f"nodes.{UNNAMED}: the name is reserved for comparators the sources do not name; choose another node name"]


def test_analysis_problems(root: Path) -> None:
    cfg = config()
    cfg["analyses"][1] = dict(cfg["analyses"][0])  # duplicate id
    cfg["analyses"][2].update(intervention="needles", comparator="needles")
    cfg["analyses"][4] = {**cfg["analyses"][0], "id": "typo", "comparator": "shame"}
    cfg["analyses"][3].update(outcome="sleep", window="long")
    cfg["analyses"][5]["window"] = "shortterm"
    assert problems_of(cfg, root) == [
        ("analyses[1] (acu_vs_sham): id already used by analyses[0] (expected an id no other analysis or indirect "
         "comparison has)"),
        # The review's own nodes, and the pseudo-node of unnamed comparators said apart: listed
        # among them, a team took unnamed_control for a node of its review it never defined.
        ("analyses[2] (acu_vs_unnamed): intervention 'needles' is not a node (expected one of acu, dn, sham, or "
         "unnamed_control for a comparator its source does not name)"),
        ("analyses[2] (acu_vs_unnamed): comparator 'needles' is not a node (expected one of acu, dn, sham, or "
         "unnamed_control for a comparator its source does not name)"),
        ("analyses[2] (acu_vs_unnamed): intervention and comparator are the same node, 'needles' (a node's "
         "treatments are one intervention, their arms combined: to compare two of them, give each a node of its "
         "own)"),
        "analyses[3] (dn_vs_unnamed): outcome 'sleep' is not in outcomes (expected one of disability, pain)",
        "analyses[3] (dn_vs_unnamed): window 'long' is not in windows (expected one of short)",
        ("analyses[4] (typo): comparator 'shame' is not a node (expected one of acu, dn, sham, or unnamed_control "
         "for a comparator its source does not name); did you mean 'sham' (Sham)?"),
        ("analyses[5] (acu_vs_sham_disability): window 'shortterm' is not in windows (expected one of short); "
         "did you mean 'short'?"),
    ]


@pytest.mark.parametrize(("method", "test"), [("EE", "knha"), ("FE", "adhoc")])
def test_knapp_hartung_with_an_equal_effects_model_is_refused(root: Path, method: str, test: str) -> None:
    # metafor fits it with a warning ("Knapp & Hartung method is not meant to be used in the
    # context of EE models"); the config names both keys instead, before any job runs.
    cfg = config()
    cfg["methods"].update(method=method, test=test)
    assert problems_of(cfg, root) == [
        (f"methods.test: '{test}' (Knapp-Hartung) is for random-effects models, not methods.method '{method}': "
         "use test z (or t) with an equal- or fixed-effects model, or a random-effects method such as REML")]
    cfg["methods"]["test"] = "z"
    check_config(cfg, read_raw(root / "raw", root / "schemas"))


def test_window_and_indirect_problems(root: Path) -> None:
    cfg = config()
    cfg["windows"]["short"]["target_weeks"] = 20
    cfg["indirect"].append({"id": "acu_vs_sham", "treatment_a": "sham", "treatment_b": "sham", "outcome": "qol",
                            "window": "mid", "measure": "SMD"})
    cfg["indirect"].append({"id": "x", "treatment_a": UNNAMED, "treatment_b": "acu", "outcome": "pain",
                            "window": "short", "measure": "SMD"})
    assert problems_of(cfg, root) == [
        (f"windows.short: expected min_weeks <= target_weeks <= max_weeks, found {cfg['windows']['short']['min_weeks']:g}, "
         f"20 and {cfg['windows']['short']['max_weeks']:g}"),
        ("indirect[1] (acu_vs_sham): id already used by analyses[0] (expected an id no other analysis or indirect "
         "comparison has)"),
        "indirect[1] (acu_vs_sham): treatment_a and treatment_b are the same node",
        "indirect[1] (acu_vs_sham): outcome 'qol' is not in outcomes (expected one of disability, pain)",
        "indirect[1] (acu_vs_sham): window 'mid' is not in windows (expected one of short)",
        f"indirect[2] (x): treatment_a '{UNNAMED}' is not a node (expected one of acu, dn, sham)",
    ]


def test_an_indirect_outcome_the_review_does_not_define_is_refused_with_the_name_meant(root: Path) -> None:
    # A letter transposed: refused before any job runs, the outcome meant offered, as an
    # analysis's outcome is.
    cfg = config()
    cfg["indirect"][0]["outcome"] = "disabilty"
    assert problems_of(cfg, root) == [
        ("indirect[0] (dn_vs_acu_indirect): outcome 'disabilty' is not in outcomes (expected one of disability, "
         "pain); did you mean 'disability'?")]
    # So are a node and a window a letter or two off.
    cfg = config()
    cfg["indirect"][0].update(treatment_a="dnn", treatment_b="acus", window="shrt")
    assert problems_of(cfg, root) == [
        "indirect[0] (dn_vs_acu_indirect): treatment_a 'dnn' is not a node (expected one of acu, dn, sham); did you mean 'dn' (Dry needling)?",
        ("indirect[0] (dn_vs_acu_indirect): treatment_b 'acus' is not a node (expected one of acu, dn, sham); "
         "did you mean 'acu' (Acupuncture)?"),
        ("indirect[0] (dn_vs_acu_indirect): window 'shrt' is not in windows (expected one of short); "
         "did you mean 'short'?"),
    ]


def test_an_indirect_measure_not_of_its_outcome_s_kind_is_refused(root: Path) -> None:
    # No analysis of a binary outcome may be on an SMD, nor one of a continuous outcome on
    # a risk ratio: such a comparison could never have a side, and only the report would say so.
    cfg = config()
    cfg["outcomes"]["responder"] = {"label": "Responders", "type": "binary"}
    cfg["indirect"][0]["outcome"] = "responder"
    cfg["indirect"].append({**cfg["indirect"][0], "id": "dn_vs_acu_rr", "outcome": "pain", "measure": "RR"})
    assert problems_of(cfg, root) == [
        ("indirect[0] (dn_vs_acu_indirect): measure SMD is for continuous outcomes, but outcome 'responder' is "
         "binary (expected one of OR, RD, RR)"),
        ("indirect[1] (dn_vs_acu_rr): measure RR is for binary outcomes, but outcome 'pain' is continuous "
         "(expected one of MD, SMD)"),
    ]
    cfg["indirect"][0]["measure"] = "RR"
    cfg["indirect"][1]["measure"] = "MD"
    check_config(cfg, read_raw(root / "raw", root / "schemas"))


def test_an_indirect_outcome_the_review_defines_but_analyses_nowhere_is_allowed(root: Path) -> None:
    # The entry states the review's question; that the review defines no analysis to
    # answer it on this outcome is the review's choice, which the report states in the
    # comparison's section and the summary (tests/unit/test_report.py), not a slip.
    cfg = config()
    cfg["outcomes"]["responder"] = {"label": "Responders", "type": "binary"}
    cfg["indirect"].append({"id": "dn_vs_acu_responders", "treatment_a": "dn", "treatment_b": "acu",
                            "outcome": "responder", "window": "short", "measure": "RR"})
    cfg["indirect"].append({**cfg["indirect"][0], "id": "dn_vs_acu_disability", "outcome": "disability"})
    assert not [a for a in cfg["analyses"] if a["outcome"] == "responder"]
    check_config(cfg, read_raw(root / "raw", root / "schemas"))
    plan = make_plan(cfg, root)
    assert plan.indirect_inputs["dn_vs_acu_responders"] == []
    # The one disability analysis (acupuncture against sham) is its input.
    assert plan.indirect_inputs["dn_vs_acu_disability"] == ["acu_vs_sham_disability"]
    # Allowed, but said at the start of the build, lest a slip of outcome go unseen until
    # the report: the entry on responders, which no analysis has, not the one on disability.
    source = "config/config.yaml (with any --config or --configfile overrides)"
    assert unanalysed_indirect(cfg) == [
        (f"{source}: indirect[1] (dn_vs_acu_responders): no analysis is of outcome 'responder' in window 'short'"
         ": neither side of the comparison can be estimated, and the report will say that the review defines no "
         "analysis there (the analyses' outcomes and windows: disability in short, pain in short)")]
    # A window a letter or two off one the outcome is analysed in: the pair meant is offered.
    cfg["windows"]["shorts"] = {**cfg["windows"]["short"], "label": "Shorts", "min_weeks": 13, "max_weeks": 26,
                                "target_weeks": 20}
    cfg["indirect"][2]["window"] = "shorts"
    assert unanalysed_indirect(cfg)[1].endswith(
        "(the analyses' outcomes and windows: disability in short, pain in short); did you mean outcome "
        "'disability' in window 'short'?")
    assert unanalysed_indirect(config()) == []
    # With the line of the entry's outcome, as the config's problems have theirs.
    cfg["indirect"].pop()
    path = root / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    line = _line_of(path.read_text(encoding="utf-8"), "  outcome: responder")
    [unplaced] = unanalysed_indirect(cfg)
    assert unanalysed_indirect(cfg, config_key_lines([path], cfg)) == [unplaced.replace(
        "indirect[1] (dn_vs_acu_responders):", f"indirect[1] (dn_vs_acu_responders, {path.as_posix()} line {line}):")]
    assert f"line {line}" not in unplaced


def test_a_window_label_whose_weeks_are_not_the_windows_is_a_problem(root: Path) -> None:
    # target_weeks changed from 6 to 8, the label left as it was: the forest plots print
    # the label under each title, and would say "nearest to 6 weeks" of an 8-week target.
    cfg = config()
    short = cfg["windows"]["short"]
    short["label"] = "Short term (1 to 12 weeks, nearest to 6 weeks)"
    check_config(cfg, read_raw(root / "raw", root / "schemas"))
    short["target_weeks"] = 8
    assert problems_of(cfg, root) == [
        ("windows.short.label: 'Short term (1 to 12 weeks, nearest to 6 weeks)' says nearest to 6 weeks where "
         "target_weeks is 8 (expected the label's weeks to be the window's: edit them with the numbers, or leave "
         "them out of the label, as the report gives the weeks from the numbers)")]
    # A range that is not the window's, written with a hyphen; both said in one problem.
    short.update(label="Short term (1-10 weeks, nearest to 6 weeks)", target_weeks=6)
    [problem] = problems_of(cfg, root)
    assert "says 1 to 10 weeks where min_weeks and max_weeks are 1 and 12" in problem
    short["target_weeks"] = 7
    [problem] = problems_of(cfg, root)
    assert "max_weeks are 1 and 12 and nearest to 6 weeks where target_weeks is 7" in problem
    # A label without weeks says nothing to disagree with.
    short["label"] = "Short term"
    check_config(cfg, read_raw(root / "raw", root / "schemas"))


def test_a_window_label_in_months_or_years_is_held_to_the_windows_weeks(root: Path) -> None:
    # "Follow-up (up to 1 year)" with max_weeks 520, ten years: a year is read as a
    # timepoint's label is, 52.18 weeks less a slack of 4.2, give or take half a week
    # rounding: 52.18 - 4.2 - 0.5 = 47.48 to 52.18 + 0.5 = 52.68 weeks.
    cfg = config()
    cfg["windows"]["long"] = {"label": "Follow-up (up to 1 year)", "target_weeks": 52, "min_weeks": 13,
                              "max_weeks": 520}
    assert problems_of(cfg, root) == [
        ("windows.long.label: 'Follow-up (up to 1 year)' says up to 1 year (47.5 to 52.7 weeks) where "
         "max_weeks is 520 (expected the label's weeks to be the window's: edit them with the numbers, or leave "
         "them out of the label, as the report gives the weeks from the numbers)")]
    # 48 and 52 weeks are both a year as trials enter it; 53 is not.
    for weeks in (48, 52):
        cfg["windows"]["long"].update(max_weeks=weeks, target_weeks=weeks)
        check_config(cfg, read_raw(root / "raw", root / "schemas"))
    cfg["windows"]["long"].update(max_weeks=53, target_weeks=52)
    [problem] = problems_of(cfg, root)
    assert "says up to 1 year (47.5 to 52.7 weeks) where max_weeks is 53 (expected" in problem
    # A range in months: 3 months are 3 * (4.345 - 0.35) - 0.5 = 11.485 to 3 * 4.345 + 0.5 = 13.535
    # weeks, and a window may start the week after a shorter one ends (14); 12 months are
    # 47.44 to 52.64 weeks; the message gives them to a tenth of a week.
    cfg["windows"]["long"] = {"label": "Intermediate (3 to 12 months, nearest to 6 months)", "target_weeks": 26,
                              "min_weeks": 14, "max_weeks": 52}
    check_config(cfg, read_raw(root / "raw", root / "schemas"))
    cfg["windows"]["long"].update(min_weeks=20, target_weeks=30)
    [problem] = problems_of(cfg, root)
    assert ("says 3 to 12 months (11.5 to 13.5 and 47.4 to 52.6 weeks) where min_weeks and max_weeks are "
            "20 and 52 and nearest to 6 months (23.5 to 26.6 weeks) where target_weeks is 30") in problem
    # Years in the plural, and the range form: "1-2 years" from week 53 holds, to week 520 does not.
    cfg["windows"]["long"] = {"label": "Long term (1-2 years)", "target_weeks": 60, "min_weeks": 53,
                              "max_weeks": 104}
    check_config(cfg, read_raw(root / "raw", root / "schemas"))
    cfg["windows"]["long"]["max_weeks"] = 520
    [problem] = problems_of(cfg, root)
    assert problem.startswith("windows.long.label: 'Long term (1-2 years)' says 1 to 2 years (47.5 to 52.7 and "
                              "95.5 to 104.9 weeks) where min_weeks and max_weeks are 53 and 520 (expected")


def test_a_window_label_in_words_is_held_to_the_windows_weeks(root: Path) -> None:
    # Numbers in words, one to twenty-four, read as digits are: "up to one year" with
    # max_weeks 520 says 47.48 to 52.68 weeks (52.18 - 4.2 - 0.5 to 52.18 + 0.5).
    cfg = config()
    cfg["windows"]["long"] = {"label": "Follow-up (up to one year)", "target_weeks": 52, "min_weeks": 13,
                              "max_weeks": 520}
    [problem] = problems_of(cfg, root)
    assert problem.startswith("windows.long.label: 'Follow-up (up to one year)' says up to one year (47.5 to 52.7 "
                              "weeks) where max_weeks is 520 (expected")
    cfg["windows"]["long"]["max_weeks"] = 52
    check_config(cfg, read_raw(root / "raw", root / "schemas"))
    # A range and a target in words; "twenty-four" is one number, not the range 20 to 4.
    short = cfg["windows"]["short"]
    short["label"] = "Short term (one to twelve weeks, nearest to six weeks)"
    check_config(cfg, read_raw(root / "raw", root / "schemas"))
    short["target_weeks"] = 8
    [problem] = problems_of(cfg, root)
    assert "says nearest to six weeks where target_weeks is 8 (expected" in problem
    cfg["windows"]["long"] = {"label": "Long term (twenty-one to twenty-four months)", "target_weeks": 95,
                              "min_weeks": 90, "max_weeks": 104}
    short.update(label="Short term (twenty-four weeks)", target_weeks=6)
    check_config(cfg, read_raw(root / "raw", root / "schemas"))
    # 21 months are 21 * (4.345 - 0.35) - 0.5 = 83.395 to 21 * 4.345 + 0.5 = 91.745 weeks,
    # so a window from week 80 starts outside them, not the week after.
    cfg["windows"]["long"]["min_weeks"] = 80
    [problem] = problems_of(cfg, root)
    assert "says twenty-one to twenty-four months (83.4 to 91.7 and 95.4 to 104.8 weeks) where min_weeks" in problem


@pytest.mark.parametrize("label", ["Long term (up to thirty-six months)", "Long term (thirty-one to 36 weeks)",
                                   "Long term (nearest to thirty-six weeks)", "Long term (nearest to one of the visits)",
                                   "Someone to six weeks"])
def test_a_window_label_s_words_that_are_no_weeks_of_its_own_are_not_read(root: Path, label: str) -> None:
    # Not the last word of a larger number ("thirty-six" is not six), a number word
    # without a unit, or one inside another word: none stops the build.
    cfg = config()
    cfg["windows"]["long"] = {"label": label, "target_weeks": 16, "min_weeks": 13, "max_weeks": 20}
    check_config(cfg, read_raw(root / "raw", root / "schemas"))


def test_report_detailed_must_name_analyses(root: Path) -> None:
    cfg = config()
    cfg["report"] = {"detailed": ["acu_vs_sham", "acu_vs_placebo"]}
    assert problems_of(cfg, root) == ["report.detailed: 'acu_vs_placebo' is not the id of an analysis"]
    # A letter or two off: the id meant is offered.
    cfg["report"] = {"detailed": ["acu_vs_shm"]}
    assert problems_of(cfg, root) == [("report.detailed: 'acu_vs_shm' is not the id of an analysis; did you mean "
                                       "'acu_vs_sham'?")]
    cfg["report"]["detailed"] = ["acu_vs_sham"]
    check_config(cfg, read_raw(root / "raw", root / "schemas"))


def test_grade_judgements_reach_the_report_only(root: Path) -> None:
    # The analysis and its studies' effects jobs see the entry without its judgements (and
    # its assumed comparator risk), so that rating a domain reruns the report alone (their
    # params hold what they see).
    cfg = config()
    cfg["analyses"][0]["certainty"] = {"studies": ["S1", "S3"], "imprecision": {"rating": "not_serious"}}
    cfg["outcomes"]["responder"] = {"label": "Responders", "type": "binary"}
    # (the two judged studies say something of responders: they can enter the analysis)
    statements = root / "raw" / "statements.csv"
    row = statements.read_text(encoding="utf-8").splitlines()[1]
    assert row.startswith("S1,a,disability,")
    more = [row.replace("S1,a,disability,", f"{s},a,responder,", 1) for s in ("S1", "S3")]
    statements.write_text(statements.read_text(encoding="utf-8") + "\n".join(more) + "\n", encoding="utf-8")
    cfg["analyses"][0].update(measure="RR", outcome="responder", events="beneficial",
                              comparator_risk={"value": 0.3, "source": "a cohort"},
                              risk_scenarios=[{"label": "High risk", "value": 0.6, "source": "a cohort"}])
    plain = make_plan(copy.deepcopy({**cfg, "analyses": [
        {k: v for k, v in a.items() if k not in ("certainty", "comparator_risk", "risk_scenarios")}
        for a in cfg["analyses"]]}), root)
    plan = make_plan(cfg, root)
    assert "certainty" not in plan.analysis("acu_vs_sham") and "comparator_risk" not in plan.analysis("acu_vs_sham")
    assert plan.analysis("acu_vs_sham") == plain.analysis("acu_vs_sham")
    assert plan.analyses_of_study("S1") == plain.analyses_of_study("S1")
    assert plan.config["analyses"][0]["certainty"]["studies"] == ["S1", "S3"]


def test_an_assumed_comparator_risk_is_for_binary_measures(root: Path) -> None:
    cfg = config()
    cfg["analyses"][0]["comparator_risk"] = {"value": 0.3, "source": "a cohort"}
    cfg["analyses"][0]["risk_scenarios"] = [{"label": "High risk", "value": 0.6, "source": "a cohort"}]
    measure = cfg["analyses"][0]["measure"]
    assert problems_of(cfg, root) == [
        f"analyses[0] (acu_vs_sham): comparator_risk applies to RR, OR and RD only, not {measure}",
        f"analyses[0] (acu_vs_sham): risk_scenarios applies to RR, OR and RD only, not {measure}"]


def test_grade_judgements_must_name_studies_of_the_review(root: Path) -> None:
    cfg = config()
    cfg["analyses"][0]["certainty"] = {"studies": ["S1", "S9"]}
    assert problems_of(cfg, root) == [
        ("analyses[0] (acu_vs_sham): certainty.studies: 'S9' is not a study_id of studies.csv (a study taken out "
         "of the review is taken out of certainty.studies too, and the judgements made again)")]


def test_make_plan_runs_the_checks(root: Path) -> None:
    cfg = copy.deepcopy(config())
    cfg["analyses"][0]["outcome"] = "sleep"
    with pytest.raises(ConfigError, match=r"analyses\[0\] \(acu_vs_sham\): outcome 'sleep' is not in outcomes"):
        make_plan(cfg, root)


@pytest.mark.parametrize(("key", "value", "found"), [
    ("raw_dir", "Raw", "raw_dir: expected the folder of the raw tables, found nothing at 'Raw'; did you mean 'raw'?"),
    ("raw_dir", "raw/sources.csv", ("raw_dir: expected the folder of the raw tables, found a file at "
                                    "'raw/sources.csv'")),
    ("schema_dir", "schema", ("schema_dir: expected the folder of the raw tables' schemas, found nothing at "
                              "'schema'; did you mean 'schemas'?")),
])
def test_a_folder_setting_that_names_no_folder_is_one_problem_of_the_config(root: Path, key: str, value: str,
                                                                             found: str) -> None:
    # It was one problem for each of the ten tables, "expected the file to exist", closed
    # by "Fix the raw tables and run again": the slip is the setting's.
    cfg = copy.deepcopy(config())
    cfg[key] = value
    with pytest.raises(ConfigError) as info:
        make_plan(cfg, root)
    assert str(info.value) == f"config/config.yaml (with any --config or --configfile overrides):\n  - {found}"


def test_project_config_matches_project_data() -> None:
    with open(ROOT / "config" / "config.yaml", encoding="utf-8") as fh:
        cfg = yaml.safe_load(fh)
    plan = make_plan(cfg, ROOT)
    assert set(plan.candidates) == set(plan.analyses)
    assert all(set(c) <= set(plan.studies) for c in plan.candidates.values())


def test_a_measure_must_match_its_outcome_type():
    from metareview import plan as plan_module

    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    raw = plan_module.read_raw(ROOT / "data" / "raw", ROOT / "config" / "schemas" / "raw")
    bad = copy.deepcopy(config)
    bad["analyses"][0] = {**bad["analyses"][0], "measure": "RR", "events": "beneficial"}
    with pytest.raises(plan_module.ConfigError, match="is for binary outcomes"):
        plan_module.check_config(bad, raw)


@pytest.mark.parametrize(("text", "message"), [
    ("methods:\n  level: 95\n  test: z\n  level: 90\n",
     ("config/config.yaml line 4: key 'level' given twice in one mapping (first at line 2); the second would "
      "silently replace the first")),
    ("analyses:\n  - id: a\n    id: b\n", "config/config.yaml line 3: key 'id' given twice"),
    ("methods:\n  level: 95\n   test: z\n",
     ("config/config.yaml line 3, column 8: not valid YAML: mapping values are not allowed here (a "
      "common cause: a key indented unlike the keys beside it, a key without its ':', or a tab; here the key "
      "above, 'level' at line 2, starts at column 3, and line 3 at column 4: the keys of one mapping start at one "
      "column, so look at the keys above as well as this line)")),
    # A key dedented by mistake: the key below it, indented as it should be, is the one
    # YAML refuses, lines later; the key above is named.
    (("report:\n  renderer: auto\nmethods:\n  # the estimator\n\n  method: REML\ntest: z\n  # the level\n"
      "  # in percent\n\n  level: 95\n"),
     ("config/config.yaml line 11, column 3: not valid YAML: while parsing a block mapping; expected <block end>, "
      "but found '<block mapping start>' (a common cause: a key indented unlike the keys beside it, a key without "
      "its ':', or a tab; here the key above, 'test' at line 7, starts at column 1, and line 11 at column 3")),
    # The first key of a mapping indented further than the rest.
    ("analyses:\n  - id: a\n    measure: MD\n  outcome: pain\n",
     ("config/config.yaml line 4, column 3: not valid YAML: while parsing a block collection; expected <block end>, "
      "but found '?' (a common cause: a key indented unlike the keys beside it, a key without its ':', or a tab; "
      "here the key above, 'measure' at line 3, starts at column 5, and line 4 at column 3")),
    ("methods:\n\tlevel: 95\n", "config/config.yaml line 2, column 1: not valid YAML: "),
    # A key without its colon is noticed on the next line; the line named is the key's.
    ("methods:\n  method: REML\n  level 95\n  test: knha\n",
     ("config/config.yaml line 3, column 3: not valid YAML: while scanning a simple key; could not find expected "
      "':' (noticed at line 4)")),
    ("methods:\n  method: REML\n  level 95\n", "config/config.yaml line 3, column 3: not valid YAML: "),
    # The first key of a mapping: YAML reads "level 95 test" as one scalar, refused at its ':'.
    ("methods:\n  level 95\n\n  # the test\n  test: knha\n",
     "config/config.yaml line 2, column 3: not valid YAML: "),
    ("methods:\n  level 95\n  test: knha\n",
     ("config/config.yaml line 2, column 3: not valid YAML: mapping values are not allowed here (noticed at line "
      "3, column 7)")),
    # A tab after a colon: libyaml takes it, Snakemake's loader does not. The key of the
    # mapping the line is under is not said to be indented otherwise.
    ("methods:\n  test:\tknha\n", "config/config.yaml line 2, column 8: not valid YAML: "),
    ("methods:\n  test:\tknha\n",
     ("config/config.yaml line 2, column 8: not valid YAML: while scanning for the next token; found character "
      "'\\t' that cannot start any token (a common cause: a key indented unlike the keys beside it, a key without "
      "its ':', or a tab)")),
])
def test_a_config_file_with_a_key_twice_or_a_yaml_slip_is_named_by_line(tmp_path: Path, text: str,
                                                                        message: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        check_config_file(path, label="config/config.yaml")
    assert str(exc.value).startswith(message)
    # The same keys in different mappings are no repeat, and the example config passes.
    path.write_text("methods:\n  level: 95\nreport:\n  level: 95\n", encoding="utf-8")
    check_config_file(path)
    # YAML merge keys: a key written beside a merge overrides the merged one.
    path.write_text("defaults: &d {window: short, measure: MD}\nanalyses:\n  - <<: *d\n    id: a\n"
                    "    measure: SMD\n  - {<<: *d, id: b}\n", encoding="utf-8")
    check_config_file(path)
    check_config_file(ROOT / "config" / "config.yaml")


@pytest.mark.parametrize(("text", "found"), [
    ("", "empty, no keys"),
    ("# to be written\n\n", "empty, no keys"),
    ("- review\n- analyses\n", "not a mapping of keys to values but a YAML list"),
    ("review analyses\n", "not a mapping of keys to values but a YAML scalar"),
])
def test_a_config_file_without_keys_is_named_with_what_it_holds(tmp_path: Path, text: str, found: str) -> None:
    # Snakemake refuses such a file with words that name neither the file nor what it held.
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        check_config_file(path, label="variant.yaml")
    assert str(exc.value) == (f"variant.yaml: {found} (expected a YAML file of config keys, such as `review:` and "
                              "`analyses:`)")


def test_the_workflows_config_file_is_needed_only_without_another(tmp_path: Path) -> None:
    missing = tmp_path / "config" / "config.yaml"
    with pytest.raises(ConfigError) as exc:
        check_config_files(missing)
    assert str(exc.value).startswith(f"{missing.as_posix()}: no such file (expected the review definition")
    # With --configfile, Snakemake builds the config from the files given.
    variant = tmp_path / "variant.yaml"
    variant.write_text("methods: {level: 90}\n", encoding="utf-8")
    check_config_files(missing, [variant])
    # Each file given is checked, named as given.
    variant.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^.*variant\.yaml: empty, no keys"):
        check_config_files(missing, [variant])


def test_a_config_file_in_another_encoding_is_named_by_line_and_column(tmp_path: Path) -> None:
    # "Sjölund" saved as Windows-1252: ö is the one byte 0xf6, at line 3, column 15 (after
    # 'nodes:', '  dn:' and the 14 characters '    label: "Sj'). Before, a UnicodeDecodeError
    # traceback stopped the build.
    path = tmp_path / "config.yaml"
    path.write_bytes('nodes:\n  dn:\n    label: "Sjölund"\n'.encode("cp1252"))
    with pytest.raises(ConfigError) as exc:
        check_config_file(path, label="config/config.yaml")
    assert str(exc.value).startswith("config/config.yaml line 3, column 15: expected UTF-8 text, found byte 0xf6")
    assert "save it as UTF-8" in str(exc.value)


def test_a_stopped_build_says_the_report_on_disk_is_the_last_builds(tmp_path: Path) -> None:
    assert stop_message("bad", tmp_path) == "bad"
    (tmp_path / "build" / "report").mkdir(parents=True)
    (tmp_path / "build" / "report" / "report.html").write_text("", encoding="utf-8")
    assert stop_message("bad", tmp_path) == f"bad\n{STALE_REPORT_NOTE}"
    # Right for a value refused from an edited file and for one given only with --config.
    assert STALE_REPORT_NOTE == ("The report in build/report/ is still the last complete build's, not one made from "
                                 "this run's inputs.")


def test_stale_outputs_are_those_of_ids_the_review_no_longer_has(tmp_path: Path) -> None:
    plan = Plan(config={"analyses": [{"id": "a_vs_b"}], "indirect": [{"id": "x_vs_y"}]}, raw=None, studies=["S1"],
                bundles={}, candidates={}, labels={}, node_of={})
    files = ["results/normalised/S1.json", "results/normalised/Gone.json", "results/effects/S1.json",
             "results/effects/Gone.json", "logs/study_effects/Gone.log", "results/analyses/a_vs_b.json",
             "results/analyses/a_vs_b.effects.csv", "results/analyses/old.json", "results/analyses/old.effects.csv",
             "results/report/figures/a_vs_b.forest.svg", "results/report/figures/old.forest.svg",
             "results/report/figures/old.forest.png", "logs/analyse/old.log", "results/indirect/x_vs_y.json",
             "results/indirect/z.json", "results/report/report.qmd", "results/analyses/notes.txt"]
    for f in files:
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_text("", encoding="utf-8")
    patterns = ["results/normalised/{study}.json", "results/effects/{study}.json", "logs/study_effects/{study}.log",
                "results/analyses/{analysis}.json", "results/analyses/{analysis}.effects.csv",
                "results/report/figures/{analysis}.forest.svg", "results/report/figures/{analysis}.forest.png",
                "logs/analyse/{analysis}.log", "results/indirect/{indirect}.json"]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in plan.stale_outputs(tmp_path, patterns)) == sorted([
        "results/normalised/Gone.json", "results/effects/Gone.json", "logs/study_effects/Gone.log",
        "results/analyses/old.json", "results/analyses/old.effects.csv", "results/report/figures/old.forest.svg",
        "results/report/figures/old.forest.png", "logs/analyse/old.log", "results/indirect/z.json"])
    assert plan.stale_outputs(tmp_path / "nothing-here", patterns) == []
    with pytest.raises(ValueError, match="one wildcard"):
        plan.stale_outputs(tmp_path, ["results/report/report.qmd"])


def test_strings_from_a_nested_config_override_become_the_numbers_the_schema_asks_for() -> None:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    # As `snakemake --config 'methods={level: 90}'` delivers them.
    cfg["methods"].update(level="90", min_studies="3")
    cfg["report"]["png_dpi"] = "100"
    cfg["indirect"][0]["show_unanchored"] = "false"
    coerce_config_strings(cfg, SCHEMA)
    assert (cfg["methods"]["level"], cfg["methods"]["min_studies"]) == (90, 3)
    assert cfg["report"]["png_dpi"] == 100 and cfg["indirect"][0]["show_unanchored"] is False
    check_config_schema(cfg, SCHEMA)
    # Strings where the schema asks for strings stay, and what does not read as the type
    # asked for is left for the schema to name.
    cfg["methods"].update(method="REML", min_studies="2.5")
    cfg["review"]["title"] = "123"
    coerce_config_strings(cfg, SCHEMA)
    assert (cfg["methods"]["method"], cfg["methods"]["min_studies"], cfg["review"]["title"]) == ("REML", "2.5", "123")
    with pytest.raises(ConfigError, match="methods.min_studies: expected a whole number, found '2.5'"):
        check_config_schema(cfg, SCHEMA)


def test_risk_scenarios_are_checked_by_the_schema() -> None:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    ids = [a["id"] for a in cfg["analyses"]]
    cfg["analyses"][0]["risk_scenarios"] = [{"label": " ", "value": 1.5, "source": "cohort"}, {"value": 0.2}]
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA)
    assert str(exc.value).splitlines()[1:] == [
        f"  - analyses[0] ({ids[0]}).risk_scenarios[0].label: ' ' does not match '\\\\S' (who the risk is of, not blank)",
        f"  - analyses[0] ({ids[0]}).risk_scenarios[0].value: expected at most 1, found 1.5",
        f"  - analyses[0] ({ids[0]}).risk_scenarios[1]: 'label' is a required property",
        f"  - analyses[0] ({ids[0]}).risk_scenarios[1]: 'source' is a required property",
    ]


def test_a_period_word_of_two_windows_is_a_problem(root: Path) -> None:
    # A label that uses two windows' terms is placed in neither window: a term listed for
    # two windows, or within another window's term, would leave every row that uses it out
    # of both windows' analyses, silently.
    cfg = config()
    cfg["windows"]["short"]["terms"] = ["short term", "post-treatment"]
    cfg["windows"]["mid"] = {"label": "Mid", "target_weeks": 26, "min_weeks": 13, "max_weeks": 26,
                             "terms": ["Post treatment", "term"]}
    assert problems_of(cfg, root) == [
        ("windows.mid.terms: 'Post treatment' is the same words as 'post-treatment' of windows.short, so a timepoint "
         "given as 'post-treatment' reads as both windows and is placed in neither (expected each window's terms to "
         "match no other window's)"),
        ("windows.mid.terms: 'term' is within 'short term' of windows.short, so a timepoint given as 'short term' "
         "reads as both windows and is placed in neither (expected each window's terms to match no other window's)"),
    ]
    # Terms of one window may overlap ("treatment", "end of treatment").
    cfg["windows"]["mid"]["terms"] = ["intermediate term"]
    cfg["windows"]["short"]["terms"] = ["treatment", "end of treatment", "short term"]
    check_config(cfg, read_raw(root / "raw", root / "schemas"))


def test_windows_that_share_a_week_are_a_problem(root: Path) -> None:
    # normalise.in_window counts both bounds in, so a timepoint at a shared week would be
    # taken by both windows' analyses. Short is 1 to 12 weeks.
    cfg = config()
    cfg["windows"]["mid"] = {"label": "Mid", "target_weeks": 26, "min_weeks": 12, "max_weeks": 26}
    cfg["windows"]["any"] = {"label": "Any", "target_weeks": 40, "min_weeks": 30, "max_weeks": 52}
    cfg["windows"]["late"] = {"label": "Late", "target_weeks": 52, "min_weeks": 52, "max_weeks": 52}
    expected = ("(expected windows whose weeks do not overlap: both bounds are inclusive, so a window that starts "
                "at the week another ends shares that week)")
    assert problems_of(cfg, root) == [
        # Touching at 12: max(1, 12) = 12 <= min(12, 26) = 12, one shared week.
        (f"windows.short (weeks 1 to 12) and windows.mid (weeks 12 to 26) share week 12, so a timepoint there would "
         f"enter both windows' analyses {expected}"),
        # 30 to 52 against the one-week window 52 to 52: max(30, 52) = 52 <= min(52, 52) = 52.
        (f"windows.any (weeks 30 to 52) and windows.late (weeks 52 to 52) share week 52, so a timepoint there would "
         f"enter both windows' analyses {expected}"),
    ]
    # A range shared: 10 to 12 (max(1, 10) to min(12, 26)).
    cfg = config()
    cfg["windows"]["mid"] = {"label": "Mid", "target_weeks": 26, "min_weeks": 10, "max_weeks": 26}
    assert problems_of(cfg, root) == [
        (f"windows.short (weeks 1 to 12) and windows.mid (weeks 10 to 26) share weeks 10 to 12, so a timepoint "
         f"there would enter both windows' analyses {expected}")]
    # Each window with the line it was typed on, where the config's lines are known.
    lines = {("windows", "short"): "config/config.yaml line 95", ("windows", "mid"): "config/config.yaml line 101"}
    with pytest.raises(ConfigError) as exc:
        check_config(cfg, read_raw(root / "raw", root / "schemas"), lines)
    assert ("windows.short (weeks 1 to 12; config/config.yaml line 95) and windows.mid (weeks 10 to 26; "
            "config/config.yaml line 101) share weeks 10 to 12") in str(exc.value)
    # Adjacent but apart, as the example's 1 to 12 and 13 to 26, or 12 and 12.5: no problem.
    for start in (13, 12.5):
        cfg["windows"]["mid"].update(min_weeks=start)
        check_config(cfg, read_raw(root / "raw", root / "schemas"))


def test_a_common_scale_the_wrong_way_round_is_a_problem(root: Path) -> None:
    # pain 10 to 0: the factor that puts a 0-100 VAS on it, (0 - 10) / (100 - 0), is
    # negative, and would turn the sign of every mean difference rescaled onto it.
    cfg = config()
    cfg["outcomes"]["pain"].update(scale_min=10, scale_max=0)
    assert problems_of(cfg, root) == [
        ("outcomes.pain: expected scale_min < scale_max, found 10 and 0 (lower is better on every common scale: the "
         "direction is not set by the order of the bounds)")]
    cfg["outcomes"]["pain"].update(scale_min=5, scale_max=5)
    assert problems_of(cfg, root)[0].startswith("outcomes.pain: expected scale_min < scale_max, found 5 and 5")


def test_study_jobs_read_no_label_and_analyses_only_their_own() -> None:
    from metareview.plan import analysis_labels, study_sections

    cfg = config()
    relabelled = copy.deepcopy(cfg)
    relabelled["nodes"]["sham"]["label"] = "Sham or placebo"
    relabelled["outcomes"]["pain"]["label"] = "Pain (0-10)"
    relabelled["windows"]["short"]["label"] = "Up to 12 weeks"
    assert study_sections(relabelled) == study_sections(cfg)
    # What places rows is still read: a treatment code moved reruns the studies.
    moved = copy.deepcopy(cfg)
    moved["nodes"]["sham"]["treatments"] = [*moved["nodes"]["sham"]["treatments"], "massage"]
    assert study_sections(moved) != study_sections(cfg)
    a = {"intervention": "acu", "comparator": "sham", "outcome": "pain", "window": "short"}
    labels = {"acu": "Acupuncture", "sham": "Sham", "dn": "Dry needling", "pain": "Pain", "short": "Short"}
    assert analysis_labels(a, labels) == {"acu": "Acupuncture", "sham": "Sham", "pain": "Pain", "short": "Short"}


def test_an_outcome_in_a_unit_needs_no_range_and_takes_none() -> None:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["outcomes"]["pain"] = {"label": "Days in hospital", "unit": "days"}
    check_config_schema(cfg, SCHEMA)

    def problems(outcome: dict[str, Any]) -> list[str]:
        with pytest.raises(ConfigError) as exc:
            check_config_schema({**cfg, "outcomes": {**cfg["outcomes"], "pain": outcome}}, SCHEMA)
        return str(exc.value).splitlines()[1:]

    # A range beside the unit would say the differences are points of a scale: refused.
    assert problems({"label": "Days", "unit": "days", "scale_min": 0, "scale_max": 365}) == [
        ("  - outcomes.pain: 'scale_max', 'scale_min' not allowed here (an outcome in a unit has no common scale: "
         "its mean differences are in that unit, so scale_min and scale_max are left out)")]
    [line] = problems({"label": "Days", "unit": "0-365 days"})
    assert line.startswith("  - outcomes.pain.unit: ") and "a letter (A-Z, a-z, \u00b5), % or \u00b0 first" in line
    assert problems({"label": "Days"}) == [
        (f"  - outcomes.pain: '{key}' is a required property (a continuous outcome needs its common scale "
         "(scale_min, scale_max) or its unit)") for key in ("scale_min", "scale_max")]
    [line] = problems({"label": "Responders", "type": "binary", "unit": "people"})
    assert "'unit' not allowed here (a binary outcome has no common scale)" in line


def test_a_minimal_important_difference_is_checked_by_the_schema() -> None:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["outcomes"]["pain"]["mid"] = {"value": 1.5, "source": "A published anchor-based study"}
    check_config_schema(cfg, SCHEMA)

    def problems(outcome: str, mid: Any) -> list[str]:
        with pytest.raises(ConfigError) as exc:
            check_config_schema({**cfg, "outcomes": {**cfg["outcomes"], outcome: {**cfg["outcomes"][outcome],
                                                                                  "mid": mid}}}, SCHEMA)
        return str(exc.value).splitlines()[1:]

    assert problems("pain", {"value": 1}) == ["  - outcomes.pain.mid: 'source' is a required property"]
    assert problems("pain", {"value": 0, "source": " "}) == [
        "  - outcomes.pain.mid.source: ' ' does not match '\\\\S' (the publication that set the MID, not blank)",
        ("  - outcomes.pain.mid.value: expected more than 0, found 0 (a positive difference on the outcome's "
         "common scale or in its unit)")]
    assert problems("pain", 1.5) == ["  - outcomes.pain.mid: expected a mapping of keys, found 1.5"]
    # A difference of means: responders' risk ratios have none.
    assert problems("responder", {"value": 1, "source": "S"}) == [
        ("  - outcomes.responder: 'mid' not allowed here (a minimal important difference is a difference on a "
         "continuous outcome's scale or in its unit; a binary outcome has none)")]


def test_an_mid_as_wide_as_the_common_scale_is_refused(root: Path) -> None:
    cfg = config()
    cfg["outcomes"]["pain"]["mid"] = {"value": 15, "source": "S"}
    assert problems_of(cfg, root) == [
        ("outcomes.pain: mid.value 15 is not less than the width of the common scale 0 to 10 (10): give the minimal "
         "important difference on that scale (a published MID on another instrument's range is rescaled to 0 to 10 "
         "first)")]
    cfg["outcomes"]["pain"]["mid"]["value"] = 10
    assert len(problems_of(cfg, root)) == 1
    cfg["outcomes"]["pain"]["mid"]["value"] = 9.5
    check_config(cfg, read_raw(root / "raw", root / "schemas"))
    # An outcome in a unit has no width to exceed.
    cfg["outcomes"]["pain"] = {"label": "Days", "unit": "days", "mid": {"value": 400, "source": "S"}}
    assert not any(p.startswith("outcomes.pain: mid") for p in _problems_or_none(cfg, root))


def _problems_or_none(cfg: dict[str, Any], root: Path) -> list[str]:
    try:
        check_config(cfg, read_raw(root / "raw", root / "schemas"))
    except ConfigError as exc:
        return [line.removeprefix("  - ") for line in str(exc).splitlines()[1:]]
    return []


def test_an_mid_reaches_no_study_job_nor_the_pooling(root: Path) -> None:
    # The study jobs, and the pooling in the analysis jobs, see each outcome without its
    # MID, so that setting one reruns no study (their params hold what they see).
    cfg = config()
    with_mid = copy.deepcopy(cfg)
    with_mid["outcomes"]["pain"]["mid"] = {"value": 1, "source": "S"}
    from metareview.plan import study_sections

    assert study_sections(with_mid) == study_sections(cfg)
    assert outcome_settings(with_mid["outcomes"]["pain"]) == cfg["outcomes"]["pain"]
    assert make_plan(with_mid, root).config["outcomes"]["pain"]["mid"] == {"value": 1, "source": "S"}


def test_only_a_mean_difference_s_forest_plot_draws_its_outcome_s_mid() -> None:
    from metareview.plan import plotted_mid

    pain = {"label": "Pain", "scale_min": 0, "scale_max": 10, "mid": {"value": 1.5, "source": "S"}}
    assert plotted_mid({"measure": "MD"}, pain) == 1.5
    # An SMD or a ratio is read against no MID; an outcome without one has none to draw.
    assert plotted_mid({"measure": "SMD"}, pain) is None
    assert plotted_mid({"measure": "RR"}, {"label": "Responders", "type": "binary"}) is None
    assert plotted_mid({"measure": "MD"}, {k: v for k, v in pain.items() if k != "mid"}) is None


def test_every_cross_check_problem_names_a_line(root: Path) -> None:
    # The docs promise each problem by its key and the line it was typed on: one config
    # with every slip the cross-checks name, each said with a line of the file.
    cfg = config()
    cfg["nodes"][UNNAMED] = {"label": "Control", "treatments": ["unnamed_control"]}
    cfg["nodes"]["dn"]["treatments"] = ["dry_needling", "cupping", "sham_acupuncture"]
    cfg["outcomes"]["pain"].update(scale_min=10, scale_max=0)
    cfg["outcomes"]["disability"]["mid"] = {"value": 150, "source": "S"}
    cfg["outcomes"]["mood"] = {"label": "Mood", "scale_min": 0, "scale_max": 10}
    cfg["analyses"][1].update(id="acu_vs_sham", intervention="dn", comparator="dn", outcome="mod",
                              window="shrt")
    cfg["analyses"][2].update(intervention="acupunture", measure="RR", events="beneficial")
    cfg["analyses"][4]["comparator_risk"] = {"value": 0.2, "source": "S"}
    cfg["analyses"][0]["certainty"] = {"studies": ["S9", "S2"]}
    cfg["report"]["detailed"] = ["acu_vs_shm"]
    cfg["windows"]["short"].update(label="Short (1 to 12 weeks)", target_weeks=20, terms=["term"])
    cfg["windows"]["long"] = {"label": "Long (2 to 26 weeks)", "target_weeks": 26, "min_weeks": 10,
                              "max_weeks": 26, "terms": ["short term"]}
    cfg["methods"].update(method="EE", test="knha")
    cfg["indirect"].append({"id": "acu_vs_sham", "treatment_a": "acu", "treatment_b": "acu", "outcome": "mod",
                            "window": "shrt", "measure": "RR"})
    cfg["indirect"].append({"id": "dn_vs_acu_mood", "treatment_a": "dnn", "treatment_b": "acu",
                            "outcome": "pain", "window": "short", "measure": "RR"})
    path = root / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    lines = config_key_lines([path], cfg)
    with pytest.raises(ConfigError) as exc:
        check_config(cfg, read_raw(root / "raw", root / "schemas"), lines)
    said = str(exc.value).splitlines()[1:]
    assert len(said) >= 25
    # "(file line 12)" after a key, ", file line 68)" after an entry's id, "; file line 43)"
    # after the weeks of a window compared with another
    placed = re.compile(rf"[(,;] ?{re.escape(path.as_posix())} line \d+\)")
    assert [x for x in said if not placed.search(x)] == []
    # Each where the key named was typed: the line of an entry's key the problem is about.
    text = path.read_text(encoding="utf-8").splitlines()
    for x in said:
        for number in re.findall(r" line (\d+)\)", x):
            key = text[int(number) - 1].strip().removeprefix("- ").split(":")[0]
            assert re.search(rf"\b{key}\b", x), (x, key)


def test_a_value_yaml_reads_otherwise_is_quoted_as_it_was_typed(tmp_path: Path) -> None:
    # "baseline_imbalance_smd: yes" was said as "found true": the team looks for a true
    # it never typed. The text of the file's line is quoted, with what YAML made of it.
    text, path, cfg = _config_copy(tmp_path, lambda t: t
                                   .replace("  baseline_imbalance_smd: 0.1", "  baseline_imbalance_smd: yes", 1)
                                   .replace("  impute_missing_sd: false", "  impute_missing_sd: ~", 1)
                                   .replace("  median_to_mean: true", "  median_to_mean: Off", 1))
    cfg["effects"]["median_to_mean"] = 3  # as if from --config: no text of the file is its
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA, lines=KeyLines([path], cfg))
    at = {key: f"{path.as_posix()} line {_line_of(text, f'  {key}:')}"
          for key in ("impute_missing_sd", "baseline_imbalance_smd")}
    assert str(exc.value).splitlines()[1:] == [
        (f"  - effects.baseline_imbalance_smd ({at['baseline_imbalance_smd']}): expected a number, found yes (which "
         "YAML reads as true, as it reads yes/no, on/off and true/false)"),
        (f"  - effects.impute_missing_sd ({at['impute_missing_sd']}): expected true or false, found ~ (which YAML "
         "reads as no value)"),
        "  - effects.median_to_mean: expected true or false, found 3",
    ]
    # Typed as YAML writes it, or with no file's text to quote: as YAML reads it.
    cfg["effects"].update(baseline_imbalance_smd=True, impute_missing_sd=None)
    with pytest.raises(ConfigError) as exc:
        check_config_schema(cfg, SCHEMA)
    assert "found true (as YAML reads yes/no, on/off, true/false)" in str(exc.value)
    assert "expected true or false, found no value" in str(exc.value)


def test_a_binary_instrument_must_say_the_way_its_analyses_events_do(tmp_path: Path) -> None:
    # A responder instrument marked lower_is_better: true, for an analysis counting
    # responders as beneficial, changed nothing and said nothing: the analysis reads the
    # direction from `events` alone. One of the two is wrong: the build names both.
    from metareview import plan as plan_module

    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "raw")
    path = tmp_path / "raw" / "instruments.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(n for n, line in enumerate(lines, 1) if line.startswith("GERAC_responder,"))
    assert ",responder,,,,false," in lines[row - 1]
    schemas = ROOT / "config" / "schemas" / "raw"
    plan_module.check_config(config, plan_module.read_raw(tmp_path / "raw", schemas))
    lines[row - 1] = lines[row - 1].replace(",responder,,,,false,", ",responder,,,,true,")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(plan_module.ConfigError) as info:
        plan_module.check_config(config, plan_module.read_raw(tmp_path / "raw", schemas))
    ids = [(i, a["id"]) for i, a in enumerate(config["analyses"]) if a["outcome"] == "responder"]
    assert ids and [line.removeprefix("  - ") for line in str(info.value).splitlines()[1:]] == [
        f"analyses[{i}] ({aid}): events 'beneficial' says more events are better, but instruments.csv row {row} "
        "(GERAC_responder, outcome 'responder'), column lower_is_better, is true: expected false (on an instrument "
        "of events, true where the event is harmful, false where it is beneficial), or events 'harmful' if the "
        "instrument's row is right" for i, aid in ids]
    # Responders counted as harmful, as the instrument now says: nothing to name.
    for i, _ in ids:
        config["analyses"][i]["events"] = "harmful"
    plan_module.check_config(config, plan_module.read_raw(tmp_path / "raw", schemas))


def test_the_workflow_knows_the_analysis_codes_fewest_studies_for_the_small_study_test() -> None:
    # The workflow plans the funnel plots from plan's copy, without importing the
    # analysis code: the two must not drift apart.
    from metareview import analysis, plan

    assert plan.SMALL_STUDY_MIN == analysis.SMALL_STUDY_MIN
