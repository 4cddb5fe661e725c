"""Running the workflow in scratch copies of the repository.

Every run happens in a copy of the working tree under pytest's temporary directory, never
in the checkout itself: the checkout's ``results/`` and ``build/`` belong to whoever is
working in it. One cold build is shared by the whole session (it takes tens of seconds on
a small machine); tests that change something work on their own copy of that built tree,
``.snakemake/`` metadata included, so Snakemake sees exactly the state a user would have
after ``make report``.

``tests/report/test_report_content.py`` loads this file by path to reuse the helpers and
the shared build; the build directory itself is the cache, so it is built once per
session whichever test asks first.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest

REPO = Path(__file__).resolve().parents[2]
# Fixed so that two builds of the same inputs are byte-identical and the report's date is
# stable (without it, the workflow dates a build by the last commit changing its inputs).
SOURCE_DATE_EPOCH = "1700000000"
SHARED_BUILD_DIR = "metareview-shared-build"
_MARKER = ".cold-build.json"  # beside the build folder, so copies of it do not carry it

# Generated or machine-local folders at the top of the checkout, never copied: the copy
# must start as a fresh clone would (tests/ and benchmarks/ are not used by the workflow).
_TOP_LEVEL_SKIP = {"results", "logs", "build", "tests", "benchmarks"}
_ANYWHERE_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")

# Test modules import this file's helpers as `metareview_workflow_support` (a plain
# `import conftest` would be ambiguous between test folders).
sys.modules.setdefault("metareview_workflow_support", sys.modules[__name__])


def tool(name: str):
    """A script of tools/ as a module (registered by its own name: the scripts import each other)."""
    import importlib.util

    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
        sys.modules[name] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[name]


def _ignore_generated(directory: str, names: list[str]) -> set[str]:
    skip = set(_ANYWHERE_SKIP(directory, names))
    if Path(directory).resolve() == REPO:
        skip |= {n for n in names if n.startswith(".") or n in _TOP_LEVEL_SKIP}
    return skip


def copy_repo(dest: Path) -> Path:
    """Copy the working tree (not only committed files: the tests check what is on disk)."""
    shutil.copytree(REPO, dest, ignore=_ignore_generated, symlinks=True)
    return dest


def copy_built(src: Path, dest: Path) -> Path:
    """Copy a built tree with its metadata; ``copy2`` keeps modification times to the ns."""
    shutil.copytree(src, dest, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder`` by relative path (bytecode caches left out)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


class Run(NamedTuple):
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_snakemake(root: Path, *args: str, timeout: float = 600, env: dict[str, str] | None = None) -> Run:
    """Run Snakemake in ``root`` as a user would (the workflow profile is picked up there),
    with ``env`` added to the environment and OpenBLAS's kernel pinned as ``make report``
    and ``make audit`` pin it: the test extras install pandas, which Snakemake imports (and
    numpy with it) before the workflow can pin the kernel, and on a CPU whose own kernels
    differ from the pinned one (AVX-512) builds started otherwise differed in last bits
    from the audit's rebuilds."""
    pytest.importorskip("snakemake")
    from metareview.blas import blas_environment

    env = blas_environment(dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, **(env or {})))
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--nocolor", *args],
        cwd=root,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


# --------------------------------------------------------------------------- planned jobs


class Job(NamedTuple):
    """One planned job: its rule and its wildcards (sorted name=value pairs)."""

    rule: str
    wildcards: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return self.rule + "".join(f"[{k}={v}]" for k, v in self.wildcards)


def job(rule: str, **wildcards: str) -> Job:
    return Job(rule, tuple(sorted(wildcards.items())))


_JOB_HEADER = re.compile(r"^(?:local)?(?:rule|checkpoint) (?P<rule>\w+):$")
_WILDCARDS = re.compile(r"^\s+wildcards: (?P<pairs>.*)$")
_STATS_ROW = re.compile(r"^(?P<rule>\w+)\s+(?P<count>\d+)$")


