#!/usr/bin/env python3
"""Snakemake's command line, as ``python -m snakemake``, with Ctrl-C during its start
ending in one line.

Usage::

    .venv/bin/python tools/start_snakemake.py [snakemake arguments]

:func:`metareview.buildstamp.build` (``make report``) starts Snakemake this way.
Snakemake handles Ctrl-C once it runs jobs; before that (its own imports, 1.5-2 s, then
reading the workflow and planning the jobs) a ``KeyboardInterrupt`` ended the build in a
traceback of whatever code it stopped. The workflow quiets Ctrl-C while it is read
(``rules/interrupt.smk``), which a plain ``snakemake`` run gets too, but Snakemake's
imports come before it. Kept out of the library, which never imports snakemake; named
so as not to shadow the ``snakemake`` package, as this folder heads ``sys.path`` when
the file runs.
"""

from __future__ import annotations

import signal

# Until quiet_ctrl_c is set, importing it (some 25 ms) could be stopped with a traceback
# of the import: Ctrl-C meanwhile ends this process as SIGINT's default action does,
# silently, and `make report` (metareview.buildstamp.build), seeing Snakemake end by
# SIGINT, says the one line.
signal.signal(signal.SIGINT, signal.SIG_DFL)

from metareview.buildstamp import quiet_ctrl_c


def main() -> None:
    """Quiet Ctrl-C (:func:`metareview.buildstamp.quiet_ctrl_c`), then run Snakemake's
    command line on ``sys.argv``; the workflow hands Ctrl-C back when jobs start."""
    quiet_ctrl_c()
    from snakemake.cli import main as snakemake

    snakemake()


if __name__ == "__main__":
    main()
