"""The workflow on a real single-node SLURM cluster gives the same results as a local build.

Opt-in (``METAREVIEW_TEST_SLURM=1``): the test starts munged, slurmctld and slurmd on this
machine (see ``slurm.py``; ``.ci/slurm-setup.sh`` installs the Debian packages), runs the
pipeline through ``--profile profiles/slurm`` in one scratch copy of the repository and
with the default local profile in another, and compares the results byte for byte. On two
cores the cluster run takes about seven minutes (the local one half a minute): every SLURM
job, and every job inside a job group, starts Snakemake anew.
"""

from __future__ import annotations

import contextlib
import filecmp
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from slurm import (
    SLURM_CONF,
    ClusterUnavailable,
    LocalSlurmCluster,
    missing_binaries,
)

REPO = Path(__file__).resolve().parents[2]
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
# Both builds get the same build date, so the report outputs can be compared as well.
SOURCE_DATE_EPOCH = "1700000000"
# Generous: about seven minutes are expected on two cores (see the module docstring).
RUN_TIMEOUT_S = 3600
GENERATED = (
    ".git",
    ".venv",
    ".venv-slurm",
    ".venv-bench",
    "results",
    "logs",
    "build",
    ".snakemake",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".ruff_cache",
    "*.egg-info",
)


def _skip_reason() -> str | None:
    if os.environ.get("METAREVIEW_TEST_SLURM") != "1":
        return "opt-in: set METAREVIEW_TEST_SLURM=1 to start a local SLURM cluster"
    missing = missing_binaries()
    if missing:
        return f"SLURM/MUNGE not installed ({', '.join(missing)}): run .ci/slurm-setup.sh"
    if importlib.util.find_spec("snakemake_executor_plugin_slurm") is None:
        return "the SLURM executor plugin is missing: pip install -e '.[slurm]'"
    if os.geteuid() != 0:
        return "a local SLURM cluster needs root (slurmd launches the jobs)"
    return None


pytestmark = [
    pytest.mark.slurm,
    pytest.mark.slow,
    pytest.mark.skipif(_skip_reason() is not None, reason=str(_skip_reason())),
]


@contextlib.contextmanager
def sigterm_as_interrupt():
    """Turn SIGTERM into KeyboardInterrupt while daemons run, so `finally` stops them.

    Without this a CI timeout would kill pytest outright and leave slurmctld, slurmd and
    munged running (they are in their own sessions, out of reach of the process group).
    """

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def scratch_copy(dest: Path) -> Path:
    """The working tree (uncommitted edits included) without generated folders."""
    shutil.copytree(REPO, dest, ignore=shutil.ignore_patterns(*GENERATED), symlinks=True)
    return dest


