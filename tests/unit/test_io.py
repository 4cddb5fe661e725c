"""Unit tests for metareview.io: atomic writes, JSON without NaN, deterministic output."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import numpy as np
import pytest

from metareview import io as mio


def _leftovers(folder: Path) -> list[str]:
    """Files other than the targets: temporary files the writer failed to clean up."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.startswith("."))


# --- atomic writes ----------------------------------------------------------------------------


def test_write_creates_parent_folders_and_exact_bytes(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.bin"
    mio.write_bytes_atomic(target, b"\x00\x01abc")
    assert target.read_bytes() == b"\x00\x01abc"
    assert _leftovers(target.parent) == []


def test_failed_rename_leaves_old_file_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "result.json"
    target.write_text("old\n", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(mio.os, "replace", broken_replace)
    with pytest.raises(OSError, match="simulated"):
        mio.write_json(target, {"new": 1})
    # The previous output is intact and no half-written temporary file is left behind.
    assert target.read_text(encoding="utf-8") == "old\n"
    assert _leftovers(tmp_path) == []


def test_failure_while_writing_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "never.txt"
    with pytest.raises(TypeError):
        mio.write_bytes_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert not target.exists()
    assert _leftovers(tmp_path) == []


def test_interrupt_during_write_is_cleaned_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # KeyboardInterrupt is a BaseException: an interrupted build must not leave debris either.
    def interrupted_fsync(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(mio.os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        mio.write_text_atomic(tmp_path / "x.txt", "text")
    assert list(tmp_path.iterdir()) == []


def test_written_file_has_the_usual_permissions(tmp_path: Path) -> None:
    # A temporary file is created 0600; the output must get the mode any ordinary write
    # gives (0666 minus the umask), or results become unreadable to the rest of the group.
    umask = os.umask(0o022)
    os.umask(umask)
    target = tmp_path / "out.txt"
    mio.write_text_atomic(target, "x")
    ordinary = tmp_path / "ordinary.txt"
    ordinary.write_text("x")
    assert stat.S_IMODE(target.stat().st_mode) == stat.S_IMODE(ordinary.stat().st_mode) == 0o666 & ~umask


def test_overwrite_replaces_content(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    mio.write_text_atomic(target, "first")
    mio.write_text_atomic(target, "second, longer than the first")
    assert target.read_text(encoding="utf-8") == "second, longer than the first"


# --- JSON -------------------------------------------------------------------------------------


def test_nan_and_infinities_become_null() -> None:
    value = {"a": float("nan"), "b": [1.0, float("inf"), -float("inf")], "c": (2.5, float("nan"))}
    assert json.loads(mio.dumps_json(value)) == {"a": None, "b": [1.0, None, None], "c": [2.5, None]}


def test_numpy_values_become_plain_json() -> None:
    value = {"arr": np.array([1.5, np.nan]), "int": np.int64(3), "flt": np.float64(0.25), "bool": np.bool_(True),
             "nested": {"m": np.array([[1, 2], [3, 4]])}}
    assert json.loads(mio.dumps_json(value)) == {"arr": [1.5, None], "int": 3, "flt": 0.25, "bool": True,
                                                 "nested": {"m": [[1, 2], [3, 4]]}}


def test_json_text_is_deterministic_and_keeps_insertion_order() -> None:
    value = {"z": 1, "a": [0.1 + 0.2, "é"], 3: None}
    text = mio.dumps_json(value)
    assert text == mio.dumps_json(value)
    assert text.endswith("}\n")
    # insertion order (not sorted), shortest round-trip float repr, UTF-8 kept, keys as text
    assert text.index('"z"') < text.index('"a"') < text.index('"3"')
    assert "0.30000000000000004" in text
    assert "é" in text
    assert "NaN" not in mio.dumps_json({"x": float("nan")})


def test_write_json_twice_gives_identical_bytes(tmp_path: Path) -> None:
    value = {"yi": [-0.5, 1e-300, 123456789.125], "label": "Müller <et al.>", "vi": float("nan")}
    mio.write_json(tmp_path / "1.json", value)
    mio.write_json(tmp_path / "2.json", dict(value))
    assert (tmp_path / "1.json").read_bytes() == (tmp_path / "2.json").read_bytes()
    back = mio.read_json(tmp_path / "1.json")
    assert back == {"yi": [-0.5, 1e-300, 123456789.125], "label": "Müller <et al.>", "vi": None}


# --- CSV ----------------------------------------------------------------------------------------


def test_format_float() -> None:
    assert mio.format_float(None) == ""
    assert mio.format_float(float("nan")) == ""
    assert mio.format_float(float("inf")) == ""
    assert mio.format_float(0.1 + 0.2) == "0.3"  # 10 significant digits hide the binary noise
    assert mio.format_float(-1.23456789012345) == "-1.23456789"
    assert mio.format_float(2.0 / 3.0, digits=3) == "0.667"
    assert mio.format_float(7) == "7"
    assert mio.format_float("text") == "text"


def test_write_csv_is_fixed_format(tmp_path: Path) -> None:
    path = tmp_path / "effects.csv"
    mio.write_csv(path, ["study", "yi", "note"], [["A", 1 / 3, "a,b"], ["B", None, 'say "x"']])
    assert path.read_bytes() == b'study,yi,note\nA,0.3333333333,"a,b"\nB,,"say ""x"""\n'


def test_sha256_file(tmp_path: Path) -> None:
    data = os.urandom(200_000)  # spans several read chunks
    path = tmp_path / "blob"
    path.write_bytes(data)
    assert mio.sha256_file(path) == hashlib.sha256(data).hexdigest()


def test_leftover_of_a_killed_write_is_reused_and_never_left(tmp_path: Path) -> None:
    # A write killed between creating its temporary file and renaming it leaves
    # `.<name>.tmp`; the rerun of the same job writes through that same name.
    target = tmp_path / "out.json"
    leftover = mio.temporary_path(target)
    assert leftover == tmp_path / ".out.json.tmp"
    leftover.write_text('{"half": ', encoding="utf-8")
    mio.write_json(target, {"whole": 1})
    assert json.loads(target.read_text(encoding="utf-8")) == {"whole": 1}
    assert _leftovers(tmp_path) == []
