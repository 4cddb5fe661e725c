"""Unit tests for metareview.report's "What changed since the last build": the key
results of two builds compared, and what the report says of their differences.

The report contexts are built as in ``test_report.py``, whose helpers these tests share.
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

import pytest
from test_report import CONFIG, LABELS, NODE_LABEL, context, entry, keys_of, raw_tables, single

from metareview.indirect import indirect_comparison
from metareview.markdown import escape
from metareview.report import (
    CELLS_LIMIT,
    CHANGES_LIMIT,
    ReportContext,
    as_sentences,
    audit_rows,
    changes_section,
    ci_text,
    excluded_section,
    f2,
    indirect_section,
    kept_cells,
    key_results,
    methods_section,
    provenance_section,
    results_section,
    row_changes,
    shared_digests,
    study_digests,
    summary_section,
)
from metareview.report.overview import _treatment_overview
from metareview.report.tables import _fate


def test_what_changed_counts_only_the_studies_a_result_rests_on_as_leave_one_out_changes() -> None:
    # Key results from before the report told a study whose omission only widens the
    # interval (B) from one the result rests on (A) list both: compared with a build that
    # tells them apart, nothing changed, and nothing is said.
    labels = {"A": "Ames (2020)", "B": "Bell (2021)"}
    old = {**keys_of(x={**entry(-0.5), "sensitive_to": ["A", "B"]}), "study_labels": labels}
    new = {**keys_of(x={**entry(-0.5), "sensitive_to": ["A", "B"], "widened_by": ["B"]}), "study_labels": labels}
    assert "leave-one-out" not in changes_section(new, old)
    # Both recorded: A no longer moves the conclusion, B still only widens the interval.
    now = {**keys_of(x={**entry(-0.5), "sensitive_to": ["B"], "widened_by": ["B"]}), "study_labels": labels}
    assert ("**leave-one-out**: no single study's omission changes the conclusion any longer (leaving out Bell "
            "(2021) (B) widens the interval across no difference, though the estimate moves away from it)") in (
        changes_section(now, new))
    # B comes to move the conclusion: named.
    moved = {**keys_of(x={**entry(-0.5), "sensitive_to": ["A", "B"], "widened_by": []}), "study_labels": labels}
    assert "the conclusion has become sensitive to leaving out Ames (2020) (A) or Bell (2021) (B)" in (
        changes_section(moved, new))


def test_changes_say_risk_of_bias_recorded_for_a_study_added_and_a_judgement_that_changed() -> None:
    # A judgement moves no number: changed to high, What changed said only "No estimate,
    # interval or conclusion changed", though the report gives it beside the estimate.
    a = {**entry(-0.5), "studies": ["A", "B"]}
    labels = {"A": "Ames (2020)", "B": "Bell (2021)", "C": "Cole (2026)"}
    before = {**keys_of(x=a), "study_labels": labels, "risk_of_bias": {"A": "some_concerns"},
              "analysis_titles": {"x": "Dry needling vs Acupuncture: pain"}}
    now = {**before, "studies": ["A", "B", "C"], "analyses": {"x": {**a, "studies": ["A", "B", "C"]}},
           "risk_of_bias": {"A": "high", "C": "low"}}
    text = changes_section(now, before)
    assert "- Overall risk of bias recorded for the study added: Cole (2026) (C): low.\n" in text, text
    assert ("- Overall risk of bias changed, Ames (2020) (A): some concerns → high (it enters Dry needling vs "
            "Acupuncture: pain).\n") in text, text
    # Unchanged, or a last build that kept no judgements: nothing said.
    assert "risk of bias" not in changes_section(before, before)
    old = {k: v for k, v in before.items() if k != "risk_of_bias"}
    assert "risk of bias" not in changes_section(now, old)


def test_changes_name_the_steps_whose_code_changed() -> None:
    # A build from other code that prints the same numbers said "nothing changed", as if
    # the code were the same: the steps whose digests differ are named, with the files.
    code = {"analyse": {"scripts/analyse.py": "a1", "src/metareview/pool.py": "p1"},
            "assemble_report": {"src/metareview/report/changes.py": "c1"}, "check_claims": {"scripts/check_claims.py": "k1"}}
    edited = {**code, "analyse": {**code["analyse"], "src/metareview/pool.py": "p2"},
              "assemble_report": {"src/metareview/report/changes.py": "c2"}}
    before = dict(keys_of(a=entry(-0.5)), code=code, built={"date": "2026-11-30", "commit": "481a7c8e06d5"})
    text = changes_section(dict(keys_of(a=entry(-0.5)), code=edited), before)
    assert text == ("Compared with the build of 2026-11-30 from source commit `481a7c8`:\n\n"
                    "- Code changed: the steps `analyse` and `assemble_report` (src/metareview/pool.py, "
                    "src/metareview/report/changes.py; `results/code/*.sha256`).\n"
                    "- No estimate, interval or conclusion changed.\n")
    # One step, one file added to it: "step", and the file named.
    grown = {**code, "check_claims": {**code["check_claims"], "src/metareview/fmt.py": "f1"}}
    assert "- Code changed: the step `check_claims` (src/metareview/fmt.py; " in changes_section(
        dict(keys_of(a=entry(-0.5)), code=grown), before)
    # The same code, a step only one build has, or key results from before the code was
    # kept: nothing said of it.
    assert "Code changed" not in changes_section(dict(keys_of(a=entry(-0.5)), code=code), before)
    extra = {**code, "compare_indirect": {"scripts/compare_indirect.py": "i1"}}
    assert "Code changed" not in changes_section(dict(keys_of(a=entry(-0.5)), code=extra), before)
    assert "Code changed" not in changes_section(dict(keys_of(a=entry(-0.5)), code=edited), keys_of(a=entry(-0.5)))
    # With a number that moved, the line comes before the results, as a cause.
    moved = changes_section(dict(keys_of(a=entry(-0.6)), code=edited), before).splitlines()
    assert moved[2].startswith("- Code changed:") and moved[3].startswith("- `a`:") and len(moved) == 4


def test_key_results_keep_the_code_of_each_step() -> None:
    code = {"analyse": {"scripts/analyse.py": "a1"}}
    assert key_results(dataclasses.replace(context(), code=code))["code"] == code
    assert "code" not in key_results(context())


def test_changes_first_build_and_no_change() -> None:
    # In a reader's words; the file an auditor looks for is named in the provenance.
    assert changes_section(keys_of(a=entry(-0.5)), None) == (
        "There is no earlier build to compare with: this is the report's first build, or the record of the last one "
        "was removed (see the provenance).\n")
    same = keys_of(a=entry(-0.5))
    assert changes_section(same, keys_of(a=entry(-0.5))) == (
        "No study, estimate, setting or conclusion changed since the previous build.\n")
    # a move that does not show at two decimals is not a change
    assert "No study" in changes_section(keys_of(a=entry(-0.5021)), keys_of(a=entry(-0.5)))


def test_changes_say_which_build_they_compare_with() -> None:
    from metareview.report import compared_with
    from metareview.report.sections import _compared_with_line
    built = {"date": "2026-11-30", "commit": "481a7c8e06d5a1b2c3d4e5f60718293a4b5c6d7e"}
    before = {**keys_of(a=entry(-0.5)), "built": built}
    # Its date and short commit open the section, before the list of changes.
    text = changes_section(keys_of(a=entry(-0.8, -1.2, -0.4)), before)
    assert text.startswith("Compared with the build of 2026-11-30 from source commit `481a7c8`:\n\n- ")
    assert changes_section(keys_of(a=entry(-0.5)), before) == (
        "No study, estimate, setting or conclusion changed since the build of 2026-11-30 from source commit "
        "`481a7c8`.\n")
    # Edits not yet committed, a checkout that is not a git one, key results that do not say.
    assert compared_with({"built": {**built, "commit": "481a7c8e06d5 + uncommitted changes"}}) == (
        "the build of 2026-11-30 from source commit `481a7c8` + uncommitted changes")
    assert compared_with({"built": {**built, "commit": "unknown (not a git checkout)"}}) == (
        "the build of 2026-11-30 (source commit: unknown (not a git checkout))")
    assert compared_with(keys_of(a=entry(-0.5))) == ""
    assert not changes_section(keys_of(a=entry(-0.8, -1.2, -0.4)), keys_of(a=entry(-0.5))).startswith("Compared")
    # The provenance names the file the key results were read from, for an auditor.
    assert "`results/history/key_results.json`" in _compared_with_line(None)
    assert _compared_with_line(before) == ("- **Compared with**: the build of 2026-11-30 from source commit `481a7c8`, "
                                           "by its key results in `results/history/key_results.json`.\n")


def test_the_warnings_table_names_the_cell_with_the_reports_quotes() -> None:
    from metareview.report import warnings_section

    ctx = context()
    doc = dict(ctx.normalised[0])
    doc["warnings"] = [{"check": "ci_not_centred", "ref": "contrasts.csv:A#1", "file": "contrasts.csv",
                        "column": "ci_lb", "message": "expected x, found y", "related": []}]
    text = str(warnings_section(dataclasses.replace(ctx, normalised=[doc, *ctx.normalised[1:]])))
    assert "column \u2018ci\\_lb\u2019: expected x, found y" in text and "column \\'" not in text


def test_a_warnings_letter_makes_it_no_other_warning_than_the_last_builds() -> None:
    from metareview.checks import warnings_note
    from metareview.report import warnings_section

    ctx = context()
    doc = dict(ctx.normalised[0])
    doc["warnings"] = [{"check": "ci_not_centred", "ref": "contrasts.csv:A#1", "file": "contrasts.csv",
                        "column": "ci_lb", "message": "expected x, found y", "related": []}]
    before = dataclasses.replace(ctx, normalised=[doc, *ctx.normalised[1:]])
    # ci_lb the third column of the file as read: C, in the table and in the key results.
    now = dataclasses.replace(before, raw_headers={"contrasts": ["study_id", "estimate", "ci_lb"]})
    assert "column \u2018ci\\_lb\u2019 (C): expected x, found y" in str(warnings_section(now))
    was_w, now_w = key_results(before)["warnings"], key_results(now)["warnings"]
    [(key, text)] = [(k, t) for k, t in now_w.items() if k.startswith("ci_not_centred ")]
    assert ", column 'ci_lb' (C): expected x" in text and "(C)" not in was_w[key]
    # The same warnings by key: a build from before letters neither sets off nor settles one.
    assert now_w.keys() == was_w.keys()
    assert "consistency" not in changes_section(dict(keys_of(a=entry(-0.5)), warnings=now_w),
                                                dict(keys_of(a=entry(-0.5)), warnings=was_w)).lower()
    assert "none new since the last build" in warnings_note(now_w, was_w)
    assert "no longer raised" not in warnings_note(now_w, was_w)
    # Settled, it is named by its cell with the letter it had.
    settled = changes_section(dict(keys_of(a=entry(-0.5)), warnings={}), dict(keys_of(a=entry(-0.5)), warnings=now_w))
    assert "no longer raised: " in settled and "contrasts.csv:A\\#1, column \u2018ci\\_lb\u2019 (C)." in settled


def test_the_warnings_table_names_a_source_no_table_cites_by_its_row() -> None:
    from metareview.report import consistency_warnings, warnings_section

    ctx = context()
    tables = {**ctx.raw_tables, "sources": [{"source_id": "cited"}, {"source_id": "forgotten"}],
              "studies": [{"study_id": "A", "source_id": "cited"}]}
    numbers = {**ctx.raw_row_numbers, "sources": [2, 3]}
    rows = consistency_warnings(dataclasses.replace(ctx, raw_tables=tables, raw_row_numbers=numbers))
    [(label, text, key)] = [r for r in rows if "forgotten" in r[1]]
    # Named by the document it is about, as the other rows are by their study.
    assert label == "Source document forgotten" and key == "uncited_source sources.csv:forgotten source_id"
    assert text.startswith("sources.csv, row 3 (forgotten), column 'source_id': expected a document that a row")
    # The table's heading names what its first column holds, and What changed the same.
    ctx = dataclasses.replace(ctx, raw_tables=tables, raw_row_numbers=numbers)
    section = str(warnings_section(ctx))
    assert "| Study or source | Warning |" in section and "| Source document forgotten |" in section
    assert "Sources" not in section
    assert key_results(ctx)["warnings"][key].startswith("Source document forgotten: sources.csv, row 3")


def test_the_warnings_table_lists_a_stale_codebook_under_its_name() -> None:
    from metareview.report import consistency_warnings, warnings_section

    ctx = context()
    assert not any(key == "stale_codebook" for _, _, key in consistency_warnings(ctx))
    note = ("the codebook data/raw/README.md is not what the schemas in config/schemas/raw/ give (...); "
            "`.venv/bin/metareview codebook --out data/raw/README.md` writes it again")
    ctx = dataclasses.replace(ctx, codebook_note=note)
    assert consistency_warnings(ctx)[-1] == ("Codebook", note, "stale_codebook")
    section = str(warnings_section(ctx))
    assert "| Study or file | Warning |" in section and "| Codebook |" in section
    assert "a codebook the schemas have moved on from" in section
    # In the key results, so that the end of the build names it among the new warnings.
    assert key_results(ctx)["warnings"]["stale_codebook"] == f"Codebook: {note}"


def test_changes_name_new_consistency_warnings_by_their_rows_not_their_numbers() -> None:
    was = {"sd A#1": "A: arm_outcomes.csv, row 9 (A#1), column 'sd': expected at most 5, found 7"}
    now = {"sd A#1": "A: arm_outcomes.csv, row 10 (A#1), column 'sd': expected at most 5, found 7",
           "n B#2": "B: contrasts.csv, row 4 (B#2), column 'n_total': expected 60 at most n_total, found 50"}
    text = changes_section(dict(keys_of(a=entry(-0.5)), warnings=now), dict(keys_of(a=entry(-0.5)), warnings=was))
    # The warning whose row moved down is the same one; only B's is new.
    assert "- New consistency warning (@tbl-warnings): B: contrasts.csv, row 4" in text
    assert "row 10" not in text and "no longer raised" not in text
    text = changes_section(dict(keys_of(a=entry(-0.5)), warnings={}), dict(keys_of(a=entry(-0.5)), warnings=now))
    # Each settled warning by where it was (the last build's row), not a bare count that
    # leaves a team unable to tell whether the one it meant to settle went.
    assert ("- Consistency warnings of the last build no longer raised: A: arm\\_outcomes.csv, row 10 (A\\#1), "
            "column \u2018sd\u2019; B: contrasts.csv, row 4 (B\\#2), column \u2018n\\_total\u2019.") in text
    assert "expected" not in text and "New consistency" not in text
    # Key results from before warnings were kept: nothing said either way.
    text = changes_section(dict(keys_of(a=entry(-0.5)), warnings=now), keys_of(a=entry(-0.5)))
    assert "consistency" not in text.lower()


def test_changes_end_a_new_warning_that_asks_a_question_with_its_question_mark() -> None:
    asks = {"uncited x": "Source document x: sources.csv, row 11 (x), column 'source_id': expected a document that a row of "
                         "another table cites, found 'x' cited by none: rows still to be entered from it, or a "
                         "document no longer needed?"}
    text = changes_section(dict(keys_of(a=entry(-0.5)), warnings=asks), dict(keys_of(a=entry(-0.5)), warnings={}))
    [line] = [x for x in text.splitlines() if "New consistency" in x]
    assert line.endswith("a document no longer needed?")


def test_changes_cut_a_settled_warning_not_worded_by_its_cell_at_a_word() -> None:
    from metareview.report import CELL_TEXT_LIMIT

    # One result printed by several studies: no "expected" to cut before.
    long = "A; B; C: the same estimate and confidence bounds in 3 studies: " + "A (contrasts.csv row 7); " * 8
    text = changes_section(dict(keys_of(a=entry(-0.5)), warnings={}),
                           dict(keys_of(a=entry(-0.5)), warnings={"repeated x": long}))
    [line] = [x for x in text.splitlines() if "no longer raised" in x]
    quoted = line.split("raised: ", 1)[1]
    assert quoted.startswith("A; B; C: the same estimate") and quoted.endswith("\u2026.")
    assert len(quoted) <= CELL_TEXT_LIMIT * 3 + 1 and "row 7); A (" in quoted and ";\u2026" not in quoted


def test_changes_quote_a_new_warnings_cells_as_the_warnings_table_does() -> None:
    # The key results keep the terminal's straight quotes; the report prints ‘’ in the
    # table, and printed column \'mean\' in What changed for the same warning.
    now = {"mean A#1": "A: arm_outcomes.csv, row 61 (A#1), column 'mean': expected the value (mean 3.16) among "
                       "the numbers of the row\u2019s quote",
           "uncited s": "Source document old_page: sources.csv, row 25 (old_page), column 'source_id': expected a document that a "
                        "study's row cites, found 'old_page' cited by none"}
    text = changes_section(dict(keys_of(a=entry(-0.5)), warnings=now), dict(keys_of(a=entry(-0.5)), warnings={}))
    assert "column \u2018mean\u2019: expected the value" in text
    assert "found \u2018old\\_page\u2019 cited by none" in text
    # An apostrophe is not a quote.
    assert "a study\u2019s row" in text and "'" not in text


def test_changes_added_and_removed_studies() -> None:
    now = keys_of(a=entry(-0.5))
    before = dict(keys_of(a=entry(-0.5)), studies=["A", "Old_1"])
    text = changes_section(now, before)
    assert "- Studies added: B.\n" in text
    assert "- Studies removed: Old\\_1." in text
    # By the label the rest of the report uses, with the raw tables' id.
    now["study_labels"] = {"A": "Smith (2001)", "B": "Jones et al. (2020)"}
    before["study_labels"] = {"A": "Smith (2001)", "Old_1": "Old_1"}
    text = changes_section(now, before)
    assert "- Studies added: Jones et al. (2020) (B).\n" in text
    assert "- Studies removed: Old\\_1." in text


def test_changes_an_estimate_that_appeared_or_went_away() -> None:
    # A second study makes an analysis poolable: the new estimate and what it says.
    one = dict(entry(None, status="single_study", k=1), study_effect=-0.3)
    text = changes_section(keys_of(a=entry(-0.61, -1.2, -0.02, k=2)), keys_of(a=one))
    assert text == ("- `a`: now pooled: 2 studies (was one study, not pooled); estimate \u22120.61 "
                    "(\u22121.20 to \u22120.02): the confidence interval lies wholly on one side of no difference (favours intervention).\n")
    # A study removed: the estimate that is gone.
    text = changes_section(keys_of(a=one), keys_of(a=entry(-0.61, -1.2, 0.4, k=2)))
    assert text == ("- `a`: now one study, not pooled (was pooled: 2 studies); no pooled estimate "
                    "(was \u22120.61, \u22121.20 to 0.40).\n")


def test_changes_flag_a_side_that_turned_when_a_trial_is_pooled_with_another_or_taken_out() -> None:
    # One trial's interval wholly on the intervention's side, then the pooled interval
    # wholly on the comparator's: significant both times, and the line read as numbers
    # that moved, with no flag; two estimates, or two effects of one study, that turn so
    # are flagged.
    one = dict(entry(None, status="single_study", k=1), studies=["A"], study_effect=-0.5, ci_lb=-0.9, ci_ub=-0.1,
               significant=True, direction="favours intervention")
    pooled = dict(entry(0.6, 0.2, 1.0, k=2), studies=["A", "B"])
    assert changes_section(keys_of(a=pooled), keys_of(a=one)) == (
        "- `a`: now pooled: 2 studies (was one study, not pooled), with B added; **conclusion changed**: estimate "
        "0.60 (0.20 to 1.00) in place of the effect of A alone (−0.50, −0.90 to −0.10): the confidence interval "
        "lies wholly on one side of no difference (favours comparator).\n")
    assert changes_section(keys_of(a=one), keys_of(a=pooled)) == (
        "- `a`: now one study, not pooled (was pooled: 2 studies), without B; **conclusion changed**: study effect "
        "of A −0.50 (−0.90 to −0.10): the confidence interval lies wholly on one side of no difference (favours "
        "intervention); no pooled estimate (was 0.60, 0.20 to 1.00).\n")
    # Compatible with no difference both times, the point estimate on the other side.
    one = dict(one, study_effect=-0.3, ci_ub=0.3, significant=False)
    pooled = dict(entry(0.2, -0.5, 0.9, k=2), studies=["A", "B"])
    assert changes_section(keys_of(a=pooled), keys_of(a=one)).endswith(
        "in place of the effect of A alone (−0.30, −0.90 to 0.30): the confidence interval is compatible with no "
        "difference; **direction changed**: the point estimate has moved to the side of comparator.\n")
    assert changes_section(keys_of(a=one), keys_of(a=pooled)).endswith(
        "; **direction changed**: the point estimate has moved to the side of intervention.\n")
    # On the same side: no flag.
    assert "changed**" not in changes_section(keys_of(a=dict(pooled, estimate=-0.2, direction="favours intervention")),
                                              keys_of(a=one))


def test_changes_name_the_study_left_when_a_pooled_estimate_loses_one() -> None:
    # Two trials pooled, one of them removed: the effect that now stands for the analysis
    # is the other trial's, and the line says whose, not only whose went.
    pooled = dict(entry(0.15, -1.18, 1.48, k=2), studies=["Cherkin2009", "Kwon2007"])
    one = dict(entry(None, status="single_study", k=1), studies=["Kwon2007"], study_effect=0.05,
               ci_lb=-0.52, ci_ub=0.62, significant=False, direction="favours comparator")
    labels = {"Cherkin2009": "Cherkin et al. (2009)", "Kwon2007": "Kwon et al. (2007)"}
    text = changes_section(dict(keys_of(a=one), study_labels=labels), dict(keys_of(a=pooled), study_labels=labels))
    assert "without Cherkin et al. (2009); study effect of Kwon et al. (2007) 0.05 (\u22120.52 to 0.62)" in text
    # A study added to an empty analysis is named once, as added.
    empty = dict(entry(None, status="no_usable_study", k=0), studies=[])
    text = changes_section(dict(keys_of(a=one), study_labels=labels), dict(keys_of(a=empty), study_labels=labels))
    assert (", with Kwon et al. (2007) added; **conclusion changed**: an estimate where there was none, study "
            "effect 0.05 (") in text


def test_key_results_keep_why_an_analysis_set_a_trial_aside() -> None:
    # The reason as the table of trials that could not be used gives it, for What changed.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "dn_vs_sham")
    r = {**r, "excluded": [{"study_id": "C", "label": "Trial C", "reason": "only a p-value reported", "refs": []}]}
    ctx = dataclasses.replace(ctx, analyses=[r if x["analysis"]["id"] == "dn_vs_sham" else x for x in ctx.analyses])
    entry = key_results(ctx)["analyses"]["dn_vs_sham"]
    assert entry["excluded"] == ["C"] and entry["excluded_reasons"] == {"C": "only a p-value reported"}
    assert "| Trial C | Dry needling vs Sham (pain) | only a p-value reported |" in str(excluded_section(ctx))


def test_changes_name_a_trial_an_analysis_now_sets_aside() -> None:
    # A trial added whose pain row gives a median without its quartiles: the pain analysis
    # sets it aside, and What changed named it nowhere, as if it never reached the analysis.
    labels = {"Nowak2024": "Nowak et al. (2024)", "Meng2003": "Meng et al. (2003)"}
    empty = dict(entry(None, status="no_usable_study", k=0), studies=[], excluded=["Meng2003"], set_aside={})
    now = dict(empty, excluded=["Meng2003", "Nowak2024"])
    text = changes_section(dict(keys_of(a=now), study_labels=labels), dict(keys_of(a=empty), study_labels=labels))
    assert text == ("- `a`: Nowak et al. (2024) set aside (the table of trials that could not be used says why).\n")
    # One set aside for its value type is given once, with its own effect.
    own = {"value_type": "change", "effect": -0.98, "ci_lb": -1.59, "ci_ub": -0.38}
    text = changes_section(dict(keys_of(a=dict(now, set_aside={"Nowak2024": own})), study_labels=labels),
                           dict(keys_of(a=empty), study_labels=labels))
    assert "(the table of trials" not in text and "Nowak et al. (2024), set aside, its own effect given beside it" in text
    # A trial the analysis used and now sets aside (its row edited) is not "without" it:
    # it is still a candidate.
    one = dict(entry(None, status="single_study", k=1), studies=["Nowak2024"], excluded=["Meng2003"], set_aside={},
               study_effect=-0.6, ci_lb=-1.44, ci_ub=0.24, significant=False, direction="favours intervention")
    text = changes_section(dict(keys_of(a=now), study_labels=labels), dict(keys_of(a=one), study_labels=labels))
    assert ", with Nowak et al. (2024) set aside (the table of trials that could not be used says why)" in text
    assert "without" not in text and text.count("set aside") == 1
    # The reason the table of trials that could not be used gives, inline: "the table says
    # why" sent a reader to look it up.
    why = {"Nowak2024": "timepoint 16 weeks is outside the window of 1 to 12 weeks"}
    text = changes_section(dict(keys_of(a=dict(now, excluded_reasons=why)), study_labels=labels),
                           dict(keys_of(a=one), study_labels=labels))
    assert (", with Nowak et al. (2024) (timepoint 16 weeks is outside the window of 1 to 12 weeks) set aside;"
            in text)
    assert "the table of trials" not in text
    text = changes_section(dict(keys_of(a=dict(now, excluded_reasons={"Nowak2024": "SD missing."})),
                                study_labels=labels), dict(keys_of(a=empty), study_labels=labels))
    assert text == "- `a`: Nowak et al. (2024) (SD missing) set aside.\n"
    # Key results from before the set-aside trials were kept: nothing to compare with.
    old = {k: v for k, v in empty.items() if k not in ("excluded", "set_aside")}
    text = changes_section(dict(keys_of(a=now), study_labels=labels), dict(keys_of(a=old), study_labels=labels))
    assert "set aside" not in text


def test_changes_name_published_reviews_added_to_or_gone_from_an_analysis() -> None:
    now = keys_of(a={**entry(-0.4, -0.9, -0.1), "external": ["M", "Z"]})
    now["study_labels"] = {"Z": "Zhang et al. (2024)", "M": "Review M"}
    before = keys_of(a={**entry(-0.4, -0.9, -0.1), "external": ["M"]})
    assert changes_section(now, before) == ("- `a`: published results of Zhang et al. (2024) added.\n")
    assert "published results of Zhang et al. (2024) no longer shown" in changes_section(before | {"study_labels": now["study_labels"]},
                                                                     now)
    # Key results kept before the list was: nothing is said.
    older = keys_of(a=entry(-0.4, -0.9, -0.1))
    assert "published results" not in changes_section(now, older)


@pytest.mark.parametrize("clauses, sentences", [
    ("", ""),
    # Split at "; " outside brackets only: a parenthesis and a link keep theirs.
    ("; with 2 studies (a; b) it is wide; see [x; y](#z)", " With 2 studies (a; b) it is wide. See [x; y](#z)."),
    # An escaped bracket is text; a clause ending in an abbreviation takes no second stop.
    ("; a \\( b; in Cherkin et al.", " A \\( b. In Cherkin et al."),
])
def test_caveats_become_sentences(clauses: str, sentences: str) -> None:
    assert as_sentences(clauses) == sentences


def test_a_pooled_estimate_s_line_gives_the_estimate_first_and_each_caveat_as_a_sentence() -> None:
    ctx = context()  # acu_vs_sham: k = 2, Hartung-Knapp, a study of another population
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    r["studies"][1]["population_fit"] = "broader"
    line = next(x for x in str(summary_section(ctx)).splitlines() if "k = 2" in x).split(" [Published")[0]
    # The estimate and what its interval shows, then one sentence per caveat, where one
    # sentence of a dozen clauses ran on before.
    first, _, rest = line.partition("; k = 2); ")[2].partition(". ")
    assert first.startswith("the confidence interval is compatible with no difference")
    assert rest.startswith("With 2 studies the interval takes its width")
    assert rest.count(". ") >= 1 and ". " + escape(r["studies"][1]["label"]) + " enrolled a broader" in line
    assert line.endswith(".") and "; with 2 studies" not in line


def test_a_t_based_interval_on_few_studies_is_said_to_be_wide_by_construction() -> None:
    ctx = context()  # acu_vs_sham: k = 2, Hartung-Knapp
    line = next(x for x in str(summary_section(ctx)).splitlines() if "k = 2" in x)
    assert (". With 2 studies the interval takes its width from a t distribution on 1 degree of freedom (critical "
            "value 12.71, against 1.96 for a single trial's interval here), wider than any of its studies' own "
            "intervals") in line
    # Studies that agree closely can give a Hartung-Knapp interval narrower than theirs:
    # then there is nothing to explain.
    r0 = next(x for x in ctx.analyses if x["status"] == "pooled")
    narrow = {**r0, "pooled": {**r0["pooled"], "ci_lb": -0.47, "ci_ub": -0.34}}
    # (the indirect comparison built on the wide one, which says what it owes to it, aside)
    plain = [{**x, "anchored": [{k: v for k, v in c.items() if k != "equal_effects"} for c in x["anchored"]]}
             for x in ctx.indirect]
    assert "degree of freedom" not in str(summary_section(dataclasses.replace(
        ctx, analyses=[narrow if x is r0 else x for x in ctx.analyses], indirect=plain)))
    # Four studies, or a z-based interval: nothing to say.
    r = next(x for x in ctx.analyses if x["status"] == "pooled")
    four = {x: v for x, v in r["pooled"].items() if x != "equal_effects"}
    for pooled in ({**four, "k": 4, "df": 3}, {**r["pooled"], "test": "z", "df": None}):
        other = dataclasses.replace(ctx, analyses=[{**x, "pooled": pooled} if x is r else x for x in ctx.analyses],
                                    indirect=plain)
        assert "degree of freedom" not in str(summary_section(other))
    # Three studies at 90%: t on 2 df.
    three = dataclasses.replace(ctx, analyses=[{**x, "pooled": {**r["pooled"], "k": 3, "df": 2, "level": 90.0}}
                                               if x is r else x for x in ctx.analyses])
    assert "on 2 degrees of freedom (critical value 2.92, against 1.64" in str(summary_section(three))


def test_a_pooled_interval_on_one_df_has_the_equal_effects_estimate_beside_it() -> None:
    from metareview.report.audit import EQUAL_EFFECTS_QUANTITY

    ctx = context()  # acu_vs_sham: k = 2, Hartung-Knapp (t on 1 df)
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    p, ee = r["pooled"], r["pooled"]["equal_effects"]
    assert p["df"] == 1 and ee["method"] == "EE" and ee["ci_ub"] - ee["ci_lb"] < p["ci_ub"] - p["ci_lb"]
    said = (f"an equal-effects (common-effect) model gives SMD {f2(ee['estimate'])} (95% CI "
            f"{ci_text(ee['ci_lb'], ee['ci_ub'])})")
    why = ("the Hartung-Knapp interval on 2 studies is very wide, and the equal-effects one, which assumes a single "
           "true effect, too narrow if the trials' true effects differ (Cochrane Handbook 10.10.4)")
    # In the summary's line of the result and in the analysis's section, a sentence each.
    line = next(x for x in str(summary_section(ctx)).splitlines() if "k = 2" in x)
    assert f". As a sensitivity analysis, {said}, " in line and why in line
    section = str(results_section(ctx))
    assert f". As a sensitivity analysis, {said}, " in section and why in section
    # The methods say when it is given, and why.
    methods = str(methods_section(ctx))
    assert ("With 2 studies the interval is on t with 1 degree of freedom (critical value 12.71), too wide to inform "
            "whatever the two show: an equal-effects (common-effect) estimate") in methods
    # A review that pools 3 studies or more has no such interval: not described.
    three = dataclasses.replace(ctx, config={**ctx.config, "methods": {**ctx.config["methods"], "min_studies": 3}})
    assert "With 2 studies the interval" not in str(methods_section(three))
    # Traced in the audit trail, with a variance and the steps to recompute it.
    row = next(x for x in audit_rows(ctx) if x[1] == EQUAL_EFFECTS_QUANTITY)
    assert row[0] == "acu_vs_sham" and row[3] == ee["estimate"] and row[4] == pytest.approx(ee["se"] ** 2)
    assert row[7] == "rma(method=EE, test=z)" and "weights 1/vi (tau2 fixed at 0)" in row[8]
    assert "critical value z(0.975) = 1.95996" in row[8]
    # A z-based model has no interval on t: no estimate beside it, no word of it anywhere.
    z = context(methods={**CONFIG["methods"], "test": "z"})
    assert all("equal_effects" not in (x["pooled"] or {}) for x in z.analyses)
    assert "equal-effects" not in str(summary_section(z)) + str(results_section(z)) + str(methods_section(z))
    assert not any(x[1] == EQUAL_EFFECTS_QUANTITY for x in audit_rows(z))


def test_an_interval_on_one_df_that_holds_no_difference_is_said_to_be_too_wide_to_inform() -> None:
    from metareview.report.overview import _interval_shows

    a = {"intervention_label": "Acupuncture", "comparator_label": "Sham", "favours_intervention_when": "below"}
    pooled = {"estimate": 0.15, "ci_lb": -1.18, "ci_ub": 1.48, "k": 2, "df": 1, "test": "adhoc"}
    assert str(_interval_shows(a, 0.15, pooled)) == (
        "the confidence interval is compatible with no difference but too wide to inform (t on 1 degree of "
        "freedom, point estimate on the side of sham)")
    # The caller's next clause gives t on 1 df: not said twice.
    assert str(_interval_shows(a, 0.15, pooled, explained=True)) == (
        "the confidence interval is compatible with no difference but too wide to inform (point estimate on the "
        "side of sham)")
    # On 2 df, a z test, or one study's own interval: as before.
    for other in ({**pooled, "df": 2, "k": 3}, {**pooled, "df": None, "test": "z"},
                  {"estimate": 0.15, "ci_lb": -1.18, "ci_ub": 1.48}):
        assert str(_interval_shows(a, 0.15, other)) == (
            "the confidence interval is compatible with no difference (point estimate on the side of sham)")
    # Wholly on one side, it informs: nothing added.
    assert str(_interval_shows(a, -0.5, {**pooled, "ci_lb": -0.9, "ci_ub": -0.1})) == (
        "the whole confidence interval favours acupuncture")
    # The summary and the section say it of the example's two studies.
    ctx = context()
    assert "compatible with no difference but too wide to inform" in str(summary_section(ctx))
    assert "compatible with no difference but too wide to inform (t on 1 degree of freedom" in str(results_section(ctx))


def _one_then_two(flip: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """Key results of one trial's effect, then of it pooled with a second on t with 1 df."""
    one = dict(entry(None, status="single_study", k=1), studies=["A"], study_effect=-1.16,
               ci_lb=-2.2, ci_ub=-0.11 if flip else 0.3, significant=flip,
               direction="favours intervention", favoured="Dry needling")
    pooled = dict(entry(-0.84, -5.03, 3.35, k=2), studies=["A", "B"], test="adhoc", df=1, favoured="Dry needling",
                  equal_effects={"estimate": -0.84, "ci_lb": -1.48, "ci_ub": -0.19, "significant": True,
                                 "direction": "favours intervention", "favoured": "Dry needling"})
    return one, pooled