def build_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of both builds, with OpenBLAS's kernel pinned as ``make report``
    pins it: the local build computes in the Snakemake process, which loads numpy (with
    the executor plugin's pandas) before the workflow could pin it; the cluster's jobs are
    pinned by the workflow either way."""
    from metareview.blas import blas_environment

    env = blas_environment(dict(os.environ if base is None else base))
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    return env


def run_snakemake(workdir: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            [*SNAKEMAKE, *args],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        # The cluster's stop() cancels whatever the killed Snakemake left queued.
        stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else ""
        pytest.fail(
            f"snakemake {' '.join(args)} did not finish in {RUN_TIMEOUT_S} s\n{tail(stderr or '')}"
        )


def tail(text: str, lines: int = 60) -> str:
    return "\n".join(text.splitlines()[-lines:])


def tree(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def local_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy built with the default (local) profile: the reference."""
    work = scratch_copy(tmp_path_factory.mktemp("local") / "repo")
    env = build_env()
    for name in [n for n in env if n.startswith("SLURM_")]:
        del env[name]
    result = run_snakemake(work, env=env)
    assert result.returncode == 0, f"local build failed:\n{tail(result.stderr)}"
    return work


@pytest.fixture
def cluster_root():
    # Not under pytest's tmp_path: its parents are private to root, and munged runs as
    # the munge user and must reach its socket folder.
    root = Path(tempfile.mkdtemp(prefix="metareview-slurm-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def start_or_skip(cluster: LocalSlurmCluster) -> None:
    try:
        cluster.start()
    except ClusterUnavailable as exc:
        pytest.skip(str(exc))


def test_cluster_starts_runs_a_job_and_stops_cleanly(cluster_root: Path) -> None:
    cluster = LocalSlurmCluster(cluster_root)
    with sigterm_as_interrupt():
        start_or_skip(cluster)
        try:
            pids = dict(cluster.started_pids)
            state = cluster.run("sinfo", "--noheader", "--Node", "--format=%N %t %c")
            job = cluster.run("srun", "--ntasks=1", "hostname")
        finally:
            cluster.stop()
    assert set(pids) == {"munged", "slurmctld", "slurmd"}
    assert state.stdout.split() == [cluster.hostname, "idle", str(cluster.cpus)]
    assert job.returncode == 0, job.stderr
    assert job.stdout.strip() == cluster.hostname
    assert cluster.started_pids == {}
    assert not cluster.leftover_processes(), "daemons or job steps left running"
    assert not SLURM_CONF.exists()


def test_pipeline_on_slurm_matches_local_build(
    local_build: Path, cluster_root: Path, tmp_path: Path
) -> None:
    work = scratch_copy(tmp_path / "repo")
    cluster = LocalSlurmCluster(cluster_root)
    with sigterm_as_interrupt():
        start_or_skip(cluster)
        try:
            result = run_snakemake(
                work, "--profile", "profiles/slurm", env=build_env(cluster.env())
            )
            # MinJobAge=300 keeps finished jobs listed: every job the run submitted.
            queue = cluster.run("squeue", "--states=all", "--noheader", "--format=%i|%T|%j")
            daemon_logs = cluster.log_tails()
        finally:
            cluster.stop()
    assert not cluster.leftover_processes(), "daemons or job steps left running"
    assert not SLURM_CONF.exists()

    assert result.returncode == 0, f"slurm build failed:\n{tail(result.stderr)}\n{daemon_logs}"
    log = result.stderr
    submitted = [line for line in log.splitlines() if "submitted with SLURM jobid" in line]
    slurm_jobs = [line.split("|") for line in queue.stdout.split()]
    assert submitted, f"nothing was submitted to SLURM:\n{tail(log)}"
    assert len(slurm_jobs) == len(submitted)
    assert {state for _, state, _ in slurm_jobs} == {"COMPLETED"}, slurm_jobs
    # One Snakemake run ID names all of them.
    assert len({name for _, _, name in slurm_jobs}) == 1
    # Groups batch the per-study and per-analysis jobs: far fewer submissions than jobs.
    finished = log.count("Finished jobid:")
    assert any("group_studies" in line for line in submitted)
    assert len(submitted) < finished / 4, (len(submitted), finished)

    local, remote = tree(local_build / "results"), tree(work / "results")
    assert sorted(remote) == sorted(local)
    compared = [
        *[k for k in local if k.startswith("analyses/") and k.endswith(".json")],
        "report/audit.csv",
        *[k for k in local if k.startswith("report/figures/")],
    ]
    assert any(k.endswith(".svg") for k in compared)
    differing = [k for k in compared if not filecmp.cmp(local[k], remote[k], shallow=False)]
    assert not differing, f"SLURM and local builds differ: {differing}"
    # Everything else under results/ must match too (effects, claims, the report source).
    other = [k for k in local if k not in compared]
    differing = [k for k in other if not filecmp.cmp(local[k], remote[k], shallow=False)]
    assert not differing, f"SLURM and local builds differ: {differing}"
    for name in ("report.html", "report.pdf"):
        assert (work / "build" / "report" / name).stat().st_size > 0

    # The cluster jobs recorded their provenance like local jobs do: a local run of the
    # same copy finds nothing to redo.
    again = run_snakemake(work, "--dry-run", env=build_env())
    assert again.returncode == 0, tail(again.stderr)
    assert "Nothing to be done" in again.stdout + again.stderr, tail(again.stdout + again.stderr)
