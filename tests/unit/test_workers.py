"""Unit tests for metareview.workers: jobs run in long-lived worker processes.

Each test writes a small rule script (``main(job)``) to a temporary folder and runs jobs
through :func:`execute` (in this process) or a :class:`WorkerPool`.
"""

from __future__ import annotations

import importlib.util
import os
import py_compile
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from metareview.workers import (
    JobFailed,
    JobSpec,
    Named,
    WorkerLost,
    WorkerPool,
    cancel_pending_timers,
    compile_job_code,
    execute,
    named,
)

SRC = Path(__file__).resolve().parents[2] / "src"

SCRIPT = '''
import os
import time
from pathlib import Path


def main(job):
    mode = job.params.mode
    if mode == "fail":
        raise ValueError("studies.csv row 3, column 'n': expected a positive integer")
    if mode == "die":
        os._exit(3)
    if mode == "print":
        print("a stray line on standard output")
    if mode == "scipy":
        import scipy.special  # noqa: F401  (numpy's f2py reads SOURCE_DATE_EPOCH on import)
    if mode == "wait":
        # Both jobs start, then each waits for the other's marker: only two processes
        # running at the same time can get past this.
        Path(job.output.out + ".started").write_text("")
        other = Path(job.params.other + ".started")
        deadline = time.monotonic() + 60
        while not other.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    if mode == "sleep":
        Path(job.output.out + ".pid").write_text(str(os.getpid()))
        time.sleep(60)
    job.logger.info("writing %s", job.output.out)
    Path(job.output.out).write_text(f"{os.getpid()} {job.input.values[0]} {job.wildcards.name}")
'''


def make_job(tmp_path: Path, name: str, mode: str = "ok", **params: str) -> JobSpec:
    script = tmp_path / "scripts" / "demo.py"
    script.parent.mkdir(exist_ok=True)
    if not script.exists():
        script.write_text(SCRIPT, encoding="utf-8")
    out = str(tmp_path / f"{name}.txt")
    return JobSpec(
        "demo", script,
        input=Named(["in.csv"], {"values": ["in.csv"]}),
        output=Named([out], {"out": out}),
        params=Named([mode], {"mode": mode, **params}),
        log=Named([str(tmp_path / "logs" / f"{name}.log")]),
        wildcards=Named([name], {"name": name}),
        root=tmp_path,
    )


@pytest.fixture()
def pool(tmp_path: Path):
    p = WorkerPool(path=[SRC], cwd=tmp_path)
    yield p
    p.close()


def test_named_copies_names_and_items() -> None:
    class Namedlist(list):  # the shape of Snakemake's Namedlist
        def keys(self):
            return ["a", "bs"]

    source = Namedlist(["x", "y", "z"])
    source.a, source.bs = "x", ["y", "z"]
    copy = named(source)
    assert list(copy) == ["x", "y", "z"] and copy.a == "x" and copy.bs == ["y", "z"]
    with pytest.raises(AttributeError):
        copy.missing  # noqa: B018


def test_execute_in_process_logs_to_the_job_log(tmp_path: Path) -> None:
    job = make_job(tmp_path, "one")
    execute(job)
    assert (tmp_path / "one.txt").read_text() == f"{os.getpid()} in.csv one"
    log = (tmp_path / "logs" / "one.log").read_text()
    assert "INFO writing" in log and "INFO done: " in log


def test_pool_runs_jobs_in_a_reused_worker(tmp_path: Path, pool: WorkerPool) -> None:
    for name in ("a", "b", "c"):
        pool.run(make_job(tmp_path, name))
    pids = {(tmp_path / f"{n}.txt").read_text().split()[0] for n in "abc"}
    assert len(pids) == 1 and pids != {str(os.getpid())}  # one worker, not this process
    assert "INFO done: " in (tmp_path / "logs" / "c.log").read_text()


def test_a_worker_never_sees_an_empty_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Empty is unset to the workflow; numpy's f2py, which scipy.special imports, ran
    # int("") on it and failed the job.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    pool = WorkerPool(path=[SRC], cwd=tmp_path)
    try:
        pool.run(make_job(tmp_path, "special", mode="scipy"))
    finally:
        pool.close()
    assert (tmp_path / "special.txt").is_file()


def test_concurrent_jobs_run_in_parallel_processes(tmp_path: Path, pool: WorkerPool) -> None:
    a = make_job(tmp_path, "a", "wait", other=str(tmp_path / "b.txt"))
    b = make_job(tmp_path, "b", "wait", other=str(tmp_path / "a.txt"))
    errors: list[BaseException] = []

    def run(job: JobSpec) -> None:
        try:
            pool.run(job)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    pid_a, pid_b = ((tmp_path / f"{n}.txt").read_text().split()[0] for n in "ab")
    assert pid_a != pid_b


