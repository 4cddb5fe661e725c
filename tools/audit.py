#!/usr/bin/env python3
"""Audit the current build: rebuild the review from its raw data in a scratch copy and
compare every output with the build in the checkout, byte for byte.

Usage::

    make audit
    .venv/bin/python tools/audit.py [--repo DIR] [--scratch DIR] [--keep]

The scratch copy holds the checkout's tracked files (``git ls-files``) as they are in the
working tree, so uncommitted edits are audited too but untracked files are not: a build
that needs an untracked file fails the audit, as it would on a fresh clone. When the
checkout is a git repository the copy is a git clone of it (objects shared, nothing
written to the checkout's repository) with the working-tree files on top, so the report's
"Source commit" line and the build date (the last commit changing the workflow's inputs)
agree; a ``SOURCE_DATE_EPOCH`` in the environment is passed on to the rebuild.

The rebuild makes what ``make report`` makes, and the PNG copies of the forest plots
too when the current build has any (``make figures``; see :func:`build_targets`). Every
file under ``results/`` and ``build/`` is compared (figures are under
``results/report/figures/``), hidden files included: a temporary file an interrupted
build left behind is a difference too. ``logs/`` and ``.snakemake/`` record how a run
went, not what it produced, and are not compared. Each differing file is printed, with
the first differing values for JSON and CSV, the first differing line for text, and the
first differing byte (and PDF dates) otherwise. Inputs and code that changed since the
current build was made (their SHA-256 against those its report and ``results/code/``
record) are named before the rebuild and as the first likely cause; otherwise, jobs a dry
run in the checkout still plans (a build interrupted or failed part-way) are.

Exit status: 0 when every output is identical, 1 when any file differs or exists on one
side only, 2 when the rebuild itself fails.

The functions here (:func:`make_scratch_copy`, :func:`run_workflow`, :func:`compare_trees`)
are also used by ``tools/kill_test.py`` and the workflow tests.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

#: What a build produces and an audit compares.
OUTPUT_DIRS = ("results", "build")

#: Never copied into a scratch copy when the source is not a git checkout: generated
#: outputs, Snakemake's metadata, environments and caches (the top-level names only).
GENERATED = frozenset({"results", "logs", "build", ".snakemake", ".venv", ".venv-slurm", ".venv-bench", ".git", ".pytest_cache",
                       ".hypothesis", ".ruff_cache", "dist"})
_CACHE_NAMES = ("__pycache__", ".pyc", ".egg-info")

#: How many differing values, cells or lines to print per file.
DETAIL_LIMIT = 5

_TEXT_SUFFIXES = {".qmd", ".md", ".html", ".htm", ".svg", ".txt", ".yml", ".yaml", ".typ", ".css",
                  ".tex", ".log", ".bib", ".xml"}


# ------------------------------------------------------------------------- scratch copies


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def is_git_checkout(repo: Path) -> bool:
    """Whether ``repo`` is the top of a git work tree (not merely inside one)."""
    try:
        top = _git(repo, "rev-parse", "--show-toplevel").strip()
    except (OSError, subprocess.CalledProcessError):
        return False
    return Path(top).resolve() == Path(repo).resolve()


def git_refusal(repo: Path) -> str | None:
    """What git said when it would not read ``repo``, a folder holding a ``.git`` (a clone
    owned by another user: "dubious ownership"), or None. The audit's copy of such a
    checkout is no git clone, so its report would cite no commit either way."""
    if not (Path(repo) / ".git").exists():
        return None
    try:
        _git(repo, "rev-parse", "--show-toplevel")
    except OSError as exc:
        return str(exc)
    except subprocess.CalledProcessError as exc:
        said = (exc.stderr or "").strip()
        return said.splitlines()[0] if said else f"git failed (exit {exc.returncode})"
    return None


def source_files(repo: Path) -> list[str]:
    """The files a scratch copy of ``repo`` holds, relative POSIX paths, sorted.

    For a git checkout: the tracked files present in the working tree. Otherwise every
    file except the generated and machine-local folders in :data:`GENERATED` and caches.
    """
    repo = Path(repo)
    if is_git_checkout(repo):
        names = _git(repo, "ls-files", "-z").split("\0")
        # A tracked file deleted in the working tree is deleted in the copy too.
        return sorted(n for n in names if n and (repo / n).is_file())
    files = []
    for path in repo.rglob("*"):
        rel = path.relative_to(repo)
        if rel.parts[0] in GENERATED or any(c in part for part in rel.parts for c in _CACHE_NAMES):
            continue
        if path.is_file():
            files.append(rel.as_posix())
    return sorted(files)


def make_scratch_copy(repo: Path, dest: Path, *, git: bool = True, revision: str | None = None) -> Path:
    """Copy ``repo``'s source files (:func:`source_files`) into a new folder ``dest``.

    With ``revision`` (a git checkout only), the files of that commit instead of the
    working tree: benchmarks and repeated trials then build one fixed snapshot while
    others keep editing the checkout.

    With ``git`` (and a git checkout as source) ``dest`` is first made a clone of ``repo``
    sharing its objects (``git clone --shared``: nothing is written to ``repo``), checked
    out at the commit the files were listed at, and the working-tree files are staged on
    top: ``git status`` in the copy then reports uncommitted changes exactly when the
    checkout's tracked files differ from its last commit, so the report's commit line
    matches a build made in the checkout.
    """
    repo, dest = Path(repo).resolve(), Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"scratch folder {dest} is not empty")
    in_git = is_git_checkout(repo)
    if revision is not None and not in_git:
        raise ValueError(f"{repo} is not a git checkout: no revision {revision!r} to copy")
    as_git = git and in_git
    commit = _git(repo, "rev-parse", revision or "HEAD").strip() if in_git else None
    names = source_files(repo) if revision is None else []
    if as_git:
        subprocess.run(["git", "clone", "--quiet", "--shared", "--no-checkout", str(repo), str(dest)],
                       check=True, capture_output=True, text=True)
        _git(dest, "reset", "--quiet", "--soft", commit)
    dest.mkdir(parents=True, exist_ok=True)
    if revision is not None:
        archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", commit], check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
    for name in names:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / name, target)
    if as_git:
        _git(dest, "add", "--all")
    return dest


# ------------------------------------------------------------------------- running a build


def seed_history(repo: Path, scratch: Path) -> bool:
    """Give the rebuild the previous-build snapshot the current report was compared with.

    The report's "what changed since the last build" section depends on the build before
    it (``results/report/previous_key_results.json`` records which); a rebuild from raw data
    starting from the same snapshot must then print the same section. Returns whether a
    snapshot was seeded.
    """
    snapshot = repo / "results" / "report" / "previous_key_results.json"
    if not snapshot.is_file() or json.loads(snapshot.read_text(encoding="utf-8")) is None:
        return False
    target = scratch / "results" / "history" / "key_results.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(snapshot, target)
    return True


def snakemake_command(snakemake: str | None = None) -> list[str]:
    """The command that runs Snakemake: ``snakemake`` if given, else this Python's module."""
    return [snakemake] if snakemake else [sys.executable, "-m", "snakemake"]


