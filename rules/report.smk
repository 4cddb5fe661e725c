# The report: assemble the Quarto source from the results (every number is computed
# before this point), render it to HTML and PDF, then publish the pair to build/report/.


REPORT_SETTINGS = settings(
    review=config["review"],
    analyses=config["analyses"],
    # Listed in "What changed" when edited, as the analyses' entries are.
    indirect=config.get("indirect", []),
    methods=config["methods"],
    effects=config["effects"],
    windows=config["windows"],
    outcomes=config["outcomes"],
    nodes=config["nodes"],
    labels=PLAN.labels,
    # All of it: the layout keys shape the report, and "What changed" lists any edited
    # one (a config edit reruns the report, whose provenance gives the file's SHA-256).
    # Spelt as a dict key: snakefmt reads a `report=` argument here as the directive.
    **{"report": config["report"]},
)


rule assemble_report:
    input:
        template="reports/report.qmd",
        analyses=expand("results/analyses/{analysis}.json", analysis=PLAN.analyses),
        # The SVGs the report embeds (the PNG copies are for readers: rule forest_png).
        figures=expand(
            "results/report/figures/{analysis}.forest.svg", analysis=PLAN.analyses
        ),
        funnels=expand(
            "results/report/figures/{analysis}.funnel.svg", analysis=FUNNEL_ANALYSES
        ),
        indirect=expand("results/indirect/{indirect}.json", indirect=PLAN.indirect),
        claims="results/claims/claims.json",
        effects=expand("results/effects/{study}.json", study=PLAN.studies),
        normalised=expand("results/normalised/{study}.json", study=PLAN.studies),
        raw=RAW_FILES,
        # The schemas the build plan validated the raw tables with: the report reads the
        # tables again through them (an edit that changes how a cell is read reruns it,
        # though no raw file changed).
        schemas=SCHEMA_FILES,
        config="config/config.yaml",
        code=code("assemble_report"),
        # The code of the steps before it, for "What changed" (rules/common.smk).
        shown_code=shown_code(),
    output:
        qmd="results/report/report.qmd",
        audit="results/report/audit.csv",
        # Every analysis's study effects with their raw rows as the report names them:
        # the analyses' own tables cannot, as their jobs do not see other studies' rows.
        study_effects="results/report/study_effects.csv",
        key_results="results/report/key_results.json",
        previous="results/report/previous_key_results.json",
    log:
        "logs/assemble_report/report.log",
    params:
        renderer=RENDERER,
        source=SOURCE_PARAM,
        # The digest of the config the report reads (see rule study_effects).
        settings_sha256=sha256_text(REPORT_SETTINGS),
        # Empty, or what to say of a codebook the schemas have moved on from (rules/common.smk).
        codebook=CODEBOOK_NOTE,
    run:
        run_script(
            "assemble_report",
            input,
            output,
            params,
            log,
            wildcards,
            settings=REPORT_SETTINGS,
        )


# Rendered beside its source: Snakemake removes a job's outputs before it runs and when it
# fails, so the report readers open is not among them (rule publish_report).
rule render_report:
    input:
        qmd="results/report/report.qmd",
        figures=expand(
            "results/report/figures/{analysis}.forest.svg", analysis=PLAN.analyses
        ),
        funnels=expand(
            "results/report/figures/{analysis}.funnel.svg", analysis=FUNNEL_ANALYSES
        ),
        key_results="results/report/key_results.json",
        render_support=RENDER_SUPPORT,
        code=code("render_report"),
    output:
        html="results/report/report.html",
        pdf="results/report/report.pdf",
    log:
        "logs/render_report/report.log",
    params:
        renderer=RENDERER,
        source=SOURCE_PARAM,
    run:
        run_script("render_report", input, output, params, log, wildcards)


# The report in build/report/, replaced only by a complete rendered pair: a render that
# fails or is interrupted leaves the last complete build's report there. The pair is
# updated in place (`update`): Snakemake neither removes it before the job nor, should the
# job fail, leaves it removed (it puts back its copy of the previous pair, by a plain copy:
# a reader opening the report in those milliseconds may see it half restored). Being outputs,
# the two files are made again when deleted, and a dry run lists this job. The digest of
# the published pair is an ordinary output, written last: removed before the job and after
# a failure, it makes the next run publish again (the pair put back by Snakemake is newer
# than the rendered one, and would not). The key results the report shows become the
# previous build's for the next report's "What changed". What the pair is rendered from is
# listed too: Snakemake does not rerun a job for an input that is missing but can be made,
# so after a failed render that changed no key result (a template or wording edit), the
# next run found the published pair up to date, said "Nothing to be done", and left the
# old report in build/report/; with these, an edit since the last publication renders it.
rule publish_report:
    input:
        html=rules.render_report.output.html,
        pdf=rules.render_report.output.pdf,
        key_results="results/report/key_results.json",
        # The audit trail in full, which the report points its readers to: published
        # beside it, so that a report copied elsewhere does not point to a file left behind.
        audit="results/report/audit.csv",
        qmd=rules.render_report.input.qmd,
        render_support=rules.render_report.input.render_support,
        render_code=rules.render_report.input.code,
        code=code("publish_report"),
    output:
        html=update(REPORT_OUTPUTS[0]),
        pdf=update(REPORT_OUTPUTS[1]),
        audit=update(REPORT_OUTPUTS[2]),
        digest=REPORT_PUBLISHED,
    log:
        "logs/publish_report/report.log",
    # Copying two files: on a cluster, not worth a submission and a status poll.
    localrule: True
    run:
        run_script("publish_report", input, output, params, log, wildcards)
