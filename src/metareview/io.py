"""Reading and writing the pipeline's intermediate files.

Every write is atomic (a temporary file in the same folder, then :func:`os.replace`), so an
interrupted build never leaves a half-written file that a later run would trust, and
every output is deterministic: JSON keeps insertion order with Python's shortest
round-trip float repr, CSV uses a fixed float format, and nothing embeds a timestamp.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any


def _clean(value: Any) -> Any:
    """Replace NaN and infinities (not valid JSON) by None, recursively; numpy to Python."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _clean(value.tolist())
    return value


def _current_umask() -> int:
    """The process umask, read without changing it where the system allows.

    ``os.umask`` can only be read by setting it, which races with other threads creating
    files (Snakemake runs ``run:`` jobs as threads), so Linux's ``/proc`` is read first.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_stale_temporaries(path: Path | str) -> None:
    """Delete temporary files an interrupted write of ``path`` left behind.

    A process killed between creating its temporary file and renaming it (SIGKILL, a
    power cut) cannot clean up. Only one job ever writes a given output, so any
    ``.<name>.*.tmp`` beside it is a leftover of an earlier, dead attempt.
    """
    path = Path(path)
    for leftover in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
        try:
            leftover.unlink()
        except (FileNotFoundError, IsADirectoryError, PermissionError):
            pass


def glob_escape(name: str) -> str:
    """``name`` with glob metacharacters escaped."""
    import glob

    return glob.escape(name)


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename).

    The file gets the mode an ordinary ``open(path, "w")`` would give (``0o666`` less the
    umask): :func:`tempfile.mkstemp` creates it ``0o600``, which would leave results
    unreadable to anyone but their owner.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), 0o666 & ~_current_umask())
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write UTF-8 text atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def dumps_json(value: Any) -> str:
    """Deterministic JSON text (no NaN; trailing newline)."""
    return json.dumps(_clean(value), indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(path: Path | str, value: Any) -> None:
    """Write ``value`` as deterministic JSON, atomically."""
    write_text_atomic(path, dumps_json(value))


def read_json(path: Path | str) -> Any:
    """Read a JSON file."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def format_float(x: Any, digits: int = 10) -> str:
    """Fixed float format for CSV outputs: ``digits`` significant digits, empty for None/NaN."""
    if x is None:
        return ""
    if isinstance(x, float):
        if not math.isfinite(x):
            return ""
        return f"{x:.{digits}g}"
    return str(x)


def write_csv(path: Path | str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a CSV with fixed float formatting, atomically."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([format_float(v) for v in row])
    write_text_atomic(path, buf.getvalue())


def sha256_file(path: Path | str) -> str:
    """SHA-256 hex digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()