def parse_plan(text: str) -> set[Job]:
    """The jobs a ``snakemake --dry-run`` prints, each with its wildcards.

    Each job is printed as a block: ``rule NAME:`` (``localrule`` for ``localrules`` or
    ``run:`` jobs under a local executor) followed by indented ``output:``, ``jobid:``,
    ``reason:``, ``wildcards: a=x, b=y`` lines. The blocks are cross-checked against the
    "Job stats" table Snakemake prints with them, so a change in the output format fails
    here instead of silently yielding an empty plan.
    """
    jobs: list[Job] = []
    current: str | None = None
    wildcards: dict[str, str] = {}

    def close() -> None:
        if current is not None:
            jobs.append(job(current, **wildcards))

    for line in text.splitlines():
        header = _JOB_HEADER.match(line)
        if header:
            close()
            current, wildcards = header["rule"], {}
            continue
        if current is None:
            continue
        pairs = _WILDCARDS.match(line)
        if pairs:
            # Wildcard values match the workflow's constraints ([A-Za-z0-9_-]): no ", ".
            wildcards = dict(p.split("=", 1) for p in pairs["pairs"].split(", "))
        elif line and not line[0].isspace():
            close()
            current, wildcards = None, {}
    close()

    stats: Counter[str] = Counter()
    lines = text.splitlines()
    if "Job stats:" in lines:
        for line in lines[lines.index("Job stats:") + 3 :]:
            row = _STATS_ROW.match(line.strip())
            if not row:
                break
            if row["rule"] == "total":
                assert int(row["count"]) == len(jobs), (
                    f"'Job stats' total {row['count']} != {len(jobs)} job blocks"
                )
                break
            stats[row["rule"]] = int(row["count"])
    assert Counter(j.rule for j in jobs) == stats, (
        f"job blocks {dict(Counter(j.rule for j in jobs))} disagree with 'Job stats' {dict(stats)}"
    )
    assert len(set(jobs)) == len(jobs), "a job was printed twice"
    return set(jobs)


def planned_jobs(root: Path, *targets: str) -> set[Job]:
    """What ``snakemake --dry-run [targets]`` would run in ``root``."""
    # Each job's block back (the workflow profile's quiet: [rules] leaves them out).
    run = run_snakemake(root, *targets, "--dry-run", "--quiet", "host")
    assert run.returncode == 0, run.output
    jobs = parse_plan(run.output)
    if not jobs:
        assert "Nothing to be done" in run.output, run.output
    return jobs


# --------------------------------------------------------------------------- raw tables


def csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def csv_line(values: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(values)
    return buf.getvalue()


def insert_rows(path: Path, rows: list[dict[str, object]], at: int | None = None) -> None:
    """Insert rows (dicts by column name) after physical line ``at`` (default: the middle).

    Rows go in the middle of the file on purpose: a study's jobs must not depend on where
    other studies' rows sit in the file.
    """
    header = csv_header(path)
    unknown = {k for r in rows for k in r} - set(header)
    assert not unknown, f"{path.name}: no such columns {unknown}"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if at is None:
        at = max(1, len(lines) // 2)
    # Never split a quoted field that spans lines: move down to a record boundary (an even
    # number of quote characters before it, since CSV escapes a quote by doubling it).
    while at < len(lines) and "".join(lines[:at]).count('"') % 2:
        at += 1
    new = [csv_line(["" if r.get(c) is None else str(r[c]) for c in header]) + "\n" for r in rows]
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    path.write_text("".join(lines[:at] + new + lines[at:]), encoding="utf-8", newline="")


def edit_row(path: Path, match: dict[str, str], changes: dict[str, str]) -> dict[str, str]:
    """Change cells of the first one-line row whose columns equal ``match``; return the old row."""
    header = csv_header(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines[1:], start=1):
        fields = next(csv.reader([line.rstrip("\r\n")]), [])
        if len(fields) != len(header):
            continue  # part of a multi-line record
        row = dict(zip(header, fields))
        if all(row[k] == v for k, v in match.items()):
            new = dict(row, **changes)
            ending = line[len(line.rstrip("\r\n")) :]
            lines[i] = csv_line([new[c] for c in header]) + ending
            path.write_text("".join(lines), encoding="utf-8", newline="")
            return row
    raise AssertionError(f"{path.name}: no one-line row with {match}")


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_config(root: Path) -> dict:
    """The review config as the workflow sees it (validated, schema defaults filled in)."""
    import yaml
    from snakemake.utils import validate

    config = yaml.safe_load((root / "config" / "config.yaml").read_text(encoding="utf-8"))
    validate(config, str(root / "config" / "schemas" / "config.schema.yaml"))
    return config


def load_plan(root: Path):
    """The workflow's parse-time plan (:func:`metareview.plan.make_plan`) of a scratch copy."""
    from metareview.plan import make_plan

    return make_plan(load_config(root), root)


def trial_analysis(config: dict) -> dict:
    """The first configured analysis between two named nodes: one a new trial can enter."""
    from metareview.normalise import UNNAMED

    return next(
        a for a in config["analyses"] if UNNAMED not in (a["intervention"], a["comparator"])
    )


def add_trial(
    root: Path,
    study_id: str,
    label: str,
    analysis: dict,
    *,
    means: tuple[float, float],
    sd: float = 2.0,
    n: int = 40,
) -> None:
    """Add a two-arm randomised trial reporting final values for ``analysis``'s outcome.

    Rows go into studies.csv, arms.csv and arm_outcomes.csv only, using treatment codes,
    an instrument and a source already in the raw tables: what a curator adding a trial
    would write. ``means`` are the intervention and comparator arm means on an instrument
    where lower is better, at the analysis window's target week.
    """
    config = load_config(root)
    raw = root / config["raw_dir"]
    window = config["windows"][analysis["window"]]
    instrument = next(
        r
        for r in read_rows(raw / "instruments.csv")
        if r["outcome"] == analysis["outcome"]
        and r["scale_min"]
        and r["scale_max"]
        and r["lower_is_better"] == "true"
    )
    sources = read_rows(raw / "sources.csv")
    source = next((r for r in sources if r["kind"] == "trial_report"), sources[0])["source_id"]
    arms = [
        ("int", config["nodes"][analysis["intervention"]]["treatments"][0], means[0]),
        ("ctl", config["nodes"][analysis["comparator"]]["treatments"][0], means[1]),
    ]
    study = {
        "study_id": study_id,
        "label": label,
        "year": 2030,
        "design": "rct",
        "source_level": "primary",
        "source_id": source,
        "identity_confidence": "high",
    }
    insert_rows(raw / "studies.csv", [study])
    insert_rows(
        raw / "arms.csv",
        [
            {
                "study_id": study_id,
                "arm_id": arm,
                "treatment": code,
                "description": f"{code} arm",
                "n_randomised": n,
                "n_analysed": n,
            }
            for arm, code, _ in arms
        ],
    )
    insert_rows(
        raw / "arm_outcomes.csv",
        [
            {
                "study_id": study_id,
                "arm_id": arm,
                "outcome": analysis["outcome"],
                "instrument": instrument["instrument"],
                "timepoint_weeks": window["target_weeks"],
                "timepoint_label": f"week {window['target_weeks']}",
                "value_type": "final",
                "n": n,
                "mean": mean,
                "sd": sd,
                "location": "Table 2",
                "quote": f"{code}: mean {mean} (SD {sd}), n = {n}",
                "confidence": "high",
            }
            for arm, code, mean in arms
        ],
    )


def usable_analyses(root: Path, study_id: str) -> set[str]:
    """Analyses in which the library finds an effect for ``study_id`` (no workflow run)."""
    from metareview.extract import study_effects
    from metareview.normalise import normalise_study

    config = load_config(root)
    plan = load_plan(root)
    doc = normalise_study(
        json.loads(plan.bundles[study_id]),
        nodes=config["nodes"],
        outcomes=config["outcomes"],
        windows=config["windows"],
    )
    effects = study_effects(
        doc,
        config["analyses"],
        windows=config["windows"],
        assume_equal_arms_from_total=config["effects"]["assume_equal_arms_from_total"],
    )
    return {aid for aid, entry in effects["analyses"].items() if entry["options"]}


# --------------------------------------------------------------------------- shared build


@dataclass(frozen=True)
class Build:
    """A built scratch copy of the repository and how the build went."""

    root: Path
    returncode: int
    stdout: str
    stderr: str
    tree_before: dict[str, str]  # every file of the fresh copy, before the build

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def require_success(self) -> Build:
        if self.returncode != 0:
            pytest.fail(
                f"the cold build in {self.root} failed (exit {self.returncode}):\n{self.output[-6000:]}"
            )
        return self


def cold_build(root: Path) -> Build:
    """Build a fresh copy of the repository in ``root``, once: later calls reuse it."""
    marker = root.with_name(root.name + _MARKER)
    if not marker.exists():
        shutil.rmtree(root, ignore_errors=True)  # an attempt interrupted before the marker
        copy_repo(root)
        tree_before = digests(root)
        run = run_snakemake(root)
        marker.write_text(
            json.dumps(
                {
                    "returncode": run.returncode,
                    "stdout": run.stdout,
                    "stderr": run.stderr,
                    "tree_before": tree_before,
                }
            ),
            encoding="utf-8",
        )
    info = json.loads(marker.read_text(encoding="utf-8"))
    return Build(root, info["returncode"], info["stdout"], info["stderr"], info["tree_before"])


def shared_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return cold_build(tmp_path_factory.getbasetemp() / SHARED_BUILD_DIR)


@pytest.fixture(scope="session")
def built_repo(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The session's one cold build of a scratch copy (failing tests if the build failed)."""
    return shared_build(tmp_path_factory).require_success()


@pytest.fixture
def built_copy(built_repo: Build, tmp_path: Path) -> Path:
    """A private copy of the built tree, metadata included, to change and dry-run."""
    return copy_built(built_repo.root, tmp_path / "repo")
