"""Rule study_effects: one study's raw rows onto the review's common scales, then its
effect sizes for each analysis it can enter."""

import json

from metareview.checks import consistency_warnings, format_warning
from metareview.conversions import mean_sd_from_quantiles
from metareview.extract import study_effects
from metareview.io import write_json
from metareview.normalise import normalise_study


def main(job):
    settings = json.loads(job.params.settings)
    bundle = json.loads(job.params.bundle)
    normalised = normalise_study(
        bundle, nodes=settings["nodes"], outcomes=settings["outcomes"], windows=settings["windows"],
        median_to_mean=mean_sd_from_quantiles if settings["effects"].get("median_to_mean") else None,
    )
    normalised["warnings"] = consistency_warnings(bundle)
    job.logger.info("%d arm values, %d contrasts, %d statements", len(normalised["arm_values"]),
                    len(normalised["contrasts"]), len(normalised["statements"]))
    for warning in normalised["warnings"]:
        job.logger.warning("%s", format_warning(warning))
    effects = study_effects(
        normalised,
        settings["analyses"],
        windows=settings["windows"],
        assume_equal_arms_from_total=settings["effects"]["assume_equal_arms_from_total"],
        impute_missing_sd=settings["effects"]["impute_missing_sd"],
        baseline_imbalance_smd=settings["effects"]["baseline_imbalance_smd"],
    )
    for aid, entry in effects["analyses"].items():
        job.logger.info("%s: options %s", aid, ", ".join(sorted(entry["options"])) or "none")
    write_json(job.output.normalised, normalised)
    write_json(job.output.effects, effects)


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
