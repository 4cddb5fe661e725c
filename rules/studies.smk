# Per-study stage. Each study's job sees only that study's raw rows (a param holding them
# as canonical JSON) and only the analyses it can enter, so editing or adding one study,
# or one analysis, reruns only the studies concerned.


rule study_effects:
    input:
        # Not rawdata: the rows arrive already parsed (the bundle param, built at parse
        # time), so a parsing change reruns exactly the studies whose rows it changes.
        code=code("study_effects"),
    output:
        # Two files from one job: normalising a study and computing its effects are
        # milliseconds each, less than Snakemake's own cost of a job.
        normalised="results/normalised/{study}.json",
        effects="results/effects/{study}.json",
    log:
        "logs/study_effects/{study}.log",
    params:
        bundle=lambda w: PLAN.bundles[w.study],
        settings=lambda w: study_settings(w.study),
    run:
        run_script("study_effects", input, output, params, log, wildcards)
