"""metareview.buildstamp: Snakemake is skipped only when nothing it depends on changed.

A stand-in for Snakemake (a small Python script) records each call, checks that no stamp
exists while it runs, and writes the outputs; it fails when asked to.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from metareview import buildstamp
from metareview.plan import STALE_REPORT_NOTE

FAKE_SNAKEMAKE = """
import json, sys
from pathlib import Path
root = Path.cwd()
assert not (root / ".snakemake" / "metareview-build-stamp.json").exists(), "stamp present during the run"
calls = root / "calls.json"
seen = json.loads(calls.read_text()) if calls.exists() else []
seen.append(sys.argv[1:])
calls.write_text(json.dumps(seen))
if (root / "interrupt").exists():
    # Ctrl-C in a terminal: SIGINT to the whole process group, the caller included.
    import os, signal, time
    os.kill(os.getppid(), signal.SIGINT)
    time.sleep(0.5)
    if (root / "interrupt").read_text() == "starting":
        # Before the jobs (metareview.buildstamp.quiet_ctrl_c): the note, status 130.
        print("The build was interrupted. (said by Snakemake)", file=sys.stderr)
        sys.exit(130)
    # While jobs run, Snakemake stops them and exits as a failed run does.
    sys.exit(1)
if (root / "fail").exists():
    for log, text in json.loads((root / "fail").read_text() or "{}").items():
        (root / log).parent.mkdir(parents=True, exist_ok=True)
        (root / log).write_text(text)
    sys.exit(3)
if (root / "noop").exists():
    # Nothing to be done: Snakemake writes nothing.
    sys.exit(0)
if any(not a.startswith("-") and a not in ("all", "figures") for a in sys.argv[1:]):
    # Named targets (one analysis's results, say): the report is not published.
    sys.exit(0)
