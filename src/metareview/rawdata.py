"""Read and validate the raw study tables in ``data/raw/``.

The raw tables are CSV files a review team fills in by hand (see the codebook in
``data/raw/README.md``, generated from the JSON Schemas in ``config/schemas/raw/``).
This module reads them strictly, coerces each cell to the type its schema declares and
checks every row, every key and every cross-table reference before the workflow runs
anything, so that bad input stops the build before a single output is written.

Every problem is reported with the file, the row (spreadsheet numbering: the header is
row 1), the column, what was expected and what was found, and all problems are reported
at once rather than one per run: the checks across rows and tables run on every row
whose own cells are valid, whatever the other rows' problems, and leave out the rows
refused (:class:`LeftOut`), so that one bad cell is one problem, not one for each row
naming its row.

Only the standard library and PyYAML are imported: the workflow calls this module each
time it starts, and start-up time is what a no-op rebuild costs.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import functools
import io
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from metareview.checks import (
    KEYED_TABLES,
    column_letter,
    column_positions,
    half_unit,
    quote_numbers,
    quote_percent,
)

#: Tables in the order they are read; foreign keys only point to earlier tables.
TABLES: tuple[str, ...] = (
    "sources",
    "treatments",
    "instruments",
    "studies",
    "arms",
    "arm_outcomes",
    "contrasts",
    "statements",
    "claims",
    "risk_of_bias",
)

#: Tables whose rows belong to one study (and go into that study's bundle).
STUDY_TABLES: tuple[str, ...] = ("arms", "arm_outcomes", "contrasts", "statements", "risk_of_bias")

#: A raw table larger than this is refused: hand-filled extraction sheets are kilobytes,
#: and a runaway export should not be parsed into memory by every workflow start.
MAX_FILE_BYTES = 10 * 1024 * 1024

#: Maximum number of problems listed in one error message.
MAX_PROBLEMS = 50

#: The largest size a number cell may have, either side of 0. No count, score, interval
#: or ratio a study reports comes near it, and below it every square and product the
#: effect sizes take stays finite: an SD of 1e200 squares past the largest float, which
#: turned a study's SMD into 0.00 with no error.
MAX_MAGNITUDE = 1e15

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\udc80-\udcff]")
#: Spaces that look like a space or like nothing: no-break, figure and narrow no-break
#: spaces, zero-width characters, word joiner and a byte-order mark inside the text.
_INVISIBLE = re.compile("[\u00a0\u2007\u202f\u200b\u200c\u200d\u2060\ufeff]")
_INTEGER = re.compile(r"^[+-]?[0-9]+\Z")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
# Longer digit strings are no measurement (and int() refuses > 4300 digits).
_MAX_DIGITS = 100
_OTHER_SEPARATORS = (";", "\t", "|")
# With the dashes a table copied from a PDF or a word processor marks a gap with: the
# en and em dashes, the figure dash, the horizontal bar and the minus sign.
_NA_WORDS = frozenset({"na", "n/a", "nan", "nr", "n.r.", "none", "null", "-", "--", ".", "?", "#n/a", "missing",
                       "not reported", "inf", "-inf", "\u2013", "\u2014", "\u2012", "\u2015", "\u2212"})


@dataclass(frozen=True)
class Problem:
    """One validation problem, located in a raw file.

    ``positions`` are where ``column`` stands in the file's header as read, counted from 1:
    one for a column, one for each column of a key of several ("study_id/arm_id"), none
    where the header lacks the column or names it twice. They print as the spreadsheet
    letters a review team sees above the cell, "column 'mean' (J)": the letters of the
    file as saved, which may order its columns otherwise than the codebook does.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    positions: tuple[int, ...] = ()

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            # A name as read may hold what prints as nothing (a byte-order mark saved
            # twice, "\ufeffstudy_id"): shown, lest it read as the documented name.
            where += f", column '{_INVISIBLE.sub(_escaped, _CONTROL.sub(_escaped, self.column))}'"
            if self.positions:
                where += f" ({'/'.join(column_letter(p) for p in self.positions)})"
        return f"{where}: {self.message}"


class RawDataError(ValueError):
    """Raised when raw tables fail validation; carries every problem found.

    ``partial`` holds the rows that read (those refused left out, as ``left_out`` says),
    for checks that can still run on them, such as the config's against the tables;
    ``config`` is what those checks found, said after the tables' problems.
    """

    def __init__(self, problems: Sequence[Problem], *, notes: Sequence[str] = (),
                 partial: RawData | None = None, left_out: LeftOut | None = None,
                 config: str | None = None):
        self.problems = list(problems)
        self.notes = list(notes)
        self.partial = partial
        self.left_out = left_out
        self.config = config
        shown = self.problems[:MAX_PROBLEMS]
        lines = [f"{len(self.problems)} problem(s) in the raw data:"]
        lines += [f"  - {p}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  ... and {len(self.problems) - len(shown)} more")
        lines += notes
        if config:
            lines.append(f"Also in {config}")
        lines.append("Nothing was built. Fix the raw tables" + (" and the config, and" if config else " and")
                     + " run again.")
        super().__init__("\n".join(lines))

    def with_config(self, config: str) -> RawDataError:
        """The same problems, followed by the config's (a :class:`metareview.plan.ConfigError`'s
        text, which starts with the file it names)."""
        return RawDataError(self.problems, notes=self.notes, partial=self.partial,
                            left_out=self.left_out, config=config)


@dataclass(frozen=True)
class Row:
    """A validated row: typed values plus where it came from.

    ``text`` holds each filled number cell as it was typed (``"2.0"``, ``"0.90"``), the
    white space around it dropped: the typed value ``2.0`` has lost the digits a reader
    compares with the CSV and the paper, so every place that quotes a raw cell quotes this.
    """

    table: str
    row: int  # spreadsheet row number (header = 1)
    values: Mapping[str, Any]
    text: Mapping[str, str] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


@dataclass(frozen=True)
class RefusedRow:
    """A row refused for its own cells, kept for what it may still say of the others.

    The checks across rows and tables leave it out: whatever they found in it might be
    its refused cell's doing. The rows that name it are not faulted for naming a row
    that is not read either: one mistyped cell in ``studies.csv`` would otherwise make
    every row of its study a problem (:meth:`may_hold`).

    ``values`` are its valid cells, typed. ``record`` is None, or, for a row of another
    number of cells than the header, whose cells cannot be matched to their columns,
    its cells as typed, in order.
    """

    row: int
    values: Mapping[str, Any]
    record: tuple[str, ...] | None = None

    def get(self, column: str, default: Any = None) -> Any:
        """A valid cell's typed value, as :meth:`Row.get` (``default`` for a refused one)."""
        return self.values.get(column, default)

    def may_hold(self, columns: Sequence[str], key: Sequence[Any]) -> bool:
        """Whether the row may be the one whose ``columns`` hold ``key``, once fixed.

        A valid cell must equal its part of the key; a refused or empty one may hold
        anything, for what was meant is not known ("<b>needle</b>" typed over a
        treatment code leaves every row naming the code unmatched). A row whose cells
        cannot be matched to its columns may hold each part in any of its cells.
        """
        for column, value in zip(columns, key, strict=True):
            if column in self.values:
                if self.values[column] != value:
                    return False
            elif self.record is not None and str(value).strip() not in (cell.strip() for cell in self.record):
                return False
        return True


@dataclass
class LeftOut:
    """What the checks across rows and tables cannot see in a run that found problems in
    the tables' own cells: the tables not read row by row (``tables``: a file refused
    whole, by its encoding, its header or its separator, or a table that must have rows
    and has none) and each table's :class:`RefusedRow`\\ s (``rows``).

    A row naming a key that a table left out may hold is not held to it: it may name it
    right (:meth:`may_list`).
    """

    tables: set[str] = field(default_factory=set)
    rows: dict[str, list[RefusedRow]] = field(default_factory=dict)

    def may_list(self, table: str, columns: Sequence[str], key: Sequence[Any]) -> bool:
        """Whether ``table`` may list ``key`` in ``columns`` among what was left out."""
        return table in self.tables or any(r.may_hold(columns, key) for r in self.rows.get(table, ()))


@dataclass
class RawData:
    """All raw tables, validated, with the files they came from and the schemas they were
    read with (a review's codes, such as its outcome codes, are those of its schemas)."""

    directory: Path
    tables: dict[str, list[Row]] = field(default_factory=dict)
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Each table's header row as read from its file, for a problem found across rows
    #: and tables to give its column's place in that file (:func:`located`).
    headers: dict[str, list[str]] = field(default_factory=dict)

    def outcome_codes(self) -> list[str] | None:
        """The outcome codes the tables take (``outcome`` of ``instruments.schema.yaml``: an
        instrument's domain is the outcome of every result on it), or None if unlisted."""
        spec = self.schemas.get("instruments", {}).get("properties", {}).get("outcome", {})
        return list(spec["enum"]) if "enum" in spec else None

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])

    @property
    def study_ids(self) -> list[str]:
        return [r["study_id"] for r in self.rows("studies")]


# --------------------------------------------------------------------------- schemas


class SchemaError(ValueError):
    """A table's schema (``<table>.schema.yaml``) is missing or not a YAML mapping."""


def _yaml_kind(document: Any) -> str:
    """What a parsed YAML document is, in words ("an empty file", "a list"): a schema's
    editor reads YAML, not Python's type names ("NoneType")."""
    if isinstance(document, dict):
        return "no properties"
    if document is None:
        return "an empty file"
    if isinstance(document, list):
        return "a list"
    return f"a single value ({document!r})"


def load_schemas(schema_dir: Path | str) -> dict[str, dict[str, Any]]:
    """Load ``<table>.schema.yaml`` for every table in :data:`TABLES`.

    Raises
    ------
    SchemaError
        A schema is missing, unreadable, not valid YAML (its line and column named) or
        not a mapping: a review editing its schemas gets the file and place, not a
        traceback from the YAML parser.
    """
    schema_dir = Path(schema_dir)
    schemas = {}
    for table in TABLES:
        path = schema_dir / f"{table}.schema.yaml"
        # Named as the raw tables are, from the folder the build runs in where it can be.
        shown = path.relative_to(Path.cwd()) if path.is_absolute() and path.is_relative_to(Path.cwd()) else path
        try:
            with path.open(encoding="utf-8") as fh:
                # libyaml when available: the schemas are parsed at every workflow start.
                schema = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except FileNotFoundError:
            raise SchemaError(f"{shown}: expected the schema of table '{table}', found no file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SchemaError(f"{shown}: cannot read the schema ({getattr(exc, 'strerror', None) or exc})") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise SchemaError(f"{shown}{where}: expected valid YAML, found an error: {problem}") from None
        if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
            raise SchemaError(f"{shown}: expected a mapping with the table's 'properties', found {_yaml_kind(schema)}")
        schemas[table] = schema
    return schemas


def _describe_expected(spec: Mapping[str, Any], how_typed: bool = True) -> str:
    """What a cell of ``spec`` takes: "a number (use '.' for decimals ...) > 0".

    ``how_typed=False`` leaves out how a number is typed, for a cell that holds a number
    and fails only its bound: "expected a number > 0, found '-5.7'" says what is wrong,
    where the advice on decimals and minus signs between the two would read as if the
    minus sign were mistyped.
    """
    kind = spec.get("type", "string")
    if "enum" in spec:
        return "one of " + ", ".join(f"'{v}'" for v in spec["enum"])
    if kind == "integer":
        text = "a whole number"
    elif kind == "number":
        text = "a number (use '.' for decimals and ASCII '-' for minus; no thousands separator)" if how_typed \
            else "a number"
    elif kind == "boolean":
        return "'true' or 'false'"
    else:
        text = "text"
    bounds = []
    if "minimum" in spec:
        bounds.append(f">= {spec['minimum']}")
    if "exclusiveMinimum" in spec:
        bounds.append(f"> {spec['exclusiveMinimum']}")
    if "maximum" in spec:
        bounds.append(f"<= {spec['maximum']}")
    if "exclusiveMaximum" in spec:
        bounds.append(f"< {spec['exclusiveMaximum']}")
    if bounds:
        text += " " + " and ".join(bounds)
    return text


def _shorten(text: str, limit: int = 60) -> str:
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _escaped(match: re.Match[str]) -> str:
    """A character that prints as nothing, or as a space, as its code ("\\ufeff")."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 and _CONTROL.match(match.group()) else f"\\u{code:04x}"


def _quoted(text: str) -> str:
    """A cell as shown in messages: shortened, with invisible characters made visible (a
    no-break space, which spreadsheets and web pages paste, prints as a space)."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", _shorten(text))
    return "'" + _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "'"


@functools.lru_cache(maxsize=256)
def _compile_pattern(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns follow ECMA-262, where '$' only matches at the very end; Python's
    # '$' also matches before a final newline, which would let "Chen2022\n" pass as an id.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _na_hint(text: str, spec: Mapping[str, Any]) -> str:
    empty = "leave the cell empty when the value is not reported" + _reason_hint(spec)
    if _SPREADSHEET_ERROR.match(text.strip()):
        # Saved as text in the CSV: the formula behind the cell failed, and the number it
        # was to give, or its absence, is in the source.
        return (" (a spreadsheet's error value: the formula that filled the cell failed; type the number the "
                f"source gives, or {empty})")
    return f" ({empty})" if text.strip().lower() in _NA_WORDS else ""


def _reason_hint(spec: Mapping[str, Any]) -> str:
    # A size the source does not give is an empty cell, and its row's reason cell
    # (``x-missing-reason``) says so: the report's wording is taken from that cell, never
    # from a word typed in place of the number.
    reason = spec.get("x-missing-reason")
    return f", and write not_reported in {reason}" if reason else ""


#: The error values Excel, LibreOffice and Google Sheets save in place of a failed
#: formula's result (#N/A is among the words for not reported).
_SPREADSHEET_ERROR = re.compile(r"^(?:#(?:DIV/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|FIELD!|BLOCKED!|"
                                r"CONNECT!|BUSY!|UNKNOWN!|GETTING_DATA|ERROR!)|Err:\d{3})\Z", re.IGNORECASE)


_BOUND = re.compile(r"^(<=?|>=?|\u2264|\u2265|=)\s*(\S+)\Z")
#: The qualifier a bound's sign is written as: the codes say whether it is exact or a bound.
_QUALIFIER = {"<": "<", "<=": "<", "\u2264": "<", ">": ">", ">=": ">", "\u2265": ">", "=": "="}


def _bound_hint(text: str, spec: Mapping[str, Any]) -> str:
    """Where a bound typed into a number cell ("<0.03") goes: its number here, its sign in
    the column the schema names as the cell's qualifier (``x-qualifier``)."""
    qualifier = spec.get("x-qualifier")
    m = _BOUND.match(text.strip())
    if not qualifier or m is None or not _NUMBER.match(m.group(2)):
        return ""
    return f" (a bound? write {m.group(2)} here and '{_QUALIFIER[m.group(1)]}' in column {qualifier})"


_PERCENT = re.compile(r"^[-+]?(\d+(?:\.\d*)?|\.\d+)\s*%\Z")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
#: Dates as typed or as a spreadsheet shows a number it took for one ("3.1" → "3-Jan").
_DATE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}[-/ .]" + _MONTH
                   + r"(?:[-/ .]\d{2,4})?|" + _MONTH + r"[-/ .]\d{1,4})\Z", re.IGNORECASE)


_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
#: A number written with a decimal comma, or a thousands separator: "3,9", "1,200".
_DECIMAL_COMMA = re.compile(r"^([-+]?\d+),(\d+)\Z")
#: A value with its spread as a source prints it: "32.5 (18.4)", "32.5 ± 18.4".
_WITH_SPREAD = re.compile(rf"^({_NUM})\s*(?:\(\s*({_NUM})\s*\)|(?:\u00b1|\+/-|\+-)\s*({_NUM}))\Z")
#: A value with its interval: "32.5 (28.1 to 36.9)", "32.5 [28.1, 36.9]", "32.5 (28.1-36.9)".
_WITH_INTERVAL = re.compile(rf"^({_NUM})\s*[(\[]\s*{_NUM}\s*(?:to|,|;|-|\u2013)\s*{_NUM}\s*[)\]]\Z")
#: Two numbers a source prints together, typed into one cell: "2.5-5.5", "2.5 to 5.5".
_PAIR = re.compile(rf"^({_NUM})\s*(?:to|,|;|-|\u2013)\s*({_NUM})\Z")
#: Units of a timepoint typed beside its number ("6 wk"): weeks, then the other times.
_WEEK_WORDS = frozenset({"w", "wk", "wks", "week", "weeks"})
_TIME_WORDS = frozenset({"d", "day", "days", "mo", "mos", "mth", "mths", "month", "months", "y", "yr", "yrs", "year",
                         "years"})
#: A number with its unit: "6 wk", "8 weeks", "45mm".
_WITH_UNIT = re.compile(rf"^({_NUM})\s*([^\W\d_]+\.?)\Z")