def test_changes_say_when_t_on_one_df_widened_an_interval_and_changed_its_conclusion() -> None:
    one, pooled = _one_then_two(flip=True)
    text = changes_section(keys_of(a=pooled), keys_of(a=one))
    assert "**conclusion changed**: estimate −0.84 (−5.03 to 3.35) in place of the effect of A alone" in text
    assert ("; the interval is wider because the analysis is now a 2-study Hartung-Knapp estimate (t, 1 df) "
            "instead of one trial (normal interval); an equal-effects model gives −0.84 (−1.48 to −0.19): the "
            "confidence interval lies wholly on one side of no difference (favours dry needling), so the method "
            "(t on 1 df), not the trial added, changed the conclusion.") in text
    # Two trials added at once: t on 2 df, said as it is.
    three = dict(pooled, k=3, df=2, studies=["A", "B", "C"])
    assert ("a 3-study Hartung-Knapp estimate (t, 2 df)" in (text := changes_section(keys_of(a=three), keys_of(a=one)))
            and "so the method (t on 2 df), not the trial added" in text)
    # No conclusion changed: the cause is said, not that the method changed it.
    one, pooled = _one_then_two(flip=False)
    text = changes_section(keys_of(a=pooled), keys_of(a=one))
    assert "instead of one trial (normal interval)" in text and "changed the conclusion" not in text
    # Back to one trial: narrower, and why.
    assert ("the interval is narrower because the analysis is now one trial (normal interval) instead of a 2-study "
            "Hartung-Knapp estimate (t, 1 df)") in changes_section(keys_of(a=one), keys_of(a=pooled))
    # Widened by less than half, a z test, or key results from before the test was kept: nothing.
    for now in (dict(pooled, ci_lb=-2.2, ci_ub=0.8), dict(pooled, test="z", df=None),
                {x: v for x, v in pooled.items() if x not in ("test", "df")}):
        assert "the interval is wider because" not in changes_section(keys_of(a=now), keys_of(a=one))


