"""Render the report (``.qmd``) to one self-contained HTML file and one PDF.

Two paths give the same document:

``quarto``
    When the Quarto CLI is on ``PATH``: ``quarto render --to html`` and
    ``quarto render --to typst`` with the settings of the report's front matter,
    the same as ``reports/_quarto.yml``'s (self-contained HTML, MathML,
    ``engine: markdown``, the offline template's A4 pages and heading levels).
    Quarto does not run the offline path's filter or templates (see "Rendering
    with the real Quarto CLI" in ``docs/operations.md``).
``pandoc+typst``
    The offline path, from two PyPI wheels: pandoc (``pypandoc-binary``) reads
    the Markdown with ``reports/render/quarto-compat.lua``, a filter that numbers
    figures and tables, resolves ``@fig-x``/``@tbl-x``, draws callouts as
    Quarto does and embeds images as data URIs; it writes a self-contained HTML
    (``template.html``, which includes ``report.css``) and a ``.typ`` file
    (``template.typst``), which the Typst compiler (``typst``) turns into the PDF.

The ``.qmd`` must keep to what both read alike (``/work/shared/RENDERING.md``):
Markdown with YAML front matter and no executable cells, pipe tables with
``: Caption {#tbl-x}``, figures ``![Caption](figures/x.svg){#fig-x}`` alone in a
paragraph, ``@fig-x``/``@tbl-x``, ``::: {.callout-warning title="..."}``,
footnotes, MathML-able maths, raw Typst blocks for page breaks. Images are
referenced relative to the ``.qmd``'s folder; SVG is the best format for both
outputs (vector in the HTML and in the PDF; Typst draws SVG natively).

Both paths are strict. pandoc runs with ``--fail-if-warnings`` (a missing image
or an unresolved cross-reference is an error, not a warning) and raw HTML/TeX
disabled; Typst warnings are errors too, and so is CJK text without a CJK font.
Outputs are written to a temporary folder inside ``out_dir`` and moved into
place only when both succeeded; on failure :class:`RenderError` carries
pandoc's or Typst's message and nothing is left behind (a tool stopped by Ctrl-C raises
:class:`RenderInterrupted`, saying so). Two renders of the same input give byte-identical files: the PDF
creation date is ``source_date_epoch`` (or ``SOURCE_DATE_EPOCH``), or absent.

Fonts (offline path): Typst sees its embedded fonts (Libertinus Serif for the
text, DejaVu Sans Mono for code, New Computer Modern for maths), matplotlib's
font folder (DejaVu Sans, in which the SVG figures' labels are set) and, only
when the report or its SVG figures hold Chinese, Japanese or Korean text, the
CJK font files (Noto CJK, Source Han) found under ``/usr/share/fonts`` and
``/usr/local/share/fonts``. No other installed font is seen, so a PDF does not
change with the fonts of the machine that made it (Debian's own DejaVu Sans used
to replace matplotlib's in the figures). CJK text with no CJK font installed is
an error (it would print as empty boxes): install Debian ``fonts-noto-cjk``.

Only the standard library is imported here; ``pypandoc`` and ``typst`` are
imported when the offline path is used.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "FORMAT_OPTIONS",
    "PANDOC_RTS_OPTIONS",
    "PDF_STANDARDS",
    "RenderError",
    "RenderInterrupted",
    "RenderedReport",
    "Renderer",
    "cjk_font_files",
    "contains_cjk",
    "detect_renderer",
    "font_folders",
    "format_arguments",
    "front_matter",
    "matplotlib_font_dir",
    "pandoc_commands",
    "pdf_standards",
    "publish_report",
    "quarto_commands",
    "render_report",
]

#: Folder with the offline path's filter, templates and style sheet.
SUPPORT_DIR = Path(__file__).resolve().parents[2] / "reports" / "render"

#: Folders searched for CJK fonts (Debian's fonts-noto-cjk installs into
#: /usr/share/fonts/opentype/noto). Only the CJK font files found there are given
#: to Typst, and only when the report holds CJK text; every other font there is
#: ignored, so that the PDF does not depend on what a machine has installed.
DEFAULT_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))

#: CJK fallbacks, in order, used when installed: serif to match the body text.
#: Typst falls back along this list glyph by glyph; a glyph no listed font has
#: would otherwise print as an empty box, silently.
CJK_FAMILIES = (
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "Source Han Serif SC",
    "Source Han Sans SC",
)

#: File names of the fonts that can hold CJK_FAMILIES (Noto CJK: NotoSerifCJK-Regular.ttc,
#: NotoSansCJKsc-Regular.otf; Adobe: SourceHanSerif-Regular.ttc, SourceHanSansSC-Bold.otf).
_CJK_FONT_FILE = re.compile(r"(?i)(?:CJK|SourceHan).*\.(?:ttc|otc|otf|ttf)$")

#: Han, kana, Hangul, their punctuation and full-width forms: text no font of the
#: default set (Typst's embedded fonts and matplotlib's) can show.
_CJK_TEXT = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u2ff0-\u303f\u3040-\u31ff\u3200-\u9fff"
    "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003ffff]"
)

#: pandoc 3.2 added pandoc.log.warn (the filter's errors) and the Figure element.
MIN_PANDOC = (3, 2)

_READER = "markdown-raw_html-raw_tex"

#: Options for the runtime of pandoc (a Haskell program) that leave its output as it is:
#: no major garbage collection before the old generation holds 128 MB. By default pandoc
#: collected it every few megabytes of the example report's 2 GB of short-lived
#: allocations: garbage collection took 40% of each run, and this takes 10-15% off each
#: (16% off a report eight times as long, whose memory it does not raise). Given only
#: to a pandoc that accepts them (:func:`detect_renderer` asks): one built without
#: ``-rtsopts`` refuses any.
PANDOC_RTS_OPTIONS = ("+RTS", "-O128m", "-RTS")


class RenderError(RuntimeError):
    """Rendering failed; the message holds pandoc's, Typst's or Quarto's output."""


