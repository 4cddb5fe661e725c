"""A corpus of malformed raw tables: each case copies the real ``data/raw/`` into a
temporary folder, applies one corruption and checks that :func:`read_raw` refuses it
with a problem naming the file, the row, the column (where one applies), what was
expected and what was found. The repository's ``data/raw/`` is hashed before and after
the module to show that no case touches it.

Rows are chosen by content (the first row with an MD estimate, ...) rather than by
number, so the corpus keeps working as studies are added to the real tables.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import re
import shutil
import string
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from metareview import rawdata
from metareview.rawdata import MAX_FILE_BYTES, RawDataError, read_raw

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data" / "raw"
SCHEMAS = REPO / "config" / "schemas" / "raw"
LABEL = "data/raw"
ALPHABET = string.ascii_uppercase


def _tree_hash(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module", autouse=True)
def raw_is_untouched() -> Iterator[None]:
    before = _tree_hash(RAW)
    yield
    assert _tree_hash(RAW) == before, "a bad-input test changed data/raw/"


# --------------------------------------------------------------------------- editing a copy


class RawCopy:
    """A writable copy of ``data/raw/`` with spreadsheet-style cell access (header = row 1)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.csv"

    def records(self, table: str) -> list[list[str]]:
        with self.path(table).open(encoding="utf-8", newline="") as fh:
            return list(csv.reader(fh))

    def text_of(self, records: list[list[str]], delimiter: str = ",") -> str:
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(records)
        return out.getvalue()

    def write(self, table: str, records: list[list[str]], delimiter: str = ",") -> None:
        self.path(table).write_text(self.text_of(records, delimiter), encoding="utf-8", newline="")

    def drop_columns(self, table: str, *names: str) -> None:
        """The table without these columns, as a spreadsheet leaves it on deleting them."""
        records = self.records(table)
        keep = [i for i, name in enumerate(records[0]) if name not in names]
        self.write(table, [[rec[i] for i in keep] for rec in records])

    def row(self, table: str, where: Callable[[dict[str, str]], bool] = lambda r: True) -> int:
        """Spreadsheet row of the first data row satisfying ``where``."""
        records = self.records(table)
        for i, rec in enumerate(records[1:], start=2):
            if where(dict(zip(records[0], rec))):
                return i
        raise LookupError(f"no row of {table}.csv matches")

    def get(self, table: str, row: int, column: str) -> str:
        records = self.records(table)
        return records[row - 1][records[0].index(column)]

    def set(self, table: str, row: int, column: str, value: str) -> None:
        records = self.records(table)
        records[row - 1][records[0].index(column)] = value
        self.write(table, records)

    def append_copy_of(self, table: str, row: int, **changes: str) -> int:
        """Append a copy of ``row`` with some cells changed; return the new row number."""
        records = self.records(table)
        new = list(records[row - 1])
        for column, value in changes.items():
            new[records[0].index(column)] = value
        records.append(new)
        self.write(table, records)
        return len(records)


@dataclass(frozen=True)
class Expect:
    """Where the problem must be reported and a fragment of what was found."""

    table: str
    row: int | None
    column: str | None
    found: str


Corruption = Callable[[RawCopy], Expect]
CASES: list[tuple[str, Corruption]] = []


def case(name: str) -> Callable[[Corruption], Corruption]:
    def register(fn: Corruption) -> Corruption:
        CASES.append((name, fn))
        return fn

    return register


def _first(raw: RawCopy, table: str, **equal: str) -> int:
    return raw.row(table, lambda r: all(r[k] == v for k, v in equal.items()))


def _with(raw: RawCopy, table: str, *filled: str, **equal: str) -> int:
    return raw.row(table, lambda r: all(r[c] for c in filled) and all(r[k] == v for k, v in equal.items()))


def _ranges(raw: RawCopy) -> dict[str, float]:
    """Each instrument's range (scale_max - scale_min), for those that have one."""
    header, *rows = raw.records("instruments")
    return {r["instrument"]: float(r["scale_max"]) - float(r["scale_min"])
            for r in (dict(zip(header, x)) for x in rows) if r["scale_min"] and r["scale_max"]}


def _set(raw: RawCopy, table: str, row: int, column: str, value: str, found: str | None = None) -> Expect:
    raw.set(table, row, column, value)
    return Expect(table, row, column, value if found is None else found)


# --------------------------------------------------------------------------- the file itself


@case("latin-1-byte")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "studies")
    raw.set("studies", row, "label", "M\u00fcller et al. (2020)")
    data = raw.path("studies").read_bytes().replace("\u00fc".encode(), b"\xfc")
    raw.path("studies").write_bytes(data)
    return Expect("studies", row, "label", "0xfc")


@case("windows-1252-quote-in-last-table")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "treatments")
    raw.set("treatments", row, "description", "Patients\u2019 usual care")
    data = raw.path("treatments").read_bytes().replace("\u2019".encode(), b"\x92")
    raw.path("treatments").write_bytes(data)
    return Expect("treatments", row, "description", "0x92")


@case("utf16-with-bom")
def _(raw: RawCopy) -> Expect:
    raw.path("arms").write_bytes(raw.path("arms").read_text(encoding="utf-8").encode("utf-16"))
    return Expect("arms", 1, None, "UTF-16")


@case("utf16-without-bom")
def _(raw: RawCopy) -> Expect:
    raw.path("arms").write_bytes(raw.path("arms").read_text(encoding="utf-8").encode("utf-16-le"))
    return Expect("arms", 1, None, "NUL bytes")


def _deflated_zip(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


@case("xlsx-workbook-saved-as-the-csv")
def _(raw: RawCopy) -> Expect:
    # The table saved in the spreadsheet's own format under its CSV name: compressed bytes,
    # which read as "not valid UTF-8 (save it as UTF-8)", the wrong way to send the reader.
    sheet = "".join(f"<row r='{i}'><c t='inlineStr'><is><t>{c}</t></is></c></row>"
                    for i, c in enumerate(raw.path("studies").read_text(encoding="utf-8").splitlines(), start=1))
    raw.path("studies").write_bytes(_deflated_zip({"[Content_Types].xml": "<Types/>",
                                                   "xl/worksheets/sheet1.xml": f"<worksheet>{sheet}</worksheet>"}))
    return Expect("studies", 1, None, "expected a CSV file, found a zip archive, as an Excel (.xlsx) or LibreOffice "
                  "(.ods) workbook is: open it in the spreadsheet program and save the sheet as CSV UTF-8")


@case("xls-workbook-saved-as-the-csv")
def _(raw: RawCopy) -> Expect:
    raw.path("arms").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    return Expect("arms", 1, None, "found an Excel 97-2003 workbook (.xls)")


@case("empty-file")
def _(raw: RawCopy) -> Expect:
    raw.path("contrasts").write_bytes(b"")
    return Expect("contrasts", 1, None, "empty file")


@case("blank-lines-only")
def _(raw: RawCopy) -> Expect:
    raw.path("contrasts").write_bytes(b"\n\n  \n")
    return Expect("contrasts", 1, None, "empty file")


@case("header-only")
def _(raw: RawCopy) -> Expect:
    # Every arm's rows left out: one problem, not one for each row naming an arm.
    raw.write("arms", raw.records("arms")[:1] + [[]])
    return Expect("arms", None, None, "found no rows, only the header")


@case("file-missing")
def _(raw: RawCopy) -> Expect:
    raw.path("instruments").unlink()
    return Expect("instruments", None, None, "found nothing")


@case("file-saved-under-another-name")
def _(raw: RawCopy) -> Expect:
    # A spreadsheet's "Save as" beside the original, which was then deleted.
    raw.path("arms").rename(raw.folder / "arms (1).csv")
    return Expect("arms", None, None, "found nothing at this path (the folder holds 'arms (1).csv': renamed? "
                  "name it arms.csv)")


@case("folder-instead-of-file")
def _(raw: RawCopy) -> Expect:
    raw.path("instruments").unlink()
    raw.path("instruments").mkdir()
    return Expect("instruments", None, None, "found a folder")


@case("link-to-endless-device")
def _(raw: RawCopy) -> Expect:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    raw.path("instruments").unlink()
    os.symlink("/dev/zero", raw.path("instruments"))
    return Expect("instruments", None, None, "device")


@case("file-of-50-MB")
def _(raw: RawCopy) -> Expect:
    records = raw.records("contrasts")
    body = raw.text_of(records[1:]).encode()
    target = 50 * 1024 * 1024
    with raw.path("contrasts").open("ab") as fh:
        while fh.tell() < target:
            fh.write(body)
    assert raw.path("contrasts").stat().st_size >= target > MAX_FILE_BYTES
    return Expect("contrasts", None, None, "found 50.")


@case("semicolon-separated")
def _(raw: RawCopy) -> Expect:
    raw.write("studies", raw.records("studies"), delimiter=";")
    # What to do about it too: Excel in a decimal-comma locale saves ';'-separated CSV.
    return Expect("studies", 1, None, "set the separator to ','")


@case("tab-separated")
def _(raw: RawCopy) -> Expect:
    raw.write("treatments", raw.records("treatments"), delimiter="\t")
    return Expect("treatments", 1, None, "'\\t'")


@case("header-row-deleted")
def _(raw: RawCopy) -> Expect:
    raw.write("studies", raw.records("studies")[1:])
    return Expect("studies", 1, None, "header row missing")


@case("excel-sep-line")
def _(raw: RawCopy) -> Expect:
    raw.path("arms").write_bytes(b"sep=,\n" + raw.path("arms").read_bytes())
    return Expect("arms", 1, None, "sep=")


@case("quote-never-closed")
def _(raw: RawCopy) -> Expect:
    records = raw.records("studies")
    text = raw.text_of(records[:3]) + 'Broken2020,"Broken et al. (2020),2020,rct\n' + raw.text_of(records[3:])
    raw.path("studies").write_text(text, encoding="utf-8", newline="")
    # The quotation mark before the label closes on no line of its own: the row runs on
    # into the next, and the message points at the cell where it starts to.
    return Expect("studies", 4, "label", "the quotation mark opening cell 2 (B), '\"Broken et al. (2020),2020,rct' is "
                  "probably never closed")


@case("quote-never-closed-in-the-last-row")
def _(raw: RawCopy) -> Expect:
    records = raw.records("treatments")
    text = raw.text_of(records) + 'needle_x,Needling,active,"Needling at trigger points\n'
    raw.path("treatments").write_text(text, encoding="utf-8", newline="")
    return Expect("treatments", len(records) + 1, "description", "never closed, so the rest of the file would be one "
                  "cell: the one opening cell 4 (D), '\"Needling at trigger points'")


@case("text-after-closing-quote")
def _(raw: RawCopy) -> Expect:
    records = raw.records("treatments")
    line = 'needle_x,"Needle "X" therapy",active,\n'
    raw.path("treatments").write_text(raw.text_of(records) + line, encoding="utf-8", newline="")
    return Expect("treatments", len(records) + 1, None, "closing quotation mark")


@case("merge-conflict-left-in-the-file")
def _(raw: RawCopy) -> Expect:
    # Two team members changed one arm's size on two branches; git merged the rest and
    # left both versions of that row between its markers. Read as rows, the markers were
    # rows of one cell each, and the conflict itself went unnamed.
    records = raw.records("arms")
    row = _with(raw, "arms", "n_randomised")
    ours, theirs = records[row - 1], list(records[row - 1])
    theirs[records[0].index("n_randomised")] = str(int(theirs[records[0].index("n_randomised")]) + 1)
    text = (raw.text_of(records[:row - 1]) + "<<<<<<< HEAD\n" + raw.text_of([ours]) + "=======\n"
            + raw.text_of([theirs]) + ">>>>>>> arm-sizes\n" + raw.text_of(records[row:]))
    raw.path("arms").write_text(text, encoding="utf-8", newline="")
    return Expect("arms", row, None, "found '<<<<<<< HEAD', a line git writes into a file where a merge conflict is "
                  f"left unresolved (the two versions of the rows it opens end at row {row + 4}): keep the version")


@case("merge-conflict-marker-left-alone")
def _(raw: RawCopy) -> Expect:
    # The conflict resolved by hand, one marker line forgotten.
    records = raw.records("studies")
    text = raw.text_of(records[:3]) + "=======\r\n" + raw.text_of(records[3:])
    raw.path("studies").write_text(text, encoding="utf-8", newline="")
    return Expect("studies", 4, None, "found '=======', a line git writes into a file where a merge conflict is left "
                  "unresolved (the other lines of its conflict are gone)")


@case("row-with-a-cell-missing")
def _(raw: RawCopy) -> Expect:
    records = raw.records("arms")
    records[2] = records[2][:-1]
    raw.write("arms", records)
    return Expect("arms", 3, None, f"found {len(records[0]) - 1}")


@case("unquoted-comma-adds-a-cell")
def _(raw: RawCopy) -> Expect:
    records = raw.records("treatments")
    text = raw.text_of(records) + "needle_x,Needling, trigger points,active,\n"
    raw.path("treatments").write_text(text, encoding="utf-8", newline="")
    return Expect("treatments", len(records) + 1, "label", f"found {len(records[0]) + 1}: the comma in 'Needling, "
                  "trigger points' seems to split column 'label' (B) in two (quote a cell that contains a comma")


@case("decimal-comma-adds-a-cell")
def _(raw: RawCopy) -> Expect:
    records = raw.records("arm_outcomes")
    i = records[0].index("mean")
    assert i == 9  # column J, the letter a spreadsheet shows
    row = next(n for n, rec in enumerate(records) if n and "." in rec[i])
    whole, decimals = records[row][i].split(".")
    records[row][i:i + 1] = [whole, decimals]
    raw.write("arm_outcomes", records)
    return Expect("arm_outcomes", row + 1, "mean", f"seems to split column 'mean' (J) in two (a decimal comma? write "
                  f"{whole}.{decimals})")


@case("two-decimal-commas-add-two-cells")
def _(raw: RawCopy) -> Expect:
    # A mean and its SD typed "3,1" and "1,8", unquoted: two cells too many, which no one
    # split cell explains; the row read only "the cells seem shifted".
    records = raw.records("arm_outcomes")
    i, j = records[0].index("mean"), records[0].index("sd")
    assert j == i + 1
    row = next(n for n, rec in enumerate(records) if n and "." in rec[i] and "." in rec[j]
               and len(rec[i].split(".")[1]) <= 3 and len(rec[j].split(".")[1]) <= 3 and not rec[i].startswith("-"))
    mean, sd = records[row][i].split("."), records[row][j].split(".")
    records[row][i:j + 1] = [*mean, *sd]
    raw.write("arm_outcomes", records)
    return Expect("arm_outcomes", row + 1, None, f'(a decimal comma? write {mean[0]}.{mean[1]}, or quote '
                  f'"{mean[0]},{mean[1]}")')


@case("thousands-separator-adds-a-cell")
def _(raw: RawCopy) -> Expect:
    records = raw.records("contrasts")
    i = records[0].index("n_participants")
    row = next(n for n, rec in enumerate(records) if n and len(rec[i]) >= 4)
    value = records[row][i]
    records[row][i:i + 1] = [value[:-3], value[-3:]]
    raw.write("contrasts", records)
    return Expect("contrasts", row + 1, "n_participants", f"(a thousands separator? write {value})")


def _quote_all(records: list[list[str]]) -> str:
    """Records as a spreadsheet that quotes every cell saves them."""
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(records)
    return out.getvalue()


def _replace_row(raw: RawCopy, table: str, row: int, line: str) -> None:
    records = raw.records(table)
    text = raw.text_of(records[:row - 1]) + line + raw.text_of(records[row:])
    raw.path(table).write_text(text, encoding="utf-8", newline="")


@case("cell-added-between-coded-columns")
def _(raw: RawCopy) -> Expect:
    # "42" put in between design and source_level, every cell quoted: taking out any other
    # cell leaves a code or a year in the wrong column (design '42', year 'rct', ...), so
    # the row itself says which cell is one too many, and that the cells right of it shift.
    row = _first(raw, "studies")
    record = raw.records("studies")[row - 1]
    i = raw.records("studies")[0].index("source_level")
    assert i == 4  # column E
    _replace_row(raw, "studies", row, _quote_all([[*record[:i], "42", *record[i:]]]))
    return Expect("studies", row, "source_level", "cell 5 (E), '42', seems to be one too many: without it every "
                  "other cell is valid in its column, with it the cells from column 'source_level' (E) on are shifted")


@case("year-typed-twice")
def _(raw: RawCopy) -> Expect:
    # study_id, label, year, year, design, ...: taking out the label (the year then reads
    # as the label, which takes any text) or either year leaves a valid row, so the shift
    # starts at label, year or design (cells 2-4); taking out the id puts the label in
    # study_id, and any cell right of the years a year in design. The label, unquoted, and
    # the year beside it could be one label cut by a comma, but a cell added explains the
    # row as well: no split is guessed.
    row = _first(raw, "studies")
    header, *_ = raw.records("studies")
    record = raw.records("studies")[row - 1]
    year = header.index("year")
    assert year == 2  # column C
    record.insert(year, record[year])
    _replace_row(raw, "studies", row, raw.text_of([record]))
    return Expect("studies", row, None, "a cell seems added at a column between 'label' (B) and 'design' (D), the "
                  "cells from there on shifted one column right: taking out any one of cells 2-4 (B-D) leaves")


@case("cell-missing-in-a-coded-column")
def _(raw: RawCopy) -> Expect:
    # Only with a cell back in design do year and source_level hold a year and a level.
    row = _first(raw, "studies")
    records = raw.records("studies")
    del records[row - 1][records[0].index("design")]
    raw.write("studies", records)
    return Expect("studies", row, "design", "found 12: column 'design' (D) seems to have no cell: with one there every "
                  "other cell is valid in its column, without it the cells from there on are shifted one column left")


@case("number-typed-twice-in-a-row-without-notes")
def _(raw: RawCopy) -> Expect:
    # ..., description, 60, 60, 58, "", "": the empty last cell is no trailing comma, as
    # without it 58 stands in the coded n_missing_reason; taking out the description (then
    # 60 reads as one), either 60 or the 58 leaves a valid row, so one of those cells (5-8)
    # is one too many; taking out the empty cointervention puts the description in that
    # coded column.
    row = _with(raw, "arms", "n_randomised", "n_analysed", "description", cointervention="", notes="")
    records = raw.records("arms")
    i = records[0].index("n_randomised")
    records[row - 1].insert(i, records[row - 1][i])
    raw.write("arms", records)
    return Expect("arms", row, None, "found 10 (one of cells 5-8 (E-H) seems one too many: the cells from there on are "
                  "shifted one column right; the cell past the last column is empty, but deleting it would leave them "
                  "shifted)")


@case("every-data-row-padded-with-empty-cells")
def _(raw: RawCopy) -> Expect:
    # The header is 9 names wide, every row 12 cells, the 3 past it empty: one problem at
    # the first row (the corpus allows at most two), not one for each of the rows.
    records = raw.records("arms")
    raw.write("arms", records[:1] + [rec + ["", "", ""] for rec in records[1:]])
    return Expect("arms", 2, None, "expected 9 cells as in the header, found 12 in this row and every row after it "
                  "(the 3 past the last column empty in each: trailing commas?")


@case("two-cells-too-many")
def _(raw: RawCopy) -> Expect:
    # No one cell taken out explains two more: the message says where the row stops fitting.
    row = _with(raw, "studies", "notes")
    records = raw.records("studies")
    records[row - 1][2:2] = ["x", "y"]
    raw.write("studies", records)
    return Expect("studies", row, None, "found 15 (read from the left, the first cell not valid in its column is "
                  "'x' in column 'year' (C)")


@case("header-repeated-mid-file")
def _(raw: RawCopy) -> Expect:
    records = raw.records("studies")
    records.insert(5, list(records[0]))
    raw.write("studies", records)
    return Expect("studies", 6, None, "header row again")


# --------------------------------------------------------------------------- header


@case("duplicated-column")
def _(raw: RawCopy) -> Expect:
    # The label column pasted again right of the table: the copies agree row for row.
    records = [rec + [rec[1]] for rec in raw.records("studies")]
    raw.write("studies", records)
    return Expect("studies", 1, "label", "found 'label' in positions 2 (B) and 14 (N), both holding the same cells "
                  "in every row (a column pasted again?): delete one of them")


@case("column-pasted-three-times")
def _(raw: RawCopy) -> Expect:
    records = [rec + [rec[1], rec[1]] for rec in raw.records("studies")]
    raw.write("studies", records)
    return Expect("studies", 1, "label", "found 'label' in positions 2 (B), 14 (N) and 15 (O), all holding the same "
                  "cells in every row (a column pasted again?): delete all but one")


@case("column-renamed-as-its-neighbour")
def _(raw: RawCopy) -> Expect:
    # 'year' overtyped as 'label': one problem, not also 'year' missing; the years are valid
    # as years and the labels are not, so the copy to rename is the one in C.
    records = raw.records("studies")
    assert records[0][1:3] == ["label", "year"]
    records[0][2] = "label"
    raw.write("studies", records)
    return Expect("studies", 1, "label", "found 'label' in positions 2 (B) and 3 (C), and no column 'year': was one "
                  "of them meant to be 'year'? its cells in position 3 (C) are valid as 'year', those in 2 (B) are "
                  "not: rename the 'label' in position 3 (C) to 'year'")


@case("two-versions-of-a-column")
def _(raw: RawCopy) -> Expect:
    # A label corrected in a copy of the column and not in the column: which is right, the
    # row does not say, so the message says where they differ.
    records = [rec + [rec[1]] for rec in raw.records("studies")]
    records[3][-1] = "Chen et al. (2022a)"
    raw.write("studies", records)
    return Expect("studies", 1, "label", "found 'label' in positions 2 (B) and 14 (N); they differ in 1 row (the "
                  "first, row 4): keep the column whose cells are 'label', and delete the other")


@case("required-column-missing")
def _(raw: RawCopy) -> Expect:
    raw.drop_columns("studies", "design")
    return Expect("studies", 1, "design", "found no column 'design' ('design' required")


@case("optional-column-deleted")
def _(raw: RawCopy) -> Expect:
    # As a spreadsheet does on deleting a column: its cells would pass as all empty.
    raw.drop_columns("arms", "n_analysed")
    return Expect("arms", 1, "n_analysed", "found no column 'n_analysed'")


@case("two-optional-columns-deleted")
def _(raw: RawCopy) -> Expect:
    raw.drop_columns("sources", "url", "accessed")
    return Expect("sources", 1, None, "source_id,kind,citation,url,doi_or_pmid,accessed,notes; found no columns "
                  "'url' and 'accessed'")


@case("misspelt-column")
def _(raw: RawCopy) -> Expect:
    records = raw.records("arms")
    records[0][records[0].index("n_randomised")] = "n_randomized"
    raw.write("arms", records)
    return Expect("arms", 1, "n_randomized", "did you mean 'n_randomised'")


@case("column-name-with-trailing-space")
def _(raw: RawCopy) -> Expect:
    records = raw.records("contrasts")
    records[0][records[0].index("notes")] = "notes "
    raw.write("contrasts", records)
    return Expect("contrasts", 1, "notes ", "unknown column 'notes '")


@case("unnamed-column-between-named-ones")
def _(raw: RawCopy) -> Expect:
    records = [[*rec[:2], "", *rec[2:]] for rec in raw.records("sources")]
    raw.write("sources", records)
    return Expect("sources", 1, "", "empty name in position 3 (C)")


@case("two-unnamed-columns-between-named-ones")
def _(raw: RawCopy) -> Expect:
    # Two empty names are two columns to name, not one name given twice (the second is
    # checked below, in test_two_unnamed_columns_are_each_named_by_position).
    records = [[*rec[:2], "", *rec[2:4], "", *rec[4:]] for rec in raw.records("sources")]
    raw.write("sources", records)
    return Expect("sources", 1, "", "empty name in position 3 (C)")


@case("value-in-a-padded-column")
def _(raw: RawCopy) -> Expect:
    records = [rec + [""] for rec in raw.records("sources")]
    records[3][-1] = "42"
    raw.write("sources", records)
    assert len(records[0]) == 8  # the seven named columns and H
    return Expect("sources", 4, None, "found '42' in position 8 (H)")


# --------------------------------------------------------------------------- keys


@case("duplicated-study-id")
def _(raw: RawCopy) -> Expect:
    first = _first(raw, "studies")
    study = raw.get("studies", first, "study_id")
    new = raw.append_copy_of("studies", first + 1, study_id=study)
    return Expect("studies", new, "study_id", f"'{study}' already used in row {first}")


@case("study-ids-differing-only-in-case")
def _(raw: RawCopy) -> Expect:
    first = _first(raw, "studies")
    study = raw.get("studies", first, "study_id")
    # A label of its own: a copied label is a problem of its own (study-label-copied-with-its-row).
    new = raw.append_copy_of("studies", first, study_id=study.upper(), label="Another trial (2020)")
    return Expect("studies", new, "study_id", f"'{study.upper()}' and '{study}'")


@case("study-label-copied-with-its-row")
def _(raw: RawCopy) -> Expect:
    first = _first(raw, "studies")
    label = raw.get("studies", first, "label")
    study = raw.get("studies", first, "study_id")
    second = _first(raw, "studies", design="rct") + 1
    raw.set("studies", second, "label", f" {label.upper()} ")
    return Expect("studies", second, "label", f"the label of '{study}' (row {first})")


@case("duplicated-arm")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arms")
    new = raw.append_copy_of("arms", row)
    found = f"{raw.get('arms', row, 'study_id')}/{raw.get('arms', row, 'arm_id')}"
    return Expect("arms", new, "study_id/arm_id", found)


@case("duplicated-instrument-code")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "instruments")
    new = raw.append_copy_of("instruments", row, label="Copy")
    return Expect("instruments", new, "instrument", raw.get("instruments", row, "instrument"))


