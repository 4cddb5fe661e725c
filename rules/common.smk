# Configuration and raw-data validation, the build plan, and helpers shared by the rules.
# Everything here runs each time Snakemake starts, before any job: a malformed raw table
# or config stops the build here, before any output is written.

import atexit
import functools
import hashlib
import json
import os
import shutil
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from snakemake.utils import validate

# Use the library from this checkout, whatever is installed in the environment.
sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from metareview.blas import pin_blas_kernel, record_unpinned

# One BLAS kernel on every x86-64 CPU, so that no number depends on the machine: set
# before anything here imports numpy, for this process and the workers or cluster jobs it
# starts.
BLAS_NOTE = pin_blas_kernel()

from metareview.provenance import settle_source_date_epoch

# An empty SOURCE_DATE_EPOCH is unset here, as in metareview.provenance: removed, so that
# no library a job imports reads it (numpy's f2py, which scipy.special imports, fails on
# it); one that is no integer stops the build before any job, in one line.
try:
    settle_source_date_epoch(os.environ)
except ValueError as exc:
    from metareview.plan import stop_message

    print(stop_message(str(exc)), file=sys.stderr)
    sys.exit(1)


def tell_blas_note():
    """Say (once the executor is known: the onstart handler) that this process computes
    with an unpinned kernel, where it runs jobs itself: a cluster's jobs are pinned."""
    if BLAS_NOTE and workflow.is_main_process and workflow.local_exec:
        print(f"Note: {BLAS_NOTE}.", file=sys.stderr)
        # For `make audit`, which names it if this checkout's outputs then differ.
        record_unpinned(
            workflow.basedir,
            BLAS_NOTE,
            datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )


if workflow.is_main_process:
    from metareview.workers import compile_job_code

    # Bytecode for every job's imports, even where PYTHONDONTWRITEBYTECODE is set.
    compile_job_code(workflow.basedir)

from metareview.fmt import proper_names
from metareview.plan import (
    CONFIG_SOURCE,
    SMALL_STUDY_MIN,
    ConfigError,
    KeyLines,
    analysis_labels,
    check_config_schema,
    coerce_config_strings,
    make_plan,
    outcome_settings,
    placed,
    plotted_mid,
    small_study_analyses,
    stop_message,
    study_sections,
    unanalysed_indirect,
    with_raw_problems,
)
from metareview.provenance import installed_versions, source_note, source_state
from metareview.rawdata import (
    TABLES,
    RawDataError,
    SchemaError,
    canonical_json,
    ignored_files,
    stale_codebook,
)

# A nested --config value arrives with every scalar a string ('90' for 90).
coerce_config_strings(
    config, Path(workflow.basedir) / "config/schemas/config.schema.yaml"
)
# Each key with the line it was typed on, in the files the config was read from: the
# workflow's own, then those given with --configfile over it (before the schema's
# defaults are filled in, which no file holds), read only when a problem is found.
CONFIG_LINES = KeyLines(
    ["config/config.yaml", *(workflow.overwrite_configfiles or [])], config
)
try:
    # Every violation, by key and with what was expected (Snakemake's own check below
    # names only the first, as a schema dump); the run stops before any job.
    check_config_schema(
        config,
        Path(workflow.basedir) / "config/schemas/config.schema.yaml",
        label="config/schemas/config.schema.yaml",
        lines=CONFIG_LINES,
    )
except ConfigError as exc:
    # The raw tables' problems too, where its folders can be read, and the cross-checks
    # that read no key the schema refused: all in one run.
    print(
        stop_message(with_raw_problems(config, workflow.basedir, exc, CONFIG_LINES)),
        file=sys.stderr,
    )
    sys.exit(1)
# Fills in the schema's defaults.
validate(config, "../config/schemas/config.schema.yaml")

_RUN_LOCK = []


