"""The build plan: which jobs exist and what each one sees.

Snakemake decides what to rerun from each job's inputs and params before it runs
anything, and reruns everything downstream of a job that reruns. So the plan gives each
study its own jobs, fed with that study's raw rows only (as a canonical JSON string), and
each analysis only the studies that can contribute to it. Editing one study's rows then
reruns that study's jobs, the analyses that include it, their figures and the report,
and nothing else.

This module runs every time the workflow starts, so it uses the standard library only,
apart from :func:`check_config_schema`, which imports jsonschema and PyYAML (Snakemake's
own config check imports both anyway).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from metareview.checks import COUNT, NUMBER_WORDS, count_value, duration_weeks, larger_number_before
from metareview.fmt import UNNAMED_LABEL, join_list
from metareview.normalise import UNNAMED, control_nodes, design_role, label_words
from metareview.rawdata import (
    LAST_BUILD,
    LeftOut,
    RawData,
    RawDataError,
    SchemaError,
    canonical_json,
    code_descriptions,
    meant,
    read_raw,
    study_bundles,
)

#: Keys of an analysis's config entry that only the report reads (see Plan.analysis).
REPORT_ONLY_KEYS = frozenset({"certainty", "comparator_risk", "risk_scenarios"})


class ConfigError(ValueError):
    """The review config refers to something that does not exist.

    ``refused`` holds, for a config its schema refused (:func:`check_config_schema`), the
    path of each key refused (``("methods", "level")``; a key missing, by the path it would
    have): the cross-checks of :func:`check_config` that read none of them still run.
    """

    def __init__(self, message: str, refused: Iterable[tuple[Any, ...]] = ()) -> None:
        super().__init__(message)
        self.refused = frozenset(refused)


@dataclass
class Plan:
    """Everything the workflow's rules need to know at parse time."""

    config: Mapping[str, Any]
    raw: RawData
    studies: list[str]
    bundles: dict[str, str]
    candidates: dict[str, list[str]]
    labels: dict[str, str]
    node_of: dict[str, str]
    indirect_inputs: dict[str, list[str]] = field(default_factory=dict)
    #: Nodes a claim that names no comparator is checked against (normalise.control_nodes).
    control_nodes: list[str] = field(default_factory=list)

    @property
    def analyses(self) -> list[str]:
        return [a["id"] for a in self.config["analyses"]]

    @property
    def indirect(self) -> list[str]:
        return [x["id"] for x in self.config.get("indirect", [])]

    def analysis(self, analysis_id: str) -> Mapping[str, Any]:
        return self._analyses_by_id[analysis_id]

    def analyses_of_study(self, study_id: str) -> list[Mapping[str, Any]]:
        """Config entries of the analyses ``study_id`` is a candidate for, in config order.

        A study's effects job reads only these, so editing or adding an analysis reruns
        only the studies that can enter it.
        """
        return self._analyses_of_study.get(study_id, [])

    # Lookups by id: Snakemake evaluates a job's params several times, for each of
    # thousands of jobs in a large review, so a scan of the config per call adds up.
    @cached_property
    def _analyses_by_id(self) -> dict[str, Mapping[str, Any]]:
        # Without the keys only the report reads (GRADE judgements, an assumed comparator
        # risk): editing them reruns the report, not the analysis or its studies' effects.
        return {a["id"]: {k: v for k, v in a.items() if k not in REPORT_ONLY_KEYS}
                for a in self.config["analyses"]}

    @cached_property
    def _analyses_of_study(self) -> dict[str, list[Mapping[str, Any]]]:
        out: dict[str, list[Mapping[str, Any]]] = {}
        for a in self.config["analyses"]:
            for study in self.candidates[a["id"]]:
                out.setdefault(study, []).append(self._analyses_by_id[a["id"]])
        return out

    def indirect_spec(self, indirect_id: str) -> Mapping[str, Any]:
        return next(a for a in self.config["indirect"] if a["id"] == indirect_id)

    def stale_outputs(self, root: Path | str, patterns: Sequence[str]) -> list[Path]:
        """Files under ``root`` of studies, analyses and indirect comparisons the review no
        longer has (rows deleted, an id renamed, an analysis taken out of the config).

        ``patterns`` are the rules' output and log paths with one wildcard each
        (``results/effects/{study}.json``): a file of that folder and suffix whose
        wildcard part is not one of the plan's ids is stale. Snakemake never removes a
        file no job of the current build makes; left in ``results/``, such files would
        be taken for part of the build (and an audit's rebuild, which does not make them,
        would report them).
        """
        root = Path(root)
        current = {"study": set(self.studies), "analysis": set(self.analyses), "indirect": set(self.indirect)}
        stale = []
        for pattern in patterns:
            match = re.fullmatch(r"(.+)/\{(study|analysis|indirect)\}([^/{}]+)", str(pattern))
            if match is None:
                raise ValueError(f"not a path with one wildcard of study, analysis or indirect: {pattern!r}")
            folder, kind, suffix = match.groups()
            directory = root / folder
            if not directory.is_dir():
                continue
            for path in sorted(directory.iterdir()):
                if path.is_file() and path.name.endswith(suffix) and path.name[:-len(suffix)] not in current[kind]:
                    stale.append(path)
        return stale


def labels_of(config: Mapping[str, Any]) -> dict[str, str]:
    """Display labels of nodes, outcomes and windows."""
    labels = {UNNAMED: UNNAMED_LABEL}
    labels.update({k: v["label"] for k, v in config["nodes"].items()})
    labels.update({k: v["label"] for k, v in config["outcomes"].items()})
    labels.update({k: v["label"] for k, v in config["windows"].items()})
    return labels


#: Keys of a node, outcome or window that only name it in the text (the report's, an
#: analysis's): the study jobs, which place rows and compute effects, never read them.
DISPLAY_KEYS = frozenset({"label", "proper_name"})


#: Keys of an outcome's config entry that only the report reads: the minimal important
#: difference changes how a result is read, not the result; the short label names it in
#: the summary's key messages alone.
REPORT_ONLY_OUTCOME_KEYS = frozenset({"mid", "short_label"})


def outcome_settings(spec: Mapping[str, Any]) -> dict[str, Any]:
    """An outcome's config entry as the study and analysis jobs read it, without the keys
    only the report reads: with its MID in their settings, setting one reran every job."""
    return {k: v for k, v in (spec or {}).items() if k not in REPORT_ONLY_OUTCOME_KEYS}


def plotted_mid(analysis: Mapping[str, Any], outcome: Mapping[str, Any]) -> float | None:
    """The minimal important difference an analysis's forest plot marks: its outcome's
    ``mid.value`` for a mean difference, else None.

    The plot is drawn by the analysis's job, so this value (not the MID's source, which
    only the report's caption names) is in that job's settings: editing an MID's value
    redraws the plots of that outcome's mean differences, and editing its source, or
    setting an MID that no MD analysis reads, reruns the report alone. An SMD or a ratio
    is read against no MID (:func:`metareview.report.outcome_mid`), so their jobs never
    see one.
    """
    mid = (outcome or {}).get("mid")
    if analysis.get("measure") != "MD" or not mid:
        return None
    return float(mid["value"])


def study_sections(config: Mapping[str, Any]) -> dict[str, Any]:
    """The ``nodes``, ``outcomes`` and ``windows`` a study's job reads, without their
    labels: relabelling a node ("Sham or placebo") changes no study's rows or effects, and
    with the labels in its settings it reran every study of the review. An outcome's MID
    is left out too (:func:`outcome_settings`)."""
    return {section: {name: {k: v for k, v in (spec or {}).items()
                             if k not in DISPLAY_KEYS and k not in REPORT_ONLY_OUTCOME_KEYS}
                      for name, spec in config[section].items()}
            for section in ("nodes", "outcomes", "windows")}


def analysis_labels(analysis: Mapping[str, Any], labels: Mapping[str, str]) -> dict[str, str]:
    """The labels an analysis's job prints: those of its two nodes, its outcome and its
    window. With every label of the review, relabelling one node reran every analysis."""
    keys = (analysis["intervention"], analysis["comparator"], analysis["outcome"], analysis["window"])
    return {k: labels[k] for k in keys if k in labels}


#: What a config error names as its source: Snakemake merges --config and --configfile
#: overrides into the file's values before the workflow sees them.
#: The fewest studies for the test of small-study effects where the config sets none
#: (``methods.small_study_min``): :data:`metareview.analysis.SMALL_STUDY_MIN`, repeated
#: here for the workflow to know, before any job runs, which analyses can draw a funnel
#: plot without importing the analysis code (and numpy) into the scheduling process.
SMALL_STUDY_MIN = 10

CONFIG_SOURCE = "config/config.yaml (with any --config or --configfile overrides)"

#: Said after an error that stops a build while an earlier build's report is on disk, lest
#: that report be taken for one of the inputs as they now are. The value refused may come
#: from an edited table or config, or only from this run's command line (``--config``,
#: ``--configfile``), so the note speaks of this run's inputs, not of edits.
STALE_REPORT_NOTE = "The report in build/report/ is still the last complete build's, not one made from this run's inputs."


def stop_message(message: str, root: Path | str = ".") -> str:
    """What a build stopped by an error before any job prints: ``message``, then
    :data:`STALE_REPORT_NOTE` when ``root`` holds a report (``build/report/report.html``)."""
    if (Path(root) / "build" / "report" / "report.html").exists():
        return f"{message}\n{STALE_REPORT_NOTE}"
    return message


#: At most this many schema violations are listed; the rest are counted.
SCHEMA_PROBLEMS_SHOWN = 10


