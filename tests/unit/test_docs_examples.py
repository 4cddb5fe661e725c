"""The examples in the README and docs/ run as written and give what they say.

A reader copies an example before reading the prose around it: one that no longer runs,
or whose printed numbers have drifted from what the library now gives, is the first
thing that reader finds wrong. The numbers are checked against metafor's, from the
reference fixtures, not against the library's own output.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from metafor_tolerances import assert_close, assert_printed, load_fixture

from metareview import escalc
from metareview.certainty import fingerprint
from metareview.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _python_block(doc: str, heading: str) -> str:
    """The first ```python block under ``heading`` in ``doc``."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    section = text.split(f"{heading}\n", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert block, f"{doc}: no Python example under {heading!r}"
    return block[1]


def _run(code: str) -> tuple[dict[str, Any], str]:
    """Run an example as a reader would paste it; its names and what it printed."""
    names: dict[str, Any] = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<example>", "exec"), names)  # noqa: S102 - the docs' own code
    return names, out.getvalue()


# The examples' data are metadat's dat.normand1999; metafor 3.8-1's
# rma(yi, vi, method="REML", test="knha") on escalc("SMD", ...) of them is the reference.
EXAMPLES = [("README.md", "### The statistics library"), ("docs/statistics.md", "## From Python")]


@pytest.mark.parametrize(("doc", "heading"), EXAMPLES, ids=[d for d, _ in EXAMPLES])
def test_the_python_example_gives_metafors_numbers(doc: str, heading: str) -> None:
    ref = load_fixture("dat.normand1999__SMD.json")
    code = _python_block(doc, heading)
    names, _ = _run(code)
    es, res = names["es"], names["res"]
    assert_close(es.yi, ref["yi"], "elementary", "yi")
    assert_close(es.vi, ref["vi"], "elementary", "vi")
    tight, knha = ref["models_tight"]["REML"], ref["models_knha"]["REML"]
    # The estimate and tau^2 do not depend on the test: metafor's fit run to convergence.
    assert_close(res.estimate, tight["estimate"], "tight", "estimate")
    assert_close(res.tau2, tight["tau2"], "tight_tau2", "tau2")
    # The Knapp-Hartung interval as metafor printed it (its default convergence).
    assert_close(res.ci_lb, knha["ci_lb"], "loose_reml", "ci_lb")
    assert_close(res.ci_ub, knha["ci_ub"], "loose_reml", "ci_ub")


def test_the_readmes_example_prints_the_numbers_its_comment_gives() -> None:
    ref = load_fixture("dat.normand1999__SMD.json")["models_knha"]["REML"]
    code = _python_block("README.md", "### The statistics library")
    said = re.search(r"print\(.*\)\s*# (.+)", code)
    assert said, "the README's example no longer says what it prints"
    _, printed = _run(code)
    assert printed.strip() == said[1].strip()
    shown = re.findall(r"-?\d+\.\d+", said[1])
    assert len(shown) == 3
    for value, key in zip(shown, ("estimate", "ci_lb", "ci_ub")):
        assert_printed(ref[key], value, "loose_reml", key)


def test_the_statistics_pages_example_runs_every_method_it_lists() -> None:
    # print(res), the results' names and each method on the page, as pasted.
    _, printed = _run(_python_block("docs/statistics.md", "## From Python"))
    assert "Random-Effects Model (k = 9; tau^2 estimator: REML)" in printed


def test_the_grade_examples_fingerprint_is_that_of_the_studys_data() -> None:
    # docs/review-definition.md records Cherkin 2009's judgements in
    # acupuncture_vs_usual_care_disability with its data fingerprint: the code of the SMD
    # of standardised acupuncture against usual care on the RMDQ at 8 weeks, from the raw
    # rows (the SMD does not depend on the rescaling to 0-100), with no risk-of-bias rows.
    text = (ROOT / "docs" / "review-definition.md").read_text(encoding="utf-8")
    recorded = re.search(r"studies: \{Cherkin2009: (\w+)\}", text)
    assert recorded, "docs/review-definition.md no longer gives a fingerprint for Cherkin2009"
    with (ROOT / "data" / "raw" / "arm_outcomes.csv").open(encoding="utf-8", newline="") as handle:
        rows = {
            r["arm_id"]: r
            for r in csv.DictReader(handle)
            if (r["study_id"], r["outcome"], r["timepoint_weeks"], r["value_type"])
            == ("Cherkin2009", "disability", "8", "final")
        }
    acu, uc = rows["std"], rows["uc"]
    es = escalc(
        "SMD",
        m1i=[float(acu["mean"])], sd1i=[float(acu["sd"])], n1i=[int(acu["n"])],
        m2i=[float(uc["mean"])], sd2i=[float(uc["sd"])], n2i=[int(uc["n"])],
    )
    with (ROOT / "data" / "raw" / "risk_of_bias.csv").open(encoding="utf-8", newline="") as handle:
        assert not [r for r in csv.DictReader(handle) if r["study_id"] == "Cherkin2009"]
    code = fingerprint(float(es.yi[0]), float(es.vi[0]), int(acu["n"]), int(uc["n"]))
    assert recorded[1] == code


def test_the_command_line_example_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # docs/statistics.md's two commands, in order, on the Normand (1999) table it names:
    # the first must write the file the second reads.
    text = (ROOT / "docs" / "statistics.md").read_text(encoding="utf-8")
    block = text.split("## From the command line\n", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.replace("[--diagnostics]", "--diagnostics").split() for line in block.splitlines()]
    assert [c[:2] for c in commands] == [["metareview", "escalc"], ["metareview", "rma"]]
    ref = load_fixture("dat.normand1999__SMD.json")
    columns = list(ref["input"])
    with (tmp_path / "in.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["study", *columns])
        writer.writerows([ref["slab"][i], *(ref["input"][c][i] for c in columns)] for i in range(ref["k"]))
    monkeypatch.chdir(tmp_path)
    for command in commands:
        assert main(command[1:]) == 0, " ".join(command)
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert_close(out["estimate"], ref["models_tight"]["REML"]["estimate"], "tight", "estimate")
    assert_close(out["ci_ub"], ref["models_knha"]["REML"]["ci_ub"], "loose_reml", "ci_ub")
    assert "leave1out" in out


def _command_line_section() -> str:
    text = (ROOT / "docs" / "statistics.md").read_text(encoding="utf-8")
    return text.split("## From the command line\n", 1)[1].split("\n## ", 1)[0]


def test_the_exit_status_table_lists_what_the_command_line_returns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The table is the one place a script's author reads the statuses: each it lists is
    # returned in the case its row names, and no other is listed.
    table = _command_line_section().split("### Exit statuses\n", 1)[1]
    listed = {int(m[1]) for m in re.finditer(r"^\| (\d+) \|", table, re.MULTILINE)}
    assert listed == {0, 2, 3}
    data = tmp_path / "z.csv"
    data.write_text("study,yi,vi\nA,0.1,0\nB,0.3,0.02\nC,0.5,0.03\nD,0.2,0.04\n", encoding="utf-8")
    out = tmp_path / "z.json"
    # a study of vi = 0: FE refuses it (nothing written), unweighted FE fits it, and its
    # ranktest and regtest(model="lm") refuse it (its fsn is metafor's Inf)
    assert main(["rma", "--data", str(data), "--method", "FE", "--json", str(out)]) == 2
    assert not out.exists()
    assert main(["rma", "--data", str(data), "--method", "FE", "--unweighted", "--json", str(out)]) == 0
    assert main(["rma", "--data", str(data), "--method", "FE", "--unweighted", "--diagnostics",
                 "--json", str(out)]) == 3  # fmt: skip
    assert set(json.loads(out.read_text(encoding="utf-8"))["diagnostics_errors"]) == {
        "regtest_lm", "ranktest"}  # fmt: skip
    assert main(["rma", "--data", str(data), "--bogus", "--json", str(out)]) == 2
    err = capsys.readouterr().err
    assert "metareview: error:" in err and "metareview: warning:" in err


def test_the_diagnostics_keys_are_those_the_command_line_section_names(tmp_path: Path) -> None:
    section = " ".join(_command_line_section().split())
    named = re.search(r"`--diagnostics` adds (.*?); with `--mods` it leaves out (.*?), which", section)
    assert named, "the section no longer names the --diagnostics keys"
    top, bias, without = (re.findall(r"`(\w+)`", part) for part in (*named[1].split("(", 1), named[2]))
    data = tmp_path / "e.csv"
    data.write_text("study,yi,vi,x\nA,0.1,0.01,1\nB,0.3,0.02,2\nC,0.5,0.03,4\nD,0.2,0.04,3\nE,0.6,0.02,5\n",
                    encoding="utf-8")  # fmt: skip
    out = tmp_path / "e.json"
    assert main(["rma", "--data", str(data), "--diagnostics", "--json", str(out)]) == 0
    got = json.loads(out.read_text(encoding="utf-8"))
    assert set(top) <= set(got)
    assert list(got["bias"]) == bias
    assert main(["rma", "--data", str(data), "--mods", "x", "--diagnostics", "--json", str(out)]) == 0
    got = json.loads(out.read_text(encoding="utf-8"))
    assert not [k for k in without if k in got or k in got["bias"]]
    assert set(top) - set(without) <= set(got) and list(got["bias"]) == [b for b in bias if b not in without]


def test_the_abbreviations_the_docs_name_are_the_reports_own() -> None:
    # docs/review-definition.md names the report's abbreviations the example prints, in
    # the summary and further on; each is one the library defines, and of those only OR
    # (no analysis of the example is of odds ratios) goes unnamed.
    from metareview.report import ABBREVIATIONS

    text = " ".join((ROOT / "docs" / "review-definition.md").read_text(encoding="utf-8").split())
    found = re.search(r"those the summary prints \(in the example ([^)]*)\), then those printed "
                      r"only further on \(([^)]*)\)", text)  # fmt: skip
    assert found, "the abbreviations paragraph no longer lists the report's own"
    summary, later = ([n.strip() for n in part.split(",")] for part in found.groups())
    assert not set(summary) & set(later)
    assert set(summary) | set(later) | {"OR"} == {name for name, _, _ in ABBREVIATIONS}


def test_the_reason_a_setting_sets_a_row_aside_reads_as_auditing_quotes_it() -> None:
    # docs/auditing.md quotes the words of the tables of trials set aside and the key the
    # appendix adds after them; both come from the library's one phrase per setting.
    from metareview.fmt import NO_SD_IMPUTATION, SETTINGS, with_settings

    text = " ".join((ROOT / "docs" / "auditing.md").read_text(encoding="utf-8").split())
    found = re.search(r'sets aside says so in words a reader can follow: "([^"]+)"\. The appendix of '
                      r'every reported result adds the config key after those words \("([^"]+)"\)', text)  # fmt: skip
    assert found, "docs/auditing.md no longer quotes a reason a setting gives"
    reason, key = found.groups()
    assert reason == f"no SD reported, and {NO_SD_IMPUTATION}"
    assert with_settings(reason) == f"{reason} {key}"
    paragraph = text[found.start():].split(" A complete row ", 1)[0]
    named = set(re.findall(r"`(effects\.\w+)`", paragraph)) | {key.strip("()").split(":")[0]}
    assert named == {k for _, k in SETTINGS}


def test_the_network_example_gives_metafors_numbers() -> None:
    # The example names its arm data; here they are dat.senn2013's, as the comment says.
    path = ROOT / "tests" / "reference" / "metafor_nma" / "dat.senn2013__MD__nma.json"
    ref = json.loads(path.read_text(encoding="utf-8"))
    arms = ref["inputs"]["arms"]
    code = _python_block("docs/statistics.md", "### Network meta-analysis")
    names: dict[str, Any] = {k: arms[k] for k in ("mi", "sdi", "ni")}
    names.update(study=arms["study"], treatment=arms["treatment"])
    exec(compile(code, "<example>", "exec"), names)  # noqa: S102 - the docs' own code
    res = names["res"]
    exact = ref["fit_random_exact"]
    assert_close(res.beta, exact["estimate"], "tight", "estimate")
    assert_close(res.tau2, exact["tau2"], "tight_tau2", "tau2")
    assert_close(res.QE, exact["QE"], "closed", "QE")
