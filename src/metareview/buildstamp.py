"""Run the workflow, or say at once that nothing changed since the last complete build.

``make report`` runs ``python -m metareview.buildstamp``. Snakemake needs 1.5-2 s on a
small machine (mostly its own imports) before it can answer "Nothing to be done"; this
module answers in about 0.1 s when it can prove the answer, and otherwise runs Snakemake.

The proof is a fingerprint of everything Snakemake's decision depends on, written after
the last build that ended successfully:

* the content (SHA-256) of every file the workflow reads: ``Snakefile``, ``rules/``,
  ``scripts/``, the library ``src/metareview/``, ``config/``, ``data/``, ``reports/``, the
  default profile, and the folders ``raw_dir`` and ``schema_dir`` in ``config/config.yaml``
  name when they lie elsewhere (a review whose tables are outside ``data/``);
* the path, size and modification time of every file under ``results/`` and ``build/``
  (an output edited, deleted, or left half-written by a killed build changes it);
* what the rules read from the environment: the commit and date the report cites
  (:func:`metareview.provenance.source_state`, ``SOURCE_DATE_EPOCH``), whether a
  ``quarto`` command is on ``PATH``, and the Python and package versions the report lists.

Equal fingerprints mean the same inputs, params and outputs as after a build that
completed, so Snakemake would plan no job. The stamp also records the targets that build
made (``all``, or ``all`` and ``figures`` for ``make figures``): it answers for those, and
for any subset of them. Anything else (a changed byte, a command-line
argument, a missing stamp) runs Snakemake, which decides as usual; the stamp is removed
before it starts and written again only if it succeeds, so an interrupted build never
leaves a stamp behind. Touching a file without changing it keeps the stamp valid, as
Snakemake (which compares checksums when times differ) would plan nothing either.

A build the stamp answers still prints the notes each start of the workflow prints about
the raw tables' folder (a CSV nothing reads, a table open in a spreadsheet program, a
codebook the schemas have moved on from): the stamp records them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

#: What the workflow reads, relative to the workflow's folder.
INPUTS = ("Snakefile", "rules", "scripts", "src/metareview", "config", "data", "reports",
          "profiles/default")
#: What it writes.
OUTPUTS = ("results", "build")
#: Where the fingerprint of the last successful build is kept (Snakemake's own folder).
STAMP = Path(".snakemake") / "metareview-build-stamp.json"
#: Targets a stamp can stand for; any other argument always runs Snakemake.
TARGETS = ("all", "figures")
#: Packages whose versions the report prints (see :mod:`metareview.provenance`).
PACKAGES = ("snakemake", "numpy", "scipy", "matplotlib", "pypandoc-binary", "typst", "pyyaml", "jsonschema")
#: The published report, and the digest its publication writes last (rules/report.smk).
PUBLISHED_REPORT = Path("build") / "report" / "report.html"
PUBLISHED_DIGEST = Path("results") / "report" / "published.sha256"
_SKIP_DIRS = {"__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache"}
#: The last line of a build that Ctrl-C stopped, however far it had gone.
INTERRUPTED_NOTE = ("The build was interrupted. Run the same command again: it builds what this run left "
                    "undone (a job it stopped had its outputs removed, and runs again).")
#: The exit status of a Snakemake run that Ctrl-C stopped before its jobs started, once it
#: has said :data:`INTERRUPTED_NOTE` (128 + SIGINT, as a shell reports a process SIGINT ended).
INTERRUPTED_STATUS = 128 + signal.SIGINT
#: How :func:`build` starts Snakemake, relative to the workflow's folder: its command line
#: (as ``python -m snakemake``) with Ctrl-C during its start quiet. A script, not a module
#: of this library, which never imports snakemake.
START_SNAKEMAKE = Path("tools") / "start_snakemake.py"


def quiet_ctrl_c(jobs_started: Callable[[], bool] | None = None) -> None:
    """Make Ctrl-C end this process at once with :data:`INTERRUPTED_NOTE` and
    :data:`INTERRUPTED_STATUS`, not with a traceback of whatever code it stopped.

    For the time before Snakemake runs jobs: starting (1.5-2 s of imports), reading the
    workflow, planning the jobs. Nothing of the build is written then, so there is
    nothing to clean up: the process ends with ``os._exit``, as an exception raised from
    here would be caught and reported by the code it lands in (Snakemake wraps what an
    input function raises, asyncio logs what a task raises, both with a traceback). A
    Snakemake lock taken meanwhile is cleared by the next run (rules/common.smk).

    Parameters
    ----------
    jobs_started
        Whether Snakemake has begun running jobs: from then on Ctrl-C is Snakemake's again
        (``KeyboardInterrupt``, as without this handler), and Snakemake stops the jobs and
        removes their partial outputs.

    Only the main thread may set a signal handler: called from another (a workflow read
    through Snakemake's API in a thread), this leaves Ctrl-C as it is.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def stop(signum: int, frame: object) -> None:
        if jobs_started is not None and jobs_started():
            default_ctrl_c()
            raise KeyboardInterrupt
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: the note goes where it can
                pass
        try:
            print(INTERRUPTED_NOTE, file=sys.stderr, flush=True)
        finally:
            os._exit(INTERRUPTED_STATUS)

    signal.signal(signal.SIGINT, stop)


def default_ctrl_c() -> None:
    """Undo :func:`quiet_ctrl_c`: Ctrl-C raises ``KeyboardInterrupt`` again (from the main
    thread, the only one that may set it)."""
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)