def test_failure_carries_the_traceback_and_the_worker_survives(tmp_path: Path, pool: WorkerPool) -> None:
    with pytest.raises(JobFailed, match=r"(?s)rule demo failed.*ValueError: studies.csv row 3, column 'n'"):
        pool.run(make_job(tmp_path, "bad", "fail"))
    assert "ValueError: studies.csv row 3" in (tmp_path / "logs" / "bad.log").read_text()
    assert not (tmp_path / "bad.txt").exists()
    pool.run(make_job(tmp_path, "after"))
    assert (tmp_path / "after.txt").exists()


def test_a_worker_that_dies_fails_its_job_and_is_replaced(tmp_path: Path, pool: WorkerPool) -> None:
    with pytest.raises(WorkerLost, match="exit code 3"):
        pool.run(make_job(tmp_path, "dead", "die"))
    pool.run(make_job(tmp_path, "next"))
    assert (tmp_path / "next.txt").exists()


def test_printing_does_not_corrupt_the_channel(tmp_path: Path, pool: WorkerPool) -> None:
    pool.run(make_job(tmp_path, "p", "print"))
    pool.run(make_job(tmp_path, "q"))
    assert (tmp_path / "p.txt").exists() and (tmp_path / "q.txt").exists()


def test_close_ends_the_workers(tmp_path: Path) -> None:
    pool = WorkerPool(path=[SRC], cwd=tmp_path)
    pool.run(make_job(tmp_path, "a"))
    pid = int((tmp_path / "a.txt").read_text().split()[0])
    pool.close()
    assert not _alive(pid)
    with pytest.raises(RuntimeError, match="closed"):
        pool.run(make_job(tmp_path, "b"))


def test_jobs_run_in_the_caller_until_a_warmed_worker_is_ready(tmp_path: Path) -> None:
    slow = tmp_path / "slow_import.py"
    gate = tmp_path / "gate"
    slow.write_text(
        "import time\nfrom pathlib import Path\n"
        f"while not Path({str(gate)!r}).exists():\n    time.sleep(0.01)\n", encoding="utf-8")
    pool = WorkerPool(path=[SRC], cwd=tmp_path, preload=[slow, make_job(tmp_path, "x").script])
    try:
        pool.warm(1)
        assert pool.try_run(make_job(tmp_path, "early")) is False  # still importing
        gate.write_text("")
        deadline = time.monotonic() + 60
        while not pool.try_run(make_job(tmp_path, "late")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert int((tmp_path / "late.txt").read_text().split()[0]) != os.getpid()
        assert not (tmp_path / "early.txt").exists()
    finally:
        pool.close()


def test_close_kills_a_worker_still_starting(tmp_path: Path) -> None:
    # A build that ends before its workers are ready must not wait for their imports.
    never = tmp_path / "never.py"
    never.write_text("import time\ntime.sleep(600)\n", encoding="utf-8")
    pool = WorkerPool(path=[SRC], cwd=tmp_path, preload=[never])
    pool.warm(2)
    deadline = time.monotonic() + 60
    while len(pool._workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    workers = list(pool._workers)
    pool.close()
    assert [w.process.returncode for w in workers] == [-signal.SIGKILL] * 2


def test_a_worker_whose_preload_fails_is_dropped_with_the_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("raise ImportError('no such module')\n", encoding="utf-8")
    pool = WorkerPool(path=[SRC], cwd=tmp_path, preload=[broken])
    try:
        with pytest.raises(WorkerLost, match="(?s)could not start.*ImportError: no such module"):
            pool.run(make_job(tmp_path, "a"))
        assert pool._workers == []  # the failed worker was stopped and dropped
        assert not (tmp_path / "a.txt").exists()
    finally:
        pool.close()


PARENT = '''
import sys
from pathlib import Path
sys.path.insert(0, {src!r})
sys.path.insert(0, {tests!r})
from test_workers import make_job
from metareview.workers import WorkerPool
pool = WorkerPool(path=[{src!r}], cwd={tmp!r})
pool.run(make_job(Path({tmp!r}), "long", "sleep"))
'''


def test_a_worker_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    # A build killed with SIGKILL must not leave a job running that could write beside
    # the rerun's.
    code = PARENT.format(src=str(SRC), tests=str(Path(__file__).parent), tmp=str(tmp_path))
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)])
    marker = tmp_path / "long.txt.pid"
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the job never started"
    time.sleep(0.05)
    worker = int(marker.read_text())
    assert _alive(worker)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 30
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker)
    assert not (tmp_path / "long.txt").exists()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_cancel_pending_timers_lets_the_process_exit_at_once():
    # A pending timer keeps the interpreter alive until it fires; after cancelling, its
    # thread ends and its action never runs.
    fired = threading.Event()
    timer = threading.Timer(60, fired.set)
    timer.start()
    release = threading.Event()
    other = threading.Thread(target=release.wait, args=(60,))
    other.start()
    assert cancel_pending_timers() >= 1
    timer.join(timeout=5)
    assert not timer.is_alive()
    assert not fired.is_set()
    # Only timers are touched: an ordinary thread runs on.
    assert other.is_alive()
    release.set()
    other.join()