def test_changes_name_each_analysis_by_what_it_compares_beside_its_id() -> None:
    now = keys_of(a=entry(-0.61, -1.2, -0.02, k=2))
    now["analysis_names"] = {"a": "Acupuncture vs Sham (pain)"}
    now["study_labels"] = {"A": "Study A"}
    line = changes_section(now, keys_of(a=entry(-0.61, -1.2, 0.4, k=2))).splitlines()[0]
    assert line.startswith("- `a` (Acupuncture vs Sham (pain)): ")
    # A removed analysis by the name the previous build kept.
    before = {**keys_of(a=entry(-0.5), b=entry(-0.4)), "analysis_names": {"b": "Dry needling vs Sham (pain)"}}
    # With what it had found, which the report no longer says.
    assert ("- Analysis `b` (Dry needling vs Sham (pain)) removed (it had found: 3 studies pooled, estimate \u22120.40 "
            "(\u22121.00 to \u22120.10): the confidence interval lies wholly on one side of no difference (favours "
            "intervention)).") in changes_section(keys_of(a=entry(-0.5)), before)
    gone = {**keys_of(a=entry(-0.5), b=entry(None, status="no_studies", k=0))}
    assert "- Analysis `b` removed (it had found: no usable study)." in changes_section(keys_of(a=entry(-0.5)), gone)


def test_a_single_trials_own_risk_difference_is_given_beside_the_derived_one() -> None:
    from metareview.report.base import _reported_rd_clause

    a = {"intervention": "acu", "comparator": "uc", "outcome": "responder", "measure": "RR"}
    s = {"study_id": "H", "timepoint_weeks": 26.0}
    rd = {"measure": "RD", "node1": "acu", "node2": "uc", "outcome": "responder", "timepoint_weeks": 26.0,
          "estimate": 0.202, "ci_lb": 0.134, "ci_ub": 0.267}
    ctx = dataclasses.replace(context(), normalised=[{"study": {"study_id": "H", "label": "Haake"},
                                                      "contrasts": [rd]}])
    assert _reported_rd_clause(ctx, a, s) == ("; the trial\u2019s own risk difference, from its own analysis, is 202 "
                                              "more per 1,000 (134 more to 267 more)")
    # Reported the other way round (usual care minus acupuncture): turned.
    turned = {**rd, "node1": "uc", "node2": "acu", "estimate": -0.202, "ci_lb": -0.267, "ci_ub": -0.134}
    ctx = dataclasses.replace(ctx, normalised=[{"study": {"study_id": "H", "label": "Haake"}, "contrasts": [turned]}])
    assert "202 more per 1,000 (134 more to 267 more)" in _reported_rd_clause(ctx, a, s)
    # Another week, or a difference analysis: nothing to add.
    assert _reported_rd_clause(ctx, a, {**s, "timepoint_weeks": 12.0}) == ""
    assert _reported_rd_clause(ctx, {**a, "measure": "RD"}, s) == ""


def test_a_difference_per_1000_gives_the_cells_its_comparator_risk_came_from() -> None:
    # Haake 2007 (GERAC): 47.6% of 387 and 27.4% of 388 responders, 184 and 106 events.
    # The difference per 1,000 takes its comparator risk, 106/388 = 0.273196, from the
    # usual-care row: its audit row names that row and the cells read there, as the study
    # effect's row does, so that the 273 per 1,000 can be followed to "percent = 27.4".
    from metareview.report.audit import _absolute_audit_row

    a = {"id": "acu_vs_uc_resp", "intervention": "acu", "comparator": "uc", "outcome": "responder", "measure": "RR",
         "intervention_label": "Acupuncture", "comparator_label": "Usual care"}
    yi, se = math.log((184 / 387) / (106 / 388)), math.sqrt(1 / 184 - 1 / 387 + 1 / 106 - 1 / 388)
    s = {"study_id": "H", "yi": yi, "ci_lb": yi - 1.959964 * se, "ci_ub": yi + 1.959964 * se,
         "events1": 184, "n1": 387, "events2": 106, "n2": 388,
         "refs": ["arm_outcomes.csv:H#1", "arm_outcomes.csv:H#2"]}
    raw = [{"study_id": "H", "arm_id": "verum", "value_type": "percent_responders", "n": 387, "percent": 47.6},
           {"study_id": "H", "arm_id": "conv", "value_type": "percent_responders", "n": 388, "percent": 27.4}]
    ctx = dataclasses.replace(context(), raw_rows={"arm_outcomes.csv:H#1": ("arm_outcomes.csv", 7),
                                                   "arm_outcomes.csv:H#2": ("arm_outcomes.csv", 9)},
                              raw_tables={"arm_outcomes": raw}, raw_row_numbers={"arm_outcomes": [7, 9]})
    row = _absolute_audit_row(ctx, {"status": "single_study", "analysis": a, "studies": [s]})
    assert row is not None
    # 1,000 x 0.273196 x (RR 1.740334 - 1) = 202.256 more per 1,000.
    assert row[3] == pytest.approx(1000 * 106 / 388 * ((184 / 387) / (106 / 388) - 1))
    assert row[5] == "arm_outcomes.csv row 7; arm_outcomes.csv row 9"
    assert row[6] == ("arm_outcomes.csv row 7: value_type = percent_responders, n = 387, percent = 47.6; "
                      "arm_outcomes.csv row 9: value_type = percent_responders, n = 388, percent = 27.4")
    assert row[8].startswith("comparator risk = H 106/388 = 0.273196; ")


def test_a_single_trials_own_risk_difference_has_its_audit_row() -> None:
    # Haake 2007 (GERAC) reports verum minus conventional therapy as 20.2% (13.4% to
    # 26.7%): the report prints it as 202 more per 1,000 (134 more to 267 more), so the
    # audit trail traces it to its raw row: 0.202 x 1,000 = 202, 0.134 x 1,000 = 134.
    from metareview.report.audit import _reported_rd_audit_row

    a = {"id": "acu_vs_uc_resp", "intervention": "acu", "comparator": "uc", "outcome": "responder", "measure": "RR",
         "intervention_label": "Acupuncture", "comparator_label": "Usual care"}
    # The trial's arms, 184/387 and 106/388 responders: the report prints a difference per
    # 1,000 from their risk ratio, and the trial's own difference beside it.
    yi, se = math.log((184 / 387) / (106 / 388)), math.sqrt(1 / 184 - 1 / 387 + 1 / 106 - 1 / 388)
    s = {"study_id": "H", "timepoint_weeks": 26.0, "yi": yi, "ci_lb": yi - 1.959964 * se, "ci_ub": yi + 1.959964 * se,
         "events2": 106, "n2": 388}
    raw = {"study_id": "H", "arm1": "verum", "arm2": "conv", "measure": "RD", "estimate": 0.202, "ci_lb": 0.134,
           "ci_ub": 0.267, "sign_convention": "arm1_minus_arm2"}
    rd = {"ref": "contrasts.csv:H#1", "measure": "RD", "node1": "acu", "node2": "uc", "outcome": "responder",
          "timepoint_weeks": 26.0, "estimate": 0.202, "ci_lb": 0.134, "ci_ub": 0.267}
    ctx = dataclasses.replace(context(), normalised=[{"study": {"study_id": "H", "label": "Haake"}, "contrasts": [rd]}],
                              raw_rows={"contrasts.csv:H#1": ("contrasts.csv", 9)},
                              raw_tables={"contrasts": [raw]}, raw_row_numbers={"contrasts": [9]})
    row = _reported_rd_audit_row(ctx, {"status": "single_study", "analysis": a, "studies": [s]})
    assert row is not None
    assert row[:6] == ["acu_vs_uc_resp", "trial's own risk difference per 1,000", "H", pytest.approx(202.0), None,
                       "contrasts.csv row 9"]
    assert row[6] == ("contrasts.csv row 9: measure = RD, estimate = 0.202, ci_lb = 0.134, ci_ub = 0.267, "
                      "sign_convention = arm1_minus_arm2")
    assert "× 1,000 = 202 (134 to 267) per 1,000" in row[8]
    # Reported the other way round (usual care minus acupuncture): turned, and said so.
    turned = {**rd, "node1": "uc", "node2": "acu", "estimate": -0.202, "ci_lb": -0.267, "ci_ub": -0.134}
    ctx = dataclasses.replace(ctx, normalised=[{"study": {"study_id": "H", "label": "Haake"}, "contrasts": [turned]}])
    row = _reported_rd_audit_row(ctx, {"status": "single_study", "analysis": a, "studies": [s]})
    assert row is not None and row[3] == pytest.approx(202.0)
    assert "sign reversed to intervention minus comparator; × 1,000 = 202 (134 to 267)" in row[8]
    # The evidence appendix says where the row went, rather than only that no RR came of it.
    single = {"status": "single_study", "analysis": a, "studies": [{**s, "refs": []}], "excluded": []}
    assert any(note.startswith("printed in `acu_vs_uc_resp` as the trial\u2019s own risk difference")
               for note in _fate(dataclasses.replace(ctx, analyses=[single]))["contrasts.csv:H#1"])
    # A pooled analysis prints no trial's own difference: no row.
    assert _reported_rd_audit_row(ctx, {"status": "pooled", "analysis": a, "studies": [s, s]}) is None


def test_a_treatment_that_is_only_ever_the_comparator_has_its_results_told() -> None:
    # Sham appears only as the comparator (acu vs sham, pooled): its account must not say
    # that no analysis has an estimate, and the sides swap (an interval favouring
    # acupuncture lies on the comparator's side, from sham's point of view).
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    clear = {**r, "pooled": {**r["pooled"], "estimate": -0.5, "ci_lb": -0.9, "ci_ub": -0.1}}
    ctx = dataclasses.replace(ctx, analyses=[clear if x is r else x for x in ctx.analyses])
    text = _treatment_overview(ctx, "sham")
    assert "no analysis has an estimate" not in text
    # Turned round, as sham against acupuncture: -0.5 (-0.9 to -0.1) reads 0.50 (0.10 to 0.90).
    assert text.startswith(f"Sham:\n  - Against {escape(NODE_LABEL)}:\n    - Pain: SMD 0.50 (95% CI 0.10 to 0.90; "
                           "pooled, k = 2), interval wholly on the comparator\u2019s side"), text


def test_labels_inside_a_sentence_keep_acronyms() -> None:
    from metareview.fmt import in_sentence as _in_sentence

    assert _in_sentence("Acupuncture") == "acupuncture"
    assert _in_sentence("TENS") == "TENS" and _in_sentence("PENS alone") == "PENS alone"
    assert _in_sentence("") == "" and _in_sentence("A") == "A"


def test_changes_name_studies_by_their_current_label() -> None:
    # A label corrected since the last build: the new one is used.
    now = keys_of(a={**entry(-0.4, -0.9, -0.1), "studies": ["W"], "external": []})
    now["study_labels"] = {"W": "Wong et al. (2020)"}
    before = keys_of(a={**entry(-0.4, -0.9, -0.1), "studies": [], "external": []})
    before["study_labels"] = {"W": "Wrng label 2020"}
    text = changes_section(now, before)
    assert "with Wong et al. (2020) added" in text and "Wrng" not in text


def test_changes_moved_estimate() -> None:
    text = changes_section(keys_of(a=entry(-0.40, -0.9, -0.1)), keys_of(a=entry(-0.50, -0.9, -0.1)))
    assert text == "- `a`: estimate \u22120.50 \u2192 \u22120.40.\n"
    text = changes_section(keys_of(a=entry(-0.40, -0.9, -0.05)), keys_of(a=entry(-0.50, -0.9, -0.1)))
    assert text == ("- `a`: estimate \u22120.50 \u2192 \u22120.40; interval \u22120.90 to \u22120.10 \u2192 "
                    "\u22120.90 to \u22120.05.\n")


