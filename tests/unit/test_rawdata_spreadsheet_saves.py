"""The real raw tables saved again as spreadsheet programs save a CSV read as the
originals do: the same rows, row numbers and typed values. Each case rewrites every
table of a copy of ``data/raw/`` the way one program or habit does (Excel's "CSV UTF-8"
byte-order mark, Windows line ends, rows padded to the widest the sheet has held, numbers
in quotation marks or with spaces around them, a blank last line, a row of commas).
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from metareview.rawdata import TABLES, RawData, RawDataError, read_raw

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data" / "raw"
SCHEMAS = REPO / "config" / "schemas" / "raw"


def _records(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _csv(records: list[list[str]], quoting: int = csv.QUOTE_MINIMAL, line_end: str = "\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, quoting=quoting, lineterminator=line_end).writerows(records)
    return out.getvalue().encode("utf-8")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _pad(data: bytes) -> bytes:
    # Excel pads the header and every row to the sheet's used width.
    records = _records(data)
    width = max(len(r) for r in records) + 3
    return _csv([r + [""] * (width - len(r)) for r in records])


def _around_numbers(space: str) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        records = _records(data)
        return _csv([records[0]] + [[f"{space}{c}{space}" if _is_number(c) else c for c in r] for r in records[1:]])
    return edit


SAVES: dict[str, Callable[[bytes], bytes]] = {
    "utf8-bom": lambda b: b"\xef\xbb\xbf" + b,
    "crlf": lambda b: _csv(_records(b), line_end="\r\n"),
    "bom-crlf-padded": lambda b: b"\xef\xbb\xbf" + _pad(b).replace(b"\n", b"\r\n"),
    "padded-columns": _pad,
    "every-cell-quoted": lambda b: _csv(_records(b), quoting=csv.QUOTE_ALL),
    "spaces-around-numbers": _around_numbers(" "),
    "no-break-spaces-around-numbers": _around_numbers("\u00a0"),
    "blank-last-line": lambda b: b + b"\n",
    "row-of-commas-at-the-end": lambda b: b + b"," * (len(_records(b)[0]) - 1) + b"\n",
}


def _content(data: RawData) -> dict[str, list[tuple[int, dict[str, object]]]]:
    return {t: [(r.row, dict(r.values)) for r in data.rows(t)] for t in TABLES}


@pytest.fixture(scope="module")
def original() -> dict[str, list[tuple[int, dict[str, object]]]]:
    return _content(read_raw(RAW, SCHEMAS))


@pytest.mark.parametrize("save", list(SAVES.values()), ids=list(SAVES))
def test_a_spreadsheet_save_reads_as_the_original(tmp_path: Path, save: Callable[[bytes], bytes],
                                                  original: dict[str, list[tuple[int, dict[str, object]]]]) -> None:
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    for table in TABLES:
        path = folder / f"{table}.csv"
        path.write_bytes(save(path.read_bytes()))
    assert _content(read_raw(folder, SCHEMAS)) == original


def test_a_value_in_a_padded_column_is_refused_with_its_place(tmp_path: Path) -> None:
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    path = folder / "treatments.csv"
    records = _records(path.read_bytes())
    named = len(records[0])
    padded = [r + ["", ""] for r in records]
    padded[2][named + 1] = "stray"  # spreadsheet row 3, the second unnamed column
    path.write_bytes(_csv(padded))
    with pytest.raises(RawDataError) as info:
        read_raw(folder, SCHEMAS)
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), 3, None)
    assert named == 4  # treatment, label, role, description: the stray cell is in column F
    assert "found 'stray' in position 6 (F)" in problem.message
    assert "'description'" in problem.message  # the last named column


def test_empty_cells_past_the_header_in_some_rows_only_are_named_as_such(tmp_path: Path) -> None:
    # A header not padded: the rows' extra cells cannot be told from a shifted row, and are
    # refused, with what they hold.
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    path = folder / "treatments.csv"
    records = _records(path.read_bytes())
    records[1] = records[1] + ["", ""]
    path.write_bytes(_csv(records))
    with pytest.raises(RawDataError) as info:
        read_raw(folder, SCHEMAS)
    [problem] = info.value.problems
    assert problem.row == 2
    assert "found 6" in problem.message and "the 2 past the last column empty" in problem.message