def _shape_hint(text: str, spec: Mapping[str, Any] | None = None) -> str:
    """What a number cell that is not a number seems to hold, and what to type instead.

    A percentage sign (an SD given as a percentage of the mean, a responder rate typed
    "47.6%") and a date (a spreadsheet turns "3.1" into 3 January, and shows it "3-Jan")
    are the two common ones; a value copied with its spread or interval ("32.5 (18.4)")
    or typed with its unit ("6 wk") are the others. Each message says how to fix it.

    ``spec``, the column's schema, says where the numbers go when it knows better than
    the defaults: ``x-interval``, the columns of a bracketed pair after the value (a
    median's quartiles or range, not a mean's ci_lb and ci_ub), and ``x-pair``, the two
    columns of a pair typed into one of them ("2.5-5.5" in q1: q1 and q3), and
    ``x-interval-pair``, the interval's columns for a spread column (sd, se) that such a
    pair was typed into: "2.5-3.7" or "2.5 to 3.7" is an interval, not a spread.
    """
    spec = spec or {}
    text = text.strip()
    m = _DECIMAL_COMMA.match(text)
    if m:
        # A cell quoted as a spreadsheet of a decimal-comma locale saves it ("3,9"): an
        # unquoted one splits the row instead (_split_cell). Three digits after the
        # comma may be either a thousands separator or a decimal.
        if len(m.group(2)) == 3:
            return (f" (a thousands separator, or a decimal comma? write {m.group(1)}{m.group(2)} or "
                    f"{m.group(1)}.{m.group(2)}, as the source means)")
        return f" (a decimal comma? write {m.group(1)}.{m.group(2)})"
    m = _PERCENT.match(text)
    if m:
        return (f" (a percentage: a column that takes one, such as percent or i2, wants the number alone, "
                f"{m.group(1)}; any other wants the value in its own units, not a percentage)")
    if _DATE.match(text):
        return (" (a date: this column takes a number; a spreadsheet turns a number such as 3.1 or 1/3 into a "
                "date, so format the column as Text and retype the number the source prints)")
    m = _WITH_SPREAD.match(text)
    if m:
        spread = m.group(2) or m.group(3)
        return (f" (a value with its spread? write {m.group(1)} here and {spread} in the column of its own, sd or "
                "se as the source says which it is)")
    m = _WITH_INTERVAL.match(text)
    if m:
        where = spec.get("x-interval", "ci_lb and ci_ub")
        return f" (a value with its interval? write {m.group(1)} here and the bounds in {where})"
    m = _PAIR.match(text)
    pair = spec.get("x-pair")
    if m and pair:
        return f" (two numbers? write {m.group(1)} in {pair[0]} and {m.group(2)} in {pair[1]})"
    interval = spec.get("x-interval-pair")
    if m and interval:
        # A spread is one number: two, joined by a dash or "to", are a source's interval.
        return (f" (it looks like an interval: write {m.group(1)} in {interval[0]} and {m.group(2)} in {interval[1]}, "
                "its level in ci_level, and leave this cell empty)")
    m = _WITH_UNIT.match(text)
    if m:
        number, unit = m.group(1), m.group(2).rstrip(".").lower()
        if unit in _WEEK_WORDS:
            return f" (weeks with their unit? write the number alone, {number}; the source's words go in timepoint_label)"
        if unit in _TIME_WORDS:
            # Only timepoint_weeks holds a time: a time of another unit is not the number to keep.
            return (f" (a time in {unit}? write it in weeks: days divided by 7, a month 4 to 4.35 weeks; the "
                    "source's words go in timepoint_label)")
        # Not said to be a unit: the word may be one ('mm') or not ('38 analysed').
        return (f" (a number followed by words ('{m.group(2)}'): write the number alone, {number}, in the column's "
                "own units, which the codebook beside the tables gives)")
    return ""


def coerce_cell(raw: str, spec: Mapping[str, Any]) -> tuple[Any, str | None]:
    """Convert one CSV cell to the type of its schema; return ``(value, problem)``.

    An empty cell is ``None`` (missing). ``problem`` is ``None`` when the cell is valid and
    otherwise says what was expected and what was found. Never raises for any string.
    """
    if raw.strip() == "":
        return None, None
    kind = spec.get("type", "string")
    found = f"found {_quoted(raw)}"
    if _CONTROL.search(raw):
        return None, f"expected text without control characters, {found}"
    if kind in ("integer", "number", "boolean"):
        text = raw.strip()
        if kind == "integer":
            if not _INTEGER.match(text) or len(text) > _MAX_DIGITS:
                return None, (f"expected {_describe_expected(spec)}, {found}{_na_hint(text, spec)}{_shape_hint(text, spec)}"
                              f"{_whole_hint(text, spec)}")
            value: Any = int(text)
        elif kind == "number":
            if not _NUMBER.match(text) or len(text) > _MAX_DIGITS:
                return None, (f"expected {_describe_expected(spec)}, {found}{_na_hint(text, spec)}{_bound_hint(text, spec)}"
                              f"{_shape_hint(text, spec)}")
            value = float(text)
            if not math.isfinite(value):
                return None, f"expected a finite number, {found}"
        else:
            low = text.lower()
            if low not in ("true", "false"):
                return None, f"expected {_describe_expected(spec)}, {found}"
            return low == "true", None
        if abs(value) > MAX_MAGNITUDE:
            return None, (f"expected {'a whole number' if kind == 'integer' else 'a number'} between "
                          f"-{_size(MAX_MAGNITUDE)} and {_size(MAX_MAGNITUDE)} (no count, score or ratio a study "
                          f"reports comes near them), {found}: a cell typed or pasted wrong? check it against the "
                          "source")
        for key, ok in (
            ("minimum", lambda v, b: v >= b),
            ("exclusiveMinimum", lambda v, b: v > b),
            ("maximum", lambda v, b: v <= b),
            ("exclusiveMaximum", lambda v, b: v < b),
        ):
            if key in spec and not ok(value, spec[key]):
                # A 0 where only more will do (an SD, an SE, an n) is most often a cell
                # filled for "not reported", by hand or by a formula over an empty cell.
                hint = (f" (0 for not reported? leave the cell empty{_reason_hint(spec)})"
                        if value == 0 and key in ("minimum", "exclusiveMinimum") else "")
                if hint and re.search(r"[1-9]", re.split(r"[eE]", text)[0]):
                    # '1e-400' is no 0 typed: it lies below the smallest number a float
                    # holds, and reads as 0.
                    hint = " (too close to 0 for the computer's numbers, which read it as 0)"
                return None, f"expected {_describe_expected(spec, how_typed=False)}, {found}{hint}"
        return value, None
    # Text cells are kept exactly as written (raw data is never rewritten).
    value = raw
    if "enum" in spec and value in spec["enum"]:
        return value, None  # a listed code such as p_qualifier '=' is data, not a formula
    if _is_formula(raw):
        return None, (
            f"expected plain text, {found}: a cell starting with '=', '+', '-', '@', a tab or a "
            "carriage return is run as a formula by spreadsheet programs; reword it so that it "
            "starts with a letter, a digit or a quotation mark"
        )
    if "enum" in spec and value not in spec["enum"]:
        hint = ""
        if value.strip() in spec["enum"]:
            hint = " (remove the spaces around it)"
        elif value.lower() in {str(v).lower() for v in spec["enum"]}:
            hint = " (codes are case-sensitive)"
        return None, f"expected {_describe_expected(spec)}, {found}{hint}"
    if "pattern" in spec and not _compile_pattern(spec["pattern"]).search(value):
        what = f" ({spec['description']})" if spec.get("description") else ""
        # A space typed or pasted after an id is invisible in the sheet and easy to miss
        # between the quotation marks: said, as for a code and a reference.
        hint = (": remove the spaces around it" if value.strip() != value
                and _compile_pattern(spec["pattern"]).search(value.strip()) else "")
        return None, f"expected a value matching {spec['pattern']}{what}, {found}{hint}"
    if "maxLength" in spec and len(value) > spec["maxLength"]:
        return None, f"expected at most {spec['maxLength']} characters, found {len(value)} characters ({_quoted(value)})"
    if "minLength" in spec and len(value) < spec["minLength"]:
        return None, f"expected at least {spec['minLength']} characters, {found}"
    return value, None


def _size(bound: float) -> str:
    """A power of ten as a spreadsheet's scientific notation writes it: "1e15"."""
    return f"1e{math.log10(bound):.0f}"


_WHOLE_AS_DECIMAL = re.compile(r"^([+-]?[0-9]+)\.0+\Z")


def _whole_hint(text: str, spec: Mapping[str, Any]) -> str:
    """What to type for a whole number written with a decimal point ('24.0'), where that
    number is valid in the column.

    pandas writes an integer column that has an empty cell as decimals, so a table read
    and saved again by a script comes back with every count and year as '24.0'.
    """
    m = _WHOLE_AS_DECIMAL.match(text)
    if not m or len(text) > _MAX_DIGITS or coerce_cell(m.group(1), spec)[1] is not None:
        return ""
    return (f" (a whole number saved with decimals, as a script that read the column as decimal numbers writes it? "
            f"write {int(m.group(1))})")


def _is_formula(text: str) -> bool:
    """Whether a spreadsheet program would evaluate the cell as a formula (CSV injection).

    OWASP's list of trigger characters: '=', '+', '-', '@', tab and carriage return. A
    leading '-' is allowed only when the whole cell is a plain number, which a spreadsheet
    reads as that number (``-1+cmd|' /C calc'!A0`` starts with a number too, and is refused).
    """
    if not text or text[0] not in "=+-@\t\r":
        return False
    return not (text[0] == "-" and _NUMBER.match(text))


def _place(number: int) -> str:
    """A column counted from 1 with its spreadsheet letter: "12 (L)"."""
    return f"{number} ({column_letter(number)})"


def _named(header: Sequence[str], index: int) -> str:
    """The header's column at ``index`` (from 0) by name and spreadsheet letter: "'mean' (J)"."""
    return f"'{header[index]}' ({column_letter(index + 1)})"


def located(problems: Iterable[Problem], header: Sequence[str] | None) -> list[Problem]:
    """``problems`` of one file, each given the positions of its column in ``header``, the
    file's header row as read (:attr:`Problem.positions`).

    A column is placed where the file has it, not where the codebook lists it: a team
    that moved a column in its spreadsheet finds the cell under the letter it sees. A key
    of several columns ("study_id/arm_id") is placed at each; a name the header lacks,
    or holds twice, is left unplaced, as is every problem of a file whose header was not
    read (``header`` None). Positions already given are kept.
    """
    if header is None:
        return list(problems)
    return [replace(p, positions=column_positions(p.column, header)) if p.column is not None and not p.positions
            else p for p in problems]


# --------------------------------------------------------------------------- reading


def _read_bytes(path: Path, label: str) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or a problem; never reads more than :data:`MAX_FILE_BYTES` + 1."""
    limit_mb = MAX_FILE_BYTES / (1024 * 1024)
    try:
        if not path.exists():
            if path.is_symlink():
                return None, [Problem(label, None, None, "expected a file, found a broken symbolic link")]
            # A spreadsheet's "Save as" often leaves the table under another name beside
            # where it belongs ("arms (1).csv", "arms.CSV", "arms.csv.txt").
            stem = path.name.split(".")[0].lower()
            near = sorted(p.name for p in path.parent.glob("*") if p.is_file() and p.name != path.name
                          and p.name.lower().startswith(stem)) if path.parent.is_dir() else []
            hint = f" (the folder holds {', '.join(repr(n) for n in near[:3])}: renamed? name it {path.name})" if near else ""
            return None, [Problem(label, None, None, f"expected the file to exist, found nothing at this path{hint}")]
        if path.is_dir():
            return None, [Problem(label, None, None, "expected a CSV file, found a folder")]
        if not path.is_file():
            # Devices, pipes and sockets could stream without end (a link to /dev/zero).
            return None, [Problem(label, None, None, "expected a regular CSV file, found a device, pipe or socket")]
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            # Refused from its size alone: a runaway export is never read into memory.
            return None, [Problem(label, None, None, f"expected at most {limit_mb:g} MB, found {size / (1024 * 1024):.1f} MB "
                                  "(raw tables are hand-filled sheets of a few kilobytes)")]
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [Problem(label, None, None, f"expected a readable file, found an error: {exc.strerror or exc}")]
    if len(data) > MAX_FILE_BYTES:  # grew between stat() and read()
        return None, [Problem(label, None, None, f"expected at most {limit_mb:g} MB, found more")]
    return data, []


def _locate_bad_bytes(text: str) -> tuple[int | None, str | None, str, int]:
    """Spreadsheet row, column, cell and cell position (from 1) of the first undecodable
    byte in ``text``.

    ``text`` was decoded with ``surrogateescape``, so each bad byte is a lone surrogate.
    """
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        records = []
    header = records[0] if records else []
    for row, record in enumerate(records, start=1):
        for col, cell in enumerate(record):
            if _SURROGATE.search(cell):
                name = header[col] if row > 1 and col < len(header) and not _SURROGATE.search(header[col]) else None
                shown = cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                return row, name, shown, col + 1
    return None, None, "", 0


#: How a spreadsheet's own file format begins: the zip archive an .xlsx or .ods workbook
#: is, and the compound file of Excel 97-2003's .xls.
_WORKBOOKS = ((b"PK\x03\x04", "a zip archive, as an Excel (.xlsx) or LibreOffice (.ods) workbook is"),
              (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls)"))


def _decode(data: bytes, label: str) -> tuple[str | None, list[Problem]]:
    # Excel's "CSV UTF-8" always starts the file with a byte-order mark, and offers no
    # way to leave it out: it marks the encoding and is no part of the header's first
    # name, so it is read past (the file itself is never rewritten).
    data = data.removeprefix(b"\xef\xbb\xbf")
    workbook = next((kind for magic, kind in _WORKBOOKS if data.startswith(magic)), None)
    if workbook:
        # Saved under the table's name in the spreadsheet's own format ("Save" where
        # "Save as CSV" was meant, or a workbook renamed): its bytes are no text at all,
        # and "not valid UTF-8, save it as UTF-8" would send the reader the wrong way.
        return None, [Problem(label, 1, None, f"expected a CSV file, found {workbook}: open it in the spreadsheet "
                              "program and save the sheet as CSV UTF-8 (comma-separated) under this name")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(label, 1, None, "expected UTF-8, found UTF-16 (a UTF-16 byte-order mark); save the file as UTF-8")]
    head = data[:256]
    if head.count(0) * 4 >= len(head) > 0:
        # UTF-16 without a BOM puts a NUL beside every ASCII character; a stray NUL in
        # one cell is left to the cell checks, which can name its row and column.
        return None, [Problem(label, 1, None, "expected UTF-8 text, found NUL bytes (0x00) throughout: the file "
                              "is UTF-16 or not a text file; save it as CSV in UTF-8")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        row, column, cell, position = _locate_bad_bytes(data.decode("utf-8", "surrogateescape"))
        if row is None:
            row = data[: exc.start].count(b"\n") + 1
        where = f" in {_quoted(cell)}" if cell else ""
        return None, [Problem(label, row, column, f"expected UTF-8 text, found byte 0x{data[exc.start]:02x}{where}, "
                              "which is not valid UTF-8 (the file was saved in another encoding such as "
                              "Windows-1252 or Latin-1; save it as UTF-8, and type again any character that "
                              "encoding lacks and wrote as '?', such as '\u2212' or '\u2265': the build warns "
                              "where)", (position,) if column else ())]


_CSV_ERRORS = (
    ("unexpected end of data", "found a quotation mark that is never closed, so the rest of the file would be one cell"),
    ("expected after", "found text right after a closing quotation mark (inside a quoted cell, write a quotation mark as \"\")"),
    ("field larger than field limit", "found a cell longer than the CSV reader's limit"),
    ("new-line character seen in unquoted field", "found a bare carriage return inside an unquoted cell"),
)


def _parse_csv(text: str, label: str) -> tuple[list[list[str]], list[str], list[Problem]]:
    """The file's records, each record's text as it stands in the file, and a problem if
    the file is no well-formed CSV. The texts say which cells were quoted, which the
    records no longer do (:func:`_unquoted_cells`)."""
    records: list[list[str]] = []
    texts: list[str] = []
    lines: list[str] = []

    def source() -> Iterable[str]:
        for line in io.StringIO(text, newline=""):
            lines.append(line)
            yield line

    reader = csv.reader(source(), strict=True)
    start_line = 1
    try:
        for record in reader:
            records.append(record)
            texts.append("".join(lines[start_line - 1:reader.line_num]))
            start_line = reader.line_num + 1
    except csv.Error as exc:
        reason = str(exc)
        found = next((f for key, f in _CSV_ERRORS if key in reason), f"found: {reason}")
        spanned = reader.line_num - start_line + 1
        never_closed = "never closed" in found
        # The cell whose quotation mark runs past the end of the row's first line: where
        # the row starts to swallow the lines after it, and what the reader must fix.
        first_line = lines[start_line - 1] if len(lines) >= start_line else ""
        opened = _open_quote(first_line) if spanned > 1 or never_closed else None
        column = None
        position: tuple[int, ...] = ()
        where = ""
        if opened is not None:
            cell, snippet = opened
            header = records[0] if records else []
            if cell < len(header):
                column, position = header[cell], (cell + 1,)
            where = f"cell {_place(cell + 1)}, {_quoted(snippet)}"
        if never_closed and where:
            found += f": the one opening {where}"
        elif spanned > 1:
            opener = f"the quotation mark opening {where}" if where else "a quotation mark opened in it"
            found += f"; the row runs on over {spanned} lines, so {opener} is probably never closed"
        # A spreadsheet row is a CSV record: the failing one is the next after those read.
        return [], [], [Problem(label, len(records) + 1, column, f"expected well-formed CSV, {found}", position)]
    return records, texts, []


def _open_quote(line: str) -> tuple[int, str] | None:
    """The cell of ``line`` (position from 0) whose opening quotation mark is not closed
    on the line, with the line from that mark on; None if every quoted cell closes."""
    text = line.removesuffix("\n").removesuffix("\r")
    cell, i = 0, 0
    while True:
        if text.startswith('"', i):
            j = i + 1
            while True:
                k = text.find('"', j)
                if k < 0:
                    return cell, text[i:]
                if not text.startswith('"', k + 1):
                    break
                j = k + 2  # a doubled quotation mark inside the cell
            i = k + 1
        comma = text.find(",", i)
        if comma < 0:
            return None
        cell, i = cell + 1, comma + 1


def _unquoted_cells(text: str) -> list[bool]:
    """Which cells of one record's text, as it stands in the file, were not quoted.

    A comma can only be inside a cell that was written without quotation marks: beside a
    quoted cell it is a separator, so a split cell is only guessed where both its pieces
    were unquoted. ``text`` is a record :func:`_parse_csv` read without error, in the
    default dialect (a quotation mark opens a quoted cell only as its first character).
    """
    text = text.removesuffix("\n").removesuffix("\r")
    flags: list[bool] = []
    i = 0
    while True:
        if text.startswith('"', i):
            flags.append(False)
            i += 1
            while True:
                i = text.index('"', i) + 1
                if not text.startswith('"', i):
                    break
                i += 1  # a doubled quotation mark inside the cell
            comma = text.find(",", i)
        else:
            flags.append(True)
            comma = text.find(",", i)
        if comma < 0:
            return flags
        i = comma + 1


def _listed(items: Sequence[str]) -> str:
    """Items joined as a sentence lists them: "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _column_fits(cells: Sequence[str], name: str, props: Mapping[str, Any], required: Sequence[str]) -> bool:
    """Whether every cell of a column would be valid under the column ``name``."""
    return all(coerce_cell(c, props[name])[1] is None and (c.strip() or name not in required) for c in cells)


