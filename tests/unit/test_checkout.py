"""A checkout holds the same bytes on every machine, whatever its git settings."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _git(*args: str, cwd: Path = REPO) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(), reason="not a git checkout")
def test_a_clone_with_autocrlf_checks_out_lf_line_endings(tmp_path: Path) -> None:
    # core.autocrlf=true (Windows' default, and some users' global setting) would write
    # CRLF into every text file, and the report's checksums of its inputs and code
    # would then differ from a build on any other machine.
    clone = tmp_path / "clone"
    _git("-c", "core.autocrlf=true", "clone", "--quiet", "--shared", str(REPO), str(clone), cwd=tmp_path)
    _git("config", "core.autocrlf", "true", cwd=clone)
    # `git ls-files --eol`: index, working-tree endings, attributes, path.
    crlf = [line.split("\t")[-1] for line in _git("ls-files", "--eol", cwd=clone).splitlines()
            if "w/crlf" in line or "w/mixed" in line]
    assert crlf == []
    assert b"\r\n" not in (clone / "data" / "raw" / "studies.csv").read_bytes()
