"""Rule check_claims: a verdict on each narrative claim of the sources."""

import json

from metareview.claims import check_claims
from metareview.io import read_json, write_json


def main(job):
    settings = json.loads(job.params.settings)
    studies = [read_json(p) for p in job.input.normalised]
    results = [read_json(p) for p in job.input.analyses]
    verdicts = check_claims(json.loads(job.params.claims), studies, results,
                            node_of=settings["node_of"], labels=settings["labels"],
                            controls=settings["controls"], scales=settings.get("scales"), names=settings.get("names", ()))
    for v in verdicts:
        job.logger.info("%s: %s", v["claim_id"], v["verdict"])
    write_json(job.output.json, verdicts)


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