def _duplicate_problem(name: str, positions: Sequence[int], rows: Sequence[Sequence[str]], props: Mapping[str, Any],
                       required: Sequence[str], missing: Sequence[str]) -> tuple[str, str | None]:
    """What to say of a column name the header gives more than once: ``(message, meant)``,
    ``meant`` the missing column the message names as what one copy was meant to be.

    One message whatever the cause, saying what to do: the copies' cells are compared row
    by row, since copies that agree in every row are a column pasted twice (delete one),
    and copies that differ are a column renamed by mistake (rename it: to the one column
    the header lacks, where it lacks one, naming the copy whose cells are valid there
    when only one copy's are) or two versions of one column (keep the right one).
    """
    where = _listed([_place(i + 1) for i in positions])
    found = f"expected each column once, found '{name}' in positions {where}"
    columns = [[row[i] if i < len(row) else "" for row in rows] for i in positions]
    differ = [n for n, cells in enumerate(zip(*columns, strict=True), start=2) if len({c.strip() for c in cells}) > 1]
    if not differ and any(c.strip() for row in rows for c in row):
        some = "both" if len(positions) == 2 else "all"
        return (f"{found}, {some} holding the same cells in every row (a column pasted again?): delete "
                f"{'one of them' if len(positions) == 2 else 'all but one'}"), None
    if len(missing) == 1 and len(positions) == 2:
        meant = missing[0]
        fit = [i for i, cells in zip(positions, columns, strict=True) if _column_fits(cells, meant, props, required)]
        if len(fit) == 1:
            other = next(i for i in positions if i != fit[0])
            which = (f"its cells in position {_place(fit[0] + 1)} are valid as '{meant}', those in "
                     f"{_place(other + 1)} are not: rename the '{name}' in position {_place(fit[0] + 1)} to '{meant}'")
        else:
            which = f"rename the '{name}' whose cells are those of '{meant}' to '{meant}'"
        return f"{found}, and no column '{meant}': was one of them meant to be '{meant}'? {which}", meant
    # Row numbers count every record below the header, blank ones too, as a spreadsheet does.
    differ_at = (f"they differ in {len(differ)} row{'s' if len(differ) > 1 else ''} (the first, row {differ[0]})"
                 if differ else "the table has no rows to tell them apart")
    others = "others" if len(positions) > 2 else "other"
    lacks = (f", or rename it if it was meant as one of the columns the header lacks ({_listed([repr(m) for m in missing])})"
             if missing else "")
    return f"{found}; {differ_at}: keep the column whose cells are '{name}', and delete the {others}{lacks}", None


def _check_header(header: list[str], props: Mapping[str, Any], required: Sequence[str],
                  label: str, rows: Sequence[Sequence[str]] = ()) -> list[Problem]:
    """Problems of the header row; ``rows``, the records below it (for a name given twice,
    whose copies' cells say whether it was pasted twice or meant as another column)."""
    problems = []
    if header and header[0].lower().startswith("sep="):
        return [Problem(label, 1, None, f"expected the header row, found the spreadsheet hint {_quoted(header[0])}; "
                        "delete that first line")]
    if not any(name in props for name in header):
        expected = ", ".join(props)
        return [Problem(label, 1, None, f"expected the header row ({_shorten(expected, 120)}), found "
                        f"{_quoted(','.join(header))}: is the header row missing, or is this another table?")]
    seen: dict[str, int] = {}
    copies: dict[str, list[int]] = {}  # documented names given more than once, with their positions
    meant: set[str] = set()  # missing columns an unknown one seems to misspell
    for i, name in enumerate(header):
        if name in seen:
            if name in props:
                copies.setdefault(name, [seen[name]]).append(i)
            elif name.strip() == "":
                problems.append(Problem(label, 1, name, f"expected a column name, found an empty name in position "
                                        f"{_place(i + 1)} (a trailing comma?)"))
            continue  # an unknown name is said once, at its first position
        seen[name] = i
        if name not in props:
            if name.strip() == "":
                problems.append(Problem(label, 1, name, f"expected a column name, found an empty name in position {_place(i + 1)} "
                                        "(a trailing comma?)"))
                continue
            close = difflib.get_close_matches(name.strip().lower()[:100], list(props), n=1, cutoff=0.75)
            hint = ""
            if close:
                hint = f"; did you mean '{close[0]}'?"
                if close[0] not in header:
                    # Said here, and not again as a missing column: one misspelling, one problem.
                    meant.add(close[0])
                    hint += " (the header has no column of that name)"
                if name == "\ufeff" + close[0]:
                    # The first is read past as the encoding's mark; a second, from a
                    # program that added its own to a file that had one, is text.
                    hint = (f": a second byte-order mark, invisible, stands before '{close[0]}' (the file was saved "
                            "with a mark added to the one it had); retype the name")
            problems.append(Problem(label, 1, name, f"expected one of the documented columns ({', '.join(props)}), "
                                    f"found unknown column {_quoted(name)}{hint}"))
    # Every documented column, optional ones too: a column deleted in a spreadsheet would
    # otherwise pass as one whose cells were all left empty, and its values vanish unsaid.
    missing = [name for name in props if name not in seen and name not in meant]
    for name, positions in copies.items():
        # Said once, with what to do: a copy meant as the one missing column names it, and
        # that column is not said missing again.
        message, renamed = _duplicate_problem(name, positions, rows, props, required, missing)
        problems.append(Problem(label, 1, name, message))
        if renamed is not None:
            missing.remove(renamed)
    if missing:
        quoted = [f"'{name}'" for name in missing]
        names = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
        required_missing = [f"'{name}'" for name in missing if name in required]
        # A column documented after tables were written (x-if-missing) is absent from
        # those tables, not deleted: what goes in its cells is said, not "put it back".
        added = {name: " ".join(str(props[name]["x-if-missing"]).split()) for name in missing
                 if props[name].get("x-if-missing")}
        if required_missing:
            why = f" ({', '.join(required_missing)} required in every row)"
        else:
            why = (" (its cells may stay empty where the source reports nothing, but the column must be there)"
                   if len(missing) == 1 else
                   " (their cells may stay empty where the source reports nothing, but the columns must be there)")
        if len(missing) == 1 and added:
            why, fix = "", (f", which a table written before the column was documented lacks: "
                            f"{added[missing[0]]}")
        else:
            fix = ": a column deleted? put it back" + "".join(f"; '{n}' may be new to this table: {h}"
                                                             for n, h in added.items())
        problems.append(Problem(label, 1, missing[0] if len(missing) == 1 else None,
                                f"expected every documented column in the header, in any order: {','.join(props)}; "
                                f"found no column{'s' if len(missing) > 1 else ''} {names}{why}{fix}"))
    return problems


def read_table(path: Path | str, schema: Mapping[str, Any], label: str | None = None) -> tuple[list[Row], list[Problem]]:
    """Read one raw CSV table strictly and validate each row against its schema.

    Never raises for any file content: every defect comes back as a :class:`Problem`, its
    column placed where the file's header has it (:func:`located`).

    Parameters
    ----------
    path
        The CSV file (UTF-8, a byte-order mark allowed; comma-separated, header row first, at most
        :data:`MAX_FILE_BYTES`).
    schema
        JSON Schema of one row (``properties``, ``required``, ``additionalProperties``).
    label
        Name used in messages (defaults to the path).

    Returns
    -------
    rows, problems
        Typed rows (only those without problems) and every problem found.
    """
    rows, problems, header, _ = _read_table(path, schema, label)
    return rows, located(problems, header)


#: The lines git writes around the two versions of a merge conflict it cannot resolve
#: (and '|||||||' before the common ancestor's, in diff3 style), each on a line of its own.
_CONFLICT = re.compile(r"^(?:<{7}|\|{7}|>{7})(?: |\Z)|^={7}\Z")


def _conflict_problems(records: Sequence[Sequence[str]], label: str) -> list[Problem]:
    """One problem for each merge conflict git left in the file, at the row of its first
    marker line.

    Read as rows, its marker lines are rows of one cell and its two versions of a row two
    rows with one key: a cascade of cell counts and duplicate keys that hides the one fix,
    resolving the conflict.
    """
    markers = [(index, record[0]) for index, record in enumerate(records, start=1)
               if len(record) == 1 and _CONFLICT.match(record[0])]
    problems = []
    at = 0
    while at < len(markers):
        index, marker = markers[at]
        if marker.startswith("<"):
            end = next((j for j in range(at + 1, len(markers)) if markers[j][1].startswith(">")), len(markers) - 1)
            span = (f" (the two versions of the rows it opens end at row {markers[end][0]})"
                    if markers[end][1].startswith(">") else "")
            at = end + 1
        else:
            span = " (the other lines of its conflict are gone)"
            at += 1
        problems.append(Problem(label, index, None, f"expected a row of the table, found {_quoted(marker)}, a line git "
                                f"writes into a file where a merge conflict is left unresolved{span}: keep the "
                                "version of the rows that is right, and delete the other and the lines starting "
                                "'<<<<<<<', '=======' and '>>>>>>>'"))
    return problems


def _read_table(path: Path | str, schema: Mapping[str, Any], label: str | None = None
                ) -> tuple[list[Row], list[Problem], list[str] | None, list[RefusedRow] | None]:
    """:func:`read_table`, its problems not yet placed, the header row as read (None
    where the file gives none: unreadable, not UTF-8, empty, not well-formed CSV or not
    comma-separated), and the rows refused for their own cells (None where the file was
    refused before its rows were read one by one: its header, its separator, a merge
    conflict, ...)."""
    path = Path(path)
    label = label or str(path)
    table = str(schema.get("title", path.name)).removesuffix(".csv")
    data, problems = _read_bytes(path, label)
    if data is None:
        return [], problems, None, None
    text, problems = _decode(data, label)
    if text is None:
        return [], problems, None, None
    if text.strip() == "":
        return [], [Problem(label, 1, None, "expected a header row, found an empty file")], None, None
    props: Mapping[str, Any] = schema["properties"]
    required: list[str] = list(schema.get("required", []))
    records, texts, problems = _parse_csv(text, label)
    if problems:
        return [], problems, None, None
    problems = _conflict_problems(records, label)
    if problems:
        return [], problems, None, None
    header = records[0]
    if len(header) == 1 and any(sep in header[0] for sep in _OTHER_SEPARATORS):
        sep = next(s for s in _OTHER_SEPARATORS if s in header[0])
        hint = (" (as Excel saves a CSV in locales with decimal commas: set the separator to ',' and the decimal "
                "mark to '.' to save these files)" if sep == ";" else "")
        return [], [Problem(label, 1, None, f"expected comma-separated columns, found {sep!r} as the separator "
                            f"(header {_quoted(header[0])}){hint}")], None, None
    # A spreadsheet pads every row, the header's too, to the widest it has held: columns
    # past the last named one, with no name and no value, are no data. A value in one is.
    width = len(header)
    while width > 1 and header[width - 1].strip() == "":
        width -= 1
    if width < len(header):
        header, padded = header[:width], len(header)
        for index, record in enumerate(records[1:], start=2):
            extra = record[width:] if len(record) in (width, padded) else []
            if any(cell.strip() for cell in extra):
                pos, cell = next((width + i + 1, c) for i, c in enumerate(extra) if c.strip())
                problems.append(Problem(label, index, None, f"expected nothing right of the last named column "
                                        f"('{header[-1]}'), found {_quoted(cell)} in position {_place(pos)}, a column "
                                        "without a name in the header: name the column or clear the cell"))
            elif len(record) == padded:
                records[index - 1] = record[:width]
        if problems:
            return [], problems, header, None
    problems = _check_header(header, props, required, label, records[1:])
    if problems:
        return [], problems, header, None
    # Every row padded alike and the header not (a spreadsheet saved with empty columns
    # right of the table, the header typed or pasted apart): one problem, not one a row.
    filled = [(i, r) for i, r in enumerate(records[1:], start=2) if any(c.strip() for c in r)]
    widths = {len(r) for _, r in filled}
    if len(filled) > 1 and len(widths) == 1:
        found = widths.pop()
        if found > len(header) and not any(c.strip() for _, r in filled for c in r[len(header):]):
            return [], [Problem(label, filled[0][0], None, f"expected {len(header)} cells as in the header, found "
                                f"{found} in this row and every row after it (the {found - len(header)} past the last "
                                "column empty in each: trailing commas? delete them, or the cells right of the "
                                "table)")], header, None
    # What an empty cell of a reference should hold: "a treatment listed in treatments.csv"
    # says more than "text".
    wanted: dict[str, str] = {}
    for columns, target in (schema.get("x-foreign-keys") or {}).items():
        ttable, tcols = target.split(".", 1)
        cols, tcols_list = columns.split(","), tcols.split(",")
        scope = " for the row's " + ", ".join(cols[:-1]) if len(cols) > 1 else ""
        wanted.setdefault(cols[-1], f"{_article(tcols_list[-1])} listed in {ttable}.csv{scope}")
    rows: list[Row] = []
    refused: list[RefusedRow] = []
    for index, record in enumerate(records[1:], start=2):
        if not record or all(c.strip() == "" for c in record):
            continue  # blank lines between rows are harmless
        if record == header:
            problems.append(Problem(label, index, None, "expected a data row, found the header row again "
                                    "(were two files pasted together?)"))
            continue
        if len(record) != len(header):
            hint, column = _count_hint(record, header, props, required, _unquoted_cells(texts[index - 1]))
            problems.append(Problem(label, index, column, f"expected {len(header)} cells as in the header, "
                                    f"found {len(record)}{hint}"))
            refused.append(RefusedRow(index, {}, tuple(record)))
            continue
        values: dict[str, Any] = {}
        typed_as: dict[str, str] = {}
        ok = True
        for name, raw in zip(header, record, strict=True):
            value, problem = coerce_cell(raw, props[name])
            if problem:
                problems.append(Problem(label, index, name, problem))
                ok = False
            elif value is not None:
                values[name] = value
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    typed_as[name] = raw.strip()
        for name in required:
            if name not in values and not any(p.row == index and p.column == name for p in problems):
                problems.append(Problem(label, index, name, f"required, expected {wanted.get(name) or _describe_expected(props[name])}, "
                                        "found an empty cell"))
                ok = False
        if ok:
            rows.append(Row(table, index, values, typed_as))
        else:
            refused.append(RefusedRow(index, values))
    return rows, problems, header, refused


def _fits(cells: Sequence[str], header: Sequence[str], props: Mapping[str, Any], required: Sequence[str],
          skip: int | None = None) -> bool:
    """Whether every cell but the one in position ``skip`` is valid in its column."""
    for i, (name, cell) in enumerate(zip(header, cells, strict=True)):
        if i == skip:
            continue
        if coerce_cell(cell, props[name])[1] is not None or (name in required and not cell.strip()):
            return False
    return True