def clear_stale_locks():
    """Remove Snakemake's directory locks when no other run of this workflow is alive.

    A build killed with SIGKILL cannot release its locks, and the next run would refuse
    to start until `snakemake --unlock`. Each main Snakemake process of this workflow
    holds an advisory lock on .snakemake/metareview.run.lock for its whole life (the
    kernel releases it whenever the process ends, however it ends): holding it means no
    other run is alive, so any Snakemake lock left in .snakemake/locks is stale.
    """
    import fcntl

    if not workflow.is_main_process:
        return
    state = Path(".snakemake")
    state.mkdir(exist_ok=True)
    handle = open(state / "metareview.run.lock", "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return
    _RUN_LOCK.append(handle)
    for stale in (state / "locks").glob("*.lock"):
        stale.unlink(missing_ok=True)


clear_stale_locks()

try:
    PLAN = make_plan(config, workflow.basedir, lines=CONFIG_LINES)
except (RawDataError, SchemaError, ConfigError) as exc:
    # The message names file, row, column and what was expected: printed as it is, not
    # wrapped as a fault at a line of this file, and the run stops before any job.
    print(stop_message(str(exc)), file=sys.stderr)
    sys.exit(1)

# A codebook the schemas have moved on from (an outcome code added, the codebook not
# written again): a param of the report, which lists it among its warnings, and said on
# every start. Generating the codebook anew costs well under a millisecond, so it is
# compared on each start, in every process, that a job's params are the main process's.
CODEBOOK_NOTE = (
    stale_codebook(
        Path(workflow.basedir) / config["raw_dir"],
        PLAN.raw.schemas,
        config["raw_dir"],
        config["schema_dir"],
    )
    or ""
)

# A CSV beside the tables, read by nothing: said on every start (a job's process
# parses the workflow too, and stays quiet).
if workflow.is_main_process:
    if CODEBOOK_NOTE:
        print(f"Note: {CODEBOOK_NOTE}.", file=sys.stderr)
    for note in ignored_files(
        Path(workflow.basedir) / config["raw_dir"],
        config["raw_dir"],
        config["schema_dir"],
    ):
        print(f"Note: {note}.", file=sys.stderr)
    # An indirect comparison on an outcome and window no analysis has: allowed, as a
    # question the review asks, but a slip of outcome or window is said at once.
    for note in unanalysed_indirect(config, CONFIG_LINES):
        print(f"Note: {note}.", file=sys.stderr)


# The commit the inputs come from and the build date (SOURCE_DATE_EPOCH, else that
# commit's time): params of the report rules, so that a commit changing nothing the
# workflow reads reruns nothing, and one that does reruns the report with its own date.
try:
    SOURCE = source_state(workflow.basedir)
except ValueError as exc:
    # Said as the config errors are, without a traceback line into this file.
    print(stop_message(str(exc)), file=sys.stderr)
    sys.exit(1)
# A shallow clone's report would cite another commit and date than a full clone's, and
# a checkout git will not read (another user's clone) no commit and today's date, so an
# audit comparing either with another clone's build would differ: said on every start,
# and in the report.
SOURCE_NOTE = source_note(SOURCE, workflow.basedir)
if workflow.is_main_process and SOURCE_NOTE:
    print(f"Note: {SOURCE_NOTE}.", file=sys.stderr)
SOURCE_PARAM = canonical_json(
    {"commit": SOURCE.commit, "epoch": SOURCE.epoch, "pinned": SOURCE.pinned}
)
SOFTWARE = installed_versions()

LIBRARY = "src/metareview"
# The tables read, not every CSV of the folder: one no rule reads (see above) reruns nothing.
RAW_FILES = sorted(str(Path(config["raw_dir"]) / f"{table}.csv") for table in TABLES)
SCHEMA_FILES = sorted(
    str(Path(config["schema_dir"]) / f"{table}.schema.yaml") for table in TABLES
)
RENDERER = (
    "quarto"
    if config["report"].get("renderer", "auto") in ("auto", "quarto")
    and shutil.which("quarto")
    else "pandoc"
)
if config["report"].get("renderer") == "quarto" and RENDERER != "quarto":
    # Said as the config errors are, without a traceback line into this file.
    print(
        stop_message(
            f"{CONFIG_SOURCE}:\n  - "
            + placed(
                "report.renderer: 'quarto', but no `quarto` command is on PATH (install "
                "Quarto, or set report.renderer to 'auto' or 'pandoc' for the offline path)",
                CONFIG_LINES,
            )
        ),
        file=sys.stderr,
    )
    sys.exit(1)

# The analyses whose candidate trials are enough for the test of small-study effects,
# and so for its funnel plot, each a job of rule funnel_plot.
FUNNEL_ANALYSES = small_study_analyses(
    PLAN.candidates,
    PLAN.raw,
    int(config["methods"].get("small_study_min", SMALL_STUDY_MIN)),
)

# The render's support files: hidden files (a folder's .DS_Store, an editor's swap file)
# are none of them, as they are none of the inputs a build's source commit answers for
# (metareview.provenance.read_by_build).
RENDER_SUPPORT = sorted(
    str(p)
    for p in Path("reports").rglob("*")
    if p.is_file()
    and p.name != "report.qmd"
    and not any(part.startswith(".") for part in p.parts)
)
REPORT_OUTPUTS = [
    "build/report/report.html",
    "build/report/report.pdf",
    "build/report/audit.csv",
]
# The SHA-256 of the report last published to build/report/ (rule publish_report).
REPORT_PUBLISHED = "results/report/published.sha256"


# The library modules each step's script imports, directly or through other modules
# (tests/unit/test_step_code.py checks these lists against the imports themselves); a
# package (report) stands for all of its modules (module_files).
STEP_MODULES = {
    "study_effects": [
        "arguments",
        "checks",
        "conversions",
        "distributions",
        "effects",
        "extract",
        "fmt",
        "io",
        "measures",
        "normalise",
    ],
    "analyse": [
        "analysis",
        "arguments",
        "bias",
        "blups",
        "diagnostics",
        "distributions",
        "effects",
        "fmt",
        "hypotheses",
        "io",
        "measures",
        "mh",
        "normalise",
        "plots",
        "pool",
        "reexpress",
    ],
    "compare_indirect": [
        "analysis",
        "arguments",
        "bias",
        "blups",
        "diagnostics",
        "distributions",
        "effects",
        "fmt",
        "hypotheses",
        "indirect",
        "io",
        "measures",
        "mh",
        "normalise",
        "pool",
        "reexpress",
    ],
    "check_claims": ["checks", "claims", "fmt", "io", "normalise"],
    "assemble_report": [
        "absolute",
        "certainty",
        "checks",
        "claims",
        "distributions",
        "fmt",
        "io",
        "markdown",
        "normalise",
        "plots",
        "provenance",
        "rawdata",
        "reexpress",
        "report",
    ],
    "render_report": ["render"],
    "publish_report": ["io", "render"],
    "forest_png": ["fmt", "io", "plots"],
    "funnel_plot": ["fmt", "io", "plots"],
}


def module_files(module):
    """A library module's file, or every file of a package (the report's modules): a
    change to any of them reruns the steps that import the package, and no other."""
    package = Path(LIBRARY, module)
    if package.is_dir():
        return sorted(
            str(p) for p in package.glob("*.py") if not p.name.startswith(".")
        )
    return [f"{LIBRARY}/{module}.py"]


def code_files(wildcards):
    """A step's code: its script and the library modules it imports (rule code_digest)."""
    modules = ["__init__", *STEP_MODULES[wildcards.step]]
    return [
        *(f for m in modules for f in module_files(m)),
        f"scripts/{wildcards.step}.py",
    ]


def code(step):
    """The digest of a step's code, an input of the step's rule: a library fix reruns it.

    One file instead of the ten or so it covers: Snakemake checksums every input of a job
    once for each of the job's outputs, and stats every input of every job that waits to
    be scheduled each time it schedules. In a review of 1,000 analyses, listing the files
    themselves cost 2-10 s of the scheduling process's CPU (about 40 s in all).
    """
    return f"results/code/{step}.sha256"


def shown_code():
    """The digests of the code of the steps whose results the report shows, an input of
    its assembly, which keeps them in the key results for "What changed" to name the steps
    whose code changed since the last build.

    Only steps before the assembly with a job in this build: each digest's change already
    reruns its step's jobs, and so the assembly after them, so listing them reruns
    nothing that did not rerun; a step with no job (no indirect comparison defined), or
    one after the assembly (the render), would rerun the assembly for a change of code
    that moves nothing it reads.
    """
    steps = ["check_claims"]
    steps += [
        step
        for step, jobs in (
            ("study_effects", PLAN.studies),
            ("analyse", PLAN.analyses),
            ("compare_indirect", PLAN.indirect),
        )
        if jobs
    ]
    return [code(step) for step in sorted(steps)]


def build_outputs():
    """Every file a complete build leaves besides the report, each a target of rule all.

    Snakemake does not remake a deleted file whose consumers are up to date (a forest
    plot's SVG once the report exists), nor one nothing consumes (an analysis's CSV), so
    the files readers and auditors open are targets of their own: one deleted by hand is
    made again. The rendered pair in results/report/ is one of them: a render stopped by
    Ctrl-C or a failure removes it, and when the report's source came out as before (a
    rebuild of deleted outputs, say), nothing else would have the next run render it
    again, which then said "Nothing to be done" and left it missing. The PNG copies of the forest plots are made only on request (`make
    figures`); once any exists, all are targets, with the digest of their code, so that
    every later build keeps them in step with their SVGs instead of leaving a figure of
    superseded numbers beside them. Deleting them all stops that; the digest, if left,
    is kept in step too (`make audit` rebuilds what the build holds).

    The paths are the rules' own outputs (called from rule all, once every rule exists).
    """
    steps = ["check_claims", "assemble_report", "render_report", "publish_report"]
    steps += [
        step
        for step, jobs in (
            ("study_effects", PLAN.studies),
            ("analyse", PLAN.analyses),
            ("funnel_plot", FUNNEL_ANALYSES),
            ("compare_indirect", PLAN.indirect),
        )
        if jobs
    ]
    pngs = png_copies()
    if not any(os.path.exists(png) for png in pngs):
        pngs = []
    if pngs or os.path.exists(code("forest_png")):
        steps.append("forest_png")
    return [
        *(code(step) for step in sorted(steps)),
        *expand(rules.study_effects.output, study=PLAN.studies),
        *expand(rules.analyse.output, analysis=PLAN.analyses),
        *expand(rules.funnel_plot.output, analysis=FUNNEL_ANALYSES),
        *expand(rules.compare_indirect.output, indirect=PLAN.indirect),
        *rules.check_claims.output,
        *rules.assemble_report.output,
        *rules.render_report.output,
        *pngs,
    ]


def png_copies():
    """The PNG copy of every analysis's forest plot (rule forest_png)."""
    return expand(rules.forest_png.output.png, analysis=PLAN.analyses)


def settings(**sections):
    """Config sections a rule reads, as one canonical string param (an edit reruns it)."""
    return canonical_json(sections)


@functools.cache
def sha256_text(text):
    """The digest of a param's text, for a param Snakemake only needs to compare."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# A job's params are evaluated several times per run (DAG, rerun checks, execution):
# computed once per study or analysis, they cost nothing for a review of thousands.
@functools.cache
def study_config():
    # Without the labels, which no study job reads: relabelling reruns no study.
    return study_sections(config)


@functools.cache
def study_settings(study):
    return settings(
        **study_config(),
        analyses=PLAN.analyses_of_study(study),
        effects=config["effects"],
    )


@functools.cache
def analysis_settings(analysis):
    entry = PLAN.analysis(analysis)
    outcome = config["outcomes"][entry["outcome"]]
    mid = plotted_mid(entry, outcome)
    return settings(
        analysis=entry,
        methods=config["methods"],
        labels=analysis_labels(entry, PLAN.labels),
        # Its outcome's common scale: a mean difference's τ² interval is searched up to
        # the scale's squared range (metareview.analysis.tau2_ceiling). Without its MID,
        # which the pooling does not read.
        scale=outcome_settings(outcome),
        # The MID its forest plot marks, a mean difference's only; absent, not null, when
        # there is none, so that a review without MIDs keeps the settings it had.
        **({"mid": mid} if mid is not None else {}),
    )


def effects_of_analysis(wildcards):
    return expand(
        "results/effects/{study}.json", study=PLAN.candidates[wildcards.analysis]
    )


def analyses_of_indirect(wildcards):
    return expand(
        "results/analyses/{analysis}.json",
        analysis=PLAN.indirect_inputs[wildcards.indirect],
    )


# A large build's jobs run in worker processes started once per build
# (metareview.workers): the job's thread here only waits, so Snakemake schedules while
# the workers use every core. A worker costs about a second of imports, more than a small
# build's jobs take together, so only builds of WORKER_MIN_JOBS jobs or more start them;
# until a worker is ready, jobs run in this process's threads. METAREVIEW_WORKERS=0 never
# starts them (e.g. to profile jobs), METAREVIEW_WORKERS=1 always does.
WORKER_MIN_JOBS = 200
_POOL = []
_POOL_LOCK = threading.Lock()


def _jobs_to_run():
    try:
        return sum(1 for _ in workflow.dag.needrun_jobs(exclude_finished=False))
    except Exception:  # Snakemake internals: without them, run jobs in threads
        return 0


def _pool():
    if not workflow.is_main_process:
        return None
    with _POOL_LOCK:
        if not _POOL:
            from metareview.workers import WorkerPool, freeze_live_objects

            # The first job: the DAG is built, and lives as long as the process.
            freeze_live_objects()
            wanted = os.environ.get("METAREVIEW_WORKERS", "auto")
            pool = None
            if wanted == "1" or (wanted != "0" and _jobs_to_run() >= WORKER_MIN_JOBS):
                scripts = sorted((Path(workflow.basedir) / "scripts").glob("*.py"))
                pool = WorkerPool(
                    path=[str(Path(workflow.basedir) / "src")], preload=scripts
                )
                atexit.register(pool.close)
                try:
                    cores = int(workflow.cores)
                except Exception:  # no --cores given (Snakemake raises)
                    cores = 1
                pool.warm(max(1, cores))
            _POOL.append(pool)
    return _POOL[0]


def run_script(name, input, output, params, log, wildcards, **payload):
    """Run scripts/<name>.py's main() for this job, in a worker process or in-thread.

    Scripts are thin adapters named after their rule. They run in long-lived Python
    processes (or this one) instead of a new Python per job, whose interpreter and import
    start-up would otherwise dominate a review's build time; the same scripts also work
    under Snakemake's `script:` directive. ``payload`` reaches the script as more params:
    data whose digest is the rule's param (Snakemake stores every param in each output's
    metadata and prints a changed one in full).
    """
    from metareview.workers import JobSpec, execute, named

    # Positional: `rule` is a keyword to Snakemake's parser.
    job = JobSpec(
        name,
        Path(workflow.basedir) / "scripts" / f"{name}.py",
        named(input),
        named(output),
        named(params, payload),
        named(log),
        named(wildcards),
        Path(workflow.basedir),
    )
    pool = _pool()
    if pool is None or not pool.try_run(job):
        execute(job)


def end_of_build():
    """Let the process exit as soon as the build is over: cancel the one-second timers
    Snakemake's job-rate limiter leaves behind (the interpreter would wait for them), stop
    the worker processes, and spare the heap the interpreter's last garbage collections.
    """
    from metareview.workers import cancel_pending_timers, freeze_live_objects

    cancel_pending_timers()
    with _POOL_LOCK:
        if _POOL and _POOL[0] is not None:
            _POOL[0].close()
    freeze_live_objects()


def stale_outputs():
    """The outputs and logs of studies, analyses and indirect comparisons the review no
    longer has (see Plan.stale_outputs)."""
    # The outputs and logs of the rules with a job per study, analysis or comparison.
    per_id = (
        rules.study_effects,
        rules.analyse,
        rules.forest_png,
        rules.compare_indirect,
    )
    return PLAN.stale_outputs(
        Path("."), [path for rule in per_id for path in (*rule.output, *rule.log)]
    )


def _stale_text(stale):
    shown = ", ".join(str(p) for p in stale[:5])
    return shown + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")


def remove_stale_outputs():
    """Remove the outputs and logs of studies, analyses and indirect comparisons the review
    no longer has, so that results/ holds this build only."""
    stale = stale_outputs()
    for path in stale:
        path.unlink(missing_ok=True)
    if stale:
        print(
            f"Removed {len(stale)} outputs of studies, analyses or comparisons the review "
            f"no longer has: {_stale_text(stale)}",
            file=sys.stderr,
        )


# When this run started: the end of the build speaks of the report only if this run
# published it (`make figures`, or a target of its own, may not have).
_STARTED = time.time()


def published_by_this_run():
    """Whether this run put a report in build/report/ (rule publish_report; its digest is
    written only once the job succeeded)."""
    digest = Path(REPORT_PUBLISHED)
    return digest.exists() and digest.stat().st_mtime >= _STARTED


def new_results_published():
    """Whether this run published a report with new key results: publish_report rewrites
    their history only when they changed, so a report published again as it was (deleted
    by hand) announces nothing already announced. Nor does one whose history changed only
    in the build it names (the same sources committed, a template edited): its results
    are those the report was compared with (metareview.report.keys.recorded_results)."""
    from metareview.report.keys import recorded_results

    history = Path("results/history/key_results.json")
    if not (
        published_by_this_run()
        and history.exists()
        and history.stat().st_mtime >= _STARTED
    ):
        return False
    before = Path("results/report/previous_key_results.json")
    previous = (
        json.loads(before.read_text(encoding="utf-8")) if before.exists() else None
    )
    now = json.loads(history.read_text(encoding="utf-8"))
    return previous is None or recorded_results(previous) != recorded_results(now)


def say_what_changed():
    """Print what changed since the last build and the consistency warnings of the raw
    numbers, the new ones in full (metareview.markdown.changes_note,
    metareview.checks.warnings_note), when this run published a report with new key
    results.

    Published, not assembled: a run that assembled the report and was interrupted while
    rendering it has said nothing, and the run that completes it must say what changed.
    """
    from metareview.checks import warnings_note
    from metareview.markdown import changes_note
    from metareview.report.keys import compared_warnings

    keys = Path("results/report/key_results.json")
    if not keys.exists() or not new_results_published():
        return
    current = json.loads(keys.read_text(encoding="utf-8"))
    before = keys.with_name("previous_key_results.json")
    previous = (
        json.loads(before.read_text(encoding="utf-8")) if before.exists() else None
    )
    # Keyed alike (by what their rows are), or not compared: see compared_warnings.
    warnings = compared_warnings(previous, current) if previous else None
    for note in (
        changes_note(current.get("changes") or []),
        warnings_note(
            warnings[1] if warnings else current.get("warnings") or {},
            warnings[0] if warnings else None,
            renamed=current.get("renamed") or {},
            renamed_analyses=current.get("renamed_analyses") or {},
        ),
    ):
        if note:
            print(note, file=sys.stderr)


def last_key_results():
    """The last build's key results (results/report/key_results.json), or None."""
    try:
        return json.loads(
            Path("results/report/key_results.json").read_text(encoding="utf-8")
        )
    except (OSError, ValueError):
        return None


