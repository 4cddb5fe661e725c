# metareview: raw study tables -> effect sizes -> pooled estimates -> figures -> report.
# The entry point holds no logic: validation, the build plan and the helpers live in
# rules/common.smk, each stage in its own rule file, all computation in src/metareview.

from snakemake.utils import min_version

min_version("9.0")


# First, so that Ctrl-C from here on ends quietly.
include: "rules/interrupt.smk"
# A key typed twice, or a YAML slip, named by its line: Snakemake's own load keeps the
# last of two keys silently and names no line.
include: "rules/config_file.smk"


configfile: "config/config.yaml"


include: "rules/common.smk"


wildcard_constraints:
    study=r"[A-Za-z][A-Za-z0-9_-]*",
    analysis=r"[a-z][a-z0-9_]*",
    indirect=r"[a-z][a-z0-9_]*",
    step=r"[a-z][a-z_]*",


include: "rules/code.smk"
include: "rules/studies.smk"
include: "rules/analyses.smk"
include: "rules/report.smk"


rule all:
    default_target: True
    input:
        all_targets,


# PNG copies of the forest plots, for slides and documents (`make figures`).
rule figures:
    input:
        png_copies(),
