"""Reproducible builds: two clean builds of the same sources are byte-identical.

The first build is the session's shared cold build (see conftest.py). The second builds
another copy of the same sources in a folder at another depth whose name has a space and
a non-ASCII letter, with another time zone (UTC+14, so a date taken from local time would
move to the next day), another locale (plain C, not UTF-8), a fixed hash seed (the first
build's is random: set and dict-of-set ordering would show), umask 077 (files readable by
their owner only), and a home folder and matplotlib configuration folder as a user's
could be: an empty matplotlib cache (as on a machine that never ran matplotlib), a
``matplotlibrc`` changing fonts, sizes and SVG output, and a pandoc data folder with
default templates and translations of its own; with the same ``SOURCE_DATE_EPOCH``. Every file under
``results/`` and ``build/`` is compared, hidden files included; nothing is excluded:
``results/history/`` holds the key results each build leaves for the next one, equal in
two clean builds. ``logs/`` and ``.snakemake/`` are not outputs (they record how a run
went) and are not compared.

Two builds on the same day could share a date that leaked from the clock, so the outputs
are also searched for today's date, the build folders and the home folder. And since
``make audit`` compares a clean rebuild with the checkout's build, which is usually
incremental, a build whose input was edited and put back must equal a clean one too.

The audit tool's comparison (tools/audit.py) is checked here too, on copies of the
outputs with known changes, and its scratch copy of a git checkout against the checkout.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import metareview_workflow_support as wf  # registered by conftest.py
import pytest

audit = wf.tool("audit")

pytestmark = pytest.mark.slow

# The second build's environment: everything that differs between machines and that a
# build could leak, except SOURCE_DATE_EPOCH.
OTHER_MACHINE = {
    "TZ": "XKT-14",  # POSIX form: UTC+14 without needing tzdata
    "LC_ALL": "C",
    "LANG": "C",
    "PYTHONHASHSEED": "4242",
    # Jobs in worker processes (a large review's way) rather than in Snakemake's threads
    # (the example's): the outputs must not depend on where a job ran.
    "METAREVIEW_WORKERS": "1",
}


#: A user's matplotlib settings that would change every figure if the plots read them.
USER_MATPLOTLIBRC = """\
font.family: serif
font.size: 30
lines.linewidth: 5
svg.fonttype: path
svg.hashsalt: user
savefig.dpi: 40
axes.unicode_minus: False
axes.formatter.use_locale: True
"""


def _user_configuration(base: Path) -> dict[str, str]:
    """A home folder and matplotlib folder holding a user's settings (the second build's)."""
    home, mpl = base / "home", base / "matplotlib-config"
    mpl.mkdir()
    (mpl / "matplotlibrc").write_text(USER_MATPLOTLIBRC, encoding="utf-8")
    # pandoc reads templates and translations from its user data folder when no other
    # is named: the render must name its own.
    pandoc = home / ".local" / "share" / "pandoc"
    (pandoc / "templates").mkdir(parents=True)
    (pandoc / "translations").mkdir()
    for fmt in ("html5", "html", "typst"):
        (pandoc / "templates" / f"default.{fmt}").write_text("USER TEMPLATE $body$\n", encoding="utf-8")
    for lang in ("en", "en-GB", "en-US"):
        (pandoc / "translations" / f"{lang}.yaml").write_text("Figure: Abbildung\nTable: Tabelle\n",
                                                            encoding="utf-8")
    return {"HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share"), "MPLCONFIGDIR": str(mpl)}


@pytest.fixture(scope="module")
def second_build(built_repo, tmp_path_factory) -> Path:
    """Another clean build of the shared build's sources, elsewhere and otherwise set up."""
    base = tmp_path_factory.mktemp("reproducible")
    root = base / "another machine ü" / "metareview"
    audit.make_scratch_copy(built_repo.root, root, git=False)
    env = audit.workflow_env(wf.SOURCE_DATE_EPOCH, dict(OTHER_MACHINE, **_user_configuration(base)))
    # The umask is the process's, inherited by Snakemake and every job it starts.
    umask = os.umask(0o077)
    try:
        run = audit.run_workflow(root, env=env, log=base / "snakemake.log", timeout=1800)
    finally:
        os.umask(umask)
    if run.returncode != 0:
        pytest.fail(f"the second clean build failed (exit {run.returncode}):\n{run.output[-6000:]}")
    return root


