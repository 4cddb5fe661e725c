"""The table of trial characteristics, and the caveat a population not known to be the
review's carries wherever its trial's effect is given."""

from __future__ import annotations

import dataclasses
from typing import Any

from test_report import JUDGED, NOT_SERIOUS, _with_certainty, context

from metareview.markdown import escape
from metareview.report import (
    grade_facts,
    limitations_section,
    rating_flags,
    results_section,
    summary_section,
)
from metareview.report.base import ReportContext
from metareview.report.overview import _pooled_caveats_in_brief
from metareview.report.tables import trial_characteristics_table


def _row(table: str, label: str) -> list[str]:
    """The cells of ``label``'s row of a Markdown table."""
    (line,) = [x for x in table.splitlines() if x.startswith(f"| {escape(label)} |")]
    return [cell.strip() for cell in line.strip().strip("|").split(" | ")]


def _labels(ctx: ReportContext) -> dict[str, str]:
    return {d["study"]["study_id"]: d["study"]["label"] for d in ctx.normalised}


def _with_arms(ctx: ReportContext) -> ReportContext:
    """The fixture with rows of studies.csv and arms.csv as the pipeline reads them: A with
    its total randomised, B with its arms' only, C with one arm's number analysed."""
    studies = [{"study_id": "A", "n_randomised": 1162}, {"study_id": "B", "n_randomised": None},
               {"study_id": "C", "n_randomised": None}]
    arms = [
        {"study_id": "A", "arm_id": "i", "description": "Verum acupuncture (TCM); ten sessions, 2/week",
         "n_randomised": 775, "n_analysed": 700},
        {"study_id": "A", "arm_id": "c", "description": "Sham acupuncture (superficial needling)",
         "n_randomised": 387, "n_analysed": None},
        {"study_id": "B", "arm_id": "i", "description": "Acupuncture, 12 sessions over 6 weeks",
         "n_randomised": 40, "n_analysed": None},
        {"study_id": "B", "arm_id": "c", "description": "Sham acupuncture", "n_randomised": 38, "n_analysed": None},
        {"study_id": "C", "arm_id": "d", "description": "Dry needling, 6 sessions", "n_randomised": None,
         "n_analysed": 20},
        {"study_id": "C", "arm_id": "c", "description": "Sham needling", "n_randomised": None, "n_analysed": None},
    ]
    return dataclasses.replace(ctx, raw_tables={**ctx.raw_tables, "studies": studies, "arms": arms})


def test_the_table_of_trial_characteristics_gives_numbers_randomised_arms_and_timepoints() -> None:
    # PRISMA 2020 item 17: each included study's characteristics. The table gave the
    # population and its fit alone; a reader needs how many were randomised, the arms and
    # their doses as the raw data describe them, each arm's size, and the timepoints used.
    ctx = _with_arms(context())
    labels = _labels(ctx)
    table = str(trial_characteristics_table(ctx))
    head = next(x for x in table.splitlines() if x.startswith("| Trial |"))
    assert head == "| Trial | Population enrolled | Fit | Randomised | Arms as described (n) | Timepoints used |"
    assert "{#tbl-trial-characteristics}" in table
    # studies.csv's total first, though the arms' add up to another number.
    a = _row(table, labels["A"])
    assert a[3] == "1,162"
    # Numbered, a description's own semicolon kept inside its arm; the number randomised
    # to an arm before the number analysed.
    assert a[4] == escape("(1) Verum acupuncture (TCM); ten sessions, 2/week, n = 775; "
                          "(2) Sham acupuncture (superficial needling), n = 387")
    assert a[5] == "week\u00a06"
    # Without a total, the arms' sum where every arm gives one; else "not in the raw tables", and
    # an arm's number analysed said so, an arm without one given no number.
    b, c = _row(table, labels["B"]), _row(table, labels["C"])
    assert b[3] == "78"
    assert c[3] == "not in the raw tables"
    assert c[4] == escape("(1) Dry needling, 6 sessions, n = 20 analysed; (2) Sham needling")
    # The published review M, no trial, is not in it.
    assert "| Review M |" not in table
    # A timepoint without weeks in the source's words (a new context: the rows are kept).
    words = _with_arms(context())
    r = next(x for x in words.analyses if x["analysis"]["id"] == "acu_vs_sham")
    s = next(x for x in r["studies"] if x["study_id"] == "B")
    s["timepoint_weeks"], s["timepoint_label"] = None, "end of treatment"
    assert _row(str(trial_characteristics_table(words)), labels["B"])[5] == "end of treatment"
    # Without arms.csv's rows, each arm by its name in the table of studies, no number.
    plain = str(trial_characteristics_table(context()))
    assert _row(plain, labels["A"])[3:5] == ["not in the raw tables", escape("(1) acupuncture; (2) sham acupuncture")]


