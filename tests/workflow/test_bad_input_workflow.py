"""Bad raw input through the real workflow, in scratch copies of the repository.

A malformed raw table must stop ``snakemake`` while it reads the tables, before any job:
a non-zero exit, a message on stderr naming the file, row and column, no ``results/``,
``build/`` or ``logs/``, and the raw files byte for byte as they were. Hostile text that
is valid (a study called ``<script>alert(1)</script>``, a statement holding Typst code)
builds, and reaches the HTML and the PDF as the same characters, inert.
"""

from __future__ import annotations

import csv
import html.parser
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import metareview_workflow_support as wf  # registered by conftest.py
import pytest

pytestmark = pytest.mark.slow

RAW = "data/raw"


def _records(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(path: Path, records: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def _set_cell(root: Path, table: str, where: Callable[[dict[str, str]], bool], column: str, value: str) -> int:
    """Set one cell of the first matching row; return its spreadsheet row (header = 1)."""
    path = root / RAW / f"{table}.csv"
    records = _records(path)
    header = records[0]
    for i, rec in enumerate(records[1:], start=2):
        if where(dict(zip(header, rec))):
            rec[header.index(column)] = value
            _write(path, records)
            return i
    raise LookupError(f"no matching row in {table}.csv")


# Each corruption edits a fresh copy and returns (file, row, column, letter) the message
# must name: the letter is the one the column stands under in data/raw/'s header, by hand.
Located = tuple[str, int | None, str | None, str | None]


def formula_in_a_label(root: Path) -> Located:
    row = _set_cell(root, "studies", lambda r: True, "label", "=cmd()")
    return "studies.csv", row, "label", "B"


def contrast_of_a_missing_arm(root: Path) -> Located:
    row = _set_cell(root, "contrasts", lambda r: r["measure"] == "MD", "arm2", "ghost_arm")
    return "contrasts.csv", row, "arm2", "C"


def negative_sd(root: Path) -> Located:
    row = _set_cell(root, "arm_outcomes", lambda r: r["sd"] != "", "sd", "-2.5")
    return "arm_outcomes.csv", row, "sd", "K"


def sd_of_1e200(root: Path) -> Located:
    # It built: the square of the SD overflowed, and the study's SMD came out 0.00.
    row = _set_cell(root, "arm_outcomes", lambda r: r["sd"] != "" and r["instrument"] == "RMDQ_modified", "sd", "1e200")
    return "arm_outcomes.csv", row, "sd", "K"


def latin1_bytes(root: Path) -> Located:
    row = _set_cell(root, "arms", lambda r: True, "description", "Akupunktur f\u00fcr R\u00fccken")
    path = root / RAW / "arms.csv"
    path.write_bytes(path.read_bytes().replace("\u00fc".encode(), b"\xfc"))
    return "arms.csv", row, "description", "E"


def duplicated_study(root: Path) -> Located:
    path = root / RAW / "studies.csv"
    records = _records(path)
    records.append(list(records[1]))
    _write(path, records)
    return "studies.csv", len(records), "study_id", "A"


def oversized_table(root: Path) -> Located:
    path = root / RAW / "contrasts.csv"
    body = path.read_bytes().split(b"\n", 1)[1]
    with path.open("ab") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(body)
    return "contrasts.csv", None, None, None


CORRUPTIONS = [formula_in_a_label, contrast_of_a_missing_arm, negative_sd, sd_of_1e200, latin1_bytes, duplicated_study,
               oversized_table]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=[c.__name__ for c in CORRUPTIONS])
def test_bad_raw_input_stops_the_workflow_before_any_output(tmp_path: Path, corrupt: Callable[[Path], Located]) -> None:
    root = wf.copy_repo(tmp_path / "repo")
    file, row, column, letter = corrupt(root)
    raw_before = wf.digests(root / RAW)

    run = wf.run_snakemake(root)

    assert run.returncode != 0, run.output[-3000:]
    where = f"{RAW}/{file}"
    if row is not None:
        where += f", row {row}"
    if column is not None:
        where += f", column '{column}' ({letter})"
    assert f"{where}: " in run.stderr, run.stderr[-3000:]
    message = run.stderr[run.stderr.index(where):].splitlines()[0]
    assert "expected" in message and "found" in message, message
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    # The message as the reader wrote it, not framed as a fault of the workflow's code.
    assert "WorkflowError" not in run.stderr and 'File "' not in run.stderr, run.stderr[-3000:]
    assert run.stderr.rstrip().endswith("Nothing was built. Fix the raw tables and run again."), run.stderr[-3000:]
    for generated in ("results", "build", "logs"):
        assert not (root / generated).exists(), f"{generated}/ was created"
    assert wf.digests(root / RAW) == raw_before


def test_a_config_value_the_schema_forbids_stops_the_workflow_naming_the_key(tmp_path: Path) -> None:
    root = wf.copy_repo(tmp_path / "repo")
    config = root / "config" / "config.yaml"
    text, n = re.subn(r"(?m)^(  png_dpi:\s*)\S+", r"\g<1>10", config.read_text(encoding="utf-8"), count=1)
    assert n == 1
    config.write_text(text, encoding="utf-8")
    # An earlier build's report, which the message must not let pass for one of this config.
    (root / "build" / "report").mkdir(parents=True)
    (root / "build" / "report" / "report.html").write_text("<html></html>", encoding="utf-8")

    run = wf.run_snakemake(root)

    assert run.returncode != 0, run.output[-3000:]
    # Named with the line the key was typed on.
    line = text[:text.index("  png_dpi: 10")].count("\n") + 1
    assert f"  - report.png_dpi (config/config.yaml line {line}): expected at least 36, found 10" in run.stderr
    assert "Traceback" not in run.stderr and 'File "' not in run.stderr, run.stderr[-3000:]
    assert run.stderr.rstrip().endswith("The report in build/report/ is still the last complete build's, not "
                                        "one made from this run's inputs."), run.stderr[-3000:]
    for generated in ("results", "logs"):
        assert not (root / generated).exists(), f"{generated}/ was created"
    assert [p.name for p in (root / "build").rglob("*")] == ["report", "report.html"]


def test_a_value_refused_from_the_command_line_does_not_speak_of_edits(tmp_path: Path) -> None:
    # The files are as the last build left them: only this run's --config is wrong, so the
    # note under the error must not call the refused value an edit.
    root = wf.copy_repo(tmp_path / "repo")
    (root / "build" / "report").mkdir(parents=True)
    (root / "build" / "report" / "report.html").write_text("<html></html>", encoding="utf-8")

    run = wf.run_snakemake(root, "--config", "report={png_dpi: 10}")

    assert run.returncode != 0, run.output[-3000:]
    assert "  - report.png_dpi: expected at least 36, found 10" in run.stderr, run.stderr[-3000:]
    assert "edit" not in run.stderr, run.stderr[-3000:]
    assert run.stderr.rstrip().endswith("The report in build/report/ is still the last complete build's, not "
                                        "one made from this run's inputs."), run.stderr[-3000:]
    assert not (root / "results").exists(), "results/ was created"


@pytest.mark.parametrize("case", ["key twice", "wrong type", "quarto asked for"])
def test_a_config_file_slip_stops_the_workflow_naming_it_without_a_traceback(tmp_path: Path, case: str) -> None:
    root = wf.copy_repo(tmp_path / "repo")
    config = root / "config" / "config.yaml"
    text = config.read_text(encoding="utf-8")
    if case == "key twice":
        text, n = re.subn(r"(?m)^(  level:.*)$", r"\g<1>\n  level: 90", text, count=1)
        expected = "key 'level' given twice in one mapping"
    elif case == "wrong type":
        # Named with the line it was typed on, in the file as the workflow reads it.
        text, n = re.subn(r"(?m)^  min_studies: 2\b", "  min_studies: two", text, count=1)
        line = text[:text.index("  min_studies: two")].count("\n") + 1
        expected = f"  - methods.min_studies (config/config.yaml line {line}): expected a whole number, found 'two'"
    else:
        if shutil.which("quarto"):
            pytest.skip("Quarto is installed here")
        text, n = re.subn(r"(?m)^(  renderer:\s*)\S+", r"\g<1>quarto", text, count=1)
        line = text[:text.index("  renderer: quarto")].count("\n") + 1
        expected = ("config/config.yaml (with any --config or --configfile overrides):\n"
                    f"  - report.renderer (config/config.yaml line {line}): 'quarto', but no `quarto` command is "
                    "on PATH")
    assert n == 1
    config.write_text(text, encoding="utf-8")
    (root / "build" / "report").mkdir(parents=True)
    (root / "build" / "report" / "report.html").write_text("<html></html>", encoding="utf-8")

    run = wf.run_snakemake(root)

    assert run.returncode != 0, run.output[-3000:]
    assert expected in run.stderr, run.stderr[-3000:]
    assert "Traceback" not in run.stderr and 'File "' not in run.stderr, run.stderr[-3000:]
    assert run.stderr.rstrip().endswith("The report in build/report/ is still the last complete build's, not "
                                        "one made from this run's inputs."), run.stderr[-3000:]
    assert not (root / "results").exists(), "results/ was created"
    assert [p.name for p in (root / "build").rglob("*")] == ["report", "report.html"]


@pytest.mark.parametrize(("case", "expected"), [
    ("empty", ("config/config.yaml: empty, no keys (expected a YAML file of config keys, such as `review:` and "
               "`analyses:`)")),
    ("missing", ("config/config.yaml: no such file (expected the review definition, a YAML file of config keys; "
                 "`git checkout -- config/config.yaml` restores the committed one, or give another with "
                 "--configfile)")),
])
def test_an_empty_or_missing_config_file_is_named_without_a_line_of_the_snakefile(tmp_path: Path, case: str,
                                                                                   expected: str) -> None:
    # Snakemake's own words were "WorkflowError in file .../Snakefile, line 17: Config file
    # must be given as JSON or YAML with keys at top level", naming neither the file nor
    # what it held, and pointing at the Snakefile as if it were at fault.
    root = wf.copy_repo(tmp_path / "repo")
    config = root / "config" / "config.yaml"
    if case == "empty":
        config.write_text("# the review definition, not written yet\n", encoding="utf-8")
    else:
        config.unlink()

    run = wf.run_snakemake(root, "-n")

    assert run.returncode != 0, run.output[-3000:]
    assert run.stderr.rstrip().endswith(expected), run.stderr[-3000:]
    assert "Snakefile" not in run.stderr and "Traceback" not in run.stderr, run.stderr[-3000:]
    assert not (root / "results").exists(), "results/ was created"


def test_a_nested_config_override_is_read_as_the_number_it_is(tmp_path: Path) -> None:
    # Snakemake hands nested --config values over as strings ('90').
    root = wf.copy_repo(tmp_path / "repo")
    run = wf.run_snakemake(root, "-n", "--config", "methods={level: 90}")
    assert run.returncode == 0, run.stderr[-3000:]
    run = wf.run_snakemake(root, "-n", "--config", "methods={level: ninety}")
    assert run.returncode != 0 and "methods.level: expected a number, found 'ninety'" in run.stderr


# --------------------------------------------------------------------------- hostile but valid text

SCRIPT = "<script>alert(1)</script>"
TYPST = "#set page(width: 1cm) #text(fill: red)[pwned] $x^2$ *bold* @ref <b>tag</b>"
STATEMENT = "Better <img src=x onerror=alert(2)> | a table cell? #pagebreak() `code` [link](http://x)"


class _Tags(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def _squash(text: str) -> str:
    """Text without white space, and without the hyphens Typst adds where it breaks a word."""
    return re.sub(r"\s+", "", re.sub(r"-\n", "", text))


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full build of a copy whose study names and a statement carry markup (one per module)."""
    root = wf.copy_repo(tmp_path_factory.mktemp("hostile") / "repo")
    studies = _records(root / RAW / "studies.csv")
    trials = [r[0] for r in studies[1:] if r[studies[0].index("design")] == "rct"]
    _set_cell(root, "studies", lambda r: r["study_id"] == trials[0], "label", SCRIPT)
    _set_cell(root, "studies", lambda r: r["study_id"] == trials[1], "label", TYPST)
    _set_cell(root, "statements", lambda r: True, "statement", STATEMENT)
    run = wf.run_snakemake(root)
    if run.returncode != 0:
        pytest.fail(f"the build with hostile text failed (exit {run.returncode}):\n{run.output[-4000:]}")
    return root


def test_hostile_text_is_inert_in_the_html(hostile_build: Path) -> None:
    page = (hostile_build / "build" / "report" / "report.html").read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    assert not any("alert(" in s for s in parser.scripts), "the study name ran as a script"
    assert not any(tag == "img" and "onerror" in attrs for tag, attrs in parser.tags)
    assert SCRIPT not in page and "<b>tag</b>" not in page and "<img src=x" not in page
    # Its blanks folded as a browser folds them: pandoc wraps a cell's text at any space.
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())
    # The names are shown as written: the same characters, not markup.
    assert SCRIPT in text
    assert "#set page(width: 1cm)" in text and "*bold*" in text and "$x^2$" in text and "<b>tag</b>" in text
    assert "<img src=x onerror=alert(2)>" in text


def test_hostile_text_is_inert_in_the_pdf(hostile_build: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(hostile_build / "build" / "report" / "report.pdf")
    # '#set page(width: 1cm)' would have made every page one centimetre wide.
    assert all(float(page.mediabox.width) > 300 for page in reader.pages)
    text = _squash("".join(page.extract_text() or "" for page in reader.pages))
    assert _squash(SCRIPT) in text
    assert _squash("#set page(width: 1cm) #text(fill: red)[pwned]") in text
    assert _squash("<img src=x onerror=alert(2)>") in text


def test_hostile_text_is_inert_in_the_figures(hostile_build: Path) -> None:
    figures = sorted((hostile_build / "results" / "report" / "figures").glob("*.svg"))
    assert figures
    for svg in figures:
        content = svg.read_text(encoding="utf-8")
        assert "<script" not in content
        if "alert(1)" in content:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_a_bad_source_date_epoch_stops_the_workflow_in_one_line(tmp_path: Path) -> None:
    # It ended as a WorkflowError with a "File rules/common.smk, line ..." trace line, unlike
    # every other problem found before the jobs.
    pytest.importorskip("snakemake")
    root = wf.copy_repo(tmp_path / "repo")
    env = dict(os.environ, SOURCE_DATE_EPOCH="yesterday")
    run = subprocess.run([sys.executable, "-m", "snakemake", "--nocolor", "--cores", "1"], cwd=root, env=env,
                         capture_output=True, text=True, check=False, timeout=600)
    assert run.returncode == 1, run.stdout[-2000:] + run.stderr[-2000:]
    assert run.stderr.rstrip().endswith("SOURCE_DATE_EPOCH must be an integer (Unix seconds), got 'yesterday'"), \
        run.stderr[-2000:]
    assert 'File "' not in run.stderr and "WorkflowError" not in run.stderr, run.stderr[-2000:]
    assert not (root / "results").exists() and not (root / "build").exists()