def snakemake_command(root: Path | str) -> list[str]:
    """The command :func:`build` runs Snakemake with in ``root``: :data:`START_SNAKEMAKE`,
    or ``python -m snakemake`` where a copy of the workflow has no such script."""
    script = Path(root) / START_SNAKEMAKE
    return [sys.executable, str(script)] if script.is_file() else [sys.executable, "-m", "snakemake"]


def _files(root: Path, top: str) -> Iterator[Path]:
    path = root / top
    if path.is_file():
        yield path
        return
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.endswith(".egg-info"))
        for name in sorted(filenames):
            yield Path(dirpath, name)


def _config_folders(root: Path) -> list[str]:
    """The raw tables' and schemas' folders ``config/config.yaml`` names (``raw_dir``,
    ``schema_dir``), relative to ``root`` or absolute.

    They default to ``data/raw`` and ``config/schemas/raw``, inside :data:`INPUTS`; a
    review that keeps them elsewhere must still have an edit to its tables run Snakemake.
    A config that cannot be read names none: Snakemake, which always runs then (the file
    is among the inputs), reports it.
    """
    config = _config(root)
    return [folder for key in ("raw_dir", "schema_dir") if isinstance(folder := config.get(key), str) and folder]


def _config(root: Path) -> dict[str, Any]:
    """``config/config.yaml`` as a mapping, or {} when it cannot be read as one (Snakemake,
    which then runs, reports why)."""
    import yaml

    try:
        config = yaml.safe_load((root / "config" / "config.yaml").read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return {}
    return config if isinstance(config, dict) else {}


def fingerprint(root: Path | str) -> dict[str, Any]:
    """The state Snakemake's no-op decision depends on (see the module docstring)."""
    # Imported here, as it takes more time than all the module's other imports (email,
    # socket): Ctrl-C in the first tenth of a second is then Python's start, not this.
    from importlib import metadata

    from metareview.provenance import source_state

    root = Path(root)
    inputs = {}
    for top in (*INPUTS, *_config_folders(root)):
        for path in _files(root, top):
            # A folder outside the workflow's is keyed by its absolute path.
            key = path.relative_to(root) if path.is_relative_to(root) else path
            inputs[key.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    outputs = {}
    for top in OUTPUTS:
        for path in _files(root, top):
            st = path.stat()
            outputs[path.relative_to(root).as_posix()] = [st.st_size, st.st_mtime_ns]
    try:
        source = source_state(root)
        source_desc = [source.commit, source.epoch]
    except ValueError as exc:  # a bad SOURCE_DATE_EPOCH: let Snakemake report it
        source_desc = [f"invalid: {exc}"]
    versions: dict[str, str | None] = {}  # None: the package is not installed
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "inputs": inputs,
        "outputs": outputs,
        "source": source_desc,
        "quarto": shutil.which("quarto"),
        "python": [sys.executable, platform.python_version()],
        "packages": versions,
    }


def is_current(root: Path | str, targets: Sequence[str] = ("all",)) -> bool:
    """Whether the last successful build made ``targets`` and its stamp equals the
    current fingerprint."""
    root = Path(root)
    try:
        stamp = json.loads((root / STAMP).read_text(encoding="utf-8"))
        made = set(stamp.pop("targets", ["all"]))
        stamp.pop("notes", None)
    except (OSError, ValueError, AttributeError, TypeError):
        return False
    return made >= set(targets) and stamp == fingerprint(root)


def write_stamp(root: Path | str, targets: Sequence[str] = ("all",)) -> None:
    """Record the current fingerprint (call only after a successful build of ``targets``)."""
    root = Path(root)
    path = root / STAMP
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({**fingerprint(root), "targets": sorted(set(targets)), "notes": raw_notes(root)},
                              sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def raw_notes(root: Path | str) -> list[str]:
    """The notes every start of the workflow prints about the raw tables' folder: a CSV
    there that is none of the tables, a table open in a spreadsheet program
    (:func:`metareview.rawdata.ignored_files`, as rules/common.smk calls it), a codebook
    the schemas have moved on from (:func:`metareview.rawdata.stale_codebook`).

    The stamp keeps them, so that a build it answers says them too: the folder is part of
    the fingerprint, so they hold as long as the stamp does. A config that cannot be read
    gives none (Snakemake, which then runs, reports it). The note on where the report's
    commit and date come from (:func:`metareview.provenance.source_note`: a shallow
    clone, a checkout git will not read) comes last, as the workflow says it.
    """
    from metareview.provenance import source_note, source_state
    from metareview.rawdata import SchemaError, ignored_files, load_schemas, stale_codebook

    root = Path(root)
    config = _config(root)
    if not config:
        return []
    try:
        source = [note] if (note := source_note(source_state(root), root)) else []
    except ValueError:  # a bad SOURCE_DATE_EPOCH: Snakemake, which then runs, reports it
        source = []
    raw_dir = str(config.get("raw_dir") or "data/raw")
    schema_dir = str(config.get("schema_dir") or "config/schemas/raw")
    if not (root / raw_dir).is_dir():
        return source
    notes = ignored_files(root / raw_dir, raw_dir, schema_dir)
    try:
        # A codebook the schemas have moved on from, as rules/common.smk says it.
        stale = stale_codebook(root / raw_dir, load_schemas(root / schema_dir), raw_dir, schema_dir)
    except SchemaError:
        stale = None
    return notes + ([stale] if stale else []) + source


def stamp_notes(root: Path | str) -> list[str]:
    """The raw-folder notes the stamp recorded (:func:`raw_notes`); none for a stamp
    written before they were recorded."""
    try:
        notes = json.loads((Path(root) / STAMP).read_text(encoding="utf-8")).get("notes", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [str(n) for n in notes] if isinstance(notes, list) else []


def build(root: Path | str, args: Sequence[str] = (), snakemake: Sequence[str] | None = None) -> int:
    """Run the workflow in ``root`` unless the stamp proves there is nothing to do.

    ``args`` naming only targets of :data:`TARGETS` (``all figures``) build those, with a
    stamp as for a plain build; with any other argument (an option, another target)
    Snakemake always runs and no stamp is written.

    Returns
    -------
    int
        Snakemake's exit status (0 when skipped).
    """
    root = Path(root)
    problem = config_file_problem(root, args)
    if problem:
        # Before Snakemake, whose own load of the file would end in its traceback.
        from metareview.plan import stop_message

        print(stop_message(problem, root), file=sys.stderr)
        return 1
    stamped = all(a in TARGETS for a in args)
    targets = list(args) or ["all"]
    if stamped and is_current(root, targets):
        # What the workflow would have said on starting (rules/common.smk), said here too.
        for note in stamp_notes(root):
            print(f"Note: {note}.", file=sys.stderr)
        print("Nothing to be done: inputs and outputs are as the last complete build left them.")
        return 0
    (root / STAMP).unlink(missing_ok=True)
    # The workflow byte-compiles the library and scripts as it starts (rules/common.smk).
    command = list(snakemake or snakemake_command(root))
    # OpenBLAS's kernel is chosen when numpy loads, which Snakemake may do before reading
    # the workflow (metareview.blas): pinned here, it is pinned whatever is installed.
    from metareview.blas import blas_environment
    from metareview.provenance import settle_source_date_epoch

    env = blas_environment()
    # An empty SOURCE_DATE_EPOCH, unset to the workflow, is unset for Snakemake too (a
    # value that is no integer, the workflow refuses in one line).
    with contextlib.suppress(ValueError):
        settle_source_date_epoch(env)
    started = time.time()
    process = subprocess.Popen([*command, *args], cwd=root, env=env)
    interrupted = False
    while True:
        try:
            code = process.wait()
            break
        except KeyboardInterrupt:
            # Ctrl-C reaches Snakemake too (one process group): it stops its jobs and
            # removes their partial outputs; waiting for that, rather than leaving with a
            # traceback of this wait, keeps the last lines of the build Snakemake's and ours.
            interrupted = True
    if code == 0 and stamped:
        write_stamp(root, targets)
    if code == 0 and not stamped and not is_dry_run(args) and (root / PUBLISHED_REPORT).is_file():
        digest = root / PUBLISHED_DIGEST
        if not digest.is_file() or digest.stat().st_mtime < started:
            # A run of named targets (one analysis, say) leaves the report as it was; the
            # lines `make report` prints next would otherwise read as this run's report.
            # A run of the report's own targets that published nothing found it current.
            print(f"This run did not publish a report: {PUBLISHED_REPORT.parent.as_posix()}/ holds the "
                  "one of the last build that did.")
    if code != 0 and not (interrupted and code == INTERRUPTED_STATUS):
        # (Stopped while starting, Snakemake has said INTERRUPTED_NOTE itself.)
        for line in failure_summary(root, started, interrupted):
            print(line, file=sys.stderr)
    return code


def config_files(args: Sequence[str]) -> list[str]:
    """The files Snakemake ``args`` give with ``--configfile`` or ``--configfiles``.

    As Snakemake's parser reads them: every argument after the option up to the next
    option (so a target written after the files is read as one more file), or the value
    of ``--configfile=FILE``.
    """
    found: list[str] = []
    taking = False
    for arg in args:
        if arg in ("--configfile", "--configfiles"):
            taking = True
        elif match := re.fullmatch(r"--configfiles?=(.*)", arg):
            found.append(match.group(1))
            taking = False
        elif arg.startswith("-"):
            taking = False
        elif taking:
            found.append(arg)
    return found


def config_file_problem(root: Path | str, args: Sequence[str]) -> str | None:
    """Why Snakemake could not read a config file ``args`` give it, in one line naming
    the file and what was expected, or None.

    Snakemake reads these files before the workflow's own checks (rules/config_file.smk)
    can: a missing file or a folder ends in a traceback of Snakemake's code, a YAML slip
    in a message that names neither the file nor the line. The checks are those of
    :func:`metareview.plan.check_config_file` (which asks for the top-level mapping
    Snakemake needs).
    """
    names = config_files(args)
    if not names:
        return None
    from metareview.plan import ConfigError, check_config_file

    expected = "expected a YAML file of config keys, as config/config.yaml"
    for name in names:
        path = Path(root) / name
        label = f"--configfile {name}"
        if not path.exists():
            # Snakemake reads every argument after --configfile as a file: a target too.
            hint = "" if path.suffix in (".yaml", ".yml", ".json") else "; a target goes before --configfile"
            return f"{label}: no such file ({expected}{hint})."
        if path.is_dir():
            return f"{label}: a folder, not a file ({expected})."
        try:
            check_config_file(path, label=label)
        except ConfigError as exc:
            return str(exc)
        except OSError as exc:
            return f"{label}: cannot be read ({exc.strerror or exc}; {expected})."
    return None


def is_dry_run(args: Sequence[str]) -> bool:
    """Whether Snakemake ``args`` ask for a dry run (``-n``, ``-np``, ``--dry-run``,
    ``--dryrun``)."""
    return any(re.fullmatch(r"-[a-zA-Z]*n[a-zA-Z]*|--dry-?run(=\S*)?", a) for a in args)


def closing_lines(root: Path | str, args: Sequence[str] = ()) -> list[str]:
    """The last lines of a build that succeeded: where the report is, or, after a dry
    run, that nothing was built.

    Said here rather than by the Makefile, so that one reading of ``args``
    (:func:`is_dry_run`) decides both this and whether the run published a report.
    """
    if is_dry_run(args):
        return ["A dry run: nothing was built."]
    report = Path(root).absolute() / PUBLISHED_REPORT
    lines = [f"Report (HTML): {report}", f"Report (PDF):  {report.with_suffix('.pdf')}"]
    # Which renderer made it, as the report's provenance says: a CI image that gains a
    # Quarto CLI switches renderer (report.renderer: auto), which the log should show.
    source = Path(root) / "results" / "report" / "report.qmd"
    found = _RENDERER.search(source.read_text(encoding="utf-8")) if source.is_file() else None
    if found:
        renderer = re.sub(r"\\(.)", r"\1", found.group(1))  # the Markdown escapes undone
        lines.append(f"Rendered with: {renderer}")
    return lines


#: The report's renderer line ("- **Renderer**: the offline path: pandoc 3.9 ...").
_RENDERER = re.compile(r"^- \*\*Renderer\*\*: (.+?)\.?$", flags=re.MULTILINE)


def failed_jobs(root: Path, since: float) -> list[tuple[str, str]]:
    """The jobs of a run that failed: each log under ``logs/`` written since ``since``
    that ends in a traceback, with the error it ends with.

    A job's log holds ``done: ...`` or the traceback of its failure
    (:func:`metareview.workers.execute`); the error is the traceback's last exception
    line and the lines of message after it.

    Returns
    -------
    list of (str, str)
        The log's path relative to ``root`` and the error, in path order.
    """
    found = []
    logs = root / "logs"
    for path in sorted(_files(root, "logs")) if logs.is_dir() else []:
        try:
            if path.stat().st_mtime < since:
                continue
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        starts = [i for i, line in enumerate(lines) if line.endswith("Traceback (most recent call last):")]
        if not starts:
            continue
        tail = lines[starts[-1] + 1:]
        # The frames are indented; the exception and its message are not.
        message = next((i for i, line in enumerate(tail) if line and not line[0].isspace()), None)
        if message is None:
            continue
        found.append((path.relative_to(root).as_posix(), "\n".join(tail[message:message + 8]).strip()))
    return found


def failure_summary(root: Path, started: float, interrupted: bool = False) -> list[str]:
    """What to print at the very end of a build that failed: each failed job's error and
    log (Snakemake prints them mid-output, before its shutdown messages), or, after
    Ctrl-C, that a rerun picks up from there. A build stopped before any job (a raw
    table or the config refused) ends with its own message: nothing is added."""
    if interrupted:
        return [INTERRUPTED_NOTE]
    failed = failed_jobs(root, started)
    if not failed:
        return []
    out = [f"The build stopped: {len(failed)} job(s) failed, nothing after them was built."]
    for log, error in failed:
        out.append(f"  {log}:")
        out.extend(f"    {line}" for line in error.splitlines())
    out.append("Fix what the error names, then run the same command again.")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m metareview.buildstamp [snakemake arguments]``, in the workflow's folder:
    the build, then, when it succeeded, :func:`closing_lines`."""
    args = list(sys.argv[1:] if argv is None else argv)
    root = Path.cwd()
    try:
        code = build(root, args)
    except KeyboardInterrupt:
        # Before Snakemake started (build waits for it once it has): nothing was written.
        print(INTERRUPTED_NOTE, file=sys.stderr)
        return INTERRUPTED_STATUS
    if code == 0:
        for line in closing_lines(root, args):
            print(line)
    return code


if __name__ == "__main__":
    sys.exit(main())