def test_a_trial_without_a_total_or_arm_sizes_takes_the_total_of_its_result_row() -> None:
    # A trial whose studies.csv and arms.csv give no number, while the result row an
    # analysis uses gives N = 124, split 62 + 62: "not in the raw tables" denied the
    # number the analyses print. Its row's total, said to be that; none where no row
    # gives one.
    ctx = _with_arms(context())
    labels = _labels(ctx)
    entry = next(x for a in ctx.analyses for x in a["studies"] if x["study_id"] == "C")
    entry["sizes"] = {k: [{"ref": "contrasts.csv:C#1", "column": "n_total", "cell": 124.0, "value": 62.0,
                           "how": "half of n_total (arm sizes assumed equal)"}] for k in ("n1", "n2")}
    assert _row(str(trial_characteristics_table(ctx)), labels["C"])[3] == "124, the total of its result row"
    # A row the effect cites, its n_total read from contrasts.csv, though the effect took
    # its arm sizes from n1 and n2: two totals give the range.
    own = list(entry["refs"])
    entry["refs"] = [*own, "contrasts.csv:C#9"]
    contrasts = [*ctx.raw_tables["contrasts"], {"study_id": "C", "n_total": 130, "n1": 65, "n2": 65}]
    cited = dataclasses.replace(
        ctx, raw_rows={**ctx.raw_rows, "contrasts.csv:C#9": ("contrasts.csv", len(contrasts) + 1)},
        raw_row_numbers={}, raw_tables={**ctx.raw_tables, "contrasts": contrasts})
    assert _row(str(trial_characteristics_table(cited)), labels["C"])[3] == "124 to 130, the totals of its result rows"
    # Where neither studies.csv, the arms nor a result row gives a total, still none.
    entry["sizes"], entry["refs"] = {}, own
    bare = dataclasses.replace(ctx)  # a new context: the table is computed once per context
    assert _row(str(trial_characteristics_table(bare)), labels["C"])[3] == "not in the raw tables"


def test_a_population_not_known_to_be_the_reviews_is_flagged_at_each_effect() -> None:
    # Kwon 2007, of an unclear population, sat in the example's one pooled analysis with
    # its secondary source and its identity rated low flagged beside its effect, and its
    # population said only in the table of trial populations.
    ctx = context()
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    s = r["studies"][1]

    def flags() -> str:
        return _row(str(results_section(ctx)), s["label"])[-1]

    for fit in (None, "matches"):
        s["population_fit"] = fit
        assert "population" not in flags()
        assert "population" not in _pooled_caveats_in_brief(r)
        assert "Study effects of trials whose population is unclear" not in str(limitations_section(ctx))
    s["population_fit"] = "narrower"
    assert "population narrower than this review\u2019s" in flags()
    s["population_fit"] = "unclear"
    assert "population unclear: it may not be this review\u2019s" in flags()
    # After the source's flags, as the secondary source's and the identity's are given.
    s["source_level"], s["identity_confidence"] = "secondary", "low"
    assert flags().startswith("known only from a secondary source; study identity low; population unclear: ")
    # Counted with the caveats of the analysis's studies: its line in the results, the
    # bottom line's, and the limitations' list.
    line = next(x for x in str(summary_section(ctx)).splitlines() if "k = 2" in x)
    assert (f"Whether {escape(s['label'])} enrolled this review\u2019s population is unclear (see "
            "@tbl-trial-characteristics).") in line
    assert "known only from a secondary source, with its study identity rated low" in _pooled_caveats_in_brief(r)
    assert _pooled_caveats_in_brief(r).endswith("with its population unclear")
    limitations = str(limitations_section(ctx))
    assert (f"Study effects of trials whose population is unclear, which may not be this review's "
            f"(population_fit)**: {escape(s['label'])}") in limitations.replace("\\_", "_")


