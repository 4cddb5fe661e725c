"""Rule compare_indirect: A vs B through a common comparator, or why there is none."""

import json

from metareview.indirect import indirect_comparison
from metareview.io import read_json, write_json


def main(job):
    settings = json.loads(job.params.settings)
    results = [read_json(p) for p in job.input.analyses]
    doc = indirect_comparison(settings["spec"], results, labels=settings["labels"], level=float(settings["level"]),
                              min_studies=int(settings["min_studies"]), names=settings.get("names", ()))
    job.logger.info("%s: %s", doc["id"], doc["status"])
    write_json(job.output.json, doc)


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
