"""How the report prints numbers: fixed decimals and a true minus sign.

Shared by the report and by the texts other steps write for it (the claims' reasons),
so that a number reads the same wherever it is printed: ``−0.51`` with U+2212 MINUS
SIGN, as typeset text uses, not the ASCII hyphen; a value that rounds to zero at the
precision shown prints without a sign.
"""

from __future__ import annotations

__all__ = ["f2", "minus"]


def minus(text: str) -> str:
    """A formatted number with its minus as U+2212; "-0.00" is zero at its precision."""
    if text.startswith("-"):
        stripped = text[1:]
        return stripped if float(stripped) == 0 else "\u2212" + stripped
    return text


def f2(x: float | None, digits: int = 2) -> str:
    """Fixed-decimal number for the report (an en dash for missing); minus as U+2212."""
    return "\u2013" if x is None else minus(f"{x:.{digits}f}")
