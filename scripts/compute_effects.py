"""Rule compute_effects: one study's effect sizes for each analysis it can enter."""

import json

from metareview.extract import study_effects
from metareview.io import read_json, write_json


def main(job):
    settings = json.loads(job.params.settings)
    doc = study_effects(
        read_json(job.input.normalised),
        settings["analyses"],
        windows=settings["windows"],
        assume_equal_arms_from_total=settings["effects"]["assume_equal_arms_from_total"],
        impute_missing_sd=settings["effects"]["impute_missing_sd"],
    )
    for aid, entry in doc["analyses"].items():
        job.logger.info("%s: options %s", aid, ", ".join(sorted(entry["options"])) or "none")
    write_json(job.output.json, doc)


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
