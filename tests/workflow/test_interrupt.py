"""Ctrl-C before the jobs start ends the build with one line, not a traceback.

A workflow copy whose reading takes long (a last include that waits) stands in for the
moment: the test presses Ctrl-C as a terminal does (SIGINT to the whole process group)
once the wait has begun.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import metareview_workflow_support as wf  # registered by conftest.py
import pytest

from metareview.buildstamp import INTERRUPTED_NOTE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

MARK = "reading the last rules file"
SLOW_RULES = f"""
import sys, time

print({MARK!r}, file=sys.stderr, flush=True)
time.sleep(60)
"""


def slow_copy(tmp_path: Path) -> Path:
    root = wf.copy_repo(tmp_path / "repo")
    (root / "rules" / "slow.smk").write_text(SLOW_RULES, encoding="utf-8")
    with (root / "Snakefile").open("a", encoding="utf-8") as fh:
        fh.write('\n\ninclude: "rules/slow.smk"\n')
    return root


def press_ctrl_c_while_reading(root: Path, command: list[str]) -> wf.Run:
    env = dict(os.environ, SOURCE_DATE_EPOCH=wf.SOURCE_DATE_EPOCH)
    proc = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    assert proc.stderr is not None
    seen = []
    try:
        for line in proc.stderr:
            seen.append(line)
            if MARK in line:
                break
        else:
            pytest.fail("the workflow was not read: " + "".join(seen)[-3000:])
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return wf.Run(proc.returncode, out, "".join(seen) + err)


def test_ctrl_c_while_snakemake_reads_the_workflow_ends_with_the_note(tmp_path: Path) -> None:
    # A plain `snakemake`: the workflow itself quiets Ctrl-C while it is read.
    pytest.importorskip("snakemake")
    root = slow_copy(tmp_path)
    run = press_ctrl_c_while_reading(root, [sys.executable, "-m", "snakemake", "--cores", "1"])
    assert run.returncode == 130, run.stderr[-3000:]
    assert run.stderr.endswith(f"{MARK}\n{INTERRUPTED_NOTE}\n"), run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    assert not (root / "results").exists() and not (root / "build").exists()


def test_make_reports_ctrl_c_while_the_workflow_is_read_says_the_note_once(tmp_path: Path) -> None:
    # `make report` runs buildstamp, which starts Snakemake through tools/start_snakemake.py.
    pytest.importorskip("snakemake")
    root = slow_copy(tmp_path)
    run = press_ctrl_c_while_reading(root, [sys.executable, "-m", "metareview.buildstamp", "--cores", "1"])
    assert run.returncode == 130, run.stderr[-3000:]
    assert run.stderr.endswith(f"{MARK}\n{INTERRUPTED_NOTE}\n"), run.stderr[-3000:]
    assert run.stderr.count(INTERRUPTED_NOTE) == 1
    assert "Traceback" not in run.stderr
    assert not (root / "results").exists() and not (root / "build").exists()


# Snakemake prints its job stats (importing what it needs for them) after it has made its
# job scheduler and before it runs the first job: made slow here.
SLOW_STATS = f"""
import sys, time
import snakemake.dag

_stats = snakemake.dag.DAG.stats


def _slow_stats(self):
    print({MARK!r}, file=sys.stderr, flush=True)
    time.sleep(60)
    return _stats(self)


snakemake.dag.DAG.stats = _slow_stats
"""


def test_ctrl_c_after_the_scheduler_is_made_and_before_the_first_job_ends_with_the_note(tmp_path: Path) -> None:
    # Before, Ctrl-C there was handed to Snakemake, which handles it only once it runs
    # jobs: a KeyboardInterrupt traceback of its code.
    pytest.importorskip("snakemake")
    root = wf.copy_repo(tmp_path / "repo")
    (root / "rules" / "slow.smk").write_text(SLOW_STATS, encoding="utf-8")
    with (root / "Snakefile").open("a", encoding="utf-8") as fh:
        fh.write('\n\ninclude: "rules/slow.smk"\n')
    run = press_ctrl_c_while_reading(root, [sys.executable, "-m", "snakemake", "--cores", "1"])
    assert run.returncode == 130, run.stderr[-3000:]
    assert run.stderr.endswith(f"{MARK}\n{INTERRUPTED_NOTE}\n"), run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    assert not (root / "results").exists() and not (root / "build").exists()


# Run as tools/start_snakemake.py runs, with Ctrl-C pressed (SIGINT to itself) the moment it
# begins to import metareview.buildstamp, before quiet_ctrl_c is set.
CTRL_C_DURING_IMPORT = """
import os, runpy, signal, sys

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "metareview.buildstamp":
            os.kill(os.getpid(), signal.SIGINT)
        return None

script = sys.argv[1]
sys.meta_path.insert(0, CtrlC())
sys.argv = [script, "--version"]
runpy.run_path(script, run_name="__main__")
"""


def test_ctrl_c_while_the_start_script_imports_its_handler_ends_without_a_traceback(tmp_path: Path) -> None:
    script = wf.REPO / "tools" / "start_snakemake.py"
    run = subprocess.run([sys.executable, "-c", CTRL_C_DURING_IMPORT, str(script)], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, check=False)
    # Ended by the signal itself (make report's buildstamp then says the note), in silence.
    assert run.returncode == -signal.SIGINT, run.stderr[-3000:]
    assert run.stderr == "" and run.stdout == ""