def tell_renamed(previous, tables):
    """In a dry run, the studies the build will read as renamed since the last one
    (metareview.report.changes.renamed_in_tables, as What changed reads them), old id to
    new id: the jobs alone read as one study removed and another added."""
    from metareview.report.changes import renamed_in_tables

    numbers = {t: [r.row for r in rows] for t, rows in PLAN.raw.tables.items()}
    renamed = renamed_in_tables(tables, numbers, previous)
    if renamed:
        pairs = ", ".join(f"{old} as {new}" for old, new in sorted(renamed.items()))
        print(
            f"Would read {len(renamed)} {'study' if len(renamed) == 1 else 'studies'} as "
            f"renamed since the last build, not removed and added: {pairs} (What changed "
            "says what else changed)",
            file=sys.stderr,
        )
    return renamed


def tell_changed_settings(last, limit=8):
    """In a dry run, the settings of the config the last build's numbers were computed
    under that differ now (metareview.report.keys.config_settings, as What changed
    compares them), by key: after a config edit the analyses' jobs give only "Params have
    changed since last execution", which named no setting."""
    from metareview.report.keys import config_settings, setting_change

    before = (last or {}).get("settings")
    if not before:
        return
    # The report job's own settings (rules/report.smk, defined by the time the DAG is
    # built), read as its job reads them.
    now = config_settings(json.loads(REPORT_SETTINGS))
    compared = {key.split(".")[0] for key in before}

    def entry(key):
        parts = key.split(".")
        return ".".join(parts[:2]) if parts[0] in ("analyses", "indirect") else None

    entries = {e for e in map(entry, before) if e} ^ {e for e in map(entry, now) if e}
    said = [
        f"{e} {'added' if any(entry(k) == e for k in now) else 'removed'}"
        for e in sorted(entries)
    ]

    said += [
        setting_change(key, before.get(key), now.get(key))
        for key in sorted(set(before) | set(now))
        if key.split(".")[0] in compared
        and entry(key) not in entries
        and before.get(key) != now.get(key)
    ]
    if said:
        more = f"; and {len(said) - limit} more" if len(said) > limit else ""
        print(
            f"Would read {len(said)} {'setting' if len(said) == 1 else 'settings'} of the config "
            f"changed since the last build: {'; '.join(said[:limit])}{more} (What changed "
            "says them in words)",
            file=sys.stderr,
        )