def test_changes_an_interval_that_moved_alone() -> None:
    # Another CI method moves the interval, not the estimate: that is a change too.
    text = changes_section(keys_of(a=entry(-0.5, -1.2, 0.2)), keys_of(a=entry(-0.5, -0.9, -0.1)))
    assert text.startswith("- `a`: interval \u22120.90 to \u22120.10 \u2192 \u22121.20 to 0.20; "
                           "**conclusion changed**")
    # Ratios: the interval as printed (exponentiated).
    ratio = dict(entry(0.1, -0.2, 0.4), estimate_exp=1.105, ci_lb_exp=0.819, ci_ub_exp=1.492)
    before = dict(entry(0.1, -0.1, 0.3), estimate_exp=1.105, ci_lb_exp=0.9, ci_ub_exp=1.35)
    assert changes_section(keys_of(a=ratio), keys_of(a=before)) == "- `a`: interval 0.90 to 1.35 \u2192 0.82 to 1.49.\n"
    # Key results that kept a ratio's interval on the log scale only: not compared.
    older = {k: v for k, v in before.items() if k not in ("ci_lb_exp", "ci_ub_exp")}
    assert "No study" in changes_section(keys_of(a=dict(ratio, ci_lb=-0.1, ci_ub=0.3)), keys_of(a=older))


def test_changes_are_what_the_report_prints() -> None:
    # Bounds that moved by more than 0.005 but print the same: no change.
    assert "No study" in changes_section(keys_of(a=entry(-0.5, -1.0, 1.6849)), keys_of(a=entry(-0.5, -1.0, 1.679)))
    # A sign that flipped, however little the estimate moved: its estimates are shown.
    text = changes_section(keys_of(a=entry(0.001, -0.5, 0.5)), keys_of(a=entry(-0.002, -0.5, 0.5)))
    assert text == ("- `a`: estimate 0.00 \u2192 0.00; **direction changed**: the point estimate has moved to the side of "
                    "comparator.\n")


def test_changes_stay_short_when_every_analysis_moved() -> None:
    # A change of method moves every analysis: conclusions that changed keep their line,
    # the rest are counted once there are more than CHANGES_LIMIT of them.
    before = keys_of(**{f"a{i:02d}": entry(-0.5) for i in range(13)})
    now = keys_of(**{f"a{i:02d}": entry(-0.4) for i in range(12)}, a12=entry(-0.4, -0.9, 0.1))
    text = changes_section(now, before)
    assert text.splitlines() == [
        ("- `a12`: estimate \u22120.50 \u2192 \u22120.40; interval \u22121.00 to \u22120.10 \u2192 \u22120.90 to "
         "0.10; **conclusion changed**: the confidence interval is compatible with no difference."),
        "- Estimates or intervals moved, with the same conclusion, in 12 analyses: "
        + ", ".join(f"`a{i:02d}`" for i in range(10)) + " and 2 more (see the results).",
    ]
    # By what each compares, its id after it, where the key results give titles.
    titled = {**now, "analysis_titles": {f"a{i:02d}": f"Acupuncture vs Sham: pain, week {i}" for i in range(13)}}
    last = changes_section(titled, before).splitlines()[-1]
    assert last.startswith("- Estimates or intervals moved, with the same conclusion, in 12 analyses: Acupuncture vs "
                           "Sham: pain, week 0 (`a00`); Acupuncture vs Sham: pain, week 1 (`a01`); "), last
    assert last.endswith("; and 2 more (see the results)."), last
    # Up to the limit, each has its line.
    now = keys_of(**{f"a{i:02d}": entry(-0.4) for i in range(10)})
    assert len(changes_section(now, keys_of(**{f"a{i:02d}": entry(-0.5) for i in range(10)})).splitlines()) == 10


def test_study_digests_follow_each_studys_own_rows() -> None:
    tables = raw_tables()
    before = study_digests(tables)
    assert set(before) == {"A", "B", "C", "G", "M"}
    # An edited value changes its study's digest only.
    edited = {**tables, "arm_outcomes": [dict(r) for r in tables["arm_outcomes"]]}
    edited["arm_outcomes"][0]["sd"] = 2.5  # study A
    after = study_digests(edited)
    assert {sid for sid in before if before[sid] != after[sid]} == {"A"}
    assert {f for f in before["A"] if before["A"][f] != after["A"][f]} == {"arm_outcomes.csv"}
    # A row of another study inserted before A's rows changes nothing of A's.
    inserted = {**tables, "arm_outcomes": [{**tables["arm_outcomes"][2], "mean": 9.9}, *tables["arm_outcomes"]]}
    after = study_digests(inserted)
    assert {sid for sid in before if before[sid] != after[sid]} == {"B"}


def test_changes_a_pooled_studys_effect_that_moved_alone() -> None:
    # An SD corrected in one trial: its row of the study table moves (Hedges' g 0.05 →
    # 0.04) while the pooled estimate prints the same; What changed must not say that
    # nothing moved.
    def pooled(g: float, lb: float) -> dict[str, Any]:
        return {**entry(0.15, -1.18, 1.48, k=2), "studies": ["A", "B"],
                "study_effects": {"A": {"value_type": "final", "effect": 0.17, "ci_lb": -0.05, "ci_ub": 0.39},
                                  "B": {"value_type": "final", "effect": g, "ci_lb": lb, "ci_ub": 0.62}}}

    now, before = keys_of(a=pooled(0.044, -0.528)), keys_of(a=pooled(0.0486, -0.524))
    now["study_labels"] = {"B": "Kwon et al. (2007)"}
    assert changes_section(now, before) == (
        "- `a`: Kwon et al. (2007), its effect 0.05 → 0.04, interval −0.52 to 0.62 → −0.53 to 0.62.\n")
    # Unchanged at two decimals: no change.
    assert "No study" in changes_section(keys_of(a=pooled(0.0441, -0.528)), keys_of(a=pooled(0.0438, -0.5281)))
    # The pooled interval moved too (another level): it comes first, so that an
    # "interval" after a study's name is that study's.
    wider = {**pooled(0.044, -0.528), "ci_lb": -1.5}
    assert changes_section(keys_of(a=wider), keys_of(a=pooled(0.0486, -0.524))) == (
        "- `a`: interval \u22121.18 to 1.48 \u2192 \u22121.50 to 1.48; B, its effect 0.05 \u2192 0.04, interval "
        "\u22120.52 to 0.62 \u2192 \u22120.53 to 0.62.\n")
    # Key results from before study effects were kept: nothing to compare.
    older = {k: v for k, v in pooled(0.0486, -0.524).items() if k != "study_effects"}
    assert "No study" in changes_section(keys_of(a=pooled(0.044, -0.528)), keys_of(a=older))


def test_a_trial_entered_twice_is_a_consistency_warning() -> None:
    # A study's rows copied under a second id: every analysis would count the trial twice.
    from metareview.report import consistency_warnings
    ctx = context()
    doc = next(d for d in ctx.normalised if len({v["arm_id"] for v in d["arm_values"]}) > 1)
    assert not any("the same numbers for every arm" in w for _, w, _ in consistency_warnings(ctx))
    twin = {**doc, "study": {**doc["study"], "study_id": "Twin", "label": "Twin et al."}}
    found = [w for _, w, key in consistency_warnings(dataclasses.replace(ctx, normalised=[*ctx.normalised, twin]))
             if key.startswith("repeated_arms")]
    assert len(found) == 1 and found[0].startswith("the same numbers for every arm at one timepoint in 2 studies: ")
    assert "Twin et al." in found[0] and "counts twice in every analysis it enters" in found[0]


def test_a_study_added_to_a_pooled_analysis_comes_with_its_effect() -> None:
    # A third trial pooled with two: "with Wu (2022) added" alone left the team to find the
    # number it entered in the study table; its effect is given beside its name.
    def pooled(*sids: str) -> dict[str, Any]:
        effects = {"A": {"value_type": "final", "effect": 0.17, "ci_lb": -0.05, "ci_ub": 0.39},
                   "B": {"value_type": "final", "effect": -0.3, "ci_lb": -0.7, "ci_ub": 0.1},
                   "W": {"value_type": "final", "effect": -1.1, "ci_lb": -1.9, "ci_ub": -0.3}}
        return {**entry(0.15, -1.18, 1.48, k=len(sids)), "studies": list(sids),
                "study_effects": {sid: effects[sid] for sid in sids}}

    now, before = keys_of(a=pooled("A", "B", "W")), keys_of(a=pooled("A", "B"))
    now["study_labels"] = {"W": "Wu et al. (2022)"}
    assert ("- `a`: now 3 studies (was 2 studies), with Wu et al. (2022) added (its effect −1.10, −1.90 to −0.30).\n"
            == changes_section(now, before))
    # A study taken out is named alone: its effect is no longer in the report.
    assert "without Wu et al. (2022);" not in changes_section(before, now)
    assert "- `a`: now 2 studies (was 3 studies), without W.\n" == changes_section(before, keys_of(a=pooled("A", "B", "W")))


def test_an_analysis_line_says_now_once() -> None:
    # "now pooled: 2 studies (was one study, not pooled); now with Bee et al. (2020) (its
    # effect ...)" said "now" twice, and "no pooled estimate now" or "**conclusion
    # changed**: now ..." a third time: the status and count say it once, the studies that
    # came or went hang on that clause, and the rest is said by "→", "(was ...)" or the flag.
    effects = {"A": {"value_type": "final", "effect": -0.51, "ci_lb": -1.39, "ci_ub": 0.37},
               "B": {"value_type": "final", "effect": -1.4, "ci_lb": -2.3, "ci_ub": -0.5},
               "C": {"value_type": "final", "effect": 0.17, "ci_lb": -0.05, "ci_ub": 0.39}}

    def pooled(est: float, lb: float, ub: float, *sids: str) -> dict[str, Any]:
        return {**entry(est, lb, ub, k=len(sids)), "studies": list(sids), "measure": "MD",
                "study_effects": {sid: effects[sid] for sid in sids}}

    def one(sid: str) -> dict[str, Any]:
        e = effects[sid]
        return {**single(e["effect"], e["ci_lb"], e["ci_ub"], study=sid), "measure": "MD", "excluded": []}

    labels = {"A": "Ay et al. (2006)", "B": "Bee et al. (2020)", "C": "Cee et al. (2009)"}

    def line(now: dict[str, Any], before: dict[str, Any]) -> str:
        text = changes_section({**keys_of(a=now), "study_labels": labels}, {**keys_of(a=before), "study_labels": labels})
        return text.splitlines()[0]

    # A second trial: pooled for the first time, the trial added in the same clause.
    first = line(pooled(-0.95, -6.6, 4.7, "A", "B"), one("A"))
    assert first == ("- `a`: now pooled: 2 studies (was one study, not pooled), with Bee et al. (2020) added (its "
                     "effect MD −1.40, −2.30 to −0.50); pooled MD −0.95 (−6.60 to 4.70) in place of the effect of Ay et "
                     "al. (2006) alone (−0.51, −1.39 to 0.37): the confidence interval is compatible with no "
                     "difference.")
    assert "; now with" not in first and "(was the effect of" not in first
    # A third: "now 3 studies (was 2 studies), with ... added".
    third = line(pooled(-0.6, -1.9, 0.7, "A", "B", "C"), pooled(-0.95, -6.6, 4.7, "A", "B"))
    assert third.startswith("- `a`: now 3 studies (was 2 studies), with Cee et al. (2009) added (its effect MD 0.17, "
                            "−0.05 to 0.39); pooled MD −0.95 → −0.60; ")
    # One taken out, the other left alone: the pooled estimate gone without a second "now".
    back = line(one("A"), pooled(-0.95, -6.6, 4.7, "A", "B"))
    assert back == ("- `a`: now one study, not pooled (was pooled: 2 studies), without Bee et al. (2020); study effect "
                    "of Ay et al. (2006) MD −0.51 (−1.39 to 0.37): the confidence interval is compatible with no "
                    "difference; no pooled estimate (was MD −0.95, −6.60 to 4.70).")
    # The pooling threshold raised above the same two studies: the count once, "still".
    raised = line({**pooled(-0.95, -6.6, 4.7, "A", "B"), "status": "not_poolable", "estimate": None},
                  pooled(-0.95, -6.6, 4.7, "A", "B"))
    assert raised == "- `a`: now not poolable (was pooled), still 2 studies; no pooled estimate (was MD −0.95, −6.60 to 4.70)."
    # One trial in place of another among the same number: "still", with both named.
    swapped = line(pooled(-0.6, -1.9, 0.7, "A", "C"), pooled(-0.95, -6.6, 4.7, "A", "B"))
    assert swapped.startswith("- `a`: still 2 studies, with Cee et al. (2009) added (its effect MD 0.17, −0.05 to 0.39) "
                              "and without Bee et al. (2020); ")
    # A trial the analysis now sets aside, and a side that turned on pooling.
    aside = line({**one("A"), "excluded": ["B"]}, pooled(-0.95, -6.6, 4.7, "A", "B"))
    assert ", with Bee et al. (2020) set aside (the table of trials that could not be used says why);" in aside
    turned = line(pooled(0.2, -0.5, 0.9, "A", "C"), one("A"))
    assert turned.endswith("**direction changed**: the point estimate has moved to the side of comparator.")
    for text in (first, third, back, raised, swapped, aside, turned):
        assert len(re.findall(r"\bnow\b", text)) <= 1, text


def test_studies_named_together_in_the_changes_read_as_a_list() -> None:
    # "with A (its effect …), B (its effect …) added" read as a list cut short: the last
    # trial after "and", as every list of studies in the section.
    def pooled(*sids: str) -> dict[str, Any]:
        effects = {"A": {"value_type": "final", "effect": 0.17, "ci_lb": -0.05, "ci_ub": 0.39},
                   "V": {"value_type": "final", "effect": -0.4, "ci_lb": -0.9, "ci_ub": 0.1},
                   "W": {"value_type": "final", "effect": -1.1, "ci_lb": -1.9, "ci_ub": -0.3}}
        return {**entry(0.15, -1.18, 1.48, k=len(sids)), "studies": list(sids),
                "study_effects": {sid: effects[sid] for sid in sids}}

    now, before = keys_of(a=pooled("A", "V", "W")), keys_of(a=pooled("A"))
    now["study_labels"] = {"V": "Vu et al. (2021)", "W": "Wu et al. (2022)"}
    assert ("with Vu et al. (2021) (its effect −0.40, −0.90 to 0.10) and Wu et al. (2022) (its effect −1.10, "
            "−1.90 to −0.30) added") in changes_section(now, before)
    assert ", without V and W.\n" in changes_section(before, keys_of(a=pooled("A", "V", "W")))
    # Studies added to the review, three of them: "A, B and C".
    added = changes_section({**now, "studies": ["A", "V", "W", "X"]}, {**before, "studies": ["A"]})
    assert "- Studies added: Vu et al. (2021) (V), Wu et al. (2022) (W) and X.\n" in added
    # A label with a comma of its own: semicolons between the items, as join_list sets them.
    now["study_labels"] = {"V": "Vu et al. (2021), authors unverified", "W": "Wu et al. (2022)"}
    assert ("with Vu et al. (2021), authors unverified (its effect −0.40, −0.90 to 0.10); and Wu et al. (2022) "
            "(its effect −1.10, −1.90 to −0.30) added") in changes_section(now, before)


def test_changes_name_the_measure_of_an_estimate_that_appeared_or_changed_measure() -> None:
    # A second trial pooled with the first gave "estimate −0.75 (−4.34 to 2.85)", where a
    # moved pooled estimate reads "pooled MD": the measure is what says the number is in
    # points of the scale. An analysis's measure set from SMD to MD gave "study effect
    # −0.44 → −11.30", two numbers of different units read as one moved a long way.
    one = {**entry(None, status="single_study", k=1), "study_effect": -0.9, "ci_lb": -1.61, "ci_ub": -0.19,
           "significant": True, "direction": "favours intervention", "measure": "MD"}
    pooled = {**entry(-0.75, -4.34, 2.85, k=2), "measure": "MD"}
    text = changes_section(keys_of(a=pooled), keys_of(a=one))
    assert text.startswith("- `a`: now pooled: 2 studies (was one study, not pooled); **conclusion changed**: pooled MD "
                           "−0.75 (−4.34 to 2.85) in place of one study's effect (−0.90, −1.61 to −0.19): ")
    # The measure changed: each number by its own.
    smd = {**one, "study_effect": -0.44, "ci_lb": -0.63, "ci_ub": -0.26, "measure": "SMD"}
    md = {**one, "study_effect": -11.3, "ci_lb": -15.99, "ci_ub": -6.62}
    assert changes_section(keys_of(a=md), keys_of(a=smd)) == (
        "- `a`: study effect SMD −0.44 → MD −11.30; interval −0.63 to −0.26 → −15.99 to −6.62.\n")
    assert "pooled SMD −0.50 → MD −5.00;" in changes_section(
        keys_of(a={**entry(-5.0, -9.0, -1.0), "measure": "MD"}), keys_of(a={**entry(-0.5), "measure": "SMD"}))
    # A pooled estimate gone, by its measure too.
    assert "no pooled estimate (was MD −0.75, −4.34 to 2.85)" in changes_section(keys_of(a=one), keys_of(a=pooled))
    # The same measure: said once, before the numbers, as a pooled estimate's is; key
    # results kept before the measure was: the numbers alone.
    assert "study effect MD −0.90 → −0.80." in changes_section(keys_of(a={**one, "study_effect": -0.8}), keys_of(a=one))
    older = {k: v for k, v in smd.items() if k != "measure"}
    assert "study effect −0.44 → −11.30;" in changes_section(keys_of(a=md), keys_of(a=older))


