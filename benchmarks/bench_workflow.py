"""Timing of the whole workflow: cold, no-op and one-study builds, and a 1,000-analysis review.

What it measures, each repeated and reported as the median (the machine is shared):

1. Start-up costs a job would pay if it ran in a Python process of its own: ``python -c
   pass``, the heavy imports (numpy, scipy.special, matplotlib, pandas, Snakemake itself)
   and, for each rule, importing its script (which imports the library modules it uses).
   From these and the example's job counts, what one process per job would cost.
2. Snakemake's own cost per job, on a generated workflow of trivial jobs (no library
   code): in-process ``run:`` jobs under the default (ILP) and the greedy scheduler, and
   ``shell:`` jobs that start a Python each.
3. The example review, in scratch copies of the checkout's tracked files: cold build
   (render included), no-op build, and the rebuild after adding one two-arm trial; wall
   time, number of jobs, time before the first job starts (start-up, parse and DAG) and
   job time per rule (from Snakemake's metadata).
4. A generated review of ``--analyses`` analyses (default 1,000): the example's raw
   tables plus synthetic multi-arm trials between synthetic treatment nodes, and the
   analyses between them; cold build, no-op build and the rebuild after adding one
   trial between two synthetic nodes, and the cold build's CPU time by process
   (Snakemake's own, the worker processes, pandoc).

Targets (2-core machine): cold example build <= 10 s, no-op <= 2 s, one-study rebuild
< 40% of the cold build, 1,000 analyses <= 60 s.

Usage (``make bench`` runs it in an environment with the workflow extra only, as
``make report`` creates it; pass options with ``BENCH_ARGS="..."``)::

    .venv/bin/python benchmarks/bench_workflow.py [--repeats 3] [--analyses 1000]
        [--skip-large] [--py-spy] [--json PATH]

This is a script, not a test: it never fails on time. With the defaults it runs about
5 to 15 minutes on a 2-core machine (the large review dominates).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Self

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

from audit import make_scratch_copy, run_workflow, workflow_env

PY = sys.executable
SOURCE_DATE_EPOCH = "1700000000"
#: The commit to build (``--revision``); None: the working tree's tracked files.
REVISION: str | None = None
TARGETS = {"cold": 10.0, "noop": 2.0, "one_study_ratio": 0.40, "large_cold": 60.0}


# --------------------------------------------------------------------------- helpers


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else math.nan


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def time_command(cmd: Sequence[str], repeats: int, cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> list[float]:
    """Wall times of ``cmd``, one warm-up run first (file cache), ``repeats`` timed runs."""
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
    times = []
    for _ in range(repeats):
        t, _ = timed(lambda: subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True))
        times.append(t)
    return times


def children_cpu() -> float:
    """User + system CPU seconds of the finished child processes so far (Snakemake and
    what it started): over a run's wall time, how many of the 2 cores the build used."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def print_table(rows: list[Sequence[Any]], header: Sequence[str]) -> None:
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    for n, r in enumerate(cells):
        print("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


# --------------------------------------------------------------------------- 1. start-up


def rule_scripts() -> dict[str, str]:
    """Each rule's adapter script (scripts/<rule>.py), by rule name."""
    return {p.stem: str(p) for p in sorted((REPO / "scripts").glob("*.py"))}


def import_script_code(path: str) -> str:
    """Python code that imports a script as a job process would (its ``main`` is not run)."""
    return (f"import importlib.util, sys; sys.path.insert(0, {str(REPO / 'src')!r}); "
            f"s = importlib.util.spec_from_file_location('job', {path!r}); "
            "m = importlib.util.module_from_spec(s); s.loader.exec_module(m)")


def bench_startup(repeats: int) -> dict[str, float]:
    """Median seconds of each start-up command."""
    cases = {
        "python -c pass": "pass",
        "import numpy": "import numpy",
        "import scipy.special": "import scipy.special",
        "import matplotlib (Agg) + pyplot": "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot",
        "import pandas": "import pandas",
        "import snakemake.cli": "import snakemake.cli",
    }
    for rule, path in rule_scripts().items():
        cases[f"job script {rule}"] = import_script_code(path)
    out = {}
    for name, code in cases.items():
        # Plain imports are skipped where the module is not installed (pandas outside the
        # test extras); a job script's code starts with "import importlib.util, sys".
        module = (code.split(";")[0].removeprefix("import ").strip()
                  if code.startswith("import ") and not name.startswith("job script") else None)
        if module and subprocess.run([PY, "-c", f"import importlib.util as u; exit(u.find_spec({module!r}) is None)"],
                                     check=False).returncode:
            continue
        out[name] = median(time_command([PY, "-c", code], repeats))
    out["snakemake --version"] = median(time_command([PY, "-m", "snakemake", "--version"], repeats))
    return out


HEAVY_IMPORTS = ("snakemake_executor_plugin_slurm.efficiency_report", "pandas", "sqlmodel", "sqlalchemy", "numpy",
                 "pulp", "yaml", "jsonschema", "snakemake.workflow", "snakemake.persistence",
                 "snakemake.scheduling.job_scheduler", "snakemake.cli")


def snakemake_import_breakdown(repeats: int) -> dict[str, float]:
    """Seconds ``import snakemake.cli`` spends in each of :data:`HEAVY_IMPORTS` (nested
    entries overlap: pandas is imported by the SLURM plugin's efficiency report, which
    Snakemake imports with every installed executor plugin), from ``python -X importtime``."""
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(repeats):
        err = subprocess.run([PY, "-X", "importtime", "-c", "import snakemake.cli"], check=True,
                             capture_output=True, text=True).stderr
        found: dict[str, float] = {}
        for line in err.splitlines():
            m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)$", line)
            if m and m[3] in HEAVY_IMPORTS:
                found[m[3]] = max(found.get(m[3], 0.0), int(m[1]) / 1e6)
        for name, sec in found.items():
            samples[name].append(sec)
    return {name: median(v) for name, v in sorted(samples.items(), key=lambda kv: -median(kv[1]))}


