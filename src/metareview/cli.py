"""The ``metareview`` command line: effect sizes and pooled models from CSV files.

::

    metareview escalc --measure SMD --data in.csv --out out.csv \\
        [--vtype LS] [--add 0.5] [--to only0] [--drop00]
    metareview rma --data effects.csv --method REML --test knha --json out.json \\
        [--yi yi] [--vi vi | --sei se] [--level 95] [--mods col1,col2] [--btt 1,2] \\
        [--weights w] [--unweighted] [--tau2 0.04] [--diagnostics]
    metareview study-rows Kwon2007 [--raw data/raw] [--schemas config/schemas/raw]

``escalc`` reads the columns named as in metafor (``m1i``, ``sd1i``, ``n1i``, ...,
``ai``, ``bi``, ...) and writes every input column unchanged plus ``yi`` and ``vi``,
formatted with ``repr`` (the shortest string that reads back to the same double).
``--vtype``, ``--add``, ``--to`` and ``--drop00`` are metafor's ``vtype``, ``add``,
``to`` and ``drop00``, with its defaults; the last three apply to counts (OR, RR, RD, PR,
PLO), and are refused for other measures. A table ``--drop00`` drops (metafor's NA) is
left out of the output, with a warning naming its data row.
``rma`` writes ``RMAResult.to_dict()`` plus the Q-profile confidence bounds for tau^2,
tau, I^2 and H^2 (``tau2_ci_lb``, ``tau2_ci_ub``, ...) and, with ``--diagnostics``,
leave-one-out, influence and cumulative results and the small-study bias tests (keys
``leave1out``, ``influence``, ``cumul``, ``bias``); study labels come from a ``slab``,
``study`` or ``author`` column when there is one. ``--sei``, ``--weights``,
``--unweighted``, ``--tau2`` and ``--btt`` are metafor's ``sei``, ``weights``,
``weighted=FALSE``, ``tau2`` and ``btt`` (see :func:`metareview.pool.rma`); ``--btt``
takes 0-based indices or coefficient names, never a regular expression.

Bad input (missing file or column, empty file, non-numeric or out-of-range values,
negative variances, standard errors or weights, fewer studies than the model needs)
ends with exit status 2 and one line on stderr naming the file, the data row (1 = first
row after the header; the physical line is given as well) and the column, and what was
expected and found. ``escalc`` writes a variance of 0 where metafor's ``escalc`` gives
one (a mean difference from SDs of 0) and stops, naming the row, where it gives NA.
``rma`` reads a variance (or standard error) of 0, as metafor does, and leaves it to
the model: it warns, and fits or refuses such data as :func:`metareview.pool.rma` does;
the model's refusal ends the same way. One of the ``--diagnostics`` that refuses the data
(ranktest on a study of vi = 0, say) does not stop the others: it is null in the JSON,
its reason under ``diagnostics_errors`` (``{}`` when all were computed) and on stderr,
one line each, and the exit status is 3 once the JSON is written.
Outputs are written to a temporary file and renamed, so a failure never leaves a
partial file.
``study-rows`` reads the raw tables and changes nothing: it prints every row of every table
that names the study and the documents in ``sources.csv`` that only those rows cite, which
taking the study out of the review deletes (docs/editing-studies.md); tables that fail
validation, or a study ``studies.csv`` does not list, end with exit status 2.

The standard library's ``csv`` module reads the tables and numpy/scipy are imported
only by the subcommand that needs them: start-up time is what every call pays.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXIT_INPUT = 2
#: ``rma --diagnostics`` wrote its JSON but some diagnostic refused the data (named on
#: stderr and in ``diagnostics_errors``): not 0, so that a script notices, and not 2,
#: since the fit and the other diagnostics are there
EXIT_DIAGNOSTICS = 3

# metafor's data arguments of escalc, by kind of value they hold (for row-level checks
# with a message naming the row; escalc itself re-validates everything)
_COUNT_COLUMNS = ("ai", "bi", "ci", "xi", "mi")  # events/non-events: >= 0
_SIZE_COLUMNS = ("n1i", "n2i", "ni")  # group or total sizes: > 0
_SD_COLUMNS = ("sd1i", "sd2i")  # standard deviations: >= 0
_TWO_BY_TWO = ("OR", "RR", "RD")
#: measures whose counts escalc's continuity correction (add, to) reads; drop00 reads
#: only the 2x2 tables
_COUNT_MEASURES = (*_TWO_BY_TWO, "PR", "PLO")

#: tau^2 estimators that assume no heterogeneity (they need fewer studies)
_FIXED_METHODS = ("FE", "EE")

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class InputError(Exception):
    """Input the user has to fix; reported as one line, exit status 2."""


# --------------------------------------------------------------------------- tables


@dataclass
class Table:
    """A CSV file read as text: header, data rows, and the line each row ends on."""

    path: str
    header: list[str]
    rows: list[list[str]]
    lines: list[int]

    def where(self, i: int, column: str | None = None) -> str:
        """``"file: data row N (line L), column 'c'"`` for 0-based data row ``i``."""
        text = f"{self.path}: data row {i + 1} (line {self.lines[i]})"
        return f"{text}, column {column!r}" if column is not None else text

    def has(self, column: str) -> bool:
        return column in self.header

    def text(self, column: str) -> list[str]:
        j = self.header.index(column)
        return [row[j] for row in self.rows]

    def require(self, columns: Iterable[str], why: str) -> None:
        missing = [c for c in columns if c not in self.header]
        if missing:
            raise InputError(
                f"{self.path}: missing column {missing[0]!r} ({why}); "
                f"the header has {', '.join(repr(h) for h in self.header)}"
            )

    def numbers(
        self,
        column: str,
        check: Callable[[float], bool] | None = None,
        expected: str = "a finite number",
    ) -> list[float]:
        """Parse a column as finite decimal numbers, optionally checking each value."""
        self.require([column], "needed for this command")
        out = []
        for i, cell in enumerate(self.text(column)):
            s = cell.strip()
            if not _NUMBER.fullmatch(s):
                found = "an empty cell" if not s else repr(cell)
                raise InputError(f"{self.where(i, column)}: expected {expected}, found {found}")
            x = float(s)
            if not math.isfinite(x) or (check is not None and not check(x)):
                raise InputError(f"{self.where(i, column)}: expected {expected}, found {cell!r}")
            out.append(x)
        return out


def read_table(path: str) -> Table:
    """Read a comma-separated file with a header row (UTF-8, optional BOM).

    Blank lines are skipped; every other row must have as many fields as the header.
    """
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    with handle:
        reader = csv.reader(handle)
        try:
            for record in reader:
                if not record or all(not field.strip() for field in record):
                    continue
                if header is None:
                    header = [h.strip() for h in record]
                    continue
                if len(record) != len(header):
                    raise InputError(
                        f"{path}: data row {len(rows) + 1} (line {reader.line_num}): expected "
                        f"{len(header)} fields as in the header, found {len(record)}"
                    )
                rows.append(record)
                lines.append(reader.line_num)
        except csv.Error as exc:
            raise InputError(f"{path}: line {reader.line_num}: not valid CSV ({exc})") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not a UTF-8 text file ({exc.reason})") from None
    if header is None:
        raise InputError(f"{path}: empty file, expected a header row and at least one data row")
    for j, name in enumerate(header):
        if not name:
            raise InputError(f"{path}: header field {j + 1} is empty; every column needs a name")
        if name in header[:j]:
            raise InputError(f"{path}: column {name!r} appears twice in the header")
    if not rows:
        raise InputError(f"{path}: no data rows after the header")
    return Table(path, header, rows, lines)


def _write_atomic(path: str, write: Callable[[Any], None]) -> None:
    """Write through a temporary file in the target directory, then rename."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".metareview-", dir=directory)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the output ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _fmt(x: float) -> str:
    """Round-tripping float text (``repr``); metafor's NA for missing values."""
    return repr(float(x)) if math.isfinite(x) else "NA"


