"""The library's type hints hold: mypy finds no error in src/metareview.

The hints are the library's promise to its callers (and ship with it, py.typed); unchecked,
they drift from the code, and a None reaching float() or a wrong literal goes unseen until a
review's data takes that path. The settings are pyproject.toml's [tool.mypy].
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_finds_no_error_in_the_library() -> None:
    api = pytest.importorskip(
        "mypy.api", reason="mypy is not installed (it comes with the test extras: pip install -e '.[test]')"
    )
    # No cache: a stale one from another checkout could hide an error, and a fresh run
    # takes about half a minute.
    stdout, stderr, status = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--no-incremental", "--cache-dir", "/dev/null",
         str(ROOT / "src" / "metareview")]
    )
    assert status == 0, f"mypy found type errors (run `make typecheck`):\n{stdout}{stderr}"