def snakemake_plugins() -> list[str]:
    """Installed Snakemake plugins: Snakemake imports every executor plugin at start-up."""
    from importlib import metadata

    return sorted({d.metadata["Name"] for d in metadata.distributions()
                   if (d.metadata["Name"] or "").lower().startswith("snakemake-") and "interface" not in d.metadata["Name"]})


# --------------------------------------------------------------------------- 2. per-job overhead


TRIVIAL_SNAKEFILE = """
N = {n}
rule all:
    input: expand("out/{{i}}.txt", i=range(N))
rule make:
    output: "out/{{i}}.txt"
{body}
"""
_RUN_BODY = "    run:\n        with open(output[0], 'w') as fh:\n            fh.write(wildcards.i)\n"
_SHELL_BODY = "    shell: '{py} -c pass && echo {{wildcards.i}} > {{output}}'\n"


def bench_trivial(work: Path, n: int, kind: str, scheduler: str) -> dict[str, float]:
    """Cold and no-op wall time of ``n`` trivial jobs (2 cores, jobs in threads)."""
    root = work / f"trivial-{kind}-{scheduler}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    body = _RUN_BODY if kind == "run" else _SHELL_BODY.format(py=PY)
    (root / "Snakefile").write_text(TRIVIAL_SNAKEFILE.format(n=n, body=body), encoding="utf-8")
    args = ("--cores", "2", "--force-use-threads", "--scheduler", scheduler, "--quiet", "all")
    env = workflow_env(SOURCE_DATE_EPOCH)
    cold = run_workflow(root, *args, env=env)
    if cold.returncode != 0:
        raise RuntimeError(cold.output[-3000:])
    noop = run_workflow(root, *args, env=env)
    return {"cold": cold.seconds, "noop": noop.seconds, "per_job": (cold.seconds - noop.seconds) / n}


# --------------------------------------------------------------------------- 3. the example


def _job_key(rec: dict[str, Any]) -> tuple:
    """What identifies one job among the metadata records of its outputs: its log files
    (every rule here logs to a file named after its wildcards), else its hash and end."""
    if rec.get("log"):
        return (rec["rule"], tuple(rec["log"]))
    return (rec["rule"], rec.get("job_hash"), rec.get("endtime"))


