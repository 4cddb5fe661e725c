"""The report in build/report/: replaced only by a complete new pair, never lost.

Snakemake removes a job's outputs before it runs and again when it fails, so the render
writes beside its source (``results/report/``) and rule ``publish_report`` copies the pair
into ``build/report/``. A render that fails, or that Ctrl-C stops, must leave the last
complete build's report there, byte for byte; the run that completes the report must say
what changed (the report was assembled by the run that failed); and a report deleted by
hand is published again, without rendering anything.

pandoc is replaced for one run by a stand-in (``PYPANDOC_PANDOC``, which pypandoc
honours) that fails, or that waits until the test interrupts the build.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import metareview_workflow_support as wf  # registered by conftest.py
import pytest

from metareview.report.keys import recorded_results

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="shell script stand-in, POSIX signals")]

# The pair, and the audit trail published beside it: replaced together or not at all.
REPORT = ("build/report/report.html", "build/report/report.pdf", "build/report/audit.csv")
KEPT = "The report in build/report/ is still the last complete build's."
SAID = "What changed since the last build (the report's first section):"


def stand_in_pandoc(folder: Path, body: str) -> str:
    """A pandoc that answers ``--version`` as the real one does and otherwise runs ``body``."""
    pypandoc = pytest.importorskip("pypandoc")
    script = folder / "pandoc"
    script.write_text(f'#!/bin/sh\ncase " $* " in *" --version "*) exec "{pypandoc.get_pandoc_path()}" "$@";; esac\n'
                      f"{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def report_state(root: Path) -> dict[str, tuple[bytes, int]]:
    """The published pair: each file's bytes and modification time."""
    return {rel: ((root / rel).read_bytes(), (root / rel).stat().st_mtime_ns) for rel in REPORT}


def edit_a_study(root: Path) -> None:
    """An arm mean read again from the source: the report is assembled and rendered anew."""
    plan = wf.load_plan(root)
    raw = root / plan.config["raw_dir"] / "arm_outcomes.csv"
    row = next(r for r in wf.read_rows(raw) if r["study_id"] in plan.candidates[plan.analyses[0]] and r["mean"]
               and "\n" not in "".join(r.values()))
    wf.edit_row(raw, {k: row[k] for k in ("study_id", "arm_id", "outcome", "instrument", "timepoint_weeks",
                                          "value_type", "mean")},
                {"mean": f"{float(row['mean']) + 0.5:g}"})


