"""What a report states about how it was made: inputs, software, commit, renderer, date.

The commit a report cites, and its build date, belong to the workflow's inputs, not to
the checkout's HEAD: a commit that changes only the README or the tests does not rerun
anything, and a clean build of it must still be byte-identical to the incremental one.
So both come from the last commit that changed a workflow input (:data:`WORKFLOW_INPUTS`),
see :func:`source_state`. ``SOURCE_DATE_EPOCH``, when set, overrides the date
(reproducible-builds.org convention); outside a git checkout and without it, the date is
today's (UTC) and the build is not reproducible. A shallow clone (``git clone --depth``)
may lack the commit that last changed an input: its oldest commit then seems to add every
file, so the report cites that commit, marked with :data:`SHALLOW`.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import subprocess
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from metareview.io import sha256_file

PACKAGES = ("metareview", "numpy", "scipy", "matplotlib", "snakemake", "pypandoc-binary", "typst")

#: Paths (relative to the checkout) whose content decides every output of the workflow.
#: Git pathspecs of what a build reads, and the exact versions every install takes
#: (constraints.txt): a commit that moves numpy or Typst changes outputs, and a report
#: citing the commit before it could not be rebuilt from it. (pyproject.toml's ranges
#: do not decide a version, and its tool settings, a linter's, decide no output.)
#: Markdown there (the raw tables' codebook) is documentation, which moves no output and
#: no date.
WORKFLOW_INPUTS = ("Snakefile", "rules", "scripts", "src", "config", "data", "reports", "constraints.txt",
                   ":(exclude,glob)**/*.md")

NOT_GIT = "unknown (not a git checkout)"

#: The commit of a build in a git checkout that git refused to read (most often a clone
#: owned by another user, as in a Docker bind mount or on a CI runner: git's "dubious
#: ownership"). Not :data:`NOT_GIT`: the checkout has a history, this build could not
#: read it, and :attr:`SourceState.problem` says why.
GIT_UNREADABLE = "unknown (git could not read this checkout)"

#: Appended to the commit a shallow clone names in place of the last commit that changed
#: an input: the history that would name the right one was not cloned.
SHALLOW = " (shallow clone: the inputs may have changed last in an older commit)"


@dataclass(frozen=True)
class SourceState:
    """The commit a build's inputs come from, and the build date it implies.

    Attributes
    ----------
    commit
        Hash of the last commit that changed a workflow input, with ``" + uncommitted
        changes"`` when an input differs from it (or has no commit yet); :data:`NOT_GIT`
        outside a git checkout. In a shallow clone whose history stops before that
        commit, the oldest cloned commit, marked with :data:`SHALLOW`.
    epoch
        Unix seconds of the build date: ``SOURCE_DATE_EPOCH`` when set, else the commit
        time of ``commit``, else None (no reproducible date).
    shallow
        Whether ``commit`` is a shallow clone's oldest commit rather than the last one
        known to change an input (a full clone may cite another commit and date).
    pinned
        Whether ``epoch`` is ``SOURCE_DATE_EPOCH``'s rather than the commit's: the report
        then says its date is not its source commit's. A ``SOURCE_DATE_EPOCH`` equal to
        the commit's time is the commit's date, and pins nothing.
    problem
        What git said when it could not read a checkout (``commit`` is then
        :data:`GIT_UNREADABLE`), for the note every start of the workflow prints; empty
        otherwise.
    """

    commit: str
    epoch: int | None
    shallow: bool = False
    pinned: bool = False
    problem: str = ""


def _epoch_from_env(env: Mapping[str, str]) -> int | None:
    value = env.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"SOURCE_DATE_EPOCH must be an integer (Unix seconds), got {value!r}") from None


def settle_source_date_epoch(environ: MutableMapping[str, str]) -> int | None:
    """Remove an empty ``SOURCE_DATE_EPOCH`` from ``environ``; return the value as an integer.

    An empty value (``SOURCE_DATE_EPOCH= make report``, a CI variable defined as nothing)
    means unset to the workflow, but not to every library its jobs import: numpy's f2py,
    which ``scipy.special`` imports, reads ``int(os.environ["SOURCE_DATE_EPOCH"])`` and
    fails on it. Removed where the workflow starts, no process it starts sees it.

    Raises
    ------
    ValueError
        The value is not an integer (Unix seconds), with what it is.
    """
    value = environ.get("SOURCE_DATE_EPOCH")
    if value is not None and not value.strip():
        del environ["SOURCE_DATE_EPOCH"]
    return _epoch_from_env(environ)


def source_state(
    root: Path | str, paths: Sequence[str] = WORKFLOW_INPUTS, env: Mapping[str, str] | None = None
) -> SourceState:
    """Commit and build date of the workflow inputs under ``root`` (see :class:`SourceState`).

    Two git calls (``git log -1 -- paths`` and ``git status --porcelain -- paths``, whose
    untracked files count only where the build may read them, :func:`read_by_build`), a
    few milliseconds each, so the workflow runs it on every start; a third when the
    commit found has no parent, to tell a root commit from a shallow clone's boundary
    (whose parents exist but were not cloned, so that it seems to add every input).

    Raises
    ------
    ValueError
        ``SOURCE_DATE_EPOCH`` is set but not an integer.
    """
    env = os.environ if env is None else env
    epoch = _epoch_from_env(env)
    try:
        # %P: the parents, none for a root commit or a shallow clone's boundary.
        last = subprocess.run(["git", "log", "-1", "--format=%H %ct %P", "--", *paths], cwd=root,
                              capture_output=True, text=True, check=True).stdout.split()
        # Untracked files listed one by one, whatever the user's status.showUntrackedFiles
        # (which "no" made this ignore new inputs): each is then judged by its name.
        status = subprocess.run(["git", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths],
                                cwd=root, capture_output=True, text=True, check=True).stdout
        dirty = any(entry[:2] != "??" or read_by_build(entry[3:]) for entry in status.split("\0") if entry)
        shallow = len(last) == 2 and subprocess.run(
            ["git", "rev-parse", "--is-shallow-repository"], cwd=root, capture_output=True, text=True,
            check=True).stdout.strip() == "true"
    except (OSError, subprocess.CalledProcessError) as exc:
        if not _in_git_checkout(root):
            return SourceState(commit=NOT_GIT, epoch=epoch, pinned=epoch is not None)
        # A checkout git will not read: said, not taken for an archive. The history is not
        # read past git's refusal (``-c safe.directory``): git refuses a repository owned
        # by another user because its config can name commands that git status and git log
        # run (core.fsmonitor, a diff driver), and trusting it is the user's choice to make.
        said = (exc.stderr or "").strip() if isinstance(exc, subprocess.CalledProcessError) else str(exc)
        # Git's first line says what it refused ("fatal: detected dubious ownership ...");
        # the lines after it, the fix, the note says in its own words.
        return SourceState(commit=GIT_UNREADABLE, epoch=epoch, pinned=epoch is not None,
                           problem=said.splitlines()[0].strip() if said else f"git failed ({exc})")
    if not last:  # a repository whose inputs were never committed
        return SourceState(commit="no commit + uncommitted changes", epoch=epoch, pinned=epoch is not None)
    commit = last[0] + (SHALLOW if shallow else "") + (" + uncommitted changes" if dirty else "")
    # SOURCE_DATE_EPOCH set to the commit's own time (a CI's `git log -1 --format=%ct`)
    # dates the build as the commit does: the report says so, and is the unset build's.
    return SourceState(commit=commit, epoch=int(last[1]) if epoch is None else epoch, shallow=shallow,
                       pinned=epoch is not None and epoch != int(last[1]))


def read_by_build(path: str) -> bool:
    """Whether an untracked file at ``path`` (relative to the checkout) may be read by a
    build, and so make it one of uncommitted changes.

    The workflow reads no hidden file or folder (a name starting with "."): not a
    folder's ``.DS_Store`` (macOS), an editor's swap file (``.config.yaml.swp``), nor a
    spreadsheet program's lock file (``.~lock.arms.csv#``); nor an editor's backup
    (``config.yaml~``, ``#config.yaml#``) or Excel's lock file (``~$arms.csv``), which no
    rule names. Any other file counts, whether a rule reads it or not (a new raw table,
    a module, a template under ``reports/``): a file the build may read and a clone lacks
    must not pass for a committed build.

    >>> [read_by_build(p) for p in ("data/raw/.DS_Store", "config/.config.yaml.swp", "data/raw/~$arms.csv")]
    [False, False, False]
    >>> [read_by_build(p) for p in ("data/raw/new.csv", "src/metareview/new.py", "reports/render/x.css")]
    [True, True, True]
    """
    parts = path.rstrip("/").split("/")
    name = parts[-1]
    return not (any(part.startswith(".") for part in parts) or name.startswith("~$") or name.endswith("~")
                or (name.startswith("#") and name.endswith("#")))


def _in_git_checkout(root: Path | str) -> bool:
    """Whether ``root`` or a folder above it holds a ``.git`` (a folder, or a file
    pointing to one in a worktree or submodule): a git checkout, whether git can read it
    or not."""
    here = Path(root).absolute()
    return any((folder / ".git").exists() for folder in (here, *here.parents))


def source_note(state: SourceState, root: Path | str) -> str | None:
    """The note every start of the workflow prints about where the report's commit and
    date come from, when they are not a full clone's: None for a full clone.

    A shallow clone's report cites another commit and date than a full clone's, and a
    checkout git refuses to read, or a folder that is no git checkout (a downloaded
    archive), gives a report of no commit dated today: each differs from a full clone's
    build, so an audit comparing the two would differ.
    """
    if state.problem:
        # The folder git names ("... in repository at '/src'"), the top of the checkout,
        # which safe.directory must name; else the workflow's own.
        named = re.search(r" at '(.+)'$", state.problem)
        folder = named.group(1) if named else Path(root).absolute()
        return (f"git could not read this checkout ({state.problem}), so the report cites no commit"
                + ("" if state.pinned else " and carries today's date") + ". A clone owned by another user "
                "(a Docker bind mount, a CI runner) is the usual cause: if you trust it, run "
                f"`git config --global --add safe.directory {folder}` and build again")
    if state.commit == NOT_GIT:
        return ("this is not a git checkout (no .git folder here or above), so the report cites no commit"
                + ("" if state.pinned else " and carries today's date: a rebuild on another day differs "
                   "(SOURCE_DATE_EPOCH fixes the date)")
                + "; a git clone gives the report that cites its source commit")
    if state.shallow:
        return (f"this is a shallow clone whose history stops at {state.commit.split()[0]}: "
                "the report cites that commit and its date, as an earlier commit may have been the "
                "last to change the workflow's inputs; run `git fetch --unshallow` for the report "
                "a full clone builds")
    return None


def build_date(epoch: int | None = None) -> str:
    """ISO date of the build: ``epoch`` if given, else ``SOURCE_DATE_EPOCH``, else today (UTC)."""
    if epoch is None:
        epoch = _epoch_from_env(os.environ)
    when = dt.datetime.fromtimestamp(epoch, dt.UTC) if epoch is not None else dt.datetime.now(dt.UTC)
    return when.strftime("%Y-%m-%d")


def software_versions() -> dict[str, str]:
    """Versions of Python and the packages the results depend on."""
    out = {"Python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


#: The packages whose versions the results depend on: the statistics, the figures, the
#: renderers (the workflow's jobs rerun when one changes).
RESULT_PACKAGES = ("numpy", "scipy", "matplotlib", "pypandoc_binary", "typst")


def installed_versions(names: Sequence[str] = RESULT_PACKAGES) -> str:
    """``numpy-2.4.6 scipy-1.17.1 ...``: the installed versions of ``names``, as the names
    of their ``.dist-info`` folders in the environment's site-packages.

    One folder listing, not a metadata lookup per package (about 5 ms each): Snakemake
    evaluates this on every start.
    """
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])
    wanted = {n.lower().replace("-", "_") for n in names}
    found = sorted(p.name.removesuffix(".dist-info") for p in site.glob("*.dist-info")
                   if p.name.split("-", 1)[0].lower().replace("-", "_") in wanted)
    return " ".join(found)


def git_commit(root: Path | str) -> str:
    """The checkout's commit, with ``+ uncommitted changes`` when the tree differs from it."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return NOT_GIT
    return commit + (" + uncommitted changes" if dirty else "")


def renderer_description(name: str) -> str:
    """How the report is rendered, as the report states it."""
    if name == "quarto":
        try:
            version = subprocess.run(["quarto", "--version"], capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            version = "unknown version"
        return f"Quarto {version} (quarto render)"
    engines = engine_versions()
    versions = []
    for label, package in (("pandoc", "pypandoc-binary"), ("Typst", "typst")):
        try:
            wheel = f"PyPI {package} {metadata.version(package)}"
        except metadata.PackageNotFoundError:
            versions.append(f"{label} (PyPI {package} not installed)")
            continue
        if label == "pandoc" and engines.get("pandoc_elsewhere"):
            # pypandoc runs a pandoc it found on PATH before the one its wheel carries.
            wheel = "on PATH, not the one PyPI pypandoc-binary carries"
        versions.append(f"{label} {engines.get(label, 'of unknown version')} ({wheel})")
    return "the offline path: " + " and ".join(versions) + ", the engines Quarto uses; the Quarto CLI was not available"


def engine_versions() -> dict[str, str]:
    """The versions of the pandoc and Typst the offline path runs (not of their wheels).

    pandoc's from the ``--version`` of the pandoc the render runs (pypandoc's choice,
    which may be one on PATH rather than the wheel's); Typst's from the compiler itself,
    made without fonts (it then starts in milliseconds: the report is assembled on every
    rebuild).
    """
    import contextlib
    import json
    import shutil

    out = {}
    try:
        import pypandoc

        # A bare "pandoc" when pypandoc chose the one on PATH.
        path = Path(shutil.which(pypandoc.get_pandoc_path()) or pypandoc.get_pandoc_path()).resolve()
        first = subprocess.run([str(path), "--version"], capture_output=True, text=True,
                               check=True).stdout.splitlines()[0]
        out["pandoc"] = first.split()[1]
        if Path(pypandoc.__file__).resolve().parent not in path.parents:
            out["pandoc_elsewhere"] = "yes"
    except (ImportError, OSError, IndexError, subprocess.CalledProcessError):
        pass
    # An old wheel without eval() or Fonts, or none: the version stays unknown.
    with contextlib.suppress(Exception):
        import typst

        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[])
        out["Typst"] = str(json.loads(typst.Compiler(font_paths=fonts).eval("str(sys.version)", format="json")))
    return out


def collect_provenance(
    inputs: Sequence[str], renderer: str, root: Path | str, source: SourceState | None = None
) -> dict[str, Any]:
    """Checksums of ``inputs`` (paths as given), software, commit, renderer and date.

    ``source`` (from :func:`source_state`, computed once per build) gives the commit and
    the date; without it, the checkout's HEAD and ``SOURCE_DATE_EPOCH`` or today.
    ``date_from`` says which: ``"commit"``, ``"SOURCE_DATE_EPOCH"`` or ``"today"``, for
    the report's words on what its date is (it is not the day a build ran, unless today).
    """
    if source is not None:
        date_from = "SOURCE_DATE_EPOCH" if source.pinned else "commit" if source.epoch is not None else "today"
    else:
        date_from = "SOURCE_DATE_EPOCH" if _epoch_from_env(os.environ) is not None else "today"
    return {
        "checksums": [(str(p), sha256_file(p)) for p in sorted(inputs)],
        "software": software_versions(),
        "git_commit": source.commit if source else git_commit(root),
        "renderer": renderer_description(renderer),
        "build_date": build_date(source.epoch if source else None),
        "date_from": date_from,
    }
