"""How the report prints numbers and apostrophes: fixed decimals, a true minus sign,
typographic apostrophes.

Shared by the report and by the texts other steps write for it (the claims' reasons),
so that a number reads the same wherever it is printed: ``−0.51`` with U+2212 MINUS
SIGN, as typeset text uses, not the ASCII hyphen; a value that rounds to zero at the
precision shown prints without a sign.
"""

from __future__ import annotations

__all__ = ["apostrophes", "f2", "minus"]


def minus(text: str) -> str:
    """A formatted number with its minus as U+2212; "-0.00" is zero at its precision."""
    if text.startswith("-"):
        stripped = text[1:]
        return stripped if float(stripped) == 0 else "\u2212" + stripped
    return text


def f2(x: float | None, digits: int = 2) -> str:
    """Fixed-decimal number for the report (an en dash for missing); minus as U+2212."""
    return "\u2013" if x is None else minus(f"{x:.{digits}f}")


def apostrophes(text: str) -> str:
    """``text`` with its apostrophes as U+2019, the typographic one.

    An apostrophe between two letters (review's, O'Brien), or after a word ending in "s"
    and before a space and a letter (Hedges' g, the arms' means) while no single quote
    is open before it: left straight (and, in the report's Markdown, escaped), it would
    print straight beside the curly ones of the report's own words; U+2019 means nothing
    to Markdown or Typst. Any other single quote (one of a pair quoting words, one beside
    a digit) stays straight.
    """
    if "'" not in text:
        return text
    chars = list(text)
    open_quotes = 0
    for i, ch in enumerate(chars):
        if ch != "'":
            continue
        before = chars[i - 1] if i else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        plural = (before == "s" and after == " " and i + 2 < len(chars) and chars[i + 2].isalpha()
                  and open_quotes % 2 == 0)
        if (before.isalpha() and after.isalpha()) or plural:
            chars[i] = "\u2019"
        else:
            open_quotes += 1
    return "".join(chars)