(root / "results" / "report").mkdir(parents=True, exist_ok=True)
(root / "build" / "report").mkdir(parents=True, exist_ok=True)
(root / "build" / "report" / "report.html").write_text("<p>report</p>")
(root / "results" / "report" / "published.sha256").write_text("digest")
(root / "results" / "out.json").write_text((root / "data" / "raw" / "t.csv").read_text())
(root / "build").mkdir(exist_ok=True)
(root / "build" / "report.html").write_text("<p>report</p>")
"""


@pytest.fixture()
def workflow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("rules", "scripts", "src/metareview", "config", "data/raw", "reports"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "Snakefile").write_text("rule all:\n")
    (tmp_path / "config" / "config.yaml").write_text("a: 1\n")
    (tmp_path / "data" / "raw" / "t.csv").write_text("x\n1\n")
    (tmp_path / "src" / "metareview" / "m.py").write_text("X = 1\n")
    (tmp_path / "fake_snakemake.py").write_text(FAKE_SNAKEMAKE)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def build(root: Path, *args: str) -> int:
    return buildstamp.build(root, args, snakemake=[sys.executable, str(root / "fake_snakemake.py")])


def calls(root: Path) -> int:
    path = root / "calls.json"
    return len(json.loads(path.read_text())) if path.exists() else 0


def test_a_second_build_without_changes_skips_snakemake(workflow: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(workflow) == 0
    assert calls(workflow) == 1
    assert (workflow / buildstamp.STAMP).is_file()
    capsys.readouterr()
    assert build(workflow) == 0
    assert calls(workflow) == 1
    assert "Nothing to be done" in capsys.readouterr().out


def test_touching_an_input_without_changing_it_still_skips(workflow: Path) -> None:
    build(workflow)
    raw = workflow / "data" / "raw" / "t.csv"
    later = raw.stat().st_mtime + 100
    os.utime(raw, (later, later))
    build(workflow)
    assert calls(workflow) == 1


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda r: (r / "data" / "raw" / "t.csv").write_text("x\n2\n"), id="raw value edited"),
        pytest.param(lambda r: (r / "data" / "raw" / "new.csv").write_text("y\n"), id="raw table added"),
        pytest.param(lambda r: (r / "config" / "config.yaml").write_text("a: 2\n"), id="config edited"),
        pytest.param(lambda r: (r / "src" / "metareview" / "m.py").write_text("X = 2\n"), id="library edited"),
        pytest.param(lambda r: (r / "rules" / "extra.smk").write_text("# rule\n"), id="rule file added"),
        pytest.param(lambda r: (r / "results" / "out.json").unlink(), id="output deleted"),
        pytest.param(lambda r: (r / "build" / "report.html").write_text("<p>edited</p>"), id="output edited"),
        pytest.param(lambda r: (r / "results" / ".out.json.123.tmp").write_text(""), id="temporary left over"),
    ],
)
def test_any_change_to_inputs_or_outputs_runs_snakemake(workflow: Path, change) -> None:
    build(workflow)
    change(workflow)
    build(workflow)
    assert calls(workflow) == 2


@pytest.mark.parametrize("folder", ["tables", "outside"])
def test_an_edit_to_raw_tables_outside_data_runs_snakemake(workflow: Path, tmp_path_factory: pytest.TempPathFactory,
                                                           folder: str) -> None:
    # A second review's tables in their own folder, inside the workflow's or outside it:
    # an edit to them must not be answered with "Nothing to be done".
    raw = workflow / "tables" if folder == "tables" else tmp_path_factory.mktemp("elsewhere")
    raw.mkdir(exist_ok=True)
    (raw / "studies.csv").write_text("study_id\nA\n")
    # Named as a config names them: relative to the workflow's folder, or absolute.
    named = "tables" if folder == "tables" else str(raw)
    (workflow / "config" / "config.yaml").write_text(f"raw_dir: {named}\nschema_dir: config/schemas/raw\n")
    build(workflow)
    build(workflow)
    assert calls(workflow) == 1
    (raw / "studies.csv").write_text("study_id\nA\nB\n")
    build(workflow)
    assert calls(workflow) == 2


def test_the_build_date_setting_is_part_of_the_fingerprint(workflow: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(workflow)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    build(workflow)
    assert calls(workflow) == 2
    build(workflow)
    assert calls(workflow) == 2


def test_arguments_always_run_snakemake_and_leave_no_stamp(workflow: Path) -> None:
    build(workflow)
    assert build(workflow, "--dry-run") == 0
    assert calls(workflow) == 2
    assert json.loads((workflow / "calls.json").read_text())[-1] == ["--dry-run"]
    assert not (workflow / buildstamp.STAMP).exists()
    build(workflow)
    assert calls(workflow) == 3


def test_a_failed_build_leaves_no_stamp_and_is_retried(workflow: Path) -> None:
    build(workflow)
    (workflow / "data" / "raw" / "t.csv").write_text("x\n3\n")
    (workflow / "fail").write_text("")
    assert build(workflow) == 3
    assert not (workflow / buildstamp.STAMP).exists()
    build(workflow)
    assert calls(workflow) == 3


def test_a_corrupt_stamp_runs_snakemake(workflow: Path) -> None:
    build(workflow)
    (workflow / buildstamp.STAMP).write_text("{not json")
    build(workflow)
    assert calls(workflow) == 2


def test_a_stamp_answers_for_the_targets_it_made_and_their_subsets(workflow: Path) -> None:
    # make report, then make figures: the stamp of "all" does not answer for "figures".
    build(workflow)
    build(workflow, "all", "figures")
    assert calls(workflow) == 2
    assert json.loads((workflow / "calls.json").read_text())[-1] == ["all", "figures"]
    # After it, both answer from the stamp: "all" is part of what it made.
    build(workflow, "all", "figures")
    build(workflow, "figures", "all")
    build(workflow)
    assert calls(workflow) == 2
    # A plain build writes a stamp of "all" alone again.
    (workflow / "config" / "config.yaml").write_text("a: 3\n")
    build(workflow)
    build(workflow, "all", "figures")
    assert calls(workflow) == 4


def test_other_targets_always_run_snakemake(workflow: Path) -> None:
    build(workflow)
    build(workflow, "results/report/report.qmd")
    assert calls(workflow) == 2 and not (workflow / buildstamp.STAMP).exists()


def test_a_stamp_from_before_targets_were_recorded_stands_for_all(workflow: Path) -> None:
    build(workflow)
    stamp = workflow / buildstamp.STAMP
    old = json.loads(stamp.read_text())
    del old["targets"]
    stamp.write_text(json.dumps(old))
    build(workflow)
    assert calls(workflow) == 1
    build(workflow, "all", "figures")
    assert calls(workflow) == 2


TRACEBACK = """ERROR Traceback (most recent call last):
  File "scripts/assemble_report.py", line 47, in main
    text = build_report(template)