def test_two_clean_builds_are_byte_identical(built_repo, second_build):
    first = audit.output_entries(built_repo.root)
    # The comparison covers what matters: results, figures, the report in both formats.
    for expected in ("build/report/report.html", "build/report/report.pdf", "results/report/report.qmd",
                     "results/report/audit.csv", "results/report/key_results.json", "results/claims/claims.json"):
        assert expected in first
    for suffix in (".forest.svg", ".effects.csv"):
        assert any(p.endswith(suffix) for p in first), suffix
    diffs = audit.compare_trees(built_repo.root, second_build)
    assert diffs == [], "the two clean builds differ:\n" + "\n".join(map(str, diffs))


def test_the_outputs_carry_the_pinned_date_and_no_clock_path_or_home(built_repo, second_build):
    epoch = int(wf.SOURCE_DATE_EPOCH)
    pinned = dt.datetime.fromtimestamp(epoch, dt.UTC)
    pypdf = pytest.importorskip("pypdf")
    meta = pypdf.PdfReader(built_repo.root / "build/report/report.pdf").metadata
    assert meta.creation_date == pinned and meta.modification_date == pinned
    assert f"**Dated**: {pinned:%Y-%m-%d}, set by `SOURCE_DATE_EPOCH`" in (
        built_repo.root / "results/report/report.qmd").read_text(encoding="utf-8")

    leaks = {str(built_repo.root.resolve()), str(second_build.resolve()), str(Path.home())}
    if str(Path.home()) in ("/", ""):
        leaks.discard(str(Path.home()))
    today = dt.datetime.now(dt.UTC)
    for day in (today, today - dt.timedelta(days=1), today + dt.timedelta(days=1)):
        if day.date() != pinned.date():
            leaks |= {f"{day:%Y-%m-%d}", f"D:{day:%Y%m%d}", f"{day:%d %B %Y}", f"{day:%B %d, %Y}"}
    found = []
    for root in (built_repo.root, second_build):
        for rel, path in audit.output_entries(root).items():
            if path is None:
                continue
            data = path.read_bytes()
            found += [f"{rel}: {leak!r}" for leak in sorted(leaks) if leak.encode() in data]
    assert found == [], "outputs depend on the clock, the folder or the home folder:\n" + "\n".join(found)


def test_a_build_edited_and_reverted_equals_a_clean_build(built_repo, tmp_path):
    """What ``make audit`` compares: a checkout's build is usually incremental.

    Edit one study's reported value, rebuild, put the value back, rebuild: the inputs are
    those of the clean build again, so every output must be too. Anything a build
    carries over from the previous one (an undeclared input) shows up here.
    """
    root = wf.copy_built(built_repo.root, tmp_path / "repo")
    contrasts = root / "data/raw/contrasts.csv"
    match = {"study_id": "Chen2022", "measure": "cohen_d"}
    old = wf.edit_row(contrasts, match, {"estimate": "0.5"})
    env = audit.workflow_env(wf.SOURCE_DATE_EPOCH)
    for step in ("edited", "reverted"):
        run = audit.run_workflow(root, env=env, log=tmp_path / f"{step}.log", timeout=1800)
        assert run.returncode == 0 and run.jobs > 0, f"{step}:\n{run.output[-4000:]}"
        if step == "edited":
            # The report names the edited cell, with the study and its spreadsheet row.
            qmd = (root / "results/report/report.qmd").read_text(encoding="utf-8")
            assert re.search(r"Raw rows changed, [^\n]*\(Chen2022\): contrasts\.csv row \d+: "
                             + re.escape(f"`estimate` {float(old['estimate'])!r} \u2192 0.5"), qmd), qmd[:3000]
            wf.edit_row(contrasts, match, {"estimate": old["estimate"]})
    assert contrasts.read_bytes() == (built_repo.root / "data/raw/contrasts.csv").read_bytes()
    # The report's "what changed since the last build" section is history by design: like
    # `make audit`, rebuild from raw data starting from the snapshot that section used.
    clean = tmp_path / "clean"
    audit.make_scratch_copy(built_repo.root, clean, git=False)
    assert audit.seed_history(root, clean)
    run = audit.run_workflow(clean, env=env, log=tmp_path / "clean.log", timeout=1800)
    assert run.returncode == 0, run.output[-4000:]
    diffs = audit.compare_trees(clean, root)
    assert diffs == [], "a rebuilt tree differs from a clean build of the same inputs:\n" + "\n".join(map(str, diffs))


