"""Checks on the arguments of the public statistics functions (``escalc``, ``rma``,
``subgroups``, ``ranktest``, ``fsn``) that concern how the caller passed them rather than
the statistics, and the reading of a confidence ``level``: kept apart so that every module
taking user data can share them without importing one another."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["alpha_from_level", "check_aligned", "level_percent", "refuse_text"]


def alpha_from_level(level: float) -> float:
    """The :math:`\\alpha` of a confidence ``level``, read as metafor reads it.

    metafor (3.8-1, its internal ``.level``) takes a level of 1 or more as a percentage,
    one above 0.5 as a proportion, and one of 0.5 or less as :math:`\\alpha` itself:

    .. math::

        \\alpha = \\begin{cases}
            (100 - \\text{level}) / 100 & \\text{level} \\ge 1 \\\\
            1 - \\text{level} & 0.5 < \\text{level} < 1 \\\\
            \\text{level} & 0 < \\text{level} \\le 0.5
        \\end{cases}

    so that 95, 0.95 and 0.05 all ask for a 95% interval, the last as R users write
    ``alpha``. Read as a proportion, 0.05 would ask for a 5% interval, far narrower than
    metafor's for the same call, with no sign of it.

    Parameters
    ----------
    level
        The confidence level: a percentage in [1, 100), a proportion in (0.5, 1), or
        alpha in (0, 0.5].

    Returns
    -------
    float
        :math:`\\alpha` in (0, 1); a :math:`100(1 - \\alpha)\\%` interval.

    Raises
    ------
    ValueError
        ``level`` is not a finite number, or is 0 or less, or 100 or more (metafor reads
        0 as :math:`\\alpha = 1`, an interval of no width, and 100 as one of infinite
        width; neither is an interval anyone means to ask for).

    References
    ----------
    Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
    *Journal of Statistical Software*, 36(3), 1-48.

    Examples
    --------
    >>> alpha_from_level(95), alpha_from_level(0.95), alpha_from_level(0.05)
    (0.05, 0.050000000000000044, 0.05)
    >>> alpha_from_level(1)  # a percentage: a 1% interval
    0.99
    """
    try:
        lev = float(level)
    except (TypeError, ValueError):
        raise ValueError(f"level must be a number, such as 95 (percent), got {level!r}") from None
    if not (0.0 < lev < 100.0):
        raise ValueError(
            f"level must be a percentage in [1, 100), a proportion in (0.5, 1) or alpha in "
            f"(0, 0.5], as metafor reads it (95, 0.95 and 0.05 all ask for a 95% interval), "
            f"got {level!r}"
        )
    if lev >= 1.0:
        return (100.0 - lev) / 100.0
    return 1.0 - lev if lev > 0.5 else lev


def level_percent(level: float) -> float:
    """A confidence ``level`` as the percentage metafor reads it as.

    :math:`100(1 - \\alpha)` with :math:`\\alpha` from :func:`alpha_from_level`, so that
    95, 0.95 and 0.05 all come back as 95.0; rounded to 10 decimals so that a proportion
    (0.9) gives the same number as the percentage (90) rather than 90.00000000000001.

    Parameters
    ----------
    level
        The confidence level, in any of the forms :func:`alpha_from_level` reads.

    Returns
    -------
    float
        The level in percent, in (0, 100).

    Raises
    ------
    ValueError
        As :func:`alpha_from_level`.

    Examples
    --------
    >>> level_percent(90), level_percent(0.9), level_percent(0.1)
    (90.0, 90.0, 90.0)
    """
    return round(100.0 * (1.0 - alpha_from_level(level)), 10)


def refuse_text(x: Any, name: str, hint: str = "e.g. pandas.to_numeric(column)") -> None:
    """Refuse numbers given as text, as metafor refuses them ("not numeric").

    ``numpy.array(["0.5"], dtype=float)`` parses the strings, so a CSV column read as
    text would be fitted without a word where metafor stops on a character vector. Only
    arrays of strings or of Python objects are looked at.

    Parameters
    ----------
    x
        The argument as given (array, list, pandas Series or DataFrame).
    name
        Its name in the message.
    hint
        What to do instead, ending the message.

    Raises
    ------
    ValueError
        ``x`` holds a string.
    """
    import numpy as np  # lazily: this module is imported by jobs that need no numpy

    try:
        raw = x if isinstance(x, np.ndarray) else np.asarray(x)
    except (TypeError, ValueError):  # ragged, or no array: the caller's conversion says so
        return
    kind = raw.dtype.kind
    if kind in "biufc" or raw.size == 0:  # numbers: the usual case, at numpy's speed
        return
    text = (str, bytes)  # numpy's str_ and bytes_ are subclasses
    if kind == "O" and not any(isinstance(e, text) for e in raw.ravel()):
        return
    # Named from the data as given: numpy turns [0.5, "1"] into strings throughout.
    given = x.ravel() if isinstance(x, np.ndarray) else np.asarray(x, dtype=object).ravel()
    first = next((e for e in given if isinstance(e, text)), raw.ravel()[0])
    first = first.decode(errors="replace") if isinstance(first, bytes) else str(first)
    raise ValueError(
        f"{name} is not numeric: it holds text ({first!r}); convert it to numbers first, {hint}"
    )


def check_aligned(arguments: Mapping[str, Any], caller: str) -> None:
    """Refuse pandas arguments whose indexes differ.

    The statistics pair the i-th value of every argument with the i-th of the others, by
    position. pandas pairs by label, so a user who passes ``df1.yi`` and ``df2.vi`` (or a
    ``vi`` sorted differently from ``yi``) expects label alignment and would otherwise get
    a fit of mismatched studies with no sign of it. Arguments without an ``index`` (lists,
    numpy arrays, scalars) cannot be checked and are skipped; a mapping's values (a
    ``mods`` dict of Series) are checked as ``name[key]``. escalc's ``EffectSizes`` and a
    fit (``RMAResult``) keep the index of the pandas data they were made from as
    ``index`` (None without one), so an argument given later is checked against it when
    they are passed here too. The message's advice fits how the indexes differ: the same
    labels in another order are aligned by ``reindex``; other labels (a Series with the
    default 0..k-1 index beside data indexed by study names), which ``reindex`` would
    turn into NaN, are passed by position (``.to_numpy()``) if they are in that order.

    Parameters
    ----------
    arguments
        Argument name -> value, as the caller received them.
    caller
        The public function's name, for the message.

    Raises
    ------
    ValueError
        Two arguments have pandas indexes that are not equal (same labels, same order).
    """
    first: tuple[str, Any] | None = None
    for name, value in _pandas_like(arguments):
        index = value.index
        if first is None:
            first = (name, index)
        elif not index.equals(first[1]):
            raise ValueError(
                f"{caller}: {first[0]} and {name} have different indexes "
                f"({_show(first[1])} vs {_show(index)}); values are paired by position, not "
                f"by label{_hint(first[0], first[1], name, index)}"
            )


def _hint(first: str, first_index: Any, name: str, index: Any) -> str:
    """What to do about two indexes that differ, fitted to how they differ (the end of
    :func:`check_aligned`'s message, from its first punctuation).

    The same labels in another order: reindexing pairs them. Other labels (a Series with
    the default 0..k-1 beside data indexed by study names, or of another length):
    ``reindex`` would give NaN for every label the first lacks, so the hint is to pass
    the values by position, which is right only if they are in the first's order.
    """
    n, m = len(first_index), len(index)
    same_labels = (
        n == m and first_index.is_unique and index.is_unique and set(first_index) == set(index)
    )
    if same_labels:
        return (
            f", so align them first (e.g. {name}.reindex({first}.index)) or pass plain arrays "
            "(.to_numpy())"
        )
    counts = f"{name} has {m} values for {first}'s {n}; " if n != m else ""
    known = set(first_index)
    foreign = [label for label in index if label not in known]
    if not foreign:  # fewer of the same labels, or some twice
        return (
            f"; {counts}{name}'s labels are among {first}'s but are not each of them once: "
            f"give one value for each label of {first}'s index, in its order"
        )
    shown = repr(foreign[:3])[:-1] + (", ...]" if len(foreign) > 3 else "]")
    return (
        f"; {counts}{name} has labels that {first}'s index lacks ({shown}), so reindexing "
        f"it would give NaN there: if its values are in {first}'s order, pass them as a "
        f"plain array ({name}.to_numpy()) or give {name} that index "
        f"({name}.set_axis({first}.index)); otherwise give its values {first}'s labels first"
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
