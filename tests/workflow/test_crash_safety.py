"""Crash safety: a cold build killed with SIGKILL at a random moment is repaired by a rerun.

Each trial copies the sources of the session's shared build (conftest.py) to a fresh
folder, starts a cold build, kills Snakemake's process group (its job threads and the
pandoc and Typst processes it started) at a random moment of the shared build's duration
(trial i of n in the i-th n-th of it, so a few trials still reach the start-up, the
per-study jobs, the figures and the render), reruns the build with the same command a user would, and compares
every output with the shared clean build. The moments come from a seeded generator
(``METAREVIEW_KILL_SEED``; ``METAREVIEW_KILL_TRIALS`` trials, default 3), so a failure can
be replayed. ``tools/kill_test.py`` runs the same trials 20 times and prints a summary.

What a rerun must do, one test each, so a failure names its cause:
- start at all: a killed run leaves Snakemake's lock behind, and a rerun that refuses to
  start until ``--unlock`` is not a repair (the trial then unlocks and reruns, so the
  other properties are still checked);
- complete;
- end with every output byte-identical to a clean build;
- leave no temporary file or folder (hidden names) among the outputs.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re

import metareview_workflow_support as wf  # registered by conftest.py
import pytest

audit = wf.tool("audit")
kill_test = wf.tool("kill_test")

pytestmark = pytest.mark.slow

TRIALS = int(os.environ.get("METAREVIEW_KILL_TRIALS", "3"))
SEED = int(os.environ.get("METAREVIEW_KILL_SEED", "2718"))


def build_seconds(output: str, default: float = 30.0) -> float:
    """How long a logged Snakemake run took: from its banner's start time to its last timestamp."""
    start = re.search(r"^\s*Date: (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", output, flags=re.MULTILINE)
    stamps = re.findall(r"^\[(\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4})\]$", output, flags=re.MULTILINE)
    if not (start and stamps):
        return default
    begin = dt.datetime.strptime(start[1], "%Y-%m-%d %H:%M:%S")
    end = dt.datetime.strptime(" ".join(stamps[-1].split()), "%a %b %d %H:%M:%S %Y")
    # Python start-up before the banner, and the last second the stamps round away.
    return max(1.0, (end - begin).total_seconds() + 2.0)


def _hidden(path: str) -> bool:
    return any(part.startswith(".") for part in path.rstrip("/").split("/"))


@pytest.fixture(scope="module")
def trials(built_repo, tmp_path_factory):
    duration = build_seconds(built_repo.output)
    rng = random.Random(SEED)
    env = audit.workflow_env(wf.SOURCE_DATE_EPOCH)
    done = []
    for i, moment in enumerate(kill_test.kill_moments(rng, TRIALS, duration), start=1):
        dest = tmp_path_factory.mktemp(f"killed-{i}") / "repo"
        done.append(kill_test.kill_trial(built_repo.root, dest, built_repo.root, moment, index=i, env=env))
    return done


def _summary(trials) -> str:
    return "\n".join(kill_test.describe_trial(t) for t in trials)


def test_the_builds_were_killed_mid_build(trials):
    assert any(t.killed for t in trials), "every build finished before its kill:\n" + _summary(trials)


def test_a_rerun_after_sigkill_is_not_refused_for_a_stale_lock(trials):
    refused = [t for t in trials if t.rerun_refused_for_lock]
    assert refused == [], (
        "after SIGKILL Snakemake's lock stays in .snakemake/locks and a plain rerun stops with "
        "LockException until `snakemake --unlock`:\n" + _summary(refused))


def test_a_rerun_after_sigkill_completes(trials):
    failed = [t for t in trials if t.rerun_returncode != 0]
    assert failed == [], _summary(failed)


def test_outputs_after_the_rerun_equal_a_clean_build(trials):
    problems = []
    for t in trials:
        diffs = [d for d in t.differences if not _hidden(d.path)]
        problems += [f"trial {t.index} ({kill_test.describe_trial(t)}):\n{d}" for d in diffs]
    assert problems == [], "\n".join(problems)


def test_no_temporary_file_is_left_among_the_outputs(trials):
    leftovers = [f"trial {t.index}: {d.path} (killed with {t.steps_done} steps done; {', '.join(t.running)})"
                 for t in trials for d in t.differences if _hidden(d.path)]
    assert leftovers == [], "files an interrupted write left behind, never cleaned up:\n" + "\n".join(leftovers)