# --------------------------------------------------------------------------- the audit tool


def _outputs_copy(src: Path, dest: Path) -> Path:
    for top in audit.OUTPUT_DIRS:
        shutil.copytree(src / top, dest / top)
    return dest


def test_the_audit_comparison_reports_every_kind_of_difference(built_repo, tmp_path):
    ref = built_repo.root
    assert audit.compare_trees(ref, _outputs_copy(ref, tmp_path / "same")) == []

    other = _outputs_copy(ref, tmp_path / "other")
    analysis = min((other / "results/analyses").glob("*.json"))
    doc = json.loads(analysis.read_text(encoding="utf-8"))
    key = next(k for k, v in doc.items() if isinstance(v, str))
    doc[key] = doc[key] + " (edited)"
    analysis.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    audit_csv = other / "results/report/audit.csv"
    lines = audit_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[0] = cells[0] + "X"
    lines[1] = ",".join(cells) + "\n"
    audit_csv.write_text("".join(lines), encoding="utf-8")
    qmd = other / "results/report/report.qmd"
    qmd_lines = qmd.read_text(encoding="utf-8").splitlines(keepends=True)
    qmd_lines[2] = "changed\n"
    qmd.write_text("".join(qmd_lines), encoding="utf-8")
    pdf = other / "build/report/report.pdf"
    data = bytearray(pdf.read_bytes())
    data[1000] ^= 0xFF
    pdf.write_bytes(bytes(data))
    figure = min((other / "results/report/figures").glob("*.svg"))
    figure.unlink()
    (other / "results/effects/.leftover.json.abc123.tmp").write_text("{", encoding="utf-8")
    (other / "build/report/.report.render-abcdefgh").mkdir()

    diffs = {d.path: d for d in audit.compare_trees(ref, other)}
    rel = lambda p: p.relative_to(other).as_posix()
    assert set(diffs) == {rel(analysis), rel(audit_csv), rel(qmd), rel(pdf), rel(figure),
                          "results/effects/.leftover.json.abc123.tmp", "build/report/.report.render-abcdefgh/"}
    assert diffs[rel(figure)].kind == "missing from the rebuild"
    assert diffs["results/effects/.leftover.json.abc123.tmp"].kind == "not in the current build"
    assert any(f"$.{key}" in line or f"['{key}']" in line for line in diffs[rel(analysis)].details)
    assert any(f"row 2, column {header[0]}" in line for line in diffs[rel(audit_csv)].details)
    assert any(line.startswith("line 3,") for line in diffs[rel(qmd)].details)
    assert "first difference at byte 1000" in diffs[rel(pdf)].details[0]


def test_the_audit_copy_of_a_git_checkout_states_the_same_commit(tmp_path):
    from metareview.provenance import git_commit

    if not audit.is_git_checkout(wf.REPO):
        pytest.skip("the checkout is not a git repository")
    copy = audit.make_scratch_copy(wf.REPO, tmp_path / "copy")
    tracked = audit.source_files(wf.REPO)
    copied = sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*")
                    if p.is_file() and ".git" not in p.relative_to(copy).parts)
    assert copied == tracked
    assert all((copy / n).read_bytes() == (wf.REPO / n).read_bytes() for n in tracked)
    # What the report prints: the commit, and whether tracked files differ from it.
    assert git_commit(copy) == git_commit(wf.REPO)