def test_freeze_live_objects_takes_the_heap_out_of_collections():
    # In a process of its own: the permanent generation lasts as long as the process.
    code = textwrap.dedent(
        """
        import gc
        from metareview.workers import freeze_live_objects

        heap = [[i] for i in range(100_000)]  # long-lived containers, as a DAG's jobs
        frozen = freeze_live_objects()
        assert frozen == gc.get_freeze_count() >= 100_000, frozen
        # No generation holds them any more, so no collection traverses them...
        assert len(gc.get_objects()) < 1_000, len(gc.get_objects())
        # ...and objects made afterwards are still collected.
        class Cycle:
            pass
        c = Cycle()
        c.self = c
        del c
        assert gc.collect() >= 1
        assert gc.isenabled()
        print("ok", len(heap))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok", "100000"]


def test_named_adds_items_snakemake_does_not_hold() -> None:
    # A study's raw rows reach its script as a param although Snakemake holds only their digest.
    from metareview.workers import Named, named

    params = Named(["d1"], {"rows_sha256": "d1"})
    out = named(params, {"bundle": '{"arms": []}'})
    assert out.rows_sha256 == "d1" and out.bundle == '{"arms": []}' and list(out) == ["d1", '{"arms": []}']
    with pytest.raises(ValueError, match="already a named item"):
        named(params, {"rows_sha256": "x"})


def test_compile_job_code_writes_bytecode_once_whatever_the_environment_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in a build: SOURCE_DATE_EPOCH set (py_compile's default would then be
    # hash-checked bytecode, which compileall never takes for up to date) and
    # PYTHONDONTWRITEBYTECODE too (imports would then never write any).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    (tmp_path / "src" / "lib").mkdir(parents=True)
    (tmp_path / "scripts").mkdir()
    module = tmp_path / "src" / "lib" / "mod.py"
    module.write_text("VALUE = 1\n", encoding="utf-8")
    script = tmp_path / "scripts" / "step.py"
    script.write_text("def main(job):\n    pass\n", encoding="utf-8")

    assert compile_job_code(tmp_path)
    caches = [Path(importlib.util.cache_from_source(str(p))) for p in (module, script)]
    assert all(cache.is_file() for cache in caches)
    # Bytes 4-7 of a .pyc are its flags: 0 is checked by the source's time and size, as
    # the bytecode import itself writes; 1 or 3 would be hash-based.
    assert [cache.read_bytes()[4:8] for cache in caches] == [bytes(4), bytes(4)]
    written = [cache.stat().st_mtime_ns for cache in caches]

    # Up to date: nothing is compiled again (a hash-based file would be, at every start).
    time.sleep(0.01)
    assert compile_job_code(tmp_path)
    assert [cache.stat().st_mtime_ns for cache in caches] == written

    # A changed source is compiled again (its time moved on: compileall compares whole
    # seconds, and an import would anyway ignore bytecode recorded for another size).
    module.write_text("VALUE = 22\n", encoding="utf-8")
    later = module.stat().st_mtime + 5
    os.utime(module, (later, later))
    assert compile_job_code(tmp_path)
    assert caches[0].stat().st_mtime_ns != written[0]
    assert caches[1].stat().st_mtime_ns == written[1]


def test_compile_job_code_reports_a_module_it_cannot_compile(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "broken.py").write_text("def f(:\n", encoding="utf-8")
    assert not compile_job_code(tmp_path)


def test_compile_job_code_passes_over_a_folder_it_cannot_write_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read-only checkout: compiling every module only to fail writing it would cost each
    # start the whole library's compilation. Nothing there is compiled; a writable folder
    # beside it still is. (os.access stands in for the read-only file system: the tests
    # may run as root, whom permissions do not stop.)
    for folder in ("src", "scripts"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "mod.py").write_text("VALUE = 1\n", encoding="utf-8")
    locked = tmp_path / "src"
    real_access = os.access

    def access(path: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        if mode & os.W_OK and Path(path).is_relative_to(locked):
            return False
        return real_access(path, mode, *args, **kwargs)

    compiled: list[str] = []
    real_compile = py_compile.compile

    def compile_(file: str, *args: Any, **kwargs: Any) -> Any:
        compiled.append(Path(file).parent.name)
        return real_compile(file, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(py_compile, "compile", compile_)
    assert not compile_job_code(tmp_path)
    assert compiled == ["scripts"]
    assert not Path(importlib.util.cache_from_source(str(locked / "mod.py"))).exists()
    assert Path(importlib.util.cache_from_source(str(tmp_path / "scripts" / "mod.py"))).is_file()