def test_a_single_study_effect_says_its_measure_units_and_side() -> None:
    # "study effect −0.85 (−1.70 to 0.00)" beside "study effect −0.35 (−0.81 to 0.10)": an MD
    # on 0 to 10 and an SMD read alike, and neither said which arm −0.85 favours.
    def one(effect: float, lb: float, ub: float, favoured: str, measure: str = "MD") -> dict[str, Any]:
        return {**single(effect, lb, ub), "measure": measure, "favoured": favoured,
                **({"units": "points on the 0 to 10 scale"} if measure == "MD" else {})}

    # TEST 2099's VAS 0-100 effect on the 0 to 10 scale: MD -0.85 (-1.704 to 0.004) in R.
    before = one(-0.85, -1.704, 0.004, "Dry needling")
    now = one(-0.60, -1.40, 0.20, "Dry needling")
    assert changes_section(keys_of(a=now), keys_of(a=before)) == (
        "- `a`: study effect MD \u22120.85 \u2192 \u22120.60 points on the 0 to 10 scale (point estimate on the "
        "side of dry needling); interval \u22121.70 to 0.00 \u2192 \u22121.40 to 0.20.\n")
    # Wholly on one side in both builds: the side it favours, as the report says it.
    both = one(-0.90, -1.60, -0.20, "Dry needling"), one(-0.80, -1.50, -0.10, "Dry needling")
    assert changes_section(keys_of(a=both[1]), keys_of(a=both[0])).startswith(
        "- `a`: study effect MD \u22120.90 \u2192 \u22120.80 points on the 0 to 10 scale (favours dry needling); ")
    # What it shows changed: the note that flags it names the side, not the number's clause.
    wholly = one(-0.85, -1.60, -0.10, "Dry needling")
    text = changes_section(keys_of(a=wholly), keys_of(a=now))
    assert text == ("- `a`: study effect MD \u22120.60 \u2192 \u22120.85 points on the 0 to 10 scale; interval "
                    "\u22121.40 to 0.20 \u2192 \u22121.60 to \u22120.10; **conclusion changed**: the confidence interval "
                    "lies wholly on one side of no difference (favours dry needling).\n")
    # An SMD has no units; a study effect new to the analysis says its measure too.
    smd = one(-0.35, -0.81, 0.10, "Dry needling", measure="SMD")
    labels = {"study_labels": {"A": "Testfirst (2099)"}}
    fresh = changes_section({**keys_of(a=smd), **labels}, {**keys_of(a=entry(None, status="no_studies", k=0)), **labels})
    assert "study effect SMD \u22120.35 (\u22120.81 to 0.10): the confidence interval is compatible" in fresh
    # A study of a pooled analysis: "its effect 0.05 → 0.03" by its measure.
    def pooled(effect: float) -> dict[str, Any]:
        return {**entry(0.15, -1.18, 1.48, k=2), "studies": ["A", "B"], "measure": "SMD",
                "study_effects": {"A": {"value_type": "final", "effect": 0.17, "ci_lb": -0.05, "ci_ub": 0.39},
                                  "B": {"value_type": "final", "effect": effect, "ci_lb": -0.52, "ci_ub": 0.62}}}
    assert changes_section(keys_of(a=pooled(0.03)), keys_of(a=pooled(0.05))) == (
        "- `a`: B, its effect SMD 0.05 \u2192 0.03.\n")


def test_the_key_results_keep_what_an_mds_numbers_are_in() -> None:
    analyses = [{**a, "measure": "MD"} if a["id"] == "acu_vs_sham" else a for a in CONFIG["analyses"]]
    kept = key_results(context(analyses=analyses))["analyses"]
    # The outcome's common scale, 0 to 10 in the config; an SMD has none.
    assert kept["acu_vs_sham"]["units"] == "points on the 0 to 10 scale"
    assert "units" not in kept["dn_vs_sham"]


def test_changes_a_pooled_estimate_that_replaced_one_studys_effect() -> None:
    # A second trial pooled with the first: the new estimate, the effect it replaces, and
    # a conclusion changed where the one trial's interval excluded no difference and the
    # pooled one does not.
    one = {**entry(None, status="single_study", k=1), "study_effect": -0.95, "ci_lb": -1.81, "ci_ub": -0.09,
           "significant": True, "direction": "favours intervention"}
    text = changes_section(keys_of(a=entry(-0.74, -4.71, 3.24, k=2)), keys_of(a=one))
    assert text == ("- `a`: now pooled: 2 studies (was one study, not pooled); **conclusion changed**: estimate "
                    "−0.74 (−4.71 to 3.24) in place of one study's effect (−0.95, −1.81 to −0.09): the confidence "
                    "interval is compatible with no difference.\n")
    # Said once: the number that changed the conclusion says what it shows.
    assert text.count("compatible with no difference") == 1 and "(was one study's effect" not in text
    # Which study's effect it was, by name, where the key results say: the analysis now
    # holds two, and "one study's effect" leaves the reader to find which.
    named = dict(keys_of(a={**one, "studies": ["B"]}), study_labels={"B": "Bee et al. (2020)"})
    pooled = dict(keys_of(a={**entry(-0.74, -4.71, 3.24, k=2), "studies": ["B", "W"]}),
                  study_labels={"B": "Bee et al. (2020)", "W": "Wu et al. (2022)"})
    assert ("in place of the effect of Bee et al. (2020) alone (−0.95, −1.81 to −0.09)"
            in changes_section(pooled, named))
    # And back: one of the two taken out leaves a trial whose interval excludes it.
    assert "**conclusion changed**: study effect −0.95 (−1.81 to −0.09): the confidence interval lies wholly on one side" in changes_section(
        keys_of(a=one), keys_of(a=entry(-0.74, -4.71, 3.24, k=2)))


def test_changes_a_single_studys_effect() -> None:
    def single(yi: float) -> dict[str, Any]:
        return {**entry(None, status="single_study", k=1), "study_effect": yi}

    assert changes_section(keys_of(a=single(-0.42)), keys_of(a=single(-0.44))) == (
        "- `a`: study effect \u22120.44 \u2192 \u22120.42.\n")
    assert "No study" in changes_section(keys_of(a=single(-0.441)), keys_of(a=single(-0.438)))


def test_tables_of_no_one_study_have_a_digest_each() -> None:
    tables = {**raw_tables(), "instruments": [{"instrument": "VAS", "scale_max": 10}], "risk_of_bias": []}
    before = shared_digests(tables)
    assert set(before) == {"instruments.csv"}  # per-study tables and empty ones are not shared
    after = shared_digests({**tables, "instruments": [{"instrument": "VAS", "scale_max": 100}]})
    assert after["instruments.csv"] != before["instruments.csv"]
    now = dict(keys_of(a=entry(-0.5)), shared_data=after)
    assert changes_section(now, dict(keys_of(a=entry(-0.5)), shared_data=before)) == (
        "- Raw tables changed: instruments.csv.\n- No estimate, interval or conclusion changed.\n")


def test_a_trial_added_that_enters_no_analysis_is_said() -> None:
    # A trial typed with its weeks left empty enters no window: its addition moves nothing,
    # and the changes say that it enters no analysis rather than only that nothing moved.
    before = keys_of(a=entry(-0.5))
    now = dict(keys_of(a=entry(-0.5)), studies=["A", "B", "E", "F"], unused_trials=["E"],
               study_labels={"E": "Example et al. (2026)"})
    assert changes_section(now, before) == (
        "- Studies added: Example et al. (2026) (E) and F.\n"
        "- Trial added that enters no analysis: Example et al. (2026) (E); the evidence table says why.\n"
        "- No estimate, interval or conclusion changed.\n")
    # A trial that enters an analysis, or one that was there before, is not named.
    assert "enters no analysis" not in changes_section(dict(now, unused_trials=["B"]), before)
    # Set aside by the analyses it could enter: why, as the table of trials that could
    # not be used gives it. "The evidence table says why" sent a team to a table whose row
    # said "see the trials that could not be used, below".
    why = "timepoint given only as ‘after treatment’, not in weeks: placed in no window"
    assert changes_section(dict(now, unused_reasons={"E": [why]}), before).splitlines()[1] == (
        f"- Trial added that enters no analysis: Example et al. (2026) (E), set aside: {why}.")
    # Each such trial a line; one that no analysis set aside, as before.
    two = dict(now, unused_trials=["E", "F"], unused_reasons={"E": [why, "arm n not reported."]})
    assert changes_section(two, before).splitlines()[1:3] == [
        f"- Trial added that enters no analysis: Example et al. (2026) (E), set aside: {why}; arm n not reported.",
        "- Trial added that enters no analysis: F; the evidence table says why."]


def test_a_trial_still_in_no_analysis_whose_reasons_changed_says_how() -> None:
    # The arms' n entered for a trial set aside for three reasons: it stays out, for the
    # others and one the edit uncovered, and the edited cells alone did not say so.
    window = "timepoint 48 weeks is outside the window of 1 to 12 weeks"
    was = ["arm n not reported; only a p-value reported: no effect size or variance; " + window]
    now = ["only a p-value reported: no effect size or variance; " + window,
           "instrument range unknown: cannot express as MD on the common scale"]
    labels = {"H": "Hegu et al. (2019)"}
    before = dict(keys_of(a=entry(-0.5)), unused_trials=["H"], unused_reasons={"H": was}, study_labels=labels)
    after = dict(keys_of(a=entry(-0.5)), unused_trials=["H"], unused_reasons={"H": now}, study_labels=labels)
    assert changes_section(after, before) == (
        "- Trial still in no analysis, Hegu et al. (2019) (H): why it is set aside no longer reads “arm n not "
        "reported;” and now reads “…instrument range unknown: cannot express as MD on the common scale”.\n"
        "- No estimate, interval or conclusion changed.\n")
    # A reason gone, the last: the one before it, now the last, is not quoted as changed.
    assert changes_section(before, after).splitlines()[0] == (
        "- Trial still in no analysis, Hegu et al. (2019) (H): why it is set aside no longer reads “…instrument "
        "range unknown: cannot express as MD on the common scale” and now reads “arm n not reported;”.")
    # The same reasons in another order; a trial now used, or not in the last build's list;
    # key results from before the reasons were kept: nothing said.
    same = dict(after, unused_reasons={"H": list(reversed(now))})
    assert changes_section(same, after) == "No study, estimate, setting or conclusion changed since the previous build.\n"
    assert "still in no analysis" not in changes_section(dict(after, unused_trials=[]), before)
    assert "still in no analysis" not in changes_section(after, dict(before, unused_trials=[]))
    assert "still in no analysis" not in changes_section(after, {k: v for k, v in before.items()
                                                                 if k != "unused_reasons"})
    # A trial renamed is compared with itself under its new id.
    from metareview.report.changes import _as_renamed

    assert _as_renamed(before, after, [("H", "Y")])["unused_reasons"] == {"Y": was}
    # Many at once (a window widened in the config): counted.
    many = [f"T{i:02d}" for i in range(CHANGES_LIMIT + 1)]
    text = changes_section(dict(after, unused_trials=many, unused_reasons={t: now for t in many}),
                           dict(before, unused_trials=many, unused_reasons={t: was for t in many}))
    assert text.splitlines()[0] == ("- Trials still in no analysis whose reasons for being set aside changed: "
                                    f"{CHANGES_LIMIT + 1} (see the table of trials that could not be used).")


def test_an_explanations_clause_that_became_the_last_is_not_quoted_as_changed() -> None:
    # Its semicolon gone with the clause after it, "a; b; c." → "a; b." was quoted as
    # "no longer reads “…c.” and now reads “…b.”", as if b read otherwise.
    from metareview.report.changes import _explanation_change

    assert _explanation_change("a is one; b is two; c is three.", "a is one; b is two.") == \
        "no longer reads “…c is three.”"
    assert _explanation_change("a is one; b is two.", "a is one; b is two; c is three.") == \
        "now reads “…c is three.”"
    # Only the marks between the clauses changed; or those and their order.
    assert _explanation_change("A is one; B is two.", "A is one. B is two.") == "its punctuation changed"
    assert _explanation_change("A is one; B is two.", "B is two; A is one.") == "its clauses are in another order"


def test_an_explanations_changed_clauses_apart_are_joined_by_one_ellipsis() -> None:
    # Two clauses edited with one unchanged between them, each after a semicolon: the quote
    # read "…b is two pears; … …d is four apples.", two ellipses for one omission.
    from metareview.report.changes import _cut_quote, _explanation_change

    assert _explanation_change("a is one; b is two apples; c is three; d is four pears.",
                               "a is one; b is two pears; c is three; d is four apples.") == \
        "now reads “…b is two pears; …d is four apples.”"
    # After a full stop a run has no ellipsis of its own, and the one between them stays.
    assert _explanation_change("A is one. B is two apples and more. C is three. D is four pears and more.",
                               "A is one. B is two pears and more. C is three. D is four apples and more.") == \
        "now reads “B is two pears and more. … D is four apples and more.”"
    # A quote cut where such a run starts keeps its ellipsis and adds none.
    text = "alpha beta gamma delta epsilon; …zeta eta theta iota kappa lambda mu nu xi omicron"
    assert _cut_quote(text, 21, text.index("theta")) == "…zeta eta theta…"


def test_key_results_list_the_trials_that_enter_no_analysis() -> None:
    ctx = context()
    # A, B and C each enter an analysis; M is a published review, G narrative evidence.
    assert key_results(ctx)["unused_trials"] == []
    for r in ctx.analyses:
        r["studies"] = [s for s in r["studies"] if s["study_id"] != "C"]
        if not r["studies"]:
            # As an analysis left with no study is: the key results read its status too.
            r.update(status="no_studies", k=0, pooled=None)
    assert key_results(ctx)["unused_trials"] == ["C"]
    assert key_results(ctx)["unused_reasons"] == {}
    # Set aside by the analyses it could enter: each reason once, in the analyses' order.
    why = "timepoint given only as ‘after treatment’, not in weeks: placed in no window"
    for r in ctx.analyses:
        r["excluded"] = [*(r.get("excluded") or []), {"study_id": "C", "label": "C", "reason": why}]
    assert key_results(ctx)["unused_reasons"] == {"C": [why]}


def test_changes_studies_edited_and_long_lists() -> None:
    # A build that kept one digest per study: the study is named.
    before = dict(keys_of(a=entry(-0.5)), study_data={"A": "1", "B": "2"})
    now = dict(keys_of(a=entry(-0.5)), study_data={"A": "1", "B": "3"})
    assert changes_section(now, before) == ("- Studies whose raw rows changed: B.\n"
                                            "- No estimate, interval or conclusion changed.\n")
    # One per file: by its label, with the files where its rows changed.
    before = dict(keys_of(a=entry(-0.5)), study_data={"A": {"arms.csv": "1"}, "B": {"arms.csv": "2", "x.csv": "4"}})
    now = dict(keys_of(a=entry(-0.5)), study_labels={"B": "Bee et al. (2020)"},
               study_data={"A": {"arms.csv": "1"}, "B": {"arms.csv": "3", "contrasts.csv": "5", "x.csv": "4"}})
    assert changes_section(now, before).splitlines()[0] == (
        "- Studies whose raw rows changed: Bee et al. (2020) (B: arms.csv, contrasts.csv).")
    now["study_labels"] = {}
    assert changes_section(now, before).splitlines()[0] == (
        "- Studies whose raw rows changed: B (arms.csv, contrasts.csv).")
    # Many studies added at once: ten named, the rest counted.
    many = [f"S{i:02d}" for i in range(13)]
    text = changes_section(dict(keys_of(a=entry(-0.5)), studies=["A", "B", *many]), keys_of(a=entry(-0.5)))
    assert text == ("- Studies added: " + ", ".join(many[:10]) + " and 3 more.\n"
                    "- No estimate, interval or conclusion changed.\n")