def _count_hint(record: Sequence[str], header: Sequence[str], props: Mapping[str, Any], required: Sequence[str],
                unquoted: Sequence[bool]) -> tuple[str, str | None]:
    """What a row of the wrong number of cells seems to have, for its message:
    ``(hint, column)``, the hint empty and the column None where the row does not tell.

    A row of one cell too many or too few is tried every way one cell could have been
    added or lost: those that leave every other cell valid in its column are where the
    row's cells start to be shifted. A split cell (an unquoted comma, a decimal comma, a
    thousands separator) is named only where both its pieces were unquoted in the file
    and no cell added elsewhere explains the row as well (:func:`_split_cell`); otherwise
    the message says where the cells look shifted, and guesses no cause the row gives no
    evidence of.
    """
    width, found = len(header), len(record)
    if found == 1 and any(sep in record[0] for sep in _OTHER_SEPARATORS):
        return " (this row seems to use another separator than ',')", None
    if len(unquoted) != found:  # not expected: the file was read as well-formed CSV
        unquoted = [True] * found
    if found == width + 1:
        # Positions whose cell, taken out, leaves every other cell valid in its column.
        extra = [k for k in range(found) if _fits([*record[:k], *record[k + 1:]], header, props, required)]
        split = _split_cell(record, header, props, required, unquoted, extra)
        if split is not None:
            return split
        if not record[-1].strip():
            # A trailing comma, or a cell added further left in a row whose last cell is
            # empty: the cells right of the one added would then be read shifted. The
            # cell added may be an empty one; each place that leaves a valid row is named.
            moved = [k for k in extra if k != found - 1]
            which = ("" if not moved else
                     f"cell {_place(moved[0] + 1)}, {_quoted(record[moved[0]]) if record[moved[0]].strip() else 'empty'},"
                     if len(moved) == 1 else f"one of cells {_positions(moved)}")
            if found - 1 in extra:
                hint = " (the 1 past the last column empty: a trailing comma? delete it"
                if moved:
                    hint += f"; or, if {which} is one too many, the cells from there on are shifted one column right"
                return hint + ")", None
            if moved:
                # Deleting the empty last cell would leave the cells right of the one
                # added in the wrong columns: not offered.
                return (f" ({which} seems one too many: the cells from there on are shifted one column right; the "
                        "cell past the last column is empty, but deleting it would leave them shifted)"), None
        inside = [k for k in extra if k < width]
        if inside:
            hint = _shift_hint(record, header, inside)
            if len(inside) > 1:
                hint += _why_open(record, header, props, required, inside[0], inside[-1], step=-1)
            return hint, header[inside[0]] if len(inside) == 1 else None
    elif found > width and not any(c.strip() for c in record[width:]):
        return (f" (the {found - width} past the last column empty: trailing commas? delete them, or the cells "
                "right of the table)"), None
    elif found > width + 1 and (split := _split_text_cell(record, header, props, required, unquoted)) is not None:
        return split
    elif found == width - 1:
        # Columns whose cell, if it were there, would leave every other cell valid in its column.
        lost = [k for k in range(width) if _fits([*record[:k], "", *record[k:]], header, props, required, skip=k)]
        if len(lost) == 1:
            return (f": column {_named(header, lost[0])} seems to have no cell: with one there every other cell is valid in "
                    "its column, without it the cells from there on are shifted one column left"), header[lost[0]]
        if lost:
            return (f": a cell seems missing at a column between {_named(header, lost[0])} and "
                    f"{_named(header, lost[-1])}, the "
                    f"cells from there on shifted one column left: with a cell put in at any one of columns "
                    f"{_positions(lost)} every other cell is valid in its column"
                    f"{_why_open(record, header, props, required, lost[0], lost[-1], step=1)}"), None
    # No one cell added or lost explains the row: where, read from the left, it stops fitting.
    first = next((i for i, (name, cell) in enumerate(zip(header, record, strict=False))
                  if coerce_cell(cell, props[name])[1] is not None), None)
    decimal = _decimal_commas(record, header, props, required, unquoted) if found > width else ""
    if first is None:
        return decimal, None
    return (f" (read from the left, the first cell not valid in its column is {_quoted(record[first])} in column "
            f"{_named(header, first)}: the cells seem shifted from there or before){decimal}"), None


def _decimal_commas(record: Sequence[str], header: Sequence[str], props: Mapping[str, Any],
                    required: Sequence[str], unquoted: Sequence[bool]) -> str:
    """" (a decimal comma? write 3.1, or quote "3,1")" where the row's cells too many are
    as many as some of its unquoted pairs of a number and a cell of 1 to 3 digits ("3",
    "1" and "1", "8" of 3,1 and 1,8 typed in a decimal-comma locale), each pair read as
    one decimal, that leave every cell valid in its column; else "".

    Two decimal commas or more make two cells too many or more, which no one split cell
    explains (:func:`_split_cell`): the row read "expected 27 cells as in the header, found
    29" with a shift the reader could not place. Pairs are tried together, as many as the
    cells too many, none sharing a cell (not read greedily from the left: "32", "3" of n
    and a mean split in two is a pair too); the first pair of the first set that fits is
    named, the same words for each set that fits.
    """
    extra = len(record) - len(header)
    candidates = [k for k in range(len(record) - 1)
                  if unquoted[k] and unquoted[k + 1] and _NUMBER.match(record[k].strip())
                  and re.fullmatch(r"[0-9]{1,3}", record[k + 1]) is not None]
    if extra < 1 or len(candidates) < extra or len(candidates) > 16:
        return ""
    for chosen in itertools.combinations(candidates, extra):
        if any(b - a < 2 for a, b in itertools.pairwise(chosen)):
            continue
        cells, k = [], 0
        while k < len(record):
            if k in chosen:
                cells.append(f"{record[k].strip()}.{record[k + 1]}")
                k += 2
            else:
                cells.append(record[k])
                k += 1
        if _fits(cells, header, props, required):
            a, b = record[chosen[0]].strip(), record[chosen[0] + 1]
            return f' (a decimal comma? write {a}.{b}, or quote "{a},{b}")'
    return ""


def _positions(positions: Sequence[int]) -> str:
    """Positions (from 0) counted from 1 with their spreadsheet letters, runs shortened:
    "10-13 (J-M), 15 (O)"."""
    runs: list[list[int]] = []
    for k in sorted(positions):
        if runs and k == runs[-1][-1] + 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    return ", ".join(_place(r[0] + 1) if len(r) == 1 else
                     f"{r[0] + 1}-{r[-1] + 1} ({column_letter(r[0] + 1)}-{column_letter(r[-1] + 1)})" for r in runs)


#: Filled cells a message on a shifted row lists for checking against the source.
_CELLS_TO_CHECK = 6


def _why_open(record: Sequence[str], header: Sequence[str], props: Mapping[str, Any], required: Sequence[str],
              first: int, last: int, *, step: int) -> str:
    """Why a row's shift is pinned to a run of positions rather than one, and what to check.

    ``first`` and ``last`` (from 0) are the ends of the run: the cells of a row with one
    cell too many (``step`` -1: a shifted cell belongs one column left of where it
    stands), or the columns of a row one cell short (``step`` 1: one column right).
    The positions that explain the row are always such a run, bounded by the cells that
    fit one reading only: left of it a cell that would not be valid shifted, right of it
    one that is not valid where it stands. Every cell between is valid both ways, most
    often because it is empty (an empty cell is valid in any column that may be empty),
    so no reading of the row's types can narrow the run further: another check would be
    a guess. What can narrow it is the source, so the message lists the run's filled
    cells with the columns they stand in, for the reader to compare in order.
    """
    def valid(cell: str, name: str) -> bool:
        return coerce_cell(cell, props[name])[1] is None and (bool(cell.strip()) or name not in required)

    side = "left" if step < 0 else "right"
    left = first if step < 0 else first - 1  # the last cell that fits unshifted only
    bounds = []
    if 0 <= left < len(record) and 0 <= left + step < len(header) and not valid(record[left], header[left + step]):
        bounds.append(f"{_quoted(record[left])}, cell {_place(left + 1)}, would not be valid one column {side}, in "
                      f"{_named(header, left + step)}")
    if last < min(len(record), len(header)) and not valid(record[last], header[last]):
        bounds.append(f"{_quoted(record[last])}, cell {_place(last + 1)}, is not valid where it stands, in "
                      f"{_named(header, last)}")
    between = range(left + 1, min(last, len(record)))
    empty = [k for k in between if not record[k].strip()]
    why = ", and ".join(bounds) + (", but " if bounds else "")
    why += "every cell between is valid both where it stands and one column " + side
    if empty:
        why += (f" ({len(empty)} of them empty, {_positions(empty)}, which any column that may be empty takes)"
                if len(empty) > 1 else f" (cell {_place(empty[0] + 1)} empty, which any column that may be empty "
                                       "takes)")
    # A row one cell short lists the cell left of the run too: in place, it is where the
    # reader's comparison starts ("the filled cell before it").
    start = first if step < 0 else max(left, 0)
    filled = [k for k in range(start, min(last + 1, len(record))) if record[k].strip()]
    listed = [f"{_quoted(record[k])} in {_named(header, k)}" for k in filled[:_CELLS_TO_CHECK]]
    if len(filled) > _CELLS_TO_CHECK:
        listed.append(f"and {len(filled) - _CELLS_TO_CHECK} more")
    where = ("the first not in its column is the cell too many, or an empty cell between it and the filled cell "
             "before it is" if step < 0 else
             "the missing cell belongs between the first not in its column and the filled cell before it")
    check = (f" Check the filled cells of that run against the source, from the left ({', '.join(listed)}): {where}"
             if listed else "")
    return f". The row cannot say which: {why}.{check}"


def _shift_hint(record: Sequence[str], header: Sequence[str], extra: Sequence[int]) -> str:
    """Where a row of one cell too many seems to have it: ``extra``, the positions whose
    cell taken out leaves every other cell valid in its column."""
    if len(extra) == 1:
        k = extra[0]
        return (f": cell {_place(k + 1)}, {_quoted(record[k])}, seems to be one too many: without it every other cell is "
                f"valid in its column, with it the cells from column {_named(header, k)} on are shifted one column right")
    return (f": a cell seems added at a column between {_named(header, extra[0])} and {_named(header, extra[-1])}, "
            "the cells "
            f"from there on shifted one column right: taking out any one of cells {_positions(extra)} leaves every "
            "other cell valid in its column")


def _split_cell(record: Sequence[str], header: Sequence[str], props: Mapping[str, Any],
                required: Sequence[str], unquoted: Sequence[bool],
                extra: Sequence[int]) -> tuple[str, str | None] | None:
    """Which cell of a row with one cell too many an unquoted comma split, when the row
    tells: ``(hint, column)``, or None.

    Each column is tried as the one split in two: the cells left of it read as their
    columns, those right of it as the next columns, and the two pieces as its cell (a
    decimal comma, "3,5", as 3.5 in a number; "1,872" as 1872 in a whole number). Only
    pieces both unquoted in the file (``unquoted``) can be one cell, and only where no
    filled cell left of them is among ``extra``, the positions whose cell taken out leaves
    a valid row: a cell added further left shifts the cells right of it, and where those
    are empty or text, a split column right of it fits the row just as well, so a row a
    filled cell further left also explains gets no split named. A text cell is named split
    only if no filled cell right of the pieces is among them either: text takes any
    pieces, and where the second is valid in the next column too ("Chen et al. (2022)",
    "2022" in label and year), a cell added is as likely as a comma. A number so split
    is named when it is the only one that makes every cell valid: a text cell takes any
    pieces, so text columns that do so too are no evidence against it. Otherwise a text
    column is named when it alone makes every cell valid, two or three neighbouring ones
    together; else (empty cells that shift unseen) nothing is said rather than a guess.
    """
    found: list[tuple[int, str]] = []
    for j, name in enumerate(header):
        left, right = record[j], record[j + 1]
        if not left.strip() or not right.strip():
            continue  # a comma inside a cell leaves text on both sides of it
        if not (unquoted[j] and unquoted[j + 1]) or any(k < j and record[k].strip() for k in extra):
            continue
        cells = [*record[:j], f"{left},{right}", *record[j + 2:]]
        if not _fits(cells, header, props, required, skip=j):
            continue
        kind = props[name].get("type", "string")
        if kind == "number" and coerce_cell(f"{left.strip()}.{right.strip()}", props[name])[1] is None:
            found.append((j, f"a decimal comma? write {left.strip()}.{right.strip()}"))
        elif (kind == "integer" and re.fullmatch(r"[0-9]{3}", right.strip())
              and coerce_cell(left.strip() + right.strip(), props[name])[1] is None):
            found.append((j, f"a thousands separator? write {left.strip()}{right.strip()}"))
        elif (kind not in ("number", "integer", "boolean") and coerce_cell(f"{left},{right}", props[name])[1] is None
              and not any(k > j + 1 and record[k].strip() for k in extra)):
            found.append((j, f'quote a cell that contains a comma: "{_shorten(left + "," + right, 40)}"'))
    numbers = [f for f in found if not f[1].startswith("quote")]
    if len(numbers) == 1:
        found = numbers
    if len(found) == 1:
        j, what = found[0]
        return (f": the comma in {_quoted(record[j] + ',' + record[j + 1])} seems to split column "
                f"{_named(header, j)} in two ({what})"), header[j]
    if 1 < len(found) <= 3 and found[-1][0] - found[0][0] < len(found):
        names = ", ".join(_named(header, j) for j, _ in found)
        return (f": an unquoted comma in one of the neighbouring columns {names} seems to split a cell in two "
                "(quote cells that contain commas; write decimals with '.')"), None
    return None


def _split_text_cell(record: Sequence[str], header: Sequence[str], props: Mapping[str, Any],
                     required: Sequence[str], unquoted: Sequence[bool]) -> tuple[str, str | None] | None:
    """Which text cell of a row with two or more cells too many its unquoted commas split,
    when the row tells: ``(hint, column)``, or None.

    A quote or a note with two commas, left unquoted, is three cells: :func:`_split_cell`
    tries one comma only, and such a row read "expected 27 cells as in the header, found
    29" with no column, or with a shift pinned on the column after it. Each text column
    is tried as the one split: its pieces (each unquoted in the file and not empty, as
    text on both sides of a comma is) joined back, the cells right of them read as their
    columns. Only pieces read as prose are tried, a space after at least one comma: cells
    typed in ("Chen et al. (2022)", "x", "y") are text beside text too. A column is named
    where it alone makes every cell valid, or where it alone does so with a space after
    each of its commas (beside a cell of text that would take the pieces as well); two or
    three neighbouring ones are named together; else nothing is said rather than a guess.
    """
    pieces = len(record) - len(header) + 1
    fits: list[int] = []
    for j, name in enumerate(header):
        if props[name].get("type", "string") in ("number", "integer", "boolean") or "enum" in props[name]:
            continue
        parts = record[j:j + pieces]
        if not all(part.strip() for part in parts) or not all(unquoted[j:j + pieces]):
            continue
        # Prose puts a space after a comma, a CSV writer none after its separator: pieces
        # with no space after any comma are as likely cells typed in (a row's "x", "y").
        if not any(part[:1].isspace() for part in parts[1:]):
            continue
        cells = [*record[:j], ",".join(parts), *record[j + pieces:]]
        if _fits(cells, header, props, required):
            fits.append(j)
    # Text beside text fits either way (a location and the quote after it); a comma in
    # prose is followed by a space, where a CSV writer puts none after its separator.
    spaced = [j for j in fits if all(part[:1].isspace() for part in record[j + 1:j + pieces])]
    if len(spaced) == 1:
        fits = spaced
    if len(fits) == 1:
        j = fits[0]
        joined = ",".join(record[j:j + pieces])
        return (f": the {pieces - 1} commas in {_quoted(joined)} seem to split column {_named(header, j)} into "
                f"{pieces} cells (quote a cell that contains a comma: \"{_shorten(joined, 40)}\")"), header[j]
    if 1 < len(fits) <= 3 and fits[-1] - fits[0] < len(fits):
        names = ", ".join(_named(header, j) for j in fits)
        return (f": unquoted commas in one of the neighbouring columns {names} seem to split a cell into {pieces} "
                "(quote cells that contain commas)"), None
    return None


# --------------------------------------------------------------------------- checks


def _key(row: Row | RefusedRow, columns: Sequence[str]) -> tuple[Any, ...]:
    return tuple(row.get(c) for c in columns)


def _listing(values: Iterable[Any], limit: int = 8) -> str:
    values = sorted({str(v) for v in values})
    shown = ", ".join(f"'{v}'" for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "") if values else "none"


def _article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _rows_named(rows: Sequence[str], limit: int = 3) -> str:
    """"arm_outcomes.csv row 7, arm_outcomes.csv row 8, contrasts.csv row 3 and 9 more": the first
    rows of a list, then how many more."""
    shown = ", ".join(rows[:limit])
    return shown + (f" and {len(rows) - limit} more" if len(rows) > limit else "")


def _closest(value: str, names: Sequence[str]) -> list[str]:
    """The names ``value`` most likely misspells: none, or those tied for closest, in
    order (:func:`difflib.get_close_matches`). Compared without letter case, which an id
    typed 'Aspmr2024' for 'ASPMR2024' differs in throughout (too much for a match with
    case).

    A tie is kept whole: 'Rajfur2023' is as near 'Rajfur2022' as 'Rajfur2024', another
    trial, which alone was offered (the later name wins difflib's ties)."""
    folded: dict[str, str] = {}
    for name in names:
        folded.setdefault(name.lower(), name)
    close = difflib.get_close_matches(value.lower(), list(folded), n=5, cutoff=0.8)
    if not close:
        return []

    def ratio(name: str) -> float:
        return difflib.SequenceMatcher(None, name, value.lower()).ratio()

    best = ratio(close[0])
    return [folded[name] for name in close if ratio(name) == best]


#: An id ending in a number a spreadsheet's fill handle counted up, copied down a column:
#: its stem, then the number.
_COUNTED = re.compile(r"^(.*?)(\d+)$")