@case("duplicated-source")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "sources")
    new = raw.append_copy_of("sources", row)
    return Expect("sources", new, "source_id", f"already used in row {row}")


@case("contrast-names-an-arm-that-does-not-exist")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts")
    study = raw.get("contrasts", row, "study_id")
    raw.set("contrasts", row, "arm1", "ghost")
    return Expect("contrasts", row, "arm1", f"study_id '{study}'")


@case("arm-outcome-of-an-unknown-arm")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arm_outcomes")
    return _set(raw, "arm_outcomes", row, "arm_id", "nonexistent")


@case("statement-compares-with-an-unknown-arm")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "statements")
    return _set(raw, "statements", row, "arm2", "phantom")


@case("contrast-of-an-unknown-study")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts")
    return _set(raw, "contrasts", row, "study_id", "Nobody1999")


@case("mean-with-a-quoted-decimal-comma")
def _(raw: RawCopy) -> Expect:
    # As a spreadsheet of a decimal-comma locale saves it, quoted (an unquoted one splits
    # the row, which another case covers).
    row = _with(raw, "arm_outcomes", "mean")
    return _set(raw, "arm_outcomes", row, "mean", "3,9", found="found '3,9' (a decimal comma? write 3.9)")


@case("sample-size-with-a-thousands-separator")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "n_participants")
    return _set(raw, "contrasts", row, "n_participants", "1,200",
                found="found '1,200' (a thousands separator, or a decimal comma? write 1200 or 1.200")


@case("median-with-its-quartiles-in-one-cell")
def _(raw: RawCopy) -> Expect:
    # "4.5 (3.0-6.0)" as a results table prints a median: the bracketed pair is its
    # quartiles (or range), not a confidence interval of a mean.
    row = _first(raw, "arm_outcomes")
    return _set(raw, "arm_outcomes", row, "median", "4.5 (3.0-6.0)",
                found="(a value with its interval? write 4.5 here and the bounds in q1 and q3 (the quartiles), or "
                      "min and max (the range))")


@case("median-with-its-first-quartile-alone")
def _(raw: RawCopy) -> Expect:
    # q3 forgotten: the row gives no estimate of the mean and SD, and would be left unused
    # with nothing to say why.
    row = _first(raw, "arm_outcomes")
    raw.set("arm_outcomes", row, "median", "4.5")
    raw.set("arm_outcomes", row, "q1", "3.0")
    # The cell quoted as typed, "3.0", for a reader to find it in the sheet (not the parsed 3).
    return Expect("arm_outcomes", row, "q3", "expected q1 and q3 together (the quartiles), found q1 3.0 and q3 empty")


@case("median-with-its-maximum-alone")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arm_outcomes")
    raw.set("arm_outcomes", row, "median", "4.5")
    raw.set("arm_outcomes", row, "max", "9")
    return Expect("arm_outcomes", row, "min", "expected min and max together (the range), found max 9 and min empty")


@case("quartiles-typed-into-q1")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arm_outcomes")
    return _set(raw, "arm_outcomes", row, "q1", "2.5-5.5", found="(two numbers? write 2.5 in q1 and 5.5 in q3)")


@case("interval-typed-into-ci-ub")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "ci_ub")
    return _set(raw, "contrasts", row, "ci_ub", "-0.9 to -0.1",
                found="(two numbers? write -0.9 in ci_lb and -0.1 in ci_ub)")


@case("interval-typed-into-sd")
def _(raw: RawCopy) -> Expect:
    # A mean's 95% CI typed into its SD cell: an interval, whose columns the codebook names.
    row = _with(raw, "arm_outcomes", "sd")
    return _set(raw, "arm_outcomes", row, "sd", "2.5-3.7",
                found="found '2.5-3.7' (it looks like an interval: write 2.5 in ci_lb and 3.7 in ci_ub, its level in "
                      "ci_level, and leave this cell empty)")


@case("interval-typed-into-se")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "estimate")
    return _set(raw, "contrasts", row, "se", "2.5 to 3.7",
                found="(it looks like an interval: write 2.5 in ci_lb and 3.7 in ci_ub")


@case("arm-with-an-unlisted-treatment")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arms")
    return _set(raw, "arms", row, "treatment", "cupping")


@case("arm-with-a-word-added-to-its-treatment")
def _(raw: RawCopy) -> Expect:
    # 'manual_acupuncture' is nearest in spelling to 'minimal_acupuncture', a sham: the
    # code it holds as a word comes first, and each says what it is, its role with it.
    row = _first(raw, "arms", treatment="acupuncture")
    return _set(raw, "arms", row, "treatment", "manual_acupuncture",
                found="found 'manual_acupuncture'; did you mean 'acupuncture' (Acupuncture, active) or "
                      "'minimal_acupuncture' (Minimal acupuncture, sham)?")


@case("arm-with-its-treatment-left-empty")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arms")
    return _set(raw, "arms", row, "treatment", "",
                found="required, expected a treatment listed in treatments.csv, found an empty cell")


@case("contrast-with-its-comparator-arm-left-empty")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts")
    return _set(raw, "contrasts", row, "arm2", "",
                found="expected an arm_id listed in arms.csv for the row's study_id, found an empty cell")


@case("outcome-on-an-unlisted-instrument")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arm_outcomes")
    # A new instrument as much as a typo: the message says where a new one goes.
    return _set(raw, "arm_outcomes", row, "instrument", "VAS_0_1000",
                found="found 'VAS_0_1000'; did you mean 'VAS_0_100' (Visual analogue scale 0-100 mm) or 'VAS_0_10' "
                      "(Visual analogue scale 0-10)? (a new instrument goes in instruments.csv first, before the rows "
                      "that name it)")


@case("instrument-typed-as-its-stem")
def _(raw: RawCopy) -> Expect:
    # 'RMDQ' for one of the listed RMDQ_0_24, RMDQ_0_23, ...: the message gives the
    # shortest three with what each is, and says how many there are.
    row = _first(raw, "arm_outcomes", instrument="RMDQ_0_23")
    raw.set("arm_outcomes", row, "instrument", "RMDQ")
    return Expect("arm_outcomes", row, "instrument",
                  "found 'RMDQ'; did you mean 'RMDQ_0_23' (Roland-Morris Disability Questionnaire 0-23), 'RMDQ_0_24' "
                  "(Roland-Morris Disability Questionnaire 0-24) or 'RMDQ_modified' (Modified Roland Disability "
                  "Questionnaire), or another of the 4 listed codes with 'RMDQ' in them?")


@case("source-id-typed-in-other-letter-case")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "source_id")
    meant = raw.get("arm_outcomes", row, "source_id")
    typed = meant.upper()  # Caps Lock on
    assert typed != meant
    # The suggestion stays, and the hint for a document not yet listed follows it.
    return _set(raw, "arm_outcomes", row, "source_id", typed,
                found=f"did you mean '{meant}'? (a new document goes in sources.csv first, before the rows that name it; "
                      "a deleted one goes back, unless the rows citing it are changed or deleted)")


@case("study-id-typed-in-other-letter-case")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "statements")
    meant = raw.get("statements", row, "study_id")
    return _set(raw, "statements", row, "study_id", meant.swapcase(), found=f"did you mean '{meant}'?")


@case("study-from-an-unlisted-source")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "studies")
    # README step 4: a new document goes in sources.csv before the rows that name it. With
    # no last build to tell, it may as well be one deleted that rows still cite.
    return _set(raw, "studies", row, "source_id", "unknown_source",
                found="(a new document goes in sources.csv first, before the rows that name it; a deleted one goes "
                      "back, unless the rows citing it are changed or deleted)")


@case("arm-of-a-treatment-not-yet-listed")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arms")
    return _set(raw, "arms", row, "treatment", "cupping_therapy",
                found="found 'cupping_therapy' (a new treatment code goes in treatments.csv first, before the rows "
                      "that name it)")


@case("claim-attributed-to-an-unlisted-study")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "claims")
    return _set(raw, "claims", row, "attributed_study_id", "Ghost2023")


@case("claim-with-an-unlisted-treatment-code")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "claims")
    return _set(raw, "claims", row, "treatment", "acupuncture;reiki", found="'reiki'")


# --------------------------------------------------------------------------- enumerations


@case("design-in-the-wrong-case")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "studies", design="rct")
    return _set(raw, "studies", row, "design", "RCT", found="'RCT' (codes are case-sensitive)")


@case("measure-with-a-trailing-space")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts", measure="SMD")
    return _set(raw, "contrasts", row, "measure", "SMD ", found="remove the spaces")


@case("unknown-value-type")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arm_outcomes")
    return _set(raw, "arm_outcomes", row, "value_type", "mean_sd")