def test_the_grade_facts_and_an_indirectness_rating_name_a_population_not_known_to_be_the_reviews() -> None:
    ctx = context(analyses=_with_certainty(**{**JUDGED, "imprecision": NOT_SERIOUS}))
    r = next(x for x in ctx.analyses if x["analysis"]["id"] == "acu_vs_sham")
    first, second = r["studies"][0], r["studies"][1]

    def fitted(one: Any, two: Any) -> dict[str, Any]:
        return {**r, "studies": [{**first, "population_fit": one}, {**second, "population_fit": two}, *r["studies"][2:]]}

    matching = fitted("matches", None)
    assert "population" not in str(grade_facts(ctx, matching))
    assert "indirectness" not in rating_flags(ctx, matching)
    qualified = fitted("unclear", "narrower")
    assert str(grade_facts(ctx, qualified)).endswith(escape(
        f"; {first['label']}: population unclear: it may not be this review\u2019s; "
        f"{second['label']}: population narrower than this review\u2019s"))
    # Indirectness rated not serious, beside a trial not known to be of the review's
    # population: flagged for the team to look at again, the rating kept.
    assert rating_flags(ctx, qualified)["indirectness"] == [
        f"whether {first['label']} enrolled this review\u2019s population is unclear",
        f"{second['label']} enrolled a narrower population than this review\u2019s"]
    # Rated down for indirectness already: nothing to flag.
    serious = context(analyses=_with_certainty(**{**JUDGED, "imprecision": NOT_SERIOUS,
                                                  "indirectness": {"rating": "serious", "reason": "populations"}}))
    assert "indirectness" not in rating_flags(serious, qualified)


def test_a_binary_analysis_says_what_counted_as_an_event_in_each_trial() -> None:
    # The responders analysis used Haake 2007's definition (>=33% pain or >=12% function
    # improvement), which instruments.csv holds and the report gave nowhere: "responders"
    # alone does not say what a response was.
    from metareview.report.sections import events_defined

    instruments = [
        {"instrument": "GERAC_responder", "label": "GERAC responder (>=33% pain or >=12% function improvement)",
         "notes": "Response = >=33% improvement on 3 pain items or >=12% on the HFAQ (Haake 2007). "
                  "Higher proportion = better."},
        {"instrument": "global", "label": "Global assessment: improved", "notes": None},
    ]
    ctx = dataclasses.replace(context(), raw_tables={**context().raw_tables, "instruments": instruments})
    r = {"analysis": {"measure": "RR"}, "studies": [
        {"study_id": "H", "label": "Haake <b>et al.</b> (2007)", "instrument": "GERAC_responder"},
        {"study_id": "B", "label": "Brinkhaus (2006)", "instrument": "GERAC_responder"},
        {"study_id": "C", "label": "Carlsson (2001)", "instrument": "global"},
        {"study_id": "X", "label": "X (2020)", "instrument": "unknown_code"}]}
    text = str(events_defined(ctx, r))
    items = [line for line in text.splitlines() if line.startswith("- ")]
    # Trials of one instrument together; its label, then its notes, their signs as signs;
    # the notes' sentence on which way it scores left to the direction line.
    assert items[0] == "- " + escape("Haake <b>et al.</b> (2007) and Brinkhaus (2006): GERAC responder (\u226533% pain or "
                              "\u226512% function improvement). Response = \u226533% improvement on 3 pain items or "
                              "\u226512% on the HFAQ (Haake 2007).")
    assert items[1] == "- Carlsson (2001): Global assessment: improved."
    # An instrument instruments.csv does not describe: said so, not left blank.
    assert items[2] == "- " + escape("X (2020): unknown_code, an instrument instruments.csv does not describe.")
    assert text.startswith("What counted as an event in each trial")
    # A continuous analysis, or a binary one with no trial: nothing.
    assert str(events_defined(ctx, {**r, "analysis": {"measure": "SMD"}})) == ""
    assert str(events_defined(ctx, {**r, "studies": []})) == ""
