# Per-study stages. Each study's jobs see only that study's raw rows (a param holding
# them as canonical JSON), so editing or adding one study reruns only its own jobs.


rule normalise_study:
    input:
        # Not rawdata: the rows arrive already parsed (the bundle param, built at parse
        # time), so a parsing change reruns exactly the studies whose rows it changes.
        code=code("normalise", "checks"),
        script="scripts/normalise_study.py",
    output:
        json="results/normalised/{study}.json",
    log:
        "logs/normalise_study/{study}.log",
    params:
        bundle=lambda w: PLAN.bundles[w.study],
        settings=settings(
            nodes=config["nodes"],
            outcomes=config["outcomes"],
            windows=config["windows"],
        ),
    run:
        run_script("normalise_study", input, output, params, log, wildcards)


rule compute_effects:
    input:
        normalised="results/normalised/{study}.json",
        code=code("normalise", "extract", "effects", "conversions"),
        script="scripts/compute_effects.py",
    output:
        json="results/effects/{study}.json",
    log:
        "logs/compute_effects/{study}.log",
    params:
        settings=settings(
            analyses=config["analyses"],
            windows=config["windows"],
            effects=config["effects"],
        ),
    run:
        run_script("compute_effects", input, output, params, log, wildcards)