@case("boolean-written-as-yes")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "instruments")
    return _set(raw, "instruments", row, "lower_is_better", "yes")


@case("unknown-confidence-level")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "statements")
    return _set(raw, "statements", row, "confidence", "very high")


@case("unknown-treatment-role")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "treatments")
    return _set(raw, "treatments", row, "role", "placebo")


# --------------------------------------------------------------------------- numbers


@case("words-in-a-numeric-cell")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "mean")
    return _set(raw, "arm_outcomes", row, "mean", "about 5")


@case("decimal-comma")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "sd")
    return _set(raw, "arm_outcomes", row, "sd", "1,5")


@case("unicode-minus-sign")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "estimate", measure="MD")
    return _set(raw, "contrasts", row, "estimate", "\u22122.3")


@case("thousands-separator")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "n_participants")
    return _set(raw, "contrasts", row, "n_participants", "1,872")


@case("na-for-not-reported")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "sd")
    return _set(raw, "arm_outcomes", row, "sd", "NA", found="leave the cell empty")


@case("spreadsheet-error-value-for-a-failed-formula")
def _(raw: RawCopy) -> Expect:
    # An SD computed in the sheet from an SE and an n left empty: Excel saves the error.
    row = _with(raw, "arm_outcomes", "sd")
    return _set(raw, "arm_outcomes", row, "sd", "#DIV/0!", found="found '#DIV/0!' (a spreadsheet's error value: the "
                "formula that filled the cell failed; type the number the source gives")


@case("libreoffice-error-code-in-a-count")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arms", "n_randomised")
    return _set(raw, "arms", row, "n_randomised", "Err:502", found="(a spreadsheet's error value")


@case("em-dash-for-not-reported")
def _(raw: RawCopy) -> Expect:
    # A results table pasted from a PDF marks a value not reported with a dash, and the
    # dash is an em dash, not the '-' the check knew.
    row = _with(raw, "arms", "n_randomised", n_analysed="")
    return _set(raw, "arms", row, "n_analysed", "\u2014", found="found '\u2014' (leave the cell empty when the value "
                "is not reported, and write not_reported in n_missing_reason)")


@case("p-value-bound-in-the-value-cell")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts")
    return _set(raw, "contrasts", row, "p_value", "<0.03", found="write 0.03 here and '<' in column p_qualifier")


@case("p-value-bound-with-a-sign-for-at-most")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts")
    return _set(raw, "contrasts", row, "p_value", "\u2264 0.001", found="write 0.001 here and '<' in column p_qualifier")


@case("infinite-number")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "mean")
    return _set(raw, "arm_outcomes", row, "mean", "1e999", found="expected a finite number, found '1e999'")


@case("nan-in-a-numeric-cell")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "estimate")
    return _set(raw, "contrasts", row, "estimate", "nan")


@case("decimal-in-a-count")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "n")
    return _set(raw, "arm_outcomes", row, "n", "24.0")


@case("year-saved-with-decimals-by-a-script")
def _(raw: RawCopy) -> Expect:
    # pandas reads a year column with an empty cell as floats, and writes '2022.0'.
    row = _with(raw, "studies", "year")
    year = raw.get("studies", row, "year")
    return _set(raw, "studies", row, "year", f"{year}.0", found=f"found '{year}.0' (a whole number saved with "
                f"decimals, as a script that read the column as decimal numbers writes it? write {year})")


@case("count-with-5000-digits")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "n")
    return _set(raw, "arm_outcomes", row, "n", "9" * 5000, found="'999")


@case("sd-of-1e200-on-a-scale-without-a-range")
def _(raw: RawCopy) -> Expect:
    # No range bounds this SD, and its square overflows: the study's SMD came out 0.00,
    # with only a RuntimeWarning to show for it.
    ranged = _ranges(raw)
    row = raw.row("arm_outcomes", lambda r: r["sd"] != "" and r["instrument"] not in ranged)
    return _set(raw, "arm_outcomes", row, "sd", "1e200", found="expected a number between -1e15 and 1e15 (no count, "
                "score or ratio a study reports comes near them), found '1e200'")


@case("mean-of-1e308")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "mean", "sd")
    return _set(raw, "arm_outcomes", row, "mean", "-1e308", found="between -1e15 and 1e15")


@case("count-of-40-digits")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arms", "n_randomised")
    return _set(raw, "arms", row, "n_randomised", "9" * 40, found="expected a whole number between -1e15 and 1e15")


@case("negative-n")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "n")
    return _set(raw, "arm_outcomes", row, "n", "-24")


@case("zero-n-randomised")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arms")
    return _set(raw, "arms", row, "n_randomised", "0")


@case("zero-sd")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "sd")
    return _set(raw, "arm_outcomes", row, "sd", "0", found="found '0' (0 for not reported? leave the cell empty)")


@case("sd-too-small-to-hold")
def _(raw: RawCopy) -> Expect:
    # Read as 0, and was then asked whether 0 stood for "not reported", as if typed.
    row = _with(raw, "arm_outcomes", "sd")
    return _set(raw, "arm_outcomes", row, "sd", "1e-400", found="found '1e-400' (too close to 0 for the computer's "
                "numbers, which read it as 0)")


@case("negative-sd")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "sd")
    return _set(raw, "arm_outcomes", row, "sd", "-5.2")


@case("negative-standard-error")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts", measure="MD")
    return _set(raw, "contrasts", row, "se", "-0.4")


@case("percent-over-100")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "percent")
    return _set(raw, "arm_outcomes", row, "percent", "120")


@case("p-value-of-zero")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "p_value")
    return _set(raw, "contrasts", row, "p_value", "0")


@case("p-value-over-one")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "p_value")
    return _set(raw, "contrasts", row, "p_value", "1.5")


@case("confidence-level-as-a-proportion")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "ci_lb")
    return _set(raw, "contrasts", row, "ci_level", "0.950", found="found 0.950 (a proportion? write 95)")


@case("responder-percentage-as-a-proportion")
def _(raw: RawCopy) -> Expect:
    # A column of "47.6%" a spreadsheet reformatted saves 0.476: read as 0.476 % of 387
    # (2 responders), it reversed a conclusion with only a warning. The quote prints 47.6%.
    row = _first(raw, "arm_outcomes", study_id="Haake2007", arm_id="verum")
    return _set(raw, "arm_outcomes", row, "percent", "0.476",
                found="found 0.476, that percentage as a proportion (a column of percentages a spreadsheet "
                      "reformatted?): write 47.6")


@case("i2-as-a-proportion")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts", study_id="Lam2013", i2="90")
    return _set(raw, "contrasts", row, "i2", "0.9", found="as the row's quote prints it (90%), found 0.9")


@case("confidence-level-of-100")
def _(raw: RawCopy) -> Expect:
    # A 100% interval is the whole line: no source prints one, a slip does.
    row = _with(raw, "contrasts", "ci_level")
    return _set(raw, "contrasts", row, "ci_level", "100")


@case("confidence-level-of-0")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "ci_level")
    return _set(raw, "contrasts", row, "ci_level", "0")


@case("confidence-level-with-percent-sign")
def _(raw: RawCopy) -> Expect:
    # "95%" as the source prints it: the column holds the number alone.
    row = _with(raw, "contrasts", "ci_level")
    return _set(raw, "contrasts", row, "ci_level", "95%")


@case("year-out-of-range")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "studies", "year")
    return _set(raw, "studies", row, "year", "20222")


@case("negative-timepoint")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "timepoint_weeks")
    return _set(raw, "arm_outcomes", row, "timepoint_weeks", "-1")


@case("i-squared-over-100")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts", measure="SMD")
    return _set(raw, "contrasts", row, "i2", "150")


@case("final-mean-outside-the-instrument-range")
def _(raw: RawCopy) -> Expect:
    # A VAS 0-100 value typed as 381 (38.1 with the point lost).
    row = _with(raw, "arm_outcomes", "mean", value_type="final", instrument="VAS_0_100")
    return _set(raw, "arm_outcomes", row, "mean", "381", found="within VAS_0_100's range 0 to 100")


@case("final-mean-below-the-instrument-range")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "mean", value_type="final", instrument="VAS_0_100")
    return _set(raw, "arm_outcomes", row, "mean", "-3.5", found="found -3.5")


@case("final-median-outside-the-instrument-range")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "mean", value_type="final", instrument="VAS_0_100")
    raw.set("arm_outcomes", row, "max", "")
    return _set(raw, "arm_outcomes", row, "median", "101", found="expected a final median within")


@case("mean-change-larger-than-the-instrument-range")
def _(raw: RawCopy) -> Expect:
    row = raw.row("arm_outcomes", lambda r: r["value_type"] == "change" and bool(r["mean"])
                  and r["instrument"] == "VAS_0_100")
    return _set(raw, "arm_outcomes", row, "mean", "-120", found="no larger than VAS_0_100's range (100")


def _md_beyond_range(raw: RawCopy, value_type: str, times: float, found: str | None = None) -> Expect:
    """An MD row on an instrument with a range, its value type set and its estimate at
    ``times`` the range (negative)."""
    ranged = _ranges(raw)
    row = raw.row("contrasts", lambda r: r["measure"] == "MD" and bool(r["estimate"]) and r["instrument"] in ranged)
    value = f"{-times * ranged[raw.get('contrasts', row, 'instrument')]:g}"
    raw.set("contrasts", row, "value_type", value_type)
    return _set(raw, "contrasts", row, "estimate", value, found=found or f"found {value}")


@case("mean-difference-larger-than-the-instrument-range")
def _(raw: RawCopy) -> Expect:
    # Beyond twice the range: no value type allows it (changes lie within twice the range).
    return _md_beyond_range(raw, "change", 2.5)


@case("mean-difference-of-final-values-larger-than-the-instrument-range")
def _(raw: RawCopy) -> Expect:
    return _md_beyond_range(raw, "final", 1.5, found="of final values no larger than")


def _arm_sizes(raw: RawCopy) -> dict[tuple[str, str], int]:
    """Participants randomised to each arm that gives the number."""
    header, *rows = raw.records("arms")
    return {(r["study_id"], r["arm_id"]): int(r["n_randomised"])
            for r in (dict(zip(header, x)) for x in rows) if r["n_randomised"]}


@case("final-sd-larger-than-the-range-allows")
def _(raw: RawCopy) -> Expect:
    # A variance typed as the SD (5.2 squared): RMDQ 0-23 final scores with mean 10.8
    # (10.85 at most, as rounded) cannot spread by more than sqrt(10.85 x 12.15) x
    # sqrt(157 / 156) = 11.518.
    row = _with(raw, "arm_outcomes", "sd", value_type="final", instrument="RMDQ_0_23")
    return _set(raw, "arm_outcomes", row, "sd", "27.04", found="of at most 11.518 (values within 0 to 23 with mean "
                "10.8, by the Bhatia-Davis inequality")


@case("sd-typed-in-the-se-column")
def _(raw: RawCopy) -> Expect:
    # Cherkin 2009's SD of 5.7 (n 158, mean 6.3 on RMDQ 0-23) typed as the SE, the sd cell
    # left empty: it stands for an SD of 5.7 x sqrt(158) = 71.6. Final scores with mean 6.3
    # (6.35 at most, as rounded) spread by at most sqrt(6.35 x 16.65) x sqrt(158 / 157) =
    # 10.315, so the SE by at most 10.315 / sqrt(158) = 0.8206.
    row = _first(raw, "arm_outcomes", study_id="Cherkin2009", arm_id="std", timepoint_weeks="8", value_type="final")
    assert (raw.get("arm_outcomes", row, "n"), raw.get("arm_outcomes", row, "mean")) == ("158", "6.3")
    raw.set("arm_outcomes", row, "sd", "")
    return _set(raw, "arm_outcomes", row, "se", "5.7", found="expected an SE of final values on RMDQ_0_23 of at most "
                "0.82 (an SD of at most 10.315")


@case("change-sd-larger-than-the-range-allows")
def _(raw: RawCopy) -> Expect:
    ranged = _ranges(raw)
    row = raw.row("arm_outcomes", lambda r: r["value_type"] == "change" and bool(r["sd"])
                  and r["instrument"] in ranged)
    value = f"{2 * ranged[raw.get('arm_outcomes', row, 'instrument')]:g}"
    return _set(raw, "arm_outcomes", row, "sd", value, found="(changes within \u2212")


@case("arm-result-n-above-randomised")
def _(raw: RawCopy) -> Expect:
    # 370 typed for 37: the arm's result would weigh ten times what it should.
    sizes = _arm_sizes(raw)
    row = raw.row("arm_outcomes", lambda r: bool(r["n"]) and (r["study_id"], r["arm_id"]) in sizes)
    key = (raw.get("arm_outcomes", row, "study_id"), raw.get("arm_outcomes", row, "arm_id"))
    return _set(raw, "arm_outcomes", row, "n", str(sizes[key] * 10), found=f"at most the {sizes[key]} randomised")


@case("contrast-n-above-randomised")
def _(raw: RawCopy) -> Expect:
    sizes = _arm_sizes(raw)
    row = raw.row("contrasts", lambda r: (r["study_id"], r["arm2"]) in sizes)
    key = (raw.get("contrasts", row, "study_id"), raw.get("contrasts", row, "arm2"))
    return _set(raw, "contrasts", row, "n2", str(sizes[key] + 1), found=f"at most the {sizes[key]} randomised")


@case("percent-decrease-of-more-than-all")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arm_outcomes", value_type="percent_change", change_sign="decrease_positive")
    return _set(raw, "arm_outcomes", row, "mean", "130", found="a decrease of 130 %")


@case("arm-result-row-pasted-twice")
def _(raw: RawCopy) -> Expect:
    first = _with(raw, "arm_outcomes", "mean", "sd")
    row = raw.append_copy_of("arm_outcomes", first)
    return Expect("arm_outcomes", row, None, f"the same cells as row {first}")


@case("contrast-row-pasted-twice")
def _(raw: RawCopy) -> Expect:
    first = _first(raw, "contrasts", measure="MD")
    row = raw.append_copy_of("contrasts", first)
    return Expect("contrasts", row, None, f"the same cells as row {first}")


@case("row-source-level-on-a-trial")
def _(raw: RawCopy) -> Expect:
    trials = {r[0] for r in raw.records("studies")[1:] if r[raw.records("studies")[0].index("design")] == "rct"}
    row = raw.row("contrasts", lambda r: r["study_id"] in trials)
    return _set(raw, "contrasts", row, "source_level", "secondary", found="found 'secondary'")


# --------------------------------------------------------------------------- relations


@case("contrast-ci-bounds-reversed")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "ci_lb", "ci_ub", measure="MD")
    lb, ub = raw.get("contrasts", row, "ci_lb"), raw.get("contrasts", row, "ci_ub")
    raw.set("contrasts", row, "ci_lb", ub)
    raw.set("contrasts", row, "ci_ub", lb)
    return Expect("contrasts", row, "ci_lb", "bounds reversed")


@case("arm-ci-bounds-reversed")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "ci_lb", "ci_ub")
    lb, ub = raw.get("arm_outcomes", row, "ci_lb"), raw.get("arm_outcomes", row, "ci_ub")
    raw.set("arm_outcomes", row, "ci_lb", ub)
    raw.set("arm_outcomes", row, "ci_ub", lb)
    return Expect("arm_outcomes", row, "ci_lb", "bounds reversed")


@case("contrast-ci-of-zero-width")
def _(raw: RawCopy) -> Expect:
    # Both bounds equal to the estimate: an effect with no variance, which would take
    # every weight of a pooled analysis.
    row = _with(raw, "contrasts", "estimate", "ci_lb", "ci_ub", measure="MD")
    estimate = raw.get("contrasts", row, "estimate")
    raw.set("contrasts", row, "ci_lb", estimate)
    raw.set("contrasts", row, "ci_ub", estimate)
    return Expect("contrasts", row, "ci_lb", "an interval of zero width gives the effect no variance")


@case("arm-ci-of-zero-width")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "ci_lb", "ci_ub")
    raw.set("arm_outcomes", row, "ci_ub", raw.get("arm_outcomes", row, "ci_lb"))
    return Expect("arm_outcomes", row, "ci_lb", "zero width")


@case("trial-with-one-arm")
def _(raw: RawCopy) -> Expect:
    # A new trial whose comparator arm was never typed in.
    row = raw.append_copy_of("studies", _with(raw, "studies", design="rct"), study_id="Newtrial2026")
    raw.append_copy_of("arms", raw.row("arms"), study_id="Newtrial2026")
    return Expect("studies", row, "design", "expected at least two arms in data/raw/arms.csv for a trial design ('rct'), "
                  "found 1")


@case("only-one-confidence-bound")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "ci_lb", "ci_ub")
    raw.set("contrasts", row, "ci_ub", "")
    return Expect("contrasts", row, "ci_ub", "found only ci_lb")


@case("more-events-than-participants")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arm_outcomes", value_type="events")
    n = int(raw.get("arm_outcomes", row, "n"))
    return _set(raw, "arm_outcomes", row, "events", str(n + 1))


@case("more-analysed-than-randomised")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arms", "n_randomised")
    n = int(raw.get("arms", row, "n_randomised"))
    return _set(raw, "arms", row, "n_analysed", str(n + 5))


