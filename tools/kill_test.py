#!/usr/bin/env python3
"""Crash safety: kill cold builds at random moments and check that reruns repair them.

Usage::

    .venv/bin/python tools/kill_test.py [--trials 20] [--seed 1] [--keep] [-- SNAKEMAKE ARGS]

First a clean reference build of a scratch copy, timed. Then, for each trial, a fresh
scratch copy starts a cold build that is killed with SIGKILL (Snakemake's whole process
group: its job threads and the pandoc/Typst processes it started) at a random moment of
the reference build's duration, trial i of n in the i-th n-th of it (seeded, so a
failing trial can be replayed with the same ``--seed``). Then the build is rerun exactly as a user would, with
the same command; if that rerun is refused because the killed run left its lock, the
trial records it, runs ``--unlock`` and reruns. Every output (``results/``, ``build/``) must
end byte-identical to the reference.

The summary lists per trial when the kill came, how far the build had got and which jobs
were running, how the rerun went and what (if anything) differs. Exit status 0 when every
rerun completed without help and every tree is identical, 1 otherwise.

Arguments after ``--`` go to every Snakemake run (to try a fix, e.g. ``-- --nolock``).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit import (
    REPO,
    Difference,
    compare_trees,
    make_scratch_copy,
    run_workflow,
    start_workflow,
    workflow_env,
)

SOURCE_DATE_EPOCH = "1700000000"


@dataclass
class Trial:
    """One killed build and its repair."""

    index: int
    kill_after: float  # seconds after the start at which SIGKILL was sent
    killed: bool = False  # False: the build finished before the kill was due
    first_run_seconds: float = 0.0  # how long the first run lasted (killed or finished)
    steps_done: str = ""  # "k of n" at the moment of the kill
    running: list[str] = field(default_factory=list)  # jobs started but not finished
    leftovers: list[str] = field(default_factory=list)  # in .snakemake/incomplete, locks
    rerun_refused_for_lock: bool = False
    rerun_returncode: int | None = None
    rerun_seconds: float = 0.0
    rerun_jobs: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.rerun_returncode == 0 and not self.rerun_refused_for_lock and not self.differences


_JOB_START = re.compile(r"^(?:local)?rule (\w+):\n(?:\s+.*\n)*?\s+jobid: (\d+)", re.MULTILINE)
_JOB_END = re.compile(r"^Finished jobid: (\d+)", re.MULTILINE)
_STEPS = re.compile(r"^(\d+ of \d+) steps", re.MULTILINE)


def _running_jobs(output: str) -> list[str]:
    """Jobs a Snakemake log shows as started and not finished, as ``rule#jobid``."""
    started = {jobid: rule for rule, jobid in _JOB_START.findall(output)}
    finished = set(_JOB_END.findall(output))
    return sorted(f"{rule}#{jobid}" for jobid, rule in started.items() if jobid not in finished)


def kill_trial(source: Path, dest: Path, reference: Path, kill_after: float, *, index: int = 0,
               env: Mapping[str, str], snakemake_args: Sequence[str] = (),
               snakemake: str | None = None, revision: str | None = None) -> Trial:
    """Copy ``source`` (its commit ``revision`` if given) to ``dest``, start a cold build, SIGKILL it after ``kill_after`` seconds,
    rerun it to completion and compare its outputs with the built tree ``reference``."""
    trial = Trial(index=index, kill_after=kill_after)
    make_scratch_copy(source, dest, git=False, revision=revision)
    first_log = dest / "logs" / "kill-test.killed-run.log"
    start = time.perf_counter()
    proc = start_workflow(dest, *snakemake_args, env=env, log=first_log, snakemake=snakemake)
    try:
        proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        trial.killed = True
    trial.first_run_seconds = time.perf_counter() - start
    output = first_log.read_text(encoding="utf-8", errors="replace")
    steps = _STEPS.findall(output)
    trial.steps_done = steps[-1] if steps else "0 (before the first job finished)"
    trial.running = _running_jobs(output)
    meta = dest / ".snakemake"
    trial.leftovers = sorted(f"{d}/{p.name}" for d in ("incomplete", "locks") if (meta / d).is_dir()
                             for p in (meta / d).iterdir())

    rerun = run_workflow(dest, *snakemake_args, env=env, log=dest / "logs" / "kill-test.rerun.log",
                         snakemake=snakemake)
    if rerun.refused_for_lock:
        trial.rerun_refused_for_lock = True
        run_workflow(dest, "--unlock", *snakemake_args, env=env, snakemake=snakemake)
        rerun = run_workflow(dest, *snakemake_args, env=env, log=dest / "logs" / "kill-test.rerun.log",
                             snakemake=snakemake)
    trial.rerun_returncode, trial.rerun_seconds, trial.rerun_jobs = rerun.returncode, rerun.seconds, rerun.jobs
    if rerun.returncode == 0:
        trial.differences = compare_trees(reference, dest)
    return trial


def kill_moments(rng: random.Random, n: int, duration: float) -> list[float]:
    """``n`` random moments in ``[0, duration]``, the i-th uniform in the i-th n-th of it.

    Stratified rather than all uniform on the whole span: with few trials, plain uniform
    draws often bunch up and miss a stage (the render is the last third of a build).
    """
    return [duration * (i + rng.random()) / n for i in range(n)]