def tell_new_warnings(last, limit=10):
    """In a dry run, the consistency warnings on the raw rows that the last build did not
    raise (metareview.checks.table_warnings), as the end of a build says them: a number
    typed in the wrong column is seen before the build writes its estimate, not after.

    Only the checks that read the tables alone: those comparing what the study jobs
    normalised are the report's. A study renamed since the last build (tell_renamed)
    keeps its warnings under its new id, as the build matches them, and a row moved
    among its study's rows keeps its own: warnings are matched by what their rows are
    (metareview.checks.stable_warning_key). Nothing is said where the last build's
    warnings cannot be matched so (metareview.report.keys.comparable_warnings).
    """
    from metareview.checks import (
        format_warning,
        renamed_key,
        row_identities,
        stable_warning_key,
        table_warnings,
        warning_key,
    )
    from metareview.rawdata import resolve_refs
    from metareview.report.keys import comparable_warnings

    tables = {t: [dict(r.values) for r in rows] for t, rows in PLAN.raw.tables.items()}
    renamed = tell_renamed(last, tables)
    before = comparable_warnings(last) if last and last.get("warnings") else {}
    if before is None:
        return
    previous = {renamed_key(key, renamed) for key in before}
    identities = row_identities(tables)
    bundles = {study: json.loads(PLAN.bundles[study]) for study in PLAN.studies}
    new = [
        (label, w)
        for label, w in table_warnings(bundles, tables, PLAN.config.get("nodes"))
        if stable_warning_key(warning_key(w), identities) not in previous
    ]
    if not new:
        return
    rows = resolve_refs(PLAN.raw)
    count = f"{len(new)} new consistency {'warning' if len(new) == 1 else 'warnings'}"
    print(
        f"Would raise {count} on the raw rows (a warning does not stop the build; "
        "the report lists every warning):",
        file=sys.stderr,
    )
    for label, w in new[:limit]:
        print(
            f"  - {label}: {format_warning(w, rows, headers=PLAN.raw.headers)}",
            file=sys.stderr,
        )
    if len(new) > limit:
        print(f"  ... and {len(new) - limit} more", file=sys.stderr)


