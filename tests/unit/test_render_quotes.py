"""The offline renderer's one edit of pandoc's Typst output: an apostrophe or closing
quote after a bracket written as U+2019, in markup only."""

from __future__ import annotations

from pathlib import Path

from metareview.render import close_quotes_after_brackets


def test_a_quote_after_a_bracket_is_written_as_the_character_in_markup_only(tmp_path: Path) -> None:
    typ = tmp_path / "r.typ"
    typ.write_text(
        "Text (a)'s, [d]' and \\'(e)\\' here, \u2018GAD-7 >= 10' and the 1990's; a prime typed 5\\'.\n"
        "Inline code #mr-code(\"split(']')\"); maths $f \\( x \\)'$ and a dollar \\$ (b)'s \\$.\n"
        "```\nx = f(a)'\n```\n"
        "#let s = \"(raw)'\"\n"
        "// a comment (c)'\n",
        encoding="utf-8",
    )
    close_quotes_after_brackets(typ)
    assert typ.read_text(encoding="utf-8") == (
        "Text (a)\u2019s, [d]\u2019 and \\'(e)\\' here, \u2018GAD-7 >= 10\u2019 and the 1990\u2019s; a prime typed 5\\'.\n"
        "Inline code #mr-code(\"split(']')\"); maths $f \\( x \\)'$ and a dollar \\$ (b)\u2019s \\$.\n"
        "```\nx = f(a)'\n```\n"
        "#let s = \"(raw)'\"\n"
        "// a comment (c)'\n"
    )


def test_a_file_without_such_quotes_is_left_untouched(tmp_path: Path) -> None:
    typ = tmp_path / "r.typ"
    typ.write_text("It's (a) 'quoted'.\n", encoding="utf-8")
    before = typ.stat().st_mtime_ns
    close_quotes_after_brackets(typ)
    assert typ.read_text(encoding="utf-8") == "It's (a) 'quoted'.\n" and typ.stat().st_mtime_ns == before
