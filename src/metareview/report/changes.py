""""What changed since the last build": the report's first section.

:func:`changes_section` compares this build's key results
(:func:`metareview.report.keys.key_results`) with the last build's: the estimates,
intervals and conclusions that moved, the raw rows added, removed or edited (with the
cells that changed), the settings and explanations changed, and the studies renamed or
moved from one analysis to another (:func:`renamed_since`).
"""

from __future__ import annotations

import difflib
import itertools
import json
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from metareview.certainty import STATUSES, join_and, level_text
from metareview.checks import renamed_grade_key, renamed_key, row_identities
from metareview.fmt import f2, holds_comma, in_brackets, join_list, no_comparator_words
from metareview.fmt import in_sentence as _in_sentence
from metareview.markdown import Markdown, escape
from metareview.plots import IDENTITY_LOW
from metareview.report.base import STATUS_TEXT, _compatibility, _direction_words, _side, ci_text
from metareview.report.keys import (
    BASELINE_THRESHOLD,
    _baseline_flag_changes,
    _form_moved,
    _interval,
    _own_effect_changes,
    _replaced_trial_text,
    _study_effect_changes,
    _study_effect_shown,
    _timepoint_moved,
    _value_text,
    _window_name,
    compared_warnings,
    kept_cells,
    kept_tables,
    measure_words,
    study_digests,
    units_words,
)