def _keys_with_cells(tables: dict[str, list[dict[str, Any]]], numbers: dict[str, list[int]] | None = None,
                     **extra: Any) -> dict[str, Any]:
    numbers = numbers or {t: list(range(2, len(rows) + 2)) for t, rows in tables.items()}
    return dict(keys_of(a=entry(-0.5)), study_data=study_digests(tables), shared_data=shared_digests(tables),
                raw_cells=kept_cells(tables, numbers), **extra)



def test_a_study_added_or_removed_with_its_own_source_says_it_in_its_line() -> None:
    # A team that added a trial with the abstract it comes from read "Raw tables changed:
    # sources.csv row 3 added (kim2021_abstract, …)" beside "Studies added: Kim (2021)
    # (K)", as if a document every study shares had been edited.
    sources = [{"source_id": "ay_paper", "kind": "article"}, {"source_id": "review", "kind": "systematic_review"}]
    before_tables = {"studies": [{"study_id": "A", "label": "Ay (2001)", "source_id": "ay_paper"}],
                     "claims": [{"claim_id": "c1", "source_id": "review"}],
                     "sources": sources}
    kim = {"source_id": "kim_abstract", "kind": "abstract"}
    now_tables = {"studies": [*before_tables["studies"], {"study_id": "K", "label": "Kim (2021)", "source_id": "kim_abstract"}],
                  "arm_outcomes": [{"study_id": "K", "arm_id": "a", "source_id": "kim_abstract"}],
                  "claims": before_tables["claims"],
                  "sources": [sources[0], kim, sources[1]]}
    labels = {"A": "Ay (2001)", "K": "Kim (2021)"}
    before = _keys_with_cells(before_tables, studies=["A"], study_labels=labels)
    now = _keys_with_cells(now_tables, studies=["A", "K"], study_labels=labels)
    assert changes_section(now, before).splitlines() == [
        "- Studies added: Kim (2021) (K), with its source kim\\_abstract (sources.csv row 3).",
        "- No estimate, interval or conclusion changed."]
    # Taken out with it: the row as the last build numbered it.
    assert changes_section(before, now).splitlines() == [
        "- Studies removed: Kim (2021) (K), with its source kim\\_abstract (sources.csv row 3 of the previous build).",
        "- No estimate, interval or conclusion changed."]
    # A document a claim also cites, or one that an existing study cites, is an edit of
    # the shared table, as is the row of another study's document edited with it.
    for citer in ({"claims": [*now_tables["claims"], {"claim_id": "c2", "source_id": "kim_abstract"}]},
                  {"studies": [{**now_tables["studies"][0], "source_id": "kim_abstract"}, now_tables["studies"][1]]}):
        tables = {**now_tables, **citer}
        text = changes_section(_keys_with_cells(tables, studies=["A", "K"], study_labels=labels), before)
        assert "- Studies added: Kim (2021) (K).\n" in text
        assert "sources.csv row 3 added (kim\\_abstract, abstract)" in text
    edited = {**now_tables, "sources": [{**sources[0], "kind": "abstract"}, kim, sources[1]]}
    assert changes_section(_keys_with_cells(edited, studies=["A", "K"], study_labels=labels), before).splitlines()[:2] == [
        "- Studies added: Kim (2021) (K), with its source kim\\_abstract (sources.csv row 3).",
        "- Raw tables changed: sources.csv row 2: `kind` “article” → “abstract”."]
    # Two new studies from one new document: named with the two, together, and no edit
    # of the shared table (its row read "Raw tables changed: sources.csv row 3 added").
    lee = {"study_id": "L", "label": "Lee (2022)", "source_id": "kim_abstract"}
    two = {**now_tables, "studies": [*now_tables["studies"], lee]}
    labels = {**labels, "L": "Lee (2022)"}
    assert changes_section(_keys_with_cells(two, studies=["A", "K", "L"], study_labels=labels), before).splitlines() == [
        "- Studies added: Kim (2021) (K) and Lee (2022) (L), with their source kim\\_abstract (sources.csv row 3).",
        "- No estimate, interval or conclusion changed."]
    assert changes_section(before, _keys_with_cells(two, studies=["A", "K", "L"], study_labels=labels)).splitlines() == [
        ("- Studies removed: Kim (2021) (K) and Lee (2022) (L), with their source kim\\_abstract "
         "(sources.csv row 3 of the previous build)."),
        "- No estimate, interval or conclusion changed."]
    # Beside a third new study with none of its own, between them in the list: the two
    # together where the first falls, the third on its own; and a document of one of the
    # two alone named with them.
    bee = {"study_id": "B", "label": "Bee (2023)", "source_id": "ay_paper"}
    three = {**two, "studies": [*two["studies"], bee, {**lee, "study_id": "M", "label": "Lee (2022b)",
                                                      "source_id": "lee_report"}],
             "sources": [*two["sources"], {"source_id": "lee_report", "kind": "article"}],
             "arm_outcomes": [*two["arm_outcomes"], {"study_id": "M", "arm_id": "a", "source_id": "kim_abstract"}]}
    labels = {**labels, "B": "Bee (2023)", "M": "Lee (2022b)"}
    assert changes_section(_keys_with_cells(three, studies=["A", "B", "K", "L", "M"], study_labels=labels),
                           before).splitlines()[0] == (
        "- Studies added: Bee (2023) (B); and Kim (2021) (K), Lee (2022) (L) and Lee (2022b) (M), with their sources "
        "kim\\_abstract (sources.csv row 3) and lee\\_report (sources.csv row 5).")
    # One an existing study cites as well stays an edit of the shared table.
    shared = {**two, "arm_outcomes": [*two["arm_outcomes"], {"study_id": "A", "arm_id": "a",
                                                             "source_id": "kim_abstract"}]}
    text = changes_section(_keys_with_cells(shared, studies=["A", "K", "L"], study_labels=labels), before)
    assert "- Studies added: Kim (2021) (K) and Lee (2022) (L).\n" in text
    assert "sources.csv row 3 added (kim\\_abstract, abstract)" in text

def test_kept_cells_keep_rows_by_study_and_file() -> None:
    tables = {**raw_tables(), "instruments": [{"instrument": "VAS"}, {"instrument": "NRS", "notes": "n"}]}
    kept = kept_cells(tables, {"arm_outcomes": [2, 3, 5, 6, 7, 9, 10, 11, 12, 13]})
    columns = kept["columns"]["arm_outcomes.csv"]
    first = tables["arm_outcomes"][0]
    # The spreadsheet row, then the values in column order.
    assert kept["studies"][first["study_id"]]["arm_outcomes.csv"][0] == [2, *(first[c] for c in columns)]
    # A row holds only its filled cells: the columns are those any row fills, and an
    # empty cell is None. No row numbers given: 0.
    assert kept["columns"]["instruments.csv"] == ["instrument", "notes"]
    assert kept["shared"] == {"instruments.csv": [[0, "VAS", None], [0, "NRS", "n"]]}
    assert set(kept["studies"]) == set(study_digests(tables))


def test_changes_name_the_cells_that_changed() -> None:
    tables = raw_tables()
    before = _keys_with_cells(tables)
    edited = {**tables, "arm_outcomes": [dict(r) for r in tables["arm_outcomes"]]}
    edited["arm_outcomes"][1]["sd"] = 2.5  # study A's second row, spreadsheet row 3
    edited["arm_outcomes"][1]["quote"] = "a quote far longer than the forty characters shown of it"
    now = _keys_with_cells(edited, study_labels={"A": "Aa et al. (2001)"})
    assert tables["arm_outcomes"][1]["sd"] == 2.0  # printed as a number, not as a float's repr
    assert changes_section(now, before) == (
        "- Raw rows changed, Aa et al. (2001) (A): arm\\_outcomes.csv row 3: `sd` 2 \u2192 2.5, "
        "`quote` \u201cq\u201d \u2192 \u201ca quote far longer than the forty\u2026\u201d.\n"
        "- No estimate, interval or conclusion changed.\n")
    # A quote that ends its own sentence ends the line: one more full stop read "24.8%.”.".
    ended = {**tables, "arm_outcomes": [dict(r) for r in tables["arm_outcomes"]]}
    ended["arm_outcomes"][1]["quote"] = "SD 2.5."
    assert changes_section(_keys_with_cells(ended), before).splitlines()[0] == (
        "- Raw rows changed, A: arm\\_outcomes.csv row 3: `quote` \u201cq\u201d \u2192 \u201cSD 2.5.\u201d")
    # A row of A inserted before its others, with another study's row inserted above all:
    # the rows after it moved down, and only the new one is named, by its row now and its
    # first cells.
    inserted = {**tables, "arm_outcomes": [{**tables["arm_outcomes"][2], "mean": 9.9},
                                           {**tables["arm_outcomes"][0], "timepoint_weeks": 12.0},
                                           *tables["arm_outcomes"]]}
    now = _keys_with_cells(inserted)
    b = tables["arm_outcomes"][2]["study_id"]
    lines = changes_section(now, before).splitlines()
    assert lines[0] == "- Raw rows changed, A: arm\\_outcomes.csv row 3 added (i, final, 30, 3)."
    assert lines[1].startswith(f"- Raw rows changed, {b}: arm\\_outcomes.csv row 2 added (")
    # A row removed is named by its row in the previous build; an emptied cell says so.
    removed = {**tables, "arm_outcomes": [{**tables["arm_outcomes"][0], "sd": None}, *tables["arm_outcomes"][2:]]}
    assert changes_section(_keys_with_cells(removed), before).splitlines()[0] == (
        "- Raw rows changed, A: arm\\_outcomes.csv row 2: `sd` 2 \u2192 (empty); "
        "row 3 of the previous build removed (c, final, 30, 4).")
    # A label from the data is text, not Markdown (a cross-reference, a tag).
    hostile = _keys_with_cells(edited, study_labels={"A": "@fig-x <b>A</b>"})
    assert changes_section(hostile, before).startswith(f"- Raw rows changed, {escape('@fig-x <b>A</b>')} (A): ")
    # A build that kept no cells: the study and its files, as before.
    assert changes_section(now, {k: v for k, v in before.items() if k != "raw_cells"}).splitlines()[0] == (
        "- Studies whose raw rows changed: A (arm\\_outcomes.csv) and " + b + " (arm\\_outcomes.csv).")


def test_changes_see_cells_the_first_row_leaves_empty() -> None:
    # `n` is filled in the second row only: edited, filled or emptied, it is a change.
    rows = [{"study_id": "A", "arm_id": "i", "mean": 1.0}, {"study_id": "A", "arm_id": "c", "n": 30, "mean": 2.0}]
    before = _keys_with_cells({"arm_outcomes": rows})
    now = _keys_with_cells({"arm_outcomes": [rows[0], {**rows[1], "n": 31}]})
    assert changes_section(now, before).splitlines()[0] == "- Raw rows changed, A: arm\\_outcomes.csv row 3: `n` 30 \u2192 31."
    now = _keys_with_cells({"arm_outcomes": [{**rows[0], "n": 29}, rows[1]]})
    assert changes_section(now, before).splitlines()[0] == (
        "- Raw rows changed, A: arm\\_outcomes.csv row 2: `n` (empty) \u2192 29.")
    # A column that only one build fills (the first `sd` of the file; the last `n` cleared),
    # beside another edit: every cell is named, in the file's column order.
    other = [{"study_id": "B", "arm_id": "i", "n": 20, "mean": 5.0}]
    before = _keys_with_cells({"arm_outcomes": rows + other})
    now = _keys_with_cells({"arm_outcomes": [{**rows[0], "mean": 1.5}, {**rows[1], "n": None},
                                             {"study_id": "B", "arm_id": "i", "mean": 5.0, "sd": 2.0}]})
    assert changes_section(now, before).splitlines()[:2] == [
        "- Raw rows changed, A: arm\\_outcomes.csv row 2: `mean` 1 \u2192 1.5; row 3: `n` 30 \u2192 (empty).",
        "- Raw rows changed, B: arm\\_outcomes.csv row 4: `n` 20 \u2192 (empty), `sd` (empty) \u2192 2.",
    ]
    assert kept_cells({"t": [{"a": 1, "c": 3}, {"a": 1, "b": 2, "c": 3}]}, {})["columns"]["t.csv"] == ["a", "b", "c"]


def test_changes_quote_number_cells_as_the_csv_has_them() -> None:
    # A median typed "4.0" was said to have changed from "4", a text a reader searching
    # the sheet for the cell does not find. The texts as typed (Row.text) are kept beside
    # the values; the values are what is compared.
    rows = [{"study_id": "A", "arm_id": "i", "median": 4.0, "q1": 3.0, "q3": 6.5},
            {"study_id": "A", "arm_id": "c", "median": 5.0}]
    texts = [{"median": "4.0", "q1": "3.0", "q3": "6.50"}, {"median": "5"}]

    def keys(rows: list[dict[str, Any]], texts: list[dict[str, str]]) -> dict[str, Any]:
        tables = {"arm_outcomes": rows}
        return dict(keys_of(a=entry(-0.5)), study_data=study_digests(tables), shared_data=shared_digests(tables),
                    raw_cells=kept_cells(tables, {"arm_outcomes": list(range(2, len(rows) + 2))},
                                         {"arm_outcomes": texts}))

    before = keys(rows, texts)
    # Only the texts that differ from the value as printed are kept ("5" is 5).
    assert before["raw_cells"]["typed"]["studies"]["A"]["arm_outcomes.csv"] == [texts[0], {}]
    now = keys([{**rows[0], "median": 4.5}, rows[1]], [{**texts[0], "median": "4.50"}, texts[1]])
    assert changes_section(now, before).splitlines()[0] == (
        "- Raw rows changed, A: arm\\_outcomes.csv row 2: `median` 4.0 \u2192 4.50.")
    # A row added is named by its first cells, as typed.
    now = keys([*rows, {"study_id": "A", "arm_id": "x", "median": 2.0, "q1": 1.0}],
               [*texts, {"median": "2.00", "q1": "1.0"}])
    assert changes_section(now, before).splitlines()[0] == (
        "- Raw rows changed, A: arm\\_outcomes.csv row 4 added (x, 2.00, 1.0).")
    # A previous build that kept no texts is quoted by its values.
    old = {**before, "raw_cells": {k: v for k, v in before["raw_cells"].items() if k != "typed"}}
    now = keys([{**rows[0], "median": 4.5}, rows[1]], [{**texts[0], "median": "4.50"}, texts[1]])
    assert changes_section(now, old).splitlines()[0] == (
        "- Raw rows changed, A: arm\\_outcomes.csv row 2: `median` 4 \u2192 4.50.")


def test_changes_pair_an_edited_row_with_the_row_it_was() -> None:
    cols = ["study_id", "arm_id", "timepoint_weeks", "timepoint_label", "mean", "sd", "n"]
    r35 = [35, "T", "a", 52, "12 months", 64.0, 20.0, 100]
    r36 = [36, "T", "b", 52, "12 months", 66.0, 21.0, 100]
    new_row = [35, "T", "a", 104, "24 months", 61.0, 19.0, 90]
    # A row inserted above an edited one: the edit is the edited row's, and the new row added.
    changes = row_changes([r35, r36], cols, [new_row, [36, *r35[1:5], 65.0, *r35[6:]], [37, *r36[1:]]], cols)
    assert changes == ["row 35 added (a, 104, 24 months, 61)", "row 36: `mean` 64 \u2192 65"]
    # A copy of a row inserted above it with another timepoint, while the row's values were
    # corrected: as many cells differ either way, and the row keeps its identity (its
    # leading cells), so the correction is shown and the copy added.
    copy = [35, "T", "a", 26, "6 months", 64.0, 20.0, 100]
    changes = row_changes([r35, r36], cols, [copy, [36, *r35[1:5], 65.0, 20.0, 101], [37, *r36[1:]]], cols)
    assert changes == ["row 35 added (a, 26, 6 months, 64)", "row 36: `mean` 64 \u2192 65, `n` 100 \u2192 101"]
    # Rows swapped, also with a row between them: reordered, not added and removed.
    assert row_changes([r35, r36], cols, [[35, *r36[1:]], [36, *r35[1:]]], cols) == ["rows 35, 36 reordered"]
    r37 = [37, "T", "c", 52, "12 months", 60.0, 20.0, 100]
    assert row_changes([r35, r36, r37], cols, [[35, *r37[1:]], [36, *r36[1:]], [37, *r35[1:]]], cols) == [
        "rows 35, 37 reordered"]
    # A row moved and edited: its edit is shown.
    assert row_changes([r35, r36], cols, [[35, *r36[1:]], [36, *r35[1:5], 64.5, *r35[6:]]], cols) == [
        "row 36: `mean` 64 \u2192 64.5"]


