"""Run the workflow's jobs, in Snakemake's process or in long-lived worker processes.

Each rule's script (``scripts/<rule>.py``) has a ``main(job)``; :func:`execute` runs it
for one job, with the job's log file as its logger. Snakemake runs a ``run:`` job in a
thread of its own process (the profile sets ``force-use-threads``: a new Python per job
would pay interpreter and import start-up, which dominates a review's build), but
threads share one interpreter lock, so a build of many short jobs used one core of two.
A :class:`WorkerPool` keeps Python processes alive for the whole build and hands each
job to an idle one: the job's thread in Snakemake only waits, without the lock; each
worker runs Python on a core of its own and imports numpy, scipy and the library once,
not once per job.

Starting a worker and importing what the jobs need takes about a second, longer than a
small rebuild's jobs: :meth:`WorkerPool.warm` starts the workers in the background and
:meth:`WorkerPool.try_run` uses one only once it is ready, so until then jobs run in
Snakemake's threads as before, and a rebuild of a few jobs never waits for a worker.

A worker runs ``python -m metareview.workers <parent pid> [script ...]``: it imports the
given scripts (and with them the library modules and numpy they need), says it is ready,
then serves jobs. Requests and replies are length-prefixed pickles on its standard input
and output; the job's code sees a standard output that goes to standard error, so a stray
``print`` cannot corrupt the channel. A worker ends when its standard input closes, and within a fraction of a
second of its parent's death however that comes (SIGKILL included), so no job of a
killed build goes on writing beside the rerun.

Only the standard library is imported here, and never Snakemake.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO, Any

__all__ = [
    "JobFailed",
    "JobSpec",
    "Named",
    "WorkerLost",
    "WorkerPool",
    "cancel_pending_timers",
    "compile_job_code",
    "execute",
    "freeze_live_objects",
    "named",
]

_LENGTH = struct.Struct("!Q")

#: How often a worker checks that its parent is alive, in seconds.
_PARENT_POLL = 0.2


class JobFailed(RuntimeError):
    """The job's code raised; the message holds the worker's traceback."""


class WorkerLost(RuntimeError):
    """A worker process ended (killed, crashed) while it ran a job."""


class Named(list):  # type: ignore[type-arg]
    """A list whose items can also be reached by name, as Snakemake's ``input`` etc."""

    def __init__(self, items: Iterable[Any] = (), names: dict[str, Any] | None = None) -> None:
        super().__init__(items)
        self._names = dict(names or {})

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_names"][name]
        except KeyError:
            raise AttributeError(name) from None

    def keys(self) -> list[str]:
        return list(self._names)


def _plain(value: Any) -> Any:
    # Snakemake's paths are str subclasses and its lists Namedlists: plain types pickle
    # without Snakemake on the other side.
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def named(values: Any, extra: dict[str, Any] | None = None) -> Named:
    """A picklable :class:`Named` copy of a Snakemake ``Namedlist`` (or any sequence).

    ``extra`` adds named items that are not Snakemake's: what a job reads but Snakemake
    need not store or compare in full (a study's raw rows, whose digest is the param).
    """
    # keys(), not iteration: a Namedlist iterates over its items, not its names.
    names = {k: _plain(getattr(values, k)) for k in values.keys()} if hasattr(values, "keys") else {}  # noqa: SIM118
    items = [_plain(v) for v in values]
    for key, value in (extra or {}).items():
        if key in names:
            raise ValueError(f"{key!r} is already a named item")
        names[key] = _plain(value)
        items.append(names[key])
    return Named(items, names)


@dataclass
class JobSpec:
    """What a script's ``main(job)`` receives: the job's files, params and a logger.

    ``logger`` is set by :func:`execute` (it writes to ``log[0]``).
    """

    rule: str
    script: Path
    input: Named
    output: Named
    params: Named
    log: Named
    wildcards: Named
    root: Path
    logger: logging.Logger | None = None


