"""Rule assemble_report: the report's Quarto source, audit table, study effects with their raw rows and key results."""

import json
from pathlib import Path

from metareview.io import read_json, write_csv, write_json, write_text_atomic
from metareview.provenance import SourceState, collect_provenance
from metareview.rawdata import read_raw, resolve_refs
from metareview.report import (
    AUDIT_HEADER,
    STUDY_EFFECTS_HEADER,
    ReportContext,
    build_report,
    study_effects_rows,
)

HISTORY = Path("results/history/key_results.json")


def _digests(path):
    """A step's code digest (rule code_digest, sha256sum's format): each file's SHA-256 by its path."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, _, name in (line.partition("  ") for line in lines if line)}


def main(job):
    settings = json.loads(job.params.settings)
    config = {k: settings[k] for k in ("review", "analyses", "indirect", "methods", "effects", "windows", "outcomes",
                                       "nodes", "report")}
    raw_dir = Path(job.input.raw[0]).parent
    # The tables' folder and schemas the config names, as the build plan read them.
    config["raw_dir"] = str(raw_dir)
    raw = read_raw(raw_dir, job.root / Path(job.input.schemas[0]).parent, label_prefix=str(raw_dir))
    qmd_dir = Path(job.output.qmd).parent
    analyses = [read_json(p) for p in job.input.analyses]
    # Figures live beside the .qmd (results/report/figures/): both renderers resolve
    # images relative to the document, and Typst reads nothing outside its folder.
    figures = {}
    for svg in map(Path, job.input.figures):
        if svg.suffix == ".svg":
            figures[svg.name.removesuffix(".forest.svg")] = svg.relative_to(qmd_dir).as_posix()
    funnels = {svg.name.removesuffix(".funnel.svg"): svg.relative_to(qmd_dir).as_posix()
               for svg in map(Path, job.input.funnels)}
    ctx = ReportContext(
        config=config,
        labels=settings["labels"],
        analyses=analyses,
        indirect=[read_json(p) for p in job.input.indirect],
        claims=read_json(job.input.claims),
        effects=[read_json(p) for p in job.input.effects],
        normalised=[read_json(p) for p in job.input.normalised],
        raw_rows=resolve_refs(raw),
        raw_tables={t: [dict(r.values) for r in rows] for t, rows in raw.tables.items()},
        raw_row_numbers={t: [r.row for r in rows] for t, rows in raw.tables.items()},
        raw_texts={t: [dict(r.text) for r in rows] for t, rows in raw.tables.items()},
        raw_headers=raw.headers,
        provenance=collect_provenance(list(job.input.raw) + [job.input.config], job.params.renderer, job.root,
                                      SourceState(**json.loads(job.params.source))),
        figures=figures,
        funnels=funnels,
        previous=read_json(HISTORY) if HISTORY.exists() else None,
        codebook_note=job.params.codebook or None,
        code={Path(p).name.removesuffix(".sha256"): _digests(p) for p in [job.input.code, *job.input.shown_code]},
        outcome_codes=raw.outcome_codes(),
    )
    text, audit, keys = build_report(Path(job.input.template).read_text(encoding="utf-8"), ctx)
    write_csv(job.output.audit, AUDIT_HEADER, audit)
    write_csv(job.output.study_effects, STUDY_EFFECTS_HEADER, study_effects_rows(ctx))
    write_json(job.output.key_results, keys)
    # The snapshot the change summary was computed against: an audit rebuild starts from
    # it, so that its report says the same about what changed.
    write_json(job.output.previous, ctx.previous)
    write_text_atomic(job.output.qmd, text)
    job.logger.info("report source: %d characters, %d audit rows", len(text), len(audit))


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