def test_changes_name_shared_cells_every_file_and_stay_short() -> None:
    tables = {**raw_tables(), "instruments": [{"instrument": "VAS", "scale_max": 10}]}
    before = _keys_with_cells(tables)
    now = _keys_with_cells({**tables, "instruments": [{"instrument": "VAS", "scale_max": 100}]})
    assert changes_section(now, before).splitlines()[0] == (
        "- Raw tables changed: instruments.csv row 2: `scale_max` 10 \u2192 100.")
    # Many rows of one study: CELLS_LIMIT named, the rest counted, and every file named
    # with its first change.
    many = [{"study_id": "A", "arm_id": f"x{i}", "n": i} for i in range(11)]
    study = [{"study_id": "A", "year": 2009}]
    before = _keys_with_cells({"arms": many, "studies": study})
    now = _keys_with_cells({"arms": [{**r, "n": r["n"] + 100} for r in many], "studies": [{**study[0], "year": 2010}]})
    line = changes_section(now, before).splitlines()[0]
    assert line.count("`n`") == CELLS_LIMIT - 1
    assert line.endswith("; and 4 more changed rows; studies.csv row 2: `year` 2009 \u2192 2010.")
    assert row_changes([], [], [[4, "A", 1]], ["study_id", "n"]) == ["row 4 added (1)"]


def test_changes_show_long_texts_where_they_differ() -> None:
    text = "Acupuncture with electrical stimulation of the needles."
    edited = text.replace("needles.", "needles (2-100 Hz).")
    cols = ["treatment", "description"]
    change = row_changes([[3, "ea", text]], cols, [[3, "ea", edited]], cols)
    # From a word a little before the first difference, so that the two differ on the page.
    assert change == [("row 3: `description` \u201c\u2026stimulation of the needles.\u201d \u2192 "
                       "\u201c\u2026stimulation of the needles (2-100 Hz).\u201d")]
    # A difference near the start: the start is shown, the rest cut, unless that would
    # save a few characters only.
    change = row_changes([[3, "ea", text]], cols, [[3, "ea", "Manual" + text[11:]]], cols)
    assert change == [("row 3: `description` \u201cAcupuncture with electrical stimulation\u2026\u201d \u2192 "
                       "\u201cManual with electrical stimulation of the needles.\u201d")]
    # A difference deep inside a long word (a URL): shown where it is.
    url = "https://www.example.org/lp/american-medical-association/article?key=JAMA&id=12"
    change = row_changes([[3, "ea", url]], cols, [[3, "ea", url.replace("JAMA", "JAMB")]], cols)
    assert change == [("row 3: `description` \u201c\u2026dical-association/article?key=JAMA\\&id=12\u201d \u2192 "
                       "\u201c\u2026dical-association/article?key=JAMB\\&id=12\u201d")]
    # A last word edited: some of the text before it stays.
    long = "The arms did not differ in the proportion of patients at the end"
    change = row_changes([[3, "ea", long]], cols, [[3, "ea", long.replace("end", "END")]], cols)
    assert change == [("row 3: `description` \u201c\u2026in the proportion of patients at the end\u201d \u2192 "
                       "\u201c\u2026in the proportion of patients at the END\u201d")]
    # White space alone (a double space, a non-breaking space) is named as such.
    assert row_changes([[3, "ea", text]], cols, [[3, "ea", text.replace(" ", "  ", 1)]], cols) == [
        "row 3: `description`: white space changed"]
    # Numbers as written, without a float's exponent.
    assert row_changes([[3, "ea", 0.00001]], cols, [[3, "ea", 26.0]], cols) == [
        "row 3: `description` 0.00001 \u2192 26"]


def test_changes_settings() -> None:
    settings = {"methods.method": "REML", "methods.level": 95, "analyses.a.measure": "SMD",
                "windows.short.max_weeks": 12}
    before = dict(keys_of(a=entry(-0.5)), settings=settings)
    now = dict(keys_of(a=entry(-0.5)), settings={**settings, "methods.method": "DL", "windows.short.max_weeks": 13})
    # Nothing shown moved: the section says so, rather than leave the reader to look.
    # Each in the methods' words, its key after them: "Setting `methods.method`: REML → DL"
    # said nothing to a clinician. A window by its name, its keys in words.
    assert changes_section(now, before) == ("- The estimator of τ², the between-study variance (`methods.method`): "
                                            "restricted maximum likelihood (REML) \u2192 DerSimonian-Laird (DL).\n"
                                            "- The time window short (`windows.short`): last week 12 \u2192 13.\n"
                                            "- No estimate, interval or conclusion changed.\n")
    assert "Setting `" not in changes_section(now, before)
    # A setting and the data changed together: the estimates' lines say neither alone.
    both = changes_section(dict(keys_of(a=entry(-0.3)), studies=["A", "B", "C"],
                                settings={**settings, "methods.method": "DL"}),
                           dict(keys_of(a=entry(-0.5)), settings=settings))
    assert ("- The settings and the data both changed: each estimate below moved by the two together (a build of "
            "one change alone tells them apart).\n") in both, both
    assert both.index("Studies added") < both.index("both changed") < both.index("estimate −0.50 → −0.30")
    assert "both changed" not in changes_section(dict(keys_of(a=entry(-0.3)), settings={
        **settings, "methods.method": "DL"}), dict(keys_of(a=entry(-0.5)), settings=settings))
    # A window widened in the config changes why a trial is set aside: not the data's
    # change, and said after the setting that caused it.
    outside = ["timepoint 13 weeks is outside the window of 1 to 12 weeks"]
    inside = ["arm n not reported"]
    widened = changes_section(
        dict(keys_of(a=entry(-0.3)), settings={**settings, "windows.short.max_weeks": 13}, unused_trials=["H"],
             unused_reasons={"H": inside}),
        dict(keys_of(a=entry(-0.5)), settings=settings, unused_trials=["H"], unused_reasons={"H": outside}))
    assert "both changed" not in widened
    assert widened.index("(`windows.short`): last week 12 \u2192 13") < widened.index("Trial still in no analysis, H")
    assert widened.index("Trial still in no analysis, H") < widened.index("estimate \u22120.50 \u2192 \u22120.30")
    # The test too: "adhoc → knha" said nothing of what the codes do.
    tested = dict(keys_of(a=entry(-0.5)), settings={**settings, "methods.test": "knha"})
    assert changes_section(tested, dict(keys_of(a=entry(-0.5)), settings={**settings, "methods.test": "adhoc"})) == (
        "- The confidence interval and test (`methods.test`): Hartung-Knapp-Sidik-Jonkman, its scale factor floored "
        "at 1 (adhoc) \u2192 Hartung-Knapp-Sidik-Jonkman, its scale factor not floored (knha).\n"
        "- No estimate, interval or conclusion changed.\n")
    labelled = {**settings, "windows.short.label": "Short term (1 to 12 weeks, nearest to 6 weeks)",
                "windows.short.target_weeks": 6}
    moved = {**labelled, "windows.short.label": "Short term (1 to 12 weeks, nearest to 8 weeks)",
             "windows.short.target_weeks": 8}
    # Its label and target moved together: one line, by its name as the methods give it.
    assert changes_section(dict(keys_of(a=entry(-0.5)), settings=moved),
                           dict(keys_of(a=entry(-0.5)), settings=labelled)).splitlines()[0] == (
        "- The time window Short term (`windows.short`): label “…term (1 to 12 weeks, nearest to 6 weeks)” → "
        "“…term (1 to 12 weeks, nearest to 8 weeks)”; target week 6 → 8.")
    # A key added or dropped; an added analysis is reported as such, not by its settings.
    now = dict(keys_of(a=entry(-0.5), b=entry(-0.2)),
               settings={**settings, "methods.min_studies": 3, "analyses.b.measure": "MD"})
    # The setting first: a cause before the results it moves.
    assert changes_section(now, before) == ("- The pooling threshold (`methods.min_studies`): not set \u2192 3 studies.\n"
                                            "- New analysis `b`: 3 studies pooled, estimate \u22120.20 (\u22121.00 to "
                                            "\u22120.10): the confidence interval lies wholly on one side of no "
                                            "difference (favours intervention).\n")
    # As the methods say it ("at least 2 studies"), the word once; a switch on or off.
    raised = changes_section(dict(keys_of(a=entry(-0.5)), settings={**settings, "methods.min_studies": 3,
                                                                    "effects.impute_missing_sd": True}),
                             dict(keys_of(a=entry(-0.5)), settings={**settings, "methods.min_studies": 2,
                                                                    "effects.impute_missing_sd": False}))
    assert raised.startswith("- Imputing missing SDs (`effects.impute_missing_sd`): off → on.\n"
                             "- The pooling threshold (`methods.min_studies`): 2 → 3 studies.\n")
    # A fact of the review, not a switch: yes or no.
    titled = {**settings, "review.title": "T"}
    searched = changes_section(dict(keys_of(a=entry(-0.5)), settings={**titled, "review.systematic_search": False}),
                               dict(keys_of(a=entry(-0.5)), settings=titled))
    assert searched.startswith("- Whether the studies came from a systematic search (`review.systematic_search`): "
                               "not set → no.\n")
    # Many settings (every analysis's window moved): ten lines, then a count.
    many = {f"analyses.a{i:02d}.window": "short" for i in range(14)}
    text = changes_section(dict(keys_of(a=entry(-0.5)), settings={k: "long" for k in many}),
                           dict(keys_of(a=entry(-0.5)), settings=many))
    assert text.splitlines()[9] == "- `a09`, its settings: time window short \u2192 long."
    # The same words as the provenance's line of settings, which gives the key after them.
    from metareview.report import SETTING_WORDS

    assert f"{SETTING_WORDS['methods.min_studies']}, `methods.min_studies`" in str(provenance_section(context()))
    assert SETTING_WORDS["methods.min_studies"] == "the pooling threshold"
    # The rest by what they set, not "see config/config.yaml".
    assert text.splitlines()[10:] == ["- 4 more settings changed: `a10`, `a11`, `a12` and `a13`.",
                                      "- No estimate, interval or conclusion changed."]
    # A previous build that recorded no settings: nothing to compare them with.
    assert "(`methods.min_studies`)" not in changes_section(now, keys_of(a=entry(-0.5)))
    # The report's own settings (a PNG resolution, the title) are listed too, but a section
    # the previous build did not compare yet is not listed as changed from nothing.
    shaped = {**settings, "report.png_dpi": 300, "review.title": "T"}
    assert changes_section(dict(keys_of(a=entry(-0.5)), settings=shaped),
                           dict(keys_of(a=entry(-0.5)), settings={**shaped, "report.png_dpi": 150})) == (
        "- The PNG figures’ resolution, in dots per inch (`report.png_dpi`): 150 → 300.\n"
        "- No estimate, interval or conclusion changed.\n")
    assert changes_section(dict(keys_of(a=entry(-0.5)), settings=shaped),
                           dict(keys_of(a=entry(-0.5)), settings=settings)) == (
        "No study, estimate, setting or conclusion changed since the previous build.\n")


def test_changes_significance_and_direction() -> None:
    text = changes_section(keys_of(a=entry(-0.2, -0.5, 0.1)), keys_of(a=entry(-0.3, -0.6, -0.05)))
    assert "**conclusion changed**: the confidence interval is compatible with no difference" in text
    text = changes_section(keys_of(a=entry(-0.3, -0.6, -0.05)), keys_of(a=entry(-0.2, -0.5, 0.1)))
    assert "**conclusion changed**: the confidence interval lies wholly on one side of no difference (favours intervention)" in text
    # Both intervals hold no difference: only the point estimate changed sides, and
    # "favours" would read as the interval's verdict.
    text = changes_section(keys_of(a=entry(0.1, -0.2, 0.4)), keys_of(a=entry(-0.1, -0.4, 0.2)))
    assert "**direction changed**: the point estimate has moved to the side of comparator" in text
    assert "favours" not in text
    assert "conclusion changed" not in text
    # From wholly on one side to wholly on the other: the conclusion changed.
    text = changes_section(keys_of(a=entry(0.5, 0.2, 0.8)), keys_of(a=entry(-0.5, -0.8, -0.2)))
    assert "**conclusion changed**: the confidence interval lies wholly on one side of no difference (favours " \
           "comparator)" in text and "direction changed" not in text


def test_an_estimate_exactly_at_no_difference_is_on_no_side() -> None:
    # Two arms without events give an RR of exactly 1 (log 0): What changed said "the point
    # estimate has moved to the side of physiotherapy", in bold, of an effect on no side.
    from metareview.report.keys import _effect_fields

    a = {"measure": "RR", "favours_intervention_when": "above", "intervention_label": "Yoga",
         "comparator_label": "Physiotherapy"}
    fields = _effect_fields(a, "study_effect", 0.0, {"ci_lb": -3.9, "ci_ub": 3.9})
    assert (fields["direction"], fields["favoured"]) == ("no difference", None)
    assert _effect_fields(a, "study_effect", 2.7, {"ci_lb": 0.1, "ci_ub": 5.3})["favoured"] == "Yoga"
    before = keys_of(a={**single(2.7, 0.1, 5.3), "direction": "favours intervention"})
    now = keys_of(a={**single(0.0, -3.9, 3.9), "direction": "no difference"})
    text = changes_section(now, before)
    assert "**direction changed**: the point estimate is now exactly at no difference" in text
    assert "side of" not in text


def test_changes_status_k_new_analysis_and_claims() -> None:
    now = dict(keys_of(a=entry(None, status="single_study", k=1), b=entry(-0.2)), claims={"c1": "not supported"})
    text = changes_section(now, keys_of(a=entry(-0.5)))
    assert ("- `a`: now one study, not pooled (was pooled: 3 studies); no pooled estimate (was \u22120.50, "
            "\u22121.00 to \u22120.10).\n") in text
    assert "- New analysis `b`: 3 studies pooled, estimate \u22120.20 (\u22121.00 to \u22120.10): the confidence " \
           "interval lies wholly on one side of no difference (favours intervention).\n" in text
    assert "- Claim `c1`: supported \u2192 **not supported**.\n" in text
    # With what its reason now says, where both builds kept the reasons.
    reasons = {"c1": "No trial reports it."}, {"c1": "No trial reports it. The pooled interval excludes it."}
    text = changes_section(dict(now, claim_reasons=reasons[1]), dict(keys_of(a=entry(-0.5)), claim_reasons=reasons[0]))
    assert ("- Claim `c1`: supported \u2192 **not supported**; its reason now reads \u201cThe pooled interval "
            "excludes it.\u201d\n") in text


def test_a_new_analysis_says_what_it_found() -> None:
    # "New analysis `b`." alone left a team that had just added the question to search the
    # report for its answer: the changes section gives it, as for an analysis that moved.
    before = keys_of(a=entry(-0.5))
    labels = {"study_labels": {"K": "Kong (2020)"}}
    one = {**keys_of(a=entry(-0.5), b=single(0.30, -0.10, 0.70, study="K")), **labels}
    assert ("- New analysis `b`: one study, not pooled: Kong (2020), its effect 0.30 (\u22120.10 to 0.70): "
            "the confidence interval is compatible with no difference.\n") in changes_section(one, before)
    none = keys_of(a=entry(-0.5), b=entry(None, status="no_studies", k=0))
    assert "- New analysis `b`: no usable study.\n" in changes_section(none, before)
    # Its studies counted in words, as the analyses' lines count them, and its estimate
    # by its measure: "pooled, k = 3, estimate" used the methods' letter.
    pooled = keys_of(a=entry(-0.5), b={**entry(-0.2), "measure": "MD"})
    assert ("- New analysis `b`: 3 studies pooled, MD \u22120.20 (\u22121.00 to \u22120.10): the confidence "
            "interval lies wholly on one side") in changes_section(pooled, before)
    assert "k = " not in changes_section(pooled, before)
    two = keys_of(a=entry(-0.5), b=entry(None, status="not_poolable", k=2))
    assert "- New analysis `b`: not poolable: 2 studies.\n" in changes_section(two, before)


def _without_dry_needling_trials(ctx: ReportContext) -> ReportContext:
    """The review before its only trial of dry needling against a third treatment was added."""
    # The dry-needling analysis as the pipeline then gave it: defined, with no study.
    acu_only = [r if r["analysis"]["intervention"] != "dn" else {**r, "status": "no_studies", "studies": [], "k": 0}
                for r in ctx.analyses]
    return dataclasses.replace(ctx, indirect=[indirect_comparison(CONFIG["indirect"][0], acu_only, labels=LABELS)])