@cache
def _schema(path: str) -> Mapping[str, Any]:
    """The config's JSON Schema, read once per process: the workflow coerces the config
    to it and then checks the config against it, at every start. Read with libyaml
    where PyYAML has it (1.5 ms, against 13 ms with the pure-Python loader): the schema
    is the workflow's own file, not one a user edits (:func:`check_config_file` reads
    the config as Snakemake does)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)  # a safe loader


def check_config_files(default: Path | str, overrides: Sequence[Path | str] = ()) -> None:
    """Check the workflow's config file and those given with ``--configfile``, each with
    :func:`check_config_file` and named by its path as given.

    Without ``--configfile`` the workflow's own file (``default``) must exist: Snakemake
    would otherwise stop with a ``WorkflowError`` at a line of the Snakefile. With one,
    Snakemake builds the config from the files given, and a missing ``default`` is no
    problem; a missing override is Snakemake's to report (it reads them before the
    workflow runs).

    Raises
    ------
    ConfigError
        The workflow's config file is missing and no other is given, or a file is not a
        YAML mapping of keys (:func:`check_config_file`).
    """
    if not overrides and not Path(default).is_file():
        name = Path(default).as_posix()
        raise ConfigError(f"{name}: no such file (expected the review definition, a YAML file of config keys; "
                          f"`git checkout -- {name}` restores the committed one, or give another with --configfile)")
    for path in [default, *overrides]:
        if Path(path).is_file():
            check_config_file(path, label=str(path))


def check_config_file(path: Path | str, label: str | None = None) -> None:
    """Check that a config file is a YAML mapping with no key given twice in one mapping.

    Snakemake's own load keeps the last of two equal keys without a word (a ``level:``
    pasted under another one wins), and names no line for a syntax error. This names
    the line and column of both, reading the file with PyYAML's pure-Python loader as
    Snakemake does (libyaml accepts a tab after a colon, Snakemake does not); merge keys
    (``<<: *defaults``) are YAML, and a key written beside one may override it.

    Raises
    ------
    ConfigError
        The file is not UTF-8 text, is not YAML, is not a mapping of keys (empty, say), or
        gives a key twice in one mapping.
    """
    import yaml

    name = label or Path(path).as_posix()

    # The pure-Python loader, as Snakemake's (it refuses a tab after a colon, which libyaml takes).
    class _Strict(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                # A merge key (<<: *defaults) is no key, and a key given beside it may
                # override a merged one: only the keys written here are compared.
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise ConfigError(f"{name} line {key_node.start_mark.line + 1}: key '{key}' given twice in one "
                                      f"mapping (first at line {seen[key].start_mark.line + 1}); the second would "
                                      "silently replace the first")
                seen[key] = key_node
            return super().construct_mapping(node, deep=deep)

    # A file saved in another encoding (an editor's Windows-1252 "Sjölund") would stop the
    # build with a Python traceback: name the line and column of the first bad byte.
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[start:exc.start].decode("utf-8", "replace")) + 1
        raise ConfigError(f"{name} line {line}, column {column}: expected UTF-8 text, found byte "
                          f"0x{data[exc.start]:02x}, which is not valid UTF-8 (the file was saved in another "
                          "encoding such as Windows-1252 or Latin-1; save it as UTF-8)") from None
    try:
        document = yaml.load(text, Loader=_Strict)  # a safe loader
    except yaml.MarkedYAMLError as exc:
        mark, also = exc.problem_mark or exc.context_mark, ""
        context = exc.context_mark
        # A key without its ':' ("level 95") is found missing only on a later line, where
        # PyYAML puts the problem; the line to mend is the one the key is on: where PyYAML
        # began the key, or else the line above that holds no ':' (the first key of a
        # mapping runs on into the next line as one scalar, "level 95 test").
        above = None if mark is None else _keyless_line_above(text.splitlines(), mark.line)
        if mark is not None and context is not None and context.line < mark.line and "simple key" in (exc.context or ""):
            mark, also = context, f" (noticed at line {mark.line + 1})"
        elif mark is not None and above is not None:
            also = f" (noticed at line {mark.line + 1}, column {mark.column + 1})"
            mark = yaml.Mark(name, 0, above[0], above[1], None, None)
        elif mark is not None and context is not None and context.line < mark.line and (
                "flow" in (exc.context or "") or "scalar" in (exc.context or "")):
            # A bracket or a quotation mark left open: where it opened.
            also = f" (opened at line {context.line + 1}, column {context.column + 1})"
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        what = "; ".join(x for x in (exc.context, exc.problem) if x)
        # A key indented unlike the one above it is noticed only at the next key that
        # follows the mapping's own indentation, which may be lines later (a key dedented
        # by mistake makes the correctly indented key below it the one refused): the key
        # above is named, as either may be the slip.
        hint = "" if also or mark is None else _unlike_key_above(text.splitlines(), mark.line)
        raise ConfigError(f"{name}{where}: not valid YAML: {what}{also} (a common cause: a key indented unlike the "
                          f"keys beside it, a key without its ':', or a tab{hint})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML: {exc}") from None
    # Snakemake takes only a mapping, and otherwise says "Config file must be given as
    # JSON or YAML with keys at top level", naming neither the file nor what it found (a
    # file saved empty, a list): named here, as the other slips are.
    if not isinstance(document, dict):
        found = "empty, no keys" if document is None else f"not a mapping of keys to values but a YAML " \
            f"{'list' if isinstance(document, list) else 'scalar'}"
        raise ConfigError(f"{name}: {found} (expected a YAML file of config keys, such as `review:` and "
                          "`analyses:`)")


def _unlike_key_above(lines: Sequence[str], line: int) -> str:
    """For a YAML error noticed at ``line`` (0-based), what to say of the key above it
    (blank and comment lines skipped) when it starts at another column: "; here the key
    above, 'renderer' at line 317, starts at column 1, and line 322 at column 3: ...";
    else "". Either may be the key indented by mistake: the one above, dedented out of
    the mapping the line below belongs to, or the line itself, indented too far."""
    def indent(s: str) -> int:
        return len(s) - len(s.lstrip(" "))

    if not 0 <= line < len(lines) or not lines[line].strip():
        return ""
    for i in range(line - 1, -1, -1):
        content = lines[i].split(" #", 1)[0].rstrip()
        if not content.strip() or content.lstrip().startswith("#"):
            continue
        key = re.match(r"\s*(?:- +)?([^\s:#'\"][^:#]*?):(\s*\S)?", content)
        column = key.start(1) if key else -1
        # Not a key, one at the line's own column, or the mapping's key the line is under.
        if key is None or column == indent(lines[line]) or (key.group(2) is None and column < indent(lines[line])):
            return ""
        return (f"; here the key above, '{key.group(1)}' at line {i + 1}, starts at column {column + 1}, "
                f"and line {line + 1} at column {indent(lines[line]) + 1}: the keys of one mapping start at one "
                "column, so look at the keys above as well as this line")
    return ""


def _keyless_line_above(lines: Sequence[str], line: int) -> tuple[int, int] | None:
    """``(line, column)``, 0-based, of the line above ``line`` (blank and comment lines
    skipped) when it is indented as ``line`` and holds no ':': a key whose colon is
    missing, which YAML reads as the start of a scalar running on into ``line``."""
    def indent(s: str) -> int:
        return len(s) - len(s.lstrip(" "))

    if not 0 <= line < len(lines):
        return None
    for i in range(line - 1, -1, -1):
        content = lines[i].split(" #", 1)[0].rstrip()
        if not content.strip() or content.lstrip().startswith("#"):
            continue
        if indent(content) == indent(lines[line]) and ":" not in content and not content.lstrip().startswith("-"):
            return i, indent(content)
        return None
    return None


def coerce_config_strings(config: Any, schema_path: Path | str) -> Any:
    """Turn strings into the numbers and booleans the schema asks for, in place.

    Snakemake reads a nested ``--config`` value as YAML with every scalar a string
    (``--config 'methods={level: 90}'`` gives ``'90'``), which the schema would refuse as
    "not of type 'number'" though the user wrote a number. A string is replaced only
    where the schema asks for an integer, a number or a boolean and the string reads as
    one in YAML; anything else is left for the schema to name. Returns ``config``.
    """
    import yaml

    schema = _schema(str(schema_path))
    defs = schema.get("$defs", {})
    wanted: dict[str, type | tuple[type, ...]] = {"integer": int, "number": (int, float), "boolean": bool}

    def resolve(node: Any) -> Any:
        while isinstance(node, Mapping) and "$ref" in node:
            node = defs.get(str(node["$ref"]).rsplit("/", 1)[-1], {})
        return node if isinstance(node, Mapping) else {}

    def convert(value: Any, node: Any) -> Any:
        node = resolve(node)
        types = node.get("type")
        types = [types] if isinstance(types, str) else list(types or [])
        if isinstance(value, str) and "string" not in types:
            for t in types:
                if t in wanted:
                    try:
                        read = yaml.safe_load(value)
                    except yaml.YAMLError:
                        break
                    if isinstance(read, wanted[t]) and (t == "boolean" or not isinstance(read, bool)):
                        return read
        if isinstance(value, dict):
            props = node.get("properties", {})
            extra = node.get("additionalProperties")
            for key in list(value):
                child = props.get(key, extra if isinstance(extra, Mapping) else None)
                if child is not None:
                    value[key] = convert(value[key], child)
        elif isinstance(value, list) and isinstance(node.get("items"), Mapping):
            for i, item in enumerate(value):
                value[i] = convert(item, node["items"])
        return value

    return convert(config, schema)


def config_key_lines(paths: Sequence[Path | str], config: Mapping[str, Any],
                     typed: dict[tuple[Any, ...], str] | None = None) -> dict[tuple[Any, ...], str]:
    """Where each key of ``config`` was typed: its path (``("methods", "level")``,
    ``("analyses", 0)``) to ``"config/config.yaml line 281"``.

    ``typed``, if given, is filled with the text of each unquoted value on one line as it
    was typed, by the same paths (``yes`` where YAML reads ``True``), for a message to
    quote it as the team wrote it.

    The config a build checks is its files merged (the workflow's own, then those given
    with ``--configfile``), the later over the earlier, with any ``--config`` values over
    them: a key is placed in the last file that gives it, and
    only while that file's value is the one checked (a value ``--config`` replaced has no
    line, rather than the line of a value no longer used). A file that cannot be read
    places nothing: :func:`check_config_file` names its problem first.
    """
    import yaml

    missing = object()

    def value_at(tree: Any, key: tuple[Any, ...]) -> Any:
        for part in key:
            if not ((isinstance(tree, Mapping) and part in tree)
                    or (isinstance(tree, list) and isinstance(part, int) and part < len(tree))):
                return missing
            tree = tree[part]
        return tree

    where: dict[tuple[Any, ...], str] = {}
    for path in paths:
        # Snakemake gives the --configfile files as absolute paths: named from the folder
        # the build runs in where they are within it, as the workflow's own file is.
        shown = Path(path)
        if shown.is_absolute() and shown.is_relative_to(Path.cwd()):
            shown = shown.relative_to(Path.cwd())
        name = shown.as_posix()
        try:
            text = Path(path).read_text(encoding="utf-8")
            # libyaml where available: this runs at every start of the workflow.
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            root, document = yaml.compose(text, Loader=loader), yaml.load(text, Loader=loader)  # a safe loader
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        stack: list[tuple[tuple[Any, ...], Any]] = [((), root)]
        while stack:
            key, node = stack.pop()
            if isinstance(node, yaml.MappingNode):
                # Keys as YAML reads them (a key `1:` is the number 1), matched by their text.
                children = [((*key, k.value), k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
            elif isinstance(node, yaml.SequenceNode):
                children = [((*key, i), item, item) for i, item in enumerate(node.value)]
            else:
                continue
            for child, mark_node, value_node in children:
                checked = value_at(config, child)
                if checked is not missing and value_at(document, child) == checked:
                    where[child] = f"{name} line {mark_node.start_mark.line + 1}"
                    start, end = value_node.start_mark, value_node.end_mark
                    if typed is not None and isinstance(value_node, yaml.ScalarNode) and not value_node.style \
                            and start.line == end.line:
                        typed[child] = text.splitlines()[start.line][start.column:end.column] if end.column > \
                            start.column else ""
                elif child in where and value_at(document, child) is not missing:
                    del where[child]  # this file's value is not the one checked
                    if typed is not None:
                        typed.pop(child, None)
                stack.append((child, value_node))
    return where


class KeyLines(Mapping[tuple[Any, ...], str]):
    """:func:`config_key_lines`, computed only when a problem asks where a key was typed.

    Placing every key reads the config files' YAML again (about 5 ms), at every start of
    the workflow, and only a build whose config has a problem reads the result. The
    config is copied as it is when this is made: the schema's defaults, filled in later,
    would make a mapping the files give differ from the one checked, and leave it with no
    line.
    """

    def __init__(self, paths: Sequence[Path | str], config: Mapping[str, Any]) -> None:
        import copy

        self._paths = list(paths)
        self._config = copy.deepcopy(config)
        self._lines: dict[tuple[Any, ...], str] | None = None
        self._typed: dict[tuple[Any, ...], str] = {}

    def _placed(self) -> dict[tuple[Any, ...], str]:
        if self._lines is None:
            self._lines = config_key_lines(self._paths, self._config, self._typed)
        return self._lines

    def typed(self, key: tuple[Any, ...]) -> str | None:
        """The value of ``key`` as it was typed, where it is unquoted and on one line
        (:func:`config_key_lines`); else None."""
        self._placed()
        return self._typed.get(key)

    def __getitem__(self, key: tuple[Any, ...]) -> str:
        return self._placed()[key]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._placed())

    def __len__(self) -> int:
        return len(self._placed())


def with_raw_problems(config: Mapping[str, Any], root: Path | str, error: ConfigError,
                      lines: Mapping[tuple[Any, ...], str] | None = None) -> str:
    """The text of ``error`` (the schema's problems with the config, found before the raw
    tables are read), with what the other checks find in the same run: the raw tables'
    problems first where there are any, and the config's cross-checks
    (:func:`check_config`) after the schema's, each made unless it reads a key the schema
    refused (:attr:`ConfigError.refused`). A team that mistyped a key, a value and a cell
    learns of all three in one run, not of each once the one before is mended.

    The tables are read only where the config names their folders as strings: a folder
    that is not there is named after the schema's problems; where the tables' schemas
    cannot be read, ``error`` alone. ``lines`` places the cross-checks' problems as
    :func:`check_config` does.
    """
    text = str(error)
    raw_dir, schema_dir = config.get("raw_dir"), config.get("schema_dir")
    if not (isinstance(raw_dir, str) and isinstance(schema_dir, str)):
        return text
    root = Path(root)
    settings = (("raw_dir", raw_dir, "the raw tables"), ("schema_dir", schema_dir, "the raw tables' schemas"))
    folders = [placed(f"{key}: {problem}", lines) for key, folder, what in settings
               if (problem := _folder_problem(root, folder, what))]
    if folders:
        return f"{text}\n{CONFIG_SOURCE}:\n" + "\n".join(f"  - {p}" for p in folders)
    raw_problems: RawDataError | None = None
    try:
        raw = read_raw(root / raw_dir, root / schema_dir, label_prefix=raw_dir, schema_label=schema_dir,
                       last_build=root / LAST_BUILD)
    except RawDataError as exc:
        raw_problems = exc
    except (SchemaError, OSError, ValueError):
        # schemas the config points to that cannot be read: the config's problem first
        return text
    checked = raw if raw_problems is None else raw_problems.partial
    if checked is not None:
        try:
            check_config(config, checked, lines, left_out=None if raw_problems is None else raw_problems.left_out,
                         refused=error.refused or {()})
        except ConfigError as more:
            # Said after the schema's problems, as the next run would say them once those
            # are mended, less those that wait on them.
            text += f"\n{more}"
    return text if raw_problems is None else str(raw_problems.with_config(text))


def check_config_schema(config: Mapping[str, Any], schema_path: Path | str, label: str | None = None,
                        lines: Mapping[tuple[Any, ...], str] | None = None) -> None:
    """Check the config against its JSON Schema; raise :class:`ConfigError` naming each key.

    Each violation is given as the key's path, with list items by index and id as the
    cross-checks of :func:`check_config` write them, and what was expected, e.g.
    ``report.png_dpi: expected at least 36, found 10``, in the order of the keys.
    Snakemake's own check reports the first violation only, as a schema dump. ``label``
    names the schema in the message (default: its path). ``lines`` (from
    :func:`config_key_lines`) adds where each key was typed, a key missing being named
    at the mapping it is missing from: ``methods.level (config/config.yaml line 281):
    ...``.
    """
    import jsonschema

    schema = _schema(str(schema_path))
    validator = jsonschema.validators.validator_for(schema)(schema)
    def order(path: Sequence[Any]) -> list[tuple[int, int, str]]:
        # In the order of the keys, list items by their index (analyses[2] before analyses[10]).
        return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in path]

    errors = sorted(validator.iter_errors(config), key=lambda e: order(e.absolute_path))
    if not errors:
        return

    def named(path: list[Any], key: str | None = None) -> str:
        # The key as the cross-checks write it, with the line it was typed on where known
        # (that of the entry's ``key`` where the problem is with it).
        place = (lines or {}).get((*path, key)) or (lines or {}).get(tuple(path))
        return _with_place(_config_key(config, path), place) if place else _config_key(config, path)

    problems: list[tuple[list[tuple[int, int, str]], str]] = []
    # A key misspelt ("min_studys") is one slip, not an unknown key and a required one missing.
    meant = {(tuple(e.absolute_path), k) for e in errors for _, k in _unknown_keys(e) if k is not None}
    for error in map(_specific, errors):
        path = list(error.absolute_path)
        if error.validator == "required" and any((tuple(path), k) in meant for k in _missing_keys(error)):
            continue
        if (wrong := _measure_for_another_outcome(config, path, error)) is not None:
            problems.append((order(path), f"{named(path, 'measure')}: {wrong}"))
            continue
        unknown = _unknown_keys(error)
        if unknown:
            known = ", ".join(error.schema.get("properties", {}))
            for key, close in unknown:
                hint = f"did you mean '{close}'?" if close else f"expected one of {known}"
                problems.append((order([*path, key]), f"{named([*path, key])}: unknown key; {hint}"))
            continue
        typed = lines.typed(tuple(path)) if isinstance(lines, KeyLines) else None
        problems.append((order(path), f"{named(path)}: {_schema_message(error, typed)}"))
    problems.sort(key=lambda p: p[0])
    # not "lines": that is the config's line numbers, which named() reads
    shown = [f"  - {text}" for _, text in problems[:SCHEMA_PROBLEMS_SHOWN]]
    if len(problems) > SCHEMA_PROBLEMS_SHOWN:
        shown.append(f"  - ... and {len(problems) - SCHEMA_PROBLEMS_SHOWN} more")
    raise ConfigError(f"{CONFIG_SOURCE}: not as {label or Path(schema_path).as_posix()} expects:\n"
                      + "\n".join(shown), refused=_refused_paths(errors))


def _refused_paths(errors: Iterable[Any]) -> set[tuple[Any, ...]]:
    """The path of each key the schema's ``errors`` refuse, for :func:`check_config` to
    leave alone: a key missing by the path it would have (``analyses[0].comparator``), a
    key not allowed or a name that breaks its pattern by its own, and any other violation
    by the value it is of (a mapping whose keys break a rule together, as a whole). A key
    not allowed that seems a misspelling of one allowed refuses that one too."""
    refused: set[tuple[Any, ...]] = set()
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "required":
            refused.update((*path, key) for key in _missing_keys(error))
        elif unknown := _unknown_keys(error):
            # and the key it seems to mean, which is not given ("typ: binary" is no type):
            # a check would read that as left out
            refused.update((*path, key) for key, _ in unknown)
            refused.update((*path, close) for _, close in unknown if close is not None)
        elif "propertyNames" in error.schema_path and isinstance(error.instance, str):
            refused.add((*path, error.instance))
        else:
            refused.add(path)
    return refused


def _unknown_keys(error: Any) -> list[tuple[str, str | None]]:
    """For a key the schema does not allow (``additionalProperties: false``), each such
    key with the allowed key it is closest to, when one is close and not given itself."""
    if error.validator != "additionalProperties" or error.validator_value is not False:
        return []
    if not isinstance(error.instance, Mapping) or not isinstance(error.schema, Mapping):
        return []
    allowed = list(error.schema.get("properties", {}))
    patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
    out: list[tuple[str, str | None]] = []
    for key in error.instance:
        if key in allowed or any(p.search(str(key)) for p in patterns):
            continue
        close = difflib.get_close_matches(str(key), [k for k in allowed if k not in error.instance], n=1,
                                          cutoff=0.75)
        out.append((str(key), close[0] if close else None))
    return out


def _required_shape(key: str, schema: Any) -> str:
    """What a required key must hold, from its schema, for the message that it is missing:
    " (a mapping with method, test, level and min_studies)". A team writing a config of
    its own learns there what to write, not only that something is missing; "" when the
    schema says nothing plain about it."""
    if not isinstance(schema, Mapping):
        return ""
    items = schema.get("items")
    if schema.get("type") == "array" and isinstance(items, Mapping) and items.get("required"):
        return f" (a list of entries, each with {join_list([str(k) for k in items['required']])})"
    if schema.get("type") != "object":
        return ""
    required = [str(k) for k in schema.get("required") or ()]
    entry = schema.get("additionalProperties")
    if required:
        return f" (a mapping with {join_list(required)})"
    if isinstance(entry, Mapping) and entry.get("required"):
        return f" (a mapping of entries, each with {join_list([str(k) for k in entry['required']])})"
    if entry is False and "properties" in schema:
        return f" (a mapping whose keys all have defaults, so `{key}: {{}}` takes them)"
    return ""


#: jsonschema's message for one missing key (one error per key a ``required`` lists).
_REQUIRED_MESSAGE = re.compile(r"^'([^']*)' is a required property$")


def _measure_for_another_outcome(config: Mapping[str, Any], path: Sequence[Any], error: Any) -> str | None:
    """What :func:`check_config` says of a binary measure on a continuous outcome, for the
    schema's "'events' is a required property" on such an analysis; else None.

    The schema asks a risk ratio for its events before the cross-checks can say that the
    outcome has no events: a team that typed RR for pain, told to add ``events``, was told
    only then that RR was the slip.
    """
    if len(path) != 2 or path[0] != "analyses" or "events" not in _missing_keys(error):
        return None
    # Only a ratio or risk difference lacks events: any other measure (or none, a misspelt
    # key) is the schema's to name.
    if error.instance.get("measure") not in ("RR", "OR", "RD"):
        return None
    analysis, outcomes = error.instance, config.get("outcomes")
    # An outcome of the wrong type (a list, a mapping) is the schema's to name: as a key,
    # it would raise instead.
    name = analysis.get("outcome")
    outcome = outcomes.get(name) if isinstance(outcomes, Mapping) and isinstance(name, str) else None
    if not isinstance(outcome, Mapping) or outcome.get("type") == "binary":
        return None
    return (f"measure {analysis.get('measure')} is for binary outcomes, but outcome '{analysis['outcome']}' is "
            "continuous (MD or SMD)")


def _missing_keys(error: Any) -> list[str]:
    """The keys a ``required`` violation finds missing: the one its message names.

    jsonschema gives one error per missing key, each with the whole ``required`` list:
    every key of that list missing from the mapping would make one misspelt key ("windowz")
    hide the others that are missing (``methods``, ``effects``).
    """
    if error.validator != "required" or not isinstance(error.instance, Mapping):
        return []
    if m := _REQUIRED_MESSAGE.match(str(error.message)):
        return [m.group(1)]
    return [k for k in error.validator_value if k not in error.instance]


def _config_key(config: Any, path: list[Any]) -> str:
    """A key's path as the config's cross-checks write it: ``analyses[4] (acu_vs_sham).events``."""
    out, node = "", config
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, Mapping) and isinstance(node.get("id"), str):
                out += f" ({node['id']})"
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, Mapping) else None
    return out or "(top level)"


def _required_keys(schema: Any) -> set[str]:
    """The keys a schema's ``required`` lists name, through ``anyOf``/``allOf``/``oneOf``."""
    if not isinstance(schema, Mapping):
        return set()
    keys = set(schema.get("required", []))
    for combinator in ("anyOf", "allOf", "oneOf"):
        for sub in schema.get(combinator, []):
            keys |= _required_keys(sub)
    return keys