ValueError: reports/report.qmd, line 30: '{{ question }' is no field
  a second line of the message
"""


def test_a_failed_job_ends_the_output_with_its_error_and_log(workflow: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    # Snakemake prints a job's error mid-output, then its shutdown messages: the build's
    # last lines named no file to fix.
    old = workflow / "logs" / "analyse" / "old.log"
    old.parent.mkdir(parents=True)
    old.write_text(TRACEBACK.replace("ValueError", "OSError"))
    os.utime(old, (1, 1))  # a failure of an earlier run: not this one's
    (workflow / "fail").write_text(json.dumps({"logs/assemble_report/report.log": TRACEBACK,
                                               "logs/analyse/fine.log": "INFO done: results/x.json\n"}))
    assert build(workflow) == 3
    assert capsys.readouterr().err.splitlines() == [
        "The build stopped: 1 job(s) failed, nothing after them was built.",
        "  logs/assemble_report/report.log:",
        "    ValueError: reports/report.qmd, line 30: '{{ question }' is no field",
        "      a second line of the message",
        "Fix what the error names, then run the same command again.",
    ]


def test_a_build_refused_before_any_job_adds_nothing(workflow: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workflow / "fail").write_text("")
    assert build(workflow) == 3
    assert capsys.readouterr().err == ""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.usefixtures("sigint_delivered")
def test_ctrl_c_waits_for_snakemake_and_says_a_rerun_resumes(workflow: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    # Without the wait, Ctrl-C ended `make report` with a traceback of this process.
    (workflow / "interrupt").write_text("")
    try:
        code = build(workflow)
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C left the build with a traceback instead of waiting for Snakemake")
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("The build was interrupted. Run the same command again"), err
    assert "Traceback" not in err
    assert not (workflow / buildstamp.STAMP).exists()


NOT_PUBLISHED = "This run did not publish a report: build/report/ holds the one of the last build that did."


def test_a_run_that_publishes_no_report_says_the_one_there_is_older(workflow: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    # `make report ARGS="results/analyses/x.json"` built one analysis, then `make report`
    # printed the report's paths as if it had been rebuilt.
    assert build(workflow) == 0
    assert NOT_PUBLISHED not in capsys.readouterr().out
    assert build(workflow, "--cores", "1", "results/analyses/x.json") == 0
    assert NOT_PUBLISHED in capsys.readouterr().out
    # A dry run publishes nothing, and says so in its own words (the Makefile's).
    for dry in ("-n", "-np", "--dry-run", "--dryrun"):
        assert build(workflow, dry, "results/analyses/x.json") == 0
        assert NOT_PUBLISHED not in capsys.readouterr().out


def test_a_full_run_with_nothing_to_do_does_not_call_the_report_old(workflow: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    # The stamp gone (a plain `snakemake` run since), Snakemake starts, finds the report
    # current and writes nothing: the report there is this build's, not an older one.
    assert build(workflow) == 0
    (workflow / buildstamp.STAMP).unlink()
    (workflow / "noop").write_text("")
    capsys.readouterr()
    assert build(workflow) == 0
    assert calls(workflow) == 2
    assert NOT_PUBLISHED not in capsys.readouterr().out


@pytest.mark.parametrize(("args", "dry"), [(["-n"], True), (["-pn"], True), (["--dry-run"], True),
                                           (["--dryrun=true"], True), (["--cores", "1"], False),
                                           (["--nolock"], False), (["results/analyses/a_vs_n.json"], False)])
def test_dry_runs_are_told_from_other_arguments(args: list[str], dry: bool) -> None:
    assert buildstamp.is_dry_run(args) is dry


def test_a_build_the_stamp_answers_still_names_a_csv_nothing_reads(workflow: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # The workflow names such a file on every start; a no-op answered by the stamp, which
    # starts no workflow, said nothing, though the README says every build does.
    assert build(workflow) == 0
    capsys.readouterr()
    assert build(workflow) == 0
    assert calls(workflow) == 1
    err = capsys.readouterr().err
    assert err.startswith("Note: data/raw/t.csv: not one of the raw tables (sources.csv, "), err
    (workflow / "data" / "raw" / "~$arms.csv").write_text("")
    assert build(workflow) == 0 and calls(workflow) == 2  # a new file: Snakemake runs
    capsys.readouterr()
    assert build(workflow) == 0 and calls(workflow) == 2
    assert "Note: data/raw/arms.csv is open in a spreadsheet program (its lock file ~$arms.csv is there)" \
        in capsys.readouterr().err


def test_a_build_the_stamp_answers_still_names_a_stale_codebook(workflow: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    # The workflow says of a codebook the schemas have moved on from on every start, and
    # so does a no-op the stamp answers; a codebook written again is no longer named.
    import shutil

    from metareview.rawdata import codebook_markdown, load_schemas

    schemas = workflow / "config" / "schemas" / "raw"
    shutil.copytree(Path(__file__).resolve().parents[2] / "config" / "schemas" / "raw", schemas)
    codebook = workflow / "data" / "raw" / "README.md"
    stale = codebook_markdown(load_schemas(schemas)) + "A column the schemas no longer have.\n"
    codebook.write_text(stale, encoding="utf-8")
    assert build(workflow) == 0
    capsys.readouterr()
    assert build(workflow) == 0 and calls(workflow) == 1
    assert ("Note: the codebook data/raw/README.md is not what the schemas in config/schemas/raw/ give"
            in capsys.readouterr().err)
    codebook.write_text(codebook_markdown(load_schemas(schemas)), encoding="utf-8")
    assert build(workflow) == 0 and calls(workflow) == 2
    capsys.readouterr()
    assert build(workflow) == 0 and calls(workflow) == 2
    assert "codebook" not in capsys.readouterr().err


@pytest.mark.parametrize("dry", ["-n", "-pn", "--dry-run", "--dryrun=true"])
def test_a_dry_run_closes_by_saying_nothing_was_built(tmp_path: Path, dry: str) -> None:
    assert buildstamp.closing_lines(tmp_path, ["--cores", "1", dry]) == ["A dry run: nothing was built."]


@pytest.mark.parametrize("args", [[], ["--cores", "1"], ["--nolock"], ["all", "figures"]])
def test_a_build_closes_with_the_reports_absolute_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert buildstamp.closing_lines(".", args) == [
        f"Report (HTML): {tmp_path}/build/report/report.html",
        f"Report (PDF):  {tmp_path}/build/report/report.pdf",
    ]


def test_a_build_closes_with_the_renderer_its_report_names(tmp_path: Path) -> None:
    # A CI image that gains a Quarto CLI switches renderer (report.renderer: auto): the
    # log says which made the report, as its provenance does (its Markdown escapes undone).
    qmd = tmp_path / "results" / "report" / "report.qmd"
    qmd.parent.mkdir(parents=True)
    qmd.write_text("# Provenance\n\n- **Renderer**: Quarto 1.6.40 \\(quarto render\\).\n- **Dated**: x.\n",
                   encoding="utf-8")
    assert buildstamp.closing_lines(tmp_path)[-1] == "Rendered with: Quarto 1.6.40 (quarto render)"
    assert buildstamp.closing_lines(tmp_path, ["-n"]) == ["A dry run: nothing was built."]


@pytest.mark.parametrize(("code", "args", "expected"), [
    (0, ["-n"], ["A dry run: nothing was built."]),
    (0, ["--cores", "1"], ["Report (HTML): {root}/build/report/report.html",
                           "Report (PDF):  {root}/build/report/report.pdf"]),
    (1, ["--cores", "1"], []),  # a failed build points at no report
])
def test_main_ends_a_build_with_its_closing_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str], code: int,
                                                  args: list[str], expected: list[str]) -> None:
    # The Makefile printed these after reading ARGS with a pattern of its own, a second
    # copy of is_dry_run's; the build's own reading of the arguments now decides them.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(buildstamp, "build", lambda root, argv: code)
    assert buildstamp.main(args) == code
    assert capsys.readouterr().out.splitlines() == [line.format(root=tmp_path) for line in expected]


@pytest.mark.parametrize(("args", "files"), [
    (["--cores", "1"], []),
    (["--configfile", "a.yaml"], ["a.yaml"]),
    (["--configfiles", "a.yaml", "b.yml", "--cores", "1"], ["a.yaml", "b.yml"]),
    (["all", "figures", "--configfile=a.yaml", "x"], ["a.yaml"]),
    # As Snakemake's parser: every argument up to the next option is a file, a target too.
    (["--configfile", "a.yaml", "all"], ["a.yaml", "all"]),
])
def test_config_files_are_read_from_the_arguments_as_snakemake_reads_them(args: list[str], files: list[str]) -> None:
    assert buildstamp.config_files(args) == files


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("missing.yaml", None,
     "--configfile missing.yaml: no such file (expected a YAML file of config keys, as config/config.yaml)."),
    ("all", None, ("--configfile all: no such file (expected a YAML file of config keys, as config/config.yaml; "
                   "a target goes before --configfile).")),
    ("folder", "", ("--configfile folder: a folder, not a file (expected a YAML file of config keys, as "
                    "config/config.yaml).")),
    ("list.yaml", "- 1\n- 2\n", ("--configfile list.yaml: not a mapping of keys to values but a YAML list "
                                 "(expected a YAML file of config keys, such as `review:` and `analyses:`)")),
    ("empty.yaml", "# nothing yet\n", ("--configfile empty.yaml: empty, no keys (expected a YAML file of config "
                                       "keys, such as `review:` and `analyses:`)")),
    ("twice.yaml", "a: 1\na: 2\n", ("--configfile twice.yaml line 2: key 'a' given twice in one mapping (first at "
                                    "line 1); the second would silently replace the first")),
])
def test_a_config_file_snakemake_cannot_read_is_named_in_one_line(workflow: Path, capsys: pytest.CaptureFixture[str],
                                                                  name: str, text: str | None, expected: str) -> None:
    # Snakemake loads --configfile before the workflow's checks run: a missing file ended
    # `make report` in a traceback of Snakemake's code, a YAML slip in a message naming no file.
    if name == "folder":
        (workflow / name).mkdir()
    elif text is not None:
        (workflow / name).write_text(text, encoding="utf-8")
    args = ["--configfile", "config/config.yaml", name] if name == "all" else ["--configfile", name]
    assert buildstamp.config_file_problem(workflow, args) == expected
    assert build(workflow, *args) == 1
    assert calls(workflow) == 0, "Snakemake started"
    assert capsys.readouterr().err == expected + "\n"


def test_a_refused_config_file_keeps_the_stamp_of_the_last_build(workflow: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert build(workflow) == 0
    assert build(workflow, "--configfile", "missing.yaml") == 1
    # The fake's report is on disk: it is said to be the last build's.
    assert capsys.readouterr().err.splitlines()[-1] == STALE_REPORT_NOTE
    # Nothing ran, nothing changed: the next plain build is still answered by the stamp.
    assert build(workflow) == 0
    assert calls(workflow) == 1


def test_readable_config_files_go_on_to_snakemake(workflow: Path) -> None:
    (workflow / "variant.yaml").write_text("methods: {level: 90}\n", encoding="utf-8")
    assert buildstamp.config_file_problem(workflow, ["--configfile", "variant.yaml", "config/config.yaml"]) is None
    assert build(workflow, "--configfile", "variant.yaml") == 0
    assert json.loads((workflow / "calls.json").read_text()) == [["--configfile", "variant.yaml"]]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_before_the_jobs_is_said_once(workflow: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # Stopped while starting, Snakemake (tools/start_snakemake.py, rules/interrupt.smk) says the
    # note and exits 130: the build must not say it a second time.
    (workflow / "interrupt").write_text("starting")
    assert build(workflow) == buildstamp.INTERRUPTED_STATUS == 130
    assert capfd.readouterr().err == "The build was interrupted. (said by Snakemake)\n"


WAIT_FOR_CTRL_C = """
import sys, time
sys.path.insert(0, {src!r})
from metareview.buildstamp import quiet_ctrl_c
quiet_ctrl_c({jobs_started})
try:
    print("ready", flush=True)
    time.sleep(30)