def _cell_text(value: Any, start: int = 0, typed: str | None = None) -> str:
    """A raw cell for the changes section: short, quoted if text, and inert as Markdown.

    At most :data:`CELL_TEXT_LIMIT` characters of a text from ``start`` (where two versions
    of a long text begin to differ), with an ellipsis for what is left out. A number as
    ``typed`` in the CSV where it is known ("4.0", not the parsed 4): a reader searches the
    sheet for it.
    """
    if value is None or value == "":
        return "(empty)"
    if not isinstance(value, str):
        return escape(typed if typed is not None else _value_text(value))
    text = " ".join(value.split())
    head = "…" if 0 < start < len(text) else ""
    text = text[start:].lstrip() if head else text
    if len(text) > CELL_TEXT_LIMIT + 10:  # cutting a few characters would save nothing
        cut = text[:CELL_TEXT_LIMIT - 1]
        # At the end of a word, unless that loses more than a quarter of the room.
        space = cut.rfind(" ")
        text = (cut[:space] if space >= CELL_TEXT_LIMIT * 3 // 4 else cut).rstrip() + "…"
    # Verbatim: an edit of a straight apostrophe into a curly one must show.
    return escape(f"“{head}{text}”", typographic=False)


def _cell_change(column: str, old: Any, new: Any, old_typed: str | None = None, new_typed: str | None = None) -> str:
    """One changed cell, "`col` old → new"; two long texts are shown from a word a little
    before where they differ, and a change of white space alone is named as such. A
    number is shown as typed (``old_typed``, ``new_typed``) where that is known."""
    start = 0
    if isinstance(old, str) and isinstance(new, str):
        a, b = " ".join(old.split()), " ".join(new.split())
        if a == b:
            return f"`{column}`: white space changed"
        same = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        if max(len(a), len(b)) > CELL_TEXT_LIMIT and same > CELL_TEXT_LIMIT // 2:
            # The same start for both, and no later than needed to fill the longer one; at
            # the start of a word: the next one if it leaves a few characters before the
            # difference, else its own.
            start = max(0, min(same - CELL_TEXT_LIMIT // 4, max(len(a), len(b)) - CELL_TEXT_LIMIT))
            following = a.find(" ", start - 1, max(same - 4, start)) + 1
            preceding = a.rfind(" ", 0, start) + 1
            # Inside a long word (a URL, a DOI), where it is.
            start = following or (preceding if start - preceding <= CELL_TEXT_LIMIT // 4 else start)
    return f"`{column}` {_cell_text(old, start, old_typed)} → {_cell_text(new, start, new_typed)}"


def _row_label(values: Mapping[str, Any], columns: Sequence[str], typed: Mapping[str, str] | None = None) -> str:
    """A row added or removed, by its first filled cells after the study: " (indiv, pain, VAS, 8)",
    a number as ``typed`` in the CSV where that is known."""
    shown = [(typed or {}).get(c) or _value_text(values[c]) for c in columns
             if c != "study_id" and values.get(c) not in (None, "")][:4]
    shown = [" ".join(t.split()) for t in shown]
    return " (" + escape(", ".join(t if len(t) <= 24 else t[:23] + "…" for t in shown)) + ")" if shown else ""


def _pairs(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]],
           columns: Sequence[str]) -> list[tuple[int, int]]:
    """Which rows of ``old`` became which of ``new``: index pairs, in order.

    An order-keeping alignment that maximises the cells the paired rows share, the
    leading ones breaking ties; two rows are paired only when at least half of the cells
    either fills are equal, else one was removed and the other added. The rows are those
    of one study and file that differ between the builds, so the quadratic table is
    small.
    """
    width = len(columns) + 1

    def shared(a: Mapping[str, Any], b: Mapping[str, Any]) -> int:
        filled = [k for k, c in enumerate(columns) if a.get(c) not in (None, "") or b.get(c) not in (None, "")]
        equal = [k for k in filled if a.get(columns[k]) == b.get(columns[k])]
        if len(equal) * 2 < len(filled):
            return -1
        # More equal cells first; between as many, equal leading cells (the row's
        # identity: arm, outcome, timepoint) before equal values.
        return len(equal) * width * width + sum(width - k for k in equal)

    n, m = len(old), len(new)
    if n * m > 10_000:  # most of a large table rewritten: by position
        return [(i, i) for i in range(min(n, m))]
    common = [[shared(a, b) for b in new] for a in old]
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            paired = common[i][j] + best[i + 1][j + 1] if common[i][j] >= 0 else -1
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    out, i, j = [], 0, 0
    while i < n and j < m:
        if common[i][j] >= 0 and best[i][j] == common[i][j] + best[i + 1][j + 1]:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def row_changes(before: Sequence[Sequence[Any]], before_columns: Sequence[str],
                now: Sequence[Sequence[Any]], now_columns: Sequence[str],
                before_typed: Sequence[Mapping[str, str]] = (), now_typed: Sequence[Mapping[str, str]] = ()) -> list[str]:
    """What changed in one table's rows between two builds, cell by cell.

    Rows are ``[spreadsheet row, value, ...]`` as :func:`kept_cells` keeps them, compared
    on the columns either build kept (a column one build did not keep was empty there).
    A row found unchanged, wherever it is, is not reported, so rows moved down by a row
    inserted above them are not; rows whose order among the unchanged ones changed are
    named once ("rows 10, 12 reordered"). Each of the other rows is paired with the one
    it most resembles (:func:`_pairs`) and named by its row now, with each changed cell
    ("row 18: `sd` 2.1 → 2.3"); the rest were "added" (named by their row now) or
    "removed" (by their row in the previous build), with their first cells. In row
    order. Numbers are quoted as typed where ``before_typed`` and ``now_typed`` (beside
    each row, as :func:`kept_cells` keeps them) say how; they are compared by value.
    """
    columns = [*now_columns, *(c for c in before_columns if c not in set(now_columns))]

    def typed_of(kept: Sequence[Mapping[str, str]], index: int) -> Mapping[str, str]:
        return kept[index] if index < len(kept) else {}


    def values(rows: Sequence[Sequence[Any]], cols: Sequence[str]) -> list[dict[str, Any]]:
        return [{c: row_values.get(c) for c in columns}
                for row_values in (dict(zip(cols, row[1:])) for row in rows)]

    def key(row: Mapping[str, Any]) -> str:
        return json.dumps(row, sort_keys=True, default=str)

    old, new = values(before, before_columns), values(now, now_columns)
    # Unchanged rows, matched by content: the first unused old row with the same cells.
    unused: dict[str, list[int]] = {}
    for i, row in enumerate(old):
        unused.setdefault(key(row), []).append(i)
    same: list[tuple[int, int]] = []
    for j, row in enumerate(new):
        candidates = unused.get(key(row))
        if candidates:
            same.append((candidates.pop(0), j))
    matched_old, matched_new = {i for i, _ in same}, {j for _, j in same}
    old_left = [i for i in range(len(old)) if i not in matched_old]
    new_left = [j for j in range(len(new)) if j not in matched_new]
    pairs = [(old_left[a], new_left[b]) for a, b in _pairs([old[i] for i in old_left],
                                                           [new[j] for j in new_left], columns)]
    out = [(now[j][0], f"row {now[j][0]}: " + ", ".join(
        _cell_change(c, old[i].get(c), new[j].get(c), typed_of(before_typed, i).get(c), typed_of(now_typed, j).get(c))
        for c in columns if old[i].get(c) != new[j].get(c)))
        for i, j in pairs]
    for j in sorted(set(new_left) - {j for _, j in pairs}):
        out.append((now[j][0], f"row {now[j][0]} added{_row_label(new[j], columns, typed_of(now_typed, j))}"))
    for i in sorted(set(old_left) - {i for i, _ in pairs}):
        label = _row_label(old[i], columns, typed_of(before_typed, i))
        out.append((before[i][0], f"row {before[i][0]} of the previous build removed{label}"))
    # Unchanged rows out of their old order: those whose place in the order differs.
    order = [i for i, _ in same]
    shuffled = [now[j][0] for (i, j), k in zip(same, sorted(order)) if i != k]
    if shuffled:
        out.append((shuffled[0], f"rows {', '.join(map(str, shuffled))} reordered"))
    return [text for _, text in sorted(out, key=lambda item: item[0])]


def _file_changes(previous: Mapping[str, Any], current: Mapping[str, Any], rows: str,
                  key: str | None, files: Sequence[str]) -> str:
    """What changed in one study's rows (``key``) or in the shared tables, in each of
    ``files`` ("arm_outcomes.csv row 18: `sd` 2.1 → 2.3; row 19 added (…)"); "" when either
    build kept no cells.

    At most :data:`CELLS_LIMIT` rows are named, but every file is, with its first change
    and a count of the rest; a file changed in no column both builds kept is named alone.
    """
    was, now = previous.get("raw_cells"), current.get("raw_cells")
    if not (isinstance(was, Mapping) and isinstance(now, Mapping)):
        return ""
    before_rows, now_rows = was.get(rows, {}), now.get(rows, {})
    # The number cells as typed, beside the rows; {} from a build that kept none.
    before_typed, now_typed = (build.get("typed", {}).get(rows, {}) for build in (was, now))
    if key is not None:
        before_rows, now_rows = before_rows.get(key, {}), now_rows.get(key, {})
        before_typed, now_typed = before_typed.get(key, {}), now_typed.get(key, {})
    budget = max(CELLS_LIMIT - len(files), 0)
    parts: list[str] = []
    for file in files:
        items = row_changes(before_rows.get(file, []), was.get("columns", {}).get(file, []),
                            now_rows.get(file, []), now.get("columns", {}).get(file, []),
                            before_typed.get(file, []), now_typed.get(file, []))
        if not items:
            parts.append(escape(file))
            continue
        take = 1 + min(budget, len(items) - 1)
        budget -= take - 1
        more = len(items) - take
        parts.append(f"{escape(file)} " + "; ".join(items[:take])
                     + (f"; and {more} more changed {'row' if more == 1 else 'rows'}" if more else ""))
    return "; ".join(parts)


def _citations(cells: Mapping[str, Any]) -> dict[str, set[str | None]]:
    """Who cites each document in a build's kept cells (:func:`kept_cells`): the studies
    whose rows give it as their ``source_id``, and None for a row of a shared table (a
    claim's), as :func:`metareview.checks.uncited_sources` counts a citation."""
    columns = cells.get("columns", {})
    cited: dict[str, set[str | None]] = {}

    def cite(file: str, rows: Sequence[Sequence[Any]], by: str | None) -> None:
        if file == "sources.csv" or "source_id" not in columns.get(file, []):
            return
        at = 1 + columns[file].index("source_id")
        for row in rows:
            if at < len(row) and row[at] not in (None, ""):
                cited.setdefault(row[at], set()).add(by)

    for sid, files in cells.get("studies", {}).items():
        for file, rows in files.items():
            cite(file, rows, sid)
    for file, rows in cells.get("shared", {}).items():
        cite(file, rows, None)
    return cited


def _own_sources(build: Mapping[str, Any], other: Mapping[str, Any], ids: Collection[str],
                 *, added: bool) -> dict[str, list[tuple[int, str]]]:
    """The rows of ``build``'s ``sources.csv`` that came (``added``) or went with studies
    of ``ids``, as ``(row, source_id)`` by study: a document ``other`` does not list, that
    ``build`` cites from rows of studies of ``ids`` and from nothing else, and whose row
    the comparison of the two builds' ``sources.csv`` finds added (or removed) rather
    than edited; a document two such studies cite is listed under each. {} where either
    build kept no cells.

    A new trial is entered with the document it comes from; that row is part of the
    trial's addition, not an edit of a table every study shares, and so it is when two
    trials come from one new report. A document a study already in the review or a claim
    also cites stays an edit of its own."""
    cells, others = build.get("raw_cells"), other.get("raw_cells")
    if not (ids and isinstance(cells, Mapping) and isinstance(others, Mapping)):
        return {}
    columns, other_columns = (c.get("columns", {}).get("sources.csv", []) for c in (cells, others))
    if "source_id" not in columns:
        return {}
    rows = cells.get("shared", {}).get("sources.csv", [])
    other_rows = others.get("shared", {}).get("sources.csv", [])
    at = 1 + columns.index("source_id")
    listed = ({row[1 + other_columns.index("source_id")] for row in other_rows}
              if "source_id" in other_columns else set())
    cited = _citations(cells)
    # What the comparison of the whole table says of each row (named by its row in this build).
    this, that = (rows, columns), (other_rows, other_columns)
    first, then = (that, this) if added else (this, that)
    said = set(row_changes(*first, *then))
    own: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        source = row[at] if at < len(row) else None
        citers = cited.get(source, set())  # type: ignore[arg-type]  # None (no such cell) cites nothing
        if source in (None, "") or source in listed or not citers or not citers <= set(ids):
            continue
        what = f"row {row[0]} added" if added else f"row {row[0]} of the previous build removed"
        if any(item == what or item.startswith(what + " ") for item in said):
            for sid in sorted(c for c in citers if c is not None):
                own.setdefault(sid, []).append((row[0], source))
    return own


def _without_rows(build: Mapping[str, Any], file: str, numbers: Collection[int]) -> dict[str, Any]:
    """``build`` with the rows of the shared table ``file`` numbered ``numbers`` left out
    of its kept cells (with their typed texts beside them)."""
    cells = build["raw_cells"]
    rows = cells.get("shared", {}).get(file, [])
    keep = [i for i, row in enumerate(rows) if row[0] not in numbers]
    shared = {**cells.get("shared", {}), file: [rows[i] for i in keep]}
    out = {**cells, "shared": shared}
    typed = cells.get("typed", {}).get("shared", {}).get(file)
    if typed is not None:
        out["typed"] = {**cells["typed"], "shared": {**cells["typed"]["shared"],
                                                     file: [typed[i] for i in keep if i < len(typed)]}}
    return {**build, "raw_cells": out}


def _with_sources(name: str, sources: Sequence[tuple[int, str]], *, previous: bool, their: bool = False) -> str:
    """A study added or removed with its own documents: "Jones (2020) (J), with its source
    jones2020 (sources.csv row 12)", the row as :func:`row_changes` names it; "with their"
    for studies named together (``their``); as text, which :func:`_listed` escapes."""
    if not sources:
        return name
    where = " of the previous build" if previous else ""
    docs = [f"{source} (sources.csv row {row}{where})" for row, source in sources]
    return f"{name}, with {'their' if their else 'its'} {'source' if len(docs) == 1 else 'sources'} {join_list(docs)}"


def _studies_with_sources(ids: Sequence[str], names: Sequence[str], own: Mapping[str, Sequence[tuple[int, str]]],
                          *, previous: bool) -> list[str]:
    """Studies added or removed, each with its own documents (:func:`_with_sources`), as
    items of one list; studies that share a document named together, where the first of
    them falls: "Kim (2021) (K) and Lee (2022) (L), with their source kim2021 (sources.csv
    row 3)". Two trials entered from one new report, each named with it, repeated the
    document; named apart from both, it read as an edit of a table every study shares."""
    name_of, order = dict(zip(ids, names)), {sid: i for i, sid in enumerate(ids)}

    def docs(group: Sequence[str]) -> set[str]:
        return {source for sid in group for _, source in own.get(sid, [])}

    groups: list[list[str]] = []
    for sid in ids:
        # Joined with every group one of whose documents it cites too.
        joined = [g for g in groups if docs(g) & docs([sid])]
        groups = [g for g in groups if g not in joined] + [sorted([*itertools.chain(*joined), sid], key=order.__getitem__)]
    items = []
    for group in sorted(groups, key=lambda g: order[g[0]]):
        sources = sorted({pair for sid in group for pair in own.get(sid, [])})
        items.append(_with_sources(join_and([name_of[sid] for sid in group]), sources, previous=previous,
                                   their=len(group) > 1))
    return items


def _reordered_files(previous: Mapping[str, Any], current: Mapping[str, Any], sid: str) -> list[str] | None:
    """The files whose rows of study ``sid`` differ between two builds only in their order
    (the same rows, cell for cell, each as often), or None where a file's rows differ
    otherwise, or either build kept no cells (:func:`metareview.report.keys.kept_cells`)."""
    was_d, now_d = previous.get("study_data", {}).get(sid), current.get("study_data", {}).get(sid)
    was_c, now_c = previous.get("raw_cells"), current.get("raw_cells")
    if not (isinstance(was_d, Mapping) and isinstance(now_d, Mapping)
            and isinstance(was_c, Mapping) and isinstance(now_c, Mapping)):
        return None
    files = sorted(f for f in set(was_d) | set(now_d) if was_d.get(f) != now_d.get(f))
    for file in files:
        was_rows = (was_c.get("studies", {}).get(sid) or {}).get(file, [])
        now_rows = (now_c.get("studies", {}).get(sid) or {}).get(file, [])
        if _row_keys(was_rows, was_c.get("columns", {}).get(file, [])) != _row_keys(
                now_rows, now_c.get("columns", {}).get(file, [])):
            return None
    return files


def _reordered_names(previous: Mapping[str, Any], current: Mapping[str, Any], ids: Sequence[str]) -> list[str]:
    """Studies whose rows were only reordered, by label with the id and the files:
    "Bee et al. (2020) (B: contrasts.csv)"."""
    out = []
    for sid in ids:
        label = current.get("study_labels", {}).get(sid)
        inner = ": ".join(x for x in (sid if label and label != sid else "",
                                      ", ".join(_reordered_files(previous, current, sid) or ())) if x)
        out.append(f"{label or sid} ({inner})" if inner else (label or sid))
    return out


def _listed(ids: Sequence[str], *, code: bool = False, conjunction: str | None = None) -> str:
    """Identifiers for the changes section: up to :data:`CHANGES_LIMIT`, then a count.

    Code spans with ``code`` (analysis ids), else escaped text. A bare series ("a, b")
    without ``conjunction``, as a list of files reads; with it, a list in prose ("A, B and
    C", semicolons where an item holds a comma, :func:`~metareview.fmt.join_list`): "now
    with A (its effect ...), B (its effect ...)" read as if the list had been cut short.
    """
    named = [f"`{i}`" if code else escape(i) for i in ids[:CHANGES_LIMIT]]
    if len(ids) > CHANGES_LIMIT:
        return join_list([*named, f"{len(ids) - CHANGES_LIMIT} more"])
    if conjunction and len(named) == 2 and holds_comma(named[1]) and re.search(r"\band\b", named[1]):
        # Studies named together with their document: "B and K, L and M, with their
        # sources ..." read as if B shared them too.
        return f"{named[0]}; {conjunction} {named[1]}"
    return join_list(named, conjunction)


#: The most analyses whose numbers moved (same conclusion), and the most settings, the
#: changes section lists one by one; beyond it, they are counted.
CHANGES_LIMIT = 10

#: The most changed rows the changes section names for one study (or the shared tables),
#: and the most characters of one cell's text it shows.
CELLS_LIMIT = 8
CELL_TEXT_LIMIT = 40


#: Each τ² estimator by its name, as the methods give it, with the code
#: ``methods.method`` takes: What changed says a change of estimator as the methods do.
TAU2_ESTIMATORS = {"REML": "restricted maximum likelihood", "DL": "DerSimonian-Laird", "ML": "maximum likelihood",
                   "PM": "Paule-Mandel", "PMM": "median-unbiased Paule-Mandel", "HE": "Hedges", "SJ": "Sidik-Jonkman",
                   "EB": "empirical Bayes", "HS": "Hunter-Schmidt", "FE": "fixed (equal) effects", "EE": "equal effects"}


#: Each interval and test by its name, as the methods give it, with the code
#: ``methods.test`` takes: What changed says a change of test as the methods do.
TESTS = {"z": "Wald-type interval and z-test", "t": "t distribution",
         "knha": "Hartung-Knapp-Sidik-Jonkman, its scale factor not floored",
         "adhoc": "Hartung-Knapp-Sidik-Jonkman, its scale factor floored at 1"}


def _estimator_text(code: Any) -> str:
    """"restricted maximum likelihood (REML)": an estimator by its name, then its code."""
    return f"{TAU2_ESTIMATORS[code]} ({code})" if code in TAU2_ESTIMATORS else str(code)


#: Settings in the words the methods say them in, by their key in the config: the
#: provenance's line of settings names each by its key after them, and What changed leads
#: with them, the key after, for the team to find ("Setting `methods.min_studies`: 2 → 3"
#: said nothing to a clinician). Keys not here are said by their last part, in words.
SETTING_WORDS = {
    "methods.method": "the estimator of τ², the between-study variance",
    "methods.test": "the confidence interval and test",
    "methods.level": "the confidence level",
    "methods.min_studies": "the pooling threshold",
    "methods.small_study_predictor": "the small-study test's predictor",
    "methods.small_study_min": "the fewest studies for the small-study test",
    "effects.impute_missing_sd": "imputing missing SDs",
    "effects.median_to_mean": "estimating a mean from a median",
    "effects.assume_equal_arms_from_total": "splitting a total N equally between the arms",
    "effects.baseline_imbalance_smd": "the baseline difference that flags final values",
    "review.title": "the review's title",
    "review.question": "the review's question",
    "review.population": "the review's population",
    "review.evidence_base": "the evidence base",
    "review.systematic_search": "whether the studies came from a systematic search",
    "review.authors": "the report's authors",
    "review.registration": "the review's registration",
    "review.protocol": "the review's protocol",
    "review.funding": "the review's funding",
    "review.competing_interests": "the review's competing interests",
    "report.png_dpi": "the PNG figures' resolution, in dots per inch",
    "report.renderer": "the renderer",
}

#: The unit a setting's number is in, as the methods give it ("at least 2 studies",
#: "intervals are 95%").
_SETTING_UNITS = {"methods.min_studies": " studies", "methods.small_study_min": " studies", "methods.level": "%"}

#: A node's, outcome's, window's or analysis's keys in words, as What changed names them
#: after the entry ("the time window Short term: target week 6 → 8").
_FIELD_WORDS = {"target_weeks": "target week", "min_weeks": "first week", "max_weeks": "last week",
                "terms": "period words", "scale_min": "lowest value of its scale",
                "scale_max": "highest value of its scale", "mid": "minimal important difference",
                "proper_name": "label written as a name", "window": "time window",
                "comparator_risk": "assumed comparator risk", "risk_scenarios": "other risks it names"}


def _field_words(field: str) -> str:
    """A config entry's key in words: "target week" for ``target_weeks``, else the key
    with spaces ("measure", "treatments")."""
    return _FIELD_WORDS.get(field, field.replace("_", " ").replace(".", " "))


def _setting_words(key: str) -> str:
    """A setting outside the config's entries in words (:data:`SETTING_WORDS`); one not
    listed by its section and last part: "the abbreviation TENS" for
    ``report.abbreviations.TENS``, "the report's detail limit" for ``report.detail_limit``."""
    if key in SETTING_WORDS:
        return SETTING_WORDS[key]
    parts = key.split(".")
    if parts[:2] == ["report", "abbreviations"] and len(parts) > 2:
        return f"the abbreviation {'.'.join(parts[2:])}"
    owner = {"review": "the review's", "report": "the report's", "methods": "the methods'",
             "effects": "the effect sizes'"}.get(parts[0], f"{parts[0]}:")
    return f"{owner} {_field_words('.'.join(parts[1:]))}"


def _setting_text(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _list_change(old: Any, new: Any) -> str:
    """"`other_treatments` removed; `x` added" for two lists of codes or numbers that differ
    by members only, or "" (another order, repeats, nested values: shown whole). A node's
    treatments printed as two JSON lists made a reader find the difference, and could not
    break across lines."""
    if not (isinstance(old, list) and isinstance(new, list)):
        return ""
    if not all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in (*old, *new)):
        return ""
    if len(set(map(str, old))) != len(old) or len(set(map(str, new))) != len(new):
        return ""
    gone = [x for x in old if x not in new]
    added = [x for x in new if x not in old]
    if not gone and not added:
        return ""  # the same members in another order: shown whole

    def listed(xs: list[Any]) -> str:
        return join_and([f"`{x}`" for x in xs])
    return "; ".join(part for part in (f"{listed(gone)} removed" if gone else "",
                                       f"{listed(added)} added" if added else "") if part)


def _risk_of_bias_changes(current: Mapping[str, Any], previous: Mapping[str, Any], added: Sequence[str],
                          renamed: Sequence[tuple[str, str]]) -> list[str]:
    """What Changed's lines on the overall risk-of-bias judgements (the key results'
    ``risk_of_bias``): those recorded for the studies added, and each kept study's that
    changed, with the analyses whose estimate it enters; [] where the last build kept
    none (a build from before they were kept).

    The judgement is given beside the estimates a study enters; changed, it moved no
    number, and What changed said "No estimate, interval or conclusion changed" alone.
    """
    if "risk_of_bias" not in previous:
        return []
    now, was = current.get("risk_of_bias") or {}, previous["risk_of_bias"] or {}
    was = {dict(renamed).get(sid, sid): j for sid, j in was.items()}
    lines = []
    recorded = [sid for sid in added if now.get(sid)]
    if recorded:
        said = [f"{name}: {now[sid].replace('_', ' ')}" for sid, name in zip(recorded, _study_names(recorded, current),
                                                                              strict=True)]
        lines.append(f"Overall risk of bias recorded for the {'study' if len(said) == 1 else 'studies'} added: "
                     f"{_listed(said, conjunction='and')}.")
    for sid in sorted(set(current.get("studies", [])) - set(added)):
        if now.get(sid) == was.get(sid):
            continue
        enters = [aid for aid, entry in sorted((current.get("analyses") or {}).items())
                  if sid in (entry.get("studies") or [])]
        titles = current.get("analysis_titles") or {}
        where = f" (it enters {_listed([titles.get(a, a) for a in enters], conjunction='and')})" if enters else ""
        lines.append(f"Overall risk of bias changed, {escape(_study_names([sid], current)[0])}: "
                     f"{escape(str(was.get(sid) or 'not recorded').replace('_', ' '))} → "
                     f"{escape(str(now.get(sid) or 'not recorded').replace('_', ' '))}{where}.")
    return lines


def _study_names(ids: Sequence[str], keys: Mapping[str, Any]) -> list[str]:
    """Studies as "label (id)" from a build's key results; the id alone where none is kept."""
    labels = keys.get("study_labels", {})
    return [f"{labels[i]} ({i})" if labels.get(i) and labels[i] != i else i for i in ids]


def _certainty_word(entry: Mapping[str, Any]) -> Markdown:
    """A key-results entry's certainty as the changes section prints it: the level, or
    why there is none where judgements exist ("not rated (imprecision not judged)")."""
    if entry.get("certainty_text"):
        return escape(entry["certainty_text"])
    if entry.get("certainty"):
        return Markdown(level_text(entry["certainty"]))
    status = entry.get("certainty_status")
    return Markdown(f"not rated ({STATUSES[status]})" if status in STATUSES else "not rated")


def _certainty_change(before: Mapping[str, Any], now: Mapping[str, Any]) -> str:
    """What the changes section says of an analysis's certainty, or "" when nothing changed.

    A level that changed is a changed conclusion (bold); judgements recorded, removed or
    edited without a change of level are said plainly, with where they leave the analysis.
    A new level comes with the finding as the report now words it
    (:func:`metareview.report.base.informative_statement`): ", so acupuncture probably
    reduces pain intensity compared with sham".
    """
    note = _certainty_change_alone(before, now)
    statement = now.get("certainty_statement")
    if note and statement and now.get("certainty") and note != "GRADE judgements removed":
        return f"{note}, so {escape(statement)}"
    return note


def _certainty_change_alone(before: Mapping[str, Any], now: Mapping[str, Any]) -> str:
    """:func:`_certainty_change` without the finding's words."""
    old_j, new_j = before.get("certainty_judgements"), now.get("certainty_judgements")
    if before.get("certainty") != now.get("certainty"):
        return f"**certainty changed**: {_certainty_word(before)} → {_certainty_word(now)}"
    parts = ("certainty_ratings", "certainty_studies")
    if (old_j != new_j and all(key in before and key in now for key in parts)
            and all(before[key] == now[key] for key in parts)):
        # The same ratings on the same studies, one of them renamed (``before`` has its
        # new id): the digest of the whole, which holds the old id, differs.
        old_j = new_j
    if old_j != new_j:
        if old_j is None:
            return f"GRADE judgements recorded: {_certainty_word(now)}"
        if new_j is None:
            return "GRADE judgements removed"
        return f"GRADE judgements edited: {_certainty_word(now)}"
    if new_j is not None and "certainty_text" in before and before["certainty_text"] != now.get("certainty_text"):
        # Same judgements, other studies (one added leaves them out of date).
        return f"GRADE: {_certainty_word(now)}"
    return ""


def _direction_note(before: Mapping[str, Any], now: Mapping[str, Any], proper: Collection[str] = ()) -> str:
    """A flipped direction: a changed conclusion when the interval lay wholly on one side
    before and lies wholly on the other now (significance alone did not change)."""
    if now.get("significant") and before.get("significant"):
        return "**conclusion changed**: " + _compatibility(True) + _side(now, proper=proper)
    if now.get("direction") == "no difference":
        # Exactly at the null (an RR of 1 from two arms without events): on no side.
        return "**direction changed**: the point estimate is now exactly at no difference"
    if not now.get("significant"):
        # Only the point estimate changed sides: the report says "point estimate on the
        # side of", and "favours" would read as the interval's verdict.
        side = escape(_in_sentence(now["favoured"], proper)) if now.get("favoured") else str(now["direction"]).removeprefix("favours ")
        return f"**direction changed**: the point estimate has moved to the side of {side}"
    return f"**direction changed**: {_direction_words(now, proper=proper)}"


def _text_change(old: str, new: str) -> str:
    """Two versions of a long text, "“…old” → “…new”", each from a word a little before
    where they differ (:func:`_cell_change`)."""
    return _cell_change("", old, new).split(" ", 1)[1]


#: The most characters of a changed explanation (an indirect comparison's, a claim's
#: reason) the changes section quotes.
EXPLANATION_LIMIT = 300

#: Where a clause ends: after a semicolon, or a full stop (or ! or ?) before a capital
#: or a quote, so that "et al. (2030)" is not cut.
_CLAUSE_END = re.compile(r"(?<=;)\s+|(?<=[.!?])\s+(?=[A-Z\u201c\"'])")


def _clauses(text: str) -> list[str]:
    """``text`` cut where a clause ends (:data:`_CLAUSE_END`), but not inside brackets: a
    claim's reason gives a trial's interval and whose it is in one bracket, "(MD −0.51,
    95% CI −0.97 to −0.05; Brinkhaus et al., 2006)", and a clause cut at its semicolon
    was quoted with the bracket left open. A bracket never closed keeps nothing together."""
    spans: list[tuple[int, int]] = []
    opened: list[int] = []
    for i, char in enumerate(text):
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            spans.append((opened.pop(), i))
    pieces: list[str] = []
    start = 0
    for end in _CLAUSE_END.finditer(text):
        if not any(a < end.start() < b for a, b in spans):
            pieces.append(text[start:end.start()])
            start = end.end()
    return [*pieces, text[start:]]


def _clause_key(clause: str) -> str:
    """A clause without the semicolon or full stop that ends it (:func:`_clauses`)."""
    return clause.removesuffix(";").removesuffix(".")


def _same_clause(a: str, b: str) -> bool:
    """Whether clause ``b`` is ``a`` edited (a number, a name, a phrase changed) rather than
    another clause: most of the two alike, a :class:`difflib.SequenceMatcher` ratio above a
    half."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() > 0.5


#: The most words a clause may have put in place of others and still read as the same
#: clause edited: a number, a name, a short phrase. More is another statement in the same
#: frame ("... dry needling is compared with nothing in the data" to "... with usual care
#: and sham"), which the words the two share (the analyses, the outcome, the window) made
#: alike enough for :func:`_same_clause`.
CLAUSE_EDIT_WORDS = 3

_WORD_OR_MARK = re.compile(r"\w+(?:[.,'’]\w+)*|[^\w\s]")


def _replaced_clause(a: str, b: str) -> bool:
    """Whether clause ``b``, alike enough to ``a`` to be taken for it edited
    (:func:`_same_clause`), replaces what ``a`` said: somewhere more than
    :data:`CLAUSE_EDIT_WORDS` words of one stand in place of words of the other (words and
    marks aligned by :class:`difflib.SequenceMatcher`; words added or taken out alone,
    a bracket of who reports it, are an edit)."""
    words = [_WORD_OR_MARK.findall(x) for x in (a, b)]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, words[0], words[1], autojunk=False).get_opcodes():
        if tag == "replace" and max(sum(w[0].isalnum() or w[0] == "_" for w in side)
                                    for side in (words[0][i1:i2], words[1][j1:j2])) > CLAUSE_EDIT_WORDS:
            return True
    return False


def _quoted_runs(clauses: Sequence[str], indices: Collection[int]) -> str:
    """The clauses at ``indices``: runs of them apart in the text joined by an ellipsis,
    one that starts after a semicolon beginning with one, and that one alone between two
    runs: "b is two; …d is four", not "b is two; … …d is four", which read as two
    omissions where there is one."""
    runs: list[list[int]] = []
    for i in sorted(indices):
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    quoted = ""
    for run in runs:
        text = " ".join(clauses[i] for i in run)
        if run[0] and clauses[run[0] - 1].endswith(";"):
            quoted += (" …" if quoted else "…") + text
        else:
            quoted += (" … " if quoted else "") + text
    return quoted


def _cut_end(text: str, room: int, keep: int = 0) -> str:
    """``text`` in at most ``room`` characters, cut at the end of a word with an ellipsis,
    and before a bracket the cut would leave open, unless that drops the character at
    ``keep`` or leaves nothing (then the bracket is closed after the ellipsis): a quote
    that opens a bracket and never closes it reads as if the rest of the line were inside
    it."""
    if len(text) <= room:
        return text
    cut = text[:room - 2]  # the ellipsis, and a closing bracket if one is needed
    cut = cut[:cut.rfind(" ")].rstrip() if " " in cut else cut
    opened: list[int] = []
    for i, char in enumerate(cut):
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            opened.pop()
    if not opened:
        return cut + "…"
    before = cut[:opened[0]].rstrip()
    return before + "…" if before and len(before) > keep else cut + "…)"


def _cut_quote(text: str, room: int, changed: int = 0) -> str:
    """``text`` in at most ``room`` characters, with the words from ``changed`` (where it
    first differs from the version it is compared with) in the quote: from its start where
    they fit (:func:`_cut_end`), else from a few words before them, after an ellipsis. A
    reason that now reads otherwise in its numbers gives them late, after the claim and
    the comparison, and a quote cut from the start alone dropped the very numbers that
    changed."""
    if len(text) <= room:
        return text
    # The end of the first word that changed, or of the next where it is a space.
    end = text.find(" ", changed + 1)
    end = len(text) if end < 0 else end
    head = _cut_end(text, room, changed)
    if len(head.rstrip("…)")) >= end:
        return head
    # A third of the room before the change, from the start of a word, and from the
    # bracket that holds it where that fits too, so that none is left closed but not opened.
    start = text.rfind(" ", 0, max(changed - room // 3, 0)) + 1
    if not start:
        return head
    opened: list[int] = []
    for i, char in enumerate(text[:start]):
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            opened.pop()
    if opened and end - opened[-1] < room - 4:
        start = opened[-1]
    # A cut at a run that opens with its own ellipsis (:func:`_quoted_runs`) takes no second.
    rest = _cut_end(text[start:], room - 1, changed - start)
    return rest if rest.startswith("…") else "…" + rest


def _explanation_change(old: str, new: str) -> str:
    """What an explanation in words no longer says and what it says now that it did not
    ("no longer reads “...” and now reads “...”"), or only one of the two where the other
    is empty: the clauses (to a full stop or semicolon outside brackets, :func:`_clauses`)
    that differ, in full, as a reader would want them (a few characters about where two
    versions differ, as for a raw cell, would not say which treatment is now compared
    with what). A clause edited in place (:func:`_same_clause`) is quoted as it reads now,
    and as it read too where more than a short phrase of it was replaced
    (:func:`_replaced_clause`); one replaced by another, or dropped, is quoted as it read: "now reads" alone hid that
    a reason had lost a clause when it gained another. Runs of clauses apart in the text
    are joined by an ellipsis, and one that starts after a semicolon begins with one. The
    quotes take at most :data:`EXPLANATION_LIMIT` characters together, each cut at a word
    about where it first differs from the clause it is paired with (:func:`_cut_quote`),
    the shorter kept whole if it fits in half. Quoted as the report
    prints the text itself (the claims table, the indirect comparison's callout): with its
    typographic apostrophe and minus sign, not the straight ones the text is written with,
    which a raw cell's change keeps to show an edit of one into the other.

    The clauses are aligned in order (:class:`difflib.SequenceMatcher`), not looked up
    anywhere in the other version: a claim's reason speaks of each treatment in turn, in
    the same words where they fare alike, and a clause that came to read as the other
    treatment's part already did ("no usable study") is what changed in this part."""
    before, after = _clauses(" ".join(old.split())), _clauses(" ".join(new.split()))
    # Compared without the mark that ends each clause: a clause that became the last, or
    # stopped being it ("a; b" to "a"), is the same clause, and was quoted as if it read
    # otherwise now.
    keys = [[_clause_key(c) for c in clauses] for clauses in (before, after)]
    if sorted(keys[0]) == sorted(keys[1]):
        # The same clauses: only spaces changed, or their order, or the marks between them.
        if keys[0] != keys[1]:
            return "its clauses are in another order"
        return "white space changed" if before == after else "its punctuation changed"
    gained: set[int] = set()
    lost: set[int] = set()
    pairs: dict[int, int] = {}  # old clause by the new one that edits or replaces it
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, keys[0], keys[1], autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        gained.update(range(j1, j2))
        # Each old clause of a replaced run paired, in order, with the first later new one
        # it is an edit of; the rest were dropped. One whose words were replaced, not
        # edited (:func:`_replaced_clause`), is quoted as it read too: "now reads" alone
        # hid what the comparison's main sentence had said.
        j = j1
        for i in range(i1, i2):
            k = next((k for k in range(j, j2) if _same_clause(before[i], after[k])), None)
            if k is None or _replaced_clause(before[i], after[k]):
                lost.add(i)
            if k is not None:
                pairs[k], j = i, k + 1
    was, now = _quoted_runs(before, lost), _quoted_runs(after, gained)
    # Where each quote first differs from the clause its first clause is paired with, for
    # a cut that keeps it (a clause dropped or added differs from its start).
    first_new = min(gained, default=None)
    first_old = min(lost, default=None)
    now_at = (now.find(after[first_new]) + len(os.path.commonprefix([after[first_new], before[pairs[first_new]]]))
              if first_new in pairs else 0)
    was_at = next((was.find(before[i]) + len(os.path.commonprefix([before[i], after[k]]))
                   for k, i in pairs.items() if i == first_old), 0)
    room = EXPLANATION_LIMIT
    if was and now and len(was) + len(now) > room:
        # The shorter whole where it takes at most half the room, else each half.
        shorter = min(len(was), len(now), room // 2)
        was, now = ((_cut_quote(was, shorter, was_at), _cut_quote(now, room - shorter, now_at))
                    if len(was) <= len(now)
                    else (_cut_quote(was, room - shorter, was_at), _cut_quote(now, shorter, now_at)))
    if was and now:
        return "no longer reads " + escape(f"“{was}”") + " and now reads " + escape(f"“{now}”")
    if now:
        return "now reads " + escape(f"“{_cut_quote(now, room, now_at)}”")
    return "no longer reads " + escape(f"“{_cut_quote(was, room, was_at)}”")


def _unused_reason_changes(current: Mapping[str, Any], previous: Mapping[str, Any]) -> list[str]:
    """Trials in no analysis in both builds whose reasons for being set aside changed, a
    line each: "Trial still in no analysis, Hegu (H): why it is set aside no longer reads
    “arm n not reported;” and now reads “…”" (:func:`_explanation_change`), the reasons
    joined as a new trial's are. An edit that mends one reason and leaves or uncovers
    another (the arms' n entered, a timepoint still outside the window) moves no number,
    and the edited cells alone did not say that the trial is still out, nor why. Reasons
    only reordered or respaced are no change; over :data:`CHANGES_LIMIT` trials (a window
    widened in the config), they are counted. Key results from before the reasons were
    kept give nothing."""
    if not isinstance(previous.get("unused_reasons"), Mapping):
        return []
    was_all, now_all = previous["unused_reasons"], current.get("unused_reasons") or {}
    still = sorted(set(previous.get("unused_trials") or []) & set(current.get("unused_trials") or []))
    lines = []
    for sid in still:
        was, now = ("; ".join(reasons.get(sid) or []) for reasons in (was_all, now_all))
        change = _explanation_change(was, now)
        if change in ("white space changed", "its clauses are in another order", "its punctuation changed"):
            continue
        lines.append(_full_stop(f"Trial still in no analysis, {escape(_study_names([sid], current)[0])}: why it is "
                                f"set aside {change}"))
    if len(lines) > CHANGES_LIMIT:
        return [(f"Trials still in no analysis whose reasons for being set aside changed: {len(lines)} (see the "
                 "table of trials that could not be used).")]
    return lines


def _indirect_estimates(entry: Mapping[str, Any], shows: bool = False, proper: Collection[str] = ()) -> str:
    """An anchored indirect comparison's estimates as the report prints them: "through
    Sham, SMD −0.25 (95% CI −0.80 to 0.30)"; with ``shows``, each followed by what its
    interval shows (": the confidence interval is compatible with no difference"), as a
    new analysis's line says it."""
    return "; ".join(f"through {escape(e['through'])}, {entry['measure']} {f2(e['estimate'])} "
                     f"({entry['level']:g}% CI {ci_text(e['ci_lb'], e['ci_ub'])})"
                     + (": " + _compatibility(bool(_indirect_shows(entry, e)["significant"]))
                        + _side(_indirect_shows(entry, e), proper=proper) if shows else "")
                     for e in entry["estimates"])


def _indirect_moved(was: Mapping[str, Any], now: Mapping[str, Any]) -> str:
    """An indirect comparison's estimates before and after: "through Sham, SMD −0.51 (95%
    CI −1.91 to 0.90) → −0.52 (95% CI −1.03 to −0.02)" for one estimate through the same
    comparator on the same measure and level, the comparator and measure said once (the
    label of a node that pools several shams, said twice, pushed the new number to the
    end of a long line); each in full otherwise."""
    (a, b) = (was["estimates"], now["estimates"])
    if (len(a) == len(b) == 1 and a[0]["through"] == b[0]["through"]
            and (was["measure"], was["level"]) == (now["measure"], now["level"])):
        return (f"{_indirect_estimates(was)} → {f2(b[0]['estimate'])} "
                f"({now['level']:g}% CI {ci_text(b[0]['ci_lb'], b[0]['ci_ub'])})")
    return f"{_indirect_estimates(was)} → {_indirect_estimates(now)}"


#: The measures whose indirect estimates are ratios, printed as such (no difference is 1).
_RATIO_MEASURES = ("RR", "OR")


def _indirect_shows(entry: Mapping[str, Any], e: Mapping[str, Any]) -> dict[str, Any]:
    """What one anchored estimate of an indirect comparison shows, as a key-results entry
    of an analysis says it (``significant``, ``favoured``, ``direction``), for the words
    the analyses' lines use (:func:`_compatibility`, :func:`_side`,
    :func:`_direction_note`). Key results from before an estimate kept ``significant``
    give it from its printed interval (no difference is 0, or 1 for a ratio); before it
    kept ``favoured``, no side."""
    null = 1.0 if entry.get("measure") in _RATIO_MEASURES else 0.0
    significant = e["significant"] if "significant" in e else bool(e["ci_lb"] > null or e["ci_ub"] < null)
    favoured = e.get("favoured")
    return {"significant": significant, "favoured": favoured,
            "direction": f"favours {favoured}" if favoured else None}


def _indirect_conclusion(was: Mapping[str, Any], was_e: Mapping[str, Any], now: Mapping[str, Any],
                         now_e: Mapping[str, Any], where: str = "", proper: Collection[str] = ()) -> list[str]:
    """How what an anchored estimate shows changed, in the words of an analysis's line:
    "**conclusion changed**: the confidence interval lies wholly on one side of no
    difference (favours dry needling)" for an interval that came to exclude no difference
    (or to include it), or that lies wholly on the other side now; "**direction
    changed**: ..." for a point estimate alone on the other side (:func:`_direction_note`).
    ``where`` ("through Sham, ") names the estimate where the comparison has several.
    Sides are compared where both builds kept them."""
    before, after = _indirect_shows(was, was_e), _indirect_shows(now, now_e)
    if before["significant"] != after["significant"]:
        note = "**conclusion changed**: " + _compatibility(after["significant"]) + _side(after, proper=proper)
    elif before["favoured"] and after["favoured"] and before["favoured"] != after["favoured"]:
        note = _direction_note(before, after, proper=proper)
    else:
        return []
    head, _, rest = note.partition(": ")
    return [f"{head}: {where}{rest}"]


#: How much an indirect comparison's interval must narrow or widen (the ratio of its two
#: widths, on the log scale for a ratio) for What changed to say that a side's change
#: between a pooled estimate and one trial moved it: by half as much again, or to two
#: thirds. A 2-study Hartung-Knapp side has t on 1 df (12.71 against 1.96), which alone
#: makes an interval several times wider.
INDIRECT_WIDTH_CHANGE = 1.5

#: The pooling tests whose intervals are on t with k − 1 degrees of freedom, and how What
#: changed names a pooled side by them.
_T_TESTS = {"knha": "Hartung-Knapp", "adhoc": "Hartung-Knapp", "t": "t-based"}


def _side_source(side: Mapping[str, Any]) -> str:
    """One side of an anchored comparison by what it comes from: "one trial (normal
    interval)", "a 2-study Hartung-Knapp estimate (t, 1 df)"."""
    k = side["k"]
    if k == 1:
        return "one trial (normal interval)"
    return f"a {k}-study {_T_TESTS[side['test']]} estimate (t, {k - 1} df)"


def _indirect_width_cause(was: Mapping[str, Any], was_e: Mapping[str, Any], now: Mapping[str, Any],
                          now_e: Mapping[str, Any], where: str = "", proper: Collection[str] = ()) -> str:
    """Why an anchored estimate's interval narrowed or widened a lot
    (:data:`INDIRECT_WIDTH_CHANGE`), where a side changed between one trial and a pooled
    estimate whose interval is on t (:data:`_T_TESTS`): "the interval is narrower because
    the acupuncture side is now one trial (normal interval) instead of a 2-study
    Hartung-Knapp estimate (t, 1 df)". Bucher's variance is read from each side's interval
    (:func:`metareview.indirect._pooled_variance`), so removing a trial can narrow the
    comparison, which a team would otherwise read as a fault. "" otherwise, and where
    either build kept no sides."""
    sides_was, sides_now = was_e.get("sides"), now_e.get("sides")
    if not (isinstance(sides_was, Mapping) and isinstance(sides_now, Mapping)):
        return ""

    def width(e: Mapping[str, Any]) -> float:
        if now.get("measure") in _RATIO_MEASURES:
            return math.log(e["ci_ub"]) - math.log(e["ci_lb"]) if e["ci_lb"] > 0 else math.nan
        return float(e["ci_ub"] - e["ci_lb"])

    w_was, w_now = width(was_e), width(now_e)
    if not (w_was > 0 and w_now > 0) or 1 / INDIRECT_WIDTH_CHANGE < w_now / w_was < INDIRECT_WIDTH_CHANGE:
        return ""
    said = []
    for key in ("a", "b"):
        before, after = sides_was.get(key) or {}, sides_now.get(key) or {}
        if not (before.get("k") and after.get("k")) or (before["k"] == 1) == (after["k"] == 1):
            continue
        pooled = before if before["k"] > 1 else after
        label = now.get(f"treatment_{key}_label") or was.get(f"treatment_{key}_label")
        if pooled.get("test") not in _T_TESTS or not label:
            continue
        said.append(f"the {escape(_in_sentence(label, proper))} side is now {_side_source(after)} instead of "
                    f"{_side_source(before)}")
    if not said:
        return ""
    return f"{where}the interval is {'narrower' if w_now < w_was else 'wider'} because {join_and(said)}"


def _method_width_cause(before: Mapping[str, Any], now: Mapping[str, Any], flipped: bool,
                        proper: Collection[str] = ()) -> list[str]:
    """Why an analysis's interval widened or narrowed by :data:`INDIRECT_WIDTH_CHANGE` or
    more as it went from one trial's effect to a pooled estimate on t, or back: "the
    interval is wider because it is now a 2-study Hartung-Knapp estimate (t, 1 df) instead
    of one trial (normal interval)". A trial that agrees can turn an interval wholly on one
    side into one compatible with no difference, by the critical value alone (12.71 against
    1.96); the team must not read that as the new trial's doing. Where the pooled estimate
    has an equal-effects one beside it (:func:`metareview.analysis.equal_effects_fit`), that
    too, and, where the conclusion changed (``flipped``) and it still lies wholly on the
    one trial's side, that the method alone changed it.

    [] where neither build's pooled estimate is on t (a z test, or key results from before
    the test was kept), or the width moved less.
    """
    pooled, single = (now, before) if now.get("estimate") is not None else (before, now)
    test, df = pooled.get("test"), pooled.get("df")
    if test not in _T_TESTS or not df or not all(key in x for x in (pooled, single) for key in ("ci_lb", "ci_ub")):
        return []
    w_was, w_now = (float(x["ci_ub"] - x["ci_lb"]) for x in (before, now))
    if not (w_was > 0 and w_now > 0) or 1 / INDIRECT_WIDTH_CHANGE < w_now / w_was < INDIRECT_WIDTH_CHANGE:
        return []
    wider = w_now > w_was
    k = int(df) + 1
    source = f"a {k}-study {_T_TESTS[test]} estimate (t, {int(df)} df)"
    one = "one trial (normal interval)"
    notes = [(f"the interval is {'wider' if wider else 'narrower'} because the analysis is now "
              f"{source if wider else one} instead of {one if wider else source}")]
    ee = pooled.get("equal_effects")
    if wider and isinstance(ee, Mapping) and ee.get("estimate") is not None:
        said = (f"an equal-effects model gives {f2(ee.get('estimate_exp', ee['estimate']))} ({_interval(ee)}): "
                + _compatibility(bool(ee.get("significant"))) + _side(ee, proper=proper))
        if flipped and ee.get("significant") and ee.get("favoured") == single.get("favoured"):
            # The trials agree: the conclusion changed with the critical value, not the data.
            # (Said of a trial added; a trial removed never widens to such a flip here.)
            said += f", so the method (t on {int(df)} df), not the trial added, changed the conclusion"
        notes.append(said)
    return notes


#: An indirect comparison's status as "What changed" words it, where its code alone would
#: not say what happened ("shared trial" does not say which trial, or that none is made).
INDIRECT_STATUS_WORDS = {"shared_trial": "a trial of all three on both sides, no comparison made"}


def _status_words(status: str, entry: Mapping[str, Any] | None = None) -> str:
    """An indirect comparison's status for a reader: "no common comparator", or "no common
    comparator on SMD (one exists on MD)" where its key results (``entry``) name other
    measures that share one (:func:`metareview.fmt.no_comparator_words`): the
    explanation quoted after the status says so, and the status must not deny it. Key
    results from before these were kept give the status alone."""
    if status == "no_common_comparator" and entry and entry.get("common_on"):
        return no_comparator_words(entry["measure"], [{"measure": m, "common": True} for m in entry["common_on"]])
    return INDIRECT_STATUS_WORDS.get(status, status.replace("_", " "))


def _indirect_changes(current: Mapping[str, Any], previous: Mapping[str, Any], proper: Collection[str] = ()) -> list[str]:
    """What the changes section says of the indirect comparisons.

    A status that changed is a changed conclusion, given with the estimate it leads to and
    what its interval shows (or, gone, the estimate there was); an estimate that moved is
    given before and after, with its conclusion flagged where it changed
    (:func:`_indirect_conclusion`) and, where its interval narrowed or widened a lot as a
    side changed between one trial and a pooled estimate, why
    (:func:`_indirect_width_cause`); a comparison still without a common comparator whose
    explanation changed (a study of one of the treatments against a new comparator) is
    given by the clauses that changed. Key results from before the estimates were kept
    give the status alone.
    """
    lines = []
    titles = {**previous.get("indirect_titles", {}), **current.get("indirect_titles", {})}
    named = {xid: _indirect_name(xid, titles) for xid in {*current.get("indirect", {}), *previous.get("indirect", {})}}
    now_r, was_r = current.get("indirect_results", {}), previous.get("indirect_results", {})
    for xid, status in current.get("indirect", {}).items():
        old_status = previous.get("indirect", {}).get(xid)
        now, was = now_r.get(xid), was_r.get(xid)
        shown = f": {_indirect_estimates(now, shows=True, proper=proper)}" if now and now["estimates"] else ""
        if old_status is None and "indirect" in previous:
            lines.append(f"New {named[xid][:1].lower()}{named[xid][1:]}: {_status_words(status, now)}{shown}.")
        elif old_status is not None and old_status != status:
            before = f"; was {_indirect_estimates(was)}" if was and was["estimates"] and not shown else ""
            lines.append(f"{named[xid]}: {_status_words(old_status, was)} → "
                         f"**{_status_words(status, now)}**{shown}{before}.")
        elif old_status is not None and now and was:
            if now["estimates"] or was["estimates"]:
                # What each estimate shows, flagged as an analysis's is: the numbers alone
                # hid an interval that came to lie wholly on one side.
                notes = []
                several = len(now["estimates"]) > 1
                was_by = {e["through"]: e for e in was["estimates"]}
                for e in now["estimates"]:
                    if e["through"] not in was_by:
                        continue
                    where = f"through {escape(e['through'])}, " if several else ""
                    notes += _indirect_conclusion(was, was_by[e["through"]], now, e, where, proper)
                    cause = _indirect_width_cause(was, was_by[e["through"]], now, e, where, proper)
                    notes += [cause] if cause else []
                if _indirect_estimates(now) != _indirect_estimates(was) or notes:
                    lines.append(f"{named[xid]}: {_indirect_moved(was, now)}" + "".join(f"; {n}" for n in notes) + ".")
            elif now["detail"] != was["detail"]:
                lines.append(_full_stop(f"{named[xid]}, still {_status_words(status, now)}: its explanation "
                                        f"{_explanation_change(was['detail'], now['detail'])}"))
    for xid in sorted(set(previous.get("indirect", {})) - set(current.get("indirect", {}))):
        lines.append(f"{named[xid]} removed.")
    return lines


def _indirect_name(xid: str, titles: Mapping[str, str]) -> str:
    """An indirect comparison as What changed names it: by what it compares, its id after
    it ("Indirect comparison of dry needling and acupuncture on pain intensity, short term
    (`dn_vs_acu`)"); by its id alone where the key results give no title."""
    return f"{escape(titles[xid])} (`{xid}`)" if titles.get(xid) else f"Indirect comparison `{xid}`"


#: The columns of a study's rows that hold a study id: a renamed study's rows hold its
#: new id there, and nothing else of them need change.
_ID_COLUMNS = ("study_id", "attributed_study_id")

#: The cells of ``studies.csv``, besides the id, that name a study: correcting a misspelt
#: first author or year changes them and no number.
_NAME_COLUMNS = ("label", "year")

#: The most cells, besides its id, label and year, in which a removed study's rows may
#: differ from an added study's for the two to read as one study renamed and edited, and
#: the largest share of the study's filled cells they may be (one in ten). Two trials
#: differ in their notes, quotes and numbers; a closer match is the same trial.
RENAME_EDITS_LIMIT = 2
RENAME_EDITS_SHARE = 0.1


def _name_cells(build: Mapping[str, Any], sid: str) -> dict[str, Any]:
    """A study's label and year in one build: from its ``studies.csv`` row where the build
    kept its cells, else its label alone (from ``study_labels``)."""
    cells = build.get("raw_cells")
    out: dict[str, Any] = {}
    if isinstance(cells, Mapping):
        rows = (cells.get("studies", {}).get(sid) or {}).get("studies.csv") or []
        if rows:
            values = dict(zip(cells.get("columns", {}).get("studies.csv", []), rows[0][1:], strict=False))
            out = {c: values[c] for c in _NAME_COLUMNS if values.get(c) is not None}
    if "label" not in out and build.get("study_labels", {}).get(sid):
        out["label"] = build["study_labels"][sid]
    return out


def _rows_as_renamed(previous: Mapping[str, Any], current: Mapping[str, Any], old: str,
                     new: str) -> dict[str, list[list[Any]]]:
    """The last build's rows of study ``old`` as they would read had it been named ``new``
    then: ``new`` in its id cells (:data:`_ID_COLUMNS`) that held ``old``, and in
    ``studies.csv`` the label and year (:data:`_NAME_COLUMNS`) it has now. Row numbers kept."""
    cells = previous["raw_cells"]
    names = _name_cells(current, new)
    out = {}
    for file, rows in (cells.get("studies", {}).get(old) or {}).items():
        columns = cells.get("columns", {}).get(file, [])

        def cell(column: str, value: Any, file: str = file) -> Any:
            if column in _ID_COLUMNS and value == old:
                return new
            if file == "studies.csv" and column in _NAME_COLUMNS and column in names:
                return names[column]
            return value

        out[file] = [[row[0], *(cell(c, v) for c, v in zip(columns, row[1:], strict=False))] for row in rows]
    return out


def _row_maps(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows as ``{column: value}`` of their filled cells, row numbers left out."""
    return [{c: v for c, v in zip(columns, row[1:], strict=False) if v is not None} for row in rows]


def _row_keys(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> list[str]:
    """Rows as sorted texts of their filled cells: equal for the same rows in any order."""
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in _row_maps(rows, columns))


#: The most pairs of a removed and an added study whose rows are compared cell by cell
#: for a rename with cells edited: a review whose every id changed (another naming
#: scheme) is matched on whole rows alone, in linear time.
RENAME_PAIRS_LIMIT = 10_000


def _unnamed_rows(build: Mapping[str, Any], sid: str) -> dict[str, list[str]]:
    """A study's rows in one build without what names it, to be compared with another
    study's: by file, each row as the text of its filled cells, sorted, with the id
    cells (:data:`_ID_COLUMNS`) that hold ``sid`` reading a placeholder, and without the
    label and year of ``studies.csv`` (:data:`_NAME_COLUMNS`)."""
    cells = build["raw_cells"]
    out = {}
    for file, rows in (cells.get("studies", {}).get(sid) or {}).items():
        drop = _NAME_COLUMNS if file == "studies.csv" else ()
        out[file] = sorted(json.dumps({c: "\0" if c in _ID_COLUMNS and v == sid else v for c, v in row.items()
                                       if c not in drop}, sort_keys=True, default=str)
                           for row in _row_maps(rows, cells.get("columns", {}).get(file, [])))
    return out


def _cells_apart(was: Mapping[str, Sequence[str]], now: Mapping[str, Sequence[str]], most: int) -> int | None:
    """How many cells differ between two studies' rows (:func:`_unnamed_rows`), row order
    aside; None when a file, or a row, is in one and not the other, or when more than
    ``most`` differ. Rows with the same cells are matched first; the rest (at most
    ``most`` in each file) are paired so as to differ in the fewest cells."""
    if set(was) != set(now) or any(len(was[f]) != len(now[f]) for f in was):
        return None
    apart = 0
    for file in sorted(was):
        left = Counter(was[file])
        rest_new = []
        for row in now[file]:
            if left[row]:
                left[row] -= 1
            else:
                rest_new.append(json.loads(row))
        if len(rest_new) > most:
            return None
        rest_old = [json.loads(row) for row in left.elements()]

        def differ(a: Mapping[str, Any], b: Mapping[str, Any]) -> int:
            return sum(1 for c in set(a) | set(b) if a.get(c) != b.get(c))

        apart += min((sum(differ(a, b) for a, b in zip(order, rest_new, strict=True))
                      for order in itertools.permutations(rest_old)), default=0)
        if apart > most:
            return None
    return apart


def _filled_cells(build: Mapping[str, Any], sid: str) -> int:
    """How many cells a study's rows fill in one build, its id, label and year among them."""
    cells = build["raw_cells"]
    columns = cells.get("columns", {})
    return sum(len(row) for file, rows in (cells.get("studies", {}).get(sid) or {}).items()
               for row in _row_maps(rows, columns.get(file, [])))


def _renamed_studies(previous: Mapping[str, Any], current: Mapping[str, Any], removed: Sequence[str],
                     added: Sequence[str]) -> list[tuple[str, str]]:
    """(old id, new id) for each study removed that a study added is, renamed: its id
    changed in every table, and its label and year may have too.

    A removed and an added study are one study renamed when, one to one (no other study
    removed or added matches either of them as well):

    1. both builds kept their cells, and the added study's rows are the removed one's
       with its new id in the id cells, and its new label and year in ``studies.csv``
       (:func:`_unnamed_rows`), cell for cell, row numbers and order aside: renamed, its
       data unchanged; else
    2. they differ in at most :data:`RENAME_EDITS_LIMIT` other cells, and at most
       :data:`RENAME_EDITS_SHARE` of the study's filled cells, with the same files and
       the same number of rows in each (:func:`_cells_apart`; among at most
       :data:`RENAME_PAIRS_LIMIT` pairs): renamed, and those cells edited; else
    3. their label is the same (all that a build without its cells can tell): its id
       changed, whatever else did.

    Anything looser is a study removed and another added: two trials of one source can
    share design, population and arms, and a rename claimed on such a match would hide a
    trial dropped from the review.
    """
    pairs: list[tuple[str, str]] = []
    removed, added = list(removed), list(added)
    if (removed and added and isinstance(previous.get("raw_cells"), Mapping)
            and isinstance(current.get("raw_cells"), Mapping)):
        was = {sid: _unnamed_rows(previous, sid) for sid in removed}
        now = {sid: _unnamed_rows(current, sid) for sid in added}
        # Whole rows alike: by their text, in one pass.
        by_rows: dict[str, tuple[list[str], list[str]]] = {}
        for side, rows in enumerate((was, now)):
            for sid, files in rows.items():
                by_rows.setdefault(json.dumps(files, sort_keys=True), ([], []))[side].append(sid)
        pairs += [(olds[0], news[0]) for olds, news in by_rows.values() if len(olds) == len(news) == 1]
        removed = [i for i in removed if i not in {o for o, _ in pairs}]
        added = [i for i in added if i not in {n for _, n in pairs}]
        if len(removed) * len(added) <= RENAME_PAIRS_LIMIT:
            filled = {sid: _filled_cells(current, sid) for sid in added}
            close = set()
            for old in removed:
                for new in added:
                    apart = _cells_apart(was[old], now[new], RENAME_EDITS_LIMIT)
                    if apart is not None and apart <= RENAME_EDITS_SHARE * filled[new]:
                        close.add((old, new))
            pairs += [(old, new) for old, new in close if sum(1 for o, _ in close if o == old) == 1
                      and sum(1 for _, n in close if n == new) == 1]
            removed = [i for i in removed if i not in {o for o, _ in pairs}]
            added = [i for i in added if i not in {n for _, n in pairs}]
    now_labels, was_labels = current.get("study_labels", {}), previous.get("study_labels", {})
    for new in added:
        label = now_labels.get(new)
        olds = [i for i in removed if label and was_labels.get(i) == label]
        if len(olds) == 1 and sum(1 for j in added if now_labels.get(j) == label) == 1:
            pairs.append((olds[0], new))
    return sorted(pairs)


def _moved_studies(previous: Mapping[str, Any], current: Mapping[str, Any],
                   kept: Sequence[str]) -> list[tuple[str, str]]:
    """(old id, new id) for each study of both builds whose rows moved to another's id,
    the ids moved round two studies or more: (a, b) and (b, a) for two that swapped ids
    (two trials entered under each other's), (a, b), (b, c) and (c, a) for ids moved round
    three, and so on, each round a cycle of the permutation of ids. Several rounds may
    move at once.

    The rows of study ``a`` went to id ``b`` (a step of a round) when both builds kept
    their cells and:

    1. the rows now under ``b`` are ``a``'s before, ids aside (:func:`_unnamed_rows`), or
       differ from them as little as a renamed study's may (:data:`RENAME_EDITS_LIMIT`,
       :data:`RENAME_EDITS_SHARE`, among at most :data:`RENAME_PAIRS_LIMIT` pairs);
    2. they are nearer ``a``'s rows before than to ``b``'s own before, and nearer them
       than ``a``'s rows now are: two studies alike but for a cell or two, each edited,
       are not taken for a move;
    3. the label and year now under ``b`` are ``a``'s before: the name went with the rows.

    A round is a chain of such steps, one to one (no study's rows went to two ids, nor
    did two studies' rows go to one), that closes on itself: the last study's rows are at
    the first's id by 1 and 2. The last step of a round may miss 3 (its label or year
    corrected with the move), as long as the label it has now was none of the round's
    other studies' before, one study a round at most. Numbers that moved between studies
    whose names stayed with their ids are an edit of each (results entered under the
    wrong trial, corrected), and each trial's effect did change.

    Anything else reads as each study edited, as it was read before.
    """
    if not (isinstance(previous.get("raw_cells"), Mapping) and isinstance(current.get("raw_cells"), Mapping)):
        return []
    # Only a study whose rows changed can have moved; its digests tell where both builds
    # kept them.
    was_d, now_d = previous.get("study_data", {}), current.get("study_data", {})
    maybe = [sid for sid in kept if sid not in was_d or sid not in now_d or was_d[sid] != now_d[sid]]
    was = {sid: _unnamed_rows(previous, sid) for sid in maybe}
    now = {sid: _unnamed_rows(current, sid) for sid in maybe}
    changed = [sid for sid in maybe if was[sid] != now[sid]]
    if len(changed) < 2:
        return []
    filled = {sid: _filled_cells(current, sid) for sid in changed}
    distances: dict[tuple[str, str], float] = {}

    def apart(old: str, new: str) -> float:
        # Cells between ``old``'s rows before and ``new``'s now; beyond the limits, none near.
        if (old, new) not in distances:
            d = _cells_apart(was[old], now[new], RENAME_EDITS_LIMIT)
            distances[old, new] = d if d is not None and d <= RENAME_EDITS_SHARE * filled[new] else math.inf
        return distances[old, new]

    # Whole rows alike by their text, in one pass; nearly alike pair by pair, while few.
    by_rows: dict[str, list[str]] = {}
    for sid in changed:
        by_rows.setdefault(json.dumps(was[sid], sort_keys=True), []).append(sid)
    close = {(old, new) for new in changed for old in by_rows.get(json.dumps(now[new], sort_keys=True), [])
             if old != new}
    if len(changed) * (len(changed) - 1) <= RENAME_PAIRS_LIMIT:
        close |= {(old, new) for old in changed for new in changed if old != new and apart(old, new) < math.inf}
    moves = {(old, new) for old, new in close if apart(old, new) < min(apart(old, old), apart(new, new))}
    names_was = {sid: _name_cells(previous, sid) for sid in changed}
    names_now = {sid: _name_cells(current, sid) for sid in changed}
    named = {(old, new) for old, new in moves if names_now[new].get("label") and names_now[new] == names_was[old]}
    after = {old: [new for o, new in named if o == old] for old in changed}
    before = {new: [old for old, n in named if n == new] for new in changed}
    succ = {old: news[0] for old, news in after.items() if len(news) == 1}
    pred = {new: olds[0] for new, olds in before.items() if len(olds) == 1}
    rounds: list[list[str]] = []
    seen: set[str] = set()
    for start in sorted(changed):
        if start in seen:
            continue
        # Back to the start of its chain (a round has none: back to where it began), then
        # along it.
        first, back = start, {start}
        while first in pred and pred[first] not in back:
            first = pred[first]
            back.add(first)
        chain, on = [first], {first}
        while chain[-1] in succ and succ[chain[-1]] not in on:
            chain.append(succ[chain[-1]])
            on.add(chain[-1])
        seen.update(chain, back)
        last = chain[-1]
        if len(chain) < 2 or any(len(before[s]) > 1 or len(after[s]) > 1 for s in chain):
            continue
        if succ.get(last) == first:
            rounds.append(chain)
            continue
        # The round closes with a name corrected: the last study's rows at the first's id,
        # by the rows alone, and no other study's rows there nor its rows at another's.
        label = names_now[first].get("label")
        if (before[first] or after[last] or (last, first) not in moves or not label
                or any(label == names_was[s].get("label") for s in chain if s != last)
                or [n for o, n in moves if o == last and not before[n]] != [first]
                or [o for o, n in moves if n == first and not after[o]] != [last]):
            continue
        rounds.append(chain)
    return sorted((a, b) for chain in rounds for a, b in zip(chain, chain[1:] + chain[:1], strict=True))


def renamed_since(current: Mapping[str, Any], previous: Mapping[str, Any] | None) -> dict[str, str]:
    """The studies of the last build's key results (``previous``) that this build's
    (``current``) has under another id, old id to new id: renamed
    (:func:`_renamed_studies`), or studies of both builds whose ids moved round among
    them (:func:`_moved_studies`); {} on a first build."""
    if previous is None:
        return {}
    added = sorted(set(current["studies"]) - set(previous.get("studies", [])))
    removed = sorted(set(previous.get("studies", [])) - set(current["studies"]))
    kept = sorted(set(previous.get("studies", [])) & set(current["studies"]))
    return dict(_renamed_studies(previous, current, removed, added)) | dict(_moved_studies(previous, current, kept))


def renamed_in_tables(tables: Mapping[str, Sequence[Mapping[str, Any]]],
                      row_numbers: Mapping[str, Sequence[int]],
                      previous: Mapping[str, Any] | None) -> dict[str, str]:
    """:func:`renamed_since` for raw tables not yet built (a dry run): the studies of the
    last build's key results (``previous``) that ``tables`` hold under another id, old id
    to new id, read from the same cells a build keeps (:func:`metareview.report.keys.kept_cells`);
    {} without a last build, or with key results of a layout that holds no such cells."""
    if not previous:
        return {}
    studies = tables.get("studies", [])
    current = {
        "studies": sorted(str(r["study_id"]) for r in studies),
        "study_labels": {r["study_id"]: r.get("label") for r in studies},
        "raw_cells": kept_cells(tables, row_numbers),
        "study_data": study_digests(tables),
    }
    try:
        return renamed_since(current, previous)
    except (AttributeError, KeyError, TypeError, ValueError):
        return {}


def _as_renamed(previous: Mapping[str, Any], current: Mapping[str, Any],
                pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The last build's key results with each study of ``pairs`` (old id, new id; the same
    id for a study whose label or year alone changed) named as it is now: its id in the
    studies, the analyses, the published results, the trials that enter none (and their
    reasons) and the consistency warnings' keys, its label in the warnings' texts
    (:func:`_warning_renamed`), its rows (:func:`_rows_as_renamed`) and their digests,
    and its id where a shared table's id cells give it (a claim's attributed study), with
    the table's digest this build's where that alone changed it.
    The rest of the changes section then compares like with like: an analysis that held
    the study renamed holds the same study, and its effect is compared with its effect
    before, not listed as one study's gone and another's come.

    A renamed study's digest for a file is this build's where its rows, so renamed, are
    this build's, and one no build gives where they are not; without both builds' cells,
    its digests are left out (the id is among the cells digested) and not compared.
    """
    rename = dict(pairs)
    if not rename:
        return dict(previous)

    def ids(values: Iterable[str]) -> list[str]:
        return sorted(rename.get(x, x) for x in values)

    out = dict(previous)
    out["studies"] = ids(previous.get("studies", []))
    # Under its new id, by the label the last build gave it: what an analysis removed had
    # found is said as the last report said it.
    was_labels = previous.get("study_labels", {})
    out["study_labels"] = {**{sid: v for sid, v in was_labels.items() if sid not in rename},
                           **{new: was_labels[old] for old, new in rename.items() if old in was_labels}}
    if isinstance(previous.get("unused_trials"), list):
        out["unused_trials"] = ids(previous["unused_trials"])
    if isinstance(previous.get("identity_low"), list):
        out["identity_low"] = ids(previous["identity_low"])
    if isinstance(previous.get("unused_reasons"), Mapping):
        out["unused_reasons"] = {rename.get(sid, sid): v for sid, v in previous["unused_reasons"].items()}
    # The words that name the study: a claim's reason, an indirect comparison's
    # explanation or a certainty's text that now reads another label and nothing else has
    # not changed.
    renamed_labels = {was: now for was, now in ((_name_cells(previous, old).get("label"),
                                                 _name_cells(current, new).get("label")) for old, new in pairs)
                      if was and now and was != now}
    # And as a label reads inside the report's brackets, its own as commas (in_brackets):
    # "only one study (Kwon et al., 2007)" names Kwon et al. (2007) too.
    labels = renamed_labels | {in_brackets(was): in_brackets(now) for was, now in renamed_labels.items()
                               if in_brackets(was) != was and in_brackets(was) not in renamed_labels}

    # All at once, longest first: two labels swapped are not swapped back, and a label
    # within another renamed is not replaced inside it. Built once: it is applied to
    # every analysis's text and every claim's reason.
    pattern = re.compile("|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))) if labels else None

    def relabel(text: Any) -> Any:
        if not isinstance(text, str) or pattern is None:
            return text
        return pattern.sub(lambda m: labels[m.group(0)], text)

    analyses = {}
    for aid, before in previous.get("analyses", {}).items():
        entry = dict(before)
        for key in ("studies", "excluded", "external", "sensitive_to", "widened_by", "certainty_studies"):
            if isinstance(entry.get(key), list):
                entry[key] = ids(entry[key])
        for key in ("study_effects", "set_aside", "fingerprints", "certainty_studies", "baseline_flags"):
            if isinstance(entry.get(key), Mapping):
                entry[key] = {rename.get(x, x): v for x, v in entry[key].items()}
        if "certainty_text" in entry:
            # An out-of-date judgement's text names its studies by label.
            entry["certainty_text"] = relabel(entry["certainty_text"])
        analyses[aid] = entry
    out["analyses"] = analyses
    if isinstance(previous.get("published"), Mapping):
        out["published"] = {renamed_key(ref, rename): {**v, "study_id": rename.get(v.get("study_id"), v.get("study_id"))}
                            for ref, v in previous["published"].items()}
    if isinstance(previous.get("warnings"), Mapping):
        out["warnings"] = {renamed_key(k, rename): _warning_renamed(v, renamed_labels, relabel)
                           for k, v in previous["warnings"].items()}
    if isinstance(previous.get("claim_reasons"), Mapping):
        out["claim_reasons"] = {cid: relabel(v) for cid, v in previous["claim_reasons"].items()}
    if isinstance(previous.get("indirect_results"), Mapping):
        out["indirect_results"] = {xid: {**v, "detail": relabel(v.get("detail"))} if isinstance(v, Mapping) else v
                                   for xid, v in previous["indirect_results"].items()}
    # A study relabelled keeps its id, and its digests can be compared as they are.
    digests = {sid: v for sid, v in previous.get("study_data", {}).items() if rename.get(sid, sid) == sid}
    cells, now_cells = previous.get("raw_cells"), current.get("raw_cells")
    if isinstance(cells, Mapping) and isinstance(now_cells, Mapping):
        studies = {sid: rows for sid, rows in cells.get("studies", {}).items() if sid not in rename}
        was_typed = cells.get("typed", {}).get("studies", {})
        typed = {sid: v for sid, v in was_typed.items() if sid not in rename}
        for old, new in rename.items():
            studies[new] = _rows_as_renamed(previous, current, old, new)
            typed[new] = was_typed.get(old, {})
            now_rows = now_cells.get("studies", {}).get(new) or {}
            now_digests = current.get("study_data", {}).get(new) or {}
            was_digests = previous.get("study_data", {}).get(old) or {}
            digests[new] = {file: now_digests[file] if file in now_rows and file in now_digests and _row_keys(
                rows, cells.get("columns", {}).get(file, [])) == _row_keys(now_rows[file], now_cells["columns"].get(file, []))
                else f"{was_digests.get(file, '')} as renamed" for file, rows in studies[new].items()}
        # A shared table's id cells (a claim's attributed study) name the study too: one
        # that follows it to its new id is part of the rename, not an edit of the table.
        columns, now_columns = cells.get("columns", {}), now_cells.get("columns", {})
        shared = {file: [[row[0], *(rename.get(v, v) if c in _ID_COLUMNS and isinstance(v, str) else v
                                    for c, v in zip(columns.get(file, []), row[1:], strict=False))] for row in rows]
                  for file, rows in cells.get("shared", {}).items()}
        out["raw_cells"] = {**cells, "studies": studies, "shared": shared}
        if "typed" in cells:
            out["raw_cells"]["typed"] = {**cells["typed"], "studies": typed}
        if isinstance(previous.get("shared_data"), Mapping):
            now_shared, now_t = now_cells.get("shared", {}), current.get("shared_data", {})
            out["shared_data"] = dict(previous["shared_data"])
            for file, rows in shared.items():
                if (rows != cells["shared"][file] and file in now_t and file in now_shared
                        and _row_maps(rows, columns.get(file, [])) == _row_maps(now_shared[file],
                                                                              now_columns.get(file, []))):
                    out["shared_data"][file] = now_t[file]
    if "study_data" in previous:
        out["study_data"] = digests
    return out


def _analysis_definition(build: Mapping[str, Any], aid: str) -> str | None:
    """An analysis's definition in a build's key results: its settings
    (:func:`metareview.report.keys.config_settings`, ``analyses.<id>.*``: intervention,
    comparator, outcome, window, measure, designs...) without its id, as one comparable
    text; None where the build recorded none."""
    prefix = f"analyses.{aid}."
    settings = build.get("settings")
    if not isinstance(settings, Mapping):
        return None
    fields = {key[len(prefix):]: value for key, value in settings.items() if key.startswith(prefix)}
    return json.dumps(fields, sort_keys=True, ensure_ascii=False) if fields else None


def renamed_analyses(current: Mapping[str, Any], previous: Mapping[str, Any] | None) -> dict[str, str]:
    """The analyses of the last build's key results (``previous``) that this build's
    (``current``) has under another id, old id to new id: an analysis removed and one
    added whose definitions (:func:`_analysis_definition`) and studies are the same.

    An id corrected in the config is the same analysis: read as one removed and another
    added, its estimate would be listed twice, once as found and once as new. Where two
    analyses removed, or two added, share the definition, which is which cannot be told,
    and none of them is read as renamed; nor is any where a build recorded no settings or
    studies. ``previous`` has its studies under their ids in ``current`` (a study renamed
    with it is the same study)."""
    if previous is None:
        return {}
    was_all, now_all = previous.get("analyses") or {}, current.get("analyses") or {}
    removed = [aid for aid in was_all if aid not in now_all]
    added = [aid for aid in now_all if aid not in was_all]
    if not removed or not added:
        return {}
    by_was: dict[str, list[str]] = {}
    by_now: dict[str, list[str]] = {}
    for aid in removed:
        if (definition := _analysis_definition(previous, aid)) is not None:
            by_was.setdefault(definition, []).append(aid)
    for aid in added:
        if (definition := _analysis_definition(current, aid)) is not None:
            by_now.setdefault(definition, []).append(aid)
    renamed = {}
    for definition, olds in by_was.items():
        news = by_now.get(definition, [])
        if len(olds) != 1 or len(news) != 1:
            continue
        (old,), (new,) = olds, news
        was_studies, now_studies = was_all[old].get("studies"), now_all[new].get("studies")
        if isinstance(was_studies, list) and isinstance(now_studies, list) and sorted(was_studies) == sorted(now_studies):
            renamed[old] = new
    return renamed


def analyses_renamed_since(current: Mapping[str, Any], previous: Mapping[str, Any] | None) -> dict[str, str]:
    """:func:`renamed_analyses` of the last build's key results as What changed reads
    them, its studies renamed since (:func:`renamed_since`) under their new ids first:
    old analysis id to new; {} on a first build."""
    if previous is None:
        return {}
    return renamed_analyses(current, _as_renamed(previous, current, sorted(renamed_since(current, previous).items())))


def _analyses_as_renamed(previous: Mapping[str, Any], rename: Mapping[str, str]) -> dict[str, Any]:
    """The last build's key results with each analysis of ``rename`` (old id to new id)
    under its new id: its entry, name, title and settings, and the key of a warning on its
    GRADE rating. The rest of the changes section then compares it with itself, as any
    analysis kept."""
    if not rename:
        return dict(previous)
    out = dict(previous)
    for key in ("analyses", "analysis_names", "analysis_titles"):
        if isinstance(previous.get(key), Mapping):
            out[key] = {rename.get(aid, aid): v for aid, v in previous[key].items()}

    def setting(key: str) -> str:
        parts = key.split(".", 2)
        if len(parts) == 3 and parts[0] == "analyses" and parts[1] in rename:
            return f"analyses.{rename[parts[1]]}.{parts[2]}"
        return key

    if isinstance(previous.get("settings"), Mapping):
        out["settings"] = {setting(key): v for key, v in previous["settings"].items()}

    if isinstance(previous.get("warnings"), Mapping):
        out["warnings"] = {renamed_grade_key(key, rename): v for key, v in previous["warnings"].items()}
    return out


def _analysis_rename_line(old: str, new: str, name: str) -> str:
    """The line of What changed that says an analysis was renamed (:func:`renamed_analyses`),
    by its ``name`` as every analysis's line begins: "Acupuncture vs Sham: pain intensity,
    short term (`acu_sham_pain`): renamed from `acu_sham` to `acu_sham_pain`, the same
    definition and studies." Any estimate that moved is said on its own line, under its
    new id, as for any analysis kept."""
    return f"{name}: renamed from `{old}` to `{new}`, the same definition and studies."


def _points_moved(before: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """Each SMD re-expressed in an instrument's points whose printed text moved, with the
    comparator SD where that moved: "SMD in points on the Roland-Morris Disability
    Questionnaire (version not stated): 0.7 (−5.6 to 7.1) → 0.7 (−5.4 to 6.8) (comparator
    SD 4.8 → 4.6)". An edited SD moves the summary's points and no estimate. Key results from
    before the points were kept compare nothing."""
    was, new = before.get("re_expressed"), now.get("re_expressed")
    if not isinstance(was, Mapping) or not isinstance(new, Mapping):
        return []
    notes: list[str] = []
    for label, x in new.items():
        old = was.get(label)
        if not isinstance(old, Mapping) or old.get("points") == x.get("points"):
            continue
        sd = f" (comparator SD {old.get('sd')} → {x.get('sd')})" if old.get("sd") != x.get("sd") else ""
        notes.append(escape(f"SMD in points on the {label}: {old.get('points')} → {x.get('points')}{sd}"))
    return notes


def _warning_renamed(text: Any, renamed_labels: Mapping[str, str], relabel: Callable[[Any], Any]) -> Any:
    """A consistency warning of the last build as What changed says it once it is no
    longer raised, its study renamed (``renamed_labels``: the last build's label to this
    build's): under the study's label now, then the one the warning was raised under,
    "Kwon et al. (2008), formerly Kwon et al. (2007): arm_outcomes.csv, row 61 (Kwon2007#1)".
    Under the old label alone it named a study the review no longer lists by that name,
    beside the line that says the study was renamed; the row and its reference stay the
    last build's, which the old label explains. A warning on several studies' rows ("the
    same estimate ... in 2 studies: ...") names each by its label now (``relabel``)."""
    if not isinstance(text, str):
        return text
    for was in sorted(renamed_labels, key=len, reverse=True):
        if text.startswith(f"{was}: "):
            return f"{renamed_labels[was]}, formerly {text}"
    return relabel(text)


def _rename_line(previous: Mapping[str, Any], current: Mapping[str, Any], old: str, new: str, cells: str | None) -> str:
    """What changed in a study's name, in one line: "Study Kwon et al. (2007) is now Kwon
    et al. (2008) (id Kwon2007 → Kwon2008, year 2007 → 2008); its data are unchanged."

    The label, id and year are each said to change only where they did (the id is given
    either way: the raw tables name the study by it). ``cells`` are the cells edited with
    it, as :func:`_file_changes` names them ("" for none, said as data unchanged; None
    where the builds cannot tell, said nothing of).
    """
    was, now = _name_cells(previous, old), _name_cells(current, new)
    was_label, now_label = was.get("label") or old, now.get("label") or new
    parts = [f"id {escape(old)} → {escape(new)}" if old != new else f"id {escape(new)}"]
    if was.get("year") is not None and now.get("year") is not None and was["year"] != now["year"]:
        parts.append(f"year {_cell_text(was['year'])} → {_cell_text(now['year'])}")
    # With the label unchanged, the line says what did change, with a verb: "Study Itoh
    # et al. (2004) (id Itoh2004, year 2004 → 2005)" read as half a rename.
    if was_label == now_label and old == new and len(parts) == 2:
        head = f"Study {escape(now_label)} (id {escape(new)}): its year changed, {parts[1].removeprefix('year ')}"
        tail = "; its data are unchanged" if cells == "" else f"; its rows changed: {cells}" if cells else ""
        return _full_stop(f"{head}{tail}")
    head = (f"Study {escape(was_label)} is now {escape(now_label)}" if was_label != now_label
            else f"Study {escape(now_label)}")
    tail = "; its data are unchanged" if cells == "" else f"; its rows changed: {cells}" if cells else ""
    return _full_stop(f"{head} ({', '.join(parts)}){tail}")


def _moved_line(previous: Mapping[str, Any], current: Mapping[str, Any], ids: Sequence[str],
               cells: Mapping[str, str | None]) -> str:
    """Studies whose ids moved round, in one line: two that swapped ids, "Studies Hunter et
    al. (2012) (id Hunter2012 → Kwon2007) and Kwon et al. (2007) (id Kwon2007 →
    Hunter2012) swapped ids; their data are unchanged.", or three or more, "Studies Bee
    (2003) (id B → C), Cole (2010) (id C → D) and Dunn (2015) (id D → B) moved ids;
    their data are unchanged."

    ``ids`` are the round's ids in the last build, in its order: each study's rows went
    to the next one's id, the last one's to the first's. Each study is named by the label
    the last build gave it and its ids; one whose label or year was corrected with the
    move as :func:`_rename_line` says it, its year in its brackets and its label after
    the round ("; Kwon et al. (2007) is now labelled Kwon et al. (2008)"), a bracket
    beside the brackets and never in one. ``cells`` are, by the last build's id, the cells
    edited with the move, as :func:`_rename_line` takes them. As a line per study, each
    read as relabelled as the next, or edited into it.
    """
    to = dict(zip(ids, [*ids[1:], ids[0]], strict=True))
    was = {sid: _name_cells(previous, sid) for sid in ids}
    now = {sid: _name_cells(current, to[sid]) for sid in ids}
    name = {sid: escape(was[sid].get("label") or sid) for sid in ids}

    def member(sid: str) -> str:
        parts = [f"id {escape(sid)} → {escape(to[sid])}"]
        years = was[sid].get("year"), now[sid].get("year")
        if None not in years and years[0] != years[1]:
            parts.append(f"year {_cell_text(years[0])} → {_cell_text(years[1])}")
        return f"{name[sid]} ({', '.join(parts)})"

    head = f"Studies {join_list([member(sid) for sid in ids])} {'swapped' if len(ids) == 2 else 'moved'} ids"
    head += "".join(f"; {name[sid]} is now labelled {escape(now[sid]['label'])}" for sid in ids
                    if was[sid].get("label") and now[sid].get("label") and was[sid]["label"] != now[sid]["label"])
    if all(cells.get(sid) == "" for sid in ids):
        return f"{head}; their data are unchanged."
    same = [name[sid] for sid in ids if cells.get(sid) == ""]
    tail = f"; the data of {join_list(same)} are unchanged" if same else ""
    tail += "".join(f"; the rows of {name[sid]} changed: {cells[sid]}" for sid in ids if cells.get(sid))
    return _full_stop(head + tail)


def _analysis_finding(entry: Mapping[str, Any], names: Mapping[str, str], proper: Collection[str] = ()) -> str:
    """What an analysis new to the review found, as What changed says it: its pooled
    estimate, its one study's effect, or why it has none ("no usable study"). "New
    analysis" alone left a team to search the report for the result of the question they
    had just added.

    Its studies are counted in words, as the analyses' lines of What changed count them
    ("3 studies pooled, MD −0.20 (...)", "one study, not pooled: Kong (2020), its effect
    ..."): "pooled, k = 3" beside "now 3 studies (was 2 studies)" used the methods'
    letter in one line and words in the next."""
    k = entry.get("k") or 0
    measure = entry.get("measure")
    if entry.get("estimate") is not None and "ci_lb" in entry:
        return (f"{_studies_count(k)} pooled, {measure or 'estimate'} "
                f"{f2(entry.get('estimate_exp', entry['estimate']))} ({_interval(entry)}): "
                + _compatibility(bool(entry.get("significant"))) + _side(entry, proper=proper))
    effect = _study_effect_shown(entry)
    if effect is not None and "ci_lb" in entry:
        who = _listed([names.get(x, x) for x in entry.get("studies") or []], conjunction="and")
        return (_status_and_count(entry) + (f": {who}, its effect" if who else ", study effect")
                + f" {measure + ' ' if measure else ''}{f2(effect)} ({_interval(entry)}){units_words(entry)}: "
                + _compatibility(bool(entry.get("significant"))) + _side(entry, proper=proper))
    return _status_and_count(entry)


def _still_side(before: Mapping[str, Any], now: Mapping[str, Any], proper: Collection[str] = ()) -> str:
    """" (point estimate on the side of dry needling)" after a single study's effect that
    moved, where its interval is compatible with no difference, or " (favours dry
    needling)" where it lies wholly on one side, as the report's line on the effect says;
    "" where what the interval shows or the side changed (the notes that say so name the
    side) or the key results kept no side. "−0.85 → −0.60" alone left the reader to work
    out which arm a negative number favours."""
    if not now.get("favoured"):
        return ""
    if any(key in before and before[key] != now.get(key) for key in ("significant", "direction")):
        return ""
    if now.get("significant"):
        return f" ({_direction_words(now, proper=proper)})"
    return f" (point estimate on the side of {escape(in_brackets(_in_sentence(now['favoured'], proper)))})"


def _studies_count(k: Any) -> str:
    """A number of studies in words, as What changed says it: "one study", "3 studies"."""
    return {None: "an unrecorded number of studies", 0: "no study", 1: "one study"}.get(k, f"{k} studies")


def _status_and_count(entry: Mapping[str, Any]) -> str:
    """An analysis's status with its number of studies, as What changed says it: "pooled:
    2 studies", "one study, not pooled", "no usable study", "not poolable: 3 studies".
    The count is left out where the status says it (one study, none) or key results from
    before it was kept give none."""
    status, k = entry.get("status"), entry.get("k")
    if status == "single_study" and k == 1:
        return "one study, not pooled"
    if status == "no_studies" and not k:
        return "no usable study"
    return str(STATUS_TEXT.get(status, status)) + (f": {_studies_count(k)}" if k is not None else "")


def _count_change(before: Mapping[str, Any], now: Mapping[str, Any]) -> str:
    """How an analysis's status and number of studies changed, as What changed says it,
    "now" once: "now pooled: 2 studies (was one study, not pooled)", "now 3 studies (was 2
    studies)"; with the same studies and another status (the pooling threshold raised),
    "now not poolable (was pooled), still 2 studies", not the count twice. "" when
    neither changed."""
    if before.get("status") != now.get("status"):
        k = now.get("k")
        if k is not None and k == before.get("k") and k > 1:
            was_s, now_s = (STATUS_TEXT.get(x.get("status"), str(x.get("status"))) for x in (before, now))
            return f"now {now_s} (was {was_s}), still {_studies_count(k)}"
        return f"now {_status_and_count(now)} (was {_status_and_count(before)})"
    if before.get("k") != now.get("k"):
        return f"now {_studies_count(now.get('k'))} (was {_studies_count(before.get('k'))})"
    return ""


def _published_changes(current: Mapping[str, Any], previous: Mapping[str, Any]) -> list[str]:
    """Published meta-analyses' results that read otherwise in the report. With their own
    rows unchanged: an instrument's direction or range edited in ``instruments.csv``
    turns or rescales a review's mean difference, and the arm it favours with it, which
    the row change in the shared table did not say. With their rows changed, the cells
    are listed for the study, and only a result whose conclusion changed (the arm it
    favours, or "neither", the interval now across no difference) is said again, as
    **conclusion changed**: a bound typed without its minus turns what a review found,
    which "No estimate, interval or conclusion changed" denied. Key results from before
    these were kept give nothing."""
    if "published" not in previous:
        return []
    was_all, now_all = previous["published"], current.get("published", {})
    before_d, now_d = previous.get("study_data", {}), current.get("study_data", {})
    labels = previous.get("study_labels", {}) | current.get("study_labels", {})
    # A result is keyed by its place among its study's rows ("contrasts.csv:Furlan2005#2"):
    # where both builds kept their raw cells, an edited study's results are matched by
    # what each row is about instead, so that rows sorted otherwise compare each result
    # with itself, not with the one that took its place.
    identity = {}
    for when, build in (("was", previous), ("now", current)):
        tables = kept_tables(build.get("raw_cells"))
        identity[when] = row_identities(tables) if tables else None
    was_of = ({i: ref for ref, i in identity["was"].items()} if identity["was"] is not None
              and identity["now"] is not None else None)
    notes = []
    for ref in sorted(now_all):
        new = now_all[ref]
        sid = new["study_id"]
        edited = before_d.get(sid) != now_d.get(sid)
        was_ref: str | None = ref
        if edited and was_of is not None and identity["now"] is not None:
            now_identity = identity["now"].get(ref)
            was_ref = was_of.get(now_identity) if now_identity is not None else None
        was = was_all.get(was_ref) if was_ref is not None else None
        if was is None or sid != was["study_id"]:
            continue
        if edited and was["favours"] == new["favours"]:
            continue
        parts = []
        if was["estimate"] != new["estimate"]:
            parts.append(f"{escape(was['estimate'])} → {escape(new['estimate'])}")
        if was["favours"] != new["favours"]:
            parts.append(f"**conclusion changed**: the arm it favours {escape(was['favours'])} → "
                         f"**{escape(new['favours'])}**")
        if parts:
            how = "after its cells changed" if edited else ""
            notes.append(f"Published result of {escape(labels.get(sid, sid))} ({escape(new['row'])}), as the report "
                         f"reads it{' ' + how if how else ''}: " + "; ".join(parts) + ".")
    if len(notes) > CHANGES_LIMIT:
        return [f"{len(notes)} published results read otherwise (see the published meta-analyses)."]
    return notes


#: What the comparison of published reviews with the trials used here says of a
#: comparator (the key results' ``reviews_and_trials``), as the report words it.
_REVIEWS_AND_TRIALS = {"differ": "published reviews and the trials here differ",
                       "unshown": "published reviews find a difference that the trials used here do not show"}


def _reviews_and_trials_changes(current: Mapping[str, Any], previous: Mapping[str, Any]) -> list[str]:
    """The statements of *Published meta-analyses* (and the summary) on published reviews
    and the trials used here that appeared, went or changed, by treatment and comparator:
    "Acupuncture against usual care: now “published reviews and the trials here differ”
    (before: no such statement)". A review's result read otherwise can start or end a
    disagreement that no analysis's numbers show. Only where both builds kept them."""
    if "reviews_and_trials" not in previous or "reviews_and_trials" not in current:
        return []
    was, now = previous["reviews_and_trials"], current["reviews_and_trials"]

    def said(head: str | None) -> str:
        return f"“{_REVIEWS_AND_TRIALS.get(head, head)}”" if head else "no such statement"

    lines = []
    for pair in sorted(set(was) | set(now)):
        if was.get(pair) != now.get(pair):
            lines.append(f"Published reviews and the trials used here, {escape(pair)}: "
                         + (f"now **{escape(said(now[pair]))}**" if now.get(pair) else "no statement any longer")
                         + f" (before: {escape(said(was.get(pair)))}).")
    return lines


#: The config sections whose entries (by name) What changed says were added or removed whole.
_ENTRY_KINDS = {"nodes": "node", "outcomes": "outcome", "windows": "window"}
#: Each as the methods call it.
_ENTRY_WORDS = {"nodes": "node", "outcomes": "outcome", "windows": "time window"}


def _entries_added_or_removed(before: Mapping[str, Any],
                              now: Mapping[str, Any]) -> list[tuple[tuple[str, str], str, str]]:
    """Nodes, outcomes and windows in one build's settings and not the other's, each with
    what it is in words, its key after them, and its line for What changed: "New node
    Electroacupuncture (`nodes.ea`): treatments `electroacupuncture`", or "Node
    Electroacupuncture (`nodes.ea`) removed". Only for sections both builds compared."""
    def entries(settings: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for key, value in settings.items():
            parts = key.split(".", 2)
            if parts[0] in _ENTRY_KINDS and len(parts) == 3:
                out.setdefault((parts[0], parts[1]), {})[parts[2]] = value
        return out

    was, new = entries(before), entries(now)
    sections = {section for section, _ in was}
    lines = []
    for entry in sorted(set(was) ^ set(new)):
        section, name = entry
        if section not in sections:
            continue
        # By its name, its key after it: "New node Electroacupuncture (`nodes.ea`)".
        words = _entry_words(section, name, now, before)
        subject = f"{escape(words)} (`{section}.{name}`)"
        if entry in new:
            # Its label is its name, said already.
            keys = "; ".join(f"{escape(_field_words(k))} " + (" ".join(f"`{x}`" for x in v) if isinstance(v, list)
                                                                and all(isinstance(x, str) for x in v)
                                                                else escape(_setting_text(v)))
                             for k, v in sorted(new[entry].items()) if k != "label")
            lines.append((entry, subject, f"New {escape(words.removeprefix('the '))} (`{section}.{name}`)"
                          + (f": {keys}." if keys else ".")))
        else:
            lines.append((entry, subject, f"{escape(words[4:5].upper() + words[5:])} (`{section}.{name}`) removed."))
    return lines


def _entry_words(section: str, name: str, *builds: Mapping[str, Any]) -> str:
    """A node, outcome or window of the config by its label, as the methods name it: "the
    node Acupuncture", "the time window Short term" (its weeks left to the methods); by its
    key where no build's settings give a label ("the outcome pain"). ``builds``: the
    settings to take the label from, the first that has it."""
    label = next((b[f"{section}.{name}.label"] for b in builds if b.get(f"{section}.{name}.label")), None)
    if label and section == "windows":
        label = _window_name({"label": label})
    return f"the {_ENTRY_WORDS[section]} {label or name}"


def _setting_change(key: str, old: Any, new: Any) -> str:
    """How a setting changed, as What changed says it after its name: "2 → 3"; a long
    text from where the two differ; a list by its members added or removed; an
    estimator by its name, as the methods give it; true and false as "on" and "off" (as
    "yes" and "no" for whether the studies came from a systematic search)."""
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > CELL_TEXT_LIMIT:
        # A long text (the question, the evidence base): from where the two differ.
        return _text_change(old, new)
    listed = _list_change(old, new)
    if listed:
        return listed

    def said(value: Any) -> str:
        if key == "methods.method" and value in TAU2_ESTIMATORS:
            return escape(_estimator_text(value))
        if key == "methods.test" and value in TESTS:
            return escape(f"{TESTS[value]} ({value})")
        if isinstance(value, bool):
            # A fact of the review, not a switch of the pipeline's.
            if key == "review.systematic_search":
                return "yes" if value else "no"
            return "on" if value else "off"
        return escape(_setting_text(value)) + (_SETTING_UNITS.get(key, "") if isinstance(value, (int, float)) else "")
    if _SETTING_UNITS.get(key, "").startswith(" ") and isinstance(old, (int, float)):
        # A word after the number, once: "2 → 3 studies".
        return f"{escape(_setting_text(old))} → {said(new)}"
    return f"{said(old)} → {said(new)}"


def _warning_place(text: str) -> str:
    """Where a consistency warning was raised, without what it expected and found: "B:
    contrasts.csv, row 4 (B#2), column 'n_total'" for a warning worded "B: contrasts.csv,
    row 4 (B#2), column 'n_total': expected ..., found ...". A warning not worded so (one
    result printed by several studies) is cut at a word to :data:`CELL_TEXT_LIMIT` × 3
    characters. The row is the last build's: the warning is no longer raised, so the
    tables of this build may number it otherwise."""
    place, sep, _ = text.partition(": expected ")
    if sep:
        return place
    limit = CELL_TEXT_LIMIT * 3
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut[:cut.rfind(" ")].rstrip(" ;:,") if " " in cut else cut) + "…"


def _full_stop(text: str) -> str:
    """``text`` ended with a full stop, unless it ends a sentence already, itself or in the
    quotation it closes with: a changed quote ending "24.8%.”" read "24.8%.”." with one
    more, and a warning asking "... no longer needed?" read "needed?." (Chicago Manual of
    Style, 17th ed., 6.9 and 6.122); nor does a text cut short with an ellipsis, which a
    full stop after it turned into four dots ("row…."), as if the cut ended a sentence. A
    quotation cut short inside its quotation marks keeps the sentence's own ("…forty…”.")."""
    return text if text.endswith("\u2026") or text.rstrip("\u201d\"").endswith(("?", "!", ".")) else text + "."


def _aside_with_reason(sid: str, names: Mapping[str, str], entry: Mapping[str, Any]) -> str:
    """A trial an analysis has set aside since the last build, by name, with the reason the
    table of trials that could not be used gives for it: "Testfirst et al. (2098) (timepoint
    16 weeks is outside the window of 1 to 12 weeks)"; by name alone where the key results
    kept no reason (builds from before they were kept)."""
    reason = (entry.get("excluded_reasons") or {}).get(sid)
    name = names.get(sid, sid)
    return f"{name} ({escape(str(reason).rstrip('.'))})" if reason else name


def _see_table(ids: Collection[str], entry: Mapping[str, Any]) -> str:
    """" (the table of trials that could not be used says why)" after trials set aside
    whose reasons the key results did not keep, else "": each is given beside its name."""
    reasons = entry.get("excluded_reasons") or {}
    aside = set(entry.get("excluded") or [])
    return "" if all(reasons.get(x) for x in ids if x in aside) else " (the table of trials that could not be used says why)"


def _code_changes(current: Mapping[str, Any], previous: Mapping[str, Any]) -> list[str]:
    """A line naming the steps whose code changed since the last build, and the files that
    did: "Code changed: the steps `analyse` and `assemble_report` (src/metareview/fmt.py;
    `results/code/*.sha256`)." Or nothing, where it did not or either build's key results
    kept no code (builds from before they were kept). A step only one build has (the
    first indirect comparison added) is said with what added it, not here.
    """
    was, now = previous.get("code"), current.get("code")
    if not isinstance(was, Mapping) or not isinstance(now, Mapping):
        return []
    steps = sorted(step for step in set(was) & set(now) if was[step] != now[step])
    if not steps:
        return []
    files = sorted({path for step in steps for path in set(was[step]) | set(now[step])
                    if was[step].get(path) != now[step].get(path)})
    named = _listed(steps, code=True, conjunction="and")
    return [f"Code changed: the {'step' if len(steps) == 1 else 'steps'} {named} ({_listed(files)}; `results/code/*.sha256`)."]


def _identity_low(current: Mapping[str, Any], previous: Mapping[str, Any]) -> set[str]:
    """The studies whose identity the team rates low, whose effects What changed flags:
    each study of this build as this build rates it, one gone since as the last build
    did. Key results from before the ratings were kept flag none of theirs."""
    gone = set(previous.get("identity_low") or []) - set(current.get("studies") or [])
    return set(current.get("identity_low") or []) | gone


def _effect_names(names: Mapping[str, str], low: Collection[str]) -> dict[str, str]:
    """``names`` (study id: label) with each study of ``low`` flagged as the report's text
    and forest plots flag its effect (:data:`metareview.plots.IDENTITY_LOW`, the words of
    :data:`metareview.report.overview.IDENTITY_LOW`, which imports this module): "Trial C
    (study identity low)". For the lines of What changed that give a study's effect; a
    line that names a study gone or set aside, without its effect, names it plainly."""
    return {**names, **{sid: f"{names.get(sid, sid)} ({IDENTITY_LOW})" for sid in low}}


def _name_flagged_study(notes: list[str], first: int, studies: Sequence[str], low: Collection[str],
                        names: Mapping[str, str]) -> None:
    """Name the one study of an analysis in the first of ``notes`` from ``first`` on (its
    effect's moves: "study effect", "interval", "timepoint", "computed from"), flagged
    (:func:`_effect_names`), where its identity is rated low: "study effect of Trial C
    (study identity low) −0.50 → 0.60". Elsewhere the line need not name it (the
    analysis's one study), but the flag needs a study to stand beside, as the report's
    does beside every effect of it."""
    if len(studies) != 1 or studies[0] not in low or len(notes) <= first:
        return
    name = escape(names.get(studies[0], studies[0]))
    note = notes[first]
    for head in ("study effect", "interval", "timepoint"):
        if note.startswith(head + " "):
            notes[first] = f"{head} of {name}{note[len(head):]}"
            return
    if note.startswith("computed from "):
        notes[first] = f"the effect of {name} {note}"


def changes_section(current: Mapping[str, Any], previous: Mapping[str, Any] | None, proper: Collection[str] = ()) -> Markdown:  # noqa: C901
    """Short diff against the previous build's key results."""
    if previous is None:
        # Said as what is known: no earlier key results, which a first build and a removed
        # history folder leave alike. The file's name is the provenance's, for an auditor.
        return Markdown("There is no earlier build to compare with: this is the report's first build, or the "
                        "record of the last one was removed (see the provenance).\n")
    since = compared_with(previous)
    # The warnings of both keyed alike, by what their rows are: keyed by a row's place,
    # rows re-sorted raised each anew. Those that cannot be keyed alike are not compared:
    # nothing could be said of them that is known to be true.
    warnings = compared_warnings(previous, current)
    previous = {k: v for k, v in previous.items() if k != "warnings"}
    if warnings is not None:
        previous["warnings"] = warnings[0]
        current = {**current, "warnings": warnings[1]}
    lines = []
    added = sorted(set(current["studies"]) - set(previous.get("studies", [])))
    removed = sorted(set(previous.get("studies", [])) - set(current["studies"]))
    # A study renamed (its id, label or year corrected) is the same study: "removed" and
    # "added" would tell a team that a trial left the review, and every analysis it
    # enters would list it gone and another come. One line says what it is now, and the
    # rest of the section compares it with itself under its new name.
    renamed = sorted(renamed_since(current, previous).items())
    # Studies whose ids moved round among them (two swapped, or three or more each at
    # the next one's id): one line for each round, from its first id. Each has another's
    # id now, and its label changed under its id with the rest of its rows: not
    # relabelled.
    to = dict(renamed)
    moved = {old for old in to if old in current["studies"]}
    rounds: dict[str, list[str]] = {}  # by its first id, in the order its rows moved
    placed: set[str] = set()
    for first in sorted(moved):
        if first not in placed:
            ids = rounds[first] = [first]
            while to[ids[-1]] != first:
                ids.append(to[ids[-1]])
            placed.update(ids)
    kept = sorted((set(previous.get("studies", [])) & set(current["studies"])) - moved)
    # Its label or year alone changed: the same line, on what both builds kept (a build
    # that kept no cells kept no year).
    relabelled = [(sid, sid) for sid, was, now in ((sid, _name_cells(previous, sid), _name_cells(current, sid))
                                                   for sid in kept)
                  if was.get("label") and now.get("label") and any(was[c] != now[c] for c in set(was) & set(now))]
    original = previous
    previous = _as_renamed(previous, current, [*renamed, *relabelled])
    # An analysis whose id alone changed in the config is the same analysis: compared
    # with itself under its new id, and said renamed once, with the settings.
    analyses_renamed = renamed_analyses(current, previous)
    previous = _analyses_as_renamed(previous, analyses_renamed)
    named: set[str] = set()  # the studies whose edited cells their line names
    edits: dict[str, str | None] = {}  # by the last build's id
    for old_id, new_id in [*renamed, *relabelled]:
        was_d, now_d = previous.get("study_data", {}).get(new_id), current.get("study_data", {}).get(new_id)
        if was_d is None or now_d is None or not isinstance(previous.get("raw_cells"), Mapping):
            edits[old_id] = None  # a build without the cells: nothing to say of them
        else:
            files = sorted(f for f in set(was_d) | set(now_d) if was_d.get(f) != now_d.get(f))
            edits[old_id] = _file_changes(previous, current, "studies", new_id, files) if files else ""
            named.add(new_id)
    for old_id, new_id in sorted([*renamed, *relabelled], key=lambda pair: pair[1]):
        if old_id not in moved:
            lines.append(_rename_line(original, current, old_id, new_id, edits[old_id]))
        elif new_id in rounds:
            # Once, where the round's first id falls.
            lines.append(_moved_line(original, current, rounds[new_id], edits))
    added = [i for i in added if i not in {n for _, n in renamed}]
    removed = [i for i in removed if i not in {o for o, _ in renamed}]
    # Studies by the label the rest of the report uses, with the id the raw tables use.
    # A document entered with a new study, or deleted with one, that no other row cites:
    # said with the study, and left out of the shared tables' edits below.
    own_added = _own_sources(current, previous, added, added=True)
    own_removed = _own_sources(previous, current, removed, added=False)
    if added:
        items = _studies_with_sources(added, _study_names(added, current), own_added, previous=False)
        lines.append(f"Studies added: {_listed(items, conjunction='and')}.")
        idle = [i for i in added if i in set(current.get("unused_trials", []))]
        # Why, where the analyses set it aside: "the evidence table says why" sent a team
        # to a row that read "see the trials that could not be used, below".
        reasons = current.get("unused_reasons") or {}
        for sid in idle:
            if reasons.get(sid):
                lines.append(f"Trial added that enters no analysis: {_listed(_study_names([sid], current))}, "
                             "set aside: " + escape("; ".join(reasons[sid]).rstrip(".")) + ".")
        idle = [sid for sid in idle if not reasons.get(sid)]
        if idle:
            lines.append(f"{'Trial' if len(idle) == 1 else 'Trials'} added that {'enters' if len(idle) == 1 else 'enter'}"
                         f" no analysis: {_listed(_study_names(idle, current), conjunction='and')}; the evidence table says why.")
    lines.extend(_risk_of_bias_changes(current, previous, added, renamed))
    if removed:
        items = _studies_with_sources(removed, _study_names(removed, previous), own_removed, previous=True)
        lines.append(f"Studies removed: {_listed(items, conjunction='and')}.")
    if "study_data" in previous:
        before_d, now_d = previous["study_data"], current.get("study_data", {})
        # A study renamed or relabelled has its edited cells in its line above.
        edited = sorted(sid for sid in set(before_d) & set(now_d) if before_d[sid] != now_d[sid] and sid not in named)
        # Rows moved among their study's (a table sorted), no cell edited: the digests,
        # taken in file order, differ, but nothing the team typed did.
        reordered = [sid for sid in edited if _reordered_files(previous, current, sid)]
        edited = [sid for sid in edited if sid not in set(reordered)]
        if reordered:
            names = _reordered_names(previous, current, reordered)
            lines.append(f"Rows reordered, no cell changed: {_listed(names, conjunction='and')}.")
        if edited:
            def study_name(sid: str) -> str:
                # By label, with the id and the files where its rows changed ("Bee et al.
                # (2020) (B: arms.csv, contrasts.csv)"); a build that kept one digest per
                # study cannot say which files.
                was, now = before_d[sid], now_d[sid]
                files = (", ".join(f for f in sorted(set(was) | set(now)) if was.get(f) != now.get(f))
                         if isinstance(was, dict) and isinstance(now, dict) else "")
                label = current.get("study_labels", {}).get(sid)
                inner = ": ".join(x for x in (sid if label and label != sid else "", files) if x)
                return f"{label or sid} ({inner})" if inner else (label or sid)

            if len(edited) <= CHANGES_LIMIT and "raw_cells" in previous:
                # Few studies, both builds kept their cells: which cells changed, study by
                # study, so that a reviewer can check the edit against the source.
                for sid in edited:
                    was, now = before_d[sid], now_d[sid]
                    files = sorted(f for f in set(was) | set(now) if was.get(f) != now.get(f))
                    cells = _file_changes(previous, current, "studies", sid, files)
                    lines.append(_full_stop(f"Raw rows changed, {escape(_study_names([sid], current)[0])}: {cells}"))
            else:
                lines.append(f"Studies whose raw rows changed: {_listed([study_name(i) for i in edited], conjunction='and')}.")
    if "shared_data" in previous:
        before_t, now_t = previous["shared_data"], current.get("shared_data", {})
        tables = sorted(t for t in set(before_t) | set(now_t) if before_t.get(t) != now_t.get(t))
        was_b, now_b = previous, current
        if own_added or own_removed:
            was_b = _without_rows(previous, "sources.csv", {row for rows in own_removed.values() for row, _ in rows})
            now_b = _without_rows(current, "sources.csv", {row for rows in own_added.values() for row, _ in rows})
            cells_was, cells_now = was_b["raw_cells"], now_b["raw_cells"]
            if not row_changes(cells_was["shared"].get("sources.csv", []), cells_was["columns"].get("sources.csv", []),
                               cells_now["shared"].get("sources.csv", []), cells_now["columns"].get("sources.csv", [])):
                tables = [t for t in tables if t != "sources.csv"]  # its only edits, said with the studies
        if tables:
            cells_t = _file_changes(was_b, now_b, "shared", None, tables)
            lines.append(_full_stop(f"Raw tables changed: {cells_t or _listed(tables)}"))
    # Why trials stay out of every analysis: a setting (a window added) changes these as
    # often as the data do, so they are not counted as the data's change, and follow the
    # settings' lines, their cause, where settings changed.
    reasons = _unused_reason_changes(current, previous)
    if "warnings" in previous:
        # Checks of the raw numbers that a change set off, or settled.
        now_w, was_w = current.get("warnings", {}), previous["warnings"]
        new_w = [text for key, text in now_w.items() if key not in was_w]
        settled = sum(1 for key in was_w if key not in now_w)
        if new_w:
            text = ("; ".join(escape(report_quotes(t)) for t in new_w[:CHANGES_LIMIT])
                    + (f"; and {len(new_w) - CHANGES_LIMIT} more" if len(new_w) > CHANGES_LIMIT else ""))
            # A warning that ends in a question ("... or a document no longer needed?")
            # ends the line: a full stop after it would read "needed?.".
            lines.append(_full_stop(f"New consistency {'warning' if len(new_w) == 1 else 'warnings'} (@tbl-warnings): "
                                    f"{text}"))
        if settled:
            # Where each was, as its new counterpart is given: a bare count leaves a team
            # that fixed one cell unable to tell whether the warning it meant to settle went.
            places = [escape(report_quotes(_warning_place(text))) for key, text in was_w.items() if key not in now_w]
            lines.append(f"Consistency {'warning' if settled == 1 else 'warnings'} of the last build no longer "
                         f"raised: " + "; ".join(places[:CHANGES_LIMIT])
                         + (f"; and {settled - CHANGES_LIMIT} more" if settled > CHANGES_LIMIT else "") + ".")
    lines.extend(_code_changes(current, previous))
    data_changed = any(not line.startswith("Code changed") for line in lines)
    n_reasons = len(lines)  # where the reasons go when no setting changed
    lines.extend(reasons)
    n_inputs = len(lines)  # lines about the data; those about the results follow
    # An analysis by its id (the file names under results/) and what it compares, which a
    # clinician reads; key results from before the names were kept give the id alone.
    analysis_labels = {**previous.get("analysis_names", {}), **current.get("analysis_names", {})}
    analysis_titles = {**previous.get("analysis_titles", {}), **current.get("analysis_titles", {})}

    def analysis_name(aid: str) -> str:
        # By its title, then its id, as the appendices name it: "`id` (Acupuncture vs Sham
        # (pain intensity))" put the code first and its brackets one inside another.
        if analysis_titles.get(aid):
            return f"{escape(analysis_titles[aid])} (`{aid}`)"
        return f"`{aid}`" + (f" ({escape(analysis_labels[aid])})" if analysis_labels.get(aid) else "")

    numbers_moved: list[tuple[str, str]] = []  # (analysis, line) where only numbers moved
    # The threshold that flags a baseline difference, in each build's settings: a flag
    # that came or went with it is said to have.
    threshold = ((previous.get("settings") or {}).get(BASELINE_THRESHOLD),
                 (current.get("settings") or {}).get(BASELINE_THRESHOLD))
    # A study's name where its effect is given, flagged where its identity is rated low.
    low = _identity_low(current, previous)
    effect_names = _effect_names(previous.get("study_labels", {}) | current.get("study_labels", {}), low)
    for aid, now in current["analyses"].items():
        before = previous.get("analyses", {}).get(aid)
        if before is None:
            lines.append(f"New analysis {analysis_name(aid)}: {_analysis_finding(now, effect_names, proper)}.")
            continue
        notes = []
        # As a reader says it, the status and the count in one: "status one study: not
        # pooled → pooled; studies 1 → 2" read as a build log ("k" is the methods'
        # letter, and the summary defines it as the number pooled, which an analysis of
        # one study or none is not). Said "now" once, here: the studies that came or went
        # follow in the same clause ("now 3 studies (was 2 studies), with Bee et al. (2020)
        # added"), as "now 3 studies (...); now with Bee et al. (2020)" said it twice.
        head = _count_change(before, now)
        # A renamed study is the same one (said above; ``previous`` has its new id).
        held_before = set(before.get("studies") or [])
        if before.get("studies") is not None and held_before != set(now.get("studies", [])):
            # A study in, another out: the same k can hide a different trial.
            names = previous.get("study_labels", {}) | current.get("study_labels", {})
            # A study added to a pooled analysis comes with its own effect, as the study
            # table prints it: the number a team checks against the source it entered.
            effects_now = now.get("study_effects", {})
            came = sorted(set(now.get("studies", [])) - held_before)
            # Each study added is named with its effect, given here or in a note after.
            into = [effect_names.get(x, x) + (f" (its effect {measure_words(now)}{f2(effects_now[x]['effect'])}, "
                                              f"{_interval(effects_now[x])}{units_words(now)})"
                                              if x in effects_now else "") for x in came]
            out_of = [names.get(x, x) for x in sorted(held_before - set(now.get("studies", [])))]
            if (len(into) == len(out_of) == 1 and len(now.get("studies", [])) == 1
                    and _study_effect_shown(before) is not None and _study_effect_shown(now) is not None):
                # One trial's effect stood for the analysis, and another's does now: "now
                # with X; without Y" leaves the reader to work out that the effect below is
                # another trial's, perhaps from another kind of value.
                notes += [head] if head else []
                # The trial whose effect stood for the analysis before, flagged as its effect was.
                (gone_id,) = held_before - set(now.get("studies", []))
                notes.append(_replaced_trial_text(into[0], effect_names.get(gone_id, gone_id),
                                                  before.get("study_value_type"), now.get("study_value_type")))
            else:
                # A study the analysis now sets aside is still a candidate: "without X"
                # read as if X had left the review.
                gone_ids = sorted(held_before - set(now.get("studies", [])))
                aside_now = set(now.get("excluded") or [])
                left = [names.get(x, x) for x in gone_ids if x not in aside_now]
                aside = [_aside_with_reason(x, names, now) for x in gone_ids if x in aside_now]
                # One study added: "added" after its name, before its effect's bracket.
                added_clause = (f"with {escape(effect_names.get(came[0], came[0]))} added"
                                + into[0][len(effect_names.get(came[0], came[0])):]
                         if len(came) == 1 else f"with {_listed(into, conjunction='and')} added" if into else "")
                clauses = [x for x in (
                    added_clause,
                    f"without {_listed(left, conjunction='and')}" if left else "",
                    f"with {_listed(aside, conjunction='and')} set aside{_see_table(gone_ids, now)}"
                    if aside else "") if x]
                # The same number of studies: said as such, for the clause to hang on.
                if (not head and before.get("k") is not None
                        and before.get("k") == now.get("k") == len(now.get("studies", [])) == len(held_before)):
                    head = f"still {_studies_count(now.get('k'))}"
                # "and" before the last, no semicolons: an effect's bracket holds a comma,
                # and the line's clauses are parted by semicolons.
                said = " and ".join([", ".join(clauses[:-1]), clauses[-1]] if len(clauses) > 1 else clauses)
                notes.append(f"{head}, {said}" if head else said)
        elif head:
            notes.append(head)
        if isinstance(before.get("excluded"), list):
            # A trial the analysis now sets aside that it neither used nor set aside before
            # (a study added whose rows it cannot use, say): with no line, a trial added for
            # this comparison read as if it had never reached it. One set aside for its value
            # type is given with its own effect below (_own_effect_changes).
            names = previous.get("study_labels", {}) | current.get("study_labels", {})
            newly = [x for x in sorted(set(now.get("excluded") or []) - set(before["excluded"]) - held_before)
                     if x not in (now.get("set_aside") or {})]
            if newly:
                notes.append(f"{_listed([_aside_with_reason(x, names, now) for x in newly], conjunction='and')} "
                             f"set aside{_see_table(newly, now)}")
        if "external" in before:
            # Published meta-analyses shown beside the trials (key results from before
            # they were kept have none: not taken for an empty list).
            names = previous.get("study_labels", {}) | current.get("study_labels", {})
            was_ext = set(before["external"])
            into = [names.get(x, x) for x in sorted(set(now.get("external", [])) - was_ext)]
            out_of = [names.get(x, x) for x in sorted(was_ext - set(now.get("external", [])))]
            if into:
                notes.append(f"published results of {_listed(into, conjunction='and')} added")
            if out_of:
                notes.append(f"published results of {_listed(out_of, conjunction='and')} no longer shown")
        moved_only = not notes
        # The studies' own rows after the analysis's estimate, so that "interval a → b"
        # after a study's name is never read as the pooled one.
        study_notes = _own_effect_changes(before, now, effect_names) + _study_effect_changes(before, now, effect_names)
        # A study's baseline-imbalance flag that came or went puts a caveat beside its
        # effect, or takes one away, whether or not a number moved: not a number moved.
        flag_notes = _baseline_flag_changes(before, now, effect_names, threshold)
        moved_only = moved_only and not flag_notes
        study_notes += flag_notes
        effect_now, effect_before = _study_effect_shown(now), _study_effect_shown(before)
        one_then_pooled = effect_before is not None and before.get("estimate") is None and now.get("estimate") is not None
        pooled_then_one = effect_now is not None and now.get("estimate") is None and before.get("estimate") is not None
        # A second study pooled with the first, or one of two taken out: what the analysis
        # shows changed with the effect that stands for it. Flagged on the number that
        # says it: a note of its own repeated "the confidence interval lies wholly ..."
        # after the estimate that had just said so.
        flipped = ((one_then_pooled or pooled_then_one) and "significant" in before and "significant" in now
                   and before["significant"] != now["significant"])
        flip_said = False
        effect_note = None  # where the note giving the new study effect or estimate is
        if effect_now is not None and effect_before is None and "ci_lb" in now:
            # One study's effect where there was none (or a pooled estimate): what it shows,
            # and whose it is when the clause of studies added has not named it: after a pooled
            # estimate lost a study, "without X; study effect 0.05" left the reader to work
            # out which of the others is left.
            alone = now.get("studies") or []
            whose = (f"of {escape(effect_names.get(alone[0], alone[0]))} "
                     if len(alone) == 1 and alone[0] in held_before else "")
            # From nothing to an effect: an answer the report did not give before, flagged
            # as its loss is below, whatever its interval shows ("was no usable study" with
            # no flag read as a study added, not as the question answered at last).
            fresh = before.get("estimate") is None
            changed = "**conclusion changed**: " if fresh or flipped else ""
            arrived = "an estimate where there was none, " if fresh else ""
            flip_said, effect_note = flipped, len(notes)
            notes.append(f"{changed}{arrived}study effect {whose}{measure_words(now)}{f2(effect_now)} "
                         f"({_interval(now)}){units_words(now)}: " + _compatibility(bool(now.get("significant")))
                         + _side(now, proper=proper))
            moved_only = moved_only and not changed
        gone = not now.get("k") and effect_now is None and now.get("estimate") is None
        if effect_before is not None and before.get("estimate") is None and gone:
            # The analysis's only effect is gone (its one study removed, or now set aside):
            # what the report said of it no longer holds.
            notes.append(f"**conclusion changed**: no study effect (was {measure_words(before)}{f2(effect_before)}"
                         + (f", {_interval(before)}" if "ci_lb" in before else "") + f"{units_words(before)})")
            moved_only = False
        # A measure set anew (an analysis's SMD made an MD): each number by its own, as two
        # numbers of different units read as one that moved a long way.
        old_m, new_m = before.get("measure"), now.get("measure")
        remeasured = bool(old_m and new_m and old_m != new_m)
        if effect_now is not None and effect_before is not None:
            moves_from = len(notes)
            if remeasured:
                notes.append(f"study effect {old_m} {f2(effect_before)}{units_words(before)} → {new_m} "
                             f"{f2(effect_now)}{units_words(now)}")
            elif f2(effect_before) != f2(effect_now):
                # By its measure and, for an MD, its units, as the pooled lines and the
                # report give it; and the side it lies on, as the report's line on it says,
                # where no note below says it changed.
                # Key results from before the measure was kept may have had another.
                same = before.get("measure") == now.get("measure")
                notes.append(f"study effect {measure_words(now) if same else ''}{f2(effect_before)} → "
                             f"{f2(effect_now)}{units_words(now) if same else ''}{_still_side(before, now, proper)}")
            # One study's interval and what it shows, as for a pooled estimate below (key
            # results from before they were kept are not compared).
            if "ci_lb" in before and "ci_lb" in now and _interval(before) != _interval(now):
                notes.append(f"interval {_interval(before)} → {_interval(now)}")
            notes += _timepoint_moved(before, now)
            if before.get("studies") == now.get("studies"):
                # The same trial's effect from other numbers (another trial's is said above).
                notes += _form_moved(before, now)
                _name_flagged_study(notes, moves_from, now.get("studies") or [], low, effect_names)
            if "significant" in before and "significant" in now and now["significant"] != before["significant"]:
                notes.append("**conclusion changed**: " + _compatibility(bool(now["significant"])) + _side(now, proper=proper))
                moved_only = False
            if "direction" in before and "direction" in now and now["direction"] != before["direction"]:
                notes.append(_direction_note(before, now, proper=proper))
                moved_only = False
        # An estimate that appeared or went away (a second study, a study removed).
        if now.get("estimate") is not None and before.get("estimate") is None:
            # What it replaces, where one study's effect stood for the analysis before.
            # By name: with a study added beside it, "one study's effect" leaves the reader
            # to work out which of the analysis's studies it was.
            alone = before.get("studies") or []
            whose = (f"the effect of {escape(effect_names.get(alone[0], alone[0]))} alone" if len(alone) == 1
                     else "one study's effect")
            # Before what the interval shows: "...: the confidence interval is compatible
            # with no difference (was the effect of A alone, ...)" read as if it had been.
            was_one = (f" in place of {whose} ({f2(effect_before)}, {_interval(before)})"
                       if effect_before is not None and "ci_lb" in before else "")
            # By its measure, as an estimate that moved is ("pooled MD").
            estimate_name = f"pooled {new_m}" if new_m else "estimate"
            # An estimate where there was no effect at all: flagged whatever it shows, as
            # its loss is.
            fresh = effect_before is None
            changed = "**conclusion changed**: " if fresh or flipped else ""
            arrived = "an estimate where there was none, " if fresh else ""
            flip_said, effect_note = flipped, len(notes)
            notes.append(f"{changed}{arrived}{estimate_name} {f2(now.get('estimate_exp', now['estimate']))} "
                         f"({_interval(now)})"
                         + was_one + ": " + _compatibility(bool(now.get("significant"))) + _side(now, proper=proper))
            moved_only = moved_only and not changed
            if one_then_pooled:
                notes += _method_width_cause(before, now, flipped, proper)
        elif before.get("estimate") is not None and now.get("estimate") is None:
            # With no study left, what the report said of the analysis no longer holds;
            # with one or more, their effects are given instead.
            notes.append(("**conclusion changed**: " if gone else "")
                         + f"no pooled estimate (was {old_m + ' ' if old_m else ''}"
                         + f"{f2(before.get('estimate_exp', before['estimate']))}"
                         + (f", {_interval(before)}" if "ci_lb" in before else "") + ")")
            moved_only = moved_only and not gone
            if pooled_then_one:
                notes += _method_width_cause(before, now, flipped, proper)
        if flipped and not flip_said:
            notes.append("**conclusion changed**: " + _compatibility(bool(now["significant"])) + _side(now, proper=proper))
            moved_only = False
        if ((one_then_pooled or pooled_then_one) and "direction" in before and "direction" in now
                and before["direction"] != now["direction"]):
            # The side turned with it, as between two estimates or two effects of one study:
            # one trial's interval wholly on one side and the pooled one wholly on the other
            # changed no significance, and read as numbers that moved. Wholly on the other
            # side, the note that gives the new number flags it, having said where it lies.
            if now.get("significant") and before.get("significant") and effect_note is not None:
                if not notes[effect_note].startswith("**conclusion changed**"):
                    notes[effect_note] = "**conclusion changed**: " + notes[effect_note]
            else:
                notes.append(_direction_note(before, now, proper=proper))
            moved_only = False
        if now.get("estimate") is not None and before.get("estimate") is not None:
            # A number moved when what the report prints of it changed.
            old_est = f2(before.get("estimate_exp", before["estimate"]))
            new_est = f2(now.get("estimate_exp", now["estimate"]))
            # A sign that flipped shows its estimates, however small the move.
            if old_est != new_est or now.get("direction") != before.get("direction") or remeasured:
                # With its measure ("SMD 0.15 → 0.12"): a bare "estimate" left the reader to
                # find whether the numbers were mean differences, SMDs or ratios.
                measure = now.get("measure") if now.get("measure") == before.get("measure", now.get("measure")) else None
                notes.append(f"pooled {old_m} {old_est}{units_words(before)} → {new_m} {new_est}{units_words(now)}"
                             if remeasured else f"{'pooled ' + measure if measure else 'estimate'} {old_est} → "
                             f"{new_est}{units_words(now) if measure else ''}")
            # An interval can move alone (another CI method, a changed level). Key results
            # from before intervals were kept on the printed scale are not compared.
            if ("ci_lb" in before and ("ci_lb_exp" in before) == ("ci_lb_exp" in now)
                    and _interval(before) != _interval(now)):
                notes.append(f"interval {_interval(before)} → {_interval(now)}")
            if now.get("significant") != before.get("significant"):
                notes.append("**conclusion changed**: " + _compatibility(bool(now["significant"])) + _side(now, proper=proper))
                moved_only = False
            if now.get("direction") != before.get("direction"):
                notes.append(_direction_note(before, now, proper=proper))
                moved_only = False
            if "sensitive_to" in now and "sensitive_to" in before:
                # The studies the result rests on, as the report names them: without those
                # whose omission only widens the interval, where both builds recorded which
                # (key results from before then list them among the rest).
                rests_now, rests_before = now["sensitive_to"], before["sensitive_to"]
                if "widened_by" in now and "widened_by" in before:
                    rests_now = [s for s in rests_now if s not in now["widened_by"]]
                    rests_before = [s for s in rests_before if s not in before["widened_by"]]
                if rests_now != rests_before:
                    widened = [s for s in now.get("widened_by") or [] if s in now["sensitive_to"]]
                    notes.append("**leave-one-out**: " + (
                        f"the conclusion has become sensitive to leaving out "
                        f"{_either([escape(n) for n in _study_names(rests_now, current)])}"
                        if rests_now else "no single study's omission changes the conclusion any longer"
                        + (f" (leaving out {_either([escape(n) for n in _study_names(widened, current)])} "
                           "widens the interval across no difference, though the estimate moves away from it)"
                           if widened else "")))
                    moved_only = False
        notes += study_notes
        notes += _points_moved(before, now)
        # Certainty: only where both builds recorded it.
        if "certainty_status" in before and "certainty_status" in now:
            note = _certainty_change(before, now)
            if note:
                notes.append(note)
                moved_only = False
        if notes:
            line = f"{analysis_name(aid)}: " + "; ".join(notes) + "."
            if moved_only:
                numbers_moved.append((aid, line))
            else:
                lines.append(line)
    # The diff stays short: a change of method moves every analysis's numbers, and only
    # the conclusions that changed need a line each.
    if len(numbers_moved) > CHANGES_LIMIT:
        # By what each compares, its id after it, as every analysis's line names it: the
        # ids alone said nothing to a clinician.
        moved_names = [analysis_name(aid) for aid, _ in numbers_moved]
        lines.append(f"Estimates or intervals moved, with the same conclusion, in {len(numbers_moved)} analyses: "
                     + join_list([*moved_names[:CHANGES_LIMIT], f"{len(moved_names) - CHANGES_LIMIT} more"])
                     + " (see the results).")
    else:
        lines.extend(line for _, line in numbers_moved)
    for aid in sorted(set(previous.get("analyses", {})) - set(current["analyses"])):
        # With what it had found: the report no longer says it, and a team that removed
        # the wrong entry, or one whose question still stands, sees what went.
        was_found = _analysis_finding(previous["analyses"][aid], _effect_names(
            previous.get("study_labels", {}), previous.get("identity_low") or []), proper)
        lines.append(f"Analysis {analysis_name(aid)} removed (it had found: {was_found}).")
    lines.extend(_published_changes(current, previous))
    lines.extend(_reviews_and_trials_changes(current, previous))
    lines.extend(_indirect_changes(current, previous, proper))
    was_reasons, now_reasons = previous.get("claim_reasons", {}), current.get("claim_reasons", {})
    claim_texts = {**previous.get("claim_texts", {}), **current.get("claim_texts", {})}

    def claim_name(cid: str) -> str:
        # By what it claims, as the claims table gives it, then its id for the team:
        # "Claim `both_work`" said nothing to a clinician. Key results from before the
        # words were kept give the id alone.
        text = claim_texts.get(cid)
        if not text:
            return f"Claim `{cid}`"
        # Its own quotation marks made single within the report's double ones.
        text = re.sub(r'"([^"]*)"|\u201c([^\u201d]*)\u201d', lambda m: f"\u2018{m[1] or m[2] or ''}\u2019", text)
        return f"Claim \u201c{escape(text)}\u201d (`{cid}`)"

    for cid, verdict in current.get("claims", {}).items():
        old = previous.get("claims", {}).get(cid)
        if old is None and "claims" in previous:
            # A claim added is a verdict the report did not give: the raw row's line says a
            # row was added, not what the data made of it.
            lines.append(f"{claim_name(cid)} added: **{escape(verdict)}**.")
        elif old is not None and old != verdict:
            # With why, where both builds kept the reasons: a verdict that changed sends a
            # team to the claims table otherwise, to find which clause of the reason did.
            why = (f"; its reason {_explanation_change(was_reasons[cid], now_reasons[cid])}"
                   if cid in was_reasons and cid in now_reasons and was_reasons[cid] != now_reasons[cid] else "")
            lines.append(_full_stop(f"{claim_name(cid)}: {old} → **{verdict}**{why}"))
        elif old is not None and cid in was_reasons and cid in now_reasons and was_reasons[cid] != now_reasons[cid]:
            # The same verdict for another reason (a new study cited, a trial now found).
            lines.append(_full_stop(f"{claim_name(cid)}, still {escape(verdict)}: its reason "
                                    f"{_explanation_change(was_reasons[cid], now_reasons[cid])}"))
    for cid in sorted(set(previous.get("claims", {})) - set(current.get("claims", {}))):
        lines.append(f"{claim_name(cid)} removed (its verdict was {escape(previous['claims'][cid])}).")
    results_changed = len(lines) > n_inputs
    # Settings: only where both builds recorded them, and not for analyses or indirect
    # comparisons added or removed (listed above as such).
    if "settings" in previous:
        added_or_removed = set(previous.get("analyses", {})) ^ set(current["analyses"])
        added_or_removed |= set(previous.get("indirect", {})) ^ set(current.get("indirect", {}))
        before_s, now_s = previous["settings"], current.get("settings", {})
        # A section the previous build did not compare yet is not "changed" from nothing.
        sections_before = {key.split(".")[0] for key in before_s}
        # A node, outcome or window added or removed whole: one line each, not one per key
        # ("nodes.x.label: not set → X", "nodes.x.treatments: not set → [...]").
        whole = _entries_added_or_removed(before_s, now_s)
        setting_lines = [(subject, line) for (_, subject, line) in whole]
        whole_entries = {entry for entry, _, _ in whole}
        # Each setting in words, its key after them (the key once); an entry's keys (a
        # window's label and target week, moved together) in one line, by the entry's name.
        by_entry: dict[tuple[str, str], list[str]] = {}
        for key in sorted(set(before_s) | set(now_s)):
            parts = key.split(".")
            if (parts[0] in ("analyses", "indirect") and parts[1] in added_or_removed) or parts[0] not in sections_before:
                continue
            if tuple(parts[:2]) in whole_entries or before_s.get(key) == now_s.get(key):
                continue
            change = _setting_change(key, before_s.get(key), now_s.get(key))
            if parts[0] in (*_ENTRY_KINDS, "analyses", "indirect") and len(parts) > 2:
                by_entry.setdefault((parts[0], parts[1]), []).append(f"{_field_words('.'.join(parts[2:]))} {change}")
            else:
                words = _setting_words(key)
                setting_lines.append((f"{escape(words)} (`{key}`)",
                                      f"{escape(words[:1].upper() + words[1:])} (`{key}`): {change}."))
        for (section, name), changes in sorted(by_entry.items()):
            # An analysis's or comparison's settings, said as such: its results' line, if
            # any, begins with the same name.
            if section == "analyses":
                subject = analysis_name(name)
                head = f"{subject}, its settings"
            elif section == "indirect":
                head = _indirect_name(name, {**previous.get("indirect_titles", {}), **current.get("indirect_titles", {})})
                subject = head[:1].lower() + head[1:]
                head += ", its settings"
            else:
                words = _entry_words(section, name, now_s, before_s)
                subject = f"{escape(words)} (`{section}.{name}`)"
                head = f"{escape(words[:1].upper() + words[1:])} (`{section}.{name}`)"
            setting_lines.append((subject, f"{head}: {'; '.join(changes)}."))
        if len(setting_lines) > CHANGES_LIMIT:
            # The rest by what they set, each once: "see config/config.yaml" left the team
            # to find which, and a clinician with nothing.
            others = list(dict.fromkeys(subject for subject, _ in setting_lines[CHANGES_LIMIT:]))
            others_named = others[:CHANGES_LIMIT] + ([f"{len(others) - CHANGES_LIMIT} more"]
                                                     if len(others) > CHANGES_LIMIT else [])
            more = len(setting_lines) - CHANGES_LIMIT
            said = f"{more} more {'setting' if more == 1 else 'settings'} changed: {join_list(others_named)}."
            setting_lines = [*setting_lines[:CHANGES_LIMIT], ("", said)]
        # With the data changed, before the results they move: a cause before its effects.
        moving = bool(setting_lines)
        # An analysis renamed first: its line below, if any, is under its new id.
        setting_lines[:0] = [("", _analysis_rename_line(old, new, analysis_name(new)))
                             for old, new in sorted(analyses_renamed.items(), key=lambda pair: pair[1])]
        if moving and data_changed and results_changed:
            # Each estimate's line follows the edits: a narrower interval after a corrected
            # SD read as that SD's doing, where a setting changed with it did it all.
            setting_lines.append(("", ("The settings and the data both changed: each estimate below moved by the two "
                                       "together (a build of one change alone tells them apart).")))
        if setting_lines and reasons:
            # the settings first, then the reasons they changed
            del lines[n_reasons:n_reasons + len(reasons)]
            lines[n_reasons:n_reasons] = [*(line for _, line in setting_lines), *reasons]
        else:
            lines[n_inputs:n_inputs] = [line for _, line in setting_lines]
    # Since which build, where it recorded its date and commit: "the last build" alone
    # left a reader unable to tell which report this one is compared with.
    lead = f"Compared with {since}:\n\n" if since else ""
    if not lines:
        return Markdown(f"No study, estimate, setting or conclusion changed since {since or 'the previous build'}.\n")
    if not results_changed:
        # An edit that moves nothing shown (a baseline row, a quote) says so, rather than
        # leave the reader to look for what it moved.
        lines.append("No estimate, interval or conclusion changed.")
    return Markdown(lead + "\n".join(f"- {line}" for line in lines) + "\n")


def compared_with(previous: Mapping[str, Any] | None) -> str:
    """The build "What changed" compares with, as a sentence names it: "the build of
    2026-11-30 from source commit `481a7c8`", or "" for key results that do not say
    (a first build, or one from before builds recorded it).

    The date is the build's (:func:`metareview.provenance.build_date`: its source
    commit's, or ``SOURCE_DATE_EPOCH``); the commit is cut to its first 7 hex digits, as
    ``git log --oneline`` gives it, with what follows it kept ("+ uncommitted changes").

    >>> compared_with({"built": {"date": "2026-11-30", "commit": "481a7c8e06d5 + uncommitted changes"}})
    'the build of 2026-11-30 from source commit `481a7c8` + uncommitted changes'
    """
    built = (previous or {}).get("built") or {}
    date, commit = built.get("date"), str(built.get("commit") or "")
    if not date:
        return ""
    head, _, rest = commit.partition(" ")
    if re.fullmatch(r"[0-9a-f]{7,40}", head):
        commit = f"`{head[:7]}`" + (f" {rest}" if rest else "")
        return f"the build of {escape(str(date))} from source commit {commit}"
    # Not a git checkout, say: its words, bracketed, as a hash would not read them.
    return f"the build of {escape(str(date))}" + (f" (source commit: {escape(commit)})" if commit else "")


#: A span a warning quotes with straight single quotes, as a terminal prints it: "column
#: 'sd'", "found 'legacy_dn_page' cited by none", "timepoint_label 'after 1 month'". The
#: opening quote follows no letter and the closing one precedes none, so that the
#: apostrophes of "row's" and "Hedges' g" are not taken for quotes.
_STRAIGHT_QUOTED = re.compile(r"(?<![\w\u2019'])'([^'\s](?:[^']*[^'\s])?)'(?!\w)")


def report_quotes(warning: str) -> str:
    """A consistency warning with the spans it quotes in the report's quotes (‘’).

    The terminal and the key results keep the validation messages' straight quotes; the
    report, set with curly ones, prints a warning the same way in its table and in What
    changed.
    """
    return _STRAIGHT_QUOTED.sub("\u2018\\1\u2019", warning)


def _either(labels: Sequence[str]) -> str:
    """"A", "A or B", "A, B or C"."""
    return join_list(labels, "or")