def _specific(error: Any) -> Any:
    """For a value that fits none of a ``oneOf``'s alternatives, the failure within the
    alternative of its type (a fingerprint that is not 8 hex digits, not "valid under
    none of the given schemas"); the error itself when it fits no alternative's type."""
    while error.validator in ("oneOf", "anyOf") and error.context:
        inner = [e for e in error.context if not (e.validator == "type" and not e.relative_path)]
        if not inner:
            break
        error = min(inner, key=lambda e: (-len(e.absolute_path), str(e.message)))
    return error


#: A number's bound, as a violation of it is said.
_BOUNDS = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
           "exclusiveMaximum": "less than"}


#: A JSON Schema type, as a value of it is written in YAML.
_TYPES = {"object": "a mapping of keys", "array": "a list", "string": "text", "number": "a number",
          "integer": "a whole number", "boolean": "true or false", "null": "no value"}


def _yaml_value(value: Any, typed: str | None = None) -> str:
    """A config value as its YAML reads, for a message: ``'six'``, ``0.95``, ``true``,
    ``no value``; a mapping or a list by its kind, not dumped whole (an ``analyses:``
    written as a mapping would otherwise print every analysis), and a date as YAML reads
    an unquoted one (``title: 2024-01-01``), not as Python writes it.

    ``typed``, the value's text as typed where known, is quoted for a true or false or a
    null that was not typed so (``yes``, ``off``, ``~``): "found yes (which YAML reads as
    true ...)", as the team wrote it."""
    import datetime

    if value is None:
        return f"{typed} (which YAML reads as no value)" if typed and typed not in ("null", "") else "no value"
    if isinstance(value, bool) and typed and typed not in ("true", "false"):
        return (f"{typed} (which YAML reads as {'true' if value else 'false'}, as it reads yes/no, on/off and "
                "true/false)")
    if isinstance(value, bool):
        # YAML reads yes/no and on/off as true/false too: a team that typed "yes" must
        # recognise its value in "found true"
        return ("true" if value else "false") + " (as YAML reads yes/no, on/off, true/false)"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()} (YAML reads an unquoted date as one: quote it to make it text)"
    if isinstance(value, Mapping):
        return f"a mapping of {len(value)} key(s)" if value else "an empty mapping"
    if isinstance(value, list):
        return f"a list of {len(value)} item(s)" if value else "an empty list"
    return repr(value) if isinstance(value, str) else str(value)