_DRY_RUN_TOLD = []


def all_targets(wildcards):
    """Rule all's inputs: the report and every file a complete build leaves.

    A dry run also says which files the build would remove at its end: Snakemake runs no
    onsuccess handler in a dry run, and its plan lists only jobs to run. Input functions
    run while the DAG is built, once the run's settings (a dry run or not) are known.
    """
    if workflow.dryrun and not _DRY_RUN_TOLD:
        _DRY_RUN_TOLD.append(True)
        stale = stale_outputs()
        if stale:
            print(
                f"Would remove {len(stale)} outputs of studies, analyses or comparisons "
                f"the review no longer has: {_stale_text(stale)}",
                file=sys.stderr,
            )
        # The last build's key results, read once for both.
        last = last_key_results()
        tell_changed_settings(last)
        tell_new_warnings(last)
    return [*REPORT_OUTPUTS, REPORT_PUBLISHED, *build_outputs()]


onsuccess:
    remove_stale_outputs()
    # A note, never a reason to skip the cleanup below.
    try:
        say_what_changed()
    except (OSError, ValueError) as exc:
        print(f"Could not read what changed: {exc}", file=sys.stderr)
    end_of_build()


onerror:
    if Path(REPORT_OUTPUTS[0]).exists() and not published_by_this_run():
        # Lest the report there be taken for this run's (see rule publish_report).
        print(
            "The report in build/report/ is still the last complete build's.",
            file=sys.stderr,
        )
    end_of_build()