class RenderInterrupted(RenderError):
    """pandoc or Quarto was stopped by Ctrl-C (SIGINT), SIGTERM or SIGHUP."""


@dataclass(frozen=True)
class Renderer:
    """A way to render the report, as found by :func:`detect_renderer`.

    Attributes
    ----------
    name
        ``"quarto"`` or ``"pandoc+typst"``.
    description
        For the report's colophon, e.g. ``"pandoc 3.9 + Typst 0.15.1 (offline path)"``.
    versions
        Tool versions, e.g. ``{"pandoc": "3.9", "typst": "0.15.1"}``.
    executable
        The ``quarto`` or ``pandoc`` binary used.
    pandoc_rts
        Options for pandoc's runtime, given before its own (:data:`PANDOC_RTS_OPTIONS`
        when this pandoc accepts them, else none).
    """

    name: str
    description: str
    versions: Mapping[str, str] = field(default_factory=dict, hash=False)
    executable: str = ""
    pandoc_rts: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderedReport:
    """Paths of the rendered files, the renderer that made them, and the PDF standards
    Typst checked the PDF against on the offline path (:func:`pdf_standards`)."""

    html: Path
    pdf: Path
    renderer: Renderer
    standards: tuple[str, ...] = ()


def _run(
    cmd: Sequence[str], *, what: str, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        proc = subprocess.run(
            list(cmd), capture_output=True, text=True, cwd=cwd, env=env, check=False
        )
    except OSError as exc:
        raise RenderError(f"{what}: could not run {cmd[0]}: {exc}") from exc
    if proc.returncode < 0:
        # Killed by a signal: Ctrl-C reaches the whole process group, the child included.
        # Said as what it is rather than as a failure of the tool, with no output to show.
        name = _signal_name(-proc.returncode)
        if -proc.returncode in _INTERRUPTS:
            raise RenderInterrupted(f"{what} was interrupted ({name})")
        raise RenderError(f"{what} was killed by {name}")
    if proc.returncode != 0:
        message = proc.stderr.strip() or proc.stdout.strip() or "(no output)"
        raise RenderError(f"{what} failed (exit {proc.returncode}):\n{message}")
    return proc


def pandoc_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment pandoc runs in: ``env`` (default: this process's), its locale's
    character type made UTF-8 (``LC_ALL=C.UTF-8``) when it is not.

    pandoc (GHC's runtime) encodes the file names it opens, such as the template's, in the
    locale's character set: in the C or POSIX locale (``LC_ALL=C``, or no ``LANG`` at all,
    as in most containers) that is ASCII, and a checkout under ``/home/jürgen/`` failed with
    "withBinaryFile: invalid argument (cannot encode character '\\65533')". The locale
    moves nothing else pandoc writes: it reads and writes documents in UTF-8 whatever the
    locale, so the report stays byte-identical. A locale already UTF-8 (``en_GB.UTF-8``,
    ``C.utf8``, macOS's ``LC_CTYPE=UTF-8``) is left as it is: a system may lack ``C.UTF-8``.

    The locale in force is the first non-empty of ``LC_ALL``, ``LC_CTYPE`` and ``LANG``
    (POSIX, XBD 8.2), ``C`` when all are empty.
    """
    env = dict(os.environ if env is None else env)
    ctype = next((env[k] for k in ("LC_ALL", "LC_CTYPE", "LANG") if env.get(k)), "C")
    codeset = ctype.partition("@")[0].rpartition(".")[2]  # the whole name if it has no "."
    if codeset.lower().replace("-", "") != "utf8":
        env["LC_ALL"] = "C.UTF-8"
    return env


#: Signals that stop a child because someone asked: Ctrl-C, a terminal closed, `kill`.
_INTERRUPTS = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _quarto_renderer() -> Renderer | None:
    quarto = shutil.which("quarto")
    if quarto is None:
        return None
    version = _run([quarto, "--version"], what="quarto --version").stdout.strip()
    return Renderer(
        name="quarto",
        description=f"Quarto {version}",
        versions={"quarto": version},
        executable=quarto,
    )


def _pandoc_typst_renderer() -> Renderer:
    try:
        import pypandoc
        import typst
    except ImportError as exc:
        raise RenderError(
            "the offline renderer needs the wheels pypandoc-binary and typst "
            "(pip install 'metareview[workflow]'), or install Quarto: "
            f"{exc}"
        ) from exc
    try:
        pandoc = pypandoc.get_pandoc_path()
    except OSError as exc:
        raise RenderError(f"pandoc not found by pypandoc: {exc}") from exc
    rts, version = _pandoc_version(pandoc)
    first_line = version.splitlines()[0]
    match = re.match(r"pandoc\S*\s+([0-9][0-9.]*)", first_line)
    if match is None:
        raise RenderError(f"cannot read pandoc's version from {first_line!r}")
    pandoc_version = match.group(1)
    if tuple(int(p) for p in pandoc_version.split(".")[:2]) < MIN_PANDOC:
        raise RenderError(
            f"{pandoc} is pandoc {pandoc_version}; the offline renderer needs pandoc >= "
            f"{'.'.join(map(str, MIN_PANDOC))} (pip install -U pypandoc-binary)"
        )
    # A compiler without fonts starts in a millisecond (with Typst's embedded ones, about
    # 60): this runs on every render, and again for the report's provenance.
    no_fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[])
    typst_version = json.loads(
        typst.Compiler(font_paths=no_fonts).eval("str(sys.version)", format="json")
    )
    return Renderer(
        name="pandoc+typst",
        description=f"pandoc {pandoc_version} + Typst {typst_version} (offline path)",
        versions={"pandoc": pandoc_version, "typst": typst_version},
        executable=pandoc,
        pandoc_rts=rts,
    )


def _pandoc_version(pandoc: str) -> tuple[tuple[str, ...], str]:
    """The runtime options ``pandoc`` accepts (:data:`PANDOC_RTS_OPTIONS` or none) and
    its ``--version`` output, asked with the options first: one run where they are
    accepted, as the bundled pandoc does."""
    try:
        proc = subprocess.run(
            [pandoc, *PANDOC_RTS_OPTIONS, "--version"], capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise RenderError(f"pandoc --version: could not run {pandoc}: {exc}") from exc
    if proc.returncode == 0 and proc.stdout.strip():
        return PANDOC_RTS_OPTIONS, proc.stdout
    return (), _run([pandoc, "--version"], what="pandoc --version").stdout


def detect_renderer(prefer: str = "auto") -> Renderer:
    """Choose how to render: Quarto when installed, else pandoc + Typst.

    Parameters
    ----------
    prefer
        ``"auto"`` (Quarto if ``quarto`` is on ``PATH``, otherwise the offline
        path), ``"quarto"`` (fail if absent) or ``"pandoc"`` (always offline).

    Returns
    -------
    Renderer

    Raises
    ------
    RenderError
        If the requested renderer is unavailable, with how to install it.
    """
    if prefer not in ("auto", "quarto", "pandoc"):
        raise ValueError(f"prefer must be 'auto', 'quarto' or 'pandoc', got {prefer!r}")
    if prefer in ("auto", "quarto"):
        found = _quarto_renderer()
        if found is not None:
            return found
        if prefer == "quarto":
            raise RenderError(
                "the Quarto CLI is not on PATH; install it (https://quarto.org, or "
                "pip install quarto-cli) or render with the offline path (prefer='pandoc')"
            )
    return _pandoc_typst_renderer()


def _source_date_epoch(value: int | None) -> int | None:
    if value is None:
        env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if not env:
            return None
        try:
            value = int(env)
        except ValueError:
            raise RenderError(f"SOURCE_DATE_EPOCH must be an integer, got {env!r}") from None
    if value < 0:
        raise RenderError(f"source_date_epoch must be >= 0, got {value}")
    return value


# --- offline path: pandoc + Typst ---------------------------------------------------


#: Quarto format options the offline path honours, read from the front matter
#: (top level, or under ``format: html:`` / ``format: typst:``): they are pandoc
#: command-line options, which metadata alone does not set.
FORMAT_OPTIONS = ("toc", "toc-depth", "number-sections")


#: The values ``format: typst: pdf-standard`` may take: the standards Typst checks the PDF
#: against as it writes it (its ``--pdf-standard``; Quarto 1.9 and later pass the key on).
PDF_STANDARDS = (
    "1.4", "1.5", "1.6", "1.7", "2.0",
    "a-1b", "a-1a", "a-2b", "a-2u", "a-2a", "a-3b", "a-3u", "a-3a", "a-4", "a-4f", "a-4e",
    "ua-1",
)  # fmt: skip


def _quarto_standard(value: object) -> object:
    """A value of ``pdf-standard`` as Quarto hands it to Typst (``output-typst.ts``,
    normalizePdfStandardForTypst): a number as text, YAML's ``2`` as ``"2.0"``; a name in
    lower case without a leading "PDF", "PDF/" or "PDF-" (``PDF/UA-1`` is ``ua-1``)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"{value}.0"
    if isinstance(value, float):
        return str(value)
    if isinstance(value, str):
        return re.sub(r"^pdf[/-]?", "", value.lower())
    return value


def pdf_standards(meta: Mapping, source: object = "the front matter") -> list[str]:
    """The PDF standards ``pdf-standard`` asks for (one value or a list), or none:
    under ``format: typst:``, else at the front matter's top level, as Quarto reads it.

    Typst refuses to write a PDF that breaks one of them (PDF/UA-1: a figure without
    alternative text, a document without a title), so a declared standard is checked on
    every render rather than claimed. Values are read as Quarto reads them
    (``PDF/UA-1``, ``UA-1`` and ``ua-1`` alike; see :func:`_quarto_standard`), so that
    a front matter written for Quarto asks both renderers for the same standards.

    Raises
    ------
    RenderError
        A value Typst does not know, named with ``source`` and the values it takes
        (Quarto warns and leaves it out; here it is an error, as a typo would otherwise
        drop a standard unseen).
    """
    formats = meta.get("format")
    typst = formats.get("typst") if isinstance(formats, Mapping) else None
    value = typst.get("pdf-standard") if isinstance(typst, Mapping) else None
    if value is None:
        value = meta.get("pdf-standard")
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    wanted = [_quarto_standard(v) for v in values]
    wrong = [v for v, w in zip(values, wanted) if w not in PDF_STANDARDS]
    if wrong:
        raise RenderError(
            f"{source}: format: typst: pdf-standard: {', '.join(map(repr, wrong))} is not a PDF "
            f"standard Typst writes; expected one or a list of {', '.join(PDF_STANDARDS)}"
        )
    return [str(w) for w in wanted]


def front_matter(qmd: Path) -> dict:
    """The YAML front matter of ``qmd`` (empty if there is none)."""
    text = qmd.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            break
    else:
        raise RenderError(f"{qmd}: the YAML front matter opened on line 1 is never closed")
    import yaml

    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise RenderError(f"{qmd}: invalid YAML front matter: {exc}") from exc
    if not isinstance(meta, dict):
        raise RenderError(f"{qmd}: the front matter must be a YAML mapping")
    return meta


def format_arguments(meta: Mapping, to: str) -> list[str]:
    """pandoc options for ``to`` (``"html"`` or ``"typst"``) from Quarto-style metadata.

    ``format: {html: {toc: true}}`` in a ``.qmd`` gives Quarto's HTML a table of
    contents; pandoc needs ``--toc`` for the same, and ignores ``format:``.
    """
    options = {key: meta[key] for key in FORMAT_OPTIONS if key in meta}
    formats = meta.get("format")
    if isinstance(formats, Mapping) and isinstance(formats.get(to), Mapping):
        specific = formats[to]
        options.update({key: specific[key] for key in FORMAT_OPTIONS if key in specific})
    args = []
    if options.get("toc") is True:
        args.append("--toc")
    depth = options.get("toc-depth")
    if depth is not None:
        if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= 6:
            raise RenderError(f"toc-depth must be an integer from 1 to 6, got {depth!r}")
        args += ["--toc-depth", str(depth)]
    if options.get("number-sections") is True:
        args.append("--number-sections")
    return args


def pandoc_commands(
    pandoc: str,
    qmd: Path,
    html: Path,
    typ: Path,
    meta: Mapping | None = None,
    rts: Sequence[str] = (),
) -> list[list[str]]:
    """The two pandoc calls of the offline path (HTML, then Typst source).

    ``meta`` is the front matter (see :func:`front_matter`), for the few Quarto
    format options that are pandoc command-line options; ``rts`` are options for
    pandoc's runtime (:attr:`Renderer.pandoc_rts`).
    """
    meta = meta or {}
    common = [
        pandoc,
        *rts,
        str(qmd),
        "--from",
        _READER,
        "--standalone",
        "--lua-filter",
        str(SUPPORT_DIR / "quarto-compat.lua"),
        "--resource-path",
        str(qmd.parent),
        # pandoc's user data folder (~/.local/share/pandoc) would otherwise lend the
        # report a user's translations and defaults: a translations file without the
        # term "Abstract" failed the build (a warning, made an error below). This folder
        # holds none of pandoc's data folders, so pandoc uses its built-in data.
        "--data-dir",
        str(SUPPORT_DIR),
        "--fail-if-warnings",
    ]
    return [
        [
            *common,
            "--to",
            "html5",
            # No --embed-resources: the template includes report.css and the
            # filter writes images as data URIs. pandoc's option re-parsed the
            # whole written page to find them, a third of a long report's time.
            "--mathml",
            "--template",
            str(SUPPORT_DIR / "template.html"),
            *format_arguments(meta, "html"),
            "--output",
            str(html),
        ],
        [
            *common,
            "--to",
            "typst",
            # Typst reads "-", "+", "=" or "1." at a line start as markup, and
            # typesets "-1.10" with a minus sign but "\-1.10" with a hyphen:
            # source lines wrapped at arbitrary spaces would make both depend on
            # where the wrap fell.
            "--wrap",
            "none",
            "--template",
            str(SUPPORT_DIR / "template.typst"),
            *format_arguments(meta, "typst"),
            "--output",
            str(typ),
        ],
    ]


def matplotlib_font_dir() -> Path:
    """matplotlib's own font folder (``mpl-data/fonts/ttf``), found without importing it.

    The forest plots are SVGs whose text is set in DejaVu Sans from this folder
    (``metareview.plots``); Typst must draw them with the same files, not with
    whichever DejaVu a system has.
    """
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        folder = Path(location) / "mpl-data" / "fonts" / "ttf"
        if (folder / "DejaVuSans.ttf").is_file():
            return folder
    raise RenderError(
        "matplotlib's fonts (mpl-data/fonts/ttf/DejaVuSans.ttf) were not found: the "
        "figures' text is set in them; install matplotlib"
    )


def contains_cjk(text: str) -> str | None:
    """The first Chinese, Japanese or Korean character in ``text``, or ``None``."""
    match = _CJK_TEXT.search(text)
    return match.group(0) if match else None


def cjk_font_files(font_dirs: Sequence[Path] | None = None) -> list[Path]:
    """CJK font files (Noto CJK, Source Han) under ``font_dirs``, in a fixed order.

    ``font_dirs`` defaults to :data:`DEFAULT_FONT_DIRS`; folders are searched
    recursively, in the order given, files sorted by path within each.
    """
    dirs = DEFAULT_FONT_DIRS if font_dirs is None else tuple(Path(d) for d in font_dirs)
    found: list[Path] = []
    for folder in dirs:
        if not folder.is_dir():
            continue
        matches: list[Path] = []
        for root, _subdirs, files in os.walk(folder, followlinks=True):
            matches.extend(Path(root) / name for name in files if _CJK_FONT_FILE.search(name))
        found.extend(sorted(matches))
    return found


def font_folders(work: Path, *, cjk: bool, font_dirs: Sequence[Path] | None = None) -> list[Path]:
    """The folders Typst searches for fonts, besides its embedded ones.

    matplotlib's font folder (:func:`matplotlib_font_dir`) and, when ``cjk``, a
    folder made in ``work`` holding links to the CJK font files of
    :func:`cjk_font_files`: Typst takes folders only, and the folders these files
    sit in may hold other fonts (Debian's own DejaVu among them). Nothing else
    under ``/usr/share/fonts`` is seen, so a report without CJK text comes out
    the same on every machine with the same matplotlib, and a CJK font is read
    only when needed (a Noto CJK collection is about 20 MB).
    """
    folders = [matplotlib_font_dir()]
    if cjk:
        links = work / "cjk-fonts"
        links.mkdir(exist_ok=True)
        for index, font in enumerate(cjk_font_files(font_dirs)):
            # Numbered: two folders may hold files of the same name.
            target = links / f"{index:03d}-{font.name}"
            try:
                target.symlink_to(font.resolve())
            except OSError:  # no symbolic links (some Windows set-ups)
                shutil.copyfile(font, target)
        folders.append(links)
    return folders


_TYPST_IMAGE = re.compile(r'image\("((?:[^"\\]|\\.)*)"')


def _svg_texts(typ_text: str) -> list[str]:
    """The text of the SVG images the ``.typ`` shows (their labels may be CJK too)."""
    texts = []
    for match in _TYPST_IMAGE.finditer(typ_text):
        path = Path(re.sub(r"\\(.)", r"\1", match.group(1)))
        if path.suffix.lower() == ".svg" and path.is_file():
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def _font_setup(typ: Path, work: Path, font_dirs: Sequence[Path] | None):
    # -> tuple[typst.Fonts, list[str]]
    import typst

    typ_text = typ.read_text(encoding="utf-8")
    sample = contains_cjk(typ_text)
    if sample is None:
        sample = next(filter(None, map(contains_cjk, _svg_texts(typ_text))), None)
    folders = font_folders(work, cjk=sample is not None, font_dirs=font_dirs)
    # Typst's embedded fonts (Libertinus Serif, New Computer Modern, DejaVu Sans
    # Mono) and these folders only: no system fonts, no fonts in a user's home.
    fonts = typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=True,
        font_paths=[str(folder) for folder in folders],
    )
    if sample is None:
        return fonts, []
    families = set(fonts.families())
    cjk = [family for family in CJK_FAMILIES if family in families]
    if not cjk:
        searched = ", ".join(
            str(d) for d in (DEFAULT_FONT_DIRS if font_dirs is None else font_dirs)
        )
        raise RenderError(
            f"the report holds Chinese, Japanese or Korean text (e.g. {sample!r}) but no "
            f"CJK font ({', '.join(CJK_FAMILIES)}) was found in {searched or 'no folder'}: "
            "it would print as empty boxes. Install one (Debian: apt-get install "
            "fonts-noto-cjk) or pass its folder as font_dirs"
        )
    return fonts, cjk


def _compile_typst(
    typ: Path,
    pdf: Path,
    *,
    work: Path,
    source_date_epoch: int | None,
    font_dirs: Sequence[Path] | None,
    standards: Sequence[str] = (),
) -> None:
    import typst

    fonts, cjk = _font_setup(typ, work, font_dirs)
    sys_inputs = {
        "metareview-cjk-fonts": ",".join(cjk),
        "metareview-date": "auto" if source_date_epoch is not None else "none",
    }
    # Typst types the standards as literals; pdf_standards() has checked them against
    # PDF_STANDARDS already, which the checker cannot follow through a list of str.
    standard_options: dict[str, Any] = {"pdf_standards": list(standards)} if standards else {}
    try:
        # Root "/": the filter made image paths absolute, so the .typ can be
        # compiled from the temporary folder whatever the images' location.
        def compile_pdf(inputs: Mapping[str, str]) -> tuple[bytes, Sequence[object]]:
            return typst.compile_with_warnings(
                str(typ),
                root="/",
                font_paths=fonts,
                format="pdf",
                sys_inputs=dict(inputs),
                timestamp=source_date_epoch,
                **standard_options,
            )

        data, warnings = compile_pdf(sys_inputs)
        if warnings and all(_unsettled(w) for w in warnings):
            # The template floats a figure too tall for the room left on its page to
            # the next one; each float moves the pages after it, and where many figures
            # do, Typst's five layout passes may end unsettled. Compiled again with the
            # figures kept in the text's flow (each moved whole, if need be), as the
            # template did before it floated them.
            data, warnings = compile_pdf({**sys_inputs, "metareview-figure-floats": "no"})
    except typst.TypstError as exc:
        message = _typst_message(exc)
        if standards and "PDF/" in message:
            # What asked for the check, lest it read as a fault of Typst's.
            message += (f"\n(the report's front matter asks for {', '.join(standards)}: format: typst: "
                        "pdf-standard)")
        raise RenderError(f"Typst failed on {typ.name}: {message}") from exc
    if warnings:
        details = "\n".join(_typst_message(w) for w in warnings)
        raise RenderError(f"Typst warned while compiling {typ.name}:\n{details}")
    pdf.write_bytes(data)


def _unsettled(diagnostic: object) -> bool:
    """Whether a Typst warning says that its layout passes did not settle ("document did
    not converge within five attempts", "element position did not stabilize")."""
    message = str(getattr(diagnostic, "message", "") or diagnostic)
    return "did not converge" in message or "did not stabilize" in message


def _typst_message(diagnostic: object) -> str:
    parts = [str(getattr(diagnostic, "message", "") or diagnostic)]
    detail = getattr(diagnostic, "diagnostic", "")
    if detail and detail not in parts[0]:
        parts.append(str(detail))
    parts.extend(f"hint: {hint}" for hint in getattr(diagnostic, "hints", None) or [])
    return "\n".join(parts)


#: A "'" right after a closing bracket or a digit in pandoc's Typst output: an apostrophe
#: or a closing quote (U+2019), which pandoc writes as "'" for Typst's smart quotes to
#: curl. Typst takes one after ")" or "]" for an opening quote ("(2006)‘s", "(weeks not
#: stated)‘"), and one after a digit for a prime ("‘GAD-7 >= 10′"). Matched only in markup: code and maths are matched first, as a whole, and
#: left as they are (a fenced raw block, inline code as the filter writes it, "$...$",
#: a line of Typst code or a comment); a straight quote from the data is written
#: escaped, with a backslash before it, and never matches.
_QUOTE_AFTER_BRACKET = re.compile(
    r"(?ms)^```.*?^```"  # raw block
    r"|#mr-code\(\"(?:\\.|[^\"\\])*\"\)"  # inline code (quarto-compat.lua)
    r"|(?<!\\)\$(?:\\.|[^$\\])*\$"  # maths
    r"|^[ \t]*(?:#|//)[^\n]*"  # a line of Typst code, or a comment
    r"|(?<=[)\]\d])'"
)


def close_quotes_after_brackets(typ: Path) -> None:
    """Write each apostrophe or closing quote after a bracket or a digit in the markup of ``typ`` as
    U+2019 itself, so that Typst prints it as the Markdown has it (see
    :data:`_QUOTE_AFTER_BRACKET`)."""
    text = typ.read_text(encoding="utf-8")
    fixed = _QUOTE_AFTER_BRACKET.sub(lambda m: "\u2019" if m.group(0) == "'" else m.group(0), text)
    if fixed != text:
        typ.write_text(fixed, encoding="utf-8")


#: The link pandoc writes at the end of each footnote, back to where the note is marked:
#: its only text is "↩︎", which a screen reader reads as an arrow, or not at all.
_FOOTNOTE_BACK_LINK = re.compile(r'<a href="#fnref(\d+)"(\s+)class="footnote-back"')


def name_footnote_back_links(html: Path) -> None:
    """Give each footnote's back-link in ``html`` the accessible name "Back to note
    reference N", N the note's number as the text shows it; sighted readers still see
    the arrow.

    pandoc writes the link with the arrow as its only content and has no option to
    name it. An ``aria-label`` names a link in place of its content (W3C, Accessible
    Name and Description Computation 1.2, step 2C); a link's purpose must be told by
    its name (WCAG 2.1, success criterion 2.4.4), and an arrow is a symbol, not a
    visible label the name must contain (Understanding WCAG 2.1, criterion 2.5.3).
    """
    text = html.read_text(encoding="utf-8")
    if "footnote-back" not in text:
        return
    named = _FOOTNOTE_BACK_LINK.sub(
        lambda m: f'<a href="#fnref{m[1]}"{m[2]}aria-label="Back to note reference {m[1]}"'
        f'{m[2]}class="footnote-back"',
        text,
    )
    html.write_text(named, encoding="utf-8")


def _render_pandoc_typst(
    renderer: Renderer,
    qmd: Path,
    work: Path,
    stem: str,
    *,
    source_date_epoch: int | None,
    font_dirs: Sequence[Path] | None,
) -> tuple[Path, Path, tuple[str, ...]]:
    html, typ, pdf = work / f"{stem}.html", work / f"{stem}.typ", work / f"{stem}.pdf"
    meta = front_matter(qmd)
    standards = pdf_standards(meta, qmd)
    if source_date_epoch is None:
        # PDF/A requires the document's date, which a render without a source date leaves
        # out (for reproducibility): such a PDF keeps the other standards only.
        standards = [x for x in standards if not x.startswith("a-")]
    html_cmd, typ_cmd = pandoc_commands(
        renderer.executable, qmd, html, typ, meta, renderer.pandoc_rts
    )
    # The HTML is independent of the PDF: its pandoc run goes on beside the Typst one and
    # the PDF compilation, which roughly halves a long report's render time on two cores.
    from concurrent.futures import ThreadPoolExecutor

    env = pandoc_environment()
    failed: Exception | None = None
    with ThreadPoolExecutor(max_workers=1) as pool:
        html_done = pool.submit(_run, html_cmd, what=f"pandoc (HTML) on {qmd}", cwd=qmd.parent, env=env)
        try:
            _run(typ_cmd, what=f"pandoc (Typst) on {qmd}", cwd=qmd.parent, env=env)
            close_quotes_after_brackets(typ)
            _compile_typst(
                typ,
                pdf,
                work=work,
                source_date_epoch=source_date_epoch,
                font_dirs=font_dirs,
                standards=standards,
            )
        except (RenderError, OSError) as exc:  # raised below, once the HTML run is over
            failed = exc
    # One error, the HTML run's first: raised inside the handler above, it would be shown
    # with the other as its context, two tracebacks for one cause (a Ctrl-C stops both).
    html_failed = html_done.exception()
    if html_failed is not None:
        raise html_failed
    if failed is not None:
        raise failed
    name_footnote_back_links(html)
    return html, pdf, tuple(standards)


# --- Quarto path ----------------------------------------------------------------------


def quarto_commands(quarto: str, qmd: Path, html_name: str, pdf_name: str) -> list[list[str]]:
    """The two Quarto calls (HTML, then PDF through Typst), run in the qmd's folder.

    The report's front matter holds Quarto's settings: ``reports/_quarto.yml``
    reaches only a ``.qmd`` inside ``reports/``, and the report rendered is
    assembled into ``results/report/``. Three are repeated with ``-M`` so that
    any ``.qmd`` rendered this way gets a self-contained HTML with MathML and an
    A4 PDF.
    ``--output`` takes a bare file name: Quarto writes it beside the ``.qmd``.
    """
    return [
        [
            quarto,
            "render",
            qmd.name,
            "--to",
            "html",
            "--output",
            html_name,
            "-M",
            "embed-resources:true",
            "-M",
            "html-math-method:mathml",
        ],
        [
            quarto,
            "render",
            qmd.name,
            "--to",
            "typst",
            "--output",
            pdf_name,
            "-M",
            "papersize:a4",
        ],
    ]


def _render_quarto(
    renderer: Renderer, qmd: Path, work: Path, stem: str, *, source_date_epoch: int | None
) -> tuple[Path, Path]:
    # A name of our own beside the .qmd, so that a render never overwrites a
    # file there and two renders do not collide; moved into `work` at once.
    token = work.name.rsplit("-", 1)[-1]
    html_name, pdf_name = f"{stem}.render-{token}.html", f"{stem}.render-{token}.pdf"
    env = dict(os.environ)
    if source_date_epoch is not None:
        # Read by the typst CLI that Quarto runs (creation date of the PDF).
        env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    html, pdf = work / f"{stem}.html", work / f"{stem}.pdf"
    commands = quarto_commands(renderer.executable, qmd, html_name, pdf_name)
    try:
        for cmd, name, target in zip(commands, (html_name, pdf_name), (html, pdf)):
            _run(cmd, what=f"quarto render --to {cmd[4]} on {qmd}", cwd=qmd.parent, env=env)
            made = qmd.parent / name
            if not made.is_file():
                raise RenderError(
                    f"quarto render reported success but {made} does not exist; is an "
                    "output-dir set in the project's _quarto.yml?"
                )
            shutil.move(made, target)
    finally:
        for name in (html_name, pdf_name):
            (qmd.parent / name).unlink(missing_ok=True)
    return html, pdf


# --- entry point --------------------------------------------------------------------


def render_report(
    qmd: Path,
    out_dir: Path,
    *,
    renderer: Renderer,
    source_date_epoch: int | None = None,
    font_dirs: Sequence[Path] | None = None,
) -> RenderedReport:
    """Render ``qmd`` to ``out_dir/<stem>.html`` and ``out_dir/<stem>.pdf``.

    Parameters
    ----------
    qmd
        The report source (Markdown with YAML front matter, no code cells).
    out_dir
        Folder for the two outputs; created if needed.
    renderer
        From :func:`detect_renderer`.
    source_date_epoch
        PDF creation date (Unix seconds); defaults to the ``SOURCE_DATE_EPOCH``
        environment variable, and without either the PDF carries no date. Either
        way two renders of the same input are byte-identical.
    font_dirs
        Folders searched for CJK fonts (offline path); default
        ``/usr/share/fonts`` and ``/usr/local/share/fonts`` where present. Only
        Noto CJK and Source Han files are taken from them, and only when the
        report holds Chinese, Japanese or Korean text (install Debian
        ``fonts-noto-cjk``); the rest of the PDF uses Typst's embedded fonts and
        matplotlib's, whatever the machine has installed.

    Returns
    -------
    RenderedReport
        Paths of the HTML and the PDF.

    Raises
    ------
    RenderError
        With pandoc's, Typst's or Quarto's message. Neither output is written
        (existing files from an earlier render are left as they were).
    """
    qmd = Path(qmd).resolve()
    if not qmd.is_file():
        raise RenderError(f"report source not found: {qmd}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    epoch = _source_date_epoch(source_date_epoch)
    stem = qmd.stem
    # Work folders of a render that was killed (it could not remove its own); only one
    # render of a report runs at a time.
    for leftover in out_dir.glob(f".{stem}.render-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=f".{stem}.render-", dir=out_dir))
    try:
        standards: tuple[str, ...] = ()  # Quarto checks its own
        if renderer.name == "quarto":
            html, pdf = _render_quarto(renderer, qmd, work, stem, source_date_epoch=epoch)
        elif renderer.name == "pandoc+typst":
            html, pdf, standards = _render_pandoc_typst(
                renderer, qmd, work, stem, source_date_epoch=epoch, font_dirs=font_dirs
            )
        else:
            raise RenderError(f"unknown renderer {renderer.name!r}")
        final_html, final_pdf = out_dir / f"{stem}.html", out_dir / f"{stem}.pdf"
        # Same file system, so each replace is atomic; undo the first if the
        # second fails rather than leave a new HTML beside an old PDF.
        os.replace(html, final_html)
        try:
            os.replace(pdf, final_pdf)
        except OSError:
            final_html.unlink(missing_ok=True)
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return RenderedReport(html=final_html, pdf=final_pdf, renderer=renderer, standards=standards)


def publish_report(html: Path, pdf: Path, dest: Path, *beside: Path) -> tuple[Path, ...]:
    """Copy a rendered report, its HTML and its PDF, into ``dest``, replacing the pair there,
    with the files the report points its readers to (``beside``: its audit trail in full,
    ``audit.csv``), so that a report published elsewhere does not point to a file left
    behind in the build.

    The pair a reader opens (``build/report/``) is only ever replaced by a complete new
    one, and never removed: both copies are written in full under temporary names in
    ``dest`` (``.<name>.tmp``, on the same file system), flushed to disk, and only then
    renamed over the files they replace, each rename atomic. An error or an interruption
    before the renames leaves the previous pair as it was. A process killed between the
    two renames, microseconds apart, leaves the new HTML beside the old PDF, which the
    next run of this step, with the same pair, puts right; a temporary file it left is
    overwritten by that run.

    Returns
    -------
    tuple of Path
        The published HTML and PDF, then the files ``beside`` (``dest`` / the source
        files' names).
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    sources = [Path(html), Path(pdf), *map(Path, beside)]
    finals = [dest / src.name for src in sources]
    temps = [final.with_name(f".{final.name}.tmp") for final in finals]
    try:
        for src, tmp in zip(sources, temps):
            with open(src, "rb") as fin, open(tmp, "wb") as fout:
                shutil.copyfileobj(fin, fout)
                fout.flush()
                os.fsync(fout.fileno())
        for tmp, final in zip(temps, finals):
            os.replace(tmp, final)
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
    return tuple(finals)
