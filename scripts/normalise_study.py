"""Rule normalise_study: one study's raw rows onto the review's common scales."""

import json

from metareview.io import write_json
from metareview.normalise import normalise_study


def main(job):
    settings = json.loads(job.params.settings)
    doc = normalise_study(json.loads(job.params.bundle), **settings)
    job.logger.info("%d arm values, %d contrasts, %d statements", len(doc["arm_values"]),
                    len(doc["contrasts"]), len(doc["statements"]))
    write_json(job.output.json, doc)


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