def _schema_message(error: Any, typed: str | None = None) -> str:
    """What a violation means, in the schema's words where its own message is a dump.

    A value of the wrong type or outside a fixed list is written as what was expected and
    what was found, as YAML writes it (jsonschema's "None is not of type 'object'" is
    Python's); a ``not`` of ``required`` keys (a key another setting rules out) is written
    as the keys not allowed, and the ``description`` of the conditional rule (``then`` or
    ``else``) that failed, if any, says why.
    """
    message = error.message
    # ``typed``: the value's text as typed, quoted where YAML read it otherwise (yes as true).
    if error.validator == "type":
        types = [error.validator_value] if isinstance(error.validator_value, str) else list(error.validator_value)
        message = f"expected {' or '.join(_TYPES.get(t, t) for t in types)}, found {_yaml_value(error.instance, typed)}"
        if error.instance is None and {"object", "array"} & set(types):
            # A key left with nothing under it: its entries dedented, or all commented out.
            message += " (are its entries indented under it?)"
    if error.validator in ("minItems", "minProperties") and isinstance(error.validator_value, int):
        what = "item" if error.validator == "minItems" else "key"
        message = f"expected at least {error.validator_value} {what}(s), found {_yaml_value(error.instance, typed)}"
    if error.validator == "enum" and isinstance(error.validator_value, list):
        allowed = [_yaml_value(v) if not isinstance(v, str) else v for v in error.validator_value]
        message = f"expected one of {', '.join(allowed)}, found {_yaml_value(error.instance, typed)}"
        if isinstance(error.instance, str):
            message += _did_you_mean(error.instance, [v for v in error.validator_value if isinstance(v, str)])
    if error.validator in _BOUNDS and not isinstance(error.instance, bool):
        # jsonschema's "150 is greater than or equal to the maximum of 100" reads as if
        # 100 were allowed.
        message = f"expected {_BOUNDS[error.validator]} {error.validator_value}, found {error.instance}"
    if error.validator == "not" and isinstance(error.instance, Mapping):
        present = sorted(k for k in _required_keys(error.validator_value) if k in error.instance)
        if present:
            message = f"{', '.join(repr(k) for k in present)} not allowed here"
    if error.validator == "required" and isinstance(error.schema, Mapping) and len(_missing_keys(error)) == 1:
        (key,) = _missing_keys(error)
        message += _required_shape(key, error.schema.get("properties", {}).get(key))
    # A pattern's message is a regex ("'' does not match '\\S'"): its description says it in words.
    # So does the description of a value that fits none of a oneOf's alternatives, or
    # not the type of a described one.
    # So does that of a number out of bounds (a level of 0.95 where a percentage is asked for).
    # And a key name outside a fixed list (`outcomes`), whose description says where the list is.
    explained = bool({"then", "else", "propertyNames"} & set(error.schema_path)) or error.validator in (
        "pattern", "type", "oneOf", "anyOf", *_BOUNDS)
    why = error.schema.get("description") if explained and isinstance(error.schema, Mapping) else None
    if why:
        message += f" ({why})"
    return message