@case("contrast-of-an-arm-with-itself")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts")
    arm1 = raw.get("contrasts", row, "arm1")
    return _set(raw, "contrasts", row, "arm2", arm1, found=f"'{arm1}' twice")


@case("risk-ratio-of-zero")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "estimate", measure="MD")
    raw.set("contrasts", row, "measure", "RR")
    raw.set("contrasts", row, "sign_convention", "ratio_arm1_over_arm2")
    raw.set("contrasts", row, "ci_lb", "")
    raw.set("contrasts", row, "ci_ub", "")
    return _set(raw, "contrasts", row, "estimate", "0.00", found="found 0.00")


@case("risk-difference-in-percent")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts", measure="RD")
    return _set(raw, "contrasts", row, "estimate", "20.20", found="found 20.20")


@case("scale-max-below-scale-min")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "instruments", "scale_max")
    lo = float(raw.get("instruments", row, "scale_min"))
    return _set(raw, "instruments", row, "scale_max", str(lo), found=f"found {lo}")


@case("instrument-of-another-domain")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arm_outcomes", outcome="pain")
    return _set(raw, "arm_outcomes", row, "outcome", "sleep", found="found 'sleep'")


@case("quartiles-out-of-order")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "mean")
    raw.set("arm_outcomes", row, "q1", "5.00")
    return _set(raw, "arm_outcomes", row, "q3", "2.00", found="expected q3 >= q1 (5.00), found 2.00")


@case("change-score-without-its-sign-convention")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arm_outcomes", value_type="change")
    return _set(raw, "arm_outcomes", row, "change_sign", "", found="found an empty cell")


@case("p-only-row-without-p-value")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "p_value", measure="p_only")
    return _set(raw, "contrasts", row, "p_value", "", found="found an empty cell")


@case("mean-difference-without-estimate")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "contrasts", "estimate", measure="MD")
    return _set(raw, "contrasts", row, "estimate", "", found="found an empty cell")


@case("date-that-does-not-exist")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "sources")
    return _set(raw, "sources", row, "accessed", "2024-02-30")


@case("required-cell-empty")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts")
    return _set(raw, "contrasts", row, "quote", "", found="required, expected")


# --------------------------------------------------------------------------- hostile text


@case("formula-in-a-study-label")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "studies")
    return _set(raw, "studies", row, "label", "=cmd()")


@case("formula-in-a-numeric-cell")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "mean")
    return _set(raw, "arm_outcomes", row, "mean", "=1+1")


@case("dde-payload-starting-with-a-number")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts")
    return _set(raw, "contrasts", row, "notes", "-1+cmd|' /C calc'!A0", found="-1+cmd")


@case("at-sign-formula")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "statements")
    return _set(raw, "statements", row, "notes", "@SUM(A1:A9)")


@case("leading-tab")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "sources")
    return _set(raw, "sources", row, "citation", "\t=HYPERLINK(\"http://x\")", found="\\t=HYPERLINK")


@case("control-character-in-a-quote")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "contrasts")
    return _set(raw, "contrasts", row, "quote", "ring \x07 the bell", found="\\x07")


@case("html-in-a-study-id")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "studies")
    return _set(raw, "studies", row, "study_id", "<script>alert(1)</script>")


@case("typst-in-a-study-id")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "studies")
    return _set(raw, "studies", row, "study_id", "#set page(width: 1cm)")


@case("markdown-in-an-arm-id")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arms")
    return _set(raw, "arms", row, "arm_id", "**acu**")


@case("html-in-a-treatment-code")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "treatments")
    return _set(raw, "treatments", row, "treatment", "<b>needle</b>")


@case("typst-in-an-instrument-code")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "instruments")
    return _set(raw, "instruments", row, "instrument", "VAS#text(red)[x]")


@case("study-id-ending-in-a-newline")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "studies")
    study = raw.get("studies", row, "study_id")
    return _set(raw, "studies", row, "study_id", study + "\n", found=f"'{study}\\n'")


@case("study-id-reference-with-a-no-break-space")
def _(raw: RawCopy) -> Expect:
    # Pasted from a web page, it prints as a space: the message shows which it is.
    row = _first(raw, "arm_outcomes")
    study = raw.get("arm_outcomes", row, "study_id")
    return _set(raw, "arm_outcomes", row, "study_id", study + "\u00a0",
                found=f"found '{study}\\u00a0': remove the spaces around it")


@case("study-id-with-a-space-after")
def _(raw: RawCopy) -> Expect:
    # Pasted with the space after it: in the sheet the id looks as it should.
    row = _first(raw, "studies")
    study = raw.get("studies", row, "study_id")
    return _set(raw, "studies", row, "study_id", study + " ", found=f"found '{study} ': remove the spaces around it")


@case("arm-reference-with-a-space-before")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "arm_outcomes")
    arm = raw.get("arm_outcomes", row, "arm_id")
    return _set(raw, "arm_outcomes", row, "arm_id", " " + arm, found=f"found ' {arm}': remove the spaces around it")


@case("n-of-one-beside-an-sd")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "arm_outcomes", "sd", "n", value_type="final")
    return _set(raw, "arm_outcomes", row, "n", "1", found="expected n of at least 2 beside an SD")


@case("arm-of-one-beside-an-sd")
def _(raw: RawCopy) -> Expect:
    # The row's n empty: the arm's n_analysed, 1, is the n its SD would be used with.
    row = _with(raw, "arm_outcomes", "sd", "n", value_type="final")
    study, arm = raw.get("arm_outcomes", row, "study_id"), raw.get("arm_outcomes", row, "arm_id")
    raw.set("arm_outcomes", row, "n", "")
    arm_row = _first(raw, "arms", study_id=study, arm_id=arm)
    raw.set("arms", arm_row, "n_randomised", "")
    raw.set("arms", arm_row, "n_analysed", "1")
    return Expect("arm_outcomes", row, "sd", f"found n_analysed 1 for arm '{arm}' ({LABEL}/arms.csv row {arm_row}")


@case("claim-treatments-listed-with-a-space")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "claims", "treatment")
    codes = raw.get("claims", row, "treatment").split(";")
    return _set(raw, "claims", row, "treatment", "; ".join([codes[0], "dry_needling"]),
                found="found ' dry_needling': remove the spaces around it")


@case("claim-treatment-with-a-capital")
def _(raw: RawCopy) -> Expect:
    row = _with(raw, "claims", "treatment")
    return _set(raw, "claims", row, "treatment", "Acupuncture", found="found 'Acupuncture'; did you mean 'acupuncture' (Acupuncture, active)?")


@case("contrast-arm-of-one")
def _(raw: RawCopy) -> Expect:
    # A trial's mean difference with n2 1: an SMD would take its variance and small-sample
    # factor from it, an MD would stand on one participant's value.
    row = _with(raw, "contrasts", "n2", measure="MD")
    return _set(raw, "contrasts", row, "n2", "1", found="expected n of at least 2 in each arm (measure MD")


@case("source-id-with-a-space")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "sources")
    return _set(raw, "sources", row, "source_id", "seed post")


@case("javascript-url")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "sources")
    return _set(raw, "sources", row, "url", "javascript:alert(1)")


@case("label-longer-than-allowed")
def _(raw: RawCopy) -> Expect:
    row = _first(raw, "studies")
    return _set(raw, "studies", row, "label", "x" * 201, found="found 201 characters")


# --------------------------------------------------------------------------- the tests


def test_a_table_with_its_header_alone_is_one_problem_unless_its_schema_allows_it(raw_copy: RawCopy) -> None:
    # An arms.csv emptied of rows was reported as some 375 problems: every arm_outcomes,
    # contrasts and statements row naming an arm that arms.csv no longer listed.
    header = raw_copy.records("arms")[:1]
    raw_copy.write("arms", header)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert [str(p) for p in info.value.problems] == [(
        "data/raw/arms.csv: expected at least one row below the header, found no rows, only the header: arms.csv may "
        "not be empty (only arm_outcomes.csv, contrasts.csv, statements.csv, claims.csv and risk_of_bias.csv may be "
        "empty, as the codebook says under each table)")]
    # A table its schema lets be empty reads with its header alone: a review not started
    # from a source's claims has none to check.
    shutil.copy(RAW / "arms.csv", raw_copy.path("arms"))
    raw_copy.write("claims", raw_copy.records("claims")[:1])
    assert read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL).rows("claims") == []
    # Rows all refused are not "no rows": each is reported where it is.
    records = raw_copy.records("studies")
    raw_copy.write("studies", [records[0], ["=1" + records[1][0], *records[1][1:]]])
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert [(p.file, p.row) for p in info.value.problems] == [("data/raw/studies.csv", 2)]


def test_corpus_has_at_least_50_distinct_inputs() -> None:
    names = [name for name, _ in CASES]
    assert len(names) == len(set(names))
    assert len(names) >= 50


def _letter(position: int) -> str:
    """A column's spreadsheet letter, counted from 1, up to AZ (the widest raw table has 30)."""
    assert 1 <= position <= 52
    return ALPHABET[position - 1] if position <= 26 else "A" + ALPHABET[position - 27]


def _letters_in(raw: RawCopy, table: str, column: str) -> str:
    """" (J)" for a column that the header row of ``table``, as the file now holds it,
    names once ("(A/B)" for a key of several columns, each named once); "" for one it
    lacks or names twice, or a header the file gives none of."""
    text = raw.path(table).read_bytes().decode("utf-8", "replace").removeprefix("\ufeff") \
        if raw.path(table).is_file() else ""
    try:
        header = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return ""
    names = [column] if column in header else column.split("/")
    if not all(header.count(name) == 1 for name in names):
        return ""
    return " (" + "/".join(_letter(header.index(name) + 1) for name in names) + ")"


@pytest.fixture
def raw_copy(tmp_path: Path) -> RawCopy:
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    return RawCopy(folder)


@pytest.mark.parametrize("corrupt", [fn for _, fn in CASES], ids=[name for name, _ in CASES])
def test_bad_input_is_refused_with_its_location(raw_copy: RawCopy, corrupt: Corruption) -> None:
    # The untouched copy reads: the problem found below is the corruption's, not the data's.
    expect = corrupt(raw_copy)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    problems = info.value.problems
    file = f"{LABEL}/{expect.table}.csv"
    at = [p for p in problems if p.file == file and p.row == expect.row and p.column == expect.column]
    assert at, f"no problem at {file}, row {expect.row}, column {expect.column!r}: {problems}"
    problem = at[0]
    assert "expected" in problem.message and "found" in problem.message, problem
    assert expect.found in problem.message, problem
    # One corruption gives one focused report, not a cascade of follow-on problems.
    assert len(problems) <= 2, problems
    # The message a user sees names the same place, the column by the letter its cell
    # stands under in the file as it now is.
    where = file
    if expect.row is not None:
        where += f", row {expect.row}"
    if expect.column is not None:
        where += f", column '{expect.column}'{_letters_in(raw_copy, expect.table, expect.column)}"
    assert f"{where}: " in str(info.value)
    assert "Nothing was built" in str(info.value)


def _move_column(raw: RawCopy, table: str, name: str, to: int) -> None:
    """The table with column ``name`` moved to position ``to`` (from 0), as a spreadsheet
    leaves it on dragging the column there: the header then differs from the codebook's
    order, which a table may (every documented column, in any order)."""
    records = raw.records(table)
    at = records[0].index(name)
    for record in records:
        record.insert(to, record.pop(at))
    raw.write(table, records)


def test_a_cell_check_names_the_letter_of_the_column_where_the_file_has_it(raw_copy: RawCopy) -> None:
    # In codebook order mean is column J and sd K. Moved to the end of the 27 columns, mean
    # stands under AA, and sd, one left, under J: the letters are the file's.
    row = _with(raw_copy, "arm_outcomes", "mean", "sd")
    _move_column(raw_copy, "arm_outcomes", "mean", 26)
    raw_copy.set("arm_outcomes", row, "mean", "abc")
    raw_copy.set("arm_outcomes", row, "sd", "-1")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    text = str(info.value)
    assert f"data/raw/arm_outcomes.csv, row {row}, column 'mean' (AA): expected a number" in text
    assert f"data/raw/arm_outcomes.csv, row {row}, column 'sd' (J): expected a number" in text
    assert {p.column: p.positions for p in info.value.problems} == {"mean": (27,), "sd": (10,)}


def test_checks_across_rows_and_tables_name_the_letter_of_the_file_as_read(raw_copy: RawCopy) -> None:
    # Found once every table is read, from typed rows that keep no positions: arm2 moved
    # first in contrasts.csv (codebook C), n_analysed first in arms.csv (codebook G).
    contrast = _first(raw_copy, "contrasts", measure="MD")
    _move_column(raw_copy, "contrasts", "arm2", 0)
    raw_copy.set("contrasts", contrast, "arm2", "ghost_arm")
    arm = _with(raw_copy, "arms", "n_randomised", "n_analysed")
    n = int(raw_copy.get("arms", arm, "n_randomised"))
    _move_column(raw_copy, "arms", "n_analysed", 0)
    raw_copy.set("arms", arm, "n_analysed", str(n + 5))
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    text = str(info.value)
    assert f"data/raw/contrasts.csv, row {contrast}, column 'arm2' (A): expected an arm_id listed in arms.csv" in text
    assert f"data/raw/arms.csv, row {arm}, column 'n_analysed' (A): expected at most n_randomised ({n})" in text


def test_a_key_of_two_columns_is_named_by_both_letters_in_the_file_s_order(raw_copy: RawCopy) -> None:
    row = _first(raw_copy, "arms")
    new = raw_copy.append_copy_of("arms", row)
    _move_column(raw_copy, "arms", "arm_id", 0)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert f"data/raw/arms.csv, row {new}, column 'study_id/arm_id' (B/A): expected a unique" in str(info.value)


def test_a_column_the_header_lacks_or_names_twice_has_no_letter() -> None:
    header = ["study_id", "label", "label", "year"]
    missing, twice, once = rawdata.located([rawdata.Problem("s.csv", 1, "design", "expected, found"),
                                            rawdata.Problem("s.csv", 1, "label", "expected, found"),
                                            rawdata.Problem("s.csv", 5, "year", "expected, found")], header)
    assert str(missing) == "s.csv, row 1, column 'design': expected, found"
    assert str(twice) == "s.csv, row 1, column 'label': expected, found"
    assert str(once) == "s.csv, row 5, column 'year' (D): expected, found"
    # A file whose header was never read places nothing; a place already given is kept.
    assert rawdata.located([rawdata.Problem("s.csv", 2, "year", "x")], None)[0].positions == ()
    kept = rawdata.Problem("s.csv", 2, "year", "x", (28,))
    assert str(rawdata.located([kept], header)[0]) == "s.csv, row 2, column 'year' (AB): x"


def test_a_header_name_behind_a_second_byte_order_mark_shows_the_mark(raw_copy: RawCopy) -> None:
    # The place read "column 'study_id' (A)", the mark printing as nothing: a documented
    # name, said to be unknown.
    raw_copy.path("arms").write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + raw_copy.path("arms").read_bytes())
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert [str(p) for p in info.value.problems] == [(
        f"{LABEL}/arms.csv, row 1, column '\\ufeffstudy_id' (A): expected one of the documented columns (study_id, "
        "arm_id, treatment, cointervention, description, n_randomised, n_analysed, n_missing_reason, notes), found "
        "unknown column "
        "'\\ufeffstudy_id': a second byte-order mark, invisible, stands before 'study_id' (the file was saved with a "
        "mark added to the one it had); retype the name")]


def test_read_table_alone_places_its_problems_too(raw_copy: RawCopy) -> None:
    row = _first(raw_copy, "treatments")
    _move_column(raw_copy, "treatments", "role", 0)
    raw_copy.set("treatments", row, "role", "bogus")
    schema = rawdata.load_schemas(SCHEMAS)["treatments"]
    _, [problem] = rawdata.read_table(raw_copy.path("treatments"), schema, "treatments.csv")
    assert str(problem).startswith(f"treatments.csv, row {row}, column 'role' (A): expected one of")


@pytest.mark.parametrize("quote_all", [True, False], ids=["every-cell-quoted", "cells-quoted-as-needed"])
def test_a_number_cell_added_is_not_called_a_split_text_cell(raw_copy: RawCopy, quote_all: bool) -> None:
    # A cell added among the numbers shifts the empty number cells right of it unseen, up
    # to location and quote: location + quote then read as one cell with a comma in it.
    # Quoted, they cannot be one cell; quoted as needed, the filled mean and sd left of
    # them also explain the row, so no split is named either way.
    row = _with(raw_copy, "arm_outcomes", "mean", "sd", "location", "quote")
    records = raw_copy.records("arm_outcomes")
    sd = records[0].index("sd")
    records[row - 1].insert(sd, "1.5")
    line = _quote_all([records[row - 1]]) if quote_all else raw_copy.text_of([records[row - 1]])
    _replace_row(raw_copy, "arm_outcomes", row, line)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (row, None)
    assert "found 29: a cell seems added at a column between" in problem.message
    for guess in ("split", "unquoted comma", "quote a cell"):
        assert guess not in problem.message


