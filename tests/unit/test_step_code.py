"""Each workflow step's code digest covers every library module its script imports.

A step's rule reads ``results/code/<step>.sha256`` (rule ``code_digest``), which covers the
step's script and the modules listed for it in ``STEP_MODULES`` (``rules/common.smk``). A
module missing from the list would let a library change leave stale results behind, so
the lists are checked here against the imports themselves: every ``metareview`` import of
the script, and of the modules it imports in turn, at module level or inside a function
(imports made lazily, to keep start-up cheap, count as much as the others). A package (the
report) is listed once and stands for every module in it, as ``module_files`` in
rules/common.smk has it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "src" / "metareview"
SCRIPTS = ROOT / "scripts"
RULES = ROOT / "rules"


def step_modules() -> dict[str, list[str]]:
    """``STEP_MODULES`` as written in rules/common.smk (a literal, read without Snakemake)."""
    text = (RULES / "common.smk").read_text(encoding="utf-8")
    match = re.search(r"^STEP_MODULES = (\{.*?^\})$", text, re.MULTILINE | re.DOTALL)
    assert match, "STEP_MODULES not found in rules/common.smk"
    return ast.literal_eval(match.group(1))


def module_files(module: str) -> list[Path]:
    """A library module's file, or every file of a package."""
    package = LIBRARY / module
    return sorted(package.glob("*.py")) if package.is_dir() else [LIBRARY / f"{module}.py"]


def imported_modules(path: Path) -> set[str]:
    """The ``metareview`` modules a file imports anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "metareview":  # from metareview import pool
                found |= {a.name for a in node.names
                          if (LIBRARY / f"{a.name}.py").exists() or (LIBRARY / a.name).is_dir()}
            elif node.module.startswith("metareview."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("metareview.")}
    return found


def import_closure(script: Path) -> set[str]:
    seen: set[str] = set()
    todo = list(imported_modules(script))
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            for path in module_files(module):
                todo.extend(imported_modules(path))
    return seen


def rule_steps() -> dict[str, tuple[str, str]]:
    """For each rule that runs a script: the script it runs and the step whose code it reads."""
    found = {}
    for smk in sorted(RULES.glob("*.smk")):
        for block in re.split(r"^(?=rule )", smk.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]:
            name = re.match(r"rule (\w+):", block).group(1)
            script = re.search(r'run_script\("(\w+)"', block)
            code = re.search(r'code\("(\w+)"\)', block)
            if script:
                found[name] = (script.group(1), code.group(1) if code else "")
    return found


def test_each_step_lists_exactly_the_modules_its_script_imports():
    steps = step_modules()
    assert steps, "no steps"
    for step, modules in steps.items():
        assert modules == sorted(modules), f"{step}: keep the list sorted"
        assert set(modules) == import_closure(SCRIPTS / f"{step}.py"), step


def test_the_import_closure_follows_lazy_imports(tmp_path):
    # analysis.py imports pool inside a function, and pool imports distributions at the
    # top: both must be reached from a script that imports only analysis.
    script = tmp_path / "x.py"
    script.write_text("def main():\n    from metareview.analysis import pool_analysis\n")
    assert {"analysis", "pool", "distributions"} <= import_closure(script)


def test_the_import_closure_reads_every_module_of_a_package(tmp_path):
    # The package's __init__ imports none of these itself: only its modules do (absolute
    # report.base at the top, claims report.overview inside a function).
    script = tmp_path / "x.py"
    script.write_text("from metareview.report import build_report\n")
    assert len(module_files("report")) > 2
    assert {"report", "absolute", "certainty", "claims"} <= import_closure(script)


def test_code_files_maps_a_package_to_each_of_its_modules():
    # rules/common.smk's module_files, read as text (it is Snakemake code): a package's
    # files by a glob, so a module added to it is digested with the others.
    text = (RULES / "common.smk").read_text(encoding="utf-8")
    assert re.search(r"def module_files\(module\):.*?package\.glob\(\"\*\.py\"\)", text, re.DOTALL)
    assert re.search(r"def code_files\(wildcards\):.*?module_files\(m\)", text, re.DOTALL)


@pytest.mark.parametrize("rule", sorted(rule_steps()))
def test_each_rule_reads_the_digest_of_the_code_it_runs(rule):
    script, step = rule_steps()[rule]
    if rule == "code_digest":
        assert step == "", "the digest rule lists its files itself"
        return
    assert step == script == rule, f"rule {rule} runs {script!r} and reads the code of {step!r}"
    assert step in step_modules()


def test_every_script_but_the_digest_is_a_step():
    scripts = {p.stem for p in SCRIPTS.glob("*.py")}
    assert scripts - {"code_digest"} == set(step_modules())