def _not_one_of(key: str, value: str, what: str, known: Iterable[str]) -> str:
    """``window 'shortterm' is not in windows (expected one of ...); did you mean 'short_term'?``"""
    names = sorted(map(str, known))
    close = difflib.get_close_matches(str(value), names, n=1)
    return (f"{key} '{value}' is not {what} (expected one of {', '.join(names)})"
            + (f"; did you mean '{close[0]}'?" if close else ""))


def _not_a_node(key: str, value: str, nodes: Mapping[str, Any], *, unnamed: bool = True) -> str:
    """:func:`_not_one_of` for a node: the review's own nodes listed, and the pseudo-node of
    comparators no source names said apart (with ``unnamed``). Listed among them, a team read
    ``unnamed_control`` as a node of its own review it had never defined.

    The nodes offered are given their labels, as a treatment code offered is
    (:func:`metareview.rawdata.meant`): a node a letter off may be the sham one."""
    named = sorted(map(str, nodes))
    # A node the schema refused (not a mapping) is offered by its name alone.
    labels = {str(n): str(spec.get("label") or "") if isinstance(spec, Mapping) else "" for n, spec in nodes.items()}
    hint = meant(str(value), labels)
    if not hint:
        # A short id further off ('dnn' for 'dn'): the nearest name, as before.
        close = difflib.get_close_matches(str(value), [*named, *([UNNAMED] if unnamed else [])], n=1)
        what = f" ({labels[close[0]]})" if close and labels.get(close[0]) else ""
        hint = f"; did you mean '{close[0]}'{what}?" if close else ""
    expected = f"one of {', '.join(named)}" + (f", or {UNNAMED} for a comparator its source does not name"
                                               if unnamed else "")
    return f"{key} '{value}' is not a node (expected {expected}){hint}"


def _did_you_mean(value: str, known: Iterable[str]) -> str:
    """``; did you mean 'dry_needling'?`` for a name close to one listed, else nothing:
    a config name goes stale when a table's or the config's own names are edited, and
    the closest listed name is most often the one meant. Only a near name is offered (a
    similarity of 0.8: a letter or two off), lest a name of another meaning be."""
    # Letter case aside: a study id typed as 's1' means 'S1'.
    folded = {name.casefold(): name for name in sorted(map(str, known))}
    close = difflib.get_close_matches(str(value).casefold(), list(folded), n=1, cutoff=0.8)
    return f"; did you mean '{folded[close[0]]}'?" if close else ""


#: The tables whose rows say which outcomes a study reports.
OUTCOME_TABLES = ("arm_outcomes", "contrasts", "statements")


def candidate_studies(config: Mapping[str, Any], raw: RawData) -> dict[str, list[str]]:
    """The studies each analysis may take in (by id, sorted): those with an arm in each of
    its two nodes (a comparator the source does not name is :data:`UNNAMED`'s) that report
    something on its outcome. Treatment codes the raw tables do not list are skipped (the
    config check names them).

    A study reporting nothing on an analysis's outcome cannot enter it: an edit to a
    trial of disability alone reruns no pain analysis of the same two treatments.
    """
    node_of = {code: node for node, spec in config["nodes"].items() for code in spec["treatments"]}
    roles = {r["treatment"]: r["role"] for r in raw.rows("treatments")}
    studies_of_node: dict[str, set[str]] = {}
    for arm in raw.rows("arms"):
        code = arm["treatment"]
        node = UNNAMED if roles.get(code) == "unnamed" else node_of.get(code)
        if node:
            studies_of_node.setdefault(node, set()).add(arm["study_id"])
    outcomes_of: dict[str, set[str]] = {}
    for table in OUTCOME_TABLES:
        for row in raw.rows(table):
            outcomes_of.setdefault(row["study_id"], set()).add(row["outcome"])
    candidates = {}
    for a in config["analyses"]:
        both = studies_of_node.get(a["intervention"], set()) & studies_of_node.get(a["comparator"], set())
        candidates[a["id"]] = sorted(s for s in both if a["outcome"] in outcomes_of.get(s, ()))
    return candidates


def small_study_analyses(candidates: Mapping[str, Sequence[str]], raw: RawData,
                         small_study_min: int = SMALL_STUDY_MIN) -> list[str]:
    """The analyses (of ``candidates``, :func:`candidate_studies`) with at least
    ``small_study_min`` candidate trials: only these can run the test of small-study
    effects and draw its funnel plot, as each trial enters an analysis at most once and
    only trials are pooled (published reviews among the candidates are shown apart).

    >>> from types import SimpleNamespace
    >>> raw = SimpleNamespace(rows=lambda table: [{"study_id": "A", "design": "rct"},
    ...     {"study_id": "B", "design": "rct"}, {"study_id": "R", "design": "meta_analysis"}])
    >>> small_study_analyses({"x": ["A", "B", "R"], "y": ["A", "R"]}, raw, 2)
    ['x']
    """
    design = {r["study_id"]: r["design"] for r in raw.rows("studies")}
    return [a for a, studies in candidates.items()
            if sum(design_role(design.get(s, "")) == "trial" for s in studies) >= small_study_min]


