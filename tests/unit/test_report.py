"""Unit tests for metareview.report (and the provenance it prints).

The report context is built by running the pipeline's pure functions (normalise, extract,
pool, indirect, claims) on a few hand-written studies with hostile labels, so its shape is
the one the workflow produces; no workflow is run.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import json
import math
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from metareview.analysis import pool_analysis
from metareview.claims import check_claims
from metareview.extract import study_effects
from metareview.fmt import NO_EQUAL_SPLIT, NO_SD_IMPUTATION, with_settings
from metareview.indirect import indirect_comparison
from metareview.fmt import proper_names
from metareview.markdown import TABLE_BUDGET, escape, plain
from metareview import plots
from metareview.normalise import node_map, normalise_study
from metareview.provenance import (
    NOT_GIT,
    SHALLOW,
    build_date,
    collect_provenance,
    git_commit,
    renderer_description,
    source_state,
)
from metareview.certainty import fingerprint
from metareview.extract import LOW_CONFIDENCE
from metareview.report.base import points_cell, points_in_brief
from metareview.report import (
    APPENDIX_TABLE_BUDGET,
    AUDIT_HEADER,
    ReportContext,
    ABBREVIATIONS,
    abbreviations_section,
    abbreviations_text,
    absolute_text,
    analyses_table,
    analysis_names,
    arm_names,
    as_sentences,
    audit_lead,
    audit_rows,
    audit_section,
    bottom_line,
    build_report,
    certainty_of,
    certainty_table,
    changes_section,
    ci_text,
    claims_section,
    excluded_section,
    excludes_no_effect,
    external_section,
    f2,
    fingerprints,
    forest_alt,
    funnel_alt,
    grade_facts,
    indirect_section,
    key_results,
    limitations_section,
    methods_section,
    narrative_section,
    p_text,
    pooled_terms,
    provenance_section,
    re_expressed_text,
    renamed_in_tables,
    renamed_since,
    reported_p,
    results_section,
    results_table,
    sensitivity_text,
    study_digests,
    study_kinds,
    study_table,
    summary_section,
    trial_characteristics_table,
    unclear_statement,
    uncovered_comparisons,
    uncovered_section,
    within_node_comparisons,
)
from metareview.fmt import in_sentence as _in_sentence
from metareview.report.audit import _config_entries_shown, _entries_with_why
from metareview.report.overview import (
    _narrative_head_to_head,
    _sensitivity_caveat,
    _treatment_overview,
    reviews_and_trials_text,
)
from metareview.report.sections import _elsewhere, _naive_direction
from metareview.report.summary import _indirect_summary_line
from metareview.report.tables import _fate, _finding

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = (ROOT / "reports" / "report.qmd").read_text(encoding="utf-8")

SCRIPT = "<script>alert(1)</script>"
TYPST = "#set page(width: 1cm)"
INJECT = "{{ title }} <!-- metareview:audit -->"
NODE_LABEL = "<b>Acupuncture</b> *x*"
TITLE = 'Needles & "pins": <b>a_b</b> *c*'
# The analyses as the appendices name them: the Results heading's title (the labels
# escaped), then the id.
ACU_VS_SHAM = "\\<b\\>Acupuncture\\</b\\> \\*x\\* vs Sham: pain, short term (`acu_vs_sham`)"
DN_VS_SHAM = "Dry needling vs Sham: pain, short term (`dn_vs_sham`)"

CONFIG: dict[str, Any] = {
    "review": {"title": TITLE, "question": "Does it work?\n  Really?", "population": "Adults <18"},
    "nodes": {"acu": {"label": NODE_LABEL, "treatments": ["acupuncture"]},
              "dn": {"label": "Dry needling", "treatments": ["dry_needling"]},
              "sham": {"label": "Sham", "treatments": ["sham_acupuncture"]}},
    "outcomes": {"pain": {"label": "Pain", "scale_min": 0, "scale_max": 10}},
    "windows": {"short": {"label": "Short term (1 to 12 weeks)", "min_weeks": 1, "max_weeks": 12, "target_weeks": 6}},
    "analyses": [
        {"id": "acu_vs_sham", "intervention": "acu", "comparator": "sham", "outcome": "pain", "window": "short", "measure": "SMD"},
        {"id": "dn_vs_sham", "intervention": "dn", "comparator": "sham", "outcome": "pain", "window": "short", "measure": "SMD"},
    ],
    "indirect": [{"id": "dn_vs_acu", "treatment_a": "dn", "treatment_b": "acu", "outcome": "pain", "window": "short",
                  "measure": "SMD"}],
    "methods": {"method": "REML", "test": "knha", "level": 95, "min_studies": 2},
    "effects": {"assume_equal_arms_from_total": True, "impute_missing_sd": False, "baseline_imbalance_smd": 0.1},
}
LABELS = {"acu": NODE_LABEL, "dn": "Dry needling", "sham": "Sham", "pain": "Pain", "short": "Short term (1 to 12 weeks)",
          "unnamed_control": "Control not named by the source"}
STUDIES = {"A": (SCRIPT, "rct"), "B": (TYPST, "rct"), "C": (INJECT, "rct"), "M": ("Review M", "meta_analysis"),
           "G": ("Guideline G", "guideline")}
ARMS = {"A": [("i", "acupuncture"), ("c", "sham_acupuncture")], "B": [("i", "acupuncture"), ("c", "sham_acupuncture")],
        "C": [("d", "dry_needling"), ("c", "sham_acupuncture")], "M": [("i", "acupuncture"), ("c", "sham_acupuncture")],
        "G": [("d", "dry_needling")]}
ARM_OUTCOMES = [("A", "i", 30, 3.0, 2.0), ("A", "c", 30, 4.0, 2.0), ("B", "i", 40, 3.5, 2.2), ("B", "c", 38, 4.1, 2.0)]
CONTRASTS = [
    {"study_id": "C", "arm1": "d", "arm2": "c", "measure": "SMD", "estimate": -0.4, "n1": 20, "n2": 20},
    {"study_id": "M", "arm1": "i", "arm2": "c", "measure": "SMD", "estimate": -0.5, "ci_lb": -0.8, "ci_ub": -0.2,
     "ci_level": 95.0, "k_studies": 5, "n_participants": 1234},
]
STATEMENTS = [{"study_id": "G", "arm1": "d", "outcome": "pain", "statement": "Use <needles> & $money$ | now",
               "quote": "q", "confidence": "low"}]
CLAIMS = [{"claim_id": "both_work", "claim": "Both *work* <i>", "quote": "q", "attributed_to": None,
           "attributed_study_id": None, "outcome": "pain", "treatment": "acupuncture;dry_needling",
           "comparator": None, "cointervention": None, "subgroup": None, "claimed_measure": "direction_only"}]


def spaced(text: str) -> str:
    """``text`` with its non-breaking spaces as spaces: where the report keeps words on
    one line (metareview.markdown.keep_together), which these tests do not check."""
    return text.replace("\u00a0", " ")


def raw_tables() -> dict[str, list[dict[str, Any]]]:
    common = {"outcome": "pain", "instrument": "VAS", "timepoint_weeks": 6.0, "quote": "q", "confidence": "high"}
    return {
        "arm_outcomes": [{"study_id": s, "arm_id": a, "value_type": "final", "n": n, "mean": m, "sd": sd, **common}
                         for s, a, n, m, sd in ARM_OUTCOMES],
        "contrasts": [{**common, "sign_convention": "arm1_minus_arm2", **c} for c in CONTRASTS],
        "statements": [dict(s) for s in STATEMENTS],
    }


def context(previous: dict[str, Any] | None = None, **config_changes: Any) -> ReportContext:
    config = {**CONFIG, **config_changes}
    tables = raw_tables()
    refs: dict[str, tuple[str, int]] = {}
    bundles = {}
    # arms.csv rows as resolve_refs numbers them: the header is row 1, studies in order.
    arm_rows = [f"arms.csv:{sid}#{i}" for sid in STUDIES for i in range(1, len(ARMS[sid]) + 1)]
    refs.update({ref: ("arms.csv", line) for line, ref in enumerate(arm_rows, start=2)})
    for sid, (label, design) in STUDIES.items():
        bundle: dict[str, Any] = {
            "study": {"study_id": sid, "label": label, "design": design, "source_level": "primary",
                      "identity_confidence": "high"},
            "treatments": [{"treatment": t, "label": t.replace("_", " "), "role": "active"}
                           for t in ("acupuncture", "dry_needling", "sham_acupuncture", "sham_dry_needling")],
            "instruments": [{"instrument": "VAS", "label": "VAS", "outcome": "pain", "scale_min": 0, "scale_max": 10,
                             "lower_is_better": True},
                            {"instrument": "VAS100", "label": "VAS 0-100", "outcome": "pain", "scale_min": 0,
                             "scale_max": 100, "lower_is_better": True}],
            "arms": [{"arm_id": a, "treatment": t, "_ref": f"arms.csv:{sid}#{i}"} for i, (a, t) in enumerate(ARMS[sid], 1)],
        }
        for table, rows in tables.items():
            mine = [(i, r) for i, r in enumerate(rows) if r["study_id"] == sid]
            bundle[table] = []
            for ordinal, (i, r) in enumerate(mine, 1):
                ref = f"{table}.csv:{sid}#{ordinal}"
                refs[ref] = (f"{table}.csv", i + 2)
                bundle[table].append({**r, "_ref": ref})
        bundles[sid] = bundle
    normalised = [normalise_study(b, nodes=config["nodes"], outcomes=config["outcomes"], windows=config["windows"])
                  for b in bundles.values()]
    effects = [study_effects(d, config["analyses"], windows=config["windows"]) for d in normalised]
    analyses = [pool_analysis(a, effects, methods=config["methods"], labels=LABELS) for a in config["analyses"]]
    # The proper names as the pipeline passes them (rules/analyses.smk).
    names = proper_names(config["nodes"])
    indirect = [indirect_comparison(x, analyses, labels=LABELS, names=names) for x in config["indirect"]]
    claims = check_claims(CLAIMS, normalised, analyses, node_of=node_map(config["nodes"]), labels=LABELS,
                          names=names)
    provenance = {"checksums": [("data/raw/studies.csv", "ab" * 32)], "software": {"Python": "3.11", "numpy": "2"},
                  "git_commit": "0123abc", "renderer": "pandoc <offline>", "build_date": "2024-05-06"}
    return ReportContext(config=config, labels=LABELS, analyses=analyses, indirect=indirect, claims=claims,
                         effects=effects, normalised=normalised, raw_rows=refs, raw_tables=tables,
                         provenance=provenance, figures={a["id"]: f"figures/{a['id']}.forest.svg" for a in config["analyses"]},
                         previous=previous)


@pytest.mark.parametrize(
    ("commit", "date_from", "label", "note"),
    [
        ("0123abc", "commit", "Sources last changed", ""),
        ("0123abc", None, "Sources last changed", ""),
        ("0123abc", "SOURCE_DATE_EPOCH", "Date set for this build", ""),
        ("0123abc4567 + uncommitted changes", "commit", "Draft, sources last committed",
         "from uncommitted changes to 0123abc"),
        ("0123abc4567 + uncommitted changes", "SOURCE_DATE_EPOCH", "Draft, date set for this build",
         "from uncommitted changes to 0123abc"),
        ("no commit + uncommitted changes", "today", "Draft, build date", "from uncommitted changes"),
        ("unknown (not a git checkout)", "today", "Build date", ""),
        ("unknown (not a git checkout)", None, "Build date", ""),
    ],
)
def test_the_title_block_labels_the_build_date_and_a_draft(commit: str, date_from: str | None, label: str,
                                                           note: str) -> None:
    # The label says what the date is, never a publication's ("Published", as Quarto's
    # HTML says by default) nor a bare "Dated", read as when the evidence was read: the
    # source commit's, or the build's (SOURCE_DATE_EPOCH, the day it ran); built from
    # uncommitted changes, the report is a draft and says so.
    ctx = context()
    ctx = dataclasses.replace(ctx, provenance={**ctx.provenance, "git_commit": commit,
                                               **({"date_from": date_from} if date_from else {})})
    front = build_report(TEMPLATE, ctx)[0].split("\n---\n", 1)[0]
    assert f'\nlanguage:\n  title-block-published: "{label}"\n' in front
    assert f'\nmetareview-draft: "{note}"\n' in front
    assert '\ndate: "2024-05-06"\n' in front
    # A draft's title says so: both renderers repeat the title on every PDF page and in
    # the PDF's and the HTML page's title, where the title block is not.
    assert front.startswith(f'---\ntitle: "{"Draft: " if note else ""}Needles '), front[:200]


@pytest.fixture(scope="module")
def built() -> tuple[str, list[list[Any]], dict[str, Any], ReportContext]:
    ctx = context()
    text, audit, keys = build_report(TEMPLATE, ctx)
    return text, audit, keys, ctx


# --- number formats -----------------------------------------------------------------------------------


def test_f2() -> None:
    assert f2(-0.456) == "\u22120.46"
    assert f2(1.5) == "1.50"
    assert f2(0.0) == "0.00"
    assert f2(-0.0) == "0.00"
    assert f2(-0.004) == "0.00"  # -0.00 is zero at this precision
    assert f2(-0.0004, 3) == "0.000"
    assert f2(-0.0006, 3) == "\u22120.001"
    assert f2(-12.3456, 1) == "\u221212.3"
    assert f2(None) == "\u2013"
    assert "-" not in f2(-3.0)


def test_results_name_only_the_sides_of_the_measures_the_review_uses(built) -> None:
    # A review of SMDs alone: the results' opening said which side of ratios and risk
    # differences favours the intervention, measures none of its analyses uses.
    text = built[0]
    intro = " ".join(text.split("## Results", 1)[1].split("\n\n", 2)[1].split())
    assert intro.endswith("states which side favours the intervention: for SMDs, negative values (lower on the "
                          "outcome's common scale, where lower is better).")
    for other in ("ratio", "risk difference", "beneficial", "harmful", "mean difference"):
        assert other not in intro, other


def test_the_results_say_in_words_what_the_heterogeneity_statistics_mean() -> None:
    # "τ² = 0.000 (Q-profile CI 0.000 to 7.338); I² = 0.0%; Q = 0.15 (df = 1, p = 0.700)"
    # met a clinician in the results with no word of what any of them is; the summary's
    # abbreviations name none of them, and the methods use them as terms of the trade.
    ctx = context()
    assert [r["status"] for r in ctx.analyses] == ["pooled", "single_study"]
    text = str(results_section(ctx))
    # The full list (the summary's gives only the terms it uses itself, none of these).
    said = text.index("In a pooled result below, as in the [list of abbreviations](#sec-abbreviations): τ² is "
                      "tau-squared, how much the "
                      "true effects of the studies differ")
    assert said < text.index("τ² = "), text
    for term in ("I² is the share of the variation between studies’ results beyond what chance would give",
                 "Q is Cochran’s Q, a test of whether the studies share one true effect",
                 "the prediction interval is where the true effect of a new study like these is expected to lie"):
        assert term in text, term
    # Word for word as the summary's list gives them: two wordings read as two meanings.
    listed = abbreviations_text("τ² = 0.1; I² = 5%; Q = 1.2; a prediction interval", {}, "")
    for name in ("τ²", "I²", "Q"):
        meaning = listed.split(f"{name}, ", 1)[1].split(";")[0].rstrip(".")
        assert f"{name} is {meaning}" in text, name
    assert "prediction interval is " + listed.split("prediction interval, ", 1)[1].rstrip(".\n") in text
    assert text.count("In a pooled result below") == 1
    # Nothing pooled: no statistic to explain.
    single = [{**r, "status": "single_study", "pooled": None} if r["status"] == "pooled" else r for r in ctx.analyses]
    assert "τ²" not in str(results_section(dataclasses.replace(ctx, analyses=single)))
    # A results table gives I² alone, and only its meaning is given.
    assert pooled_terms(True, False) == ("I² in the table below is the share of the variation between studies’ results "
                                         "beyond what chance would give, as in the [list of abbreviations]"
                                         "(#sec-abbreviations).\n")
    assert "τ²" not in pooled_terms(True, False) and pooled_terms(False, False) == ""


def test_a_node_marked_a_proper_name_keeps_its_capital_throughout_the_report() -> None:
    # Mid-sentence in the summary, the results, the figure captions and the indirect
    # comparison (computed by metareview.indirect).
    phrases = ["point estimate on the side of {}", "Negative values favour {}", "Indirect comparison of {} and",
               "For pain, {} and"]
    # Unmarked, "Dry needling" is lowered there.
    text, *_ = build_report(TEMPLATE, context())
    assert [p for p in phrases if p.format("dry needling") not in text] == []
    # Marked (as "Pilates" or "Alexander technique" would be), it reads as written, and
    # only it: "Sham" is still lowered.
    nodes = {**CONFIG["nodes"], "dn": {**CONFIG["nodes"]["dn"], "proper_name": True}}
    text, *_ = build_report(TEMPLATE, context(nodes=nodes))
    assert [p for p in phrases if p.format("Dry needling") not in text] == []
    assert [p for p in phrases if p.format("dry needling") in text] == []
    assert "against sham" in text


def test_p_text() -> None:
    assert p_text(0.0004) == "p \\< 0.001"
    assert p_text(0.001) == "p = 0.001"
    assert p_text(0.04567) == "p = 0.046"
    assert p_text(None) == "p = \u2013"


def test_statistics_and_et_al_are_never_split_across_lines(built) -> None:
    text = built[0]
    body = text.split("\n---\n", 1)[1]
    outside_code = re.sub(r"(?<![\\`])(`+)(?!`).*?(?<!`)\1(?!`)", "", body, flags=re.DOTALL)
    assert "k\u00a0=\u00a0" in outside_code and "et\u00a0al." in outside_code
    assert not re.search(r"(?<![\w\\])(?:[knNpQ]|df|I²|τ²)\*? (?:=|\\<)|\bet al\.", outside_code)


def test_no_bare_angle_bracket_reaches_pandoc() -> None:
    # A bare "<" starts an autolink for pandoc's reader, which then scans the rest of the
    # document for its end: quadratic in the number of them (minutes for a large review).
    ctx = context()
    pooled = next(r for r in ctx.analyses if r["status"] == "pooled")
    pooled["pooled"] = {**pooled["pooled"], "pval": 1e-5, "QEp": 1e-6}
    text, _, _ = build_report(TEMPLATE, ctx)
    assert text.count("p\u00a0\\<\u00a00.001") == 2  # escaped, and unbroken (keep_together)
    assert not re.search(r"(?<!\\)<", text)


# --- building the report -------------------------------------------------------------------------------


def test_every_marker_and_field_is_filled(built: tuple[str, list[list[Any]], dict[str, Any], ReportContext]) -> None:
    text, _, _, ctx = built
    assert "<!-- metareview:" not in text.replace(escape(INJECT), "")
    assert not re.search(r"(?<!\\)\{\{ [a-z_]+ \}\}", text)
    assert 'date: "2024-05-06"' in text
    assert "Does it work? Really?" in text  # the question's line breaks folded
    assert "Population: Adults \\<18." in text
    # The population is optional: without it the line says so, not "Population: .".
    review = {k: v for k, v in CONFIG["review"].items() if k != "population"}
    text = build_report(TEMPLATE, context(review=review))[0]
    # In words; the provenance names the key an auditor (or the team) would set.
    assert "\nPopulation: not stated by the review.\n" in text
    assert "the question's population, `review.population` (not set)" in section(text, "Provenance")
    assert "`review.population`" not in text.split("## Provenance", 1)[0]
    assert "Rendered with pandoc \\<offline\\>." in text
    p = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")["pooled"]
    est = p["estimate"]
    assert est < 0
    assert f"Pooled SMD **\u2212{abs(est):.2f}**" in text


def test_unknown_arm_sizes_print_as_not_reported_never_as_zero() -> None:
    import copy
    import dataclasses

    ctx = context()
    analyses = copy.deepcopy(ctx.analyses)
    result = next(r for r in analyses if r["studies"])
    result["studies"][0]["n1"] = result["studies"][0]["n2"] = None
    text = str(results_section(dataclasses.replace(ctx, analyses=analyses)))
    assert "| n/r / n/r |" in text.replace("  ", " ")
    assert "n/r: arm size not reported" in text
    assert "| 0 / 0 |" not in text


def test_unknown_and_missing_markers_and_fields_are_errors() -> None:
    ctx = context()
    with pytest.raises(KeyError, match="unknown section marker 'bogus'"):
        build_report(TEMPLATE + "\n<!-- metareview:bogus -->\n", ctx)
    with pytest.raises(KeyError, match="section markers missing: audit, claims"):
        build_report(TEMPLATE.replace("<!-- metareview:audit -->", "").replace("<!-- metareview:claims -->", ""), ctx)
    with pytest.raises(KeyError, match=r"unknown field '\{\{ nope \}\}'"):
        build_report(TEMPLATE + "\n{{ nope }}\n", ctx)
    # Named with its line in the template, and the fields there are.
    line = len(TEMPLATE.splitlines()) + 2
    with pytest.raises(KeyError, match=rf"reports/report.qmd, line {line}: unknown field '\{{\{{ nope \}}\}}' "
                                       r"\(the fields: audit_lead, authors, date, date_label, draft_note, favours, found_where, indirect_title, population, question, "
                                       r"raw_dir, renderer, study_kinds, title\)"):
        build_report(TEMPLATE + "\n{{ nope }}\n", ctx)


@pytest.mark.parametrize("slip", ["{{ question }", "{{question}}", "{ question }}", "{{ question"])
def test_a_field_with_a_slip_stops_the_report_with_its_line(slip: str) -> None:
    # Left unfilled, the slip reached the published report as typed, and the build passed.
    lines = TEMPLATE.splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line == "{{ question }}")
    lines[number - 1] = slip
    with pytest.raises(ValueError, match=rf"reports/report.qmd, line {number}: '{re.escape(slip)}' is no field"):
        build_report("\n".join(lines) + "\n", context())


def test_the_table_of_analyses_is_a_section_of_its_own_set_on_landscape_pages() -> None:
    # In the methods' text it was set on portrait pages, seven columns a word or two wide,
    # and its last rows ran onto a portrait page of their own before the landscape ones.
    ctx = context()
    assert "tbl-analyses" not in str(methods_section(ctx))
    table_md = str(analyses_table(ctx))
    assert "{#tbl-analyses}" in table_md
    # Its caption in words; the provenance names the config key.
    assert "\n: The analyses this review defines {#tbl-analyses}" in table_md and "config" not in table_md
    assert all(f"`{a['id']}`" in table_md for a in ctx.config["analyses"])
    # Its dashes (pandoc's relative widths) add up to a landscape line's budget, where its
    # names are longer than a portrait line holds.
    comparator = ctx.config["analyses"][0]["comparator"]
    long_names = dataclasses.replace(ctx, labels={**ctx.labels, comparator: "Usual care or guideline-based "
                                                  "conventional therapy, or a waiting list, or no treatment at all"})
    rule = next(line for line in str(analyses_table(long_names)).splitlines()
                if re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line))
    widths = [len(cell.strip()) for cell in rule.strip("|").split("|")]
    assert TABLE_BUDGET < sum(widths) <= APPENDIX_TABLE_BUDGET + len(widths)
    # The template sets it after the methods, once the pages are landscape.
    methods, analyses = TEMPLATE.index("<!-- metareview:methods -->"), TEMPLATE.index("<!-- metareview:analyses -->")
    flip = TEMPLATE.index("#set page(flipped: true)")
    assert methods < flip < analyses
    assert "#set page(flipped: false)" not in TEMPLATE[flip:analyses]
    text, _, _ = build_report(TEMPLATE, ctx)
    assert text.index("#set page(flipped: true)") < text.index("{#tbl-analyses}")
    assert analyses_table(dataclasses.replace(ctx, config={**ctx.config, "analyses": []})) == ""


def test_the_methods_describe_only_the_measures_the_review_uses() -> None:
    # The config's analyses are all SMDs: Hedges' g, but no word of mean differences on
    # the common scales, nor of a binary outcome.
    smd = str(methods_section(context()))
    assert "- **Effect sizes**: SMD as Hedges' g" in smd and "For SMDs, negative values favour the intervention." in smd
    assert "Mean differences on the common scales" not in smd and "square of its scale's range" not in smd
    assert "**Binary outcomes**" not in smd and "**Common scales**" in smd and "**Reporting forms**: arm-level" in smd
    # With an MD analysis as well, both; the search for τ² on a wide scale only for a mean
    # difference on a scale wider than 10 points (the fixture's pain is on 0 to 10).
    md = {**CONFIG["analyses"][0], "id": "acu_vs_sham_md", "measure": "MD"}
    both = str(methods_section(context(analyses=[*CONFIG["analyses"], md])))
    assert "Hedges' g" in both and "Mean differences on the common scales." in both
    assert "For mean differences and SMDs, negative values favour the intervention." in both
    # ("square root" is the small-study test's sample-size predictor, not this search.)
    assert "(metafor's default), a bound beyond that printed as \\> that end" in both and "up to the square" not in both
    wide = {"pain": {**CONFIG["outcomes"]["pain"], "scale_max": 100}}
    wide_md = str(methods_section(context(analyses=[*CONFIG["analyses"], md], outcomes=wide)))
    assert "(metafor's default) or, for a mean difference on a scale wider than 10 points, up to the square" in wide_md
    # On 0 to 100 but as an SMD, the default again: no mean difference is searched further.
    assert "up to the square" not in str(methods_section(context(outcomes=wide)))
    only_md = str(methods_section(context(analyses=[md])))
    assert "Hedges' g" not in only_md and "For mean differences, negative values favour the intervention." in only_md
    # Nor how an SMD keeps final values and change scores apart, or any SMD at all: a
    # review of mean differences alone listed "SMD" among its abbreviations for it.
    assert "never mixed within an SMD" in smd and "never mixed within an SMD" in both
    assert re.findall(r"\bSMDs?\b|Hedges", only_md) == []
    assert ("final values and change scores may be mixed within a mean difference, as the Cochrane Handbook (10.5.2) "
            "allows") in only_md
    assert "SMD" not in abbreviations_text(only_md)
    # A binary analysis alone: its own paragraph, none on means, SDs or common scales.
    rr = {**md, "id": "acu_vs_sham_rr", "measure": "RR"}
    binary = str(methods_section(context(analyses=[rr])))
    assert "- **Binary outcomes** (RR)" in binary
    assert not any(x in binary for x in ("**Effect sizes**", "**Common scales**", "change scores", "a mean difference"))
    assert "(metafor's default), a bound beyond that printed as \\> that end" in binary
    # Risk ratios alone: no odds ratio or risk difference, which the review never computes.
    said = " ".join(binary.split("**Binary outcomes**", 1)[1].split("\n- **", 1)[0].split())
    assert not any(x in said for x in ("odds", "OR ×", "risk difference", "risk + RD")), said
    assert "Risk ratios are pooled on the log scale and shown exponentiated (τ² on the log scale)." in said
    assert "(responders, improvement), risk ratios above 1 favour the intervention" in said
    # The difference before rounding (GRADEpro's), and no bound beyond a risk given.
    assert ("low- and high-risk rows): RR × risk (Cochrane Handbook 14.1.5.1), the difference taken before "
            "rounding, as in a GRADE summary-of-findings table; a bound that would fall below 0 or above 1,000 per "
            "1,000 is not given.") in said
    assert "that take its p to 0.05 or above (Walsh et al. 2014)." in said
    # All three: each named, the absolute effects by each formula.
    three = [{**rr, "id": f"acu_vs_sham_{m.lower()}", "measure": m} for m in ("RR", "OR", "RD")]
    said = " ".join(str(methods_section(context(analyses=three))).split())
    assert ("Risk and odds ratios are pooled on the log scale and shown exponentiated (τ² on the log scale); risk "
            "differences as proportions.") in said
    assert "RR × risk, OR × risk / (1 − risk + OR × risk), or risk + RD (Cochrane Handbook 14.1.5.1)" in said


def test_a_pooled_smd_is_given_in_its_instruments_points_and_traced_to_the_arms(monkeypatch) -> None:
    # Comparator arms of A (30, SD 2.0) and B (38, SD 3.0), both on the VAS: pooled SD
    # sqrt((29 x 4 + 37 x 9) / (29 + 37)) = sqrt(449 / 66) = 2.60826, printed 2.6.
    monkeypatch.setitem(globals(), "ARM_OUTCOMES", [*ARM_OUTCOMES[:3], ("B", "c", 38, 4.1, 3.0)])
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    p = r["pooled"]
    sd = math.sqrt(449 / 66)
    (x,) = r["re_expressed"]
    assert x["sd"] == pytest.approx(sd, rel=1e-12) and x["studies"] == ["A", "B"]
    # (The report's apostrophes are typographic: compared here as typed.)
    said = spaced(str(results_section(ctx))).replace("\u2019", "'")
    assert (f"Re-expressed in an instrument's points (Cochrane Handbook 15.5.3.2), the pooled SMD is about "
            f"{f2(p['estimate'] * sd, 1)} points (95% CI {f2(p['ci_lb'] * sd, 1)} to {f2(p['ci_ub'] * sd, 1)}) on "
            f"the VAS, taking the comparator arms' pooled SD of 2.6 from {escape(SCRIPT)} and {escape(TYPST)}; an "
            "approximation, as the instrument's SD differs between trials.") in said
    # After the pooled line, before the sensitivity analyses.
    assert said.index("Pooled SMD **") < said.index("Re-expressed in") < said.index("Leaving out one study")
    (row,) = [row for row in audit_rows(ctx) if str(row[1]).startswith("SMD in an instrument's points")]
    assert row[:3] == ["acu_vs_sham", "SMD in an instrument's points (VAS)", "A; B"]
    assert row[3] == pytest.approx(p["estimate"] * sd, rel=1e-12) and row[4] is None
    assert row[5] == "arm_outcomes.csv row 3; arm_outcomes.csv row 5"
    assert "arm_outcomes.csv row 5: value_type = final, n = 38, mean = 4.1, sd = 3," in row[6]
    assert ("B arm c (arm_outcomes.csv row 5, final values): n = 38, SD = 3 (its sd cell); pooled SD = "
            "sqrt(((30 - 1) x 2^2 + (38 - 1) x 3^2) / ((30 - 1) + (38 - 1))) = 2.60826") in row[8]
    assert f"printed as {f2(p['estimate'] * sd, 1)} (" in row[8]
    assert "SMDs in an instrument's points" in audit_lead(ctx)
    # The summary gives the points too, on the result's own line, without the SD's source.
    brief = spaced(str(summary_section(ctx))).replace("\u2019", "'")
    assert (f"In the instrument's points, about {f2(p['estimate'] * sd, 1)} (95% CI {f2(p['ci_lb'] * sd, 1)} to "
            f"{f2(p['ci_ub'] * sd, 1)}) on the VAS, an approximation.") in brief
    # The methods say how, where an analysis has such a number, and only there.
    line = "\n  - In an instrument's points: an SMD and its interval are multiplied by the pooled SD of the comparator"
    assert line in str(methods_section(ctx))
    bare = dataclasses.replace(ctx, analyses=[{**a, "re_expressed": []} for a in ctx.analyses])
    assert "In an instrument's points" not in str(methods_section(bare))
    assert "Re-expressed in" not in str(results_section(bare))
    # What changed says points that moved, with the SD that moved them: an edited
    # comparator SD moved the summary's points and nothing What changed listed.
    before = key_results(ctx)
    assert before["analyses"]["acu_vs_sham"]["re_expressed"] == {"VAS": {
        "points": f"{f2(p['estimate'] * sd, 1)} ({f2(p['ci_lb'] * sd, 1)} to {f2(p['ci_ub'] * sd, 1)})", "sd": "2.6"}}
    monkeypatch.setitem(globals(), "ARM_OUTCOMES", [*ARM_OUTCOMES[:3], ("B", "c", 38, 4.1, 3.6)])
    now = key_results(context())
    said = now["analyses"]["acu_vs_sham"]["re_expressed"]["VAS"]
    assert said["sd"] == "3.0"
    assert (f"SMD in points on the VAS: {before['analyses']['acu_vs_sham']['re_expressed']['VAS']['points']} → "
            f"{said['points']} (comparator SD 2.6 → 3.0)") in changes_section(now, before)
    # Against key results from before the points were kept: nothing said of them.
    older = json.loads(json.dumps(before))
    del older["analyses"]["acu_vs_sham"]["re_expressed"]
    assert "SMD in points on" not in changes_section(now, older)


def test_a_single_trials_smd_in_points_says_whose_sd_and_a_reflected_instrument() -> None:
    ctx = context()
    ctx = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "instruments": [
        {"instrument": "HFAQ_0_100", "label": "HFAQ 0-100", "lower_is_better": False}]})
    arm = {"study_id": "A", "ref": "arm_outcomes.csv:A#2", "arm_id": "c", "n": 161.0, "sd": 6.0, "from": "sd"}
    r = {"status": "single_study", "level": 95.0, "studies": [{"study_id": "A", "label": "Cherkin et al. (2009)"}],
         "re_expressed": [{"instrument": "RMDQ_0_23", "instrument_label": "RMDQ 0-23", "sd": 6.0, "studies": ["A"],
                           "arms": [arm], "estimate": -2.6588, "ci_lb": -3.9918, "ci_ub": -1.3259},
                          {"instrument": "HFAQ_0_100", "instrument_label": "HFAQ 0-100", "sd": 0.25, "studies": ["A"],
                           "arms": [arm, arm], "estimate": -0.1108, "ci_lb": -0.1664, "ci_ub": -0.0552}]}
    assert re_expressed_text(ctx, r).replace("\u2019", "'") == (
        "Re-expressed in its instruments' points (Cochrane Handbook 15.5.3.2), the trial's SMD is about \u22122.7 "
        "points (95% CI \u22124.0 to \u22121.3) on the RMDQ 0\u201323, taking its comparator arm's SD of 6.0; and "
        # An SD below 1 keeps two significant digits in its points.
        "about \u22120.11 points (95% CI \u22120.17 to \u22120.06) on the HFAQ 0\u2013100 (its scores reflected, as "
        "higher is better on it), taking its comparator arms' pooled SD of 0.25; an approximation, as the SMD is "
        "standardised by both arms' SD, not the comparator's alone.")
    assert re_expressed_text(ctx, {**r, "status": "not_poolable"}) == ""
    assert re_expressed_text(ctx, {**r, "re_expressed": []}) == ""
    # The summary's sentence: the same points, turned round with an analysis the summary
    # reads from its comparator's side.
    assert points_in_brief(ctx, r).replace("\u2019", "'") == (
        "In its instruments' points, about \u22122.7 (95% CI \u22124.0 to \u22121.3) on the RMDQ 0\u201323 and about "
        "\u22120.11 (95% CI \u22120.17 to \u22120.06) on the HFAQ 0\u2013100 (its scores reflected, as higher is better "
        "on it), an approximation.")
    assert points_in_brief(ctx, {**r, "re_expressed": r["re_expressed"][:1]}, swapped=True).replace(
        "\u2019", "'") == "In the instrument's points, about 2.7 (95% CI 1.3 to 4.0) on the RMDQ 0\u201323, an approximation."
    assert points_in_brief(ctx, {**r, "status": "no_studies"}) == ""
    # The results table's finding: the same points, briefer, the reflected instrument said.
    assert points_cell(ctx, r) == (
        "about \u22122.7 points (\u22124.0 to \u22121.3) on the RMDQ 0\u201323 and about \u22120.11 points "
        "(\u22120.17 to \u22120.06) on the HFAQ 0\u2013100 (its scores reflected, as higher is better on it)")
    assert points_cell(ctx, {**r, "re_expressed": []}) == ""


def test_the_methods_say_what_the_floored_scale_factor_does() -> None:
    # "studies that agree more closely than chance would have them give a narrower
    # interval" left a reader to parse who gives what; the bullet now says what the factor
    # measures and what its floor prevents.
    text = " ".join(str(methods_section(context(methods={**CONFIG["methods"], "test": "adhoc"}))).split())
    assert "closely than chance" not in text
    assert ("the factor compares how far the studies' results scatter about the pooled estimate with how far their "
            "variances predict, and below 1 (results closer together than their variances predict) it would narrow "
            "the interval, even below a fixed-effect model's; floored, the interval is never narrower than the "
            "Wald-type one.") in text


def test_the_leave_one_out_threshold_is_the_number_the_refits_need() -> None:
    # Each refit leaves one study out of k, so it pools k - 1; it needs max(3, min_studies):
    # 3 with the pooling threshold at 2, 5 with it at 5 (then the threshold is named).
    text = " ".join(str(methods_section(context())).split())
    assert "- **Sensitivity**: when each refit still pools at least 3 studies, the model is refitted" in text
    assert "(and `methods.min_studies`)" not in text
    text = " ".join(str(methods_section(context(methods={**CONFIG["methods"], "min_studies": 5}))).split())
    assert "when each refit still pools at least 5 studies, the pooling threshold, the model is refitted" in text
    # The setting in words in the methods; its key, for an auditor, in the provenance.
    assert "`methods.min_studies`" not in text
    assert "the pooling threshold, `methods.min_studies` (5)" in str(provenance_section(context(
        methods={**CONFIG["methods"], "min_studies": 5})))


def test_a_lowered_small_study_threshold_is_the_reviews_not_sternes() -> None:
    # Sterne et al. (2011) advise at least 10 studies; a review that tests from 5 says so.
    text = str(methods_section(context(methods={**CONFIG["methods"], "small_study_min": 5})))
    assert ("only with 5 or more studies (the review's own threshold), fewer than the 10 Sterne et al. 2011 advise"
            in text)
    # No config key in the methods' words: the provenance names them, with their values.
    assert "`methods." not in text
    settings = str(provenance_section(context(methods={**CONFIG["methods"], "small_study_min": 5})))
    assert "the fewest studies for the small-study test, `methods.small_study_min` (5)" in settings
    assert "the small-study test's predictor, `methods.small_study_predictor` (sei)" in settings
    assert "cannot tell asymmetry from chance (Sterne et al. 2011)" not in text
    text = str(methods_section(context(methods={**CONFIG["methods"], "small_study_min": 10})))
    assert "with fewer, such a test cannot tell asymmetry from chance (Sterne et al. 2011)." in text
    # A stricter 15 is the review's too: Sterne et al. do not say 14 studies are too few.
    text = str(methods_section(context(methods={**CONFIG["methods"], "small_study_min": 15})))
    assert ("only with 15 or more studies (the review's own threshold), more than the 10 Sterne et al. 2011 advise "
            "as the fewest") in text
    assert "cannot tell asymmetry from chance (Sterne et al. 2011)" not in text


def test_an_analysis_section_opens_with_its_measure_not_its_id() -> None:
    # "Analysis `acu_vs_sham`; measure: ..." led with the config's id under a heading that
    # names the analysis in words; the id stays where an auditor looks for it, beside the
    # analysis's words in the table of analyses and the appendices.
    ctx = context()
    text, _, _ = build_report(TEMPLATE, ctx)
    results = section(text, "Results")
    assert "{#sec-acu-vs-sham}\n\n::: {.keep-with-next}\nMeasure: SMD (Hedges\u2019 g); candidate trials: " in results
    assert not any(f"`{a['id']}`" in results for a in ctx.config["analyses"])
    assert all(f"`{a['id']}`" in str(analyses_table(ctx)) for a in ctx.config["analyses"])
    assert "(`acu_vs_sham`)" in section(text, "Appendix: audit trail")


def test_studies_csv_records_are_said_in_words_and_named_in_the_provenance() -> None:
    # "(`population_fit` in studies.csv: matches, ...)", "as studies.csv records it" and
    # "(studies.csv's identity confidence is low)" gave a clinician a file and a column to
    # decode. The methods and captions say what the team recorded; the provenance names
    # the columns for an auditor.
    ctx = context()
    population = next(x for x in str(methods_section(ctx)).splitlines() if x.startswith("- **Population**"))
    assert ("The team records how each study's population relates to this review's (matches, narrower, "
            "broader, different or unclear); an effect") in population
    assert "studies.csv" not in population and "population_fit" not in population and "`" not in population
    caption = str(trial_characteristics_table(ctx)).rsplit("\n: ", 1)[1]
    assert caption.startswith("Characteristics of each trial that contributes to an analysis: the population it "
                              "enrolled, as the team recorded it from the trial\u2019s source, and how")
    assert ".csv" not in caption
    external = str(external_section(ctx))
    assert "Whom each published meta-analysis pooled, as the team recorded it from the review, and how" in external
    assert "studies.csv" not in external
    docs = [dict(d) for d in ctx.normalised]
    g = next(d for d in docs if d["study"]["study_id"] == "G")
    g["study"] = {**g["study"], "identity_confidence": "low"}
    assert "studies.csv" not in str(narrative_section(dataclasses.replace(ctx, normalised=docs)))
    provenance = str(provenance_section(ctx)).replace("\\_", "_")
    assert ("- **Raw columns** the report gives in words, by their table in `data/raw/`: each study's population "
            "and how it relates to this review's, `population` and `population_fit` in studies.csv; how sure the "
            "team is that a study is the one named (the evidence table's identity), `identity_confidence` in "
            "studies.csv") in provenance


def test_the_report_names_the_raw_tables_folder_the_config_names() -> None:
    # A second review kept beside the example, its tables in data/neck/: the report's
    # opening says where its cells are, not the example's data/raw/.
    text, _, _ = build_report(TEMPLATE, context(raw_dir="data/neck/"))
    opening = text.split("## What changed", 1)[0]
    assert "`data/neck/`" in opening and "data/raw" not in opening


def test_hostile_labels_are_escaped(built: tuple[str, list[list[Any]], dict[str, Any], ReportContext]) -> None:
    text, _, _, _ = built
    body = text.split("\n---\n", 1)[1]  # front matter: see test_title_is_valid_yaml
    for raw_html in ("<script>", "</script>", "<b>", "<needles>", "<i>"):
        assert not re.search(r"(?<!\\)" + re.escape(raw_html), body), raw_html
    assert escape(SCRIPT) in body
    # The template's own raw Typst (the appendices' landscape pages) aside, no "#set page"
    # from a label reaches Typst unescaped.
    from_data = re.sub(r"(?s)```\{=typst\}\n.*?\n```", "", body)
    assert "#set page(flipped: true)" in body and not re.search(r"(?m)(?<!\\)#set page", from_data)
    assert escape(TYPST) in body
    assert not re.search(r"(?<!\\)\$money", body)
    # the study called "{{ title }} <!-- metareview:audit -->" is printed, not expanded
    assert escape(INJECT) in body
    assert TITLE not in body


def test_title_is_valid_yaml(built: tuple[str, list[list[Any]], dict[str, Any], ReportContext]) -> None:
    text, _, _, _ = built
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == escape(TITLE)
    # No author in the config: an empty list, which sets none.
    assert front["author"] == []


def test_the_configs_authors_are_the_reports() -> None:
    # Who answers for the report: its title block, the HTML's author tag and the PDF's
    # Author field. A name is data, escaped as the title is (pandoc reads it as Markdown).
    ctx = context(review={**CONFIG["review"], "authors": ["Ann Smith", "Group *A* @x"]})
    text, _, _ = build_report(TEMPLATE, ctx)
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["author"] == ["Ann Smith", "Group \\*A\\* \\@x"]


def test_study_table_header_follows_the_level() -> None:
    ctx = context(methods={**CONFIG["methods"], "level": 90})
    text, _, _ = build_report(TEMPLATE, ctx)
    section = text.split("#sec-acu-vs-sham")[1].split("###")[0]
    own, published = section.split("External evidence")
    assert "90% CI" in spaced(own) and "95% CI" not in spaced(own)
    # A published review's interval keeps the level its source states.
    assert "(95% CI \u22120.80 to \u22120.20)" in spaced(published) and "90% CI" not in spaced(published)


def _with_a_clear_effect(ctx: ReportContext) -> ReportContext:
    """The context with its pooled analysis's interval moved wholly below zero."""
    analyses = [dict(r) for r in ctx.analyses]
    pooled = next(r for r in analyses if r["status"] == "pooled")
    pooled["pooled"] = {**pooled["pooled"], "estimate": -0.5, "ci_lb": -0.9, "ci_ub": -0.1}
    return dataclasses.replace(ctx, analyses=analyses)


def test_the_bottom_line_escapes_labels_once_and_keeps_its_cross_reference() -> None:
    # One section per analysis: the clear effects are named, with their labels.
    text = bottom_line(_with_a_clear_effect(context()))
    assert f"{escape(NODE_LABEL)} vs Sham" in text
    # the indirect comparison (anchored through sham), labels lowercased and escaped once
    assert f"{escape('dry needling')} and {escape(_in_sentence(NODE_LABEL))} can only be compared indirectly" in text
    # A results table instead: the count points to it, and @tbl-results stays a reference.
    text = bottom_line(_with_a_clear_effect(context(report={"detail_limit": 1})))
    assert "have a confidence interval that lies wholly on one side of no difference (see @tbl-results)." in text


def test_the_bottom_line_gives_the_interval_of_a_finding_that_excludes_no_difference() -> None:
    # A review without indirect comparisons: its pooled analyses are the bottom line, and
    # a clear finding is given with its interval as one compatible with no difference is.
    ctx = _with_a_clear_effect(context(indirect=[]))
    text = " ".join(bottom_line(ctx).split())
    clear = text.split("lies wholly on one side of no difference: ")[1]
    # _with_a_clear_effect sets the estimate to -0.5 and its interval to -0.9 to -0.1.
    assert clear.startswith(f"{escape(NODE_LABEL)} vs Sham (pain), SMD \u22120.50 (95% CI \u22120.90 to \u22120.10), "
                            f"favouring {escape(_in_sentence(NODE_LABEL))}")


def test_the_bottom_line_gives_a_pooled_mean_difference_with_its_scale() -> None:
    # "MD −0.50" alone does not say whether of 10 points or of 100: the outcome's common
    # scale (CONFIG's pain: 0 to 10) follows the interval, as for a single trial's MD.
    ctx = _with_a_clear_effect(context(indirect=[], analyses=[{**a, "measure": "MD"} for a in CONFIG["analyses"]]))
    text = " ".join(bottom_line(ctx).split())
    assert "MD \u22120.50 (95% CI \u22120.90 to \u22120.10) points on the 0 to 10 scale, favouring " in text
    r = next(x for x in ctx.analyses if x["status"] == "pooled")
    r["pooled"] = {**r["pooled"], "estimate": -0.2, "ci_lb": -0.6, "ci_ub": 0.2}
    text = " ".join(bottom_line(ctx).split())
    assert "MD \u22120.20 (95% CI \u22120.60 to 0.20) points on the 0 to 10 scale." in text


def test_the_bottom_line_names_a_treatment_without_trials_as_the_reason() -> None:
    ctx = context()
    spec = CONFIG["indirect"][0]
    # Dry needling's only analysis left out: it has no trial against a third treatment.
    acu_only = [r for r in ctx.analyses if r["analysis"]["intervention"] != "dn"]
    lonely = indirect_comparison(spec, acu_only, labels=LABELS)
    text = bottom_line(dataclasses.replace(ctx, indirect=[lonely]))
    # In one plain clause: why no indirect comparison can be made is the indirect section's.
    assert "no usable trial of dry needling against a named third treatment exists to compare them through" in text
    # Both sides with trials, none against the same comparator: that is the reason given,
    # in words, without the term of the trade.
    apart = {**lonely, "comparators_a": ["usual_care"]}
    text = bottom_line(dataclasses.replace(ctx, indirect=[apart]))
    assert "against a named third treatment" not in text and "common comparator" not in text
    plain = "there is no third treatment that trials compared with each of them, through which to compare them"
    assert plain in text
    # Dry needling's trial against sham is analysed on another measure: it has one.
    elsewhere = {**lonely, "other_measures": [
        {"measure": "MD", "comparators_a": ["sham"], "comparators_b": [], "common": []}]}
    text = bottom_line(dataclasses.replace(ctx, indirect=[elsewhere]))
    assert "against a named third treatment" not in text and plain in text
    # ... and acupuncture's too: a comparison on that measure would be anchored.
    shared = {**lonely, "other_measures": [
        {"measure": "MD", "comparators_a": ["sham"], "comparators_b": ["sham"], "common": ["sham"]}]}
    text = bottom_line(dataclasses.replace(ctx, indirect=[shared]))
    # One that the config does not define: the bottom line says it could be, not that it is.
    assert "and no third treatment links them on SMD (one does on MD); see [" in text
    # Beside published reviews of the two, the reason in full, the term said in words where
    # it is first used, and once.
    gloss = "(a third treatment that trials compared with each of the two, through which they could be compared) "
    acu_vs_sham = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    review = {**acu_vs_sham["external"][0], "study_id": "Z", "label": "Zhang et al. (2024)", "ref": "z1"}
    h2h = {**acu_vs_sham, "status": "no_data", "k": 0, "studies": [], "pooled": None, "excluded": [],
           "external": [review],
           "analysis": {**acu_vs_sham["analysis"], "id": "dn_vs_acu_pain", "intervention": "dn",
                        "intervention_label": "Dry needling", "comparator": "acu", "comparator_label": NODE_LABEL}}
    published = {**apart, "direct": [{"analysis": "dn_vs_acu_pain", "k": 0, "status": "no_data"}]}
    twice = bottom_line(dataclasses.replace(ctx, analyses=[*ctx.analyses, h2h],
                                            indirect=[published, {**published, "outcome": "disability"}]))
    assert twice.count(f"there is no common comparator {gloss}for an anchored indirect comparison") == 1, twice
    # After an outcome no trial answers, whose sentence says it in plain words, the first
    # sentence to use the term still glosses it.
    after = bottom_line(dataclasses.replace(ctx, analyses=[*ctx.analyses, h2h],
                                            indirect=[apart, {**published, "outcome": "disability"}]))
    assert after.count(gloss) == 1 and plain in after, after


def _head_to_head(single: dict[str, Any], *, excluded: list[dict[str, Any]] | None = None,
                  unusable: bool = False) -> dict[str, Any]:
    """A single-study analysis made dry needling against acupuncture (MD), with the trials
    it set aside (``excluded``), and, ``unusable``, no usable study of its own."""
    h2h = {**single, "analysis": {**single["analysis"], "id": "dn_vs_acu_md", "comparator": "acu",
                                  "comparator_label": NODE_LABEL, "measure": "MD"}}
    if excluded is not None:
        h2h["excluded"] = excluded
    if unusable:
        h2h.update(status="no_studies", k=0, studies=[], pooled=None)
    return h2h


def test_the_bottom_line_names_the_window_of_an_outcome_analysed_in_two() -> None:
    # Abstinence at 6 and at 12 months: "For pain, one head-to-head trial" read as all the
    # head-to-head evidence when an analysis in the other window held more trials of the
    # two. With one window per outcome the sentence stays as it was.
    ctx = context()
    single = next(r for r in ctx.analyses if r["status"] == "single_study")
    h2h = _head_to_head(single)
    doc = indirect_comparison(CONFIG["indirect"][0], [*ctx.analyses, h2h], labels=LABELS)
    one_window = bottom_line(dataclasses.replace(ctx, analyses=[*ctx.analyses, h2h], indirect=[doc]))
    assert "For pain, one head-to-head trial" in one_window
    later = {**h2h, "analysis": {**h2h["analysis"], "id": "dn_vs_acu_md_long", "window": "long"}}
    config = {**ctx.config, "windows": {**ctx.config["windows"], "long": {
        "label": "Long term (13 to 52 weeks)", "min_weeks": 13, "max_weeks": 52, "target_weeks": 26}}}
    two_windows = bottom_line(dataclasses.replace(ctx, config=config, analyses=[*ctx.analyses, h2h, later],
                                                  indirect=[doc]))
    assert "For pain (short term), one head-to-head trial" in two_windows


def test_a_trial_pooled_in_another_window_is_not_counted_as_set_aside() -> None:
    # A review of two windows: each trial measured in one window is "outside the window"
    # of the other's analysis. The summary read "4 trials set aside: 3 do not say which
    # way the groups differed" of five trials every analysis pooled.
    from metareview.report.overview import _left_out_of
    from metareview.report.summary import _set_aside_here

    ctx = context()
    pooled = next(r for r in ctx.analyses if r["status"] == "pooled")
    trial = pooled["studies"][0]
    window = {"kind": "outside_window", "weeks": [6.0], "window": "long", "min_weeks": 13.0, "max_weeks": 52.0}
    gone = {"study_id": trial["study_id"], "label": trial["label"], "refs": [],
            "reason": "timepoint 6 weeks is outside the window of 13 to 52 weeks",
            "reasons": [{"reason": "timepoint 6 weeks is outside the window of 13 to 52 weeks", "timepoint": window}]}
    later = {**pooled, "analysis": {**pooled["analysis"], "id": f"{pooled['analysis']['id']}_long", "window": "long"},
             "studies": pooled["studies"][1:], "excluded": [gone]}
    config = {**ctx.config, "windows": {**ctx.config["windows"], "long": {
        "label": "Long term (13 to 52 weeks)", "min_weeks": 13, "max_weeks": 52, "target_weeks": 26}}}
    two = dataclasses.replace(ctx, config=config, analyses=[*ctx.analyses, later])
    assert str(_left_out_of(two, [pooled, later])) == ""
    said = _set_aside_here(two, later)
    assert "set aside" not in said and said.startswith(f"; {escape(trial['label'])}, measured at "), said
    assert said.endswith(", is pooled in the short term analysis"), said
    # Set aside for another reason too (no SD at 26 weeks, say), it is one set aside.
    other = {**gone, "reasons": [*gone["reasons"], {"reason": "no SD reported"}]}
    both = {**later, "excluded": [other]}
    two = dataclasses.replace(two, analyses=[*ctx.analyses, both])
    assert "1 trial set aside" in str(_left_out_of(two, [pooled, both]))
    assert "set aside (see @tbl-excluded)" in _set_aside_here(two, both)


def test_the_bottom_line_gives_a_head_to_head_trial_on_any_measure() -> None:
    # A trial of dry needling against acupuncture, analysed as MD while the indirect
    # comparison is on SMD: the bottom line gives its effect and never says no trial
    # compares the two.
    ctx = context()
    single = next(r for r in ctx.analyses if r["status"] == "single_study")
    h2h = _head_to_head(single)
    spec = CONFIG["indirect"][0]
    doc = indirect_comparison(spec, [*ctx.analyses, h2h], labels=LABELS)
    assert [d["analysis"] for d in doc["direct"]] == ["dn_vs_acu_md"]
    text = bottom_line(dataclasses.replace(ctx, analyses=[*ctx.analyses, h2h], indirect=[doc]))
    assert "compares them head to head" not in text
    assert f"one head-to-head trial of dry needling and {escape(_in_sentence(NODE_LABEL))}, not pooled: " in text
    assert f"MD {f2(single['studies'][0]['yi'])} (95% CI" in text
    # Anchored beside it: the indirect comparison is no longer the "only" one.
    assert "can only be compared indirectly" not in text and "Beside it, dry needling and" in text
    # Without it, as before.
    assert "can only be compared indirectly" in bottom_line(ctx)
    # Two trials, fewer than the review pools: said plainly, not with the analysis's reason
    # as a sentence in brackets.
    two = {**h2h, "status": "not_poolable", "k": 2, "reason": "Only 2 studies (fewer than 3): nothing pooled."}
    doc2 = indirect_comparison(spec, [*ctx.analyses, two], labels=LABELS)
    ctx3 = dataclasses.replace(ctx, analyses=[*ctx.analyses, two], indirect=[doc2],
                               config={**ctx.config, "methods": {**ctx.config["methods"], "min_studies": 3}})
    assert (f"2 head-to-head trials of dry needling and {escape(_in_sentence(NODE_LABEL))}, not pooled (fewer than the 3 "
            "studies this review pools)") in str(bottom_line(ctx3))
    # Pooled and clear: given once, with the head-to-head trials and what qualifies the
    # estimate (a study it rests on), not again among the other pooled analyses.
    pooled = next(r for r in ctx.analyses if r["status"] == "pooled")
    sid = pooled["studies"][0]["study_id"]
    flip = {"study_id": sid, "estimate": -0.2, "se": 0.1, "ci_lb": -0.5, "ci_ub": 0.1, "pval": 0.2}
    clear = {**h2h, "status": "pooled", "k": 2, "studies": pooled["studies"],
             "pooled": {**pooled["pooled"], "ci_lb": -0.9, "ci_ub": -0.1, "leave1out": [flip]}}
    doc3 = indirect_comparison(spec, [*ctx.analyses, clear], labels=LABELS)
    text = str(bottom_line(dataclasses.replace(ctx, analyses=[*ctx.analyses, clear], indirect=[doc3])))
    assert "2 head-to-head trials of dry needling" in text
    assert f"(sensitive to leaving out {escape(pooled['studies'][0]['label'])})" in text
    assert "Pooled analyses whose confidence interval" not in text


def _pooled_head_to_head(ci: tuple[float, float], stated: list[tuple[str, str | None, str]],
                         source: str = "M") -> ReportContext:
    """The example context with a pooled analysis of dry needling against acupuncture
    (interval ``ci``, SMD) and, in ``source``'s record, statements comparing the two on
    pain as (direction, timepoint label, quote)."""
    ctx = context()
    single = next(r for r in ctx.analyses if r["status"] == "single_study")
    pooled = next(r for r in ctx.analyses if r["status"] == "pooled")
    h2h = {**_head_to_head(single), "status": "pooled", "k": 2, "studies": pooled["studies"],
           "pooled": {**pooled["pooled"], "estimate": (ci[0] + ci[1]) / 2, "ci_lb": ci[0], "ci_ub": ci[1]}}
    docs = [dict(d) for d in ctx.normalised]
    doc = next(d for d in docs if d["study"]["study_id"] == source)
    doc["statements"] = [{"arm1": "x", "arm2": "y", "node1": "dn", "node2": "acu", "outcome": "pain",
                          "direction": direction, "timepoint_label": when, "statement": quote, "quote": quote,
                          "confidence": "high"} for direction, when, quote in stated]
    analyses = [*ctx.analyses, h2h]
    doc_x = indirect_comparison(CONFIG["indirect"][0], analyses, labels=LABELS)
    # The analysis's window reads "post-intervention" as its own, as the example's does.
    windows = {**ctx.config["windows"], "short": {**ctx.config["windows"]["short"], "terms": ["post intervention"]}}
    return dataclasses.replace(ctx, analyses=analyses, indirect=[doc_x], normalised=docs,
                               config={**ctx.config, "windows": windows},
                               figures={**ctx.figures, "dn_vs_acu_md": "figures/dn_vs_acu_md.forest.svg"})


#: Review M's statements, as Hu 2018's: better at the end of treatment, alike later.
_BETTER_THEN_ALIKE = [("favours_arm1", "post-intervention", "DN was more effective"),
                      ("no_difference", "follow-up", "only equal")]

#: The same, with the second stated of no time: both are of the analysis's window.
_BETTER_THEN_ALIKE_ANY_TIME = [_BETTER_THEN_ALIKE[0], ("no_difference", None, "only equal")]


def test_a_pooled_head_to_head_result_keeps_the_statements_in_words_beside_it() -> None:
    # The one published review of the question says dry needling is better: once trials
    # were pooled, it dropped out of the summary and of the analysis's section, just where
    # the pooled interval settled nothing. Said beside the estimate, weighed against it.
    open_ = _pooled_head_to_head((-0.9, 0.3), _BETTER_THEN_ALIKE)
    text = " ".join(str(bottom_line(open_)).split())
    said = ("In words, without numbers to check here: a meta-analysis, Review M, states a difference on dry "
            "needling\u2019s side (post-intervention), which the pooled interval here, compatible with a difference "
            "and with none, neither bears out nor contradicts, and no difference (follow-up), at a time the review "
            "places in no window, which it does not test (see @tbl-narrative).")
    assert "2 head-to-head trials of dry needling" in text and said in text, text
    # The analysis's section says the same, where statements are said of one without trials.
    section = " ".join(str(results_section(open_)).split())
    assert ("Statements in words compare the two on this outcome, at any timepoint and in any design, without "
            "numbers to pool: a meta-analysis, Review M, states a difference on dry needling\u2019s side") in section
    # Wholly on dry needling's side: it bears out the one and not the other.
    clear = " ".join(str(bottom_line(_pooled_head_to_head((-0.9, -0.1), _BETTER_THEN_ALIKE_ANY_TIME))).split())
    assert ("states a difference on dry needling\u2019s side (post-intervention), which the pooled interval here, "
            "wholly on dry needling\u2019s side, bears out, and no difference, which it does not") in clear
    # Of another window than the analysis's, or of a time placed in none, a statement is
    # named, not weighed: a trial of week 4 never measured "follow-up".
    placed = _pooled_head_to_head((-0.9, -0.1), [*_BETTER_THEN_ALIKE, ("no_difference", "6-month follow-up", "alike")])
    windows = {**placed.config["windows"], "long": {"label": "Long term (13 to 52 weeks)", "min_weeks": 13,
                                                    "max_weeks": 52, "target_weeks": 26}}
    placed = dataclasses.replace(placed, config={**placed.config, "windows": windows})
    text = " ".join(str(bottom_line(placed)).split())
    assert ("states a difference on dry needling\u2019s side (post-intervention), which the pooled interval here, "
            "wholly on dry needling\u2019s side, bears out, and no difference (6-month follow-up), of another period "
            "than this analysis\u2019s; and no difference (follow-up), at a time the review places in no window, which "
            "it does not test (see @tbl-narrative).") in text, text
    later = _pooled_head_to_head((-0.9, -0.1), [("no_difference", "follow-up", "alike")])
    assert ("a meta-analysis, Review M, states no difference (follow-up), at a time the review places in no window, "
            "which the pooled interval here does not test (see @tbl-narrative).") in " ".join(
                str(bottom_line(later)).split())
    # Wholly on acupuncture's side: a statement favouring dry needling is not borne out.
    acu = escape(_in_sentence(NODE_LABEL))
    against = " ".join(str(bottom_line(_pooled_head_to_head((0.1, 0.9), _BETTER_THEN_ALIKE[:1]))).split())
    assert (f"which the pooled interval here, wholly on {acu}\u2019s side, does not bear out (see "
            "@tbl-narrative).") in against
    # A statement that does not say how the groups compared is named, not weighed.
    unclear = " ".join(str(bottom_line(_pooled_head_to_head((0.1, 0.9), [("unclear", None, "improved")]))).split())
    assert ("a meta-analysis, Review M, states a finding that does not say how the groups compared (see "
            "@tbl-narrative).") in unclear
    # A statement by a trial the estimate pools is the estimate's own: not set against it.
    own = _pooled_head_to_head((-0.9, 0.3), _BETTER_THEN_ALIKE, source="A")
    assert "In words, without numbers" not in str(bottom_line(own))
    assert "Statements in words compare" not in str(results_section(own))
    # No statement: nothing said.
    none = _pooled_head_to_head((-0.9, 0.3), [])
    assert "In words, without numbers" not in str(bottom_line(none))


def test_one_head_to_head_trial_is_weighed_against_the_statements_as_a_pooled_result_is() -> None:
    ctx = _pooled_head_to_head((-0.9, 0.3), _BETTER_THEN_ALIKE)
    single = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_acu_md")
    one = {**single, "status": "single_study", "k": 1, "studies": single["studies"][:1], "pooled": None}
    one["studies"] = [{**one["studies"][0], "ci_lb": -0.2, "ci_ub": -0.1}]
    said = ("which the one trial\u2019s interval here, wholly on dry needling\u2019s side, bears out, and no "
            "difference (follow-up), at a time the review places in no window, which it does not test (see "
            "@tbl-narrative).")
    # Anchored through sham as well: after the indirect estimate.
    analyses = [one if r is single else r for r in ctx.analyses]
    doc_x = indirect_comparison(CONFIG["indirect"][0], analyses, labels=LABELS)
    assert doc_x["status"] == "anchored"
    text = " ".join(str(bottom_line(dataclasses.replace(ctx, analyses=analyses, indirect=[doc_x]))).split())
    assert text.index("are compared indirectly, through sham") < text.index(said), text
    # Not anchored (no trial of dry needling against sham): in place of the quote at
    # length, not beside it.
    analyses = [r for r in analyses if r["analysis"]["id"] != "dn_vs_sham"]
    doc_x = indirect_comparison(CONFIG["indirect"][0], analyses, labels=LABELS)
    text = " ".join(str(bottom_line(dataclasses.replace(ctx, analyses=analyses, indirect=[doc_x]))).split())
    assert "nothing anchors an indirect comparison. In words, without numbers to check here: a meta-analysis" in text
    assert said in text and "Such statements cannot be checked" not in text


def test_a_head_to_head_estimate_gives_its_trials_risk_of_bias_where_no_grade_rating_does() -> None:
    # Recorded in risk_of_bias.csv but said only in the risk-of-bias table: the one
    # trial behind the question's estimate read as a finding, and a judgement changed to
    # high changed nothing beside it. Said in the bottom line, the key messages and the
    # study-effects table; not where a GRADE rating says how the judgements weigh.
    from metareview.report.brief import key_messages

    ctx = _pooled_head_to_head((-0.9, 0.3), [])
    single = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_acu_md")
    one = {**single, "status": "single_study", "k": 1, "studies": single["studies"][:1], "pooled": None}
    analyses = [one if r is single else r for r in ctx.analyses]
    ctx = dataclasses.replace(ctx, analyses=analyses,
                              indirect=[indirect_comparison(CONFIG["indirect"][0], analyses, labels=LABELS)])
    sid = one["studies"][0]["study_id"]
    assert "overall risk of bias" not in str(bottom_line(ctx)) + key_messages(ctx) + str(results_section(ctx))
    docs = [{**d, "risk_of_bias": [{"domain": "overall", "judgement": "some_concerns"}]}
            if d["study"]["study_id"] == sid else d for d in ctx.normalised]
    judged = dataclasses.replace(ctx, normalised=docs)
    line = " ".join(str(bottom_line(judged)).split())
    assert "one head-to-head trial of dry needling" in line and "; overall risk of bias: some concerns" in line, line
    assert "; overall risk of bias: some concerns)" in key_messages(judged)
    assert "overall risk of bias: some concerns" in str(results_section(judged))
    # In the summary's analysis-by-analysis list too, and how many trials are judged.
    line = next(x for x in str(summary_section(judged)).splitlines() if "Dry needling vs" in x and "Acupuncture" in x)
    assert "Overall risk of bias: some concerns." in line, line
    trials = sum(1 for d in judged.normalised if d["study"]["role"] == "trial")
    assert f"Risk of bias is recorded for 1 of the {trials} trials but grades no result" in str(bottom_line(judged))
    assert f"risk of bias recorded for 1 of the {trials} trials but grading no result" in key_messages(judged)
    # Pooled: counted, as the GRADE facts count them.
    pooled = _pooled_head_to_head((-0.9, 0.3), [])
    h2h = next(r for r in pooled.analyses if r["analysis"]["id"] == "dn_vs_acu_md")
    first = h2h["studies"][0]["study_id"]
    docs = [{**d, "risk_of_bias": [{"domain": "overall", "judgement": "high"}]}
            if d["study"]["study_id"] == first else d for d in pooled.normalised]
    line = " ".join(str(bottom_line(dataclasses.replace(pooled, normalised=docs))).split())
    assert "; overall risk of bias: high (1), not recorded (1)" in line, line
    # Rated with GRADE: the certainty clause says how they weigh, and this one is not added.
    graded = dataclasses.replace(judged, config={**judged.config, "analyses": [
        *judged.config["analyses"], {**one["analysis"], "certainty": {**JUDGED, "studies": [sid]}}]})
    line = " ".join(str(bottom_line(graded)).split())
    # On the head-to-head line, which gives the level; the treatments' lines, ungraded,
    # keep their notes.
    head = line.split("one head-to-head trial", 1)[1].split("(see Results)", 1)[0]
    assert "certainty of the evidence (GRADE)" in head and "overall risk of bias" not in head, line
    # Means estimated from medians are said in the key messages too, as in the summary.
    assert "estimated from medians" not in key_messages(judged)
    median = {**one, "studies": [{**one["studies"][0], "form": "arm-level medians and quartiles"}]}
    analyses = [median if r is one else r for r in judged.analyses]
    assert "; overall risk of bias: some concerns; means and SDs estimated from medians)" in key_messages(
        dataclasses.replace(judged, analyses=analyses))


def test_statements_beside_an_estimate_are_the_questions_alone() -> None:
    # An analysis outside the review's question keeps its section as it was: its
    # statements are listed in the overview of each treatment, apart from its estimate.
    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    m = next(d for d in docs if d["study"]["study_id"] == "M")
    m["statements"] = [{"arm1": "i", "arm2": "c", "node1": "acu", "node2": "sham", "outcome": "pain",
                        "direction": "favours_arm1", "timepoint_label": None, "statement": "s", "quote": "q",
                        "confidence": "high"}]
    ctx = dataclasses.replace(ctx, normalised=docs)
    assert next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")["status"] == "pooled"
    assert "Statements in words compare" not in str(results_section(ctx))


def test_the_indirect_section_puts_head_to_head_evidence_before_the_missing_comparator() -> None:
    # "Important: No common comparator" opening the subsection read as "nothing is known"
    # above two pooled trials of the two: with direct evidence, it comes first and the box
    # is a note after it that says so.
    ctx = _pooled_head_to_head((-0.9, 0.3), [])
    # Without dry needling's trial against sham, nothing anchors an indirect comparison.
    no_sham = [r for r in ctx.analyses if r["analysis"]["id"] != "dn_vs_sham"]
    x = indirect_comparison(CONFIG["indirect"][0], no_sham, labels=LABELS)
    assert x["status"] != "anchored" and [d["analysis"] for d in x["direct"]] == ["dn_vs_acu_md"]
    section = str(indirect_section(dataclasses.replace(ctx, analyses=no_sham, indirect=[x])))
    assert ".callout-important" not in section and ".callout-note" in section
    assert section.index("Direct head-to-head evidence: 2 head-to-head trials") < section.index(".callout-note")
    assert ("The head-to-head evidence above compares the two directly; this says only why no indirect comparison "
            "is added to it.") in section
    assert ": no indirect comparison beside the direct evidence\n" in section
    # Without it, the box still opens the subsection, as important.
    bare = [r for r in no_sham if r["analysis"]["id"] != "dn_vs_acu_md"]
    y = indirect_comparison(CONFIG["indirect"][0], bare, labels=LABELS)
    section = str(indirect_section(dataclasses.replace(ctx, analyses=bare, indirect=[y])))
    assert ".callout-important" in section and "beside the direct evidence" not in section
    assert section.index(".callout-important") < section.index("No trial in the data compares the two")


def test_a_trial_that_only_nearly_compares_the_two_is_left_to_the_indirect_section_beside_pooled_trials() -> None:
    # Trigger point needling against acupuncture (trial A), beside two pooled trials of dry
    # needling against acupuncture: its ninety words would outweigh them in the summary.
    ctx = _pooled_head_to_head((-0.9, 0.3), [])
    docs = [dict(d) for d in ctx.normalised]
    a = next(d for d in docs if d["study"]["study_id"] == "A")
    a["arms"] = [a["arms"][0], {**a["arms"][1], "node": None, "treatment": "tp", "treatment_label": "Trigger point needling"}]
    a["statements"] = [{"arm1": a["arms"][1]["arm_id"], "arm2": a["arms"][0]["arm_id"], "outcome": "pain",
                        "statement": "Not significant.", "quote": "differences not statistically significant",
                        "direction": "no_difference"}]
    both = dataclasses.replace(ctx, normalised=docs)
    assert "compared trigger point needling" in str(indirect_section(both))
    assert "trigger point needling" not in str(bottom_line(both))
    # Without the pooled trials, the summary names it, as before.
    alone = dataclasses.replace(both, analyses=[r for r in ctx.analyses if r["analysis"]["id"] != "dn_vs_acu_md"],
                                indirect=[indirect_comparison(CONFIG["indirect"][0], context().analyses, labels=LABELS)])
    assert "compared trigger point needling" in str(bottom_line(alone))


def test_a_head_to_head_trial_set_aside_is_named_with_its_own_effect() -> None:
    # Two trials of dry needling against acupuncture: one used, one set aside for its change
    # scores (an SMD of final values cannot take them). "One head-to-head trial" alone read
    # as all the data hold; the other's own effect is evidence on the question too.
    ctx = context()
    single = next(r for r in ctx.analyses if r["status"] == "single_study")
    # Its own SMD by hand: g = -0.22, SE 0.2 -> 95% CI -0.22 -/+ 1.959964 x 0.2 = -0.61 to 0.17.
    own = {"value_type": "change", "yi": -0.22, "vi": 0.04, "ci_lb": -0.22 - 1.959964 * 0.2,
           "ci_ub": -0.22 + 1.959964 * 0.2, "form": "arm-level means and SDs", "steps": [], "refs": []}
    h2h = _head_to_head(single, excluded=[{"study_id": "Demo2025", "label": "Demo et al. (2025)", "refs": [],
                                           "reason": "only change values; this MD analysis uses final values",
                                           "own_effect": own}])
    doc = indirect_comparison(CONFIG["indirect"][0], [*ctx.analyses, h2h], labels=LABELS)
    both = dataclasses.replace(ctx, analyses=[*ctx.analyses, h2h], indirect=[doc])
    # A sentence of its own after the direct evidence's, the label before a colon: in the
    # sentence, "Demo et al. (2025) (only change values; ... (95% CI ...))" nested brackets.
    said = ("(see Results). A further trial of the two was set aside, Demo et al. (2025): only change values; this MD "
            "analysis uses final values; its own MD from changes from baseline, not combined with the others: −0.22 "
            "(95% CI −0.61 to 0.17).")
    assert said in str(bottom_line(both))
    # After it, "Beside it" would read as the trial set aside.
    assert "0.17). Beside the head-to-head evidence, dry needling and " in str(bottom_line(both))
    # The indirect section gives the same direct evidence beside the indirect, with its
    # numbers, not an analysis id for the reader to look up.
    section = str(indirect_section(both))
    assert f"Direct head-to-head evidence: one head-to-head trial of dry needling and {escape(_in_sentence(NODE_LABEL))}, " \
           f"not pooled: {escape(single['studies'][0]['label'])}, MD {f2(single['studies'][0]['yi'])} (95% CI" in section
    assert said in section and "`dn_vs_acu_md`" not in section
    # Nothing set aside: nothing said.
    alone = {**h2h, "excluded": []}
    doc = indirect_comparison(CONFIG["indirect"][0], [*ctx.analyses, alone], labels=LABELS)
    assert "set aside" not in str(bottom_line(dataclasses.replace(ctx, analyses=[*ctx.analyses, alone],
                                                                             indirect=[doc])))


def test_the_bottom_line_says_why_a_head_to_head_trial_does_not_count() -> None:
    # A dry needling vs acupuncture trial whose only result lies outside the window: not
    # "no trial compares them", but what keeps it out.
    ctx = context()
    single = next(r for r in ctx.analyses if r["status"] == "single_study")
    h2h = _head_to_head(single, unusable=True, excluded=[{
        "study_id": "Demo2025", "label": "Demo et al. (2025)", "refs": ["arm_outcomes.csv:Demo2025#1"],
        "reason": "timepoint 4 weeks is outside the window of 13 to 26 weeks"}])
    # Dry needling has no trial against a third treatment here: nothing anchors.
    acu_only = [r for r in ctx.analyses if r["analysis"]["intervention"] != "dn"]
    doc = indirect_comparison(CONFIG["indirect"][0], [*acu_only, h2h], labels=LABELS)
    assert [d["k"] for d in doc["direct"]] == [0] and doc["status"] != "anchored"
    text = str(bottom_line(dataclasses.replace(ctx, analyses=[*acu_only, h2h], indirect=[doc])))
    # The reason in a sentence of its own, after the one on the indirect comparison: in the
    # clause's brackets the label's year and the reason's brackets nested.
    assert ("no trial in these data compares them head to head with numbers an analysis here can use, and no usable "
            "trial of dry needling against a named third treatment exists to compare them through; see [Dry needling "
            f"versus {escape(_in_sentence(NODE_LABEL))}: indirect comparison](#sec-indirect). The trial that compares them could not be used, Demo et al. (2025): timepoint 4 weeks is outside the "
            "window of 13 to 26 weeks; see @tbl-excluded.") in text
    assert "(the trial that compares them" not in text and "Demo et al., 2025" not in text
    # Two such trials: each named with its reason.
    two = {**h2h, "excluded": [*h2h["excluded"], {"study_id": "Nowak2024", "label": "Nowak et al. (2024)",
                                                  "refs": [], "reason": "SD missing and imputation off in config"}]}
    doc = indirect_comparison(CONFIG["indirect"][0], [*acu_only, two], labels=LABELS)
    text = str(bottom_line(dataclasses.replace(ctx, analyses=[*acu_only, two], indirect=[doc])))
    assert ("The 2 trials that compare them could not be used, Demo et al. (2025): timepoint 4 weeks is outside the "
            "window of 13 to 26 weeks; Nowak et al. (2024): SD missing and imputation off in config; see "
            "@tbl-excluded.") in text
    assert "numbers an effect can be computed from" not in text
    # Without it, as before.
    lonely = indirect_comparison(CONFIG["indirect"][0], acu_only, labels=LABELS)
    assert "numbers an effect can be computed from" in str(bottom_line(dataclasses.replace(
        ctx, analyses=acu_only, indirect=[lonely])))


#: Demo et al. (2025)'s reason in the short window, as analysis.pool_analysis records it.
OUTSIDE_26 = {"reason": "timepoint 26 weeks is outside the window of 1 to 12 weeks", "timepoint": {
    "kind": "outside_window", "weeks": [26.0], "window": "short", "min_weeks": 1.0, "max_weeks": 12.0}}


def _two_windows_of_the_two(excluded_reason: str | list[dict[str, Any]], later_uses_it: bool = True,
                            status: str = "single_study", short_has_a_trial: bool = True) -> ReportContext:
    """A review of dry needling vs acupuncture in a short and a long window: Demo et al.
    (2025) measured at 26 weeks, outside the short window, for the short analysis to leave
    out and (``later_uses_it``) the long one to use. Its reason is given as records (the
    excluded entry's ``reasons``), or as words alone (an older build's)."""
    if not isinstance(excluded_reason, str):
        excluded_reason, reasons = "; ".join(r["reason"] for r in excluded_reason), excluded_reason
    else:
        reasons = None
    ctx = context()
    single = next(r for r in ctx.analyses if r["status"] == "single_study")
    demo = {**single["studies"][0], "study_id": "Demo2025", "label": "Demo et al. (2025)", "timepoint_weeks": 26.0,
            "timepoint_label": "week 26"}
    out = {"study_id": "Demo2025", "label": "Demo et al. (2025)", "refs": ["arm_outcomes.csv:Demo2025#1"],
           "reason": excluded_reason, **({"reasons": reasons} if reasons else {})}
    short = _head_to_head(single, excluded=[out], unusable=not short_has_a_trial)
    later = {**short, "analysis": {**short["analysis"], "id": "dn_vs_acu_md_long", "window": "long"}, "status": status,
             "k": 1, "excluded": [], "studies": [demo] if later_uses_it else [{**demo, "study_id": "Other2020"}]}
    if status == "pooled":
        # Pooled with a second trial, the estimate borrowed from the fixture's pooled analysis.
        pooled = next(r for r in ctx.analyses if r["status"] == "pooled")
        later = {**later, "k": 2, "pooled": pooled["pooled"],
                 "studies": [*later["studies"], {**demo, "study_id": "Other2021", "label": "Other (2021)"}]}
    config = {**ctx.config, "windows": {**ctx.config["windows"], "long": {
        "label": "Long term (13 to 52 weeks)", "min_weeks": 13, "max_weeks": 52, "target_weeks": 26}}}
    # Dry needling's trial against sham left out: the two have no common comparator, and
    # the bottom line's only head-to-head evidence is that of the two analyses.
    analyses = [r for r in ctx.analyses if r["analysis"]["intervention"] != "dn"] + [short, later]
    doc = indirect_comparison(CONFIG["indirect"][0], analyses, labels=LABELS)
    assert [d["analysis"] for d in doc["direct"]] == ["dn_vs_acu_md"]
    return dataclasses.replace(ctx, config=config, analyses=analyses, indirect=[doc])


def test_a_head_to_head_trial_of_another_window_is_said_to_be_used_there_not_set_aside() -> None:
    # Demo et al. (2025) measured at 26 weeks only: outside the short window, the very trial
    # the long window's analysis uses. "Set aside (timepoint 26 weeks is outside the
    # window)" read as evidence no analysis counts.
    outside = "timepoint 26 weeks is outside the window of 1 to 12 weeks"
    text = str(bottom_line(_two_windows_of_the_two([OUTSIDE_26])))
    assert ("; a further trial of the two, Demo et al. (2025), measured at 26 weeks, is used in the long term analysis "
            "instead (see Results).") in text
    assert "set aside" not in text
    # Told by the reason's fields, not its words: a label read as another window is one too.
    other = {"reason": "in words of the long window", "timepoint": {"kind": "other_window", "labels": ["long term"],
                                                                    "window": "long"}}
    text = str(bottom_line(_two_windows_of_the_two([other])))
    assert "Demo et al. (2025), measured at 26 weeks, is used in the long term analysis instead" in text
    # Pooled there: said so.
    text = str(bottom_line(_two_windows_of_the_two([OUTSIDE_26], status="pooled")))
    assert "Demo et al. (2025), measured at 26 weeks, is pooled in the long term analysis instead" in text
    # No analysis uses it: set aside, as before.
    text = str(bottom_line(_two_windows_of_the_two([OUTSIDE_26], later_uses_it=False)))
    assert f"(see Results). A further trial of the two was set aside, Demo et al. (2025): {outside}." in text
    # Left out here for a reason of its own too (its 6-week row has no SD): still set
    # aside, with where its 26-week result is used.
    both = "SD missing and imputation off in config; " + outside
    text = str(bottom_line(_two_windows_of_the_two([{"reason": "SD missing and imputation off in config"}, OUTSIDE_26])))
    assert (f"(see Results). A further trial of the two was set aside, Demo et al. (2025): {both}; measured at 26 "
            "weeks, used in the long term analysis.") in text
    # The words alone, as an older build wrote the entry: no fields to tell it by, so it
    # is listed as set aside, its words and where it is used said with it.
    text = str(bottom_line(_two_windows_of_the_two(outside)))
    assert (f"(see Results). A further trial of the two was set aside, Demo et al. (2025): {outside}; measured at 26 "
            "weeks, used in the long term analysis.") in text


def test_several_head_to_head_trials_left_out_are_each_a_sentence_label_first() -> None:
    # Two trials set aside and two used in another window: each a sentence of its own, its
    # label before a colon or its verb. In one sentence, bracketed after the labels, the
    # reasons' semicolons and intervals ran into the sentence's and nested its brackets.
    ctx = _two_windows_of_the_two([OUTSIDE_26])
    short, later = ctx.analyses[-2:]
    kim = {**short["excluded"][0], "study_id": "Kim2008", "label": "Kim et al. (2008)"}
    demo = later["studies"][0]
    aside = [{"study_id": "Ruiz2025", "label": "Ruiz (2025), pilot", "refs": [], "reason": "SD missing"},
             {"study_id": "Lee2024", "label": "Lee (2024)", "refs": [], "reason": "only a p-value reported"}]
    short = {**short, "excluded": [*short["excluded"], kim, *aside]}
    later = {**later, "studies": [demo, {**demo, "study_id": "Kim2008", "label": "Kim et al. (2008)",
                                         "timepoint_weeks": 52.0}]}
    text = str(bottom_line(dataclasses.replace(ctx, analyses=[*ctx.analyses[:-2], short, later])))
    assert ("(see Results). Two further trials of the two were set aside. Ruiz (2025), pilot: SD missing. Lee (2024): "
            "only a p-value reported. Two further trials of the two belong to other windows. Demo et al. (2025), "
            "measured at 26 weeks, is used in the long term analysis instead. Kim et al. (2008), measured at 52 weeks, "
            "is used in the long term analysis instead.") in text


def test_no_head_to_head_trial_in_one_window_names_the_window_whose_analysis_uses_one() -> None:
    # The short window's analysis has no trial, the long one's uses Demo et al. (2025):
    # "no trial ... with numbers an analysis here can use" was untrue of it.
    outside = "timepoint 26 weeks is outside the window of 1 to 12 weeks"
    text = str(bottom_line(_two_windows_of_the_two([OUTSIDE_26], short_has_a_trial=False)))
    assert ("no trial in these data compares them head to head in the short term (Demo et al., 2025, measured at 26 "
            "weeks, is used in the long term analysis instead)") in text
    assert "an analysis here can use" not in text
    # A second trial of the two with no SD: the sentence after the bottom line's says so,
    # out of the window's brackets.
    ctx = _two_windows_of_the_two([OUTSIDE_26], short_has_a_trial=False)
    short = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_acu_md")
    short["excluded"] = [*short["excluded"], {"study_id": "Nowak2024", "label": "Nowak et al. (2024)", "refs": [],
                                              "reason": "SD missing and imputation off in config"}]
    doc = indirect_comparison(CONFIG["indirect"][0], ctx.analyses, labels=LABELS)
    text = str(bottom_line(dataclasses.replace(ctx, indirect=[doc])))
    assert ("in the short term (Demo et al., 2025, measured at 26 weeks, is used in the long term analysis instead), "
            "and ") in text
    assert (" A further trial of the two could not be used here, Nowak et al. (2024): SD missing and imputation off "
            "in config; see @tbl-excluded.") in text
    # Used by none: what keeps it out, as before.
    text = str(bottom_line(_two_windows_of_the_two([OUTSIDE_26], later_uses_it=False, short_has_a_trial=False)))
    assert "with numbers an analysis here can use, and " in text
    assert f" The trial that compares them could not be used, Demo et al. (2025): {outside}; see @tbl-excluded." in text


def test_a_trial_of_all_three_on_both_sides_anchors_nothing_and_the_report_says_why() -> None:
    # The dry-needling trial also has an acupuncture arm and is one of the pooled
    # acupuncture-vs-sham trials: its sham arm would enter both of Bucher's sides. No
    # comparison is made through sham, and the bottom line, the section and the
    # limitations say why rather than that the two share no comparator.
    ctx = context()
    acu = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    three = {k: acu["studies"][0][k] for k in ("study_id", "label")}
    analyses = [{**r, "studies": [{**r["studies"][0], **three}, *r["studies"][1:]]}
                if r["analysis"]["id"] == "dn_vs_sham" else r for r in ctx.analyses]
    doc = indirect_comparison(CONFIG["indirect"][0], analyses, labels=LABELS)
    assert doc["status"] == "shared_trial" and doc["anchored"] == []
    ctx = dataclasses.replace(ctx, analyses=analyses, indirect=[doc])
    text = str(bottom_line(ctx))
    # In the summary, one plain clause; the reasons at length are the section's.
    assert (f"and no indirect comparison can be made, as {escape(three['label'])} compares all three and would count "
            "on both sides; see [") in text
    assert "no common comparator" not in text
    section = str(indirect_section(ctx))
    assert "A trial of all three on both sides" in section and "No common comparator" not in section
    assert "Its sham arm would enter both" in section
    from metareview.report import limitations_section
    # The limitations in the summary's clause.
    assert (f"(pain): no indirect comparison can be made, as {escape(three['label'])} compares all three and would "
            "count on both sides.\n") in str(limitations_section(ctx))


def test_a_trial_of_all_three_left_out_of_both_sides_is_named_in_the_section_and_the_audit_rows() -> None:
    # Xu compares dry needling, acupuncture and sham: it is one of three pooled
    # acupuncture-vs-sham trials and one of two (unpooled) dry-needling-vs-sham ones. Left
    # out of both, the acupuncture side is refitted on A and B with the analysis's model,
    # which gives back the example analysis's own pooled estimate of A and B, and the dry
    # needling side is trial C.
    ctx = context()
    acu = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    dn = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")
    xu = {**acu["studies"][1], "study_id": "X", "label": "Xu et al. (2024)", "yi": -1.4}
    acu3 = {**acu, "k": 3, "studies": [*acu["studies"], xu], "pooled": {**acu["pooled"], "estimate": -9.0, "k": 3}}
    dn2 = {**dn, "status": "not_poolable", "k": 2, "studies": [*dn["studies"], {**xu, "yi": -0.2}]}
    analyses = [acu3 if r is acu else dn2 if r is dn else r for r in ctx.analyses]
    doc = indirect_comparison(CONFIG["indirect"][0], analyses, labels=LABELS)
    assert doc["status"] == "anchored"
    (x,) = doc["anchored"]
    assert x["b_vs_c"]["estimate"] == pytest.approx(acu["pooled"]["estimate"], rel=1e-9)
    assert x["a_vs_c"]["estimate"] == dn["studies"][0]["yi"]
    ctx = dataclasses.replace(ctx, analyses=analyses, indirect=[doc])
    section = str(indirect_section(ctx))
    b = escape(doc["treatment_b_label"])
    assert "pooled estimate of 2 studies besides Xu et al. (2024)" in section
    # The comparator mid-sentence, as in the sentences after it: not "Through Sham:".
    assert "\n\nThrough sham: SMD " in section
    assert f"Through sham, Xu et al. (2024) compares dry needling, {b} and sham in one trial" in section
    assert "It is therefore left out of both sides and counts as direct evidence only" in section
    (row,) = [r for r in audit_rows(ctx) if r[1] == "anchored indirect estimate through Sham"]
    assert row[2] == "; ".join([dn["studies"][0]["study_id"], *(s["study_id"] for s in acu["studies"])])
    assert ("; Xu et al. (2024) (X) left out of both sides: a trial of all three, whose Sham arm would count twice "
            f"and whose own comparison of Dry needling and {doc['treatment_b_label']} is direct evidence; ") in row[8]
    assert (f"{doc['treatment_b_label']} vs Sham: refitted without it, rma(method=REML, test=knha, level=95) of 2 "
            f"studies: {acu['pooled']['estimate']:.4f}") in row[8]
    # The summary's line on the comparison names the trial left out too, inside brackets:
    # its label's own as commas (in_brackets).
    line = _indirect_summary_line(ctx, doc)
    assert line.startswith(f"Indirect comparison of dry needling and {b} (pain), through sham (without Xu et al., "
                           "2024, a trial of all three counted as direct evidence), SMD "), line
    # And the bottom line's sentence on what the two can be compared through.
    assert (f"indirectly, through sham (one trial of dry needling and 2 trials of {escape(_in_sentence(NODE_LABEL))}, "
            "each against it), without Xu et al., 2024, a trial of all three counted as direct evidence, SMD "
            in str(bottom_line(ctx))), str(bottom_line(ctx))


def test_a_trial_set_aside_for_a_timepoint_in_a_window_no_analysis_covers_is_listed_with_that_window(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Trial C's result moved from week 6 to week 16: outside the one window of the dry
    # needling vs sham analysis (1 to 12 weeks), inside the review's medium term (13 to 26
    # weeks), in which no analysis compares the two. The table of trials set aside says
    # which window would take it, and the table of comparisons no analysis covers lists it
    # with that window: "outside the window" alone put it in no list of analyses to add.
    monkeypatch.setitem(globals(), "CONTRASTS", [{**CONTRASTS[0], "timepoint_weeks": 16.0}, *CONTRASTS[1:]])
    windows = {**CONFIG["windows"], "medium": {"label": "Medium term (13 to 26 weeks)", "min_weeks": 13,
                                               "max_weeks": 26, "target_weeks": 26}}
    ctx = context(windows=windows)
    c = STUDIES["C"][0]
    assert uncovered_comparisons(ctx) == [{"intervention": "dn", "comparator": "sham", "outcome": "pain",
                                           "studies": [c], "add_on": False, "window": "medium"}]
    assert ("| timepoint 16 weeks is outside the window of 1 to 12 weeks; week 16 is in the medium term (13 to 26 "
            "weeks), in which no analysis of this comparison is defined (see @tbl-uncovered) |"
            ) in str(excluded_section(ctx))
    section = str(uncovered_section(ctx))
    assert ("| Dry needling vs Sham | Pain, medium term (13 to 26 weeks): no analysis of this comparison in this window "
            f"| {escape(c)} |") in section
    assert "(or, where the outcome names a time window, none compares them in that window)" in section
    # The evidence table does not call the trial's comparison one the review never analyses.
    assert "analyses none of the comparisons it reports" not in str(study_table(ctx))
    # With an analysis of the medium term, nothing is listed and no window is pointed to.
    medium = {**CONFIG["analyses"][1], "id": "dn_vs_sham_medium", "window": "medium"}
    ctx = context(windows=windows, analyses=[*CONFIG["analyses"], medium])
    assert uncovered_comparisons(ctx) == []
    assert "in which no analysis" not in str(excluded_section(ctx))


def _two_shams(monkeypatch: pytest.MonkeyPatch, dry_needling_control: str) -> ReportContext:
    """The context with a node "sham" of sham acupuncture and sham dry needling, and the
    dry-needling trial C's control ``dry_needling_control``: the trials A and B compare
    acupuncture with sham acupuncture."""
    monkeypatch.setitem(ARMS, "C", [("d", "dry_needling"), ("c", dry_needling_control)])
    nodes = {**CONFIG["nodes"], "sham": {"label": "Sham", "treatments": ["sham_acupuncture", "sham_dry_needling"]}}
    return context(nodes=nodes)


def test_an_anchored_comparison_names_each_sides_controls_and_what_it_assumes_of_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The node "sham" is common to both sides, but C's control is sham dry needling and A's
    # and B's sham acupuncture: Bucher's comparison then assumes the two shams have the
    # same effect (transitivity), which the section and the limitations say, with the
    # trials of each side.
    ctx = _two_shams(monkeypatch, "sham_dry_needling")
    (x,) = ctx.indirect
    assert x["status"] == "anchored" and x["anchored"][0]["controls_differ"] is True
    a, b, c = (escape(label) for label, _ in (STUDIES["A"], STUDIES["B"], STUDIES["C"]))
    acu = escape(NODE_LABEL)
    section = str(indirect_section(ctx))
    assert (f"(Bucher method). The controls: on the dry needling side, sham dry needling ({c}); on the {acu} side, "
            f"sham acupuncture ({a} and {b}). The comparison assumes these controls have the same effect; if they do "
            "not, its estimate is biased (the assumption of transitivity: Salanti 2012; Cochrane Handbook, "
            "chapter 11).") in section, section
    limits = str(limitations_section(ctx))
    assert (f"- **Indirect comparisons**: Dry needling versus {acu} (pain): compared indirectly, through sham. Dry "
            f"needling vs {acu}: pain, "
            f"through sham: the dry needling side\u2019s 1 trial ({c}) used sham dry needling, the {acu} side\u2019s 2 "
            f"trials ({a} and {b}) sham acupuncture. The comparison assumes these controls have the same effect"
            ) in limits, limits
    # The methods say that a node may group several controls, and what follows.
    assert "where the two sides' differ the comparison assumes they have the same effect" in str(methods_section(ctx))


def test_the_trials_of_each_side_whose_controls_differ_have_an_audit_row(monkeypatch: pytest.MonkeyPatch) -> None:
    # The limitations count each side's trials ("the dry needling side's 1 trial"): each
    # count is traced to the side's studies and the control each gave.
    ctx = _two_shams(monkeypatch, "sham_dry_needling")
    rows = [r for r in audit_rows(ctx) if r[1].startswith("trials of the ")]
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("trials of the Dry needling side through Sham, whose controls differ from the other side's (count)", "C", 1),
        (f"trials of the {NODE_LABEL} side through Sham, whose controls differ from the other side's (count)",
         "A; B", 2)]
    assert rows[0][8].endswith("controls, by the treatment of their arms in arms.csv: sham dry needling (C)")
    assert rows[1][8].endswith("controls, by the treatment of their arms in arms.csv: sham acupuncture (A, B)")
    # The same control on both sides: nothing counted, nothing to trace.
    monkeypatch.undo()
    assert not [r for r in audit_rows(_two_shams(monkeypatch, "sham_acupuncture")) if r[1].startswith("trials of the ")]


def test_an_anchored_comparison_of_one_control_on_both_sides_assumes_nothing_more(
        monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = _two_shams(monkeypatch, "sham_acupuncture")
    assert ctx.indirect[0]["anchored"][0]["controls_differ"] is False
    section = str(indirect_section(ctx))
    assert "(Bucher method). Both sides\u2019 trials used the same control, sham acupuncture." in section
    assert "transitivity" not in section
    assert (f"- **Indirect comparisons**: Dry needling versus {escape(NODE_LABEL)} (pain): compared indirectly, "
            "through sham.\n") in str(limitations_section(ctx))


def test_a_study_whose_identity_is_rated_low_is_flagged_wherever_its_effect_is_given_whatever_its_source() -> None:
    # Trial C (the one dry-needling trial) and trial A (one of the two pooled acupuncture
    # trials) are primary reports whose identity the team rates low: flagged as a
    # secondary source's low identity is, beside each effect, and listed in the limitations.
    ctx = context()
    for r in ctx.analyses:
        for s in r["studies"]:
            if s["study_id"] in ("A", "C"):
                s["identity_confidence"] = "low"
    a, c = escape(STUDIES["A"][0]), escape(STUDIES["C"][0])
    text, audit, _ = build_report(TEMPLATE, ctx)
    # The Results: a single trial's line, and a pooled one's caveats.
    assert f"- Dry needling vs Sham (pain): one study only, not pooled: {c} (study identity low), SMD " in text
    assert f" {a} is of uncertain identity (study identity low)." in text
    # The summary's lists, where brackets would nest: a doubt among the others.
    assert f"one study, {c}, with its study identity rated low)" in _treatment_overview(ctx, "dn")
    assert f". 43% of the weight is from {a}, with its study identity rated low." in str(bottom_line(ctx))
    # The indirect section: each side's trial so rated.
    assert (f"from {c} (study identity low) and pooled estimate of 2 studies (of them, {a}: study identity low) "
            "(Bucher method)") in str(indirect_section(ctx))
    # The limitations list them, and the audit trail traces the list to studies.csv.
    assert (f"- **Study effects of studies whose identity is rated low (the team is not sure the study is the one "
            f"named)**: {a}; {c}.") in str(limitations_section(ctx))
    (row,) = [r for r in audit if r[1].startswith("study effects of studies whose identity is rated low")]
    assert row[2] == "A; C" and row[5] == "studies.csv:A#1; studies.csv:C#1"


def test_a_secondary_source_whose_identity_is_rated_low_is_flagged_once() -> None:
    # Its lead says both ("known only from a secondary source (study identity low)"): the
    # flag beside its label would say the rating twice.
    ctx = context()
    (study,) = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"]
    study.update(source_level="secondary", identity_confidence="low")
    text = build_report(TEMPLATE, ctx)[0]
    (line,) = [x for x in text.splitlines() if x.startswith("- Dry needling vs Sham (pain): one study only")]
    assert "known only from a secondary source (study identity low); computed here from" in line
    assert line.count("study identity low") == 1
    # The limitations list it under both headings: its source, and its identity.
    limits = str(limitations_section(ctx))
    assert "**Study effects known only from a secondary source" in limits
    assert "**Study effects of studies whose identity is rated low" in limits


def test_a_side_with_unpooled_studies_anchors_nothing_and_the_report_says_why() -> None:
    # Acupuncture vs sham holds two studies that no analysis pooled (a threshold of 3):
    # Bucher's method takes one estimate a side, so nothing is anchored through sham, and
    # neither the bottom line nor the section may say the two share no comparator.
    ctx = context()
    analyses = [{**r, "status": "not_poolable", "pooled": None} if r["analysis"]["id"] == "acu_vs_sham" else r
                for r in ctx.analyses]
    doc = indirect_comparison(CONFIG["indirect"][0], analyses, labels=LABELS)
    assert doc["status"] == "no_single_estimate"
    ctx = dataclasses.replace(ctx, analyses=analyses, indirect=[doc])
    text = str(bottom_line(ctx))
    assert ("and no indirect comparison can be made, as a side has more than one estimate that no analysis pooled; "
            "see [") in text
    assert "no common comparator" not in text
    section = str(indirect_section(ctx))
    assert "No single estimate per side" in section and "No common comparator" not in section
    from metareview.report import limitations_section
    # The limitations in the summary's clause.
    assert ("(pain): no indirect comparison can be made, as a side has more than one estimate that no analysis "
            "pooled.\n") in str(limitations_section(ctx))


def test_the_bottom_line_gives_published_meta_analyses_of_the_two_head_to_head() -> None:
    # No trial compares dry needling with acupuncture, but a published review does: the
    # bottom line gives it, and no longer calls words the only direct comparison.
    ctx = context()
    acu_vs_sham = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    review = {**acu_vs_sham["external"][0], "study_id": "Z", "label": "Zhang et al. (2024)", "ref": "z1",
              "estimate": -0.3, "ci_lb": -0.55, "ci_ub": -0.05}
    h2h = {**acu_vs_sham, "status": "no_data", "k": 0, "studies": [], "pooled": None, "excluded": [],
           "external": [review],
           "analysis": {**acu_vs_sham["analysis"], "id": "dn_vs_acu_pain", "intervention": "dn",
                        "intervention_label": "Dry needling", "comparator": "acu", "comparator_label": NODE_LABEL}}
    analyses = [r for r in ctx.analyses if r["analysis"]["intervention"] != "dn"] + [h2h]
    doc = indirect_comparison(CONFIG["indirect"][0], analyses, labels=LABELS)
    ctx = dataclasses.replace(ctx, analyses=analyses, indirect=[doc])
    text = str(bottom_line(ctx))
    reviews = ("Published meta-analyses compare them directly (shown apart: what they pool cannot be checked against "
               "trials here): Zhang et al. (2024), SMD \u22120.30 (95% CI \u22120.55 to \u22120.05), favouring dry needling.")
    assert reviews in text
    assert "the data cannot say whether" not in text
    # One result shown by two analyses of the pair (an MD one and an SMD one): given once.
    twin = {**h2h, "analysis": {**h2h["analysis"], "id": "dn_vs_acu_pain_md", "measure": "MD"}}
    doc2 = indirect_comparison(CONFIG["indirect"][0], [*analyses, twin], labels=LABELS)
    text2 = str(bottom_line(dataclasses.replace(ctx, analyses=[*analyses, twin], indirect=[doc2])))
    assert text2.count("Zhang et al. (2024)") == 1
    # Anchored through a common comparator as well: the published reviews are still given,
    # and the indirect comparison is no longer the "only" one.
    anchored = dataclasses.replace(ctx, indirect=[{**doc, "status": "anchored", "anchored": [
        {"comparator": "sham", "comparator_label": "Sham", "estimate": -0.1, "ci_lb": -0.5, "ci_ub": 0.3}]}])
    text = str(bottom_line(anchored))
    assert reviews in text and "only indirectly, through sham, SMD \u22120.10 (95% CI \u22120.50 to 0.30)" in text
    assert "can only be compared" not in text
    # Dry needling's account of the other comparators leaves acupuncture to the line above.
    assert "against " + escape(NODE_LABEL) not in text.split("other comparators")[1].split("\n- ")[1]


def test_published_meta_analyses_are_shown_as_reported_in_the_reports_notation() -> None:
    ctx = context()
    text = external_section(ctx)
    # The outcome by its label; the estimate as the rest of the report shows it, and the
    # numbers as printed only where they differ.
    assert ("| Review M | acupuncture vs sham acupuncture | Pain | SMD −0.50 (95% CI −0.80\u00a0to\u00a0−0.20) | same "
            "| acupuncture | 5 | 1,234 |") in text
    # The raw row by its file, as the other appendix tables give it: Review M's contrast is
    # the second data row of contrasts.csv, line 3 after the header.
    row = next(x for x in str(text).splitlines() if x.startswith("| Review M"))
    assert row.endswith("| contrasts.csv\u00a0row\u00a03 |")
    assert "| Raw row |" in str(text)
    # The intervals are at each source's level, not the report's: the header names none.
    assert "| Estimate (CI) |" in str(text) and "\u2018level not stated\u2019 where the source prints none" in text
    # Two arms of one treatment (two kinds of sham) by their descriptions; codes in words.
    docs = [dict(d) for d in ctx.normalised]
    m = next(d for d in docs if d["study"]["study_id"] == "M")
    m["arms"] = [{**m["arms"][1], "arm_id": "v", "description": "Sham at verum points"},
                 {**m["arms"][1], "arm_id": "s", "description": "Sham at other points"}]
    # An outcome without a label in the config: its code in words.
    m["contrasts"] = [{**m["contrasts"][0], "arm1": "v", "arm2": "s", "measure": "cohen_d",
                       "outcome": "quality_of_life"}]
    cohen = escape("Cohen's d")
    text = external_section(dataclasses.replace(ctx, normalised=docs))
    assert f"| Review M | Sham at verum points vs Sham at other points | Quality of life | {cohen} −0.50 " in text
    # A co-intervention tells two arms of one treatment apart, as in the evidence table.
    m["arms"] = [{**m["arms"][0], "cointervention": "exercise"}, {**m["arms"][1]}]
    text = external_section(dataclasses.replace(ctx, normalised=docs))
    assert "| Review M | sham acupuncture + exercise vs sham acupuncture | Quality of life |" in text


@pytest.mark.parametrize(("change", "favours"), [
    ({}, "acupuncture"),
    # Manheimer 2005: "SMD 0.54", positive favouring acupuncture (arm1).
    ({"estimate": 0.5, "ci_lb": 0.2, "ci_ub": 0.8, "sign_convention": "positive_favours_arm1"}, "acupuncture"),
    ({"estimate": 0.5, "ci_lb": 0.2, "ci_ub": 0.8}, "sham acupuncture"),
    ({"estimate": -0.5, "ci_lb": -0.8, "ci_ub": 0.1}, "neither (CI compatible with no difference)"),
    ({"estimate": -0.5, "ci_lb": None, "ci_ub": None}, "acupuncture (no interval given)"),
    ({"sign_convention": "unclear"}, "not stated"),
    # A ratio of a beneficial event (the config's responder analyses): above 1 favours arm1.
    ({"measure": "RR", "outcome": "responder", "estimate": 1.5, "ci_lb": 1.1, "ci_ub": 2.0}, "acupuncture"),
    ({"measure": "RR", "outcome": "responder", "estimate": 0.5, "ci_lb": 0.3, "ci_ub": 0.9}, "sham acupuncture"),
    # No analysis says whether this outcome's events are good or bad.
    ({"measure": "RR", "estimate": 1.5, "ci_lb": 1.1, "ci_ub": 2.0}, "depends on whether the events are beneficial"),
])
def test_the_published_table_says_which_arm_a_result_favours(monkeypatch: pytest.MonkeyPatch,
                                                             change: dict[str, Any], favours: str) -> None:
    # Signs follow each source's convention: the Favours column reads them.
    monkeypatch.setitem(globals(), "CONTRASTS", [CONTRASTS[0], {**CONTRASTS[1], **change}])
    ctx = context()
    if change.get("outcome") == "responder":
        ctx.config["analyses"] = [*ctx.config["analyses"], {
            "id": "r", "intervention": "acupuncture", "comparator": "sham", "outcome": "responder",
            "window": "short", "measure": "RR", "events": "beneficial"}]
    row = next(x for x in str(external_section(ctx)).splitlines() if x.startswith("| Review M"))
    assert row.split(" | ")[5] == favours


@pytest.mark.parametrize(("change", "estimate", "printed"), [
    # Manheimer 2005's "SMD 0.54 (0.35 to 0.73)", positive favouring acupuncture: the
    # report's own orientation (below 0 favours the first-named) beside the source's.
    ({"estimate": 0.54, "ci_lb": 0.35, "ci_ub": 0.73, "sign_convention": "positive_favours_arm1"},
     "SMD −0.54 (95% CI −0.73 to −0.35)", "SMD 0.54 (0.35 to 0.73)"),
    # A mean difference on a 0-100 scale, put on the outcome's 0-10 common scale.
    ({"measure": "MD", "instrument": "VAS100", "estimate": -10.26, "ci_lb": -17.11, "ci_ub": -3.4},
     "MD −1.03 (95% CI −1.71 to −0.34)", "MD −10.26 (−17.11 to −3.40)"),
    # Printed as the report shows it: not repeated.
    ({"estimate": -0.54, "ci_lb": -0.73, "ci_ub": -0.35}, "SMD −0.54 (95% CI −0.73 to −0.35)", "same"),
    # A ratio stays a ratio.
    ({"measure": "RR", "estimate": 1.5, "ci_lb": 1.1, "ci_ub": 2.0}, "RR 1.50 (95% CI 1.10 to 2.00)", "same"),
    # An interval printed without its level: not called a 95% one.
    ({"estimate": -0.54, "ci_lb": -0.73, "ci_ub": -0.35, "ci_level": None},
     "SMD −0.54 (CI −0.73 to −0.35, level not stated)", "same"),
    ({"estimate": -0.54, "ci_lb": -0.73, "ci_ub": -0.35, "ci_level": 90.0}, "SMD −0.54 (90% CI −0.73 to −0.35)",
     "same"),
    # A sign the source leaves open: the number is not used, and the table says so.
    ({"sign_convention": "unclear"}, "direction not stated: not used", "SMD −0.5 (−0.8 to −0.2)"),
])
def test_the_published_table_shows_the_reports_orientation_beside_the_source_s(
        monkeypatch: pytest.MonkeyPatch, change: dict[str, Any], estimate: str, printed: str) -> None:
    monkeypatch.setitem(globals(), "CONTRASTS", [CONTRASTS[0], {**CONTRASTS[1], **change}])
    row = next(x for x in str(external_section(context())).splitlines() if x.startswith("| Review M"))
    # (An interval's words are joined by no-break spaces in the table.)
    assert row.replace("\u00a0", " ").split(" | ")[3:5] == [estimate, printed]


def test_published_meta_analyses_say_whom_they_pooled() -> None:
    ctx = context()
    assert "| Review M | not stated |" in str(external_section(ctx))
    docs = [dict(d) for d in ctx.normalised]
    m = next(d for d in docs if d["study"]["study_id"] == "M")
    m["study"] = {**m["study"], "population": "Back and neck pain (combined)"}
    text = str(external_section(dataclasses.replace(ctx, normalised=docs)))
    assert "| Review M | Back and neck pain (combined) |" in text and "{#tbl-external-populations}" in text
    # Trials are not listed: only the reviews whose results the table shows.
    assert f"| {escape(SCRIPT)} |" not in text.split("{#tbl-external}")[1]


def _pooled_result(l1o: list[tuple[str, float, float, float]], k: int = 4, measure: str = "MD",
                   **pooled: Any) -> dict[str, Any]:
    analysis = {"id": "a", "measure": measure, "favours_intervention_when": "below", "scale": "linear",
                "intervention_label": "Acupuncture", "comparator_label": "Sham"}
    studies = [{"study_id": sid, "label": f"<{sid}> et al."} for sid, *_ in l1o] or [
        {"study_id": f"S{i}", "label": f"S{i}"} for i in range(k)]
    return {"analysis": analysis, "studies": studies, "status": "pooled", "k": k, "small_study_min": 10,
            "pooled": {"estimate": -0.5, "ci_lb": -0.9, "ci_ub": -0.1, "k": k, "regtest": None,
                       "leave1out_min": 4,
                       "leave1out": [{"study_id": sid, "estimate": e, "se": 0.2, "ci_lb": lb, "ci_ub": ub, "pval": 0.01}
                                     for sid, e, lb, ub in l1o] or None, **pooled}}


def test_a_binary_effect_is_also_given_per_1000_at_the_observed_comparator_risk() -> None:
    import math

    r = _pooled_result([], k=3, measure="RR", estimate=math.log(1.5), ci_lb=math.log(1.2), ci_ub=math.log(2.0))
    r["analysis"]["intervention_label"] = "<b>Acu</b>"
    # Comparator risks 10%, 20% and 30% (one study gives none): the median, 20%.
    for s, (events, n) in zip(r["studies"], [(10, 100), (40, 200), (30, 100)]):
        s.update(events2=events, n2=n)
    r["studies"].append({"study_id": "S9", "label": "S9", "events2": None, "n2": None})
    assert absolute_text(r) == (f"300 per 1,000 (240 to 400) with {escape('<b>Acu</b>')} against 200 per 1,000 with "
                                "sham (the median comparator risk of 3 trials): 100 more per 1,000 (40 more to 200 more)")
    # A single trial's risk, a fall in events, a bound beyond 1,000 per 1,000.
    one = {**r, "status": "single_study", "studies": [{"study_id": "S0", "yi": math.log(0.5), "ci_lb": math.log(0.25),
                                                       "ci_ub": math.log(4.0), "events2": 30, "n2": 100}]}
    # 300 x 0.5 = 150, 300 x 0.25 = 75, 300 x 4 = 1,200: no risk, so no bound is given (a
    # bound of 1,000, or of 700 more, read as one the data give), and why is said beside it.
    # Said in numbers a panel can check: the ratio's upper limit times the comparator risk.
    assert absolute_text(one) == ("150 per 1,000 (at least 75; no upper limit can be given: 4.00 \u00d7 300 exceeds "
                                  f"1,000) with {escape('<b>Acu</b>')} against 300 per 1,000 with sham (the trial\u2019s "
                                  "comparator risk): 150 fewer per 1,000 (from 225 fewer; no upper limit can be given)")
    # A comparator risk the review assumes (a population's baseline risk), with its source.
    assumed = {"value": 0.1, "source": "cohort <X>"}
    assert absolute_text(r, assumed) == (
        f"150 per 1,000 (120 to 200) with {escape('<b>Acu</b>')} against 100 per 1,000 with sham "
        f"({escape('an assumed comparator risk: cohort <X>')}): 50 more per 1,000 (20 more to 100 more)")
    assert absolute_text({**r, "studies": r["studies"][-1:]}, assumed).startswith("150 per 1,000")
    # Rounded on their own, risks of 475.4 and 441.6 per 1,000 print 475 and 442, and their
    # difference 33.8 prints 34, as GRADEpro takes it (before rounding), not the printed
    # risks' 33: 0.9 x 441.6 - 441.6 = -44.16, 1.3 x 441.6 - 441.6 = 132.48. Said where
    # it is printed, or a reader who subtracts takes it for a slip.
    near = {**one, "studies": [{"study_id": "S0", "yi": math.log(475.4 / 441.6), "ci_lb": math.log(0.9),
                                "ci_ub": math.log(1.3), "events2": 4416, "n2": 10000}]}
    assert absolute_text(near).endswith("against 442 per 1,000 with sham (the trial\u2019s comparator risk): "
                                        "34 more per 1,000, from unrounded risks (44 fewer to 132 more)")
    # Risks whose rounded difference is the difference: nothing added.
    assert "unrounded" not in absolute_text(r)
    # Nothing for continuous measures, for trials that give no comparator counts, or unpooled analyses.
    assert absolute_text(_pooled_result([], k=3, measure="SMD")) == ""
    assert absolute_text({**r, "studies": r["studies"][-1:]}) == ""
    assert absolute_text({**r, "status": "not_poolable"}) == ""


def test_sensitivity_says_whether_one_study_carries_the_conclusion() -> None:
    a, b, c, d = (escape(f"<{x}> et al.") for x in "ABCD")
    # No omission changes the conclusion: the range, and that it holds, on which side.
    r = _pooled_result([("A", -0.6, -1.0, -0.2), ("B", -0.4, -0.8, -0.05), ("C", -0.5, -0.9, -0.1),
                        ("D", -0.4, -0.85, -0.02)])
    text = sensitivity_text(r)
    assert text.startswith(f"Leaving out one study at a time, the pooled MD ranges from \u22120.60, when {a} is left "
                           f"out, to \u22120.40, when {b} or {d} is; without any one of them the confidence interval "
                           "still lies wholly on one side of no difference (favours acupuncture).")
    assert text.endswith("Small-study effects are not tested: 4 studies, fewer than the 10 such a test needs to tell "
                         "asymmetry from chance (Sterne et al. 2011).")
    # A label the review marks as a proper name is not lowered (the function's own study
    # names do not stand in for the review's).
    assert "(favours Acupuncture)." in sensitivity_text(r, proper={"Acupuncture"})
    # Every one of the 4 omissions makes the interval include no difference (as with 3
    # studies left on t(2)): "any one of its 4 studies", not a list of every name.
    every = _pooled_result([(s, -0.4, -1.0, 0.2) for s in "ABCD"])
    assert sensitivity_text(every).split(": the conclusion")[1].startswith(
        " is sensitive to leaving out any one of its 4 studies.")
    assert _sensitivity_caveat(every) == " (sensitive to leaving out any one of its 4 studies)"
    assert _finding(every) == "favours acupuncture; sensitive to leaving out any one of its 4 studies"
    # Some of them only: named.
    some = _pooled_result([("A", -0.4, -1.0, 0.2), ("B", -0.4, -1.0, 0.2), ("C", -0.5, -0.9, -0.1),
                           ("D", -0.5, -0.9, -0.1)])
    assert _sensitivity_caveat(some) == f" (sensitive to leaving out {a} or {b})"
    # An omission whose estimate moves away from no difference, its interval across it
    # only for being one study fewer (on t, one degree of freedom fewer): the study left
    # out was the nearest no difference, not one the result rests on. Said as such.
    wider = _pooled_result([("A", -0.4, -1.0, 0.2), ("B", -0.5, -1.1, 0.1), ("C", -0.6, -1.2, 0.05),
                            ("D", -0.55, -0.9, -0.2)])
    assert _sensitivity_caveat(wider) == (
        f" (sensitive to leaving out {a}; leaving out {b} or {c} widens the interval across no difference, "
        "though the estimate moves away from it)")
    assert sensitivity_text(wider).split(". Small-study")[0].endswith(
        f"without {b} the interval is −1.10 to 0.10 and is compatible with no difference, though the estimate, "
        f"−0.50, lies further from no difference; without {c} the interval is −1.20 to 0.05 and is "
        "compatible with no difference, though the estimate, −0.60, lies further from no difference: the "
        f"conclusion is sensitive to leaving out {a}; without {b} or {c} the interval crosses no "
        "difference though the estimate moves away from it: each of them adds precision, not direction")
    # (the table's cell is escaped as a whole)
    assert _finding(wider) == ("favours acupuncture; sensitive to leaving out <A> et al.; leaving out <B> et al. or "
                               "<C> et al. widens the interval across no difference, though the estimate moves away "
                               "from it")
    only = _pooled_result([(s, -0.5, -1.1, 0.1) for s in "ABCD"])
    assert _sensitivity_caveat(only) == (" (leaving out any one of its 4 studies widens the interval across no "
                                         "difference, though the estimate moves away from it)")
    assert "sensitive to" not in sensitivity_text(only)
    # A review that lowers the threshold to 5 is not told that Sterne et al. ask for 5:
    # they advise at least 10.
    assert sensitivity_text({**r, "small_study_min": 5}).endswith(
        "fewer than the 5 the review sets (its own threshold; Sterne et al. 2011 advise at least 10 for such a "
        "test to tell asymmetry from chance).")
    assert sensitivity_text({**r, "small_study_min": 15}).endswith(
        "fewer than the 15 the review sets (its own threshold; Sterne et al. 2011 advise at least 10 for such "
        "a test to tell asymmetry from chance).")
    r = _pooled_result([("A", -0.2, -0.6, 0.2), ("B", -0.1, -0.5, 0.3), ("C", -0.3, -0.7, 0.1),
                        ("D", -0.2, -0.6, 0.2)], ci_ub=0.1)
    assert "; without any one of them the confidence interval is still compatible with no difference." in sensitivity_text(r)
    # One omission makes the interval include no difference, another (of a result compatible
    # with none) one-sided: each named, with its interval and side.
    r = _pooled_result([("A", -0.6, -1.0, -0.2), ("B", -0.3, -0.7, 0.1), ("C", -0.5, -0.9, -0.1),
                        ("D", -0.5, -0.9, -0.1)])
    assert (f"; without {b} the interval is \u22120.70 to 0.10 and is compatible with no difference: the conclusion "
            f"is sensitive to leaving out {b}.") in sensitivity_text(r)
    r = _pooled_result([("A", 0.6, 0.2, 1.0), ("B", 0.1, -0.3, 0.5), ("C", 0.2, -0.2, 0.6), ("D", 0.1, -0.3, 0.5)],
                       estimate=0.2, ci_lb=-0.1, ci_ub=0.5)
    assert (f"without {a} the interval is 0.20 to 1.00 and lies wholly on one side of no difference (favours sham): "
            f"the conclusion is sensitive to leaving out {a}.") in sensitivity_text(r)
    # Too few studies for either: said, with the numbers needed.
    assert sensitivity_text(_pooled_result([], k=3, leave1out=None)).startswith(
        "Leaving out one study at a time is not done: 3 studies, fewer than the 4 for each refit to pool at least 3.")
    # Ten: the test, as a t statistic under Knapp-Hartung, with what it suggests; for an
    # SMD, the caveat that its standard error depends on the effect.
    reg = {"model": "rma", "predictor": "sei", "zval": -3.21, "tval": -3.21, "df": 8, "pval": 0.012, "slope": -1.5}
    r = _pooled_result([("A", -0.6, -1.0, -0.2)], k=10, measure="SMD", regtest=reg)
    assert sensitivity_text(r).endswith(
        "Small-study effects (Egger-type regression test on the standard error): t = \u22123.21 (df = 8), p = 0.012: "
        "the less precise studies show effects more favourable to acupuncture. Such asymmetry has causes other "
        "than publication bias (Sterne et al. 2011). For an SMD, the standard error depends on the effect itself, "
        "which makes this test find asymmetry more often than it should (a sample-size predictor, which the review "
        "can choose instead, does not).")
    r = _pooled_result([("A", -0.6, -1.0, -0.2)], k=10, regtest={**reg, "pval": 0.25})
    assert sensitivity_text(r).endswith("p = 0.250: no sign of asymmetry, which does not rule it out.")
    # A sample-size predictor: named, no caveat; the slope on n itself reads the other way
    # round (larger studies lie that way, so the less precise ones lie the other).
    r = _pooled_result([("A", -0.6, -1.0, -0.2)], k=10, measure="SMD", regtest={**reg, "predictor": "ninv"})
    assert sensitivity_text(r).endswith(
        "Small-study effects (Egger-type regression test on the inverse of the total sample size): t = −3.21 "
        "(df = 8), p = 0.012: the less precise studies show effects more favourable to acupuncture. Such asymmetry "
        "has causes other than publication bias (Sterne et al. 2011).")
    r = _pooled_result([("A", -0.6, -1.0, -0.2)], k=10, measure="SMD", regtest={**reg, "predictor": "ni"})
    assert "more favourable to sham." in sensitivity_text(r)
    r = _pooled_result([("A", -0.6, -1.0, -0.2)], k=10, regtest_error="the predictor (sei) is the same for every study")
    assert sensitivity_text(r).endswith("Small-study effects are not tested: the regression cannot be fitted (the "
                                        "predictor (sei) is the same for every study).")


def test_a_prediction_interval_across_no_difference_is_said_beside_an_estimate_on_one_side() -> None:
    # The average effect on acupuncture's side, the effect of a new trial possibly not:
    # "favouring acupuncture" alone promised a benefit the spread of the trials does not.
    from metareview.report.overview import prediction_clause

    r = _pooled_result([], k=4, pi_lb=-1.86, pi_ub=0.14)
    assert prediction_clause(r) == ("; a new trial\u2019s true effect could lie on either side of no difference (95% "
                                    "prediction interval \u22121.86 to 0.14)")
    # One that agrees, none (k < 3), or a confidence interval across no difference already.
    assert prediction_clause(_pooled_result([], k=4, pi_lb=-1.0, pi_ub=-0.05)) == ""
    assert prediction_clause(_pooled_result([], k=4, pi_lb=None, pi_ub=None)) == ""
    assert prediction_clause(_pooled_result([], k=4, ci_ub=0.1, pi_lb=-1.86, pi_ub=0.14)) == ""
    # In the summary's line of the result.
    ctx = context()
    r0 = next(x for x in ctx.analyses if x["status"] == "pooled")
    wide = {**r0, "pooled": {**r0["pooled"], "ci_lb": -0.6, "ci_ub": -0.1, "pi_lb": -1.2, "pi_ub": 0.3}}
    summary = str(summary_section(dataclasses.replace(ctx, analyses=[wide if x is r0 else x for x in ctx.analyses])))
    assert "a new trial\u2019s true effect could lie on either side of no difference (95% prediction interval" in summary
    assert "prediction interval \u2212" not in str(summary_section(ctx))


def test_i2_is_given_in_the_handbooks_words_with_its_interval_from_four_studies() -> None:
    # "I² = 64.1% (95% CI 34.7% to 94.5%)" over 11 trials, with no word of what it means:
    # the Cochrane Handbook's overlapping bands (10.10.2) give the words, and its interval
    # how far they can be trusted.
    from metareview.report.sections import _i2_words

    guide = ("By the Cochrane Handbook\u2019s overlapping bands for I² (10.10.2: 0% to 40% might not be important; 30% "
             "to 60% moderate; 50% to 90% substantial; 75% to 100% considerable), ")
    p = {"k": 11, "I2": 64.1, "I2_ci_lb": 34.7, "I2_ci_ub": 94.5, "level": 95.0, "tau2_ci_lb": 0.02, "tau2_ci_ub": 0.6}
    assert _i2_words(p) == (f" {guide}64.1% is substantial heterogeneity, and its 95% CI (34.7% to 94.5%) runs from "
                            "\u201cmight not be important\u201d to \u201cconsiderable\u201d.")
    # Where the bands overlap, both; an interval within one band, said so.
    assert "55.0% is moderate or substantial heterogeneity," in _i2_words({**p, "I2": 55.0})
    assert "35.0% is heterogeneity that might not be important, or moderate heterogeneity," in _i2_words(
        {**p, "I2": 35.0})
    assert _i2_words({**p, "I2": 10.0, "I2_ci_lb": 0.0, "I2_ci_ub": 25.0}).endswith(
        "10.0% is heterogeneity that might not be important, and its 95% CI (0.0% to 25.0%) lies within that band.")
    # Without an interval, the point alone; with 3 studies, nothing (heterogeneity cannot
    # be assessed, as the line says).
    assert _i2_words({**p, "I2_ci_lb": None}).endswith("64.1% is substantial heterogeneity.")
    assert _i2_words({**p, "k": 3}) == ""
    # In the summary's line of a pooled result, from 50%: the trials' results differ.
    from metareview.report.overview import heterogeneity_clause

    r = _pooled_result([], k=11, I2=64.1, I2_ci_lb=34.7, I2_ci_ub=94.5, level=95.0)
    assert heterogeneity_clause(r) == ("; substantial heterogeneity between the trials (I² = 64.1%, 95% CI 34.7% to "
                                       "94.5%)")
    assert heterogeneity_clause({**r, "pooled": {**r["pooled"], "I2": 80.0}}).startswith(
        "; substantial to considerable heterogeneity")
    assert heterogeneity_clause({**r, "pooled": {**r["pooled"], "I2": 45.0}}) == ""
    assert heterogeneity_clause({**r, "pooled": {**r["pooled"], "k": 3}}) == ""
    ctx = context()
    r0 = next(x for x in ctx.analyses if x["status"] == "pooled")
    spread = {**r0, "pooled": {**r0["pooled"], "k": 11, "I2": 64.1, "I2_ci_lb": 34.7, "I2_ci_ub": 94.5}}
    ctx = dataclasses.replace(ctx, analyses=[spread if x is r0 else x for x in ctx.analyses])
    assert "substantial heterogeneity between the trials (I² = 64.1%, 95% CI 34.7% to 94.5%)" in str(
        summary_section(ctx))
    assert "substantial heterogeneity" in str(bottom_line(ctx))
    text = " ".join(str(results_section(ctx)).split())
    assert "64.1% is substantial heterogeneity, and its 95% CI (34.7% to 94.5%) runs from" in text


def test_a_prediction_interval_equal_to_the_ci_for_a_tau2_of_zero_says_why() -> None:
    # Five trials' RR: REML put τ² at 0 though Q = 6.14 on 4 df, and the 95% prediction
    # interval, 0.85 to 2.20, was the confidence interval's own: read as trials that agree.
    from metareview.report.sections import _zero_tau2_prediction

    p = {"k": 5, "tau2": 0.0, "QE": 6.1366, "method": "REML", "pi_lb": -0.16, "pi_ub": 0.79}
    assert _zero_tau2_prediction(p) == (
        " The prediction interval equals the confidence interval only because τ² was estimated at 0: Q = 6.14 "
        "exceeds its 4 degrees of freedom, so the trials\u2019 true effects may differ more than that estimate says.")
    # Q within its df, a τ² above 0, no prediction interval, or an equal-effects model: nothing.
    assert _zero_tau2_prediction({**p, "QE": 3.5}) == ""
    assert _zero_tau2_prediction({**p, "tau2": 0.01}) == ""
    assert _zero_tau2_prediction({**p, "pi_lb": None}) == ""
    assert _zero_tau2_prediction({**p, "method": "EE"}) == ""
    ctx = context()
    r0 = next(x for x in ctx.analyses if x["status"] == "pooled")
    zero = {**r0, "pooled": {**r0["pooled"], "k": 5, "tau2": 0.0, "QE": 6.1366, "pi_lb": -0.16, "pi_ub": 0.79}}
    text = " ".join(str(results_section(dataclasses.replace(
        ctx, analyses=[zero if x is r0 else x for x in ctx.analyses]))).split())
    assert "k = 5. By the Cochrane" in text and "The prediction interval equals the confidence interval only" in text


def test_a_conclusion_that_rests_on_one_study_says_so_in_the_summary_and_in_what_changed() -> None:
    ctx = context()
    r = next(x for x in ctx.analyses if x["status"] == "pooled")
    p = r["pooled"]
    sid = r["studies"][0]["study_id"]
    whole = excludes_no_effect(p)
    # Leaving out the first study flips whether the interval lies on one side.
    flip = {"study_id": sid, "estimate": p["estimate"], "se": 0.1,
            "ci_lb": -1.0 if whole else 0.1, "ci_ub": 1.0 if whole else 0.9, "pval": 0.5}
    flip_r = {**r, "pooled": {**p, "leave1out": [flip]}}
    flipped = dataclasses.replace(ctx, analyses=[flip_r if x is r else x for x in ctx.analyses])
    label = escape(r["studies"][0]["label"])
    summary = str(summary_section(flipped))
    # Next to the interval it qualifies, before what explains the interval's width.
    assert f"(sensitive to leaving out {label}). With 2 studies the interval" in summary
    assert "sensitive to leaving out" not in str(summary_section(ctx))
    # In the results-table layout, the analysis's row says it.
    row = next(x for x in str(results_table(flipped)).splitlines() if x.startswith(f"| {escape(r['analysis']['id'])} "))
    # (before the SMD in its instrument's points, which ends the cell)
    assert row.rstrip(" |").split("; about ")[0].endswith(f"; sensitive to leaving out {label}")
    # Key results keep it; the next build says when it changes, and only then.
    keys = key_results(flipped)
    assert keys["analyses"][r["analysis"]["id"]]["sensitive_to"] == [sid]
    robust = {**r, "pooled": {**p, "leave1out": [{**flip, "ci_lb": p["ci_lb"], "ci_ub": p["ci_ub"]}]}}
    before = key_results(dataclasses.replace(ctx, analyses=[robust if x is r else x for x in ctx.analyses]))
    assert before["analyses"][r["analysis"]["id"]]["sensitive_to"] == []
    text = changes_section(keys, before)
    assert f"**leave-one-out**: the conclusion has become sensitive to leaving out {escape(keys['study_labels'][sid])}" in text
    assert "no single study's omission changes the conclusion any longer" in changes_section(before, keys)
    assert "leave-one-out" not in changes_section(keys, keys)


def test_the_audit_traces_each_leave_one_out_estimate() -> None:
    ctx = context()
    r = dict(ctx.analyses[0])
    r["pooled"] = {**r["pooled"], "leave1out": [{"study_id": "A", "estimate": -0.25, "se": 0.1, "ci_lb": -0.5,
                                                 "ci_ub": 0.0, "pval": 0.05}]}
    rows = [row for row in audit_rows(dataclasses.replace(ctx, analyses=[r, *ctx.analyses[1:]]))
            if row[1].startswith("leave-one-out estimate")]
    # Named by the study left out; the studies it pools, its variance and interval.
    others = "; ".join(s["study_id"] for s in r["studies"] if s["study_id"] != "A")
    assert len(rows) == 1 and rows[0][1:5] == ["leave-one-out estimate without A", others, -0.25, pytest.approx(0.01)]
    assert "refitted without A" in rows[0][8] and "CI \u22120.5 to 0" in rows[0][8]


def test_the_audit_traces_the_small_study_test() -> None:
    # With 10 studies or more the analysis prints "Small-study effects (Egger-type
    # regression test on the standard error): t = -0.78 (df = 11), p = 0.451": the audit
    # gives that number a row, with what a reader needs to refit it. The numbers are
    # metafor 3.8-1's regtest on dat.bcg's 13 log risk ratios, REML with Knapp-Hartung
    # (tests/reference/metafor_bias/dat.bcg__RR.json, fit REML_knha).
    reg = {"model": "rma", "predictor": "sei", "zval": -0.781154133601789, "tval": -0.781154133601789, "df": 11,
           "pval": 0.451196679953773, "slope": -0.7632400406042779, "slope_se": 0.9770671468959502,
           "tau2": 0.3082491111068908}
    for detail_limit in (None, 0):
        ctx = context() if detail_limit is None else context(report={"detail_limit": detail_limit})
        r = next(r for r in ctx.analyses if r["pooled"])
        ctx = dataclasses.replace(ctx, analyses=[{**r, "pooled": {**r["pooled"], "regtest": reg}}
                                                 if x is r else x for x in ctx.analyses])
        rows = audit_rows(ctx)
        (row,) = [x for x in rows if x[1].startswith("small-study test")]
        aid = r["analysis"]["id"]
        assert row[:8] == [aid, "small-study test (Egger-type regression on the standard error)",
                           "; ".join(s["study_id"] for s in r["studies"]), reg["tval"], None,
                           f"results/analyses/{aid}.json", "",
                           "regtest(rma(method=REML, test=knha), model=rma, predictor=sei)"]
        assert ("regressed on the standard error (sei = sqrt(vi)) in the random-effects model, with its estimator "
                "and test: slope \u22120.76324 (SE 0.977067), residual tau2 = 0.308249; t = slope / SE = "
                "\u22120.781154 (df = 11), p = 0.4512; printed t = \u22120.78 (df = 11), p = 0.451") in row[8]
        # Printed in the appendix in either layout, as its pooled estimate is, and the
        # results-table layout's note says so.
        section = str(audit_section(ctx, rows))
        assert "| small-study test (Egger-type regression on the standard error) |" in section
        assert (detail_limit is None) == ("the pooled estimates and their small-study tests," not in section)
    # A z test has no degrees of freedom.
    z = {**reg, "tval": None, "zval": -0.803329193090804, "df": None, "pval": 0.421784488855319}
    ctx = context()
    r = next(r for r in ctx.analyses if r["pooled"])
    row = next(x for x in audit_rows(dataclasses.replace(ctx, analyses=[{**r, "pooled": {**r["pooled"], "regtest": z}}]))
               if x[1].startswith("small-study test"))
    assert row[3] == z["zval"] and row[8].endswith("z = slope / SE = \u22120.803329, p = 0.4218; printed "
                                                   "z = \u22120.80, p = 0.422")
    # No test (fewer studies than it needs), no row.
    assert not [x for x in audit_rows(ctx) if x[1].startswith("small-study test")]


def test_the_audit_traces_each_summed_count_to_its_raw_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    # acu_vs_sham pools A (30 and 30 in arm_outcomes.csv rows 2 and 3) and B (40 and 38,
    # rows 4 and 5): its forest plot prints 70 / 68 on the pooled row, sums of those cells.
    ctx = context()
    rows = {x[1]: x for x in audit_rows(ctx) if x[1].endswith("(sum)") and x[0]}
    # (And the summary's participants, 138, which the next test traces.)
    assert set(rows) == {"participants, intervention arms (sum)", "participants, comparator arms (sum)",
                         "participants (sum)"}
    from metareview.report.flow import analysed_participants, counts_line

    # The summary's line of counts: each arm once over the analyses, summed by trial.
    total, counted, _ = analysed_participants(ctx)
    (line,) = [x for x in audit_rows(ctx) if x[1] == "participants in the arms analysed (sum)"]
    assert line[3] == total and line[2] == "; ".join(counted) and f"with {total:,} participants" in counts_line(ctx)
    assert "A arm_outcomes.csv row 2 n 30 + arm_outcomes.csv row 3 n 30 = 60; " in line[8], line[8]
    trials = re.findall(r"; ([\d,]+(?: \+ [\d,]+)+) = ([\d,]+)", line[8])
    assert trials and sum(int(x.replace(",", "")) for x in trials[-1][0].split(" + ")) == total, line[8]
    arms1, arms2 = rows["participants, intervention arms (sum)"], rows["participants, comparator arms (sum)"]
    assert arms1[:8] == ["acu_vs_sham", "participants, intervention arms (sum)", "A; B", 70.0, None,
                         "arm_outcomes.csv row 2; arm_outcomes.csv row 4",
                         "arm_outcomes.csv row 2: n = 30; arm_outcomes.csv row 4: n = 40", "sum of the raw cells"]
    assert arms1[8] == ("A 30 (arm_outcomes.csv row 2, n) + B 40 (arm_outcomes.csv row 4, n) = 70; printed in the "
                        "forest plot's pooled row (70 / 68), the intervention side")
    assert (arms2[3], arms2[6]) == (68.0, "arm_outcomes.csv row 3: n = 30; arm_outcomes.csv row 5: n = 38")
    # Printed as a count in the appendix, not as an effect's four decimals.
    assert "| participants, intervention arms (sum) | A; B | 70 | – |" in str(audit_section(ctx, audit_rows(ctx)))
    # A study whose recorded cells do not give its sizes (none, or an arm's missing, as in
    # a file written before they were recorded): no sum that would not add up to the one
    # printed.
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    for sizes in (None, {"n1": [], "n2": [{"ref": "arm_outcomes.csv:B#2", "column": "n", "value": 38.0}]}):
        older = [{**r, "studies": [{**x, "sizes": sizes} if x["study_id"] == "B" else x for x in r["studies"]]}]
        assert not [x for x in audit_rows(dataclasses.replace(ctx, analyses=older))
                    if x[1].endswith("(sum)") and not x[1].startswith("participants randomised")]
    # The GRADE table's participants beside k: all four arms, 30 + 30 + 40 + 38.
    graded = context(analyses=_with_certainty(**JUDGED))
    r = next(x for x in graded.analyses if x["analysis"]["id"] == "acu_vs_sham")
    assert str(grade_facts(graded, r)).startswith("k = 2; 138 participants;")
    totals = {x[0]: x for x in audit_rows(graded) if x[1] == "participants (sum)"}
    # dn_vs_sham's one study too, whose row the table has (20 + 20, contrasts.csv's n1 and n2).
    assert totals["dn_vs_sham"][8].startswith("C 20 (contrasts.csv row 2, n1) + C 20 (contrasts.csv row 2, n2) = 40;")
    total = totals["acu_vs_sham"]
    assert total[3] == 138.0 and total[8].startswith(
        "A 30 (arm_outcomes.csv row 2, n) + A 30 (arm_outcomes.csv row 3, n) + B 40 (arm_outcomes.csv row 4, n) + "
        "B 38 (arm_outcomes.csv row 5, n) = 138; printed 138 participants")
    # A second acupuncture arm of A (25, row 6) combined with its first: A's side is a sum
    # itself (30 + 25), traced, and the plot's total takes both arms (30 + 25 + 40 = 95).
    monkeypatch.setitem(globals(), "ARMS", {**ARMS, "A": [*ARMS["A"], ("j", "acupuncture")]})
    monkeypatch.setitem(globals(), "ARM_OUTCOMES", [*ARM_OUTCOMES, ("A", "j", 25, 3.2, 2.1)])
    rows = {x[1]: x for x in audit_rows(context()) if x[1].endswith("(sum)")}
    own = rows["participants, intervention arms of A (sum)"]
    assert (own[3], own[6]) == (55.0, "arm_outcomes.csv row 2: n = 30; arm_outcomes.csv row 6: n = 25")
    assert rows["participants, intervention arms (sum)"][8].startswith(
        "A 30 (arm_outcomes.csv row 2, n) + A 25 (arm_outcomes.csv row 6, n) + B 40 (arm_outcomes.csv row 4, n) = 95;")


def test_a_review_s_pooled_trials_are_set_against_every_trial_of_the_comparison_in_the_data() -> None:
    # Trials E (no result rows at all, as Leibing 2002) and F (a result on disability only)
    # compare acupuncture with sham too: "more than the 2 trials" counted only those with
    # rows of the analysis's outcome. Counted, with how many have no result on it entered.
    ctx = context()
    a = next(d for d in ctx.normalised if d["study"]["study_id"] == "A")
    e, f, h = copy.deepcopy(a), copy.deepcopy(a), copy.deepcopy(a)
    for d, sid in ((e, "E"), (f, "F"), (h, "H")):
        d["study"].update(study_id=sid, label=f"Trial {sid}")
        d["arm_values"], d["contrasts"], d["statements"] = [], [], []
    f["statements"] = [{"ref": "statements.csv:F#1", "arm1": "i", "arm2": "c", "node1": a["arms"][0]["node"],
                        "node2": a["arms"][1]["node"], "outcome": "disability", "direction": "no_difference"}]
    held = dataclasses.replace(ctx, normalised=[*ctx.normalised, e, f, h])
    text = " ".join(reviews_and_trials_text(held).split())
    # As many as the review's 5: no "more than", but the count beside them all the same,
    # each group of them counted, so that the sum can be checked.
    assert ("Review M pooled 5 trials (1,234 participants); these data have 5 trials of this comparison: 2 used "
            "here and 3 with no result on pain entered;") in text, text
    from metareview.report import summary_counts

    assert summary_counts(held)["acu_vs_sham"]["held"] == (
        "these data have 5 trials of this comparison: 2 used here and 3 with no result on pain entered")
    (row,) = [x for x in audit_rows(held) if x[:2] == ["acu_vs_sham", "trials of this comparison in these data (count)"]]
    assert row[2:4] == ["A; B; E; F; H", 5]
    assert ("no result on the outcome entered (3): E (arms.csv rows 2 and 3), F (arms.csv rows 2 and 3), H (arms.csv "
            "rows 2 and 3); 2 + 3 = 5 trials") in row[8], row[8]
    # Fewer than the review's: still "more than", with the same count of those not entered.
    fewer = dataclasses.replace(held, normalised=[*ctx.normalised, e])
    assert summary_counts(fewer)["acu_vs_sham"]["held"] == (
        "more than the 3 trials of this comparison in these data (2 used here and 1 with no result on pain entered)")
    # A trial set aside and one whose only result on pain is a statement in words (Kerr
    # 2003 against placebo TENS): each counted as what it is, as the summary counts the
    # trials set aside.
    f["statements"] = [{**f["statements"][0], "outcome": "pain"}]
    r = next(x for x in held.analyses if x["analysis"]["id"] == "acu_vs_sham")
    worded = dataclasses.replace(held, analyses=[
        {**x, "excluded": [{"label": "Trial H", "study_id": "H", "reason": "SD missing", "refs": []}]} if x is r else x
        for x in held.analyses])
    assert summary_counts(worded)["acu_vs_sham"]["held"] == (
        "these data have 5 trials of this comparison: 2 used here, 1 set aside, 1 with a result in words only and 1 "
        "with no result on pain entered")
    (row,) = [x for x in audit_rows(worded)
              if x[:2] == ["acu_vs_sham", "trials of this comparison in these data (count)"]]
    assert "a result on the outcome in words only (1): F (statements.csv:F#1)" in row[8], row[8]
    # A trial of other treatments (dry needling against sham, C) is not one of this comparison.
    assert "the 4 trials" not in " ".join(reviews_and_trials_text(fewer).split())


def test_the_summarys_counts_of_trials_and_participants_each_have_an_audit_row() -> None:
    # Review M (5 trials pooled, CI -0.80 to -0.20) finds a difference; acu_vs_sham's A and
    # B, pooled, do not. Published meta-analyses weighs one against the other: "the 2 trials pooled
    # here (138 participants)" (30 + 30 + 40 + 38, arm_outcomes.csv rows 2 to 5) and "more
    # than the 2 trials of this comparison in these data" (A's rows 2 and 3, B's 4 and 5).
    # Neither count had a row: the forest plot's totals (70 / 68) did, the summary's not.
    ctx = context()
    text = " ".join(build_report(TEMPLATE, ctx)[0].split())
    assert "the 2 trials pooled here (138 participants) have an interval (" in text
    assert "more than the 2 trials of this comparison in these data" in text
    rows = audit_rows(ctx)
    (total,) = [x for x in rows if x[:2] == ["acu_vs_sham", "participants (sum)"]]
    assert total[3] == 138.0 and total[7] == "sum of the raw cells"
    assert total[8] == ("A 30 (arm_outcomes.csv row 2, n) + A 30 (arm_outcomes.csv row 3, n) + B 40 (arm_outcomes.csv "
                        "row 4, n) + B 38 (arm_outcomes.csv row 5, n) = 138; printed in Published meta-analyses, where published "
                        "reviews are weighed against this review's trials (\u201cthe 2 trials pooled here (138 "
                        "participants)\u201d)")
    (count,) = [x for x in rows if x[:2] == ["acu_vs_sham", "candidate trials (count)"]]
    # A count, not a sum: its trail is the studies counted and the raw rows that make each
    # one of them, the study_id cell of each.
    assert count[2:8] == ["A; B", 2, None, "arm_outcomes.csv rows 2 and 3; arm_outcomes.csv rows 4 and 5",
                          "arm_outcomes.csv rows 2 and 3: study_id = A; arm_outcomes.csv rows 4 and 5: study_id = B",
                          "count of the studies of the raw rows"]
    assert count[8] == ("used (2): A (arm_outcomes.csv rows 2 and 3), B (arm_outcomes.csv rows 4 and 5); 2 trials; "
                        "printed in the opening of the analysis's section (\u201ccandidate trials: 2; used: 2\u201d)")
    # The trials of the comparison a review's pooled trials are set against: a row of their
    # own, every trial with arms of both treatments, not only the analysis's candidates.
    (held,) = [x for x in rows if x[:2] == ["acu_vs_sham", "trials of this comparison in these data (count)"]]
    assert held[2:4] == ["A; B", 2] and held[8] == (
        "used (2): A (arm_outcomes.csv rows 2 and 3), B (arm_outcomes.csv rows 4 and 5); 2 trials; printed in "
        "Published meta-analyses (\u201cmore than the 2 trials of this comparison in these data\u201d)")
    assert "candidate trials: 2; used: 2" in text
    # dn_vs_sham's one trial, C (contrasts.csv row 2): its section's count, not the summary's.
    (one,) = [x for x in rows if x[:2] == ["dn_vs_sham", "candidate trials (count)"]]
    assert (one[2], one[3]) == ("C", 1) and one[8].endswith("1 trial; printed in the opening of the analysis's section "
                                                            "(\u201ccandidate trials: 1; used: 1\u201d)")
    # Printed as counts in the appendix, not as effects' four decimals.
    # The counts in a table of their own, after the numbers: no variance, no method.
    section = str(audit_section(ctx, rows))
    numbers, counts = section.split("{#tbl-audit}", 1)
    assert f"| {ACU_VS_SHAM} | candidate trials (count) | A; B | 2 | arm\\_outcomes.csv rows 2 and 3: " in counts
    assert "{#tbl-audit-counts}" in counts and "(count)" not in numbers
    assert "| `acu_vs_sham` | participants (sum) | A; B | 138 | – |" in numbers
    # A raw cell quoted as typed, its hyphen-minus kept (the report's minus sign elsewhere):
    # an auditor searches the CSV for a cell copied from the appendix.
    (effect, *_) = [list(x) for x in rows if x[1] == "study effect"]
    effect[6] = "contrasts.csv row 6: estimate = 5.1, ci_lb = -3.7"
    effect[8] = "mean difference = -3.7"
    shown = str(audit_section(ctx, [effect]))
    assert "ci\\_lb = -3.7 |" in shown and "mean difference = \u22123.7" in shown
    # A count among the numbers (of the results a forest plot does not draw, of
    # documents) as the count it is, "13", not as an effect's "13.0000"; an effect's
    # value keeps its four decimals.
    count = [effect[0], "published results not drawn in the forest plot (count)", "A", 13, None, "",
             "contrasts.csv row 6: study_id = A", "count of the raw rows", "not drawn (13)"]
    shown = str(audit_section(ctx, [effect, count]))
    assert "| published results not drawn in the forest plot (count) | A | 13 | \u2013 |" in shown, shown
    assert "13.0000" not in shown and f"| {f2(effect[3], 4)} |" in shown
    # Three trials set aside beside the pooled result: the summary counts them ("3
    # trials set aside") rather than naming them, and the count has a row naming each one's rows.
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    aside = [{"study_id": f"X{i}", "label": f"Trial X{i}", "reason": "only a p-value reported",
              "refs": [f"contrasts.csv:X{i}#1"]} for i in (1, 2, 3)]
    raw_rows = {**ctx.raw_rows, **{f"contrasts.csv:X{i}#1": ("contrasts.csv", 10 + i) for i in (1, 2, 3)}}
    wider = dataclasses.replace(ctx, raw_rows=raw_rows,
                                analyses=[{**x, "excluded": aside} if x is r else x for x in ctx.analyses])
    assert "3 trials set aside (see [Trials that could not be used](#sec-excluded))" in " ".join(
        build_report(TEMPLATE, wider)[0].split())
    rows = {x[1]: x for x in audit_rows(wider) if x[0] == "acu_vs_sham" and x[1].endswith("(count)")}
    assert (rows["trials set aside (count)"][2], rows["trials set aside (count)"][3]) == ("X1; X2; X3", 3)
    assert rows["trials set aside (count)"][8] == (
        "set aside (3): X1 (contrasts.csv row 11: only a p-value reported), X2 (contrasts.csv row 12: only a p-value "
        "reported), X3 (contrasts.csv row 13: only a p-value reported); 3 trials; printed in the summary, among the "
        "trials set aside (\u201c3 trials set aside\u201d)")
    # Never the cross-reference's marker, which rendering turns into "Table 4" in the
    # summary but which the audit table prints as it is.
    assert not any("@tbl" in str(cell) for x in audit_rows(wider) for cell in x)
    assert rows["candidate trials (count)"][3] == 5 and "; 2 + 3 = 5 trials; printed in the opening of the analysis's section " \
        "(\u201ccandidate trials: 5; used: 2\u201d)" in rows["candidate trials (count)"][8]
    # In the results-table layout the summary gives no such overview and no analysis a
    # section: the audit table is the same, but its appendix shows none of the counts of
    # trials, only the count of claims that the summary prints in either layout, and the
    # limitations' counts, which are in either layout too.
    table = context(report={"detail_limit": 0})
    assert audit_rows(table) == audit_rows(ctx)
    shown = str(audit_section(table, audit_rows(table)))
    assert [line.split("|")[2].strip() for line in shown.splitlines() if "(count) |" in line] == [
        "claims of the source, not checkable from the data (count)", "claims of the source, citing no evidence (count)",
        "analyses by pooling (count)",
        "indirect comparisons by reason (count)",
        "trials used in an analysis with no risk-of-bias judgement (count)",
        "analyses with a study effect and no small-study test (count)"]
    assert "| participants (sum) |" not in shown


def test_a_count_of_trials_set_aside_over_several_analyses_names_each_ones_analysis(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # X1 set aside from both analyses, X2 from the second alone: the count, in the first
    # one's row, read as if X2's rows and reason were the first analysis's (Meng 2003's
    # disability rows under the usual-care pain analysis).
    from metareview.report import audit

    ctx = context()
    aside = {"acu_vs_sham": [("X1", "only a p-value reported")],
             "dn_vs_sham": [("X1", "outside the window"), ("X2", "only change values")]}
    raw_rows = {**ctx.raw_rows, **{f"contrasts.csv:{sid}#{i}": ("contrasts.csv", 10 + 2 * int(sid[1]) + i)
                                   for sid in ("X1", "X2") for i in (1, 2)}}
    analyses = [{**x, "excluded": [{"study_id": sid, "label": f"Trial {sid}", "reason": why,
                                    "refs": [f"contrasts.csv:{sid}#{1 if x['analysis']['id'] == 'acu_vs_sham' else 2}"]}
                                   for sid, why in aside[x["analysis"]["id"]]]}
                for x in ctx.analyses]
    wider = dataclasses.replace(ctx, raw_rows=raw_rows, analyses=analyses)
    # X1's statements in words on the first analysis's comparison, which the table of
    # trials set aside cites ("a result given in words only").
    raw_rows["statements.csv:X1#1"] = ("statements.csv", 7)
    monkeypatch.setattr(audit, "excluded_statement_refs", lambda ctx, r, e: (
        ["statements.csv:X1#1"] if e["study_id"] == "X1" and r["analysis"]["id"] == "acu_vs_sham" else []))
    first = analyses[0]
    rows = {x[1]: x for x in audit._trial_count_audit_rows(
        wider, first, {"aside": "2 trials set aside", "aside_from": "acu_vs_sham dn_vs_sham"})}
    counted = rows["trials set aside (count)"]
    assert counted[3] == 2 and counted[8] == (
        "set aside (2): X1 (in acu_vs_sham, contrasts.csv row 13; statements.csv row 7: only a p-value reported; a "
        "result given in words only; in dn_vs_sham, contrasts.csv row 14: outside the window), X2 (in dn_vs_sham, "
        "contrasts.csv row 16: only change values); 2 trials; printed in the summary, among the trials set aside "
        "(\u201c2 trials set aside\u201d), counted once over acu_vs_sham and dn_vs_sham"), counted[8]
    # The analysis's own count of candidates names the statements too, as its table does.
    candidates = rows["candidate trials (count)"]
    assert "X1 (contrasts.csv row 13; statements.csv row 7: only a p-value reported; a result given in words only)" \
        in candidates[8], candidates[8]
    assert "statements.csv row 7: study_id = X1" in candidates[6]
    # One analysis's count names none: its row is its own.
    alone = {x[1]: x for x in audit._trial_count_audit_rows(wider, first, {"aside": "1 trial set aside"})}
    assert alone["trials set aside (count)"][8].startswith("set aside (1): X1 (contrasts.csv row 13; "), alone


def test_the_summarys_tally_of_published_reviews_has_an_audit_row_naming_each_review(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Review M (contrasts.csv row 3: SMD -0.5, CI -0.8 to -0.2) lies wholly on
    # acupuncture's side; a second review, N (row 4: SMD -0.3, CI -0.6 to 0.1), crosses 0.
    # The summary gives their sizes and names N's interval, never "1 of 2 reviews ... has
    # every interval wholly on ...'s side" (vote counting); its count of reviews has a row.
    monkeypatch.setitem(globals(), "STUDIES", {**STUDIES, "N": ("Review N", "meta_analysis")})
    monkeypatch.setitem(globals(), "ARMS", {**ARMS, "N": [("i", "acupuncture"), ("c", "sham_acupuncture")]})
    monkeypatch.setitem(globals(), "CONTRASTS", [*CONTRASTS, {
        "study_id": "N", "arm1": "i", "arm2": "c", "measure": "SMD", "estimate": -0.3, "ci_lb": -0.6, "ci_ub": 0.1,
        "ci_level": 95.0}])
    ctx = context()
    text = " ".join(build_report(TEMPLATE, ctx)[0].split())
    assert "Against sham: - Pain: " in text
    assert ("population): 2 reviews with confidence intervals: their SMDs range from "
            "\u22120.50 to \u22120.30. Review N\u2019s interval includes no difference (SMD \u22120.30, 95% CI "
            "\u22120.60 to 0.10).") in text
    assert "wholly on" not in text.split("Against sham: - Pain: ", 1)[1].split("\n- ", 1)[0].split("population):")[1][:200]
    assert not [x for x in audit_rows(ctx) if x[1].startswith("reviews tallied against")]
    (row,) = [x for x in audit_rows(ctx) if x[1].endswith(", sizes given (count)")]
    assert row[:8] == ["", "reviews with confidence intervals against sham, sizes given (count)", "M; N", 2, None,
                       "contrasts.csv row 3; contrasts.csv row 4",
                       "contrasts.csv row 3: study_id = M; contrasts.csv row 4: study_id = N",
                       "count of the studies of the raw rows"]
    assert row[8] == ("with a confidence interval (2): M (contrasts.csv row 3), N (contrasts.csv row 4); 2 reviews with "
                      "confidence intervals; printed in the summary, the tally of reviews of <b>Acupuncture</b> *x* "
                      "against sham (\u201c2 reviews with confidence intervals\u201d)"), row[8]
    # M alone is said in words ("the one review with confidence intervals"), not counted: no row.
    monkeypatch.undo()
    assert not [x for x in audit_rows(context()) if x[1].endswith(", sizes given (count)")]


def test_the_reviews_the_summary_sets_beside_the_trials_have_an_audit_row() -> None:
    # Review M's one result (contrasts.csv row 3, SMD -0.5, CI -0.8 to -0.2) lies wholly on
    # acupuncture's side, where A and B pooled do not: the summary gives M's size beside
    # the trials' ("1 review with a confidence interval: its SMD is −0.50; the 2 trials
    # pooled here (...) are compatible with both a difference of that size and none"), no
    # count of reviews finding a difference ("1 review finds a difference on ...'s side").
    ctx = context()
    text = " ".join(build_report(TEMPLATE, ctx)[0].split())
    assert "finds a difference on \\<b\\>Acupuncture" not in text
    assert "On pain, 1 review with a confidence interval: its SMD is \u22120.50; the 2 trials pooled here (SMD" in text
    assert "are compatible with both a difference of that size and none, not evidence of no difference" in text
    assert not [x for x in audit_rows(ctx) if x[1].startswith("reviews differing from the trials here")]
    (row,) = [x for x in audit_rows(ctx) if x[1].startswith("reviews set beside the trials here")]
    assert row == ["acu_vs_sham", "reviews set beside the trials here, with confidence intervals (count)",
                   "M", 1, None, "contrasts.csv row 3", "contrasts.csv row 3: study_id = M",
                   "count of the studies of the raw rows",
                   ("with a confidence interval (1): M (contrasts.csv row 3); 1 review; printed in the summary "
                    "(\u201c1 review with a confidence interval\u201d)")]


def test_the_reviews_a_tally_sets_apart_have_an_audit_row_per_reason() -> None:
    # Review S, known only from a secondary source (its result in contrasts.csv row 9),
    # is not counted with Review M: the analysis's line and the summary's tally both say
    # "1 review known only from a secondary source: Review S", a count with no row before.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    s_result = {**m, "study_id": "S", "label": "Review S", "source_level": "secondary", "ref": "contrasts.csv:S#1"}
    ctx = dataclasses.replace(ctx, raw_rows={**ctx.raw_rows, "contrasts.csv:S#1": ("contrasts.csv", 9)},
                              analyses=[{**x, "external": [m, s_result]} if x is r else x for x in ctx.analyses])
    text = build_report(TEMPLATE, ctx)[0]
    # Named in the analysis's line of the Results; the summary points to the section
    # instead of counting them, so has no row.
    assert spaced(text).count("- 1 review known only from a secondary source: Review S.") == 1
    assert "Not counted here: published results of reviews known only from a secondary source" in spaced(text)
    rows = [x for x in audit_rows(ctx) if x[1] == "reviews not counted, known only from a secondary source (count)"]
    # The analysis's, and the limitations' over all analyses.
    assert [x[0] for x in rows] == ["acu_vs_sham", ""]
    for row in rows:
        assert row[2:8] == ["S", 1, None, "contrasts.csv row 9", "contrasts.csv row 9: study_id = S",
                            "count of the studies of the raw rows"]
        assert row[8].startswith("known only from a secondary source (1): S (contrasts.csv row 9); 1 review; printed ")
        assert row[8].endswith("(\u201c1 review known only from a secondary source\u201d)")


def test_the_limitations_list_the_reviews_left_out_of_the_tallies_for_where_they_were_read() -> None:
    # Review S is known only from a secondary source (contrasts.csv row 9), shown by both
    # analyses; one result of Review L (row 10) was read only in an overview's table; one
    # of Review O (row 11) lies outside the analysis's window. The limitations named only
    # reviews of another population as shown but not counted, as if these were counted.
    ctx = context()
    assert "known only from a secondary source or read here only" not in str(limitations_section(ctx))
    m = ctx.analyses[0]["external"][0]
    s_result = {**m, "study_id": "S", "label": "Review S", "source_level": "secondary", "ref": "contrasts.csv:S#1"}
    l_result = {**m, "study_id": "L", "label": "Review L", "read_elsewhere": True, "ref": "contrasts.csv:L#1"}
    o_result = {**m, "study_id": "O", "label": "Review O", "source_level": "secondary", "outside_window": True,
                "ref": "contrasts.csv:O#1"}
    rows = {f"contrasts.csv:{sid}#1": ("contrasts.csv", n) for sid, n in (("S", 9), ("L", 10), ("O", 11))}
    ctx = dataclasses.replace(ctx, raw_rows={**ctx.raw_rows, **rows}, analyses=[
        {**x, "external": [*x.get("external", []), s_result, *([l_result, o_result] if not i else [])]}
        for i, x in enumerate(ctx.analyses)])
    head = ("Published meta-analyses known only from a secondary source or read here only in another document, shown "
            "but not counted in the tallies of reviews")
    assert (f"- **{head}**: 1 review known only from a secondary source: Review S. 1 result read here only in a "
            "document other than the review\u2019s own: from Review L. Results read in a review\u2019s own report are "
            "counted.\n") in str(limitations_section(ctx))
    # A row for each reason, over all analyses (no analysis's id), each result once.
    by_quantity = {x[1]: x for x in audit_rows(ctx) if not x[0]}
    secondary = by_quantity["reviews not counted, known only from a secondary source (count)"]
    assert secondary[2:8] == ["S", 1, None, "contrasts.csv row 9", "contrasts.csv row 9: study_id = S",
                              "count of the studies of the raw rows"]
    assert secondary[8] == ("known only from a secondary source (1): S (contrasts.csv row 9); 1 review; printed in "
                            f"the limitations, under \u201c{head}\u201d (\u201c1 review known only from a secondary "
                            "source\u201d)")
    elsewhere = by_quantity["results not counted, read here only in a document other than the review\u2019s own (count)"]
    assert elsewhere[2:4] == ["L", 1] and elsewhere[5] == "contrasts.csv row 10"


def test_the_reviews_an_analysis_line_counts_and_the_range_of_their_smds_have_audit_rows() -> None:
    # Reviews M (SMD -0.5, contrasts.csv row 3), N (SMD -0.2, row 10) and P (an MD, row
    # 11), each interval wholly below 0: the line prints "3 reviews, ...; the SMDs of 2 of
    # them range from −0.50 to −0.20", and so does the summary's tally against sham.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    n = {**m, "study_id": "N", "label": "Review N", "ref": "contrasts.csv:N#1", "estimate": -0.2, "ci_lb": -0.35,
         "ci_ub": -0.05}
    p = {**m, "study_id": "P", "label": "Review P", "ref": "contrasts.csv:P#1", "measure": "MD", "estimate": -1.0,
         "ci_lb": -1.5, "ci_ub": -0.5}
    ctx = dataclasses.replace(ctx, raw_rows={**ctx.raw_rows, "contrasts.csv:N#1": ("contrasts.csv", 10),
                                             "contrasts.csv:P#1": ("contrasts.csv", 11)},
                              analyses=[{**x, "external": [m, n, p]} if x is r else x for x in ctx.analyses])
    text = " ".join(build_report(TEMPLATE, ctx)[0].split()).split("Appendix: audit trail", 1)[0]
    # The line's "3 reviews, which share trials; the SMDs of 2 of them"; the tally's "3
    # reviews with confidence intervals: the SMDs of 2 of the 3" (sharing trials said before it),
    # naming the 3, and so do the summary's and Published meta-analyses' sentences
    # setting the reviews beside the trials here.
    assert text.count("the SMDs of 2 of them range from \u22120.50 to \u22120.20") == 1
    assert text.count("the SMDs of 2 of the 3 range from \u22120.50 to \u22120.20") == 3
    assert "3 reviews, which share trials; the SMDs of 2 of them range" in text
    rows = audit_rows(ctx)
    side = "<b>Acupuncture</b> *x*\u2019s side"
    (counted,) = [x for x in rows if x[1] == "reviews counted (count)"]
    assert counted[:8] == ["acu_vs_sham", "reviews counted (count)", "M; N; P", 3, None,
                           "contrasts.csv row 3; contrasts.csv row 10; contrasts.csv row 11",
                           ("contrasts.csv row 3: study_id = M; contrasts.csv row 10: study_id = N; "
                            "contrasts.csv row 11: study_id = P"), "count of the studies of the raw rows"]
    assert counted[8] == ("with a confidence interval (3): M (contrasts.csv row 3), "
                          "N (contrasts.csv row 10), P (contrasts.csv row 11); 3 reviews; printed in the analysis's "
                          "line of the results, its published meta-analyses (\u201c3 reviews\u201d)")
    assert side not in counted[8]
    ranges = [x for x in rows if x[1] == "reviews giving SMDs, and their range (count)"]
    # The line's, the summary's beside the trials here, and the tally's.
    assert [x[0] for x in ranges] == ["acu_vs_sham", "acu_vs_sham", ""]
    for row in ranges:
        # P's MD is no SMD: 2 reviews, from M's -0.50 (lowest) to N's -0.20.
        assert row[2:6] == ["M; N", 2, None, "contrasts.csv row 3; contrasts.csv row 10"]
        assert row[8].startswith("giving SMDs (2): M (contrasts.csv row 3), N (contrasts.csv row 10); 2 reviews; "
                                 "SMDs range from \u22120.50 (M, contrasts.csv row 3) to \u22120.20 (N, contrasts.csv "
                                 "row 10); printed in ")
        line = row[0] and "line of the results" in row[8]
        assert row[8].endswith(f"(\u201cthe SMDs of 2 of {'them' if line else 'the 3'} range from \u22120.50 to "
                               "\u22120.20\u201d)")
    # A single SMD ("its SMD is −0.50") is the published result's own row, not a count.
    assert not [x for x in audit_rows(context()) if x[1].startswith("reviews giving")]


def test_the_reviews_reporting_an_outcome_only_outside_the_window_have_an_audit_row() -> None:
    # Review W's one result (contrasts.csv row 12) is at a timepoint outside the window:
    # the line prints "1 more reports it only at timepoints outside this analysis's window".
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    w = {**m, "study_id": "W", "label": "Review W", "ref": "contrasts.csv:W#1", "outside_window": True}
    ctx = dataclasses.replace(ctx, raw_rows={**ctx.raw_rows, "contrasts.csv:W#1": ("contrasts.csv", 12)},
                              analyses=[{**x, "external": [m, w]} if x is r else x for x in ctx.analyses])
    text = " ".join(build_report(TEMPLATE, ctx)[0].split())
    assert "1 more reports it only at timepoints outside this analysis's window" in text
    (row,) = [x for x in audit_rows(ctx) if x[1] == "reviews reporting it only outside the window (count)"]
    assert row[:8] == ["acu_vs_sham", "reviews reporting it only outside the window (count)", "W", 1, None,
                       "contrasts.csv row 12", "contrasts.csv row 12: study_id = W", "count of the studies of the raw rows"]
    assert row[8] == ("reporting it only at timepoints outside the window (1): W (contrasts.csv row 12); 1 review; "
                      "printed in the analysis's line of the results, its published meta-analyses (\u201c1 more reports "
                      "it only at timepoints outside this analysis's window\u201d)")
    # M, in the window, is the one review counted.
    (counted,) = [x for x in audit_rows(ctx) if x[1] == "reviews counted (count)"]
    assert counted[2:4] == ["M", 1]


def test_the_summarys_counts_of_claims_have_an_audit_row_per_verdict() -> None:
    # Claims a, b and c of a blog post, in claims.csv rows 2, 4 and 5 (a blank row 3): "- 2
    # not checkable from the data:" counts b and c, "- 1 not supported:" a.
    ctx = context()
    claim = ctx.claims[0]
    claims = [{**claim, "claim_id": "a", "source_id": "blog", "verdict": "not supported"},
              {**claim, "claim_id": "b", "source_id": "blog", "verdict": "not checkable from the data"},
              {**claim, "claim_id": "c", "source_id": "blog", "verdict": "not checkable from the data"}]
    ctx = dataclasses.replace(
        ctx, claims=claims,
        raw_tables={**ctx.raw_tables, "claims": [{"claim_id": i} for i in "abc"],
                    "sources": [*ctx.raw_tables.get("sources", []), {"source_id": "blog", "kind": "blog_post"}]},
        raw_row_numbers={**ctx.raw_row_numbers, "claims": [2, 4, 5]})
    text = build_report(TEMPLATE, ctx)[0]
    assert "- 2 not checkable from the data:" in text and "- 1 not supported:" in text
    rows = [x for x in audit_rows(ctx) if x[7] == "count of the claims of the raw rows" and "citing" not in x[1]]
    assert rows == [
        ["", "claims of the blog post, not supported (count)", "", 1, None, "claims.csv row 2",
         "claims.csv row 2: claim_id = a", "count of the claims of the raw rows",
         ("not supported (1): a (claims.csv row 2); 1 claim; printed in the summary, under the claims of the blog "
          "post (\u201c1 not supported\u201d)")],
        ["", "claims of the blog post, not checkable from the data (count)", "", 2, None, "claims.csv rows 4 and 5",
         "claims.csv row 4: claim_id = b; claims.csv row 5: claim_id = c", "count of the claims of the raw rows",
         ("not checkable from the data (2): b (claims.csv row 4), c (claims.csv row 5); 2 claims; printed in the "
          "summary, under the claims of the blog post (\u201c2 not checkable from the data\u201d)")]]
    # What the claims cite, as the summary counts it ("3 cite no evidence"): each claim
    # with the cells that decide it.
    (cited,) = [x for x in audit_rows(ctx) if "citing" in x[1]]
    assert "3 cite no evidence" in " ".join(text.split())
    assert cited[1:4] == ["claims of the blog post, citing no evidence (count)", "", 3]
    assert cited[8].startswith(f"cited = none (3): a (claims.csv row 2: attributed_to = "
                               f"{claim.get('attributed_to') or '(empty)'}, "), cited[8]
    # In the appendix's table of counts, in either layout: the summary prints them in both.
    for layout in (ctx, dataclasses.replace(ctx, config={**ctx.config, "report": {**ctx.config.get("report", {}),
                                                                                  "detail_limit": 0}})):
        counts = str(audit_section(layout, audit_rows(layout))).split("{#tbl-audit}", 1)[1]
        assert "| claims of the blog post, not checkable from the data (count) |  | 2 | claims.csv row 4: claim\\_id = b;" \
            in counts
        # A count of no analysis says so with a dash: left blank under a row naming an
        # analysis, its cell read as "same as above".
        rows_of_claims = [line for line in counts.splitlines() if "claims of the blog post" in line]
        assert rows_of_claims and all(line.startswith("| \u2013 | claims of the blog post") for line in rows_of_claims)


def test_a_claims_counts_of_published_reviews_have_audit_rows_from_the_reviews_it_records() -> None:
    # "of 2 reviews that give a confidence interval, 1 has every one wholly on
    # acupuncture's side (...; not counted: 1 more review with an interval, ...)": M's
    # results wholly on its side, C's not; W known only from a blog and of another
    # population, in contrasts.csv row 7.
    ctx = context()
    entry = {"node": "acu", "label": "Acupuncture",
             "counted": [{"study_id": "M", "refs": ["contrasts.csv:M#1"], "wholly": True},
                         {"study_id": "C", "refs": ["contrasts.csv:C#1"], "wholly": False}],
             "not_counted": [{"study_id": "W", "refs": ["contrasts.csv:W#1"],
                              "reasons": ["known only from a secondary source", "of a broader or another population"]}]}
    ctx = dataclasses.replace(ctx, claims=[{**ctx.claims[0], "claim_id": "both_work", "published_reviews": [entry]}],
                              raw_rows={**ctx.raw_rows, "contrasts.csv:W#1": ("contrasts.csv", 7)})
    rows = [x for x in audit_rows(ctx) if "for claim both_work" in x[1]]
    assert rows == [
        ["", "reviews counted for claim both_work (acupuncture), every interval on acupuncture\u2019s side (count)",
         "M; C", 1, None, "contrasts.csv row 3; contrasts.csv row 2",
         "contrasts.csv row 3: study_id = M; contrasts.csv row 2: study_id = C", "count of the studies of the raw rows",
         ("every interval wholly on acupuncture\u2019s side (1): M (contrasts.csv row 3); not (1): C (contrasts.csv row "
          "2: not every interval counted wholly on acupuncture\u2019s side); 1 of the 2 reviews that give a confidence "
          "interval; printed in the claims table, the reason for claim both_work (\u201cof 2 reviews that give a "
          "confidence interval, 1 has every one wholly on acupuncture\u2019s side\u201d)")],
        ["", "reviews not counted for claim both_work (acupuncture) (count)", "W", 1, None, "contrasts.csv row 7",
         "contrasts.csv row 7: study_id = W", "count of the studies of the raw rows",
         ("not counted (1): W (contrasts.csv row 7: known only from a secondary source and of a broader or another "
          "population); 1 review; printed in the claims table, the reason for claim both_work (\u201cnot counted: 1 "
          "more review with an interval\u201d)")]]
    # None counted: the reason's "none counted (...; 1 review with an interval, ...)".
    alone = dataclasses.replace(ctx, claims=[{**ctx.claims[0], "published_reviews": [{**entry, "counted": []}]}])
    (row,) = [x for x in audit_rows(alone) if "for claim both_work" in x[1]]
    assert row[8].endswith("(\u201cnone counted (see the published meta-analyses; 1 review with an interval\u201d)")
    # In the appendix's table of counts, in either layout: the claims table is in both.
    for layout in (ctx, dataclasses.replace(ctx, config={**ctx.config, "report": {**ctx.config.get("report", {}),
                                                                                  "detail_limit": 0}})):
        counts = str(audit_section(layout, audit_rows(layout))).split("{#tbl-audit}", 1)[1]
        assert "| reviews not counted for claim both\\_work (acupuncture) (count) | W | 1 |" in counts


def test_a_count_of_config_entries_gives_a_reason_alike_for_each_once_and_their_places_as_runs() -> None:
    # The analyses by pooling gave "(results/analyses/ID.json: status = single_study)"
    # after each of 8 analyses, and the GRADE ratings one of two reasons after each of 17.
    single = [(x, f"results/analyses/{x}.json: status = single_study") for x in ("b", "d", "e")]
    assert _entries_with_why(single) == "b, d, e (each: results/analyses/ID.json: status = single_study)"
    # Each reason once, in the order it first comes; an entry alone with its own.
    mixed = [("a", "no judgements"), ("b", "no study effect"), ("c", "no judgements"), ("d", "out of date")]
    assert _entries_with_why(mixed) == "a, c (each: no judgements), b (no study effect), d (out of date)"
    assert _entries_with_why([("a", "a.json"), ("b", "b.json")]) == "a, b (each: ID.json)"
    assert _entries_with_why([("a", ""), ("b", "")]) == "a, b"
    assert _entries_with_why([("a", "a.json")]) == "a (a.json)"
    # The places: runs of three or more as "[i] to [j]", in the config's order.
    cells = "; ".join(f"config/config.yaml: analyses[{i}].id = x{i}" for i in (9, 0, 1, 2, 3, 6, 5))
    assert _config_entries_shown(cells, "analyses", 7) == (
        "config/config.yaml: analyses [0] to [3], [5], [6] and [9], 7 entries, each named by its id under Steps")
    assert _config_entries_shown("config/config.yaml: indirect[0].id = x", "indirect", 1) == (
        "config/config.yaml: indirect [0], 1 entry, named by its id under Steps")


def test_the_limitations_counts_and_lists_have_audit_rows() -> None:
    # Of the 2 analyses, acu_vs_sham pools A and B, dn_vs_sham rests on C; dn_vs_acu is
    # anchored. B is known only from a secondary source (studies.csv row 3, after a blank
    # row 4 the reader skips C at row 5), A used a value rated low (arm_outcomes.csv row
    # 3), and risk_of_bias.csv row 2 judges A alone of the 3 trials.
    ctx = context()
    pooled = ctx.analyses[0]
    a, b = pooled["studies"]
    analyses = [{**pooled, "studies": [{**a, "low_confidence": ["arm_outcomes.csv:A#2"]},
                                       {**b, "source_level": "secondary"}]}, *ctx.analyses[1:]]
    normalised = [{**d, "risk_of_bias": [{"study_id": "A", "domain": "overall", "judgement": "low",
                                          "_ref": "risk_of_bias.csv:A#1"}]} if d["study"]["study_id"] == "A" else d
                  for d in ctx.normalised]
    ctx = dataclasses.replace(
        ctx, analyses=analyses, normalised=normalised,
        raw_rows={**ctx.raw_rows, "risk_of_bias.csv:A#1": ("risk_of_bias.csv", 2)},
        raw_tables={**ctx.raw_tables, "studies": [{"study_id": sid} for sid in "ABCMG"]},
        raw_row_numbers={**ctx.raw_row_numbers, "studies": [2, 3, 5, 6, 7]})
    text = str(limitations_section(ctx))
    assert "of 2 analyses, 1 pools trials and 1 rests on one study (not pooled)" in text
    assert "risk of bias recorded for 1 of the 3 trials" in text
    assert "rated for 0 of 2 analyses with an effect" in text and "(pain): compared indirectly, through sham." in text
    by_quantity = {x[1]: x for x in audit_rows(ctx)}
    assert by_quantity["analyses by pooling (count)"] == [
        "", "analyses by pooling (count)", "", 2, None, "config/config.yaml: analyses",
        "config/config.yaml: analyses[0].id = acu_vs_sham; config/config.yaml: analyses[1].id = dn_vs_sham",
        "count of the entries of the config",
        ("pools trials (1): acu_vs_sham (results/analyses/acu_vs_sham.json: status = pooled); rests on one study (not "
         "pooled) (1): dn_vs_sham (results/analyses/dn_vs_sham.json: status = single_study); 1 + 1 = 2 analyses; printed "
         "in the summary and the limitations (\u201cof 2 analyses, 1 pools trials and 1 rests on one study (not pooled)\u201d)")]
    assert by_quantity["analyses rated for certainty (GRADE) (count)"][3:] == [
        0, None, "config/config.yaml: analyses",
        "config/config.yaml: analyses[0].id = acu_vs_sham; config/config.yaml: analyses[1].id = dn_vs_sham",
        "count of the entries of the config",
        # A reason alike for each entry is given once, not once an entry.
        ("not rated (2): acu_vs_sham, dn_vs_sham (each: no judgements in analyses[].certainty); 0 of the 2 "
         "analyses with an effect; printed in the limitations (\u201ccertainty of the evidence (GRADE) rated for 0 "
         "of 2 analyses with an effect\u201d)")]
    assert by_quantity["indirect comparisons by reason (count)"][3:] == [
        1, None, "config/config.yaml: indirect", "config/config.yaml: indirect[0].id = dn_vs_acu",
        "count of the entries of the config",
        (f"Dry needling versus {NODE_LABEL} (pain): compared indirectly, through sham (1): dn_vs_acu "
         "(results/indirect/dn_vs_acu.json: status = anchored); 1 indirect comparison; printed in the limitations, "
         "under \u201cIndirect comparisons\u201d")]
    assert by_quantity["trials with risk-of-bias judgements (count)"][2:] == [
        "A; B; C", 1, None,
        "risk_of_bias.csv row 2; studies.csv row 3; studies.csv row 5",
        "risk_of_bias.csv row 2: study_id = A; studies.csv row 3: study_id = B; studies.csv row 5: study_id = C",
        "count of the studies of the raw rows",
        ("judged (1): A (risk_of_bias.csv row 2); not (2): B (studies.csv row 3: no judgement in risk_of_bias.csv), "
         "C (studies.csv row 5: no judgement in risk_of_bias.csv); 1 of the 3 trials; printed in the methods and the "
         "limitations (\u201crecorded for 1 of the 3 trials\u201d)")]
    secondary = "study effects known only from a secondary source, whose numbers cannot be checked against a publication"
    assert by_quantity[f"{secondary} (count)"][2:] == [
        "B", 1, None, "studies.csv row 3", "studies.csv row 3: study_id = B", "count of the studies of the raw rows",
        ("named (1): B (studies.csv row 3); 1 study; printed in the limitations, under \u201cStudy effects known only "
         "from a secondary source, whose numbers cannot be checked against a publication\u201d")]
    low = "study effects using a value its raw row rates as extracted with low confidence (count)"
    assert by_quantity[low][2:7] == ["A", 1, None, "arm_outcomes.csv row 3", "arm_outcomes.csv row 3: study_id = A"]
    # In the appendix's table of counts, in either layout: the limitations are in both.
    for layout in (ctx, dataclasses.replace(ctx, config={**ctx.config, "report": {**ctx.config.get("report", {}),
                                                                                  "detail_limit": 0}})):
        counts = str(audit_section(layout, audit_rows(layout))).split("{#tbl-audit}", 1)[1]
        for quantity in ("analyses by pooling (count)", "trials with risk-of-bias judgements (count)",
                         "study effects using a value its raw row rates as extracted with low confidence (count)"):
            assert f"| {quantity} |" in counts
        # The config's entries by their places, their ids in the steps: the cells, one an
        # entry, are audit.csv's (above), and made the row of 17 analyses a page tall.
        assert ("| analyses by pooling (count) |  | 2 | config/config.yaml: analyses \\[0\\] and \\[1\\], 2 entries, "
                "each named by its id under Steps | pools trials (1): acu\\_vs\\_sham") in counts
        assert "| indirect comparisons by reason (count) |  | 1 | config/config.yaml: indirect \\[0\\], 1 entry, " \
               "named by its id under Steps |" in counts


def _set_aside(ctx: ReportContext, *, a_in_dn: bool = True) -> ReportContext:
    """``ctx`` with trials D and E (contrasts.csv rows 10 and 11) set aside from the
    acupuncture analysis for a p-value alone, E also for its arm sizes, and, ``a_in_dn``,
    trial A, pooled there, set aside from the dry needling analysis."""
    p_only = "only a p-value reported: no effect size or variance"
    acu, dn = ctx.analyses
    d = {"study_id": "D", "label": "Trial D", "reason": p_only, "reasons": [{"reason": p_only}],
         "refs": ["contrasts.csv:D#1"]}
    e = {"study_id": "E", "label": "Trial E", "reason": f"arm n not reported; {p_only}",
         "reasons": [{"reason": "arm n not reported"}, {"reason": p_only}], "refs": ["contrasts.csv:E#1"]}
    a = {"study_id": "A", "label": SCRIPT, "reason": "no value for the other arm at the same timepoint and instrument",
         "reasons": [{"reason": "no value for the other arm at the same timepoint and instrument"}],
         "refs": ["arm_outcomes.csv:A#1"]}
    return dataclasses.replace(
        ctx, analyses=[{**acu, "excluded": [d, e]}, {**dn, "excluded": [a] if a_in_dn else []}],
        raw_rows={**ctx.raw_rows, "contrasts.csv:D#1": ("contrasts.csv", 10), "contrasts.csv:E#1": ("contrasts.csv", 11)})


def test_the_limitations_count_the_trials_set_aside_and_their_commonest_reasons_with_audit_rows() -> None:
    # No trial set aside: no item.
    assert "Trials set aside" not in str(limitations_section(context()))
    # Candidates A, B (pooled), C (single) and D, E (set aside): 5. D and E enter no
    # analysis; A, set aside from dry needling vs sham, is pooled in acupuncture vs sham,
    # so 3 of the 5 were set aside from one analysis or more, and 5 - 2 = 3 enter one. The
    # p-value alone is D's and E's (2 trials), the other reasons one trial's each.
    ctx = _set_aside(context())
    text = str(limitations_section(ctx))
    assert ("- **Trials set aside**: of the 5 candidate trials of the analyses, 3 were set aside from at least one "
            "analysis, 2 of them from every analysis they could enter, so 3 enter an analysis (see [Trials that could "
            "not be used](#sec-excluded)). The commonest reason: \u201conly a p-value reported: no effect size or "
            "variance\u201d (2 trials).\n") in text
    # The reasons are the table of trials set aside's, word for word.
    assert "| only a p-value reported: no effect size or variance |" in str(excluded_section(ctx))
    by_quantity = {x[1]: x for x in audit_rows(ctx)}
    row = by_quantity["candidate trials set aside, over all analyses (count)"]
    assert row[2:4] == ["D; E; A; B; C", 3]
    assert row[6].startswith("contrasts.csv row 10: study_id = D; contrasts.csv row 11: study_id = E; ")
    # A's rows (arm_outcomes.csv rows 2 and 3) are those both analyses read.
    assert row[8] == (
        "set aside from every analysis it could enter (2): D (contrasts.csv row 10: set aside from acu_vs_sham), "
        "E (contrasts.csv row 11: set aside from acu_vs_sham); set aside from an analysis, used in another (1): "
        "A (arm_outcomes.csv rows 2 and 3: set aside from dn_vs_sham; used in acu_vs_sham); used, set aside from "
        "none (2): B (arm_outcomes.csv rows 4 and 5: used in acu_vs_sham), C (contrasts.csv row 2: used in "
        "dn_vs_sham); 2 + 1 = 3 set aside of the 5 candidate trials (3 + 2 = 5); 5 \u2212 2 = 3 enter an analysis; "
        "printed in the limitations, under \u201cTrials set aside\u201d (\u201cof the 5 candidate trials of the "
        "analyses, 3 were set aside from at least one analysis, 2 of them from every analysis they could enter, so 3 "
        "enter an analysis\u201d)")
    reason = by_quantity["candidate trials set aside for the reason \u201conly a p-value reported: no effect size or "
                         "variance\u201d (count)"]
    assert reason[2:7] == ["D; E", 2, None, "contrasts.csv row 10; contrasts.csv row 11",
                           "contrasts.csv row 10: study_id = D; contrasts.csv row 11: study_id = E"]
    # A reason of one trial is not named, and has no row.
    assert "arm n not reported" not in text
    assert not any("arm n not reported" in x[1] for x in audit_rows(ctx))
    # In either layout's table of counts, as the limitations are.
    compact = dataclasses.replace(ctx, config={**ctx.config, "report": {"detail_limit": 0}})
    for layout in (ctx, compact):
        counts = str(audit_section(layout, audit_rows(layout))).split("{#tbl-audit}", 1)[1]
        assert "| candidate trials set aside, over all analyses (count) |" in counts
    # Every trial set aside from all it could enter: said so, with those left.
    ctx = _set_aside(context(), a_in_dn=False)
    assert ("of the 5 candidate trials of the analyses, 2 were set aside from every analysis they could enter, so 3 "
            "enter an analysis (see") in str(limitations_section(ctx))
    assert {x[1]: x for x in audit_rows(ctx)}["candidate trials set aside, over all analyses (count)"][3] == 2


def test_the_limitations_name_the_treatments_in_no_analysed_node_as_the_teams_choice_with_an_audit_row() -> None:
    # Every arm in a node an analysis compares: no item.
    assert "Groups of treatments" not in str(limitations_section(context()))
    # Trial T compared trigger point needling (arms.csv row 20) with acupuncture on pain,
    # Trial U (row 22) with sham: no node includes it, and the summary names T beside dry
    # needling and acupuncture. Trial V's cupping (row 24) no node includes; Trial W's
    # usual care (row 26) is in a node no analysis compares. A review's arm of cupping
    # (row 28) is no trial's.
    ctx = context()
    x = {**ctx.indirect[0], "treatment_b_label": "Acupuncture"}

    def arm(sid: str, arm_id: str, treatment: str, node: str | None, n: int) -> dict[str, Any]:
        return {"arm_id": arm_id, "treatment": treatment.replace(" ", "_"), "treatment_label": treatment,
                "node": node, "cointervention": None, "n": None, "n_source": None, "ref": f"arms.csv:{sid}#{n}"}

    def doc(sid: str, role: str, arms: list[dict[str, Any]], statements: list[dict[str, Any]]) -> dict[str, Any]:
        return {"study": {"study_id": sid, "label": f"Trial {sid}", "design": "rct", "source_level": "primary",
                          "identity_confidence": "high", "role": role},
                "arms": arms, "arm_values": [], "contrasts": [], "risk_of_bias": [], "sources": [],
                "statements": statements}

    said = {"outcome": x["outcome"], "ref": "statements.csv:T#1", "quote": "q", "statement": "No difference.",
            "direction": "no_difference"}
    docs = [doc("T", "trial", [arm("T", "tp", "trigger point", None, 1), arm("T", "a", "acupuncture", x["treatment_b"], 2)],
                [{**said, "arm1": "tp", "arm2": "a"}]),
            doc("U", "trial", [arm("U", "tp", "trigger point", None, 1), arm("U", "s", "sham", "sham", 2)], []),
            doc("V", "trial", [arm("V", "cu", "cupping", None, 1), arm("V", "s", "sham", "sham", 2)], []),
            doc("W", "trial", [arm("W", "uc", "usual care", "usual", 1), arm("W", "a", "acupuncture", "acu", 2)], []),
            doc("R", "external", [arm("R", "cu", "cupping", None, 1)], [])]
    rows = {f"arms.csv:{sid}#1": ("arms.csv", line) for sid, line in zip("TUVWR", (20, 22, 24, 26, 28))}
    nodes = {**ctx.config["nodes"], "usual": {"label": "Usual care", "treatments": ["usual_care"]}}
    ctx = dataclasses.replace(ctx, config={**ctx.config, "nodes": nodes}, indirect=[x],
                              normalised=[*ctx.normalised, *docs], raw_rows={**ctx.raw_rows, **rows})
    text = str(limitations_section(ctx))
    assert ("- **Groups of treatments**: arms in no node an analysis compares: trigger point (Trial T and Trial U), "
            "which this review counts as neither dry needling nor acupuncture; cupping (Trial V), which no node "
            "includes; usual care (Trial W), grouped in usual care, which no analysis compares. Which treatments each "
            "node groups is the review team\u2019s choice (see the [methods](#sec-methods)), which the data do not "
            "decide: a different grouping could change which trials the analyses count.\n") in text
    # The words the indirect comparison's section (and, without pooled head-to-head trials,
    # the summary) gives Trial T, which the limitations reuse.
    assert "This review counts trigger point as neither dry needling nor acupuncture" in str(indirect_section(ctx))
    (row,) = [r for r in audit_rows(ctx) if r[1] == "trials with arms in no node an analysis compares (count)"]
    assert row[2:8] == ["T; U; V; W", 4, None, "arms.csv row 20; arms.csv row 22; arms.csv row 24; arms.csv row 26",
                        ("arms.csv row 20: study_id = T; arms.csv row 22: study_id = U; arms.csv row 24: study_id = V; "
                         "arms.csv row 26: study_id = W"), "count of the studies of the raw rows"]
    assert row[8] == ("arms of trigger_point, in no node (config/config.yaml: no nodes.*.treatments lists it), counted "
                      "as neither dry needling nor acupuncture where indirect[0] (dn_vs_acu) names its trials (2): "
                      "T (arms.csv row 20), U (arms.csv row 22); arms of cupping, in no node (config/config.yaml: no "
                      "nodes.*.treatments lists it) (1): V (arms.csv row 24); arms of usual_care, in node usual "
                      "(config/config.yaml: nodes.usual.treatments), which no entry of analyses compares (1): W "
                      "(arms.csv row 26); 4 trials; printed in the limitations, under \u201cGroups of treatments\u201d")
    # In either layout's table of counts, as the limitations are.
    compact = dataclasses.replace(ctx, config={**ctx.config, "report": {"detail_limit": 0}})
    counts = str(audit_section(compact, audit_rows(compact))).split("{#tbl-audit}", 1)[1]
    assert "| trials with arms in no node an analysis compares (count) |" in counts


def test_the_limitations_name_a_node_whose_trials_received_different_treatments(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The node "sham" groups sham acupuncture and sham dry needling: trials A and B (pooled,
    # against acupuncture) used sham acupuncture, trial C (against dry needling) sham dry
    # needling. No pooled analysis mixes them, but the report reads the node as one
    # treatment, which assumes the two have one effect.
    a, b, c = (escape(label) for label, _ in (STUDIES["A"], STUDIES["B"], STUDIES["C"]))
    groups = "- **Groups of treatments**: "
    assert groups not in str(limitations_section(context()))
    ctx = _two_shams(monkeypatch, "sham_dry_needling")
    line = next(x for x in str(limitations_section(ctx)).splitlines() if x.startswith(groups))
    assert line.startswith(f"{groups}different treatments in one node: in sham, the trials used here received sham "
                           f"acupuncture ({a} and {b}) and sham dry needling ({c}). No pooled analysis pools trials of "
                           "different treatments of one node, but the report gives each node\u2019s results "
                           "together, as of one treatment, which assumes its treatments have the same effect. Which "
                           "treatments each node groups is the review team\u2019s choice"), line
    # Its audit row: each trial by the treatment of its arm (arms.csv rows 3, 5 and 7), the
    # key that puts the treatment in the node and the analysis that uses it.
    (row,) = [r for r in audit_rows(ctx) if r[1] == "trials used here in node sham, by the treatment their arms "
                                                      "received (count)"]
    assert row[2:6] == ["A; B; C", 3, None, "arms.csv row 3; arms.csv row 5; arms.csv row 7"]
    assert row[8] == ("arms of sham_acupuncture in node sham (config/config.yaml: nodes.sham.treatments) (2): A "
                      "(arms.csv row 3: used in acu_vs_sham), B (arms.csv row 5: used in acu_vs_sham); arms of "
                      "sham_dry_needling in node sham (config/config.yaml: nodes.sham.treatments) (1): C (arms.csv "
                      "row 7: used in dn_vs_sham); 3 trials; printed in the limitations, under \u201cGroups of "
                      "treatments\u201d")
    # Trial B's control sham dry needling too: the pooled analysis of A and B pools the two
    # shams, and assumes them one comparator; C, in another analysis, is not named in it.
    monkeypatch.setitem(ARMS, "B", [("i", "acupuncture"), ("c", "sham_dry_needling")])
    ctx = context(nodes=ctx.config["nodes"])
    line = next(x for x in str(limitations_section(ctx)).splitlines() if x.startswith(groups))
    assert (f"received sham acupuncture ({a}) and sham dry needling ({b} and {c}). {escape(NODE_LABEL)} versus sham "
            f"(pain, short term) pools trials of sham acupuncture ({a}) and sham dry needling ({b}), and so assumes "
            "them one comparator with one effect. The report gives each node\u2019s results together") in line, line
    (row,) = [r for r in audit_rows(ctx) if r[1].startswith("trials used here in node sham")]
    assert "B (arms.csv row 5: used in acu_vs_sham (pooled with trials of another of the node's treatments))" in row[8]
    assert "C (arms.csv row 7: used in dn_vs_sham)" in row[8]


def test_an_effect_read_in_another_document_is_flagged_listed_and_its_documents_named() -> None:
    # Trial A, read in its own report, took one arm's numbers off an evidence report's
    # figure (sources.csv row 4): the effect is flagged where it is given, the evidence
    # table and the limitations say so, and the audit trail names the document.
    ctx = context()
    pooled = ctx.analyses[0]
    a, b = pooled["studies"]
    read = [{"ref": a["refs"][0], "source_id": "fig8", "kind": "evidence_report"}]
    ctx = dataclasses.replace(
        ctx, analyses=[{**pooled, "studies": [{**a, "read_elsewhere": read}, b]}, *ctx.analyses[1:]],
        raw_tables={**ctx.raw_tables, "sources": [{"source_id": "own", "kind": "trial_report"},
                                                  {"source_id": "blog", "kind": "blog_post"},
                                                  {"source_id": "fig8", "kind": "evidence_report"}]},
        raw_row_numbers={**ctx.raw_row_numbers, "sources": [2, 3, 4]})
    what = ("with numbers read in a document other than the trial's own report (an overview's figure, a third-party "
            "transcription), which cannot be checked against the publication")
    assert f"- **Study effects {what}**: {escape(a['label'])}." in str(limitations_section(ctx))
    row = next(x for x in audit_rows(ctx) if x[1] == f"study effects {what} (count)")
    first = _rows_text_of(ctx, a["refs"][0])
    assert row[2:4] == [a["study_id"], 1]
    assert (f"named (1): {a['study_id']} ({first}: {first} read in fig8 (evidence report; sources.csv row 4, "
            "cited in the References)); 1 study") in row[-1]
    # B, read wholly in its own report, is not named; nor is it in the evidence table.
    assert b["study_id"] not in row[2]
    table = str(study_table(ctx))
    assert f"| {escape(a['label'])} | RCT, primary (effects use numbers read in another document) |" in table
    assert f"| {escape(b['label'])} | RCT, primary |" in table
    # Said in the analysis's line of the results, and in the bottom line beside its weight.
    assert (f"{escape(a['label'])} uses numbers read in a document other than the trial\u2019s own report"
            in str(summary_section(ctx)))
    assert "using numbers read in a document other than the trial\u2019s own report" in bottom_line(ctx)


def _rows_text_of(ctx: ReportContext, ref: str) -> str:
    """"arm_outcomes.csv row 3": a raw row as the audit trail names it."""
    file, line = ctx.raw_rows[ref]
    return f"{file} row {line}"


def test_the_participants_beside_a_trial_against_a_treatment_no_node_includes_have_an_audit_row() -> None:
    # Trial T compared trigger-point needling (9 analysed, arms.csv row 20) and another
    # (8 analysed, row 22) with acupuncture (10 analysed, row 21): "(27 participants
    # analysed)", 9 + 8 + 10 by hand, in the indirect comparison's section.
    ctx = context()
    x = ctx.indirect[0]
    arms = [{"arm_id": "tp", "treatment": "tp", "treatment_label": "trigger point", "node": None,
             "cointervention": None, "n": 9, "n_source": "n_analysed", "ref": "arms.csv:T#1"},
            {"arm_id": "acu", "treatment": "acupuncture", "treatment_label": "acupuncture", "node": x["treatment_b"],
             "cointervention": None, "n": 10, "n_source": "n_analysed", "ref": "arms.csv:T#2"},
            {"arm_id": "sup", "treatment": "tp", "treatment_label": "superficial", "node": None,
             "cointervention": None, "n": 8, "n_source": "n_analysed", "ref": "arms.csv:T#3"}]
    doc = {"study": {"study_id": "T", "label": "Trial T", "design": "rct", "source_level": "primary",
                     "identity_confidence": "high", "role": "trial"},
           "arms": arms, "arm_values": [], "contrasts": [], "risk_of_bias": [], "sources": [],
           "statements": [{"outcome": x["outcome"], "arm1": "tp", "arm2": "acu", "ref": "statements.csv:T#1",
                           "quote": "no difference", "statement": "No difference.", "direction": "no_difference"}]}
    ctx = dataclasses.replace(ctx, normalised=[*ctx.normalised, doc],
                              raw_rows={**ctx.raw_rows, "arms.csv:T#1": ("arms.csv", 20),
                                        "arms.csv:T#2": ("arms.csv", 21), "arms.csv:T#3": ("arms.csv", 22)})
    assert "in 27 participants analysed" in spaced(build_report(TEMPLATE, ctx)[0])
    (row,) = [r for r in audit_rows(ctx) if r[1].startswith("participants of a trial")]
    assert row[:8] == [x["id"], "participants of a trial against a treatment no node includes (sum)", "T", 27, None,
                       "arms.csv row 20; arms.csv row 22; arms.csv row 21",
                       "arms.csv row 20: n_analysed = 9; arms.csv row 22: n_analysed = 8; arms.csv row 21: n_analysed = 10",
                       "sum of the raw cells"]
    assert row[8].startswith("T 9 (arms.csv row 20, n_analysed) + T 8 (arms.csv row 22, n_analysed) + T 10 "
                             "(arms.csv row 21, n_analysed) = 27; printed \u201c27 participants analysed\u201d after "
                             "Trial T")


def test_the_audit_gives_the_interval_printed_beside_each_study_effect() -> None:
    # C's reported SMD of -0.4 with 20 + 20 participants and no interval: vi = 1/20 + 1/20
    # + 0.16/80 = 0.102 (by hand), so its 95% interval is -0.4 ± 1.959964 × 0.3193744 =
    # -1.02596 to 0.225962, which the report prints as -1.03 to 0.23 (the summary, the
    # study-effects table, the forest plot); the trail gave the value and variance only.
    ctx = context()
    row = next(x for x in audit_rows(ctx) if x[1] == "study effect" and x[2] == "C")
    assert ("95% CI = value \u00b1 1.959964 \u00d7 sqrt(variance) = \u22121.02596 to 0.225962") in row[8].split(" | ")
    assert "95% CI \u22121.03 to 0.23" in str(bottom_line(ctx))
    # For a ratio the bounds are the log's, with the ratio's beside them: Carlsson 2001's
    # 16/34 vs 2/16, log RR 1.325670 with vi 0.4705882, gives 0.9813 to 14.4428 (by hand:
    # exp(1.325670 ± 1.959964 × 0.6859943)).
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    yi, vi = math.log((16 / 34) / (2 / 16)), 1 / 16 - 1 / 34 + 1 / 2 - 1 / 16
    half = 1.959963984540054 * math.sqrt(vi)
    ratio = {**r, "analysis": {**r["analysis"], "measure": "RR", "scale": "log"},
             "studies": [{**r["studies"][0], "yi": yi, "vi": vi, "ci_lb": yi - half, "ci_ub": yi + half}]}
    row = next(x for x in audit_rows(dataclasses.replace(ctx, analyses=[ratio])) if x[1] == "study effect")
    assert row[8].split(" | ")[-2].endswith("= \u22120.0188545 to 2.67019 (exp: 0.9813 to 14.4428)")


def test_a_binary_pooled_plots_totals_are_traced_event_by_event() -> None:
    # Two trials' events and arm sizes (events 12 of 50 and 8 of 40; 10 of 60 and 5 of 45),
    # read from their rows (one a percentage: 20% of 40 = 8): the plot's pooled row prints
    # 12 + 10 = 22 of 50 + 60 = 110 against 8 + 5 = 13 of 40 + 45 = 85.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    studies = [{**s, "events1": e1, "n1": n1, "events2": e2, "n2": n2, "sizes": sizes}
               for s, (e1, n1, e2, n2, sizes) in zip(r["studies"], [
                   (12.0, 50.0, 8.0, 40.0, {
                       "n1": [{"ref": "arm_outcomes.csv:A#1", "column": "n", "value": 50.0}],
                       "n2": [{"ref": "arm_outcomes.csv:A#2", "column": "n", "value": 40.0}],
                       "events1": [{"ref": "arm_outcomes.csv:A#1", "column": "events", "value": 12.0}],
                       "events2": [{"ref": "arm_outcomes.csv:A#2", "column": "percent", "cell": 20.0, "value": 8.0,
                                    "how": "round(percent x n / 100) = round(8.000)"}]}),
                   (10.0, 60.0, 5.0, 45.0, {
                       "n1": [{"ref": "arm_outcomes.csv:B#1", "column": "n", "value": 60.0}],
                       "n2": [{"ref": "arm_outcomes.csv:B#2", "column": "n", "value": 45.0}],
                       "events1": [{"ref": "arm_outcomes.csv:B#1", "column": "events", "value": 10.0}],
                       "events2": [{"ref": "arm_outcomes.csv:B#2", "column": "events", "value": 5.0}]})], strict=True)]
    ctx = dataclasses.replace(ctx, analyses=[{**r, "studies": studies}])
    rows = {x[1]: x for x in audit_rows(ctx) if x[1].endswith("(sum)") and x[0]}
    # (And the summary's participants beside Review M's verdict, 110 + 85 = 195.)
    assert {q: x[3] for q, x in rows.items()} == {
        "participants, intervention arms (sum)": 110.0, "participants, comparator arms (sum)": 85.0,
        "events, intervention arms (sum)": 22.0, "events, comparator arms (sum)": 13.0, "participants (sum)": 195.0}
    events2 = rows["events, comparator arms (sum)"]
    assert events2[8] == ("A 8 (arm_outcomes.csv row 3, round(percent x n / 100) = round(8.000)) + B 5 "
                          "(arm_outcomes.csv row 5, events) = 13; printed in the forest plot's pooled row "
                          "(22/110 vs 13/85), the comparator side")
    # The raw cells give the percentage as the addend's cell, with the count it gave.
    assert events2[6].startswith("arm_outcomes.csv row 3: percent = 20 (events: 8); ")


def test_the_evidence_table_says_whom_each_trial_used_enrolled() -> None:
    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    a = next(d for d in docs if d["study"]["study_id"] == "A")
    a["study"] = {**a["study"], "population": "Elderly (65-81 y) <only>, LBP >=6 months"}
    changed = dataclasses.replace(ctx, normalised=docs)
    populations = str(trial_characteristics_table(changed))
    assert "{#tbl-trial-characteristics}" in populations and "tbl-trial-characteristics" not in str(study_table(changed))
    # Printed with the report's signs: the example's rows mixed ">=" and "\u2265" in one table.
    printed = escape("Elderly (65\u201381 y) <only>, LBP \u22656 months")
    assert f"| {escape(a['study']['label'])} | {printed} |" in populations
    # Only trials that entered an analysis; the published review M is listed with its results.
    assert "| Review M |" not in populations and "not stated" in populations
    # Without any trial used, no table (and no cross-reference to an absent one).
    ctx = context(analyses=[])
    assert "tbl-trial-characteristics" not in str(study_table(ctx)) + str(trial_characteristics_table(ctx))


def test_the_table_of_trial_characteristics_follows_the_table_of_studies_on_its_landscape_pages() -> None:
    # Six columns (population, fit, randomised, arms with their doses and sizes,
    # timepoints): on a portrait page the arms' descriptions ran to a few words a line.
    # The pages turn back to portrait after it, before the flow of studies.
    ctx = context()
    studies, characteristics = (TEMPLATE.index(f"<!-- metareview:{name} -->")
                                for name in ("studies", "trial_characteristics"))
    landscape = TEMPLATE.rindex("#set page(flipped: true)", 0, studies)
    portrait = TEMPLATE.index("#set page(flipped: false)")
    assert landscape < studies < characteristics < portrait < TEMPLATE.index("### How the studies flowed")
    text, _, _ = build_report(TEMPLATE, ctx)
    assert text.index("{#tbl-studies}") < text.index("{#tbl-trial-characteristics}") < text.index(
        "#set page(flipped: false)") < text.index("### Trials that could not be used")
    # Its dashes (pandoc's relative widths) within a landscape line's budget.
    table_md = str(trial_characteristics_table(ctx))
    rule = next(line for line in table_md.splitlines() if re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line))
    widths = [len(cell.strip()) for cell in rule.strip("|").split("|")]
    assert len(widths) == 6 and sum(widths) <= APPENDIX_TABLE_BUDGET + len(widths)


def test_a_published_p_value_reads_as_the_source_gave_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # A meta-analysis that gives only a p-value: the analysis' external-evidence line and
    # the published table show "p < 0.001", not the measure's code and an empty estimate.
    p_only = {"study_id": "M", "arm1": "i", "arm2": "c", "measure": "p_only", "p_value": 0.001, "p_qualifier": "<",
              "sign_convention": "favours_arm1", "k_studies": 39, "n_participants": 20827}
    monkeypatch.setitem(globals(), "CONTRASTS", [CONTRASTS[0], p_only])
    ctx = context()
    text = str(results_section(ctx))
    assert ("External evidence (published meta-analyses, not pooled with the trials): Review M: p \\< 0.001, "
            "20,827 participants, k = 39. Only a p-value reported: no effect size to compare.") in text
    assert "p_only" not in text and "p\\_only" not in text
    table_text = str(external_section(ctx))
    assert ("| Review M | acupuncture vs sham acupuncture | Pain | – | p \\< 0.001 | acupuncture (p-value only) "
            "| 39 | 20,827 |") in table_text


def test_a_published_cohens_d_is_named_as_such_in_the_analysis_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # The blog post's "Cochrane review" gave d = 0.71: the published table and the forest
    # plot say "Cohen's d", and the analysis' line said "SMD −0.71" beside "reported as
    # Cohen's d".
    d = {"study_id": "M", "arm1": "i", "arm2": "c", "measure": "cohen_d", "estimate": 0.71,
         "sign_convention": "positive_favours_arm1", "n_participants": 1872}
    monkeypatch.setitem(globals(), "CONTRASTS", [CONTRASTS[0], d])
    ctx = context()
    text = str(results_section(ctx))
    assert "Review M: Cohen's d \u22120.71, 1,872 participants" in text
    assert "Review M: SMD" not in text
    assert "| Cohen\u2019s d \u22120.71 |" in str(external_section(ctx))


def test_a_single_trial_is_summarised_with_its_interval_and_source() -> None:
    # "one study only (X, SMD -0.40)" read as a finding: the interval, what it shows and,
    # for a study from a secondary source, how sure the identity is, go with it.
    ctx = context()
    study = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert line == (f"- Dry needling vs Sham (pain): one study only, not pooled: {escape(INJECT)}, SMD \u22120.40 "
                    f"(95% CI {f2(study['ci_lb'])} to {f2(study['ci_ub'])}); the confidence interval is compatible with no difference "
                    "(point estimate on the side of dry needling).")
    # From a secondary source, the effect is computed here from what that source prints
    # (with the arm sizes assumed, if they were): what its interval shows is conditional.
    study.update(ci_ub=-0.05, source_level="secondary", identity_confidence="low", form="reported Cohen's d",
                 flags=["arm sizes assumed equal (20 + 20 from N = 40)"])
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    cohen, source = escape("Cohen's d"), escape("source's")
    assert line == (f"- Dry needling vs Sham (pain): one study only, not pooled: known only from a secondary source "
                    f"(study identity low); computed here from what it reports ({cohen}), with arm "
                    f"sizes assumed equal (20 + 20 from N = 40): {escape(INJECT)}, SMD \u22120.40 (95% CI "
                    f"{f2(study['ci_lb'])} to \u22120.05); if that {source} number is right, the whole "
                    "confidence interval favours dry needling.")
    # Nothing pooled: the callout says what single trials are, without calling them no evidence.
    for r in ctx.analyses:
        r["status"], r["pooled"] = "single_study", None
    assert "the effects shown below are those of single trials" in bottom_line(ctx)
    # No study effect at all: nothing is "shown below".
    # Without claims: the fixture's verdicts were made on the analyses before these changes.
    empty = dataclasses.replace(ctx, analyses=[{**r, "studies": [], "k": 0, "status": "no_studies"}
                                               for r in ctx.analyses], claims=[])
    assert "No analysis has a usable study: there is no effect to show." in bottom_line(empty)
    assert "single trials" not in bottom_line(empty)
    # Nothing is graded, and the bottom line says so before the findings.
    assert ("Risk of bias was not assessed, and no result here is rated for certainty of the evidence (GRADE).\n\n"
            "Abbreviations: ") not in bottom_line(ctx)
    assert ("## What the evidence supports\n\nOf 2 analyses, 2 rest on one study (not pooled). Risk of bias was "
            "not assessed, and no result here is rated for certainty of the evidence (GRADE).") in bottom_line(ctx)


def test_a_single_trials_smd_is_also_given_in_its_instruments_points() -> None:
    ctx = context()
    study = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    study["native_difference"] = {"difference": 2.63, "instrument": "Roland-Morris Disability Questionnaire 0-23"}
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    # An interval compatible with no difference: the points are a magnitude, and the point
    # estimate's side is said once, after that.
    assert (f"SMD \u22120.40 (95% CI {f2(study['ci_lb'])} to {f2(study['ci_ub'])}), a difference of 2.6 points on "
            "the Roland-Morris Disability Questionnaire 0\u201323; the confidence interval is compatible with no "
            "difference (point estimate on the side of dry needling)") in line
    # The side is the SMD's, "in favour" where the interval lies wholly on it.
    study.update(yi=0.4, ci_lb=0.1, ci_ub=0.7)
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert "0\u201323 in favour of sham; the whole confidence interval" in line


def test_a_single_trials_two_differences_in_points_say_which_is_which() -> None:
    # Cherkin 2009 against usual care: "a difference of 2.6 points" (its arms' own means)
    # and "about -2.7" (the SMD times the comparator arm's SD) in one paragraph read as
    # one effect given two ways. The second says what it is and which the first is.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    study = r["studies"][0]
    study["native_difference"] = {"difference": 2.6, "instrument": "Roland-Morris Disability Questionnaire 0-23"}
    arm = {"study_id": study["study_id"], "ref": "arm_outcomes.csv:A#2", "arm_id": "c", "n": 161.0, "sd": 6.0,
           "from": "sd"}
    r["re_expressed"] = [{"instrument": "RMDQ_0_23", "instrument_label": "Roland-Morris Disability Questionnaire 0-23",
                          "sd": 6.0, "studies": [study["study_id"]], "arms": [arm],
                          "estimate": -2.6588, "ci_lb": -3.9918, "ci_ub": -1.3259}]
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert "a difference of 2.6 points on the Roland-Morris" in line
    assert ("about \u22122.7 (95% CI \u22124.0 to \u22121.3) on the Roland-Morris Disability Questionnaire "
            "0\u201323, an approximation (the SMD times the comparator arm\u2019s SD of 6.0, not the 2.6 points "
            "between the arms\u2019 means).") in line
    # Without the trial's own difference beside it, the sentence as before.
    del study["native_difference"]
    line = next(x for x in summary_section(dataclasses.replace(ctx)).splitlines()
                if x.startswith("- Dry needling vs Sham"))
    assert "0\u201323, an approximation." in line and "between the arms" not in line


def test_a_single_trial_whose_arms_differed_at_baseline_says_so() -> None:
    # Cherkin 2009 against sham: SMD 0.17 from final values, with arms 0.19 SD apart before
    # treatment; a reader of the summary needs that beside the effect.
    ctx = context()
    study = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    study["baseline_imbalance"] = -0.25
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert line.endswith("the confidence interval is compatible with no difference (point estimate on the side of "
                         "dry needling). The arms already differed at baseline (d = \u22120.25, "
                         "in the same direction as the trial’s effect), a difference that final values carry.")
    study["baseline_imbalance"] = 0.25
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    # Said against the effect: "in the same direction" alone named no direction to share.
    assert "(d = 0.25, in the opposite direction to the trial’s effect)" in line
    study["baseline_change"] = {"intervention": 4.5, "comparator": 4.4, "instrument": "RMDQ 0-23"}
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert line.endswith("a difference that final values carry. From baseline, the intervention group improved by "
                         "4.5 and the comparator group by 4.4 points on the RMDQ 0\u201323, 0.1 points more in the "
                         "intervention group.")
    # A trial with more than one arm of a side's treatment: the arms the figure is for.
    study["baseline_change"] = {"intervention": 4.5, "comparator": 4.4, "instrument": "RMDQ 0-23",
                                "intervention_arms": ["Standardized acupuncture"]}
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert line.endswith("From baseline, the intervention group (standardized acupuncture) improved by 4.5 and the "
                         "comparator group by 4.4 points on the RMDQ 0\u201323, 0.1 points more in the intervention group.")
    study["baseline_change"] = {**study["baseline_change"], "intervention_arms": ["Individualized acupuncture",
                                                                                  "Standardized acupuncture"],
                                "comparator_arms": ["TENS"]}
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert ("the intervention group (individualized acupuncture and standardized acupuncture, combined) improved by "
            "4.5 and the comparator group (TENS) by 4.4 points") in line
    study["baseline_change"] = {"intervention": 1.0, "comparator": -0.5, "instrument": "RMDQ 0-23"}
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert line.endswith("the intervention group improved by 1.0 and the comparator group worsened by 0.5 points on "
                         "the RMDQ 0\u201323, 1.5 points more in the intervention group.")
    # Both worse: the verb once, as for both better.
    study["baseline_change"] = {"intervention": -1.0, "comparator": -0.5, "instrument": "RMDQ 0-23"}
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert line.endswith("the intervention group worsened by 1.0 and the comparator group by 0.5 points on "
                         "the RMDQ 0\u201323, 0.5 points more in the comparator group.")
    study["baseline_change"] = {"intervention": 2.0, "comparator": 2.0, "instrument": "RMDQ 0-23"}
    assert next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham")).endswith(
        "RMDQ 0\u201323, the same change.")
    # A gap that prints as 0.0 (4.4 - 4.35 is 0.05000000000000071 in binary) is the same change too.
    study["baseline_change"] = {"intervention": 4.4, "comparator": 4.35, "instrument": "RMDQ 0-23"}
    assert next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham")).endswith(
        "RMDQ 0\u201323, the same change.")
    # The d printed is Cohen's, not the effects' Hedges' g: the methods say which.
    # Its threshold is said to be a convention of observational studies, which chance alone
    # often reaches in a small trial, and change scores to carry less of the difference, not none.
    assert ("standardised difference (Cohen\u2019s d, without the small-sample correction of Hedges\u2019 g) of 0.1 "
            "or more (a convention of observational studies, Austin 2009; in small trials chance alone often reaches "
            "it, so the flag marks a difference, not a bias) is flagged: final values carry that difference, change "
            "scores less of it while baseline and follow-up are well correlated") in methods_section(ctx)
    # Another threshold is the team's: Austin's convention is 0.1, not cited as its source.
    other = dataclasses.replace(ctx, config={**ctx.config, "effects": {**ctx.config["effects"],
                                                                        "baseline_imbalance_smd": 0.2}})
    assert ("of 0.2 or more (the review team\u2019s threshold; the convention of observational studies is 0.1, "
            "Austin 2009; in small trials") in methods_section(other)
    # What the methods do not do is said too: no population filter, no reading of timepoints in words.
    assert "- **Population**: studies are not selected by population. The team records how" in methods_section(ctx)
    # A trial of another population says so beside its effect.
    study["population_fit"] = "narrower"
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert line.endswith("the same change. The trial enrolled a narrower population than this review\u2019s (see "
                         "@tbl-trial-characteristics).")
    for fit in ("matches", "unclear", None):
        study["population_fit"] = fit
        assert "population than" not in next(x for x in summary_section(ctx).splitlines()
                                             if x.startswith("- Dry needling vs Sham"))
    assert "A timepoint is placed by the weeks in its raw row" in methods_section(ctx)
    assert "a trial's timepoint given only in words" in methods_section(ctx)


def test_comparisons_that_no_analysis_covers_are_listed() -> None:
    ctx = context()
    assert uncovered_comparisons(ctx) == []
    assert ("Every comparison between two nodes, one of them an active treatment, that a trial in the data reports "
            "is covered by an analysis.\n") == uncovered_section(ctx)
    # An arm of a treatment in no node (a waiting list added to a review of two active
    # treatments) is said not to be counted, where a team adding it would look.
    doc = next(d for d in ctx.normalised if d["study"]["study_id"] == "A")
    arm = next(a for a in doc["arms"] if a["arm_id"] == "c")
    outside = [{**d, "arms": [{**a, "node": None, "treatment": "waiting_list"} if a is arm else a for a in d["arms"]]}
               if d is doc else d for d in ctx.normalised]
    assert str(uncovered_section(dataclasses.replace(ctx, normalised=outside))).endswith(
        "covered by an analysis. Arms of treatments no node includes enter no analysis and are not counted here (the "
        "[methods](#sec-methods) list them).\n")
    # Without the acupuncture analysis, trials A and B (acupuncture vs sham, pain) hold
    # data the review collected and does not analyse.
    ctx = context(analyses=[a for a in CONFIG["analyses"] if a["id"] != "acu_vs_sham"])
    assert uncovered_comparisons(ctx) == [{"intervention": "acu", "comparator": "sham", "outcome": "pain",
                                           "studies": [TYPST, SCRIPT], "add_on": False}]
    text = str(uncovered_section(ctx))
    assert f"| {escape(NODE_LABEL)} vs Sham | Pain | {escape(TYPST)}; {escape(SCRIPT)} |" in text
    assert "{#tbl-uncovered}" in text
    # Its introduction says in words what the table holds: "(`analyses` in
    # config/config.yaml)" named a setting; the provenance names the key.
    intro = text.split("\n", 1)[0]
    assert intro.startswith("Trials in the data compare these treatments on these outcomes, but none of the analyses "
                            "this review defines (@tbl-analyses) compares them, so these results enter no analysis: "
                            "whether one belongs in the review is the review team's choice. Not listed:")
    assert "config" not in intro and "`" not in intro
    assert ("; the analyses this review defines (@tbl-analyses), each an entry under `analyses` by its id;"
            in str(provenance_section(ctx)))
    # The nodes a claim's reason now points to in the methods, by their key here.
    assert "; the methods' treatment nodes and the treatments each groups, `nodes`;" in str(provenance_section(ctx))
    # With no analysis defined, no reference to a table of analyses that is not there.
    assert "(@tbl-analyses)" not in str(uncovered_section(context(analyses=[]))).split("\n", 1)[0]
    # In a reader's words, not the config's ("the review defines no analysis").
    assert "not used: this review analyses none of the comparisons it reports (see @tbl-uncovered)" in str(study_table(ctx))
    # The active arm goes first, and an add-on design (X + C vs C) says so.
    ctx.normalised[0]["arms"][0]["cointervention"] = "sham_acupuncture"
    assert uncovered_comparisons(ctx)[0]["add_on"] is True
    # Two controls compare nothing the review asks about.
    treatments = [{"treatment": "acupuncture", "role": "control"}, {"treatment": "sham_acupuncture", "role": "sham"}]
    assert uncovered_comparisons(dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "treatments": treatments})) == []


def test_a_trial_comparing_two_treatments_of_one_node_is_named_as_compared_by_no_analysis() -> None:
    # Trial A's control arm made electroacupuncture, in the acupuncture node: the trial
    # compares acupuncture with electroacupuncture, which the review counts as one
    # intervention, so "every comparison is covered" would not be true of it.
    ctx = context()
    assert within_node_comparisons(ctx) == []
    doc = next(d for d in ctx.normalised if d["study"]["study_id"] == "A")
    arm = next(a for a in doc["arms"] if a["arm_id"] == "c")
    arm["node"], arm["treatment"] = "acu", "electroacupuncture"
    treatments = [{"treatment": "acupuncture", "label": "Acupuncture", "role": "active"},
                  {"treatment": "electroacupuncture", "label": "Electroacupuncture", "role": "active"}]
    ctx = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "treatments": treatments})
    assert within_node_comparisons(ctx) == [(SCRIPT, NODE_LABEL, ["Acupuncture", "Electroacupuncture"])]
    text = str(uncovered_section(ctx))
    assert text.startswith("Every comparison between two nodes, one of them an active treatment, that a trial in "
                           "the data reports is covered by an analysis. Treatments of one node are one intervention "
                           "to this review, combined in its analyses, so no analysis compares them: "
                           f"{escape(SCRIPT)} (Acupuncture and Electroacupuncture, both "
                           f"{escape(_in_sentence(NODE_LABEL))}).")


def test_analyses_are_named_by_what_they_compare() -> None:
    ctx = context()
    assert analysis_names(ctx) == {"acu_vs_sham": f"{NODE_LABEL} vs Sham (pain)", "dn_vs_sham": "Dry needling vs Sham (pain)"}
    # A second analysis of the same comparison and outcome in another window adds the window.
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")
    late = {**r, "analysis": {**r["analysis"], "id": "dn_vs_sham_late", "window_label": "Long term"}}
    names = analysis_names(dataclasses.replace(ctx, analyses=[*ctx.analyses, late]))
    # By the window's name, as the section headings give it: its label's weeks (and the
    # target they often give) would put brackets inside the name's own.
    assert names["dn_vs_sham"] == "Dry needling vs Sham (pain, short term)"
    assert names["dn_vs_sham_late"] == "Dry needling vs Sham (pain, long term)"
    assert names["acu_vs_sham"] == f"{NODE_LABEL} vs Sham (pain)"
    # Windows of one name ("Weeks (1 to 12)", "Weeks (13 to 26)") are told apart by their
    # labels, whose own brackets read as commas inside the name's (in_brackets).
    r2 = {**r, "analysis": {**r["analysis"], "window_label": "Weeks (1 to 12)"}}
    late = {**r, "analysis": {**r["analysis"], "id": "dn_vs_sham_late", "window_label": "Weeks (13 to 26)"}}
    names = analysis_names(dataclasses.replace(ctx, analyses=[ctx.analyses[0], r2, late]))
    assert names["dn_vs_sham"] == "Dry needling vs Sham (pain, weeks, 1 to 12)"
    assert names["dn_vs_sham_late"] == "Dry needling vs Sham (pain, weeks, 13 to 26)"
    # So does an outcome's label: "(pain (vas))" nested them.
    vas = [{**x, "analysis": {**x["analysis"], "outcome_label": "Pain (VAS)"}} for x in ctx.analyses]
    assert analysis_names(dataclasses.replace(ctx, analyses=vas))["dn_vs_sham"] == "Dry needling vs Sham (pain, VAS)"
    # Two measures in one window: the window by its name there too, then the measure, not
    # "(pain, short term (1 to 12 weeks), MD)".
    full = "Short term (1 to 12 weeks)"
    smd = {**r, "analysis": {**r["analysis"], "window_label": full, "measure": "SMD"}}
    md = {**r, "analysis": {**r["analysis"], "id": "dn_vs_sham_md", "window_label": full, "measure": "MD"}}
    names = analysis_names(dataclasses.replace(ctx, analyses=[ctx.analyses[0], smd, md]))
    assert names["dn_vs_sham"] == "Dry needling vs Sham (pain, short term, SMD)"
    assert names["dn_vs_sham_md"] == "Dry needling vs Sham (pain, short term, MD)"
    # The excluded-trials table names analyses this way, not by their ids.
    r["excluded"] = [{"study_id": "X", "label": "Trial X", "reason": "arm n not reported", "refs": []}]
    assert "| Trial X | Dry needling vs Sham (pain) | arm n not reported |" in str(excluded_section(ctx))


def test_a_trial_set_aside_points_to_the_result_it_states_in_words() -> None:
    # Cherkin 2009 gives its 8-week pain only as a range over three arms: "no value after
    # baseline ... its rows are of week 0" alone read as if it reported no later pain.
    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    c = next(d for d in docs if d["study"]["study_id"] == "C")
    said = {**ctx.normalised[-1]["statements"][0], "arm1": "d", "arm2": "c", "node1": "dn", "node2": "sham",
            "ref": "statements.csv:C#1"}
    alone = {**said, "arm2": None, "ref": "statements.csv:C#2"}
    c["statements"] = [said, alone]
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    r = {**r, "excluded": [{"study_id": "C", "label": "Trial C", "reason": "only a p-value reported", "refs": []}],
         "narrative": [{"study_id": "C", "label": "Trial C", "ref": ref} for ref in ("statements.csv:C#1",
                                                                                       "statements.csv:C#2")]}
    raw_rows = {**ctx.raw_rows, "statements.csv:C#1": ("statements.csv", 7), "statements.csv:C#2": ("statements.csv", 8)}
    ctx = dataclasses.replace(ctx, normalised=docs, raw_rows=raw_rows,
                              analyses=[r if x["analysis"]["id"] == "dn_vs_sham" else x for x in ctx.analyses])
    # Said in words, without the raw file and row: the narrative table and the audit trail
    # carry those, and the reader's prose names no raw file.
    pointer = "only a p-value reported; a result given in words only (see @tbl-narrative)"
    assert f"| Trial C | Dry needling vs Sham (pain) | {pointer} |" in str(excluded_section(ctx))
    assert f"Excluded from this analysis, Trial C: {pointer}." in str(results_section(ctx))
    assert "statements.csv" not in str(excluded_section(ctx))
    # Row 8, about the needling arm alone, compares nothing and is not pointed to.
    c["statements"] = [alone]
    assert "in words only" not in str(excluded_section(ctx))
    c["statements"] = [said, alone]
    # Another trial's statement is not its own.
    c["study"] = {**c["study"], "study_id": "Z"}
    assert "in words only" not in str(excluded_section(ctx))


def test_analyses_of_one_title_get_section_headings_of_their_own() -> None:
    from metareview.report import analysis_refs, section_titles

    ctx = context()
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")
    # One comparison, outcome and window on two measures: two sections headed alike, and
    # the table of contents listed the heading twice.
    md = {**r, "analysis": {**r["analysis"], "id": "dn_vs_sham_md", "measure": "MD"}}
    both = dataclasses.replace(ctx, analyses=[*ctx.analyses, md],
                               figures={**ctx.figures, "dn_vs_sham_md": ctx.figures["dn_vs_sham"]})
    headings = [x for x in str(results_section(both)).splitlines() if x.startswith("### Dry needling vs Sham")]
    assert headings == ["### Dry needling vs Sham: pain, short term, SMD {#sec-dn-vs-sham}",
                        "### Dry needling vs Sham: pain, short term, MD {#sec-dn-vs-sham-md}"], headings
    # The appendices name them as their headings do; an analysis of a title of its own keeps it.
    refs = analysis_refs(both)
    assert refs["dn_vs_sham_md"] == "Dry needling vs Sham: pain, short term, MD (`dn_vs_sham_md`)"
    assert refs["acu_vs_sham"] == f"{escape(NODE_LABEL)} vs Sham: pain, short term (`acu_vs_sham`)"
    # Windows of one name are told apart by their labels; the same measure then adds the id.
    a = r["analysis"]
    titles = section_titles([{**a, "window_label": "Weeks (1 to 12)"}, {**a, "id": "late", "window_label": "Weeks (13 to 26)"},
                             {**a, "id": "late_too", "window_label": "Weeks (13 to 26)"}])
    assert titles == {"dn_vs_sham": "Dry needling vs Sham: pain, weeks (1 to 12)",
                      "late": "Dry needling vs Sham: pain, weeks (13 to 26), SMD, late",
                      "late_too": "Dry needling vs Sham: pain, weeks (13 to 26), SMD, late_too"}


def test_nodes_list_their_treatments_by_label() -> None:
    ctx = context()
    assert "Dry needling (dry needling)" in methods_section(ctx)  # no treatments.csv: the code in words
    treatments = [{"treatment": "dry_needling", "label": "Dry needling of trigger points"}]
    text = methods_section(dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "treatments": treatments}))
    assert "Dry needling (Dry needling of trigger points)" in text and "dry\\_needling" not in text


def test_a_review_without_indirect_comparisons_says_so_under_the_heading() -> None:
    # A second review of one intervention against one comparator defines no `indirect`:
    # the section's heading stays in the report, so it must say why nothing follows.
    text = str(indirect_section(dataclasses.replace(context(), indirect=[])))
    assert text.startswith("The review defines no indirect comparison: every result")
    assert "config" not in text
    assert text.endswith("within trials or published reviews.\n")
    # Of trials alone (review M left out), no word of published reviews it does not have.
    trials = dataclasses.replace(context(), indirect=[],
                                 normalised=[d for d in context().normalised if d["study"]["study_id"] != "M"])
    assert str(indirect_section(trials)).endswith("compares its two treatments within trials.\n")


def test_an_unanchored_naive_difference_has_no_interval() -> None:
    # The blog's two untraceable rows against controls it does not name: the naive
    # difference is shown for illustration, without an interval that would lend it weight.
    ctx = context()
    x = {**ctx.indirect[0], "status": "no_common_comparator", "anchored": [], "detail": "No shared comparator.",
         "unanchored": [{"a_source": "Liu", "a_comparator": "Control", "a_estimate": -0.66, "b_source": "Chen",
                         "b_comparator": "Control", "b_estimate": -0.91, "estimate": 0.25, "ci_lb": -0.30,
                         "ci_ub": 0.80}]}
    text = str(indirect_section(dataclasses.replace(ctx, indirect=[x])))
    assert "| Liu | Control | \u22120.66 | Chen | Control | \u22120.91 | 0.25 |" in text
    assert "0.80" not in text and "95% CI" not in text
    # The number columns name their measure: "Effect" and "0.25" alone did not say SMD.
    assert "| vs | Effect (SMD) |" in text and "| Naive difference (SMD) |" in text, text
    assert "no interval is given, since its width would rest on the same assumption" in text
    # A sentence that names its table, not a bare noun phrase before it.
    assert (f"For illustration only, @tbl-{x['id'].replace('_', '-')} gives the naive difference of the two "
            "effects (") in text


def test_the_bottom_line_gives_each_treatment_against_its_comparators() -> None:
    ctx = context()
    # Two studies whose t-based interval is wider than either's own: said beside the estimate.
    # Two points (the trials, the published reviews): a list under the treatment's name,
    # not one long paragraph.
    # The pooled SMD and its interval lead the bracket (their values are the pooling's,
    # tested against metafor elsewhere: here, where they stand).
    pooled = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")["pooled"]
    effect = f"SMD {f2(pooled['estimate'])} (95% CI {f2(pooled['ci_lb'])} to {f2(pooled['ci_ub'])}"
    # The SMD in its instrument's points ends its line (test_a_pooled_smd_is_given_in_...).
    points = " " + escape(points_in_brief(ctx, next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")))
    assert points.startswith(" In the instrument’s points, about ")
    # One point per comparator, its outcomes, published reviews and their disagreement with
    # the trials each a line under it.
    assert _treatment_overview(ctx, "acu") == (f"{escape(NODE_LABEL)}:\n"
                                               "  - Against sham:\n"
                                               # SMD -0.37 favours the treatment (lower is better).
                                               f"    - Pain: {effect}, point estimate on "
                                               f"{escape(NODE_LABEL)}\u2019s side; pooled, k = 2, an interval "
                                               "wider than any of its trials’ own), interval compatible with no "
                                               "difference but too wide to inform (t on 1 degree of freedom)."
                                               f"{points}\n"
                                               "    - [Published meta-analyses](#sec-external) (shown apart, not "
                                               "pooled with these trials; reviews share trials and differ in scope "
                                               "and population): the one review with confidence intervals: its SMD "
                                               "is \u22120.50.\n"
                                               # Review M's interval (-0.80 to -0.20) lies wholly on the
                                               # treatment's side; the pooled one of trials A and B
                                               # holds it and 0; Review M pooled 5 trials, these data
                                               # hold 2. Sizes beside sizes, not a count of reviews
                                               # finding a difference; the rest in Published meta-analyses.
                                               "    - On pain, 1 review with a confidence interval: its SMD is "
                                               f"\u22120.50; the 2 trials pooled here ({effect.replace(' (', ', ')}) are "
                                               "compatible with both a difference of that size and none, not evidence "
                                               "of no difference; they can differ because Review M pooled more trials than "
                                               "these data have and the interval here is too wide to tell the "
                                               "review\u2019s difference from none (see [Published "
                                               "meta-analyses](#sec-external)).")
    # A study's interval wholly on the treatment's side; one on the comparator's.
    study = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    study.update(label="Trial C", ci_ub=-0.05)
    # "one study": beside "pooled, k = 2", a trial's name alone hid that the comparison
    # rests on one trial.
    # Trial C's SMD -0.40 (n 20 + 20), with the upper bound set to -0.05 above.
    assert _treatment_overview(ctx, "dn") == ("Dry needling:\n  - Against sham:\n    - Pain: SMD \u22120.40 (95% CI "
                                              "\u22121.03 to \u22120.05; one study, Trial C), interval wholly on dry "
                                              "needling\u2019s side.")
    study.update(yi=0.4, ci_lb=0.05, ci_ub=1.0)
    assert "interval wholly on the comparator\u2019s side." in _treatment_overview(ctx, "dn")  # a typographic apostrophe
    # A study known only from a secondary source is set apart, not counted.
    study["source_level"] = "secondary"
    assert _treatment_overview(ctx, "dn") == ("Dry needling:\n  - The only estimate against any comparator is that "
                                              "of a study known only from a secondary source, set apart below.\n"
                                              "  - Against sham: Trial C, known only from a secondary source, set "
                                              "apart.")
    assert "Each treatment against the other comparators, study by study or pooled:" in bottom_line(ctx)
    # Analyses in more than one window say which window each result is from.
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    late = {**r, "analysis": {**r["analysis"], "id": "acu_vs_sham_late", "window": "long",
                              "window_label": "Medium term (13 to 26 weeks)"}}
    text = _treatment_overview(dataclasses.replace(ctx, analyses=[*ctx.analyses, late]), "acu")
    wide = ", an interval wider than any of its trials\u2019 own"
    leans = f", point estimate on {escape(NODE_LABEL)}\u2019s side"
    shows = ", interval compatible with no difference but too wide to inform (t on 1 degree of freedom)."
    assert (f"  - Against sham:\n    - Pain, short term: {effect}{leans}; pooled, k = 2{wide}){shows}{points}\n"
            f"    - Pain, medium term: {effect}{leans}; pooled, k = 2{wide}){shows}{points}\n") in text
    # A point estimate on the comparator's side (SMD 0.15 against sham in the example,
    # Cherkin 2009's standard arm worse than its sham one): said, as the analysis's line
    # says it, beside results whose signs otherwise all favour the treatment.
    turned = {**r, "pooled": {**r["pooled"], "estimate": 0.15, "ci_lb": -1.18, "ci_ub": 1.48}}
    text = _treatment_overview(dataclasses.replace(ctx, analyses=[turned if x is r else x for x in ctx.analyses]), "acu")
    assert "- Pain: SMD 0.15 (95% CI \u22121.18 to 1.48, point estimate on the comparator\u2019s side; pooled" in text
    # Under the bottom line, which gives the question's comparison first: "another".
    assert ("- Dry needling:\n  - The only estimate against another comparator is that of a study known only from a "
            "secondary source, set apart below.") in bottom_line(ctx)
    # Two such studies: said as many.
    twice = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")
    other = {**twice, "analysis": {**twice["analysis"], "id": "dn_vs_usual", "comparator": "usual",
                                   "comparator_label": "Usual care"}}
    assert ("- Dry needling:\n  - The only estimates against other comparators are those of 2 studies known only "
            "from a secondary source, set apart below.") in bottom_line(dataclasses.replace(
                ctx, analyses=[*ctx.analyses, other]))


def test_the_summary_gives_each_result_its_estimate_turned_to_the_treatment_named() -> None:
    # Where an interval lies says whether there is a difference, not how large: a clinician
    # reading "wholly on acupuncture's side" needs the number beside it.
    from metareview.report.overview import _effect_in_brief

    ctx = context()
    # A mean difference in points of the outcome's common scale (pain: 0 to 10).
    md = {"measure": "MD", "outcome": "pain"}
    assert _effect_in_brief(ctx, md, -2.17, {"ci_lb": -2.98, "ci_ub": -1.36}) == (
        "MD \u22122.17 points on the 0 to 10 scale", "95% CI \u22122.98 to \u22121.36")
    # The treatment as the analysis's comparator: the difference negated, its bounds swapped.
    assert _effect_in_brief(ctx, {**md, "swapped": True}, -2.17, {"ci_lb": -2.98, "ci_ub": -1.36}) == (
        "MD 2.17 points on the 0 to 10 scale", "95% CI 1.36 to 2.98")
    # A ratio, analysed as its log, shown exponentiated; turned round, inverted:
    # 1 / 2 = 0.50, 1 / 4 = 0.25, 1 / 1.25 = 0.80.
    rr = {"measure": "RR", "outcome": "responders", "scale": "log"}
    interval = {"ci_lb": math.log(1.25), "ci_ub": math.log(4.0)}
    assert _effect_in_brief(ctx, rr, math.log(2.0), interval) == ("RR 2.00", "95% CI 1.25 to 4.00")
    assert _effect_in_brief(ctx, {**rr, "swapped": True}, math.log(2.0), interval) == ("RR 0.50", "95% CI 0.25 to 0.80")


def test_a_rebuilt_interval_says_so_where_the_summary_and_results_print_it() -> None:
    # Brinkhaus 2006 against waiting list: 21.7 mm (13.9 to 30.0), reversed and x 0.1, is
    # -2.17 (-3.00 to -1.39); its SE, 1.61 / (2 x 1.959964) = 0.41072, rebuilds it as
    # -2.17 -/+ 0.805 = -2.975 to -1.365, printed -2.98 to -1.36. A reader checking the
    # summary against the paper must learn there why the bounds differ.
    from metareview.extract import _reported_interval_flag
    from metareview.report.overview import _effect_in_brief, _single_study_parts

    ctx = context()
    se = 1.61 / (2 * 1.959964)
    flag = _reported_interval_flag(-2.17, -3.00, -1.39, se, 95)
    assert flag is not None
    md = {"measure": "MD", "outcome": "pain"}
    study = {"ci_lb": -2.975, "ci_ub": -1.365, "flags": [flag]}
    assert _effect_in_brief(ctx, md, -2.17, study) == (
        "MD \u22122.17 points on the 0 to 10 scale",
        "95% CI \u22122.98 to \u22121.36, rebuilt from the width of the source\u2019s \u22123.00 to \u22121.39")
    # Turned round, the source's bounds turn with the interval: 1.39 to 3.00.
    assert _effect_in_brief(ctx, {**md, "swapped": True}, -2.17, study)[1] == (
        "95% CI 1.36 to 2.98, rebuilt from the width of the source\u2019s 1.39 to 3.00")
    # A pooled estimate (no flags) and a study whose interval is the source's: no note.
    assert _effect_in_brief(ctx, md, -2.17, {"ci_lb": -2.975, "ci_ub": -1.365})[1] == "95% CI \u22122.98 to \u22121.36"
    assert _effect_in_brief(ctx, md, -2.17, {**study, "flags": ["arm sizes assumed equal (62 + 62 from N = 124)"]})[1] \
        == "95% CI \u22122.98 to \u22121.36"
    r = copy.deepcopy(next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham"))
    r["studies"][0].update(yi=-2.17, **study)
    effect = str(_single_study_parts(ctx, r)[0])
    assert "(95% CI \u22122.98 to \u22121.36, rebuilt from the width of the source\u2019s \u22123.00 to \u22121.39)" in effect, \
        effect
    r["studies"][0]["flags"] = []
    assert "rebuilt" not in str(_single_study_parts(ctx, r)[0])


def test_each_comparator_is_one_point_per_treatment_with_its_lines_in_order() -> None:
    # Grouped by what the intervals show, "against sham" was said in up to five places
    # (each side, the trials set aside, the reviews, their disagreement), and one trial
    # split across two of them. One point per comparator now, its lines under it: each
    # outcome, then its trials set aside, then its published reviews and where they and
    # the trials differ; comparators by how much evidence they hold.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    # Against sham: one interval compatible with no difference, one wholly on the
    # treatment's side, an outcome with its only trial set aside.
    late = {**r, "analysis": {**r["analysis"], "id": "acu_vs_sham_late", "window": "long",
                              "window_label": "Medium term (13 to 26 weeks)"},
            "pooled": {**r["pooled"], "estimate": -0.5, "ci_lb": -0.9, "ci_ub": -0.1}, "external": [],
            "re_expressed": []}  # (its points are not the made-up estimate's)
    dis = {**r, "analysis": {**r["analysis"], "id": "acu_vs_sham_dis", "outcome": "disability",
                             "outcome_label": "Disability"},
           "status": "no_studies", "studies": [], "k": 0, "pooled": None, "external": [],
           "excluded": [{"label": "Lee (2019)", "reason": "SD missing", "refs": []}]}
    # Against usual care, one study, listed first in the analyses but holding less.
    uc = {**r, "analysis": {**r["analysis"], "id": "acu_vs_uc", "comparator": "uc", "comparator_label": "Usual care"},
          "status": "single_study", "studies": r["studies"][:1], "k": 1, "pooled": None, "external": [],
          "re_expressed": []}
    text = _treatment_overview(dataclasses.replace(ctx, analyses=[uc, *ctx.analyses, late, dis]), "acu")
    points = [x for x in text.splitlines() if x.startswith("  - ")]
    assert points == ["  - Against sham:", "  - Against usual care:"], text
    assert text.count("sham") == text.count("Against sham:") == 1, text
    lines = text.split("  - Against sham:\n")[1].split("\n  - ")[0].splitlines()
    assert all(x.startswith("    - ") for x in lines)
    leads = ("Pain, short term: ", "Pain, medium term: ", "Disability, short term: ", "1 trial set aside",
             "[Published meta-analyses]", "On pain, short term, 1 review with a confidence interval: its SMD is")
    assert len(lines) == len(leads) and all(x.startswith(f"    - {lead}") for x, lead in zip(lines, leads)), lines
    # Each outcome's line says what its interval shows.
    # Two studies, t on 1 df: also too wide to inform.
    # (then the SMD in its instrument's points, last)
    assert lines[0].split(" In the instrument\u2019s points, ")[0].endswith(
        "interval compatible with no difference but too wide to inform (t on 1 degree of freedom).")
    assert lines[0].endswith(" on the VAS, an approximation.")
    assert lines[1].endswith(f"interval wholly on {escape(NODE_LABEL)}\u2019s side.")
    assert lines[2].endswith("no usable study.")
    # In the bottom line, each treatment names each comparator once.
    summary = str(bottom_line(dataclasses.replace(ctx, analyses=[uc, *ctx.analyses, late, dis])))
    for block in summary.split("Each treatment against the other comparators")[1].split("\n\n")[1].split("\n- "):
        heads = [x.strip().split(":")[0].split(" (")[0] for x in block.splitlines() if x.startswith("  - Against ")]
        assert len(heads) == len(set(heads)), block


def test_who_knew_their_treatment_is_said_beside_the_results_it_qualifies() -> None:
    # "Participants could not be blinded" qualifies the results against controls
    # listed above it: after the study set apart as secondary, it read as about that study.
    ctx = context()
    ctx = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables,
                                               "treatments": [{"treatment": "sham_acupuncture", "role": "control"}]})
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")
    r["studies"][0].update(label="Trial C", ci_ub=-0.05)
    late = {**r, "analysis": {**r["analysis"], "id": "dn_vs_sham_late", "window": "long",
                              "window_label": "Medium term (13 to 26 weeks)"},
            "studies": [{**r["studies"][0], "source_level": "secondary"}]}
    text = _treatment_overview(dataclasses.replace(ctx, analyses=[*ctx.analyses, late]), "dn")
    # Said in the head of the comparator whose results it qualifies, not after a line
    # of its own that the study set apart follows.
    head, *lines = text.split("\n    - ")
    assert head.startswith("Dry needling:\n  - Against sham (participants could not be blinded"), text
    assert [x.split(" ")[0] for x in lines] == ["Pain,", "Trial"], text
    assert "blinded" not in "".join(lines)


def test_the_summary_spells_out_the_abbreviations_it_uses() -> None:
    from metareview.report import abbreviations_text

    text = abbreviations_text("SMD \u22120.44 (95% CI \u22120.67 to \u22120.22; pooled, k = 2); RR 1.74; the SMDs of 4")
    assert text.startswith("Abbreviations: SMD, standardised mean difference (Hedges’ g)")
    assert "; RR, risk ratio" in text and "; CI, confidence interval" in text and "; k, the number of studies" in text
    # "SMD" is no mean difference in points; a capitalised "OR" or a "p" in a word is no
    # abbreviation; each entry is parted by semicolons only.
    assert "MD, mean difference" not in text and "OR, odds ratio" not in text and "p, the p-value" not in text
    assert text.count("; ") == 3, text
    assert abbreviations_text("No trial OR review in this map") == ""
    # A risk difference, which a review of binary outcomes may pool, as well as a ratio.
    assert abbreviations_text("RD \u22120.05 (95% CI \u22120.09 to \u22120.01)") == (
        "Abbreviations: RD, risk difference, the risk with the treatment minus the risk with the comparator; "
        "CI, confidence interval.")
    assert abbreviations_text("MD \u22122.17 points; p = 0.026").startswith("Abbreviations: MD, mean difference")
    # A p-value below the smallest printed is "p \< 0.001" in the Markdown the summary is
    # made of (report.p_text escapes the "<"): still a p.
    assert "p, the p-value" in abbreviations_text("RR 1.95 (95% CI 1.1 to 3.2; p \\< 0.001)")
    # The summary closes with those it uses.
    assert "\n\nAbbreviations: SMD, standardised mean difference" in str(bottom_line(context()))


def test_the_reviews_declared_abbreviations_are_defined_where_the_report_prints_them() -> None:
    from metareview.report import abbreviations_text

    declared = {"VAS": "visual analogue scale", "DN": "dry needling", "LBP": "low  back\npain",
                "ODI": "Oswestry Disability Index", "PENS": "percutaneous electrical nerve stimulation"}
    summary = "SMD \u22120.44 (95% CI \u22120.67 to \u22120.22)"
    # Quoted words anywhere in the report: "DN" in a quote, "ODI" in an instrument code
    # (Markdown-escaped), "LBPs" a plural. "PENSION", "XVAS" and "vas" are none of them.
    printed = (summary + "\n\n“DN was more effective than acupuncture”; disability (ODI\\_0\\_50) in LBPs; "
               "a PENSION, XVAS, vas")
    text = abbreviations_text(summary, declared, printed)
    # The report's own first, in their order, then the review's in alphabetical order
    # (not the mapping's), each once, its meaning's whitespace folded.
    assert text.endswith("; CI, confidence interval; DN, dry needling; LBP, low back pain; "
                         "ODI, Oswestry Disability Index."), text
    assert "VAS" not in text and "PENS" not in text
    # None used, none defined; without the whole text, the summary's own.
    assert abbreviations_text("No effect", declared, "No trial") == ""
    assert abbreviations_text("DN against acupuncture", declared) == "Abbreviations: DN, dry needling."
    # A Markdown character in a meaning is escaped, as the summary's other text is.
    assert abbreviations_text("JOSPT 2023", {"JOSPT": "Journal of Orthopaedic & Sports Physical Therapy*"}) == (
        "Abbreviations: JOSPT, Journal of Orthopaedic \\& Sports Physical Therapy\\*.")


def test_the_summary_defines_the_statistical_abbreviations_the_rest_of_the_report_prints() -> None:
    from metareview.report import abbreviations_text

    # The methods print "a mean or SD", the audit trail "SE = (upper - lower)/(2 x
    # 1.959964)" and "(df = 318)": the library defines them in the summary's list, after
    # the summary's own, though no review declares them, and each once.
    summary = "SMD \u22120.44 (95% CI \u22120.67 to \u22120.22)"
    printed = (summary + "\n\ngiven without a mean or SD; the SDs of the arms; SE = (upper - lower)/(2 x 1.959964); "
               "J = 0.9976 (df = 318); a trial\u2019s own RD 0.12")
    text = abbreviations_text(summary, {"DN": "dry needling"}, printed)
    assert text.startswith("Abbreviations: SMD, standardised mean difference")
    assert text.endswith("; CI, confidence interval; RD, risk difference, the risk with the treatment minus the risk "
                         "with the comparator; SD, standard deviation; SE, standard error; df, degrees of freedom."), text
    assert text.count("SD, standard deviation") == 1
    # Printed nowhere, defined nowhere: "SEX", "ASD" and "pdf" are none of them.
    assert abbreviations_text(summary, {}, summary + " SEX, ASD, a pdf") == (
        "Abbreviations: SMD, " + text.split("SMD, ", 1)[1].split("; CI", 1)[0] + "; CI, confidence interval.")
    # The report's list is given the whole report's text whether or not the review declares any.
    config = {**context().config, "report": {}}
    ctx = dataclasses.replace(context(), config=config)
    qmd, _, _ = build_report(TEMPLATE, ctx)
    glossary = qmd[qmd.index("## Abbreviations {#sec-abbreviations}"):].split("\n\n", 2)[1]
    assert glossary.startswith("Abbreviations") and "SD, standard deviation" in glossary


def test_the_summary_defines_the_heterogeneity_terms_the_report_prints() -> None:
    from metareview.report import abbreviations_text

    # The methods print "τ² by REML" and "Q-profile interval for τ² and I²", a pooled
    # result "I² = 0.0%; Q = 0.15 (df = 1, p = 0.700)" and "no prediction interval": a
    # reader of the summary meets them before the results explain them, so the summary's
    # list defines each, in words, under a heading that admits a term.
    summary = "SMD \u22120.44 (95% CI \u22120.67 to \u22120.22)"
    printed = (summary + "\n\nrandom effects, τ² by REML; prediction interval pred ± t; Q-profile interval for "
               "τ² and I²; I² = 0.0%; Q = 0.15 (df = 1, p = 0.700)")
    text = abbreviations_text(summary, {}, printed)
    assert text.startswith("Abbreviations and terms: SMD, "), text
    assert "; I², the share of the variation between studies’ results beyond what chance would give;" in text
    assert "; τ², tau-squared, how much the true effects of the studies differ" in text
    assert "; Q, Cochran’s Q, a test of whether the studies share one true effect" in text
    assert text.endswith("; prediction interval, where the true effect of a new study like these is expected to "
                         "lie, wider than the confidence interval when the studies differ."), text
    assert text.count("I², ") == 1
    # Printed nowhere, defined nowhere, and the heading says abbreviations only: a "Q" or
    # "QI" of other words is no Cochran's Q, "I2" no I².
    plain = abbreviations_text(summary, {}, summary + "; Q: what was asked; QI 2; I2 as the results file names it")
    assert plain.startswith("Abbreviations: SMD, ") and "τ²" not in plain and "Cochran" not in plain
    assert "I²" not in plain and "prediction" not in plain


def test_the_examples_claims_as_the_summary_lists_them_use_no_undefined_abbreviation() -> None:
    # The summary lists each claim in the review's words ("... when baseline GAD-7 was 10
    # or more") for a clinician who reads it alone: an abbreviation there that neither the
    # report defines nor the example's config declares is a word that reader cannot read.
    from metareview.report import ABBREVIATIONS

    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    known = {name for name, _, _ in ABBREVIATIONS} | set(config["report"]["abbreviations"])
    with (ROOT / "data" / "raw" / "claims.csv").open(encoding="utf-8", newline="") as fh:
        words = [w for row in csv.DictReader(fh)
                 for w in re.findall(r"(?<![\w-])[A-Z][A-Z0-9]+(?:-\d+)?(?![\w-])", row["claim"])]
    assert "CI" in words
    assert [w for w in words if w not in known] == []


def test_a_declared_abbreviation_the_report_defines_itself_is_defined_once() -> None:
    from metareview.report import abbreviations_text

    # "MD" in a quoted source means a physician: where the summary prints an MD, the
    # report's meaning stands, and the term is defined once.
    declared = {"MD": "medical doctor", "TENS": "transcutaneous electrical nerve stimulation, as the trials gave it"}
    text = abbreviations_text("MD \u22122.17 points", declared, "MD \u22122.17 points; seen by an MD")
    assert text == "Abbreviations: MD, mean difference, in points of the outcome’s common scale."
    # Where the summary prints it in no sense of its own, the review's meaning defines it.
    text = abbreviations_text("No effect", declared, "No effect; seen by an MD; TENS")
    assert text == ("Abbreviations: MD, medical doctor; "
                    "TENS, transcutaneous electrical nerve stimulation, as the trials gave it.")
    # TENS in the summary: the report's meaning, once.
    assert abbreviations_text("TENS", declared) == "Abbreviations: TENS, transcutaneous electrical nerve stimulation."


def test_the_summary_defines_a_declared_abbreviation_the_reports_tables_print() -> None:
    ctx = context()
    # "RCT" is the studies table's design; the summary prints none.
    assert "RCT" not in str(bottom_line(ctx))
    declared = {"RCT": "randomised controlled trial", "ZQX": "a scale no study uses"}
    text, _, _ = build_report(TEMPLATE, dataclasses.replace(ctx, config={
        **ctx.config, "report": {**ctx.config.get("report", {}), "abbreviations": declared}}))
    summary = text[text.index("## What the evidence supports"):text.index("## Question")]
    start = text.index("## Abbreviations {#sec-abbreviations}\n\n") + len("## Abbreviations {#sec-abbreviations}\n\n")
    paragraph = text[start:].split("\n", 1)[0]
    assert "RCT" not in summary and "RCT, randomised controlled trial" in paragraph, paragraph
    assert "ZQX" not in text
    # The rest of the report is as without the declarations.
    plain, _, _ = build_report(TEMPLATE, ctx)
    assert plain.replace(plain[start:].split("\n", 1)[0], paragraph) == text


def _without_reconciling(text: str) -> str:
    """A treatment's overview without its points on where published reviews and the trials
    differ (tested in test_the_summary_says_where_published_reviews_and_the_trials_differ)."""
    return "\n".join(x for x in text.split("\n") if "ublished reviews and the trials here differ" not in x
                     and "published reviews find a difference that the trials" not in x
                     and not x.endswith(("(see [Published meta-analyses](#sec-external)).",
                                         " See [Published meta-analyses](#sec-external).")))


def test_the_summary_says_where_published_reviews_and_the_trials_differ() -> None:
    # Reviews against sham all on the treatment's side, the trials here compatible with no
    # difference: two messages a clinician had to reconcile alone. Said where they differ,
    # with the reasons the data give; nothing where they agree or cannot be compared.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    # The pooled interval of trials A and B includes 0; Review M's (-0.80 to -0.20) does not.
    assert r["status"] == "pooled" and r["pooled"]["ci_lb"] < -0.8 and r["pooled"]["ci_ub"] > 0
    assert m["comparable"] and (m["ci_lb"], m["ci_ub"], m["k_studies"]) == (-0.8, -0.2, 5)
    # Trials here whose interval includes no difference do not differ from reviews that
    # find one, unless the intervals miss each other: an interval that includes no
    # difference is no evidence of none (Altman & Bland 1995).
    differ = "Against sham, published reviews and the trials here differ. On pain, "
    head = ("Against sham, published reviews find a difference that the trials used here do not show, though an "
            "interval that includes no difference is no evidence of none. On pain, ")
    p = r["pooled"]
    effect = f"SMD {f2(p['estimate'])}, 95% CI {f2(p['ci_lb'])} to {f2(p['ci_ub'])}"

    def point(*external: dict[str, Any], **changes: Any) -> str | None:
        """The overview's point on reviews and trials, with acu_vs_sham's reviews (and its
        own fields) changed; None where there is none."""
        c = dataclasses.replace(ctx, analyses=[{**x, "external": list(external), **changes} if x is r else x
                                               for x in ctx.analyses])
        # In full in Published meta-analyses, under the treatment's name.
        found = [x.split(f"{escape(NODE_LABEL)}. ", 1)[1].rstrip("\n") for x in reviews_and_trials_text(c).split("\n- ")[1:]
                 if x.startswith(f"{escape(NODE_LABEL)}. Against sham, published reviews")]
        assert len(found) <= 1
        return found[0] if found else None

    # Differ, the review's interval inside the trials' wider one.
    assert point(m) == (f"{head}1 review with a confidence interval: its SMD is \u22120.50; the 2 trials pooled here (138 "
                        f"participants) have an interval ({effect}) that includes no difference; Review M pooled 5 trials (1,234 participants), more than the 2 trials of "
                        "this comparison in these data; their interval holds the whole of the review\u2019s interval "
                        "(Review M: SMD \u22120.50, 95% CI \u22120.80 to \u22120.20): too wide to tell a difference of "
                        "that size from none.")
    # A review that states no level for its interval: said, not left as a bare "CI".
    assert point({**m, "ci_level": None}).endswith(
        "(Review M: SMD \u22120.50, CI \u22120.80 to \u22120.20, level not stated): too wide to tell a difference "
        "of that size from none.")
    # Two such reviews: the whole of both intervals.
    both = {**m, "study_id": "N", "ref": "n1", "label": "Review N", "estimate": -0.4, "ci_lb": -0.6, "ci_ub": -0.2}
    assert "their interval holds the whole of those reviews\u2019 intervals: too wide" in point(m, both)
    # Intervals that only overlap, or do not: said as such. No count of trials where the
    # review gives none; no "more than" where it pooled no more than these data hold.
    assert point({**m, "estimate": -1.5, "ci_lb": -2.0, "ci_ub": -1.0, "k_studies": None}).endswith(
        f"its SMD is \u22121.50; the 2 trials pooled here (138 participants) have an interval ({effect}) that includes no "
        "difference; the intervals overlap.")
    assert point({**m, "estimate": -1.5, "ci_lb": -2.0, "ci_ub": -1.0, "k_studies": None}).startswith(head)
    # Intervals that miss each other: there the two do differ.
    apart = point({**m, "estimate": -2.2, "ci_lb": -2.5, "ci_ub": -1.9, "k_studies": 2})
    assert apart.startswith(differ) and apart.endswith(
        "no difference; Review M pooled 2 trials (1,234 participants); the intervals do not overlap.")
    # A review on another measure or scale (an SMD beside an MD): its interval is not set
    # beside the trials'.
    assert point({**m, "comparable": False}).endswith(
        "these data; no review\u2019s result is on this analysis\u2019s measure and scale, so the intervals cannot "
        "be set side by side.")
    # One of two reviews differs, the other (-0.90 to 0.10) not: both reviews' sizes, the
    # one whose interval includes no difference named; no count of those that find one.
    agreeing = {**m, "study_id": "N", "ref": "n1", "label": "Review N", "estimate": -0.4, "ci_lb": -0.9, "ci_ub": 0.1}
    assert point(m, agreeing).startswith(
        f"{head}2 reviews with confidence intervals, which share trials: their SMDs range from \u22120.50 to "
        "\u22120.40, and Review N\u2019s interval includes no difference (SMD \u22120.40, 95% CI \u22120.90 to "
        "0.10); the 2 trials")
    # The trials here on the treatment's side and a review finding no difference: the
    # other way round.
    clear = {**r["pooled"], "estimate": -0.6, "ci_lb": -0.9, "ci_ub": -0.3}
    assert point(agreeing, pooled=clear) == (
        f"{differ}1 review with a confidence interval: its SMD is \u22120.40, and Review N\u2019s interval includes "
        "no difference (SMD \u22120.40, 95% CI \u22120.90 to 0.10); the 2 trials pooled here (138 participants) "
        "find one; Review N "
        "pooled 5 trials (1,234 participants), more than the 2 trials of this comparison in these data; the "
        "intervals overlap.")
    # One trial: said so, and "its" interval.
    one = {**r, "status": "single_study", "studies": r["studies"][:1]}
    single = dataclasses.replace(ctx, analyses=[{**one, "external": [m]} if x is r else x for x in ctx.analyses])
    # (Trial A alone: 30 + 30 participants.)
    a = r["studies"][0]
    # Trial B, left out of the analysis, is still a trial of the comparison in these data:
    # counted among those the review's 5 are set against.
    assert (f"; the one trial used here (60 participants) has an interval (SMD {f2(a['yi'])}, 95% CI "
            f"{f2(a['ci_lb'])} to {f2(a['ci_ub'])}) that includes no difference; Review M pooled 5 trials (1,234 "
            "participants), more than the 2 trials of this comparison in these data (1 used here and 1 with a result on "
            "pain this analysis does not take up); its interval holds") in reviews_and_trials_text(single)
    # One trial used of three held, one set aside: "more than the 3 trials" alone, just
    # after "the one trial used here", read as three trials behind the result.
    aside = {"study_id": "D", "label": "Trial D", "refs": [], "reason": "no value after baseline"}
    held = dataclasses.replace(ctx, analyses=[{**one, "excluded": [aside], "external": [m]} if x is r else x
                                              for x in ctx.analyses])
    text = reviews_and_trials_text(held)
    assert ("Review M pooled 5 trials (1,234 participants), more than the 3 trials of this comparison in these "
            "data (1 used here, 1 set aside and 1 with a result on pain this analysis does not take up); its interval "
            "holds") in text, text
    assert "in these data; its interval" not in text
    from metareview.report import summary_counts

    assert summary_counts(held)["acu_vs_sham"]["held"] == (
        "more than the 3 trials of this comparison in these data (1 used here, 1 set aside and 1 with a result on pain "
        "this analysis does not take up)")
    # Agree: nothing said, whichever side they share.
    assert point(agreeing) is None
    assert point(m, pooled=clear) is None
    # Not comparable: a review known only from a secondary source, or of a broader
    # population (not counted by the tally either); one with a p-value alone or no
    # interval; a result outside the analysis's window; a ratio beside an SMD.
    assert point({**m, "source_level": "secondary"}) is None
    assert point({**m, "population_fit": "broader"}) is None
    assert point({**m, "measure": "p_only", "estimate": None, "ci_lb": None, "ci_ub": None}) is None
    assert point({**m, "ci_lb": None, "ci_ub": None}) is None
    assert point({**m, "outside_window": True}) is None
    assert point({**m, "measure": "RR", "log_scale": True}) is None
    # Nor a review of another comparison (another comparator, or another outcome), which
    # sits in that analysis, with no result of trials here beside it.
    other = {**r, "analysis": {**r["analysis"], "id": "acu_vs_dn", "comparator": "dn",
                               "comparator_label": "Dry needling"},
             "status": "no_studies", "pooled": None, "studies": [], "k": 0, "external": [m]}
    elsewhere = dataclasses.replace(ctx, analyses=[{**x, "external": []} if x is r else x
                                                   for x in [*ctx.analyses, other]])
    assert "Against sham, published reviews" not in reviews_and_trials_text(elsewhere)
    assert "On pain" not in _treatment_overview(elsewhere, "acu")
    # Analyses in two windows: each outcome named with its window, as the list names them.
    late = {**r, "analysis": {**r["analysis"], "id": "acu_vs_sham_late", "window": "long",
                              "window_label": "Medium term (13 to 26 weeks)"}}
    text = reviews_and_trials_text(dataclasses.replace(ctx, analyses=[*ctx.analyses, late]))
    assert (f"{head.replace('pain, ', 'pain, short term, ')}1 review with a confidence interval: its SMD is \u22120.50; the 2 "
            "trials pooled here") in text
    assert "none. On pain, medium term, 1 review with a confidence interval: its SMD is \u22120.50" in text
    # The summary carries it in short; Published meta-analyses in full.
    assert "  - Against sham:\n" in str(bottom_line(ctx)) and "    - On pain, 1 review with a" in str(bottom_line(ctx))
    assert f"{head}1 review with a" not in str(bottom_line(ctx))
    assert f"{head}1 review with a" in str(external_section(ctx))
    # Never a count of reviews by the side of their intervals (vote counting).
    assert "finds a difference on" not in str(external_section(ctx))



def test_the_summary_says_in_short_where_published_reviews_and_the_trials_differ() -> None:
    # The summary's point: the reviews' tally, what the trials here show in words, why the
    # two can differ in a clause, and a link to Published meta-analyses for the numbers.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    link = "[Published meta-analyses](#sec-external)"
    pooled = r["pooled"]
    effect = f"SMD {f2(pooled['estimate'])}, 95% CI {f2(pooled['ci_lb'])} to {f2(pooled['ci_ub'])}"

    def point(*external: dict[str, Any], **changes: Any) -> str | None:
        c = dataclasses.replace(ctx, analyses=[{**x, "external": list(external), **changes} if x is r else x
                                               for x in ctx.analyses])
        # A line under the comparator's point, which names it.
        text = _treatment_overview(c, "acu")
        assert "\n  - Against sham:\n" in text
        found = [x for x in text.split("\n    - ") if x.startswith(("On ", "Published reviews"))]
        assert len(found) <= 1
        return found[0] if found else None

    # Trials A and B (pooled SMD -1.70 to 0.96) hold Review M's whole interval (-0.80 to
    # -0.20); it pooled 5 trials, these data hold 2 (A and B).
    text = point(m)
    assert text == (f"On pain, 1 review with a confidence interval: its SMD is \u22120.50; the 2 trials pooled here "
                    f"({effect}) are compatible with both a difference of that size and none, not evidence of no "
                    "difference; they can differ "
                    "because Review M pooled more trials than these data have and the interval here is too wide to "
                    f"tell the review\u2019s difference from none (see {link}).")
    # No number of the full account but the sizes set side by side: no participants,
    # trials pooled, or the review's bounds.
    assert not any(n in text for n in ("138", "1,234", "\u22120.80", " 5 trials"))
    # Two reviews whose intervals lie inside the trials': "the reviews'".
    both = {**m, "study_id": "N", "ref": "n1", "label": "Review N", "estimate": -0.4, "ci_lb": -0.6, "ci_ub": -0.2,
            "k_studies": 1}
    assert "too wide to tell the reviews\u2019 difference from none" in point(m, both)
    # A review that pooled no more trials than these data hold, on another scale: no reason
    # the two differ, but why their sizes cannot be compared.
    other_scale = point({**m, "k_studies": 2, "comparable": False})
    assert other_scale.endswith(
        "not evidence of no difference; the two cannot be compared in size, as no review\u2019s result is on this "
        f"analysis\u2019s scale (see {link}).")
    assert "can differ" not in other_scale
    # With more trials pooled than these data hold besides: both, each in its own words.
    assert point({**m, "comparable": False}).endswith(
        "; they can differ because Review M pooled more trials than these data have; the two cannot be compared in "
        f"size, as no review\u2019s result is on this analysis\u2019s scale (see {link}).")
    # Intervals that overlap, and no count of trials: no reason to give, the link alone.
    assert point({**m, "estimate": -1.5, "ci_lb": -2.0, "ci_ub": -1.0, "k_studies": None}).endswith(
        f"not evidence of no difference. See {link}.")
    # Intervals that miss each other: the two differ, and that is said.
    apart = point({**m, "estimate": -2.2, "ci_lb": -2.5, "ci_ub": -1.9, "k_studies": 2})
    # (Not "compatible with a difference of that size": its interval misses the review's.)
    assert apart == (f"Published reviews and the trials here differ: on pain, 1 review with a confidence interval: "
                     f"its SMD is \u22122.20; the 2 trials pooled here ({effect}) are compatible with both a "
                     f"difference and none, not evidence of no difference, and the intervals do not overlap. See {link}.")
    # The trials on the treatment's side (-0.9 to -0.3), a review finding none (-0.90 to
    # 0.10): the trials find one.
    agreeing = {**m, "study_id": "N", "ref": "n1", "label": "Review N", "estimate": -0.4, "ci_lb": -0.9, "ci_ub": 0.1}
    clear = {**r["pooled"], "estimate": -0.6, "ci_lb": -0.9, "ci_ub": -0.3}
    assert point(agreeing, pooled=clear) == (
        "Published reviews and the trials here differ: on pain, 1 review with a confidence interval: its SMD is "
        "\u22120.40, and Review N\u2019s interval includes no difference (SMD \u22120.40, 95% CI \u22120.90 to "
        f"0.10); the 2 trials pooled here find one; they can differ because Review N pooled more trials than these data "
        f"have (see {link}).")
    # One trial: "the one trial used here is".
    one = point(m, status="single_study", studies=r["studies"][:1])
    assert "; the one trial used here (SMD " in one and "is compatible with both a difference of that size and none" in one
    # Agree: nothing said.
    assert point(agreeing) is None


def test_the_summary_gives_each_outcome_its_own_reasons_where_reviews_and_trials_differ() -> None:
    # Two analyses against sham: on pain in the short term Review M's result is on another
    # scale (an MD here beside its SMD), in the medium term on this one's and inside the
    # trials' interval. Pooled into one "They can differ because no review's result is on
    # this analysis's scale and the interval here is too wide ...", the first reason read
    # as true of both, and a different scale as a reason for differing.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    link = "[Published meta-analyses](#sec-external)"
    other = {**r, "external": [{**m, "k_studies": 2, "comparable": False}]}
    late = {**r, "analysis": {**r["analysis"], "id": "acu_vs_sham_late", "window": "long",
                              "window_label": "Medium term (13 to 26 weeks)"}, "external": [{**m, "k_studies": 2}]}
    c = dataclasses.replace(ctx, analyses=[*(other if x is r else x for x in ctx.analyses), late])
    (point,) = [x for x in _treatment_overview(c, "acu").split("\n    - ") if x.startswith("On ")]
    first, second = point.split(". On pain, medium term, ")
    assert first.startswith("On pain, short term, 1 review with a confidence interval: its SMD is \u22120.50; ")
    assert first.endswith("not evidence of no difference; the two cannot be compared in size, as no review\u2019s "
                          "result is on this analysis\u2019s scale")
    assert "can differ" not in first
    assert second.endswith("not evidence of no difference; they can differ because the interval here is too wide to "
                           f"tell the review\u2019s difference from none (see {link}).")
    assert "scale" not in second
    # The last outcome without a reason: the link a sentence of its own.
    c = dataclasses.replace(c, analyses=[{**x, "external": [{**m, "k_studies": None, "estimate": -1.5, "ci_lb": -2.0,
                                                                "ci_ub": -1.0}]} if x is late else x for x in c.analyses])
    (point,) = [x for x in _treatment_overview(c, "acu").split("\n    - ") if x.startswith("On ")]
    assert "analysis\u2019s scale. On pain, medium term" in point
    assert point.endswith(f"not evidence of no difference. See {link}.")


def test_the_reviews_tallied_by_comparator_are_a_point_each() -> None:
    # Of two comparators, a point each under the head: one sentence ran the tallies and
    # their bracketed sizes together, "against sham, 1 of 1 ... (its SMD is -0.50);
    # against dry needling, 1 of 1 (its SMD is -0.50)".
    ctx = context()
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    other = {**r, "analysis": {**r["analysis"], "id": "acu_vs_dn", "comparator": "dn",
                               "comparator_label": "Dry needling"},
             "external": [{**r["external"][0], "study_id": "M2", "ref": "m2", "estimate": -0.3}]}
    text = _without_reconciling(_treatment_overview(dataclasses.replace(ctx, analyses=[*ctx.analyses, other]), "acu"))
    # Each under its comparator; what the reviews are said with the first.
    assert ("\n    - [Published meta-analyses](#sec-external) (shown apart, not pooled with these trials; reviews "
            "share trials and differ in scope and population): the one review with confidence intervals: its SMD is "
            "\u22120.50.") in text
    assert text.endswith("\n    - [Published meta-analyses](#sec-external): the one review with confidence intervals: "
                         "its SMD is \u22120.30.")
    assert text.index("Against sham:") < text.index("its SMD is \u22120.50") < text.index("Against dry needling:")


def test_the_tallies_name_the_reviews_whose_intervals_state_no_level() -> None:
    # An interval printed without its level is counted as printed (reviews almost always
    # give 95% intervals), but a 90% one lies wholly on one side more easily: the tally
    # names the reviews it takes on trust, and those alone.
    ctx = context()
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    assert m["ci_level"] == 95.0
    unstated = [{**m, "label": "Review M (2019)", "ci_level": None},
                {**m, "study_id": "N", "ref": "n1", "label": "Review N", "estimate": -0.3, "ci_lb": -0.5,
                 "ci_ub": -0.1},
                # No interval at all: nothing whose level could be missing.
                {**m, "study_id": "Q", "ref": "q1", "label": "Review Q", "ci_lb": None, "ci_ub": None,
                 "ci_level": None}]
    ctx = dataclasses.replace(ctx, analyses=[{**x, "external": unstated} if x is r else x for x in ctx.analyses])
    tally = _treatment_overview(ctx, "acu")
    # Still counted: 2 reviews with intervals, their sizes given (no count of their sides).
    # The caveat in a sentence after the sizes.
    assert ("2 reviews with confidence intervals: their SMDs range from \u22120.50 to "
            "\u22120.30. No confidence level stated for intervals of Review M (2019).") in tally
    line = next(x for x in str(summary_section(ctx)).splitlines() if "k = 2" in x)
    assert line.endswith("3 reviews, which share trials (1 with no result with a confidence interval); their SMDs "
                         "range from \u22120.50 to \u22120.30. No confidence level stated for intervals of "
                         "Review M (2019).")
    assert "Review N" not in tally and "Review Q" not in tally.split("No confidence level")[1]
    # Every level stated: nothing said.
    stated = dataclasses.replace(ctx, analyses=[{**x, "external": [m]} if x["analysis"]["id"] == "acu_vs_sham" else x
                                                for x in ctx.analyses])
    assert "level" not in _treatment_overview(stated, "acu")
    assert "level" not in next(x for x in str(summary_section(stated)).splitlines() if "k = 2" in x)


def test_a_label_inside_the_summarys_brackets_brings_no_brackets_of_its_own() -> None:
    # "(pain: one study, Trial C (2020))" nested one bracket in another; inside the
    # report's brackets the label's year is set off by commas, as a parenthetical
    # citation gives it, and outside them the label is as written.
    ctx = context()
    study = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    study.update(label="Trial C (2020)", ci_ub=-0.05)
    assert _treatment_overview(ctx, "dn") == ("Dry needling:\n  - Against sham:\n    - Pain: SMD \u22120.40 (95% CI "
                                              "\u22121.03 to \u22120.05; one study, Trial C, 2020), interval wholly on "
                                              "dry needling\u2019s side.")
    study["source_level"] = "secondary"
    assert _treatment_overview(ctx, "dn") == ("Dry needling:\n  - The only estimate against any comparator is that "
                                              "of a study known only from a secondary source, set apart below.\n"
                                              "  - Against sham: Trial C (2020), known only from a secondary source, "
                                              "set apart.")
    # A comparator's, outside brackets, as written.
    dn = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")
    dn["analysis"] = {**dn["analysis"], "comparator_label": "Sham (minimal)"}
    assert _treatment_overview(ctx, "dn").endswith("\n  - Against sham (minimal): Trial C (2020), known only from a "
                                                   "secondary source, set apart.")
    dn["analysis"] = {**dn["analysis"], "comparator_label": "Sham"}
    study["source_level"] = "primary"
    # The reviews' own certainty rating, in a sentence after the tally's brackets, as in
    # the Results' line: outside brackets, the label is as written.
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    m = {**r["external"][0], "label": "Review M (2019), Cochrane", "certainty": "low"}
    rated = dataclasses.replace(ctx, analyses=[{**x, "external": [m]} if x is r else x for x in ctx.analyses])
    assert "its SMD is \u22120.50. Certainty as the review rates it: low for Review M (2019), Cochrane." \
        in _treatment_overview(rated, "acu")
    assert "Certainty as the review rates it: low for Review M (2019), Cochrane." in str(summary_section(rated))
    # 90% of the weight from a trial whose arms differed at baseline, in a sentence after the
    # result's line: in its brackets, the line was one sentence too long to read.
    pooled = {**r, "studies": [{**r["studies"][0], "label": "Trial A (2001)", "baseline_imbalance": 0.3,
                                "weight": 90.0}, *r["studies"][1:]]}
    text = _treatment_overview(dataclasses.replace(ctx, analyses=[pooled if x is r else x for x in ctx.analyses]),
                               "acu")
    assert "). 90% of the weight is from Trial A (2001), with arms that differed at baseline." in text, text


def test_the_bottom_line_names_the_exact_test_once_and_says_each_interval() -> None:
    ctx = context()
    study = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    # A sparse table: the exact test (p = 0.026 < 0.05) finds a difference that the Wald
    # interval (-1.0 to 0.1, across 0) does not; the test is named once, in a sentence of
    # its own after the result: its p inside the result's brackets read as the interval's.
    study.update(label="Trial C", yi=-0.5, ci_lb=-1.0, ci_ub=0.1, exact_p=0.026)
    text = _treatment_overview(ctx, "dn")
    assert text.count("Fisher") == 1, text
    assert text == ("Dry needling:\n  - Against sham:\n    - Pain: SMD \u22120.50 (95% CI \u22121.00 to 0.10; one "
                    "study, Trial C). "
                    "Fisher’s exact test finds a difference on dry needling’s side (p = 0.026), which this approximate "
                    "(Wald) interval, unreliable with counts this sparse, does not; that finding rests on very few "
                    "events."), text
    assert "Trial C, p = 0.026)" not in text and "though the approximate confidence interval" not in text
    # The test finding none where the interval excludes one (p = 0.07 beside -1.0 to -0.05).
    study.update(ci_ub=-0.05, exact_p=0.07)
    assert ("This approximate (Wald) interval lies wholly on dry needling’s side, but it is unreliable with counts "
            "this sparse, and Fisher’s exact test finds no difference (p = 0.070): the result is very "
            "imprecise") in _treatment_overview(ctx, "dn")
    # Two results on one side: "the confidence interval" read as if there were one.
    study.update(exact_p=None, ci_ub=-0.05)
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")
    late = {**r, "analysis": {**r["analysis"], "id": "dn_vs_sham_late", "window": "long",
                              "window_label": "Medium term (13 to 26 weeks)"}}
    text = _treatment_overview(dataclasses.replace(ctx, analyses=[*ctx.analyses, late]), "dn")
    # What they show, then a point for each comparator with its results: in one sentence,
    # "against sham (pain, short term: ...; pain, medium term: ...), each confidence
    # interval ...", a comparator's results were a list in brackets inside a list.
    # A line per outcome under the comparator, each saying what its interval shows.
    assert text == ("Dry needling:\n  - Against sham:\n"
                    "    - Pain, short term: SMD \u22120.50 (95% CI \u22121.00 to \u22120.05; one study, Trial C), "
                    "interval wholly on dry needling’s side.\n"
                    "    - Pain, medium term: SMD \u22120.50 (95% CI \u22121.00 to \u22120.05; one study, Trial C), "
                    "interval wholly on dry needling’s side."), text


def test_a_treatments_list_names_published_reviews_that_no_analysis_takes_in() -> None:
    # Liu 2018 and a 2023 review pooled dry needling against a mix of other treatments,
    # which no analysis compares: the summary's list for dry needling named a review's
    # sentence in words on it, but not these two reviews' numbers. The rule that finds
    # them (_unanalysed_reviews) now decides the summary's one sentence pointing to the
    # section listing them; the summary names none of them.
    from metareview.report.overview import _unanalysed_reviews

    ctx = context()
    assert "no analysis here has" not in _unanalysed_reviews(ctx, "dn")
    review = {"study": {"study_id": "N", "label": "Review N (2018)", "role": "external", "design": "meta_analysis"},
              "arms": [{"arm_id": "d", "node": "dn", "treatment_label": "Dry needling"},
                       {"arm_id": "d2", "node": "dn", "treatment_label": "Dry needling + exercise"},
                       {"arm_id": "o", "node": None, "treatment_label": "Other treatments (mixed)"}],
              "contrasts": [{"ref": "contrasts.csv:N#1", "arm1": "d", "arm2": "o", "node1": "dn", "node2": None,
                             "outcome": "pain"},
                            {"ref": "contrasts.csv:N#2", "arm1": "o", "arm2": "d", "node1": None, "node2": "dn",
                             "outcome": "disability"},
                            # Two arms of one node: a comparison within dry needling, not of it.
                            {"ref": "contrasts.csv:N#3", "arm1": "d2", "arm2": "d", "node1": "dn", "node2": "dn",
                             "outcome": "pain"}],
              "arm_values": [], "statements": []}
    with_review = dataclasses.replace(ctx, normalised=[*ctx.normalised, review])
    text = _unanalysed_reviews(with_review, "dn")
    assert ("Published meta-analyses against a comparator no analysis here has, not counted (see @tbl-external): "
            "Review N (2018) against other treatments (mixed).") in text, text
    assert "dry needling + exercise" not in text.lower().split("here has")[1]
    overview = _treatment_overview(with_review, "dn")
    assert ("Not counted here: published results of reviews against a comparator no analysis here has (see [Published "
            "meta-analyses](#sec-external))") in overview and "Review N" not in overview, overview
    # A review of a comparison an analysis has (Review M, acupuncture against sham) is
    # counted with that analysis's reviews, not named again.
    assert "no analysis here has" not in _unanalysed_reviews(with_review, "acu")
    # Against a node the review has but does not compare the treatment with: named.
    sham = {**review, "contrasts": [{**review["contrasts"][0], "node2": "sham"}],
            "arms": [*review["arms"][:2], {**review["arms"][2], "node": "sham", "treatment_label": "Sham"}]}
    assert "no analysis here has" not in _unanalysed_reviews(dataclasses.replace(
        ctx, normalised=[*ctx.normalised, sham]), "dn")
    uc = {**sham, "contrasts": [{**review["contrasts"][0], "node2": "uc"}],
          "arms": [*review["arms"][:2], {**review["arms"][2], "node": "uc", "treatment_label": "Usual care"}]}
    assert "here has, not counted (see @tbl-external): Review N (2018) against usual care." in _unanalysed_reviews(
        dataclasses.replace(ctx, normalised=[*ctx.normalised, uc]), "dn")
    # A trial is no published meta-analysis.
    trial = {**review, "study": {**review["study"], "role": "trial"}}
    assert "no analysis here has" not in _unanalysed_reviews(
        dataclasses.replace(ctx, normalised=[*ctx.normalised, trial]), "dn")


def test_the_bottom_line_gives_each_outcome_a_paragraph() -> None:
    # Pain and disability run together read as one block of half a page of the summary.
    ctx = context()
    x = ctx.indirect[0]
    ctx = dataclasses.replace(ctx, indirect=[x, {**x, "outcome": "disability"}])
    paragraphs = str(bottom_line(ctx)).split("\n\n")
    assert [p.split(",")[0] for p in paragraphs if p.startswith("For ")] == ["For pain", "For disability"]


def test_the_bottom_line_names_every_outcome_a_trial_outside_the_nodes_reports() -> None:
    # Itoh 2004 reported pain and disability alike ("not statistically significant"): the
    # sentence is said once, after pain, and must not read as of pain alone.
    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    a = next(d for d in docs if d["study"]["study_id"] == "A")
    a["arms"] = [a["arms"][0], {**a["arms"][1], "node": None, "treatment_label": "Trigger point needling"}]
    a["statements"] = [{"arm1": a["arms"][1]["arm_id"], "arm2": a["arms"][0]["arm_id"], "outcome": outcome,
                        "statement": "Not significant.", "quote": "differences not statistically significant"}
                       for outcome in ("pain", "disability")]
    pain = ctx.indirect[0]
    disability = {**pain, "id": "dn_vs_acu_disability", "outcome": "disability", "direct": []}
    text = str(bottom_line(dataclasses.replace(ctx, normalised=docs, indirect=[pain, disability])))
    assert text.count("This review counts trigger point needling as neither") == 1
    assert f"{escape(SCRIPT)} compared trigger point needling with acupuncture on pain and disability and reported" \
        in text
    # One outcome: "this outcome", right after its paragraph.
    text = str(bottom_line(dataclasses.replace(ctx, normalised=docs)))
    assert f"{escape(SCRIPT)} compared trigger point needling with acupuncture on this outcome and reported" in text


def test_the_indirect_section_names_a_trial_outside_the_nodes_in_full_once() -> None:
    # Itoh 2004 reported pain and disability alike ("not statistically significant"): the
    # indirect section printed the same paragraph of ninety words under both outcomes'
    # headings. The second says where the first is.
    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    a = next(d for d in docs if d["study"]["study_id"] == "A")
    a["arms"] = [a["arms"][0], {**a["arms"][1], "node": None, "treatment_label": "Trigger point needling"}]
    a["statements"] = [{"arm1": a["arms"][1]["arm_id"], "arm2": a["arms"][0]["arm_id"], "outcome": outcome,
                        "statement": "Not significant.", "quote": "differences not statistically significant",
                        "direction": "no_difference"} for outcome in ("pain", "disability")]
    pain = ctx.indirect[0]
    disability = {**pain, "id": "dn_vs_acu_disability", "outcome": "disability", "direct": []}
    text = str(indirect_section(dataclasses.replace(ctx, normalised=docs, indirect=[pain, disability])))
    assert text.count("does not show the treatments alike") == 1
    first, second = text.split("### ")[1:]
    assert "counts trigger point needling as neither dry needling" in first
    # What the trial compared, by name: "for comparing one of the two with a treatment
    # this review counts as neither" left the treatments to be guessed.
    assert (f"{escape(SCRIPT)}, named above under \u201c{first.splitlines()[0]}\u201d for comparing trigger point "
            "needling with acupuncture, reports on this outcome too, with the same finding, and enters no analysis of "
            "it either.") in second
    assert "one of the two" not in second
    # A finding of its own on the second outcome: the paragraph in full under each.
    a["statements"][1] = {**a["statements"][1], "statement": "Better.", "quote": "significantly better"}
    text = str(indirect_section(dataclasses.replace(ctx, normalised=docs, indirect=[pain, disability])))
    assert text.count("counts trigger point needling as neither dry needling") == 2


def test_the_indirect_section_names_trials_against_treatments_no_node_includes() -> None:
    # Itoh 2004: trigger point needling (in no node) against standard acupuncture, the
    # closest the data come to a head-to-head trial of the two.
    ctx = context()
    x = ctx.indirect[0]
    assert "this review counts as neither" not in str(indirect_section(ctx))
    docs = [dict(d) for d in ctx.normalised]
    a = next(d for d in docs if d["study"]["study_id"] == "A")
    a["arms"] = [a["arms"][0], {**a["arms"][1], "node": None, "treatment_label": "Trigger point needling"}]
    text = str(indirect_section(dataclasses.replace(ctx, normalised=docs)))
    # The trial and what it compared first, the treatment the review counts as neither
    # by name, and the choice as the team's, which it can change: "compared one of the
    # two with a treatment this review counts as neither" could not be parsed at first
    # reading.
    acu = escape(NODE_LABEL)
    assert (f"{escape(SCRIPT)} compared trigger point needling with acupuncture on this outcome. This review counts "
            f"trigger point needling as neither dry needling nor {acu}, so that trial enters no analysis. That is the "
            "review team\u2019s choice (its groups of treatments, listed in the methods), which the team can change; "
            "the data do not decide it.") in text
    assert "config" not in text and "one of the two" not in text
    # Of a narrower population than the review's: which, after how many took part, the
    # population's own brackets as commas.
    a["study"] = {**a["study"], "population_fit": "narrower", "population": "Elderly (65-81 y), LBP >=6 months"}
    assert (f"{escape(SCRIPT)} compared trigger point needling with acupuncture on this outcome, in a narrower "
            "population than this review\u2019s (elderly, 65\u201381 y, LBP \u22656 months). This review"
            in str(indirect_section(dataclasses.replace(ctx, normalised=docs))))
    a["study"] = {**a["study"], "population_fit": None}
    # What the trial says of the outcome in words, where it says it of the other arm.
    a["statements"] = [{"arm1": a["arms"][1]["arm_id"], "arm2": a["arms"][0]["arm_id"], "outcome": "pain",
                        "statement": "Differences in pain were not statistically significant.",
                        "quote": 'differences "not statistically significant"'}]
    text = str(indirect_section(dataclasses.replace(ctx, normalised=docs)))
    # The source's own words, not the extraction's summary of them; where its quotation
    # marks set them apart, those alone are quoted (“differences ‘not statistically
    # significant’”, a quotation within a quotation, was hard to read).
    assert (f"{escape(SCRIPT)} compared trigger point needling with acupuncture on this outcome and reported "
            "differences “not statistically significant”. This review") in text
    a["statements"] = [{**a["statements"][0], "quote": "no significant difference"}]
    assert "and reported “no significant difference”. This review" in str(
        indirect_section(dataclasses.replace(ctx, normalised=docs)))
    a["statements"] = [{**a["statements"][0], "quote": 'differences "not statistically significant"'}]
    a["statements"] = [{**a["statements"][0], "outcome": "disability"}]
    assert "and reported" not in str(indirect_section(dataclasses.replace(ctx, normalised=docs)))
    # A statement that sets it against a third arm (sham, in a three-arm trial) says nothing
    # of it against ours.
    a["statements"] = [{**a["statements"][0], "outcome": "pain", "arm2": "sham_arm"}]
    assert "and reported" not in str(indirect_section(dataclasses.replace(ctx, normalised=docs)))
    a["statements"] = []
    # Only trials that report the comparison's outcome.
    assert "this review counts as neither" not in str(indirect_section(dataclasses.replace(
        ctx, normalised=docs, indirect=[{**x, "outcome": "disability"}])))
    # The bottom line names them too, once, and says whose decision the nodes are.
    assert "this review counts as neither" not in bottom_line(ctx)
    line = bottom_line(dataclasses.replace(ctx, normalised=docs, indirect=[x, x]))
    assert line.count(f"{escape(SCRIPT)} compared trigger point needling with acupuncture on ") == 1
    assert ("the review team\u2019s choice, which it can change (see the [methods](#sec-methods))." in line
            and "whether it belongs in one" not in line)


def test_a_trial_outside_the_nodes_is_followed_by_the_other_trials_of_its_treatment() -> None:
    # Itoh 2004 (trigger point needling against acupuncture) and Itoh 2006 (the same
    # against sham): counting trigger point needling as one of the two would decide both,
    # but the summary named only the first. The second is named in the same place, found
    # by its treatment in the data.
    ctx = context()
    docs = [copy.deepcopy(d) for d in ctx.normalised]
    a = next(d for d in docs if d["study"]["study_id"] == "A")
    tp = {"node": None, "treatment": "tp", "treatment_label": "Trigger point needling"}
    a["arms"] = [a["arms"][0], {**a["arms"][1], **tp}]
    alone = str(bottom_line(dataclasses.replace(ctx, normalised=docs)))
    assert "Another trial" not in alone
    b = next(d for d in docs if d["study"]["study_id"] == "B")
    b["arms"] = [{**b["arms"][0], **tp}, b["arms"][1]]
    sham = _in_sentence(b["arms"][1]["treatment_label"])
    said = (f" Another trial of trigger point needling, {escape(TYPST)}, compared it with {escape(sham)}; the same "
            "choice keeps it out of every analysis.")
    # Not a trial of the question: the indirect section names it, the summary does not.
    text = str(bottom_line(dataclasses.replace(ctx, normalised=docs)))
    assert said not in text and "Another trial" not in text
    assert said in str(indirect_section(dataclasses.replace(ctx, normalised=docs)))
    # Another treatment no node includes is no trial of this one.
    b["arms"][0] = {**b["arms"][0], "treatment": "cupping", "treatment_label": "Cupping"}
    assert "Another trial" not in str(indirect_section(dataclasses.replace(ctx, normalised=docs)))
    # Two trials against acupuncture: the treatments by name before the list, not "one of
    # the two with a treatment this review counts as neither".
    b["arms"] = copy.deepcopy(next(d for d in ctx.normalised if d["study"]["study_id"] == "B")["arms"])
    b["arms"][1] = {**b["arms"][1], **tp}
    text = str(bottom_line(dataclasses.replace(ctx, normalised=docs)))
    assert ("2 trials on this outcome compared trigger point needling with acupuncture: "
            f"{escape(TYPST)} compared trigger point needling with acupuncture; {escape(SCRIPT)} compared") in text, text
    assert "one of the two" not in text.split("2 trials")[1]


def test_arms_named_alike_but_for_their_first_words_share_the_rest() -> None:
    from metareview.report.summary import _shared_tail

    assert _shared_tail(["deep needling of trigger points", "superficial needling of trigger points"]) == (
        "deep and superficial needling of trigger points")
    assert _shared_tail(["sham acupuncture", "exercise"]) == "sham acupuncture and exercise"
    # A name that is the shared words alone keeps the list whole.
    assert _shared_tail(["acupuncture", "sham acupuncture"]) == "acupuncture and sham acupuncture"
    assert _shared_tail(["acupuncture"]) == "acupuncture"


def test_a_trial_outside_the_nodes_that_found_no_difference_is_not_read_as_showing_the_two_alike() -> None:
    # Itoh 2004: 27 participants analysed (9 per arm), "differences not statistically
    # significant". Given without its size, the summary's sentence read as if trigger
    # point needling and acupuncture had been shown alike.
    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    a = next(d for d in docs if d["study"]["study_id"] == "A")
    a["arms"] = [{**a["arms"][0], "n": 9, "n_source": "n_analysed"},
                 {**a["arms"][1], "node": None, "treatment_label": "Trigger point needling", "n": 9,
                  "n_source": "n_analysed"},
                 {**a["arms"][1], "arm_id": "s", "node": None, "treatment_label": "Superficial needling", "n": 9,
                  "n_source": "n_analysed"}]
    a["statements"] = [{"arm1": "c", "arm2": "i", "outcome": "pain", "direction": "no_difference",
                        "statement": "Not significant.", "quote": 'differences "not statistically significant"'}]
    text = str(indirect_section(dataclasses.replace(ctx, normalised=docs)))
    # Three arms: not "compared trigger point and superficial needling with acupuncture",
    # which said which pairs were compared where the source does not; the 27 are the three
    # arms', 9 each. The source's quotation marks set its own words apart, without the
    # report's marks around them too.
    assert ("compared three arms (trigger point needling, superficial needling and acupuncture) on this outcome, in "
            "27 participants analysed (9 per arm), and reported differences “not statistically significant”. A "
            "difference not found to be statistically significant does not show the treatments alike: a trial can "
            "miss a real difference, the more easily the fewer its participants. This review counts") in text, text
    assert "‘" not in text
    # A difference found is no such finding; sizes of two kinds (analysed, randomised) are
    # not added, nor are they given where an arm's is unknown.
    a["statements"] = [{**a["statements"][0], "direction": "favours_arm1"}]
    a["arms"][2] = {**a["arms"][2], "n": 12, "n_source": "n_randomised"}
    text = str(indirect_section(dataclasses.replace(ctx, normalised=docs)))
    assert "and acupuncture) on this outcome and reported" in text
    assert "does not show the treatments alike" not in text and "participants" not in text
    a["arms"][2] = {**a["arms"][2], "n": None, "n_source": None}
    assert "participants" not in str(indirect_section(dataclasses.replace(ctx, normalised=docs)))


def test_a_row_set_aside_for_its_own_reason_is_not_given_its_studys() -> None:
    # A study excluded for the reasons of all its rows ("timepoint 104 weeks ...; timepoint
    # 52 weeks ..."): each row in the appendix keeps its own reason; a row that was a
    # candidate (no reason of its own) gets the study's.
    ctx = context()
    a = next(d for d in ctx.effects if d["study_id"] == "A")
    a["rows"]["arm_outcomes.csv:A#1"] = [{"analysis": "acu_vs_sham", "use": "excluded",
                                          "reason": "timepoint 52 weeks is outside the window"}]
    result = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    result["excluded"] = [{"label": "A", "reason": "timepoint 104 weeks is outside the window; timepoint 52 weeks "
                           "is outside the window", "refs": ["arm_outcomes.csv:A#1", "arm_outcomes.csv:A#2"]}]
    fate = _fate(ctx)
    assert fate["arm_outcomes.csv:A#1"] == [f"not used in {ACU_VS_SHAM}: timepoint 52 weeks is outside the window",
                                            f"pooled in {ACU_VS_SHAM}"]
    assert (f"excluded from {ACU_VS_SHAM}: timepoint 104 weeks is outside the window; timepoint 52 weeks is outside "
            "the window") in fate["arm_outcomes.csv:A#2"]


def test_a_rows_further_reasons_are_printed_from_their_records_or_an_older_builds_words() -> None:
    # Mahmoudzadeh et al. (2016): a design excluded, its rows also kept out by their own
    # reasons, which the study's effects file records with their fields.
    ctx = context()
    a = next(d for d in ctx.effects if d["study_id"] == "A")
    design = "add-on design: A + B vs B; this analysis compares treatments head to head"
    late = {"reason": "timepoint 52 weeks is outside the window of 1 to 12 weeks", "timepoint": {
        "kind": "outside_window", "weeks": [52.0], "window": "short", "min_weeks": 1.0, "max_weeks": 12.0}}
    a["rows"]["arm_outcomes.csv:A#1"] = [{"analysis": "acu_vs_sham", "use": "excluded", "reason": design,
                                          "also": [{"reason": "SD missing"}, late]}]
    # As a build before the records wrote them: the words alone.
    a["rows"]["arm_outcomes.csv:A#2"] = [{"analysis": "acu_vs_sham", "use": "excluded", "reason": design,
                                          "also": ["SD missing", late["reason"]]}]
    fate = _fate(ctx)
    said = (f"not used in {ACU_VS_SHAM}: {escape(design)}; also, SD missing; timepoint 52 weeks is outside the window "
            "of 1 to 12 weeks")
    assert said in fate["arm_outcomes.csv:A#1"] and said in fate["arm_outcomes.csv:A#2"]


def test_a_row_a_setting_set_aside_names_the_setting_in_the_appendix_alone() -> None:
    # The tables of trials set aside say in words why a row cannot be used; the appendix
    # of every reported result adds the config key that decided it, for the team.
    ctx = context()
    a = next(d for d in ctx.effects if d["study_id"] == "A")
    no_sd = f"no SD reported, and {NO_SD_IMPUTATION}"
    a["rows"]["arm_outcomes.csv:A#1"] = [{"analysis": "acu_vs_sham", "use": "excluded", "reason": no_sd}]
    a["rows"]["arm_outcomes.csv:A#2"] = [{"analysis": "acu_vs_sham", "use": "excluded",
                                          "reason": f"arm n not reported (only the total: {NO_EQUAL_SPLIT})"}]
    fate = _fate(ctx)
    assert fate["arm_outcomes.csv:A#1"][0] == (f"not used in {ACU_VS_SHAM}: no SD reported, and the review does not "
                                               "impute missing SDs (effects.impute\\_missing\\_sd: false)")
    assert fate["arm_outcomes.csv:A#2"][0] == (
        f"not used in {ACU_VS_SHAM}: arm n not reported (only the total: the review does not split a total equally "
        "between the arms; effects.assume\\_equal\\_arms\\_from\\_total: false)")
    # A reason no setting decides is left as it is.
    assert with_settings("only a p-value reported") == "only a p-value reported"


def test_week_0_rows_read_for_a_baseline_flag_are_not_called_unused() -> None:
    # Cherkin 2009: the week-0 rows of the standardized and sham arms are no effect, but
    # give the "d = 0.19 at week 0" printed beside the effect. The appendix says so for that analysis, and keeps "not used" for another
    # analysis whose effect they gave nothing to.
    ctx = context()
    a = next(d for d in ctx.effects if d["study_id"] == "A")
    week_0 = "baseline (week 0): measured before treatment, not an effect of it"
    a["rows"]["arm_outcomes.csv:A#1"] = [{"analysis": "acu_vs_sham", "use": "excluded", "reason": week_0},
                                         {"analysis": "dn_vs_sham", "use": "excluded", "reason": week_0}]
    result = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    study = next(s for s in result["studies"] if s["study_id"] == "A")
    study["baseline_refs"] = ["arm_outcomes.csv:A#1"]
    notes = _fate(ctx)["arm_outcomes.csv:A#1"]
    assert (f"read in {ACU_VS_SHAM} for the baseline (week 0) difference of {escape(study['label'])}\u2019s "
            "effect, not as an effect (see the audit trail)") in notes
    assert f"not used in {DN_VS_SHAM}: {week_0}" in notes
    assert not any(n.startswith(f"not used in {ACU_VS_SHAM}") for n in notes)


def test_the_changes_from_baseline_printed_beside_an_effect_are_traced_to_their_rows() -> None:
    # Cherkin 2009: "from baseline, the intervention group improved by 4.5 and the
    # comparator group by 4.4" comes from the arms' change-score rows, which give no
    # effect (no SD). The audit row of the effect quotes those rows' cells and the week-0
    # rows', and the evidence appendix says the change rows were read, not "not used".
    ctx = context()
    result = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    study = next(s for s in result["studies"] if s["study_id"] == "A")
    study["baseline_refs"] = ["arm_outcomes.csv:A#1"]
    study["baseline_change"] = {"intervention": 4.5, "comparator": 4.4, "instrument": "RMDQ 0-23",
                                "refs": ["arm_outcomes.csv:A#2"]}
    a = next(d for d in ctx.effects if d["study_id"] == "A")
    a["rows"]["arm_outcomes.csv:A#2"] = [{"analysis": "acu_vs_sham", "use": "excluded", "reason": "SD missing"}]
    row = next(r for r in audit_rows(ctx) if r[1] == "study effect" and r[2] == "A")
    # A#1 and A#2 are the study's first two rows: arm_outcomes.csv rows 2 and 3 (n 30,
    # means 3 and 4, as the fixture writes them).
    steps = row[8].split(" | ")
    assert ("baseline (week 0) rows read: arm_outcomes.csv row 2: value_type = final, n = 30, mean = 3, sd = 2, "
            "timepoint_weeks = 6") in steps
    assert steps[-1].startswith("changes from baseline read from arm_outcomes.csv row 3: value_type = final, n = 30, "
                                "mean = 4, sd = 2, timepoint_weeks = 6: ")
    assert steps[-1].endswith("intervention 4.5, comparator 4.4 points on the RMDQ 0-23, a gap of 0.1; printed "
                              "improved by 4.5, improved by 4.4")
    notes = _fate(ctx)["arm_outcomes.csv:A#2"]
    assert not any(n.startswith(f"not used in {ACU_VS_SHAM}") for n in notes)
    assert any(n.startswith(f"read in {ACU_VS_SHAM} for the change from baseline printed beside") for n in notes)


def test_the_rows_a_set_aside_trials_own_effect_comes_from_say_it_is_printed() -> None:
    # Meng 2003: set aside for its change scores, its own SMD from arm_outcomes.csv rows 29
    # and 30 printed beside the analysis, with a row in the audit trail. The appendix of raw
    # rows said only "excluded from", as if those rows gave no number the report prints.
    ctx = context()
    result = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    own = {"value_type": "change", "yi": -0.98, "vi": 0.095, "ci_lb": -1.58, "ci_ub": -0.38,
           "form": "arm-level means and SDs", "steps": [], "refs": ["arm_outcomes.csv:A#1"]}
    result["excluded"] = [{"study_id": "Z", "label": "Trial Z", "reason": "only change values",
                           "refs": ["arm_outcomes.csv:A#1", "arm_outcomes.csv:A#2"], "own_effect": own}]
    fate = _fate(ctx)
    assert (f"excluded from {ACU_VS_SHAM}: only change values; its own SMD from these rows is printed beside the "
            "analysis, not combined with the others (see the audit trail)") in fate["arm_outcomes.csv:A#1"]
    # A row its own effect was not computed from: excluded, and no more.
    assert f"excluded from {ACU_VS_SHAM}: only change values" in fate["arm_outcomes.csv:A#2"]
    # Without an own effect, as before.
    del result["excluded"][0]["own_effect"]
    assert f"excluded from {ACU_VS_SHAM}: only change values" in _fate(ctx)["arm_outcomes.csv:A#1"]


def test_the_appendix_says_whether_a_published_result_is_drawn_beside_its_analysis() -> None:
    # A review's "intermediate term" result shown beside a short-term analysis read as
    # "external evidence for" it, with nothing to say the forest plot leaves it out as
    # evidence on another window; nor could an auditor tell which rows the plot draws.
    ctx = context()
    result = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    (ext,) = result["external"]
    assert ext["ref"] == "contrasts.csv:M#1" and ext["comparable"]
    assert _fate(ctx)["contrasts.csv:M#1"] == [
        f"external evidence for {ACU_VS_SHAM}: drawn in its forest plot, not pooled"]
    why = "timepoint given as \u2018intermediate term\u2019, which this review reads as another window"
    result["external"] = [{**ext, "comparable": False, "not_drawn": why}]
    assert _fate(ctx)["contrasts.csv:M#1"] == [
        f"external evidence for {ACU_VS_SHAM}: not drawn in its forest plot ({why})"]


def test_methods_name_treatments_outside_every_node_and_say_risk_of_bias_was_not_graded() -> None:
    ctx = context()
    text = methods_section(ctx)
    assert "no node includes" not in text
    # Not assessed, said of the trials the analyses use with what it means for their results.
    assert ("- **Risk of bias and certainty**: not assessed for any of the 3 trials the analyses use (no study has a "
            "risk-of-bias judgement recorded): the risk of bias of every result here, pooled or from one study, is "
            "therefore unknown, and without it the certainty of the evidence (GRADE), which starts from risk of bias, "
            "cannot be rated for any result.") in text
    # An arm whose treatment is in no node: named with its studies (labels may hold commas).
    docs = [dict(d) for d in ctx.normalised]
    for sid in ("A", "G"):
        doc = next(d for d in docs if d["study"]["study_id"] == sid)
        doc["arms"] = [{**doc["arms"][0], "node": None, "treatment_label": "Trigger point needling"}, *doc["arms"][1:]]
    docs[0]["risk_of_bias"] = [{"domain": "overall", "judgement": "high"}]
    text = methods_section(dataclasses.replace(ctx, normalised=docs))
    assert (f"Treatments in the data that no node includes, so that no analysis uses their arms: Trigger point "
            f"needling: {escape(SCRIPT)}; Guideline G.") in text
    # Counted among the trials (not every study: reviews and guidelines are no trials).
    assert ("judgements are recorded for 1 of the 3 trials (see @tbl-risk-of-bias); they are "
            "not used") in text


def test_the_methods_say_what_a_file_holds_rather_than_its_path() -> None:
    # "`results/analyses/ID.json` holds every analysis's refits" and "`risk_of_bias.csv`
    # holds no judgements" gave a clinician file names to decode. The methods now say what
    # the files hold; an auditor finds the paths where the report already gives them: the
    # appendix (#sec-evidence) names each analysis's files by its id, the provenance's
    # raw columns name risk_of_bias.csv.
    from metareview.report import risk_of_bias_section

    ctx = context()
    for text in (methods_section(ctx), methods_section(context(methods={**CONFIG["methods"], "method": "DL"}))):
        sensitivity = next(x for x in text.splitlines() if x.startswith("- **Sensitivity**"))
        assert ("; every refit is kept with the analysis's full results, in the file its id names (see the "
                "[appendix on every reported result](#sec-evidence)). ") in sensitivity
        assert "results/analyses" not in sensitivity and ".json" not in sensitivity
        risk = next(x for x in text.splitlines() if x.startswith("- **Risk of bias and certainty**"))
        assert "risk_of_bias.csv" not in risk and "`" not in risk
    docs = [dict(d) for d in ctx.normalised]
    docs[0]["risk_of_bias"] = [{"tool": "RoB 2", "domain": "overall", "judgement": "high"}]
    judged = dataclasses.replace(ctx, normalised=docs)
    risk = next(x for x in methods_section(judged).splitlines() if x.startswith("- **Risk of bias and certainty**"))
    assert "risk_of_bias.csv" not in risk and "(see @tbl-risk-of-bias)" in risk
    # The table the methods point to says what it holds; the provenance names the file.
    caption = str(risk_of_bias_section(judged)).rsplit("\n: ", 1)[1]
    assert caption.startswith("Risk-of-bias judgements of trials and quality judgements of published reviews, as "
                              "the team recorded them, each with its support (the raw table the provenance names)")
    assert "risk\\_of\\_bias.csv" not in caption
    provenance = str(provenance_section(judged)).replace("\\_", "_")
    assert "; the risk-of-bias and quality judgements, each with its support, risk_of_bias.csv;" in provenance
    # With none recorded: said in words in its section, and the provenance says the file holds none.
    assert str(risk_of_bias_section(ctx)).startswith(
        "Risk of bias was not assessed for any of the 3 trials the analyses use: no risk-of-bias judgement is "
        "recorded for any study. The risk of bias of every result here")
    assert ("; the risk-of-bias and quality judgements, each with its support, risk_of_bias.csv (none recorded);"
            in str(provenance_section(ctx)).replace("\\_", "_"))


def _model_bullet(text: str) -> str:
    """The methods' Model bullet with its sub-bullets, up to the next top-level bullet."""
    lines = str(text).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("- **Model**"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- ")), len(lines))
    return "\n".join(lines[start:end])


def test_the_methods_say_the_model_plainly_before_its_details() -> None:
    # The Model bullet was one chain of clauses (estimator; test; level; prediction
    # interval; Q-profile interval; I²) that a clinician had to read through to learn that
    # the studies were pooled with random effects. The plain statement now comes first, in
    # words, and each detail an auditor checks is a sub-bullet of its own.
    for method, test in (("REML", "adhoc"), ("DL", "knha"), ("EE", "z")):
        model = _model_bullet(methods_section(context(methods={**CONFIG["methods"], "method": method, "test": test})))
        first, *details = model.splitlines()
        kind = ("an equal-effects model, which takes them to share one true effect" if method == "EE" else
                "a random-effects model, which allows their true effects to differ from study to study")
        assert first == f"- **Model**: studies are pooled with {kind}; intervals are 95%.", first
        # No technical term in the plain statement; every detail a sub-bullet, one sentence
        # or more each, ending with a full stop.
        assert not any(term in first for term in ("τ²", "metafor", "Q-profile", "I²", "Hartung"))
        assert details and all(d.startswith("  - ") and d.endswith(".") for d in details), details
        assert details[-1] == ("  - Computed by the `metareview` library, whose every estimator is tested against "
                               "metafor 3.8-1 reference values.")
        assert sum(d.startswith("  - Its scale factor is floored at 1") for d in details) == (test == "adhoc")
    model = _model_bullet(methods_section(context()))
    for detail in ("  - Between-study variance: τ² by restricted maximum likelihood (REML).",
                   ("  - Intervals for τ² and I²: Q-profile, τ² searched up to 100 or ten times its estimate "
                    "(metafor's default), a bound beyond that printed as \\> that end."),
                   ("  - I²: from τ² and the typical within-study variance (metafor's definition). With 3 studies "
                    "or fewer, a pooled result says heterogeneity cannot be assessed: Q has too few degrees of freedom "
                    "to detect it and τ² is estimated from too few effects, so τ² = 0 does not show the effects "
                    "agree.")):
        assert detail in model.splitlines(), detail


def test_the_methods_give_the_prediction_interval_of_the_configured_test() -> None:
    # metafor: pred ± t(k − 1) · √(SE² + τ²) under a t-based test, pred ± z · √(SE² + τ²)
    # under the Wald-type one; the methods said t(k − 1) whatever the test.
    # With no-break spaces inside t(k − 1): the PDF had broken the line at one of them.
    assert "Prediction interval: pred ± t(k\u00a0−\u00a01) · √(SE² + τ²) as in metafor" in methods_section(context())
    wald = context(methods={**CONFIG["methods"], "test": "z"})
    text = methods_section(wald)
    assert "Prediction interval: pred ± z · √(SE² + τ²) as in metafor" in text
    assert "t(k\u00a0−\u00a01) · √" not in text and "t(k − 1) · √" not in text


def test_the_methods_speak_of_timepoints_converted_to_weeks_only_where_there_are_some() -> None:
    # Every study here gives its week as a number: the methods said that the extraction
    # gives weeks for some stated in months, and that the limitations list them, of a
    # review that had none and whose limitations listed none.
    from metareview.report import limitations_section

    ctx = context()
    line = next(x for x in str(methods_section(ctx)).splitlines() if x.startswith("- **Time windows**"))
    assert "A timepoint is placed by the weeks in its raw row. No window lists period words" in line, line
    assert "6 months" not in line and "limitations" not in line
    assert "converted from the source's words" not in str(limitations_section(ctx))
    # A trial's "1 year", entered as week 52: said in both, years among the words.
    ctx.analyses[0]["studies"][0].update(timepoint_weeks=52.0, timepoint_label="1 year")
    line = next(x for x in str(methods_section(ctx)).splitlines() if x.startswith("- **Time windows**"))
    assert ("A timepoint is placed by the weeks in its raw row (the extraction gives weeks for some the source states "
            "otherwise, such as \"6 months\"; the limitations list the effects concerned)") in line
    assert ("- **Study effects at a week converted from the source's words (months, years, or a time after a "
            "course)**: ") in str(limitations_section(ctx))


def test_the_methods_speak_of_a_window_edge_only_where_an_effect_is_at_one() -> None:
    ctx = context()
    said = "is flagged as at the window's edge"
    line = next(x for x in str(methods_section(ctx)).splitlines() if x.startswith("- **Time windows**"))
    assert said not in line
    # A trial's "1 month after the 8-week course", entered as week 12 (metareview.extract).
    study = ctx.analyses[0]["studies"][0]
    edge = ("timepoint at the window\u2019s upper edge: its words give 12 to 12.35 weeks (a month 4 to 4.35 weeks), "
            "entered as week 12, in a window ending at week 12")
    study["flags"] = [*study.get("flags", []), edge]
    line = next(x for x in str(methods_section(ctx)).splitlines() if x.startswith("- **Time windows**"))
    assert ("A trial effect whose timepoint's words may lie, by a day or more, on the other side of a window's bound "
            "than the weeks it was entered as (a month is 4 to 4.35 weeks, so 8 weeks and 1 month are 12 to 12.35) "
            f"{said}.") in line


def test_the_methods_say_the_prediction_interval_is_not_the_handbooks() -> None:
    # Higgins et al. 2009 and the Cochrane Handbook 10.10.4.3 give pred ± t(k − 2) ·
    # √(SE² + τ²); metafor, and so this library, t(k − 1). The methods cited Higgins beside
    # metafor's quantile, as if the interval were his, and never said it was narrower.
    for test in ("adhoc", "z"):
        text = methods_section(context(methods={**CONFIG["methods"], "test": test}))
        model = _model_bullet(text)
        assert ("; Higgins et al. 2009 and the Cochrane Handbook 10.10.4.3 (version 6.4, 2023, whose section numbers "
                "the report cites throughout) take t on k\u00a0−\u00a02 df instead, a wider interval.") in model
        assert "degree of freedom; Higgins" not in model


def test_the_methods_say_how_cluster_crossover_and_quasi_randomised_trials_are_pooled() -> None:
    # Every trial is pooled as a parallel-group randomised one, and the methods said only
    # "randomised trials are pooled": of a quasi-randomised trial not true, of a cluster
    # or crossover trial silent on the unit-of-analysis error (Cochrane Handbook 23.1, 23.2).
    ctx = context()
    plain = next(x for x in methods_section(ctx).splitlines() if x.startswith("- **Designs**"))
    assert "as if" not in plain
    docs = copy.deepcopy(list(ctx.normalised))
    labels = {}
    for doc in docs:
        if doc["study"]["study_id"] in ("A", "B", "C"):
            doc["study"]["design"] = {"A": "cluster_rct", "B": "quasi_rct", "C": "crossover_rct"}[doc["study"]["study_id"]]
            labels[doc["study"]["study_id"]] = escape(doc["study"]["label"])
    line = next(x for x in methods_section(dataclasses.replace(ctx, normalised=docs)).splitlines()
                if x.startswith("- **Designs**"))
    assert line.startswith(plain)
    assert (" Cluster-randomised trials are pooled as if each participant had been randomised: nothing here adjusts "
            "for clustering, so unless the source’s numbers allow for it their intervals are too narrow (Cochrane "
            f"Handbook 23.1): {labels['A']}.") in line
    assert f" Quasi-randomised trials are pooled as if randomised, though their allocation was not random: {labels['B']}." in line
    assert ("Crossover trials are pooled as if parallel-group trials: nothing here allows for the pairing of a "
            f"participant’s periods where a result spans both (Cochrane Handbook 23.2): {labels['C']}.") in line
    # A study of such a design that enters no analysis is not named.
    docs = copy.deepcopy(list(ctx.normalised))
    next(doc for doc in docs if doc["study"]["study_id"] == "M")["study"]["design"] = "cluster_rct"
    assert next(x for x in methods_section(dataclasses.replace(ctx, normalised=docs)).splitlines()
                if x.startswith("- **Designs**")) == plain


def test_the_methods_name_an_equal_effects_model_as_such() -> None:
    # methods.method EE or FE fits no random effects: the methods said "random effects, τ²
    # by equal effects" and gave a prediction interval and a Q-profile interval for τ².
    for method in ("EE", "FE"):
        # With the Wald-type test: metafor warns that Knapp-Hartung is not meant for them.
        text = methods_section(context(methods={**CONFIG["methods"], "method": method, "test": "z"}))
        model = _model_bullet(text)
        assert model.startswith("- **Model**: studies are pooled with an equal-effects model, which takes them to "
                                f"share one true effect; intervals are 95%.\n  - τ² fixed at 0 (metafor's method \"{method}\")")
        assert "random effects" not in model and "Q-profile" not in model and "√(SE² + τ²)" not in model
        assert model.endswith("Computed by the `metareview` library, whose every estimator is tested against "
                              "metafor 3.8-1 reference values.")
    # DerSimonian-Laird is still a random-effects model.
    dl = methods_section(context(methods={**CONFIG["methods"], "method": "DL"}))
    # With its code, as What changed names a change of it ("methods.method: REML → DL").
    assert "- **Model**: studies are pooled with a random-effects model" in dl
    assert "  - Between-study variance: τ² by DerSimonian-Laird (DL)." in dl
    # Hartung-Knapp without its floor says what that does to the interval.
    knha = methods_section(context(methods={**CONFIG["methods"], "test": "knha"}))
    assert ("  - Its scale factor is not floored (Knapp & Hartung 2003; metafor's test \"knha\"): where the studies' "
            "results scatter about the pooled estimate less than their variances predict") in knha
    assert "floored at 1" not in knha
    assert "τ² by restricted maximum likelihood (REML)." in methods_section(context())


def test_the_methods_say_whether_a_mean_difference_s_se_comes_from_its_p_value() -> None:
    off = methods_section(context())
    assert ("Other missing SDs are not imputed, nor is the SE of a mean difference reported with only its exact "
            "p-value (such rows are listed as not poolable).") in off
    # A mean difference with its SE or interval and arm sizes is standardised through t,
    # with the studies it served (none here).
    assert ("enters an SMD analysis through its t statistic: d = (MD / SE) √(1/n₁\u00a0+\u00a01/n₂), then Hedges' "
            "correction, as metafor's escalc computes it from t (6.5.2.3; used by: none in this review), flagged") in off
    on = methods_section(context(effects={**CONFIG["effects"], "impute_missing_sd": True}))
    assert "as is the SE of a mean difference reported with only its exact p-value (SE = |MD| / t, a t-test assumed)" in on


def test_the_methods_say_how_a_mean_difference_s_interval_gives_its_se() -> None:
    # A small trial's interval is MD -/+ t SE (Cochrane Handbook 6.5.2.3): the methods say
    # which quantile the width is divided by, as the audit steps do, including for a trial
    # whose arm sizes are not reported (Brinkhaus 2006 in the example).
    assert ("a reported mean difference's SE from its interval: the width over 2t, t on n₁\u00a0+\u00a0n₂\u00a0−\u00a02 "
            "degrees of "
            "freedom while both groups are under 100, else (or when the arm sizes are unknown: neither reported nor split "
            "from a total) over 2z (6.5.2.3), the interval shown then drawn with z, as metafor draws a study's, and "
            "flagged where that makes it narrower than the source's"
            ) in methods_section(context())


def test_the_methods_formulas_never_break_a_line_before_a_minus_or_plus_sign() -> None:
    # The PDF broke a line after "Γ((m" and began the next with "− 1)/2))", which reads
    # as minus one: within a formula's terms the spaces around − and + are no-break
    # spaces, as in t(k − 1). Prose ("acupuncture + exercise") may still break.
    text = str(methods_section(context(config={**CONFIG, "analyses": [
        {**CONFIG["analyses"][0], "measure": "SMD"}, *CONFIG["analyses"]]})))
    assert "Γ((m\u00a0−\u00a01)/2))" in text and "m = n₁\u00a0+\u00a0n₂\u00a0−\u00a02," in text
    assert "g²/(2(n₁\u00a0+\u00a0n₂))" in text and "t on n₁\u00a0+\u00a0n₂\u00a0−\u00a02 degrees" in text
    assert "(t distribution, k\u00a0−\u00a01 df)" in text
    # (The variance's terms, 1/n₁ + 1/n₂ + ..., may go to the next line.)
    assert not re.search(r"\(m [−+]|(?<!/)n[₁₂] [−+]|k [−+] 1", text)


def test_methods_say_how_an_indirect_comparison_is_built() -> None:
    text = methods_section(context())
    # Bucher's method, and the width of a Hartung-Knapp interval kept: its SE read back
    # from the interval (half-width over z = 1.96 at 95%).
    assert "- **Indirect comparisons**: " in text
    assert "by Bucher's method (Bucher et al. 1997)" in text
    assert ("its width over 2 × 1.96, as the Cochrane Handbook, 6.3.1, obtains a study's SE from its interval; a "
            "choice of this review, not the Handbook's advice for a pooled estimate)") in text
    # The fixture names every comparator: unnamed ones are not spoken of (see
    # test_the_methods_speak_of_published_reviews_guidelines_and_unnamed_comparators_only_when_there_are_some).
    assert "Effects on different measures are never combined" in text and "do not name" not in text
    # No indirect comparison configured: no bullet.
    assert "**Indirect comparisons**" not in methods_section(context(indirect=[]))


def _with_certainty(**certainty: Any) -> list[dict[str, Any]]:
    """CONFIG's analyses, with GRADE judgements for acu_vs_sham (pooled from A and B)."""
    return [{**a, "certainty": certainty} if a["id"] == "acu_vs_sham" else a for a in CONFIG["analyses"]]


NOT_SERIOUS = {"rating": "not_serious"}
JUDGED = {"studies": ["A", "B"], "assessed_by": "Review team", "risk_of_bias": NOT_SERIOUS,
          "inconsistency": NOT_SERIOUS, "indirectness": NOT_SERIOUS,
          "imprecision": {"rating": "serious", "reason": "fewer than 400 participants"},
          "publication_bias": NOT_SERIOUS}


def test_grade_judgements_give_each_analysis_its_certainty_beside_its_finding() -> None:
    ctx = context(analyses=_with_certainty(**JUDGED))
    text, _, keys = build_report(TEMPLATE, ctx)
    assert keys["analyses"]["acu_vs_sham"]["certainty"] == "moderate"
    assert keys["analyses"]["dn_vs_sham"]["certainty_status"] == "not_assessed"
    # The judgements are compared as the certainty they give, not listed as settings.
    assert not any(".certainty" in k for k in keys["settings"])
    # Beside the finding in the summary and in the analysis's section, and in one table.
    summary = str(summary_section(ctx))
    line = next(x for x in summary.splitlines() if "k = 2" in x)
    assert line.split(" [Published meta-analyses]")[0].endswith(
        ". Certainty of the evidence (GRADE): moderate (rated down for imprecision).")
    results = str(results_section(ctx))
    assert "Certainty of the evidence (GRADE): moderate (rated down for imprecision).\n" in results
    row = next(x for x in results.splitlines() if x.startswith("| ") and "fewer than 400" in x)
    cells = [c.strip() for c in row.strip("|").split(" | ")]
    codes = fingerprints(ctx, next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham"))
    # A summary of findings: the effect as the results give it, with its participants
    # (A: 30 + 30, B: 40 + 38) and studies.
    p = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")["pooled"]
    assert cells[1] == "SMD −0.37 (−1.70 to 0.96); 138 participants (2 studies)"
    assert cells[1].startswith(f"SMD {f2(p['estimate'])} ({ci_text(p['ci_lb'], p['ci_ub'])}); ")
    # The studies, with the codes to record, then what the data show for the domains:
    # facts, no rating.
    assert cells[2] == (escape(f"{SCRIPT} (data {codes['A']}); {TYPST} (data {codes['B']})")
                        + "; interval includes no difference; I² = 0.0% on 1 df; no prediction interval (k \\< 3); "
                        "no small-study test (k \\< 10); risk of bias (overall): not recorded (2)")
    assert cells[3] == "moderate"
    assert cells[4].startswith("risk of bias: not serious; inconsistency: not serious;")
    assert cells[4].endswith("imprecision: serious (fewer than 400 participants); publication bias: not serious. "
                             "Risk of bias was rated with no overall risk-of-bias judgement recorded for any of its 2 "
                             f"studies ({escape(SCRIPT)}; {escape(TYPST)}). Assessed by Review team")
    assert "\n: Summary of findings: effects and certainty of the evidence (GRADE) {#tbl-certainty}\n" in results
    # The analysis with no judgements is in the table too, as not rated.
    assert any(x.startswith("| ") and "| not rated | no judgements recorded |" in x for x in results.splitlines())
    # The analysis with an effect and no judgements named, not left to the arithmetic.
    assert ("Certainty of the evidence (GRADE), from the review team's judgements: rated for 1 of 2 analyses "
            "with an effect (1 moderate); not rated, no judgements recorded: Dry needling vs Sham (pain) (see "
            "@tbl-certainty).") in str(bottom_line(ctx))
    # The limitations count of the same analyses, those with an effect.
    # The team's GRADE rating of risk of bias rests on no judgement recorded for the trials.
    assert ("- **Risk of bias and certainty**: risk of bias was not assessed for any of the 3 trials the analyses "
            "use: the risk of bias of every result here, pooled or from one study, is therefore unknown, and where "
            "the team rates the certainty of the evidence (GRADE), its rating of risk of bias "
            "rests on no judgement recorded for any study; certainty of the evidence (GRADE) rated for 1 of 2 "
            "analyses with an effect.") in str(limitations_section(ctx)).splitlines()
    # In the one-table layout, the results table has a GRADE column.
    table_rows = str(results_table(ctx)).splitlines()
    assert table_rows[table_rows.index(next(x for x in table_rows if x.startswith("| Analysis")))].rstrip(" |").endswith(
        "| GRADE")
    assert next(x for x in table_rows if x.startswith("| acu\\_vs\\_sham")).rstrip(" |").endswith("| moderate")
    assert next(x for x in table_rows if x.startswith("| dn\\_vs\\_sham")).rstrip(" |").endswith("| –")
    assert "GRADE" not in str(results_table(context()))
    assert "Risk of bias was not assessed, and no result" not in text and "{#tbl-certainty}" in text
    assert "rated with GRADE (Guyatt et al. 2008" in str(methods_section(ctx))


def test_the_certainty_table_gives_the_facts_each_domain_draws_on() -> None:
    ctx = context()
    single = next(r for r in ctx.analyses if r["status"] == "single_study")
    s = single["studies"][0]
    # C: a reported SMD of -0.4 with 20 + 20 participants, whose interval spans 0.
    assert (s["study_id"], s["ci_lb"] < 0 < s["ci_ub"]) == ("C", True)
    assert str(grade_facts(ctx, single)) == (
        "k = 1; 40 participants; interval includes no difference; risk of bias (overall): not recorded (1)")
    # Overall risk-of-bias judgements are counted; an interval that excludes no difference
    # beside a prediction interval that does not is said; a small-study test is given.
    pooled = next(r for r in ctx.analyses if r["status"] == "pooled")
    p = {**pooled["pooled"], "ci_lb": -0.9, "ci_ub": -0.1, "pi_lb": -1.5, "pi_ub": 0.5, "I2": 61.25,
         "regtest": {"pval": 0.0004}}
    docs = [dict(d) for d in ctx.normalised]
    for d in docs:
        if d["study"]["study_id"] == pooled["studies"][0]["study_id"]:
            d["risk_of_bias"] = [{"domain": "randomisation", "judgement": "low"},
                                 {"domain": "overall", "judgement": "some_concerns"}]
    facts = str(grade_facts(dataclasses.replace(ctx, normalised=docs), {**pooled, "pooled": p}))
    assert facts.endswith("; interval excludes no difference; I² = 61.2% on 1 df; prediction interval includes no "
                          "difference; small-study test p \\< 0.001; risk of bias (overall): not recorded (1), "
                          "some concerns (1)")


def test_the_certainty_table_gives_events_weight_at_high_risk_caveats_and_the_search() -> None:
    base = {**CONFIG["review"], "systematic_search": False}
    ctx = context(review=base)
    single = next(r for r in ctx.analyses if r["status"] == "single_study")
    s = single["studies"][0]
    # A binary analysis counts events, not participants alone; a secondary source and an
    # identity rated low are said, and the evidence base that was no systematic search.
    binary = {**single, "analysis": {**single["analysis"], "measure": "RR"},
              "studies": [{**s, "events1": 5, "events2": 9, "source_level": "secondary", "identity_confidence": "low"}]}
    facts = str(grade_facts(ctx, binary))
    assert facts.startswith("k = 1; 40 participants; 14 events; interval includes no difference;")
    assert "; no systematic search;" in facts
    assert facts.endswith(escape(f"; {s['label']}: known only from a secondary source, study identity low"))
    # A database search is no such warning; nor is a binary count missing said as zero.
    searched = context(review={**CONFIG["review"], "systematic_search": True,
                               "evidence_base": "Not limited: a systematic search of MEDLINE."})
    no_events = {**binary, "studies": [{**s, "events1": None, "events2": None}]}
    assert "systematic" not in str(grade_facts(searched, single))
    # Nor is an evidence base that only says so in words: the key is what counts.
    unsaid = context(review={**{k: v for k, v in CONFIG["review"].items() if k != "systematic_search"},
                             "evidence_base": "Not a systematic search. From a blog post."})
    assert "systematic" not in str(grade_facts(unsaid, single))
    assert "events not reported" in str(grade_facts(searched, no_events))
    # The share of a pooled analysis's weight at high risk of bias, once any study is there.
    pooled = next(r for r in ctx.analyses if r["status"] == "pooled")
    docs = [{**d, "risk_of_bias": [{"domain": "overall", "judgement": "high"}]}
            if d["study"]["study_id"] == pooled["studies"][1]["study_id"] else d for d in ctx.normalised]
    share = 100 * pooled["studies"][1]["weight"] / sum(x["weight"] for x in pooled["studies"])
    assert 0 < share < 100
    assert f"; {share:.0f}% of the weight at high risk of bias" in str(
        grade_facts(dataclasses.replace(ctx, normalised=docs), pooled))
    assert "weight" not in str(grade_facts(ctx, pooled))


def test_a_rating_the_reports_own_facts_question_is_flagged_and_kept() -> None:
    from metareview.report import grade_flag_warnings, rating_flags, warnings_section
    clear = {**JUDGED, "imprecision": NOT_SERIOUS}
    ctx = context(analyses=_with_certainty(**clear))
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    # Two studies on t with 1 df: the report calls the interval too wide to inform.
    assert r["pooled"]["df"] == 1 and r["pooled"]["ci_lb"] < 0 < r["pooled"]["ci_ub"]
    wide = "the report finds the interval too wide to inform, on t with 1 degree of freedom"
    assert rating_flags(ctx, r) == {"imprecision": [wide]}
    # Flagged, never changed: the level is the team's.
    assert certainty_of(ctx, r).level == "high"
    said = f"imprecision rated not serious (GRADE), but {wide}: the rating is the team\u2019s to confirm or revise"
    assert grade_flag_warnings(ctx) == [(analysis_names(ctx)["acu_vs_sham"], said, "grade_flag acu_vs_sham imprecision")]
    cell = next(x for x in str(certainty_table(ctx)).splitlines() if x.startswith("| ") and "Review team" in x)
    assert f"imprecision: not serious (but {wide}); publication bias: not serious" in cell
    assert "the rating is flagged beside it" in str(certainty_table(ctx))
    warnings = str(warnings_section(ctx))
    assert "imprecision rated not serious (GRADE)" in warnings
    assert "GRADE ratings of not serious that the report\u2019s own facts question" in warnings
    # Rated down, or judged on other studies: nothing to flag.
    assert rating_flags(context(analyses=_with_certainty(**JUDGED)), r) == {}
    stale = context(analyses=_with_certainty(**{**clear, "studies": ["A"]}))
    assert certainty_of(stale, r).status == "out_of_date" and rating_flags(stale, r) == {}
    # Most of the weight at high risk of bias, a study set apart, an unnamed comparator.
    docs = [{**d, "risk_of_bias": [{"domain": "overall", "judgement": "high"}]} for d in ctx.normalised]
    high = dataclasses.replace(ctx, normalised=docs)
    assert rating_flags(high, r)["risk_of_bias"] == ["100% of the weight is from studies at high risk of bias"]
    apart = {**r, "studies": [{**r["studies"][0], "source_level": "secondary", "identity_confidence": "low"},
                              *r["studies"][1:]],
             "analysis": {**r["analysis"], "comparator": "unnamed_control"}}
    label = r["studies"][0]["label"]
    flags = rating_flags(ctx, apart)
    assert flags["risk_of_bias"] == [f"{label} is known only from a secondary source and has its study identity rated low"]
    assert flags["indirectness"] == ["the source does not name the comparator"]
    assert list(flags) == ["risk_of_bias", "indirectness", "imprecision"]


def test_an_interval_crossing_the_mid_questions_imprecision_rated_not_serious() -> None:
    from metareview.report import rating_flags
    single_id = next(r for r in context().analyses if r["status"] == "single_study")["analysis"]["id"]
    clear = {**JUDGED, "imprecision": NOT_SERIOUS, "studies": ["C"]}
    analyses = [{**a, "certainty": clear} if a["id"] == single_id else a for a in CONFIG["analyses"]]
    outcomes = {"pain": {**CONFIG["outcomes"]["pain"], "mid": {"value": 0.3, "source": "Ostelo 2008"}}}
    ctx = context(analyses=analyses, outcomes=outcomes)
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == single_id)
    assert r["studies"][0]["ci_lb"] < -0.3 < r["studies"][0]["ci_ub"] < 0.3
    # An SMD has no MID to cross; read as a mean difference, its interval crosses 0.3.
    assert rating_flags(ctx, r) == {}
    md = {**r, "analysis": {**r["analysis"], "measure": "MD"}}
    assert rating_flags(ctx, md) == {
        "imprecision": ["the interval crosses the minimal important difference of 0.3 points"]}


def test_the_methods_say_what_imprecision_is_judged_against() -> None:
    # Nothing graded: nothing said of imprecision.
    assert "For imprecision" not in str(methods_section(context()))
    # Judged, with no MID: each interval against no difference, the rating the team's.
    judged = str(methods_section(context(analyses=_with_certainty(**JUDGED))))
    assert ("For imprecision, the summary of findings shows each interval against no difference, as no minimal "
            "important difference is set for a mean difference judged here; whether it is precise enough is the "
            "review team's rating, not the report's.") in judged
    # A mean difference whose outcome sets an MID: against it, named with its source, and
    # the summary of findings shows where the interval lies.
    outcomes = {"pain": {**CONFIG["outcomes"]["pain"], "mid": {"value": 1.5, "source": "Ostelo et al. (2008)"}}}
    md = [{**a, "measure": "MD"} if a["id"] == "acu_vs_sham" else a for a in _with_certainty(**JUDGED)]
    ctx = context(analyses=md, outcomes=outcomes)
    assert ("For imprecision, the summary of findings shows the interval of each mean difference whose outcome sets "
            "a minimal important difference against it (pain: 1.5 points, from Ostelo et al., 2008); whether it is "
            "precise enough is the review team's rating, not the report's.") in str(methods_section(ctx))
    row = next(x for x in str(certainty_table(ctx)).splitlines() if "Review team" in x)
    assert "; interval includes no difference; interval crossing the MID (1.5 points); " in row
    # Beside another judged analysis with no MID to read (an SMD), both are said.
    both = [{**a, "certainty": {**JUDGED, "studies": ["C"]}} if a["id"] != "acu_vs_sham" and not a.get("certainty")
            and a["measure"] == "SMD" and a["outcome"] == "pain" else a for a in md]
    assert ", and every other interval against no difference; whether" in str(
        methods_section(context(analyses=both, outcomes=outcomes)))


def test_judgements_on_an_analysis_without_an_effect_are_shown_not_dropped() -> None:
    # dn_vs_sham's one study, set aside: nothing to rate, and the table says so.
    analyses = [{**a, "certainty": {**JUDGED, "studies": ["C"]}} if a["id"] == "dn_vs_sham" else a
                for a in CONFIG["analyses"]]
    ctx = context(analyses=analyses)
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    ctx = dataclasses.replace(ctx, analyses=[
        {**x, "status": "no_studies", "studies": [], "k": 0} if x is r else x for x in ctx.analyses])
    row = next(x for x in str(certainty_table(ctx)).splitlines() if x.startswith("| Dry needling"))
    assert [c.strip() for c in row.strip("|").split(" | ")][1:4] == ["–", "no study effect", "not rated"]
    assert f"| no study effect to rate; judged on {escape(INJECT)}. Ratings: risk of bias: not serious;" in row
    assert ("Dry needling vs Sham (pain): no usable study. Certainty of the evidence (GRADE): not rated (no study "
            f"effect to rate; judged on {escape(INJECT)}).") in str(summary_section(ctx))


def test_the_summary_says_which_trials_a_result_left_out_and_where_the_reasons_are() -> None:
    # acu_vs_sham pools A and B; trials it set aside were not said beside its result, so
    # "pooled, k = 2" read as every trial of the comparison.
    ctx = context()

    def aside(*labels: str) -> ReportContext:
        excluded = [{"label": x, "reason": "SD missing", "refs": []} for x in labels]
        return dataclasses.replace(ctx, analyses=[{**x, "excluded": excluded} if x["analysis"]["id"] == "acu_vs_sham"
                                                  else x for x in ctx.analyses])

    def line(c: ReportContext) -> str:
        # The comparator's lines, from its head to the next point of the treatment's list.
        text = str(bottom_line(c))
        text = text[text.index(f"- {escape(NODE_LABEL)}:\n"):]
        block = text[text.index("  - Against sham:\n"):].split("\n  - ")[0].split("\n\n")[0]
        assert "pooled, k = 2" in block.splitlines()[1]
        return next((x for x in block.splitlines() if re.match(r"    - \d+ trials? set aside", x)), "")

    assert "set aside" not in line(ctx)
    # Counted, never named or detailed (the section the clause names has them), few or
    # many; trials whose rows the data lack give no side.
    where = "set aside (see [Trials that could not be used](#sec-excluded)): "
    # The comparator's trials set aside: a line of its own after its results.
    assert line(aside(SCRIPT)) == f"    - 1 trial {where}it does not say which way the groups differed."
    assert escape(SCRIPT) not in line(aside(SCRIPT))
    assert line(aside("Lee (2019)", "Park (2020)")).endswith(f"2 trials {where}neither says which way the groups "
                                                             "differed.")
    assert line(aside("Lee (2019)", "Park (2020)", "Kim (2021)")).endswith(f"3 trials {where}none of the 3 says which "
                                                                           "way the groups differed.")
    # A point with more than one result counts the comparator's trials once.
    two = dataclasses.replace(aside("Lee (2019)"), analyses=[
        *aside("Lee (2019)").analyses,
        {**next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham"),
         "excluded": [{"label": "Lee (2019)", "reason": "SD missing", "refs": []}],
         "analysis": {**CONFIG["analyses"][0], "id": "acu_vs_sham_2", "intervention_label": NODE_LABEL,
                      "comparator_label": "Sham", "outcome_label": "Disability", "window_label": "Short term",
                      "measure_label": "SMD"}}])
    assert line(two) == f"    - 1 trial {where}it does not say which way the groups differed."
    assert str(bottom_line(two)).count("set aside") == 1
    # A review with no indirect comparison gives its pooled findings, and each single
    # trial's, in sentences of their own: they count them too.
    direct = dataclasses.replace(aside("Lee (2019)"), config={**ctx.config, "indirect": []}, indirect=[])
    pooled = next(x for x in str(bottom_line(direct)).split("\n\n") if x.startswith("Pooled analyses whose"))
    assert pooled.endswith(f". 1 trial {where}it does not say which way the groups differed."), pooled
    single = dataclasses.replace(direct, analyses=[
        {**x, "excluded": [{"label": "Lee (2019)", "reason": "SD missing", "refs": []}]}
        if x["analysis"]["id"] == "dn_vs_sham" else {**x, "excluded": []} for x in direct.analyses])
    line = next(x for x in str(bottom_line(single)).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert line.endswith(f". 1 trial {where}it does not say which way the groups differed."), line
    assert "set aside" not in str(bottom_line(dataclasses.replace(single, analyses=[
        {**x, "excluded": []} for x in single.analyses])))


def test_analyses_with_no_usable_study_share_one_summary_line_by_comparison() -> None:
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    other_outcome = {**r, "analysis": {**r["analysis"], "id": "dn_vs_sham_2", "outcome_label": "Disability"}}
    ctx = dataclasses.replace(ctx, analyses=[
        *({**x, "status": "no_studies", "studies": [], "k": 0} if x is r else x for x in ctx.analyses),
        {**other_outcome, "status": "no_studies", "studies": [], "k": 0}])
    lines = str(summary_section(ctx)).splitlines()
    assert "- No usable study for Dry needling vs Sham (pain and disability)." in lines
    assert not [x for x in lines if x.startswith("- Dry needling vs Sham")]
    # Trials that could not be used are named: "no usable study" is not "no trial".
    aside = dataclasses.replace(ctx, analyses=[
        {**x, "excluded": [{"label": "Rajfur et al. (2022)", "reason": "timepoint not reported", "refs": []}]}
        if x["analysis"]["id"] in ("dn_vs_sham", "dn_vs_sham_2") else x for x in ctx.analyses])
    assert ("- No usable study for Dry needling vs Sham (pain and disability), setting aside Rajfur et al. (2022). "
            "@tbl-excluded says why each was set aside.") in str(summary_section(aside)).splitlines()
    # Set aside by one analysis of the pair only: said of that one.
    aside_one = dataclasses.replace(aside, analyses=[
        {**x, "excluded": []} if x["analysis"]["id"] == "dn_vs_sham" else x for x in aside.analyses])
    assert ("- No usable study for Dry needling vs Sham (pain and disability). Set aside for disability: Rajfur et al. "
            "(2022). @tbl-excluded says why each was set aside.") in str(summary_section(aside_one)).splitlines()
    # Each analysis's own trials a sentence of their own: joined in one list, a label with
    # a comma in it left no telling which trials went with which analysis.
    unverified = {"label": "Rajfur et al. (2024), authors unverified", "reason": "no SD", "refs": []}
    aside_both = dataclasses.replace(aside, analyses=[
        {**x, "excluded": [*x["excluded"], unverified]} if x["analysis"]["id"] == "dn_vs_sham"
        else {**x, "excluded": [unverified]} if x["analysis"]["id"] == "dn_vs_sham_2" else x for x in aside.analyses])
    assert ("- No usable study for Dry needling vs Sham (pain and disability). Set aside for pain: Rajfur et al. "
            "(2022) and Rajfur et al. (2024), authors unverified. Set aside for disability: Rajfur et al. (2024), "
            "authors unverified. @tbl-excluded says why each was set aside.") in str(
                summary_section(aside_both)).splitlines()
    # Each comparison a sentence of its own, not one line joined by semicolons.
    other_pair = {**other_outcome, "analysis": {**other_outcome["analysis"], "id": "dn_vs_acu",
                                                "comparator_label": "Acupuncture"}, "status": "no_studies",
                  "studies": [], "k": 0}
    two = dataclasses.replace(aside, analyses=[*aside.analyses, other_pair])
    line = next(x for x in str(summary_section(two)).splitlines() if x.startswith("- No usable study"))
    assert line == ("- No usable study for Dry needling vs Sham (pain and disability), setting aside Rajfur et al. "
                    "(2022). Nor for Dry needling vs Acupuncture (disability). @tbl-excluded says why each was "
                    "set aside.")
    assert "; " not in line
    # One with published reviews to give keeps a line of its own.
    m = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")["external"][0]
    ctx = dataclasses.replace(ctx, analyses=[{**x, "external": [m]} if x["analysis"]["id"] == "dn_vs_sham_2" else x
                                             for x in ctx.analyses])
    lines = str(summary_section(ctx)).splitlines()
    assert "- No usable study for Dry needling vs Sham (pain)." in lines
    assert [x for x in lines if x.startswith("- Dry needling vs Sham (disability): no usable study. [Published")]
    # Its trials set aside follow as a sentence, before the reviews.
    told = dataclasses.replace(ctx, analyses=[
        {**x, "excluded": [{"label": "Rajfur et al. (2022)", "reason": "timepoint not reported", "refs": []}]}
        if x["analysis"]["id"] == "dn_vs_sham_2" else x for x in ctx.analyses])
    assert [x for x in str(summary_section(told)).splitlines() if x.startswith(
        "- Dry needling vs Sham (disability): no usable study. Trial set aside (see @tbl-excluded): Rajfur et al. "
        "(2022). [Published")]
    # The reviews' caveat is said once, before the list, where any line gives reviews.
    assert lines[0].startswith("Analysis by analysis: the trials in these data, then the published meta-analyses")
    assert sum("share trials and differ in scope" in x for x in lines) == 1
    no_external = dataclasses.replace(ctx, analyses=[{**x, "external": []} for x in ctx.analyses])
    assert str(summary_section(no_external)).startswith("- ")


def test_judgements_on_studies_that_cannot_be_pooled_are_rated() -> None:
    # acu_vs_sham's two studies, set as not poolable: a body of evidence GRADE still rates.
    ctx = context(analyses=_with_certainty(**JUDGED))
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    r = {**r, "status": "not_poolable", "pooled": None, "reason": "mixed designs"}
    ctx = dataclasses.replace(ctx, analyses=[r if x["analysis"]["id"] == "acu_vs_sham" else x for x in ctx.analyses])
    assert key_results(ctx)["analyses"]["acu_vs_sham"]["certainty"] == "moderate"
    assert str(grade_facts(ctx, r)) == "k = 2; 138 participants; not pooled; risk of bias (overall): not recorded (2)"
    line = next(x for x in str(summary_section(ctx)).splitlines() if "not pooled (mixed designs)" in x)
    assert line.split(" [Published meta-analyses]")[0].endswith(
        "not pooled (mixed designs). Certainty of the evidence (GRADE): moderate (rated down for imprecision).")
    assert "rated for 1 of 2 analyses with an effect (1 moderate)" in str(bottom_line(ctx))


def test_grade_judgements_are_the_teams_in_words_and_their_key_is_in_the_provenance() -> None:
    # "judgements in `config/config.yaml` (`analyses[].certainty`)" and "(`studies: {id:
    # code}`)" gave a clinician reading the certainty table and the methods a file and its
    # keys; they now say whose judgements these are, and the provenance names the key.
    ctx = context(analyses=_with_certainty(**JUDGED))
    table_md = str(certainty_table(ctx))
    assert "from the review team's judgements: evidence from randomised trials starts at high" in table_md
    assert "Recorded with the judgements, it lets the report tell judgements made on data" in table_md
    intro = table_md.split("\n| ", 1)[0]
    assert "config" not in intro and "`" not in intro
    risk = next(x for x in str(methods_section(ctx)).splitlines() if x.startswith("- **Risk of bias and certainty**"))
    assert "(Guyatt et al. 2008; Cochrane Handbook chapter 14) from the review team's judgements, the risk-of-bias " \
        "domain included" in risk
    assert "config" not in risk and "`" not in risk
    assert ("the team's GRADE judgements of an analysis, `certainty` in its entry under `analyses` (each study's "
            "data code under its `studies`)") in str(provenance_section(ctx))
    assert "GRADE judgements" not in str(provenance_section(context()))


def test_the_certainty_table_is_a_summary_of_findings_with_each_analysis_s_effect() -> None:
    import math

    from metareview.report.base import absolute_text
    from metareview.report.tables import _sof_effect

    ctx = context()
    # A binary analysis's one trial: the RR as the results print it, the difference per
    # 1,000 the detail computes at the trial's comparator risk (300 per 1,000), and the
    # participants and studies, as a summary-of-findings table gives them.
    one = {"analysis": {"id": "a", "measure": "RR", "scale": "log", "favours_intervention_when": "above",
                        "intervention_label": "Acupuncture", "comparator_label": "Sham"},
           "status": "single_study", "k": 1, "pooled": None,
           "studies": [{"study_id": "S0", "label": "S0", "yi": math.log(1.5), "ci_lb": math.log(1.2),
                        "ci_ub": math.log(2.0), "events2": 30, "n2": 100, "n1": 100}]}
    assert _sof_effect(ctx, one) == ("RR 1.50 (1.20 to 2.00); 150 more per 1,000 (60 more to 300 more) against "
                                     "300 per 1,000 with the comparator; 200 participants (1 study)")
    assert absolute_text(one).endswith(": 150 more per 1,000 (60 more to 300 more)")
    # A continuous one: no difference per 1,000; a study without arm sizes is said.
    md = {**one, "analysis": {**one["analysis"], "measure": "MD", "scale": "linear"},
          "studies": [{"study_id": "S0", "label": "S0", "yi": -0.5, "ci_lb": -0.9, "ci_ub": -0.1},
                      {"study_id": "S1", "label": "S1", "yi": -0.4, "ci_lb": -0.8, "ci_ub": 0.0, "n1": 20, "n2": 20}],
          "status": "pooled", "k": 2, "pooled": {"estimate": -0.45, "ci_lb": -0.75, "ci_ub": -0.15}}
    assert _sof_effect(ctx, md) == "MD −0.45 (−0.75 to −0.15); 40 participants in 1 of 2 studies"
    # On a common scale, its points, as the Results give them: the table is read on its own,
    # and "MD −0.45" alone does not say whether that is much.
    pain = {**md, "analysis": {**md["analysis"], "outcome": "pain"}}
    assert _sof_effect(ctx, pain) == (
        "MD −0.45 points on the 0 to 10 scale (−0.75 to −0.15); 40 participants in 1 of 2 studies")
    days = dataclasses.replace(ctx, config={**ctx.config, "outcomes": {"pain": {"label": "Pain", "unit": "days"}}})
    assert _sof_effect(days, pain).startswith("MD −0.45 days (−0.75 to −0.15); ")
    assert _sof_effect(ctx, {**md, "status": "not_poolable", "pooled": None}) == (
        "not pooled; 40 participants in 1 of 2 studies")
    assert _sof_effect(ctx, {**md, "status": "no_studies", "studies": [], "k": 0, "pooled": None}) == "–"


def test_risk_of_bias_rated_without_judgements_in_the_data_is_pointed_out() -> None:
    ctx = context(analyses=_with_certainty(**JUDGED))  # acu_vs_sham: risk of bias rated, A and B judged
    row = next(x for x in str(certainty_table(ctx)).splitlines() if x.startswith("| ") and "Sham (pain)" in x
               and "risk of bias:" in x)
    assert "Risk of bias was rated with no overall risk-of-bias judgement recorded for any of its 2 studies" in row
    assert "risk\\_of\\_bias.csv" not in row
    # With both studies' overall judgements recorded, nothing to point out.
    docs = [{**d, "risk_of_bias": [{"domain": "overall", "judgement": "low"}]} for d in ctx.normalised]
    row = next(x for x in str(certainty_table(dataclasses.replace(ctx, normalised=docs))).splitlines()
               if x.startswith("| ") and "Sham (pain)" in x and "risk of bias:" in x)
    assert "no overall judgement" not in row


def test_a_one_study_note_reads_as_one_and_inconsistency_rated_down_for_it_is_said() -> None:
    from metareview.certainty import ONE_STUDY_INCONSISTENCY

    # dn_vs_sham rests on C alone: risk of bias rated with no judgement recorded for it, and
    # inconsistency rated down where there is no other study to differ from.
    judged = {**JUDGED, "studies": ["C"], "risk_of_bias": {"rating": "serious", "reason": "open label"},
              "inconsistency": {"rating": "serious", "reason": "centres differ"}}
    ctx = context(analyses=[{**a, "certainty": judged} if a["id"] == "dn_vs_sham" else a for a in CONFIG["analyses"]])
    row = next(x for x in str(certainty_table(ctx)).splitlines() if x.startswith("| Dry needling"))
    assert "risk-of-bias judgement recorded for its one study (" in row and "of its 1 study" not in row
    assert escape(ONE_STUDY_INCONSISTENCY) in row
    # Said, not refused: the level stands, the team's reason beside the rating.
    assert "| very low |" in row and "inconsistency: serious (centres differ)" in row
    # Two studies: no such note.
    two = context(analyses=_with_certainty(**{**JUDGED, "inconsistency": {"rating": "serious", "reason": "I²"}}))
    assert escape(ONE_STUDY_INCONSISTENCY) not in str(certainty_table(two))


def test_risk_of_bias_judgements_are_shown_study_by_study() -> None:
    from metareview.report import risk_of_bias_section

    ctx = context()
    assert "no risk-of-bias judgement is recorded for any study" in str(risk_of_bias_section(ctx))
    docs = [dict(d) for d in ctx.normalised]
    a = next(d for d in docs if d["study"]["study_id"] == "A")
    a["risk_of_bias"] = [
        {"tool": "RoB2", "domain": "overall", "judgement": "some_concerns", "assessed_by": "Review team"},
        {"tool": "RoB2", "domain": "D1 randomisation", "judgement": "low", "assessed_by": "Review team",
         "support": "Central computer randomisation."},
        {"tool": "RoB2", "domain": "D2 deviations from intended interventions", "judgement": "some_concerns",
         "assessed_by": "Review team"}]
    text = str(risk_of_bias_section(dataclasses.replace(ctx, normalised=docs)))
    row = next(x for x in text.splitlines() if x.startswith(f"| {escape(SCRIPT)}"))
    # Each judgement's support, which the caption says the table gives, beside it.
    assert [c.strip() for c in row.strip("|").split(" | ")][1:] == [
        "RoB2", "some concerns", "D1 randomisation: low; D2 deviations from intended interventions: some concerns",
        "D1 randomisation: Central computer randomisation.", "Review team"]
    assert "{#tbl-risk-of-bias}" in text


def test_the_bottom_line_gives_the_level_of_each_clear_pooled_finding() -> None:
    ctx = context(analyses=_with_certainty(**JUDGED))
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    clear = {**r, "pooled": {**r["pooled"], "ci_lb": -0.9, "ci_ub": -0.1}}
    ctx = dataclasses.replace(ctx, analyses=[clear if x is r else x for x in ctx.analyses])
    # The finding worded by its level (moderate: "probably"), then the level and why.
    assert ", favouring " + escape(NODE_LABEL) + "; " + escape(_in_sentence(NODE_LABEL)) + " probably reduces pain " \
        "compared with sham; certainty of the evidence (GRADE): moderate (rated down for imprecision)." in str(
            bottom_line(ctx))
    none_rated = context(analyses=_with_certainty(studies=["A", "B"]))
    assert "from the review team's judgements: no analysis with an effect is rated yet; not rated, some domains " \
        "not judged: " in str(bottom_line(none_rated))


def test_the_limitations_count_the_rated_analyses_of_those_with_an_effect() -> None:
    ctx = context(analyses=_with_certainty(**JUDGED))
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    empty = dataclasses.replace(ctx, analyses=[
        {**x, "status": "no_studies", "studies": [], "k": 0} if x is r else x for x in ctx.analyses])
    line = next(x for x in str(limitations_section(empty)).splitlines() if "**Risk of bias and certainty**" in x)
    # The summary's denominator, and how many have nothing to rate.
    assert line.endswith("certainty of the evidence (GRADE) rated for 1 of 1 analysis with an effect; the other one "
                         "has no study effect to rate.")
    assert "rated for 1 of 1 analysis with an effect" in str(bottom_line(empty))
    # The audit row quotes the limitations as printed.
    row = next(x for x in audit_rows(empty) if x[1] == "analyses rated for certainty (GRADE) (count)")
    assert "(\u201ccertainty of the evidence (GRADE) rated for 1 of 1 analysis with an effect; the other one has no " \
        "study effect to rate\u201d)" in row[-1]
    # Its entries those counted: the analysis with no effect is not among the unrated.
    assert row[6] == "config/config.yaml: analyses[0].id = acu_vs_sham"
    assert row[-1].startswith("rated (1): acu_vs_sham; 1 of the 1 analyses with an effect; printed in the limitations")
    # No GRADE judgement, some risk of bias judged: of the analyses with an effect too, the
    # 17 of the example counted 8 with no study among those GRADE could rate.
    def judged(c: ReportContext) -> ReportContext:
        return dataclasses.replace(c, normalised=[{**d, "risk_of_bias": [{"judgement": "low"}]}
                                                  if d["study"]["study_id"] == "A" else d for d in c.normalised])

    assert "rated for 0 of 2 analyses with an effect." in str(limitations_section(judged(context())))
    one = context()
    one = dataclasses.replace(one, analyses=[one.analyses[0], {**one.analyses[1], "studies": [], "status": "no_studies"}])
    assert ("rated for 0 of 1 analysis with an effect; the other one has no study effect to rate."
            in str(limitations_section(judged(one))))
    # Nothing judged at all: after "cannot be rated for any result", "rated for 0 of 2"
    # said it again: no count, and no audit row of one.
    line = next(x for x in str(limitations_section(one)).splitlines() if "**Risk of bias and certainty**" in x)
    assert line.endswith("cannot be rated for any result.") and "rated for 0" not in line, line
    assert "analyses rated for certainty (GRADE) (count)" not in {x[1] for x in audit_rows(one)}


def test_a_long_setting_text_is_shown_from_where_it_changed() -> None:
    question = "In adults with chronic non-specific low back pain, does dry needling reduce pain more than acupuncture?"
    before = dict(keys_of(a=entry(-0.5)), settings={"review.question": question})
    now = dict(keys_of(a=entry(-0.5)), settings={"review.question": question.replace("pain more", "pain and disability more")})
    line = changes_section(now, before).splitlines()[0]
    assert line.startswith("- The review’s question (`review.question`): “…") and "pain and disability more" in line
    assert len(line) < len(question) + 60


def test_no_grade_judgements_no_certainty_table() -> None:
    text, _, _ = build_report(TEMPLATE, context())
    assert "tbl-certainty" not in text and "certainty of the evidence (GRADE):" not in text
    # Said once, in the key messages' evidence point (a review without an indirect
    # comparison opens its bottom line with it: "Risk of bias was not assessed ...").
    assert text.count("risk of bias not assessed and certainty of the evidence (GRADE) not rated") == 1
    assert "no result here is rated for certainty" not in text


def test_a_study_added_since_the_judgements_leaves_them_out_of_date_and_what_changed_says_so() -> None:
    before = key_results(context(analyses=_with_certainty(**{**JUDGED, "studies": ["A", "B"]})))
    # B was not yet in the review when the team judged A alone... and now it is.
    stale = context(analyses=_with_certainty(**{**JUDGED, "studies": ["A"]}))
    keys = key_results(stale)
    assert keys["analyses"]["acu_vs_sham"]["certainty"] is None
    assert keys["analyses"]["acu_vs_sham"]["certainty_status"] == "out_of_date"
    summary = str(summary_section(stale))
    why = f"judged on {escape(SCRIPT)}; the analysis now rests on {escape(SCRIPT)} and {escape(TYPST)}"
    assert f"Certainty of the evidence (GRADE): not rated ({why})." in summary
    assert ("not rated, judged on studies, or on data, other than those they now hold: " + escape(NODE_LABEL) + " vs Sham (pain)"
            in str(bottom_line(stale)))
    level = "moderate (rated down for imprecision)"
    assert f"{escape(NODE_LABEL)} vs Sham: pain, short term (`acu_vs_sham`): **certainty changed**: {level} → not rated ({why})." in changes_section(keys, before)
    assert f"**certainty changed**: not rated ({why}) → {level}." in changes_section(before, keys)
    # Ratings with the same level, a reason edited: said, without a level change.
    edited = key_results(context(analyses=_with_certainty(
        **{**JUDGED, "imprecision": {"rating": "serious", "reason": "wide interval"}})))
    assert (f"{escape(NODE_LABEL)} vs Sham: pain, short term (`acu_vs_sham`): GRADE judgements edited: moderate (rated down for imprecision)."
            in changes_section(edited, before))
    assert "certainty" not in changes_section(before, before)
    # Recorded for the first time without a level (a domain not judged): no "changed".
    unjudged = key_results(context())
    partial = key_results(context(analyses=_with_certainty(studies=["A", "B"], imprecision=NOT_SERIOUS)))
    assert (f"{escape(NODE_LABEL)} vs Sham: pain, short term (`acu_vs_sham`): GRADE judgements recorded: not rated (risk of bias, inconsistency, indirectness and "
            "publication bias not judged).") in changes_section(partial, unjudged)
    assert f"{escape(NODE_LABEL)} vs Sham: pain, short term (`acu_vs_sham`): GRADE judgements removed." in changes_section(unjudged, partial)
    # Removed where they gave a level: the level goes, and why.
    assert (f"{escape(NODE_LABEL)} vs Sham: pain, short term (`acu_vs_sham`): **certainty changed**: moderate (rated down for imprecision) → not rated (no GRADE "
            "judgements recorded).") in changes_section(unjudged, before)
    # The order of the judged studies is no edit.
    reordered = key_results(context(analyses=_with_certainty(**{**JUDGED, "studies": ["B", "A"]})))
    assert "certainty" not in changes_section(reordered, before) and "GRADE" not in changes_section(reordered, before)
    # Same judgements, a study gone from the analysis: no level before or after, but the
    # reason moved.
    ctx = context(analyses=_with_certainty(studies=["A", "B"], imprecision=NOT_SERIOUS))
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    one_left = {**r, "studies": r["studies"][:1]}
    stale_partial = key_results(dataclasses.replace(ctx, analyses=[one_left if x is r else x for x in ctx.analyses]))
    assert (f"{escape(NODE_LABEL)} vs Sham: pain, short term (`acu_vs_sham`): without {escape(TYPST)}; GRADE: not rated (judged on {escape(SCRIPT)} and "
            f"{escape(TYPST)}; the analysis now rests on {escape(SCRIPT)}).") in changes_section(stale_partial, partial)
    # Key results of a build that kept no certainty: nothing is claimed to have changed.
    old = {**before, "analyses": {aid: {k: v for k, v in e.items() if not k.startswith("certainty")}
                                  for aid, e in before["analyses"].items()}}
    assert "certainty" not in changes_section(keys, old)


def test_a_naive_indirect_difference_says_which_side_it_favours() -> None:
    ctx = context()
    x = {"outcome": "pain", "measure": "SMD", "scale": "linear", "treatment_a_label": "Dry needling"}
    assert _naive_direction(ctx, x) == "Negative differences would favour dry needling."
    # Responders (beneficial events): a ratio above 1 favours the first treatment.
    x = {"outcome": "responders", "measure": "RR", "scale": "log", "treatment_a_label": "Dry needling"}
    assert _naive_direction(ctx, x) == "Ratios above 1 would favour dry needling."


def test_the_bottom_line_points_to_narrative_statements_comparing_the_two() -> None:
    ctx = context()
    x = ctx.indirect[0]
    assert _narrative_head_to_head(ctx, x) == ""  # Guideline G speaks of dry needling alone
    docs = [dict(d) for d in ctx.normalised]
    g = next(d for d in docs if d["study"]["study_id"] == "G")
    g["statements"] = [{**g["statements"][0], "node1": "acu", "node2": "dn", "quote": "Use <needles> & $money$ | now.",
                        "confidence": "high"}]
    ctx = dataclasses.replace(ctx, normalised=docs)
    # What each source says, in its own words (the row's quote, not the extraction's
    # summary), goes with its name (escaped: the quote is raw text).
    assert _narrative_head_to_head(ctx, x) == (" The only comparison of the two in the data, as this review defines "
                                               "them, is in words, without numbers "
                                               "to pool. Guideline G, a guideline, states: “Use \\<needles\\> \\& \\$money\\$ \\| now.” Such "
                                               "statements cannot be checked against numbers here (see @tbl-narrative).")
    # Of another outcome: not this comparison's.
    assert _narrative_head_to_head(ctx, {**x, "outcome": "disability"}) == ""
    # The same words for a second outcome are pointed to, not quoted twice.
    g["statements"] = [*g["statements"], {**g["statements"][0], "outcome": "disability"}]
    quoted: set[str] = set()
    assert "“Use" in _narrative_head_to_head(ctx, x, quoted)
    again = _narrative_head_to_head(ctx, {**x, "outcome": "disability"}, quoted)
    # By name: what the source is was said with its quote, in the same paragraph.
    assert again == " The statements in words quoted above (Guideline G) speak of it too."
    # Inside those brackets, a label's own year is set off by commas.
    g["study"] = {**g["study"], "label": "Guideline G (2019)"}
    quoted = set()
    _narrative_head_to_head(ctx, x, quoted)
    assert _narrative_head_to_head(ctx, {**x, "outcome": "disability"}, quoted) == (
        " The statements in words quoted above (Guideline G, 2019) speak of it too.")


def test_designs_read_as_a_reader_writes_them(built: tuple[str, list[list[Any]], dict[str, Any], ReportContext]) -> None:
    text = built[0]
    assert "| RCT, primary |" in text and "| meta-analysis, primary |" in text
    assert "| rct |" not in text and "meta analysis" not in text


def test_arms_alike_are_named_by_their_descriptions() -> None:
    def arm(arm_id: str, label: str, description: str | None = None, co: str | None = None) -> dict[str, Any]:
        return {"arm_id": arm_id, "treatment_label": label, "cointervention": co, "description": description}

    arms = [arm("i", "Acupuncture", "Individualized acupuncture; ten treatments over 7 weeks"),
            arm("s", "Acupuncture", "Standardized acupuncture; ten treatments"),
            arm("u", "Usual care", "Whatever the patients' doctors gave"), arm("x", "Exercise", co="usual_care")]
    assert arm_names(arms) == {"i": "Individualized acupuncture", "s": "Standardized acupuncture",
                               "u": "Usual care", "x": "Exercise + usual care"}
    # Without descriptions that tell them apart, the arms' ids do: "Pilates, Pilates" read
    # as one arm listed twice.
    assert arm_names([arm("a", "Sham"), arm("b", "Sham", "Sham"), arm("u", "Usual care")]) == {
        "a": "Sham (arm a)", "b": "Sham (arm b)", "u": "Usual care"}
    assert arm_names([arm("pil_low", "Pilates", "Same"), arm("pil_high", "Pilates", "Same; other dose")]) == {
        "pil_low": "Pilates (arm pil_low)", "pil_high": "Pilates (arm pil_high)"}


def test_the_evidence_table_tells_two_arms_of_one_treatment_apart() -> None:
    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    a = next(d for d in docs if d["study"]["study_id"] == "A")
    a["arms"] = [a["arms"][0], {**a["arms"][0], "arm_id": "i_high"}, a["arms"][1]]
    row = next(x for x in str(study_table(dataclasses.replace(ctx, normalised=docs))).splitlines()
               if x.startswith(f"| {escape(a['study']['label'])} |"))
    assert f"| {escape('acupuncture (arm i), acupuncture (arm i_high), sham acupuncture')} |" in row


def test_narrative_statements_name_their_outcome_in_words() -> None:
    ctx = context()
    assert "| Guideline G | guideline | dry needling (no comparator named) | Pain |" in narrative_section(ctx)
    docs = [dict(d) for d in ctx.normalised]
    g = next(d for d in docs if d["study"]["study_id"] == "G")
    g["statements"] = [{**g["statements"][0], "outcome": "quality_of_life"}]
    text = narrative_section(dataclasses.replace(ctx, normalised=docs))
    # Capitalised as the configured labels are ("Pain"), in the same column.
    assert "| Guideline G | guideline | dry needling (no comparator named) | Quality of life |" in text
    # A guideline known only from a blog post, which no one could trace: said beside its level.
    g["study"] = {**g["study"], "source_level": "secondary", "identity_confidence": "low"}
    text = narrative_section(dataclasses.replace(ctx, normalised=docs))
    assert "| Guideline G (secondary source; identity not established) | guideline |" in text
    # A label that already says it ("cited by the blog post (2024, unidentified)") is not
    # told twice, and the legend explains only the mark some row carries.
    g["study"] = {**g["study"], "label": "Guideline cited by the blog post (2024, unidentified)"}
    text = str(narrative_section(dataclasses.replace(ctx, normalised=docs)))
    assert "| Guideline cited by the blog post (2024, unidentified) (secondary source) | guideline |" in text
    assert "Identity not established" not in text


def test_a_narrative_statement_s_raw_row_is_kept_on_one_line() -> None:
    # "statements.csv row 2" fitted the column and "statements.csv row 22" broke before
    # its number: the reference is one unbreakable cell, the column as wide as it.
    ctx = context()
    text = str(narrative_section(ctx))
    row = next(x for x in text.splitlines() if x.startswith("| Guideline G |"))
    assert row.endswith("| statements.csv\u00a0row\u00a02 |"), row


def test_narrative_statements_name_both_arms_and_a_secondary_source() -> None:
    # Two statements of one source about dry needling, one against acupuncture and one
    # against sham, read alike when only the first arm was shown.
    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    c = next(d for d in docs if d["study"]["study_id"] == "C")
    statement = {**ctx.normalised[-1]["statements"][0], "arm1": "d", "arm2": "c", "node1": "dn", "node2": "sham"}
    c["statements"] = [statement]
    c["study"] = {**c["study"], "source_level": "secondary"}
    text = narrative_section(dataclasses.replace(ctx, normalised=docs))
    assert " (secondary source) | RCT | dry needling vs sham acupuncture | Pain |" in text


def test_a_long_list_of_pooled_studies_wraps_instead_of_taking_the_tables_width() -> None:
    # A pooled estimate names every study it pools. Written without spaces ("A;B;C"), a
    # list of a dozen studies was one unbreakable word: its column took most of the
    # table's width and the numbers beside it overflowed their cells in the PDF.
    ctx = context()
    pooled = next(r for r in ctx.analyses if r["pooled"])
    study = pooled["studies"][0]
    many = {**pooled, "studies": [{**study, "study_id": f"Trial{i:04d}x2020"} for i in range(12)]}
    ctx = dataclasses.replace(ctx, analyses=[many])
    row = next(r for r in audit_rows(ctx) if r[1] == "pooled estimate")
    assert row[2] == "; ".join(f"Trial{i:04d}x2020" for i in range(12))
    lines = audit_section(ctx, audit_rows(ctx)).splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("| Analysis | Quantity | Study |"))
    widths = dict(zip(lines[head].strip("| ").split(" | "), map(len, lines[head + 1].strip("| ").split(" | "))))
    # About one study id wide, not a dozen: the list wraps in its cell.
    assert widths["Study"] < 2 * len("Trial0000x2020")


def test_a_pooled_estimates_audit_row_gives_the_weights_the_study_table_prints() -> None:
    # The study-effects table prints each study's weight ("87.2") and the summary "87% of
    # the weight from ...": the pooled row gives them, and they are the random-effects
    # weights 1/(vi + tau2) of the study rows' own variances, as % of their sum.
    ctx = context()
    rows = audit_rows(ctx)
    pooled = next(x for x in rows if x[1] == "pooled estimate")
    tau2 = float(re.search(r"tau2 = ([0-9.e-]+);", pooled[8]).group(1))
    inverse = {x[2]: 1 / (x[4] + tau2) for x in rows if x[0] == pooled[0] and x[1] == "study effect"}
    assert sorted(inverse) == ["A", "B"]
    printed = dict(re.findall(r"(\w+) ([0-9.]+)%", pooled[8].split("as % of their sum: ", 1)[1].split(";", 1)[0]))
    for study, w in inverse.items():
        assert float(printed[study]) == pytest.approx(100 * w / sum(inverse.values()), rel=1e-5)
    # An analysis whose studies carry no weight (not pooled) gives none.
    assert all("weights 1/(vi" not in x[8] for x in rows if x[1] != "pooled estimate")


@pytest.mark.parametrize("test", ["knha", "adhoc", "z"])
def test_a_pooled_estimates_audit_row_says_how_its_se_comes_from_the_study_effects(test: str) -> None:
    # The row gave the interval and the critical value, not the SE between them: with
    # test adhoc (Hartung-Knapp's factor floored at 1) an auditor who recomputed with
    # plain Hartung-Knapp got another interval, and nothing said which was used.
    ctx = context(methods={**CONFIG["methods"], "test": test})
    rows = audit_rows(ctx)
    pooled = next(x for x in rows if x[1] == "pooled estimate")
    tau2 = float(re.search(r"tau2 = ([0-9.e-]+);", pooled[8]).group(1))
    effects = [(x[3], x[4]) for x in rows if x[0] == pooled[0] and x[1] == "study effect"]
    w = [1 / (v + tau2) for _, v in effects]
    s2 = sum(wi * (y - pooled[3]) ** 2 for wi, (y, _) in zip(w, effects)) / (len(effects) - 1)
    factor = {"knha": s2, "adhoc": max(1.0, s2), "z": 1.0}[test]
    assert pooled[4] == pytest.approx(factor / sum(w), rel=1e-9)  # the variance column, by hand
    formula = {"knha": "sqrt(s2 / sum w)", "adhoc": "sqrt(max(1, s2) / sum w)", "z": "sqrt(1 / sum w)"}[test]
    step = re.search(r"SE = (sqrt\(.*? / sum w\)) = ([0-9.e-]+)", pooled[8])
    assert step is not None and step.group(1) == formula, pooled[8]
    assert float(step.group(2)) == pytest.approx(math.sqrt(pooled[4]), rel=1e-5)
    if test != "z":
        assert float(re.search(r"s2 = sum w \(yi - estimate\)\^2 / \(k - 1\) = ([0-9.e-]+)",
                               pooled[8]).group(1)) == pytest.approx(s2, rel=1e-5)
    # An SE that the studies do not give back (a model fitted otherwise) is not explained
    # by a formula it was not computed with.
    r = next(r for r in ctx.analyses if r["pooled"])
    odd = dataclasses.replace(ctx, analyses=[{**r, "pooled": {**r["pooled"], "se": 2 * r["pooled"]["se"]}}])
    assert "SE = " not in next(x for x in audit_rows(odd) if x[1] == "pooled estimate")[8]


def test_a_pooled_estimates_audit_row_gives_every_number_of_its_line() -> None:
    # The pooled line prints the interval, the test and the heterogeneity; the audit row
    # gives them too, so each can be found without opening the results file.
    ctx = context()
    r = next(r for r in ctx.analyses if r["pooled"])
    pooled = {**r["pooled"], "estimate": 0.1536, "se": 0.1046, "ci_lb": -1.175, "ci_ub": 1.482, "tval": 1.469,
              "zval": 1.469, "df": 1, "pval": 0.3805, "QE": 0.1485, "QEp": 0.7, "I2": 0.0, "k": 2, "tau2": 0.0,
              "leave1out": None}
    ctx = dataclasses.replace(ctx, analyses=[{**r, "pooled": pooled}])
    row = next(x for x in audit_rows(ctx) if x[1] == "pooled estimate")
    # Q's p of 0.7 to four significant digits, zeros kept: "p = 0.7" read as exact.
    # The critical value is R's qt(0.975, 1) = 12.7062047 (the text prints 12.71).
    assert row[8].startswith("k = 2; tau2 = 0; from the study effects above; weights ")
    assert row[8].split("; ", 4)[4].startswith(
        "CI \u22121.175 to 1.482; t = 1.469 (df = 1), p = 0.3805, critical value t(0.975, df = 1) = 12.7062; "
        "QE = 0.1485 (df = 1, p = 0.7000); I2 = 0%")
    # A z test (no Hartung-Knapp) has no degrees of freedom.
    pooled.update(tval=None, zval=-2.5, df=None, pval=0.01242)
    row = next(x for x in audit_rows(ctx) if x[1] == "pooled estimate")
    assert "; z = \u22122.5, p = 0.01242; QE = " in row[8]
    assert "searched up to" not in row[8]  # metafor's default search: nothing to pass
    # A mean difference on a 0-100 scale searched τ² up to 100² = 10000: the control an
    # auditor passes to metafor for the same bounds.
    pooled["tau2_max"] = 10000.0
    row = next(x for x in audit_rows(ctx) if x[1] == "pooled estimate")
    assert row[8].endswith("; tau2 interval searched up to 10000 (metafor: control = list(tau2.max = 10000))")


def test_a_pooled_estimates_audit_row_gives_its_heterogeneity_intervals() -> None:
    # The pooled line also prints the Q-profile intervals of tau2 and I2 and, from three
    # studies, the prediction interval: the audit row gives each of them as well.
    ctx = context()
    r = next(r for r in ctx.analyses if r["pooled"])
    # Two SMDs, Cherkin 2009 (0.16909, vi 0.012547) and Kwon 2007 (0.04864, vi 0.08517):
    # Q(0) = 0.14847 is above chi2(0.025, 1) = 0.000982, so the lower bound is 0; the upper
    # bound solves the generalised Q(tau2) = 0.000982 (7.33757, metafor's confint). I2 at
    # it is 100 tau2 / (tau2 + s2), s2 = (k - 1) sum(w) / (sum(w)^2 - sum(w^2)) = 0.049784:
    # 100 x 7.33757 / 7.38736 = 99.326 (99.3385 with s2 unrounded).
    pooled = {**r["pooled"], "estimate": 0.1536, "se": 0.1046, "ci_lb": -1.175, "ci_ub": 1.482, "tval": 1.469,
              "zval": 1.469, "df": 1, "pval": 0.3805, "QE": 0.1485, "QEp": 0.7, "I2": 0.0, "k": 2, "tau2": 0.0,
              "tau2_ci_lb": 0.0, "tau2_ci_ub": 7.33757, "I2_ci_lb": 0.0, "I2_ci_ub": 99.3385, "ci_lb_sign": "",
              "ci_ub_sign": "", "pi_lb": None, "pi_ub": None, "tau2_max": None, "leave1out": None}
    ctx = dataclasses.replace(ctx, analyses=[{**r, "pooled": pooled}])
    row = next(x for x in audit_rows(ctx) if x[1] == "pooled estimate")
    assert row[8].endswith("; I2 = 0%; tau2 CI (Q-profile) 0 to 7.33757; I2 CI 0% to 99.3385%")
    assert "PI " not in row[8]  # two studies: no prediction interval printed, none traced
    # A bound at the end of the search interval keeps metafor's sign, as the report prints
    # it ("> 100.000"), and so does the I2 bound taken from it.
    pooled.update(tau2_ci_ub=100.0, I2_ci_ub=99.95, ci_ub_sign=">")
    row = next(x for x in audit_rows(ctx) if x[1] == "pooled estimate")
    assert "; tau2 CI (Q-profile) 0 to > 100; I2 CI 0% to > 99.95%" in row[8]
    # No tau2 compatible with the data: said, not printed as an interval.
    pooled.update(ci_lb_sign="<", ci_ub_sign="<")
    row = next(x for x in audit_rows(ctx) if x[1] == "pooled estimate")
    assert "tau2 CI (Q-profile) empty" in row[8] and "I2 CI" not in row[8]
    # Three studies give a prediction interval: pred -/+ t(k - 1) sqrt(SE^2 + tau2).
    pooled.update(k=3, df=2, ci_lb_sign="", ci_ub_sign="", tau2=0.04, pi_lb=-0.5, pi_ub=0.75)
    row = next(x for x in audit_rows(ctx) if x[1] == "pooled estimate")
    assert "; I2 = 0%; PI \u22120.5 to 0.75; tau2 CI (Q-profile) 0 to 100; I2 CI" in row[8]


def test_report_is_deterministic() -> None:
    assert build_report(TEMPLATE, context()) == build_report(TEMPLATE, context())


def test_audit_rows_trace_to_raw_rows(built: tuple[str, list[list[Any]], dict[str, Any], ReportContext]) -> None:
    _, audit, _, ctx = built
    assert all(len(r) == len(AUDIT_HEADER) for r in audit)
    effects = [r for r in audit if r[1] == "study effect"]
    pooled = [r for r in audit if r[1] == "pooled estimate"]
    assert sorted((r[0], r[2]) for r in effects) == [("acu_vs_sham", "A"), ("acu_vs_sham", "B"), ("dn_vs_sham", "C")]
    a_row = next(r for r in effects if r[2] == "A")
    # A's two arm rows are the first two data rows of arm_outcomes.csv (rows 2 and 3)
    assert a_row[5] == "arm_outcomes.csv row 2; arm_outcomes.csv row 3"
    # ... and the cells read from them, in the file's column order, each with its value.
    assert a_row[6] == ("arm_outcomes.csv row 2: value_type = final, n = 30, mean = 3, sd = 2, timepoint_weeks = 6; "
                        "arm_outcomes.csv row 3: value_type = final, n = 30, mean = 4, sd = 2, timepoint_weeks = 6")
    c_row = next(r for r in effects if r[2] == "C")
    assert c_row[5] == "contrasts.csv row 2"
    assert c_row[6] == ("contrasts.csv row 2: timepoint_weeks = 6, sign_convention = arm1_minus_arm2, measure = SMD, "
                        "estimate = -0.4, n1 = 20, n2 = 20")
    # Rows a conversion step names by reference are named by file and row too.
    analyses = [dict(r) for r in ctx.analyses]
    acu = next(r for r in analyses if r["analysis"]["id"] == "acu_vs_sham")
    acu["studies"] = [{**acu["studies"][0], "steps": ["arm_outcomes.csv:A#2: VAS rescaled",
                                                      "n = 30 taken from arms.csv:A#1, column n_analysed"]}]
    a_again = next(r for r in audit_rows(dataclasses.replace(ctx, analyses=analyses)) if r[2] == "A")
    assert a_again[8].startswith(
        "arm_outcomes.csv row 3: VAS rescaled | n = 30 taken from arms.csv row 2, column n_analysed | 95% CI = ")
    (p,) = pooled
    res = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    assert p[2] == "A; B" and p[3] == res["pooled"]["estimate"]
    assert p[4] == pytest.approx(res["pooled"]["se"] ** 2)
    # A published meta-analysis' result, as the analysis shows it, with its raw row.
    (m,) = [r for r in audit if r[1] == "published result"]
    assert m[:5] == ["acu_vs_sham", "published result", "M", -0.5, None]
    assert m[5] == "contrasts.csv row 3" and m[6].startswith("contrasts.csv row 3: ") and "estimate = -0.5" in m[6]
    assert m[7] == "SMD as published" and m[8] == "as published"


def test_the_appendices_state_how_raw_rows_are_numbered(built) -> None:
    # "arm_outcomes.csv row 2" is the first data row: a reader opening the file must be
    # told that the header is row 1, in the report itself, not only in the README.
    text = built[0]
    evidence = text.split("{#sec-evidence}", 1)[1].split("{#sec-audit}", 1)[0]
    assert "the header is row 1, and a blank line counts as a row" in " ".join(evidence.split())
    audit = " ".join(text.split("{#sec-audit}", 1)[1].split())
    assert "the header being row 1" in audit
    # No measure the review may not use: a review of SMDs and risk ratios read of odds ratios.
    assert "odds" not in audit.split("Analysis names", 1)[0]
    # Not every row is a study effect or a pooled estimate: an anchored indirect
    # comparison's variance is a sum, and a published result has none, nor has the sum of
    # arm sizes a pooled forest plot prints. The fixture's analyses are SMDs: no word of
    # ratios or of differences per 1,000.
    # The fixture's claim is counted in the summary ("1 not checkable from the data"): a count of claims;
    # its limitations count the analyses ("of 2 analyses"), entries of the config. Its
    # pooled SMD is given in its instrument's points, a number in points with no variance.
    assert ("The value is on the analysis scale, but for an SMD in an instrument's points (the points), a summed "
            "count of participants or events (the sum), a "
            "count of studies (the number of trials or reviews counted, each named with the raw rows that make it "
            "one of them), a count of claims (the number of claims counted, each named with its row of "
            "claims.csv) and a count of analyses (the number of analyses or indirect comparisons counted, each "
            "named with its entry in the config, not a raw row); "
            "the variance is a study effect's sampling variance, a pooled or equal-effects estimate's squared standard error or an "
            "anchored indirect comparison's (the sum of its two sides'), and published results, SMDs in an "
            "instrument's points, summed counts, counts of studies, counts of claims and counts of analyses give "
            "none.") in audit
    assert "ratio" not in audit.split("Analysis names", 1)[0] and "per 1,000" not in audit.split("Analysis names", 1)[0]
    # With a risk ratio, its log and the difference per 1,000, a count with no variance.
    rr = {**CONFIG["analyses"][0], "id": "acu_vs_sham_rr", "measure": "RR"}
    said = audit_lead(context(analyses=[*CONFIG["analyses"], rr]))
    assert ("The value is on the analysis scale (for a ratio, its log; the ratio itself in the steps), but for a "
            "difference per 1,000 (a count), an SMD in an instrument's points (the points), a summed count of "
            "participants or events (the sum), a count of studies (") in said
    assert (", and published results, differences per 1,000, SMDs in an instrument's points, summed counts, counts "
            "of studies, counts of claims and counts of analyses give none.") in said


def test_the_audit_reads_the_cells_of_the_row_it_names_after_a_blank_line(tmp_path: Path) -> None:
    # The reader skips a blank line but counts it, as a spreadsheet shows it: every later
    # row keeps its spreadsheet number, and its cells must be those of that row, not of
    # the next one. Cherkin 2009's first arm row (arm 'indiv', n 157, SD 5.2) is followed
    # by arm 'std' (n 158, SD 5.5): both values are the raw file's own.
    import shutil

    from metareview.rawdata import read_raw, resolve_refs
    from metareview.report import raw_cells

    raw_dir = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw_dir)
    path = raw_dir / "arm_outcomes.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([lines[0], lines[1], "", *lines[2:]]), encoding="utf-8")  # row 3 left blank
    raw = read_raw(raw_dir, ROOT / "config" / "schemas" / "raw")
    refs = resolve_refs(raw)
    _, row = refs["arm_outcomes.csv:Cherkin2009#1"]
    record = next(r for r in csv.reader(path.read_text(encoding="utf-8").splitlines()[row - 1:row]))
    assert record[:2] == ["Cherkin2009", "indiv"] and record[8:11] == ["157", "10.8", "5.2"]
    ctx = dataclasses.replace(context(), raw_rows=refs,
                              raw_tables={t: [dict(r.values) for r in rows] for t, rows in raw.tables.items()},
                              raw_row_numbers={t: [r.row for r in rows] for t, rows in raw.tables.items()})
    cells = raw_cells(ctx, "arm_outcomes.csv:Cherkin2009#1")
    assert "n = 157, mean = 10.8, sd = 5.2" in cells, cells


def test_the_audit_quotes_each_raw_cell_as_typed() -> None:
    # arm_outcomes.csv row 5 (Brinkhaus 2006) holds sd "31.0" and contrasts.csv row 7
    # ci_ub "30.0": the audit's cells and the appendix's raw rows quote them so, not as
    # the parsed 31 and 30 (numbers computed from them keep their own formats).
    from metareview.rawdata import read_raw, resolve_refs
    from metareview.report import raw_cells
    from metareview.report.tables import _row_summary

    raw = read_raw(ROOT / "data" / "raw", ROOT / "config" / "schemas" / "raw")
    refs = resolve_refs(raw)
    by_row = {where: ref for ref, where in refs.items()}
    tables = {t: [dict(r.values) for r in rows] for t, rows in raw.tables.items()}
    numbers = {t: [r.row for r in rows] for t, rows in raw.tables.items()}
    texts = {t: [dict(r.text) for r in rows] for t, rows in raw.tables.items()}
    ctx = dataclasses.replace(context(), raw_rows=refs, raw_tables=tables, raw_row_numbers=numbers, raw_texts=texts)
    assert "mean = 23.6, sd = 31.0" in raw_cells(ctx, by_row[("arm_outcomes.csv", 5)])
    assert "ci_lb = 13.9, ci_ub = 30.0" in raw_cells(ctx, by_row[("contrasts.csv", 7)])
    # Without the cells' text, the parsed values with their digits.
    bare = dataclasses.replace(ctx, raw_texts={})
    assert raw_cells(bare, by_row[("arm_outcomes.csv", 5)]).endswith("mean = 23.6, sd = 31")
    row = tables["contrasts"][numbers["contrasts"].index(59)]
    assert _row_summary("contrasts", row, texts["contrasts"][numbers["contrasts"].index(59)]).endswith(
        "MD \u22121.56 (\u22122.80 to \u22120.95)")
    assert _row_summary("contrasts", row).endswith("MD \u22121.56 (\u22122.8 to \u22120.95)")


def test_the_audit_gives_the_steps_that_turned_a_published_result(monkeypatch: pytest.MonkeyPatch) -> None:
    # Manheimer 2005 prints SMD 0.54 with positive favouring acupuncture; the analysis shows
    # -0.54: the audit row says why.
    monkeypatch.setitem(globals(), "CONTRASTS", [CONTRASTS[0], {**CONTRASTS[1], "estimate": 0.54, "ci_lb": 0.35,
                                                                "ci_ub": 0.73, "sign_convention": "positive_favours_arm1"}])
    (m,) = [r for r in audit_rows(context()) if r[1] == "published result"]
    assert m[3] == -0.54 and "estimate = 0.54" in m[6]
    assert m[8] == ("reported with a positive value favouring arm1: sign reversed so that negative favours arm1 | "
                    "95% CI: ci_lb = 0.35, ci_ub = 0.73 \u2192 -0.73 to -0.35 (the conversion applied to each bound; "
                    "its ends swapped, as the sign reverses)")


def test_key_results(built: tuple[str, list[list[Any]], dict[str, Any], ReportContext]) -> None:
    _, _, keys, ctx = built
    assert keys["studies"] == ["A", "B", "C", "G", "M"]
    acu = keys["analyses"]["acu_vs_sham"]
    p = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")["pooled"]
    assert acu["status"] == "pooled" and acu["k"] == 2 and acu["studies"] == ["A", "B"]
    assert acu["significant"] == (p["ci_lb"] > 0 or p["ci_ub"] < 0)
    assert acu["direction"] == "favours intervention" and acu["favoured"] == "<b>Acupuncture</b> *x*"
    c = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    assert keys["analyses"]["dn_vs_sham"] == {"status": "single_study", "k": 1, "measure": "SMD", "studies": ["C"], "estimate": None,
                                              "study_effect": c["yi"], "ci_lb": c["ci_lb"], "ci_ub": c["ci_ub"],
                                              "significant": c["ci_lb"] > 0 or c["ci_ub"] < 0,
                                              "direction": "favours intervention", "favoured": "Dry needling",
                                              "timepoint": "week 6", "form": "reported SMD",
                                              # Its SMD row gives no value_type (final or change).
                                              "study_value_type": "unknown",
                                              "set_aside": {}, "excluded": [], "excluded_reasons": {}, "external": [], "certainty": None, "certainty_status": "not_assessed",
                                              "fingerprints": {"C": fingerprint(c["yi"], c["vi"], 20, 20)},
                                              # Not flagged for a baseline difference, and
                                              # no week-0 row read (its SMD is reported).
                                              "baseline_flags": {"C": {"flagged": False, "d": None}}}
    assert keys["analyses"]["acu_vs_sham"]["external"] == ["M"]  # the published review it shows
    assert keys["claims"] == {"both_work": ctx.claims[0]["verdict"]}
    assert keys["indirect"] == {"dn_vs_acu": "anchored"}
    # The settings the numbers depend on, flattened, for the next build's comparison.
    assert keys["settings"]["methods.method"] == "REML"
    assert keys["settings"]["windows.short.max_weeks"] == 12
    assert keys["settings"]["analyses.acu_vs_sham.measure"] == "SMD"
    assert "analyses.acu_vs_sham.id" not in keys["settings"]
    assert keys["study_data"] == study_digests(ctx.raw_tables) and set(keys["study_data"]) == set(keys["studies"])
    # The build that recorded them, for the next one to say which build it compares with.
    assert keys["built"] == {"date": "2024-05-06", "commit": "0123abc"}


def test_key_results_keep_a_single_ratio_and_its_interval_on_one_scale(
        built: tuple[str, list[list[Any]], dict[str, Any], ReportContext]) -> None:
    # A risk ratio of one trial: the effect on the log scale beside its log interval, and
    # both exponentiated beside each other; never an RR beside a log interval.
    _, _, _, ctx = built
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")
    log_r = {**r, "analysis": {**r["analysis"], "measure": "RR", "scale": "log"},
             "studies": [{**r["studies"][0], "yi": math.log(3.76), "ci_lb": -0.019, "ci_ub": 2.67}]}
    entry = key_results(dataclasses.replace(ctx, analyses=[log_r]))["analyses"]["dn_vs_sham"]
    assert entry["scale"] == "log"
    assert entry["ci_lb"] < entry["study_effect"] < entry["ci_ub"]
    assert entry["ci_lb_exp"] < entry["study_effect_exp"] < entry["ci_ub_exp"]
    assert entry["study_effect_exp"] == pytest.approx(3.76)
    # "What changed" speaks of the ratio, also against a build that stored it as study_effect.
    now = keys_of(a={**single(math.log(3.76), -0.019, 2.67), "scale": "log", "study_effect_exp": 3.76,
                     "ci_lb_exp": math.exp(-0.019), "ci_ub_exp": math.exp(2.67)})
    older = keys_of(a={**single(3.5, -0.019, 2.67), "scale": "log",
                       "ci_lb_exp": math.exp(-0.019), "ci_ub_exp": math.exp(2.67)})
    assert "study effect 3.50 \u2192 3.76" in changes_section(now, older)


# --- layout of reviews with many analyses ---------------------------------------------------------------


def section(text: str, heading: str) -> str:
    """The report's section under ``## heading`` (to the next section heading)."""
    start = text.index(f"## {heading} {{#sec-")
    end = re.compile(r"\n## [^\n]*\{#sec-").search(text, start + 1)
    return text[start:] if end is None else text[start:end.start()]


def test_the_appendices_name_each_analysis_by_its_heading_then_its_id(built) -> None:
    # A reader of the PDF knows an analysis by its Results heading, not by its config id
    # ("`acu_vs_sham`" alone); an auditor needs the id too, to find its files. The
    # appendix of raw rows gives the heading's title, then the id, and never the id
    # alone; the audit trail gives both on an analysis's first row, and its id on the
    # rows after it.
    text = built[0]
    assert f"### {ACU_VS_SHAM.removesuffix(' (`acu_vs_sham`)')} {{#sec-acu-vs-sham}}" in text
    indirect = f"Dry needling vs {escape(NODE_LABEL)}: pain (`dn_vs_acu`)"
    evidence = section(text, "Appendix: every reported result and what was done with it")
    for aid, named in (("acu_vs_sham", ACU_VS_SHAM), ("dn_vs_sham", DN_VS_SHAM)):
        assert evidence.count(f"`{aid}`") == evidence.count(named) > 0, aid
    # So does each of its two tables, the numbers' and the counts' (which has no row of
    # the indirect comparison).
    numbers, counts = section(text, "Appendix: audit trail").split("{#tbl-audit}", 1)
    for part, aids in ((numbers, ("acu_vs_sham", "dn_vs_sham", "dn_vs_acu")), (counts, ("acu_vs_sham", "dn_vs_sham"))):
        audit = [line for line in part.splitlines() if line.startswith("| ")][2:]
        for aid, named in (("acu_vs_sham", ACU_VS_SHAM), ("dn_vs_sham", DN_VS_SHAM), ("dn_vs_acu", indirect)):
            mine = [line for line in audit if f"(`{aid}`) |" in line or line.startswith(f"| `{aid}` |")]
            assert bool(mine) == (aid in aids), aid
            assert not mine or mine[0].startswith(f"| {named} |"), aid
            assert all(line.startswith(f"| `{aid}` |") for line in mine[1:]), aid
    # The audit CSV keeps the bare id, for a program to read.
    assert {row[0] for row in built[1]} >= {"acu_vs_sham", "dn_vs_sham", "dn_vs_acu"}


def test_indirect_comparisons_in_two_windows_have_headings_of_their_own() -> None:
    # Dry needling vs acupuncture on pain at 6 and at 26 weeks: both sections were headed
    # "Dry needling vs Acupuncture: pain", and the audit trail named them alike.
    ctx = context()
    later = {**ctx.indirect[0], "id": "dn_vs_acu_long", "window": "long"}
    config = {**ctx.config, "windows": {**ctx.config["windows"], "long": {
        "label": "Long term (13 to 52 weeks)", "min_weeks": 13, "max_weeks": 52, "target_weeks": 26}}}
    text = str(indirect_section(dataclasses.replace(ctx, config=config, indirect=[*ctx.indirect, later])))
    assert f"### Dry needling vs {escape(NODE_LABEL)}: pain, short term\n" in text
    assert f"### Dry needling vs {escape(NODE_LABEL)}: pain, long term\n" in text
    # One window: the heading as it was.
    assert f"### Dry needling vs {escape(NODE_LABEL)}: pain\n" in str(indirect_section(ctx))


def test_each_analysis_has_a_section_up_to_the_detail_limit(built: tuple[str, list[list[Any]], dict[str, Any],
                                                                         ReportContext]) -> None:
    at_limit, _, _ = build_report(TEMPLATE, context(report={"detail_limit": 2}))
    default, _, _, _ = built
    assert at_limit == default  # two analyses, limit 2 (and the default, 40): one section each
    results = section(default, "Results")
    assert results.count("\n### ") == 2 and "{#tbl-results}" not in results
    assert "![" in results  # forest plots


def test_above_the_detail_limit_the_results_are_one_table(built: tuple[str, list[list[Any]], dict[str, Any],
                                                                        ReportContext]) -> None:
    _, full_audit, full_keys, _ = built
    ctx = context(report={"detail_limit": 1})
    text, audit, keys = build_report(TEMPLATE, ctx)
    results = section(text, "Results")
    assert "\n### " not in results and "![" not in results
    assert "more than the 1 the report shows one by one, so each is one row of @tbl-results" in results
    # The setting and the files in words: their names are in the appendix and the provenance.
    intro = results.split("\n| ", 1)[0]
    assert ("Each analysis's forest plot, study effects and weights, and full results (heterogeneity, excluded "
            "trials) are kept in files named by its id, in the table's first column (see the [appendix on every "
            "reported result](#sec-evidence)); the [audit trail](#sec-audit) traces each of its numbers to the raw "
            "data.") in intro
    assert "`" not in intro and "config" not in intro and "results/" not in intro
    appendix = section(text, "Appendix: every reported result and what was done with it")
    assert all(f"`results/{path}`" in appendix for path in (
        "analyses/ID.json", "analyses/ID.effects.csv", "report/figures/ID.forest.svg"))
    assert "`make figures` adds a PNG copy" in appendix
    assert "the most analyses the report shows one by one, `report.detail_limit` (1);" in section(text, "Provenance")
    rows = [line for line in results.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) == len(ctx.analyses) == 2
    acu = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")["pooled"]
    acu_row = next(r for r in rows if r.startswith("| acu\\_vs\\_sham |"))
    assert f"\u2212{abs(acu['estimate']):.2f} (" in acu_row and f"{acu['I2']:.1f}%" in acu_row
    assert "confidence interval is compatible with no difference" in acu_row
    dn = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    dn_row = next(r for r in rows if r.startswith("| dn\\_vs\\_sham |"))
    assert f"\u2212{abs(dn['yi']):.2f} (" in dn_row and "one study: not pooled" in dn_row
    assert "{#tbl-results}" in results
    # The summary counts instead of listing each analysis.
    summary = spaced(section(text, "Summary"))
    assert "2 analyses: 1 pooled (0 with a confidence interval that lies wholly on one side of no difference); 1 with one study only" in summary
    assert "Dry needling vs Sham (pain)" not in summary
    # The audit CSV and the key results are the same whatever the layout, but for the
    # layout setting itself.
    assert audit == full_audit and {**keys, "settings": None} == {**full_keys, "settings": None}
    assert {k: v for k, v in keys["settings"].items() if full_keys["settings"].get(k) != v} == {
        "report.detail_limit": 1}
    # The appendix traces what the table prints: the pooled estimate and the single
    # study's effect, not the study effects behind the pooled estimate; and the indirect
    # comparison (dn vs acu through sham), whose section is printed in full. No section
    # prints a count of trials, nor does the summary: the table of counts has only the
    # summary's count of claims and the limitations' counts, printed in either layout.
    appendix, counts = section(text, "Appendix: audit trail").split("{#tbl-audit}", 1)
    assert [line.split("|")[2].strip() for line in counts.splitlines()
            if line.startswith("| ") and "---" not in line][1:] == [
        "claims of the source, not checkable from the data (count)", "claims of the source, citing no evidence (count)",
        "analyses by pooling (count)",
        "indirect comparisons by reason (count)",
        "trials used in an analysis with no risk-of-bias judgement (count)",
        "analyses with a study effect and no small-study test (count)"]
    printed = [line for line in appendix.splitlines() if line.startswith("| ") and "---" not in line][1:]
    # (and, its acupuncture side pooled on t(1), the indirect estimate from that side's
    # equal-effects estimate, printed beside it)
    assert len(printed) == 4
    assert any(f"| {EE_INDIRECT} |" in line for line in printed)
    assert any(line.startswith(f"| Dry needling vs {escape(NODE_LABEL)}: pain (`dn_vs_acu`) | anchored indirect estimate through Sham |") for line in printed)
    assert any("| pooled estimate | A; B |" in line and "from its study effects in audit.csv" in line
               for line in printed)
    assert any(line.startswith(f"| {DN_VS_SHAM} | study effect | C |") for line in printed)
    assert "All 3 study effects" in spaced(appendix)


#: The audit row of the indirect estimate from a t(1) side's equal-effects estimate.
EE_INDIRECT = ("anchored indirect estimate through Sham, from the equal-effects estimate of a side pooled on t(1) "
               "(sensitivity analysis)")


def test_a_figure_that_draws_published_meta_analyses_beside_trials_says_so_in_its_caption() -> None:
    ctx = context()
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    assert r["studies"] and plots.drawn_externals(r)

    def caption() -> str:
        figures = re.findall(r"^!\[(.*)\]\((.*)\)\{#(fig-[\w-]+)", results_section(ctx), flags=re.MULTILINE)
        return next(f[0] for f in figures if f[2] == "fig-acu-vs-sham")

    # The plot draws the review's result beneath the trials: the caption named the
    # comparison alone, as if the figure held nothing else.
    assert ", with published meta-analyses drawn apart, not pooled with the trials. " in caption()
    # None drawn (not on this analysis's scale): the caption does not speak of them.
    for e in r["external"]:
        e["comparable"] = False
    assert "published meta-analyses" not in caption()


def test_a_figure_of_published_smds_alone_does_not_call_them_hedges_g() -> None:
    # Each review computed its own SMD (Cohen's d, Glass's delta or g): with no trial of
    # ours on the axis, "SMD (Hedges' g)" named an estimator none of the drawn results
    # need have used. With trials, the estimator is theirs and stays named.
    ctx = context()
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")

    def caption_and_axis() -> tuple[str, str]:
        figures = re.findall(r"^!\[(.*)\]\((.*)\)\{#(fig-[\w-]+)", results_section(ctx), flags=re.MULTILINE)
        fig = plots._layout_forest(r)
        axis_title = fig.axis.label
        return next(f[0] for f in figures if f[2] == "fig-acu-vs-sham"), axis_title

    caption, axis_title = caption_and_axis()
    assert " vs Sham: pain (SMD, Hedges’ g), with " in caption and axis_title == "SMD (Hedges’ g)"
    r.update(status="no_studies", studies=[], pooled=None, k=0,
             reason="No trial reports this comparison with numbers an effect can be computed from.")
    caption, axis_title = caption_and_axis()
    assert " vs Sham: pain (SMD): published meta-analyses only" in caption and axis_title == "SMD"


def test_a_figure_of_published_meta_analyses_alone_is_embedded_and_an_empty_one_is_not() -> None:
    ctx = context()
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    # No usable trial; the published meta-analysis is drawn on the analysis's scale.
    r.update(status="no_studies", studies=[], pooled=None, k=0,
             reason="No trial reports this comparison with numbers an effect can be computed from.")
    assert r["external"] and plots.shows_results(r)
    results = results_section(ctx)
    figures = re.findall(r"^!\[(.*)\]\((.*)\)\{#(fig-[\w-]+)", results, flags=re.MULTILINE)
    ours = [f for f in figures if f[2] == "fig-acu-vs-sham"]
    assert len(ours) == 1 and ours[0][1] == ctx.figures["acu_vs_sham"]
    assert "published meta-analyses only, not pooled; no usable trial." in ours[0][0]
    assert "{#tbl-acu-vs-sham}" not in results  # no study effects to tabulate
    # Nothing drawn (the review's result is not on this scale): no figure of an empty axis.
    for e in r["external"]:
        e["comparable"] = False
    assert not plots.shows_results(r)
    assert "{#fig-acu-vs-sham " not in results_section(ctx)
    # Numbering still follows the figures embedded, in both renderers (the Lua filter and
    # Quarto number what is there).
    text, _, _ = build_report(TEMPLATE, ctx)
    assert "{#fig-acu-vs-sham " not in text and "@fig-acu-vs-sham" not in text


def test_analyses_named_in_report_detailed_keep_their_section_above_the_limit() -> None:
    ctx = context(report={"detail_limit": 1, "detailed": ["acu_vs_sham"]})
    text, _, _ = build_report(TEMPLATE, ctx)
    results = section(text, "Results")
    assert "{#tbl-results}" in results
    assert results.count("\n### ") == 1 and "{#sec-acu-vs-sham}" in results and "{#fig-acu-vs-sham " in results
    # Which analyses those are, in words; the key in the provenance.
    assert "The analyses the review asks to see whatever their number are shown in full below.\n" in results
    assert "report.detailed" not in results
    assert ("`report.detail_limit` (1), and those it shows in full whatever their number, `report.detailed`"
            in section(text, "Provenance"))
    assert "{#sec-dn-vs-sham}" not in results
    # The summary counts; its line opens the results, and its study effects are in the appendix.
    summary = spaced(section(text, "Summary"))
    assert "2 analyses: 1 pooled" in summary and "vs Sham (pain): SMD" not in summary
    assert "vs Sham (pain): SMD" in results.split("\n### ")[0]
    appendix, counts = section(text, "Appendix: audit trail").split("{#tbl-audit}", 1)
    printed = [line for line in appendix.splitlines() if line.startswith("| ") and "---" not in line][1:]
    # Its count of candidate trials, in the table of counts after the numbers.
    assert "| candidate trials (count) | A; B | 2 |" in counts and "`dn_vs_sham`" not in counts
    # The analysis shown in full prints the published result beside its trials (M); the
    # indirect comparison is traced to the two effects it takes, by their studies' ids
    # (dn vs sham: C; acu vs sham: A and B pooled, its estimate and the sums of arm sizes
    # its forest plot prints).
    assert sorted({line.split(" | ")[2] for line in printed}) == ["A", "A; B", "B", "C", "C; A; B", "M"]
    assert [line.split(" | ")[1] for line in printed][-2:] == ["anchored indirect estimate through Sham", EE_INDIRECT]
    assert any("| pooled estimate | A; B |" in line and "from the study effects above" in line for line in printed)


# --- what changed since the last build ------------------------------------------------------------------------


def keys_of(**analyses: dict[str, Any]) -> dict[str, Any]:
    return {"studies": ["A", "B"], "analyses": analyses, "claims": {"c1": "supported"}}


def entry(est: float | None, lb: float = -1.0, ub: float = -0.1, status: str = "pooled", k: int = 3) -> dict[str, Any]:
    if est is None:
        return {"status": status, "k": k, "studies": [], "estimate": None}
    return {"status": status, "k": k, "studies": [], "estimate": est, "ci_lb": lb, "ci_ub": ub,
            "significant": lb > 0 or ub < 0, "direction": "favours intervention" if est < 0 else "favours comparator"}


# --- provenance -------------------------------------------------------------------------------------------------


def test_build_date_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert build_date() == "1970-01-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    assert build_date() == "2023-11-14"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", build_date())


def test_collect_provenance_sorts_inputs_and_reads_checksums(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    (tmp_path / "b.csv").write_bytes(b"")
    (tmp_path / "a.csv").write_bytes(b"abc")
    prov = collect_provenance([str(tmp_path / "b.csv"), str(tmp_path / "a.csv")], "pandoc", tmp_path)
    assert prov["checksums"] == [
        (str(tmp_path / "a.csv"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (str(tmp_path / "b.csv"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ]
    assert prov["build_date"] == "1970-01-02"
    assert prov["git_commit"] == "unknown (not a git checkout)"
    assert prov["software"]["Python"].count(".") == 2
    assert "numpy" in prov["software"]
    assert prov["renderer"].startswith("the offline path: pandoc ") and "(PyPI pypandoc-binary " in prov["renderer"]


def test_git_commit_marks_uncommitted_changes(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=tmp_path,
                              check=True, capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    (tmp_path / "f.txt").write_text("1")
    git("add", "f.txt")
    git("commit", "-q", "-m", "first")
    head = git("rev-parse", "HEAD")
    assert git_commit(tmp_path) == head
    (tmp_path / "untracked.txt").write_text("not part of the tree")
    assert git_commit(tmp_path) == head
    (tmp_path / "f.txt").write_text("2")
    assert git_commit(tmp_path) == head + " + uncommitted changes"


def test_source_state_follows_the_last_commit_changing_a_workflow_input(tmp_path: Path) -> None:
    def git(*args: str, when: int | None = None) -> str:
        env = dict(os.environ)
        if when is not None:
            env.update(GIT_AUTHOR_DATE=f"@{when} +0000", GIT_COMMITTER_DATE=f"@{when} +0000")
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=tmp_path,
                              check=True, capture_output=True, text=True, env=env).stdout.strip()

    no_env: dict[str, str] = {}
    assert source_state(tmp_path, env=no_env).commit == NOT_GIT
    git("init", "-q")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "t.csv").write_text("a\n1\n")
    (tmp_path / "README.md").write_text("about\n")
    git("add", ".")
    git("commit", "-q", "-m", "data", when=1_000_000_000)
    data_commit = git("rev-parse", "HEAD")
    (tmp_path / "README.md").write_text("about, reworded\n")
    (tmp_path / "data" / "README.md").write_text("the codebook\n")  # documentation beside the data
    git("add", ".")
    git("commit", "-q", "-m", "docs only", when=1_100_000_000)
    # A documentation-only commit is not a new source of the outputs: same commit, same date.
    state = source_state(tmp_path, env=no_env)
    assert (state.commit, state.epoch) == (data_commit, 1_000_000_000)
    # SOURCE_DATE_EPOCH overrides the date, not the commit.
    assert source_state(tmp_path, env={"SOURCE_DATE_EPOCH": "86400"}).epoch == 86400
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH must be an integer"):
        source_state(tmp_path, env={"SOURCE_DATE_EPOCH": "yesterday"})
    (tmp_path / "README.md").write_text("uncommitted docs\n")
    assert source_state(tmp_path, env=no_env).commit == data_commit
    (tmp_path / "data" / "new.csv").write_text("b\n2\n")  # an untracked input counts
    assert source_state(tmp_path, env=no_env).commit == data_commit + " + uncommitted changes"
    git("add", ".")
    git("commit", "-q", "-m", "more data", when=1_200_000_000)
    state = source_state(tmp_path, env=no_env)
    assert (state.commit, state.epoch) == (git("rev-parse", "HEAD"), 1_200_000_000)
    assert build_date(state.epoch) == "2008-01-10"


def test_source_state_marks_a_shallow_clone_that_lacks_the_last_input_commit(tmp_path: Path) -> None:
    origin, clone = tmp_path / "origin", tmp_path / "clone"
    origin.mkdir()

    def git(*args: str, cwd: Path = origin, when: int | None = None) -> str:
        env = dict(os.environ)
        if when is not None:
            env.update(GIT_AUTHOR_DATE=f"@{when} +0000", GIT_COMMITTER_DATE=f"@{when} +0000")
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd,
                              check=True, capture_output=True, text=True, env=env).stdout.strip()

    git("init", "-q")
    (origin / "config").mkdir()
    (origin / "config" / "c.yaml").write_text("a: 1\n")
    git("add", ".")
    git("commit", "-q", "-m", "config", when=900_000_000)
    (origin / "data").mkdir()
    (origin / "data" / "t.csv").write_text("a\n1\n")
    git("add", ".")
    git("commit", "-q", "-m", "data", when=1_000_000_000)
    data_commit = git("rev-parse", "HEAD")
    (origin / "README.md").write_text("about\n")
    git("add", ".")
    git("commit", "-q", "-m", "docs only", when=1_100_000_000)
    docs_commit = git("rev-parse", "HEAD")
    no_env: dict[str, str] = {}
    full = source_state(origin, env=no_env)
    assert (full.commit, full.epoch, full.shallow) == (data_commit, 1_000_000_000, False)

    # A clone of depth 1 holds only the docs commit, which then seems to add data/t.csv:
    # without the mark its report would cite that commit and date, unlike a full clone's.
    git("clone", "-q", "--depth", "1", origin.as_uri(), str(clone), cwd=tmp_path)
    state = source_state(clone, env=no_env)
    assert (state.commit, state.epoch, state.shallow) == (docs_commit + SHALLOW, 1_100_000_000, True)
    (clone / "data" / "t.csv").write_text("a\n2\n")
    assert source_state(clone, env=no_env).commit == docs_commit + SHALLOW + " + uncommitted changes"
    (clone / "data" / "t.csv").write_text("a\n1\n")

    # Deep enough to hold the data commit's parent (git cannot tell a clone's oldest
    # commit from a root commit): the full clone's answer.
    git("fetch", "-q", "--deepen", "2", cwd=clone)
    state = source_state(clone, env=no_env)
    assert (state.commit, state.epoch, state.shallow) == (data_commit, 1_000_000_000, False)


def test_renderer_description_without_quarto(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    assert renderer_description("quarto") == "Quarto unknown version (quarto render)"
    # The engines' versions, not only their wheels' (pypandoc-binary 1.17 holds pandoc 3.9).
    from importlib import metadata

    text = renderer_description("pandoc")
    assert re.search(r"pandoc \d+\.\d+[.\d]* \(PyPI pypandoc-binary \d", text), text
    assert re.search(r"Typst \d+\.\d+[.\d]* \(PyPI typst " + re.escape(metadata.version("typst")) + r"\)", text), text


def test_a_tau2_bound_beyond_the_search_interval_reads_as_a_bound() -> None:
    # With two studies the Q-profile upper bound can lie beyond the largest tau^2 searched:
    # the number is then that end (100), not an estimate, and reads "> 100.000".
    ctx = context()
    r = next(r for r in ctx.analyses if r["status"] == "pooled")
    assert r["pooled"]["ci_ub_sign"] == "" and "(Q-profile 95% CI 0.000 to " in str(results_section(ctx))
    at_end = {**r, "pooled": {**r["pooled"], "tau2_ci_ub": 100.0, "ci_ub_sign": ">"}}
    text = str(results_section(dataclasses.replace(ctx, analyses=[at_end])))
    assert "(Q-profile 95% CI 0.000 to \\> 100.000)" in text


def test_a_pooled_line_says_which_side_its_estimate_lies_on() -> None:
    # "Pooled SMD 0.15 (95% CI −1.18 to 1.48; p = 0.380)": positive, with no word of whose
    # side that is, where the results list says "point estimate on the side of sham". The
    # line now says what its interval shows, as the results list does.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    side = f"{escape(NODE_LABEL)}"

    def line(pooled: dict[str, Any]) -> str:
        changed = dataclasses.replace(ctx, analyses=[{**x, "pooled": {**x["pooled"], **pooled}} if x is r else x
                                                     for x in ctx.analyses])
        return next(x for x in str(results_section(changed)).splitlines()
                    if x.startswith(("Pooled SMD **0.15**", "Pooled SMD **\u22120.50**")))

    leans = line({"estimate": 0.15, "ci_lb": -1.18, "ci_ub": 1.48, "pval": 0.38})
    assert ("(95% CI \u22121.18 to 1.48; p = 0.380); the confidence interval is compatible with no "
            "difference but too wide to inform (t on 1 degree of freedom, point estimate on the side of sham); ") in leans, leans
    clear = line({"estimate": -0.5, "ci_lb": -0.8, "ci_ub": -0.2, "pval": 0.001})
    assert f"; the whole confidence interval favours {side}; " in clear, clear


def test_every_interval_of_a_pooled_line_gives_its_level() -> None:
    # "Pooled SMD 0.15 (95% CI −1.18 to 1.48; ...); τ² = 0.000 (Q-profile CI 0.000 to
    # 7.338); I² = 0.0% (CI 0.0% to 99.3%)": the estimate's interval gave its level, the
    # intervals of τ², I² and the prediction beside it none. metafor's confint and predict
    # take the level from the model, so all of them share the review's.
    from metareview.report.sections import _i2_text, _prediction_text

    ctx = context()
    pooled = [line for line in str(results_section(ctx)).splitlines() if line.startswith("Pooled ")]
    assert pooled and all("(Q-profile 95% CI " in line and re.search(r"I² = [\d.]+% \(95% CI ", line)
                          for line in pooled), pooled
    assert not any(re.search(r"[(;] CI ", line) for line in pooled), pooled
    at_90 = context(methods={**CONFIG["methods"], "level": 90})
    pooled = [line for line in str(results_section(at_90)).splitlines() if line.startswith("Pooled ")]
    assert pooled and all("(90% CI " in line and "(Q-profile 90% CI " in line for line in pooled), pooled
    p = {"level": 95.0, "I2": 61.2, "I2_ci_lb": 0.0, "I2_ci_ub": 92.0, "pi_lb": -1.5, "pi_ub": 0.25}
    assert _i2_text(p) == "I² = 61.2% (95% CI 0.0% to 92.0%)"
    a = {"measure": "MD", "scale": "linear"}
    assert _prediction_text(a, p) == f"95% prediction interval {ci_text(-1.5, 0.25)}"


def test_the_study_effects_table_flags_a_trial_known_only_from_a_secondary_source() -> None:
    # Kwon et al. (2007), read only in a review's table, was flagged in the study-effects
    # table for a value extracted with low confidence alone; the summary and limitations
    # say it is known only from a secondary source, the row a reader checks did not.
    ctx = context()
    r = next(r for r in ctx.analyses if r["status"] == "pooled")
    first, *rest = r["studies"]
    aside = {**r, "studies": [{**first, "source_level": "secondary"}, *rest]}
    text = str(results_section(dataclasses.replace(ctx, analyses=[aside])))
    rows = [line for line in text.splitlines() if line.startswith("|") and "known only from a secondary source" in line]
    assert len(rows) == 1 and escape(first["label"]) in rows[0], rows
    assert "known only from a secondary source" not in str(results_section(ctx))


def test_a_flags_rows_of_one_file_are_listed_with_the_file_named_once() -> None:
    # Kwon et al. (2007)'s flag read "see the notes of arm_outcomes.csv row 61,
    # arm_outcomes.csv row 62" in its study-effects table; the audit trail lists rows as
    # "arm_outcomes.csv rows 61 and 62".
    from metareview.report.overview import _refs_in_words

    ctx = dataclasses.replace(context(), raw_rows={
        "arm_outcomes.csv:Kwon2007#1": ("arm_outcomes.csv", 61), "arm_outcomes.csv:Kwon2007#2": ("arm_outcomes.csv", 62),
        "arm_outcomes.csv:Kwon2007#3": ("arm_outcomes.csv", 63), "contrasts.csv:Kwon2007#1": ("contrasts.csv", 9)})
    assert _refs_in_words(ctx, "see the notes of arm_outcomes.csv:Kwon2007#1, arm_outcomes.csv:Kwon2007#2") == (
        "see the notes of arm_outcomes.csv rows 61 and 62")
    assert _refs_in_words(ctx, "see arm_outcomes.csv:Kwon2007#1, arm_outcomes.csv:Kwon2007#2, arm_outcomes.csv:Kwon2007#3, "
                               "contrasts.csv:Kwon2007#1; and arm_outcomes.csv:Kwon2007#3") == (
        "see arm_outcomes.csv rows 61, 62 and 63, contrasts.csv row 9; and arm_outcomes.csv row 63")
    # A reference to no row as it stands is left as it is.
    assert _refs_in_words(ctx, "see contrasts.csv:Gone#4, contrasts.csv:Kwon2007#1") == (
        "see contrasts.csv:Gone#4, contrasts.csv row 9")
    # In the table: the pooled analysis's first trial, with a flag naming two of its rows.
    r = next(r for r in ctx.analyses if r["status"] == "pooled")
    first, *rest = r["studies"]
    flagged = {**first, "flags": [("rated by its raw row as extracted with low confidence: see the notes of "
                                   "arm_outcomes.csv:Kwon2007#1, arm_outcomes.csv:Kwon2007#2")]}
    text = str(results_section(dataclasses.replace(ctx, analyses=[{**r, "studies": [flagged, *rest]}])))
    # The study-effects table, a reader's, says in words where the reason is; the audit
    # trail names the rows (see the test of a single trial's ambiguous value).
    assert ("rated by its raw row as extracted with low confidence; the notes of its raw rows, which the audit "
            "trail names, say why") in text, text
    assert "arm\\_outcomes.csv" not in text


def test_an_equal_effects_pool_gives_no_tau2_interval() -> None:
    # methods.method EE fixes tau^2 at 0 and profiles nothing: the section printed
    # "τ² = 0.000 (Q-profile CI – to –)", an estimate with its interval missing.
    ctx = context(methods={**CONFIG["methods"], "method": "EE", "test": "z"})
    text = str(results_section(ctx))
    pooled = [line for line in text.splitlines() if line.startswith("Pooled ")]
    assert pooled and all("; τ² set to 0 (an equal-effects model); I² = " in line for line in pooled)
    assert "Q-profile" not in text


def test_the_value_types_used_are_those_of_the_studies_used() -> None:
    # An MD analysis prefers final values but takes a trial that reports only changes
    # from baseline: "final values" alone would misdescribe it.
    ctx = context()
    r = next(r for r in ctx.analyses if r["status"] == "pooled")
    assert {s["value_type"] for s in r["studies"]} == {"final"}
    assert f"used: {r['k']} (final values)." in str(results_section(ctx))
    mixed = {**r, "studies": [r["studies"][0], {**r["studies"][1], "value_type": "change"}]}
    text = str(results_section(dataclasses.replace(ctx, analyses=[mixed])))
    assert f"used: {r['k']} (changes from baseline: 1, final values: 1)." in text
    unknown = {**r, "studies": [r["studies"][0], {**r["studies"][1], "value_type": "unknown"}]}
    text = str(results_section(dataclasses.replace(ctx, analyses=[unknown])))
    assert f"used: {r['k']} (final values: 1, value type not reported: 1)." in text


def test_the_evidence_base_is_given_in_the_methods_and_pointed_to_beside_the_findings() -> None:
    from metareview.report import limitations_section

    ctx = context()
    assert "Evidence base" not in bottom_line(ctx) and "Evidence base" not in str(methods_section(ctx))
    assert "#sec-methods" not in bottom_line(ctx) and "How the studies" not in str(limitations_section(ctx))
    ctx = context(review={**CONFIG["review"], "evidence_base": "Not a systematic search. From <one> blog post."})
    assert "- **Evidence base**: Not a systematic search. From \\<one\\> blog post.\n" in str(methods_section(ctx))
    # The summary opens with its first sentence, beside the counts a panel reads first: it
    # bounds every "no usable study" below. The limitations, from which a panel writes its
    # certainty statement, give it in full ("see the methods" hid the largest limit).
    opening = next(p for p in str(bottom_line(ctx)).split("\n\n") if p.startswith("Of "))
    assert opening.endswith(" How the studies were found: Not a systematic search (see the [methods](#sec-methods)); "
                            "“in these data” and “no usable study” mean among the studies this review collected.")
    assert "blog post" not in bottom_line(ctx)
    assert ("- **How the studies were found**: Not a systematic search. From \\<one\\> blog post. A study not found "
            "that way is missing here. See the [methods](#sec-methods).") in str(limitations_section(ctx))
    # One that says so itself is not told again.
    own = context(review={**CONFIG["review"], "evidence_base": "Two databases. A trial they miss is missing here."})
    assert ("- **How the studies were found**: Two databases. A trial they miss is missing here. See the "
            "[methods](#sec-methods).") in str(limitations_section(own))


def test_the_evidence_table_points_to_the_methods_only_when_they_say_how_studies_were_found() -> None:
    def intro(ctx: ReportContext) -> str:
        text = " ".join(build_report(TEMPLATE, ctx)[0].split())
        return text.split("## Evidence table {#sec-evidence-summary} ")[1].split(" <!--")[0].split(" | Study")[0]

    # CONFIG sets no evidence_base: the methods have no such bullet to point to.
    assert intro(context()).endswith("\"Identity\" says how sure the team is that a study is the one named.")
    ctx = context(review={**CONFIG["review"], "evidence_base": "A search of two databases."})
    assert intro(ctx).endswith("the one named. How the studies were found is in the methods.")


def test_judgements_recorded_with_fingerprints_go_out_of_date_when_a_study_s_data_changes() -> None:
    listed = context(analyses=_with_certainty(**JUDGED))
    r = next(x for x in listed.analyses if x["analysis"]["id"] == "acu_vs_sham")
    codes = fingerprints(listed, r)
    assert sorted(codes) == ["A", "B"] and all(re.fullmatch("[g-v][0-9a-f]{7}", c) for c in codes.values())
    # The certainty table gives the codes to record, once the team records any judgement.
    row = next(x for x in str(certainty_table(listed)).splitlines() if x.startswith("| ") and "fewer than 400" in x)
    assert [c.strip() for c in row.strip("|").split(" | ")][2].startswith(escape(
        f"{SCRIPT} (data {codes['A']}); {TYPST} (data {codes['B']}); "))
    pinned = context(analyses=_with_certainty(**{**JUDGED, "studies": codes}))
    before = key_results(pinned)
    assert before["analyses"]["acu_vs_sham"]["certainty"] == "moderate"
    # B's effect edited in the raw data since: the judgements no longer hold, as when a
    # study is added, while judgements that list their studies only cannot tell.
    edited = {**r, "studies": [r["studies"][0], {**r["studies"][1], "yi": r["studies"][1]["yi"] + 0.1}]}
    for ctx in (pinned, listed):
        ctx = dataclasses.replace(ctx, analyses=[edited if x["analysis"]["id"] == "acu_vs_sham" else x
                                                 for x in ctx.analyses])
        keys = key_results(ctx)
        if ctx.config is listed.config:
            assert keys["analyses"]["acu_vs_sham"]["certainty"] == "moderate"
            continue
        assert keys["analyses"]["acu_vs_sham"]["certainty_status"] == "out_of_date"
        why = (f"the data of {escape(TYPST)} do not match the fingerprint recorded with the judgements: their data "
               "changed, or the code was mistyped")
        assert f"Certainty of the evidence (GRADE): not rated ({why})." in str(summary_section(ctx))
        # B's effect, −0.28 + 0.1, as its row in the study table prints it, then the certainty.
        assert (f"{escape(NODE_LABEL)} vs Sham: pain, short term (`acu_vs_sham`): {escape(TYPST)}, its effect SMD −0.28 → −0.18; "
                f"**certainty changed**: moderate (rated down for imprecision) → not rated ({why})."
                in changes_section(keys, before))
    # Recording the codes is an edit of the judgements, not of their level.
    assert (f"{escape(NODE_LABEL)} vs Sham: pain, short term (`acu_vs_sham`): GRADE judgements edited: moderate (rated down for imprecision)."
            in changes_section(before, key_results(listed)))


def test_the_summary_gives_the_published_meta_analyses_beside_the_trials() -> None:
    # acu_vs_sham shows Review M's SMD -0.5 (-0.8 to -0.2) apart from its trials A and B.
    ctx = context()
    line = next(x for x in str(summary_section(ctx)).splitlines() if "k = 2" in x)
    # How many reviews and how large, never how many lie on a side (vote counting).
    assert line.endswith(" [Published meta-analyses](#sec-external): 1 review; its SMD is \u22120.50.")
    # Reviews that all read alike are said in a few words, not a clause per verdict.
    alike = dataclasses.replace(ctx, analyses=[
        {**x, "external": [x["external"][0], {**x["external"][0], "study_id": "M2", "ref": "m9", "estimate": -0.3}]}
        if x["analysis"]["id"] == "acu_vs_sham" else x for x in ctx.analyses])
    line = next(x for x in str(summary_section(alike)).splitlines() if "k = 2" in x)
    assert line.endswith(" [Published meta-analyses](#sec-external): 2 reviews, which share trials; their SMDs "
                         "range from \u22120.50 to \u22120.30.")
    # Reviews, not results: M's second result (another timepoint, measure or outcome) is
    # still one review; N's results disagree; P's lies on the comparator's side; Q gives
    # no interval.
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    more = [m, {**m, "ref": "m2", "ci_lb": -0.6, "ci_ub": -0.1},
            {**m, "study_id": "N", "ref": "n1"}, {**m, "study_id": "N", "ref": "n2", "ci_lb": -0.3, "ci_ub": 0.0},
            {**m, "study_id": "P", "ref": "p1", "estimate": 0.25, "ci_lb": 0.1, "ci_ub": 0.4},
            {**m, "study_id": "Q", "ref": "q1", "ci_lb": None, "ci_ub": None}]
    ctx = dataclasses.replace(ctx, analyses=[{**r, "external": more} if x is r else x for x in ctx.analyses])
    line = next(x for x in str(summary_section(ctx)).splitlines() if "k = 2" in x)
    # How large the results are, not only where they lie: the range of the SMDs.
    # Reviews whose intervals lie differently: no verdict counted, the sizes given, and the
    # result at the edge of no difference named with its numbers.
    assert line.endswith(": 4 reviews, which share trials (1 with no result with a confidence interval); their "
                         "SMDs range from \u22120.50 to 0.25. Review M is at the edge of no difference (SMD \u22120.50, 95% CI \u22120.30 to 0.00).")
    # One review with two SMDs: its, not their.
    two = [m, {**m, "ref": "m2", "estimate": -0.2, "ci_lb": -0.4, "ci_ub": -0.05}]
    line = next(x for x in str(summary_section(dataclasses.replace(ctx, analyses=[
        {**r, "external": two} if x["analysis"]["id"] == "acu_vs_sham" else x for x in ctx.analyses])))
        .splitlines() if "k = 2" in x)
    assert line.endswith("1 review; its SMDs range from \u22120.50 to \u22120.20.")
    # A review that gives a mean difference only: the SMDs are those of the others.
    md_only = [*more, {**m, "study_id": "D", "ref": "d1", "measure": "MD", "estimate": -1.2}]
    line = next(x for x in str(summary_section(dataclasses.replace(ctx, analyses=[
        {**r, "external": md_only} if x["analysis"]["id"] == "acu_vs_sham" else x for x in ctx.analyses])))
        .splitlines() if "k = 2" in x)
    assert line.endswith("; the SMDs of 4 of them range from \u22120.50 to 0.25; Review M gives an MD of \u22121.20 "
                         "points. Review M is at the edge of no difference (SMD \u22120.50, 95% CI \u22120.30 to 0.00).")
    # The bottom line's account of each treatment counts reviews by comparator.
    assert ("[Published meta-analyses](#sec-external) (shown apart, not pooled with these trials; reviews share "
            "trials and differ in scope and population): 3 reviews with confidence intervals: "
            "their SMDs range from \u22120.50 to 0.25. Review M is at the edge of no difference (SMD \u22120.50, 95% CI \u22120.30 to 0.00).") in str(bottom_line(ctx))
    # A review known only from another document (a blog post's citation) is named, not counted.
    ptr = "Not counted here: published results of reviews "
    cited = {**m, "study_id": "S", "ref": "s1", "label": "Review cited by a blog", "source_level": "secondary"}
    hearsay = dataclasses.replace(ctx, analyses=[{**x, "external": [*more, cited]} if x["analysis"]["id"] == "acu_vs_sham"
                                                 else x for x in ctx.analyses])
    # The summary's tally leaves it out and points to the section that lists it, by name
    # in the Results' opening list.
    summary = str(bottom_line(hearsay))
    assert ("population): 3 reviews with confidence intervals: their SMDs range from "
            "\u22120.50 to 0.25. Review M is at the edge of no difference (SMD \u22120.50, 95% CI \u22120.30 to 0.00).\n") in summary
    assert ("  - Not counted here: published results of reviews known only from a secondary source (see [Published "
            "meta-analyses](#sec-external)).") in summary and "Review cited by a blog" not in summary, summary
    # In the Results' opening, the reviews not counted are a list nested in the analysis's
    # line, after its last sentence.
    text = str(summary_section(hearsay))
    line = next(x for x in text.splitlines() if "k = 2" in x)
    assert ": 4 reviews, which share trials (1 with no result" in line
    assert line.endswith(" Not counted:")
    assert (line + "\n  - 1 review known only from a secondary source: Review cited by a blog.\n") in text
    only_hearsay = dataclasses.replace(ctx, analyses=[{**x, "external": [cited]} if x["analysis"]["id"] == "acu_vs_sham"
                                                      else x for x in ctx.analyses])
    text = str(summary_section(only_hearsay))
    line = next(x for x in text.splitlines() if "k = 2" in x)
    assert line.endswith(" [Published meta-analyses](#sec-external), none counted:")
    assert (line + "\n  - 1 review known only from a secondary source: Review cited by a blog.\n") in text
    # A review of a broader population (back and neck pain) is named apart too, after
    # those known only from another document.
    wide = {**m, "study_id": "W", "ref": "w1", "label": "Back and neck review", "population_fit": "broader"}
    both = dataclasses.replace(ctx, analyses=[{**x, "external": [*more, cited, wide]}
                                              if x["analysis"]["id"] == "acu_vs_sham" else x for x in ctx.analyses])
    text = str(summary_section(both))
    line = next(x for x in text.splitlines() if "k = 2" in x)
    assert ": 4 reviews, which share trials (1 with no result" in line
    assert (line + "\n  - 1 review known only from a secondary source: Review cited by a blog.\n"
            "  - 1 review of a broader population than this review\u2019s: Back and neck review.\n") in text
    assert "population): 3 reviews with confidence intervals: " in str(bottom_line(both))
    # A result read only in an overview's table is apart, not its review, whose results
    # read in its own report count: the sentence counts results and says so.
    overview = {**m, "study_id": "O", "ref": "o1", "label": "Overviewed review", "read_elsewhere": True}
    read_elsewhere = dataclasses.replace(ctx, analyses=[
        {**x, "external": [*more, overview, {**overview, "ref": "o2"}]} if x["analysis"]["id"] == "acu_vs_sham"
        else x for x in ctx.analyses])
    assert ("\n  - 2 results read here only in a document other than the review’s own: from Overviewed review. "
            "Results read in a review’s own report are counted.") in str(summary_section(read_elsewhere))
    assert f"{ptr}read only in a document other than the review’s own (see" in str(bottom_line(read_elsewhere))
    # Several such reviews are a list of their own, the note after it not one more of them.
    two_overviewed = dataclasses.replace(ctx, analyses=[
        {**x, "external": [*more, overview, {**overview, "study_id": "P", "ref": "p1", "label": "Other review"}]}
        if x["analysis"]["id"] == "acu_vs_sham" else x for x in ctx.analyses])
    assert ("2 results read here only in a document other than the review’s own: from Other review and Overviewed "
            "review. Results read in a review’s own report are counted.") in str(summary_section(two_overviewed))
    # Three groups, a point each nested under the treatment's point (two spaces further in
    # than it): run into one sentence, each group's reviews in brackets, the lists inside
    # the list could not be told apart.
    three = dataclasses.replace(ctx, analyses=[
        {**x, "external": [*more, cited, overview, wide]} if x["analysis"]["id"] == "acu_vs_sham"
        else x for x in ctx.analyses])
    assert ("\n  - 1 review known only from a secondary source: Review cited by a blog.\n"
            "  - 1 result read here only in a document other than the review’s own: from Overviewed review. Results "
            "read in a review’s own report are counted.\n"
            "  - 1 review of a broader population than this review’s: Back and neck review.") in str(summary_section(three))
    # The summary names the three reasons in one sentence, in the same order, naming no review.
    assert (f"{ptr}known only from a secondary source, read only in a document other than the review’s own or of a "
            "broader population than this review’s (see [Published meta-analyses](#sec-external)).") \
        in str(bottom_line(three))
    # A narrower one (older adults only) is counted: it is the review's population.
    narrow = dataclasses.replace(ctx, analyses=[{**x, "external": [*more, {**wide, "population_fit": "narrower"}]}
                                                if x["analysis"]["id"] == "acu_vs_sham" else x for x in ctx.analyses])
    assert ": 5 reviews, which share trials (1 with no result" in next(x for x in str(summary_section(narrow)).splitlines()
                                                     if "k = 2" in x)
    no_external = dataclasses.replace(ctx, analyses=[{**x, "external": []} for x in ctx.analyses])
    assert "Published meta-analyses" not in str(summary_section(no_external)) + str(bottom_line(no_external))
    # A result at a timepoint outside the window is no evidence for the analysis: said apart.
    late = dataclasses.replace(ctx, analyses=[
        {**x, "external": [*more, {**m, "study_id": "L", "ref": "l1", "outside_window": True}]}
        if x["analysis"]["id"] == "acu_vs_sham" else x for x in ctx.analyses])
    line = next(x for x in str(summary_section(late)).splitlines() if "k = 2" in x)
    assert line.endswith(". 1 more reports it only at timepoints outside this analysis's window.")
    assert "population): 3 reviews with confidence intervals: " in str(bottom_line(late))
    only_late = dataclasses.replace(ctx, analyses=[{**x, "external": [{**m, "outside_window": True}]}
                                                   if x["analysis"]["id"] == "acu_vs_sham" else x for x in ctx.analyses])
    line = next(x for x in str(summary_section(only_late)).splitlines() if "k = 2" in x)
    assert line.endswith(" [Published meta-analyses](#sec-external): 1 review reports it at "
                         "timepoints outside this analysis's window only.")
    # Outside the window and not counted: two sentences, not one run on with a semicolon.
    late_hearsay = dataclasses.replace(ctx, analyses=[{**x, "external": [{**m, "outside_window": True}, cited]}
                                                      if x["analysis"]["id"] == "acu_vs_sham" else x
                                                      for x in ctx.analyses])
    text = str(summary_section(late_hearsay))
    line = next(x for x in text.splitlines() if "k = 2" in x)
    assert line.endswith(" [Published meta-analyses](#sec-external): 1 review reports it at timepoints outside this "
                         "analysis's window only. Not counted:")
    assert (line + "\n  - 1 review known only from a secondary source: Review cited by a blog.\n") in text
    # The reviews' own certainty rating is a sentence of its own after the sizes.
    rated = dataclasses.replace(ctx, analyses=[{**x, "external": [{**m, "certainty": "low"}]}
                                               if x["analysis"]["id"] == "acu_vs_sham" else x for x in ctx.analyses])
    line = next(x for x in str(summary_section(rated)).splitlines() if "k = 2" in x)
    assert line.endswith(f"1 review; its SMD is \u22120.50. Certainty as the review rates it: low for "
                         f"{escape(m['label'])}.")
    assert "Published meta-analyses" not in str(bottom_line(only_late))
    # One result shown by two analyses of the comparator (an MD and an SMD one) is one.
    shown_twice = dataclasses.replace(ctx, analyses=[
        {**x, "external": [m, overview]} if x["analysis"]["id"] == "acu_vs_sham" else x for x in ctx.analyses]
        + [{**r, "analysis": {**r["analysis"], "id": "acu_vs_sham_2"}, "external": [m, overview]}])
    text = str(bottom_line(shown_twice))
    assert "intervals: its SMD is \u22120.50." in text and f"{ptr}read only in a document other than" in text
    # Results of two outcomes: a range for each, as a disability result at the end of a
    # range across both read as pain's; "them" are the tally's reviews.
    disability = {**r, "analysis": {**r["analysis"], "id": "acu_vs_sham_dis", "outcome": "disability",
                                    "outcome_label": "Disability"},
                  "external": [{**m, "study_id": "M2", "ref": "x1", "estimate": -0.13, "ci_lb": -0.25,
                                "ci_ub": -0.01}]}
    assert ("3 reviews with confidence intervals: their SMDs range from \u22120.50 to "
            "0.25") in str(bottom_line(ctx))
    # The tally is over both outcomes, its reviews not each of both: said, with each one's
    # count, as the Results give a count per outcome ("over both outcomes, 3 on pain and 1
    # on disability" read as reviews each covering both).
    assert ("4 reviews with confidence intervals (3 on pain, 1 on disability): on pain, the "
            "SMDs of 3 of the 4 range from \u22120.50 to 0.25; on disability, one of the 4 gives an SMD of "
            "\u22120.13.") in str(
        bottom_line(dataclasses.replace(ctx, analyses=[*ctx.analyses, disability])))
    # A review in two analyses of the same comparison (two windows, say) counts once.
    twice = dataclasses.replace(ctx, analyses=[*ctx.analyses, {**r, "analysis": {**r["analysis"], "id": "acu_vs_sham_2"},
                                                               "external": more}])
    assert "population): 3 reviews with confidence intervals: " in str(bottom_line(twice))
    # Each result is judged by its own analysis's direction: a responder ratio above 1 (0
    # on the log scale) favours the intervention.
    responders = {**r, "analysis": {**r["analysis"], "id": "acu_vs_sham_resp", "favours_intervention_when": "above"},
                  "external": [{**m, "study_id": "R", "ref": "r1", "ci_lb": 0.1, "ci_ub": 0.4}]}
    both = dataclasses.replace(ctx, analyses=[*ctx.analyses, responders])
    # The summary gives the 4 reviews' sizes, no count by side; the side of each result is
    # still read by its own analysis's direction where reviews are set against trials.
    from metareview.report.overview import review_counts
    assert "population): 4 reviews with confidence intervals" in str(bottom_line(both))
    assert review_counts(both, "acu") == {"Sham": (2, 4)}


def single(effect: float, lb: float, ub: float, study: str = "A") -> dict[str, Any]:
    """A key-results entry of an analysis with one study, not pooled."""
    return {"status": "single_study", "k": 1, "studies": [study], "estimate": None, "study_effect": effect,
            "ci_lb": lb, "ci_ub": ub, "significant": lb > 0 or ub < 0,
            "direction": "favours intervention" if effect < 0 else "favours comparator"}


def test_an_effect_that_now_comes_from_another_timepoint_says_so() -> None:
    # Novak 2024's week-4 median lost its q3: the effect now comes from week 12. The number
    # moving alone did not tell a team that the trial's timepoint had changed.
    before = keys_of(a={**single(-0.86, -1.87, 0.16), "timepoint": "week 4"})
    now = keys_of(a={**single(-0.65, -1.66, 0.37), "timepoint": "week 12"})
    assert changes_section(now, before) == ("- `a`: study effect −0.86 → −0.65; interval −1.87 to 0.16 → −1.66 to "
                                            "0.37; timepoint week 4 → week 12.\n")
    # In a pooled analysis, beside the study's name; even with the same number.
    def pooled(tp: str) -> dict[str, Any]:
        return {**entry(0.15, -1.18, 1.48, k=2), "studies": ["A", "B"],
                "study_effects": {"A": {"value_type": "final", "effect": 0.17, "ci_lb": -0.05, "ci_ub": 0.39,
                                        "timepoint": "week 6"},
                                  "B": {"value_type": "final", "effect": -0.3, "ci_lb": -0.7, "ci_ub": 0.1,
                                        "timepoint": tp}}}
    assert changes_section(keys_of(a=pooled("week 8")), keys_of(a=pooled("week 4"))) == (
        "- `a`: B, timepoint week 4 → week 8.\n")
    # Key results from before timepoints were kept: nothing to compare.
    older = keys_of(a=single(-0.86, -1.87, 0.16))
    assert "now at" not in changes_section(now, older)


def test_an_effect_that_now_comes_from_other_numbers_says_so() -> None:
    # A trial's week-4 means replaced by its medians and quartiles: the effect now rests
    # on a mean and SD estimated from them (Luo 2018; Wan 2014), an assumption of a
    # roughly normal outcome that the number moving alone does not tell.
    means, medians = "arm-level means and SDs", "arm-level medians (mean and SD estimated)"

    def pooled(form: str, effect: float) -> dict[str, Any]:
        return {**entry(-0.4, -4.4, 3.4, k=2), "studies": ["A", "B"],
                "study_effects": {"A": {"value_type": "final", "effect": -0.51, "ci_lb": -1.39, "ci_ub": 0.37,
                                        "timepoint": "week 8", "form": means},
                                  "B": {"value_type": "final", "effect": effect, "ci_lb": -1.33, "ci_ub": 0.33,
                                        "timepoint": "week 4", "form": form}}}
    assert changes_section(keys_of(a=pooled(medians, -0.5)), keys_of(a=pooled(means, -0.5))) == (
        f"- `a`: B, computed from {medians}, where it was from {means}.\n")
    # One study standing for the analysis: the same, after its numbers.
    before = keys_of(a={**single(-0.2, -0.98, 0.58), "form": means})
    now = keys_of(a={**single(-0.5, -1.33, 0.33), "form": medians})
    assert changes_section(now, before) == ("- `a`: study effect −0.20 → −0.50; interval −0.98 to 0.58 → −1.33 to "
                                            f"0.33; computed from {medians}, where it was from {means}.\n")
    # Another trial in its place: said as such, not as the same trial's other numbers.
    other = keys_of(a={**single(-0.5, -1.33, 0.33, study="B"), "form": medians})
    assert "where it was from" not in changes_section(other, before)
    # Key results from before the form was kept: nothing to compare.
    assert "now from" not in changes_section(now, keys_of(a=single(-0.2, -0.98, 0.58)))
    # The key results keep each study effect's form as its study table prints it.
    ctx = context()
    r = ctx.analyses[0]
    kept = key_results(ctx)["analyses"][r["analysis"]["id"]]
    forms = {s["study_id"]: s["form"] for s in r["studies"]}
    assert forms and all(forms.values())
    if len(r["studies"]) > 1:
        assert {sid: e["form"] for sid, e in kept["study_effects"].items()} == forms
    else:
        assert kept["form"] == next(iter(forms.values()))


def test_changes_of_one_study_s_interval_conclusion_and_identity_are_said() -> None:
    before = keys_of(a=single(-0.5, -0.9, -0.1))
    # Another confidence level: the same effect, a wider interval that now includes 0.
    wider = keys_of(a=single(-0.5, -1.1, 0.1))
    line = changes_section(wider, before).splitlines()[0]
    assert line == ("- `a`: interval −0.90 to −0.10 → −1.10 to 0.10; **conclusion changed**: the confidence "
                    "interval is compatible with no difference.")
    # A corrected transcription that turns the effect round, from wholly on one side to
    # wholly on the other: a changed conclusion, not only a direction.
    turned = keys_of(a=single(0.6, 0.2, 1.0))
    assert ("`a`: study effect −0.50 → 0.60; interval −0.90 to −0.10 → 0.20 to 1.00; **conclusion changed**: "
            "the confidence interval lies wholly on one side of no difference (favours comparator).") \
        in changes_section(turned, before)
    # One study out, another in: the same k, a different trial, said as such ("now with
    # Bee; without Ay" left the reader to work out whose effect the numbers are).
    swapped = {**keys_of(a=single(-0.98, -1.6, -0.4, study="B")), "study_labels": {"B": "Bee (2003)"}}
    previous = {**before, "study_labels": {"A": "Ay (2009)"}}
    assert ("`a`: the effect comes from another trial, Bee (2003), in place of Ay (2009); study effect −0.50 → "
            "−0.98; interval −0.90 to −0.10 → −1.60 to −0.40.") in changes_section(swapped, previous)
    # ... and from another kind of value, when both builds kept it.
    swapped["analyses"]["a"]["study_value_type"] = "change"
    previous = {**keys_of(a={**single(-0.5, -0.9, -0.1), "study_value_type": "final"}),
                "study_labels": {"A": "Ay (2009)"}}
    assert ("`a`: the effect comes from another trial, Bee (2003), in place of Ay (2009), and from another kind "
            "of value: changes from baseline, where it was final values; study effect −0.50 → −0.98;") \
        in changes_section(swapped, previous)
    swapped["analyses"]["a"]["study_value_type"] = "final"
    assert "kind of value" not in changes_section(swapped, previous)
    # A first study in an analysis that had none: its effect and what it shows, a changed
    # conclusion whatever its interval shows, as its loss is (below): an answer where the
    # report had none.
    empty = keys_of(a={"status": "no_studies", "k": 0, "studies": [], "estimate": None})
    assert ("`a`: now one study, not pooled (was no usable study), with A added; **conclusion changed**: an "
            "estimate where there was none, study effect −0.50 (−0.90 to −0.10): the confidence interval lies wholly "
            "on one side of no difference (favours intervention).") in changes_section(before, empty)
    # One compatible with no difference is flagged alike: the question has an answer now.
    unclear = keys_of(a=single(-0.4, -0.9, 0.1))
    assert ("with A added; **conclusion changed**: an estimate where there was none, study effect −0.40 (−0.90 to "
            "0.10): the confidence interval is compatible with no difference") in changes_section(unclear, empty)
    # And its loss, the other way, is flagged as it was.
    assert ("**conclusion changed**: no study effect (was −0.40, −0.90 to 0.10)"
            in changes_section(empty, unclear))
    # So is a first pooled estimate, whatever it shows.
    assert ("**conclusion changed**: an estimate where there was none, estimate −0.50 (−1.00 to 0.10): the "
            "confidence interval is compatible with no difference") in changes_section(
                keys_of(a=entry(-0.5, -1.0, 0.1)), empty)
    assert ("**conclusion changed**: an estimate where there was none, estimate −0.50 (−1.00 to −0.10)"
            in changes_section(keys_of(a=entry(-0.5)), empty))
    # A study's effect that a second study's pooled estimate replaces is no new answer.
    assert "where there was none" not in changes_section(keys_of(a=entry(-0.5)), before)
    # ... and the other way: the analysis's one effect gone is a conclusion that no longer holds.
    assert ("`a`: now no usable study (was one study, not pooled), without A; **conclusion changed**: no "
            "study effect (was −0.50, −0.90 to −0.10).") in changes_section(empty, before)
    # Two studies now, not pooled (fewer than the review pools): effects are there, no
    # conclusion was lost.
    two = keys_of(a={"status": "not_poolable", "k": 2, "studies": ["A", "B"], "estimate": None})
    assert "conclusion changed" not in changes_section(two, before)
    # A pooled estimate gone with every study is a changed conclusion too; one gone while
    # studies remain is said without the flag.
    pooled = keys_of(a=entry(-0.5))
    assert ("**conclusion changed**: no pooled estimate (was −0.50, −1.00 to −0.10)"
            in changes_section(empty, pooled))
    now_single = changes_section(keys_of(a=single(-0.4, -0.9, 0.1)), pooled)
    assert "no pooled estimate (was −0.50" in now_single and "**conclusion changed**: no pooled" not in now_single
    # Key results kept before single studies' intervals were: the effect alone is compared.
    old = keys_of(a={k: v for k, v in single(-0.5, -0.9, -0.1).items()
                     if k not in ("ci_lb", "ci_ub", "significant", "direction")})
    assert changes_section(wider, old).startswith("No study, estimate, setting or conclusion changed")


def test_the_methods_point_to_where_the_layout_gives_leave_one_out() -> None:
    assert "changes a conclusion (in the analysis's section)" in str(methods_section(context()))
    one_table = str(methods_section(context(report={"detail_limit": 1})))
    assert "changes a conclusion (in the analysis's row of @tbl-results)" in one_table


def test_a_pooled_estimate_names_its_studies_that_use_a_low_confidence_value() -> None:
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    line = next(x for x in summary_section(ctx).splitlines() if "k = 2" in x)
    assert "low confidence" not in line
    r["studies"][1].update(flags=[*r["studies"][1].get("flags", []), LOW_CONFIDENCE], low_confidence=["arms.csv:B#1"])
    line = next(x for x in summary_section(ctx).splitlines() if "k = 2" in x)
    assert f". {escape(TYPST)} uses a value its raw row rates as extracted with low confidence." in line


def test_a_single_trial_whose_value_is_ambiguous_in_its_source_says_so() -> None:
    ctx = context()
    study = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert "low confidence" not in line
    study.update(flags=[*study.get("flags", []), f"{LOW_CONFIDENCE}: see the notes of arms.csv:C#1"],
                 low_confidence=["arms.csv:C#1"])
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert ". A value it uses was extracted with low confidence, as its raw row rates it." in line
    # The study table says where the reason is in words; the audit trail names the row
    # by file and row number.
    row = ctx.raw_rows["arms.csv:C#1"][1]
    results = str(results_section(ctx))
    assert ("rated by its raw row as extracted with low confidence; the notes of its raw row, which the audit "
            "trail names, say why |") in results
    assert "arms.csv" not in results
    text, _, _ = build_report(TEMPLATE, ctx)
    assert f"see the notes of arms.csv row {row}" in section(text, "Appendix: audit trail")


def test_an_effect_from_medians_says_so_in_the_summary() -> None:
    # Means and SDs estimated from medians and quartiles (Luo 2018, Wan 2014) assume a
    # roughly normal outcome: the study table and the limitations said so, the summary's
    # lines, where most readers stop, did not.
    ctx = context()
    study = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert "medians" not in line
    study["form"] = "arm-level medians (mean and SD estimated)"
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert (". It uses means and SDs estimated from medians with quartiles or ranges, assuming a roughly normal "
            "outcome") in line
    pooled = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    pooled["studies"][1]["form"] = "arm-level medians (mean and SD estimated)"
    line = next(x for x in summary_section(ctx).splitlines() if "k = 2" in x)
    assert (f". {escape(TYPST)} uses means and SDs estimated from medians with quartiles or ranges, assuming a "
            "roughly normal outcome") in line


def test_a_claimed_difference_the_claims_table_prints_has_its_audit_row() -> None:
    # The blog post's "acupuncture lowers pain by 2.3 points more than sham": claims.csv
    # records it as a mean difference of -2.3 on the common scale, and the claims table
    # prints "the claimed difference of -2.30" beside the trial interval it is tested
    # against. That number is traced to its cell; a claim with no number is not.
    claims = [{"claim_id": "sleep", "claimed_measure": "percent_of_patients", "claimed_value": 63.0},
              {"claim_id": "both_work", "claimed_measure": "direction_only", "claimed_value": None},
              {"claim_id": "cochrane", "attributed_study_id": "Cochrane2023", "claimed_measure": "mean_difference",
               "claimed_value": -2.3}]
    verdicts = [{"claim_id": c["claim_id"], "verdict": "not checkable from the data"} for c in claims]
    ctx = dataclasses.replace(context(), claims=verdicts, raw_tables={"claims": claims},
                              raw_row_numbers={"claims": [2, 6, 7]})
    rows = [r for r in audit_rows(ctx) if r[1].startswith("claimed difference")]
    assert [r[:7] for r in rows] == [["", "claimed difference (claim cochrane)", "Cochrane2023", -2.3, None,
                                      "claims.csv row 7",
                                      "claims.csv row 7: claimed_measure = mean_difference, claimed_value = -2.3"]]
    assert "printed \u22122.30 in the claims table" in rows[0][8]
    assert rows[0][8].endswith("verdict: not checkable from the data")
    # The analysis it was tested against, by its id and its rows: "the interval of the
    # analysis the verdict names" left the auditor to find which.
    assert "tested against the interval of the analysis the verdict names;" in rows[0][8]
    for aid, whose in (("acu_vs_sham", ("pooled from 2 studies: A, arm_outcomes.csv rows 2 and 3; B, "
                                        "arm_outcomes.csv rows 4 and 5")),
                       ("dn_vs_sham", "its one trial: C, contrasts.csv row ")):
        tested = [{**v, "tested_analysis": aid} for v in verdicts]
        [row] = [r for r in audit_rows(dataclasses.replace(ctx, claims=tested)) if r[1].startswith("claimed difference")]
        assert f"tested against the interval of {aid} ({whose}" in row[8], row[8]


def test_the_audit_traces_the_indirect_comparisons_numbers() -> None:
    base = {"id": "dn_vs_acu", "treatment_a": "dn", "treatment_b": "acu", "outcome": "pain", "window": "short",
            "treatment_a_label": "Dry needling", "treatment_b_label": "Acupuncture",
            "scale": "linear", "anchored": [], "unanchored": []}
    naive = {"a_source": "Trial C", "a_comparator": "Control", "a_estimate": -0.66, "a_study_ids": ["C"],
             "b_source": "Trial D", "b_comparator": "Control", "b_estimate": -0.91, "b_study_ids": ["D"],
             "estimate": 0.25, "se": 0.28}
    anchored = {"comparator_label": "Sham",
                "a_vs_c": {"estimate": -0.4, "variance": 0.04, "what": "Trial C", "study_ids": ["C"]},
                "b_vs_c": {"estimate": -0.5, "variance": 0.02, "what": "pooled, k = 2", "variance_from": "interval",
                           "study_ids": ["A", "B"]},
                "estimate": 0.1, "se": 0.06 ** 0.5}
    ctx = dataclasses.replace(context(), indirect=[{**base, "unanchored": [naive]},
                                                   {**base, "id": "dn_vs_acu_2", "anchored": [anchored]}])
    rows = [r for r in audit_rows(ctx) if r[0].startswith("dn_vs_acu")]
    # study_id holds the ids of the studies behind the two sides, as a pooled estimate's row
    # does; the sides' labels are in from (and the steps).
    assert [r[:8] for r in rows] == [
        ["dn_vs_acu", "naive difference (unanchored, not evidence)", "C; D", 0.25, None,
         "results/indirect/dn_vs_acu.json", "", "difference of two study effects, Trial C minus Trial D"],
        ["dn_vs_acu_2", "anchored indirect estimate through Sham", "C; A; B", 0.1,
         pytest.approx(0.06), "results/indirect/dn_vs_acu_2.json", "",
         "Bucher et al. (1997), from Trial C and pooled, k = 2"]]
    # In the appendix, a path is inline code, which the HTML breaks after '/' and '_': as
    # one word of text it pushed the table's last columns out of view. The CSV keeps it.
    appendix = str(audit_section(ctx, audit_rows(ctx)))
    assert "| `results/indirect/dn_vs_acu_2.json` |" in appendix
    assert "| results/indirect/dn\\_vs\\_acu\\_2.json |" not in appendix
    # Every study_id of the audit table is a study's id (or empty): none is a label.
    ids = {s["study_id"] for r in ctx.analyses for s in r["studies"]} | {"C", "D"}
    ids |= {d["study"]["study_id"] for d in ctx.normalised}
    assert all(set(r[2].split("; ")) <= ids for r in audit_rows(ctx) if r[2])
    assert rows[0][8] == ("Dry needling vs Control (Trial C): -0.6600 minus Acupuncture vs Control (Trial D): -0.9100 "
                          "= 0.2500, as if the two comparators were one treatment")
    # The pooled side's variance is the one its interval implies, and the row says so.
    assert rows[1][8] == ("Dry needling vs Sham (Trial C): -0.4000, variance 0.04; Acupuncture vs Sham (pooled, k = "
                          "2): -0.5000, variance 0.02 (from its confidence interval); difference 0.1000, variance "
                          "0.06 (the sum)")
    # A side's label inside the step's brackets sets its own year off by commas; the from
    # column, outside brackets, keeps it.
    dated = dataclasses.replace(ctx, indirect=[{**base, "unanchored": [{**naive, "a_source": "Trial C (2020)"}]}])
    row = next(r for r in audit_rows(dated) if r[0] == "dn_vs_acu")
    assert row[7] == "difference of two study effects, Trial C (2020) minus Trial D"
    assert row[8].startswith("Dry needling vs Control (Trial C, 2020): -0.6600 minus")
    # Printed in the audit appendix in the one-table layout too: the section is printed in full.
    one_table = dataclasses.replace(ctx, config={**ctx.config, "report": {"detail_limit": 1}})
    text = str(audit_section(one_table, audit_rows(one_table)))
    assert "naive difference (unanchored, not evidence)" in text and "anchored indirect estimate through Sham" in text


def test_a_published_results_audit_row_says_it_lies_outside_the_window() -> None:
    # Acupunct Med 2020's "intermediate term" SMD of -0.17 is printed under the short-term
    # analysis as read in another window, and left out of the summary's "the SMDs of 4 of
    # them range from -0.54 to -0.33": its audit row must say so, or an auditor finds
    # -0.17 among the analysis's published results and a range that leaves it out.
    ctx = context()
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    (e,) = r["external"]
    note = "timepoint given as \u2018intermediate term\u2019, which this review reads as another window"
    e.update(outside_window=True, notes=[note])
    (m,) = [x for x in audit_rows(ctx) if x[1] == "published result"]
    assert m[8] == f"as published | {note}"


def test_the_audit_traces_published_results_no_analysis_shows_and_set_aside_effects() -> None:
    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    m = next(d for d in docs if d["study"]["study_id"] == "M")
    # Review M's result for another outcome: the published meta-analyses table prints it.
    other = {**m["contrasts"][0], "ref": "contrasts.csv:M#9", "outcome": "sleep", "estimate": -0.2}
    m["contrasts"] = [*m["contrasts"], other]
    analyses = [dict(r) for r in ctx.analyses]
    r = next(r for r in analyses if r["analysis"]["id"] == "acu_vs_sham")
    own = {"value_type": "change", "yi": -0.98, "vi": 0.095, "ci_lb": -1.58, "ci_ub": -0.38,
           "form": "arm-level means and SDs", "steps": ["arm_outcomes.csv:A#1: Hedges' g"],
           "refs": ["arm_outcomes.csv:A#1"]}
    r["excluded"] = [*r["excluded"], {"study_id": "Z", "label": "Trial Z", "reason": "only change values",
                                      "refs": ["arm_outcomes.csv:A#1"], "own_effect": own}]
    rows = audit_rows(dataclasses.replace(ctx, normalised=docs, analyses=analyses))
    (unanalysed,) = [x for x in rows if x[1] == "published result (in no analysis)"]
    assert unanalysed[:5] == ["", "published result (in no analysis)", "M", -0.2, None]
    # The result an analysis shows is traced there, not twice.
    assert [x[0] for x in rows if x[2] == "M" and x[1].startswith("published")].count("acu_vs_sham") == 1
    (aside,) = [x for x in rows if x[1].startswith("study effect set aside")]
    assert aside[:5] == ["acu_vs_sham", "study effect set aside (other value type, not combined)", "Z", -0.98, 0.095]
    assert aside[7] == "arm-level means and SDs" and "Hedges' g" in aside[8]


def test_an_analysis_with_no_study_effect_points_to_what_else_the_report_says_of_it() -> None:
    # A dn vs acu analysis with no trial; Guideline G compares the two in words, and the
    # config has an indirect comparison of them.
    dn_vs_acu = {"id": "dn_vs_acu_direct", "intervention": "dn", "comparator": "acu", "outcome": "pain",
                 "window": "short", "measure": "SMD"}
    ctx = context(analyses=[*CONFIG["analyses"], dn_vs_acu])
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_acu_direct")
    assert r["status"] == "no_studies"
    assert "Statements in words" not in str(results_section(ctx))
    # Linked by the section's heading, as the table of contents names it.
    (heading,) = [line[3:-len(" {#sec-indirect}")] for line in build_report(TEMPLATE, ctx)[0].splitlines()
                  if line.startswith("## ") and line.endswith(" {#sec-indirect}")]
    assert heading.startswith("Dry needling versus ") and heading.endswith(": indirect comparison")
    assert f"An indirect comparison of the two is in [{heading}](#sec-indirect)." in str(results_section(ctx))
    docs = [dict(d) for d in ctx.normalised]
    g = next(d for d in docs if d["study"]["study_id"] == "G")
    g["statements"] = [{**g["statements"][0], "node1": "acu", "node2": "dn"}]
    text = str(results_section(dataclasses.replace(ctx, normalised=docs)))
    assert ("Statements in words compare the two on this outcome, at any timepoint and in any design, without "
            f"numbers to pool: Guideline G (see @tbl-narrative). An indirect comparison of the two is in [{heading}]"
            "(#sec-indirect).\n") in text
    # Where none can be anchored, the pointer says so rather than promise one.
    none = dataclasses.replace(ctx, indirect=[{**x, "status": "no_common_comparator"} for x in ctx.indirect])
    assert (f"Why no anchored indirect comparison of the two can be made: see [{heading}](#sec-indirect)."
            in str(results_section(none)))
    # Analyses with an effect get neither line.
    assert text.count("Statements in words compare the two") == 1
    # Two sources are a list joined by "and", not by a bare semicolon.
    h = {**g, "study": {**g["study"], "study_id": "H", "label": "Guideline H"}}
    two = str(results_section(dataclasses.replace(ctx, normalised=[*docs, h])))
    assert "without numbers to pool: Guideline G and Guideline H (see @tbl-narrative)." in two
    # An indirect comparison in another window is not this analysis's.
    other = dataclasses.replace(ctx, indirect=[{**x, "window": "medium"} for x in ctx.indirect])
    assert "An indirect comparison" not in str(results_section(other))


def test_a_study_effect_s_week_is_not_broken_from_its_number() -> None:
    # A narrow "From" column printed "reported mean difference, week" above "8".
    from metareview.report.keys import _timepoint_text
    assert _timepoint_text({"timepoint_weeks": 8.0, "timepoint_label": "8 weeks"}) == ", week\u00a08"


def test_a_study_effect_s_weeks_in_words_are_not_quoted_as_other_words() -> None:
    # "six weeks" at week 6 gives the week's number, as "6 weeks" does; a label the week was
    # converted from, or one whose count is part of a larger number or word, is quoted.
    from metareview.report.keys import _timepoint_text

    def said(weeks: float, label: str) -> str:
        return _timepoint_text({"timepoint_weeks": weeks, "timepoint_label": label})

    for weeks, label in [(6.0, "six weeks"), (12.0, "Twelve-week follow-up"), (24.0, "twenty-four weeks"),
                         (16.0, "week sixteen")]:
        assert said(weeks, label) == f", week\u00a0{weeks:g}", label
    for weeks, label in [(6.0, "thirty-six weeks"), (4.0, "twenty-four weeks"), (10.0, "often weeks"),
                         (6.0, "week sixth"), (26.0, "six months")]:
        assert said(weeks, label) == f", week\u00a0{weeks:g} (\u201c{label}\u201d)", label


def test_a_table_of_study_effects_has_a_weight_column_only_when_studies_are_weighted() -> None:
    # A single study is not pooled: its weight column was a dash that took the room its
    # name and arm sizes wrapped for. Two pooled trials keep theirs.
    text = str(results_section(context()))
    headers = [x for x in text.splitlines() if x.startswith("| Study | SMD |")]
    assert len(headers) == 2, headers
    pooled = next(x for x in text.splitlines() if x.startswith(f"| {escape(SCRIPT)} |"))
    single = next(x for x in text.splitlines() if x.startswith(f"| {escape(INJECT)} |"))
    assert headers[0].count("Weight %") == 1 and len(pooled.split(" | ")) == 7
    assert "Weight %" not in headers[1] and len(single.split(" | ")) == 6


def test_a_study_table_rounds_weights_as_the_report_rounds_numbers() -> None:
    # 12.65% and 87.35%: ties at one decimal, printed 12.6 and 87.4 (fixed, ties to even on
    # the decimal), as the figure beside the table prints them; Python's rounding of the
    # binary values gave 12.7 and 87.3.
    ctx = context()
    pooled = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    pooled["studies"][0]["weight"], pooled["studies"][1]["weight"] = 12.65, 87.35
    lines = str(results_section(ctx)).splitlines()
    first = next(x for x in lines if x.startswith(f"| {escape(SCRIPT)} |")).split(" | ")
    second = next(x for x in lines if x.startswith(f"| {escape(TYPST)} |")).split(" | ")
    assert first[3] == "12.6" and second[3] == "87.4"


def test_a_study_effect_gives_its_timepoint_and_the_source_s_words_when_they_differ() -> None:
    ctx = context()
    study = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]

    def from_cell() -> str:
        row = next(x for x in str(results_section(ctx)).splitlines() if x.startswith(f"| {escape(INJECT)} |"))
        # (A single study's table has no weight column: "From" is the fifth.)
        return [c.strip() for c in row.strip("|").split(" | ")][4]

    for same in ("8 weeks", "8-week follow-up", "Week 8", "8 wks (column header)"):
        study.update(timepoint_weeks=8.0, timepoint_label=same)
        assert from_cell().endswith(", week\u00a08"), same
    # The same number in another unit is not the same timepoint.
    study.update(timepoint_weeks=8.0, timepoint_label="8 months")
    assert from_cell().endswith(", week\u00a08 (“8 months”)")
    # Entered in weeks from words that give no such number: the words, for a reader to check.
    study.update(timepoint_weeks=12.0, timepoint_label="1-month assessment (after the 8-week course)")
    assert from_cell().endswith(", week\u00a012 (“1-month assessment (after the 8-week course)”)")
    # No weeks (placed by a window's terms): the words alone.
    study.update(timepoint_weeks=None, timepoint_label="immediately post-treatment")
    assert from_cell().endswith(", at \u201cimmediately post-treatment\u201d (no weeks given)")
    study.update(timepoint_weeks=None, timepoint_label=None)
    assert "week" not in from_cell()


def test_a_study_whose_id_changed_reads_as_renamed() -> None:
    # Key results from before the raw cells were kept: the label is all that tells the
    # study, and nothing is said of its data.
    before = {**keys_of(a=single(-0.5, -0.9, -0.1)), "studies": ["A", "B"],
              "study_labels": {"A": "Ay (2009)", "B": "Bee (2003)"}}
    now = {**keys_of(a=single(-0.5, -0.9, -0.1, study="A2")), "studies": ["A2", "B"],
           "study_labels": {"A2": "Ay (2009)", "B": "Bee (2003)"}}
    text = changes_section(now, before)
    assert text.startswith("- Study Ay (2009) (id A → A2).\n")
    assert "Studies added" not in text and "Studies removed" not in text
    # The analysis that held it holds the same study.
    assert "added" not in text and "without" not in text
    # Another label: a study removed and another added.
    other = {**now, "study_labels": {"A2": "Ay et al. (2010)", "B": "Bee (2003)"}}
    text = changes_section(other, before)
    assert "Studies added: Ay et al. (2010) (A2)." in text and "Studies removed: Ay (2009) (A)." in text


#: Three raw tables of one study, as key results keep their cells.
RENAME_COLUMNS = {"studies.csv": ["study_id", "label", "year", "notes"], "arms.csv": ["study_id", "arm_id", "treatment"],
                  "arm_outcomes.csv": ["study_id", "arm_id", "n", "mean", "sd"]}


def renamed_build(sid: str, label: str, year: int = 2023, *, row: int = 16, sd: float = 4.9, n: int = 24,
                  mean: float = 5.16, notes: str = "Known from NBK56291 Figure 8.", effect: float = 0.05,
                  others: dict[str, tuple[str, int, float]] | None = None) -> dict[str, Any]:
    """Key results of a build in which study ``sid`` (and B, unchanged) enters a pooled
    analysis ``a``, with their raw cells, digests, one consistency warning on ``sid``'s
    first outcome row and a claim whose reason names it. ``others``: more studies, each
    with the same rows as ``sid`` but its own label, year and row."""

    def cells_of(s: str, name: str, yr: int, r: int) -> dict[str, list[list[Any]]]:
        return {"studies.csv": [[r, s, name, yr, notes]],
                "arms.csv": [[r + 20, s, "acu", "acupuncture"], [r + 21, s, "sham", "sham_acupuncture"]],
                "arm_outcomes.csv": [[r + 45, s, "acu", n, mean, sd], [r + 46, s, "sham", 23, 4.92, 4.8]]}

    studies = {sid: cells_of(sid, label, year, row),
               "B": {"studies.csv": [[2, "B", "Bee (2003)", 2003, "Full text."]],
                     "arms.csv": [[3, "B", "i", "acupuncture"], [4, "B", "c", "sham_acupuncture"]],
                     "arm_outcomes.csv": [[5, "B", "i", 40, 3.5, 2.2], [6, "B", "c", 38, 4.1, 2.0]]}}
    for other, (name, yr, r) in (others or {}).items():
        studies[other] = cells_of(other, name, yr, r)
    # A digest of each file's rows (their values, the id among them), as study_digests.
    digests = {s: {f: json.dumps([r[1:] for r in rows]) for f, rows in files.items()} for s, files in studies.items()}
    effects = {sid: {"value_type": "final", "effect": effect, "ci_lb": -0.52, "ci_ub": 0.62},
               "B": {"value_type": "final", "effect": 0.17, "ci_lb": -0.05, "ci_ub": 0.39}}
    analysis = {**entry(0.15, -1.18, 1.48, k=2), "studies": sorted([sid, "B"]), "study_effects": effects,
                "excluded": [], "external": []}
    return {"studies": sorted(studies), "study_labels": {sid: label, "B": "Bee (2003)"} | {
                o: name for o, (name, _, _) in (others or {}).items()},
            "analyses": {"a": analysis}, "claims": {"c1": "not checkable"},
            "claim_reasons": {"c1": f"The cited evidence, {label}, reports no sleep outcome."},
            "study_data": digests, "raw_cells": {"columns": RENAME_COLUMNS, "studies": studies, "shared": {}},
            "warnings": {f"value_not_in_quote arm_outcomes.csv:{sid}#1 sd": f"{label}: arm_outcomes.csv, row {row + 45}"}}


def test_a_study_renamed_with_its_data_unchanged_reads_as_one_study_renamed() -> None:
    # Kwon et al. (2007) corrected to Kwon et al. (2008): a new id in every table, a new
    # label and year, and rows (one a row further down) otherwise the same. "Studies
    # removed" and "added" told a team a trial had left the review, and the pooled
    # analysis listed it gone and its twin come.
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    now = renamed_build("Kwon2008", "Kwon et al. (2008)", 2008, row=17)
    assert changes_section(now, before) == (
        "- Study Kwon et al. (2007) is now Kwon et al. (2008) (id Kwon2007 → Kwon2008, year 2007 → 2008); its data "
        "are unchanged.\n"
        "- No estimate, interval or conclusion changed.\n")
    # The id and label alone (the year kept), or the id alone.
    text = changes_section(renamed_build("KwonA2007", "Kwon A et al. (2007)", 2007), before)
    assert text.startswith("- Study Kwon et al. (2007) is now Kwon A et al. (2007) (id Kwon2007 → KwonA2007); its data "
                           "are unchanged.\n")
    text = changes_section(renamed_build("KwonA2007", "Kwon et al. (2007)", 2007), before)
    assert text.startswith("- Study Kwon et al. (2007) (id Kwon2007 → KwonA2007); its data are unchanged.\n")


def test_a_study_renamed_in_the_grade_judgements_too_is_no_edit_of_them() -> None:
    # Kwon2007 renamed Kwon2008, in the raw tables and, as the config check asks, in the
    # studies its analysis's GRADE judgements were made on: the same judgements, on the
    # same data. "GRADE judgements edited" told the team it had changed its ratings.
    def graded(build: dict[str, Any], sid: str, ratings: str = "r1", pinned: bool = False) -> dict[str, Any]:
        judged: Any = {sid: "n3583efb", "B": "h6a8aaeb"} if pinned else sorted([sid, "B"])
        a = {**build["analyses"]["a"], "certainty": "moderate", "certainty_status": "graded",
             "certainty_judgements": f"{ratings} {judged}", "certainty_ratings": ratings,
             "certainty_studies": judged, "certainty_text": "moderate (rated down for imprecision)"}
        return {**build, "analyses": {"a": a}}

    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    now = renamed_build("Kwon2008", "Kwon et al. (2008)", 2008, row=17)
    for pinned in (False, True):
        text = changes_section(graded(now, "Kwon2008", pinned=pinned), graded(before, "Kwon2007", pinned=pinned))
        assert text == ("- Study Kwon et al. (2007) is now Kwon et al. (2008) (id Kwon2007 → Kwon2008, year 2007 → "
                        "2008); its data are unchanged.\n- No estimate, interval or conclusion changed.\n"), pinned
    # A rating edited with the rename, or the judgements left on the old id's studies
    # list and another study put in: an edit still.
    edited = "`a`: GRADE judgements edited: moderate (rated down for imprecision)."
    assert edited in changes_section(graded(now, "Kwon2008", ratings="r2"), graded(before, "Kwon2007"))
    other = graded(now, "Kwon2008")
    other["analyses"]["a"]["certainty_studies"] = ["B", "Lee2010"]
    assert edited in changes_section(other, graded(before, "Kwon2007"))
    # Key results kept before the ratings were kept apart: compared whole, as they were.
    older = graded(before, "Kwon2007")
    older["analyses"]["a"] = {k: v for k, v in older["analyses"]["a"].items()
                              if k not in ("certainty_ratings", "certainty_studies")}
    assert edited in changes_section(graded(now, "Kwon2008"), older)
    # A build keeps both, from the judgements in the config.
    keys = key_results(context(analyses=_with_certainty(**JUDGED)))["analyses"]["acu_vs_sham"]
    assert keys["certainty_studies"] == ["A", "B"] and len(keys["certainty_ratings"]) == len(keys["certainty_judgements"])


def test_a_study_renamed_and_edited_names_the_cells_and_compares_its_effect_with_its_own() -> None:
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    now = renamed_build("Kwon2008", "Kwon et al. (2008)", 2008, sd=5.9, effect=0.04)
    assert changes_section(now, before) == (
        "- Study Kwon et al. (2007) is now Kwon et al. (2008) (id Kwon2007 → Kwon2008, year 2007 → 2008); its rows "
        "changed: arm\\_outcomes.csv row 61: `sd` 4.9 → 5.9.\n"
        "- `a`: Kwon et al. (2008), its effect 0.05 → 0.04.\n")
    # Two cells of 20 (its notes too): still the same study, at most 2 cells and one in ten.
    text = changes_section(renamed_build("Kwon2008", "Kwon et al. (2008)", 2008, sd=5.9, notes="Year corrected."),
                           before)
    assert text.startswith("- Study Kwon et al. (2007) is now Kwon et al. (2008) (id Kwon2007 → Kwon2008, year 2007 "
                           "→ 2008); its rows changed: arm\\_outcomes.csv row 61: `sd` 4.9 → 5.9; studies.csv row 16: "
                           "`notes` “Known from NBK56291 Figure 8.” → “Year corrected.”\n")
    # Three cells: too far apart to claim it is the same study.
    text = changes_section(renamed_build("Kwon2008", "Kwon et al. (2008)", 2008, sd=5.9, n=25, mean=5.26), before)
    assert "Is now" not in text and "is now" not in text
    assert "- Studies added: Kwon et al. (2008) (Kwon2008).\n- Studies removed: Kwon et al. (2007) (Kwon2007).\n" in text
    assert "with Kwon et al. (2008) added (its effect 0.05, −0.52 to 0.62) and without Kwon et al. (2007)" in text
    # The same three cells under the same label: one study, its id changed, and the cells
    # edited with it named (they were left out when the id changed).
    text = changes_section(renamed_build("KwonA2007", "Kwon et al. (2007)", 2007, sd=5.9, n=25, notes="Checked."),
                           before)
    assert text == ("- Study Kwon et al. (2007) (id Kwon2007 → KwonA2007); its rows changed: arm\\_outcomes.csv row "
                    "61: `n` 24 → 25, `sd` 4.9 → 5.9; studies.csv row 16: `notes` “Known from NBK56291 Figure 8.” → "
                    "“Checked.”\n"
                    "- No estimate, interval or conclusion changed.\n")


def test_a_rename_is_not_claimed_when_two_studies_match_it() -> None:
    # Two studies of the last build with the same rows (a row entered twice under two
    # ids, say), one of them gone: which one the study added is cannot be told.
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007,
                           others={"Kwon2007b": ("Kwon et al. (2007b)", 2007, 30)})
    now = renamed_build("Kwon2008", "Kwon et al. (2008)", 2008)
    text = changes_section(now, before)
    assert "is now" not in text
    assert "- Studies added: Kwon et al. (2008) (Kwon2008).\n" in text
    assert "- Studies removed: Kwon et al. (2007) (Kwon2007) and Kwon et al. (2007b) (Kwon2007b).\n" in text


def test_a_review_whose_every_id_changed_reads_as_each_study_renamed() -> None:
    # 150 studies given ids of another scheme (S0 → T0, ...), each with one studies.csv
    # row of 4 cells; one of them has its notes edited too: 1 cell of 4 is more than one
    # in ten, so that one reads as removed and added.
    columns = {"studies.csv": ["study_id", "label", "year", "notes"]}

    def build(prefix: str, edited: int | None = None) -> dict[str, Any]:
        studies = {f"{prefix}{i}": {"studies.csv": [[i + 2, f"{prefix}{i}", f"{prefix} study {i}", 2000 + i % 7,
                                                      f"notes {i}" + (" (edited)" if i == edited else "")]]}
                   for i in range(150)}
        return {"studies": sorted(studies), "study_labels": {sid: rows["studies.csv"][0][2] for sid, rows in studies.items()},
                "analyses": {}, "raw_cells": {"columns": columns, "studies": studies, "shared": {}},
                "study_data": {sid: {"studies.csv": json.dumps(rows["studies.csv"][0][1:])} for sid, rows in studies.items()}}

    text = changes_section(build("T", edited=7), build("S"))
    assert text.count("; its data are unchanged.") == 149
    assert "- Study S study 0 is now T study 0 (id S0 → T0); its data are unchanged.\n" in text
    assert "- Studies added: T study 7 (T7).\n- Studies removed: S study 7 (S7).\n" in text


def test_a_study_whose_label_or_year_alone_changed_reads_as_relabelled() -> None:
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    text = changes_section(renamed_build("Kwon2007", "Kwan et al. (2007)", 2007), before)
    assert text == ("- Study Kwon et al. (2007) is now Kwan et al. (2007) (id Kwon2007); its data are unchanged.\n"
                    "- No estimate, interval or conclusion changed.\n")
    text = changes_section(renamed_build("Kwon2007", "Kwon et al. (2007)", 2008), before)
    # Its year alone, said with a verb: "(id Kwon2007, year 2007 → 2008)" read as half a rename.
    assert text == ("- Study Kwon et al. (2007) (id Kwon2007): its year changed, 2007 → 2008; its data are unchanged.\n"
                    "- No estimate, interval or conclusion changed.\n")
    # With a cell edited, the cell in the same line, and not again as "Raw rows changed".
    text = changes_section(renamed_build("Kwon2007", "Kwan et al. (2007)", 2007, sd=5.9, effect=0.04), before)
    assert text.startswith("- Study Kwon et al. (2007) is now Kwan et al. (2007) (id Kwon2007); its rows changed: "
                           "arm\\_outcomes.csv row 61: `sd` 4.9 → 5.9.\n")
    assert "Raw rows changed" not in text
    # Against key results that kept no cells (nor years): no study reads as relabelled
    # for a year the older build did not keep, and a year changed is a changed file.
    older = {k: v for k, v in before.items() if k != "raw_cells"}
    assert changes_section(renamed_build("Kwon2007", "Kwon et al. (2007)", 2007), older) == (
        "No study, estimate, setting or conclusion changed since the previous build.\n")
    assert changes_section(renamed_build("Kwon2007", "Kwon et al. (2007)", 2008), older) == (
        "- Studies whose raw rows changed: Kwon et al. (2007) (Kwon2007: studies.csv).\n"
        "- No estimate, interval or conclusion changed.\n")


def test_a_build_keeps_the_studies_it_renamed_for_the_end_of_the_build() -> None:
    # The last build had study C as C0, every cell but the id the same.
    keys = key_results(context())
    previous = json.loads(json.dumps(keys).replace('"C"', '"C0"'))
    assert "C0" in previous["studies"] and "C" not in previous["studies"]
    _, _, now = build_report(TEMPLATE, context(previous=previous))
    assert now["renamed"] == {"C0": "C"}
    assert now["changes"][0].endswith("(id C0 → C); its data are unchanged.")
    assert not any(line.startswith(("Studies added", "Studies removed")) for line in now["changes"])
    # A first build renamed nothing.
    assert build_report(TEMPLATE, context())[2]["renamed"] == {}
    assert build_report(TEMPLATE, context())[2]["renamed_analyses"] == {}


def test_a_build_keeps_the_analyses_it_renamed_for_the_end_of_the_build() -> None:
    # The last build had analysis dn_vs_sham as dn_sham, and study C as C0: the analysis
    # is read as renamed with its study under its new id.
    keys = key_results(context())
    previous = json.loads(json.dumps(keys).replace('"C"', '"C0"').replace('"dn_vs_sham', '"dn_sham')
                          .replace('"analyses.dn_vs_sham.', '"analyses.dn_sham.'))
    assert "dn_sham" in previous["analyses"] and "analyses.dn_sham.measure" in previous["settings"]
    _, _, now = build_report(TEMPLATE, context(previous=previous))
    assert now["renamed_analyses"] == {"dn_sham": "dn_vs_sham"} and now["renamed"] == {"C0": "C"}
    assert any("renamed from `dn_sham` to `dn_vs_sham`" in line for line in now["changes"]), now["changes"]


def test_a_claim_s_reason_that_now_reads_a_renamed_study_s_label_alone_has_not_changed() -> None:
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    now = renamed_build("Kwon2008", "Kwon et al. (2008)", 2008)
    assert "Claim" not in changes_section(now, before)
    # Another change of the reason still shows.
    now["claim_reasons"]["c1"] = "The cited evidence, Kwon et al. (2008), reports a sleep outcome."
    assert ("- Claim `c1`, still not checkable: its reason now reads “The cited evidence, Kwon et al. (2008), reports a "
            "sleep outcome.”\n") in changes_section(now, before)


def test_a_claim_s_reason_that_gives_a_renamed_label_inside_brackets_has_not_changed() -> None:
    # A reason that puts the label inside its own brackets gives its year after a comma
    # (fmt.in_brackets): "(Kwon et al., 2007)" is the label "Kwon et al. (2007)" too.
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    now = renamed_build("Kwon2008", "Kwon et al. (2008)", 2008)
    before["claim_reasons"]["c1"] = "Sham: no pooled analysis, only one study (Kwon et al., 2007)."
    now["claim_reasons"]["c1"] = "Sham: no pooled analysis, only one study (Kwon et al., 2008)."
    assert "Claim" not in changes_section(now, before)


def test_a_certainty_text_that_now_reads_a_relabelled_study_s_label_alone_has_not_changed() -> None:
    # An out-of-date judgement's text names the studies by label: a year corrected in the
    # label alone read as "GRADE: not rated", a change of the analysis's certainty.
    # In the text's brackets the label reads as fmt.in_brackets gives it ("Kwon et al.,
    # 2007"), as certainty.describe writes it; an older build wrote it as it stands.
    def judged(build: dict[str, Any], label: str) -> dict[str, Any]:
        build["analyses"]["a"].update(certainty=None, certainty_status="out_of_date", certainty_judgements="j1",
                                      certainty_text=f"not rated (judged on {label}; the analysis now rests on "
                                                     f"{label} and on Bee, 2003)")
        return build

    for was, now_label in (("Kwon et al., 2007", "Kwon et al., 2008"), ("Kwon et al. (2007)", "Kwon et al. (2008)")):
        before = judged(renamed_build("Kwon2007", "Kwon et al. (2007)", 2007), was)
        now = judged(renamed_build("Kwon2007", "Kwon et al. (2008)", 2007), now_label)
        assert changes_section(now, before) == (
            "- Study Kwon et al. (2007) is now Kwon et al. (2008) (id Kwon2007); its data are unchanged.\n"
            "- No estimate, interval or conclusion changed.\n")


def with_digests(build: dict[str, Any]) -> dict[str, Any]:
    """``build`` with each study's digests made again from its raw cells, as renamed_build makes them."""
    build["study_data"] = {s: {f: json.dumps([r[1:] for r in rows]) for f, rows in files.items()}
                           for s, files in build["raw_cells"]["studies"].items()}
    return build


def ids_swapped(build: dict[str, Any], a: str, b: str) -> dict[str, Any]:
    """Key results of ``build`` after studies ``a`` and ``b`` swapped ids in every table:
    each study's rows, label, effect and warnings under the other's id, rows where they were."""
    from metareview.checks import renamed_key

    def swap(x: Any) -> Any:
        if isinstance(x, dict):
            return {swap(k): swap(v) for k, v in x.items()}
        if isinstance(x, list):
            return [swap(v) for v in x]
        return {a: b, b: a}.get(x, x) if isinstance(x, str) else x

    out = swap({k: v for k, v in build.items() if k != "warnings"})
    for entry in (out, *out["analyses"].values()):
        entry["studies"] = sorted(entry["studies"])
    out["warnings"] = {renamed_key(k, {a: b, b: a}): v for k, v in build.get("warnings", {}).items()}
    return with_digests(out)


def test_a_dry_run_reads_a_rename_from_the_tables_as_the_build_will() -> None:
    # The raw tables of a build whose study A is given the id A2 in every table: read as
    # that rename from the tables alone, as What changed reads it from the key results.
    ctx = context()
    studies = [{"study_id": sid, "label": label} for sid, label in key_results(ctx)["study_labels"].items()]
    ctx = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "studies": studies})
    before = key_results(ctx)
    tables = {t: [{k: ("A2" if k == "study_id" and v == "A" else v) for k, v in row.items()} for row in rows]
              for t, rows in ctx.raw_tables.items()}
    assert renamed_in_tables(tables, ctx.raw_row_numbers, before) == {"A": "A2"}
    assert renamed_in_tables(ctx.raw_tables, ctx.raw_row_numbers, before) == {}
    # No last build, or one whose key results keep no cells: nothing said.
    assert renamed_in_tables(tables, ctx.raw_row_numbers, None) == {}
    assert renamed_in_tables(tables, ctx.raw_row_numbers, {"studies": ["A"], "raw_cells": None}) == {}


def test_two_studies_that_swapped_ids_read_as_one_line_and_keep_their_effects() -> None:
    # Kwon et al. (2007)'s rows were entered as B and Bee (2003)'s as Kwon2007, and the ids
    # put right: each study's rows, label and numbers now under the other's id. Read by
    # id, each study was relabelled as the other and every analysis of the two moved
    # its effects between them, though no trial's data changed.
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    now = ids_swapped(before, "Kwon2007", "B")
    assert now["study_labels"] == {"B": "Kwon et al. (2007)", "Kwon2007": "Bee (2003)"}
    assert renamed_since(now, before) == {"B": "Kwon2007", "Kwon2007": "B"}
    assert changes_section(now, before) == (
        "- Studies Bee (2003) (id B → Kwon2007) and Kwon et al. (2007) (id Kwon2007 → B) swapped ids; their data "
        "are unchanged.\n"
        "- No estimate, interval or conclusion changed.\n")
    # A cell edited with the swap: named, and the effect it moved compared with its own.
    now = ids_swapped(renamed_build("Kwon2007", "Kwon et al. (2007)", 2007, sd=5.9, effect=0.04), "Kwon2007", "B")
    assert changes_section(now, before) == (
        "- Studies Bee (2003) (id B → Kwon2007) and Kwon et al. (2007) (id Kwon2007 → B) swapped ids; the data of "
        "Bee (2003) are unchanged; the rows of Kwon et al. (2007) changed: arm\\_outcomes.csv row 61: `sd` 4.9 → "
        "5.9.\n"
        "- `a`: Kwon et al. (2007), its effect 0.05 → 0.04.\n")


def test_numbers_moved_between_two_studies_that_kept_their_names_are_an_edit_of_each() -> None:
    # The arms and outcomes of Kwon2007 and B traded, each study keeping its studies.csv
    # row: results entered under the wrong trial, corrected. Each trial's effect did
    # change, and the rows match the other's as closely as a swap's (one cell, the
    # notes), but the names did not go with them: not a swap.
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    now = ids_swapped(before, "Kwon2007", "B")
    now["study_labels"] = before["study_labels"]
    for sid in ("Kwon2007", "B"):
        now["raw_cells"]["studies"][sid]["studies.csv"] = before["raw_cells"]["studies"][sid]["studies.csv"]
    now = with_digests(now)
    assert renamed_since(now, before) == {}
    text = changes_section(now, before)
    assert "swapped" not in text and "is now" not in text
    assert "- Raw rows changed, Bee (2003) (B): " in text and "- Raw rows changed, Kwon et al. (2007) (Kwon2007): " in text
    assert ("- `a`: Bee (2003), its effect 0.17 → 0.05, interval −0.05 to 0.39 → −0.52 to 0.62; Kwon et al. (2007), "
            "its effect 0.05 → 0.17, interval −0.52 to 0.62 → −0.05 to 0.39.\n") in text


def test_two_alike_studies_each_edited_are_not_taken_for_a_swap() -> None:
    # Two studies of one name and the same rows (a trial entered twice), each with a cell
    # edited: the rows of each are as near the other's before as its own, and the names
    # alike go with either. A swap claimed here would hide two edits.
    twin = {"Kwon2007b": ("Kwon et al. (2007)", 2007, 30)}
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007, others=twin)
    now = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007, others=twin)
    now["raw_cells"]["studies"]["Kwon2007"]["arm_outcomes.csv"][0][5] = 5.9  # sd
    now["raw_cells"]["studies"]["Kwon2007b"]["arm_outcomes.csv"][0][3] = 25  # n
    now = with_digests(now)
    assert renamed_since(now, before) == {}
    text = changes_section(now, before)
    assert "swapped" not in text
    assert "- Raw rows changed, Kwon et al. (2007) (Kwon2007): arm\\_outcomes.csv row 61: `sd` 4.9 → 5.9.\n" in text
    assert "- Raw rows changed, Kwon et al. (2007) (Kwon2007b): arm\\_outcomes.csv row 75: `n` 24 → 25.\n" in text


def of_their_own(build: dict[str, Any], arms: dict[str, tuple[int, float, float]]) -> dict[str, Any]:
    """``build`` with each study of ``arms`` given that n, mean and SD in its first outcome
    row: a trial of its own, not another's rows under another id (renamed_build's ``others``)."""
    for sid, (n, mean, sd) in arms.items():
        build["raw_cells"]["studies"][sid]["arm_outcomes.csv"][0][3:6] = [n, mean, sd]
    return with_digests(build)


def moved_round(build: dict[str, Any], *ids: str) -> dict[str, Any]:
    """Key results of ``build`` after the ids of studies ``ids`` moved round: the rows,
    label and effect of each now under the next one's id, the last one's under the first's."""
    first, *rest = ids
    for sid in rest:
        build = ids_swapped(build, first, sid)
    return build


def three_trials(**kwargs: Any) -> dict[str, Any]:
    """renamed_build's study Kwon2007 and B, and a third trial, Kwon2007b, of rows of its own."""
    third = {"Kwon2007b": ("Kwon et al. (2007b)", 2007, 30)}
    return of_their_own(renamed_build("Kwon2007", "Kwon et al. (2007)", 2007, others=third, **kwargs),
                        {"Kwon2007b": (30, 6.16, 3.3)})


def test_ids_moved_round_three_studies_read_as_one_line() -> None:
    # Kwon2007's rows now under B, B's under Kwon2007b and Kwon2007b's under Kwon2007:
    # each trial's data unchanged, under another's id. Read by id, each study was
    # relabelled as another and its rows replaced by another's.
    before = three_trials()
    now = moved_round(before, "Kwon2007", "B", "Kwon2007b")
    assert now["study_labels"] == {"B": "Kwon et al. (2007)", "Kwon2007b": "Bee (2003)",
                                   "Kwon2007": "Kwon et al. (2007b)"}
    assert renamed_since(now, before) == {"Kwon2007": "B", "B": "Kwon2007b", "Kwon2007b": "Kwon2007"}
    # From the first id, in the order the rows moved.
    assert changes_section(now, before) == (
        "- Studies Bee (2003) (id B → Kwon2007b), Kwon et al. (2007b) (id Kwon2007b → Kwon2007) and Kwon et al. "
        "(2007) (id Kwon2007 → B) moved ids; their data are unchanged.\n"
        "- No estimate, interval or conclusion changed.\n")
    # A cell edited with the move: named, and the effect it moved compared with its own.
    edited = three_trials(effect=0.04)
    edited["raw_cells"]["studies"]["Kwon2007"]["arm_outcomes.csv"][0][5] = 5.9  # sd
    edited = with_digests(edited)
    assert changes_section(moved_round(edited, "Kwon2007", "B", "Kwon2007b"), before) == (
        "- Studies Bee (2003) (id B → Kwon2007b), Kwon et al. (2007b) (id Kwon2007b → Kwon2007) and Kwon et al. "
        "(2007) (id Kwon2007 → B) moved ids; the data of Bee (2003) and Kwon et al. (2007b) are unchanged; the rows "
        "of Kwon et al. (2007) changed: arm\\_outcomes.csv row 61: `sd` 4.9 → 5.9.\n"
        "- `a`: Kwon et al. (2007), its effect 0.05 → 0.04.\n")


def test_ids_moved_round_two_rounds_at_once_read_as_a_line_each() -> None:
    # Kwon2007 and B swapped ids, and C, D and E moved theirs round, in one edit.
    others = {"C": ("Cole (2010)", 2010, 30), "D": ("Dunn (2015)", 2015, 90), "E": ("Egan (2018)", 2018, 150)}
    before = of_their_own(renamed_build("Kwon2007", "Kwon et al. (2007)", 2007, others=others),
                          {"C": (31, 6.1, 3.1), "D": (32, 6.2, 3.2), "E": (33, 6.3, 3.3)})
    now = moved_round(moved_round(before, "Kwon2007", "B"), "E", "C", "D")
    assert renamed_since(now, before) == {"B": "Kwon2007", "Kwon2007": "B", "E": "C", "C": "D", "D": "E"}
    assert changes_section(now, before) == (
        "- Studies Bee (2003) (id B → Kwon2007) and Kwon et al. (2007) (id Kwon2007 → B) swapped ids; their data "
        "are unchanged.\n"
        "- Studies Cole (2010) (id C → D), Dunn (2015) (id D → E) and Egan (2018) (id E → C) moved ids; their data "
        "are unchanged.\n"
        "- No estimate, interval or conclusion changed.\n")


def relabelled_as(build: dict[str, Any], sid: str, label: str, year: int | None = None) -> dict[str, Any]:
    """``build`` with study ``sid``'s label (and year) corrected in studies.csv, and its
    label where the key results give it."""
    row = build["raw_cells"]["studies"][sid]["studies.csv"][0]
    row[2], row[3] = label, row[3] if year is None else year
    build["study_labels"][sid] = label
    return with_digests(build)


def test_a_swap_with_a_label_corrected_reads_as_one_line_that_says_the_label() -> None:
    # The ids of Kwon2007 and B put right, and Kwon et al. (2007)'s label corrected with
    # them: read as each study edited into the other, as if their data had changed.
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    now = relabelled_as(ids_swapped(before, "Kwon2007", "B"), "B", "Kwon et al. (2008)")
    now["claim_reasons"]["c1"] = "The cited evidence, Kwon et al. (2008), reports no sleep outcome."
    assert renamed_since(now, before) == {"B": "Kwon2007", "Kwon2007": "B"}
    text = changes_section(now, before)
    assert text == (
        "- Studies Bee (2003) (id B → Kwon2007) and Kwon et al. (2007) (id Kwon2007 → B) swapped ids; Kwon et al. "
        "(2007) is now labelled Kwon et al. (2008); their data are unchanged.\n"
        "- No estimate, interval or conclusion changed.\n")
    assert _nested_brackets(text) == []
    # Its year with it, in its brackets as a rename gives it.
    now = relabelled_as(ids_swapped(before, "Kwon2007", "B"), "B", "Kwon et al. (2008)", 2008)
    assert changes_section(now, before).startswith(
        "- Studies Bee (2003) (id B → Kwon2007) and Kwon et al. (2007) (id Kwon2007 → B, year 2007 → 2008) swapped "
        "ids; Kwon et al. (2007) is now labelled Kwon et al. (2008); their data are unchanged.\n")
    # Either study's.
    now = relabelled_as(ids_swapped(before, "Kwon2007", "B"), "Kwon2007", "Bee et al. (2003)")
    assert changes_section(now, before).startswith(
        "- Studies Bee (2003) (id B → Kwon2007) and Kwon et al. (2007) (id Kwon2007 → B) swapped ids; Bee (2003) is "
        "now labelled Bee et al. (2003); their data are unchanged.\n")
    # Both labels corrected: no name went with the rows, and nothing tells a swap from
    # results moved between two trials; each is an edit.
    now = relabelled_as(relabelled_as(ids_swapped(before, "Kwon2007", "B"), "B", "Kwon et al. (2008)"),
                        "Kwon2007", "Bee et al. (2003)")
    assert renamed_since(now, before) == {}
    assert "swapped" not in changes_section(now, before)


def test_ids_moved_round_three_studies_with_a_label_corrected_read_as_one_line() -> None:
    before = three_trials()
    # Kwon et al. (2007b)'s rows, now under Kwon2007, as Kwan et al. (2007).
    now = relabelled_as(moved_round(before, "Kwon2007", "B", "Kwon2007b"), "Kwon2007", "Kwan et al. (2007)")
    assert renamed_since(now, before) == {"Kwon2007": "B", "B": "Kwon2007b", "Kwon2007b": "Kwon2007"}
    text = changes_section(now, before)
    assert text.startswith(
        "- Studies Bee (2003) (id B → Kwon2007b), Kwon et al. (2007b) (id Kwon2007b → Kwon2007) and Kwon et al. "
        "(2007) (id Kwon2007 → B) moved ids; Kwon et al. (2007b) is now labelled Kwan et al. (2007); their data are "
        "unchanged.\n")
    assert "Raw rows changed" not in text and _nested_brackets(text) == []
    # Two of the three corrected: too little of the names went with the rows.
    now = relabelled_as(now, "B", "Kwon et al. (2008)")
    assert renamed_since(now, before) == {}
    # The label now under Kwon2007 the one Kwon2007 had (its name stayed with its id, and
    # went with its rows to B as well): not a correction.
    now = relabelled_as(moved_round(before, "Kwon2007", "B", "Kwon2007b"), "Kwon2007", "Kwon et al. (2007)")
    assert renamed_since(now, before) == {}


def test_numbers_moved_round_three_studies_that_kept_their_names_are_an_edit_of_each() -> None:
    # The arms and outcomes of Kwon2007, B and Kwon2007b moved round, each study keeping
    # its studies.csv row: results entered under the wrong trials, corrected. Each
    # trial's effect did change.
    before = three_trials()
    now = moved_round(before, "Kwon2007", "B", "Kwon2007b")
    now["study_labels"] = before["study_labels"]
    for sid in ("Kwon2007", "B", "Kwon2007b"):
        now["raw_cells"]["studies"][sid]["studies.csv"] = before["raw_cells"]["studies"][sid]["studies.csv"]
    now = with_digests(now)
    assert renamed_since(now, before) == {}
    text = changes_section(now, before)
    assert "moved ids" not in text and "is now" not in text
    for name in ("Bee (2003) (B)", "Kwon et al. (2007) (Kwon2007)", "Kwon et al. (2007b) (Kwon2007b)"):
        assert f"- Raw rows changed, {name}: " in text


def test_three_alike_studies_each_edited_are_not_taken_for_ids_moved_round() -> None:
    # A trial entered three times under one name, each copy with a cell edited: the rows
    # of each are as near another's before as its own.
    twins = {"Kwon2007b": ("Kwon et al. (2007)", 2007, 30), "Kwon2007c": ("Kwon et al. (2007)", 2007, 90)}
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007, others=twins)
    now = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007, others=twins)
    now["raw_cells"]["studies"]["Kwon2007"]["arm_outcomes.csv"][0][5] = 5.9  # sd
    now["raw_cells"]["studies"]["Kwon2007b"]["arm_outcomes.csv"][0][3] = 25  # n
    now["raw_cells"]["studies"]["Kwon2007c"]["arm_outcomes.csv"][0][4] = 6.16  # mean
    now = with_digests(now)
    assert renamed_since(now, before) == {}
    text = changes_section(now, before)
    assert "moved ids" not in text and "swapped" not in text
    assert ("- Raw rows changed, Kwon et al. (2007) (Kwon2007c): arm\\_outcomes.csv row 135: `mean` 5.16 → 6.16.\n"
            in text)


def with_a_claim_on(build: dict[str, Any], sid: str) -> dict[str, Any]:
    """``build`` with claims.csv, a table of no study's, attributing claim c1 to study ``sid``."""
    build["raw_cells"]["columns"] = {**build["raw_cells"]["columns"], "claims.csv": ["claim_id", "attributed_study_id"]}
    build["raw_cells"]["shared"] = {"claims.csv": [[2, "c1", sid]]}
    build["shared_data"] = {"claims.csv": json.dumps(["c1", sid])}
    return build


def test_a_claim_s_study_id_that_follows_a_renamed_or_moved_study_is_not_a_table_edited() -> None:
    # The claim's attributed_study_id given the study's new id, as a rename asks: read as
    # claims.csv edited beside the line that says the id changed.
    before = with_a_claim_on(renamed_build("Kwon2007", "Kwon et al. (2007)", 2007), "Kwon2007")
    now = with_a_claim_on(renamed_build("Kwon2008", "Kwon et al. (2008)", 2008), "Kwon2008")
    assert changes_section(now, before) == (
        "- Study Kwon et al. (2007) is now Kwon et al. (2008) (id Kwon2007 → Kwon2008, year 2007 → 2008); its data "
        "are unchanged.\n"
        "- No estimate, interval or conclusion changed.\n")
    now = with_a_claim_on(ids_swapped(before, "Kwon2007", "B"), "B")
    assert changes_section(now, before) == (
        "- Studies Bee (2003) (id B → Kwon2007) and Kwon et al. (2007) (id Kwon2007 → B) swapped ids; their data "
        "are unchanged.\n"
        "- No estimate, interval or conclusion changed.\n")
    # The claim given to another study with it: that is an edit, of the study it follows.
    now = with_a_claim_on(renamed_build("Kwon2008", "Kwon et al. (2008)", 2008), "B")
    assert ("- Raw tables changed: claims.csv row 2: `attributed_study_id` “Kwon2008” → “B”.\n"
            in changes_section(now, before))


def test_a_warning_no_longer_raised_on_a_renamed_study_reads_under_its_name_now() -> None:
    # The sd corrected with the year: the warning on it is settled. Under "Kwon et al.
    # (2007)" alone it named a study the review no longer lists so, beside the line that
    # says the study is now Kwon et al. (2008).
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    now = {**renamed_build("Kwon2008", "Kwon et al. (2008)", 2008, row=17, sd=5.9, effect=0.04), "warnings": {}}
    assert ("- Consistency warning of the last build no longer raised: Kwon et al. (2008), formerly Kwon et al. "
            "(2007): arm\\_outcomes.csv, row 61.\n") in changes_section(now, before)
    # Its label alone corrected, its id kept: the same.
    now = {**renamed_build("Kwon2007", "Kwan et al. (2007)", 2007, sd=5.9, effect=0.04), "warnings": {}}
    assert ("- Consistency warning of the last build no longer raised: Kwan et al. (2007), formerly Kwon et al. "
            "(2007): arm\\_outcomes.csv, row 61.\n") in changes_section(now, before)
    # Its id alone: its label is the one the warning gave.
    now = {**renamed_build("KwonA2007", "Kwon et al. (2007)", 2007, sd=5.9, effect=0.04), "warnings": {}}
    assert ("- Consistency warning of the last build no longer raised: Kwon et al. (2007): arm\\_outcomes.csv, "
            "row 61.\n") in changes_section(now, before)
    # Still raised: neither new nor settled, whatever its label.
    now = renamed_build("Kwon2008", "Kwon et al. (2008)", 2008, row=17, sd=5.9, effect=0.04)
    assert "onsistency warning" not in changes_section(now, before)


def _rows_swapped(build: dict[str, Any], sid: str, file: str) -> dict[str, Any]:
    """``build`` with study ``sid``'s two rows of ``file`` in the other order, each keeping
    its spreadsheet row number's place (rows moved, no cell edited), digests as the rows."""
    out = copy.deepcopy(build)
    rows = out["raw_cells"]["studies"][sid][file]
    rows[:] = [[rows[0][0], *rows[1][1:]], [rows[1][0], *rows[0][1:]]]
    out["study_data"][sid][file] = json.dumps([r[1:] for r in rows])
    return out


def test_a_study_whose_rows_were_only_reordered_reads_so_and_keeps_its_warnings() -> None:
    from metareview.checks import row_identities, stable_warning_key
    from metareview.report.keys import comparable_warnings, kept_tables

    # A build from before warnings were keyed by what their rows are: its warning on
    # Kwon2007's first outcome row is named by that row's place.
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    [old_key] = before["warnings"]
    assert old_key == "value_not_in_quote arm_outcomes.csv:Kwon2007#1 sd"
    # The same rows sorted otherwise: the warning's row is the second now.
    now = _rows_swapped(before, "Kwon2007", "arm_outcomes.csv")
    now_ids = row_identities(kept_tables(now["raw_cells"]) or {})
    now["warnings"] = {stable_warning_key("value_not_in_quote arm_outcomes.csv:Kwon2007#2 sd", now_ids):
                       "Kwon et al. (2007): arm_outcomes.csv, row 62"}
    # The last build's key, read through its own rows, is this build's.
    assert comparable_warnings(before) == {
        "value_not_in_quote arm_outcomes.csv:Kwon2007(acu; ; ; ; ; ) sd": "Kwon et al. (2007): arm_outcomes.csv, row 61"}
    assert comparable_warnings(before).keys() == now["warnings"].keys()
    text = changes_section(now, before)
    assert text == ("- Rows reordered, no cell changed: Kwon et al. (2007) (Kwon2007: arm\\_outcomes.csv).\n"
                    "- No estimate, interval or conclusion changed.\n")
    # The next build compares keys of one form: the warning is still neither new nor settled.
    assert "onsistency warning" not in changes_section(now, now)
    # A cell edited as well: the study's rows changed, and say which.
    edited = copy.deepcopy(now)
    edited["raw_cells"]["studies"]["Kwon2007"]["arm_outcomes.csv"][0][5] = 5.9
    edited["study_data"]["Kwon2007"]["arm_outcomes.csv"] = "edited"
    text = changes_section(edited, before)
    assert "reordered, no cell changed" not in text and "Raw rows changed, Kwon et al. (2007) (Kwon2007): " in text
    # Many studies reordered: one line still, not a list of studies whose rows changed.
    others = {f"K{i:02d}": (f"Kay {i} (2010)", 2010, 100 + 10 * i) for i in range(12)}
    many = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007, others=others)
    many_now = many
    for sid in others:
        many_now = _rows_swapped(many_now, sid, "arms.csv")
    text = changes_section({**many_now, "warnings": {}}, {**many, "warnings": {}})
    assert "Rows reordered, no cell changed: Kay 0 (2010) (K00: arms.csv), " in text and "2 more." in text
    assert "raw rows changed" not in text.lower()


def test_warnings_keyed_by_place_are_compared_only_where_their_rows_say_which_they_are() -> None:
    from metareview.report.keys import comparable_warnings, compared_warnings

    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    now = _rows_swapped(before, "Kwon2007", "arm_outcomes.csv")
    now["warnings"] = {"value_not_in_quote arm_outcomes.csv:Kwon2007(acu; ; ; ; ; ) sd": "row 62"}
    # A build that kept no rows cannot say which row its key named: not compared, rather
    # than a warning read as settled and the same one as new.
    cellless = {k: v for k, v in before.items() if k != "raw_cells"}
    assert comparable_warnings(cellless) is None and compared_warnings(cellless, now) is None
    assert "onsistency warning" not in changes_section(now, cellless)
    # Nothing to match where either raised none: each of the other's is new, or settled.
    assert compared_warnings(cellless, {**now, "warnings": {}}) == (cellless["warnings"], {})
    assert "no longer raised" in changes_section({**now, "warnings": {}}, cellless)
    # Two builds both keyed by place, neither with rows: compared as they are, alike.
    assert compared_warnings(cellless, cellless) == (cellless["warnings"], cellless["warnings"])
    assert compared_warnings(before, now) == ({"value_not_in_quote arm_outcomes.csv:Kwon2007(acu; ; ; ; ; ) sd":
                                               "Kwon et al. (2007): arm_outcomes.csv, row 61"}, now["warnings"])


def test_a_warning_on_several_studies_no_longer_raised_names_a_renamed_one_by_its_label_now() -> None:
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    before["warnings"] = {"repeated contrasts.csv:B#1 contrasts.csv:Kwon2007#1": (
        "Bee (2003); Kwon et al. (2007): the same estimate and confidence bounds in 2 studies: Bee (2003) "
        "(contrasts.csv row 5); Kwon et al. (2007) (contrasts.csv row 40)")}
    now = {**renamed_build("Kwon2008", "Kwon et al. (2008)", 2008), "warnings": {}}
    # (Cut at a word before 120 characters, as any such warning.)
    assert ("- Consistency warning of the last build no longer raised: Bee (2003); Kwon et al. (2008): the same "
            "estimate and confidence bounds in 2 studies: Bee (2003) (contrasts.csv row…") in changes_section(now, before)


#: An analysis's definition as the key results keep its settings (config_settings).
ANALYSIS_SETTINGS = {"intervention": "acupuncture", "comparator": "sham", "outcome": "pain", "window": "short",
                     "measure": "SMD"}


def defined(*ids: str, **fields: Any) -> dict[str, Any]:
    """The settings of a build whose analyses ``ids`` each have :data:`ANALYSIS_SETTINGS`
    (with ``fields`` over it), as config_settings flattens them."""
    return {"methods.method": "REML", **{f"analyses.{aid}.{k}": v for aid in ids
                                         for k, v in {**ANALYSIS_SETTINGS, **fields}.items()}}


def test_an_analysis_whose_id_alone_changed_reads_as_renamed() -> None:
    # acu_sham corrected to acupuncture_vs_sham_pain in the config: the same comparison of
    # the same studies, not one analysis removed and another added with its estimate twice.
    title = "Acupuncture vs Sham: pain intensity, short term"
    before = {**keys_of(acu_sham={**entry(-0.5), "studies": ["A", "B"]}), "settings": defined("acu_sham"),
              "analysis_titles": {"acu_sham": title}}
    now = {**keys_of(acupuncture_vs_sham_pain={**entry(-0.5), "studies": ["A", "B"]}),
           "settings": defined("acupuncture_vs_sham_pain"), "analysis_titles": {"acupuncture_vs_sham_pain": title}}
    assert changes_section(now, before) == (
        f"- {title} (`acupuncture_vs_sham_pain`): renamed from `acu_sham` to `acupuncture_vs_sham_pain`, the same "
        "definition and studies.\n- No estimate, interval or conclusion changed.\n")
    # Its estimate moved too: said as for any analysis kept, under its new id, once.
    moved = {**now, "analyses": {"acupuncture_vs_sham_pain": {**entry(-0.4), "studies": ["A", "B"]}}}
    text = changes_section(moved, before)
    assert f"- {title} (`acupuncture_vs_sham_pain`): estimate −0.50 → −0.40.\n" in text
    assert "renamed from `acu_sham` to `acupuncture_vs_sham_pain`" in text
    assert "New analysis" not in text and "removed" not in text and "No estimate" not in text
    # A warning on its GRADE rating is the one the last build raised, under its new id.
    flag = "imprecision rated not serious (GRADE), but ..."
    warned = changes_section({**now, "warnings": {"grade_flag acupuncture_vs_sham_pain imprecision": flag}},
                             {**before, "warnings": {"grade_flag acu_sham imprecision": flag}})
    assert "New consistency" not in warned and "no longer raised" not in warned


def test_an_analysis_is_not_read_as_renamed_unless_one_removed_and_one_added_match() -> None:
    def said(now: dict[str, Any], before: dict[str, Any]) -> str:
        text = changes_section(now, before)
        assert "renamed from" not in text
        return text

    before = {**keys_of(a={**entry(-0.5), "studies": ["A", "B"]}), "settings": defined("a")}
    now = {**keys_of(b={**entry(-0.5), "studies": ["A", "B"]}), "settings": defined("b")}
    assert "renamed from `a` to `b`" in changes_section(now, before)
    # Another outcome: another analysis.
    other = said({**now, "settings": defined("b", outcome="disability")}, before)
    assert "New analysis `b`" in other and "Analysis `a` removed" in other
    # Other studies: another analysis, or the same one changed, which cannot be told.
    assert "New analysis `b`" in said({**now, "analyses": {"b": {**entry(-0.5), "studies": ["A"]}}}, before)
    # Two removed with the same definition (one entered twice, say): which is renamed cannot
    # be told, and each is said as it is.
    twice = {**keys_of(a={**entry(-0.5), "studies": ["A", "B"]}, a2={**entry(-0.5), "studies": ["A", "B"]}),
             "settings": defined("a", "a2")}
    text = said(now, twice)
    assert "New analysis `b`" in text and "Analysis `a` removed" in text and "Analysis `a2` removed" in text
    # Two added alike: the same.
    assert "Analysis `a` removed" in said({**keys_of(b={**entry(-0.5), "studies": ["A", "B"]},
                                                     c={**entry(-0.5), "studies": ["A", "B"]}),
                                           "settings": defined("b", "c")}, before)
    # Key results without settings tell no definition.
    assert "New analysis `b`" in said({k: v for k, v in now.items() if k != "settings"},
                                      {k: v for k, v in before.items() if k != "settings"})


def flagged(**studies: tuple[bool, float | None]) -> dict[str, Any]:
    """A pooled key-results entry of ``studies`` with their baseline flags (flagged, d)."""
    return {**entry(-0.5), "studies": sorted(studies),
            "baseline_flags": {sid: {"flagged": on, "d": d} for sid, (on, d) in studies.items()}}


def test_a_baseline_flag_that_came_or_went_is_said_with_why() -> None:
    labels = {"A": "Ay (2009)", "B": "Bee (2003)"}

    def build(threshold: float, **studies: tuple[bool, float | None]) -> dict[str, Any]:
        return {**keys_of(a=flagged(**studies)), "study_labels": labels,
                "settings": {"effects.baseline_imbalance_smd": threshold}}

    before = build(0.1, A=(False, 0.05), B=(True, 0.3))
    # A baseline row edited: Ay's arms now differ at week 0, and the caveat comes with it,
    # its own line, though no number moved.
    text = changes_section(build(0.1, A=(True, 0.15), B=(True, 0.3)), before)
    assert text == ("- `a`: Ay (2009), now flagged for arms that differed at baseline (week-0 d = 0.15, threshold "
                    "0.1), as its week-0 values changed (d was 0.05).\n")
    # The threshold raised: Bee's flag goes, the setting said as the cause.
    text = changes_section(build(0.35, A=(False, 0.05), B=(False, 0.3)), before)
    assert ("- `a`: Bee (2003), no longer flagged for arms that differed at baseline (week-0 d = 0.30, threshold "
            "0.35), as the threshold changed (`effects.baseline_imbalance_smd` was 0.1).\n") in text
    assert "(`effects.baseline_imbalance_smd`): 0.1 → 0.35" in text
    # Two d's alike to two decimals on either side of it: told apart.
    assert "(week-0 d = 0.101, threshold 0.1), as its week-0 values changed (d was 0.099)" in changes_section(
        build(0.1, A=(True, 0.101), B=(True, 0.3)), build(0.1, A=(False, 0.099), B=(True, 0.3)))
    # Its week-0 rows gone (or its effect now from change scores): no d to give.
    assert ("Bee (2003), no longer flagged for arms that differed at baseline (threshold 0.1), as no week-0 values "
            "are compared now (d was 0.30)") in changes_section(build(0.1, A=(False, 0.05), B=(False, None)), before)
    # Many alike: each named, however many, and never counted among numbers that moved.
    many = {f"a{i}": flagged(A=(False, 0.05)) for i in range(12)}
    text = changes_section({**keys_of(**{aid: flagged(A=(True, 0.15)) for aid in many}), "study_labels": labels},
                           {**keys_of(**many), "study_labels": labels})
    assert text.count("Ay (2009), now flagged for arms that differed at baseline") == 12
    assert "Estimates or intervals moved" not in text
    # The same flag, or a build from before the flags were kept (unknown, not a change): nothing.
    assert changes_section(before, before).startswith("No study, estimate, setting or conclusion changed")
    older = {**before, "analyses": {"a": {k: v for k, v in before["analyses"]["a"].items() if k != "baseline_flags"}}}
    assert changes_section(build(0.1, A=(True, 0.15), B=(True, 0.3)), older).startswith("No study, estimate")


def test_a_renamed_study_s_baseline_flag_is_compared_with_its_own() -> None:
    before = renamed_build("Kwon2007", "Kwon et al. (2007)", 2007)
    now = renamed_build("Kwon2008", "Kwon et al. (2008)", 2008)
    before["analyses"]["a"]["baseline_flags"] = {"Kwon2007": {"flagged": False, "d": 0.05}, "B": {"flagged": False, "d": 0.0}}
    now["analyses"]["a"]["baseline_flags"] = {"Kwon2008": {"flagged": True, "d": 0.2}, "B": {"flagged": False, "d": 0.0}}
    assert "Kwon et al. (2008), now flagged for arms that differed at baseline (week-0 d = 0.20)" in (
        changes_section(now, before))


def test_key_results_keep_each_study_effect_s_baseline_flag() -> None:
    # Kept for the next build's What changed; C's effect flagged, with the d its check read.
    ctx = context()
    study = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    study.update(baseline_imbalance=-0.25, baseline_read={"refs": ["arm_outcomes.csv:C#1"], "d": -0.25})
    assert key_results(ctx)["analyses"]["dn_vs_sham"]["baseline_flags"] == {"C": {"flagged": True, "d": -0.25}}
    # Read and below the threshold: not flagged, its d kept.
    del study["baseline_imbalance"]
    study["baseline_read"]["d"] = 0.04
    assert key_results(ctx)["analyses"]["dn_vs_sham"]["baseline_flags"] == {"C": {"flagged": False, "d": 0.04}}


def test_the_limitations_gather_what_the_report_says_analysis_by_analysis() -> None:
    from metareview.report import limitations_section

    ctx = context(review={**CONFIG["review"], "evidence_base": "Not a systematic search."})
    text = str(limitations_section(ctx))
    # Whatever the evidence base: "the sources did not hold" spoke of a blog post's table.
    assert "- **How the studies were found**: Not a systematic search. A study not found that way is missing here. " \
        "See the [methods](#sec-methods).\n" in text
    # acu_vs_sham pools A and B; dn_vs_sham rests on C.
    assert "- **Pooling**: of 2 analyses, 1 pools trials and 1 rests on one study (not pooled).\n" in text
    assert "No estimate here pools trials" not in text
    assert "secondary source" not in text and "low confidence" not in text
    assert "- **Risk of bias and certainty**: risk of bias was not assessed for any of the 3 trials the analyses " \
        "use: the risk of bias of every result here, pooled or from one study, is therefore unknown, and without " \
        "it the certainty of the evidence (GRADE), which starts from risk of bias, cannot be rated for any " \
        "result.\n" in text
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    r["studies"][0].update(source_level="secondary", flags=[LOW_CONFIDENCE, "arm sizes assumed equal (20 + 20)"],
                           low_confidence=["arms.csv:C#1"],
                           timepoint_weeks=26.0, timepoint_label="6 months", population_fit="narrower")
    assert "population" not in text
    text = str(limitations_section(ctx))
    for what in ("known only from a secondary source", "with arm sizes assumed equal from a total",
                 "using a value its raw row rates as extracted with low confidence", "at a week converted from the source's words",
                 "of trials whose population is narrower than, broader than or other than this review's"):
        assert f"- **Study effects {what}" in text and f"**: {escape(INJECT)}.\n" in text
    # A published review of a broader population, set apart in the summary, is listed too.
    a = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    a["external"] = [{**a["external"][0], "label": "Back and neck review", "population_fit": "broader"}]
    assert ("- **Published meta-analyses of a broader or another population than this review's, shown but not "
            "counted in the tallies of reviews**: Back and neck review.\n") in str(limitations_section(ctx))
    # Beside its forest plot, the review is marked as the plot marks it.
    line = next(x for x in str(results_section(ctx)).splitlines() if x.startswith("External evidence"))
    assert ("Back and neck review: " in line and ". A review of a broader population than this review\u2019s: shown, "
            "not counted with the other reviews." in line), line
    # Its notes a sentence after its interval, not a second bracket beside the interval's.
    assert ") (" not in line, line
    assert (f"- **Indirect comparisons**: Dry needling versus {escape(NODE_LABEL)} (pain): compared indirectly, "
            "through sham.\n") in text
    # In the report, after the claims.
    report, _, _ = build_report(TEMPLATE, ctx)
    assert report.index("{#sec-claims}") < report.index("{#sec-limitations}") < report.index("{#sec-provenance}")


def test_a_trial_set_aside_for_its_value_type_shows_its_own_effect() -> None:
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    r["excluded"] = [{"study_id": "M2", "label": "Meng (2003)", "refs": [],
                      "reason": "only change values; this SMD analysis uses final values",
                      "own_effect": {"value_type": "change", "yi": -0.98, "vi": 0.094, "ci_lb": -1.59, "ci_ub": -0.38}}]
    # Its reasons after a colon, not in brackets beside the label's own: the effect's
    # interval the only bracket.
    assert ("Excluded from this analysis, Meng (2003): only change values; this SMD analysis uses final values; its "
            "own SMD from changes from baseline, not combined with the others: −0.98 (95% CI −1.59 to −0.38).\n"
            ) in str(results_section(ctx))
    # Of a population other than the review's (Meng 2003: aged 60 or more): said beside its effect.
    r["excluded"][0]["study_id"] = "A"
    doc = next(d for d in ctx.normalised if d["study"]["study_id"] == "A")
    doc["study"] = {**doc["study"], "population_fit": "narrower"}
    assert ("−0.98 (95% CI −1.59 to −0.38); the trial enrolled a narrower population than this review\u2019s."
            in str(results_section(ctx)))
    del r["excluded"][0]["own_effect"]
    assert "Meng (2003): only change values; this SMD analysis uses final values." in str(results_section(ctx))


def test_a_set_aside_trials_own_effect_that_moved_is_a_change() -> None:
    # Meng 2003's control-arm SD of change edited from 2.8 to 3.8: its own SMD, printed beside
    # the analysis, moves from -0.98 to -0.87 while nothing pooled does.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    r["excluded"] = [{"study_id": "A", "label": "Meng (2003)", "refs": [],
                      "reason": "only change values; this SMD analysis uses final values",
                      "own_effect": {"value_type": "change", "yi": -0.98, "vi": 0.095, "ci_lb": -1.59, "ci_ub": -0.38}}]
    before = key_results(ctx)
    assert before["analyses"]["acu_vs_sham"]["set_aside"] == {
        "A": {"value_type": "change", "effect": -0.98, "ci_lb": -1.59, "ci_ub": -0.38}}
    r["excluded"][0]["own_effect"] = {**r["excluded"][0]["own_effect"], "yi": -0.87, "ci_lb": -1.47, "ci_ub": -0.27}
    now = key_results(ctx)
    label = escape(now["study_labels"]["A"])
    text = str(changes_section(now, before))
    assert (f"{label}, set aside, its own effect SMD \u22120.98 \u2192 \u22120.87, interval \u22121.59 to \u22120.38 "
            "\u2192 \u22121.47 to \u22120.27") in text
    assert "No estimate, interval or conclusion changed" not in text
    # Set aside in one build only: given, or no longer given.
    del r["excluded"][0]["own_effect"]
    text = str(changes_section(key_results(ctx), now))
    assert f"{label}, set aside, its own effect no longer given (was \u22120.87, \u22121.47 to \u22120.27)" in text
    assert f"{label}, set aside, its own effect given beside it: \u22120.87 (\u22121.47 to \u22120.27)" in str(
        changes_section(now, key_results(ctx)))
    # Out of the analysis altogether (its arm's treatment moved to another node): not
    # "set aside, its own effect no longer given", which reads as if it still were.
    gone = {**now, "analyses": {**now["analyses"], "acu_vs_sham": {
        **now["analyses"]["acu_vs_sham"], "set_aside": {}, "excluded": [],
        "studies": [x for x in now["analyses"]["acu_vs_sham"]["studies"] if x != "A"]}}}
    text = str(changes_section(gone, now))
    assert (f"{label}, set aside before, no longer in this analysis (its own effect was \u22120.87, "
            "\u22121.47 to \u22120.27)") in text
    assert "its own effect no longer given" not in text
    # Used in the next build (the trial it was set aside beside removed): not "no longer
    # given", which reads as if it had left the analysis.
    outside = {**now, "analyses": {**now["analyses"], "acu_vs_sham": {
        **now["analyses"]["acu_vs_sham"], "studies": [x for x in now["analyses"]["acu_vs_sham"]["studies"] if x != "A"]}}}
    used = {**now, "analyses": {**now["analyses"], "acu_vs_sham": {
        **now["analyses"]["acu_vs_sham"], "set_aside": {},
        "studies": [*outside["analyses"]["acu_vs_sham"]["studies"], "A"]}}}
    text = str(changes_section(used, outside))
    assert (f"{label}, no longer set aside, used with its changes from baseline (its own effect was \u22120.87, "
            "\u22121.47 to \u22120.27)") in text
    assert "its own effect no longer given" not in text
    # Key results from before these were kept: nothing to compare.
    old = {**before, "analyses": {k: {x: y for x, y in v.items() if x != "set_aside"}
                                  for k, v in before["analyses"].items()}}
    assert "set aside" not in str(changes_section(now, old))


def test_an_indirect_comparison_left_out_for_a_shared_trial_says_so_in_what_changed() -> None:
    # "anchored → shared trial" named neither what was shared nor that nothing is made now.
    before = {**keys_of(a=entry(-0.5)), "indirect": {"x": "anchored"}}
    now = {**keys_of(a=entry(-0.5)), "indirect": {"x": "shared_trial"}}
    text = changes_section(now, before)
    assert ("Indirect comparison `x`: anchored → **a trial of all three on both sides, no comparison made**"
            in text)


def test_an_indirect_comparison_added_or_removed_is_said() -> None:
    before = {**keys_of(a=entry(-0.5)), "indirect": {"x": "no_common_comparator"}}
    now = {**keys_of(a=entry(-0.5)), "indirect": {"y": "anchored"}}
    text = changes_section(now, before)
    assert "- New indirect comparison `y`: anchored.\n" in text and "- Indirect comparison `x` removed.\n" in text
    # Key results kept before indirect comparisons were: nothing to compare.
    assert "indirect" not in changes_section(now, keys_of(a=entry(-0.5))).lower()


def test_the_renderer_text_names_a_pandoc_on_path_that_pypandoc_prefers(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import pypandoc

    fake = tmp_path / "pandoc"
    fake.write_text('#!/bin/sh\necho "pandoc 99.1"\necho "Features: +server +lua"\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    pypandoc.clean_pandocpath_cache()
    try:
        assert renderer_description("pandoc").startswith(
            "the offline path: pandoc 99.1 (on PATH, not the one PyPI pypandoc-binary carries) and Typst ")
    finally:
        monkeypatch.undo()
        pypandoc.clean_pandocpath_cache()
    assert "pandoc 99.1" not in renderer_description("pandoc")


def test_installed_versions_name_each_package_the_results_depend_on() -> None:
    from importlib import metadata

    from metareview.provenance import installed_versions

    names = installed_versions().split()
    assert f"numpy-{metadata.version('numpy')}" in names and f"typst-{metadata.version('typst')}" in names
    assert f"pypandoc_binary-{metadata.version('pypandoc-binary')}" in names
    assert names == sorted(names) and not any(n.startswith("snakemake") for n in names)


def test_a_single_trial_s_own_p_value_is_given_where_the_interval_does_not_reproduce_it() -> None:
    # Carlsson 2001: RR 3.76 (0.98 to 14.44) from sparse counts, while the trial reports
    # p < 0.05 for the same comparison and week.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    study = r["studies"][0]
    study.update(timepoint_weeks=6.0)
    docs = [dict(d) for d in ctx.normalised]
    doc = next(d for d in docs if d["study"]["study_id"] == study["study_id"])
    reported = {"ref": "contrasts.csv:C#9", "node1": "dn", "node2": "sham", "outcome": "pain",
                "timepoint_weeks": 6.0, "p_value": 0.05, "p_qualifier": "<"}
    doc["contrasts"] = [*doc["contrasts"], reported]
    ctx = dataclasses.replace(ctx, normalised=docs)
    assert study["ci_lb"] < 0 < study["ci_ub"]  # the interval includes no difference
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert ". The trial reports p \\< 0.05 for this comparison (its own test, which this interval does not " \
        "reproduce)" in line
    # Where the two agree (p = 0.39), or the week differs, nothing is added.
    for change in ({"p_value": 0.39, "p_qualifier": "="}, {"timepoint_weeks": 26.0}):
        doc["contrasts"][-1] = {**reported, **change}
        ctx = dataclasses.replace(ctx, normalised=docs)
        line = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
        assert "the trial reports" not in line, change


def test_the_appendix_prints_a_raw_row_s_negative_numbers_with_a_minus_sign() -> None:
    from metareview.report.tables import _row_summary
    contrast = {"arm1": "acu", "arm2": "sham", "outcome": "pain", "instrument": "VAS_0_10", "timepoint_weeks": 8.0,
                "measure": "MD", "estimate": -2.3, "ci_lb": -2.8, "ci_ub": -1.9, "p_value": 0.001, "p_qualifier": "<"}
    assert _row_summary("contrasts", contrast) == ("acu vs sham: pain (VAS_0_10), week\u00a08: MD \u22122.3 (\u22122.8 to "
                                                   "\u22121.9), p < 0.001")
    arm = {"arm_id": "acu", "outcome": "pain", "instrument": "VAS_0_10", "value_type": "within_group_change",
           "timepoint_weeks": 6.0, "n": 62.0, "mean": -3.8, "sd": 1.2}
    assert _row_summary("arm_outcomes", arm).endswith("within group change, week\u00a06: n 62, mean \u22123.8, sd 1.2")
    # A median with its quartiles and range, and a mean with its CI, are what the effect
    # was computed from: the appendix gives them too, not the row's n alone.
    medians = {**arm, "value_type": "final", "n": 25.0, "mean": None, "sd": None, "median": 3.0, "q1": 2.0, "q3": 5.0,
               "min": 0.0, "max": 9.0}
    assert _row_summary("arm_outcomes", medians).endswith(
        "final, week\u00a06: n 25, median 3, q1 2, q3 5, min 0, max 9")
    ci = {**arm, "value_type": "change", "sd": None, "ci_lb": -6.36, "ci_ub": -2.3, "ci_level": 90.0}
    assert _row_summary("arm_outcomes", ci).endswith("change, week\u00a06: n 62, mean \u22123.8, 90% CI \u22126.36 to \u22122.3")
    se = {**arm, "sd": None, "se": 0.4}
    assert _row_summary("arm_outcomes", se).endswith("n 62, mean \u22123.8, se 0.4")
    assert _row_summary("arm_outcomes", {**se, "se": None, "ci_lb": -4.5, "ci_ub": -3.1}).endswith(
        "mean \u22123.8, 95% CI \u22124.5 to \u22123.1")


def test_the_appendix_names_a_raw_row_s_week_as_the_text_does() -> None:
    # The study-effects tables say "week 8" and "baseline (week 0)"; the appendix
    # printed the same timepoint as "8 wk".
    from metareview.report.tables import _row_summary
    arm = {"arm_id": "uc", "outcome": "disability", "instrument": "RMDQ_0_23", "value_type": "final",
           "timepoint_weeks": 0.0, "n": 161.0, "mean": 10.8, "sd": 5.2}
    line = _row_summary("arm_outcomes", arm)
    # (A no-break space keeps "week" and its number on one line.)
    assert "final, week\u00a00: n 161" in line and " wk" not in line
    unstated = {**arm, "timepoint_weeks": None, "timepoint_label": "after 1 month"}
    assert "final, after 1 month: n 161" in _row_summary("arm_outcomes", unstated)


def test_a_pooled_estimate_names_its_studies_of_another_population() -> None:
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    r["studies"][1]["population_fit"] = "broader"
    line = next(x for x in summary_section(ctx).splitlines() if "k = 2" in x)
    assert (f". {escape(r['studies'][1]['label'])} enrolled a broader population than this review\u2019s (see "
            "@tbl-trial-characteristics)") in line
    assert line.count("population than") == 1


def test_an_edited_apostrophe_shows_in_the_changes() -> None:
    # The report prints apostrophes typographically, but a raw cell before and after an
    # edit is verbatim: a straight one made curly is a change a reader must see.
    from metareview.report.changes import _cell_change
    line = _cell_change("label", "O'Brien 2010", "O\u2019Brien 2010")
    assert "O\\'Brien 2010" in line and "O\u2019Brien 2010" in line


def test_each_treatment_s_account_names_the_sources_that_compare_in_words() -> None:
    # A tally of reviews on one side says nothing of sources that report, in words, no
    # difference: they are named, not counted.
    # The list is the Narrative evidence section's; the summary's overview points to it
    # (_not_counted_pointer), the rule that lists them being _statements_overview.
    from metareview.report.overview import _statements_overview

    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    g = next(d for d in docs if d["study"]["study_id"] == "G")
    g["statements"] = [{**g["statements"][0], "node1": "acu", "node2": "sham", "outcome": "pain"}]
    ctx = dataclasses.replace(ctx, normalised=docs)
    # A point for each comparator, nested under the treatment's point (two spaces further
    # in than it), not lists in brackets run into one sentence.
    assert _statements_overview(ctx, "acu").endswith(
        "Statements in words on these comparisons, not counted (see @tbl-narrative):\n"
        "  - Against sham: Guideline G.")
    assert _treatment_overview(ctx, "acu").endswith(
        "statements in words on these comparisons (see [Narrative evidence](#sec-narrative)).")
    # Two sources are an ordinary list, joined by "and".
    h = {**g, "study": {**g["study"], "study_id": "H", "label": "Guideline H"}}
    two = dataclasses.replace(ctx, normalised=[*docs, h])
    assert _statements_overview(two, "acu").endswith("\n  - Against sham: Guideline G and Guideline H.")
    # Of another outcome, or another pair: none.
    g["statements"] = [{**g["statements"][0], "outcome": "disability"}]
    assert "Statements in words on" not in _statements_overview(ctx, "acu")
    g["statements"] = [{**g["statements"][0], "node2": "uc", "outcome": "pain"}]
    assert "Statements in words on" not in _statements_overview(ctx, "acu")


def test_a_statement_that_does_not_say_how_the_groups_compared_is_not_listed_as_a_comparison() -> None:
    # Martín-Corrales 2020: "the dry needling group improved significantly in pain" names a
    # sham arm, but may be a change within the needling group: listed bare among the
    # statements "on these comparisons", it read as needling found better than sham.
    # The list is the Narrative evidence section's; the summary's overview points to it
    # (_not_counted_pointer), the rule that lists them being _statements_overview.
    from metareview.report.overview import _statements_overview

    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    c = next(d for d in docs if d["study"]["study_id"] == "C")
    c["study"] = {**c["study"], "label": "Trial C"}
    unclear = {**ctx.normalised[-1]["statements"][0], "arm1": "d", "arm2": "c", "node1": "dn", "node2": "sham",
               "statement": "The needling group improved.", "direction": "unclear"}
    c["statements"] = [unclear]
    g = next(d for d in docs if d["study"]["study_id"] == "G")
    g["statements"] = [{**g["statements"][0], "node1": "dn", "node2": "sham", "direction": "favours_arm1"}]
    both = dataclasses.replace(ctx, normalised=docs)
    caveat = ", whose statement does not say how the groups compared"
    assert _statements_overview(both, "dn").endswith(f"\n  - Against sham: Guideline G and Trial C{caveat}.")
    dn_vs_sham = next(r for r in both.analyses if r["analysis"]["id"] == "dn_vs_sham")
    assert f"without numbers to pool: Guideline G and Trial C{caveat} (see @tbl-narrative)." in _elsewhere(
        both, dn_vs_sham)
    # Its row in the narrative table says so, and the caption says what that means.
    table_text = str(narrative_section(both))
    row = next(x for x in table_text.splitlines() if x.startswith("| Trial C |"))
    assert "| The needling group improved. How the groups compared is not stated. |" in row
    assert ("How the groups compared is not stated: the source gives no result between the groups, and a change "
            "within one group says nothing about how it compares with the other group. {#tbl-narrative}") in table_text
    # A source with one statement that says how the groups compared is named bare, and
    # without such a statement nothing is marked.
    c["statements"] = [unclear, {**unclear, "direction": "no_difference"}]
    assert _statements_overview(both, "dn").endswith("\n  - Against sham: Guideline G and Trial C.")
    c["statements"] = [{**unclear, "direction": "favours_arm1"}]
    assert "not stated" not in str(narrative_section(both)) and caveat not in _statements_overview(both, "dn")
    # A statement about one arm alone (no comparator) is no comparison to qualify.
    assert not unclear_statement({**unclear, "arm2": None})


def test_a_single_trial_whose_own_test_disagrees_with_its_interval_says_so_in_its_account() -> None:
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    s = r["studies"][0]
    doc = next(d for d in ctx.normalised if d["study"]["study_id"] == s["study_id"])
    doc["contrasts"] = [*doc["contrasts"], {"node1": "dn", "node2": "sham", "outcome": "pain",
                                            "timepoint_weeks": s.get("timepoint_weeks"), "p_value": 0.03,
                                            "p_qualifier": "=", "ref": "contrasts.csv:X#9"}]
    s.update(ci_lb=-0.9, ci_ub=0.1)
    assert ", whose own test disagrees with this interval), interval compatible with no difference." \
        in _treatment_overview(ctx, "dn")


def test_the_appendix_gives_a_row_read_in_another_document_as_secondary() -> None:
    from metareview.report import evidence_table
    ctx = context()
    row = next(x for x in str(evidence_table(ctx)).splitlines() if "contrasts.csv:M#1" in x or "| Review M" in x)
    assert "meta-analysis, primary" in row
    tables = {**ctx.raw_tables, "contrasts": [{**c, "source_level": "secondary"} if c["study_id"] == "M" else c
                                              for c in ctx.raw_tables["contrasts"]]}
    row = next(x for x in str(evidence_table(dataclasses.replace(ctx, raw_tables=tables))).splitlines()
               if "contrasts.csv:M#1" in x or "| Review M" in x)
    assert "meta-analysis, secondary" in row


def test_the_study_table_says_how_many_of_a_reviews_results_were_read_in_another_document() -> None:
    # Xu 2013's abstract gives its results in words (a primary source), its one number is
    # read only in an overview's table: "meta-analysis, primary" alone hid that the
    # result the table says it contributed is secondary.
    ctx = context()

    def cell(c: ReportContext) -> str:
        row = next(x for x in str(study_table(c)).splitlines() if x.startswith("| Review M |"))
        return row.split(" | ")[1]

    assert cell(ctx) == "meta-analysis, primary"
    docs = [dict(d) for d in ctx.normalised]
    m = next(d for d in docs if d["study"]["study_id"] == "M")
    m["statements"] = [{**next(x for d in ctx.normalised for x in d["statements"]), "study_id": "M",
                        "ref": "statements.csv:M#1"}]
    m["contrasts"] = [{**m["contrasts"][0], "source_level": "secondary"}]
    assert len(m["arm_values"]) == 0 and len(m["contrasts"]) == 1
    assert cell(dataclasses.replace(ctx, normalised=docs)) == "meta-analysis, primary; 1 of 2 results secondary"
    # A row the raw table marks as its study's own level is not counted apart.
    m["contrasts"] = [{**m["contrasts"][0], "source_level": "primary"}]
    assert cell(dataclasses.replace(ctx, normalised=docs)) == "meta-analysis, primary"


def test_the_table_of_analyses_names_each_comparison_as_its_title_does_with_its_designs() -> None:
    # Intervention, comparator and trial designs ("all" in most rows) in columns of their
    # own made its rows two lines high and the table a landscape page of its own.
    ctx = context()
    first, second = ctx.config["analyses"][:2]
    restricted = {**CONFIG, "analyses": [{**first, "designs": "head_to_head"}, {**second, "designs": "add_on"}]}
    table_md = str(analyses_table(context(analyses=restricted["analyses"])))
    header = next(line for line in table_md.splitlines() if line.startswith("| Analysis"))
    assert header == "| Analysis | Comparison | Outcome | Window | Measure |"
    rows = [line for line in table_md.splitlines() if line.startswith("| `")]
    names = [f"{ctx.labels.get(a['intervention'], a['intervention'])} vs "
             f"{ctx.labels.get(a['comparator'], a['comparator'])}" for a in (first, second)]
    assert f"| {escape(names[0])} (head-to-head trials only) |" in rows[0]
    assert f"| {escape(names[1])} (add-on trials only) |" in rows[1]
    # All designs go without saying.
    plain = [line for line in str(analyses_table(ctx)).splitlines() if line.startswith("| `")]
    assert f"| {escape(names[0])} |" in plain[0] and "trials only" not in "".join(plain)


def test_the_table_of_analyses_gives_each_window_by_its_name_and_weeks() -> None:
    windows = {"short": {"label": "Short term (1 to 12 weeks, nearest to 6 weeks)", "min_weeks": 1,
                         "max_weeks": 12, "target_weeks": 6, "terms": ["short term"]}}
    ctx = context(windows=windows)
    text = str(methods_section(ctx)) + "\n" + str(analyses_table(ctx))
    row = next(line for line in text.splitlines() if line.startswith("| `"))
    assert "| Short term (1 to 12 weeks) |" in row and "nearest" not in row
    # The bullet above the table gives the range and the target once, by the window's
    # name: "Short term (1 to 12 weeks, nearest to 6 weeks): 1 to 12 weeks, target 6
    # weeks" said them twice.
    assert "- **Time windows**: Short term: 1 to 12 weeks, nearest to 6 weeks. Each study" in text
    assert "as its terms (“short term”)" not in text and "(Short term: “short term”)" in text
    assert "`terms`" not in text.split("{#tbl-analyses}")[0]
    assert text.count("12 weeks") == text.count("| Short term (1 to 12 weeks) |") + 1
    # In the order of time, whatever the order of their keys ("medium" sorts before "short").
    windows = {"medium": {"label": "Medium term (13 to 26 weeks, nearest to 26 weeks)", "min_weeks": 13,
                          "max_weeks": 26, "target_weeks": 26, "terms": ["intermediate term"]}, **windows}
    text = str(methods_section(context(windows=windows)))
    assert ("- **Time windows**: Short term: 1 to 12 weeks, nearest to 6 weeks; Medium term: 13 to 26 weeks, "
            "nearest to 26 weeks.") in text
    assert "(Short term: “short term”; Medium term: “intermediate term”)" in text
    # The key is the provenance's.
    assert "the period words of each time window, `terms` in its entry under `windows`" in str(
        provenance_section(context(windows=windows)))


def test_windows_without_period_words_say_a_timepoint_in_words_is_placed_in_none() -> None:
    # CONFIG's one window lists no terms: the methods do not point to period words the
    # config does not have, and say where a timepoint given only in words goes.
    text = " ".join(str(methods_section(context())).split())
    assert "by the period words each window lists" not in text
    assert ("No window lists period words, so a trial's timepoint given only in words "
            "(\"post treatment\", \"after 1 month\") is placed in none, and the row says so; a published "
            "meta-analysis's is shown in every window, with the source's words for its timepoint.") in text


def test_an_empty_q_profile_interval_is_said_not_printed_as_bounds() -> None:
    from metareview.report.sections import _i2_text, _tau2_interval

    # Three near-identical trials: Q at τ² = 0 is below its lower critical value, and
    # metafor marks both bounds "<".
    p = {"tau2_ci_lb": 0.0, "tau2_ci_ub": 0.0, "ci_lb_sign": "<", "ci_ub_sign": "<", "I2": 0.0,
         "I2_ci_lb": 0.0, "I2_ci_ub": 0.0}
    assert _tau2_interval(p) == "empty: Q is smaller than expected even with τ² = 0"
    assert _i2_text(p) == "I² = 0.0%"
    p = {"tau2_ci_lb": 0.0, "tau2_ci_ub": 7.338, "ci_lb_sign": None, "ci_ub_sign": None, "I2": 0.0,
         "I2_ci_lb": 0.0, "I2_ci_ub": 99.32}
    assert _tau2_interval(p) == "0.000 to 7.338"
    assert _i2_text(p) == "I² = 0.0% (CI 0.0% to 99.3%)"
    # Only the upper bound beyond the search interval: a bound, as metafor prints it.
    assert _tau2_interval({**p, "tau2_ci_ub": 100.0, "ci_ub_sign": ">"}) == "0.000 to \\> 100.000"
    # I² of that end is a bound too: ṽ = 13.564 (five trials' typical within-study
    # variance on a 0-100 scale) and τ² = 100 give 100 · 100 / 113.564 = 88.06%, which the
    # data's own upper bound exceeds, so it is printed as "> 88.1%", not as a number.
    capped = {**p, "tau2_ci_ub": 100.0, "ci_ub_sign": ">", "I2": 20.548, "I2_ci_ub": 100 * 100 / 113.564}
    assert _i2_text(capped) == "I² = 20.5% (CI 0.0% to \\> 88.1%)"


def test_a_pooled_estimate_says_what_its_studies_bring() -> None:
    from metareview.report.overview import _pooled_study_caveats

    def s(label: str, **kw: Any) -> dict[str, Any]:
        return {"label": label, "yi": 0.17, "weight": 50.0, "source_level": "primary", **kw}

    r = {"analysis": {"measure": "SMD"}, "studies": [
        s("Kwon", source_level="secondary", identity_confidence="low", low_confidence=["r1"],
          timepoint_label="immediate post-treatment"),
        s("Lee", low_confidence=["r2"]), s("Park", low_confidence=["r3"]),
        s("Cherkin", weight=87.16, baseline_imbalance=0.1886,
          baseline_change={"intervention": 4.5, "comparator": 4.4, "instrument": "RMDQ"})]}
    assert _pooled_study_caveats(r) == (
        "; Kwon is known only from a secondary source (study identity low), uses a value its raw row rates as "
        "extracted with low confidence and is placed in this window by its timepoint’s words alone; Lee and Park use "
        "values their raw rows rate as extracted with low confidence; in Cherkin, which carries 87% of the weight, the "
        "arms already differed at baseline (d = 0.19, in the same direction as the trial’s effect), a difference "
        "that final values carry; from baseline, the intervention group improved by 4.5 "
        "and the comparator group by 4.4 points on the RMDQ, 0.1 points more in the intervention group")
    assert _pooled_study_caveats({"analysis": {"measure": "SMD"}, "studies": [s("A")]}) == ""
    # Two studies' doubts in the plural: their rows and their timepoints, not "its".
    words = {"timepoint_label": "post treatment"}
    assert _pooled_study_caveats({"analysis": {"measure": "SMD"}, "studies": [s("A", **words), s("B", **words)]}) == (
        "; A and B are placed in this window by their timepoints’ words alone")


def test_a_quoted_source_gets_the_doubts_a_named_trial_would() -> None:
    from metareview.report.overview import _source_doubts

    low = [{"confidence": "low"}, {"confidence": "low"}]
    # An unclear fit: what is known, in words, against the review's own population; the
    # cell itself ("LBP (16 RCTs)") told a reader nothing.
    hu = {"population_fit": "unclear", "population": "LBP (16 RCTs)"}
    assert _source_doubts(hu, low, "Adults with chronic low back pain (12 weeks or more)") == (
        " whose source does not say enough to tell whether its population is this review’s (adults with chronic "
        "low back pain, 12 weeks or more) and whose statements were extracted with low confidence")
    assert _source_doubts(hu, low[:1] + [{}]) == (
        " whose source does not say enough to tell whether its population is this review’s")
    assert "LBP (16 RCTs)" not in _source_doubts(hu, low, "Adults") and "may not be" not in _source_doubts(hu, low)
    assert _source_doubts({"population_fit": "narrower", "source_level": "secondary"}, [{"confidence": "high"}]) == (
        " known only from a secondary source (study identity not rated) and of a narrower population than this "
        "review’s")
    assert _source_doubts({"population_fit": "matches", "identity_confidence": "high"}, low[:1] + [{}]) == ""


def test_published_results_carry_the_certainty_their_reviews_gave_them() -> None:
    from metareview.report.base import _rated_certainty

    entries = [{"label": "Mu (2020)", "certainty": "low"}, {"label": "B", "certainty": "very_low"},
               {"label": "C", "certainty": "low"}, {"label": "D", "certainty": None}]
    assert _rated_certainty(entries) == "certainty as the reviews rate it: low for C and Mu (2020); very low for B"
    # "low, Mu et al. (2020), Cochrane" read as three things; "low for" says whose rating.
    # One review rating is "the review", in the singular.
    assert _rated_certainty([{"label": "Mu et al. (2020), Cochrane", "certainty": "low"}]) == (
        "certainty as the review rates it: low for Mu et al. (2020), Cochrane")
    assert _rated_certainty(entries[3:]) == ""
    # In brackets the labels' years follow commas: "low for Mu et al., 2020, Cochrane and
    # Xu, 2019; ..." could not tell where one label ended, nor a list's semicolons from
    # the levels'. "for" before each label of a level says where the next begins.
    reviews = [{"label": "Xu (2019)", "certainty": "low"}, {"label": "Mu et al. (2020), Cochrane", "certainty": "low"},
               {"label": "Lee (2021)", "certainty": "moderate"}]
    assert _rated_certainty(reviews, bracketed=True) == (
        "certainty as the reviews rate it: moderate for Lee, 2021; low for Mu et al., 2020, Cochrane and for Xu, 2019")
    # Out of brackets, as written; "for" again where a label holds a comma of its own.
    assert _rated_certainty(reviews) == (
        "certainty as the reviews rate it: moderate for Lee (2021); low for Mu et al. (2020), Cochrane and for Xu (2019)")
    assert _rated_certainty(reviews[::2]) == "certainty as the reviews rate it: moderate for Lee (2021); low for Xu (2019)"


def test_a_statement_of_an_add_on_design_belongs_where_its_numbers_would() -> None:
    from metareview.report import add_on_statement, in_designs

    def doc(co: str | None) -> dict[str, Any]:
        return {"arms": [{"arm_id": "dn_comb", "treatment": "dry_needling", "cointervention": co},
                         {"arm_id": "other", "treatment": "other", "cointervention": None}]}

    add_on = {"arm1": "dn_comb", "arm2": "other"}
    assert add_on_statement(doc("other"), add_on)
    assert add_on_statement(doc("other"), {"arm1": "other", "arm2": "dn_comb"})  # either order
    assert not add_on_statement(doc(None), add_on)
    assert not add_on_statement(doc("exercise"), add_on)  # X + exercise vs other: not add-on
    assert not add_on_statement(doc("other"), {"arm1": "dn_comb", "arm2": None})
    assert [in_designs(True, d) for d in ("any", "head_to_head", "add_on")] == [True, False, True]
    assert [in_designs(False, d) for d in ("any", "head_to_head", "add_on")] == [True, True, False]


def test_a_pooled_estimate_in_the_bottom_line_names_a_heavy_trial_with_baseline_imbalance() -> None:
    from metareview.report.overview import _pooled_caveats_in_brief

    studies = [{"label": "Cherkin", "weight": 87.16, "baseline_imbalance": 0.19, "ci_lb": -0.05, "ci_ub": 0.39},
               {"label": "Kwon", "weight": 12.84, "baseline_imbalance": 0.3, "ci_lb": -0.5, "ci_ub": 0.6}]
    r = {"pooled": {"k": 2, "test": "z", "ci_lb": -0.05, "ci_ub": 0.36}, "studies": studies}
    # Only a trial with most of the weight is named; a z interval is no wider than the trials'.
    assert _pooled_caveats_in_brief(r) == ", 87% of the weight from Cherkin, with arms that differed at baseline"
    # Joined by "and" to another doubt, the two read as one list.
    r["studies"] = [{**studies[0], "read_elsewhere": ["nbk"]}, studies[1]]
    assert _pooled_caveats_in_brief(r) == (", 87% of the weight from Cherkin, with arms that differed at baseline and "
                                           "using numbers read in a document other than the trial\u2019s own report")
    r["studies"] = studies
    r["studies"] = [{**studies[0], "weight": 49.0}, studies[1]]
    assert _pooled_caveats_in_brief(r) == ""


def test_an_explanation_whose_clauses_only_moved_is_not_said_to_change_its_spaces() -> None:
    from metareview.report.changes import _explanation_change

    assert _explanation_change("A is compared with B. C is not.", "A is  compared with B.  C is not.") == \
        "white space changed"
    assert _explanation_change("A is compared with B. C is not.", "C is not. A is compared with B.") == \
        "its clauses are in another order"
    assert _explanation_change("A is compared with B.", "A is compared with D.").startswith("now reads “A is")


def test_an_explanations_clause_that_changed_in_place_is_quoted_though_another_part_says_it_too() -> None:
    # A claim's reason speaks of each treatment in turn, in the same words where they
    # fare alike. The one trial of acupuncture taken out, its part came to read as dry
    # needling's already did; "now reads “Acupuncture: no pooled analysis against a
    # control;”" left out "no usable study", the clause that says what changed, because
    # dry needling's part held it before.
    from metareview.report.changes import _explanation_change

    before = ("Acupuncture: no pooled analysis against a control, only one study (Kim, 2025); "
              "single trials settle no claim here: wholly on acupuncture's side; "
              "against a control its source does not name: Chen (2022). "
              "Dry needling: no pooled analysis against a control; no usable study; "
              "against a control its source does not name: Liu (2021).")
    after = ("Acupuncture: no pooled analysis against a control; no usable study; "
             "against a control its source does not name: Chen (2022). "
             "Dry needling: no pooled analysis against a control; no usable study; "
             "against a control its source does not name: Liu (2021).")
    # And the clause it lost, which no clause of the new part is an edit of.
    assert _explanation_change(before, after) == (
        "no longer reads “…single trials settle no claim here: wholly on acupuncture’s side;” and now reads "
        "“Acupuncture: no pooled analysis against a control; no usable study;”")
    # Back again, the clauses that came back in place of those, and the one that went.
    assert _explanation_change(after, before) == (
        "no longer reads “…no usable study;” and now reads “Acupuncture: no pooled analysis against a control, "
        "only one study (Kim, 2025); single trials settle no claim here: wholly on acupuncture’s side;”")
    # A clause the other part also says, gone from this part alone: no longer said here
    # (not "its clauses are in another order").
    assert _explanation_change("A: p; x; y. B: x; y.", "A: p; y. B: x; y.") == "no longer reads “…x;”"


def test_an_explanations_main_sentence_replaced_is_quoted_as_it_read_and_as_it_reads() -> None:
    # An indirect comparison's main sentence keeps its frame (the analyses, the outcome,
    # the window) when what it says is replaced: alike enough to be taken for an edit,
    # it was quoted only as it reads now, and the comparator it had named was not shown.
    from metareview.report.changes import _explanation_change

    frame = "In the SMD analyses of pain, short term, dry needling is compared with {}; acupuncture is compared with sham."
    old, new = frame.format("nothing in the data"), frame.format("usual care and minimal needling")
    assert _explanation_change(old, new) == (
        "no longer reads “In the SMD analyses of pain, short term, dry needling is compared with nothing in the data;” "
        "and now reads “In the SMD analyses of pain, short term, dry needling is compared with usual care and "
        "minimal needling;”")
    # A short phrase, a name or numbers changed is an edit: quoted as it reads now.
    assert _explanation_change(old, frame.format("nothing at all")) == (
        "now reads “In the SMD analyses of pain, short term, dry needling is compared with nothing at all;”")
    assert _explanation_change(frame.format("sham"), frame.format("usual care")).startswith("now reads “In")
    # Words added to it (a comparator more) are an edit too.
    assert _explanation_change(frame.format("sham"), frame.format("sham, usual care, minimal needling or TENS")) == (
        "now reads “In the SMD analyses of pain, short term, dry needling is compared with sham, usual care, "
        "minimal needling or TENS;”")


def test_an_explanations_clause_is_not_cut_at_a_semicolon_inside_brackets() -> None:
    # A claim's reason gives the trial's interval and whose it is in one bracket; cut at
    # its semicolon, "What changed" quoted "(…: MD −0.51, 95% CI −0.97 to −0.05;" with
    # the bracket left open and the trial's name, and what follows it, left out.
    from metareview.report.changes import _explanation_change

    reason = ("Read on the common scale: the interval of the one trial excludes the claimed difference "
              "of -2.30 (Acupuncture vs Sham: MD {}, 95% CI {}; Brinkhaus et al., 2006, the analysis's "
              "only trial), but one trial settles no claim here.")
    before = reason.format("-0.51", "-1.39 to 0.37")
    after = reason.format("-0.51", "-0.97 to -0.05")
    assert _explanation_change(before, after) == (
        "now reads “Read on the common scale: the interval of the one trial excludes the claimed difference of "
        "−2.30 (Acupuncture vs Sham: MD −0.51, 95% CI −0.97 to −0.05; Brinkhaus et al., 2006, the analysis’s "
        "only trial), but one trial settles no claim here.”")
    # Outside brackets a semicolon still ends a clause, and a bracket never closed does not
    # keep the rest of the text in one.
    assert _explanation_change("A (b; c); d.", "A (b; c); e.") == "no longer reads “…d.” and now reads “…e.”"
    assert _explanation_change("A (b; c; d.", "A (b; c; e.") == "no longer reads “…d.” and now reads “…e.”"


def test_an_explanation_that_lost_clauses_and_gained_others_says_both() -> None:
    # A reason edited after a trial was added lost a clause and gained another; "now
    # reads" quoted the new one alone, and a team could not tell that the old one was gone.
    from metareview.report.changes import _explanation_change

    old = "Two trials report pain; neither reports function; the pooled interval excludes no difference."
    new = "Two trials report pain; the pooled interval excludes no difference. A third trial is under way."
    assert _explanation_change(old, new) == (
        "no longer reads “…neither reports function;” and now reads “A third trial is under way.”")
    # As the changes section gives a claim's reason.
    text = changes_section(dict(keys_of(a=entry(-0.5)), claim_reasons={"c1": new}),
                           dict(keys_of(a=entry(-0.5)), claim_reasons={"c1": old}))
    assert text.splitlines()[0] == ("- Claim `c1`, still supported: its reason no longer reads “…neither reports "
                                    "function;” and now reads “A third trial is under way.”")
    # A clause edited in place (a number) is quoted as it reads now, with nothing said gone.
    assert _explanation_change("Two trials report pain; the interval is 0.1 to 0.5.",
                               "Two trials report pain; the interval is 0.2 to 0.5.") == \
        "now reads “…the interval is 0.2 to 0.5.”"
    # Long, the two quotes share the length one had, each cut at a word; a cut that would
    # leave a bracket open is made before it.
    dropped = "Dropped: " + " ".join(["aaaa"] * 60) + "."
    gained = "Gained: " + "bbbb " * 25 + "(" + " ".join(["cccc"] * 20) + ")."
    assert _explanation_change(f"{dropped} Kept.", f"{gained} Kept.") == (
        "no longer reads “Dropped: " + "aaaa " * 26 + "aaaa…” and now reads “Gained: " + "bbbb " * 24 + "bbbb…”")
    # The shorter one whole, where it takes at most half the room.
    assert _explanation_change(f"Short one. {gained} Kept.", f"{gained} Kept. Other one.") == (
        "no longer reads “Short one.” and now reads “Other one.”")
    assert _explanation_change(f"{dropped} Kept.", "Other one. Kept.") == (
        "no longer reads “Dropped: " + "aaaa " * 54 + "aaaa…” and now reads “Other one.”")
    # Alone, a quote cut where a bracket is open keeps no half of it either.
    long = "Gained: " + "bbbb " * 55 + "(" + " ".join(["cccc"] * 20) + ")."
    assert _explanation_change("Kept.", f"Kept. {long}") == "now reads “Gained: " + "bbbb " * 54 + "bbbb…”"


def test_a_long_reason_quoted_keeps_the_numbers_that_changed() -> None:
    # A claim's reason gives its numbers late, after the evidence and the comparison: cut
    # at 300 characters from its start, "now reads" quoted the words before them, and not
    # the interval that had changed.
    from metareview.report import EXPLANATION_LIMIT
    from metareview.report.changes import _cut_quote, _explanation_change

    frame = ("The cited evidence, Kwon et al. (2008), reports a difference in pain on the common scale between "
             "acupuncture and sham at short term that a reader would check against the claim, read against the "
             "claimed difference of -2.30 points and the minimal important difference the review sets, the pooled "
             "interval (MD -0.51, 95% CI {}; k = {}) {} no difference.")
    old, new = frame.format("-1.39 to 0.37", 2, "includes"), frame.format("-0.97 to -0.05", 3, "excludes")
    assert len(new) > EXPLANATION_LIMIT
    change = _explanation_change(old, new)
    quote = change.removeprefix("now reads “").removesuffix("”")
    # From a few words before the change, after an ellipsis, to the end of the clause.
    assert change.startswith("now reads “…") and len(quote) <= EXPLANATION_LIMIT
    assert quote.endswith("the pooled interval (MD −0.51, 95% CI −0.97 to −0.05; k = 3) excludes no difference.")
    # Beside a clause dropped: the same part of the one edited.
    change = _explanation_change("Dropped. " + old, new)
    assert change.startswith("no longer reads “Dropped.” and now reads “…")
    assert change.endswith("95% CI −0.97 to −0.05; k = 3) excludes no difference.”")
    # A change near the start is cut from the start, as before.
    assert _cut_quote("a b c d e f g h i j k l", 12, 2) == "a b c d e…"
    # A window that would start inside a bracket starts at it, so that none is left
    # closed but not opened; and one that ends inside a bracket closes it.
    text = "a " * 150 + "(b c d e f g h) i j"
    assert _cut_quote(text, 40, text.index("h")) == "…(b c d e f g h) i j"
    assert _cut_quote(text + " k" * 30, 30, text.index("h")) == "…(b c d e f g h) i j k k k…"
    # Cut before the bracket, the quote would lose the change inside it: closed instead.
    text = "x " * 100 + "y (p q r s t u v w) z"
    assert _cut_quote(text, 12, text.index("q")) == "…y (p q r…)"


def test_results_against_controls_are_said_to_carry_expectation_not_only_the_treatment() -> None:
    from types import SimpleNamespace

    from metareview.report.overview import _unblinded_note

    ctx = SimpleNamespace(
        raw_tables={"treatments": [{"treatment": "usual_care", "role": "control"},
                                   {"treatment": "sham_acupuncture", "role": "sham"},
                                   {"treatment": "exercise", "role": "active"}]},
        config={"nodes": {"uc": {"label": "Usual care", "treatments": ["usual_care"]},
                          "sham": {"label": "Sham", "treatments": ["sham_acupuncture"]},
                          "ex": {"label": "Exercise", "treatments": ["exercise"]}}})

    # Said in the head of the comparator it qualifies, by its label.
    said = _unblinded_note(ctx, {"Usual care": {"for"}, "Sham": {"neither"}}, "Acupuncture")
    # Of outcomes participants report themselves: a diagnosis or a count of hospital days
    # measured without them carries less of their expectation.
    assert said == {"Usual care": (" (participants could not be blinded: results on outcomes they report "
                                   "themselves carry expectation and attention along with acupuncture itself, which "
                                   "only a sham comparison separates; against sham no difference is shown)")}
    # Another review's treatment is named as itself, not as the example's needling.
    other = _unblinded_note(ctx, {"Usual care": {"for"}}, "Exercise therapy")["Usual care"]
    assert "along with exercise therapy itself" in other and "needling" not in other
    # A sham comparison on the treatment's side too: the sham clause would mislead.
    assert _unblinded_note(ctx, {"Usual care": {"for"}, "Sham": {"neither", "exact_for"}},
                           "Acupuncture")["Usual care"].endswith("which only a sham comparison separates)")
    # Nothing on the treatment's side against a control (an active comparator is no control).
    assert _unblinded_note(ctx, {"Exercise": {"for"}, "Sham": {"neither"}}, "Acupuncture") == {}
    assert _unblinded_note(ctx, {"Usual care": {"neither"}}, "Acupuncture") == {}
    # Two controls: the reason said with the first, the second pointing back to it.
    ctx.raw_tables["treatments"].append({"treatment": "waiting_list", "role": "control"})
    ctx.config["nodes"]["wl"] = {"label": "No treatment, waiting list", "treatments": ["waiting_list"]}
    two = _unblinded_note(ctx, {"Usual care": {"for"}, "No treatment, waiting list": {"for"}}, "Acupuncture")
    assert list(two) == ["Usual care", "No treatment, waiting list"]
    assert "expectation" in two["Usual care"]
    assert two["No treatment, waiting list"] == " (participants could not be blinded here either)"


def test_a_list_setting_that_gained_or_lost_members_is_said_by_them() -> None:
    from metareview.report.changes import _list_change

    before = ["physiotherapy", "exercise", "other_treatments"]
    assert _list_change(before, ["physiotherapy", "exercise"]) == "`other_treatments` removed"
    assert _list_change(before, ["exercise", "physiotherapy", "other_treatments", "massage"]) == "`massage` added"
    assert _list_change(before, ["exercise", "yoga"]) == "`physiotherapy` and `other_treatments` removed; `yoga` added"
    # Reordered, nested, repeated or not lists at all: shown whole by the caller.
    assert _list_change(before, list(reversed(before))) == ""
    assert _list_change([{"a": 1}], [{"a": 2}]) == ""
    assert _list_change(["a", "a"], ["a"]) == ""
    assert _list_change("a", ["a"]) == ""


def test_a_dry_run_shows_a_long_setting_from_where_it_changed() -> None:
    # Both sides cut at the same 40 characters read alike: "Short term (1 to 12 weeks,
    # nearest to …" → the same. Shown from a word before the first difference.
    from metareview.report.keys import setting_change

    label = "Short term (1 to 12 weeks, nearest to 6 weeks)"
    said = setting_change("windows.short_term.label", label, label.replace("6 weeks", "8 weeks"))
    was, now = said.removeprefix("windows.short_term.label ").split(" → ")
    assert was != now and "6 weeks" in was and "8 weeks" in now
    assert was.startswith('"…') and len(was) <= 42
    # A list by its members, each cut alone; a short value whole.
    codes = ["sham_acupuncture", "minimal_acupuncture", "sham_electroacupuncture", "placebo_tens"]
    assert setting_change("nodes.sham.treatments", codes, codes[:3]) == 'nodes.sham.treatments "placebo_tens" removed'
    assert setting_change("methods.level", 95, 90) == "methods.level 95 → 90"
    assert setting_change("report.detail_limit", None, 5) == "report.detail_limit not set → 5"


def test_a_source_p_value_prints_with_the_digits_the_source_gave() -> None:
    # Liu 2018 printed "P<.00001": the cell 0.00001 read "p < 1e-05" with format "g".
    assert str(reported_p(0.00001, "<")) == "p \\< 0.00001"
    assert str(reported_p(0.26)) == "p = 0.26"


def test_a_figure_caption_gives_a_bracketed_measure_label_without_nesting() -> None:
    text, _, _ = build_report(TEMPLATE, context())
    captions = [line for line in text.splitlines() if line.startswith("![")]
    smd = [c for c in captions if "Hedges\u2019 g" in c]
    assert smd and all("(SMD, Hedges\u2019 g)" in c for c in smd)
    assert not any("g))" in c for c in captions)


def test_the_summary_names_whose_claims_were_checked_and_what_each_claimed() -> None:
    """A Summary-only reader learns which document made the claims, what each claimed and
    that none is supported, not a bare count of verdicts."""
    ctx = context()
    sources = [{"source_id": "blog", "kind": "blog_post", "citation": "Alex. A post on needles."}]
    # The second as results made before ``short_reason``: listed without a reason.
    claims = [{**ctx.claims[0], "source_id": "blog", "verdict": "not supported",
               "short_reason": "no pooled interval <b>favours</b> it"},
              {**{k: v for k, v in ctx.claims[0].items() if k != "short_reason"}, "claim_id": "sleep",
               "claim": "63% slept better.", "source_id": "blog", "verdict": "not checkable from the data"}]
    ctx = dataclasses.replace(ctx, claims=claims, raw_tables={**ctx.raw_tables, "sources": sources})
    # In the bottom line, which a Summary-only reader reads, not in the results' account.
    assert "Claims of" not in str(summary_section(ctx))
    text = str(bottom_line(ctx))
    line = next(x for x in text.splitlines() if x.startswith("Claims of"))
    assert line.startswith("Claims of the blog post, as this review words them, checked against the data")
    assert line.endswith("(see @tbl-claims, with the blog post\u2019s own words): no claim is supported by these "
                         "data.")
    # The post's reference after its claims, a line of its own: in brackets, a citation's
    # own sentences and brackets broke the sentence.
    assert ("\u201c63% slept better\u201d.\n\nThe blog post whose claims these are: Alex. A post on needles.\n"
            in text), text
    # A point per verdict, each with its claims.
    # Each claim with its reason in one clause, escaped as the claim is, and a full stop
    # after it, as the summary's other lists have.
    assert ("- 1 not supported: \u201cBoth \\*work\\* \\<i\\>\u201d: no pooled interval \\<b\\>favours\\</b\\> it.\n"
            "- 1 not checkable from the data: \u201c63% slept better\u201d.") in text
    claims.append({**claims[1], "claim_id": "fast", "claim": "It works fast.", "short_reason": "no study reports speed"})
    text = str(bottom_line(dataclasses.replace(ctx, claims=claims)))
    # No claims table to read their scope from: in the source's order.
    assert ("- 2 not checkable from the data:\n  - \u201c63% slept better\u201d.\n"
            "  - \u201cIt works fast\u201d: no study reports speed.") in text
    # The broadest claim first: a direction alone, naming no comparator, co-intervention or
    # subgroup, before a claimed percentage.
    rows = [{"claim_id": "sleep", "comparator": None, "cointervention": None, "subgroup": None,
             "claimed_measure": "percent_of_patients"},
            {"claim_id": "fast", "comparator": None, "cointervention": None, "subgroup": None,
             "claimed_measure": "direction_only"}]
    ranked = dataclasses.replace(ctx, claims=claims, raw_tables={**ctx.raw_tables, "sources": sources, "claims": rows})
    assert ("- 2 not checkable from the data:\n  - \u201cIt works fast\u201d: no study reports speed.\n"
            "  - \u201c63% slept better\u201d.\n") in str(bottom_line(ranked))
    # A comparator makes it narrower: the source's order again.
    rows[1]["comparator"] = "sham"
    assert ("  - \u201c63% slept better\u201d.\n  - \u201cIt works fast\u201d") in str(bottom_line(ranked))
    # Every claim not checkable, as in the example: that none could be settled by the data,
    # not "no claim is supported", the words of the verdict "not supported"; nor "none can
    # be checked", where a pooled interval too imprecise to show a claim was held against it.
    alone = [c for c in claims if c["verdict"] == "not checkable from the data"]
    line = next(x for x in str(bottom_line(dataclasses.replace(ctx, claims=alone))).splitlines()
                if x.startswith("Claims of"))
    assert line.endswith("own words): no claim can be settled by these data, so none is supported by them.")
    # Not the bare count the line once was.
    assert not line.startswith("Claims of the source:")
    # The one trial able to test a claimed mean difference excludes it (the example's
    # Cochrane 2023 −2.3 beside Brinkhaus 2006): said once, in the claim's line with its
    # verdict (its short reason), not again in a sentence before the list.
    check = {"study_id": "A", "label": "Trial A (2006)", "analysis": "acu_vs_sham", "estimate": -0.51,
             "ci_lb": -1.39, "ci_ub": 0.37, "claimed": -2.3, "excludes": True}
    short = ("one trial cannot check the claimed \u22122.30 points, read on the 0 to 10 scale, which the claim does not "
             "name; the one usable trial's interval (Trial A, 2006: MD \u22120.51, 95% CI \u22121.39 to 0.37) is given "
             "for reference")
    excluded = [{**alone[0], "claim": "It lowers pain by 2.3 points.", "trial_check": check, "short_reason": short},
                *alone[1:]]
    text = str(bottom_line(dataclasses.replace(ctx, claims=excluded)))
    line = next(x for x in text.splitlines() if x.startswith("Claims of"))
    assert line.endswith("own words): no claim can be settled by these data, so none is supported by them.")
    assert text.count("Trial A") == 1 and text.count("\u22120.51") == 1
    assert f"\u201cIt lowers pain by 2.3 points\u201d: {short.replace(chr(39), chr(0x2019))}." in text


def test_each_claim_is_given_in_its_sources_own_words_beside_this_reviews() -> None:
    # The post's "Bottom line? Both work" was checked as "Both dry needling and acupuncture
    # reduce chronic low back pain", and its table row "-2.3 (95% CI: -2.8 to -1.9)" as
    # "lowers pain by 2.3 points (1.9 to 2.8)": the report gave only the team's wording, in
    # the summary in quotation marks, so no reader could tell whether a verdict was fair
    # to what the post said, or took that wording for the post's.
    ctx = context()
    sources = [{"source_id": "blog", "kind": "blog_post", "citation": "Alex. A post on needles."}]
    claims = [{**ctx.claims[0], "source_id": "blog", "claim": "Both reduce pain.",
               "quote": 'Bottom line? Both "work" — but *how* matters.', "verdict": "not checkable from the data"}]
    ctx = dataclasses.replace(ctx, claims=claims, raw_tables={**ctx.raw_tables, "sources": sources})
    table = str(claims_section(ctx))
    assert ("| Both reduce pain. The blog post\u2019s words: \u201cBottom line? Both \u2018work\u2019 \u2014 but "
            "*how* matters.\u201d |") in table, table
    line = next(x for x in str(bottom_line(ctx)).splitlines() if x.startswith("Claims of"))
    assert line.startswith("Claims of the blog post, as this review words them, checked against the data rather than "
                           "taken on trust (see @tbl-claims, with the blog post\u2019s own words)")
    # A claim without its source's words (no quote) is given as worded, and the summary
    # points to no words the table does not give; a claim of a source sources.csv lacks is
    # "the source"'s.
    bare = dataclasses.replace(ctx, claims=[{**claims[0], "quote": None, "source_id": "gone"}])
    assert "| Both reduce pain. |" in str(claims_section(bare))
    line = next(x for x in str(bottom_line(bare)).splitlines() if x.startswith("Claims of"))
    assert line.startswith("Claims of the source, as this review words them") and "own words" not in line


def test_check_claim_keeps_the_claims_source() -> None:
    ctx = context()
    assert "source_id" in ctx.claims[0]


def test_forest_plot_alt_text_says_what_the_plot_draws() -> None:
    drawn = {"comparable": True, "estimate": -0.3, "ci_lb": -0.5, "ci_ub": -0.1}
    listed = {"comparable": False, "estimate": -2.3, "ci_lb": -2.8, "ci_ub": -1.9}
    ratio = {"measure": "RR", "scale": "log"}
    # Pooled on the log scale, shown as ratios: exp(0.4) = 1.49, exp(-0.1) = 0.90,
    # exp(0.9) = 2.46; only the comparable review with an interval is drawn.
    pooled = {"status": "pooled", "studies": [{}, {}, {}], "external": [drawn, listed],
              "pooled": {"estimate": 0.4, "ci_lb": -0.1, "ci_ub": 0.9, "level": 95.0}}
    assert forest_alt(ratio, pooled, 95) == (
        "Forest plot of 3 studies and their pooled estimate, RR 1.49 (95% CI 0.90 to 2.46), interval compatible "
        "with no difference; also drawn, not pooled: 1 published meta-analysis: its interval wholly on the first-named "
        "treatment\u2019s side. The values are written out in the table of study effects below and in the text.")
    single = {"status": "single_study", "external": [],
              "studies": [{"label": "Brinkhaus et al. (2006)", "yi": -0.51, "ci_lb": -1.39, "ci_ub": 0.37}]}
    assert forest_alt({"measure": "MD"}, single, 90).startswith(
        "Forest plot of one study: MD \u22120.51 (90% CI \u22121.39 to 0.37), interval compatible with no "
        "difference; no pooled estimate. ")
    none = {"status": "no_studies", "studies": [], "external": [drawn, drawn, listed]}
    assert forest_alt({"measure": "SMD"}, none, 95) == (
        "Forest plot of published meta-analyses only (no usable trial): 2 published meta-analyses, "
        "not pooled; every interval wholly on the first-named treatment\u2019s side. The values are written out in the "
        "text below.")
    # Two results of one review and one of another: 3 results of 2 reviews, not "3 published
    # meta-analyses".
    two = [{**drawn, "study_id": "R"}, {**drawn, "study_id": "R", "estimate": -0.2}, {**drawn, "study_id": "S"}]
    assert forest_alt({"measure": "SMD"}, {**none, "external": two}, 95) == (
        "Forest plot of published meta-analyses only (no usable trial): 3 results of 2 published "
        "meta-analyses, not pooled; every interval wholly on the first-named treatment\u2019s side. The values are "
        "written out in the text below.")


def test_forest_plot_alt_text_says_where_the_intervals_lie_in_the_words_of_the_results() -> None:
    # The alt gave the numbers but not what the plot shows against its line of no
    # difference: the trials' pooled interval spanning 0, every review's on acupuncture's
    # side. It says both, as the results do.
    a = {"measure": "SMD", "intervention_label": "Acupuncture", "comparator_label": "Sham"}
    review = {"comparable": True, "estimate": -0.3, "ci_lb": -0.5, "ci_ub": -0.1}
    pooled = {"status": "pooled", "studies": [{}, {}],
              "external": [{**review, "study_id": s} for s in "ABCC"],
              "pooled": {"estimate": 0.15, "ci_lb": -1.18, "ci_ub": 1.48, "level": 95.0}}
    assert forest_alt(a, pooled, 95).startswith(
        "Forest plot of 2 studies and their pooled estimate, SMD 0.15 (95% CI \u22121.18 to 1.48), interval "
        "compatible with no difference; also drawn, not pooled: 4 results of 3 published meta-analyses: every "
        "interval wholly on acupuncture\u2019s side. ")
    # The trials' own intervals, each a line above the diamond, where the plot has them:
    # Cherkin 2009's and Kwon 2007's, both across no difference, the pooled one too.
    trials = {**pooled, "studies": [{"yi": 0.17, "ci_lb": -0.05, "ci_ub": 0.39}, {"yi": 0.05, "ci_lb": -0.52,
                                                                                   "ci_ub": 0.62}]}
    assert forest_alt(a, trials, 95).startswith(
        "Forest plot of 2 studies (every interval compatible with no difference) and their pooled estimate, SMD 0.15 ")
    mixed = {**trials, "status": "not_poolable", "studies": [*trials["studies"], {"yi": -0.6, "ci_lb": -0.9,
                                                                                  "ci_ub": -0.3}]}
    assert forest_alt(a, mixed, 95).startswith(
        "Forest plot of 3 studies (1 interval wholly on acupuncture\u2019s side and 2 compatible with no difference); "
        "no pooled estimate; also drawn")
    # A pooled interval on the comparator's side; reviews on every side, counted.
    against = {**pooled, "pooled": {"estimate": 0.5, "ci_lb": 0.1, "ci_ub": 0.9, "level": 95.0},
               "external": [review, review, {**review, "ci_ub": 0.2}, {**review, "estimate": 0.4, "ci_lb": 0.1,
                                                                         "ci_ub": 0.7}]}
    assert ("interval wholly on the comparator\u2019s side; also drawn, not pooled: 4 published meta-analyses: "
            "2 intervals wholly on acupuncture\u2019s side, 1 compatible with no difference and 1 wholly on the "
            "comparator\u2019s side. ") in forest_alt(a, against, 95)
    # Higher is better (responders): a ratio above 1, a log above 0, favours the treatment.
    ratio = {"measure": "RR", "scale": "log", "favours_intervention_when": "above", "intervention_label": "Acupuncture"}
    single = {"status": "single_study", "external": [], "studies": [{"yi": 0.55, "ci_lb": 0.36, "ci_ub": 0.75}]}
    assert forest_alt(ratio, single, 95) == (
        "Forest plot of one study: RR 1.73 (95% CI 1.43 to 2.12), interval wholly on acupuncture\u2019s side; no "
        "pooled estimate. The values are written out in the table of study effects below and in the text.")
    # A name the review keeps as written, and one ending in brackets.
    assert "wholly on Pilates\u2019s side" in forest_alt({**ratio, "intervention_label": "Pilates"}, single, 95,
                                                          proper={"Pilates"})
    assert "wholly on the side of PENS (percutaneous)" in forest_alt(
        {**ratio, "intervention_label": "PENS (percutaneous)"}, single, 95)
    # A label an attribute cannot hold without a bare "<" (pandoc's reader would scan on
    # from it for an autolink's end) is not written: the caption names the treatment.
    odd = forest_alt({**ratio, "intervention_label": "<b>Acupuncture</b>"}, single, 95)
    assert "interval wholly on the first-named treatment\u2019s side" in odd and "<" not in odd


def test_forest_plot_alt_text_counts_the_intervals_the_plot_marks_for_their_level() -> None:
    # The plot marks a published interval of unstated level, or of a level other than its
    # own, under its "(95% CI)" header; a reader of the alt text hears the same.
    drawn = {"comparable": True, "estimate": -0.3, "ci_lb": -0.5, "ci_ub": -0.1}
    single = {"status": "single_study", "studies": [{"yi": -0.5, "ci_lb": -0.9, "ci_ub": -0.1}],
              "external": [{**drawn, "study_id": "Mu", "ci_level": None}, {**drawn, "study_id": "Lee", "ci_level": 95},
                           {**drawn, "study_id": "Old"}]}
    assert forest_alt({"measure": "MD"}, single, 95) == (
        "Forest plot of one study: MD \u22120.50 (95% CI \u22120.90 to \u22120.10), interval wholly on the first-named "
        "treatment\u2019s side; no pooled estimate; also drawn, not pooled: 3 published meta-analyses (1 interval "
        "whose level its source does not state): every interval wholly on the first-named treatment\u2019s side. The values "
        "are written out in the table of study effects below and in the text.")
    # Two reviews without a level and one at 90%, under a plot of 95% intervals.
    none = {"status": "no_studies", "studies": [],
            "external": [{**drawn, "study_id": "A", "ci_level": 90.0}, {**drawn, "study_id": "B", "ci_level": None},
                         {**drawn, "study_id": "C", "ci_level": None}]}
    assert forest_alt({"measure": "SMD"}, none, 95) == (
        "Forest plot of published meta-analyses only (no usable trial): 3 published meta-analyses (2 intervals "
        "whose level their sources do not state and 1 interval at the 90% level), not pooled; every interval "
        "wholly on the first-named treatment\u2019s side. The values are written out in the text below.")
    # Under a plot of 90% intervals the 90% one is the plot's own.
    assert "(2 intervals whose level their sources do not state)" in forest_alt({"measure": "SMD"}, none, 90)


def test_a_claims_verdict_breaks_only_between_its_phrases() -> None:
    ctx = context()
    long_reason = "The cited evidence is known only from the claim's own source. " * 6
    claims = [{**ctx.claims[0], "claim_id": f"c{i}", "claim": "A claim of a dozen words or so, as the post makes it.",
               "verdict": verdict, "reason": long_reason}
              for i, verdict in enumerate(["not checkable from the data", "not supported", "supported"])]
    text = str(claims_section(dataclasses.replace(ctx, claims=claims)))
    assert "| **not\u00a0checkable from\u00a0the\u00a0data** |" in text
    assert "| **not\u00a0supported** |" in text and "| **supported** |" in text
    # Its column holds "not checkable" (13 characters and 3 of padding) on a line: given
    # its longest word alone ("checkable", 9 + 3), it read a word a line.
    rule = next(line for line in text.splitlines() if line.startswith("| -"))
    assert len(rule.split("|")[2].strip()) >= 13 + 3


def _example_raw_context() -> tuple[Any, dict[tuple[str, int], str]]:
    """A report context holding the example's raw tables, and each row's reference by
    (file, row number)."""
    from metareview.rawdata import read_raw, resolve_refs

    raw = read_raw(ROOT / "data" / "raw", ROOT / "config" / "schemas" / "raw")
    refs = resolve_refs(raw)
    ctx = dataclasses.replace(context(), raw_rows=refs,
                              raw_tables={t: [dict(r.values) for r in rows] for t, rows in raw.tables.items()},
                              raw_row_numbers={t: [r.row for r in rows] for t, rows in raw.tables.items()})
    return ctx, {where: ref for ref, where in refs.items()}


def test_the_audit_quotes_the_grade_rating_a_published_result_prints() -> None:
    # contrasts.csv row 69 (Mu 2020, Cochrane) is rated "low" by its review: the published
    # meta-analyses table prints it in its GRADE column and the summary as "certainty as
    # the reviews rate it: low", so its audit cells quote it; a row the review did not
    # rate (row 81, Manheimer 2005) quotes no certainty.
    from metareview.report import raw_cells

    ctx, by_row = _example_raw_context()
    mu = raw_cells(ctx, by_row[("contrasts.csv", 69)])
    assert mu.endswith("n_participants = 1381, certainty = low"), mu
    assert "certainty" not in raw_cells(ctx, by_row[("contrasts.csv", 81)])


def test_the_audit_quotes_the_timepoint_label_of_a_result_without_weeks() -> None:
    # contrasts.csv row 33 (Kwon 2007) gives no weeks, only "immediate post-treatment
    # (weeks not stated)": those words put the result in the short-term window, so the
    # audit quotes them; a row with weeks (row 7, Brinkhaus) keeps its label out.
    from metareview.report import raw_cells

    ctx, by_row = _example_raw_context()
    kwon = raw_cells(ctx, by_row[("contrasts.csv", 33)])
    assert "timepoint_label = immediate post-treatment (weeks not stated)" in kwon, kwon
    assert "timepoint_label" not in raw_cells(ctx, by_row[("contrasts.csv", 7)])


def test_the_summary_line_of_an_anchored_indirect_comparison_gives_its_estimate() -> None:
    # "Through Sham (Bucher method)" alone sent the reader elsewhere for the number. Exercise
    # against usual care MD -1.2 (var 2.1²/66 + 2.2²/64 = 0.142443), manual therapy against
    # usual care MD -0.9 (var 2.2²/48 + 2.3²/47 = 0.213387): A - B = -0.3, SE = sqrt(0.355830)
    # = 0.596515, 95% CI -0.3 ± 1.959964 · 0.596515 = -1.469 to 0.869.
    from metareview.indirect import bucher

    ctx = context()
    x = ctx.indirect[0]
    side = {"comparator": "sham", "comparator_label": "Sham"}
    near = {**side, **bucher(-1.2, 2.1**2 / 66 + 2.2**2 / 64, -0.9, 2.2**2 / 48 + 2.3**2 / 47)}
    lines = str(summary_section(dataclasses.replace(ctx, indirect=[{**x, "measure": "MD", "anchored": [near]}])))
    (line,) = [s for s in lines.splitlines() if s.startswith("- Indirect comparison")]
    assert ("through sham, MD \u22120.30 (95% CI \u22121.47 to 0.87): the confidence interval is compatible with no "
            "difference (point estimate on the side of dry needling) (Bucher method") in line
    # An interval on one side: -1.5 - (-0.2) = -1.3, SE sqrt(0.04 + 0.05) = 0.3, CI -1.888 to -0.712.
    clear = {**side, **bucher(-1.5, 0.04, -0.2, 0.05)}
    lines = str(summary_section(dataclasses.replace(ctx, indirect=[{**x, "measure": "MD", "anchored": [clear]}])))
    assert ("through sham, MD \u22121.30 (95% CI \u22121.89 to \u22120.71): the whole confidence interval favours "
            "dry needling (Bucher method") in lines


def test_a_review_without_an_indirect_comparison_gets_its_pooled_findings_in_the_bottom_line() -> None:
    # A question of one intervention against one comparator defines no indirect comparison.
    # Its bottom line held only "No indirect comparison was configured." when no pooled
    # interval lay on one side: the pooled findings are what it has to say.
    ctx = context()
    (r,) = [r for r in ctx.analyses if r["status"] == "pooled"]
    r = {**r, "pooled": {**r["pooled"], "estimate": -0.5, "ci_lb": -1.2, "ci_ub": 0.2, "level": 95.0}}
    text = str(bottom_line(dataclasses.replace(ctx, indirect=[], analyses=[
        r if x["status"] == "pooled" else x for x in ctx.analyses])))
    assert "No indirect comparison was configured" not in text and "defines no indirect comparison" not in text
    assert ("Pooled analyses whose confidence interval is compatible with no difference: "
            "\\<b\\>Acupuncture\\</b\\> \\*x\\* vs Sham (pain), SMD \u22120.50 (95% CI \u22121.20 to 0.20)") in text


def test_the_summary_line_of_an_anchored_ratio_comparison_is_on_the_ratio_scale() -> None:
    # Log risk ratios: A vs C log(1.5), var 0.04; B vs C log(1.1), var 0.05. A - B =
    # log(1.5/1.1) = 0.310155, SE 0.3, so RR 1.3636 with 95% CI exp(0.310155 -/+ 1.959964 x
    # 0.3) = exp(-0.277834) to exp(0.898144) = 0.7574 to 2.4550: compatible with no
    # difference. The events are beneficial (a ratio above 1 favours the first treatment)
    # when no analysis of the outcome says otherwise.
    from metareview.indirect import bucher

    ctx = context()
    x = {**ctx.indirect[0], "measure": "RR", "scale": "log", "outcome": "responder"}
    side = {"comparator": "sham", "comparator_label": "Sham"}
    ratio = {**side, **bucher(math.log(1.5), 0.04, math.log(1.1), 0.05)}
    lines = str(summary_section(dataclasses.replace(ctx, indirect=[{**x, "anchored": [ratio]}])))
    (line,) = [s for s in lines.splitlines() if s.startswith("- Indirect comparison")]
    assert ("through sham, RR 1.36 (95% CI 0.76 to 2.46): the confidence interval is compatible with no "
            "difference (point estimate on the side of dry needling)") in line, line


def test_a_mean_difference_says_which_scale_its_points_are_on() -> None:
    # "MD −0.51 (95% CI −1.39 to 0.37)" did not say whether half a point is much (of 10)
    # or next to nothing (of 100); the outcome's common scale is 0 to 10 here.
    md = [{**a, "measure": "MD"} if a["id"] == "acu_vs_sham" else a for a in CONFIG["analyses"]]
    ctx = context(analyses=md)
    r = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    # Trials A (3.0 vs 4.0) and B (3.5 vs 4.1): both MDs negative, pooled on the 0 to 10 scale.
    assert r["status"] == "pooled" and -1.0 <= r["pooled"]["estimate"] <= -0.6
    line = next(x for x in summary_section(ctx).splitlines() if x.startswith(f"- {escape(NODE_LABEL)} vs Sham"))
    assert "; k = 2) points on the 0 to 10 scale;" in line, line
    results = str(results_section(ctx))
    assert "Measure: mean difference, in points on the 0 to 10 scale; candidate trials" in results
    assert "(mean difference, 0 to 10 scale)" in results
    # An SMD has no points: none of this is said of it.
    smd = next(x for x in summary_section(ctx).splitlines() if x.startswith("- Dry needling vs Sham"))
    assert "scale" not in smd
    assert "Measure: SMD (Hedges\u2019 g); candidate" in results or "Measure: SMD (Hedges' g); candidate" in results


def test_a_published_estimate_s_interval_is_not_broken_across_lines_in_its_table() -> None:
    # A narrow column printed "SMD −0.42 (−0.79 to" over "−0.05)"; the interval's words
    # are joined by no-break spaces, so the cell breaks before the interval if at all.
    text = str(external_section(context()))
    assert "| SMD \u22120.50 (95% CI \u22120.80\u00a0to\u00a0\u22120.20) |" in text, text
    from metareview.report import unbroken_interval
    assert unbroken_interval("MD \u22128.2 (\u221212.0 to \u22124.4)") == "MD \u22128.2 (\u221212.0\u00a0to\u00a0\u22124.4)"
    assert unbroken_interval("Cohen\u2019s d \u22120.71") == "Cohen\u2019s d \u22120.71"
    # A level's label or its want may break from the bounds, which stay whole.
    assert unbroken_interval("SMD 0.5 (95% CI 0.2 to 0.8)") == "SMD 0.5 (95% CI 0.2\u00a0to\u00a00.8)"
    assert (unbroken_interval("SMD 0.5 (CI 0.2 to 0.8, level not stated)")
            == "SMD 0.5 (CI 0.2\u00a0to\u00a00.8, level not stated)")


def test_a_published_results_audit_row_gives_each_conversion_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # A published MD of -10.26 (-17.11 to -3.40) on a 0-100 VAS is printed on the 0-10
    # scale as -1.03: one rescaling by 0.1. The analysis's text names it beside the number
    # too; the audit row must still list it once, or it reads as rescaled twice (x 0.01).
    monkeypatch.setitem(globals(), "CONTRASTS", [CONTRASTS[0], {**CONTRASTS[1], "measure": "MD", "instrument": "VAS100",
                                                                "estimate": -10.26, "ci_lb": -17.11, "ci_ub": -3.40}])
    (m,) = [r for r in audit_rows(context()) if r[1] == "published result"]
    assert m[3] == pytest.approx(-1.026) and "estimate = -10.26" in m[6]
    assert m[8].count("rescaled to 0\u201310 (\u00d70.1)") == 1
    # The bounds printed, once converted, follow the conversion.
    assert m[8] == ("VAS 0-100 rescaled to 0\u201310 (\u00d70.1) | 95% CI: ci_lb = -17.11, ci_ub = -3.4 \u2192 -1.711 "
                    "to -0.34 (the conversion applied to each bound) | reported as MD, this analysis uses SMD")


def test_an_instruments_range_reads_with_the_reports_en_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    # instruments.csv types "VAS 0-100" with a hyphen; the report writes its own ranges with
    # an en dash ("rescaled to 0–10"), so a label printed in the text reads "VAS 0–100"
    # beside it. The raw cell, and the audit row that quotes the step, keep the hyphen.
    from metareview.fmt import ranges
    assert ranges("Visual analogue scale 0-100 mm") == "Visual analogue scale 0\u2013100 mm"
    assert ranges("Oswestry Disability Index (raw score, 0-50)") == "Oswestry Disability Index (raw score, 0\u201350)"
    assert ranges("Scale 0.5-1.5") == "Scale 0.5\u20131.5"
    # Not an id, a code, an exponent, a minus or a run of numbers.
    for text in ("VAS_0_100", "SF-36 bodily pain", "GAD-7", "1e-05", "-1-2", "x -1", "\u22121-2", "1-2-3"):
        assert ranges(text) == text
    monkeypatch.setitem(globals(), "CONTRASTS", [CONTRASTS[0], {**CONTRASTS[1], "measure": "MD", "instrument": "VAS100",
                                                                "estimate": -10.26, "ci_lb": -17.11, "ci_ub": -3.40}])
    ctx = context()
    text = str(results_section(ctx))
    assert "VAS 0\u2013100 rescaled to 0\u201310 (\u00d70.1)" in text
    assert "VAS 0-100" not in text
    (m,) = [r for r in audit_rows(ctx) if r[1] == "published result"]
    assert m[8].startswith("VAS 0-100 rescaled to")


def test_a_single_trial_s_own_p_value_printed_beside_its_effect_has_an_audit_row() -> None:
    # Carlsson 2001 reports p < 0.05 (contrasts.csv) for the comparison whose RR 3.76
    # (0.98 to 14.44) includes no difference; the report prints that p beside the
    # interval, so the audit trail traces it to its raw row. Where the two agree (a
    # reported p = 0.39 beside such an interval), nothing is printed and no row is added.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    study = r["studies"][0]
    study.update(timepoint_weeks=6.0)
    raw = {"study_id": "C", "arm1": "d", "arm2": "c", "measure": "p_only", "p_value": 0.05, "p_qualifier": "<",
           "sign_convention": "favours_arm1"}
    tables = {**ctx.raw_tables, "contrasts": [*ctx.raw_tables["contrasts"], raw]}
    line = len(tables["contrasts"]) + 1  # the header is row 1
    docs = [dict(d) for d in ctx.normalised]
    doc = next(d for d in docs if d["study"]["study_id"] == study["study_id"])
    reported = {"ref": "contrasts.csv:C#9", "node1": "dn", "node2": "sham", "outcome": "pain",
                "timepoint_weeks": 6.0, "p_value": 0.05, "p_qualifier": "<"}
    doc["contrasts"] = [*doc["contrasts"], reported]
    ctx = dataclasses.replace(ctx, normalised=docs, raw_tables=tables,
                              raw_rows={**ctx.raw_rows, "contrasts.csv:C#9": ("contrasts.csv", line)})
    assert study["ci_lb"] < 0 < study["ci_ub"]
    rows = [x for x in audit_rows(ctx) if x[1] == "trial's own p-value"]
    assert len(rows) == 1
    row = rows[0]
    assert row[:6] == ["dn_vs_sham", "trial's own p-value", "C", 0.05, None, f"contrasts.csv row {line}"]
    assert "p_value = 0.05" in row[6] and "p_qualifier = <" in row[6]
    assert "printed p < 0.05 beside the effect" in row[8]
    # The appendix of raw rows says where it went, as for a trial's own risk difference.
    assert any(n.startswith(f"printed in {DN_VS_SHAM} as the trial") and "own p-value" in n
               for n in _fate(ctx)["contrasts.csv:C#9"])
    doc["contrasts"][-1] = {**reported, "p_value": 0.39, "p_qualifier": "="}
    ctx = dataclasses.replace(ctx, normalised=docs)
    assert [x for x in audit_rows(ctx) if x[1] == "trial's own p-value"] == []
    assert not any("own p-value" in n for n in _fate(ctx).get("contrasts.csv:C#9", []))


def test_a_single_trial_s_own_p_value_is_in_its_analysis_s_own_section() -> None:
    # Carlsson 2001 reports p < 0.05 for the comparison whose RR 3.76 (0.98 to 14.44)
    # includes no difference. The appendix of raw rows says that p is printed in the
    # analysis, where a reader of its section looks for it; the section did not give it.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    study = r["studies"][0]
    study.update(timepoint_weeks=6.0)
    assert study["ci_lb"] < 0 < study["ci_ub"]
    docs = [dict(d) for d in ctx.normalised]
    doc = next(d for d in docs if d["study"]["study_id"] == study["study_id"])
    doc["contrasts"] = [*doc["contrasts"], {"ref": "contrasts.csv:C#9", "node1": "dn", "node2": "sham",
                                            "outcome": "pain", "timepoint_weeks": 6.0, "p_value": 0.05,
                                            "p_qualifier": "<"}]
    ctx = dataclasses.replace(ctx, normalised=docs)
    section = str(results_section(ctx)).split("{#sec-dn-vs-sham}")[1].split("{#sec-")[0]
    # (Markdown: "<" escaped.)
    assert "The trial reports p \\< 0.05 for this comparison (its own test, which its interval below does not " \
        "reproduce)." in section
    # A reported p that agrees with the interval adds nothing, here as in the overview.
    doc["contrasts"][-1] = {**doc["contrasts"][-1], "p_value": 0.39, "p_qualifier": "="}
    section = str(results_section(dataclasses.replace(ctx, normalised=docs))).split("{#sec-dn-vs-sham}")[1]
    assert "reports p" not in section.split("{#sec-")[0]


def test_the_points_printed_beside_a_single_trials_smd_are_in_its_audit_row() -> None:
    # Cherkin 2009 against usual care: SMD -0.44 "a difference of 2.6 points on the
    # Roland-Morris Disability Questionnaire 0-23", from the arms' final means 6.3 and 8.9
    # (|6.3 - 8.9| = 2.6), not from the SMD: the audit row of the effect says how.
    ctx = context()
    study = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    study["native_difference"] = {"difference": abs(6.3 - 8.9), "instrument": "Roland-Morris Disability Questionnaire 0-23"}
    (row,) = [x for x in audit_rows(ctx) if x[0] == "dn_vs_sham" and x[1] == "study effect"]
    # The instrument as the report prints it, its range with an en dash, so that an auditor
    # finds the words the step quotes.
    assert ("printed beside it: a difference of 2.6 points on the Roland-Morris Disability Questionnaire 0\u201323 "
            "= |intervention mean - comparator mean| = 2.6,") in row[8]
    # A pooled analysis prints no points beside its studies: its rows say nothing of them.
    pooled = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    pooled["studies"][0]["native_difference"] = {"difference": 1.0, "instrument": "VAS"}
    assert not [x for x in audit_rows(ctx) if x[0] == "acu_vs_sham" and "printed beside it" in x[8]]


def test_a_published_bound_typed_without_its_minus_is_a_conclusion_changed_though_its_row_is_listed() -> None:
    # Lee 2023's upper bound -0.02 typed as 0.02: the row's cells are listed for the study,
    # and the table of published meta-analyses no longer has it favour acupuncture. What
    # changed said "No estimate, interval or conclusion changed" beside the cell.
    ctx = context()
    before = key_results(ctx)
    docs = []
    for doc in ctx.normalised:
        if doc["study"]["role"] == "external":
            doc = {**doc, "contrasts": [{**c, "ci_ub": -c["ci_ub"]} for c in doc["contrasts"]]}
        docs.append(doc)
    now = key_results(dataclasses.replace(ctx, normalised=docs))
    now = {**now, "study_data": {**now["study_data"], "M": {**now["study_data"]["M"], "contrasts.csv": "edited"}}}
    text = changes_section(now, before)
    label = before["study_labels"]["M"]
    assert now["published"]["contrasts.csv:M#1"]["favours"] != before["published"]["contrasts.csv:M#1"]["favours"]
    assert (f"- Published result of {escape(label)} (contrasts.csv row 3), as the report reads it after its cells "
            "changed: SMD \u22120.50 (\u22120.80 to \u22120.20) \u2192 SMD \u22120.50 (\u22120.80 to 0.20); "
            "**conclusion changed**: the arm it favours acupuncture \u2192 **neither") in text, text
    assert "No estimate, interval or conclusion changed" not in text


def test_a_statement_on_published_reviews_and_the_trials_that_appears_or_goes_is_listed() -> None:
    ctx = context()
    before = key_results(ctx)
    # The fixture's reviews find a difference its trial does not show, on pain.
    pair, on_pain = sorted(before["reviews_and_trials"])
    assert pair.endswith(" against sham") and on_pain == f"{pair}, on pain", before["reviews_and_trials"]
    assert set(before["reviews_and_trials"].values()) == {"unshown"}
    differ = {**before, "reviews_and_trials": {pair: "differ"}}
    line = (f"- Published reviews and the trials used here, {escape(pair)}: now **\u201cpublished reviews and the "
            "trials here differ\u201d** (before: \u201cpublished reviews find a difference that the trials used here "
            "do not show\u201d).")
    assert line in changes_section(differ, before)
    # And back.
    assert ("now **\u201cpublished reviews find a difference that the trials used here do not show\u201d** (before: "
            "\u201cpublished reviews and the trials here differ\u201d).") in changes_section(before, differ)
    # One that appears, and one that goes.
    none = {**before, "reviews_and_trials": {}}
    assert (f"- Published reviews and the trials used here, {escape(pair)}: now **\u201cpublished reviews and the "
            "trials here differ\u201d** (before: no such statement).") in changes_section(differ, none)
    assert (f"- Published reviews and the trials used here, {escape(pair)}: no statement any longer (before: "
            "\u201cpublished reviews and the trials here differ\u201d).") in changes_section(none, differ)
    # An outcome's sentence that went, its comparator's point kept.
    assert changes_section(differ, {**before, "reviews_and_trials": {pair: "differ", on_pain: "differ"}}).endswith(
        f"\n\n- Published reviews and the trials used here, {escape(on_pain)}: no statement any longer (before: "
        "\u201cpublished reviews and the trials here differ\u201d).\n")
    # Key results from before these were kept: no line.
    older = {k: v for k, v in before.items() if k != "reviews_and_trials"}
    assert "Published reviews and the trials" not in changes_section(differ, older)


def test_a_published_result_that_reads_otherwise_with_its_rows_unchanged_says_so() -> None:
    # An instrument marked higher-is-better in instruments.csv turns a review's mean
    # difference: its own rows are the same, the report's table now has it favour the
    # other arm, and the changes section said only that a row of instruments.csv changed.
    ctx = context()
    before = key_results(ctx)
    docs = []
    for doc in ctx.normalised:
        if doc["study"]["role"] == "external":
            doc = {**doc, "contrasts": [{**c, "estimate": -c["estimate"], "ci_lb": -c["ci_ub"], "ci_ub": -c["ci_lb"]}
                                        for c in doc["contrasts"]]}
        docs.append(doc)
    now = key_results(dataclasses.replace(ctx, normalised=docs))
    label = before["study_labels"]["M"]
    # SMD -0.50 (-0.80 to -0.20) favours acupuncture; turned, it favours sham.
    assert (f"- Published result of {escape(label)} (contrasts.csv row 3), as the report reads it: SMD \u22120.50 "
            "(\u22120.80 to \u22120.20) \u2192 SMD 0.50 (0.20 to 0.80); **conclusion changed**: the arm it favours "
            "acupuncture \u2192 **sham acupuncture**.") in changes_section(now, before)
    # Its own rows edited: the cells are listed for the study, and the line says only that
    # its conclusion changed with them, not that it reads otherwise with its rows as they were.
    edited = {**now, "study_data": {**now["study_data"], "M": {**now["study_data"]["M"], "contrasts.csv": "edited"}}}
    assert (f"- Published result of {escape(label)} (contrasts.csv row 3), as the report reads it after its cells "
            "changed: SMD \u22120.50 (\u22120.80 to \u22120.20) \u2192 SMD 0.50 (0.20 to 0.80); **conclusion "
            "changed**: the arm it favours acupuncture \u2192 **sham acupuncture**.") in changes_section(edited, before)
    # Edited with its conclusion kept (the estimate alone moved): the cells say it all.
    ref = next(r for r, v in now["published"].items() if v["study_id"] == "M")
    kept = {**edited, "published": {**now["published"], ref: {**now["published"][ref],
                                                             "favours": before["published"][ref]["favours"]}}}
    assert "Published result" not in changes_section(kept, before)
    # Key results from before published results were kept: nothing said.
    older = {k: v for k, v in before.items() if k != "published"}
    assert "Published result" not in changes_section(now, older)


def test_a_node_outcome_or_window_added_or_removed_reads_as_one_line() -> None:
    # A node split off another read as "Setting `nodes.ea.label`: not set → EA" and a JSON
    # list for its treatments, a line per key: the entry added is one change.
    settings = {"nodes.acu.label": "Acupuncture", "nodes.acu.treatments": ["acupuncture", "electroacupuncture"],
                "outcomes.pain.label": "Pain", "outcomes.pain.scale_min": 0, "outcomes.pain.scale_max": 10}
    before = dict(keys_of(a=entry(-0.5)), settings=settings)
    now = dict(keys_of(a=entry(-0.5)), settings={
        "nodes.acu.label": "Acupuncture", "nodes.acu.treatments": ["acupuncture"],
        "nodes.ea.label": "Electroacupuncture", "nodes.ea.treatments": ["electroacupuncture"]})
    assert changes_section(now, before).splitlines() == [
        "- New node Electroacupuncture (`nodes.ea`): treatments `electroacupuncture`.",
        "- Outcome Pain (`outcomes.pain`) removed.",
        "- The node Acupuncture (`nodes.acu`): treatments `electroacupuncture` removed.",
        "- No estimate, interval or conclusion changed."]


def test_a_study_no_analysis_takes_says_in_a_readers_words_what_it_lacks() -> None:
    from metareview.report.tables import _not_analysed_text

    # "no configured analysis covers its comparisons, outcomes and windows" named a
    # setting; the table of studies says instead what keeps the study out.
    ctx = context()

    def arm(arm_id: str, treatment: str, node: str | None) -> dict[str, Any]:
        return {"arm_id": arm_id, "treatment": treatment, "treatment_label": treatment.replace("_", " ").capitalize(),
                "node": node}

    def text(*arms: dict[str, Any], treatments: list[dict[str, str]] | None = None) -> str:
        doc = {"arms": list(arms), "arm_values": [], "contrasts": [
            {"arm1": arms[0]["arm_id"], "arm2": a["arm_id"], "outcome": "pain"} for a in arms[1:]]}
        c = ctx if treatments is None else dataclasses.replace(ctx, raw_tables={**ctx.raw_tables,
                                                                                 "treatments": treatments})
        return str(_not_analysed_text(c, doc))

    # Itoh 2006: trigger point acupuncture, in no node, against sham.
    assert text(arm("t", "trigger_point_acupuncture", None), arm("s", "sham_acupuncture", "sham")) == (
        "not used: this review counts trigger point acupuncture as none of the treatments it compares (see the "
        "methods)")
    # Téllez-García 2015: dry needling plus education against dry needling, one node.
    assert text(arm("a", "dry_needling", "dn"), arm("b", "dry_needling", "dn")) == (
        "not used: it compares arms this review counts as one treatment (dry needling)")
    # Two controls.
    assert text(arm("a", "sham_acupuncture", "sham"), arm("b", "usual_care", "uc"),
                treatments=[{"treatment": "sham_acupuncture", "role": "sham"},
                            {"treatment": "usual_care", "role": "control"}]) == (
        "not used: it compares two controls, which answers none of this review's questions".replace("'", "\u2019"))
    # Two nodes the review compares, at an outcome or time it does not analyse.
    assert text(arm("a", "acupuncture", "acu"), arm("b", "sham_acupuncture", "sham")) == (
        "not used: this review analyses none of its comparisons on the outcomes and at the times it reports")
    for reason in (text(arm("t", "trigger_point_acupuncture", None), arm("s", "sham_acupuncture", "sham")),
                   text(arm("a", "acupuncture", "acu"), arm("b", "sham_acupuncture", "sham"))):
        assert "config" not in reason and "`" not in reason


def test_a_result_on_an_outcome_the_config_does_not_list_says_so_and_where_to_add_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from metareview.report import evidence_table
    # Trial C's one result is on sleep, an outcome the raw schemas allow and the config
    # (pain only) does not list: no analysis could take it, whatever `analyses` held.
    monkeypatch.setitem(globals(), "CONTRASTS", [{**CONTRASTS[0], "outcome": "sleep"}, *CONTRASTS[1:]])
    ctx = context()
    row = next(x for x in str(evidence_table(ctx)).splitlines() if x.startswith("| contrasts.csv row 2 "))
    assert ("not used: its outcome `sleep` is not among the review's outcomes (to analyse it, add `sleep` under "
            "`outcomes` in config/config.yaml, then an analysis of it under `analyses`)") in row
    assert "no configured analysis covers" not in row
    row = next(x for x in str(study_table(ctx)).splitlines() if x.startswith(f"| {escape(INJECT)} "))
    # What the study lacks, in the table of studies; the appendix above names the setting.
    assert "not used: it reports only outcomes this review does not analyse (sleep)" in row
    assert "config" not in row and "`" not in row
    # The comparisons no analysis covers say that this one needs the outcome first.
    assert (f"| Dry needling vs Sham | Sleep (`sleep` is not among the review's outcomes: add it under `outcomes` "
            f"first) | {escape(INJECT)} |") in str(uncovered_section(ctx))
    # A published review's result on it is shown beside no analysis, and says why.
    monkeypatch.setitem(globals(), "CONTRASTS", [{**c, "outcome": "sleep"} for c in CONTRASTS])
    row = next(x for x in str(evidence_table(context())).splitlines() if x.startswith("| contrasts.csv row 3 "))
    assert ("| Review M | meta-analysis, primary | i vs c: sleep (VAS), week\xa06: SMD −0.5 (−0.8 to −0.2) | external "
            "evidence: its outcome `sleep` is not among the review's outcomes (`outcomes` in config/config.yaml), so "
            "no analysis shows it |") in row
    # A review that lists the outcome and defines no analysis of it keeps the message on analyses.
    ctx = context(outcomes={**CONFIG["outcomes"], "sleep": {"label": "Sleep", "scale_min": 0, "scale_max": 10}})
    row = next(x for x in str(evidence_table(ctx)).splitlines() if x.startswith("| contrasts.csv row 2 "))
    assert "not used: no configured analysis covers this contrast, outcome and window" in row


def test_lists_of_trials_whose_labels_hold_a_comma_are_separated_by_semicolons() -> None:
    from metareview.report.aside import _set_aside
    from metareview.report.changes import _either, _listed

    griswold, mahmoud = "Griswold et al. (2019), authors unverified", "Mahmoudzadeh et al. (2016)"
    # "Griswold et al. (2019), authors unverified and Mahmoudzadeh et al. (2016)" read as
    # three trials, the last "authors unverified and Mahmoudzadeh".
    excluded = {"excluded": [{"label": mahmoud}, {"label": griswold}]}
    assert _set_aside(excluded) == ("; trials set aside (see @tbl-excluded): Griswold et al. (2019), authors "
                                    "unverified\\; and Mahmoudzadeh et al. (2016)")
    # As a sentence of the summary, the list stays one clause (the escaped ";" prints as ";").
    assert as_sentences(_set_aside(excluded) + "; certainty not rated") == (
        " Trials set aside (see @tbl-excluded): Griswold et al. (2019), authors unverified\\; and Mahmoudzadeh et "
        "al. (2016). Certainty not rated.")
    assert plain(as_sentences(_set_aside(excluded))) == (
        " Trials set aside (see the report's table excluded): Griswold et al. (2019), authors unverified; and "
        "Mahmoudzadeh et al. (2016).")
    # Without a comma in any label, the plain "A and B" as before.
    assert _set_aside({"excluded": [{"label": "B (2016)"}, {"label": "A (2019)"}]}) == (
        "; trials set aside (see @tbl-excluded): A (2019) and B (2016)")
    assert _either([griswold, mahmoud, "Kim (2020)"]) == (
        "Griswold et al. (2019), authors unverified; Mahmoudzadeh et al. (2016); or Kim (2020)")
    assert _either(["A", "B", "C"]) == "A, B or C"
    # The changes section's lists, counted beyond their limit, likewise.
    many = [f"Trial {i}, pilot" for i in range(12)]
    assert _listed(many[:2]) == "Trial 0, pilot; Trial 1, pilot"
    assert _listed(many).endswith("; Trial 9, pilot; and 2 more")
    assert _listed(["a", "b", "c"]) == "a, b, c"


def test_a_trial_whose_rows_all_belong_to_other_windows_is_told_apart_when_its_weeks_are_said_once() -> None:
    from metareview.report.overview import _only_in_another_window

    # Thomas et al. (2006): rows at 52 and 104 weeks, their reasons said once for both.
    late = {"reason": "timepoints 52 and 104 weeks are outside the window of 1 to 12 weeks", "timepoint": {
        "kind": "outside_window", "weeks": [52.0, 104.0], "window": "short", "min_weeks": 1.0, "max_weeks": 12.0}}
    assert _only_in_another_window({"reason": late["reason"], "reasons": [late]})
    # Weeks and words read as another window's, both.
    words = {"reason": "timepoint given as \u2018long term\u2019, which this review reads as another window",
             "timepoint": {"kind": "other_window", "labels": ["long term"], "window": "long"}}
    assert _only_in_another_window({"reasons": [late, words]})
    # A reason of another kind besides, or one that holds the row in no window.
    assert not _only_in_another_window({"reasons": [{"reason": "arm n not reported"}, late]})
    assert not _only_in_another_window({"reasons": [late], "also": [{"reason": "SD missing"}]})
    assert not _only_in_another_window({"reasons": [{"reason": "-", "timepoint": {
        "kind": "words_only", "labels": ["after 1 month"], "named": None}}]})
    assert not _only_in_another_window({"reasons": [{"reason": "-", "timepoint": {"kind": "baseline"}}]})
    # The words alone are not read: an entry without the fields is set aside.
    assert not _only_in_another_window({"reason": late["reason"]})


def test_several_published_reviews_or_set_aside_trials_beside_an_analysis_are_listed_one_a_line() -> None:
    # Joined by semicolons, each with its notes in brackets (themselves holding
    # semicolons), a dozen published reviews ran into one paragraph of 250 words: each
    # now takes a line of a list, and one alone stays in the sentence.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    one = r["external"][0]
    r["external"] = [{**one, "label": "Review one"}, {**one, "label": "Review two"}]
    r["excluded"] = [{"study_id": "M2", "label": "Meng (2003)", "refs": [], "reason": "only change values"},
                     {"study_id": "T", "label": "Thomas (2006)", "refs": [], "reason": "outside the window"}]
    text = str(results_section(ctx))
    assert ("External evidence (published meta-analyses, not pooled with the trials):\n\n- Review one: ") in text
    line = next(x for x in text.splitlines() if x.startswith("- Review two: "))
    assert line.endswith(".") and "Review one" not in line
    assert ("Excluded from this analysis:\n\n- Meng (2003): only change values.\n"
            "- Thomas (2006): outside the window.\n") in text
    r["external"] = [one]
    assert "External evidence (published meta-analyses, not pooled with the trials): " in str(results_section(ctx))


def test_the_limitations_of_a_review_of_one_analysis_read_in_the_singular() -> None:
    # dn_vs_sham alone: trial C, one study, nothing pooled, nothing graded. "Of 1 analyses,
    # 1 rests on one study" and "rated for 0 of 1 analyses" were the plural sentences.
    from metareview.report import limitations_section

    ctx = context(analyses=[a for a in CONFIG["analyses"] if a["id"] == "dn_vs_sham"], indirect=[])
    text = str(limitations_section(ctx))
    assert "- **Pooling**: the review's one analysis rests on one study (not pooled). No estimate here pools " \
        "trials" in text
    # Nothing judged: "cannot be rated for any result" says it, with no count after it.
    assert "cannot be rated for any result.\n" in text and "not rated for the review's one analysis" not in text
    judged = dataclasses.replace(ctx, normalised=[{**d, "risk_of_bias": [{"judgement": "low"}]} for d in ctx.normalised])
    assert "certainty of the evidence (GRADE) not rated for the review's one analysis.\n" in str(
        limitations_section(judged))
    assert "1 analyses" not in text


def test_a_review_without_indirect_comparisons_gives_its_single_trials_in_the_summary() -> None:
    # dn_vs_sham alone, no indirect comparison: trial C, SMD -0.40 with variance 0.102,
    # so SE = sqrt(0.102) = 0.3194 and the 95% CI is -0.40 -/+ 1.96 * 0.3194 = -1.03 to
    # 0.23. Without the list, the summary pointed to "the effects shown below" and showed
    # none.
    ctx = context(analyses=[a for a in CONFIG["analyses"] if a["id"] == "dn_vs_sham"], indirect=[])
    text = str(bottom_line(ctx))
    assert ("No analysis had enough usable trials to pool: the effect shown below is that of a single trial, "
            "to be judged by its interval") in text
    assert "\n\nStudy by study:\n\n- Dry needling vs Sham (pain): " in text
    assert "SMD −0.40 (95% CI −1.03 to 0.23); the confidence interval is compatible with no difference" in text
    # Beside a pooled analysis, the single trial is listed as resting on one study.
    both = str(bottom_line(context(indirect=[])))
    assert "\n\nResting on one study, not pooled:\n\n- Dry needling vs Sham (pain): " in both
    # The published meta-analysis of acupuncture against sham (Review M), which the overview
    # gives where there is one, follows: the bottom line of a one-comparison review passed
    # over the review of its own question.
    assert ("\n\n[Published meta-analyses](#sec-external) of the same comparisons, shown apart and never pooled "
            "with the trials (reviews share trials and differ in scope and population):\n\n- \\<b\\>Acupuncture"
            "\\</b\\> \\*x\\* vs Sham (pain): 1 review; its SMD is ") in both
    # With an indirect comparison, the overview of each treatment's comparators gives it.
    assert "Published meta-analyses](#sec-external) of the same comparisons" not in str(bottom_line(context()))
    assert "Study by study:\n\n-" not in str(bottom_line(context()))
    assert "Resting on one study, not pooled" not in str(bottom_line(context()))


def test_a_review_without_indirect_comparisons_lists_its_unpooled_and_set_aside_analyses_in_the_summary() -> None:
    # With min_studies 3, trials A and B of acupuncture against sham hold effects but are
    # too few to pool; trial C reports only an SMD, which an analysis on the MD cannot use,
    # so dn_vs_sham_md has its one trial set aside. The bottom line listed neither: a
    # reader of the summary alone took those comparisons for untried.
    md = {**CONFIG["analyses"][1], "id": "dn_vs_sham_md", "measure": "MD"}
    ctx = context(indirect=[], methods={**CONFIG["methods"], "min_studies": 3},
                  analyses=[*CONFIG["analyses"], md])
    assert [r["status"] for r in ctx.analyses] == ["not_poolable", "single_study", "no_studies"]
    text = str(bottom_line(ctx))
    assert ("\n\nHolding studies that could not be pooled:\n\n- \\<b\\>Acupuncture\\</b\\> \\*x\\* vs Sham (pain): "
            "2 studies (\\<script\\>alert(1)\\</script\\> and \\#set page(width: 1cm)), not pooled. Only 2 studies "
            "(fewer than 3): nothing pooled.\n") in text
    assert ("\n\nWith trials, every one set aside, so no effect size to show (@tbl-excluded says why):\n\n- Dry needling "
            "vs Sham (pain, short term, MD): \\{\\{ title \\}\\} \\<!\\-\\- metareview:audit "
            "\\-\\-\\>. It reports a difference favouring dry needling, with no p-value or interval (40 "
            "participants).\n") in text
    # The single trial is listed as before, after the sentence that points to it, which
    # says that the unpooled studies follow.
    assert ("No analysis had enough usable trials to pool: the effect shown below is that of a single trial, to be "
            "judged by its interval and by how far its source can be trusted, not a pooled estimate. The analyses "
            "whose studies could not be pooled follow it.") in text
    assert "\n\nStudy by study:\n\n- Dry needling vs Sham (pain, short term, SMD): " in text
    # Nothing pooled and no single trial: the sentence points to the studies listed, not to
    # "the effects of single trials" that are not there.
    # Without claims: the fixture's verdicts were made on the analyses before this one.
    alone = str(bottom_line(dataclasses.replace(ctx, analyses=[ctx.analyses[0]], claims=[])))
    assert ("No analysis had enough usable trials to pool: the studies listed below are each shown, not "
            "pooled.") in alone
    assert "single trial" not in alone
    # With an indirect comparison, the overview of each treatment's comparators gives them.
    both = str(bottom_line(dataclasses.replace(ctx, indirect=context().indirect)))
    assert "Holding studies that could not be pooled" not in both and "every one set aside" not in both


def test_the_summary_s_unpooled_studies_in_brackets_give_their_years_after_commas() -> None:
    # "2 studies (Cherkin et al. (2009) and Cho et al. (2013))" nested a label's brackets
    # in the list's; inside brackets a label gives its year after a comma (fmt.in_brackets).
    ctx = context(indirect=[], methods={**CONFIG["methods"], "min_studies": 3})
    r = next(r for r in ctx.analyses if r["status"] == "not_poolable")
    r["studies"] = [{**r["studies"][0], "label": "Cherkin et al. (2009)"},
                    {**r["studies"][1], "label": "Cho et al. (2013)"}]
    text = str(bottom_line(ctx))
    # Labels that hold commas are parted by semicolons (fmt.join_list), escaped here.
    assert "2 studies (Cherkin et al., 2009\\; and Cho et al., 2013), not pooled." in text, text


def test_each_treatment_s_overview_names_its_unpooled_and_set_aside_comparisons() -> None:
    # As above, with the indirect comparison of dry needling and acupuncture: the overview
    # of each treatment's other comparators gave only pooled and single-study estimates, so
    # acupuncture read "no analysis has an estimate" beside two trials against sham, and
    # dry needling's trial C set aside from the MD analysis went unsaid.
    md = {**CONFIG["analyses"][1], "id": "dn_vs_sham_md", "measure": "MD"}
    ctx = context(methods={**CONFIG["methods"], "min_studies": 3}, analyses=[*CONFIG["analyses"], md])
    text = str(bottom_line(ctx))
    assert ("- \\<b\\>Acupuncture\\</b\\> \\*x\\*:\n  - No analysis has a pooled or single-study estimate against "
            "any other comparator.\n  - Against sham:\n    - 2 studies on pain, not pooled (fewer than the 3 pooling "
            "needs): \\<script\\>alert(1)\\</script\\> and \\#set page(width: 1cm).\n") in text
    # Dry needling against sham on two measures: each item names its measure.
    # The SMD result names its measure by its estimate (Trial C's SMD -0.40: with n 20 + 20,
    # SE = sqrt(0.102) = 0.3194 and the interval -0.40 -/+ 1.96 * 0.3194 = -1.03 to 0.23).
    # One point for sham: the result, the outcome with no usable study, then the trial set
    # aside, which the line above uses: said to be set aside from the MD only. Its reported
    # SMD has no interval or p-value: "not shown statistically significant" said no more.
    assert ("- Dry needling:\n  - Against sham:\n    - Pain: SMD \u22120.40 (95% CI \u22121.03 to 0.23, point estimate "
            "on dry needling\u2019s side; one study, \\{\\{ title "
            "\\}\\} \\<!\\-\\- "
            "metareview:audit \\-\\-\\>), interval compatible with no difference.\n    - Pain, MD: no usable "
            "study.\n    - 1 trial set aside (see [Trials that could not be used](#sec-excluded)), \\{\\{ title "
            "\\}\\} \\<!\\-\\- metareview:audit \\-\\-\\> from pain, MD only, as it is used for pain, SMD: it "
            "reports a difference favouring dry needling (with no test of significance reported). It "
            "was set aside for this reason: standardised effect reported (cannot be expressed as MD on the common "
            "scale).") in text, text
    # An outcome's own brackets, outside any of the line's, as written.
    ctx = dataclasses.replace(ctx, analyses=[{**r, "analysis": {**r["analysis"], "outcome_label": "Pain (0 to 10)"}}
                                             for r in ctx.analyses])
    assert "    - Pain (0 to 10), MD: no usable study.\n    - 1 trial set aside" in str(bottom_line(ctx))
    # The default review pools acupuncture against sham (min_studies 2) and sets no trial aside.
    plain = str(bottom_line(context()))
    assert "Not pooled:" not in plain and "set aside" not in plain


def test_a_label_ending_in_a_full_stop_ends_the_summary_s_unpooled_and_set_aside_points_once() -> None:
    # "Cho et al." last in a point read "Cho et al.." with the point's own full stop.
    md = {**CONFIG["analyses"][1], "id": "dn_vs_sham_md", "measure": "MD"}
    for indirect in (CONFIG.get("indirect"), []):
        ctx = context(methods={**CONFIG["methods"], "min_studies": 3}, analyses=[*CONFIG["analyses"], md],
                      **({} if indirect else {"indirect": []}))
        unpooled = next(r for r in ctx.analyses if r["status"] == "not_poolable")
        unpooled["studies"] = [unpooled["studies"][0], {**unpooled["studies"][1], "label": "Cho et al."}]
        aside = next(r for r in ctx.analyses if r["status"] == "no_studies")
        aside["excluded"] = [{**e, "label": "Smith et al."} for e in aside["excluded"]]
        text = str(bottom_line(ctx))
        assert "et al.." not in text, text
        if indirect:
            # The overview counts the trial set aside, not naming it (_aside_count).
            assert "Cho et al." in text and "Smith et al." not in text and "MD: no usable study" in text
            assert "\n    - 1 trial set aside" in text
        else:
            assert "Smith et al." in text
    # With two comparators' trials set aside, a point each, each ending once.
    ctx = context(methods={**CONFIG["methods"], "min_studies": 3}, analyses=[*CONFIG["analyses"], md])
    aside = next(r for r in ctx.analyses if r["status"] == "no_studies")
    other = {**aside, "analysis": {**aside["analysis"], "id": "dn_vs_x", "comparator_label": "Usual care"},
             "excluded": [{**e, "label": "Smith et al."} for e in aside["excluded"]]}
    text = str(bottom_line(dataclasses.replace(ctx, analyses=[*ctx.analyses, other])))
    # Each followed by its trial's own direction, counted.
    assert "  - Against usual care:\n    - Pain, MD: no usable study.\n    - 1 trial set aside (see [Trials that " \
           "could not be used](#sec-excluded)): it reports a difference" in text, text
    assert "et al.." not in text


def test_the_claim_verdicts_are_defined_only_above_claims() -> None:
    from metareview.report import claims_section

    ctx = context()
    assert ctx.claims
    text = str(claims_section(ctx))
    assert text.startswith("A claim is *supported* when a pooled analysis here shows the claimed direction")
    assert "\n\n| Claim" in text
    # With no claim, the definitions would read as if something had been judged.
    empty = str(claims_section(dataclasses.replace(ctx, claims=[])))
    assert empty == "No claim is recorded for checking.\n"
    # The file is named for an auditor in the provenance, which says it holds none.
    assert "; the claims checked, claims.csv.\n" in str(provenance_section(ctx))
    assert ("; the claims checked, claims.csv (none recorded).\n"
            in str(provenance_section(dataclasses.replace(ctx, claims=[]))))


def test_a_treatment_compared_only_with_an_unnamed_control_is_said_to_have_no_usable_trial() -> None:
    # The example's pain: dry needling's and acupuncture's usable trials are against
    # controls their sources do not name, and dry needling's trials against sham (Rajfur
    # 2022 and 2024) are set aside. "There is no common comparator" read as if no trial of
    # dry needling against sham existed.
    from metareview.normalise import UNNAMED

    ctx = context()
    spec = CONFIG["indirect"][0]
    acu_only = [r for r in ctx.analyses if r["analysis"]["intervention"] != "dn"]
    lonely = indirect_comparison(spec, acu_only, labels=LABELS)
    unnamed = {**lonely, "comparators_a": [UNNAMED], "comparators_b": [*lonely["comparators_b"], UNNAMED]}
    dn = next(r for r in ctx.analyses if r["analysis"]["intervention"] == "dn")
    aside = {**dn, "studies": [], "status": "no_studies", "excluded": [{"study_id": "R", "label": "Rajfur (2022)"}]}
    text = " ".join(str(bottom_line(dataclasses.replace(ctx, analyses=[*acu_only, aside], indirect=[unnamed]))).split())
    assert "no common comparator" not in text
    sham = escape(_in_sentence(dn["analysis"]["comparator_label"]))
    assert (f"no usable trial of dry needling against a named third treatment exists to compare them through (its "
            f"trials against {sham} are set aside); see [") in text
    # The limitations give the same reason in the same words, for the comparison they name;
    # "of 1, 1 has no common comparator" read as if dry needling had no trial against sham.
    lim = dataclasses.replace(ctx, analyses=[*acu_only, aside], indirect=[unnamed])
    line = next(x for x in str(limitations_section(lim)).splitlines() if x.startswith("- **Indirect comparisons**"))
    assert line == (f"- **Indirect comparisons**: Dry needling versus {escape(_in_sentence(NODE_LABEL))} (pain): no "
                    "indirect comparison can be made, as no usable trial of dry needling against a named third "
                    f"treatment exists to compare them through (its trials against {sham} are set aside).")
    # Its audit row in step: the comparison under the words printed, with its status.
    (row,) = [r for r in audit_rows(lim) if r[1] == "indirect comparisons by reason (count)"]
    assert row[3] == 1 and row[6] == "config/config.yaml: indirect[0].id = dn_vs_acu"
    assert row[8] == (f"Dry needling versus {_in_sentence(NODE_LABEL)} (pain): no indirect comparison can be made, as "
                      "no usable trial of dry needling against a named third treatment exists to compare them through "
                      f"(its trials against {_in_sentence(dn['analysis']['comparator_label'])} are set aside) (1): "
                      f"dn_vs_acu (results/indirect/{unnamed['id']}.json: status = {unnamed['status']}); 1 indirect "
                      "comparison; printed in the limitations, under \u201cIndirect comparisons\u201d")
    # No trial of it against a named third treatment at all: nothing set aside to name.
    text = " ".join(str(bottom_line(dataclasses.replace(ctx, analyses=[*acu_only, {**aside, "excluded": []}],
                                                        indirect=[unnamed]))).split())
    assert "against a named third treatment exists to compare them through; see [" in text


def test_a_treatment_in_no_analysis_is_the_review_s_choice_not_the_trials() -> None:
    # Trial C compares dry needling with sham, but the review defines no analysis of it:
    # "no usable trial of dry needling" would be untrue.
    ctx = context(analyses=[a for a in CONFIG["analyses"] if a["id"] == "acu_vs_sham"])
    detail = ctx.indirect[0]["detail"]
    assert "dry needling is in none against a third treatment;" in detail
    # The review's choice in words: "(the config's analyses)", "(`analyses` in the config)"
    # named a setting to a clinician; the provenance names the key.
    assert ("The review defines no SMD analysis of dry needling against a third treatment on this outcome and "
            "window, so there is nothing to anchor an indirect comparison") in detail
    assert "no usable trial" not in detail and "compared with nothing" not in detail and "config" not in detail
    text = str(bottom_line(ctx))
    assert "and the review defines no analysis of dry needling against a third treatment to compare them through" in text
    assert "config" not in text
    assert ("the analyses this review defines (@tbl-analyses), each an entry under `analyses` by its id"
            in str(provenance_section(ctx)))
    assert "no usable trial" not in text
    # Neither treatment in such an analysis (a review of binary outcomes only, say): one
    # sentence, not the sides' "in none" twice.
    none = dict(CONFIG["analyses"][0], id="acu_vs_sham_other", outcome="other")
    ctx = context(analyses=[none], outcomes={**CONFIG["outcomes"], "other": {"label": "Other", "scale_min": 0,
                                                                             "scale_max": 10}})
    assert ctx.indirect[0]["detail"].startswith("The review defines no SMD analysis of dry needling or of ")


def test_the_summary_and_the_indirect_section_give_one_reason_across_measures() -> None:
    # Both analyses on MD, the indirect comparison on SMD; dry needling's one trial reports
    # an SMD only, so its MD analysis has none. The summary said "no usable trial of dry
    # needling", the section "the review defines no SMD analysis of dry needling": now both
    # lead with the trials, which no choice of measure would change.
    ctx = context(analyses=[{**a, "measure": "MD"} for a in CONFIG["analyses"]])
    assert next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["k"] == 0
    summary = " ".join(str(bottom_line(ctx)).split())
    assert "no usable trial of dry needling against a named third treatment exists to compare them through" in summary
    detail = ctx.indirect[0]["detail"]
    assert detail.startswith("Dry needling has no usable trial against a third treatment in the review's analyses of "
                             "this outcome and window, on any measure, and the review defines no SMD analysis of "
                             f"{_in_sentence(NODE_LABEL)} against a third treatment there")
    assert "defines no SMD analysis of dry needling" not in detail


def _twin_review(ctx: ReportContext) -> dict[str, Any]:
    """Review M's document as Review N (2020)'s, printing M's result alike (row N#1)."""
    twin = copy.deepcopy(next(d for d in ctx.normalised if d["study"]["study_id"] == "M"))
    twin["study"].update(study_id="N", label="Review N (2020)")
    for c in twin["contrasts"]:
        c["ref"] = "contrasts.csv:N#1"
    return twin


def test_a_tally_of_reviews_names_a_review_whose_result_another_study_prints_alike() -> None:
    # Acupunct Med 2020, Mu 2020 and Yuan 2015 print one SMD and interval alike (−0.47,
    # −0.77 to −0.17): a consistency warning, pages away from the tallies of reviews that
    # count each as a finding of its own. The tallies now name such a review.
    ctx = context()
    twin = _twin_review(ctx)
    said = ("Review M prints a result with the same estimate and bounds as another study’s, counted here as "
            "its own")
    alike = dataclasses.replace(ctx, normalised=[*ctx.normalised, twin])
    line = next(x for x in summary_section(alike).splitlines() if x.startswith("- ") and "Published" in x)
    assert line.endswith(f"its SMD is \u22120.50. {said} (see @tbl-warnings).")
    # In the treatment's tally too, a sentence after its brackets: run in there with the
    # sizes, "...; a result printed alike by another study, counted as the review's own,
    # for A and for B: see @tbl-warnings)" could not be read.
    overview = _without_reconciling(_treatment_overview(alike, "acu"))
    assert overview.endswith(f"intervals: its SMD is \u22120.50. {said} (see @tbl-warnings)."), overview
    assert "a result printed alike by another study, counted as the review’s own" not in overview
    # Without the twin, no such words.
    assert "same estimate and bounds" not in summary_section(ctx) + _treatment_overview(ctx, "acu")
    # Labels that hold commas, inside brackets: "for" before each, as the certainty's.
    from metareview.report.base import _repeated_reviews

    entries = [{"label": "Acupunct Med 2020 meta-analysis (authors unverified)", "ref": "a"},
               {"label": "Yuan et al. (2015)", "ref": "b"}, {"label": "Mu et al. (2020)", "ref": "c"}]
    assert _repeated_reviews(entries, {"a", "b"}, bracketed=True) == (
        "a result printed alike by another study, counted as the review’s own, for Acupunct Med 2020 "
        "meta-analysis, authors unverified and for Yuan et al., 2015: see @tbl-warnings")


def test_published_sizes_that_agree_are_not_counted_twice() -> None:
    from metareview.report.summary import _external_sizes

    # Three reviews; two give the same SMD, the third a mean difference.
    entries = [{"study_id": "A", "measure": "SMD", "estimate": -0.69}, {"study_id": "B", "measure": "SMD",
               "estimate": -0.69}, {"study_id": "C", "measure": "MD", "estimate": -1.19}]
    # Two reviews printing one value: "each give an SMD of", not "give SMDs of", which
    # reads as more than one value.
    assert _external_sizes(entries) == "2 of them each give an SMD of \u22120.69"
    # Every review giving one: "their SMDs are both".
    assert _external_sizes(entries[:2]) == "their SMDs are both \u22120.69"
    # Different values: a range.
    entries[1] = {**entries[1], "estimate": -0.33}
    assert _external_sizes(entries) == "the SMDs of 2 of them range from \u22120.69 to \u22120.33"
    # One SMD among two reviews (Acupunct Med 2020 beside Mu 2020's mean difference): which
    # of them gives it, not "the one SMD is", as if the two shared one.
    assert _external_sizes([entries[0], entries[2]]) == "one of them gives an SMD of \u22120.69"
    assert _external_sizes(entries[:1]) == "its SMD is \u22120.69"
    # The reviews of a tally named: after "4 of 5", "them" read as the 4.
    from metareview.report.overview import _size_ranges

    said = "the SMDs of 2 of the 5 range from \u22120.69 to \u22120.33"
    assert [x["said"] for x in _size_ranges(entries, reviews=5)] == [said]
    entries[1] = {**entries[1], "estimate": -0.69}
    assert [x["said"] for x in _size_ranges(entries, reviews=5)] == ["2 of the 5 each give an SMD of \u22120.69"]
    rr = [{"study_id": "A", "measure": "RR", "estimate": 0.5}, {"study_id": "B", "measure": "MD", "estimate": 1.0}]
    assert [x["said"] for x in _size_ranges(rr, reviews=2)] == ["one of the 2 gives an RR of 0.50"]


def test_a_summary_without_indirect_comparisons_names_the_statements_on_its_comparisons() -> None:
    # Without an indirect comparison no overview of each treatment names the sources that
    # compare its treatments in words: the summary lists them, a point per comparison and
    # outcome, as the overview's "Statements in words on these comparisons" does.
    ctx = context(indirect=[])
    docs = [dict(d) for d in ctx.normalised]
    g = next(d for d in docs if d["study"]["study_id"] == "G")
    g["statements"] = [{**g["statements"][0], "node1": "acu", "node2": "sham", "outcome": "pain"}]
    h = {**g, "study": {**g["study"], "study_id": "H", "label": "Guideline H"}}
    said = str(bottom_line(dataclasses.replace(ctx, normalised=[*docs, h])))
    head = "Statements in words on the comparisons analysed, not counted in any estimate (see @tbl-narrative):"
    assert f"{head}\n\n- \\<b\\>Acupuncture\\</b\\> \\*x\\* vs Sham (pain): Guideline G and Guideline H.\n" in said
    # An outcome's own brackets, inside the point's, as commas: "(pain (0 to 10))" nested them.
    scaled = [{**r, "analysis": {**r["analysis"], "outcome_label": "Pain (0 to 10)"}} for r in ctx.analyses]
    said = str(bottom_line(dataclasses.replace(ctx, normalised=[*docs, h], analyses=scaled)))
    assert "\\*x\\* vs Sham (pain, 0 to 10): Guideline G and Guideline H.\n" in said
    # Above the detail limit, a count instead of a list as long as the results table.
    many = dataclasses.replace(ctx, normalised=docs, config={**ctx.config, "report": {"detail_limit": 1}})
    assert ("Statements in words speak of 1 of the comparisons analysed (on their outcomes), not counted in any "
            "estimate (see @tbl-narrative).") in str(bottom_line(many))
    # Of an outcome no analysis has, or a pair none compares: no paragraph.
    g["statements"] = [{**g["statements"][0], "outcome": "disability"}]
    assert head not in str(bottom_line(dataclasses.replace(ctx, normalised=docs)))
    g["statements"] = [{**g["statements"][0], "node2": "dn", "outcome": "pain"}]
    assert head not in str(bottom_line(dataclasses.replace(ctx, normalised=docs)))
    # With an indirect comparison, each treatment's overview points to them instead.
    g["statements"] = [{**g["statements"][0], "node2": "sham"}]
    with_indirect = str(bottom_line(dataclasses.replace(context(), normalised=docs)))
    assert head not in with_indirect and "Statements in words on these comparisons" not in with_indirect
    assert "statements in words on these comparisons (see [Narrative evidence](#sec-narrative))" in with_indirect


def test_the_methods_speak_of_published_reviews_guidelines_and_unnamed_comparators_only_when_there_are_some() -> None:
    # A second review of trials alone read in its methods how published meta-analyses are
    # shown and how unnamed comparators are handled: each is said where the data hold one.
    # A window with period words, whose sentence names the designs they place.
    ctx = context(windows={"short": {**CONFIG["windows"]["short"], "terms": ["short term"]}})
    said = " ".join(str(methods_section(ctx)).split())
    assert "after any timepoint in weeks, for trials and published meta-analyses alike." in said
    assert "the row says so; a published meta-analysis's is shown in every window, with the source's words for its timepoint." in said
    assert ("says so, and published meta-analyses of a broader or another population are shown but not counted in "
            "the report's tallies of reviews.") in said
    assert ("described after the evidence table: the population it enrolled, the number randomised, its arms as the "
            "source describes them, and the timepoints used; the population of each published meta-analysis is given "
            "beside its results.") in said
    assert ("- **Designs**: randomised trials are pooled; published meta-analyses are shown as external evidence and "
            "never pooled with trials; guidelines and consensus statements are narrative evidence.") in said
    # The fixture's studies name every comparator: no word of unnamed ones, in the nodes'
    # bullet or the indirect comparisons'.
    assert "do not name" not in said
    assert "a normal-based interval" in said and " Effects on different measures are never combined." in said
    # Trials alone (review M and guideline G left out): none of them.
    trials = dataclasses.replace(ctx, normalised=[d for d in ctx.normalised if d["study"]["study_id"] not in "MG"])
    said = " ".join(str(methods_section(trials)).split())
    assert "meta-analys" not in said and "guideline" not in said, said
    assert "after any timepoint in weeks. A trial's timepoint in other words" in said
    assert "and the row says so. - **Population**" in said
    assert "this review's (unclear), says so. Each trial that contributes to an analysis is described" in said
    assert "and the timepoints used. - **Treatment nodes**" in said
    assert "- **Designs**: randomised trials are pooled. " in said
    # A guideline alone: its sentence, not the reviews'.
    guideline = dataclasses.replace(ctx, normalised=[d for d in ctx.normalised if d["study"]["study_id"] != "M"])
    said = " ".join(str(methods_section(guideline)).split())
    assert "- **Designs**: randomised trials are pooled; guidelines and consensus statements are narrative evidence." in said
    # An arm of a comparator the source does not name, or an analysis against one: the sentence.
    docs = [dict(d) for d in ctx.normalised]
    c = next(d for d in docs if d["study"]["study_id"] == "C")
    c["arms"] = [c["arms"][0], {**c["arms"][1], "treatment": "control", "node": "unnamed_control"}]
    for unnamed in (dataclasses.replace(ctx, normalised=docs),
                    context(analyses=[*CONFIG["analyses"], {**CONFIG["analyses"][0], "id": "acu_vs_unnamed",
                                                            "comparator": "unnamed_control"}])):
        said = " ".join(str(methods_section(unnamed)).split())
        assert ". Comparators the sources do not name are never grouped." in said
        assert ("Comparators the sources do not name are never a common comparator, and effects on different "
                "measures are never combined.") in said


def test_the_evidence_table_names_only_the_kinds_of_study_the_data_hold() -> None:
    # "trials, published meta-analyses and guidelines alike" over a table of trials alone
    # named kinds of study the review does not have.
    ctx = context()
    text, _, _ = build_report(TEMPLATE, ctx)
    assert "Every study in the raw tables, trials, published meta-analyses and guidelines alike. A" in text
    trials = dataclasses.replace(ctx, normalised=[d for d in ctx.normalised if d["study"]["study_id"] not in "MG"])
    assert "Every study in the raw tables{{ study_kinds }}. A" in TEMPLATE and study_kinds(trials) == ""
    # Trials and a consensus statement: those two.
    docs = [dict(d) for d in ctx.normalised if d["study"]["study_id"] != "M"]
    g = next(d for d in docs if d["study"]["study_id"] == "G")
    g["study"] = {**g["study"], "design": "consensus"}
    assert study_kinds(dataclasses.replace(ctx, normalised=docs)) == ", trials and consensus statements alike"


def test_the_narrative_caption_explains_only_the_marks_its_rows_carry() -> None:
    # The caption explained "secondary source" and "identity not established" under a
    # table whose every source was primary and identified.
    ctx = context()
    head = "Narrative evidence: statements without poolable numbers, with the evidence level the source assigns"
    assert f": {head} {{#tbl-narrative}}" in str(narrative_section(ctx))
    docs = [dict(d) for d in ctx.normalised]
    g = next(d for d in docs if d["study"]["study_id"] == "G")
    g["study"] = {**g["study"], "source_level": "secondary"}
    text = str(narrative_section(dataclasses.replace(ctx, normalised=docs)))
    assert (f": {head}. A secondary source reports on a study it did not run; its statement cannot be checked "
            "against the study\u2019s own report. {#tbl-narrative}") in text
    g["study"] = {**g["study"], "identity_confidence": "low"}
    text = str(narrative_section(dataclasses.replace(ctx, normalised=docs)))
    # The identity confidence as the evidence table and the codebook define it: a row may
    # give its journal and PMID and still be unsure of its authors.
    assert ("study\u2019s own report. Identity not established: the team is not sure that the study is the one "
            "named (its identity is rated low in the evidence table). {#tbl-narrative}") in text
    assert "could not trace" not in text
    # A study's marks count only where it has a statement in the table.
    c = next(d for d in docs if d["study"]["study_id"] == "C")
    c["study"] = {**c["study"], "source_level": "secondary"}
    g["study"] = {**g["study"], "source_level": "primary", "identity_confidence": "high"}
    assert f": {head} {{#tbl-narrative}}" in str(narrative_section(dataclasses.replace(ctx, normalised=docs)))


def test_the_claims_rules_are_those_of_the_claims_the_review_checks() -> None:
    # A review whose claims all name their comparator and claim no mean difference read
    # how such claims would be judged.
    ctx = context()
    no_comparator = "A claim that names no comparator (\"it works\") is judged against shams and controls only."
    mean_difference = "A claimed mean difference is supported when the pooled interval holds it"

    def rules(*claims: dict[str, Any]) -> str:
        said = str(claims_section(dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "claims": list(claims)})))
        return " ".join(said.split("\n|", 1)[0].split())

    # The fixture's claim names no comparator and claims a direction only.
    said = rules(*CLAIMS)
    assert said.startswith("A claim is *supported* when") and no_comparator in said and mean_difference not in said
    named = {**CLAIMS[0], "comparator": "sham_acupuncture"}
    said = rules(named)
    assert said.endswith("or no study reporting the outcome, subgroup or quantity claimed."), said
    said = rules(named, {**named, "claim_id": "md", "claimed_measure": "mean_difference"})
    assert no_comparator not in said and mean_difference in said
    # Without the raw claims to tell, both rules are said.
    said = " ".join(str(claims_section(ctx)).split("\n|", 1)[0].split())
    assert no_comparator in said and mean_difference in said


def test_the_claims_rules_give_an_imprecise_pooled_interval_the_verdict_the_check_gives_it() -> None:
    # A pooled interval holding both the claim and no difference was "not supported" for a
    # claimed direction and "not checkable" for a claimed size, and the rules named neither
    # case: now both are not checkable, as the rules say, in the reasons' own words.
    from metareview.claims import IMPRECISE, NOT_CHECKABLE

    said = " ".join(str(claims_section(context())).split("\n|", 1)[0].split())
    assert (f"*{NOT_CHECKABLE}* when the data here cannot settle it: pooled intervals that hold both the claimed "
            f"effect and no difference ({IMPRECISE})") in said
    assert "and not checkable when the interval holds both it and no difference." in said
    # "Not supported" is what counts against a claim, not what fails to bear it out.
    assert ("*not supported* when the relevant pooled analyses count against it (none shows it, and one has its "
            "interval wholly on the other side)") in said


def test_the_audit_trail_s_opening_speaks_only_of_the_numbers_the_review_has() -> None:
    # A review of mean differences, without indirect comparisons or published reviews, read
    # in the audit trail's opening of logs of ratios, counts per 1,000, published results
    # and the sides of indirect comparisons.
    ctx = context(indirect=[])
    # Nor claims, whose counts the summary prints (a count of claims).
    # Nor SMDs in an instrument's points (no comparator arm's SD known).
    ctx = dataclasses.replace(ctx, normalised=[d for d in ctx.normalised if d["study"]["study_id"] != "M"], claims=[],
                              analyses=[{**r, "external": [], "re_expressed": []} for r in ctx.analyses])
    said = audit_lead(ctx)
    # (Its pooled forest plot prints sums of arm sizes, traced with no variance, and its
    # limitations count its analyses, entries of the config.)
    assert ("The value is on the analysis scale, but for a summed count of participants or events (the sum), a "
            "count of studies (the number of trials or reviews counted, each named with the raw rows that make it "
            "one of them) and a count of analyses (the number of analyses counted, each named with its entry in "
            "the config, not a raw row); "
            "the variance is a study effect's sampling variance or a pooled or equal-effects estimate's squared standard error, and "
            "summed counts, counts of studies and counts of analyses give none. Analysis names the analysis by its title and id on its first row, "
            "by its id on the rows after it (the id names its file in `results/analyses/`), a dash for a number of no "
            "analysis. Study gives study ids, as in `studies.csv`: every study a number was computed from (a pooled "
            "estimate's), none for a number of no study; From names the method.") in said
    assert not any(x in said for x in ("indirect", "published", "ratio", "1,000", "points")), said
    # With them, each is named.
    said = audit_lead(context())
    assert "Analysis names the analysis or indirect comparison by its title" in said
    assert "(the id names its file in `results/analyses/` or `results/indirect/`), a dash for a number of neither." in said
    assert ("(a pooled estimate's, each side's of an indirect comparison), none for a number of no study; From names "
            "the method, or the sides of an indirect comparison by their labels.") in said


def test_the_audit_trail_s_opening_says_what_metafors_names_in_its_steps_stand_for() -> None:
    # The steps print "weights 1/(vi + tau2)", "QE = 0.14847 (df = 1, ...)", "I2 = 0%":
    # metafor's names, which the rest of the report calls τ², Q and I². Said once, in the
    # opening, for those the steps print.
    from metareview.report.audit import _metafor_names_text

    rows = [["a", "pooled estimate", "A; B", 0.1, 0.01, "", "", "rma(method=REML, test=adhoc)",
             "k = 2; tau2 = 0; weights 1/(vi + tau2); QE = 0.14847 (df = 1, p = 0.7000); I2 = 0%"]]
    assert _metafor_names_text(rows) == (
        " Steps name numbers as metafor's results do: vi, a study's sampling variance; tau2, τ², the variance of the "
        "true effects between the studies; QE, Cochran's Q; I2, I².")
    # None printed, none named ("vis", "PIs" and "QED" are none of them).
    assert _metafor_names_text([["a", "study effect", "A", 0.1, 0.01, "", "", "", "vis; PIs; QED"]]) == ""
    rows[0][-1] += "; PI −0.5 to 0.7"
    assert _metafor_names_text(rows).endswith("; I2, I²; PI, the prediction interval.")
    assert audit_lead(context()).endswith(_metafor_names_text(audit_rows(context())))


def test_the_audit_trail_s_opening_names_the_rows_that_are_no_effect() -> None:
    # The example's trail holds a Fisher's exact p (Carlsson 2001, 0.0263), a trial's own
    # p-value, the naive difference of an unanchored comparison and a claimed difference:
    # none is on the analysis scale with a variance, and the opening, which said "the
    # value is on the analysis scale" and named only published results and differences
    # per 1,000 as giving no variance, left a reader to guess at their empty cells.
    ctx = context()
    said = audit_lead(ctx)
    assert "p-value" not in said and "naive" not in said and "claimed" not in said
    study = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    study.update(exact_p=0.026, events1=16, n1=34, events2=2, n2=16)
    said = audit_lead(ctx)
    # (And the count of the fixture's one claim, which the summary prints, and its pooled
    # SMD in its instrument's points.)
    assert ("The value is on the analysis scale, but for an SMD in an instrument's points (the points), a p-value "
            "(the p itself), a summed count of participants or events (the sum), a count of studies (") in said
    assert (", and published results, SMDs in an instrument's points, p-values, summed counts, counts of studies, "
            "counts of claims and counts of analyses give none. ") in said
    # A small-study test, a naive difference and a claimed difference, each named.
    reg = {"model": "rma", "predictor": "sei", "zval": -0.78, "tval": -0.78, "df": 11, "pval": 0.45, "slope": -0.76,
           "slope_se": 0.98, "tau2": 0.31}
    r = next(r for r in ctx.analyses if r["pooled"])
    x = ctx.indirect[0]
    naive = {"a_source": "Trial C", "a_comparator": "Control", "a_estimate": -0.66, "a_study_ids": ["C"],
             "b_source": "Trial D", "b_comparator": "Control", "b_estimate": -0.91, "b_study_ids": ["D"],
             "estimate": 0.25}
    claims = [{"claim_id": "cochrane", "attributed_study_id": "Cochrane2023", "claimed_measure": "mean_difference",
               "claimed_value": -2.3}]
    ctx = dataclasses.replace(ctx, analyses=[{**r, "pooled": {**r["pooled"], "regtest": reg}} if y is r else y
                                             for y in ctx.analyses],
                              indirect=[{**x, "anchored": [], "unanchored": [naive]}],
                              claims=[{"claim_id": "cochrane", "verdict": "not checkable from the data"}],
                              raw_tables={"claims": claims}, raw_row_numbers={"claims": [7]})
    said = audit_lead(ctx)
    assert ("but for an SMD in an instrument's points (the points), a p-value (the p itself), a small-study test "
            "(its statistic), a summed count of participants or events (the sum), a count of studies (") in said
    assert (", and published results, SMDs in an instrument's points, p-values, small-study tests, summed counts, "
            "counts of studies, counts of claims, counts of analyses, a naive difference and a claimed difference "
            "give none. ") in said
    # Every row the trail leaves without a variance is of a kind the opening names.
    named = {"published result": "published results", "Fisher's exact p": "p-values",
             "small-study test": "small-study tests", "naive difference": "a naive difference",
             "claimed difference": "a claimed difference", "participants, ": "summed counts",
             "participants (sum)": "summed counts", "events, ": "summed counts",
             "candidate trials": "counts of studies", "trials set aside": "counts of studies",
             "trials of this comparison": "counts of studies",
             "reviews ": "counts of studies", "participants of ": "summed counts",
             "claims of ": "counts of claims", "analyses ": "counts of analyses",
             "indirect comparisons by reason": "counts of analyses", "study effects ": "counts of studies",
             "published meta-analyses of ": "counts of studies", "trials with ": "counts of studies",
             "trials, by what became of them": "counts of studies",
             "trials used in an analysis ": "counts of studies", "trials giving ": "counts of studies",
             "trials of the analysed comparisons ": "counts of studies",
             "trials given only ": "counts of studies", "studies by design": "counts of studies",
             "published meta-analyses, by ": "counts of studies",
             "participants in the arms analysed": "summed counts", "participants randomised": "summed counts",
             "SMD in an instrument's points": "SMDs in an instrument's points"}
    for row in audit_rows(ctx):
        if row[4] is None:
            kind = next(v for k, v in named.items() if row[1].startswith(k))
            assert kind in said.split("give none")[0], row[1]


#: What the report prints as written, whose brackets are not the report's: maths, code
#: spans, a Markdown link's target, a quotation of the source's own words.
_NOT_PROSE = re.compile(r"(?<!\\)\$[^$]*(?<!\\)\$|`[^`]*`|\]\([^()\s]*\)|\u201c[^\u201d]*\u201d")


def _nested_brackets(text: str) -> list[str]:
    """Each place in ``text`` where a round bracket opens inside an open one, with the
    words before it, outside :data:`_NOT_PROSE` (each line on its own)."""
    found = []
    for line in text.splitlines():
        prose, depth = _NOT_PROSE.sub(" ", line), 0
        for i, ch in enumerate(prose):
            if ch == "(":
                if depth:
                    found.append(prose[max(0, i - 80):i + 40])
                depth += 1
            elif ch == ")":
                depth = max(depth - 1, 0)
    return found


def test_the_nesting_check_finds_a_bracket_in_a_bracket_and_nothing_else() -> None:
    assert _nested_brackets("a (b (c) d) e") == ["a (b (c) d) e"]
    assert _nested_brackets("a (b), c (d)\n(e") == []
    assert _nested_brackets("(see [x](#sec-x)), `f(g(x))`, $f(g(x))$, (“LBP (16 RCTs)”)") == []


def test_no_label_s_brackets_open_inside_the_report_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    # Study labels with brackets of their own, through the prose that names studies inside
    # brackets: an out-of-date GRADE judgement, a head-to-head trial set aside with its own
    # effect, reviews' own certainty ratings. Each label inside the report's brackets
    # gives its own as commas (fmt.in_brackets), and no reason or interval is bracketed
    # after a label: "(judged on Kim et al. (2008) ...)", "Ruiz (2025) (only change values;
    # ... (95% CI ...))" left a reader to count which bracket closed what.
    for sid, label in (("A", "Kim et al. (2008)"), ("B", "Review (2023, unidentified)"),
                       ("C", "Lee (2010), authors unverified"), ("M", "Mu et al. (2020), Cochrane")):
        monkeypatch.setitem(STUDIES, sid, (label, STUDIES[sid][1]))
    # Treatments' and outcomes' labels with brackets of their own, as a review's may be
    # ("Sham (minimal needling)", "Pain (VAS)"): "(vs sham (minimal), SMD ...)", "against
    # sham (pain (VAS))" nested them in the reasons' brackets.
    for key, label in (("dn", "Dry needling (trigger point)"), ("sham", "Sham (minimal)")):
        monkeypatch.setitem(LABELS, key, label)
        monkeypatch.setitem(CONFIG["nodes"], key, {**CONFIG["nodes"][key], "label": label})
    monkeypatch.setitem(LABELS, "pain", "Pain (VAS)")
    monkeypatch.setitem(CONFIG["outcomes"], "pain", {**CONFIG["outcomes"]["pain"], "label": "Pain (VAS)"})
    ctx = context(analyses=_with_certainty(**{**JUDGED, "studies": ["A"]}))
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    reviews = [{**r["external"][0], "certainty": "low"},
               {**r["external"][0], "study_id": "X", "label": "Xu et al. (2019), Cochrane", "certainty": "low"},
               {**r["external"][0], "study_id": "Y", "label": "Yu (2021)", "certainty": "moderate"}]
    single = next(x for x in ctx.analyses if x["status"] == "single_study")
    own = {"value_type": "change", "yi": -0.22, "vi": 0.04, "ci_lb": -0.61, "ci_ub": 0.17,
           "form": "arm-level means and SDs", "steps": [], "refs": []}
    h2h = _head_to_head(single, excluded=[
        {"study_id": "Demo2025", "label": "Demo et al. (2025)", "refs": [], "own_effect": own,
         "reason": "only change values; this MD analysis uses final values"},
        {"study_id": "Ruiz2025", "label": "Ruiz (2025), pilot", "refs": [], "reason": "SD missing"}])
    analyses = [{**x, "external": reviews} if x is r else x for x in ctx.analyses] + [h2h]
    doc = indirect_comparison(CONFIG["indirect"][0], analyses, labels=LABELS)
    ctx = dataclasses.replace(ctx, analyses=analyses, indirect=[doc],
                              figures={**ctx.figures, "dn_vs_acu_md": "figures/dn_vs_acu_md.forest.svg"})
    from metareview.report import limitations_section

    # The claims' reasons, each naming studies or intervals inside its own brackets: a
    # claim with no comparator (a pooled interval leaning its way, the one study of dry
    # needling), a pooled interval not in a claim's favour, a claimed mean difference
    # beside a single trial's.
    claims = [CLAIMS[0],
              {**CLAIMS[0], "claim_id": "sham_wins", "treatment": "sham_acupuncture", "comparator": "acupuncture"},
              {**CLAIMS[0], "claim_id": "md", "treatment": "dry_needling", "comparator": "acupuncture",
               "claimed_measure": "mean_difference", "claimed_value": -2.3}]
    ctx = dataclasses.replace(ctx, claims=check_claims(claims, ctx.normalised, analyses, labels=LABELS,
                                                       node_of=node_map(CONFIG["nodes"]),
                                                       names=proper_names(CONFIG["nodes"]),
                                                       scales={"pain": [0, 10]}))
    texts = {f.__name__: str(f(ctx)) for f in (bottom_line, summary_section, results_section, indirect_section,
                                                certainty_table, external_section, limitations_section,
                                                claims_section)}
    # What is checked is there to check.
    joined = "\n".join(texts.values())
    assert "judged on Kim et al., 2008; the analysis now rests on Kim et al., 2008 and on Review, 2023, " \
        "unidentified" in joined
    assert "A further trial" not in joined and "Two further trials of the two were set aside." in joined
    # The reviews' certainty in a sentence after the tally's brackets: the labels as written.
    assert "low for Mu et al. (2020), Cochrane and for Xu et al. (2019), Cochrane" in joined
    assert "(vs sham, minimal, SMD " in texts["claims_section"]
    # The treatments' and the outcome's labels inside brackets, their own as commas.
    assert "against sham (minimal) (pain, " in texts["claims_section"]
    assert "(Dry needling, trigger point vs " in texts["claims_section"]
    assert "compared indirectly, through sham (minimal) (one trial of " in texts["bottom_line"]
    # The comparator heading its lines, outside any brackets: as written.
    assert "  - Against sham (minimal):\n" in texts["bottom_line"]
    assert "(point estimate on the side of dry needling, trigger point)" in texts["summary_section"]
    assert "vs Sham (minimal) (pain, " in texts["summary_section"]
    assert "\\*x\\* (pain, " in texts["summary_section"]
    assert "; Lee, 2010, authors unverified, the analysis\u2019s only trial)" in texts["claims_section"]
    assert {name: _nested_brackets(text) for name, text in texts.items()} == {name: [] for name in texts}
    # An outcome's label mid-sentence loses only its first capital: "pain, VAS", never
    # "pain, vas", an abbreviation misspelt.
    assert "pain, VAS" in texts["claims_section"] and "pain, VAS" in texts["summary_section"]
    assert not re.search(r"\bvas\b", joined)
    assert ")\u2019s" not in joined


def test_a_side_is_not_named_by_a_possessive_on_a_closing_bracket() -> None:
    from metareview.report.overview import _side_of

    assert _side_of("acupuncture") == "acupuncture\u2019s side"
    # "sham (minimal)’s side" hung the possessive on the label's bracket.
    assert _side_of("sham (minimal)") == "the side of sham (minimal)"
    assert _side_of("*x*") == "\\*x\\*\u2019s side"


def test_a_text_cut_short_with_an_ellipsis_takes_no_full_stop_after_it() -> None:
    from metareview.report.changes import _full_stop, _warning_place

    long = "A, B and C: " + "the same result printed by three studies " * 5
    place = _warning_place(long)
    assert place.endswith("\u2026")
    assert _full_stop(place) == place
    assert _full_stop("row 4") == "row 4." and _full_stop("needed?") == "needed?"


def test_a_pooled_estimate_in_the_bottom_line_carries_its_studies_doubts_with_their_weight() -> None:
    from metareview.report.overview import _pooled_caveats_in_brief

    # The example's back-specific disability against sham: Kwon (2007), 12.84% of the
    # weight, known only from a secondary source and with values rated low confidence. The
    # Results named it; the summary's line gave only Cherkin's baseline imbalance.
    cherkin = {"label": "Cherkin et al. (2009)", "weight": 87.16, "baseline_imbalance": 0.19}
    kwon = {"label": "Kwon et al. (2007)", "weight": 12.84, "source_level": "secondary",
            "low_confidence": ["arm_outcomes.csv:Kwon2007#1"], "population_fit": "unclear"}
    r = {"pooled": {"k": 2, "test": "z", "ci_lb": -0.05, "ci_ub": 0.36}, "studies": [cherkin, kwon]}
    # An unclear population is said, as the Results' line and the table of study effects
    # say it; 12.84 rounds to 13.
    assert _pooled_caveats_in_brief(r) == (", 87% of the weight from Cherkin et al., 2009, with arms that differed at "
                                           "baseline, 13% of the weight from Kwon et al., 2007, known only from a "
                                           "secondary source, using a value extracted with low confidence and with "
                                           "its population unclear")
    # Studies with the same doubts share a clause, by their number and summed weight
    # (12.5 + 7.6 = 20.1): two labels with commas of their own would need semicolons.
    r["studies"] = [{"label": "A (2001)", "weight": 79.9},
                    {"label": "B (2002)", "weight": 12.5, "population_fit": "narrower"},
                    {"label": "C (2003)", "weight": 7.6, "population_fit": "narrower"}]
    assert _pooled_caveats_in_brief(r) == (", 20% of the weight from 2 studies in a narrower population than this "
                                           "review\u2019s")
    # A baseline imbalance only where the study carries most of the weight; the others always.
    r["studies"] = [{"label": "D (2004)", "weight": 60.0},
                    {"label": "E (2005)", "weight": 40.0, "baseline_imbalance": 0.3,
                     "form": "arm-level medians (mean and SD estimated)",
                     "flags": ["SD imputed from a p-value", "arm sizes assumed equal (20 + 20 from N = 40)"]}]
    assert _pooled_caveats_in_brief(r) == (", 40% of the weight from E, 2005, using means and SDs estimated from "
                                           "medians, with an SD imputed from a p-value and with arm sizes assumed "
                                           "equal")


def test_a_single_study_in_the_bottom_line_carries_the_doubts_its_results_line_gives() -> None:
    ctx = context()
    study = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"][0]
    # Trial C's SMD -0.40 (n 20 + 20), its upper bound set to -0.05 by hand.
    study.update(label="Trial C", ci_ub=-0.05, low_confidence=["contrasts.csv:C#1"])
    assert _treatment_overview(ctx, "dn") == ("Dry needling:\n  - Against sham:\n    - Pain: SMD \u22120.40 (95% CI "
                                              "\u22121.03 to \u22120.05; one study, Trial C, using a value extracted "
                                              "with low confidence), interval wholly on dry needling\u2019s side.")
    study.update(population_fit="broader", baseline_imbalance=-0.2, flags=["SE imputed from a p-value"])
    assert ("one study, Trial C, with arms that differed at baseline, using a value extracted with low confidence, in a "
            "broader population than this review\u2019s and with an SE imputed from a p-value)") in \
        _treatment_overview(ctx, "dn")
    # A population that matches is no doubt the Results give; an unclear one is.
    study.update(population_fit="matches", baseline_imbalance=None, low_confidence=[], flags=[])
    assert "one study, Trial C)" in _treatment_overview(ctx, "dn")
    study.update(population_fit="unclear")
    assert "one study, Trial C, with its population unclear)" in _treatment_overview(ctx, "dn")


def test_a_review_without_indirect_comparisons_gives_each_result_s_doubts_in_its_summary_line() -> None:
    # Without an indirect comparison, the pooled findings and the single trials are listed
    # on their own: a pooled line gave none of the doubts the treatments' lists give, a
    # single trial's line none of those its Results line gives.
    ctx = context()
    (r,) = [r for r in ctx.analyses if r["status"] == "pooled"]
    a, b = r["studies"]
    studies = [{**a, "weight": 40.0, "population_fit": "different"}, {**b, "weight": 60.0}]
    # An interval from -1.2 to 0.2, narrower than no trial's here, by hand: no few-studies caveat.
    r = {**r, "studies": studies,
         "pooled": {**r["pooled"], "estimate": -0.5, "ci_lb": -1.2, "ci_ub": 0.2, "level": 95.0, "test": "z"}}
    one = next(x for x in ctx.analyses if x["status"] == "single_study")
    one = {**one, "studies": [{**one["studies"][0], "label": "Trial C", "low_confidence": ["contrasts.csv:C#1"]}]}
    text = str(bottom_line(dataclasses.replace(ctx, indirect=[], analyses=[r, one])))
    assert ("vs Sham (pain), SMD \u22120.50 (95% CI \u22121.20 to 0.20), 40% of the weight from \\<script\\>alert(1)"
            "\\</script\\>, in another population than this review\u2019s.") in text
    # Trial C's SMD -0.40, 95% CI -1.03 to 0.23 (SE sqrt(0.102)), its doubt after its name.
    assert ("- Dry needling vs Sham (pain): Trial C, using a value extracted with low confidence, SMD \u22120.40 "
            "(95% CI \u22121.03 to 0.23);") in text
    # A study known only from a secondary source leads with it: not said twice.
    one["studies"][0].update(source_level="secondary", identity_confidence="low")
    text = str(bottom_line(dataclasses.replace(ctx, indirect=[], analyses=[r, one])))
    assert "Trial C, SMD \u22120.40" in text and "Trial C, using" not in text


def test_a_pooled_estimate_in_a_treatment_s_list_says_which_omission_changes_its_conclusion() -> None:
    from metareview.report.overview import _sensitive_in_brief

    # Pooled SMD -0.5 (-0.9 to -0.1): wholly on the intervention's side. Without A the
    # interval, -0.6 to 0.1 by hand, includes no difference; without B or C it does not.
    r = next(x for x in context().analyses if x["status"] == "pooled")
    studies = [{"study_id": sid, "label": label} for sid, label in (("A", "Trial A (2001)"), ("B", "B"), ("C", "C"))]

    def refit(sid: str, ub: float) -> dict[str, Any]:
        return {"study_id": sid, "estimate": -0.25, "ci_lb": -0.6, "ci_ub": ub}

    def result(*ubs: float) -> dict[str, Any]:
        return {**r, "studies": studies, "pooled": {**r["pooled"], "estimate": -0.5, "ci_lb": -0.9, "ci_ub": -0.1,
                                                    "leave1out": [refit(s["study_id"], u) for s, u in zip(studies, ubs)]}}

    # The label's year as commas: the treatments' lists give it inside their own brackets.
    assert _sensitive_in_brief(result(0.1, -0.05, -0.05)) == ", sensitive to leaving out Trial A, 2001"
    # Several counted, not named: their labels' commas would run into the list's.
    assert _sensitive_in_brief(result(0.1, 0.1, -0.05)) == ", sensitive to leaving out any one of 2 of its studies"
    assert _sensitive_in_brief(result(0.1, 0.1, 0.1)) == ", sensitive to leaving out any one of its 3 studies"
    assert _sensitive_in_brief(result(-0.05, -0.05, -0.05)) == ""
    # Beside the estimate in the treatment's list, where the pooled line had said nothing of it.
    ctx = context()
    text = _treatment_overview(dataclasses.replace(ctx, analyses=[result(0.1, -0.05, -0.05), *ctx.analyses[1:]]), "acu")
    assert "pooled, k = 2, sensitive to leaving out Trial A, 2001" in text


def test_a_mean_difference_in_a_unit_is_said_in_it() -> None:
    from metareview.report import md_points, md_scale
    from metareview.report.overview import _effect_in_brief

    # Days in hospital: no range, so no "points on the 0 to 365 scale".
    md = {**CONFIG["analyses"][0], "id": "acu_vs_sham_md", "measure": "MD"}
    days = {"pain": {"label": "Days in hospital", "unit": "days"}}
    ctx = context(analyses=[md], outcomes=days)
    assert (md_scale(ctx, md), md_points(ctx, md)) == ("", " days")
    assert _effect_in_brief(ctx, md, -1.2, {"ci_lb": -2.0, "ci_ub": -0.4}) == ("MD \u22121.20 days",
                                                                               "95% CI \u22122.00 to \u22120.40")
    smd = CONFIG["analyses"][0]
    assert md_points(context(outcomes=days), smd) == ""
    # Without a unit, as before.
    assert md_points(context(analyses=[md]), md) == " points on the 0 to 10 scale"
    # The methods say what the unit changes: no rescaling, and no check of a smaller scale.
    methods = str(methods_section(ctx))
    assert ("- **Common scales**: Days in hospital: in days, lower is better. Days in hospital is measured in a "
            "unit, not on a scale: its mean differences take values only from instruments in the same unit, "
            "unconverted (multiplied by \u22121 where higher is better), and the check for values entered on a "
            "ten-times smaller scale, which rests on a scale's range, does not apply.") in methods
    assert "rescaled linearly" not in methods
    both = {**days, "disability": {"label": "Disability", "scale_min": 0, "scale_max": 100}}
    methods = str(methods_section(context(analyses=[md], outcomes=both)))
    assert "Disability: 0 to 100, lower is better. Instruments are rescaled linearly" in methods
    assert "Days in hospital is measured in a unit" in methods
    assert "ten-times smaller" not in str(methods_section(context(analyses=[md])))
    # The fixture's instruments are on scales: none enters a mean difference in days.
    [result] = ctx.analyses
    assert {e["reason"] for e in result["excluded"]} == {
        "instrument on a rating scale, the outcome in days: a scale is not converted to a unit, so no MD"}


# --- minimal important differences ----------------------------------------------------------------------

MID_SOURCE = "Author et al. (2020), Journal"


def _mid_context(value: float | None, measure: str = "MD") -> ReportContext:
    pain: dict[str, Any] = {"label": "Pain", "scale_min": 0, "scale_max": 10}
    if value is not None:
        pain["mid"] = {"value": value, "source": MID_SOURCE}
    return context(analyses=[dict(a, measure=measure) for a in CONFIG["analyses"]], outcomes={"pain": pain})


def test_an_interval_is_placed_against_the_mid_as_grade_reads_it() -> None:
    from metareview.report import mid_position

    # Beyond: wholly on the far side of +MID or of -MID; a difference of exactly the MID matters.
    assert mid_position(-3.0, -1.0, 1.0) == "beyond"
    assert mid_position(1.0, 2.5, 1.0) == "beyond"
    assert mid_position(-2.0, -1.0, 1.0) == "beyond"
    # Within: wholly inside (-MID, +MID), whatever side of 0.
    assert mid_position(-0.9, 0.9, 1.0) == "within"
    assert mid_position(0.1, 0.5, 1.0) == "within"
    # Crossing one bound, or both.
    assert mid_position(-1.5, -0.5, 1.0) == "crossing"
    assert mid_position(-0.99, 1.0, 1.0) == "crossing"
    assert mid_position(-2.0, 2.0, 1.0) == "crossing"


def test_an_anchored_indirect_md_is_read_against_the_mid() -> None:
    # Dee (MD -3.0 against sham) and the two pooled acupuncture-vs-sham trials anchor an
    # indirect MD whose interval (about -4.94 to 0.51) crosses an MID of 1.5 and lies
    # beyond none of 0.5; the section and the summary's line say so, as for a pooled MD.
    def anchored(value: float | None) -> tuple[ReportContext, dict[str, Any]]:
        ctx = _mid_context(value)
        acu = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
        dn = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")
        dee = {**acu["studies"][0], "study_id": "D", "label": "Dee (2020)", "yi": -3.0}
        analyses = [{**dn, "status": "single_study", "k": 1, "studies": [dee]} if r is dn else r
                    for r in ctx.analyses]
        doc = indirect_comparison({**CONFIG["indirect"][0], "measure": "MD"}, analyses, labels=LABELS)
        assert doc["status"] == "anchored"
        return dataclasses.replace(ctx, analyses=analyses, indirect=[doc]), doc

    ctx, doc = anchored(1.5)
    (a,) = doc["anchored"]
    assert a["ci_lb"] < -1.5 < a["ci_ub"]
    crossing = ("The interval crosses the minimal important difference of 1.5 points (Author et al., 2020, "
                "Journal): it cannot tell whether the effect matters.")
    assert f"(Bucher method). {crossing}" in str(indirect_section(ctx))
    assert ("an interval crossing the minimal important difference of 1.5 points from Author et al., 2020, Journal, "
            "so it cannot tell whether the effect matters (Bucher method") in _indirect_summary_line(ctx, doc)
    # Without an MID, neither says a word of one.
    ctx, doc = anchored(None)
    assert "minimal important" not in str(indirect_section(ctx)) + _indirect_summary_line(ctx, doc)


def test_the_three_wordings_name_the_mid_and_its_source() -> None:
    from metareview.report import mid_sentence

    ctx = _mid_context(1.5)
    a = ctx.analyses[0]["analysis"]
    assert mid_sentence(ctx, a, -3.2, -1.6) == (
        "The whole interval lies beyond the minimal important difference of 1.5 points (Author et al., 2020, "
        "Journal): the effect likely matters.")
    assert mid_sentence(ctx, a, -1.2, 0.4) == (
        "The whole interval lies within \u00b11.5 points, the minimal important difference (Author et al., 2020, "
        "Journal): any effect is likely too small to matter.")
    assert mid_sentence(ctx, a, -2.0, 0.3) == (
        "The interval crosses the minimal important difference of 1.5 points (Author et al., 2020, Journal): it "
        "cannot tell whether the effect matters.")
    # In a list whose results sit in brackets: a clause, the source's brackets as commas.
    assert mid_sentence(ctx, a, -3.2, -1.6, brief=True) == (
        ", an interval wholly beyond the minimal important difference of 1.5 points from Author et al., 2020, "
        "Journal, so the effect likely matters")
    assert mid_sentence(ctx, a, -2.0, 0.3, brief=True).startswith(", an interval crossing the minimal important "
                                                                   "difference of 1.5 points from Author")
    # In a unit, and one point in the singular.
    days = context(analyses=[dict(a, measure="MD") for a in CONFIG["analyses"]],
                   outcomes={"pain": {"label": "Days", "unit": "days", "mid": {"value": 1, "source": "S"}}})
    assert mid_sentence(days, a, -3, -2) == (
        "The whole interval lies beyond the minimal important difference of 1 day (S): the effect likely matters.")
    kg = context(analyses=[dict(a, measure="MD") for a in CONFIG["analyses"]],
                 outcomes={"pain": {"label": "Weight", "unit": "kg", "mid": {"value": 1, "source": "S"}}})
    assert "difference of 1 kg (S)" in mid_sentence(kg, a, -3, -2)
    two = context(analyses=[dict(a, measure="MD") for a in CONFIG["analyses"]],
                  outcomes={"pain": {"label": "Days", "unit": "days", "mid": {"value": 2, "source": "S"}}})
    assert "difference of 2 days (S)" in mid_sentence(two, a, -3, -2)
    one = _mid_context(1)
    assert "of 1 point (" in mid_sentence(one, a, -3, -2)


def test_the_results_and_summary_lines_read_a_mean_difference_against_the_mid() -> None:
    # The fixture's pooled MD, by hand: trials A (3.0 vs 4.0, SD 2 and 2, n 30 and 30: MD -1,
    # SE 0.5164) and B (3.5 vs 4.1, SD 2.2 and 2.0, n 40 and 38: MD -0.6, SE 0.4757); Q = 0.325
    # < df, so tau^2 = 0 and the estimate is the inverse-variance mean, -0.784. Knapp-Hartung
    # scales its SE (0.3499) by sqrt(Q / 1) to 0.1993, times t(0.975, 1) = 12.706: -3.32 to 1.75.
    crossing, within = _mid_context(1.0), _mid_context(3.5)
    p = crossing.analyses[0]["pooled"]
    assert -3.5 < p["ci_lb"] < -1 < 1 < p["ci_ub"] < 3.5
    text = summary_section(crossing)
    assert (" The interval crosses the minimal important difference of 1 point (Author et al., 2020, Journal): it "
            "cannot tell whether the effect matters. ") in text
    assert text.count("minimal important difference") == 1
    text = summary_section(within)
    assert "The whole interval lies within \u00b13.5 points, the minimal important difference (Author" in text
    brief = bottom_line(within)
    assert ("95% CI \u22123.32 to 1.75, an interval wholly within \u00b13.5 points, the minimal important "
            "difference from Author et al., 2020, Journal, so any effect is likely too small to matter") in brief


from metareview.report.sections import NO_MID

#: How the References list the work the methods cite for reading an interval against an MID.
GUYATT_2011 = "- Guyatt GH, Oxman AD, Kunz R, Brozek J"


def test_smds_say_nothing_of_an_mid_and_the_methods_say_why_once() -> None:
    plain, with_mid = build_report(TEMPLATE, _mid_context(None, "SMD"))[0], build_report(TEMPLATE, _mid_context(1.0, "SMD"))[0]
    # Without MIDs, the methods say that none is applied, and nothing else does.
    [none] = [line for line in plain.splitlines() if "minimal important" in line.lower()]
    assert none == f"- **Minimal important difference**: {NO_MID}" and "MID" not in plain
    assert "not that the difference matters to patients" in none
    plain = "\n".join(line for line in plain.splitlines() if line != none)
    [item] = [line for line in with_mid.splitlines() if "Minimal important differences" in line]
    # In words: "(`outcomes.<code>.mid`)" named the config key to a clinician; the
    # provenance's Settings line names it.
    assert item.startswith("- **Minimal important differences (MIDs)**: Pain: 1\u00a0point "
                           "(Author et\u00a0al., 2020, Journal).")
    assert "does not carry over to an SMD" in item and "`" not in item
    [settings] = [line for line in with_mid.splitlines() if line.startswith("- **Settings**")]
    assert "; each outcome's minimal important difference, `mid` in its entry under `outcomes`;" in settings
    assert "minimal important" not in next(x for x in plain.splitlines() if x.startswith("- **Settings**"))
    # Said once, in the methods: nowhere else does the report change but for the key, and
    # the References' entry of the work the methods' item cites (Guyatt et al. 2011).
    assert with_mid.lower().count("minimal important") == 2
    assert ([line for line in with_mid.splitlines() if line not in (item, settings) and not line.startswith(GUYATT_2011)]
            == [line for line in plain.splitlines() if not line.startswith("- **Settings**")])


def test_without_mids_the_report_is_unchanged() -> None:
    # An MD review: without MIDs no word of them; with one, the MID's sentences and clauses
    # and the methods' item are all that is added.
    plain, with_mid = build_report(TEMPLATE, _mid_context(None))[0], build_report(TEMPLATE, _mid_context(1.0))[0]
    # (But for the methods' line that none is applied, which the MIDs' own item replaces.)
    plain = "\n".join(line for line in plain.splitlines() if line != f"- **Minimal important difference**: {NO_MID}")
    assert "minimal important" not in plain.lower() and "MID" not in plain
    assert with_mid != plain
    stripped = re.sub(r" The interval crosses the minimal important difference of 1\u00a0point \(Author et.al\., 2020, "
                      r"Journal\): it cannot tell whether the effect matters\.", "", with_mid)
    stripped = re.sub(r", an interval crossing the minimal important difference of 1\u00a0point from Author et.al\., "
                      r"2020, Journal, so it cannot tell whether the effect matters", "", stripped)
    # What the forest plot's dashed lines mark, in its caption and its alternative text.
    stripped = re.sub(r" Dashed lines at \u22121 and 1\u00a0point mark the minimal important difference \(Author et.al\., "
                      r"2020, Journal\)\.", "", stripped)
    assert "minimal important difference of" not in stripped
    # The provenance's Settings line names the key of the MIDs (see the test of SMDs), and
    # the References list the work the methods' item cites.
    assert ([line for line in stripped.splitlines()
             if "Minimal important differences" not in line and not line.startswith("- **Settings**")
             and not line.startswith(GUYATT_2011)]
            == [line for line in plain.splitlines() if not line.startswith("- **Settings**")])


def test_an_analysis_section_reads_its_pooled_md_against_the_mid() -> None:
    # The pooled MD's line (k, tau^2, I^2, Q) is where a reader of the section looks for it.
    # With Knapp-Hartung the interval is -3.32 to 1.75 (by hand, above): it crosses an MID
    # of 1. With a Wald test it is -0.7836 +/- 1.96 x 0.3499 = -1.469 to -0.098 (by hand:
    # weights 1/0.26667 and 1/0.22626; tau^2 = 0 as Q < df), wholly beyond an MID of 0.05.
    crossing = section(build_report(TEMPLATE, _mid_context(1.0))[0], "Results")
    [line] = [x for x in crossing.splitlines() if x.startswith("Pooled MD ")]
    # The equal-effects estimate follows (t on 1 df), after what the pooled interval shows.
    assert ("; k\u00a0=\u00a02. The interval crosses the minimal important difference of 1\u00a0point (Author et\u00a0al., "
            "2020, Journal): it cannot tell whether the effect matters. With 2\u00a0studies, heterogeneity cannot be "
            "assessed: τ²\u00a0=\u00a00 does not show that their effects agree. As a sensitivity analysis, an "
            "equal-effects") in line
    wald = _mid_context(0.05)
    wald = dataclasses.replace(wald, config={**wald.config, "methods": {**wald.config["methods"], "test": "z"}})
    wald = dataclasses.replace(wald, analyses=[pool_analysis(a, wald.effects, methods=wald.config["methods"],
                                                             labels=LABELS) for a in wald.config["analyses"]])
    p = wald.analyses[0]["pooled"]
    assert (round(p["ci_lb"], 3), round(p["ci_ub"], 3)) == (-1.469, -0.098)
    [line] = [x for x in section(build_report(TEMPLATE, wald)[0], "Results").splitlines() if x.startswith("Pooled MD ")]
    assert line.endswith("; k\u00a0=\u00a02. The whole interval lies beyond the minimal important difference of 0.05\u00a0points "
                         "(Author et\u00a0al., 2020, Journal): the effect likely matters. With 2\u00a0studies, "
                         "heterogeneity cannot be assessed: τ²\u00a0=\u00a00 does not show that their effects agree.")


def test_a_single_study_section_reads_its_md_against_the_mid(monkeypatch: pytest.MonkeyPatch) -> None:
    # Trial A alone: MD 3.0 - 4.0 = -1, SE sqrt(4/30 + 4/30) = 0.5164, 95% CI -2.012 to
    # 0.012 (by hand): within +/-2.5, crossing 1.
    monkeypatch.setitem(globals(), "ARM_OUTCOMES", ARM_OUTCOMES[:2])
    within = ("The study\u2019s whole interval lies within \u00b12.5\u00a0points, the minimal important difference "
              "(Author et\u00a0al., 2020, Journal): any effect is likely too small to matter.")
    crossing = ("The study\u2019s interval crosses the minimal important difference of 1\u00a0point (Author et\u00a0al., "
                "2020, Journal): it cannot tell whether the effect matters.")
    for value, said in ((2.5, within), (1.0, crossing)):
        ctx = _mid_context(value)
        assert ctx.analyses[0]["status"] == "single_study"
        results = section(build_report(TEMPLATE, ctx)[0], "Results")
        acu = results[results.index("{#sec-acu-vs-sham}"):results.index("{#sec-dn-vs-sham}")]
        # Under the table of the study's effect, which gives the interval it reads.
        assert acu.index("{#tbl-acu-vs-sham}") < acu.index(said)
        assert acu.count(said) == 1


def test_the_results_table_reads_each_md_against_the_mid(monkeypatch: pytest.MonkeyPatch) -> None:
    # Above the detail limit, each analysis is a row: its finding says where the interval
    # lies (pooled: -3.32 to 1.75; trial A alone: -2.01 to 0.01), the table's introduction
    # names the MID and its source once.
    def table_of(ctx: ReportContext) -> tuple[str, list[str]]:
        ctx = dataclasses.replace(ctx, config={**ctx.config, "report": {"detail_limit": 1}})
        results = section(build_report(TEMPLATE, ctx)[0], "Results")
        rows = [line for line in results.splitlines() if line.startswith("| acu\\_vs\\_sham |")]
        return results, rows

    results, [row] = table_of(_mid_context(3.5))
    assert row.endswith("| confidence interval is compatible with no difference; interval wholly within \u00b13.5\u00a0"
                        "points (the MID) |")
    assert results.count("Author et") == 1
    assert ("A mean difference's finding says where its interval lies against its outcome's minimal important "
            "difference (MID): Pain: 3.5\u00a0points (Author et\u00a0al., 2020, Journal).") in results
    _, [row] = table_of(_mid_context(1.0))
    assert row.endswith("; interval crossing the MID (1\u00a0point) |")
    monkeypatch.setitem(globals(), "ARM_OUTCOMES", ARM_OUTCOMES[:2])
    _, [row] = table_of(_mid_context(2.5))
    assert row.endswith("| one study: not pooled; interval wholly within \u00b12.5\u00a0points (the MID) |")
    # An SMD is read against no MID: neither row nor introduction says a word of it.
    results, [row] = table_of(_mid_context(1.0, "SMD"))
    # (It gives the SMD in its instrument's points instead, as the introduction says.)
    assert "MID" not in results and "| one study: not pooled; about " in row and row.endswith(" on the VAS |")
    assert "An SMD's finding gives it in its instruments' points too" in results.replace("\u2019", "'")
    _, [row] = table_of(_mid_context(1.0))
    assert " points (" not in row


def test_a_forest_plot_s_caption_and_alt_text_name_the_mid_its_lines_mark() -> None:
    # The plot draws dashed lines at -MID and +MID; the caption and the alternative text
    # say what they mark, with the source the plot does not name.
    figure_line = next(line for line in section(build_report(TEMPLATE, _mid_context(1.5))[0], "Results").splitlines()
                       if line.startswith("![") and "{#fig-acu-vs-sham" in line)
    caption, alt = figure_line.split("](")[0], figure_line.split('fig-alt="')[1]
    said = ("Dashed lines at \u22121.5 and 1.5\u00a0points mark the minimal important difference (Author et\u00a0al., 2020, "
            "Journal).")
    assert caption.endswith(said)
    assert alt.startswith("Forest plot of 2\u00a0studies (every interval compatible with no difference) and their pooled "
                          "estimate, MD \u22120.78 (95%\u00a0CI\u00a0\u22123.32 to\u00a0"
                          "1.75), interval compatible with no difference. Dashed lines at \u22121.5 and 1.5\u00a0points "
                          "mark the minimal important difference "
                          "(Author et\u00a0al., 2020, Journal). The values are written out")
    # Neither for an SMD, whose plot draws no MID.
    smd = section(build_report(TEMPLATE, _mid_context(1.5, "SMD"))[0], "Results")
    assert "Dashed lines" not in smd


def test_the_caveats_of_one_review_in_a_tally_name_it_once() -> None:
    from metareview.report.base import _review_caveats

    # Mu 2020 rated low, its mean differences of no stated level beside a 95% SMD, and one
    # result printed alike by another study: the label once, not once per caveat.
    mu = {"label": "Mu et al. (2020), Cochrane", "measure": "MD", "certainty": "low", "ci_lb": -2.0, "ci_ub": -1.0}
    entries = [{**mu, "ci_level": None, "ref": "r1"}, {**mu, "measure": "SMD", "ci_level": 95.0, "ref": "r2"}]
    (note,) = _review_caveats(entries, {"r2"})
    assert note == ("Mu et al., 2020, Cochrane: certainty low as the review rates it; no confidence level stated for some of "
                    "its intervals; and a result printed alike by another study, counted as its own: see @tbl-warnings")
    # Every interval without a level: "its intervals"; no result printed alike: no pointer.
    (note,) = _review_caveats(entries[:1], set())
    assert note == "Mu et al., 2020, Cochrane: certainty low as the review rates it and no confidence level stated for its intervals"
    # Another review's 95% interval beside Mu's of no stated level says nothing of Mu's:
    # "some of its intervals" read as Mu stating a level for one of them.
    acu = {"label": "Acupunct Med 2020", "measure": "SMD", "ci_lb": -1.8, "ci_ub": -0.3, "ci_level": 95.0, "ref": "a"}
    assert [n for n in _review_caveats([entries[0], acu], set()) if n] == [
        "Mu et al., 2020, Cochrane: certainty low as the review rates it and no confidence level stated for its intervals"]
    # Caveats of two reviews keep a note each, naming the reviews after each caveat.
    other = {"label": "Yuan et al. (2015)", "measure": "SMD", "ci_lb": -1.0, "ci_ub": -0.5, "ci_level": None,
             "ref": "y"}
    notes = [n for n in _review_caveats([*entries, other], set()) if n]
    assert notes == ["certainty as the review rates it: low for Mu et al., 2020, Cochrane",
                     "no confidence level stated for intervals of Mu et al., 2020, Cochrane; and Yuan et al., 2015"]
    # One caveat alone is said as before.
    assert [n for n in _review_caveats(entries[1:], set()) if n] == [
        "certainty as the review rates it: low for Mu et al., 2020, Cochrane"]
    # In sentences of their own (an analysis's line): the label as printed, the pointer in brackets.
    (note,) = _review_caveats(entries, {"r2"}, bracketed=False)
    assert note == ("Mu et al. (2020), Cochrane: certainty low as the review rates it; no confidence level stated for some of "
                    "its intervals; and a result printed alike by another study, counted as its own (see @tbl-warnings)")


def test_what_changed_says_an_analysis_s_status_and_count_as_a_reader_would() -> None:
    # "status one study: not pooled → pooled; studies 1 → 2" read as a build log: the
    # status and the count are one fact for a reader, said once, now first, then what was.
    from metareview.report.changes import _status_and_count

    assert _status_and_count({"status": "pooled", "k": 2}) == "pooled: 2 studies"
    assert _status_and_count({"status": "single_study", "k": 1}) == "one study, not pooled"
    assert _status_and_count({"status": "no_studies", "k": 0}) == "no usable study"
    assert _status_and_count({"status": "not_poolable", "k": 1}) == "not poolable: one study"
    # Key results from before the count was kept: the status alone, no "None studies".
    assert _status_and_count({"status": "pooled"}) == "pooled"
    line = changes_section(keys_of(a=entry(-0.61, -1.2, -0.02, k=3)),
                           keys_of(a=entry(None, status="not_poolable", k=3)))
    # The same studies under another status: the count once, "still", not "3 studies (was ...: 3 studies)".
    assert line.startswith("- `a`: now pooled (was not poolable), still 3 studies; "), line
    assert "status" not in line and "studies 3 → 3" not in line


# --- which way trials set aside went ------------------------------------------------------------------


def _set_aside_trials(monkeypatch: pytest.MonkeyPatch, c_rows: list[dict[str, Any]],
                      d_rows: list[dict[str, Any]]) -> ReportContext:
    """The context with dry needling's trials against sham reporting only ``c_rows`` (C,
    20 + 20) and ``d_rows`` (a second trial D, 15 + 15): p-values or directions without
    an effect size, so that dn_vs_sham sets both aside."""
    monkeypatch.setitem(globals(), "STUDIES", {**STUDIES, "D": ("Rajfur et al. (2024)", "rct")})
    monkeypatch.setitem(globals(), "ARMS", {**ARMS, "D": [("d", "dry_needling"), ("c", "sham_acupuncture")]})
    rows = [{"study_id": "C", "arm1": "d", "arm2": "c", "n1": 20, "n2": 20, **c} for c in c_rows]
    rows += [{"study_id": "D", "arm1": "d", "arm2": "c", "n1": 15, "n2": 15, **d} for d in d_rows]
    monkeypatch.setitem(globals(), "CONTRASTS", [*rows, *(c for c in CONTRASTS if c["study_id"] == "M")])
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    assert r["status"] == "no_studies" and {e["study_id"] for e in r["excluded"]} <= {"C", "D"}
    return ctx


def _aside_point(ctx: ReportContext) -> str:
    """The Results' opening line on dry needling's trials set aside against sham, where
    each trial's p-values, timepoints and doubts are said (the summary counts them:
    :func:`metareview.report.aside._aside_count`), its escaped semicolons and closing
    pointer left out."""
    line = next(x for x in str(summary_section(ctx)).splitlines() if x.startswith("- No usable study for Dry needling"))
    return " ".join(line.replace("\\;", ";").removesuffix(" @tbl-excluded says why each was set aside.").split())


P_FAVOURS_DN = {"measure": "p_only", "sign_convention": "favours_arm1"}


def test_the_summary_says_which_way_the_trials_it_set_aside_went_and_how_sure(monkeypatch) -> None:
    # Rajfur 2022 and 2024: only p-values, both favouring dry needling over sham. Listed as
    # "set aside" alone, they read as no evidence (Cochrane Handbook 12.2.2).
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.001, "p_qualifier": "<"}],
                            [{**P_FAVOURS_DN, "p_value": 0.001}])
    point = _aside_point(ctx)
    assert point.endswith(f"setting aside Rajfur et al. (2024) and {escape(INJECT)}. Both report a difference favouring "
                          "dry needling (p = 0.001 and p \\< 0.001; 30 and 40 participants)."), point
    # Each trial's own result, never an effect size or a tally made of them.
    said = point.split("Both report", 1)[1]
    for pooled_word in ("SMD", "MD ", "CI", "pooled", "2 of 2", "significant"):
        assert pooled_word not in said, pooled_word
    # The results' line on the analysis says it too, after the trials it names.
    line = next(x for x in str(summary_section(ctx)).splitlines() if x.startswith("- No usable study for Dry needling"))
    assert ("setting aside Rajfur et al. (2024) and " in line
            and "Both report a difference favouring dry needling (p = 0.001 and p \\< 0.001; 30 and 40 participants). "
            "@tbl-excluded says why each was set aside." in line), line


def test_trials_set_aside_that_went_different_ways_are_each_said_with_their_own_p_values(monkeypatch) -> None:
    # Griswold 2019: no difference (p = 0.26, 0.57, 0.69); a trial's several p-values on one
    # side as one bound, the least sure of them.
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.04}, {**P_FAVOURS_DN, "p_value": 0.003}],
                            [{"measure": "p_only", "sign_convention": "no_difference", "p_value": p}
                             for p in (0.26, 0.57)])
    point = _aside_point(ctx)
    assert point.endswith(f"{escape(INJECT)}. Rajfur et al. (2024) found no statistically significant difference (p = "
                          f"0.26 and p = 0.57; 30 participants); {escape(INJECT)} reports a difference favouring dry "
                          "needling (p = 0.04 and p = 0.003; 40 participants)."), point
    # The comparator's side, and an estimate with its interval read for its side and
    # whether that interval holds no difference (not printed: it is set aside).
    ctx = _set_aside_trials(monkeypatch, [{"measure": "p_only", "sign_convention": "favours_arm2", "p_value": 0.01}],
                            [{"measure": "MD", "instrument": "VAS100", "estimate": -9.0, "ci_lb": -20.0, "ci_ub": 2.0,
                              "timepoint_weeks": 52.0}])
    point = _aside_point(ctx)
    assert point.endswith(f"{escape(INJECT)}. Rajfur et al. (2024) reports a difference favouring dry needling at 52 weeks that "
                          f"was not statistically significant (30 participants); {escape(INJECT)} reports a difference "
                          "favouring sham (p = 0.01; 40 participants). Rajfur et al. (2024) reported an effect with its "
                          "confidence interval that cannot enter the analysis (outside the time window and reported as MD, "
                          f"the analysis uses SMD); {escape(INJECT)} gave a p-value only, no effect size."), point
    assert "−9" not in point and "9.0" not in point
    # "Statistically significant" at the review's own level, as its intervals are read.
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.02}], [])
    assert _aside_point(ctx).endswith("It reports a difference favouring dry needling (p = 0.02; 40 participants).")
    strict = dataclasses.replace(ctx, config={**ctx.config, "methods": {**ctx.config["methods"], "level": 99}})
    assert _aside_point(strict).endswith("It reports a difference favouring dry needling that was not statistically significant "
                                         "(p = 0.02; 40 participants).")


def test_a_set_aside_trial_s_timepoint_in_words_outside_the_window_and_low_confidence_are_said(monkeypatch) -> None:
    # Molsberger 2002's p = 0.0001 is of its "3 months follow-up", which the review's words
    # place in no time window: said as a short-term result, it passed off another time's.
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.0001, "timepoint_label": "3 months follow-up", "timepoint_weeks": None}],
                            [{**P_FAVOURS_DN, "p_value": 0.01, "timepoint_label": "after 1 month", "timepoint_weeks": None},
                             {**P_FAVOURS_DN, "p_value": 0.02, "timepoint_weeks": 52.0}])
    point = _aside_point(ctx)
    # One timepoint in words is quoted, as where its p-value is listed with others:
    # Molsberger's "3 months follow-up" was said two ways in two bullets.
    assert point.endswith(f"{escape(INJECT)}. Rajfur et al. (2024) reports a difference favouring dry needling at 52 weeks "
                          "and at ‘after 1 month’, a timepoint in words placed in no time window (p = 0.01 at ‘after 1 "
                          "month’ and p = 0.02 at week 52; 30 participants); "
                          f"{escape(INJECT)} reports a difference favouring dry needling at ‘3 months follow-up’, a "
                          "timepoint in words placed in no time window (p = 0.0001; 40 participants)."), point
    assert "given in words only" not in point
    # A row inside the window keeps the trial's results undated, as every usable effect's;
    # its two p-values each with its own timepoint (one "p ≤ 0.01" read as one test).
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.0001, "timepoint_label": "3 months follow-up", "timepoint_weeks": None},
                                          {**P_FAVOURS_DN, "p_value": 0.01, "timepoint_weeks": 6.0}], [])
    assert _aside_point(ctx).endswith("It reports a difference favouring dry needling (p = 0.0001 at ‘3 months follow-up’ "
                                      "and p = 0.01 at week 6; 40 participants).")
    # p-values the raw rows rate as extracted with low confidence are said to be, as every
    # effect from such a row is; a label's own comma is closed before the verb.
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.01, "confidence": "low"}],
                            [{**P_FAVOURS_DN, "p_value": 0.02, "confidence": "low"}])
    point = _aside_point(ctx)
    # How many of a trial's values: "a value of" one whose every value is low understated it.
    assert point.endswith(f"The value of Rajfur et al. (2024) and the value of {escape(INJECT)} were extracted with low "
                          "confidence, as the raw rows rate them."), point
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.01, "confidence": "low"},
                                          {**P_FAVOURS_DN, "p_value": 0.02, "confidence": "low", "timepoint_weeks": 9.0}],
                            [{**P_FAVOURS_DN, "p_value": 0.02, "confidence": "low"},
                             {**P_FAVOURS_DN, "p_value": 0.03, "timepoint_weeks": 9.0}])
    assert _aside_point(ctx).endswith(f"A value of Rajfur et al. (2024) and every value of {escape(INJECT)} were "
                                      "extracted with low confidence, as the raw rows rate them."), _aside_point(ctx)
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.01}],
                            [{**P_FAVOURS_DN, "p_value": 0.02, "confidence": "low"}])
    for r in ctx.analyses:
        for e in r.get("excluded") or []:
            if e["study_id"] == "D":
                e["label"] = "Rajfur et al. (2024), authors unverified"
    # Its note said at its first mention only: "authors unverified" five times of one
    # trial in one point.
    point = _aside_point(ctx)
    assert point.endswith("The value of Rajfur et al. (2024), authors unverified, was extracted with low confidence, as "
                          "its raw row rates it."), point
    # The summary names neither trial, so gives no note: it counts them (_aside_count).
    summary = " ".join(str(bottom_line(ctx)).split())
    assert "authors unverified" not in summary and "2 trials set aside" in summary, summary


def test_which_way_a_set_aside_trial_went_is_traced_to_its_raw_rows_in_the_audit(monkeypatch) -> None:
    # "Both report a difference favouring dry needling (p = 0.001 and p < 0.001; 30 and 40
    # participants)": each p-value, side and count printed has its raw row and cells.
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.001, "p_qualifier": "<"}],
                            [{**P_FAVOURS_DN, "p_value": 0.04, "confidence": "low", "n1": None, "n2": None,
                              "timepoint_label": "after 1 month", "timepoint_weeks": None}])
    rows = {r[2]: r for r in audit_rows(ctx) if r[1] == "set-aside trial's reported direction (no effect size)"}
    assert set(rows) == {"C", "D"}
    c, d = rows["C"], rows["D"]
    assert c[0] == "dn_vs_sham" and c[3] is None and c[4] is None and c[5].startswith("contrasts.csv row ")
    assert c[8] == (f"{c[5]}: favours dry needling, clear of no difference; p < 0.001; participants n1 + n2 = 20 + 20 "
                    "= 40 (not used in any estimate)")
    # No count where neither the row nor the arms give one; a timepoint of no window and
    # a value read with low confidence, as the summary says them.
    assert d[8] == (f"{d[5]}: favours dry needling, clear of no difference; p = 0.04; outside the window: timepoint "
                    "given in words only (after 1 month); extracted with low confidence (not used in any estimate)")
    # The trail's opening names the kind, and says it has no value.
    lead = audit_lead(ctx)
    assert ("a set-aside trial's direction (no value: its side, p-values and participants in the steps)" in lead
            and "and a set-aside trial's direction give none" in lead), lead
    # A trial whose rows do not say which way it went has no such row.
    ctx = _set_aside_trials(monkeypatch, [{"measure": "p_only", "sign_convention": "unclear", "p_value": 0.05}], [])
    assert not [r for r in audit_rows(ctx) if r[1].startswith("set-aside trial's reported direction")]
    assert "set-aside trial" not in audit_lead(ctx)


def test_trials_set_aside_that_reported_an_effect_are_not_listed_as_having_no_effect_size(monkeypatch) -> None:
    # Kong 2020 (an MD with its interval, on an instrument off the common scale) and Thomas
    # 2006 (outside the window) were among "trials set aside, so no effect size to show",
    # and their audit rows labelled "(no effect size)" beside an estimate and its interval.
    # Here C's SMD with its interval, which an analysis on the MD cannot use.
    monkeypatch.setitem(globals(), "CONTRASTS", [{**CONTRASTS[0], "ci_lb": -0.9, "ci_ub": 0.1, "ci_level": 95.0},
                                                 *CONTRASTS[1:]])
    md = {**CONFIG["analyses"][1], "id": "dn_vs_sham_md", "measure": "MD"}
    ctx = context(indirect=[], methods={**CONFIG["methods"], "min_studies": 3}, analyses=[*CONFIG["analyses"], md])
    assert [r["status"] for r in ctx.analyses] == ["not_poolable", "single_study", "no_studies"]
    text = str(bottom_line(ctx))
    assert "so no effect size to show" not in text
    assert ("\n\nWith trials, every one set aside (@tbl-excluded says why):\n\n- Dry needling vs Sham (pain, short "
            "term, MD): \\{\\{ title \\}\\} \\<!\\-\\- metareview:audit \\-\\-\\>. It reports a difference favouring "
            "dry needling that was not statistically significant (40 participants). \\{\\{ title \\}\\} \\<!\\-\\- "
            "metareview:audit \\-\\-\\> reported an effect with its confidence interval that cannot enter the analysis "
            "(reported as SMD, the analysis uses MD).\n") in text, text
    row, = [r for r in audit_rows(ctx) if str(r[1]).startswith("set-aside trial")]
    assert row[1] == "set-aside trial's reported result (not used as an effect)", row
    assert row[7] == "direction, effect and p-value as reported"
    assert row[8] == (f"{row[5]}: favours dry needling, not statistically significant; an effect with its interval, "
                      "not used: reported as SMD, the analysis uses MD; participants n1 + n2 = 20 + 20 = 40 (not used "
                      "in any estimate)")
    lead = audit_lead(ctx)
    assert ("a set-aside trial's result (no value: its side, the effect it reported and why that cannot enter the "
            "analysis, p-values and participants in the steps)") in lead, lead


def test_a_set_aside_trial_s_several_p_values_are_each_given_or_said_to_be_several(monkeypatch) -> None:
    # Meng 2003: p = 0.001 at week 6 and p = 0.007 at week 9 (contrasts.csv) were printed
    # as "p ≤ 0.007", which reads as one test.
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.001, "timepoint_weeks": 6.0},
                                          {**P_FAVOURS_DN, "p_value": 0.007, "timepoint_weeks": 9.0}], [])
    assert _aside_point(ctx).endswith("It reports a difference favouring dry needling (p = 0.001 at week 6 and p = "
                                      "0.007 at week 9; 40 participants).")
    # Three: each with its timepoint; a label saying none is not quoted.
    rows = [{**P_FAVOURS_DN, "p_value": 0.001, "timepoint_weeks": 6.0},
            {**P_FAVOURS_DN, "p_value": 0.007, "timepoint_weeks": 9.0},
            {**P_FAVOURS_DN, "p_value": 0.02, "timepoint_weeks": None, "timepoint_label": "not stated"}]
    assert _aside_point(_set_aside_trials(monkeypatch, rows, [])).endswith(
        "(p = 0.001 at week 6, p = 0.007 at week 9 and p = 0.02 at a timepoint not stated; 40 participants).")
    # More than three: the least sure as a bound, counted.
    rows.append({**P_FAVOURS_DN, "p_value": 0.04, "timepoint_weeks": 12.0})
    assert _aside_point(_set_aside_trials(monkeypatch, rows, [])).endswith(
        "It reports a difference favouring dry needling (each of 4 p-values ≤ 0.04; 40 participants).")
    # Alike: said once for every test, two trials' together.
    alike = {**P_FAVOURS_DN, "p_value": 0.001, "p_qualifier": "<"}
    ctx = _set_aside_trials(monkeypatch, [alike, {**alike, "timepoint_weeks": 9.0}], [alike])
    assert _aside_point(ctx).endswith("Both report a difference favouring dry needling (each p \\< 0.001; 30 and 40 "
                                      "participants)."), _aside_point(ctx)
    # One trial's alike p-values with their timepoints: the Hegu trial's "each p < 0.001"
    # hid that one was at week 48.
    ctx = _set_aside_trials(monkeypatch, [alike, {**alike, "timepoint_weeks": 9.0}], [])
    assert _aside_point(ctx).endswith("It reports a difference favouring dry needling (each p \\< 0.001 at week 6 and "
                                      "at week 9; 40 participants)."), _aside_point(ctx)


def test_a_set_aside_trial_s_participants_are_the_study_s_where_its_arms_give_none(monkeypatch) -> None:
    # The Hegu trial: 187 patients in three arms (studies.csv), no arm's own count; every
    # other set-aside trial had its participants said, it none.
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.01}],
                            [{**P_FAVOURS_DN, "p_value": 0.001, "p_qualifier": "<", "n1": None, "n2": None}])
    assert _aside_point(ctx).endswith("(p \\< 0.001 and p = 0.01).")  # D's unknown: no count said
    docs = [{**d, "study": {**d["study"], "n_randomised": 187},
             "arms": [*d["arms"], {**d["arms"][-1], "arm_id": "u"}]} if d["study"]["study_id"] == "D" else d
            for d in ctx.normalised]
    ctx = dataclasses.replace(ctx, normalised=docs)
    assert _aside_point(ctx).endswith("Both report a difference favouring dry needling (p \\< 0.001 and p = 0.01; "
                                      "187 participants in 3 arms and 40 participants)."), _aside_point(ctx)
    row = next(r for r in audit_rows(ctx) if r[2] == "D" and str(r[1]).startswith("set-aside trial"))
    assert "; participants studies.csv:D#1: n_randomised 187, all 3 arms = 187" in row[8], row[8]
    # A count of the arms compared is still theirs.
    docs = [{**d, "study": {**d["study"], "n_randomised": 187}} if d["study"]["study_id"] == "C" else d
            for d in ctx.normalised]
    assert "187" not in _aside_point(dataclasses.replace(ctx, normalised=docs)).replace("187 participants in 3", "")


def test_a_set_aside_trial_that_found_no_difference_is_not_said_to_report_none(monkeypatch) -> None:
    # Griswold 2019: p = 0.26 and 0.57 for a group x time interaction over follow-up
    # (contrasts.csv, sign_convention no_difference). "Reports no difference at a
    # timepoint given in words only" overstated what a test that found none shows, and
    # called an interaction across timepoints a timepoint.
    over = {"measure": "p_only", "sign_convention": "no_difference", "timepoint_weeks": None,
            "timepoint_label": "group x time interaction over follow-up (discharge at 3 weeks)"}
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.01}],
                            [{**over, "p_value": 0.26}, {**over, "p_value": 0.57}])
    point = _aside_point(ctx)
    assert ("Rajfur et al. (2024) found no statistically significant difference over follow-up, in a group × time "
            "interaction test (p = 0.26 and p = 0.57; 30 participants); ") in point, point
    assert "reports no difference" not in point and "timepoint" not in point
    row = next(r for r in audit_rows(ctx) if r[2] == "D" and str(r[1]).startswith("set-aside trial"))
    assert row[8].startswith(f"{row[5].split('; ')[0]}: no statistically significant difference; p = 0.26; participants "
                             "n1 + n2 = 15 + 15 = 30; over follow-up, a group × time interaction test, not one "
                             "timepoint (group x time interaction over follow-up (discharge at 3 weeks)) | "), row[8]
    # A row of one timepoint keeps its words: the interaction is told from the label.
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.01}],
                            [{**over, "p_value": 0.26, "timepoint_label": "after 1 month"}])
    assert ("Rajfur et al. (2024) found no statistically significant difference at ‘after 1 month’, a timepoint in "
            "words placed in no time window (p = 0.26; 30 participants)") in _aside_point(ctx)


def test_a_set_aside_trial_s_direction_is_said_of_each_outcome_on_its_own(monkeypatch) -> None:
    # Kong 2020, set aside for pain (p = 0.06) and for disability (a statement in words
    # only): "Set aside: 4 trials for pain intensity; Kong et al. (2020) for back-specific
    # disability. Kong et al. (2020) reports ... (p = 0.06)" gave disability pain's p.
    from metareview.report.aside import _aside_direction

    monkeypatch.setitem(globals(), "STATEMENTS", [*STATEMENTS, {
        "study_id": "C", "arm1": "d", "arm2": "c", "outcome": "disability", "statement": "Less disability.",
        "direction": "favours_arm1", "quote": "q", "confidence": "low"}])
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.06}], [{**P_FAVOURS_DN, "p_value": 0.01}])
    pain = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    disability = {**pain, "analysis": {**pain["analysis"], "id": "dn_vs_sham_disability", "outcome": "disability",
                                       "outcome_label": "Disability"},
                  "excluded": [e for e in pain["excluded"] if e["study_id"] == "C"]}
    assert _aside_direction(ctx, [pain, disability]) == (
        "For pain, Rajfur et al. (2024) reports a difference favouring dry needling (p = 0.01; 30 participants); "
        f"{INJECT} reports a difference favouring dry needling that was not statistically significant (p = 0.06; 40 "
        f"participants). For disability, {INJECT} states in words only, with no p-value or interval, a difference "
        "favouring dry needling.")
    # One outcome: its rows alone, with no outcome named.
    assert _aside_direction(ctx, [disability]) == (
        f"{INJECT} states in words only, with no p-value or interval, a difference favouring dry needling.")
    assert _aside_direction(ctx, [pain]).startswith("Rajfur et al. (2024) reports a difference favouring dry needling")


def test_a_trial_set_aside_whose_direction_is_not_reported_is_said_to_go_no_way(monkeypatch) -> None:
    # Cho 2013: "p < 0.05" with no word of which arm it favours. Nothing is claimed of it,
    # though a population other than the review's is still flagged where it is named.
    ctx = _set_aside_trials(monkeypatch, [{"measure": "p_only", "sign_convention": "unclear", "p_value": 0.05,
                                           "p_qualifier": "<"}], [])
    # Listed among the trials set aside, it was then not described: what it reports is
    # said, and that it gives no side.
    point = _aside_point(ctx)
    assert point.endswith(f"setting aside {escape(INJECT)}. {escape(INJECT)} reports a statistically significant "
                          "difference without saying which group it favours."), point
    # The summary's count gives it no side either.
    assert ("1 trial set aside (see [Trials that could not be used](#sec-excluded)): it does not say which way the groups "
            "differed.") in " ".join(str(bottom_line(ctx)).split())
    assert "favouring" not in point
    docs = [{**d, "study": {**d["study"], "population_fit": "different"}} if d["study"]["study_id"] == "C" else d
            for d in ctx.normalised]
    point = _aside_point(dataclasses.replace(ctx, normalised=docs))
    assert point.endswith(f"which group it favours. {escape(INJECT)} enrolled another population than this "
                          "review’s."), point
    assert "favouring" not in point


def test_the_bottom_line_says_which_way_the_head_to_head_trials_it_could_not_use_went(monkeypatch) -> None:
    # A trial of dry needling against acupuncture with only a p-value: on the review's own
    # question, "could not be used" alone read as no evidence either way.
    monkeypatch.setitem(globals(), "STUDIES", {**STUDIES, "E": ("Ruiz (2025)", "rct")})
    monkeypatch.setitem(globals(), "ARMS", {**ARMS, "E": [("d", "dry_needling"), ("a", "acupuncture")]})
    monkeypatch.setitem(globals(), "CONTRASTS", [*CONTRASTS, {
        "study_id": "E", "arm1": "d", "arm2": "a", "measure": "p_only", "sign_convention": "favours_arm2",
        "p_value": 0.02, "n1": 25, "n2": 25}])
    ctx = context()
    single = next(r for r in ctx.analyses if r["status"] == "single_study")
    h2h = _head_to_head(single, unusable=True, excluded=[{
        "study_id": "E", "label": "Ruiz (2025)", "refs": ["contrasts.csv:E#1"],
        "reason": "only a p-value reported: no effect size or variance"}])
    acu_only = [r for r in ctx.analyses if r["analysis"]["intervention"] != "dn"]
    doc = indirect_comparison(CONFIG["indirect"][0], [*acu_only, h2h], labels=LABELS)
    text = " ".join(str(bottom_line(dataclasses.replace(ctx, analyses=[*acu_only, h2h], indirect=[doc]))).split())
    assert ("The trial that compares them could not be used, Ruiz (2025): only a p-value reported: no effect size or "
            "variance; see @tbl-excluded. It reports a difference favouring "
            + escape(_in_sentence(NODE_LABEL)) + " (p = 0.02; 50 participants).") in text, text
    # Beside a head-to-head trial that is used, the one set aside is said the same way.
    used = {**h2h, "status": "single_study", "k": 1, "studies": single["studies"]}
    doc = indirect_comparison(CONFIG["indirect"][0], [*acu_only, used], labels=LABELS)
    text = " ".join(str(bottom_line(dataclasses.replace(ctx, analyses=[*acu_only, used], indirect=[doc]))).split())
    assert ("A further trial of the two was set aside, Ruiz (2025): only a p-value reported: no effect size or "
            "variance. It reports a difference favouring " + escape(_in_sentence(NODE_LABEL))
            + " (p = 0.02; 50 participants).") in text, text


def test_a_tally_counts_reviews_that_print_one_result_alike_once() -> None:
    # Review N prints Review M's SMD and interval to the digit (−0.50, −0.80 to −0.20):
    # one finding, whether N repeats M or both pool the same trials. Counted as two, the
    # tally read as two independent confirmations; it now counts one review and says why.
    ctx = context()
    twin = _twin_review(ctx)
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    n = {**m, "study_id": "N", "label": "Review N (2020)", "ref": "contrasts.csv:N#1"}
    other = {**m, "study_id": "P", "label": "Review P", "ref": "p1", "estimate": -0.3, "ci_lb": -0.5, "ci_ub": -0.1}
    alike = dataclasses.replace(ctx, normalised=[*ctx.normalised, twin], analyses=[
        {**x, "external": [m, n, other]} if x is r else x for x in ctx.analyses])
    line = next(x for x in summary_section(alike).splitlines() if "k = 2" in x)
    side = f"{escape(NODE_LABEL)}\u2019s side"
    assert line.endswith("2 reviews, which share trials; their SMDs range from \u22120.50 to \u22120.30. Review M and "
                         "Review N (2020) print the same result, counted here as one review.")
    # No longer a caveat "counted as its own": it is not.
    assert "same estimate and bounds" not in line
    # Nor "no confidence level stated" for N's interval, which M prints as a 95% one: the two are one
    # finding, and the line named a caveat of the review it had just counted with M.
    unstated = dataclasses.replace(alike, analyses=[
        {**x, "external": [{**m, "ci_level": 95.0}, {**n, "ci_level": None}, other]} if x is r else x
        for x in ctx.analyses])
    line = next(x for x in summary_section(unstated).splitlines() if "k = 2" in x)
    assert "counted here as one review" in line and "no confidence level stated" not in line.lower(), line
    # A level left unstated by a review counted on its own is still said.
    unstated = dataclasses.replace(alike, analyses=[
        {**x, "external": [{**m, "ci_level": 95.0}, n, {**other, "ci_level": None}]} if x is r else x
        for x in ctx.analyses])
    line = next(x for x in summary_section(unstated).splitlines() if "k = 2" in x)
    assert "No confidence level stated for intervals of Review P." in line, line
    summary = " ".join(str(bottom_line(alike)).split())
    # The sizes in the tally's brackets, the reason it counts one review in a sentence after.
    assert ("2 reviews with confidence intervals: their SMDs range from \u22120.50 to "
            "\u22120.30. Review M and Review N (2020) print the same result, counted here as one review.") in summary
    assert side not in summary.split("population): ", 1)[1].split(" - ", 1)[0]
    # The audit rows count 2 reviews, naming N in M's reason, not among those counted.
    tally = next(row for row in audit_rows(alike) if str(row[1]).endswith(", sizes given (count)"))
    assert tally[2] == "M; P" and tally[3] == 2
    assert "M (contrasts.csv row 3: counted as one review with N (contrasts.csv:N#1)" in tally[-1]
    # Printed alike by a review outside the tally (N in no analysis): still a caveat only.
    apart = dataclasses.replace(alike, analyses=[{**x, "external": [m, other]} if x is r else x for x in ctx.analyses])
    assert "2 of 3" not in str(bottom_line(apart))
    line = next(x for x in summary_section(apart).splitlines() if "k = 2" in x)
    assert "counted here as one review" not in line and "same estimate and bounds as another study" in line


def _misread_context(cross: bool = True) -> ReportContext:
    """Review M's result printed alike by Review N (2020) in the same tally (acupuncture
    against sham, pain) and, ``cross``, by Review Q for another outcome (disability), as
    Acupunct Med 2020 and Yuan 2015 print Mu 2020's usual-care disability SMD; Review P,
    the tally's third review, prints a result of its own."""
    ctx = context()
    twin = _twin_review(ctx)
    third = copy.deepcopy(twin)
    third["study"].update(study_id="Q", label="Review Q")
    for c in third["contrasts"]:
        c.update(ref="contrasts.csv:Q#1", outcome="disability")
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    n = {**m, "study_id": "N", "label": "Review N (2020)", "ref": "contrasts.csv:N#1"}
    other = {**m, "study_id": "P", "label": "Review P", "ref": "p1", "estimate": -0.3, "ci_lb": -0.5, "ci_ub": -0.1}
    return dataclasses.replace(ctx, normalised=[*ctx.normalised, twin, *([third] if cross else [])], analyses=[
        {**x, "external": [m, n, other]} if x is r else x for x in ctx.analyses])


def test_results_printed_alike_for_another_comparison_are_neither_counted_nor_counted_as_one() -> None:
    # Acupunct Med 2020 and Yuan 2015 print one sham pain SMD and interval alike, counted
    # as one review, while the warnings table flagged the same numbers as Mu 2020's
    # usual-care disability SMD ("a row read from the wrong table?"). A tally does not
    # rest on rows its own warnings doubt: each is left out, the reason said, in every
    # place that counts reviews, and all of them agree.
    from metareview.report.brief import key_messages
    from metareview.report.overview import misread_counts, review_counts

    ctx = _misread_context()
    summary = summary_section(ctx)
    line = next(x for x in summary.splitlines() if "k = 2" in x)
    assert line.endswith("[Published meta-analyses](#sec-external): 1 review; its SMD is \u22120.30. Not counted:"), line
    assert "counted here as one review" not in summary
    assert ("  - 2 results printed alike by a review of another comparison or outcome: from Review M and Review N "
            "(2020). A row may have been read from the wrong table (see @tbl-warnings): none is counted until each is "
            "checked in its source; a review\u2019s other results are.") in summary.splitlines()
    overview = " ".join(str(bottom_line(ctx)).split())
    assert ("the one review with confidence intervals: its SMD is \u22120.30. "
            "2 results printed alike by a review of another comparison or outcome (a row read from the wrong "
            "table?), from Review M and Review N (2020), are left out until each row is checked in its source (see "
            "@tbl-warnings).") in overview, overview
    # The counts the key messages take are the summary's, with the results left out beside them.
    assert review_counts(ctx, "acu") == {"Sham": (1, 1)} and misread_counts(ctx, "acu") == {"Sham": 2}
    assert ("  - Against sham: its one result is compatible with no difference; pain SMD \u22120.30 (1 review; 2 "
            "results left out until checked).") in key_messages(ctx).splitlines()
    # The audit rows count what the text counts: 1 review tallied, 2 results left out,
    # each by its row, where the analysis's line and the summary print them.
    rows = audit_rows(ctx)
    apart = [x for x in rows if x[1] == "results not counted, printed alike by a review of another comparison or "
             "outcome (count)"]
    assert {(x[0], x[3]) for x in apart} == {("acu_vs_sham", 2), ("", 2)}
    assert all(x[6] == "contrasts.csv row 3: study_id = M; contrasts.csv:N#1: study_id = N" for x in apart)
    assert any("beside the tally of reviews" in x[-1] for x in apart)
    counted = next(x for x in rows if x[0] == "acu_vs_sham" and x[1] == "reviews counted (count)")
    assert (counted[2], counted[3]) == ("P", 1)
    # Each result shown, marked as its tally leaves it out; the table of published
    # meta-analyses names the rows, Q's too, and the limitations list them.
    results = str(results_section(ctx))
    for label in ("Review M", "Review N (2020)"):
        assert (f"- {label}: SMD \u22120.50 (95% CI \u22120.80 to \u22120.20), 1,234 participants, k = 5. Printed "
                "alike by a review of another comparison or outcome (a row read from the wrong table?): shown, not "
                "counted with the other reviews (see @tbl-warnings).") in results
    assert "Drawn but not counted with the other reviews" in results
    assert ("no tally of reviews counts them until each is checked in its source: Review M, contrasts.csv row 3; "
            "Review N (2020), contrasts.csv:N\\#1; and Review Q, contrasts.csv:Q\\#1.") in str(external_section(ctx))
    assert "**Published results printed alike by a review of another comparison or outcome" in str(
        limitations_section(ctx))
    # Printed alike within the tally alone, one finding: still counted as one review.
    alike = _misread_context(cross=False)
    assert "Review M and Review N (2020) print the same result, counted here as one review." in summary_section(alike)
    assert review_counts(alike, "acu") == {"Sham": (2, 2)} and misread_counts(alike, "acu") == {}
    assert "left out" not in key_messages(alike) and "wrong table" not in str(results_section(alike))


def test_a_review_counted_as_one_with_another_is_never_named_with_empty_brackets() -> None:
    # The audit row of a claim's count once read "counted as one review with Yuan2015 ()":
    # a review counted with another may keep no row of the count's own.
    from metareview.report.audit import _claim_count_reason, _counted_once_reason

    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    n = {**r["external"][0], "study_id": "N", "label": "Review N (2020)", "ref": "contrasts.csv:N#1"}
    ctx = dataclasses.replace(ctx, normalised=[*ctx.normalised, _twin_review(ctx)], analyses=[
        {**x, "external": [*x["external"], n]} if x is r else x for x in ctx.analyses])
    # No row of its own in the count: its rows in the analyses that show it.
    assert _claim_count_reason(ctx, {"alike": [{"study_id": "N", "refs": []}]}) == (
        "counted as one review with N (contrasts.csv:N#1), which prints the same result")
    assert _counted_once_reason(ctx, "M", {"M": ["N"]}, {}, {}) == (
        "counted as one review with N (contrasts.csv:N#1), which prints the same result")
    # Nor any row anywhere: the id alone, no brackets.
    said = _claim_count_reason(ctx, {"alike": [{"study_id": "Z", "refs": []}]})
    assert said == "counted as one review with Z, which prints the same result"
    assert "()" not in said


def test_a_published_result_against_one_of_a_review_s_arms_in_the_comparator_node_names_that_arm() -> None:
    # Lee 2023's numbers are against sham at non-indicated points, one of two shams the
    # sham node holds for it; labelled "Lee et al. (2023), NMA" alone, its row under the
    # study effects read as against sham as the others' are.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    named = dataclasses.replace(ctx, analyses=[
        {**x, "external": [{**m, "comparator_arm": "Sham at other points (SO)"}]} if x is r else x
        for x in ctx.analyses])
    results = str(results_section(named))
    assert ("External evidence (published meta-analyses, not pooled with the trials): Review M, vs Sham at other "
            "points (SO): SMD \u22120.50 (95% CI \u22120.80 to \u22120.20)") in results, results
    assert "Review M, vs" not in str(results_section(ctx))


def test_a_tally_counts_intervals_as_intervals_and_says_a_review_s_words_on_another_sham_apart() -> None:
    # Review M's number is against one sham (arm c); its own statement finds no difference
    # against another sham of the same node (arm c2; Lee 2023: SATS and SATV). Its interval
    # lies wholly on acupuncture's side, and is counted there: "0 of 1" read as an interval
    # crossing zero. The statement is said apart, with the arm of each.
    ctx = context()
    review = next(d for d in ctx.normalised if d["study"]["study_id"] == "M")
    worded = copy.deepcopy(review)
    worded["arms"].append({**worded["arms"][1], "arm_id": "c2", "description": "Sham at the same points"})
    worded["arms"][1]["description"] = "Sham at other points"
    statement = {"ref": "statements.csv:M#1", "arm1": "i", "arm2": "c2", "node1": review["arms"][0]["node"],
                 "node2": review["arms"][1]["node"], "outcome": "pain", "timepoint_label": "end",
                 "statement": "No difference.", "direction": "no_difference", "quote": "no differences",
                 "confidence": "medium"}
    worded["statements"] = [statement]
    said = dataclasses.replace(ctx, normalised=[worded if d is review else d for d in ctx.normalised])
    side = f"{escape(NODE_LABEL)}\u2019s side"
    summary = " ".join(str(bottom_line(said)).split())
    # Its size given, and its words beside it: no count of the side its interval lies on.
    assert ("the one review with confidence intervals: its SMD is \u22120.50. Review M states in words no difference "
            "against sham at the same points; the sizes given are of its intervals, against sham at other "
            "points.") in summary
    assert "not counted on" not in summary and "does not have" not in summary and "wholly on" not in summary
    line = next(x for x in summary_section(said).splitlines() if "k = 2" in x)
    assert line.endswith("1 review; its SMD is \u22120.50. Review M states in words no difference against sham at "
                         "the same points; the sizes given are of its intervals, against sham at other points.")
    # The audit row counts it among the reviews with an interval and names the statement's row and why.
    row = next(x for x in audit_rows(said) if x[0] == "acu_vs_sham" and x[1] == "reviews counted (count)")
    assert ("with a confidence interval (1): M (contrasts.csv row 3: its statements find no difference "
            "against another arm of the comparator than its intervals\u2019 (statements.csv:M#1), said beside them; "
            "its intervals counted as they lie)") in row[-1], row
    # The same statement against the arm of its own interval (c): the review disagrees with
    # itself, and the line says exactly that beside its size.
    worded["statements"] = [{**statement, "arm2": "c"}]
    said = dataclasses.replace(ctx, normalised=[worded if d is review else d for d in ctx.normalised])
    summary = " ".join(str(bottom_line(said)).split())
    assert ("the one review with confidence intervals: its SMD is \u22120.50. Review M states in words no difference "
            "against sham at other points, the comparator of its own intervals as far as its rows tell: its words "
            "and its intervals disagree.") in summary
    line = next(x for x in summary_section(said).splitlines() if "k = 2" in x)
    assert line.endswith("1 review; its SMD is \u22120.50. Review M states in words no difference against sham at "
                         "other points, the comparator of its own intervals as far as its rows tell: its words and its "
                         "intervals disagree.")
    row = next(x for x in audit_rows(said) if x[0] == "acu_vs_sham" and x[1] == "reviews counted (count)")
    assert ("with a confidence interval (1): M "
            "(contrasts.csv row 3: its statements find no difference against the comparator of its own intervals, "
            "as far as its rows tell (statements.csv:M#1))") in row[-1], row
    # Beside a review its intervals alone place: both sizes, no clause per side.
    r = next(x for x in said.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    mixed = dataclasses.replace(said, analyses=[
        {**x, "external": [m, {**m, "study_id": "P", "ref": "p1"}]} if x is r else x for x in said.analyses])
    line = next(x for x in summary_section(mixed).splitlines() if "k = 2" in x)
    assert "2 reviews, which share trials; their SMDs are both \u22120.50. Review M states in words" in line, line
    assert "In 1," not in line and "wholly on" not in line
    assert ("2 reviews with confidence intervals: their SMDs are both \u22120.50. Review M "
            "states in words") in " ".join(str(bottom_line(mixed)).split())
    # The key messages count both by their intervals.
    from metareview.report.overview import review_counts
    assert review_counts(mixed, r["analysis"]["intervention"])[r["analysis"]["comparator_label"]] == (2, 2)
    # A statement whose arm the rows do not name cannot be told apart from the intervals':
    # counted as disagreeing, not set aside as another sham's.
    worded["statements"] = [{**statement, "arm2": None}]
    said = dataclasses.replace(ctx, normalised=[worded if d is review else d for d in ctx.normalised])
    assert "its words and its intervals disagree" in " ".join(str(bottom_line(said)).split())
    # A label with a comma of its own, as a subject: "Lee et al. (2023), NMA, states".
    from metareview.report.overview import _stated_note
    labelled = copy.deepcopy(worded)
    labelled["study"]["label"] = "Review M (2023), NMA"
    said = dataclasses.replace(ctx, normalised=[labelled if d is review else d for d in ctx.normalised])
    other = {**statement, "other_arm": True, "intervals": ["sham at other points"]}
    assert _stated_note(said, review["arms"][0]["node"], {"M": [other]}, side, bracketed=False) == (
        "Review M (2023), NMA, states in words no difference against sham at the same points; the sizes given are "
        "of its intervals, against sham at other points")
    assert _stated_note(said, review["arms"][0]["node"], {"M": [other]}, side).startswith(
        "Review M, 2023, NMA states in words no difference")
    # A statement on another outcome, or one favouring acupuncture, changes nothing.
    for changed in ({"outcome": "disability", "arm2": "c"}, {"direction": "favours_arm1", "arm2": "c"}):
        worded["statements"] = [{**statement, **changed}]
        said = dataclasses.replace(ctx, normalised=[worded if d is review else d for d in ctx.normalised])
        text = " ".join(str(bottom_line(said)).split())
        assert "the one review with confidence intervals: its SMD is" in text
        assert "states in words" not in text


def test_a_published_md_of_unknown_range_says_how_the_claim_citing_it_is_read() -> None:
    # The blog's "Cochrane 2023 −2.3" was "not on the common scale" in the results and read
    # on the 0 to 10 scale in the claims table. The results now say both: the range is not
    # stated, and the claims table reads the claim citing it on the common scale.
    from metareview.report import UNKNOWN_RANGE
    from metareview.report.sections import _claim_scale_note

    ctx = context()
    a = next(r["analysis"] for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    entry = {"study_id": "Cochrane2023", "measure": "MD"}
    cites = {"attributed_study_id": "Cochrane2023", "claimed_measure": "mean_difference", "outcome": a["outcome"]}
    said = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "claims": [cites]})
    assert _claim_scale_note(said, a, entry, UNKNOWN_RANGE) == (
        "instrument range not stated, so not placed on the common scale here; the claims table reads the claim that "
        "cites it as points on the 0 to 10 scale, as it reads every claimed mean difference")
    # No claim citing the study, a claim of another outcome or measure, another note: as it was.
    assert _claim_scale_note(ctx, a, entry, UNKNOWN_RANGE) == UNKNOWN_RANGE
    for other in ({"outcome": "disability"}, {"claimed_measure": "direction_only"}, {"attributed_study_id": "X"}):
        other_ctx = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "claims": [{**cites, **other}]})
        assert _claim_scale_note(other_ctx, a, entry, UNKNOWN_RANGE) == UNKNOWN_RANGE
    assert _claim_scale_note(said, a, entry, "reported as SMD") == "reported as SMD"


def test_where_a_set_aside_trials_p_values_were_read_is_said_once_of_the_one_read_elsewhere() -> None:
    from metareview.report.aside import _read_in_note

    sheet = "an extraction sheet"
    where = f"read in {sheet}, not in the trial\u2019s own report"
    assert _read_in_note([((0.02, "="), 4.0, None)]) == ""
    assert _read_in_note([((0.02, "="), 4.0, sheet)]) == where
    # Of two, by its place: its timepoint was just said beside its p-value.
    assert _read_in_note([((0.02, "="), 4.0, None), ((0.0001, "="), "3 months follow-up", sheet)]) == \
        f"the second {where}"
    assert _read_in_note([((0.02, "="), 4.0, sheet), ((0.0001, "="), 13.0, None)]) == f"the first {where}"
    assert _read_in_note([((0.02, "="), 4.0, sheet), ((0.01, "="), 13.0, sheet)]) == f"both {where}"
    three = [((0.02, "="), 4.0, None), ((0.01, "="), 8.0, sheet), ((0.03, "="), 13.0, None)]
    assert _read_in_note(three) == f"that at week 8 {where}"
    assert _read_in_note([*three[:2], ((0.03, "="), 8.0, sheet)]) == f"2 of the 3 {where}"


def test_the_bottom_line_is_a_note_with_its_title_not_an_alarm() -> None:
    # A red "important" box with "!" reads as a warning; the answer is a note, its title kept.
    text = str(bottom_line(context()))
    assert text.startswith("::: {.callout-note}\n## What the evidence supports\n")
    assert "callout-important" not in text


def test_the_bottom_line_opens_with_how_much_evidence_and_how_certain() -> None:
    # A panel that reads two lines learns first how thin the evidence is and that nothing
    # is graded, in the limitations' own counts and words.
    ctx = context()
    statuses = [r["status"] for r in ctx.analyses]
    assert sorted(statuses) == ["pooled", "single_study"]
    body = str(bottom_line(ctx)).split("## What the evidence supports\n\n", 1)[1]
    first, second = body.split("\n\n")[0].split(". ", 1)
    assert first == "Of 2 analyses, 1 pools trials and 1 rests on one study (not pooled)"
    assert second == "Risk of bias was not assessed, and no result here is rated for certainty of the evidence (GRADE)."
    assert f"**Pooling**: {first[0].lower()}{first[1:]}." in str(limitations_section(ctx))
    assert body.count("Risk of bias was not assessed") == 1
    # One analysis: "the review's one analysis", never "of 1 analyses"; none with no usable
    # study left uncounted.
    one = dataclasses.replace(ctx, analyses=[{**r, "studies": [], "k": 0, "status": "no_studies"}
                                             for r in ctx.analyses[:1]])
    body = str(bottom_line(one)).split("## What the evidence supports\n\n", 1)[1]
    assert body.startswith("The review's one analysis has no usable study.")
    # Judgements recorded: the certainty line opens the summary in place of "not graded".
    graded = str(bottom_line(context(analyses=_with_certainty(**JUDGED)))).split("## What the evidence supports\n\n", 1)[1]
    assert graded.split("\n\n")[0].split(". ", 1)[1].startswith("Certainty of the evidence (GRADE), from the review team's judgements:")


def test_the_summary_lists_only_its_own_abbreviations_and_the_report_all_in_a_section() -> None:
    # A glossary of the whole report's terms made the summary longer than its findings:
    # the summary defines what it prints, the report's full list has its own section.
    ctx = context()
    text, _, _ = build_report(TEMPLATE, ctx)
    summary = str(bottom_line(ctx)).removesuffix("\n:::\n")
    own = next(p for p in summary.split("\n\n") if p.startswith("Abbreviations"))
    assert own.endswith(" The report's full list: [Abbreviations](#sec-abbreviations).")
    before = summary.replace(own, "")
    for name, pattern, _ in ABBREVIATIONS:
        listed = re.search(rf"(?:^Abbreviations(?: and terms)?: |; ){re.escape(name)}, ", own) is not None
        assert listed == (re.search(pattern, before) is not None), name
    # The methods print SD and τ²: defined in the report's list, not in the summary's.
    assert "SD" in text[text.index("## Methods"):] and "τ²" in text[text.index("## Methods"):]
    assert "SD, standard deviation" not in own and "τ², " not in own
    heading = "## Abbreviations {#sec-abbreviations}\n\n"
    assert text.index("## Limitations") < text.index(heading) < text.index("## Provenance")
    section = text[text.index(heading) + len(heading):].split("\n\n", 1)[0]
    assert section.startswith("Abbreviations and terms: ") and "SD, standard deviation" in section
    assert "τ², tau-squared" in section and section.count("CI, confidence interval") == 1
    # Without an abbreviation printed anywhere, the section says so.
    bare = dataclasses.replace(ctx, config={**ctx.config, "report": {}})
    assert abbreviations_section(bare, "No trial here.") == "The report uses no abbreviation."


def test_the_bottom_line_says_outcomes_unanswered_for_one_reason_in_one_sentence() -> None:
    # Pain and disability, each with no trial of the two and no dry-needling trial against
    # a third treatment: one sentence for both, the reason in one plain clause, and the
    # indirect section named for why; a different reason keeps its own sentence.
    ctx = context()
    acu_only = [r for r in ctx.analyses if r["analysis"]["intervention"] != "dn"]
    lonely = indirect_comparison(CONFIG["indirect"][0], acu_only, labels=LABELS)
    acu = escape(_in_sentence(NODE_LABEL))
    # Dry needling has an analysis against sham on disability too (no trial in it), so
    # both outcomes lack a usable trial, not an analysis.
    dn = next(a for a in ctx.config["analyses"] if a["intervention"] == "dn")
    ctx = dataclasses.replace(ctx, analyses=acu_only, config={**ctx.config, "analyses": [
        *ctx.config["analyses"], {**dn, "id": "dn_vs_sham_disability", "outcome": "disability"}]})
    both = str(bottom_line(dataclasses.replace(ctx, indirect=[lonely, {**lonely, "outcome": "disability"}])))
    assert both.count("the data cannot say whether") == 1
    assert (f"For pain and disability, the data cannot say whether dry needling is better or worse than {acu}: no "
            "trial in these data compares them head to head with numbers an effect can be computed from, and no "
            "usable trial of dry needling against a named third treatment exists to compare them through; see "
            f"[Dry needling versus {acu}: indirect comparison](#sec-indirect).") in both
    assert "nothing anchors" not in both and "common comparator" not in both
    apart = {**lonely, "comparators_a": ["usual_care"], "outcome": "disability"}
    two = str(bottom_line(dataclasses.replace(ctx, indirect=[lonely, apart])))
    assert two.count("the data cannot say whether") == 2
    assert ("For disability, the data cannot say whether dry needling is better or worse than "
            f"{acu}: no trial in these data compares them head to head with numbers an effect can be computed from, "
            "and there is no third treatment that trials compared with each of them, through which to compare them; "
            "see [") in two
    # The limitations alike: outcomes of one reason together, another reason apart, in
    # the summary's words.
    assert (f"- **Indirect comparisons**: Dry needling versus {acu} (pain and disability): no indirect comparison "
            "can be made, as no usable trial of dry needling against a named third treatment exists to compare them "
            "through.\n") in str(limitations_section(dataclasses.replace(ctx, indirect=[lonely, {**lonely, "outcome": "disability"}])))
    assert (f"- **Indirect comparisons**: Dry needling versus {acu} (pain): no indirect comparison can be made, as no "
            "usable trial of dry needling against a named third treatment exists to compare them through. Dry "
            f"needling versus {acu} (disability): no indirect comparison can be made, as there is no third treatment "
            "that trials compared with each of them, through which to compare them.\n"
            ) in str(limitations_section(dataclasses.replace(ctx, indirect=[lonely, apart])))


def test_the_bottom_line_quotes_a_statement_first_and_its_caveats_after_in_brief() -> None:
    ctx = context()
    acu_only = [r for r in ctx.analyses if r["analysis"]["intervention"] != "dn"]
    lonely = indirect_comparison(CONFIG["indirect"][0], acu_only, labels=LABELS)
    docs = [dict(d) for d in ctx.normalised]
    g = next(d for d in docs if d["study"]["study_id"] == "G")
    g["statements"] = [{**g["statements"][0], "node1": "acu", "node2": "dn", "quote": "Use <needles> & $money$ | now.",
                        "confidence": "low"}]
    g["study"] = {**g["study"], "population_fit": "unclear"}
    config = {**ctx.config, "review": {**ctx.config["review"], "population": "Adults with chronic pain"}}
    text = str(bottom_line(dataclasses.replace(ctx, normalised=docs, indirect=[lonely], config=config)))
    # What these data hold of it, not what the source holds (its abstract alone may have been read).
    assert ("A guideline, Guideline G, states: “Use \\<needles\\> \\& \\$money\\$ \\| now.” No numbers of it are "
            "in these data to check (see @tbl-narrative) and its population may differ from this review\u2019s.") in text
    # The review's population is not given again, nor how confidently the words were read
    # (the narrative table says that).
    assert "adults with chronic pain" not in text.lower() and "low confidence" not in text
    # A source of another population says which; one known at second hand says so.
    g["study"] = {**g["study"], "population_fit": "narrower", "source_level": "secondary"}
    text = str(bottom_line(dataclasses.replace(ctx, normalised=docs, indirect=[lonely], config=config)))
    assert ("No numbers of it are in these data to check (see @tbl-narrative), its population is a narrower "
            "population than this review\u2019s and it is known only from a secondary source.") in text


def _trigger_point_trial(ctx: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The context's studies (copies) with trial A's second arm trigger point needling,
    a treatment no node includes, against acupuncture, and a statement of no difference
    between them on pain; and trial A."""
    docs = [dict(d) for d in ctx.normalised]
    a = next(d for d in docs if d["study"]["study_id"] == "A")
    a["arms"] = [a["arms"][0], {**a["arms"][1], "node": None, "treatment": "tp", "treatment_label": "Trigger point needling"}]
    a["statements"] = [{"arm1": a["arms"][1]["arm_id"], "arm2": a["arms"][0]["arm_id"], "outcome": "pain",
                        "statement": "Not significant.", "quote": "differences not statistically significant",
                        "direction": "no_difference"}]
    return docs, a


def test_the_bottom_line_names_only_the_head_to_head_near_miss_in_two_sentences() -> None:
    # Trigger point needling against acupuncture (trial A) is the nearest the data come to
    # the question; trigger point needling against sham (trial B) is not, and is left to
    # the indirect section, with the reasons at length.
    ctx = context()
    docs, _ = _trigger_point_trial(ctx)
    b = next(d for d in docs if d["study"]["study_id"] == "B")
    tp = next(i for i, arm in enumerate(b["arms"]) if arm["node"] == "acu")
    b["arms"] = [{**arm, "node": None, "treatment": "tp", "treatment_label": "Trigger point needling"} if i == tp else arm
                 for i, arm in enumerate(b["arms"])]
    both = dataclasses.replace(ctx, normalised=docs)
    assert "Another trial of trigger point needling" in str(indirect_section(both))
    text = str(bottom_line(both))
    near = next(p for p in text.split("\n\n") if "compared trigger point needling" in p)
    assert "Another trial" not in text and near.count(". ") == 1 and near.endswith(
        "This review counts trigger point needling as neither dry needling nor "
        f"{escape(_in_sentence(NODE_LABEL))}, the review team\u2019s choice, which it can change (see the "
        "[methods](#sec-methods)).")
    assert ("and reported “differences not statistically significant”, which does not show the treatments alike. "
            ) in near


def test_each_near_miss_trial_s_sentence_says_only_what_its_own_rows_say() -> None:
    # Two trials against a treatment no node includes: one said in words that it found no
    # difference (18 participants), the other gave numbers (93). The caution on a difference
    # not found significant closed the list, "in so few participants", and read as said of
    # the trial of 93 with numbers.
    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    a, b = (next(d for d in docs if d["study"]["study_id"] == s) for s in ("A", "B"))
    a["arms"] = [{**a["arms"][0], "n": 9, "n_source": "n_analysed"},
                 {**a["arms"][1], "node": None, "treatment_label": "Trigger point needling", "n": 9,
                  "n_source": "n_analysed"}]
    a["statements"] = [{"arm1": "c", "arm2": "i", "outcome": "pain", "direction": "no_difference",
                        "statement": "Not significant.", "quote": 'differences "not statistically significant"'}]
    b["arms"] = [{**b["arms"][0], "n": 47, "n_source": "n_analysed"},
                 {**b["arms"][1], "node": None, "treatment_label": "Trigger point needling", "n": 46,
                  "n_source": "n_analysed"}]
    b["statements"] = []
    both = dataclasses.replace(ctx, normalised=docs)
    text = str(bottom_line(both))
    [near] = [p for p in text.split("\n\n") if "compared trigger point needling" in p]
    # By label: B's comes first; it said nothing in words.
    numbers, words = near.split(": ", 1)[1].split("; ")
    assert words.startswith(f"{escape(a['study']['label'])} compared") and words.endswith(
        "in 18 participants analysed, and reported differences “not statistically significant”, which in a trial "
        "this size does not show the treatments alike. This review counts trigger point needling as "
        f"neither dry needling nor {escape(_in_sentence(NODE_LABEL))}, the review team’s choice, which it can "
        "change (see the [methods](#sec-methods))."), words
    assert numbers == (f"{escape(b['study']['label'])} compared trigger point needling with acupuncture, in 93 "
                       "participants analysed"), numbers
    assert "so few" not in near and near.count("does not show the treatments alike") == 1
    # The indirect section's caution names the trial that said so, the other having numbers.
    section = str(indirect_section(both))
    assert (f"A difference not found to be statistically significant, as {escape(a['study']['label'])} reported, "
            "does not show the treatments alike") in section
    assert section.count("does not show the treatments alike") == 1
    # Neither trial saying so: no caution at all.
    a["statements"] = []
    assert "does not show the treatments alike" not in str(bottom_line(both)) + str(indirect_section(both))


def test_a_near_miss_trial_is_named_only_for_the_window_it_measured() -> None:
    # Trial A (trigger point needling against acupuncture) measured pain at 6 weeks and
    # says so at the end of treatment: a long-term comparison the review adds is not told
    # the trial reports on it, as matching by outcome alone told it.
    from metareview.report.summary import _near_miss_trials

    ctx = context()
    docs, a = _trigger_point_trial(ctx)
    a["statements"][0]["timepoint_label"] = "end of treatment"
    config = {**ctx.config, "windows": {
        "short": {**ctx.config["windows"]["short"], "terms": ["end of treatment"]},
        "long": {"label": "Long term (26 to 52 weeks)", "min_weeks": 26, "max_weeks": 52, "target_weeks": 52}}}
    both = dataclasses.replace(ctx, normalised=docs, config=config)
    short, long = ctx.indirect[0], {**ctx.indirect[0], "window": "long"}
    assert [d["study"]["study_id"] for d, _, _ in _near_miss_trials(both, short)] == ["A"]
    assert _near_miss_trials(both, long) == []
    # A statement of no stated time counts for any window; one placed in the other does not.
    a["arm_values"] = [v for v in a["arm_values"] if "long" in (v.get("windows") or {})]
    a["statements"][0]["timepoint_label"] = None
    assert [d["study"]["study_id"] for d, _, _ in _near_miss_trials(both, long)] == ["A"]
    a["statements"][0]["timepoint_label"] = "8 weeks"
    assert _near_miss_trials(both, long) == []


def test_the_key_messages_name_the_window_of_an_outcome_asked_in_two() -> None:
    # Pain asked in two windows: "(pain and pain)" could not tell which answer was of which.
    from metareview.report.brief import key_messages

    ctx = context()
    x = ctx.indirect[0]
    later = {**x, "id": "dn_vs_acu_long", "window": "long", "status": "no_common_comparator", "anchored": []}
    config = {**ctx.config, "windows": {**ctx.config["windows"], "long": {
        "label": "Long term (13 to 52 weeks)", "min_weeks": 13, "max_weeks": 52, "target_weeks": 26}}}
    box = str(key_messages(dataclasses.replace(ctx, config=config, indirect=[x, later])))
    assert "against " + escape(_in_sentence(NODE_LABEL)) + "** (pain, short term): compared only indirectly" in box
    assert "** (pain, long term): the data cannot say which is better" in box
    # One window: the outcome alone, as before.
    assert "** (pain): compared only indirectly" in str(key_messages(ctx))


def test_the_bottom_line_gives_an_anchored_indirect_estimate_and_what_it_assumes() -> None:
    # An anchored comparison is the review's one quantitative answer: its estimate, interval,
    # side, the trials on each side and the assumption, not only a pointer.
    ctx = context()
    x = ctx.indirect[0]
    c = x["anchored"][0]
    # Bucher by hand: d = d_AC - d_BC, var = var_AC + var_BC.
    d = c["a_vs_c"]["estimate"] - c["b_vs_c"]["estimate"]
    se = math.sqrt(c["a_vs_c"]["variance"] + c["b_vs_c"]["variance"])
    # Acupuncture's side pools 2 studies on t(1): the same with its equal-effects estimate.
    ee = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")["pooled"]["equal_effects"]
    d_ee = c["a_vs_c"]["estimate"] - ee["estimate"]
    se_ee = math.sqrt(c["a_vs_c"]["variance"] + ee["se"] ** 2)
    acu = escape(_in_sentence(NODE_LABEL))
    text = " ".join(str(bottom_line(ctx)).split())
    assert (f"For pain, dry needling and {acu} can only be compared indirectly, through sham (one trial of dry "
            f"needling and 2 trials of {acu}, each against it), SMD {f2(d)} (95% CI "
            f"{ci_text(d - 1.959964 * se, d + 1.959964 * se)}): the confidence interval is compatible with no "
            f"difference (point estimate on the side of dry needling) but too wide to inform (the {acu} side pools 2 "
            f"studies, on t with 1 degree of freedom); as a sensitivity analysis, the {acu} side\u2019s equal-effects "
            f"estimate, which assumes one true effect, gives SMD {f2(d_ee)} (95% CI "
            f"{ci_text(d_ee - 1.959964 * se_ee, d_ee + 1.959964 * se_ee)}). It assumes "
            f"that sham was the same treatment in the trials of both; see [Dry needling versus {acu}: indirect "
            "comparison](#sec-indirect).") in text
    # An interval wholly on one side: the side it favours, in the report's words.
    clear = {**x, "anchored": [{**{k: v for k, v in c.items() if k != "equal_effects"}, "estimate": -0.52,
                                "ci_lb": -1.03, "ci_ub": -0.02}]}
    text = " ".join(str(bottom_line(dataclasses.replace(ctx, indirect=[clear]))).split())
    assert "SMD −0.52 (95% CI −1.03 to −0.02): the whole confidence interval favours dry needling. It assumes" in text


def test_a_review_set_beside_the_trials_row_gives_a_worded_reviews_statements_as_its_reason(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Review N's one interval (contrasts.csv row 4: -0.6 to -0.05, against sham arm c) lies
    # wholly on acupuncture's side, but its statement (statements.csv row 3) finds no
    # difference against the same arm. Its row once said "an interval compatible with no
    # difference", which row 4 contradicts; the reason is its statement's row.
    monkeypatch.setitem(globals(), "STUDIES", {**STUDIES, "N": ("Review N", "meta_analysis")})
    monkeypatch.setitem(globals(), "ARMS", {**ARMS, "N": [("i", "acupuncture"), ("c", "sham_acupuncture"),
                                                          ("c2", "sham_acupuncture")]})
    monkeypatch.setitem(globals(), "CONTRASTS", [*CONTRASTS, {
        "study_id": "N", "arm1": "i", "arm2": "c", "measure": "SMD", "estimate": -0.3, "ci_lb": -0.6,
        "ci_ub": -0.05, "ci_level": 95.0}])
    statement = {"study_id": "N", "arm1": "i", "arm2": "c", "outcome": "pain", "timepoint_label": "end",
                 "statement": "No difference.", "direction": "no_difference", "quote": "no differences",
                 "confidence": "medium"}
    before = list(STATEMENTS)
    monkeypatch.setitem(globals(), "STATEMENTS", [*before, statement])
    ctx = context()
    # Both reviews are set beside the trials, their sizes given, whatever their intervals
    # and words: no count of those finding a difference.
    (row,) = [x for x in audit_rows(ctx) if x[1].startswith("reviews set beside the trials here")]
    reason = ("its statements find no difference against the comparator of its own intervals, as far as its rows "
              "tell (statements.csv row 3)")
    assert row[3] == 2
    assert row[8] == (f"with a confidence interval (2): M (contrasts.csv row 3), N (contrasts.csv row 4: {reason}); 2 "
                      "reviews; printed in the summary (\u201c2 reviews with confidence intervals\u201d)"), row[8]
    assert not [x for x in audit_rows(ctx) if x[1].startswith("reviews differing from the trials here")]
    # The tally's row gives N the same reason.
    (tally,) = [x for x in audit_rows(ctx) if x[1].endswith(", sizes given (count)")]
    assert f"N (contrasts.csv row 4: {reason})" in tally[8]
    # Against another sham arm (c2) than its interval's: its words are said beside its
    # interval, which is counted as it lies.
    monkeypatch.setitem(globals(), "STATEMENTS", [*before, {**statement, "arm2": "c2"}])
    ctx = context()
    (row,) = [x for x in audit_rows(ctx) if x[1].startswith("reviews set beside the trials here")]
    assert row[3] == 2 and row[8].startswith("with a confidence interval (2): M (contrasts.csv row 3), N "
                                             "(contrasts.csv row 4: its statements find no difference against "
                                             "another arm of the comparator than its intervals\u2019 (statements.csv "
                                             "row 3), said beside them; its intervals counted as they lie)"), row[8]
    (tally,) = [x for x in audit_rows(ctx) if x[1].endswith(", sizes given (count)")]
    assert tally[3] == 2


def test_the_evidence_appendix_lists_week_0_rows_the_baseline_check_read_as_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Trial A's arms at week 0 (arm_outcomes.csv rows 6 and 7: 5.0 and 5.1, SD 2.0 each)
    # differ by d = (5.0 - 5.1) / 2.0 = -0.05, under the 0.1 that flags a difference. The
    # effect's audit steps cite both rows, but the appendix said "not used", as if
    # only a flagged check had read them.
    plain_tables = raw_tables

    means = [5.0, 5.1]

    def with_week_0() -> dict[str, list[dict[str, Any]]]:
        tables = plain_tables()
        a_rows = [r for r in tables["arm_outcomes"] if r["study_id"] == "A"]
        tables["arm_outcomes"] += [{**r, "timepoint_weeks": 0.0, "mean": m} for r, m in zip(a_rows, means)]
        return tables

    monkeypatch.setitem(globals(), "raw_tables", with_week_0)
    ctx = context()
    a = next(s for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham" for s in r["studies"]
             if s["study_id"] == "A")
    assert "baseline_imbalance" not in a
    fate = _fate(ctx)
    for ref in ("arm_outcomes.csv:A#3", "arm_outcomes.csv:A#4"):
        (note,) = fate[ref]
        assert note.startswith("read in "), note
        assert note.endswith("effect (d = \u22120.05, under the 0.1 that flags a difference), not as an effect "
                             "(see the audit trail)"), note
    # Over the threshold (d = -0.6 / 2.0 = -0.3), the flagged effect's words stay as they
    # were: the d is printed beside the effect itself.
    means[1] = 5.6
    flagged = _fate(context())
    assert flagged["arm_outcomes.csv:A#3"][0].endswith("effect, not as an effect (see the audit trail)")


def test_the_provenance_says_its_date_is_the_source_commits_not_the_builds() -> None:
    # "Built: 2026-12-01" read as the day the build ran; it is the date of the commit the
    # report cites, which a later commit changing only tests or docs leaves as it is.
    commit = "49b287ed" + "0" * 32
    prov = {**context().provenance, "git_commit": commit, "build_date": "2026-12-01", "date_from": "commit"}
    line = next(x for x in str(provenance_section(dataclasses.replace(context(), provenance=prov))).splitlines()
                if x.startswith("- **Dated**"))
    assert line == ("- **Dated**: 2026-12-01, the date of source commit `49b287e`, the last to change code, pinned "
                    "dependencies, configuration or data; any later commit changes none of them. It is not the day the build ran: "
                    "rebuilds of the same sources are identical.")
    assert "**Built**" not in str(provenance_section(dataclasses.replace(context(), provenance=prov)))
    dirty = {**prov, "git_commit": commit + " + uncommitted changes"}
    assert "; this build holds uncommitted changes to them." in str(
        provenance_section(dataclasses.replace(context(), provenance=dirty)))
    shallow = {**prov, "git_commit": commit + SHALLOW}
    assert "`49b287e`, the oldest commit of this shallow clone" in str(
        provenance_section(dataclasses.replace(context(), provenance=shallow)))
    # A date SOURCE_DATE_EPOCH set is no commit's; one without git or the setting is the day's.
    pinned = {**prov, "date_from": "SOURCE_DATE_EPOCH"}
    assert "- **Dated**: 2026-12-01, set by `SOURCE_DATE_EPOCH`, not the source commit\u2019s date" in str(
        provenance_section(dataclasses.replace(context(), provenance=pinned)))
    today = {**prov, "git_commit": NOT_GIT, "date_from": "today"}
    assert "- **Dated**: 2026-12-01, the day the build ran" in str(
        provenance_section(dataclasses.replace(context(), provenance=today)))


def test_source_state_and_provenance_say_whether_source_date_epoch_set_the_date(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert source_state(tmp_path, env={"SOURCE_DATE_EPOCH": "86400"}).pinned
    assert not source_state(tmp_path, env={}).pinned
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    from metareview.provenance import SourceState

    def date_from(state: Any) -> str:
        return collect_provenance([], "pandoc", tmp_path, state)["date_from"]

    assert date_from(SourceState(commit="abc", epoch=86400)) == "commit"
    assert date_from(SourceState(commit="abc", epoch=86400, pinned=True)) == "SOURCE_DATE_EPOCH"
    assert date_from(SourceState(commit=NOT_GIT, epoch=None)) == "today"
    assert date_from(None) == "today"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert date_from(None) == "SOURCE_DATE_EPOCH"


def test_a_secondary_sources_effect_against_an_unnamed_control_says_what_the_number_is_read_as() -> None:
    # Chen 2022 in the seed post: one arm and an "effect size (Cohen's d)", read as a
    # between-group d against a control the post never mentions. "If that source's number
    # is right" left that reading, the bigger assumption, unsaid where the SMD is printed.
    from metareview.normalise import UNNAMED
    from metareview.report.overview import _single_study_parts

    ctx = context()
    r = copy.deepcopy(next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham"))
    r["studies"][0].update(source_level="secondary", identity_confidence="low")
    effect = str(_single_study_parts(ctx, r)[0])
    assert "number is right, the " in effect, effect
    r["analysis"].update(comparator=UNNAMED, comparator_label="Control not named by the source")
    effect = str(_single_study_parts(ctx, r)[0])
    assert "number is right and is a between-group difference against a control it does not mention, the " in effect, \
        effect


def test_a_published_results_converted_interval_is_in_its_audit_row(monkeypatch: pytest.MonkeyPatch) -> None:
    # Review M reports SMD 0.5 (0.2 to 0.8) with a positive value favouring acupuncture:
    # the report prints -0.50 (-0.80 to -0.20). The row named the reversal and gave the
    # estimate; the printed bounds, and that they change ends, were in no row.
    ctx = context()
    (row,) = [x for x in audit_rows(ctx) if x[1] == "published result" and x[2] == "M"]
    assert "% CI:" not in row[8]  # as typed: nothing to convert
    monkeypatch.setitem(globals(), "CONTRASTS", [
        CONTRASTS[0], {**CONTRASTS[1], "estimate": 0.5, "ci_lb": 0.2, "ci_ub": 0.8,
                       "sign_convention": "positive_favours_arm1"}])
    ctx = context()
    (row,) = [x for x in audit_rows(ctx) if x[1] == "published result" and x[2] == "M"]
    assert row[3] == pytest.approx(-0.5)
    assert ("95% CI: ci_lb = 0.2, ci_ub = 0.8 \u2192 -0.8 to -0.2 (the conversion applied to each bound; its ends "
            "swapped, as the sign reverses)") in row[8].split(" | "), row[8]


def test_the_study_tables_count_column_says_it_counts_raw_rows() -> None:
    # Cherkin 2009's "Results: 28" is its 16 + 7 + 5 rows of the three result tables,
    # baseline rows included: "Results" read as a count of findings.
    ctx = context()
    lines = str(study_table(ctx)).splitlines()
    header = next(x for x in lines if x.startswith("| Study"))
    assert [c.strip() for c in header.strip("|").split("|")][4] == "Raw rows"
    assert "raw rows: the study\u2019s rows in arm\\_outcomes.csv, contrasts.csv and statements.csv, baseline rows " \
           "included" in str(study_table(ctx)).replace("study's", "study\u2019s")
    # Trial A: two rows of arm_outcomes.csv; Review M: one of contrasts.csv.
    cells = {row.strip("|").split("|")[0].strip(): row.strip("|").split("|")[4].strip()
             for row in lines if row.startswith(("| Review M", "| \\<script"))}
    assert sorted(cells.values()) == ["1", "2"], cells


def test_the_forest_plots_count_of_results_not_drawn_has_an_audit_row(monkeypatch: pytest.MonkeyPatch) -> None:
    # Review M gives an SMD (contrasts.csv row 3, drawn) and an MD (row 4): the SMD plot
    # cannot draw the MD and counts it under the plot, "Not drawn: 1 published
    # meta-analysis result ...", a count no audit row traced.
    assert not [x for x in audit_rows(context()) if x[1].startswith("published results not drawn")]
    monkeypatch.setitem(globals(), "CONTRASTS", [*CONTRASTS, {
        "study_id": "M", "arm1": "i", "arm2": "c", "measure": "MD", "estimate": -1.0, "ci_lb": -2.0, "ci_ub": 0.0,
        "ci_level": 95.0}])
    ctx = context()
    (row,) = [x for x in audit_rows(ctx) if x[1].startswith("published results not drawn")]
    assert row[:8] == ["acu_vs_sham", "published results not drawn in the forest plot (count)", "M", 1, None,
                       "contrasts.csv row 4", "contrasts.csv row 4: study_id = M", "count of the raw rows"]
    assert row[8] == ("reported as MD, this analysis uses SMD (1): M (contrasts.csv row 4); 1 published result; "
                      "printed under the analysis's forest plot (\u201cNot drawn: 1 published meta-analysis result not "
                      "on this analysis\u2019s scale\u201d)")


def test_a_set_aside_trial_with_sizes_per_result_gives_each(monkeypatch) -> None:
    # Thomas 2006: significant at week 104 (182 participants), not at week 52 (213). "(213
    # participants)" gave the size of the result the words do not single out.
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.001}], [
        {**P_FAVOURS_DN, "p_value": 0.3, "timepoint_weeks": 52.0},
        {**P_FAVOURS_DN, "p_value": 0.01, "timepoint_weeks": 104.0, "n1": 12, "n2": 12}])
    point = _aside_point(ctx)
    assert ("Rajfur et al. (2024) reports a difference favouring dry needling at 52 and 104 weeks, statistically "
            "significant in 1 of its 2 results (30 and 24 participants)") in point, point


def test_the_methods_say_which_studies_used_a_conversion_they_name() -> None:
    # No raw row of the example has an SE, a median or a zero cell, yet the methods named
    # those conversions as if applied: an auditor looked for traces that could not exist.
    from metareview.report.sections import _continuity_corrected, _from_median_effect, _used_by

    ctx = context()
    assert ("SDs from an SE or a CI of the mean are derived (Cochrane Handbook 6.5.2.2; used by: none in this "
            "review)") in str(methods_section(ctx))
    a = next(s for r in ctx.analyses for s in r["studies"] if s["study_id"] == "A")
    a["steps"] = [*a["steps"], "arm_outcomes.csv:A#1: SD from SE, n = 30: SD = SE x sqrt(n) = 2"]
    assert f"(Cochrane Handbook 6.5.2.2; used by: {escape(SCRIPT)})" in str(methods_section(ctx))
    assert _used_by(ctx, _from_median_effect) == "used by: none in this review"
    a["form"] = "arm-level medians (mean and SD estimated)"
    a["flags"] = [*a["flags"], "zero cell: 1/2 added to each cell of the 2×2 table (metafor's continuity correction)"]
    assert _used_by(ctx, _from_median_effect) == _used_by(ctx, _continuity_corrected) == f"used by: {escape(SCRIPT)}"


def test_the_summary_counts_the_trials_it_set_aside_and_says_which_way_they_went(monkeypatch) -> None:
    # The summary gave each trial set aside its p-values, timepoints and provenance, as
    # the Results' opening list does: a clause now counts them, tallies their directions
    # and points to the section that has the rest.
    from metareview.report.aside import _aside_count

    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.001, "p_qualifier": "<"}],
                            [{**P_FAVOURS_DN, "p_value": 0.2}])
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    where = "(see [Trials that could not be used](#sec-excluded))"
    # D's p = 0.2 is not below 0.05 (level 95): a direction, not shown to be a difference,
    # said with the p-value that shows it ("1 of them not shown statistically significant"
    # beside "report a difference" read as a contradiction).
    assert str(_aside_count(ctx, [r])) == (f" 2 trials set aside {where}: both report a difference favouring dry "
                                           "needling (1 of them not statistically significant, p = 0.2).")
    summary = " ".join(str(bottom_line(ctx)).split())
    assert f"Against sham: - Pain: no usable study. - 2 trials set aside {where}: both report" in summary, summary
    # No other p-value, participant count or name of theirs in the summary; all in the Results.
    assert "p \\< 0.001" not in summary and "40 participants" not in summary and "Rajfur" not in summary
    assert "p = 0.2" in str(summary_section(ctx)) and "Rajfur et al. (2024)" in str(summary_section(ctx))
    # Significant in some results only (Thomas 2006: at week 104, not at 52), with no
    # test, or not significant in several: each said as what it is.
    for d_rows, note in (
            ([{**P_FAVOURS_DN, "p_value": 0.3, "timepoint_weeks": 52.0},
              {**P_FAVOURS_DN, "p_value": 0.01, "timepoint_weeks": 104.0}],
             "1 of them statistically significant in only 1 of its 2 results"),
            ([P_FAVOURS_DN], "1 of them with no test of significance reported"),
            ([{**P_FAVOURS_DN, "p_value": 0.3, "timepoint_weeks": 52.0},
              {**P_FAVOURS_DN, "p_value": 0.2, "timepoint_weeks": 104.0}],
             "1 of them not statistically significant, p \u2265 0.2")):
        ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.001, "p_qualifier": "<"}], d_rows)
        r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
        assert str(_aside_count(ctx, [r])) == (f" 2 trials set aside {where}: both report a difference favouring "
                                               f"dry needling ({note}).")
    # Both not significant: counted, their p-values left to the Results.
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.4}], [{**P_FAVOURS_DN, "p_value": 0.2}])
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    assert str(_aside_count(ctx, [r])) == (f" 2 trials set aside {where}: both report a difference favouring dry "
                                           "needling (2 of them not statistically significant).")
    # A trial used for another outcome of the comparator is named with the outcomes it is
    # set aside from: "2 trials set aside" beside a line that uses one of them read as a
    # contradiction.
    partly = {"Rajfur et al. (2024)": (["pain"], ["disability"])}
    assert str(_aside_count(ctx, [r], partly=partly)) == (
        f" 2 trials set aside from at least one outcome {where}, Rajfur et al. (2024) from pain only, as it is used "
        "for disability: both report a difference favouring dry needling (2 of them not statistically significant).")
    # One used elsewhere that this clause does not count is not named.
    assert str(_aside_count(ctx, [r], partly={"Trial Z": (["pain"], ["disability"])})).startswith(
        f" 2 trials set aside {where}: both")
    # Different ways: a group of one is named (escaped, as every label is), the larger
    # group counted first; doubts of source or population counted.
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.01, "confidence": "low"}],
                            [{"measure": "p_only", "sign_convention": "no_difference", "p_value": 0.4}])
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    assert str(_aside_count(ctx, [r])) == (
        f" 2 trials set aside {where}: Rajfur et al. (2024) found no statistically significant difference; "
        f"{escape(INJECT)} reports a difference favouring dry needling; 1 of them has doubts about its source or "
        "population.")
    # A study identity rated low is a doubt of source too (Griswold 2019: primary rows, at
    # medium confidence, its authors unverified), counted with the low-confidence value.
    docs = [d for d in ctx.normalised if d["study"]["study_id"] == "D"]
    assert len(docs) == 1
    rated = docs[0]["study"].get("identity_confidence")
    docs[0]["study"]["identity_confidence"] = "low"
    assert str(_aside_count(ctx, [r])).endswith("; both have doubts about their source or population.")
    docs[0]["study"]["identity_confidence"] = rated
    # The clause of no trial is nothing; a lone trial is "it".
    assert str(_aside_count(ctx, [{**r, "excluded": []}])) == ""
    one = {**r, "excluded": [e for e in r["excluded"] if e["study_id"] == "D"]}
    assert str(_aside_count(ctx, [one])) == (f" 1 trial set aside {where}: it found no statistically significant "
                                             "difference.")
    # Groups alike in size: a direction before a trial that gives none, whatever the labels'
    # order (Rajfur sorts before the injected label).
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.01}],
                            [{"measure": "p_only", "sign_convention": "unclear", "p_value": 0.03}])
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    assert str(_aside_count(ctx, [r])) == (f" 2 trials set aside {where}: {escape(INJECT)} reports a difference "
                                           "favouring dry needling; Rajfur et al. (2024) does not say which way the "
                                           "groups differed.")
    # Several comparators in one sentence: each clause says whose trials they are.
    assert str(_aside_count(ctx, [r], lead="against sham")).startswith(" Against sham, 2 trials set aside")


def test_the_summary_says_which_way_set_aside_trials_with_an_smd_of_their_own_went() -> None:
    # Berg 2011, Dahl 2013, Hale 2016 and Kato 2019 reported change scores only, beside an
    # SMD of final values: each has its own SMD, printed beside the analysis, all four on
    # acupuncture's side. The summary said "none of the 4 says which way the groups
    # differed", as of trials that give no direction at all.
    from metareview.report.aside import _aside_count

    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    why = "only change values; this SMD analysis uses final values"

    def own(yi: float, lb: float, ub: float) -> dict[str, Any]:
        return {"value_type": "change", "yi": yi, "vi": 0.02, "ci_lb": lb, "ci_ub": ub, "form": "arm-level means and SDs",
                "steps": [], "refs": []}

    r["excluded"] = [{"study_id": "A", "label": "Berg et al. (2011)", "refs": [], "reason": why,
                      "reasons": [{"reason": why}], "own_effect": own(-0.23, -0.54, 0.07)},
                     {"study_id": "B", "label": "Hale et al. (2016)", "refs": [], "reason": why,
                      "reasons": [{"reason": why}], "own_effect": own(-0.60, -1.01, -0.20)}]
    acu = escape(_in_sentence(NODE_LABEL))
    where = "(see [Trials that could not be used](#sec-excluded))"
    reason = "set aside because an SMD does not pool changes from baseline with final values: Cochrane Handbook 10.5.2"
    said = str(_aside_count(ctx, [r]))
    assert "which way" not in said, said
    # Counted by side, how sure each is from its own interval, and why it is not pooled.
    assert said == (f" 2 trials set aside {where}: both have an SMD of their own from changes from baseline favouring "
                    f"{acu} (1 of them not statistically significant; {reason})."), said
    # One each way: each named, its side said.
    r["excluded"][1]["own_effect"] = own(0.30, 0.05, 0.55)
    said = str(_aside_count(ctx, [r]))
    assert (f"Berg et al. (2011) has an SMD of its own from changes from baseline favouring {acu} (not statistically "
            f"significant; {reason}); Hale et al. (2016) has an SMD of its own from changes from baseline favouring "
            f"sham ({reason})") in said, said
    # Without its own effect, a trial whose rows give no side still says none.
    for e in r["excluded"]:
        del e["own_effect"]
    assert str(_aside_count(ctx, [r])).endswith(": neither says which way the groups differed."), _aside_count(ctx, [r])


def test_the_summary_counts_trials_favouring_an_add_on_arm_with_its_treatments(monkeypatch) -> None:
    # Acupuncture against usual care: "2 report a difference favouring acupuncture", then
    # Meng 2003 (electroacupuncture + usual care) and Molsberger 2002 (acupuncture +
    # conventional therapy) named apart, read as 2 of 5 trials favouring acupuncture where
    # 4 favoured an acupuncture arm. Counted together, the add-ons said.
    from metareview.report.aside import _aside_count

    where = "(see [Trials that could not be used](#sec-excluded))"
    for co, onto in (("sham_acupuncture", "the comparator\u2019s care"), ("exercise", "another treatment")):
        ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.001}], [{**P_FAVOURS_DN, "p_value": 0.01}])
        (doc,) = [d for d in ctx.normalised if d["study"]["study_id"] == "D"]
        doc["arms"][0]["cointervention"] = co
        r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
        assert str(_aside_count(ctx, [r])) == (
            f" 2 trials set aside {where}: both report a difference favouring a dry needling arm (1 of them with dry "
            f"needling added to {onto}: dry needling + {co.replace('_', ' ')} in Rajfur et al. (2024)).")
    # The significance before the add-ons: after "1 of them with dry needling added to
    # ...", a "1 of them not statistically significant" read as that same trial.
    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.2}], [{**P_FAVOURS_DN, "p_value": 0.01}])
    (doc,) = [d for d in ctx.normalised if d["study"]["study_id"] == "D"]
    doc["arms"][0]["cointervention"] = "sham_acupuncture"
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    said = str(_aside_count(ctx, [r]))
    assert said.index("1 of them not statistically significant") < said.index("1 of them with dry needling added"), said
    # An add-on arm alone, with no trial of the treatment alone to count it with: named
    # by its arm, as before.
    ctx = _set_aside_trials(monkeypatch, [{"measure": "p_only", "sign_convention": "no_difference", "p_value": 0.4}],
                            [{**P_FAVOURS_DN, "p_value": 0.01}])
    (doc,) = [d for d in ctx.normalised if d["study"]["study_id"] == "D"]
    doc["arms"][0]["cointervention"] = "sham_acupuncture"
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    assert ("Rajfur et al. (2024) reports a difference favouring dry needling + sham acupuncture"
            in str(_aside_count(ctx, [r])))


def test_the_summary_gives_the_reason_most_trials_set_aside_share() -> None:
    # For a comparison with no usable study, why there is none: the reason the most
    # trials share, as the table of excluded trials words it, each trial counted once.
    from metareview.report.aside import _aside_reason

    def result(*trials: tuple[str, list[str]]) -> dict[str, Any]:
        return {"excluded": [{"label": label, "reason": "; ".join(why), "reasons": [{"reason": x} for x in why]}
                             for label, why in trials]}

    p_only = "only a p-value reported: no effect size or variance"
    # B set aside by two analyses for the same reason is one trial, not two.
    assert _aside_reason([result(("A", [p_only, "arm n not reported"]), ("B", [p_only])),
                          result(("B", [p_only]), ("C", ["arm n not reported", "other"]))]) == (p_only, 2)
    # Ties go to the first met; no reason two trials share is no chief reason.
    assert _aside_reason([result(("A", ["x"]), ("B", ["y"]))]) is None
    assert _aside_reason([result(("A", ["x"]))]) == ("x", 1)
    # An entry with its reason alone (no list of reasons) counts it.
    assert _aside_reason([{"excluded": [{"label": "A", "reason": "x"}, {"label": "B", "reason": "x"}]}]) == ("x", 2)


def test_the_reason_trials_set_aside_share_reads_as_a_sentence() -> None:
    # "Why, for both: only a p-value reported: no effect size or variance" read as a
    # form's fields: the reason is what the trials did, or, with no verb of its own, a
    # reason after one colon.
    from metareview.report.aside import _reason_sentence

    p_only = "only a p-value reported: no effect size or variance"
    assert _reason_sentence(p_only, 2, 2) == "Both report only a p-value, with no effect size or variance."
    assert _reason_sentence(p_only, 3, 4) == "3 of them report only a p-value, with no effect size or variance."
    assert _reason_sentence(p_only, 1, 1) == "It reports only a p-value, with no effect size or variance."
    assert _reason_sentence("no SD reported", 4, 4) == "All 4 were set aside for the same reason: no SD reported."
    assert _reason_sentence("no SD reported", 1, 1) == "It was set aside for this reason: no SD reported."
    assert _reason_sentence("standardised effect reported: no MD", 2, 3) == (
        "2 of them were set aside for the same reason: standardised effect reported (no MD).")


def test_the_summary_points_to_what_it_does_not_count_in_one_sentence() -> None:
    # The summary listed the reviews and statements it does not count, each by name, about
    # 250 words; a review listed as "against medication, not counted" read as contradicting
    # the same review used further on for another comparison. One sentence now names the
    # kinds present and the sections that list them.
    from metareview.report.overview import _not_counted_pointer

    ctx = context()
    # Nothing left uncounted: no sentence.
    assert _not_counted_pointer(ctx, "acu") == "" and "Not counted here" not in str(bottom_line(ctx))
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = r["external"][0]
    cited = {**m, "study_id": "S", "ref": "s1", "label": "Review cited by a blog", "source_level": "secondary"}
    hearsay = dataclasses.replace(ctx, analyses=[{**x, "external": [m, cited]} if x is r else x for x in ctx.analyses])
    reviews = ("published results of reviews known only from a secondary source (see [Published "
               "meta-analyses](#sec-external))")
    assert _not_counted_pointer(hearsay, "acu") == f"Not counted here: {reviews}."
    # With no tally beside them, as before, the summary says nothing of such reviews.
    alone = dataclasses.replace(ctx, analyses=[{**x, "external": [cited]} if x is r else x for x in ctx.analyses])
    assert _not_counted_pointer(alone, "acu") == ""
    # Statements in words on a comparison of the treatment: the Narrative evidence section.
    docs = [dict(d) for d in ctx.normalised]
    g = next(d for d in docs if d["study"]["study_id"] == "G")
    g["statements"] = [{**g["statements"][0], "node1": "acu", "node2": "sham", "outcome": "pain"}]
    both = dataclasses.replace(hearsay, normalised=docs)
    assert _not_counted_pointer(both, "acu") == (
        f"Not counted here: {reviews} and statements in words on these comparisons (see [Narrative "
        "evidence](#sec-narrative)).")
    summary = str(bottom_line(both))
    assert "Guideline G" not in summary and "Review cited by a blog" not in summary


def test_the_study_effects_table_names_each_raw_row_as_the_report_does() -> None:
    # The analyses' tables name a row as a study's n-th in its file; this one gives the
    # spreadsheet row too, counted here from the tables themselves: the header is row 1,
    # so the i-th data row (from 0) is row i + 2.
    from metareview.report import STUDY_EFFECTS_HEADER, study_effects_rows

    ctx = context()
    rows = study_effects_rows(ctx)
    assert len(rows) == sum(len(r["studies"]) for r in ctx.analyses) > 0
    assert STUDY_EFFECTS_HEADER[-2:] == ["refs", "raw_rows"]
    for row in rows:
        refs, raw_rows = row[-2].split(";"), row[-1].split("; ")
        assert len(refs) == len(raw_rows)
        for ref, where in zip(refs, raw_rows, strict=True):
            file, key = ref.split(":")
            study, n = key.split("#")
            table = file.removesuffix(".csv")
            lines = [i + 2 for i, r in enumerate(ctx.raw_tables[table]) if r["study_id"] == study]
            assert where == f"{file} row {lines[int(n) - 1]}", (ref, where)


def test_a_set_aside_difference_with_its_se_is_read_for_significance() -> None:
    # Tanaka's MD -1.5 (SE 1.2), set aside by an SMD analysis, was said to come "with no
    # p-value or interval": its SE gives one, -3.85 to 0.85, which holds no difference.
    from metareview.report.aside import _reported_side

    ctx = context()
    a = next(r["analysis"] for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")
    c = {"node1": "dn", "node2": "sham", "outcome": "pain", "measure": "MD", "estimate": -1.5, "se": 1.2,
         "ci_lb": None, "ci_ub": None}
    assert _reported_side(ctx, a, c) == ("intervention", False)
    # |-3.0| > 1.96 x 1.2: an interval wholly on the intervention's side.
    assert _reported_side(ctx, a, {**c, "estimate": -3.0}) == ("intervention", True)
    # Neither an SE, an interval nor a p-value: nothing to read.
    assert _reported_side(ctx, a, {**c, "se": None}) == ("intervention", None)


def test_a_trial_without_result_rows_is_said_to_have_none_entered() -> None:
    # A team mid-extraction read "no results reported in the sources read" of a trial whose
    # results it had not yet typed: the table says what the raw tables hold.
    from metareview.report.tables import study_table

    ctx = context()
    docs = [dict(d) for d in ctx.normalised]
    a = next(d for d in docs if d["study"]["study_id"] == "A")
    a.update(arm_values=[], contrasts=[], statements=[])
    row = next(x for x in str(study_table(dataclasses.replace(ctx, normalised=docs))).splitlines()
               if x.startswith(f"| {escape(SCRIPT)}"))
    assert row.rstrip(" |").endswith("no results entered")


def _warned_context() -> ReportContext:
    """The fixture with consistency warnings on its raw rows: review M's interval made
    off centre (and its quote, "q", printing none of its numbers), a second review, M2,
    printing M's result alike, and a source document no row cites."""
    from metareview.checks import consistency_warnings as check_study

    ctx = context()
    tables = {t: [dict(r) for r in rows] for t, rows in ctx.raw_tables.items()}
    index = next(i for i, r in enumerate(tables["contrasts"]) if r["study_id"] == "M")
    tables["contrasts"][index]["ci_ub"] = -0.05
    tables["contrasts"].append({**tables["contrasts"][index], "study_id": "M2"})
    tables["sources"] = [{"source_id": "orphan_page", "kind": "web_page"}]
    refs = {**ctx.raw_rows, "contrasts.csv:M2#1": ("contrasts.csv", len(tables["contrasts"]) + 1)}
    normalised = copy.deepcopy(ctx.normalised)
    m = next(d for d in normalised if d["study"]["study_id"] == "M")
    for c in m["contrasts"]:
        c["ci_ub"] = c["reported"]["ci_ub"] = -0.05
    m2 = copy.deepcopy(m)
    m2["study"].update(study_id="M2", label="Review M2")
    for c in m2["contrasts"]:
        c["ref"] = "contrasts.csv:M2#1"
    # M's warnings as the study's step computes them (scripts/study_effects.py).
    m["warnings"] = check_study({"study": {"study_id": "M"}, "arms": [], "arm_outcomes": [], "statements": [],
                                 "contrasts": [{**tables["contrasts"][index], "_ref": "contrasts.csv:M#1"}],
                                 "risk_of_bias": [], "instruments": [], "treatments": [], "sources": []})
    return dataclasses.replace(ctx, normalised=[*normalised, m2], raw_tables=tables, raw_rows=refs,
                               raw_row_numbers={"sources": [2]})


def test_each_consistency_warning_s_numbers_have_an_audit_row() -> None:
    # The table of consistency warnings prints numbers computed from raw cells (an
    # interval's centre, its asymmetry, the values a quote does not print) that no audit
    # row traced: each warning now has a row naming its raw rows, the cells the check read
    # and what it computed from them, beside the warning as the table prints it.
    from metareview.report import consistency_warnings
    from metareview.report.audit import CONSISTENCY_CHECK, WARNING_FORMULAS

    ctx = _warned_context()
    rows = [r for r in audit_rows(ctx) if str(r[7]).startswith(CONSISTENCY_CHECK)]
    printed = consistency_warnings(ctx, quotes=("\u2018", "\u2019"))
    checks = [str(w["check"]) for w in next(d for d in ctx.normalised if d["study"]["study_id"] == "M")["warnings"]]
    assert {"ci_not_centred", "value_not_in_quote"} <= set(checks)
    # One row a warning, in the table's order; the table's text is in its steps.
    assert len(rows) == len(printed) == len(checks) + 2
    for row, (label, text, _) in zip(rows, printed):
        assert text in row[8] and row[8].endswith(f"printed in the table of consistency warnings, under {label}")
        assert row[0] == "" and row[3] is None and row[4] is None
    m_row = ctx.raw_rows["contrasts.csv:M#1"][1]
    centred = rows[checks.index("ci_not_centred")]
    assert centred[2] == "M" and centred[5] == f"contrasts.csv row {m_row}"
    assert centred[7] == (f"{CONSISTENCY_CHECK} ci_not_centred (its numbers enter no estimate; the rows it read are "
                          "used as typed)")
    assert "estimate = -0.5, ci_lb = -0.8, ci_ub = -0.05" in centred[6]
    assert centred[8].startswith(WARNING_FORMULAS["ci_not_centred"] + "; ")
    # -0.5 lies 0.3 above ci_lb and 0.45 below ci_ub: the upper bound, farther out, is named.
    assert f"contrasts.csv, row {m_row} (M#1), column \u2018ci_ub\u2019" in centred[8]
    # A check of the quote reads the quote: it is among the cells.
    quoted = rows[checks.index("value_not_in_quote")]
    assert quoted[6].endswith(", quote = q")
    # The result printed alike by two reviews, with both rows; the uncited document's row.
    alike = rows[len(checks) + 1]
    m2_row = ctx.raw_rows["contrasts.csv:M2#1"][1]
    assert alike[2] == "M; M2" and alike[5] == f"contrasts.csv row {m_row}; contrasts.csv row {m2_row}"
    assert alike[6].count("estimate = -0.5, ci_lb = -0.8, ci_ub = -0.05") == 2
    orphan = rows[len(checks)]
    assert orphan[5] == "sources.csv row 2" and orphan[6] == "sources.csv row 2: source_id = orphan_page"
    # Printed in the appendix in either layout, as the table of warnings is.
    for layout in (ctx, dataclasses.replace(ctx, config={**ctx.config, "report": {"detail_limit": 1}})):
        appendix = str(audit_section(layout, audit_rows(layout)))
        assert appendix.count("consistency warning: ") == len(rows)
    # The opening says what such a row's columns hold, only where the trail has one.
    said = audit_lead(ctx)
    assert (" and a consistency warning (no value: the cells it compares, and in the steps how the check computes "
            "from them and the warning as printed); the variance is ") in said
    # Its sources.csv (the orphan page) is counted by where it was read, a count of rows.
    assert " counts of analyses, counts of rows and consistency warnings give none." in said
    # Without warnings, no such row, and no word of them.
    assert not [r for r in audit_rows(context()) if str(r[7]).startswith(CONSISTENCY_CHECK)]
    assert "consistency" not in audit_lead(context())


def test_the_audit_trail_s_opening_names_the_kinds_of_number_its_rows_trace_and_those_it_does_not() -> None:
    # It opened "Each number, with the raw rows ...", read as every number of the report,
    # and the caption said "where every number comes from": the consistency warnings'
    # numbers had no row, nor have the config's settings or a quote's numbers. It names
    # what the rows hold, read from the rows, and what they leave out.
    from metareview.report.audit import _TRAIL_KINDS, not_traced, trail_kind, trail_kinds

    named = [name for name, _ in _TRAIL_KINDS]
    for ctx in (context(), _warned_context()):
        rows = audit_rows(ctx)
        # Every row is of a kind the opening has a name for.
        assert {trail_kind(r) for r in rows} <= set(named)
        said = audit_lead(ctx, rows)
        first = said.split(". Each is traced to the raw rows (numbered as", 1)[0]
        kinds = trail_kinds(rows)
        assert first == "The rows trace the numbers the report computes or counts: " + "; ".join(
            kinds[:-1]) + "; and " + kinds[-1]
        assert not [k for k in named if k not in kinds and k in first]
        assert not_traced(ctx) in said and "every number" not in said.lower()
        # A kind leaves the opening with its rows.
        for kind in kinds:
            fewer = [r for r in rows if trail_kind(r) != kind]
            assert kind not in audit_lead(ctx, fewer).split(". Each is traced", 1)[0]
    assert "the numbers of the consistency warnings" not in audit_lead(context())
    assert "the numbers of the consistency warnings" in audit_lead(_warned_context())
    # A row of a kind not named is named by its quantity.
    assert trail_kinds([["", "weighted median (of something)", "", 1.0, None, "", "", "median", ""]]) == [
        "weighted median"]
    # The caption says the same.
    assert "every number" not in str(audit_section(context(), audit_rows(context())))


def test_a_study_whose_identity_is_rated_low_is_flagged_in_the_study_effects_table() -> None:
    # Its effect's line says "(study identity low)"; the table of study effects beside the
    # forest plot gave its effect with no such flag, a primary report's and a secondary
    # source's alike. The table's flags are the plot's (metareview.plots.source_flags).
    ctx = context()
    (c,) = next(r for r in ctx.analyses if r["analysis"]["id"] == "dn_vs_sham")["studies"]
    rows = [x for x in str(results_section(ctx)).splitlines() if x.startswith(f"| {escape(c['label'])} |")]
    assert rows and not any("study identity low" in x for x in rows)
    c["identity_confidence"] = "low"
    (row,) = [x for x in str(results_section(ctx)).splitlines() if x.startswith(f"| {escape(c['label'])} |")]
    # First among its flags, as the plot's footnotes order them.
    assert row.split(" | ")[-1].startswith("study identity low; ")
    c["source_level"] = "secondary"
    (row,) = [x for x in str(results_section(ctx)).splitlines() if x.startswith(f"| {escape(c['label'])} |")]
    assert row.split(" | ")[-1].startswith("known only from a secondary source; study identity low; ")


def test_what_changed_flags_the_effect_of_a_study_whose_identity_is_rated_low() -> None:
    # The report flags such a study beside its effect wherever it gives it; What changed
    # gave its effect, moved, added or standing for an analysis, with no flag.
    low = "(study identity low)"
    labels = {"A": "Ay (2009)", "B": "Bee (2003)"}

    def build(rated: list[str], studies: tuple[str, ...] = ("A", "B"), **analyses: dict[str, Any]) -> dict[str, Any]:
        return {**keys_of(**analyses), "studies": list(studies), "study_labels": labels, "identity_low": rated}

    before = build([], a=single(-0.5, -0.9, -0.1))
    # One study's effect that moved: named, with its flag, on the first of its moves.
    moved = changes_section(build(["A"], a=single(-0.4, -0.9, -0.1)), before)
    assert f"- `a`: study effect of Ay (2009) {low} −0.50 → −0.40" in moved
    assert "Ay" not in changes_section(build([], a=single(-0.4, -0.9, -0.1)), before)
    wider = changes_section(build(["A"], a=single(-0.5, -1.1, 0.1)), before)
    assert f"- `a`: interval of Ay (2009) {low} −0.90 to −0.10 → −1.10 to 0.10" in wider
    # Another trial's effect in its place, each flagged as its build rates it: Ay, gone
    # from the review, as the last build did.
    swapped = changes_section(build(["B"], ("B",), a=single(-0.98, -1.6, -0.4, study="B")),
                              build(["A"], ("A",), a=single(-0.5, -0.9, -0.1)))
    assert f"the effect comes from another trial, Bee (2003) {low}, in place of Ay (2009) {low};" in swapped
    # A study's effect in a pooled analysis, one added with its effect, and one a pooled
    # estimate replaces.
    def pooled(studies: list[str], b: float) -> dict[str, Any]:
        effects = {"A": {"value_type": "final", "effect": 0.17, "ci_lb": -0.05, "ci_ub": 0.39},
                   "B": {"value_type": "final", "effect": b, "ci_lb": -0.7, "ci_ub": 0.1}}
        return {**entry(0.15, -1.18, 1.48, k=len(studies)), "studies": studies,
                "study_effects": {x: effects[x] for x in studies}}

    two = pooled(["A", "B"], -0.3)
    assert (f"Bee (2003) {low}, its effect −0.30 → −0.20" in
            changes_section(build(["B"], a=pooled(["A", "B"], -0.2)), build([], a=two)))
    assert (f"with Bee (2003) {low} added (its effect −0.30, −0.70 to 0.10)" in
            changes_section(build(["B"], a={**two, "k": 3, "studies": ["A", "B", "C"]}),
                            build([], a={**pooled(["A"], 0), "k": 2, "studies": ["A", "C"]})))
    assert (f"in place of the effect of Ay (2009) {low} alone" in
            changes_section(build(["A"], a=two), build(["A"], a=single(-0.5, -0.9, -0.1))))
    # A new analysis's one study; a removed one's, as the last build rated it.
    new = changes_section(build(["A"], a=single(-0.5, -0.9, -0.1), b=single(0.3, -0.1, 0.7)), before)
    assert f"- New analysis `b`: one study, not pooled: Ay (2009) {low}, its effect 0.30" in new
    gone = changes_section(build([], b=single(0.3, -0.1, 0.7)),
                           build(["A"], a=single(-0.5, -0.9, -0.1), b=single(0.3, -0.1, 0.7)))
    assert f"removed (it had found: one study, not pooled: Ay (2009) {low}, its effect −0.50" in gone
    # A study still in the review is flagged as this build rates it.
    assert low not in changes_section(build([], a=single(-0.4, -0.9, -0.1)), build(["A"], a=single(-0.5, -0.9, -0.1)))
    # Key results from before the ratings were kept flag nothing.
    old = {k: v for k, v in build(["A"], a=single(-0.4, -0.9, -0.1)).items() if k != "identity_low"}
    assert "identity" not in changes_section(old, before)


def test_key_results_keep_the_studies_whose_identity_is_rated_low() -> None:
    ctx = context()
    assert key_results(ctx)["identity_low"] == []
    for doc in ctx.normalised:
        if doc["study"]["study_id"] in ("C", "M"):
            doc["study"]["identity_confidence"] = "low"
    assert key_results(ctx)["identity_low"] == ["C", "M"]


def test_every_consistency_check_has_words_for_its_audit_row() -> None:
    # A check added without its words gave its audit row the check's code name, which an
    # auditor reading "consistency warning: label year" had to look up.
    import inspect
    import re as _re

    from metareview import checks
    from metareview.report.audit import WARNING_WORDS

    raised = set(_re.findall(r'_warning\(\s*"([a-z_0-9]+)"', inspect.getsource(checks)))
    assert raised and raised <= set(WARNING_WORDS), sorted(raised - set(WARNING_WORDS))


def test_a_trial_of_an_analysed_comparison_without_result_rows_is_accounted_for() -> None:
    # A trial with arms of two analysed nodes and no result rows enters no analysis's list
    # of trials set aside: "Every candidate trial entered its analyses" passed over it, and
    # only the evidence table's "no results entered" named it.
    from metareview.report.sections import excluded_section

    ctx = context()
    assert str(excluded_section(ctx)) == "Every candidate trial entered its analyses.\n"
    docs = [dict(d) for d in ctx.normalised]
    a = next(d for d in docs if d["study"]["study_id"] == "A")
    a.update(arm_values=[], contrasts=[], statements=[])
    assert str(excluded_section(dataclasses.replace(ctx, normalised=docs))) == (
        "Every candidate trial with results entered its analyses. This trial of the analyses' comparisons has no "
        f"result rows in the raw tables, so it enters no analysis: {escape(SCRIPT)} ({escape(NODE_LABEL)} vs Sham).\n")
    # A trial whose arms no analysis compares is not listed: it is no candidate.
    a.update(arms=[{**arm, "node": None} for arm in a["arms"]])
    assert str(excluded_section(dataclasses.replace(ctx, normalised=docs))) == (
        "Every candidate trial entered its analyses.\n")


def test_the_limitations_list_smds_standardised_from_a_t_statistic() -> None:
    # As the median-based estimates are listed: an SE of an analysis adjusted for baseline
    # gives a larger d than the unadjusted comparison the conversion assumes.
    from metareview.fmt import SMD_FROM_T_FLAG

    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    study = r["studies"][0]
    assert "standardised from a mean difference's t statistic" not in str(limitations_section(ctx))
    study["flags"] = [*study.get("flags", []), SMD_FROM_T_FLAG]
    text = str(limitations_section(ctx))
    assert "standardised from a mean difference's t statistic (assuming the SE of an unadjusted comparison)" in text
    assert escape(study["label"]) in text.split("standardised from a mean difference's t statistic")[1].split("\n")[0]


def test_alike_results_of_different_comparisons_are_said_not_to_be_a_repeat() -> None:
    # Mu 2020's usual-care disability SMD printed alike with two sham pain SMDs: "one review
    # may also repeat another's result" read as benign, and the audit row gave the numbers
    # without the comparisons that make it suspect.
    from metareview.report.keys import consistency_warnings as warnings_of

    ctx = _warned_context()
    [(_, text, _)] = [w for w in warnings_of(ctx) if w[2].startswith("repeated ")]
    assert text.endswith("check that each row was read in its own source (one review may also repeat another's "
                         "result)")
    m2 = next(d for d in ctx.normalised if d["study"]["study_id"] == "M2")
    for c in m2["contrasts"]:
        c["outcome"] = "disability"
    [(_, text, _)] = [w for w in warnings_of(ctx) if w[2].startswith("repeated ")]
    assert text.endswith("they are results of different comparisons or outcomes, which one review repeating another's "
                         "would not explain: check each row in its own source (a row read from the wrong table?); "
                         "until then, no tally of reviews counts them")
    # The audit row gives each row's comparison and outcome beside its numbers.
    row = next(r for r in audit_rows(ctx) if r[1] == "consistency warning: the same estimate and bounds in several "
               "studies")
    assert "arm1 = " in row[6] and "outcome = " in row[6]


def test_an_arm_with_results_in_no_node_is_in_the_warnings_table_and_the_audit_trail() -> None:
    # A third arm coded with a treatment no node includes, with results: it entered no
    # analysis and nothing said so. Warned under its study, with an audit row.
    from metareview.report import consistency_warnings, warnings_section
    from metareview.report.audit import CONSISTENCY_CHECK, WARNING_WORDS

    ctx = context()
    assert not [w for w in consistency_warnings(ctx) if w[2].startswith("arm_in_no_node")]
    arms = [{"study_id": sid, "arm_id": a, "treatment": "electrical_dry_needling" if (sid, a) == ("B", "c") else t}
            for sid in STUDIES for a, t in ARMS[sid]]
    outcomes = [{"study_id": "B", "arm_id": "c"}]
    ctx = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "arms": arms, "arm_outcomes": outcomes})
    [(label, text, key)] = [w for w in consistency_warnings(ctx) if w[2].startswith("arm_in_no_node")]
    line = ctx.raw_rows["arms.csv:B#2"][1]
    assert (label, key) == (TYPST, "arm_in_no_node arms.csv:B#2 treatment")
    assert text.startswith(f"arms.csv, row {line} (B#2), column 'treatment': expected the treatment of arm 'c' to be "
                           "in a node of the config, found 'electrical_dry_needling' in none: the arm and its 1 row of "
                           "arm_outcomes.csv enter no analysis. To include it, add 'electrical_dry_needling'")
    assert "arms with results whose treatment no node of the config includes" in str(warnings_section(ctx))
    [row] = [r for r in audit_rows(ctx) if str(r[7]).startswith(f"{CONSISTENCY_CHECK} arm_in_no_node")]
    assert row[1] == f"consistency warning: {WARNING_WORDS['arm_in_no_node']}" and row[2] == "B"
    assert row[6] == f"arms.csv row {line}: arm_id = c, treatment = electrical_dry_needling"


def test_an_arm_coded_as_a_sham_and_described_as_active_is_in_the_warnings_table_and_the_audit_trail() -> None:
    # A mistyped code taken as the sham offered for it: the arm's description still says
    # acupuncture. Warned under the arm's study, by its arms.csv row, with an audit row
    # that gives the code and the description the check read.
    from metareview.report import consistency_warnings, warnings_section
    from metareview.report.audit import CONSISTENCY_CHECK, WARNING_WORDS

    ctx = context()
    assert not [w for w in consistency_warnings(ctx) if w[2].startswith("sham_arm_names_active")]
    treatments = [{"treatment": "acupuncture", "label": "Acupuncture", "role": "active"},
                  {"treatment": "dry_needling", "label": "Dry needling", "role": "active"},
                  {"treatment": "sham_acupuncture", "label": "Sham acupuncture", "role": "sham"}]
    arms = [{"study_id": sid, "arm_id": a, "treatment": t,
             "description": "Manual acupuncture at traditional points" if (sid, a) == ("B", "c") else t}
            for sid in STUDIES for a, t in ARMS[sid]]
    ctx = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "treatments": treatments, "arms": arms})
    [(label, text, key)] = [w for w in consistency_warnings(ctx) if w[2].startswith("sham_arm_names_active")]
    line = ctx.raw_rows["arms.csv:B#2"][1]
    assert (label, key) == (TYPST, "sham_arm_names_active arms.csv:B#2 treatment")
    assert text.startswith(f"arms.csv, row {line} (B#2), column 'treatment': expected the description of an arm "
                           "coded 'sham_acupuncture' (Sham acupuncture, a sham)")
    assert "which names the active 'acupuncture' (Acupuncture)" in text
    section = str(warnings_section(ctx))
    assert "coded ‘sham\\_acupuncture’" in section
    assert "arms coded as a sham or control that their description names as an active treatment" in section
    assert "arms coded" not in str(warnings_section(context()))
    [row] = [r for r in audit_rows(ctx) if str(r[7]).startswith(f"{CONSISTENCY_CHECK} sham_arm_names_active")]
    assert row[1] == f"consistency warning: {WARNING_WORDS['sham_arm_names_active']}" and row[2] == "B"
    assert row[5] == f"arms.csv row {line}"
    assert row[6] == (f"arms.csv row {line}: treatment = sham_acupuncture, description = Manual acupuncture at "
                      "traditional points")
    assert "whose role in treatments.csv is active" in row[8]


def test_a_character_lost_to_an_encoding_is_in_the_warnings_table_the_audit_trail_and_the_key_results() -> None:
    # A claims.csv saved as Windows-1252 and back: its '≥' became '?'. Warned under the
    # claim, by its row, with an audit row that gives the cell the check read.
    from metareview.report import consistency_warnings, warnings_section
    from metareview.report.audit import CONSISTENCY_CHECK, WARNING_WORDS

    ctx = context()
    assert not [w for w in consistency_warnings(ctx) if w[2].startswith("lost_character")]
    claims = [{"claim_id": "fast", "claim": "Relief in ?3 sessions.", "source_id": "post"}]
    ctx = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "claims": claims},
                              raw_rows={**ctx.raw_rows, "claims.csv:fast": ("claims.csv", 7)})
    [(label, text, key)] = [w for w in consistency_warnings(ctx) if w[2].startswith("lost_character")]
    assert (label, key) == ("Claim fast", "lost_character claims.csv:fast claim")
    assert text.startswith("claims.csv, row 7 (fast), column 'claim': expected the source's characters, found '?' in "
                           "\"Relief in ?3 sessions.\"")
    section = str(warnings_section(ctx))
    assert "| Study or claim | Warning |" in section and "| Claim fast |" in section
    assert "text cells an encoding or a spreadsheet changed" in section
    assert "an encoding or a spreadsheet" not in str(warnings_section(context()))
    [row] = [r for r in audit_rows(ctx) if str(r[7]).startswith(f"{CONSISTENCY_CHECK} lost_character")]
    assert row[1] == f"consistency warning: {WARNING_WORDS['lost_character']}" and row[2] == ""
    assert row[5] == "claims.csv row 7" and row[6] == "claims.csv row 7: claim = Relief in ?3 sessions."
    assert key_results(ctx)["warnings"][key].startswith("Claim fast: claims.csv, row 7")


def test_an_indirect_comparison_that_anchored_nothing_is_traced_to_each_side_s_trials() -> None:
    # "No common comparator" answers the review's question; its audit row named only the
    # config and the results file, and the auditor had to find which trials put which
    # comparator on each side.
    from metareview.report.audit import _indirect_status_row

    ctx = context()
    x = {**ctx.indirect[0], "status": "no_common_comparator"}
    row = _indirect_status_row(ctx, x, "results/indirect/x.json")
    assert row[1] == "indirect comparison status: no common comparator"
    # Dry needling's one study against sham (C) and acupuncture's two (A, B), with their rows.
    assert set(row[2].split("; ")) == {"A", "B", "C"}
    assert "Dry needling against: Sham (dn_vs_sham: C, contrasts.csv row " in row[8]
    assert (f" | {NODE_LABEL} against: Sham (acu_vs_sham: A, arm_outcomes.csv rows 2 and 3; B, arm_outcomes.csv rows 4 "
            "and 5)") in row[8], row[8]
    # An anchored one has its estimate's row instead.
    assert not [r for r in audit_rows(ctx) if r[1].startswith("indirect comparison status")]


def test_an_indirect_comparisons_sentence_on_another_measure_is_traced_to_its_trials_rows() -> None:
    # "In the MD analyses, which are not combined with SMD ones, ... acupuncture is
    # compared with no treatment ... and with sham": the row traced the SMD analyses only,
    # while the sentence rests on Brinkhaus 2006's MD rows.
    from metareview.report.audit import _indirect_status_row

    ctx = context()
    acu = next(r for r in ctx.analyses if r["analysis"]["id"] == "acu_vs_sham")
    acu["analysis"] = {**acu["analysis"], "measure": "MD"}
    x = {**ctx.indirect[0], "status": "no_common_comparator",
         "other_measures": [{"measure": "MD", "comparators_a": [], "comparators_b": ["sham"], "common": [],
                             "head_to_head": False}]}
    row = _indirect_status_row(ctx, x, "results/indirect/x.json")
    measure = x["measure"]
    assert (f"; in the MD analyses, not combined with {measure} ones: Dry needling against: none | {NODE_LABEL} "
            "against: Sham (acu_vs_sham: A, arm_outcomes.csv rows 2 and 3; B, arm_outcomes.csv rows 4 and 5)"
            ) in row[8], row[8]
    # Its trials and rows among the row's own.
    assert {"A", "B"} <= set(row[2].split("; ")) and "arm_outcomes.csv rows 2" in row[5], row[5]
    # Without other measures, none named.
    plain = _indirect_status_row(ctx, {**x, "other_measures": []}, "results/indirect/x.json")
    assert "in the MD analyses" not in plain[8]


def test_a_study_set_apart_as_secondary_says_when_its_identity_is_rated_low_too() -> None:
    # Liu & Park 2021, named only in the post the review checks: "known only from a
    # secondary source, set apart" left it a trial whose publication had merely not been read.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    s = r["studies"][0]
    s.update(source_level="secondary", identity_confidence="low")
    text = str(bottom_line(ctx))
    assert f"{escape(s['label'])}, its identity rated low, known only from a secondary source, set apart." in text
    s.update(identity_confidence="high")
    assert "its identity rated low" not in str(bottom_line(ctx))


def _graded(ci: tuple[float, float], **judgement: Any) -> tuple[ReportContext, dict[str, Any]]:
    """The example context with acu_vs_sham judged (``JUDGED`` with ``judgement`` over it)
    and its pooled interval at ``ci``; the context and the analysis's result."""
    # A domain given as None is left out (not judged).
    ctx = context(analyses=_with_certainty(**{k: v for k, v in {**JUDGED, **judgement}.items() if v is not None}))
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    moved = {**r, "pooled": {**r["pooled"], "estimate": (ci[0] + ci[1]) / 2, "ci_lb": ci[0], "ci_ub": ci[1]}}
    ctx = dataclasses.replace(ctx, analyses=[moved if x is r else x for x in ctx.analyses])
    return ctx, moved


#: Judgements that give each level from JUDGED (imprecision rated serious: moderate).
_LEVELS = {"high": {"imprecision": NOT_SERIOUS},
           "moderate": {},
           "low": {"imprecision": {"rating": "very_serious", "reason": "r"}},
           "very_low": {"imprecision": {"rating": "very_serious", "reason": "r"},
                        "risk_of_bias": {"rating": "serious", "reason": "r"}}}


@pytest.mark.parametrize(("level", "benefit", "harm"), [
    ("high", "reduces", "increases"),
    ("moderate", "probably reduces", "probably increases"),
    ("low", "may reduce", "may increase"),
])
def test_a_graded_finding_is_worded_by_its_level(level: str, benefit: str, harm: str) -> None:
    # GRADE's informative statements (Santesso et al. 2020): the same interval read flatly
    # at high and at very low certainty told a panel nothing of how sure it could be.
    from metareview.report.base import informative_statement

    ctx, r = _graded((-0.9, -0.1), **_LEVELS[level])
    assert certainty_of(ctx, r).level == level
    who = _in_sentence(NODE_LABEL)
    assert informative_statement(ctx, r) == f"{who} {benefit} pain compared with sham"
    # From the comparator's side, the other way round.
    assert informative_statement(ctx, r, swapped=True) == f"sham {harm} pain compared with {who}"
    ctx, r = _graded((0.1, 0.9), **_LEVELS[level])
    assert informative_statement(ctx, r) == f"{who} {harm} pain compared with sham"


def test_a_very_low_certainty_finding_says_the_evidence_is_very_uncertain() -> None:
    from metareview.report.base import informative_statement

    for ci in ((-0.9, -0.1), (-0.9, 0.3)):
        ctx, r = _graded(ci, **_LEVELS["very_low"])
        assert informative_statement(ctx, r) == (
            f"the evidence is very uncertain about the effect of {_in_sentence(NODE_LABEL)} on pain compared with sham")


def test_little_or_no_difference_only_where_the_interval_is_judged_to_inform() -> None:
    # An interval that holds no difference is "little or no difference" only inside the
    # MID, where the report already says any effect is likely too small to matter; else
    # no statement, and the line keeps its words ("too wide to inform" included).
    from metareview.report.base import informative_statement

    ctx, r = _graded((-0.3, 0.2))
    assert informative_statement(ctx, r) == ""
    md = {**r, "analysis": {**r["analysis"], "measure": "MD"}}
    outcomes = {"pain": {**CONFIG["outcomes"]["pain"], "mid": {"value": 1.0, "source": "S"}}}
    with_mid = dataclasses.replace(ctx, analyses=[md if x is r else x for x in ctx.analyses],
                                   config={**ctx.config, "outcomes": outcomes})
    assert informative_statement(with_mid, md) == (
        f"{_in_sentence(NODE_LABEL)} probably results in little or no difference in pain compared with sham")
    wider = {**md, "pooled": {**md["pooled"], "ci_lb": -1.5, "ci_ub": 0.2}}
    assert informative_statement(dataclasses.replace(with_mid, analyses=[wider if x is md else x
                                                                         for x in with_mid.analyses]), wider) == ""
    # Ungraded (a domain not judged): no statement, whatever the interval.
    partial, r = _graded((-0.9, -0.1), publication_bias=None)
    assert certainty_of(partial, r).status == "incomplete" and informative_statement(partial, r) == ""


def _with_mid(ctx: ReportContext, r: dict[str, Any], ci: tuple[float, float]
              ) -> tuple[ReportContext, dict[str, Any]]:
    """``ctx`` with ``r`` an MD at ``ci`` and an MID of 1 point on pain."""
    md = {**r, "analysis": {**r["analysis"], "measure": "MD"},
          "pooled": {**r["pooled"], "estimate": (ci[0] + ci[1]) / 2, "ci_lb": ci[0], "ci_ub": ci[1]}}
    outcomes = {"pain": {**CONFIG["outcomes"]["pain"], "mid": {"value": 1.0, "source": "S"}}}
    return dataclasses.replace(ctx, analyses=[md if x is r else x for x in ctx.analyses],
                               config={**ctx.config, "outcomes": outcomes}), md


def test_the_mid_is_read_before_whether_the_interval_excludes_no_difference() -> None:
    # A precise but trivial effect (MD -0.2, -0.3 to -0.1, against an MID of 1) read
    # "reduces", while a wider one holding 0 read "little or no difference": the more
    # precise result read as the bigger finding.
    from metareview.report.base import informative_statement

    who = _in_sentence(NODE_LABEL)
    ctx, r = _graded((-0.3, -0.1))
    assert informative_statement(*_with_mid(ctx, r, (-0.3, -0.1))) == (
        f"{who} probably results in little or no difference in pain compared with sham")
    # Excluding 0 but crossing the MID: no statement, the level beside the usual words.
    assert informative_statement(*_with_mid(ctx, r, (-1.5, -0.1))) == ""
    # Beyond the MID, or with none set: the verb.
    assert informative_statement(*_with_mid(ctx, r, (-2.0, -1.2))) == f"{who} probably reduces pain compared with sham"
    assert informative_statement(ctx, r) == f"{who} probably reduces pain compared with sham"


def test_a_key_message_reads_a_trivial_effect_as_the_statement_does() -> None:
    # The statement said "little or no difference" and the key messages "probably
    # favours it" of the same interval, wholly within the MID.
    from metareview.report.brief import _treatment_point

    ctx, r = _graded((-0.3, -0.1))
    assert "its one result probably favours it (GRADE: moderate" in _treatment_point(ctx, "acu")
    assert "its one result probably shows little or no difference (GRADE: moderate" in _treatment_point(
        _with_mid(ctx, r, (-0.3, -0.1))[0], "acu")
    # Crossing the MID: its side, as before.
    assert "its one result probably favours it (GRADE: moderate" in _treatment_point(
        _with_mid(ctx, r, (-1.5, -0.1))[0], "acu")


def test_a_result_set_apart_or_qualified_has_no_informative_statement() -> None:
    # Liu & Park 2021, known only from a blog post: "if that source's number is right ...
    # the whole interval favours dry needling. Dry needling reduces pain intensity ...":
    # a flat claim after a conditional one, on a result the key messages set apart.
    from metareview.report.base import _certainty_clause, informative_statement

    judged = {**JUDGED, "studies": ["C"]}
    ctx = context(analyses=[{**a, "certainty": judged} if a["id"] == "dn_vs_sham" else a for a in CONFIG["analyses"]])
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    # Its whole interval on dry needling's side, as Liu & Park's is.
    r = {**r, "studies": [{**r["studies"][0], "yi": -0.6, "ci_lb": -1.1, "ci_ub": -0.1}]}
    assert r["status"] == "single_study" and informative_statement(ctx, r)
    for doubt in ({"source_level": "secondary"}, {"identity_confidence": "low"}):
        s = {**r["studies"][0], **doubt}
        apart = {**r, "studies": [s]}
        assert informative_statement(ctx, apart) == "", doubt
        # The level stays, beside the usual words.
        assert _certainty_clause(ctx, apart) == "; certainty of the evidence (GRADE): moderate (rated down for " \
            "imprecision)"


def test_the_results_overview_leads_a_graded_result_with_its_statement() -> None:
    # "the whole confidence interval favours ... The evidence is very uncertain ...": the
    # flat reading came first at every level, and the graded one read as a second finding.
    name = escape(analysis_names(context())["acu_vs_sham"])
    who = escape(_in_sentence(NODE_LABEL))
    ctx, _ = _graded((-0.9, -0.1))
    line = next(x for x in str(summary_section(ctx)).splitlines() if "k = 2" in x)
    assert line.startswith(f"- {name}: {who} probably reduces pain compared with sham. Certainty of the evidence "
                           "(GRADE): moderate (rated down for imprecision). SMD −0.50 (95% CI −0.90 to −0.10; k = 2); ")
    # The interval stays, as the statement's support; the level is not said twice.
    assert "interval favours" in line and line.count("GRADE") == 1
    # No statement (an interval holding no difference), or nothing graded: as before.
    ctx, _ = _graded((-0.9, 0.3))
    line = next(x for x in str(summary_section(ctx)).splitlines() if "k = 2" in x)
    assert line.startswith(f"- {name}: SMD ") and "Certainty of the evidence (GRADE): moderate" in line
    assert next(x for x in str(summary_section(context())).splitlines() if "k = 2" in x).startswith(f"- {name}: SMD ")
    # A single study's line: the statement, then "One study only".
    judged = {**JUDGED, "studies": ["C"]}
    ctx = context(analyses=[{**a, "certainty": judged} if a["id"] == "dn_vs_sham" else a for a in CONFIG["analyses"]])
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    moved = {**r, "studies": [{**r["studies"][0], "yi": -0.6, "ci_lb": -1.1, "ci_ub": -0.1}]}
    ctx = dataclasses.replace(ctx, analyses=[moved if x is r else x for x in ctx.analyses])
    line = next(x for x in str(summary_section(ctx)).splitlines() if "one study only" in x.lower())
    assert line.startswith(f"- {escape(analysis_names(ctx)['dn_vs_sham'])}: dry needling probably reduces pain "
                           "compared with sham. Certainty of the evidence (GRADE): moderate (rated down for "
                           "imprecision). One study only, not pooled: ")


@pytest.mark.parametrize("label", ["Responders", "Global improvement"])
def test_a_binary_outcome_is_worded_as_its_rate(label: str) -> None:
    # "acupuncture probably increases responders": a label that names who had the event
    # read wrong straight after the verb.
    from metareview.report.base import informative_statement

    ctx, r = _graded((0.1, 0.6))
    rr = {**r, "analysis": {**r["analysis"], "measure": "RR", "outcome_label": label}}
    assert informative_statement(ctx, rr) == (
        f"{_in_sentence(NODE_LABEL)} probably increases the rate of {_in_sentence(label)} compared with sham")


def test_the_summary_list_and_key_messages_give_each_graded_result_its_level() -> None:
    from metareview.report.brief import _treatment_point
    from metareview.report.overview import _treatment_overview

    ungraded = context()
    assert "GRADE" not in _treatment_overview(ungraded, "acu") + _treatment_point(ungraded, "acu")
    ctx, _ = _graded((-0.9, -0.1))
    line = " ".join(_treatment_overview(ctx, "acu").split())
    said = (f"; {escape(_in_sentence(NODE_LABEL))} probably reduces pain compared with sham (GRADE: moderate "
            "certainty).")
    assert said in line and "k = 2), interval wholly on" not in line, line
    assert "its one result probably favours it (GRADE: moderate certainty" in _treatment_point(ctx, "acu")
    ctx, _ = _graded((-0.9, -0.1), **_LEVELS["very_low"])
    assert "its one result leaves the evidence very uncertain (GRADE: very low certainty" in _treatment_point(ctx, "acu")
    assert "the evidence is very uncertain about the effect of" in _treatment_overview(ctx, "acu")
    # No statement for an interval that informs nothing, but the level beside its words.
    ctx, _ = _graded((-0.9, 0.3), **_LEVELS["low"])
    line = " ".join(_treatment_overview(ctx, "acu").split())
    assert "interval compatible with no difference" in line and "GRADE: low certainty." in line, line
    assert "its one result is compatible with no difference (GRADE: low certainty" in _treatment_point(ctx, "acu")


def test_a_tally_tags_each_part_with_its_results_levels() -> None:
    from metareview.report.brief import _tallied

    assert _tallied(["for", "for"], [None, None])[0] == "both results favour it"
    assert _tallied(["for", "for"], ["moderate", "moderate"])[0] == (
        "both results probably favour it (GRADE: moderate certainty)")
    assert _tallied(["for", "for"], ["moderate", "low"])[0] == (
        "1 of 2 results probably favours it (GRADE: moderate certainty) and 1 may favour it (GRADE: low certainty)")
    assert _tallied(["for", "neither"], ["high", None])[0] == (
        "1 of 2 results is compatible with no difference (not graded) and 1 favours it (GRADE: high certainty)")
    assert _tallied(["neither", "neither", "unsettled"], ["high", None, None])[0] == (
        "2 of 3 results are compatible with no difference (GRADE certainty: 1 high; 1 not graded) and 1 "
        "rests on very few events (its exact test and approximate interval disagree; not graded)")


def test_a_line_s_notes_stay_out_of_the_last_part_s_bracket() -> None:
    # "1 of 2 results probably favours it (GRADE: moderate certainty) and 1 may favour it
    # (GRADE: low certainty; one trial each; ...)" read as if only the last part were
    # single trials: a note of the line joins a bracket only when there is one part.
    from metareview.report.brief import _treatment_point

    judged = {**JUDGED, "studies": ["C"]}
    ctx = context(analyses=[{**a, "certainty": judged} if a["id"] == "dn_vs_sham" else a for a in CONFIG["analyses"]])
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    s = {**r["studies"][0], "yi": -0.6, "ci_lb": -1.1, "ci_ub": -0.1}
    one = {**r, "studies": [s]}
    two = {**r, "analysis": {**r["analysis"], "id": "dn_vs_sham_m", "window": "medium"},
           "studies": [{**s, "study_id": "D", "label": "D 2020"}]}
    line = _treatment_point(dataclasses.replace(ctx, analyses=[x for x in ctx.analyses if x is not r] + [one, two]),
                            "dn")
    assert line.endswith("against sham, 1 of 2 results favours it (not graded) and 1 probably favours it (GRADE: "
                         "moderate certainty), one trial each."), line
    # One part: the note in its bracket, as before.
    line = _treatment_point(dataclasses.replace(ctx, analyses=[x for x in ctx.analyses if x is not r] + [one]), "dn")
    assert line.endswith("its one result probably favours it (GRADE: moderate certainty; one trial)."), line


def test_the_risk_of_bias_note_gives_way_only_where_a_level_is_printed() -> None:
    # Recording GRADE removed the note from the head-to-head key message and printed no
    # level in its place. A result judged but not rated has no level: the note stays.
    from metareview.report.base import risk_of_bias_clause
    from metareview.report.brief import _result_clause

    def judged(ctx: ReportContext) -> ReportContext:
        docs = [{**d, "risk_of_bias": [{"domain": "overall", "judgement": "high"}]}
                if d["study"]["study_id"] in ("A", "B") else d for d in ctx.normalised]
        return dataclasses.replace(ctx, normalised=docs)

    graded = judged(_graded((-0.9, -0.1))[0])
    r = next(x for x in graded.analyses if x["analysis"]["id"] == "acu_vs_sham")
    assert risk_of_bias_clause(graded, r) == ""
    clause = _result_clause(graded, r)
    assert "overall risk of bias" not in clause and (
        f"k = 2), {escape(_in_sentence(NODE_LABEL))} probably reduces pain compared with sham (GRADE: moderate "
        "certainty)") in clause, clause
    incomplete = judged(_graded((-0.9, -0.1), publication_bias=None)[0])
    r = next(x for x in incomplete.analyses if x["analysis"]["id"] == "acu_vs_sham")
    assert risk_of_bias_clause(incomplete, r) == "; overall risk of bias: high (2)"
    clause = _result_clause(incomplete, r)
    assert "; overall risk of bias: high (2))" in clause and "GRADE" not in clause and "probably" not in clause
    summary = str(summary_section(incomplete))
    assert "Overall risk of bias: high (2). Certainty of the evidence (GRADE): not rated" in summary


def test_the_methods_state_the_wording_convention_only_when_a_result_is_graded() -> None:
    def risk(ctx: ReportContext) -> str:
        return next(x for x in str(methods_section(ctx)).splitlines() if x.startswith("- **Risk of bias and certainty**"))

    assert "Santesso" not in risk(context())
    # Judged, but nothing rated (a domain not judged): nothing is worded by a level.
    assert "Santesso" not in risk(context(analyses=_with_certainty(studies=["A", "B"], imprecision=NOT_SERIOUS)))
    text = risk(context(analyses=_with_certainty(**JUDGED)))
    assert ('(Santesso et al. 2020, J Clin Epidemiol 119:126-135): high, "reduces"; moderate, "probably reduces"; '
            'low, "may reduce"; very low, "the evidence is very uncertain about the effect".') in text, text


def test_a_graded_finding_reads_by_its_level_in_the_results_and_what_changed() -> None:
    ctx, _ = _graded((-0.9, -0.1))
    who = escape(_in_sentence(NODE_LABEL))
    said = f"{who[:1].upper()}{who[1:]} probably reduces pain compared with sham. Certainty of the evidence (GRADE): moderate"
    assert said in str(results_section(ctx))
    assert f"; {who} probably reduces pain compared with sham; certainty of the evidence (GRADE): moderate" in str(
        bottom_line(ctx))
    before = key_results(context())
    now = key_results(ctx)
    assert (f"**certainty changed**: not rated (no GRADE judgements recorded) → moderate (rated down for "
            f"imprecision), so {who} probably reduces pain compared with sham.") in changes_section(now, before)


def _with_worded_trial(direction: str = "no_difference", node: str = "sham") -> ReportContext:
    """The context with Trial K, of acupuncture against ``node``, whose one result on pain
    is a statement in words (Kerr 2003 against placebo TENS): no numbers to pool."""
    ctx = context()
    a = next(d for d in ctx.normalised if d["study"]["study_id"] == "A")
    k = {**a, "study": {**a["study"], "study_id": "K", "label": "Trial K"}, "arm_values": [], "contrasts": [],
         "arms": [{**arm, "node": "acu" if arm["arm_id"] == "i" else node} for arm in a["arms"]],
         "statements": [{"ref": "statements.csv:K#1", "arm1": "i", "arm2": "c", "node1": "acu", "node2": node,
                         "treatment1_label": "acupuncture", "cointervention1": None, "outcome": "pain",
                         "timepoint_label": "end of treatment", "statement": "No significant difference.",
                         "direction": direction, "evidence_level": None, "quote": "q", "confidence": "medium"}]}
    return dataclasses.replace(ctx, normalised=[*ctx.normalised, k])


def test_a_trial_with_a_result_in_words_only_is_named_beside_a_usable_trial() -> None:
    # Kerr 2003 ("no significant difference" against placebo TENS) was named in its
    # analysis's section only where the analysis had no usable trial: beside the one trial
    # of acupuncture against sham it went unmentioned there and in the summary.
    from metareview.report.overview import words_only_trials

    ctx = _with_worded_trial()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    assert r["studies"], "the analysis has usable trials"
    assert [t["study_id"] for t in words_only_trials(ctx, r)] == ["K"]
    text = spaced(str(results_section(ctx)))
    section = text.split("vs Sham: pain, short term", 1)[1].split("### ", 1)[0]
    # The candidates are the trials with numbers; the trial in words is counted apart.
    assert f"candidate trials: {r['k'] + len(r['excluded'])}; used: {r['k']}" in section
    assert "; trials with a result in words only: 1." in section
    assert ("Trial of this comparison with a result given in words only, not a candidate as it gives no numbers "
            "(see @tbl-narrative): Trial K states no difference.") in section
    # Not in the other analysis's section, of dry needling.
    other = text.split("Dry needling vs Sham: pain, short term", 1)[1].split("### ", 1)[0]
    assert "Trial K" not in other
    # In the summary, beside the comparator's results.
    summary = spaced(_treatment_overview(ctx, "acu"))
    assert "1 trial with a result given in words only (see @tbl-narrative): Trial K states no difference." in summary
    # Without it, neither says anything of words only.
    assert "words only" not in str(results_section(context()))
    assert "words only" not in _treatment_overview(context(), "acu")


def test_a_trial_in_words_only_is_named_once_in_a_section_without_a_usable_trial() -> None:
    # Dry needling against sham has no usable trial here once C's numbers go: the trial's
    # words were named among the statements and would be again in its own line.
    ctx = _with_worded_trial("favours_arm1")
    docs = [d if d["study"]["study_id"] != "C" else {**d, "contrasts": [], "arm_values": []} for d in ctx.normalised]
    a = next(d for d in docs if d["study"]["study_id"] == "K")
    k = {**a, "arms": [{**arm, "node": "dn" if arm["arm_id"] == "i" else "sham"} for arm in a["arms"]],
         "statements": [{**a["statements"][0], "node1": "dn", "treatment1_label": "dry needling"}]}
    ctx = dataclasses.replace(ctx, normalised=[*[d for d in docs if d["study"]["study_id"] != "K"], k],
                              analyses=[x for x in ctx.analyses if x["analysis"]["id"] != "dn_vs_sham"]
                              + [{**next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham"),
                                  "studies": [], "k": 0, "status": "no_studies", "pooled": None,
                                  "reason": "No trial reports this comparison."}])
    text = spaced(str(results_section(ctx)))
    section = text.split("Dry needling vs Sham: pain, short term", 1)[1].split("### ", 1)[0]
    assert section.count("Trial K") == 1, section
    assert "Trial K states a difference favouring dry needling." in section


def test_a_trial_in_words_only_is_named_once_beside_a_head_to_head_trial_s_effect() -> None:
    # Dry needling against acupuncture with one trial's effect: the statements weighed
    # against it named Trial K, in words only, and the line of such trials named it again.
    ctx = context()
    h2h = _head_to_head(next(r for r in ctx.analyses if r["status"] == "single_study"))
    a = next(d for d in ctx.normalised if d["study"]["study_id"] == "A")
    k = {**a, "study": {**a["study"], "study_id": "K", "label": "Trial K"}, "arm_values": [], "contrasts": [],
         "arms": [{**arm, "node": "dn" if arm["arm_id"] == "i" else "acu"} for arm in a["arms"]],
         "statements": [{"ref": "statements.csv:K#1", "arm1": "i", "arm2": "c", "node1": "dn", "node2": "acu",
                         "treatment1_label": "dry needling", "cointervention1": None, "outcome": "pain",
                         "timepoint_label": "end of treatment", "statement": "No significant difference.",
                         "direction": "no_difference", "evidence_level": None, "quote": "q", "confidence": "medium"}]}
    ctx = dataclasses.replace(
        ctx, config={**ctx.config, "analyses": [*ctx.config["analyses"], {**h2h["analysis"], "designs": "head_to_head"}]},
        normalised=[*ctx.normalised, k], analyses=[*ctx.analyses, h2h],
        indirect=[indirect_comparison(CONFIG["indirect"][0], [*ctx.analyses, h2h], labels=LABELS)],
        figures={**ctx.figures, "dn_vs_acu_md": "figures/dn_vs_acu_md.forest.svg"})
    assert h2h["studies"], "the analysis has its one trial's effect"
    text = spaced(str(results_section(ctx)))
    section = text.split("{#sec-dn-vs-acu-md}", 1)[1].split("### ", 1)[0]
    assert section.count("Trial K") == 1, section
    assert "given in words only, not a candidate as it gives no numbers (see @tbl-narrative): Trial K states no " \
        "difference." in section
    # The bottom line, which has no line of such trials, still weighs it against the effect.
    assert spaced(bottom_line(ctx)).count("Trial K") == 1
    # In the overview of each treatment, once, against the other.
    for node in ("dn", "acu"):
        assert spaced(_treatment_overview(ctx, node)).count("Trial K") == 1


def _with_every_kind_of_trial() -> ReportContext:
    """Trial K in words only (:func:`_with_worded_trial`), Trial L of acupuncture against
    sham with no result rows, and Trial O of acupuncture against dry needling, a
    comparison no analysis makes."""
    ctx = _with_worded_trial()
    k = next(d for d in ctx.normalised if d["study"]["study_id"] == "K")
    empty = {**k, "study": {**k["study"], "study_id": "L", "label": "Trial L"}, "statements": []}
    outside = {**k, "study": {**k["study"], "study_id": "O", "label": "Trial O"},
               "arms": [{**arm, "node": "dn" if arm["arm_id"] == "c" else "acu"} for arm in k["arms"]],
               "statements": [{**k["statements"][0], "node2": "dn"}]}
    return dataclasses.replace(ctx, normalised=[*ctx.normalised, empty, outside])


def test_the_flow_of_studies_puts_each_trial_and_review_in_one_group() -> None:
    from metareview.report.flow import flow_section, study_flow, trial_group

    ctx = _with_every_kind_of_trial()
    flow = study_flow(ctx)
    used = sorted({s["study_id"] for r in ctx.analyses for s in r["studies"]})
    assert sorted(flow["trials"]["used"]) == used
    assert flow["trials"]["words"] == ["K"]
    assert flow["trials"]["empty"] == ["L"]
    assert flow["trials"]["outside"] == ["O"]
    assert flow["reviews"]["external"] == ["M"]
    assert flow["others"] == ["G"]
    # Every study once: the groups add up to the studies.
    every = [*(i for ids in flow["trials"].values() for i in ids), *(i for ids in flow["reviews"].values() for i in ids),
             *flow["others"]]
    assert sorted(every) == sorted(d["study"]["study_id"] for d in ctx.normalised)
    assert trial_group(ctx, "K") == "words" and trial_group(ctx, "M") is None
    text = spaced(str(flow_section(ctx)))
    assert "{#tbl-flow}" in text
    n_trials = len(used) + 3
    assert f"| Trials | {n_trials} |" in " ".join(text.split())
    # Each group with where its members are listed; a group no other table lists, named.
    assert "| result reported in words only | 1 | @tbl-narrative" in " ".join(text.split())
    assert "| outside the analysed comparisons | 1 | Trial O |" in " ".join(text.split())
    # No documents row without a sources table to count.
    assert "Documents read" not in text
    sources = dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "sources": [{"source_id": "s1"}, {"source_id": "s2"}]})
    assert "| Documents read | 2 |" in " ".join(str(flow_section(sources)).split())


def _unresolved_references(text: str) -> list[str]:
    """The cross-references (@tbl-, @fig-) and internal links (``](#sec-...)``) of the
    report source ``text`` that name no label it defines, sorted: each one stops the
    render ("unresolved cross-reference")."""
    labels = set(re.findall(r"\{#((?:tbl|fig|sec)-[A-Za-z0-9_-]+)", text))
    cited = set(re.findall(r"(?<![\\\w])@((?:tbl|fig)-[A-Za-z0-9_-]*[A-Za-z0-9])", text))
    cited |= set(re.findall(r"\]\(#([A-Za-z0-9_-]+)\)", text))
    return sorted(cited - labels)


def test_every_cross_reference_names_a_table_figure_or_section_the_report_has() -> None:
    # A review with a trial that has arms and no result rows, and no trial set aside for
    # its numbers: the flow table pointed to the table of trials set aside, which such a
    # review does not have, and the render stopped on the unresolved reference.
    from metareview.report.sections import excluded_section

    ctx = _with_every_kind_of_trial()
    assert "{#tbl-excluded}" not in str(excluded_section(ctx))
    assert not any(r["excluded"] for r in ctx.analyses)
    for case in (context(), ctx, _set_aside(ctx)):
        text = build_report(TEMPLATE, case)[0]
        assert "](#" in text and "@tbl-" in text
        assert _unresolved_references(text) == []
    # The check finds what the renderer refuses.
    assert _unresolved_references("See @tbl-excluded and [x](#sec-none); \\@tbl-y is text. {#tbl-a}") == [
        "sec-none", "tbl-excluded"]


def test_the_limitations_say_which_trials_the_candidates_are() -> None:
    # "Of the 17 candidate trials" left out the trials of the same comparisons known in
    # words only or never entered: the count says what it counts, against all the trials.
    from metareview.report.sections import _candidates_defined

    ctx = _with_every_kind_of_trial()
    n = sum(1 for d in ctx.normalised if d["study"]["role"] == "trial")
    assert _candidates_defined(ctx) == (
        " The candidates are the trials with numbers on an analysis's comparison and outcome: of the "
        f"{n} trials in the data, 1 has a result in words only, 1 has no result rows entered and 1 is outside the "
        "analysed comparisons (see @tbl-flow).")
    assert _candidates_defined(context()) == ""


def test_a_count_of_trials_with_no_usable_estimate_names_its_groups() -> None:
    from metareview.report.brief import _groups_said

    ctx = _with_every_kind_of_trial()
    assert _groups_said(ctx, {"K", "L"}) == " (1 in words only, 1 with no result entered)"
    assert _groups_said(ctx, set()) == ""


def test_the_summary_counts_studies_trials_and_participants_in_one_line() -> None:
    # The summary counted analyses, never studies or participants (PRISMA 2020 for
    # Abstracts): one line gives the studies by design, the trials in the analyses and
    # their participants, each arm once.
    from metareview.report.flow import analysed_participants, counts_line

    ctx = _with_every_kind_of_trial()
    used = sorted({s["study_id"] for r in ctx.analyses for s in r["studies"]})
    arms = {(s["study_id"], side): n for r in ctx.analyses for s in r["studies"]
            for side, n in (("i", s["n1"]), ("c", s["n2"]))}
    total = round(sum(arms.values()))
    assert analysed_participants(ctx) == (total, used, [])
    line = counts_line(ctx)
    n_trials = sum(1 for d in ctx.normalised if d["study"]["role"] == "trial")
    # Largest group first; the trials' designs given only where they differ.
    assert line.startswith(f"Studies: {len(ctx.normalised)}: {n_trials} trials, 1 published meta-analysis and "
                           "1 guideline. ")
    docs = [d if d["study"]["study_id"] != "K" else {**d, "study": {**d["study"], "design": "crossover_rct"}}
            for d in ctx.normalised]
    assert f"{n_trials} trials ({n_trials - 1} RCTs and 1 crossover RCT)" in counts_line(
        dataclasses.replace(ctx, normalised=docs))
    assert line.endswith(f"In the analyses: {len(used)} trials, with {total:,} participants in the arms analysed, "
                         "each arm counted once.")
    # The line is in the summary, pointing to the flow table.
    text = build_report(TEMPLATE, ctx)[0]
    summary = text.split("{#sec-summary}", 1)[1].split("{#sec-question}", 1)[0]
    assert f"{escape(line)} See @tbl-flow." in " ".join(spaced(summary).split())
    # A trial analysed twice (one arm against two comparators) counts its shared arm once.
    r = next(x for x in ctx.analyses if x["studies"])
    twice = dataclasses.replace(ctx, analyses=[*ctx.analyses, {**r, "analysis": {**r["analysis"], "id": "again"}}])
    assert analysed_participants(twice)[0] == total
    # Arm sizes not reported: the trial is named and left out of the total.
    s0 = r["studies"][0]
    unknown = dataclasses.replace(ctx, analyses=[{**x, "studies": [{**s, "n1": None} if s is s0 else s
                                                                    for s in x["studies"]]} for x in ctx.analyses])
    _, counted, missing = analysed_participants(unknown)
    assert missing == [s0["study_id"]] and s0["study_id"] not in counted
    assert f"arm sizes not reported for {s0['label']}" in counts_line(unknown)


def test_the_flow_of_studies_has_an_audit_row_whose_groups_add_up_to_the_trials() -> None:
    ctx = _with_every_kind_of_trial()
    (row,) = [r for r in audit_rows(ctx) if r[1] == "trials, by what became of them (count)"]
    n = sum(1 for d in ctx.normalised if d["study"]["role"] == "trial")
    assert row[3] == n
    assert "result reported in words only (1): K (statements.csv:K#1)" in row[8]
    # A trial with no result row is traced to its arms.
    assert "no result rows entered (1): L (arms.csv row" in row[8]
    assert row[8].endswith(f" = {n} trials; printed in the flow of studies, in the evidence table")


def test_the_flow_and_limitations_say_a_trial_set_aside_has_an_effect_of_its_own(monkeypatch) -> None:
    # Four trials with change scores only, beside an SMD of final values: each has its own
    # SMD, printed beside the analysis, yet the flow table counted them "set aside for
    # their numbers (no usable effect size)" and the limitations as trials with no number.
    from metareview.report.flow import flow_section

    ctx = _set_aside_trials(monkeypatch, [{**P_FAVOURS_DN, "p_value": 0.2}], [{**P_FAVOURS_DN, "p_value": 0.3}])
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    r["value_type"] = "final"
    own = {"value_type": "change", "yi": -0.3, "vi": 0.02, "ci_lb": -0.58, "ci_ub": -0.02, "form": "arm-level means "
           "and SDs", "steps": [], "refs": []}

    def flow_row() -> str:
        text = " ".join(spaced(str(flow_section(ctx))).split())
        return next(x for x in text.split(" | Trials | ", 1)[1].split("| ") if x.startswith("set aside"))

    def limitation() -> str:
        return next(x for x in str(limitations_section(ctx)).splitlines() if "**Trials set aside**" in x)

    # Neither has an effect of its own: as before.
    assert flow_row() == "set aside for their numbers (no usable effect size) "
    assert "no usable estimate" in str(flow_section(ctx)) and "own" not in limitation()
    # One of the two: both kinds said, the second counted.
    next(e for e in r["excluded"] if e["study_id"] == "D")["own_effect"] = own
    assert flow_row() == ("set aside for their numbers (1 with no usable effect size; 1 with an effect that cannot be "
                          "pooled with the analysis\u2019s: change scores in an SMD of final values) ")
    assert "the trials that give no estimate an analysis pools are those set aside" in str(flow_section(ctx))
    assert ("Of the 2, 1 has an effect of its own that cannot be pooled with its analysis\u2019s (change scores in an "
            "SMD of final values), printed beside it.") in limitation()
    # Both: no word of "no usable effect size".
    for e in r["excluded"]:
        e["own_effect"] = own
    assert flow_row() == ("set aside: an effect that cannot be pooled with the analysis\u2019s (change scores in an SMD "
                          "of final values) ")
    assert ("Both have an effect of their own that cannot be pooled with their analysis\u2019s (change scores in an "
            "SMD of final values), printed beside it.") in limitation()
    # The audit row names the group as the table does.
    (row,) = [x for x in audit_rows(ctx) if x[1] == "trials, by what became of them (count)"]
    assert "set aside: an effect that cannot be pooled with the analysis\u2019s (change scores in an SMD of final " \
           "values) (2)" in row[8]


def test_the_sd_that_sets_smds_in_points_says_whether_it_is_of_changes() -> None:
    # An SD of changes from baseline is usually smaller than one of final values: the
    # sentence says which it re-expresses with.
    from metareview.report.overview import points_sd_text

    ctx = context()
    label = {d["study"]["study_id"]: d["study"]["label"] for d in ctx.normalised}

    def arm(sid: str, value_type: str) -> dict[str, Any]:
        return {"study_id": sid, "arm_label": "Sham acupuncture", "value_type": value_type}

    assert points_sd_text(ctx, {"sd": 3.1, "arms": [arm("A", "change")]}) == (
        f"the SD of the changes, 3.1 points, in the sham acupuncture arm of {label['A']}")
    assert points_sd_text(ctx, {"sd": 3.1, "arms": [arm("A", "final")]}) == (
        f"the SD of 3.1 points of the sham acupuncture arm of {label['A']}")
    assert points_sd_text(ctx, {"sd": 3.4, "arms": [arm("A", "change"), arm("B", "change")]}) == (
        f"the pooled SD of the changes, 3.4 points, in the comparator arms of {label['A']} (sham acupuncture) and "
        f"{label['B']} (sham acupuncture)")
    assert points_sd_text(ctx, {"sd": 3.4, "arms": [arm("A", "change"), arm("B", "final")]}) == (
        f"the pooled SD of 3.4 points of the comparator arms of {label['A']} (sham acupuncture, changes) and "
        f"{label['B']} (sham acupuncture)")


def test_published_smds_beside_a_mean_difference_are_set_in_its_points_with_a_comparator_sd() -> None:
    # A mean difference on the 0-10 scale from one trial (A, MD -0.50, 95% CI -1.40 to
    # 0.40), a review's SMD beside it: with A's comparator arm SD (2.0, n = 30, on the
    # common scale) the SMD is re-expressed in points and the intervals are compared, as
    # results on the analysis's own scale are (Cochrane Handbook 15.5.3.2).
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    m = {**r["external"][0], "comparable": False, "k_studies": None}
    a_effect = {**r["studies"][0], "yi": -0.5, "ci_lb": -1.4, "ci_ub": 0.4}
    md = {**r, "analysis": {**r["analysis"], "measure": "MD"}, "status": "single_study", "studies": [a_effect]}
    link = "[Published meta-analyses](#sec-external)"

    def texts(review: dict[str, Any], normalised: Any = None) -> tuple[str, str, list[list[Any]]]:
        c = dataclasses.replace(ctx, analyses=[{**md, "external": [review]} if x is r else x for x in ctx.analyses],
                                normalised=ctx.normalised if normalised is None else normalised)
        (point,) = [x for x in _treatment_overview(c, "acu").split("\n    - ") if x.startswith(("On ", "Published"))]
        return point, str(reviews_and_trials_text(c)), audit_rows(c)

    # SMD -0.40 (-0.60 to -0.20) x 2.0 = -0.8 (-1.2 to -0.4) points: inside the trial's interval.
    short, long, rows = texts({**m, "estimate": -0.4, "ci_lb": -0.6, "ci_ub": -0.2})
    label = next(s["label"] for s in r["studies"] if s["study_id"] == "A")
    source = f"the SD of 2.0 points of the sham acupuncture arm of {label}"
    assert (f"in this analysis\u2019s points, with {escape(source)}, the review\u2019s SMD is about \u22120.8 points "
            "(its interval \u22121.2 to \u22120.4), a rough conversion (an SD from one arm of one trial, where Cochrane "
            "Handbook 15.5.3.2 uses an SD of the measure itself); they can differ because the interval here "
            f"is too wide to tell the review\u2019s difference from none (see {link}).") in short
    assert "cannot be compared in size" not in short
    assert (f"but roughly re-expressed in its points with {escape(source)} (Cochrane Handbook 15.5.3.2 re-expresses "
            "with a typical SD of the measure itself; this is the SD in one arm of one trial, and each review "
            "standardised by its own trials\u2019 SDs)") in long
    assert ("SMD \u22120.40, 95% CI \u22120.60 to \u22120.20, about \u22120.8 points, \u22121.2 to \u22120.4); its "
            "interval holds the whole of that interval in points: too wide") in long
    assert "so the intervals cannot be set side by side" not in long
    # The audit trail traces the re-expressed review: A's comparator row, the SD, the product.
    (row,) = [x for x in rows if x[1] == "published SMD in this analysis's points"]
    assert row[0] == "acu_vs_sham" and row[2] == "M" and row[3] == pytest.approx(-0.8, abs=1e-12)
    assert "A arm c (arm_outcomes.csv row" in row[8] and "n = 30, SD = 2 on the common scale" in row[8]
    assert "published SMD \u22120.4 (\u22120.6 to \u22120.2) x 2 = \u22120.8 (\u22121.2 to \u22120.4) points" in row[8]

    # SMD -0.50 (-0.80 to -0.20) is -1.0 (-1.6 to -0.4) points: beyond the trial's lower
    # bound (-1.4). Whether intervals overlap is no test of a difference, and so rough a
    # conversion gives no difference with an interval to say instead: nothing compared.
    short, long, _ = texts({**m})
    assert short.endswith("(its interval \u22121.6 to \u22120.4), a rough conversion (an SD from one arm of one trial, "
                          f"where Cochrane Handbook 15.5.3.2 uses an SD of the measure itself) (see {link})."), short
    assert long.count("about \u22121.0 points, \u22121.6 to \u22120.4).") == 1, long
    # SMD -1.50 (-2.00 to -1.00) is -3.0 (-4.0 to -2.0) points: the intervals miss each
    # other, and still no comparison is drawn from the rough conversion.
    short, long, _ = texts({**m, "estimate": -1.5, "ci_lb": -2.0, "ci_ub": -1.0})
    assert "about \u22123.0 points, \u22124.0 to \u22122.0)." in long, long
    for text in (short, long):
        assert "overlap" not in text, text

    # No comparator arm's SD known: today's words, and nothing traced.
    without = [{**d, "arm_values": [v for v in d["arm_values"] if v["node"] != "sham"]} for d in ctx.normalised]
    short, long, rows = texts({**m, "estimate": -0.4, "ci_lb": -0.6, "ci_ub": -0.2}, without)
    assert short.endswith("the two cannot be compared in size, as no review\u2019s result is on this analysis\u2019s "
                          f"scale (see {link}).")
    assert "no review\u2019s result is on this analysis\u2019s measure and scale, so the intervals cannot be set side by side" in long
    assert not [x for x in rows if x[1] == "published SMD in this analysis's points"]


def test_heterogeneity_from_three_studies_or_fewer_is_said_to_be_unassessable() -> None:
    from metareview.report.sections import HETEROGENEITY_MAX_FEW, _few_studies_heterogeneity

    # Two trials whose tau^2 estimate is 0: no sign that they agree (Q on 1 df).
    two = {"k": 2, "tau2": 0.0, "method": "REML"}
    assert _few_studies_heterogeneity(two) == (" With 2 studies, heterogeneity cannot be assessed: τ² = 0 does not "
                                               "show that their effects agree.")
    # A tau^2 above 0 from three: an estimate, but a very imprecise one.
    assert _few_studies_heterogeneity({**two, "k": 3, "tau2": 0.4}).endswith("these estimates of it are very imprecise.")
    # An equal-effects model sets tau^2 to 0 itself: Q alone is said.
    assert "Q with so few degrees of freedom" in _few_studies_heterogeneity({**two, "method": "EE"})
    # From HETEROGENEITY_MAX_FEW + 1 studies, nothing is added.
    assert _few_studies_heterogeneity({**two, "k": HETEROGENEITY_MAX_FEW + 1}) == ""


def test_a_single_smd_trial_gives_its_own_mean_difference_in_its_instruments_points() -> None:
    from metareview.report.base import native_md, native_md_text

    # Cherkin 2009 against usual care: 6.3 (SD 5.7, n 158) vs 8.9 (SD 6.0, n 161) on the
    # RMDQ 0-23. metafor: escalc("MD", ...) gives yi -2.6, vi 0.4292353959, CI -3.8840911563
    # to -1.3159088437.
    s = {"yi": -0.443, "native_difference": {"difference": 2.6, "instrument": "Roland-Morris 0-23",
                                             "md": -2.6, "md_vi": 5.7**2 / 158 + 6.0**2 / 161}}
    est, lb, ub = native_md(s)
    assert est == pytest.approx(-2.6) and lb == pytest.approx(-3.8840911563, abs=1e-6)
    assert ub == pytest.approx(-1.3159088437, abs=1e-6)
    assert native_md_text(s) == ("the difference in final means, calculated here: \u22122.6 points (95% CI \u22123.9 to "
                                 "\u22121.3) on the Roland-Morris 0–23")
    # Means read outside the trial's report: said beside them, in one document or several.
    elsewhere = {**s, "read_elsewhere": [{"source_id": "a"}, {"source_id": "b"}]}
    assert native_md_text(elsewhere).endswith("0–23 (means read in documents other than the trial\u2019s report)")
    assert native_md_text({**elsewhere, "read_elsewhere": [{"source_id": "a"}]}).endswith(
        "(means read in a document other than the trial\u2019s report)")
    assert native_md_text(elsewhere, where=False).endswith("0–23")
    # Change scores are said as such.
    assert "difference in mean changes" in native_md_text({**s, "value_type": "change"})
    # The arms' changes from baseline, where the rows give them, beside the difference in
    # final means (Cherkin 2009 against usual care: 4.5 and 2.1 points), the verb once.
    moved = {**s, "native_difference": {**s["native_difference"],
                                        "change": {"intervention": 4.5, "comparator": 2.1, "refs": []}}}
    assert native_md_text(moved).endswith("0–23; from baseline, the intervention group improved by 4.5 and the "
                                          "comparator group by 2.1 points")
    assert native_md_text(moved, where=False).endswith("0–23")
    # Turned round, as the summary reads a swapped analysis.
    assert native_md(s, swapped=True) == pytest.approx((2.6, -ub, -lb))
    # A difference whose sign is not the SMD's (a reflected instrument): not given.
    assert native_md({**s, "yi": 0.443}) is None
    # Without the trial's own MD (arms combined on a side): nothing.
    assert native_md_text({**s, "native_difference": {"difference": 2.6, "instrument": "X"}}) == ""


def test_the_methods_say_how_arms_and_crossover_results_enter_an_analysis() -> None:
    # A statistician asks whether a multi-arm trial's shared comparator arm can count twice
    # and how a crossover trial's periods enter: said whatever the review's designs.
    plain = next(x for x in methods_section(context()).splitlines() if x.startswith("- **Designs**"))
    assert "Each trial enters an analysis at most once" in plain
    assert "never twice in one" in plain and "left out of an indirect comparison through its shared arm" in plain
    assert "A crossover trial\u2019s results enter as its rows give them" in plain


def test_a_funnel_plot_stands_beside_the_small_study_test() -> None:
    # Where the test of small-study effects runs, the reader of "t = -4.84 (df = 9),
    # p < 0.001" had no picture of where the asymmetry lies.
    reg = {"model": "rma", "predictor": "sei", "zval": -0.78, "tval": -0.78, "df": 11, "pval": 0.45,
           "slope": -0.76, "slope_se": 0.98, "tau2": 0.31}
    ctx = context()
    r = next(r for r in ctx.analyses if r["status"] == "pooled")
    aid = r["analysis"]["id"]
    # The fixture pools two trials: a test run at two studies stands in for one at ten.
    tested = {**r, "small_study_min": len(r["studies"]), "pooled": {**r["pooled"], "regtest": reg}}
    funnels = {aid: f"figures/{aid}.funnel.svg"}
    with_funnel = dataclasses.replace(ctx, analyses=[tested if x is r else x for x in ctx.analyses], funnels=funnels)
    text = str(results_section(with_funnel))
    test_at = text.index("Small-study effects (Egger-type regression test")
    funnel_at = text.index("![Funnel plot: ")
    assert test_at < funnel_at < text.index(f"(figures/{aid}.forest.svg)")
    figure_md = text[funnel_at:text.index("\n", funnel_at)]
    assert f"(figures/{aid}.funnel.svg){{#fig-{aid.replace('_', '-')}-funnel fig-alt=\"Funnel plot of the " in figure_md
    assert "publication bias is one cause among others" in figure_md
    # No funnel without the test's number of studies, nor without the file.
    fewer = {**tested, "small_study_min": len(r["studies"]) + 1}
    for other in (dataclasses.replace(with_funnel, funnels={}),
                  dataclasses.replace(with_funnel, analyses=[fewer if x is r else x for x in ctx.analyses])):
        assert "Funnel plot" not in str(results_section(other))


def test_the_funnel_plots_alt_text_counts_what_the_plot_shows() -> None:
    # Ten studies around a pooled SMD of -0.4: by hand, |yi + 0.4| > 1.96 sei for the
    # first (|-1.9 + 0.4| = 1.5 > 1.96 * 0.5 = 0.98) and the last (0.25 > 1.96 * 0.1);
    # the five least precise (sei 0.5, 0.45, 0.4, 0.35, 0.3) lie at -1.9, -1.0, -0.9, -0.2
    # and -0.8: four below -0.4, on acupuncture's side.
    yi = [-1.9, -1.0, -0.9, -0.2, -0.8, -0.5, -0.3, -0.45, -0.35, -0.15]
    sei = [0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.12, 0.1]
    analysis = {"id": "acupuncture_vs_sham_disability", "measure": "SMD", "intervention_label": "Acupuncture",
                "comparator_label": "Sham", "outcome_label": "Disability", "favours_intervention_when": "below"}
    result = {"analysis": analysis, "status": "pooled", "small_study_min": 10,
              "studies": [{"study_id": f"S{i}", "label": f"S{i}", "yi": y, "vi": s * s, "weight": 10.0}
                          for i, (y, s) in enumerate(zip(yi, sei, strict=True))],
              "pooled": {"estimate": -0.4, "level": 95.0, "k": 10}}
    assert plots.has_funnel(result)
    alt = funnel_alt(analysis, result)
    assert alt.startswith("Funnel plot of the 10 pooled studies: each study's SMD (horizontal axis) against its "
                          "standard error")
    assert "pooled estimate, \u22120.40 (dashed line)" in alt
    assert "2 of the 10 lie outside the region where 95% of studies would lie" in alt
    assert "Of the 5 least precise studies, 4 lie on the side of the pooled estimate more favourable to acupuncture." in alt
    assert not plots.has_funnel({**result, "small_study_min": 11})