finally:
    print("finally ran", flush=True)
"""


def wait_for_ctrl_c(jobs_started: str = "") -> subprocess.CompletedProcess[str]:
    """Run :data:`WAIT_FOR_CTRL_C` in a process of its own, press Ctrl-C when it is ready."""
    code = WAIT_FOR_CTRL_C.format(src=str(Path(buildstamp.__file__).parents[1]), jobs_started=jobs_started)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_before_the_jobs_ends_with_the_note_alone() -> None:
    # Ctrl-C while Snakemake started or read the workflow ended in a traceback of whatever
    # code it stopped (an import, the tokenizer, an input function).
    done = wait_for_ctrl_c()
    assert done.returncode == 130
    assert done.stderr == buildstamp.INTERRUPTED_NOTE + "\n"
    # At once: an exception would be caught and reported by the code it lands in.
    assert done.stdout == ""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_once_the_jobs_started_is_snakemakes_again() -> None:
    # Snakemake stops its jobs and removes their partial outputs on KeyboardInterrupt.
    done = wait_for_ctrl_c("jobs_started=lambda: True")
    assert done.returncode != 130
    assert done.stdout == "finally ran\n"
    assert done.stderr.rstrip().endswith("KeyboardInterrupt"), done.stderr
    assert buildstamp.INTERRUPTED_NOTE not in done.stderr


FAKE_SNAKEMAKE_CLI = """
import sys, time
print("importing", flush=True)
time.sleep(30)
def main():
    sys.exit(0)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_while_snakemake_imports_ends_with_the_note(tmp_path: Path) -> None:
    # Snakemake's imports (1.5-2 s) come before the workflow can quiet Ctrl-C: the command
    # buildstamp starts (tools/start_snakemake.py) quiets it first. A stand-in for
    # snakemake.cli whose import takes long stands first on the path.
    (tmp_path / "snakemake").mkdir()
    (tmp_path / "snakemake" / "__init__.py").write_text("")
    (tmp_path / "snakemake" / "cli.py").write_text(FAKE_SNAKEMAKE_CLI)
    repo = Path(buildstamp.__file__).parents[2]
    command = buildstamp.snakemake_command(repo)
    assert command == [sys.executable, str(repo / "tools" / "start_snakemake.py")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(repo / "src")]))
    proc = subprocess.Popen([*command, "--cores", "1"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    assert proc.stdout is not None
    assert proc.stdout.readline() == "importing\n"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert out == "", out  # the fake main() never ran
    assert proc.returncode == 130
    assert err == buildstamp.INTERRUPTED_NOTE + "\n"


def test_a_copy_without_the_start_script_runs_snakemake_itself(tmp_path: Path) -> None:
    assert buildstamp.snakemake_command(tmp_path) == [sys.executable, "-m", "snakemake"]


def test_quieting_ctrl_c_from_another_thread_leaves_it_as_it_is() -> None:
    # Only the main thread may set a signal handler: a workflow read in a thread (through
    # Snakemake's API) must not fail on it.
    import threading

    before = signal.getsignal(signal.SIGINT)
    errors: list[BaseException] = []

    def read_workflow() -> None:
        try:
            buildstamp.quiet_ctrl_c()
            buildstamp.default_ctrl_c()
        except BaseException as exc:  # noqa: BLE001 - any exception is the failure
            errors.append(exc)

    thread = threading.Thread(target=read_workflow)
    thread.start()
    thread.join()
    assert errors == []
    assert signal.getsignal(signal.SIGINT) is before