def check_config(config: Mapping[str, Any], raw: RawData,
                 lines: Mapping[tuple[Any, ...], str] | None = None,
                 left_out: LeftOut | None = None,
                 refused: Iterable[tuple[Any, ...]] | None = None) -> None:
    """Cross-check the config against itself and the raw tables; raise :class:`ConfigError`.

    ``lines`` (from :func:`config_key_lines`) places each problem's key where it was
    typed, as :func:`check_config_schema` does: ``analyses[3] (dn_vs_sham)
    (config/config.yaml line 153): intervention 'dry_needlin' is not a node ...``.
    ``left_out`` (of tables that had problems, :class:`metareview.rawdata.RawDataError`)
    names the rows ``raw`` lacks: a code or study id they may hold is not faulted.
    ``refused`` (:attr:`ConfigError.refused`) gives the keys the schema refused, for a
    config checked in the same run as the schema's problems: a check that reads one of
    them, or a key within one, is left out (it would fault a slip already named, or read
    a value of the wrong type), and the others are made.
    """
    barred = frozenset(refused or ())

    def fine(*path: Any) -> bool:
        # Neither the key nor a mapping or list it is in was refused: its value, if
        # given, has the schema's type (one not given is an optional key).
        return not barred or not any(path[:len(r)] == r for r in barred)

    def whole(*path: Any) -> bool:
        # fine, and nothing within it refused either.
        return fine(*path) and not any(r[:len(path)] == path for r in barred)

    def may_be_left_out(table: str, column: str, value: Any) -> bool:
        return left_out is not None and left_out.may_list(table, [column], [value])

    def may_place(study: str) -> bool:
        # Whether a row left out may be what puts ``study`` in an analysis: an arm or a
        # result of its own, or any treatment's role (an unnamed comparator's node).
        if left_out is None:
            return False
        if left_out.tables & {"treatments", "arms", *OUTCOME_TABLES} or left_out.rows.get("treatments"):
            return True
        return any(left_out.may_list(table, ["study_id"], [study]) for table in ("arms", *OUTCOME_TABLES))

    problems = []
    codes = {r["treatment"]: r["role"] for r in raw.rows("treatments")}
    # What each code offered for a misspelt one is: a code near in spelling may be a sham.
    treatments = code_descriptions(raw, "treatments", "treatment")
    nodes: Mapping[str, Any] = config["nodes"] if fine("nodes") and "nodes" in config else {}
    outcomes: Mapping[str, Any] = config["outcomes"] if fine("outcomes") and "outcomes" in config else {}
    windows: Mapping[str, Any] = config["windows"] if fine("windows") and "windows" in config else {}
    seen: dict[str, str] = {}
    for node, spec in nodes.items():
        if node == UNNAMED:
            problems.append(f"nodes.{node}: the name is reserved for comparators the sources do not name; "
                            "choose another node name")
        if not fine("nodes", node, "treatments"):
            continue
        for j, code in enumerate(spec["treatments"]):
            if not fine("nodes", node, "treatments", j):
                continue
            if code not in codes:
                if not may_be_left_out("treatments", "treatment", code):
                    problems.append(f"nodes.{node}: treatment code '{code}' is not in treatments.csv"
                                    f"{meant(code, treatments)}")
            elif codes[code] == "unnamed":
                problems.append(f"nodes.{node}: '{code}' is a comparator the source does not name; it cannot be grouped")
            if code in seen:
                problems.append(f"nodes.{node}: treatment code '{code}' is already in node '{seen[code]}'")
            seen[code] = node
    # The outcome codes are the raw tables' (those of the review's own schema_dir), so a
    # review of another domain adds its code to its schemas, not to the config's schema too.
    codes_of_tables = raw.outcome_codes()
    for name, spec in outcomes.items():
        if not fine("outcomes", name):
            continue
        # A common scale put the other way round turns the sign of every mean difference
        # rescaled onto it (the factor from an instrument's range is negative): refused,
        # as instruments.csv refuses such a range.
        lo = (spec or {}).get("scale_min") if fine("outcomes", name, "scale_min") else None
        hi = (spec or {}).get("scale_max") if fine("outcomes", name, "scale_max") else None
        if lo is not None and hi is not None and not lo < hi:
            problems.append(f"outcomes.{name}: expected scale_min < scale_max, found {lo:g} and {hi:g} (lower is "
                            "better on every common scale: the direction is not set by the order of the bounds)")
        mid = (spec or {}).get("mid") if whole("outcomes", name, "mid") else None
        if mid and lo is not None and hi is not None and lo < hi and not mid["value"] < hi - lo:
            # An MID is a difference on the common scale: one as wide as the scale reads
            # every interval as "too small to matter", and is most often a value meant for
            # another scale (15 points of a 0-100 VAS on a 0-10 scale).
            problems.append(f"outcomes.{name}: mid.value {mid['value']:g} is not less than the width of the common "
                            f"scale {lo:g} to {hi:g} ({hi - lo:g}): give the minimal important difference on that "
                            f"scale (a published MID on another instrument's range is rescaled to {lo:g} to {hi:g} "
                            "first)")
        if codes_of_tables is not None and name not in codes_of_tables:
            listed = f"{str(config['schema_dir']).rstrip('/')}/instruments.schema.yaml"
            text = f"outcomes.{name}: " + _not_one_of("the code", name, "an outcome code of the raw tables", codes_of_tables)
            problems.append(
                f"{text}{' ' if text.endswith('?') else '. '}The codes are the `outcome` list of {listed}: "
                "an outcome's label, not a new code, names it as the review does (neck disability is "
                "`disability`), and a code of another domain is added to that list and to the other raw "
                'schemas\' `outcome` lists (README, "Starting another review").')
    known_nodes = set(nodes) | {UNNAMED}
    known_studies = set(raw.study_ids)
    analyses: list[Any] = config["analyses"] if fine("analyses") and "analyses" in config else []
    # Whether an analysis's candidate studies can be found: its own keys, and every node's
    # treatments, as the schema has them.
    nodes_whole = bool(nodes) and not any(r[:1] == ("nodes",) and (len(r) < 3 or r[2] == "treatments")
                                          for r in barred)
    found: list[dict[str, list[str]]] = []

    def candidates_of() -> dict[str, list[str]]:
        # computed once, and only for a config that names GRADE studies; of the analyses
        # whose nodes and outcome can be read
        if not found:
            keys = ("id", "intervention", "comparator", "outcome")
            sound = [a for i, a in enumerate(analyses) if all(fine("analyses", i, k) for k in keys)]
            found.append(candidate_studies({"nodes": nodes, "analyses": sound}, raw))
        return found[0]

    # Each id names its outputs (results/analyses/<id>.json, results/indirect/<id>.json)
    # and its line in What changed: the entry that has it first is named, so that a team
    # that copied an entry to make another finds which one to rename.
    ids: dict[str, str] = {}
    unique = "expected an id no other analysis or indirect comparison has"
    for i, a in enumerate(analyses):
        if not fine("analyses", i):
            continue
        where = _config_key(config, ["analyses", i])

        def has(*keys: str, i: int = i) -> bool:
            return all(fine("analyses", i, k) for k in keys)

        if has("id"):
            if a["id"] in ids:
                problems.append(f"{where}: id already used by {ids[a['id']]} ({unique})")
            ids.setdefault(a["id"], f"analyses[{i}]")
        for key in ("intervention", "comparator"):
            if has(key) and fine("nodes") and a[key] not in known_nodes:
                problems.append(f"{where}: {_not_a_node(key, a[key], nodes)}")
        if has("intervention", "comparator") and a["intervention"] == a["comparator"]:
            # A team that means to compare two treatments of one node (strengthening and
            # stretching, both "exercise") is told how: the node's arms are combined.
            problems.append(f"{where}: intervention and comparator are the same node, '{a['intervention']}' (a "
                            "node's treatments are one intervention, their arms combined: to compare two of them, "
                            "give each a node of its own)")
        if has("outcome") and fine("outcomes") and a["outcome"] not in outcomes:
            problems.append(f"{where}: {_not_one_of('outcome', a['outcome'], 'in outcomes', outcomes)}")
        if has("window") and fine("windows") and a["window"] not in windows:
            problems.append(f"{where}: {_not_one_of('window', a['window'], 'in windows', windows)}")
        binary_measure = has("measure") and a["measure"] in ("RR", "OR", "RD")
        if has("outcome", "measure") and a["outcome"] in outcomes and fine("outcomes", a["outcome"], "type"):
            binary_outcome = (outcomes[a["outcome"]] or {}).get("type") == "binary"
            if binary_outcome != binary_measure:
                problems.append(f"{where}: measure {a['measure']} is for {'binary' if binary_measure else 'continuous'} "
                                f"outcomes, but outcome '{a['outcome']}' is {'binary' if binary_outcome else 'continuous'}")
        if binary_measure and has("outcome", "events") and a.get("events"):
            problems += _event_directions(where, a, raw)
        for key in ("comparator_risk", "risk_scenarios"):
            if has("measure") and a.get(key) and not binary_measure:
                problems.append(f"{where}: {key} applies to RR, OR and RD only, not {a['measure']}")
        if not whole("analyses", i, "certainty"):
            continue
        for study in (a.get("certainty") or {}).get("studies", []):
            if study not in known_studies and not may_be_left_out("studies", "study_id", study):
                problems.append(f"{where}: certainty.studies: '{study}' is not a study_id of studies.csv (a "
                                "study taken out of the review is taken out of certainty.studies too, and the "
                                f"judgements made again){_did_you_mean(study, known_studies)}")
            elif study in known_studies and not may_place(study) and nodes_whole and has("id") \
                    and a["id"] in (candidates := candidates_of()) and study not in candidates[a["id"]]:
                # A judgement on a study the analysis can never hold read, in What changed
                # and the summary, as a study that had left it.
                problems.append(f"{where}: certainty.studies: '{study}' cannot enter this analysis: it has no arm "
                                f"in each of '{a['intervention']}' and '{a['comparator']}' reporting "
                                f"'{a['outcome']}' (expected the studies the GRADE judgement was made on, among "
                                f"those the analysis can take in: {', '.join(candidates[a['id']]) or 'none'})")
    # An id the schema refused may be the one a report.detailed entry names.
    if all(fine("analyses", i, "id") for i in range(len(analyses))) and analyses and whole("report", "detailed"):
        analysis_ids = {a["id"] for a in analyses}
        for aid in (config.get("report") or {}).get("detailed") or []:
            if aid not in analysis_ids:
                problems.append(f"report.detailed: '{aid}' is not the id of an analysis"
                                f"{_did_you_mean(aid, analysis_ids)}")
    weeks = ("min_weeks", "target_weeks", "max_weeks")
    for name, w in windows.items():
        if all(fine("windows", name, k) for k in weeks) and not w["min_weeks"] <= w["target_weeks"] <= w["max_weeks"]:
            problems.append(f"windows.{name}: expected min_weeks <= target_weeks <= max_weeks, found "
                            f"{w['min_weeks']:g}, {w['target_weeks']:g} and {w['max_weeks']:g}")
    methods = config.get("methods") or {}
    if fine("methods", "method") and fine("methods", "test") and methods.get("method") in ("EE", "FE") \
            and methods.get("test") in ("knha", "adhoc"):
        # metafor fits it with a warning: the Knapp-Hartung adjustment scales the variance
        # of a random-effects model by the residual heterogeneity (Knapp & Hartung 2003),
        # which an equal- or fixed-effects model assumes away. Refused before any job runs,
        # rather than printed as a warning by each analysis's job.
        problems.append(f"methods.test: '{methods['test']}' (Knapp-Hartung) is for random-effects models, not "
                        f"methods.method '{methods['method']}': use test z (or t) with an equal- or fixed-effects "
                        "model, or a random-effects method such as REML")
    # Each of these reads only the windows whose keys it compares are as the schema has them.
    problems += _overlapping_windows({n: w for n, w in windows.items()
                                      if fine("windows", n, "min_weeks") and fine("windows", n, "max_weeks")}, lines)
    problems += _stale_window_labels({n: w for n, w in windows.items()
                                      if all(fine("windows", n, k) for k in ("label", *weeks))})
    problems += _shared_terms({n: w for n, w in windows.items() if whole("windows", n, "terms")})
    indirect: list[Any] = (config.get("indirect") or []) if fine("indirect") else []
    for i, x in enumerate(indirect):
        if not fine("indirect", i):
            continue
        where = _config_key(config, ["indirect", i])

        def given(*keys: str, i: int = i) -> bool:
            return all(fine("indirect", i, k) for k in keys)

        if given("id"):
            if x["id"] in ids:
                problems.append(f"{where}: id already used by {ids[x['id']]} ({unique})")
            ids.setdefault(x["id"], f"indirect[{i}]")
        for key in ("treatment_a", "treatment_b"):
            if given(key) and fine("nodes") and x[key] not in nodes:
                problems.append(f"{where}: {_not_a_node(key, x[key], nodes, unnamed=False)}")
        if given("treatment_a", "treatment_b") and x["treatment_a"] == x["treatment_b"]:
            problems.append(f"{where}: treatment_a and treatment_b are the same node")
        if given("outcome") and fine("outcomes") and x["outcome"] not in outcomes:
            problems.append(f"{where}: {_not_one_of('outcome', x['outcome'], 'in outcomes', outcomes)}")
        elif given("outcome", "measure") and x["outcome"] in outcomes and fine("outcomes", x["outcome"], "type"):
            binary_outcome = (outcomes[x["outcome"]] or {}).get("type") == "binary"
            if binary_outcome != (x["measure"] in ("RR", "OR", "RD")):
                # A comparison takes its sides from the analyses on its own measure, which no
                # analysis of this outcome may use: the report alone would say that the review
                # defines no such analysis, however many of the outcome it has.
                problems.append(f"{where}: measure {x['measure']} is for {'continuous' if binary_outcome else 'binary'} "
                                f"outcomes, but outcome '{x['outcome']}' is "
                                f"{'binary' if binary_outcome else 'continuous'} "
                                f"(expected one of {'OR, RD, RR' if binary_outcome else 'MD, SMD'})")
        if given("window") and fine("windows") and x["window"] not in windows:
            problems.append(f"{where}: {_not_one_of('window', x['window'], 'in windows', windows)}")
    if problems:
        # The values checked may come from a --configfile or --config as well as the file.
        raise ConfigError(f"{CONFIG_SOURCE}:\n" + "\n".join(f"  - {placed(p, lines)}" for p in problems))