def test_the_audit_says_git_refused_the_checkout(tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert audit.git_refusal(tmp_path) is None
    assert audit.git_refusal(tmp_path / "no-git-here") is None
    # Git's own switch for a clone owned by another user.
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    assert not audit.is_git_checkout(tmp_path)
    refused = audit.git_refusal(tmp_path)
    assert "dubious ownership" in refused
    hint = audit.refused_hint(refused, tmp_path)
    assert "dubious ownership" in hint and f"safe.directory {tmp_path}`" in hint


def test_the_audit_command_reports_a_failed_rebuild(built_repo, tmp_path, capsys):
    scratch = tmp_path / "scratch"
    code = audit.main(["--repo", str(built_repo.root), "--scratch", str(scratch), "--snakemake", "false"])
    assert code == 2
    assert "the rebuild failed" in capsys.readouterr().out
    # The scratch copy holds the sources, not the outputs it is compared with.
    assert (scratch / "Snakefile").is_file() and (scratch / "data/raw/studies.csv").is_file()
    assert not any((scratch / d).exists() for d in ("results", "build", ".snakemake"))


def test_the_audit_explains_left_over_outputs_and_an_edited_history():
    left_over = audit.Difference("results/analyses/removed_analysis.json", "missing from the rebuild")
    history = audit.Difference("results/history/key_results.json", "not in the current build")
    edited = audit.Difference("results/claims/claims.json", "differs", ("$.claims[0]: 1 != 2",))
    assert audit.hints_for([edited]) == []
    hints = audit.hints_for([left_over, history, edited])
    assert len(hints) == 2
    assert "left from an earlier build" in hints[0] and "make clean" in hints[0]
    assert hints[1].startswith("results/history/ holds the key results")


def test_the_audit_names_inputs_and_code_changed_since_the_current_build(tmp_path):
    # A raw cell edited after the last build: the rebuild reads it, the current build did
    # not, and every output it reaches differs. The audit must name that file as the cause
    # rather than leave the reader to suspect the build (or results/history/, or the date).
    import hashlib

    root = tmp_path / "repo"
    files = {"data/raw/arm_outcomes.csv": b"study_id,n\nA,30\n", "config/config.yaml": b"a: 1\n",
             "src/metareview/pool.py": b"x = 1\n"}
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    sha = {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}
    (root / "results/report").mkdir(parents=True)
    # As the report's provenance section prints them (Markdown escapes the underscore).
    (root / "results/report/report.qmd").write_text(
        "| Input file | SHA-256 |\n| --- | --- |\n"
        f"| config/config.yaml | {sha['config/config.yaml']} |\n"
        f"| data/raw/arm\\_outcomes.csv | {sha['data/raw/arm_outcomes.csv']} |\n", encoding="utf-8")
    (root / "results/code").mkdir()
    (root / "results/code/analyse.sha256").write_text(f"{sha['src/metareview/pool.py']}  src/metareview/pool.py\n",
                                                      encoding="utf-8")
    # A listing that is not sha256sum's output (damaged by hand, or not text) names nothing.
    (root / "results/code/forest_png.sha256").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert set(audit.recorded_checksums(root)) == set(files)
    assert audit.changed_since_build(root) == []
    (root / "data/raw/arm_outcomes.csv").write_bytes(b"study_id,n\nA,31\n")
    (root / "src/metareview/pool.py").unlink()
    changed = audit.changed_since_build(root)
    assert changed == ["data/raw/arm_outcomes.csv", "src/metareview/pool.py"]
    hint = audit.changed_inputs_hint(changed)
    assert hint.startswith("Changed since the current build was made: data/raw/arm_outcomes.csv, src/metareview/pool.py.")
    assert "make report audit" in hint


def test_the_audit_blames_an_untracked_input_for_a_draft_not_the_history(tmp_path):
    # A build whose checkout held an untracked input is a draft; the rebuild, a copy of
    # the tracked files, is not. The report's commit line came after the first 5
    # differences of report.qmd, and the history's copy of the key results was blamed.
    current, rebuild = tmp_path / "current", tmp_path / "rebuild"
    commit = "2f41294e3a9f6f0d0589265718c29c137ea6a802"
    lines = [f"line {i}\n" for i in range(20)]
    for root, draft in ((current, True), (rebuild, False)):
        (root / "results" / "report").mkdir(parents=True)
        (root / "results" / "history").mkdir(parents=True)
        keys = json.dumps({"built": {"commit": commit + (" + uncommitted changes" if draft else "")}})
        (root / "results" / "report" / "key_results.json").write_text(keys)
        (root / "results" / "history" / "key_results.json").write_text(keys)
        text = [("Draft: " if draft else "") + line for line in lines[:6]] + lines[6:]
        text.append(f"- **Source commit** (the last to change the workflow's code): `{commit}"
                    + (" + uncommitted changes" if draft else "") + "`.\n")
        text.append("- **Dated**: 2026-12-02" + ("; this build holds uncommitted changes" if draft else "") + "\n")
        (root / "results" / "report" / "report.qmd").write_text("".join(text))
    diffs = audit.compare_trees(current, rebuild)
    assert len(diffs) == 3
    full = audit.full_details(current, rebuild, diffs)
    qmd = next(d for d in full if d.path.endswith("report.qmd"))
    assert any(line.startswith("line 21,") for line in qmd.details)
    assert not any(line.startswith("line 21,") for line in diffs[2].details)  # what is printed stops at 5
    hints = audit.hints_for(full)
    assert hints == [audit.DRAFT_HINT]
    assert "git status --untracked-files=all" in hints[0]
    # A history copy edited by hand is still named.
    (current / "results" / "history" / "key_results.json").write_text(json.dumps({"built": {"commit": "x"}}))
    assert any(h.startswith("results/history/") for h in audit.hints_for(
        audit.full_details(current, rebuild, audit.compare_trees(current, rebuild))))


def test_the_audit_explains_a_date_difference_as_the_workflow_dates_a_build(tmp_path):
    # Without SOURCE_DATE_EPOCH a build in a git checkout is dated by the last commit that
    # changed the workflow's inputs, whoever runs it (make or Snakemake directly); only
    # outside a checkout is there no date. The hints must say so, not blame `make`.
    from metareview.provenance import source_state

    assert source_state(wf.REPO, env={}).epoch is not None
    assert source_state(tmp_path, env={}).epoch is None
    built = audit.Difference("results/report/report.qmd", "differs",
                             ("line 850: '- **Dated**: 2026-11-29, the date of source commit'",))
    pdf = audit.Difference("build/report/report.pdf", "differs", ("PDF CreationDate: None in the current build",))
    date_hint, pdf_hint = audit.hints_for([built, pdf])
    assert "last commit that changed its inputs" in date_hint and "make report" not in date_hint
    assert "outside a git checkout without SOURCE_DATE_EPOCH" in pdf_hint and "run directly" not in pdf_hint


@pytest.mark.parametrize(("files", "targets"), [
    ((), []),
    # As `make figures` leaves the build, and after its PNGs were deleted.
    (("results/report/figures/a_vs_b.forest.png", "results/code/forest_png.sha256"), ["all", "figures"]),
    (("results/code/forest_png.sha256",), ["all", "results/code/forest_png.sha256"]),
])
def test_the_audit_rebuilds_the_png_figures_only_when_the_build_has_them(built_repo, tmp_path, capsys, files,
                                                                         targets):
    repo = wf.copy_built(built_repo.root, tmp_path / "repo")
    for rel in files:
        (repo / rel).write_bytes(b"\x89PNG\r\n\x1a\n")
    scratch = tmp_path / "scratch"
    # `echo` stands in for Snakemake: the log shows the arguments the rebuild got.
    audit.main(["--repo", str(repo), "--scratch", str(scratch), "--snakemake", "echo"])
    assert (scratch / "logs/audit.snakemake.log").read_text(encoding="utf-8").split() == ["--nocolor", *targets]
    assert ("(the current build has PNG figures or had them)" in capsys.readouterr().out) is bool(files)


def test_the_makefile_audit_target_runs_the_audit_tool():
    out = subprocess.run(["make", "-n", "audit"], check=False, cwd=wf.REPO, capture_output=True, text=True,
                         env=dict(os.environ, SOURCE_DATE_EPOCH="1"))
    if out.returncode != 0 and "No rule to make target" in out.stderr:
        pytest.fail("the Makefile has no audit target")
    if out.returncode != 0:
        pytest.skip(f"make -n failed: {out.stderr.strip()[:200]}")
    assert "tools/audit.py" in out.stdout


def test_the_audit_of_a_checkout_without_a_build_says_to_build_first(tmp_path, capsys):
    # It rebuilt anyway, listed every output as missing and ended with hints about
    # results/history/ edited by hand: nothing named the missing build at the end.
    repo = tmp_path / "repo"  # as `make clean` leaves a checkout: no results/, no build/
    repo.mkdir()
    scratch = tmp_path / "scratch"
    assert audit.main(["--repo", str(repo), "--scratch", str(scratch)]) == 2
    out = capsys.readouterr().out
    assert out.strip().endswith("Run `make report` first, or `make report audit` to build and audit in one go."), out
    assert "no build to audit" in out
    assert not scratch.exists()


DRY_RUN_OUTPUT = """Building DAG of jobs...
Job stats:
job               count
--------------  -------
all                   1
publish_report        1
total                 2

This was a dry-run (flag -n). The order of jobs does not reflect the order of execution.
"""


def test_the_audit_reads_the_jobs_a_dry_run_plans():
    assert audit.dry_run_jobs(DRY_RUN_OUTPUT) == 2
    assert audit.dry_run_jobs("Building DAG of jobs...\nNothing to be done (all requested files are present and "
                              "up to date).\n") == 0


def test_a_dry_run_in_the_checkout_finds_a_build_left_unfinished(built_copy):
    env = audit.workflow_env(wf.SOURCE_DATE_EPOCH)
    assert audit.pending_jobs(built_copy, [], env=env) == 0
    # As a build stopped between the render and the publication leaves it.
    (built_copy / "results" / "report" / "published.sha256").unlink()
    assert audit.pending_jobs(built_copy, [], env=env) == 2  # publish_report, all


FAKE_SNAKEMAKE = f"""#!/bin/sh
# A dry run plans two jobs; a build builds nothing.
case " $* " in *" --dry-run "*) printf '%s' '{DRY_RUN_OUTPUT}' ;; esac
"""


def test_the_audit_of_a_build_left_unfinished_says_so_first(built_repo, tmp_path, capsys):
    # A build interrupted after some jobs ran holds outputs of two builds until the next
    # build finishes it: the audit listed the differences, and as their likely cause only
    # a results/history/ edited by hand.
    repo = wf.copy_built(built_repo.root, tmp_path / "repo")
    fake = tmp_path / "fake-snakemake"
    fake.write_text(FAKE_SNAKEMAKE, encoding="utf-8")
    fake.chmod(0o755)
    scratch = tmp_path / "scratch"
    assert audit.main(["--repo", str(repo), "--scratch", str(scratch), "--snakemake", str(fake)]) == 1
    out = capsys.readouterr().out
    assert "  still to build      2 job(s) in the checkout (a dry run there)" in out
    causes = out[out.index("likely causes:"):].splitlines()
    assert causes[1] == ("  - The current build is not complete: Snakemake would still run 2 job(s) in this checkout "
                         "(its last run was interrupted or failed, or ran other targets or settings). Run `make "
                         "report audit` to finish the build and audit it."), out


REBUILDING_SNAKEMAKE = """#!/bin/sh
# A dry run plans nothing; a build makes the one output the checkout's build holds.
case " $* " in *" --dry-run "*) exit 0 ;; esac
mkdir -p results && printf 'same' > results/out.txt
"""


def test_a_clean_audit_names_no_log_it_removed_and_says_what_it_compared(tmp_path, capsys, monkeypatch):
    # On success the scratch copy goes, and its log with it: the printed "(log: ...)" named
    # a file that no longer existed. Nor did the output say that "byte-identical" covers
    # this machine, Python and renderer only.
    import platform
    import tempfile

    repo = tmp_path / "repo"
    (repo / "results").mkdir(parents=True)
    (repo / "Snakefile").write_text("# not run\n", encoding="utf-8")
    (repo / "results" / "out.txt").write_text("same", encoding="utf-8")
    fake = tmp_path / "fake-snakemake"
    fake.write_text(REBUILDING_SNAKEMAKE, encoding="utf-8")
    fake.chmod(0o755)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    assert audit.main(["--repo", str(repo), "--snakemake", str(fake)]) == 0
    out = capsys.readouterr().out
    assert "log:" not in out and "audit.snakemake.log" not in out, out
    assert "(its scratch copy and log removed: AUDIT_ARGS=--keep keeps them)" in out
    assert out.rstrip().endswith(
        f"both builds compared here: this machine, Python {platform.python_version()}, the renderer the report "
        "names (no report to read it from). A build elsewhere may differ (docs/auditing.md, \"What a build depends on\")"), out
    assert not any(temporary.iterdir())
    # Kept, the log is named, and is there.
    scratch = tmp_path / "kept"
    assert audit.main(["--repo", str(repo), "--snakemake", str(fake), "--scratch", str(scratch)]) == 0
    assert f"(log: {scratch / 'logs' / 'audit.snakemake.log'})" in capsys.readouterr().out
    assert (scratch / "logs" / "audit.snakemake.log").is_file()


def test_the_audit_names_head_and_the_commit_the_report_cites_and_how_they_relate(tmp_path):
    # The report cites the last commit changing the workflow's inputs; the audit named
    # HEAD alone, a test-only commit after it, and nothing linked the two.
    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=tmp_path,
                              check=True, capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "t.csv").write_text("a\n1\n", encoding="utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "data")
    cited = git("rev-parse", "HEAD")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("", encoding="utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "a test")
    head = git("rev-parse", "HEAD")
    report = tmp_path / "results" / "report" / "report.qmd"
    report.parent.mkdir(parents=True)
    report.write_text(f"- **Source commit** (the last to change the workflow's code, pinned dependencies, configuration "
                      "or data): "
                      f"`{cited}`.\n", encoding="utf-8")
    assert audit.commit_lines(tmp_path) == [
        f"  commit (HEAD)       {head}",
        (f"  report cites        {cited[:12]} (the last commit changing code, pinned dependencies, configuration or "
         "data): HEAD "
         "changes none of the workflow's inputs since")]
    (tmp_path / "data" / "t.csv").write_text("a\n2\n", encoding="utf-8")
    git("commit", "-q", "-am", "more data")
    assert audit.commit_lines(tmp_path)[1].endswith(
        "HEAD changes 1 of the workflow's input files since (the report predates them)")
    # A pin moved (numpy, Typst) changes outputs as data do: an input too.
    (tmp_path / "constraints.txt").write_text("numpy==2.0.0\n", encoding="utf-8")
    git("add", "constraints.txt")
    git("commit", "-q", "-m", "a pin")
    assert audit.commit_lines(tmp_path)[1].endswith(
        "HEAD changes 2 of the workflow's input files since (the report predates them)")
    report.write_text(report.read_text(encoding="utf-8").replace(cited, git("rev-parse", "HEAD")), encoding="utf-8")
    assert audit.commit_lines(tmp_path)[1].endswith("): HEAD itself")
    # A build of uncommitted edits says so, whatever HEAD is.
    report.write_text(report.read_text(encoding="utf-8").replace("`.", " + uncommitted changes`."), encoding="utf-8")
    assert audit.commit_lines(tmp_path)[1].endswith("): built from uncommitted changes to it, which no commit may hold")


def test_the_audit_of_a_shallow_clone_says_it_is_shallow(tmp_path):
    origin, clone = tmp_path / "origin", tmp_path / "clone"

    def git(*args: str, cwd=origin) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd,
                              check=True, capture_output=True, text=True).stdout.strip()

    origin.mkdir()
    git("init", "-q")
    for n in "12":
        (origin / "data.csv").write_text(f"a\n{n}\n", encoding="utf-8")
        git("add", ".")
        git("commit", "-q", "-m", n)
    assert not any("shallow" in line for line in audit.commit_lines(origin))
    git("clone", "-q", "--depth", "1", origin.as_uri(), str(clone), cwd=tmp_path)
    lines = audit.commit_lines(clone)
    assert lines[0].startswith("  commit (HEAD) ")
    assert lines[1].startswith("  shallow clone ") and "git fetch --unshallow" in lines[1], lines
