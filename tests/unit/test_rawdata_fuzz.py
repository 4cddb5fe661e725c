"""Property-based fuzzing of the raw-table reader.

Whatever bytes a raw table holds, :func:`read_table` returns ``(rows, problems)`` and
never raises; every problem says what was expected and what was found and points inside
the file; each data row is either returned or has a problem, never both; and rows made of
valid cells come back with exactly the values written.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metareview.rawdata import MAX_MAGNITUDE, Problem, Row, coerce_cell, load_schemas, read_table

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = load_schemas(REPO / "config" / "schemas" / "raw")
TABLES = sorted(SCHEMAS)
LABEL = "fuzz.csv"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_counter = itertools.count()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _write(folder: Path, data: bytes) -> Path:
    path = folder / f"t{next(_counter)}.csv"
    path.write_bytes(data)
    return path


def _csv(records: list[list[str]]) -> bytes:
    out = io.StringIO()
    # The writer quotes a lone carriage return only when told to quote everything.
    bare_cr = any("\r" in cell for record in records for cell in record)
    quoting = csv.QUOTE_ALL if bare_cr else csv.QUOTE_MINIMAL
    csv.writer(out, lineterminator="\n", quoting=quoting).writerows(records)
    return out.getvalue().encode("utf-8")


def _check_result(result: Any, n_records: int | None = None) -> tuple[list[Row], list[Problem]]:
    """What every call must return, whatever the input."""
    assert isinstance(result, tuple) and len(result) == 2
    rows, problems = result
    assert all(isinstance(r, Row) for r in rows)
    assert all(isinstance(p, Problem) for p in problems)
    for p in problems:
        assert p.file == LABEL
        assert p.row is None or p.row >= 1
        if n_records is not None and p.row is not None:
            assert p.row <= n_records + 1
        assert "expected" in p.message and "found" in p.message, p
    assert all(r.row >= 2 for r in rows)
    return rows, problems


# --------------------------------------------------------------------------- anything at all


@FUZZ
@given(table=st.sampled_from(TABLES), data=st.binary(max_size=2000))
def test_random_bytes_never_raise(scratch: Path, table: str, data: bytes) -> None:
    _check_result(read_table(_write(scratch, data), SCHEMAS[table], LABEL))


@FUZZ
@given(table=st.sampled_from(TABLES), text=st.text(max_size=1000))
def test_random_text_never_raises(scratch: Path, table: str, text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    _check_result(read_table(_write(scratch, data), SCHEMAS[table], LABEL))


@FUZZ
@given(table=st.sampled_from(TABLES), header_prefix=st.binary(max_size=20), data=st.data())
def test_real_header_then_random_bytes_never_raise(scratch: Path, table: str, header_prefix: bytes,
                                                   data: st.DataObject) -> None:
    header = ",".join(SCHEMAS[table]["properties"]).encode() + b"\n"
    body = data.draw(st.binary(max_size=1000))
    prefix = data.draw(st.sampled_from([b"", header_prefix]))
    _check_result(read_table(_write(scratch, prefix + header + body), SCHEMAS[table], LABEL))


def _random_cell() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=30),
        st.from_regex(r"[-+]?[0-9]{0,6}(\.[0-9]{0,4})?([eE][-+]?[0-9]{1,4})?", fullmatch=True),
        st.sampled_from(["", " ", "NA", "true", "=1+1", "\u22121", "1,5", "nan", "1e999", "9" * 5000]),
    )


@FUZZ
@given(table=st.sampled_from(TABLES), data=st.data())
def test_random_cells_are_each_returned_or_reported_at_their_place(scratch: Path, table: str,
                                                                    data: st.DataObject) -> None:
    schema = SCHEMAS[table]
    columns = list(schema["properties"])
    header = data.draw(st.permutations(columns))
    records = data.draw(st.lists(st.lists(_random_cell(), min_size=len(header), max_size=len(header)), max_size=6))
    rows, problems = _check_result(read_table(_write(scratch, _csv([header, *records])), schema, LABEL),
                                   n_records=len(records) + 1)
    returned = {r.row for r in rows}
    reported = {p.row for p in problems}
    for index, record in enumerate(records, start=2):
        if all(c.strip() == "" for c in record):
            assert index not in returned and index not in reported  # blank rows are skipped
            continue
        # coerce_cell is the oracle for single cells: the table reports exactly its verdicts.
        verdicts = {name: coerce_cell(cell, schema["properties"][name]) for name, cell in zip(header, record)}
        bad_cells = {name for name, (_, problem) in verdicts.items() if problem}
        empty_required = {name for name in schema.get("required", []) if verdicts[name][0] is None}
        at_row = {p.column for p in problems if p.row == index}
        assert at_row == bad_cells | empty_required
        assert (index in returned) == (not at_row)
        if index in returned:
            row = next(r for r in rows if r.row == index)
            assert dict(row.values) == {n: v for n, (v, _) in verdicts.items() if v is not None}


@FUZZ
@given(table=st.sampled_from(TABLES), column=st.data(), cell=_random_cell())
def test_coerce_cell_never_raises(table: str, column: st.DataObject, cell: str) -> None:
    spec = SCHEMAS[table]["properties"][column.draw(st.sampled_from(list(SCHEMAS[table]["properties"])))]
    value, problem = coerce_cell(cell, spec)
    if problem is not None:
        assert value is None and "expected" in problem and "found" in problem
    elif cell.strip() == "":
        assert value is None


# --------------------------------------------------------------------------- valid rows round-trip

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _plain_text(max_size: int, min_size: int = 1) -> st.SearchStrategy[str]:
    return (
        st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"),
                min_size=min_size, max_size=max_size)
        .filter(lambda s: s.strip() != "" and s[0] not in "=+-@\t\r")
    )


def _valid_value(spec: dict[str, Any]) -> st.SearchStrategy[tuple[str, Any]]:
    """A (cell text, parsed value) pair the schema accepts."""
    kind = spec.get("type", "string")
    if "enum" in spec:
        return st.sampled_from(spec["enum"]).map(lambda v: (str(v), v))
    if kind == "boolean":
        return st.sampled_from(["true", "false", "True", "FALSE"]).map(lambda t: (t, t.lower() == "true"))
    if kind == "integer":
        low = spec.get("minimum", spec.get("exclusiveMinimum", -(10**12) - 1) + 1)
        high = spec.get("maximum", spec.get("exclusiveMaximum", 10**12 + 1) - 1)
        return st.integers(low, high).map(lambda v: (str(v), v))
    if kind == "number":
        # A schema's own bounds, within the size every number cell is held to.
        floats = st.floats(
            min_value=spec.get("minimum", spec.get("exclusiveMinimum", -MAX_MAGNITUDE)),
            max_value=spec.get("maximum", spec.get("exclusiveMaximum", MAX_MAGNITUDE)),
            exclude_min="exclusiveMinimum" in spec,
            exclude_max="exclusiveMaximum" in spec,
            allow_nan=False,
            allow_infinity=False,
        )
        return floats.map(lambda v: (repr(v), v))
    if "pattern" in spec:
        texts = st.from_regex(spec["pattern"], fullmatch=True)
        texts = texts.filter(lambda s: not _CONTROL.search(s) and not _SURROGATE.search(s)
                             and s.strip() and s[0] not in "=+-@\t\r")
        return texts.map(lambda s: (s, s))
    texts = _plain_text(min(spec.get("maxLength", 80), 80), spec.get("minLength", 1))
    return texts.map(lambda s: (s, s))


@st.composite
def _valid_table(draw: st.DrawFn, table: str) -> tuple[list[str], list[dict[str, tuple[str, Any]]]]:
    schema = SCHEMAS[table]
    required = set(schema.get("required", []))
    # Every documented column, in any order: a header missing one is refused.
    columns = draw(st.permutations(list(schema["properties"])))
    rows = []
    for _ in range(draw(st.integers(1, 5))):
        row = {}
        for name in columns:
            if name in required or draw(st.booleans()):
                row[name] = draw(_valid_value(schema["properties"][name]))
        rows.append(row)
    return columns, rows


@FUZZ
@given(data=st.data(), table=st.sampled_from(TABLES))
def test_valid_rows_round_trip(scratch: Path, data: st.DataObject, table: str) -> None:
    columns, rows = data.draw(_valid_table(table))
    records = [columns] + [[row[c][0] if c in row else "" for c in columns] for row in rows]
    got, problems = _check_result(read_table(_write(scratch, _csv(records)), SCHEMAS[table], LABEL))
    assert problems == []
    assert [r.row for r in got] == list(range(2, len(rows) + 2))
    for row, parsed in zip(rows, got):
        assert parsed.table == table
        expected = {c: value for c, (_, value) in row.items()}
        assert dict(parsed.values) == expected
        for c, value in expected.items():
            assert type(parsed[c]) is type(value)
            if isinstance(value, float):
                assert math.copysign(1, parsed[c]) == math.copysign(1, value)


_ONE_LINE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda s: s.strip() != "" and s[0] not in "=+-@")


@FUZZ
@given(rows=st.lists(st.tuples(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True), _ONE_LINE),
                     min_size=1, max_size=5, unique_by=lambda r: r[0]),
       line_ending=st.sampled_from(["\n", "\r\n", "\r"]))
def test_line_endings_do_not_matter(scratch: Path, rows: list[tuple[str, str]], line_ending: str) -> None:
    records = [["treatment", "label", "role", "description"]] + [[code, label, "active", ""] for code, label in rows]
    out = io.StringIO()
    csv.writer(out, lineterminator=line_ending).writerows(records)
    got, problems = _check_result(read_table(_write(scratch, out.getvalue().encode()), SCHEMAS["treatments"], LABEL))
    assert problems == []
    assert [(r["treatment"], r["label"]) for r in got] == rows


def test_a_cell_beyond_the_csv_field_limit_is_a_problem(scratch: Path) -> None:
    big = "x" * (csv.field_size_limit() + 10)
    data = _csv([["treatment", "label", "role", "description"], ["a", "A", "active", big]])
    rows, problems = _check_result(read_table(_write(scratch, data), SCHEMAS["treatments"], LABEL))
    assert rows == [] and problems[0].row == 2


def test_an_unknown_column_with_a_huge_name_is_reported(scratch: Path) -> None:
    data = _csv([["treatment", "label", "role", "description", "y" * 100_000], ["a", "A", "active", "", ""]])
    rows, problems = _check_result(read_table(_write(scratch, data), SCHEMAS["treatments"], LABEL))
    assert rows == [] and [p.row for p in problems] == [1]