def default_source_date_epoch(repo: Path) -> str | None:
    """The environment's ``SOURCE_DATE_EPOCH``, if set and not empty.

    Without it the workflow dates the build from the last commit changing its inputs,
    which the scratch copy (a clone at the same commit) shares with ``repo``.
    """
    # Empty (or blank) is unset, as the workflow reads it (metareview.provenance).
    return os.environ.get("SOURCE_DATE_EPOCH", "").strip() or None


@dataclass(frozen=True)
class RunResult:
    """A finished Snakemake run: exit status, wall time in seconds and what it printed."""

    returncode: int
    seconds: float
    output: str

    @property
    def jobs(self) -> int:
        """Jobs the run executed, from the last "N of M steps" line (0 when nothing ran)."""
        steps = re.findall(r"^(\d+) of (\d+) steps", self.output, flags=re.MULTILINE)
        return int(steps[-1][0]) if steps else 0

    @property
    def refused_for_lock(self) -> bool:
        """Snakemake refused to start: a lock left by a killed run (``--unlock`` clears it)."""
        return self.returncode != 0 and "LockException" in self.output


def workflow_env(source_date_epoch: str | None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a build: this one, with ``SOURCE_DATE_EPOCH`` and ``extra`` set,
    and OpenBLAS's kernel pinned as ``make report`` pins it (:mod:`metareview.blas`:
    Snakemake may load numpy before the workflow could pin it)."""
    try:
        from metareview.blas import blas_environment
    except ImportError:  # the library not installed: the workflow pins it, or says why not
        env = dict(os.environ)
    else:
        env = blas_environment()
    env.pop("SOURCE_DATE_EPOCH", None)
    if source_date_epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    env.update(extra or {})
    return env


def start_workflow(root: Path, *args: str, env: Mapping[str, str], log: Path,
                   snakemake: str | None = None) -> subprocess.Popen:
    """Start Snakemake in ``root`` as a user would, in a process group of its own.

    The group lets a caller kill Snakemake with everything it started (``os.killpg``);
    output goes to ``log`` (a file, so a full pipe never blocks the build).
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as fh:
        return subprocess.Popen([*snakemake_command(snakemake), "--nocolor", *args], cwd=root, env=dict(env),
                                stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)


