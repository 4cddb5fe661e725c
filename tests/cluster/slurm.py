"""A throwaway single-node SLURM cluster on this machine, for the opt-in cluster test.

The helper installs nothing: it expects Debian's ``munge``, ``slurmctld``, ``slurmd`` and
``slurm-client`` (``.ci/slurm-setup.sh`` installs them) and root, because ``slurmd``
launches jobs as their owner. It

- creates a private MUNGE key and runs its own ``munged`` on a socket inside a scratch
  folder, so a munged the machine may already run is neither used nor disturbed;
- writes ``/etc/slurm/slurm.conf`` (state, spool, PID and log files all point into the
  scratch folder). The file has to sit at the compiled-in default path: the SLURM executor
  plugin starts each job's ``srun`` with every ``SLURM_*`` variable removed, so a
  ``SLURM_CONF`` pointing elsewhere would not reach it. An existing configuration that this
  helper did not write is never overwritten (:class:`ClusterUnavailable`);
- starts ``munged``, ``slurmctld`` and ``slurmd`` in the foreground as children of this
  process, so the exact PIDs are known and :meth:`LocalSlurmCluster.stop` ends those
  processes and no others, and waits until ``sinfo`` reports the node idle.

The configuration follows ``shared/CLUSTER.md``: no accounting database, so ``sacct``
cannot report job states and the workflow must poll with ``squeue``; ``MinJobAge=300``
keeps finished jobs visible to ``squeue`` long enough for the plugin to trust it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Self

SLURM_CONF = Path("/etc/slurm/slurm.conf")
# First line of every slurm.conf this helper writes: a leftover from an interrupted run may
# be replaced, anybody else's configuration may not.
CONF_MARKER = "# Written by metareview tests/cluster/slurm.py for a throwaway test cluster."
DAEMONS = ("munged", "slurmctld", "slurmd")
CLIENTS = ("mungekey", "munge", "sinfo", "sbatch", "srun", "squeue", "scontrol", "scancel")
# slurmstepd is not started by us but by slurmd, once per job; none may outlive the cluster.
SLURM_PROCESS_NAMES = ("munged", "slurmctld", "slurmd", "slurmstepd")
MUNGE_USER = "munge"
# Memory left to the operating system and the test process itself (CLUSTER.md: total - 4 GiB).
RESERVED_MEMORY_MB = 4096


class ClusterUnavailable(RuntimeError):
    """The machine cannot host the test cluster (missing binaries, not root, taken config)."""


class ClusterError(RuntimeError):
    """The cluster was set up but did not come up, or did not go down cleanly."""


def missing_binaries() -> list[str]:
    """Names of the daemons and client commands that are not on PATH (or in /usr/sbin)."""
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return [name for name in (*DAEMONS, *CLIENTS) if shutil.which(name, path=search) is None]


def _which(name: str) -> str:
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    path = shutil.which(name, path=search)
    if path is None:
        raise ClusterUnavailable(f"`{name}` is not installed (run .ci/slurm-setup.sh)")
    return path


def processes_named(names: tuple[str, ...] = SLURM_PROCESS_NAMES) -> dict[int, str]:
    """PIDs of live processes whose command name is one of ``names`` (from /proc).

    Zombies do not count: an exited job step waiting for its parent to reap it holds no
    files, ports or CPU.
    """
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
            # /proc/<pid>/stat: "pid (comm) state ..."; comm may contain spaces.
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):  # the process ended while we looked
            continue
        if comm in names and state != "Z":
            found[int(entry.name)] = comm
    return found


def short_hostname() -> str:
    """The node name SLURM expects: ``hostname -s``."""
    return socket.gethostname().split(".")[0]


def total_memory_mb() -> int:
    """MemTotal from /proc/meminfo, in MB (SLURM's RealMemory unit)."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    raise ClusterError("MemTotal missing from /proc/meminfo")


@dataclass
class _Daemon:
    name: str
    process: subprocess.Popen
    log: Path


class LocalSlurmCluster:
    """A single-node SLURM cluster whose files live under ``root``.

    Parameters
    ----------
    root
        Scratch folder for the MUNGE key and socket, SLURM state, spool, PID and log files.
        It must not exist yet or be empty; the caller removes it afterwards.
    conf_path
        Where slurm.conf goes. Only the default path reaches the ``srun`` inside each
        job (see the module docstring); other paths are for client-only experiments.

    Use as a context manager, or call :meth:`start` and, in a ``finally`` or finalizer,
    :meth:`stop`.
    """

    def __init__(self, root: Path, *, conf_path: Path = SLURM_CONF) -> None:
        self.root = Path(root)
        self.conf_path = Path(conf_path)
        self.hostname = short_hostname()
        self.cpus = os.cpu_count() or 1
        self.real_memory_mb = max(1024, total_memory_mb() - RESERVED_MEMORY_MB)
        self.munge_dir = self.root / "munge"
        self.munge_socket = self.munge_dir / "munge.socket"
        self.log_dir = self.root / "log"
        self._daemons: list[_Daemon] = []
        self._wrote_conf = False
        self._preexisting: dict[int, str] = {}

    # ---------------------------------------------------------------- configuration
    def slurm_conf(self) -> str:
        """The slurm.conf text for this machine (CLUSTER.md's tested settings)."""
        state = self.root / "state"
        return "\n".join(
            [
                CONF_MARKER,
                "ClusterName=localcluster",
                f"SlurmctldHost={self.hostname}(127.0.0.1)",
                "SlurmUser=root",
                "AuthType=auth/munge",
                "CredType=cred/munge",
                # Our own munged: AuthInfo's socket is read by auth/munge and cred/munge.
                f"AuthInfo=socket={self.munge_socket}",
                "MpiDefault=none",
                "MailProg=/bin/true",
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core_Memory",
                # squeue (the only status source without accounting) forgets a finished
                # job after MinJobAge; the plugin trusts squeue only if this is at least
                # three times its first status wait.
                "MinJobAge=300",
                "ReturnToService=2",
                "KillWait=5",
                "AccountingStorageType=accounting_storage/none",
                "JobAcctGatherType=jobacct_gather/none",
                f"StateSaveLocation={state / 'slurmctld'}",
                f"SlurmdSpoolDir={state / 'slurmd'}",
                f"SlurmctldPidFile={state / 'slurmctld.pid'}",
                f"SlurmdPidFile={state / 'slurmd.pid'}",
                f"SlurmctldLogFile={self.log_dir / 'slurmctld.log'}",
                f"SlurmdLogFile={self.log_dir / 'slurmd.log'}",
                "SlurmctldDebug=info",
                "SlurmdDebug=info",
                (
                    f"NodeName={self.hostname} NodeAddr=127.0.0.1 CPUs={self.cpus} "
                    f"RealMemory={self.real_memory_mb} State=UNKNOWN"
                ),
                "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
                "",
            ]
        )

    def env(self) -> dict[str, str]:
        """Environment for SLURM client commands and for Snakemake driving this cluster."""
        env = dict(os.environ)
        env["SLURM_CONF"] = str(self.conf_path)
        return env

    # ---------------------------------------------------------------- lifecycle
    def start(self, timeout: float = 60.0) -> None:
        """Write the configuration, start munged, slurmctld and slurmd, wait for an idle node.

        Raises
        ------
        ClusterUnavailable
            Not root, binaries missing, a SLURM daemon already running, or a slurm.conf
            this helper did not write.
        ClusterError
            A daemon exited or the node did not become idle within ``timeout`` seconds.
            Whatever was started has been stopped again.
        """
        if os.geteuid() != 0:
            raise ClusterUnavailable("a local SLURM cluster needs root (slurmd runs jobs)")
        missing = missing_binaries()
        if missing:
            raise ClusterUnavailable(
                f"not installed: {', '.join(missing)} (run .ci/slurm-setup.sh)"
            )
        try:
            pwd.getpwnam(MUNGE_USER)
        except KeyError:
            raise ClusterUnavailable(f"no `{MUNGE_USER}` user (is munge installed?)") from None
        self._preexisting = processes_named(("slurmctld", "slurmd"))
        if self._preexisting:
            raise ClusterUnavailable(
                f"SLURM daemons already run here (PIDs {sorted(self._preexisting)}); "
                "refusing to start a second cluster beside them"
            )
        if self.conf_path.exists() and not self.conf_path.read_text().startswith(CONF_MARKER):
            raise ClusterUnavailable(
                f"{self.conf_path} exists and was not written by this helper; "
                "refusing to overwrite a real cluster's configuration"
            )
        self._preexisting = processes_named()
        try:
            self._prepare_dirs()
            self._start_munged(timeout)
            self._write_conf()
            self._start("slurmctld", [_which("slurmctld"), "-D", "-i"])
            self._wait_for(
                lambda: self._run(["scontrol", "ping"]).returncode == 0,
                timeout,
                "slurmctld to answer `scontrol ping`",
            )
            self._start("slurmd", [_which("slurmd"), "-D"])
            self._wait_for(self._node_idle, timeout, f"node {self.hostname} to be idle")
        except BaseException as exc:
            try:
                self.stop()
            except ClusterError as stop_error:
                exc.add_note(f"and stopping again failed: {stop_error}")
            raise

    def stop(self, timeout: float = 20.0) -> None:
        """Cancel every job, stop the daemons this object started (reverse order), remove
        the slurm.conf it wrote. Safe to call twice and after a failed :meth:`start`.

        Raises
        ------
        ClusterError
            A daemon or a job step process survived SIGKILL.
        """
        if any(d.name == "slurmctld" and d.process.poll() is None for d in self._daemons):
            self._cancel_all_jobs(timeout)
        survivors = []
        for daemon in reversed(self._daemons):
            if not _terminate(daemon.process, timeout):
                survivors.append(f"{daemon.name} (PID {daemon.process.pid})")
        self._daemons.clear()
        if self._wrote_conf:
            self.conf_path.unlink(missing_ok=True)
            self._wrote_conf = False
        # slurmd forks one slurmstepd per job; with every job cancelled they end on their
        # own, but a wedged one would keep the job's files open.
        deadline = time.monotonic() + timeout
        while self.leftover_processes() and time.monotonic() < deadline:
            time.sleep(0.2)
        leftover = self.leftover_processes()
        if survivors or leftover:
            raise ClusterError(
                f"still running after stop: {survivors or ''} {leftover or ''}".strip()
            )

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def leftover_processes(self) -> dict[int, str]:
        """SLURM/MUNGE processes running now that were not running before :meth:`start`."""
        return {
            pid: name for pid, name in processes_named().items() if pid not in self._preexisting
        }

    @property
    def started_pids(self) -> dict[str, int]:
        """PID of each daemon this object started (and has not stopped yet)."""
        return {d.name: d.process.pid for d in self._daemons}

    def log_tails(self, lines: int = 30) -> str:
        """The last lines of every daemon log, for failure messages."""
        parts = []
        for path in sorted([*self.log_dir.glob("*.log"), self.log_dir / "munged.out"]):
            if not path.exists():
                continue
            text = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"==> {path} <==\n" + "\n".join(text))
        return "\n".join(parts)

    def run(self, *args: str, timeout: float = 60.0) -> subprocess.CompletedProcess:
        """Run a SLURM client command against this cluster (``check=False``)."""
        return self._run(list(args), timeout=timeout)

    # ---------------------------------------------------------------- internals
    def _prepare_dirs(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        # munged (running as the munge user) must traverse root to reach its own folder.
        self.root.chmod(0o755)
        for sub in ("state/slurmctld", "state/slurmd", "log"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        munge = pwd.getpwnam(MUNGE_USER)
        # munged insists that everybody may reach its socket (execute permission on the
        # folder) and that nobody else may write the folder or read the key.
        self.munge_dir.mkdir(exist_ok=True)
        self.munge_dir.chmod(0o711)
        os.chown(self.munge_dir, munge.pw_uid, munge.pw_gid)

    def _start_munged(self, timeout: float) -> None:
        munge = pwd.getpwnam(MUNGE_USER)
        key = self.munge_dir / "munge.key"
        if not key.exists():
            subprocess.run(
                [_which("mungekey"), "--create", f"--keyfile={key}"],
                check=True,
                capture_output=True,
                text=True,
            )
        os.chown(key, munge.pw_uid, munge.pw_gid)
        key.chmod(0o600)
        self._start(
            "munged",
            [
                _which("munged"),
                "--foreground",
                f"--socket={self.munge_socket}",
                f"--key-file={key}",
                f"--pid-file={self.munge_dir / 'munged.pid'}",
                f"--seed-file={self.munge_dir / 'munged.seed'}",
                # munged runs as the munge user and cannot write into log/; in the
                # foreground it reports to stderr (log/munged.out) as well.
                f"--log-file={self.munge_dir / 'munged.log'}",
            ],
            user=munge.pw_uid,
            group=munge.pw_gid,
        )

        def munge_works() -> bool:
            cred = self._run([_which("munge"), "-n", f"--socket={self.munge_socket}"])
            return cred.returncode == 0 and cred.stdout.startswith("MUNGE:")

        self._wait_for(munge_works, timeout, "munged to issue a credential")

    def _write_conf(self) -> None:
        self.conf_path.parent.mkdir(parents=True, exist_ok=True)
        self.conf_path.write_text(self.slurm_conf())
        self._wrote_conf = True

    def _start(self, name: str, argv: list[str], **popen: object) -> None:
        # Not *.log: slurmctld and slurmd write their own log files as well.
        log = self.log_dir / f"{name}.out"
        with open(log, "ab") as out:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.env(),
                # Own session: a Ctrl-C meant for pytest must not kill the daemons before
                # the finalizer has cancelled the jobs and stopped them in order.
                start_new_session=True,
                **popen,
            )
        self._daemons.append(_Daemon(name, process, log))

    def _run(self, argv: list[str], timeout: float = 30.0) -> subprocess.CompletedProcess:
        return subprocess.run(
            argv, capture_output=True, text=True, env=self.env(), timeout=timeout, check=False
        )

    def _node_idle(self) -> bool:
        state = self._run(["sinfo", "--noheader", "--Node", "--format=%t", "-n", self.hostname])
        states = state.stdout.split()
        if state.returncode != 0 or not states:
            return False
        # A node that comes up "down" (e.g. after an unclean earlier run) must be resumed.
        if states[0].rstrip("*~#!%$@^-") in ("down", "drain", "drained", "fail"):
            self._run(["scontrol", "update", f"nodename={self.hostname}", "state=resume"])
            return False
        return states[0] == "idle"

    def _wait_for(self, condition, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dead = [d for d in self._daemons if d.process.poll() is not None]
            if dead:
                raise ClusterError(
                    f"{dead[0].name} exited with {dead[0].process.returncode} while waiting "
                    f"for {what}\n{self._daemon_output()}"
                )
            if condition():
                return
            time.sleep(0.25)
        raise ClusterError(
            f"timed out after {timeout:.0f} s waiting for {what}\n{self._daemon_output()}"
        )

    def _daemon_output(self) -> str:
        return self.log_tails()

    def _cancel_all_jobs(self, timeout: float) -> None:
        # Every job on this private cluster is ours to cancel.
        self._run(["scancel", "--full", "--user", pwd.getpwuid(os.geteuid()).pw_name])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            queue = self._run(
                [
                    "squeue",
                    "--noheader",
                    "--format=%i %T",
                    "--states=PENDING,RUNNING,COMPLETING,CONFIGURING",
                ]
            )
            if queue.returncode != 0 or not queue.stdout.strip():
                return
            time.sleep(0.5)


def _terminate(process: subprocess.Popen, timeout: float) -> bool:
    """SIGTERM, then SIGKILL after ``timeout`` s; True once the process has exited."""
    if process.poll() is not None:
        return True
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
        return True
    except subprocess.TimeoutExpired:
        process.kill()
    try:
        process.wait(5)
        return True
    except subprocess.TimeoutExpired:
        return False
