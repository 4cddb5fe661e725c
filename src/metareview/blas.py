"""One BLAS kernel on every x86-64 machine, so that no number depends on the CPU.

numpy hands its dot and matrix products (``w @ y`` in :mod:`metareview.pool`) to OpenBLAS,
which picks its kernels for the CPU it runs on: AVX2 ones on a Haswell, AVX-512 ones on a
Skylake-X or newer. They add the terms in different orders, so a sum can differ in its last
bit, and so can what is computed from it: the example's Q-profile upper bound of tau^2 for
acupuncture versus sham on disability was 7.33757136454908 on one kernel and
7.337571364549079 on the other, and the build's JSON files, written at full precision,
differed from one machine to the next.

OpenBLAS reads ``OPENBLAS_CORETYPE`` once, when numpy loads it: the workflow sets it to
:data:`CORETYPE` for itself and for the Snakemake it starts (:func:`blas_environment`,
:func:`pin_blas_kernel`). Nehalem's kernels (SSE4.2) run on every x86-64 CPU numpy 2 runs
on, whose baseline is the same instruction set; the vectors of a review are short enough
that wider kernels would save nothing measurable. Other architectures (ARM, or macOS's
Accelerate) have kernels of their own, which this does not pin: builds compare byte for byte
on one architecture.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Mapping, MutableMapping
from pathlib import Path

#: The environment variable OpenBLAS reads its kernel from (builds with ``DYNAMIC_ARCH``,
#: as numpy's and scipy's wheels are).
VARIABLE = "OPENBLAS_CORETYPE"
#: The kernel every x86-64 build uses (see the module's documentation).
CORETYPE = "Nehalem"
#: Where a build that computes with an unpinned kernel says so, beside Snakemake's logs: the
#: outputs its jobs wrote may differ in their last digits from a pinned build's, and an audit
#: that finds such a difference names this record as a likely cause. ``make clean`` removes
#: it with the outputs it speaks of.
UNPINNED_LOG = "logs/unpinned-blas.log"
#: What :func:`platform.machine` calls x86-64 on Linux, macOS and Windows.
X86_64 = frozenset({"x86_64", "amd64", "AMD64"})


def blas_environment(env: Mapping[str, str] | None = None, machine: str | None = None) -> dict[str, str]:
    """``env`` (default: this process's) with OpenBLAS's kernel pinned on x86-64.

    Parameters
    ----------
    env
        The environment of a process about to be started.
    machine
        The CPU architecture, as :func:`platform.machine` names it (default: this one's).

    Returns
    -------
    dict
        A copy of ``env`` with :data:`VARIABLE` set to :data:`CORETYPE` on x86-64 (a value
        already there is replaced: it would make the numbers the machine's again), and
        unchanged on any other architecture.
    """
    out = dict(os.environ if env is None else env)
    if (platform.machine() if machine is None else machine) in X86_64:
        out[VARIABLE] = CORETYPE
    return out


def pin_blas_kernel(
    environ: MutableMapping[str, str] | None = None,
    modules: Mapping[str, object] | None = None,
    machine: str | None = None,
) -> str | None:
    """Pin OpenBLAS's kernel for this process and the processes it starts.

    Setting :data:`VARIABLE` works only before numpy is first imported (OpenBLAS reads it
    when it loads); Snakemake imports numpy at start when pandas is installed, which is why
    ``make report`` also sets it for the Snakemake it starts. Too late for this process,
    it is set all the same for the processes it starts: a cluster's jobs, each a Snakemake
    of its own that imports pandas with the executor plugin, inherit it, and compute with
    the pinned kernel on whichever node runs them.

    Parameters
    ----------
    environ
        The environment to set it in (default: ``os.environ``).
    modules
        The modules imported so far (default: ``sys.modules``).
    machine
        The CPU architecture (default: this one's).

    Returns
    -------
    str or None
        ``None`` when the kernel is pinned (or the architecture is not x86-64); otherwise
        a sentence saying that numpy was loaded with another kernel and what follows for
        the jobs this process runs itself.
    """
    environ = os.environ if environ is None else environ
    modules = sys.modules if modules is None else modules
    wanted = blas_environment({}, machine).get(VARIABLE)
    if wanted is None or environ.get(VARIABLE) == wanted:
        return None
    if "numpy" in modules:
        found = environ.get(VARIABLE)
        environ[VARIABLE] = wanted
        kernel = f"{VARIABLE}={found}" if found else "the kernels OpenBLAS chose for this CPU"
        return (f"numpy was loaded before OpenBLAS's kernel could be pinned, with {kernel}: the "
                f"last digits of some numbers may differ from a build on another CPU (start the "
                f"build with `make report`, or set {VARIABLE}={wanted})")
    environ[VARIABLE] = wanted
    return None


def record_unpinned(root: str | Path, note: str, when: str) -> Path:
    """Append to :data:`UNPINNED_LOG` under ``root`` that a build ran with an unpinned kernel.

    A record of builds, not of outputs: the log does not say which outputs the build's jobs
    rewrote, so an audit can only name it as a likely cause of a difference in the last
    digits, never prove it.

    Parameters
    ----------
    root
        The workflow's folder (the checkout).
    note
        What :func:`pin_blas_kernel` said.
    when
        The build's start, as the line should show it (e.g. ISO 8601).

    Returns
    -------
    pathlib.Path
        The log's path.
    """
    path = Path(root) / UNPINNED_LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(f"{when}\t{note}\n")
    return path


def unpinned_builds(root: str | Path) -> list[str]:
    """The start times of the builds :func:`record_unpinned` recorded under ``root``, oldest first.

    >>> unpinned_builds("/nonexistent")
    []
    """
    path = Path(root) / UNPINNED_LOG
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [line.split("\t", 1)[0] for line in lines if line.strip()]