def _event_directions(where: str, analysis: Mapping[str, Any], raw: RawData) -> list[str]:
    """The instruments of a binary analysis's outcome, among those the result rows use,
    whose ``lower_is_better`` says the other way from its ``events``: on an instrument
    of events, a lower proportion is better where the event is harmful (a relapse) and
    worse where it is beneficial (a responder). One problem each, naming its row.

    The analysis reads which way is better from ``events`` alone: a responder instrument
    marked lower-is-better changed nothing and said nothing, and either the instrument's
    row or the analysis's ``events`` is wrong.
    """
    harmful = analysis["events"] == "harmful"
    used = {r.get("instrument") for table in OUTCOME_TABLES for r in raw.rows(table)}
    problems = []
    for row in raw.rows("instruments"):
        found = row.get("lower_is_better")
        if row.get("outcome") != analysis["outcome"] or row.get("instrument") not in used or found is None \
                or bool(found) == harmful:
            continue
        problems.append(f"{where}: events '{analysis['events']}' says {'fewer' if harmful else 'more'} events "
                        f"are better, but instruments.csv row {row.row} "
                        f"({row['instrument']}, outcome '{analysis['outcome']}'), column lower_is_better, is "
                        f"{str(bool(found)).lower()}: expected {str(harmful).lower()} (on an instrument of "
                        "events, true where the event is harmful, false where it is beneficial), or events "
                        f"'{'beneficial' if harmful else 'harmful'}' if the instrument's row is right")
    return problems


#: A problem's leading key as the checks write it: "analyses[3] (dn_vs_sham)", "nodes.sham".
_SEGMENT = r"[A-Za-z_][\w-]*(?:\[\d+\](?: \([^()]*\))?)?"
_KEY_TEXT = re.compile(rf"^({_SEGMENT}(?:\.{_SEGMENT})*): ")
_SEGMENT_PARTS = re.compile(r"^([A-Za-z_][\w-]*)(?:\[(\d+)\])?")


def placed(problem: str, lines: Mapping[tuple[Any, ...], str] | None) -> str:
    """``problem`` with the line its leading key was typed on after the key, where
    ``lines`` knows it; else as it is."""
    m = _KEY_TEXT.match(problem)
    if not lines or m is None:
        return problem
    path: list[Any] = []
    for segment in m.group(1).split("."):
        part = _SEGMENT_PARTS.match(segment)
        if part is None:  # a dot inside an id's brackets: not a key written here
            return problem
        path.append(part.group(1))
        if part.group(2) is not None:
            path.append(int(part.group(2)))
    rest = problem[m.end():]
    # "intervention 'dry_needlin' is not a node": the line of the entry's key it names.
    first = re.match(r"[A-Za-z_]\w*", rest)
    place = (lines.get((*path, first.group())) if first else None) or lines.get(tuple(path))
    return problem if place is None else f"{_with_place(m.group(1), place)}: {rest}"


def _with_place(key: str, place: str) -> str:
    """``key`` with where it was typed: "methods.level (config/config.yaml line 281)", and
    "analyses[3] (dn_vs_sham, config/config.yaml line 154)" beside an entry's id."""
    return f"{key[:-1]}, {place})" if key.endswith(")") else f"{key} ({place})"


def unanalysed_indirect(config: Mapping[str, Any], lines: Mapping[tuple[Any, ...], str] | None = None) -> list[str]:
    """What to say, before any job runs, of each ``indirect`` entry whose outcome and
    window no analysis has: one line each, without a closing full stop, the entry with
    the line of its outcome where ``lines`` (:func:`config_key_lines`) knows it, as a
    problem of :func:`check_config` is.

    Such an entry is allowed (:func:`check_config`): it states a question the review asks
    but defines no analysis to answer, and the report says so. A team that meant another
    outcome or window would otherwise learn it only from the report, so the note names the
    outcomes and windows the analyses do have, and the one meant where it is close.
    """
    analysed = sorted({(a["outcome"], a["window"]) for a in config.get("analyses") or []})
    notes = []
    for i, x in enumerate(config.get("indirect") or []):
        if (x["outcome"], x["window"]) in analysed:
            continue
        pairs = {f"{o} in {w}": f"outcome '{o}' in window '{w}'" for o, w in analysed}
        close = difflib.get_close_matches(f"{x['outcome']} in {x['window']}", list(pairs), n=1, cutoff=0.8)
        entry = f"indirect[{i}] ({x['id']})"
        place = (lines or {}).get(("indirect", i, "outcome")) or (lines or {}).get(("indirect", i))
        notes.append(f"{CONFIG_SOURCE}: {_with_place(entry, place) if place else entry}: no analysis is of outcome "
                     f"'{x['outcome']}' in "
                     f"window '{x['window']}': neither side of the comparison can be estimated, and the report will "
                     f"say that the review defines no analysis there (the analyses' outcomes and windows: "
                     f"{', '.join(pairs) or 'none'})"
                     + (f"; did you mean {pairs[close[0]]}?" if close else ""))
    return notes


def _overlapping_windows(windows: Mapping[str, Mapping[str, Any]],
                         lines: Mapping[tuple[Any, ...], str] | None = None) -> list[str]:
    """Problems of two windows whose week ranges share a week, each pair named once, each
    window with the line it was typed on where ``lines`` knows it.

    A timepoint in two windows would enter both windows' analyses
    (:func:`metareview.normalise.in_window`, whose bounds are both inclusive): windows
    ``[a1, b1]`` and ``[a2, b2]`` share the weeks from ``max(a1, a2)`` to ``min(b1, b2)``
    whenever ``max(a1, a2) <= min(b1, b2)``, so two windows that meet at a week (1 to 12
    and 12 to 26) share it. A window whose bounds are the wrong way round holds no week;
    the ``min_weeks <= target_weeks <= max_weeks`` check names it.
    """
    ranges = sorted((float(w["min_weeks"]), float(w["max_weeks"]), name) for name, w in windows.items())

    def at(name: str) -> str:
        place = (lines or {}).get(("windows", name))
        return f"; {place}" if place else ""

    problems = []
    for i, (lo, hi, name) in enumerate(ranges):
        for other_lo, other_hi, other in ranges[i + 1:]:
            start, end = max(lo, other_lo), min(hi, other_hi)
            if start > end:
                continue
            shared = f"week {start:g}" if start == end else f"weeks {start:g} to {end:g}"
            problems.append(f"windows.{name} (weeks {lo:g} to {hi:g}{at(name)}) and windows.{other} (weeks "
                            f"{other_lo:g} to {other_hi:g}{at(other)}) share {shared}, so a timepoint there would "
                            "enter both windows' analyses "
                            "(expected windows whose weeks do not overlap: both bounds are inclusive, so a window "
                            "that starts at the week another ends shares that week)")
    return problems