def run_workflow(root: Path, *args: str, env: Mapping[str, str], log: Path | None = None,
                 snakemake: str | None = None, timeout: float | None = None) -> RunResult:
    """Run Snakemake in ``root`` to the end; its output is also written to ``log``."""
    if log is None:
        fd, name = tempfile.mkstemp(prefix="metareview-snakemake-", suffix=".log")
        os.close(fd)
        log, temporary = Path(name), True
    else:
        temporary = False
    start = time.perf_counter()
    proc = start_workflow(root, *args, env=env, log=log, snakemake=snakemake)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()
    seconds = time.perf_counter() - start
    output = log.read_text(encoding="utf-8", errors="replace")
    if temporary:
        log.unlink()
    return RunResult(proc.returncode, seconds, output)


# ------------------------------------------------------------------------- comparing trees


@dataclass(frozen=True)
class Difference:
    """One output that is not the same in both trees."""

    path: str
    kind: str  # "differs", "missing from the rebuild" or "not in the current build"
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        return "\n".join([f"{self.kind}: {self.path}", *(f"    {d}" for d in self.details)])


def output_entries(root: Path, dirs: Sequence[str] = OUTPUT_DIRS) -> dict[str, Path | None]:
    """Files under ``root/<dir>`` by relative POSIX path; empty folders as ``"path/"``."""
    entries: dict[str, Path | None] = {}
    for top in dirs:
        base = Path(root) / top
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            here = Path(dirpath)
            rel = here.relative_to(root).as_posix()
            if not dirnames and not filenames:
                entries[rel + "/"] = None
            for name in filenames:
                entries[f"{rel}/{name}"] = here / name
    return entries


def compare_trees(current: Path, rebuild: Path, dirs: Sequence[str] = OUTPUT_DIRS,
                  limit: int = DETAIL_LIMIT) -> list[Difference]:
    """Every output under ``dirs`` that differs between two trees, sorted by path."""
    a, b = output_entries(current, dirs), output_entries(rebuild, dirs)
    diffs = []
    for rel in sorted(set(a) | set(b)):
        if rel not in b:
            diffs.append(Difference(rel, "missing from the rebuild"))
        elif rel not in a:
            diffs.append(Difference(rel, "not in the current build"))
        elif a[rel] is not None and b[rel] is not None:
            x, y = a[rel].read_bytes(), b[rel].read_bytes()
            if x != y:
                diffs.append(Difference(rel, "differs", tuple(describe(rel, x, y, limit))))
    return diffs


def describe(path: str, current: bytes, rebuild: bytes, limit: int = DETAIL_LIMIT) -> list[str]:
    """Where two versions of one output differ, in terms a reader can act on."""
    suffix = Path(path).suffix.lower()
    try:
        if suffix == ".json":
            return _describe_json(current, rebuild, limit)
        if suffix in (".csv", ".tsv"):
            return _describe_csv(current, rebuild, limit, delimiter="\t" if suffix == ".tsv" else ",")
        if suffix in _TEXT_SUFFIXES:
            return _describe_text(current, rebuild, limit)
    except (UnicodeDecodeError, ValueError):
        pass  # not what the name says: compare as bytes
    return _describe_bytes(current, rebuild, pdf=suffix == ".pdf")