@pytest.mark.parametrize(("column", "text", "named"), [
    ("quote", "pain fell by 3.5, from 6.1 at baseline, to 2.6", "quote"),
    ("notes", "Read from Table 2, row 3, first column.", "notes"),
    # No space after the commas: the pieces may as well be cells typed in, and fit the
    # location before the quote too; no column is named.
    ("quote", "pain fell by 3.5,from 6.1,to 2.6", None),
])
def test_a_text_cell_two_unquoted_commas_split_is_named(raw_copy: RawCopy, column: str, text: str,
                                                        named: str | None) -> None:
    # "expected 27 cells as in the header, found 29" named no column, or pinned a shift on
    # 'confidence', the column after a quote whose two commas were left unquoted.
    row = _with(raw_copy, "arm_outcomes", "location", "quote", "confidence")
    records = raw_copy.records("arm_outcomes")
    record = records[row - 1]
    header = records[0]
    record[header.index(column)] = text
    line = raw_copy.text_of([record]).replace(f'"{text}"', text, 1)
    assert line.count(",") == len(header) - 1 + 2
    _replace_row(raw_copy, "arm_outcomes", row, line)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert problem.row == row and "found 30" in problem.message
    if named is None:
        assert problem.column is None and "split" not in problem.message
    else:
        letter = {"quote": "Y", "notes": "AB"}[named]
        assert problem.column == named
        assert (f": the 2 commas in '{text[:57]}...' seem to split column '{named}' ({letter}) into 3 cells"
                if len(text) > 60 else f": the 2 commas in '{text}' seem to split column '{named}' ({letter}) "
                "into 3 cells") in problem.message


def test_a_comma_between_quoted_cells_is_no_split_cell(raw_copy: RawCopy) -> None:
    # The same row as the one an unquoted comma splits, its cells quoted: the comma is a
    # separator, and the label's two halves are two cells, not one cell cut in two.
    records = raw_copy.records("treatments")
    raw_copy.path("treatments").write_text(raw_copy.text_of(records) + '"needle_x","Needling"," trigger points",'
                                           '"active",""\n', encoding="utf-8", newline="")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert problem.row == len(records) + 1
    assert "split" not in problem.message and "quote a cell" not in problem.message


@pytest.mark.parametrize("name", ["duplicated-column", "column-pasted-three-times", "column-renamed-as-its-neighbour",
                                  "two-versions-of-a-column"])
def test_a_column_name_given_more_than_once_is_one_problem(raw_copy: RawCopy, name: str) -> None:
    dict(CASES)[name](raw_copy)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (1, "label")


def test_two_unnamed_columns_are_each_named_by_position(raw_copy: RawCopy) -> None:
    dict(CASES)["two-unnamed-columns-between-named-ones"](raw_copy)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    first, second = info.value.problems
    assert "found an empty name in position 3 (C)" in first.message
    assert "found an empty name in position 6 (F)" in second.message


def test_a_repeated_name_with_two_columns_missing_names_them_both(raw_copy: RawCopy) -> None:
    # Which copy was meant as which missing column the header cannot say: the repeated name
    # says the copy may be one of them, and the columns are still named missing.
    records = raw_copy.records("studies")
    records[0][2] = "label"  # was year
    records[0][3] = "notes"  # was design
    raw_copy.write("studies", records)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    label, notes, missing = info.value.problems
    assert label.message.endswith("or rename it if it was meant as one of the columns the header lacks ('year' and "
                                  "'design')")
    assert "found 'notes' in positions 4 (D) and 13 (M)" in notes.message
    assert "found no columns 'year' and 'design'" in missing.message


def test_a_misspelt_column_is_one_problem_not_also_a_missing_one(raw_copy: RawCopy) -> None:
    records = raw_copy.records("arm_outcomes")
    records[0][records[0].index("timepoint_weeks")] = "timepoint_week"
    raw_copy.write("arm_outcomes", records)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (1, "timepoint_week")
    assert problem.message.endswith("found unknown column 'timepoint_week'; did you mean 'timepoint_weeks'? (the "
                                    "header has no column of that name)")


def test_a_column_both_misspelt_and_deleted_is_still_named_missing(raw_copy: RawCopy) -> None:
    # 'n_randomized' is close to 'n_randomised', which the header has: the missing column
    # is n_analysed, which nothing in the header seems to misspell.
    records = raw_copy.records("arms")
    i = records[0].index("n_analysed")
    records[0][i] = "n_randomized"
    raw_copy.write("arms", records)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    messages = [p.message for p in info.value.problems]
    assert any("did you mean 'n_randomised'?" in m and "the header has no column" not in m for m in messages)
    assert any("found no column 'n_analysed'" in m for m in messages)


def test_rows_of_a_study_whose_own_row_was_deleted_say_how_a_study_is_removed(raw_copy: RawCopy) -> None:
    # A study taken out of the review by deleting its studies.csv row alone: each row
    # still naming it is refused, and the message says what removing a study takes.
    header, *rows = raw_copy.records("studies")
    gone = next(r for r in rows if r[header.index("study_id")] == "Kong2020")
    raw_copy.write("studies", [header, *(r for r in rows if r is not gone)])
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    naming = [p for p in info.value.problems if p.column == "study_id"]
    assert {p.file.rsplit("/", 1)[1] for p in naming} >= {"arms.csv", "arm_outcomes.csv", "contrasts.csv"}
    assert all("found 'Kong2020' (a study taken out of the review has its rows deleted from every table; a new one "
               "goes in studies.csv first" in p.message for p in naming), naming
    # One with a close id in use (Rajfur2022 beside Rajfur2024): a deletion, not a typo
    # of the other study's id, though the suggestion stays.
    header, *rows = raw_copy.records("studies")
    raw_copy.write("studies", [header, *(r for r in rows if r[header.index("study_id")] != "Rajfur2022")])
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    naming = [p for p in info.value.problems if "'Rajfur2022'" in p.message]
    assert naming and all("has its rows deleted from every table" in p.message for p in naming), naming


def _last_build(raw_copy: RawCopy, path: Path) -> Path:
    """The key results a build of the copy as it is now would leave for the next one: its
    raw cells, kept as the report keeps them (metareview.report.kept_cells)."""
    from metareview.report import kept_cells

    data = read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    cells = kept_cells({t: [dict(r.values) for r in rows] for t, rows in data.tables.items()},
                       {t: [r.row for r in rows] for t, rows in data.tables.items()})
    path.write_text(json.dumps({"raw_cells": cells}), encoding="utf-8")
    return path


def _citing(raw_copy: RawCopy, column: str, value: str) -> list[tuple[str, int]]:
    """(table, spreadsheet row) of every row whose ``column`` is ``value``, but for the
    table that lists the values."""
    out = []
    for table in rawdata.TABLES:
        header, *rows = raw_copy.records(table)
        if column in header and header[0] != column:
            out += [(table, i) for i, rec in enumerate(rows, start=2) if rec[header.index(column)] == value]
    return out


def _delete_row(raw_copy: RawCopy, table: str, row: int) -> None:
    records = raw_copy.records(table)
    raw_copy.write(table, records[:row - 1] + records[row:])


def test_a_source_deleted_while_rows_still_cite_it_is_said_the_removal_way(raw_copy: RawCopy, tmp_path: Path) -> None:
    # A document deleted with a study while other rows still cite it was told "a new
    # document goes in sources.csv first", the hint for adding one.
    _, *rows = raw_copy.records("sources")
    by_source = {r[0]: _citing(raw_copy, "source_id", r[0]) for r in rows}
    # A document cited from two tables or more, by a few rows: each line lists the others.
    source = next(s for s, c in by_source.items() if len({t for t, _ in c}) >= 2 and 3 <= len(c) <= 7)
    was = raw_copy.row("sources", lambda r: r["source_id"] == source)
    last = _last_build(raw_copy, tmp_path / "key_results.json")
    _delete_row(raw_copy, "sources", was)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL, last_build=last)
    citing = by_source[source]
    assert {(p.file, p.row, p.column) for p in info.value.problems} == {
        (f"{LABEL}/{t}.csv", r, "source_id") for t, r in citing}
    for problem in info.value.problems:
        this = (problem.file.rsplit("/", 1)[1].removesuffix(".csv"), problem.row)
        others: dict[str, list[int]] = {}
        for t, r in sorted(citing):
            if (t, r) != this:
                others.setdefault(t, []).append(r)
        listed = ", ".join(f"{t}.csv row {r[0]}" if len(r) == 1 else
                           f"{t}.csv rows {', '.join(map(str, r[:-1]))} and {r[-1]}" for t, r in others.items())
        n = len(citing) - 1
        assert problem.message == (
            f"expected a source_id listed in sources.csv, found '{source}', which was in sources.csv (row {was} in "
            f"the last build) and is still cited by this row and {n} other{'s' if n > 1 else ''} ({listed}): put it "
            "back, or change or delete the rows that cite it"), problem.message


def test_a_source_renamed_in_sources_csv_alone_is_said_deleted_with_its_new_name(raw_copy: RawCopy,
                                                                                 tmp_path: Path) -> None:
    # Its id edited in sources.csv and nowhere else: deleted as the last build knew it,
    # and the new id, which no row cites, offered as what it may have become.
    _, *rows = raw_copy.records("sources")
    source = next(r[0] for r in rows if len(_citing(raw_copy, "source_id", r[0])) >= 2)
    was = raw_copy.row("sources", lambda r: r["source_id"] == source)
    last = _last_build(raw_copy, tmp_path / "key_results.json")
    raw_copy.set("sources", was, "source_id", f"{source}_v2")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL, last_build=last)
    assert len(info.value.problems) == len(_citing(raw_copy, "source_id", source))
    for problem in info.value.problems:
        assert f"found '{source}', which was in sources.csv (row {was} in the last build)" in problem.message
        assert problem.message.endswith(
            f"put it back, or change or delete the rows that cite it; did you mean '{source}_v2'?"), problem.message


def test_a_source_cited_by_one_row_only_says_that_row(raw_copy: RawCopy, tmp_path: Path) -> None:
    _, *rows = raw_copy.records("sources")
    source = next(r[0] for r in rows if len(_citing(raw_copy, "source_id", r[0])) == 1)
    was = raw_copy.row("sources", lambda r: r["source_id"] == source)
    last = _last_build(raw_copy, tmp_path / "key_results.json")
    _delete_row(raw_copy, "sources", was)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL, last_build=last)
    [problem] = info.value.problems
    assert problem.message.endswith(
        f"found '{source}', which was in sources.csv (row {was} in the last build) and is still cited by this row: "
        "put it back, or change or delete this row")


def test_a_source_the_last_build_did_not_have_is_told_where_a_new_one_goes(raw_copy: RawCopy, tmp_path: Path) -> None:
    # A last build to compare with, which never had the document: new, not deleted.
    last = _last_build(raw_copy, tmp_path / "key_results.json")
    row = _first(raw_copy, "studies")
    raw_copy.set("studies", row, "source_id", "smith2031_report")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL, last_build=last)
    [problem] = info.value.problems
    assert problem.message.endswith(
        "found 'smith2031_report' (a new document goes in sources.csv first, before the rows that name it)")


@pytest.mark.parametrize("kept", ["missing", "not json", "{}", '{"raw_cells": {"columns": {}}}'])
def test_without_a_last_build_to_tell_a_source_is_told_both_ways(raw_copy: RawCopy, tmp_path: Path,
                                                                 kept: str) -> None:
    # A first build, or a history file that cannot say what sources.csv held: a new
    # document and one deleted with a study are both possible, and both are said.
    last = tmp_path / "key_results.json"
    if kept != "missing":
        last.write_text(kept, encoding="utf-8")
    row = _first(raw_copy, "studies")
    raw_copy.set("studies", row, "source_id", "smith2031_report")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL, last_build=last)
    [problem] = info.value.problems
    assert problem.message.endswith(
        "found 'smith2031_report' (a new document goes in sources.csv first, before the rows that name it; a deleted "
        "one goes back, unless the rows citing it are changed or deleted)")


def test_a_treatment_deleted_while_arms_still_name_it_is_said_the_removal_way(raw_copy: RawCopy,
                                                                              tmp_path: Path) -> None:
    _, *rows = raw_copy.records("treatments")
    code = next(r[0] for r in rows if len(_citing(raw_copy, "treatment", r[0])) == 1)
    [(table, arm_row)] = _citing(raw_copy, "treatment", code)
    was = raw_copy.row("treatments", lambda r: r["treatment"] == code)
    last = _last_build(raw_copy, tmp_path / "key_results.json")
    _delete_row(raw_copy, "treatments", was)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL, last_build=last)
    [problem] = [p for p in info.value.problems if p.column == "treatment"]
    assert (problem.file, problem.row) == (f"{LABEL}/{table}.csv", arm_row)
    assert problem.message.endswith(
        f"found '{code}', which was in treatments.csv (row {was} in the last build) and is still named by this "
        "row: put it back, or change or delete this row")


def test_last_build_names_reads_the_kept_cells_of_a_build(raw_copy: RawCopy, tmp_path: Path) -> None:
    last = _last_build(raw_copy, tmp_path / "key_results.json")
    names = rawdata.last_build_names(last, {"sources": "source_id", "instruments": "instrument"})
    assert names is not None
    for table, column in (("sources", "source_id"), ("instruments", "instrument")):
        header, *rows = raw_copy.records(table)
        assert names[table] == {r[header.index(column)]: i for i, r in enumerate(rows, start=2)}
    assert rawdata.last_build_names(tmp_path / "none.json", {"sources": "source_id"}) is None


def test_rows_left_short_by_an_arm_s_misspelt_study_id_point_at_that_arm_s_row(raw_copy: RawCopy) -> None:
    # Meng2003's first arm typed under 'Meng2030': the rows naming that arm were told the
    # study has only its other arm, and the trial that it has one arm, as if an arm had
    # been forgotten; each now names the arms.csv row whose study_id is the slip.
    row = _first(raw_copy, "arms", study_id="Meng2003")
    arm = raw_copy.get("arms", row, "arm_id")
    raw_copy.set("arms", row, "study_id", "Meng2030")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    problems = info.value.problems
    assert [(p.file, p.row, p.column) for p in problems if p.file.endswith("arms.csv")] == [
        (f"{LABEL}/arms.csv", row, "study_id")]
    naming = [p for p in problems if p.file.endswith(("arm_outcomes.csv", "contrasts.csv"))]
    assert naming
    assert all(p.message.endswith(f"found '{arm}': arms.csv row {row} lists it under study_id 'Meng2030', refused "
                                  "there; fixing that row fixes this one") for p in naming), naming
    design = [p for p in problems if p.file.endswith("studies.csv")]
    assert [p.column for p in design] == ["design"]
    assert design[0].message.endswith(f"found 1; {LABEL}/arms.csv row {row} names study_id 'Meng2030', which is not "
                                      "listed: an arm of this study?"), design
    assert len(problems) == 2 + len(naming)


def test_an_arm_missing_from_its_study_is_not_pointed_at_another_study_s_refused_row(raw_copy: RawCopy) -> None:
    # Another trial's arm of the same name under a misspelt id is no explanation.
    records = raw_copy.records("arms")
    header = records[0]
    ids = [r[header.index("study_id")] for r in records[1:]]
    row = _first(raw_copy, "arms", study_id="Meng2003")
    arm = raw_copy.get("arms", row, "arm_id")
    other = next(i for i, r in enumerate(records[1:], start=2) if r[0] != "Meng2003" and ids.count(r[0]) >= 2)
    raw_copy.set("arms", other, "arm_id", arm)
    raw_copy.set("arms", other, "study_id", "Zzz1999")
    raw_copy.set("arms", row, "arm_id", "gone")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    naming = [p for p in info.value.problems if f"found '{arm}'" in p.message]
    assert naming and not any("refused there" in p.message for p in naming), naming


def test_the_real_tables_read_cleanly(raw_copy: RawCopy) -> None:
    data = read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert data.study_ids


def test_oversized_file_is_refused_without_being_opened(raw_copy: RawCopy, monkeypatch: pytest.MonkeyPatch) -> None:
    big = raw_copy.path("contrasts")
    with big.open("r+b") as fh:  # sparse: the size is what matters, not the bytes
        fh.truncate(50 * 1024 * 1024)
    opened: list[Path] = []
    real_open, real_read_bytes = Path.open, Path.read_bytes

    def spy_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        opened.append(self)
        return real_open(self, *args, **kwargs)

    def spy_read_bytes(self: Path) -> bytes:
        opened.append(self)
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "open", spy_open)
    monkeypatch.setattr(Path, "read_bytes", spy_read_bytes)
    rows, problems = rawdata.read_table(big, rawdata.load_schemas(SCHEMAS)["contrasts"], "contrasts.csv")
    assert rows == []
    assert [p.file for p in problems] == ["contrasts.csv"] and "found 50.0 MB" in problems[0].message
    assert big not in opened


def test_every_problem_is_listed_at_once(raw_copy: RawCopy) -> None:
    # Two independent corruptions in two tables: one run reports both.
    row_a = _with(raw_copy, "arm_outcomes", "sd")
    raw_copy.set("arm_outcomes", row_a, "sd", "-1")
    row_s = _first(raw_copy, "studies", design="rct")
    raw_copy.set("studies", row_s, "design", "trial")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    where = {(p.file, p.row, p.column) for p in info.value.problems}
    assert (f"{LABEL}/arm_outcomes.csv", row_a, "sd") in where
    assert (f"{LABEL}/studies.csv", row_s, "design") in where