def _unstamped(keys: dict[str, Any]) -> dict[str, Any]:
    """Key results without the build that recorded them (:func:`compared_with`)."""
    return {k: v for k, v in keys.items() if k != "built"}


def test_an_indirect_comparison_that_becomes_anchored_gives_its_estimate() -> None:
    ctx = context()
    anchored = ctx.indirect[0]["anchored"][0]
    assert ctx.indirect[0]["status"] == "anchored"
    estimate = (f"through Sham, SMD {f2(anchored['estimate'])} (95% CI "
                f"{ci_text(anchored['ci_lb'], anchored['ci_ub'])})")
    # Without the build that recorded them: the section's opening line names it.
    before, now = (_unstamped(key_results(c)) for c in (_without_dry_needling_trials(ctx), ctx))
    # By what it compares, as the summary names it, its id after it.
    title = now["indirect_titles"]["dn_vs_acu"]
    assert title == f"Indirect comparison of dry needling and {ctx.indirect[0]['treatment_b_label']} on pain, short term"
    named = f"{escape(title)} (`dn_vs_acu`)"
    # With what its interval shows, as a new analysis's line says it.
    assert changes_section(now, before).splitlines() == [
        (f"- {named}: no common comparator → **anchored**: {estimate}: the confidence interval is compatible with no "
         "difference.")]
    # The other way: the estimate the report gave, now gone.
    assert changes_section(before, now).splitlines() == [
        f"- {named}: anchored → **no common comparator**; was {estimate}."]
    # A new comparison says what it found.
    assert (f"- New indirect comparison of dry needling and {escape(ctx.indirect[0]['treatment_b_label'])} on pain, "
            f"short term (`dn_vs_acu`): anchored: {estimate}: the confidence interval is compatible with no difference.\n"
            in changes_section(now, {**now, "indirect": {}, "indirect_results": {}}))
    # Still anchored, the estimate moved (another study of dry needling against sham).
    moved = {**now["indirect_results"]["dn_vs_acu"]}
    moved["estimates"] = [{**moved["estimates"][0], "estimate": -0.31, "ci_lb": -0.9, "ci_ub": 0.28}]
    text = changes_section({**now, "indirect_results": {"dn_vs_acu": moved}}, now)
    # The comparator and measure once: the new number follows the arrow.
    assert text.splitlines()[0] == f"- {named}: {estimate} → \u22120.31 (95% CI \u22120.90 to 0.28)."
    # Through another comparator now: each estimate in full.
    other = {**moved, "estimates": [{**moved["estimates"][0], "through": "Usual care"}]}
    assert changes_section({**now, "indirect_results": {"dn_vs_acu": other}}, now).splitlines()[0] == (
        f"- {named}: {estimate} → through Usual care, SMD \u22120.31 (95% CI \u22120.90 to 0.28).")
    # Key results from before the estimates were kept: the status alone.
    older = {k: v for k, v in before.items() if k != "indirect_results"}
    assert f"- {named}: no common comparator → **anchored**: through Sham" in changes_section(now, older)
    # Nor their titles: the id alone.
    untitled = {k: v for k, v in now.items() if k != "indirect_titles"}
    assert "- Indirect comparison `dn_vs_acu`: no common comparator → **anchored**: through Sham" in changes_section(
        untitled, {k: v for k, v in older.items() if k != "indirect_titles"})


def _indirect_keys(est: float, lb: float, ub: float, *, k_b: int = 2, measure: str = "SMD",
                   favoured: str | None = "Dry needling", kept: bool = True) -> dict[str, Any]:
    """Key results with one anchored indirect comparison of dry needling (one trial against
    sham) and acupuncture (``k_b`` trials against sham, pooled under Hartung-Knapp);
    without ``kept``, as builds kept them before what each estimate shows was kept."""
    e: dict[str, Any] = {"through": "Sham", "estimate": est, "ci_lb": lb, "ci_ub": ub}
    if kept:
        null = 1.0 if measure in ("RR", "OR") else 0.0
        e.update(significant=lb > null or ub < null, favoured=favoured,
                 sides={"a": {"k": 1}, "b": {"k": k_b, **({"test": "adhoc"} if k_b > 1 else {})}})
    return {**keys_of(), "indirect": {"x": "anchored"},
            "indirect_titles": {"x": "Indirect comparison of dry needling and acupuncture on disability, short term"},
            "indirect_results": {"x": {"measure": measure, "level": 95.0, "detail": "Through sham (Bucher method).",
                                       "treatment_a_label": "Dry needling", "treatment_b_label": "Acupuncture",
                                       "estimates": [e]}}}


def test_an_indirect_comparison_whose_interval_leaves_no_difference_is_a_conclusion_changed() -> None:
    # Kwon 2007 removed: the acupuncture side went from a 2-study Hartung-Knapp estimate
    # (t on 1 df) to Cherkin 2009 alone, and the disability comparison from SMD -0.508
    # (-1.913 to 0.897; Bucher, by hand and in R) to -0.52 (-1.03 to -0.02). The two
    # numbers alone hid the review's main conclusion changing, and why removing a trial
    # narrowed the interval to a third.
    named = "Indirect comparison of dry needling and acupuncture on disability, short term (`x`)"
    before = _indirect_keys(-0.508, -1.913, 0.897)
    now = _indirect_keys(-0.52, -1.03, -0.02, k_b=1)
    assert changes_section(now, before).splitlines() == [
        (f"- {named}: through Sham, SMD \u22120.51 (95% CI \u22121.91 to 0.90) \u2192 \u22120.52 "
         "(95% CI \u22121.03 to \u22120.02); **conclusion changed**: the confidence interval lies wholly on one side of "
         "no difference (favours dry needling); the interval is narrower because the acupuncture side is now one "
         "trial (normal interval) instead of a 2-study Hartung-Knapp estimate (t, 1 df).")]
    # The other way: back to compatible with no difference, and wider.
    assert changes_section(before, now).splitlines()[0].endswith(
        "; **conclusion changed**: the confidence interval is compatible with no difference; the interval is wider "
        "because the acupuncture side is now a 2-study Hartung-Knapp estimate (t, 1 df) instead of one trial (normal "
        "interval).")
    # Wholly on the other side now: a conclusion changed, the side named.
    flipped = _indirect_keys(0.60, 0.10, 1.10, k_b=1, favoured="Acupuncture")
    assert changes_section(flipped, now).splitlines()[0].endswith(
        "; **conclusion changed**: the confidence interval lies wholly on one side of no difference (favours "
        "acupuncture).")
    # The point estimate alone on the other side: said as an analysis's is.
    leaning = _indirect_keys(0.05, -1.30, 1.40, favoured="Acupuncture")
    assert changes_section(leaning, before).splitlines()[0].endswith(
        "; **direction changed**: the point estimate has moved to the side of acupuncture.")
    # The same sides, an interval a little narrower: the numbers alone, no cause.
    moved = _indirect_keys(-0.40, -1.70, 0.90)
    assert changes_section(moved, before).splitlines() == [
        (f"- {named}: through Sham, SMD \u22120.51 (95% CI \u22121.91 to 0.90) \u2192 \u22120.40 "
         "(95% CI \u22121.70 to 0.90).")]
    # Key results from before what each estimate shows was kept: its interval tells whether
    # it lies wholly on one side (of 1, for a ratio); no side, no cause.
    assert changes_section(now, _indirect_keys(-0.508, -1.913, 0.897, kept=False)).splitlines()[0].endswith(
        "; **conclusion changed**: the confidence interval lies wholly on one side of no difference (favours dry "
        "needling).")
    ratio = _indirect_keys(1.25, 1.05, 1.49, measure="RR", favoured="Dry needling", k_b=1)
    assert ("**conclusion changed**: the confidence interval lies wholly on one side of no difference"
            in changes_section(ratio, _indirect_keys(1.10, 0.80, 1.51, measure="RR", kept=False)))


def test_the_key_results_keep_what_each_indirect_estimate_shows_and_its_sides() -> None:
    ctx = context()
    kept = key_results(ctx)["indirect_results"]["dn_vs_acu"]
    assert (kept["treatment_a_label"], kept["treatment_b_label"]) == ("Dry needling", NODE_LABEL)
    (e,) = kept["estimates"]
    anchored = ctx.indirect[0]["anchored"][0]
    # Dry needling minus acupuncture, an SMD: below 0 favours dry needling.
    assert e["significant"] == (anchored["ci_lb"] > 0 or anchored["ci_ub"] < 0)
    assert e["favoured"] == ("Dry needling" if anchored["estimate"] < 0 else NODE_LABEL)
    # One trial of dry needling (C); acupuncture pooled from A and B under the config's test.
    assert e["sides"] == {"a": {"k": 1}, "b": {"k": 2, "test": CONFIG["methods"]["test"]}}


def test_a_new_study_that_changes_an_indirect_comparisons_words_or_a_claims_reason_says_so() -> None:
    ctx = _without_dry_needling_trials(context())
    before = _unstamped(key_results(ctx))
    # A trial of dry needling against a control its source does not name: still no common
    # comparator, for another reason.
    x = ctx.indirect[0]
    assert "dry needling is compared with no third treatment in a usable trial" in x["detail"]
    other = {**x, "detail": x["detail"].replace("compared with no third treatment in a usable trial",
                                                "compared with Control not named by the source")}
    claim = {**ctx.claims[0], "reason": ctx.claims[0]["reason"] + " A new trial reports no pain outcome."}
    now = key_results(dataclasses.replace(ctx, indirect=[other], claims=[claim]))
    lines = changes_section(now, before).splitlines()
    # The clause that changed, in full, as it read and as it reads: what the treatment was
    # compared with, and what it is now.
    assert lines[0] == (f"- {escape(now['indirect_titles']['dn_vs_acu'])} (`dn_vs_acu`), still no common comparator: "
                        "its explanation no longer reads "
                        "\u201cIn the SMD analyses of pain, short term, dry needling is compared with no third "
                        "treatment in a usable trial;\u201d and now reads \u201cIn the SMD analyses of pain, short term, dry needling is "
                        "compared with Control not named by the source;\u201d.")
    # The quoted sentence ends the line: no full stop after its own ("outcome.”."). The
    # claim by its words, as the claims table gives it, its id after them.
    named = f"Claim \u201c{escape(ctx.claims[0]['claim'])}\u201d (`both_work`), still {ctx.claims[0]['verdict']}"
    assert lines[1] == f"- {named}: its reason now reads \u201cA new trial reports no pain outcome.\u201d"
    # A clause gone, none added: what it no longer says.
    gone = f"- {named}: its reason no longer reads \u201cA new trial reports no pain outcome.\u201d"
    assert changes_section(before, dict(before, claim_reasons=now["claim_reasons"])).splitlines() == [gone]
    assert "No estimate, interval or conclusion changed" not in "\n".join(lines)
    # Quoted as the claims table prints the reason: with the report's apostrophe and minus
    # sign (U+2019, U+2212), not the straight ones of the reason as written.
    claim = {**ctx.claims[0], "reason": ctx.claims[0]["reason"] + " Wholly on acupuncture's side, SMD -0.50."}
    now = key_results(dataclasses.replace(ctx, claims=[claim]))
    assert changes_section(now, before).splitlines() == [(
        f"- {named}: its reason now reads \u201cWholly on acupuncture\u2019s side, SMD \u22120.50.\u201d")]
    # Key results from before the reasons were kept: nothing to compare them with.
    older = {k: v for k, v in before.items() if k not in ("claim_reasons", "indirect_results")}
    assert changes_section(now, older) == "No study, estimate, setting or conclusion changed since the previous build.\n"


def test_no_common_comparator_says_the_measure_where_another_measure_has_one() -> None:
    # The comparison defined on MD, its analyses on SMD: they share sham on SMD. "Still no
    # common comparator" before an explanation saying a comparison on SMD would be
    # anchored contradicted it, and a reader of the status alone missed the config's fix.
    ctx = context()
    on_md = indirect_comparison({**CONFIG["indirect"][0], "measure": "MD"}, ctx.analyses, labels=LABELS)
    assert on_md["status"] == "no_common_comparator"
    section = indirect_section(dataclasses.replace(ctx, indirect=[on_md]))
    assert "## No common comparator on MD (one exists on SMD)\n" in section
    # The summary's box too: "no usable head-to-head or indirect estimate" said the data
    # lack one, where the measure set in the config does.
    from metareview.report.brief import key_messages
    box = key_messages(dataclasses.replace(ctx, indirect=[on_md]))
    assert ("no head-to-head estimate, and no indirect one on MD, the measure set for this comparison; "
            "on SMD both are compared with sham, which could anchor one.") in box
    assert "no usable head-to-head or indirect estimate" not in box
    before = _unstamped(key_results(dataclasses.replace(ctx, indirect=[on_md])))
    assert before["indirect_results"]["dn_vs_acu"]["common_on"] == ["SMD"]
    edited = {**on_md, "detail": on_md["detail"].replace("both are compared with", "both are compared only with")}
    now = _unstamped(key_results(dataclasses.replace(ctx, indirect=[edited])))
    named = f"{escape(now['indirect_titles']['dn_vs_acu'])} (`dn_vs_acu`)"
    assert changes_section(now, before).startswith(
        f"- {named}, still no common comparator on MD (one exists on SMD): its explanation ")
    assert (f"- New {named[:1].lower()}{named[1:]}: no common comparator on MD (one exists on SMD).\n"
            in changes_section(now, {**now, "indirect": {}, "indirect_results": {}}))
    # From anchored on SMD to the measure set to MD: the status says where one exists.
    anchored = _unstamped(key_results(ctx))
    assert f"- {named}: anchored \u2192 **no common comparator on MD (one exists on SMD)**; was through Sham" in (
        changes_section(now, anchored))
    # Key results from before the other measures were kept: the status alone.
    older = {**before, "indirect_results": {"dn_vs_acu": {k: v for k, v in before["indirect_results"]["dn_vs_acu"].items()
                                                          if k != "common_on"}}}
    older_now = {**now, "indirect_results": {"dn_vs_acu": {k: v for k, v in now["indirect_results"]["dn_vs_acu"].items()
                                                            if k != "common_on"}}}
    assert changes_section(older_now, older).startswith(f"- {named}, still no common comparator: its explanation ")


def test_a_claim_added_or_removed_is_listed_with_its_verdict() -> None:
    # A claim row added to claims.csv: "claims.csv row 8 added" said a row came, not that
    # the report now judges a claim, nor what it found.
    ctx = context()
    before = key_results(dataclasses.replace(ctx, claims=ctx.claims[:-1]))
    now = key_results(ctx)
    last = ctx.claims[-1]
    # By its words, then its id: "Claim `both_work`" said nothing to a clinician.
    named = f"Claim \u201c{escape(last['claim'])}\u201d (`{last['claim_id']}`)"
    assert f"- {named} added: **{escape(last['verdict'])}**.\n" in changes_section(now, before)
    assert f"- {named} removed (its verdict was {escape(last['verdict'])}).\n" in changes_section(before, now)
    assert f"- Claim `{last['claim_id']}`" not in changes_section(now, before)
    # Its words with quotation marks of their own: single ones, within the report's.
    quoted = {**last, "claim": 'Acupuncture "works" for "all".'}
    assert ("- Claim \u201cAcupuncture \u2018works\u2019 for \u2018all\u2019.\u201d" in
            changes_section(key_results(dataclasses.replace(ctx, claims=[*ctx.claims[:-1], quoted])), before))
    # Key results from before the words were kept: the claim by its id.
    idle = {k: v for k, v in now.items() if k != "claim_texts"}
    assert f"- Claim `{last['claim_id']}` added:" in changes_section(idle, before)
    # Key results from before claims were kept: every claim would read as added.
    older = {k: v for k, v in before.items() if k not in ("claims", "claim_reasons")}
    assert "added:" not in changes_section(now, older)


def test_an_edited_indirect_comparison_is_a_setting_changed() -> None:
    spec = CONFIG["indirect"][0]
    before = key_results(context())
    assert before["settings"]["indirect.dn_vs_acu.measure"] == "SMD"
    now = key_results(context(indirect=[{**spec, "measure": "MD"}]))
    assert (f"- {escape(now['indirect_titles']['dn_vs_acu'])} (`dn_vs_acu`), its settings: measure SMD → MD.\n"
            in changes_section(now, before))
    # Added or removed, a comparison is said to be so, not listed by its settings.
    renamed = key_results(context(indirect=[{**spec, "id": "dn_vs_acu_pain"}]))
    text = changes_section(renamed, before)
    assert "its settings" not in text and f"{escape(before['indirect_titles']['dn_vs_acu'])} (`dn_vs_acu`) removed." in text