def _show(value: Any, width: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _json_leaves(a: Any, b: Any, where: str) -> Iterator[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            here = f"{where}.{key}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(key)) else f"{where}[{key!r}]"
            if key not in b:
                yield f"{here}: only in the current build ({_show(a[key])})"
            elif key not in a:
                yield f"{here}: only in the rebuild ({_show(b[key])})"
            else:
                yield from _json_leaves(a[key], b[key], here)
        if list(a) != list(b) and set(a) == set(b):
            yield f"{where}: same keys in another order"
    elif isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            yield from _json_leaves(x, y, f"{where}[{i}]")
        if len(a) != len(b):
            yield f"{where}: {len(a)} items in the current build, {len(b)} in the rebuild"
    elif a != b or type(a) is not type(b):
        extra = ""
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
            extra = f" (difference {b - a:.3g})" if math.isfinite(b - a) else ""
        yield f"{where}: {_show(a)} in the current build, {_show(b)} in the rebuild{extra}"


def _describe_json(current: bytes, rebuild: bytes, limit: int) -> list[str]:
    a, b = json.loads(current.decode("utf-8")), json.loads(rebuild.decode("utf-8"))
    found = []
    for line in _json_leaves(a, b, "$"):
        found.append(line)
        if len(found) == limit:
            found.append("(more differences not shown)")
            break
    return found or _describe_text(current, rebuild, limit)  # same values, other formatting


def _describe_csv(current: bytes, rebuild: bytes, limit: int, delimiter: str) -> list[str]:
    a = list(csv.reader(io.StringIO(current.decode("utf-8")), delimiter=delimiter))
    b = list(csv.reader(io.StringIO(rebuild.decode("utf-8")), delimiter=delimiter))
    header = a[0] if a else []
    found = []
    if a[:1] != b[:1]:
        found.append(f"header: {_show(a[:1])} in the current build, {_show(b[:1])} in the rebuild")
    for i, (x, y) in enumerate(zip(a[1:], b[1:]), start=2):
        if x == y:
            continue
        for j in range(max(len(x), len(y))):
            u, v = (x[j] if j < len(x) else None), (y[j] if j < len(y) else None)
            if u != v:
                column = header[j] if j < len(header) else f"#{j + 1}"
                found.append(f"row {i}, column {column}: {_show(u)} in the current build, {_show(v)} in the rebuild")
                if len(found) >= limit:
                    return found + ["(more differences not shown)"]
    if len(a) != len(b):
        found.append(f"{len(a) - 1} data rows in the current build, {len(b) - 1} in the rebuild")
    return found or _describe_text(current, rebuild, limit)


def _describe_text(current: bytes, rebuild: bytes, limit: int) -> list[str]:
    a = current.decode("utf-8").splitlines(keepends=True)
    b = rebuild.decode("utf-8").splitlines(keepends=True)
    found = []
    for i, (x, y) in enumerate(zip(a, b), start=1):
        if x != y:
            at = next((k for k, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
            lo = max(0, at - 40)
            found.append(f"line {i}, column {at + 1}: {_show(x[lo:at + 60])} in the current build, "
                         f"{_show(y[lo:at + 60])} in the rebuild")
            if len(found) >= limit:
                return found + ["(more differences not shown)"]
    if len(a) != len(b):
        found.append(f"{len(a)} lines in the current build, {len(b)} in the rebuild")
    return found


_PDF_DATES = re.compile(rb"/(CreationDate|ModDate)\s*\(([^)]*)\)")


def _describe_bytes(current: bytes, rebuild: bytes, pdf: bool = False) -> list[str]:
    at = next((i for i, (p, q) in enumerate(zip(current, rebuild)) if p != q), min(len(current), len(rebuild)))
    found = [f"{len(current)} bytes in the current build, {len(rebuild)} in the rebuild; first difference at byte {at}"]
    if pdf:
        da, db = dict(_PDF_DATES.findall(current)), dict(_PDF_DATES.findall(rebuild))
        for key in sorted(set(da) | set(db)):
            if da.get(key) != db.get(key):
                found.append(f"PDF {key.decode()}: {da.get(key)!r} in the current build, {db.get(key)!r} in the rebuild")
    return found


#: The likely cause of a report citing another commit than the rebuild's.
COMMIT_HINT = ("The report states another commit: the current build predates the last commit or a change to "
               "tracked files (Snakemake does not rerun the report when only the commit changes).")

#: Known causes, printed once under the differences when a detail mentions them.
HINTS = (
    # The key results' commit, which every build's key_results.json records: the report's
    # own lines are long, and the part of one a detail quotes need not name it.
    ("$.built.commit:", COMMIT_HINT),
    ("Dated", ("The report's build date differs: was one build made with SOURCE_DATE_EPOCH set, or with "
               "another value? Without it, the workflow dates a build by the last commit that changed its "
               "inputs (the date of the day it ran, outside a git checkout).")),
    ("CreationDate", ("The PDF creation date differs: the two builds had different dates (SOURCE_DATE_EPOCH, "
                      "else the last commit changing the workflow's inputs; no date at all: that build ran "
                      "outside a git checkout without SOURCE_DATE_EPOCH).")),
    ("missing from the rebuild", ("A file the rebuild does not make is left from an earlier build, e.g. of an "
                                  "analysis or study since removed from the config or the raw data: delete "
                                  "it, or `make clean` and rebuild.")),
    ("results/history/", ("results/history/ holds the key results the next report's \"What changed\" section "
                          "compares with, copied there when the report is rendered: a copy missing or different "
                          "was deleted or edited by hand (results/report/previous_key_results.json records what "
                          "the current report compared with).")),
)


#: The report's table of its inputs' checksums: "| data/raw/arm\\_outcomes.csv | fd58...ff |".
_CHECKSUM_ROW = re.compile(r"^\| (\S[^|]*?) \| ([0-9a-f]{64}) \|$", flags=re.MULTILINE)


#: A line of ``sha256sum``'s output: "<64 hex digits>  <path>".
_SHA256SUM_LINE = re.compile(r"^([0-9a-f]{64})  (\S.*)$", flags=re.MULTILINE)


#: The report's commit line: "- **Source commit** (the last to change ...): `49b287ed...`".
_SOURCE_COMMIT = re.compile(r"^- \*\*Source commit\*\*[^`\n]*`([0-9a-f]{7,40}[^`\n]*)`", flags=re.MULTILINE)

#: The report's renderer line: "- **Renderer**: the offline path: pandoc 3.9 ...".
_RENDERER = re.compile(r"^- \*\*Renderer\*\*: (.+?)\.?$", flags=re.MULTILINE)


def _report_line(root: Path, pattern: re.Pattern[str]) -> str | None:
    """What ``pattern`` finds in the current build's report source, or None."""
    report = Path(root) / "results" / "report" / "report.qmd"
    found = pattern.search(report.read_text(encoding="utf-8")) if report.is_file() else None
    return found.group(1) if found else None


def commit_lines(repo: Path) -> list[str]:
    """The lines naming the checkout's HEAD and the commit its report cites, and how the two
    relate: the report cites the last commit that changed the workflow's inputs
    (:mod:`metareview.provenance`), so a later commit changing only tests or docs leaves
    HEAD ahead of it. An auditor holding the report and this output sees two commits;
    these lines say whether HEAD changes any input since the one cited, and whether the
    checkout is a shallow clone, whose report is not a full clone's."""
    head = _git(repo, "rev-parse", "HEAD").strip()
    dirty = " + uncommitted changes" if _git(repo, "status", "--porcelain", "--untracked-files=no").strip() else ""
    lines = [f"  commit (HEAD)       {head}{dirty}"]
    if _git(repo, "rev-parse", "--is-shallow-repository").strip() == "true":
        # Both builds cite what this clone holds; a full clone's report may cite another
        # commit and date (metareview.provenance.SHALLOW), which this audit cannot see.
        lines.append("  shallow clone       its history is cut short: both builds cite the commit and date it holds, "
                     "a full clone's report may cite an older commit; `git fetch --unshallow` gives that report")
    found = _report_line(repo, _SOURCE_COMMIT)
    if found is None:
        return lines
    # "<hash> + uncommitted changes": the build was made from edits no commit holds.
    cited, uncommitted = found.split()[0], "uncommitted" in found
    if uncommitted:
        relation = "built from uncommitted changes to it, which no commit may hold"
    elif head.startswith(cited):
        relation = "HEAD itself"
    else:
        inputs: Sequence[str]
        try:
            from metareview.provenance import WORKFLOW_INPUTS

            inputs = WORKFLOW_INPUTS
        except ImportError:  # outside the project's environment: every tracked file counts
            inputs = (".",)
        try:
            moved = _git(repo, "diff", "--name-only", cited, head, "--", *inputs).split()
        except subprocess.CalledProcessError:
            moved = None
        relation = ("not in this checkout's history" if moved is None
                    else "HEAD changes none of the workflow's inputs since" if not moved
                    else f"HEAD changes {len(moved)} of the workflow's input files since (the report predates them)")
    lines.append(f"  report cites        {cited[:12]} (the last commit changing code, pinned dependencies, configuration or data): "
                 f"{relation}")
    return lines


def rebuild_note(repo: Path) -> str:
    """What a byte-identical rebuild covers: this machine, this Python, the renderer the
    report names. It says nothing of a build elsewhere (docs/auditing.md, "What a build
    depends on"), the claim an external auditor cares about."""
    import platform

    renderer = (_report_line(repo, _RENDERER) or "no report to read it from").replace("\\", "")
    return (f"both builds compared here: this machine, Python {platform.python_version()}, the renderer the report "
            f"names ({renderer}). A build elsewhere may differ (docs/auditing.md, \"What a build depends on\")")


def recorded_checksums(root: Path) -> dict[str, str]:
    """SHA-256 of each file the current build in ``root`` was made from, by path: the
    inputs its report lists (config and raw tables, the provenance section's table) and
    the code each step ran (``results/code/*.sha256``, as ``sha256sum -c`` reads them)."""
    recorded: dict[str, str] = {}
    report = Path(root) / "results" / "report" / "report.qmd"
    if report.is_file():
        for path, digest in _CHECKSUM_ROW.findall(report.read_text(encoding="utf-8")):
            recorded[path.replace("\\_", "_")] = digest
    for listing in sorted((Path(root) / "results" / "code").glob("*.sha256")):
        # A listing damaged by hand is the comparison's to report, not a reason to stop.
        text = listing.read_text(encoding="utf-8", errors="replace")
        for digest, path in _SHA256SUM_LINE.findall(text):
            recorded[path] = digest
    return recorded


def changed_since_build(root: Path) -> list[str]:
    """The inputs and code of ``root`` that differ from those its current build was made
    from (:func:`recorded_checksums`; a file since deleted counts), sorted.

    The rebuild reads them as they are now, so an edit made after the last build (a raw
    cell, the config, a library module) shows as differences in every output it reaches:
    the cause to name first, before any doubt about reproducibility.
    """
    import hashlib

    changed = []
    for path, digest in recorded_checksums(root).items():
        file = Path(root) / path
        if not file.is_file() or hashlib.sha256(file.read_bytes()).hexdigest() != digest:
            changed.append(path)
    return sorted(changed)


def dry_run_jobs(output: str) -> int:
    """Jobs a Snakemake dry run plans, from the last "total N" row of its job stats (0
    when it printed none: nothing to be done)."""
    totals = re.findall(r"^total\s+(\d+)\s*$", output, flags=re.MULTILINE)
    return int(totals[-1]) if totals else 0


def pending_jobs(root: Path, targets: Sequence[str], env: Mapping[str, str],
                 snakemake: str | None = None) -> int | None:
    """How many jobs Snakemake would still run in ``root`` for ``targets``: a dry run,
    which writes no output; None when the dry run itself fails.

    A build interrupted or failed after some jobs ran leaves outputs of two builds side
    by side, and the next build finishes it: until then, a rebuild differs from it
    although nothing fails to reproduce.
    """
    run = run_workflow(root, "--dry-run", *targets, env=env, snakemake=snakemake)
    return dry_run_jobs(run.output) if run.returncode == 0 else None


def pending_jobs_hint(jobs: int) -> str:
    """The likely cause to print first when the current build is not complete."""
    return (f"The current build is not complete: Snakemake would still run {jobs} job(s) in this checkout (its last "
            "run was interrupted or failed, or ran other targets or settings). Run `make report audit` to finish "
            "the build and audit it.")


def changed_inputs_hint(changed: Sequence[str]) -> str:
    """The likely cause to print first when inputs changed since the current build."""
    them = "it as it is" if len(changed) == 1 else "them as they are"
    return (f"Changed since the current build was made: {', '.join(changed)}. The rebuild reads {them} now, the "
            "current build did not: the differences above show that change (and any other), not a build that fails "
            "to reproduce. Run `make report audit` to audit a fresh build of these sources.")


def unpinned_builds(root: Path) -> list[str]:
    """When the builds of ``root`` that computed with an unpinned BLAS kernel started (:mod:`metareview.blas`)."""
    try:
        from metareview.blas import unpinned_builds as recorded
    except ImportError:  # the library not installed: the workflow cannot have recorded any
        return []
    return recorded(root)


def unpinned_hint(builds: Sequence[str]) -> str:
    """The likely cause to print when builds of the checkout computed with an unpinned BLAS kernel."""
    which = (f"a build started {builds[0]}" if len(builds) == 1
             else f"{len(builds)} builds, the last started {builds[-1]}")
    return (f"OpenBLAS's kernel was not pinned in {which} (logs/unpinned-blas.log): Snakemake was started "
            "without `make report`, in an environment where it loads numpy first. Numbers its jobs computed may "
            "differ from a pinned build's in their last digits. Run `make report ARGS=--forceall audit` to audit "
            "a build made as `make report` makes it.")


def refused_hint(refused: str, repo: Path) -> str:
    """The likely cause to print when git would not read the checkout (:func:`git_refusal`)."""
    return (f"Git could not read this checkout ({refused}): the current build's report records that, the "
            "rebuild's, a copy outside git, says it ran outside a git checkout. A clone owned by another user is "
            f"the usual cause: if you trust it, run `git config --global --add safe.directory {repo}`, then "
            "`make report audit`.")


#: The likely cause of a report marked a draft on one side only, in place of the commit's.
DRAFT_HINT = ("One build's report is a draft \"from uncommitted changes\" and the other's is not: its checkout "
              "held, among the workflow's inputs, a file git does not track (the rebuild copies only tracked "
              "files), or an input was edited or committed after the current build. `git status "
              "--untracked-files=all` lists such files: commit or remove them, then `make report audit`. Hidden "
              "files and editors' backups (`.DS_Store`, `.config.yaml.swp`, `config.yaml~`) make no draft.")

#: The copy of the report's key results the next build compares with (rule render_report).
_HISTORY_KEYS, _REPORT_KEYS = "results/history/key_results.json", "results/report/key_results.json"


def full_details(current: Path, rebuild: Path, diffs: Sequence[Difference]) -> list[Difference]:
    """``diffs`` with every difference of each file, not the first :data:`DETAIL_LIMIT`:
    the one a hint needs (the report's commit line, say) may come later."""
    return [Difference(d.path, d.kind, tuple(describe(d.path, (Path(current) / d.path).read_bytes(),
                                                      (Path(rebuild) / d.path).read_bytes(), limit=sys.maxsize)))
            if d.kind == "differs" else d for d in diffs]


def hints_for(diffs: Sequence[Difference]) -> list[str]:
    """The known causes (:data:`HINTS`) that the differences mention, each once.

    A history copy that differs just as the report's key results do is that copy, made
    when the report was rendered, not one edited by hand: its hint is left out. A commit
    marked "+ uncommitted changes" on one side only gives :data:`DRAFT_HINT` in place of
    the one for another commit, and the "Dated" hint only where the date differs.
    """
    by_path = {d.path: d for d in diffs}
    mirrored = (_HISTORY_KEYS in by_path and _REPORT_KEYS in by_path
                and by_path[_HISTORY_KEYS].details == by_path[_REPORT_KEYS].details)
    text = "\n".join(str(d) for d in diffs if not (mirrored and d.path == _HISTORY_KEYS))
    draft = any(line.lstrip().startswith("$.built.commit:") and "uncommitted changes" in line
                for line in text.splitlines())
    # The "Dated" line also says whether the build holds uncommitted changes: where the
    # key results differ but not in their date, the date is the same.
    same_date = _REPORT_KEYS in by_path and "$.built.date:" not in text
    return [DRAFT_HINT if draft and key == "$.built.commit:" else hint for key, hint in HINTS
            if key in text and not (same_date and key == "Dated")]


# ------------------------------------------------------------------------- command line


#: Written by the first ``make figures`` and left when its PNGs are deleted.
PNG_CODE_DIGEST = "results/code/forest_png.sha256"


def build_targets(current: Iterable[str]) -> list[str]:
    """The Snakemake targets that remake ``current`` (paths of a build's outputs).

    None (the default target) for what ``make report`` makes; ``all figures`` when the
    build holds PNG copies of forest plots, which only ``make figures`` makes (later
    builds keep them in step); the digest of their code alone when every PNG was deleted.
    """
    current = set(current)
    if any(path.startswith("results/report/figures/") and path.endswith(".forest.png") for path in current):
        return ["all", "figures"]
    if PNG_CODE_DIGEST in current:
        return ["all", PNG_CODE_DIGEST]
    return []


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of cores of 1 or more, found {text}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose build is audited (default: this one)")
    parser.add_argument("--scratch", type=Path, help="folder for the rebuild (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (kept anyway when outputs differ)")
    parser.add_argument("--snakemake", help="Snakemake executable (default: this Python's snakemake module)")
    parser.add_argument("--source-date-epoch", help="default: $SOURCE_DATE_EPOCH, else the time of the last "
                        "commit changing the workflow's inputs")
    parser.add_argument("--cores", type=_positive, help="cores of the rebuild (default: the workflow profile's)")
    args = parser.parse_args(argv)

    repo = args.repo.resolve()
    current = output_entries(repo)
    if not current:
        # Nothing to compare a rebuild with: the rebuild would list every output as
        # missing, and end with hints about edited history that do not apply.
        print(f"no build to audit in {repo}: nothing under {', '.join(d + '/' for d in OUTPUT_DIRS)}. "
              "Run `make report` first, or `make report audit` to build and audit in one go.")
        return 2
    epoch = args.source_date_epoch or default_source_date_epoch(repo)
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="metareview-audit-"))
    print(f"audit of the build in {repo}")
    if is_git_checkout(repo):
        print("\n".join(commit_lines(repo)))
    elif refused := git_refusal(repo):
        print(f"  git                 could not read this checkout ({refused}): neither build can cite a commit; "
              f"if you trust it, run `git config --global --add safe.directory {repo}`, then "
              "`make report audit`")
    if epoch is None:
        # As metareview.provenance.source_state dates a build without it.
        epoch_text = ("(unset: the build is dated by the last commit changing its inputs)" if is_git_checkout(repo)
                      else "(unset: the report will carry today’s date)")
    else:
        epoch_text = epoch
    print(f"  SOURCE_DATE_EPOCH   {epoch_text}")
    print(f"  current build       {len(current)} files under {', '.join(d + '/' for d in OUTPUT_DIRS)}")
    print(f"  rebuild in          {scratch}")
    changed = changed_since_build(repo)
    if changed:
        print(f"  changed since build {', '.join(changed)} (the rebuild reads "
              f"{'it as it is' if len(changed) == 1 else 'them as they are'} now)")

    make_scratch_copy(repo, scratch)
    if seed_history(repo, scratch):
        print("  previous build      seeded from results/report/previous_key_results.json")
    targets = build_targets(current)
    if targets:
        print(f"  targets             {' '.join(targets)} (the current build has PNG figures or had them)")
    # Inputs edited since the build are named above; a build left unfinished is not.
    pending = None if changed else pending_jobs(repo, targets, env=workflow_env(epoch), snakemake=args.snakemake)
    if pending:
        print(f"  still to build      {pending} job(s) in the checkout (a dry run there)")
    log = scratch / "logs" / "audit.snakemake.log"
    cores = ("--cores", str(args.cores)) if args.cores is not None else ()
    run = run_workflow(scratch, *cores, *targets, env=workflow_env(epoch), log=log, snakemake=args.snakemake)
    diffs = compare_trees(repo, scratch) if run.returncode == 0 else []
    # The log's path only where it stays: a clean audit removes the scratch copy with it.
    removed = run.returncode == 0 and not diffs and not args.keep and args.scratch is None
    print(f"  rebuild             {run.jobs} jobs in {run.seconds:.1f} s "
          + ("(its scratch copy and log removed: AUDIT_ARGS=--keep keeps them)" if removed else f"(log: {log})"))
    if run.returncode != 0:
        print(f"\nthe rebuild failed (exit {run.returncode}); the end of its output:\n")
        print("\n".join(run.output.splitlines()[-40:]))
        print(f"\nscratch copy kept: {scratch}")
        return 2

    compared = len(set(current) | set(output_entries(scratch)))
    if not diffs:
        print(f"\nall {compared} outputs are byte-identical to the rebuild")
        print(rebuild_note(repo))
        if removed:
            shutil.rmtree(scratch, ignore_errors=True)
        return 0
    print(f"\n{len(diffs)} of {compared} outputs differ from the rebuild:\n")
    for d in diffs:
        print(d)
    unpinned = unpinned_builds(repo)
    refused = None if is_git_checkout(repo) else git_refusal(repo)
    hints = (([changed_inputs_hint(changed)] if changed else []) + ([pending_jobs_hint(pending)] if pending else [])
             + ([refused_hint(refused, repo)] if refused else []) + ([unpinned_hint(unpinned)] if unpinned else [])
             + [h for h in hints_for(full_details(repo, scratch, diffs)) if not (refused and h == COMMIT_HINT)])
    if hints:
        print("\nlikely causes:")
        for h in hints:
            print(f"  - {h}")
    print(f"\nscratch copy kept for inspection: {scratch}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
