"""What a report states about how it was made: inputs, software, commit, renderer, date.

The build date comes from ``SOURCE_DATE_EPOCH`` when set (reproducible builds: two
builds of the same commit print the same date), else from today's date (UTC).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from metareview.io import sha256_file

PACKAGES = ("metareview", "numpy", "scipy", "matplotlib", "snakemake", "pypandoc-binary", "typst")


def build_date() -> str:
    """ISO date of the build: from SOURCE_DATE_EPOCH when set, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
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


def git_commit(root: Path | str) -> str:
    """The checkout's commit, with ``+ uncommitted changes`` when the tree differs from it."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return commit + (" + uncommitted changes" if dirty else "")


def renderer_description(name: str) -> str:
    """How the report is rendered, as the report states it."""
    if name == "quarto":
        try:
            version = subprocess.run(["quarto", "--version"], capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            version = "unknown version"
        return f"Quarto {version} (quarto render)"
    versions = []
    for label, package in (("pandoc (pypandoc-binary", "pypandoc-binary"), ("Typst (typst", "typst")):
        try:
            versions.append(f"{label} {metadata.version(package)})")
        except metadata.PackageNotFoundError:
            versions.append(f"{label} not installed)")
    return "the offline path: " + " and ".join(versions) + ", the engines Quarto uses; the Quarto CLI was not available"


def collect_provenance(inputs: Sequence[str], renderer: str, root: Path | str) -> dict[str, Any]:
    """Checksums of ``inputs`` (paths as given), software, commit, renderer and date."""
    return {
        "checksums": [(str(p), sha256_file(p)) for p in sorted(inputs)],
        "software": software_versions(),
        "git_commit": git_commit(root),
        "renderer": renderer_description(renderer),
        "build_date": build_date(),
    }