def _filled_series(value: str, neighbours: Iterable[str]) -> str | None:
    """The neighbouring row's id that ``value`` continues as a fill series ('Rajfur2022'
    for 'Rajfur2023', 'Rajfur2024' ...): the same stem, its number counted up from the
    neighbour's; else None. Excel's fill handle, dragged down from a cell ending in a
    number, counts it up rather than copying it."""
    mine = _COUNTED.match(value)
    if not mine:
        return None
    for other in neighbours:
        theirs = _COUNTED.match(other)
        if (theirs and theirs.group(1) == mine.group(1) and other != value
                and 0 < int(mine.group(2)) - int(theirs.group(2)) <= 20):
            return other
    return None


def _extending(value: str, names: Sequence[str]) -> list[str]:
    """The names that begin with ``value`` followed by a separator ('RMDQ_0_24' for
    'RMDQ'), compared without letter case: a code typed as its stem."""
    stem = value.strip().lower()
    return sorted(n for n in names if len(stem) >= 2 and n.lower().startswith(stem)
                  and n[len(stem):len(stem) + 1] in ("_", "-", "."))


_WORD_BREAKS = re.compile(r"[^0-9a-z]+")


def _words(name: str) -> tuple[str, ...]:
    """The words of a code, letter case aside: 'manual_acupuncture' is ('manual',
    'acupuncture'); '_', '-', '.' and spaces separate them."""
    return tuple(w for w in _WORD_BREAKS.split(name.lower()) if w)


def _holds(whole: Sequence[str], part: Sequence[str]) -> bool:
    """Whether the words ``part`` stand together, in order, among the words ``whole``."""
    return 0 < len(part) <= len(whole) and any(tuple(whole[i:i + len(part)]) == tuple(part)
                                               for i in range(len(whole) - len(part) + 1))


def suggested_names(value: str, names: Sequence[str], limit: int = 3) -> tuple[list[str], int]:
    """The listed names ``value`` may stand for, best first, at most ``limit`` of them,
    and how many names hold it as a word when some of those are left out (else 0).

    A name of the same letters (another case, a separator added or dropped:
    'electro_acupuncture' for 'electroacupuncture') is offered alone: it is the one meant.
    Else first the names ``value`` holds as whole words ('acupuncture' in
    'manual_acupuncture', a word added), the longest first; then those that hold ``value``
    so ('RMDQ_0_24' for 'RMDQ', a code typed short), the shortest first; last, names close
    in spelling (a similarity of 0.8: a letter or two off). Spelling alone offered
    'minimal_acupuncture', a sham, for 'manual_acupuncture' meant as 'acupuncture'.
    """
    typed = _words(value)
    listed = sorted(dict.fromkeys(names), key=lambda n: (n.lower(), n))
    same = [n for n in listed if typed and _words(n) and "".join(_words(n)) == "".join(typed)]
    if same:
        return same[:1], 0
    held = sorted((n for n in listed if _holds(typed, _words(n))), key=lambda n: (-len(n), n.lower()))
    holding = sorted((n for n in listed if _holds(_words(n), typed)), key=lambda n: (len(n), n.lower()))
    close = [n for n in _near(value, listed, limit) if n not in (*held, *holding)]
    offered = [*held, *holding, *close][:limit]
    return offered, len(holding) if any(n not in offered for n in holding) else 0


def _near(value: str, names: Sequence[str], limit: int) -> list[str]:
    """Up to ``limit`` of ``names`` close to ``value`` in spelling, letter case aside."""
    folded: dict[str, str] = {}
    for name in names:
        folded.setdefault(name.lower(), name)
    return [folded[n] for n in difflib.get_close_matches(value.lower(), list(folded), n=limit, cutoff=0.8)]


#: The tables whose codes a hint says the meaning of, with the columns that give it: a
#: code near in spelling may mean something else entirely ('minimal_acupuncture', a
#: sham, offered for 'manual_acupuncture' meant as 'acupuncture').
DESCRIBED: dict[str, tuple[str, ...]] = {"treatments": ("label", "role"), "instruments": ("label",)}


def code_descriptions(data: RawData, table: str, key: str) -> dict[str, str]:
    """Each code of ``table`` (one of :data:`DESCRIBED`; ``key`` its code column) with
    what it is, as a hint prints it beside the code: ``{"minimal_acupuncture": "Minimal
    acupuncture, sham"}``. A code whose cells are empty is described by nothing ("")."""
    return {str(r[key]): ", ".join(str(r.get(c)) for c in DESCRIBED[table] if r.get(c) not in (None, ""))
            for r in data.rows(table)}


def meant(value: str, descriptions: Mapping[str, str], limit: int = 3) -> str:
    """``; did you mean 'acupuncture' (Acupuncture, active) or 'minimal_acupuncture'
    (Minimal acupuncture, sham)?`` for a code not listed, each candidate of
    :func:`suggested_names` with what it is, else "".

    A hint that named a code alone was taken on trust: the sham it offered for an active
    treatment turned a head-to-head trial into a sham-controlled one, with no error.
    """
    offered, holding = suggested_names(value, list(descriptions), limit)
    if not offered:
        return ""
    shown = [f"'{n}'" + (f" ({descriptions[n]})" if descriptions.get(n) else "") for n in offered]
    words = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" or {shown[-1]}"
    if holding:
        # A code typed as its stem ('RMDQ') that more codes hold than are shown.
        words += f", or another of the {holding} listed codes with '{value.strip()}' in them"
    return f"; did you mean {words}?"


#: The tables of names a new study may need to add to, with what one of their rows is
#: (README, "Adding or editing a study", step 4): a name a row gives that its table does
#: not list is either a typo or a row still to be added there, and the message says both.
NEW_FIRST = {"sources": "document", "treatments": "treatment code", "instruments": "instrument"}

#: Where a build keeps the last published build's key results, its raw cells among them
#: (scripts/publish_report.py), relative to the workflow's folder.
LAST_BUILD = Path("results") / "history" / "key_results.json"


def last_build_names(path: Path | str, keys: Mapping[str, str]) -> dict[str, dict[str, int]] | None:
    """The names each table of ``keys`` (table: its key column) held in the build whose
    key results are at ``path``, each with its spreadsheet row there (0 where unknown).

    ``{"sources": {"nbk56291_fig8": 9, ...}, ...}`` from the raw cells the report keeps
    (:func:`metareview.report.kept_cells`): a name a row gives that its table lacks was
    deleted from it when the last build had it, and is new (or misspelt) when it had not.
    None when there is no such build (a first build, or its history folder removed) or its
    file does not hold those cells (unreadable, or written before they were kept).
    """
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["raw_cells"]
        out: dict[str, dict[str, int]] = {}
        for table, column in keys.items():
            file = f"{table}.csv"
            at = cells["columns"][file].index(column) + 1 if file in cells["columns"] else None
            out[table] = {str(kept[at]): int(kept[0]) for kept in cells["shared"].get(file, [])
                          if at is not None and kept[at] is not None}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    return out


def _cited_by(rows: Sequence[tuple[str, int]], this: tuple[str, int]) -> str:
    """The rows still naming a deleted name, ``this`` (the message's own) first: "this row
    and 3 others (arm_outcomes.csv rows 19 and 40, studies.csv row 3)"."""
    others: dict[str, list[int]] = {}
    for table, row in sorted(rows):
        if (table, row) != this:
            others.setdefault(table, []).append(row)
    if not others:
        return "this row"
    shown = ", ".join(f"{table}.csv row{'s' if len(numbers) > 1 else ''} "
                      + (f"{', '.join(map(str, numbers[:-1]))} and {numbers[-1]}" if len(numbers) > 1
                         else str(numbers[0]))
                      for table, numbers in others.items())
    count = sum(map(len, others.values()))
    # A source cited throughout a large review would make each of its lines a list.
    return f"this row and {count} other{'s' if count > 1 else ''}" + (f" ({shown})" if count <= 6 else "")


def _copied_study(data: RawData, left_out: LeftOut, first: int, again: int) -> str:
    """For a study_id used twice, where the second row's label is not the first's: that it
    reads as a row copied down for a new study, and the ids other tables name that no row
    of studies.csv lists, which may be the one it was meant to have ("" otherwise).

    A copied row whose id was not changed gave, apart, the id used twice and each row of
    the new study's id "not listed": the second said to add a study the team had added.
    """
    def label(number: int) -> str | None:
        found = [r for r in [*data.rows("studies"), *left_out.rows.get("studies", ())] if r.row == number]
        return str(found[0].get("label")) if found and found[0].get("label") is not None else None

    mine, theirs = label(again), label(first)
    if mine is None or theirs is None or mine == theirs:
        return ""
    listed = {str(r.get("study_id")) for r in [*data.rows("studies"), *left_out.rows.get("studies", ())]}
    named: dict[str, list[tuple[str, int]]] = {}
    for table in TABLES:
        if table == "studies":
            continue
        for r in [*data.rows(table), *left_out.rows.get(table, ())]:
            sid = r.get("study_id")
            if sid is not None and str(sid) not in listed:
                named.setdefault(str(sid), []).append((table, r.row))
    hint = f"; this row's label, {_quoted(mine)}, is not row {first}'s: a row copied for a new study?"
    if len(named) == 1:
        (sid, rows), = named.items()
        places = _cited_by(rows, ("", 0)).removeprefix("this row and ").split(" (", 1)
        where = places[1].removesuffix(")") if len(places) > 1 else f"{len(rows)} rows of other tables"
        hint += f" '{sid}', which {where} name{'s' if len(rows) == 1 else ''} and no row lists, may be its id"
    elif named:
        hint += f" Ids other tables name and no row lists: {_listing(named)}"
    return hint


def _check_keys(data: RawData, schemas: Mapping[str, Mapping[str, Any]], labels: Mapping[str, str],
                last_build: Path | str | None = None, left_out: LeftOut | None = None) -> list[Problem]:
    """Keys unique within each table, and every reference to another table listed there.

    ``left_out`` is what the reading of the tables refused: a reference that a table
    left out may list is not reported (a refused row's cell, once fixed, may be it).
    """
    left_out = left_out or LeftOut()
    problems: list[Problem] = []
    # The last build's names, read only when a row gives one its table lacks.
    before: list[dict[str, dict[str, int]] | None] = []

    def last_names(table: str) -> dict[str, int] | None:
        if not before:
            keys = {t: schemas[t]["x-primary-key"][0] for t in NEW_FIRST}
            before.append(last_build_names(last_build, keys) if last_build is not None else None)
        return None if before[0] is None else before[0].get(table)

    last_studies: list[set[str]] = []

    def studies_before() -> set[str]:
        """The study ids of the last build (its kept cells), or none known."""
        if not last_studies:
            try:
                kept = json.loads(Path(str(last_build)).read_text(encoding="utf-8"))["raw_cells"]["studies"]
                last_studies.append({str(sid) for sid in kept})
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                last_studies.append(set())
        return last_studies[0] if last_build is not None else set()

    descriptions: dict[str, dict[str, str]] = {}

    def described_codes(ttable: str, tcol: str) -> dict[str, str] | None:
        """The codes of ``ttable`` with what each is, for a table of :data:`DESCRIBED`."""
        if ttable not in DESCRIBED:
            return None
        if ttable not in descriptions:
            descriptions[ttable] = code_descriptions(data, ttable, tcol)
        return descriptions[ttable]

    def naming(ttable: str, tcol: str, value: str) -> list[tuple[str, int]]:
        """Every row of every table whose single-column key into ``ttable`` gives ``value``."""
        return [(t, r.row) for t in TABLES for cols, target in (schemas[t].get("x-foreign-keys") or {}).items()
                if target == f"{ttable}.{tcol}" and "," not in cols
                for r in data.rows(t) if str(r.get(cols)) == value]
    row: Row | RefusedRow
    for table in TABLES:
        schema = schemas[table]
        pk = schema.get("x-primary-key")
        if pk:
            # A row refused for another cell still holds its key: a key used twice is said
            # in this run, not only once that cell is fixed.
            keyed = [(row.row, _key(row, pk)) for row in data.rows(table)]
            keyed += [(r.row, tuple(r.values.get(c) for c in pk)) for r in left_out.rows.get(table, ())
                      if all(r.values.get(c) is not None for c in pk)]
            first: dict[tuple[Any, ...], int] = {}
            for number, key in sorted(keyed, key=lambda entry: entry[0]):
                if key in first:
                    problems.append(Problem(labels[table], number, "/".join(pk),
                                            f"expected a unique {'/'.join(pk)}, found '{'/'.join(map(str, key))}' "
                                            f"already used in row {first[key]}"
                                            + (_copied_study(data, left_out, first[key], number)
                                               if table == "studies" else "")))
                else:
                    first[key] = number
        else:
            # A row pasted twice (or a line copied down) would enter its result twice, or
            # set both copies aside as two values for one arm; named here with both rows.
            seen: dict[tuple[tuple[str, str], ...], int] = {}
            for row in data.rows(table):
                cells = tuple(sorted((k, repr(v)) for k, v in row.values.items()))
                if cells in seen:
                    problems.append(Problem(labels[table], row.row, None,
                                            f"expected each row once, found the same cells as row {seen[cells]} "
                                            "(a row pasted twice? delete one)"))
                else:
                    seen[cells] = row.row
        reported: set[tuple[int, str]] = set()
        uses: dict[str, Counter[str]] = {}  # how many rows of the other tables name each id
        for columns, target in (schema.get("x-foreign-keys") or {}).items():
            cols = columns.split(",")
            ttable, tcols_text = target.split(".", 1)
            tcols = tcols_text.split(",")
            if ttable in left_out.tables:
                # Nothing of the table it points to was read: whatever a row names may be there.
                continue
            known = {_key(r, tcols) for r in data.rows(ttable)}
            # A refused row's valid cells still name rows of other tables: an arm id
            # mistyped beside a mistyped number is said in the same run (its refused
            # cells name nothing: their values are unknown).
            read_or_refused: list[Row | RefusedRow] = [*data.rows(table), *left_out.rows.get(table, ())]
            for row in sorted(read_or_refused, key=lambda r: r.row):
                key = _key(row, cols)
                if any(v is None for v in key) or key in known or left_out.may_list(ttable, tcols, key):
                    continue
                # A composite key (study_id, arm1) whose study is already unknown would only
                # repeat that problem.
                if any((row.row, c) in reported for c in cols):
                    continue
                column = cols[-1]
                reported.add((row.row, column))
                # A listed id with spaces around it (a no-break space pasted from a web
                # page among them, which prints as a space): the spaces are the typo.
                spaced = str(key[-1]) != str(key[-1]).strip() and (*key[:-1], str(key[-1]).strip()) in known
                if len(cols) == 1 and spaced:
                    problems.append(Problem(labels[table], row.row, column,
                                            f"expected {_article(tcols[0])} listed in {ttable}.csv, found "
                                            f"{_quoted(str(key[0]))}: remove the spaces around it"))
                elif len(cols) == 1:
                    close = _closest(str(key[0]), sorted(str(k[0]) for k in known))
                    # The rows around it, which a row copied down or filled belongs with: of
                    # names tied for closest, theirs first.
                    around = [str(r.values.get(column)) for r in read_or_refused
                              if r.values.get(column) is not None and r.row != row.row and abs(r.row - row.row) <= 3]
                    # The id a fill series counted up from first: the one the cell was copied from.
                    counted = _filled_series(str(key[0]), around)
                    close = sorted(close, key=lambda n: (n != counted, n not in around))
                    described = described_codes(ttable, tcols[0])
                    either = " or ".join(f"'{n}'" for n in close)
                    hint = ("" if not close else f"; did you mean '{close[0]}'?"
                            if len(close) == 1 or close[0] in around else f"; did you mean {either}?")
                    if counted:
                        hint += (f" (the id '{counted}' of a row near it, counted up: a spreadsheet's fill "
                                 "series, dragged down in place of a copy?)")
                    # A code typed short ('RMDQ' for the listed 'RMDQ_0_24', 'RMDQ_0_23', ...)
                    # is too far from each for a close match: the codes it begins.
                    longer = [] if close else _extending(str(key[0]), [str(k[0]) for k in known])
                    if longer:
                        hint = f"; did you mean {'one of ' if len(longer) > 1 else ''}{_listing(longer)}?"
                    if described is not None:
                        # A code that means something (a treatment and its role, an
                        # instrument): what each offered code is, and the codes the typed
                        # one holds as a word before those near it in spelling.
                        hint = meant(str(key[0]), described)
                    if not hint:
                        # The name meant may be that of a row refused above ('cuping' for
                        # 'cupping', whose role was mistyped): offered with that row.
                        held = {str(r.values[tcols[0]]): r.row for r in left_out.rows.get(ttable, ())
                                if r.values.get(tcols[0]) is not None}
                        near = _closest(str(key[0]), sorted(held))
                        if near:
                            hint = (f"; did you mean '{near[0]}', of {ttable}.csv row {held[near[0]]}, itself "
                                    "refused above?")
                    suggested = hint
                    if column not in uses:
                        uses[column] = Counter(str(r.get(column)) for t in TABLES if t != ttable
                                               for r in data.rows(t) if r.get(column) is not None)
                    if close and uses[column][str(key[0])] > 1 and not uses[column][close[0]]:
                        # Several rows name this id and none the close one: the misspelling
                        # is more likely the one row's, in the table the key points to.
                        close_row = next(r.row for r in data.rows(ttable) if str(r.get(tcols[0])) == close[0])
                        what = f" ({described[close[0]]})" if described and described.get(close[0]) else ""
                        hint = (f"; did you mean '{close[0]}'{what}? {uses[column][str(key[0])]} rows name "
                                f"'{key[0]}' and none '{close[0]}': if '{key[0]}' is right, the misspelling is "
                                f"{ttable}.csv row {close_row}'s")
                    named_often = uses[column][str(key[0])] > 1
                    if ttable == "studies" and (not close or (named_often and uses[column][close[0]])):
                        # A study taken out of the review by deleting its studies.csv row
                        # alone leaves its other rows naming it (several rows, and a close
                        # id, Rajfur2024 for Rajfur2022, that rows name too: no typo): the
                        # README's "its rows deleted" means in every table. A new study
                        # goes in first, as a new document does.
                        hint += (" (a study taken out of the review has its rows deleted from every table; a new "
                                 "one goes in studies.csv first, before the rows that name it)")
                    if (ttable == "studies" and close and str(key[0]) in studies_before()
                            and close[0] not in studies_before()):
                        # The id the last build had beside a near one it had not: a study
                        # renamed in some tables and not in these rows.
                        still = _cited_by(naming(ttable, tcols[0], str(key[0])), (table, row.row))
                        hint = (f"; did you mean '{close[0]}'? '{key[0]}' is the id the last build had, "
                                f"'{close[0]}' one it had not: a rename half done? {still[:1].upper()}{still[1:]} "
                                f"still name{'s' if still == 'this row' else ''} '{key[0]}'")
                    had = last_names(ttable) if ttable in NEW_FIRST else None
                    if had is not None and str(key[0]) in had:
                        # Not new but deleted, as a removed study's documents are (docs/editing-studies.md,
                        # "Taking a study out of the review"): the adding hint would point
                        # the wrong way. Where it stood, and every row still naming it.
                        was = f"row {had[str(key[0])]} in the last build" if had[str(key[0])] else "in the last build"
                        rows = _cited_by(naming(ttable, tcols[0], str(key[0])), (table, row.row))
                        verb = "cite" if ttable == "sources" else "name"
                        removed = (f"was in {ttable}.csv ({was}) and is still {verb}d by {rows}: put it back, or "
                                   f"change or delete {'this row' if rows == 'this row' else f'the rows that {verb} it'}")
                        # The names it is closest to after, as what it may have become.
                        hint = f", which {removed}{suggested}"
                    elif ttable in NEW_FIRST:
                        # Not a typo but a new name: its row goes in first, which the
                        # message alone does not say (README, "Adding or editing a study").
                        hint += (f" (a new {NEW_FIRST[ttable]} goes in {ttable}.csv first, before the rows "
                                 "that name it" + (
                                     # No last build to tell a new document from one deleted
                                     # with a study that other rows still cite: both said.
                                     "; a deleted one goes back, unless the rows citing it are changed or deleted)"
                                     if ttable == "sources" and had is None else ")"))
                    problems.append(Problem(labels[table], row.row, column,
                                            f"expected {_article(tcols[0])} listed in {ttable}.csv, found "
                                            f"{_quoted(str(key[0]))}{hint}"))
                else:
                    prefix = dict(zip(tcols[:-1], key[:-1], strict=True))
                    options = [k[-1] for k in known if k[:-1] == key[:-1]]
                    scope = ", ".join(f"{c} '{v}'" for c, v in prefix.items())
                    # The arm is listed, but in a row whose own study_id was refused above
                    # (misspelt there): that row is the one to fix, and this one then reads.
                    refused = {p.row for p in problems if p.file == labels[ttable] and p.column in tcols[:-1]}
                    astray = next((r for r in data.rows(ttable) if r.row in refused and r.get(tcols[-1]) == key[-1]
                                   and all(_closest(str(r.get(c)), [str(v)]) for c, v in prefix.items())), None)
                    where = ""
                    if astray is not None and not spaced:
                        named = ", ".join(f"{c} '{astray.get(c)}'" for c in tcols[:-1])
                        where = (f": {ttable}.csv row {astray.row} lists it under {named}, refused there; fixing that "
                                 "row fixes this one")
                    problems.append(Problem(labels[table], row.row, column,
                                            f"expected {_article(tcols[-1])} listed in {ttable}.csv for {scope} "
                                            f"(one of {_listing(options)}), found {_quoted(str(key[-1]))}"
                                            + (": remove the spaces around it" if spaced else where)))
    return problems


