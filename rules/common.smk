# Configuration and raw-data validation, the build plan, and helpers shared by the rules.
# Everything here runs each time Snakemake starts, before any job: a malformed raw table
# or config stops the build here, before any output is written.

import functools
import json
import shutil
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

# Use the library from this checkout, whatever is installed in the environment.
sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from metareview.plan import ConfigError, make_plan
from metareview.provenance import source_state
from metareview.rawdata import RawDataError, canonical_json

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
    PLAN = make_plan(config, workflow.basedir)
except (RawDataError, ConfigError) as exc:
    raise WorkflowError(str(exc)) from None


# The commit the inputs come from and the build date (SOURCE_DATE_EPOCH, else that
# commit's time): params of the report rules, so that a commit changing nothing the
# workflow reads reruns nothing, and one that does reruns the report with its own date.
try:
    SOURCE = source_state(workflow.basedir)
except ValueError as exc:
    raise WorkflowError(str(exc)) from None
SOURCE_PARAM = canonical_json({"commit": SOURCE.commit, "epoch": SOURCE.epoch})

LIBRARY = "src/metareview"
RAW_FILES = sorted(str(p) for p in Path(config["raw_dir"]).glob("*.csv"))
RENDERER = (
    "quarto"
    if config["report"].get("renderer", "auto") in ("auto", "quarto")
    and shutil.which("quarto")
    else "pandoc"
)
if config["report"].get("renderer") == "quarto" and RENDERER != "quarto":
    raise WorkflowError(
        "config report.renderer is 'quarto' but no `quarto` command is on PATH"
    )

RENDER_SUPPORT = sorted(
    str(p) for p in Path("reports").rglob("*") if p.is_file() and p.name != "report.qmd"
)
REPORT_OUTPUTS = ["build/report/report.html", "build/report/report.pdf"]


def code(*modules):
    """Library modules a rule imports, listed as its inputs so that a library fix reruns it."""
    return [f"{LIBRARY}/{m}.py" for m in ("__init__", "io", *modules)]


def settings(**sections):
    """Config sections a rule reads, as one canonical string param (an edit reruns it)."""
    return canonical_json(sections)


# A job's params are evaluated several times per run (DAG, rerun checks, execution):
# computed once per study or analysis, they cost nothing for a review of thousands.
@functools.cache
def study_settings(study):
    return settings(
        nodes=config["nodes"],
        outcomes=config["outcomes"],
        windows=config["windows"],
        analyses=PLAN.analyses_of_study(study),
        effects=config["effects"],
    )


@functools.cache
def analysis_settings(analysis):
    return settings(
        analysis=PLAN.analysis(analysis),
        methods=config["methods"],
        labels=PLAN.labels,
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


class _Job:
    """What a script's main() receives: the job's input, output, params and a logger."""

    def __init__(self, name, input, output, params, log, wildcards):
        self.rule = name
        self.input, self.output, self.params, self.log, self.wildcards = (
            input,
            output,
            params,
            log,
            wildcards,
        )
        self.root = Path(workflow.basedir)


_SCRIPTS = {}


def run_script(name, input, output, params, log, wildcards):
    """Run scripts/<name>.py's main() inside this process.

    Scripts are thin adapters named after their rule. Running them in-process (the
    profile sets force-use-threads) instead of a new Python per job saves the interpreter
    and import start-up that otherwise dominates a small review's build time; the same
    scripts also work under Snakemake's `script:` directive.
    """
    import importlib.util
    import logging
    import traceback

    script_module = _SCRIPTS.get(name)
    if script_module is None:
        path = Path(workflow.basedir) / "scripts" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(f"metareview_script_{name}", path)
        script_module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script_module)
        _SCRIPTS[name] = script_module
    job = _Job(name, input, output, params, log, wildcards)
    logger = logging.getLogger(f"metareview.job.{name}.{id(job)}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    Path(log[0]).parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log[0], mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.addHandler(handler)
    job.logger = logger
    try:
        script_module.main(job)
        logger.info("done: %s", ", ".join(str(o) for o in output))
    except Exception:
        logger.error(traceback.format_exc())
        raise
    finally:
        logger.removeHandler(handler)
        handler.close()