class ProcessCpu:
    """CPU seconds of a build's processes by kind, read from ``/proc`` (Linux) while it runs.

    ``run_workflow`` starts Snakemake in a session of its own; the build's processes are
    those of that session: Snakemake's own (which schedules the jobs and records each
    one), the worker processes (the jobs, and Typst, which runs in the render job's
    process) and pandoc. Each process's user + system time is read every ``interval``
    seconds and its last reading kept, so a process misses at most its last interval;
    elsewhere (no ``/proc``) the totals stay empty.
    """

    KINDS = ("snakemake (schedules and records jobs)", "worker processes (jobs, Typst)", "pandoc", "other")

    def __init__(self, root: Path, interval: float = 0.2) -> None:
        self.root = str(root.resolve())
        self.interval = interval
        self.seconds: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self._session: int | None = None

    def __enter__(self) -> Self:
        if Path("/proc/self/stat").is_file():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def totals(self) -> dict[str, float]:
        out = dict.fromkeys(self.KINDS, 0.0)
        for kind, seconds in self.seconds.values():
            out[kind] += seconds
        return {k: v for k, v in out.items() if v > 0}

    def _kind(self, pid: int, cmdline: str) -> str:
        if pid == self._session:
            return self.KINDS[0]
        if "metareview.workers" in cmdline:
            return self.KINDS[1]
        if "pandoc" in cmdline:
            return self.KINDS[2]
        return self.KINDS[3]

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()
        self._sample()

    def _sample(self) -> None:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            try:
                # Fields after the command name: state, ppid, pgrp, session, ... utime (11), stime (12).
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                session = int(fields[3])
                if self._session is None and session == pid and os.readlink(f"/proc/{pid}/cwd") == self.root:
                    self._session = pid  # Snakemake: the session leader working in the build's folder
                if session != self._session:
                    continue
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile, or not ours to read
            # A process that has ended but not been waited for has no command line: it
            # keeps the kind it was given while it ran.
            known = self.seconds.get(pid)
            kind = self._kind(pid, cmdline) if cmdline else known[0] if known else None
            if kind is not None:
                self.seconds[pid] = (kind, (int(fields[11]) + int(fields[12])) / self._tick)