#: Designs that compare randomised (or quasi-randomised) arms: normalise.TRIAL_DESIGNS,
#: spelt again so that the per-study jobs, which import normalise, need not import this
#: module (a test keeps the two equal).
TRIAL_DESIGNS = frozenset({"rct", "crossover_rct", "cluster_rct", "quasi_rct"})

#: The tables of a study's results: a study with no row in any has no results entered,
#: which its ``results_missing_reason`` in studies.csv may say why.
RESULT_TABLES: tuple[str, ...] = ("arm_outcomes", "contrasts", "statements")

#: The size cells whose blank a row's ``n_missing_reason`` explains, and whether the row
#: has a size when any of them is given (an arm's, either of its counts) or only when all
#: are (a contrast needs both arms').
N_SIZE_COLUMNS: dict[str, tuple[tuple[str, ...], bool]] = {
    "arms": (("n_randomised", "n_analysed"), False),
    "arm_outcomes": (("n",), False),
    "contrasts": (("n1", "n2"), True),
}


def _as_written(row: Row, column: str) -> str:
    """The number cell ``column`` of ``row`` as typed in the CSV ("4.0", not the parsed 4),
    for a message that quotes it: a reader searches the sheet for the cell as it is
    written. The value where no text was kept (a row built in code)."""
    text = row.text.get(column)
    return text if text is not None else str(row.get(column))


def _ci_order_problem(row: Row) -> str:
    """What the confidence interval of ``row`` (``ci_lb >= ci_ub``) is said to need, its
    bounds quoted as typed."""
    lb, ub = _as_written(row, "ci_lb"), _as_written(row, "ci_ub")
    if row["ci_lb"] == row["ci_ub"]:
        # Its width is what gives an effect its variance: none would weigh it infinitely.
        both = lb if lb == ub else f"{lb} and {ub}"
        return (f"expected ci_lb < ci_ub, found both {both} (an interval of zero width gives the effect no variance: "
                "a bound mistyped, or a value that is not an interval?)")
    return f"expected ci_lb < ci_ub ({ub}), found {lb} (bounds reversed?)"


def _scale_span(inst: Row | None) -> float | None:
    """``scale_max - scale_min`` of an instrument row, or None when either is unknown
    (or the pair is itself refused: not both, or not increasing)."""
    if inst is None or inst.get("scale_min") is None or inst.get("scale_max") is None:
        return None
    span = float(inst["scale_max"]) - float(inst["scale_min"])
    return span if span > 0 else None


def sd_limit(lo: float, hi: float, value_type: str, n: int | None, mean: float | None = None) -> float:
    """The largest sample SD that scores on an instrument from ``lo`` to ``hi`` can have.

    Final values lie within ``[lo, hi]``; changes within ``[-(hi - lo), hi - lo]``. Values
    within ``[a, b]`` with mean ``m`` have a variance of at most ``(m - a)(b - m)`` (the
    Bhatia-Davis inequality), and at most ``((b - a) / 2)^2`` whatever the mean
    (Popoviciu's); the sample SD, with ``n - 1`` in its denominator, at most ``sqrt(n /
    (n - 1))`` times the root of that. With ``n`` unknown (or below 2) the bound for
    ``n = 2``, the loosest, is used; with ``mean`` unknown, Popoviciu's.

    References
    ----------
    Bhatia R, Davis C. A better bound on the variance. Am Math Mon 2000;107(4):353-357.
    Popoviciu T. Sur les équations algébriques ayant toutes leurs racines réelles.
    Mathematica (Cluj) 1935;9:129-145.
    """
    span = hi - lo
    a, b = (lo, hi) if value_type == "final" else (-span, span)
    inflate = math.sqrt(n / (n - 1)) if n is not None and n > 1 else math.sqrt(2)
    if mean is None or not a <= mean <= b:
        return (b - a) / 2 * inflate
    return math.sqrt((mean - a) * (b - mean)) * inflate


