"""The Makefile's targets that promise something about their output."""

from __future__ import annotations

import os
import shutil
import subprocess

import metareview_workflow_support as wf  # registered by conftest.py
import pytest


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_dag_sends_the_environment_setup_to_stderr(tmp_path):
    # `make dag | dot -Tsvg` on a fresh machine: the venv and pip commands make echoes
    # went to standard output, ahead of the graph, and dot read them as its input.
    venv = tmp_path / "no-venv-yet"
    # As typed in a terminal: under `make test` pytest inherits make's MAKELEVEL and
    # MAKEFLAGS, with which a make prints "Entering directory" lines of its own.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    out = subprocess.run(["make", "-n", "dag", f"VENV={venv}"], check=False, cwd=wf.REPO,
                         capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    # In a dry run make prints every command, and runs the recursive one, whose own
    # commands (the set-up) it prints to where that one sends them.
    assert out.stdout.splitlines()[-1] == f"{venv}/bin/snakemake --rulegraph"
    assert "-m venv" not in out.stdout and "pip install" not in out.stdout, out.stdout
    assert f"-m venv {venv}" in out.stderr and "pip install" in out.stderr, out.stderr
    assert not venv.exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
@pytest.mark.parametrize("args", ["-n", "--cores 1"])
def test_make_report_leaves_its_closing_lines_to_the_build(args):
    # The report target read ARGS for a dry run with a grep of its own, a copy of
    # metareview.buildstamp.is_dry_run that could drift from it; buildstamp now prints
    # the closing lines (tests/unit/test_buildstamp.py), and the recipe is its call alone.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    out = subprocess.run(["make", "-n", "report", f"ARGS={args}"], check=False, cwd=wf.REPO,
                         capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[-1] == f".venv/bin/python -m metareview.buildstamp {args}", out.stdout
    assert "dry" not in out.stdout and "Report (HTML)" not in out.stdout, out.stdout