def test_a_long_list_of_problems_is_capped(raw_copy: RawCopy) -> None:
    records = raw_copy.records("arms")
    i = records[0].index("n_randomised")
    for rec in records[1:]:
        rec[i] = "many"
    raw_copy.write("arms", records)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert len(info.value.problems) == len(records) - 1 > rawdata.MAX_PROBLEMS
    assert f"... and {len(records) - 1 - rawdata.MAX_PROBLEMS} more" in str(info.value)


def test_the_trial_designs_checked_for_two_arms_are_those_normalise_pools() -> None:
    from metareview import normalise, rawdata

    assert rawdata.TRIAL_DESIGNS == normalise.TRIAL_DESIGNS



def test_a_cell_problem_and_a_problem_across_tables_are_listed_in_one_run(raw_copy: RawCopy) -> None:
    # A cell problem in one table stopped the reading before the checks across rows and
    # tables, whose problems a second run then found: a team entering several rows fixed
    # them in rounds. One run now lists both, and says what the checks left out.
    row = _with(raw_copy, "arm_outcomes", "sd")
    raw_copy.set("arm_outcomes", row, "sd", "SD 19.6")
    contrast = _with(raw_copy, "contrasts", "arm2")
    raw_copy.set("contrasts", contrast, "arm2", "no_such_arm")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert [(p.file, p.row, p.column) for p in info.value.problems] == [
        (f"{LABEL}/arm_outcomes.csv", row, "sd"), (f"{LABEL}/contrasts.csv", contrast, "arm2")]
    text = str(info.value)
    assert "found 'SD 19.6'" in text and "found 'no_such_arm'" in text
    assert "Rows with a problem in their own cells are left out of the checks of their numbers against other rows" in text
    assert text.endswith("Nothing was built. Fix the raw tables and run again.")
    # With no cell refused, nothing was left out, and the message does not say so.
    raw_copy.set("arm_outcomes", row, "sd", "19.6")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert [(p.file, p.row) for p in info.value.problems] == [(f"{LABEL}/contrasts.csv", contrast)]
    assert "left out" not in str(info.value) and "could be read" not in str(info.value)


def test_a_problem_of_a_row_code_is_found_beside_a_table_that_could_not_be_read(raw_copy: RawCopy) -> None:
    # instruments.csv saved as UTF-16 is refused whole: the claims are still checked
    # against the treatments, and no row is faulted for the instruments it names.
    raw_copy.path("instruments").write_bytes(raw_copy.path("instruments").read_text(encoding="utf-8")
                                             .encode("utf-16"))
    claim = _first(raw_copy, "claims", treatment="acupuncture")
    raw_copy.set("claims", claim, "treatment", "acupunture")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert [(p.file, p.row, p.column) for p in info.value.problems] == [
        (f"{LABEL}/instruments.csv", 1, None), (f"{LABEL}/claims.csv", claim, "treatment")]
    assert ("No rows of data/raw/instruments.csv could be read, so no row was checked against it: a run after the "
            "problems above are fixed does that.") in str(info.value)


def test_a_row_refused_for_a_cell_is_not_also_faulted_across_rows_and_tables(raw_copy: RawCopy) -> None:
    # The refused row's arm, not listed, is said in the same run: a typo of its own, beside
    # the refused cell.
    row = _with(raw_copy, "arm_outcomes", "sd")
    raw_copy.set("arm_outcomes", row, "sd", "SD 19.6")
    raw_copy.set("arm_outcomes", row, "arm_id", "no_such_arm")
    # Nor is a row faulted for naming a refused row, or for what that row would tell: a
    # meta-analysis whose design is mistyped (its contrasts' source_level is a review's),
    # a trial's arm whose size is (the trial keeps its two arms), a treatment code typed
    # over (every arm and claim naming the code).
    review = _first(raw_copy, "studies", study_id=raw_copy.get("contrasts", _with(raw_copy, "contrasts",
                                                                                      "source_level"), "study_id"))
    design = raw_copy.get("studies", review, "design")
    raw_copy.set("studies", review, "design", "review")
    header, *studies = raw_copy.records("studies")
    trials = {r[header.index("study_id")] for r in studies if r[header.index("design")] == "rct"}
    per_study = Counter(r[0] for r in raw_copy.records("arms")[1:])
    arm = raw_copy.row("arms", lambda r: bool(r["n_randomised"]) and r["study_id"] in trials
                       and per_study[r["study_id"]] == 2)
    size = raw_copy.get("arms", arm, "n_randomised")
    raw_copy.set("arms", arm, "n_randomised", "many")
    treatment = _first(raw_copy, "treatments", treatment="acupuncture")
    raw_copy.set("treatments", treatment, "treatment", "<b>acupuncture</b>")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert sorted((p.file, p.row, p.column) for p in info.value.problems) == sorted([
        (f"{LABEL}/arm_outcomes.csv", row, "sd"), (f"{LABEL}/arm_outcomes.csv", row, "arm_id"),
        (f"{LABEL}/studies.csv", review, "design"),
        (f"{LABEL}/arms.csv", arm, "n_randomised"), (f"{LABEL}/treatments.csv", treatment, "treatment")])
    # Once the cells are fixed, the arm is still named, and nothing else.
    raw_copy.set("arm_outcomes", row, "sd", "19.6")
    raw_copy.set("studies", review, "design", design)
    raw_copy.set("arms", arm, "n_randomised", size)
    raw_copy.set("treatments", treatment, "treatment", "acupuncture")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert [(p.file, p.row, p.column) for p in info.value.problems] == [(f"{LABEL}/arm_outcomes.csv", row, "arm_id")]


def test_a_key_used_twice_is_found_when_one_of_its_rows_is_refused(raw_copy: RawCopy) -> None:
    # A study copied down to enter another, its id not yet changed and its design
    # mistyped: the key used twice is said in the same run as the cell, not after it.
    study = _first(raw_copy, "studies", design="rct")
    study_id = raw_copy.get("studies", study, "study_id")
    copy = raw_copy.append_copy_of("studies", study, design="RCT")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    # (listed by row and column, as the sheet reads: study_id is its first column)
    assert [(p.row, p.column) for p in info.value.problems] == [(copy, "study_id"), (copy, "design")]
    assert info.value.problems[0].message == (f"expected a unique study_id, found '{study_id}' already used in "
                                              f"row {study}")
    # The first of the two refused instead: the copy is the one named as repeating it.
    raw_copy.set("studies", copy, "design", "rct")
    raw_copy.set("studies", study, "design", "RCT")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert [(p.row, p.column) for p in info.value.problems] == [(study, "design"), (copy, "study_id")]
    # A refused row whose key cell is the one refused holds no key to repeat.
    raw_copy.set("studies", study, "design", "rct")
    raw_copy.set("studies", copy, "study_id", f"<b>{study_id}</b>")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert [(p.row, p.column) for p in info.value.problems] == [(copy, "study_id")]


def test_a_refused_rows_own_references_are_checked_and_its_name_offered(raw_copy: RawCopy) -> None:
    # A new treatment whose role is mistyped, and an arm naming it misspelt: the arm was
    # faulted with no suggestion, the one row meant having been refused. Its name is
    # offered with its row.
    treatment = _first(raw_copy, "treatments", treatment="acupuncture")
    raw_copy.set("treatments", treatment, "role", "Active")
    arm = _first(raw_copy, "arms", treatment="acupuncture")
    raw_copy.set("arms", arm, "treatment", "acupunture")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert [(p.file, p.row, p.column) for p in info.value.problems] == [
        (f"{LABEL}/treatments.csv", treatment, "role"), (f"{LABEL}/arms.csv", arm, "treatment")]
    assert (f"found 'acupunture'; did you mean 'acupuncture', of treatments.csv row {treatment}, itself refused "
            "above?") in info.value.problems[1].message


def test_an_empty_cell_too_many_is_not_read_as_a_trailing_comma(raw_copy: RawCopy) -> None:
    # An empty cell put in before `events` of a row whose notes are empty: the empty last
    # cell offered "a trailing comma? delete it", which left the quote in `confidence`
    # and a message that no longer said why. The cell added may be any of the empty run
    # before the quote's columns; each is named, and the trailing comma is not offered.
    row = _with(raw_copy, "arm_outcomes", "mean", "sd", "quote", events="")
    raw_copy.set("arm_outcomes", row, "notes", "")
    records = raw_copy.records("arm_outcomes")
    header = records[0]
    records[row - 1].insert(header.index("events"), "")
    raw_copy.write("arm_outcomes", records)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    (problem,) = info.value.problems
    assert problem.row == row and "trailing comma" not in problem.message, problem.message
    assert "seems one too many: the cells from there on are shifted one column right; the cell past the last " \
           "column is empty, but deleting it would leave them shifted)" in problem.message
    # The place the cell went in is among those named.
    events = header.index("events") + 1
    named = re.search(r"one of cells ([^ ]+) ", problem.message)
    assert named is not None, problem.message
    first, last = (int(x) for x in named[1].split("-"))
    assert first <= events <= last, problem.message


def test_a_study_row_copied_for_a_new_study_with_its_id_unchanged_says_so(raw_copy: RawCopy) -> None:
    # A row copied down to enter a new trial, its label changed and its id not, and the new
    # trial's arms under the id meant: the id used twice and each arm's id "not listed"
    # read as unrelated, the second telling the team to add a study it had added.
    study = _first(raw_copy, "studies", design="rct")
    study_id = raw_copy.get("studies", study, "study_id")
    copy = raw_copy.append_copy_of("studies", study, label="Smith et al. (2024)")
    arm = _first(raw_copy, "arms", study_id=study_id)
    first = raw_copy.append_copy_of("arms", arm, study_id="Smith2024", arm_id="cup")
    second = raw_copy.append_copy_of("arms", arm, study_id="Smith2024", arm_id="sham")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    (dup,) = [p for p in info.value.problems if p.row == copy]
    assert dup.message == (f"expected a unique study_id, found '{study_id}' already used in row {study}; this row's "
                           f"label, 'Smith et al. (2024)', is not row {study}'s: a row copied for a new study? "
                           f"'Smith2024', which arms.csv rows {first} and {second} name and no row lists, may be its id")
    # A row given again with its own label (pasted twice) is only the id used twice.
    raw_copy.set("studies", copy, "label", raw_copy.get("studies", study, "label"))
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    (dup,) = [p for p in info.value.problems if p.row == copy and p.column == "study_id"]
    assert dup.message == f"expected a unique study_id, found '{study_id}' already used in row {study}"


def test_a_rename_half_done_is_said_as_one(raw_copy: RawCopy, tmp_path: Path) -> None:
    # A study renamed in studies.csv and arms.csv, not in arm_outcomes.csv: each row of
    # the old id read "did you mean" the new one, with the hint for a study taken out.
    # The last build had the old id and not the new: a rename half done, its rows named.
    _, *rows = raw_copy.records("arm_outcomes")
    counts = Counter(r[0] for r in rows)
    old = next(sid for sid, n in counts.items() if n >= 2 and raw_copy.row("arms", lambda r, s=sid: r["study_id"] == s))
    new = old[:-1] + ("1" if old[-1] != "1" else "2")
    for table in ("studies", "arms"):
        path = raw_copy.path(table)
        path.write_text(path.read_text(encoding="utf-8").replace(f"\n{old},", f"\n{new},"), encoding="utf-8")
    last = tmp_path / "key_results.json"
    last.write_text(json.dumps({"raw_cells": {"columns": {}, "studies": {old: {}}, "shared": {}}}), encoding="utf-8")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL, last_build=last)
    said = [p for p in info.value.problems if p.file.endswith("arm_outcomes.csv")]
    numbers = [i + 2 for i, r in enumerate(rows) if r[0] == old]
    assert [p.row for p in said] == numbers
    assert (f"found '{old}'; did you mean '{new}'? '{old}' is the id the last build had, '{new}' one it had not: "
            f"a rename half done? This row and ") in said[0].message, said[0].message
    assert f"still name '{old}'" in said[0].message
    # Without a last build that had it, the usual suggestion.
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert all("rename half done" not in p.message for p in info.value.problems)


def test_problems_are_listed_by_table_row_and_column(raw_copy: RawCopy) -> None:
    # Found in the order of the checks (each table's cells, then keys across tables), an
    # arm's unknown treatment came after a later table's cell; listed as a team reads
    # its sheets, table by table, row by row.
    row = _with(raw_copy, "arm_outcomes", "sd")
    raw_copy.set("arm_outcomes", row, "sd", "SD 19.6")
    arm = _first(raw_copy, "arms", treatment="acupuncture")
    raw_copy.set("arms", arm, "treatment", "acupunture")
    study = _first(raw_copy, "studies", design="rct")
    raw_copy.set("studies", study, "design", "RCT")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    found = [(p.file.removeprefix(f"{LABEL}/"), p.row, p.column) for p in info.value.problems]
    assert found == [("studies.csv", study, "design"), ("arms.csv", arm, "treatment"),
                     ("arm_outcomes.csv", row, "sd")], found


def test_an_outcome_code_the_schemas_do_not_list_says_where_a_review_adds_it(raw_copy: RawCopy) -> None:
    # A review of another domain that enters its rows before its outcome code is in the
    # schemas: each row is refused, and the message says once where the code goes.
    row, result = _first(raw_copy, "instruments"), _first(raw_copy, "arm_outcomes")
    outcome = raw_copy.get("arm_outcomes", result, "outcome")
    raw_copy.set("instruments", row, "outcome", "depression")
    raw_copy.set("arm_outcomes", result, "outcome", "hospital_days")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL, schema_label="config/schemas/raw")
    text = str(info.value)
    assert text.count("Outcome codes 'depression' and 'hospital_days': if not a typo") == 1
    assert ("`outcome` lists of instruments.schema.yaml, arm_outcomes.schema.yaml, contrasts.schema.yaml, "
            "statements.schema.yaml and claims.schema.yaml in config/schemas/raw/") in text
    assert 'docs/review-definition.md, "Outcome codes"' in text
    # A code the message already explains, and other columns' codes, get no such note.
    raw_copy.set("instruments", row, "outcome", "Pain")
    raw_copy.set("arm_outcomes", result, "outcome", outcome)
    raw_copy.set("arm_outcomes", result, "value_type", "depression")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert "codes are case-sensitive" in str(info.value) and "if not a typo" not in str(info.value)


def test_a_difference_of_changes_may_exceed_the_range_but_not_twice_it(raw_copy: RawCopy) -> None:
    # Each arm's change lies within +-range, so their difference within twice the range.
    ranged = _ranges(raw_copy)
    row = raw_copy.row("contrasts", lambda r: r["measure"] == "MD" and bool(r["estimate"])
                       and r["instrument"] in ranged)
    span = ranged[raw_copy.get("contrasts", row, "instrument")]
    raw_copy.set("contrasts", row, "value_type", "change")
    raw_copy.set("contrasts", row, "estimate", f"{-1.5 * span:g}")
    assert read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL).study_ids


@pytest.mark.parametrize("lo, hi, value_type, n, mean, within, beyond", [
    (0, 10, "final", 40, None, 5.0, 5.2),  # (10 / 2) * sqrt(40 / 39) = 5.064
    (0, 10, "final", None, None, 7.0, 7.2),  # n unknown: the n = 2 bound, 5 * sqrt(2) = 7.071
    (0, 10, "change", 40, None, 9.9, 10.5),  # changes within -10 to 10: 10 * sqrt(40 / 39) = 10.127
    (0, 100, "within_group_change", 1, None, 141.0, 142.0),  # n = 1: the n = 2 bound, 100 * sqrt(2)
    # Bhatia-Davis: with mean 3.1 on 0 to 10, sqrt(3.1 * 6.9) * sqrt(40 / 39) = 4.685
    (0, 10, "final", 40, 3.1, 4.6, 4.7),
    (0, 10, "final", 40, 5.0, 5.0, 5.2),  # at the middle, Popoviciu's bound
    (0, 10, "change", 40, -3.0, 9.6, 9.7),  # sqrt(7 * 13) * sqrt(40 / 39) = 9.661
    (0, 10, "final", 40, 11.0, 5.0, 5.2),  # a mean outside the range (refused elsewhere): Popoviciu's
])
def test_the_largest_sd_a_range_allows(lo: float, hi: float, value_type: str, n: int | None, mean: float | None,
                                       within: float, beyond: float) -> None:
    assert within <= rawdata.sd_limit(lo, hi, value_type, n, mean) < beyond


@pytest.mark.parametrize("lo, hi, n, mean, sd_above", [
    (0, 10, 1000, 5.0, "2.2"),  # many participants: bound 5
    (0, 10, None, 5.0, "2.7"),  # n unknown: bound 5 * sqrt(2)
    (0, 100, 1000, 50.0, "7.1"),
])
def test_the_docs_say_which_variances_typed_as_sds_the_bound_refuses(lo: float, hi: float, n: int | None,
                                                                    mean: float, sd_above: str) -> None:
    # A variance typed as the SD is refused only above the bound: the SDs whose squares
    # exceed it. docs/auditing.md gives these thresholds; they are the bound's square roots.
    limit = rawdata.sd_limit(lo, hi, "final", n, mean)
    assert f"{math.sqrt(limit):.1f}" == sd_above
    docs = " ".join((REPO / "docs" / "auditing.md").read_text(encoding="utf-8").split())
    assert f"above about {sd_above}" in docs
    # An SD of 2 typed as its variance, 4, is within the 0-10 bound at mean 5: it passes.
    assert 4 <= rawdata.sd_limit(0, 10, "final", 1000, 5.0)