def _check_rows(data: RawData, labels: Mapping[str, str], left_out: LeftOut | None = None) -> list[Problem]:
    """Checks a schema cannot express: conditional requirements and value relations.

    A check that would hold a row to another that ``left_out`` may hold (its study's
    design, its trial's arms, a treatment code) is not made: the other row is refused,
    and the problem is its own.
    """
    left_out = left_out or LeftOut()
    problems: list[Problem] = []
    instruments = {r["instrument"]: r for r in data.rows("instruments")}
    treatments = {r["treatment"] for r in data.rows("treatments")}

    def add(table: str, row: Row, column: str | None, message: str) -> None:
        problems.append(Problem(labels[table], row.row, column, message))

    # The outcomes the rows give each instrument: where every row (two or more) gives it one
    # other than instruments.csv's, the instrument's own cell is the likelier slip, and a
    # problem on each row (11 alike for one responder instrument) named none.
    outcomes_of: dict[str, Counter[str]] = {}
    rows_of: dict[str, list[str]] = {}
    for table in ("arm_outcomes", "contrasts"):
        for r in data.rows(table):
            outcomes_of.setdefault(str(r.get("instrument")), Counter())[str(r.get("outcome"))] += 1
            rows_of.setdefault(str(r.get("instrument")), []).append(f"{labels[table]} row {r.row}")
    misfiled: set[str] = set()
    for code, given_outcomes in outcomes_of.items():
        inst = instruments.get(code)
        (outcome, count), *others = given_outcomes.items()
        if inst is None or code == "various" or others or count < 2 or outcome == inst["outcome"]:
            continue
        misfiled.add(code)
        add("instruments", inst, "outcome", f"expected the outcome the rows measured with it give, '{outcome}', "
            f"found '{inst['outcome']}': every row of instrument {code} gives '{outcome}' "
            f"({_rows_named(rows_of[code])}); if they are right, this cell is the slip, else their outcome cells are")

    def domain_problem(r: Row) -> str | None:
        """The problem of a row whose outcome is not its instrument's, or None for a row
        of an instrument whose own row is named instead (``misfiled``)."""
        if r["instrument"] in misfiled:
            return None
        return (f"expected '{instruments[r['instrument']]['outcome']}' (the domain of instrument "
                f"{r['instrument']}), found '{r['outcome']}'")

    folded: dict[str, Row] = {}
    for r in data.rows("studies"):
        # Study ids name output files: two ids differing only in case would overwrite each
        # other's results on case-insensitive file systems (macOS, Windows).
        other = folded.setdefault(r["study_id"].lower(), r)
        if other is not r and other["study_id"] != r["study_id"]:
            add("studies", r, "study_id", f"expected study ids that differ in more than letter case, "
                f"found '{r['study_id']}' and '{other['study_id']}' (row {other.row})")
    # The report, its forest plots and "What changed" name a study by its label alone: two
    # studies of one label (a row copied for a new study, its label left unchanged) would
    # be two rows no reader can tell apart. Spacing and letter case aside, as a reader
    # would not see them either.
    by_label: dict[str, Row] = {}
    for r in data.rows("studies"):
        other = by_label.setdefault(" ".join(str(r["label"]).split()).casefold(), r)
        if other is not r:
            add("studies", r, "label", f"expected a label no other study has (the report and its plots name studies "
                f"by it), found '{_shorten(str(r['label']))}', the label of '{other['study_id']}' (row {other.row}): "
                "tell them apart, with a letter after the year say (2010a, 2010b)")
    # A randomised trial compares arms: one entered with a single arm is a row forgotten,
    # which would otherwise read as a study no analysis covers.
    arm_counts = Counter(r["study_id"] for r in data.rows("arms"))
    # Arms whose study_id is refused as unlisted: one misspelt there leaves its trial an
    # arm short, which is that row's slip, not a forgotten arm.
    listed = {r["study_id"] for r in data.rows("studies")}
    unlisted = [r for r in data.rows("arms") if r["study_id"] not in listed]
    for r in data.rows("studies"):
        if r["design"] in TRIAL_DESIGNS and arm_counts[r["study_id"]] < 2 and not left_out.may_list(
                "arms", ("study_id",), (r["study_id"],)):
            astray = next((a for a in unlisted if _closest(a["study_id"], [r["study_id"]])), None)
            hint = (f"; {labels['arms']} row {astray.row} names study_id '{astray['study_id']}', which is not listed: "
                    "an arm of this study?" if astray is not None else "")
            add("studies", r, "design", f"expected at least two arms in {labels['arms']} for a trial design "
                f"('{r['design']}'), found {arm_counts[r['study_id']]}{hint}")
    # A reason for having no results, on a study that has them, contradicts its own rows:
    # the report would print the reason nowhere (it names only studies with none), and a
    # reader of the table would take the rows for a mistake, or the reason for stale.
    # Refused rather than warned of: the team clears the cell when the rows are entered.
    result_rows: dict[str, list[str]] = {}
    for table in RESULT_TABLES:
        for x in data.rows(table):
            result_rows.setdefault(x["study_id"], []).append(f"{labels[table]} row {x.row}")
    for r in data.rows("studies"):
        if r.get("results_missing_reason") and r["study_id"] in result_rows:
            reason = _quoted(_shorten(str(r["results_missing_reason"])))
            add("studies", r, "results_missing_reason",
                "expected an empty cell for a study with result rows (the reason is for a study "
                f"with none), found {reason}, while '{r['study_id']}' has "
                f"{_rows_named(result_rows[r['study_id']])}: clear the cell, or the rows if the "
                "study has no results")
    for r in data.rows("sources"):
        if r.get("accessed") is not None:
            try:
                datetime.date.fromisoformat(r["accessed"])
            except ValueError:
                add("sources", r, "accessed", f"expected a real calendar date YYYY-MM-DD, found '{r['accessed']}'")
    for r in data.rows("instruments"):
        lo, hi = r.get("scale_min"), r.get("scale_max")
        if (lo is None) != (hi is None):
            add("instruments", r, "scale_max" if hi is None else "scale_min",
                f"expected both scale_min and scale_max, or neither, found only "
                f"{'scale_min' if hi is None else 'scale_max'} "
                f"({_as_written(r, 'scale_min' if hi is None else 'scale_max')})")
        elif lo is not None and hi <= lo:
            add("instruments", r, "scale_max", f"expected scale_max > scale_min ({_as_written(r, 'scale_min')}), "
                f"found {_as_written(r, 'scale_max')}")
    arms = {(r["study_id"], r["arm_id"]): r for r in data.rows("arms")}

    def above_randomised(table: str, r: Row, column: str, arm_id: Any) -> None:
        # More participants in a result than were randomised to the arm cannot be: an n
        # mistyped (370 for 37), or the arm's row.
        arm, n = arms.get((r["study_id"], arm_id)), r.get(column)
        nr = arm.get("n_randomised") if arm is not None else None
        if arm is not None and n is not None and nr is not None and n > nr:
            add(table, r, column, f"expected at most the {_as_written(arm, 'n_randomised')} randomised to arm "
                f"'{arm_id}' ({labels['arms']} row {arm.row}), found {_as_written(r, column)}")

    for r in data.rows("arms"):
        nr, na = r.get("n_randomised"), r.get("n_analysed")
        if nr is not None and na is not None and na > nr:
            add("arms", r, "n_analysed", f"expected at most n_randomised ({_as_written(r, 'n_randomised')}), "
                f"found {_as_written(r, 'n_analysed')}")
    # Why a size is blank, beside a size given, contradicts its row: the report never
    # prints it, and a reader cannot tell which cell is stale. Refused, as a reason for
    # having no results is on a study that has them.
    for table, (size_columns, needs_all) in N_SIZE_COLUMNS.items():
        for r in data.rows(table):
            sized = [c for c in size_columns if r.get(c) is not None]
            if r.get("n_missing_reason") and (len(sized) == len(size_columns) if needs_all else sized):
                sizes = " and ".join(f"{c} {_as_written(r, c)}" for c in sized)
                add(table, r, "n_missing_reason",
                    f"expected an empty cell where the size is given ({sizes}), found "
                    f"'{r['n_missing_reason']}': the reason is for a blank size; clear the cell, or the "
                    "size if the source does not give it")
    for table in ("arm_outcomes", "contrasts"):
        for r in data.rows(table):
            level = r.get("ci_level")
            if level is not None and level <= 1:
                add(table, r, "ci_level", f"expected a confidence level in percent (such as 95), found "
                    f"{_as_written(r, 'ci_level')} (a proportion? write {level * 100:g})")
            # A percentage the row's own quote prints, typed as a proportion: a column of
            # "47.6%" formatted General in a spreadsheet saves 0.476, which the build read
            # as 0.476 % of the arm (2 of 387 responders) and which reversed a conclusion.
            # Refused only where the quote prints that percentage and not the value itself.
            for column in ("percent", "i2"):
                value, quote = r.get(column), str(r.get("quote") or "")
                if (isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 1
                        and (printed := quote_percent(quote, float(value)))
                        and not any(math.isclose(float(value), x, rel_tol=1e-9, abs_tol=1e-12)
                                    for x in quote_numbers(quote, as_proportions=False))):
                    add(table, r, column, f"expected a percentage, as the row's quote prints it ({printed}), found "
                        f"{_as_written(r, column)}, that percentage as a proportion (a column of percentages a "
                        f"spreadsheet reformatted?): write {printed[:-1]}")
    for r in data.rows("arm_outcomes"):
        above_randomised("arm_outcomes", r, "n", r["arm_id"])
        # An SD, an SE or an interval of a mean needs two values at least: beside one of
        # them, n 1 is a digit lost (12 typed 1) or a cell in the wrong column. Used as it
        # is, sd^2 / 1 would enter the arm as one participant's.
        spread = [c for c in ("sd", "se", "ci_lb", "ci_ub") if r.get(c) is not None]
        if spread and r["value_type"] in ("final", "change", "within_group_change"):
            arm = arms.get((r["study_id"], r["arm_id"]))
            given = {"sd": "an SD", "se": "an SE"}.get(spread[0], "an interval of the mean")
            if r.get("n") == 1:
                add("arm_outcomes", r, "n", f"expected n of at least 2 beside {given} ({spread[0]} "
                    f"{_as_written(r, spread[0])}: a spread needs two values), found {_as_written(r, 'n')} (a digit "
                    "lost?)")
            elif r.get("n") is None and arm is not None and (arm.get("n_analysed") or arm.get("n_randomised")) == 1:
                column = "n_analysed" if arm.get("n_analysed") is not None else "n_randomised"
                add("arm_outcomes", r, spread[0], f"expected an arm of at least 2 participants beside {given} (a "
                    f"spread needs two values), found {column} 1 for arm '{r['arm_id']}' ({labels['arms']} row "
                    f"{arm.row}; the row's n is empty)")
        inst = instruments.get(r["instrument"])
        # A row whose outcome is not its instrument's, or whose mean is outside its range,
        # is on another scale or instrument: its SD is held to a bound only once it is fixed.
        off_scale = inst is not None and inst["outcome"] != r["outcome"]
        if off_scale and inst is not None and (problem := domain_problem(r)) is not None:
            add("arm_outcomes", r, "outcome", problem)
        vt = r["value_type"]
        if vt in ("final", "change", "percent_change", "within_group_change") and (
            r.get("mean") is None and r.get("median") is None
        ):
            add("arm_outcomes", r, "mean", f"expected a mean (or a median) for value_type '{vt}', found an empty cell")
        if vt in ("change", "percent_change", "within_group_change") and r.get("change_sign") is None:
            add("arm_outcomes", r, "change_sign", f"expected 'decrease_negative' or 'decrease_positive' for value_type '{vt}', found an empty cell")
        if vt == "events":
            for col in ("events", "n"):
                if r.get(col) is None:
                    add("arm_outcomes", r, col, "expected a count for value_type 'events', found an empty cell")
            if r.get("events") is not None and r.get("n") is not None and r["events"] > r["n"]:
                add("arm_outcomes", r, "events", f"expected at most n ({_as_written(r, 'n')}), "
                    f"found {_as_written(r, 'events')}")
        if vt == "percent_responders" and r.get("percent") is None:
            add("arm_outcomes", r, "percent", "expected a percentage for value_type 'percent_responders', found an empty cell")
        if r.get("ci_lb") is not None and r.get("ci_ub") is not None and r["ci_lb"] >= r["ci_ub"]:
            add("arm_outcomes", r, "ci_lb", _ci_order_problem(r))
        for low, high, what in (("q1", "q3", "quartiles"), ("min", "max", "range")):
            # A median's quartiles or range half entered gives no estimate of the mean and
            # SD: the row would be left unused, and the study take another timepoint or
            # leave the analysis, with nothing to say the cell was forgotten.
            if (r.get(low) is None) != (r.get(high) is None):
                empty, given = (high, low) if r.get(high) is None else (low, high)
                add("arm_outcomes", r, empty, f"expected {low} and {high} together (the {what}), found {given} "
                    f"{_as_written(r, given)} and {empty} empty")
        order = [c for c in ("min", "q1", "median", "q3", "max") if r.get(c) is not None]
        for a, b in itertools.pairwise(order):
            if r[a] > r[b]:
                add("arm_outcomes", r, b, f"expected {b} >= {a} ({_as_written(r, a)}), found {_as_written(r, b)}")
        span = _scale_span(inst)
        if span is not None and inst is not None:
            lo, hi = inst["scale_min"], inst["scale_max"]
            # The range as instruments.csv writes it, for a reader to find there.
            scale = f"{_as_written(inst, 'scale_min')} to {_as_written(inst, 'scale_max')}"
            # A score outside its instrument's range cannot be: a value typed on another
            # scale (VAS 0-100 against 0-10) or the wrong instrument, which would put an
            # impossible difference into the results.
            if vt == "final":
                for col in ("mean", "median", "q1", "q3", "min", "max"):
                    v = r.get(col)
                    if v is not None and not lo <= v <= hi:
                        off_scale = off_scale or col == "mean"
                        add("arm_outcomes", r, col, f"expected a final {col} within {r['instrument']}'s range "
                            f"{scale} ({labels['instruments']}), found {_as_written(r, col)} (a value on "
                            "another scale, or another instrument?)")
            elif vt in ("change", "within_group_change") and r.get("mean") is not None and abs(r["mean"]) > span:
                off_scale = True
                add("arm_outcomes", r, "mean", f"expected a mean change no larger than {r['instrument']}'s range "
                    f"({span:g}, {labels['instruments']}), found {_as_written(r, 'mean')} (a value on another "
                    "scale, or another instrument?)")
            sd, se = r.get("sd"), r.get("se")
            # Not for a row said above to be on another scale: its SD's bound would be
            # the Bhatia-Davis one of an impossible mean, or of another instrument's scale,
            # a number with no meaning beside the error that already names the row.
            if vt in ("final", "change", "within_group_change") and (sd is not None or se is not None) and not off_scale:
                arm = arms.get((r["study_id"], r["arm_id"]))
                # The participants behind the SD: the row's own n, or the arm's analysed. Not
                # those randomised: fewer analysed allow a larger SD (the n = 2 bound then).
                n = r.get("n") or (arm.get("n_analysed") if arm is not None else None)
                mean = r.get("mean")
                # As printed, mean and SD are rounded: the mean may lie up to half a unit of
                # its last decimal nearer the middle, the SD as much lower. Only an SD that
                # no such values allow is refused.
                if mean is not None:
                    middle = (lo + hi) / 2 if vt == "final" else 0.0
                    h = half_unit(mean)
                    mean = min(mean + h, middle) if mean < middle else max(mean - h, middle)
                limit = sd_limit(lo, hi, vt, n, mean)
                within = (f"values within {scale}" if vt == "final"
                          else f"changes within \u2212{span:g} to {span:g}")
                why = (f"{within} with mean {_as_written(r, 'mean')}, by the Bhatia-Davis inequality, allowing for the "
                       "rounding of both" if mean is not None
                       else f"{within}, by Popoviciu's inequality") + (
                    f", times sqrt(n / (n \u2212 1)) for n {n}" if n else ", n unknown: as for n 2")
                if sd is not None and sd - half_unit(sd) > limit:
                    # Rounded down, so that the limit never prints as the value refused.
                    shown = math.floor(limit * 1000) / 1000
                    add("arm_outcomes", r, "sd", f"expected an SD of {vt} values on {r['instrument']} of at most "
                        f"{shown:g} ({why}), found {_as_written(r, 'sd')} (a variance, or a value on another scale?)")
                # An SE is the SD over sqrt(n): one whose SD, se * sqrt(n), exceeds that bound
                # is an SD typed in the se column (5.7 for an SE of 0.45 with n 158), which
                # would make the study weigh about n times too little. Only with n known: the
                # SD the SE stands for depends on it.
                if sd is None and se is not None and n is not None and n > 1:
                    limit_se = limit / math.sqrt(n)
                    if se - half_unit(se) > limit_se:
                        shown = math.floor(limit_se * 1000) / 1000
                        add("arm_outcomes", r, "se", f"expected an SE of {vt} values on {r['instrument']} of at most "
                            f"{shown:g} (an SD of at most {math.floor(limit * 1000) / 1000:g}, for {why}, over "
                            f"sqrt(n) for n {n}), found {_as_written(r, 'se')} (an SD typed as the SE? it goes in "
                            "the sd column)")
        if (vt == "percent_change" and r.get("mean") is not None and inst is not None
                and inst.get("scale_min") is not None and inst["scale_min"] >= 0):
            # With the range unknown it is likely but not certain: a consistency warning.
            # follow-up minus baseline, in percent of baseline
            change = -r["mean"] if r.get("change_sign") == "decrease_positive" else r["mean"]
            if change < -100:
                add("arm_outcomes", r, "mean", f"expected a decrease of at most 100 % (a score that cannot go below "
                    f"0 cannot fall by more than all of it), found a decrease of {-change:g} % (change_sign "
                    f"'{r.get('change_sign')}')")
    designs = {r["study_id"]: r["design"] for r in data.rows("studies")}
    for refused in left_out.rows.get("studies", ()):
        # A study refused for another cell than its design still says what it is.
        if "study_id" in refused.values and "design" in refused.values:
            designs.setdefault(refused.values["study_id"], refused.values["design"])
    for r in data.rows("contrasts"):
        # A study refused before its design was read is of no known design: not held to one.
        design_unknown = r["study_id"] not in designs and left_out.may_list("studies", ("study_id",), (r["study_id"],))
        if r.get("source_level") and not design_unknown and designs.get(r["study_id"]) not in (
                "meta_analysis", "ipd_meta_analysis"):
            # Only a published review's result is set apart for it; a trial's number read
            # in another document says so in its confidence and notes.
            add("contrasts", r, "source_level", f"expected an empty cell for a study of design "
                f"'{designs.get(r['study_id'])}' (source_level marks a published review's result read only in "
                f"another document), found '{r['source_level']}'")
        if r.get("arm1") == r.get("arm2"):
            add("contrasts", r, "arm2", f"expected an arm different from arm1, found '{r['arm2']}' twice")
        else:
            above_randomised("contrasts", r, "n1", r.get("arm1"))
            above_randomised("contrasts", r, "n2", r.get("arm2"))
            # A trial's difference in means stands on a spread within each arm, which takes
            # two values at least: n 1 is a digit lost (12 typed 1) or a cell in the wrong
            # column, and an SMD's variance and small-sample factor would be computed from it.
            if r.get("measure") in ("MD", "SMD", "cohen_d") and not design_unknown and designs.get(
                    r["study_id"]) not in ("meta_analysis", "ipd_meta_analysis"):
                for col in ("n1", "n2"):
                    if r.get(col) == 1:
                        add("contrasts", r, col, f"expected n of at least 2 in each arm (measure {r['measure']}: a "
                            "difference in means stands on a spread within each arm, which needs two values), "
                            "found 1 (a digit lost?)")
        inst = instruments.get(r["instrument"])
        if (inst is not None and inst["outcome"] != r["outcome"] and r["instrument"] != "various"
                and (problem := domain_problem(r)) is not None):
            add("contrasts", r, "outcome", problem)
        measure = r["measure"]
        if measure == "p_only":
            if r.get("p_value") is None:
                add("contrasts", r, "p_value", "expected a p-value for measure 'p_only', found an empty cell")
        elif r.get("estimate") is None:
            add("contrasts", r, "estimate", f"expected a number for measure '{measure}', found an empty cell")
        lb, ub = r.get("ci_lb"), r.get("ci_ub")
        if (lb is None) != (ub is None):
            add("contrasts", r, "ci_ub" if ub is None else "ci_lb",
                f"expected both confidence bounds, or neither, found only {'ci_lb' if ub is None else 'ci_ub'} "
                f"({_as_written(r, 'ci_lb' if ub is None else 'ci_ub')})")
        elif lb is not None and lb >= ub:
            add("contrasts", r, "ci_lb", _ci_order_problem(r))
        span = _scale_span(inst)
        # A difference of final values lies within the range; one of changes (each within
        # +-range) within twice it, and so does one whose value type is not known.
        md_limit = None if span is None else span if r.get("value_type") == "final" else 2 * span
        if measure == "MD" and md_limit is not None and r.get("estimate") is not None and abs(r["estimate"]) > md_limit:
            add("contrasts", r, "estimate", f"expected a mean difference of {r.get('value_type') or 'unknown'} "
                f"values no larger than {'' if md_limit == span else 'twice '}{r['instrument']}'s range ({md_limit:g}, "
                f"{labels['instruments']}), found {_as_written(r, 'estimate')} (a value on another scale, or "
                "another instrument?)")
        if measure in ("RR", "OR"):
            for col in ("estimate", "ci_lb", "ci_ub"):
                if r.get(col) is not None and r[col] <= 0:
                    add("contrasts", r, col, f"expected a ratio > 0 for measure '{measure}', "
                        f"found {_as_written(r, col)}")
        if measure == "RD":
            for col in ("estimate", "ci_lb", "ci_ub"):
                if r.get(col) is not None and not -1 <= r[col] <= 1:
                    add("contrasts", r, col, "expected a risk difference between -1 and 1 (a proportion, not "
                        f"percent), found {_as_written(r, col)}")
    def code_hint(code: str) -> str:
        # As for a code in arms.csv: the spaces of "acupuncture; dry_needling", or the
        # listed code a typo or a capital stands for.
        if code != code.strip() and code.strip() in treatments:
            return ": remove the spaces around it (codes are separated by ';' alone)"
        return meant(code, code_descriptions(data, "treatments", "treatment"))

    def unknown_code(code: str) -> bool:
        # Not faulted where a refused row of treatments.csv may be the code's.
        return code not in treatments and not left_out.may_list("treatments", ("treatment",), (code,))

    for r in data.rows("claims"):
        for code in (r["treatment"] or "").split(";"):
            if unknown_code(code):
                add("claims", r, "treatment", f"expected treatment codes from treatments.csv separated by ';', "
                    f"found {_quoted(code)}{code_hint(code)}")
        if r.get("comparator") and unknown_code(r["comparator"]):
            add("claims", r, "comparator", f"expected a treatment code from treatments.csv, found "
                f"{_quoted(r['comparator'])}{code_hint(r['comparator'])}")
    return problems


def _empty_table_message(table: str, may_be_empty: Sequence[str]) -> str:
    """What a required table with its header alone is told: that it has no rows, and
    which tables may have none (``x-may-be-empty`` in their schemas)."""
    names = [f"{t}.csv" for t in may_be_empty]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
    allowed = f"only {listed} may be empty" if names else "no table may be empty"
    return (f"expected at least one row below the header, found no rows, only the header: {table}.csv may not be "
            f"empty ({allowed}, as the codebook says under each table)")


#: The tables whose ``outcome`` column takes the review's outcome codes, in the order the
#: docs list their schemas (docs/review-definition.md, "Outcome codes").
OUTCOME_TABLES = ("instruments", "arm_outcomes", "contrasts", "statements", "claims")
_UNLISTED = re.compile(r"^expected one of '.*', found ('.*')$")


def _unlisted_outcome_note(problems: Sequence[Problem], schema_label: str) -> list[str]:
    """The note after problems that are outcome codes the schemas do not list.

    A review of another domain (tuberculosis, depression) that enters its rows before adding
    its outcome code to the schemas was told only, row after row, that the code is none of
    the example's: not that the list is the review's own, nor where it is kept. A code the
    message already explains (spaces around it, another case) gets no note."""
    found = list(dict.fromkeys(m.group(1) for p in problems
                               if p.column == "outcome" and (m := _UNLISTED.match(p.message))))
    if not found:
        return []
    schemas = ", ".join(f"{t}.schema.yaml" for t in OUTCOME_TABLES[:-1]) + f" and {OUTCOME_TABLES[-1]}.schema.yaml"
    codes = " and ".join([", ".join(found[:-1]), found[-1]] if len(found) > 1 else found)
    return [(f"Outcome code{'s' if len(found) > 1 else ''} {codes}: if not a typo, an outcome of another domain, whose code is added to the "
             f"`outcome` lists of {schemas} in {schema_label.rstrip('/')}/ before the rows that use it; then "
             "regenerate the codebook (docs/review-definition.md, \"Outcome codes\").")]