#: The units a window's label may give its weeks in; months and years are read as a
#: timepoint's label is (:func:`metareview.checks.duration_weeks`).
_LABEL_UNIT = r"(weeks?|wks?|months?|mos?|mths?|years?|yrs?)"
#: A count in digits or, as a timepoint's label has it, in words from one to twenty-four
#: (:data:`metareview.checks.NUMBER_WORDS`), a word only at the start of a word: "one" is
#: not read out of "someone". Atomic, so that "twenty-four weeks" is never taken back to
#: the range "twenty" to "four weeks".
_LABEL_COUNT = r"(?:(?=\d)|\b)(?>" + COUNT + ")"
#: The weeks a window's label may give: its range ("1 to 12 weeks", "13-26 weeks", "3 to 12
#: months", "one to twelve weeks"), its upper bound alone ("up to 1 year", "up to one
#: year") and its target ("nearest to 6 weeks", "nearest to six weeks").
_LABEL_RANGE = re.compile(rf"{_LABEL_COUNT}\s*(?:to|-|\u2013)\s*{_LABEL_COUNT}\s*{_LABEL_UNIT}\b", re.IGNORECASE)
_LABEL_UP_TO = re.compile(rf"\bup to\s*{_LABEL_COUNT}[\s-]*{_LABEL_UNIT}\b", re.IGNORECASE)
_LABEL_TARGET = re.compile(rf"nearest to (week )?{_LABEL_COUNT}(?:[\s-]*{_LABEL_UNIT})?\b", re.IGNORECASE)


def _label_match(pattern: re.Pattern[str], label: str) -> re.Match[str] | None:
    """The first weeks ``pattern`` finds in a window's label that are a count of their own:
    not the last word of a larger number in words ("thirty-six months" is not six months),
    and, for a target in words, with its unit ("nearest to one of the visits" names none)."""
    target = pattern is _LABEL_TARGET
    for m in pattern.finditer(label):
        if larger_number_before(label[: m.start(2 if target else 1)]):
            continue
        if target and m.group(2).lower() in NUMBER_WORDS and not (m.group(1) or m.group(3)):
            continue
        return m
    return None


def _label_weeks(number: str, unit: str | None) -> tuple[float, float]:
    """The weeks a label's ``number`` of ``unit`` may stand for: itself in weeks (a
    label in weeks gives the window's numbers as they are), and for months and years the
    range a timepoint's label is read with (:func:`metareview.checks.duration_weeks`:
    1 year is 47.48 to 52.68 weeks). ``number`` is digits or a number in words ("six")."""
    n = count_value(number)
    if unit is None or unit.lower().startswith("w"):
        return n, n
    return duration_weeks(n, unit)


def _said(numbers: Sequence[str], unit: str | None) -> str:
    """A label's duration as it says it, with the weeks it stands for when in months or
    years: "3 to 6 months (11.5 to 13.5 and 23.5 to 26.6 weeks)"."""
    unit = unit or "weeks"
    said = f"{' to '.join(numbers)} {unit}"
    if unit.lower().startswith("w"):
        return said
    ranges = [_label_weeks(n, unit) for n in numbers]
    return f"{said} ({' and '.join(f'{lo:.1f} to {hi:.1f}' for lo, hi in ranges)} weeks)"


def _stale_window_labels(windows: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Problems of window labels whose weeks are not the window's: a label written as
    "Short term (1 to 12 weeks, nearest to 6 weeks)" still says 6 after ``target_weeks``
    became 8, and one written as "Follow-up (up to 1 year)" says a year of a window whose
    ``max_weeks`` is 520.

    The forest plots print the label as it is, under each analysis's title, so a
    stale one states a target or range the analysis does not use; the report's text gives
    the weeks from the numbers. Weeks are compared as they are; months and years as a
    timepoint's label is (:func:`metareview.checks.duration_weeks`), and a range's start
    may be the week after it ("3 to 12 months" from week 14, after a window up to week 13).
    Numbers may be words from one to twenty-four ("up to one year"); a label without a
    duration it reads ("Short term", "up to thirty-six months") is never stale.
    """
    problems = []
    for name, w in windows.items():
        label = str(w.get("label", ""))
        said = []
        low_w, high_w = float(w["min_weeks"]), float(w["max_weeks"])
        m = _label_match(_LABEL_RANGE, label)
        if m:
            (lo_a, lo_b), (hi_a, hi_b) = _label_weeks(m.group(1), m.group(3)), _label_weeks(m.group(2), m.group(3))
            weeks = m.group(3).lower().startswith("w")
            if not (lo_a <= low_w <= lo_b + (0 if weeks else 1)) or not hi_a <= high_w <= hi_b:
                said.append(f"{_said([m.group(1), m.group(2)], m.group(3))} where min_weeks and max_weeks are "
                            f"{w['min_weeks']:g} and {w['max_weeks']:g}")
        m = None if m else _label_match(_LABEL_UP_TO, label)
        if m:
            lo, hi = _label_weeks(m.group(1), m.group(2))
            if not lo <= high_w <= hi:
                said.append(f"up to {_said([m.group(1)], m.group(2))} where max_weeks is {w['max_weeks']:g}")
        m = _label_match(_LABEL_TARGET, label)
        if m:
            lo, hi = _label_weeks(m.group(2), m.group(3))
            if not lo <= float(w["target_weeks"]) <= hi:
                said.append(f"nearest to {_said([m.group(2)], m.group(3))} where target_weeks is "
                            f"{w['target_weeks']:g}")
        if said:
            problems.append(f"windows.{name}.label: '{label}' says {' and '.join(said)} (expected the label's weeks "
                            "to be the window's: edit them with the numbers, or leave them out of the label, as the "
                            "report gives the weeks from the numbers)")
    return problems


def _shared_terms(windows: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Problems of period words listed for two windows: a term of one window that is, or
    is within, a term of another ("term" and "short term").

    A timepoint given only in words is placed by the one window whose terms its label uses
    (:func:`metareview.normalise.term_window`); a label that uses two windows' terms is
    placed in neither, so such a term would silently leave every row that uses it out of
    both windows' analyses.
    """
    terms = [(name, str(t), f" {label_words(t)} ") for name, w in windows.items() for t in w.get("terms") or ()]
    problems = []
    for name, term, words in terms:
        for other, other_term, other_words in terms:
            if other != name and words in other_words and (words != other_words or name < other):
                within = "the same words as" if words == other_words else "within"
                problems.append(f"windows.{name}.terms: '{term}' is {within} '{other_term}' of windows.{other}, so "
                                f"a timepoint given as '{other_term}' reads as both windows and is placed in neither "
                                "(expected each window's terms to match no other window's)")
    return problems


def _folder_problem(root: Path, folder: str, what: str) -> str | None:
    """What is wrong with a config setting that names a folder, or ``None`` if it is one.

    A folder of another letter case or spelling beside where the setting points is
    offered as the one meant ('data/Raw' for 'data/raw', which a case-insensitive file
    system, macOS's or Windows', finds and Linux does not).
    """
    path = root / folder
    if path.is_dir():
        return None
    found = "a file" if path.exists() else "nothing"
    hint = ""
    if path.parent.is_dir():
        siblings = sorted(p.name for p in path.parent.iterdir() if p.is_dir())
        near = [n for n in siblings if n.lower() == path.name.lower()] or difflib.get_close_matches(path.name, siblings, 1)
        if near:
            hint = f"; did you mean '{Path(folder).parent / near[0]}'?"
    return f"expected the folder of {what}, found {found} at '{folder}'{hint}"


def make_plan(config: Mapping[str, Any], root: Path | str = ".",
              lines: Mapping[tuple[Any, ...], str] | None = None) -> Plan:
    """Read and validate the raw tables and lay out the jobs; ``lines`` places the
    config's problems as :func:`check_config` says.

    Raises
    ------
    metareview.rawdata.RawDataError
        A raw table is malformed (every problem listed with file, row and column).
    ConfigError
        The config refers to folders, nodes, outcomes, windows or treatment codes that do not
        exist.
    """
    root = Path(root)
    raw_dir = config["raw_dir"]
    settings = (("raw_dir", "the raw tables"), ("schema_dir", "the raw tables' schemas"))
    folders = [placed(f"{key}: {problem}", lines) for key, what in settings
               if (problem := _folder_problem(root, str(config[key]), what))]
    if folders:
        # One problem for the setting, not one for each table the folder should hold,
        # followed by "fix the raw tables" when the slip is the config's.
        raise ConfigError(f"{CONFIG_SOURCE}:\n" + "\n".join(f"  - {p}" for p in folders))
    try:
        raw = read_raw(root / raw_dir, root / config["schema_dir"], label_prefix=raw_dir,
                       schema_label=str(config["schema_dir"]), last_build=root / LAST_BUILD)
    except RawDataError as exc:
        # The config is checked against the rows that read as well, so that a team that
        # mistyped a row and a config key learns of both in one run, not the second only
        # once the first is fixed.
        if exc.partial is None:
            raise
        try:
            check_config(config, exc.partial, lines, left_out=exc.left_out)
        except ConfigError as config_problems:
            raise exc.with_config(str(config_problems)) from None
        raise
    check_config(config, raw, lines)
    node_of: dict[str, str] = {}
    for node, spec in config["nodes"].items():
        for code in spec["treatments"]:
            node_of[code] = node
    roles = {r["treatment"]: r["role"] for r in raw.rows("treatments")}
    studies = sorted(raw.study_ids)
    bundles = {s: canonical_json(b) for s, b in study_bundles(raw, studies).items()}
    candidates = candidate_studies(config, raw)
    indirect_inputs = {}
    for x in config.get("indirect", []):
        indirect_inputs[x["id"]] = [
            a["id"] for a in config["analyses"]
            # Every measure: those on the comparison's own are combined, the others described.
            if a["outcome"] == x["outcome"] and a["window"] == x["window"]
            and ({a["intervention"], a["comparator"]} & {x["treatment_a"], x["treatment_b"]})
        ]
    return Plan(config=config, raw=raw, studies=studies, bundles=bundles, candidates=candidates,
                labels=labels_of(config), node_of=node_of, indirect_inputs=indirect_inputs,
                control_nodes=control_nodes(config["nodes"], roles))
