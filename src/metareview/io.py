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


def temporary_path(path: Path | str) -> Path:
    """The temporary file a write of ``path`` goes through: ``.<name>.tmp`` beside it.

    One fixed name per target: only one job ever writes a given output, and a write
    interrupted by SIGKILL or a power cut leaves at most this file, which the next write
    of the same target truncates and renames. So no folder is ever scanned for leftovers
    (with thousands of outputs in one folder, a scan per write made a large build
    quadratic), and a leftover never outlives the rerun of its job.
    """
    path = Path(path)
    return path.with_name(f".{path.name}.tmp")


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename).

    The file is created by ``open``, so it gets the mode any ordinary write gives
    (``0o666`` less the umask).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(path)
    try:
        with open(tmp, "wb") as fh:
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