def read_raw(raw_dir: Path | str, schema_dir: Path | str, *, label_prefix: str | None = None,
             schema_label: str | None = None, last_build: Path | str | None = None) -> RawData:
    """Read and validate every raw table; raise :class:`RawDataError` listing all problems.

    Nothing is written: the raw files are opened read-only, and a table over
    :data:`MAX_FILE_BYTES` is refused from its size without being read.

    Parameters
    ----------
    raw_dir
        Folder holding ``<table>.csv`` for every table in :data:`TABLES`.
    schema_dir
        Folder holding ``<table>.schema.yaml``.
    label_prefix
        How file names are shown in messages (default: ``raw_dir`` as given).
    schema_label
        How ``schema_dir`` is shown in messages (default: as given).
    last_build
        The last published build's key results (:data:`LAST_BUILD`), read only when a row
        names a document, treatment or instrument its table lacks: one the last build had
        was deleted, and the message says so and which rows still name it, where it would
        otherwise say where a new one goes (and, for a document, without a last build to
        tell, both).
    """
    raw_dir = Path(raw_dir)
    schemas = load_schemas(schema_dir)
    prefix = str(raw_dir) if label_prefix is None else label_prefix
    labels = {t: f"{prefix.rstrip('/')}/{t}.csv" if prefix else f"{t}.csv" for t in TABLES}
    data = RawData(raw_dir, schemas=schemas)
    problems: list[Problem] = []
    left_out = LeftOut()
    may_be_empty = [t for t in TABLES if schemas[t].get("x-may-be-empty")]
    for table in TABLES:
        rows, found, header, refused = _read_table(raw_dir / f"{table}.csv", schemas[table], labels[table])
        if not rows and not found and table not in may_be_empty:
            # A header with no row under it (every row read gives a row or a problem): said
            # once here, rather than as every other table's rows naming codes it lacks.
            found = [Problem(labels[table], None, None, _empty_table_message(table, may_be_empty))]
            refused = None
        data.tables[table] = rows
        if header is not None:
            data.headers[table] = header
        if refused is None:
            left_out.tables.add(table)
        elif refused:
            left_out.rows[table] = refused
        problems += located(found, header)
    # The checks across rows and tables run on the rows that read, whatever problems the
    # others have, so that one run lists every problem it can: a team entering several
    # rows would otherwise fix them in rounds, each run finding what the last could not
    # look for. What was refused is left out (LeftOut), lest one bad cell be reported
    # again as a problem of every row naming its row. They name a column; where it
    # stands in its file, which they need not know, is the header's as read.
    table_of = {labels[t]: t for t in TABLES}
    for problem in [*_check_keys(data, schemas, labels, last_build, left_out), *_check_rows(data, labels, left_out)]:
        problems += located([problem], data.headers.get(table_of[problem.file]))
    if problems:
        # In the order of the tables, rows and columns, as a team works down its sheets:
        # in the order found, a row's cell problem and its key used twice stood apart.
        order = {labels[t]: i for i, t in enumerate(TABLES)}
        problems.sort(key=lambda p: (order.get(p.file, len(order)), p.row or 0, p.positions[:1] or (1 << 30,)))
        raise RawDataError(problems, notes=[
            *_unlisted_outcome_note(problems, str(schema_dir) if schema_label is None else schema_label),
            *_left_out_notes(left_out, labels)], partial=data, left_out=left_out)
    return data


def _left_out_notes(left_out: LeftOut, labels: Mapping[str, str]) -> list[str]:
    """What the checks across rows and tables did not see, said after the problems: that a
    run after they are fixed may find more in those rows is then no surprise."""
    notes = []
    if left_out.rows:
        notes.append("Rows with a problem in their own cells are left out of the checks of their numbers against "
                     "other rows (instrument ranges and the like), and no row is faulted for naming one of them: a "
                     "run after they are fixed checks them.")
    unread = [labels[t] for t in TABLES if t in left_out.tables]
    if unread:
        names = ", ".join(unread[:-1]) + f" and {unread[-1]}" if len(unread) > 1 else unread[0]
        notes.append(f"No rows of {names} could be read, so no row was checked against "
                     f"{'them' if len(unread) > 1 else 'it'}: a run after the problems above are fixed does that.")
    return notes


def ignored_files(raw_dir: Path | str, label_prefix: str | None = None,
                  schema_dir: Path | str | None = None) -> list[str]:
    """What to say of each CSV file in ``raw_dir`` that is none of the :data:`TABLES`.

    No rule reads such a file ("new_trials.csv", "arms_old.csv"): rows a team typed there
    count for nothing, and the build would not otherwise say so. One line per file, naming
    it, the tables that are read and the codebook of those tables: ``README.md`` in
    ``raw_dir`` (as ``data/raw/README.md`` for the example), or, for a folder without one,
    the command that writes it from ``schema_dir`` (the config's), lest the note send a
    review whose tables live elsewhere to another review's codebook.
    """
    raw_dir = Path(raw_dir)
    prefix = (str(raw_dir) if label_prefix is None else label_prefix).rstrip("/")
    tables = {f"{t}.csv" for t in TABLES}
    codebook = f"{prefix}/README.md" if prefix else "README.md"
    if not (raw_dir / "README.md").is_file():
        schemas = f" --schemas {schema_dir}" if schema_dir is not None else ""
        # The command as the README gives it: `metareview` is on the PATH only with the
        # virtual environment activated, which the README's commands never assume.
        codebook = f"their codebook: `.venv/bin/metareview codebook{schemas} --out {codebook}` writes it"
    notes = []
    for name in sorted(p.name for p in raw_dir.glob("*") if p.is_file()):
        # A table open in a spreadsheet has a lock file beside it: Excel's "~$arms.csv",
        # LibreOffice's ".~lock.arms.csv#". It holds no rows; what it says is that edits
        # made in the open sheet and not yet saved are not in this build.
        opened = (name[2:] if name.startswith("~$") else
                  name[len(".~lock."):-1] if name.startswith(".~lock.") and name.endswith("#") else None)
        if opened is not None:
            if opened.lower().endswith(".csv"):
                notes.append(f"{prefix}/{opened} is open in a spreadsheet program (its lock file {name} is there): "
                             "edits not yet saved to it are not in this build")
        elif name.lower().endswith(".csv") and name not in tables:
            notes.append(f"{prefix}/{name}: not one of the raw tables ({', '.join(f'{t}.csv' for t in TABLES)}), "
                         "so nothing reads it and its rows are not in the review; move them into those tables "
                         f"({codebook}) or the file out of the folder")
    return notes


#: The schema folder the ``codebook`` command reads when given none (:mod:`metareview.cli`).
DEFAULT_SCHEMA_DIR = "config/schemas/raw"


def stale_codebook(raw_dir: Path | str, schemas: Mapping[str, Mapping[str, Any]], label_prefix: str,
                   schema_dir: str) -> str | None:
    """What to say of a codebook (``README.md`` in ``raw_dir``) that is not what
    ``metareview codebook`` writes from ``schemas``, or ``None`` when it is (or there is none).

    A team that adds an outcome code or a column to its schemas and does not regenerate
    the codebook leaves the page it fills the tables in by describing other tables; nothing
    else would say so, as the build reads the schemas, never the codebook. The check is the
    codebook generated again (:func:`codebook_markdown`, under a millisecond) compared with
    the file as it is; a folder without a codebook is :func:`ignored_files`'s to mention.

    Parameters
    ----------
    raw_dir
        Folder of the raw tables, where the codebook is.
    schemas
        The schemas the tables were read with (:func:`load_schemas` of ``schema_dir``).
    label_prefix
        How ``raw_dir`` is shown (the config's ``raw_dir``).
    schema_dir
        The config's ``schema_dir``: the codebook's header names it, and so does the command.
    """
    path = Path(raw_dir) / "README.md"
    try:
        current = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        return None
    except (OSError, UnicodeDecodeError):
        current = None
    folder = Path(schema_dir).as_posix()
    if current == codebook_markdown(schemas, folder):
        return None
    out = f"{label_prefix.rstrip('/')}/README.md" if label_prefix.rstrip("/") else "README.md"
    schemas_arg = "" if folder == DEFAULT_SCHEMA_DIR else f" --schemas {folder}"
    # The command as the README gives it (see ignored_files).
    return (f"the codebook {out} is not what the schemas in {folder}/ give (they changed since it was written: an "
            f"outcome code or a column added, say), so it describes other tables than the build reads; "
            f"`.venv/bin/metareview codebook{schemas_arg} --out {out}` writes it again")


# --------------------------------------------------------------------------- removing a study


@dataclass(frozen=True)
class StudyRows:
    """What taking one study out of the review deletes (:func:`study_rows`).

    ``rows``: each table's spreadsheet rows that name the study, the tables in
    :data:`TABLES` order (those naming it in none left out). ``own_sources``: the rows of
    ``sources.csv`` (row, source_id) that these rows cite and no other row does.
    ``shared_sources``: those they cite that other rows cite too (row, source_id, how
    many other rows), which stay.
    """

    study_id: str
    rows: dict[str, list[int]]
    own_sources: list[tuple[int, str]]
    shared_sources: list[tuple[int, str, int]]


def study_rows(data: RawData, study_id: str) -> StudyRows:
    """Every row of every table that names ``study_id``, and the documents only those rows
    cite: docs/editing-studies.md, "Taking a study out of the review", deletes both.

    A row names the study in any column whose key points to ``studies.study_id`` (a
    claim's ``attributed_study_id`` among them), or is its own ``studies.csv`` row. A
    document is cited in any column whose key points to ``sources.source_id``.

    Raises
    ------
    LookupError
        ``studies.csv`` lists no such study; the message says what was expected and found,
        and the listed id it is closest to.
    """
    if study_id not in data.study_ids:
        close = _closest(study_id, data.study_ids)
        raise LookupError(f"expected a study_id listed in studies.csv, found {_quoted(study_id)}"
                          + (f"; did you mean '{close[0]}'?" if close else ""))

    def keyed(table: str, target: str) -> list[str]:
        """The columns of ``table`` whose key (of one column) points to ``target``."""
        return [c for c, t in (data.schemas[table].get("x-foreign-keys") or {}).items()
                if t == target and "," not in c]

    rows: dict[str, list[int]] = {}
    mine: set[str] = set()
    others: Counter[str] = Counter()
    for table in TABLES:
        naming = keyed(table, "studies.study_id") + (["study_id"] if table == "studies" else [])
        citing = keyed(table, "sources.source_id")
        for r in data.rows(table):
            ours = any(r.get(c) == study_id for c in naming)
            if ours:
                rows.setdefault(table, []).append(r.row)
            for c in citing:
                if r.get(c) is not None:
                    if ours:
                        mine.add(str(r[c]))
                    else:
                        others[str(r[c])] += 1
    listed = {str(r["source_id"]): r.row for r in data.rows("sources")}
    cited = sorted((listed[s], s) for s in mine if s in listed)
    return StudyRows(study_id, rows, [(row, s) for row, s in cited if not others[s]],
                     [(row, s, others[s]) for row, s in cited if others[s]])


# --------------------------------------------------------------------------- bundles


def row_ref(row: Row, ordinal: int) -> str:
    """Stable reference of a study's row: ``<table>.csv:<study>#<n>``.

    It names the n-th row of that study in that table, so it does not change when other
    studies' rows are inserted above it (which keeps unrelated jobs from rerunning); the
    report's audit table resolves it back to the spreadsheet row number.
    """
    return f"{row.table}.csv:{row['study_id']}#{ordinal}"


def study_bundle(data: RawData, study_id: str) -> dict[str, Any]:
    """Everything the raw tables say about one study, as plain JSON-ready data.

    The bundle is what a per-study job sees: the study row, its rows in each study table
    (each with a stable ``_ref``, and its number cells as typed in ``_text``, see
    :attr:`Row.text`), and the lookup rows (treatments, instruments, sources)
    they use. Changing another study's rows does not change this bundle.
    """
    return study_bundles(data, [study_id])[study_id]


def study_bundles(data: RawData, study_ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """:func:`study_bundle` of each study in ``study_ids`` (default: every study).

    One pass over each table for all studies: a review of thousands of studies builds its
    plan in time linear in its rows, not in studies x rows.

    Raises
    ------
    KeyError
        A study in ``study_ids`` has no row in ``studies.csv``.
    """
    first: dict[str, Row] = {}
    for row in data.rows("studies"):
        first.setdefault(row["study_id"], row)
    wanted = list(first) if study_ids is None else list(study_ids)
    bundles: dict[str, dict[str, Any]] = {}
    used: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for study_id in wanted:
        study = first.get(study_id)
        if study is None:
            raise KeyError(f"no study {study_id!r} in studies.csv")
        bundles[study_id] = {"study": dict(study.values)}
        used[study_id] = (set(), set(), {study["source_id"]})
    for table in STUDY_TABLES:
        for each in bundles.values():
            each[table] = []
        ordinals: dict[str, int] = {}
        for row in data.rows(table):
            study_id = row["study_id"]
            bundle = bundles.get(study_id)
            if bundle is None:
                continue
            ordinals[study_id] = ordinal = ordinals.get(study_id, 0) + 1
            values = dict(row.values)
            values["_ref"] = row_ref(row, ordinal)
            # The number cells as typed, for the messages that quote them (checks.py); a
            # row without one has none, so that rows copied whole into a study's results
            # (its risk-of-bias judgements) stay as they were.
            if row.text:
                values["_text"] = dict(row.text)
            bundle[table].append(values)
            treatments, instruments, sources = used[study_id]
            if "treatment" in values:
                treatments.add(values["treatment"])
            if "instrument" in values:
                instruments.add(values["instrument"])
            if "source_id" in values:
                sources.add(values["source_id"])
    for study_id, bundle in bundles.items():
        treatments, instruments, sources = used[study_id]
        bundle["treatments"] = [dict(r.values) for r in data.rows("treatments") if r["treatment"] in treatments]
        bundle["instruments"] = [dict(r.values) for r in data.rows("instruments") if r["instrument"] in instruments]
        bundle["sources"] = [dict(r.values) for r in data.rows("sources") if r["source_id"] in sources]
    return bundles


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace: equal data give equal strings."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def resolve_refs(data: RawData) -> dict[str, tuple[str, int]]:
    """Map every stable row reference (see :func:`row_ref`) to ``(file, spreadsheet row)``,
    a row of a table no study owns by its key (``sources.csv:<source_id>``,
    :data:`metareview.checks.KEYED_TABLES`) too."""
    out: dict[str, tuple[str, int]] = {}
    for table, key in KEYED_TABLES.items():
        for row in data.rows(table):
            out.setdefault(f"{table}.csv:{row.get(key)}", (f"{table}.csv", row.row))
    # A study's own row, one per study (a consistency warning may point at its label).
    for row in data.rows("studies"):
        out[f"studies.csv:{row['study_id']}#1"] = ("studies.csv", row.row)
    for table in STUDY_TABLES:
        counts: dict[str, int] = {}
        for row in data.rows(table):
            n = counts[row["study_id"]] = counts.get(row["study_id"], 0) + 1
            out[row_ref(row, n)] = (f"{table}.csv", row.row)
    return out


# --------------------------------------------------------------------------- codebook


def codebook_markdown(schemas: Mapping[str, Mapping[str, Any]], schema_dir: str = "config/schemas/raw") -> str:
    """The codebook of the raw tables, generated from their schemas (``data/raw/README.md``).

    ``schema_dir`` is the folder the schemas were read from, which the codebook names as
    the files to edit: a review whose tables and schemas live in folders of their own
    (``raw_dir`` and ``schema_dir`` in the config) edits its own schemas, not the example's.
    """
    out = [
        "# Raw data codebook",
        "",
        (
            f"<!-- Generated from {schema_dir.rstrip('/')}/*.schema.yaml by `metareview codebook`; "
            "edit the schemas, not this file. -->"
        ),
        "",
        "The raw tables are CSV files (UTF-8, with or without the byte-order mark Excel's \"CSV UTF-8\" writes;",
        "comma-separated, one header row; Windows or Unix line ends).",
        "The header names every column of the table's list below, in any order: a column with",
        "nothing to report stays, its cells empty (a header without one is refused, lest a",
        "column deleted in a spreadsheet pass as one left empty). Columns right of the last",
        "named one, without a name and empty, as a spreadsheet pads its rows, are read past; a",
        "value in one is refused. A spreadsheet set to save `;`-separated files with decimal",
        "commas (Excel in many European locales) must be set to `,` and `.` for these files.",
        "They are never written by the pipeline. Every cell is validated before anything is",
        "built; problems are reported with the file, the row (the header is row 1, as in a",
        "spreadsheet) and the column, by its name and the spreadsheet letter it has in the file",
        "as saved (\"column 'sd' (K)\"), as are the report's consistency warnings. An empty",
        "cell means *not reported*. Numbers use `.` for decimals and ASCII `-` for minus, and lie",
        (f"between -{_size(MAX_MAGNITUDE)} and {_size(MAX_MAGNITUDE)} (no measurement comes near; past it, the "
         "squares the effect sizes"),
        "take would overflow); a text cell may not start with `=`, `+`, `@`, a tab or a carriage",
        "return, nor with `-` unless the whole cell is a number (spreadsheet programs would run",
        "it as a formula).",
        "",
    ]
    for table in TABLES:
        schema = schemas[table]
        out += [f"## `{table}.csv`", "", " ".join(str(schema.get("description", "")).split()), ""]
        if schema.get("x-primary-key"):
            out.append(f"Unique key: {', '.join('`' + c + '`' for c in schema['x-primary-key'])}.")
        fks = schema.get("x-foreign-keys") or {}
        if fks:
            out.append("References: " + "; ".join(f"`{k}` -> `{v}`" for k, v in fks.items()) + ".")
        out.append("May be empty (its header row alone): a review with no such rows." if schema.get("x-may-be-empty")
                   else "Needs at least one row: a header alone is refused.")
        out += ["", "| column | required | type | description |", "|---|---|---|---|"]
        required = set(schema.get("required", []))
        for name, spec in schema["properties"].items():
            kind = _describe_expected(spec).replace("|", "\\|")
            if "pattern" in spec:
                kind = f"text matching `{spec['pattern']}`"
            desc = " ".join(str(spec.get("description", "")).split())
            if spec.get("x-if-missing"):
                # Said where a team with an older table looks for the column.
                desc += (" A header without it (a table written before it was documented) is refused: "
                         f"{' '.join(str(spec['x-if-missing']).split())}.")
            desc = desc.replace("|", "\\|")
            out.append(f"| `{name}` | {'yes' if name in required else ''} | {kind} | {desc} |")
        out.append("")
    return "\n".join(out)


def iter_problems(exc: RawDataError) -> Iterable[str]:
    """The problems of an error as strings (for logs and tests)."""
    return (str(p) for p in exc.problems)