def interrupted_build(root: Path, pandoc: str, started: Path, timeout: float = 300) -> wf.Run:
    """A build stopped by Ctrl-C once pandoc has started: SIGINT to its process group, as a
    terminal sends it."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=wf.SOURCE_DATE_EPOCH, PYPANDOC_PANDOC=pandoc)
    # As from a terminal: SIGINT not ignored, whatever this process inherited (a command
    # started in the background by a shell ignores it, and so would its children).
    launch = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
              "os.execv(sys.executable, [sys.executable, '-m', 'snakemake', '--nocolor'])")
    proc = subprocess.Popen([sys.executable, "-c", launch], cwd=root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while not started.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                out, err = proc.communicate(timeout=10)
                pytest.fail(f"the render never started pandoc:\n{(out + err)[-4000:]}")
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return wf.Run(proc.returncode, out, err)


@pytest.mark.parametrize("how", ["fails", "is interrupted"])
def test_a_render_that_fails_or_is_interrupted_keeps_the_last_report_and_the_rerun_says_what_changed(
        built_copy, tmp_path, how):
    before = report_state(built_copy)
    edit_a_study(built_copy)
    started = tmp_path / "pandoc-started"
    if how == "fails":
        pandoc = stand_in_pandoc(tmp_path, 'echo "pandoc: could not write the output" >&2\nexit 83')
        run = wf.run_snakemake(built_copy, env={"PYPANDOC_PANDOC": pandoc})
        said = "failed (exit 83):\npandoc: could not write the output"
    else:
        # exec: the sleep is pandoc, and dies of the SIGINT as pandoc would.
        pandoc = stand_in_pandoc(tmp_path, f'touch "{started}"\nexec sleep 120')
        run = interrupted_build(built_copy, pandoc, started)
        said = "was interrupted (SIGINT)"
    assert run.returncode != 0, run.output[-4000:]
    # The report was assembled, then its render stopped: the pair in build/report/ is the
    # last build's, untouched, and the build says so.
    assert report_state(built_copy) == before
    assert sorted(p.name for p in (built_copy / "build" / "report").iterdir()) == [
        "audit.csv", "report.html", "report.pdf"]
    assert said in run.output and KEPT in run.output, run.output[-4000:]
    # Said in a few lines: no Python traceback of the library's threads.
    assert "Traceback" not in run.output and "concurrent/futures" not in run.output, run.output[-4000:]
    assert SAID not in run.output

    rerun = wf.run_snakemake(built_copy, "--quiet", "host")  # each job's block, for its rule
    assert rerun.returncode == 0, rerun.output[-4000:]
    # Only the render and what follows it: the report was assembled by the run that failed.
    assert {j.rule for j in wf.parse_plan(rerun.output)} <= {"render_report", "publish_report", "all"}
    assert SAID in rerun.output and "Raw rows changed" in rerun.output, rerun.output[-4000:]
    after = report_state(built_copy)
    assert all(after[rel][0] != before[rel][0] for rel in REPORT)
    assert wf.planned_jobs(built_copy) == set()


def test_a_failed_render_of_an_edit_that_changes_no_key_result_is_not_taken_as_done(built_copy, tmp_path):
    before = report_state(built_copy)
    template = built_copy / "reports" / "report.qmd"
    text = template.read_text(encoding="utf-8")
    assert "\n## Summary {#sec-summary}\n" in text
    template.write_text(text.replace("\n## Summary {#sec-summary}\n", "\n## Summary of the evidence {#sec-summary}\n"),
                        encoding="utf-8")
    pandoc = stand_in_pandoc(tmp_path, 'echo "pandoc: could not write the output" >&2\nexit 83')
    run = wf.run_snakemake(built_copy, env={"PYPANDOC_PANDOC": pandoc})
    assert run.returncode != 0, run.output[-4000:]
    assert report_state(built_copy) == before
    # The key results are the same, so only the render's sources say the published pair is
    # old: without them the next run found nothing to do and kept the old report.
    assert wf.planned_jobs(built_copy) == {wf.job("render_report"), wf.job("publish_report"), wf.job("all")}
    rerun = wf.run_snakemake(built_copy)
    assert rerun.returncode == 0, rerun.output[-4000:]
    assert "Summary of the evidence" in (built_copy / REPORT[0]).read_text(encoding="utf-8")
    assert wf.planned_jobs(built_copy) == set()


def test_a_deleted_report_is_published_again_without_rendering(built_copy):
    before = {rel: (built_copy / rel).read_bytes() for rel in REPORT}
    for missing in (["build"], [REPORT[1]]):
        for rel in missing:
            target = built_copy / rel
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()
        assert wf.planned_jobs(built_copy) == {wf.job("publish_report"), wf.job("all")}
        run = wf.run_snakemake(built_copy)
        assert run.returncode == 0, run.output[-4000:]
        assert {rel: (built_copy / rel).read_bytes() for rel in REPORT} == before
        # The same report again: what changed was said by the build that made it.
        assert "What changed since the last build" not in run.output
        assert wf.planned_jobs(built_copy) == set()


def test_a_render_stopped_before_the_report_source_changed_is_made_again(built_copy):
    # The state Ctrl-C during the render leaves when the run assembled the report's source
    # as it was (its deleted outputs rebuilt, say): the rendered pair gone from results/report/,
    # the published pair and its digest as the last complete build left them. The source
    # being unchanged, publish_report alone had no reason to run, and the next run said
    # "Nothing to be done" with results/report/report.{html,pdf} missing for good.
    before = {rel: (built_copy / rel).read_bytes() for rel in REPORT}
    rendered = ("results/report/report.html", "results/report/report.pdf")
    for rel in rendered:
        (built_copy / rel).unlink()
    assert wf.planned_jobs(built_copy) == {wf.job("render_report"), wf.job("publish_report"), wf.job("all")}
    run = wf.run_snakemake(built_copy)
    assert run.returncode == 0, run.output[-4000:]
    assert all((built_copy / rel).is_file() for rel in rendered)
    # Rendered from the same source: the same bytes (builds are reproducible).
    assert {rel: (built_copy / rel).read_bytes() for rel in REPORT} == before
    assert wf.planned_jobs(built_copy) == set()


def test_the_next_report_names_the_build_readers_last_had_though_it_moved_no_result(built_copy):
    # A draft (built from uncommitted changes), committed and built again: the second
    # report moved no result, so the history kept naming the draft's build, and the report
    # after a study was added said it was compared with that one. Here the first build is
    # of a copy that is no checkout at all, whose commit the second build then names.
    history = built_copy / "results" / "history" / "key_results.json"
    was = json.loads(history.read_text(encoding="utf-8"))
    # A checkout as the team's: the copy has no dotfiles (wf.copy_repo).
    shutil.copyfile(wf.REPO / ".gitignore", built_copy / ".gitignore")
    for args in (["init", "-q"], ["add", "--all"],
                 ["-c", "user.name=Team", "-c", "user.email=team@example.org", "commit", "-qm", "The sources"]):
        subprocess.run(["git", *args], cwd=built_copy, check=True, capture_output=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=built_copy, check=True, capture_output=True,
                            text=True).stdout.strip()
    run = wf.run_snakemake(built_copy)
    assert run.returncode == 0, run.output[-4000:]
    now = json.loads(history.read_text(encoding="utf-8"))
    assert was["built"]["commit"] != commit and now["built"]["commit"] == commit
    # What the next report compares with is as it was, and nothing new is announced.
    assert recorded_results(now) == recorded_results(was)
    assert SAID not in run.output and "consistency warning" not in run.output, run.output[-4000:]
    wf.add_trial(built_copy, "Kim2030", "Kim et al. (2030)", wf.trial_analysis(wf.load_config(built_copy)),
                 means=(3.0, 4.2))
    run = wf.run_snakemake(built_copy)
    assert run.returncode == 0, run.output[-4000:]
    assert SAID in run.output, run.output[-4000:]
    source = (built_copy / "results" / "report" / "report.qmd").read_text(encoding="utf-8")
    assert f"Compared with the build of {now['built']['date']} from source commit `{commit[:7]}`:" in source