def job_times(root: Path) -> dict[str, Any]:
    """Per-rule job count and summed job wall time, from Snakemake's metadata records.

    Each output file has a record naming its rule and when the job started and ended:
    jobs with several outputs are counted once (see :func:`_job_key`).
    """
    jobs: dict[tuple[str, Any], tuple[float, float]] = {}
    meta = root / ".snakemake" / "metadata"
    for f in meta.iterdir() if meta.is_dir() else []:
        try:
            rec = json.loads(f.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
        if rec.get("starttime") and rec.get("endtime"):
            jobs[_job_key(rec)] = (rec["starttime"], rec["endtime"])
    per_rule: dict[str, list[float]] = defaultdict(list)
    for (rule, *_), (s, e) in jobs.items():
        per_rule[rule].append(e - s)
    starts = [s for s, _ in jobs.values()]
    ends = [e for _, e in jobs.values()]
    return {"per_rule": {r: (len(v), sum(v)) for r, v in per_rule.items()},
            "first_start": min(starts) if starts else math.nan, "last_end": max(ends) if ends else math.nan}


def csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def append_rows(path: Path, rows: list[dict[str, Any]]) -> None:
    """Append rows (dicts by column name) to a raw table, in its column order."""
    header = csv_header(path)
    unknown = {k for r in rows for k in r} - set(header)
    if unknown:
        raise KeyError(f"{path.name}: no columns {sorted(unknown)}")
    text = path.read_text(encoding="utf-8")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for r in rows:
        writer.writerow(["" if r.get(c) is None else r[c] for c in header])
    path.write_text(text + ("" if text.endswith("\n") else "\n") + buf.getvalue(), encoding="utf-8")


def trial_source(raw: Path) -> str:
    with (raw / "sources.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return next((r for r in rows if r["kind"] == "trial_report"), rows[0])["source_id"]


def trial_rows(study_id: str, arms: Sequence[tuple[str, str]], source: str, rng: random.Random,
               n: int = 40, week: int = 6) -> tuple[dict, list[dict], list[dict]]:
    """Rows of a randomised trial with final pain (VAS 0-10) and disability (ODI) values.

    ``arms`` are (arm_id, treatment code); means are drawn at random around 5 and 40.
    """
    study = dict(study_id=study_id, label=f"{study_id} et al. (2020)", year=2020, design="rct",
                 source_level="primary", source_id=source, identity_confidence="high")
    arm_rows = [dict(study_id=study_id, arm_id=a, treatment=code, description=f"{code} arm",
                     n_randomised=n, n_analysed=n) for a, code in arms]
    outcomes = []
    for a, code in arms:
        for outcome, instrument, centre, spread, sd in (("pain", "VAS_0_10", 5.0, 1.0, 2.0),
                                                        ("disability", "ODI_0_100", 40.0, 8.0, 15.0)):
            mean = round(rng.gauss(centre, spread), 1)
            outcomes.append(dict(study_id=study_id, arm_id=a, outcome=outcome, instrument=instrument,
                                 timepoint_weeks=week, timepoint_label=f"week {week}", value_type="final",
                                 n=n, mean=mean, sd=sd, location="Table 2",
                                 quote=f"{code}: mean {mean} (SD {sd}), n = {n}", confidence="high"))
    return study, arm_rows, outcomes


def add_trial(root: Path, study_id: str = "Zzbenchtrial2030", codes: tuple[str, str] = ("acupuncture", "sham_acupuncture"),
              seed: int = 0) -> None:
    """Add one two-arm trial to the copy's raw tables (what a curator adding a study writes)."""
    raw = root / "data" / "raw"
    study, arms, outcomes = trial_rows(study_id, [("int", codes[0]), ("ctl", codes[1])], trial_source(raw),
                                       random.Random(seed))
    append_rows(raw / "studies.csv", [study])
    append_rows(raw / "arms.csv", arms)
    append_rows(raw / "arm_outcomes.csv", outcomes)


def copy_built(src: Path, dest: Path) -> Path:
    """A built tree with Snakemake's metadata; modification times kept (``copy2``)."""
    shutil.copytree(src, dest, symlinks=True)
    return dest


def bench_example(work: Path, repeats: int, py_spy: bool) -> dict[str, Any]:
    env = workflow_env(SOURCE_DATE_EPOCH)
    res: dict[str, Any] = {"cold": [], "noop": [], "one_study": [], "before_first_job": []}
    built = None
    for r in range(repeats):
        root = make_scratch_copy(REPO, work / f"example-cold-{r}", git=False, revision=REVISION)
        start = time.time()
        cpu_before = children_cpu()
        run = run_workflow(root, env=env)
        if run.returncode != 0:
            raise RuntimeError(f"cold build failed in {root}:\n{run.output[-3000:]}")
        jt = job_times(root)
        res["cold"].append(run.seconds)
        res.setdefault("cold_cpu", []).append(children_cpu() - cpu_before)
        res["cold_jobs"] = run.jobs
        res["before_first_job"].append(jt["first_start"] - start)
        res.setdefault("per_rule_runs", []).append(jt["per_rule"])
        if built is not None:
            shutil.rmtree(built, ignore_errors=True)
        built = root
        print(f"  cold build {r + 1}: {run.seconds:.1f} s, {run.jobs} jobs (load {load_average()})", flush=True)
    for r in range(repeats):
        run = run_workflow(built, env=env)
        res["noop"].append(run.seconds)
        res["noop_jobs"] = run.jobs
        print(f"  no-op {r + 1}: {run.seconds:.1f} s, {run.jobs} jobs", flush=True)
    # make report's launcher (metareview.buildstamp): its first run starts Snakemake
    # (which plans nothing) and writes the stamp; the next ones answer from the stamp.
    launcher = [PY, "-m", "metareview.buildstamp"]
    subprocess.run(launcher, cwd=built, env=env, check=True, capture_output=True)
    res["noop_launcher"] = time_command(launcher, repeats, cwd=built, env=env)
    if not (built / ".snakemake" / "metareview-build-stamp.json").is_file():
        raise RuntimeError("the launcher wrote no build stamp after a complete build")
    print(f"  no-op via make report's launcher: {median(res['noop_launcher']):.2f} s", flush=True)
    for r in range(repeats):
        root = copy_built(built, work / f"example-one-study-{r}")
        add_trial(root)
        run = run_workflow(root, env=env)
        if run.returncode != 0:
            raise RuntimeError(f"one-study rebuild failed in {root}:\n{run.output[-3000:]}")
        res["one_study"].append(run.seconds)
        res["one_study_jobs"] = run.jobs
        res["one_study_rules"] = job_times_since(root, built)
        shutil.rmtree(root, ignore_errors=True)
        print(f"  one study added {r + 1}: {run.seconds:.1f} s, {run.jobs} jobs", flush=True)
    if py_spy:
        res["py_spy"] = profile_cold_build(work)
    shutil.rmtree(built, ignore_errors=True)
    return res


def job_times_since(root: Path, before: Path) -> dict[str, tuple[int, float]]:
    """Per-rule jobs that ran in ``root`` after it was copied from ``before``."""
    return _jobs_after(root, job_times(before)["last_end"])


def _first_start_after(root: Path, old: float) -> float:
    """When the first job that started after ``old`` (a time) started."""
    starts = [rec["starttime"] for rec in map(json.loads, (f.read_text(encoding="utf-8")
              for f in (root / ".snakemake" / "metadata").iterdir())) if rec.get("starttime", 0) > old]
    return min(starts) if starts else math.nan


def _jobs_after(root: Path, old: float) -> dict[str, tuple[int, float]]:
    """Per-rule count and summed wall time of the jobs that started after ``old``."""
    jobs: dict[str, list[float]] = defaultdict(list)
    seen = set()
    for f in (root / ".snakemake" / "metadata").iterdir():
        rec = json.loads(f.read_text(encoding="utf-8"))
        key = _job_key(rec)
        if rec.get("starttime", 0) > old and key not in seen:
            seen.add(key)
            jobs[rec["rule"]].append(rec["endtime"] - rec["starttime"])
    return {r: (len(v), sum(v)) for r, v in jobs.items()}


# --------------------------------------------------------------------------- py-spy


RULES = ("analyse", "render_report", "assemble_report", "study_effects", "compare_indirect", "check_claims")
PROFILE_CATEGORIES = (
    # (category, substring of a frame in the sample's stack): the first match wins.
    ("idle timer thread", "Timer.run"),
    # A job's code runs in a worker process (its script's frames) or, with
    # METAREVIEW_WORKERS=0, in a Snakemake thread (the rule's frame).
    *((f"job: {rule}", f"scripts/{rule}.py:") for rule in RULES),
    *((f"job: {rule}", f"__rule_{rule} ") for rule in RULES),
    ("worker processes, between jobs", "metareview/workers.py"),
    ("snakemake scheduler", "JobScheduler."),
    ("snakemake DAG", "DAG."),
    ("workflow parse (common.smk, plan)", "common.smk"),
    ("imports", "_find_and_load"),
    ("other", ""),
)


def profile_cold_build(work: Path, rate: int = 50) -> dict[str, float]:
    """Seconds of sampled thread time per category, from ``py-spy record -f raw``.

    Snakemake's process and its worker processes (``--subprocesses``) together.
    """
    py_spy = shutil.which("py-spy") or str(Path(PY).with_name("py-spy"))
    if not Path(py_spy).exists():
        print("  (py-spy not installed: no profile)")
        return {}
    root = make_scratch_copy(REPO, work / "example-py-spy", git=False, revision=REVISION)
    raw = work / "cold.py-spy.txt"
    subprocess.run([py_spy, "record", "--subprocesses", "-r", str(rate), "-f", "raw", "-o", str(raw), "--", PY, "-m",
                    "snakemake", "--nocolor", "--quiet"], cwd=root, env=workflow_env(SOURCE_DATE_EPOCH),
                   check=True, capture_output=True)
    seconds: Counter[str] = Counter()
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        for name, needle in PROFILE_CATEGORIES:
            if needle in stack:
                seconds[name] += int(count) / rate
                break
    shutil.rmtree(root, ignore_errors=True)
    print(f"  py-spy samples: {raw}")
    return dict(seconds.most_common())


# --------------------------------------------------------------------------- 4. large review


def generate_review(root: Path, n_analyses: int, *, arms_per_study: int = 4, studies_per_pair: float = 3.0,
                    seed: int = 2024) -> dict[str, int]:
    """Grow the example in ``root`` to ``n_analyses`` analyses with synthetic trials.

    Synthetic treatment codes each form a node; analyses compare every pair of synthetic
    nodes on pain (MD) and disability (SMD) until the count is reached. Each synthetic
    trial has ``arms_per_study`` arms on distinct nodes drawn at random, so each pair has
    about ``studies_per_pair`` trials (some fewer: analyses with k < 2 exist, as in real
    reviews). The example's own studies, analyses and claims are kept.
    """
    import yaml

    rng = random.Random(seed)
    cfg_path = root / "config" / "config.yaml"
    config = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
    needed = n_analyses - len(config["analyses"])
    outcomes = [("pain", "MD"), ("disability", "SMD")]
    pairs_needed = math.ceil(needed / len(outcomes))
    n_nodes = next(m for m in range(2, 10_000) if m * (m - 1) // 2 >= pairs_needed)
    nodes = [f"syn{i:03d}" for i in range(1, n_nodes + 1)]
    raw = root / config["raw_dir"]
    append_rows(raw / "treatments.csv", [dict(treatment=f"{n}_code", label=f"Synthetic treatment {n}", role="active",
                                              description="Synthetic treatment (benchmark)") for n in nodes])
    for n in nodes:
        config["nodes"][n] = {"label": f"Synthetic {n}", "treatments": [f"{n}_code"]}
    window = next(iter(config["windows"]))
    added = 0
    for i in range(n_nodes):
        for j in range(i + 1, n_nodes):
            for outcome, measure in outcomes:
                if added < needed:
                    config["analyses"].append({"id": f"{nodes[i]}_vs_{nodes[j]}_{outcome}", "intervention": nodes[i],
                                               "comparator": nodes[j], "outcome": outcome, "window": window,
                                               "measure": measure})
                    added += 1
    cfg_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    per_study = arms_per_study * (arms_per_study - 1) // 2
    n_studies = math.ceil(studies_per_pair * pairs_needed / per_study)
    source = trial_source(raw)
    studies, arms, outcomes_rows = [], [], []
    for s in range(1, n_studies + 1):
        chosen = sorted(rng.sample(nodes, arms_per_study))
        st, ar, oc = trial_rows(f"Syn{s:04d}", [(f"a{k}", f"{n}_code") for k, n in enumerate(chosen, 1)], source, rng)
        studies.append(st)
        arms.extend(ar)
        outcomes_rows.extend(oc)
    append_rows(raw / "studies.csv", studies)
    append_rows(raw / "arms.csv", arms)
    append_rows(raw / "arm_outcomes.csv", outcomes_rows)
    with (raw / "studies.csv").open(encoding="utf-8", newline="") as fh:
        n_all = sum(1 for _ in csv.DictReader(fh))
    return {"analyses": len(config["analyses"]), "nodes": len(config["nodes"]), "studies": n_all,
            "synthetic_studies": n_studies}


def generate_nodes(root: Path) -> list[str]:
    """The synthetic nodes :func:`generate_review` added to the copy in ``root``."""
    import yaml

    config = yaml.safe_load((root / "config" / "config.yaml").read_text(encoding="utf-8"))
    return [n for n in config["nodes"] if re.fullmatch(r"syn\d{3}", n)]


def bench_large(work: Path, n_analyses: int, timeout: float) -> dict[str, Any]:
    root = make_scratch_copy(REPO, work / f"large-{n_analyses}", git=False, revision=REVISION)
    sizes = generate_review(root, n_analyses)
    print(f"  generated: {sizes}", flush=True)
    env = workflow_env(SOURCE_DATE_EPOCH)
    dry = run_workflow(root, "--dry-run", env=env, timeout=timeout)
    if dry.returncode != 0:
        raise RuntimeError(f"dry-run of the large review failed:\n{dry.output[-3000:]}")
    total = re.search(r"^total\s+(\d+)$", dry.output, flags=re.MULTILINE)  # the "Job stats" table
    planned = int(total[1]) if total else None
    print(f"  dry run: {dry.seconds:.1f} s", flush=True)
    start = time.time()
    cpu_before = children_cpu()
    with ProcessCpu(root) as processes:
        run = run_workflow(root, env=env, timeout=timeout)
    jt = job_times(root)
    res: dict[str, Any] = {"sizes": sizes, "dry_run": dry.seconds, "planned_jobs": planned, "cold": run.seconds,
                           "cold_jobs": run.jobs, "returncode": run.returncode, "per_rule": jt["per_rule"],
                           "before_first_job": jt["first_start"] - start, "cpu": children_cpu() - cpu_before,
                           "cpu_by_process": processes.totals()}
    print(f"  cold build: {run.seconds:.1f} s, {run.jobs} jobs, exit {run.returncode}", flush=True)
    if run.returncode != 0:
        print("\n".join("    " + line for line in run.output.splitlines()[-25:]))
    else:
        noop = run_workflow(root, env=env, timeout=timeout)
        res["noop"] = noop.seconds
        print(f"  no-op: {noop.seconds:.1f} s", flush=True)
        # The example's rebuild is mostly fixed costs (start-up, render); here the same
        # edit sits among 1,000 analyses, so it shows what a rebuild spares.
        last_end = jt["last_end"]
        nodes = sorted(n for n in generate_nodes(root))
        add_trial(root, codes=(f"{nodes[0]}_code", f"{nodes[1]}_code"))
        start = time.time()
        one = run_workflow(root, env=env, timeout=timeout)
        res.update(one_study=one.seconds, one_study_jobs=one.jobs, one_study_returncode=one.returncode,
                   one_study_rules=_jobs_after(root, last_end),
                   one_study_before_first_job=_first_start_after(root, last_end) - start)
        print(f"  one study added: {one.seconds:.1f} s, {one.jobs} jobs, exit {one.returncode}", flush=True)
    shutil.rmtree(root, ignore_errors=True)
    return res


# --------------------------------------------------------------------------- report


def report(results: dict[str, Any]) -> None:
    print("\n=== 1. Start-up of a Python process (median seconds)")
    st = results["startup"]
    base = st["python -c pass"]
    print_table([(k, f"{v:.3f}", f"{v - base:+.3f}") for k, v in st.items()], ["command", "wall", "minus bare python"])
    print(f"  Snakemake plugins installed (all imported at start-up): {', '.join(results['plugins']) or 'none'}")
    print("  inside `import snakemake.cli` (python -X importtime, cumulative, nested entries overlap):")
    print_table([(k, f"{v:.3f}") for k, v in results["snakemake_imports"].items()], ["module", "s"])

    if "trivial" in results:
        print("\n=== 2. Snakemake's cost per job (trivial jobs, 2 cores)")
        rows = [(name, f"{t['cold']:.1f}", f"{t['noop']:.1f}", f"{1000 * t['per_job']:.0f}")
                for name, t in results["trivial"].items()]
        print_table(rows, ["jobs", "cold s", "no-op s", "ms per job"])

    ex = results.get("example")
    if ex:
        print("\n=== 3. The example review (median of "
              f"{len(ex['cold'])}; all runs: cold {', '.join(f'{x:.1f}' for x in ex['cold'])})")
        cold, noop, one = median(ex["cold"]), median(ex["noop"]), median(ex["one_study"])
        rows = [("cold build (render included)", f"{cold:.1f}", ex["cold_jobs"], f"<= {TARGETS['cold']:.0f} s"),
                ("no-op build", f"{noop:.1f}", ex["noop_jobs"], f"<= {TARGETS['noop']:.0f} s"),
                ("no-op, `make report` (build stamp)", f"{median(ex.get('noop_launcher', [])):.2f}", 0,
                 f"<= {TARGETS['noop']:.0f} s"),
                ("one study added", f"{one:.1f}", ex["one_study_jobs"],
                 f"{100 * one / cold:.0f}% of cold (< {100 * TARGETS['one_study_ratio']:.0f}%)")]
        print_table(rows, ["build", "wall s", "jobs", "target"])
        print(f"  before the first job starts (start-up, parse, DAG): {median(ex['before_first_job']):.1f} s")
        print(f"  CPU time of a cold build: {median(ex['cold_cpu']):.1f} s, i.e. "
              f"{median(ex['cold_cpu']) / cold:.2f} of 2 cores busy on average")
        per_rule = ex["per_rule_runs"][len(ex["per_rule_runs"]) // 2]
        rows = sorted(per_rule.items(), key=lambda kv: -kv[1][1])
        print("  job wall time per rule (one cold build; two jobs at a time, in Snakemake's threads: "
              "under 200 jobs no worker process starts):")
        print_table([(r, n, f"{s:.1f}", f"{1000 * s / n:.0f}") for r, (n, s) in rows], ["rule", "jobs", "sum s", "ms/job"])
        print("  jobs of the one-study rebuild:", ", ".join(f"{r} {n}" for r, (n, _) in sorted(ex["one_study_rules"].items())))
        # What one Python process per job would add, from section 1.
        extra = 0.0
        for rule, (n, _) in per_rule.items():
            key = f"job script {rule}"
            if key in st:
                extra += n * st[key]
        print(f"  one Python process per job instead (start-up + imports, 2 in parallel): +{extra / 2:.0f} s")
        if ex.get("py_spy"):
            print("  py-spy, cold build (thread seconds by category; the Timer thread only sleeps):")
            print_table([(k, f"{v:.1f}") for k, v in ex["py_spy"].items()], ["category", "s"])

    lg = results.get("large")
    if lg:
        print(f"\n=== 4. Generated review: {lg['sizes']}")
        print_table([("dry run (parse + DAG)", f"{lg['dry_run']:.1f}", lg.get("planned_jobs") or ""),
                     ("cold build", f"{lg['cold']:.1f}", lg["cold_jobs"]),
                     ("no-op build", f"{lg.get('noop', math.nan):.1f}", ""),
                     ("one study added", f"{lg.get('one_study', math.nan):.1f}", lg.get("one_study_jobs", ""))],
                    ["build", "wall s", "jobs"])
        if lg.get("one_study"):
            print(f"  one study added: {100 * lg['one_study'] / lg['cold']:.0f}% of the cold build; before its first "
                  f"job: {lg['one_study_before_first_job']:.1f} s; its jobs: "
                  + ", ".join(f"{r} {n} ({s:.1f} s)" for r, (n, s) in sorted(lg["one_study_rules"].items())))
        print(f"  target: cold <= {TARGETS['large_cold']:.0f} s; before the first job: {lg['before_first_job']:.1f} s; "
              f"CPU {lg['cpu']:.0f} s ({lg['cpu'] / lg['cold']:.2f} of 2 cores)")
        rows = sorted(lg["per_rule"].items(), key=lambda kv: -kv[1][1])
        print_table([(r, n, f"{s:.1f}", f"{1000 * s / n:.0f}") for r, (n, s) in rows], ["rule", "jobs", "sum s", "ms/job"])
        if lg.get("cpu_by_process"):
            print("  CPU of the cold build by process (sampled from /proc):")
            print_table([(k, f"{v:.1f}") for k, v in lg["cpu_by_process"].items()], ["process", "CPU s"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="builds per measurement (median reported)")
    parser.add_argument("--startup-repeats", type=int, default=7)
    parser.add_argument("--analyses", type=int, default=1000, help="size of the generated review")
    parser.add_argument("--trivial-jobs", type=int, default=200)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--skip-example", action="store_true")
    parser.add_argument("--skip-trivial", action="store_true")
    parser.add_argument("--py-spy", action="store_true", help="also profile one cold example build with py-spy")
    parser.add_argument("--timeout", type=float, default=3600, help="of the large build, seconds")
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results" / "bench_workflow.json")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a temporary one, removed)")
    parser.add_argument("--revision", help="build this commit (e.g. HEAD) instead of the working tree")
    args = parser.parse_args(argv)
    global REVISION
    if args.revision:
        REVISION = subprocess.run(["git", "-C", str(REPO), "rev-parse", args.revision], check=True,
                                  capture_output=True, text=True).stdout.strip()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="metareview-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, load {load_average()}")
    import importlib.util

    if importlib.util.find_spec("pandas") is not None:
        # Snakemake imports pandas (when installed) to compare params: ~0.5 s per start.
        print("note: pandas is installed in this environment and Snakemake imports it on every start;"
              " `make bench` measures in an environment like `make report`'s (no test extras)")
    results: dict[str, Any] = {"load_before": load_average(), "revision": REVISION or "working tree"}
    print(f"building: {results['revision']}")
    print("1. start-up costs ...", flush=True)
    results["startup"] = bench_startup(args.startup_repeats)
    results["plugins"] = snakemake_plugins()
    results["snakemake_imports"] = snakemake_import_breakdown(max(3, args.startup_repeats // 2))
    if not args.skip_trivial:
        print("2. trivial jobs ...", flush=True)
        n = args.trivial_jobs
        results["trivial"] = {
            f"{n} run: jobs, ILP scheduler": bench_trivial(work, n, "run", "ilp"),
            f"{n} run: jobs, greedy scheduler": bench_trivial(work, n, "run", "greedy"),
            f"{n // 4} shell: python -c pass": bench_trivial(work, n // 4, "shell", "greedy"),
        }
    if not args.skip_example:
        print("3. example review ...", flush=True)
        results["example"] = bench_example(work, args.repeats, args.py_spy)
    if not args.skip_large:
        print(f"4. generated review of {args.analyses} analyses ...", flush=True)
        results["large"] = bench_large(work, args.analyses, args.timeout)
    results["load_after"] = load_average()
    report(results)
    print(f"\nload average before {results['load_before']}, after {results['load_after']}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"results: {args.json}")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
