"""Rule analyse: choose each study's effect, fit the random-effects model, draw the forest plot."""

import json

from metareview.analysis import pool_analysis
from metareview.io import read_json, write_csv, write_json
from metareview.plots import forest_plot


def main(job):
    settings = json.loads(job.params.settings)
    studies = [read_json(p) for p in job.input.effects]
    result = pool_analysis(settings["analysis"], studies, methods=settings["methods"], labels=settings["labels"],
                           scale=settings["scale"])
    job.logger.info("%s: %s (k = %d)", settings["analysis"]["id"], result["status"], result["k"])
    write_json(job.output.json, result)
    write_csv(
        job.output.csv,
        ["study_id", "label", "yi", "vi", "ci_lb", "ci_ub", "weight", "n1", "n2", "value_type", "timepoint_weeks", "refs"],
        [[s["study_id"], s["label"], s["yi"], s["vi"], s["ci_lb"], s["ci_ub"], s["weight"], s["n1"], s["n2"],
          s["value_type"], s["timepoint_weeks"], ";".join(s["refs"])] for s in result["studies"]],
    )
    # Drawn from the result as written (JSON round trip), as a reader of the file would.
    # SVG only: the report embeds it, and PNG copies are made on request (rule forest_png).
    forest_plot(read_json(job.output.json), job.output.svg, mid=settings.get("mid"))


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