@pytest.mark.parametrize(("instrument", "value_type", "cells", "refused"), [
    # An ODI row (mean 32.5, SD 18.4) entered on a 0-10 pain scale: its outcome and mean are
    # refused; the SD, beyond any bound of 0 to 10 (5 * sqrt(2) = 7.07 at most), is not
    # held to one computed from the mean 32.5 as well.
    ("bothersomeness_0_10", "final", {"outcome": "disability", "mean": "32.5", "sd": "18.4"}, ["outcome", "mean"]),
    ("bothersomeness_0_10", "final", {"mean": "32.5", "sd": "18.4"}, ["mean"]),
    # Or an SD typed as the SE: 18.4 over sqrt(n) is beyond 7.07 / sqrt(n) whatever n.
    ("bothersomeness_0_10", "final", {"mean": "32.5", "sd": "", "se": "18.4"}, ["mean"]),
    # A mean change beyond the range of 100: changes lie within -100 to 100, the SD within
    # 100 * sqrt(2) = 141.4 at most, and 150 is not held to it.
    ("VAS_0_100", "change", {"mean": "-120", "sd": "150"}, ["mean"]),
    # A mean within the range, but the outcome not the instrument's: which of the two is
    # wrong decides the scale, so the SD waits for the row to be fixed.
    ("bothersomeness_0_10", "final", {"outcome": "disability", "sd": "18.4"}, ["outcome"]),
])
def test_an_sd_is_not_held_to_the_bound_of_a_row_on_another_scale(raw_copy: RawCopy, instrument: str,
                                                                   value_type: str, cells: dict[str, str],
                                                                   refused: list[str]) -> None:
    # After its mean was refused, the row's SD was refused again "(values within 0 to 10 with mean 32.5, by the
    # Bhatia-Davis inequality ...)", a bound from a mean that cannot be.
    row = _with(raw_copy, "arm_outcomes", "mean", "sd", instrument=instrument, value_type=value_type)
    for column, value in cells.items():
        raw_copy.set("arm_outcomes", row, column, value)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert [(p.row, p.column) for p in info.value.problems] == [(row, c) for c in refused], info.value.problems
    assert not any("Bhatia" in p.message or "Popoviciu" in p.message for p in info.value.problems)


def test_an_sd_that_rounding_allows_is_accepted(raw_copy: RawCopy) -> None:
    # "0.0 (0.2)" on a 0-10 scale: a mean of exactly 0 allows no spread, one printed as
    # 0.0 may be up to 0.05 (or 0.5 if typed "0"); an SD printed as 0.55 may be 0.545.
    row = _with(raw_copy, "arm_outcomes", "sd", "n", value_type="final", instrument="RMDQ_0_23")
    raw_copy.set("arm_outcomes", row, "mean", "0.0")
    raw_copy.set("arm_outcomes", row, "sd", "0.2")
    read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)


def test_a_decrease_of_more_than_100_percent_is_possible_on_a_scale_below_zero(raw_copy: RawCopy) -> None:
    row = _first(raw_copy, "arm_outcomes", value_type="percent_change", change_sign="decrease_positive")
    instrument = raw_copy.get("arm_outcomes", row, "instrument")
    raw_copy.set("arm_outcomes", row, "mean", "130")
    raw_copy.set("instruments", _first(raw_copy, "instruments", instrument=instrument), "scale_min", "-100")
    read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)


def test_a_study_id_misspelt_in_studies_csv_is_pointed_at_there(raw_copy: RawCopy) -> None:
    # The other tables name the study right: the hint must not ask for the misspelling
    # to be copied into them.
    row = _first(raw_copy, "studies", study_id="Cherkin2009")
    raw_copy.set("studies", row, "study_id", "Cherkn2009")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    keyed = [p for p in info.value.problems if p.column == "study_id"]
    assert keyed and all(f"the misspelling is studies.csv row {row}'s" in p.message for p in keyed)
    # A misspelling in the row itself gets the plain hint, though it is the only row
    # naming it (a study's one contrast row).
    raw_copy.set("studies", row, "study_id", "Cherkin2009")
    one = raw_copy.row("contrasts", lambda r: sum(1 for t in ("arm_outcomes", "contrasts", "statements")
                                                  for x in raw_copy.records(t)[1:] if x[0] == r["study_id"]) == 1)
    study = raw_copy.get("contrasts", one, "study_id")
    raw_copy.set("contrasts", one, "study_id", study[:-1] + "x")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = [p for p in info.value.problems if p.column == "study_id"]
    assert problem.row == one and problem.message.endswith(f"did you mean '{study}'?")


def test_the_sd_bound_counts_those_analysed_not_those_randomised(raw_copy: RawCopy) -> None:
    # SD 12.1 on RMDQ 0-23 final values with mean 10.8: above the bound for 150 analysed,
    # sqrt(10.85 x 12.15) x sqrt(150 / 149) = 11.520 (the mean as rounded allows 10.85),
    # within it for 2 (16.24). With neither
    # the row's n nor the arm's analysed known, those analysed may have been few: the
    # loose bound.
    row = _with(raw_copy, "arm_outcomes", "sd", "n", value_type="final", instrument="RMDQ_0_23")
    study, arm_id = raw_copy.get("arm_outcomes", row, "study_id"), raw_copy.get("arm_outcomes", row, "arm_id")
    arm = _first(raw_copy, "arms", study_id=study, arm_id=arm_id)
    assert raw_copy.get("arms", arm, "n_randomised")
    raw_copy.set("arm_outcomes", row, "n", "")
    raw_copy.set("arm_outcomes", row, "sd", "12.1")
    raw_copy.set("arms", arm, "n_analysed", "")
    read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    raw_copy.set("arms", arm, "n_analysed", "150")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (row, "sd") and "of at most 11.52" in problem.message


def test_an_se_the_range_allows_is_read(raw_copy: RawCopy) -> None:
    # Cherkin 2009's SD of 5.7 with n 158 as its SE, 5.7 / sqrt(158) = 0.45: at most 0.8206
    # (sd-typed-in-the-se-column), so it reads; so does any SE when n is unknown, the SD it
    # stands for being unknown too.
    row = _first(raw_copy, "arm_outcomes", study_id="Cherkin2009", arm_id="std", timepoint_weeks="8",
                 value_type="final")
    raw_copy.set("arm_outcomes", row, "sd", "")
    raw_copy.set("arm_outcomes", row, "se", "0.82")
    read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    raw_copy.set("arm_outcomes", row, "se", "5.7")
    raw_copy.set("arm_outcomes", row, "n", "")
    raw_copy.set("arms", _first(raw_copy, "arms", study_id="Cherkin2009", arm_id="std"), "n_analysed", "")
    read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)


def test_a_csv_that_is_none_of_the_tables_is_named_as_read_by_nothing(tmp_path: Path) -> None:
    # Rows typed into "new_trials.csv" beside the tables would count for nothing, silently.
    for table in rawdata.TABLES:
        shutil.copy(RAW / f"{table}.csv", tmp_path / f"{table}.csv")
    assert rawdata.ignored_files(tmp_path, "data/raw") == []
    (tmp_path / "new_trials.csv").write_text("study_id\nNew2026\n")
    (tmp_path / "Arms.CSV").write_text("")
    (tmp_path / "notes.txt").write_text("")
    notes = rawdata.ignored_files(tmp_path, "data/raw")
    assert [n.split(":")[0] for n in notes] == ["data/raw/Arms.CSV", "data/raw/new_trials.csv"]
    assert "not one of the raw tables (sources.csv, treatments.csv" in notes[1]
    assert "its rows are not in the review" in notes[1]


def test_the_note_on_an_unread_csv_points_to_the_configured_folder_s_codebook(tmp_path: Path) -> None:
    # A review whose tables live in reviews/neck/raw is sent to its own codebook, not to
    # the example's data/raw/README.md.
    (tmp_path / "new_trials.csv").write_text("study_id\nNew2026\n")
    [note] = rawdata.ignored_files(tmp_path, "reviews/neck/raw", "reviews/neck/schemas")
    assert "data/raw" not in note
    assert note.endswith("move them into those tables (their codebook: `.venv/bin/metareview codebook --schemas "
                         "reviews/neck/schemas --out reviews/neck/raw/README.md` writes it) or the file out of "
                         "the folder")
    # Once written, the codebook itself.
    (tmp_path / "README.md").write_text("# Codebook\n")
    [note] = rawdata.ignored_files(tmp_path, "reviews/neck/raw/", "reviews/neck/schemas")
    assert note.startswith("reviews/neck/raw/new_trials.csv: not one of the raw tables")
    assert note.endswith("move them into those tables (reviews/neck/raw/README.md) or the file out of the folder")


def test_a_table_open_in_a_spreadsheet_is_named_by_its_lock_file(tmp_path: Path) -> None:
    # Excel's owner file and LibreOffice's lock file hold no rows: they say that the table
    # is open, and that edits not saved yet are not in the build.
    for table in rawdata.TABLES:
        shutil.copy(RAW / f"{table}.csv", tmp_path / f"{table}.csv")
    (tmp_path / "~$arm_outcomes.csv").write_bytes(b"\x05Team\x00")
    (tmp_path / ".~lock.arms.csv#").write_text(",team,host,29.11.2026 17:30,")
    (tmp_path / "~$notes.docx").write_bytes(b"\x05")
    assert rawdata.ignored_files(tmp_path, "data/raw") == [
        ("data/raw/arms.csv is open in a spreadsheet program (its lock file .~lock.arms.csv# is there): edits not "
         "yet saved to it are not in this build"),
        ("data/raw/arm_outcomes.csv is open in a spreadsheet program (its lock file ~$arm_outcomes.csv is there): "
         "edits not yet saved to it are not in this build")]


@pytest.mark.parametrize(("table", "column", "typed", "hint"), [
    # An SD given as a percentage of the mean, a responder rate typed with its sign.
    ("arm_outcomes", "sd", "12%", ("(a percentage: a column that takes one, such as percent or i2, wants the number "
                                   "alone, 12; any other wants the value in its own units, not a percentage)")),
    ("arm_outcomes", "mean", "47.6 %", "wants the number alone, 47.6;"),
    # A number a spreadsheet took for a date (3.1 shown as "3-Jan"), and a date typed in.
    ("arm_outcomes", "mean", "3-Jan", ("(a date: this column takes a number; a spreadsheet turns a number such as "
                                       "3.1 or 1/3 into a date, so format the column as Text and retype the number")),
    ("arm_outcomes", "sd", "2025-03-01", "(a date: this column takes a number;"),
    ("arms", "n_randomised", "01/03/2025", "(a date: this column takes a number;"),
    # A timepoint typed with its unit, as the source words it.
    ("arm_outcomes", "timepoint_weeks", "6 wk", ("(weeks with their unit? write the number alone, 6; the source's "
                                                 "words go in timepoint_label)")),
    ("contrasts", "timepoint_weeks", "6 months", "(a time in months? write it in weeks: days divided by 7, a month 4"),
    ("arms", "n_randomised", "40 pts", ("(a number followed by words ('pts'): write the number alone, 40, in the "
                                        "column's own units, which the codebook beside the tables gives)")),
    # A count with the source's word for it, which is no unit.
    ("arm_outcomes", "n", "38 analysed", "(a number followed by words ('analysed'): write the number alone, 38, in"),
    # A mean copied with its SD or its interval, as a results table prints them.
    ("arm_outcomes", "mean", "32.5 (18.4)", ("(a value with its spread? write 32.5 here and 18.4 in the column of "
                                            "its own, sd or se as the source says which it is)")),
    ("arm_outcomes", "mean", "32.5 \u00b1 18.4", "write 32.5 here and 18.4 in the column of its own"),
    ("contrasts", "estimate", "-0.56 (-1.38 to 0.26)", ("(a value with its interval? write -0.56 here and the "
                                                        "bounds in ci_lb and ci_ub)")),
])
def test_a_percentage_or_a_date_in_a_number_cell_says_what_to_type(raw_copy: RawCopy, table: str, column: str,
                                                                   typed: str, hint: str) -> None:
    row = _with(raw_copy, table, column)
    raw_copy.set(table, row, column, typed)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (row, column)
    assert f"found '{typed}' " in problem.message and hint in problem.message


@pytest.mark.parametrize(("column", "typed", "expected"), [
    ("sd", "-5.7", "expected a number > 0, found '-5.7'"),
    ("sd", "0", "expected a number > 0, found '0' (0 for not reported? leave the cell empty)"),
    ("n", "0", ("expected a whole number > 0, found '0' (0 for not reported? leave the cell empty, and write "
                "not_reported in n_missing_reason)")),
    ("timepoint_weeks", "600", "expected a number >= 0 and <= 520, found '600'"),
])
def test_a_number_past_its_bound_is_told_the_bound_not_how_to_type_a_number(raw_copy: RawCopy, column: str,
                                                                           typed: str, expected: str) -> None:
    # A negative SD read "expected a number (use '.' for decimals and ASCII '-' for minus;
    # no thousands separator) > 0, found '-5.7'": advice on typing the minus sign for a
    # cell whose minus sign is the whole slip. A cell that is no number keeps the advice.
    row = _with(raw_copy, "arm_outcomes", column)
    raw_copy.set("arm_outcomes", row, column, typed)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (row, column)
    assert problem.message.endswith(expected)
    _, problem_text = rawdata.coerce_cell("six", {"type": "number", "exclusiveMinimum": 0})
    assert problem_text == ("expected a number (use '.' for decimals and ASCII '-' for minus; no thousands "
                            "separator) > 0, found 'six'")


@pytest.mark.parametrize(("table", "column"), [("arms", "n_randomised"), ("contrasts", "n1"), ("contrasts", "n2")])
def test_a_size_typed_as_not_reported_is_told_the_cell_that_says_why(raw_copy: RawCopy, table: str,
                                                                    column: str) -> None:
    # "NR" in a size cell: the report's "not reported" comes from n_missing_reason, which
    # the hint names, not from a word in place of the number.
    row = _with(raw_copy, table, column)
    raw_copy.set(table, row, column, "NR")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (row, column)
    assert problem.message.endswith("found 'NR' (leave the cell empty when the value is not reported, and write "
                                    "not_reported in n_missing_reason)"), problem.message


def test_a_number_cell_of_other_text_gets_no_percentage_or_date_hint() -> None:
    for typed in ("3,1", "abc", "March", "2025"):
        _, problem = rawdata.coerce_cell(typed, {"type": "number", "maximum": 100})
        assert problem is None or ("a percentage" not in problem and "a date" not in problem)


