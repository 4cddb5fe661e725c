"""Rule render_report: the report's HTML and PDF, with Quarto or with pandoc + Typst."""

import json
from pathlib import Path

from metareview.render import RenderError, detect_renderer, render_report


def main(job):
    renderer = detect_renderer("quarto" if job.params.renderer == "quarto" else "pandoc")
    epoch = json.loads(job.params.source)["epoch"]
    try:
        out = render_report(Path(job.input.qmd).resolve(), Path(job.output.html).resolve().parent,
                            renderer=renderer, source_date_epoch=epoch)
    except RenderError as exc:
        # The message names the tool and gives what it printed (or that Ctrl-C stopped
        # it); the frames of the library and its threads would only bury it.
        # Same class (RenderInterrupted for Ctrl-C), so a caller can still tell them apart.
        raise type(exc)(str(exc)) from None
    for produced, wanted in ((out.html, job.output.html), (out.pdf, job.output.pdf)):
        if Path(produced).resolve() != Path(wanted).resolve():
            Path(produced).replace(wanted)
    job.logger.info("rendered with %s", renderer.description)
    if out.standards:
        names = [f"PDF {x}" if x[0].isdigit() else f"PDF/{x.split('-')[0].upper()}-{x.split('-', 1)[1]}"
                 for x in out.standards]  # "a-2a" is PDF/A-2a, "ua-1" PDF/UA-1
        job.logger.info("PDF written as %s, checked by Typst", " and ".join(names))


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
