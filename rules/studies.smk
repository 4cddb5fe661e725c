# Per-study stage. Each study's job sees only that study's raw rows (canonical JSON, whose
# digest is a param) and only the analyses it can enter, so editing or adding one study,
# or one analysis, reruns only the studies concerned.


rule study_effects:
    input:
        # Not rawdata: the rows arrive already parsed (the bundle, built at parse time,
        # whose digest is a param), so a parsing change reruns exactly the studies whose
        # rows it changes.
        code=code("study_effects"),
    output:
        # Two files from one job: normalising a study and computing its effects are
        # milliseconds each, less than Snakemake's own cost of a job.
        normalised="results/normalised/{study}.json",
        effects="results/effects/{study}.json",
    log:
        "logs/study_effects/{study}.log",
    params:
        # Digests of the study's raw rows and of the config it reads: a change to either
        # reruns the study, and Snakemake stores (and a dry run prints) 64 characters, not
        # the rows. The job gets the rows and settings themselves through run_script.
        rows_sha256=lambda w: sha256_text(PLAN.bundles[w.study]),
        settings_sha256=lambda w: sha256_text(study_settings(w.study)),
    run:
        run_script(
            "study_effects",
            input,
            output,
            params,
            log,
            wildcards,
            bundle=PLAN.bundles[wildcards.study],
            settings=study_settings(wildcards.study),
        )
