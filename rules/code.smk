# The code of each step: one job per step writes the SHA-256 of its script and of every
# library module the script imports, in sha256sum's format. The step's rule reads that
# file, so a change to one of those files (not a touch: Snakemake compares checksums)
# reruns the step and nothing else, and `sha256sum -c results/code/STEP.sha256` tells an
# auditor whether a checkout holds the code that made the results. The versions of the
# packages the results depend on are a param: upgrading one reruns the steps.


rule code_digest:
    input:
        files=code_files,
        script="scripts/code_digest.py",
    output:
        digest="results/code/{step}.sha256",
    log:
        "logs/code_digest/{step}.log",
    # Hashing a few files: on a cluster, not worth a submission and a status poll.
    localrule: True
    params:
        # Another numpy, scipy, matplotlib, pandoc or Typst may change the results: a
        # changed version reruns this job, and so every step after it.
        software=SOFTWARE,
    run:
        run_script("code_digest", input, output, params, log, wildcards)
