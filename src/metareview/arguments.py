"""Checks on the arguments of the public statistics functions (``escalc``, ``rma``,
``subgroups``, ``ranktest``, ``fsn``) that concern how the caller passed them rather than
the statistics: kept apart so that every module taking user data can share them without
importing one another."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["check_aligned"]


def check_aligned(arguments: Mapping[str, Any], caller: str) -> None:
    """Refuse pandas arguments whose indexes differ.

    The statistics pair the i-th value of every argument with the i-th of the others, by
    position. pandas pairs by label, so a user who passes ``df1.yi`` and ``df2.vi`` (or a
    ``vi`` sorted differently from ``yi``) expects label alignment and would otherwise get
    a fit of mismatched studies with no sign of it. Arguments without an ``index`` (lists,
    numpy arrays, scalars) cannot be checked and are skipped; a mapping's values (a
    ``mods`` dict of Series) are checked as ``name[key]``.

    Parameters
    ----------
    arguments
        Argument name -> value, as the caller received them.
    caller
        The public function's name, for the message.

    Raises
    ------
    ValueError
        Two pandas arguments have indexes that are not equal (same labels, same order).
    """
    first: tuple[str, Any] | None = None
    for name, value in _pandas_like(arguments):
        index = value.index
        if first is None:
            first = (name, index)
        elif not index.equals(first[1]):
            raise ValueError(
                f"{caller}: {first[0]} and {name} are pandas objects with different indexes "
                f"({_show(first[1])} vs {_show(index)}); values are paired by position, not "
                f"by label, so align them first (e.g. {name}.reindex({first[0]}.index)) or "
                "pass plain arrays (.to_numpy())"
            )


def _pandas_like(arguments: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """(name, value) for the values with a pandas-style index (``.index.equals``); a list's
    ``index`` is a method and has no ``equals``."""
    for name, value in arguments.items():
        if hasattr(getattr(value, "index", None), "equals"):
            yield name, value
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if hasattr(getattr(item, "index", None), "equals"):
                    yield f"{name}[{key!r}]", item


def _show(index: Any) -> str:
    """The first five labels of an index, for a message."""
    labels = repr(list(index[:5]))
    return labels[:-1] + ", ...]" if len(index) > 5 else labels