_SCRIPTS: dict[Path, ModuleType] = {}
_SCRIPTS_LOCK = threading.Lock()


def _script(path: Path) -> ModuleType:
    with _SCRIPTS_LOCK:
        module = _SCRIPTS.get(path)
        if module is None:
            spec = importlib.util.spec_from_file_location(f"metareview_script_{path.stem}", path)
            if spec is None or spec.loader is None:
                raise ImportError(f"cannot load {path}")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            _SCRIPTS[path] = module
        return module


def execute(job: JobSpec) -> None:
    """Run ``main(job)`` of the job's script, logging to the job's log file.

    The log gets ``done: <outputs>`` or the traceback; the exception is re-raised.
    """
    module = _script(Path(job.script))
    logger = logging.getLogger(f"metareview.job.{job.rule}.{id(job)}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    Path(job.log[0]).parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(job.log[0], mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.addHandler(handler)
    job.logger = logger
    try:
        module.main(job)
        logger.info("done: %s", ", ".join(str(o) for o in job.output))
    except Exception:
        logger.error(traceback.format_exc())
        raise
    finally:
        logger.removeHandler(handler)
        handler.close()
        job.logger = None
        # One logger per job: drop it from logging's registry, or a review of thousands
        # of jobs would keep them all.
        logging.Logger.manager.loggerDict.pop(logger.name, None)


# --- the channel ------------------------------------------------------------------------


def send_message(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def _read_exactly(stream: IO[bytes], n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("the other end closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive_message(stream: IO[bytes]) -> Any:
    """The next message; EOFError when the other end has closed the channel."""
    (length,) = _LENGTH.unpack(_read_exactly(stream, _LENGTH.size))
    return pickle.loads(_read_exactly(stream, length))


# --- the pool ---------------------------------------------------------------------------


class _Worker:
    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        assert process.stdin is not None and process.stdout is not None
        self.requests: IO[bytes] = process.stdin
        self.replies: IO[bytes] = process.stdout
        self.ready = False


class WorkerPool:
    """Worker processes, started on demand and reused, that run jobs with :func:`execute`.

    Parameters
    ----------
    python
        The interpreter to start (default: this one).
    path
        Folders put first on the workers' ``PYTHONPATH`` (e.g. the checkout's ``src``,
        so that workers import the same library as the Snakemake process).
    cwd
        Working folder of the workers (default: this process's).
    preload
        Scripts each worker imports when it starts, before it says it is ready.

    :meth:`run` and :meth:`try_run` may be called from many threads at once.
    """

    def __init__(self, *, python: str = sys.executable, path: Sequence[str | Path] = (),
                 cwd: str | Path | None = None, preload: Sequence[str | Path] = ()) -> None:
        self._python = python
        self._path = [str(p) for p in path]
        self._cwd = cwd
        self._preload = [str(p) for p in preload]
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        self._warmed = False

    def _start(self) -> _Worker:
        """Start a worker and wait until it has imported the preloaded scripts."""
        env = dict(os.environ)
        # Empty is unset (metareview.provenance.settle_source_date_epoch), and numpy's f2py,
        # which scipy.special imports, fails on it: the worker never sees it.
        if not env.get("SOURCE_DATE_EPOCH", "unset").strip():
            del env["SOURCE_DATE_EPOCH"]
        env["PYTHONPATH"] = os.pathsep.join([*self._path, *filter(None, [env.get("PYTHONPATH")])])
        process = subprocess.Popen(
            [self._python, "-m", "metareview.workers", str(os.getpid()), *self._preload],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=self._cwd, env=env,
        )
        worker = _Worker(process)
        with self._lock:
            if self._closed:
                _stop(worker)
                raise RuntimeError("the worker pool is closed")
            self._workers.append(worker)
        try:
            status, payload = receive_message(worker.replies)
        except (EOFError, OSError) as exc:
            self._lost(worker)
            raise WorkerLost(f"a worker process (pid {process.pid}) ended while starting "
                             f"(exit code {process.returncode}): {exc}") from None
        if status != "ready":
            self._lost(worker)
            raise WorkerLost(f"a worker process (pid {process.pid}) could not start:\n{payload}")
        worker.ready = True
        return worker

    def _lost(self, worker: _Worker) -> None:
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
        _stop(worker)

    def warm(self, n: int) -> None:
        """Start ``n`` workers in the background (once); each becomes idle when ready.

        A worker that fails to start is left out: jobs then run in the calling threads
        (:meth:`try_run`), as without a pool.
        """
        with self._lock:
            if self._warmed or self._closed:
                return
            self._warmed = True

        def start() -> None:
            try:
                self._idle.put(self._start())
            except (RuntimeError, OSError):
                pass

        for _ in range(n):
            threading.Thread(target=start, daemon=True).start()

    def try_run(self, job: JobSpec) -> bool:
        """Run ``job`` in a ready worker and return True, or return False at once if none
        is idle (the caller then runs the job itself).

        Raises
        ------
        JobFailed, WorkerLost
            As :meth:`run`.
        """
        if self._closed:
            raise RuntimeError("the worker pool is closed")
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            return False
        self._run_in(worker, job)
        return True

    def run(self, job: JobSpec) -> None:
        """Run ``job`` in a worker (an idle one, or a new one) and wait for it.

        Raises
        ------
        JobFailed
            The job's code raised (the job's log has the traceback too).
        WorkerLost
            The worker ended before it replied.
        """
        if self._closed:
            raise RuntimeError("the worker pool is closed")
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            worker = self._start()
        self._run_in(worker, job)

    def _run_in(self, worker: _Worker, job: JobSpec) -> None:
        try:
            send_message(worker.requests, job)
            status, payload = receive_message(worker.replies)
        except (EOFError, OSError) as exc:
            self._lost(worker)
            raise WorkerLost(
                f"the worker process (pid {worker.process.pid}) running rule {job.rule} ended "
                f"without replying (exit code {worker.process.returncode}): {exc}"
            ) from None
        self._idle.put(worker)
        if status != "ok":
            raise JobFailed(f"rule {job.rule} failed in worker process {worker.process.pid}:\n{payload}")

    def close(self) -> None:
        """Ask every worker to end (closing its input) and wait for it.

        A worker still starting is killed: a build that ended before its workers were
        ready does not wait for them.
        """
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
        while not self._idle.empty():
            self._idle.get_nowait()
        for worker in workers:
            if not worker.ready:
                worker.process.kill()
            _stop(worker)


def cancel_pending_timers() -> int:
    """Cancel every :class:`threading.Timer` of this process that has not fired yet.

    For the end of a build. Snakemake's job-rate limiter (``--max-jobs-per-timespan``,
    100 jobs per second by default) starts a one-second timer on each pass of its
    scheduler, to look again once the timespan is over. Timers are not daemon threads, so
    the interpreter waits for the last one before it exits: up to a second added to every
    build, a tenth of the example review's. Once the scheduler has returned nothing waits
    for them, and a cancelled timer's thread ends at once.

    Returns
    -------
    int
        How many timers were cancelled.
    """
    timers = [t for t in threading.enumerate() if isinstance(t, threading.Timer) and t.is_alive()]
    for timer in timers:
        timer.cancel()
    return len(timers)


def compile_job_code(root: Path | str, folders: Sequence[str] = ("src", "scripts")) -> bool:
    """Byte-compile the library and the rule scripts under ``root`` where they are stale.

    For a Snakemake process as it starts, before any job. Every job imports its script and
    library modules; Python writes their bytecode on first import and reuses it, unless
    ``PYTHONDONTWRITEBYTECODE`` is set (some CI images and containers set it). Then each
    build compiled the modules its jobs import again, about 0.2 s of the example's
    one-study rebuild, all of it on the chain of jobs the new study passes through
    (the report's modules and ``pool.py`` alone take 0.1 s). :func:`compileall.compile_file` writes
    the bytecode whatever that setting says, and only where a module's source changed
    since (its ``__pycache__`` records each source's modification time and size): checking
    is about a millisecond. The bytecode is checked by timestamp, as the bytecode import
    writes: with ``SOURCE_DATE_EPOCH`` set (every build of the report sets it),
    :mod:`py_compile` would otherwise write hash-checked files, which ``compileall`` never
    takes for up to date and would compile again at every start.

    A folder whose bytecode cannot be written (a read-only checkout, another user's tree)
    is passed over before anything in it is compiled: compiling a module only to fail
    writing it would cost every start the whole library's compilation (about 0.17 s) and
    save no job anything. Its modules are then compiled on import, as before.

    Returns
    -------
    bool
        Whether every module is compiled (False if a folder's bytecode could not be
        written or a module has a syntax error, which its import reports).
    """
    import compileall
    from py_compile import PycInvalidationMode

    root = Path(root)
    ok = True
    for folder in folders:
        for directory, subdirs, files in os.walk(root / folder):
            subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
            sources = sorted(name for name in files if name.endswith(".py"))
            if not sources:
                continue
            if not _bytecode_writable(Path(directory) / sources[0]):
                ok = False
                continue
            for name in sources:
                done = compileall.compile_file(
                    os.path.join(directory, name), quiet=2, invalidation_mode=PycInvalidationMode.TIMESTAMP
                )
                ok = bool(done) and ok
    return ok


def _bytecode_writable(source: Path) -> bool:
    """Whether the bytecode of ``source`` can be written where imports look for it (its
    folder's ``__pycache__``, or under ``PYTHONPYCACHEPREFIX``), creating that folder."""
    cache = Path(importlib.util.cache_from_source(str(source))).parent
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(cache, os.W_OK)


def freeze_live_objects() -> int:
    """Take every object alive now out of the cyclic garbage collector's rounds.

    For a Snakemake process once its DAG is built, and again when its build is over. The
    libraries it imported, the workflow and the DAG are hundreds of thousands of objects
    that live as long as the process, and every full collection traversed them all: in
    the one process that schedules a 1,000-analysis build's jobs, collections took about
    2 s. The interpreter's last collections before it exits took most of a second of
    every build of the example review. :func:`gc.freeze` moves them to the permanent
    generation, which no collection visits. Objects made afterwards are collected as
    before; cyclic garbage among the frozen ones is kept until the process ends, as the
    DAG itself is.

    Returns
    -------
    int
        How many objects are in the permanent generation.
    """
    import gc

    gc.freeze()
    return gc.get_freeze_count()


def _stop(worker: _Worker) -> None:
    try:
        worker.requests.close()
    except OSError:
        pass
    try:
        worker.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        worker.process.wait()
    worker.replies.close()


# --- the worker side --------------------------------------------------------------------


def _watch_parent(parent: int) -> None:
    """End this process as soon as ``parent`` is gone (reparented: a new parent pid)."""
    import time

    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(_PARENT_POLL)


def serve(parent: int, preload: Sequence[str] = ()) -> None:
    """The worker loop: import ``preload``, say so, then receive a job, :func:`execute`
    it and reply, until the input closes."""
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    # The job's code gets no input and writes what it prints to standard error.
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    try:
        for script in preload:
            _script(Path(script))
    except Exception:  # noqa: BLE001 - whatever it is, the pool reports it
        send_message(replies, ("error", traceback.format_exc()))
        return
    send_message(replies, ("ready", None))
    while True:
        try:
            job = receive_message(requests)
        except EOFError:
            return
        try:
            execute(job)
        except Exception:  # noqa: BLE001 - the job's failure goes back to Snakemake
            reply: tuple[str, Any] = ("error", traceback.format_exc())
        else:
            reply = ("ok", None)
        send_message(replies, reply)


if __name__ == "__main__":
    from metareview.workers import serve as _serve  # the module's own copy, not __main__'s

    _serve(int(sys.argv[1]), sys.argv[2:])
