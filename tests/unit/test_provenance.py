"""metareview.provenance: where a report's commit and date come from, and what a build
says when they are not a full clone's."""

from __future__ import annotations

import dataclasses
import os
import subprocess
from pathlib import Path

import pytest
from test_report import context

from metareview.buildstamp import raw_notes
from metareview.provenance import (
    GIT_UNREADABLE,
    NOT_GIT,
    settle_source_date_epoch,
    source_note,
    source_state,
)
from metareview.report import declarations_section, provenance_section


def _git(root: Path, *args: str, when: int = 1_000_000_000) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"@{when} +0000", "GIT_COMMITTER_DATE": f"@{when} +0000"}
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root,
                          check=True, capture_output=True, text=True, env=env).stdout.strip()


def _checkout(root: Path) -> str:
    """A git checkout with one committed input, and its commit."""
    _git(root, "init", "-q")
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "raw" / "arms.csv").write_text("a\n1\n")
    (root / "config").mkdir()
    (root / "config" / "config.yaml").write_text("raw_dir: data/raw\n")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "inputs")
    return _git(root, "rev-parse", "HEAD")


def test_a_checkout_git_refuses_is_not_taken_for_an_archive(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _checkout(tmp_path)
    # Git's own switch for "owned by another user" (a Docker bind mount, a CI runner).
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    state = source_state(tmp_path, env={})
    assert state.commit == GIT_UNREADABLE != NOT_GIT
    assert state.epoch is None and not state.shallow
    assert "dubious ownership" in state.problem
    note = source_note(state, tmp_path)
    assert note is not None
    assert "dubious ownership" in note and "today's date" in note
    assert f"git config --global --add safe.directory {tmp_path.absolute()}" in note
    # With SOURCE_DATE_EPOCH the date is the setting's, and the note does not say today's.
    pinned = source_state(tmp_path, env={"SOURCE_DATE_EPOCH": "86400"})
    assert (pinned.commit, pinned.epoch, pinned.pinned) == (GIT_UNREADABLE, 86400, True)
    assert "today's date" not in (source_note(pinned, tmp_path) or "")
    # From a folder below the checkout's top too, whose note names the top to trust.
    below = source_state(tmp_path / "data", env={})
    assert below.commit == GIT_UNREADABLE
    assert f"safe.directory {tmp_path.resolve()}`" in (source_note(below, tmp_path / "data") or "")
    # The build that the stamp answers says it as the workflow does.
    assert any("safe.directory" in n for n in raw_notes(tmp_path))
    monkeypatch.delenv("GIT_TEST_ASSUME_DIFFERENT_OWNER")
    assert source_note(source_state(tmp_path, env={}), tmp_path) is None


def test_the_report_says_git_could_not_read_the_checkout_not_that_there_was_none() -> None:
    ctx = context()
    unread = dataclasses.replace(ctx, provenance={**ctx.provenance, "git_commit": GIT_UNREADABLE,
                                                  "date_from": "today"})
    provenance = str(provenance_section(unread))
    assert "git could not read this checkout" in provenance
    assert "outside a git checkout" not in provenance
    plan = str(declarations_section(unread))
    assert "Git could not read this checkout's history" in plan
    assert "outside a git checkout" not in plan


@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_source_date_epoch_is_unset_for_every_process(empty: str) -> None:
    environ = {"SOURCE_DATE_EPOCH": empty, "HOME": "/home/x"}
    assert settle_source_date_epoch(environ) is None
    assert environ == {"HOME": "/home/x"}
    environ = {"SOURCE_DATE_EPOCH": "1700000000"}
    assert settle_source_date_epoch(environ) == 1_700_000_000
    assert environ == {"SOURCE_DATE_EPOCH": "1700000000"}


@pytest.mark.parametrize("value", ["yesterday", "1.7e9", "2023-11-14"])
def test_a_source_date_epoch_that_is_no_integer_is_refused_by_name(value: str) -> None:
    with pytest.raises(ValueError, match=rf"^SOURCE_DATE_EPOCH must be an integer \(Unix seconds\), got '{value}'$"):
        settle_source_date_epoch({"SOURCE_DATE_EPOCH": value})


def test_only_untracked_files_a_build_may_read_make_it_a_draft(tmp_path: Path) -> None:
    commit = _checkout(tmp_path)
    # What a Finder, an editor or a spreadsheet program leaves beside the inputs.
    (tmp_path / "data" / "raw" / ".DS_Store").write_bytes(b"\0\1")
    (tmp_path / "config" / ".config.yaml.swp").write_bytes(b"b0VIM")
    (tmp_path / "config" / "config.yaml~").write_text("raw_dir: old\n")
    (tmp_path / "data" / "raw" / "~$arms.csv").write_text("")
    (tmp_path / "data" / ".cache").mkdir()
    (tmp_path / "data" / ".cache" / "x.csv").write_text("a\n")
    assert source_state(tmp_path, env={}).commit == commit
    # A file the build may read counts, untracked, however the user lists untracked files.
    _git(tmp_path, "config", "status.showUntrackedFiles", "no")
    (tmp_path / "data" / "raw" / "new_table.csv").write_text("b\n2\n")
    assert source_state(tmp_path, env={}).commit == commit + " + uncommitted changes"
    (tmp_path / "data" / "raw" / "new_table.csv").unlink()
    (tmp_path / "data" / "extra").mkdir()
    (tmp_path / "data" / "extra" / "arms.csv").write_text("b\n2\n")  # in a new folder
    assert source_state(tmp_path, env={}).commit == commit + " + uncommitted changes"
    (tmp_path / "data" / "extra" / "arms.csv").unlink()
    # An edit to a tracked input counts as before.
    (tmp_path / "config" / "config.yaml").write_text("raw_dir: data/other\n")
    assert source_state(tmp_path, env={}).commit == commit + " + uncommitted changes"


def test_source_date_epoch_at_the_commit_s_own_time_dates_the_build_as_the_commit(tmp_path: Path) -> None:
    _checkout(tmp_path)
    unset = source_state(tmp_path, env={})
    assert (unset.epoch, unset.pinned) == (1_000_000_000, False)
    # A CI's SOURCE_DATE_EPOCH=$(git log -1 --format=%ct): the same date, said the same way.
    assert source_state(tmp_path, env={"SOURCE_DATE_EPOCH": "1000000000"}) == unset
    other = source_state(tmp_path, env={"SOURCE_DATE_EPOCH": "1000000001"})
    assert (other.epoch, other.pinned) == (1_000_000_001, True)


def test_the_title_block_calls_a_set_date_neither_a_build_date_nor_the_commit_s() -> None:
    from metareview.report.build import build_label

    # Beside the provenance's "not the day the build ran", "Build date" contradicted it.
    label, _ = build_label("0123abc4567", "SOURCE_DATE_EPOCH")
    assert label == "Date set for this build"
    assert build_label("0123abc4567", "today")[0] == "Build date"
    assert build_label("0123abc4567", "commit")[0] == "Sources last changed"


def test_a_build_outside_git_says_so_on_the_console(tmp_path: Path) -> None:
    # A shallow clone said so on every start; a folder with no .git said nothing.
    state = source_state(tmp_path, env={})
    assert state.commit == NOT_GIT
    note = source_note(state, tmp_path)
    assert note is not None and note.startswith("this is not a git checkout")
    assert "today's date" in note and "SOURCE_DATE_EPOCH" in note
    pinned = source_state(tmp_path, env={"SOURCE_DATE_EPOCH": "86400"})
    assert "today's date" not in (source_note(pinned, tmp_path) or "no note")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text("a: 1\n")
    assert any(n.startswith("this is not a git checkout") for n in raw_notes(tmp_path))