def leftover_pattern(path: str) -> str:
    """A path with the names of temporary files and folders generalised, for counting.

    ``results/report/figures/.a_vs_b.forest.svg.123.<hex>.tmp`` becomes
    ``results/report/figures/.<name>.*.tmp``; ``results/report/.report.render-x1y2/report.typ``
    becomes ``results/report/.report.render-*/``.
    """
    parts = path.split("/")
    for i, part in enumerate(parts):
        if part.startswith(".") and part not in (".", ".."):
            if part.endswith(".tmp"):
                generic = ".<name>.*.tmp"
            else:
                generic = re.sub(r"-[^-]*$", "-*", part) + "/"
            return "/".join([*parts[:i], generic])
    return path


def describe_trial(t: Trial) -> str:
    if not t.killed:
        where = "not killed: the build finished first"
    else:
        where = f"killed at {t.kill_after:5.1f} s, {t.steps_done} steps done"
        if t.running:
            shown = ", ".join(t.running[:3]) + (f" (+{len(t.running) - 3})" if len(t.running) > 3 else "")
            where += f", running {shown}"
    if t.rerun_returncode != 0:
        rerun = f"rerun FAILED (exit {t.rerun_returncode})"
    else:
        rerun = f"rerun {t.rerun_jobs} jobs in {t.rerun_seconds:.0f} s"
        if t.rerun_refused_for_lock:
            rerun = "rerun REFUSED (stale lock); after --unlock: " + rerun
    same = "identical" if t.rerun_returncode == 0 and not t.differences else (
        f"{len(t.differences)} outputs differ" if t.differences else "not compared")
    return f"trial {t.index:2d}: {where}; {rerun}; {same}"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill moments")
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout to copy (default: this one)")
    parser.add_argument("--revision", help="build this commit (e.g. HEAD) instead of the working tree")
    parser.add_argument("--workdir", type=Path, help="folder for the copies (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep every copy (failed trials are always kept)")
    parser.add_argument("--snakemake", help="Snakemake executable (default: this Python's snakemake module)")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="metareview-kill-test-"))
    work.mkdir(parents=True, exist_ok=True)
    env = workflow_env(SOURCE_DATE_EPOCH)
    revision = None
    if args.revision:
        revision = subprocess.run(["git", "-C", str(args.repo), "rev-parse", args.revision], check=True,
                                  capture_output=True, text=True).stdout.strip()
        print(f"building commit {revision}")
    reference = make_scratch_copy(args.repo, work / "reference", git=False, revision=revision)
    clean = run_workflow(reference, *extra, env=env, log=reference / "logs" / "kill-test.clean.log",
                         snakemake=args.snakemake)
    if clean.returncode != 0:
        print(f"the clean reference build failed (exit {clean.returncode}):\n{clean.output[-4000:]}")
        return 2
    print(f"clean build: {clean.jobs} jobs in {clean.seconds:.1f} s ({reference})")
    print(f"{args.trials} trials, kill moments random over [0, {clean.seconds:.1f}] s "
          f"(one per {clean.seconds / args.trials:.1f} s slice), seed {args.seed}\n")

    moments = kill_moments(random.Random(args.seed), args.trials, clean.seconds)
    trials = []
    rng = random.Random(args.seed + 1)
    for i, moment in enumerate(moments, start=1):
        dest = work / f"trial-{i:02d}"
        for attempt in range(3):
            t = kill_trial(args.repo, dest, reference, moment, index=i, env=env,
                           snakemake_args=extra, snakemake=args.snakemake, revision=revision)
            if t.killed:
                break
            # This build ran faster than the reference and finished first: same place in
            # the build, scaled to this run's speed, on a fresh copy.
            print(describe_trial(t) + "; again", flush=True)
            moment = moment * t.first_run_seconds / clean.seconds * rng.uniform(0.8, 1.0)
            shutil.rmtree(dest, ignore_errors=True)
        trials.append(t)
        print(describe_trial(t), flush=True)
        for d in t.differences[:10]:
            print("    " + str(d).replace("\n", "\n    "))
        if t.ok and not args.keep:
            shutil.rmtree(dest, ignore_errors=True)

    killed = [t for t in trials if t.killed]
    refused = [t for t in trials if t.rerun_refused_for_lock]
    failed = [t for t in trials if t.rerun_returncode != 0]
    differing = [t for t in trials if t.differences]
    print("\nsummary")
    print(f"  killed mid-build                    {len(killed)} of {len(trials)}")
    print(f"  rerun refused for a stale lock      {len(refused)}")
    print(f"  rerun failed (after --unlock)       {len(failed)}")
    print(f"  outputs differ from a clean build   {len(differing)}")
    kinds: dict[str, set[int]] = {}
    for t in differing:
        for d in t.differences:
            kinds.setdefault(f"{d.kind}: {leftover_pattern(d.path)}", set()).add(t.index)
    for key, which in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"    {len(which):2d} trials  {key}  (trials {', '.join(map(str, sorted(which)))})")
    all_ok = all(t.ok for t in trials)
    print(f"\n{'PASS' if all_ok else 'FAIL'}; copies in {work}" + ("" if all_ok or args.keep else " (failed trials kept)"))
    if all_ok and not args.keep and args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    start = time.perf_counter()
    code = main()
    print(f"({time.perf_counter() - start:.0f} s)")
    sys.exit(code)