def _rows_in_message(message: str) -> str:
    """The library names 0-based row indices ("index 3", "indices [0, 3]", "vi[0]"); the
    CLI speaks of 1-based data rows."""

    def rows(m: re.Match[str]) -> str:
        numbers = [int(n) + 1 for n in m.group(1).split(",") if n.strip()]
        return f"data row{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}"

    message = re.sub(r"\bindex (\d+)", lambda m: f"data row {int(m.group(1)) + 1}", message)
    message = re.sub(r"\bindices \[([\d, ]+)\]", rows, message)
    return re.sub(
        r"\b(yi|vi|sei)\[(\d+)\]",
        lambda m: f"{m.group(1)} of data row {int(m.group(2)) + 1}",
        message,
    )


@contextlib.contextmanager
def _warnings_to_stderr(path: str) -> Iterator[None]:
    """Report library warnings (metafor's notes) as one line each, after the call."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            said: set[str] = set()
            for w in caught:
                text = _rows_in_message(str(w.message))
                # the diagnostics refit the model and repeat its warnings (metafor's
                # regtest does too): each is said once
                if text not in said:
                    said.add(text)
                    print(f"metareview: warning: {path}: {text}", file=sys.stderr)


def _labels(table: Table) -> list[str] | None:
    """Study labels from a ``slab``, ``study`` or ``author`` column, if there is one."""
    for name in ("slab", "study", "author"):
        if table.has(name):
            return [cell.strip() for cell in table.text(name)]
    return None


# --------------------------------------------------------------------------- escalc


#: escalc's measures (metareview.effects.MEASURES, which a test holds this to), written
#: out: the help is printed without importing numpy.
ESCALC_MEASURES = ("OR", "RR", "RD", "MD", "SMD", "ROM", "MC", "SMCC", "SMCR", "SMCRH", "PR", "PLO", "ZCOR")


def _escalc_arguments(measure: str) -> frozenset[str]:
    """The data arguments escalc reads for ``measure`` (metafor's column names)."""
    from metareview import effects

    by_measure = effects.ARGS_BY_MEASURE
    if measure not in by_measure:
        raise InputError(f"unknown measure {measure!r}; supported: {', '.join(effects.MEASURES)}")
    return frozenset(by_measure[measure])


def _zero_cell_options(args: argparse.Namespace) -> dict[str, Any]:
    """escalc's ``add``, ``to`` and ``drop00`` from ``--add``, ``--to`` and ``--drop00``,
    with metafor's defaults (0.5, "only0", FALSE) for those not given.

    metafor ignores them for a measure without counts; here, as for a data column the
    measure does not read, giving one is refused, since it is more likely a mistake
    than a choice.
    """
    measure = args.measure
    given = [f"--{name}" for name in ("add", "to") if getattr(args, name) is not None]
    if measure not in _COUNT_MEASURES and (given or args.drop00):
        named = ", ".join([*given, *(["--drop00"] if args.drop00 else [])])
        raise InputError(
            f"{named}: measure {measure} has no counts to correct; metafor's add, to and "
            f"drop00 apply to {', '.join(_COUNT_MEASURES)} (drop00 to {', '.join(_TWO_BY_TWO)})"
        )
    if args.drop00 and measure not in _TWO_BY_TWO:
        raise InputError(
            f"--drop00: measure {measure} has one group, and drop00 (metafor's) leaves out "
            f"2x2 tables with no events, or only events, in both groups: "
            f"{', '.join(_TWO_BY_TWO)}"
        )
    return {
        "add": 0.5 if args.add is None else args.add,
        "to": "only0" if args.to is None else args.to,
        "drop00": bool(args.drop00),
    }


def cmd_escalc(args: argparse.Namespace) -> int:
    from metareview.effects import escalc

    measure = args.measure
    wanted = _escalc_arguments(measure)
    options = _zero_cell_options(args)
    table = read_table(args.data)
    for name in ("yi", "vi"):
        if table.has(name):
            raise InputError(
                f"{args.data}: already has a column {name!r}; escalc would overwrite it"
            )
    present = sorted(c for c in wanted if table.has(c))
    if not present:
        raise InputError(
            f"{args.data}: no input column for measure {measure}; expected columns among "
            f"{', '.join(sorted(wanted))} (metafor's names)"
        )
    # Keyed by escalc's data arguments (ai, m1i, ...): Any, since the checker cannot tie
    # a column's name to the parameter it fills and would match it against add or to.
    data: dict[str, Any] = {}
    for name in present:
        if name in _COUNT_COLUMNS or (name == "di" and measure in _TWO_BY_TWO):
            data[name] = table.numbers(name, lambda x: x >= 0, "a count >= 0")
        elif name in _SIZE_COLUMNS:
            data[name] = table.numbers(name, lambda x: x > 0, "a sample size > 0")
        elif name in _SD_COLUMNS:
            data[name] = table.numbers(name, lambda x: x >= 0, "a standard deviation >= 0")
        elif name == "ri":
            data[name] = table.numbers(name, lambda x: -1 <= x <= 1, "a correlation in [-1, 1]")
        else:
            data[name] = table.numbers(name)

    with _warnings_to_stderr(args.data):
        try:
            es = escalc(measure, **data, vtype=args.vtype, **options)
        except ValueError as exc:
            raise InputError(
                f"{args.data}: escalc({measure}): {_rows_in_message(str(exc))}"
            ) from None

    yi = [float(x) for x in es.yi]
    vi = [float(x) for x in es.vi]
    rows = list(range(len(yi)))
    if args.drop00 and es.dropped is not None and es.dropped.any():
        # metafor's escalc sets these tables to NA and its rma leaves them out ("Studies
        # with NAs omitted from model fitting"); no model here takes a study without yi,
        # so they are left out of the table written, and said so
        dropped = [i for i in rows if es.dropped[i]]
        rows = [i for i in rows if not es.dropped[i]]
        print(
            f"metareview: warning: {args.data}: --drop00: "
            f"{_rows_in_message(f'indices {dropped}')} (no events in both groups, or only "
            "events) left out of the output, where metafor's escalc gives NA",
            file=sys.stderr,
        )
    # vi = 0 is written, as metafor's escalc gives it (from SDs of 0, say): rma reads it
    # and the model decides. A missing yi or vi (metafor's NA) is refused, since no model
    # takes a study without one. A row without yi is named first: with vtype AV one such
    # row leaves the vi of every row missing.
    bad = [i for i in rows if not math.isfinite(yi[i])]
    bad += [i for i in rows if not math.isfinite(vi[i])]
    if bad:
        i = bad[0]
        used = ", ".join(f"{c}={table.text(c)[i].strip()}" for c in present)
        raise InputError(
            f"{table.where(i)}: escalc({measure}) gives yi = {_fmt(yi[i])}, vi = {_fmt(vi[i])} "
            f"from {used} (as metafor's escalc does); expected a finite effect size and "
            "variance"
        )

    def write(handle: Any) -> None:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([*table.header, "yi", "vi"])
        for i in rows:
            writer.writerow([*table.rows[i], _fmt(yi[i]), _fmt(vi[i])])

    _write_atomic(args.out, write)
    return 0


# --------------------------------------------------------------------------- rma


def _min_studies(method: str, test: str, p: int, tau2_given: bool = False) -> int:
    """Smallest k the model can be fitted with: the equal-effects model needs k >= p
    (k > p for a t-based test, which has k - p df); a random-effects model estimates
    tau^2 as well and needs k >= p + 1, unless tau^2 is given (``--tau2``), when it
    estimates no more than the equal-effects model."""
    if method in _FIXED_METHODS or tau2_given:
        return p + 1 if test != "z" else p
    return p + 1


_INTEGER = re.compile(r"[+-]?\d+")


def _btt_items(text: str) -> list[int] | list[str]:
    """``--btt``'s comma-separated items: all 0-based indices or all coefficient names
    (an integer is always an index, even where a ``--mods`` column has such a name).

    Never a regular expression (metafor 3.8-1 reads one character string so): the
    coefficients are the intercept and the ``--mods`` columns, each named on the command
    line already, and one name read as a pattern would also select every coefficient
    whose name contains it.
    """
    items = [item.strip() for item in text.split(",")]
    if any(not item for item in items):
        raise InputError(f"--btt {text!r}: empty item in the list")
    numeric = [bool(_INTEGER.fullmatch(item)) for item in items]
    if all(numeric):
        return [int(item) for item in items]
    if any(numeric):
        raise InputError(
            f"--btt {text!r}: give either 0-based indices or coefficient names, not both"
        )
    return items


def _btt_indices(text: str, coef_names: Sequence[str]) -> list[int]:
    """The sorted 0-based indices ``--btt`` selects among ``coef_names``, checked here
    so that the message names the option and lists the coefficients."""
    items = _btt_items(text)
    listing = ", ".join(f"{j} {name!r}" for j, name in enumerate(coef_names))
    chosen: set[int] = set()
    for item in items:
        if isinstance(item, str):
            if item not in coef_names:
                raise InputError(
                    f"--btt {text!r}: no coefficient named {item!r}; the coefficients are "
                    f"{listing} (the intercept and the --mods columns)"
                )
            if list(coef_names).count(item) > 1:
                # metafor's renaming can leave a name twice (columns x.1, x, x)
                raise InputError(
                    f"--btt {text!r}: {item!r} names more than one coefficient; give "
                    f"0-based indices: {listing}"
                )
            chosen.add(list(coef_names).index(item))
        elif item < 0:
            # R's negative indices exclude, Python's count from the end: neither is read
            raise InputError(
                f"--btt {text!r}: negative index {item}; give the 0-based indices of the "
                f"coefficients to test: {listing}"
            )
        elif item >= len(coef_names):
            raise InputError(
                f"--btt {text!r}: index {item} is beyond the {len(coef_names)} "
                f"coefficient(s), 0-based: {listing}"
            )
        else:
            chosen.add(item)
    return sorted(chosen)


def _jsonable(value: Any) -> Any:
    """Plain JSON values: numpy to Python, NaN/inf to null, tuples to lists."""
    import numpy as np

    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, str):
        return value
    if hasattr(value, "to_dict"):
        return _jsonable(value.to_dict())
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _diagnostics(res: Any, mods: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """Case diagnostics and small-study bias tests, under metafor's function names, and
    the reason for each that could not be computed, by its JSON key.

    leave1out, cumul and trim-and-fill are defined for models without moderators only
    (as in metafor); with moderators they are omitted. A diagnostic that refuses the
    data (as ranktest refuses a study of vi = 0) is null, with its
    reason in the second dict: one refusal does not take the others with it, since each
    reads the data on its own.
    """
    from metareview import bias, diagnostics

    errors: dict[str, str] = {}

    def run(name: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except (ValueError, RuntimeError) as exc:
            errors[name] = _rows_in_message(str(exc))
            return None

    out: dict[str, Any] = {}
    if not mods:
        out["leave1out"] = run("leave1out", lambda: diagnostics.leave1out(res))
    out["influence"] = run("influence", lambda: diagnostics.influence(res))
    if not mods:
        out["cumul"] = run("cumul", lambda: diagnostics.cumul(res))
    tests: dict[str, Any] = {
        "regtest": run("regtest", lambda: bias.regtest(res)),
        "regtest_lm": run("regtest_lm", lambda: bias.regtest(res, model="lm")),
        "ranktest": run("ranktest", lambda: bias.ranktest(res)),
    }
    if not mods:
        tests["trimfill"] = run("trimfill", lambda: bias.trimfill(res))
    tests["fsn"] = run("fsn", lambda: bias.fsn(res.yi, res.vi))
    out["bias"] = tests
    return out, errors


def cmd_rma(args: argparse.Namespace) -> int:
    table = read_table(args.data)
    mods = [m.strip() for m in args.mods.split(",")] if args.mods else []
    if any(not m for m in mods):
        raise InputError(f"--mods {args.mods!r}: empty column name in the list")
    twice = sorted({m for m in mods if mods.count(m) > 1})
    if twice:
        raise InputError(
            f"{args.data}: --mods {args.mods!r}: column(s) named more than once: {', '.join(twice)}"
        )
    btt = None
    if args.btt is not None:
        from metareview.pool import _make_unique

        # the intercept and the moderators, named as rma(mods=dict) names them
        coef_names = _make_unique(["intrcpt", *mods])
        if "intrcpt" in mods and "intrcpt" in _btt_items(args.btt):
            # metafor names the intercept intrcpt.1 and such a column intrcpt.2, and reads
            # btt = "intrcpt" as a pattern that tests both; a name here is never a pattern
            j = 1 + mods.index("intrcpt")
            raise InputError(
                f"{args.data}: --btt {args.btt!r}: the --mods column 'intrcpt' has the "
                f"intercept's name, so (as in metafor) the intercept is the coefficient "
                f"{coef_names[0]!r} (index 0) and that column {coef_names[j]!r} (index {j}); "
                "give one of those names or indices, or rename the column"
            )
        btt = _btt_indices(args.btt, coef_names)
    vi_column = args.vi if args.vi is not None else ("vi" if args.sei is None else None)
    given = [args.yi, vi_column or args.sei, *mods]
    if args.weights is not None:
        given.append(args.weights)
    table.require(given, "named on the command line")
    yi = table.numbers(args.yi, expected="a finite effect size")
    vi = sei = None
    # >= 0, as metafor reads them: a study of vi = 0 is fitted or refused by the model
    # (it warns of it, and FE, DL, PM, ... refuse it unless weighted otherwise), which
    # names the studies and the reason, as no check here could for every model
    if vi_column is not None:
        vi = table.numbers(vi_column, lambda x: x >= 0, "a sampling variance >= 0")
    else:
        sei = table.numbers(args.sei, lambda x: x >= 0, "a standard error >= 0")
    weights = (
        table.numbers(args.weights, lambda x: x >= 0, "a weight >= 0")
        if args.weights is not None
        else None
    )
    columns = [table.numbers(m, expected="a finite moderator value") for m in mods]
    k = len(yi)
    p = 1 + len(mods)
    tau2_given = args.tau2 is not None
    need = _min_studies(args.method, args.test, p, tau2_given)
    if k < need:
        estimated = args.method not in _FIXED_METHODS and not tau2_given
        what = f"{p} coefficient(s)" + (" and tau^2" if estimated else "")
        raise InputError(
            f"{args.data}: {k} stud{'y' if k == 1 else 'ies'} (data rows); method "
            f"{args.method} with test {args.test} estimates {what} and needs at least "
            f"{need} studies"
        )

    import numpy as np

    from metareview.pool import rma

    # by name, so that the coefficients are named after the columns, as metafor's
    # mods = ~ col1 + col2 names them
    X = dict(zip(mods, columns)) if columns else None
    with _warnings_to_stderr(args.data):
        try:
            res = rma(
                np.array(yi), None if vi is None else np.array(vi),
                sei=None if sei is None else np.array(sei), method=args.method, test=args.test,
                level=args.level, mods=X, slab=_labels(table), btt=btt,
                weights=None if weights is None else np.array(weights),
                weighted=not args.unweighted, tau2=args.tau2,
            )  # fmt: skip
            # RMAResult.to_dict(confint=True) adds the Q-profile bounds tau2_ci_lb, ...
            out = dict(res.to_dict(confint=True))
        except (ValueError, RuntimeError) as exc:
            raise InputError(f"{args.data}: {_rows_in_message(str(exc))}") from None
        failed: dict[str, str] = {}
        if args.diagnostics:
            found, failed = _diagnostics(res, bool(mods))
            out.update(found)
            out["diagnostics_errors"] = failed
    call: dict[str, Any] = {"data": os.path.basename(args.data), "yi": args.yi, "vi": vi_column}
    # the options added to the original set are recorded only when given, so that the
    # output of a call without them stays as it was
    if args.sei is not None:
        call["sei"] = args.sei
    call.update(mods=mods, method=args.method, test=args.test, level=args.level)
    if args.btt is not None:
        call["btt"] = _btt_items(args.btt)
    if args.weights is not None:
        call["weights"] = args.weights
    if args.unweighted:
        call["weighted"] = False
    if tau2_given:
        call["tau2"] = args.tau2
    call["diagnostics"] = bool(args.diagnostics)
    out["call"] = call
    text = json.dumps(_jsonable(out), indent=2, allow_nan=False) + "\n"
    _write_atomic(args.json, lambda handle: handle.write(text))
    # after the file is written, so that its name is the place to look
    for name, reason in failed.items():
        print(
            f"metareview: error: {args.data}: --diagnostics: {name} not computed: {reason}",
            file=sys.stderr,
        )
    return EXIT_DIAGNOSTICS if failed else 0


# --------------------------------------------------------------------------- main


def _level(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a percentage, found {text!r}") from None
    if not 0 < x < 100:
        raise argparse.ArgumentTypeError(f"expected a percentage in (0, 100), found {text!r}")
    return x


def _nonnegative(text: str) -> float:
    """A finite number >= 0, for ``--tau2`` and ``--add``.

    metafor takes any number for both, and a negative one is no choice anyone means: a
    negative tau^2 is replaced by 0 or stops the fit, depending on the estimator and the
    data, and a negative ``add`` takes the log of a negative count (NaN, "NaNs
    produced") wherever a cell is corrected.
    """
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, found {text!r}") from None
    if not (math.isfinite(x) and x >= 0):
        raise argparse.ArgumentTypeError(f"expected a finite number >= 0, found {text!r}")
    return x


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="metareview",
        description="Effect sizes and meta-analytic models with metafor's conventions.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_es = sub.add_parser(
        "escalc",
        help="compute effect sizes yi and variances vi (metafor's escalc)",
        description="Read study data with metafor's column names, write them back with yi and vi.",
    )
    p_es.add_argument(
        "--measure", required=True, help=f"metafor measure code: {', '.join(ESCALC_MEASURES)}"
    )
    p_es.add_argument("--data", required=True, metavar="CSV", help="input table")
    p_es.add_argument("--out", required=True, metavar="CSV", help="output table")
    p_es.add_argument("--vtype", default="LS", help="variance type (metafor's vtype; default LS)")
    p_es.add_argument(
        "--add",
        type=_nonnegative,
        metavar="X",
        help="continuity correction added to the counts (metafor's add; default 0.5); "
        "OR, RR, RD, PR and PLO",
    )
    p_es.add_argument(
        "--to",
        choices=("only0", "all", "if0all", "none"),
        help="the tables --add is added to: those with a zero count (only0, the default), "
        "all, all if any has one (if0all), none (metafor's to)",
    )
    p_es.add_argument(
        "--drop00",
        action="store_true",
        help="leave out 2x2 tables with no events, or only events, in both groups "
        "(metafor's drop00=TRUE; OR, RR, RD)",
    )
    p_es.set_defaults(func=cmd_escalc)

    p_rma = sub.add_parser(
        "rma",
        help="fit a random- or equal-effects model (metafor's rma)",
        description="Fit rma(yi, vi, ...) to a table of effect sizes and write the results as JSON.",
    )
    p_rma.add_argument("--data", required=True, metavar="CSV", help="table of effect sizes")
    p_rma.add_argument(
        "--yi", default="yi", metavar="COLUMN", help="effect size column (default yi)"
    )
    # metafor fits vi and ignores sei when given both; two sources of one variance that
    # may disagree are refused instead, as rma(vi=..., sei=...) refuses them
    variances = p_rma.add_mutually_exclusive_group()
    variances.add_argument(
        "--vi", metavar="COLUMN", help="sampling variance column (default vi, unless --sei)"
    )
    variances.add_argument(
        "--sei", metavar="COLUMN", help="standard error column, in place of --vi (vi = sei^2)"
    )
    p_rma.add_argument(
        "--method",
        default="REML",
        choices=("FE", "EE", "DL", "REML", "ML", "PM", "PMM", "HE", "SJ", "EB", "HS"),
        help="tau^2 estimator (default REML)",
    )
    p_rma.add_argument(
        "--test", default="z", choices=("z", "t", "knha", "adhoc"), help="inference (default z)"
    )
    p_rma.add_argument(
        "--level",
        type=_level,
        default=95.0,
        help="confidence level in percent (90); a proportion (0.9) is read as metafor reads it",
    )
    p_rma.add_argument("--mods", metavar="COL,...", help="moderator columns (meta-regression)")
    p_rma.add_argument(
        "--btt",
        metavar="LIST",
        help="coefficients the omnibus test QM covers: 0-based indices (0 = intercept) or "
        "coefficient names (intrcpt and the --mods columns); default all but the intercept",
    )
    p_rma.add_argument(
        "--weights",
        metavar="COLUMN",
        help="weights >= 0 for the coefficients in place of 1/(vi + tau^2) (metafor's weights)",
    )
    p_rma.add_argument(
        "--unweighted",
        action="store_true",
        help="fit the coefficients by ordinary least squares (metafor's weighted=FALSE)",
    )
    p_rma.add_argument(
        "--tau2",
        type=_nonnegative,
        metavar="VALUE",
        help="fix tau^2 (the residual tau^2 with --mods) at VALUE instead of estimating it",
    )
    p_rma.add_argument(
        "--diagnostics",
        action="store_true",
        help="add leave-one-out, influence, cumulative and small-study bias results (one "
        "that refuses the data is null, its reason under diagnostics_errors: exit status 3)",
    )
    p_rma.add_argument("--json", required=True, metavar="FILE", help="output JSON file")
    p_rma.set_defaults(func=cmd_rma)

    p_cb = sub.add_parser(
        "codebook",
        help="print the raw-data codebook generated from the table schemas",
        description="Write data/raw/README.md from config/schemas/raw/*.schema.yaml.",
    )
    p_cb.add_argument("--schemas", default="config/schemas/raw", metavar="DIR", help="schema folder")
    p_cb.add_argument("--out", metavar="FILE", help="output file (default: standard output)")
    p_cb.set_defaults(func=cmd_codebook)

    p_sr = sub.add_parser(
        "study-rows",
        help="list every row that names a study, and the documents only those rows cite",
        description="List what taking a study out of the review deletes: every row of every raw table "
        "that names it, and the rows of sources.csv that only those rows cite. Nothing is changed.",
    )
    p_sr.add_argument("study_id", metavar="STUDY_ID", help="the study's id in studies.csv")
    p_sr.add_argument("--raw", default="data/raw", metavar="DIR", help="raw tables' folder (default data/raw)")
    p_sr.add_argument("--schemas", default="config/schemas/raw", metavar="DIR", help="schema folder")
    p_sr.set_defaults(func=cmd_study_rows)
    return parser


def cmd_codebook(args: argparse.Namespace) -> int:
    """Generate the codebook of the raw tables from their schemas."""
    from metareview.rawdata import SchemaError, codebook_markdown, load_schemas

    try:
        text = codebook_markdown(load_schemas(args.schemas), Path(args.schemas).as_posix())
    except SchemaError as exc:
        raise InputError(str(exc)) from None
    if args.out:
        from metareview.io import write_text_atomic

        write_text_atomic(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


def cmd_study_rows(args: argparse.Namespace) -> int:
    """Print every row that names a study and the documents only those rows cite."""
    from metareview.rawdata import RawDataError, SchemaError, read_raw, study_rows

    folder = Path(args.raw).as_posix().rstrip("/")
    try:
        data = read_raw(args.raw, args.schemas, label_prefix=folder)
    except (RawDataError, SchemaError) as exc:
        # The tables as they stand are what the list is read from: a half-done removal
        # is finished by the build's own messages instead.
        raise InputError(str(exc)) from None
    try:
        found = study_rows(data, args.study_id)
    except LookupError as exc:
        raise InputError(f"{folder}/studies.csv, column 'study_id': {exc}") from None
    count = sum(map(len, found.rows.values()))
    lines = [f"{count} rows name {found.study_id}; to take it out of the review, delete them all:"]
    lines += [f"  {folder}/{table}.csv: row{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows))}"
              for table, rows in found.rows.items()]
    lines.append(f"Documents in {folder}/sources.csv that only these rows cite; delete them too:")
    lines += [f"  row {row}: {source}" for row, source in found.own_sources] or ["  none"]
    lines.append("Documents these rows cite that other rows cite too; keep them:")
    lines += [f"  row {row}: {source} ({n} other row{'s' if n > 1 else ''})"
              for row, source, n in found.shared_sources] or ["  none"]
    print("\n".join(lines))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input, 3 when ``rma``
    wrote its JSON but some ``--diagnostics`` could not be computed)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse's own usage errors exit 2, --help exits 0
        return int(exc.code) if isinstance(exc.code, int) else EXIT_INPUT
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"metareview: error: {exc}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
