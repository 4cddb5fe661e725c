"""OpenBLAS's kernel is pinned on x86-64, so that no number depends on the CPU."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

from metareview.blas import (
    CORETYPE,
    UNPINNED_LOG,
    VARIABLE,
    blas_environment,
    pin_blas_kernel,
    record_unpinned,
    unpinned_builds,
)


def test_the_environment_of_a_build_names_one_kernel_on_x86_64():
    env = {"PATH": "/bin", VARIABLE: "SkylakeX"}
    assert blas_environment(env, "x86_64") == {"PATH": "/bin", VARIABLE: CORETYPE}
    assert blas_environment({}, "AMD64") == {VARIABLE: CORETYPE}
    assert env == {"PATH": "/bin", VARIABLE: "SkylakeX"}  # a copy, the caller's untouched
    # Elsewhere OpenBLAS has other kernels (and other names): nothing is set.
    assert blas_environment({"PATH": "/bin"}, "aarch64") == {"PATH": "/bin"}


def test_the_kernel_is_pinned_in_the_process_before_numpy_loads():
    environ: dict[str, str] = {VARIABLE: "Haswell"}
    assert pin_blas_kernel(environ, modules={}, machine="x86_64") is None
    assert environ == {VARIABLE: CORETYPE}


def test_too_late_to_pin_is_said_and_the_processes_started_later_are_pinned():
    # A cluster's jobs inherit the environment of the Snakemake that submits them, which
    # loaded numpy (with pandas) before the workflow could pin it.
    environ: dict[str, str] = {}
    note = pin_blas_kernel(environ, modules={"numpy": object()}, machine="x86_64")
    assert note is not None and "the kernels OpenBLAS chose for this CPU" in note
    assert f"{VARIABLE}={CORETYPE}" in note and environ == {VARIABLE: CORETYPE}
    environ = {VARIABLE: "Haswell"}
    note = pin_blas_kernel(environ, modules={"numpy": object()}, machine="x86_64")
    assert note is not None and f"with {VARIABLE}=Haswell" in note
    assert environ == {VARIABLE: CORETYPE}
    # Pinned already (by `make report`, which starts Snakemake so): nothing to say.
    assert pin_blas_kernel({VARIABLE: CORETYPE}, modules={"numpy": object()}, machine="x86_64") is None
    assert pin_blas_kernel({}, modules={"numpy": object()}, machine="aarch64") is None


# The kernel OpenBLAS runs, asked of the library numpy's wheel bundles.
_CORENAME = """
import ctypes, glob, os, sys
import metareview.blas
metareview.blas.pin_blas_kernel()
import numpy
libs = glob.glob(os.path.join(os.path.dirname(numpy.__file__), os.pardir, "numpy.libs", "*openblas*"))
for lib in libs:
    for symbol in ("scipy_openblas_get_corename64_", "openblas_get_corename64_", "openblas_get_corename"):
        f = getattr(ctypes.CDLL(lib), symbol, None)
        if f is not None:
            f.restype = ctypes.c_char_p
            print(f().decode())
            sys.exit(0)
sys.exit(3)
"""


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="the pinned kernel is x86-64's")
@pytest.mark.parametrize("outside", [None, "Haswell"])
def test_numpy_runs_the_pinned_kernel_whatever_the_environment_says(outside):
    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    if outside is not None:
        env[VARIABLE] = outside
    run = subprocess.run([sys.executable, "-c", _CORENAME], env=env, capture_output=True, text=True, check=False)
    if run.returncode == 3:
        pytest.skip("this numpy bundles no OpenBLAS that names its kernel")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == CORETYPE


def _audit(monkeypatch):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "tools" / "audit.py"
    spec = importlib.util.spec_from_file_location("audit_for_blas_test", path)
    audit = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, audit)  # its dataclasses look themselves up there
    spec.loader.exec_module(audit)
    return audit


def test_the_audit_rebuild_pins_the_kernel_as_make_report_does(monkeypatch):
    audit = _audit(monkeypatch)
    monkeypatch.setenv(VARIABLE, "Haswell")
    monkeypatch.setattr("platform.machine", lambda: "x86_64")
    env = audit.workflow_env("86400", {"TZ": "UTC"})
    assert (env[VARIABLE], env["SOURCE_DATE_EPOCH"], env["TZ"]) == (CORETYPE, "86400", "UTC")


def test_builds_with_an_unpinned_kernel_are_recorded_for_the_audit(tmp_path, monkeypatch):
    assert unpinned_builds(tmp_path) == []
    path = record_unpinned(tmp_path, "numpy was loaded before ...", "2026-12-01T10:00:00+00:00")
    record_unpinned(tmp_path, "numpy was loaded before ...", "2026-12-02T09:30:00+00:00")
    assert path == tmp_path / UNPINNED_LOG
    assert unpinned_builds(tmp_path) == ["2026-12-01T10:00:00+00:00", "2026-12-02T09:30:00+00:00"]
    audit = _audit(monkeypatch)
    assert audit.unpinned_builds(tmp_path) == unpinned_builds(tmp_path)
    one, two = audit.unpinned_hint(["2026-12-01T10:00:00+00:00"]), audit.unpinned_hint(unpinned_builds(tmp_path))
    assert "in a build started 2026-12-01T10:00:00+00:00 (" in one
    assert "in 2 builds, the last started 2026-12-02T09:30:00+00:00 (" in two
    # The hint names the file the workflow writes, and a way to a pinned build.
    assert f"({UNPINNED_LOG})" in one and "make report ARGS=--forceall audit" in one


def test_the_workflow_records_a_build_it_could_not_pin():
    from pathlib import Path

    common = (Path(__file__).resolve().parents[2] / "rules" / "common.smk").read_text(encoding="utf-8")
    start = common.index("def tell_blas_note")
    body = common[start:common.index("\n\n\n", start)]
    assert "record_unpinned(" in body and "workflow.basedir," in body and "BLAS_NOTE," in body
