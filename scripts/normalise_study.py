"""Rule normalise_study: one study's raw rows onto the review's common scales."""

import json

from metareview.checks import consistency_warnings, format_warning
from metareview.io import write_json
from metareview.normalise import normalise_study


def main(job):
    settings = json.loads(job.params.settings)
    bundle = json.loads(job.params.bundle)
    doc = normalise_study(bundle, **settings)
    doc["warnings"] = consistency_warnings(bundle)
    job.logger.info("%d arm values, %d contrasts, %d statements", len(doc["arm_values"]),
                    len(doc["contrasts"]), len(doc["statements"]))
    for warning in doc["warnings"]:
        job.logger.warning("%s", format_warning(warning))
    write_json(job.output.json, doc)


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