@pytest.mark.parametrize(("number", "letters"), [(1, "A"), (2, "B"), (12, "L"), (26, "Z"), (27, "AA"), (28, "AB"),
                                                 (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA"), (16384, "XFD")])
def test_a_column_number_gets_the_letter_a_spreadsheet_shows(number: int, letters: str) -> None:
    # By hand: Z is 26, AA is 26 + 1, ZZ is 26 * 26 + 26, and XFD is Excel's last column.
    assert rawdata.column_letter(number) == letters


@pytest.mark.parametrize("number", [0, -1])
def test_there_is_no_column_before_a(number: int) -> None:
    with pytest.raises(ValueError, match="from 1"):
        rawdata.column_letter(number)


def test_a_table_wider_than_26_columns_names_its_columns_in_two_letters(raw_copy: RawCopy) -> None:
    # arm_outcomes has 28 columns: a value right of them is in column 29, AC.
    records = [rec + [""] for rec in raw_copy.records("arm_outcomes")]
    assert len(records[0]) == 29
    records[1][-1] = "7"
    raw_copy.write("arm_outcomes", records)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert "found '7' in position 29 (AC)" in problem.message


def _chen_acupuncture_row(raw_copy: RawCopy) -> tuple[int, list[str]]:
    """The first arm result: a mean change and its SD, no n, every number cell right of
    the SD empty up to location; worked through by hand in the tests below."""
    records = raw_copy.records("arm_outcomes")
    header, record = records[0], records[1]
    cells = dict(zip(header, record))
    assert [header.index(c) + 1 for c in ("n", "mean", "sd", "se", "location", "quote", "confidence",
                                          "n_missing_reason", "notes")] == [
        9, 10, 11, 12, 24, 25, 26, 27, 28]  # columns I, J, K, L, X, Y, Z, AA, AB
    assert (cells["n"], cells["mean"], cells["sd"]) == ("", "-3.8", "1.2")
    assert not any(cells[c] for c in header[header.index("se"):header.index("location")])
    assert cells["location"] == "evidence table row 1" and cells["confidence"] == "low"
    return 2, record


def test_a_cell_added_among_empty_number_cells_says_why_the_run_is_long(raw_copy: RawCopy) -> None:
    # 1.5 typed before the SD. Cell 10, -3.8, cannot be n (a whole number), so nothing left
    # of it is too many; cell 26, the quote, cannot be a confidence code, so nothing right
    # of it is. Between, the 12 empty cells 13-24 (M-X) and the numbers 1.5 and 1.2 fit
    # either way (mean, sd and se all take them), so the types cannot narrow 10-26.
    row, record = _chen_acupuncture_row(raw_copy)
    record.insert(10, "1.5")
    records = raw_copy.records("arm_outcomes")
    records[row - 1] = record
    raw_copy.write("arm_outcomes", records)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert "taking out any one of cells 10-26 (J-Z) leaves every other cell valid in its column" in problem.message
    assert "The row cannot say which: '-3.8', cell 10 (J), would not be valid one column left, in 'n' (I)" in problem.message
    assert "cell 26 (Z), is not valid where it stands, in 'confidence' (Z)" in problem.message
    assert "(12 of them empty, 13-24 (M-X), which any column that may be empty takes)" in problem.message
    assert ("Check the filled cells of that run against the source, from the left ('-3.8' in 'mean' (J), '1.5' in "
            "'sd' (K), '1.2' in 'se' (L), 'evidence table row 1' in 'quote' (Y), ") in problem.message
    assert problem.message.endswith("the first not in its column is the cell too many, or an empty cell between it "
                                    "and the filled cell before it is")


def test_a_cell_lost_among_empty_number_cells_says_why_the_run_is_long(raw_copy: RawCopy) -> None:
    # The SD deleted: -3.8 (J) cannot be an SD, so no cell is missing left of K; the notes,
    # now in Z, cannot be a confidence code, so none right of it. The 12 empty cells 11-22
    # (K-V) fit either way.
    row, record = _chen_acupuncture_row(raw_copy)
    del record[10]
    records = raw_copy.records("arm_outcomes")
    records[row - 1] = record
    raw_copy.write("arm_outcomes", records)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert "with a cell put in at any one of columns 11-26 (K-Z) every other cell is valid" in problem.message
    assert "'-3.8', cell 10 (J), would not be valid one column right, in 'sd' (K)" in problem.message
    assert "cell 26 (Z), is not valid where it stands, in 'confidence' (Z)" in problem.message
    assert "(12 of them empty, 11-22 (K-V), which any column that may be empty takes)" in problem.message
    assert "from the left ('-3.8' in 'mean' (J), 'evidence table row 1' in 'source_id' (W), " in problem.message
    assert problem.message.endswith("the missing cell belongs between the first not in its column and the filled "
                                    "cell before it")


def test_a_shift_pinned_to_one_cell_gets_no_run_explained(raw_copy: RawCopy) -> None:
    dict(CASES)["cell-added-between-coded-columns"](raw_copy)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert "cannot say which" not in problem.message


def test_a_name_given_twice_in_a_header_alone_is_not_called_a_column_pasted_again(tmp_path: Path) -> None:
    # With no rows, the copies agree in every row only vacuously: nothing says they were
    # pasted, so the message says no row tells them apart.
    schema = rawdata.load_schemas(SCHEMAS)["treatments"]
    path = tmp_path / "treatments.csv"
    path.write_text("treatment,label,role,description,label\n", encoding="utf-8")
    rows, [problem] = rawdata.read_table(path, schema, "treatments.csv")
    assert rows == []
    assert "pasted" not in problem.message
    assert problem.message == ("expected each column once, found 'label' in positions 2 (B) and 5 (E); the table has "
                               "no rows to tell them apart: keep the column whose cells are 'label', and delete the "
                               "other")


@pytest.mark.parametrize(("typed", "found"), [
    ("0 to 365 days", "found '0 to 365 days'"),  # a range is scale_min and scale_max
    ("365", "found '365'"),
    ("days ", "remove the spaces around it"),
])
def test_a_unit_that_is_no_unit_is_named_by_file_row_and_column(raw_copy: RawCopy, typed: str, found: str) -> None:
    row = _first(raw_copy, "instruments")
    raw_copy.set("instruments", row, "unit", typed)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.column) == (f"{LABEL}/instruments.csv", row, "unit")
    assert found in problem.message and "a letter (A-Z, a-z, \u00b5), % or \u00b0 first" in problem.message
    assert f"{LABEL}/instruments.csv" in str(info.value) and f"row {row}" in str(info.value)


@pytest.mark.parametrize(("table", "column", "cells"), [
    ("instruments", "unit", ("its cells empty for a rating scale and the unit (days, kg) for an instrument in "
                             "natural units")),
    ("studies", "n_randomised", "its cells empty but for a study whose source gives only the whole study's total"),
    ("studies", "results_missing_reason",
     "its cells empty but for a study with no result rows whose reason the team knows"),
    ("arms", "n_missing_reason", "its cells empty but for an arm whose source gives no size (`not_reported`)"),
    ("arm_outcomes", "n_missing_reason",
     "its cells empty but for a row whose source gives no number of participants (`not_reported`)"),
    ("contrasts", "n_missing_reason", "its cells empty but for a result whose source gives no arm sizes (`not_reported`)"),
])
def test_a_table_from_before_a_column_was_documented_is_told_what_to_put_in_it(
        raw_copy: RawCopy, table: str, column: str, cells: str) -> None:
    # Refused as any table without a documented column is (its cells would pass as empty
    # if it was deleted), but one written before the column was documented (units, a
    # study's whole total) lacks it: the message says so, and what its cells hold, rather
    # than "put it back".
    raw_copy.drop_columns(table, column)
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.column) == (f"{LABEL}/{table}.csv", 1, column)
    assert problem.message.endswith(
        f"found no column '{column}', which a table written before the column was documented lacks: add it to the "
        f"header, {cells}")
    assert "put it back" not in problem.message


def test_an_instruments_table_without_its_unit_and_another_column_is_asked_about_both(raw_copy: RawCopy) -> None:
    raw_copy.drop_columns("instruments", "unit")
    # With another column gone too, the deletion is asked about, and the unit's cells said.
    raw_copy.drop_columns("instruments", "notes")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert problem.message.endswith(
        "found no columns 'unit' and 'notes' (their cells may stay empty where the source reports nothing, but the "
        "columns must be there): a column deleted? put it back; 'unit' may be new to this table: add it to the "
        "header, its cells empty for a rating scale and the unit (days, kg) for an instrument in natural units")


def test_the_codebook_says_what_a_table_without_the_unit_column_needs() -> None:
    from metareview.rawdata import codebook_markdown, load_schemas

    [line] = [x for x in codebook_markdown(load_schemas(SCHEMAS)).splitlines() if x.startswith("| `unit` |")]
    assert line.endswith("A header without it (a table written before it was documented) is refused: add it to "
                         "the header, its cells empty for a rating scale and the unit (days, kg) for an instrument "
                         "in natural units. |")


def test_a_unit_is_read_beside_a_range_or_without_one(raw_copy: RawCopy) -> None:
    row = _first(raw_copy, "instruments")
    raw_copy.set("instruments", row, "unit", "mm Hg")
    no_range = raw_copy.append_copy_of("instruments", row, instrument="kg_lost", scale_min="", scale_max="",
                                       unit="kg")
    raw = read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    units = {r["instrument"]: r.get("unit") for r in raw.rows("instruments")}
    assert units[raw_copy.get("instruments", row, "instrument")] == "mm Hg"
    assert units[raw_copy.get("instruments", no_range, "instrument")] == "kg"
    assert sum(u is not None for u in units.values()) == 2


# --------------------------------------------------------------------------- codes offered


CODES = {"acupuncture": "Acupuncture, active", "minimal_acupuncture": "Minimal acupuncture, sham",
         "electroacupuncture": "Electroacupuncture, active", "sham_acupuncture": "Sham acupuncture, sham",
         "sham_dry_needling": "Sham dry needling, sham", "dry_needling": "Dry needling, active",
         "RMDQ_0_23": "", "RMDQ_0_24": "", "RMDQ_modified": "", "RMDQ_version_not_stated": ""}


@pytest.mark.parametrize(("typed", "offered"), [
    # A word added: the code it holds before the one nearest in spelling (a sham).
    ("manual_acupuncture", ["acupuncture", "minimal_acupuncture"]),
    # The same letters in another case or with a separator: that code alone.
    ("Acupuncture", ["acupuncture"]),
    ("electro_acupuncture", ["electroacupuncture"]),
    # Two codes it holds: the longer, more specific, first.
    ("sham_dry_needling_3x", ["sham_dry_needling", "dry_needling"]),
    # A stem: the codes that hold it, shortest first, three at most.
    ("RMDQ", ["RMDQ_0_23", "RMDQ_0_24", "RMDQ_modified"]),
    # A letter off: spelling alone.
    ("dry_neddling", ["dry_needling"]),
    ("cupping", []),
])
def test_a_code_not_listed_is_offered_the_codes_it_may_stand_for(typed: str, offered: list[str]) -> None:
    assert rawdata.suggested_names(typed, list(CODES))[0] == offered


def test_a_code_offered_says_what_it_is_and_how_many_more_hold_a_stem() -> None:
    assert rawdata.meant("manual_acupuncture", CODES) == (
        "; did you mean 'acupuncture' (Acupuncture, active) or 'minimal_acupuncture' (Minimal acupuncture, sham)?")
    # A code with nothing to describe it is offered by its name alone.
    assert rawdata.meant("RMDQ", CODES) == ("; did you mean 'RMDQ_0_23', 'RMDQ_0_24' or 'RMDQ_modified', or another "
                                            "of the 4 listed codes with 'RMDQ' in them?")
    assert rawdata.meant("cupping", CODES) == ""


def test_a_claim_s_treatment_typed_with_a_word_added_is_offered_the_active_code_first(raw_copy: RawCopy) -> None:
    row = raw_copy.row("claims", lambda r: r["comparator"] != "")
    raw_copy.set("claims", row, "comparator", "manual_acupuncture")
    with pytest.raises(RawDataError) as err:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = [p for p in err.value.problems if p.column == "comparator"]
    assert problem.row == row and problem.message.endswith(
        "found 'manual_acupuncture'; did you mean 'acupuncture' (Acupuncture, active) or 'minimal_acupuncture' "
        "(Minimal acupuncture, sham)?")


def test_a_file_in_windows_1252_is_told_to_type_again_what_that_encoding_wrote_as_question_marks() -> None:
    # Saved as "CSV" in Windows-1252: '±' is the byte 0xb1, and a '−' the encoding lacks is
    # already '?'. Saving as UTF-8 mends the first, not the second: the message says so.
    from metareview.rawdata import _decode

    text, [problem] = _decode("quote\n\"?3.8 ± 1.2\"\n".encode("cp1252"), "arm_outcomes.csv")
    assert text is None and (problem.row, problem.column) == (2, "quote")
    assert "found byte 0xb1" in problem.message
    assert problem.message.endswith("save it as UTF-8, and type again any character that encoding lacks and wrote "
                                    "as '?', such as '\u2212' or '\u2265': the build warns where)")


def test_an_id_a_fill_series_counted_up_is_offered_the_id_it_was_copied_from(raw_copy: RawCopy) -> None:
    # Excel's fill handle, dragged down from 'Rajfur2022', writes Rajfur2023, 2024, 2025.
    # 'Rajfur2023' is as near 'Rajfur2022' as 'Rajfur2024', another trial, which alone was
    # offered: the id of the rows it was copied from comes first, and the series is named.
    rows = [r for r in range(2, len(raw_copy.records("arm_outcomes")) + 1)
            if raw_copy.records("arm_outcomes")[r - 1][0] == "Rajfur2022"]
    assert len(rows) >= 4
    for step, row in enumerate(rows[1:4], start=1):
        raw_copy.set("arm_outcomes", row, "study_id", f"Rajfur{2022 + step}")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    text = str(info.value)
    for row, typed in ((rows[1], "Rajfur2023"), (rows[3], "Rajfur2025")):
        assert (f"data/raw/arm_outcomes.csv, row {row}, column 'study_id' (A): expected a study_id listed in "
                f"studies.csv, found '{typed}'; did you mean 'Rajfur2022'? (the id 'Rajfur2022' of a row near it, "
                "counted up: a spreadsheet's fill series, dragged down in place of a copy?)") in text, text


def test_names_tied_for_closest_are_offered_together() -> None:
    from metareview.rawdata import _closest

    assert _closest("Lee2021", ["Lee2020", "Lee2022", "Park2021"]) == ["Lee2022", "Lee2020"]
    assert _closest("Lee2o21", ["Lee2021", "Lee2022"]) == ["Lee2021"]
    assert _closest("Smith", ["Lee2021"]) == []


def test_an_instrument_whose_rows_all_give_another_outcome_is_named_once(raw_copy: RawCopy) -> None:
    # Its outcome mistyped in instruments.csv, every row measured with it disagreed: a
    # problem on each (11 alike for one responder instrument), none on the row to fix.
    row = _first(raw_copy, "instruments", instrument="GERAC_responder")
    raw_copy.set("instruments", row, "outcome", "pain")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = [p for p in info.value.problems if p.column == "outcome"]
    assert (problem.file, problem.row) == (f"{LABEL}/instruments.csv", row)
    assert problem.message.startswith("expected the outcome the rows measured with it give, 'responder', found "
                                      "'pain': every row of instrument GERAC_responder gives 'responder' "
                                      f"({LABEL}/arm_outcomes.csv row ")
    assert problem.message.endswith("if they are right, this cell is the slip, else their outcome cells are")


def test_a_reason_for_missing_results_on_a_study_with_results_is_refused(raw_copy: RawCopy) -> None:
    # The reason says why a study has no result rows: on one that has them it contradicts
    # them, and the report would print it nowhere. Refused at its cell, with the rows.
    row = _first(raw_copy, "studies", study_id="Cherkin2009")
    raw_copy.set("studies", row, "results_missing_reason", "results not reported")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.column) == (f"{LABEL}/studies.csv", row, "results_missing_reason")
    assert problem.message.startswith("expected an empty cell for a study with result rows")
    assert "found 'results not reported', while 'Cherkin2009' has data/raw/arm_outcomes.csv row " in problem.message


def test_a_reason_for_missing_results_is_read_for_a_study_without_results(raw_copy: RawCopy) -> None:
    # The example's two trials with no result rows carry their reasons; a study with none
    # and no reason is as valid as before.
    data = read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    reasons = {r["study_id"]: r.get("results_missing_reason") for r in data.rows("studies")}
    assert reasons["Leibing2002"] and reasons["SatorKatzenschlager2004"]
    row = _first(raw_copy, "studies", study_id="Leibing2002")
    raw_copy.set("studies", row, "results_missing_reason", "")
    data = read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert not next(r for r in data.rows("studies") if r["study_id"] == "Leibing2002").get("results_missing_reason")


@pytest.mark.parametrize(("table", "sizes"), [
    ("arms", {"n_randomised": "40"}),
    ("arms", {"n_analysed": "38"}),
    ("arm_outcomes", {"n": "40"}),
    ("contrasts", {"n1": "40", "n2": "41"}),
])
def test_a_reason_for_a_blank_size_beside_a_size_is_refused(raw_copy: RawCopy, table: str,
                                                             sizes: dict[str, str]) -> None:
    # The reason says why a size is blank: beside one given it contradicts the row, and
    # the report would never print it. Refused at its cell, naming the size.
    row = _first(raw_copy, table, study_id="Brinkhaus2006")
    for column, value in sizes.items():
        raw_copy.set(table, row, column, value)
    raw_copy.set(table, row, "n_missing_reason", "not_reported")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = [p for p in info.value.problems if p.column == "n_missing_reason"]
    assert (problem.file, problem.row) == (f"{LABEL}/{table}.csv", row)
    given = " and ".join(f"{c} {v}" for c, v in sizes.items())
    assert problem.message == (f"expected an empty cell where the size is given ({given}), found 'not_reported': the "
                               "reason is for a blank size; clear the cell, or the size if the source does not give it")


def test_a_reason_for_a_blank_size_is_read_where_a_size_is_blank(raw_copy: RawCopy) -> None:
    # A contrast with one arm's size and not the other's still lacks a size; an arm row's
    # n blank beside its arm's size may say why; and any allowed value reads.
    row = _first(raw_copy, "contrasts", study_id="Brinkhaus2006")
    raw_copy.set("contrasts", row, "n1", "40")
    raw_copy.set("contrasts", row, "n_missing_reason", "not_extracted")
    data = read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    assert next(r for r in data.rows("contrasts") if r.row == row)["n_missing_reason"] == "not_extracted"
    # The example records the source as giving no size where it gives none, in all three tables.
    for table in ("arms", "arm_outcomes", "contrasts"):
        assert any(r.get("n_missing_reason") == "not_reported" for r in data.rows(table))


@pytest.mark.parametrize("table", ["arms", "arm_outcomes", "contrasts"])
def test_a_reason_for_a_blank_size_outside_the_list_is_refused(raw_copy: RawCopy, table: str) -> None:
    # Free words ("n missing from source") would decide nothing: only the listed values are read.
    row = _first(raw_copy, table, study_id="Brinkhaus2006")
    raw_copy.set(table, row, "n_missing_reason", "n missing from source")
    with pytest.raises(RawDataError) as info:
        read_raw(raw_copy.folder, SCHEMAS, label_prefix=LABEL)
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.column) == (f"{LABEL}/{table}.csv", row, "n_missing_reason")
    assert "expected one of 'not_reported', 'not_extracted'" in problem.message
    assert "found 'n missing from source'" in problem.message
