# Per-analysis stages: pooling with its forest plot, indirect comparisons, claim checks. Each
# analysis depends only on the studies that can contribute to it.


rule analyse:
    input:
        effects=effects_of_analysis,
        code=code("analyse"),
    output:
        # The pooled result and its forest plot from one job: both take milliseconds,
        # and a large review has as many analyses as it has jobs to schedule.
        json="results/analyses/{analysis}.json",
        csv="results/analyses/{analysis}.effects.csv",
        svg="results/report/figures/{analysis}.forest.svg",
    log:
        "logs/analyse/{analysis}.log",
    params:
        # The digest of the config the analysis reads (see rule study_effects).
        settings_sha256=lambda w: sha256_text(analysis_settings(w.analysis)),
    run:
        run_script(
            "analyse",
            input,
            output,
            params,
            log,
            wildcards,
            settings=analysis_settings(wildcards.analysis),
        )


# The funnel plot beside the small-study test, for the analyses with enough candidate
# studies for the test to run (FUNNEL_ANALYSES): a job of their own rather than a fourth
# output of every analysis's job, whose metadata Snakemake would write and check in every
# build of a review of a thousand analyses that draws none. An analysis that pools too few
# of its candidates in the end gets a file with a line saying why there is no plot.
rule funnel_plot:
    input:
        json="results/analyses/{analysis}.json",
        code=code("funnel_plot"),
    output:
        svg="results/report/figures/{analysis}.funnel.svg",
    log:
        "logs/funnel_plot/{analysis}.log",
    run:
        run_script("funnel_plot", input, output, params, log, wildcards)


# PNG copies of the forest plots, only when asked for (`make figures`, target `figures`):
# the report embeds the SVGs, and rasterising cost more than the analysis and its plot.
rule forest_png:
    input:
        svg="results/report/figures/{analysis}.forest.svg",
        code=code("forest_png"),
    output:
        png="results/report/figures/{analysis}.forest.png",
    log:
        "logs/forest_png/{analysis}.log",
    # Milliseconds of work: on a cluster, not worth a submission and a status poll.
    localrule: True
    params:
        dpi=config["report"].get("png_dpi", 150),
    run:
        run_script("forest_png", input, output, params, log, wildcards)


rule compare_indirect:
    input:
        analyses=analyses_of_indirect,
        code=code("compare_indirect"),
    output:
        json="results/indirect/{indirect}.json",
    log:
        "logs/compare_indirect/{indirect}.log",
    params:
        settings=lambda w: settings(
            spec=PLAN.indirect_spec(w.indirect),
            labels=PLAN.labels,
            # Labels kept as written mid-sentence ("Pilates", not "pilates").
            names=sorted(proper_names(config["nodes"])),
            level=config["methods"]["level"],
            # A side refitted without a trial of all three pools only as many studies as
            # the analyses would (metareview.indirect).
            min_studies=config["methods"].get("min_studies", 2),
        ),
    run:
        run_script("compare_indirect", input, output, params, log, wildcards)


CLAIMS = canonical_json([dict(r.values) for r in PLAN.raw.rows("claims")])
CLAIMS_SETTINGS = settings(
    node_of=PLAN.node_of,
    labels=PLAN.labels,
    names=sorted(proper_names(config["nodes"])),
    controls=PLAN.control_nodes,
    # The common scale a claimed mean difference is read on, said in its verdict, or the
    # unit of an outcome in natural units.
    scales={
        name: [o["scale_min"], o["scale_max"]] if "scale_min" in o else [o["unit"]]
        for name, o in config["outcomes"].items()
        if "scale_min" in o or "unit" in o
    },
)


rule check_claims:
    input:
        normalised=expand("results/normalised/{study}.json", study=PLAN.studies),
        analyses=expand("results/analyses/{analysis}.json", analysis=PLAN.analyses),
        code=code("check_claims"),
    output:
        json="results/claims/claims.json",
    log:
        "logs/check_claims/claims.log",
    params:
        claims_sha256=sha256_text(CLAIMS),
        settings_sha256=sha256_text(CLAIMS_SETTINGS),
    run:
        run_script(
            "check_claims",
            input,
            output,
            params,
            log,
            wildcards,
            claims=CLAIMS,
            settings=CLAIMS_SETTINGS,
        )
