"""Rule render_report: the report's HTML and PDF, with Quarto or with pandoc + Typst."""

import json
import shutil
from pathlib import Path

from metareview.render import detect_renderer, render_report

HISTORY = Path("results/history/key_results.json")


def main(job):
    renderer = detect_renderer("quarto" if job.params.renderer == "quarto" else "pandoc")
    epoch = json.loads(job.params.source)["epoch"]
    out = render_report(Path(job.input.qmd).resolve(), Path(job.output.html).resolve().parent, renderer=renderer,
                        source_date_epoch=epoch)
    for produced, wanted in ((out.html, job.output.html), (out.pdf, job.output.pdf)):
        if Path(produced).resolve() != Path(wanted).resolve():
            Path(produced).replace(wanted)
    job.logger.info("rendered with %s", renderer.description)
    # The next build's report says what changed relative to this one.
    key_results = Path(job.input.qmd).with_name("key_results.json")
    if key_results.exists():
        HISTORY.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(key_results, HISTORY)


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
